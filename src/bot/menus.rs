//! Command menus: per language for everyone, per chat for secretaries.

use teloxide::{
    payloads::SetMyCommandsSetters,
    prelude::*,
    types::{BotCommand, BotCommandScope, ChatId, Recipient},
};

use super::App;
use crate::{domain::Lang, store::cells, t};

fn command(name: &str, description: String) -> BotCommand {
    BotCommand::new(name, description)
}

/// The menu of a member (and of anyone who has not joined yet).
pub fn member_commands(lang: Lang) -> Vec<BotCommand> {
    vec![
        command("report", t!(lang, "menu-report")),
        command("myreports", t!(lang, "menu-myreports")),
        command("language", t!(lang, "menu-language")),
        command("help", t!(lang, "menu-help")),
        command("cancel", t!(lang, "menu-cancel")),
    ]
}

/// The menu of a cell secretary.
pub fn secretary_commands(lang: Lang) -> Vec<BotCommand> {
    vec![
        command("pending", t!(lang, "menu-pending")),
        command("members", t!(lang, "menu-members")),
        command("invite", t!(lang, "menu-invite")),
        command("announce", t!(lang, "menu-announce")),
        command("report", t!(lang, "menu-report")),
        command("myreports", t!(lang, "menu-myreports")),
        command("language", t!(lang, "menu-language")),
        command("help", t!(lang, "menu-help")),
        command("cancel", t!(lang, "menu-cancel")),
    ]
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
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(user_id)),
    };
    if cells::secretary_cells(&app.pool, user_id).await?.is_empty() {
        bot.set_my_commands(member_commands(lang))
            .scope(scope)
            .await?;
    } else {
        bot.set_my_commands(secretary_commands(lang))
            .scope(scope)
            .await?;
    }
    Ok(())
}
