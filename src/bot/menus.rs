//! Command menus: per language for everyone, per chat for secretaries.

use teloxide::{
    payloads::SetMyCommandsSetters,
    prelude::*,
    types::{BotCommand, BotCommandScope, ChatId, Recipient},
};

use super::{App, context::Ctx};
use crate::{
    domain::{Lang, permissions::Roles},
    store::users,
    t,
};

fn command(name: &str, description: String) -> BotCommand {
    BotCommand::new(name, description)
}

/// The menu of a member (and of anyone who has not joined yet).
pub fn member_commands(lang: Lang) -> Vec<BotCommand> {
    commands_for(lang, Roles::default())
}

/// The menu of a user with these roles.
pub fn commands_for(lang: Lang, roles: Roles) -> Vec<BotCommand> {
    let mut list = Vec::new();
    if roles.committee() {
        list.extend([
            command("pending", t!(lang, "menu-pending")),
            command("members", t!(lang, "menu-members")),
        ]);
    } else if roles.supervisor {
        // The committee's own items and sheets where nobody else in the
        // cell decides.
        list.extend([
            command("pending", t!(lang, "menu-pending")),
            command("sheets", t!(lang, "menu-sheets")),
        ]);
    }
    if roles.secretary {
        list.extend([
            command("invite", t!(lang, "menu-invite")),
            command("announce", t!(lang, "menu-announce")),
        ]);
    }
    if roles.committee() {
        list.push(command("sheets", t!(lang, "menu-sheets")));
        // attendance
        list.extend([
            command("checkin", t!(lang, "checkin-menu")),
            command("attendance", t!(lang, "attendance-menu")),
        ]);
        // Comments workplaces asked of the cell (an officer's /requests
        // below lists both).
        if !roles.officer {
            list.push(command("requests", t!(lang, "request-menu-requests-cell")));
        }
    }
    if roles.officer {
        list.extend([
            command("status", t!(lang, "menu-status")),
            command("sheet", t!(lang, "menu-sheet")),
            // roster
            command("roster", t!(lang, "roster-menu")),
            // comments on request
            command("request", t!(lang, "request-menu-request")),
            command("requests", t!(lang, "request-menu-requests")),
        ]);
    }
    // ward administrators
    if roles.ward_admin {
        list.push(command("cells", t!(lang, "ward-admin-menu-cells")));
    }
    if roles.secretary || roles.supervisor || roles.ward_admin {
        list.push(command("stats", t!(lang, "menu-stats")));
    }
    if roles.secretary || roles.supervisor || roles.officer || roles.ward_admin {
        list.push(command("export", t!(lang, "menu-export")));
    }
    if roles.member
        || roles.pending_member
        || !(roles.committee() || roles.officer || roles.supervisor || roles.ward_admin)
    {
        list.extend([
            command("report", t!(lang, "menu-report")),
            command("myreports", t!(lang, "menu-myreports")),
        ]);
    }
    if roles.member {
        list.push(command("profile", t!(lang, "menu-profile")));
    }
    // meetings
    if roles.committee() {
        list.push(command("meeting", t!(lang, "meeting-menu-meeting")));
    }
    if roles.committee() || roles.member {
        list.push(command("meetings", t!(lang, "meeting-menu-meetings")));
    }
    list.extend([
        command("verify", t!(lang, "menu-verify")),
        // personal data
        command("mydata", t!(lang, "menu-mydata")),
        command("forgetme", t!(lang, "menu-forgetme")),
        command("language", t!(lang, "menu-language")),
        command("help", t!(lang, "menu-help")),
        command("cancel", t!(lang, "menu-cancel")),
    ]);
    list
}

/// Sets the default menus of all private chats, in each language.
pub async fn set_defaults(bot: &Bot) -> anyhow::Result<()> {
    bot.set_my_commands(member_commands(Lang::Vi))
        .scope(BotCommandScope::AllPrivateChats)
        .await?;
    for lang in Lang::ALL {
        bot.set_my_commands(member_commands(lang))
            .scope(BotCommandScope::AllPrivateChats)
            .language_code(lang.code())
            .await?;
    }
    Ok(())
}

/// Sets the chat's own menu from the user's roles in the database.
pub async fn refresh_for_user(
    bot: &Bot,
    app: &App,
    user_id: i64,
    lang: Lang,
) -> anyhow::Result<()> {
    let roles = super::roles::roles(app, user_id).await?;
    set_for(bot, app, user_id, lang, roles).await
}

/// Sets the chat's own menu for these roles, and records what it was set
/// for.
async fn set_for(
    bot: &Bot,
    app: &App,
    user_id: i64,
    lang: Lang,
    roles: Roles,
) -> anyhow::Result<()> {
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(user_id)),
    };
    bot.set_my_commands(commands_for(lang, roles))
        .scope(scope)
        .await?;
    users::set_menu(&app.pool, user_id, &roles.menu_key(lang)).await?;
    Ok(())
}

/// At a message: the chat's menu set again if the user's roles (or
/// language) are no longer those it was set for — a role revoked from the
/// command line, which cannot reach Telegram. A chat that never had a menu
/// of its own shows the default one, right for a user without roles. A
/// failure is logged and tried again at the next message.
pub async fn follow_roles(bot: Bot, app: App, ctx: Ctx) {
    let key = ctx.roles.menu_key(ctx.lang);
    let current = match ctx.menu.as_deref() {
        Some(set) => set == key,
        None => ctx.roles == Roles::default(),
    };
    if current {
        return;
    }
    // The roles were just read with the user: no second read.
    if let Err(err) = set_for(&bot, &app, ctx.user_id(), ctx.lang, ctx.roles).await {
        tracing::warn!(%err, user = ctx.user_id(), "could not set the command menu");
    }
}
