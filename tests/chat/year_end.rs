//! Year end: the comment sheet from the evidence, the member's answer, the
//! signature, delivery to the workplace, verification and tampering; the
//! views and exports of each role; exempt members.

use lienhe::{
    cli::{self, Admin, MemberCommand},
    domain::{Lang, membership::Exemption, sheet::Criterion},
    sheet::build::level_label,
};

use crate::common::*;

/// The member reports an activity dated today and the secretary decides.
async fn report_today(
    h: &Harness,
    member: &TgUser,
    secretary: &TgUser,
    kind: &str,
    text: &str,
    approve: bool,
) {
    let summary = h
        .report_until_summary(member, kind, "Hôm nay", text, &[])
        .await;
    h.press(member, &summary, "Gửi báo cáo").await;
    let card = h.last(secretary);
    if approve {
        h.press(secretary, &card, "✅ Duyệt").await;
    } else {
        h.press(secretary, &card, "❌ Từ chối").await;
        h.ask(secretary, "Chưa rõ nội dung").await;
    }
}

fn level_button(sheet: &Sent, prefix: &str) -> String {
    sheet
        .buttons()
        .into_iter()
        .map(|(label, _)| label)
        .find(|label| label.trim_start_matches("✓ ") == prefix)
        .unwrap_or_else(|| panic!("no button {prefix} in {:?}", sheet.button_texts()))
}

#[tokio::test]
async fn a_whole_year_of_one_cell_ends_in_a_verified_sheet_at_the_workplace() {
    let h = Harness::start().await;
    h.set_local(2026, 1, 15, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let officer = vi_user(700, "Cán bộ");
    let done = h
        .ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await
        .text
        .unwrap();
    assert!(
        done.contains("Sở Tư pháp tỉnh Nghệ An") && done.contains("/status"),
        "{done}"
    );

    // The year: five approved activities and one rejected.
    for (month, kind, text, approve) in [
        (
            1,
            "Sinh hoạt, họp chi bộ nơi cư trú",
            "Họp chi bộ đầu năm",
            true,
        ),
        (3, "Họp tổ dân phố, thôn, khối", "Họp tổ dân phố số 5", true),
        (
            6,
            "Phong trào, hoạt động cộng đồng",
            "Tổng vệ sinh khu phố",
            true,
        ),
        (
            9,
            "Sinh hoạt, họp chi bộ nơi cư trú",
            "Họp chi bộ với đảng viên đang công tác",
            true,
        ),
        (10, "Tuyên truyền, vận động", "Chỉ nói chuyện", false),
        (11, "Đóng góp, ủng hộ", "Ủng hộ quỹ khuyến học", true),
    ] {
        h.set_local(2026, month, 5, 9, 0);
        report_today(&h, &member, &secretary, kind, text, approve).await;
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        5
    );

    // Before 1 November there are no sheets; from then on there are.
    h.set_local(2026, 10, 30, 9, 0);
    assert!(
        h.ask(&secretary, "/sheets")
            .await
            .text
            .unwrap()
            .contains("từ ngày 01/11/2026")
    );
    h.set_local(2026, 11, 20, 9, 0);
    let list = h.ask(&secretary, "/sheets").await;
    let text = list.text.clone().unwrap();
    assert!(text.contains("1. Nguyễn Văn An — chưa lập"), "{text}");
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let draft = opened.last().unwrap().clone();
    let body = draft.text.clone().unwrap();
    // The counts match the approved reports exactly, each cited by date.
    assert!(
        body.contains("Tổng số hoạt động đã được duyệt: 5"),
        "{body}"
    );
    assert!(body.contains("NV1: 2; NV3: 2; NV4: 1; NV6: 1"), "{body}");
    assert!(
        body.contains("sinh hoạt chi bộ nơi cư trú đã tham dự: 2"),
        "{body}"
    );
    assert!(
        body.contains("Số tháng có hoạt động trực tiếp: 4/10"),
        "{body}"
    );
    assert!(
        body.contains(
            "Các tháng chưa có hoạt động trực tiếp: 02/2026, 04/2026, 05/2026, 07/2026, 08/2026, 10/2026"
        ),
        "{body}"
    );
    assert!(
        body.contains("– 05/01/2026: Sinh hoạt, họp chi bộ nơi cư trú (báo cáo số 1)"),
        "{body}"
    );
    assert!(
        !body.contains("Chỉ nói chuyện") && !body.contains("báo cáo số 5)"),
        "the rejection is not evidence"
    );
    // Suggested from the evidence: meetings, contact, movements.
    assert!(level_button(&draft, "3. Tham gia đầy đủ").starts_with("✓ "));
    assert!(
        level_button(&draft, "4. Thường xuyên").starts_with("✓ "),
        "{:?}",
        draft.button_texts()
    );
    assert!(level_button(&draft, "5. Tích cực").starts_with("✓ "));
    assert!(
        !draft.button_texts().iter().any(|b| b.starts_with("✓ 1.")),
        "no rule for example"
    );

    // Cannot send with criteria missing.
    let (refused, _) = h.press(&secretary, &draft, "📤 Gửi đảng viên xem").await;
    assert!(
        refused.params["text"]
            .as_str()
            .unwrap()
            .contains("sáu tiêu chí")
    );
    for label in ["1. Nêu gương tốt", "2. Gương mẫu", "6. Biểu dương"] {
        let current = h.current(&draft);
        let exact = current
            .buttons()
            .into_iter()
            .map(|(l, _)| l)
            .find(|l| l == label || l == &format!("✓ {label}"))
            .unwrap();
        h.press(&secretary, &current, &exact).await;
    }
    let current = h.current(&draft);
    assert!(
        current
            .button_texts()
            .contains(&"✓ 2. Gương mẫu".to_string())
    );
    // The level already chosen, pressed again: the draft shows it already.
    let edits = current.edits;
    h.press(&secretary, &current, "✓ 2. Gương mẫu").await;
    assert_eq!(h.current(&draft).edits, edits);
    assert_eq!(h.api.not_modified(), 0);
    h.press(&secretary, &current, "✏️ Nhận xét khác").await;
    let shown = h
        .ask(&secretary, "Nhiệt tình trong phong trào khu dân cư")
        .await;
    assert!(
        shown
            .text
            .clone()
            .unwrap()
            .contains("Nhận xét khác: Nhiệt tình trong phong trào khu dân cư")
    );
    // Every change to the draft is audited (the remarks by their length,
    // not their text); the level pressed again changed nothing, no entry.
    for (action, expected) in [("open_draft", 1), ("set_level", 3), ("set_remarks", 1)] {
        let entries: Vec<String> = sqlx::query_scalar(
            "SELECT details FROM audit_log WHERE subject = 'sheet' AND action = ?",
        )
        .bind(action)
        .fetch_all(&h.pool)
        .await
        .unwrap();
        assert_eq!(entries.len(), expected, "{action}: {entries:?}");
        assert!(
            entries.iter().all(|d| !d.contains("Nhiệt tình")),
            "{entries:?}"
        );
    }
    h.press(&secretary, &shown, "📤 Gửi đảng viên xem").await;

    // The member responds within the week; signing waited for it.
    let to_member = h.last(&member);
    let text = to_member.text.clone().unwrap();
    assert!(
        text.contains("Dự thảo phiếu nhận xét năm 2026") && text.contains("Biểu dương"),
        "{text}"
    );
    let waiting = h.current(&shown);
    let (blocked, _) = h
        .press(&secretary, &waiting, "✍️ Ký và gửi nơi công tác")
        .await;
    assert!(
        blocked.params["text"]
            .as_str()
            .unwrap()
            .contains("Đang chờ ý kiến")
    );
    h.press(&member, &to_member, "💬 Góp ý").await;
    h.ask(&member, "Đề nghị ghi nhận thêm việc vận động bầu cử")
        .await;
    let told = h.last(&secretary).text.unwrap();
    assert!(
        told.contains("góp ý") && told.contains("vận động bầu cử"),
        "{told}"
    );
    // Accept after responding: told they responded already, and when.
    let (again, _) = h.press(&member, &to_member, "✅ Đồng ý").await;
    assert!(
        says(
            again.params["text"].as_str(),
            Lang::Vi,
            "sheet-answered-responded"
        ),
        "one answer: {again:?}"
    );

    // Signing freezes it and delivers it to the workplace.
    let sign = h
        .current(&waiting)
        .button_data("✍️ Ký và gửi nơi công tác")
        .unwrap();
    h.press(
        &secretary,
        &h.current(&waiting),
        "✍️ Ký và gửi nơi công tác",
    )
    .await;
    // DOCX and PDF to the officer, the member and the secretary.
    h.wait_documents(700, 2).await;
    h.wait_documents(300, 2).await;
    h.wait_documents(100, 2).await;
    // Sign again (a second press): told it was signed already, and when
    // (not that someone else may have changed it); nothing signed or sent
    // twice.
    let (again, _) = h.press_data(&secretary, waiting.message_id, &sign).await;
    assert!(
        says(
            again.params["text"].as_str(),
            Lang::Vi,
            "sheet-now-signed-by-you"
        ),
        "{again:?}"
    );
    h.quiet().await;
    assert_eq!(
        h.api
            .sent(700)
            .iter()
            .filter(|s| s.method == "senddocument")
            .count(),
        2
    );
    let code: String = sqlx::query_scalar("SELECT code FROM sheets")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let officer_msgs = h.api.sent(700);
    let summary = officer_msgs
        .iter()
        .rev()
        .find(|s| s.method == "sendmessage")
        .unwrap()
        .text
        .clone()
        .unwrap();
    assert!(
        summary.contains("Nguyễn Văn An")
            && summary.contains(&code)
            && summary.contains("Biểu dương"),
        "{summary}"
    );
    let doc = officer_msgs
        .iter()
        .find(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".docx")))
        .expect("the DOCX");
    let pdf = officer_msgs
        .iter()
        .find(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".pdf")))
        .expect("the PDF");
    assert!(pdf.document_bytes.as_ref().unwrap().starts_with(b"%PDF"));
    let xml = part(doc.document_bytes.as_ref().unwrap(), "word/document.xml");
    for expected in [
        "PHIẾU NHẬN XÉT",
        "Nguyễn Văn An",
        "Tham gia đầy đủ",
        "Thường xuyên",
        "Biểu dương",
        "vận động bầu cử",
        "Nhiệt tình trong phong trào",
        "T/M CHI BỘ",
        "Trần Thị Bình",
        code.as_str(),
    ] {
        assert!(xml.contains(expected), "{expected} missing in the document");
    }
    assert!(
        h.api.sent(300).iter().any(|s| s.method == "senddocument"),
        "the member's copy"
    );
    assert!(
        h.last(&secretary).method == "senddocument",
        "the secretary's copy"
    );
    let list = h.ask(&secretary, "/sheets").await.text.unwrap();
    assert!(list.contains("Nguyễn Văn An — đã ký"), "{list}");
    // Signed, the levels are final: the export shows them (a draft's are
    // left out).
    let criteria: String = sqlx::query_scalar("SELECT criteria FROM sheets")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let levels: [Option<u8>; 6] = serde_json::from_str(&criteria).unwrap();
    let chosen: Vec<String> = Criterion::ALL
        .iter()
        .filter_map(|c| levels[c.index()].map(|l| level_label(Lang::Vi, *c, l)))
        .collect();
    assert_eq!(chosen.len(), 6, "{criteria}");
    let before = h.api.sent(100).len();
    h.ask(&secretary, "/export").await;
    let xlsx = h
        .api
        .sent(100)
        .split_off(before)
        .into_iter()
        .find(|s| s.method == "senddocument")
        .expect("an XLSX");
    let strings = part(
        xlsx.document_bytes.as_ref().unwrap(),
        "xl/sharedStrings.xml",
    );
    for label in chosen {
        assert!(strings.contains(&label), "{label} missing: {strings}");
    }

    // Anyone can verify; the operator too.
    let stranger = en_user(900, "X");
    let ok = h
        .ask(&stranger, &format!("/verify {}", code.to_lowercase()))
        .await
        .text
        .unwrap();
    assert!(
        ok.contains("Valid and unchanged")
            && ok.contains("Nguyễn Văn An")
            && ok.contains("Trần Thị Bình"),
        "{ok}"
    );
    // What was signed, to hold beside a copy: every level, the remarks
    // and the member's response.
    assert!(says(Some(&ok), Lang::En, "verify-content-heading"), "{ok}");
    for c in Criterion::ALL {
        let level = levels[c.index()].unwrap();
        assert!(ok.contains(&level_label(Lang::En, c, level)), "{c:?}: {ok}");
    }
    assert!(
        ok.contains("Nhiệt tình trong phong trào khu dân cư")
            && ok.contains("Đề nghị ghi nhận thêm việc vận động bầu cử"),
        "{ok}"
    );
    let (valid, _) = cli::verify_code(&h.pool, &code, TZ).await.unwrap();
    assert!(valid);
    assert!(
        h.ask(&stranger, "/verify 0000-0000-0000-0000")
            .await
            .text
            .unwrap()
            .contains("No signed comment sheet")
    );

    // The officer's views.
    let status = h.ask(&officer, "/status").await.text.unwrap();
    assert!(
        status.contains("Nguyễn Văn An (Chi bộ khối 5): 5 hoạt động được duyệt")
            && status.contains("đã ký"),
        "{status}"
    );
    let before = h.api.sent(700).len();
    h.ask(&officer, "/sheet nguyễn văn").await;
    h.wait_documents(700, 4).await;
    let sent: Vec<Sent> = h.api.sent(700).split_off(before);
    assert!(sent.iter().any(|s| s.method == "senddocument"));
    assert!(
        sent.last()
            .unwrap()
            .text
            .clone()
            .unwrap()
            .contains("Phiếu hợp lệ")
    );

    // Tampering with the stored sheet, or with a decision it cites, is detected.
    sqlx::query("UPDATE sheets SET criteria = '[0,0,0,0,0,0]'")
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(
        h.ask(&stranger, &format!("/verify {code}"))
            .await
            .text
            .unwrap()
            .contains("changed after it was signed")
    );
    let (valid, out) = cli::verify_code(&h.pool, &code, TZ).await.unwrap();
    assert!(!valid && out.ends_with("tampered"), "{out}");
    sqlx::query("UPDATE sheets SET criteria = '[0,1,0,1,1,0]'")
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(
        h.ask(&stranger, &format!("/verify {code}"))
            .await
            .text
            .unwrap()
            .contains("Valid"),
        "restored"
    );
    sqlx::query("UPDATE reports SET status = 'rejected' WHERE id = 2")
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(
        h.ask(&stranger, &format!("/verify {code}"))
            .await
            .text
            .unwrap()
            .contains("changed after it was signed")
    );

    // The audit log holds every decision and detects a rewritten entry.
    let entries = h.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        entries, 31,
        "the operator's ward, two workplaces and cell, three codes made (the secretary's, the officer's, the members' \
         link), the secretary's and the officer's roles, a join requested and approved, six reports \
         submitted and decided, the draft opened, three of its levels and its remarks, three sheet steps"
    );
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = 'sheet' ORDER BY id")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        vec![
            "open_draft",
            "set_level",
            "set_level",
            "set_level",
            "set_remarks",
            "send_to_member",
            "member_respond",
            "sign"
        ]
    );
    assert_eq!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        lienhe::store::audit::ChainCheck::Intact {
            entries: entries as u64
        }
    );
    assert!(
        sqlx::query("DELETE FROM audit_log WHERE id = 3")
            .execute(&h.pool)
            .await
            .is_err(),
        "append-only"
    );
    sqlx::query("DROP TRIGGER audit_log_append_only_update")
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET details = '{}' WHERE id = 3")
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(matches!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        lienhe::store::audit::ChainCheck::Broken { entry_id: 3, .. }
    ));
    // A whole year, and not one edit Telegram would refuse as unchanged.
    assert_eq!(h.api.not_modified(), 0);
}

#[tokio::test]
async fn views_and_exports_are_shown_only_to_those_who_may_see_them() {
    let h = Harness::start().await;
    h.set_local(2026, 11, 20, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    report_today(&h, &member, &secretary, "Hoạt động khác", "Trồng cây", true).await;
    // Another ward, another cell, another secretary and member.
    let ward2 = h.ward("Xã Nghi Phú").await;
    let cell2 = h.cell(ward2, "Chi bộ xóm 3").await;
    let secretary2 = vi_user(110, "Cường");
    h.make_secretary(&secretary2, cell2, "Lê Văn Cường").await;
    let code = h.invite_code(&secretary2).await;
    let other = vi_user(310, "Hoa");
    h.request_join(&other, &code, "Phạm Thị Hoa").await;
    h.press(&secretary2, &h.last(&secretary2), "✅ Duyệt").await;
    let ward1: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();

    // Members see none of it.
    assert!(
        h.ask(&member, "/status")
            .await
            .text
            .unwrap()
            .contains("chỉ dành cho cán bộ")
    );
    assert!(
        h.ask(&member, "/stats")
            .await
            .text
            .unwrap()
            .contains("chỉ dành cho bí thư chi bộ, cán bộ giám sát và quản trị viên")
    );
    assert!(
        h.ask(&member, "/export")
            .await
            .text
            .unwrap()
            .contains("chỉ dành cho bí thư chi bộ, cán bộ nơi công tác")
    );
    assert!(
        h.ask(&member, "/sheets")
            .await
            .text
            .unwrap()
            .contains("chỉ dành cho bí thư")
    );
    let forged = h.press_data(&member, 1, "so:1").await.0;
    assert!(
        forged.params["text"]
            .as_str()
            .unwrap()
            .contains("không có quyền")
    );
    let other_secretary = h.press_data(&secretary2, 1, "so:1").await.0;
    assert!(
        other_secretary.params["text"]
            .as_str()
            .unwrap()
            .contains("không có quyền")
    );

    // The secretary's export holds the own cell only.
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
    assert!(
        strings.contains("Nguyễn Văn An") && !strings.contains("Phạm Thị Hoa"),
        "{strings}"
    );
    assert!(doc.text.clone().unwrap().contains("1 đảng viên"));

    // The supervisor of ward 1 sees its chart and figures, not ward 2's.
    let supervisor = vi_user(800, "Giám sát");
    let done = h
        .ask(
            &supervisor,
            &format!("/start {}", h.supervisor_code(ward1).await),
        )
        .await
        .text
        .unwrap();
    assert!(
        done.contains("Phường Hưng Dũng") && done.contains("/stats"),
        "{done}"
    );
    let before = h.api.sent(800).len();
    h.ask(&supervisor, "/stats").await;
    let replies = h.api.sent(800).split_off(before);
    let photo = replies
        .iter()
        .find(|s| s.method == "sendphoto")
        .expect("a chart");
    let png = photo.document_bytes.as_ref().expect("uploaded bytes");
    // The last 12 months (the months before the members were introduced
    // drawn without a percentage).
    assert_eq!(lienhe::stats::chart::count_bars(png).unwrap(), 12);
    assert!(
        photo
            .text
            .clone()
            .unwrap()
            .contains("từ 12/2025 đến 11/2026")
    );
    let figures = replies.last().unwrap().text.clone().unwrap();
    assert!(
        figures.contains("Phường Hưng Dũng") && figures.contains("Nhiệm vụ 1: 0"),
        "{figures}"
    );
    let before = h.api.sent(800).len();
    h.ask(&supervisor, "/export").await;
    let doc = h
        .api
        .sent(800)
        .split_off(before)
        .into_iter()
        .find(|s| s.method == "senddocument")
        .expect("an XLSX");
    let strings = part(doc.document_bytes.as_ref().unwrap(), "xl/sharedStrings.xml");
    assert!(strings.contains("Nguyễn Văn An") && !strings.contains("Phạm Thị Hoa"));
    assert!(
        h.ask(&supervisor, "/status")
            .await
            .text
            .unwrap()
            .contains("chỉ dành cho cán bộ")
    );

    // The secretary's chart: participation 100 % in November. The member was
    // introduced in November: the months before have nobody to count.
    let before = h.api.sent(100).len();
    h.ask(&secretary, "/stats").await;
    let photo = h
        .api
        .sent(100)
        .split_off(before)
        .into_iter()
        .find(|s| s.method == "sendphoto")
        .unwrap();
    assert_eq!(
        lienhe::stats::chart::count_bars(photo.document_bytes.as_ref().unwrap()).unwrap(),
        12
    );
    let participation = lienhe::stats::participation(
        &h.pool,
        lienhe::store::yearly::Scope::Cell(cell),
        2026,
        h.app().today(),
        TZ,
    )
    .await
    .unwrap();
    assert_eq!(participation.len(), 12);
    assert_eq!(participation[0].0.display(), "12/2025");
    assert!(participation[..11].iter().all(|(_, share)| share.is_nan()));
    assert_eq!(participation[11].0.display(), "11/2026");
    assert_eq!(participation[11].1, 1.0);

    // The operator's CSV and XLSX exports, by scope.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ward2.csv");
    let args = cli::ExportArgs {
        year: 2026,
        format: cli::ExportFormat::Csv,
        cell: None,
        ward: Some(ward2),
        workplace: None,
        out: out.clone(),
    };
    assert_eq!(
        cli::export_file(&h.pool, &args, h.app().today(), TZ)
            .await
            .unwrap(),
        1
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.contains("Phạm Thị Hoa") && !csv.contains("Nguyễn Văn An"),
        "{csv}"
    );
    // A ward that does not exist: refused, not an empty file.
    let missing = cli::ExportArgs {
        ward: Some(ward2 + 100),
        out: dir.path().join("none.csv"),
        ..args
    };
    let refused = cli::export_file(&h.pool, &missing, h.app().today(), TZ).await;
    assert!(refused.unwrap_err().to_string().contains("no ward with id"));
    assert!(!dir.path().join("none.csv").exists());
    assert!(
        csv.lines().next().unwrap().contains("Nhiệm vụ 1")
            && csv.lines().next().unwrap().contains("Tình trạng phiếu")
    );
}

#[tokio::test]
async fn an_exempt_member_gets_no_reminder_and_no_periodic_sheet() {
    let mut h = Harness::start().await;
    h.set_local(2026, 11, 20, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let out = h
        .admin(Admin::Member {
            command: MemberCommand::Exempt {
                member: membership,
                reason: Some(lienhe::domain::membership::Exemption::FullTimeStudy),
                clear: false,
            },
        })
        .await;
    assert_eq!(out.lines().last().unwrap(), "exempt");

    let list = h.ask(&secretary, "/sheets").await;
    assert!(
        list.text
            .clone()
            .unwrap()
            .contains("miễn sinh hoạt nơi cư trú (đi học tập trung từ 12 tháng trở lên)")
    );
    assert!(list.button_texts().is_empty(), "no sheet to open");
    let (refused, _) = h
        .press_data(&secretary, list.message_id, &format!("so:{membership}"))
        .await;
    assert!(
        refused.params["text"]
            .as_str()
            .unwrap()
            .contains("không lập phiếu")
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 0);

    h.start_sender(lienhe::jobs::sender::SenderConfig::with_rate(50.0))
        .await;
    h.set_local(2026, 11, 25, 8, 0);
    let queued = h.tick().await.month.unwrap();
    assert_eq!(queued.reminders, 0, "exempt: no reminder");
    h.drain().await;
    let digest = h.last(&secretary).text.unwrap();
    assert!(
        digest.contains(
            "Chi bộ khối 5 — 1 đảng viên (trong đó 1 đồng chí miễn sinh hoạt nơi cư trú)"
        ) && !digest.contains("Nguyễn Văn An"),
        "{digest}"
    );

    let cleared = h
        .admin(Admin::Member {
            command: MemberCommand::Exempt {
                member: membership,
                reason: None,
                clear: true,
            },
        })
        .await;
    assert_eq!(cleared.lines().last().unwrap(), "cleared");
    // Cleared again, or exempt twice: said, nothing audited twice.
    let again = cli::admin(
        &h.pool,
        h.app().now(),
        TZ,
        Admin::Member {
            command: MemberCommand::Exempt {
                member: membership,
                reason: None,
                clear: true,
            },
        },
    )
    .await;
    assert!(again.unwrap_err().to_string().contains("is not exempt"));
    let list = h.ask(&secretary, "/sheets").await;
    assert_eq!(list.button_texts(), vec!["1. Nguyễn Văn An"]);

    // Exempt again once the draft is open: the draft goes no further.
    h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let draft = h.last(&secretary);
    h.admin(Admin::Member {
        command: MemberCommand::Exempt {
            member: membership,
            reason: Some(lienhe::domain::membership::Exemption::Barracks),
            clear: false,
        },
    })
    .await;
    let data = draft.buttons()[0].1.clone();
    let (refused, _) = h.press_data(&secretary, draft.message_id, &data).await;
    assert!(
        refused.params["text"]
            .as_str()
            .unwrap()
            .contains("không lập phiếu"),
        "{:?}",
        refused.params
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE state = 'draft'")
            .await,
        1
    );
}

#[tokio::test]
async fn from_september_a_year_at_risk_is_pointed_out() {
    let mut h = Harness::start().await;
    h.set_local(2026, 9, 1, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    sqlx::query(
        "UPDATE memberships SET decided_at = '2026-01-02T00:00:00Z', introduced_on = '2026-01-01'",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    // A contribution of money this month, approved: money alone fills no
    // month, and is no report of contact: the reminder still comes.
    h.set_local(2026, 9, 10, 9, 0);
    let summary = h
        .report_until_summary(&member, "Contribution to local funds", "Today", "Fund", &[])
        .await;
    h.press(&member, &summary, "Submit").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;
    h.start_sender(lienhe::jobs::sender::SenderConfig::with_rate(50.0))
        .await;
    h.set_local(2026, 9, 25, 8, 0);
    h.tick().await;
    h.drain().await;
    let reminder = h.last(&member).text.unwrap();
    assert!(
        reminder.contains("approved activity in no month so far"),
        "{reminder}"
    );
    let digest = h.last(&secretary).text.unwrap();
    assert!(
        digest.contains("Năm 2026 có nguy cơ bị nhận xét chưa thường xuyên")
            && digest.contains("Nguyễn Văn An"),
        "{digest}"
    );
}

/// The September warning counts the period as `/status` and the sheet do:
/// September, still running on the 25th, is judged only once it has
/// approved activity. A member introduced in July and active in July has
/// one month of two (no period of three yet): not warned, nor named in the
/// digest; one introduced in June with the same July has one of three, and
/// is.
#[tokio::test]
async fn the_september_warning_does_not_count_the_month_still_running() {
    let mut h = Harness::start().await;
    h.set_local(2026, 7, 10, 9, 0);
    let secretary = vi_user(100, "Bình");
    let july = en_user(300, "An");
    let june = vi_user(301, "Hoa");
    h.cell_with_member(&secretary, &july).await;
    h.join_approved(&secretary, &june, "Lê Thị Hoa").await;
    sqlx::query(
        "UPDATE memberships SET introduced_on = CASE user_id WHEN 300 THEN '2026-07-01'
                                                             ELSE '2026-06-01' END",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    for (member, kind, today, submit) in [
        (&july, "Other activity", "Today", "Submit"),
        (&june, "Hoạt động khác", "Hôm nay", "Gửi báo cáo"),
    ] {
        let summary = h
            .report_until_summary(member, kind, today, "Dọn vệ sinh khu phố", &[])
            .await;
        h.press(member, &summary, submit).await;
        let card = h.last(&secretary);
        h.press(&secretary, &card, "✅ Duyệt").await;
    }
    h.start_sender(lienhe::jobs::sender::SenderConfig::with_rate(50.0))
        .await;
    h.set_local(2026, 9, 25, 8, 0);
    h.tick().await.month.expect("the round of September");
    h.drain().await;
    let reminder = h.last(&july).text.unwrap();
    assert!(
        says(Some(&reminder), Lang::En, "reminder-member")
            && !reminder.contains("you have approved activity in"),
        "{reminder}"
    );
    let reminder = h.last(&june).text.unwrap();
    assert!(
        reminder.contains("mới có 1 tháng có hoạt động được chi bộ duyệt"),
        "{reminder}"
    );
    let digest = h.last(&secretary).text.unwrap();
    let risk = digest
        .lines()
        .find(|l| l.contains("Năm 2026 có nguy cơ"))
        .unwrap_or_default();
    assert!(
        risk.contains("Lê Thị Hoa") && !risk.contains("Nguyễn Văn An"),
        "{digest}"
    );
}

/// A member whose sheet of the year was signed and sent, exempted
/// afterwards (in December): `/sheets` and the officer's `/status` still
/// list that sheet as signed and sent, not "exempt, no periodic sheet".
#[tokio::test]
async fn a_sheet_signed_before_an_exemption_is_still_listed_as_signed() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 11, 20, 9, 0);
        let Cast {
            secretary,
            member,
            officer,
            membership,
            ..
        } = cast(&h, lang).await;
        let sheet = h.sheet_sent_to_member(&secretary, membership).await;
        let draft = h
            .api
            .sent(member.id)
            .into_iter()
            .rev()
            .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ma:")))
            .unwrap();
        let accept = label_of(&draft, "ma:").expect("Accept");
        h.press(&member, &draft, &accept).await;
        h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
        h.drain().await;
        h.set_local(2026, 12, 2, 9, 0);
        exempt(&h, membership, Some(Exemption::FullTimeStudy)).await;
        let signed = lienhe::i18n::loader(lang).get("sheet-state-signed");
        let exempt_line = |text: &str| says(Some(text), lang, "sheets-exempt");
        let list = h.ask(&secretary, "/sheets").await.text.unwrap();
        assert!(list.contains(&signed) && !exempt_line(&list), "{list}");
        let status = h.ask(&officer, "/status").await.text.unwrap();
        assert!(
            status.contains(&signed) && !exempt_line(&status),
            "{status}"
        );
    }
}

/// A member who is also the only officer of their workplace in the bot is
/// not "the workplace" for their own sheet: the signed sheet reaches them
/// once, as the member's copy, and is kept as for a workplace without
/// officers (the workplace must not get it through the person it is about).
#[tokio::test]
async fn a_member_who_is_their_workplaces_officer_is_not_sent_the_workplaces_copy() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(300).await;
    let workplace: i64 = sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE id = ?")
        .bind(membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.ask(
        &member,
        &format!("/start {}", h.officer_code(workplace).await),
    )
    .await;
    h.set_local(2026, 12, 10, 9, 0);
    let sheet = h.sheet_sent_to_member(&secretary, membership).await;
    h.press_data(&member, 1, &format!("ma:{sheet}")).await;
    h.drain().await;
    let before = h.api.sent_count(member.id);
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;
    let got = h.api.sent(member.id).split_off(before);
    assert_eq!(
        got.iter().filter(|s| s.method == "senddocument").count(),
        2,
        "the member's own copy only: {got:?}"
    );
    assert_eq!(
        h.count("SELECT delivered_officers FROM sheets WHERE state = 'signed'")
            .await,
        0
    );
    let list = h.ask(&secretary, "/sheets 2026").await.text.unwrap();
    assert!(
        says(Some(&list), Lang::Vi, "sheet-state-signed-kept"),
        "{list}"
    );
}

/// A large cell's export says its count as each language writes it:
/// "1.250 đảng viên", "1,250 members" (Fluent alone writes "1250").
#[tokio::test]
async fn a_large_cells_export_groups_the_thousands_of_its_count() {
    for (secretary, grouped) in [
        (vi_user(100, "Bình"), "Chi bộ khối 5 (1.250 đảng viên)"),
        (en_user(100, "Binh"), "Chi bộ khối 5 (1,250 members)"),
    ] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        insert_members(&h, cell, None, 1000, 1250, "approved").await;
        h.api.text(&secretary, "/export");
        h.wait_documents(secretary.id, 1).await;
        let caption = h.last(&secretary).text.unwrap_or_default();
        assert!(caption.contains(grouped), "{caption}");
    }
}

/// The operator exempts the member (`Some`) or lifts their exemption.
async fn exempt(h: &Harness, membership: i64, reason: Option<Exemption>) {
    h.admin(Admin::Member {
        command: MemberCommand::Exempt {
            member: membership,
            clear: reason.is_none(),
            reason,
        },
    })
    .await;
}

/// Exempted in January (a year of full-time study begins): the year just
/// ended was owed in full, so its sheet is the full one, not "exempt, no
/// periodic sheet", in /sheets, the draft, the officer's /status and the
/// signed sheet alike.
#[tokio::test]
async fn an_exemption_begun_in_january_leaves_last_years_sheet_a_full_one() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 2, 10, 9, 0);
        let Cast {
            secretary,
            member,
            officer,
            membership,
            ..
        } = cast(&h, lang).await;
        h.set_local(2027, 1, 10, 9, 0);
        exempt(&h, membership, Some(Exemption::FullTimeStudy)).await;
        h.drain().await;
        h.set_local(2027, 1, 12, 9, 0);
        let exempt_line = |text: &str| says(Some(text), lang, "sheets-exempt");
        // 2026 was owed in full: listed with its sheet to open.
        let list = h.ask(&secretary, "/sheets").await;
        let text = list.text.clone().unwrap();
        assert!(!exempt_line(&text), "{text}");
        assert!(
            list.buttons()
                .iter()
                .any(|(_, d)| *d == format!("yo:{membership}:2026")),
            "{list:?}"
        );
        let status = h.ask(&officer, "/status").await.text.unwrap();
        assert!(!exempt_line(&status), "{status}");
        // The draft is the full one: its six criteria can be chosen, sent
        // and signed.
        let sheet = h.sheet_sent_to_member(&secretary, membership).await;
        let draft = h
            .api
            .sent(member.id)
            .into_iter()
            .rev()
            .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ma:")))
            .expect("the draft reached the member");
        let accept = label_of(&draft, "ma:").expect("Accept");
        h.press(&member, &draft, &accept).await;
        h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
        h.drain().await;
        let (state, content): (String, String) =
            sqlx::query_as("SELECT state, content FROM sheets WHERE id = ?")
                .bind(sheet)
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert_eq!(state, "signed");
        assert!(!content.contains("full-time-study"), "{content}");
        // This year (2027) the member is exempt: no periodic sheet.
        h.set_local(2027, 11, 5, 9, 0);
        let list = h.ask(&secretary, "/sheets").await.text.unwrap();
        assert!(exempt_line(&list), "{list}");
    }
}

/// Exempt from February 2026 (a year of full-time study) to 15 January
/// 2027: exempt when 2026 ended, so 2026 has no periodic sheet of theirs,
/// as the lift came only in the new year; 2027 is owed from February.
#[tokio::test]
async fn an_exemption_lifted_in_january_still_covers_the_year_before() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 2, 10, 9, 0);
        let Cast {
            secretary,
            officer,
            membership,
            ..
        } = cast(&h, lang).await;
        h.set_local(2026, 2, 12, 9, 0);
        exempt(&h, membership, Some(Exemption::FullTimeStudy)).await;
        h.set_local(2027, 1, 15, 9, 0);
        exempt(&h, membership, None).await;
        h.drain().await;
        h.set_local(2027, 1, 20, 9, 0);
        let exempt_line = |text: &str| says(Some(text), lang, "sheets-exempt");
        let list = h.ask(&secretary, "/sheets").await;
        let text = list.text.clone().unwrap();
        assert!(exempt_line(&text), "{text}");
        let status = h.ask(&officer, "/status").await.text.unwrap();
        assert!(exempt_line(&status), "{status}");
        // An Open pressed on an older list is refused: no periodic sheet.
        let (call, _) = h
            .press_data(
                &secretary,
                list.message_id,
                &format!("yo:{membership}:2026"),
            )
            .await;
        let alert = call.params["text"].as_str().unwrap_or_default().to_string();
        assert!(says(Some(&alert), lang, "sheet-exempt-none"), "{alert}");
        let sheets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sheets")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(sheets, 0);
    }
}

/// /sheets listed a draft the member had accepted, or responded to, as
/// "with the member", as if still waiting for them: it now says the member
/// accepted it (or responded) and it waits to be signed; a draft not
/// answered is still "with the member". In the secretary's language.
#[tokio::test]
async fn sheets_lists_a_draft_the_member_accepted_or_responded_to_as_such() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let (accepts, responds, silent) =
            (vi_user(300, "An"), vi_user(301, "Bảo"), vi_user(302, "Chi"));
        h.cell_with_member(&secretary, &accepts).await;
        h.join_approved(&secretary, &responds, "Lê Văn Bảo").await;
        h.join_approved(&secretary, &silent, "Phạm Thị Chi").await;
        for member in [&accepts, &responds, &silent] {
            let membership = h.membership_of(member.id).await;
            h.sheet_sent_to_member(&secretary, membership).await;
        }
        h.drain().await;
        let draft = |member: &TgUser| {
            h.api
                .sent(member.id)
                .into_iter()
                .rev()
                .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ma:")))
                .expect("the draft sent to the member")
        };
        let sent = draft(&accepts);
        h.press_data(&accepts, sent.message_id, &data_of(&sent, "ma:"))
            .await;
        let sent = draft(&responds);
        h.press_data(&responds, sent.message_id, &data_of(&sent, "mr:"))
            .await;
        h.ask(&responds, "Tôi đề nghị bổ sung việc tham gia dọn vệ sinh.")
            .await;
        h.drain().await;

        let list = h.ask(&secretary, "/sheets").await.text.unwrap();
        let line = |name: &str| {
            list.lines()
                .find(|l| l.contains(name))
                .unwrap_or_else(|| panic!("{name}: {list}"))
                .to_string()
        };
        let state = |id: &str| format!(" — {}", text_of(lang, id));
        assert!(
            line("Nguyễn Văn An").ends_with(&state("sheet-state-accepted")),
            "{list}"
        );
        assert!(
            line("Lê Văn Bảo").ends_with(&state("sheet-state-responded")),
            "{list}"
        );
        assert!(
            line("Phạm Thị Chi").ends_with(&state("sheet-state-with-member")),
            "{list}"
        );
    }
}

/// A text of `count` characters: markup shown as typed, then emoji and
/// letters outside the basic plane (two units each, as Telegram counts),
/// ending with `end`.
fn widest(count: usize, end: &str) -> String {
    let markup = "🌳<b>&amp;\"</i>_x_`ễ ";
    let body = count - markup.chars().count() - end.chars().count();
    let wide: String = "🌲𠀁".chars().cycle().take(body).collect();
    let text = format!("{markup}{wide}{end}");
    assert_eq!(text.chars().count(), count);
    text
}

/// The secretary's remarks and the member's response, both at their
/// longest (1,000 characters) and of the widest characters, do not fit one
/// message together: the sheet's view keeps the remarks whole and the
/// start of the response, saying that it was shortened and where it is
/// whole (the message telling the secretary of it); nothing is cut after
/// it unsaid, and Telegram refuses nothing.
async fn longest_remarks_and_response(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    let sheet = h.open_sheet(&secretary, membership).await;
    for c in 0..6 {
        h.press_data(&secretary, 1, &format!("sl:{sheet}:{c}:0"))
            .await;
    }
    let remarks = widest(1000, "END-OF-REMARKS");
    h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
    h.ask(&secretary, &remarks).await;
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    h.drain().await;
    let draft = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("mr:")))
        .expect("the draft sent to the member");
    assert!(draft.text.clone().unwrap().contains(&remarks));
    h.press_data(&member, draft.message_id, &data_of(&draft, "mr:"))
        .await;
    let response = widest(1000, "END-OF-RESPONSE");
    h.ask(&member, &response).await;
    h.drain().await;
    // Told whole.
    assert!(
        h.api
            .sent(secretary.id)
            .iter()
            .any(|s| s.text.as_deref().is_some_and(|t| t.contains(&response))),
        "the secretary is told the whole response"
    );
    h.press_data(&secretary, 1, &format!("so:{membership}"))
        .await;
    let view = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rev()
        .find(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("END-OF-REMARKS"))
        })
        .expect("the sheet's view");
    let text = view.text.unwrap();
    assert!(text.contains(&remarks), "the remarks whole: {text}");
    let shortened = text_of(lang, "sheet-response-shortened");
    assert!(text.ends_with(&shortened), "{text}");
    let start: String = response.chars().take(100).collect();
    assert!(text.contains(&start), "{text}");
    assert!(text.encode_utf16().count() <= 4096);
    // (Presses on message 1 stand for the buttons: its edits are refused.)
    let refused: Vec<_> = h
        .api
        .refused()
        .into_iter()
        .filter(|c| c.params["message_id"] != 1)
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
}

#[tokio::test]
async fn the_longest_remarks_and_response_are_both_read_in_the_sheets_view() {
    longest_remarks_and_response(Lang::Vi).await;
}

#[tokio::test]
async fn the_longest_remarks_and_response_are_both_read_in_the_sheets_view_in_english() {
    longest_remarks_and_response(Lang::En).await;
}

/// The one document of `replies` (an XLSX): its caption and its sheet's
/// name as written in the workbook.
fn workbook_of(replies: &[Sent]) -> (String, String, Vec<Vec<String>>) {
    let doc = replies
        .iter()
        .find(|s| s.method == "senddocument")
        .unwrap_or_else(|| panic!("no workbook: {replies:?}"));
    let bytes = doc.document_bytes.as_deref().unwrap();
    let rows = lienhe::roster_file::grid(bytes)
        .unwrap()
        .into_iter()
        .map(|(_, row)| row)
        .collect();
    (
        doc.text.clone().unwrap_or_default(),
        part(bytes, "xl/workbook.xml"),
        rows,
    )
}

/// The turn of the year with the injected clock (Asia/Ho_Chi_Minh): at
/// 31/12 23:59 and at 01/01 00:01 every yearly view (`/myreports`,
/// `/sheets`, `/stats`, `/export` and its worksheet, `/status`) is of the
/// year ending, the review year, and names it; `/myreports` on 01/01 says
/// the new year has nothing yet, then lists the old one; `/members` is of
/// the month it is. A report sent on 31/12 at 23:50 and approved on 02/01
/// is counted in 2026 (its activity date) by every view, and January's
/// reminder and digests name January and the sheets of 2026.
async fn the_turn_of_the_year(lang: Lang) {
    use lienhe::t;
    let h = Harness::start().await;
    h.set_local(2026, 6, 3, 9, 0);
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let officer = user_in(lang, 700, "Cán bộ");
    let code = h.officer_code(1).await;
    h.ask(&officer, &format!("/start {code}")).await;
    h.ask(&officer, "Lê Văn Cán").await;
    let supervisor = user_in(lang, 800, "Giám sát");
    let code = h.supervisor_code(1).await;
    h.ask(&supervisor, &format!("/start {code}")).await;
    h.ask(&supervisor, "Hồ Văn Giám").await;
    let (kind, today, submit, approve) = match lang {
        Lang::Vi => (
            "Sinh hoạt, họp chi bộ nơi cư trú",
            "Hôm nay",
            "Gửi báo cáo",
            "✅ Duyệt",
        ),
        Lang::En => ("Residence cell meeting", "Today", "Submit", "✅ Approve"),
    };
    // June: one approved report.
    let summary = h
        .report_until_summary(&member, kind, today, "Họp tháng 6", &[])
        .await;
    h.press(&member, &summary, submit).await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, approve).await;
    // 31/12 at 23:50: a report dated today, left waiting.
    h.set_local(2026, 12, 31, 23, 50);
    let summary = h
        .report_until_summary(&member, kind, today, "Họp cuối năm", &[])
        .await;
    h.press(&member, &summary, submit).await;
    let card = h.last(&secretary);
    assert!(
        card.text.as_deref().unwrap().contains("31/12/2026"),
        "{card:?}"
    );

    let cell = "Chi bộ khối 5";
    let ward = "Phường Hưng Dũng";
    let workplace = "Sở Tư pháp tỉnh Nghệ An";
    let mine_2026 = |approved: usize| {
        t!(
            lang,
            "myreports-header",
            year = 2026,
            total = 2,
            approved = approved
        )
    };
    for (minute, month) in [
        ((2026, 12, 31, 23, 59), "12/2026"),
        ((2027, 1, 1, 0, 1), "01/2027"),
    ] {
        let (y, m, d, hh, mm) = minute;
        h.set_local(y, m, d, hh, mm);
        let at = format!("{lang:?} {d:02}/{m:02}/{y} {hh:02}:{mm:02}");
        // The member: the old year's reports, the waiting one among them;
        // on 01/01 first that the new year has none yet.
        let mine = h.ask(&member, "/myreports").await.text.unwrap();
        assert!(mine.contains(&mine_2026(1)), "{at}: {mine}");
        assert!(mine.contains("31/12/2026"), "{at}: {mine}");
        let empty_2027 = t!(lang, "myreports-empty", year = 2027);
        if y == 2027 {
            assert!(mine.starts_with(&empty_2027), "{at}: {mine}");
        } else {
            assert!(!mine.contains("2027"), "{at}: {mine}");
        }
        // The secretary: /members is of the month it is; /sheets,
        // /stats and /export of 2026.
        let members = h.say(&secretary, "/members").await[0].text.clone().unwrap();
        assert!(
            says(Some(&members), lang, "members-header"),
            "{at}: {members}"
        );
        assert!(
            members.starts_with(&format!("{cell} — ")) && members.contains(month),
            "{at}: {members}"
        );
        let sheets = h.ask(&secretary, "/sheets").await.text.unwrap();
        assert!(says(Some(&sheets), lang, "sheets-header"), "{at}: {sheets}");
        assert!(
            sheets.contains("2026") && !sheets.contains("2027"),
            "{at}: {sheets}"
        );
        for (reader, scope) in [(&secretary, cell), (&supervisor, ward)] {
            let figures = h.ask(reader, "/stats").await.text.unwrap();
            assert!(
                figures.starts_with(&t!(lang, "stats-duties-header", scope = scope, year = 2026)),
                "{at}: {figures}"
            );
            assert!(!figures.contains("2027"), "{at}: {figures}");
        }
        for (reader, scope) in [
            (&secretary, cell),
            (&supervisor, ward),
            (&officer, workplace),
        ] {
            let replies = h.say(reader, "/export").await;
            let (caption, book, rows) = workbook_of(&replies);
            assert!(
                says(Some(&caption), lang, "export-caption"),
                "{at}: {caption}"
            );
            assert!(
                caption.contains("2026") && caption.contains(scope) && !caption.contains("2027"),
                "{at}: {caption}"
            );
            assert!(book.contains("name=\"2026\""), "{at}: {book}");
            assert_eq!(rows.len(), 2, "{at}: {rows:?}");
        }
        // The workplace: /status of 2026, the member's June report.
        let status = h.ask(&officer, "/status").await.text.unwrap();
        assert!(says(Some(&status), lang, "status-header"), "{at}: {status}");
        assert!(
            status.starts_with(&format!("{workplace} — ")) && status.contains("2026"),
            "{at}: {status}"
        );
        assert!(status.contains("03/06/2026"), "{at}: {status}");
    }

    // 02/01: the secretary approves the report of 31/12. It is 2026's.
    h.set_local(2027, 1, 2, 9, 0);
    h.press(&secretary, &card, approve).await;
    let mine = h.ask(&member, "/myreports").await.text.unwrap();
    assert!(mine.contains(&mine_2026(2)), "{lang:?}: {mine}");
    assert!(
        mine.starts_with(&t!(lang, "myreports-empty", year = 2027)),
        "{lang:?}: {mine}"
    );
    let status = h.ask(&officer, "/status").await.text.unwrap();
    assert!(
        status.contains("2026") && status.contains("31/12/2026"),
        "{lang:?}: {status}"
    );
    assert!(!status.contains("⚠️"), "no longer silent: {status}");
    for (reader, scope) in [(&secretary, cell), (&supervisor, ward)] {
        let figures = h.ask(reader, "/stats").await.text.unwrap();
        assert!(
            figures.starts_with(&t!(lang, "stats-duties-header", scope = scope, year = 2026)),
            "{lang:?}: {figures}"
        );
        let line = t!(lang, "stats-duty-line", duty = 3, count = 2);
        assert!(figures.contains(&line), "{lang:?}: {figures}");
    }
    for reader in [&secretary, &supervisor, &officer] {
        let replies = h.say(reader, "/export").await;
        let (caption, _, rows) = workbook_of(&replies);
        assert!(caption.contains("2026"), "{lang:?}: {caption}");
        // Duty 3 and the total: both reports.
        assert_eq!(
            (rows[1][7].as_str(), rows[1][12].as_str()),
            ("2", "2"),
            "{rows:?}"
        );
    }

    // January's round (25/01, 08:00): January is the month, 2026 the
    // year whose sheets are still to sign.
    let before: Vec<usize> = [300, 100, 700]
        .iter()
        .map(|u| h.api.sent_count(*u))
        .collect();
    h.set_local(2027, 1, 25, 8, 0);
    h.tick().await;
    h.drain().await;
    let got = |i: usize, user: i64| -> String {
        h.api
            .sent(user)
            .split_off(before[i])
            .into_iter()
            .filter_map(|s| s.text)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let to_member = got(0, 300);
    assert!(
        says(Some(&to_member), lang, "reminder-member"),
        "{to_member}"
    );
    assert!(
        to_member.contains("01/2027") && !to_member.contains("2026"),
        "{to_member}"
    );
    let digest = got(1, 100);
    assert!(
        digest.starts_with(&t!(lang, "digest-header", month = "01/2027")),
        "{digest}"
    );
    assert!(
        digest.contains(&t!(
            lang,
            "digest-unsigned",
            year = 2026,
            count = 1,
            names = "Nguyễn Văn An",
            until = "31/03/2027"
        )),
        "{digest}"
    );
    let officers = got(2, 700);
    assert!(
        officers.starts_with(&t!(lang, "officer-digest-header", month = "01/2027")),
        "{officers}"
    );
    assert!(
        officers.contains(&t!(
            lang,
            "officer-digest-unsigned",
            year = 2026,
            count = 1,
            names = "Nguyễn Văn An"
        )),
        "{officers}"
    );

    // The review season ends with 31/03: until then the views are of
    // 2026; from 01/04 of 2027.
    for ((y, m, d, hh, mm), year, other) in [
        ((2027, 3, 31, 23, 59), 2026, "2027"),
        ((2027, 4, 1, 0, 1), 2027, "2026"),
    ] {
        h.set_local(y, m, d, hh, mm);
        let at = format!("{lang:?} {d:02}/{m:02}/{y} {hh:02}:{mm:02}");
        for (reader, scope) in [(&secretary, cell), (&supervisor, ward)] {
            let figures = h.ask(reader, "/stats").await.text.unwrap();
            assert!(
                figures.starts_with(&t!(lang, "stats-duties-header", scope = scope, year = year)),
                "{at}: {figures}"
            );
        }
        for reader in [&secretary, &supervisor, &officer] {
            let replies = h.say(reader, "/export").await;
            let (caption, book, _) = workbook_of(&replies);
            assert!(
                caption.contains(&year.to_string()) && !caption.contains(other),
                "{at}: {caption}"
            );
            assert!(book.contains(&format!("name=\"{year}\"")), "{at}: {book}");
        }
        let status = h.ask(&officer, "/status").await.text.unwrap();
        assert!(
            status
                .lines()
                .next()
                .is_some_and(|l| l.contains(&year.to_string()) && !l.contains(other)),
            "{at}: {status}"
        );
    }
}

#[tokio::test]
async fn the_turn_of_the_year_shows_the_year_each_view_is_of() {
    the_turn_of_the_year(Lang::Vi).await;
}

#[tokio::test]
async fn the_turn_of_the_year_shows_the_year_each_view_is_of_in_english() {
    the_turn_of_the_year(Lang::En).await;
}
