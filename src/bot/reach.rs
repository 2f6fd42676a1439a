//! Whether a user can be written to, as Telegram tells it: a user who
//! blocks the bot, or unblocks it without writing (Telegram sends a
//! `my_chat_member` update for both).

use teloxide::types::ChatMemberUpdated;

use super::{App, HandlerResult, views};
use crate::{
    store::{
        committee,
        outbox::{Notice, Payload},
        users,
    },
    t,
    telegram::callback_data::CallbackData,
};

/// The bot blocked or unblocked in a private chat: the user is marked
/// unreachable, or reachable again (notices, reminders and invitations go
/// to them again without their having to write first). Only a user already
/// known is touched: nothing is stored about anyone else. A secretary,
/// deputy or supervisor coming back is told what waits for their decision
/// (the cards that went while the bot was blocked did not reach them).
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
    let user = update.chat.id.0;
    let back = match reachable {
        true => waiting_for(&app, user).await?,
        false => Vec::new(),
    };
    let changed = users::set_reachable(&app.pool, user, reachable, &back, app.now()).await?;
    if changed {
        tracing::info!(user, reachable, "the user blocked or unblocked the bot");
    }
    Ok(())
}

/// What waits for `user`'s decision in each cell they decide for, as one
/// message pointing to /pending (none if nothing waits). It is not sent
/// once every item it counts was decided before it goes out.
async fn waiting_for(app: &App, user: i64) -> anyhow::Result<Vec<Notice>> {
    let mut cells = Vec::new();
    let (mut waiting, mut waiting_joins) = (Vec::new(), Vec::new());
    for cell in committee::decider_cells(&app.pool, user).await? {
        let (joins, reports, _) = views::decidable(app, user, cell.id).await?;
        if joins.is_empty() && reports.is_empty() {
            continue;
        }
        waiting_joins.extend(joins.iter().map(|m| m.id));
        waiting.extend(reports.iter().map(|r| r.id));
        cells.push((cell.name, joins.len(), reports.len()));
    }
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let lang = users::get(&app.pool, user)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default();
    let payload = Payload::in_every_lang(lang, |lang| {
        let mut text = t!(lang, "back-items-waiting");
        for &(ref cell, joins, reports) in &cells {
            text.push('\n');
            text.push_str(&t!(
                lang,
                "pending-header",
                cell = cell.as_str(),
                joins = joins,
                reports = reports
            ));
        }
        text.push_str("\n\n");
        text.push_str(&t!(lang, "back-items-waiting-end"));
        let button = (
            t!(lang, "button-open-pending"),
            CallbackData::OpenPending.encode(),
        );
        (crate::telegram::send::clip(&text), vec![vec![button]])
    });
    Ok(vec![Notice {
        chat_id: user,
        payload: Payload {
            waiting,
            waiting_joins,
            ..payload
        },
    }])
}
