use chrono::{DateTime, Utc};

use super::Pool;
use crate::domain::Lang;

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
        self.language
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_default()
    }

    /// The name to show to others: the full name given to the bot, else
    /// the Telegram name.
    pub fn display_name(&self) -> &str {
        self.full_name.as_deref().unwrap_or(&self.tg_name)
    }
}

/// How stale `last_seen_at` may get before a message refreshes it.
const SEEN_EVERY: i64 = 3600;

/// Records that a Telegram user wrote to the bot. The first language is
/// taken from Telegram unless the user already chose one.
///
/// Reads first and writes only when something changed (a new user, another
/// Telegram name, an unreachable mark to clear, `last_seen_at` older than an
/// hour): most updates cost no write here.
pub async fn touch(
    pool: &Pool,
    id: i64,
    tg_name: &str,
    tg_username: Option<&str>,
    detected: Lang,
    now: DateTime<Utc>,
    record_names: bool,
) -> sqlx::Result<User> {
    #[derive(sqlx::FromRow)]
    struct Seen {
        #[sqlx(flatten)]
        user: User,
        last_seen_at: DateTime<Utc>,
        unreachable: bool,
        forgotten: bool,
    }
    let seen: Option<Seen> = sqlx::query_as(
        "SELECT id, full_name, tg_name, tg_username, phone, language, last_seen_at,
                unreachable_since IS NOT NULL AS unreachable,
                forgotten_at IS NOT NULL AS forgotten
         FROM users WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    // A user who asked to be forgotten (/forgetme), or who has not agreed to
    // the personal-data notice yet, is not recorded by their Telegram name
    // and username (what was stored before the notice existed stays).
    let (tg_name, tg_username): (String, Option<String>) = match &seen {
        Some(seen) if seen.forgotten => (String::new(), None),
        Some(seen) if !record_names => (seen.user.tg_name.clone(), seen.user.tg_username.clone()),
        None if !record_names => (String::new(), None),
        _ => (tg_name.to_owned(), tg_username.map(str::to_owned)),
    };
    let (tg_name, tg_username) = (tg_name.as_str(), tg_username.as_deref());
    if let Some(seen) = seen
        && seen.user.tg_name == tg_name
        && seen.user.tg_username.as_deref() == tg_username
        && !seen.unreachable
        && (now - seen.last_seen_at).num_seconds() < SEEN_EVERY
    {
        return Ok(seen.user);
    }
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
    .await
}

pub async fn get<'e>(db: impl sqlx::SqliteExecutor<'e>, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(
        "SELECT id, full_name, tg_name, tg_username, phone, language FROM users WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn set_language(pool: &Pool, id: i64, lang: Lang) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET language = ? WHERE id = ?")
        .bind(lang.code())
        .bind(id)
        .execute(pool)
        .await?;
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
pub async fn roles(pool: &Pool, id: i64) -> sqlx::Result<crate::domain::permissions::Roles> {
    let (secretary, deputy, officer, supervisor, ward_admin, member, pending_member): (
        bool,
        bool,
        bool,
        bool,
        bool,
        bool,
        bool,
    ) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM cell_secretaries WHERE user_id = ?1),
                    EXISTS (SELECT 1 FROM cell_deputies WHERE user_id = ?1),
                    EXISTS (SELECT 1 FROM workplace_officers WHERE user_id = ?1),
                    EXISTS (SELECT 1 FROM ward_supervisors WHERE user_id = ?1),
                    EXISTS (SELECT 1 FROM ward_admins WHERE user_id = ?1),
                    EXISTS (SELECT 1 FROM memberships WHERE user_id = ?1 AND status = 'approved'),
                    EXISTS (SELECT 1 FROM memberships WHERE user_id = ?1 AND status = 'pending')",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(crate::domain::permissions::Roles {
        secretary,
        deputy,
        officer,
        supervisor,
        ward_admin,
        member,
        pending_member,
    })
}
