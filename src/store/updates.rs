//! Telegram update ids already handled: a redelivered update is skipped.
//! They are recorded with the update's first effect ([`super::tx::begin`]),
//! never before it: an update recorded before its effect was committed
//! would be skipped after a crash, its effect lost.

use chrono::{DateTime, Duration, Utc};

use super::Pool;

/// Deletes one batch of update ids older than the bound (served by the
/// index `processed_updates_at`).
pub const PRUNE_QUERY: &str = "DELETE FROM processed_updates WHERE update_id IN (
     SELECT update_id FROM processed_updates WHERE processed_at < ? LIMIT ?)";

/// Forgets updates handled more than a week before `now` and more than a
/// day before the newest one handled; Telegram keeps undelivered updates
/// for at most 24 hours, so these can no longer come back. The newest
/// record bounds it as well as the clock: a clock set forward by more than
/// a week (a machine without a real-time clock, an NTP correction) would
/// otherwise forget the updates handled just before, which Telegram may
/// still serve again (a crash before they were confirmed), and they would
/// be handled twice. Deleted in small batches, each its own short
/// transaction.
pub async fn prune(pool: &Pool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let newest: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT MAX(processed_at) FROM processed_updates")
            .fetch_one(pool)
            .await?;
    let week_ago = now - Duration::days(7);
    let bound = newest.map_or(week_ago, |newest| week_ago.min(newest - Duration::days(1)));
    super::housekeeping::in_batches(pool, PRUNE_QUERY, bound).await
}

/// Telegram numbered its updates anew (after a week without any): the
/// records of the old numbering, handled more than a day before `now`, go
/// now, so that none of the new numbering is taken for one of them and
/// skipped. Those of the last day stay: Telegram does not number anew
/// before a week without updates, so they are redeliveries' records.
pub async fn forget_old_numbering(pool: &Pool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    super::housekeeping::in_batches(pool, PRUNE_QUERY, now - Duration::days(1)).await
}

/// Sets updates still in hand aside (each its id and its JSON), in one
/// transaction, before the polling offset passes them; already set aside is
/// left as it is.
pub async fn set_aside(
    pool: &Pool,
    updates: &[(i64, String)],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin_aside(pool).await?;
    for (id, body) in updates {
        sqlx::query(
            "INSERT INTO updates_set_aside (update_id, body, set_aside_at) VALUES (?, ?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// The updates set aside and not yet handled (a crash came first), oldest
/// first: id and JSON. Those set aside more than a day before `now` go
/// unhandled, as Telegram drops an update not fetched within a day: a text
/// days old is not taken as the answer to whatever is asked now (and the
/// record of a handled one, kept a week, is still there to look up).
pub async fn set_aside_before(pool: &Pool, now: DateTime<Utc>) -> sqlx::Result<Vec<(i64, String)>> {
    let stale = super::tx::retrying(|| {
        sqlx::query("DELETE FROM updates_set_aside WHERE set_aside_at < ?")
            .bind(now - Duration::days(1))
            .execute(pool)
    })
    .await?;
    if stale.rows_affected() > 0 {
        tracing::warn!(
            updates = stale.rows_affected(),
            "updates set aside more than a day ago were dropped unhandled"
        );
    }
    sqlx::query_as("SELECT update_id, body FROM updates_set_aside ORDER BY update_id")
        .fetch_all(pool)
        .await
}

/// An update set aside was handled: it goes.
pub async fn handled_aside(pool: &Pool, id: i64) -> sqlx::Result<()> {
    super::tx::retrying(|| {
        sqlx::query("DELETE FROM updates_set_aside WHERE update_id = ?")
            .bind(id)
            .execute(pool)
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn update_ids_older_than_a_week_are_forgotten_in_batches() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        let old = super::super::housekeeping::BATCH + 3;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
             INSERT INTO processed_updates (update_id, processed_at) SELECT i, ? FROM n",
        )
        .bind(old)
        .bind(now - Duration::days(8))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO processed_updates (update_id, processed_at) VALUES (-1, ?)")
            .bind(now - Duration::days(6))
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(prune(&pool, now).await.unwrap(), old as u64);
        let left: Vec<i64> = sqlx::query_scalar("SELECT update_id FROM processed_updates")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(left, [-1]);
    }
}
