//! The year a view works on: the review year by default, or the one typed
//! after the command (`/status 2026`).

use chrono::Datelike;
use teloxide::prelude::*;

use super::{App, context::Ctx};
use crate::telegram::send;
use crate::{
    domain::review_year::parse_year,
    store::yearly::{self, Scope},
    t,
};

/// The year asked for in `arg` (empty: the default review year), checked
/// against the scopes' data. When it cannot be used the asker is told why
/// and `None` is returned. `command` names the command in the usage text.
pub async fn chosen_year(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    arg: &str,
    command: &str,
    scopes: &[Scope],
) -> anyhow::Result<Option<i32>> {
    let lang = ctx.lang;
    let today = app.today();
    if arg.trim().is_empty() {
        return Ok(Some(app.review.default_year(today)));
    }
    let Some(year) = parse_year(arg) else {
        send::text(bot, ctx.chat, t!(lang, "year-usage", command = command)).await?;
        return Ok(None);
    };
    if year > today.year() {
        send::text(bot, ctx.chat, t!(lang, "year-future", year = year)).await?;
        return Ok(None);
    }
    for scope in scopes {
        if yearly::has_data(&app.pool, *scope, year, app.tz).await? {
            return Ok(Some(year));
        }
    }
    send::text(bot, ctx.chat, t!(lang, "year-no-data", year = year)).await?;
    Ok(None)
}
