//! Broadcasts: a reminder round, a digest round, an announcement.

use chrono::{DateTime, Utc};

use super::Pool;
use crate::domain::schedule::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Reminder,
    Digest,
    Stale,
    Announcement,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reminder => "reminder",
            Kind::Digest => "digest",
            Kind::Stale => "stale",
            Kind::Announcement => "announcement",
        }
    }
}

/// Creates a broadcast for a period unless that period already has one:
/// `None` means it was queued before.
pub async fn create_for_period(
    conn: &mut sqlx::SqliteConnection,
    kind: Kind,
    period: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO broadcasts (kind, period, created_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(kind.as_str())
    .bind(period)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// A monthly round (reminders or digests) still being queued, and where
/// its queuing stopped: the last cell (reminders) or reader (digests) done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub through: Option<i64>,
}

/// The round of `kind` for `period`, created (as being queued) if there is
/// none yet; `None` if it was queued completely before.
pub async fn open_round(
    conn: &mut sqlx::SqliteConnection,
    kind: Kind,
    period: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Round>> {
    sqlx::query(
        "INSERT INTO broadcasts (kind, period, created_at, queuing) VALUES (?, ?, ?, 1)
         ON CONFLICT DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(period)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let row: (i64, bool, Option<i64>) = sqlx::query_as(
        "SELECT id, queuing, queued_through FROM broadcasts WHERE kind = ? AND period = ?",
    )
    .bind(kind.as_str())
    .bind(period)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.1.then_some(Round {
        id: row.0,
        through: row.2,
    }))
}

/// The monthly rounds of `period` (`YYYY-MM`: the reminders, the
/// secretaries' and the officers' digests) are not sent from `expires` on
/// (the next month's round falls due then).
pub async fn set_expiry(
    conn: &mut sqlx::SqliteConnection,
    period: &str,
    expires: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE broadcasts SET expires_at = ?
         WHERE kind IN ('reminder', 'digest') AND substr(period, 1, 7) = ?",
    )
    .bind(expires)
    .bind(period)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The months (`YYYY-MM`) of reminder and digest rounds whose queuing was
/// cut short, oldest first.
pub async fn unfinished_months(pool: &Pool) -> sqlx::Result<Vec<Period>> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT substr(period, 1, 7) FROM broadcasts
         WHERE kind IN ('reminder', 'digest') AND queuing = 1 ORDER BY 1",
    )
    .fetch_all(pool)
    .await?;
    Ok(keys.iter().filter_map(|k| Period::parse(k)).collect())
}

/// Whether the month's round never began while the rounds before it did
/// and none after it: the bot was stopped across its due time (a
/// deployment newer than the month has no earlier round, and is not taken
/// for one that missed it; a clock set back to a month already past
/// finds the later round).
pub async fn round_missed(pool: &Pool, period: Period) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT NOT EXISTS (SELECT 1 FROM broadcasts WHERE kind = 'reminder' AND period >= ?1)
            AND EXISTS (SELECT 1 FROM broadcasts WHERE kind = 'reminder' AND period < ?1)",
    )
    .bind(period.to_string())
    .fetch_one(pool)
    .await
}

/// Closes the rounds of `period` whose queuing was cut short, where they
/// stopped (what they queued is still sent); how many.
pub async fn close_unfinished(
    pool: &Pool,
    period: Period,
    now: DateTime<Utc>,
) -> sqlx::Result<usize> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM broadcasts
         WHERE kind IN ('reminder', 'digest') AND queuing = 1 AND substr(period, 1, 7) = ?",
    )
    .bind(period.to_string())
    .fetch_all(pool)
    .await?;
    for id in &ids {
        close_round(pool, *id, now).await?;
    }
    Ok(ids.len())
}

/// Whether the round of `kind` for `period` exists and was queued
/// completely.
pub async fn queued_for_period(pool: &Pool, kind: Kind, period: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM broadcasts WHERE kind = ? AND period = ? AND queuing = 0)",
    )
    .bind(kind.as_str())
    .bind(period)
    .fetch_one(pool)
    .await
}

/// Records, in the transaction that queued them, that the round is queued
/// up to `through` (a cell or a reader id).
pub async fn queued_through(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    through: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE broadcasts SET queued_through = ? WHERE id = ?")
        .bind(through)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The round is queued completely; finished at once if the sender already
/// sent everything it queued.
pub async fn close_round(pool: &Pool, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    sqlx::query(
        "UPDATE broadcasts SET queuing = 0,
             finished_at = CASE
                 WHEN finished_at IS NULL
                      AND EXISTS (SELECT 1 FROM outbox WHERE broadcast_id = ?1)
                      AND NOT EXISTS (SELECT 1 FROM outbox WHERE broadcast_id = ?1
                                      AND status = 'queued')
                 THEN ?2 ELSE finished_at END
         WHERE id = ?1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub async fn exists_for_period(pool: &Pool, kind: Kind, period: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM broadcasts WHERE kind = ? AND period = ?)")
        .bind(kind.as_str())
        .bind(period)
        .fetch_one(pool)
        .await
}

pub struct NewAnnouncement<'a> {
    /// The confirmed dialogue's token: one announcement per confirmation.
    pub token: &'a str,
    pub created_by: i64,
    pub text: &'a str,
    /// The author's chat, where the progress message goes.
    pub progress_chat: i64,
    /// What the progress message says before anything is sent.
    pub progress_start: String,
    /// The cells addressed and how many members it goes to (audited).
    pub cells: &'a [i64],
    pub recipients: i64,
}

/// Creates an announcement; `None` if this token was already used. Its
/// progress message is queued with it, as a notice to its author (ahead
/// of bulk rows): it exists once the announcement does, whatever a crash
/// interrupts, and its id is that of the row once sent. Audited
/// `announce` (who, to which cells, how many; not the text) in the
/// caller's transaction.
pub async fn create_announcement(
    conn: &mut sqlx::SqliteConnection,
    new: NewAnnouncement<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO broadcasts (kind, token, created_by, text, progress_chat, created_at)
         VALUES ('announcement', ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(new.token)
    .bind(new.created_by)
    .bind(new.text)
    .bind(new.progress_chat)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else {
        return Ok(None);
    };
    let progress = super::outbox::Notice {
        chat_id: new.progress_chat,
        payload: super::outbox::Payload {
            text: new.progress_start,
            progress_of: Some(id),
            ..Default::default()
        },
    };
    let row = super::outbox::enqueue_notice(&mut *conn, &progress, now).await?;
    sqlx::query("UPDATE broadcasts SET progress_row = ? WHERE id = ?")
        .bind(row)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let entry = super::audit::Entry {
        actor: Some(new.created_by),
        action: "announce",
        subject: "broadcast",
        subject_id: id,
        details: serde_json::json!({ "cells": new.cells, "recipients": new.recipients }),
    };
    super::audit::append(conn, entry, now).await?;
    Ok(Some(id))
}

/// Where a broadcast shows its progress: `None` for one that has no
/// progress message (a monthly round); for an announcement, its author's
/// chat, the message once sent (`None` while its row waits) and its author.
pub async fn progress_target(
    pool: &Pool,
    id: i64,
) -> sqlx::Result<Option<(i64, Option<i64>, i64)>> {
    let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT b.progress_chat, COALESCE(b.progress_message, o.message_id), b.created_by
         FROM broadcasts b LEFT JOIN outbox o ON o.id = b.progress_row AND o.status = 'sent'
         WHERE b.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((Some(chat), message, Some(by))) => Some((chat, message, by)),
        _ => None,
    })
}

/// A broadcast with its delivery counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Summary {
    pub id: i64,
    pub kind: String,
    pub period: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub progress_chat: Option<i64>,
    pub progress_message: Option<i64>,
    pub total: i64,
    pub queued: i64,
    pub sent: i64,
    pub unreachable: i64,
    pub failed: i64,
    /// Of an announcement: copies not sent because their reader left the
    /// cells it went to (or ended their membership) while they waited;
    /// counted in `total`.
    pub left_meanwhile: i64,
}

macro_rules! summary_select {
    () => {
        "SELECT b.id, b.kind, b.period, b.created_by, b.created_at, b.finished_at,
                b.progress_chat, b.progress_message,
                COUNT(o.id) + b.pruned_sent + b.pruned_unreachable + b.pruned_failed
                    + b.left_meanwhile AS total,
                COALESCE(SUM(o.status = 'queued'), 0) AS queued,
                COALESCE(SUM(o.status = 'sent'), 0) + b.pruned_sent AS sent,
                COALESCE(SUM(o.status = 'unreachable'), 0) + b.pruned_unreachable AS unreachable,
                COALESCE(SUM(o.status = 'failed'), 0) + b.pruned_failed AS failed,
                b.left_meanwhile
         FROM broadcasts b LEFT JOIN outbox o ON o.broadcast_id = b.id"
    };
}

pub async fn summaries(pool: &Pool) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as(concat!(summary_select!(), " GROUP BY b.id ORDER BY b.id"))
        .fetch_all(pool)
        .await
}

pub async fn summary(pool: &Pool, id: i64) -> sqlx::Result<Option<Summary>> {
    sqlx::query_as(concat!(summary_select!(), " WHERE b.id = ? GROUP BY b.id"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Marks the broadcast finished once nothing is queued (and, for a monthly
/// round, once it is queued completely); true the first time.
pub async fn finish_if_done(pool: &Pool, id: i64, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE broadcasts SET finished_at = ?
         WHERE id = ? AND finished_at IS NULL AND queuing = 0
           AND NOT EXISTS (SELECT 1 FROM outbox WHERE broadcast_id = ? AND status = 'queued')",
    )
    .bind(now)
    .bind(id)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the sender has to send, in its order, up to the last queued row of
/// a broadcast (that row included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Backlog {
    pub broadcast_id: i64,
    /// When the broadcast was created (its due day is that local day).
    pub created_at: DateTime<Utc>,
    /// Queued rows of priority 0 and 1 (what people wait for, digests).
    pub urgent: i64,
    /// Queued rows of priority 2 (reminders, announcements).
    pub bulk: i64,
}

/// The backlog of every broadcast that still has queued rows (rows queued
/// later with a higher priority will go first too: an estimate).
pub async fn backlogs(pool: &Pool) -> sqlx::Result<Vec<Backlog>> {
    sqlx::query_as(
        "SELECT q.broadcast_id, b.created_at,
                (SELECT COUNT(*) FROM outbox o WHERE o.status = 'queued' AND o.priority < 2
                   AND (o.priority < q.priority OR o.id <= q.last)) AS urgent,
                CASE WHEN q.priority = 2
                     THEN (SELECT COUNT(*) FROM outbox o WHERE o.status = 'queued'
                             AND o.priority = 2 AND o.id <= q.last)
                     ELSE 0 END AS bulk
         FROM (SELECT broadcast_id, MAX(priority) AS priority, MAX(id) AS last FROM outbox
               WHERE status = 'queued' AND broadcast_id IS NOT NULL
               GROUP BY broadcast_id) q
         JOIN broadcasts b ON b.id = q.broadcast_id
         ORDER BY q.broadcast_id",
    )
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use crate::domain::schedule::Period;

    /// A month's round is missed only between an earlier round and no
    /// later one.
    #[tokio::test]
    async fn a_round_is_missed_only_between_an_earlier_and_no_later_one() {
        let (_dir, pool) = crate::store::scratch().await;
        let missed = |p: &str| super::round_missed(&pool, Period::parse(p).unwrap());
        assert!(!missed("2026-11").await.unwrap(), "a new deployment");
        let add = |p: &'static str| {
            sqlx::query(
                "INSERT INTO broadcasts (kind, period, created_at)
                 VALUES ('reminder', ?, '2026-01-01T00:00:00Z')",
            )
            .bind(p)
            .execute(&pool)
        };
        add("2026-10").await.unwrap();
        assert!(missed("2026-11").await.unwrap());
        add("2026-12").await.unwrap();
        assert!(!missed("2026-11").await.unwrap(), "a later round came");
        add("2026-11").await.unwrap();
        assert!(!missed("2026-11").await.unwrap());
    }
}
