//! The workplace officers' monthly digest, queued with the month's round:
//! for each workplace an officer follows, the people on its roster still
//! in no residence cell 30 days after their introduction, the members
//! silent for three months or more, the comment sheets of the year under
//! review not yet signed (in the review season), and the workplace's
//! comment requests past their due day.

use std::collections::HashMap;

use chrono::Duration;

use super::reminders::{
    READERS_PER_BATCH, Shown, end_batch, fitted, long_silent_name, names, overdue_lines,
};
use crate::{
    app::App,
    domain::{Lang, dates::format_dmy, schedule::Period},
    store::{
        broadcasts,
        memberships::{self, WorkplaceStanding},
        outbox::{self, Part, Payload},
        requests::{self, Overdue},
        roster::{self, StillUnregistered},
        sheets,
        workplaces::{self, OfficerOf},
    },
    t,
    telegram::named::{Named, told_apart},
};

/// Days after an introduction before a person still not registered is
/// pointed out to the officers.
pub const UNREGISTERED_AFTER_DAYS: i64 = 30;

/// The broadcast period of a month's officers' digest (the secretaries'
/// digest of the month has the month itself).
pub fn period_key(period: Period) -> String {
    format!("{period}:officers")
}

/// What the officers' digests of a batch need (three queries), and
/// the people not registered after their introduction (read once for the
/// whole round, by workplace).
struct Facts<'a> {
    standings: HashMap<i64, Vec<WorkplaceStanding>>,
    unregistered: &'a HashMap<i64, Vec<StillUnregistered>>,
    /// By workplace: (membership, name).
    unsigned: HashMap<i64, Vec<(i64, String)>>,
    /// The year under review whose unsigned sheets are named, if any.
    sheet_year: Option<i32>,
    /// The workplace's comment requests past their due day.
    overdue: HashMap<i64, Vec<Overdue>>,
}

impl<'a> Facts<'a> {
    async fn load(
        app: &App,
        period: Period,
        workplaces: &[i64],
        unregistered: &'a HashMap<i64, Vec<StillUnregistered>>,
    ) -> anyhow::Result<Self> {
        let pool = &app.pool;
        let mut standings: HashMap<i64, Vec<WorkplaceStanding>> = HashMap::new();
        for m in memberships::standings_of_workplaces(pool, period, workplaces).await? {
            standings.entry(m.workplace_id).or_default().push(m);
        }
        // A round caught up in a later month (the bot stopped across its
        // due day) names no sheet its own month could not have: October's
        // sent in November says nothing of the season opened since.
        let last_day = period.end().pred_opt().unwrap_or(period.first_day());
        let sheet_year = app
            .review
            .open_year(app.today())
            .filter(|year| app.review.open_year(last_day) == Some(*year));
        // The sheets the residence cells can still sign: those of the year
        // under review, during its season; none outside it.
        let mut unsigned: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
        if let Some(year) = sheet_year {
            for (workplace, membership, name, _) in
                sheets::unsigned_of_workplaces(pool, year, workplaces, app.tz).await?
            {
                unsigned
                    .entry(workplace)
                    .or_default()
                    .push((membership, name));
            }
        }
        let mut overdue: HashMap<i64, Vec<Overdue>> = HashMap::new();
        for r in requests::overdue_of_workplaces(pool, workplaces, app.today()).await? {
            overdue.entry(r.workplace_id).or_default().push(r);
        }
        Ok(Facts {
            standings,
            unregistered,
            unsigned,
            sheet_year,
            overdue,
        })
    }
}

/// The officers' digests, a batch of officers per transaction; resumes
/// after the last officer a round cut short had queued.
pub async fn queue(app: &App, period: Period, round: broadcasts::Round) -> anyhow::Result<usize> {
    let readers = workplaces::digest_readers(&app.pool).await?;
    let officers: Vec<(i64, Vec<&OfficerOf>)> = by_officer(&readers)
        .into_iter()
        .filter(|(officer, _)| round.through.is_none_or(|t| *officer > t))
        .collect();
    if officers.is_empty() {
        return Ok(0);
    }
    let cutoff = app.now() - Duration::days(UNREGISTERED_AFTER_DAYS);
    let mut unregistered: HashMap<i64, Vec<StillUnregistered>> = HashMap::new();
    for p in roster::unregistered_after_introduction(&app.pool, cutoff).await? {
        unregistered.entry(p.workplace_id).or_default().push(p);
    }
    let mut queued = 0;
    for batch in officers.chunks(READERS_PER_BATCH) {
        let mut ids: Vec<i64> = batch
            .iter()
            .flat_map(|(_, list)| list.iter().map(|w| w.workplace_id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let facts = Facts::load(app, period, &ids, &unregistered).await?;
        let digests: Vec<(i64, Payload)> = batch
            .iter()
            .map(|(officer, list)| {
                let lang = Lang::stored(list[0].language.as_deref());
                let (text, sections) = fitted(|shown| {
                    let sections: Vec<String> = list
                        .iter()
                        .map(|w| section(app, lang, period, w, &facts, shown))
                        .collect();
                    let text = format!(
                        "{}\n\n{}",
                        t!(lang, "officer-digest-header", month = period.display()),
                        sections.join("\n\n")
                    );
                    (text, sections)
                });
                // Each workplace's part, taken out if the reader is no
                // longer its officer when the digest goes.
                let parts = list
                    .iter()
                    .zip(sections)
                    .map(|(w, text)| Part {
                        cell: None,
                        workplace: Some(w.workplace_id),
                        ward: None,
                        text,
                        pending: false,
                    })
                    .collect();
                let payload = Payload {
                    text,
                    parts,
                    ..Payload::default()
                };
                (*officer, payload)
            })
            .collect();
        let mut tx = crate::store::tx::begin(&app.pool).await?;
        let started = std::time::Instant::now();
        let here = outbox::enqueue_many(&mut tx, round.id, &digests, app.now()).await?;
        if let Some((last, _)) = batch.last() {
            broadcasts::queued_through(&mut tx, round.id, *last).await?;
        }
        queued += end_batch(app, tx, started, here).await?;
    }
    Ok(queued)
}

/// Workplaces by officer, in a stable order.
fn by_officer(readers: &[OfficerOf]) -> Vec<(i64, Vec<&OfficerOf>)> {
    let mut out: Vec<(i64, Vec<&OfficerOf>)> = Vec::new();
    for r in readers {
        match out.last_mut() {
            Some((officer, list)) if *officer == r.user_id => list.push(r),
            _ => out.push((r.user_id, vec![r])),
        }
    }
    out
}

/// One workplace's part of a digest.
fn section(
    app: &App,
    lang: Lang,
    period: Period,
    w: &OfficerOf,
    facts: &Facts,
    shown: Shown,
) -> String {
    let members = facts
        .standings
        .get(&w.workplace_id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    // Namesakes of the workplace told apart, as the committee's digest
    // tells those of a cell apart: by phone, or month of introduction.
    let named: Vec<Named> = members
        .iter()
        .map(|m| {
            let shown = (
                m.full_name.as_str(),
                w.workplace_name.as_str(),
                m.phone.as_deref(),
            );
            Named::new(shown, m.introduced_on, m.active_since, app.tz)
        })
        .collect();
    let labels = told_apart(lang, &named);
    let label: HashMap<i64, &str> = members
        .iter()
        .zip(&labels)
        .map(|(m, label)| (m.id, label.as_str()))
        .collect();
    let mut lines = vec![t!(
        lang,
        "officer-digest-workplace",
        workplace = w.workplace_name.as_str(),
        members = members.len(),
        // As the language writes it ("1.250"); the count picks the form.
        shown = crate::i18n::count(lang, members.len())
    )];
    if let Some(people) = facts.unregistered.get(&w.workplace_id) {
        let listed: Vec<String> = people
            .iter()
            .map(|p| {
                t!(
                    lang,
                    "officer-digest-unregistered-name",
                    name = p.full_name.as_str(),
                    date = format_dmy(p.introduced_at.with_timezone(&app.tz).date_naive())
                )
            })
            .collect();
        lines.push(t!(
            lang,
            "officer-digest-unregistered",
            count = crate::i18n::count(lang, listed.len()),
            days = UNREGISTERED_AFTER_DAYS,
            names = names(lang, &listed, shown.names)
        ));
    }
    let silent: Vec<String> = members
        .iter()
        .filter(|m| !m.exempt)
        .filter_map(|m| {
            long_silent_name(
                lang,
                period,
                label.get(&m.id).copied().unwrap_or(&m.full_name),
                m.introduced(app.tz),
                &m.exemptions(app.tz),
                m.last_activity,
            )
        })
        .collect();
    if !silent.is_empty() {
        lines.push(t!(
            lang,
            "officer-digest-silent",
            count = crate::i18n::count(lang, silent.len()),
            names = names(lang, &silent, shown.names)
        ));
    }
    if let (Some(unsigned), Some(year)) = (facts.unsigned.get(&w.workplace_id), facts.sheet_year) {
        let unsigned: Vec<String> = unsigned
            .iter()
            .map(|(id, name)| label.get(id).copied().unwrap_or(name).to_string())
            .collect();
        lines.push(t!(
            lang,
            "officer-digest-unsigned",
            count = crate::i18n::count(lang, unsigned.len()),
            year = year,
            names = names(lang, &unsigned, shown.names)
        ));
    }
    lines.extend(overdue_lines(
        lang,
        (facts.overdue.get(&w.workplace_id), w.user_id),
        |count| t!(lang, "officer-digest-overdue", count = count),
        |r, reason| {
            t!(
                lang,
                "officer-digest-overdue-item",
                name = r.full_name.as_str(),
                reason = reason,
                cell = r.cell_name.as_str(),
                due = format_dmy(r.due_on)
            )
        },
        shown.items,
    ));
    if lines.len() == 1 {
        lines.push(t!(lang, "officer-digest-nothing", month = period.display()));
    }
    lines.join("\n")
}
