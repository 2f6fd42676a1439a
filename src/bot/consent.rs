//! The personal-data notice (issue 12): shown at join before anything is
//! stored beyond the Telegram id, with Agree / Do not agree; the agreement
//! is recorded with its time and the notice's version. A new version is
//! shown once to everyone who agreed to an older one, at their next message.

use teloxide::{prelude::*, types::InlineKeyboardMarkup};

use super::{App, Dialogue, HandlerResult, context::Ctx, keyboards::button};
use crate::{
    domain::Lang,
    store::consents,
    t,
    telegram::{callback_data::CallbackData, send},
};

fn keyboard(lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(t!(lang, "consent-button-agree"), CallbackData::ConsentAgree),
        button(
            t!(lang, "consent-button-refuse"),
            CallbackData::ConsentRefuse,
        ),
    ]])
}

/// The notice's text in `lang`.
pub fn notice(lang: Lang, version: i64) -> String {
    t!(lang, "consent-notice", n = version)
}

/// Whether the user must agree to the notice before joining (they never
/// agreed to any version).
pub async fn must_agree(app: &App, ctx: &Ctx) -> anyhow::Result<bool> {
    let Some(version) = app.consent else {
        return Ok(false);
    };
    let standing = consents::standing(&app.pool, ctx.user_id(), version).await?;
    Ok(standing.agreed.is_none())
}

/// Shows the notice before a join; the invite code waits in memory.
pub async fn ask(bot: &Bot, app: &App, ctx: &Ctx, code: &str) -> HandlerResult {
    let version = app.consent.unwrap_or(consents::NOTICE_VERSION);
    app.pending_joins
        .lock()
        .expect("not poisoned")
        .insert(ctx.user_id(), code.to_owned());
    send::with_markup(bot, ctx.chat, notice(ctx.lang, version), keyboard(ctx.lang)).await?;
    Ok(())
}

/// Before any message: a new version of the notice, once, to someone who
/// agreed to an older one, or who joined before there was a notice. The
/// message is then handled as usual.
pub async fn new_version(bot: Bot, app: App, ctx: Ctx) {
    let Some(version) = app.consent else {
        return;
    };
    let result: anyhow::Result<()> = async {
        // Read with the user when the update arrived (no query of its own).
        let standing = ctx.consent.unwrap_or_default();
        if standing.shown || standing.agreed.is_some_and(|agreed| agreed >= version) {
            return Ok(());
        }
        let roles = ctx.roles;
        let known = standing.agreed.is_some()
            || roles.member
            || roles.pending_member
            || roles.committee()
            || roles.officer
            || roles.supervisor
            || roles.ward_admin;
        if !known {
            return Ok(());
        }
        let first = consents::mark_shown(&app.pool, ctx.user_id(), version, app.now()).await?;
        if first {
            let text = format!(
                "{}\n\n{}",
                t!(ctx.lang, "consent-new-version"),
                notice(ctx.lang, version)
            );
            send::with_markup(&bot, ctx.chat, text, keyboard(ctx.lang)).await?;
        }
        Ok(())
    }
    .await;
    if let Err(err) = result {
        tracing::warn!(%err, user = ctx.user_id(), "could not show the new notice");
    }
}

/// Agree: recorded with its time and version; a join waiting for it goes on.
pub async fn on_agree(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
) -> HandlerResult {
    let version = app.consent.unwrap_or(consents::NOTICE_VERSION);
    consents::agree(&app.pool, ctx.user_id(), version, app.now()).await?;
    send::ack(&bot, &q).await?;
    send::settle_pressed(&bot, &q, t!(ctx.lang, "consent-agreed")).await;
    let code = app
        .pending_joins
        .lock()
        .expect("not poisoned")
        .remove(&ctx.user_id());
    match code {
        Some(code) => super::commands::start(&bot, &app, &ctx, &dialogue, &code).await,
        None => Ok(()),
    }
}

/// Do not agree: nothing is stored (someone who agreed to an older version
/// has the refusal noted and is told how to see or erase their data).
pub async fn on_refuse(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery) -> HandlerResult {
    let version = app.consent.unwrap_or(consents::NOTICE_VERSION);
    let standing = consents::standing(&app.pool, ctx.user_id(), version).await?;
    app.pending_joins
        .lock()
        .expect("not poisoned")
        .remove(&ctx.user_id());
    // Someone shown a new version (or the first one after joining before
    // there was a notice) has their refusal noted.
    let text = if standing.agreed.is_some() || standing.shown {
        consents::refuse(&app.pool, ctx.user_id(), version, app.now()).await?;
        t!(ctx.lang, "consent-refused-new")
    } else {
        t!(ctx.lang, "consent-refused")
    };
    send::ack(&bot, &q).await?;
    send::settle_pressed(&bot, &q, text).await;
    Ok(())
}
