//! Who a user is to the bot (roles read from the database, never from the
//! chat) and the help that follows from it.

use super::App;
use crate::{
    domain::{Lang, membership::MembershipStatus, permissions::Roles},
    store::{cells, memberships, users},
    t,
};

/// The user's roles, read from the database.
pub async fn roles(app: &App, user_id: i64) -> anyhow::Result<Roles> {
    Ok(users::roles(&app.pool, user_id).await?)
}

pub fn help_text(lang: Lang, roles: Roles) -> String {
    let mut parts = Vec::new();
    if roles.secretary {
        parts.push(t!(lang, "help-secretary"));
    }
    if roles.officer {
        parts.push(t!(lang, "help-officer"));
    }
    if roles.supervisor {
        parts.push(t!(lang, "help-supervisor"));
    }
    if roles.secretary || roles.officer || roles.supervisor {
        parts.push(t!(lang, "year-help-years"));
    }
    if roles.member {
        parts.push(t!(lang, "help-member"));
    } else if roles.pending_member {
        parts.push(t!(lang, "help-pending-member"));
    } else if !(roles.secretary || roles.officer || roles.supervisor) {
        parts.push(t!(lang, "not-joined"));
    }
    parts.push(t!(lang, "help-common"));
    parts.join("\n\n")
}

/// Filter: the presser is the secretary of a cell (now, in the database).
pub async fn is_secretary(app: App, ctx: super::context::Ctx) -> bool {
    match cells::secretary_cells(&app.pool, ctx.user_id()).await {
        Ok(cells) => !cells.is_empty(),
        Err(err) => {
            tracing::error!(%err, "cannot read the user's roles");
            false
        }
    }
}

/// Filter: the presser has an approved membership (now, in the database).
pub async fn is_member(app: App, ctx: super::context::Ctx) -> bool {
    match memberships::active_for_user(&app.pool, ctx.user_id()).await {
        Ok(m) => m.is_some_and(|m| m.status() == MembershipStatus::Approved),
        Err(err) => {
            tracing::error!(%err, "cannot read the user's roles");
            false
        }
    }
}
