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
    telegram::{
        callback_data::{CallbackData, LinkCode},
        send,
    },
};

/// Agree / Do not agree; before a join, Agree carries the link's code.
fn keyboard(lang: Lang, join: Option<&str>) -> InlineKeyboardMarkup {
    // A code too long for the button (none that lienhe makes) joins by
    // opening the link again after agreeing.
    let agree = match join.and_then(LinkCode::new) {
        Some(code) => CallbackData::ConsentAgreeJoin(code),
        None => CallbackData::ConsentAgree,
    };
    InlineKeyboardMarkup::new([[
        button(t!(lang, "consent-button-agree"), agree),
        button(
            t!(lang, "consent-button-refuse"),
            CallbackData::ConsentRefuse,
        ),
    ]])
}

/// The notice's text in `lang`, with how long sent messages are kept.
pub fn notice(lang: Lang, version: i64, keep_days: u32) -> String {
    // As the language writes it ("1.825"); the count picks the form
    // ("1 day").
    t!(
        lang,
        "consent-notice",
        n = version,
        days = keep_days,
        shown = crate::i18n::count(lang, keep_days as usize)
    )
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

/// Shows the notice before a join; the link's code waits on the Agree
/// button (nothing stored, nothing lost to a restart).
pub async fn ask(bot: &Bot, app: &App, ctx: &Ctx, code: &str) -> HandlerResult {
    let version = app.consent.unwrap_or(consents::NOTICE_VERSION);
    let markup = keyboard(ctx.lang, Some(code));
    send::with_markup(
        bot,
        ctx.chat,
        notice(ctx.lang, version, app.keep_days),
        markup,
    )
    .await?;
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
        // Recorded as shown once Telegram took it: a send that failed (or
        // a crash before it) shows it at the next message, not never.
        let text = format!(
            "{}\n\n{}",
            t!(ctx.lang, "consent-new-version"),
            notice(ctx.lang, version, app.keep_days)
        );
        send::with_markup(&bot, ctx.chat, text, keyboard(ctx.lang, None)).await?;
        consents::mark_shown(&app.pool, ctx.user_id(), version, app.now()).await?;
        Ok(())
    }
    .await;
    if let Err(err) = result {
        tracing::warn!(%err, user = ctx.user_id(), "could not show the new notice");
    }
}

/// Agree: recorded with its time and version.
pub async fn on_agree(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery) -> HandlerResult {
    agree(&bot, &app, &ctx, &q, false).await
}

/// Agree before a join: recorded, and the join by the button's link goes
/// on (the link is checked as if it had been opened now).
pub async fn on_agree_join(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    code: LinkCode,
) -> HandlerResult {
    agree(&bot, &app, &ctx, &q, true).await?;
    super::commands::start(&bot, &app, &ctx, &dialogue, code.as_str()).await
}

async fn agree(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    then_join: bool,
) -> HandlerResult {
    let version = app.consent.unwrap_or(consents::NOTICE_VERSION);
    consents::agree(&app.pool, ctx.user_id(), version, app.now(), then_join).await?;
    send::ack(bot, q).await?;
    send::settle_pressed(bot, q, t!(ctx.lang, "consent-agreed")).await;
    Ok(())
}

/// Do not agree: nothing is stored (someone who agreed to an older version
/// has the refusal noted and is told how to see or erase their data).
pub async fn on_refuse(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery) -> HandlerResult {
    let version = app.consent.unwrap_or(consents::NOTICE_VERSION);
    let standing = consents::standing(&app.pool, ctx.user_id(), version).await?;
    // "Do not agree" on a notice left above the one agreed to (the link
    // opened twice): the agreement stands, and nothing is noted; saying the
    // answer was recorded would let them believe they had refused.
    let text = if standing.agreed.is_some_and(|agreed| agreed >= version) {
        t!(ctx.lang, "consent-refused-after-agreeing")
    // Someone shown a new version (or the first one after joining before
    // there was a notice) has their refusal noted.
    } else if standing.agreed.is_some() || standing.shown {
        consents::refuse(&app.pool, ctx.user_id(), version, app.now()).await?;
        t!(ctx.lang, "consent-refused-new")
    } else {
        t!(ctx.lang, "consent-refused")
    };
    send::ack(&bot, &q).await?;
    send::settle_pressed(&bot, &q, text).await;
    Ok(())
}
