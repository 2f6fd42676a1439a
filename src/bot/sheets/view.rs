//! What the secretary sees: /sheets, a sheet's view and its buttons, and the
//! draft as the member reads it.

use super::*;
use crate::bot::pager::Listing;
use crate::telegram::callback_data::View;
use crate::{domain::permissions::may_decide, store::committee};

/// `/sheets [YYYY]`: the secretary's members with the state of their sheet
/// of the review year (or the year asked for). Members can be opened only
/// while the year's sheets can be written.
pub async fn list(bot: &Bot, app: &App, ctx: &Ctx, arg: &str) -> HandlerResult {
    let lang = ctx.lang;
    // The cells where the user writes sheets: as secretary or deputy, or as
    // a supervisor standing in for a committee (see `may_decide`).
    let cells = committee::decider_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        ctx.refuse(bot, app, t!(lang, "deciders-only")).await?;
        return Ok(());
    }
    let scopes: Vec<Scope> = cells.iter().map(|c| Scope::Cell(c.id)).collect();
    let Some(year) = crate::bot::years::chosen_year(bot, app, ctx, arg, "/sheets", &scopes).await?
    else {
        return Ok(());
    };
    let open = match year_open(app, lang, year) {
        Ok(()) => true,
        // Before the window of the default year: nothing to list yet.
        Err(_) if arg.trim().is_empty() => {
            let date = format_dmy(app.review.opens(year));
            let mut text = t!(lang, "sheets-not-open", date = date);
            // And that last year's can no longer be written (from 1 April).
            if let Err(closed) = year_open(app, lang, year - 1) {
                text = format!("{closed}\n\n{text}");
            }
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
        Err(why) => {
            send::text(bot, ctx.chat, why).await?;
            false
        }
    };
    let mut shown = false;
    for cell in cells {
        let (listing, on_committee) =
            sheets_list(app, lang, ctx.user_id(), &cell, year, open).await?;
        if listing.table.rows.is_empty() && !on_committee {
            continue;
        }
        shown = true;
        let Some((text, markup)) = listing.page(lang, 0) else {
            continue;
        };
        send::with_markup(bot, ctx.chat, text, markup).await?;
    }
    if !shown {
        send::text(bot, ctx.chat, t!(lang, "role-nothing-to-decide")).await?;
    }
    Ok(())
}

/// A cell's members with the state of their sheet of `year`, each with
/// their sheet's button while the year's sheets can be written; and
/// whether the user is on the cell's committee.
async fn sheets_list(
    app: &App,
    lang: Lang,
    user: i64,
    cell: &crate::store::cells::Cell,
    year: i32,
    open: bool,
) -> anyhow::Result<(Listing, bool)> {
    let (actor, cell_committee) = committee::facts(&app.pool, user, cell.id).await?;
    let members: Vec<_> = yearly::members(&app.pool, Scope::Cell(cell.id), year, app.tz)
        .await?
        .into_iter()
        .filter(|m| may_decide(actor, cell_committee, m.user_id).is_ok())
        .collect();
    let on_committee = [cell_committee.secretary, cell_committee.deputy].contains(&Some(user));
    let title = t!(
        lang,
        "sheets-header",
        cell = cell.name.as_str(),
        year = year,
        count = members.len()
    );
    let mut lines = Vec::new();
    let mut buttons = Vec::new();
    let mut rows = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let state = build::listed_state_or_exempt(lang, m);
        let n = i + 1;
        lines.push(format!("{n}. {} — {state}", m.full_name));
        buttons.push((m.exempt_reason.is_none() && open).then(|| {
            button(
                format!("{n}. {}", m.full_name),
                CallbackData::SheetOpenYear(m.membership_id, year),
            )
        }));
        rows.push(vec![m.full_name.clone(), state]);
    }
    if members.is_empty() {
        lines.push(t!(lang, "members-none"));
        buttons.push(None);
    }
    let headers = [t!(lang, "page-col-name"), t!(lang, "page-col-sheet")];
    let listing = Listing {
        view: View::Sheets,
        scope: cell.id,
        year,
        title,
        lines,
        buttons,
        // A button a line: fewer lines a page.
        per_page: crate::bot::pager::LINES_PER_PAGE / 2,
        table: crate::bot::pager::text_table(&headers, rows),
        file_name: format!(
            "{}-{year}-{}",
            t!(lang, "page-file-sheets"),
            crate::domain::file_slug(&cell.name)
        ),
        footer: Vec::new(),
    };
    Ok((listing, on_committee))
}

/// The /sheets list of a cell where the user writes sheets now (`None`
/// otherwise).
pub async fn list_listing(
    app: &App,
    ctx: &Ctx,
    cell: i64,
    year: i32,
) -> anyhow::Result<Option<Listing>> {
    let cells = committee::decider_cells(&app.pool, ctx.user_id()).await?;
    let Some(cell) = cells.into_iter().find(|c| c.id == cell) else {
        return Ok(None);
    };
    let open = year_open(app, ctx.lang, year).is_ok();
    let (listing, _) = sheets_list(app, ctx.lang, ctx.user_id(), &cell, year, open).await?;
    Ok(Some(listing))
}

/// The secretary's view of a sheet.
pub(super) fn view_text(lang: Lang, app: &App, ctx: &Context, sheet: &Sheet) -> String {
    // A signed sheet shows what was signed (its evidence counted as on the
    // day it was signed), as its documents do.
    let signed = crate::sheet::build::SignedContent::of(sheet)
        .map(|content| crate::sheet::deliver::as_signed(ctx, &content, app.tz));
    let ctx = signed.as_ref().unwrap_or(ctx);
    let m = &ctx.member;
    let workplace = m
        .workplace_name
        .clone()
        .unwrap_or_else(|| t!(lang, "not-given"));
    // The header, the request's typed reason as `reason` if given.
    let header = |reason: Option<&str>| match &ctx.request {
        None => t!(
            lang,
            "sheet-header",
            name = m.full_name.as_str(),
            year = ctx.year,
            cell = m.cell_name.as_str(),
            workplace = workplace.as_str(),
            state = build::delivered_state_label(
                lang,
                sheet.state(),
                sheet.delivered_officers,
                sheet.member_answer.as_deref()
            )
        ),
        Some(r) => t!(
            lang,
            "request-sheet-header",
            name = m.full_name.as_str(),
            reason = reason.map_or_else(
                || build::reason_label(lang, r.reason, r.reason_text.as_deref()),
                str::to_string
            ),
            from = format_dmy(r.from),
            to = format_dmy(r.to),
            due = format_dmy(r.due),
            cell = m.cell_name.as_str(),
            workplace = workplace.as_str(),
            state = build::delivered_state_label(
                lang,
                sheet.state(),
                sheet.delivered_officers,
                sheet.member_answer.as_deref()
            )
        ),
    };
    let mut parts = vec![header(None)];
    parts.push(crate::bot::introduction::line(lang, m.introduced_on));
    // The evidence is filled in last, in the room the rest leaves.
    let evidence_at = parts.len();
    parts.push(String::new());
    if let Some(short) = short_note(lang, ctx) {
        parts.push(short);
    } else {
        let criteria = criteria_lines(lang, sheet, t!(lang, "sheet-level-unset"));
        // Only a draft has level buttons to press.
        let title = if sheet.state() == SheetState::Draft {
            t!(lang, "sheet-criteria-title")
        } else {
            t!(lang, "year-criteria-title")
        };
        parts.push(format!("{}\n{}", title, criteria.join("\n")));
    }
    parts.push(remarks_line(lang, sheet));
    // Where the member's response is shown, and whether as the response
    // to the draft before it was changed.
    let mut response: Option<(usize, bool)> = None;
    match (sheet.state(), sheet.member_answer.as_deref()) {
        (SheetState::WithMember, Some("accepted")) => {
            parts.push(t!(
                lang,
                "sheet-member-accepted",
                when = answered_at(sheet, app)
            ));
        }
        (_, Some("responded")) => {
            response = Some((parts.len(), false));
            parts.push(response_line(
                lang,
                false,
                &answered_at(sheet, app),
                sheet.member_response.as_deref().unwrap_or_default(),
            ));
        }
        (SheetState::WithMember, _) => {
            if let Some(line) = earlier_response(lang, app, sheet) {
                response = Some((parts.len(), true));
                parts.push(line);
            }
            let last_day = super::last_day(app, ctx);
            let until = sheet
                .sent_to_member_at
                .map(|at| (at, crate::domain::sheet::answer_until(at, Some(last_day))));
            parts.push(match until {
                // Sent on the sheet's last day or after: no wait.
                Some((at, until)) if until <= at => t!(lang, "sheet-member-waiting-none"),
                _ => t!(
                    lang,
                    "sheet-member-waiting",
                    until = until
                        .map(|(_, until)| dmy_hm(until, app.tz))
                        .unwrap_or_default()
                ),
            });
        }
        (SheetState::Signed | SheetState::Draft, _) => {
            if let Some(line) = earlier_response(lang, app, sheet) {
                response = Some((parts.len(), true));
                parts.push(line);
            }
        }
        _ => {}
    }
    if let (Some(code), Some(at)) = (&sheet.code, sheet.signed_at) {
        parts.push(t!(
            lang,
            "sheet-signed-line",
            code = code.as_str(),
            when = dmy_hm(at, app.tz)
        ));
    }
    // A request's typed reason at its longest (500 characters), with the
    // names, the remarks and the response at theirs, of emoji counted
    // twice, does not fit either: the reason is shortened to the room the
    // rest leaves (the response at its shortest; the request's message to
    // the cell holds the reason whole), and says so.
    if let Some(typed) = ctx.request.as_ref().and_then(|r| r.reason_text.as_deref()) {
        let least_response = response.map_or(0, |(_, earlier)| {
            let line = response_line(lang, earlier, &answered_at(sheet, app), "");
            send::units(&line) + send::units(&t!(lang, "sheet-response-shortened")) + 4
        });
        let note = t!(lang, "request-reason-shortened");
        let beside = (response.map(|(at, _)| at), least_response);
        shorten_to_fit(&mut parts, 0, beside, typed, |reason| {
            header(Some(&format!("{reason} {note}")))
        });
    }
    // The remarks and the member's response, each at its longest (1,000
    // characters, of emoji counted twice), may not fit together: the
    // response is shortened to the room the rest leaves (the secretary was
    // sent it whole when the member responded), and says so.
    if let (Some((at, earlier)), Some(typed)) = (response, sheet.member_response.as_deref()) {
        let when = answered_at(sheet, app);
        let line = |response: &str| response_line(lang, earlier, &when, response);
        let note = t!(lang, "sheet-response-shortened");
        shorten_to_fit(&mut parts, at, (None, 0), typed, |response| {
            format!("{} {note}", line(response))
        });
    }
    parts[evidence_at] = evidence_within(lang, ctx, send::units(&parts.join("\n\n")));
    send::clip(&parts.join("\n\n"))
}

/// Where `parts[at]` (the view's part showing `typed`) does not fit
/// beside the others and the evidence's least room: it becomes
/// `shortened(text)`, `typed` shortened to the room left (`shortened` adds
/// the note saying so). `beside`: a part counted as this many units instead
/// of its own (one shortened after), if any.
fn shorten_to_fit(
    parts: &mut [String],
    at: usize,
    beside: (Option<usize>, usize),
    typed: &str,
    shortened: impl Fn(&str) -> String,
) {
    let others: usize = parts
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != at && Some(i) != beside.0)
        .map(|(_, p)| send::units(p) + 2)
        .sum();
    let room = send::MAX_MESSAGE_CHARS.saturating_sub(others + beside.1 + EVIDENCE_ROOM);
    if send::units(&parts[at]) > room {
        let bare = send::units(&shortened(""));
        parts[at] = shortened(&send::clip_to(typed, room.saturating_sub(bare)));
    }
}

/// What the evidence keeps of a sheet's view at least: its title and the
/// line that counts the activities not shown.
const EVIDENCE_ROOM: usize = 300;

/// The evidence title and lines in what a message leaves after `used`
/// units: a long year's lines (every meeting, every approved report) would
/// otherwise push the criteria and remarks past Telegram's limit. The lines
/// that do not fit are counted; the signed document has them all.
fn evidence_within(lang: Lang, ctx: &Context, used: usize) -> String {
    let title = t!(lang, "sheet-evidence-title");
    let lines = evidence_lines(lang, ctx);
    let room = send::MAX_MESSAGE_CHARS.saturating_sub(used + send::units(&title) + 100);
    let mut shown = Vec::new();
    let mut taken = 0;
    for line in &lines {
        let size = send::units(line) + 1;
        if taken + size > room {
            break;
        }
        taken += size;
        shown.push(line.clone());
    }
    let more = lines.len() - shown.len();
    if more > 0 {
        shown.push(t!(lang, "sheet-evidence-more", count = more));
    }
    format!("{title}\n{}", shown.join("\n"))
}

/// "1. Criterion: level" for each criterion, `unset` where none is chosen.
fn criteria_lines(lang: Lang, sheet: &Sheet, unset: String) -> Vec<String> {
    let levels = sheet.levels();
    Criterion::ALL
        .iter()
        .map(|c| {
            let level = levels[c.index()]
                .map(|l| level_label(lang, *c, l))
                .unwrap_or_else(|| unset.clone());
            format!(
                "{}. {}: {}",
                c.index() + 1,
                criterion_label(lang, *c),
                level
            )
        })
        .collect()
}

/// For the short version (an exempt member's): that it has no criteria,
/// and why.
fn short_note(lang: Lang, ctx: &Context) -> Option<String> {
    let reason = match ctx.exemption() {
        Some(e) => build::exemption_label(lang, e),
        None => ctx.member.exempt_reason.clone()?,
    };
    Some(t!(lang, "sheet-short-version", reason = reason))
}

/// "Other remarks: …", or that none were given.
fn remarks_line(lang: Lang, sheet: &Sheet) -> String {
    let remarks = if sheet.remarks.is_empty() {
        t!(lang, "not-given")
    } else {
        sheet.remarks.clone()
    };
    t!(lang, "sheet-remarks-line", remarks = remarks)
}

/// The member's response to the draft before it was changed and sent
/// again, kept until they answer the new one (and signed if they do not).
fn earlier_response(lang: Lang, app: &App, sheet: &Sheet) -> Option<String> {
    let response = match sheet.member_answer {
        None => sheet.member_response.as_deref()?,
        Some(_) => return None,
    };
    Some(response_line(
        lang,
        true,
        &answered_at(sheet, app),
        response,
    ))
}

/// The line of the member's `response` given `when`: to the draft shown,
/// or to the one before it was changed (`earlier`).
fn response_line(lang: Lang, earlier: bool, when: &str, response: &str) -> String {
    if earlier {
        t!(
            lang,
            "sheet-member-responded-earlier",
            when = when,
            response = response
        )
    } else {
        t!(
            lang,
            "sheet-member-responded",
            when = when,
            response = response
        )
    }
}

pub(super) fn answered_at(sheet: &Sheet, app: &App) -> String {
    sheet
        .member_answered_at
        .map(|at| dmy_hm(at, app.tz))
        .unwrap_or_default()
}

pub(super) fn view_keyboard(lang: Lang, sheet: &Sheet, short: bool) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    match sheet.state() {
        SheetState::Draft => {
            let levels = sheet.levels();
            // The short version has no criteria to choose.
            for c in Criterion::ALL.into_iter().filter(|_| !short) {
                let row = (0..3u8)
                    .map(|l| {
                        let mark = if levels[c.index()] == Some(l) {
                            "✓ "
                        } else {
                            ""
                        };
                        let label =
                            format!("{}{}. {}", mark, c.index() + 1, level_label(lang, c, l));
                        button(
                            label,
                            CallbackData::SheetLevel(sheet.id, c.index() as u8, l),
                        )
                    })
                    .collect();
                rows.push(row);
            }
            rows.push(vec![button(
                t!(lang, "button-remarks"),
                CallbackData::SheetRemarks(sheet.id),
            )]);
            rows.push(vec![button(
                t!(lang, "button-send-member"),
                CallbackData::SheetSend(sheet.id),
            )]);
            rows.push(vec![crate::bot::introduction::correction_button(
                lang,
                sheet.membership_id,
            )]);
        }
        SheetState::WithMember => {
            rows.push(vec![button(
                t!(lang, "button-sign"),
                CallbackData::SheetSign(sheet.id),
            )]);
            rows.push(vec![button(
                t!(lang, "button-reopen"),
                CallbackData::SheetReopen(sheet.id),
            )]);
            rows.push(vec![crate::bot::introduction::correction_button(
                lang,
                sheet.membership_id,
            )]);
        }
        SheetState::Signed | SheetState::NotStarted => {}
    }
    InlineKeyboardMarkup::new(rows)
}

/// The draft as the member sees it.
/// The draft for its member; `until`: when the answer is due, `None` when
/// the sheet's last day has come (it may be signed at once).
pub(super) fn member_text(lang: Lang, ctx: &Context, sheet: &Sheet, until: Option<&str>) -> String {
    let due = match until {
        Some(until) => t!(lang, "sheet-answer-until", until = until),
        None => t!(lang, "sheet-answer-now"),
    };
    let head = match &ctx.request {
        None => t!(
            lang,
            "sheet-for-member",
            year = ctx.year,
            cell = ctx.member.cell_name.as_str(),
            due = due
        ),
        Some(r) => t!(
            lang,
            "request-for-member",
            reason = build::reason_label(lang, r.reason, r.reason_text.as_deref()),
            from = format_dmy(r.from),
            to = format_dmy(r.to),
            cell = ctx.member.cell_name.as_str(),
            due = due
        ),
    };
    // The short version: no criteria, and why.
    let criteria = short_note(lang, ctx).unwrap_or_else(|| {
        format!(
            "{}\n{}",
            t!(lang, "year-criteria-title"),
            criteria_lines(lang, sheet, String::new()).join("\n")
        )
    });
    let remarks = remarks_line(lang, sheet);
    let used = send::units(&head) + send::units(&criteria) + send::units(&remarks);
    let evidence = evidence_within(lang, ctx, used);
    send::clip(&format!("{head}\n\n{evidence}\n\n{criteria}\n\n{remarks}"))
}
