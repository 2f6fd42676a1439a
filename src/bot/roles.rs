//! Who a user is to the bot (roles read from the database, never from the
//! chat) and the help that follows from it.

use super::App;
use crate::{
    domain::{
        Lang,
        membership::MembershipStatus,
        permissions::{Denied, Roles, may_decide},
    },
    store::{committee, memberships, users},
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
    if roles.deputy {
        parts.push(t!(lang, "role-help-deputy"));
    }
    // attendance
    if roles.committee() {
        parts.push(t!(lang, "attendance-help"));
    }
    if roles.officer {
        parts.push(t!(lang, "help-officer"));
        // roster
        parts.push(t!(lang, "roster-help"));
        // comments on request
        parts.push(t!(lang, "request-help"));
    }
    if roles.supervisor {
        parts.push(format!(
            "{}\n{}",
            t!(lang, "help-supervisor"),
            t!(lang, "role-help-supervisor-decides")
        ));
    }
    // ward administrators
    if roles.ward_admin {
        parts.push(t!(lang, "ward-admin-help"));
    }
    if roles.secretary || roles.officer || roles.supervisor || roles.ward_admin {
        parts.push(t!(lang, "year-help-years"));
    }
    // meetings
    if roles.committee() {
        parts.push(t!(lang, "meeting-help-committee"));
    }
    if roles.member {
        parts.push(t!(lang, "help-member"));
        // meetings
        parts.push(t!(lang, "meeting-help-member"));
    } else if roles.pending_member {
        parts.push(t!(lang, "help-pending-member"));
    } else if !(roles.committee() || roles.officer || roles.supervisor || roles.ward_admin) {
        parts.push(t!(lang, "not-joined"));
    }
    parts.push(t!(lang, "help-common"));
    parts.join("\n\n")
}

/// Filter: the presser may act as a decider somewhere (secretary or deputy
/// of a cell, supervisor of a ward), now, in the database. Each handler
/// checks the item itself with [`may_decide_item`].
pub async fn decides_somewhere(app: App, ctx: super::context::Ctx) -> bool {
    match committee::decides_somewhere(&app.pool, ctx.user_id()).await {
        Ok(yes) => yes,
        Err(err) => {
            tracing::error!(%err, "cannot read the user's roles");
            false
        }
    }
}

/// Filter: the presser is an officer of some workplace (now, in the
/// database). Each handler checks the item's workplace.
pub async fn is_officer(app: App, ctx: super::context::Ctx) -> bool {
    match crate::store::workplaces::officer_of(&app.pool, ctx.user_id()).await {
        Ok(places) => !places.is_empty(),
        Err(err) => {
            tracing::error!(%err, "cannot read the user's roles");
            false
        }
    }
}

/// Filter: the presser administers some ward (now, in the database). Each
/// handler checks the button's ward or cell.
pub async fn is_ward_admin(app: App, ctx: super::context::Ctx) -> bool {
    match crate::store::wards::admin_of(&app.pool, ctx.user_id()).await {
        Ok(wards) => !wards.is_empty(),
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

/// May `user_id` decide (or write the comment sheet of) an item of
/// `owner` in `cell_id`? Read from the database at every press and decided
/// by [`may_decide`].
pub async fn may_decide_item(
    app: &App,
    user_id: i64,
    cell_id: i64,
    owner: i64,
) -> anyhow::Result<Result<(), Denied>> {
    let (actor, committee) = committee::facts(&app.pool, user_id, cell_id).await?;
    Ok(may_decide(actor, committee, owner))
}

/// Whether the user is the secretary or the deputy of the cell (whose own
/// items go to the other one, or to the ward's supervisors).
pub async fn on_committee(app: &App, user_id: i64, cell_id: i64) -> anyhow::Result<bool> {
    let (_, committee) = committee::facts(&app.pool, user_id, cell_id).await?;
    Ok([committee.secretary, committee.deputy].contains(&Some(user_id)))
}
