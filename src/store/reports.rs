use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use super::{
    Pool,
    committee::Decided,
    outbox::{self, Notice, Recipient},
    tx::Batch,
};
use crate::domain::{
    permissions::{Actor, Committee},
    report::ReportStatus,
};

/// A report with the names needed to show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub user_id: i64,
    pub cell_id: i64,
    pub member_name: String,
    pub kind_id: i64,
    pub kind_vi: String,
    pub kind_en: String,
    pub activity_date: NaiveDate,
    pub description: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by_name: Option<String>,
    pub reject_reason: Option<String>,
    pub photo_count: i64,
    /// The rejected report this one resubmits, with its reason and text.
    pub previous_id: Option<i64>,
    pub previous_date: Option<NaiveDate>,
    pub previous_reason: Option<String>,
    pub previous_description: Option<String>,
    /// The resubmission of this (rejected) report, if any.
    pub resubmitted_as: Option<i64>,
    /// Recorded by the cell from a meeting's register (not reported by the
    /// member).
    pub recorded_by_cell: bool,
    /// The language the member reads (`users.language`).
    pub member_language: Option<String>,
    /// Whether the member still stands in the report's membership or one
    /// they moved on to from it ([`still_member`]): a rejection can then
    /// be resubmitted.
    pub still_member: bool,
    /// Earlier reports of the cell with one of this report's photos: filled
    /// by [`duplicates`] where a card shows them.
    #[sqlx(skip)]
    pub duplicates: Vec<Duplicate>,
}

/// Another report of the cell that carried the same photo.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Duplicate {
    pub report_id: i64,
    pub member_name: String,
    pub activity_date: NaiveDate,
}

impl Report {
    pub fn status(&self) -> ReportStatus {
        ReportStatus::parse(&self.status).unwrap_or(ReportStatus::Pending)
    }

    pub fn kind_name(&self, lang: crate::domain::Lang) -> &str {
        match lang {
            crate::domain::Lang::Vi => &self.kind_vi,
            crate::domain::Lang::En => &self.kind_en,
        }
    }
}

/// SQL: whether membership `$membership`, or one its member moved on to
/// from it (once or several times: each membership of the way ended by a
/// move, none by the cell), is approved now: the member still stands where
/// a report of that membership went, and a rejection of it may be
/// resubmitted to the cell they are in now.
macro_rules! still_member {
    ($membership:literal) => {
        concat!(
            "EXISTS (WITH RECURSIVE onward(id, user_id, status, end_reason) AS (
                         SELECT id, user_id, status, end_reason FROM memberships WHERE id = ",
            $membership,
            "
                         UNION
                         SELECT n.id, n.user_id, n.status, n.end_reason
                         FROM memberships n JOIN onward o
                              ON n.moved_from = o.id AND n.user_id = o.user_id
                         WHERE o.status = 'left' AND o.end_reason = 'moved')
                     SELECT 1 FROM onward WHERE status = 'approved')"
        )
    };
}

/// The columns of the row type, with its joins.
macro_rules! report_select {
    () => {
        concat!(
            "SELECT r.id, r.user_id, r.cell_id, m.full_name AS member_name, r.kind_id,
        k.name_vi AS kind_vi, k.name_en AS kind_en, r.activity_date, r.description, r.status,
        r.created_at, r.decided_at, COALESCE(d.full_name, d.tg_name) AS decided_by_name,
        r.reject_reason,
        (SELECT COUNT(*) FROM report_photos p WHERE p.report_id = r.id) AS photo_count,
        r.previous_id, pr.activity_date AS previous_date, pr.reject_reason AS previous_reason,
        pr.description AS previous_description,
        (SELECT n.id FROM reports n WHERE n.previous_id = r.id) AS resubmitted_as,
        r.recorded_by_cell, mu.language AS member_language, ",
            still_member!("m.id"),
            " AS still_member
    FROM reports r
    JOIN memberships m ON m.id = r.membership_id
    LEFT JOIN users mu ON mu.id = r.user_id
    JOIN activity_kinds k ON k.id = r.kind_id
    LEFT JOIN users d ON d.id = r.decided_by
    LEFT JOIN reports pr ON pr.id = r.previous_id"
        )
    };
}

pub struct NewReport<'a> {
    pub token: &'a str,
    pub membership_id: i64,
    pub user_id: i64,
    pub cell_id: i64,
    pub kind_id: i64,
    pub activity_date: NaiveDate,
    pub description: &'a str,
    pub photos: &'a [String],
    /// Telegram's `file_unique_id` of each photo, where known.
    pub photo_uids: &'a [String],
    /// The rejected report this submission resubmits.
    pub previous_id: Option<i64>,
    /// The tag of the summary whose Submit was pressed.
    pub submit_tag: u32,
}

/// The report a user stored by pressing Submit under the summary with
/// this tag (its id and when), if any.
pub async fn submitted_with_tag(
    pool: &Pool,
    user_id: i64,
    tag: u32,
) -> sqlx::Result<Option<(i64, DateTime<Utc>)>> {
    sqlx::query_as(
        "SELECT id, created_at FROM reports WHERE user_id = ? AND submit_tag = ?
         ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(tag)
    .fetch_optional(pool)
    .await
}

/// What came of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Stored now or before.
    Stored(Submitted),
    /// The membership the draft was made in is no longer approved.
    NotMember,
    /// It was ended by a move approved since: the membership (and its
    /// cell) to submit into instead. Nothing was committed.
    Moved { membership_id: i64, cell_id: i64 },
    /// The report it resubmits can no longer be resubmitted.
    NotResubmittable,
    /// The cell's meeting register recorded this activity (report `id`).
    AlreadyRecorded { id: i64 },
}

/// A submission stored (now or before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submitted {
    pub id: i64,
    /// False when the same submission (same draft token) was stored before.
    pub created: bool,
    /// Whether someone who decides it (the secretary; for the committee's own
    /// report the other member of the committee or the ward's supervisors)
    /// was sent the report.
    pub secretary_told: bool,
    /// Whether the member is the cell's secretary or deputy.
    pub own: bool,
}

/// SQL: whether user `$user` may resubmit report `$id` now: theirs,
/// rejected, not resubmitted yet, and made in their current approved
/// membership or in one they moved on from to it (once or several times:
/// each membership of the way ended by a move, none by the cell).
macro_rules! resubmittable {
    ($id:literal, $user:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM reports r JOIN memberships m ON m.id = r.membership_id
             WHERE r.id = ",
            $id,
            " AND r.user_id = ",
            $user,
            " AND r.status = 'rejected' AND ",
            still_member!("m.id"),
            " AND NOT EXISTS (SELECT 1 FROM reports n WHERE n.previous_id = r.id))"
        )
    };
}

/// Whether `user_id` may resubmit report `id` now: theirs, rejected, not
/// resubmitted yet, and made in their current approved membership or in
/// one they moved on from to it, once or more (a move approved while they
/// edited it, or before: the resubmission goes to the cell they are in
/// now, as a report being written does). Not after a membership the cell
/// ended.
pub async fn may_resubmit<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    id: i64,
    user_id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(concat!("SELECT ", resubmittable!("?", "?")))
        .bind(id)
        .bind(user_id)
        .fetch_one(db)
        .await
}

/// Stores a submitted report as pending and, in the same transaction, the
/// notices to whoever decides it (`notify` gets the report, its photos and
/// each recipient): nobody decides their own report. A second submission of
/// the same draft stores nothing. Nothing is stored either when the draft's
/// membership is no longer approved or the report it resubmits can no
/// longer be resubmitted. In every case the member's dialogue ends in the
/// same transaction.
pub async fn submit(
    pool: &Pool,
    new: NewReport<'_>,
    now: DateTime<Utc>,
    notify: impl Fn(&Report, &[String], Recipient) -> Vec<Notice>,
) -> sqlx::Result<SubmitOutcome> {
    // What the submission depends on, read in the round trip that opens
    // the transaction (and ends the member's dialogue, whatever the
    // outcome): the committee (and the language each member of it reads),
    // whether the draft's membership still stands, whether this draft was
    // stored before, whether the report it resubmits still can be, whether
    // the cell's register recorded the activity, and the id and audit head
    // the report will be stored with (stable: the write lock is held).
    static BASIS: LazyLock<String> = LazyLock::new(|| {
        format!(
            concat!(
                "SELECT ",
                committee_columns!("p.cell"),
                ",
                (SELECT u.language FROM cell_secretaries s JOIN users u ON u.id = s.user_id
                 WHERE s.cell_id = p.cell) AS secretary_language,
                (SELECT u.language FROM cell_deputies d JOIN users u ON u.id = d.user_id
                 WHERE d.cell_id = p.cell) AS deputy_language,
                EXISTS (SELECT 1 FROM memberships WHERE id = p.membership AND user_id = p.usr
                        AND cell_id = p.cell AND status = 'approved') AS member,
                (SELECT id FROM reports WHERE token = p.token) AS stored,
                p.previous IS NULL OR ",
                resubmittable!("p.previous", "p.usr"),
                " AS resubmittable,
                (SELECT id FROM reports
                 WHERE user_id = p.usr AND kind_id = p.kind AND activity_date = p.day
                   AND recorded_by_cell = 1 AND status IN ('pending', 'approved')
                 LIMIT 1) AS recorded,
                ",
                next_id!("reports"),
                " AS next_id, ({}) AS head
             FROM (SELECT ? AS cell, ? AS membership, ? AS usr, ? AS token, ? AS kind, ? AS day,
                          ? AS previous) p"
            ),
            super::audit::HEAD
        )
    });
    #[derive(sqlx::FromRow)]
    struct Basis {
        secretary: Option<i64>,
        deputy: Option<i64>,
        secretary_language: Option<String>,
        deputy_language: Option<String>,
        member: bool,
        stored: Option<i64>,
        resubmittable: bool,
        recorded: Option<i64>,
        next_id: i64,
        head: Option<String>,
    }
    let (mut tx, rows) = super::tx::open(pool, |b| {
        super::dialogues::push_clear(b, new.user_id);
        b.push(&BASIS)
            .bind(new.cell_id)
            .bind(new.membership_id)
            .bind(new.user_id)
            .bind(new.token.to_owned())
            .bind(new.kind_id)
            .bind(new.activity_date)
            .bind(new.previous_id);
    })
    .await?;
    let basis = Basis::from_row(rows.first().ok_or(sqlx::Error::RowNotFound)?)?;
    let committee = Committee {
        secretary: basis.secretary,
        deputy: basis.deputy,
    };
    let deciders =
        super::committee::recipients_given(tx.conn()?, committee, new.cell_id, new.user_id).await?;
    let own = committee.includes(new.user_id);
    let stored = |id, created| {
        SubmitOutcome::Stored(Submitted {
            id,
            created,
            secretary_told: !deciders.is_empty(),
            own,
        })
    };
    let ended = if let Some(id) = basis.stored {
        stored(id, false)
    } else if !basis.member {
        // The member's move was approved while they wrote: the caller
        // submits again into the cell they are in now. Nothing is
        // committed on the way (the update would count as handled with
        // its report not stored).
        let mut moved = Batch::default();
        moved
            .push(
                "SELECT id, cell_id FROM memberships
                 WHERE moved_from = ? AND user_id = ? AND status = 'approved'",
            )
            .bind(new.membership_id)
            .bind(new.user_id);
        if let Some(row) = tx.run(&moved).await?.first() {
            let (membership_id, cell_id) = <(i64, i64)>::from_row(row)?;
            tx.rollback().await?;
            return Ok(SubmitOutcome::Moved {
                membership_id,
                cell_id,
            });
        }
        SubmitOutcome::NotMember
    } else if !basis.resubmittable {
        SubmitOutcome::NotResubmittable
    } else if let Some(id) = basis.recorded {
        // A meeting the cell's register recorded for the member (present
        // at it) is not reported again: it would count twice.
        SubmitOutcome::AlreadyRecorded { id }
    } else {
        let id = basis.next_id;
        let mut store = Batch::default();
        store
            .push(
                "INSERT INTO reports (id, token, membership_id, user_id, cell_id, kind_id,
                                      activity_date, description, status, created_at, previous_id,
                                      submit_tag)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
            )
            .bind(id)
            .bind(new.token.to_owned())
            .bind(new.membership_id)
            .bind(new.user_id)
            .bind(new.cell_id)
            .bind(new.kind_id)
            .bind(new.activity_date)
            .bind(new.description.to_owned())
            .bind(now)
            .bind(new.previous_id)
            .bind(new.submit_tag);
        for (position, file_id) in new.photos.iter().enumerate() {
            let uid = new.photo_uids.get(position).filter(|u| !u.is_empty());
            store
                .push(
                    "INSERT INTO report_photos (report_id, position, file_id, file_unique_id)
                     VALUES (?, ?, ?, ?)",
                )
                .bind(id)
                .bind(position as i64)
                .bind(file_id.clone())
                .bind(uid.cloned());
        }
        // Submitted (or resubmitted in place of a rejected one): who, what
        // kind, which day; not the description.
        let entry = match new.previous_id {
            Some(previous) => super::audit::Entry {
                actor: Some(new.user_id),
                action: "resubmit",
                subject: "report",
                subject_id: id,
                details: serde_json::json!({ "previous": previous }),
            },
            None => super::audit::Entry {
                actor: Some(new.user_id),
                action: "submit",
                subject: "report",
                subject_id: id,
                details: serde_json::json!({
                    "kind": new.kind_id,
                    "date": new.activity_date.to_string(),
                    "photos": new.photos.len(),
                }),
            },
        };
        super::audit::push_after(&mut store, basis.head, entry, now);
        let mut notices = Batch::default();
        if deciders.is_empty() {
            tx.run(&store).await?;
        } else {
            // The card shows the report as stored.
            store
                .push(concat!(report_select!(), " WHERE r.id = ?"))
                .bind(id);
            let rows = tx.run(&store).await?;
            let mut report = Report::from_row(rows.first().ok_or(sqlx::Error::RowNotFound)?)?;
            if !new.photos.is_empty() {
                report.duplicates = duplicates(tx.conn()?, id).await?;
            }
            for &decider in &deciders {
                let to = if Some(decider) == basis.secretary {
                    Recipient::reading(decider, basis.secretary_language.as_deref())
                } else if Some(decider) == basis.deputy {
                    Recipient::reading(decider, basis.deputy_language.as_deref())
                } else {
                    Recipient::load(tx.conn()?, decider).await?
                };
                outbox::push_notices(&mut notices, &notify(&report, new.photos, to), now)?;
            }
        }
        tx.commit(notices).await?;
        return Ok(stored(id, true));
    };
    tx.commit(Batch::default()).await?;
    Ok(ended)
}

/// Earlier reports of the same cell (anyone's) that carried one of this
/// report's photos, oldest first; the versions this report resubmits are
/// not counted.
pub async fn duplicates<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    report_id: i64,
) -> sqlx::Result<Vec<Duplicate>> {
    sqlx::query_as(
        "WITH RECURSIVE chain(id) AS (
             SELECT previous_id FROM reports WHERE id = ?1 AND previous_id IS NOT NULL
             UNION
             SELECT r.previous_id FROM reports r JOIN chain ON r.id = chain.id
             WHERE r.previous_id IS NOT NULL
         )
         SELECT DISTINCT o.id AS report_id, m.full_name AS member_name, o.activity_date
         FROM report_photos p
         JOIN reports r ON r.id = p.report_id
         JOIN report_photos op ON op.file_unique_id = p.file_unique_id AND op.report_id <> p.report_id
         JOIN reports o ON o.id = op.report_id AND o.cell_id = r.cell_id
         JOIN memberships m ON m.id = o.membership_id
         WHERE p.report_id = ?1 AND p.file_unique_id IS NOT NULL
           AND o.id < r.id AND o.id NOT IN (SELECT id FROM chain)
         ORDER BY o.created_at, o.id",
    )
    .bind(report_id)
    .fetch_all(db)
    .await
}

/// Removes a pending report erased with its sender's data (/forgetme), in
/// the caller's transaction: its photos, its escalation and its link to a
/// meeting; its cards settled, and its card and photos still queued for
/// the committee deleted (what was withdrawn is not delivered afterwards).
pub(super) async fn drop_pending(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let card = super::outbox::Card {
        subject: super::decision_messages::Subject::Report,
        id,
    };
    super::outbox::drop_queued_cards(conn, card).await?;
    sqlx::query(
        "DELETE FROM outbox AS o
         WHERE o.status = 'queued' AND o.broadcast_id IS NULL
           AND EXISTS (SELECT 1 FROM json_each(o.payload, '$.photos') j
                       JOIN report_photos p ON p.file_id = j.value
                       WHERE p.report_id = ?)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for statement in [
        "DELETE FROM report_photos WHERE report_id = ?",
        "UPDATE meeting_invitations SET report_id = NULL WHERE report_id = ?",
        "DELETE FROM escalations WHERE subject = 'report' AND subject_id = ?",
    ] {
        sqlx::query(statement).bind(id).execute(&mut *conn).await?;
    }
    super::decision_messages::settle_all(conn, card.subject, id, now).await?;
    sqlx::query("DELETE FROM reports WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A report's photos with their unique ids, for a resubmission.
pub async fn photos_with_uids(
    pool: &Pool,
    report_id: i64,
) -> sqlx::Result<Vec<(String, Option<String>)>> {
    sqlx::query_as(
        "SELECT file_id, file_unique_id FROM report_photos WHERE report_id = ? ORDER BY position",
    )
    .bind(report_id)
    .fetch_all(pool)
    .await
}

pub async fn get<'e>(db: impl sqlx::SqliteExecutor<'e>, id: i64) -> sqlx::Result<Option<Report>> {
    sqlx::query_as(concat!(report_select!(), " WHERE r.id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Whether report `id` was an activity a meeting's register recorded and
/// a correction took back (deleted, audited `meeting_unrecord`): a card of
/// it pressed afterwards says so, not that its member withdrew it.
pub async fn unrecorded(pool: &Pool, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM audit_log
                        WHERE subject = 'report' AND subject_id = ? AND action = 'meeting_unrecord')",
    )
    .bind(id)
    .fetch_one(pool)
    .await
}

/// A report and what `user_id` is to its cell ([`committee::facts`](super::committee::facts)),
/// in one statement: what a decision press reads.
pub async fn get_for(
    pool: &Pool,
    id: i64,
    user_id: i64,
) -> sqlx::Result<Option<(Report, Actor, Committee)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        report: Report,
        secretary: Option<i64>,
        deputy: Option<i64>,
        supervises_ward: bool,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT x.*, ",
        committee_facts!("x.cell_id", "?1"),
        " FROM (",
        report_select!(),
        " WHERE r.id = ?2) x"
    ))
    .bind(user_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| {
        let actor = Actor {
            user_id,
            supervises_ward: row.supervises_ward,
        };
        let committee = Committee {
            secretary: row.secretary,
            deputy: row.deputy,
        };
        (row.report, actor, committee)
    }))
}

pub async fn photos<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    report_id: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT file_id FROM report_photos WHERE report_id = ? ORDER BY position")
        .bind(report_id)
        .fetch_all(db)
        .await
}

/// Decides `pending` (the report as read at the press), records it in the
/// audit log and queues the member's notice (`notify`, in the member's
/// language), all in one transaction. The report as decided (what the
/// decision changed comes back from its `UPDATE`, the rest is as read);
/// `None` if it was no longer pending.
pub async fn decide(
    pool: &Pool,
    pending: &Report,
    to: ReportStatus,
    by: i64,
    typed: Option<Reason<'_>>,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Report, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Decided<Report>> {
    // The audit chain's head and the decider's name come back with the
    // decision, in the round trip that opens the transaction; the rest of
    // it goes with the commit (a rejection reads back the attendance it
    // undoes in between).
    static DECIDE: LazyLock<String> = LazyLock::new(|| {
        format!(
            "UPDATE reports SET status = ?, decided_at = ?, decided_by = ?, reject_reason = ?
             WHERE id = ? AND status = 'pending'
             RETURNING kind_id, activity_date, description, status, decided_at, reject_reason,
                       (SELECT COALESCE(full_name, tg_name) FROM users WHERE id = ?)
                           AS decided_by_name,
                       {} AS still_member,
                       ({}) AS head",
            still_member!("reports.membership_id"),
            super::audit::HEAD
        )
    });
    #[derive(sqlx::FromRow)]
    struct Changed {
        kind_id: i64,
        activity_date: NaiveDate,
        description: String,
        status: String,
        decided_at: Option<DateTime<Utc>>,
        reject_reason: Option<String>,
        decided_by_name: Option<String>,
        still_member: bool,
        head: Option<String>,
    }
    let id = pending.id;
    let reason = typed.map(|r| r.text);
    // Who may decide, read under the write lock with the decision: a
    // handover (or a deputy removed) that lands after the press was
    // checked refuses it here.
    let (mut tx, rows) = super::tx::open(pool, |b| {
        b.push(concat!("SELECT ", committee_facts!("?", "?")))
            .bind(pending.cell_id)
            .bind(pending.cell_id)
            .bind(pending.cell_id)
            .bind(by);
        b.push(&DECIDE)
            .bind(to.as_str())
            .bind(now)
            .bind(by)
            .bind(reason.map(str::to_owned))
            .bind(id)
            .bind(by);
    })
    .await?;
    let (facts, changed) = match rows.as_slice() {
        [facts, changed @ ..] => (facts, changed.first()),
        [] => return Err(sqlx::Error::RowNotFound),
    };
    if let Err(denied) = super::committee::judged(facts, by, pending.user_id)? {
        tx.rollback().await?;
        return Ok(Decided::Refused(denied));
    }
    let Some(row) = changed else {
        tx.rollback().await?;
        return Ok(Decided::NotPending);
    };
    let done = Changed::from_row(row)?;
    let action = if to == ReportStatus::Approved {
        "approve"
    } else {
        "reject"
    };
    let entry = super::audit::Entry {
        actor: Some(by),
        action,
        subject: "report",
        subject_id: id,
        details: serde_json::json!({
            "kind": done.kind_id,
            "date": done.activity_date.to_string(),
            "reason": reason,
        }),
    };
    let mut last = Batch::default();
    let head = super::audit::push_after(&mut last, done.head, entry, now);
    if to == ReportStatus::Rejected {
        unmark_attendance(&mut tx, &mut last, head, id, by, now).await?;
    }
    let report = Report {
        kind_id: done.kind_id,
        activity_date: done.activity_date,
        description: done.description,
        status: done.status,
        decided_at: done.decided_at,
        reject_reason: done.reject_reason,
        decided_by_name: done.decided_by_name,
        still_member: done.still_member,
        ..pending.clone()
    };
    let member = Recipient::reading(report.user_id, report.member_language.as_deref());
    outbox::push_notices(&mut last, &notify(&report, member), now)?;
    if let Some(typed) = typed {
        super::dialogues::push_put(&mut last, typed.then, now);
    }
    tx.commit(last).await?;
    Ok(Decided::Recorded(report))
}

/// A reason for a decision, typed in answer to its question: the decider's
/// dialogue after it is written with the decision.
#[derive(Debug, Clone, Copy)]
pub struct Reason<'a> {
    pub text: &'a str,
    pub then: &'a super::dialogues::Next,
}

/// A rejected report that stood for its member's presence at a meeting (the
/// closer's own, recorded pending by the register): the register no longer
/// counts them present, as the decider ruled.
/// Its audit entries go into `last` (the decision's commit), chained after
/// `head`.
async fn unmark_attendance(
    tx: &mut super::tx::Open,
    last: &mut Batch,
    mut head: String,
    report_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut unmark = Batch::default();
    unmark
        .push(
            "UPDATE meeting_invitations SET attendance = 'absent', report_id = NULL, marked_by = ?
             WHERE user_id = (SELECT user_id FROM reports WHERE id = ?) AND report_id = ?
               AND attendance = 'present'
             RETURNING meeting_id, membership_id",
        )
        .bind(by)
        .bind(report_id)
        .bind(report_id);
    for row in tx.run(&unmark).await? {
        let (meeting_id, membership_id) = <(i64, i64)>::from_row(&row)?;
        let entry = super::audit::Entry {
            actor: Some(by),
            action: "attendance_correct",
            subject: "meeting",
            subject_id: meeting_id,
            details: serde_json::json!({
                "membership": membership_id, "from": "present", "to": "absent", "by": "reject",
                "report": report_id,
            }),
        };
        head = super::audit::push_after(last, Some(head), entry, now);
    }
    Ok(())
}

pub async fn pending_in_cell(pool: &Pool, cell_id: i64) -> sqlx::Result<Vec<Report>> {
    sqlx::query_as(concat!(
        report_select!(),
        " WHERE r.cell_id = ? AND r.status = 'pending' ORDER BY r.created_at, r.id"
    ))
    .bind(cell_id)
    .fetch_all(pool)
    .await
}

/// A user's reports for `/myreports`, newest first, in one statement:
/// those dated from `from` on, and those dated before it still waiting
/// for a decision or decided since `decided_since`.
pub async fn of_user_listed(
    pool: &Pool,
    user_id: i64,
    from: NaiveDate,
    decided_since: DateTime<Utc>,
) -> sqlx::Result<Vec<Report>> {
    sqlx::query_as(concat!(
        report_select!(),
        " WHERE r.user_id = ?1
            AND (r.activity_date >= ?2 OR r.status = 'pending' OR r.decided_at >= ?3)
         ORDER BY r.activity_date DESC, r.id DESC"
    ))
    .bind(user_id)
    .bind(from)
    .bind(decided_since)
    .fetch_all(pool)
    .await
}

/// Pending reports in one cell.
pub async fn pending_in_cell_count(pool: &Pool, cell_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE cell_id = ? AND status = 'pending'")
        .bind(cell_id)
        .fetch_one(pool)
        .await
}

/// Pending reports in each of the listed cells, by whose they are: (cell,
/// reporter, count); cells without any are left out.
pub async fn pending_per_cell(pool: &Pool, cells: &[i64]) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT cell_id, user_id, COUNT(*) FROM reports
         WHERE cell_id IN (SELECT value FROM json_each(?)) AND status = 'pending'
         GROUP BY cell_id, user_id",
    )
    .bind(super::id_list(cells))
    .fetch_all(pool)
    .await
}

/// The query of [`stale_unnoted`]: its conditions are those of the partial
/// index `reports_pending_unnoted`, which serves it (the `+` keeps the
/// planner from walking every pending report in `reports_pending_cell`
/// order instead: the unnoted ones are few, their sort is cheap).
macro_rules! stale_unnoted_query {
    () => {
        concat!(
            report_select!(),
            " WHERE r.status = 'pending' AND r.stale_noted_at IS NULL AND r.created_at < ?
              ORDER BY +r.cell_id, r.created_at, r.id"
        )
    };
}

/// Reports pending since before `created_before` that were never pointed
/// out to the secretary.
pub async fn stale_unnoted(
    pool: &Pool,
    created_before: DateTime<Utc>,
) -> sqlx::Result<Vec<Report>> {
    sqlx::query_as(stale_unnoted_query!())
        .bind(created_before)
        .fetch_all(pool)
        .await
}

/// Reports pending since before `created_before` that were never pointed
/// out, or were pointed out by the digest round `round` itself (since it
/// began): what its readers are shown. A round resumed after a crash shows
/// its later readers the reports its first batches pointed out, as it would
/// have without the crash.
pub async fn stale_for_round(
    pool: &Pool,
    created_before: DateTime<Utc>,
    round: i64,
) -> sqlx::Result<Vec<Report>> {
    sqlx::query_as(concat!(
        report_select!(),
        " WHERE r.status = 'pending' AND r.created_at < ?
            AND (r.stale_noted_at IS NULL
                 OR r.stale_noted_at >= (SELECT b.created_at FROM broadcasts b WHERE b.id = ?))
          ORDER BY +r.cell_id, r.created_at, r.id"
    ))
    .bind(created_before)
    .bind(round)
    .fetch_all(pool)
    .await
}

pub async fn mark_stale_noted(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE reports SET stale_noted_at = ? WHERE id = ? AND stale_noted_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

ever_given! {
    /// Whether `id` was ever given to a report (its row may be gone:
    /// deleted, or made after the backup the database was restored from,
    /// whose ids a restore skips), where a card of it may still be shown.
    "reports"
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;
    use crate::store::tx;

    /// A Submit whose membership was ended by a move commits nothing on the
    /// way to the membership the member is in now: a process killed before
    /// the report is stored leaves the update to be handled again (its
    /// dialogue kept), never recorded without its report.
    #[tokio::test]
    async fn a_submit_after_a_move_commits_only_with_its_report() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        for sql in [
            "INSERT INTO wards (id, name, created_at) VALUES (1, 'P', ?1)",
            "INSERT INTO cells (id, ward_id, name, created_at) VALUES (1, 1, 'A', ?1), (2, 1, 'B', ?1)",
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at) VALUES (7, 'a', ?1, ?1)",
            "INSERT INTO memberships (id, token, user_id, cell_id, full_name, status, requested_at)
             VALUES (1, 't1', 7, 1, 'An', 'left', ?1)",
            "INSERT INTO memberships (id, token, user_id, cell_id, full_name, status, requested_at,
                                      moved_from)
             VALUES (2, 't2', 7, 2, 'An', 'approved', ?1, 1)",
            "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (7, '\"Idle\"', ?1)",
        ] {
            sqlx::query(sql).bind(now).execute(&pool).await.unwrap();
        }
        let report = |membership_id, cell_id| NewReport {
            token: "draft",
            membership_id,
            user_id: 7,
            cell_id,
            kind_id: 1,
            activity_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            description: "Dự họp tổ dân phố",
            photos: &[],
            photo_uids: &[],
            previous_id: None,
            submit_tag: 0,
        };
        let count = async |sql: &str| -> i64 {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        let first = tx::handling(
            55,
            now,
            submit(&pool, report(1, 1), now, |_, _, _| Vec::new()),
        )
        .await
        .unwrap();
        assert!(matches!(
            first,
            SubmitOutcome::Moved {
                membership_id: 2,
                cell_id: 2
            }
        ));
        assert!(!tx::already_handled(&pool, 55).await.unwrap());
        assert_eq!(count("SELECT COUNT(*) FROM dialogues").await, 1);
        let second = tx::handling(
            55,
            now,
            submit(&pool, report(2, 2), now, |_, _, _| Vec::new()),
        )
        .await
        .unwrap();
        assert!(matches!(second, SubmitOutcome::Stored(_)));
        assert!(tx::already_handled(&pool, 55).await.unwrap());
        assert_eq!(count("SELECT COUNT(*) FROM dialogues").await, 0);
        assert_eq!(
            count("SELECT COUNT(*) FROM reports WHERE membership_id = 2 AND cell_id = 2").await,
            1
        );
    }

    /// A handover that lands between the press's check and the decision's
    /// write: the decision is refused in its own transaction, nothing
    /// written; the new secretary decides it once.
    #[tokio::test]
    async fn a_decision_is_refused_if_the_decider_lost_the_seat_meanwhile() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        for sql in [
            "INSERT INTO wards (id, name, created_at) VALUES (1, 'P', ?1)",
            "INSERT INTO cells (id, ward_id, name, created_at) VALUES (1, 1, 'A', ?1)",
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at)
             VALUES (7, 'a', ?1, ?1), (8, 'b', ?1, ?1), (9, 'c', ?1, ?1)",
            "INSERT INTO memberships (id, token, user_id, cell_id, full_name, status, requested_at)
             VALUES (1, 't1', 7, 1, 'An', 'approved', ?1)",
            "INSERT INTO cell_secretaries (cell_id, user_id, since) VALUES (1, 8, ?1)",
        ] {
            sqlx::query(sql).bind(now).execute(&pool).await.unwrap();
        }
        let new = NewReport {
            token: "draft",
            membership_id: 1,
            user_id: 7,
            cell_id: 1,
            kind_id: 1,
            activity_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            description: "Dự họp tổ dân phố",
            photos: &[],
            photo_uids: &[],
            previous_id: None,
            submit_tag: 0,
        };
        let stored = submit(&pool, new, now, |_, _, _| Vec::new()).await.unwrap();
        assert!(matches!(stored, SubmitOutcome::Stored(_)));
        let id: i64 = sqlx::query_scalar("SELECT id FROM reports")
            .fetch_one(&pool)
            .await
            .unwrap();
        // Checked at the press: the secretary may decide it.
        let (pending, actor, committee) = get_for(&pool, id, 8).await.unwrap().unwrap();
        assert!(crate::domain::permissions::may_decide(actor, committee, 7).is_ok());
        // The handover lands before the decision is written.
        sqlx::query("UPDATE cell_secretaries SET user_id = 9 WHERE cell_id = 1")
            .execute(&pool)
            .await
            .unwrap();
        let decide_by = |by| {
            decide(
                &pool,
                &pending,
                ReportStatus::Approved,
                by,
                None,
                now,
                |_, _| Vec::new(),
            )
        };
        assert!(matches!(
            decide_by(8).await.unwrap(),
            Decided::Refused(crate::domain::permissions::Denied::NotDecider)
        ));
        let written = async |sql: &str| -> i64 {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        assert_eq!(
            written("SELECT COUNT(*) FROM reports WHERE status = 'pending'").await,
            1
        );
        assert_eq!(
            written("SELECT COUNT(*) FROM audit_log WHERE action = 'approve'").await,
            0
        );
        assert!(matches!(decide_by(9).await.unwrap(), Decided::Recorded(_)));
        assert!(matches!(decide_by(9).await.unwrap(), Decided::NotPending));
        assert_eq!(
            written("SELECT COUNT(*) FROM audit_log WHERE action = 'approve'").await,
            1
        );
        // The member never decides their own.
        sqlx::query("UPDATE reports SET status = 'pending' WHERE id = ?")
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        assert!(matches!(
            decide_by(7).await.unwrap(),
            Decided::Refused(crate::domain::permissions::Denied::OwnItem)
        ));
    }

    #[tokio::test]
    async fn the_stale_check_is_served_by_its_partial_index() {
        let (_dir, pool) = crate::store::scratch().await;
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(concat!("EXPLAIN QUERY PLAN ", stale_unnoted_query!()))
                .bind(chrono::Utc::now())
                .fetch_all(&pool)
                .await
                .unwrap();
        let plan: Vec<String> = plan.into_iter().map(|(_, _, _, detail)| detail).collect();
        assert!(
            plan.iter()
                .any(|d| d
                    .starts_with("SEARCH r USING INDEX reports_pending_unnoted (created_at<?)")),
            "{plan:#?}"
        );
        assert!(
            !plan.iter().any(|d| d.starts_with("SCAN r")),
            "no scan of the reports: {plan:#?}"
        );
    }
}
