//! Telegram update ids already handled: a redelivered batch is skipped.

use chrono::{DateTime, Duration, Utc};

use super::Pool;

/// Records the update; false if it had been recorded before.
pub async fn first_time(pool: &Pool, update_id: i64, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(update_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets updates older than a week; Telegram keeps undelivered updates
/// for at most 24 hours, so these can no longer come back.
pub async fn prune(pool: &Pool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM processed_updates WHERE processed_at < ?")
        .bind(now - Duration::days(7))
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
