//! Introductions: a workplace's officer gives a person on the roster who is
//! not registered with a residence cell a personal link (`in_…`), valid 30
//! days, for one person. Opening it binds it to the Telegram user who
//! opened it; the join request it leads to uses it up. An officer of the
//! workplace may withdraw a link not used yet.

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, distr::Alphanumeric};

use super::Pool;

/// Deep-link codes of introductions start with this; invite codes are
/// plain letters and digits, check-in codes start with `ck_`.
pub const PREFIX: &str = "in_";
/// Random letters and digits after the prefix: about 131 bits.
const RANDOM_LEN: usize = 22;
/// How long a link is valid.
pub const LIFETIME_DAYS: i64 = 30;

/// Whether a `/start` payload is an introduction's code (by its form only).
pub fn is_code(code: &str) -> bool {
    code.strip_prefix(PREFIX).is_some_and(|rest| {
        rest.len() == RANDOM_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

fn new_code() -> String {
    let random: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(RANDOM_LEN)
        .map(char::from)
        .collect();
    format!("{PREFIX}{random}")
}

/// An introduction with the names needed to show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Introduction {
    pub id: i64,
    pub code: String,
    pub workplace_id: i64,
    pub workplace_name: String,
    pub full_name: String,
    pub name_key: String,
    pub phone: Option<String>,
    pub officer_id: i64,
    pub officer_name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub claimed_by: Option<i64>,
    pub used_at: Option<DateTime<Utc>>,
    pub membership_id: Option<i64>,
    /// When an officer withdrew the link.
    pub revoked_at: Option<DateTime<Utc>>,
}

macro_rules! introduction_select {
    () => {
        "SELECT i.id, i.code, i.workplace_id, w.name AS workplace_name, i.full_name,
                i.name_key, i.phone, i.officer_id,
                COALESCE(u.full_name, u.tg_name, '') AS officer_name, i.created_at,
                i.expires_at, i.claimed_by, i.used_at, i.membership_id, i.revoked_at
         FROM introductions i
         JOIN workplaces w ON w.id = i.workplace_id
         LEFT JOIN users u ON u.id = i.officer_id"
    };
}

pub async fn get<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    id: i64,
) -> sqlx::Result<Option<Introduction>> {
    sqlx::query_as(concat!(introduction_select!(), " WHERE i.id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await
}

async fn by_code<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    code: &str,
) -> sqlx::Result<Option<Introduction>> {
    sqlx::query_as(concat!(introduction_select!(), " WHERE i.code = ?"))
        .bind(code)
        .fetch_optional(db)
        .await
}

/// What pressing Introduce did.
#[derive(Debug)]
pub enum CreateOutcome {
    /// A new link.
    Created(Box<Introduction>),
    /// The person's link made before, still open: shown again.
    Existing(Box<Introduction>),
    /// The presser is not (or no longer) an officer of the entry's workplace.
    NotAllowed,
    /// The entry is no longer on the roster (a newer import replaced it).
    Gone,
    /// The person is registered with a residence cell by now.
    Registered,
}

/// Introduce: a personal link for roster entry `entry_id`, made by officer
/// `by`, in one audited transaction. A link made before for the same
/// person (same phone, or same name without phone) that nobody opened yet
/// and that has not expired is given again instead.
pub async fn create(
    pool: &Pool,
    entry_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<CreateOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let entry: Option<(i64, i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT workplace_id, line, full_name, name_key, phone FROM roster_entries WHERE id = ?",
    )
    .bind(entry_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((workplace_id, line, full_name, name_key, phone)) = entry else {
        return Ok(CreateOutcome::Gone);
    };
    if !super::workplaces::is_officer(&mut tx, workplace_id, by).await? {
        return Ok(CreateOutcome::NotAllowed);
    }
    if super::roster::is_registered(
        &mut tx,
        workplace_id,
        &full_name,
        &name_key,
        phone.as_deref(),
    )
    .await?
    {
        return Ok(CreateOutcome::Registered);
    }
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM introductions
         WHERE workplace_id = ? AND claimed_by IS NULL AND membership_id IS NULL
           AND revoked_at IS NULL AND expires_at > ?
           AND (phone = ? OR (phone IS NULL AND ? IS NULL AND name_key = ?))
         ORDER BY id DESC LIMIT 1",
    )
    .bind(workplace_id)
    .bind(now)
    .bind(&phone)
    .bind(&phone)
    .bind(&name_key)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = open {
        let intro = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        return Ok(CreateOutcome::Existing(Box::new(intro)));
    }
    let expires_at = now + Duration::days(LIFETIME_DAYS);
    let id: i64 = sqlx::query_scalar(concat!(
        "INSERT INTO introductions (id, code, workplace_id, roster_entry_id, full_name, name_key,
                                    phone, officer_id, created_at, expires_at)
         VALUES (",
        next_id!("introductions"),
        ", ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
    ))
    .bind(new_code())
    .bind(workplace_id)
    .bind(entry_id)
    .bind(&full_name)
    .bind(&name_key)
    .bind(&phone)
    .bind(by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "introduce",
        subject: "introduction",
        subject_id: id,
        details: serde_json::json!({
            "workplace": workplace_id,
            "roster_line": line,
            "name": full_name,
            "expires_at": expires_at.to_rfc3339(),
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    let intro = get(&mut *tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(CreateOutcome::Created(Box::new(intro)))
}

/// What opening a link found.
#[derive(Debug)]
pub enum OpenOutcome {
    /// The link is the opener's now (or was already): go on.
    Open(Box<Introduction>),
    Unknown,
    Expired,
    /// Used for a join request, or opened by somebody else.
    Used,
    /// The person it was made for is registered with a residence cell.
    Registered,
    /// The workplace withdrew it.
    Revoked,
}

/// Opening a link: it becomes the opener's (nobody else may use it), in
/// one transaction with the checks.
pub async fn open(
    pool: &Pool,
    code: &str,
    user: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<OpenOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(intro) = by_code(&mut *tx, code).await? else {
        return Ok(OpenOutcome::Unknown);
    };
    if intro.membership_id.is_some() || intro.claimed_by.is_some_and(|u| u != user) {
        return Ok(OpenOutcome::Used);
    }
    if intro.revoked_at.is_some() {
        return Ok(OpenOutcome::Revoked);
    }
    if now >= intro.expires_at {
        return Ok(OpenOutcome::Expired);
    }
    if super::roster::is_registered(
        &mut tx,
        intro.workplace_id,
        &intro.full_name,
        &intro.name_key,
        intro.phone.as_deref(),
    )
    .await?
    {
        return Ok(OpenOutcome::Registered);
    }
    if intro.claimed_by.is_none() {
        sqlx::query(
            "UPDATE introductions SET claimed_by = ?, claimed_at = ?
             WHERE id = ? AND claimed_by IS NULL",
        )
        .bind(user)
        .bind(now)
        .bind(intro.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(OpenOutcome::Open(Box::new(intro)))
}

/// Marks the link used by the join request `membership_id` of `user`,
/// inside the request's transaction; false if it is not theirs to use any
/// more (used, somebody else's, expired).
pub async fn use_for(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    user: i64,
    membership_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE introductions SET used_at = ?, membership_id = ?
         WHERE id = ? AND claimed_by = ? AND membership_id IS NULL AND revoked_at IS NULL
           AND expires_at > ?",
    )
    .bind(now)
    .bind(membership_id)
    .bind(id)
    .bind(user)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a link may still lead to a join request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkUse {
    Usable,
    /// Used, somebody else's or gone.
    Used,
    /// Its 30 days ran out while its user was filling in the join.
    Expired,
    /// Withdrawn by the workplace.
    Withdrawn,
}

/// Whether the link may still lead to a join request by `user`, and if
/// not, whether the workplace withdrew it.
pub async fn usable_by(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    user: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<LinkUse> {
    let row: Option<(bool, bool, bool)> = sqlx::query_as(
        "SELECT revoked_at IS NOT NULL,
                claimed_by = ? AND membership_id IS NULL,
                expires_at <= ?
         FROM introductions WHERE id = ?",
    )
    .bind(user)
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some((true, _, _)) => LinkUse::Withdrawn,
        Some((false, true, true)) => LinkUse::Expired,
        Some((false, true, false)) => LinkUse::Usable,
        _ => LinkUse::Used,
    })
}

/// What withdrawing a link did.
#[derive(Debug)]
pub enum RevokeOutcome {
    /// Withdrawn now.
    Revoked(Box<Introduction>),
    /// Withdrawn before (by this officer or another).
    Already(Box<Introduction>),
    /// It led to a join request already: that is the cell's to decide.
    Used,
    /// The presser is not (or no longer) an officer of its workplace.
    NotAllowed,
    /// No such link (made after the backup the bot was restored from, or a
    /// forged id).
    Gone,
}

ever_given! {
    /// Whether `id` was ever given to an introduction link (its row may be
    /// gone: made after the backup the database was restored from, whose ids
    /// a restore skips), where a message of it may still be shown.
    "introductions"
}

/// Withdraws link `id` at the request of officer `by` (of its workplace,
/// checked here), in one audited transaction: it can no longer be opened
/// or lead to a join request, also by whoever opened it already.
pub async fn revoke(
    pool: &Pool,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<RevokeOutcome> {
    let mut tx = super::tx::begin(pool).await?;
    let Some(intro) = get(&mut *tx, id).await? else {
        return Ok(RevokeOutcome::Gone);
    };
    if !super::workplaces::is_officer(&mut tx, intro.workplace_id, by).await? {
        return Ok(RevokeOutcome::NotAllowed);
    }
    if intro.revoked_at.is_some() {
        return Ok(RevokeOutcome::Already(Box::new(intro)));
    }
    if intro.membership_id.is_some() {
        return Ok(RevokeOutcome::Used);
    }
    sqlx::query(
        "UPDATE introductions SET revoked_at = ?, revoked_by = ?
         WHERE id = ? AND revoked_at IS NULL AND membership_id IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = super::audit::Entry {
        actor: Some(by),
        action: "revoke_introduction",
        subject: "introduction",
        subject_id: id,
        details: serde_json::json!({
            "workplace": intro.workplace_id,
            "opened_by": intro.claimed_by,
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(RevokeOutcome::Revoked(Box::new(Introduction {
        revoked_at: Some(now),
        ..intro
    })))
}

/// How many wards without cells one introduction may tell.
pub const MAX_WARDS_TOLD: i64 = 2;

/// A person opening introduction `id` chose ward `ward_id`, which has no
/// cell: its administrators are told (`text` in each one's language),
/// once per introduction and ward and for at most [`MAX_WARDS_TOLD`]
/// wards, in one transaction. Returns how many were told (0 when they
/// were told before, or the ward has none yet: then nothing is recorded).
pub async fn tell_ward_without_cells(
    pool: &Pool,
    id: i64,
    ward_id: i64,
    text: impl Fn(crate::domain::Lang) -> String,
    now: DateTime<Utc>,
) -> sqlx::Result<usize> {
    let mut tx = super::tx::begin(pool).await?;
    let admins: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM ward_admins WHERE ward_id = ? ORDER BY user_id")
            .bind(ward_id)
            .fetch_all(&mut *tx)
            .await?;
    // A ward nobody administers yet: nothing recorded, so that its first
    // administrator hears of a later press.
    if admins.is_empty() {
        return Ok(0);
    }
    // A person hesitates between two wards, not more: a link whose ward
    // list is pressed through (or forged) does not reach every ward.
    let told_wards: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ward_no_cell_notices WHERE introduction_id = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if told_wards >= MAX_WARDS_TOLD {
        return Ok(0);
    }
    let first = sqlx::query(
        "INSERT OR IGNORE INTO ward_no_cell_notices (introduction_id, ward_id, at)
         VALUES (?, ?, ?)",
    )
    .bind(id)
    .bind(ward_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !first {
        return Ok(0);
    }
    let mut notices = Vec::new();
    for admin in &admins {
        let to = super::outbox::Recipient::load(&mut tx, *admin).await?;
        notices.push(super::outbox::Notice {
            chat_id: *admin,
            payload: super::outbox::Payload {
                text: text(to.lang),
                ..Default::default()
            },
        });
    }
    super::outbox::enqueue_notices(&mut tx, &notices, now).await?;
    tx.commit().await?;
    Ok(notices.len())
}

/// A workplace's introductions (phone, name key, when), newest first: for
/// the date /status shows by each person not registered. A link the
/// workplace withdrew (sent to the wrong person) introduced nobody.
pub async fn of_workplace(
    pool: &Pool,
    workplace_id: i64,
) -> sqlx::Result<Vec<(Option<String>, String, DateTime<Utc>)>> {
    sqlx::query_as(
        "SELECT phone, name_key, created_at FROM introductions
         WHERE workplace_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
    )
    .bind(workplace_id)
    .fetch_all(pool)
    .await
}

/// A link made for a person of a workplace's roster, as `/request NAME`
/// tells of it ([`links_of_workplace`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Link {
    pub phone: Option<String>,
    pub name_key: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Somebody opened it (it is theirs), or it led to a join request.
    pub opened: bool,
    /// When it was opened (by the person it is theirs now).
    pub opened_at: Option<DateTime<Utc>>,
    /// It led to a join request.
    pub used: bool,
}

/// A workplace's links not withdrawn, newest first (as [`of_workplace`]).
pub async fn links_of_workplace(pool: &Pool, workplace_id: i64) -> sqlx::Result<Vec<Link>> {
    sqlx::query_as(
        "SELECT phone, name_key, created_at, expires_at,
                claimed_by IS NOT NULL OR used_at IS NOT NULL AS opened,
                claimed_at AS opened_at,
                used_at IS NOT NULL OR membership_id IS NOT NULL AS used
         FROM introductions
         WHERE workplace_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
    )
    .bind(workplace_id)
    .fetch_all(pool)
    .await
}

/// The last link made for a person of the roster (normalised phone, name
/// key) among `links` ([`links_of_workplace`]), matched as
/// [`introduced_on`] matches.
pub fn last_link<'a>(links: &'a [Link], phone: Option<&str>, name_key: &str) -> Option<&'a Link> {
    links
        .iter()
        .find(|l| same_person((l.phone.as_deref(), &l.name_key), (phone, name_key)))
}

/// By phone, or by name where neither has a phone.
fn same_person((a, a_key): (Option<&str>, &str), (b, b_key): (Option<&str>, &str)) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        (None, None) => a_key == b_key,
        _ => false,
    }
}

/// When a person of the roster (normalised phone, name key) was last
/// introduced, among a workplace's introductions (`of_workplace`): by
/// phone, or by name where neither has a phone.
pub fn introduced_on(
    intros: &[(Option<String>, String, DateTime<Utc>)],
    phone: Option<&str>,
    name_key: &str,
) -> Option<DateTime<Utc>> {
    intros
        .iter()
        .find(|(p, key, _)| same_person((p.as_deref(), key), (phone, name_key)))
        .map(|(_, _, at)| *at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_told_from_others() {
        let code = new_code();
        assert!(is_code(&code), "{code}");
        assert!(code.len() <= 64);
        assert_ne!(new_code(), code);
        assert!(!is_code("in_short"));
        assert!(!is_code("AAAAAAAAAAAAAAAAAAAAAAAAA"));
        assert!(!is_code("in_AAAAAAAAAAAAAAAAAAAAA-"));
        assert!(!is_code("ck_AAAAAAAAAAAAAAAAAAAAAA"));
        assert!(!is_code("in_AAAAAAAAAAAAAAAAAAAAAAA"));
    }

    #[test]
    fn the_date_goes_by_phone_or_by_name_without_phone() {
        let at = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
        };
        let intros = vec![
            (Some("0912345678".to_string()), "an".to_string(), at(9)),
            (None, "binh".to_string(), at(8)),
            (Some("0912345678".to_string()), "an".to_string(), at(1)),
        ];
        assert_eq!(introduced_on(&intros, Some("0912345678"), "x"), Some(at(9)));
        assert_eq!(introduced_on(&intros, None, "binh"), Some(at(8)));
        assert_eq!(introduced_on(&intros, Some("0999999999"), "binh"), None);
        assert_eq!(introduced_on(&intros, None, "an"), None);
    }
}
