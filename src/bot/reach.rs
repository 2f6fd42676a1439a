//! Whether a user can be written to, as Telegram tells it: a user who
//! blocks the bot, or unblocks it without writing (Telegram sends a
//! `my_chat_member` update for both).

use teloxide::types::ChatMemberUpdated;

use super::{App, HandlerResult};
use crate::store::users;

/// The bot blocked or unblocked in a private chat: the user is marked
/// unreachable, or reachable again (notices, reminders and invitations go
/// to them again without their having to write first). Only a user already
/// known is touched: nothing is stored about anyone else.
pub async fn on_my_chat_member(app: App, update: ChatMemberUpdated) -> HandlerResult {
    if !update.chat.is_private() {
        return Ok(());
    }
    let member = &update.new_chat_member;
    let reachable = if member.is_banned() {
        false
    } else if member.is_member() {
        true
    } else {
        return Ok(());
    };
    if reachable {
        app.heard_from(update.chat.id.0);
    }
    let changed = users::set_reachable(&app.pool, update.chat.id.0, reachable, app.now()).await?;
    if changed {
        tracing::info!(
            user = update.chat.id.0,
            reachable,
            "the user blocked or unblocked the bot"
        );
    }
    Ok(())
}
