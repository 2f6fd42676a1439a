//! What the scheduler queues: the monthly member reminders, the secretary
//! digests and the notes about reports left pending too long.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Duration};

use crate::{
    app::App,
    domain::{
        Lang,
        dates::format_dmy,
        review_year::{evidence_months, year_at_risk},
        schedule::{Period, STALE_AFTER_DAYS, silent_months},
    },
    store::{
        broadcasts::{self, Kind},
        cells::{self, WithSecretary},
        committee,
        memberships::{self, Standing},
        outbox::{self, Payload},
        reports::{self, Report},
        yearly::{self, Scope},
    },
    t,
    telegram::callback_data::CallbackData,
};

/// Names listed in a digest section before "and N others".
const MAX_NAMES: usize = 30;

/// What a round queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Queued {
    pub reminders: usize,
    pub digests: usize,
}

impl Queued {
    pub fn total(self) -> usize {
        self.reminders + self.digests
    }
}

fn lang_of(code: Option<&str>) -> Lang {
    code.and_then(Lang::from_code).unwrap_or_default()
}

/// Queues the month's reminders and digests, once: `None` if the month
/// was queued before.
pub async fn queue_month(app: &App, period: Period) -> anyhow::Result<Option<Queued>> {
    let pool = &app.pool;
    if broadcasts::exists_for_period(pool, Kind::Reminder, &period.to_string()).await? {
        return Ok(None);
    }
    let now = app.now();
    let standings = memberships::standings(pool, period.first_day(), period.end()).await?;
    // Each cell's secretary and deputy get its digest.
    let cells = committee::digest_readers(pool).await?;
    let pending_joins: HashMap<i64, i64> = memberships::pending_counts(pool)
        .await?
        .into_iter()
        .collect();
    let pending_reports: HashMap<i64, i64> =
        reports::pending_counts(pool).await?.into_iter().collect();
    let stale = reports::stale_unnoted(pool, now - Duration::days(STALE_AFTER_DAYS)).await?;
    // From September: months of the year with approved activity, to warn
    // members whose year is at risk.
    let mut active_months: HashMap<i64, BTreeSet<u32>> = HashMap::new();
    if period.month >= 9 {
        let year_start = Period::new(period.year, 1).expect("January").first_day();
        for (membership, a) in
            yearly::activities(pool, Scope::All, year_start, period.end()).await?
        {
            active_months
                .entry(membership)
                .or_default()
                .insert(a.date.month());
        }
    }
    // The period the member is judged on, as the sheet counts it.
    let no_months = BTreeSet::new();
    let at_risk = |m: &Standing| {
        let active = active_months.get(&m.membership_id).unwrap_or(&no_months);
        let months = evidence_months(period.year, m.introduced(app.tz), period.end().pred_opt()?);
        let in_period = months.iter().filter(|x| active.contains(x)).count();
        year_at_risk(period.month, &months, active).then_some(in_period)
    };

    let mut tx = crate::store::tx::begin(pool).await?;
    let Some(reminder_round) =
        broadcasts::create_for_period(&mut tx, Kind::Reminder, &period.to_string(), now).await?
    else {
        return Ok(None);
    };
    let digest_round =
        broadcasts::create_for_period(&mut tx, Kind::Digest, &period.to_string(), now).await?;
    let mut queued = Queued::default();

    for member in &standings {
        if member.reports_in_period > 0 || member.unreachable {
            continue;
        }
        // Not a member yet in that month.
        if Period::of(member.active_since.with_timezone(&app.tz).date_naive()) > period {
            continue;
        }
        let lang = lang_of(member.language.as_deref());
        let mut text = t!(
            lang,
            "reminder-member",
            name = member.full_name.as_str(),
            month = period.display()
        );
        if let Some(months) = at_risk(member) {
            text = format!(
                "{text}\n\n{}",
                t!(
                    lang,
                    "reminder-at-risk",
                    months = months,
                    year = period.year
                )
            );
        }
        let payload = Payload {
            text,
            buttons: vec![vec![(
                t!(lang, "button-report-now"),
                CallbackData::ReportNow.encode(),
            )]],
            ..Payload::default()
        };
        if outbox::enqueue(&mut tx, reminder_round, member.user_id, &payload, now).await? {
            queued.reminders += 1;
        }
    }

    if let Some(digest_round) = digest_round {
        let by_cell = group_by_cell(&standings);
        for (secretary, cells) in group_by_secretary(&cells) {
            let lang = lang_of(cells[0].secretary_language.as_deref());
            let mut sections = Vec::new();
            let mut pending_total = 0;
            for cell in &cells {
                let members = by_cell.get(&cell.id).map(Vec::as_slice).unwrap_or_default();
                let joins = pending_joins.get(&cell.id).copied().unwrap_or(0);
                let reports = pending_reports.get(&cell.id).copied().unwrap_or(0);
                pending_total += joins + reports;
                let stale_here: Vec<&Report> =
                    stale.iter().filter(|r| r.cell_id == cell.id).collect();
                let mut section = digest_section(
                    app,
                    lang,
                    period,
                    cell,
                    members,
                    joins,
                    reports,
                    &stale_here,
                );
                let risky: Vec<String> = members
                    .iter()
                    .filter(|m| at_risk(m).is_some())
                    .map(|m| m.full_name.clone())
                    .collect();
                if !risky.is_empty() {
                    section.push('\n');
                    section.push_str(&t!(
                        lang,
                        "digest-at-risk",
                        count = risky.len(),
                        names = names(lang, &risky),
                        year = period.year
                    ));
                }
                sections.push(section);
                for r in stale_here {
                    reports::mark_stale_noted(&mut tx, r.id, now).await?;
                }
            }
            let mut buttons = Vec::new();
            if pending_total > 0 {
                buttons.push(vec![(
                    t!(lang, "button-open-pending"),
                    CallbackData::OpenPending.encode(),
                )]);
            }
            let text = format!(
                "{}\n\n{}",
                t!(lang, "digest-header", month = period.display()),
                sections.join("\n\n")
            );
            let payload = Payload {
                text: crate::telegram::send::clip(&text),
                buttons,
                ..Payload::default()
            };
            if outbox::enqueue(&mut tx, digest_round, secretary, &payload, now).await? {
                queued.digests += 1;
            }
        }
    }
    tx.commit().await?;
    tracing::info!(%period, reminders = queued.reminders, digests = queued.digests, "monthly round queued");
    app.wake_sender();
    Ok(Some(queued))
}

fn group_by_cell(standings: &[Standing]) -> HashMap<i64, Vec<&Standing>> {
    let mut map: HashMap<i64, Vec<&Standing>> = HashMap::new();
    for s in standings {
        map.entry(s.cell_id).or_default().push(s);
    }
    map
}

/// Cells by secretary, in a stable order.
fn group_by_secretary(cells: &[WithSecretary]) -> Vec<(i64, Vec<&WithSecretary>)> {
    let mut out: Vec<(i64, Vec<&WithSecretary>)> = Vec::new();
    for cell in cells {
        match out.last_mut() {
            Some((secretary, list)) if *secretary == cell.secretary_id => list.push(cell),
            _ => out.push((cell.secretary_id, vec![cell])),
        }
    }
    out
}

fn names(lang: Lang, names: &[String]) -> String {
    let mut shown: Vec<String> = names.iter().take(MAX_NAMES).cloned().collect();
    if names.len() > MAX_NAMES {
        let others = names.len() - MAX_NAMES;
        shown.push(t!(lang, "digest-and-others", count = others));
    }
    shown.join(", ")
}

#[allow(clippy::too_many_arguments)]
fn digest_section(
    app: &App,
    lang: Lang,
    period: Period,
    cell: &WithSecretary,
    members: &[&Standing],
    joins: i64,
    reports: i64,
    stale: &[&Report],
) -> String {
    let mut lines = vec![
        t!(
            lang,
            "digest-cell",
            cell = cell.name.as_str(),
            members = members.len()
        ),
        t!(lang, "digest-pending", joins = joins, reports = reports),
    ];
    let silent: Vec<String> = members
        .iter()
        .filter(|m| m.reports_in_period == 0)
        .map(|m| m.full_name.clone())
        .collect();
    if !silent.is_empty() {
        lines.push(t!(
            lang,
            "digest-silent-month",
            count = silent.len(),
            names = names(lang, &silent)
        ));
    }
    let long_silent: Vec<String> = members
        .iter()
        .filter_map(|m| {
            let since = m.introduced(app.tz).first_day();
            let months = silent_months(m.last_activity, since, period);
            (months >= 3).then(|| {
                t!(
                    lang,
                    "digest-silent-name",
                    name = m.full_name.as_str(),
                    months = months
                )
            })
        })
        .collect();
    if !long_silent.is_empty() {
        lines.push(t!(
            lang,
            "digest-silent-long",
            count = long_silent.len(),
            names = names(lang, &long_silent)
        ));
    }
    let unreachable: Vec<String> = members
        .iter()
        .filter(|m| m.unreachable)
        .map(|m| m.full_name.clone())
        .collect();
    if !unreachable.is_empty() {
        lines.push(t!(
            lang,
            "digest-unreachable",
            count = unreachable.len(),
            names = names(lang, &unreachable)
        ));
    }
    if !stale.is_empty() {
        lines.push(stale_lines(app, lang, stale));
    }
    lines.join("\n")
}

fn stale_lines(app: &App, lang: Lang, stale: &[&Report]) -> String {
    let items: Vec<String> = stale
        .iter()
        .map(|r| {
            t!(
                lang,
                "digest-stale-item",
                id = r.id,
                member = r.member_name.as_str(),
                since = format_dmy(r.created_at.with_timezone(&app.tz).date_naive())
            )
        })
        .collect();
    format!(
        "{}\n{}",
        t!(lang, "digest-stale", count = stale.len()),
        items.join("\n")
    )
}

/// Points out reports pending for more than a week to their secretary,
/// once per report, at most one note per day. A stale report in a cell
/// without a secretary is marked as pointed out without a note: there is
/// nobody to tell, and it is not looked at again (a secretary appointed
/// later sees it among the cell's pending reports).
pub async fn queue_stale_notes(app: &App) -> anyhow::Result<usize> {
    let pool = &app.pool;
    let now = app.now();
    let day = app.today().to_string();
    // Today's note went out already (before a restart).
    if broadcasts::exists_for_period(pool, Kind::Stale, &day).await? {
        return Ok(0);
    }
    let stale = reports::stale_unnoted(pool, now - Duration::days(STALE_AFTER_DAYS)).await?;
    if stale.is_empty() {
        return Ok(0);
    }
    let cells = cells::with_secretaries(pool).await?;
    let (told, untold): (Vec<&Report>, Vec<&Report>) = stale
        .iter()
        .partition(|r| cells.iter().any(|c| c.id == r.cell_id));
    let mut tx = crate::store::tx::begin(pool).await?;
    let mut queued = 0;
    if !told.is_empty() {
        let Some(round) = broadcasts::create_for_period(&mut tx, Kind::Stale, &day, now).await?
        else {
            return Ok(0);
        };
        for (secretary, cells) in group_by_secretary(&cells) {
            let lang = lang_of(cells[0].secretary_language.as_deref());
            let mine: Vec<&Report> = told
                .iter()
                .copied()
                .filter(|r| cells.iter().any(|c| c.id == r.cell_id))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let payload = Payload {
                text: crate::telegram::send::clip(&stale_lines(app, lang, &mine)),
                buttons: vec![vec![(
                    t!(lang, "button-open-pending"),
                    CallbackData::OpenPending.encode(),
                )]],
                ..Payload::default()
            };
            if outbox::enqueue(&mut tx, round, secretary, &payload, now).await? {
                queued += 1;
            }
            for r in mine {
                reports::mark_stale_noted(&mut tx, r.id, now).await?;
            }
        }
    }
    for r in &untold {
        reports::mark_stale_noted(&mut tx, r.id, now).await?;
    }
    tx.commit().await?;
    if !untold.is_empty() {
        tracing::info!(
            reports = untold.len(),
            "reports pending over a week in cells without a secretary: nobody to tell"
        );
    }
    if queued > 0 {
        app.wake_sender();
    }
    Ok(queued)
}
