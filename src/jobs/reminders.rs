//! What the scheduler queues: the monthly member reminders, the secretary
//! digests and the notes about reports left pending too long.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use crate::{
    app::App,
    domain::{
        Lang,
        dates::format_dmy,
        permissions::first_decider,
        review_year::{Exempted, evidence_months, excused, judged_on, year_at_risk},
        schedule::{LONG_SILENCE_MONTHS, Period, STALE_AFTER_DAYS, due_at, silent_months},
    },
    store::{
        broadcasts::{self, Kind},
        cells::WithSecretary,
        committee,
        memberships::{self, Standing},
        outbox::{self, Buttons, Part, Payload, Recipient},
        reports::{self, Report},
        yearly,
    },
    t,
    telegram::{
        callback_data::CallbackData,
        named::{Named, told_apart},
    },
};

/// Names listed in a digest section before "and N others".
const MAX_NAMES: usize = 30;

/// What a round queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Queued {
    pub reminders: usize,
    /// Secretaries' and deputies' digests.
    pub digests: usize,
    /// Workplace officers' digests.
    pub officer_digests: usize,
}

impl Queued {
    pub fn total(self) -> usize {
        self.reminders + self.digests + self.officer_digests
    }

    pub fn add(&mut self, other: Queued) {
        self.reminders += other.reminders;
        self.digests += other.digests;
        self.officer_digests += other.officer_digests;
    }
}

/// Members whose reminders one write transaction of the round queues (at
/// least one whole cell).
const MEMBERS_PER_BATCH: i64 = 1_000;

/// Digest readers one write transaction of the round queues for.
pub(super) const READERS_PER_BATCH: usize = 250;

/// The pause after each of the round's transactions: a chat update waiting
/// for the write lock polls for it (SQLite's busy handler sleeps between
/// tries), and a round that takes the lock again at once could keep it
/// waiting for several batches.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(5);

/// The longest write transaction of any round in this process, in
/// microseconds (what the benchmark reports).
pub static LONGEST_ROUND_TX_MICROS: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(0);

/// The longest part of those transactions before their commit (the
/// statements), in microseconds: the commit's time also holds SQLite's
/// automatic WAL checkpoint, which runs after the write lock is released.
pub static LONGEST_ROUND_WORK_MICROS: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(0);

fn micros(since: std::time::Instant) -> u64 {
    u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Notes how long a round's write transaction took, begin to commit.
fn record_tx(started: std::time::Instant) {
    LONGEST_ROUND_TX_MICROS.fetch_max(micros(started), std::sync::atomic::Ordering::Relaxed);
}

/// Commits one batch of the round, notes how long it held the lock, pauses
/// so a waiting chat update gets the lock, and wakes the sender if the
/// batch queued anything; returns how many it queued (`here`).
pub(super) async fn end_batch(
    app: &App,
    tx: crate::store::tx::Tx,
    started: std::time::Instant,
    here: usize,
) -> anyhow::Result<usize> {
    LONGEST_ROUND_WORK_MICROS.fetch_max(micros(started), std::sync::atomic::Ordering::Relaxed);
    tx.commit().await?;
    record_tx(started);
    tokio::time::sleep(PAUSE).await;
    if here > 0 {
        app.wake_sender();
    }
    Ok(here)
}

/// Queues the month's reminders, the secretaries' digests and the
/// officers' digests, once: `None` if the month was queued before.
///
/// The round is streamed: a batch of cells (or of digest readers) is read,
/// then queued in its own short write transaction that also records how far
/// the round got, so the bot is never kept waiting and a round cut short (a
/// crash, a stop) resumes after the last batch it queued when called again,
/// queuing nothing twice. A round is complete once all three passes are
/// done; each pass that was complete before is skipped.
pub async fn queue_month(app: &App, period: Period) -> anyhow::Result<Option<Queued>> {
    let pool = &app.pool;
    let key = period.to_string();
    let officers_key = super::officer_digest::period_key(period);
    let passes = [
        (Kind::Reminder, key.as_str()),
        (Kind::Digest, key.as_str()),
        (Kind::Digest, officers_key.as_str()),
    ];
    let mut complete = true;
    for (kind, key) in passes {
        complete &= broadcasts::queued_for_period(pool, kind, key).await?;
    }
    if complete {
        return Ok(None);
    }
    let now = app.now();
    let mut tx = crate::store::tx::begin(pool).await?;
    let mut rounds = Vec::with_capacity(passes.len());
    for (kind, key) in passes {
        rounds.push(broadcasts::open_round(&mut tx, kind, key, now).await?);
    }
    // Not sent once the next month's round is due (queued before an
    // outage, or a bot stopped for weeks): the sender drops what is left.
    // The scheduler never queues a round that late; an operator who asks
    // for a past month's round (`lienhe remind`) gets it sent.
    let (day, hour) = app.remind;
    let expires = due_at(Period::of(period.end()), day, hour, app.tz);
    if expires > now {
        broadcasts::set_expiry(&mut tx, &key, expires).await?;
    }
    tx.commit().await?;
    let [reminder_round, digest_round, officer_round] = rounds[..] else {
        unreachable!("three passes");
    };
    if reminder_round.is_none() && digest_round.is_none() && officer_round.is_none() {
        return Ok(None);
    }
    let mut queued = Queued::default();
    if let Some(round) = reminder_round {
        queued.reminders = queue_reminders(app, period, round).await?;
        broadcasts::close_round(pool, round.id, app.now()).await?;
    }
    if let Some(round) = digest_round {
        queued.digests = queue_digests(app, period, round).await?;
        broadcasts::close_round(pool, round.id, app.now()).await?;
    }
    if let Some(round) = officer_round {
        queued.officer_digests = super::officer_digest::queue(app, period, round).await?;
        broadcasts::close_round(pool, round.id, app.now()).await?;
    }
    tracing::info!(
        %period,
        reminders = queued.reminders,
        digests = queued.digests,
        officer_digests = queued.officer_digests,
        "monthly round queued"
    );
    Ok(Some(queued))
}

/// Approved months of the year per membership, for the early warning
/// (from September), in the cells `[first, last]`.
async fn active_months(
    app: &App,
    period: Period,
    first: i64,
    last: i64,
) -> anyhow::Result<HashMap<i64, BTreeSet<u32>>> {
    if period.month < 9 {
        return Ok(HashMap::new());
    }
    let masks = yearly::active_months_in_cells(&app.pool, period, first, last).await?;
    Ok(months_of_masks(masks))
}

/// Of `users`, those whose comment sheet of the round's year is signed,
/// when the year may be at risk (from September).
async fn signed_sheets(
    app: &App,
    period: Period,
    users: impl Iterator<Item = i64>,
) -> anyhow::Result<HashSet<i64>> {
    if period.month < 9 {
        return Ok(HashSet::new());
    }
    let users: Vec<i64> = users.collect();
    Ok(crate::store::sheets::signed_among(&app.pool, period.year, &users).await?)
}

/// Bit masks of months (bit `m` for month `m`) as sets.
fn months_of_masks(masks: Vec<(i64, i64)>) -> HashMap<i64, BTreeSet<u32>> {
    masks
        .into_iter()
        .map(|(membership, mask)| {
            let months = (1..=12).filter(|m| mask & (1 << m) != 0).collect();
            (membership, months)
        })
        .collect()
}

/// The months of the period the member is judged on with approved
/// activity, if the year is at risk (the period as the sheet and `/status`
/// count it: the month in progress only once it has approved activity).
/// Never once the member's comment sheet of the year is signed (`signed`):
/// the comment the warning speaks of is written.
fn at_risk(
    app: &App,
    period: Period,
    (active, signed): (&HashMap<i64, BTreeSet<u32>>, &HashSet<i64>),
    m: &Standing,
) -> Option<usize> {
    if signed.contains(&m.user_id) {
        return None;
    }
    let no_months = BTreeSet::new();
    let active = active.get(&m.membership_id).unwrap_or(&no_months);
    let exemptions = m.exemptions(app.tz);
    // The round's month, while it runs, is judged only once it has
    // approved activity, as the sheet and `/status` count the period: a
    // member introduced in July, active in July, has one month of two on
    // 25 September, not one of three.
    let in_progress = Period::of(app.today());
    let months: Vec<u32> =
        evidence_months(period.year, m.introduced(app.tz), period.end().pred_opt()?)
            .into_iter()
            .filter(|x| Period::new(period.year, *x).is_none_or(|x| !excused(x, &exemptions)))
            .filter(|x| Period::new(period.year, *x) != Some(in_progress) || active.contains(x))
            .collect();
    let in_period = months.iter().filter(|x| active.contains(x)).count();
    year_at_risk(period.month, &months, active).then_some(in_period)
}

/// Consecutive ranges of cells after `after`, each with about
/// `limit` approved members (a big cell is a batch alone).
fn cell_batches(sizes: &[(i64, i64)], after: Option<i64>, limit: i64) -> Vec<(i64, i64)> {
    let mut batches: Vec<(i64, i64)> = Vec::new();
    let mut members = 0;
    for &(cell, count) in sizes.iter().filter(|(c, _)| after.is_none_or(|a| *c > a)) {
        match batches.last_mut() {
            Some((_, last)) if members + count <= limit => {
                *last = cell;
                members += count;
            }
            _ => {
                batches.push((cell, cell));
                members = count;
            }
        }
    }
    batches
}

/// A month's reminder texts, rendered once per language (and per count of
/// months for the early warning) instead of once per member: the member's
/// name goes where the placeholder was.
struct ReminderTexts {
    period: Period,
    /// Per language: the text with [`NAME`] for the name, and the button.
    base: HashMap<Lang, (String, String)>,
    at_risk: HashMap<(Lang, usize), String>,
}

/// Stands for the member's name in [`ReminderTexts`] (a control character
/// no locale text contains).
const NAME: &str = "\u{1}";

impl ReminderTexts {
    fn new(period: Period) -> Self {
        ReminderTexts {
            period,
            base: HashMap::new(),
            at_risk: HashMap::new(),
        }
    }

    /// The reminder to `name`, in their language `lang` and in every other
    /// (it goes in the one they have when it is sent).
    fn payload(&mut self, lang: Lang, name: &str, at_risk: Option<usize>) -> Payload {
        Payload::in_every_lang(lang, |lang| self.rendered(lang, name, at_risk))
    }

    fn rendered(&mut self, lang: Lang, name: &str, at_risk: Option<usize>) -> (String, Buttons) {
        let period = self.period;
        let (text, button) = self.base.entry(lang).or_insert_with(|| {
            (
                t!(
                    lang,
                    "reminder-member",
                    name = NAME,
                    month = period.display()
                ),
                t!(lang, "button-report-now"),
            )
        });
        let mut text = text.replace(NAME, name);
        let button = button.clone();
        if let Some(months) = at_risk {
            let warning = self.at_risk.entry((lang, months)).or_insert_with(|| {
                t!(
                    lang,
                    "reminder-at-risk",
                    months = months,
                    year = period.year
                )
            });
            text = format!("{text}\n\n{warning}");
        }
        (text, vec![vec![(button, CallbackData::ReportNow.encode())]])
    }
}

/// The member reminders, a batch of cells per transaction.
async fn queue_reminders(
    app: &App,
    period: Period,
    round: broadcasts::Round,
) -> anyhow::Result<usize> {
    let pool = &app.pool;
    let started = std::time::Instant::now();
    let sizes = memberships::approved_per_cell(pool).await?;
    let mut texts = ReminderTexts::new(period);
    let mut queued = 0;
    let (mut reading, mut writing) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for (first, last) in cell_batches(&sizes, round.through, MEMBERS_PER_BATCH) {
        let read_started = std::time::Instant::now();
        let standings = memberships::standings_in_cells(pool, period, first, last).await?;
        let active = active_months(app, period, first, last).await?;
        let signed = signed_sheets(app, period, standings.iter().map(|m| m.user_id)).await?;
        reading += read_started.elapsed();
        let mut payloads = Vec::new();
        for member in &standings {
            if member.reports_in_period > 0 || member.unreachable {
                continue;
            }
            // Not judged on that month (introduced after it, or an
            // exemption lifted in it): the rule the digest names silent
            // members by. A member accepted after the month but introduced
            // in it is judged on it (a round caught up late), and reminded.
            if !judged_on(
                period,
                member.introduced(app.tz),
                &member.exemptions(app.tz),
            ) {
                continue;
            }
            let lang = Lang::stored(member.language.as_deref());
            let risk = at_risk(app, period, (&active, &signed), member);
            payloads.push((member.user_id, texts.payload(lang, &member.full_name, risk)));
        }
        let now = app.now();
        let mut tx = crate::store::tx::begin(pool).await?;
        let tx_started = std::time::Instant::now();
        let here = outbox::enqueue_many(&mut tx, round.id, &payloads, now).await?;
        broadcasts::queued_through(&mut tx, round.id, last).await?;
        queued += end_batch(app, tx, tx_started, here).await?;
        writing += tx_started.elapsed();
    }
    tracing::info!(
        %period,
        reminders = queued,
        seconds = started.elapsed().as_secs_f64(),
        reading = reading.as_secs_f64(),
        writing = writing.as_secs_f64(),
        "monthly reminders queued"
    );
    Ok(queued)
}

/// What the digests of a batch of readers need to know about their cells,
/// read in a few queries for the whole batch.
struct DigestFacts {
    standings: HashMap<i64, Vec<Standing>>,
    active: HashMap<i64, BTreeSet<u32>>,
    /// Members whose comment sheet of the round's year is signed.
    signed: HashSet<i64>,
    /// Pending join requests by cell: whose they are.
    joins: HashMap<i64, Vec<i64>>,
    /// Exempt members by cell (not in `standings`, counted all the same,
    /// and their namesakes in `standings` told apart from them).
    exempt: HashMap<i64, Vec<memberships::ExemptNamed>>,
    /// Pending reports by cell: (reporter, count).
    reports: HashMap<i64, Vec<(i64, i64)>>,
}

impl DigestFacts {
    /// The cell's pending join requests that `reader` may decide: not
    /// their own.
    fn joins_for(&self, cell: i64, reader: i64) -> i64 {
        self.joins
            .get(&cell)
            .map(|by| by.iter().filter(|user| **user != reader).count() as i64)
            .unwrap_or(0)
    }

    /// The cell's pending reports that `reader` may decide: not their own.
    fn reports_for(&self, cell: i64, reader: i64) -> i64 {
        self.reports
            .get(&cell)
            .map(|by| {
                by.iter()
                    .filter(|(user, _)| *user != reader)
                    .map(|(_, n)| n)
                    .sum()
            })
            .unwrap_or(0)
    }
}

impl DigestFacts {
    async fn load(app: &App, period: Period, cells: &[i64]) -> anyhow::Result<Self> {
        let pool = &app.pool;
        let mut standings: HashMap<i64, Vec<Standing>> = HashMap::new();
        for m in memberships::standings_of_cells(pool, period, cells).await? {
            standings.entry(m.cell_id).or_default().push(m);
        }
        let active = if period.month >= 9 {
            months_of_masks(yearly::active_months_of_cells(pool, period, cells).await?)
        } else {
            HashMap::new()
        };
        let mut reports: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        for (cell, user, count) in reports::pending_per_cell(pool, cells).await? {
            reports.entry(cell).or_default().push((user, count));
        }
        let mut joins: HashMap<i64, Vec<i64>> = HashMap::new();
        for (cell, user) in memberships::pending_per_cell(pool, cells).await? {
            joins.entry(cell).or_default().push(user);
        }
        let mut exempt: HashMap<i64, Vec<memberships::ExemptNamed>> = HashMap::new();
        for m in memberships::exempt_named_in_cells(pool, cells).await? {
            exempt.entry(m.cell_id).or_default().push(m);
        }
        let signed =
            signed_sheets(app, period, standings.values().flatten().map(|m| m.user_id)).await?;
        Ok(DigestFacts {
            standings,
            active,
            signed,
            joins,
            exempt,
            reports,
        })
    }
}

/// The digests of secretaries and deputies, a batch of readers per
/// transaction; the stale reports they list are marked as pointed out in
/// the same transaction.
async fn queue_digests(
    app: &App,
    period: Period,
    round: broadcasts::Round,
) -> anyhow::Result<usize> {
    let pool = &app.pool;
    let started = std::time::Instant::now();
    // Each cell's secretary and deputy get its digest.
    let cells = committee::digest_readers(pool).await?;
    // Those this round pointed out already count too: a round resumed
    // after a crash lists them for its later readers as well.
    let stale =
        reports::stale_for_round(pool, app.now() - Duration::days(STALE_AFTER_DAYS), round.id)
            .await?;
    let mut stale_by_cell: HashMap<i64, Vec<&Report>> = HashMap::new();
    for r in &stale {
        stale_by_cell.entry(r.cell_id).or_default().push(r);
    }
    let readers: Vec<(i64, Vec<&WithSecretary>)> = group_by_secretary(&cells)
        .into_iter()
        .filter(|(reader, _)| round.through.is_none_or(|t| *reader > t))
        .collect();
    let mut queued = 0;
    let (mut reading, mut writing) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    // attendance: from the fifth month of a half, the cells with no
    // periodic meeting held or scheduled in it (one query per batch).
    let month_day = period.first_day();
    let half = crate::domain::meeting::Half::of(month_day);
    let half_bounds = crate::store::meetings::utc_bounds(half.first_day(), half.end(), app.tz);
    let half_dates = (
        crate::domain::dates::format_dmy(half.first_day()),
        crate::domain::dates::format_dmy(half.end().pred_opt().unwrap_or(half.end())),
    );
    // A round caught up after its half-year ended (December's sent in
    // January, June's in July) speaks of that half as past, not as "this
    // half-year" still running.
    let half_past = app.today() >= half.end();
    // In the review season, the comment sheets of the year under review
    // still to be signed (as the officers' digest names them to the
    // workplace): none outside it, nor in a round caught up after the
    // season opened or closed (its own month could not have named them).
    let last_day = period.end().pred_opt().unwrap_or(period.first_day());
    let sheet_year = app
        .review
        .open_year(app.today())
        .filter(|year| app.review.open_year(last_day) == Some(*year));
    for batch in readers.chunks(READERS_PER_BATCH) {
        let mut cell_ids: Vec<i64> = batch
            .iter()
            .flat_map(|(_, cells)| cells.iter().map(|c| c.id))
            .collect();
        cell_ids.sort_unstable();
        cell_ids.dedup();
        let read_started = std::time::Instant::now();
        let facts = DigestFacts::load(app, period, &cell_ids).await?;
        let (no_periodic, left_open) = if crate::domain::meeting::Half::late(month_day) {
            let none = crate::store::meetings::cells_without_periodic(
                pool,
                &cell_ids,
                half_bounds.0,
                half_bounds.1,
                app.now(),
            )
            .await?;
            // Of those, a periodic meeting begun whose register may still
            // be closed: the digest says closing it would count it.
            let open = crate::store::meetings::periodic_left_open(
                pool,
                &cell_ids,
                half_bounds.0,
                half_bounds.1,
                app.now(),
            )
            .await?;
            (none, open)
        } else {
            Default::default()
        };
        // comments on request: those past their due day, not signed.
        let mut overdue: HashMap<i64, Vec<crate::store::requests::Overdue>> = HashMap::new();
        for r in crate::store::requests::overdue_in_cells(pool, &cell_ids, app.today()).await? {
            overdue.entry(r.cell_id).or_default().push(r);
        }
        let mut unsigned: HashMap<i64, Vec<(i64, i64, String)>> = HashMap::new();
        if let Some(year) = sheet_year {
            for (cell, membership, user, name) in
                crate::store::sheets::unsigned_in_cells(pool, year, &cell_ids, app.tz).await?
            {
                unsigned
                    .entry(cell)
                    .or_default()
                    .push((membership, user, name));
            }
        }
        reading += read_started.elapsed();
        let mut digests = Vec::new();
        let mut noted = Vec::new();
        for (secretary, cells) in batch {
            let lang = Lang::stored(cells[0].secretary_language.as_deref());
            // What each cell's part shows, read once (the text may be made
            // again with fewer names to fit one message).
            let parts: Vec<CellPart> = cells
                .iter()
                .map(|cell| {
                    let members: Vec<&Standing> = facts
                        .standings
                        .get(&cell.id)
                        .map(|list| list.iter().collect())
                        .unwrap_or_default();
                    // Namesakes of the cell told apart, as /status does:
                    // an exempt one too (listed nowhere, but a member of
                    // the cell all the same).
                    let exempt = facts.exempt.get(&cell.id).map(Vec::as_slice);
                    let exempt = exempt.unwrap_or_default();
                    let named: Vec<Named> = members
                        .iter()
                        .map(|m| {
                            let shown =
                                (m.full_name.as_str(), cell.name.as_str(), m.phone.as_deref());
                            Named::new(shown, m.introduced_on, m.active_since, app.tz)
                        })
                        .chain(exempt.iter().map(|m| {
                            let shown =
                                (m.full_name.as_str(), cell.name.as_str(), m.phone.as_deref());
                            Named::new(shown, m.introduced_on, m.active_since, app.tz)
                        }))
                        .collect();
                    let mut labels = told_apart(lang, &named);
                    labels.truncate(members.len());
                    // Not the reader's own sheet (another signs it), each
                    // named as in the rest of the digest.
                    let label: HashMap<i64, &String> = members
                        .iter()
                        .map(|m| m.membership_id)
                        .zip(&labels)
                        .collect();
                    let unsigned = unsigned
                        .get(&cell.id)
                        .into_iter()
                        .flatten()
                        .filter(|(_, user, _)| user != secretary)
                        .map(|(id, _, name)| label.get(id).map_or(name, |l| *l).clone())
                        .collect();
                    let risky = members
                        .iter()
                        .zip(&labels)
                        .filter(|(m, _)| {
                            at_risk(app, period, (&facts.active, &facts.signed), m).is_some()
                        })
                        .map(|(_, name)| name.clone())
                        .collect();
                    CellPart {
                        cell,
                        members,
                        labels,
                        exempt: exempt.len() as i64,
                        joins: facts.joins_for(cell.id, *secretary),
                        // Not the reader's own (another decides them; their
                        // /pending does not list them either).
                        reports: facts.reports_for(cell.id, *secretary),
                        stale: stale_by_cell
                            .get(&cell.id)
                            .into_iter()
                            .flatten()
                            .copied()
                            .filter(|r| r.user_id != *secretary)
                            .collect(),
                        risky,
                        unsigned,
                    }
                })
                .collect();
            let pending_total: i64 = parts.iter().map(|p| p.joins + p.reports).sum();
            // Pointed out with the cell's digest, as before: the reader's
            // own too (the deputy's digest lists it).
            for cell in cells {
                noted.extend(
                    stale_by_cell
                        .get(&cell.id)
                        .into_iter()
                        .flatten()
                        .map(|r| r.id),
                );
            }
            let section = |part: &CellPart, shown: Shown| {
                let cell = part.cell;
                let mut section = digest_section(
                    app,
                    lang,
                    period,
                    cell,
                    (&part.members, &part.labels, part.exempt),
                    part.joins,
                    part.reports,
                    &part.stale,
                    shown,
                );
                if no_periodic.contains(&cell.id) {
                    section.push('\n');
                    let (from, to) = (half_dates.0.as_str(), half_dates.1.as_str());
                    section.push_str(&if half_past {
                        t!(lang, "attendance-digest-past-half", from = from, to = to)
                    } else {
                        t!(lang, "attendance-digest-half", from = from, to = to)
                    });
                    if let Some(&starts_at) = left_open.get(&cell.id) {
                        let until = crate::domain::meeting::correctable_until(starts_at);
                        section.push('\n');
                        section.push_str(&t!(
                            lang,
                            "attendance-digest-half-open",
                            when = crate::domain::dates::format_dmy_hm(starts_at, app.tz),
                            until = crate::domain::dates::format_dmy_hm(until, app.tz)
                        ));
                    }
                }
                if let Some(lines) = overdue_lines(
                    lang,
                    (overdue.get(&cell.id), *secretary),
                    |count| t!(lang, "request-digest-overdue", count = count),
                    |r, reason| {
                        t!(
                            lang,
                            "request-digest-item",
                            name = r.full_name.as_str(),
                            reason = reason,
                            workplace = r.workplace_name.as_str(),
                            due = crate::domain::dates::format_dmy(r.due_on)
                        )
                    },
                    shown.items,
                ) {
                    section.push('\n');
                    section.push_str(&lines);
                }
                if let Some(year) = sheet_year
                    && !part.unsigned.is_empty()
                {
                    section.push('\n');
                    section.push_str(&t!(
                        lang,
                        "digest-unsigned",
                        count = crate::i18n::count(lang, part.unsigned.len()),
                        year = year,
                        names = names(lang, &part.unsigned, shown.names),
                        until = format_dmy(app.review.closes(year))
                    ));
                }
                if !part.risky.is_empty() {
                    section.push('\n');
                    section.push_str(&t!(
                        lang,
                        "digest-at-risk",
                        count = part.risky.len(),
                        names = names(lang, &part.risky, shown.names),
                        year = period.year
                    ));
                }
                section
            };
            let (text, sections) = fitted(|shown| {
                let sections: Vec<String> = parts.iter().map(|p| section(p, shown)).collect();
                let text = format!(
                    "{}\n\n{}",
                    t!(lang, "digest-header", month = period.display()),
                    sections.join("\n\n")
                );
                (text, sections)
            });
            // Each cell's part, taken out if the reader leaves its committee
            // while the digest waits.
            let cell_parts = parts
                .iter()
                .zip(sections)
                .map(|(p, text)| Part {
                    cell: Some(p.cell.id),
                    workplace: None,
                    ward: None,
                    text,
                    pending: p.joins + p.reports > 0,
                })
                .collect();
            let mut buttons = Vec::new();
            if pending_total > 0 {
                buttons.push(vec![(
                    t!(lang, "button-open-pending"),
                    CallbackData::OpenPending.encode(),
                )]);
            }
            let payload = Payload {
                text,
                buttons,
                parts: cell_parts,
                ..Payload::default()
            };
            digests.push((*secretary, payload));
        }
        let now = app.now();
        let mut tx = crate::store::tx::begin(pool).await?;
        let tx_started = std::time::Instant::now();
        let here = outbox::enqueue_many(&mut tx, round.id, &digests, now).await?;
        for id in &noted {
            reports::mark_stale_noted(&mut tx, *id, now).await?;
        }
        if let Some((last, _)) = batch.last() {
            broadcasts::queued_through(&mut tx, round.id, *last).await?;
        }
        queued += end_batch(app, tx, tx_started, here).await?;
        writing += tx_started.elapsed();
    }
    tracing::info!(
        %period,
        digests = queued,
        seconds = started.elapsed().as_secs_f64(),
        reading = reading.as_secs_f64(),
        writing = writing.as_secs_f64(),
        "monthly digests queued"
    );
    Ok(queued)
}

/// Comments on request past their due day, for the digest of `reader`:
/// `header` (given the count), then one line each (`item` gets the request
/// and its reason, worded); none when nothing is left. A request about the
/// reader is left out: a comment about them is not theirs to chase (the
/// deputy, or the ward, decides it).
pub(super) fn overdue_lines(
    lang: Lang,
    (late, reader): (Option<&Vec<crate::store::requests::Overdue>>, i64),
    header: impl Fn(usize) -> String,
    item: impl Fn(&crate::store::requests::Overdue, String) -> String,
    most: usize,
) -> Option<String> {
    use crate::domain::request::ReasonKind;
    let late: Vec<_> = late
        .into_iter()
        .flatten()
        .filter(|r| r.user_id != reader)
        .collect();
    if late.is_empty() {
        return None;
    }
    let mut lines = vec![header(late.len())];
    for r in late.iter().take(most) {
        let reason = crate::sheet::build::reason_label(
            lang,
            ReasonKind::parse(&r.reason_kind).unwrap_or(ReasonKind::Other),
            r.reason_text.as_deref(),
        );
        lines.push(item(r, reason));
    }
    if late.len() > most {
        let more = late.len() - most;
        lines.push(t!(lang, "digest-more-requests", count = more));
    }
    Some(lines.join("\n"))
}

/// How many items (reports, requests) a digest lists one per line; the
/// rest are counted (the full lists are /pending and /requests).
const MAX_ITEMS: usize = 10;

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

/// One cell's part of a committee member's digest: what it shows, read
/// once.
struct CellPart<'a> {
    cell: &'a WithSecretary,
    members: Vec<&'a Standing>,
    /// Their names, namesakes told apart ([`told_apart`]).
    labels: Vec<String>,
    exempt: i64,
    joins: i64,
    reports: i64,
    /// Reports pending for more than a week, not the reader's own.
    stale: Vec<&'a Report>,
    /// Members at risk of a year without activity.
    risky: Vec<String>,
    /// In the review season, members whose comment sheet of the year is
    /// not signed yet (not the reader's own).
    unsigned: Vec<String>,
}

/// The first `most` names, and how many others.
pub(super) fn names(lang: Lang, names: &[String], most: usize) -> String {
    let mut shown: Vec<String> = names.iter().take(most).cloned().collect();
    if names.len() > most {
        let others = names.len() - most;
        // As the language writes it ("1.070"); the count picks the form.
        let written = crate::i18n::count(lang, others);
        shown.push(t!(
            lang,
            "digest-and-others",
            count = others,
            others = written
        ));
    }
    shown.join(", ")
}

/// How much of each list a digest spells out; the rest is counted (the
/// full lists are the commands').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shown {
    /// Names in a list of names.
    pub names: usize,
    /// Items (reports, requests) one per line.
    pub items: usize,
}

impl Shown {
    /// From the most a digest lists down to the least: a digest that does
    /// not fit one message lists less, level by level, rather than losing
    /// its last sections to the cut.
    pub const LEVELS: [Shown; 4] = [
        Shown {
            names: MAX_NAMES,
            items: MAX_ITEMS,
        },
        Shown {
            names: 10,
            items: 5,
        },
        Shown { names: 3, items: 2 },
        Shown { names: 1, items: 1 },
    ];
}

/// The text `build` makes at the first level of [`Shown::LEVELS`] that fits
/// one message (cut at the last, if even that does not), with what it made
/// the text of (a digest's sections, kept as its parts).
pub(super) fn fitted<T>(build: impl Fn(Shown) -> (String, T)) -> (String, T) {
    use crate::telegram::send::{MAX_MESSAGE_CHARS, clip, units};
    let mut made = build(Shown::LEVELS[0]);
    for shown in &Shown::LEVELS[1..] {
        if units(&made.0) <= MAX_MESSAGE_CHARS {
            return made;
        }
        made = build(*shown);
    }
    let (text, of) = made;
    (clip(&text), of)
}

#[allow(clippy::too_many_arguments)]
fn digest_section(
    app: &App,
    lang: Lang,
    period: Period,
    cell: &WithSecretary,
    (members, labels, exempt): (&[&Standing], &[String], i64),
    joins: i64,
    reports: i64,
    stale: &[&Report],
    shown: Shown,
) -> String {
    // Every member, as /members counts them; the exempt ones said apart
    // (they are in none of the lists below).
    let all = members.len() as i64 + exempt;
    let head = match exempt {
        0 => t!(
            lang,
            "digest-cell",
            cell = cell.name.as_str(),
            members = all
        ),
        _ => t!(
            lang,
            "digest-cell-exempt",
            cell = cell.name.as_str(),
            members = all,
            exempt = exempt
        ),
    };
    let mut lines = vec![
        head,
        t!(lang, "digest-pending", joins = joins, reports = reports),
    ];
    let members: Vec<(&Standing, &String)> = members.iter().copied().zip(labels).collect();
    let silent: Vec<String> = members
        .iter()
        .filter(|(m, _)| {
            m.reports_in_period == 0
                && judged_on(period, m.introduced(app.tz), &m.exemptions(app.tz))
        })
        .map(|(_, name)| (*name).clone())
        .collect();
    if !silent.is_empty() {
        lines.push(t!(
            lang,
            "digest-silent-month",
            // The round's month, named: a round caught up late is read in
            // the month after it.
            month = period.display(),
            count = silent.len(),
            names = names(lang, &silent, shown.names)
        ));
    }
    let long_silent: Vec<String> = members
        .iter()
        .filter_map(|(m, name)| {
            long_silent_name(
                lang,
                period,
                name,
                m.introduced(app.tz),
                &m.exemptions(app.tz),
                m.last_activity,
            )
        })
        .collect();
    if !long_silent.is_empty() {
        lines.push(t!(
            lang,
            "digest-silent-long",
            count = long_silent.len(),
            names = names(lang, &long_silent, shown.names)
        ));
    }
    let unreachable: Vec<String> = members
        .iter()
        .filter(|(m, _)| m.unreachable)
        .map(|(_, name)| (*name).clone())
        .collect();
    if !unreachable.is_empty() {
        lines.push(t!(
            lang,
            "digest-unreachable",
            count = unreachable.len(),
            names = names(lang, &unreachable, shown.names)
        ));
    }
    if !stale.is_empty() {
        lines.push(stale_lines(app, lang, stale, shown.items));
    }
    lines.join("\n")
}

/// "NAME (N months)" for a member silent for [`LONG_SILENCE_MONTHS`] or
/// more months in a row (counted from the month they were introduced), as
/// `/status` and the sheet count them: approved activity (`last_activity`),
/// over the months ended before `period`, the month of the round itself
/// only once it has some (then nobody is silent); `None` otherwise.
pub(super) fn long_silent_name(
    lang: Lang,
    period: Period,
    name: &str,
    introduced: Period,
    exemptions: &[Exempted],
    last_activity: Option<NaiveDate>,
) -> Option<String> {
    let ended = period.previous();
    let months = silent_months(last_activity, introduced.first_day(), ended, |month| {
        excused(month, exemptions)
    });
    (months >= LONG_SILENCE_MONTHS)
        .then(|| t!(lang, "digest-silent-name", name = name, months = months))
}

fn stale_lines(app: &App, lang: Lang, stale: &[&Report], most: usize) -> String {
    let mut items: Vec<String> = stale
        .iter()
        .take(most)
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
    if stale.len() > most {
        let more = stale.len() - most;
        items.push(t!(lang, "digest-more-reports", count = more));
    }
    format!(
        "{}\n{}",
        t!(lang, "digest-stale", count = stale.len()),
        items.join("\n")
    )
}

/// A stale note's text and parts for reports `mine` (by cell, as they
/// come): of several cells, a part each under the cell's name, taken out
/// if the reader leaves its committee while the note waits.
async fn stale_note(
    app: &App,
    conn: &mut sqlx::SqliteConnection,
    lang: Lang,
    mine: &[&Report],
) -> sqlx::Result<(String, Vec<Part>)> {
    let mut by_cell: Vec<(i64, Vec<&Report>)> = Vec::new();
    for r in mine {
        match by_cell.last_mut() {
            Some((cell, list)) if *cell == r.cell_id => list.push(r),
            _ => by_cell.push((r.cell_id, vec![r])),
        }
    }
    let mut names = Vec::with_capacity(by_cell.len());
    if by_cell.len() > 1 {
        for (cell, _) in &by_cell {
            let name = crate::store::cells::get(&mut *conn, *cell)
                .await?
                .map(|c| c.name)
                .unwrap_or_default();
            names.push(name);
        }
    }
    let made = |most: usize| match by_cell.len() {
        1 => (stale_lines(app, lang, mine, most), Vec::new()),
        _ => {
            let parts: Vec<Part> = by_cell
                .iter()
                .zip(&names)
                .map(|((cell, list), name)| Part {
                    cell: Some(*cell),
                    workplace: None,
                    ward: None,
                    text: format!("{name}\n{}", stale_lines(app, lang, list, most)),
                    pending: true,
                })
                .collect();
            let texts: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
            (texts.join("\n\n"), parts)
        }
    };
    // Cells and members named at their longest (of letters Telegram
    // counts twice) do not fit ten reports a cell in one message: fewer
    // are listed, the others counted, rather than the end cut unsaid.
    let mut most = MAX_ITEMS;
    loop {
        let (text, parts) = made(most);
        if most == 0
            || crate::telegram::send::units(&text) <= crate::telegram::send::MAX_MESSAGE_CHARS
        {
            return Ok((text, parts));
        }
        most -= 1;
    }
}

/// A stale note ([`queue_stale_notes`]) as it is to go out to `reader` in
/// `lang`: when some of the reports it lists were decided meanwhile (or
/// are no longer theirs to decide), rendered again with only those still
/// waiting. The sender drops it first when none is.
pub async fn stale_note_now(
    app: &App,
    reader: i64,
    lang: Lang,
    mut payload: Payload,
) -> anyhow::Result<Payload> {
    if !payload.lists_waiting {
        return Ok(payload);
    }
    let waiting = outbox::reports_waiting(&app.pool, &payload.waiting, reader).await?;
    if waiting.is_empty() || waiting == payload.waiting {
        return Ok(payload);
    }
    let mut conn = app.pool.acquire().await?;
    let mut reports = Vec::with_capacity(waiting.len());
    for id in &waiting {
        if let Some(r) = reports::get(&mut *conn, *id).await? {
            reports.push(r);
        }
    }
    let mine: Vec<&Report> = reports.iter().collect();
    let (text, parts) = stale_note(app, &mut conn, lang, &mine).await?;
    payload.text = crate::telegram::send::clip(&text);
    payload.parts = parts;
    payload.waiting = waiting;
    Ok(payload)
}

/// Points out reports pending for more than a week to whoever decides
/// them first (the secretary; the deputy for the secretary's own, or in a
/// cell without a secretary), once per report, at most one note per day.
/// A stale report with nobody on its cell's committee to decide it is
/// marked as pointed out without a note: it is not looked at again (the
/// ward's supervisors are told at two weeks; a secretary appointed later
/// sees it among the cell's pending reports). `today` is the day the look
/// began (a round queued before it may have run past midnight: the note
/// is still that day's, not the next's, which would then be skipped).
pub async fn queue_stale_notes(app: &App, today: NaiveDate) -> anyhow::Result<usize> {
    let pool = &app.pool;
    let now = app.now();
    let day = today.to_string();
    // Today's note went out already (before a restart).
    if broadcasts::exists_for_period(pool, Kind::Stale, &day).await? {
        return Ok(0);
    }
    let stale = reports::stale_unnoted(pool, now - Duration::days(STALE_AFTER_DAYS)).await?;
    if stale.is_empty() {
        return Ok(0);
    }
    let mut tx = crate::store::tx::begin(pool).await?;
    // Each report's first decider, as the committee stands now (read once
    // a cell: the reports come by cell).
    let mut readers: Vec<(i64, Vec<&Report>)> = Vec::new();
    let mut untold = 0;
    let mut cell_committee = None;
    for r in &stale {
        let current = match cell_committee {
            Some((cell, current)) if cell == r.cell_id => current,
            _ => committee::of_cell(&mut tx, r.cell_id).await?,
        };
        cell_committee = Some((r.cell_id, current));
        match first_decider(current, r.user_id) {
            Some(reader) => match readers.iter_mut().find(|(id, _)| *id == reader) {
                Some((_, mine)) => mine.push(r),
                None => readers.push((reader, vec![r])),
            },
            None => untold += 1,
        }
    }
    let mut queued = 0;
    if !readers.is_empty() {
        let Some(round) = broadcasts::create_for_period(&mut tx, Kind::Stale, &day, now).await?
        else {
            return Ok(0);
        };
        for (reader, mine) in &readers {
            let lang = Recipient::load(&mut tx, *reader).await?.lang;
            let (text, parts) = stale_note(app, &mut tx, lang, mine).await?;
            let payload = Payload {
                text: crate::telegram::send::clip(&text),
                parts,
                buttons: vec![vec![(
                    t!(lang, "button-open-pending"),
                    CallbackData::OpenPending.encode(),
                )]],
                // Not sent if all of them are decided before it goes out;
                // listing only those still waiting if some are.
                waiting: mine.iter().map(|r| r.id).collect(),
                lists_waiting: true,
                ..Payload::default()
            };
            if outbox::enqueue(&mut tx, round, *reader, &payload, now).await? {
                queued += 1;
            }
        }
    }
    for r in &stale {
        reports::mark_stale_noted(&mut tx, r.id, now).await?;
    }
    tx.commit().await?;
    if untold > 0 {
        tracing::info!(
            reports = untold,
            "reports pending over a week with nobody on the cell's committee to decide them"
        );
    }
    if queued > 0 {
        app.wake_sender();
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_lists_fewer_names_until_it_fits_one_message() {
        // 200 units a name: 30 names pass the limit, 10 fit.
        let build = |shown: Shown| ("n".repeat(200 * shown.names), ());
        assert_eq!(fitted(build).0, "n".repeat(2000));
        // Short enough at the first level: as it is.
        assert_eq!(
            fitted(|shown| (shown.names.to_string(), ())).0,
            MAX_NAMES.to_string()
        );
        // Never fits: cut at the last level.
        let (cut, _) = fitted(|_| ("n".repeat(10_000), ()));
        assert_eq!(
            crate::telegram::send::units(&cut),
            crate::telegram::send::MAX_MESSAGE_CHARS
        );
    }

    /// A long list of overdue requests names the first and counts the rest;
    /// the reader's own request is not listed to them.
    #[test]
    fn a_digest_lists_the_first_overdue_requests_and_counts_the_rest() {
        let overdue: Vec<crate::store::requests::Overdue> = (0..25)
            .map(|n| crate::store::requests::Overdue {
                id: n,
                user_id: n,
                cell_id: 1,
                cell_name: "C".into(),
                workplace_id: 1,
                workplace_name: "W".into(),
                full_name: format!("Member {n}"),
                reason_kind: "other".into(),
                reason_text: None,
                due_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            })
            .collect();
        let text = overdue_lines(
            Lang::En,
            (Some(&overdue), 0),
            |count| format!("{count} overdue"),
            |r, _| r.full_name.clone(),
            MAX_ITEMS,
        )
        .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "24 overdue");
        assert_eq!(lines.len(), 1 + MAX_ITEMS + 1, "{text}");
        assert_eq!(lines[1], "Member 1");
        assert!(
            lines
                .last()
                .unwrap()
                .contains("and 14 more (see /requests)"),
            "{text}"
        );
    }

    #[test]
    fn reminder_texts_rendered_once_read_as_if_rendered_per_member() {
        let period = Period::new(2026, 10).unwrap();
        let mut texts = ReminderTexts::new(period);
        for lang in [Lang::Vi, Lang::En] {
            for (name, risk) in [("Nguyễn Văn A", None), ("{ $name } \u{2068}B", Some(3))] {
                let payload = texts.payload(lang, name, risk);
                let mut expected = t!(
                    lang,
                    "reminder-member",
                    name = name,
                    month = period.display()
                );
                if let Some(months) = risk {
                    expected = format!(
                        "{expected}\n\n{}",
                        t!(lang, "reminder-at-risk", months = months, year = 2026)
                    );
                }
                assert_eq!(payload.text, expected);
                assert_eq!(
                    payload.buttons,
                    vec![vec![(
                        t!(lang, "button-report-now"),
                        CallbackData::ReportNow.encode()
                    )]]
                );
            }
        }
    }

    #[test]
    fn cells_are_cut_into_batches_of_whole_cells_after_the_cursor() {
        let sizes = [(1, 150), (2, 100), (3, 1), (4, 900), (5, 20), (6, 30)];
        assert_eq!(
            cell_batches(&sizes, None, 250),
            [(1, 2), (3, 3), (4, 4), (5, 6)]
        );
        assert_eq!(cell_batches(&sizes, Some(3), 250), [(4, 4), (5, 6)]);
        assert_eq!(cell_batches(&sizes, Some(6), 250), []);
    }
}
