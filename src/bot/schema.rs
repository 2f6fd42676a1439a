//! The whole handler tree, in one place.

use teloxide::{
    dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler},
    prelude::*,
    types::{CallbackQuery, Update},
};

use super::{
    App, Dialogue, DialogueStorage, HandlerResult, announce,
    callback_data::CallbackData,
    commands::{self, Command},
    context::{self, Ctx},
    decisions, join, menus, report, send, sheets,
    state::State,
    views,
};
use crate::{domain::report::Decision, store, t};

/// The dptree handler tree of the bot.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    use dptree::case;

    let messages = Update::filter_message()
        .filter_map_async(context::from_message)
        .enter_dialogue::<Message, DialogueStorage, State>()
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .endpoint(commands::on_command),
        )
        .branch(
            dptree::filter(|msg: Message| commands::looks_like_command(&msg))
                .endpoint(commands::unknown),
        )
        .branch(case![State::SecretaryName { invite_id }].endpoint(join::secretary_name))
        .branch(case![State::Join(step, draft)].endpoint(join::on_message))
        .branch(case![State::Report(step, draft)].endpoint(report::on_message))
        .branch(
            case![State::RejectReason { report_id, resume }].endpoint(decisions::on_reject_reason),
        )
        .branch(case![State::AnnounceText].endpoint(announce::on_text))
        .branch(case![State::AnnounceConfirm { token, text }].endpoint(commands::expect_button))
        .branch(case![State::SheetRemarks { sheet_id }].endpoint(sheets::on_remarks))
        .branch(case![State::SheetResponse { sheet_id }].endpoint(sheets::on_response))
        .branch(case![State::Idle].endpoint(commands::idle_message));

    let callbacks = Update::filter_callback_query()
        .filter_map_async(context::from_callback)
        .enter_dialogue::<CallbackQuery, DialogueStorage, State>()
        .endpoint(on_callback);

    dptree::entry()
        .filter_async(first_delivery)
        .branch(messages)
        .branch(callbacks)
}

/// Skips an update that was already handled (a redelivered batch).
async fn first_delivery(app: App, update: Update) -> bool {
    match store::updates::first_time(&app.pool, update.id.0 as i64, app.now()).await {
        Ok(first) => {
            if !first {
                tracing::info!(update = update.id.0, "skipping a redelivered update");
            }
            first
        }
        Err(err) => {
            tracing::error!(%err, "cannot record update");
            false
        }
    }
}

/// Every button press: decode, then re-check against the database.
async fn on_callback(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(data) = q.data.as_deref().and_then(CallbackData::decode) else {
        tracing::warn!(user = ctx.user_id(), data = ?q.data, "undecodable button data");
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    };
    match data {
        CallbackData::JoinApprove(id) => {
            decisions::on_join(&bot, &app, &ctx, &q, id, Decision::Approve).await
        }
        CallbackData::JoinReject(id) => {
            decisions::on_join(&bot, &app, &ctx, &q, id, Decision::Reject).await
        }
        CallbackData::ReportApprove(id) => {
            decisions::on_report(&bot, &app, &ctx, &dialogue, &q, id, Decision::Approve).await
        }
        CallbackData::ReportReject(id) => {
            decisions::on_report(&bot, &app, &ctx, &dialogue, &q, id, Decision::Reject).await
        }
        CallbackData::ReportPhotos(id) => decisions::show_photos(&bot, &app, &ctx, &q, id).await,
        CallbackData::ReportNow => {
            send::ack(&bot, &q).await?;
            report::start(&bot, &app, &ctx, &dialogue).await
        }
        CallbackData::OpenPending => {
            send::ack(&bot, &q).await?;
            views::pending(&bot, &app, &ctx).await
        }
        CallbackData::SheetOpen(_)
        | CallbackData::SheetLevel(..)
        | CallbackData::SheetRemarks(_)
        | CallbackData::SheetSend(_)
        | CallbackData::SheetReopen(_)
        | CallbackData::SheetSign(_)
        | CallbackData::SheetAccept(_)
        | CallbackData::SheetRespond(_) => {
            sheets::on_callback(&bot, &app, &ctx, &dialogue, &q, data).await
        }
        CallbackData::Language(new) => {
            store::users::set_language(&app.pool, ctx.user_id(), new).await?;
            send::toast(&bot, &q, t!(new, "language-set")).await?;
            send::settle_pressed(&bot, &q, t!(new, "language-set")).await;
            if let Err(err) = menus::refresh_for_user(&bot, &app, ctx.user_id(), new).await {
                tracing::warn!(%err, "could not set the menu");
            }
            Ok(())
        }
        _ => {
            // A dialogue button: valid only at the step it was shown for.
            let state = dialogue.get().await?.unwrap_or_default();
            let handled = match state {
                State::Join(step, draft) => {
                    join::on_callback(&bot, &app, &ctx, &dialogue, &q, data, (step, draft)).await?
                }
                State::Report(step, draft) => {
                    report::on_callback(&bot, &app, &ctx, &dialogue, &q, data, (step, draft))
                        .await?
                }
                State::AnnounceConfirm { token, text } => {
                    announce::on_callback(&bot, &app, &ctx, &dialogue, &q, data, (token, text))
                        .await?
                }
                _ => false,
            };
            if !handled {
                send::alert(&bot, &q, t!(lang, "stale-button")).await?;
                // Take the dead buttons away.
                send::remove_buttons(&bot, &q).await;
            }
            Ok(())
        }
    }
}
