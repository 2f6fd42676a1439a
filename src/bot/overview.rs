//! Views for workplaces, secretaries and supervisors: /status, /sheet,
//! /stats and /export. Each shows only the asker's own scope.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, InputFile},
};

use super::{
    App, HandlerResult, context::Ctx, keyboards, pager::Listing, render, render::Named, sheets,
    years,
};
use crate::telegram::callback_data::{CallbackData, View};
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        dates::format_dmy,
        membership::{MAX_NAME_CHARS, name_key, named},
        review_year::trailing_silent,
        sheet::{ApprovedActivity, Evidence, SheetState},
    },
    export,
    sheet::build::state_label,
    stats::{
        self,
        chart::{ParticipationChart, render_png},
    },
    store::{
        cells, sheets as sheets_store, wards, workplaces,
        yearly::{self, Scope},
    },
    t,
};

/// Months of silence from which a member is flagged.
const FLAG_SILENT_MONTHS: u32 = 3;

/// `/status [YYYY]`: an officer's members, their year (the review year, or
/// the one asked for) and their sheet.
pub async fn status(bot: &Bot, app: &App, ctx: &Ctx, arg: &str) -> HandlerResult {
    let lang = ctx.lang;
    let places = workplaces::officer_of(&app.pool, ctx.user_id()).await?;
    if places.is_empty() {
        ctx.refuse(bot, app, t!(lang, "officers-only")).await?;
        return Ok(());
    }
    let scopes: Vec<Scope> = places.iter().map(|p| Scope::Workplace(p.id)).collect();
    let Some(year) = years::chosen_year(bot, app, ctx, arg, "/status", &scopes).await? else {
        return Ok(());
    };
    for place in &places {
        let listing = status_list(app, lang, place, year).await?;
        // The role read again once the list is made: taken away meanwhile
        // (a workplace before this one being sent), not sent.
        let scope = (Scope::Workplace(place.id), place.name.as_str());
        if let Some(gone) = gone_since(app, lang, ctx.user_id(), scope, true).await? {
            send::text(bot, ctx.chat, gone).await?;
            continue;
        }
        super::pager::send_first(bot, ctx.chat, lang, &listing).await?;
    }
    Ok(())
}

/// The /status list of a workplace the user is officer of now (`None`
/// otherwise).
pub async fn status_listing(
    app: &App,
    ctx: &Ctx,
    workplace: i64,
    year: i32,
) -> anyhow::Result<Option<Listing>> {
    let places = workplaces::officer_of(&app.pool, ctx.user_id()).await?;
    match places.into_iter().find(|p| p.id == workplace) {
        Some(place) => Ok(Some(status_list(app, ctx.lang, &place, year).await?)),
        None => Ok(None),
    }
}

/// A workplace's /status list: a line per member, then the year's moves.
/// Everything is read from the database first; the lines and the table
/// (a line per member and per person of the roster: thousands in a large
/// workplace) are made off the async runtime.
async fn status_list(
    app: &App,
    lang: Lang,
    place: &workplaces::Workplace,
    year: i32,
) -> anyhow::Result<Listing> {
    let today = app.today();
    let scope = Scope::Workplace(place.id);
    let members = yearly::members(&app.pool, scope, year, app.tz).await?;
    let (from, until) = yearly::year_bounds(year)?;
    let mut by_member: HashMap<i64, Vec<ApprovedActivity>> = HashMap::new();
    for (m, a) in yearly::activities(&app.pool, scope, from, until).await? {
        by_member.entry(m).or_default().push(a);
    }
    // attendance: cell meetings attended / held this year.
    let user_ids: Vec<i64> = members.iter().map(|m| m.user_id).collect();
    // Counted as the sheet and the export count them: those of today on,
    // a register closed early (before the start) included.
    let (_, end_of_today) =
        crate::store::meetings::utc_bounds(today, today.succ_opt().unwrap_or(today), app.tz);
    let attendance = crate::store::meetings::attendance_by_user(
        &app.pool,
        &user_ids,
        year,
        end_of_today,
        app.tz,
    )
    .await?;
    // roster: people on the workplace's roster in no residence cell.
    let unregistered = crate::store::roster::unregistered(&app.pool, place.id).await?;
    // On the roster, registered in a cell with another workplace declared:
    // not in the member lines (they follow the declared workplace).
    let elsewhere = crate::store::roster::registered_elsewhere(&app.pool, place.id).await?;
    // A workplace whose roster was never sent (an officer's first look):
    // where to begin.
    let nobody = members.is_empty() && unregistered.is_empty() && elsewhere.is_empty();
    let no_roster = nobody
        && crate::store::roster::entries(&app.pool, place.id)
            .await?
            .is_empty();
    // Members who changed workplace in the year shown, into or out of
    // this one.
    let began = |year: i32| {
        chrono::NaiveDate::from_ymd_opt(year, 1, 1)
            .map(|d| crate::domain::schedule::instant(app.tz, d.and_time(chrono::NaiveTime::MIN)))
            .unwrap_or_default()
    };
    let bounds = (began(year), began(year + 1));
    let header = t!(lang, "profile-moves-header", year = year);
    let mut moves = super::profile::status_moves(app, lang, place.id, bounds, header).await?;
    // Last year's list (the review season): this year's changes so far
    // too, or a member who left since would be gone without a word.
    if year + 1 == today.year() {
        let header = t!(
            lang,
            "profile-moves-since-header",
            date = format_dmy(chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(today))
        );
        let since = (began(year + 1), began(year + 2));
        moves.extend(super::profile::status_moves(app, lang, place.id, since, header).await?);
    }
    let introduced = crate::store::introductions::of_workplace(&app.pool, place.id).await?;
    let read = StatusRead {
        place: place.clone(),
        year,
        today,
        tz: app.tz,
        members,
        by_member,
        attendance,
        unregistered,
        elsewhere,
        no_roster,
        moves,
        introduced,
    };
    Ok(tokio::task::spawn_blocking(move || status_lines(lang, read)).await?)
}

/// What a workplace's /status list is made from, read from the database.
struct StatusRead {
    place: workplaces::Workplace,
    year: i32,
    today: NaiveDate,
    tz: chrono_tz::Tz,
    members: Vec<yearly::MemberRow>,
    by_member: HashMap<i64, Vec<ApprovedActivity>>,
    attendance: HashMap<i64, (u32, u32)>,
    unregistered: Vec<crate::store::roster::Entry>,
    elsewhere: Vec<(
        crate::store::roster::Entry,
        crate::domain::roster::Registered,
    )>,
    /// Nobody on the list and no roster ever sent.
    no_roster: bool,
    /// The lines of the year's moves (and this year's, in the review
    /// season), headers included.
    moves: Vec<String>,
    introduced: Vec<(Option<String>, String, chrono::DateTime<chrono::Utc>)>,
}

/// Makes a workplace's /status list from what was read: CPU work for a
/// large workplace, run in `spawn_blocking`.
fn status_lines(lang: Lang, read: StatusRead) -> Listing {
    let StatusRead {
        place,
        year,
        today,
        tz,
        members,
        by_member,
        attendance,
        unregistered,
        elsewhere,
        no_roster,
        moves,
        introduced,
    } = read;

    let mut title = t!(
        lang,
        "status-header",
        workplace = place.name.as_str(),
        year = year,
        count = members.len(),
        // As the language writes it ("1.250"); the count picks the form.
        members = crate::i18n::count(lang, members.len())
    );
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    let mut any_flagged = false;
    let empty = Vec::new();
    let names = super::render::told_apart(lang, &choices_in(tz, &members));
    for (m, name) in members.iter().zip(names) {
        let acts = by_member.get(&m.membership_id).unwrap_or(&empty);
        let e =
            Evidence::build(year, today, m.introduced(tz), acts).excusing(year, &m.exemptions(tz));
        // The last activity in person (money is no contact), as the
        // months without activity beside it count.
        let last = acts.iter().filter(|a| a.is_contact()).map(|a| a.date).max();
        let period: Vec<u32> = e.expected_months.iter().copied().collect();
        let silent = trailing_silent(&period, &e.active_months);
        let duties: Vec<String> = e
            .by_duty
            .iter()
            .map(|(d, n)| {
                let (duty, count) = (*d, *n);
                t!(lang, "evidence-duty", duty = duty, count = count)
            })
            .collect();
        let duties = if duties.is_empty() {
            t!(lang, "status-no-reports")
        } else {
            duties.join(", ")
        };
        // No activity in person yet: "none", not "(not given)" as for a
        // field left empty.
        let last = last
            .map(format_dmy)
            .unwrap_or_else(|| t!(lang, "status-last-none"));
        // An exempt member has no sheet to wait for (one signed before the
        // exemption stays signed).
        let state = crate::sheet::build::listed_state_or_exempt(lang, m);
        let flagged = silent >= FLAG_SILENT_MONTHS && m.exempt_reason.is_none();
        any_flagged |= flagged;
        let flag = if flagged { "⚠️ " } else { "" };
        // Inside the line, after "; ": in lower case, not the sheet's own
        // sentence.
        let months = t!(
            lang,
            "status-active-months",
            active = e.period_active(),
            expected = e.expected_months.len()
        );
        let line = t!(
            lang,
            "status-line",
            flag = flag,
            name = name.as_str(),
            cell = m.cell_name.as_str(),
            total = e.total,
            duties = duties.as_str(),
            last = last.as_str(),
            silent = silent,
            state = state.as_str()
        );
        let (attended, held) = attendance.get(&m.user_id).copied().unwrap_or((0, 0));
        let meetings = t!(lang, "attendance-status", count = attended, total = held);
        // Money alone is not contact, and is shown as what it is.
        let money = if e.money_only() {
            t!(lang, "status-money-only")
        } else {
            String::new()
        };
        if money.is_empty() {
            lines.push(format!("{line}; {months}; {meetings}"));
        } else {
            lines.push(format!("{line}; {months}; {meetings}; {money}"));
        }
        rows.push(vec![
            name,
            m.cell_name.clone(),
            e.total.to_string(),
            duties,
            last,
            silent.to_string(),
            format!("{}/{}", e.period_active(), e.expected_months.len()),
            state,
            [if flagged { "⚠️" } else { "" }, money.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            format!("{attended}/{held}"),
        ]);
    }
    // The sign is explained where it is shown: a list without one (no
    // member yet, or none silent) does not explain it.
    if any_flagged {
        title = format!("{title} {}", t!(lang, "status-flag-legend"));
    }
    if !unregistered.is_empty() {
        let count = unregistered.len();
        title = format!(
            "{title}\n{}",
            t!(
                lang,
                "roster-status-count",
                count = count,
                people = crate::i18n::count(lang, count)
            )
        );
    }
    if members.is_empty() && unregistered.is_empty() && elsewhere.is_empty() {
        lines.push(t!(lang, "status-none"));
        if no_roster {
            let workplace = place.name.as_str();
            lines.push(t!(lang, "status-no-roster", workplace = workplace));
        }
    }
    lines.extend(moves);
    // roster: at the end of the list, each with Introduce (and the date
    // of the last introduction, if any).
    let mut buttons = vec![None; lines.len()];
    let label = t!(lang, "roster-unregistered");
    // Namesakes (people not registered of the same name) are told apart
    // by their phone, or their line of the roster: two identical lines
    // and Introduce buttons would leave the officer guessing.
    let mut names: HashMap<&str, usize> = HashMap::new();
    for person in &unregistered {
        *names.entry(person.name_key.as_str()).or_default() += 1;
    }
    for person in &unregistered {
        let name = if names.get(person.name_key.as_str()).copied().unwrap_or(0) > 1 {
            namesake(lang, person)
        } else {
            person.full_name.clone()
        };
        let when = crate::store::introductions::introduced_on(
            &introduced,
            person.phone.as_deref(),
            &person.name_key,
        );
        let state = match when {
            Some(at) => {
                let date = format_dmy(at.with_timezone(&tz).date_naive());
                format!(
                    "{label}; {}",
                    t!(lang, "introduce-status-date", date = date)
                )
            }
            None => label.clone(),
        };
        lines.push(format!("{name}: {state}"));
        buttons.push(Some(super::keyboards::button(
            t!(lang, "introduce-button", name = name.as_str()),
            crate::telegram::callback_data::CallbackData::Introduce(person.id),
        )));
        let mut row = vec![name, state];
        row.resize(10, String::new()); // as many as the headers
        rows.push(row);
    }
    // On the roster, registered in a cell with another workplace declared
    // (read above).
    for (person, member) in &elsewhere {
        let state = t!(
            lang,
            "roster-status-elsewhere",
            cell = member.cell_name.as_str()
        );
        lines.push(format!("{}: {state}", person.full_name));
        buttons.push(None);
        let mut row = vec![person.full_name.clone(), state];
        row.resize(10, String::new()); // as many as the headers
        rows.push(row);
    }
    // A button a line: fewer lines a page.
    let per_page = if unregistered.is_empty() {
        super::pager::LINES_PER_PAGE
    } else {
        super::pager::LINES_PER_PAGE / 2
    };
    let headers = [
        t!(lang, "page-col-name"),
        t!(lang, "page-col-cell"),
        t!(lang, "page-col-reports"),
        t!(lang, "page-col-duties"),
        t!(lang, "page-col-last"),
        t!(lang, "page-col-silent"),
        t!(lang, "page-col-months"),
        t!(lang, "page-col-sheet"),
        t!(lang, "page-col-flag"),
        t!(lang, "attendance-export-attended"),
    ];
    Listing {
        view: View::Status,
        scope: place.id,
        year,
        title,
        lines,
        buttons,
        per_page,
        table: super::pager::text_table(&headers, rows),
        file_name: format!(
            "{}-{year}-{}",
            t!(lang, "page-file-status"),
            crate::domain::file_slug(&place.name)
        ),
        footer: Vec::new(),
    }
}

/// A person of the roster with what tells them from a namesake: their
/// phone, or without one their line of the roster.
fn namesake(lang: Lang, person: &crate::store::roster::Entry) -> String {
    let name = person.full_name.as_str();
    match person.phone.as_deref() {
        Some(phone) => t!(lang, "roster-namesake-phone", name = name, phone = phone),
        None => {
            let line = person.line;
            t!(lang, "roster-namesake-line", name = name, line = line)
        }
    }
}

/// `/sheet NAME [YYYY]`: an officer's member's signed sheet of that year,
/// or without a year the latest one signed.
pub async fn sheet(bot: &Bot, app: &App, ctx: &Ctx, arg: &str) -> HandlerResult {
    let lang = ctx.lang;
    let places = workplaces::officer_of(&app.pool, ctx.user_id()).await?;
    if places.is_empty() {
        ctx.refuse(bot, app, t!(lang, "officers-only")).await?;
        return Ok(());
    }
    let (name, year_arg) = split_year(arg);
    let wanted = name_key(name);
    if wanted.is_empty() {
        send::text(bot, ctx.chat, t!(lang, "sheet-usage")).await?;
        return Ok(());
    }
    let year = match year_arg {
        Some(typed) => {
            let scopes: Vec<Scope> = places.iter().map(|p| Scope::Workplace(p.id)).collect();
            match years::chosen_year(bot, app, ctx, typed, "/sheet", &scopes).await? {
                Some(year) => Some(year),
                None => return Ok(()),
            }
        }
        None => None,
    };
    // Without a year: anyone of the workplace now (their latest signed sheet).
    let all = officer_members(app, &places, year).await?;
    let found = named(&all, name, |m| &m.full_name);
    let name = name.trim();
    match found.as_slice() {
        [] => {
            // Quoted no longer than a name can be (a pasted text, not a name).
            let shown = render::excerpt(name, MAX_NAME_CHARS);
            // Somebody the workplace knows whom no cell can comment on: why.
            let nobody = t!(lang, "sheet-not-found", name = shown.as_str());
            let text =
                super::requests::none_askable(app, ctx, name, MAX_SHEET_CHOICES, nobody).await?;
            send::text(bot, ctx.chat, send::clip(&text)).await?;
        }
        [m] => send_member_sheet(bot, app, ctx, m, year).await?,
        many if many.len() <= MAX_SHEET_CHOICES => {
            // Members of the same name: one button each, with their cell
            // (and for namesakes of one cell what tells them apart).
            let labels = super::render::choice_labels(lang, &choices(app, many));
            let rows = many.iter().zip(labels).map(|(m, label)| {
                [keyboards::button(
                    label,
                    CallbackData::OfficerSheet(m.membership_id, year.unwrap_or(0)),
                )]
            });
            send::with_markup(
                bot,
                ctx.chat,
                t!(lang, "sheet-choose", count = many.len()),
                InlineKeyboardMarkup::new(rows),
            )
            .await?;
        }
        many => {
            // The first of them, as many as one message holds (a long
            // cell's name on every line); the officer types more of the name.
            let more = |count: usize| t!(lang, "sheet-many-more", count = count);
            let mut text = t!(lang, "sheet-many", count = many.len());
            let mut shown = 0;
            for m in many.iter().take(MAX_SHEET_LISTED) {
                let line = format!("• {} ({})", m.full_name, m.cell_name);
                // Room kept for the line that counts the rest.
                let rest = send::units(&more(many.len() - shown)) + 1;
                if send::units(&text) + 1 + send::units(&line) + rest > send::MAX_MESSAGE_CHARS {
                    break;
                }
                text.push('\n');
                text.push_str(&line);
                shown += 1;
            }
            if shown < many.len() {
                text.push('\n');
                text.push_str(&more(many.len() - shown));
            }
            send::text(bot, ctx.chat, text).await?;
        }
    }
    Ok(())
}

/// Members as [`super::render::told_apart`] takes them.
fn choices<'a>(app: &App, members: &'a [yearly::MemberRow]) -> Vec<Named<'a>> {
    choices_in(app.tz, members)
}

/// [`choices`] in the time zone `tz`.
fn choices_in(tz: chrono_tz::Tz, members: &[yearly::MemberRow]) -> Vec<Named<'_>> {
    members
        .iter()
        .map(|m| {
            let shown = (
                m.full_name.as_str(),
                m.cell_name.as_str(),
                m.phone.as_deref(),
            );
            Named::new(shown, m.introduced_on, m.active_since, tz)
        })
        .collect()
}

/// How many members of one name /sheet offers as buttons; more are listed
/// and the officer types a longer name.
const MAX_SHEET_CHOICES: usize = 20;

/// How many of more members matching /sheet are named.
const MAX_SHEET_LISTED: usize = 40;

/// The members of the officer's workplaces /sheet looks in: of `year`'s
/// list, or without a year of this year's (anyone of the workplace now).
async fn officer_members(
    app: &App,
    places: &[workplaces::Workplace],
    year: Option<i32>,
) -> anyhow::Result<Vec<yearly::MemberRow>> {
    let listed_year = year.unwrap_or_else(|| app.today().year());
    let mut all = Vec::new();
    for place in places {
        all.extend(
            yearly::members(&app.pool, Scope::Workplace(place.id), listed_year, app.tz).await?,
        );
    }
    // Those who left the workplace, or whose membership ended, since the
    // year began (without a year, since the year under review began):
    // their sheet of it still goes to the workplace.
    let since_year = year.unwrap_or_else(|| app.review.default_year(app.today()));
    let (first, next) = yearly::year_bounds(since_year)?;
    let (since, _) = crate::store::meetings::utc_bounds(first, next, app.tz);
    for place in places {
        for m in yearly::former_of_workplace(&app.pool, place.id, listed_year, since).await? {
            if !all.iter().any(|a| a.membership_id == m.membership_id) {
                all.push(m);
            }
        }
    }
    Ok(all)
}

/// An officer's choice among members of the same name (`year` 0: the
/// latest sheet signed). The member is looked up again among the
/// officer's workplaces' members: a forged or stale button shows nothing.
pub async fn on_sheet_choice(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (membership_id, year): (i64, i32),
) -> HandlerResult {
    let lang = ctx.lang;
    let places = workplaces::officer_of(&app.pool, ctx.user_id()).await?;
    let year = (year != 0).then_some(year);
    let member = officer_members(&app, &places, year)
        .await?
        .into_iter()
        .find(|m| m.membership_id == membership_id);
    let Some(member) = member else {
        send::alert(&bot, &q, t!(lang, "stale-button")).await?;
        return Ok(());
    };
    send::ack(&bot, &q).await?;
    send_member_sheet(&bot, &app, &ctx, &member, year).await
}

/// Sends an officer the member's signed sheet of `year` (without a year,
/// the latest signed, in whichever cell they were in: before a move too)
/// with the check of its code, or says it is not signed.
async fn send_member_sheet(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    m: &yearly::MemberRow,
    year: Option<i32>,
) -> HandlerResult {
    let lang = ctx.lang;
    let signed = sheets_store::signed_of_person(&app.pool, m.membership_id, year).await?;
    let year = year.or(signed.as_ref().map(|s| s.year as i32));
    let sent = match (&signed, year) {
        (Some(sheet), Some(year)) => {
            sheets::resend(bot, app, (ctx.chat, lang), sheet.membership_id, year).await?
        }
        _ => None,
    };
    match sent {
        Some(code) => {
            let checked = crate::sheet::build::verify(&app.pool, &code).await?;
            if matches!(checked, crate::sheet::build::Verification::Valid { .. }) {
                let text = sheets::verify_answer(lang, &checked, app.tz);
                send::text(bot, ctx.chat, text).await?;
            }
        }
        None => {
            let text = match year {
                Some(year) => {
                    let sheet = sheets_store::for_member(&app.pool, m.membership_id, year).await?;
                    let state =
                        state_label(lang, sheet.map_or(SheetState::NotStarted, |s| s.state()));
                    t!(
                        lang,
                        "year-sheet-not-signed",
                        name = m.full_name.as_str(),
                        year = year,
                        state = state
                    )
                }
                None => t!(lang, "year-no-signed-sheet", name = m.full_name.as_str()),
            };
            send::text(bot, ctx.chat, text).await?;
        }
    }
    Ok(())
}

/// The scopes a user may see statistics and exports of, with their names.
async fn scopes(app: &App, user: i64, officers_too: bool) -> anyhow::Result<Vec<(Scope, String)>> {
    let mut out = Vec::new();
    for cell in cells::secretary_cells(&app.pool, user).await? {
        out.push((Scope::Cell(cell.id), cell.name));
    }
    for ward in wards::supervisor_of(&app.pool, user).await? {
        out.push((Scope::Ward(ward.id), ward.name));
    }
    // ward administrators: their wards as a supervisor sees them (once).
    for ward in wards::admin_of(&app.pool, user).await? {
        if !out.iter().any(|(s, _)| *s == Scope::Ward(ward.id)) {
            out.push((Scope::Ward(ward.id), ward.name));
        }
    }
    if officers_too {
        for place in workplaces::officer_of(&app.pool, user).await? {
            out.push((Scope::Workplace(place.id), place.name));
        }
    }
    Ok(out)
}

/// Whether `scope` is still one the user may see (read again now): a role
/// taken away while the scopes before it were being made and sent leaves
/// the rest unsent; the user is told which (`None`: still theirs).
async fn gone_since(
    app: &App,
    lang: Lang,
    user: i64,
    (scope, name): (Scope, &str),
    officers_too: bool,
) -> anyhow::Result<Option<String>> {
    if scopes(app, user, officers_too)
        .await?
        .iter()
        .any(|(s, _)| *s == scope)
    {
        return Ok(None);
    }
    tracing::info!(user, ?scope, "a view's scope went while it was made");
    Ok(Some(t!(lang, "overview-scope-gone", scope = name)))
}

/// `/stats [YYYY]`: a chart of monthly participation and the year by duty.
pub async fn stats(bot: &Bot, app: &App, ctx: &Ctx, arg: &str) -> HandlerResult {
    let lang = ctx.lang;
    let scopes = scopes(app, ctx.user_id(), false).await?;
    if scopes.is_empty() {
        // A deputy who was a secretary: also which cell's role ended.
        let text = t!(lang, "stats-only");
        let text = super::roles::with_secretary_role_gone(app, ctx, text).await?;
        ctx.refuse(bot, app, text).await?;
        return Ok(());
    }
    let ids: Vec<Scope> = scopes.iter().map(|(s, _)| *s).collect();
    let Some(year) = years::chosen_year(bot, app, ctx, arg, "/stats", &ids).await? else {
        return Ok(());
    };
    let today = app.today();
    for (scope, name) in scopes {
        let months = stats::participation(&app.pool, scope, year, today, app.tz).await?;
        if months.is_empty() {
            let mut text = t!(lang, "year-stats-empty", scope = name.as_str(), year = year);
            // attendance
            if let Some(note) = half_note(app, lang, scope, year, today).await? {
                text.push_str("\n\n");
                text.push_str(&note);
            }
            if let Some(gone) = gone_since(app, lang, ctx.user_id(), (scope, &name), false).await? {
                send::text(bot, ctx.chat, gone).await?;
                continue;
            }
            // The note may name many cells: in parts, never cut.
            send::long(bot, ctx.chat, &text).await?;
            continue;
        }
        let chart = ParticipationChart {
            title: t!(lang, "stats-title", scope = name.as_str()),
            y_label: t!(lang, "stats-y-label"),
            months: months
                .iter()
                .map(|(p, share)| (p.display(), *share))
                .collect(),
        };
        // Drawing is CPU work: off the async runtime.
        let png = tokio::task::spawn_blocking(move || render_png(&chart)).await??;
        let caption = t!(
            lang,
            "stats-caption",
            scope = name.as_str(),
            from = months[0].0.display(),
            to = months[months.len() - 1].0.display()
        );
        // The role read again once the chart is drawn: taken away
        // meanwhile (a scope before this one being sent), nothing of it.
        if let Some(gone) = gone_since(app, lang, ctx.user_id(), (scope, &name), false).await? {
            send::text(bot, ctx.chat, gone).await?;
            continue;
        }
        let photo = InputFile::memory(png).file_name("thong-ke.png");
        send::patiently(|| {
            bot.send_photo(ctx.chat, photo.clone())
                .caption(caption.clone())
                .send()
        })
        .await?;
        let counts = stats::year_counts(&app.pool, scope, year, app.tz).await?;
        // Counts as the language writes them ("1.250" in Vietnamese).
        let shown = |n: u32| crate::i18n::count(lang, n as usize);
        let mut lines = vec![t!(
            lang,
            "stats-duties-header",
            scope = name.as_str(),
            year = year
        )];
        for duty in 1..=7u8 {
            lines.push(t!(
                lang,
                "stats-duty-line",
                duty = duty,
                count = shown(counts.by_duty.get(&duty).copied().unwrap_or(0))
            ));
        }
        // Money alone is not contact: who gave nothing else is counted apart.
        if counts.money_only > 0 {
            lines.push(t!(
                lang,
                "stats-money-only",
                year = year,
                count = shown(counts.money_only)
            ));
        }
        // attendance: a ward's cells without a periodic meeting this half.
        if let Some(note) = half_note(app, lang, scope, year, today).await? {
            lines.push(String::new());
            lines.push(note);
        }
        send::long(bot, ctx.chat, &lines.join("\n")).await?;
    }
    Ok(())
}

// attendance
/// For a ward: its cells with no periodic meeting held or scheduled in the
/// half-year of `today`, or for a past `year` in its second half (or that
/// every cell has one, or that the ward has no cell yet).
async fn half_note(
    app: &App,
    lang: Lang,
    scope: Scope,
    year: i32,
    today: NaiveDate,
) -> anyhow::Result<Option<String>> {
    use crate::domain::meeting::Half;
    let Scope::Ward(ward) = scope else {
        return Ok(None);
    };
    // A ward without cells has no cell that met, nor one that did not:
    // "every cell has met" would tell its supervisor all is well.
    if cells::in_ward(&app.pool, ward).await?.is_empty() {
        return Ok(Some(t!(lang, "attendance-stats-half-no-cells")));
    }
    let half = match year.cmp(&today.year()) {
        std::cmp::Ordering::Less => Half { year, half: 2 },
        std::cmp::Ordering::Equal => Half::of(today),
        std::cmp::Ordering::Greater => return Ok(None),
    };
    let (from, until) = crate::store::meetings::utc_bounds(half.first_day(), half.end(), app.tz);
    let cells = crate::store::meetings::ward_cells_without_periodic(
        &app.pool,
        ward,
        from,
        until,
        app.now(),
    )
    .await?;
    let (from, to) = (
        format_dmy(half.first_day()),
        format_dmy(half.end().pred_opt().unwrap_or(half.end())),
    );
    let count = cells.len();
    let names = cells.join(", ");
    // A past year's second half is no longer "this half-year" (/stats in
    // the review season is of last year).
    let past = year < today.year();
    Ok(Some(match (cells.is_empty(), past) {
        (true, false) => t!(lang, "attendance-stats-half-none", from = from, to = to),
        (false, false) => t!(
            lang,
            "attendance-stats-half",
            from = from,
            to = to,
            count = count,
            names = names
        ),
        (true, true) => t!(
            lang,
            "attendance-stats-past-half-none",
            year = year,
            from = from,
            to = to
        ),
        (false, true) => t!(
            lang,
            "attendance-stats-past-half",
            year = year,
            from = from,
            to = to,
            count = count,
            names = names
        ),
    }))
}

/// `/export [YYYY]`: the year's XLSX of the user's own cell, workplace or
/// ward.
pub async fn export(bot: &Bot, app: &App, ctx: &Ctx, arg: &str) -> HandlerResult {
    let lang = ctx.lang;
    let scopes = scopes(app, ctx.user_id(), true).await?;
    if scopes.is_empty() {
        // A deputy who was a secretary: also which cell's role ended.
        let text = t!(lang, "export-only");
        let text = super::roles::with_secretary_role_gone(app, ctx, text).await?;
        ctx.refuse(bot, app, text).await?;
        return Ok(());
    }
    let ids: Vec<Scope> = scopes.iter().map(|(s, _)| *s).collect();
    let Some(year) = years::chosen_year(bot, app, ctx, arg, "/export", &ids).await? else {
        return Ok(());
    };
    let today = app.today();
    for (scope, name) in scopes {
        // A ward without cells, or a ward, cell or workplace with no
        // confirmed member in the year, has nobody to list: told so (as
        // /stats tells it), rather than sent a workbook of headers alone.
        let no_cells = match scope {
            Scope::Ward(ward) => !cells::ward_has_any(&app.pool, ward).await?,
            _ => false,
        };
        // Read first; the table is built and the workbook written off the
        // async runtime (a ward of thousands of members).
        let source = if no_cells {
            None
        } else {
            Some(export::read(&app.pool, scope, year, today, app.tz).await?)
        };
        let nobody = match &source {
            None => Some(t!(
                lang,
                "export-ward-no-cells",
                scope = name.as_str(),
                year = year
            )),
            // A cell or a workplace with nobody in the year: also how
            // members come (the secretary's /invite link; introduced from
            // the workplace's /status).
            Some(read) if read.is_empty() => Some(match scope {
                Scope::Cell(_) => t!(
                    lang,
                    "export-cell-no-members",
                    scope = name.as_str(),
                    year = year
                ),
                Scope::Workplace(_) => t!(
                    lang,
                    "export-workplace-no-members",
                    scope = name.as_str(),
                    year = year
                ),
                _ => t!(
                    lang,
                    "export-ward-no-members",
                    scope = name.as_str(),
                    year = year
                ),
            }),
            Some(_) => None,
        };
        if let Some(text) = nobody {
            let gone = gone_since(app, lang, ctx.user_id(), (scope, &name), true).await?;
            send::text(bot, ctx.chat, gone.unwrap_or(text)).await?;
            continue;
        }
        let Some(source) = source else { continue };
        let count = source.len();
        // Building the table and writing the workbook is CPU work: off the
        // async runtime.
        let bytes = tokio::task::spawn_blocking(move || {
            export::to_xlsx(&export::build(&source, lang), &format!("{year}"))
        })
        .await??;
        // The role read again once the workbook is written: taken away
        // meanwhile (a scope before this one being sent), not delivered.
        if let Some(gone) = gone_since(app, lang, ctx.user_id(), (scope, &name), true).await? {
            send::text(bot, ctx.chat, gone).await?;
            continue;
        }
        let file = InputFile::memory(bytes).file_name(format!(
            "lienhe-{year}-{}.xlsx",
            crate::domain::file_slug(&name)
        ));
        let caption = t!(
            lang,
            "export-caption",
            scope = name.as_str(),
            year = year,
            count = count,
            members = crate::i18n::count(lang, count)
        );
        send::patiently(|| {
            bot.send_document(ctx.chat, file.clone())
                .caption(caption.clone())
                .send()
        })
        .await?;
    }
    Ok(())
}

/// `NAME [YYYY]`: a trailing four-digit token is the year.
fn split_year(arg: &str) -> (&str, Option<&str>) {
    let arg = arg.trim();
    match arg.rsplit_once(char::is_whitespace) {
        Some((name, last)) if last.len() == 4 && last.bytes().all(|b| b.is_ascii_digit()) => {
            (name.trim_end(), Some(last))
        }
        _ => (arg, None),
    }
}

#[cfg(test)]
mod tests {
    use super::split_year;

    #[test]
    fn a_trailing_four_digit_token_is_the_year() {
        assert_eq!(
            split_year("Nguyễn Văn An 2026"),
            ("Nguyễn Văn An", Some("2026"))
        );
        assert_eq!(split_year(" An  2025 "), ("An", Some("2025")));
        assert_eq!(split_year("Nguyễn Văn An"), ("Nguyễn Văn An", None));
        assert_eq!(split_year("An 26"), ("An 26", None));
        assert_eq!(split_year("2026"), ("2026", None));
    }
}
