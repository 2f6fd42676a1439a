//! The append-only audit log: every decision, each entry carrying the hash
//! of the one before, so that any later change breaks the chain.

use chrono::{DateTime, Utc};

use super::{Pool, tx::Batch};
use crate::domain::sheet::sha256_hex;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry says.
pub struct Entry<'a> {
    pub actor: Option<i64>,
    pub action: &'a str,
    pub subject: &'a str,
    pub subject_id: i64,
    pub details: serde_json::Value,
}

fn entry_hash(
    prev: &str,
    at: &str,
    actor: Option<i64>,
    action: &str,
    subject: &str,
    subject_id: i64,
    details: &str,
) -> String {
    let actor = actor.map(|a| a.to_string()).unwrap_or_default();
    sha256_hex(&format!(
        "{prev}\n{at}\n{actor}\n{action}\n{subject}\n{subject_id}\n{details}"
    ))
}

/// Appends an entry inside the caller's transaction (which should have
/// been opened with `BEGIN IMMEDIATE`, so the chain has one writer).
/// Returns the entry's hash.
pub async fn append(
    conn: &mut sqlx::SqliteConnection,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<String> {
    let head: Option<String> = sqlx::query_scalar(HEAD).fetch_optional(&mut *conn).await?;
    let mut batch = Batch::default();
    let hash = push_after(&mut batch, head, entry, now);
    batch.run_on(conn).await?;
    Ok(hash)
}

/// The hash of the chain's latest entry (no row when the log is empty); a
/// statement that reads it with other things can use it as a subquery.
pub const HEAD: &str = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";

/// [`append`] as a statement of `batch`, sent with it, where the caller
/// read the chain's `head` ([`HEAD`]) in the same transaction; returns the
/// entry's hash (the next entry's head).
pub fn push_after(
    batch: &mut Batch,
    head: Option<String>,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> String {
    let prev = head.unwrap_or_else(|| GENESIS.to_string());
    let at = now.to_rfc3339();
    let details = entry.details.to_string();
    let hash = entry_hash(
        &prev,
        &at,
        entry.actor,
        entry.action,
        entry.subject,
        entry.subject_id,
        &details,
    );
    batch
        .push(
            "INSERT INTO audit_log (at, actor, action, subject, subject_id, details, prev_hash, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(at)
        .bind(entry.actor)
        .bind(entry.action.to_owned())
        .bind(entry.subject.to_owned())
        .bind(entry.subject_id)
        .bind(details)
        .bind(prev)
        .bind(hash.clone());
    hash
}

/// The hash of the latest entry about a subject with this action.
pub async fn latest_hash(
    pool: &Pool,
    subject: &str,
    subject_id: i64,
    action: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT hash FROM audit_log WHERE subject = ? AND subject_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(subject)
    .bind(subject_id)
    .bind(action)
    .fetch_optional(pool)
    .await
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    Intact { entries: u64 },
    Broken { entry_id: i64, reason: &'static str },
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: String,
    actor: Option<i64>,
    action: String,
    subject: String,
    subject_id: i64,
    details: String,
    prev_hash: String,
    hash: String,
}

/// Walks the whole log and recomputes every hash.
pub async fn verify(pool: &Pool) -> sqlx::Result<ChainCheck> {
    use futures::TryStreamExt;
    let mut rows = sqlx::query_as::<_, Row>(
        "SELECT id, at, actor, action, subject, subject_id, details, prev_hash, hash FROM audit_log ORDER BY id",
    )
    .fetch(pool);
    let mut prev = GENESIS.to_string();
    let mut entries = 0;
    while let Some(row) = rows.try_next().await? {
        if row.prev_hash != prev {
            return Ok(ChainCheck::Broken {
                entry_id: row.id,
                reason: "does not follow the previous entry",
            });
        }
        let hash = entry_hash(
            &row.prev_hash,
            &row.at,
            row.actor,
            &row.action,
            &row.subject,
            row.subject_id,
            &row.details,
        );
        if hash != row.hash {
            return Ok(ChainCheck::Broken {
                entry_id: row.id,
                reason: "its content was changed",
            });
        }
        prev = row.hash;
        entries += 1;
    }
    Ok(ChainCheck::Intact { entries })
}
