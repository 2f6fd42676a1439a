//! Residence meetings: calling one (with its invitations), and reading it.
//! Answers, postponement, cancellation, check-in and the register are
//! audited transactions here too.

use chrono::{DateTime, Utc};

use super::{
    Pool,
    outbox::{self, Notice},
};
use crate::domain::meeting::{MeetingKind, MeetingStatus};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub cell_id: i64,
    pub cell_name: String,
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub agenda: String,
    pub status: String,
    pub called_by: i64,
    pub created_at: DateTime<Utc>,
    pub postponed: i64,
    pub reminded_at: Option<DateTime<Utc>>,
    pub summary_chat_id: Option<i64>,
    pub summary_message_id: Option<i32>,
    pub checkin_code: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Meeting {
    pub fn kind(&self) -> MeetingKind {
        MeetingKind::parse(&self.kind).unwrap_or(MeetingKind::Cell)
    }

    pub fn status(&self) -> MeetingStatus {
        MeetingStatus::parse(&self.status).unwrap_or(MeetingStatus::Cancelled)
    }
}

macro_rules! meeting_select {
    () => {
        "SELECT mt.id, mt.cell_id, c.name AS cell_name, mt.kind, mt.starts_at, mt.place,
            mt.agenda, mt.status, mt.called_by, mt.created_at, mt.postponed, mt.reminded_at,
            mt.summary_chat_id, mt.summary_message_id, mt.checkin_code, mt.closed_at
         FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
    };
}

/// One invited member.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub meeting_id: i64,
    pub membership_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub exempt: bool,
    pub answer: Option<String>,
    pub reason: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub attendance: Option<String>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub report_id: Option<i64>,
}

/// A meeting as the secretary called it.
#[derive(Debug, Clone)]
pub struct NewMeeting<'a> {
    /// Unique per "Send invitations" press: a redelivered update finds the
    /// meeting already called.
    pub token: &'a str,
    pub cell_id: i64,
    pub kind: MeetingKind,
    pub starts_at: DateTime<Utc>,
    pub place: &'a str,
    pub agenda: &'a str,
    pub called_by: i64,
}

/// Who is invited: every approved member of the cell at the time of the
/// call, exempt ones marked.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Invitee {
    pub membership_id: i64,
    pub user_id: i64,
    pub exempt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Called {
    /// Called now, with this many invitations queued.
    New { id: i64, invited: usize },
    /// The same press was already handled.
    Already { id: i64 },
}

/// Calls a meeting: the meeting, one invitation per approved member of the
/// cell, the audit entry and the invitations' messages (from `invite`,
/// given the meeting's id and the invitees) in one transaction.
pub async fn create(
    pool: &Pool,
    new: &NewMeeting<'_>,
    now: DateTime<Utc>,
    invite: impl FnOnce(i64, &[Invitee]) -> Vec<Notice>,
) -> sqlx::Result<Called> {
    let mut tx = super::tx::begin(pool).await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM meetings WHERE token = ?")
        .bind(new.token)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(id) = existing {
        return Ok(Called::Already { id });
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (token, cell_id, kind, starts_at, place, agenda, called_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.token)
    .bind(new.cell_id)
    .bind(new.kind.as_str())
    .bind(new.starts_at)
    .bind(new.place)
    .bind(new.agenda)
    .bind(new.called_by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let invitees: Vec<Invitee> = sqlx::query_as(
        "INSERT INTO meeting_invitations (meeting_id, membership_id, user_id, exempt)
         SELECT ?, m.id, m.user_id, m.exempt_reason IS NOT NULL
         FROM memberships m WHERE m.cell_id = ? AND m.status = 'approved'
         RETURNING membership_id, user_id, exempt",
    )
    .bind(id)
    .bind(new.cell_id)
    .fetch_all(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: Some(new.called_by),
        action: "meeting_call",
        subject: "meeting",
        subject_id: id,
        details: serde_json::json!({
            "cell": new.cell_id,
            "kind": new.kind.as_str(),
            "starts_at": new.starts_at.to_rfc3339(),
            "invited": invitees.len(),
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    outbox::enqueue_notices(&mut tx, &invite(id, &invitees), now).await?;
    tx.commit().await?;
    Ok(Called::New {
        id,
        invited: invitees.len(),
    })
}

pub async fn get<'e>(
    conn: impl sqlx::SqliteExecutor<'e>,
    id: i64,
) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as(concat!(meeting_select!(), " WHERE mt.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A meeting's invitations, by member name.
pub async fn invitations<'e>(
    conn: impl sqlx::SqliteExecutor<'e>,
    meeting_id: i64,
) -> sqlx::Result<Vec<Invitation>> {
    sqlx::query_as(
        "SELECT i.meeting_id, i.membership_id, i.user_id, m.full_name, i.exempt, i.answer,
            i.reason, i.answered_at, i.attendance, i.checked_in_at, i.report_id
         FROM meeting_invitations i JOIN memberships m ON m.id = i.membership_id
         WHERE i.meeting_id = ? ORDER BY m.full_name, m.id",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await
}

// meetings (issue 10: answers, postponement, cancellation, reminders, lists)

/// An invited member still active in the cell, with the language they read.
#[derive(Debug, Clone, Copy)]
pub struct Told {
    pub invitee: Invitee,
    pub lang: crate::domain::Lang,
}

/// The invitations of a meeting whose members are still approved in the
/// cell, with their languages; `only_open`: those who will attend or have
/// not answered (who the reminder goes to).
async fn told(
    conn: &mut sqlx::SqliteConnection,
    meeting_id: i64,
    only_open: bool,
) -> sqlx::Result<Vec<Told>> {
    let rows: Vec<(i64, i64, bool, Option<String>)> = sqlx::query_as(
        "SELECT i.membership_id, i.user_id, i.exempt, u.language
         FROM meeting_invitations i
         JOIN memberships m ON m.id = i.membership_id AND m.status = 'approved'
         LEFT JOIN users u ON u.id = i.user_id
         WHERE i.meeting_id = ? AND (? = 0 OR i.answer IS NULL OR i.answer = 'attend')
         ORDER BY m.full_name, m.id",
    )
    .bind(meeting_id)
    .bind(only_open)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(membership_id, user_id, exempt, lang)| Told {
            invitee: Invitee {
                membership_id,
                user_id,
                exempt,
            },
            lang: lang
                .as_deref()
                .and_then(crate::domain::Lang::from_code)
                .unwrap_or_default(),
        })
        .collect())
}

/// The languages of a cell's approved members (for the invitations built
/// before the meeting is called).
pub async fn member_languages(
    pool: &Pool,
    cell_id: i64,
) -> sqlx::Result<std::collections::HashMap<i64, crate::domain::Lang>> {
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT m.user_id, u.language FROM memberships m LEFT JOIN users u ON u.id = m.user_id
         WHERE m.cell_id = ? AND m.status = 'approved'",
    )
    .bind(cell_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user, lang)| {
            (
                user,
                lang.as_deref()
                    .and_then(crate::domain::Lang::from_code)
                    .unwrap_or_default(),
            )
        })
        .collect())
}

/// What came of a member's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// Recorded; `changed` is false when it said the same before.
    Recorded {
        changed: bool,
    },
    /// No such meeting, or the presser is not (or no longer) invited.
    NotInvited,
    Cancelled,
    /// The meeting has started: answers are closed.
    Started,
}

/// The invitation of `user_id` to a meeting, if they are invited and still
/// an approved member of its cell.
pub async fn invitation_of<'e>(
    conn: impl sqlx::SqliteExecutor<'e>,
    meeting_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<Invitation>> {
    sqlx::query_as(
        "SELECT i.meeting_id, i.membership_id, i.user_id, m.full_name, i.exempt, i.answer,
            i.reason, i.answered_at, i.attendance, i.checked_in_at, i.report_id
         FROM meeting_invitations i
         JOIN memberships m ON m.id = i.membership_id AND m.status = 'approved'
         WHERE i.meeting_id = ? AND i.user_id = ? LIMIT 1",
    )
    .bind(meeting_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Records a member's answer (with the reason for a decline) while the
/// meeting is scheduled and has not started, with its audit entry, in one
/// transaction. The same answer again changes nothing.
pub async fn answer(
    pool: &Pool,
    meeting_id: i64,
    user_id: i64,
    answer: crate::domain::meeting::Answer,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> sqlx::Result<Answered> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(meeting) = get(&mut *tx, meeting_id).await? else {
        return Ok(Answered::NotInvited);
    };
    let Some(invitation) = invitation_of(&mut *tx, meeting_id, user_id).await? else {
        return Ok(Answered::NotInvited);
    };
    if meeting.status() != MeetingStatus::Scheduled {
        return Ok(Answered::Cancelled);
    }
    if !crate::domain::meeting::may_answer(meeting.starts_at, now) {
        return Ok(Answered::Started);
    }
    if invitation.answer.as_deref() == Some(answer.as_str())
        && invitation.reason.as_deref() == reason
    {
        return Ok(Answered::Recorded { changed: false });
    }
    let done = sqlx::query(
        "UPDATE meeting_invitations SET answer = ?, reason = ?, answered_at = ?
         WHERE meeting_id = ? AND membership_id = ?
           AND EXISTS (SELECT 1 FROM meetings WHERE id = ? AND status = 'scheduled'
                       AND starts_at > ?)",
    )
    .bind(answer.as_str())
    .bind(reason)
    .bind(now)
    .bind(meeting_id)
    .bind(invitation.membership_id)
    .bind(meeting_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Answered::Started);
    }
    let entry = super::audit::Entry {
        actor: Some(user_id),
        action: "meeting_answer",
        subject: "meeting",
        subject_id: meeting_id,
        details: serde_json::json!({
            "membership": invitation.membership_id,
            "answer": answer.as_str(),
            "reason": reason,
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(Answered::Recorded { changed: true })
}

/// What came of postponing or cancelling a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Done,
    /// Already cancelled (or no such meeting).
    NotScheduled,
    /// It has started: it can no longer be moved or cancelled.
    Started,
}

/// Checks, inside the transaction, that the meeting may still be changed.
async fn changeable(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Result<Meeting, Changed>> {
    let Some(meeting) = get(&mut *conn, id).await? else {
        return Ok(Err(Changed::NotScheduled));
    };
    if meeting.status() != MeetingStatus::Scheduled {
        return Ok(Err(Changed::NotScheduled));
    }
    if now >= meeting.starts_at {
        return Ok(Err(Changed::Started));
    }
    Ok(Ok(meeting))
}

/// Moves a scheduled meeting that has not started to `starts_at`: the
/// answers and the reminder are reset, the count of postponements goes up,
/// and everyone invited is told (`notify`), in one audited transaction.
pub async fn postpone(
    pool: &Pool,
    id: i64,
    by: i64,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Meeting, &[Told]) -> Vec<Notice>,
) -> sqlx::Result<Changed> {
    let mut tx = super::tx::begin(pool).await?;
    let before = match changeable(&mut tx, id, now).await? {
        Ok(meeting) => meeting,
        Err(outcome) => return Ok(outcome),
    };
    sqlx::query(
        "UPDATE meetings SET starts_at = ?, postponed = postponed + 1, reminded_at = NULL
         WHERE id = ? AND status = 'scheduled'",
    )
    .bind(starts_at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE meeting_invitations SET answer = NULL, reason = NULL, answered_at = NULL
         WHERE meeting_id = ?",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "meeting_postpone",
        subject: "meeting",
        subject_id: id,
        details: serde_json::json!({
            "from": before.starts_at.to_rfc3339(),
            "to": starts_at.to_rfc3339(),
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    let meeting = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let told = told(&mut tx, id, false).await?;
    outbox::enqueue_notices(&mut tx, &notify(&meeting, &told), now).await?;
    tx.commit().await?;
    Ok(Changed::Done)
}

/// Cancels a scheduled meeting that has not started and tells everyone
/// invited (`notify`), in one audited transaction.
pub async fn cancel(
    pool: &Pool,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Meeting, &[Told]) -> Vec<Notice>,
) -> sqlx::Result<Changed> {
    let mut tx = super::tx::begin(pool).await?;
    if let Err(outcome) = changeable(&mut tx, id, now).await? {
        return Ok(outcome);
    }
    sqlx::query(
        "UPDATE meetings SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?
         WHERE id = ? AND status = 'scheduled'",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "meeting_cancel",
        subject: "meeting",
        subject_id: id,
        details: serde_json::json!({}),
    };
    super::audit::append(&mut tx, entry, now).await?;
    let meeting = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let told = told(&mut tx, id, false).await?;
    outbox::enqueue_notices(&mut tx, &notify(&meeting, &told), now).await?;
    tx.commit().await?;
    Ok(Changed::Done)
}

/// Where the secretary's summary message of a meeting is.
/// `shown` is what it shows (see [`summary_changes`]).
pub async fn set_summary(
    pool: &Pool,
    id: i64,
    chat_id: i64,
    message_id: i32,
    shown: &str,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    sqlx::query(
        "UPDATE meetings SET summary_chat_id = ?, summary_message_id = ?, summary_shown = ?
         WHERE id = ?",
    )
    .bind(chat_id)
    .bind(message_id)
    .bind(shown)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Scheduled meetings starting in `(now, until]` whose day-before reminder
/// has not been queued (served by the index `meetings_to_remind`).
pub async fn to_remind(
    pool: &Pool,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<Meeting>> {
    sqlx::query_as(concat!(
        meeting_select!(),
        " WHERE mt.status = 'scheduled' AND mt.reminded_at IS NULL
            AND mt.starts_at > ? AND mt.starts_at <= ? ORDER BY mt.starts_at, mt.id"
    ))
    .bind(now)
    .bind(until)
    .fetch_all(pool)
    .await
}

/// Queues the reminder of a meeting (to those who will attend or have not
/// answered) and marks it reminded, in one transaction; `None` if it was
/// reminded already, cancelled or moved meanwhile.
pub async fn remind(
    pool: &Pool,
    id: i64,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Meeting, &[Told]) -> Vec<Notice>,
) -> sqlx::Result<Option<usize>> {
    let mut tx = super::tx::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE meetings SET reminded_at = ?
         WHERE id = ? AND status = 'scheduled' AND reminded_at IS NULL AND starts_at = ?",
    )
    .bind(now)
    .bind(id)
    .bind(starts_at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let meeting = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let told = told(&mut tx, id, true).await?;
    let notices = notify(&meeting, &told);
    outbox::enqueue_notices(&mut tx, &notices, now).await?;
    tx.commit().await?;
    Ok(Some(notices.len()))
}

/// A meeting in a cell's list, with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub status: String,
    pub invited: i64,
    pub attending: i64,
    pub excused: i64,
    pub unanswered: i64,
    /// Marked present in the register (0 until it is kept).
    pub present: i64,
}

/// A cell's meetings starting in `[from, until)`, in time order.
pub async fn of_cell_between(
    pool: &Pool,
    cell_id: i64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(
        "SELECT mt.id, mt.kind, mt.starts_at, mt.place, mt.status,
            COUNT(i.membership_id) AS invited,
            COALESCE(SUM(i.answer = 'attend'), 0) AS attending,
            COALESCE(SUM(i.answer = 'decline'), 0) AS excused,
            COALESCE(SUM(i.membership_id IS NOT NULL AND i.answer IS NULL), 0) AS unanswered,
            COALESCE(SUM(i.attendance = 'present'), 0) AS present
         FROM meetings mt LEFT JOIN meeting_invitations i ON i.meeting_id = mt.id
         WHERE mt.cell_id = ? AND mt.starts_at >= ? AND mt.starts_at < ?
         GROUP BY mt.id ORDER BY mt.starts_at, mt.id",
    )
    .bind(cell_id)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await
}

/// One of a member's invitations, with its meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Mine {
    pub meeting_id: i64,
    pub cell_name: String,
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub status: String,
    pub answer: Option<String>,
    pub reason: Option<String>,
    pub attendance: Option<String>,
}

/// A user's invitations to meetings starting in `[from, until)`.
pub async fn of_user_between(
    pool: &Pool,
    user_id: i64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<Mine>> {
    sqlx::query_as(
        "SELECT mt.id AS meeting_id, c.name AS cell_name, mt.kind, mt.starts_at, mt.place,
            mt.status, i.answer, i.reason, i.attendance
         FROM meeting_invitations i
         JOIN meetings mt ON mt.id = i.meeting_id
         JOIN cells c ON c.id = mt.cell_id
         WHERE i.user_id = ? AND mt.starts_at >= ? AND mt.starts_at < ?
         ORDER BY mt.starts_at, mt.id",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await
}

/// Records what the summary message is about to show; false if it shows
/// that already (no edit is needed).
pub async fn summary_changes(pool: &Pool, id: i64, shown: &str) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE meetings SET summary_shown = ? WHERE id = ? AND summary_shown IS NOT ?",
    )
    .bind(shown)
    .bind(id)
    .bind(shown)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}
