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

/// Waits until a message sent to `user` after the first `from` says `id`
/// (an update set aside is confirmed before it is handled: its answer
/// comes later), and returns it.
async fn until_says(h: &Harness, user: &TgUser, from: usize, id: &str) -> Sent {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let sent = h.api.sent(user.id);
        if let Some(found) = sent
            .iter()
            .skip(from)
            .rfind(|s| says(s.text.as_deref(), lang_of(user), id))
        {
            return found.clone();
        }
        assert!(
            Instant::now() < deadline,
            "{}: {id} never came: {:?}",
            user.id,
            sent.last()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A member runs the whole report dialogue, each step waiting for its own
/// answer; returns when the report was submitted.
async fn report(h: &Harness, m: i64) -> Instant {
    let user = vi_user(m, &format!("dv{m}"));
    let l = Lang::Vi;
    let n = || h.api.sent_count(m);
    let from = n();
    h.api.text(&user, "/report");
    let kinds = until_says(h, &user, from, "ask-kind").await;
    let from = n();
    h.api.callback(
        &user,
        kinds.message_id,
        &kinds.button_data(other_kind(l)).unwrap(),
    );
    let date = until_says(h, &user, from, "ask-date").await;
    let from = n();
    h.api.callback(
        &user,
        date.message_id,
        &date.button_data(&text_of(l, "button-today")).unwrap(),
    );
    until_says(h, &user, from, "ask-description").await;
    let from = n();
    h.api.text(&user, &format!("Dọn vệ sinh ngõ {m}"));
    let photos = until_says(h, &user, from, "ask-photos").await;
    let from = n();
    let skip = photos.buttons()[0].1.clone();
    h.api.callback(&user, photos.message_id, &skip);
    let summary = until_says(h, &user, from, "report-summary").await;
    h.api.callback(
        &user,
        summary.message_id,
        &summary.button_data("Gửi báo cáo").unwrap(),
    );
    // The summary itself may be edited to say it.
    until_says(h, &user, 0, "report-submitted").await;
    Instant::now()
}

/// The report cards the secretary got since those in `seen` (added to it).
fn new_cards(h: &Harness, seen: &mut std::collections::HashSet<i64>) -> Vec<Sent> {
    h.api
        .sent(SEC)
        .into_iter()
        .filter(|s| s.button_data("✅ Duyệt").is_some() && seen.insert(s.message_id))
        .collect()
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
        for card in new_cards(h, &mut pressed) {
            h.api.callback(
                &sec,
                card.message_id,
                &card.button_data("✅ Duyệt").unwrap(),
            );
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
    // Each refusal (retry_after 1) waited out before the chat's next send.
    let sends: Vec<Instant> = h
        .api
        .calls()
        .into_iter()
        .filter(|c| c.method.starts_with("send") && c.chat_id() == Some(FLOODER))
        .map(|c| c.at)
        .collect();
    for at in &refused {
        if let Some(next) = sends.iter().find(|t| *t > at) {
            assert!(
                next.duration_since(*at) >= Duration::from_millis(950),
                "a send {:?} after a refusal",
                next.duration_since(*at)
            );
        }
    }
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

/// The answer to the press pushed as `update`.
fn answer_to(h: &Harness, update: i64) -> Option<Call> {
    let query = h.api.update(update).expect("pushed")["callback_query"]["id"].clone();
    h.api
        .calls_of("answerCallbackQuery")
        .into_iter()
        .find(|c| c.params["callback_query_id"] == query)
}

/// The secretary presses Approve (or, on the cards of members from 1030,
/// Reject, then gives the reason) ten times at once on every card as it
/// comes, until `count` reports are decided; returns the presses pushed,
/// by card.
async fn decide_all_ten_times(h: &Harness, count: i64) -> Vec<(Sent, &'static str, Vec<i64>)> {
    let sec = vi_user(SEC, "Bình");
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut seen = std::collections::HashSet::new();
    let mut pressed = Vec::new();
    while h
        .count("SELECT COUNT(*) FROM reports WHERE status <> 'pending'")
        .await
        < count
    {
        assert!(Instant::now() < deadline, "the cards did not all come");
        for card in new_cards(h, &mut seen) {
            let text = card.text.clone().unwrap_or_default();
            let reject = (1030..1040).any(|m| text.contains(&format!("Đảng viên {m}")));
            let label = if reject {
                "❌ Từ chối"
            } else {
                "✅ Duyệt"
            };
            let data = card.button_data(label).unwrap();
            let from = h.api.sent_count(SEC);
            let updates: Vec<i64> = (0..10)
                .map(|_| h.api.callback(&sec, card.message_id, &data))
                .collect();
            if reject {
                until_says(h, &sec, from, "ask-reject-reason").await;
                let from = h.api.sent_count(SEC);
                h.api.text(&sec, "Chưa đủ minh chứng");
                until_says(h, &sec, from, "report-rejected-done").await;
            }
            pressed.push((card, label, updates));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    pressed
}

/// The secretary presses Approve or Reject on each of 40 cards ten times
/// at once while the members are still submitting: each report decided
/// once, every press answered (the repeats that it was decided already),
/// each member told once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_press_flood_decides_each_report_once() {
    let mut h = Harness::start().await;
    world(&mut h, &vi_user(FLOODER, "An"), 40).await;
    let reporting = join_all((1000..1040).map(|m| report(&h, m)));
    let (_, pressed) = tokio::join!(reporting, decide_all_ten_times(&h, 40));
    for (_, _, updates) in &pressed {
        for u in updates {
            h.handled(*u).await;
        }
    }
    h.quiet().await;
    assert_eq!(pressed.len(), 40);
    for (card, label, updates) in &pressed {
        let answers: Vec<String> = updates
            .iter()
            .map(|u| {
                let answer =
                    answer_to(&h, *u).unwrap_or_else(|| panic!("press {u} on {label} unanswered"));
                answer.str_param("text").unwrap_or_default().to_string()
            })
            .collect();
        let repeats = answers
            .iter()
            .filter(|a| says(Some(a), Lang::Vi, "already-decided"))
            .count();
        // Approve: one decides, nine are told; Reject: the reason is
        // asked, the repeats before it asked again or told.
        if *label == "✅ Duyệt" {
            assert_eq!(repeats, 9, "{label}: {answers:?}");
        }
        let settled = h.current(card);
        assert!(settled.reply_markup.is_none(), "{settled:?}");
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved' AND user_id >= 1000")
            .await,
        30
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'rejected' AND user_id >= 1000")
            .await,
        10
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'approve' AND subject = 'report'")
            .await,
        30
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'reject' AND subject = 'report'")
            .await,
        10
    );
    for m in 1000..1040 {
        let id = if m >= 1030 {
            "report-rejected"
        } else {
            "report-approved"
        };
        let told = h
            .api
            .sent(m)
            .iter()
            .filter(|s| says(s.text.as_deref(), Lang::Vi, id))
            .count();
        assert_eq!(told, 1, "member {m}");
    }
    let prompts = h
        .api
        .sent(SEC)
        .iter()
        .filter(|s| {
            says(s.text.as_deref(), Lang::Vi, "ask-reject-reason")
                || says(s.text.as_deref(), Lang::Vi, "ask-reject-reason-again")
        })
        .count();
    println!(
        "reason prompts: {prompts}; refused in the secretary's chat: {}",
        refused_in(&h, SEC).len()
    );
}

/// Members writing at the same moment fill the bot's 30 messages a second;
/// one member's answer is refused three times in a row meanwhile (in a
/// wave refused together it may be refused more than twice): it is sent
/// again after each `retry_after` until it goes out, and every member is
/// answered once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_answer_refused_three_times_in_a_busy_second_still_goes_out() {
    let mut h = Harness::start().await;
    world(&mut h, &vi_user(FLOODER, "An"), 60).await;
    h.api.fail_next(
        "sendMessage",
        Some(1000),
        Fault::TooManyRequests { retry_after: 1 },
        3,
    );
    let pushed: Vec<i64> = (1000..1060)
        .map(|m| h.api.text(&vi_user(m, &format!("dv{m}")), "/report"))
        .collect();
    for u in pushed {
        h.handled(u).await;
    }
    for m in 1000..1060 {
        until_says(&h, &vi_user(m, &format!("dv{m}")), 0, "ask-kind").await;
    }
    h.quiet().await;
    for m in 1000..1060 {
        assert_eq!(h.api.sent_count(m), 1, "member {m}");
    }
}

/// `member` (the flooder's chat) runs a report up to its photos step, the
/// kind Other, today, `description`, each step waited for.
async fn to_the_photos_step(h: &Harness, member: &TgUser, description: &str) {
    let l = lang_of(member);
    let from = h.api.sent_count(FLOODER);
    h.api.text(member, "/report");
    let kinds = until_says(h, member, from, "ask-kind").await;
    let from = h.api.sent_count(FLOODER);
    h.api.callback(
        member,
        kinds.message_id,
        &kinds.button_data(other_kind(l)).unwrap(),
    );
    let date = until_says(h, member, from, "ask-date").await;
    let from = h.api.sent_count(FLOODER);
    h.api.callback(
        member,
        date.message_id,
        &date.button_data(&text_of(l, "button-today")).unwrap(),
    );
    until_says(h, member, from, "ask-description").await;
    let from = h.api.sent_count(FLOODER);
    h.api.text(member, description);
    until_says(h, member, from, "ask-photos").await;
}

/// A member sends 60 photos at the report's photos step (six albums of
/// 10, at once) while 10 others report: the report keeps its 10 photos,
/// the albums over it are answered that they were not kept, what came
/// while the backlog was answered is said once not to be read, the others
/// go on; photos sent after Submit are answered each; nothing crashes.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_photo_flood_keeps_ten_photos_and_the_others_go_on() {
    let mut h = Harness::start().await;
    let flooder = vi_user(FLOODER, "An");
    let l = Lang::Vi;
    world(&mut h, &flooder, 10).await;
    to_the_photos_step(&h, &flooder, "Tổng vệ sinh khu dân cư").await;
    let from = h.api.sent_count(FLOODER);
    let pushed: Vec<i64> = (0..6)
        .flat_map(|album| {
            let h = &h;
            let flooder = &flooder;
            (0..10).map(move |i| {
                h.api.photo(
                    flooder,
                    &format!("FLOOD-{album}-{i}"),
                    Some(&format!("album-{album}")),
                    None,
                )
            })
        })
        .collect();
    let reporting = join_all((1000..1010).map(|m| report(&h, m))).await;
    assert_eq!(reporting.len(), 10);
    for u in &pushed {
        h.handled(*u).await;
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while h.count("SELECT COUNT(*) FROM updates_set_aside").await > 0 {
        assert!(Instant::now() < deadline, "the photos were never drained");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let answers: Vec<Sent> = h.api.sent(FLOODER).split_off(from);
    let texts: Vec<String> = answers.iter().filter_map(|s| s.text.clone()).collect();
    assert_eq!(notices(&h, FLOODER, l), 1, "{texts:#?}");
    assert!(
        texts
            .iter()
            .any(|t| says(Some(t), l, "photos-received-full")),
        "{texts:#?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("mỗi báo cáo có tối đa 10 ảnh")),
        "{texts:#?}"
    );
    // Done, then Submit: the report has its 10 photos.
    let full = answers
        .iter()
        .rev()
        .map(|s| h.current(s))
        .find(|s| s.button_data(&text_of(l, "button-done")).is_some())
        .expect("the photos' Done");
    let before = h.api.sent_count(FLOODER);
    h.api.callback(
        &flooder,
        full.message_id,
        &full.button_data(&text_of(l, "button-done")).unwrap(),
    );
    let summary = until_says(&h, &flooder, before, "report-summary").await;
    h.api.callback(
        &flooder,
        summary.message_id,
        &summary.button_data("Gửi báo cáo").unwrap(),
    );
    until_says(&h, &flooder, 0, "report-submitted").await;
    h.quiet().await;
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM report_photos p JOIN reports r ON r.id = p.report_id
             WHERE r.user_id = 300"
        )
        .await,
        10
    );
    // After Submit, each photo is answered.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for i in 0..3 {
        let before = h.api.sent_count(FLOODER);
        h.api.photo(&flooder, &format!("LATE-{i}"), None, None);
        h.api
            .wait_sent(FLOODER, before + 1, Duration::from_secs(10))
            .await;
        assert!(h.api.sent_count(FLOODER) > before, "late photo {i}");
    }
    h.quiet().await;
    // The others' reports all reached the secretary.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE user_id >= 1000 AND status = 'pending'")
            .await,
        10
    );
    assert_eq!(notices(&h, FLOODER, l), 1);
}

/// A legitimate burst never trips the flood guard: an album of 10 photos at
/// the photos step, under Telegram's ceilings, is kept whole, with no word
/// of a flood.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_album_of_ten_is_no_flood() {
    for en in [false, true] {
        let mut h = Harness::start().await;
        let member = if en {
            en_user(FLOODER, "An")
        } else {
            vi_user(FLOODER, "An")
        };
        let l = lang_of(&member);
        world(&mut h, &member, 0).await;
        to_the_photos_step(&h, &member, "Cleaning the lane").await;
        let from = h.api.sent_count(FLOODER);
        for i in 0..10 {
            h.api
                .photo(&member, &format!("ALBUM-{i}"), Some("album"), None);
        }
        h.quiet().await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ack = until_says(&h, &member, from, "photos-received").await;
            if ack.text.as_deref().is_some_and(|t| t.contains("10")) {
                break;
            }
            assert!(Instant::now() < deadline, "{ack:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(notices(&h, FLOODER, l), 0);
    }
}

/// A secretary approving 35 cards at once, then asking for `/help` while
/// the presses are still being answered (each card's edit at Telegram's
/// pace for the chat): presses are no flood, so the text behind them is
/// read and answered, never "not read"; every report is approved once.
async fn presses_queued_do_not_leave_the_next_text_unread(secretary: TgUser) {
    const CARDS: i64 = 35;
    let mut h = Harness::start().await;
    let l = lang_of(&secretary);
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 1000, CARDS).await;
    h.start_sender(default_sender()).await;
    join_all((1000..1000 + CARDS).map(|m| report(&h, m))).await;
    let approve = text_of(l, "button-approve");
    let deadline = Instant::now() + Duration::from_secs(60);
    let cards = loop {
        let cards: Vec<Sent> = h
            .api
            .sent(SEC)
            .into_iter()
            .filter(|s| s.button_data(&approve).is_some())
            .collect();
        if cards.len() as i64 == CARDS {
            break cards;
        }
        assert!(Instant::now() < deadline, "{} cards came", cards.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    h.drain().await;
    // The replies above count in the fake's window too.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    h.api.set_limits(Some(30), Some(1));
    let from = h.api.sent_count(SEC);
    for card in &cards {
        h.api.callback(
            &secretary,
            card.message_id,
            &card.button_data(&approve).unwrap(),
        );
    }
    h.api.text(&secretary, "/help");
    until_says(&h, &secretary, from, "help-secretary").await;
    while h
        .count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
        .await
        < CARDS
    {
        assert!(
            Instant::now() < deadline + Duration::from_secs(120),
            "not all approved"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.quiet().await;
    assert_eq!(
        notices(&h, SEC, l),
        0,
        "the secretary was told their text was not read"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'approve'")
            .await,
        CARDS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn presses_queued_do_not_leave_a_secretarys_next_text_unread() {
    presses_queued_do_not_leave_the_next_text_unread(vi_user(SEC, "Bình")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn presses_queued_do_not_leave_a_secretarys_next_text_unread_in_english() {
    presses_queued_do_not_leave_the_next_text_unread(en_user(SEC, "Binh")).await;
}
