//! The report dialogue: kind → date → description → photos → submit.

use chrono::Duration;
use teloxide::{
    prelude::*,
    types::{CallbackQuery, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    decisions, input, keyboards,
    state::{ReportDraft, ReportStep, State, new_token},
};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        dates::{DateError, check_report_date, format_dmy, parse_report_date},
        membership::{MembershipStatus, TextError},
        report::{MAX_PHOTOS, clean_description},
    },
    store::{kinds, memberships, reports},
    t,
};

fn date_problem(lang: Lang, err: DateError) -> String {
    match err {
        DateError::Format => t!(lang, "error-date-format"),
        DateError::Impossible => t!(lang, "error-date-impossible"),
        DateError::Future => t!(lang, "error-date-future"),
        DateError::TooOld { earliest } => {
            t!(lang, "error-date-too-old", earliest = format_dmy(earliest))
        }
    }
}

fn description_problem(lang: Lang, err: TextError) -> String {
    match err {
        TextError::Empty => t!(lang, "error-description-empty"),
        TextError::TooLong { max } => t!(lang, "error-description-too-long", max = max),
    }
}

/// `/report`: only approved members may report.
pub async fn start(bot: &Bot, app: &App, ctx: &Ctx, dialogue: &Dialogue) -> HandlerResult {
    let membership = memberships::active_for_user(&app.pool, ctx.user_id()).await?;
    let membership = match membership {
        Some(m) if m.status() == MembershipStatus::Approved => m,
        Some(m) => {
            send::text(
                bot,
                ctx.chat,
                t!(
                    ctx.lang,
                    "report-wait-approval",
                    cell = m.cell_name.as_str()
                ),
            )
            .await?;
            return Ok(());
        }
        None => {
            send::text(bot, ctx.chat, t!(ctx.lang, "not-joined")).await?;
            return Ok(());
        }
    };
    let draft = ReportDraft {
        token: new_token(),
        membership_id: membership.id,
        cell_id: membership.cell_id,
        kind_id: None,
        date: None,
        description: None,
        photos: Vec::new(),
        media_group: None,
    };
    advance(bot, app, ctx, dialogue, ReportStep::Kind, draft, None).await
}

/// Asks for the step's input, after `prefix` (an error, usually).
pub async fn ask(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    step: ReportStep,
    draft: &ReportDraft,
    prefix: Option<String>,
) -> HandlerResult {
    let lang = ctx.lang;
    let with_prefix = |text: String| match &prefix {
        Some(p) => format!("{p}\n\n{text}"),
        None => text,
    };
    match step {
        ReportStep::Kind => {
            let kinds = kinds::active(&app.pool).await?;
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(t!(lang, "ask-kind")),
                keyboards::kinds(&kinds, lang),
            )
            .await?;
        }
        ReportStep::Date => {
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(t!(lang, "ask-date")),
                keyboards::dates(lang),
            )
            .await?;
        }
        ReportStep::Description => {
            send::text(bot, ctx.chat, with_prefix(t!(lang, "ask-description"))).await?;
        }
        ReportStep::Photos => {
            let text = if draft.photos.is_empty() {
                t!(lang, "ask-photos")
            } else {
                t!(lang, "photos-received", count = draft.photos.len())
            };
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(text),
                keyboards::photos(lang, !draft.photos.is_empty()),
            )
            .await?;
        }
        ReportStep::Confirm => {
            let kind = match draft.kind_id {
                Some(id) => kinds::get(&app.pool, id)
                    .await?
                    .map(|k| k.name(lang).to_string()),
                None => None,
            };
            let summary = t!(
                lang,
                "report-summary",
                kind = kind.unwrap_or_default(),
                date = draft.date.map(format_dmy).unwrap_or_default(),
                description = draft.description.clone().unwrap_or_default(),
                photos = draft.photos.len()
            );
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(summary),
                keyboards::report_confirm(lang),
            )
            .await?;
        }
    }
    Ok(())
}

async fn advance(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    step: ReportStep,
    draft: ReportDraft,
    prefix: Option<String>,
) -> HandlerResult {
    dialogue.update(State::Report(step, draft.clone())).await?;
    ask(bot, app, ctx, step, &draft, prefix).await
}

/// A message while reporting.
pub async fn on_message(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (step, mut draft): (ReportStep, ReportDraft),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    match step {
        ReportStep::Kind | ReportStep::Confirm => {
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
        ReportStep::Date => {
            let Some(text) = msg.text() else {
                return ask(
                    &bot,
                    &app,
                    &ctx,
                    step,
                    &draft,
                    Some(t!(lang, "error-expect-date")),
                )
                .await;
            };
            match parse_report_date(text, app.today()) {
                Ok(date) => {
                    draft.date = Some(date);
                    advance(
                        &bot,
                        &app,
                        &ctx,
                        &dialogue,
                        ReportStep::Description,
                        draft,
                        None,
                    )
                    .await
                }
                Err(err) => {
                    ask(
                        &bot,
                        &app,
                        &ctx,
                        step,
                        &draft,
                        Some(date_problem(lang, err)),
                    )
                    .await
                }
            }
        }
        ReportStep::Description => {
            match input::text_explained(lang, &msg, clean_description, description_problem) {
                Ok(text) => {
                    draft.description = Some(text);
                    advance(&bot, &app, &ctx, &dialogue, ReportStep::Photos, draft, None).await
                }
                Err(why) => ask(&bot, &app, &ctx, step, &draft, Some(why)).await,
            }
        }
        ReportStep::Photos => {
            let Some(sizes) = msg.photo() else {
                return ask(
                    &bot,
                    &app,
                    &ctx,
                    step,
                    &draft,
                    Some(t!(lang, "error-expect-photo")),
                )
                .await;
            };
            let Some(largest) = sizes.iter().max_by_key(|s| s.width * s.height) else {
                return ask(
                    &bot,
                    &app,
                    &ctx,
                    step,
                    &draft,
                    Some(t!(lang, "error-expect-photo")),
                )
                .await;
            };
            if draft.photos.len() >= MAX_PHOTOS {
                return ask(
                    &bot,
                    &app,
                    &ctx,
                    step,
                    &draft,
                    Some(t!(lang, "error-too-many-photos", max = MAX_PHOTOS)),
                )
                .await;
            }
            let file_id = largest.file.id.0.clone();
            if !draft.photos.contains(&file_id) {
                draft.photos.push(file_id);
            }
            // An album arrives as one message per photo: acknowledge it once.
            let group = msg.media_group_id().map(|g| g.0.clone());
            let same_album = group.is_some() && group == draft.media_group;
            draft.media_group = group;
            dialogue.update(State::Report(step, draft.clone())).await?;
            if !same_album {
                ask(&bot, &app, &ctx, step, &draft, None).await?;
            }
            Ok(())
        }
    }
}

/// A dialogue button while reporting. Returns false for a stale button.
pub async fn on_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (step, mut draft): (ReportStep, ReportDraft),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    let pressed = send::pressed_message(q);
    match (step, data) {
        (ReportStep::Kind, CallbackData::Kind(id)) => {
            let Some(kind) = kinds::get(&app.pool, id).await? else {
                return Ok(false);
            };
            send::ack(bot, q).await?;
            if let Some((chat, message)) = pressed {
                send::settle(
                    bot,
                    chat,
                    message,
                    t!(lang, "kind-chosen", kind = kind.name(lang)),
                )
                .await;
            }
            draft.kind_id = Some(kind.id);
            advance(bot, app, ctx, dialogue, ReportStep::Date, draft, None).await?;
        }
        (ReportStep::Date, CallbackData::DateToday | CallbackData::DateYesterday) => {
            let today = app.today();
            let date = if data == CallbackData::DateToday {
                today
            } else {
                today - Duration::days(1)
            };
            let date = check_report_date(date, today).unwrap_or(today);
            send::ack(bot, q).await?;
            if let Some((chat, message)) = pressed {
                send::settle(
                    bot,
                    chat,
                    message,
                    t!(lang, "date-chosen", date = format_dmy(date)),
                )
                .await;
            }
            draft.date = Some(date);
            advance(
                bot,
                app,
                ctx,
                dialogue,
                ReportStep::Description,
                draft,
                None,
            )
            .await?;
        }
        (ReportStep::Photos, CallbackData::PhotosDone) => {
            send::ack(bot, q).await?;
            if let Some((chat, message)) = pressed {
                send::settle(
                    bot,
                    chat,
                    message,
                    t!(lang, "photos-received", count = draft.photos.len()),
                )
                .await;
            }
            draft.media_group = None;
            advance(bot, app, ctx, dialogue, ReportStep::Confirm, draft, None).await?;
        }
        (ReportStep::Confirm, CallbackData::ReportCancel) => {
            send::ack(bot, q).await?;
            dialogue.exit().await?;
            if let Some((chat, message)) = pressed {
                send::settle(bot, chat, message, t!(lang, "report-cancelled")).await;
            }
        }
        (ReportStep::Confirm, CallbackData::ReportSubmit) => {
            send::ack(bot, q).await?;
            submit(bot, app, ctx, dialogue, q, draft).await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

async fn submit(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    draft: ReportDraft,
) -> HandlerResult {
    let lang = ctx.lang;
    let (Some(kind_id), Some(date), Some(description)) =
        (draft.kind_id, draft.date, draft.description.as_deref())
    else {
        return advance(
            bot,
            app,
            ctx,
            dialogue,
            ReportStep::Kind,
            draft.clone(),
            None,
        )
        .await;
    };
    // Membership may have ended while the dialogue was open.
    let active = memberships::active_for_user(&app.pool, ctx.user_id()).await?;
    if !active
        .is_some_and(|m| m.id == draft.membership_id && m.status() == MembershipStatus::Approved)
    {
        dialogue.exit().await?;
        send::text(bot, ctx.chat, t!(lang, "not-joined")).await?;
        return Ok(());
    }
    let submitted = reports::submit(
        &app.pool,
        reports::NewReport {
            token: &draft.token,
            membership_id: draft.membership_id,
            user_id: ctx.user_id(),
            cell_id: draft.cell_id,
            kind_id,
            activity_date: date,
            description,
            photos: &draft.photos,
        },
        app.now(),
        decisions::report_card_notices,
    )
    .await?;
    app.wake_sender();
    dialogue.exit().await?;
    let id = submitted.id;
    let own = super::roles::on_committee(app, ctx.user_id(), draft.cell_id).await?;
    let reply = match (own, submitted.secretary_told) {
        // Nobody decides their own report: it went to the deputy or the
        // ward's supervisors.
        (true, true) => t!(lang, "role-own-report-sent", id = id),
        (true, false) => t!(lang, "role-own-report-waits", id = id),
        (false, true) => t!(lang, "report-submitted", id = id),
        (false, false) => t!(lang, "report-submitted-no-secretary", id = id),
    };
    if let Some((chat, message)) = send::pressed_message(q) {
        let summary = q
            .regular_message()
            .and_then(|m| m.text())
            .unwrap_or_default();
        send::settle(bot, chat, message, format!("{summary}\n\n{reply}")).await;
    } else {
        send::text(bot, ctx.chat, reply).await?;
    }
    Ok(())
}
