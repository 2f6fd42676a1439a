//! Daily housekeeping: sent outbox rows, settled decision cards, dialogue
//! states nobody touched for 90 days and old update ids are deleted once
//! they are old, in small batches (each its own short transaction, so the
//! bot is never kept waiting).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::Pool;

/// Rows deleted per transaction.
pub const BATCH: i64 = 2_000;

/// Outbox rows kept this long after they were sent or given up, by default
/// (`LIENHE_RETENTION_DAYS`).
pub const DEFAULT_KEEP_DAYS: u32 = 90;

/// The longest retention accepted (a hundred years: "keep for ever").
pub const MAX_KEEP_DAYS: u32 = 36_500;

/// A dialogue state untouched this long is forgotten (the user starts again).
pub const DIALOGUE_DAYS: i64 = 90;

/// What one pruning deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub outbox: u64,
    pub decision_messages: u64,
    pub dialogues: u64,
    pub updates: u64,
    /// Roster previews never imported nor cancelled (names and phones).
    pub roster_uploads: u64,
    /// Registers of meetings shown in chats, for meetings that started
    /// (and were closed, if they were) longer ago than the retention.
    pub meeting_registers: u64,
    /// What messages the outbox edits were last seen to show, recorded
    /// longer ago than the retention.
    pub edited_messages: u64,
}

/// The query choosing one batch of old outbox rows: sent, unreachable or
/// failed, older than the bound (served by the partial index `outbox_done`).
macro_rules! prune_outbox_query {
    () => {
        "SELECT id FROM outbox
         WHERE status <> 'queued' AND COALESCE(sent_at, not_before) < ?
         LIMIT ?"
    };
}

/// Deletes old outbox rows ([`prune_outbox_query`]) in batches, each in
/// its own short transaction that first adds a broadcast's rows to its
/// counts (`pruned_*`): a round's figures outlive its rows.
async fn prune_outbox(pool: &Pool, before: DateTime<Utc>) -> sqlx::Result<u64> {
    let mut total = 0;
    loop {
        let mut tx = super::tx::begin(pool).await?;
        let ids: Vec<i64> = sqlx::query_scalar(prune_outbox_query!())
            .bind(before)
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
        let batch = serde_json::to_string(&ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        // One pass over the batch, counted per broadcast.
        sqlx::query(
            "UPDATE broadcasts SET
                 pruned_sent = pruned_sent + c.sent,
                 pruned_unreachable = pruned_unreachable + c.unreachable,
                 pruned_failed = pruned_failed + c.failed
             FROM (SELECT broadcast_id, SUM(status = 'sent') AS sent,
                          SUM(status = 'unreachable') AS unreachable,
                          SUM(status = 'failed') AS failed
                   FROM outbox WHERE id IN (SELECT value FROM json_each(?1))
                     AND broadcast_id IS NOT NULL
                   GROUP BY broadcast_id) AS c
             WHERE broadcasts.id = c.broadcast_id",
        )
        .bind(&batch)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))")
            .bind(&batch)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        total += done.rows_affected();
        if ids.len() < BATCH as usize {
            return Ok(total);
        }
        tokio::task::yield_now().await;
    }
}

/// The query deleting one batch of old settled decision cards.
macro_rules! prune_cards_query {
    () => {
        "DELETE FROM decision_messages WHERE rowid IN (
             SELECT rowid FROM decision_messages
             WHERE settled_at IS NOT NULL AND settled_at < ?
             LIMIT ?)"
    };
}

/// The query deleting one batch of roster previews left waiting since
/// the bound (a day: [`super::roster::UPLOAD_TTL_HOURS`]).
macro_rules! prune_rosters_query {
    () => {
        "DELETE FROM roster_uploads WHERE id IN (
             SELECT id FROM roster_uploads WHERE status = 'pending' AND created_at < ? LIMIT ?)"
    };
}

/// The query deleting one batch of dialogue states untouched since the
/// bound (served by the index `dialogues_updated`).
macro_rules! prune_dialogues_query {
    () => {
        "DELETE FROM dialogues WHERE chat_id IN (
             SELECT chat_id FROM dialogues WHERE updated_at < ? LIMIT ?)"
    };
}

/// The query deleting one batch of the registers shown in chats of
/// meetings that started, and were closed if they were, before the bound:
/// no check-in reaches them any more, and they hold chat ids.
macro_rules! prune_registers_query {
    () => {
        "DELETE FROM meeting_registers WHERE rowid IN (
             SELECT r.rowid FROM meeting_registers r JOIN meetings mt ON mt.id = r.meeting_id
             WHERE mt.starts_at < ?1 AND COALESCE(mt.closed_at, mt.starts_at) < ?1
             LIMIT ?2)"
    };
}

/// The query deleting one batch of what edited messages were last seen to
/// show, recorded before the bound (served by `edited_messages_at`).
macro_rules! prune_edited_query {
    () => {
        "DELETE FROM edited_messages WHERE (chat_id, message_id) IN (
             SELECT chat_id, message_id FROM edited_messages WHERE at < ?1 LIMIT ?2)"
    };
}

/// Repeats `query` (bound to `before` and the batch size) in short
/// transactions until a batch deletes fewer rows than the batch size.
pub(super) async fn in_batches(
    pool: &Pool,
    query: &'static str,
    before: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let mut total = 0;
    loop {
        let mut tx = super::tx::begin(pool).await?;
        let done = sqlx::query(query)
            .bind(before)
            .bind(BATCH)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        total += done.rows_affected();
        if done.rows_affected() < BATCH as u64 {
            return Ok(total);
        }
        tokio::task::yield_now().await;
    }
}

/// Deletes outbox rows sent (or given up) more than `keep_days` ago,
/// decision cards settled that long ago, dialogue states untouched for
/// [`DIALOGUE_DAYS`], update ids past their use (a week), roster
/// previews left waiting for a day and the registers shown of meetings
/// over for `keep_days`.
pub async fn prune(pool: &Pool, keep_days: u32, now: DateTime<Utc>) -> sqlx::Result<Pruned> {
    let before = now - Duration::days(i64::from(keep_days.min(MAX_KEEP_DAYS)));
    Ok(Pruned {
        outbox: prune_outbox(pool, before).await?,
        decision_messages: in_batches(pool, prune_cards_query!(), before).await?,
        dialogues: in_batches(
            pool,
            prune_dialogues_query!(),
            now - Duration::days(DIALOGUE_DAYS),
        )
        .await?,
        updates: super::updates::prune(pool, now).await?,
        roster_uploads: in_batches(
            pool,
            prune_rosters_query!(),
            now - Duration::hours(super::roster::UPLOAD_TTL_HOURS),
        )
        .await?,
        meeting_registers: in_batches(pool, prune_registers_query!(), before).await?,
        edited_messages: in_batches(pool, prune_edited_query!(), before).await?,
    })
}

/// Records that `job` runs for `day`; false if it ran that day already
/// (before a restart, or in another process). A day recorded more than a
/// day after `day` can only be a clock that was wrong (ahead, then set
/// right): logged, and `day` claimed, so that the job does not stop until
/// that day comes (a day ahead is taken as a clock a little behind).
pub async fn claim_day(pool: &Pool, job: &str, day: NaiveDate) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    warn_if_ahead(&mut tx, job, day).await?;
    let done = sqlx::query(
        "INSERT INTO housekeeping (job, last_day) VALUES (?1, ?2)
         ON CONFLICT (job) DO UPDATE SET last_day = excluded.last_day
         WHERE housekeeping.last_day < excluded.last_day OR housekeeping.last_day > ?3",
    )
    .bind(job)
    .bind(day.to_string())
    .bind(day_after(day))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

fn day_after(day: NaiveDate) -> String {
    day.succ_opt().unwrap_or(day).to_string()
}

/// Logs a day recorded for `job` after `day`: the clock was ahead when it
/// ran, or is behind now.
async fn warn_if_ahead(
    conn: &mut sqlx::SqliteConnection,
    job: &str,
    day: NaiveDate,
) -> sqlx::Result<()> {
    let last: Option<String> =
        sqlx::query_scalar("SELECT last_day FROM housekeeping WHERE job = ?")
            .bind(job)
            .fetch_optional(conn)
            .await?;
    if let Some(last) = last.filter(|last| *last > day.to_string()) {
        tracing::warn!(
            job,
            recorded = %last,
            today = %day,
            "the job is recorded as run on a day still to come: the clock was ahead then, or is behind now"
        );
    }
    Ok(())
}

/// What a look at a job retried within its day found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// This look takes the day's attempt number `n` (from 1; an attempt
    /// that never finished is taken again under its own number).
    Claimed(u32),
    /// Nothing to try now: the day's job is done, or its next attempt (or
    /// the lease of one running) is due at this time (`None`: not today).
    NotDue(Option<DateTime<Utc>>),
}

/// Claims an attempt at `job` for `day`: the first of a new day, or the
/// next of a day whose last attempt failed (or never finished) once its
/// retry time has come. The claim is a lease until `lease_until`: if the
/// attempt never reports back, the next look after it tries again.
pub async fn claim_attempt(
    pool: &Pool,
    job: &str,
    day: NaiveDate,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> sqlx::Result<Attempt> {
    let mut tx = super::tx::begin(pool).await?;
    warn_if_ahead(&mut tx, job, day).await?;
    // A day recorded well after `day` (a clock that was ahead, see
    // `claim_day`): as a new day.
    let failures: Option<i64> = sqlx::query_scalar(
        "INSERT INTO housekeeping (job, last_day, failures, retry_at) VALUES (?1, ?2, 0, ?3)
         ON CONFLICT (job) DO UPDATE SET
             failures = CASE WHEN housekeeping.last_day <> excluded.last_day THEN 0
                             ELSE housekeeping.failures END,
             last_day = excluded.last_day,
             retry_at = excluded.retry_at
         WHERE housekeeping.last_day < excluded.last_day OR housekeeping.last_day > ?5
            OR (housekeeping.last_day = excluded.last_day
                AND housekeeping.retry_at IS NOT NULL AND housekeeping.retry_at <= ?4)
         RETURNING failures",
    )
    .bind(job)
    .bind(day.to_string())
    .bind(lease_until)
    .bind(now)
    .bind(day_after(day))
    .fetch_optional(&mut *tx)
    .await?;
    let attempt = match failures {
        Some(failures) => Attempt::Claimed(failures.max(0) as u32 + 1),
        None => Attempt::NotDue(
            sqlx::query_scalar("SELECT retry_at FROM housekeeping WHERE job = ?")
                .bind(job)
                .fetch_one(&mut *tx)
                .await?,
        ),
    };
    tx.commit().await?;
    Ok(attempt)
}

/// Records how the claimed attempt at `job` for `day` ended: done (nothing
/// more that day) or failed, to be tried again at `retry_at` (`None`: not
/// that day).
pub async fn attempt_ended(
    pool: &Pool,
    job: &str,
    day: NaiveDate,
    failed: bool,
    retry_at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    sqlx::query(
        "UPDATE housekeeping SET failures = failures + ?, retry_at = ?
         WHERE job = ? AND last_day = ?",
    )
    .bind(i64::from(failed))
    .bind(retry_at)
    .bind(job)
    .bind(day.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn plan(pool: &Pool, sql: &'static str) -> Vec<String> {
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .bind(Utc::now())
                .bind(BATCH)
                .fetch_all(pool)
                .await
                .unwrap();
        rows.into_iter().map(|(_, _, _, d)| d).collect()
    }

    #[tokio::test]
    async fn a_day_claimed_while_the_clock_was_ahead_does_not_stop_the_job() {
        let (_dir, pool) = crate::store::scratch().await;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // The clock a year ahead for a while, then set right.
        assert!(claim_day(&pool, "prune", day(2027, 11, 25)).await.unwrap());
        assert!(claim_day(&pool, "prune", day(2026, 11, 10)).await.unwrap());
        assert!(!claim_day(&pool, "prune", day(2026, 11, 10)).await.unwrap());
        assert!(claim_day(&pool, "prune", day(2026, 11, 11)).await.unwrap());
        // The backup's attempts likewise start afresh on the real day.
        let now = Utc::now();
        let lease = now + chrono::Duration::minutes(10);
        let ahead = claim_attempt(&pool, "backup", day(2027, 11, 25), now, lease);
        assert_eq!(ahead.await.unwrap(), Attempt::Claimed(1));
        let real = claim_attempt(&pool, "backup", day(2026, 11, 10), now, lease);
        assert_eq!(real.await.unwrap(), Attempt::Claimed(1));
        let again = claim_attempt(&pool, "backup", day(2026, 11, 10), now, lease);
        assert!(matches!(again.await.unwrap(), Attempt::NotDue(_)));
    }

    /// The registers shown in chats (chat ids) of a meeting that started
    /// and was closed more than the retention ago go; those of a meeting
    /// closed since, or still to come, stay.
    #[tokio::test]
    async fn registers_of_meetings_long_over_are_pruned() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        let long_ago = now - Duration::days(i64::from(DEFAULT_KEEP_DAYS) + 10);
        let lately = now - Duration::days(3);
        for sql in [
            "INSERT INTO wards (id, name, created_at) VALUES (1, 'P', ?1)",
            "INSERT INTO cells (id, ward_id, name, created_at) VALUES (1, 1, 'A', ?1)",
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at) VALUES (8, 'b', ?1, ?1)",
        ] {
            sqlx::query(sql).bind(now).execute(&pool).await.unwrap();
        }
        // Started and closed long ago; started long ago, closed lately; to come.
        for (id, starts_at, closed_at) in [
            (1, long_ago, Some(long_ago)),
            (2, long_ago, Some(lately)),
            (3, now + Duration::days(2), None),
        ] {
            sqlx::query(
                "INSERT INTO meetings (id, token, cell_id, kind, starts_at, place, agenda, status,
                                       called_by, created_at, closed_at)
                 VALUES (?, ?, 1, 'periodic', ?, 'P', 'A', 'scheduled', 8, ?, ?)",
            )
            .bind(id)
            .bind(format!("m{id}"))
            .bind(starts_at)
            .bind(long_ago)
            .bind(closed_at)
            .execute(&pool)
            .await
            .unwrap();
            for chat in [8, 9] {
                sqlx::query(
                    "INSERT INTO meeting_registers (meeting_id, chat_id, message_id, shown)
                     VALUES (?, ?, 5, '')",
                )
                .bind(id)
                .bind(chat)
                .execute(&pool)
                .await
                .unwrap();
            }
        }
        let pruned = prune(&pool, DEFAULT_KEEP_DAYS, now).await.unwrap();
        assert_eq!(pruned.meeting_registers, 2);
        let left: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT meeting_id FROM meeting_registers ORDER BY 1")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(left, [2, 3]);
    }

    #[tokio::test]
    async fn pruning_reads_old_rows_through_indexes() {
        let (_dir, pool) = crate::store::scratch().await;
        let outbox = plan(&pool, prune_outbox_query!()).await;
        assert!(
            outbox.iter().any(|d| d.contains("INDEX outbox_done")),
            "{outbox:#?}"
        );
        let cards = plan(&pool, prune_cards_query!()).await;
        assert!(
            cards
                .iter()
                .any(|d| d.contains("INDEX decision_messages_settled")),
            "{cards:#?}"
        );
        let dialogues = plan(&pool, prune_dialogues_query!()).await;
        assert!(
            dialogues
                .iter()
                .any(|d| d.contains("INDEX dialogues_updated")),
            "{dialogues:#?}"
        );
        let updates = plan(&pool, super::super::updates::PRUNE_QUERY).await;
        assert!(
            updates
                .iter()
                .any(|d| d.contains("INDEX processed_updates_at")),
            "{updates:#?}"
        );
    }

    #[tokio::test]
    async fn old_sent_rows_and_settled_cards_go_in_batches_queued_rows_stay() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        let old = now - Duration::days(91);
        let recent = now - Duration::days(10);
        let rows = BATCH * 2 + 5;
        // Old rows of a monthly round: its counts outlive them.
        sqlx::query(
            "INSERT INTO broadcasts (id, kind, period, created_at) VALUES (1, 'reminder', '2026-08', ?)",
        )
        .bind(old)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
             INSERT INTO outbox (chat_id, payload, status, priority, not_before, sent_at,
                                 broadcast_id)
             SELECT i, '{}', 'sent', 0, ?, ?, 1 FROM n",
        )
        .bind(rows)
        .bind(old)
        .bind(old)
        .execute(&pool)
        .await
        .unwrap();
        for (status, at, sent) in [
            ("queued", old, None),
            ("failed", old, None),
            ("sent", recent, Some(recent)),
        ] {
            sqlx::query(
                "INSERT INTO outbox (chat_id, payload, status, priority, not_before, sent_at)
                 VALUES (1, '{}', ?, 0, ?, ?)",
            )
            .bind(status)
            .bind(at)
            .bind(sent)
            .execute(&pool)
            .await
            .unwrap();
        }
        for (id, settled) in [(1, Some(old)), (2, Some(recent)), (3, None)] {
            sqlx::query(
                "INSERT INTO decision_messages (subject, subject_id, chat_id, message_id, settled_at)
                 VALUES ('report', ?, 1, ?, ?)",
            )
            .bind(id)
            .bind(id)
            .bind(settled)
            .execute(&pool)
            .await
            .unwrap();
        }
        for (chat, at) in [(1, now - Duration::days(91)), (2, now - Duration::days(89))] {
            sqlx::query(
                "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (?, '\"Idle\"', ?)",
            )
            .bind(chat)
            .bind(at)
            .execute(&pool)
            .await
            .unwrap();
        }
        for (id, at) in [(1, now - Duration::days(8)), (2, now - Duration::days(1))] {
            sqlx::query("INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)")
                .bind(id)
                .bind(at)
                .execute(&pool)
                .await
                .unwrap();
        }
        // Two roster previews: one left a day and more, one of an hour ago.
        let workplace = crate::store::workplaces::add(&pool, "Sở Y tế", now)
            .await
            .unwrap();
        for at in [now - Duration::hours(25), now - Duration::hours(1)] {
            crate::store::roster::create_upload(&pool, None, workplace, &[], at)
                .await
                .unwrap();
        }
        let pruned = prune(&pool, DEFAULT_KEEP_DAYS, now).await.unwrap();
        let round = crate::store::broadcasts::summary(&pool, 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((round.total, round.sent, round.queued), (rows, rows, 0));
        assert_eq!(
            pruned,
            Pruned {
                outbox: rows as u64 + 1,
                decision_messages: 1,
                dialogues: 1,
                updates: 1,
                roster_uploads: 1,
                meeting_registers: 0,
                edited_messages: 0,
            }
        );
        let dialogues: Vec<i64> = sqlx::query_scalar("SELECT chat_id FROM dialogues")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(dialogues, [2], "the one touched 89 days ago stays");
        let left: Vec<String> = sqlx::query_scalar("SELECT status FROM outbox ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(left, ["queued", "sent"]);
        let cards: Vec<i64> =
            sqlx::query_scalar("SELECT subject_id FROM decision_messages ORDER BY subject_id")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(cards, [2, 3]);
    }

    #[tokio::test]
    async fn a_day_is_claimed_once() {
        let (_dir, pool) = crate::store::scratch().await;
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(claim_day(&pool, "prune", day).await.unwrap());
        assert!(!claim_day(&pool, "prune", day).await.unwrap());
        assert!(
            claim_day(&pool, "prune", day.succ_opt().unwrap())
                .await
                .unwrap()
        );
        assert!(!claim_day(&pool, "prune", day).await.unwrap());
    }
}
