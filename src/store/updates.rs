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

/// Forgets updates older than a week; Telegram keeps undelivered updates
/// for at most 24 hours, so these can no longer come back. Deleted in
/// small batches, each its own short transaction.
pub async fn prune(pool: &Pool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let before = now - Duration::days(7);
    let mut total = 0;
    loop {
        let mut tx = super::tx::begin(pool).await?;
        let done = sqlx::query(PRUNE_QUERY)
            .bind(before)
            .bind(super::housekeeping::BATCH)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        total += done.rows_affected();
        if done.rows_affected() < super::housekeeping::BATCH as u64 {
            return Ok(total);
        }
        tokio::task::yield_now().await;
    }
}
