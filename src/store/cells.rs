use chrono::{DateTime, Utc};

use super::Pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Cell {
    pub id: i64,
    pub ward_id: i64,
    pub name: String,
}

/// A cell as the operator's listing shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CellSummary {
    pub id: i64,
    pub ward_id: i64,
    pub name: String,
    pub secretary_name: Option<String>,
    pub members: i64,
    pub pending: i64,
}

pub async fn add(pool: &Pool, ward_id: i64, name: &str, now: DateTime<Utc>) -> sqlx::Result<i64> {
    sqlx::query_scalar(concat!(
        "INSERT INTO cells (id, ward_id, name, created_at) VALUES (",
        next_id!("cells"),
        ", ?, ?, ?) RETURNING id"
    ))
    .bind(ward_id)
    .bind(name)
    .bind(now)
    .fetch_one(pool)
    .await
}

pub async fn get<'e>(db: impl sqlx::SqliteExecutor<'e>, id: i64) -> sqlx::Result<Option<Cell>> {
    sqlx::query_as("SELECT id, ward_id, name FROM cells WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// A ward's cells, by name.
pub async fn in_ward(pool: &Pool, ward_id: i64) -> sqlx::Result<Vec<Cell>> {
    sqlx::query_as(
        "SELECT id, ward_id, name FROM cells WHERE ward_id = ? ORDER BY name COLLATE vi, id",
    )
    .bind(ward_id)
    .fetch_all(pool)
    .await
}

/// Whether the ward has any cell (one index probe, however many it has).
pub async fn ward_has_any(pool: &Pool, ward_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cells WHERE ward_id = ?)")
        .bind(ward_id)
        .fetch_one(pool)
        .await
}

pub async fn summaries(pool: &Pool) -> sqlx::Result<Vec<CellSummary>> {
    sqlx::query_as(
        "SELECT c.id, c.ward_id, c.name,
                COALESCE(u.full_name, u.tg_name) AS secretary_name,
                (SELECT COUNT(*) FROM memberships m WHERE m.cell_id = c.id AND m.status = 'approved') AS members,
                (SELECT COUNT(*) FROM memberships m WHERE m.cell_id = c.id AND m.status = 'pending') AS pending
         FROM cells c
         LEFT JOIN cell_secretaries s ON s.cell_id = c.id
         LEFT JOIN users u ON u.id = s.user_id
         ORDER BY c.ward_id, c.id",
    )
    .fetch_all(pool)
    .await
}

/// Makes `user_id` the secretary of the cell, replacing any previous one.
pub async fn set_secretary(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO cell_secretaries (cell_id, user_id, since) VALUES (?, ?, ?)
         ON CONFLICT (cell_id) DO UPDATE SET user_id = excluded.user_id, since = excluded.since",
    )
    .bind(cell_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The cells `user_id` is secretary of.
pub async fn secretary_cells(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<Cell>> {
    sqlx::query_as(
        "SELECT c.id, c.ward_id, c.name FROM cells c
         JOIN cell_secretaries s ON s.cell_id = c.id
         WHERE s.user_id = ? ORDER BY c.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

pub async fn secretary_of<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    cell_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT user_id FROM cell_secretaries WHERE cell_id = ?")
        .bind(cell_id)
        .fetch_optional(db)
        .await
}

/// A cell with its secretary, for digests.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WithSecretary {
    pub id: i64,
    pub name: String,
    pub secretary_id: i64,
    pub secretary_language: Option<String>,
}

pub async fn with_secretaries(pool: &Pool) -> sqlx::Result<Vec<WithSecretary>> {
    sqlx::query_as(
        "SELECT c.id, c.name, s.user_id AS secretary_id, u.language AS secretary_language
         FROM cells c JOIN cell_secretaries s ON s.cell_id = c.id JOIN users u ON u.id = s.user_id
         ORDER BY s.user_id, c.id",
    )
    .fetch_all(pool)
    .await
}

// ------------------------------------------------- the ward administrator

/// A cell of a ward as /cells lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WardCell {
    pub id: i64,
    pub name: String,
    pub secretary: Option<String>,
    pub deputy: Option<String>,
    /// Approved members.
    pub members: i64,
    pub pending_joins: i64,
    pub pending_reports: i64,
}

/// The columns of a [`WardCell`], from `cells c`.
macro_rules! ward_cell_select {
    () => {
        "SELECT c.id, c.name,
                (SELECT COALESCE(NULLIF(u.full_name, ''), NULLIF(u.tg_name, ''))
                 FROM cell_secretaries s JOIN users u ON u.id = s.user_id
                 WHERE s.cell_id = c.id) AS secretary,
                (SELECT COALESCE(NULLIF(u.full_name, ''), NULLIF(u.tg_name, ''))
                 FROM cell_deputies d JOIN users u ON u.id = d.user_id
                 WHERE d.cell_id = c.id) AS deputy,
                (SELECT COUNT(*) FROM memberships m
                 WHERE m.cell_id = c.id AND m.status = 'approved') AS members,
                (SELECT COUNT(*) FROM memberships m
                 WHERE m.cell_id = c.id AND m.status = 'pending') AS pending_joins,
                (SELECT COUNT(*) FROM reports r
                 WHERE r.cell_id = c.id AND r.status = 'pending') AS pending_reports
         FROM cells c"
    };
}

/// The ward's cells with their committee, members and pending items, by
/// name.
pub async fn of_ward(pool: &Pool, ward_id: i64) -> sqlx::Result<Vec<WardCell>> {
    sqlx::query_as(concat!(
        ward_cell_select!(),
        " WHERE c.ward_id = ? ORDER BY c.name COLLATE vi, c.id"
    ))
    .bind(ward_id)
    .fetch_all(pool)
    .await
}

/// One cell of /cells, if it is in a ward `user_id` administers (now).
pub async fn administered(
    pool: &Pool,
    cell_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<(Cell, WardCell)>> {
    let Some(cell) = get(pool, cell_id).await? else {
        return Ok(None);
    };
    if !super::wards::is_admin(pool, cell.ward_id, user_id).await? {
        return Ok(None);
    }
    let row = sqlx::query_as(concat!(ward_cell_select!(), " WHERE c.id = ?"))
        .bind(cell_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|row| (cell, row)))
}

/// The cell of the ward whose name has the same key, if any.
async fn same_name(
    conn: &mut sqlx::SqliteConnection,
    ward_id: i64,
    name: &str,
    except: Option<i64>,
) -> sqlx::Result<Option<String>> {
    let names: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM cells WHERE ward_id = ?")
        .bind(ward_id)
        .fetch_all(&mut *conn)
        .await?;
    let key = crate::domain::ward::cell_key(name);
    Ok(names
        .into_iter()
        .find(|(id, n)| Some(*id) != except && crate::domain::ward::cell_key(n) == key)
        .map(|(_, n)| n))
}

/// What adding or renaming a cell did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameOutcome {
    /// Done: the cell's id (and its name before, for a rename).
    Done {
        cell_id: i64,
        before: Option<String>,
    },
    /// The ward has a cell of that name already (its name).
    Duplicate(String),
    /// The presser administers the ward no more (or the cell is gone).
    NotAllowed,
}

/// A ward administrator adds a cell (`name` checked by
/// `domain::ward::check_cell_name`): one audited transaction, refused if
/// the ward has a cell of that name.
pub async fn add_by_admin(
    pool: &Pool,
    ward_id: i64,
    name: &str,
    by: i64,
    (now, then): (DateTime<Utc>, &super::dialogues::Next),
) -> sqlx::Result<NameOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    if !super::wards::is_admin(&mut *tx, ward_id, by).await? {
        return Ok(NameOutcome::NotAllowed);
    }
    add_in(tx, ward_id, name, Some(by), (now, Some(then))).await
}

/// Adds the cell unless the ward has one of that name, audited (`by`: the
/// administrator; none for the operator), and commits, with the
/// administrator's dialogue after it (`then`).
async fn add_in(
    mut tx: super::tx::Tx,
    ward_id: i64,
    name: &str,
    by: Option<i64>,
    (now, then): (DateTime<Utc>, Option<&super::dialogues::Next>),
) -> sqlx::Result<NameOutcome> {
    if let Some(existing) = same_name(&mut tx, ward_id, name, None).await? {
        return Ok(NameOutcome::Duplicate(existing));
    }
    let id = insert(&mut tx, ward_id, name, now).await?;
    let entry = super::audit::Entry {
        actor: by,
        action: "add_cell",
        subject: "cell",
        subject_id: id,
        details: serde_json::json!({ "ward": ward_id, "name": name }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    if let Some(then) = then {
        super::dialogues::put(&mut tx, then, now).await?;
    }
    tx.commit().await?;
    Ok(NameOutcome::Done {
        cell_id: id,
        before: None,
    })
}

/// Whether the cell was removed (its ward's administrator's audited
/// removal): an id never given out is not.
pub async fn was_removed(pool: &Pool, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT NOT EXISTS (SELECT 1 FROM cells WHERE id = ?1)
            AND EXISTS (SELECT 1 FROM audit_log
                        WHERE subject = 'cell' AND subject_id = ?1 AND action = 'remove_cell')",
    )
    .bind(id)
    .fetch_one(pool)
    .await
}

/// The operator adds a cell (`lienhe admin cell add`): as a ward
/// administrator's, one audited transaction (no actor: the command line),
/// refused if the ward has a cell of that name.
pub async fn add_by_operator(
    pool: &Pool,
    ward_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<NameOutcome> {
    let tx = super::tx::begin(pool).await?;
    add_in(tx, ward_id, name, None, (now, None)).await
}

async fn insert(
    conn: &mut sqlx::SqliteConnection,
    ward_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(concat!(
        "INSERT INTO cells (id, ward_id, name, created_at) VALUES (",
        next_id!("cells"),
        ", ?, ?, ?) RETURNING id"
    ))
    .bind(ward_id)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// A ward administrator renames a cell of their ward: one audited
/// transaction with the administrator's dialogue after it (`then`),
/// refused if another cell of the ward has that name.
pub async fn rename_by_admin(
    pool: &Pool,
    cell_id: i64,
    name: &str,
    by: i64,
    (now, then): (DateTime<Utc>, &super::dialogues::Next),
) -> sqlx::Result<NameOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(cell) = get(&mut *tx, cell_id).await? else {
        return Ok(NameOutcome::NotAllowed);
    };
    if !super::wards::is_admin(&mut *tx, cell.ward_id, by).await? {
        return Ok(NameOutcome::NotAllowed);
    }
    if let Some(existing) = same_name(&mut tx, cell.ward_id, name, Some(cell_id)).await? {
        return Ok(NameOutcome::Duplicate(existing));
    }
    sqlx::query("UPDATE cells SET name = ? WHERE id = ?")
        .bind(name)
        .bind(cell_id)
        .execute(&mut *tx)
        .await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "rename_cell",
        subject: "cell",
        subject_id: cell_id,
        details: serde_json::json!({ "ward": cell.ward_id, "from": cell.name, "to": name }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    // The question for the name ends with the rename.
    super::dialogues::put(&mut tx, then, now).await?;
    tx.commit().await?;
    Ok(NameOutcome::Done {
        cell_id,
        before: Some(cell.name),
    })
}

/// What removing a cell did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveOutcome {
    /// Removed, with its invite codes (how many).
    Removed { name: String, invites: u64 },
    /// The cell has a history (members, requests, reports, meetings) or a
    /// committee: it stays (its name).
    NotEmpty(String),
    /// The presser administers the ward no more, or the cell is gone.
    NotAllowed,
}

/// Whether a cell has anything in it that keeps it from being removed: a
/// membership of any state, a report, a meeting, a secretary or deputy.
pub async fn in_use<'e>(db: impl sqlx::SqliteExecutor<'e>, cell_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE cell_id = ?1)
             OR EXISTS (SELECT 1 FROM reports WHERE cell_id = ?1)
             OR EXISTS (SELECT 1 FROM meetings WHERE cell_id = ?1)
             OR EXISTS (SELECT 1 FROM cell_secretaries WHERE cell_id = ?1)
             OR EXISTS (SELECT 1 FROM cell_deputies WHERE cell_id = ?1)",
    )
    .bind(cell_id)
    .fetch_one(db)
    .await
}

/// A ward administrator removes a cell of their ward that has nothing in
/// it (added by mistake: not [`in_use`]): one audited transaction that also
/// deletes its invite codes, so a link to it no longer opens.
pub async fn remove_by_admin(
    pool: &Pool,
    cell_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<RemoveOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(cell) = get(&mut *tx, cell_id).await? else {
        return Ok(RemoveOutcome::NotAllowed);
    };
    if !super::wards::is_admin(&mut *tx, cell.ward_id, by).await? {
        return Ok(RemoveOutcome::NotAllowed);
    }
    if in_use(&mut *tx, cell_id).await? {
        return Ok(RemoveOutcome::NotEmpty(cell.name));
    }
    let invites = sqlx::query("DELETE FROM invites WHERE cell_id = ?")
        .bind(cell_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM cells WHERE id = ?")
        .bind(cell_id)
        .execute(&mut *tx)
        .await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "remove_cell",
        subject: "cell",
        subject_id: cell_id,
        details: serde_json::json!({
            "ward": cell.ward_id,
            "name": cell.name,
            "invites": invites,
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(RemoveOutcome::Removed {
        name: cell.name,
        invites,
    })
}

/// Adds the cells of an import inside its transaction, skipping names the
/// ward has by now; returns the names added.
pub(super) async fn add_many(
    conn: &mut sqlx::SqliteConnection,
    ward_id: i64,
    names: &[String],
    now: DateTime<Utc>,
) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let existing: Vec<String> = sqlx::query_scalar("SELECT name FROM cells WHERE ward_id = ?")
        .bind(ward_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut keys: std::collections::HashSet<String> = existing
        .iter()
        .map(|n| crate::domain::ward::cell_key(n))
        .collect();
    let (mut added, mut skipped) = (Vec::new(), Vec::new());
    for name in names {
        if keys.insert(crate::domain::ward::cell_key(name)) {
            insert(&mut *conn, ward_id, name, now).await?;
            added.push(name.clone());
        } else {
            skipped.push(name.clone());
        }
    }
    Ok((added, skipped))
}
