use chrono::{DateTime, Utc};

use super::Pool;
use super::consents::Standing;
use crate::domain::{Lang, permissions::Roles};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub full_name: Option<String>,
    pub tg_name: String,
    pub tg_username: Option<String>,
    pub phone: Option<String>,
    pub language: Option<String>,
}

impl User {
    pub fn lang(&self) -> Lang {
        Lang::stored(self.language.as_deref())
    }

    /// The name to show to others: the full name given to the bot, else
    /// the Telegram name.
    pub fn display_name(&self) -> &str {
        self.full_name.as_deref().unwrap_or(&self.tg_name)
    }
}

/// How stale `last_seen_at` may get before a message refreshes it.
const SEEN_EVERY: i64 = 3600;

/// Everything about a user that handling one of their updates starts
/// from, read in one statement: who they are, their roles, the dialogue
/// they are in and where they stand with the personal-data notice.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub user: User,
    pub roles: Roles,
    /// The dialogue's stored state (JSON), if any.
    pub dialogue: Option<String>,
    /// Towards the notice version asked about, if one was.
    pub consent: Option<Standing>,
    /// The key of the command menu last set for the chat (`users.menu`).
    pub menu: Option<String>,
}

/// Records that a Telegram user wrote to the bot and reads what handling
/// their update starts from ([`Arrival`]), with their standing towards
/// `notice`, the personal-data notice in force (none: Telegram names are
/// recorded from the first message). The first language is taken from
/// Telegram unless the user already chose one.
///
/// Reads first, in one statement, and writes only when something changed (a
/// new user, another Telegram name, an unreachable mark to clear,
/// `last_seen_at` older than an hour): most updates cost no write here.
pub async fn touch(
    pool: &Pool,
    id: i64,
    tg_name: &str,
    tg_username: Option<&str>,
    detected: Lang,
    now: DateTime<Utc>,
    notice: Option<i64>,
) -> sqlx::Result<Arrival> {
    #[derive(sqlx::FromRow)]
    struct Seen {
        known: bool,
        full_name: Option<String>,
        tg_name: Option<String>,
        tg_username: Option<String>,
        phone: Option<String>,
        language: Option<String>,
        last_seen_at: Option<DateTime<Utc>>,
        unreachable: bool,
        forgotten: bool,
        /// Erased their data and not seen since: this visit is recorded
        /// (it brings them back as an addressee of the workplace's sheets).
        away: bool,
        #[sqlx(flatten)]
        roles: RoleFlags,
        dialogue: Option<String>,
        agreed: Option<i64>,
        shown: bool,
        menu: Option<String>,
    }
    // One row whether or not the user is known yet.
    let seen: Seen = sqlx::query_as(concat!(
        "SELECT u.id IS NOT NULL AS known, u.full_name, u.tg_name, u.tg_username, u.phone,
                u.language, u.last_seen_at,
                u.unreachable_since IS NOT NULL AS unreachable,
                u.forgotten_at IS NOT NULL AS forgotten,
                (u.forgotten_at IS NOT NULL
                 AND (u.last_seen_at IS NULL OR u.last_seen_at <= u.forgotten_at)) AS away,
                u.menu,
                (SELECT state FROM dialogues WHERE chat_id = k.id) AS dialogue, ",
        notice_standing!("k.id", "?2"),
        ", ",
        role_flags!(),
        " FROM (SELECT ?1 AS id) k LEFT JOIN users u ON u.id = k.id"
    ))
    .bind(id)
    .bind(notice)
    .fetch_one(pool)
    .await?;
    let roles = Roles::from(seen.roles);
    let consent = notice.map(|_| Standing {
        agreed: seen.agreed,
        shown: seen.shown,
    });
    // Before the personal-data notice is agreed to, nothing beyond the
    // Telegram id (and the language to talk in) is stored.
    let record_names = consent.is_none_or(|c| c.agreed.is_some());
    let stored = seen.known.then(|| {
        (
            User {
                id,
                full_name: seen.full_name,
                tg_name: seen.tg_name.unwrap_or_default(),
                tg_username: seen.tg_username,
                phone: seen.phone,
                language: seen.language,
            },
            seen.last_seen_at,
        )
    });
    // A user who asked to be forgotten (/forgetme), or who has not agreed to
    // the personal-data notice yet, is not recorded by their Telegram name
    // and username (what was stored before the notice existed stays).
    let (tg_name, tg_username): (String, Option<String>) = match &stored {
        Some(_) if seen.forgotten => (String::new(), None),
        Some((user, _)) if !record_names => (user.tg_name.clone(), user.tg_username.clone()),
        None if !record_names => (String::new(), None),
        _ => (tg_name.to_owned(), tg_username.map(str::to_owned)),
    };
    let (tg_name, tg_username) = (tg_name.as_str(), tg_username.as_deref());
    let arrival = |user| Arrival {
        user,
        roles,
        dialogue: seen.dialogue.clone(),
        consent,
        menu: seen.menu.clone(),
    };
    if let Some((user, Some(last_seen_at))) = &stored
        && user.tg_name == tg_name
        && user.tg_username.as_deref() == tg_username
        && !seen.unreachable
        && !seen.away
        && (now - *last_seen_at).num_seconds() < SEEN_EVERY
    {
        return Ok(arrival(user.clone()));
    }
    let upsert = || {
        sqlx::query_as(
            "INSERT INTO users (id, tg_name, tg_username, language, first_seen_at, last_seen_at)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET
                 tg_name = excluded.tg_name,
                 tg_username = excluded.tg_username,
                 last_seen_at = excluded.last_seen_at,
                 unreachable_since = NULL
             RETURNING id, full_name, tg_name, tg_username, phone, language",
        )
        .bind(id)
        .bind(tg_name)
        .bind(tg_username)
        .bind(detected.code())
        .bind(now)
        .bind(now)
        .fetch_one(pool)
    };
    match super::tx::retrying(upsert).await {
        Ok(user) => {
            // Back after being unreachable: their own signed sheets they
            // missed meanwhile go to them again.
            if seen.unreachable
                && let Err(err) = super::outbox::resend_own_sheets(pool, id, now).await
            {
                tracing::warn!(%err, user = id, "could not queue a missed sheet again");
            }
            Ok(arrival(user))
        }
        // Bookkeeping only for a user already known (when last seen, the
        // Telegram name): what they came to do goes on with what was read.
        Err(err) => match stored {
            Some((user, _)) => {
                tracing::warn!(%err, user = id, "could not record the user's visit");
                Ok(arrival(user))
            }
            None => Err(err),
        },
    }
}

pub async fn get<'e>(db: impl sqlx::SqliteExecutor<'e>, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(
        "SELECT id, full_name, tg_name, tg_username, phone, language FROM users WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Records the key of the command menu just set for the user's chat.
pub async fn set_menu(pool: &Pool, id: i64, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET menu = ? WHERE id = ?")
        .bind(key)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks a known user unreachable (they blocked the bot) since `at`, or
/// reachable again; whether anything changed. A user who writes again is
/// made reachable by [`touch`] too.
///
/// `back`: what they are told on coming back (what waits for their
/// decision), queued only if they were unreachable, with the change: a
/// redelivered update tells them nothing twice.
pub async fn set_reachable(
    pool: &Pool,
    id: i64,
    reachable: bool,
    back: &[super::outbox::Notice],
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let query = if reachable {
        sqlx::query("UPDATE users SET unreachable_since = NULL WHERE id = ? AND unreachable_since IS NOT NULL")
            .bind(id)
    } else {
        sqlx::query(
            "UPDATE users SET unreachable_since = ? WHERE id = ? AND unreachable_since IS NULL",
        )
        .bind(at)
        .bind(id)
    };
    let changed = query.execute(&mut *tx).await?.rows_affected() > 0;
    // Back: their own signed sheets they missed meanwhile go to them again.
    if reachable && changed {
        super::outbox::resend_own_sheets_in(&mut tx, id, at).await?;
        super::outbox::enqueue_notices(&mut tx, back, at).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// The language the user chose, in one transaction audited
/// `set_language` (when it changed).
pub async fn set_language(
    pool: &Pool,
    id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    let changed =
        sqlx::query("UPDATE users SET language = ?1 WHERE id = ?2 AND language IS NOT ?1")
            .bind(lang.code())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed > 0 {
        let entry = super::audit::Entry {
            actor: Some(id),
            action: "set_language",
            subject: "user",
            subject_id: id,
            details: serde_json::json!({ "language": lang.code() }),
        };
        super::audit::append(&mut tx, entry, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_full_name(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    full_name: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET full_name = ? WHERE id = ?")
        .bind(full_name)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_profile(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    full_name: &str,
    phone: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET full_name = ?, phone = COALESCE(?, phone) WHERE id = ?")
        .bind(full_name)
        .bind(phone)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user's roles, in one query.
pub async fn roles(pool: &Pool, id: i64) -> sqlx::Result<Roles> {
    let flags: RoleFlags = sqlx::query_as(concat!(
        "SELECT ",
        role_flags!(),
        " FROM (SELECT ? AS id) k"
    ))
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(flags.into())
}

/// The columns of [`RoleFlags`] for the user whose id is `k.id`.
macro_rules! role_flags {
    () => {
        "EXISTS (SELECT 1 FROM cell_secretaries WHERE user_id = k.id) AS secretary,
         EXISTS (SELECT 1 FROM cell_deputies WHERE user_id = k.id) AS deputy,
         EXISTS (SELECT 1 FROM workplace_officers WHERE user_id = k.id) AS officer,
         EXISTS (SELECT 1 FROM ward_supervisors WHERE user_id = k.id) AS supervisor,
         EXISTS (SELECT 1 FROM ward_admins WHERE user_id = k.id) AS ward_admin,
         EXISTS (SELECT 1 FROM memberships
                 WHERE user_id = k.id AND status = 'approved') AS member,
         EXISTS (SELECT 1 FROM memberships
                 WHERE user_id = k.id AND status = 'pending') AS pending_member"
    };
}
use role_flags;

/// A user's roles as [`role_flags`] reads them.
#[derive(sqlx::FromRow)]
struct RoleFlags {
    secretary: bool,
    deputy: bool,
    officer: bool,
    supervisor: bool,
    ward_admin: bool,
    member: bool,
    pending_member: bool,
}

impl From<RoleFlags> for Roles {
    fn from(f: RoleFlags) -> Self {
        Roles {
            secretary: f.secretary,
            deputy: f.deputy,
            officer: f.officer,
            supervisor: f.supervisor,
            ward_admin: f.ward_admin,
            member: f.member,
            pending_member: f.pending_member,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn arriving_reads_the_user_roles_dialogue_and_notice_at_once() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        // A new user: recorded, no roles, no dialogue, the notice not agreed
        // to (so no Telegram name stored).
        let first = touch(&pool, 7, "An", Some("an"), Lang::En, now, Some(1))
            .await
            .unwrap();
        assert_eq!(first.user.id, 7);
        assert_eq!(first.user.tg_name, "");
        assert_eq!(first.roles, Roles::default());
        assert_eq!(first.dialogue, None);
        assert_eq!(first.consent, Some(Standing::default()));
        assert_eq!(first.user.lang(), Lang::En);

        let ward = super::super::wards::add(&pool, "P", now).await.unwrap();
        let cell = super::super::cells::add(&pool, ward, "C", now)
            .await
            .unwrap();
        let mut tx = super::super::tx::begin(&pool).await.unwrap();
        super::super::cells::set_secretary(&mut tx, cell, 7, now)
            .await
            .unwrap();
        sqlx::query("INSERT INTO dialogues (chat_id, state, updated_at) VALUES (7, '\"Idle\"', ?)")
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        super::super::consents::agree(&pool, 7, 1, now, false)
            .await
            .unwrap();

        // Read again a minute later: no write, everything new seen.
        let again = touch(&pool, 7, "An", Some("an"), Lang::Vi, now, Some(1))
            .await
            .unwrap();
        assert!(again.roles.secretary && !again.roles.member && !again.roles.officer);
        assert_eq!(again.dialogue.as_deref(), Some("\"Idle\""));
        assert_eq!(again.consent.and_then(|c| c.agreed), Some(1));
        // Without a notice in force, no standing is read.
        let none = touch(&pool, 8, "Bình", None, Lang::Vi, now, None)
            .await
            .unwrap();
        assert_eq!(none.consent, None);
        assert_eq!(none.user.tg_name, "Bình");
    }
}
