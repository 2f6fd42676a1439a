use chrono::{DateTime, Utc};

use super::Pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Ward {
    pub id: i64,
    pub name: String,
}

/// What adding a ward did.
#[derive(Debug, Clone)]
pub enum Added {
    /// The new ward's id.
    Added(i64),
    /// A ward of the same name (ignoring case, spacing and composition)
    /// is there already: nothing was added.
    Duplicate(Ward),
}

/// Adds a ward (the operator's), audited `add_ward` in the same
/// transaction, unless one of the same name (ignoring case, spacing and
/// composition) is there: looked for inside the transaction, so two
/// operators adding the same name at once never make two.
pub async fn add_unique(pool: &Pool, name: &str, now: DateTime<Utc>) -> sqlx::Result<Added> {
    use crate::domain::membership::name_key;
    let mut tx = super::tx::begin(pool).await?;
    let key = name_key(name);
    let existing: Vec<Ward> = sqlx::query_as("SELECT id, name FROM wards ORDER BY id")
        .fetch_all(&mut *tx)
        .await?;
    if let Some(ward) = existing.into_iter().find(|w| name_key(&w.name) == key) {
        return Ok(Added::Duplicate(ward));
    }
    let id = insert(&mut tx, name, now).await?;
    tx.commit().await?;
    Ok(Added::Added(id))
}

/// Adds a ward, audited `add_ward` in the same transaction, without
/// looking for one of the same name (seeds of tests and benchmarks; the
/// operator's command uses [`add_unique`]).
pub async fn add(pool: &Pool, name: &str, now: DateTime<Utc>) -> sqlx::Result<i64> {
    let mut tx = super::tx::begin(pool).await?;
    let id = insert(&mut tx, name, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert(tx: &mut super::tx::Tx, name: &str, now: DateTime<Utc>) -> sqlx::Result<i64> {
    let id = sqlx::query_scalar("INSERT INTO wards (name, created_at) VALUES (?, ?) RETURNING id")
        .bind(name)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    let entry = super::audit::Entry {
        actor: None,
        action: "add_ward",
        subject: "ward",
        subject_id: id,
        details: serde_json::json!({ "name": name }),
    };
    super::audit::append(tx, entry, now).await?;
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

pub async fn get(pool: &Pool, id: i64) -> sqlx::Result<Option<Ward>> {
    sqlx::query_as("SELECT id, name FROM wards WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Makes `user_id` a supervisor of the ward; false if they were one.
pub async fn add_supervisor(
    conn: &mut sqlx::SqliteConnection,
    ward_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT OR IGNORE INTO ward_supervisors (ward_id, user_id, since) VALUES (?, ?, ?)",
    )
    .bind(ward_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The wards `user_id` supervises.
pub async fn supervisor_of(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<Ward>> {
    sqlx::query_as(
        "SELECT w.id, w.name FROM wards w JOIN ward_supervisors s ON s.ward_id = w.id
         WHERE s.user_id = ? ORDER BY w.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// Makes `user_id` an administrator of the ward (inside the caller's
/// transaction, which audits it); false if they were one.
pub async fn add_admin(
    conn: &mut sqlx::SqliteConnection,
    ward_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done =
        sqlx::query("INSERT OR IGNORE INTO ward_admins (ward_id, user_id, since) VALUES (?, ?, ?)")
            .bind(ward_id)
            .bind(user_id)
            .bind(now)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// The wards `user_id` administers.
pub async fn admin_of(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<Ward>> {
    sqlx::query_as(
        "SELECT w.id, w.name FROM wards w JOIN ward_admins a ON a.ward_id = w.id
         WHERE a.user_id = ? ORDER BY w.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// Whether `user_id` administers the ward (now).
pub async fn is_admin<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    ward_id: i64,
    user_id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM ward_admins WHERE ward_id = ? AND user_id = ?)",
    )
    .bind(ward_id)
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// Every ward's supervisors and administrators, for the operator's list:
/// (ward, role, user id, name), by ward, role and user.
pub async fn roles(pool: &Pool) -> sqlx::Result<Vec<(i64, String, i64, String)>> {
    sqlx::query_as(
        "SELECT s.ward_id, 'supervisor', u.id, COALESCE(u.full_name, u.tg_name)
         FROM ward_supervisors s JOIN users u ON u.id = s.user_id
         UNION ALL
         SELECT a.ward_id, 'ward-admin', u.id, COALESCE(u.full_name, u.tg_name)
         FROM ward_admins a JOIN users u ON u.id = a.user_id
         ORDER BY 1, 2, 3",
    )
    .fetch_all(pool)
    .await
}
