//! A cell's members one by one: the paged buttons under /members, the
//! member's card, and ending a membership (left the area, retired,
//! transferred) with a reason. Every press re-checks that the presser is
//! the cell's secretary now and that the member is still active there.

use teloxide::{
    prelude::*,
    types::{CallbackQuery, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    input,
    keyboards::button,
    menus,
    roles::on_committee,
    state::{State, come_back, coming_back, with_resumed},
};
use crate::telegram::{callback_data::CallbackData, send};
use crate::{
    domain::{
        Lang,
        dates::format_dmy,
        membership::{EndReason, Exemption, MembershipStatus, clean_end_note},
    },
    sheet::build::exemption_label,
    store::{
        cells::{self, Cell},
        memberships::{self, Membership},
        outbox::{Notice, Payload, Recipient, Reroute},
        users,
    },
    t,
};

/// Member buttons per page under /members (a cell can have 100+ members).
pub const MEMBERS_PER_PAGE: usize = 10;

/// The name of an end reason, in the text of a message.
pub fn reason_label(lang: Lang, reason: EndReason) -> String {
    match reason {
        EndReason::Moved => t!(lang, "end-reason-moved"),
        EndReason::LeftArea => t!(lang, "end-reason-left-area"),
        EndReason::Retired => t!(lang, "end-reason-retired"),
        EndReason::Transferred => t!(lang, "end-reason-transferred"),
    }
}

fn reason_button(lang: Lang, reason: EndReason) -> String {
    match reason {
        EndReason::LeftArea => t!(lang, "end-button-left-area"),
        EndReason::Retired => t!(lang, "end-button-retired"),
        EndReason::Transferred | EndReason::Moved => t!(lang, "end-button-transferred"),
    }
}

/// One page of a cell's member buttons, with paging; `None` when the
/// cell has no approved member.
pub async fn picker(
    app: &App,
    lang: Lang,
    cell: &Cell,
    page: u32,
) -> anyhow::Result<Option<(String, InlineKeyboardMarkup)>> {
    let per_page = MEMBERS_PER_PAGE as i64;
    let mut offset = i64::from(page) * per_page;
    let (mut list, total) =
        memberships::approved_page(&app.pool, cell.id, offset, per_page).await?;
    if total == 0 {
        return Ok(None);
    }
    // A page beyond the last (members left meanwhile): the last page.
    if list.is_empty() {
        offset = (total - 1) / per_page * per_page;
        list = memberships::approved_page(&app.pool, cell.id, offset, per_page)
            .await?
            .0;
    }
    let page = offset / per_page;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = list
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let n = offset + i as i64 + 1;
            vec![button(
                format!("{n}. {}", m.full_name),
                CallbackData::MemberCard(m.id),
            )]
        })
        .collect();
    let pages = (total + per_page - 1) / per_page;
    let page = page as u32;
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(button("◀", CallbackData::MembersPage(cell.id, page - 1)));
    }
    if i64::from(page) + 1 < pages {
        nav.push(button("▶", CallbackData::MembersPage(cell.id, page + 1)));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    let (from, to) = (offset + 1, offset + list.len() as i64);
    let text = t!(
        lang,
        "card-pick",
        cell = cell.name.as_str(),
        from = from,
        to = to,
        total = total
    );
    Ok(Some((text, InlineKeyboardMarkup::new(rows))))
}

/// ◀ / ▶ under /members: another page of the cell's members.
pub async fn on_page(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (cell_id, page): (i64, u32),
) -> HandlerResult {
    let Some(cell) = cells::get(&app.pool, cell_id).await? else {
        return Ok(send::alert(&bot, &q, t!(ctx.lang, "not-allowed")).await?);
    };
    if !on_committee(&app, ctx.user_id(), cell.id).await? {
        tracing::warn!(user = ctx.user_id(), cell = cell.id, "members page refused");
        return Ok(send::alert(&bot, &q, t!(ctx.lang, "not-allowed")).await?);
    }
    send::ack(&bot, &q).await?;
    let Some((text, markup)) = picker(&app, ctx.lang, &cell, page).await? else {
        send::remove_buttons(&bot, &q).await;
        return Ok(());
    };
    // The list above the buttons stays; only the picker line and the
    // buttons change (on a message Telegram sent without its text, older
    // than about two days, only the buttons).
    match q.regular_message().and_then(|m| m.text()) {
        Some(shown) => send::edit_pressed(&bot, &q, replace_last_line(shown, &text), markup).await,
        None => send::swap_buttons(&bot, &q, markup).await,
    }
    Ok(())
}

/// The text with its last line replaced by `line`.
fn replace_last_line(text: &str, line: &str) -> String {
    match text.rsplit_once('\n') {
        Some((head, _)) => format!("{head}\n{line}"),
        None => line.to_string(),
    }
}

/// The buttons of a member's card: built here only, one row per action,
/// so another action is one more row.
pub fn card_keyboard(m: &Membership, lang: Lang) -> InlineKeyboardMarkup {
    let ends = EndReason::CHOSEN_BY_SECRETARY
        .iter()
        .map(|r| button(reason_button(lang, *r), CallbackData::EndStart(m.id, *r)))
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(vec![
        ends,
        vec![super::introduction::correction_button(lang, m.id)],
    ])
}

/// The card's text: name, phone, workplace, status, joined, exemption.
pub async fn card_text(app: &App, lang: Lang, m: &Membership) -> anyhow::Result<String> {
    let dash = || t!(lang, "not-given");
    let status = match memberships::pending_for_user(&app.pool, m.user_id).await? {
        Some(p) if p.moved_from == Some(m.id) => t!(
            lang,
            "card-status-pending-move",
            cell = p.cell_name.as_str()
        ),
        _ => t!(lang, "card-status-active"),
    };
    let joined = m.decided_at.unwrap_or(m.requested_at);
    let exempt = m
        .exempt_reason
        .as_deref()
        .and_then(Exemption::parse)
        .map(|e| exemption_label(lang, e))
        .unwrap_or_else(|| t!(lang, "card-not-exempt"));
    let card = t!(
        lang,
        "card-text",
        name = m.full_name.as_str(),
        cell = m.cell_name.as_str(),
        phone = m.phone.clone().unwrap_or_else(dash),
        workplace = m.workplace_name.clone().unwrap_or_else(dash),
        status = status,
        joined = format_dmy(joined.with_timezone(&app.tz).date_naive()),
        exempt = exempt
    );
    Ok(format!(
        "{card}\n{}",
        super::introduction::line(lang, m.introduced_on)
    ))
}

/// The member still active in a cell the presser manages now; on refusal
/// the presser has been told and `None` is returned.
async fn managed_member(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: Option<&CallbackQuery>,
    id: i64,
) -> anyhow::Result<Option<Membership>> {
    let say = |text: String| async move {
        match q {
            Some(q) => send::alert(bot, q, text).await,
            None => send::text(bot, ctx.chat, text).await.map(|_| ()),
        }
    };
    let Some(m) = memberships::get(&app.pool, id).await? else {
        say(t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    };
    // Nobody decides on their own membership: said so.
    if m.user_id == ctx.user_id() && on_committee(app, ctx.user_id(), m.cell_id).await? {
        // Only another member of the committee manages it (the ward's
        // supervisors have no member cards): without one, said so.
        let (_, committee) =
            crate::store::committee::facts(&app.pool, ctx.user_id(), m.cell_id).await?;
        let other = crate::domain::permissions::first_decider(committee, m.user_id);
        let text = if other.is_some() {
            t!(ctx.lang, "member-card-own")
        } else {
            t!(ctx.lang, "member-card-own-alone")
        };
        say(text).await?;
        return Ok(None);
    }
    if m.user_id == ctx.user_id() || !on_committee(app, ctx.user_id(), m.cell_id).await? {
        tracing::warn!(user = ctx.user_id(), id, "member card refused");
        say(t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    }
    if m.status() != MembershipStatus::Approved {
        say(t!(ctx.lang, "end-not-active")).await?;
        return Ok(None);
    }
    Ok(Some(m))
}

/// A member's name under /members: their card.
pub async fn open_card(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let Some(m) = managed_member(&bot, &app, &ctx, Some(&q), id).await? else {
        return Ok(());
    };
    send::ack(&bot, &q).await?;
    let text = card_text(&app, ctx.lang, &m).await?;
    send::with_markup(&bot, ctx.chat, text, card_keyboard(&m, ctx.lang)).await?;
    Ok(())
}

/// Left the area / Retired / Transferred on a card: asks the reason.
pub async fn end_start(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    (id, reason): (i64, EndReason),
) -> HandlerResult {
    if reason == EndReason::Moved {
        return Ok(send::alert(&bot, &q, t!(ctx.lang, "not-allowed")).await?);
    }
    let Some(m) = managed_member(&bot, &app, &ctx, Some(&q), id).await? else {
        return Ok(());
    };
    let ending = |s: &State| matches!(s, State::EndNote { .. } | State::EndConfirm { .. });
    let resume = ctx.state.clone().interrupted_for(ending);
    let asking = State::EndNote {
        membership_id: m.id,
        reason,
        resume,
    };
    if super::commands::asked_already(&bot, &app, &ctx, &q, &asking).await? {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    dialogue.update(asking).await?;
    let text = t!(
        ctx.lang,
        "end-ask-note",
        name = m.full_name.as_str(),
        reason = reason_label(ctx.lang, reason)
    );
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

fn end_confirm_keyboard(lang: Lang, tag: u32) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(t!(lang, "button-confirm"), CallbackData::EndConfirm(tag)),
        button(t!(lang, "button-cancel"), CallbackData::EndCancel(tag)),
    ]])
}

/// The reason typed: shown with Confirm and Cancel.
pub async fn on_end_note(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (membership_id, reason, resume): (i64, EndReason, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(m) = managed_member(&bot, &app, &ctx, None, membership_id).await? else {
        come_back(&dialogue, resume).await?;
        return Ok(());
    };
    let note = match input::text(lang, &msg, clean_end_note) {
        Ok(note) => note,
        Err(why) => {
            let ask = t!(
                lang,
                "end-ask-note",
                name = m.full_name.as_str(),
                reason = reason_label(lang, reason)
            );
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    let state = State::EndConfirm {
        membership_id,
        reason,
        note: note.clone(),
        resume,
    };
    let tag = state.step_tag();
    dialogue.update(state).await?;
    let text = t!(
        lang,
        "end-confirm",
        name = m.full_name.as_str(),
        cell = m.cell_name.as_str(),
        reason = reason_label(lang, reason),
        note = note
    );
    send::with_markup(&bot, ctx.chat, text, end_confirm_keyboard(lang, tag)).await?;
    Ok(())
}

/// The member's notice that their membership ended.
fn ended_notices(
    reason: EndReason,
    note: String,
) -> impl FnOnce(&Membership, Recipient) -> Vec<Notice> {
    move |m, to| {
        vec![Notice {
            chat_id: to.user_id,
            payload: Payload {
                text: t!(
                    to.lang,
                    "end-member-told",
                    cell = m.cell_name.as_str(),
                    reason = reason_label(to.lang, reason),
                    note = note.as_str()
                ),
                ..Payload::default()
            },
        }]
    }
}

/// To the workplace: its request for a comment on a member whose
/// membership the cell ended is cancelled.
fn request_cancelled_notices(
    r: &crate::store::requests::Request,
    m: &Membership,
    to: Recipient,
) -> Vec<Notice> {
    let text = |lang| {
        t!(
            lang,
            "request-cancelled-member-left",
            name = m.full_name.as_str(),
            cell = m.cell_name.as_str(),
            reason = crate::sheet::build::reason_label(lang, r.reason(), r.reason_text.as_deref())
        )
    };
    vec![Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: text(to.lang),
            // Not to one no longer the workplace's officer: to the others.
            officer_of: vec![r.workplace_id],
            reroute: Some(Reroute::new(r.id, r.workplace_id, text)),
            ..Payload::default()
        },
    }]
}

/// Confirm or Cancel on the end of a membership. Returns false for a
/// stale button.
pub async fn on_end_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (membership_id, reason, note, resume): (i64, EndReason, String, Option<Box<State>>),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    match data {
        CallbackData::EndCancel(_) => {
            send::ack(bot, q).await?;
            let resumed = come_back(dialogue, resume).await?;
            let name = memberships::get(&app.pool, membership_id)
                .await?
                .map(|m| m.full_name)
                .unwrap_or_default();
            let text = t!(lang, "end-cancelled", name = name.as_str());
            send::settle_pressed(bot, q, with_resumed(lang, text, resumed)).await;
        }
        CallbackData::EndConfirm(_) => {
            let Some(m) = managed_member(bot, app, ctx, Some(q), membership_id).await? else {
                come_back(dialogue, resume).await?;
                send::remove_buttons(bot, q).await;
                return Ok(true);
            };
            let ended = memberships::end(
                &app.pool,
                memberships::Ending {
                    id: m.id,
                    cell_id: m.cell_id,
                    reason,
                    note: &note,
                    by: ctx.user_id(),
                    then: Some(&coming_back(ctx.chat, resume.as_deref())),
                },
                app.now(),
                ended_notices(reason, note.clone()),
                request_cancelled_notices,
            )
            .await?;
            // Ended, the dialogue came back with it; otherwise now.
            let resumed = match ended {
                true => resume.is_some(),
                false => come_back(dialogue, resume).await?,
            };
            if !ended {
                // No longer theirs to end (their seat went after the
                // confirmation was checked), or no longer active.
                let why = match super::roles::role_gone(app, lang, ctx.user_id(), m.cell_id).await?
                {
                    Some(why) => why,
                    None => t!(lang, "end-not-active"),
                };
                send::alert(bot, q, why).await?;
                send::remove_buttons(bot, q).await;
                return Ok(true);
            }
            send::ack(bot, q).await?;
            app.wake_sender();
            tracing::info!(by = ctx.user_id(), id = m.id, ?reason, "membership ended");
            let done = t!(
                lang,
                "end-done",
                name = m.full_name.as_str(),
                cell = m.cell_name.as_str()
            );
            send::settle_pressed(bot, q, with_resumed(lang, done, resumed)).await;
            let member_lang = users::get(&app.pool, m.user_id)
                .await?
                .map(|u| u.lang())
                .unwrap_or_default();
            if let Err(err) = menus::refresh_for_user(bot, app, m.user_id, member_lang).await {
                tracing::warn!(%err, "could not set the member's menu");
            }
            // No longer invited to the cell's meetings to come.
            super::meetings::refresh_cell_summaries(app, m.cell_id).await;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Sends the cell's member list with the picker's buttons under it (on the
/// same message when it fits, else after it).
pub async fn send_list(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    lang: Lang,
    cell: &Cell,
    list: String,
) -> HandlerResult {
    let Some((line, markup)) = picker(app, lang, cell, 0).await? else {
        send::long(bot, chat, &list).await?;
        return Ok(());
    };
    let whole = format!("{list}\n\n{line}");
    if send::units(&whole) <= send::MAX_MESSAGE_CHARS {
        send::with_markup(bot, chat, whole, markup).await?;
    } else {
        send::long(bot, chat, &list).await?;
        send::with_markup(bot, chat, line, markup).await?;
    }
    Ok(())
}
