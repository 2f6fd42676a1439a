//! Monthly reminders, digests, stale notes and announcements: exactly
//! once, through the outbox, at Telegram's pace.

use std::time::Duration;

use chrono::TimeZone;
use lienhe::{
    clock::Clock,
    domain::{Lang, schedule::Pace},
    jobs::sender::SenderConfig,
};

use crate::common::*;
use lienhe::i18n::loader;

fn fast() -> SenderConfig {
    SenderConfig {
        progress_every: Duration::from_millis(200),
        ..default_sender()
    }
}

fn texts_to(h: &Harness, chat: i64) -> Vec<String> {
    h.api
        .sent(chat)
        .into_iter()
        .filter_map(|s| s.text)
        .collect()
}

#[tokio::test]
async fn reminders_reach_only_silent_members_and_the_digest_names_them() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let active = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &active).await;
    let silent = en_user(301, "Mai");
    let code = h.invite_code(&secretary).await;
    h.request_join(&silent, &code, "Le Thi Mai").await;
    h.press(&secretary, &h.last(&secretary), "✅ Duyệt").await;
    // Long silent: joined in the spring, never reported.
    seed_members(&h, cell, 5000, 1).await;
    // An reports this month; the report is still pending (it counts).
    let summary = h
        .report_until_summary(&active, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&active, &summary, "Gửi báo cáo").await;
    h.start_sender(fast()).await;

    h.set_local(2026, 11, 25, 7, 59);
    assert_eq!(h.tick().await.month, None, "not due before 08:00");
    h.set_local(2026, 11, 25, 8, 0);
    let tick = h.tick().await.month.expect("queued at 08:00");
    assert_eq!((tick.reminders, tick.digests), (2, 1));
    h.drain().await;

    assert!(
        !texts_to(&h, 300)
            .iter()
            .any(|t| t.contains("chưa có báo cáo hoạt động")),
        "An reported"
    );
    let mai = h.last(&silent);
    assert!(mai.text.clone().unwrap().contains(
        "Dear Le Thi Mai: you have reported no activity in person where you live in 11/2026"
    ));
    assert_eq!(mai.button_texts(), vec!["📝 Report now"]);
    assert!(
        texts_to(&h, 5000)
            .last()
            .unwrap()
            .contains("tháng 11/2026, đồng chí chưa có báo cáo")
    );
    assert!(
        texts_to(&h, 100).iter().all(|t| !t.contains("Kính gửi")),
        "the secretary is no member"
    );

    let digest = h.last(&secretary);
    let text = digest.text.clone().unwrap();
    assert!(text.contains("Bản tin tháng 11/2026"), "{text}");
    assert!(text.contains("Chi bộ khối 5 — 3 đảng viên"), "{text}");
    assert!(
        text.contains("Chờ duyệt: 0 yêu cầu tham gia, 1 báo cáo"),
        "{text}"
    );
    assert!(
        text.contains(
            "Chưa có hoạt động trực tiếp trong tháng 11/2026 (2): Đảng viên 5000, Le Thi Mai"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Không có hoạt động trực tiếp từ 3 tháng liên tiếp trở lên (1): Đảng viên 5000 (6 tháng)"
        ),
        "{text}"
    );
    assert_eq!(digest.button_texts(), vec!["📋 Mở danh sách chờ duyệt"]);

    // The digest's button opens /pending; the reminder's starts /report.
    let (_, pending) = h
        .press(&secretary, &digest, "📋 Mở danh sách chờ duyệt")
        .await;
    assert!(
        pending[0]
            .text
            .clone()
            .unwrap()
            .contains("0 yêu cầu tham gia và 1 báo cáo")
    );
    let (_, report) = h.press(&silent, &mai, "📝 Report now").await;
    assert!(
        report[0]
            .text
            .clone()
            .unwrap()
            .contains("What kind of activity")
    );

    // Never twice: not by the scheduler, not by the operator.
    let before = h.api.calls_of("sendMessage").len();
    assert_eq!(h.tick().await.month, None);
    let again = lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    assert_eq!(again.lines().last().unwrap(), "0", "{again}");
    h.drain().await;
    assert_eq!(h.api.calls_of("sendMessage").len(), before);
    assert!(
        h.api
            .calls()
            .iter()
            .all(|c| c.params.get("allow_paid_broadcast").is_none()),
        "no paid broadcast unless configured"
    );
    let list = lienhe::cli::broadcasts_table(&h.pool, TZ, Pace::even(25.0), h.clock.now())
        .await
        .unwrap();
    assert!(
        list.lines()
            .any(|l| l.contains("reminder") && l.contains("2026-11")),
        "{list}"
    );
    h.stop_sender().await;
}

trait ParsePeriod {
    fn parse_period(&self) -> lienhe::domain::schedule::Period;
}

impl ParsePeriod for &str {
    fn parse_period(&self) -> lienhe::domain::schedule::Period {
        lienhe::domain::schedule::Period::parse(self).unwrap()
    }
}

/// A round queued before the next month's falls due expires then (its
/// rows still queued are not sent beside the next month's); a past month
/// an operator asks for after that is sent whenever it goes out.
#[tokio::test]
async fn an_operators_round_expires_with_the_next_months_unless_asked_for_late() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 6000, 2).await;
    h.stop_sender().await;
    // 20/11: October's round is due until 25/11 08:00; September's is past.
    for month in ["2026-10", "2026-09"] {
        lienhe::cli::remind(&h.app(), month.parse_period())
            .await
            .unwrap();
    }
    let expiry = |period: &'static str| {
        let pool = h.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<chrono::DateTime<chrono::Utc>>>(
                "SELECT MAX(expires_at) FROM broadcasts WHERE substr(period, 1, 7) = ?",
            )
            .bind(period)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let due = TZ.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    assert_eq!(
        expiry("2026-10").await,
        Some(due.with_timezone(&chrono::Utc))
    );
    assert_eq!(expiry("2026-09").await, None);
    // Sent on 26/11: September's, asked for late, goes; October's not.
    h.set_local(2026, 11, 26, 9, 0);
    h.start_sender(fast()).await;
    h.drain().await;
    for chat in [6000, 6001] {
        let texts = texts_to(&h, chat);
        assert!(
            texts.iter().any(|t| t.contains("tháng 09/2026")),
            "{texts:?}"
        );
        assert!(
            !texts.iter().any(|t| t.contains("tháng 10/2026")),
            "{texts:?}"
        );
    }
}

#[tokio::test]
async fn operator_remind_queues_once_and_a_late_start_catches_up_without_double_send() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    // Queued rows stay queued: nothing sends them in this test.
    h.stop_sender().await;
    seed_members(&h, cell, 6000, 3).await;

    // October: An joined in November, so only the three others.
    let out = lienhe::cli::remind(&h.app(), "2026-10".parse_period())
        .await
        .unwrap();
    assert!(
        out.contains(
            "Queued 3 member reminders, 1 secretary digests and 0 officer digests for 2026-10"
        ),
        "{out}"
    );
    assert_eq!(out.lines().last().unwrap(), "4");
    let again = lienhe::cli::remind(&h.app(), "2026-10".parse_period())
        .await
        .unwrap();
    assert_eq!(again.lines().last().unwrap(), "0");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL")
            .await,
        4
    );

    // The bot was down on the 25th; it starts on the 27th and catches up.
    h.stop_bot().await;
    h.set_local(2026, 11, 24, 12, 0);
    assert_eq!(h.tick().await.month, None);
    h.set_local(2026, 11, 27, 9, 30);
    h.start_bot().await;
    h.start_sender(fast()).await;
    let caught_up = h.tick().await.month.expect("catch-up at start");
    assert_eq!(caught_up.reminders, 4);
    h.drain().await;
    // Restarted after sending: nothing is queued or sent again.
    h.restart().await;
    assert_eq!(h.tick().await.month, None);
    h.drain().await;
    for chat in [300, 6000, 6001, 6002] {
        let reminders = texts_to(&h, chat)
            .iter()
            .filter(|t| t.contains("tháng 11/2026"))
            .count();
        assert_eq!(reminders, 1, "chat {chat}");
    }
    // A month is never sent in a later month.
    h.set_local(2026, 12, 3, 9, 0);
    assert_eq!(h.tick().await.month, None);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'reminder'")
            .await,
        2
    );
}

#[tokio::test]
async fn too_many_requests_pauses_for_retry_after_then_resends() {
    let mut h = Harness::start().await;
    let ward = h.ward("P").await;
    let cell = h.cell(ward, "Chi bộ C").await;
    seed_members(&h, cell, 7000, 2).await;
    h.api.fail_next(
        "sendMessage",
        Some(7000),
        Fault::TooManyRequests { retry_after: 2 },
        1,
    );
    h.start_sender(fast()).await;
    lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    h.drain().await;
    let calls: Vec<Call> = h.api.calls_of("sendMessage");
    let refused = calls.iter().find(|c| !c.response_ok).expect("the 429");
    let next = calls
        .iter()
        .find(|c| c.response_ok && c.at > refused.at)
        .expect("a send after it");
    assert!(
        next.at - refused.at >= Duration::from_millis(1950),
        "paused {:?}",
        next.at - refused.at
    );
    assert_eq!(texts_to(&h, 7000).len(), 1, "resent once");
    assert_eq!(texts_to(&h, 7001).len(), 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'sent'")
            .await,
        2
    );
}

/// The outbox row of a seeded member's reminder: status, attempts, whether
/// an error was noted.
async fn reminder_row(h: &Harness, chat: i64) -> (String, i64, bool) {
    sqlx::query_as(
        "SELECT status, attempts, last_error IS NOT NULL FROM outbox
         WHERE broadcast_id IS NOT NULL AND chat_id = ?",
    )
    .bind(chat)
    .fetch_one(&h.pool)
    .await
    .unwrap()
}

async fn wait_row(
    h: &Harness,
    chat: i64,
    what: &str,
    check: impl Fn(&(String, i64, bool)) -> bool,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let row = reminder_row(h, chat).await;
        if check(&row) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what}: {row:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A 5xx counts against a row while Telegram answers otherwise (the row,
/// not Telegram, fails): each failure is counted and retried after its
/// backoff (on the bot's clock), while another member's reminder goes out;
/// then it is sent.
#[tokio::test]
async fn server_errors_are_retried_with_backoff_and_capped() {
    let mut h = Harness::start().await;
    let ward = h.ward("P").await;
    let cell = h.cell(ward, "Chi bộ C").await;
    seed_members(&h, cell, 7100, 2).await;
    h.api
        .fail_next("sendMessage", Some(7100), Fault::ServerError(502), 2);
    h.start_sender(fast()).await;
    lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    // teloxide waits 10 s before reading a 5xx body.
    wait_row(&h, 7100, "the first failure", |r| r.2).await;
    assert_eq!(reminder_row(&h, 7100).await, ("queued".into(), 1, true));
    wait_row(&h, 7101, "the other member's reminder", |r| r.0 == "sent").await;
    // Due again after its backoff, on the bot's clock: fails again.
    h.clock.advance(chrono::Duration::seconds(3));
    h.app().wake_sender();
    wait_row(&h, 7100, "the second failure", |r| r.1 == 2).await;
    assert_eq!(reminder_row(&h, 7100).await.0, "queued");
    h.clock.advance(chrono::Duration::seconds(5));
    h.drain().await;
    assert_eq!(reminder_row(&h, 7100).await.0, "sent");
    assert_eq!(texts_to(&h, 7100).len(), 1);
    assert_eq!(texts_to(&h, 7101).len(), 1);
    // Capped: rows that keep failing while others get through end as
    // failed.
    assert_eq!(
        lienhe::jobs::sender::backoff(1),
        chrono::Duration::seconds(2)
    );
    assert_eq!(
        lienhe::jobs::sender::backoff(30),
        chrono::Duration::seconds(300)
    );
}

/// A harness whose `count` members from `first` each have the sending of
/// their reminder fail `failures` times (a broken connection), with the
/// sender started on `cfg` (its pauses short) and the round queued;
/// `also` adds faults before.
async fn failing_round(
    first: i64,
    count: i64,
    failures: usize,
    cfg: SenderConfig,
    also: impl FnOnce(&Harness),
) -> Harness {
    let mut h = Harness::start().await;
    let ward = h.ward("P").await;
    let cell = h.cell(ward, "Chi bộ C").await;
    seed_members(&h, cell, first, count).await;
    for chat in first..first + count {
        h.api
            .fail_next("sendMessage", Some(chat), Fault::Disconnect, failures);
    }
    // The bot asks Telegram who it is as it starts (`getMe`, on its own
    // task): a fault set for the sender's probes before that would be
    // taken by the bot's start-up (under load it comes late), leaving the
    // sender a probe answered while its sends still fail.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while h.api.get_updates_count() == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot never polled"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    also(&h);
    let cfg = SenderConfig {
        outage_pause: (Duration::from_millis(20), Duration::from_millis(100)),
        ..cfg
    };
    h.start_sender(cfg).await;
    lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    h
}

/// Moves the bot's clock on a minute at a time (past any pause or backoff)
/// until `done` (which says what it saw otherwise); fails after 90 s.
async fn advance_until(h: &Harness, done: impl AsyncFn() -> Result<(), String>) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while let Err(seen) = done().await {
        assert!(tokio::time::Instant::now() < deadline, "{seen}");
        h.clock.advance(chrono::Duration::seconds(61));
        h.app().wake_sender();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Telegram unreachable (the connection fails, for `getMe` too) for longer
/// than a row's attempts: while it does not answer, nothing is counted or
/// given up (it used to fail every queued message within a minute of an
/// outage); once Telegram answers again the reminder goes out.
#[tokio::test]
async fn an_outage_gives_up_no_queued_message() {
    let failures = 8;
    let h = failing_round(7150, 1, failures, fast(), |h| {
        h.api.fail_next("getMe", None, Fault::Disconnect, failures)
    })
    .await;
    // Each try waits behind the pause, on the bot's clock too: the clock
    // moves on until the one that gets through.
    advance_until(&h, async || match h.api.chat_call_count(7150) {
        tried if tried > failures => Ok(()),
        tried => Err(format!("{tried} tries")),
    })
    .await;
    h.drain().await;
    // One attempt counted: the one that went through.
    let (status, attempts, _) = reminder_row(&h, 7150).await;
    assert_eq!((status.as_str(), attempts), ("sent", 1));
    assert_eq!(h.api.chat_call_count(7150), failures + 1);
    assert_eq!(texts_to(&h, 7150).len(), 1);
}

/// Telegram's backend down while the Bot API server still answers `getMe`
/// (it answers that one itself): every member's reminder fails, and since
/// more than one row fails with nothing getting through, no row is given
/// up; at most the first failure of all is counted. Once Telegram answers
/// again every reminder goes out, once.
#[tokio::test]
async fn a_backend_outage_gives_up_nothing_although_get_me_answers() {
    let failures = 8;
    let h = failing_round(7160, 2, failures, fast(), |_| {}).await;
    advance_until(&h, async || {
        let rows = (reminder_row(&h, 7160).await, reminder_row(&h, 7161).await);
        assert!(rows.0.0 != "failed" && rows.1.0 != "failed", "{rows:?}");
        let tried = [7160, 7161].map(|chat| h.api.chat_call_count(chat));
        match tried.iter().all(|&n| n > failures) {
            true => Ok(()),
            false => Err(format!("{rows:?}")),
        }
    })
    .await;
    h.drain().await;
    let mut counted = 0;
    for chat in [7160, 7161] {
        let (status, attempts, _) = reminder_row(&h, chat).await;
        assert_eq!(status, "sent");
        counted += attempts - 1;
        assert_eq!(texts_to(&h, chat).len(), 1);
    }
    assert!(counted <= 1, "{counted} failures counted");
}

/// Two rows each failing on its own look like an outage to the sender
/// (neither failure is counted while the other fails too): past
/// `give_up_after` they are given up all the same, not retried forever.
#[tokio::test]
async fn rows_failing_each_on_its_own_are_given_up_in_the_end() {
    let cfg = SenderConfig {
        give_up_after: Duration::from_millis(500),
        ..fast()
    };
    let h = failing_round(7190, 2, 1_000, cfg, |_| {}).await;
    advance_until(&h, async || {
        let rows = (reminder_row(&h, 7190).await, reminder_row(&h, 7191).await);
        match rows.0.0 == "failed" && rows.1.0 == "failed" {
            true => Ok(()),
            false => Err(format!("{rows:?}")),
        }
    })
    .await;
    h.api.clear_faults();
    assert!(texts_to(&h, 7190).is_empty() && texts_to(&h, 7191).is_empty());
}

/// Queues a plain text to `chat` (as urgent as a person's notice).
async fn queue_notice(h: &Harness, chat: i64, text: &str) {
    let notice = lienhe::store::outbox::Notice {
        chat_id: chat,
        payload: lienhe::store::outbox::Payload {
            text: text.into(),
            ..Default::default()
        },
    };
    lienhe::store::outbox::enqueue_fallback(&h.pool, &notice, h.app().now())
        .await
        .unwrap();
}

/// A row put off after its failure holds the later rows of its chat in the
/// same batch too, even once the gap per chat has passed while the batch
/// went on (30 other chats' messages at 20 a second): the chat gets its
/// messages in order.
#[tokio::test]
async fn a_put_off_row_holds_its_chat_within_the_batch() {
    let mut h = Harness::start().await;
    // All of it queued before the sender reads its first batch.
    h.stop_sender().await;
    for chat in 7200..=7230 {
        h.api.introduce(&vi_user(chat, &format!("dv{chat}")));
    }
    h.api
        .fail_next("sendMessage", Some(7200), Fault::Disconnect, 1);
    queue_notice(&h, 7200, "First").await;
    for chat in 7201..=7230 {
        queue_notice(&h, chat, "To another chat").await;
    }
    queue_notice(&h, 7200, "Second").await;
    h.start_sender(SenderConfig {
        rate: 20.0,
        ..fast()
    })
    .await;
    advance_until(&h, async || match texts_to(&h, 7200).len() {
        2 => Ok(()),
        n => Err(format!("{n} of 2")),
    })
    .await;
    assert_eq!(texts_to(&h, 7200), ["First", "Second"]);
}

/// One chat with more queued than a batch holds does not keep the others
/// waiting: while it waits out Telegram's gap per chat, the sender reads
/// past it (it used to read the same chat's rows batch after batch).
#[tokio::test]
async fn a_chat_with_a_long_queue_does_not_hold_up_the_others() {
    let mut h = Harness::start().await;
    // All of it queued before the sender reads its first batch.
    h.stop_sender().await;
    for chat in [7180, 7181] {
        h.api.introduce(&vi_user(chat, &format!("dv{chat}")));
    }
    for n in 1..=8 {
        queue_notice(&h, 7180, &format!("Notice {n}")).await;
    }
    queue_notice(&h, 7181, "For another chat").await;
    h.start_sender(SenderConfig { batch: 4, ..fast() }).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while texts_to(&h, 7181).is_empty() {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(texts_to(&h, 7180).len() <= 2, "{:?}", texts_to(&h, 7180));
    h.drain().await;
    let expected: Vec<String> = (1..=8).map(|n| format!("Notice {n}")).collect();
    assert_eq!(texts_to(&h, 7180), expected, "in order");
}

/// A row that keeps failing while Telegram answers otherwise (nothing else
/// is being sent: a quiet bot) is given up after its attempts, and the
/// message queued after it to the same chat, held meanwhile (although
/// more urgent), then goes out.
#[tokio::test]
async fn a_row_failing_on_its_own_is_given_up_and_its_chat_goes_on() {
    let attempts = SenderConfig::default().max_attempts;
    let h = failing_round(7170, 1, attempts as usize, fast(), |_| {}).await;
    wait_row(&h, 7170, "the first failure", |r| r.1 == 1).await;
    queue_notice(&h, 7170, "Queued after the reminder").await;
    advance_until(&h, async || {
        // The notice goes only after the reminder was given up.
        let texts = texts_to(&h, 7170);
        let row = reminder_row(&h, 7170).await;
        if row.0 == "failed" {
            return Ok(());
        }
        assert!(texts.is_empty(), "held behind the retry: {texts:?}");
        Err(format!("{row:?}"))
    })
    .await;
    assert_eq!(reminder_row(&h, 7170).await.1, attempts);
    h.drain().await;
    assert_eq!(texts_to(&h, 7170), ["Queued after the reminder"]);
}

/// Telegram failing a quiet bot's one message for minutes (its `getMe`
/// still answered, and no other message failing beside it to show the
/// outage) does not make the message fail for good: it was given up after
/// five attempts, half a minute of backoff; it is tried on, and goes out
/// once Telegram answers again.
#[tokio::test]
async fn a_lone_message_outlives_minutes_of_failures() {
    let failures = 6;
    let h = failing_round(7175, 1, failures, fast(), |_| {}).await;
    let began = h.app().now();
    advance_until(&h, async || {
        let row = reminder_row(&h, 7175).await;
        match row.0.as_str() {
            "queued" => Err(format!("{row:?}")),
            _ => Ok(()),
        }
    })
    .await;
    let row = reminder_row(&h, 7175).await;
    assert_eq!((row.0.as_str(), row.1), ("sent", failures as i64 + 1));
    assert!(h.app().now() - began >= chrono::Duration::minutes(2));
    assert_eq!(texts_to(&h, 7175).len(), 1);
}

#[tokio::test]
async fn blocked_members_are_marked_unreachable_and_named_in_the_next_digest() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 7200, 1).await;
    h.api.fail_next(
        "sendMessage",
        Some(300),
        Fault::Forbidden("bot was blocked by the user".into()),
        1,
    );
    h.start_sender(fast()).await;
    lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    h.drain().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'unreachable' AND chat_id = 300")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM users WHERE id = 300 AND unreachable_since IS NOT NULL")
            .await,
        1
    );

    // December: no reminder is attempted to An; the digest names An.
    let before = h
        .api
        .calls_of("sendMessage")
        .iter()
        .filter(|c| c.chat_id() == Some(300))
        .count();
    h.set_local(2026, 12, 25, 8, 0);
    let queued = h.tick().await.month.unwrap();
    assert_eq!(queued.reminders, 1, "only the reachable silent member");
    h.drain().await;
    let after = h
        .api
        .calls_of("sendMessage")
        .iter()
        .filter(|c| c.chat_id() == Some(300))
        .count();
    assert_eq!(before, after);
    let digest = h.last(&secretary).text.unwrap();
    assert!(
        digest.contains("Không liên lạc được qua bot, có thể đã chặn bot (1): Nguyễn Văn An"),
        "{digest}"
    );

    // Writing to the bot again makes An reachable.
    h.ask(&member, "/help").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM users WHERE id = 300 AND unreachable_since IS NOT NULL")
            .await,
        0
    );
}

/// Telegram tells the bot when a user blocks or unblocks it: a member who
/// blocks it is marked unreachable at once, and one who unblocks it without
/// writing is reachable again (the next reminder reaches them). Nothing is
/// stored about a stranger who does the same.
#[tokio::test]
async fn blocking_and_unblocking_the_bot_is_followed_without_a_message() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let unreachable = "SELECT COUNT(*) FROM users WHERE id = 300 AND unreachable_since IS NOT NULL";
    let blocked = h.api.block(&member, true);
    h.handled(blocked).await;
    assert_eq!(h.count(unreachable).await, 1);
    // Blocked again (the update redelivered, say): nothing changes.
    h.api.redeliver(blocked);
    let unblocked = h.api.block(&member, false);
    h.handled(unblocked).await;
    assert_eq!(h.count(unreachable).await, 0);

    h.start_sender(fast()).await;
    lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    h.drain().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND chat_id = 300 AND status = 'sent'")
            .await,
        1
    );

    let stranger = vi_user(900, "Khách");
    let update = h.api.block(&stranger, true);
    h.handled(update).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM users WHERE id = 900").await,
        0
    );
}

/// A member had blocked the bot when a notice to them went out; while
/// Telegram's 403 was on its way back, they unblocked the bot and wrote to
/// it. The late 403 marked them unreachable anew, as if they had never come
/// back: the notice was given up and everything after it skipped until
/// they wrote once more. Now they stay reachable and the notice is sent
/// again.
#[tokio::test]
async fn a_403_that_arrives_after_the_member_wrote_again_does_not_mark_them_unreachable() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.drain().await;
    h.stop_sender().await;
    queue_notice(&h, member.id, "Thông báo trước khi chặn").await;
    // The send reaches Telegram while they have the bot blocked.
    let held = h.api.hold_next("sendMessage", member.id);
    h.start_sender(fast()).await;
    assert!(
        held.reached(Duration::from_secs(10)).await,
        "the notice goes out"
    );
    // Meanwhile they unblock the bot and write to it.
    let unblocked = h.api.block(&member, false);
    h.handled(unblocked).await;
    let wrote = h.api.text(&member, "/help");
    h.handled(wrote).await;
    h.api.fail_next(
        "sendMessage",
        Some(member.id),
        Fault::Forbidden("bot was blocked by the user".into()),
        1,
    );
    held.release();
    h.drain().await;
    let unreachable = "SELECT COUNT(*) FROM users WHERE id = 300 AND unreachable_since IS NOT NULL";
    assert_eq!(h.count(unreachable).await, 0);
    assert!(
        h.api
            .sent(member.id)
            .iter()
            .any(|s| s.text.as_deref() == Some("Thông báo trước khi chặn")),
        "the notice sent again"
    );
    // What is queued for them afterwards reaches them.
    queue_notice(&h, member.id, "Thông báo sau").await;
    h.app().wake_sender();
    h.drain().await;
    assert_eq!(
        h.api.last_sent(member.id).and_then(|s| s.text).as_deref(),
        Some("Thông báo sau")
    );
}

#[tokio::test]
async fn never_more_than_one_message_a_second_to_a_chat() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    // The secretary is also a silent member: a reminder and a digest.
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    // Everything below is sent by the one sender started under the limits.
    h.stop_sender().await;
    seed_members(&h, cell, 7300, 20).await;
    // An announcement and the month's round, to the same chats.
    let prompt = h.ask(&secretary, "/announce").await.text.unwrap();
    assert!(prompt.contains("nội dung thông báo"), "{prompt}");
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    h.press(&secretary, &preview, "📨 Gửi").await;
    lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    // The chat replies above count in the fake's per-chat window too.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    h.api.set_limits(Some(30), Some(1));
    h.start_sender(SenderConfig {
        rate: 30.0,
        per_chat: paced_sender().per_chat,
        ..fast()
    })
    .await;
    h.drain().await;
    let refused: Vec<_> = h
        .api
        .calls()
        .into_iter()
        .filter(|c| !c.response_ok)
        .map(|c| (c.method.clone(), c.chat_id(), c.at))
        .collect();
    assert_eq!(h.api.violations(), 0, "{refused:?}");
    let to_secretary: Vec<Call> = h
        .api
        .calls_of("sendMessage")
        .into_iter()
        .filter(|c| {
            c.chat_id() == Some(100) && c.params["reply_markup"].is_object() && c.response_ok
        })
        .collect();
    assert!(to_secretary.len() >= 2);
    let mut by_chat: std::collections::HashMap<i64, Vec<std::time::Instant>> = Default::default();
    let broadcast_texts = ["Kính gửi", "Bản tin", "📢"];
    for c in h.api.calls_of("sendMessage") {
        let text = c.params["text"].as_str().unwrap_or_default().to_string();
        if c.response_ok && broadcast_texts.iter().any(|p| text.starts_with(p)) {
            by_chat.entry(c.chat_id().unwrap()).or_default().push(c.at);
        }
    }
    for (chat, times) in by_chat {
        for pair in times.windows(2) {
            assert!(
                pair[1] - pair[0] >= Duration::from_secs(1),
                "chat {chat}: {:?}",
                pair[1] - pair[0]
            );
        }
    }
}

#[tokio::test]
async fn announce_previews_sends_and_counts() {
    let mut h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 7400, 5).await;
    h.api.fail_next(
        "sendMessage",
        Some(7402),
        Fault::Forbidden("bot was blocked by the user".into()),
        1,
    );

    assert!(
        h.ask(&member, "/announce")
            .await
            .text
            .unwrap()
            .contains("chỉ dành cho bí thư")
    );
    h.ask(&secretary, "/announce").await;
    let empty = h.ask(&secretary, "  ").await.text.unwrap();
    assert!(empty.contains("cannot be empty"), "{empty}");
    let preview = h
        .ask(&secretary, "Chi bộ họp vào 19h thứ Bảy, 28/11/2026.")
        .await;
    let text = preview.text.clone().unwrap();
    assert!(
        text.contains("Preview of the announcement to 6 members of Chi bộ khối 5:")
            && text.contains("28/11/2026"),
        "{text}"
    );
    assert_eq!(preview.button_texts(), vec!["📨 Send", "Cancel"]);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL")
            .await,
        0,
        "nothing before Send"
    );

    // Only the sender started below sends the announcement and its
    // progress message: queued with it, nothing is sent before it runs.
    h.stop_sender().await;
    let (_, replies) = h.press(&secretary, &preview, "📨 Send").await;
    assert!(replies.is_empty(), "{replies:?}");
    // A second press of Send is stale: one announcement.
    let (again, _) = h.press_data(&secretary, preview.message_id, "as").await;
    assert_eq!(again.params["show_alert"], true);
    h.start_sender(fast()).await;
    h.drain().await;
    // One progress message, sent once, ahead of the copies.
    let started: Vec<String> = h
        .api
        .calls_of("sendMessage")
        .into_iter()
        .filter(|c| c.chat_id() == Some(secretary.id) && c.response_ok)
        .filter_map(|c| c.params["text"].as_str().map(str::to_string))
        .filter(|t| t.starts_with("Sending the announcement"))
        .collect();
    assert_eq!(started, ["Sending the announcement: 0 of 6 sent."]);
    let progress = h.last(&secretary);
    let done = h.current(&progress);
    assert!(progress_edits(&h, &progress) >= 1);
    let final_text = done.text.unwrap();
    assert!(
        final_text.contains("5 members received it, 1 could not be reached, 0 failed (of 6)"),
        "{final_text}"
    );
    let got = h.last(&member).text.unwrap();
    assert!(
        got.contains("📢 Thông báo của Chi bộ khối 5 (bí thư Trần Thị Bình)")
            && got.contains("19h thứ Bảy"),
        "{got}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'announcement'")
            .await,
        1
    );
    let list = lienhe::cli::broadcasts_table(&h.pool, TZ, Pace::even(25.0), h.clock.now())
        .await
        .unwrap();
    let row = list.lines().find(|l| l.contains("announcement")).unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(&cols[cols.len() - 5..], &["6", "0", "5", "1", "0"], "{row}");

    // Cancel sends nothing.
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Nhầm").await;
    h.press(&secretary, &preview, "Cancel").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'announcement'")
            .await,
        1
    );
    // The progress message was edited only when its text changed.
    assert_eq!(h.api.not_modified(), 0);
}

fn announced(h: &Harness, chat: i64) -> usize {
    h.api
        .sent(chat)
        .iter()
        .filter(|s| s.text.as_deref().is_some_and(|t| t.contains("tối thứ Bảy")))
        .count()
}

/// An announcement queued while Telegram could not be reached is not sent
/// to a member who left the cell meanwhile: one whose membership the
/// secretary ended, one who moved to another cell; the others get it once.
#[tokio::test]
async fn a_queued_announcement_is_not_sent_to_a_member_who_left_meanwhile() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let other_secretary = vi_user(200, "Cường");
    let leaver = vi_user(300, "An");
    let mover = vi_user(301, "Mai");
    let cell = h.cell_with_member(&secretary, &leaver).await;
    h.join_approved(&secretary, &mover, "Lê Thị Mai").await;
    seed_members(&h, cell, 7400, 2).await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&other_secretary, other, "Phạm Văn Cường")
        .await;
    let code = h.invite_code(&other_secretary).await;
    let asked = h.ask(&mover, &format!("/start {code}")).await;
    let (_, replies) = h.press(&mover, &asked, "Đúng, tôi chuyển sang").await;
    h.press(&mover, replies.last().unwrap(), "Xác nhận").await;
    let move_card = h.last(&other_secretary);

    h.stop_sender().await;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ tối thứ Bảy.").await;
    h.press(&secretary, &preview, &text_of(Lang::Vi, "button-send"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'queued'")
            .await,
        4
    );
    // The move is approved, and the secretary ends the other's membership,
    // while the announcement waits.
    h.press(&other_secretary, &move_card, "✅ Duyệt").await;
    h.end_quietly(leaver.id, cell, secretary.id).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert_eq!(announced(&h, leaver.id), 0, "{:?}", h.api.sent(leaver.id));
    assert_eq!(announced(&h, mover.id), 0, "{:?}", h.api.sent(mover.id));
    assert_eq!((announced(&h, 7400), announced(&h, 7401)), (1, 1));
}

/// An announcement to all the cells of a secretary of two, queued while
/// Telegram could not be reached, still reaches, once, a member who moved
/// from one of them to the other meanwhile.
#[tokio::test]
async fn a_queued_announcement_to_all_cells_reaches_a_member_who_moved_between_them() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let mover = vi_user(300, "An");
    let stayer = vi_user(301, "Mai");
    let first = h.cell_with_member(&secretary, &mover).await;
    h.join_approved(&secretary, &stayer, "Lê Thị Mai").await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(first)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let second = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, second, "Trần Thị Bình").await;
    let choose = h.ask(&secretary, "/invite").await;
    let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 7").await;
    let code = deep_link_code(replies.last().unwrap());
    let asked = h.ask(&mover, &format!("/start {code}")).await;
    let (_, replies) = h.press(&mover, &asked, "Đúng, tôi chuyển sang").await;
    h.press(&mover, replies.last().unwrap(), "Xác nhận").await;
    let move_card = h.last(&secretary);

    h.stop_sender().await;
    let choose = h.ask(&secretary, "/announce").await;
    h.press(
        &secretary,
        &choose,
        &text_of(Lang::Vi, "announce-all-cells"),
    )
    .await;
    let preview = h.ask(&secretary, "Họp chi bộ tối thứ Bảy.").await;
    h.press(&secretary, &preview, &text_of(Lang::Vi, "button-send"))
        .await;
    // The move is approved while the announcement waits.
    h.press(&secretary, &move_card, "✅ Duyệt").await;
    let now_in: i64 = sqlx::query_scalar(
        "SELECT cell_id FROM memberships WHERE user_id = 300 AND status = 'approved'",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(now_in, second);
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert_eq!(announced(&h, mover.id), 1, "{:?}", h.api.sent(mover.id));
    assert_eq!(announced(&h, stayer.id), 1);
}

/// A secretary replaced while writing an announcement is told the command
/// is no longer theirs, not that the cell has no members; nothing is sent.
#[tokio::test]
async fn a_secretary_replaced_while_writing_cannot_send_the_announcement() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        h.ask(&secretary, "/announce").await;
        let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
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
        let (_, replies) = h
            .press(&secretary, &preview, &text_of(lang, "button-send"))
            .await;
        let answer = replies.last().unwrap().text.clone().unwrap();
        assert!(says(Some(&answer), lang, "secretaries-only"), "{answer}");
        assert!(
            !says(Some(&answer), lang, "announce-no-members"),
            "{answer}"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'announcement'")
                .await,
            0
        );
        // The dialogue is over: a text is not taken as an announcement.
        let after = h.ask(&secretary, "Một thông báo khác").await;
        assert!(
            !after.text.as_deref().unwrap_or("").contains("Họp chi bộ"),
            "{after:?}"
        );
    }
}

/// An announcement pasted over Telegram's limit arrives in two messages:
/// the first part fits and gets a preview, the rest within seconds undoes
/// it: the text is asked again and the half preview's Send is stale.
#[tokio::test]
async fn an_announcement_split_by_telegram_is_asked_again() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.ask(&secretary, "/announce").await;
    let first: String = "Thông báo về lịch sinh hoạt.\n".repeat(90);
    assert!((2_000..3_000).contains(&first.chars().count()));
    let before = h.api.sent_count(secretary.id);
    h.api.text(&secretary, &first);
    h.api.text(&secretary, "phần cuối của thông báo");
    h.api
        .wait_sent(secretary.id, before + 2, Duration::from_secs(60))
        .await;
    let replies = h.api.sent(secretary.id).split_off(before);
    let preview = replies[0].clone();
    assert!(
        says(preview.text.as_deref(), Lang::Vi, "announce-preview"),
        "{replies:?}"
    );
    let again = replies[1].text.clone().unwrap();
    assert!(
        says(Some(&again), Lang::Vi, "error-text-in-parts")
            && again.ends_with(&text_of(Lang::Vi, "ask-announcement")),
        "{again}"
    );
    let (answer, _) = h.press(&secretary, &preview, "📨 Gửi").await;
    assert_eq!(answer.params["show_alert"], true, "{answer:?}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'announcement'")
            .await,
        0
    );
}

/// A text of 6,000 units pasted as an announcement: Telegram's app sends
/// about 4,000 (refused as too long), then the rest, which would fit. The
/// rest is not taken as the announcement (its preview's Send would reach
/// every member with half the text): it is said to be a part, in the
/// secretary's language; a text pasted alone afterwards is taken.
#[tokio::test]
async fn the_rest_of_an_announcement_split_by_telegram_is_not_taken() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.ask(&secretary, "/announce").await;
        let whole = "Thông báo về lịch sinh hoạt chi bộ tháng 12.\n".repeat(150);
        // The app's cut: at a line break before 4,096 units.
        let mut first = String::new();
        for line in whole.split_inclusive('\n') {
            if first.encode_utf16().count() + line.encode_utf16().count() > 4096 {
                break;
            }
            first.push_str(line);
        }
        let rest = &whole[first.len()..];
        assert!((2_000..3_000).contains(&rest.encode_utf16().count()));
        let before = h.api.sent_count(secretary.id);
        h.api.text(&secretary, &first);
        h.api.text(&secretary, rest);
        h.api
            .wait_sent(secretary.id, before + 2, Duration::from_secs(60))
            .await;
        h.quiet().await;
        let replies = h.api.sent(secretary.id).split_off(before);
        assert_eq!(replies.len(), 2, "{replies:?}");
        assert!(
            says(replies[0].text.as_deref(), lang, "error-too-long"),
            "{replies:?}"
        );
        assert!(
            says(replies[1].text.as_deref(), lang, "error-text-in-parts"),
            "{replies:?}"
        );
        // Still asked for the text: the next one, written anew (later than
        // a part would come), is previewed.
        tokio::time::sleep(Duration::from_secs(4)).await;
        let preview = h.ask(&secretary, "Họp chi bộ ngày 10/12.").await;
        assert!(
            says(preview.text.as_deref(), lang, "announce-preview"),
            "{preview:?}"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'announcement'")
                .await,
            0
        );
    }
}

/// An announcement of 3,000 characters, many of them emoji, is longer than
/// it looks to Telegram (an emoji is two of its units): refused and asked
/// again, in the secretary's language, instead of reaching every member
/// cut. The same number of letters goes out whole.
#[tokio::test]
async fn an_announcement_of_emoji_over_the_limit_is_asked_again() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.ask(&secretary, "/announce").await;
        let emoji = format!("{}{}", "🎉".repeat(1050), "a".repeat(1950));
        let again = h.ask(&secretary, &emoji).await.text.unwrap();
        assert!(
            says(Some(&again), lang, "error-too-long")
                && again.ends_with(&text_of(lang, "ask-announcement")),
            "{again:.300}"
        );
        let letters = format!("{}{}", "ê".repeat(1050), "a".repeat(1950));
        // Written anew (later than a part of one long text would come).
        tokio::time::sleep(Duration::from_secs(4)).await;
        let preview = h.ask(&secretary, &letters).await;
        assert!(preview.text.as_deref().unwrap().contains(&letters));
        let send = label_of(&preview, "as:").unwrap();
        h.press(&secretary, &preview, &send).await;
        h.drain().await;
        assert!(h.last(&member).text.unwrap().contains(&letters));
    }
}

/// Who gets a monthly reminder is decided when the round is queued; a
/// member who reports while the round drains is not reminded after all,
/// nor one whose membership ended meanwhile. The others are.
#[tokio::test]
async fn a_member_who_reports_while_the_round_drains_is_not_reminded() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 5000, 2).await;
    h.stop_sender().await;
    h.set_local(2026, 11, 25, 8, 0);
    let tick = h.tick().await.month.expect("queued at 08:00");
    assert_eq!(tick.reminders, 3);
    // While the round waits: An reports, member 5001 leaves.
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    sqlx::query(
        "UPDATE memberships SET status = 'left', ended_at = requested_at WHERE user_id = 5001",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    h.start_sender(fast()).await;
    h.drain().await;
    let reminded = |chat: i64| {
        texts_to(&h, chat)
            .iter()
            .any(|t| t.contains("chưa có báo cáo hoạt động"))
    };
    assert!(!reminded(300), "An reported meanwhile");
    assert!(!reminded(5001), "5001 left meanwhile");
    assert!(reminded(5000), "5000 is still silent");
}

fn progress_edits(h: &Harness, progress: &Sent) -> usize {
    h.api
        .message(progress.chat_id, progress.message_id)
        .map(|m| m.edits)
        .unwrap_or(0)
}

#[tokio::test]
async fn a_sender_killed_mid_broadcast_loses_nothing_and_duplicates_at_most_one() {
    let mut h = Harness::start().await;
    let ward = h.ward("P").await;
    let cell = h.cell(ward, "Chi bộ C").await;
    seed_members(&h, cell, 8000, 40).await;
    lienhe::cli::remind(&h.app(), "2026-11".parse_period())
        .await
        .unwrap();
    h.start_sender(SenderConfig {
        rate: 20.0,
        ..fast()
    })
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while h
        .count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'sent'")
        .await
        < 12
    {
        assert!(tokio::time::Instant::now() < deadline, "12 rows sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    h.kill_sender().await;
    let sent_at_kill = h
        .count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'sent'")
        .await;
    assert!(sent_at_kill < 40, "killed mid-broadcast");
    h.start_sender(SenderConfig {
        rate: 20.0,
        ..fast()
    })
    .await;
    h.drain().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'sent'")
            .await,
        40
    );
    let mut duplicates = 0;
    for chat in 8000..8040 {
        let got = texts_to(&h, chat).len();
        assert!(got >= 1, "chat {chat} lost its reminder");
        duplicates += got - 1;
    }
    assert!(duplicates <= 1, "{duplicates} duplicates");
}

#[tokio::test]
async fn a_report_pending_over_a_week_is_pointed_out_once() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    h.start_sender(fast()).await;

    h.set_local(2026, 11, 27, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 0, "a week has not passed");
    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 1);
    h.drain().await;
    let note = h.last(&secretary).text.unwrap();
    assert!(
        note.contains("Báo cáo chờ duyệt quá 7 ngày (1)")
            && note.contains("số 1 của đồng chí Nguyễn Văn An, gửi ngày 20/11/2026"),
        "{note}"
    );
    h.set_local(2026, 11, 29, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 0, "once");
    h.set_local(2026, 12, 25, 8, 0);
    h.tick().await;
    h.drain().await;
    let digest = h.last(&secretary).text.unwrap();
    assert!(
        digest.contains("Bản tin tháng 12/2026") && !digest.contains("quá 7 ngày"),
        "{digest}"
    );
}

/// A note of a report pending over a week, queued while Telegram could not
/// be reached, is not sent to a secretary replaced meanwhile: the report
/// is no longer theirs to decide (its card went to the new secretary).
#[tokio::test]
async fn a_stale_note_queued_to_a_secretary_replaced_meanwhile_is_not_sent() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    // The month's round (the report not stale yet) went out.
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await;
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 1);
    let code = h.secretary_code(cell).await;
    let new = en_user(150, "Chau");
    h.ask(&new, &format!("/start {code}")).await;
    h.ask(&new, "Ngô Minh Châu").await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let notes: Vec<String> = h
        .api
        .sent(100)
        .into_iter()
        .filter_map(|s| s.text)
        .filter(|t| t.contains("quá 7 ngày"))
        .collect();
    assert!(notes.is_empty(), "{notes:?}");
    // The new secretary was told the report waits for them.
    assert!(
        h.api
            .sent(150)
            .iter()
            .any(|s| s.text.as_deref().is_some_and(|t| t.contains("1 report"))),
        "{:?}",
        h.api.sent(150)
    );
}

/// A note of reports pending over a week lists only those still waiting
/// when it goes out: one of two decided while it was queued (Telegram
/// unreachable) was still listed, and counted; it is now left out.
#[tokio::test]
async fn a_stale_note_lists_only_the_reports_still_waiting_when_it_goes_out() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        let mut cards = Vec::new();
        for what in ["Trồng cây", "Dọn vệ sinh"] {
            let summary = h
                .report_until_summary(&member, "Hoạt động khác", "Hôm nay", what, &[])
                .await;
            h.press(&member, &summary, "Gửi báo cáo").await;
            cards.push(h.last(&secretary));
        }
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM reports ORDER BY id")
            .fetch_all(&h.pool)
            .await
            .unwrap();
        // The month's round (the reports not stale yet) went out.
        h.set_local(2026, 11, 25, 8, 0);
        h.tick().await;
        h.drain().await;
        h.stop_sender().await;
        h.set_local(2026, 11, 28, 9, 0);
        assert_eq!(h.tick().await.stale_notes, 1);
        // The first decided while the note waits.
        let approve = if lang == Lang::En {
            "✅ Approve"
        } else {
            "✅ Duyệt"
        };
        h.press(&secretary, &cards[0], approve).await;
        h.start_sender(default_sender()).await;
        h.drain().await;
        let notes = digests_to(&h, 100, lang, "digest-stale");
        let [note] = notes.as_slice() else {
            panic!("{notes:?}")
        };
        let item = |id: i64| {
            if lang == Lang::En {
                format!("no. {id} by")
            } else {
                format!("số {id} của")
            }
        };
        assert!(note.contains("(1)"), "{note}");
        assert!(note.contains(&item(ids[1])), "{note}");
        assert!(!note.contains(&item(ids[0])), "{note}");
    }
}

/// A member's report pending in a cell that then loses its secretary
/// (`deputy` made deputy before, if given); the sender started.
async fn pending_where_the_secretary_left(
    h: &mut Harness,
    secretary: &TgUser,
    member: &TgUser,
    deputy: Option<&TgUser>,
) {
    let cell = h.cell_with_member(secretary, member).await;
    if let Some(deputy) = deputy {
        crate::committee::make_deputy(h, secretary, deputy, "Phạm Văn Dũng").await;
    }
    let summary = h
        .report_until_summary(member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(member, &summary, "Gửi báo cáo").await;
    sqlx::query("DELETE FROM cell_secretaries WHERE cell_id = ?")
        .bind(cell)
        .execute(&h.pool)
        .await
        .unwrap();
    h.start_sender(fast()).await;
}

#[tokio::test]
async fn a_stale_report_in_a_cell_without_a_secretary_is_set_aside_once() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    pending_where_the_secretary_left(&mut h, &secretary, &member, None).await;
    let sent_before = h.api.sent_count(secretary.id);

    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 0, "nobody to tell");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE stale_noted_at IS NULL")
            .await,
        0,
        "set aside, not found again on every look"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'stale'")
            .await,
        0,
        "no empty note round"
    );
    h.set_local(2026, 11, 29, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'stale'")
            .await,
        0
    );
    h.drain().await;
    assert_eq!(h.api.sent_count(secretary.id), sent_before);
    // Still pending: the report itself is untouched.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
            .await,
        1
    );
}

/// In a cell whose secretary is gone, the deputy decides: a report
/// pending over a week is pointed out to the deputy, in their language.
#[tokio::test]
async fn a_stale_report_in_a_cell_without_a_secretary_is_pointed_out_to_its_deputy() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = en_user(200, "Dung");
    pending_where_the_secretary_left(&mut h, &secretary, &member, Some(&deputy)).await;
    // The month's round first (the deputy's digest), then the week is up.
    h.set_local(2026, 11, 26, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 0);
    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 1);
    h.drain().await;
    let note = h.last(&deputy);
    assert!(
        says(
            note.text.as_deref(),
            lienhe::domain::Lang::En,
            "digest-stale"
        ),
        "{:?}",
        note.text
    );
    assert!(note.text.unwrap().contains("(1)"));
}

#[tokio::test]
async fn the_scheduler_checks_for_stale_reports_once_a_day_at_the_hour() {
    use lienhe::jobs::scheduler::{self, Done, Schedule};
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    // Sent 20/11 10:00: stale from 27/11 10:00.
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    h.start_sender(fast()).await;
    let app = h.app();
    let schedule = Schedule::default();
    let mut done = Done::default();
    let mut step = async |h: &Harness, y, m, d, hour| {
        h.set_local(y, m, d, hour, 0);
        scheduler::step(&app, &schedule, &mut done)
            .await
            .unwrap()
            .stale_notes
    };
    assert_eq!(step(&h, 2026, 11, 27, 7).await, 0, "before the hour");
    // 27/11 08:00: the day's check, nothing stale yet.
    assert_eq!(step(&h, 2026, 11, 27, 8).await, 0);
    // Stale from 10:00, but today's check is done: tomorrow's says it.
    assert_eq!(step(&h, 2026, 11, 27, 11).await, 0);
    assert_eq!(step(&h, 2026, 11, 27, 23).await, 0);
    assert_eq!(step(&h, 2026, 11, 28, 7).await, 0, "before the hour");
    assert_eq!(step(&h, 2026, 11, 28, 8).await, 1);
    assert_eq!(step(&h, 2026, 11, 28, 9).await, 0);
    h.drain().await;
    assert!(
        h.last(&secretary)
            .text
            .unwrap()
            .contains("Báo cáo chờ duyệt quá 7 ngày (1)")
    );
}

#[tokio::test]
async fn paid_broadcasts_when_configured_carry_the_flag_on_reminders_only() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let silent = vi_user(300, "An");
    h.cell_with_member(&secretary, &silent).await;
    h.start_sender(SenderConfig {
        paid_rate: Some(100.0),
        ..fast()
    })
    .await;
    h.set_local(2026, 11, 25, 8, 0);
    let tick = h.tick().await.month.expect("queued at 08:00");
    assert_eq!((tick.reminders, tick.digests), (1, 1));
    h.drain().await;
    let paid = |chat: i64| -> Vec<Option<bool>> {
        h.api
            .calls_of("sendMessage")
            .iter()
            .filter(|c| c.chat_id() == Some(chat))
            .map(|c| {
                c.params
                    .get("allow_paid_broadcast")
                    .and_then(|v| v.as_bool())
            })
            .collect()
    };
    // The member's reminder is a bulk row: paid.
    let member = paid(300);
    assert_eq!(member.last(), Some(&Some(true)), "{member:?}");
    assert_eq!(
        member.iter().filter(|p| p.is_some()).count(),
        1,
        "only the reminder: {member:?}"
    );
    // The secretary's digest (and every reply before) is not.
    assert!(paid(100).iter().all(Option::is_none), "{:?}", paid(100));
    assert!(
        texts_to(&h, 100)
            .last()
            .unwrap()
            .contains("Bản tin tháng 11/2026")
    );
}

/// A link hidden behind words (formatted in the app, or pasted from a web
/// page) keeps its address: written after the words, in the preview and in
/// what the members get.
#[tokio::test]
async fn an_announcement_keeps_the_address_of_a_link_behind_words() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.ask(&secretary, "/announce").await;
    let text = "Tài liệu học tập ở đây. Họp 19h.";
    let linked = "ở đây";
    let offset = text[..text.find(linked).unwrap()].encode_utf16().count();
    let replies = h
        .send_update(&secretary, |api| {
            api.text_with_entities(
                &secretary,
                text,
                serde_json::json!([{
                    "type": "text_link",
                    "offset": offset,
                    "length": linked.encode_utf16().count(),
                    "url": "https://example.org/tai-lieu.pdf"
                }]),
            )
        })
        .await;
    let preview = replies.last().unwrap().clone();
    let shown = preview.text.clone().unwrap();
    assert!(
        shown.contains("Tài liệu học tập ở đây (https://example.org/tai-lieu.pdf). Họp 19h."),
        "{shown}"
    );
    h.press(&secretary, &preview, "📨 Gửi").await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let got = h.api.sent(member.id).last().unwrap().text.clone().unwrap();
    assert!(got.contains("(https://example.org/tai-lieu.pdf)"), "{got}");
}

/// A secretary of two cells chooses the cell an announcement goes to (or
/// all of them); the choice is checked again at the press, and only the
/// chosen cell's members get it.
#[tokio::test]
async fn a_secretary_of_two_cells_chooses_where_an_announcement_goes() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let first = vi_user(300, "An");
        let second = en_user(301, "Mai");
        h.cell_with_member(&secretary, &first).await;
        let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let other = h.cell(ward, "Chi bộ khối 7").await;
        h.make_secretary(&secretary, other, "Trần Thị Bình").await;
        let choose = h.ask(&secretary, "/invite").await;
        let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 7").await;
        let code = deep_link_code(replies.last().unwrap());
        h.request_join(&second, &code, "Lê Thị Mai").await;
        let card = h.last(&secretary);
        let approve = if lang == Lang::En {
            "✅ Approve"
        } else {
            "✅ Duyệt"
        };
        h.press(&secretary, &card, approve).await;

        let choose = h.ask(&secretary, "/announce").await;
        assert!(
            says(choose.text.as_deref(), lang, "announce-choose-cell"),
            "{choose:?}"
        );
        assert_eq!(
            choose.button_texts(),
            [
                "Chi bộ khối 5".to_string(),
                "Chi bộ khối 7".to_string(),
                text_of(lang, "announce-all-cells")
            ]
        );
        // A cell that is not theirs, forged: refused.
        let (answer, _) = h.press_data(&secretary, choose.message_id, "ac:999").await;
        assert!(says(answer.params["text"].as_str(), lang, "not-allowed"));
        h.press(&secretary, &choose, "Chi bộ khối 7").await;
        let preview = h.ask(&secretary, "Họp chi bộ khối 7 tối thứ Sáu.").await;
        let shown = preview.text.clone().unwrap();
        assert!(
            shown.contains("Chi bộ khối 7") && !shown.contains("Chi bộ khối 5"),
            "{shown}"
        );
        let send = preview.button_texts()[0].clone();
        h.press(&secretary, &preview, &send).await;
        h.start_sender(default_sender()).await;
        h.drain().await;
        let got = |user: &TgUser| {
            h.api
                .sent(user.id)
                .iter()
                .filter(|s| s.text.as_deref().is_some_and(|t| t.contains("tối thứ Sáu")))
                .count()
        };
        assert_eq!((got(&first), got(&second)), (0, 1));
    }
}

/// A secretary who is also a member of the cell and whose own report waits
/// (for the deputy) is not told in the digest that it waits for a decision:
/// their /pending does not list it, and the digest's button would open an
/// empty list. The deputy's digest counts it.
#[tokio::test]
async fn the_digest_does_not_count_the_readers_own_waiting_report() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let deputy = en_user(200, "Dung");
    crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    sqlx::query(
        "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                  decided_at)
         VALUES ('own', 100, ?, 'Trần Thị Bình', 'approved', ?, ?)",
    )
    .bind(cell)
    .bind(default_now())
    .bind(default_now())
    .execute(&h.pool)
    .await
    .unwrap();
    let summary = h
        .report_until_summary(&secretary, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&secretary, &summary, "Gửi báo cáo").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE user_id = 100 AND status = 'pending'")
            .await,
        1
    );
    h.start_sender(fast()).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("queued at 08:00");
    h.drain().await;
    let digest = h.last(&secretary);
    let text = digest.text.clone().unwrap();
    assert!(
        text.contains("Chờ duyệt: 0 yêu cầu tham gia, 0 báo cáo"),
        "{text}"
    );
    assert!(digest.button_texts().is_empty(), "{digest:?}");
    let theirs = h.last(&deputy).text.unwrap_or_default();
    assert!(
        theirs.contains("Waiting for a decision") && theirs.contains("1 report"),
        "{theirs}"
    );
}

/// Two members of one cell with the same name, both silent: the
/// committee's digest tells them apart as /status does (the phone one gave,
/// the month the other was introduced). It named both alike ("Nguyễn Văn
/// An, Nguyễn Văn An"), leaving the secretary to guess who to call.
#[tokio::test]
async fn the_digest_tells_namesakes_of_a_cell_apart() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let first = vi_user(300, "An");
    h.cell_with_member(&secretary, &first).await;
    let second = vi_user(301, "An");
    h.join_approved(&secretary, &second, "Nguyễn Văn An").await;
    sqlx::query("UPDATE memberships SET introduced_on = '2026-05-01' WHERE user_id = 300")
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE memberships SET phone = '0912345678' WHERE user_id = 301")
        .execute(&h.pool)
        .await
        .unwrap();
    h.start_sender(fast()).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("queued at 08:00");
    h.drain().await;
    let digest = h.last(&secretary);
    let text = digest.text.clone().unwrap_or_default();
    assert!(
        text.contains(
            "Chưa có hoạt động trực tiếp trong tháng 11/2026 (2): \
             Nguyễn Văn An (giới thiệu về chi bộ tháng 05/2026), Nguyễn Văn An (SĐT 0912345678)"
        ),
        "{text}"
    );
    assert!(
        text.contains("Nguyễn Văn An (giới thiệu về chi bộ tháng 05/2026) (6 tháng)"),
        "{text}"
    );
    // The one named by their phone erases their data: the digest in the
    // secretary's chat no longer shows it (it kept showing it).
    let ask = h.ask(&second, "/forgetme").await;
    h.press(&second, &ask, "🗑 Xóa dữ liệu của tôi").await;
    h.drain().await;
    let text = h.current(&digest).text.unwrap_or_default();
    assert!(
        !text.contains("0912345678") && text.contains("Nguyễn Văn An (SĐT ***)"),
        "{text}"
    );
}

/// Two members of one cell with the same name, one of them exempt from
/// residence meetings: the digest names the other, silent, told apart as
/// /status tells namesakes of a cell apart (by the phone). It named them
/// bare ("Nguyễn Văn An"): the exempt one, in none of its lists, was left
/// out of the namesakes, and the secretary had two members of that name.
#[tokio::test]
async fn the_digest_tells_a_member_apart_from_an_exempt_namesake() {
    use lienhe::{
        cli::{Admin, MemberCommand},
        domain::membership::Exemption,
    };
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let first = vi_user(300, "An");
    h.cell_with_member(&secretary, &first).await;
    let second = vi_user(301, "An");
    h.join_approved(&secretary, &second, "Nguyễn Văn An").await;
    sqlx::query("UPDATE memberships SET phone = '0912345678' WHERE user_id = 300")
        .execute(&h.pool)
        .await
        .unwrap();
    let exempt = h.membership_of(301).await;
    h.admin(Admin::Member {
        command: MemberCommand::Exempt {
            member: exempt,
            reason: Some(Exemption::Barracks),
            clear: false,
        },
    })
    .await;
    h.start_sender(fast()).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("queued at 08:00");
    h.drain().await;
    let text = h.last(&secretary).text.unwrap_or_default();
    assert!(
        text.contains("Chi bộ khối 5 — 2 đảng viên (trong đó 1 đồng chí miễn sinh hoạt")
            && text.contains(
                "Chưa có hoạt động trực tiếp trong tháng 11/2026 (1): Nguyễn Văn An (SĐT 0912345678)"
            ),
        "{text}"
    );
}

/// A secretary of two large cells whose members have long names: the
/// digest lists fewer names of each rather than losing the second cell to
/// Telegram's length limit; every count stays.
#[tokio::test]
async fn a_long_digest_lists_fewer_names_and_keeps_every_cell() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let first = h.cell_with_member(&secretary, &member).await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(first)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let second = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, second, "Trần Thị Bình").await;
    insert_members(&h, first, None, 1000, 150, "approved").await;
    insert_members(&h, second, None, 2000, 150, "approved").await;
    // Sixty letters each.
    sqlx::query(
        "UPDATE memberships SET full_name = 'Nguyễn Thị Thanh Hương Giang Ngọc Bích Phương Thảo '
                                            || user_id
         WHERE user_id >= 1000",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    h.set_local(2026, 11, 25, 8, 0);
    let tick = h.tick().await.month.expect("queued at 08:00");
    assert_eq!(tick.digests, 1);
    let payload: String = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE chat_id = 100 AND broadcast_id IS NOT NULL",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    let text = serde_json::from_str::<serde_json::Value>(&payload).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.encode_utf16().count() <= 4000, "{}", text.len());
    assert!(!text.ends_with('…'), "not cut: {text}");
    for cell in [
        "Chi bộ khối 5 — 151 đảng viên",
        "Chi bộ khối 7 — 150 đảng viên",
    ] {
        assert!(text.contains(cell), "{cell} in {text}");
    }
    // Fewer names than the thirty a short digest lists, the others counted.
    assert!(text.contains("(150): "), "{text}");
    assert!(!text.contains("và 120 đồng chí khác"), "{text}");
    assert!(
        text.contains("và 140 đồng chí khác") || text.contains("và 147 đồng chí khác"),
        "{text}"
    );
}

/// The secretary presses Send on an announcement while the operator takes
/// the seat away: the press passed its first check, and the announcement's
/// own transaction judges it again. Nothing is queued to the cell, and the
/// message that would show the progress says the command is no longer
/// theirs.
#[tokio::test]
async fn an_announcement_sent_as_the_seat_is_lost_reaches_nobody() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    let data = preview
        .button_data(&text_of(Lang::Vi, "button-send"))
        .unwrap();
    // The operator's write holds the database while the press comes.
    let operator = h.hold_database().await;
    let update = h.api.callback(&secretary, preview.message_id, &data);
    h.waits_to_write(update).await;
    operator
        .revoke(
            secretary.id,
            lienhe::store::committee::Role::Secretary { cell },
        )
        .await;
    h.handled(update).await;
    h.drain().await;

    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'announcement'")
            .await,
        0
    );
    assert!(
        !h.api.sent(member.id).iter().any(|s| s
            .text
            .as_deref()
            .unwrap_or("")
            .contains("Họp chi bộ lúc 19h")),
        "the member got nothing"
    );
    let progress = h.current(&h.last(&secretary)).text.unwrap_or_default();
    assert!(
        says(Some(&progress), Lang::Vi, "secretaries-only"),
        "{progress}"
    );
}

/// A bot killed while an announcement's Send waits for the write lock, and
/// started again: the press, handled again, sends the announcement once
/// with one progress message, which ends on the final counts. Nothing is
/// sent before the announcement is stored (before: the progress message
/// went first, and the killed attempt's stayed at "0 of 1" for good).
#[tokio::test]
async fn an_announcement_killed_before_it_is_stored_leaves_one_progress_message() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    let data = preview
        .button_data(&text_of(Lang::Vi, "button-send"))
        .unwrap();
    let sent = h.api.sent(secretary.id).len();

    let operator = h.hold_database().await;
    let calls = h.api.call_count();
    let update = h.api.callback(&secretary, preview.message_id, &data);
    h.waits_to_write(update).await;
    // While the write waits, nothing has gone to the secretary.
    let early: Vec<_> = h
        .api
        .calls()
        .into_iter()
        .skip(calls)
        .filter(|c| c.method == "sendmessage" && c.chat_id() == Some(secretary.id))
        .collect();
    assert!(early.is_empty(), "sent before it was stored: {early:?}");
    h.kill_bot().await;
    operator.release().await;
    h.start_bot().await;
    h.handled(update).await;
    h.drain().await;

    let to_secretary = h.api.sent(secretary.id).split_off(sent);
    assert_eq!(to_secretary.len(), 1, "{to_secretary:?}");
    let progress = h.current(&to_secretary[0]).text.unwrap_or_default();
    assert!(
        progress.starts_with("Đã gửi xong thông báo: 1 đảng viên đã nhận"),
        "{progress}"
    );
    let copies = h
        .api
        .sent(member.id)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .unwrap_or("")
                .contains("Họp chi bộ lúc 19h")
        })
        .count();
    assert_eq!(copies, 1);
}

/// A secretary who sees a mistake in the preview and types the text again
/// gets a preview of the corrected text (not "choose with the buttons");
/// the older preview's Send sends nothing, the new one sends the corrected
/// text once.
#[tokio::test]
async fn a_text_typed_under_the_preview_replaces_the_announcement() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.ask(&secretary, "/announce").await;
        let old = h.ask(&secretary, "Chi bộ họp vào 19h thứ Bảy.").await;
        let new = h.ask(&secretary, "Chi bộ họp vào 19h30 thứ Bảy.").await;
        let shown = new.text.clone().unwrap_or_default();
        assert!(shown.contains("19h30"), "{shown}");
        let send = loader(lang).get("button-send");
        assert_eq!(new.button_texts().first(), Some(&send), "{new:?}");
        let (stale, _) = h.press(&secretary, &old, &send).await;
        assert_eq!(stale.params["show_alert"], true, "{stale:?}");
        h.press(&secretary, &new, &send).await;
        h.drain().await;
        let to_member: Vec<String> = h
            .api
            .sent(member.id)
            .into_iter()
            .filter_map(|s| s.text)
            .filter(|t| t.contains("Chi bộ họp"))
            .collect();
        assert_eq!(to_member.len(), 1, "{to_member:?}");
        assert!(to_member[0].contains("19h30"), "{to_member:?}");
    }
}

/// December's round, caught up on 2 January (the bot was down on the
/// 25th), names December where it said "this month" (read in January):
/// the members with no activity in December, and an officer's "nothing to
/// point out", in either language.
#[tokio::test]
async fn a_digest_caught_up_in_the_next_month_names_its_month() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = en_user(100, "Binh");
    h.make_secretary(&secretary, cell, "Tran Van Binh").await;
    let officer = en_user(200, "Officer");
    h.ask(&officer, &format!("/start {}", h.officer_code(2).await))
        .await;
    seed_members(&h, cell, 5000, 1).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("November's round");
    h.drain().await;
    h.set_local(2027, 1, 2, 9, 0);
    let tick = h.tick().await;
    assert_eq!(tick.earlier_months.digests, 1, "December's round caught up");
    h.drain().await;
    let text = h.last(&secretary).text.unwrap_or_default();
    assert!(text.starts_with("Digest for 12/2026"), "{text}");
    assert!(
        text.contains("No activity in person in 12/2026 (1): Đảng viên 5000")
            && !text.contains("this month"),
        "{text}"
    );
    let text = h.last(&officer).text.unwrap_or_default();
    assert!(
        text.starts_with("Digest for 12/2026")
            && text.contains("Nothing to point out for 12/2026.")
            && !text.contains("this month"),
        "{text}"
    );
}

/// A member who switched `/language` after the month's reminder and a
/// report's decision were queued to them, before they went out, got both
/// in the language they had left. They go in the one they have when sent.
#[tokio::test]
async fn a_reminder_and_a_decision_go_in_the_language_chosen_while_they_waited() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let reporter = vi_user(301, "Hoa");
    h.cell_with_member(&secretary, &member).await;
    h.join_approved(&secretary, &reporter, "Lê Thị Hoa").await;
    let summary = h
        .report_until_summary(&reporter, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&reporter, &summary, "Gửi báo cáo").await;
    h.drain().await;
    h.stop_sender().await;
    h.press(&secretary, &h.last(&secretary), "✅ Duyệt").await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("queued at 08:00");
    for user in [&member, &reporter] {
        let choose = h.ask(user, "/language").await;
        h.press(user, &choose, &text_of(Lang::Vi, "button-language-en"))
            .await;
    }
    h.start_sender(fast()).await;
    h.drain().await;
    let texts = texts_to(&h, member.id);
    let reminded = |lang| {
        texts
            .iter()
            .filter(|t| says(Some(t), lang, "reminder-member"))
            .count()
    };
    assert_eq!(
        (reminded(Lang::En), reminded(Lang::Vi)),
        (1, 0),
        "{texts:?}"
    );
    let decided = texts_to(&h, reporter.id);
    assert!(
        decided
            .iter()
            .any(|t| says(Some(t), Lang::En, "report-approved")),
        "{decided:?}"
    );
}

/// An announcement to a thousand members or more is previewed with the
/// count written as the progress message after it writes it ("1.200"),
/// not "1200", in the secretary's language.
#[tokio::test]
async fn a_large_announcements_preview_counts_as_the_language_writes_numbers() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 1000, 1200).await;
    for (language, said) in [("vi", "tới 1.200 đảng viên"), ("en", "to 1,200 members")] {
        sqlx::query("UPDATE users SET language = ? WHERE id = 100")
            .bind(language)
            .execute(&h.pool)
            .await
            .unwrap();
        h.ask(&secretary, "/announce").await;
        let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
        let text = preview.text.clone().unwrap_or_default();
        assert!(text.contains(said), "{text}");
        h.say(&secretary, "/cancel").await;
    }
}

/// A digest round cut short after its first batch of readers (the cell's
/// secretary), resumed at the next tick: the reader of a later batch (the
/// cell's deputy) still gets the report waiting over a week that the first
/// batch pointed out, as they would have without the crash. The resumed
/// round read only the reports never pointed out, and left it out.
#[tokio::test]
async fn a_digest_round_resumed_after_a_crash_still_lists_the_stale_reports_it_pointed_out() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        let deputy = match lang {
            Lang::Vi => vi_user(200, "Dũng"),
            Lang::En => en_user(200, "Dung"),
        };
        crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
        let summary = h
            .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
            .await;
        h.press(&member, &summary, "Gửi báo cáo").await;
        let report: i64 = sqlx::query_scalar("SELECT id FROM reports WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        // Sent ten days before the round.
        sqlx::query("UPDATE reports SET created_at = ? WHERE id = ?")
            .bind(default_now() - chrono::Duration::days(10))
            .bind(report)
            .execute(&h.pool)
            .await
            .unwrap();
        h.set_local(2026, 11, 25, 8, 0);
        // The crash: the round queued its first batch (the secretary's
        // digest) and pointed the report out with it.
        let now = h.app().now();
        sqlx::query(
            "INSERT INTO broadcasts (kind, period, created_at, queuing) VALUES ('reminder', '2026-11', ?, 0)",
        )
        .bind(now)
        .execute(&h.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO broadcasts (kind, period, created_at, queuing, queued_through)
             VALUES ('digest', '2026-11', ?, 1, 100)",
        )
        .bind(now)
        .execute(&h.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE reports SET stale_noted_at = ? WHERE id = ?")
            .bind(now)
            .bind(report)
            .execute(&h.pool)
            .await
            .unwrap();
        h.restart().await;
        h.set_local(2026, 11, 25, 8, 5);
        let tick = h.tick().await.month.expect("the rest of the round");
        assert_eq!(tick.digests, 1, "{lang:?}");
        h.start_sender(fast()).await;
        h.drain().await;
        let sent: Vec<String> = h
            .api
            .sent(deputy.id)
            .iter()
            .filter_map(|m| m.text.clone())
            .collect();
        let header = text_of(lang, "digest-header");
        let header = header.split('{').next().unwrap().trim();
        let digest = sent
            .iter()
            .find(|t| t.starts_with(header))
            .unwrap_or_else(|| panic!("{lang:?}: no digest in {sent:#?}"));
        let heading = text_of(lang, "digest-stale");
        let heading = heading.split('(').next().unwrap();
        assert!(
            digest.contains(heading) && digest.contains(&format!(" {report} ")),
            "{lang:?}: {digest}"
        );
    }
}

/// December's round caught up on 2 January: a member accepted on 1 January
/// but introduced in December is judged on December, so the digest names
/// them silent in December, and now the reminder reaches them too. The
/// reminder left them out (accepted after the month) while the digest named
/// them: one rule now decides who is a member in a month.
#[tokio::test]
async fn a_round_caught_up_late_reminds_the_member_introduced_in_its_month_whom_the_digest_names() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = match lang {
            Lang::Vi => vi_user(100, "Bình"),
            Lang::En => en_user(100, "Binh"),
        };
        h.make_secretary(&secretary, cell, "Tran Van Binh").await;
        h.start_sender(fast()).await;
        h.set_local(2026, 11, 25, 8, 0);
        h.tick().await.month.expect("November's round");
        h.drain().await;
        // Accepted on 1 January, introduced on 10 December.
        h.set_local(2027, 1, 1, 10, 0);
        let member = match lang {
            Lang::Vi => vi_user(300, "Cường"),
            Lang::En => en_user(300, "Cuong"),
        };
        h.join_approved(&secretary, &member, "Lê Văn Cường").await;
        sqlx::query("UPDATE memberships SET introduced_on = '2026-12-10' WHERE user_id = 300")
            .execute(&h.pool)
            .await
            .unwrap();
        h.drain().await;
        h.set_local(2027, 1, 2, 9, 0);
        let tick = h.tick().await;
        assert_eq!(tick.earlier_months.digests, 1, "{lang:?}");
        h.drain().await;
        let digest = h.last(&secretary).text.unwrap_or_default();
        let silent = text_of(lang, "digest-silent-month");
        let silent = silent.split('{').next().unwrap();
        assert!(
            digest.contains(&format!("{silent}12/2026 (1): Lê Văn Cường")),
            "{lang:?}: {digest}"
        );
        let reminder = h.last(&member).text;
        assert!(
            says(reminder.as_deref(), lang, "reminder-member")
                && reminder.as_deref().unwrap_or("").contains("12/2026"),
            "{lang:?}: {reminder:?}"
        );
        assert_eq!(tick.earlier_months.reminders, 1, "{lang:?}");
    }
}

/// Thirty members switch `/language` at the moment the secretary presses
/// Send, and one more while the announcement waits in the outbox: each of
/// the thirty-one gets it once, in the language they read when it goes
/// out, the others in theirs.
#[tokio::test]
async fn an_announcement_sent_while_members_switch_language_goes_in_theirs() {
    const FIRST: i64 = 7400;
    const MEMBERS: i64 = 40;
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let late = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &late).await;
    seed_members(&h, cell, FIRST, MEMBERS).await;
    let seeded = |id: i64| vi_user(id, &format!("dv{id}"));
    let switches = |id: i64| id % 4 != 0;
    let english = text_of(Lang::Vi, "button-language-en");
    let hr = &h;
    let choices = futures::future::join_all(
        (FIRST..FIRST + MEMBERS)
            .filter(|&id| switches(id))
            .map(|id| async move { (id, hr.ask_concurrently(&seeded(id), "/language").await) }),
    )
    .await;

    h.stop_sender().await;
    let hr = &h;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ tối thứ Bảy.").await;
    let send = text_of(Lang::Vi, "button-send");
    // The Send and the thirty switches, all pushed before the bot answers.
    let sent = async {
        let (answer, _) = hr.press_concurrently(&secretary, &preview, &send).await;
        answer
    };
    let switched = futures::future::join_all(choices.iter().map(|(id, choice)| {
        let english = english.clone();
        async move {
            let (answer, _) = hr.press_concurrently(&seeded(*id), choice, &english).await;
            answer
        }
    }));
    let (answer, _) = futures::join!(sent, switched);
    assert_ne!(answer.params["show_alert"], true, "{answer:?}");
    // One more while it waits.
    let choice = h.ask(&late, "/language").await;
    h.press(&late, &choice, &english).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND chat_id <> 100")
            .await,
        MEMBERS + 1
    );

    h.start_sender(fast()).await;
    h.drain().await;
    let mut readers: Vec<(i64, Lang)> = (FIRST..FIRST + MEMBERS)
        .map(|id| (id, if switches(id) { Lang::En } else { Lang::Vi }))
        .collect();
    readers.push((late.id, Lang::En));
    for (id, lang) in readers {
        let got: Vec<String> = texts_to(&h, id)
            .into_iter()
            .filter(|t| t.contains("Họp chi bộ tối thứ Bảy."))
            .collect();
        assert_eq!(got.len(), 1, "{id}: {got:?}");
        assert!(
            says(Some(&got[0]), lang, "announcement"),
            "{id} in {lang:?}: {got:?}"
        );
    }
}

/// Send pressed as a join is approved and a membership ends (committed
/// while the press waits for the write lock, after it counted the
/// members): the member approved gets the announcement once, in their
/// language, the one who left does not, and the counts are of who is a
/// member when it is stored.
async fn announced_as_members_come_and_go(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let leaver = user_in(lang, 301, "Mai");
    let joiner = user_in(lang, 302, "Hoa");
    h.cell_with_member(&secretary, &member).await;
    h.join_approved(&secretary, &leaver, "Lê Thị Mai").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&joiner, &code, "Phạm Thị Hoa").await;
    h.drain().await;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ tối thứ Bảy.").await;
    assert!(
        preview.text.as_deref().unwrap().contains(match lang {
            Lang::Vi => "2 đảng viên",
            Lang::En => "2 members",
        }),
        "{preview:?}"
    );
    let data = preview.button_data(&text_of(lang, "button-send")).unwrap();

    // The deputy's approval and the end of a membership hold the database
    // while the press comes.
    let mut held = h.pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *held)
        .await
        .unwrap();
    let update = h.api.callback(&secretary, preview.message_id, &data);
    h.waits_to_write(update).await;
    for (user, status) in [(joiner.id, "approved"), (leaver.id, "left")] {
        sqlx::query("UPDATE memberships SET status = ?, decided_at = ? WHERE user_id = ?")
            .bind(status)
            .bind(h.app().now())
            .bind(user)
            .execute(&mut *held)
            .await
            .unwrap();
    }
    sqlx::query("COMMIT").execute(&mut *held).await.unwrap();
    drop(held);
    h.handled(update).await;
    h.drain().await;

    let announced = |chat: i64| -> Vec<String> {
        texts_to(&h, chat)
            .into_iter()
            .filter(|t| t.contains("Họp chi bộ tối thứ Bảy."))
            .filter(|t| says(Some(t), lang, "announcement"))
            .collect()
    };
    assert_eq!(
        announced(member.id).len(),
        1,
        "{:?}",
        texts_to(&h, member.id)
    );
    assert_eq!(
        announced(joiner.id).len(),
        1,
        "{:?}",
        texts_to(&h, joiner.id)
    );
    assert_eq!(
        announced(leaver.id).len(),
        0,
        "{:?}",
        texts_to(&h, leaver.id)
    );
    let progress = h.current(&h.last(&secretary)).text.unwrap_or_default();
    assert!(
        progress.contains(match lang {
            Lang::Vi => "2 đảng viên đã nhận, 0 không liên lạc được, 0 lỗi (tổng số 2)",
            Lang::En => "2 members received it, 0 could not be reached, 0 failed (of 2)",
        }),
        "{progress}"
    );
}

#[tokio::test]
async fn an_announcement_sent_as_members_come_and_go_reaches_who_is_a_member() {
    announced_as_members_come_and_go(Lang::Vi).await;
}

#[tokio::test]
async fn an_announcement_sent_as_members_come_and_go_reaches_who_is_a_member_in_english() {
    announced_as_members_come_and_go(Lang::En).await;
}

/// An announcement's Send committed just before a kill, the secretary's
/// progress message not yet sent: after the restart, the press served
/// again is skipped as handled, and the progress message comes all the
/// same (queued with the announcement), once, ending on the final counts;
/// each member gets one copy.
async fn announce_killed_before_its_progress(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    let data = preview.button_data(&text_of(lang, "button-send")).unwrap();
    let sent = h.api.sent(secretary.id).len();
    let held = h.api.hold_next("sendMessage", secretary.id);
    let update = h.api.callback(&secretary, preview.message_id, &data);
    // Killed there: the announcement is stored, its progress not sent.
    h.killed_at_and_served_again(held, "the progress message is on its way", update)
        .await;
    h.drain().await;

    let to_secretary = h.api.sent(secretary.id).split_off(sent);
    assert_eq!(to_secretary.len(), 1, "{to_secretary:?}");
    let progress = h.current(&to_secretary[0]).text.unwrap_or_default();
    let done = text_of(lang, "announce-done");
    let done = done.split('{').next().unwrap();
    assert!(progress.starts_with(done), "{progress}");
    let copies = h
        .api
        .sent(member.id)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .unwrap_or("")
                .contains("Họp chi bộ lúc 19h")
        })
        .count();
    assert_eq!(copies, 1);
    assert_eq!(h.count("SELECT COUNT(*) FROM broadcasts").await, 1);
}

#[tokio::test]
async fn an_announcement_killed_before_its_progress_message_shows_it_once() {
    announce_killed_before_its_progress(vi_user(100, "Bình")).await;
}

#[tokio::test]
async fn an_announcement_killed_before_its_progress_message_shows_it_once_in_english() {
    announce_killed_before_its_progress(en_user(100, "Binh")).await;
}

/// A secretary of six cells, each named at its longest (120 characters,
/// of letters Telegram counts twice), writes an announcement at its
/// longest (3,000 units) to all of them: the preview shows it whole, the
/// cells' names shortened where they and the text would not fit one
/// message (they were listed whole when chosen).
async fn announcement_to_many_long_named_cells(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    for i in 0..5 {
        let name = format!("Chi bộ {i} {}", "𠀄".repeat(111));
        assert_eq!(name.chars().count(), 120);
        let cell = h.cell(ward, &name).await;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        seed_members(&h, cell, 1000 + i, 1).await;
    }
    let choose = h.ask(&secretary, "/announce").await;
    h.press(&secretary, &choose, &text_of(lang, "announce-all-cells"))
        .await;
    let chosen = h.current(&choose).text.unwrap();
    assert!(chosen.contains(&format!("Chi bộ 4 {}", "𠀄".repeat(111))));
    let text = format!("<b>&amp;</b> *x* _y_ `z` {}", "🎉".repeat(1486));
    assert_eq!(text.encode_utf16().count(), 2997);
    let preview = h.ask(&secretary, &text).await;
    let shown = preview.text.clone().unwrap();
    assert!(says(Some(&shown), lang, "announce-preview"), "{shown}");
    assert!(shown.ends_with(&text), "the announcement whole: {shown}");
    assert!(shown.contains("Chi bộ khối 5"), "{shown}");
    assert!(shown.encode_utf16().count() <= 4096);
    // Sent, each member's copy whole.
    let send = preview.button_texts()[0].clone();
    h.press(&secretary, &preview, &send).await;
    h.drain().await;
    assert!(
        h.api
            .sent(member.id)
            .iter()
            .any(|s| s.text.as_deref().is_some_and(|t| t.ends_with(&text)))
    );
}

#[tokio::test]
async fn an_announcement_to_many_long_named_cells_is_previewed_whole() {
    announcement_to_many_long_named_cells(Lang::Vi).await;
}

#[tokio::test]
async fn an_announcement_to_many_long_named_cells_is_previewed_whole_in_english() {
    announcement_to_many_long_named_cells(Lang::En).await;
}

/// A secretary of two cells, each named at its longest (120 characters),
/// with twelve reports each pending over a week by members named at their
/// longest (100 characters), all of letters Telegram counts twice: the
/// note pointing them out was cut at the end, the second cell's reports
/// lost unsaid. It names each cell and as many reports of each as fit,
/// and counts the others.
async fn stale_note_of_the_longest_names(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let first = h.cell_setup().await;
    h.make_secretary(&secretary, first, "Trần Thị Bình").await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(first)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let second = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, second, "Trần Thị Bình").await;
    let mut cells = Vec::new();
    for (n, cell) in [first, second].into_iter().enumerate() {
        let name = format!("Chi bộ {n}-{}", "𠀂".repeat(111));
        assert_eq!(name.chars().count(), 120);
        sqlx::query("UPDATE cells SET name = ? WHERE id = ?")
            .bind(&name)
            .bind(cell)
            .execute(&h.pool)
            .await
            .unwrap();
        cells.push(name);
        let from = 300 + 100 * n as i64;
        insert_members(&h, cell, None, from, 12, "approved").await;
        for id in from..from + 12 {
            let member = format!("Nguyễn Văn {}", "𠀂".repeat(89));
            sqlx::query("UPDATE memberships SET full_name = ? WHERE user_id = ?")
                .bind(&member)
                .bind(id)
                .execute(&h.pool)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id,
                                      activity_date, description, status, created_at)
                 VALUES (?, (SELECT id FROM memberships WHERE user_id = ?), ?, ?,
                         (SELECT id FROM activity_kinds WHERE code = 'other'),
                         '2026-11-18', 'Trồng cây', 'pending', ?)",
            )
            .bind(format!("stale-{id}"))
            .bind(id)
            .bind(id)
            .bind(cell)
            .bind(default_now())
            .execute(&h.pool)
            .await
            .unwrap();
        }
    }
    // The month's round (the reports not stale yet) went out.
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await;
    h.drain().await;
    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 1);
    h.drain().await;
    let notes = digests_to(&h, 100, lang, "digest-stale");
    let [note] = notes.as_slice() else {
        panic!("{notes:?}")
    };
    assert!(note.encode_utf16().count() <= 4096);
    let more = |count: usize| {
        lienhe::i18n::loader(lang).get_args(
            "digest-more-reports",
            std::collections::HashMap::from([("count", count.to_string())]),
        )
    };
    for cell in &cells {
        let at = note
            .find(cell.as_str())
            .unwrap_or_else(|| panic!("{cell} not named: {note}"));
        // Each cell's listed reports and the others counted make twelve.
        let part = &note[at..];
        let part = part[cell.len()..]
            .split("Chi bộ ")
            .next()
            .unwrap_or_default();
        let listed = part.matches("Nguyễn Văn").count();
        assert!(listed >= 1, "{part}");
        assert!(part.contains(&more(12 - listed)), "{listed} listed: {part}");
    }
    let refused = h.api.refused();
    assert!(refused.is_empty(), "{refused:#?}");
}

#[tokio::test]
async fn a_stale_note_of_two_cells_of_the_longest_names_names_both_and_counts_the_rest() {
    stale_note_of_the_longest_names(Lang::Vi).await;
}

#[tokio::test]
async fn a_stale_note_of_two_cells_of_the_longest_names_in_english() {
    stale_note_of_the_longest_names(Lang::En).await;
}

/// In the review season the committee's digest names the members whose
/// comment sheet of the year under review is not signed yet, and the last
/// day it can be: the officers' digest told the workplace of them, while
/// the cell, which signs them, was told nothing. October's digest names
/// none (the season opens on 1 November), November's and February's the
/// sheets of 2026 not signed (a draft, and one not begun; not the signed
/// one, nor the secretary's own, which another signs), and March's caught
/// up on 2 April none (the season closed on 31 March).
async fn sheets_still_to_sign_in_the_digest(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = match lang {
        Lang::Vi => vi_user(100, "Bình"),
        Lang::En => en_user(100, "Binh"),
    };
    h.make_secretary(&secretary, cell, "Trần Văn Bình").await;
    seed_members(&h, cell, 5000, 3).await;
    // The secretary is a member of the cell too, their sheet not begun.
    sqlx::query(
        "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at, decided_at)
         VALUES ('seed-100', 100, ?, 'Trần Văn Bình', 'approved', '2026-05-01T00:00:00Z',
                 '2026-05-01T00:00:00Z')",
    )
    .bind(cell)
    .execute(&h.pool)
    .await
    .unwrap();
    for (user, state) in [(5001, "draft"), (5002, "signed")] {
        sqlx::query(
            "INSERT INTO sheets (membership_id, year, state, criteria, created_at, updated_at)
             SELECT id, 2026, ?, '[]', '2026-11-10T00:00:00Z', '2026-11-10T00:00:00Z'
             FROM memberships WHERE user_id = ?",
        )
        .bind(state)
        .bind(user)
        .execute(&h.pool)
        .await
        .unwrap();
    }
    let line = match lang {
        Lang::Vi => {
            "• Phiếu nhận xét năm 2026 chưa ký (2): Đảng viên 5000, Đảng viên 5001. \
             Đề nghị đồng chí hoàn thành bằng lệnh /sheets, chậm nhất ngày 31/03/2027."
        }
        Lang::En => {
            "• Comment sheets of 2026 not signed yet (2): Đảng viên 5000, Đảng viên 5001. \
             Please complete them with /sheets by 31/03/2027."
        }
    };
    let digest = async |month: &str| {
        h.drain().await;
        let text = texts_to(&h, secretary.id)
            .into_iter()
            .rfind(|t| says(Some(t), lang, "digest-header"))
            .unwrap_or_default();
        assert!(text.contains(month), "{month}: {text}");
        text
    };
    h.set_local(2026, 10, 25, 8, 0);
    h.tick().await.month.expect("October's round");
    let october = digest("10/2026").await;
    assert!(!october.contains("/sheets"), "{october}");
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("November's round");
    let november = digest("11/2026").await;
    assert!(november.contains(line), "{november}");
    h.set_local(2027, 2, 25, 8, 0);
    h.tick().await.month.expect("February's round");
    let february = digest("02/2027").await;
    assert!(february.contains(line), "{february}");
    // Down from before March's round until 2 April: March's is caught
    // up, after the season closed.
    h.set_local(2027, 4, 2, 9, 0);
    let t = h.tick().await;
    assert_eq!(t.earlier_months.digests, 1, "{t:?}");
    let march = digest("03/2027").await;
    assert!(!march.contains("/sheets"), "{march}");
}

#[tokio::test]
async fn the_committees_digest_names_the_sheets_still_to_sign_in_the_review_season() {
    sheets_still_to_sign_in_the_digest(Lang::Vi).await;
}

#[tokio::test]
async fn the_committees_digest_names_the_sheets_still_to_sign_in_the_review_season_in_english() {
    sheets_still_to_sign_in_the_digest(Lang::En).await;
}

/// A member whose comment sheet of 2026 was signed on 20 November, silent
/// all year, was warned in November's reminder that "at year end" their
/// contact "may be commented as not regular", and named at risk of that
/// comment in the committee's digest, though the comment was written. Now
/// only the member whose sheet is not signed is warned and named; both are
/// still reminded of the month.
async fn a_signed_sheet_ends_the_years_warning(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = match lang {
        Lang::Vi => vi_user(100, "Bình"),
        Lang::En => en_user(100, "Binh"),
    };
    h.make_secretary(&secretary, cell, "Trần Văn Bình").await;
    seed_members(&h, cell, 5000, 2).await;
    sqlx::query("UPDATE users SET language = ? WHERE id IN (5000, 5001)")
        .bind(match lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        })
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO sheets (membership_id, year, state, criteria, created_at, updated_at)
         SELECT id, 2026, 'signed', '[]', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z'
         FROM memberships WHERE user_id = 5001",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    h.set_local(2026, 11, 25, 8, 0);
    let queued = h.tick().await.month.expect("November's round");
    assert_eq!(queued.reminders, 2, "{queued:?}");
    h.drain().await;
    let reminder = |chat: i64| {
        let texts: Vec<String> = texts_to(&h, chat)
            .into_iter()
            .filter(|t| says(Some(t), lang, "reminder-member"))
            .collect();
        assert_eq!(texts.len(), 1, "{chat}: {texts:#?}");
        texts[0].clone()
    };
    let unsigned = reminder(5000);
    assert!(unsigned.contains("⚠️"), "{unsigned}");
    let signed = reminder(5001);
    assert!(!signed.contains("⚠️"), "{signed}");
    let digest = h.last(&secretary).text.unwrap_or_default();
    let at_risk = match lang {
        Lang::Vi => "(dưới 2 tháng có hoạt động) (1): Đảng viên 5000\n",
        Lang::En => "(fewer than 2 months with activity) (1): Đảng viên 5000\n",
    };
    assert!(format!("{digest}\n").contains(at_risk), "{digest}");
}

#[tokio::test]
async fn a_member_whose_sheet_is_signed_is_not_warned_of_the_years_comment() {
    a_signed_sheet_ends_the_years_warning(Lang::Vi).await;
}

#[tokio::test]
async fn a_member_whose_sheet_is_signed_is_not_warned_of_the_years_comment_in_english() {
    a_signed_sheet_ends_the_years_warning(Lang::En).await;
}

/// An announcement previewed "to 4 members" and queued while Telegram
/// could not be reached; two of them leave the cell before their copies
/// go out. The final count said "2 received it … (of 2)", as if it had
/// been sent to two: the secretary could not tell two never got it. It
/// now counts the four it was sent to and says two were not sent because
/// they left meanwhile, in the secretary's language.
async fn an_announcements_final_count_says_who_left_meanwhile(lang: Lang) {
    let mut h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let leaver = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &leaver).await;
    seed_members(&h, cell, 7400, 3).await;
    h.stop_sender().await;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ tối thứ Bảy.").await;
    assert!(
        preview.text.as_deref().unwrap().contains(match lang {
            Lang::Vi => "4 đảng viên",
            Lang::En => "4 members",
        }),
        "{preview:?}"
    );
    h.press(&secretary, &preview, &text_of(lang, "button-send"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'queued'")
            .await,
        4
    );
    // Two memberships end while the announcement waits.
    for user in [leaver.id, 7400] {
        h.end_quietly(user, cell, secretary.id).await;
    }
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert_eq!((announced(&h, 7401), announced(&h, 7402)), (1, 1));
    assert_eq!(announced(&h, leaver.id), 0);
    let shown: Vec<String> = h
        .api
        .sent(secretary.id)
        .iter()
        .map(|s| h.current(s).text.unwrap_or_default())
        .collect();
    let done = shown
        .iter()
        .find(|t| says(Some(t), lang, "announce-done-left"))
        .unwrap_or_else(|| panic!("{shown:#?}"));
    assert!(
        done.contains(match lang {
            Lang::Vi => "2 đảng viên đã nhận, 0 không liên lạc được, 0 lỗi, 2 không được gửi",
            Lang::En => "2 members received it, 0 could not be reached, 0 failed, 2 not sent",
        }),
        "{done}"
    );
    assert!(
        done.contains(match lang {
            Lang::Vi => "(tổng số 4)",
            Lang::En => "(of 4)",
        }),
        "{done}"
    );
}

#[tokio::test]
async fn an_announcements_final_count_says_who_left_meanwhile_vi() {
    an_announcements_final_count_says_who_left_meanwhile(Lang::Vi).await;
}

#[tokio::test]
async fn an_announcements_final_count_says_who_left_meanwhile_en() {
    an_announcements_final_count_says_who_left_meanwhile(Lang::En).await;
}

/// A new secretary's /announce before any member is confirmed is answered
/// at once that the cell has nobody to receive it yet and how members join
/// (/invite), not asked for a text that would then be refused; nothing is
/// stored and a text sent next is no announcement. Once a member is
/// confirmed, /announce asks for the text.
async fn announce_before_any_member(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let replies = h.say(&secretary, "/announce").await;
    assert_eq!(replies.len(), 1, "{lang:?}: {replies:?}");
    let answer = replies[0].text.clone().unwrap();
    assert!(
        says(Some(&answer), lang, "announce-no-members-yet"),
        "{answer}"
    );
    assert!(!says(Some(&answer), lang, "ask-announcement"), "{answer}");
    let after = h.ask(&secretary, "Họp chi bộ tối thứ Bảy").await;
    assert!(
        !says(after.text.as_deref(), lang, "announce-no-members"),
        "{after:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM broadcasts").await, 0);

    let member = user_in(lang, 300, "An");
    h.join_approved(&secretary, &member, "Nguyễn Văn An").await;
    let asked = h.ask(&secretary, "/announce").await;
    assert!(
        says(asked.text.as_deref(), lang, "ask-announcement"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn announce_before_any_member_says_so_at_once_in_vietnamese() {
    announce_before_any_member(Lang::Vi).await;
}

#[tokio::test]
async fn announce_before_any_member_says_so_at_once_in_english() {
    announce_before_any_member(Lang::En).await;
}

/// A secretary of two cells, one with no confirmed member, chooses that
/// one for /announce: before, they were asked for the text and refused
/// after writing it. Now the press says at once that the cell has nobody
/// to receive it yet and how members join (/invite); the choice stays open
/// and the other cell, chosen next, asks for the text.
async fn announce_to_a_cell_with_no_member(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = crate::committee::ward_of(&h, cell).await;
    let other = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, other, "Trần Thị Bình").await;

    let choose = h.ask(&secretary, "/announce").await;
    assert!(
        says(choose.text.as_deref(), lang, "announce-choose-cell"),
        "{choose:?}"
    );
    let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 7").await;
    let texts: Vec<String> = replies.iter().filter_map(|r| r.text.clone()).collect();
    assert!(
        texts
            .iter()
            .any(|t| says(Some(t), lang, "announce-cell-no-members-yet")
                && t.contains("Chi bộ khối 7")),
        "{texts:?}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| says(Some(t), lang, "ask-announcement")),
        "{texts:?}"
    );
    // The choice is still open.
    assert!(h.current(&choose).reply_markup.is_some(), "{choose:?}");
    let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 5").await;
    assert!(
        replies
            .iter()
            .any(|r| says(r.text.as_deref(), lang, "ask-announcement")),
        "{replies:?}"
    );
}

#[tokio::test]
async fn announce_to_a_cell_with_no_member_says_so_at_the_press_vi() {
    announce_to_a_cell_with_no_member(Lang::Vi).await;
}

#[tokio::test]
async fn announce_to_a_cell_with_no_member_says_so_at_the_press_en() {
    announce_to_a_cell_with_no_member(Lang::En).await;
}
