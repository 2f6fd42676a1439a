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
