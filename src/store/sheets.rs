//! Comment sheets: one per member and year.

use chrono::{DateTime, Utc};

use super::Pool;
use crate::domain::sheet::{Levels, SheetState};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Sheet {
    pub id: i64,
    pub membership_id: i64,
    pub year: i64,
    pub state: String,
    pub criteria: String,
    pub remarks: String,
    pub sent_to_member_at: Option<DateTime<Utc>>,
    pub member_answer: Option<String>,
    pub member_response: Option<String>,
    pub member_answered_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<i64>,
    pub content: Option<String>,
    pub content_hash: Option<String>,
    pub code: Option<String>,
}

impl Sheet {
    pub fn state(&self) -> SheetState {
        SheetState::parse(&self.state)
    }

    pub fn levels(&self) -> Levels {
        serde_json::from_str(&self.criteria).unwrap_or([None; 6])
    }
}

macro_rules! sheet_select {
    () => {
        "SELECT id, membership_id, year, state, criteria, remarks, sent_to_member_at, member_answer,
                member_response, member_answered_at, signed_at, signed_by, content, content_hash, code
         FROM sheets"
    };
}

pub async fn get(pool: &Pool, id: i64) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(sheet_select!(), " WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn for_member(pool: &Pool, membership_id: i64, year: i32) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(
        sheet_select!(),
        " WHERE membership_id = ? AND year = ?"
    ))
    .bind(membership_id)
    .bind(year)
    .fetch_optional(pool)
    .await
}

pub async fn by_code(pool: &Pool, code: &str) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(sheet_select!(), " WHERE code = ?"))
        .bind(code)
        .fetch_optional(pool)
        .await
}

/// The member's sheet of the year, created as a draft with `suggested`
/// levels if there is none.
pub async fn open_draft(
    pool: &Pool,
    membership_id: i64,
    year: i32,
    suggested: &Levels,
    now: DateTime<Utc>,
) -> sqlx::Result<Sheet> {
    sqlx::query(
        "INSERT INTO sheets (membership_id, year, state, criteria, created_at, updated_at)
         VALUES (?, ?, 'draft', ?, ?, ?) ON CONFLICT (membership_id, year) DO NOTHING",
    )
    .bind(membership_id)
    .bind(year)
    .bind(serde_json::to_string(suggested).unwrap_or_else(|_| "[]".into()))
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(for_member(pool, membership_id, year)
        .await?
        .expect("just created"))
}

/// Sets one criterion of a draft; false if the sheet is no longer a draft.
pub async fn set_level(
    pool: &Pool,
    id: i64,
    levels: &Levels,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sheets SET criteria = ?, updated_at = ? WHERE id = ? AND state = 'draft'",
    )
    .bind(serde_json::to_string(levels).unwrap_or_default())
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_remarks(
    pool: &Pool,
    id: i64,
    remarks: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sheets SET remarks = ?, updated_at = ? WHERE id = ? AND state = 'draft'",
    )
    .bind(remarks)
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Draft → with the member.
pub async fn send_to_member(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sheets SET state = 'with_member', sent_to_member_at = ?, member_answer = NULL,
                member_response = NULL, member_answered_at = NULL, updated_at = ?
         WHERE id = ? AND state = 'draft'",
    )
    .bind(now)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// With the member → draft again (the secretary wants to change it).
pub async fn reopen(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sheets SET state = 'draft', updated_at = ? WHERE id = ? AND state = 'with_member'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The member accepts or responds; only once per sending.
pub async fn member_answers(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    answer: &str,
    response: Option<&str>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sheets SET member_answer = ?, member_response = ?, member_answered_at = ?, updated_at = ?
         WHERE id = ? AND state = 'with_member' AND member_answer IS NULL",
    )
    .bind(answer)
    .bind(response)
    .bind(now)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct Signature<'a> {
    pub by: i64,
    pub content: &'a str,
    pub content_hash: &'a str,
    pub code: &'a str,
}

/// Freezes the sheet; false if it was not waiting for a signature.
pub async fn sign(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    sig: Signature<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sheets SET state = 'signed', signed_at = ?, signed_by = ?, content = ?, content_hash = ?,
                code = ?, updated_at = ?
         WHERE id = ? AND state = 'with_member'",
    )
    .bind(now)
    .bind(sig.by)
    .bind(sig.content)
    .bind(sig.content_hash)
    .bind(sig.code)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
