//! A button tapped twice at once (issues 2, 7): a slow phone sends two
//! presses of the same message before the first is answered. Telegram
//! sends each with the message as it was when it was tapped, so the second
//! press, handled after the first, carries a message the first one has
//! already edited. Each press must be answered once, the item changed
//! once, and no edit made twice: Telegram refuses an edit that changes
//! nothing ("message is not modified").

use super::committee::{make_deputy, submit_report};
use crate::common::*;
use lienhe::domain::Lang;

/// The data of the first button starting with `prefix` on the last message
/// to `user` that has one, and that message's id.
fn button(h: &Harness, user: &TgUser, prefix: &str) -> (i64, String) {
    let message = h
        .api
        .sent(user.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no button {prefix} for {}", user.id));
    let data = message
        .buttons()
        .into_iter()
        .find(|(_, d)| d.starts_with(prefix))
        .unwrap()
        .1;
    (message.message_id, data)
}

/// Taps the button twice at once: both presses carry the message as it is
/// now. Returns what went wrong: a press not answered once, a request
/// Telegram refused.
async fn tapped_twice(h: &Harness, user: &TgUser, prefix: &str) -> Vec<String> {
    let (message, data) = button(h, user, prefix);
    tapped_twice_on(h, user, message, &data).await
}

async fn tapped_twice_on(h: &Harness, user: &TgUser, message: i64, data: &str) -> Vec<String> {
    let before = h.api.call_count();
    let a = h.api.callback(user, message, data);
    let b = h.api.callback(user, message, data);
    h.handled(a).await;
    h.handled(b).await;
    h.quiet().await;
    h.drain().await;
    let calls: Vec<Call> = h.api.calls().into_iter().skip(before).collect();
    let mut wrong = Vec::new();
    for update in [a, b] {
        let query = h.api.update(update).unwrap()["callback_query"]["id"].clone();
        let answers = calls
            .iter()
            .filter(|c| c.method == "answercallbackquery" && c.params["callback_query_id"] == query)
            .count();
        if answers != 1 {
            wrong.push(format!("{data}: a press answered {answers} times"));
        }
    }
    for call in calls.iter().filter(|c| !c.response_ok) {
        wrong.push(format!("{data}: {} refused: {}", call.method, call.params));
    }
    wrong
}

async fn audited(h: &Harness, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?")
        .bind(action)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// Joining, reporting, deciding, the profile and a member's card: every
/// step's button tapped twice at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_report_decision_and_member_buttons_tapped_twice_act_and_edit_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let mut wrong = Vec::new();
    // /language
    h.ask(&member, "/language").await;
    wrong.extend(tapped_twice(&h, &member, "l:en").await);
    h.ask(&member, "/language").await;
    wrong.extend(tapped_twice(&h, &member, "l:vi").await);
    // A join: the workplace, the month of introduction, Confirm; Approve.
    let newcomer = vi_user(301, "Hoa");
    let code = h.invite_code(&secretary).await;
    h.ask(&newcomer, &format!("/start {code}")).await;
    h.ask(&newcomer, "Lê Thị Hoa").await;
    h.ask(&newcomer, "Bỏ qua").await;
    for step in ["w:", "ym", "jc"] {
        wrong.extend(tapped_twice(&h, &newcomer, step).await);
    }
    wrong.extend(tapped_twice(&h, &secretary, "ja:").await);
    // A report: the kind, Today, no photos, Submit; Approve.
    h.ask(&member, "/report").await;
    wrong.extend(tapped_twice(&h, &member, "k:").await);
    wrong.extend(tapped_twice(&h, &member, "dt").await);
    h.ask(&member, "Dọn vệ sinh khu phố").await;
    wrong.extend(tapped_twice(&h, &member, "pd").await);
    wrong.extend(tapped_twice(&h, &member, "rs").await);
    wrong.extend(tapped_twice(&h, &secretary, "ra:").await);
    // Another one, rejected and sent back.
    submit_report(&h, &member, "Họp tổ dân phố").await;
    wrong.extend(tapped_twice(&h, &secretary, "rr:").await);
    h.ask(&secretary, "Thiếu ảnh").await;
    wrong.extend(tapped_twice(&h, &member, "ur:").await);
    h.ask(&member, "/cancel").await;
    // /profile's questions.
    for change in ["pp", "pw"] {
        h.ask(&member, "/profile").await;
        wrong.extend(tapped_twice(&h, &member, change).await);
        h.ask(&member, "/cancel").await;
    }
    // A member's card: the month of introduction, the end of a membership.
    h.ask(&secretary, "/members").await;
    wrong.extend(tapped_twice(&h, &secretary, "bo:").await);
    wrong.extend(tapped_twice(&h, &secretary, "yi:").await);
    h.ask(&secretary, "/cancel").await;
    wrong.extend(tapped_twice(&h, &secretary, "el:").await);
    h.ask(&secretary, "Chuyển nhà").await;
    wrong.extend(tapped_twice(&h, &secretary, "ec").await);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(h.api.not_modified(), 0);
    // Each item once.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 301")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE user_id = 300")
            .await,
        2
    );
    assert_eq!(audited(&h, "approve").await, 3, "two joins, one report");
    assert_eq!(audited(&h, "reject").await, 1);
    assert_eq!(audited(&h, "end").await, 1);
}

/// A meeting, a comment sheet, an announcement and /forgetme: every
/// step's button tapped twice at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meeting_sheet_announcement_and_erasure_buttons_tapped_twice_act_and_edit_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let deputy = vi_user(200, "Dũng");
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let mut wrong = Vec::new();
    // A meeting: its kind, Send invitations; the member's answers; the
    // summary's buttons.
    h.ask(&secretary, "/meeting").await;
    wrong.extend(tapped_twice(&h, &secretary, "gk:").await);
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    h.ask(&secretary, "Triển khai nhiệm vụ").await;
    wrong.extend(tapped_twice(&h, &secretary, "gs").await);
    wrong.extend(tapped_twice(&h, &member, "ga:").await);
    wrong.extend(tapped_twice(&h, &member, "gd:").await);
    h.ask(&member, "Bận công tác").await;
    h.ask(&secretary, "/meetings").await;
    wrong.extend(tapped_twice(&h, &secretary, "gv:").await);
    wrong.extend(tapped_twice(&h, &secretary, "gc:").await);
    wrong.extend(tapped_twice(&h, &secretary, "gn:").await);
    wrong.extend(tapped_twice(&h, &secretary, "gc:").await);
    wrong.extend(tapped_twice(&h, &secretary, "gy:").await);
    // The member's sheet: a level, remarks, Send, the member's response,
    // Change, Send again, Accept, Sign.
    let membership = h.membership_of(member.id).await;
    wrong.extend(tapped_twice_on(&h, &secretary, 1, &format!("so:{membership}")).await);
    wrong.extend(tapped_twice(&h, &secretary, "sl:").await);
    let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets WHERE membership_id = ?")
        .bind(membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    for criterion in 1..6 {
        h.press_data(&secretary, 1, &format!("sl:{sheet}:{criterion}:0"))
            .await;
    }
    wrong.extend(tapped_twice(&h, &secretary, "sr:").await);
    h.ask(&secretary, "Tích cực tham gia").await;
    wrong.extend(tapped_twice(&h, &secretary, "ss:").await);
    wrong.extend(tapped_twice(&h, &member, "mr:").await);
    h.ask(&member, "Xin ghi nhận").await;
    h.drain().await;
    wrong.extend(tapped_twice(&h, &secretary, "sx:").await);
    wrong.extend(tapped_twice(&h, &secretary, "ss:").await);
    wrong.extend(tapped_twice(&h, &member, "ma:").await);
    wrong.extend(tapped_twice(&h, &secretary, "sg:").await);
    // An announcement's Send.
    h.ask(&secretary, "/announce").await;
    h.ask(&secretary, "Thông báo lịch họp").await;
    wrong.extend(tapped_twice(&h, &secretary, "as").await);
    // /forgetme's confirmation.
    h.ask(&member, "/forgetme").await;
    wrong.extend(tapped_twice(&h, &member, "fy").await);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(h.api.not_modified(), 0);
    // Each change once.
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 1);
    assert_eq!(audited(&h, "send_to_member").await, 2);
    assert_eq!(audited(&h, "sign").await, 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'announcement'")
            .await,
        1
    );
}

/// Long lists and a meeting's register: a page's Next, the register's
/// toggles, pages and Close tapped twice at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_register_buttons_tapped_twice_act_and_edit_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 1000, 45).await;
    let mut wrong = Vec::new();
    // /members, 46 members: a page at a time.
    h.ask(&secretary, "/members").await;
    wrong.extend(tapped_twice(&h, &secretary, "qs:").await);
    // A meeting starting in ten minutes: its register.
    h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, 1, "gk:c").await;
    let start = default_now() + chrono::Duration::minutes(10);
    let when = start
        .with_timezone(&TZ)
        .format("%d/%m/%Y %H:%M")
        .to_string();
    h.ask(&secretary, &when).await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    h.ask(&secretary, "Triển khai nhiệm vụ").await;
    h.press_data(&secretary, 1, &button(&h, &secretary, "gs").1)
        .await;
    h.drain().await;
    h.ask(&secretary, "/attendance").await;
    wrong.extend(tapped_twice(&h, &secretary, "tt:").await);
    wrong.extend(tapped_twice(&h, &secretary, "tp:").await);
    wrong.extend(tapped_twice(&h, &secretary, "tc:").await);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(h.api.not_modified(), 0);
    assert_eq!(audited(&h, "attendance_mark").await, 1);
    assert_eq!(audited(&h, "meeting_close").await, 1);
}

/// "Correct the month of introduction" on the card of a member whose
/// membership the secretary ended since (a card shown last week): said
/// that the member is no longer active in the cell, not that the
/// secretary is not allowed; nothing changed.
#[tokio::test]
async fn correcting_the_month_of_a_member_ended_since_says_so() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    let card = h
        .press_data(&secretary, 1, &format!("bo:{membership}"))
        .await
        .1
        .pop()
        .unwrap();
    // Ended from the card.
    h.press_data(&secretary, card.message_id, &format!("el:{membership}"))
        .await;
    h.ask(&secretary, "Chuyển nhà").await;
    h.press_data(&secretary, 1, &data_of(&h.last(&secretary), "ec"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'left'")
            .await,
        1
    );
    let (answer, _) = h
        .press_data(&secretary, card.message_id, &format!("yi:{membership}"))
        .await;
    assert!(
        says(answer.str_param("text"), Lang::Vi, "end-not-active"),
        "{answer:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'set_introduced'")
            .await,
        0
    );
}

/// A button that asks a question tapped twice at once: the question was
/// sent twice (Reject's "reason?", Change phone, a member's card's
/// questions, I cannot attend, Reschedule, Other remarks, Respond), two
/// identical questions one under the other. It is asked once; the second
/// press says it waits just above.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_button_tapped_twice_asks_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let mut wrong = Vec::new();
    let mut asked = async |user: &TgUser, prefix: &str| {
        let before = h.api.call_count();
        wrong.extend(tapped_twice(&h, user, prefix).await);
        let sent = h
            .api
            .calls()
            .into_iter()
            .skip(before)
            .filter(|c| c.method == "sendmessage" && c.params["chat_id"] == user.id)
            .count();
        if sent != 1 {
            wrong.push(format!("{prefix}: {sent} messages sent"));
        }
    };
    submit_report(&h, &member, "Họp tổ dân phố").await;
    asked(&secretary, "rr:").await;
    h.ask(&secretary, "/cancel").await;
    for change in ["pp", "pw"] {
        h.ask(&member, "/profile").await;
        asked(&member, change).await;
        h.ask(&member, "/cancel").await;
    }
    h.ask(&secretary, "/members").await;
    h.press_data(
        &secretary,
        1,
        &format!("bo:{}", h.membership_of(member.id).await),
    )
    .await;
    for question in ["yi:", "el:"] {
        asked(&secretary, question).await;
        h.ask(&secretary, "/cancel").await;
    }
    h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, 1, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    h.ask(&secretary, "Triển khai nhiệm vụ").await;
    h.press_data(&secretary, 1, &button(&h, &secretary, "gs").1)
        .await;
    h.drain().await;
    asked(&member, "gd:").await;
    h.ask(&member, "/cancel").await;
    h.ask(&secretary, "/meetings").await;
    asked(&secretary, "gp:").await;
    h.ask(&secretary, "/cancel").await;
    let membership = h.membership_of(member.id).await;
    let sheet = h.open_sheet(&secretary, membership).await;
    for criterion in 0..6 {
        h.press_data(&secretary, 1, &format!("sl:{sheet}:{criterion}:0"))
            .await;
    }
    asked(&secretary, "sr:").await;
    h.ask(&secretary, "Tích cực tham gia").await;
    h.press_data(&secretary, 1, &button(&h, &secretary, "ss:").1)
        .await;
    h.drain().await;
    asked(&member, "mr:").await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(h.api.not_modified(), 0);
}

/// A membership ended since the buttons were shown: the secretary's Open
/// on the member's sheet, and the former member's /profile buttons, were
/// answered "You are not allowed to do this." They say what is true: the
/// membership ended, and on which day.
#[tokio::test]
async fn buttons_pressed_after_a_membership_ended_say_it_ended() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    let profile = h.ask(&member, "/profile").await;
    let card = h
        .press_data(&secretary, 1, &format!("bo:{membership}"))
        .await
        .1
        .pop()
        .unwrap();
    h.press_data(&secretary, card.message_id, &format!("el:{membership}"))
        .await;
    h.ask(&secretary, "Chuyển nhà").await;
    h.press_data(&secretary, 1, &data_of(&h.last(&secretary), "ec"))
        .await;
    let (answer, _) = h
        .press_data(&secretary, 1, &format!("so:{membership}"))
        .await;
    let said = answer.str_param("text").unwrap_or_default().to_string();
    assert!(!says(Some(&said), Lang::Vi, "not-allowed"), "{said}");
    assert!(said.contains("20/11/2026"), "{said}");
    let (answer, _) = h.press_data(&member, profile.message_id, "pp").await;
    let said = answer.str_param("text").unwrap_or_default().to_string();
    let ended = lienhe::t!(
        Lang::En,
        "profile-membership-ended",
        cell = "Chi bộ khối 5",
        date = "20/11/2026"
    );
    assert_eq!(said, ended);
}

/// /invite's cell choice tapped twice at once made two codes, one after
/// the other, the first revoked and said so: the secretary was left with
/// two links, one dead. The second press makes none and points to the
/// code just sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_s_cell_choice_tapped_twice_makes_one_code() {
    let h = Harness::start().await;
    let ward = h.ward("Phường Bến Thủy").await;
    let a = h.cell(ward, "Chi bộ khối 1").await;
    let b = h.cell(ward, "Chi bộ khối 2").await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, a, "Trần Thị Bình").await;
    h.make_secretary(&secretary, b, "Trần Thị Bình").await;
    h.ask(&secretary, "/invite").await;
    let before = h.api.sent_count(secretary.id);
    let wrong = tapped_twice(&h, &secretary, &format!("im:{b}")).await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let sent = h.api.sent(secretary.id).split_off(before);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let codes: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT code, revoked_at FROM invites WHERE cell_id = ? AND used_at IS NULL",
    )
    .bind(b)
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(codes.len(), 1, "one code, none revoked: {codes:?}");
    assert!(codes[0].1.is_none(), "{codes:?}");
}

/// /invite's cell choice tapped twice, the bot killed between the two
/// presses: the guard lived in the process's memory, so the second press
/// made a second link, revoked the first (which the secretary may already
/// have shared) and said so. Now the link made seconds ago is found in the
/// database: the second press shows it again and revokes nothing.
async fn invite_pressed_again_after_a_restart(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    let ward = h.ward("Phường Bến Thủy").await;
    let a = h.cell(ward, "Chi bộ khối 1").await;
    let b = h.cell(ward, "Chi bộ khối 2").await;
    h.make_secretary(&secretary, a, "Trần Thị Bình").await;
    h.make_secretary(&secretary, b, "Trần Thị Bình").await;
    h.ask(&secretary, "/invite").await;
    let (message, data) = button(&h, &secretary, &format!("im:{b}"));
    let (_, first) = h.press_data(&secretary, message, &data).await;
    let code: String =
        sqlx::query_scalar("SELECT code FROM invites WHERE cell_id = ? AND kind = 'member'")
            .bind(b)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert!(
        first
            .iter()
            .any(|s| s.text.as_deref().is_some_and(|t| t.contains(&code))),
        "{first:?}"
    );
    h.kill_bot().await;
    // The process's memory of the press dies with it.
    lienhe::telegram::send::pressed_once::forget(&h.bot());
    h.start_bot().await;
    let (_, again) = h.press_data(&secretary, message, &data).await;
    let codes: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT code, revoked_at FROM invites WHERE cell_id = ? AND kind = 'member'",
    )
    .bind(b)
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(codes, [(code.clone(), None)], "one code, not revoked");
    assert!(
        again
            .iter()
            .all(|s| !says(s.text.as_deref(), lang, "invite-earlier-links-revoked")),
        "{again:?}"
    );
    assert!(
        again
            .iter()
            .any(|s| s.text.as_deref().is_some_and(|t| t.contains(&code))),
        "the link shown again: {again:?}"
    );
}

#[tokio::test]
async fn an_invite_s_cell_choice_pressed_again_after_a_restart_makes_no_second_code() {
    invite_pressed_again_after_a_restart(vi_user(100, "Bình")).await;
}

#[tokio::test]
async fn an_invite_s_cell_choice_pressed_again_after_a_restart_makes_no_second_code_in_english() {
    invite_pressed_again_after_a_restart(en_user(100, "Binh")).await;
}

/// Reject pressed while the question's request broke off (a connection
/// closed before Telegram answered, not sent again): the reason's question was stored as asked but never shown,
/// and Reject pressed again said "the question waits just above", over
/// nothing. The second press asks it again.
#[tokio::test]
async fn a_question_that_never_reached_telegram_is_asked_again() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    submit_report(&h, &member, "Họp tổ dân phố").await;
    h.drain().await;
    let (message, data) = button(&h, &secretary, "rr:");
    h.api
        .fail_next("sendmessage", Some(secretary.id), Fault::Disconnect, 1);
    let (_, shown) = h.press_data(&secretary, message, &data).await;
    assert!(
        !shown
            .iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "ask-reject-reason")),
        "{shown:?}"
    );
    let (answer, shown) = h.press_data(&secretary, message, &data).await;
    let toast = answer.params["text"].as_str().unwrap_or_default();
    assert!(
        !says(Some(toast), Lang::Vi, "question-asked-above"),
        "{toast}"
    );
    assert!(
        shown
            .iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "ask-reject-reason")),
        "{shown:?}"
    );
}

/// The same, with the bot restarted before the second press: the mark of
/// the question never shown lived in the process's memory, so after the
/// restart Reject said "the question waits just above", over nothing, and
/// the secretary did not know what to type. The second press asks it.
async fn question_never_shown_then_a_restart(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    submit_report(&h, &member, "Họp tổ dân phố").await;
    h.drain().await;
    let (message, data) = button(&h, &secretary, "rr:");
    h.api
        .fail_next("sendmessage", Some(secretary.id), Fault::Disconnect, 1);
    let (_, shown) = h.press_data(&secretary, message, &data).await;
    assert!(
        !shown
            .iter()
            .any(|s| says(s.text.as_deref(), lang, "ask-reject-reason")),
        "{shown:?}"
    );
    h.kill_bot().await;
    h.start_bot().await;
    let (answer, shown) = h.press_data(&secretary, message, &data).await;
    let toast = answer.params["text"].as_str().unwrap_or_default();
    assert!(!says(Some(toast), lang, "question-asked-above"), "{toast}");
    assert!(
        shown
            .iter()
            .any(|s| says(s.text.as_deref(), lang, "ask-reject-reason")),
        "{shown:?}"
    );
    // Tapped again now, in the same process: asked once, waiting above.
    let (answer, shown) = h.press_data(&secretary, message, &data).await;
    let toast = answer.params["text"].as_str().unwrap_or_default();
    assert!(says(Some(toast), lang, "question-asked-above"), "{toast}");
    assert!(shown.is_empty(), "{shown:?}");
}

#[tokio::test]
async fn a_question_never_shown_is_asked_again_after_a_restart() {
    question_never_shown_then_a_restart(vi_user(100, "Bình")).await;
}

#[tokio::test]
async fn a_question_never_shown_is_asked_again_after_a_restart_in_english() {
    question_never_shown_then_a_restart(en_user(100, "Binh")).await;
}

/// A membership ended while the member still held a meeting invitation and
/// a draft comment sheet: their Attend, I cannot attend and the sheet's
/// Accept and Respond were answered "You are not allowed to do this", as if
/// pressed by a stranger. They say what is true (the membership of which
/// cell ended, on which day), in the member's language, and the buttons go.
#[tokio::test]
async fn a_former_member_s_invitation_and_sheet_buttons_say_the_membership_ended() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    h.sheet_sent_to_member(&secretary, membership).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    h.drain().await;
    let holding = |prefix: &str| {
        h.api
            .sent(member.id)
            .into_iter()
            .rev()
            .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with(prefix)))
            .unwrap_or_else(|| panic!("a message with {prefix}"))
    };
    let (invitation, sheet) = (holding("ga:"), holding("ma:"));
    let card = h
        .press_data(&secretary, 1, &format!("bo:{membership}"))
        .await
        .1
        .pop()
        .unwrap();
    h.press_data(&secretary, card.message_id, &format!("el:{membership}"))
        .await;
    h.ask(&secretary, "Chuyển nhà").await;
    h.press_data(&secretary, 1, &data_of(&h.last(&secretary), "ec"))
        .await;
    h.drain().await;
    for (message, prefix, id) in [
        (&invitation, "ga:", "meeting-membership-ended"),
        (&invitation, "gd:", "meeting-membership-ended"),
        (&sheet, "ma:", "sheet-membership-ended"),
        (&sheet, "mr:", "sheet-membership-ended"),
    ] {
        let data = data_of(message, prefix);
        let (answer, _) = h.press_data(&member, message.message_id, &data).await;
        let said = answer.str_param("text").unwrap_or_default().to_string();
        let (cell, date) = ("Chi bộ khối 5", "20/11/2026");
        let ended = match id {
            "meeting-membership-ended" => {
                lienhe::t!(
                    Lang::En,
                    "meeting-membership-ended",
                    cell = cell,
                    date = date
                )
            }
            _ => lienhe::t!(Lang::En, "sheet-membership-ended", cell = cell, date = date),
        };
        assert_eq!(said, ended, "{prefix}");
        assert!(h.current(message).buttons().is_empty(), "{prefix}");
    }
    // Nothing was recorded for them.
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM meeting_invitations WHERE user_id = 300 AND answer IS NOT NULL"
        )
        .await,
        0
    );
}

/// 📄 Download the list (XLSX) under a long list tapped twice at once:
/// the whole list was written and sent twice, two identical workbooks one
/// under the other (for a ward's or a workplace's thousands of rows, the
/// work done twice). It is sent once; the second press says the file is
/// on its way or above.
async fn list_download_tapped_twice(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 1000, 45).await;
    let list = h.say(&secretary, "/members").await.pop().unwrap();
    let download = list
        .button_data(&text_of(lang, "page-xlsx"))
        .expect("the download");
    let documents = || {
        h.api
            .sent(secretary.id)
            .iter()
            .filter(|s| s.method == "senddocument")
            .count()
    };
    let before = h.api.call_count();
    let wrong = tapped_twice_on(&h, &secretary, list.message_id, &download).await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    h.wait_documents(secretary.id, 1).await;
    assert_eq!(documents(), 1, "{lang:?}: one workbook");
    let above = text_of(lang, "page-xlsx-above");
    let told = h
        .api
        .calls()
        .into_iter()
        .skip(before)
        .filter(|c| c.method == "answercallbackquery" && c.params["text"] == above.as_str())
        .count();
    assert_eq!(told, 1, "{lang:?}: the second press is told");
}

#[tokio::test]
async fn a_list_download_tapped_twice_sends_one_workbook_vi() {
    list_download_tapped_twice(Lang::Vi).await;
}

#[tokio::test]
async fn a_list_download_tapped_twice_sends_one_workbook_en() {
    list_download_tapped_twice(Lang::En).await;
}

/// `member` opens the invite link `code` and answers every question (no
/// phone, the first workplace, introduced this month): the summary.
async fn join_summary(h: &Harness, code: &str, member: &TgUser, name: &str) -> Sent {
    h.ask(member, &format!("/start {code}")).await;
    h.ask(member, name).await;
    let skip = match lang_of(member) {
        Lang::Vi => "Bỏ qua",
        Lang::En => "Skip",
    };
    let workplaces = h.ask(member, skip).await;
    let first = workplaces.buttons()[0].0.clone();
    h.press(member, &workplaces, &first).await;
    let introduced = h.last(member);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(member, &introduced, &this_month).await;
    h.last(member)
}

/// The join summary's Confirm pressed again once the request was sent: a
/// second tap at once, the same press redelivered by Telegram after a
/// restart, another press after the restart, and a press after a crash that
/// came before the summary was edited. The second tap said the button was
/// no longer active, as did a press after the crash (the summary still
/// showing Confirm, the member never told their request was sent). Now it
/// says the request was already sent, on which day at what time, and that
/// nothing was sent again; the committee gets one card per request.
async fn join_confirm_pressed_again(lang: Lang) {
    let mut h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    h.set_local(2026, 11, 20, 21, 5);
    let cards = |h: &Harness| {
        h.api
            .sent(100)
            .iter()
            .filter(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ja:")))
            .count()
    };
    let answer_to = |h: &Harness, update: i64| {
        let query = h.api.update(update).unwrap()["callback_query"]["id"].clone();
        h.api
            .calls_of("answerCallbackQuery")
            .into_iter()
            .filter(|c| c.params["callback_query_id"] == query)
            .map(|c| c.params["text"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let already = |text: &str| {
        says(Some(text), lang, "join-already-sent")
            && text.contains("Chi bộ khối 5")
            && text.contains("20/11/2026")
            && text.contains("21:05")
    };

    // Tapped twice at once: the first sends, the second says it was sent.
    let member = user_in(lang, 300, "An");
    let summary = join_summary(&h, &code, &member, "Nguyễn Văn An").await;
    let confirm = data_of(&summary, "jc");
    let a = h.api.callback(&member, summary.message_id, &confirm);
    let b = h.api.callback(&member, summary.message_id, &confirm);
    h.handled(a).await;
    h.handled(b).await;
    h.quiet().await;
    let shown = h.current(&summary).text;
    assert!(says(shown.as_deref(), lang, "join-sent"), "{shown:?}");
    let second = answer_to(&h, b);
    assert!(
        second.len() == 1 && already(&second[0]),
        "{lang:?}: {second:?}"
    );
    assert_eq!(cards(&h), 1, "{lang:?}: one card");

    // The first press redelivered after a restart: nothing again.
    h.restart().await;
    h.api.redeliver(a);
    h.quiet().await;
    assert_eq!(cards(&h), 1, "{lang:?}: one card after the redelivery");
    // Pressed again after the restart: said it was sent.
    h.clock.advance(chrono::Duration::minutes(3));
    let (answer, _) = h.press_data(&member, summary.message_id, &confirm).await;
    let text = answer.params["text"].as_str().unwrap_or_default();
    assert!(already(text), "{lang:?}: {text}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300")
            .await,
        1
    );

    // Killed after the request was stored, before the summary said so:
    // the redelivered press is skipped, the summary still shows Confirm;
    // pressed again, it says the request was sent, and loses its buttons.
    h.set_local(2026, 11, 20, 21, 5);
    let other = user_in(lang, 301, "Hoa");
    let summary = join_summary(&h, &code, &other, "Lê Thị Hoa").await;
    // The sender stopped: its card goes out once the bot is back (a sender
    // killed between Telegram's acceptance of a card and its record sends
    // it again, which is not what this is about).
    h.stop_sender().await;
    let held = h.api.hold_next("editMessageText", other.id);
    let update = h
        .api
        .callback(&other, summary.message_id, &data_of(&summary, "jc"));
    h.killed_at_and_served_again(held, "the summary's edit is on its way", update)
        .await;
    h.drain().await;
    assert!(!h.current(&summary).buttons().is_empty());
    let (answer, _) = h
        .press_data(&other, summary.message_id, &data_of(&summary, "jc"))
        .await;
    let text = answer.params["text"].as_str().unwrap_or_default();
    assert!(already(text), "{lang:?}: {text}");
    assert!(h.current(&summary).buttons().is_empty());
    assert_eq!(cards(&h), 2, "{lang:?}: one card for each request");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 301")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_confirm_pressed_again_says_the_request_was_already_sent() {
    join_confirm_pressed_again(Lang::Vi).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_confirm_pressed_again_says_the_request_was_already_sent_in_english() {
    join_confirm_pressed_again(Lang::En).await;
}
