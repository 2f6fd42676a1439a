//! A cell's committee: its secretary and deputy secretary, the ward's
//! supervisors who stand in for it, and the audited granting and taking
//! away of every role.

use chrono::{DateTime, Utc};

use super::{Pool, cells::Cell, decision_messages::Subject};
use crate::domain::permissions::{
    Actor, Committee, Denied, first_decider, goes_to_supervisors, may_decide,
};

/// What became of a decision pressed on an item (a report, a join
/// request), decided in one transaction with who may decide it.
#[derive(Debug)]
pub enum Decided<T> {
    /// Recorded (its notices queued), with what the item became.
    Recorded(T),
    /// The item was no longer pending (decided meanwhile, or withdrawn).
    NotPending,
    /// The decider may no longer decide it: their place changed after the
    /// press was checked (a handover, a deputy removed). Nothing written.
    Refused(Denied),
}

/// The facts of [`facts`] as a row read in a transaction (`committee_facts!`
/// selected), judged for `by` deciding an item of `owner`.
pub(super) fn judged(
    row: &sqlx::sqlite::SqliteRow,
    by: i64,
    owner: i64,
) -> sqlx::Result<Result<(), Denied>> {
    use sqlx::FromRow;
    let (secretary, deputy, supervises_ward) = <(Option<i64>, Option<i64>, bool)>::from_row(row)?;
    let actor = Actor {
        user_id: by,
        supervises_ward,
    };
    Ok(may_decide(actor, Committee { secretary, deputy }, owner))
}

/// Whether `by` may decide an item of `owner` in the cell, read in the
/// caller's (write) transaction.
pub(super) async fn may_decide_in(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
    owner: i64,
    by: i64,
) -> sqlx::Result<Result<(), Denied>> {
    let row = sqlx::query(concat!("SELECT ", committee_facts!("?1", "?2")))
        .bind(cell_id)
        .bind(by)
        .fetch_one(&mut *conn)
        .await?;
    judged(&row, by, owner)
}

/// The cell's secretary and deputy, now.
pub async fn of_cell(conn: &mut sqlx::SqliteConnection, cell_id: i64) -> sqlx::Result<Committee> {
    let (secretary, deputy): (Option<i64>, Option<i64>) =
        sqlx::query_as(concat!("SELECT ", committee_columns!("?1")))
            .bind(cell_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Committee { secretary, deputy })
}

/// What `user_id` is to the cell: its committee, and whether the user
/// supervises the cell's ward. Read at every press.
pub async fn facts(pool: &Pool, user_id: i64, cell_id: i64) -> sqlx::Result<(Actor, Committee)> {
    let (secretary, deputy, supervises_ward): (Option<i64>, Option<i64>, bool) =
        sqlx::query_as(concat!("SELECT ", committee_facts!("?1", "?2")))
            .bind(cell_id)
            .bind(user_id)
            .fetch_one(pool)
            .await?;
    Ok((
        Actor {
            user_id,
            supervises_ward,
        },
        Committee { secretary, deputy },
    ))
}

pub async fn deputy_of<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    cell_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT user_id FROM cell_deputies WHERE cell_id = ?")
        .bind(cell_id)
        .fetch_optional(db)
        .await
}

/// The cells whose items `user_id` may decide: those of which they are
/// secretary or deputy, then those of the wards they supervise (where they
/// decide the committee's own items only).
pub async fn decider_cells(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<Cell>> {
    sqlx::query_as(concat!(
        "SELECT c.id, c.ward_id, c.name FROM cells c WHERE ",
        decides_for_cell!("c", "?1"),
        " ORDER BY c.id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// The committee role (`"secretary"` or `"deputy"`) `user_id` last lost in
/// the cell, if taking it away is the latest change of their place there
/// (a handover, a deputy replaced or removed): read from the audit log of
/// roles granted and taken away.
pub async fn role_lost_in(pool: &Pool, user_id: i64, cell_id: i64) -> sqlx::Result<Option<String>> {
    let last: Option<(String, String)> = sqlx::query_as(
        "SELECT action, json_extract(details, '$.role') FROM audit_log
         WHERE subject = 'user' AND subject_id = ?1
           AND action IN ('grant_role', 'revoke_role')
           AND json_extract(details, '$.role') IN ('secretary', 'deputy')
           AND json_extract(details, '$.cell') = ?2
         ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(cell_id)
    .fetch_optional(pool)
    .await?;
    Ok(last.and_then(|(action, role)| (action == "revoke_role").then_some(role)))
}

/// The committee role (one of `roles`: `"secretary"`, `"deputy"`) that
/// `user_id` lost most recently, with the cell's name and when: the last
/// of [`committee_roles_lost`]. `None` for one who never held it, or holds
/// it again wherever they lost it.
pub async fn committee_role_lost(
    pool: &Pool,
    user_id: i64,
    roles: &[&str],
) -> sqlx::Result<Option<(String, String, DateTime<Utc>)>> {
    Ok(committee_roles_lost(pool, user_id, roles).await?.pop())
}

/// Every committee role (of `roles`: `"secretary"`, `"deputy"`) that
/// `user_id` lost and does not hold again, each with its cell's name and
/// when it ended, in the order they ended: of the cells where taking it
/// away is the latest change of that role of theirs (read from the audit
/// log of roles granted and taken away).
pub async fn committee_roles_lost(
    pool: &Pool,
    user_id: i64,
    roles: &[&str],
) -> sqlx::Result<Vec<(String, String, DateTime<Utc>)>> {
    let roles = serde_json::to_string(roles).unwrap_or_else(|_| "[]".into());
    sqlx::query_as(
        "SELECT l.role, c.name, l.at
         FROM (SELECT id, at, action,
                      json_extract(details, '$.role') AS role,
                      json_extract(details, '$.cell') AS cell,
                      ROW_NUMBER() OVER (
                          PARTITION BY json_extract(details, '$.role'),
                                       json_extract(details, '$.cell')
                          ORDER BY id DESC) AS latest
               FROM audit_log
               WHERE subject = 'user' AND subject_id = ?1
                 AND action IN ('grant_role', 'revoke_role')
                 AND json_extract(details, '$.role') IN (SELECT value FROM json_each(?2))) l
         JOIN cells c ON c.id = l.cell
         WHERE l.latest = 1 AND l.action = 'revoke_role'
           AND NOT EXISTS (SELECT 1 FROM cell_secretaries s
                           WHERE l.role = 'secretary' AND s.cell_id = l.cell AND s.user_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM cell_deputies d
                           WHERE l.role = 'deputy' AND d.cell_id = l.cell AND d.user_id = ?1)
         ORDER BY l.id",
    )
    .bind(user_id)
    .bind(roles)
    .fetch_all(pool)
    .await
}

/// The name of the workplace (role `"officer"`) or ward (`"supervisor"`,
/// `"ward_admin"`) where `user_id` last held that role — at `place` only,
/// when given (what a list of that place, pressed by its former officer,
/// supervisor or administrator, names) — if taking it away is the latest
/// change of it there: read from the audit log of roles granted and taken
/// away.
pub async fn office_lost(
    pool: &Pool,
    user_id: i64,
    role: &str,
    place: Option<i64>,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT CASE WHEN l.role = 'officer'
                     THEN (SELECT name FROM workplaces WHERE id = l.place)
                     ELSE (SELECT name FROM wards WHERE id = l.place) END
         FROM (SELECT action, role, place
               FROM (SELECT id, action,
                            json_extract(details, '$.role') AS role,
                            COALESCE(json_extract(details, '$.workplace'),
                                     json_extract(details, '$.ward')) AS place
                     FROM audit_log
                     WHERE subject = 'user' AND subject_id = ?1
                       AND action IN ('grant_role', 'revoke_role')
                       AND json_extract(details, '$.role') = ?2)
               WHERE ?3 IS NULL OR place = ?3
               ORDER BY id DESC LIMIT 1) l
         WHERE l.action = 'revoke_role'",
    )
    .bind(user_id)
    .bind(role)
    .bind(place)
    .fetch_optional(pool)
    .await
    .map(Option::flatten)
}

/// The item an officer's button acts on, by the table holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficerItem {
    /// A roster file previewed (`roster_uploads`).
    RosterUpload,
    /// A person on a roster (`roster_entries`), to introduce.
    RosterEntry,
    /// An introduction made (`introductions`).
    Introduction,
    /// A request for a comment (`comment_requests`).
    Request,
}

/// The name of the workplace an officer's button belongs to, where
/// `user_id` was an officer and is no longer (the role taken away, or the
/// officer moved to another workplace): the last change of their officer
/// role there was its removal. `None` if they are its officer now, never
/// were, or the item is gone.
pub async fn officer_left(
    pool: &Pool,
    user_id: i64,
    item: OfficerItem,
    id: i64,
) -> sqlx::Result<Option<String>> {
    let table = match item {
        OfficerItem::RosterUpload => "roster_uploads",
        OfficerItem::RosterEntry => "roster_entries",
        OfficerItem::Introduction => "introductions",
        OfficerItem::Request => "comment_requests",
    };
    // The table is one of the four names above, never the user's input.
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT w.name FROM {table} i JOIN workplaces w ON w.id = i.workplace_id
         WHERE i.id = ?2
           AND NOT EXISTS (SELECT 1 FROM workplace_officers o
                           WHERE o.workplace_id = w.id AND o.user_id = ?1)
           AND (SELECT action FROM audit_log
                WHERE subject = 'user' AND subject_id = ?1
                  AND action IN ('grant_role', 'revoke_role')
                  AND json_extract(details, '$.role') = 'officer'
                  AND json_extract(details, '$.workplace') = w.id
                ORDER BY id DESC LIMIT 1) = 'revoke_role'"
    )))
    .bind(user_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Whether `user_id` is still the secretary of every one of `cells`, read
/// in the caller's (write) transaction: an announcement to them is queued
/// only then.
pub async fn secretary_of_all(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    cells: &[i64],
) -> sqlx::Result<bool> {
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT cell_id) FROM cell_secretaries
         WHERE user_id = ?1 AND cell_id IN (SELECT value FROM json_each(?2))",
    )
    .bind(user_id)
    .bind(super::id_list(cells))
    .fetch_one(conn)
    .await?;
    Ok(usize::try_from(held).is_ok_and(|held| held == cells.len()))
}

/// What a decision button is about, for [`cell_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Membership,
    Report,
    Meeting,
    Sheet,
    /// A workplace's request for a comment.
    Request,
    /// The cell itself (a secretary's choice of cell for /invite or
    /// /announce).
    Cell,
}

/// The cell of a join request (a membership), report, meeting, comment
/// sheet or request, and whose item it is (the member's; a meeting or the
/// cell itself is nobody's), if it is there.
pub async fn cell_and_owner_of(
    pool: &Pool,
    item: Item,
    id: i64,
) -> sqlx::Result<Option<(i64, Option<i64>)>> {
    let sql = match item {
        Item::Membership => "SELECT cell_id, user_id FROM memberships WHERE id = ?",
        Item::Report => "SELECT cell_id, user_id FROM reports WHERE id = ?",
        Item::Meeting => "SELECT cell_id, NULL FROM meetings WHERE id = ?",
        Item::Cell => "SELECT id, NULL FROM cells WHERE id = ?",
        Item::Sheet => {
            "SELECT m.cell_id, m.user_id FROM sheets s JOIN memberships m ON m.id = s.membership_id
             WHERE s.id = ?"
        }
        Item::Request => {
            "SELECT m.cell_id, m.user_id
             FROM comment_requests r JOIN memberships m ON m.id = r.membership_id
             WHERE r.id = ?"
        }
    };
    sqlx::query_as(sql).bind(id).fetch_optional(pool).await
}

/// The cells `user_id` is secretary or deputy of.
pub async fn committee_cells(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<Cell>> {
    sqlx::query_as(
        "SELECT c.id, c.ward_id, c.name FROM cells c
         WHERE c.id IN (SELECT cell_id FROM cell_secretaries WHERE user_id = ?1
                        UNION SELECT cell_id FROM cell_deputies WHERE user_id = ?1)
         ORDER BY c.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// The supervisors of the cell's ward.
pub async fn ward_supervisors(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT s.user_id FROM ward_supervisors s JOIN cells c ON c.ward_id = s.ward_id
         WHERE c.id = ? ORDER BY s.since, s.user_id",
    )
    .bind(cell_id)
    .fetch_all(conn)
    .await
}

/// Who gets the decision card of a new item of `owner` in the cell: the
/// secretary; for the committee's own items the other member of the
/// committee, or the ward's supervisors where there is none.
pub async fn first_recipients(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
    owner: i64,
) -> sqlx::Result<Vec<i64>> {
    let committee = of_cell(conn, cell_id).await?;
    recipients_given(conn, committee, cell_id, owner).await
}

/// [`first_recipients`], the committee already read.
pub async fn recipients_given(
    conn: &mut sqlx::SqliteConnection,
    committee: Committee,
    cell_id: i64,
    owner: i64,
) -> sqlx::Result<Vec<i64>> {
    if let Some(decider) = first_decider(committee, owner) {
        return Ok(vec![decider]);
    }
    if goes_to_supervisors(committee, owner) {
        // Never to the owner, a supervisor of the ward too.
        let mut supervisors = ward_supervisors(conn, cell_id).await?;
        supervisors.retain(|s| *s != owner);
        return Ok(supervisors);
    }
    Ok(Vec::new())
}

/// A role granted or taken away, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Secretary { cell: i64 },
    Deputy { cell: i64 },
    Officer { workplace: i64 },
    Supervisor { ward: i64 },
    WardAdmin { ward: i64 },
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Secretary { .. } => "secretary",
            Role::Deputy { .. } => "deputy",
            Role::Officer { .. } => "officer",
            Role::Supervisor { .. } => "supervisor",
            Role::WardAdmin { .. } => "ward_admin",
        }
    }

    fn details(self, by: Option<i64>, invite: Option<i64>) -> serde_json::Value {
        let (scope, id) = match self {
            Role::Secretary { cell } | Role::Deputy { cell } => ("cell", cell),
            Role::Officer { workplace } => ("workplace", workplace),
            Role::Supervisor { ward } | Role::WardAdmin { ward } => ("ward", ward),
        };
        serde_json::json!({ "role": self.name(), scope: id, "by": by, "invite": invite })
    }
}

/// Who changed a role: the user acting (`actor`, None for the operator's
/// command line) and the invite it came through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Change {
    pub actor: Option<i64>,
    pub invite: Option<i64>,
}

/// Records that `user_id` was given (`granted`) or lost a role.
pub async fn audit_role(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    role: Role,
    granted: bool,
    change: Change,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let entry = super::audit::Entry {
        actor: change.actor,
        action: if granted { "grant_role" } else { "revoke_role" },
        subject: "user",
        subject_id: user_id,
        details: role.details(change.actor, change.invite),
    };
    super::audit::append(conn, entry, now).await?;
    Ok(())
}

/// Makes `user_id` the secretary of the cell, replacing any previous one
/// (who keeps their membership but loses the secretary's rights); a deputy
/// who becomes secretary is deputy no more. Audited. Returns the previous
/// secretary, if another user.
pub async fn appoint_secretary(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
    user_id: i64,
    change: Change,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let previous = super::cells::secretary_of(&mut *conn, cell_id).await?;
    if previous == Some(user_id) {
        return Ok(None);
    }
    let role = Role::Secretary { cell: cell_id };
    if let Some(old) = previous {
        audit_role(conn, old, role, false, change, now).await?;
    }
    if deputy_of(&mut *conn, cell_id).await? == Some(user_id) {
        sqlx::query("DELETE FROM cell_deputies WHERE cell_id = ?")
            .bind(cell_id)
            .execute(&mut *conn)
            .await?;
        audit_role(
            conn,
            user_id,
            Role::Deputy { cell: cell_id },
            false,
            change,
            now,
        )
        .await?;
    }
    super::cells::set_secretary(conn, cell_id, user_id, now).await?;
    audit_role(conn, user_id, role, true, change, now).await?;
    if let Some(old) = previous {
        drop_queued_cards_of(conn, old).await?;
    }
    Ok(previous)
}

/// Makes `user_id` the deputy of the cell, replacing any previous one.
/// Audited. Returns the previous deputy, if another user.
pub async fn appoint_deputy(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
    user_id: i64,
    change: Change,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let previous = deputy_of(&mut *conn, cell_id).await?;
    if previous == Some(user_id) {
        return Ok(None);
    }
    let role = Role::Deputy { cell: cell_id };
    if let Some(old) = previous {
        audit_role(conn, old, role, false, change, now).await?;
    }
    sqlx::query(
        "INSERT INTO cell_deputies (cell_id, user_id, since) VALUES (?, ?, ?)
         ON CONFLICT (cell_id) DO UPDATE SET user_id = excluded.user_id, since = excluded.since",
    )
    .bind(cell_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    audit_role(conn, user_id, role, true, change, now).await?;
    if let Some(old) = previous {
        drop_queued_cards_of(conn, old).await?;
    }
    Ok(previous)
}

/// Takes a role away from a user (the operator's `admin role revoke`);
/// false if the user does not hold it. Audited.
pub async fn revoke(
    pool: &Pool,
    user_id: i64,
    role: Role,
    change: Change,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let done = revoke_in(&mut tx, user_id, role, change, now).await?;
    tx.commit().await?;
    Ok(done)
}

/// [`revoke`] inside the caller's transaction (which may then card the
/// cell's waiting items to whoever decides them now).
pub async fn revoke_in(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    role: Role,
    change: Change,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let query = match role {
        Role::Secretary { cell } => {
            sqlx::query("DELETE FROM cell_secretaries WHERE cell_id = ? AND user_id = ?").bind(cell)
        }
        Role::Deputy { cell } => {
            sqlx::query("DELETE FROM cell_deputies WHERE cell_id = ? AND user_id = ?").bind(cell)
        }
        Role::Officer { workplace } => {
            sqlx::query("DELETE FROM workplace_officers WHERE workplace_id = ? AND user_id = ?")
                .bind(workplace)
        }
        Role::Supervisor { ward } => {
            sqlx::query("DELETE FROM ward_supervisors WHERE ward_id = ? AND user_id = ?").bind(ward)
        }
        Role::WardAdmin { ward } => {
            sqlx::query("DELETE FROM ward_admins WHERE ward_id = ? AND user_id = ?").bind(ward)
        }
    };
    let done = query.bind(user_id).execute(&mut *conn).await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    drop_queued_cards_of(conn, user_id).await?;
    audit_role(conn, user_id, role, false, change, now).await?;
    Ok(true)
}

/// Deletes what is still queued to `user_id` for items (join requests,
/// reports with the photos sent ahead of their card, comment requests) of
/// a cell they no longer decide, once a role of theirs was taken away or
/// handed to someone else: they no longer sit on its committee nor
/// supervise its ward. What they can no longer decide is not delivered to
/// them afterwards (whoever decides now is carded by the caller). A row
/// already on its way goes out, and loses its buttons once sent.
async fn drop_queued_cards_of(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
) -> sqlx::Result<u64> {
    let done = sqlx::query(concat!(
        "DELETE FROM outbox AS o
         WHERE o.chat_id = ?1 AND o.status = 'queued' AND o.priority = 0
           AND o.broadcast_id IS NULL
           AND CASE WHEN json_extract(o.payload, '$.card') IS NOT NULL THEN
               -- A card: its item's cell is no longer theirs to decide.
               EXISTS (SELECT 1 FROM cells c
                   WHERE c.id = CASE json_extract(o.payload, '$.card.subject')
                       WHEN 'report' THEN (SELECT cell_id FROM reports
                           WHERE id = json_extract(o.payload, '$.card.id'))
                       WHEN 'membership' THEN (SELECT cell_id FROM memberships
                           WHERE id = json_extract(o.payload, '$.card.id'))
                       WHEN 'request' THEN (SELECT m.cell_id FROM comment_requests q
                           JOIN memberships m ON m.id = q.membership_id
                           WHERE q.id = json_extract(o.payload, '$.card.id'))
                       END
                     AND NOT ",
        decides_for_cell!("c", "?1"),
        ")
           ELSE
               -- Photos ahead of a report's card: of someone else's report,
               -- and none of the reports carrying them (the same photo may
               -- be in two) is in a cell they still decide.
               EXISTS (SELECT 1 FROM json_each(o.payload, '$.photos') j
                       JOIN report_photos p ON p.file_id = j.value
                       JOIN reports r ON r.id = p.report_id
                       WHERE r.user_id <> ?1)
               AND NOT EXISTS (SELECT 1 FROM json_each(o.payload, '$.photos') j
                       JOIN report_photos p ON p.file_id = j.value
                       JOIN reports r ON r.id = p.report_id
                       JOIN cells c ON c.id = r.cell_id
                       WHERE ",
        decides_for_cell!("c", "?1"),
        ")
           END",
    ))
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Every cell with each member of its committee (secretary, deputy), by
/// user: who gets the monthly digest of a cell.
pub async fn digest_readers(pool: &Pool) -> sqlx::Result<Vec<super::cells::WithSecretary>> {
    sqlx::query_as(
        "SELECT c.id, c.name, s.user_id AS secretary_id, u.language AS secretary_language
         FROM cells c
         JOIN (SELECT cell_id, user_id FROM cell_secretaries
               UNION SELECT cell_id, user_id FROM cell_deputies) s ON s.cell_id = c.id
         JOIN users u ON u.id = s.user_id
         ORDER BY s.user_id, c.id",
    )
    .fetch_all(pool)
    .await
}

/// Every item waiting for a decision in the cell: (what, id, whose), join
/// requests first, then reports, then workplaces' requests for a comment
/// (on an approved member of the cell), oldest first.
pub async fn waiting_in(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
) -> sqlx::Result<Vec<(Subject, i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT 2, id, user_id FROM memberships WHERE cell_id = ?1 AND status = 'pending'
         UNION ALL
         SELECT 1, id, user_id FROM reports WHERE cell_id = ?1 AND status = 'pending'
         UNION ALL
         SELECT 0, r.id, m.user_id FROM comment_requests r
         JOIN memberships m ON m.id = r.membership_id
         WHERE m.cell_id = ?1 AND m.status = 'approved' AND r.state IN ('requested', 'drafting')
         ORDER BY 1 DESC, 2",
    )
    .bind(cell_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, id, owner)| {
            let subject = match kind {
                2 => Subject::Membership,
                1 => Subject::Report,
                _ => Subject::Request,
            };
            (subject, id, owner)
        })
        .collect())
}
