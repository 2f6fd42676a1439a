use chrono::{DateTime, Utc};

use super::Pool;
use crate::domain::membership::{name_fold, name_key};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Workplace {
    pub id: i64,
    pub name: String,
}

/// Registers a workplace as [`add_linking`] does: its id, or the id of the
/// registered one of the same name.
pub async fn add(pool: &Pool, name: &str, now: DateTime<Utc>) -> sqlx::Result<i64> {
    Ok(match add_linking(pool, name, now).await? {
        Added::Added { id, .. } => id,
        Added::Duplicate(workplace) => workplace.id,
    })
}

/// What registering a workplace did.
#[derive(Debug, Clone)]
pub enum Added {
    /// Its id, and how many members who had typed its name were linked.
    Added { id: i64, linked: u64 },
    /// A registered workplace has the same name ([`find_by_name`]):
    /// nothing was added.
    Duplicate(Workplace),
}

/// Registers a workplace (audited `add_workplace`), and links to it the
/// members (approved or waiting) who typed its name when it was not
/// registered yet, audited, in one transaction: its officers then see them, and their sheets reach it.
/// Refused when a registered workplace has the same name ([`find_by_name`]),
/// looked for inside the transaction: two operators registering the same
/// name at once never make two.
pub async fn add_linking(pool: &Pool, name: &str, now: DateTime<Utc>) -> sqlx::Result<Added> {
    let mut tx = super::tx::begin(pool).await?;
    if let Some(existing) = find_by_name_in(&mut tx, name).await? {
        return Ok(Added::Duplicate(existing));
    }
    let (key, fold) = (name_key(name), name_fold(name));
    // Typed names that differ in accents only are this workplace's too,
    // unless another registered workplace folds alike.
    let fold_is_free: bool =
        sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM workplaces WHERE name_fold = ?)")
            .bind(&fold)
            .fetch_one(&mut *tx)
            .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO workplaces (name, name_key, name_fold, created_at) VALUES (?, ?, ?, ?)
         RETURNING id",
    )
    .bind(name)
    .bind(&key)
    .bind(&fold)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: None,
        action: "add_workplace",
        subject: "workplace",
        subject_id: id,
        details: serde_json::json!({ "name": name }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    let typed: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, workplace_name FROM memberships
         WHERE workplace_id IS NULL AND workplace_name IS NOT NULL
           AND status IN ('approved', 'pending')",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut linked = 0;
    let same = |t: &str| name_key(t) == key || (fold_is_free && name_fold(t) == fold);
    for (membership, typed) in typed.into_iter().filter(|(_, t)| same(t)) {
        sqlx::query(
            "UPDATE memberships SET workplace_id = ?, workplace_name = NULL
             WHERE id = ? AND workplace_id IS NULL",
        )
        .bind(id)
        .bind(membership)
        .execute(&mut *tx)
        .await?;
        let entry = super::audit::Entry {
            actor: None,
            action: "link_workplace",
            subject: "membership",
            subject_id: membership,
            details: serde_json::json!({ "workplace": id, "typed": typed }),
        };
        super::audit::append(&mut tx, entry, now).await?;
        linked += 1;
    }
    tx.commit().await?;
    Ok(Added::Added { id, linked })
}

pub async fn all(pool: &Pool) -> sqlx::Result<Vec<Workplace>> {
    sqlx::query_as("SELECT id, name FROM workplaces ORDER BY name COLLATE vi, id")
        .fetch_all(pool)
        .await
}

pub async fn page(pool: &Pool, offset: i64, limit: i64) -> sqlx::Result<Vec<Workplace>> {
    sqlx::query_as("SELECT id, name FROM workplaces ORDER BY name COLLATE vi, id LIMIT ? OFFSET ?")
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

/// A registered workplace of the same name: ignoring case, spacing and
/// Unicode composition; else, if only one folds alike, ignoring accents too
/// ("Uỷ ban" and "Ủy ban", "Thanh Hoá" and "Thanh Hóa", typed without
/// accents on a phone).
pub async fn find_by_name(pool: &Pool, name: &str) -> sqlx::Result<Option<Workplace>> {
    let mut conn = pool.acquire().await?;
    find_by_name_in(&mut conn, name).await
}

/// [`find_by_name`] on a connection (inside a transaction).
async fn find_by_name_in(
    conn: &mut sqlx::SqliteConnection,
    name: &str,
) -> sqlx::Result<Option<Workplace>> {
    let exact: Option<Workplace> =
        sqlx::query_as("SELECT id, name FROM workplaces WHERE name_key = ?")
            .bind(name_key(name))
            .fetch_optional(&mut *conn)
            .await?;
    if exact.is_some() {
        return Ok(exact);
    }
    let mut alike: Vec<Workplace> =
        sqlx::query_as("SELECT id, name FROM workplaces WHERE name_fold = ? LIMIT 2")
            .bind(name_fold(name))
            .fetch_all(&mut *conn)
            .await?;
    Ok(if alike.len() == 1 { alike.pop() } else { None })
}

/// Fills the accent-folded key of workplaces that have none (registered
/// before it existed, or by hand); returns how many.
pub async fn fill_folds(pool: &Pool) -> sqlx::Result<u64> {
    let missing: Vec<Workplace> =
        sqlx::query_as("SELECT id, name FROM workplaces WHERE name_fold IS NULL")
            .fetch_all(pool)
            .await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let mut tx = super::tx::begin(pool).await?;
    for w in &missing {
        sqlx::query("UPDATE workplaces SET name_fold = ? WHERE id = ? AND name_fold IS NULL")
            .bind(name_fold(&w.name))
            .bind(w.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(missing.len() as u64)
}

/// Registered workplaces whose name holds the typed words in that order,
/// accents ignored ("so tu phap" finds "Sở Tư pháp tỉnh Nghệ An", "tu phap
/// nghe" too), in name order, `limit` at most. A scan of the indexed folded
/// keys: milliseconds at tens of thousands of workplaces.
pub async fn search(pool: &Pool, typed: &str, limit: i64) -> sqlx::Result<Vec<Workplace>> {
    let folded = name_fold(typed);
    let words: Vec<String> = folded
        .split_whitespace()
        .map(|w| {
            w.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        })
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(
        "SELECT id, name FROM workplaces WHERE name_fold LIKE ? ESCAPE '\\'
         ORDER BY name COLLATE vi, id LIMIT ?",
    )
    .bind(format!("%{}%", words.join("%")))
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Makes `user_id` an officer of the workplace; false if they were one.
pub async fn add_officer(
    conn: &mut sqlx::SqliteConnection,
    workplace_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT OR IGNORE INTO workplace_officers (workplace_id, user_id, since) VALUES (?, ?, ?)",
    )
    .bind(workplace_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `user_id` is an officer of workplace `workplace_id` (read in
/// the caller's transaction, where a change is decided).
pub async fn is_officer(
    conn: &mut sqlx::SqliteConnection,
    workplace_id: i64,
    user_id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM workplace_officers WHERE workplace_id = ? AND user_id = ?)",
    )
    .bind(workplace_id)
    .bind(user_id)
    .fetch_one(conn)
    .await
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
pub async fn officers<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    workplace_id: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT user_id FROM workplace_officers WHERE workplace_id = ? ORDER BY since, user_id",
    )
    .bind(workplace_id)
    .fetch_all(db)
    .await
}

/// An officer and one of their workplaces, for the officers' monthly
/// digest.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfficerOf {
    pub user_id: i64,
    pub language: Option<String>,
    pub workplace_id: i64,
    pub workplace_name: String,
}

/// Every officer with each of their workplaces, by officer (then by
/// workplace name): the readers of the officers' digest.
pub async fn digest_readers(pool: &Pool) -> sqlx::Result<Vec<OfficerOf>> {
    // Not one who erased their data and has not come back since: the
    // digest names the workplace's members, as its signed sheets do.
    sqlx::query_as(concat!(
        "SELECT o.user_id, u.language, w.id AS workplace_id, w.name AS workplace_name
         FROM workplace_officers o
         JOIN workplaces w ON w.id = o.workplace_id
         JOIN users u ON u.id = o.user_id
         WHERE NOT ",
        erased_and_away!("o.user_id"),
        " ORDER BY o.user_id, w.name COLLATE vi, w.id"
    ))
    .fetch_all(pool)
    .await
}

/// Every workplace's officers, for the operator's list: (workplace, user
/// id, name), by workplace and user.
pub async fn officer_names(pool: &Pool) -> sqlx::Result<Vec<(i64, i64, String)>> {
    sqlx::query_as(
        "SELECT o.workplace_id, u.id, COALESCE(u.full_name, u.tg_name)
         FROM workplace_officers o JOIN users u ON u.id = o.user_id
         ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
}
