//! Comment sheets: one per member and year.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{
    Pool,
    audit::{self, Entry},
    outbox::{self, Notice, Recipient},
};
use crate::domain::sheet::{Levels, SheetState, SignBlock};

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
    pub updated_at: DateTime<Utc>,
    /// The request this sheet answers (`comment_requests.id`); `None` for
    /// the member's sheet of a year.
    pub request_id: Option<i64>,
    /// How many workplace officers the signed sheet was queued to (`None`:
    /// not yet, or signed before this was kept).
    pub delivered_officers: Option<i64>,
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
                member_response, member_answered_at, signed_at, signed_by, content, content_hash, code,
                updated_at, request_id, delivered_officers
         FROM sheets"
    };
}

/// A sheet step's condition: not the sheet of a request its workplace
/// withdrew (the sheet stays, for the record, but can no longer be
/// edited, sent, answered or signed).
macro_rules! not_withdrawn {
    () => {
        " AND NOT EXISTS (SELECT 1 FROM comment_requests r
                          WHERE r.id = sheets.request_id AND r.state = 'cancelled')"
    };
}

/// Whether sheet `id` was made once and is gone: deleted unsigned when its
/// member moved, left the cell or erased their data (ids are never used
/// twice: `retired_ids`).
pub async fn gone(pool: &Pool, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT ?1 > 0 AND NOT EXISTS (SELECT 1 FROM sheets WHERE id = ?1)
                AND ?1 <= MAX(COALESCE((SELECT MAX(id) FROM sheets), 0),
                              COALESCE((SELECT last FROM retired_ids WHERE tbl = 'sheets'), 0))",
    )
    .bind(id)
    .fetch_one(pool)
    .await
}

pub async fn get(pool: &Pool, id: i64) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(sheet_select!(), " WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// When `user` sent the sheet's draft to its member, if the sheet is with
/// the member on that sending (the last one, theirs): a second press of
/// their Send finds it so.
pub async fn with_member_sent_by(
    pool: &Pool,
    id: i64,
    user: i64,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "SELECT s.sent_to_member_at FROM sheets s
         WHERE s.id = ?1 AND s.state = 'with_member'
           AND (SELECT a.actor FROM audit_log a
                WHERE a.subject = 'sheet' AND a.subject_id = ?1
                  AND a.action IN ('send_to_member', 'send')
                ORDER BY a.id DESC LIMIT 1) = ?2",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(pool)
    .await
    .map(Option::flatten)
}

pub async fn for_member<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    membership_id: i64,
    year: i32,
) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(
        sheet_select!(),
        " WHERE membership_id = ? AND year = ? AND request_id IS NULL"
    ))
    .bind(membership_id)
    .bind(year)
    .fetch_optional(db)
    .await
}

/// The latest signed yearly sheet of the person whose membership this is,
/// in any cell they were a member of (a sheet signed before a move stays
/// theirs), of `year` if given.
pub async fn signed_of_person<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    membership_id: i64,
    year: Option<i32>,
) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(
        sheet_select!(),
        " WHERE membership_id IN (SELECT id FROM memberships WHERE user_id =
                                   (SELECT user_id FROM memberships WHERE id = ?1))
            AND state = 'signed' AND request_id IS NULL AND (?2 IS NULL OR year = ?2)
          ORDER BY year DESC, membership_id = ?1 DESC, signed_at DESC, id DESC LIMIT 1"
    ))
    .bind(membership_id)
    .bind(year)
    .fetch_optional(db)
    .await
}

pub async fn by_code(pool: &Pool, code: &str) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(sheet_select!(), " WHERE code = ?"))
        .bind(code)
        .fetch_optional(pool)
        .await
}

/// What opening a member's sheet of a year found.
pub enum Opened {
    /// Their sheet of the year, created as a draft if there was none.
    Sheet(Sheet),
    /// The year's sheet was signed in another cell the person was a member
    /// of (before a move): it is theirs, no second one is opened.
    SignedElsewhere(Sheet),
    /// The one opening it may no longer write the member's sheets (their
    /// seat went after the press was checked): nothing written.
    NotAllowed,
}

/// The member's sheet of the year, created as a draft with `suggested`
/// levels if there is none (and none was signed in a cell they moved from),
/// in one transaction, by `by` (who must still write the member's sheets,
/// judged in it: a handover after the press was checked opens nothing).
pub async fn open_draft(
    pool: &Pool,
    (membership_id, year): (i64, i32),
    suggested: &Levels,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Opened> {
    let mut tx = super::tx::begin(pool).await?;
    let (cell_id, owner): (i64, i64) =
        sqlx::query_as("SELECT cell_id, user_id FROM memberships WHERE id = ?")
            .bind(membership_id)
            .fetch_one(&mut *tx)
            .await?;
    if super::committee::may_decide_in(&mut tx, cell_id, owner, by)
        .await?
        .is_err()
    {
        return Ok(Opened::NotAllowed);
    }
    let signed = signed_of_person(&mut *tx, membership_id, Some(year)).await?;
    if let Some(signed) = signed.filter(|s| s.membership_id != membership_id) {
        return Ok(Opened::SignedElsewhere(signed));
    }
    let opened = sqlx::query(concat!(
        "INSERT INTO sheets (id, membership_id, year, state, criteria, created_at, updated_at)
         VALUES (",
        next_id!("sheets"),
        ", ?, ?, 'draft', ?, ?, ?)
         ON CONFLICT (membership_id, year) WHERE request_id IS NULL DO NOTHING"
    ))
    .bind(membership_id)
    .bind(year)
    .bind(serde_json::to_string(suggested).unwrap_or_else(|_| "[]".into()))
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let sheet = for_member(&mut *tx, membership_id, year)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if opened.rows_affected() == 1 {
        let details = serde_json::json!({ "membership": membership_id, "year": year });
        audit::append(&mut tx, entry(by, "open_draft", sheet.id, details), now).await?;
    }
    tx.commit().await?;
    Ok(Opened::Sheet(sheet))
}

/// The levels of a draft the secretary has not chosen follow `suggested`
/// (the evidence as it stands now: a meeting held or a report approved
/// since the draft was opened); audited. The sheet if anything changed.
pub async fn follow_suggestions(
    pool: &Pool,
    id: i64,
    suggested: &Levels,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Sheet>> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(sheet) = get_in(&mut tx, id).await? else {
        return Ok(None);
    };
    if sheet.state() != SheetState::Draft
        || withdrawn(&mut tx, &sheet).await?
        || writer_denied(&mut tx, id, by).await?.is_some()
    {
        return Ok(None);
    }
    let chosen: i64 = sqlx::query_scalar("SELECT criteria_chosen FROM sheets WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let before = sheet.levels();
    let mut after = before;
    for (i, level) in after.iter_mut().enumerate() {
        if chosen & (1 << i) == 0 {
            *level = suggested[i];
        }
    }
    if after == before {
        return Ok(None);
    }
    let json = serde_json::to_string(&after).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE sheets SET criteria = ?, updated_at = ? WHERE id = ? AND state = 'draft'")
        .bind(json)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = serde_json::json!({ "from": before, "to": after });
    audit::append(&mut tx, entry(by, "follow_suggestions", id, details), now).await?;
    let sheet = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(sheet)
}

/// Sets one criterion of a draft, by `by` (who must still write it);
/// `Stale` if the sheet is no longer a draft.
pub async fn set_level(
    pool: &Pool,
    id: i64,
    (criterion, level): (usize, u8),
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Step> {
    // The six criteria of `Levels` (a draft stored badly: none chosen).
    const CRITERIA: usize = 6;
    if criterion >= CRITERIA {
        return Ok(Step::Stale);
    }
    let mut tx = super::tx::begin(pool).await?;
    if let Some(denied) = writer_denied(&mut tx, id, by).await? {
        return Ok(Step::NotAllowed(denied));
    }
    // Audited when it changes something: a level pressed again that was
    // chosen already leaves no entry.
    let unchanged: bool = sqlx::query_scalar(
        "SELECT json_valid(criteria) AND json_extract(criteria, '$[' || ?2 || ']') IS ?3
                AND criteria_chosen & (1 << ?2) != 0
         FROM sheets WHERE id = ?1",
    )
    .bind(id)
    .bind(criterion as i64)
    .bind(level)
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or(false);
    // One criterion changed in place: the secretary and the deputy setting
    // two criteria at once both keep theirs.
    let done = sqlx::query(concat!(
        "UPDATE sheets SET criteria = json_set(
             CASE WHEN json_valid(criteria) AND json_array_length(criteria) = ?1 THEN criteria
                  ELSE '[null,null,null,null,null,null]' END,
             '$[' || ?2 || ']', ?3),
             criteria_chosen = criteria_chosen | (1 << ?2),
             updated_at = ?4
         WHERE id = ?5 AND state = 'draft'",
        not_withdrawn!()
    ))
    .bind(CRITERIA as i64)
    .bind(criterion as i64)
    .bind(level)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Step::Stale);
    }
    if !unchanged {
        let details = serde_json::json!({ "criterion": criterion, "level": level });
        audit::append(&mut tx, entry(by, "set_level", id, details), now).await?;
    }
    let sheet = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Step::Done(Box::new(sheet)))
}

/// Sets a draft's "other remarks", typed by `by` (who must still write
/// it); `Stale` if the sheet is no longer a draft.
pub async fn set_remarks(
    pool: &Pool,
    id: i64,
    (remarks, by): (&str, i64),
    (now, then): (DateTime<Utc>, &super::dialogues::Next),
) -> sqlx::Result<Step> {
    let mut tx = super::tx::begin(pool).await?;
    if let Some(denied) = writer_denied(&mut tx, id, by).await? {
        return Ok(Step::NotAllowed(denied));
    }
    let done = sqlx::query(concat!(
        "UPDATE sheets SET remarks = ?, updated_at = ? WHERE id = ? AND state = 'draft'",
        not_withdrawn!()
    ))
    .bind(remarks)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Step::Stale);
    }
    // Their length only: the audit log is kept for good, the text is not.
    let details = serde_json::json!({ "characters": remarks.chars().count() });
    audit::append(&mut tx, entry(by, "set_remarks", id, details), now).await?;
    // The remarks' question ends with them (`then`: the dialogue after).
    super::dialogues::put(&mut tx, then, now).await?;
    let sheet = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Step::Done(Box::new(sheet)))
}

/// What came of a step of the sheet's workflow.
#[derive(Debug)]
pub enum Step<E = std::convert::Infallible> {
    /// Done and audited; the sheet as it now is.
    Done(Box<Sheet>),
    /// The rules refuse it now (say why).
    Refused(E),
    /// The sheet is no longer in the state the step starts from (another
    /// press, another person, or a redelivery came first).
    Stale,
    /// The sheet answers a request its workplace withdrew.
    Withdrawn,
    /// The one who pressed may no longer write the sheet: their place on
    /// the cell's committee changed after the press was checked.
    NotAllowed(crate::domain::permissions::Denied),
}

fn entry(actor: i64, action: &'static str, id: i64, details: serde_json::Value) -> Entry<'static> {
    Entry {
        actor: Some(actor),
        action,
        subject: "sheet",
        subject_id: id,
        details,
    }
}

async fn get_in(conn: &mut sqlx::SqliteConnection, id: i64) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(concat!(sheet_select!(), " WHERE id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Whether the sheet answers a request that was withdrawn.
async fn withdrawn(conn: &mut sqlx::SqliteConnection, sheet: &Sheet) -> sqlx::Result<bool> {
    match sheet.request_id {
        Some(request) => super::requests::is_cancelled_in(conn, request).await,
        None => Ok(false),
    }
}

/// Whether `by` may still write sheet `id` (the secretary or the deputy of
/// its member's cell, never the member: `may_decide`), read in the step's
/// own write transaction: a handover or a deputy replaced after the press
/// (or the typed text) was checked refuses the step here.
async fn writer_denied(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    by: i64,
) -> sqlx::Result<Option<crate::domain::permissions::Denied>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT m.cell_id, m.user_id FROM sheets s JOIN memberships m ON m.id = s.membership_id
         WHERE s.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((cell_id, owner)) = row else {
        return Ok(None);
    };
    Ok(super::committee::may_decide_in(conn, cell_id, owner, by)
        .await?
        .err())
}

/// The member of a sheet, as a recipient.
async fn member_of(conn: &mut sqlx::SqliteConnection, sheet: &Sheet) -> sqlx::Result<Recipient> {
    let user_id: i64 = sqlx::query_scalar("SELECT user_id FROM memberships WHERE id = ?")
        .bind(sheet.membership_id)
        .fetch_one(&mut *conn)
        .await?;
    Recipient::load(conn, user_id).await
}

/// Draft → with the member, when every criterion has a level: audited, and
/// the member's notice (`notify`) queued in the same transaction.
pub async fn send_to_member(
    pool: &Pool,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
    tz: Tz,
    notify: impl FnOnce(&Sheet, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Step<SignBlock>> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(sheet) = get_in(&mut tx, id).await? else {
        return Ok(Step::Stale);
    };
    if withdrawn(&mut tx, &sheet).await? {
        return Ok(Step::Withdrawn);
    }
    if sheet.state() != SheetState::Draft {
        return Ok(Step::Stale);
    }
    if let Some(denied) = writer_denied(&mut tx, id, by).await? {
        return Ok(Step::NotAllowed(denied));
    }
    // The short version (a member exempt from residence meetings) has no
    // criteria to set; a yearly sheet is not short for an exemption begun
    // after its year (`yearly::members`).
    let year = i32::try_from(sheet.year).unwrap_or(0);
    let (_, next_year_at) = super::yearly::judged_until(year, tz)?;
    let short: bool = sqlx::query_scalar(concat!(
        "SELECT CASE WHEN ?2 THEN m.exempt_reason IS NOT NULL ELSE ",
        exempt_for_year_sql!("?3"),
        " END FROM memberships m WHERE m.id = ?1",
    ))
    .bind(sheet.membership_id)
    .bind(sheet.request_id.is_some())
    .bind(next_year_at)
    .fetch_one(&mut *tx)
    .await?;
    if !short && sheet.levels().iter().any(Option::is_none) {
        return Ok(Step::Refused(SignBlock::CriteriaMissing));
    }
    // A response to the draft before it was changed stays (shown, and
    // signed, as the response to the earlier draft) until the member
    // answers this one: also through further changes left unanswered (the
    // answer is NULL then, the response kept). An acceptance goes.
    sqlx::query(concat!(
        "UPDATE sheets SET state = 'with_member', sent_to_member_at = ?, member_answer = NULL,
                member_response = CASE WHEN member_answer = 'accepted' THEN NULL
                                       ELSE member_response END,
                member_answered_at = CASE WHEN member_answer = 'accepted' THEN NULL
                                          ELSE member_answered_at END,
                updated_at = ?
         WHERE id = ? AND state = 'draft'",
        not_withdrawn!()
    ))
    .bind(now)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "criteria": sheet.levels(), "remarks": sheet.remarks });
    audit::append(&mut tx, entry(by, "send_to_member", id, details), now).await?;
    let sheet = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let member = member_of(&mut tx, &sheet).await?;
    outbox::enqueue_notices(&mut tx, &notify(&sheet, member), now).await?;
    tx.commit().await?;
    Ok(Step::Done(Box::new(sheet)))
}

/// With the member → draft again (the secretary wants to change it); audited.
pub async fn reopen(pool: &Pool, id: i64, by: i64, now: DateTime<Utc>) -> sqlx::Result<Step> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(sheet) = get_in(&mut tx, id).await? else {
        return Ok(Step::Stale);
    };
    if withdrawn(&mut tx, &sheet).await? {
        return Ok(Step::Withdrawn);
    }
    if let Some(denied) = writer_denied(&mut tx, id, by).await? {
        return Ok(Step::NotAllowed(denied));
    }
    let done = sqlx::query(
        "UPDATE sheets SET state = 'draft', updated_at = ? WHERE id = ? AND state = 'with_member'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Step::Stale);
    }
    audit::append(&mut tx, entry(by, "reopen", id, serde_json::json!({})), now).await?;
    let sheet = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Step::Done(Box::new(sheet)))
}

/// A member's answer to a draft that was sent again since (after a change):
/// not taken for an answer to the newer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced;

/// The member's answer to the sheet sent to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer<'a> {
    Accept,
    Respond(&'a str),
}

/// The member accepts or responds, once per sending, and only while the
/// sheet is with them: audited, and the notice to whoever writes the sheet
/// (`notify`; the secretary, for the secretary's own sheet the deputy or the
/// ward's supervisors; nobody where the cell has none) queued in the same
/// transaction. `seen`: when the draft answered was sent (`None`: not known,
/// a button from before that was asked); a draft sent since is `Replaced`.
pub async fn member_answers(
    pool: &Pool,
    id: i64,
    member: i64,
    answer: Answer<'_>,
    seen: Option<DateTime<Utc>>,
    (now, then): (DateTime<Utc>, Option<&super::dialogues::Next>),
    notify: impl Fn(&Sheet, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Step<Replaced>> {
    let (word, response, action) = match answer {
        Answer::Accept => ("accepted", None, "member_accept"),
        Answer::Respond(text) => ("responded", Some(text), "member_respond"),
    };
    let mut tx = super::tx::begin(pool).await?;
    if let Some(sheet) = get_in(&mut tx, id).await?
        && withdrawn(&mut tx, &sheet).await?
    {
        return Ok(Step::Withdrawn);
    }
    let done = sqlx::query(
        "UPDATE sheets SET member_answer = ?1, member_response = ?2, member_answered_at = ?3,
                updated_at = ?3
         WHERE id = ?4 AND state = 'with_member' AND member_answer IS NULL
           AND (?6 IS NULL OR sent_to_member_at = ?6)
           AND membership_id IN (SELECT id FROM memberships WHERE user_id = ?5)",
    )
    .bind(word)
    .bind(response)
    .bind(now)
    .bind(id)
    .bind(member)
    .bind(seen)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        let replaced = get_in(&mut tx, id).await?.is_some_and(|s| {
            s.state() == SheetState::WithMember
                && s.member_answer.is_none()
                && seen.is_some()
                && s.sent_to_member_at != seen
        });
        return Ok(if replaced {
            Step::Refused(Replaced)
        } else {
            Step::Stale
        });
    }
    let details = match response {
        Some(text) => serde_json::json!({ "response": text }),
        None => serde_json::json!({}),
    };
    audit::append(&mut tx, entry(member, action, id, details), now).await?;
    let sheet = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    // Whoever writes the sheet: the secretary, or for the secretary's own
    // sheet the deputy (or the ward's supervisors), see `may_decide`.
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(sheet.membership_id)
        .fetch_one(&mut *tx)
        .await?;
    let writers = writers_told(&mut tx, id, cell, member).await?;
    for writer in writers {
        let to = Recipient::load(&mut tx, writer).await?;
        outbox::enqueue_notices(&mut tx, &notify(&sheet, to), now).await?;
    }
    // A typed response's question ends with it.
    if let Some(then) = then {
        super::dialogues::put(&mut tx, then, now).await?;
    }
    tx.commit().await?;
    Ok(Step::Done(Box::new(sheet)))
}

/// Who hears of the member's answer to sheet `id` (or of their silence):
/// whoever writes it (the secretary, or for the secretary's own sheet the
/// deputy or the ward's supervisors, see `may_decide`), and the one who
/// sent the draft (the deputy, say) while they still sit on the cell's
/// committee; never the member (`member`, their user id).
async fn writers_told(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    cell: i64,
    member: i64,
) -> sqlx::Result<Vec<i64>> {
    let mut writers = super::committee::first_recipients(tx, cell, member).await?;
    // The one who sent the draft (the deputy, say) hears the answer too,
    // while they still sit on the cell's committee.
    let sender: Option<i64> = sqlx::query_scalar(
        "SELECT a.actor FROM audit_log a
         WHERE a.subject = 'sheet' AND a.subject_id = ?1 AND a.action = 'send_to_member'
           AND a.actor <> ?3
           AND (a.actor IN (SELECT user_id FROM cell_secretaries WHERE cell_id = ?2)
                OR a.actor IN (SELECT user_id FROM cell_deputies WHERE cell_id = ?2))
         ORDER BY a.id DESC LIMIT 1",
    )
    .bind(id)
    .bind(cell)
    .bind(member)
    .fetch_optional(&mut *tx)
    .await?
    .flatten();
    if let Some(sender) = sender.filter(|s| !writers.contains(s)) {
        writers.push(sender);
    }
    Ok(writers)
}

/// A signature, sealed from the sheet as the signing transaction reads it.
pub struct Sealed {
    pub content: String,
    pub content_hash: String,
    pub code: String,
}

/// Signs the sheet: inside one write transaction the sheet and its
/// member's details (name, cell, ward, workplace, as
/// [`super::yearly::member_in`] reads them) are read again, `seal` checks
/// the rules on them and freezes the content, and the sheet is signed and
/// audited. A member answering at the same moment either comes first (and
/// the answer is in the sealed content) or finds it signed; a change of
/// the member's details (a workplace changed in /profile) committed first
/// is in the sealed content, as in the deliveries worked out from it.
pub async fn sign<E>(
    pool: &Pool,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
    seal: impl FnOnce(&Sheet, super::yearly::MemberRow) -> Result<Sealed, E>,
) -> sqlx::Result<Step<E>> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(sheet) = get_in(&mut tx, id).await? else {
        return Ok(Step::Stale);
    };
    // A request withdrawn first (in its own write transaction) is never
    // signed: the withdrawal and the signature exclude each other.
    if withdrawn(&mut tx, &sheet).await? {
        return Ok(Step::Withdrawn);
    }
    if sheet.state() != SheetState::WithMember {
        return Ok(Step::Stale);
    }
    // Who may sign, read under the write lock with the signature: a
    // handover that lands after the press was checked refuses it here.
    let (cell_id, owner): (i64, i64) =
        sqlx::query_as("SELECT cell_id, user_id FROM memberships WHERE id = ?")
            .bind(sheet.membership_id)
            .fetch_one(&mut *tx)
            .await?;
    if let Err(denied) = super::committee::may_decide_in(&mut tx, cell_id, owner, by).await? {
        return Ok(Step::NotAllowed(denied));
    }
    // The member as the signature is committed: what it freezes.
    let Some(member) =
        super::yearly::member_in(&mut tx, sheet.membership_id, sheet.year as i32).await?
    else {
        return Ok(Step::Stale);
    };
    let sealed = match seal(&sheet, member) {
        Ok(sealed) => sealed,
        Err(why) => return Ok(Step::Refused(why)),
    };
    let done = sqlx::query(concat!(
        "UPDATE sheets SET state = 'signed', signed_at = ?, signed_by = ?, content = ?, content_hash = ?,
                code = ?, updated_at = ?
         WHERE id = ? AND state = 'with_member'",
        not_withdrawn!()
    ))
    .bind(now)
    .bind(by)
    .bind(&sealed.content)
    .bind(&sealed.content_hash)
    .bind(&sealed.code)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Step::Stale);
    }
    let details = serde_json::json!({ "code": sealed.code, "content_hash": sealed.content_hash });
    audit::append(&mut tx, entry(by, "sign", id, details), now).await?;
    // A sheet on request settles its request in the same transaction.
    super::requests::sign_in(&mut tx, id, by, now).await?;
    let sheet = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Step::Done(Box::new(sheet)))
}

/// Who a signed sheet goes to, and its stored documents.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The sheet (`sheets.id`).
    pub sheet: i64,
    pub officers: Vec<Recipient>,
    /// How many of `officers` (the first ones) are the officers of the
    /// workplace it is addressed to; the others (of a workplace the member
    /// left this year) get copies.
    pub to_workplace: usize,
    pub member: Recipient,
    /// Who signed it (gets a copy, and hears of a delivery that failed).
    pub signer: Option<Recipient>,
    /// `documents.id` of the DOCX and the PDF.
    pub docx: i64,
    pub pdf: i64,
    /// The workplaces whose officers it goes to.
    pub workplaces: Vec<i64>,
    /// The member's cell (whose committee hears of a delivery that failed,
    /// should the signer have left it).
    pub cell: i64,
}

/// Signed sheets whose deliveries were never queued (a crash right after
/// signing), oldest first.
pub async fn undelivered(pool: &Pool) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM sheets WHERE state = 'signed' AND delivery_queued_at IS NULL ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

/// Whom a signed sheet goes to: a sheet on request to the officer who asked
/// for it while they are an officer of the workplace that asked and can be
/// reached, else to that workplace's officers now (the one who asked may
/// have left, had the role taken away, or blocked the bot); a yearly sheet
/// to every officer of the member's workplace, and of every workplace the
/// member left since the sheet's year began (a member cannot send their
/// sheet away from the workplace they had by changing it in /profile).
/// Never the member (`member`) themselves, officer of that workplace as they
/// may be: the comment goes to the workplace without passing through the
/// person it is about; with nobody else, it is kept as for a workplace
/// without officers. Also returns how many of them (the first ones) are the
/// officers of the workplace it is addressed to (the member's now, or the
/// one that asked): the others get copies, and do not make it delivered.
async fn addressees(
    conn: &mut sqlx::SqliteConnection,
    member: i64,
    request: Option<Requester>,
    yearly: Option<Yearly>,
) -> sqlx::Result<(Vec<i64>, usize)> {
    match (request, yearly) {
        (Some(Requester { officer, workplace }), _) => sqlx::query_scalar(concat!(
            "SELECT w.user_id FROM workplace_officers w
                 WHERE w.workplace_id = ?1 AND w.user_id <> ?3 AND NOT ",
            erased_and_away!("w.user_id"),
            " AND (w.user_id = ?2 OR NOT EXISTS (
                        SELECT 1 FROM workplace_officers x JOIN users u ON u.id = x.user_id
                        WHERE x.workplace_id = ?1 AND x.user_id = ?2
                          AND u.unreachable_since IS NULL AND NOT ",
            erased_and_away!("x.user_id"),
            "))
                 ORDER BY w.since, w.user_id"
        ))
        .bind(workplace)
        .bind(officer)
        .bind(member)
        .fetch_all(conn)
        .await
        .map(|officers: Vec<i64>| {
            let own = officers.len();
            (officers, own)
        }),
        (None, Some(y)) => {
            let mut officers: Vec<i64> = match y.workplace {
                Some(workplace) => {
                    sqlx::query_scalar(concat!(
                        "SELECT w.user_id FROM workplace_officers w
                         WHERE w.workplace_id = ? AND NOT ",
                        erased_and_away!("w.user_id"),
                        " ORDER BY w.since, w.user_id"
                    ))
                    .bind(workplace)
                    .fetch_all(&mut *conn)
                    .await?
                }
                None => Vec::new(),
            };
            officers.retain(|&o| o != member);
            let own = officers.len();
            let left: Vec<i64> = sqlx::query_scalar(concat!(
                "SELECT DISTINCT o.user_id FROM workplace_changes x
                 JOIN memberships m ON m.id = x.membership_id
                 JOIN workplace_officers o ON o.workplace_id = x.from_workplace_id
                 WHERE m.user_id = ?1 AND x.changed_at >= ?2
                   AND x.from_workplace_id IS NOT ?3 AND NOT ",
                erased_and_away!("o.user_id"),
                " ORDER BY o.user_id"
            ))
            .bind(y.member)
            .bind(y.began)
            .bind(y.workplace)
            .fetch_all(&mut *conn)
            .await?;
            for officer in left {
                if !officers.contains(&officer) {
                    officers.push(officer);
                }
            }
            officers.retain(|&o| o != member);
            Ok((officers, own))
        }
        (None, None) => Ok((Vec::new(), 0)),
    }
}

/// The workplaces whose officers a signed sheet goes to ([`addressees`]):
/// the one that asked, or the member's and those they left since the
/// sheet's year began.
async fn addressed_workplaces(
    conn: &mut sqlx::SqliteConnection,
    request: Option<Requester>,
    yearly: Option<Yearly>,
) -> sqlx::Result<Vec<i64>> {
    match (request, yearly) {
        (Some(Requester { workplace, .. }), _) => Ok(vec![workplace]),
        (None, Some(y)) => {
            let mut workplaces: Vec<i64> = y.workplace.into_iter().collect();
            let left: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT x.from_workplace_id FROM workplace_changes x
                 JOIN memberships m ON m.id = x.membership_id
                 WHERE m.user_id = ?1 AND x.changed_at >= ?2
                   AND x.from_workplace_id IS NOT NULL AND x.from_workplace_id IS NOT ?3",
            )
            .bind(y.member)
            .bind(y.began)
            .bind(y.workplace)
            .fetch_all(conn)
            .await?;
            workplaces.extend(left);
            Ok(workplaces)
        }
        (None, None) => Ok(Vec::new()),
    }
}

/// A yearly sheet's member (user id), their workplace now, and when its
/// year began (local midnight of 1 January, in UTC).
#[derive(Debug, Clone, Copy)]
struct Yearly {
    member: i64,
    workplace: Option<i64>,
    began: DateTime<Utc>,
}

/// Whom news of a comment request on `member` goes to: the officer who
/// asked while they are an officer of `workplace`, else its officers now
/// (never the member).
pub(super) async fn asking_officers(
    conn: &mut sqlx::SqliteConnection,
    member: i64,
    officer: i64,
    workplace: i64,
) -> sqlx::Result<Vec<i64>> {
    Ok(
        addressees(conn, member, Some(Requester { officer, workplace }), None)
            .await?
            .0,
    )
}

/// The officer who asked for a comment, and the workplace they asked for.
#[derive(Debug, Clone, Copy)]
struct Requester {
    officer: i64,
    workplace: i64,
}

impl Requester {
    fn of(officer: Option<i64>, workplace: Option<i64>) -> Option<Self> {
        Some(Self {
            officer: officer?,
            workplace: workplace?,
        })
    }
}

/// How many officers of the workplace it is addressed to a signed sheet
/// whose deliveries are queued already (by the scheduler's catch-up, or a
/// press before) goes to.
pub async fn queued_officers(pool: &Pool, id: i64, tz: Tz) -> sqlx::Result<usize> {
    let mut conn = pool.acquire().await?;
    let due: Option<Due> = sqlx::query_as(DUE)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(due) = due else {
        return Ok(0);
    };
    let (request, yearly) = due.whom(tz);
    Ok(addressees(&mut conn, due.member, request, yearly).await?.1)
}

/// What a signed sheet's delivery depends on: the member (user id), their
/// workplace, the signer, and on request the officer who asked and their
/// workplace; the sheet's year and state.
#[derive(sqlx::FromRow)]
struct Due {
    member: i64,
    cell: i64,
    workplace: Option<i64>,
    signed_by: Option<i64>,
    officer: Option<i64>,
    asked_by: Option<i64>,
    year: i64,
    queued: bool,
}

const DUE: &str =
    "SELECT m.user_id AS member, m.cell_id AS cell, m.workplace_id AS workplace, s.signed_by,
        r.officer_id AS officer, r.workplace_id AS asked_by, s.year,
        (s.state <> 'signed' OR s.delivery_queued_at IS NOT NULL) AS queued
     FROM sheets s
     JOIN memberships m ON m.id = s.membership_id
     LEFT JOIN comment_requests r ON r.id = s.request_id
     WHERE s.id = ?";

impl Due {
    fn whom(&self, tz: Tz) -> (Option<Requester>, Option<Yearly>) {
        match Requester::of(self.officer, self.asked_by) {
            Some(request) => (Some(request), None),
            None => {
                let began = i32::try_from(self.year)
                    .ok()
                    .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
                    .map(|d| crate::domain::schedule::instant(tz, d.and_time(NaiveTime::MIN)))
                    .unwrap_or_default();
                (
                    None,
                    Some(Yearly {
                        member: self.member,
                        workplace: self.workplace,
                        began,
                    }),
                )
            }
        }
    }
}

/// Stores a signed sheet's two documents and queues every delivery
/// (`notify`) in one transaction, once. Returns the delivery, or `None` if
/// it was queued before or the sheet is not signed.
pub async fn queue_delivery(
    pool: &Pool,
    id: i64,
    docx: (&str, &[u8]),
    pdf: (&str, &[u8]),
    (now, tz): (DateTime<Utc>, Tz),
    notify: impl FnOnce(&Delivery) -> Vec<Notice>,
) -> sqlx::Result<Option<Delivery>> {
    let mut tx = super::tx::begin(pool).await?;
    let due: Option<Due> = sqlx::query_as(DUE)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(due) = due.filter(|d| !d.queued) else {
        return Ok(None);
    };
    let (request, yearly) = due.whom(tz);
    let (member, signed_by) = (due.member, due.signed_by);
    let (officer_ids, to_workplace) = addressees(&mut tx, member, request, yearly).await?;
    let workplaces = addressed_workplaces(&mut tx, request, yearly).await?;
    let mut officers = Vec::with_capacity(officer_ids.len());
    for officer in officer_ids {
        officers.push(Recipient::load(&mut tx, officer).await?);
    }
    // The copy and the failure notes go to whoever signed: the secretary,
    // or for the secretary's own sheet the deputy or the ward.
    let signer = match signed_by.filter(|s| *s != member) {
        Some(user) => Some(Recipient::load(&mut tx, user).await?),
        None => None,
    };
    let delivery = Delivery {
        sheet: id,
        officers,
        to_workplace,
        member: Recipient::load(&mut tx, member).await?,
        signer,
        docx: super::documents::add(&mut tx, id, docx.0, docx.1, now).await?,
        pdf: super::documents::add(&mut tx, id, pdf.0, pdf.1, now).await?,
        workplaces,
        cell: due.cell,
    };
    outbox::enqueue_notices(&mut tx, &notify(&delivery), now).await?;
    sqlx::query("UPDATE sheets SET delivery_queued_at = ?, delivered_officers = ? WHERE id = ?")
        .bind(now)
        .bind(delivery.to_workplace as i64)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(delivery))
}

/// What became of a signed sheet whose copy to an officer of the
/// workplace it is addressed to did not reach them for good.
#[derive(Debug)]
pub enum Undelivered {
    /// On request: queued to these officers of the workplace now, who had
    /// no copy (the signer is told by `notify`).
    Others(Delivery),
    /// On request: another officer of the workplace has it, queued or sent.
    Reached,
    /// Nobody else gets it in its place: the signer is to be told.
    Missed,
}

/// A signed sheet's copy to `officer` did not reach them for good (no
/// longer an officer, the bot blocked, failed): its row (`row`: its id,
/// the officer, how) is given up; the sheet is no longer counted among the
/// officers it went to (`sheets.delivered_officers`, which the secretary's
/// list shows); one on request is queued (`notify`) to the workplace's
/// other officers who have no copy; nobody else getting it, the signer is
/// told (`fallback`). All in one transaction, done only while the row is
/// still queued (`None` otherwise): each gets it once, however many of the
/// officer's rows (and restarts, and crashes) come here.
pub async fn not_delivered(
    pool: &Pool,
    id: i64,
    row: (i64, i64, outbox::GiveUp<'_>),
    fallback: Option<&outbox::Fallback>,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Delivery) -> Vec<Notice>,
) -> sqlx::Result<Option<Undelivered>> {
    let (row, officer, how) = row;
    let mut tx = super::tx::begin(pool).await?;
    if !outbox::give_up_in(&mut tx, row, officer, how, now).await? {
        return Ok(None);
    }
    let due: Option<Due> = sqlx::query_as(DUE)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(due) = due else {
        if let Some(fallback) = fallback {
            outbox::enqueue_fallback_of(&mut tx, fallback, now).await?;
        }
        tx.commit().await?;
        return Ok(Some(Undelivered::Missed));
    };
    let mut outcome = Undelivered::Missed;
    if let Some(Requester { workplace, .. }) = Requester::of(due.officer, due.asked_by) {
        // The workplace's other officers (the member left out) it did not
        // miss already, each with whether they have a copy queued or sent,
        // and whether they can be reached (not known to have blocked the
        // bot: it is not sent on to them, nor the signer told it was).
        // One who erased their data and has not come back is not sent it
        // either.
        let others: Vec<(i64, bool, bool)> = sqlx::query_as(concat!(
            "SELECT w.user_id,
                    EXISTS (SELECT 1 FROM outbox o
                            WHERE o.chat_id = w.user_id AND o.status IN ('queued', 'sent')
                              AND json_extract(o.payload, '$.sheet') = ?4),
                    NOT EXISTS (SELECT 1 FROM users u
                                WHERE u.id = w.user_id AND u.unreachable_since IS NOT NULL)
                    AND NOT ",
            erased_and_away!("w.user_id"),
            "
             FROM workplace_officers w
             WHERE w.workplace_id = ?1 AND w.user_id NOT IN (?2, ?3)
               AND NOT EXISTS (SELECT 1 FROM outbox o
                               WHERE o.chat_id = w.user_id AND o.status NOT IN ('queued', 'sent')
                                 AND json_extract(o.payload, '$.sheet') = ?4)
             ORDER BY w.since, w.user_id"
        ))
        .bind(workplace)
        .bind(due.member)
        .bind(officer)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let fresh: Vec<i64> = others.iter().filter(|o| !o.1 && o.2).map(|o| o.0).collect();
        if !fresh.is_empty() {
            let mut officers = Vec::with_capacity(fresh.len());
            for user in fresh {
                officers.push(Recipient::load(&mut tx, user).await?);
            }
            let document = |extension: &'static str| {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM documents WHERE sheet_id = ? AND file_name LIKE ? ORDER BY id",
                )
                .bind(id)
                .bind(format!("%.{extension}"))
            };
            let docx = document("docx").fetch_one(&mut *tx).await?;
            let pdf = document("pdf").fetch_one(&mut *tx).await?;
            // The signer is told it went to the others, or whoever decides
            // for the cell now, should they have left its committee.
            let signer = match due.signed_by.filter(|s| *s != due.member) {
                Some(user) => {
                    let now_deciding = outbox::deciding_instead(&mut tx, due.cell, user).await?;
                    let to = now_deciding.map_or(user, |(instead, _)| instead);
                    Some(Recipient::load(&mut tx, to).await?)
                }
                None => None,
            };
            let delivery = Delivery {
                sheet: id,
                to_workplace: officers.len(),
                officers,
                member: Recipient::load(&mut tx, due.member).await?,
                signer,
                docx,
                pdf,
                workplaces: vec![workplace],
                cell: due.cell,
            };
            outbox::enqueue_notices(&mut tx, &notify(&delivery), now).await?;
            outcome = Undelivered::Others(delivery);
        } else if others.iter().any(|o| o.1) {
            outcome = Undelivered::Reached;
        }
    }
    // The officers it goes to now: those with a copy queued or sent, the
    // one it missed left out (never more than were counted, and those it
    // was just queued to: sent rows pruned long ago are not counted).
    let added = match &outcome {
        Undelivered::Others(d) => d.officers.len() as i64,
        _ => 0,
    };
    sqlx::query(
        "UPDATE sheets SET delivered_officers = MIN(delivered_officers + ?3,
             (SELECT COUNT(DISTINCT o.chat_id) FROM outbox o
              WHERE json_extract(o.payload, '$.sheet') = ?1 AND o.chat_id <> ?2
                AND o.status IN ('queued', 'sent')))
         WHERE id = ?1 AND delivered_officers IS NOT NULL",
    )
    .bind(id)
    .bind(officer)
    .bind(added)
    .execute(&mut *tx)
    .await?;
    if let (Undelivered::Missed, Some(fallback)) = (&outcome, fallback) {
        outbox::enqueue_fallback_of(&mut tx, fallback, now).await?;
    }
    tx.commit().await?;
    Ok(Some(outcome))
}

/// Of `users`, those whose yearly comment sheet of `year` is signed (in
/// any of their memberships): their year's comment is written.
pub async fn signed_among(
    pool: &Pool,
    year: i32,
    users: &[i64],
) -> sqlx::Result<std::collections::HashSet<i64>> {
    let signed: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT m.user_id FROM sheets s JOIN memberships m ON m.id = s.membership_id
         WHERE s.year = ?1 AND s.request_id IS NULL AND s.state = 'signed'
           AND m.user_id IN (SELECT value FROM json_each(?2))",
    )
    .bind(year)
    .bind(super::id_list(users))
    .fetch_all(pool)
    .await?;
    Ok(signed.into_iter().collect())
}

/// SQL: the membership `m` (its sheet of the year bound at `?1` joined as
/// `s`) is approved, not exempt for that year, introduced by its end (the
/// next year's start bound at `?3`, as a day, and at `?4`, as an instant)
/// unless its sheet was opened, and the sheet is not signed: a comment
/// sheet still owed ([`unsigned_in_cells`], [`unsigned_of_workplaces`]).
macro_rules! owed_unsigned_sql {
    () => {
        concat!(
            "m.status = 'approved'
           AND NOT ",
            exempt_for_year_sql!("?4"),
            "
           AND (s.id IS NULL OR s.state <> 'signed')
           AND (s.id IS NOT NULL
                OR m.introduced_on < ?3
                OR (m.introduced_on IS NULL AND julianday(",
            active_since_sql!(),
            ") < julianday(?4)))"
        )
    };
}

/// The approved members of the listed cells owed a comment sheet of
/// `year` that is not signed yet, as [`unsigned_of_workplaces`] counts
/// them: (cell, membership, user, name), by cell and name. The committee's
/// digest names them in the review season.
pub async fn unsigned_in_cells(
    pool: &Pool,
    year: i32,
    cells: &[i64],
    tz: Tz,
) -> sqlx::Result<Vec<(i64, i64, i64, String)>> {
    let (next_year, next_year_at) = super::yearly::judged_until(year, tz)?;
    sqlx::query_as(concat!(
        "SELECT m.cell_id, m.id, m.user_id, m.full_name
         FROM memberships m ",
        person_sheet_join!("?1"),
        "
         WHERE m.cell_id IN (SELECT value FROM json_each(?2)) AND ",
        owed_unsigned_sql!(),
        "
         ORDER BY m.cell_id, m.full_name COLLATE vi_name, m.id"
    ))
    .bind(year)
    .bind(super::id_list(cells))
    .bind(next_year)
    .bind(next_year_at)
    .fetch_all(pool)
    .await
}

/// The approved members of the listed workplaces, not exempt for `year`
/// (an exemption begun after it leaves it owed), whose comment
/// sheet of `year` is not signed (not opened, a draft, or with the member),
/// leaving out members introduced after that year: (workplace, membership,
/// name, the sheet's state as stored, if there is one).
pub async fn unsigned_of_workplaces(
    pool: &Pool,
    year: i32,
    workplaces: &[i64],
    tz: Tz,
) -> sqlx::Result<Vec<(i64, i64, String, Option<String>)>> {
    // Introduced by the year's end; from before the month was asked,
    // accepted by its end in local time (not in UTC: one accepted at 01:00
    // on 1 January is the new year's), as `yearly::members` reads it.
    let (next_year, next_year_at) = super::yearly::judged_until(year, tz)?;
    sqlx::query_as(concat!(
        "SELECT m.workplace_id, m.id, m.full_name, s.state
         FROM memberships m ",
        person_sheet_join!("?1"),
        "
         WHERE m.workplace_id IN (SELECT value FROM json_each(?2)) AND ",
        owed_unsigned_sql!(),
        "
         ORDER BY m.workplace_id, m.full_name COLLATE vi_name, m.id"
    ))
    .bind(year)
    .bind(super::id_list(workplaces))
    .bind(next_year)
    .bind(next_year_at)
    .fetch_all(pool)
    .await
}

/// A draft left with its member, unanswered, whose writers were not told
/// of it yet (see [`unanswered_untold`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Unanswered {
    pub id: i64,
    pub year: i64,
    pub sent_to_member_at: DateTime<Utc>,
    /// The due day of the request the sheet answers (`None`: a yearly sheet).
    pub request_due: Option<NaiveDate>,
}

/// Drafts with their members, unanswered, not told of on this sending,
/// that may have run out of time to answer: sent before `week_ago`, or a
/// yearly sheet of a year in `last_day_came` (its window's last day has
/// begun), or a request's sheet due by `today`. Yearly sheets only of the
/// years in `open` (the window of a year closed, none can be signed);
/// never one of a withdrawn request. The caller checks the exact time
/// (`domain::sheet::answer_until`).
pub async fn unanswered_untold(
    pool: &Pool,
    week_ago: DateTime<Utc>,
    (open, last_day_came): (&[i32], &[i32]),
    today: NaiveDate,
    limit: i64,
) -> sqlx::Result<Vec<Unanswered>> {
    let open = serde_json::to_string(open).unwrap_or_else(|_| "[]".into());
    let last = serde_json::to_string(last_day_came).unwrap_or_else(|_| "[]".into());
    sqlx::query_as(
        "SELECT s.id, s.year, s.sent_to_member_at, r.due_on AS request_due
         FROM sheets s LEFT JOIN comment_requests r ON r.id = s.request_id
         JOIN memberships m ON m.id = s.membership_id
         WHERE s.state = 'with_member' AND s.member_answer IS NULL
           AND s.sent_to_member_at IS NOT NULL
           -- A member exempted since the draft was sent gets no yearly
           -- sheet (Sign refuses it): not one to sign now.
           AND (s.request_id IS NOT NULL OR m.exempt_reason IS NULL)
           AND (s.silence_told_for IS NULL OR s.silence_told_for <> s.sent_to_member_at)
           AND CASE WHEN s.request_id IS NULL
                    THEN s.year IN (SELECT value FROM json_each(?2))
                         AND (s.sent_to_member_at <= ?1
                              OR s.year IN (SELECT value FROM json_each(?3)))
                    ELSE r.state <> 'cancelled'
                         AND (s.sent_to_member_at <= ?1 OR r.due_on <= ?4)
               END
         ORDER BY s.sent_to_member_at, s.id
         LIMIT ?5",
    )
    .bind(week_ago)
    .bind(open)
    .bind(last)
    .bind(today)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A member whose draft went unanswered, as the notice names them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Silent {
    pub sheet_id: i64,
    pub user_id: i64,
    pub cell_id: i64,
    pub cell_name: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub introduced_on: Option<NaiveDate>,
    pub active_since: DateTime<Utc>,
    /// Members of the cell by this name (themselves included).
    pub namesakes: i64,
    /// The sheet answers a request (not the yearly one).
    pub on_request: bool,
}

/// Tells whoever writes each of these sheets (`(id, sent_to_member_at)`,
/// as [`unanswered_untold`] read them) that its member let the time to
/// answer pass: in one transaction, each sheet still with its member on
/// that sending, unanswered and not told, is marked told of that sending,
/// and one notice per person to tell (`notify`, the members listed for
/// them) is queued. The number of notices queued.
pub async fn tell_unanswered(
    pool: &Pool,
    due: &[(i64, DateTime<Utc>)],
    now: DateTime<Utc>,
    notify: impl Fn(Recipient, &[Silent]) -> Notice,
) -> sqlx::Result<usize> {
    let mut tx = super::tx::begin(pool).await?;
    let mut told: Vec<(i64, Vec<Silent>)> = Vec::new();
    for &(id, sent_at) in due {
        let done = sqlx::query(concat!(
            "UPDATE sheets SET silence_told_for = sent_to_member_at
             WHERE id = ? AND sent_to_member_at = ? AND state = 'with_member'
               AND member_answer IS NULL
               AND (silence_told_for IS NULL OR silence_told_for <> sent_to_member_at)
               AND (request_id IS NOT NULL OR NOT EXISTS (
                     SELECT 1 FROM memberships m
                     WHERE m.id = sheets.membership_id AND m.exempt_reason IS NOT NULL))",
            not_withdrawn!()
        ))
        .bind(id)
        .bind(sent_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            continue;
        }
        let silent: Silent = sqlx::query_as(concat!(
            "SELECT s.id AS sheet_id, m.user_id, m.cell_id, c.name AS cell_name, m.full_name,
                    m.phone, m.introduced_on, ",
            active_since_sql!(),
            " AS active_since,
                    (SELECT COUNT(*) FROM memberships o
                     WHERE o.cell_id = m.cell_id AND o.status = 'approved'
                       AND o.full_name = m.full_name) AS namesakes,
                    (s.request_id IS NOT NULL) AS on_request
             FROM sheets s JOIN memberships m ON m.id = s.membership_id
             JOIN cells c ON c.id = m.cell_id
             WHERE s.id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        for writer in writers_told(&mut tx, id, silent.cell_id, silent.user_id).await? {
            match told.iter_mut().find(|(w, _)| *w == writer) {
                Some((_, list)) => list.push(silent.clone()),
                None => told.push((writer, vec![silent.clone()])),
            }
        }
    }
    let mut notices = Vec::with_capacity(told.len());
    for (writer, list) in &told {
        let to = Recipient::load(&mut tx, *writer).await?;
        notices.push(notify(to, list));
    }
    outbox::enqueue_notices(&mut tx, &notices, now).await?;
    tx.commit().await?;
    Ok(notices.len())
}
