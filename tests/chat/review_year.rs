//! The review year (issue 8): the sheets of a year are written from
//! November into the next year's first quarter; explicit years; the period
//! a member is judged on; the year-end details found when tried as a user.

use lienhe::{
    cli::{Admin, MemberCommand},
    domain::{Lang, sheet::Criterion},
    sheet::build::level_label,
};

use crate::common::*;

async fn officer(h: &Harness, user: &TgUser, member_user: i64) {
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = ?")
            .bind(member_user)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let code = h.officer_code(workplace).await;
    h.ask(user, &format!("/start {code}")).await;
}

async fn supervisor(h: &Harness, user: &TgUser) {
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards LIMIT 1")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let code = h.supervisor_code(ward).await;
    h.ask(user, &format!("/start {code}")).await;
}

fn button_label(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

/// The member reports an activity dated today; the secretary approves it.
async fn approved_today(h: &Harness, member: &TgUser, secretary: &TgUser, kind: &str, text: &str) {
    let (today, submit, approve) = match lang_of(member) {
        Lang::Vi => ("Hôm nay", "Gửi báo cáo", "✅ Duyệt"),
        Lang::En => ("Today", "Submit", "✅ Approve"),
    };
    let summary = h.report_until_summary(member, kind, today, text, &[]).await;
    h.press(member, &summary, submit).await;
    let card = h.last(secretary);
    let approve = label_of(&card, "ra:").unwrap_or_else(|| approve.to_string());
    h.press(secretary, &card, &approve).await;
}

async fn sheet_id(h: &Harness) -> i64 {
    sqlx::query_scalar("SELECT id FROM sheets ORDER BY id DESC LIMIT 1")
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

fn alert_text(call: &Call) -> String {
    call.params["text"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_old_year_runs_into_january_and_closes_on_the_first_of_april() {
    let h = Harness::start().await;
    h.set_local(2026, 11, 2, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let cán_bộ = vi_user(700, "Cán bộ");
    officer(&h, &cán_bộ, 300).await;

    // A report dated 20/12, approved on 3/1: the old year's evidence.
    h.set_local(2026, 12, 20, 9, 0);
    let summary = h
        .report_until_summary(
            &member,
            "Sinh hoạt, họp chi bộ nơi cư trú",
            "Hôm nay",
            "Họp chi bộ cuối năm",
            &[],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    h.set_local(2027, 1, 3, 9, 0);
    h.press(&secretary, &card, "✅ Duyệt").await;

    // On 5/1 /sheets still works on 2026, and the draft is 2026's.
    h.set_local(2027, 1, 5, 9, 0);
    let list = h.ask(&secretary, "/sheets").await;
    let text = list.text.clone().unwrap();
    assert!(text.contains("phiếu nhận xét năm 2026"), "{text}");
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let draft = opened.last().unwrap().clone();
    let body = draft.text.clone().unwrap();
    assert!(
        body.contains("Tổng số hoạt động đã được duyệt: 1"),
        "{body}"
    );
    assert!(
        body.contains("Theo loại hoạt động: Sinh hoạt, họp chi bộ nơi cư trú: 1"),
        "{body}"
    );
    assert!(body.contains("– 20/12/2026"), "{body}");
    assert!(
        body.contains("Số tháng có hoạt động trực tiếp: 1/2"),
        "{body}"
    );
    assert!(
        body.contains("Tháng được giới thiệu về chi bộ: 11/2026"),
        "{body}"
    );
    let sheet = sheet_id(&h).await;
    let year: i64 = sqlx::query_scalar("SELECT year FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(year, 2026);
    for c in 0..6 {
        h.press_data(&secretary, draft.message_id, &format!("sl:{sheet}:{c}:0"))
            .await;
    }
    h.press(&secretary, &h.current(&draft), "📤 Gửi đảng viên xem")
        .await;

    // The member's copy has no buttons to choose levels, and says none.
    let to_member = h.last(&member);
    let text = to_member.text.clone().unwrap();
    assert!(
        text.contains("Các tiêu chí:") && !text.contains("bấm nút"),
        "{text}"
    );
    h.press(&member, &to_member, "✅ Đồng ý").await;

    // The secretary's notice of the answer carries Sign (and Open).
    let told = h.last(&secretary);
    assert!(
        says(told.text.as_deref(), Lang::Vi, "secretary-told-accepted"),
        "{told:?}"
    );
    assert_eq!(
        told.button_texts(),
        vec!["✍️ Ký và gửi nơi công tác", "Mở phiếu"]
    );
    h.set_local(2027, 1, 10, 9, 0);
    h.press(&secretary, &told, "✍️ Ký và gửi nơi công tác")
        .await;
    h.wait_documents(700, 2).await;
    let (state, year): (String, i64) =
        sqlx::query_as("SELECT state, year FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        (state.as_str(), year),
        ("signed", 2026),
        "the old year's sheet"
    );
    // The signed view names no buttons either.
    let signed = h.current(&told).text.unwrap();
    assert!(
        signed.contains("Các tiêu chí:") && !signed.contains("bấm nút"),
        "{signed}"
    );

    // The DOCX lists the evidence with one bullet each.
    let xml = h.first_docx(700);
    assert!(
        xml.contains("20/12/2026: Sinh hoạt"),
        "the evidence is listed"
    );
    assert!(!xml.contains("– 20/12/2026"), "no second bullet");
    assert!(xml.contains("Số tháng có hoạt động trực tiếp: 1/2"));

    // /sheet NAME gives the latest signed sheet; with a year, that year's.
    h.ask(&cán_bộ, "/sheet Nguyễn Văn An").await;
    h.wait_documents(700, 4).await;
    h.ask(&cán_bộ, "/sheet Nguyễn Văn An 2026").await;
    h.wait_documents(700, 6).await;
    // A month of introduction corrected after signing changes the live
    // counts, not the signed document.
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.press_data(&secretary, told.message_id, &format!("yi:{membership}"))
        .await;
    let done = h.ask(&secretary, "01/2026").await.text.unwrap();
    assert!(says(Some(&done), Lang::Vi, "intro-corrected"), "{done}");
    let status = h.ask(&cán_bộ, "/status").await.text.unwrap();
    assert!(
        status.contains("; số tháng có hoạt động trực tiếp: 1/12"),
        "{status}"
    );
    let before = h.api.sent(700).len();
    let replies = h.say(&cán_bộ, "/sheet Nguyễn Văn An 2026").await;
    h.wait_documents(700, 8).await;
    assert!(
        says(
            replies.last().unwrap().text.as_deref(),
            Lang::Vi,
            "verify-ok"
        ) || h.api.sent(700).split_off(before).iter().any(|s| says(
            s.text.as_deref(),
            Lang::Vi,
            "verify-ok"
        )),
        "still genuine"
    );
    let resent = h
        .api
        .sent(700)
        .into_iter()
        .rev()
        .find(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".docx")))
        .unwrap();
    let xml = part(resent.document_bytes.as_ref().unwrap(), "word/document.xml");
    assert!(
        xml.contains("Số tháng có hoạt động trực tiếp: 1/2"),
        "as signed"
    );
    let future = h.ask(&cán_bộ, "/sheet An 2031").await.text.unwrap();
    assert_eq!(future, "Năm 2031 chưa đến.");
    let none = h.ask(&cán_bộ, "/sheet An 2019").await.text.unwrap();
    assert_eq!(none, "Không có dữ liệu năm 2019.");
    // Another member of the workplace whose name begins with the same
    // words: the whole name still reaches An, and so does it typed
    // without accents.
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    seed_members(&h, cell, 301, 1).await;
    sqlx::query(
        "UPDATE memberships SET full_name = 'Nguyễn Văn Anh',
             workplace_id = (SELECT workplace_id FROM memberships WHERE user_id = 300)
         WHERE user_id = 301",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    h.ask(&cán_bộ, "/sheet Nguyễn Văn An 2026").await;
    h.wait_documents(700, 10).await;
    h.ask(&cán_bộ, "/sheet nguyen van an 2026").await;
    h.wait_documents(700, 12).await;
    // Both begin with "Nguyễn Văn": a button each, with the cell.
    let many = h.ask(&cán_bộ, "/sheet Nguyễn Văn").await;
    assert!(
        says(many.text.as_deref(), Lang::Vi, "sheet-choose"),
        "{many:?}"
    );
    let labels = many.button_texts();
    assert_eq!(labels.len(), 2, "{labels:?}");
    let an = labels
        .iter()
        .find(|l| l.starts_with("Nguyễn Văn An — "))
        .unwrap()
        .clone();
    h.press(&cán_bộ, &many, &an).await;
    h.wait_documents(700, 14).await;
    // A forged choice of a member of no workplace of theirs shows nothing.
    let outsider: i64 = sqlx::query_scalar("SELECT MAX(id) + 1000 FROM memberships")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let (forged, _) = h
        .press_data(&cán_bộ, many.message_id, &format!("yw:{outsider}:0"))
        .await;
    assert_eq!(forged.params["show_alert"], true);
    assert_eq!(
        h.api
            .sent(700)
            .iter()
            .filter(|s| s.method == "senddocument")
            .count(),
        14
    );
    // Too many of one name to choose from: the first are named, and how
    // many more.
    seed_members(&h, cell, 400, 45).await;
    sqlx::query(
        "UPDATE memberships SET full_name = 'Nguyễn Văn B' || user_id,
             workplace_id = (SELECT workplace_id FROM memberships WHERE user_id = 300)
         WHERE user_id BETWEEN 400 AND 444",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    let many = h.ask(&cán_bộ, "/sheet Nguyễn Văn").await;
    let text = many.text.clone().unwrap();
    assert!(says(Some(&text), Lang::Vi, "sheet-many"), "{text}");
    assert!(
        text.ends_with("…và 7 đồng chí khác; đề nghị nhập thêm họ tên để thu hẹp."),
        "{text}"
    );
    assert!(many.buttons().is_empty());
    // They leave again (the lists below are of the cell as it was).
    sqlx::query(
        "UPDATE memberships SET status = 'left', ended_at = requested_at
         WHERE user_id BETWEEN 400 AND 444",
    )
    .execute(&h.pool)
    .await
    .unwrap();

    // Explicit years for the other views.
    let usage = h.ask(&secretary, "/stats abc").await;
    assert!(
        says(usage.text.as_deref(), Lang::Vi, "year-usage"),
        "{usage:?}"
    );
    let usage = h.ask(&secretary, "/export 20x6").await;
    assert!(
        says(usage.text.as_deref(), Lang::Vi, "year-usage"),
        "{usage:?}"
    );
    assert_eq!(
        h.ask(&secretary, "/stats 2019").await.text.unwrap(),
        "Không có dữ liệu năm 2019."
    );
    let before = h.api.sent(100).len();
    h.ask(&secretary, "/export 2026").await;
    let xlsx = h
        .api
        .sent(100)
        .split_off(before)
        .into_iter()
        .find(|s| s.method == "senddocument")
        .expect("an XLSX");
    assert!(
        xlsx.text
            .clone()
            .unwrap()
            .contains("Bảng tổng hợp năm 2026"),
        "{xlsx:?}"
    );
    let status = h.ask(&cán_bộ, "/status 2026").await.text.unwrap();
    assert!(
        status.contains("năm 2026") || status.contains("2026"),
        "{status}"
    );
    assert!(
        status.contains("; số tháng có hoạt động trực tiếp: 1/12"),
        "{status}"
    );

    // On 31/3 the year is still open; on 1/4 it is closed, buttons too.
    h.set_local(2027, 3, 31, 20, 0);
    let still = h.ask(&secretary, "/sheets").await;
    assert!(
        still.text.clone().unwrap().contains("năm 2026"),
        "{:?}",
        still.text
    );
    h.set_local(2027, 4, 1, 8, 0);
    // /sheets alone: 2027's are not open yet, and 2026's are closed.
    let plain = h.ask(&secretary, "/sheets").await.text.unwrap();
    assert!(
        says(Some(&plain), Lang::Vi, "year-sheets-closed")
            && says(Some(&plain), Lang::Vi, "sheets-not-open")
            && plain.contains("năm 2026"),
        "{plain}"
    );
    let replies = h.say(&secretary, "/sheets 2026").await;
    let closed = replies[0].text.clone().unwrap();
    assert!(
        says(Some(&closed), Lang::Vi, "year-sheets-closed")
            && closed.contains("năm 2026")
            && closed.contains("01/11/2026")
            && closed.contains("31/03/2027"),
        "{closed}"
    );
    let listed = replies.last().unwrap();
    assert!(
        says(listed.text.as_deref(), Lang::Vi, "sheets-header") && listed.button_texts().is_empty(),
        "a closed year's list opens nothing"
    );
    let (refused, _) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    assert!(
        alert_text(&refused).contains("đã hết thời hạn"),
        "{refused:?}"
    );
    let (refused, _) = h
        .press_data(&secretary, draft.message_id, &format!("sl:{sheet}:0:1"))
        .await;
    assert!(
        alert_text(&refused).contains("đã hết thời hạn"),
        "{refused:?}"
    );
    // The default year is now 2027, not open before November.
    let later = h.ask(&secretary, "/sheets").await.text.unwrap();
    assert!(later.contains("01/11/2027"), "{later}");
}

#[tokio::test]
async fn a_member_introduced_in_november_is_judged_on_two_months_everywhere() {
    let h = Harness::start().await;
    h.set_local(2026, 2, 10, 9, 0);
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let officer_user = en_user(700, "Officer");
    officer(&h, &officer_user, 300).await;
    approved_today(
        &h,
        &member,
        &secretary,
        "Other activity",
        "February cleanup",
    )
    .await;
    h.set_local(2026, 5, 5, 9, 0);
    approved_today(&h, &member, &secretary, "Other activity", "May meeting").await;

    // In November the secretary finds the member was introduced only now.
    h.set_local(2026, 11, 20, 9, 0);
    let list = h.ask(&secretary, "/sheets").await;
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let draft = opened.last().unwrap().clone();
    let body = draft.text.clone().unwrap();
    // February to October: November, in progress and without activity
    // yet, is not judged.
    assert!(
        body.contains("Months with activity in person: 2/9"),
        "{body}"
    );
    let correct = button_label(Lang::En, "intro-button-correct");
    h.press(&secretary, &draft, &correct).await;
    assert!(says(
        h.last(&secretary).text.as_deref(),
        Lang::En,
        "intro-correct-ask"
    ));
    let wrong = h.ask(&secretary, "13/2026").await.text.unwrap();
    assert!(says(Some(&wrong), Lang::En, "intro-unreadable"), "{wrong}");
    let wrong = h.ask(&secretary, "12/2026").await.text.unwrap();
    assert!(says(Some(&wrong), Lang::En, "intro-future"), "{wrong}");
    let done = h.ask(&secretary, "11/2026").await.text.unwrap();
    assert!(says(Some(&done), Lang::En, "intro-corrected"), "{done}");
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'set_introduced' AND subject = 'membership'"
        )
        .await,
        1
    );
    approved_today(
        &h,
        &member,
        &secretary,
        "Other activity",
        "November meeting",
    )
    .await;

    // On 5 December: November active, December in progress and not judged
    // yet, February and May listed but not counted: 1/1 on the draft and in
    // /status.
    h.set_local(2026, 12, 5, 9, 0);
    let list = h.ask(&secretary, "/sheets").await;
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let body = opened.last().unwrap().text.clone().unwrap();
    assert!(body.contains("Approved activities: 3"), "{body}");
    assert!(body.contains("By kind: "), "{body}");
    assert!(body.contains("Other activity: "), "{body}");
    assert!(
        body.contains("Months with activity in person: 1/1"),
        "{body}"
    );
    assert!(
        !body.contains("Months with no activity in person"),
        "{body}"
    );
    let status = h.ask(&officer_user, "/status").await.text.unwrap();
    assert!(
        status.contains("; months with activity in person: 1/1"),
        "{status}"
    );
    assert!(!status.contains("⚠️ Nguyễn"), "one silent month: {status}");
    let before = h.api.sent(100).len();
    h.ask(&secretary, "/stats").await;
    let chart = h
        .api
        .sent(100)
        .split_off(before)
        .into_iter()
        .find(|s| s.method == "sendphoto")
        .expect("the chart");
    let caption = chart.text.unwrap();
    // The last 12 months; those before the introduction with nobody to count.
    assert!(caption.contains("01/2026 to 12/2026"), "{caption}");

    // In February /status still shows 2026, judged on its two months
    // (December over, without activity).
    h.set_local(2027, 2, 1, 9, 0);
    let status = h.ask(&officer_user, "/status").await.text.unwrap();
    assert!(status.contains("— 2026"), "the review year: {status}");
    assert!(
        status.contains("; months with activity in person: 1/2"),
        "{status}"
    );
}

#[tokio::test]
async fn the_month_of_introduction_is_asked_at_join() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let workplaces = h.ask(&member, "Bỏ qua").await;
    let first = workplaces.buttons()[0].0.clone();
    h.press(&member, &workplaces, &first).await;
    let asked = h.last(&member);
    assert!(
        says(asked.text.as_deref(), Lang::Vi, "intro-ask"),
        "{asked:?}"
    );
    assert_eq!(asked.button_texts(), vec!["Tháng này (11/2026)"]);
    for (typed, id) in [
        ("tháng mười", "intro-unreadable"),
        ("13/2026", "intro-unreadable"),
        ("01/2027", "intro-future"),
        ("10/2016", "intro-too-old"),
    ] {
        let again = h.ask(&member, typed).await.text.unwrap();
        assert!(
            says(Some(&again), Lang::Vi, id) && says(Some(&again), Lang::Vi, "intro-ask"),
            "{typed}: {again}"
        );
    }
    let summary = h.ask(&member, "3-2024").await;
    let text = summary.text.clone().unwrap();
    assert!(
        text.contains("Tháng được giới thiệu về chi bộ: 03/2024"),
        "{text}"
    );
    h.press(&member, &summary, "Xác nhận").await;
    let card = h.last(&secretary).text.unwrap();
    assert!(
        card.contains("Tháng được giới thiệu về chi bộ: 03/2024"),
        "{card}"
    );
    let introduced: String = sqlx::query_scalar("SELECT introduced_on FROM memberships")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(introduced, "2024-03-01");

    // Only the cell's secretary may correct it.
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let stranger = vi_user(900, "Lạ");
    h.ask(&stranger, "/help").await;
    let (refused, _) = h.press_data(&member, 1, &format!("yi:{membership}")).await;
    assert!(
        alert_text(&refused).contains("không có quyền"),
        "{refused:?}"
    );
    let (refused, _) = h
        .press_data(&stranger, 1, &format!("yi:{membership}"))
        .await;
    assert!(
        alert_text(&refused).contains("không có quyền"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn year_end_details_by_role() {
    let h = Harness::start().await;
    h.set_local(2026, 11, 20, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let student = vi_user(301, "Hoa");
    let code = h.invite_code(&secretary).await;
    h.request_join(&student, &code, "Phạm Thị Hoa").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;
    let student_id: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 301")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.admin(Admin::Member {
        command: MemberCommand::Exempt {
            member: student_id,
            reason: Some(lienhe::domain::membership::Exemption::FullTimeStudy),
            clear: false,
        },
    })
    .await;
    let cán_bộ = vi_user(700, "Cán bộ");
    officer(&h, &cán_bộ, 300).await;

    // The officer sees the exempt member as exempt, not "not started".
    let status = h.ask(&cán_bộ, "/status").await.text.unwrap();
    let line = status
        .lines()
        .find(|l| l.contains("Phạm Thị Hoa"))
        .expect("the exempt member");
    assert!(
        line.contains("miễn sinh hoạt nơi cư trú") && !line.contains("chưa lập"),
        "{line}"
    );

    // Free text gets an answer by role.
    let hint = h.ask(&cán_bộ, "xin chào").await.text.unwrap();
    assert!(says(Some(&hint), Lang::Vi, "year-idle-officer"), "{hint}");
    assert!(!hint.contains("/report"), "{hint}");
    let help = h.ask(&cán_bộ, "/help").await.text.unwrap();
    assert!(says(Some(&help), Lang::Vi, "year-help-years"), "{help}");
    // Only the commands an officer may use are named there.
    let years = help
        .lines()
        .find(|l| l.contains("năm đang nhận xét"))
        .unwrap();
    assert!(
        years.contains("/status, /export, /sheet họ tên") && years.contains("/status 2025"),
        "{years}"
    );
    assert!(
        !years.contains("/stats") && !years.contains("/sheets"),
        "{years}"
    );
    let help = h.ask(&member, "/help").await.text.unwrap();
    assert!(!says(Some(&help), Lang::Vi, "year-help-years"), "{help}");
    let giám_sát = vi_user(800, "Giám sát");
    supervisor(&h, &giám_sát).await;
    let hint = h.ask(&giám_sát, "xin chào").await.text.unwrap();
    assert!(
        says(Some(&hint), Lang::Vi, "year-idle-supervisor"),
        "{hint}"
    );
    let english = en_user(801, "Sup");
    supervisor(&h, &english).await;
    let hint = h.ask(&english, "hello").await.text.unwrap();
    assert!(
        says(Some(&hint), Lang::En, "year-idle-supervisor"),
        "{hint}"
    );

    // Skip at the photo step: no "0 photos received… press Done".
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, "Sinh hoạt, họp chi bộ nơi cư trú")
        .await;
    let dates = h.last(&member);
    h.press(&member, &dates, "Hôm nay").await;
    let photos = h.ask(&member, "Họp chi bộ tháng 11").await;
    h.press(&member, &photos, "Bỏ qua").await;
    let settled = h.current(&photos).text.unwrap();
    assert_eq!(settled, "Không gửi ảnh minh chứng.");
    assert!(says(
        h.last(&member).text.as_deref(),
        Lang::Vi,
        "report-summary"
    ));

    // The XLSX leaves out the levels of a draft.
    let list = h.ask(&secretary, "/sheets").await;
    h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let criteria: String = sqlx::query_scalar("SELECT criteria FROM sheets")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let levels: [Option<u8>; 6] = serde_json::from_str(&criteria).unwrap();
    let suggested: Vec<String> = Criterion::ALL
        .iter()
        .filter_map(|c| levels[c.index()].map(|l| level_label(Lang::Vi, *c, l)))
        .collect();
    assert!(!suggested.is_empty(), "a draft with suggested levels");
    let before = h.api.sent(100).len();
    h.ask(&secretary, "/export").await;
    let doc = h
        .api
        .sent(100)
        .split_off(before)
        .into_iter()
        .find(|s| s.method == "senddocument")
        .expect("an XLSX");
    let strings = part(doc.document_bytes.as_ref().unwrap(), "xl/sharedStrings.xml");
    assert!(strings.contains("đang dự thảo"), "{strings}");
    for label in suggested {
        assert!(!strings.contains(&label), "{label} shown as if final");
    }
}

#[tokio::test]
async fn a_draft_sent_in_march_cannot_be_answered_or_signed_in_april() {
    let h = Harness::start().await;
    h.set_local(2026, 11, 2, 9, 0);
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    // A member introduced in January 2027 is not listed for 2026.
    let late = en_user(301, "Late");
    h.set_local(2027, 1, 20, 9, 0);
    let code = h.invite_code(&secretary).await;
    h.request_join(&late, &code, "Lê Văn Muộn").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Approve").await;

    h.set_local(2027, 3, 30, 9, 0);
    let list = h.ask(&secretary, "/sheets").await;
    let text = list.text.clone().unwrap();
    assert!(
        text.contains("comment sheets for 2026") && !text.contains("Lê Văn Muộn"),
        "{text}"
    );
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let draft = opened.last().unwrap().clone();
    let sheet = sheet_id(&h).await;
    for c in 0..6 {
        h.press_data(&secretary, draft.message_id, &format!("sl:{sheet}:{c}:1"))
            .await;
    }
    h.press(&secretary, &h.current(&draft), "📤 Send to the member")
        .await;
    let to_member = h.last(&member);
    assert!(
        !to_member.text.clone().unwrap().contains("press a button"),
        "{to_member:?}"
    );
    // Respond pressed on 31/3, typed on 1/4: too late.
    h.set_local(2027, 3, 31, 22, 0);
    h.press(&member, &to_member, "💬 Respond").await;
    h.set_local(2027, 4, 1, 7, 0);
    let late_answer = h.ask(&member, "I took part in more").await.text.unwrap();
    assert!(
        says(Some(&late_answer), Lang::En, "year-sheets-closed")
            && late_answer.contains("01/11/2026")
            && late_answer.contains("31/03/2027"),
        "{late_answer}"
    );
    let (refused, _) = h.press(&member, &to_member, "✅ Accept").await;
    assert!(
        says(Some(&alert_text(&refused)), Lang::En, "year-sheets-closed"),
        "{refused:?}"
    );
    // Telegram shows at most 200 characters in an alert.
    assert!(alert_text(&refused).chars().count() <= 200);
    let (refused, _) = h
        .press(&secretary, &h.current(&draft), "↩️ Change the draft")
        .await;
    assert!(alert_text(&refused).contains("is over"), "{refused:?}");
    let (refused, _) = h
        .press(
            &secretary,
            &h.current(&draft),
            "✍️ Sign and send to the workplace",
        )
        .await;
    assert!(alert_text(&refused).contains("is over"), "{refused:?}");
    let (state, answer): (String, Option<String>) =
        sqlx::query_as("SELECT state, member_answer FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), answer), ("with_member", None));
}

/// The 2026 sheet is sent to the member on 28/03/2027, four days before the
/// window closes (31/03), and the member stays silent. Waiting a week would
/// end after the window, when nothing can be signed: silence counts as
/// seen from the start of the window's last day instead, and the sheet is
/// signed on 31/03.
#[tokio::test]
async fn a_sheet_sent_in_the_window_s_last_week_can_be_signed_on_its_last_day() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 11, 2, 9, 0);
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;

        h.set_local(2027, 3, 28, 9, 0);
        let list = h.ask(&secretary, "/sheets").await;
        let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
        let draft = opened.last().unwrap().clone();
        let sheet = sheet_id(&h).await;
        for c in 0..6 {
            h.press_data(&secretary, draft.message_id, &format!("sl:{sheet}:{c}:0"))
                .await;
        }
        h.press(
            &secretary,
            &h.current(&draft),
            &button_label(lang, "button-send-member"),
        )
        .await;
        let waiting = h.current(&draft);
        assert!(
            waiting
                .text
                .as_deref()
                .unwrap()
                .contains("31/03/2027 00:00"),
            "{waiting:?}"
        );

        h.set_local(2027, 3, 30, 20, 0);
        let sign = label_of(&waiting, "sg:").expect("Sign");
        let (refused, _) = h.press(&secretary, &waiting, &sign).await;
        let text = alert_text(&refused);
        assert!(says(Some(&text), lang, "sign-blocked-waiting"), "{text}");
        assert!(text.contains("31/03/2027 00:00"), "{text}");

        h.set_local(2027, 3, 31, 9, 0);
        h.press(&secretary, &h.current(&draft), &sign).await;
        let state: String = sqlx::query_scalar("SELECT state FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(state, "signed");
    }
}

/// A draft sent on the window's last day (31/03, 09:00) leaves the member
/// no time before it may be signed: they are asked to answer now, not "by
/// 31/03/2027 09:00" (the moment it was sent); the secretary's view says it
/// can be signed at once, and it is.
#[tokio::test]
async fn a_sheet_sent_on_the_window_s_last_day_asks_for_an_answer_now() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 11, 2, 9, 0);
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;

        h.set_local(2027, 3, 31, 9, 0);
        let list = h.ask(&secretary, "/sheets").await;
        let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
        let draft = opened.last().unwrap().clone();
        let sheet = sheet_id(&h).await;
        for c in 0..6 {
            h.press_data(&secretary, draft.message_id, &format!("sl:{sheet}:{c}:0"))
                .await;
        }
        h.press(
            &secretary,
            &h.current(&draft),
            &button_label(lang, "button-send-member"),
        )
        .await;
        let to_member = h.last(&member).text.unwrap();
        assert!(
            says(Some(&to_member), lang, "sheet-for-member"),
            "{to_member}"
        );
        assert!(
            says(Some(&to_member), lang, "sheet-answer-now") && !to_member.contains("09:00"),
            "{to_member}"
        );
        let waiting = h.current(&draft);
        let text = waiting.text.clone().unwrap();
        assert!(
            says(Some(&text), lang, "sheet-member-waiting-none"),
            "{text}"
        );
        let sign = label_of(&waiting, "sg:").expect("Sign");
        h.press(&secretary, &waiting, &sign).await;
        let state: String = sqlx::query_scalar("SELECT state FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(state, "signed");
    }
}

/// Reported on 31 December, rejected on 2 January: the member's /myreports
/// in January shows last year's reports too (this year's has none yet),
/// with the rejection's reason.
#[tokio::test]
async fn myreports_in_january_shows_last_years_reports_too() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 12, 1, 9, 0);
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.set_local(2026, 12, 31, 20, 0);
        let (kind, today) = match lang {
            Lang::Vi => ("Hoạt động khác", "Hôm nay"),
            Lang::En => ("Other activity", "Today"),
        };
        let summary = h
            .report_until_summary(&member, kind, today, "Trồng cây cuối năm", &[])
            .await;
        let submit = summary.buttons()[0].0.clone();
        h.press(&member, &summary, &submit).await;
        h.quiet().await;
        let card = h.last(&secretary);
        h.set_local(2027, 1, 2, 9, 0);
        let reject = card.button_texts()[1].clone();
        h.press(&secretary, &card, &reject).await;
        h.ask(&secretary, "Thiếu ảnh minh chứng").await;

        let mine = h.ask(&member, "/myreports").await.text.unwrap();
        assert!(mine.contains("2027") && mine.contains("2026"), "{mine}");
        assert!(
            mine.contains("31/12/2026") && mine.contains("Thiếu ảnh minh chứng"),
            "{mine}"
        );
        // From April, this year only.
        h.set_local(2027, 4, 2, 9, 0);
        let mine = h.ask(&member, "/myreports").await.text.unwrap();
        assert!(!mine.contains("31/12/2026"), "{mine}");
    }
}

/// An exemption lifted in July: the months before owed no contact. The
/// year's evidence runs from August, and October's digest names the member
/// silent for three months (August to October), not for the whole year.
#[tokio::test]
async fn an_exemption_lifted_mid_year_counts_from_the_month_after() {
    let mut h = Harness::start().await;
    h.set_local(2026, 1, 5, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let exempt = |reason: Option<lienhe::domain::membership::Exemption>| Admin::Member {
        command: MemberCommand::Exempt {
            member: membership,
            reason,
            clear: reason.is_none(),
        },
    };
    h.admin(exempt(Some(
        lienhe::domain::membership::Exemption::Barracks,
    )))
    .await;
    h.set_local(2026, 7, 15, 9, 0);
    h.admin(exempt(None)).await;
    let tz = h.app().tz;
    let rows = lienhe::store::yearly::members(
        &h.pool,
        lienhe::store::yearly::Scope::Membership(membership),
        2026,
        tz,
    )
    .await
    .unwrap();
    assert_eq!(
        rows[0].introduced(tz),
        lienhe::domain::schedule::Period::new(2026, 8).unwrap()
    );

    h.start_sender(lienhe::jobs::sender::SenderConfig {
        rate: 50.0,
        ..lienhe::jobs::sender::SenderConfig::default()
    })
    .await;
    // August, September and October (November, not over, is not judged
    // yet: as /status counts it).
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let digest = h.last(&secretary).text.unwrap();
    assert!(digest.contains("Nguyễn Văn An (3 tháng)"), "{digest}");
}

/// An activity of today reported and approved.
async fn reported_today(h: &Harness, member: &TgUser, secretary: &TgUser) {
    let summary = h
        .report_until_summary(member, "Hoạt động khác", "Hôm nay", "Dọn vệ sinh", &[])
        .await;
    h.press(member, &summary, "Gửi báo cáo").await;
    let card = h.last(secretary);
    h.press(secretary, &card, "✅ Duyệt").await;
}

/// Exemptions begun and lifted during the year, twice: the months each
/// covered owe no contact, once lifted too. An, introduced in January,
/// reports in January and July, is exempt from 5 March to 10 June and
/// again from 10 September to 2 October. On 25 November he is judged on
/// January, February, July and August: 2/4 in /status and in the sheet's
/// draft, nobody judged on April in /stats, and the secretary's digest
/// does not name him silent for months (August and November only). The
/// second exemption does not keep the first one's lift date.
#[tokio::test]
async fn the_months_of_exemptions_lifted_during_the_year_are_not_owed() {
    use lienhe::{domain::schedule::Period, store::yearly::Scope};
    let mut h = Harness::start().await;
    h.set_local(2026, 1, 5, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(300).await;
    let exempt = |reason: Option<lienhe::domain::membership::Exemption>| Admin::Member {
        command: MemberCommand::Exempt {
            member: membership,
            reason,
            clear: reason.is_none(),
        },
    };
    let barracks = Some(lienhe::domain::membership::Exemption::Barracks);
    reported_today(&h, &member, &secretary).await;
    h.set_local(2026, 3, 5, 9, 0);
    h.admin(exempt(barracks)).await;
    h.set_local(2026, 6, 10, 9, 0);
    h.admin(exempt(None)).await;
    h.set_local(2026, 7, 20, 9, 0);
    reported_today(&h, &member, &secretary).await;
    h.set_local(2026, 9, 10, 9, 0);
    h.admin(exempt(barracks)).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE exempt_reason IS NOT NULL AND exempt_until IS NULL")
            .await,
        1,
        "exempt again: the first exemption's lift is not this one's"
    );
    h.set_local(2026, 10, 2, 9, 0);
    h.admin(exempt(None)).await;
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM exemptions
             WHERE reason IS NOT NULL AND since IS NOT NULL AND until > since"
        )
        .await,
        2,
        "two periods, each lifted with its reason kept"
    );

    h.start_sender(lienhe::jobs::sender::SenderConfig {
        rate: 50.0,
        ..lienhe::jobs::sender::SenderConfig::default()
    })
    .await;
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let digest = h.last(&secretary).text.unwrap();
    // Named for November, not as silent for months.
    assert!(digest.contains("Nguyễn Văn An"), "{digest}");
    assert!(!digest.contains("Nguyễn Văn An ("), "{digest}");

    let cán_bộ = vi_user(700, "Cán bộ");
    officer(&h, &cán_bộ, 300).await;
    let status = h.ask(&cán_bộ, "/status").await.text.unwrap();
    assert!(
        status.contains("; số tháng có hoạt động trực tiếp: 2/4"),
        "{status}"
    );
    let list = h.ask(&secretary, "/sheets").await;
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let body = opened.last().unwrap().text.clone().unwrap();
    assert!(
        body.contains("Số tháng có hoạt động trực tiếp: 2/4"),
        "{body}"
    );

    let months = lienhe::stats::participation(
        &h.pool,
        Scope::Membership(membership),
        2026,
        h.app().today(),
        TZ,
    )
    .await
    .unwrap();
    let share = |month| {
        months
            .iter()
            .find(|(p, _)| *p == Period::new(2026, month).unwrap())
            .map(|(_, share)| *share)
            .unwrap()
    };
    assert!(share(4).is_nan(), "April: {}", share(4));
    assert!(share(10).is_nan(), "October: {}", share(10));
    assert_eq!((share(2), share(7), share(8)), (0.0, 1.0, 0.0));
}

/// An exemption that began later leaves the months before it owed, in the
/// /stats chart of the cell and of the ward alike ("each month's share
/// among the members judged on that month"). Two members introduced in
/// January; An reports in June and November, Dũng never does and is
/// exempted (barracks) on 20 November: June stays 1 of 2; November, the
/// month his exemption began, is 1 of 1.
#[tokio::test]
async fn an_exemption_begun_later_leaves_the_months_before_it_in_the_stats() {
    use lienhe::{domain::schedule::Period, store::yearly::Scope};
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let active = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &active).await;
    let silent = vi_user(301, "Dũng");
    h.join_approved(&secretary, &silent, "Hoàng Văn Dũng").await;
    sqlx::query("UPDATE memberships SET introduced_on = '2026-01-01'")
        .execute(&h.pool)
        .await
        .unwrap();
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    for date in ["15/06/2026", "Hôm nay"] {
        let summary = h
            .report_until_summary(&active, "Hoạt động khác", date, "Dọn vệ sinh", &[])
            .await;
        h.press(&active, &summary, "Gửi báo cáo").await;
        let card = h.last(&secretary);
        h.press(&secretary, &card, "✅ Duyệt").await;
    }
    let shares = |scope| {
        let h = &h;
        async move {
            let months = lienhe::stats::participation(&h.pool, scope, 2026, h.app().today(), TZ)
                .await
                .unwrap();
            let of = |month| {
                months
                    .iter()
                    .find(|(p, _)| *p == Period::new(2026, month).unwrap())
                    .map(|(_, share)| *share)
                    .unwrap()
            };
            (of(5), of(6), of(11))
        }
    };
    for scope in [Scope::Cell(cell), Scope::Ward(ward)] {
        assert_eq!(shares(scope).await, (0.0, 0.5, 0.5), "{scope:?}");
    }
    let id = h.membership_of(301).await;
    h.admin(Admin::Member {
        command: MemberCommand::Exempt {
            member: id,
            reason: Some(lienhe::domain::membership::Exemption::Barracks),
            clear: false,
        },
    })
    .await;
    for scope in [Scope::Cell(cell), Scope::Ward(ward)] {
        assert_eq!(
            shares(scope).await,
            (0.0, 0.5, 1.0),
            "{scope:?}: exempted in November, Dũng still owed May and June"
        );
    }
    // Exempt since before his introduction: no month of his is counted.
    sqlx::query("UPDATE exemptions SET since = '2025-12-01T00:00:00Z' WHERE membership_id = ?")
        .bind(id)
        .execute(&h.pool)
        .await
        .unwrap();
    assert_eq!(shares(Scope::Cell(cell)).await, (0.0, 1.0, 1.0));
    // The chart is drawn.
    let replies = h.say(&secretary, "/stats 2026").await;
    assert!(
        replies.iter().any(|s| s.method == "sendphoto"),
        "{replies:?}"
    );
}

/// Money alone is not contact, and is shown as what it is: a member whose
/// only approved reports are contributions of money has no month of
/// contact in /status (flagged, and said to be money only), and /stats
/// counts them apart; in both languages.
#[tokio::test]
async fn money_alone_is_shown_as_money_alone() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 3, 5, 9, 0);
        let user = |id, name| match lang {
            Lang::Vi => vi_user(id, name),
            Lang::En => en_user(id, name),
        };
        let (secretary, member, officer_user) =
            (user(100, "Bình"), user(300, "An"), user(700, "Officer"));
        h.cell_with_member(&secretary, &member).await;
        officer(&h, &officer_user, 300).await;
        sqlx::query("UPDATE memberships SET introduced_on = '2026-01-01'")
            .execute(&h.pool)
            .await
            .unwrap();
        let money = match lang {
            Lang::Vi => "Đóng góp, ủng hộ",
            Lang::En => "Contribution to local funds",
        };
        approved_today(&h, &member, &secretary, money, "Quỹ khuyến học").await;
        h.set_local(2026, 6, 5, 9, 0);
        approved_today(&h, &member, &secretary, money, "Quỹ vì người nghèo").await;

        // On 10 July: January to June judged (July in progress, without
        // contact), none of them with contact.
        h.set_local(2026, 7, 10, 9, 0);
        let status = h.ask(&officer_user, "/status").await.text.unwrap();
        let months = match lang {
            Lang::Vi => "; số tháng có hoạt động trực tiếp: 0/6",
            Lang::En => "; months with activity in person: 0/6",
        };
        assert!(status.contains(months), "{status}");
        assert!(
            status.contains(&button_label(lang, "status-money-only")),
            "{status}"
        );
        assert!(status.contains("⚠️ Nguyễn Văn An"), "{status}");
        // The money given on 05/06 is no "last activity" either.
        assert!(!status.contains("05/06/2026"), "{status}");
        let stats = h.ask(&secretary, "/stats").await.text.unwrap();
        let apart = match lang {
            Lang::Vi => "chỉ có đóng góp bằng tiền, chưa có hoạt động trực tiếp: 1",
            Lang::En => "is contributions of money, none in person: 1",
        };
        assert!(stats.contains(apart), "{stats}");
        assert!(says(Some(&stats), lang, "stats-duties-header"), "{stats}");
        // /members in June: the money given is no activity in person.
        h.set_local(2026, 6, 20, 9, 0);
        let members = h.ask(&secretary, "/members").await.text.unwrap();
        assert!(says(Some(&members), lang, "members-never"), "{members}");
        h.set_local(2026, 7, 10, 9, 0);

        // One meeting with the residents in July: a month of contact, and
        // no longer money only.
        let residents = match lang {
            Lang::Vi => "Họp tổ dân phố, thôn, khối",
            Lang::En => "Residents' meeting",
        };
        approved_today(&h, &member, &secretary, residents, "Họp tổ 5").await;
        let status = h.ask(&officer_user, "/status").await.text.unwrap();
        let months = match lang {
            Lang::Vi => "; số tháng có hoạt động trực tiếp: 1/7",
            Lang::En => "; months with activity in person: 1/7",
        };
        assert!(status.contains(months), "{status}");
        assert!(
            !status.contains(&button_label(lang, "status-money-only")),
            "{status}"
        );
        assert!(!status.contains("⚠️ Nguyễn"), "{status}");
        let stats = h.ask(&secretary, "/stats").await.text.unwrap();
        assert!(!stats.contains(apart), "{stats}");
    }
}

/// `/sheet NAME` with namesakes in one cell: their buttons told them apart
/// only by the cell, so two members of the same name in the same cell got
/// identical buttons. They now carry the phone, or without one the month
/// the member was introduced to the cell; a namesake of another cell keeps
/// the plain label. Each button is its own member's. `/request NAME`
/// offers them alike, and /status's lines name them apart.
#[tokio::test]
async fn namesakes_of_one_cell_are_told_apart_by_sheet_request_and_status() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let ben_thuy = h.ward("Phường Bến Thủy").await;
    let other = h.cell(ben_thuy, "Chi bộ khối 7").await;
    insert_members(&h, cell, Some(1), 1000, 2, "approved").await;
    insert_members(&h, other, Some(1), 1002, 1, "approved").await;
    sqlx::query("UPDATE memberships SET full_name = 'Nguyễn Văn Hùng'")
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE memberships SET phone = '0912000001' WHERE user_id = 1000")
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE memberships SET introduced_on = '2026-03-01' WHERE user_id = 1001")
        .execute(&h.pool)
        .await
        .unwrap();
    for (officer, phone, introduced) in [
        (vi_user(200, "Cán"), "SĐT", "giới thiệu về chi bộ tháng"),
        (en_user(201, "Can"), "phone", "introduced to the cell in"),
    ] {
        h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
            .await;
        let choice = h.ask(&officer, "/sheet nguyen van hung").await;
        assert!(
            says(choice.text.as_deref(), lang_of(&officer), "sheet-choose"),
            "{choice:?}"
        );
        let ids = [
            h.membership_of(1000).await,
            h.membership_of(1001).await,
            h.membership_of(1002).await,
        ];
        assert_eq!(
            choice.buttons(),
            vec![
                (
                    format!("Nguyễn Văn Hùng ({phone} 0912000001) — Chi bộ khối 5"),
                    format!("yw:{}:0", ids[0])
                ),
                (
                    format!("Nguyễn Văn Hùng ({introduced} 03/2026) — Chi bộ khối 5"),
                    format!("yw:{}:0", ids[1])
                ),
                (
                    "Nguyễn Văn Hùng — Chi bộ khối 7".to_string(),
                    format!("yw:{}:0", ids[2])
                ),
            ]
        );
        // /request NAME offers them the same way.
        let choice = h.ask(&officer, "/request nguyen van hung").await;
        let labels: Vec<String> = choice.button_texts().into_iter().take(3).collect();
        let sheet_labels: Vec<String> = h
            .api
            .sent(officer.id)
            .iter()
            .rev()
            .find(|s| {
                s.button_data("Nguyễn Văn Hùng — Chi bộ khối 7")
                    .is_some_and(|d| d.starts_with("yw:"))
            })
            .unwrap()
            .button_texts();
        assert_eq!(labels, sheet_labels);
        h.ask(&officer, "/cancel").await;
        // /status names them apart too.
        let status = h.ask(&officer, "/status").await.text.unwrap();
        for name in [
            format!("Nguyễn Văn Hùng ({phone} 0912000001) (Chi bộ khối 5)"),
            format!("Nguyễn Văn Hùng ({introduced} 03/2026) (Chi bộ khối 5)"),
            "Nguyễn Văn Hùng (Chi bộ khối 7)".to_string(),
        ] {
            assert!(status.contains(&name), "{name}: {status}");
        }
    }
}

/// An officer's /status explained the ⚠️ sign in its heading ("⚠️: no
/// activity for three months or more") also over a list without one: a
/// workplace with no member in any cell yet, or none of them silent. The
/// sign is explained only where it is shown now.
#[tokio::test]
async fn status_explains_the_warning_sign_only_where_it_is_shown() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 4, 5, 9, 0);
        let (secretary, member) = (user_in(lang, 100, "Bình"), user_in(lang, 300, "An"));
        let (officer_user, empty_officer) =
            (user_in(lang, 700, "Officer"), user_in(lang, 701, "Y tế"));
        h.cell_with_member(&secretary, &member).await;
        officer(&h, &officer_user, 300).await;
        sqlx::query("UPDATE memberships SET introduced_on = '2026-02-01'")
            .execute(&h.pool)
            .await
            .unwrap();
        let nobody = h.workplace("Sở Y tế tỉnh Nghệ An").await;
        let code = h.officer_code(nobody).await;
        h.ask(&empty_officer, &format!("/start {code}")).await;
        let legend = text_of(lang, "status-flag-legend");

        let status = h.ask(&empty_officer, "/status").await.text.unwrap();
        assert!(says(Some(&status), lang, "status-none"), "{status}");
        assert!(!status.contains("⚠️"), "no member, no sign: {status}");
        // Two months judged, both silent: not yet flagged.
        let status = h.ask(&officer_user, "/status").await.text.unwrap();
        assert!(status.contains("Nguyễn Văn An"), "{status}");
        assert!(!status.contains("⚠️"), "nobody flagged: {status}");
        // In July, six months silent: flagged, and the sign explained.
        h.set_local(2026, 7, 10, 9, 0);
        let status = h.ask(&officer_user, "/status").await.text.unwrap();
        assert!(status.contains("⚠️ Nguyễn Văn An"), "{status}");
        assert!(status.contains(&legend), "{status}");
    }
}

/// The cell signs An's sheet of 2026 in December; in January An's
/// membership ends (retired), and Bình changes to another workplace: the
/// officer's /sheet NAME still reaches An's signed sheet and Bình's sheet
/// of 2026 (not signed yet), both still due to the workplace, instead of
/// "no member of that name".
#[tokio::test]
async fn an_officer_reaches_the_sheet_of_a_member_who_left_the_workplace_or_the_cell() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Cường");
    let an = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &an).await;
    h.join_approved(&secretary, &vi_user(301, "Bình"), "Lê Thị Bình")
        .await;
    let officer = vi_user(700, "Cán bộ");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    // One who stays with the workplace.
    insert_members(&h, cell, Some(1), 500, 1, "approved").await;
    h.set_local(2026, 12, 20, 9, 0);
    let membership = h.membership_of(300).await;
    let sheet = h.sheet_sent_to_member(&secretary, membership).await;
    h.press_data(&an, 1, &format!("ma:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;

    h.set_local(2027, 1, 5, 9, 0);
    let at = h.app().now();
    sqlx::query(
        "UPDATE memberships SET status = 'left', end_reason = 'retired', ended_at = ?
         WHERE user_id = 300",
    )
    .bind(at)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO workplace_changes (membership_id, from_workplace_id, to_workplace_id, changed_at)
         SELECT id, 1, 2, ? FROM memberships WHERE user_id = 301",
    )
    .bind(at)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE memberships SET workplace_id = 2 WHERE user_id = 301")
        .execute(&h.pool)
        .await
        .unwrap();

    let before = h.api.sent(700).len();
    h.ask(&officer, "/sheet Nguyễn Văn An").await;
    let got = h.api.sent(700).split_off(before);
    assert_eq!(
        got.iter().filter(|s| s.method == "senddocument").count(),
        2,
        "{got:?}"
    );
    let bình = h
        .ask(&officer, "/sheet Lê Thị Bình 2026")
        .await
        .text
        .unwrap();
    assert!(
        says(Some(&bình), Lang::Vi, "year-sheet-not-signed"),
        "{bình}"
    );
}

/// The workplace's only member of 2026 retires in January 2027, after the
/// cell signed her sheet of 2026: the officer's `/sheet NAME 2026` said
/// "There is no data for 2026" (only members the workplace has now were
/// counted), while her sheet of 2026 is still the workplace's. It is sent.
#[tokio::test]
async fn a_year_whose_members_all_left_since_still_has_their_sheets() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Cường");
    let an = vi_user(300, "An");
    h.cell_with_member(&secretary, &an).await;
    let officer_user = vi_user(700, "Cán bộ");
    officer(&h, &officer_user, 300).await;
    h.set_local(2026, 12, 20, 9, 0);
    let membership = h.membership_of(300).await;
    let sheet = h.sheet_sent_to_member(&secretary, membership).await;
    h.press_data(&an, 1, &format!("ma:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;

    h.set_local(2027, 1, 5, 9, 0);
    sqlx::query(
        "UPDATE memberships SET status = 'left', end_reason = 'retired', ended_at = ?
         WHERE user_id = 300",
    )
    .bind(h.app().now())
    .execute(&h.pool)
    .await
    .unwrap();
    let before = h.api.sent(700).len();
    let replies = h.say(&officer_user, "/sheet Nguyễn Văn An 2026").await;
    assert!(
        !replies
            .iter()
            .any(|r| says(r.text.as_deref(), Lang::Vi, "year-no-data")),
        "{replies:?}"
    );
    let got = h.api.sent(700).split_off(before);
    assert_eq!(
        got.iter().filter(|s| s.method == "senddocument").count(),
        2,
        "{got:?}"
    );
}

/// A signed sheet opened again shows what was signed: a report of the year
/// approved after the signature, or the clock set back into the year, does
/// not change its evidence (it showed 2 reports, or "1/1" months, while its
/// documents said 1 and "1/2").
async fn a_signed_sheet_shows_what_was_signed(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 11, 2, 9, 0);
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    approved_today(&h, &member, &secretary, other_kind(lang), "Dọn vệ sinh").await;
    let (total, months, submit) = match lang {
        Lang::Vi => (
            "Tổng số hoạt động đã được duyệt: 1\n",
            "Số tháng có hoạt động trực tiếp: 1/2",
            "Gửi báo cáo",
        ),
        Lang::En => (
            "Approved activities: 1\n",
            "Months with activity in person: 1/2",
            "Submit",
        ),
    };
    // A report dated 20/12, written then and decided only after signing.
    h.set_local(2026, 12, 20, 9, 0);
    let summary = h
        .report_until_summary(&member, other_kind(lang), "20/12/2026", "Họp tổ", &[])
        .await;
    h.press(&member, &summary, submit).await;
    let late_card = h.last(&secretary);

    h.set_local(2027, 1, 2, 9, 0);
    let membership = h.membership_of(300).await;
    h.ask(&secretary, "/sheets").await;
    let sheet = h.sheet_sent_to_member(&secretary, membership).await;
    let to_member = h.last(&member);
    let accept = label_of(&to_member, "ma:").unwrap();
    h.press(&member, &to_member, &accept).await;
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.wait_documents(secretary.id, 2).await;
    let xml = h.first_docx(secretary.id);
    assert!(
        xml.contains("Số tháng có hoạt động trực tiếp: 1/2"),
        "{xml}"
    );

    h.set_local(2027, 1, 3, 9, 0);
    let approve = label_of(&late_card, "ra:").unwrap();
    h.press(&secretary, &late_card, &approve).await;
    for (y, m, d) in [(2027, 1, 3), (2026, 12, 30), (2027, 1, 4)] {
        h.set_local(y, m, d, 9, 0);
        let list = h.ask(&secretary, "/sheets").await;
        let (_, opened) = h
            .press_data(&secretary, list.message_id, &format!("so:{membership}"))
            .await;
        let shown = opened.last().unwrap().text.clone().unwrap();
        assert!(
            shown.contains(total) && shown.contains(months),
            "{d}/{m}/{y}: {shown}"
        );
    }
    let state: String = sqlx::query_scalar("SELECT state FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(state, "signed");
}

#[tokio::test]
async fn a_signed_sheet_opened_again_shows_what_was_signed() {
    a_signed_sheet_shows_what_was_signed(Lang::Vi).await;
}

#[tokio::test]
async fn a_signed_sheet_opened_again_shows_what_was_signed_in_english() {
    a_signed_sheet_shows_what_was_signed(Lang::En).await;
}
