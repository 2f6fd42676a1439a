//! The personal-data notice: the versions a user was shown, and their
//! agreement (with its time).

use chrono::{DateTime, Utc};

use super::{Pool, audit};

/// The version of the notice this binary shows (raise it when the notice's
/// text changes in substance: everyone who agreed to an older one sees the
/// new one once, at their next message).
/// Version 2: the ward's supervisors and administrators named with the
/// member list they see (the export), not only figures.
pub const NOTICE_VERSION: i64 = 2;

/// What the user did with the notices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// The latest version agreed to.
    pub agreed: Option<i64>,
    /// Whether `version` was shown already.
    pub shown: bool,
}

/// The user's standing towards notice `version`.
pub async fn standing(pool: &Pool, user_id: i64, version: i64) -> sqlx::Result<Standing> {
    let (agreed, shown): (Option<i64>, bool) =
        sqlx::query_as(concat!("SELECT ", notice_standing!("?1", "?2")))
            .bind(user_id)
            .bind(version)
            .fetch_one(pool)
            .await?;
    Ok(Standing { agreed, shown })
}

/// Records that a new version was shown to a user who agreed to an older
/// one (so it is shown once); false if it was shown already.
pub async fn mark_shown(
    pool: &Pool,
    user_id: i64,
    version: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    // Not the message's effect: the message is handled after it.
    let mut tx = super::tx::begin_aside(pool).await?;
    let done = sqlx::query(
        "INSERT INTO consents (user_id, version, shown_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(version)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Records the user's agreement to `version` (its time; the first one
/// stays, unless `/forgetme` withdrew it: agreeing again is a new
/// agreement). With `then_more`, the press goes on to an effect of its own (a
/// join): the agreement does not count as the update's effect, so a crash
/// before that effect has the press handled again, not skipped.
pub async fn agree(
    pool: &Pool,
    user_id: i64,
    version: i64,
    now: DateTime<Utc>,
    then_more: bool,
) -> sqlx::Result<()> {
    let mut tx = if then_more {
        super::tx::begin_aside(pool).await?
    } else {
        super::tx::begin(pool).await?
    };
    // An agreement that stands already (a press handled again after a
    // crash) is not a new one: audited once.
    let agreed_before: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM consents WHERE user_id = ? AND version = ?
                          AND agreed_at IS NOT NULL AND withdrawn_at IS NULL)",
    )
    .bind(user_id)
    .bind(version)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO consents (user_id, version, shown_at, agreed_at) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (user_id, version) DO UPDATE SET
                agreed_at = CASE WHEN withdrawn_at IS NULL THEN COALESCE(agreed_at, ?3) ELSE ?3 END,
                refused_at = NULL, withdrawn_at = NULL",
    )
    .bind(user_id)
    .bind(version)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if !agreed_before {
        audit::append(&mut tx, entry(user_id, "consent_agree", version), now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records that a user who had agreed to an older version does not agree
/// to `version`, or who withdrew it (`/forgetme`) and does not agree again.
/// (Someone who never agreed leaves no row.)
pub async fn refuse(
    pool: &Pool,
    user_id: i64,
    version: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    let done = sqlx::query(
        "UPDATE consents SET refused_at = ?3
         WHERE user_id = ?1 AND version = ?2 AND (agreed_at IS NULL OR withdrawn_at IS NOT NULL)",
    )
    .bind(user_id)
    .bind(version)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() > 0 {
        audit::append(&mut tx, entry(user_id, "consent_refuse", version), now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An audit entry of the user's own answer to notice `version`.
fn entry(user_id: i64, action: &'static str, version: i64) -> audit::Entry<'static> {
    audit::Entry {
        actor: Some(user_id),
        action,
        subject: "user",
        subject_id: user_id,
        details: serde_json::json!({ "notice_version": version }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tx::{already_handled, handling};

    /// Agreeing before a join is not the press's effect (the join is): a
    /// crash between the two has the press handled again when Telegram
    /// serves it again, instead of skipped with the join lost.
    #[tokio::test]
    async fn an_agreement_before_a_join_leaves_the_update_to_the_join() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        crate::store::users::touch(&pool, 7, "An", None, crate::domain::Lang::Vi, now, None)
            .await
            .unwrap();
        handling(41, now, agree(&pool, 7, 1, now, true))
            .await
            .unwrap();
        assert!(!already_handled(&pool, 41).await.unwrap());
        handling(42, now, agree(&pool, 7, 1, now, false))
            .await
            .unwrap();
        assert!(already_handled(&pool, 42).await.unwrap());
        let agreed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM consents WHERE user_id = 7 AND agreed_at IS NOT NULL",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(agreed, 1);
    }
}
