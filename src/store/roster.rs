//! The workplace's roster: uploads waiting for Import or Cancel, and the
//! imported roster, replaced as a whole.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::Pool;
use std::collections::{HashMap, HashSet};

use crate::domain::roster::{
    Introduced, MatchedBy, Registered, RosterRow, match_key, match_rows, normalize_phone,
};

/// How long an upload waits for Import.
pub const UPLOAD_TTL_HOURS: i64 = 24;
/// The previews an officer's uploads keep waiting for Import: the latest
/// ones (one per workplace of an officer of several, a file corrected
/// twice); an older one is dropped when a newer file comes.
pub const PENDING_PER_OFFICER: i64 = 3;

/// An uploaded roster waiting for Import or Cancel.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: i64,
    pub officer_id: Option<i64>,
    pub workplace_id: i64,
    pub rows: Vec<RosterRow>,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// What Import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The roster of the workplace is now these rows.
    Imported { rows: usize, workplace_id: i64 },
    /// A press before this one imported it.
    AlreadyImported,
    /// Cancelled, expired or never existed.
    Gone,
    /// Dropped for the newer files the presser sent after it
    /// ([`PENDING_PER_OFFICER`]).
    Replaced,
    /// A roster sent after this one was imported meanwhile.
    Superseded,
    /// Not the presser's upload, or they are no longer the workplace's
    /// officer.
    NotAllowed,
}

/// What Cancel did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    Cancelled,
    AlreadyImported,
    Gone,
    NotAllowed,
}

/// (membership, name, phone, cell, workplace).
type RegisteredRow = (i64, String, Option<String>, String, Option<i64>);
/// (id, officer, workplace, rows as JSON, status, created).
type UploadRow = (i64, Option<i64>, i64, String, String, DateTime<Utc>);
/// (officer, workplace, rows as JSON, status, created).
type ImportRow = (Option<i64>, i64, String, String, DateTime<Utc>);

const REGISTERED_QUERY: &str = "SELECT m.id, m.full_name, m.phone, c.name, m.workplace_id
     FROM memberships m JOIN cells c ON c.id = m.cell_id
     WHERE m.status = 'approved' ORDER BY m.id";

fn registered_of(
    (membership_id, full_name, phone, cell_name, workplace_id): RegisteredRow,
) -> Registered {
    Registered {
        membership_id,
        full_name,
        phone,
        cell_name,
        workplace_id,
    }
}

/// Every approved membership, for matching roster rows.
pub async fn registered<'e>(db: impl sqlx::SqliteExecutor<'e>) -> sqlx::Result<Vec<Registered>> {
    let rows: Vec<RegisteredRow> = sqlx::query_as(REGISTERED_QUERY).fetch_all(db).await?;
    Ok(rows.into_iter().map(registered_of).collect())
}

/// The approved memberships that could match one of `rows` (the same
/// normalised phone or the same name key): what [`match_rows`] needs for
/// those rows, read as a stream so that only the candidates are kept.
async fn candidates<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    rows: &[RosterRow],
) -> sqlx::Result<Vec<Registered>> {
    use futures::TryStreamExt;
    let phones: HashSet<&str> = rows.iter().filter_map(|r| r.phone.as_deref()).collect();
    let keys: HashSet<&str> = rows.iter().map(|r| r.name_key.as_str()).collect();
    let mut out = Vec::new();
    let mut stream = sqlx::query_as::<_, RegisteredRow>(REGISTERED_QUERY).fetch(db);
    while let Some(row) = stream.try_next().await? {
        let phone_matches = row
            .2
            .as_deref()
            .and_then(normalize_phone)
            .is_some_and(|p| phones.contains(p.as_str()));
        if phone_matches || keys.contains(match_key(&row.1).as_str()) {
            out.push(registered_of(row));
        }
    }
    Ok(out)
}

/// A person of a workplace's roster introduced before a cut-off and still
/// in no residence cell: the officers' digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StillUnregistered {
    pub workplace_id: i64,
    pub full_name: String,
    pub introduced_at: DateTime<Utc>,
}

/// The people on any workplace's roster whose latest introduction was made
/// before `introduced_before` and who still match no approved membership
/// (`match_rows`' rules), by workplace and roster order: the officers'
/// digest reads them once per round. One pass over the introductions, the
/// rosters and the approved memberships, keeping only what concerns the
/// people introduced.
pub async fn unregistered_after_introduction(
    pool: &Pool,
    introduced_before: DateTime<Utc>,
) -> sqlx::Result<Vec<StillUnregistered>> {
    use futures::TryStreamExt;
    // The latest introduction of each person: by phone, or by name where
    // neither has a phone (`introductions::introduced_on`); a link the
    // workplace withdrew introduced nobody.
    let latest: Vec<(i64, Option<String>, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT workplace_id, phone, name_key, MAX(created_at) FROM introductions
         WHERE revoked_at IS NULL
         GROUP BY workplace_id, phone, CASE WHEN phone IS NULL THEN name_key END",
    )
    .fetch_all(pool)
    .await?;
    if latest.is_empty() {
        return Ok(Vec::new());
    }
    let joined = joined_through_introduction(pool, None).await?;
    let mut by_phone: HashMap<(i64, String), DateTime<Utc>> = HashMap::new();
    let mut by_name: HashMap<(i64, String), DateTime<Utc>> = HashMap::new();
    for (workplace, phone, name_key, at) in latest {
        match phone {
            Some(phone) => by_phone.insert((workplace, phone), at),
            None => by_name.insert((workplace, name_key), at),
        };
    }
    type EntryRow = (
        i64,
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        i64,
    );
    let mut waiting: Vec<(Entry, i64, DateTime<Utc>)> = Vec::new();
    let mut entries = sqlx::query_as::<_, EntryRow>(
        "SELECT id, line, full_name, name_key, phone, position, birth_date, workplace_id
         FROM roster_entries ORDER BY workplace_id, line, id",
    )
    .fetch(pool);
    while let Some((id, line, full_name, name_key, phone, position, birth_date, workplace)) =
        entries.try_next().await?
    {
        let at = match &phone {
            Some(phone) => by_phone.get(&(workplace, phone.clone())),
            None => by_name.get(&(workplace, name_key.clone())),
        };
        let joined = joined.contains(&person_key(workplace, &phone, &name_key));
        if let Some(at) = at.filter(|at| **at < introduced_before && !joined) {
            let entry = Entry {
                id,
                line,
                full_name,
                name_key,
                phone,
                position,
                birth_date,
            };
            waiting.push((entry, workplace, *at));
        }
    }
    drop(entries);
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<RosterRow> = waiting.iter().map(|(e, _, _)| e.row()).collect();
    let members = candidates(pool, &rows).await?;
    // Matched a workplace at a time (its own members come first).
    let mut matched = Vec::with_capacity(rows.len());
    for group in waiting.chunk_by(|a, b| a.1 == b.1) {
        let start = matched.len();
        matched.extend(match_rows(
            &rows[start..start + group.len()],
            &members,
            group[0].1,
        ));
    }
    Ok(waiting
        .into_iter()
        .zip(matched)
        .filter(|(_, m)| m.is_none())
        .map(
            |((entry, workplace_id, introduced_at), _)| StillUnregistered {
                workplace_id,
                full_name: entry.full_name,
                introduced_at,
            },
        )
        .collect())
}

/// Stores a parsed roster until Import or Cancel; drops uploads older than
/// a day, and the officer's pending uploads older than their latest
/// [`PENDING_PER_OFFICER`], on the way. Returns the upload's id.
pub async fn create_upload(
    pool: &Pool,
    officer_id: Option<i64>,
    workplace_id: i64,
    rows: &[RosterRow],
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let mut tx = super::tx::begin(pool).await?;
    let id = insert_upload(&mut tx, officer_id, workplace_id, rows, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create_upload`] for an officer in chat: their role at the workplace
/// is read again in the transaction (taken away while the file was read,
/// nothing is stored and `None` comes back: no preview for them).
pub async fn create_officer_upload(
    pool: &Pool,
    officer_id: i64,
    workplace_id: i64,
    rows: &[RosterRow],
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let mut tx = super::tx::begin(pool).await?;
    if !super::workplaces::is_officer(&mut tx, workplace_id, officer_id).await? {
        return Ok(None);
    }
    let id = insert_upload(&mut tx, Some(officer_id), workplace_id, rows, now).await?;
    tx.commit().await?;
    Ok(Some(id))
}

async fn insert_upload(
    tx: &mut super::tx::Tx,
    officer_id: Option<i64>,
    workplace_id: i64,
    rows: &[RosterRow],
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let json = serde_json::to_string(rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("DELETE FROM roster_uploads WHERE status = 'pending' AND created_at < ?")
        .bind(now - Duration::hours(UPLOAD_TTL_HOURS))
        .execute(&mut **tx)
        .await?;
    let id: i64 = sqlx::query_scalar(concat!(
        "INSERT INTO roster_uploads (id, token, officer_id, workplace_id, rows_json, row_count,
                                     created_at)
         VALUES (",
        next_id!("roster_uploads"),
        ", ?, ?, ?, ?, ?, ?) RETURNING id"
    ))
    .bind(crate::domain::invite::new_code())
    .bind(officer_id)
    .bind(workplace_id)
    .bind(json)
    .bind(rows.len() as i64)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if officer_id.is_some() {
        sqlx::query(
            "DELETE FROM roster_uploads
             WHERE officer_id = ? AND status = 'pending' AND id NOT IN
                   (SELECT id FROM roster_uploads WHERE officer_id = ? AND status = 'pending'
                    ORDER BY id DESC LIMIT ?)",
        )
        .bind(officer_id)
        .bind(officer_id)
        .bind(PENDING_PER_OFFICER)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

pub async fn upload(pool: &Pool, id: i64) -> sqlx::Result<Option<Upload>> {
    let row: Option<UploadRow> = sqlx::query_as(
        "SELECT id, officer_id, workplace_id, rows_json, status, created_at
         FROM roster_uploads WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(id, officer_id, workplace_id, json, status, created_at)| Upload {
            id,
            officer_id,
            workplace_id,
            rows: serde_json::from_str(&json).unwrap_or_default(),
            status,
            created_at,
        },
    ))
}

/// Imports an upload: the workplace's roster becomes its rows, in one
/// audited transaction, once. `by` is the officer pressing Import (checked:
/// the one who uploaded, still an officer of the workplace), `None` for the
/// operator's command.
pub async fn import(
    pool: &Pool,
    upload_id: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<ImportOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let row: Option<ImportRow> = sqlx::query_as(
        "SELECT officer_id, workplace_id, rows_json, status, created_at
         FROM roster_uploads WHERE id = ?",
    )
    .bind(upload_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((officer, workplace_id, json, status, created_at)) = row else {
        // Dropped for newer files of the presser's, or cancelled, expired.
        let newer: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM roster_uploads
                            WHERE officer_id = ? AND status = 'pending' AND id > ?)",
        )
        .bind(by)
        .bind(upload_id)
        .fetch_one(&mut *tx)
        .await?;
        return Ok(if by.is_some() && newer {
            ImportOutcome::Replaced
        } else {
            ImportOutcome::Gone
        });
    };
    if let Some(user) = by {
        let officer_now = super::workplaces::is_officer(&mut tx, workplace_id, user).await?;
        if officer != Some(user) || !officer_now {
            return Ok(ImportOutcome::NotAllowed);
        }
    }
    if status == "imported" {
        return Ok(ImportOutcome::AlreadyImported);
    }
    if created_at < now - Duration::hours(UPLOAD_TTL_HOURS) {
        return Ok(ImportOutcome::Gone);
    }
    // A preview older than the roster imported since would bring back an
    // older list.
    let superseded: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM roster_uploads
                        WHERE workplace_id = ? AND status = 'imported' AND id > ?)",
    )
    .bind(workplace_id)
    .bind(upload_id)
    .fetch_one(&mut *tx)
    .await?;
    if superseded {
        return Ok(ImportOutcome::Superseded);
    }
    let rows: Vec<RosterRow> =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let done = sqlx::query(
        "UPDATE roster_uploads SET status = 'imported', imported_at = ?, rows_json = '[]'
         WHERE id = ? AND status = 'pending'",
    )
    .bind(now)
    .bind(upload_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(ImportOutcome::AlreadyImported);
    }
    let replaced = sqlx::query("DELETE FROM roster_entries WHERE workplace_id = ?")
        .bind(workplace_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    for row in &rows {
        sqlx::query(
            "INSERT INTO roster_entries
             (workplace_id, line, full_name, name_key, phone, position, birth_date, imported_at, upload_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(workplace_id)
        .bind(i64::from(row.line))
        .bind(&row.full_name)
        .bind(&row.name_key)
        .bind(&row.phone)
        .bind(&row.position)
        .bind(row.birth_date)
        .bind(now)
        .bind(upload_id)
        .execute(&mut *tx)
        .await?;
    }
    let entry = super::audit::Entry {
        actor: by,
        action: "import",
        subject: "roster",
        subject_id: workplace_id,
        details: serde_json::json!({
            "upload": upload_id,
            "rows": rows.len(),
            "replaced": replaced,
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        rows: rows.len(),
        workplace_id,
    })
}

/// Cancel: the upload is deleted, nothing else changes.
pub async fn cancel(pool: &Pool, upload_id: i64, by: i64) -> sqlx::Result<CancelOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let row: Option<(Option<i64>, i64, String)> =
        sqlx::query_as("SELECT officer_id, workplace_id, status FROM roster_uploads WHERE id = ?")
            .bind(upload_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((officer, workplace_id, status)) = row else {
        return Ok(CancelOutcome::Gone);
    };
    let officer_now = super::workplaces::is_officer(&mut tx, workplace_id, by).await?;
    if officer != Some(by) || !officer_now {
        return Ok(CancelOutcome::NotAllowed);
    }
    if status == "imported" {
        return Ok(CancelOutcome::AlreadyImported);
    }
    sqlx::query("DELETE FROM roster_uploads WHERE id = ? AND status = 'pending'")
        .bind(upload_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(CancelOutcome::Cancelled)
}

/// A person on a workplace's roster.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub line: i64,
    pub full_name: String,
    pub name_key: String,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

impl Entry {
    /// The entry as a roster row, for matching.
    pub fn row(&self) -> RosterRow {
        RosterRow {
            line: u32::try_from(self.line).unwrap_or(0),
            full_name: self.full_name.clone(),
            name_key: self.name_key.clone(),
            phone: self.phone.clone(),
            position: self.position.clone(),
            birth_date: self.birth_date,
        }
    }
}

/// Whether a person (name key and normalised phone) of a workplace's
/// roster matches an approved membership now (`match_rows`' rules, among
/// the roster's people of the same name: a namesake's registration is not
/// theirs).
pub async fn is_registered(
    conn: &mut sqlx::SqliteConnection,
    workplace_id: i64,
    full_name: &str,
    name_key: &str,
    phone: Option<&str>,
) -> sqlx::Result<bool> {
    let row = RosterRow {
        line: 0,
        full_name: full_name.to_string(),
        name_key: name_key.to_string(),
        phone: phone.map(str::to_string),
        position: None,
        birth_date: None,
    };
    let namesakes: Vec<Entry> = sqlx::query_as(
        "SELECT id, line, full_name, name_key, phone, position, birth_date
         FROM roster_entries WHERE workplace_id = ? AND name_key = ?",
    )
    .bind(workplace_id)
    .bind(name_key)
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<RosterRow> = std::iter::once(row)
        .chain(namesakes.iter().map(Entry::row))
        .collect();
    // Only the memberships of the same phone or name are kept in memory.
    let members = candidates(&mut *conn, &rows).await?;
    Ok(match_rows(&rows, &members, workplace_id)[0].is_some())
}

/// The workplace's roster, in file order.
pub async fn entries(pool: &Pool, workplace_id: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as(
        "SELECT id, line, full_name, name_key, phone, position, birth_date
         FROM roster_entries WHERE workplace_id = ? ORDER BY line, id",
    )
    .bind(workplace_id)
    .fetch_all(pool)
    .await
}

/// How many people on the workplace's roster bear the name `name_key`
/// (folded: `domain::membership::name_key`).
pub async fn count_named(pool: &Pool, workplace_id: i64, name_key: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM roster_entries WHERE workplace_id = ? AND name_key = ?",
    )
    .bind(workplace_id)
    .bind(name_key)
    .fetch_one(pool)
    .await
}

/// The people on the workplace's roster who match no approved membership
/// (by phone, then by name: `domain::roster::match_rows`).
pub async fn unregistered(pool: &Pool, workplace_id: i64) -> sqlx::Result<Vec<Entry>> {
    Ok(matched(pool, workplace_id)
        .await?
        .into_iter()
        .filter(|(_, m)| m.is_none())
        .map(|(e, _)| e)
        .collect())
}

/// The people on the workplace's roster registered in a residence cell
/// with another workplace declared (or a workplace's name typed), matched
/// by phone (a name alone may be anybody's, anywhere): the workplace's
/// lists, which follow the declared workplace, miss them.
pub async fn registered_elsewhere(
    pool: &Pool,
    workplace_id: i64,
) -> sqlx::Result<Vec<(Entry, Registered)>> {
    Ok(matched(pool, workplace_id)
        .await?
        .into_iter()
        .filter_map(|(e, m)| match m {
            Some((m, MatchedBy::Phone)) if m.workplace_id != Some(workplace_id) => Some((e, m)),
            _ => None,
        })
        .collect())
}

/// [`unregistered`] and [`registered_elsewhere`] together, the roster
/// matched once.
pub async fn not_registered_here(
    pool: &Pool,
    workplace_id: i64,
) -> sqlx::Result<(Vec<Entry>, Vec<(Entry, Registered)>)> {
    let mut nowhere = Vec::new();
    let mut elsewhere = Vec::new();
    for (e, m) in matched(pool, workplace_id).await? {
        match m {
            None => nowhere.push(e),
            Some((m, MatchedBy::Phone)) if m.workplace_id != Some(workplace_id) => {
                elsewhere.push((e, m));
            }
            Some(_) => {}
        }
    }
    Ok((nowhere, elsewhere))
}

/// The workplace's roster (less those who joined through its
/// introductions), each with the approved membership it matches.
async fn matched(
    pool: &Pool,
    workplace_id: i64,
) -> sqlx::Result<Vec<(Entry, Option<(Registered, MatchedBy)>)>> {
    let entries = entries(pool, workplace_id).await?;
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let joined = joined_through_introduction(pool, Some(workplace_id)).await?;
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter(|e| !joined.contains(&person_key(workplace_id, &e.phone, &e.name_key)))
        .collect();
    let rows: Vec<RosterRow> = entries.iter().map(Entry::row).collect();
    // Only the memberships of the roster's phones and names are kept.
    let members = candidates(pool, &rows).await?;
    let matches = match_rows(&rows, &members, workplace_id);
    Ok(entries
        .into_iter()
        .zip(matches)
        .map(|(e, m)| (e, m.map(|(i, by)| (members[i].clone(), by))))
        .collect())
}

/// A person of a workplace's roster as introductions tell people apart:
/// by phone, or by name where there is no phone.
fn person_key(workplace_id: i64, phone: &Option<String>, name_key: &str) -> (i64, String) {
    (
        workplace_id,
        crate::domain::roster::person_key(phone.as_deref(), name_key),
    )
}

/// The people of `workplace_id`'s roster who joined a cell through its
/// introductions and are an approved member now, with that membership: a
/// roster previewed counts them registered, as `/status` does
/// ([`joined_through_introduction`]).
pub async fn introduced_members(pool: &Pool, workplace_id: i64) -> sqlx::Result<Vec<Introduced>> {
    let rows: Vec<(Option<String>, String, i64)> = sqlx::query_as(
        "SELECT i.phone, i.name_key, a.id
         FROM introductions i JOIN memberships m ON m.id = i.membership_id
         JOIN memberships a ON a.user_id = m.user_id AND a.status = 'approved'
         WHERE i.workplace_id = ?
         ORDER BY a.id",
    )
    .bind(workplace_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(phone, name_key, membership_id)| Introduced {
            key: crate::domain::roster::person_key(phone.as_deref(), &name_key),
            membership_id,
        })
        .collect())
}

/// The people (see [`person_key`]) who joined a cell through an
/// introduction of their workplace and are an approved member now (of that
/// cell, or of the one they moved to): registered, whatever name or phone
/// they gave when joining. Of one
/// workplace, or of all.
async fn joined_through_introduction(
    pool: &Pool,
    workplace_id: Option<i64>,
) -> sqlx::Result<HashSet<(i64, String)>> {
    let rows: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT i.workplace_id, i.phone, i.name_key
         FROM introductions i JOIN memberships m ON m.id = i.membership_id
         WHERE (?1 IS NULL OR i.workplace_id = ?1)
           AND EXISTS (SELECT 1 FROM memberships a
                       WHERE a.user_id = m.user_id AND a.status = 'approved')",
    )
    .bind(workplace_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|(workplace, phone, name_key)| person_key(*workplace, phone, name_key))
        .collect())
}
