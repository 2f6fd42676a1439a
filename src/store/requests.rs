//! Comments on request: a workplace officer asks a member's residence cell
//! for a comment over a period; the cell drafts it as a sheet
//! (`sheets.request_id`) and signing it settles the request.

use chrono::{DateTime, NaiveDate, Utc};

use super::{
    Pool,
    audit::{self, Entry},
    outbox::{self, Notice, Recipient},
};
use crate::domain::{
    request::{ReasonKind, RequestState},
    sheet::Levels,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Request {
    pub id: i64,
    pub workplace_id: i64,
    pub officer_id: i64,
    pub membership_id: i64,
    pub reason_kind: String,
    pub reason_text: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub due_on: NaiveDate,
    pub state: String,
    pub sheet_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub signed_at: Option<DateTime<Utc>>,
    /// When the workplace withdrew it.
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl Request {
    pub fn state(&self) -> RequestState {
        RequestState::parse(&self.state).unwrap_or(RequestState::Cancelled)
    }

    pub fn reason(&self) -> ReasonKind {
        ReasonKind::parse(&self.reason_kind).unwrap_or(ReasonKind::Other)
    }
}

macro_rules! request_select {
    () => {
        "SELECT id, workplace_id, officer_id, membership_id, reason_kind, reason_text, period_from,
                period_to, due_on, state, sheet_id, created_at, signed_at, cancelled_at
         FROM comment_requests"
    };
}

/// The open requests about a member whose membership the cell ended (a
/// move is not this: its requests follow the member): cancelled with their
/// unsigned drafts, audited, in the caller's transaction; returned so that
/// the workplace is told.
pub(super) async fn cancel_for_leaver(
    conn: &mut sqlx::SqliteConnection,
    membership_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Request>> {
    let open: Vec<Request> = sqlx::query_as(concat!(
        request_select!(),
        " WHERE membership_id = ? AND state IN ('requested', 'drafting') ORDER BY id"
    ))
    .bind(membership_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in &open {
        // The request lets go of its draft first (a foreign key), then the
        // draft goes.
        // Not withdrawn by the workplace: no withdrawal day (/requests says
        // "cancelled", not "withdrawn on").
        sqlx::query(
            "UPDATE comment_requests SET state = 'cancelled', sheet_id = NULL, cancelled_at = NULL,
                    updated_at = ?
             WHERE id = ?",
        )
        .bind(now)
        .bind(r.id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "DELETE FROM documents WHERE sheet_id IN (
                 SELECT id FROM sheets WHERE request_id = ? AND state <> 'signed')",
        )
        .bind(r.id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM sheets WHERE request_id = ? AND state <> 'signed'")
            .bind(r.id)
            .execute(&mut *conn)
            .await?;
        let details = serde_json::json!({ "from": r.state, "membership": membership_id });
        audit::append(conn, entry(by, "request_cancel_left", r.id, details), now).await?;
    }
    Ok(open)
}

ever_given! {
    /// Whether `id` was ever given to a comment request (its row may be gone:
    /// made after the backup the database was restored from, whose ids a
    /// restore skips), where a message of it may still be shown.
    "comment_requests"
}

pub async fn get(pool: &Pool, id: i64) -> sqlx::Result<Option<Request>> {
    sqlx::query_as(concat!(request_select!(), " WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

async fn get_in(conn: &mut sqlx::SqliteConnection, id: i64) -> sqlx::Result<Option<Request>> {
    sqlx::query_as(concat!(request_select!(), " WHERE id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A member an officer may ask about: approved, of one of the officer's
/// workplaces.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub membership_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub cell_id: i64,
    pub cell_name: String,
    pub workplace_id: i64,
    pub exempt_reason: Option<String>,
    /// What tells namesakes of one cell apart: the phone, the month of
    /// introduction to the cell (or of acceptance).
    pub phone: Option<String>,
    pub introduced_on: Option<NaiveDate>,
    pub accepted_at: DateTime<Utc>,
}

/// The columns of a [`Candidate`], membership `m` with its cell `c`.
macro_rules! candidate_select {
    () => {
        "SELECT m.id AS membership_id, m.user_id, m.full_name, m.cell_id, c.name AS cell_name,
                m.workplace_id, m.exempt_reason, m.phone, m.introduced_on,
                COALESCE(m.decided_at, m.requested_at) AS accepted_at
         FROM memberships m
         JOIN cells c ON c.id = m.cell_id"
    };
}

/// The approved members of the workplaces `officer` is an officer of now,
/// by name.
pub async fn candidates(pool: &Pool, officer: i64) -> sqlx::Result<Vec<Candidate>> {
    sqlx::query_as(concat!(
        candidate_select!(),
        " JOIN workplace_officers o ON o.workplace_id = m.workplace_id AND o.user_id = ?
         WHERE m.status = 'approved' AND m.user_id <> o.user_id
         ORDER BY m.full_name COLLATE vi_name, m.id"
    ))
    .bind(officer)
    .fetch_all(pool)
    .await
}

/// The members of the workplaces `officer` is an officer of now whose
/// request to join a residence cell is still waiting for the cell (not
/// the officer's own): (name, cell). No cell can comment on them yet.
pub async fn waiting_to_join(pool: &Pool, officer: i64) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT m.full_name, c.name FROM memberships m
         JOIN cells c ON c.id = m.cell_id
         JOIN workplace_officers o ON o.workplace_id = m.workplace_id AND o.user_id = ?
         WHERE m.status = 'pending' AND m.user_id <> o.user_id
         ORDER BY m.full_name COLLATE vi_name, m.id",
    )
    .bind(officer)
    .fetch_all(pool)
    .await
}

/// The people whose membership of a residence cell ended (not by a move)
/// while they declared one of the workplaces `officer` is an officer of
/// now, and who are a member of no cell now, nor waiting to be (not the
/// officer): (name, cell, ended at), the latest ending of each. No cell
/// can comment on them.
pub async fn ended_of_workplaces(
    pool: &Pool,
    officer: i64,
) -> sqlx::Result<Vec<(String, String, DateTime<Utc>)>> {
    sqlx::query_as(
        "SELECT m.full_name, c.name, m.ended_at FROM memberships m
         JOIN cells c ON c.id = m.cell_id
         JOIN workplace_officers o ON o.workplace_id = m.workplace_id AND o.user_id = ?
         WHERE m.status = 'left' AND m.end_reason IS NOT 'moved' AND m.ended_at IS NOT NULL
           AND m.user_id <> o.user_id
           AND NOT EXISTS (SELECT 1 FROM memberships n WHERE n.user_id = m.user_id
                           AND (n.status IN ('approved', 'pending')
                                OR (n.status = 'left' AND n.ended_at > m.ended_at)))
         ORDER BY m.full_name COLLATE vi_name, m.id",
    )
    .bind(officer)
    .fetch_all(pool)
    .await
}

/// One of [`candidates`], by membership id (`None` if the officer may not
/// ask about it, now).
pub async fn candidate(
    pool: &Pool,
    officer: i64,
    membership_id: i64,
) -> sqlx::Result<Option<Candidate>> {
    Ok(candidates(pool, officer)
        .await?
        .into_iter()
        .find(|c| c.membership_id == membership_id))
}

/// What the officer sends.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    /// The dialogue's token: the same draft sends one request.
    pub token: &'a str,
    pub officer_id: i64,
    pub membership_id: i64,
    pub reason: ReasonKind,
    pub reason_text: Option<&'a str>,
    pub period: (NaiveDate, NaiveDate),
    pub due_on: NaiveDate,
}

/// What came of sending a request.
#[derive(Debug)]
pub enum Created {
    /// Stored and audited, its notices queued to `told` people (the cell's
    /// secretary, or the deputy: see `first_decider`; none where the cell
    /// has nobody).
    New { request: Box<Request>, told: usize },
    /// This draft was sent before (a second press, a redelivery).
    Again(Box<Request>),
    /// The workplace already has an open request about this member over an
    /// overlapping period (another officer, another draft): not asked
    /// twice; that request, and the name of whoever asked it.
    Open {
        request: Box<Request>,
        asked_by: String,
    },
    /// The member is no longer an approved member of the officer's
    /// workplace (the membership ended or was erased since the draft was
    /// checked); the officer still is its officer.
    MemberGone,
    /// The officer is no longer an officer of the member's workplace (or
    /// the member moved to a workplace that is not theirs).
    Refused,
}

/// Sends a request: in one write transaction the officer's right over the
/// member is checked again, the request stored and audited, and the
/// notices (`notify`, to each of the cell's first deciders for this
/// member) queued.
pub async fn create(
    pool: &Pool,
    new: NewRequest<'_>,
    now: DateTime<Utc>,
    notify: impl Fn(&Request, &CardFacts, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Created> {
    create_ending(pool, new, (now, None), notify).await
}

/// [`create`], writing the request dialogue's next state (`then`: it ends)
/// in the transaction of the request: a kill right after it never leaves
/// the officer at the Send step of a request already sent.
pub async fn create_ending(
    pool: &Pool,
    new: NewRequest<'_>,
    (now, then): (DateTime<Utc>, Option<&super::dialogues::Next>),
    notify: impl Fn(&Request, &CardFacts, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Created> {
    let mut tx = super::tx::begin(pool).await?;
    let before: Option<i64> = sqlx::query_scalar("SELECT id FROM comment_requests WHERE token = ?")
        .bind(new.token)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(id) = before {
        let request = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        return Ok(Created::Again(Box::new(request)));
    }
    let workplace: Option<i64> = sqlx::query_scalar(
        "SELECT m.workplace_id FROM memberships m
         JOIN workplace_officers o ON o.workplace_id = m.workplace_id AND o.user_id = ?
         WHERE m.id = ? AND m.status = 'approved'",
    )
    .bind(new.officer_id)
    .bind(new.membership_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(workplace) = workplace else {
        // Which side changed: the member (their membership ended or erased,
        // while the officer still sits for its workplace) or the officer.
        let member_gone: bool = sqlx::query_scalar(
            "SELECT NOT EXISTS (SELECT 1 FROM memberships WHERE id = ?1)
                 OR EXISTS (SELECT 1 FROM memberships m
                            JOIN workplace_officers o
                              ON o.workplace_id = m.workplace_id AND o.user_id = ?2
                            WHERE m.id = ?1 AND m.status <> 'approved')",
        )
        .bind(new.membership_id)
        .bind(new.officer_id)
        .fetch_one(&mut *tx)
        .await?;
        return Ok(if member_gone {
            Created::MemberGone
        } else {
            Created::Refused
        });
    };
    // One open request of a workplace about a member for a period: read in
    // this write transaction, so that two officers pressing Send at once
    // make one.
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM comment_requests
         WHERE workplace_id = ? AND membership_id = ? AND state IN ('requested', 'drafting')
               AND period_from <= ? AND period_to >= ?
         ORDER BY id LIMIT 1",
    )
    .bind(workplace)
    .bind(new.membership_id)
    .bind(new.period.1)
    .bind(new.period.0)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = open {
        let request = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        let asked_by = super::users::get(&mut *tx, request.officer_id)
            .await?
            .map(|u| u.display_name().to_string())
            .unwrap_or_default();
        return Ok(Created::Open {
            request: Box::new(request),
            asked_by,
        });
    }
    let id: i64 = sqlx::query_scalar(concat!(
        "INSERT INTO comment_requests (id, workplace_id, officer_id, membership_id, reason_kind,
                reason_text, period_from, period_to, due_on, state, token, created_at, updated_at)
         VALUES (",
        next_id!("comment_requests"),
        ", ?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?) RETURNING id"
    ))
    .bind(workplace)
    .bind(new.officer_id)
    .bind(new.membership_id)
    .bind(new.reason.as_str())
    .bind(new.reason_text)
    .bind(new.period.0)
    .bind(new.period.1)
    .bind(new.due_on)
    .bind(new.token)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let details = serde_json::json!({
        "membership_id": new.membership_id,
        "workplace_id": workplace,
        "reason": new.reason.as_str(),
        "reason_text": new.reason_text,
        "from": new.period.0,
        "to": new.period.1,
        "due": new.due_on,
    });
    audit::append(&mut tx, entry(new.officer_id, "request", id, details), now).await?;
    let request = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let told = queue_cards(&mut tx, &request, &notify, now).await?;
    if let Some(then) = then {
        super::dialogues::put(&mut tx, then, now).await?;
    }
    tx.commit().await?;
    Ok(Created::New {
        request: Box::new(request),
        told,
    })
}

/// What the card of a request to a cell's committee says besides the
/// request: the member as they are now (name, cell, exemption), the
/// workplace's name, and the officer who asked (told if it cannot be
/// delivered).
#[derive(Debug, Clone)]
pub struct CardFacts {
    pub member: Candidate,
    pub workplace: String,
    pub officer: Recipient,
}

/// Queues the request's card (`notify`) to each of the first deciders of
/// its member's cell now, in the caller's transaction; how many.
async fn queue_cards(
    conn: &mut sqlx::SqliteConnection,
    request: &Request,
    notify: &impl Fn(&Request, &CardFacts, Recipient) -> Vec<Notice>,
    now: DateTime<Utc>,
) -> sqlx::Result<usize> {
    let facts = card_facts(conn, request).await?;
    let (cell, owner) = (facts.member.cell_id, facts.member.user_id);
    let deciders = super::committee::first_recipients(conn, cell, owner).await?;
    for decider in &deciders {
        let to = Recipient::load(conn, *decider).await?;
        outbox::enqueue_notices(conn, &notify(request, &facts, to), now).await?;
    }
    Ok(deciders.len())
}

/// What a request's card says besides the request, read in the caller's
/// transaction.
async fn card_facts(
    conn: &mut sqlx::SqliteConnection,
    request: &Request,
) -> sqlx::Result<CardFacts> {
    let member: Candidate = sqlx::query_as(concat!(candidate_select!(), " WHERE m.id = ?"))
        .bind(request.membership_id)
        .fetch_one(&mut *conn)
        .await?;
    let workplace: String = sqlx::query_scalar("SELECT name FROM workplaces WHERE id = ?")
        .bind(request.workplace_id)
        .fetch_one(&mut *conn)
        .await?;
    let officer = Recipient::load(conn, request.officer_id).await?;
    Ok(CardFacts {
        member,
        workplace,
        officer,
    })
}

/// The card of open request `id` for `to` (a new decider after a change of
/// the committee), read in the caller's transaction; none once it is no
/// longer open.
pub async fn card_of(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    to: Recipient,
    notify: fn(&Request, &CardFacts, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Vec<Notice>> {
    let Some(request) = get_in(conn, id)
        .await?
        .filter(|r| matches!(r.state(), RequestState::Requested | RequestState::Drafting))
    else {
        return Ok(Vec::new());
    };
    let facts = card_facts(conn, &request).await?;
    Ok(notify(&request, &facts, to))
}

/// In the transaction that approves membership `to`, a move: the requests
/// that followed the member there ([`follow_move`]) are carded to the new
/// cell's first deciders, as a new request is.
pub async fn card_followed(
    conn: &mut sqlx::SqliteConnection,
    to: i64,
    notify: &impl Fn(&Request, &CardFacts, Recipient) -> Vec<Notice>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let followed: Vec<Request> = sqlx::query_as(concat!(
        request_select!(),
        " WHERE membership_id = ? AND state = 'requested' ORDER BY id"
    ))
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for request in &followed {
        queue_cards(conn, request, notify, now).await?;
    }
    Ok(())
}

/// The cell request `id` followed its member to, if it moved with them
/// (audited `request_moved`) away from a cell `user` decides for (its
/// secretary or deputy, or a supervisor of its ward): what a press on the
/// old cell's card is told. Nobody else learns where the member lives now.
pub async fn moved_to(pool: &Pool, id: i64, user: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(concat!(
        "SELECT c.name FROM comment_requests r
         JOIN memberships m ON m.id = r.membership_id
         JOIN cells c ON c.id = m.cell_id
         WHERE r.id = ?1 AND EXISTS (
             SELECT 1 FROM audit_log a
             JOIN memberships old ON old.id = json_extract(a.details, '$.from')
             JOIN cells oc ON oc.id = old.cell_id
             WHERE a.subject = 'comment_request' AND a.subject_id = ?1
               AND a.action = 'request_moved' AND old.cell_id <> m.cell_id
               AND ",
        decides_for_cell!("oc", "?2"),
        ")"
    ))
    .bind(id)
    .bind(user)
    .fetch_optional(pool)
    .await
}

fn entry(actor: i64, action: &'static str, id: i64, details: serde_json::Value) -> Entry<'static> {
    Entry {
        actor: Some(actor),
        action,
        subject: "comment_request",
        subject_id: id,
        details,
    }
}

/// What came of opening a request's draft.
#[derive(Debug)]
pub enum Drafting {
    /// The request's sheet (created now, or before).
    Sheet(i64),
    /// Signed: nothing to draft.
    Closed,
    /// The workplace withdrew it.
    Withdrawn,
    /// The one pressing may no longer write the member's sheets (their
    /// seat went after the press was checked): nothing written.
    NotAllowed,
}

/// Opens the request's sheet: created as a draft with the `suggested`
/// levels the first time (the request moves to drafting, audited), the
/// same sheet every time after.
pub async fn start_drafting(
    pool: &Pool,
    id: i64,
    by: i64,
    suggested: &Levels,
    now: DateTime<Utc>,
) -> sqlx::Result<Drafting> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(request) = get_in(&mut tx, id).await? else {
        return Ok(Drafting::Closed);
    };
    match request.state() {
        RequestState::Cancelled => return Ok(Drafting::Withdrawn),
        RequestState::Signed => return Ok(Drafting::Closed),
        RequestState::Requested | RequestState::Drafting => {}
    }
    if let Some(sheet) = request.sheet_id {
        return Ok(Drafting::Sheet(sheet));
    }
    // Who drafts it, judged again here: a handover (or the deputy removed)
    // that lands after the press was checked refuses it.
    let (cell_id, owner): (i64, i64) =
        sqlx::query_as("SELECT cell_id, user_id FROM memberships WHERE id = ?")
            .bind(request.membership_id)
            .fetch_one(&mut *tx)
            .await?;
    if super::committee::may_decide_in(&mut tx, cell_id, owner, by)
        .await?
        .is_err()
    {
        return Ok(Drafting::NotAllowed);
    }
    let year = chrono::Datelike::year(&request.period_to);
    let sheet: i64 = sqlx::query_scalar(concat!(
        "INSERT INTO sheets (id, membership_id, year, state, criteria, request_id, created_at,
                             updated_at)
         VALUES (",
        next_id!("sheets"),
        ", ?, ?, 'draft', ?, ?, ?, ?) RETURNING id"
    ))
    .bind(request.membership_id)
    .bind(year)
    .bind(serde_json::to_string(suggested).unwrap_or_else(|_| "[]".into()))
    .bind(id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE comment_requests SET state = 'drafting', sheet_id = ?, updated_at = ?
         WHERE id = ? AND state = 'requested'",
    )
    .bind(sheet)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "sheet_id": sheet });
    audit::append(&mut tx, entry(by, "request_draft", id, details), now).await?;
    tx.commit().await?;
    Ok(Drafting::Sheet(sheet))
}

/// Inside the transaction approving a member's move from membership `from`
/// to `to`: the comments still asked of the old cell follow the member to
/// the new one (the old cell can no longer write them, and the new cell's
/// /requests and digests list them); a draft the old cell had begun goes,
/// the new cell drafting afresh from the year's evidence. Audited.
pub async fn follow_move(
    conn: &mut sqlx::SqliteConnection,
    from: i64,
    to: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let moved: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "UPDATE comment_requests SET membership_id = ?, state = 'requested', sheet_id = NULL,
                updated_at = ?
         WHERE membership_id = ? AND state IN ('requested', 'drafting')
         RETURNING id, (SELECT s.id FROM sheets s
                        WHERE s.request_id = comment_requests.id AND s.state <> 'signed')",
    )
    .bind(to)
    .bind(now)
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    for (id, draft) in moved {
        if let Some(sheet) = draft {
            sqlx::query("DELETE FROM documents WHERE sheet_id = ?")
                .bind(sheet)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM sheets WHERE id = ? AND state <> 'signed'")
                .bind(sheet)
                .execute(&mut *conn)
                .await?;
        }
        let details = serde_json::json!({ "from": from, "to": to, "draft_removed": draft });
        audit::append(conn, entry(by, "request_moved", id, details), now).await?;
    }
    Ok(())
}

/// Inside the signing transaction of sheet `sheet_id`: its request (if it
/// answers one) is signed too, and audited.
pub async fn sign_in(
    conn: &mut sqlx::SqliteConnection,
    sheet_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let request: Option<i64> = sqlx::query_scalar(
        "UPDATE comment_requests SET state = 'signed', signed_at = ?, updated_at = ?
         WHERE id = (SELECT request_id FROM sheets WHERE id = ?)
           AND state IN ('requested', 'drafting')
         RETURNING id",
    )
    .bind(now)
    .bind(now)
    .bind(sheet_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = request {
        let details = serde_json::json!({ "sheet_id": sheet_id });
        audit::append(conn, entry(by, "request_signed", id, details), now).await?;
    }
    Ok(())
}

/// What a withdrawal notice needs to say, read in the withdrawing
/// transaction.
#[derive(Debug, Clone)]
pub struct Withdrawal {
    pub request: Request,
    pub full_name: String,
    pub cell_name: String,
    pub workplace_name: String,
}

/// Who a withdrawal notice goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    /// The cell's secretary (or deputy) who holds the request.
    Cell,
    /// The member, whose draft comment had been sent to them.
    Member,
}

/// What came of withdrawing a request.
#[derive(Debug)]
pub enum Withdraw {
    /// Cancelled and audited, its unsigned sheet (if any) closed, the
    /// notices queued: to `told` people in the cell (its secretary or
    /// deputy), and to the member if the draft had been sent to them.
    Withdrawn {
        withdrawal: Box<Withdrawal>,
        told: usize,
    },
    /// Signed before the withdrawal (its comment is with the officer).
    AlreadySigned,
    /// Withdrawn (or cancelled) before: a second press, a redelivery.
    AlreadyWithdrawn,
    /// The presser is not an officer of the request's workplace now.
    NotAllowed,
    /// No such request.
    Gone,
}

/// Withdraws a request, in one write transaction: the presser's right
/// over the request's workplace is read again, the request cancelled only
/// from `requested` or `drafting` and only while its sheet is not signed
/// (a signature racing it either came first, `AlreadySigned`, or finds the
/// request cancelled and refuses: see `sheets::sign`), audited, and the
/// notices (`notify`) queued to the cell's first deciders for the member
/// and, if the draft had been sent to them, to the member. The unsigned
/// sheet stays (with what was written, for the record) but every sheet
/// step refuses a sheet whose request is cancelled.
pub async fn withdraw(
    pool: &Pool,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
    notify: impl Fn(&Withdrawal, Told, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Withdraw> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(request) = get_in(&mut tx, id).await? else {
        return Ok(Withdraw::Gone);
    };
    // An officer who is the member concerned does not withdraw it.
    let about: i64 = sqlx::query_scalar("SELECT user_id FROM memberships WHERE id = ?")
        .bind(request.membership_id)
        .fetch_one(&mut *tx)
        .await?;
    if about == by || !super::workplaces::is_officer(&mut tx, request.workplace_id, by).await? {
        return Ok(Withdraw::NotAllowed);
    }
    match request.state() {
        RequestState::Signed => return Ok(Withdraw::AlreadySigned),
        RequestState::Cancelled => return Ok(Withdraw::AlreadyWithdrawn),
        RequestState::Requested | RequestState::Drafting => {}
    }
    let sheet: Option<(String, Option<DateTime<Utc>>)> =
        sqlx::query_as("SELECT state, sent_to_member_at FROM sheets WHERE request_id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if sheet.as_ref().is_some_and(|(state, _)| state == "signed") {
        return Ok(Withdraw::AlreadySigned);
    }
    let done = sqlx::query(
        "UPDATE comment_requests SET state = 'cancelled', cancelled_at = ?, updated_at = ?
         WHERE id = ? AND state IN ('requested', 'drafting')
           AND NOT EXISTS (SELECT 1 FROM sheets WHERE request_id = ? AND state = 'signed')",
    )
    .bind(now)
    .bind(now)
    .bind(id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        // Not reachable inside the write transaction; said safely anyway.
        return Ok(Withdraw::AlreadyWithdrawn);
    }
    let details = serde_json::json!({
        "from": request.state,
        "sheet_id": request.sheet_id,
        "sheet_state": sheet.as_ref().map(|(state, _)| state.clone()),
    });
    audit::append(&mut tx, entry(by, "request_withdraw", id, details), now).await?;
    let (full_name, member_user, cell, cell_name, workplace_name): (
        String,
        i64,
        i64,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT m.full_name, m.user_id, m.cell_id, c.name, w.name
         FROM memberships m
         JOIN cells c ON c.id = m.cell_id
         JOIN workplaces w ON w.id = ?
         WHERE m.id = ?",
    )
    .bind(request.workplace_id)
    .bind(request.membership_id)
    .fetch_one(&mut *tx)
    .await?;
    let request = get_in(&mut tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let withdrawal = Withdrawal {
        request,
        full_name,
        cell_name,
        workplace_name,
    };
    let mut told = 0;
    for holder in super::committee::first_recipients(&mut tx, cell, member_user).await? {
        let to = Recipient::load(&mut tx, holder).await?;
        outbox::enqueue_notices(&mut tx, &notify(&withdrawal, Told::Cell, to), now).await?;
        told += 1;
    }
    if sheet.is_some_and(|(_, sent)| sent.is_some()) {
        let to = Recipient::load(&mut tx, member_user).await?;
        outbox::enqueue_notices(&mut tx, &notify(&withdrawal, Told::Member, to), now).await?;
    }
    tx.commit().await?;
    Ok(Withdraw::Withdrawn {
        withdrawal: Box::new(withdrawal),
        told,
    })
}

/// Whether request `id` was withdrawn (read in a transaction).
pub async fn is_cancelled_in(conn: &mut sqlx::SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let state: Option<String> =
        sqlx::query_scalar("SELECT state FROM comment_requests WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(state.as_deref() == Some(RequestState::Cancelled.as_str()))
}

/// A request as `/requests` lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub full_name: String,
    /// The member's residence cell: what tells namesakes of one workplace
    /// apart in the list.
    pub cell_name: String,
    pub workplace_name: String,
    pub reason_kind: String,
    pub reason_text: Option<String>,
    pub due_on: NaiveDate,
    pub state: String,
    pub sheet_state: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A request as `/requests` lists it, joined to the officer (the one bound
/// parameter): only requests of the workplaces they are an officer of now.
macro_rules! listed_select {
    () => {
        "SELECT r.id, m.full_name, c.name AS cell_name, w.name AS workplace_name, r.reason_kind,
                r.reason_text, r.due_on, r.state, s.state AS sheet_state, r.signed_at,
                r.cancelled_at
         FROM comment_requests r
         JOIN workplace_officers o ON o.workplace_id = r.workplace_id AND o.user_id = ?
         JOIN memberships m ON m.id = r.membership_id AND m.user_id <> o.user_id
         JOIN cells c ON c.id = m.cell_id
         JOIN workplaces w ON w.id = r.workplace_id
         LEFT JOIN sheets s ON s.id = r.sheet_id"
    };
}

/// The requests of the workplaces `officer` is an officer of now, those
/// still open first (they need the officer's eye, and must not fall off the
/// list behind years of signed ones), then newest first (at most `limit`).
pub async fn of_officer(pool: &Pool, officer: i64, limit: i64) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(concat!(
        listed_select!(),
        " ORDER BY r.state IN ('requested', 'drafting') DESC, r.id DESC LIMIT ?"
    ))
    .bind(officer)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// One of [`of_officer`], by id (`None` if there is no such request or it
/// is not of a workplace `officer` is an officer of now).
pub async fn listed(pool: &Pool, officer: i64, id: i64) -> sqlx::Result<Option<Listed>> {
    sqlx::query_as(concat!(listed_select!(), " WHERE r.id = ?"))
        .bind(officer)
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// An open request past its due day, for the cell's and the workplace
/// officers' digests.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Overdue {
    pub id: i64,
    /// The member the comment is about.
    pub user_id: i64,
    pub cell_id: i64,
    pub cell_name: String,
    pub workplace_id: i64,
    pub workplace_name: String,
    pub full_name: String,
    pub reason_kind: String,
    pub reason_text: Option<String>,
    pub due_on: NaiveDate,
}

/// The open requests about approved members due before a day (bound
/// first), of the ids listed (bound second) in the column the suffix names,
/// oldest due first.
macro_rules! overdue_query {
    ($scope:literal) => {
        concat!(
            "SELECT r.id, m.user_id, m.cell_id, c.name AS cell_name, r.workplace_id,
                    w.name AS workplace_name, m.full_name, r.reason_kind, r.reason_text, r.due_on
             FROM comment_requests r
             JOIN memberships m ON m.id = r.membership_id
             JOIN cells c ON c.id = m.cell_id
             JOIN workplaces w ON w.id = r.workplace_id
             WHERE r.state IN ('requested', 'drafting') AND r.due_on < ?
               AND m.status = 'approved'
               AND ",
            $scope,
            " IN (SELECT value FROM json_each(?))
             ORDER BY r.due_on, r.id"
        )
    };
}

/// The open requests about members of `cells` due before `today`, oldest
/// due first.
pub async fn overdue_in_cells(
    pool: &Pool,
    cells: &[i64],
    today: NaiveDate,
) -> sqlx::Result<Vec<Overdue>> {
    sqlx::query_as(overdue_query!("m.cell_id"))
        .bind(today)
        .bind(super::id_list(cells))
        .fetch_all(pool)
        .await
}

/// Every open request about members of `cells` (the committee's list),
/// oldest due first.
pub async fn open_in_cells(pool: &Pool, cells: &[i64]) -> sqlx::Result<Vec<Overdue>> {
    let never = NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date");
    overdue_in_cells(pool, cells, never).await
}

/// The open requests of `workplaces` due before `today`, oldest due first.
pub async fn overdue_of_workplaces(
    pool: &Pool,
    workplaces: &[i64],
    today: NaiveDate,
) -> sqlx::Result<Vec<Overdue>> {
    sqlx::query_as(overdue_query!("r.workplace_id"))
        .bind(today)
        .bind(super::id_list(workplaces))
        .fetch_all(pool)
        .await
}
