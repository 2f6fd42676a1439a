//! Joining: a secretary through a single-use code, a member through the
//! cell's invite link (name → phone → workplace → confirm).

use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, Message, ReplyMarkup},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    decisions, input, introduction, keyboards, menus,
    roles::{help_text, roles},
    state::{JoinDraft, JoinStep, State, come_back, coming_back, new_token, with_resumed},
    views,
};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        invite::{InviteKind, InviteProblem, check_invite, check_invite_opened},
        membership::{
            MembershipStatus, WorkplaceChoice, clean_full_name, clean_phone, clean_workplace,
            contact_phone,
        },
        review_year::{check_intro_month, parse_intro_month},
    },
    store::{
        cells::{self, Cell},
        committee, introductions,
        invites::{self, Invite},
        memberships::{self, Membership, NewRequest, RequestOutcome},
        outbox::{self, Notice, Payload, Recipient},
        users, wards, workplaces,
    },
    t,
};

// ---------------------------------------------------------------- secretary

/// The full name of a new secretary or deputy secretary, after their
/// single-use code; then back to the dialogue the code interrupted
/// (`resume`), if any.
pub async fn secretary_name(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (invite_id, opened_at, resume): (
        i64,
        Option<chrono::DateTime<chrono::Utc>>,
        Option<Box<State>>,
    ),
    msg: Message,
) -> HandlerResult {
    let name = match input::own_text(ctx.lang, &msg, clean_full_name) {
        Ok(name) => name,
        Err(problem) => {
            send::text(
                &bot,
                ctx.chat,
                format!("{problem}\n\n{}", t!(ctx.lang, "ask-full-name")),
            )
            .await?;
            return Ok(());
        }
    };
    let invite = invites::get(&app.pool, invite_id).await?;
    let cell = match &invite {
        Some(Invite {
            cell_id: Some(cell),
            ..
        }) => cells::get(&app.pool, *cell).await?,
        Some(_) => None,
        None => None,
    };
    let deputy = invite
        .as_ref()
        .is_some_and(|i| i.kind() == InviteKind::Deputy);
    // Done already, its answer lost with a crash: say so again.
    if let (
        Some(Invite {
            used_at: Some(_), ..
        }),
        Some(cell),
    ) = (&invite, &cell)
    {
        let holder = if deputy {
            committee::deputy_of(&app.pool, cell.id).await?
        } else {
            cells::secretary_of(&app.pool, cell.id).await?
        };
        if holder == Some(ctx.user_id()) {
            let resumed = come_back(&dialogue, resume).await?;
            let taken = (cell, deputy, resumed);
            return secretary_confirmed(&bot, &app, &ctx, &name, taken).await;
        }
    }
    // Opened while it was valid, the code is honoured though it expired
    // while the name was being typed (as a member link is).
    let facts = invite.as_ref().map(Invite::facts);
    let checked = check_invite_opened(facts.as_ref(), opened_at, app.now());
    let (Ok(()), Some(invite), Some(cell)) = (checked, invite, cell) else {
        let resumed = come_back(&dialogue, resume).await?;
        let problem = checked.err().unwrap_or(InviteProblem::Unknown);
        let kind = facts.map(|f| f.kind);
        let text = invite_problem_text(ctx.lang, problem, kind);
        send::text(&bot, ctx.chat, with_resumed(ctx.lang, text, resumed)).await?;
        return Ok(());
    };
    let now = app.now();
    let change = committee::Change {
        actor: Some(ctx.user_id()),
        invite: Some(invite.id),
    };
    let mut tx = crate::store::tx::begin(&app.pool).await?;
    if deputy && cells::secretary_of(&mut *tx, cell.id).await? == Some(ctx.user_id()) {
        drop(tx);
        let resumed = come_back(&dialogue, resume).await?;
        let text = t!(ctx.lang, "deputy-is-secretary", cell = cell.name.as_str());
        send::text(&bot, ctx.chat, with_resumed(ctx.lang, text, resumed)).await?;
        return Ok(());
    }
    let used = invites::mark_used(&mut tx, invite.id, ctx.user_id(), (now, opened_at)).await?;
    if let Err(problem) = used {
        drop(tx);
        let resumed = come_back(&dialogue, resume).await?;
        let text = invite_problem_text(ctx.lang, problem, Some(invite.kind()));
        send::text(&bot, ctx.chat, with_resumed(ctx.lang, text, resumed)).await?;
        return Ok(());
    }
    let before = committee::of_cell(&mut tx, cell.id).await?;
    let previous = if deputy {
        committee::appoint_deputy(&mut tx, cell.id, ctx.user_id(), change, now).await?
    } else {
        committee::appoint_secretary(&mut tx, cell.id, ctx.user_id(), change, now).await?
    };
    // The one replaced (and the language they read, for their menu too).
    let replaced = match previous {
        Some(old) => Some(Recipient::load(&mut tx, old).await?),
        None => None,
    };
    if let Some(to) = replaced {
        // The one replaced is told through the outbox, with the change.
        let (cell, name) = (cell.name.as_str(), name.as_str());
        let text = if deputy {
            t!(to.lang, "deputy-replaced", cell = cell, name = name)
        } else {
            t!(to.lang, "handover-old-secretary", cell = cell, name = name)
        };
        let notice = Notice {
            chat_id: to.user_id,
            payload: Payload {
                text,
                ..Payload::default()
            },
        };
        outbox::enqueue_notices(&mut tx, &[notice], now).await?;
    }
    // Whoever decides each waiting item now has its card (a new deputy
    // the secretary's own; a member who became secretary: their own go
    // to the deputy or the ward); a new secretary is told what waits.
    let except = (!deputy).then_some(ctx.user_id());
    let carded = decisions::card_waiting_items(&mut tx, cell.id, before, except, now).await?;
    users::set_full_name(&mut tx, ctx.user_id(), &name).await?;
    // The name's question ends with the role taken, in one transaction:
    // back to the dialogue it interrupted, if any.
    let then = coming_back(ctx.chat, resume.as_deref());
    crate::store::dialogues::put(&mut tx, &then, now).await?;
    tx.commit().await?;
    if carded > 0 {
        app.wake_sender();
    }
    tracing::info!(
        user = ctx.user_id(),
        cell = cell.id,
        deputy,
        "committee role taken"
    );
    if let Some(old) = replaced {
        app.wake_sender();
        if let Err(err) = menus::refresh_for_user(&bot, &app, old.user_id, old.lang).await {
            tracing::warn!(%err, "could not update the replaced menu");
        }
    }
    let taken = (&cell, deputy, resume.is_some());
    secretary_confirmed(&bot, &app, &ctx, &name, taken).await
}

/// The role taken (of `cell`; deputy's or not), and whether a dialogue the
/// code interrupted was resumed.
async fn secretary_confirmed(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    name: &str,
    (cell, deputy, resumed): (&Cell, bool, bool),
) -> HandlerResult {
    let roles = roles(app, ctx.user_id()).await?;
    let cell_name = cell.name.as_str();
    let confirmed = if deputy {
        t!(ctx.lang, "deputy-confirmed", name = name, cell = cell_name)
    } else {
        t!(
            ctx.lang,
            "secretary-confirmed",
            name = name,
            cell = cell_name
        )
    };
    // A secretary taking over finds what the one before left waiting
    // (their cards stayed with the one before), a new deputy what waits in
    // the cell (the members' items carded to the secretary, those waiting
    // over a week offered to no deputy then): what /pending shows.
    let confirmed = match views::decidable(app, ctx.user_id(), cell.id).await? {
        (joins, reports, _) if joins.is_empty() && reports.is_empty() => confirmed,
        (joins, reports, _) => format!(
            "{confirmed}\n\n{}",
            t!(
                ctx.lang,
                "secretary-items-waiting",
                joins = joins.len(),
                reports = reports.len()
            )
        ),
    };
    let text = format!("{confirmed}\n\n{}", help_text(ctx.lang, roles));
    send::text(bot, ctx.chat, with_resumed(ctx.lang, text, resumed)).await?;
    if let Err(err) = menus::refresh_for_user(bot, app, ctx.user_id(), ctx.lang).await {
        tracing::warn!(%err, "could not set the secretary's menu");
    }
    Ok(())
}

// ------------------------------------------------------------------ member

/// `/start CODE` with a valid member link.
pub async fn start(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    invite: &Invite,
    cell: &Cell,
) -> HandlerResult {
    if let Some(m) = memberships::active_for_user(&app.pool, ctx.user_id()).await? {
        // A member of another cell: moving house?
        if m.status() == MembershipStatus::Approved && m.cell_id != cell.id {
            let text = match memberships::pending_for_user(&app.pool, ctx.user_id()).await? {
                Some(p) if p.cell_id == cell.id => t!(
                    ctx.lang,
                    "join-already-pending",
                    cell = p.cell_name.as_str()
                ),
                // A move waiting elsewhere: it can be withdrawn (a wrong
                // link), then this one opened again.
                Some(p) => return offer_withdraw(bot, ctx, &p).await,
                None => {
                    // A report (or any dialogue) under way is kept, and
                    // comes back once the move is sent or cancelled.
                    let resume = ctx.state.clone().interrupted_for(|s| {
                        matches!(s, State::Join(..) | State::MoveConfirm { .. })
                    });
                    let state = State::MoveConfirm {
                        invite_id: invite.id,
                        cell_id: cell.id,
                        from: m.id,
                        resume,
                    };
                    let keyboard = keyboards::move_confirm(ctx.lang, state.step_tag());
                    dialogue.update(state).await?;
                    let text = t!(
                        ctx.lang,
                        "move-ask",
                        from = m.cell_name.as_str(),
                        cell = cell.name.as_str()
                    );
                    send::with_markup(bot, ctx.chat, text, keyboard).await?;
                    return Ok(());
                }
            };
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
        let text = match (m.status(), m.cell_id == cell.id) {
            (MembershipStatus::Approved, true) => {
                t!(ctx.lang, "join-already-member", cell = m.cell_name.as_str())
            }
            (MembershipStatus::Pending, true) => t!(
                ctx.lang,
                "join-already-pending",
                cell = m.cell_name.as_str()
            ),
            (MembershipStatus::Pending, false) => return offer_withdraw(bot, ctx, &m).await,
            _ => t!(ctx.lang, "join-other-cell", cell = m.cell_name.as_str()),
        };
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    // The link of the cell being joined opened again (a second tap on it)
    // once a name was given: the answers are kept, not begun anew unsaid.
    if let State::Join(_, d) = &ctx.state
        && d.cell_id == cell.id
        && d.full_name.is_some()
    {
        let text = super::commands::finish_first(ctx.lang, &ctx.state);
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    invites::note_use(&app.pool, invite.id, ctx.user_id(), app.now()).await?;
    // A dialogue under way (a deputy who is no member, calling a meeting)
    // is kept for after the request; another join's is replaced.
    let resume = ctx
        .state
        .clone()
        .interrupted_for(|s| matches!(s, State::Join(..) | State::MoveConfirm { .. }));
    let draft = JoinDraft {
        token: new_token(),
        cell_id: cell.id,
        invite_id: Some(invite.id),
        opened_at: Some(app.now()),
        full_name: None,
        phone: None,
        workplace: None,
        page: 0,
        moved_from: None,
        introduced: None,
        introduction_id: None,
        resume,
    };
    dialogue
        .update(State::Join(JoinStep::Name, draft.clone()))
        .await?;
    let intro = t!(ctx.lang, "join-welcome", cell = cell.name.as_str());
    ask(bot, app, ctx, JoinStep::Name, &draft, Some(intro)).await
}

/// Moving there (Confirm) or not (Cancel: back to the dialogue the link
/// interrupted, `resume`), after opening another cell's link. Confirm
/// re-checks the membership moved from and the invite, then goes on with
/// the join dialogue, pre-filled, at its summary (the dialogue interrupted
/// carried along). Returns false for a stale button.
pub async fn on_move_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (invite_id, cell_id, from, resume): (i64, i64, i64, Option<Box<State>>),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    let old = memberships::get(&app.pool, from)
        .await?
        .filter(|m| m.user_id == ctx.user_id() && m.status() == MembershipStatus::Approved);
    match data {
        CallbackData::MoveCancel(_) => {
            send::ack(bot, q).await?;
            let resumed = come_back(dialogue, resume).await?;
            let from = old.map(|m| m.cell_name).unwrap_or_default();
            let text = t!(lang, "move-cancelled", from = from.as_str());
            send::settle_pressed(bot, q, with_resumed(lang, text, resumed)).await;
        }
        CallbackData::MoveConfirm(_) => {
            let invite = invites::get(&app.pool, invite_id).await?;
            let checked = check_invite(invite.as_ref().map(Invite::facts).as_ref(), app.now());
            let (Some(old), Ok(()), Some(cell)) =
                (old, checked, cells::get(&app.pool, cell_id).await?)
            else {
                // The invite expired or was revoked meanwhile, or the
                // membership moved from ended: say which (and come back to
                // the dialogue the link interrupted).
                let resumed = come_back(dialogue, resume).await?;
                if checked.is_ok()
                    && let Some(text) = ended_meanwhile(app, ctx, Some(from)).await?
                {
                    send::ack(bot, q).await?;
                    send::settle_pressed(bot, q, with_resumed(lang, text, resumed)).await;
                    return Ok(true);
                }
                send::remove_buttons(bot, q).await;
                let why = match checked {
                    Err(problem) => invite_problem_text(lang, problem, Some(InviteKind::Member)),
                    Ok(()) => t!(lang, "not-allowed"),
                };
                send::alert(bot, q, with_resumed(lang, why, resumed)).await?;
                return Ok(true);
            };
            send::ack(bot, q).await?;
            send::remove_buttons(bot, q).await;
            invites::note_use(&app.pool, invite_id, ctx.user_id(), app.now()).await?;
            let workplace = match (old.workplace_id, old.workplace_name.clone()) {
                (Some(id), Some(name)) => Some(WorkplaceChoice::Registered { id, name }),
                (None, Some(name)) => Some(WorkplaceChoice::Other { name }),
                _ => None,
            };
            let draft = JoinDraft {
                token: new_token(),
                cell_id: cell.id,
                invite_id: Some(invite_id),
                opened_at: Some(app.now()),
                full_name: Some(old.full_name.clone()),
                phone: old.phone.clone(),
                workplace,
                page: 0,
                moved_from: Some(old.id),
                // Judged from the month they came to the first cell.
                introduced: old.introduced_on,
                introduction_id: None,
                resume,
            };
            // Without a workplace on record, ask for it; else to the summary.
            let step = if draft.workplace.is_some() {
                JoinStep::Confirm
            } else {
                JoinStep::Workplace
            };
            advance(
                bot,
                app,
                ctx,
                dialogue,
                step,
                draft,
                Some(t!(lang, "move-intro")),
            )
            .await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The workplace question and its picker (registered workplaces with
/// pages, and "Other…") on `page`: shared by joining and /profile.
pub async fn workplace_question(
    app: &App,
    lang: Lang,
    page: u32,
) -> anyhow::Result<(String, teloxide::types::InlineKeyboardMarkup)> {
    let (items, page, total) = workplace_page(app, page).await?;
    // Too many to page through: the member types part of the name.
    if total > keyboards::WORKPLACES_PER_PAGE as i64 {
        return Ok((
            t!(lang, "search-ask"),
            keyboards::workplaces(&[], 0, 0, lang),
        ));
    }
    let question = if total == 0 {
        t!(lang, "ask-workplace-none")
    } else {
        t!(lang, "ask-workplace")
    };
    Ok((question, keyboards::workplaces(&items, page, total, lang)))
}

/// Part of a workplace's name typed at the workplace question: the
/// registered workplaces that match (accents ignored), 8 at most, as
/// buttons, with "Other…"; shared by joining and /profile.
pub async fn workplace_search(
    app: &App,
    lang: Lang,
    typed: &str,
) -> anyhow::Result<(String, teloxide::types::InlineKeyboardMarkup)> {
    let limit = keyboards::WORKPLACES_PER_PAGE;
    let found = workplaces::search(&app.pool, typed, limit as i64 + 1).await?;
    // Echoed cut short: a long text pasted here would push the question
    // out of the message.
    let typed = super::render::excerpt(typed, 40);
    let typed = typed.as_str();
    let text = match found.len() {
        0 => t!(lang, "search-none", typed = typed),
        n if n > limit => t!(lang, "search-many", typed = typed, count = limit),
        n => t!(lang, "search-found", typed = typed, count = n),
    };
    let shown = &found[..found.len().min(limit)];
    Ok((text, keyboards::workplaces(shown, 0, 0, lang)))
}

/// A typed workplace name: the registered workplace of that name, or
/// "other".
pub async fn workplace_typed(app: &App, name: String) -> anyhow::Result<WorkplaceChoice> {
    Ok(match workplaces::find_by_name(&app.pool, &name).await? {
        Some(w) => WorkplaceChoice::Registered {
            id: w.id,
            name: w.name,
        },
        None => WorkplaceChoice::Other { name },
    })
}

/// Asks for the step's input, after `prefix` (an error or an introduction).
pub async fn ask(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    step: JoinStep,
    draft: &JoinDraft,
    prefix: Option<String>,
) -> HandlerResult {
    let lang = ctx.lang;
    let with_prefix = |text: String| match &prefix {
        Some(p) => format!("{p}\n\n{text}"),
        None => text,
    };
    match step {
        JoinStep::Name => {
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(t!(lang, "ask-full-name")),
                ReplyMarkup::kb_remove(),
            )
            .await?;
        }
        JoinStep::Phone => {
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(t!(lang, "ask-phone")),
                keyboards::phone(lang),
            )
            .await?;
        }
        JoinStep::Workplace => {
            let (question, markup) = workplace_question(app, lang, draft.page).await?;
            send::with_markup(bot, ctx.chat, with_prefix(question), markup).await?;
        }
        JoinStep::WorkplaceOther => {
            send::text(bot, ctx.chat, with_prefix(t!(lang, "ask-workplace-name"))).await?;
        }
        JoinStep::Introduced => {
            let (text, keyboard) = introduction::ask_text(app, lang);
            send::with_markup(bot, ctx.chat, with_prefix(text), keyboard).await?;
        }
        JoinStep::Confirm => {
            let cell = cells::get(&app.pool, draft.cell_id)
                .await?
                .map(|c| c.name)
                .unwrap_or_default();
            let summary = t!(
                lang,
                "join-summary",
                cell = cell,
                name = draft.full_name.clone().unwrap_or_default(),
                phone = draft.phone.clone().unwrap_or_else(|| t!(lang, "not-given")),
                workplace = draft
                    .workplace
                    .as_ref()
                    .map(|w| w.name().to_string())
                    .unwrap_or_default()
            );
            let mut summary = format!("{summary}\n{}", introduction::line(lang, draft.introduced));
            // introductions
            if let Some(intro) = draft.introduction_id
                && let Some(i) = introductions::get(&app.pool, intro).await?
            {
                summary.push('\n');
                summary.push_str(&t!(
                    lang,
                    "introduce-by-line",
                    by = format!("{}, {}", i.workplace_name, i.officer_name)
                ));
            }
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(summary),
                keyboards::join_confirm(lang, State::Join(step, draft.clone()).step_tag()),
            )
            .await?;
        }
    }
    Ok(())
}

/// The registered workplaces on `page` (clamped to the last page), the
/// page shown and how many there are in all.
async fn workplace_page(
    app: &App,
    page: u32,
) -> anyhow::Result<(Vec<workplaces::Workplace>, u32, i64)> {
    let total = workplaces::count(&app.pool).await?;
    let per_page = keyboards::WORKPLACES_PER_PAGE as i64;
    let page = (i64::from(page)).min((total - 1).max(0) / per_page) as u32;
    let items = workplaces::page(&app.pool, i64::from(page) * per_page, per_page).await?;
    Ok((items, page, total))
}

pub(super) async fn advance(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    step: JoinStep,
    draft: JoinDraft,
    prefix: Option<String>,
) -> HandlerResult {
    dialogue.update(State::Join(step, draft.clone())).await?;
    ask(bot, app, ctx, step, &draft, prefix).await
}

/// The phone a message gives: the user's own shared contact, a typed
/// number, or "Skip" (`None`); the error is what to tell the user.
pub fn phone_from(lang: Lang, msg: &Message) -> Result<Option<String>, String> {
    input::own(lang, msg)?;
    if let Some(contact) = msg.contact() {
        let own = contact
            .user_id
            .zip(msg.from.as_ref())
            .is_some_and(|(c, f)| c == f.id);
        if !own {
            return Err(t!(lang, "error-not-own-contact"));
        }
        return Ok(Some(contact_phone(&contact.phone_number)));
    }
    let Some(text) = msg.text() else {
        return Err(t!(lang, "error-expect-phone"));
    };
    // The button's word typed, in either language, in any case, accents
    // optional ("skip", "bỏ qua", "bo qua"): the keyboard may be hidden.
    let typed = crate::domain::membership::name_fold(text);
    let skip = Lang::ALL
        .iter()
        .any(|l| typed == crate::domain::membership::name_fold(&t!(*l, "button-skip")));
    if skip {
        Ok(None)
    } else {
        clean_phone(text)
            .map(Some)
            .ok_or_else(|| t!(lang, "error-expect-phone"))
    }
}

/// A message while joining.
pub async fn on_message(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (step, mut draft): (JoinStep, JoinDraft),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    match step {
        JoinStep::Name => match input::own_text(lang, &msg, clean_full_name) {
            Ok(name) => {
                draft.full_name = Some(name);
                advance(&bot, &app, &ctx, &dialogue, JoinStep::Phone, draft, None).await
            }
            Err(why) => ask(&bot, &app, &ctx, step, &draft, Some(why)).await,
        },
        JoinStep::Phone => {
            match phone_from(lang, &msg) {
                Ok(phone) => draft.phone = phone,
                Err(why) => return ask(&bot, &app, &ctx, step, &draft, Some(why)).await,
            }
            let noted = match &draft.phone {
                Some(phone) => t!(lang, "phone-noted", phone = phone.as_str()),
                None => t!(lang, "phone-skipped"),
            };
            send::with_markup(&bot, ctx.chat, noted, ReplyMarkup::kb_remove()).await?;
            // Introduced by a workplace: its name and the month are known.
            let next = if draft.workplace.is_some() && draft.introduced.is_some() {
                JoinStep::Confirm
            } else {
                JoinStep::Workplace
            };
            advance(&bot, &app, &ctx, &dialogue, next, draft, None).await
        }
        JoinStep::Workplace => {
            // Part of the name: the matches to choose from (the step stays);
            // anything else (no letter, no digit) shows the step again.
            let typed = msg.text().unwrap_or_default();
            if !typed.chars().any(char::is_alphanumeric) {
                return ask(
                    &bot,
                    &app,
                    &ctx,
                    step,
                    &draft,
                    Some(t!(lang, "error-expect-button")),
                )
                .await;
            }
            let (text, markup) = workplace_search(&app, lang, typed).await?;
            send::with_markup(&bot, ctx.chat, text, markup).await?;
            Ok(())
        }
        JoinStep::Confirm => {
            ask(
                &bot,
                &app,
                &ctx,
                step,
                &draft,
                Some(t!(lang, "error-expect-button")),
            )
            .await
        }
        JoinStep::WorkplaceOther => match input::own_text(lang, &msg, clean_workplace) {
            Ok(name) => {
                draft.workplace = Some(workplace_typed(&app, name).await?);
                advance(
                    &bot,
                    &app,
                    &ctx,
                    &dialogue,
                    JoinStep::Introduced,
                    draft,
                    None,
                )
                .await
            }
            Err(why) => ask(&bot, &app, &ctx, step, &draft, Some(why)).await,
        },
        JoinStep::Introduced => {
            if let Err(why) = input::own(lang, &msg) {
                return ask(&bot, &app, &ctx, step, &draft, Some(why)).await;
            }
            let Some(typed) = msg.text() else {
                let why = t!(lang, "error-expect-text");
                return ask(&bot, &app, &ctx, step, &draft, Some(why)).await;
            };
            // "This month" typed counts from the day it was written, as
            // Telegram stamped the message.
            let written = ctx.sent_at.with_timezone(&app.tz).date_naive();
            match parse_intro_month(typed, written) {
                Ok(month) => {
                    draft.introduced = Some(month.first_day());
                    advance(&bot, &app, &ctx, &dialogue, JoinStep::Confirm, draft, None).await
                }
                Err(problem) => {
                    let why = introduction::problem_text(&app, lang, problem, typed);
                    ask(&bot, &app, &ctx, step, &draft, Some(why)).await
                }
            }
        }
    }
}

/// A dialogue button while joining. Returns false if the button does not
/// belong to the current step (a stale button).
pub async fn on_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (step, mut draft): (JoinStep, JoinDraft),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    match (step, data) {
        (JoinStep::Workplace, CallbackData::Workplace(id)) => {
            let Some(w) = workplaces::get(&app.pool, id).await? else {
                return Ok(false);
            };
            send::ack(bot, q).await?;
            if let Some((chat, message)) = send::pressed_message(q) {
                send::settle(
                    bot,
                    chat,
                    message,
                    t!(lang, "workplace-chosen", workplace = w.name.as_str()),
                )
                .await;
            }
            draft.workplace = Some(WorkplaceChoice::Registered {
                id: w.id,
                name: w.name,
            });
            advance(bot, app, ctx, dialogue, JoinStep::Introduced, draft, None).await?;
        }
        (JoinStep::Introduced, CallbackData::IntroThisMonth(shown)) => {
            let Some(month) = shown else {
                // A button from before the month rode on it: the month it
                // showed is not known, so the question is asked again.
                send::ack(bot, q).await?;
                send::remove_buttons(bot, q).await;
                ask(bot, app, ctx, step, &draft, None).await?;
                return Ok(true);
            };
            // The month the button showed, checked as a typed one is (a
            // forged one may name any month).
            if let Err(problem) = check_intro_month(month, app.today()) {
                tracing::warn!(user = ctx.user_id(), %month, "intro month button refused");
                send::ack(bot, q).await?;
                let why = introduction::problem_text(app, lang, problem, &month.display());
                ask(bot, app, ctx, step, &draft, Some(why)).await?;
                return Ok(true);
            }
            send::ack(bot, q).await?;
            if let Some((chat, message)) = send::pressed_message(q) {
                send::settle(
                    bot,
                    chat,
                    message,
                    t!(lang, "intro-chosen", month = month.display()),
                )
                .await;
            }
            draft.introduced = Some(month.first_day());
            advance(bot, app, ctx, dialogue, JoinStep::Confirm, draft, None).await?;
        }
        (JoinStep::Workplace, CallbackData::WorkplacePage(page)) => {
            send::ack(bot, q).await?;
            draft.page = page;
            dialogue.update(State::Join(step, draft.clone())).await?;
            let (items, page, total) = workplace_page(app, page).await?;
            if let Some((chat, message)) = send::pressed_message(q) {
                send::edit_with(
                    bot,
                    chat,
                    message,
                    t!(lang, "ask-workplace"),
                    keyboards::workplaces(&items, page, total, lang),
                )
                .await;
            }
        }
        (JoinStep::Workplace, CallbackData::WorkplaceOther) => {
            send::ack(bot, q).await?;
            if let Some((chat, message)) = send::pressed_message(q) {
                send::settle(bot, chat, message, t!(lang, "workplace-other-chosen")).await;
            }
            advance(
                bot,
                app,
                ctx,
                dialogue,
                JoinStep::WorkplaceOther,
                draft,
                None,
            )
            .await?;
        }
        (JoinStep::Confirm, CallbackData::JoinCancel(_)) => {
            send::ack(bot, q).await?;
            let resumed = come_back(dialogue, draft.resume).await?;
            if let Some((chat, message)) = send::pressed_message(q) {
                let text = with_resumed(lang, t!(lang, "join-cancelled"), resumed);
                send::settle(bot, chat, message, text).await;
            }
        }
        (JoinStep::Confirm, CallbackData::JoinConfirm(_)) => {
            send::ack(bot, q).await?;
            confirm(bot, app, ctx, dialogue, q, draft).await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

async fn confirm(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    draft: JoinDraft,
) -> HandlerResult {
    let lang = ctx.lang;
    let (Some(full_name), Some(workplace)) = (draft.full_name.as_deref(), draft.workplace.as_ref())
    else {
        // A draft missing a step cannot be confirmed: go back to the start.
        return advance(bot, app, ctx, dialogue, JoinStep::Name, draft.clone(), None).await;
    };
    // The request ends the join, back to the dialogue the link
    // interrupted, if any.
    let then = coming_back(ctx.chat, draft.resume.as_deref());
    let outcome = memberships::request(
        &app.pool,
        NewRequest {
            token: &draft.token,
            user_id: ctx.user_id(),
            cell_id: draft.cell_id,
            invite_id: draft.invite_id,
            opened_at: draft.opened_at,
            full_name,
            phone: draft.phone.as_deref(),
            workplace,
            moved_from: draft.moved_from,
            introduced_on: draft.introduced,
            introduction_id: draft.introduction_id,
            // The summary's Confirm, pressed again once this is stored, is
            // told it was sent (`already_sent`).
            confirm_tag: ctx.state.step_tag(),
        },
        (app.now(), &then),
        decisions::join_card_notices,
    )
    .await?;
    // The dialogue ended with the request's transaction.
    app.wake_sender();
    let cell_name = cells::get(&app.pool, draft.cell_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let own = super::roles::on_committee(app, ctx.user_id(), draft.cell_id).await?;
    let reply = match outcome {
        // Nobody decides their own request: it went to the deputy or the
        // ward's supervisors.
        RequestOutcome::Created { secretary_told, .. } if own => {
            if secretary_told {
                t!(lang, "role-own-join-sent", cell = cell_name.as_str())
            } else {
                t!(lang, "role-own-join-waits", cell = cell_name.as_str())
            }
        }
        RequestOutcome::Created {
            secretary_told: true,
            ..
        } => t!(lang, "join-sent", cell = cell_name.as_str()),
        RequestOutcome::Created {
            secretary_told: false,
            ..
        } => t!(lang, "join-sent-no-secretary", cell = cell_name.as_str()),
        // Stored by an earlier press of this Confirm: nothing sent again.
        RequestOutcome::Duplicate(id) => match memberships::get(&app.pool, id).await? {
            Some(m) => already_sent_text(app, lang, &m.cell_name, m.requested_at),
            None => t!(lang, "join-sent", cell = cell_name.as_str()),
        },
        RequestOutcome::IntroductionUsed => t!(lang, "introduce-used"),
        RequestOutcome::IntroductionWithdrawn => t!(lang, "introduce-revoked"),
        RequestOutcome::IntroductionExpired => t!(lang, "introduce-expired"),
        RequestOutcome::CellGone => t!(lang, "join-cell-gone"),
        RequestOutcome::InviteGone(problem) => {
            invite_problem_text(lang, problem, Some(InviteKind::Member))
        }
        RequestOutcome::AlreadyActive => {
            match memberships::active_for_user(&app.pool, ctx.user_id()).await? {
                Some(active) => t!(lang, "join-other-cell", cell = active.cell_name.as_str()),
                // The membership moved from ended while the summary was open.
                None => match ended_meanwhile(app, ctx, draft.moved_from).await? {
                    Some(text) => text,
                    None => t!(lang, "join-other-cell", cell = cell_name.as_str()),
                },
            }
        }
    };
    let reply = with_resumed(lang, reply, draft.resume.is_some());
    if let Some((chat, message)) = send::pressed_message(q) {
        send::settle(bot, chat, message, reply).await;
    } else {
        send::text(bot, ctx.chat, reply).await?;
    }
    Ok(())
}

/// The join summary's Confirm of `tag` pressed once the request it sent
/// is stored (pressed twice, or again after a crash before the answer;
/// the dialogue ended with the request): said that it was sent, on which
/// day at what time, and that nothing was sent again; the summary loses its
/// buttons. Returns whether it was that.
pub async fn already_sent(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    tag: u32,
) -> anyhow::Result<bool> {
    let Some((cell, at)) = memberships::confirmed_with_tag(&app.pool, ctx.user_id(), tag).await?
    else {
        return Ok(false);
    };
    tracing::info!(
        user = ctx.user_id(),
        "a join request's Confirm pressed again"
    );
    send::alert(bot, q, already_sent_text(app, ctx.lang, &cell, at)).await?;
    send::remove_buttons(bot, q).await;
    Ok(true)
}

/// "Your request to join CELL was already sent on DATE at TIME; nothing
/// was sent again."
fn already_sent_text(
    app: &App,
    lang: Lang,
    cell: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    let local = at.with_timezone(&app.tz);
    let date = crate::domain::dates::format_dmy(local.date_naive());
    let time = local.format("%H:%M").to_string();
    t!(
        lang,
        "join-already-sent",
        cell = cell,
        date = date.as_str(),
        at = time.as_str()
    )
}

/// A link opened while the user's request to join (or move to) another
/// cell waits: said so, with a button to withdraw it (sent to the wrong
/// cell), after which the link opened again goes ahead.
async fn offer_withdraw(bot: &Bot, ctx: &Ctx, waiting: &Membership) -> HandlerResult {
    let lang = ctx.lang;
    let text = t!(
        lang,
        "join-pending-elsewhere",
        cell = waiting.cell_name.as_str()
    );
    let keyboard = InlineKeyboardMarkup::new(vec![vec![keyboards::button(
        t!(lang, "join-withdraw-button"),
        CallbackData::JoinWithdraw(waiting.id),
    )]]);
    send::with_markup(bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

/// `text` about the user's request `request` that waits, with the button
/// to withdraw it.
pub async fn tell_waiting(bot: &Bot, ctx: &Ctx, text: String, request: i64) -> HandlerResult {
    let keyboard = InlineKeyboardMarkup::new(vec![vec![keyboards::button(
        t!(ctx.lang, "join-withdraw-button"),
        CallbackData::JoinWithdraw(request),
    )]]);
    send::with_markup(bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

/// Withdraw, under [`offer_withdraw`]'s answer: the presser's own request
/// (re-checked in the withdrawal's transaction); the cards that show it are
/// settled as withdrawn.
pub async fn on_withdraw(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    let Some(m) = memberships::withdraw(&app.pool, id, ctx.user_id(), app.now()).await? else {
        send::remove_buttons(&bot, &q).await;
        send::alert(&bot, &q, t!(lang, "join-withdraw-gone")).await?;
        return Ok(());
    };
    send::ack(&bot, &q).await?;
    let text = t!(lang, "join-withdrawn", cell = m.cell_name.as_str());
    send::settle_pressed(&bot, &q, text).await;
    decisions::settle_withdrawn_join(&bot, &app, &m).await?;
    Ok(())
}

/// What a member, or one whose request (to join or to move) waits, of
/// `cell` is told when they open one of its links again.
pub async fn already_in(app: &App, ctx: &Ctx, cell: i64) -> anyhow::Result<Option<String>> {
    let active = memberships::active_for_user(&app.pool, ctx.user_id()).await?;
    let pending = memberships::pending_for_user(&app.pool, ctx.user_id()).await?;
    Ok(match (active, pending) {
        (Some(m), _) if m.cell_id == cell && m.status() == MembershipStatus::Approved => Some(t!(
            ctx.lang,
            "join-already-member",
            cell = m.cell_name.as_str()
        )),
        (_, Some(p)) if p.cell_id == cell => Some(t!(
            ctx.lang,
            "join-already-pending",
            cell = p.cell_name.as_str()
        )),
        _ => None,
    })
}

/// A move whose membership moved from was ended (by its secretary) while
/// the member was deciding: they belong to no cell now, and the link opened
/// again makes a plain join.
async fn ended_meanwhile(
    app: &App,
    ctx: &Ctx,
    from: Option<i64>,
) -> anyhow::Result<Option<String>> {
    let Some(from) = from else { return Ok(None) };
    let ended = memberships::get(&app.pool, from)
        .await?
        .filter(|m| m.user_id == ctx.user_id() && m.status() == MembershipStatus::Left);
    Ok(ended.map(|m| t!(ctx.lang, "move-old-ended", from = m.cell_name.as_str())))
}

// ------------------------------------------------ officers and supervisors

/// `/start CODE` with an officer or supervisor invite: single use, takes
/// effect at once.
pub async fn take_role(bot: &Bot, app: &App, ctx: &Ctx, invite: &Invite) -> HandlerResult {
    let now = app.now();
    let change = committee::Change {
        actor: Some(ctx.user_id()),
        invite: Some(invite.id),
    };
    let mut tx = crate::store::tx::begin(&app.pool).await?;
    if let Err(problem) = invites::mark_used(&mut tx, invite.id, ctx.user_id(), (now, None)).await?
    {
        drop(tx);
        let text = invite_problem_text(ctx.lang, problem, Some(invite.kind()));
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    // The workplace or ward the code admits to, if it is still there. One
    // who holds the role already leaves the code unused, for whom it was
    // meant.
    let taken = match (invite.workplace_id, invite.ward_id) {
        (Some(workplace), _) => match workplaces::get(&app.pool, workplace).await? {
            None => None,
            Some(w) => {
                let place = w.name.as_str();
                Some(
                    if workplaces::add_officer(&mut tx, w.id, ctx.user_id(), now).await? {
                        let role = committee::Role::Officer { workplace: w.id };
                        committee::audit_role(&mut tx, ctx.user_id(), role, true, change, now)
                            .await?;
                        Ok(t!(ctx.lang, "officer-confirmed", workplace = place))
                    } else {
                        Err(t!(ctx.lang, "role-already-held", place = place))
                    },
                )
            }
        },
        (None, Some(ward)) => {
            let Some(w) = wards::get(&app.pool, ward).await? else {
                return gone(bot, ctx, tx, invite).await;
            };
            let place = w.name.as_str();
            Some(if invite.kind() == InviteKind::WardAdmin {
                if wards::add_admin(&mut tx, w.id, ctx.user_id(), now).await? {
                    let role = committee::Role::WardAdmin { ward: w.id };
                    committee::audit_role(&mut tx, ctx.user_id(), role, true, change, now).await?;
                    Ok(t!(ctx.lang, "ward-admin-confirmed", ward = place))
                } else {
                    Err(t!(ctx.lang, "role-already-held", place = place))
                }
            } else if wards::add_supervisor(&mut tx, w.id, ctx.user_id(), now).await? {
                let role = committee::Role::Supervisor { ward: w.id };
                committee::audit_role(&mut tx, ctx.user_id(), role, true, change, now).await?;
                Ok(t!(ctx.lang, "supervisor-confirmed", ward = place))
            } else {
                Err(t!(ctx.lang, "role-already-held", place = place))
            })
        }
        _ => None,
    };
    let text = match taken {
        None => return gone(bot, ctx, tx, invite).await,
        Some(Err(already)) => {
            drop(tx);
            send::text(bot, ctx.chat, already).await?;
            return Ok(());
        }
        Some(Ok(text)) => text,
    };
    tx.commit().await?;
    tracing::info!(user = ctx.user_id(), kind = invite.kind, "role taken");
    let roles = roles(app, ctx.user_id()).await?;
    send::text(
        bot,
        ctx.chat,
        format!("{text}\n\n{}", help_text(ctx.lang, roles)),
    )
    .await?;
    // A new supervisor finds what already waits for them (a secretary's
    // own join or report recorded while the ward had nobody to decide it).
    if invite.kind() == InviteKind::Supervisor {
        super::reach::tell_what_waits(bot, app, ctx).await?;
    }
    if let Err(err) = menus::refresh_for_user(bot, app, ctx.user_id(), ctx.lang).await {
        tracing::warn!(%err, "could not set the menu");
    }
    Ok(())
}

/// A role code whose workplace or ward is no longer there: nothing taken,
/// and the holder told so.
async fn gone(bot: &Bot, ctx: &Ctx, tx: crate::store::tx::Tx, invite: &Invite) -> HandlerResult {
    drop(tx);
    let text = invite_problem_text(ctx.lang, InviteProblem::Unknown, Some(invite.kind()));
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

pub fn invite_problem_text(lang: Lang, problem: InviteProblem, kind: Option<InviteKind>) -> String {
    let why = match problem {
        InviteProblem::Unknown => t!(lang, "invite-unknown"),
        InviteProblem::Used => t!(lang, "invite-used"),
        InviteProblem::Revoked => t!(lang, "invite-revoked"),
        InviteProblem::Expired => t!(lang, "invite-expired"),
    };
    let whom = match kind {
        Some(
            InviteKind::Secretary
            | InviteKind::Officer
            | InviteKind::Supervisor
            | InviteKind::WardAdmin,
        ) => t!(lang, "invite-ask-ward"),
        Some(InviteKind::Member | InviteKind::Deputy) => t!(lang, "invite-ask-secretary"),
        None => t!(lang, "invite-ask-either"),
    };
    format!("{why}\n{whom}")
}
