use chrono::{DateTime, Utc};

use super::Pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Cell {
    pub id: i64,
    pub ward_id: i64,
    pub name: String,
}

/// A cell as the operator's listing shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CellSummary {
    pub id: i64,
    pub ward_id: i64,
    pub name: String,
    pub secretary_name: Option<String>,
    pub members: i64,
    pub pending: i64,
}

pub async fn add(pool: &Pool, ward_id: i64, name: &str, now: DateTime<Utc>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO cells (ward_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(ward_id)
    .bind(name)
    .bind(now)
    .fetch_one(pool)
    .await
}

pub async fn get<'e>(db: impl sqlx::SqliteExecutor<'e>, id: i64) -> sqlx::Result<Option<Cell>> {
    sqlx::query_as("SELECT id, ward_id, name FROM cells WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// A ward's cells, by name.
pub async fn in_ward(pool: &Pool, ward_id: i64) -> sqlx::Result<Vec<Cell>> {
    sqlx::query_as("SELECT id, ward_id, name FROM cells WHERE ward_id = ? ORDER BY name, id")
        .bind(ward_id)
        .fetch_all(pool)
        .await
}

pub async fn summaries(pool: &Pool) -> sqlx::Result<Vec<CellSummary>> {
    sqlx::query_as(
        "SELECT c.id, c.ward_id, c.name,
                COALESCE(u.full_name, u.tg_name) AS secretary_name,
                (SELECT COUNT(*) FROM memberships m WHERE m.cell_id = c.id AND m.status = 'approved') AS members,
                (SELECT COUNT(*) FROM memberships m WHERE m.cell_id = c.id AND m.status = 'pending') AS pending
         FROM cells c
         LEFT JOIN cell_secretaries s ON s.cell_id = c.id
         LEFT JOIN users u ON u.id = s.user_id
         ORDER BY c.ward_id, c.id",
    )
    .fetch_all(pool)
    .await
}

/// Makes `user_id` the secretary of the cell, replacing any previous one.
pub async fn set_secretary(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO cell_secretaries (cell_id, user_id, since) VALUES (?, ?, ?)
         ON CONFLICT (cell_id) DO UPDATE SET user_id = excluded.user_id, since = excluded.since",
    )
    .bind(cell_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The cells `user_id` is secretary of.
pub async fn secretary_cells(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<Cell>> {
    sqlx::query_as(
        "SELECT c.id, c.ward_id, c.name FROM cells c
         JOIN cell_secretaries s ON s.cell_id = c.id
         WHERE s.user_id = ? ORDER BY c.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

pub async fn secretary_of<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    cell_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT user_id FROM cell_secretaries WHERE cell_id = ?")
        .bind(cell_id)
        .fetch_optional(db)
        .await
}

/// A cell with its secretary, for digests.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WithSecretary {
    pub id: i64,
    pub name: String,
    pub secretary_id: i64,
    pub secretary_language: Option<String>,
}

pub async fn with_secretaries(pool: &Pool) -> sqlx::Result<Vec<WithSecretary>> {
    sqlx::query_as(
        "SELECT c.id, c.name, s.user_id AS secretary_id, u.language AS secretary_language
         FROM cells c JOIN cell_secretaries s ON s.cell_id = c.id JOIN users u ON u.id = s.user_id
         ORDER BY s.user_id, c.id",
    )
    .fetch_all(pool)
    .await
}
