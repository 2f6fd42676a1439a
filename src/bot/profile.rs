//! /profile: a member sees their details and changes their phone and
//! workplace (chosen with the join dialogue's picker). A change of
//! workplace is kept, audited, and shown to the officers of both
//! workplaces in /status.

use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, Message, ReplyMarkup},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    input, join, keyboards,
    state::{State, come_back, coming_back, with_resumed},
};
use crate::telegram::{callback_data::CallbackData, send};
use crate::{
    domain::{
        Lang,
        dates::format_dmy,
        membership::{MembershipStatus, WorkplaceChoice, clean_workplace},
    },
    store::{
        memberships::{self, Membership},
        workplaces,
    },
    t,
};

/// The user's approved membership, if any.
async fn membership(app: &App, user_id: i64) -> anyhow::Result<Option<Membership>> {
    Ok(memberships::active_for_user(&app.pool, user_id)
        .await?
        .filter(|m| m.status() == MembershipStatus::Approved))
}

fn keyboard(lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        keyboards::button(t!(lang, "profile-button-phone"), CallbackData::ProfilePhone),
        keyboards::button(
            t!(lang, "profile-button-workplace"),
            CallbackData::ProfileWorkplace,
        ),
    ]])
}

/// `/profile`: the member's details with the buttons to change them.
pub async fn show(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let Some(m) = membership(app, ctx.user_id()).await? else {
        return refuse(bot, app, ctx).await;
    };
    let dash = || t!(lang, "not-given");
    let text = t!(
        lang,
        "profile-text",
        name = m.full_name.as_str(),
        cell = m.cell_name.as_str(),
        phone = m.phone.clone().unwrap_or_else(dash),
        workplace = m.workplace_name.clone().unwrap_or_else(dash)
    );
    send::with_markup(bot, ctx.chat, text, keyboard(lang)).await?;
    Ok(())
}

/// `/profile` from one who is no member now, and what they can do: their
/// join waits for the secretary (in which cell); their membership ended
/// (where, since when); they never joined (how to join); or, holding
/// another role, where their commands are.
async fn refuse(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let refused = t!(lang, "profile-not-member");
    // Not approved (read just now): a join that waits.
    let text = match memberships::active_for_user(&app.pool, ctx.user_id()).await? {
        Some(waiting) => format!(
            "{refused}\n\n{}",
            t!(
                lang,
                "profile-wait-approval",
                cell = waiting.cell_name.as_str()
            )
        ),
        None => ctx.refusal(app, refused).await?,
    };
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

/// "Change phone" / "Change workplace" under /profile.
pub async fn on_button(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    data: CallbackData,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(m) = membership(&app, ctx.user_id()).await? else {
        // A membership ended since /profile was shown: said so, and when.
        let why = match super::roles::membership_ended(&app, ctx.user_id()).await? {
            Some(ended) => t!(
                lang,
                "profile-membership-ended",
                cell = ended.cell.as_str(),
                date = ended.date.as_str()
            ),
            // Never a member: a forged press, or another's message.
            None => t!(lang, "not-allowed"),
        };
        return Ok(send::alert(&bot, &q, why).await?);
    };
    // A report (or any dialogue) under way is kept, and comes back once
    // the change is made or given up.
    let resume = ctx.state.clone().interrupted_for(|s| {
        matches!(
            s,
            State::ProfilePhone { .. }
                | State::ProfileWorkplace { .. }
                | State::ProfileWorkplaceOther { .. }
        )
    });
    let asking = if data == CallbackData::ProfilePhone {
        State::ProfilePhone {
            membership_id: m.id,
            resume,
        }
    } else {
        State::ProfileWorkplace {
            membership_id: m.id,
            page: 0,
            resume,
        }
    };
    if super::commands::asked_already(&bot, &app, &ctx, &q, &asking).await? {
        send::remove_buttons(&bot, &q).await;
        return Ok(());
    }
    // (A phone typed for an earlier change is of a question that is over:
    // `asked_already` marks it so.)
    send::ack(&bot, &q).await?;
    send::remove_buttons(&bot, &q).await;
    dialogue.update(asking).await?;
    if data == CallbackData::ProfilePhone {
        send::with_markup(
            &bot,
            ctx.chat,
            t!(lang, "profile-ask-phone"),
            keyboards::profile_phone(lang),
        )
        .await?;
    } else {
        let (question, markup) = join::workplace_question(&app, lang, 0).await?;
        send::with_markup(&bot, ctx.chat, question, markup).await?;
    }
    Ok(())
}

/// What the phone question's buttons (or the same words typed, in either
/// language) say.
enum PhoneAnswer {
    Keep,
    Remove,
}

fn phone_answer(msg: &Message) -> Option<PhoneAnswer> {
    // In either language, in any case, accents optional.
    let text = crate::domain::membership::name_fold(msg.text()?);
    let in_any = |label: fn(Lang) -> String| {
        Lang::ALL
            .iter()
            .any(|l| text == crate::domain::membership::name_fold(&label(*l)))
    };
    if in_any(|l| t!(l, "button-phone-keep")) || in_any(|l| t!(l, "button-skip")) {
        Some(PhoneAnswer::Keep)
    } else if in_any(|l| t!(l, "button-phone-remove")) {
        Some(PhoneAnswer::Remove)
    } else {
        None
    }
}

/// The new phone (shared contact or typed), Remove, or Keep (also Skip:
/// nothing changes).
pub async fn on_phone(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (membership_id, resume): (i64, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let phone = match phone_answer(&msg) {
        Some(PhoneAnswer::Keep) => {
            let resumed = come_back(&dialogue, resume).await?;
            let text = with_resumed(lang, t!(lang, "profile-phone-kept"), resumed);
            send::with_markup(&bot, ctx.chat, text, ReplyMarkup::kb_remove()).await?;
            return Ok(());
        }
        Some(PhoneAnswer::Remove) => None,
        None => match join::phone_from(lang, &msg) {
            Ok(Some(phone)) => Some(phone),
            answer => {
                // Someone else's contact or words say so; anything else is no number
                // (the question after it names the buttons there are).
                let why = match answer {
                    Err(why) if msg.contact().is_some() || msg.forward_origin().is_some() => why,
                    _ => t!(lang, "profile-error-phone"),
                };
                let text = format!("{why}\n\n{}", t!(lang, "profile-ask-phone"));
                let keyboard = keyboards::profile_phone(lang);
                send::with_markup(&bot, ctx.chat, text, keyboard).await?;
                return Ok(());
            }
        },
    };
    // Saved, the question ended with it (back to the dialogue it
    // interrupted).
    let then = coming_back(ctx.chat, resume.as_deref());
    let saved = memberships::set_phone(
        &app.pool,
        membership_id,
        ctx.user_id(),
        phone.as_deref(),
        (app.now(), &then),
    )
    .await?;
    let resumed = if saved {
        resume.is_some()
    } else {
        come_back(&dialogue, resume).await?
    };
    let text = match (saved, &phone) {
        (false, _) => t!(lang, "profile-not-member"),
        (true, Some(phone)) => t!(lang, "profile-phone-saved", phone = phone.as_str()),
        (true, None) => t!(lang, "profile-phone-removed"),
    };
    let text = with_resumed(lang, text, resumed);
    send::with_markup(&bot, ctx.chat, text, ReplyMarkup::kb_remove()).await?;
    Ok(())
}

async fn save_workplace(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    (membership_id, resume): (i64, Option<Box<State>>),
    choice: WorkplaceChoice,
) -> HandlerResult {
    let lang = ctx.lang;
    // Saved, the question ended with it (back to the dialogue it
    // interrupted).
    let then = coming_back(ctx.chat, resume.as_deref());
    let saved = memberships::set_workplace(
        &app.pool,
        membership_id,
        ctx.user_id(),
        &choice,
        (app.now(), &then),
    )
    .await?;
    let resumed = if saved {
        resume.is_some()
    } else {
        come_back(dialogue, resume).await?
    };
    let text = if saved {
        tracing::info!(user = ctx.user_id(), membership_id, "workplace changed");
        t!(lang, "profile-workplace-saved", workplace = choice.name())
    } else if memberships::profile_target(&app.pool, membership_id, ctx.user_id())
        .await?
        .is_some()
    {
        t!(lang, "profile-workplace-same")
    } else {
        t!(lang, "profile-not-member")
    };
    send::text(bot, ctx.chat, with_resumed(lang, text, resumed)).await?;
    Ok(())
}

/// The picker's buttons (a workplace, another page, "Other…"). Returns
/// false for a stale button.
pub async fn on_workplace_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (membership_id, resume): (i64, Option<Box<State>>),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    match data {
        CallbackData::Workplace(id) => {
            let Some(w) = workplaces::get(&app.pool, id).await? else {
                return Ok(false);
            };
            send::ack(bot, q).await?;
            send::settle_pressed(
                bot,
                q,
                t!(lang, "workplace-chosen", workplace = w.name.as_str()),
            )
            .await;
            let choice = WorkplaceChoice::Registered {
                id: w.id,
                name: w.name,
            };
            save_workplace(bot, app, ctx, dialogue, (membership_id, resume), choice).await?;
        }
        CallbackData::WorkplacePage(page) => {
            send::ack(bot, q).await?;
            dialogue
                .update(State::ProfileWorkplace {
                    membership_id,
                    page,
                    resume,
                })
                .await?;
            let (question, markup) = join::workplace_question(app, lang, page).await?;
            send::edit_pressed(bot, q, question, markup).await;
        }
        CallbackData::WorkplaceOther => {
            send::ack(bot, q).await?;
            send::settle_pressed(bot, q, t!(lang, "workplace-other-chosen")).await;
            let asking = State::ProfileWorkplaceOther {
                membership_id,
                resume,
            };
            // A workplace typed for an earlier change is of one that is over.
            app.answers_over(ctx.chat.0, asking.answer_key());
            dialogue.update(asking).await?;
            send::text(bot, ctx.chat, t!(lang, "ask-workplace-name")).await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Text at the workplace picker: part of a registered workplace's name,
/// whose matches are offered (the picker stays open).
pub async fn on_workplace_search(bot: Bot, app: App, ctx: Ctx, msg: Message) -> HandlerResult {
    let lang = ctx.lang;
    let typed = msg.text().unwrap_or_default();
    if !typed.chars().any(char::is_alphanumeric) {
        send::text(&bot, ctx.chat, t!(lang, "error-expect-button")).await?;
        return Ok(());
    }
    let (text, markup) = join::workplace_search(&app, lang, typed).await?;
    send::with_markup(&bot, ctx.chat, text, markup).await?;
    Ok(())
}

/// The typed name of an unregistered workplace.
pub async fn on_workplace_name(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (membership_id, resume): (i64, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    match input::own_text(lang, &msg, clean_workplace) {
        Ok(name) => {
            let choice = join::workplace_typed(&app, name).await?;
            let question = (membership_id, resume);
            save_workplace(&bot, &app, &ctx, &dialogue, question, choice).await
        }
        Err(why) => {
            let ask = t!(lang, "ask-workplace-name");
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            Ok(())
        }
    }
}

/// The lines /status adds for a workplace: members who moved out of it
/// ("moved to … on …") or into it ("came from …") since `since`.
pub async fn status_moves(
    app: &App,
    lang: Lang,
    workplace_id: i64,
    year: (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
    header: String,
) -> anyhow::Result<Vec<String>> {
    let moves = memberships::workplace_moves(&app.pool, workplace_id, year).await?;
    if moves.is_empty() {
        return Ok(Vec::new());
    }
    let dash = || t!(lang, "not-given");
    let mut lines = vec![header];
    for mv in moves {
        let date = format_dmy(mv.changed_at.with_timezone(&app.tz).date_naive());
        let (name, cell) = (mv.full_name.as_str(), mv.cell_name.as_str());
        let line = if mv.arrived {
            let workplace = mv.from_name.clone().unwrap_or_else(dash);
            t!(
                lang,
                "profile-moved-in",
                name = name,
                cell = cell,
                workplace = workplace,
                date = date
            )
        } else {
            let workplace = mv.to_name.clone().unwrap_or_else(dash);
            t!(
                lang,
                "profile-moved-out",
                name = name,
                cell = cell,
                workplace = workplace,
                date = date
            )
        };
        lines.push(line);
    }
    Ok(lines)
}
