//! One person floods the bot while everyone else goes on using it, with
//! Telegram's ceilings on (30 messages a second for the bot, one a second
//! per chat).

use std::time::{Duration, Instant};

use futures::future::join_all;
use lienhe::{domain::Lang, jobs::sender::SenderConfig};

use crate::common::*;

const SEC: i64 = 100;
const FLOODER: i64 = 300;
/// What `polling::MOST_QUEUED_PER_CHAT` lets wait in one chat.
const MOST_QUEUED: usize = 30;

/// A secretary, the flooder (a member who joined through the chat) and
/// `members` seeded members (ids from 1000); Telegram's ceilings on, and
/// the sender at Telegram's pace per chat.
async fn world(h: &mut Harness, flooder: &TgUser, members: i64) {
    let sec = vi_user(SEC, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&sec, cell, "Trần Thị Bình").await;
    h.join_approved(&sec, flooder, "Nguyễn Văn An").await;
    seed_members(h, cell, 1000, members).await;
    h.drain().await;
    // The replies above count in the fake's window too.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    h.api.set_limits(Some(30), Some(1));
    h.start_sender(SenderConfig {
        rate: 20.0,
        ..paced_sender()
    })
    .await;
}

/// Pushes `count` texts and commands of the flooder at once.
fn flood(h: &Harness, flooder: &TgUser, count: usize) -> Vec<i64> {
    (0..count)
        .map(|i| {
            let text = match i % 4 {
                0 => "/help".to_string(),
                1 => "/myreports".to_string(),
                2 => format!("spam {i}"),
                _ => "/report".to_string(),
            };
            h.api.text(flooder, &text)
        })
        .collect()
}

/// The send calls Telegram refused (429) in `chat`.
fn refused_in(h: &Harness, chat: i64) -> Vec<Instant> {
    h.api
        .calls()
        .into_iter()
        .filter(|c| c.method.starts_with("send") && c.chat_id() == Some(chat) && !c.response_ok)
        .map(|c| c.at)
        .collect()
}

/// The flood notices sent to `chat`.
fn notices(h: &Harness, chat: i64, lang: Lang) -> usize {
    h.api
        .sent(chat)
        .iter()
        .filter(|s| says(s.text.as_deref(), lang, "flood-not-read"))
        .count()
}

/// A member runs the whole report dialogue, each step waiting for its own
/// answer; returns when the report was submitted.
async fn report(h: &Harness, m: i64) -> Instant {
    let user = vi_user(m, &format!("dv{m}"));
    let l = Lang::Vi;
    let kinds = h.ask_concurrently(&user, "/report").await;
    assert!(says(kinds.text.as_deref(), l, "ask-kind"), "{m}: {kinds:?}");
    h.press_concurrently(&user, &kinds, other_kind(l)).await;
    let date = h.last(&user);
    assert!(says(date.text.as_deref(), l, "ask-date"), "{m}: {date:?}");
    h.press_concurrently(&user, &date, &text_of(l, "button-today"))
        .await;
    let described = h.last(&user);
    assert!(
        says(described.text.as_deref(), l, "ask-description"),
        "{m}: {described:?}"
    );
    let photos = h
        .ask_concurrently(&user, &format!("Dọn vệ sinh ngõ {m}"))
        .await;
    assert!(
        says(photos.text.as_deref(), l, "ask-photos"),
        "{m}: {photos:?}"
    );
    let skip = photos.buttons()[0].0.clone();
    h.press_concurrently(&user, &photos, &skip).await;
    let summary = h.last(&user);
    h.press_concurrently(&user, &summary, "Gửi báo cáo").await;
    let done = h.last(&user);
    assert!(
        says(done.text.as_deref(), l, "report-submitted"),
        "{m}: {done:?}"
    );
    Instant::now()
}

/// The secretary approves every card as it comes, until `count` reports
/// are approved.
async fn approve_all(h: &Harness, count: i64) {
    let sec = vi_user(SEC, "Bình");
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut pressed = std::collections::HashSet::new();
    while h
        .count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
        .await
        < count
    {
        assert!(Instant::now() < deadline, "the cards did not all come");
        let cards: Vec<Sent> = h
            .api
            .sent(SEC)
            .into_iter()
            .filter(|s| s.button_data("✅ Duyệt").is_some() && !pressed.contains(&s.message_id))
            .collect();
        for card in cards {
            pressed.insert(card.message_id);
            let (answer, _) = h.press_concurrently(&sec, &card, "✅ Duyệt").await;
            assert!(answer.response_ok, "{answer:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// 300 texts and commands from one member, as fast as Telegram takes them,
/// while 20 others each report and the secretary approves: the others are
/// answered at every step ahead of the flooder's backlog and nothing of
/// theirs is lost; the flooder is answered at Telegram's pace for their
/// chat, told once (in their language) that what they send meanwhile is not
/// read, and answered again once it is over.
async fn a_flood(flooder: TgUser) {
    let mut h = Harness::start().await;
    let l = lang_of(&flooder);
    world(&mut h, &flooder, 20).await;
    let before = h.api.sent_count(FLOODER);
    let pushed = flood(&h, &flooder, 300);
    // The others go on meanwhile.
    let reporting = join_all((1000..1020).map(|m| report(&h, m)));
    let (submitted, ()) = tokio::join!(reporting, approve_all(&h, 20));
    let everyone_done = submitted.into_iter().max().unwrap();
    let aside = h.count("SELECT COUNT(*) FROM updates_set_aside").await;
    assert!(
        aside as usize <= MOST_QUEUED,
        "{aside} updates set aside: the flood is kept bounded"
    );
    // Told once that what they send meanwhile is not read.
    h.api
        .wait_sent(FLOODER, before + 1, Duration::from_secs(10))
        .await;
    for id in &pushed {
        h.handled(*id).await;
    }
    h.quiet().await;
    // Confirmed is not handled for an update set aside: drained, none is
    // left.
    let deadline = Instant::now() + Duration::from_secs(120);
    while h.count("SELECT COUNT(*) FROM updates_set_aside").await > 0 {
        assert!(Instant::now() < deadline, "the flood was never drained");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let flooder_last = h
        .api
        .calls()
        .into_iter()
        .filter(|c| c.method.starts_with("send") && c.chat_id() == Some(FLOODER) && c.response_ok)
        .map(|c| c.at)
        .max()
        .unwrap();
    assert!(
        everyone_done < flooder_last,
        "the others were kept waiting behind the flood"
    );
    assert_eq!(notices(&h, FLOODER, l), 1, "{:?}", h.api.sent(FLOODER));
    // Every member's report is approved once and they are told once.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved' AND user_id >= 1000")
            .await,
        20
    );
    for m in 1000..1020 {
        let told = h
            .api
            .sent(m)
            .iter()
            .filter(|s| says(s.text.as_deref(), Lang::Vi, "report-approved"))
            .count();
        assert_eq!(told, 1, "member {m}");
    }
    // The flooder's answers kept to Telegram's pace for their chat: what
    // was read was answered (a refusal waited out), the rest not tried.
    let answered = h.api.sent_count(FLOODER) - before;
    let refused = refused_in(&h, FLOODER);
    assert!(
        answered <= 2 * MOST_QUEUED + 2,
        "{answered} answers to the flood"
    );
    assert!(
        refused.len() <= answered + 2,
        "{} refusals for {answered} answers",
        refused.len()
    );
    // Their next command, after the flood, is answered as usual.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let help = h.ask(&flooder, "/help").await;
    assert!(
        !says(help.text.as_deref(), l, "flood-not-read") && help.text.is_some(),
        "{help:?}"
    );
    assert_eq!(notices(&h, FLOODER, l), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_text_flood_does_not_keep_the_others_waiting() {
    a_flood(vi_user(FLOODER, "An")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_text_flood_does_not_keep_the_others_waiting_in_english() {
    a_flood(en_user(FLOODER, "An")).await;
}
