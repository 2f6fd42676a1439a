//! /cells import: the cell names a ward administrator uploaded, kept
//! between the preview and the Import (or Cancel) press, then added in
//! one audited transaction, once.

use chrono::{DateTime, Utc};

use super::Pool;

/// The lists an administrator's uploads keep waiting for Import: the
/// latest ones; an older one is cancelled (its names dropped) when a newer
/// file comes.
pub const PENDING_PER_USER: i64 = 3;

/// Stores the names to add (with their line) for the uploader, cancelling
/// the uploader's pending lists older than their latest
/// [`PENDING_PER_USER`]; returns the upload's id, or `None` if the
/// uploader no longer administers the ward (nothing stored).
pub async fn create(
    pool: &Pool,
    ward_id: i64,
    user_id: i64,
    names: &[(u32, String)],
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let json = serde_json::to_string(names).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = super::tx::begin(pool).await?;
    // The role read again: taken away while the file was read, nothing
    // stored (and no preview).
    if !super::wards::is_admin(&mut *tx, ward_id, user_id).await? {
        return Ok(None);
    }
    let id = sqlx::query_scalar(concat!(
        "INSERT INTO cell_imports (id, ward_id, user_id, names, created_at)
         VALUES (",
        next_id!("cell_imports"),
        ", ?, ?, ?, ?) RETURNING id"
    ))
    .bind(ward_id)
    .bind(user_id)
    .bind(json)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE cell_imports SET status = 'cancelled', names = '[]', decided_at = ?
         WHERE user_id = ? AND status = 'pending' AND id NOT IN
               (SELECT id FROM cell_imports WHERE user_id = ? AND status = 'pending'
                ORDER BY id DESC LIMIT ?)",
    )
    .bind(now)
    .bind(user_id)
    .bind(user_id)
    .bind(PENDING_PER_USER)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// What pressing Import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The cells added, and the names skipped because the ward has them
    /// by now.
    Imported {
        ward_id: i64,
        added: Vec<String>,
        skipped: Vec<String>,
    },
    AlreadyImported,
    /// Cancelled, or unknown.
    Gone,
    /// Not the uploader, or not (any more) an administrator of the ward.
    NotAllowed,
}

async fn row(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
) -> sqlx::Result<Option<(i64, i64, String, String)>> {
    sqlx::query_as("SELECT ward_id, user_id, names, status FROM cell_imports WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Import: the upload's names become cells of its ward, once, if `by` is
/// the uploader and still administers the ward. Audited.
pub async fn import(
    pool: &Pool,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<ImportOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let Some((ward_id, uploader, names, status)) = row(&mut tx, id).await? else {
        return Ok(ImportOutcome::Gone);
    };
    if uploader != by || !super::wards::is_admin(&mut *tx, ward_id, by).await? {
        return Ok(ImportOutcome::NotAllowed);
    }
    match status.as_str() {
        "pending" => {}
        "imported" => return Ok(ImportOutcome::AlreadyImported),
        _ => return Ok(ImportOutcome::Gone),
    }
    let done = sqlx::query(
        "UPDATE cell_imports SET status = 'imported', decided_at = ?
         WHERE id = ? AND status = 'pending'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(ImportOutcome::AlreadyImported);
    }
    let names: Vec<(u32, String)> =
        serde_json::from_str(&names).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let names: Vec<String> = names.into_iter().map(|(_, n)| n).collect();
    let (added, skipped) = super::cells::add_many(&mut tx, ward_id, &names, now).await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "import_cells",
        subject: "ward",
        subject_id: ward_id,
        details: serde_json::json!({
            "upload": id,
            "added": added,
            "skipped": skipped,
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        ward_id,
        added,
        skipped,
    })
}

/// What pressing Cancel did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    Cancelled,
    AlreadyImported,
    Gone,
    NotAllowed,
}

/// Cancel: nothing is added; the upload is marked cancelled.
pub async fn cancel(
    pool: &Pool,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<CancelOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let Some((ward_id, uploader, _, status)) = row(&mut tx, id).await? else {
        return Ok(CancelOutcome::Gone);
    };
    if uploader != by || !super::wards::is_admin(&mut *tx, ward_id, by).await? {
        return Ok(CancelOutcome::NotAllowed);
    }
    match status.as_str() {
        "pending" => {}
        "imported" => return Ok(CancelOutcome::AlreadyImported),
        _ => return Ok(CancelOutcome::Gone),
    }
    sqlx::query(
        "UPDATE cell_imports SET status = 'cancelled', decided_at = ?
         WHERE id = ? AND status = 'pending'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(CancelOutcome::Cancelled)
}

/// The ward a list of cell names was sent for, if it is there.
pub async fn ward_of(pool: &Pool, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT ward_id FROM cell_imports WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}
