//! Residence meetings: calling one (with its invitations), and reading it.
//! Answers, postponement, cancellation, check-in and the register are
//! audited transactions here too.

use chrono::{DateTime, Utc};

use super::{
    Pool,
    outbox::{self, Notice, Recipient},
    reports::Report,
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
    /// Who closed the register (none for a register closed by an operator).
    pub closed_by: Option<i64>,
}

impl Meeting {
    pub fn kind(&self) -> MeetingKind {
        MeetingKind::parse(&self.kind).unwrap_or(MeetingKind::Cell)
    }

    pub fn status(&self) -> MeetingStatus {
        MeetingStatus::parse(&self.status).unwrap_or(MeetingStatus::Cancelled)
    }

    /// Whether it may still be postponed or cancelled: scheduled, not
    /// started, and its register not closed (a register can be closed from
    /// an hour before the start: the meeting took place).
    pub fn may_change(&self, now: DateTime<Utc>) -> Result<(), Changed> {
        if self.status() != MeetingStatus::Scheduled {
            Err(Changed::NotScheduled)
        } else if now >= self.starts_at {
            Err(Changed::Started)
        } else if self.closed_at.is_some() {
            Err(Changed::Held)
        } else {
            Ok(())
        }
    }
}

macro_rules! meeting_select {
    () => {
        "SELECT mt.id, mt.cell_id, c.name AS cell_name, mt.kind, mt.starts_at, mt.place,
            mt.agenda, mt.status, mt.called_by, mt.created_at, mt.postponed, mt.reminded_at,
            mt.summary_chat_id, mt.summary_message_id, mt.checkin_code, mt.closed_at, mt.closed_by
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
    /// Who on the committee set the register's row (None: its first guess).
    pub marked_by: Option<i64>,
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
    /// The one calling it is no longer on the cell's committee (their seat
    /// went after the press was checked): nothing written.
    NotAllowed,
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
    create_ending(pool, new, (now, None), invite).await
}

/// [`create`], writing the calling dialogue's next state (`then`: it ends)
/// in the transaction of the call: a kill right after it never leaves the
/// secretary at the Send step of a meeting already called.
pub async fn create_ending(
    pool: &Pool,
    new: &NewMeeting<'_>,
    (now, then): (DateTime<Utc>, Option<&super::dialogues::Next>),
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
    if !super::committee::of_cell(&mut tx, new.cell_id)
        .await?
        .includes(new.called_by)
    {
        return Ok(Called::NotAllowed);
    }
    let id: i64 = sqlx::query_scalar(concat!(
        "INSERT INTO meetings (id, token, cell_id, kind, starts_at, place, agenda, called_by,
                               created_at)
         VALUES (",
        next_id!("meetings"),
        ", ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
    ))
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
    if let Some(then) = then {
        super::dialogues::put(&mut tx, then, now).await?;
    }
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

/// A meeting with the token of the draft it was called from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalledMeeting {
    #[sqlx(flatten)]
    pub meeting: Meeting,
    pub token: String,
}

/// The meetings `user_id` called most recently (at most `limit`), in one
/// query.
pub async fn called_by(pool: &Pool, user_id: i64, limit: i64) -> sqlx::Result<Vec<CalledMeeting>> {
    sqlx::query_as(concat!(
        "SELECT m.*, t.token FROM (",
        meeting_select!(),
        ") m JOIN meetings t ON t.id = m.id
         WHERE t.called_by = ? ORDER BY m.id DESC LIMIT ?"
    ))
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A meeting's invitations, by member name.
pub async fn invitations<'e>(
    conn: impl sqlx::SqliteExecutor<'e>,
    meeting_id: i64,
) -> sqlx::Result<Vec<Invitation>> {
    sqlx::query_as(
        "SELECT i.meeting_id, i.membership_id, i.user_id, m.full_name, i.exempt, i.answer,
            i.reason, i.answered_at, i.attendance, i.checked_in_at, i.report_id, i.marked_by
         FROM meeting_invitations i JOIN memberships m ON m.id = i.membership_id
         WHERE i.meeting_id = ? ORDER BY m.full_name COLLATE vi_name, m.id",
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
    /// When they had checked in, as the meeting was moved (a postponement
    /// resets check-ins): their notice asks them to check in again. None
    /// elsewhere.
    pub checked_in: Option<DateTime<Utc>>,
}

/// The invitations of a meeting whose members are still approved in the
/// cell and were told of it (a late invitation not yet sent is not: its
/// member hears of the meeting first through it, as it is then), with
/// their languages; `only_open`: those who will attend or have not
/// answered (who the reminder goes to).
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
         WHERE i.meeting_id = ? AND i.told = 1
           AND (? = 0 OR i.answer IS NULL OR i.answer = 'attend')
         ORDER BY m.full_name COLLATE vi_name, m.id",
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
            checked_in: None,
        })
        .collect())
}

/// The languages of a cell's approved members (for the invitations built
/// before the meeting is called).
pub async fn member_languages(
    pool: &Pool,
    cell_id: i64,
) -> sqlx::Result<std::collections::HashMap<i64, crate::domain::Lang>> {
    Ok(super::memberships::approved_readers(pool, cell_id)
        .await?
        .into_iter()
        .map(|(_, user, lang)| (user, lang))
        .collect())
}

ever_given! {
    /// Whether `id` was ever given to a meeting (its row may be gone: called
    /// after the backup the database was restored from, whose ids a restore
    /// skips), where a message of it may still be shown.
    "meetings"
}

/// What came of a member's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// Recorded; `changed` is false when it said the same before.
    /// `register_closed`: the register was closed before it (the meeting
    /// took place), so the answer did not change the attendance recorded;
    /// only the committee corrects it, audited.
    Recorded {
        changed: bool,
        register_closed: bool,
    },
    /// The presser is not (or no longer) invited.
    NotInvited,
    /// No such meeting (one called after the backup the bot was restored
    /// from; meetings are never deleted otherwise, or a forged id).
    Gone,
    Cancelled,
    /// The meeting has started: answers are closed.
    Started,
    /// A reason came for "cannot attend", but the member's answer is no
    /// longer that (they said they will attend since).
    NotDeclining,
    /// Pressed on a message from before the meeting was moved, to this
    /// start (or a reason typed for "cannot attend" pressed before it was
    /// moved): nothing recorded.
    MovedSince(DateTime<Utc>),
}

/// What a member says to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said<'a> {
    /// I will attend (a reason given before goes).
    Attend,
    /// I cannot attend: recorded at once; the reason given with an earlier
    /// "cannot attend" stays until a new one comes.
    Decline,
    /// The reason for "cannot attend", typed after it.
    Reason(&'a str),
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
            i.reason, i.answered_at, i.attendance, i.checked_in_at, i.report_id, i.marked_by
         FROM meeting_invitations i
         JOIN memberships m ON m.id = i.membership_id AND m.status = 'approved'
         WHERE i.meeting_id = ? AND i.user_id = ? LIMIT 1",
    )
    .bind(meeting_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Records what a member said to an invitation while the meeting is
/// scheduled and has not started, with its audit entry, in one
/// transaction. The same answer again changes nothing. A register closed
/// already (from an hour before the start) is final: the answer is
/// recorded, the attendance is left as the committee closed it. `shown`: how many
/// times the meeting had been postponed on the message whose button was
/// pressed (None for a typed reason): an answer to a time since moved is
/// not taken for the new one. `then`: the member's dialogue after the
/// question this answer ends (the reason's), written with a recorded
/// change, so that a process killed right after it never leaves the member
/// at a question already answered; otherwise the caller's to write.
pub async fn answer(
    pool: &Pool,
    (meeting_id, shown): (i64, Option<i64>),
    user_id: i64,
    said: Said<'_>,
    (now, then): (DateTime<Utc>, Option<&super::dialogues::Next>),
) -> sqlx::Result<Answered> {
    answer_said_at(pool, (meeting_id, shown), user_id, (said, now), (now, then)).await
}

/// [`answer`], said at `at` (≤ `now`): a typed reason counts when the
/// member sent it, as Telegram stamped the message, so that one typed
/// before the start and handled after it (the bot was down or behind) is
/// recorded, not refused as too late.
pub async fn answer_said_at(
    pool: &Pool,
    (meeting_id, shown): (i64, Option<i64>),
    user_id: i64,
    (said, at): (Said<'_>, DateTime<Utc>),
    (now, then): (DateTime<Utc>, Option<&super::dialogues::Next>),
) -> sqlx::Result<Answered> {
    use crate::domain::meeting::Answer;
    let at = at.min(now);
    let mut tx = super::tx::begin(pool).await?;
    let Some(meeting) = get(&mut *tx, meeting_id).await? else {
        return Ok(Answered::Gone);
    };
    let Some(invitation) = invitation_of(&mut *tx, meeting_id, user_id).await? else {
        return Ok(Answered::NotInvited);
    };
    if meeting.status() != MeetingStatus::Scheduled {
        return Ok(Answered::Cancelled);
    }
    if shown.is_some_and(|shown| shown != meeting.postponed) {
        return Ok(Answered::MovedSince(meeting.starts_at));
    }
    if !crate::domain::meeting::may_answer(meeting.starts_at, at) {
        return Ok(Answered::Started);
    }
    let declining = invitation.answer.as_deref() == Some(Answer::Decline.as_str());
    let (answer, reason) = match said {
        Said::Attend => (Answer::Attend, None),
        Said::Decline if declining => (Answer::Decline, invitation.reason.as_deref()),
        Said::Decline => (Answer::Decline, None),
        Said::Reason(reason) if declining => (Answer::Decline, Some(reason)),
        // No answer at all: the meeting was moved since "cannot attend"
        // was pressed (a postponement resets the answers).
        Said::Reason(_) if invitation.answer.is_none() && meeting.postponed > 0 => {
            return Ok(Answered::MovedSince(meeting.starts_at));
        }
        Said::Reason(_) => return Ok(Answered::NotDeclining),
    };
    let register_closed = meeting.closed_at.is_some();
    if invitation.answer.as_deref() == Some(answer.as_str())
        && invitation.reason.as_deref() == reason
    {
        return Ok(Answered::Recorded {
            changed: false,
            register_closed,
        });
    }
    // A register opened early (from an hour before the start) holds a
    // first guess from the answer then: it follows the new answer, unless
    // the committee has set the row itself, the member checked in, or the
    // register was closed (then it is the record).
    let checked_in = invitation.checked_in_at.is_some();
    let guessed = |said: Option<&str>| {
        Attendance::prefill(said.and_then(Answer::parse), checked_in, invitation.exempt)
    };
    let attendance = match invitation.attendance.as_deref().and_then(Attendance::parse) {
        Some(_) if invitation.marked_by.is_none() && !register_closed => {
            Some(guessed(Some(answer.as_str())))
        }
        stored => stored,
    };
    let done = sqlx::query(
        "UPDATE meeting_invitations SET answer = ?, reason = ?, answered_at = ?, attendance = ?
         WHERE meeting_id = ? AND membership_id = ?
           AND EXISTS (SELECT 1 FROM meetings WHERE id = ? AND status = 'scheduled'
                       AND starts_at > ?)",
    )
    .bind(answer.as_str())
    .bind(reason)
    .bind(now)
    .bind(attendance.map(Attendance::as_str))
    .bind(meeting_id)
    .bind(invitation.membership_id)
    .bind(meeting_id)
    .bind(at)
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
        // Whether a reason was given, never its text: the member's own
        // words (health, family) are erased with their invitations by
        // `/forgetme`, and the audit log outlives it.
        details: serde_json::json!({
            "membership": invitation.membership_id,
            "answer": answer.as_str(),
            "reason_given": reason.is_some(),
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    if let Some(then) = then {
        super::dialogues::put(&mut tx, then, now).await?;
    }
    tx.commit().await?;
    Ok(Answered::Recorded {
        changed: true,
        register_closed,
    })
}

/// What came of postponing or cancelling a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Done,
    /// Already cancelled (or no such meeting).
    NotScheduled,
    /// It has started: it can no longer be moved or cancelled.
    Started,
    /// Its register was closed before the start (allowed from an hour
    /// before): it took place, and can no longer be moved or cancelled.
    Held,
    /// Postponed to the time it already has: nothing changed (a time typed
    /// twice, or again after a crash, does not reset the answers twice).
    SameTime,
    /// Moved (by someone else) since the postponement was asked, to this
    /// start: nothing changed, the one who typed is to see it first.
    MovedSince(DateTime<Utc>),
    /// The one moving or cancelling it is no longer on the cell's
    /// committee (a handover, a deputy replaced, after their press or
    /// typed time was checked): nothing changed.
    NotAllowed,
}

/// Checks, inside the transaction, that the meeting may still be changed,
/// and by `by`: judged again here, so that a handover (or the deputy
/// removed) that lands after the press was checked refuses it.
async fn changeable(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Result<Meeting, Changed>> {
    let Some(meeting) = get(&mut *conn, id).await? else {
        return Ok(Err(Changed::NotScheduled));
    };
    if !super::committee::of_cell(&mut *conn, meeting.cell_id)
        .await?
        .includes(by)
    {
        return Ok(Err(Changed::NotAllowed));
    }
    Ok(meeting.may_change(now).map(|()| meeting))
}

/// Moves a scheduled meeting that has not started, and still starts at
/// `shown` (the time the one postponing saw), to `starts_at`: the
/// answers, check-ins, register marks and the reminder are reset, the
/// count of postponements goes up, and everyone invited is told
/// (`notify`), in one audited transaction, with the dialogue of the one
/// postponing after it (`then`).
pub async fn postpone(
    pool: &Pool,
    id: i64,
    by: i64,
    (shown, starts_at): (Option<DateTime<Utc>>, DateTime<Utc>),
    (now, then): (DateTime<Utc>, Option<&super::dialogues::Next>),
    notify: impl FnOnce(&Meeting, &[Told]) -> Vec<Notice>,
) -> sqlx::Result<Changed> {
    let mut tx = super::tx::begin(pool).await?;
    let before = match changeable(&mut tx, id, by, now).await? {
        Ok(meeting) => meeting,
        Err(outcome) => return Ok(outcome),
    };
    // First: the same postponement again (a redelivery) is not "moved".
    if before.starts_at == starts_at {
        return Ok(Changed::SameTime);
    }
    if shown.is_some_and(|shown| shown != before.starts_at) {
        return Ok(Changed::MovedSince(before.starts_at));
    }
    // Who had checked in for the old time: told, with the new time, to
    // check in again (the reset below is otherwise silent to them). Also
    // who had checked in for an earlier time and not since: the notice of
    // the move that reset it may never have gone (made stale by this one
    // while Telegram could not be reached), and they are still to check
    // in again.
    let checked_in: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT membership_id, COALESCE(checked_in_at, checked_in_earlier)
         FROM meeting_invitations
         WHERE meeting_id = ? AND COALESCE(checked_in_at, checked_in_earlier) IS NOT NULL",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE meetings SET starts_at = ?, postponed = postponed + 1, reminded_at = NULL
         WHERE id = ? AND status = 'scheduled'",
    )
    .bind(starts_at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE meeting_invitations SET answer = NULL, reason = NULL, answered_at = NULL,
            checked_in_earlier = COALESCE(checked_in_at, checked_in_earlier),
            checked_in_at = NULL, attendance = NULL, marked_by = NULL
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
    // The question for the new time ends with the move (`then`: the
    // dialogue it interrupted, if any), in this transaction.
    if let Some(then) = then {
        super::dialogues::put(&mut tx, then, now).await?;
    }
    tell_everyone(tx, entry, &checked_in, id, now, notify).await
}

/// The end of a postponement or cancellation: its audit entry and the
/// notices to everyone invited (`checked_in`: the memberships that had
/// checked in before a postponement reset it, and when), then the commit.
async fn tell_everyone(
    mut tx: super::tx::Tx,
    entry: super::audit::Entry<'_>,
    checked_in: &[(i64, DateTime<Utc>)],
    id: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Meeting, &[Told]) -> Vec<Notice>,
) -> sqlx::Result<Changed> {
    super::audit::append(&mut tx, entry, now).await?;
    let meeting = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let mut told = told(&mut tx, id, false).await?;
    for to in &mut told {
        to.checked_in = checked_in
            .iter()
            .find(|(membership, _)| *membership == to.invitee.membership_id)
            .map(|(_, at)| *at);
    }
    outbox::enqueue_notices(&mut tx, &notify(&meeting, &told), now).await?;
    tx.commit().await?;
    Ok(Changed::Done)
}

/// Cancels a scheduled meeting that has not started, and has been
/// postponed `shown` times as when the one cancelling was asked to confirm,
/// and tells everyone invited (`notify`), in one audited transaction.
pub async fn cancel(
    pool: &Pool,
    (id, shown): (i64, i64),
    by: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Meeting, &[Told]) -> Vec<Notice>,
) -> sqlx::Result<Changed> {
    let mut tx = super::tx::begin(pool).await?;
    let meeting = match changeable(&mut tx, id, by, now).await? {
        Ok(meeting) => meeting,
        Err(outcome) => return Ok(outcome),
    };
    // Postponed (by someone else) since the confirmation was shown: the
    // one cancelling is to see the new time first.
    if meeting.postponed != shown {
        return Ok(Changed::MovedSince(meeting.starts_at));
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
    tell_everyone(tx, entry, &[], id, now, notify).await
}

/// Where the secretary's summary message of a meeting is.
/// `shown` is what it shows (see [`queue_summary_edit`]); the edits of the
/// copy shown before still queued are superseded (its buttons go). The
/// sender may be sending one of them already (read before, accepted by
/// Telegram after the caller took the old copy's buttons off): the latest
/// of them is queued again without buttons in their place, so that the old
/// copy never gets its buttons back.
pub async fn set_summary(
    pool: &Pool,
    id: i64,
    chat_id: i64,
    message_id: i32,
    shown: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    let before: Option<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT summary_chat_id, summary_message_id FROM meetings WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((Some(chat), Some(message))) = before
        && (chat, message) != (chat_id, i64::from(message_id))
    {
        let latest: Option<String> = sqlx::query_scalar(
            "SELECT payload FROM outbox
             WHERE status = 'queued' AND priority = 0 AND broadcast_id IS NULL
               AND chat_id = ? AND json_extract(payload, '$.edit') = ?
             ORDER BY id DESC LIMIT 1",
        )
        .bind(chat)
        .bind(message)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(QUEUED_EDITS)
            .bind(chat)
            .bind(message)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let stripped = latest
            .and_then(|p| serde_json::from_str::<outbox::Payload>(&p).ok())
            .map(|payload| Notice {
                chat_id: chat,
                payload: outbox::Payload {
                    buttons: Vec::new(),
                    ..payload
                },
            });
        if let Some(notice) = stripped {
            outbox::enqueue_notices(&mut tx, std::slice::from_ref(&notice), now).await?;
        }
    }
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
    outbox::record_shown(&mut tx, (chat_id, i64::from(message_id)), shown, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A meeting's register shown in a chat (the latest one there): its
/// message, the page it shows and what it shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Register {
    pub chat_id: i64,
    pub message_id: i64,
    pub page: i64,
    pub shown: String,
}

/// SQL: the queued edits of message `?2` in chat `?1` (notices: priority
/// 0, no broadcast), superseded at `?3` by a newer rendering of it: marked
/// done unsent, not deleted (the sender may hold one, and a deleted row's
/// id would be the newer row's, which it would then mark sent).
const QUEUED_EDITS: &str =
    "UPDATE outbox SET status = 'sent', sent_at = ?3, last_error = 'superseded'
     WHERE status = 'queued' AND priority = 0 AND broadcast_id IS NULL
       AND chat_id = ?1 AND json_extract(payload, '$.edit') = ?2";

/// Records the register of meeting `id` just shown in a chat (sent, or
/// edited where a button was pressed), as the one that chat follows: its
/// edits still queued are superseded by it. The sender may be sending one
/// of them already (read before, accepted by Telegram after this showed):
/// `again`, the edit to what this shows, is queued in their place, sent
/// only if the message shows something else by then (the sender compares
/// with what Telegram last accepted), so that the register never stays one
/// behind.
pub async fn set_register(
    pool: &Pool,
    id: i64,
    shown: &Register,
    again: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    let superseded = sqlx::query(QUEUED_EDITS)
        .bind(shown.chat_id)
        .bind(shown.message_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if superseded > 0 {
        outbox::enqueue_notices(&mut tx, std::slice::from_ref(again), now).await?;
    }
    sqlx::query(
        "INSERT INTO meeting_registers (meeting_id, chat_id, message_id, page, shown)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (meeting_id, chat_id) DO UPDATE SET
             message_id = excluded.message_id, page = excluded.page, shown = excluded.shown",
    )
    .bind(id)
    .bind(shown.chat_id)
    .bind(shown.message_id)
    .bind(shown.page)
    .bind(&shown.shown)
    .execute(&mut *tx)
    .await?;
    let message = (shown.chat_id, shown.message_id);
    outbox::record_shown(&mut tx, message, &shown.shown, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The registers of meeting `id` shown in chats.
pub async fn registers(pool: &Pool, id: i64) -> sqlx::Result<Vec<Register>> {
    sqlx::query_as(
        "SELECT chat_id, message_id, page, shown FROM meeting_registers
         WHERE meeting_id = ? ORDER BY chat_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// The register shown as `message` (chat, message id) is gone from its
/// chat (its reader deleted it): no longer followed, so that check-ins do
/// not queue edits of it. Whether one was.
pub async fn forget_register(pool: &Pool, (chat_id, message_id): (i64, i64)) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let forgotten =
        sqlx::query("DELETE FROM meeting_registers WHERE chat_id = ? AND message_id = ?")
            .bind(chat_id)
            .bind(message_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    tx.commit().await?;
    Ok(forgotten > 0)
}

/// Queues the edit of a register shown in a chat to show `notice` (what
/// `shown` fingerprints), unless it shows that already (or is no longer
/// the register the chat follows): an edit of it still queued is replaced,
/// so a burst of check-ins makes one edit at the sender's pace per chat,
/// the last showing them all. Returns whether it was queued.
pub async fn queue_register_edit(
    pool: &Pool,
    id: i64,
    register: &Register,
    shown: &str,
    notice: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let changed = sqlx::query(
        "UPDATE meeting_registers SET shown = ?
         WHERE meeting_id = ? AND chat_id = ? AND message_id = ? AND shown IS NOT ?",
    )
    .bind(shown)
    .bind(id)
    .bind(register.chat_id)
    .bind(register.message_id)
    .bind(shown)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if changed {
        let message = (register.chat_id, register.message_id);
        queue_edit_in(&mut tx, message, notice, now).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Queues `notice`, the edit of `message` (chat, message id), in place of
/// its edits still queued (marked superseded, not deleted).
async fn queue_edit_in(
    conn: &mut sqlx::SqliteConnection,
    (chat_id, message_id): (i64, i64),
    notice: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(QUEUED_EDITS)
        .bind(chat_id)
        .bind(message_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    outbox::enqueue_notices(conn, std::slice::from_ref(notice), now).await
}

/// Queues the edit of the secretary's summary of meeting `id` (message
/// `message_id` in chat `chat_id`) to show `notice` (what `shown`
/// fingerprints), unless it shows that already (or the summary has moved
/// to another message): an edit of it still queued is replaced, as for the
/// registers, so a burst of answers or check-ins makes one edit at the
/// sender's pace per chat, the last showing them all. Returns whether it
/// was queued.
pub async fn queue_summary_edit(
    pool: &Pool,
    id: i64,
    (chat_id, message_id): (i64, i64),
    shown: &str,
    notice: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let changed = sqlx::query(
        "UPDATE meetings SET summary_shown = ?
         WHERE id = ? AND summary_chat_id = ? AND summary_message_id = ?
           AND summary_shown IS NOT ?",
    )
    .bind(shown)
    .bind(id)
    .bind(chat_id)
    .bind(message_id)
    .bind(shown)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if changed {
        queue_edit_in(&mut tx, (chat_id, message_id), notice, now).await?;
    }
    tx.commit().await?;
    Ok(changed)
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

/// Invites a member just approved into a cell to the cell's meetings still
/// to come, in the approval's transaction; [`tell_late`] queues the
/// messages. Returns the number of invitations made.
/// A member back in the cell who still has a row on one of them (their
/// data erased with /forgetme keeps the rows of meetings whose register was
/// closed early) keeps that row, moved to the new membership, as
/// [`adopt_rejoined`] does during a meeting: one row per member.
pub(crate) async fn invite_newcomer(
    conn: &mut sqlx::SqliteConnection,
    membership_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE OR IGNORE meeting_invitations SET membership_id = ?1
         WHERE user_id = (SELECT user_id FROM memberships WHERE id = ?1 AND status = 'approved')
           AND membership_id <> ?1
           AND meeting_id IN (SELECT mt.id FROM meetings mt JOIN memberships m ON m.id = ?1
                              WHERE mt.cell_id = m.cell_id AND mt.status = 'scheduled'
                                AND mt.starts_at > ?2)
           AND NOT EXISTS (SELECT 1 FROM memberships o
                           WHERE o.id = meeting_invitations.membership_id
                             AND o.status = 'approved')",
    )
    .bind(membership_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "INSERT OR IGNORE INTO meeting_invitations (meeting_id, membership_id, user_id, exempt, told)
         SELECT mt.id, m.id, m.user_id, m.exempt_reason IS NOT NULL, 0
         FROM memberships m
         JOIN meetings mt ON mt.cell_id = m.cell_id AND mt.status = 'scheduled' AND mt.starts_at > ?
         WHERE m.id = ? AND m.status = 'approved'",
    )
    .bind(now)
    .bind(membership_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// A membership that ended (moved away, left, removed) is no longer
/// invited to its cell's meetings still to come; meetings that started
/// keep it (the member may have been there). A presence already recorded
/// for one of them (checked in after its register was closed early, or
/// marked present on it) goes with the invitation, as a correction to
/// absent would take it (`by`, audited): the activity the cell recorded is
/// deleted, the member's own report unlinked; nothing counts a meeting
/// whose register does not list them.
pub(crate) async fn withdraw_leaver(
    conn: &mut sqlx::SqliteConnection,
    membership_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let recorded: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT meeting_id, report_id FROM meeting_invitations
         WHERE membership_id = ? AND report_id IS NOT NULL
           AND meeting_id IN (SELECT id FROM meetings WHERE status = 'scheduled' AND starts_at > ?)",
    )
    .bind(membership_id)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let done = sqlx::query(
        "DELETE FROM meeting_invitations
         WHERE membership_id = ?
           AND meeting_id IN (SELECT id FROM meetings WHERE status = 'scheduled' AND starts_at > ?)",
    )
    .bind(membership_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for (meeting_id, report_id) in recorded {
        let presence = (meeting_id, membership_id, report_id);
        take_back_report(&mut *conn, presence, by, now).await?;
    }
    Ok(done.rows_affected())
}

/// The report that counted a member present at a meeting, taken back
/// (`presence`: meeting, membership, report): one the cell recorded is
/// deleted, the member's own is unlinked (kept); audited (`by`).
async fn take_back_report(
    conn: &mut sqlx::SqliteConnection,
    (meeting_id, membership_id, report_id): (i64, i64, i64),
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let deleted = sqlx::query("DELETE FROM reports WHERE id = ? AND recorded_by_cell = 1")
        .bind(report_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if deleted == 0 {
        sqlx::query("UPDATE reports SET meeting_id = NULL WHERE id = ? AND meeting_id = ?")
            .bind(report_id)
            .bind(meeting_id)
            .execute(&mut *conn)
            .await?;
    }
    let entry = super::audit::Entry {
        actor: Some(by),
        action: if deleted == 1 {
            "meeting_unrecord"
        } else {
            "meeting_unlink"
        },
        subject: "report",
        subject_id: report_id,
        details: serde_json::json!({ "meeting": meeting_id, "membership": membership_id }),
    };
    super::audit::append(conn, entry, now).await?;
    Ok(())
}

/// The cell's meetings still to come whose summary a committee member
/// keeps (those whose invitations follow the cell's members: see
/// [`invite_newcomer`], [`withdraw_leaver`]).
pub async fn to_come_with_summary(
    pool: &Pool,
    cell_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM meetings
         WHERE cell_id = ? AND status = 'scheduled' AND starts_at > ?
           AND summary_message_id IS NOT NULL
         ORDER BY id",
    )
    .bind(cell_id)
    .bind(now)
    .fetch_all(pool)
    .await
}

/// The cell's meetings whose register is shown in a committee member's
/// chat and can still be kept or corrected (it starts after `since`): a
/// member who joins or leaves may change what it lists.
pub async fn with_registers_shown(
    pool: &Pool,
    cell_id: i64,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM meetings mt
         WHERE cell_id = ? AND status = 'scheduled' AND starts_at > ?
           AND EXISTS (SELECT 1 FROM meeting_registers r WHERE r.meeting_id = mt.id)
         ORDER BY id",
    )
    .bind(cell_id)
    .bind(since)
    .fetch_all(pool)
    .await
}

/// Invitations made after their meeting was called whose message is not
/// queued yet, as (meeting, membership), at most `limit` (served by the
/// index `meeting_invitations_untold`).
pub async fn untold(pool: &Pool, limit: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT meeting_id, membership_id FROM meeting_invitations WHERE told = 0
         ORDER BY meeting_id, membership_id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Queues a late invitation's message (`notify`, given the meeting and the
/// invitee) and marks it told, once, in one transaction. A meeting
/// cancelled or started meanwhile, or a member who left, gets no message
/// (the invitation is marked told all the same). False if it was told
/// already.
pub async fn tell_late(
    pool: &Pool,
    meeting_id: i64,
    membership_id: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Meeting, &Told) -> Vec<Notice>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE meeting_invitations SET told = 1
         WHERE meeting_id = ? AND membership_id = ? AND told = 0",
    )
    .bind(meeting_id)
    .bind(membership_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let meeting = get(&mut *tx, meeting_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if meeting.status() == MeetingStatus::Scheduled && meeting.starts_at > now {
        let to = told(&mut tx, meeting_id, false)
            .await?
            .into_iter()
            .find(|t| t.invitee.membership_id == membership_id);
        if let Some(to) = to {
            outbox::enqueue_notices(&mut tx, &notify(&meeting, &to), now).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
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
    /// Its register was closed: the meeting took place (a register may be
    /// closed from an hour before the start).
    pub closed: bool,
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
            COALESCE(SUM(i.attendance = 'present'), 0) AS present,
            mt.closed_at IS NOT NULL AS closed
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

/// A user's invitations to meetings starting in `[from, until)`. The
/// attendance only once it is final (the register closed) or certain (a
/// check-in): an open register's first guess is not the member's record.
pub async fn of_user_between(
    pool: &Pool,
    user_id: i64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<Mine>> {
    sqlx::query_as(
        "SELECT mt.id AS meeting_id, c.name AS cell_name, mt.kind, mt.starts_at, mt.place,
            mt.status, i.answer, i.reason,
            CASE WHEN mt.closed_at IS NOT NULL OR i.checked_in_at IS NOT NULL
                 THEN i.attendance END AS attendance
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

// attendance
//
// The QR check-in, the secretary's register (toggles, close, corrections)
// and what the year's views read of it. Every write is one audited
// transaction with conditional updates, so a press delivered twice or two
// presses at once change nothing more than one.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use rand::{Rng, distr::Alphanumeric};
use sqlx::FromRow;
use std::sync::LazyLock;

use crate::domain::permissions::Committee;

use crate::domain::meeting::{
    Answer, Attendance, CHECKIN_AFTER_HOURS, CHECKIN_BEFORE_MIN, Window, checkin_closes,
    checkin_window, correctable_until, local_date,
};

/// What tells a check-in code from an invite code in `/start`.
pub const CHECKIN_PREFIX: &str = "ck_";
/// Random characters of a check-in code: 22 from 62 letters, ~131 bits.
const CHECKIN_RANDOM: usize = 22;

/// Whether a `/start` parameter is a check-in code (by its shape only).
pub fn is_checkin_code(code: &str) -> bool {
    code.strip_prefix(CHECKIN_PREFIX).is_some_and(|rest| {
        rest.len() == CHECKIN_RANDOM && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

fn new_checkin_code() -> String {
    let random: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(CHECKIN_RANDOM)
        .map(char::from)
        .collect();
    format!("{CHECKIN_PREFIX}{random}")
}

/// What came of a committee member's `/checkin` for one meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checkin {
    /// The meeting's code (made now, or earlier).
    Code(String),
    /// No such meeting.
    Gone,
    /// The code was to be made and `by` is no longer on the cell's
    /// committee (read in the write transaction: a handover, a deputy
    /// replaced, or the role revoked after the command was checked).
    /// Nothing made.
    NotAllowed,
}

/// [`checkin_code`] for a committee member (`by`): a code to be made is
/// made only if they are still on the meeting's cell's committee, read in
/// the transaction that makes it.
pub async fn checkin_code_for(
    pool: &Pool,
    meeting_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Checkin> {
    code_made(pool, meeting_id, Some(by), now).await
}

/// The meeting's check-in code, made at the first call (once per meeting).
pub async fn checkin_code(
    pool: &Pool,
    meeting_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<String>> {
    Ok(match code_made(pool, meeting_id, None, now).await? {
        Checkin::Code(code) => Some(code),
        Checkin::Gone | Checkin::NotAllowed => None,
    })
}

/// The meeting's check-in code, read, or made if it has none yet (by `by`,
/// if given, only while they are on the cell's committee): one audited
/// write (`meeting_checkin_code`), the code's making its only change, so a
/// command served twice or two at once make one code and one entry.
async fn code_made(
    pool: &Pool,
    meeting_id: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<Checkin> {
    let existing: Option<Option<String>> =
        sqlx::query_scalar("SELECT checkin_code FROM meetings WHERE id = ?")
            .bind(meeting_id)
            .fetch_optional(pool)
            .await?;
    match existing {
        None => return Ok(Checkin::Gone),
        Some(Some(code)) => return Ok(Checkin::Code(code)),
        Some(None) => {}
    }
    #[derive(sqlx::FromRow)]
    struct Facts {
        cell_id: i64,
        checkin_code: Option<String>,
        secretary: Option<i64>,
        deputy: Option<i64>,
    }
    #[derive(sqlx::FromRow)]
    struct Made {
        checkin_code: String,
        head: Option<String>,
    }
    // The meeting and its cell's committee as they stand under the write
    // lock, and the code made if there is none yet (undone below if `by`
    // is no longer on the committee).
    static MAKE: LazyLock<String> = LazyLock::new(|| {
        format!(
            "UPDATE meetings SET checkin_code = ? WHERE id = ? AND checkin_code IS NULL
             RETURNING checkin_code, ({}) AS head",
            super::audit::HEAD
        )
    });
    let code = new_checkin_code();
    let (tx, rows) = super::tx::open(pool, |b| {
        b.push(concat!(
            "SELECT mt.cell_id, mt.checkin_code, ",
            committee_columns!("mt.cell_id"),
            " FROM meetings mt WHERE mt.id = ?"
        ))
        .bind(meeting_id);
        b.push(&MAKE).bind(code.clone()).bind(meeting_id);
    })
    .await?;
    let (facts, made) = match rows.as_slice() {
        [facts, made @ ..] => (Facts::from_row(facts)?, made.first()),
        [] => {
            tx.rollback().await?;
            return Ok(Checkin::Gone);
        }
    };
    let committee = Committee {
        secretary: facts.secretary,
        deputy: facts.deputy,
    };
    let Some(made) = made else {
        // Made meanwhile (a command served twice, or two at once).
        tx.rollback().await?;
        return Ok(facts.checkin_code.map_or(Checkin::Gone, Checkin::Code));
    };
    if let Some(by) = by
        && !committee.includes(by)
    {
        tx.rollback().await?;
        return Ok(Checkin::NotAllowed);
    }
    let made = Made::from_row(made)?;
    let entry = super::audit::Entry {
        actor: by,
        action: "meeting_checkin_code",
        subject: "meeting",
        subject_id: meeting_id,
        details: serde_json::json!({ "cell": facts.cell_id }),
    };
    let mut last = super::tx::Batch::default();
    super::audit::push_after(&mut last, made.head, entry, now);
    tx.commit(last).await?;
    Ok(Checkin::Code(made.checkin_code))
}

pub async fn by_checkin_code(pool: &Pool, code: &str) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as(concat!(meeting_select!(), " WHERE mt.checkin_code = ?"))
        .bind(code)
        .fetch_optional(pool)
        .await
}

/// The scheduled meetings of these cells whose check-in window holds `now`,
/// nearest to `now` first; then the next ones to come (window not open yet).
pub async fn checkin_candidates(
    pool: &Pool,
    cell_ids: &[i64],
    now: DateTime<Utc>,
) -> sqlx::Result<(Vec<Meeting>, Option<Meeting>)> {
    let cells = serde_json::to_string(cell_ids).unwrap_or_else(|_| "[]".into());
    let open: Vec<Meeting> = sqlx::query_as(concat!(
        meeting_select!(),
        " WHERE mt.cell_id IN (SELECT value FROM json_each(?)) AND mt.status = 'scheduled'
            AND mt.starts_at >= ? AND mt.starts_at <= ?"
    ))
    .bind(&cells)
    .bind(now - Duration::hours(CHECKIN_AFTER_HOURS))
    .bind(now + Duration::minutes(CHECKIN_BEFORE_MIN))
    .fetch_all(pool)
    .await?;
    let mut open: Vec<Meeting> = open
        .into_iter()
        .filter(|m| checkin_window(m.starts_at, now) == Window::Open)
        .collect();
    open.sort_by_key(|m| ((m.starts_at - now).num_seconds().abs(), m.id));
    let next: Option<Meeting> = sqlx::query_as(concat!(
        meeting_select!(),
        " WHERE mt.cell_id IN (SELECT value FROM json_each(?)) AND mt.status = 'scheduled'
            AND mt.starts_at > ? ORDER BY mt.starts_at, mt.id LIMIT 1"
    ))
    .bind(&cells)
    .bind(now + Duration::minutes(CHECKIN_BEFORE_MIN))
    .fetch_optional(pool)
    .await?;
    Ok((open, next))
}

/// What came of opening a check-in link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckIn {
    /// Marked present now; on a closed register, the pending report of
    /// theirs this approved, if any.
    Done { approved: Option<i64> },
    /// Checked in before (and not marked away by the committee since).
    Already { at: DateTime<Utc> },
    /// The meeting was cancelled.
    Cancelled,
    /// The window has not opened yet.
    NotYet,
    /// The window has closed.
    Closed,
    /// The committee set the member's row in the register to this absence
    /// (excused or absent) by a toggle: the cell's record, not moved by the
    /// member's claim. Nothing stored; the secretary or deputy corrects it.
    MarkedAway(Attendance),
    /// Not an approved member of the meeting's cell.
    NotMember,
    /// Asked to join the meeting's cell (or to move there), not confirmed
    /// yet: once confirmed, the code works until the window closes.
    NotConfirmed,
}

/// Marks `user_id` present at the meeting (once), if they are an approved
/// member of its cell and the check-in window is open. A member who joined
/// the cell after the meeting was called gets an invitation row. On a
/// register already closed (it may be from an hour before the start, while
/// check-in stays open) the member is present and their activity recorded
/// as at the close, by the one who closed it; a pending report of theirs
/// this approves is told as by a decision (`notices`). A member whose row
/// the committee marked excused or absent is refused (see
/// [`CheckIn::MarkedAway`]); judged in this transaction, so a toggle and a
/// check-in at once end as one of them came first. With the outcome, the
/// meeting as it was judged (`meeting` itself if it is gone): moved since
/// `meeting` was read, the answer names its time now.
pub async fn check_in(
    pool: &Pool,
    meeting: &Meeting,
    user_id: i64,
    (scanned, now): (DateTime<Utc>, DateTime<Utc>),
    tz: Tz,
    notices: RegisterNotices,
) -> sqlx::Result<(CheckIn, Meeting)> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(judged) = get(&mut *tx, meeting.id).await? else {
        return Ok((CheckIn::Cancelled, meeting.clone()));
    };
    let outcome = check_in_judged(tx, &judged, user_id, (scanned, now), tz, notices).await?;
    Ok((outcome, judged))
}

/// [`check_in`] to `meeting` as read in `tx`, which it commits.
async fn check_in_judged(
    mut tx: super::tx::Tx,
    meeting: &Meeting,
    user_id: i64,
    (scanned, now): (DateTime<Utc>, DateTime<Utc>),
    tz: Tz,
    notices: RegisterNotices,
) -> sqlx::Result<CheckIn> {
    let starts_at = meeting.starts_at;
    if meeting.status() != MeetingStatus::Scheduled {
        return Ok(CheckIn::Cancelled);
    }
    let member: Option<(i64, bool)> = sqlx::query_as(
        "SELECT id, exempt_reason IS NOT NULL FROM memberships
         WHERE user_id = ? AND cell_id = ? AND status = 'approved'",
    )
    .bind(user_id)
    .bind(meeting.cell_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((membership_id, exempt)) = member else {
        // A newcomer whose request to join waits (they joined at the
        // meeting itself): not "not a member", but not yet.
        let waiting: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM memberships
                            WHERE user_id = ? AND cell_id = ? AND status = 'pending')",
        )
        .bind(user_id)
        .bind(meeting.cell_id)
        .fetch_one(&mut *tx)
        .await?;
        return Ok(match (waiting, checkin_window(starts_at, scanned)) {
            (false, _) => CheckIn::NotMember,
            (true, Window::After) => CheckIn::Closed,
            (true, _) => CheckIn::NotConfirmed,
        });
    };
    // Back in the cell after their membership ended during the meeting:
    // the row they have on its register is theirs, not a second one.
    adopt_rejoined(&mut tx, meeting).await?;
    let before: Option<(Option<DateTime<Utc>>, Option<String>, bool)> = sqlx::query_as(
        "SELECT checked_in_at, attendance, marked_by IS NOT NULL FROM meeting_invitations
         WHERE meeting_id = ? AND membership_id = ?",
    )
    .bind(meeting.id)
    .bind(membership_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((Some(at), attendance, marked)) = &before {
        // Checked in, then marked away by the committee: the register's
        // record is said, not the check-in it overrode.
        return Ok(
            match (marked, attendance.as_deref().and_then(Attendance::parse)) {
                (true, Some(away @ (Attendance::Excused | Attendance::Absent))) => {
                    CheckIn::MarkedAway(away)
                }
                _ => CheckIn::Already { at: *at },
            },
        );
    }
    // When the code was scanned (sent), not when it reached the bot: a
    // check-in made during the meeting counts after an outage too.
    match checkin_window(starts_at, scanned) {
        Window::Before => return Ok(CheckIn::NotYet),
        Window::After => return Ok(CheckIn::Closed),
        Window::Open => {}
    }
    // The committee's own mark of an absence is the cell's record: a code
    // opened afterwards (a photo of the QR code) does not override it. The
    // register's first guess (marked_by NULL) does not count as a mark.
    if let Some((None, Some(attendance), true)) = &before
        && let Some(away @ (Attendance::Excused | Attendance::Absent)) =
            Attendance::parse(attendance)
    {
        return Ok(CheckIn::MarkedAway(away));
    }
    let before = before.map(|(at, _, _)| at);
    if before.is_none() {
        sqlx::query(
            "INSERT INTO meeting_invitations (meeting_id, membership_id, user_id, exempt)
             VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(meeting.id)
        .bind(membership_id)
        .bind(user_id)
        .bind(exempt)
        .execute(&mut *tx)
        .await?;
    }
    // An open register (not closed yet) shows the check-in at once.
    let done = sqlx::query(
        "UPDATE meeting_invitations SET checked_in_at = ?1,
             attendance = CASE WHEN attendance IS NOT NULL
                                AND (SELECT closed_at FROM meetings WHERE id = ?2) IS NULL
                               THEN 'present' ELSE attendance END
         WHERE meeting_id = ?2 AND membership_id = ?3 AND checked_in_at IS NULL
           AND NOT (marked_by IS NOT NULL AND attendance IN ('excused', 'absent'))",
    )
    .bind(scanned)
    .bind(meeting.id)
    .bind(membership_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(CheckIn::Already { at: scanned });
    }
    let entry = super::audit::Entry {
        actor: Some(user_id),
        action: "meeting_checkin",
        subject: "meeting",
        subject_id: meeting.id,
        details: serde_json::json!({ "membership": membership_id, "invited": before.is_some() }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    let mut approved = None;
    if meeting.closed_at.is_some() {
        approved = record_late_checkin(&mut tx, meeting, membership_id, now, tz, &notices).await?;
        tell_approved(&mut tx, approved.as_slice(), &notices, now).await?;
    }
    tx.commit().await?;
    Ok(CheckIn::Done { approved })
}

/// Queues, in the caller's transaction, the notice of each member whose
/// pending report the register approved, as a decision tells it.
async fn tell_approved(
    tx: &mut super::tx::Tx,
    approved: &[i64],
    notices: &RegisterNotices,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    for &report_id in approved {
        if let Some(report) = super::reports::get(&mut **tx, report_id).await? {
            let member = Recipient::reading(report.user_id, report.member_language.as_deref());
            outbox::enqueue_notices(tx, &(notices.decided)(&report, member), now).await?;
        }
    }
    Ok(())
}

/// A check-in on a closed register: the member becomes present (whatever
/// the register said) and their activity is recorded by the register's
/// closer, as the close would have. The report a pending one of theirs that
/// this approved, if any.
async fn record_late_checkin(
    tx: &mut super::tx::Tx,
    meeting: &Meeting,
    membership_id: i64,
    now: DateTime<Utc>,
    tz: Tz,
    notices: &RegisterNotices,
) -> sqlx::Result<Option<i64>> {
    let row: Row = sqlx::query_as(
        "SELECT membership_id, user_id, attendance, report_id FROM meeting_invitations
         WHERE meeting_id = ? AND membership_id = ?",
    )
    .bind(meeting.id)
    .bind(membership_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE meeting_invitations SET attendance = 'present'
         WHERE meeting_id = ? AND membership_id = ?",
    )
    .bind(meeting.id)
    .bind(membership_id)
    .execute(&mut **tx)
    .await?;
    if row.attendance.as_deref() != Some(Attendance::Present.as_str()) {
        let entry = super::audit::Entry {
            actor: Some(row.user_id),
            action: "attendance_correct",
            subject: "meeting",
            subject_id: meeting.id,
            details: serde_json::json!({
                "membership": membership_id,
                "from": row.attendance,
                "to": Attendance::Present.as_str(),
                "by": "checkin",
            }),
        };
        super::audit::append(tx, entry, now).await?;
    }
    if row.report_id.is_some() {
        return Ok(None);
    }
    // Nobody closed it (a register closed by an operator): the member's own
    // activity waits for a decider, as the closer's own does.
    let by = meeting.closed_by.unwrap_or(row.user_id);
    Ok(
        match record_present(tx, meeting, &row, by, now, tz, notices).await? {
            Recorded::Linked { approved } => approved,
            Recorded::New => None,
        },
    )
}

/// Meetings whose check-in has ended with their register still open, and
/// still open to closing, whose committee was not reminded yet: their ids
/// and starts.
pub async fn registers_left_open(
    pool: &Pool,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<(i64, DateTime<Utc>)>> {
    use crate::domain::meeting::{CHECKIN_AFTER_HOURS, CORRECTION_DAYS};
    sqlx::query_as(
        "SELECT id, starts_at FROM meetings
         WHERE status = 'scheduled' AND closed_at IS NULL AND register_reminded_at IS NULL
           AND starts_at <= ? AND starts_at > ?
         ORDER BY starts_at, id",
    )
    .bind(now - Duration::hours(CHECKIN_AFTER_HOURS))
    .bind(now - Duration::days(CORRECTION_DAYS))
    .fetch_all(pool)
    .await
}

/// Reminds the cell's secretary and deputy (`notify`: the meeting, how many
/// checked in, the recipients) that the register of meeting `id` is still
/// open, once, in one transaction; how many were told, or `None` if it was
/// closed or reminded meanwhile.
pub async fn remind_register(
    pool: &Pool,
    id: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Meeting, i64, &[Recipient]) -> Vec<Notice>,
) -> sqlx::Result<Option<usize>> {
    let mut tx = super::tx::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE meetings SET register_reminded_at = ?
         WHERE id = ? AND status = 'scheduled' AND closed_at IS NULL
           AND register_reminded_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let meeting = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let checked_in = checkin_count(&mut *tx, id).await?;
    let committee = super::committee::of_cell(&mut tx, meeting.cell_id).await?;
    let mut to = Vec::new();
    for user in committee.secretary.into_iter().chain(committee.deputy) {
        to.push(Recipient::load(&mut tx, user).await?);
    }
    let notices = notify(&meeting, checked_in, &to);
    outbox::enqueue_notices(&mut tx, &notices, now).await?;
    tx.commit().await?;
    Ok(Some(notices.len()))
}

/// How many members checked in (for the secretary's summary message).
pub async fn checkin_count<'e>(
    conn: impl sqlx::SqliteExecutor<'e>,
    meeting_id: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_invitations
         WHERE meeting_id = ? AND checked_in_at IS NOT NULL",
    )
    .bind(meeting_id)
    .fetch_one(conn)
    .await
}

/// The meetings of these cells whose register can be kept now (check-in
/// opened, within the correction period), latest first.
pub async fn register_meetings(
    pool: &Pool,
    cell_ids: &[i64],
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Meeting>> {
    let cells = serde_json::to_string(cell_ids).unwrap_or_else(|_| "[]".into());
    let list: Vec<Meeting> = sqlx::query_as(concat!(
        meeting_select!(),
        " WHERE mt.cell_id IN (SELECT value FROM json_each(?)) AND mt.status = 'scheduled'
            AND mt.starts_at <= ? AND mt.starts_at >= ?
          ORDER BY mt.starts_at DESC, mt.id DESC"
    ))
    .bind(&cells)
    .bind(now + Duration::minutes(CHECKIN_BEFORE_MIN))
    .bind(now - Duration::days(crate::domain::meeting::CORRECTION_DAYS))
    .fetch_all(pool)
    .await?;
    Ok(list
        .into_iter()
        .filter(|m| crate::domain::meeting::may_keep_register(m.starts_at, now))
        .collect())
}

/// The approved members of the meeting's cell without an invitation to it:
/// approved after it started ([`invite_newcomer`] invites only to meetings
/// still to come) and before its check-in closed (`?2`), while its
/// register is open.
macro_rules! latecomers {
    () => {
        "FROM memberships m JOIN meetings mt ON mt.cell_id = m.cell_id
         WHERE mt.id = ?1 AND mt.status = 'scheduled' AND mt.closed_at IS NULL
           AND m.status = 'approved' AND m.decided_at <= ?2
           AND NOT EXISTS (SELECT 1 FROM meeting_invitations i
                           WHERE i.meeting_id = mt.id AND i.membership_id = m.id)"
    };
}

/// Fills the register's first guess for every invitation not marked yet
/// (`Attendance::prefill`), so it survives restarts; a member approved into
/// the cell after the meeting started is added to the register first (not
/// invited: the meeting is under way). Returns how many were filled.
pub async fn prefill_register(pool: &Pool, meeting: &Meeting) -> sqlx::Result<u64> {
    let (meeting_id, until) = (meeting.id, checkin_closes(meeting.starts_at));
    let unmarked: bool = sqlx::query_scalar(concat!(
        "SELECT EXISTS (SELECT 1 FROM meeting_invitations
                        WHERE meeting_id = ?1 AND attendance IS NULL)
             OR EXISTS (SELECT 1 ",
        latecomers!(),
        ")"
    ))
    .bind(meeting_id)
    .bind(until)
    .fetch_one(pool)
    .await?;
    if !unmarked {
        return Ok(0);
    }
    let mut tx = super::tx::begin(pool).await?;
    // Postponed or cancelled since it was read: the register of the
    // meeting as it now is is not prefilled from the old one's answers.
    let now = get(&mut *tx, meeting_id).await?;
    if now
        .is_none_or(|m| m.starts_at != meeting.starts_at || m.status() != MeetingStatus::Scheduled)
    {
        return Ok(0);
    }
    add_latecomers(&mut tx, meeting).await?;
    let done = prefill_in(&mut tx, meeting_id).await?;
    tx.commit().await?;
    Ok(done)
}

/// The register rows of members whose membership ended after the meeting
/// began (they stay on it: they may have been there) and who are approved
/// into its cell again (removed by mistake and back, or moved away and
/// back), moved to the membership they hold now, in the caller's
/// transaction: one row per member, so the register does not list them
/// twice, nor the year's count hold the meeting twice, when they check in
/// or the register adds the cell's latecomers. A row of the new membership
/// there already is left as it is.
async fn adopt_rejoined(conn: &mut sqlx::SqliteConnection, meeting: &Meeting) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE OR IGNORE meeting_invitations
         SET membership_id = (SELECT m.id FROM memberships m
                              WHERE m.user_id = meeting_invitations.user_id AND m.cell_id = ?2
                                AND m.status = 'approved')
         WHERE meeting_id = ?1
           AND EXISTS (SELECT 1 FROM memberships m
                       WHERE m.user_id = meeting_invitations.user_id AND m.cell_id = ?2
                         AND m.status = 'approved' AND m.id <> meeting_invitations.membership_id)
           AND NOT EXISTS (SELECT 1 FROM memberships o
                           WHERE o.id = meeting_invitations.membership_id
                             AND o.status = 'approved')",
    )
    .bind(meeting.id)
    .bind(meeting.cell_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Adds the meeting's latecomers to its open register, in the caller's
/// transaction (a member back in the cell keeps their row: see
/// [`adopt_rejoined`]).
async fn add_latecomers(conn: &mut sqlx::SqliteConnection, meeting: &Meeting) -> sqlx::Result<u64> {
    adopt_rejoined(&mut *conn, meeting).await?;
    let done = sqlx::query(concat!(
        "INSERT OR IGNORE INTO meeting_invitations (meeting_id, membership_id, user_id, exempt)
         SELECT mt.id, m.id, m.user_id, m.exempt_reason IS NOT NULL ",
        latecomers!()
    ))
    .bind(meeting.id)
    .bind(checkin_closes(meeting.starts_at))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// [`prefill_register`] in the caller's transaction.
async fn prefill_in(conn: &mut sqlx::SqliteConnection, meeting_id: i64) -> sqlx::Result<u64> {
    let unmarked: Vec<(i64, Option<String>, bool, bool)> = sqlx::query_as(
        "SELECT membership_id, answer, checked_in_at IS NOT NULL, exempt FROM meeting_invitations
         WHERE meeting_id = ? AND attendance IS NULL",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut done = 0;
    for (membership_id, answer, checked_in, exempt) in unmarked {
        let answer = answer.as_deref().and_then(Answer::parse);
        let guess = Attendance::prefill(answer, checked_in, exempt);
        done += sqlx::query(
            "UPDATE meeting_invitations SET attendance = ?
             WHERE meeting_id = ? AND membership_id = ? AND attendance IS NULL",
        )
        .bind(guess.as_str())
        .bind(meeting_id)
        .bind(membership_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(done)
}

/// What came of a press on a member's toggle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marked {
    /// Set (and, on a closed register, the recorded activity follows);
    /// `approved`: the member's pending report of the meeting this
    /// approved (its notice queued with the mark), if any; `unrecorded`:
    /// the activity the register had recorded pending for its closer,
    /// deleted by this correction before anyone decided it (its cards
    /// still offer a decision), as it was.
    Done {
        approved: Option<i64>,
        unrecorded: Option<Box<Report>>,
    },
    /// It already was that (a press delivered twice, or two at once).
    Unchanged,
    /// The correction period is over.
    TooLate { until: DateTime<Utc> },
    /// No such invitation, or the meeting was cancelled.
    Gone,
    /// The marker is no longer on the cell's committee (a handover, a
    /// deputy removed after the press was checked). Nothing written.
    NotAllowed,
}

/// What came of Close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    /// Closed now: `recorded` activities added, `linked` own reports linked
    /// (`approved`: those of them that were pending, approved by this).
    Done {
        recorded: usize,
        linked: usize,
        approved: Vec<i64>,
    },
    /// Closed before.
    Already,
    TooLate {
        until: DateTime<Utc>,
    },
    Gone,
    /// The closer is no longer on the cell's committee (a handover, a
    /// deputy removed after the press was checked). Nothing written.
    NotAllowed,
}

/// What a present member's activity became.
enum Recorded {
    New,
    /// Their own report linked; `approved` if it was pending and is
    /// approved by this.
    Linked {
        approved: Option<i64>,
    },
}

#[derive(sqlx::FromRow)]
struct Row {
    membership_id: i64,
    user_id: i64,
    attendance: Option<String>,
    report_id: Option<i64>,
}

/// Records the activity of a present member: links their own report of the
/// same kind and day (approving it if pending, unless they are the one
/// closing the register), or adds an approved report recorded by the cell.
async fn record_present(
    tx: &mut super::tx::Tx,
    meeting: &Meeting,
    row: &Row,
    by: i64,
    now: DateTime<Utc>,
    tz: Tz,
    notices: &RegisterNotices,
) -> sqlx::Result<Recorded> {
    let kind = meeting.kind();
    let date = local_date(meeting.starts_at, tz);
    let kind_id: i64 = sqlx::query_scalar("SELECT id FROM activity_kinds WHERE code = ?")
        .bind(kind.activity_code())
        .fetch_one(&mut **tx)
        .await?;
    let own: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, status FROM reports
         WHERE user_id = ? AND kind_id = ? AND activity_date = ? AND recorded_by_cell = 0
           AND status IN ('pending', 'approved') AND (meeting_id IS NULL OR meeting_id = ?)
           AND cell_id = ?
         ORDER BY status = 'approved' DESC, id LIMIT 1",
    )
    .bind(row.user_id)
    .bind(kind_id)
    .bind(date)
    .bind(meeting.id)
    .bind(meeting.cell_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((report_id, status)) = own {
        sqlx::query("UPDATE reports SET meeting_id = ? WHERE id = ?")
            .bind(meeting.id)
            .bind(report_id)
            .execute(&mut **tx)
            .await?;
        let mut approved = None;
        if status == "pending" && row.user_id != by {
            let done = sqlx::query(
                "UPDATE reports SET status = 'approved', decided_at = ?, decided_by = ?
                 WHERE id = ? AND status = 'pending'",
            )
            .bind(now)
            .bind(by)
            .bind(report_id)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 1 {
                approved = Some(report_id);
                let entry = super::audit::Entry {
                    actor: Some(by),
                    action: "approve",
                    subject: "report",
                    subject_id: report_id,
                    details: serde_json::json!({
                        "kind": kind_id, "date": date.to_string(), "reason": null,
                        "meeting": meeting.id,
                    }),
                };
                super::audit::append(tx, entry, now).await?;
            }
        }
        set_report(tx, meeting.id, row.membership_id, Some(report_id)).await?;
        let entry = super::audit::Entry {
            actor: Some(by),
            action: "meeting_link",
            subject: "report",
            subject_id: report_id,
            details: serde_json::json!({ "meeting": meeting.id, "membership": row.membership_id }),
        };
        super::audit::append(tx, entry, now).await?;
        return Ok(Recorded::Linked { approved });
    }
    let token = format!("meeting:{}:{}:{}", meeting.id, row.membership_id, {
        let r: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(12)
            .map(char::from)
            .collect();
        r
    });
    // Nobody approves their own activity: the one closing the register,
    // present as a member of the cell, is recorded pending, for another
    // decider of the cell (their /pending).
    let own = row.user_id == by;
    let (status, decided_at, decided_by) = if own {
        ("pending", None, None)
    } else {
        ("approved", Some(now), Some(by))
    };
    let report_id: i64 = sqlx::query_scalar(concat!(
        "INSERT INTO reports (id, token, membership_id, user_id, cell_id, kind_id, activity_date,
             description, status, created_at, decided_at, decided_by, meeting_id, recorded_by_cell)
         VALUES (",
        next_id!("reports"),
        ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id"
    ))
    .bind(token)
    .bind(row.membership_id)
    .bind(row.user_id)
    .bind(meeting.cell_id)
    .bind(kind_id)
    .bind(date)
    .bind(&meeting.place)
    .bind(status)
    .bind(now)
    .bind(decided_at)
    .bind(decided_by)
    .bind(meeting.id)
    .fetch_one(&mut **tx)
    .await?;
    set_report(tx, meeting.id, row.membership_id, Some(report_id)).await?;
    // The approval a signed sheet citing it will carry (or the record of
    // what waits for another decider).
    let entry = super::audit::Entry {
        actor: Some(by),
        action: if own { "meeting_record" } else { "approve" },
        subject: "report",
        subject_id: report_id,
        details: serde_json::json!({
            "kind": kind_id, "date": date.to_string(), "reason": null,
            "meeting": meeting.id, "recorded_by_cell": true,
        }),
    };
    super::audit::append(tx, entry, now).await?;
    if own {
        card_own_activity(tx, meeting.cell_id, row.user_id, report_id, notices, now).await?;
    }
    Ok(Recorded::New)
}

/// Queues the decision card of an activity recorded pending for its own
/// member (the one who closed the register) to whoever decides that
/// member's items: the other member of the committee, or the ward's
/// supervisors where there is none.
async fn card_own_activity(
    tx: &mut super::tx::Tx,
    cell_id: i64,
    owner: i64,
    report_id: i64,
    notices: &RegisterNotices,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let deciders = super::committee::first_recipients(tx, cell_id, owner).await?;
    if deciders.is_empty() {
        return Ok(());
    }
    let Some(report) = super::reports::get(&mut **tx, report_id).await? else {
        return Ok(());
    };
    for decider in deciders {
        let to = Recipient::load(tx, decider).await?;
        outbox::enqueue_notices(tx, &(notices.card)(&report, &[], to), now).await?;
    }
    Ok(())
}

/// What a register queues besides its own record: the notice of a member
/// whose pending report it approved (as a decision tells it), and the
/// decision card of an activity it recorded pending for its closer.
#[derive(Clone, Copy)]
pub struct RegisterNotices {
    pub decided: fn(&Report, Recipient) -> Vec<Notice>,
    pub card: fn(&Report, &[String], Recipient) -> Vec<Notice>,
}

impl RegisterNotices {
    /// Nothing queued (tests that look at the register only).
    pub const NONE: RegisterNotices = RegisterNotices {
        decided: |_, _| Vec::new(),
        card: |_, _, _| Vec::new(),
    };
}

async fn set_report(
    tx: &mut super::tx::Tx,
    meeting_id: i64,
    membership_id: i64,
    report_id: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE meeting_invitations SET report_id = ? WHERE meeting_id = ? AND membership_id = ?",
    )
    .bind(report_id)
    .bind(meeting_id)
    .bind(membership_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes back the activity of a member no longer present: a report recorded
/// by the cell is deleted, the member's own report is unlinked (kept).
/// The report deleted while it waited for a decision (the closer's own
/// activity, carded to another decider), as it was: its cards are to say
/// there is nothing left to decide.
async fn unrecord(
    tx: &mut super::tx::Tx,
    meeting_id: i64,
    row: &Row,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Report>> {
    let Some(report_id) = row.report_id else {
        return Ok(None);
    };
    let waiting = super::reports::get(&mut **tx, report_id)
        .await?
        .filter(|r| r.recorded_by_cell && r.status == "pending");
    set_report(tx, meeting_id, row.membership_id, None).await?;
    let presence = (meeting_id, row.membership_id, report_id);
    take_back_report(tx, presence, by, now).await?;
    Ok(waiting)
}

/// The membership of the register row a button of a meeting's register
/// (`membership_id`, as it was when the register was shown) is about: that
/// membership's row, or else the row of the same person in the meeting's
/// cell, moved by [`adopt_rejoined`] to the membership they hold again
/// since the register was shown; `None` if the person has no row.
pub async fn register_row<'e>(
    conn: impl sqlx::SqliteExecutor<'e>,
    meeting: &Meeting,
    membership_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT i.membership_id FROM meeting_invitations i
         WHERE i.meeting_id = ?1
           AND (i.membership_id = ?2
                OR i.user_id = (SELECT m.user_id FROM memberships m
                                WHERE m.id = ?2 AND m.cell_id = ?3))
         ORDER BY i.membership_id = ?2 DESC
         LIMIT 1",
    )
    .bind(meeting.id)
    .bind(membership_id)
    .bind(meeting.cell_id)
    .fetch_optional(conn)
    .await
}

/// Sets a member's attendance in the register. On a closed register this
/// is a correction (until [`correctable_until`]): the recorded activity is
/// added or taken back in the same transaction, and a pending report of
/// the member's that this approves is told as by a decision (`notices`).
#[allow(clippy::too_many_arguments)]
pub async fn mark(
    pool: &Pool,
    meeting_id: i64,
    membership_id: i64,
    to: Attendance,
    by: i64,
    now: DateTime<Utc>,
    tz: Tz,
    notices: RegisterNotices,
) -> sqlx::Result<Marked> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(meeting) = get(&mut *tx, meeting_id).await? else {
        return Ok(Marked::Gone);
    };
    // Cancelled, or postponed to a time whose register is not open yet.
    if meeting.status() != MeetingStatus::Scheduled
        || checkin_window(meeting.starts_at, now) == Window::Before
    {
        return Ok(Marked::Gone);
    }
    let until = correctable_until(meeting.starts_at);
    if now > until {
        return Ok(Marked::TooLate { until });
    }
    // Judged again here: a handover (or the deputy removed) that lands
    // after the press was checked refuses it.
    if !super::committee::of_cell(&mut tx, meeting.cell_id)
        .await?
        .includes(by)
    {
        return Ok(Marked::NotAllowed);
    }
    // A register shown before the member's row moved to the membership
    // they hold again carries the old one: the same person's row.
    let Some(membership_id) = register_row(&mut *tx, &meeting, membership_id).await? else {
        return Ok(Marked::Gone);
    };
    let Some(row): Option<Row> = sqlx::query_as(
        "SELECT membership_id, user_id, attendance, report_id FROM meeting_invitations
         WHERE meeting_id = ? AND membership_id = ?",
    )
    .bind(meeting_id)
    .bind(membership_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Marked::Gone);
    };
    // The committee's mark, even where it agrees with the first guess: a
    // later answer does not move it.
    sqlx::query(
        "UPDATE meeting_invitations SET marked_by = ?
         WHERE meeting_id = ? AND membership_id = ? AND marked_by IS NULL",
    )
    .bind(by)
    .bind(meeting_id)
    .bind(membership_id)
    .execute(&mut *tx)
    .await?;
    let changed = sqlx::query(
        "UPDATE meeting_invitations SET attendance = ?, marked_by = ?
         WHERE meeting_id = ? AND membership_id = ? AND attendance IS NOT ?",
    )
    .bind(to.as_str())
    .bind(by)
    .bind(meeting_id)
    .bind(membership_id)
    .bind(to.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        tx.commit().await?;
        return Ok(Marked::Unchanged);
    }
    let closed = meeting.closed_at.is_some();
    let (mut approved, mut unrecorded) = (None, None);
    if closed {
        match (to, row.report_id) {
            (Attendance::Present, None) => {
                if let Recorded::Linked { approved: Some(id) } =
                    record_present(&mut tx, &meeting, &row, by, now, tz, &notices).await?
                {
                    approved = Some(id);
                }
                tell_approved(&mut tx, approved.as_slice(), &notices, now).await?;
            }
            (Attendance::Excused | Attendance::Absent, Some(_)) => {
                unrecorded = unrecord(&mut tx, meeting_id, &row, by, now).await?;
            }
            _ => {}
        }
    }
    let entry = super::audit::Entry {
        actor: Some(by),
        action: if closed {
            "attendance_correct"
        } else {
            "attendance_mark"
        },
        subject: "meeting",
        subject_id: meeting_id,
        details: serde_json::json!({
            "membership": membership_id,
            "from": row.attendance,
            "to": to.as_str(),
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(Marked::Done {
        approved,
        unrecorded: unrecorded.map(Box::new),
    })
}

/// Closes the register: every present member's activity recorded (or their
/// own report of the day linked), in one transaction. Once only. A member
/// whose pending report the register approves is told as by a decision
/// (`notices`, queued in the same transaction); the closer's own activity
/// waits for another decider, carded to them.
pub async fn close(
    pool: &Pool,
    meeting_id: i64,
    by: i64,
    now: DateTime<Utc>,
    tz: Tz,
    notices: RegisterNotices,
) -> sqlx::Result<Closed> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(meeting) = get(&mut *tx, meeting_id).await? else {
        return Ok(Closed::Gone);
    };
    // Cancelled, or postponed to a time whose register is not open yet.
    if meeting.status() != MeetingStatus::Scheduled
        || checkin_window(meeting.starts_at, now) == Window::Before
    {
        return Ok(Closed::Gone);
    }
    if meeting.closed_at.is_some() {
        return Ok(Closed::Already);
    }
    let until = correctable_until(meeting.starts_at);
    if now > until {
        return Ok(Closed::TooLate { until });
    }
    // Judged again here, as a mark is.
    if !super::committee::of_cell(&mut tx, meeting.cell_id)
        .await?
        .includes(by)
    {
        return Ok(Closed::NotAllowed);
    }
    // Members approved since the register was last opened are in it too.
    add_latecomers(&mut tx, &meeting).await?;
    let done = sqlx::query(
        "UPDATE meetings SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(meeting_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Closed::Already);
    }
    // Members never marked: the first guess.
    prefill_in(&mut tx, meeting_id).await?;
    let present: Vec<Row> = sqlx::query_as(
        "SELECT membership_id, user_id, attendance, report_id FROM meeting_invitations
         WHERE meeting_id = ? AND attendance = 'present' AND report_id IS NULL
         ORDER BY membership_id",
    )
    .bind(meeting_id)
    .fetch_all(&mut *tx)
    .await?;
    let (mut recorded, mut linked, mut approved) = (0, 0, Vec::new());
    for row in &present {
        match record_present(&mut tx, &meeting, row, by, now, tz, &notices).await? {
            Recorded::New => recorded += 1,
            Recorded::Linked { approved: None } => linked += 1,
            Recorded::Linked {
                approved: Some(report_id),
            } => {
                linked += 1;
                approved.push(report_id);
            }
        }
    }
    tell_approved(&mut tx, &approved, &notices, now).await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "meeting_close",
        subject: "meeting",
        subject_id: meeting_id,
        details: serde_json::json!({
            "present": present.len(), "recorded": recorded, "linked": linked,
            "approved": approved.len(),
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(Closed::Done {
        recorded,
        linked,
        approved,
    })
}

/// The UTC instants of local midnight on `from` and `until`.
pub fn utc_bounds(from: NaiveDate, until: NaiveDate, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let at =
        |d: NaiveDate| crate::domain::schedule::instant(tz, d.and_time(chrono::NaiveTime::MIN));
    (at(from), at(until))
}

/// A meeting `mt` held, as the comment sheet, `/status` and the exports
/// count it: not cancelled and its register closed (until it is closed
/// nobody's presence counts, and the meeting is not on the cell's record).
macro_rules! held {
    () => {
        "mt.status = 'scheduled' AND mt.closed_at IS NOT NULL"
    };
}

/// A periodic meeting `mt` of the cell `c.value` / `c.id` in `[?2, ?3)`
/// held (see [`held!`]) or still to come: not cancelled, and not begun
/// before `?4` (the check-in's end before now: a meeting under way is
/// still to be held). One begun longer ago whose register was never
/// closed is neither: the cell's record says it did not meet.
macro_rules! periodic_held_or_scheduled {
    ($cell:literal) => {
        concat!(
            "SELECT 1 FROM meetings mt
             WHERE mt.cell_id = ",
            $cell,
            " AND mt.starts_at >= ?2 AND mt.starts_at < ?3
               AND mt.kind = 'periodic' AND mt.status = 'scheduled'
               AND (mt.starts_at > ?4 OR (",
            held!(),
            "))"
        )
    };
}

const WITHOUT_PERIODIC: &str = concat!(
    "SELECT c.value FROM json_each(?1) c WHERE NOT EXISTS (",
    periodic_held_or_scheduled!("c.value"),
    ")"
);

/// The instant before which a meeting that began is no longer under way
/// (its check-in closed): begun earlier, it counts only if held.
fn under_way_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - chrono::Duration::hours(crate::domain::meeting::CHECKIN_AFTER_HOURS)
}

/// Of these cells, those with no periodic meeting held or scheduled (not
/// cancelled) in `[from, until)` as of `now`. One query (the index
/// `meetings_cell`).
pub async fn cells_without_periodic(
    pool: &Pool,
    cell_ids: &[i64],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<std::collections::HashSet<i64>> {
    let cells = serde_json::to_string(cell_ids).unwrap_or_else(|_| "[]".into());
    let ids: Vec<i64> = sqlx::query_scalar(WITHOUT_PERIODIC)
        .bind(cells)
        .bind(from)
        .bind(until)
        .bind(under_way_since(now))
        .fetch_all(pool)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Of these cells, the start of a periodic meeting in `[from, until)` that
/// began (its check-in over at `now`) and is not cancelled, whose register
/// is still open and may still be closed: closing it would count it as
/// held. The latest of each cell's.
pub async fn periodic_left_open(
    pool: &Pool,
    cell_ids: &[i64],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<std::collections::HashMap<i64, DateTime<Utc>>> {
    let cells = serde_json::to_string(cell_ids).unwrap_or_else(|_| "[]".into());
    let rows: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT mt.cell_id, mt.starts_at FROM meetings mt
         WHERE mt.cell_id IN (SELECT value FROM json_each(?1))
           AND mt.starts_at >= ?2 AND mt.starts_at < ?3
           AND mt.kind = 'periodic' AND mt.status = 'scheduled' AND mt.closed_at IS NULL
           AND mt.starts_at <= ?4 AND mt.starts_at > ?5
         ORDER BY mt.starts_at, mt.id",
    )
    .bind(cells)
    .bind(from)
    .bind(until)
    .bind(under_way_since(now))
    .bind(now - chrono::Duration::days(crate::domain::meeting::CORRECTION_DAYS))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The names of a ward's cells with no periodic meeting held or scheduled
/// in `[from, until)` as of `now`.
pub async fn ward_cells_without_periodic(
    pool: &Pool,
    ward_id: i64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(concat!(
        "SELECT c.name FROM cells c
         WHERE c.ward_id = ?1 AND NOT EXISTS (",
        periodic_held_or_scheduled!("c.id"),
        ") ORDER BY c.name COLLATE vi, c.id"
    ))
    .bind(ward_id)
    .bind(from)
    .bind(until)
    .bind(under_way_since(now))
    .fetch_all(pool)
    .await
}

/// A cell meeting held in the year, with a member's attendance.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Attended {
    pub meeting_id: i64,
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub attendance: String,
    /// Why an excused member could not come, as they told the bot.
    pub reason: Option<String>,
}

/// The cell meetings (periodic and other cell meetings) held in `year`
/// that invited `user_id` (not as exempt): not cancelled, their register
/// closed before `now` (early, from an hour before the start, included);
/// and the member's attendance. A meeting is of the year of its own
/// scheduled day (local time), whenever its register was closed: one at
/// 00:15 on 1 January closed at 23:30 the day before is next year's.
pub async fn held_for_member(
    pool: &Pool,
    user_id: i64,
    year: i32,
    now: DateTime<Utc>,
    tz: Tz,
) -> sqlx::Result<Vec<Attended>> {
    let (from, until) = year_bounds_utc(year, tz);
    sqlx::query_as(concat!(
        "SELECT mt.id AS meeting_id, mt.kind, mt.starts_at,
                COALESCE(i.attendance, 'absent') AS attendance,
                CASE WHEN i.attendance = 'excused' THEN i.reason END AS reason
         FROM meeting_invitations i JOIN meetings mt ON mt.id = i.meeting_id
         WHERE i.user_id = ? AND i.exempt = 0 AND mt.kind IN ('periodic', 'cell')
           AND ",
        held!(),
        " AND mt.starts_at >= ? AND mt.starts_at < ? AND mt.closed_at < ?
         ORDER BY mt.starts_at, mt.id"
    ))
    .bind(user_id)
    .bind(from)
    .bind(until)
    .bind(now)
    .fetch_all(pool)
    .await
}

fn year_bounds_utc(year: i32, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    utc_bounds(first(year), first(year + 1), tz)
}

/// Per user of the scope's members: (attended, held) cell meetings of the
/// year, as [`held_for_member`] counts them.
pub async fn attendance_by_user(
    pool: &Pool,
    user_ids: &[i64],
    year: i32,
    now: DateTime<Utc>,
    tz: Tz,
) -> sqlx::Result<std::collections::HashMap<i64, (u32, u32)>> {
    let (from, until) = year_bounds_utc(year, tz);
    let users = serde_json::to_string(user_ids).unwrap_or_else(|_| "[]".into());
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(concat!(
        "SELECT i.user_id, SUM(i.attendance = 'present'), COUNT(*)
         FROM meeting_invitations i JOIN meetings mt ON mt.id = i.meeting_id
         WHERE i.user_id IN (SELECT value FROM json_each(?)) AND i.exempt = 0
           AND mt.kind IN ('periodic', 'cell') AND ",
        held!(),
        " AND mt.starts_at >= ? AND mt.starts_at < ? AND mt.closed_at < ?
         GROUP BY i.user_id"
    ))
    .bind(users)
    .bind(from)
    .bind(until)
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user, attended, held)| {
            (
                user,
                (
                    u32::try_from(attended).unwrap_or(0),
                    u32::try_from(held).unwrap_or(0),
                ),
            )
        })
        .collect())
}

#[cfg(test)]
mod attendance_tests {
    #[tokio::test]
    async fn the_digest_reads_the_meetings_of_its_cells_by_index() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = chrono::Utc::now();
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            super::WITHOUT_PERIODIC
        )))
        .bind("[1,2,3]")
        .bind(now)
        .bind(now)
        .bind(now)
        .fetch_all(&pool)
        .await
        .unwrap();
        let plan: Vec<String> = plan.into_iter().map(|(_, _, _, detail)| detail).collect();
        assert!(
            plan.iter().any(|d| d.starts_with(
                "SEARCH mt USING INDEX meetings_cell (cell_id=? AND starts_at>? AND starts_at<?)"
            )),
            "{plan:#?}"
        );
        assert!(!plan.iter().any(|d| d.starts_with("SCAN mt")), "{plan:#?}");
    }

    /// A deputy removed (or a secretary replaced) after the press on the
    /// register was checked: the mark and the close are refused in their
    /// own transactions, nothing written (a mark may approve a member's
    /// pending report: a decision); the secretary marks and closes.
    #[tokio::test]
    async fn a_mark_or_close_is_refused_if_the_marker_lost_the_seat_meanwhile() {
        use super::{Called, Closed, Marked, NewMeeting, RegisterNotices};
        use crate::domain::meeting::{Attendance, MeetingKind};
        let (_dir, pool) = crate::store::scratch().await;
        let now = chrono::Utc::now();
        for sql in [
            "INSERT INTO wards (id, name, created_at) VALUES (1, 'P', ?1)",
            "INSERT INTO cells (id, ward_id, name, created_at) VALUES (1, 1, 'A', ?1)",
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at)
             VALUES (7, 'a', ?1, ?1), (8, 'b', ?1, ?1), (9, 'c', ?1, ?1)",
            "INSERT INTO memberships (id, token, user_id, cell_id, full_name, status, requested_at)
             VALUES (1, 't1', 7, 1, 'An', 'approved', ?1)",
            "INSERT INTO cell_secretaries (cell_id, user_id, since) VALUES (1, 8, ?1)",
            "INSERT INTO cell_deputies (cell_id, user_id, since) VALUES (1, 9, ?1)",
        ] {
            sqlx::query(sql).bind(now).execute(&pool).await.unwrap();
        }
        let new = NewMeeting {
            token: "m1",
            cell_id: 1,
            kind: MeetingKind::Periodic,
            starts_at: now + chrono::Duration::minutes(30),
            place: "Nhà văn hóa",
            agenda: "Sinh hoạt",
            called_by: 8,
        };
        let Called::New { id, .. } = super::create(&pool, &new, now, |_, _| Vec::new())
            .await
            .unwrap()
        else {
            panic!("called once");
        };
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let notices = RegisterNotices::NONE;
        let mark = |by| super::mark(&pool, id, 1, Attendance::Present, by, now, tz, notices);
        let close = |by| super::close(&pool, id, by, now, tz, notices);
        // The deputy is removed after pressing.
        sqlx::query("DELETE FROM cell_deputies WHERE cell_id = 1")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(mark(9).await.unwrap(), Marked::NotAllowed);
        assert_eq!(close(9).await.unwrap(), Closed::NotAllowed);
        let marked: Option<i64> =
            sqlx::query_scalar("SELECT marked_by FROM meeting_invitations WHERE meeting_id = ?")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(marked, None);
        assert!(matches!(mark(8).await.unwrap(), Marked::Done { .. }));
        assert!(matches!(close(8).await.unwrap(), Closed::Done { .. }));
    }

    /// A register's edit the sender holds (read, being sent) when a newer
    /// one is queued: marking the one it held sent leaves the newer one
    /// queued. Deleting the older row gave its id to the newer one, which
    /// the sender then marked sent unsent: the register stayed behind.
    #[tokio::test]
    async fn a_register_edit_queued_while_the_sender_holds_one_is_sent() {
        use super::Register;
        use crate::store::outbox::{self, Notice, Payload};
        let (_dir, pool) = crate::store::scratch().await;
        let now = chrono::Utc::now();
        for sql in [
            "INSERT INTO wards (id, name, created_at) VALUES (1, 'P', ?1)",
            "INSERT INTO cells (id, ward_id, name, created_at) VALUES (1, 1, 'A', ?1)",
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at) VALUES (8, 'b', ?1, ?1)",
            "INSERT INTO meetings (id, token, cell_id, kind, starts_at, place, agenda, status,
                                   called_by, created_at)
             VALUES (1, 'm1', 1, 'periodic', ?1, 'P', 'A', 'scheduled', 8, ?1)",
        ] {
            sqlx::query(sql).bind(now).execute(&pool).await.unwrap();
        }
        let shown = Register {
            chat_id: 8,
            message_id: 5,
            page: 0,
            shown: "0/30".into(),
        };
        let edit = |text: &str| Notice {
            chat_id: 8,
            payload: Payload {
                text: text.into(),
                edit: Some(5),
                ..Payload::default()
            },
        };
        super::set_register(&pool, 1, &shown, &edit("0/30"), now)
            .await
            .unwrap();
        let queue = |text: &'static str| {
            let pool = pool.clone();
            let shown = shown.clone();
            async move {
                super::queue_register_edit(&pool, 1, &shown, text, &edit(text), now)
                    .await
                    .unwrap()
            }
        };
        assert!(queue("1/30").await);
        let held = outbox::due(&pool, now, 10, &[]).await.unwrap();
        assert_eq!(held.len(), 1);
        assert!(queue("2/30").await);
        outbox::mark_sent(&pool, held[0].id, 8, 5, now)
            .await
            .unwrap();
        let queued: Vec<String> = sqlx::query_scalar(
            "SELECT json_extract(payload, '$.text') FROM outbox WHERE status = 'queued'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(queued, ["2/30"]);
    }

    #[test]
    fn checkin_codes_are_told_from_invite_codes() {
        let code = super::new_checkin_code();
        assert!(super::is_checkin_code(&code), "{code}");
        assert!(code.len() <= 64);
        assert!(!super::is_checkin_code("ck_short"));
        assert!(!super::is_checkin_code("AAAAAAAAAAAAAAAAAAAAAAAAA"));
        assert!(!super::is_checkin_code("ck_AAAAAAAAAAAAAAAAAAAAA-"));
        assert_ne!(super::new_checkin_code(), code);
    }
}
