//! Issue 9: the monthly round is queued in short transactions, a batch of
//! cells at a time, and a round cut short resumes where it stopped.

use crate::common::*;

async fn reminded(h: &Harness) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT o.chat_id FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id
         WHERE b.kind = 'reminder' ORDER BY o.chat_id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap()
}

/// Three cells of two seeded members each (and An in the first), and
/// October's round stopped (a crash) after queuing the first two cells.
async fn october_cut_short(h: &mut Harness) {
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let first = h.cell_with_member(&secretary, &member).await;
    h.stop_sender().await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(first)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let second = h.cell(ward, "Chi bộ khối 6").await;
    let third = h.cell(ward, "Chi bộ khối 7").await;
    seed_members(h, first, 6000, 2).await;
    seed_members(h, second, 7000, 2).await;
    seed_members(h, third, 8000, 2).await;

    // A round that stopped (a crash) after queuing the first two cells:
    // their reminders are in the outbox, the round says how far it got.
    let now = default_now();
    let round: i64 = sqlx::query_scalar(
        "INSERT INTO broadcasts (kind, period, created_at, queuing, queued_through)
         VALUES ('reminder', '2026-10', ?, 1, ?) RETURNING id",
    )
    .bind(now)
    .bind(second)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    for chat in [6000, 6001, 7000, 7001] {
        sqlx::query(
            "INSERT INTO outbox (broadcast_id, chat_id, payload, status, priority, not_before)
             VALUES (?, ?, '{\"text\":\"x\"}', 'queued', 2, ?)",
        )
        .bind(round)
        .bind(chat)
        .bind(now)
        .execute(&h.pool)
        .await
        .unwrap();
    }
    // The sender sent them all meanwhile: the round is not finished while
    // it is still being queued.
    sqlx::query("UPDATE outbox SET status = 'sent', sent_at = ? WHERE broadcast_id = ?")
        .bind(now)
        .bind(round)
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(
        !lienhe::store::broadcasts::finish_if_done(&h.pool, round, now)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_round_cut_short_resumes_after_the_last_cell_it_queued_and_never_queues_twice() {
    let mut h = Harness::start().await;
    october_cut_short(&mut h).await;

    // Run again: only the third cell is left (An joined in November).
    let out = lienhe::cli::remind(&h.app(), october()).await.unwrap();
    assert!(
        out.contains(
            "Queued 2 member reminders, 1 secretary digests and 0 officer digests for 2026-10"
        ),
        "{out}"
    );
    assert_eq!(reminded(&h).await, [6000, 6001, 7000, 7001, 8000, 8001]);
    // Digests go before reminders: priority 1 and 2 (what a person waits
    // for, a decision or a document, is 0).
    let priorities: Vec<(String, i64)> = sqlx::query_as(
        "SELECT DISTINCT b.kind, o.priority FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id
         WHERE o.chat_id IN (8000, 8001, 100) ORDER BY o.priority",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        priorities,
        [("digest".to_string(), 1), ("reminder".to_string(), 2)]
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE queuing = 1")
            .await,
        0,
        "the round is complete"
    );
    // Complete now: asked again, nothing more.
    let again = lienhe::cli::remind(&h.app(), october()).await.unwrap();
    assert_eq!(again.lines().last().unwrap(), "0");
    assert_eq!(reminded(&h).await.len(), 6);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id WHERE b.kind = 'digest'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_daily_pruning_runs_once_a_day_and_keeps_what_is_recent() {
    let mut h = Harness::start().await;
    // The queued row stays queued: nothing sends it in this test.
    h.stop_sender().await;
    let now = default_now();
    for (days, status) in [(100, "sent"), (100, "queued"), (10, "sent")] {
        let at = now - chrono::Duration::days(days);
        sqlx::query(
            "INSERT INTO outbox (chat_id, payload, status, priority, not_before, sent_at)
             VALUES (1, '{}', ?, 0, ?, ?)",
        )
        .bind(status)
        .bind(at)
        .bind((status == "sent").then_some(at))
        .execute(&h.pool)
        .await
        .unwrap();
    }
    h.set_local(2026, 11, 27, 9, 30);
    assert_eq!(h.tick().await.pruned.outbox, 1);
    assert_eq!(h.count("SELECT COUNT(*) FROM outbox").await, 2);
    // Later the same day (or after a restart that day): not again.
    h.set_local(2026, 11, 27, 15, 0);
    assert_eq!(h.tick().await.pruned.outbox, 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM housekeeping WHERE job = 'prune'")
            .await,
        1
    );
}

fn october() -> lienhe::domain::schedule::Period {
    lienhe::domain::schedule::Period::parse("2026-10").unwrap()
}

/// The round was cut short in October and the bot came back in November:
/// the scheduler's first look finishes it (it only ever resumed the
/// current month's, so October's last cell was never reminded).
#[tokio::test]
async fn a_round_cut_short_in_an_earlier_month_is_finished_when_the_bot_is_back() {
    let mut h = Harness::start().await;
    october_cut_short(&mut h).await;
    // Before November's own round is due (the 25th).
    h.set_local(2026, 11, 21, 9, 0);
    let tick = h.tick().await;
    assert_eq!(tick.earlier_months.reminders, 2);
    assert_eq!(tick.month, None);
    assert_eq!(reminded(&h).await, [6000, 6001, 7000, 7001, 8000, 8001]);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE queuing = 1")
            .await,
        0
    );
    // Finished: the next look (or a restart) queues nothing of it again.
    assert_eq!(h.tick().await.earlier_months.total(), 0);
    h.restart().await;
    assert_eq!(h.tick().await.earlier_months.total(), 0);
    assert_eq!(reminded(&h).await.len(), 6);
}

/// The round was cut short in October and the bot came back only after
/// November's round fell due: October's is closed where it stopped (not
/// sent weeks late under its month's name), November's goes out.
#[tokio::test]
async fn a_round_cut_short_and_overtaken_by_a_later_one_is_closed_where_it_stopped() {
    let mut h = Harness::start().await;
    october_cut_short(&mut h).await;
    h.set_local(2026, 11, 26, 9, 0);
    let tick = h.tick().await;
    assert_eq!(tick.earlier_months.total(), 0);
    assert!(tick.month.is_some_and(|q| q.reminders > 0), "{tick:?}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE queuing = 1")
            .await,
        0
    );
    // October's last cell was not reminded of October.
    let october_reminded: Vec<i64> = sqlx::query_scalar(
        "SELECT o.chat_id FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id
         WHERE b.kind = 'reminder' AND b.period = '2026-10' ORDER BY o.chat_id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(october_reminded, [6000, 6001, 7000, 7001]);
    h.restart().await;
    assert_eq!(h.tick().await.earlier_months.total(), 0);
}

/// The bot stopped from before November's round fell due until December:
/// November's round (reminders to who has not reported, and the digests)
/// goes out at its first look in December, before December's is due, and
/// once only. A deployment newer than the month before (no round before
/// it) is not taken for one that missed it.
#[tokio::test]
async fn a_round_missed_while_the_bot_was_stopped_goes_out_when_it_is_back() {
    let mut h = Harness::start().await;
    let ward = h.ward("P").await;
    let cell = h.cell(ward, "Chi bộ C").await;
    seed_members(&h, cell, 7000, 2).await;
    h.set_local(2026, 10, 3, 9, 0);
    assert_eq!(h.tick().await.earlier_months.total(), 0);
    h.set_local(2026, 10, 25, 9, 0);
    assert!(h.tick().await.month.is_some_and(|q| q.reminders == 2));
    h.restart().await;
    h.set_local(2026, 12, 2, 9, 0);
    let tick = h.tick().await;
    assert_eq!(tick.earlier_months.reminders, 2, "{tick:?}");
    assert_eq!(tick.month, None);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM broadcasts WHERE kind = 'reminder' AND period = '2026-11'")
            .await,
        1
    );
    assert_eq!(h.tick().await.earlier_months.total(), 0);
    h.restart().await;
    assert_eq!(h.tick().await.earlier_months.total(), 0);
}
