//! The year-end comment sheet under pressure: races between the
//! secretary, the deputy and the member, restarts, /verify as typed,
//! hostile text in the documents, the review window across New Year, and
//! delivery to the workplace (a new one without officers, a secretary who
//! is also the officer).

use std::time::Duration;

use crate::{committee::make_deputy, common::*};

async fn officer(h: &Harness, user: &TgUser, workplace: i64) {
    let code = h.officer_code(workplace).await;
    h.ask(user, &format!("/start {code}")).await;
}

async fn workplace_of(h: &Harness, user: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT workplace_id FROM memberships WHERE user_id = ? AND status = 'approved'",
    )
    .bind(user)
    .fetch_one(&h.pool)
    .await
    .unwrap()
}

fn documents_to(h: &Harness, chat: i64) -> Vec<Sent> {
    h.api
        .sent(chat)
        .into_iter()
        .filter(|s| s.method == "senddocument")
        .collect()
}

async fn wait_for(h: &Harness, what: &str, check: impl Fn(&Harness) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !check(h) {
        assert!(tokio::time::Instant::now() < deadline, "waited for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The last message to `user` with a button whose data starts with `prefix`.
fn with_button(h: &Harness, user: &TgUser, prefix: &str) -> Sent {
    h.api
        .sent(user.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no message with {prefix}"))
}

fn texts(sent: &[Sent]) -> String {
    sent.iter()
        .filter_map(|s| s.text.clone())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// Secretary 100, member 300 (vi unless given), officer 700 of the
/// member's workplace; the sheet sent to the member. Returns the sheet id.
async fn sent_sheet(h: &Harness, secretary: &TgUser, member: &TgUser, off: Option<&TgUser>) -> i64 {
    h.cell_with_member(secretary, member).await;
    if let Some(o) = off {
        let wp = workplace_of(h, member.id).await;
        officer(h, o, wp).await;
    }
    let ms = h.membership_of(member.id).await;
    h.sheet_sent_to_member(secretary, ms).await
}

/// What `/verify` answers a stranger for the sheet's code.
async fn verify(h: &Harness, sheet: i64) -> Sent {
    let code: String = sqlx::query_scalar("SELECT code FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.ask(&vi_user(900, "Lạ"), &format!("/verify {code}")).await
}

async fn sign_audits(h: &Harness) -> i64 {
    h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'sheet' AND action = 'sign'")
        .await
}

// ------------------------------------------------------------------ races

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_pressed_twice_at_once_signs_and_delivers_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    h.press(&member, &draft, "✅ Đồng ý").await;
    let notice = with_button(&h, &secretary, &format!("sg:{sheet}"));
    let data = format!("sg:{sheet}");
    let a = h.api.callback(&secretary, notice.message_id, &data);
    let b = h.api.callback(&secretary, notice.message_id, &data);
    h.handled(a).await;
    h.handled(b).await;
    h.drain().await;
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    h.quiet().await;
    h.drain().await;
    assert_eq!(sign_audits(&h).await, 1);
    assert_eq!(
        documents_to(&h, off.id).len(),
        2,
        "officer gets DOCX+PDF once"
    );
    assert_eq!(
        documents_to(&h, member.id).len(),
        2,
        "member gets DOCX+PDF once"
    );
    assert_eq!(documents_to(&h, secretary.id).len(), 2);
    let done = h
        .api
        .sent(secretary.id)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Đã ký phiếu"))
        })
        .count();
    assert_eq!(
        done,
        1,
        "told signed once: {}",
        texts(&h.api.sent(secretary.id))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn restart_after_signing_delivers_exactly_once() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    h.press(&member, &draft, "✅ Đồng ý").await;
    h.stop_sender().await;
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.restart().await;
    h.tick().await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    h.tick().await;
    h.drain().await;
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    h.quiet().await;
    h.drain().await;
    assert_eq!(documents_to(&h, off.id).len(), 2);
    assert_eq!(documents_to(&h, member.id).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn member_accepts_while_secretary_takes_the_draft_back() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    let accept = draft.button_data("✅ Đồng ý").unwrap();
    let a = h.api.callback(&member, draft.message_id, &accept);
    let b = h.api.callback(&secretary, 1, &format!("sx:{sheet}"));
    h.handled(a).await;
    h.handled(b).await;
    h.quiet().await;
    let (state, answer): (String, Option<String>) =
        sqlx::query_as("SELECT state, member_answer FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    // Either accepted then reopened (the answer kept or cleared), or
    // reopened first and the accept refused: never "with_member" silently.
    assert!(state == "draft", "state {state} answer {answer:?}");
    let member_texts = texts(&h.api.sent(member.id));
    let acks: Vec<_> = h.api.calls_of("answerCallbackQuery");
    assert!(!acks.is_empty(), "{member_texts}");
}

// ------------------------------------------------------------------ verify

async fn signed_sheet_code(h: &Harness, secretary: &TgUser, member: &TgUser) -> (i64, String) {
    let sheet = sent_sheet(h, secretary, member, None).await;
    let draft = with_button(h, member, &format!("ma:{sheet}:"));
    let accept = if member.language_code.as_deref() == Some("en") {
        "✅ Accept"
    } else {
        "✅ Đồng ý"
    };
    let label = draft
        .buttons()
        .into_iter()
        .find(|(_, d)| d.starts_with(&format!("ma:{sheet}")))
        .map(|(l, _)| l)
        .unwrap_or_else(|| accept.to_string());
    h.press(member, &draft, &label).await;
    h.press_data(secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;
    let code: String = sqlx::query_scalar("SELECT code FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    (sheet, code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_reads_codes_as_typed_and_tells_tampered_unknown_and_malformed() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let (sheet, code) = signed_sheet_code(&h, &secretary, &member).await;
    let stranger = vi_user(900, "Lạ");
    let ok_prefix = "Phiếu hợp lệ";
    let lower = code.to_lowercase();
    let spaced = code.replace('-', " ");
    let dotted = code.replace('-', ".");
    let bracket = format!("({code}).");
    let emdash = code.replace('-', "—");
    let ohs = code.replace('0', "O");
    for typed in [
        code.clone(),
        lower,
        spaced,
        dotted,
        bracket,
        emdash,
        ohs,
        format!("  {code}  "),
    ] {
        let reply = h.ask(&stranger, &format!("/verify {typed}")).await;
        assert!(
            reply
                .text
                .as_deref()
                .is_some_and(|t| t.starts_with(ok_prefix)),
            "{typed}: {:?}",
            reply.text
        );
        assert!(reply.text.as_deref().unwrap().contains("2026"));
    }
    // Unknown, malformed.
    for typed in [
        "0000-0000-0000-0000",
        "ABCD",
        "ABCD-ABCD-ABCD-ABCD-A",
        "💥💥💥",
        "'; DROP TABLE sheets;--",
        &"F".repeat(1000),
    ] {
        let reply = h.ask(&stranger, &format!("/verify {typed}")).await;
        assert!(
            reply
                .text
                .as_deref()
                .is_some_and(|t| t.starts_with("Không có phiếu")),
            "{typed:.40}: {:?}",
            reply.text
        );
    }
    let usage = h.ask(&stranger, "/verify").await;
    assert!(
        usage.text.as_deref().unwrap().starts_with("Cách dùng"),
        "{:?}",
        usage.text
    );
    // Tampered: a level changed behind the bot's back.
    sqlx::query("UPDATE sheets SET criteria = '[2,2,2,2,2,2]' WHERE id = ?")
        .bind(sheet)
        .execute(&h.pool)
        .await
        .unwrap();
    let reply = h.ask(&stranger, &format!("/verify {code}")).await;
    assert!(
        reply
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("Cảnh báo")),
        "{:?}",
        reply.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_pasted_with_its_line_or_typed_alone_is_verified() {
    use lienhe::domain::Lang;
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let (_, code) = signed_sheet_code(&h, &secretary, &member).await;
    let stranger = vi_user(900, "Lạ");
    let officer = en_user(901, "Officer");
    // As the document's footer and the officer's message print it.
    for (who, typed) in [
        (&stranger, format!("/verify Mã xác thực: {code}")),
        (&stranger, format!("/verify mã {}", code.to_lowercase())),
        (
            &stranger,
            format!(
                "/verify Mã xác thực: {code} — kiểm tra bằng lệnh /verify {code} trên bot lienhe."
            ),
        ),
        (
            &officer,
            format!("/verify Verification code: {code} (check it with /verify)."),
        ),
        (&officer, format!("/verify code {code}")),
    ] {
        let reply = h.ask(who, &typed).await;
        assert!(
            says(reply.text.as_deref(), lang_of(who), "verify-ok"),
            "{typed}: {:?}",
            reply.text
        );
    }
    // /verify from the menu comes without the code; the code follows alone.
    let usage = h.ask(&stranger, "/verify").await;
    assert!(says(usage.text.as_deref(), Lang::Vi, "verify-usage"));
    let reply = h.ask(&stranger, &code).await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "verify-ok"),
        "{:?}",
        reply.text
    );
    let reply = h.ask(&officer, &format!("Verification code: {code}")).await;
    assert!(
        says(reply.text.as_deref(), Lang::En, "verify-ok"),
        "{:?}",
        reply.text
    );
    // A code of no sheet, typed alone, is said to be none; other text is
    // answered as before.
    let reply = h.ask(&stranger, "0000-0000-0000-0000").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "verify-not-found"),
        "{:?}",
        reply.text
    );
    let reply = h.ask(&stranger, "Xin chào").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "not-joined"),
        "{:?}",
        reply.text
    );
    let reply = h.ask(&member, "0912 345 678 0912").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "idle-hint"),
        "{:?}",
        reply.text
    );
    let reply = h.ask(&member, "ok").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "idle-hint"),
        "{:?}",
        reply.text
    );
    // Two codes in one text, of which one is a sheet's: that one.
    let reply = h
        .ask(&stranger, &format!("/verify 0000-0000-0000-0000 {code}"))
        .await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "verify-ok"),
        "{:?}",
        reply.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_in_english_names_the_year_and_a_dmy_date() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    let (_, code) = signed_sheet_code(&h, &secretary, &member).await;
    let reply = h.ask(&en_user(901, "X"), &format!("/verify {code}")).await;
    let text = reply.text.unwrap();
    assert!(text.contains("2026"), "{text}");
    assert!(text.contains("20/11/2026"), "dd/mm/yyyy: {text}");
    assert!(!text.contains("Phiếu"), "English: {text}");
}

// ------------------------------------------------------------------ hostile text

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_emoji_remarks_and_response_keep_the_response_in_verify() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    // Remarks: take the draft back, type 1,000 emoji, send again.
    h.press_data(&secretary, 1, &format!("sx:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
    let remarks = "🇻🇳".repeat(500); // 1,000 chars (regional indicators), 2,000 UTF-16 units
    let r = h.say(&secretary, &remarks).await;
    assert!(!r.is_empty());
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    assert!(
        draft.text.as_deref().unwrap().contains("🇻🇳"),
        "draft shows remarks"
    );
    h.press(&member, &draft, "💬 Góp ý").await;
    let response = format!("KẾT{}", "😀".repeat(997));
    let done = h.ask(&member, &response).await;
    assert!(
        done.text.as_deref().unwrap().starts_with("Đã ghi nhận"),
        "{:?}",
        done.text
    );
    // The secretary is told.
    let notice = with_button(&h, &secretary, &format!("sg:{sheet}"));
    h.press(&secretary, &notice, "✍️ Ký và gửi nơi công tác")
        .await;
    h.drain().await;
    let reply = verify(&h, sheet).await;
    let text = reply.text.unwrap();
    assert!(text.starts_with("Phiếu hợp lệ"), "{text:.200}");
    assert!(
        text.contains("Ý kiến của đảng viên:"),
        "the member's answer is in /verify's answer"
    );
    assert!(text.contains("KẾT"), "the response is shown");
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    let docx = h.first_docx(off.id);
    assert!(docx.contains("KẾT"), "response in DOCX");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_or_too_long_responses_are_asked_again_and_nothing_is_lost() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    h.press(&member, &draft, "💬 Góp ý").await;
    let r = h.ask(&member, "   \u{200b}  ").await;
    assert!(
        r.text.as_deref().unwrap().contains("tối đa"),
        "asked again: {:?}",
        r.text
    );
    let r = h.ask(&member, &"a".repeat(1001)).await;
    assert!(
        r.text.as_deref().unwrap().contains("tối đa"),
        "asked again: {:?}",
        r.text
    );
    let state: String = sqlx::query_scalar("SELECT state FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(state, "with_member");
    let r = h
        .ask(
            &member,
            "Đồng ý, nhưng xin bổ sung: đã tham gia dọn vệ sinh ngày 18/11.",
        )
        .await;
    assert!(
        r.text.as_deref().unwrap().starts_with("Đã ghi nhận"),
        "{:?}",
        r.text
    );
    let resp: Option<String> =
        sqlx::query_scalar("SELECT member_response FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert!(resp.unwrap().contains("18/11"));
}

// ------------------------------------------------------------------ window

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_sent_on_30_december_is_answered_and_signed_in_january_for_the_old_year() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    h.set_local(2026, 12, 30, 22, 0);
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    let t = draft.text.clone().unwrap();
    assert!(t.contains("06/01/2027"), "due a week later: {t}");
    // Signing before an answer is refused.
    let (ans, _) = h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    assert_eq!(ans.params["show_alert"], true, "{:?}", ans.params);
    // 3 January: the member accepts, the secretary signs.
    h.set_local(2027, 1, 3, 9, 0);
    h.press(&member, &draft, "✅ Đồng ý").await;
    let notice = with_button(&h, &secretary, &format!("sg:{sheet}"));
    h.press(&secretary, &notice, "✍️ Ký và gửi nơi công tác")
        .await;
    h.drain().await;
    let (state, year): (String, i64) =
        sqlx::query_as("SELECT state, year FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), year), ("signed", 2026));
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    let summary = texts(&h.api.sent(off.id));
    assert!(summary.contains("năm 2026"), "{summary}");
    // /sheets in January is still the old year, listing the sheet signed.
    let list = texts(&h.say(&secretary, "/sheets").await);
    assert!(list.contains("2026"), "{list}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_answer_for_seven_days_lets_the_secretary_sign_across_new_year() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.set_local(2026, 12, 28, 10, 0);
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    h.set_local(2027, 1, 4, 9, 59);
    let (ans, _) = h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    assert_eq!(
        ans.params["show_alert"], true,
        "still waiting: {:?}",
        ans.params
    );
    h.set_local(2027, 1, 4, 10, 1);
    let (ans, _) = h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    assert_ne!(ans.params["show_alert"], true, "{:?}", ans.params);
    // The member, too late, presses Accept.
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    let (ans, _) = h.press(&member, &draft, "✅ Đồng ý").await;
    assert_eq!(ans.params["show_alert"], true, "{:?}", ans.params);
    h.drain().await;
    let docs = documents_to(&h, member.id);
    assert_eq!(docs.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sheet_is_refused_in_october_and_the_previous_year_in_april() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.set_local(2026, 10, 31, 23, 59);
    h.cell_with_member(&secretary, &member).await;
    let ms = h.membership_of(member.id).await;
    let (ans, _) = h.press_data(&secretary, 1, &format!("so:{ms}")).await;
    assert_eq!(ans.params["show_alert"], true, "{:?}", ans.params);
    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 0);
    h.set_local(2026, 11, 1, 0, 0);
    let (ans, _) = h.press_data(&secretary, 1, &format!("so:{ms}")).await;
    assert_ne!(ans.params["show_alert"], true, "{:?}", ans.params);
    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 1);
}

// ------------------------------------------------------------------ answers and changes

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn secretary_and_deputy_sign_at_once_one_signature() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = vi_user(200, "Dũng");
    let off = vi_user(700, "Cán bộ");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    h.press(&member, &draft, "✅ Đồng ý").await;
    let data = format!("sg:{sheet}");
    let a = h.api.callback(&secretary, 1, &data);
    let b = h.api.callback(&deputy, 1, &data);
    h.handled(a).await;
    h.handled(b).await;
    h.drain().await;
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    h.quiet().await;
    h.drain().await;
    assert_eq!(sign_audits(&h).await, 1);
    assert_eq!(documents_to(&h, off.id).len(), 2);
    assert_eq!(documents_to(&h, member.id).len(), 2);
    let v = verify(&h, sheet).await;
    assert!(
        v.text.as_deref().unwrap().starts_with("Phiếu hợp lệ"),
        "{:?}",
        v.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_typed_after_the_draft_was_changed_and_sent_again_is_given_back() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    h.press(&member, &draft, "💬 Góp ý").await;
    // Meanwhile the secretary takes it back, changes a level, sends again.
    h.clock.advance(chrono::Duration::minutes(3));
    h.press_data(&secretary, 1, &format!("sx:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("sl:{sheet}:0:1"))
        .await;
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    let typed = "Tôi xin góp ý mục 1.";
    let replies = h.say(&member, typed).await;
    let all = texts(&replies);
    assert!(all.contains(typed), "the text is given back: {all}");
    let (answer, resp): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT member_answer, member_response FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!((answer, resp), (None, None), "{all}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_response_is_signed_as_such_and_verifies() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    h.press(&member, &draft, "💬 Góp ý").await;
    h.ask(
        &member,
        "Đề nghị ghi thêm hoạt động ngày 18/11 <b>&amp;</b>",
    )
    .await;
    h.clock.advance(chrono::Duration::minutes(3));
    h.press_data(&secretary, 1, &format!("sx:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("sl:{sheet}:0:1"))
        .await;
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    // No answer to the new draft for 7 days.
    h.clock
        .advance(chrono::Duration::days(7) + chrono::Duration::minutes(1));
    let (ans, _) = h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    assert_ne!(ans.params["show_alert"], true, "{:?}", ans.params);
    h.drain().await;
    let v = verify(&h, sheet).await;
    let t = v.text.unwrap();
    assert!(t.starts_with("Phiếu hợp lệ"), "{t}");
    assert!(t.contains("18/11"), "earlier response shown: {t}");
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    let docx = h.first_docx(off.id);
    assert!(docx.contains("18/11"), "earlier response in DOCX");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_in_remarks_and_response_still_makes_both_documents() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    h.press_data(&secretary, 1, &format!("sx:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
    let word = "x".repeat(900);
    let remarks = format!("{word}\n\n\n\u{202E}đảo ngược\u{202C} 中文字 ]]> </w:t> \u{0007}bell");
    h.say(&secretary, &remarks).await;
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    h.press(&member, &draft, "💬 Góp ý").await;
    let response = format!("{}\n{}", "Ư̛̛̛̛".repeat(50), "ﷺ".repeat(300));
    let r = h.ask(&member, &response).await;
    assert!(
        r.text.as_deref().unwrap().starts_with("Đã ghi nhận"),
        "{:?}",
        r.text
    );
    let (ans, _) = h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    assert_ne!(ans.params["show_alert"], true, "{:?}", ans.params);
    h.drain().await;
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    let docs = documents_to(&h, off.id);
    assert!(
        docs[1]
            .document_bytes
            .as_deref()
            .unwrap()
            .starts_with(b"%PDF")
    );
    let xml = h.first_docx(off.id);
    assert!(quick_xml::Reader::from_str(&xml).read_event().is_ok());
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("DOCX XML broken: {e}"),
        }
    }
    assert!(xml.contains(&word[..100]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn response_dialogue_survives_a_restart() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    h.press(&member, &draft, "💬 Góp ý").await;
    h.restart().await;
    let r = h.ask(&member, "Sau khi khởi động lại").await;
    assert!(
        r.text.as_deref().unwrap().starts_with("Đã ghi nhận"),
        "{:?}",
        r.text
    );
    let resp: Option<String> =
        sqlx::query_scalar("SELECT member_response FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(resp.as_deref(), Some("Sau khi khởi động lại"));
}

// ------------------------------------------------------------------ delivery

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_officer_at_signing_then_one_registers_and_fetches_the_sheet() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    let (sheet, _code) = signed_sheet_code(&h, &secretary, &member).await;
    wait_for(&h, "member docs", |h| documents_to(h, member.id).len() >= 2).await;
    let docs = documents_to(&h, member.id);
    let caption = docs[0].text.clone().unwrap_or_default();
    assert!(
        caption.contains("was not sent to the workplace"),
        "{caption}"
    );
    let told = texts(&h.api.sent(secretary.id));
    assert!(told.contains("chưa có cán bộ"), "{told}");
    let list = texts(&h.say(&secretary, "/sheets").await);
    assert!(list.contains("chưa được gửi"), "{list}");
    // An officer registers later and fetches it.
    let off = en_user(700, "Officer");
    let wp = workplace_of(&h, member.id).await;
    officer(&h, &off, wp).await;
    h.say(&off, "/sheet Nguyễn Văn An").await;
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    let xml = h.first_docx(off.id);
    assert!(xml.contains("Nguyễn Văn An"));
    let _ = sheet;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_member_sees_the_due_day_as_dd_mm_yyyy_and_the_block_names_it() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    h.set_local(2026, 12, 29, 23, 30);
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    let t = draft.text.clone().unwrap();
    assert!(t.contains("05/01/2027"), "{t}");
    assert!(t.contains("2026"), "{t}");
    let (ans, _) = h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    let alert = ans.params["text"].as_str().unwrap_or_default().to_string();
    assert!(alert.contains("05/01/2027"), "{alert}");
    assert!(alert.contains("Waiting"), "{alert}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_response_is_taken_once() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    h.press(&member, &draft, "💬 Góp ý").await;
    let before = h.api.sent_count(secretary.id);
    let update = h.api.text(&member, "Một lần thôi");
    h.handled(update).await;
    h.quiet().await;
    h.restart().await;
    h.api.redeliver(update);
    h.quiet().await;
    h.drain().await;
    let notices = h.api.sent(secretary.id)[before..]
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Một lần thôi"))
        })
        .count();
    assert_eq!(notices, 1, "{}", texts(&h.api.sent(secretary.id)[before..]));
    let to_member = texts(&h.api.sent(member.id));
    assert_eq!(to_member.matches("Đã ghi nhận").count(), 1, "{to_member}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_joined_in_january_is_not_on_last_years_sheets() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let newcomer = vi_user(301, "Mới");
    h.cell_with_member(&secretary, &member).await;
    h.set_local(2027, 1, 10, 9, 0);
    h.join_approved(&secretary, &newcomer, "Lê Văn Mới").await;
    let list = texts(&h.say(&secretary, "/sheets").await);
    assert!(list.contains("2026"), "{list}");
    assert!(list.contains("Nguyễn Văn An"), "{list}");
    assert!(
        !list.contains("Lê Văn Mới"),
        "introduced 01/2027 is not judged on 2026: {list}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn send_pressed_twice_at_once_sends_one_draft() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ms = h.membership_of(member.id).await;
    let sheet = h.open_sheet(&secretary, ms).await;
    for c in 0..6 {
        h.press_data(&secretary, 1, &format!("sl:{sheet}:{c}:0"))
            .await;
    }
    let data = format!("ss:{sheet}");
    let a = h.api.callback(&secretary, 1, &data);
    let b = h.api.callback(&secretary, 1, &data);
    h.handled(a).await;
    h.handled(b).await;
    h.quiet().await;
    h.drain().await;
    let drafts = h
        .api
        .sent(member.id)
        .into_iter()
        .filter(|s| {
            s.buttons()
                .iter()
                .any(|(_, d)| d.starts_with(&format!("ma:{sheet}")))
        })
        .count();
    assert_eq!(drafts, 1);
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE subject = 'sheet' AND action = 'send_to_member'"
        )
        .await
            + h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'sheet' AND action = 'send'")
                .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remarks_typed_after_the_draft_was_sent_are_given_back() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ms = h.membership_of(member.id).await;
    let sheet = h.open_sheet(&secretary, ms).await;
    for c in 0..6 {
        h.press_data(&secretary, 1, &format!("sl:{sheet}:{c}:0"))
            .await;
    }
    h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    let typed = "Nhận xét gõ muộn";
    let replies = texts(&h.say(&secretary, typed).await);
    let remarks: String = sqlx::query_scalar("SELECT remarks FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert!(
        remarks.is_empty(),
        "remarks changed after the member was sent the draft: {remarks}"
    );
    assert!(replies.contains(typed), "given back: {replies}");
}

fn months_line(xml: &str) -> String {
    let at = xml.find("Số tháng có hoạt động").expect("months line");
    xml[at..at + 80].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_of_introduction_corrected_after_signing_leaves_the_documents_as_signed() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    h.cell_with_member(&secretary, &member).await;
    let wp = workplace_of(&h, member.id).await;
    officer(&h, &off, wp).await;
    let summary = h
        .report_until_summary(
            &member,
            "Họp tổ dân phố, thôn, khối",
            "Hôm nay",
            "Họp tổ dân phố số 5",
            &[],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;
    let ms = h.membership_of(member.id).await;
    let sheet = h.sheet_sent_to_member(&secretary, ms).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    h.press(&member, &draft, "✅ Đồng ý").await;
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    let signed_line = months_line(&h.first_docx(off.id));
    // Correct the month of introduction to 01/2026.
    h.press_data(&secretary, 1, &format!("yi:{ms}")).await;
    let r = texts(&h.say(&secretary, "01/2026").await);
    let intro: Option<String> =
        sqlx::query_scalar("SELECT CAST(introduced_on AS TEXT) FROM memberships WHERE id = ?")
            .bind(ms)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert!(
        intro.as_deref().unwrap_or_default().starts_with("2026-01"),
        "corrected: {intro:?} {r}"
    );
    // The officer fetches it again.
    let before = documents_to(&h, off.id).len();
    h.say(&off, "/sheet Nguyễn Văn An").await;
    wait_for(&h, "docs again", |h| {
        documents_to(h, off.id).len() >= before + 2
    })
    .await;
    let again = documents_to(&h, off.id)[before]
        .document_bytes
        .clone()
        .unwrap();
    let again_line = months_line(&part(&again, "word/document.xml"));
    assert_eq!(signed_line, again_line);
    let v = verify(&h, sheet).await;
    assert!(
        v.text.as_deref().unwrap().starts_with("Phiếu hợp lệ"),
        "{:?}",
        v.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_who_is_also_the_workplaces_officer_gets_the_documents_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&secretary)).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    h.press(&member, &draft, "✅ Đồng ý").await;
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;
    wait_for(&h, "docs", |h| documents_to(h, secretary.id).len() >= 2).await;
    h.quiet().await;
    h.drain().await;
    let docs = documents_to(&h, secretary.id);
    assert_eq!(
        docs.len(),
        2,
        "the same DOCX and PDF twice: {:?}",
        docs.iter().map(|d| d.file.clone()).collect::<Vec<_>>()
    );
}

/// The member changed workplace this year to one with no officer in the
/// bot: the sheet reaches the old workplace only; the member and the
/// secretary must not be told it went to "your workplace" (the new one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_whose_new_workplace_has_no_officer_is_not_told_it_was_sent_there() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM workplaces ORDER BY id")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    let old_wp = workplace_of(&h, member.id).await;
    let off = vi_user(700, "Cán bộ");
    officer(&h, &off, old_wp).await;
    let ms = h.membership_of(member.id).await;
    let sheet = h.sheet_sent_to_member(&secretary, ms).await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    // Change workplace in /profile to the other one (no officer).
    let shown = h.ask(&member, "/profile").await;
    let change = shown
        .buttons()
        .into_iter()
        .find(|(l, _)| l.contains("workplace") || l.contains("Workplace"))
        .map(|(l, _)| l)
        .unwrap_or_else(|| panic!("{:?}", shown.buttons()));
    let (_, picker) = h.press(&member, &shown, &change).await;
    let picker = picker.last().unwrap().clone();
    let other = ids.iter().position(|&w| w != old_wp).unwrap();
    let label = picker.buttons()[other].0.clone();
    h.press(&member, &picker, &label).await;
    let now_wp = workplace_of(&h, member.id).await;
    assert_ne!(now_wp, old_wp, "{label}");
    let (_, _) = h.press(&member, &draft, "✅ Accept").await;
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;
    wait_for(&h, "member docs", |h| documents_to(h, member.id).len() >= 2).await;
    wait_for(&h, "old officer docs", |h| {
        documents_to(h, off.id).len() >= 2
    })
    .await;
    let caption = documents_to(&h, member.id)[0]
        .text
        .clone()
        .unwrap_or_default();
    let secretary_said = texts(
        &h.api
            .sent(secretary.id)
            .into_iter()
            .filter(|s| s.text.as_deref().is_some_and(|t| t.starts_with("Đã ký")))
            .collect::<Vec<_>>(),
    );
    let xml = h.first_docx(off.id);
    let addressee = xml.find("Kính gửi").map(|at| xml[at..at + 120].to_string());
    eprintln!("SECRETARY: {secretary_said}\nDOCX to old workplace: {addressee:?}");
    let now_name: String = sqlx::query_scalar("SELECT name FROM workplaces WHERE id = ?")
        .bind(now_wp)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert!(
        !caption.contains("sent to your workplace"),
        "the member is told it went to their workplace ({now_name}), which has no officer: {caption}\n\nsecretary: {secretary_said}"
    );
}

/// The member responds to the first draft; the secretary changes and sends
/// it again twice without the member answering either: the response must
/// stay with the sheet (README: "until the member answers the new draft,
/// it is shown, and signed, as the member's response to the draft before
/// it was changed").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_survives_two_changes_of_the_draft() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let off = vi_user(700, "Cán bộ");
    let sheet = sent_sheet(&h, &secretary, &member, Some(&off)).await;
    let draft = with_button(&h, &member, &format!("mr:{sheet}:"));
    h.press(&member, &draft, "💬 Góp ý").await;
    h.ask(&member, "Đề nghị ghi nhận buổi dọn vệ sinh ngày 18/11")
        .await;
    for (i, level) in [1, 2].into_iter().enumerate() {
        h.clock.advance(chrono::Duration::minutes(5));
        h.press_data(&secretary, 1, &format!("sx:{sheet}")).await;
        h.press_data(&secretary, 1, &format!("sl:{sheet}:0:{level}"))
            .await;
        h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
        let resp: Option<String> =
            sqlx::query_scalar("SELECT member_response FROM sheets WHERE id = ?")
                .bind(sheet)
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert!(
            resp.as_deref().is_some_and(|r| r.contains("18/11")),
            "after change {}: the member's response is gone ({resp:?})",
            i + 1
        );
    }
    h.clock
        .advance(chrono::Duration::days(7) + chrono::Duration::minutes(1));
    h.press_data(&secretary, 1, &format!("sg:{sheet}")).await;
    h.drain().await;
    wait_for(&h, "officer docs", |h| documents_to(h, off.id).len() >= 2).await;
    assert!(
        h.first_docx(off.id).contains("18/11"),
        "the response is in the signed sheet"
    );
}

/// Send tapped twice at once: the second press said the sheet "has just
/// changed (perhaps by someone else on the committee)", while it was the
/// officer's own first press that sent it. It says the draft was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_tapped_twice_says_the_draft_was_sent() {
    use lienhe::domain::Lang;
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ms = h.membership_of(member.id).await;
    let sheet = h.open_sheet(&secretary, ms).await;
    for c in 0..6 {
        h.press_data(&secretary, 1, &format!("sl:{sheet}:{c}:0"))
            .await;
    }
    let data = format!("ss:{sheet}");
    let a = h.api.callback(&secretary, 1, &data);
    let b = h.api.callback(&secretary, 1, &data);
    h.handled(a).await;
    h.handled(b).await;
    h.quiet().await;
    let answer = |update: i64| {
        let query = h.api.update(update).unwrap()["callback_query"]["id"].clone();
        h.api
            .calls()
            .into_iter()
            .find(|c| c.method == "answercallbackquery" && c.params["callback_query_id"] == query)
            .and_then(|c| c.params["text"].as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    assert!(
        says(Some(&answer(a)), Lang::Vi, "sheet-sent-to-member"),
        "{}",
        answer(a)
    );
    let second = answer(b);
    assert!(
        says(Some(&second), Lang::Vi, "sheet-already-sent"),
        "{second}"
    );
}

/// A sheet's buttons pressed again after a step got there first (the same
/// hand's earlier press, the other committee member's) said only "the
/// sheet has just changed (perhaps by someone else on the committee)".
/// They say what happened: the draft taken back to be changed, the sheet
/// signed, by whom and when.
#[tokio::test]
async fn a_second_press_on_a_sheet_says_what_happened_first() {
    use lienhe::domain::Lang;
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = vi_user(200, "Dũng");
    let sheet = sent_sheet(&h, &secretary, &member, None).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let alert = |c: &Call| c.params["text"].as_str().unwrap_or_default().to_string();
    let change = format!("sx:{sheet}");
    h.press_data(&secretary, 1, &change).await;
    let (again, _) = h.press_data(&secretary, 1, &change).await;
    assert!(
        says(Some(&alert(&again)), Lang::Vi, "sheet-now-draft"),
        "{again:?}"
    );
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    h.drain().await;
    let draft = with_button(&h, &member, &format!("ma:{sheet}:"));
    h.press(&member, &draft, "✅ Đồng ý").await;
    let sign = format!("sg:{sheet}");
    h.press_data(&secretary, 1, &sign).await;
    let (again, _) = h.press_data(&deputy, 1, &sign).await;
    let said = alert(&again);
    assert!(
        says(Some(&said), Lang::Vi, "sheet-now-signed") && said.contains("Trần Thị Bình"),
        "{said}"
    );
    assert_eq!(sign_audits(&h).await, 1);
}

/// A code of another kind where one was asked: /start given a comment
/// sheet's verification code said the invitation was wrong and to ask the
/// secretary for a new one, and /verify given an invite code (or its link,
/// or a check-in code) said no signed sheet had it. Now /start answers what
/// /verify answers, and /verify says it is an invitation's code, to open
/// with its link or /start; in the user's language, nothing used up.
async fn a_code_of_another_kind(lang: lienhe::domain::Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let (_, code) = signed_sheet_code(&h, &secretary, &member).await;
    let stranger = user_in(lang, 900, "Lạ");
    let reply = h.ask(&stranger, &format!("/start {code}")).await;
    assert!(
        says(reply.text.as_deref(), lang, "verify-ok"),
        "{:?}",
        reply.text
    );
    let reply = h.ask(&stranger, "/start 1A2B-3C4D-5E6F-7A8B").await;
    assert!(
        says(reply.text.as_deref(), lang, "verify-not-found"),
        "{:?}",
        reply.text
    );
    let invite = h.invite_code(&secretary).await;
    for typed in [
        invite.clone(),
        format!("https://t.me/lienhe_test_bot?start={invite}"),
        "ck_AAAAAAAAAAAAAAAAAAAAAA".to_string(),
    ] {
        let reply = h.ask(&stranger, &format!("/verify {typed}")).await;
        assert!(
            says(reply.text.as_deref(), lang, "verify-other-code"),
            "{typed}: {:?}",
            reply.text
        );
    }
    // A code of no invitation is still no sheet's (nothing said of it).
    let reply = h.ask(&stranger, "/verify EBa2J3BUhZ7MdCzZSUQCQL").await;
    assert!(
        says(reply.text.as_deref(), lang, "verify-not-found"),
        "{:?}",
        reply.text
    );
    // The invitation is not used up: the stranger joins with it.
    h.request_join(&stranger, &invite, "Trần Văn Lạ").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 900 AND status = 'pending'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_of_another_kind_is_answered_for_what_it_is() {
    a_code_of_another_kind(lienhe::domain::Lang::Vi).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_of_another_kind_is_answered_for_what_it_is_in_english() {
    a_code_of_another_kind(lienhe::domain::Lang::En).await;
}
