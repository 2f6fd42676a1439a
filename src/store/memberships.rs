use chrono::{DateTime, NaiveDate, Utc};

use super::{
    Pool,
    outbox::{self, Notice, Recipient},
};
use crate::domain::membership::{MembershipStatus, WorkplaceChoice};

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
        m.decided_at, COALESCE(d.full_name, d.tg_name) AS decided_by_name
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

/// The user's pending or approved membership, if any.
pub async fn active_for_user(pool: &Pool, user_id: i64) -> sqlx::Result<Option<Membership>> {
    sqlx::query_as(concat!(
        membership_select!(),
        " WHERE m.user_id = ? AND m.status IN ('pending', 'approved')"
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
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub workplace: &'a WorkplaceChoice,
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
}

/// Stores a join request and, in the same transaction, the notices to whoever
/// decides it (`notify` says what they say, in each one's language). Nobody
/// decides their own request: the secretary's goes to the deputy, or to the
/// ward's supervisors where the cell has no deputy.
pub async fn request(
    pool: &Pool,
    req: NewRequest<'_>,
    now: DateTime<Utc>,
    notify: impl Fn(&Membership, Recipient) -> Vec<Notice>,
) -> sqlx::Result<RequestOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    if let Some(id) = sqlx::query_scalar("SELECT id FROM memberships WHERE token = ?")
        .bind(req.token)
        .fetch_optional(&mut *tx)
        .await?
    {
        return Ok(RequestOutcome::Duplicate(id));
    }
    let active: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = ? AND status IN ('pending', 'approved'))",
    )
    .bind(req.user_id)
    .fetch_one(&mut *tx)
    .await?;
    if active {
        return Ok(RequestOutcome::AlreadyActive);
    }
    let (workplace_id, workplace_name) = match req.workplace {
        WorkplaceChoice::Registered { id, .. } => (Some(*id), None),
        WorkplaceChoice::Other { name } => (None, Some(name.as_str())),
    };
    let id = sqlx::query_scalar(
        "INSERT INTO memberships (token, user_id, cell_id, invite_id, full_name, phone,
                                  workplace_id, workplace_name, status, requested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id",
    )
    .bind(req.token)
    .bind(req.user_id)
    .bind(req.cell_id)
    .bind(req.invite_id)
    .bind(req.full_name)
    .bind(req.phone)
    .bind(workplace_id)
    .bind(workplace_name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    super::users::set_profile(&mut tx, req.user_id, req.full_name, req.phone).await?;
    // The secretary's own request goes to the deputy (or the ward's
    // supervisors), the deputy's to the secretary: see `may_decide`.
    let deciders = super::committee::first_recipients(&mut tx, req.cell_id, req.user_id).await?;
    if !deciders.is_empty() {
        let m = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        for decider in &deciders {
            let to = Recipient::load(&mut tx, *decider).await?;
            outbox::enqueue_notices(&mut tx, &notify(&m, to), now).await?;
        }
    }
    let outcome = RequestOutcome::Created {
        id,
        secretary_told: !deciders.is_empty(),
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Decides a pending request, records it in the audit log and queues the
/// member's notice (`notify`, in the member's language), all in one
/// transaction; false if it was no longer pending.
pub async fn decide(
    pool: &Pool,
    id: i64,
    to: MembershipStatus,
    by: i64,
    now: DateTime<Utc>,
    notify: impl FnOnce(&Membership, Recipient) -> Vec<Notice>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    if !decide_in(&mut tx, id, to, by, now).await? {
        return Ok(false);
    }
    let m = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let member = Recipient::load(&mut tx, m.user_id).await?;
    outbox::enqueue_notices(&mut tx, &notify(&m, member), now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The conditional update and its audit entry, in the caller's transaction.
async fn decide_in(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    to: MembershipStatus,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
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
        return Ok(false);
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
    Ok(true)
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
}

/// Approved members of a cell with their approved reports dated in
/// `[from, until)` and the date of their last approved report.
pub async fn activity_in_cell(
    pool: &Pool,
    cell_id: i64,
    from: NaiveDate,
    until: NaiveDate,
) -> sqlx::Result<Vec<MemberActivity>> {
    sqlx::query_as(
        "SELECT m.id AS membership_id, m.user_id, m.full_name,
                COALESCE(w.name, m.workplace_name) AS workplace_name,
                (SELECT COUNT(*) FROM reports r WHERE r.membership_id = m.id AND r.status = 'approved'
                    AND r.activity_date >= ? AND r.activity_date < ?) AS approved_this_month,
                (SELECT MAX(r.activity_date) FROM reports r WHERE r.membership_id = m.id
                    AND r.status = 'approved') AS last_approved
         FROM memberships m
         LEFT JOIN workplaces w ON w.id = m.workplace_id
         WHERE m.cell_id = ? AND m.status = 'approved'
         ORDER BY m.full_name COLLATE NOCASE, m.id",
    )
    .bind(from)
    .bind(until)
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
    pub language: Option<String>,
    pub unreachable: bool,
    pub active_since: DateTime<Utc>,
    /// Reports (pending or approved) dated in the period.
    pub reports_in_period: i64,
    /// The latest report (pending or approved) dated before the period's end.
    pub last_activity: Option<NaiveDate>,
}

/// Every approved member who is not exempt, with their reports dated in
/// `[from, until)`.
pub async fn standings(
    pool: &Pool,
    from: NaiveDate,
    until: NaiveDate,
) -> sqlx::Result<Vec<Standing>> {
    sqlx::query_as(
        "SELECT m.id AS membership_id, m.user_id, m.cell_id, m.full_name, u.language,
                (u.unreachable_since IS NOT NULL) AS unreachable,
                COALESCE(m.decided_at, m.requested_at) AS active_since,
                (SELECT COUNT(*) FROM reports r WHERE r.membership_id = m.id AND r.status != 'rejected'
                    AND r.activity_date >= ? AND r.activity_date < ?) AS reports_in_period,
                (SELECT MAX(r.activity_date) FROM reports r WHERE r.membership_id = m.id
                    AND r.status != 'rejected' AND r.activity_date < ?) AS last_activity
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.status = 'approved' AND m.exempt_reason IS NULL
         ORDER BY m.cell_id, m.full_name COLLATE NOCASE, m.id",
    )
    .bind(from)
    .bind(until)
    .bind(until)
    .fetch_all(pool)
    .await
}

/// Pending join requests per cell.
pub async fn pending_counts(pool: &Pool) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT cell_id, COUNT(*) FROM memberships WHERE status = 'pending' GROUP BY cell_id",
    )
    .fetch_all(pool)
    .await
}

/// Approved members of the given cells (announcement recipients).
pub async fn approved_user_ids(pool: &Pool, cell_ids: &[i64]) -> sqlx::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for cell in cell_ids {
        let mut of_cell: Vec<i64> = sqlx::query_scalar(
            "SELECT user_id FROM memberships WHERE cell_id = ? AND status = 'approved' ORDER BY id",
        )
        .bind(cell)
        .fetch_all(pool)
        .await?;
        ids.append(&mut of_cell);
    }
    ids.dedup();
    Ok(ids)
}

/// Marks a member exempt (guidance 33) or clears it; false if no such
/// approved member. Audited (`by`: None for the operator's command line).
pub async fn set_exempt(
    pool: &Pool,
    id: i64,
    reason: Option<&str>,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE memberships SET exempt_reason = ? WHERE id = ? AND status = 'approved'",
    )
    .bind(reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
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
    Ok(true)
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
         ORDER BY m.status <> 'approved', m.status <> 'pending', m.full_name COLLATE NOCASE, m.id",
    )
    .bind(cell_id)
    .fetch_all(pool)
    .await
}
