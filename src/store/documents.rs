//! Documents sent through the outbox: rendered once, uploaded once, then
//! resent by Telegram's file id.

use super::Pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Document {
    pub id: i64,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub file_id: Option<String>,
}

/// A signed sheet's documents (the DOCX, then the PDF), as stored when its
/// deliveries were queued (the first two: their copies under a name in
/// another language, [`named_copy`], come after).
pub async fn of_sheet(pool: &Pool, sheet_id: i64) -> sqlx::Result<Vec<Document>> {
    sqlx::query_as(
        "SELECT id, file_name, bytes, file_id FROM documents WHERE sheet_id = ? ORDER BY id
         LIMIT 2",
    )
    .bind(sheet_id)
    .fetch_all(pool)
    .await
}

pub async fn get(pool: &Pool, id: i64) -> sqlx::Result<Option<Document>> {
    sqlx::query_as("SELECT id, file_name, bytes, file_id FROM documents WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Stores a document inside the caller's transaction; returns its id.
pub async fn add(
    conn: &mut sqlx::SqliteConnection,
    sheet_id: i64,
    file_name: &str,
    bytes: &[u8],
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO documents (sheet_id, file_name, bytes, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (sheet_id, file_name) DO UPDATE SET file_name = excluded.file_name
         RETURNING id",
    )
    .bind(sheet_id)
    .bind(file_name)
    .bind(bytes)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Document `id` under another file name (its name in a reader's
/// language): the copy made the first time, the same row afterwards, with
/// the file id Telegram gave it once uploaded. `None` if `id` is gone.
pub async fn named_copy(pool: &Pool, id: i64, file_name: &str) -> sqlx::Result<Option<Document>> {
    sqlx::query_as(
        "INSERT INTO documents (sheet_id, file_name, bytes, created_at)
         SELECT sheet_id, ?, bytes, created_at FROM documents WHERE id = ?
         ON CONFLICT (sheet_id, file_name) DO UPDATE SET file_name = excluded.file_name
         RETURNING id, file_name, bytes, file_id",
    )
    .bind(file_name)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Remembers Telegram's file id after an upload: the first one (`stale`
/// `None`), or the one that replaced `stale`, a file id Telegram no longer
/// knew (kept if another send recorded a fresh one meanwhile).
pub async fn set_file_id(
    pool: &Pool,
    id: i64,
    file_id: &str,
    stale: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE documents SET file_id = ? WHERE id = ? AND file_id IS ?")
        .bind(file_id)
        .bind(id)
        .bind(stale)
        .execute(pool)
        .await?;
    Ok(())
}
