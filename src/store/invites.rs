use chrono::{DateTime, Utc};

use super::Pool;
use crate::domain::invite::{
    InviteFacts, InviteKind, InviteProblem, check_invite, check_invite_opened, new_code,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invite {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub cell_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub ward_id: Option<i64>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub used_by: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// A secretary code issued while the cell had a secretary.
    pub handover: bool,
}

/// The columns of [`Invite`]: a deputy code is stored as a secretary code
/// that grants 'deputy', a ward administrator's code as a supervisor code
/// that grants 'ward_admin' (the `kind` column's CHECK predates both; the
/// `grants` column says what the code gives, so the table needs no rebuild).
macro_rules! invite_columns {
    () => {
        "id, code, CASE grants WHEN 'deputy' THEN 'deputy' WHEN 'ward_admin' THEN 'ward_admin'
                   ELSE kind END AS kind, cell_id,
         workplace_id, ward_id, expires_at, used_at, used_by, revoked_at,
         COALESCE(grants = 'handover', 0) AS handover"
    };
}

impl Invite {
    pub fn kind(&self) -> InviteKind {
        InviteKind::parse(&self.kind).unwrap_or(InviteKind::Member)
    }

    pub fn facts(&self) -> InviteFacts {
        InviteFacts {
            kind: self.kind(),
            expires_at: self.expires_at,
            used: self.used_at.is_some(),
            revoked: self.revoked_at.is_some(),
        }
    }
}

/// What an invite admits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Cell(i64),
    Workplace(i64),
    Ward(i64),
}

/// A new invite, and how many earlier codes it replaced.
#[derive(Debug, Clone)]
pub struct Created {
    pub invite: Invite,
    /// The cell's earlier member links, or its unused codes of the same
    /// kind, revoked by this one.
    pub replaced: u64,
}

/// Creates a new invite (audited, with the codes it replaced). A new
/// member link revokes the cell's previous ones; a new secretary (or
/// deputy) code the cell's unused ones of the same kind, so that only one
/// person can take the post with a code.
pub async fn create(
    pool: &Pool,
    kind: InviteKind,
    target: Target,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<Created> {
    let mut tx = super::tx::begin(pool).await?;
    let created = insert(&mut tx, kind, target, created_by, now).await?;
    tx.commit().await?;
    Ok(created)
}

/// How long a code made by a button press is taken as the one a second
/// press of it wants: longer than a double tap's presses lie apart (a
/// restart of the bot between them included), shorter than a second
/// thought.
pub const PRESSED_AGAIN_WITHIN: chrono::Duration = chrono::Duration::seconds(60);

/// What came of a press that makes a code.
#[derive(Debug, Clone)]
pub enum Pressed {
    /// A new code (the earlier ones it replaced revoked).
    Made(Created),
    /// The same person made a code of this kind for this target less than
    /// [`PRESSED_AGAIN_WITHIN`] ago, still good: it is the one meant, and
    /// nothing was made or revoked.
    JustMade(Invite),
    /// The presser may not make it now (read in the write transaction:
    /// their role went after the press was checked): nothing made.
    NotAllowed,
    /// The cell is gone (removed after the press was checked): nothing
    /// made.
    Gone,
}

impl Pressed {
    /// The code to show: the new one, or the one just made (nothing
    /// revoked by this press); `None` when none was made.
    pub fn code(self) -> Option<Created> {
        match self {
            Pressed::Made(created) => Some(created),
            Pressed::JustMade(invite) => Some(Created {
                invite,
                replaced: 0,
            }),
            Pressed::NotAllowed | Pressed::Gone => None,
        }
    }
}

/// [`create`] for a button press: a code the same person made for the same
/// target a few seconds ago (the press tapped twice, or pressed again after
/// a restart of the bot forgot the first) is returned instead of a new one
/// revoking it. Looked up in the write transaction, so two presses at once
/// make one code. The presser's right over a cell's code and the cell are
/// read again there ([`may_make`]).
pub async fn create_pressed(
    pool: &Pool,
    kind: InviteKind,
    target: Target,
    created_by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Pressed> {
    let (cell_id, workplace_id, ward_id) = target_columns(target);
    let mut tx = super::tx::begin(pool).await?;
    if let Some(refused) = refused(&mut tx, kind, target, created_by).await? {
        return Ok(refused);
    }
    let recent: Vec<Invite> = sqlx::query_as(concat!(
        "SELECT ",
        invite_columns!(),
        " FROM invites WHERE cell_id IS ? AND workplace_id IS ? AND ward_id IS ?
            AND created_by = ? AND created_at > ? AND revoked_at IS NULL
          ORDER BY id DESC"
    ))
    .bind(cell_id)
    .bind(workplace_id)
    .bind(ward_id)
    .bind(created_by)
    .bind(now - PRESSED_AGAIN_WITHIN)
    .fetch_all(&mut *tx)
    .await?;
    if let Some(invite) = recent
        .into_iter()
        .find(|i| i.kind() == kind && check_invite(Some(&i.facts()), now).is_ok())
    {
        // Nothing written: the update is not recorded by this.
        tx.rollback().await?;
        return Ok(Pressed::JustMade(invite));
    }
    let created = insert(&mut tx, kind, target, Some(created_by), now).await?;
    tx.commit().await?;
    Ok(Pressed::Made(created))
}

/// [`create`] for a command someone typed (a secretary's `/invite`): the
/// presser's right over the cell's code and the cell are read again in the
/// write transaction ([`may_make`]), so a command landing as the role goes
/// (revoked, or handed over) makes nothing. Never [`Pressed::JustMade`]: a
/// command typed again means a new code.
pub async fn create_by(
    pool: &Pool,
    kind: InviteKind,
    target: Target,
    created_by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Pressed> {
    let mut tx = super::tx::begin(pool).await?;
    if let Some(refused) = refused(&mut tx, kind, target, created_by).await? {
        return Ok(refused);
    }
    let created = insert(&mut tx, kind, target, Some(created_by), now).await?;
    tx.commit().await?;
    Ok(Pressed::Made(created))
}

/// Why `by` may not make a code of `kind` for `target` now (read in the
/// caller's write transaction): the cell gone, or the right gone.
async fn refused(
    conn: &mut sqlx::SqliteConnection,
    kind: InviteKind,
    target: Target,
    by: i64,
) -> sqlx::Result<Option<Pressed>> {
    let Target::Cell(cell) = target else {
        return Ok(None);
    };
    if super::cells::get(&mut *conn, cell).await?.is_none() {
        return Ok(Some(Pressed::Gone));
    }
    if !may_make(conn, kind, cell, by).await? {
        return Ok(Some(Pressed::NotAllowed));
    }
    Ok(None)
}

/// Whether `by` may make a code of `kind` for `cell` now, in the caller's
/// write transaction: a secretary code its ward's administrator, a deputy
/// code or a member link the cell's secretary (what [`issuer_may_still`]
/// asks of a code at its use, so that none is made only to be refused).
async fn may_make(
    conn: &mut sqlx::SqliteConnection,
    kind: InviteKind,
    cell: i64,
    by: i64,
) -> sqlx::Result<bool> {
    let sql = match kind {
        InviteKind::Secretary => {
            "SELECT EXISTS (SELECT 1 FROM cells c JOIN ward_admins a ON a.ward_id = c.ward_id
                            WHERE c.id = ?1 AND a.user_id = ?2)"
        }
        InviteKind::Deputy | InviteKind::Member => {
            "SELECT EXISTS (SELECT 1 FROM cell_secretaries WHERE cell_id = ?1 AND user_id = ?2)"
        }
        _ => return Ok(true),
    };
    sqlx::query_scalar(sql)
        .bind(cell)
        .bind(by)
        .fetch_one(conn)
        .await
}

fn target_columns(target: Target) -> (Option<i64>, Option<i64>, Option<i64>) {
    match target {
        Target::Cell(id) => (Some(id), None, None),
        Target::Workplace(id) => (None, Some(id), None),
        Target::Ward(id) => (None, None, Some(id)),
    }
}

/// The new code and the revocations it brings, in the caller's transaction.
async fn insert(
    tx: &mut super::tx::Tx,
    kind: InviteKind,
    target: Target,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<Created> {
    let (cell_id, workplace_id, ward_id) = target_columns(target);
    let mut replaced = 0;
    if kind == InviteKind::Member {
        replaced += sqlx::query(
            "UPDATE invites SET revoked_at = ?
             WHERE cell_id = ? AND kind = 'member' AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(cell_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    if matches!(kind, InviteKind::Secretary | InviteKind::Deputy) {
        // Deputy codes are stored as secretary codes granting "deputy".
        replaced += sqlx::query(
            "UPDATE invites SET revoked_at = ?
             WHERE cell_id = ? AND kind = 'secretary' AND used_at IS NULL AND revoked_at IS NULL
               AND (COALESCE(grants, '') = 'deputy') = ?",
        )
        .bind(now)
        .bind(cell_id)
        .bind(kind == InviteKind::Deputy)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    let handover = match (kind, target) {
        (InviteKind::Secretary, Target::Cell(cell)) => {
            super::cells::secretary_of(&mut **tx, cell).await?.is_some()
        }
        _ => false,
    };
    let (stored_kind, grants) = match kind {
        InviteKind::Deputy => (InviteKind::Secretary.as_str(), Some("deputy")),
        InviteKind::WardAdmin => (InviteKind::Supervisor.as_str(), Some("ward_admin")),
        _ if handover => (kind.as_str(), Some("handover")),
        _ => (kind.as_str(), None),
    };
    let invite: Invite = sqlx::query_as(concat!(
        "INSERT INTO invites (id, code, kind, grants, cell_id, workplace_id, ward_id, created_by, created_at, expires_at)
         VALUES (",
        next_id!("invites"),
        ", ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING ",
        invite_columns!()
    ))
    .bind(new_code())
    .bind(stored_kind)
    .bind(grants)
    .bind(cell_id)
    .bind(workplace_id)
    .bind(ward_id)
    .bind(created_by)
    .bind(now)
    .bind(now + kind.lifetime())
    .fetch_one(&mut **tx)
    .await?;
    let entry = super::audit::Entry {
        actor: created_by,
        action: "create_invite",
        subject: "invite",
        subject_id: invite.id,
        details: serde_json::json!({
            "kind": kind.as_str(),
            "cell": cell_id,
            "workplace": workplace_id,
            "ward": ward_id,
            "replaced": replaced,
        }),
    };
    super::audit::append(tx, entry, now).await?;
    Ok(Created { invite, replaced })
}

pub async fn find(pool: &Pool, code: &str) -> sqlx::Result<Option<Invite>> {
    sqlx::query_as(concat!(
        "SELECT ",
        invite_columns!(),
        " FROM invites WHERE code = ?"
    ))
    .bind(code)
    .fetch_optional(pool)
    .await
}

pub async fn get<'e>(db: impl sqlx::SqliteExecutor<'e>, id: i64) -> sqlx::Result<Option<Invite>> {
    sqlx::query_as(concat!(
        "SELECT ",
        invite_columns!(),
        " FROM invites WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Marks a single-use invite as used, in the caller's write transaction:
/// checked again there (used, revoked or expired meanwhile is refused; one
/// that expired after it was `opened_at`, as [`check_invite_opened`]
/// allows, is not).
pub async fn mark_used(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    user_id: i64,
    (now, opened_at): (DateTime<Utc>, Option<DateTime<Utc>>),
) -> sqlx::Result<Result<(), InviteProblem>> {
    let invite = get(&mut *conn, id).await?;
    let facts = invite.as_ref().map(Invite::facts);
    if let Err(problem) = check_invite_opened(facts.as_ref(), opened_at, now) {
        return Ok(Err(problem));
    }
    if !issuer_may_still(&mut *conn, id).await? {
        return Ok(Err(InviteProblem::Revoked));
    }
    let done =
        sqlx::query("UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL")
            .bind(now)
            .bind(user_id)
            .bind(id)
            .execute(conn)
            .await?;
    Ok(if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(InviteProblem::Used)
    })
}

/// Whether whoever made a single-use code still holds the right to make
/// it: a deputy code its cell's secretary (a secretary replaced since, or
/// whose role was taken away, could otherwise make themselves deputy), a
/// secretary code from the chat its ward's administrator. Codes made by the
/// operator (no maker) stay good.
pub async fn issuer_may_still<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT CASE
            WHEN i.created_by IS NULL OR i.cell_id IS NULL THEN 1
            WHEN COALESCE(i.grants, '') = 'deputy' THEN EXISTS (
                SELECT 1 FROM cell_secretaries s
                WHERE s.cell_id = i.cell_id AND s.user_id = i.created_by)
            WHEN i.kind = 'secretary' THEN EXISTS (
                SELECT 1 FROM cells c JOIN ward_admins a ON a.ward_id = c.ward_id
                WHERE c.id = i.cell_id AND a.user_id = i.created_by)
            ELSE 1 END
         FROM invites i WHERE i.id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await
    .map(|may| may.unwrap_or(false))
}

/// Records a use of a reusable link (first use only; it stays valid).
pub async fn note_use(pool: &Pool, id: i64, user_id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE invites SET used_at = COALESCE(used_at, ?), used_by = COALESCE(used_by, ?) WHERE id = ?",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// An invite as the operator's listing shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub code: String,
    pub kind: String,
    pub handover: bool,
    pub cell_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub ward_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub used_by: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Every invite (of one cell), newest first.
pub async fn list(pool: &Pool, cell_id: Option<i64>) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(
        "SELECT code, CASE grants WHEN 'deputy' THEN 'deputy' WHEN 'ward_admin' THEN 'ward_admin'
                     ELSE kind END AS kind,
                COALESCE(grants = 'handover', 0) AS handover, cell_id, workplace_id, ward_id,
                created_at, expires_at, used_at, used_by, revoked_at
         FROM invites WHERE ?1 IS NULL OR cell_id = ?1 ORDER BY id DESC",
    )
    .bind(cell_id)
    .fetch_all(pool)
    .await
}

/// What came of revoking a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    Done,
    Unknown,
    AlreadyRevoked,
    /// A single-use code that was used: there is nothing left to revoke.
    AlreadyUsed,
}

/// Revokes a code so that it can no longer be used.
pub async fn revoke(pool: &Pool, code: &str, now: DateTime<Utc>) -> sqlx::Result<Revoked> {
    let mut tx = super::tx::begin(pool).await?;
    let row: Option<(i64, String, bool, bool)> = sqlx::query_as(
        "SELECT id, kind, used_at IS NOT NULL, revoked_at IS NOT NULL FROM invites WHERE code = ?",
    )
    .bind(code)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, kind, used, revoked)) = row else {
        return Ok(Revoked::Unknown);
    };
    if revoked {
        return Ok(Revoked::AlreadyRevoked);
    }
    if used && kind != InviteKind::Member.as_str() {
        return Ok(Revoked::AlreadyUsed);
    }
    sqlx::query("UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // By the operator, from the command line.
    let entry = super::audit::Entry {
        actor: None,
        action: "revoke_invite",
        subject: "invite",
        subject_id: id,
        details: serde_json::json!({ "kind": kind }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(Revoked::Done)
}
