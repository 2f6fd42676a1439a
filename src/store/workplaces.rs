use chrono::{DateTime, Utc};

use super::Pool;
use crate::domain::membership::name_key;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Workplace {
    pub id: i64,
    pub name: String,
}

pub async fn add(pool: &Pool, name: &str, now: DateTime<Utc>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO workplaces (name, name_key, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(name_key(name))
    .bind(now)
    .fetch_one(pool)
    .await
}

pub async fn all(pool: &Pool) -> sqlx::Result<Vec<Workplace>> {
    sqlx::query_as("SELECT id, name FROM workplaces ORDER BY name COLLATE NOCASE, id")
        .fetch_all(pool)
        .await
}

pub async fn page(pool: &Pool, offset: i64, limit: i64) -> sqlx::Result<Vec<Workplace>> {
    sqlx::query_as(
        "SELECT id, name FROM workplaces ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

pub async fn count(pool: &Pool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM workplaces")
        .fetch_one(pool)
        .await
}

pub async fn get(pool: &Pool, id: i64) -> sqlx::Result<Option<Workplace>> {
    sqlx::query_as("SELECT id, name FROM workplaces WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A registered workplace of the same name, ignoring case, spacing and
/// Unicode composition.
pub async fn find_by_name(pool: &Pool, name: &str) -> sqlx::Result<Option<Workplace>> {
    sqlx::query_as("SELECT id, name FROM workplaces WHERE name_key = ?")
        .bind(name_key(name))
        .fetch_optional(pool)
        .await
}

/// Makes `user_id` an officer of the workplace.
pub async fn add_officer(
    conn: &mut sqlx::SqliteConnection,
    workplace_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO workplace_officers (workplace_id, user_id, since) VALUES (?, ?, ?)",
    )
    .bind(workplace_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The workplaces `user_id` is an officer of.
pub async fn officer_of(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<Workplace>> {
    sqlx::query_as(
        "SELECT w.id, w.name FROM workplaces w JOIN workplace_officers o ON o.workplace_id = w.id
         WHERE o.user_id = ? ORDER BY w.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// The officers of a workplace.
pub async fn officers(pool: &Pool, workplace_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT user_id FROM workplace_officers WHERE workplace_id = ? ORDER BY since, user_id",
    )
    .bind(workplace_id)
    .fetch_all(pool)
    .await
}
