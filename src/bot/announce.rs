//! /announce: a secretary's text to every member of the cell, previewed,
//! then sent through the outbox with a progress message.

use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    input, keyboards,
    state::{State, new_token},
};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{Lang, report::clean_announcement},
    store::{
        broadcasts, cells, committee, memberships,
        outbox::{self, Payload},
        users,
    },
    t,
};

/// `/announce`: secretaries only; a secretary of several cells first
/// chooses the cell (or all of them).
pub async fn start(bot: &Bot, app: &App, ctx: &Ctx, dialogue: &Dialogue) -> HandlerResult {
    let cells = cells::secretary_cells(&app.pool, ctx.user_id()).await?;
    match cells.as_slice() {
        [] => {
            // A deputy who was a secretary: also which cell's role ended.
            let text = t!(ctx.lang, "secretaries-only");
            let text = super::roles::with_secretary_role_gone(app, ctx, text).await?;
            ctx.refuse(bot, app, text).await?;
        }
        _ if super::commands::kept_under_way(bot, ctx, "/announce").await? => {}
        // Nobody to write to yet (a new secretary's cell): said before the
        // text is asked for, not after it was written.
        _ if recipients(app, ctx.user_id(), None)
            .await?
            .is_some_and(|(_, readers)| readers.is_empty()) =>
        {
            send::text(bot, ctx.chat, t!(ctx.lang, "announce-no-members-yet")).await?;
        }
        [_] => {
            // An earlier announcement's text is of one that is over.
            app.answers_over(ctx.chat.0, State::AnnounceText.answer_key());
            dialogue.update(State::AnnounceText).await?;
            send::text(bot, ctx.chat, t!(ctx.lang, "ask-announcement")).await?;
        }
        many => {
            let mut rows: Vec<_> = many
                .iter()
                .map(|cell| {
                    vec![keyboards::button(
                        cell.name.clone(),
                        CallbackData::AnnounceCell(cell.id),
                    )]
                })
                .collect();
            rows.push(vec![keyboards::button(
                t!(ctx.lang, "announce-all-cells"),
                CallbackData::AnnounceAllCells,
            )]);
            send::with_markup(
                bot,
                ctx.chat,
                t!(ctx.lang, "announce-choose-cell"),
                InlineKeyboardMarkup::new(rows),
            )
            .await?;
        }
    }
    Ok(())
}

/// The cell a secretary of several chose for /announce (`None`: all of
/// them), re-checked (still theirs); then the text is asked for.
pub async fn on_cell(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    cell: Option<i64>,
) -> HandlerResult {
    let cells = cells::secretary_cells(&app.pool, ctx.user_id()).await?;
    let chosen: Vec<&str> = cells
        .iter()
        .filter(|c| cell.is_none_or(|id| c.id == id))
        .map(|c| c.name.as_str())
        .collect();
    if chosen.is_empty() {
        // One who handed the cell over is told so, and who has it now.
        let why = match cell {
            Some(cell) => super::roles::why_refused(app, ctx.lang, ctx.user_id(), cell).await?,
            None => t!(ctx.lang, "not-allowed"),
        };
        send::alert(bot, q, why).await?;
        return Ok(());
    }
    // Nobody to write to in the chosen cell (or any of them): said at the
    // press, before a text is asked for; the choice stays open for the
    // other cells.
    if recipients(app, ctx.user_id(), cell)
        .await?
        .is_some_and(|(_, readers)| readers.is_empty())
    {
        send::ack(bot, q).await?;
        let text = match cell {
            Some(_) => t!(
                ctx.lang,
                "announce-cell-no-members-yet",
                cell = chosen.join(", ")
            ),
            None => t!(ctx.lang, "announce-no-members-yet"),
        };
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    send::ack(bot, q).await?;
    // Something else half done meanwhile (a report, a meeting…): kept.
    if super::commands::kept_under_way(bot, ctx, "/announce").await? {
        return Ok(());
    }
    app.answers_over(ctx.chat.0, State::AnnounceText.answer_key());
    dialogue.update(State::announce_text(cell)).await?;
    if let Some((chat, message)) = send::pressed_message(q) {
        let shown = t!(ctx.lang, "announce-cells-chosen", cells = chosen.join(", "));
        send::settle(bot, chat, message, shown).await;
    }
    send::text(bot, ctx.chat, t!(ctx.lang, "ask-announcement")).await?;
    Ok(())
}

/// A member an announcement goes to: user, cell name, language.
type Reader = (i64, String, Lang);

/// Who would receive an announcement from this secretary: every approved
/// member of their cells (of the cell chosen, `only`) but themselves,
/// once, with the cell's name and the language they read
/// (one query per cell); and the cells it goes to. `None` when they are no
/// longer the secretary of any of them (replaced while writing).
async fn recipients(
    app: &App,
    secretary: i64,
    only: Option<i64>,
) -> anyhow::Result<Option<(Vec<cells::Cell>, Vec<Reader>)>> {
    let mut cells = cells::secretary_cells(&app.pool, secretary).await?;
    cells.retain(|c| only.is_none_or(|id| c.id == id));
    if cells.is_empty() {
        return Ok(None);
    }
    let mut conn = app.pool.acquire().await?;
    let out = readers(&mut conn, &cells, secretary).await?;
    Ok(Some((cells, out)))
}

/// The approved members of `cells` but `secretary`, each once, with the
/// name of the first of the cells they are in and their language.
async fn readers(
    conn: &mut sqlx::SqliteConnection,
    cells: &[cells::Cell],
    secretary: i64,
) -> sqlx::Result<Vec<Reader>> {
    let mut out: Vec<Reader> = Vec::new();
    for cell in cells {
        for (_, user, lang) in memberships::approved_readers(&mut *conn, cell.id).await? {
            if user != secretary && !out.iter().any(|(u, ..)| *u == user) {
                out.push((user, cell.name.clone(), lang));
            }
        }
    }
    Ok(out)
}

/// Ends the dialogue with the answer for a secretary with nobody to
/// write to: no longer a secretary, or a cell with no confirmed member.
async fn nobody_to_tell(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    still_secretary: bool,
) -> HandlerResult {
    dialogue.exit().await?;
    let answer = if still_secretary {
        t!(ctx.lang, "announce-no-members")
    } else {
        ctx.refusal(app, t!(ctx.lang, "secretaries-only")).await?
    };
    send::text(bot, ctx.chat, answer).await?;
    Ok(())
}

/// The announcement's text.
pub async fn on_text(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    msg: Message,
    cell: Option<i64>,
) -> HandlerResult {
    let lang = ctx.lang;
    let text = match input::text(lang, &msg, clean_announcement) {
        Ok(text) => text,
        Err(why) => {
            // Under a preview, the preview still stands: its Send is what
            // is awaited (or a corrected text), not the text anew.
            let ask = match ctx.state {
                State::AnnounceConfirm { .. } => t!(lang, "announce-preview-waits"),
                _ => t!(lang, "ask-announcement"),
            };
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    let recipients = recipients(&app, ctx.user_id(), cell)
        .await?
        .map(|(_, readers)| readers);
    let count = recipients.as_ref().map_or(0, Vec::len);
    if count == 0 {
        return nobody_to_tell(&bot, &app, &ctx, &dialogue, recipients.is_some()).await;
    }
    let state = State::AnnounceConfirm {
        token: new_token(),
        text: text.clone(),
        cell,
    };
    let tag = state.step_tag();
    dialogue.update(state).await?;
    let keyboard = InlineKeyboardMarkup::new([[
        keyboards::button(t!(lang, "button-send"), CallbackData::AnnounceSend(tag)),
        keyboards::button(t!(lang, "button-cancel"), CallbackData::AnnounceCancel(tag)),
    ]]);
    // The cells it goes to, named (a secretary of several sees all).
    let mut cells: Vec<&str> = Vec::new();
    for (_, cell, _) in recipients.iter().flatten() {
        if !cells.contains(&cell.as_str()) {
            cells.push(cell);
        }
    }
    let preview = |cells: &str| {
        t!(
            lang,
            "announce-preview",
            count = count,
            // As the progress message below it writes them ("1.200").
            shown = crate::i18n::count(lang, count),
            cells = cells,
            text = text.as_str()
        )
    };
    // The announcement is shown whole: the names of many cells, each up to
    // 120 characters, are shortened to what it leaves of one message (they
    // were listed whole when chosen).
    let room = send::MAX_MESSAGE_CHARS.saturating_sub(send::units(&preview("")));
    let preview = preview(&send::clip_to(&cells.join(", "), room));
    send::with_markup(&bot, ctx.chat, preview, keyboard).await?;
    Ok(())
}

/// Send or Cancel under the preview. False for a stale button.
pub async fn on_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (token, text, cell): (String, String, Option<i64>),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    match data {
        CallbackData::AnnounceCancel(_) => {
            send::ack(bot, q).await?;
            dialogue.exit().await?;
            if let Some((chat, message)) = send::pressed_message(q) {
                send::settle(bot, chat, message, t!(lang, "announce-cancelled")).await;
            }
        }
        CallbackData::AnnounceSend(_) => {
            send::ack(bot, q).await?;
            let (cells, recipients) = match recipients(app, ctx.user_id(), cell).await? {
                Some((cells, recipients)) if !recipients.is_empty() => (cells, recipients),
                found => {
                    nobody_to_tell(bot, app, ctx, dialogue, found.is_some()).await?;
                    return Ok(true);
                }
            };
            let sender_name = users::get(&app.pool, ctx.user_id())
                .await?
                .map(|u| u.display_name().to_string())
                .unwrap_or_default();
            let addressed: Vec<i64> = cells.iter().map(|c| c.id).collect();
            let copy = |(user, cell, their_lang): &Reader| {
                // Not sent once the member left (or moved to a cell not
                // addressed) while it waited.
                // In every language: it goes in the one they read when it
                // is sent (`/language` switched while it waited).
                let payload = Payload {
                    member_of: addressed.clone(),
                    ..Payload::in_every_lang(*their_lang, |lang| {
                        let text = t!(
                            lang,
                            "announcement",
                            cell = cell.as_str(),
                            sender = sender_name.as_str(),
                            text = text.as_str()
                        );
                        (send::clip(&text), Vec::new())
                    })
                };
                (*user, payload)
            };
            // Each member's copy in their language, made before the write
            // lock is taken.
            let mut copies: Vec<(i64, Payload)> = recipients.iter().map(copy).collect();
            // The preview keeps its text and loses its buttons.
            send::remove_buttons(bot, q).await;
            let now = app.now();
            // The announcement, its copies, its progress message and the
            // dialogue's end in one transaction: a crash leaves either
            // nothing (the press is handled again) or all of it.
            let mut tx = crate::store::tx::begin(&app.pool).await?;
            // Still the secretary of the cells addressed, read under the
            // write lock: a handover that lands after the press was
            // checked sends nothing.
            let user = ctx.user_id();
            if !committee::secretary_of_all(&mut tx, user, &addressed).await? {
                drop(tx);
                dialogue.exit().await?;
                // As when the press finds them no longer secretary.
                ctx.refuse(bot, app, t!(lang, "secretaries-only")).await?;
                return Ok(true);
            }
            // The members as they are now, read under the write lock: one
            // approved, or moved in, while the copies were made gets theirs
            // too; one who left meanwhile is not counted.
            let members = readers(&mut tx, &cells, user).await?;
            copies.retain(|(user, _)| members.iter().any(|(u, ..)| u == user));
            for reader in &members {
                if !copies.iter().any(|(user, _)| *user == reader.0) {
                    copies.push(copy(reader));
                }
            }
            if copies.is_empty() {
                drop(tx);
                nobody_to_tell(bot, app, ctx, dialogue, true).await?;
                return Ok(true);
            }
            let created = broadcasts::create_announcement(
                &mut tx,
                broadcasts::NewAnnouncement {
                    token: &token,
                    created_by: ctx.user_id(),
                    text: &text,
                    progress_chat: ctx.chat.0,
                    progress_start: crate::jobs::sender::progress_start(lang, copies.len() as i64),
                    cells: &addressed,
                    recipients: copies.len() as i64,
                },
                now,
            )
            .await?;
            let Some(id) = created else {
                return Ok(false);
            };
            for (user, payload) in &copies {
                outbox::enqueue(&mut tx, id, *user, payload, now).await?;
            }
            crate::store::dialogues::clear(&mut tx, ctx.chat.0).await?;
            tx.commit().await?;
            tracing::info!(
                broadcast = id,
                by = ctx.user_id(),
                recipients = copies.len(),
                "announcement queued"
            );
            app.wake_sender();
        }
        _ => return Ok(false),
    }
    Ok(true)
}
