//! Listings: /myreports, /pending, /members.

use chrono::{Datelike, Months};
use teloxide::{prelude::*, types::ChatId};

use super::{App, HandlerResult, context::Ctx, decisions, members, render};
use crate::telegram::send;
use crate::{
    domain::{
        dates::{format_dmy, month_start, year_start},
        permissions::may_decide,
    },
    store::{committee, memberships, reports},
    t,
};

/// How many pending items /pending shows per kind before asking to come back.
const PENDING_PAGE: usize = 10;

/// A member's reports dated this year, newest first.
pub async fn my_reports(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let today = app.today();
    let from = year_start(today);
    let until = from.checked_add_months(Months::new(12)).unwrap_or(today);
    let list = reports::by_user_between(&app.pool, ctx.user_id(), from, until).await?;
    if list.is_empty() {
        let membership = memberships::active_for_user(&app.pool, ctx.user_id()).await?;
        let text = if membership.is_some() {
            t!(lang, "myreports-empty", year = today.year())
        } else {
            t!(lang, "not-joined")
        };
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    let approved = list
        .iter()
        .filter(|r| r.status() == crate::domain::report::ReportStatus::Approved)
        .count();
    let mut text = t!(
        lang,
        "myreports-header",
        year = today.year(),
        total = list.len(),
        approved = approved
    );
    for r in &list {
        text.push('\n');
        text.push_str(&t!(
            lang,
            "myreports-line",
            id = r.id,
            date = format_dmy(r.activity_date),
            kind = r.kind_name(lang),
            status = render::report_status(r.status(), lang),
            description = render::excerpt(&r.description, 60)
        ));
        if let Some(reason) = &r.reject_reason {
            text.push('\n');
            text.push_str(&t!(lang, "myreports-reason", reason = reason.as_str()));
        }
        // The chain of a report rejected and sent again.
        if let (Some(previous), Some(date)) = (r.previous_id, r.previous_date) {
            text.push_str("\n  ");
            text.push_str(&t!(
                lang,
                "resubmit-chain",
                id = previous,
                date = format_dmy(date)
            ));
        }
        if let Some(again) = r.resubmitted_as {
            text.push_str("\n  ");
            text.push_str(&t!(lang, "resubmit-chain-next", id = again));
        }
    }
    send::long(bot, ctx.chat, &text).await?;
    Ok(())
}

/// Pending joins and reports the user may decide, each with buttons: every
/// item of the cells where they are secretary or deputy (but their own),
/// and, for a supervisor, the committee's own items that nobody else in
/// the cell can decide.
pub async fn pending(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let cells = committee::decider_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        send::text(bot, ctx.chat, t!(lang, "role-committee-only")).await?;
        return Ok(());
    }
    let chat = ChatId(ctx.user_id());
    let mut shown = false;
    for cell in cells {
        let (actor, cell_committee) = committee::facts(&app.pool, ctx.user_id(), cell.id).await?;
        let decidable = |owner: i64| may_decide(actor, cell_committee, owner).is_ok();
        let joins: Vec<_> = memberships::pending_in_cell(&app.pool, cell.id)
            .await?
            .into_iter()
            .filter(|m| decidable(m.user_id))
            .collect();
        let reports: Vec<_> = reports::pending_in_cell(&app.pool, cell.id)
            .await?
            .into_iter()
            .filter(|r| decidable(r.user_id))
            .collect();
        let on_committee =
            [cell_committee.secretary, cell_committee.deputy].contains(&Some(ctx.user_id()));
        if !on_committee && joins.is_empty() && reports.is_empty() {
            continue;
        }
        shown = true;
        let header = t!(
            lang,
            "pending-header",
            cell = cell.name.as_str(),
            joins = joins.len(),
            reports = reports.len()
        );
        send::text(bot, chat, header).await?;
        for m in joins.iter().take(PENDING_PAGE) {
            decisions::send_join_card(bot, app, chat, lang, m).await?;
        }
        for r in reports.iter().take(PENDING_PAGE) {
            decisions::send_report_card(bot, app, chat, lang, r).await?;
        }
        let more =
            joins.len().saturating_sub(PENDING_PAGE) + reports.len().saturating_sub(PENDING_PAGE);
        if more > 0 {
            send::text(bot, chat, t!(lang, "pending-more", count = more)).await?;
        }
    }
    if !shown {
        send::text(bot, chat, t!(lang, "role-nothing-to-decide")).await?;
    }
    Ok(())
}

/// The members of the secretary's (or deputy's) cells with this month's
/// approved reports.
pub async fn members(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let cells = committee::committee_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        send::text(bot, ctx.chat, t!(lang, "role-committee-only")).await?;
        return Ok(());
    }
    let today = app.today();
    let from = month_start(today);
    let until = from.checked_add_months(Months::new(1)).unwrap_or(today);
    let month = format!("{:02}/{}", today.month(), today.year());
    for cell in cells {
        let list = memberships::activity_in_cell(&app.pool, cell.id, from, until).await?;
        let silent = list.iter().filter(|m| m.approved_this_month == 0).count();
        let mut text = t!(
            lang,
            "members-header",
            cell = cell.name.as_str(),
            month = month.as_str(),
            count = list.len(),
            silent = silent
        );
        if list.is_empty() {
            text.push('\n');
            text.push_str(&t!(lang, "members-none"));
        }
        for (i, m) in list.iter().enumerate() {
            let last = match m.last_approved {
                Some(date) => t!(lang, "members-last", date = format_dmy(date)),
                None => t!(lang, "members-never"),
            };
            text.push('\n');
            text.push_str(&t!(
                lang,
                "members-line",
                n = i64::try_from(i + 1).unwrap_or(i64::MAX),
                name = m.full_name.as_str(),
                count = m.approved_this_month,
                last = last
            ));
        }
        // Each member's card opens from the buttons under the list.
        members::send_list(bot, app, ctx.chat, lang, &cell, text).await?;
    }
    Ok(())
}
