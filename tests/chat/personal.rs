//! Personal data (issue 12): `/mydata` (exactly the asker's data, as XLSX
//! and JSON), `/forgetme` (confirmation, erasure in one audited
//! transaction, signed records kept, the secretary told, idempotent) and
//! logs that never carry a phone number, a description or a reason.

use std::{
    io::{Read, Write},
    sync::{Arc, Mutex},
};

use lienhe::{domain::Lang, store::audit::ChainCheck};
use serde_json::Value;

use crate::common::*;

const PHONE: &str = "0912345678";
const OTHER_PHONE: &str = "0987654321";
const DESCRIPTION: &str = "Dọn vệ sinh ngõ 7 cùng tổ dân phố";
const OTHER_DESCRIPTION: &str = "Vận động bầu cử tại nhà văn hóa";

fn text_of(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

fn member_user(id: i64, lang: Lang) -> TgUser {
    let mut user = user_in(lang, id, "An");
    user.last_name = Some("Nguyễn".into());
    user.username = Some("an_nguyen".into());
    user
}

/// The join dialogue with a typed phone number, first workplace, this month.
async fn join_with_phone(h: &Harness, member: &TgUser, code: &str, name: &str, phone: &str) {
    let lang = lang_of(member);
    h.ask(member, &format!("/start {code}")).await;
    h.ask(member, name).await;
    h.ask(member, phone).await;
    let workplaces = h.last(member);
    let first = workplaces.buttons()[0].0.clone();
    h.press(member, &workplaces, &first).await;
    let introduced = h.last(member);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(member, &introduced, &this_month).await;
    let summary = h.last(member);
    h.press(member, &summary, &text_of(lang, "button-confirm"))
        .await;
}

/// The secretary approves the item on their last message.
async fn approve_last(h: &Harness, secretary: &TgUser) {
    let card = h.last(secretary);
    h.press(secretary, &card, "✅ Duyệt").await;
}

/// A submitted report (kind "other", today).
async fn report(h: &Harness, member: &TgUser, description: &str) {
    let lang = lang_of(member);
    let (kind, today, submit) = match lang {
        Lang::Vi => ("Hoạt động khác", "Hôm nay", "Gửi báo cáo"),
        Lang::En => ("Other activity", "Today", "Submit"),
    };
    let summary = h
        .report_until_summary(member, kind, today, description, &[])
        .await;
    h.press(member, &summary, submit).await;
}

/// A cell with a Vietnamese secretary (100), the member (300, with a phone
/// and an approved report) and another member (301, with their own phone
/// and approved report).
async fn two_members(h: &Harness, member: &TgUser) -> TgUser {
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    join_with_phone(h, member, &code, "Nguyễn Văn An", PHONE).await;
    approve_last(h, &secretary).await;
    let mut other = vi_user(301, "Chi");
    other.username = Some("chi_le".into());
    join_with_phone(h, &other, &code, "Lê Thị Chi", OTHER_PHONE).await;
    approve_last(h, &secretary).await;
    report(h, member, DESCRIPTION).await;
    approve_last(h, &secretary).await;
    report(h, &other, OTHER_DESCRIPTION).await;
    approve_last(h, &secretary).await;
    secretary
}

/// The documents /mydata sent: (XLSX bytes, JSON).
pub(crate) async fn my_data(h: &Harness, user: &TgUser) -> (Vec<u8>, Value) {
    let before = h
        .api
        .sent(user.id)
        .iter()
        .filter(|s| s.method == "senddocument")
        .count();
    h.api.text(user, "/mydata");
    h.wait_documents(user.id, before + 2).await;
    let docs: Vec<Sent> = h
        .api
        .sent(user.id)
        .into_iter()
        .filter(|s| s.method == "senddocument")
        .skip(before)
        .collect();
    assert_eq!(docs.len(), 2);
    let xlsx = docs[0].document_bytes.clone().expect("the XLSX");
    assert!(docs[0].file.as_deref().unwrap().ends_with(".xlsx"));
    assert!(docs[1].file.as_deref().unwrap().ends_with(".json"));
    let json = serde_json::from_slice(docs[1].document_bytes.as_deref().unwrap()).unwrap();
    (xlsx, json)
}

/// Every part of an Office file, as text.
fn all_parts(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            all.push_str(&text);
        }
    }
    all
}

async fn mydata_holds_exactly_the_askers_data(lang: Lang) {
    let h = Harness::start().await;
    let member = member_user(300, lang);
    two_members(&h, &member).await;
    // A workplace asked for a comment on the member, with its reason.
    let workplace = lienhe::store::workplaces::add(&h.pool, "Sở Nội vụ", h.app().now())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO comment_requests (workplace_id, officer_id, membership_id, reason_kind,
             reason_text, period_from, period_to, due_on, state, token, created_at, updated_at)
         SELECT ?, 100, id, 'other', 'Xét khen thưởng riêng', '2026-01-01', '2026-11-30',
             '2026-12-20', 'requested', 'tok', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z'
         FROM memberships WHERE user_id = 300",
    )
    .bind(workplace)
    .execute(&h.pool)
    .await
    .unwrap();

    let (xlsx, json) = my_data(&h, &member).await;
    let workbook = part(&xlsx, "xl/workbook.xml");
    for sheet in [
        "mydata-sheet-profile",
        "mydata-sheet-memberships",
        "mydata-sheet-workplace-changes",
        "mydata-sheet-reports",
        "mydata-sheet-sheets",
        "mydata-sheet-requests",
        "mydata-sheet-meetings",
    ] {
        assert!(
            workbook.contains(&text_of(lang, sheet)),
            "{sheet}: {workbook}"
        );
    }
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    for mine in [
        "Nguyễn Văn An",
        PHONE,
        "an_nguyen",
        "An Nguyễn",
        DESCRIPTION,
        "Chi bộ khối 5",
        "Phường Hưng Dũng",
        // Who decided: the only other person named.
        "Trần Thị Bình",
        "Xét khen thưởng riêng",
        "Sở Nội vụ",
    ] {
        assert!(strings.contains(mine), "{mine} in the XLSX");
    }
    assert_eq!(
        json["comment_requests"][0]["reason_text"],
        "Xét khen thưởng riêng"
    );
    let everything = all_parts(&xlsx);
    for theirs in ["Lê Thị Chi", OTHER_PHONE, "chi_le", OTHER_DESCRIPTION] {
        assert!(!everything.contains(theirs), "{theirs} is not in the XLSX");
    }

    assert_eq!(json["profile"]["telegram_id"], 300);
    assert_eq!(json["profile"]["phone"], PHONE);
    assert_eq!(json["profile"]["telegram_username"], "an_nguyen");
    assert_eq!(json["memberships"].as_array().unwrap().len(), 1);
    assert_eq!(json["memberships"][0]["phone"], PHONE);
    assert_eq!(json["memberships"][0]["status"], "approved");
    assert_eq!(json["memberships"][0]["decided_by"], "Trần Thị Bình");
    // The exemption's dates, which decide the months judged, are shown too.
    let membership = json["memberships"][0].as_object().unwrap();
    assert!(membership.contains_key("exempt_since") && membership.contains_key("exempt_until"));
    for header in ["mydata-col-exempt-since", "mydata-col-exempt-until"] {
        assert!(strings.contains(&text_of(lang, header)), "{header}");
    }
    let reports = json["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["description"], DESCRIPTION);
    assert_eq!(reports[0]["status"], "approved");
    assert_eq!(reports[0]["decided_by"], "Trần Thị Bình");
    let raw = json.to_string();
    for theirs in ["Lê Thị Chi", OTHER_PHONE, "chi_le", OTHER_DESCRIPTION] {
        assert!(!raw.contains(theirs), "{theirs} is not in the JSON");
    }

    // Somebody with no membership gets a profile only.
    let stranger = match lang {
        Lang::Vi => vi_user(500, "Khách"),
        Lang::En => en_user(500, "Guest"),
    };
    let (xlsx, json) = my_data(&h, &stranger).await;
    assert_eq!(json["profile"]["telegram_id"], 500);
    for list in [
        "roles",
        "memberships",
        "reports",
        "sheets",
        "meetings",
        "comment_requests",
        "workplace_changes",
        "introductions",
    ] {
        assert_eq!(json[list].as_array().unwrap().len(), 0, "{list}");
    }
    let everything = all_parts(&xlsx);
    for other in ["Nguyễn Văn An", PHONE, DESCRIPTION, "Lê Thị Chi"] {
        assert!(!everything.contains(other));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_holds_exactly_the_askers_data_vi() {
    mydata_holds_exactly_the_askers_data(Lang::Vi).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_holds_exactly_the_askers_data_en() {
    mydata_holds_exactly_the_askers_data(Lang::En).await;
}

/// A member has the yearly comment sheet of 2026 and a comment of 2026 a
/// workplace asked for on 20/11/2026: /mydata listed them alike (only the
/// id told them apart). Each is marked with its kind, in the XLSX (in the
/// member's language) and in the JSON.
async fn mydata_tells_a_requested_sheet_from_the_yearly_one(lang: Lang) {
    let h = Harness::start().await;
    let member = member_user(300, lang);
    two_members(&h, &member).await;
    let workplace = lienhe::store::workplaces::add(&h.pool, "Sở Nội vụ", h.app().now())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO comment_requests (id, workplace_id, officer_id, membership_id, reason_kind,
             reason_text, period_from, period_to, due_on, state, token, created_at, updated_at)
         SELECT 7, ?, 100, id, 'other', 'Xét khen thưởng riêng', '2026-01-01', '2026-11-30',
             '2026-12-20', 'drafting', 'tok', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z'
         FROM memberships WHERE user_id = 300",
    )
    .bind(workplace)
    .execute(&h.pool)
    .await
    .unwrap();
    for request in [None, Some(7)] {
        sqlx::query(
            "INSERT INTO sheets (membership_id, year, state, criteria, remarks, created_at,
                                 updated_at, request_id)
             SELECT id, 2026, 'draft', '[null,null,null,null,null,null]', '',
                    '2026-11-21T00:00:00Z', '2026-11-21T00:00:00Z', ?
             FROM memberships WHERE user_id = 300",
        )
        .bind(request)
        .execute(&h.pool)
        .await
        .unwrap();
    }

    let (xlsx, json) = my_data(&h, &member).await;
    let sheets = json["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), 2, "{json}");
    assert_eq!(sheets[0]["kind"], "yearly");
    assert!(sheets[0]["request_id"].is_null());
    assert_eq!(sheets[1]["kind"], "request");
    assert_eq!(sheets[1]["request_id"], 7);
    assert_eq!(sheets[1]["requested_at"], "2026-11-20T00:00:00Z");
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    let yearly = text_of(lang, "mydata-sheet-kind-yearly");
    let requested = lienhe::t!(lang, "mydata-sheet-kind-request", date = "20/11/2026");
    for kind in [&yearly, &requested] {
        assert!(strings.contains(kind.as_str()), "{kind}: {strings}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_tells_a_requested_sheet_from_the_yearly_one_vi() {
    mydata_tells_a_requested_sheet_from_the_yearly_one(Lang::Vi).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_tells_a_requested_sheet_from_the_yearly_one_en() {
    mydata_tells_a_requested_sheet_from_the_yearly_one(Lang::En).await;
}

/// Every exemption period is stored (they decide the months judged), so
/// /mydata shows every one, with its reason, start and end: An is exempt
/// (barracks) from 05/03 to 10/06, then (studying away) from 10/09 on.
/// Both used to be reduced to the membership's current one.
async fn mydata_shows_every_exemption_period(lang: Lang) {
    use lienhe::{
        cli::{Admin, MemberCommand},
        domain::membership::Exemption,
        sheet::build::exemption_label,
    };
    let h = Harness::start().await;
    h.set_local(2026, 1, 5, 9, 0);
    let secretary = vi_user(100, "Bình");
    let member = member_user(300, lang);
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(300).await;
    let exempt = |reason: Option<Exemption>| Admin::Member {
        command: MemberCommand::Exempt {
            member: membership,
            reason,
            clear: reason.is_none(),
        },
    };
    h.set_local(2026, 3, 5, 9, 0);
    h.admin(exempt(Some(Exemption::Barracks))).await;
    h.set_local(2026, 6, 10, 9, 0);
    h.admin(exempt(None)).await;
    h.set_local(2026, 9, 10, 9, 0);
    h.admin(exempt(Some(Exemption::StudentAway))).await;

    let (xlsx, json) = my_data(&h, &member).await;
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert!(
        workbook.contains(&text_of(lang, "mydata-sheet-exemptions")),
        "{workbook}"
    );
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    for shown in [
        exemption_label(lang, Exemption::Barracks),
        exemption_label(lang, Exemption::StudentAway),
        "05/03/2026".to_owned(),
        "10/06/2026".to_owned(),
        "10/09/2026".to_owned(),
    ] {
        assert!(strings.contains(&shown), "{shown} in the XLSX");
    }
    let periods = json["exemptions"].as_array().expect("the exemptions");
    assert_eq!(periods.len(), 2, "{periods:?}");
    assert_eq!(periods[0]["reason"], "barracks");
    assert!(periods[0]["since"].is_string() && periods[0]["until"].is_string());
    assert_eq!(periods[1]["reason"], "student-away");
    assert!(periods[1]["since"].is_string() && periods[1]["until"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_shows_every_exemption_period_vi() {
    mydata_shows_every_exemption_period(Lang::Vi).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_shows_every_exemption_period_en() {
    mydata_shows_every_exemption_period(Lang::En).await;
}

/// The secretary (Vietnamese) writes and signs the member's sheet, which
/// the member accepted; returns its verification code.
async fn signed_sheet(h: &Harness, secretary: &TgUser, member: &TgUser) -> String {
    let list = h.ask(secretary, "/sheets").await;
    let open = list
        .buttons()
        .into_iter()
        .find(|(label, _)| label.contains("Nguyễn Văn An"))
        .expect("the member's sheet button")
        .0;
    let (_, opened) = h.press(secretary, &list, &open).await;
    let draft = opened.last().unwrap().clone();
    for level in [
        "1. Nêu gương tốt",
        "2. Gương mẫu đi đầu",
        "3. Tham gia đầy đủ",
        "4. Thường xuyên, tích cực",
        "5. Rất tích cực",
        "6. Biểu dương",
    ] {
        let current = h.current(&draft);
        if current.button_data(&format!("✓ {level}")).is_none() {
            h.press(secretary, &current, level).await;
        }
    }
    h.press(secretary, &h.current(&draft), "📤 Gửi đảng viên xem")
        .await;
    let to_member = h.last(member);
    let accept = label_of(&to_member, "ma:").expect("Accept");
    h.press(member, &to_member, &accept).await;
    let notice = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rev()
        .find(|s| label_of(s, "sg:").is_some())
        .expect("the sign button");
    h.press(secretary, &notice, &label_of(&notice, "sg:").unwrap())
        .await;
    h.wait_documents(member.id, 2).await;
    h.drain().await;
    sqlx::query_scalar("SELECT code FROM sheets WHERE state = 'signed'")
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

async fn audit_verify(h: &Harness) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_lienhe"))
        .current_dir(std::env::temp_dir())
        .args(["audit", "verify"])
        .env("DATABASE_URL", &h.db_url)
        .env_remove("TELOXIDE_TOKEN")
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "lienhe audit verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(matches!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

async fn forgetme_keeps_the_signed_sheet_and_erases_the_rest(lang: Lang) {
    let h = Harness::start().await;
    let member = member_user(300, lang);
    let secretary = two_members(&h, &member).await;
    let code = signed_sheet(&h, &secretary, &member).await;
    // A report still waiting, a dialogue half done, a message not yet sent.
    report(&h, &member, "Báo cáo chờ duyệt").await;
    h.ask(&member, "/report").await;
    sqlx::query(
        "INSERT INTO outbox (chat_id, payload, status, priority, not_before)
         VALUES (300, '{\"text\":\"later\"}', 'queued', 2, ?)",
    )
    .bind(default_now() + chrono::Duration::days(30))
    .execute(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300")
            .await,
        1
    );

    // The join card the secretary got carries the phone.
    let stored: String = sqlx::query_scalar("SELECT phone FROM users WHERE id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let cards_with_phone = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = 100 AND instr(payload, ?) > 0",
        )
        .bind(&stored)
        .fetch_one(&h.pool)
        .await
        .unwrap()
    };
    assert_eq!(cards_with_phone().await, 1, "{stored}");

    // Cancel first: nothing happens.
    let ask = h.ask(&member, "/forgetme").await;
    assert!(says(ask.text.as_deref(), lang, "forget-ask"));
    let (answer, _) = h
        .press(&member, &ask, &text_of(lang, "forget-button-cancel"))
        .await;
    assert_eq!(
        answer.params["text"],
        text_of(lang, "forget-cancelled").as_str()
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM users WHERE id = 300 AND phone IS NOT NULL")
            .await,
        1
    );
    // A forged press is refused.
    let (answer, _) = h.press_data(&member, ask.message_id, "fy:300").await;
    assert_eq!(answer.params["text"], text_of(lang, "not-allowed").as_str());
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'forget'")
            .await,
        0
    );

    let ask = h.ask(&member, "/forgetme").await;
    // A copy of something they sent, set aside while slow to handle (and
    // someone else's): theirs goes with the rest.
    for (id, from) in [(80_001, member.id), (80_002, 999)] {
        let body = serde_json::json!({ "update_id": id, "message": { "from": { "id": from } } });
        sqlx::query(
            "INSERT INTO updates_set_aside (update_id, body, set_aside_at) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(body.to_string())
        .bind(h.app().now())
        .execute(&h.pool)
        .await
        .unwrap();
    }
    let confirm = text_of(lang, "forget-button-confirm");
    let (_, replies) = h.press(&member, &ask, &confirm).await;
    let done = replies.last().expect("the result").text.clone();
    assert!(says(done.as_deref(), lang, "forget-done"), "{done:?}");
    let aside: Vec<i64> = sqlx::query_scalar("SELECT update_id FROM updates_set_aside")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    assert_eq!(aside, [80_002]);
    let done = done.unwrap();
    for line in [
        "forget-done-ended",
        "forget-done-reports-withdrawn",
        "forget-kept-sheets",
        "forget-kept-reports",
        "forget-kept-memberships",
        "forget-kept-audit",
    ] {
        assert!(says(Some(&done), lang, line), "{line} in {done}");
    }

    // Erased.
    let (phone, tg_name, username, unreachable, forgotten): (
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT phone, tg_name, tg_username, unreachable_since, forgotten_at
         FROM users WHERE id = 300",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        (phone, tg_name.as_str(), username, unreachable),
        (None, "", None, None)
    );
    assert!(forgotten.is_some());
    // Nor in the card kept in the outbox; the other member's is.
    assert_eq!(cards_with_phone().await, 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 100 AND payload LIKE '%***%'")
            .await,
        1
    );
    for (sql, expected) in [
        (
            "SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND phone IS NOT NULL",
            0,
        ),
        (
            "SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status IN ('approved', 'pending')",
            0,
        ),
        (
            "SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'left'",
            1,
        ),
        ("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300", 0),
        (
            "SELECT COUNT(*) FROM reports WHERE user_id = 300 AND status = 'pending'",
            0,
        ),
        (
            "SELECT COUNT(*) FROM outbox WHERE chat_id = 300 AND status = 'queued'",
            0,
        ),
        // Kept: the signed sheet and the report it cites.
        ("SELECT COUNT(*) FROM sheets WHERE state = 'signed'", 1),
        (
            "SELECT COUNT(*) FROM reports WHERE user_id = 300 AND status = 'approved'",
            1,
        ),
        ("SELECT COUNT(*) FROM audit_log WHERE action = 'forget'", 1),
        // The other member is untouched.
        (
            "SELECT COUNT(*) FROM users WHERE id = 301 AND phone = '0987654321' AND tg_username = 'chi_le'",
            1,
        ),
        (
            "SELECT COUNT(*) FROM memberships WHERE user_id = 301 AND status = 'approved'",
            1,
        ),
    ] {
        assert_eq!(h.count(sql).await, expected, "{sql}");
    }
    assert!(matches!(
        lienhe::sheet::build::verify(&h.pool, &code).await.unwrap(),
        lienhe::sheet::build::Verification::Valid { .. }
    ));
    audit_verify(&h).await;

    // The secretary is told.
    h.drain().await;
    assert!(
        h.api.sent(secretary.id).iter().any(|s| says(
            s.text.as_deref(),
            Lang::Vi,
            "forget-secretary-left"
        ) && s
            .text
            .as_deref()
            .unwrap()
            .contains("Nguyễn Văn An")),
        "the secretary was told"
    );

    // A second confirmation erases nothing more and writes nothing.
    let audit = h.count("SELECT COUNT(*) FROM audit_log").await;
    let (_, replies) = h.press(&member, &ask, &confirm).await;
    assert!(says(
        replies.last().unwrap().text.as_deref(),
        lang,
        "forget-nothing-left"
    ));
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_log").await, audit);
    // Writing again records no Telegram name.
    h.ask(&member, "/help").await;
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM users WHERE id = 300 AND tg_name = '' AND tg_username IS NULL"
        )
        .await,
        1
    );
    // /mydata now shows what is kept, without the phone.
    let (_, json) = my_data(&h, &member).await;
    assert_eq!(json["profile"]["phone"], Value::Null);
    assert_eq!(json["memberships"][0]["phone"], Value::Null);
    assert_eq!(json["memberships"][0]["status"], "left");
    assert_eq!(json["sheets"][0]["state"], "signed");
    audit_verify(&h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetme_keeps_the_signed_sheet_and_erases_the_rest_vi() {
    forgetme_keeps_the_signed_sheet_and_erases_the_rest(Lang::Vi).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetme_keeps_the_signed_sheet_and_erases_the_rest_en() {
    forgetme_keeps_the_signed_sheet_and_erases_the_rest(Lang::En).await;
}

/// A pending join request is withdrawn (the row is gone) and its
/// secretary told; the user had no membership to end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetme_withdraws_a_pending_join() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = en_user(100, "Binh");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = member_user(300, Lang::En);
    join_with_phone(&h, &member, &code, "Nguyễn Văn An", PHONE).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        1
    );
    h.drain().await;
    let card = h.last(&secretary);
    assert!(card.button_data("✅ Approve").is_some(), "{card:?}");
    let ask = h.ask(&member, "/forgetme").await;
    let (_, replies) = h
        .press(&member, &ask, &text_of(Lang::En, "forget-button-confirm"))
        .await;
    assert!(says(
        replies.last().unwrap().text.as_deref(),
        Lang::En,
        "forget-done"
    ));
    assert!(
        replies
            .last()
            .unwrap()
            .text
            .as_deref()
            .unwrap()
            .contains(&text_of(Lang::En, "forget-done-join-withdrawn"))
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);
    h.drain().await;
    assert!(h.api.sent(secretary.id).iter().any(|s| says(
        s.text.as_deref(),
        Lang::En,
        "forget-secretary-withdrawn"
    )));
    // The next join request does not take the erased one's id: the old
    // card's Approve decides nothing (it approved the newcomer, unseen).
    let next = member_user(301, Lang::En);
    join_with_phone(&h, &next, &code, "Trần Văn Bốn", PHONE).await;
    let (answer, _) = h.press(&secretary, &card, "✅ Approve").await;
    assert!(answer.str_param("text").is_some(), "{answer:?}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending' AND user_id = 301")
            .await,
        1,
        "the newcomer still waits for a decision on their own card"
    );
    // With nobody on the committee, nobody is said to be told.
    h.admin(lienhe::cli::Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user: secretary.id,
            role: lienhe::cli::RoleName::Secretary,
            workplace: None,
            ward: None,
            cell: Some(cell),
        },
    })
    .await;
    let ask = h.ask(&next, "/forgetme").await;
    let (_, replies) = h
        .press(&next, &ask, &text_of(Lang::En, "forget-button-confirm"))
        .await;
    let text = replies.last().unwrap().text.clone().unwrap();
    assert!(
        text.contains(&text_of(Lang::En, "forget-done-join-withdrawn-untold"))
            && !text.contains("has been told"),
        "{text}"
    );
    audit_verify(&h).await;
}

/// The join request's card is being sent to the secretary (Telegram has
/// it, its answer not yet back) when the member erases their data: the
/// card that went out, with their name and phone and an Approve button, is
/// taken back (deleted) and not kept as the item's card; the secretary is
/// told of the withdrawal as before. Deleted, and nothing else: it was
/// edited to "withdrawn" first and then deleted, two ways of doing one
/// thing. Telegram would not delete it (a refusal as for a message older
/// than 48 hours): it is edited instead, its buttons and the phone gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_card_in_flight_when_the_member_erases_their_data_is_taken_back() {
    for refused in [false, true] {
        let mut h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = en_user(100, "Binh");
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let code = h.invite_code(&secretary).await;
        let member = member_user(300, Lang::En);
        h.drain().await;
        h.stop_sender().await;
        join_with_phone(&h, &member, &code, "Nguyễn Văn An", PHONE).await;

        // The card is sent, its answer held back.
        h.api.hold_answers("sendMessage", secretary.id);
        let before = h.api.chat_call_count(secretary.id);
        h.start_sender(default_sender()).await;
        let card = h
            .api
            .wait_chat_call(
                secretary.id,
                before,
                std::time::Duration::from_secs(10),
                |c| c.method.eq_ignore_ascii_case("sendMessage"),
            )
            .await
            .expect("the card sent");
        let card_id = card.message_id.expect("the card's message");

        let ask = h.api.text(&member, "/forgetme");
        h.handled(ask).await;
        let ask = h.last(&member);
        let label = text_of(Lang::En, "forget-button-confirm");
        let data = ask.button_data(&label).expect("the confirm button");
        let confirm = h.api.callback(&member, ask.message_id, &data);
        h.handled(confirm).await;
        assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);

        if refused {
            h.api.fail_next(
                "deleteMessage",
                Some(secretary.id),
                Fault::BadRequest("message can't be deleted".into()),
                1,
            );
        }
        h.api.release_answers();
        h.drain().await;
        let deletes: Vec<Call> = h
            .api
            .calls_of("deleteMessage")
            .into_iter()
            .filter(|c| c.params["chat_id"] == secretary.id && c.params["message_id"] == card_id)
            .collect();
        assert_eq!(deletes.len(), 1, "{deletes:?}");
        let shown = h.api.message(secretary.id, card_id).expect("the card");
        if refused {
            assert!(!shown.deleted);
            let text = shown.text.as_deref().unwrap_or_default();
            assert!(!text.contains(PHONE), "{text}");
            assert!(shown.buttons().is_empty(), "{shown:?}");
        } else {
            assert!(shown.deleted, "{shown:?}");
            assert_eq!(shown.edits, 0, "deleted, not edited first: {shown:?}");
        }
        assert_eq!(h.count("SELECT COUNT(*) FROM decision_messages").await, 0);
        assert!(h.api.sent(secretary.id).iter().any(|s| says(
            s.text.as_deref(),
            Lang::En,
            "forget-secretary-withdrawn"
        )));
    }
}

/// A report's photos (an album) are being sent to the secretary (Telegram
/// has them, its answer not yet back) when the member erases their data:
/// every photo of the album is taken back, and the card queued behind them
/// is not sent; nothing of theirs stays queued. Only a single photo was
/// taken back: an album stayed in the secretary's chat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_album_in_flight_when_the_member_erases_their_data_is_taken_back() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.drain().await;
    h.stop_sender().await;
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            DESCRIPTION,
            &["PIC_ONE", "PIC_TWO", "PIC_THREE"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;

    h.api.hold_answers("sendMediaGroup", secretary.id);
    let before = h.api.chat_call_count(secretary.id);
    let sent_before = h.api.sent_count(secretary.id);
    h.start_sender(default_sender()).await;
    h.api
        .wait_chat_call(
            secretary.id,
            before,
            std::time::Duration::from_secs(10),
            |c| c.method.eq_ignore_ascii_case("sendMediaGroup"),
        )
        .await
        .expect("the album sent");

    let ask = h.api.text(&member, "/forgetme");
    h.handled(ask).await;
    let ask = h.last(&member);
    let label = text_of(Lang::Vi, "forget-button-confirm");
    let data = ask.button_data(&label).expect("the confirm button");
    let confirm = h.api.callback(&member, ask.message_id, &data);
    h.handled(confirm).await;

    h.api.release_answers();
    h.drain().await;
    let got = h.api.sent(secretary.id).split_off(sent_before);
    let album: Vec<&Sent> = got
        .iter()
        .filter(|s| s.method == "sendmediagroup")
        .collect();
    assert_eq!(album.len(), 3, "{got:?}");
    assert!(
        album.iter().all(|s| s.deleted),
        "{album:?} {:?} {:?}",
        h.api.calls_of("deleteMessage"),
        got
    );
    assert!(
        got.iter().filter(|s| !s.deleted).all(|s| !s
            .text
            .as_deref()
            .unwrap_or_default()
            .contains(DESCRIPTION)),
        "{got:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .await,
        0
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE instr(payload, 'PIC_') > 0")
            .await,
        0,
        "no file id of theirs in the outbox"
    );
}

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A whole run (joins with phone numbers, reports with descriptions, a
/// rejection with its reason, /mydata, /forgetme) logged at every level of
/// lienhe: none of those texts is in the log.
#[tokio::test(flavor = "current_thread")]
async fn the_log_never_carries_phone_numbers_descriptions_or_reasons() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("lienhe=trace,info"))
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let h = Harness::start().await;
    let member = member_user(300, Lang::Vi);
    let secretary = two_members(&h, &member).await;
    report(&h, &member, "Mô tả riêng tư số hai").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "❌ Từ chối").await;
    h.ask(&secretary, "Lý do từ chối riêng tư").await;
    my_data(&h, &member).await;
    let ask = h.ask(&member, "/forgetme").await;
    h.press(&member, &ask, &text_of(Lang::Vi, "forget-button-confirm"))
        .await;
    h.drain().await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("personal data erased on request"),
        "the log was captured: {log}"
    );
    for secret in [
        PHONE,
        "912345678",
        OTHER_PHONE,
        DESCRIPTION,
        OTHER_DESCRIPTION,
        "Mô tả riêng tư",
        "Lý do từ chối riêng tư",
    ] {
        assert!(!log.contains(secret), "{secret:?} in the log:\n{log}");
    }
}

/// The scheduler's daily pruning forgets a dialogue state untouched for 90
/// days (and keeps a fresh one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dialogue_states_untouched_for_ninety_days_are_pruned() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.ask(&member, "/report").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300")
            .await,
        1
    );
    h.set_local(2027, 2, 17, 9, 0);
    // 89 days on: kept.
    assert_eq!(h.tick().await.pruned.dialogues, 0);
    h.set_local(2027, 2, 19, 9, 0);
    assert_eq!(h.tick().await.pruned.dialogues, 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300")
            .await,
        0
    );
    // The member starts again where nothing is half done.
    let reply = h.ask(&member, "/report").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "ask-kind"),
        "{reply:?}"
    );
}

/// A join request made through a workplace's introduction link is withdrawn
/// too: the introduction stays used, without the phone it carried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetme_withdraws_an_introduced_join_request() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let officer = vi_user(700, "Cán bộ");
    let code = h.officer_code(1).await;
    h.ask(&officer, &format!("/start {code}")).await;
    let now = default_now();
    sqlx::query(
        "INSERT INTO users (id, tg_name, tg_username, phone, language, first_seen_at, last_seen_at)
         VALUES (300, 'An', 'an_nguyen', ?, 'vi', ?, ?)",
    )
    .bind(PHONE)
    .bind(now)
    .bind(now)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO introductions (id, code, workplace_id, full_name, name_key, phone, officer_id,
                                    created_at, expires_at, claimed_by, claimed_at, used_at)
         VALUES (1, 'in_x', 1, 'Nguyễn Văn An', 'nguyen van an', ?, 700, ?, ?, 300, ?, ?)",
    )
    .bind(PHONE)
    .bind(now)
    .bind(now + chrono::Duration::days(30))
    .bind(now)
    .bind(now)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO memberships (id, token, user_id, cell_id, full_name, phone, status,
                                  requested_at, introduction_id)
         VALUES (1, 't', 300, ?, 'Nguyễn Văn An', ?, 'pending', ?, 1)",
    )
    .bind(cell)
    .bind(PHONE)
    .bind(now)
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE introductions SET membership_id = 1 WHERE id = 1")
        .execute(&h.pool)
        .await
        .unwrap();

    let done = lienhe::store::personal::forget(
        &h.pool,
        300,
        now,
        |told| {
            Some(lienhe::store::outbox::Notice {
                chat_id: told.secretary.user_id,
                payload: Default::default(),
            })
        },
        |_, _, _| Vec::new(),
        |_, _| None,
        |_| None,
    )
    .await
    .unwrap();
    assert!(done.changed && done.join_withdrawn && !done.membership_ended);
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM introductions
             WHERE id = 1 AND phone IS NULL AND membership_id IS NULL AND used_at IS NOT NULL"
        )
        .await,
        1
    );
    audit_verify(&h).await;
}

/// A report's card and photos still queued for the secretary when its
/// author erases their data are not delivered afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetme_drops_the_queued_cards_of_what_it_withdraws() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.drain().await;
    h.stop_sender().await;
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            "Dọn vệ sinh ngõ",
            &["PIC"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND chat_id = 100")
            .await,
        2,
        "the photo and the card wait"
    );
    let before = h.api.sent_count(secretary.id);
    let ask = h.ask(&member, "/forgetme").await;
    h.press(&member, &ask, &text_of(Lang::Vi, "forget-button-confirm"))
        .await;
    h.start_sender(lienhe::jobs::sender::SenderConfig::with_rate(50.0))
        .await;
    h.drain().await;
    let got = h.api.sent(secretary.id).split_off(before);
    assert!(
        got.iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "forget-secretary-left")),
        "{got:?}"
    );
    assert!(
        got.iter().all(|s| s.method == "sendmessage"
            && !s
                .text
                .as_deref()
                .unwrap_or_default()
                .contains("Dọn vệ sinh ngõ")),
        "{got:?}"
    );
}

/// The photos of a member's reports go with their data: those of a report
/// decided (kept, for the cell's decision) and of one withdrawn, from the
/// database and from the outbox's copies of the messages that carried
/// them; another member's stay, and the photo messages already sent to the
/// secretary say (caption) that the member erased their data. The photos
/// of decided reports stayed (their Telegram file ids in `report_photos`
/// and in the outbox), and the photos of a withdrawn report still read as
/// the evidence of a report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetme_erases_the_photos_of_the_members_reports() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 301, 1).await;
    let other = vi_user(301, "dv301");
    for (who, description, photo) in [
        (&member, "Dọn vệ sinh ngõ 7", "PIC_APPROVED"),
        (&other, "Vận động bầu cử", "PIC_OTHER"),
    ] {
        let summary = h
            .report_until_summary(who, "Hoạt động khác", "Hôm nay", description, &[photo])
            .await;
        h.press(who, &summary, "Gửi báo cáo").await;
        h.drain().await;
        approve_last(&h, &secretary).await;
    }
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            "Thăm hỏi gia đình chính sách",
            &["PIC_PENDING"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    h.drain().await;
    let carrying = "SELECT COUNT(*) FROM outbox
                    WHERE instr(payload, 'PIC_APPROVED') > 0 OR instr(payload, 'PIC_PENDING') > 0";
    assert_eq!(
        h.count(carrying).await,
        2,
        "the photos sent to the secretary"
    );

    let ask = h.ask(&member, "/forgetme").await;
    assert!(
        ask.text
            .as_deref()
            .unwrap()
            .contains("ảnh kèm theo các báo cáo")
    );
    let (_, replies) = h
        .press(&member, &ask, &text_of(Lang::Vi, "forget-button-confirm"))
        .await;
    let said = replies.last().unwrap().text.clone().unwrap();
    assert!(said.contains("không còn ảnh kèm theo"), "{said}");
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM report_photos p JOIN reports r ON r.id = p.report_id
             WHERE r.user_id = 300"
        )
        .await,
        0,
        "no file id of theirs is kept"
    );
    assert_eq!(h.count(carrying).await, 0, "nor in the outbox");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE user_id = 300 AND status = 'approved'")
            .await,
        1,
        "the decided report is kept"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM report_photos WHERE file_id = 'PIC_OTHER'")
            .await,
        1,
        "another member's photo stays"
    );
    // The photo messages already in the secretary's chat say so.
    h.drain().await;
    let photos: Vec<Sent> = h
        .api
        .sent(secretary.id)
        .into_iter()
        .filter(|s| s.method == "sendphoto")
        .map(|s| h.current(&s))
        .collect();
    assert_eq!(photos.len(), 3, "{photos:?}");
    let erased: Vec<&Sent> = photos
        .iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "forget-photos-caption"))
        .collect();
    assert_eq!(erased.len(), 2, "{photos:?}");
    let (_, json) = my_data(&h, &member).await;
    assert_eq!(json["reports"][0]["photos"], serde_json::json!([]));
    audit_verify(&h).await;
}

/// A sheet sent to the member who then erases their data is deleted with
/// it: Sign (or any button) on the secretary's view of it says the sheet is
/// gone and why, and the view loses its buttons. It said "not allowed" and
/// kept its buttons, as if the secretary had lost their rights.
#[tokio::test]
async fn a_sheet_erased_with_its_member_is_said_gone_on_the_secretarys_view() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        let membership = h.membership_of(member.id).await;
        let sheet = h.sheet_sent_to_member(&secretary, membership).await;
        h.drain().await;
        let (_, opened) = h
            .press_data(&secretary, 1, &format!("so:{membership}"))
            .await;
        let view = opened.last().expect("the secretary's view").clone();
        assert!(
            label_of(&view, &format!("sg:{sheet}")).is_some(),
            "{view:?}"
        );
        let asked = h.ask(&member, "/forgetme").await;
        h.press(&member, &asked, "🗑 Xóa dữ liệu của tôi").await;
        assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 0);
        let sign = label_of(&view, &format!("sg:{sheet}")).unwrap();
        let (answer, _) = h.press(&secretary, &view, &sign).await;
        assert!(
            says(answer.params["text"].as_str(), lang, "sheet-gone"),
            "{:?}",
            answer.params
        );
        let now = h.current(&view);
        assert!(now.button_texts().is_empty(), "{:?}", now.buttons());
        assert!(
            says(now.text.as_deref(), lang, "sheet-gone"),
            "{:?}",
            now.text
        );
        // A sheet that never was is still not allowed.
        let (answer, _) = h
            .press_data(&secretary, view.message_id, &format!("sg:{}", sheet + 5))
            .await;
        assert!(
            says(answer.params["text"].as_str(), lang, "not-allowed"),
            "{:?}",
            answer.params
        );
    }
}

/// The cards already in the committee's chats about a member who erases
/// their data are edited: the join card (approved long ago) no longer
/// shows their phone, the card of a report withdrawn with the erasure no
/// longer shows it nor its buttons; both say the member erased their data.
/// Another member's card is left as it is, and an edit Telegram refuses
/// (the secretary deleted the message) does not stop the others. The
/// cards kept showing the phone and the description.
#[tokio::test]
async fn forgetme_edits_the_cards_already_sent_about_the_member() {
    for refused in [false, true] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = vi_user(100, "Bình");
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let code = h.invite_code(&secretary).await;
        let member = member_user(300, Lang::En);
        join_with_phone(&h, &member, &code, "Nguyễn Văn An", PHONE).await;
        h.drain().await;
        approve_last(&h, &secretary).await;
        report(&h, &member, DESCRIPTION).await;
        let other = vi_user(301, "Chi");
        join_with_phone(&h, &other, &code, "Lê Thị Chi", OTHER_PHONE).await;
        h.drain().await;
        let sent = h.api.sent(secretary.id);
        let card_with = |needle: &str| {
            let card = sent
                .iter()
                .find(|s| s.text.as_deref().unwrap_or_default().contains(needle))
                .unwrap_or_else(|| panic!("no card with {needle}: {sent:?}"));
            h.current(card)
        };
        let join_card = card_with(PHONE);
        let report_card = card_with(DESCRIPTION);
        let other_card = card_with(OTHER_PHONE);
        assert!(!report_card.button_texts().is_empty(), "{report_card:?}");
        if refused {
            h.api.fail_next(
                "editMessageText",
                Some(secretary.id),
                Fault::BadRequest("message to edit not found".into()),
                1,
            );
        }
        let ask = h.ask(&member, "/forgetme").await;
        h.press(&member, &ask, &text_of(Lang::En, "forget-button-confirm"))
            .await;
        h.drain().await;
        let join_card = h.current(&join_card);
        if !refused {
            let text = join_card.text.as_deref();
            assert!(!text.unwrap().contains(PHONE), "{text:?}");
            assert!(says(text, Lang::Vi, "forget-join-card"), "{text:?}");
        }
        let report_card = h.current(&report_card);
        let text = report_card.text.as_deref();
        assert!(!text.unwrap().contains(DESCRIPTION), "{text:?}");
        assert!(says(text, Lang::Vi, "forget-report-card"), "{text:?}");
        assert!(report_card.button_texts().is_empty(), "{report_card:?}");
        let still = h.current(&other_card);
        assert_eq!(
            (still.text.as_deref(), still.buttons()),
            (other_card.text.as_deref(), other_card.buttons())
        );
        // Nothing of the member is left in the outbox either.
        assert_eq!(
            h.count("SELECT COUNT(*) FROM outbox WHERE instr(payload, '0912345678') > 0")
                .await,
            0
        );
        audit_verify(&h).await;
    }
}

/// A secretary who had a meeting's register on the screen erases their
/// data: the register shown in their chat (its chat and message ids, kept
/// to edit it as check-ins come) goes with the rest, and a check-in after
/// it no longer edits that message.
#[tokio::test]
async fn forgetme_drops_the_registers_shown_in_the_chat() {
    use lienhe::store::meetings::{self, Called, NewMeeting};
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 300, 2).await;
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    let new = NewMeeting {
        token: "m1",
        cell_id: cell,
        kind: lienhe::domain::meeting::MeetingKind::Periodic,
        starts_at: now + chrono::Duration::minutes(30),
        place: "Nhà văn hóa khối 5",
        agenda: "Sinh hoạt định kỳ",
        called_by: secretary.id,
    };
    let Called::New { id, .. } = meetings::create(&h.pool, &new, now, |_, _| Vec::new())
        .await
        .unwrap()
    else {
        panic!("a new meeting");
    };
    let code = meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let register = h.ask(&secretary, "/attendance").await;
    let shown = "SELECT COUNT(*) FROM meeting_registers WHERE chat_id = 100";
    assert_eq!(h.count(shown).await, 1);
    let ask = h.ask(&secretary, "/forgetme").await;
    h.press(
        &secretary,
        &ask,
        &text_of(Lang::En, "forget-button-confirm"),
    )
    .await;
    assert_eq!(h.count(shown).await, 0);
    h.ask(&vi_user(300, "dv300"), &format!("/start {code}"))
        .await;
    h.drain().await;
    assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 1);
    let edits = h
        .api
        .calls_of("editMessageText")
        .into_iter()
        .filter(|c| c.params["message_id"] == register.message_id)
        .count();
    assert_eq!(edits, 0);
}

const REASON: &str = "Thiếu ảnh minh chứng của buổi họp";

/// What the bot holds for the member in its outbox (a rejection's reason
/// waiting to be sent, the decisions sent and kept for their retention
/// days) is in /mydata; /forgetme drops what waits (never sent after) and
/// blanks the texts of what was sent.
async fn the_messages_held_for_the_member(lang: Lang) {
    let mut h = Harness::start().await;
    let member = member_user(300, lang);
    let secretary = two_members(&h, &member).await;
    report(&h, &member, "Họp tổ dân phố số 7 tháng mười một").await;
    h.drain().await;
    let card = h.last(&secretary);
    h.stop_sender().await;
    h.press(&secretary, &card, "❌ Từ chối").await;
    h.ask(&secretary, REASON).await;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE chat_id = 300 AND status = 'queued'
           AND instr(payload, ?) > 0",
    )
    .bind(REASON)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(waiting, 1, "the rejection waits to be sent");

    let (xlsx, json) = my_data(&h, &member).await;
    let messages = json["messages"].as_array().expect("the messages held");
    let text = |m: &Value| m["text"].as_str().unwrap_or_default().to_string();
    assert!(
        messages
            .iter()
            .any(|m| m["status"] == "queued" && text(m).contains(REASON)),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m["status"] == "sent"),
        "{messages:?}"
    );
    let all = all_parts(&xlsx);
    assert!(all.contains(REASON), "the XLSX holds the reason");
    assert!(all.contains(&text_of(lang, "mydata-sheet-messages")));
    // Only theirs: nothing sent to the other member or the secretary.
    assert!(!json.to_string().contains("Lê Thị Chi"), "{messages:?}");

    let before: i64 = sqlx::query_scalar("SELECT MAX(id) FROM outbox")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    erase_data(&h, &member, lang).await;
    let held: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE chat_id = 300 AND id <= ?
           AND (json_extract(payload, '$.text') <> ''
                OR json_extract(payload, '$.in_langs') IS NOT NULL)",
    )
    .bind(before)
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert!(held.is_empty(), "{held:?}");
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert!(
        !h.api
            .sent(member.id)
            .iter()
            .any(|s| s.text.as_deref().is_some_and(|t| t.contains(REASON))),
        "the rejection is not sent after the erasure"
    );
}

#[tokio::test]
async fn mydata_and_forgetme_cover_the_messages_held_for_the_member() {
    the_messages_held_for_the_member(Lang::Vi).await;
}

#[tokio::test]
async fn mydata_and_forgetme_cover_the_messages_held_for_the_member_in_english() {
    the_messages_held_for_the_member(Lang::En).await;
}

/// Erase killed after its commit, before its answer: Telegram serves the
/// press again, which is skipped (it is handled). Before, the member was
/// told nothing at all (the answer was the handler's, after the commit);
/// now the answer is queued with the erasure: told once, erased once
/// (pressed again, nothing more), `audit verify` passing.
async fn erase_killed_after_its_commit(lang: Lang) {
    let mut h = Harness::start().await;
    let member = member_user(300, lang);
    two_members(&h, &member).await;
    let ask = h.ask(&member, "/forgetme").await;
    let data = ask
        .button_data(&text_of(lang, "forget-button-confirm"))
        .expect("Erase");
    let before = h.api.sent_count(member.id);
    let held = h.api.hold_next("editMessageText", member.id);
    let update = h.api.callback(&member, ask.message_id, &data);
    h.killed_at_and_served_again(held, "the question's settling is on its way", update)
        .await;
    h.drain().await;
    let told: Vec<String> = h.api.sent(member.id)[before..]
        .iter()
        .filter(|s| s.method == "sendmessage" && !s.deleted)
        .filter_map(|s| s.text.clone())
        .collect();
    assert_eq!(
        told.iter()
            .filter(|t| says(Some(t), lang, "forget-done"))
            .count(),
        1,
        "{lang:?}: {told:?}"
    );
    assert!(
        told.iter()
            .all(|t| !says(Some(t), lang, "forget-nothing-left")),
        "{lang:?}: {told:?}"
    );
    // Pressed again: nothing more (its answer kept in the outbox is not
    // theirs to erase).
    let (_, replies) = h.press_data(&member, ask.message_id, &data).await;
    let again = replies.last().and_then(|r| r.text.clone());
    assert!(
        says(again.as_deref(), lang, "forget-nothing-left"),
        "{lang:?}: {again:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'forget'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM users WHERE id = 300 AND phone IS NULL AND tg_name = ''")
            .await,
        1
    );
    audit_verify(&h).await;
}

#[tokio::test]
async fn an_erasure_killed_after_its_commit_is_told_once() {
    erase_killed_after_its_commit(Lang::Vi).await;
}

#[tokio::test]
async fn an_erasure_killed_after_its_commit_is_told_once_in_english() {
    erase_killed_after_its_commit(Lang::En).await;
}

/// The member erases their data (/forgetme, confirmed) at the very moment
/// the secretary presses Sign on the sheet the member accepted: either the
/// sheet is signed first and kept (its code verifies), or it is erased
/// first and the Sign press finds no sheet; either way the member is told
/// their data was erased, the secretary's Sign button is gone, nobody is
/// told to try again, nothing the erasure takes is left, and the audit
/// chain holds.
async fn erase_while_the_sheet_is_signed(lang: Lang) {
    let h = Harness::start().await;
    let member = member_user(300, lang);
    let secretary = two_members(&h, &member).await;
    let list = h.ask(&secretary, "/sheets").await;
    let open = list
        .buttons()
        .into_iter()
        .find(|(label, _)| label.contains("Nguyễn Văn An"))
        .expect("the member's sheet button")
        .0;
    let (_, opened) = h.press(&secretary, &list, &open).await;
    let draft = opened.last().unwrap().clone();
    for level in [
        "1. Nêu gương tốt",
        "2. Gương mẫu đi đầu",
        "3. Tham gia đầy đủ",
        "4. Thường xuyên, tích cực",
        "5. Rất tích cực",
        "6. Biểu dương",
    ] {
        let current = h.current(&draft);
        if current.button_data(&format!("✓ {level}")).is_none() {
            h.press(&secretary, &current, level).await;
        }
    }
    h.press(&secretary, &h.current(&draft), "📤 Gửi đảng viên xem")
        .await;
    let to_member = h.last(&member);
    let accept = label_of(&to_member, "ma:").expect("Accept");
    h.press(&member, &to_member, &accept).await;
    h.drain().await;
    let notice = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rev()
        .find(|s| label_of(s, "sg:").is_some())
        .expect("the sign button");
    let sign = label_of(&notice, "sg:").unwrap();
    let ask = h.ask(&member, "/forgetme").await;
    let confirm = text_of(lang, "forget-button-confirm");

    let before = h.api.sent_count(member.id);
    let ((signed_answer, _), _) = futures::join!(
        h.press_concurrently(&secretary, &notice, &sign),
        h.press_concurrently(&member, &ask, &confirm),
    );
    h.quiet().await;
    h.drain().await;

    let told: Vec<String> = h.api.sent(member.id)[before..]
        .iter()
        .filter(|s| !s.deleted)
        .filter_map(|s| s.text.clone())
        .collect();
    assert_eq!(
        told.iter()
            .filter(|t| says(Some(t), lang, "forget-done"))
            .count(),
        1,
        "{lang:?}: {told:?}"
    );
    let code: Option<String> = sqlx::query_scalar(
        "SELECT s.code FROM sheets s JOIN memberships m ON m.id = s.membership_id
         WHERE m.user_id = 300 AND s.state = 'signed'",
    )
    .fetch_optional(&h.pool)
    .await
    .unwrap();
    let sheets = h
        .count(
            "SELECT COUNT(*) FROM sheets s JOIN memberships m ON m.id = s.membership_id
             WHERE m.user_id = 300",
        )
        .await;
    match &code {
        Some(code) => {
            assert_eq!(sheets, 1);
            assert!(matches!(
                lienhe::sheet::build::verify(&h.pool, code).await.unwrap(),
                lienhe::sheet::build::Verification::Valid { .. }
            ));
        }
        None => assert_eq!(sheets, 0, "{lang:?}: an unsigned sheet left"),
    }
    eprintln!(
        "{lang:?}: {}",
        if code.is_some() {
            "signed first"
        } else {
            "erased first"
        },
    );
    // The secretary's message ends true: signed, or said gone; no Sign
    // left on it (before, erased first, the press said the button was no
    // longer valid and left Sign on the member's acceptance notice).
    let answer = signed_answer.params["text"].as_str().map(str::to_owned);
    let shown = h.current(&notice);
    assert!(label_of(&shown, "sg:").is_none(), "{lang:?}: {shown:?}");
    if code.is_none() {
        assert!(
            says(answer.as_deref(), Lang::Vi, "sheet-gone"),
            "{lang:?}: {answer:?}"
        );
    }
    for sent in h.api.all_sent() {
        for l in Lang::ALL {
            assert!(
                !says(sent.text.as_deref(), l, "not-saved-try-again"),
                "{sent:?}"
            );
        }
    }
    for (sql, expected) in [
        (
            "SELECT COUNT(*) FROM users WHERE id = 300 AND phone IS NULL AND tg_name = ''
               AND tg_username IS NULL AND forgotten_at IS NOT NULL",
            1,
        ),
        (
            "SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND (phone IS NOT NULL OR status <> 'left')",
            0,
        ),
        ("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300", 0),
        (
            "SELECT COUNT(*) FROM outbox WHERE chat_id = 300 AND status = 'queued'",
            0,
        ),
        ("SELECT COUNT(*) FROM audit_log WHERE action = 'forget'", 1),
    ] {
        assert_eq!(h.count(sql).await, expected, "{lang:?}: {sql}");
    }
    audit_verify(&h).await;
}

#[tokio::test]
async fn an_erasure_at_the_moment_of_signing_has_one_outcome() {
    erase_while_the_sheet_is_signed(Lang::Vi).await;
}

#[tokio::test]
async fn an_erasure_at_the_moment_of_signing_has_one_outcome_in_english() {
    erase_while_the_sheet_is_signed(Lang::En).await;
}
