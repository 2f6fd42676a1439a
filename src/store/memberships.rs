use chrono::{DateTime, NaiveDate, Utc};

use super::{
    Pool,
    committee::Decided,
    introductions::LinkUse,
    outbox::{self, Notice, Recipient},
    requests::{CardFacts, Request},
    tx::Tx,
};
use crate::domain::{
    membership::{EndReason, MembershipStatus, WorkplaceChoice},
    schedule::Period,
};

/// A membership with the names needed to show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Membership {
    pub id: i64,
    pub user_id: i64,
    pub cell_id: i64,
    pub cell_name: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub workplace_name: Option<String>,
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by_name: Option<String>,
    pub workplace_id: Option<i64>,
    pub exempt_reason: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub end_note: Option<String>,
    /// A move: the membership it moves from, and that one's cell.
    pub moved_from: Option<i64>,
    pub moved_from_cell: Option<String>,
    /// The month the member was introduced to the cell (its first day).
    pub introduced_on: Option<NaiveDate>,
    /// A request made through a workplace's introduction: "workplace,
    /// officer", and the officer to tell of the decision.
    pub introduction_id: Option<i64>,
    pub introduced_by: Option<String>,
    pub introducer_id: Option<i64>,
    /// The name the introduction was made for (the workplace's roster).
    pub introduced_name: Option<String>,
}

impl Membership {
    pub fn status(&self) -> MembershipStatus {
        MembershipStatus::parse(&self.status).unwrap_or(MembershipStatus::Pending)
    }
}

/// The columns of the row type, with its joins.
macro_rules! membership_select {
    () => {
        "SELECT m.id, m.user_id, m.cell_id, c.name AS cell_name, m.full_name, m.phone,
        COALESCE(w.name, m.workplace_name) AS workplace_name, m.status, m.requested_at,
        m.decided_at, COALESCE(d.full_name, d.tg_name) AS decided_by_name, m.workplace_id,
        m.exempt_reason, m.ended_at, m.end_reason, m.end_note, m.moved_from,
        (SELECT oc.name FROM memberships o JOIN cells oc ON oc.id = o.cell_id
            WHERE o.id = m.moved_from) AS moved_from_cell, m.introduced_on, m.introduction_id,
        (SELECT iw.name || ', ' || COALESCE(iu.full_name, iu.tg_name, '')
            FROM introductions i JOIN workplaces iw ON iw.id = i.workplace_id
            LEFT JOIN users iu ON iu.id = i.officer_id
            WHERE i.id = m.introduction_id) AS introduced_by,
        (SELECT i.officer_id FROM introductions i WHERE i.id = m.introduction_id)
            AS introducer_id,
        (SELECT i.full_name FROM introductions i WHERE i.id = m.introduction_id)
            AS introduced_name
    FROM memberships m
    JOIN cells c ON c.id = m.cell_id
    LEFT JOIN workplaces w ON w.id = m.workplace_id
    LEFT JOIN users d ON d.id = m.decided_by"
    };
}

pub async fn get<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    id: i64,
) -> sqlx::Result<Option<Membership>> {
    sqlx::query_as(concat!(membership_select!(), " WHERE m.id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The user's approved membership, or else their pending request, if any.
/// (While a move waits, a member holds both: the approved one wins.)
pub async fn active_for_user(pool: &Pool, user_id: i64) -> sqlx::Result<Option<Membership>> {
    sqlx::query_as(concat!(
        membership_select!(),
        " WHERE m.user_id = ? AND m.status IN ('pending', 'approved')
          ORDER BY m.status = 'approved' DESC LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// The cell of the membership the user ended themselves last (leaving,
/// or erasing their data), if any: an erasure pressed again after a crash
/// brings that cell's summaries and registers up to date.
pub async fn last_left_cell(pool: &Pool, user_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT cell_id FROM memberships
         WHERE user_id = ?1 AND status = 'left' AND ended_by = ?1
         ORDER BY ended_at DESC, id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// The member withdraws their own waiting request (a first join or a
/// move), audited: it is gone with its escalation, and the cards showing it
/// are to be settled by the caller. None if it no longer waits (decided,
/// or withdrawn already) or is not theirs.
pub async fn withdraw(
    pool: &Pool,
    id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Membership>> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(m) = get(&mut *tx, id)
        .await?
        .filter(|m| m.user_id == user_id && m.status() == MembershipStatus::Pending)
    else {
        return Ok(None);
    };
    drop_pending(&mut tx, id).await?;
    let entry = super::audit::Entry {
        actor: Some(user_id),
        action: "withdraw_join",
        subject: "membership",
        subject_id: id,
        details: serde_json::json!({ "cell": m.cell_id, "moved_from": m.moved_from }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(Some(m))
}

/// Removes a waiting request (withdrawn, or erased with its sender's
/// data) with its escalation, in the caller's transaction; a workplace's
/// introduction it used stays used.
pub(super) async fn drop_pending(conn: &mut sqlx::SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM escalations WHERE subject = 'membership' AND subject_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE introductions SET membership_id = NULL WHERE membership_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM memberships WHERE id = ? AND status = 'pending'")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The request `user_id` sent by pressing Confirm under the join summary
/// with this tag (its cell's name and when it was sent), if it is still
/// stored (not withdrawn).
pub async fn confirmed_with_tag(
    pool: &Pool,
    user_id: i64,
    tag: u32,
) -> sqlx::Result<Option<(String, DateTime<Utc>)>> {
    sqlx::query_as(
        "SELECT c.name, m.requested_at FROM memberships m JOIN cells c ON c.id = m.cell_id
         WHERE m.user_id = ? AND m.confirm_tag = ? ORDER BY m.id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(tag)
    .fetch_optional(pool)
    .await
}

/// The user's pending request (a first join or a move), if any.
pub async fn pending_for_user(pool: &Pool, user_id: i64) -> sqlx::Result<Option<Membership>> {
    sqlx::query_as(concat!(
        membership_select!(),
        " WHERE m.user_id = ? AND m.status = 'pending'"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

pub struct NewRequest<'a> {
    pub token: &'a str,
    pub user_id: i64,
    pub cell_id: i64,
    pub invite_id: Option<i64>,
    /// When the link was opened: a link that expired since is honoured
    /// for a while ([`crate::domain::invite::check_invite_opened`]).
    pub opened_at: Option<DateTime<Utc>>,
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub workplace: &'a WorkplaceChoice,
    /// A move: the member's approved membership in another cell, which
    /// ends when this request is approved.
    pub moved_from: Option<i64>,
    /// The first day of the month the member was introduced to the cell.
    pub introduced_on: Option<NaiveDate>,
    /// Through a workplace's introduction (`introductions.id`): used up by
    /// this request, in its transaction.
    pub introduction_id: Option<i64>,
    /// The tag of the summary whose Confirm sent it (0: none).
    pub confirm_tag: u32,
}

/// What came of a join request.
#[derive(Debug)]
pub enum RequestOutcome {
    /// Stored as pending; the notice to whoever decides it (the secretary;
    /// for the committee's own request the other member of the committee or
    /// the ward's supervisors) was queued with it (false: nobody can decide
    /// it yet, the request waits in /pending).
    Created { id: i64, secretary_told: bool },
    /// The same request (same token) was already stored: a redelivery.
    Duplicate(i64),
    /// The user already has a pending or approved membership.
    AlreadyActive,
    /// The introduction it came through can no longer be used (used,
    /// expired, or opened by somebody else).
    IntroductionUsed,
    /// The workplace withdrew the introduction it came through.
    IntroductionWithdrawn,
    /// The introduction's 30 days ran out while the request was being
    /// filled in.
    IntroductionExpired,
    /// The cell was removed (by its ward's administrator) while the
    /// request was being filled in.
    CellGone,
    /// The link it came through was replaced (a new `/invite`) while the
    /// request was being filled in, or expired and the join began too long
    /// ago (or after it expired).
    InviteGone(crate::domain::invite::InviteProblem),
}

/// Stores a join request and, in the same transaction, the notices to whoever
/// decides it (`notify` says what they say, in each one's language). Nobody
/// decides their own request: the secretary's goes to the deputy, or to the
/// ward's supervisors where the cell has no deputy.
///
/// Confirming ends the user's dialogue (in their private chat) in the same
/// transaction, whatever the outcome (`then`: back to the dialogue the
/// join's link interrupted, or none): a process killed right after never
/// leaves a member whose request is stored still asked to finish joining.
pub async fn request(
    pool: &Pool,
    req: NewRequest<'_>,
    (now, then): (DateTime<Utc>, &super::dialogues::Next),
    notify: impl Fn(&Membership, Recipient) -> Vec<Notice>,
) -> sqlx::Result<RequestOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    super::dialogues::put(&mut tx, then, now).await?;
    sqlx::query("SAVEPOINT request").execute(&mut *tx).await?;
    let outcome = store_request(&mut tx, req, now, notify).await?;
    if !matches!(outcome, RequestOutcome::Created { .. }) {
        // Nothing of a refused request stays (an introduction used by
        // another request meanwhile undoes the membership just inserted).
        sqlx::query("ROLLBACK TO request").execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

async fn store_request(
    tx: &mut Tx,
    req: NewRequest<'_>,
    now: DateTime<Utc>,
    notify: impl Fn(&Membership, Recipient) -> Vec<Notice>,
) -> sqlx::Result<RequestOutcome> {
    if let Some(id) = sqlx::query_scalar("SELECT id FROM memberships WHERE token = ?")
        .bind(req.token)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(RequestOutcome::Duplicate(id));
    }
    if super::cells::get(&mut **tx, req.cell_id).await?.is_none() {
        return Ok(RequestOutcome::CellGone);
    }
    let active: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = ? AND status IN ('pending', 'approved'))",
    )
    .bind(req.user_id)
    .fetch_one(&mut **tx)
    .await?;
    let allowed = match req.moved_from {
        None => !active,
        // A move: the approved membership it moves from is in another
        // cell, and no other request waits.
        Some(from) => {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM memberships WHERE id = ? AND user_id = ?
                 AND status = 'approved' AND cell_id <> ?)
             AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = ? AND status = 'pending')",
            )
            .bind(from)
            .bind(req.user_id)
            .bind(req.cell_id)
            .bind(req.user_id)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    if !allowed {
        return Ok(RequestOutcome::AlreadyActive);
    }
    // The link is re-checked as the request is stored: a secretary who
    // replaced a leaked link keeps out whoever was still filling it in;
    // one that expired meanwhile is honoured if it was valid when the
    // join began, not long ago.
    if let Some(invite) = req.invite_id {
        let facts = super::invites::get(&mut **tx, invite)
            .await?
            .map(|i| i.facts());
        let checked =
            crate::domain::invite::check_invite_opened(facts.as_ref(), req.opened_at, now);
        if let Err(problem) = checked {
            return Ok(RequestOutcome::InviteGone(problem));
        }
    }
    if let Some(intro) = req.introduction_id {
        match super::introductions::usable_by(tx, intro, req.user_id, now).await? {
            LinkUse::Usable => {}
            LinkUse::Used => return Ok(RequestOutcome::IntroductionUsed),
            LinkUse::Withdrawn => return Ok(RequestOutcome::IntroductionWithdrawn),
            LinkUse::Expired => return Ok(RequestOutcome::IntroductionExpired),
        }
    }
    let (workplace_id, workplace_name) = match req.workplace {
        WorkplaceChoice::Registered { id, .. } => (Some(*id), None),
        // Registered since it was typed (while the summary was open): linked
        // now, as registering links those who typed it before.
        WorkplaceChoice::Other { name } => {
            let registered: Option<i64> =
                sqlx::query_scalar("SELECT id FROM workplaces WHERE name_key = ?")
                    .bind(crate::domain::membership::name_key(name))
                    .fetch_optional(&mut **tx)
                    .await?;
            match registered {
                Some(id) => (Some(id), None),
                None => (None, Some(name.as_str())),
            }
        }
    };
    let id = sqlx::query_scalar(concat!(
        "INSERT INTO memberships (id, token, user_id, cell_id, invite_id, full_name, phone,
                                  workplace_id, workplace_name, status, requested_at, moved_from,
                                  introduced_on, introduction_id, confirm_tag)
         VALUES (",
        next_id!("memberships"),
        ", ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, NULLIF(?, 0)) RETURNING id"
    ))
    .bind(req.token)
    .bind(req.user_id)
    .bind(req.cell_id)
    .bind(req.invite_id)
    .bind(req.full_name)
    .bind(req.phone)
    .bind(workplace_id)
    .bind(workplace_name)
    .bind(now)
    .bind(req.moved_from)
    .bind(req.introduced_on)
    .bind(req.introduction_id)
    .bind(req.confirm_tag)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(intro) = req.introduction_id
        && !super::introductions::use_for(tx, intro, req.user_id, id, now).await?
    {
        return Ok(RequestOutcome::IntroductionUsed);
    }
    super::users::set_profile(tx, req.user_id, req.full_name, req.phone).await?;
    // Who asked to join which cell, by which link (whether a phone was
    // given, never the number: the audit log outlives `/forgetme`).
    let entry = super::audit::Entry {
        actor: Some(req.user_id),
        action: "join_request",
        subject: "membership",
        subject_id: id,
        details: serde_json::json!({
            "cell": req.cell_id,
            "invite": req.invite_id,
            "introduction": req.introduction_id,
            "moved_from": req.moved_from,
            "phone_given": req.phone.is_some(),
        }),
    };
    super::audit::append(tx, entry, now).await?;
    // The secretary's own request goes to the deputy (or the ward's
    // supervisors), the deputy's to the secretary: see `may_decide`.
    let deciders = super::committee::first_recipients(tx, req.cell_id, req.user_id).await?;
    if !deciders.is_empty() {
        let m = get(&mut **tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        for decider in &deciders {
            let to = Recipient::load(tx, *decider).await?;
            outbox::enqueue_notices(tx, &notify(&m, to), now).await?;
        }
    }
    let outcome = RequestOutcome::Created {
        id,
        secretary_told: !deciders.is_empty(),
    };
    Ok(outcome)
}

/// Decides a pending request, records it in the audit log and queues the
/// member's notice (`notify`, in the member's language), all in one
/// transaction with who may decide it (`by`, checked under the write lock).
pub async fn decide(
    pool: &Pool,
    id: i64,
    to: MembershipStatus,
    by: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Membership, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Decided<()>> {
    decide_with(
        pool,
        id,
        to,
        by,
        now,
        notify,
        |_, _, _| Vec::new(),
        |_, _| Vec::new(),
        &|_, _, _| Vec::new(),
    )
    .await
}

/// [`decide`], and for an approved move also the notice to the secretary
/// of the cell the member moved from (`notify_old` gets the ended and the
/// new membership), and for a request made through an introduction the
/// notice to the officer who made it, or to the workplace's officers if
/// they no longer are one (`notify_introducer`), in the same
/// transaction; the comment requests that follow a move are carded to the
/// new cell's committee (`notify_request`, as a new request is).
#[allow(clippy::too_many_arguments)]
pub async fn decide_with(
    pool: &Pool,
    id: i64,
    to: MembershipStatus,
    by: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Membership, Recipient) -> Vec<Notice>,
    notify_old: impl FnOnce(&Membership, &Membership, Recipient) -> Vec<Notice>,
    notify_introducer: impl Fn(&Membership, Recipient) -> Vec<Notice>,
    notify_request: &impl Fn(&Request, &CardFacts, Recipient) -> Vec<Notice>,
) -> sqlx::Result<Decided<()>> {
    let mut tx = super::tx::begin(pool).await?;
    match decide_in(&mut tx, id, to, by, now).await? {
        Decided::Recorded(()) => {}
        other => return Ok(other),
    }
    let m = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let member = Recipient::load(&mut tx, m.user_id).await?;
    outbox::enqueue_notices(&mut tx, &notify(&m, member), now).await?;
    // The officer who introduced the member while they still are one, else
    // the workplace's officers now: a former officer is not told where the
    // person lives.
    let officers: Vec<i64> = sqlx::query_scalar(
        "SELECT o.user_id FROM introductions i
         JOIN workplace_officers o ON o.workplace_id = i.workplace_id
         WHERE i.id = ?1
           AND (o.user_id = i.officer_id
                OR NOT EXISTS (SELECT 1 FROM workplace_officers x
                               WHERE x.workplace_id = i.workplace_id AND x.user_id = i.officer_id))
         ORDER BY o.user_id",
    )
    .bind(m.introduction_id)
    .fetch_all(&mut *tx)
    .await?;
    for officer in officers {
        let to = Recipient::load(&mut tx, officer).await?;
        outbox::enqueue_notices(&mut tx, &notify_introducer(&m, to), now).await?;
    }
    if let Some(old) = m.moved_from.filter(|_| to == MembershipStatus::Approved) {
        let old = get(&mut *tx, old).await?.ok_or(sqlx::Error::RowNotFound)?;
        // Ended by this move (not by the old secretary before it); the
        // old secretary who approved it themselves (secretary of both
        // cells) knows.
        let by_this_move = old.end_reason.as_deref() == Some(EndReason::Moved.as_str())
            && old.ended_at == Some(now);
        let secretary = super::cells::secretary_of(&mut *tx, old.cell_id).await?;
        if let Some(secretary) = secretary.filter(|s| by_this_move && *s != m.user_id && *s != by) {
            let to = Recipient::load(&mut tx, secretary).await?;
            outbox::enqueue_notices(&mut tx, &notify_old(&old, &m, to), now).await?;
        }
        super::requests::card_followed(&mut tx, m.id, notify_request, now).await?;
    }
    tx.commit().await?;
    Ok(Decided::Recorded(()))
}

/// The conditional update and its audit entry, in the caller's transaction,
/// if `by` may decide it now.
async fn decide_in(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    to: MembershipStatus,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Decided<()>> {
    let pending: Option<(Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT moved_from, cell_id, user_id FROM memberships WHERE id = ? AND status = 'pending'",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((moved_from, cell_id, owner)) = pending else {
        return Ok(Decided::NotPending);
    };
    if let Err(denied) = super::committee::may_decide_in(conn, cell_id, owner, by).await? {
        return Ok(Decided::Refused(denied));
    }
    // A move approved: the membership it moves from ends first (one
    // approved membership per member), its date kept.
    if let (Some(old), MembershipStatus::Approved) = (moved_from, to) {
        end_in(conn, old, EndReason::Moved, None, by, now).await?;
    }
    let done = sqlx::query(
        "UPDATE memberships SET status = ?, decided_at = ?, decided_by = ?
         WHERE id = ? AND status = 'pending'",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Decided::NotPending);
    }
    let action = if to == MembershipStatus::Approved {
        "approve"
    } else {
        "reject"
    };
    let entry = super::audit::Entry {
        actor: Some(by),
        action,
        subject: "membership",
        subject_id: id,
        details: serde_json::json!({ "status": to.as_str() }),
    };
    super::audit::append(conn, entry, now).await?;
    if let (Some(old), MembershipStatus::Approved) = (moved_from, to) {
        carry_exemption(conn, old, id, by, now).await?;
        super::requests::follow_move(conn, old, id, by, now).await?;
    }
    if to == MembershipStatus::Approved {
        // The cell's meetings still to come invite the newcomer too.
        super::meetings::invite_newcomer(conn, id, now).await?;
    }
    Ok(Decided::Recorded(()))
}

/// A member exempt from residence meetings stays exempt when they move
/// (the exemption is the member's: barracks, study away…), audited as an
/// exemption of the new membership.
async fn carry_exemption(
    conn: &mut sqlx::SqliteConnection,
    from: i64,
    to: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    // An exemption lifted before the move still ends where it ended.
    sqlx::query(
        "UPDATE memberships
         SET exempt_until = COALESCE(exempt_until, (SELECT exempt_until FROM memberships WHERE id = ?1)),
             exempt_since = COALESCE(exempt_since, (SELECT exempt_since FROM memberships WHERE id = ?1))
         WHERE id = ?2",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO exemptions (membership_id, reason, since, until)
         SELECT ?2, reason, since, until FROM exemptions WHERE membership_id = ?1
           AND NOT EXISTS (SELECT 1 FROM exemptions WHERE membership_id = ?2)
         ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    let reason: Option<String> = sqlx::query_scalar(
        "UPDATE memberships SET exempt_reason = (SELECT exempt_reason FROM memberships WHERE id = ?1)
         WHERE id = ?2 AND exempt_reason IS NULL
           AND (SELECT exempt_reason FROM memberships WHERE id = ?1) IS NOT NULL
         RETURNING exempt_reason",
    )
    .bind(from)
    .bind(to)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(reason) = reason {
        let entry = super::audit::Entry {
            actor: Some(by),
            action: "exempt",
            subject: "membership",
            subject_id: to,
            details: serde_json::json!({ "reason": reason, "by": by, "moved_from": from }),
        };
        super::audit::append(conn, entry, now).await?;
    }
    Ok(())
}

pub async fn pending_in_cell(pool: &Pool, cell_id: i64) -> sqlx::Result<Vec<Membership>> {
    sqlx::query_as(concat!(
        membership_select!(),
        " WHERE m.cell_id = ? AND m.status = 'pending' ORDER BY m.requested_at, m.id"
    ))
    .bind(cell_id)
    .fetch_all(pool)
    .await
}

/// A member of a cell with this month's activity.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberActivity {
    pub membership_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub workplace_name: Option<String>,
    pub approved_this_month: i64,
    pub last_approved: Option<NaiveDate>,
    /// Exempt from activities where they live (not expected to report).
    pub exempt: bool,
    /// Every exemption held, as [`exemptions_sql`] reads them.
    pub exemptions: String,
}

impl MemberActivity {
    /// Whether `month` is one an exemption excused, held now or lifted
    /// since (the month it was lifted in included): no contact owed in it.
    pub fn excused(&self, month: Period, tz: chrono_tz::Tz) -> bool {
        crate::domain::review_year::excused(
            month,
            &super::exemptions_local(&self.exemptions, self.exempt, tz),
        )
    }
}

/// Approved members of a cell with their approved reports of contact
/// (money alone is not contact) dated in `month`, from the monthly tally,
/// and the date of their last one; by member, as the tally and the sheet
/// count them (a member who moved brings the reports of their earlier cell);
/// with their exemptions.
pub async fn activity_in_cell(
    pool: &Pool,
    cell_id: i64,
    month: Period,
) -> sqlx::Result<Vec<MemberActivity>> {
    sqlx::query_as(concat!(
        "SELECT m.id AS membership_id, m.user_id, m.full_name,
                COALESCE(w.name, m.workplace_name) AS workplace_name,
                COALESCE((SELECT t.contact FROM member_months t
                          WHERE t.user_id = m.user_id AND t.month = ?1), 0) AS approved_this_month,
                (SELECT MAX(r.activity_date) FROM reports r
                    JOIN activity_kinds k ON k.id = r.kind_id
                    WHERE r.user_id = m.user_id AND r.status = 'approved'
                      AND k.code <> 'contribution') AS last_approved,
                m.exempt_reason IS NOT NULL AS exempt, ",
        exemptions_sql!(),
        " AS exemptions
         FROM memberships m
         LEFT JOIN workplaces w ON w.id = m.workplace_id
         WHERE m.cell_id = ?2 AND m.status = 'approved'
         ORDER BY m.full_name COLLATE vi_name, m.id"
    ))
    .bind(month.to_string())
    .bind(cell_id)
    .fetch_all(pool)
    .await
}

/// An approved, non-exempt member with what the reminder rules need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Standing {
    pub membership_id: i64,
    pub user_id: i64,
    pub cell_id: i64,
    pub full_name: String,
    /// What tells them from a namesake of their cell, with the month of
    /// introduction.
    pub phone: Option<String>,
    pub language: Option<String>,
    pub unreachable: bool,
    pub active_since: DateTime<Utc>,
    pub introduced_on: Option<NaiveDate>,
    /// Every exemption held, as [`exemptions_sql`] reads them.
    pub exemptions: String,
    /// Reports of contact (pending or approved; money alone is not
    /// contact) dated in the period.
    pub reports_in_period: i64,
    /// The first day of the latest month up to the period with an approved
    /// report of contact (as `/status` and the sheet count it).
    pub last_activity: Option<NaiveDate>,
}

impl Standing {
    /// See [`MemberRow::exemptions`](super::yearly::MemberRow::exemptions).
    pub fn exemptions(&self, tz: chrono_tz::Tz) -> Vec<crate::domain::review_year::Exempted> {
        super::exemptions_local(&self.exemptions, false, tz)
    }

    /// See [`MemberRow::introduced`](super::yearly::MemberRow::introduced).
    pub fn introduced(&self, tz: chrono_tz::Tz) -> crate::domain::schedule::Period {
        crate::domain::review_year::introduced_period(
            self.introduced_on,
            self.active_since.with_timezone(&tz).date_naive(),
            &self.exemptions(tz),
        )
    }
}

/// Every approved member who is not exempt, with their reports dated in
/// the month `period` (in any of their cells: a member who moved keeps the
/// reports made before the move).
pub async fn standings(pool: &Pool, period: Period) -> sqlx::Result<Vec<Standing>> {
    standings_in_cells(pool, period, i64::MIN, i64::MAX).await
}

/// The query of [`standings_in_cells`] and [`standings_of_cells`], with
/// the condition on the cell.
macro_rules! standings_query {
    ($cells:literal) => {
        concat!(
            "SELECT m.id AS membership_id, m.user_id, m.cell_id, m.full_name, m.phone, u.language,
                (u.unreachable_since IS NOT NULL) AS unreachable, ",
            active_since_sql!(),
            " AS active_since, m.introduced_on, ",
            exemptions_sql!(),
            " AS exemptions,
                COALESCE((SELECT t.contact_reports FROM member_months t
                          WHERE t.user_id = m.user_id AND t.month = ?1), 0) AS reports_in_period,
                (SELECT MAX(t.month) FROM member_months t WHERE t.user_id = m.user_id
                    AND t.contact > 0 AND t.month <= ?1) || '-01' AS last_activity
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.status = 'approved' AND m.exempt_reason IS NULL
           AND ",
            $cells,
            " ORDER BY m.cell_id, m.full_name COLLATE vi_name, m.id"
        )
    };
}

const STANDINGS_QUERY: &str = standings_query!("m.cell_id BETWEEN ?2 AND ?3");

/// [`standings`] of the cells whose ids are in `[first_cell, last_cell]`,
/// by cell: the monthly round reads them a batch of cells at a time. The
/// counts come from the per-member monthly tally (`member_months`).
pub async fn standings_in_cells(
    pool: &Pool,
    period: Period,
    first_cell: i64,
    last_cell: i64,
) -> sqlx::Result<Vec<Standing>> {
    sqlx::query_as(STANDINGS_QUERY)
        .bind(period.to_string())
        .bind(first_cell)
        .bind(last_cell)
        .fetch_all(pool)
        .await
}

/// [`standings`] of the listed cells, by cell: the digests of a batch of
/// readers, whose cells need not be consecutive, in one query.
pub async fn standings_of_cells(
    pool: &Pool,
    period: Period,
    cells: &[i64],
) -> sqlx::Result<Vec<Standing>> {
    sqlx::query_as(standings_query!(
        "m.cell_id IN (SELECT value FROM json_each(?2))"
    ))
    .bind(period.to_string())
    .bind(super::id_list(cells))
    .fetch_all(pool)
    .await
}

/// An approved member of a workplace, with what "silent for months" needs:
/// the officers' digest.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkplaceStanding {
    /// The membership.
    pub id: i64,
    pub workplace_id: i64,
    pub full_name: String,
    /// What tells them from a namesake, with the month of introduction.
    pub phone: Option<String>,
    /// Exempt from residence meetings (never counted as silent).
    pub exempt: bool,
    pub active_since: DateTime<Utc>,
    pub introduced_on: Option<NaiveDate>,
    /// Every exemption held, as [`exemptions_sql`] reads them.
    pub exemptions: String,
    /// The first day of the latest month up to the period with an approved
    /// report of contact (as `/status` and the sheet count it).
    pub last_activity: Option<NaiveDate>,
}

impl WorkplaceStanding {
    /// See [`MemberRow::exemptions`](super::yearly::MemberRow::exemptions).
    pub fn exemptions(&self, tz: chrono_tz::Tz) -> Vec<crate::domain::review_year::Exempted> {
        super::exemptions_local(&self.exemptions, self.exempt, tz)
    }

    /// See [`MemberRow::introduced`](super::yearly::MemberRow::introduced).
    pub fn introduced(&self, tz: chrono_tz::Tz) -> crate::domain::schedule::Period {
        crate::domain::review_year::introduced_period(
            self.introduced_on,
            self.active_since.with_timezone(&tz).date_naive(),
            &self.exemptions(tz),
        )
    }
}

/// The approved members of the listed workplaces with their latest month of activity up to `period` (from the monthly tally), by
/// workplace and name.
pub async fn standings_of_workplaces(
    pool: &Pool,
    period: Period,
    workplaces: &[i64],
) -> sqlx::Result<Vec<WorkplaceStanding>> {
    sqlx::query_as(concat!(
        "SELECT m.id, m.workplace_id, m.full_name, m.phone,
                (m.exempt_reason IS NOT NULL) AS exempt, ",
        active_since_sql!(),
        " AS active_since, m.introduced_on, ",
        exemptions_sql!(),
        " AS exemptions,
            (SELECT MAX(t.month) FROM member_months t WHERE t.user_id = m.user_id
                AND t.contact > 0 AND t.month <= ?1) || '-01' AS last_activity
         FROM memberships m
         WHERE m.workplace_id IN (SELECT value FROM json_each(?2)) AND m.status = 'approved'
         ORDER BY m.workplace_id, m.full_name COLLATE vi_name, m.id"
    ))
    .bind(period.to_string())
    .bind(super::id_list(workplaces))
    .fetch_all(pool)
    .await
}

/// The approved members of a cell: (membership, user, the language they
/// read).
pub async fn approved_readers<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    cell_id: i64,
) -> sqlx::Result<Vec<(i64, i64, crate::domain::Lang)>> {
    let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT m.id, m.user_id, u.language FROM memberships m LEFT JOIN users u ON u.id = m.user_id
         WHERE m.cell_id = ? AND m.status = 'approved'
         ORDER BY m.user_id",
    )
    .bind(cell_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, user, language)| (id, user, crate::domain::Lang::stored(language.as_deref())))
        .collect())
}

/// Pending join requests in each of the listed cells, by whose they are:
/// (cell, user); cells without any are left out.
pub async fn pending_per_cell(pool: &Pool, cells: &[i64]) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT cell_id, user_id FROM memberships
         WHERE cell_id IN (SELECT value FROM json_each(?)) AND status = 'pending'",
    )
    .bind(super::id_list(cells))
    .fetch_all(pool)
    .await
}

/// An approved member exempt from residence meetings, as a list names
/// them: the committee's digest lists none of them, but tells the members
/// it lists apart from them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExemptNamed {
    pub cell_id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub introduced_on: Option<NaiveDate>,
    pub active_since: DateTime<Utc>,
}

/// The approved members exempt from residence meetings of the listed
/// cells, by cell.
pub async fn exempt_named_in_cells(pool: &Pool, cells: &[i64]) -> sqlx::Result<Vec<ExemptNamed>> {
    sqlx::query_as(concat!(
        "SELECT m.cell_id, m.full_name, m.phone, m.introduced_on, ",
        active_since_sql!(),
        " AS active_since
         FROM memberships m
         WHERE m.cell_id IN (SELECT value FROM json_each(?)) AND m.status = 'approved'
           AND m.exempt_reason IS NOT NULL
         ORDER BY m.cell_id, m.full_name COLLATE vi_name, m.id"
    ))
    .bind(super::id_list(cells))
    .fetch_all(pool)
    .await
}

/// "Who is silent this month": the approved, non-exempt members of the
/// cells `[first_cell, last_cell]` with no report of contact (pending or
/// approved; money alone is not contact) dated in `period`, by membership id; one look-up in the monthly tally
/// per member.
///
/// SQLite gathers the ids into one JSON array: hundreds of thousands of
/// rows, each a message from the connection's thread, would cost more
/// than the query itself.
pub async fn silent_in_cells(
    pool: &Pool,
    period: Period,
    first_cell: i64,
    last_cell: i64,
) -> sqlx::Result<Vec<i64>> {
    let ids: String = sqlx::query_scalar(
        "SELECT json_group_array(m.id) FROM memberships m
         WHERE m.status = 'approved' AND m.exempt_reason IS NULL
           AND m.cell_id BETWEEN ?2 AND ?3
           AND NOT EXISTS (SELECT 1 FROM member_months t
                           WHERE t.user_id = m.user_id AND t.month = ?1 AND t.contact_reports > 0)",
    )
    .bind(period.to_string())
    .bind(first_cell)
    .bind(last_cell)
    .fetch_one(pool)
    .await?;
    let mut ids: Vec<i64> =
        serde_json::from_str(&ids).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    ids.sort_unstable();
    Ok(ids)
}

/// Approved members per cell, by cell id (to cut the round into batches).
pub async fn approved_per_cell(pool: &Pool) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT cell_id, COUNT(*) FROM memberships WHERE status = 'approved'
         GROUP BY cell_id ORDER BY cell_id",
    )
    .fetch_all(pool)
    .await
}

/// Pending join requests in one cell.
pub async fn pending_in_cell_count(pool: &Pool, cell_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE cell_id = ? AND status = 'pending'")
        .bind(cell_id)
        .fetch_one(pool)
        .await
}

/// What [`set_exempt`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exempted {
    Done,
    /// No approved member with this id.
    NotApproved,
    /// Already so (the same exemption, or cleared when there was none):
    /// nothing changed, nothing audited.
    Unchanged,
}

/// Marks a member exempt (guidance 33) or clears it. Audited (`by`: None
/// for the operator's command line).
pub async fn set_exempt(
    pool: &Pool,
    id: i64,
    reason: Option<&str>,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<Exempted> {
    let mut tx = super::tx::begin(pool).await?;
    let current: Option<Option<String>> = sqlx::query_scalar(
        "SELECT exempt_reason FROM memberships WHERE id = ? AND status = 'approved'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    match current {
        None => return Ok(Exempted::NotApproved),
        Some(current) if current.as_deref() == reason => return Ok(Exempted::Unchanged),
        Some(_) => {}
    }
    // Each exemption is kept as its own period (`exemptions`): one lifted
    // still excuses the months it covered, and a new one begins its own.
    // One held with no period recorded (set before they were kept) began
    // when recorded, if it was.
    sqlx::query(
        "INSERT INTO exemptions (membership_id, reason, since, until)
         SELECT id, COALESCE(?1, exempt_reason),
                CASE WHEN exempt_reason IS NULL THEN ?3 ELSE exempt_since END,
                CASE WHEN ?1 IS NULL THEN ?3 END
         FROM memberships
         WHERE id = ?2 AND status = 'approved' AND (exempt_reason IS NULL) <> (?1 IS NULL)
           AND NOT EXISTS (SELECT 1 FROM exemptions WHERE membership_id = ?2 AND until IS NULL)",
    )
    .bind(reason)
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // The period held ends (lifted: its reason kept), or takes the new
    // reason.
    sqlx::query(
        "UPDATE exemptions
         SET until = CASE WHEN ?1 IS NULL THEN ?3 END,
             reason = COALESCE(?1, reason, (SELECT exempt_reason FROM memberships WHERE id = ?2))
         WHERE membership_id = ?2 AND until IS NULL",
    )
    .bind(reason)
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE memberships
         SET exempt_until = CASE WHEN ?1 IS NULL AND exempt_reason IS NOT NULL THEN ?3
                                 WHEN ?1 IS NOT NULL AND exempt_reason IS NULL THEN NULL
                                 ELSE exempt_until END,
             exempt_since = CASE WHEN ?1 IS NOT NULL AND exempt_reason IS NULL THEN ?3
                                 ELSE exempt_since END,
             exempt_reason = ?1
         WHERE id = ?2 AND status = 'approved'",
    )
    .bind(reason)
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Exempted::NotApproved);
    }
    // Invitations to meetings still to come follow: an exempt member is
    // informed, not expected (reminders, the meetings counted as missed).
    sqlx::query(
        "UPDATE meeting_invitations SET exempt = ?
         WHERE membership_id = ? AND exempt <> ?
           AND meeting_id IN (SELECT id FROM meetings WHERE status = 'scheduled' AND starts_at > ?)",
    )
    .bind(reason.is_some())
    .bind(id)
    .bind(reason.is_some())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: by,
        action: if reason.is_some() {
            "exempt"
        } else {
            "exempt_clear"
        },
        subject: "membership",
        subject_id: id,
        details: serde_json::json!({ "reason": reason, "by": by }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(Exempted::Done)
}

/// A membership as the operator's listing shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub status: String,
    pub exempt_reason: Option<String>,
    pub workplace_name: Option<String>,
}

/// Every membership of a cell (pending, approved, and past), by name.
pub async fn list_in_cell(pool: &Pool, cell_id: i64) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(
        "SELECT m.id, m.user_id, m.full_name, m.status, m.exempt_reason,
                COALESCE(w.name, m.workplace_name) AS workplace_name
         FROM memberships m LEFT JOIN workplaces w ON w.id = m.workplace_id
         WHERE m.cell_id = ?
         ORDER BY m.status <> 'approved', m.status <> 'pending', m.full_name COLLATE vi_name, m.id",
    )
    .bind(cell_id)
    .fetch_all(pool)
    .await
}

/// Ends an approved membership (status `left`) with its reason and audit
/// entry, in the caller's transaction; false if it was not approved.
async fn end_in(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    reason: EndReason,
    note: Option<&str>,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE memberships SET status = 'left', ended_at = ?, end_reason = ?, end_note = ?,
                ended_by = ?
         WHERE id = ? AND status = 'approved'",
    )
    .bind(now)
    .bind(reason.as_str())
    .bind(note)
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    // No longer invited to the cell's meetings still to come: the register
    // would list them and closing it mark them absent.
    let withdrawn = super::meetings::withdraw_leaver(conn, id, by, now).await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "end",
        subject: "membership",
        subject_id: id,
        details: serde_json::json!({
            "reason": reason.as_str(),
            "note": note,
            "invitations_withdrawn": withdrawn,
        }),
    };
    super::audit::append(conn, entry, now).await?;
    Ok(true)
}

/// A secretary's decision to end a membership of their cell.
pub struct Ending<'a> {
    pub id: i64,
    pub cell_id: i64,
    pub reason: EndReason,
    pub note: &'a str,
    pub by: i64,
    /// The secretary's dialogue after it, written with it.
    pub then: Option<&'a super::dialogues::Next>,
}

/// Ends an approved membership of `cell_id` (a secretary's decision) and
/// queues the member's notice, in one transaction; false if it is no
/// longer an approved membership of that cell, or `by` no longer sits on
/// its committee (read in the transaction). The workplace's open
/// requests for a comment on the member are cancelled, and whoever asked
/// is told (`notify_officer`).
pub async fn end(
    pool: &Pool,
    ending: Ending<'_>,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Membership, Recipient) -> Vec<Notice>,
    notify_officer: impl Fn(&Request, &Membership, Recipient) -> Vec<Notice>,
) -> sqlx::Result<bool> {
    let Ending {
        id,
        cell_id,
        reason,
        note,
        by,
        then,
    } = ending;
    let mut tx = super::tx::begin(pool).await?;
    let of_cell: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE id = ? AND cell_id = ? AND status = 'approved')",
    )
    .bind(id)
    .bind(cell_id)
    .fetch_one(&mut *tx)
    .await?;
    // Who ends it, judged again here: a handover (or the deputy removed)
    // that lands after the confirmation was checked refuses it; nobody
    // ends their own membership this way.
    let owner: Option<i64> = sqlx::query_scalar("SELECT user_id FROM memberships WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let allowed = owner != Some(by)
        && super::committee::of_cell(&mut tx, cell_id)
            .await?
            .includes(by);
    if !of_cell || !allowed || !end_in(&mut tx, id, reason, Some(note), by, now).await? {
        return Ok(false);
    }
    let m = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let member = Recipient::load(&mut tx, m.user_id).await?;
    outbox::enqueue_notices(&mut tx, &notify(&m, member), now).await?;
    for r in super::requests::cancel_for_leaver(&mut tx, id, by, now).await? {
        for officer in
            super::sheets::asking_officers(&mut tx, m.user_id, r.officer_id, r.workplace_id).await?
        {
            let to = Recipient::load(&mut tx, officer).await?;
            outbox::enqueue_notices(&mut tx, &notify_officer(&r, &m, to), now).await?;
        }
    }
    if let Some(then) = then {
        super::dialogues::put(&mut tx, then, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The user's latest ended membership, if they have no active one.
pub async fn latest_ended(pool: &Pool, user_id: i64) -> sqlx::Result<Option<Membership>> {
    sqlx::query_as(concat!(
        membership_select!(),
        " WHERE m.user_id = ? AND m.status = 'left'
            AND NOT EXISTS (SELECT 1 FROM memberships a WHERE a.user_id = m.user_id
                            AND a.status IN ('pending', 'approved'))
          ORDER BY m.ended_at DESC, m.id DESC LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// The membership report `report_id` was made in, or the one it moved on
/// to (once or more), if that ended other than by a move: whoever joined
/// another cell afresh since still holds it ended.
pub async fn ended_after_report(pool: &Pool, report_id: i64) -> sqlx::Result<Option<Membership>> {
    sqlx::query_as(concat!(
        "WITH RECURSIVE onward(id) AS (
             SELECT membership_id FROM reports WHERE id = ?
             UNION
             SELECT n.id FROM memberships n JOIN memberships o
                  ON n.moved_from = o.id AND n.user_id = o.user_id
             JOIN onward ON onward.id = o.id
             WHERE o.status = 'left' AND o.end_reason = 'moved') ",
        membership_select!(),
        " WHERE m.id IN (SELECT id FROM onward) AND m.status = 'left'
            AND m.end_reason IS NOT 'moved'
          ORDER BY m.ended_at DESC, m.id DESC LIMIT 1"
    ))
    .bind(report_id)
    .fetch_optional(pool)
    .await
}

/// The approved members of a cell, by name, one page of them, and how
/// many there are.
pub async fn approved_page(
    pool: &Pool,
    cell_id: i64,
    offset: i64,
    limit: i64,
) -> sqlx::Result<(Vec<Membership>, i64)> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE cell_id = ? AND status = 'approved'",
    )
    .bind(cell_id)
    .fetch_one(pool)
    .await?;
    let page = sqlx::query_as(concat!(
        membership_select!(),
        " WHERE m.cell_id = ? AND m.status = 'approved'
          ORDER BY m.full_name COLLATE vi_name, m.id LIMIT ? OFFSET ?"
    ))
    .bind(cell_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((page, total))
}

/// SQL: the approved membership of user `?2` that a /profile question
/// about membership `?1` changes: that one, or where moves approved while
/// the question was open ended it, the one the member moved to.
const PROFILE_TARGET: &str = "WITH RECURSIVE chain(id) AS (
         SELECT ?1 UNION SELECT m.id FROM memberships m JOIN chain ON m.moved_from = chain.id
                         WHERE m.user_id = ?2)
     SELECT m.id FROM memberships m JOIN chain ON chain.id = m.id
     WHERE m.user_id = ?2 AND m.status = 'approved'";

/// The approved membership a /profile question about membership `id`
/// changes now (see `PROFILE_TARGET`), if any.
pub async fn profile_target<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    id: i64,
    user_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(PROFILE_TARGET)
        .bind(id)
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// A member's change of phone through /profile (also the user's phone),
/// audited, with the member's dialogue after it (`then`: the one the
/// question interrupted, or none); false if the membership is no longer
/// approved (a move approved meanwhile is followed: the change goes to the
/// new membership).
pub async fn set_phone(
    pool: &Pool,
    id: i64,
    user_id: i64,
    phone: Option<&str>,
    (now, then): (DateTime<Utc>, &super::dialogues::Next),
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(id) = profile_target(&mut *tx, id, user_id).await? else {
        return Ok(false);
    };
    sqlx::query("UPDATE memberships SET phone = ? WHERE id = ?")
        .bind(phone)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET phone = ? WHERE id = ?")
        .bind(phone)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    // A move waiting to be approved copied the phone when it was sent: it
    // takes the change too (so for the workplace and the month below).
    sqlx::query("UPDATE memberships SET phone = ? WHERE moved_from = ? AND status = 'pending'")
        .bind(phone)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let entry = super::audit::Entry {
        actor: Some(user_id),
        action: "change_phone",
        subject: "membership",
        subject_id: id,
        // Not the number itself: the audit log outlives /forgetme.
        details: serde_json::json!({ "phone_given": phone.is_some() }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    // The member's question (in their private chat) ends with the change:
    // back to the dialogue it interrupted, if any.
    super::dialogues::put(&mut tx, then, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// A member's change of workplace through /profile: stored with the
/// workplace it replaces (shown to the officers of both) and audited;
/// false if the membership is no longer approved or nothing changes (a
/// move approved meanwhile is followed, and the dialogue written, as by
/// [`set_phone`]).
pub async fn set_workplace(
    pool: &Pool,
    id: i64,
    user_id: i64,
    choice: &WorkplaceChoice,
    (now, then): (DateTime<Utc>, &super::dialogues::Next),
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(id) = profile_target(&mut *tx, id, user_id).await? else {
        return Ok(false);
    };
    let (from_id, from_name): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT workplace_id, workplace_name FROM memberships WHERE id = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let (to_id, to_name) = match choice {
        WorkplaceChoice::Registered { id, .. } => (Some(*id), None),
        WorkplaceChoice::Other { name } => (None, Some(name.clone())),
    };
    if (from_id, from_name.as_deref()) == (to_id, to_name.as_deref()) {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE memberships SET workplace_id = ?1, workplace_name = ?2
         WHERE id = ?3 OR (moved_from = ?3 AND status = 'pending')",
    )
    .bind(to_id)
    .bind(&to_name)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO workplace_changes (membership_id, from_workplace_id, from_workplace_name,
                                        to_workplace_id, to_workplace_name, changed_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(from_id)
    .bind(&from_name)
    .bind(to_id)
    .bind(&to_name)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: Some(user_id),
        action: "change_workplace",
        subject: "membership",
        subject_id: id,
        details: serde_json::json!({
            "from": { "id": from_id, "name": from_name },
            "to": { "id": to_id, "name": to_name },
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    // The member's question (in their private chat) ends with the change:
    // back to the dialogue it interrupted, if any.
    super::dialogues::put(&mut tx, then, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The secretary corrects the month a member was introduced to the cell
/// (`month`: its first day), audited in the same transaction with the
/// secretary's dialogue after the question (`then`); false if no such
/// approved or pending member, or `by` may no longer decide their items
/// (read in the transaction).
pub async fn set_introduced(
    pool: &Pool,
    id: i64,
    month: NaiveDate,
    by: i64,
    (now, then): (DateTime<Utc>, &super::dialogues::Next),
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let before: Option<(Option<NaiveDate>, i64, i64)> = sqlx::query_as(
        "SELECT introduced_on, cell_id, user_id FROM memberships
         WHERE id = ? AND status IN ('pending', 'approved')",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((before, cell_id, owner)) = before else {
        return Ok(false);
    };
    // Who corrects it, judged again here: a handover (or the deputy
    // removed) that lands after the typed month was checked refuses it.
    if super::committee::may_decide_in(&mut tx, cell_id, owner, by)
        .await?
        .is_err()
    {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE memberships SET introduced_on = ?1
         WHERE id = ?2 OR (moved_from = ?2 AND status = 'pending')",
    )
    .bind(month)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "set_introduced",
        subject: "membership",
        subject_id: id,
        details: serde_json::json!({ "from": before, "to": month }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    super::dialogues::put(&mut tx, then, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// A change of workplace an officer's /status mentions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkplaceMove {
    pub full_name: String,
    pub cell_name: String,
    pub from_name: Option<String>,
    pub to_name: Option<String>,
    pub changed_at: DateTime<Utc>,
    /// True when the member moved into the workplace asked about.
    pub arrived: bool,
}

/// Changes of workplace in `[since, until)` into or out of
/// `workplace_id`, of people still approved members (of the cell they are
/// in now: a change made before a move to another cell is kept), oldest
/// first.
pub async fn workplace_moves(
    pool: &Pool,
    workplace_id: i64,
    (since, until): (DateTime<Utc>, DateTime<Utc>),
) -> sqlx::Result<Vec<WorkplaceMove>> {
    sqlx::query_as(
        "SELECT now_in.full_name, c.name AS cell_name,
                COALESCE(fw.name, x.from_workplace_name) AS from_name,
                COALESCE(tw.name, x.to_workplace_name) AS to_name,
                x.changed_at, (x.to_workplace_id IS ?1) AS arrived
         FROM workplace_changes x
         JOIN memberships m ON m.id = x.membership_id
         JOIN memberships now_in ON now_in.user_id = m.user_id AND now_in.status = 'approved'
         JOIN cells c ON c.id = now_in.cell_id
         LEFT JOIN workplaces fw ON fw.id = x.from_workplace_id
         LEFT JOIN workplaces tw ON tw.id = x.to_workplace_id
         WHERE (x.from_workplace_id = ?1 OR x.to_workplace_id = ?1)
           AND x.changed_at >= ?2 AND x.changed_at < ?3
           AND (x.from_workplace_id IS NOT x.to_workplace_id)
         ORDER BY x.changed_at, x.id",
    )
    .bind(workplace_id)
    .bind(since)
    .bind(until)
    .fetch_all(pool)
    .await
}

ever_given! {
    /// Whether `id` was ever given to a join request or membership (its row
    /// may be gone: deleted, or made after the backup the database was
    /// restored from, whose ids a restore skips), where a card of it may
    /// still be shown.
    "memberships"
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::Lang;

    async fn join(pool: &Pool, token: &str, cell: i64, moved_from: Option<i64>) -> RequestOutcome {
        let workplace = WorkplaceChoice::Other {
            name: "Sở Tư pháp".into(),
        };
        request(
            pool,
            NewRequest {
                token,
                user_id: 7,
                cell_id: cell,
                invite_id: None,
                opened_at: None,
                full_name: "Nguyễn Văn An",
                phone: None,
                workplace: &workplace,
                moved_from,
                introduced_on: None,
                introduction_id: None,
                confirm_tag: 0,
            },
            (
                Utc::now(),
                &super::super::dialogues::Next {
                    chat_id: 7,
                    state: None,
                },
            ),
            |_, _| Vec::new(),
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_move_waits_beside_the_approved_membership_and_ends_it_on_approval() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        super::super::users::touch(&pool, 7, "An", None, Lang::Vi, now, None)
            .await
            .unwrap();
        super::super::users::touch(&pool, 9, "Bình", None, Lang::Vi, now, None)
            .await
            .unwrap();
        let ward = super::super::wards::add(&pool, "P", now).await.unwrap();
        let (a, b, c) = (
            super::super::cells::add(&pool, ward, "A", now)
                .await
                .unwrap(),
            super::super::cells::add(&pool, ward, "B", now)
                .await
                .unwrap(),
            super::super::cells::add(&pool, ward, "C", now)
                .await
                .unwrap(),
        );
        let RequestOutcome::Created { id: first, .. } = join(&pool, "t1", a, None).await else {
            panic!("created");
        };
        // A second plain request while one is active is refused.
        assert!(matches!(
            join(&pool, "t0", b, None).await,
            RequestOutcome::AlreadyActive
        ));
        // Only the cell's committee decides, as the database has it when the
        // decision is written (9 is nobody to cell A yet).
        let approve = |id| {
            decide(&pool, id, MembershipStatus::Approved, 9, now, |_, _| {
                Vec::new()
            })
        };
        assert!(matches!(
            approve(first).await.unwrap(),
            Decided::Refused(crate::domain::permissions::Denied::NotDecider)
        ));
        assert_eq!(
            get(&pool, first).await.unwrap().unwrap().status(),
            MembershipStatus::Pending
        );
        sqlx::query(
            "INSERT INTO cell_secretaries (cell_id, user_id, since) VALUES (?, 9, ?), (?, 9, ?)",
        )
        .bind(a)
        .bind(now)
        .bind(b)
        .bind(now)
        .execute(&pool)
        .await
        .unwrap();
        assert!(matches!(
            approve(first).await.unwrap(),
            Decided::Recorded(())
        ));
        assert!(matches!(approve(first).await.unwrap(), Decided::NotPending));
        // A move into the same cell, or from a membership not approved: refused.
        assert!(matches!(
            join(&pool, "t2", a, Some(first)).await,
            RequestOutcome::AlreadyActive
        ));
        // Exempt (barracks): the exemption is the member's and moves too.
        assert_eq!(
            set_exempt(&pool, first, Some("barracks"), None, now)
                .await
                .unwrap(),
            Exempted::Done
        );
        // Again, or cleared twice: nothing changes.
        assert_eq!(
            set_exempt(&pool, first, Some("barracks"), None, now)
                .await
                .unwrap(),
            Exempted::Unchanged
        );
        let RequestOutcome::Created { id: moving, .. } = join(&pool, "t3", b, Some(first)).await
        else {
            panic!("a move waits beside the approved membership");
        };
        // One pending request at a time.
        assert!(matches!(
            join(&pool, "t4", c, Some(first)).await,
            RequestOutcome::AlreadyActive
        ));
        assert_eq!(
            active_for_user(&pool, 7).await.unwrap().unwrap().id,
            first,
            "the approved membership is the active one"
        );
        assert!(matches!(
            approve(moving).await.unwrap(),
            Decided::Recorded(())
        ));
        let old = get(&pool, first).await.unwrap().unwrap();
        assert_eq!(old.status(), MembershipStatus::Left);
        assert_eq!(old.end_reason.as_deref(), Some("moved"));
        assert!(old.ended_at.is_some());
        let new = get(&pool, moving).await.unwrap().unwrap();
        assert_eq!(new.status(), MembershipStatus::Approved);
        assert_eq!(new.moved_from_cell.as_deref(), Some("A"));
        assert_eq!(new.exempt_reason.as_deref(), Some("barracks"));
        // The database itself holds one approved membership per member.
        let second_approved = sqlx::query(
            "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at)
             VALUES ('x', 7, ?, 'An', 'approved', ?)",
        )
        .bind(c)
        .bind(now)
        .execute(&pool)
        .await;
        assert!(second_approved.is_err());
    }

    /// The join dialogue ends, and the update is recorded, in the request's
    /// own transaction: whether it stores the request or finds it stored
    /// (pressed again after a crash), nothing is left to do separately.
    #[tokio::test]
    async fn confirming_ends_the_dialogue_with_the_request_and_records_the_update() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        super::super::users::touch(&pool, 7, "An", None, Lang::Vi, now, None)
            .await
            .unwrap();
        let ward = super::super::wards::add(&pool, "P", now).await.unwrap();
        let cell = super::super::cells::add(&pool, ward, "A", now)
            .await
            .unwrap();
        let in_dialogue = async || {
            sqlx::query(
                "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (7, '\"Idle\"', ?)
                 ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state",
            )
            .bind(now)
            .execute(&pool)
            .await
            .unwrap();
        };
        let dialogue = async || -> i64 {
            sqlx::query_scalar("SELECT COUNT(*) FROM dialogues WHERE chat_id = 7")
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        for (update, expected_created) in [(41, true), (42, false)] {
            in_dialogue().await;
            let outcome =
                super::super::tx::handling(update, now, join(&pool, "t1", cell, None)).await;
            assert_eq!(
                matches!(outcome, RequestOutcome::Created { .. }),
                expected_created
            );
            assert_eq!(dialogue().await, 0, "update {update}: the dialogue ended");
            assert!(
                super::super::tx::already_handled(&pool, update)
                    .await
                    .unwrap()
            );
        }
        // A refused request (another active) ends it too, and stores nothing.
        in_dialogue().await;
        let refused = super::super::tx::handling(43, now, join(&pool, "t2", cell, None)).await;
        assert!(matches!(refused, RequestOutcome::AlreadyActive));
        assert_eq!(dialogue().await, 0);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(stored, 1);
    }
}

#[cfg(test)]
mod tally_tests {
    use chrono::Utc;

    use super::*;

    async fn tally(pool: &Pool) -> Vec<(String, i64, i64, i64)> {
        sqlx::query_as(
            "SELECT month, reports, approved, contact FROM member_months
             WHERE user_id = 7 ORDER BY month",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    }

    /// Reports that are contact, pending or approved, per month.
    async fn contact_reports(pool: &Pool) -> Vec<(String, i64)> {
        sqlx::query_as(
            "SELECT month, contact_reports FROM member_months WHERE user_id = 7 ORDER BY month",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn the_monthly_tally_follows_every_change_to_a_report() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        for sql in [
            "INSERT INTO wards (id, name, created_at) VALUES (1, 'P', ?1)",
            "INSERT INTO cells (id, ward_id, name, created_at) VALUES (1, 1, 'C', ?1)",
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at) VALUES (7, 'a', ?1, ?1)",
            "INSERT INTO memberships (id, token, user_id, cell_id, full_name, status, requested_at)
             VALUES (1, 't', 7, 1, 'A', 'approved', ?1)",
            "INSERT INTO reports (id, token, membership_id, user_id, cell_id, kind_id, activity_date,
                                  description, status, created_at)
             VALUES (1, 'r1', 1, 7, 1, 1, '2026-10-05', 'x', 'pending', ?1),
                    (2, 'r2', 1, 7, 1, 1, '2026-10-20', 'x', 'approved', ?1),
                    (3, 'r3', 1, 7, 1, 1, '2026-11-02', 'x', 'pending', ?1)",
        ] {
            sqlx::query(sql).bind(now).execute(&pool).await.unwrap();
        }
        assert_eq!(
            tally(&pool).await,
            [("2026-10".into(), 2, 1, 1), ("2026-11".into(), 1, 0, 0)]
        );
        sqlx::query("UPDATE reports SET status = 'rejected' WHERE id = 3")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE reports SET status = 'approved' WHERE id = 1")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            tally(&pool).await,
            [("2026-10".into(), 2, 2, 2), ("2026-11".into(), 0, 0, 0)]
        );
        // Money is a report, approved, and not contact; until its kind is
        // corrected.
        sqlx::query(
            "INSERT INTO reports (id, token, membership_id, user_id, cell_id, kind_id,
                                  activity_date, description, status, created_at)
             SELECT 4, 'r4', 1, 7, 1, id, '2026-11-03', 'x', 'approved', ?
             FROM activity_kinds WHERE code = 'contribution'",
        )
        .bind(now)
        .execute(&pool)
        .await
        .unwrap();
        assert_eq!(
            tally(&pool).await,
            [("2026-10".into(), 2, 2, 2), ("2026-11".into(), 1, 1, 0)]
        );
        assert_eq!(
            contact_reports(&pool).await,
            [("2026-10".into(), 2), ("2026-11".into(), 0)]
        );
        // Money alone: November is silent, and October the last activity.
        let silent = silent_in_cells(&pool, Period::parse("2026-11").unwrap(), 1, 1)
            .await
            .unwrap();
        assert_eq!(silent, [1]);
        sqlx::query("UPDATE reports SET kind_id = 1 WHERE id = 4")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            tally(&pool).await,
            [("2026-10".into(), 2, 2, 2), ("2026-11".into(), 1, 1, 1)]
        );
        assert_eq!(
            contact_reports(&pool).await,
            [("2026-10".into(), 2), ("2026-11".into(), 1)]
        );
        sqlx::query("DELETE FROM reports WHERE id = 4")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM reports WHERE id = 2")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            tally(&pool).await,
            [("2026-10".into(), 1, 1, 1), ("2026-11".into(), 0, 0, 0)]
        );
        let silent = silent_in_cells(&pool, Period::parse("2026-11").unwrap(), 1, 1)
            .await
            .unwrap();
        assert_eq!(silent, [1]);
        let silent = silent_in_cells(&pool, Period::parse("2026-10").unwrap(), 1, 1)
            .await
            .unwrap();
        assert!(silent.is_empty());
        // November is silent: the last activity is October's.
        let november = Period::parse("2026-11").unwrap();
        let standings = standings(&pool, november).await.unwrap();
        assert_eq!(standings.len(), 1);
        assert_eq!(standings[0].reports_in_period, 0);
        assert_eq!(
            standings[0].last_activity,
            NaiveDate::from_ymd_opt(2026, 10, 1)
        );
    }

    #[tokio::test]
    async fn who_is_silent_reads_the_tally_not_the_reports() {
        let (_dir, pool) = crate::store::scratch().await;
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            STANDINGS_QUERY
        )))
        .bind("2026-11")
        .bind(1)
        .bind(1)
        .fetch_all(&pool)
        .await
        .unwrap();
        let plan: Vec<String> = plan.into_iter().map(|(_, _, _, d)| d).collect();
        assert!(
            !plan
                .iter()
                .any(|d| d.contains(" reports ") || d.ends_with(" reports")),
            "{plan:#?}"
        );
        assert!(
            plan.iter()
                .any(|d| d.starts_with("SEARCH t USING PRIMARY KEY")),
            "{plan:#?}"
        );
    }
}
