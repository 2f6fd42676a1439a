//! Whether a user can be written to, as Telegram tells it: a user who
//! blocks the bot, or unblocks it without writing (Telegram sends a
//! `my_chat_member` update for both).

use teloxide::{
    prelude::*,
    types::{ChatMemberUpdated, InlineKeyboardMarkup},
};

use super::{App, HandlerResult, context::Ctx, keyboards, views};
use crate::{
    store::{
        committee,
        outbox::{Notice, Payload},
        users,
    },
    t,
    telegram::{callback_data::CallbackData, send},
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
    let cells = waiting_in_cells(app, user).await?;
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let waiting_joins = cells.iter().flat_map(|c| c.joins.iter().copied()).collect();
    let waiting = cells
        .iter()
        .flat_map(|c| c.reports.iter().copied())
        .collect();
    let lang = users::get(&app.pool, user)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default();
    let payload = Payload::in_every_lang(lang, |lang| {
        let mut text = t!(lang, "back-items-waiting");
        text.push('\n');
        text.push_str(&cell_lines(lang, &cells));
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

/// A cell where items wait for one user's decision: the ids of the join
/// requests and reports they may decide there.
pub(super) struct WaitingIn {
    cell: String,
    joins: Vec<i64>,
    reports: Vec<i64>,
}

/// What waits for `user`'s decision, cell by cell, as `/pending` lists it
/// (cells where nothing waits for them left out).
pub(super) async fn waiting_in_cells(app: &App, user: i64) -> anyhow::Result<Vec<WaitingIn>> {
    let mut cells = Vec::new();
    for cell in committee::decider_cells(&app.pool, user).await? {
        let (joins, reports, _) = views::decidable(app, user, cell.id).await?;
        if joins.is_empty() && reports.is_empty() {
            continue;
        }
        cells.push(WaitingIn {
            cell: cell.name,
            joins: joins.iter().map(|m| m.id).collect(),
            reports: reports.iter().map(|r| r.id).collect(),
        });
    }
    Ok(cells)
}

/// A line for each cell of `cells`: its name and what waits there.
pub(super) fn cell_lines(lang: crate::domain::Lang, cells: &[WaitingIn]) -> String {
    let lines: Vec<String> = cells
        .iter()
        .map(|c| {
            t!(
                lang,
                "pending-header",
                cell = c.cell.as_str(),
                joins = c.joins.len(),
                reports = c.reports.len()
            )
        })
        .collect();
    lines.join("\n")
}

/// One who has just taken a role that decides items (a ward's supervisor,
/// standing in for the committee of the ward's cells where nobody else can
/// decide the secretary's or deputy's own items) is told what already
/// waits for them there, cell by cell, with the button to /pending:
/// nothing else tells them (the cards went to nobody, and the ward's note
/// of items waiting two weeks is sent once, to the supervisors of that
/// day). Nothing is sent when nothing waits.
pub(super) async fn tell_what_waits(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let cells = waiting_in_cells(app, ctx.user_id()).await?;
    if cells.is_empty() {
        return Ok(());
    }
    let lang = ctx.lang;
    let text = format!(
        "{}\n{}\n\n{}",
        t!(lang, "role-items-waiting"),
        cell_lines(lang, &cells),
        t!(lang, "back-items-waiting-end")
    );
    let open = keyboards::button(t!(lang, "button-open-pending"), CallbackData::OpenPending);
    send::with_markup(bot, ctx.chat, text, InlineKeyboardMarkup::new([[open]])).await?;
    Ok(())
}
