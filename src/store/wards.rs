use chrono::{DateTime, Utc};

use super::Pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Ward {
    pub id: i64,
    pub name: String,
}

pub async fn add(pool: &Pool, name: &str, now: DateTime<Utc>) -> sqlx::Result<i64> {
    let id = sqlx::query_scalar("INSERT INTO wards (name, created_at) VALUES (?, ?) RETURNING id")
        .bind(name)
        .bind(now)
        .fetch_one(pool)
        .await?;
    Ok(id)
}

pub async fn all(pool: &Pool) -> sqlx::Result<Vec<Ward>> {
    sqlx::query_as("SELECT id, name FROM wards ORDER BY id")
        .fetch_all(pool)
        .await
}

pub async fn exists(pool: &Pool, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM wards WHERE id = ?)")
        .bind(id)
        .fetch_one(pool)
        .await
}
