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
