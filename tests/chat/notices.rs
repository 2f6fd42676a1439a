//! Messages a person is waiting for go through the outbox, queued in the
//! same transaction as the change they announce; an action that could not
//! be saved is never met with silence.

use std::time::Duration;

use lienhe::domain::Lang;

use crate::common::*;

const WAIT: Duration = Duration::from_secs(15);

/// The messages to the chat whose text contains `needle`.
fn sent_containing(h: &Harness, chat: i64, needle: &str) -> Vec<Sent> {
    h.api
        .sent(chat)
        .into_iter()
        .filter(|s| s.text.as_deref().is_some_and(|t| t.contains(needle)))
        .collect()
}

/// Waits until the chat has a message whose text contains `needle`.
async fn wait_text(h: &Harness, chat: i64, needle: &str) -> Sent {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(found) = h
            .api
            .sent(chat)
            .into_iter()
            .find(|s| s.text.as_deref().is_some_and(|t| t.contains(needle)))
        {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no message containing {needle:?} in chat {chat}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_request_waits_in_the_outbox_through_a_crash_and_a_429() {
    let mut h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");

    // The sender is gone (the process died right after the commit).
    h.kill_sender().await;
    let cards_before = h.api.sent_count(100);
    h.request_join(&member, &code, "Nguyễn Văn An").await;
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 1);
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND priority = 0 AND chat_id = 100"
        )
        .await,
        1,
        "the secretary's card was queued with the request"
    );
    assert_eq!(h.api.sent_count(100), cards_before, "nothing sent yet");

    // After the restart Telegram first asks to slow down; the card still
    // arrives, once, with its buttons, and is known as the request's card.
    h.api.fail_next(
        "sendMessage",
        Some(100),
        Fault::TooManyRequests { retry_after: 1 },
        1,
    );
    h.restart().await;
    let card = wait_text(&h, 100, "Nguyễn Văn An").await;
    assert_eq!(card.button_texts(), vec!["✅ Duyệt", "❌ Từ chối"]);
    h.quiet().await;
    let cards = sent_containing(&h, 100, "Nguyễn Văn An");
    assert_eq!(cards.len(), 1, "sent once");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM decision_messages WHERE subject = 'membership'")
            .await,
        1
    );

    // The member blocked the bot meanwhile: the decision still stands, the
    // card is settled, and the member is marked unreachable.
    h.api.fail_next(
        "sendMessage",
        Some(300),
        Fault::Forbidden("bot was blocked by the user".into()),
        1,
    );
    h.press(&secretary, &card, "✅ Duyệt").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        1
    );
    assert!(
        h.current(&card).text.unwrap().contains("đã duyệt"),
        "the card shows the decision"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 300 AND status = 'unreachable'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM users WHERE id = 300 AND unreachable_since IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_reaches_the_secretary_photos_first_and_the_decision_reaches_the_member() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            "Dọn vệ sinh đường làng",
            &["photo-a", "photo-b"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = wait_text(&h, 100, "Dọn vệ sinh đường làng").await;
    let to_secretary = h.api.sent(100);
    let album = to_secretary
        .iter()
        .position(|s| s.method == "sendmediagroup")
        .expect("the photos as an album");
    let card_at = to_secretary
        .iter()
        .position(|s| s.message_id == card.message_id)
        .unwrap();
    assert!(album < card_at, "photos before the card");
    assert!(card.button_texts().contains(&"✅ Approve".to_string()));

    h.press(&secretary, &card, "✅ Approve").await;
    let told = wait_text(&h, 300, "đã được chi bộ duyệt").await;
    assert!(told.text.unwrap().contains("Hoạt động khác"));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE priority = 0 AND status = 'sent'")
            .await,
        // join card, join decision, album, report card, report decision
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_that_cannot_be_saved_is_answered_and_can_be_repeated() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(&member, "Other activity", "Today", "Planted trees", &[])
        .await;

    // The database refuses the write (here: the table is out of the way).
    sqlx::query("ALTER TABLE reports RENAME TO reports_away")
        .execute(&h.pool)
        .await
        .unwrap();
    let (_, replies) = h.press(&member, &summary, "Submit").await;
    let text = replies
        .iter()
        .filter_map(|s| s.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("was not saved"), "{text}");
    sqlx::query("ALTER TABLE reports_away RENAME TO reports")
        .execute(&h.pool)
        .await
        .unwrap();

    // Nothing was lost from the dialogue: pressing again submits it, once.
    h.press(&member, &summary, "Submit").await;
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
    wait_text(&h, 100, "Planted trees").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_whose_confirmation_was_lost_is_confirmed_again() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    let code = h.secretary_code(cell).await;
    h.ask(&secretary, &format!("/start {code}")).await;
    let asking: String = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = 100")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.ask(&secretary, "Trần Thị Bình").await;
    // The process died after the commit, before the dialogue was closed and
    // the answer sent: the secretary types the name again.
    sqlx::query("INSERT OR REPLACE INTO dialogues (chat_id, state, updated_at) VALUES (100, ?, '2026-11-20T03:00:00Z')")
        .bind(&asking)
        .execute(&h.pool)
        .await
        .unwrap();
    let again = h.ask(&secretary, "Trần Thị Bình").await.text.unwrap();
    assert!(
        again.contains("Chi bộ khối 5") && !again.contains("đã được sử dụng"),
        "{again}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_secretaries").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_meets_a_429_waits_and_is_sent() {
    let h = Harness::start().await;
    let user = en_user(400, "Lan");
    h.api.fail_next(
        "sendMessage",
        Some(400),
        Fault::TooManyRequests { retry_after: 1 },
        1,
    );
    let replies = h.say(&user, "/help").await;
    assert_eq!(replies.len(), 1, "answered once, after the wait");
    assert!(
        replies[0].text.as_deref().unwrap().contains("/language"),
        "{:?}",
        replies[0].text
    );
}

/// A report decided from /pending while its card to the secretary is still
/// in the outbox (the sender down) goes out showing the decision, in the
/// secretary's language, without buttons; nothing is left to settle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_still_queued_goes_out_showing_its_decision() {
    let mut h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.kill_sender().await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây xanh", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let id = h.count("SELECT MAX(id) FROM reports").await;
    assert!(
        sent_containing(&h, 100, "Trồng cây xanh").is_empty(),
        "the card is still queued"
    );

    let pending = h.say(&secretary, "/pending").await;
    let listed = pending
        .iter()
        .find(|s| s.buttons().iter().any(|(_, d)| *d == format!("ra:{id}")))
        .expect("the report in /pending");
    h.press(&secretary, listed, "✅ Approve").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );

    h.start_sender(default_sender()).await;
    h.drain().await;
    let cards: Vec<_> = sent_containing(&h, 100, "Trồng cây xanh")
        .into_iter()
        .filter(|s| s.message_id != listed.message_id)
        .collect();
    assert_eq!(cards.len(), 1, "{cards:?}");
    let text = cards[0].text.as_deref().unwrap();
    assert!(text.contains("✅ Approved by"), "{text}");
    assert!(cards[0].buttons().is_empty(), "{:?}", cards[0]);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM decision_messages WHERE settled_at IS NULL")
            .await,
        0
    );
    // The member's notice of the decision arrived too.
    let told = h.last(&member);
    assert!(told.text.as_deref().unwrap().contains(&format!("{id}")));
}

/// Messages queued on 3 January, then the clock set back to 31 December
/// (a wrong clock corrected): they go out at once, not when the clock
/// reaches 3 January again. Only a retry waits for its time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_queued_before_the_clock_was_set_back_go_out_at_once() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        h.set_local(2027, 1, 3, 9, 0);
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.kill_sender().await;
        let kind = other_kind(lang);
        let today = text_of(lang, "button-today");
        let summary = h
            .report_until_summary(&member, kind, &today, "Trồng cây xanh", &[])
            .await;
        let submit = summary.buttons()[0].0.clone();
        h.press(&member, &summary, &submit).await;
        assert!(sent_containing(&h, 100, "Trồng cây xanh").is_empty());

        h.set_local(2026, 12, 31, 9, 0);
        h.start_sender(default_sender()).await;
        let card = wait_text(&h, 100, "Trồng cây xanh").await;
        assert!(says(card.text.as_deref(), lang, "report-card"), "{card:?}");
    }
}

/// Telegram took a report's card but the connection broke before its
/// answer: the sender, not knowing, sent it again (shown twice, the second
/// recorded as the card). The secretary approved on the first copy: the
/// second showed the decision, but the pressed one kept its Approve and
/// Reject buttons on a decided report. Now both show it; the member is
/// told once.
#[tokio::test]
async fn a_card_sent_twice_after_its_answer_was_lost_shows_the_decision_on_both_copies() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.drain().await;
    h.api
        .fail_next("sendMessage", Some(secretary.id), Fault::LostAnswer, 1);
    // The bot's clock moves past the retry's backoff.
    let (clock, app) = (h.clock.clone(), h.app());
    let moving = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            clock.advance(chrono::Duration::seconds(3));
            app.wake_sender();
        }
    });
    let report = crate::committee::submit_report(&h, &member, "Họp tổ dân phố").await;
    h.drain().await;
    moving.abort();
    let data = format!("ra:{report}");
    let cards: Vec<Sent> = h
        .api
        .sent(secretary.id)
        .into_iter()
        .filter(|s| s.buttons().iter().any(|(_, d)| *d == data))
        .collect();
    assert_eq!(cards.len(), 2, "shown twice");
    h.press(&secretary, &cards[0], "✅ Approve").await;
    h.drain().await;
    for card in &cards {
        let now = h.current(card);
        assert!(now.buttons().is_empty(), "{:?}", now.buttons());
        assert!(
            now.text
                .as_deref()
                .is_some_and(|t| t.contains("Approved by")),
            "{:?}",
            now.text
        );
    }
    let told = sent_containing(&h, member.id, "đã được chi bộ duyệt");
    assert_eq!(told.len(), 1);
}
