//! The same update delivered twice is processed once.

use crate::common::*;

#[tokio::test]
async fn redelivered_updates_do_not_duplicate_joins_reports_or_decisions() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let workplaces = h.ask(&member, "Bỏ qua").await;
    h.press(&member, &workplaces, "Sở Tư pháp tỉnh Nghệ An")
        .await;
    let introduced = h.last(&member);
    h.press(&member, &introduced, "Tháng này (11/2026)").await;
    let summary = h.last(&member);

    // Join confirmation, twice.
    let update = h.api.callback(
        &member,
        summary.message_id,
        &summary.button_data("Xác nhận").unwrap(),
    );
    h.quiet().await;
    let cards_before = h.api.sent_count(100);
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 1);
    assert_eq!(
        h.api.sent_count(100),
        cards_before,
        "the secretary got one card"
    );

    // Approval, twice.
    let card = h.last(&secretary);
    let update = h.api.callback(
        &secretary,
        card.message_id,
        &card.button_data("✅ Duyệt").unwrap(),
    );
    h.quiet().await;
    let member_msgs = h.api.sent_count(300);
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(
        h.api.sent_count(300),
        member_msgs,
        "the member was told once"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        1
    );

    // Report submission, twice.
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    let update = h
        .api
        .callback(&member, summary.message_id, &data_of(&summary, "rs"));
    h.quiet().await;
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
    let cards = h
        .api
        .sent(100)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Báo cáo hoạt động số"))
        })
        .count();
    assert_eq!(cards, 1);

    // A redelivered text in a dialogue is not taken twice either.
    h.ask(&member, "/report").await;
    let kinds = h.last(&member);
    h.press(&member, &kinds, "Hoạt động khác").await;
    h.ask(&member, "19/11/2026").await;
    let update = h.api.text(&member, "Mô tả lần một");
    h.quiet().await;
    let before = h.api.sent_count(300);
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(h.api.sent_count(300), before);
}

/// A handler that panics (a bug) costs only its update: the user is told in
/// their language that nothing was saved, the update is confirmed, and the
/// same chat and every other chat go on being served.
#[tokio::test]
async fn a_panicking_handler_costs_only_its_update() {
    use std::sync::Arc;

    use lienhe::bot::polling::{self, Poller};
    use teloxide::{
        dispatching::UpdateHandler,
        prelude::*,
        types::{Update, UpdateKind},
    };

    let mut h = Harness::start().await;
    h.stop_bot().await;
    let handler: UpdateHandler<anyhow::Error> =
        dptree::entry().endpoint(|bot: Bot, update: Update| async move {
            if let UpdateKind::Message(m) = &update.kind {
                let text = m.text().unwrap_or_default();
                if text == "boom" {
                    panic!("a bug in a handler");
                }
                bot.send_message(m.chat.id, format!("echo {text}")).await?;
            }
            Ok(())
        });
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let bot = h.bot();
    let mut poller = Poller::new(bot.clone(), h.app(), std::time::Duration::from_secs(1));
    poller.handler = Arc::new(handler);
    let running = tokio::spawn(async move {
        let me = polling::connect(&bot, stopped.clone()).await.unwrap();
        poller.run(me, stopped).await.unwrap();
    });

    let (vi, en) = (vi_user(300, "An"), en_user(301, "Binh"));
    for (user, lang) in [
        (&vi, lienhe::domain::Lang::Vi),
        (&en, lienhe::domain::Lang::En),
    ] {
        let update = h.api.text(user, "boom");
        h.handled(update).await;
        let told = h.last(user).text.unwrap_or_default();
        assert_eq!(told, lienhe::t!(lang, "not-saved-try-again"));
        // The same chat goes on.
        assert_eq!(
            h.ask(user, "hello").await.text.as_deref(),
            Some("echo hello")
        );
    }
    // Many chats at once, some of them panicking.
    let updates: Vec<(i64, i64)> = (0..20)
        .map(|i| {
            let user = vi_user(400 + i, "dv");
            let text = if i % 3 == 0 { "boom" } else { "hi" };
            (400 + i, h.api.text(&user, text))
        })
        .collect();
    for (chat, update) in updates {
        h.handled(update).await;
        let expected = if (chat - 400) % 3 == 0 {
            lienhe::t!(lienhe::domain::Lang::Vi, "not-saved-try-again")
        } else {
            "echo hi".to_string()
        };
        h.api
            .wait_sent(chat, 1, std::time::Duration::from_secs(10))
            .await;
        assert_eq!(
            h.api.sent(chat)[0].text.clone().unwrap_or_default(),
            expected
        );
    }
    let _ = stop.send(true);
    let _ = running.await;
}

/// After a week without updates Telegram numbers the next ones anew, at
/// random (possibly lower than before), and ignores an offset past them:
/// those are new updates, answered in both languages, never skipped as
/// handled ones.
#[tokio::test]
async fn updates_numbered_anew_after_a_quiet_week_are_answered() {
    let h = Harness::start().await;
    let (vi, en) = (vi_user(300, "An"), en_user(301, "Binh"));
    for _ in 0..3 {
        h.ask(&vi, "/help").await;
        h.ask(&en, "/help").await;
    }
    h.api.renumber_updates(2);
    for user in [&vi, &en] {
        let answer = h.ask(user, "/help").await;
        let text = answer.text.unwrap_or_default();
        assert!(text.contains("/help"), "{text}");
    }
    // And the numbering goes on from there.
    let answer = h.ask(&en, "/help").await;
    assert!(answer.text.unwrap_or_default().contains("/help"));
}

/// Long enough for answers that wait on Telegram for seconds.
const WAIT_LONG: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits until nothing is left set aside (each row goes once its update is
/// handled).
async fn nothing_set_aside(h: &Harness) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.count("SELECT COUNT(*) FROM updates_set_aside").await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "an update stays set aside"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// An answer slow to go out (Telegram asked twice to wait four seconds)
/// does not hold up the updates behind it. Telegram serves at most 100
/// updates from the offset, and the offset cannot pass an update not
/// handled: past two seconds the slow one is set aside in the database,
/// and the 150 people who wrote after it are answered while it still
/// waits. It is answered too, and nothing set aside stays.
#[tokio::test]
async fn a_slow_answer_does_not_hold_up_the_updates_behind_it() {
    let h = Harness::start().await;
    let slow = vi_user(500, "Chậm");
    h.api.fail_next(
        "sendMessage",
        Some(500),
        Fault::TooManyRequests { retry_after: 4 },
        2,
    );
    h.api.text(&slow, "/help");
    let others: Vec<TgUser> = (0..150)
        .map(|i| match i % 2 {
            0 => vi_user(1000 + i, "An"),
            _ => en_user(1000 + i, "Binh"),
        })
        .collect();
    for user in &others {
        h.api.text(user, "/help");
    }
    for user in &others {
        let answers = h.api.wait_sent(user.id, 1, WAIT_LONG).await;
        assert_eq!(answers.len(), 1, "{} is answered", user.id);
    }
    assert_eq!(h.api.sent_count(500), 0, "the slow answer still waits");
    let answers = h.api.wait_sent(500, 1, WAIT_LONG).await;
    assert!(
        answers[0]
            .text
            .as_deref()
            .unwrap_or_default()
            .contains("/help")
    );
    nothing_set_aside(&h).await;
}

/// Updates set aside when the process died (their answer still waiting)
/// are handled at the next start, before anything new, and then forgotten.
#[tokio::test]
async fn updates_set_aside_before_a_crash_are_handled_at_the_next_start() {
    let mut h = Harness::start().await;
    let user = en_user(300, "Binh");
    h.ask(&user, "/help").await;
    h.stop_bot().await;
    let update = serde_json::json!({
        "update_id": 90_000,
        "message": {
            "message_id": 90_000,
            "date": chrono::Utc::now().timestamp(),
            "text": "/help",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 5 }],
            "chat": { "id": 300, "type": "private", "first_name": "Binh" },
            "from": { "id": 300, "is_bot": false, "first_name": "Binh", "language_code": "en" }
        }
    });
    sqlx::query(
        "INSERT INTO updates_set_aside (update_id, body, set_aside_at) VALUES (90000, ?, ?)",
    )
    .bind(update.to_string())
    .bind(chrono::Utc::now())
    .execute(&h.pool)
    .await
    .unwrap();
    let before = h.api.sent_count(300);
    h.start_bot().await;
    let answers = h.api.wait_sent(300, before + 1, WAIT_LONG).await;
    assert_eq!(answers.len(), before + 1);
    let text = answers[before].text.as_deref().unwrap_or_default();
    assert!(text.contains("/help"), "{text}");
    nothing_set_aside(&h).await;
}

/// The chat's stored dialogue (JSON), if any.
async fn dialogue_of(h: &Harness, chat: i64) -> Option<String> {
    sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
        .bind(chat)
        .fetch_optional(&h.pool)
        .await
        .unwrap()
}

/// An effect that ends a question writes the dialogue after it in its own
/// transaction: a process killed right after the effect never leaves the
/// chat at the question (where the same answer again is refused as done,
/// or the next text taken for it). The store's writes, each with a
/// dialogue open: the member's phone and workplace in /profile end it, and
/// so does the month of introduction a secretary corrects; a
/// membership ended comes back to the dialogue its question interrupted;
/// none of them touches the dialogue when refused.
#[tokio::test]
async fn effects_that_end_a_question_write_the_dialogue_after_it() {
    use lienhe::store::{dialogues::Next, memberships};
    let h = Harness::start().await;
    let (secretary, member) = (vi_user(100, "Bình"), vi_user(300, "An"));
    let cell = h.cell_with_member(&secretary, &member).await;
    let id = h.membership_of(300).await;
    let now = h.app().now();
    let open = async |chat: i64| {
        sqlx::query(
            "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (?, '\"AnnounceText\"', ?)
             ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state",
        )
        .bind(chat)
        .bind(now)
        .execute(&h.pool)
        .await
        .unwrap();
    };

    let ended = lienhe::store::dialogues::Next {
        chat_id: 300,
        state: None,
    };
    open(300).await;
    assert!(
        memberships::set_phone(&h.pool, id, 300, Some("0912345678"), (now, &ended))
            .await
            .unwrap()
    );
    assert_eq!(
        dialogue_of(&h, 300).await,
        None,
        "the phone's question ended"
    );
    open(300).await;
    let choice = lienhe::domain::membership::WorkplaceChoice::Other {
        name: "UBND phường Vinh Tân".into(),
    };
    assert!(
        memberships::set_workplace(&h.pool, id, 300, &choice, (now, &ended))
            .await
            .unwrap()
    );
    assert_eq!(dialogue_of(&h, 300).await, None);
    // The same workplace again changes nothing, and leaves the dialogue.
    open(300).await;
    assert!(
        !memberships::set_workplace(&h.pool, id, 300, &choice, (now, &ended))
            .await
            .unwrap()
    );
    assert!(dialogue_of(&h, 300).await.is_some());
    // The month of introduction the secretary corrects ends its question.
    open(100).await;
    let month = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let corrected = Next {
        chat_id: 100,
        state: None,
    };
    assert!(
        memberships::set_introduced(&h.pool, id, month, 100, (now, &corrected))
            .await
            .unwrap()
    );
    assert_eq!(
        dialogue_of(&h, 100).await,
        None,
        "the month's question ended"
    );

    // The secretary ends the membership from a question that interrupted
    // another dialogue: that one comes back with the ending.
    open(100).await;
    let resumed = Next {
        chat_id: 100,
        state: Some("\"Idle\"".into()),
    };
    let end = async || {
        let ending = memberships::Ending {
            id,
            cell_id: cell,
            reason: lienhe::domain::membership::EndReason::LeftArea,
            note: "",
            by: 100,
            then: Some(&resumed),
        };
        memberships::end(
            &h.pool,
            ending,
            now,
            |_, _| Vec::new(),
            |_, _, _| Vec::new(),
        )
        .await
        .unwrap()
    };
    assert!(end().await);
    assert_eq!(dialogue_of(&h, 100).await.as_deref(), Some("\"Idle\""));
    // Ended already: refused, and the dialogue is the caller's to end.
    open(100).await;
    assert!(!end().await);
    assert_eq!(
        dialogue_of(&h, 100).await.as_deref(),
        Some("\"AnnounceText\"")
    );
}

/// A join request withdrawn by a process stopped before it settled the
/// secretary's cards: the card keeps its buttons, and a press on it says
/// the request was withdrawn and takes the buttons away (it answered "not
/// allowed", forever).
#[tokio::test]
async fn a_card_of_a_join_withdrawn_meanwhile_is_settled_at_the_press() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = en_user(100, "Binh");
    h.make_secretary(&secretary, cell, "Tran Thi Binh").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.request_join(&member, &code, "Nguyễn Văn An").await;
    let card = h.last(&secretary);
    let approve = card.buttons()[0].0.clone();
    let id = h
        .count("SELECT id FROM memberships WHERE user_id = 300")
        .await;
    let withdrawn = lienhe::store::memberships::withdraw(&h.pool, id, 300, h.app().now())
        .await
        .unwrap();
    assert!(withdrawn.is_some());
    let (answer, _) = h.press(&secretary, &card, &approve).await;
    let said = answer.params["text"].as_str();
    let en = lienhe::domain::Lang::En;
    assert!(says(said, en, "decision-join-withdrawn"), "{said:?}");
    assert!(h.current(&card).buttons().is_empty(), "the buttons went");
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);
}

/// The clock set forward by more than a week (a machine without a
/// real-time clock, corrected by NTP) does not make the day's pruning
/// forget the updates just handled: one Telegram serves again after a
/// restart (it was not confirmed before the process died) is still found
/// and skipped, not taken as the answer to the next question.
#[tokio::test]
async fn an_update_served_again_after_the_clock_jumped_a_week_ahead_is_skipped() {
    let mut h = Harness::start().await;
    let (secretary, member) = (vi_user(100, "Bình"), vi_user(300, "An"));
    h.cell_with_member(&secretary, &member).await;
    h.ask(&member, "/report").await;
    let kinds = h.last(&member);
    h.press(&member, &kinds, "Hoạt động khác").await;
    h.ask(&member, "19/11/2026").await;
    let update = h.api.text(&member, "Mô tả lần một");
    h.quiet().await;

    h.clock.set(h.app().now() + chrono::Duration::days(8));
    h.tick().await;
    h.drain().await;
    h.restart().await;
    let before = h.api.sent_count(300);
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(
        h.api.sent_count(300),
        before,
        "the update served again was handled again"
    );
}

/// After a week without updates (the clock moved a week too), Telegram's
/// new numbering may give an id the bot recorded under the old one: the
/// old numbering's records are forgotten when the new one is seen, so the
/// new update is answered, not skipped as handled.
#[tokio::test]
async fn a_new_numbering_meeting_an_old_record_is_answered() {
    let h = Harness::start().await;
    let (secretary, member) = (vi_user(100, "Bình"), vi_user(300, "An"));
    h.cell_with_member(&secretary, &member).await;
    h.ask(&member, "/report").await;
    let kinds = h.last(&member);
    h.press(&member, &kinds, "Hoạt động khác").await;
    let recorded = h.api.text(&member, "19/11/2026");
    h.quiet().await;
    h.ask(&member, "Mô tả lần một").await;
    let records: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM processed_updates WHERE update_id = ?")
            .bind(recorded)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(records, 1, "the date's update is recorded");

    h.clock.set(h.app().now() + chrono::Duration::days(8));
    h.tick().await;
    h.drain().await;
    h.api.renumber_updates(recorded);
    let answer = h.ask(&member, "/help").await;
    let text = answer.text.unwrap_or_default();
    assert!(text.contains("/help"), "{text}");
}
