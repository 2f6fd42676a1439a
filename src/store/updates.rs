//! Telegram update ids already handled: a redelivered update is skipped.
//! They are recorded with the update's first effect ([`super::tx::begin`]),
//! never before it: an update recorded before its effect was committed
//! would be skipped after a crash, its effect lost.

use chrono::{DateTime, Duration, Utc};

use super::Pool;

/// Forgets updates older than a week; Telegram keeps undelivered updates
/// for at most 24 hours, so these can no longer come back.
pub async fn prune(pool: &Pool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM processed_updates WHERE processed_at < ?")
        .bind(now - Duration::days(7))
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
