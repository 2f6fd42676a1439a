//! Listings: /myreports, /pending, /members.

use chrono::{Datelike, NaiveDate};
use teloxide::{prelude::*, types::ChatId};

use super::{
    App, HandlerResult, context::Ctx, decisions, keyboards, members, pager, pager::Listing, render,
};
use crate::telegram::{
    callback_data::{CallbackData, View},
    send,
};
use crate::{
    domain::{Lang, dates::format_dmy, permissions::may_decide, schedule::Period},
    store::{
        cells::Cell,
        committee,
        memberships::{self, Membership},
        reports::{self, Report},
    },
    t,
};

/// How many pending items /pending shows per kind before asking to come back.
const PENDING_PAGE: usize = 10;
/// How many "Edit and resubmit" buttons /myreports shows at most.
const MAX_RESUBMIT_BUTTONS: usize = 10;
/// /myreports lists a report of an earlier year decided this many days ago
/// at most (one waiting for a decision always).
pub const RECENT_DECISION_DAYS: i64 = 30;

/// A member's reports dated this year, newest first; in the review
/// season (January until the last year's window closes) last year's too,
/// still being decided and counted on its sheet. Then, year by year, those
/// of earlier years still waiting for a decision or decided in the last
/// [`RECENT_DECISION_DAYS`] (a report of last year sent after its window
/// closed, within the 12 months a date may go back).
pub async fn my_reports(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let today = app.today();
    let mut years = vec![today.year()];
    let reviewed = app.review.default_year(today);
    if reviewed < today.year() {
        years.push(reviewed);
    }
    let mut sections = Vec::new();
    let mut any = false;
    // Rejected reports that can still be edited and resubmitted: the button
    // on the rejection's notice may never have arrived (the bot was blocked
    // then).
    let mut resubmittable = Vec::new();
    let earliest = years.iter().min().copied().unwrap_or(today.year());
    let from = NaiveDate::from_ymd_opt(earliest, 1, 1).unwrap_or(today);
    let since = app.now() - chrono::Duration::days(RECENT_DECISION_DAYS);
    let all = reports::of_user_listed(&app.pool, ctx.user_id(), from, since).await?;
    let mut lists: Vec<(i32, Vec<Report>, bool)> = years
        .iter()
        .map(|&year| (year, Vec::new(), false))
        .collect();
    for r in all {
        let year = r.activity_date.year();
        let open = r.activity_date < from;
        match lists.iter_mut().find(|(y, _, o)| *y == year && *o == open) {
            Some((_, list, _)) => list.push(r),
            None if open => lists.push((year, vec![r], true)),
            // Dated after this year (a clock set back): not listed.
            None => {}
        }
    }
    for (year, list, open) in lists {
        if open {
            any = true;
            sections.push(year_of_reports(lang, year, &list, true));
        } else if list.is_empty() {
            // Only this year's emptiness is worth saying.
            if year == today.year() {
                sections.push(t!(lang, "myreports-empty", year = year));
            }
            continue;
        } else {
            any = true;
            sections.push(year_of_reports(lang, year, &list, false));
        }
        // Only a rejected report may be resubmitted: the others are not
        // asked about (one query each).
        let rejected = list
            .iter()
            .filter(|r| r.status() == crate::domain::report::ReportStatus::Rejected);
        for r in rejected {
            if resubmittable.len() < MAX_RESUBMIT_BUTTONS
                && reports::may_resubmit(&app.pool, r.id, ctx.user_id()).await?
            {
                resubmittable.push(r.id);
            }
        }
    }
    if !any {
        // Nothing reported: what /report would say to someone who cannot
        // report yet (a join waiting, a membership ended, never joined).
        let membership = memberships::active_for_user(&app.pool, ctx.user_id()).await?;
        if let Err(why) = super::report::reporting_membership(app, ctx, membership).await? {
            send::text(bot, ctx.chat, why).await?;
            return Ok(());
        }
    }
    let text = sections.join("\n\n");
    if resubmittable.is_empty()
        || memberships::active_for_user(&app.pool, ctx.user_id())
            .await?
            .is_none()
    {
        send::long(bot, ctx.chat, &text).await?;
        return Ok(());
    }
    let mut parts = send::split_message(&text, send::MAX_MESSAGE_CHARS);
    let last = parts.pop().unwrap_or_default();
    for part in parts {
        send::text(bot, ctx.chat, part).await?;
    }
    let buttons = resubmittable.into_iter().map(|id| {
        vec![keyboards::button(
            t!(lang, "myreports-button-resubmit", id = id),
            CallbackData::Resubmit(id),
        )]
    });
    let keyboard = teloxide::types::InlineKeyboardMarkup::new(buttons);
    send::with_markup(bot, ctx.chat, last, keyboard).await?;
    Ok(())
}

/// One year of a member's reports: the header and a line (or a few) each.
/// `open`: an earlier year's, only those waiting for a decision or decided
/// lately.
fn year_of_reports(lang: Lang, year: i32, list: &[Report], open: bool) -> String {
    let approved = list
        .iter()
        .filter(|r| r.status() == crate::domain::report::ReportStatus::Approved)
        .count();
    let mut text = if open {
        t!(
            lang,
            "myreports-header-open",
            year = year,
            days = RECENT_DECISION_DAYS
        )
    } else {
        t!(
            lang,
            "myreports-header",
            year = year,
            total = list.len(),
            approved = approved
        )
    };
    for r in list {
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
        // attendance
        if r.recorded_by_cell {
            text.push('\n');
            text.push_str(&t!(lang, "attendance-recorded-by-cell"));
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
    text
}

/// Pending joins and reports the user may decide, each with buttons: every
/// item of the cells where they are secretary or deputy (but their own),
/// and, for a supervisor, the committee's own items that nobody else in
/// the cell can decide.
pub async fn pending(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let cells = committee::decider_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        ctx.refuse(bot, app, t!(lang, "deciders-only")).await?;
        return Ok(());
    }
    let chat = ChatId(ctx.user_id());
    let mut shown = false;
    for cell in cells {
        let (joins, reports, on_committee) = decidable(app, ctx.user_id(), cell.id).await?;
        if !on_committee && joins.is_empty() && reports.is_empty() {
            continue;
        }
        shown = true;
        let header = if joins.is_empty() && reports.is_empty() {
            t!(lang, "pending-none-in-cell", cell = cell.name.as_str())
        } else {
            t!(
                lang,
                "pending-header",
                cell = cell.name.as_str(),
                joins = joins.len(),
                reports = reports.len()
            )
        };
        send::text(bot, chat, header).await?;
        for m in joins.iter().take(PENDING_PAGE) {
            decisions::send_join_card(bot, app, chat, lang, m).await?;
        }
        for r in reports.iter().take(PENDING_PAGE) {
            decisions::send_report_card(bot, app, chat, lang, r).await?;
        }
        // Beyond the cards: every item in one paged list (and its XLSX),
        // so that the secretary sees the whole queue at once.
        if joins.len() > PENDING_PAGE || reports.len() > PENDING_PAGE {
            let listing = pending_list(lang, &cell, joins, reports, app.tz);
            pager::send_first(bot, chat, lang, &listing).await?;
        }
    }
    if !shown {
        send::text(bot, chat, t!(lang, "role-nothing-to-decide")).await?;
    }
    Ok(())
}

/// The pending joins and reports of a cell that the user may decide, and
/// whether they are on the cell's committee.
pub(super) async fn decidable(
    app: &App,
    user: i64,
    cell: i64,
) -> anyhow::Result<(Vec<Membership>, Vec<Report>, bool)> {
    let (actor, cell_committee) = committee::facts(&app.pool, user, cell).await?;
    let decidable = |owner: i64| may_decide(actor, cell_committee, owner).is_ok();
    let joins: Vec<_> = memberships::pending_in_cell(&app.pool, cell)
        .await?
        .into_iter()
        .filter(|m| decidable(m.user_id))
        .collect();
    let reports: Vec<_> = reports::pending_in_cell(&app.pool, cell)
        .await?
        .into_iter()
        .filter(|r| decidable(r.user_id))
        .collect();
    let on_committee = [cell_committee.secretary, cell_committee.deputy].contains(&Some(user));
    Ok((joins, reports, on_committee))
}

/// Every pending item of a cell, a line each.
fn pending_list(
    lang: Lang,
    cell: &Cell,
    joins: Vec<Membership>,
    reports: Vec<Report>,
    tz: chrono_tz::Tz,
) -> Listing {
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for m in &joins {
        let date = format_dmy(m.requested_at.with_timezone(&tz).date_naive());
        let n = lines.len() + 1;
        lines.push(t!(
            lang,
            "page-pending-join",
            n = n,
            name = m.full_name.as_str(),
            date = date.as_str()
        ));
        rows.push(vec![
            t!(lang, "page-kind-join"),
            String::new(),
            m.full_name.clone(),
            date,
            m.workplace_name.clone().unwrap_or_default(),
        ]);
    }
    for r in &reports {
        let date = format_dmy(r.activity_date);
        let n = lines.len() + 1;
        lines.push(t!(
            lang,
            "page-pending-report",
            n = n,
            id = r.id,
            name = r.member_name.as_str(),
            date = date.as_str(),
            text = render::excerpt(&r.description, 50)
        ));
        rows.push(vec![
            t!(lang, "page-kind-report"),
            r.id.to_string(),
            r.member_name.clone(),
            date,
            format!("{}: {}", r.kind_name(lang), r.description),
        ]);
    }
    let headers = [
        t!(lang, "page-col-kind"),
        "#".to_string(),
        t!(lang, "page-col-name"),
        t!(lang, "page-col-date"),
        t!(lang, "page-col-content"),
    ];
    Listing {
        view: View::Pending,
        scope: cell.id,
        year: 0,
        // Everything decided since the list was sent: said so, not "all 0
        // pending items (the first 10 … shown above)".
        title: if lines.is_empty() {
            t!(lang, "pending-none-in-cell", cell = cell.name.as_str())
        } else {
            t!(
                lang,
                "page-pending-summary",
                cell = cell.name.as_str(),
                count = lines.len()
            )
        },
        lines,
        buttons: Vec::new(),
        per_page: pager::LINES_PER_PAGE,
        table: pager::text_table(&headers, rows),
        file_name: format!(
            "{}-{}",
            t!(lang, "page-file-pending"),
            crate::domain::file_slug(&cell.name)
        ),
        footer: Vec::new(),
    }
}

/// The /pending list of a cell where the user decides now (`None`
/// otherwise).
pub async fn pending_listing(app: &App, ctx: &Ctx, cell: i64) -> anyhow::Result<Option<Listing>> {
    let cells = committee::decider_cells(&app.pool, ctx.user_id()).await?;
    let Some(cell) = cells.into_iter().find(|c| c.id == cell) else {
        return Ok(None);
    };
    let (joins, reports, _) = decidable(app, ctx.user_id(), cell.id).await?;
    Ok(Some(pending_list(ctx.lang, &cell, joins, reports, app.tz)))
}

/// The members of the secretary's (or deputy's) cells with this month's
/// approved reports.
pub async fn members(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let cells = committee::committee_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        ctx.refuse(bot, app, t!(lang, "role-committee-only"))
            .await?;
        return Ok(());
    }
    for cell in cells {
        let listing = members_list(app, ctx.lang, &cell).await?;
        if listing.is_long() {
            pager::send_first(bot, ctx.chat, lang, &listing).await?;
            continue;
        }
        let mut text = listing.title;
        for line in listing.lines {
            text.push('\n');
            text.push_str(&line);
        }
        // Each member's card opens from the buttons under the list.
        members::send_list(bot, app, ctx.chat, lang, &cell, text).await?;
    }
    Ok(())
}

/// A cell's members with this month's approved reports, a line each, with
/// the member's card as the line's button.
async fn members_list(app: &App, lang: Lang, cell: &Cell) -> anyhow::Result<Listing> {
    let today = app.today();
    let month = format!("{:02}/{}", today.month(), today.year());
    let list = memberships::activity_in_cell(&app.pool, cell.id, Period::of(today)).await?;
    // An exempt member is not expected to report: not counted as silent,
    // nor in the month their exemption was lifted (as the reminders judge).
    let silent = list
        .iter()
        .filter(|m| m.approved_this_month == 0 && !m.excused(Period::of(today), app.tz))
        .count();
    let title = t!(
        lang,
        "members-header",
        cell = cell.name.as_str(),
        month = month.as_str(),
        count = list.len(),
        silent = silent
    );
    let mut lines = Vec::new();
    let mut buttons = Vec::new();
    let mut rows = Vec::new();
    if list.is_empty() {
        lines.push(t!(lang, "members-none"));
        buttons.push(None);
    }
    for (i, m) in list.iter().enumerate() {
        let name = if m.exempt {
            format!("{} {}", m.full_name, t!(lang, "meeting-exempt-mark"))
        } else {
            m.full_name.clone()
        };
        let last = match m.last_approved {
            Some(date) => t!(lang, "members-last", date = format_dmy(date)),
            None => t!(lang, "members-never"),
        };
        let n = i64::try_from(i + 1).unwrap_or(i64::MAX);
        lines.push(t!(
            lang,
            "members-line",
            n = n,
            name = name.as_str(),
            count = m.approved_this_month,
            last = last
        ));
        buttons.push(Some(keyboards::button(
            format!("{n}. {}", m.full_name),
            CallbackData::MemberCard(m.membership_id),
        )));
        rows.push(vec![
            m.full_name.clone(),
            m.workplace_name.clone().unwrap_or_default(),
            m.approved_this_month.to_string(),
            m.last_approved.map(format_dmy).unwrap_or_default(),
        ]);
    }
    let headers = [
        t!(lang, "page-col-name"),
        t!(lang, "page-col-workplace"),
        t!(lang, "page-col-month"),
        t!(lang, "page-col-last"),
    ];
    Ok(Listing {
        view: View::Members,
        scope: cell.id,
        year: 0,
        title,
        lines,
        buttons,
        // A button a line: fewer lines a page.
        per_page: pager::LINES_PER_PAGE / 2,
        table: pager::text_table(&headers, rows),
        file_name: format!(
            "{}-{month}-{}",
            t!(lang, "page-file-members"),
            crate::domain::file_slug(&cell.name)
        )
        .replace('/', "-"),
        footer: Vec::new(),
    })
}

/// The /members list of a cell on whose committee the user is now (`None`
/// otherwise).
pub async fn members_listing(app: &App, ctx: &Ctx, cell: i64) -> anyhow::Result<Option<Listing>> {
    let cells = committee::committee_cells(&app.pool, ctx.user_id()).await?;
    match cells.into_iter().find(|c| c.id == cell) {
        Some(cell) => Ok(Some(members_list(app, ctx.lang, &cell).await?)),
        None => Ok(None),
    }
}
