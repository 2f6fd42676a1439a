//! The bot in a group: it works in private chats only (what a member
//! reports, and who decides it, is between them and the bot). Added to a
//! group, or given a command in one, it says so once, with the link to a
//! private chat, and leaves: nothing said there is read or stored.

use teloxide::{
    prelude::*,
    types::{CallbackQuery, ChatMemberUpdated, Me, User},
};

use super::{App, HandlerResult};
use crate::{domain::Lang, store::users, t, telegram::send};

/// A command in a group the bot is in.
pub async fn on_message(bot: Bot, app: App, me: Me, msg: Message) -> HandlerResult {
    explain_and_leave(&bot, &app, &me, msg.chat.id, msg.from.as_ref()).await
}

/// The bot added to a group (or made its administrator); its removal, or a
/// change of its rights after it left, needs nothing.
/// A channel is left without a word (a note would be posted to all its
/// subscribers).
pub async fn on_added(bot: Bot, app: App, me: Me, update: ChatMemberUpdated) -> HandlerResult {
    let member = &update.new_chat_member;
    if !member.is_present() {
        return Ok(());
    }
    if update.chat.is_channel() {
        if let Err(err) = bot.leave_chat(update.chat.id).await {
            tracing::warn!(%err, chat = update.chat.id.0, "could not leave the channel");
        }
        return Ok(());
    }
    explain_and_leave(&bot, &app, &me, update.chat.id, Some(&update.from)).await
}

/// A button pressed under a message in a group (a bot's message forwarded
/// there with its buttons): nothing is done, and nothing shown or edited
/// there; the presser alone is told, in an alert, to use their private
/// chat with the bot.
pub async fn on_press(bot: Bot, app: App, me: Me, q: CallbackQuery) -> HandlerResult {
    let lang = language_of(&app, Some(&q.from)).await;
    let text = t!(lang, "group-press-private-only", bot = me.username());
    if let Err(err) = send::alert(&bot, &q, text).await {
        tracing::info!(%err, "could not answer a press in a group");
    }
    Ok(())
}

async fn explain_and_leave(
    bot: &Bot,
    app: &App,
    me: &Me,
    chat: ChatId,
    from: Option<&User>,
) -> HandlerResult {
    let lang = language_of(app, from).await;
    let text = t!(lang, "group-private-only", bot = me.username());
    if let Err(err) = send::text(bot, chat, text).await {
        tracing::info!(%err, chat = chat.0, "could not explain in the group");
    }
    if let Err(err) = bot.leave_chat(chat).await {
        tracing::warn!(%err, chat = chat.0, "could not leave the group");
    }
    Ok(())
}

/// The language they chose with /language, if they talk to the bot
/// already (only read: nothing of the group is stored); else Telegram's.
async fn language_of(app: &App, from: Option<&User>) -> Lang {
    let chosen = match from.and_then(|u| i64::try_from(u.id.0).ok()) {
        Some(id) => users::get(&app.pool, id)
            .await
            .unwrap_or_else(|err| {
                tracing::warn!(%err, "could not read the language of a group's member");
                None
            })
            .and_then(|u| u.language.as_deref().and_then(Lang::from_code)),
        None => None,
    };
    chosen.unwrap_or_else(|| Lang::from_telegram(from.and_then(|u| u.language_code.as_deref())))
}
