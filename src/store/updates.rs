//! Telegram update ids already handled (recorded by `tx::begin` with the
//! update's first effect): a redelivered update is skipped.

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
