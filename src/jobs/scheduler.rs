//! The scheduler: its state is the `broadcasts` table, so a month is queued
//! exactly once across restarts, and a bot that was down at the due time
//! catches up when it starts (within the same month).
//!
//! It looks at the clock every 30 s but goes to the database only when
//! something may be due: the month's round once its due time has passed and
//! the daily stale check once the day's hour has come, each once per month or
//! day in this process ([`Done`]); the database says whether another
//! process (or this one before a restart) did it already. The escalation of
//! items left pending (`escalation`) is looked at every time.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::{sync::watch, task::JoinHandle};

use super::{
    backup::{self, Outcome},
    escalation::{self, Cards, Escalated},
    reminders::{self, Queued},
};
use crate::{
    app::App,
    domain::schedule::{Pace, Period, due_at},
    store::{
        broadcasts,
        housekeeping::{self, Pruned},
    },
};

#[derive(Debug, Clone)]
pub struct Schedule {
    /// Day of the month reminders and digests go out (clamped to the month).
    pub day: u32,
    /// Local hour they go out, and the hour of the daily stale check.
    pub hour: u32,
    /// How often the scheduler looks at the clock.
    pub every: Duration,
    /// How the chat shows a decision card, for offering items pending too
    /// long to the deputy (`None`: only the supervisors are told).
    pub cards: Option<Cards>,
    /// Sent outbox rows and settled decision cards are deleted this many
    /// days after (`LIENHE_RETENTION_DAYS`; once a day, at the day's hour,
    /// with dialogue states untouched for 90 days and old update ids).
    pub keep_days: u32,
    /// The sender's pace: a round not expected to be sent on its day is
    /// logged as a warning once it is queued.
    pub pace: Pace,
    /// The daily backup (`None`: off).
    pub backup: Option<backup::Plan>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            day: 25,
            hour: 8,
            every: Duration::from_secs(30),
            cards: None,
            keep_days: crate::store::housekeeping::DEFAULT_KEEP_DAYS,
            pace: Pace::even(25.0),
            backup: None,
        }
    }
}

/// What one look at the clock queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tick {
    pub month: Option<Queued>,
    /// What an earlier month's round cut short (the process stopped while
    /// it was queued, and came back after that month) queued now.
    pub earlier_months: Queued,
    pub stale_notes: usize,
    /// Signed sheets whose deliveries were queued late (after a crash).
    pub deliveries: usize,
    /// Items pending too long offered to deputies, supervisors told.
    pub escalated: Escalated,
    /// What the day's pruning deleted (if it ran on this look).
    pub pruned: Pruned,
    /// Day-before meeting reminders queued.
    pub meeting_reminders: usize,
    /// Invitations queued for members approved after their meeting was called.
    pub late_invitations: usize,
    /// Reminders to committees of registers left open after the check-in.
    pub open_registers: usize,
    /// The day's backup, if this look took it (or tried).
    pub backup: Option<BackupRun>,
    /// Notices to writers of drafts whose time to answer passed unanswered.
    pub unanswered_sheets: usize,
}

/// What the day's backup did on this look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupRun {
    Written,
    Failed,
}

/// What this process has seen done, so it does not ask the database again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Done {
    /// The month whose round was queued (by this process or before).
    month: Option<Period>,
    /// The month in which earlier months' rounds cut short were looked
    /// for (at start-up, and again when a month begins).
    earlier_months: Option<Period>,
    /// The local day whose stale check ran.
    stale_day: Option<NaiveDate>,
    /// The local day whose pruning ran.
    prune_day: Option<NaiveDate>,
    /// The local day whose backup was looked at (taken, tried, or found
    /// taken before).
    backup_day: Option<NaiveDate>,
    /// When that day's backup is to be looked at again (a retry after a
    /// failure; `None`: not that day).
    backup_next: Option<DateTime<Utc>>,
}

/// How long before a month's own round the month before's is no longer
/// caught up (missed, or cut short, while the bot was stopped): its members
/// would be reminded twice within days (or minutes), of the month past and
/// then of this one. It is closed where it stopped, as one overtaken.
pub const CATCH_UP_UNTIL_BEFORE: chrono::TimeDelta = chrono::TimeDelta::days(2);

/// Finishes the round of the month before `period` if its queuing was cut
/// short, while `period`'s own round is not due yet nor near (`overtaken`:
/// due within [`CATCH_UP_UNTIL_BEFORE`]). Only the latest month counts: a
/// round a later one has overtaken (a bot down for weeks) is closed where
/// it stopped, not sent weeks late under its month's name.
async fn earlier_months(app: &App, period: Period, overtaken: bool) -> anyhow::Result<Queued> {
    let mut total = Queued::default();
    for earlier in broadcasts::unfinished_months(&app.pool).await? {
        if earlier >= period {
            continue;
        }
        if earlier == period.previous() && !overtaken {
            if let Some(queued) = reminders::queue_month(app, earlier).await? {
                tracing::info!(month = %earlier, total = queued.total(), "an earlier month's round finished");
                total.add(queued);
            }
        } else {
            let closed = broadcasts::close_unfinished(&app.pool, earlier, app.now()).await?;
            tracing::warn!(
                month = %earlier,
                rounds = closed,
                "an earlier month's round cut short is left where it stopped: a later round has come since"
            );
        }
    }
    // The month before's round never began (the bot stopped from before
    // its due time into this month): sent now, as a round cut short would
    // be finished, while this month's is not due nor near.
    let previous = period.previous();
    if !overtaken
        && broadcasts::round_missed(&app.pool, previous).await?
        && let Some(queued) = reminders::queue_month(app, previous).await?
    {
        tracing::warn!(
            month = %previous,
            total = queued.total(),
            "the month before's round was missed while the bot was stopped; sent now"
        );
        total.add(queued);
    }
    Ok(total)
}

/// Queues whatever has fallen due by now (a look that remembers nothing).
pub async fn tick(app: &App, schedule: &Schedule) -> anyhow::Result<Tick> {
    step(app, schedule, &mut Done::default()).await
}

/// Queues whatever has fallen due by now and was not `done` yet: the
/// month's round once its due time has passed, and the daily stale check
/// once the local day reaches `schedule.hour`.
pub async fn step(app: &App, schedule: &Schedule, done: &mut Done) -> anyhow::Result<Tick> {
    let now = app.now();
    let today = app.today();
    let period = Period::of(today);
    let mut result = Tick::default();
    // A round cut short in the month before is finished (with nothing
    // twice) while this month's is not due. One that cannot be finished is
    // logged and tried at the next look; it never keeps the rest of this
    // look from running.
    let due = due_at(period, schedule.day, schedule.hour, app.tz);
    let round_due = now >= due;
    if done.earlier_months != Some(period) {
        let overtaken = now + CATCH_UP_UNTIL_BEFORE >= due;
        match earlier_months(app, period, overtaken).await {
            Ok(queued) => {
                result.earlier_months = queued;
                done.earlier_months = Some(period);
            }
            Err(err) => tracing::error!(%err, "an earlier month's round could not be finished"),
        }
    }
    // Each job on its own: one that fails is logged and tried at the next
    // look, and never keeps the jobs after it from running.
    let mut failed = Failed::default();
    let round = async {
        if done.month != Some(period) && round_due {
            result.month = reminders::queue_month(app, period).await?;
            done.month = Some(period);
            if result.month.is_some() {
                super::sender::warn_if_late(app, schedule.pace).await?;
            }
        }
        anyhow::Ok(())
    };
    failed.note("month round", round.await);
    let daily = today
        .and_hms_opt(schedule.hour.min(23), 0, 0)
        .expect("valid hour");
    let daily_due = now.with_timezone(&app.tz).naive_local() >= daily;
    let stale = async {
        if done.stale_day != Some(today) && daily_due {
            result.stale_notes = reminders::queue_stale_notes(app, today).await?;
            done.stale_day = Some(today);
        }
        anyhow::Ok(())
    };
    failed.note("stale reports", stale.await);
    // Pruning, once a day: the database remembers the day it last ran, so
    // a restart neither repeats it nor skips it.
    let prune = async {
        if done.prune_day != Some(today) && daily_due {
            if housekeeping::claim_day(&app.pool, "prune", today).await? {
                result.pruned = housekeeping::prune(&app.pool, schedule.keep_days, now).await?;
                tracing::info!(
                    outbox = result.pruned.outbox,
                    cards = result.pruned.decision_messages,
                    dialogues = result.pruned.dialogues,
                    updates = result.pruned.updates,
                    rosters = result.pruned.roster_uploads,
                    registers = result.pruned.meeting_registers,
                    edited = result.pruned.edited_messages,
                    "old sent messages, dialogue states, update ids, roster previews and registers shown pruned"
                );
            }
            done.prune_day = Some(today);
        }
        anyhow::Ok(())
    };
    failed.note("pruning", prune.await);
    // The daily backup, from its own hour; the database remembers the day.
    let daily_backup = async {
        let Some(plan) = &schedule.backup else {
            return Ok(());
        };
        let from = today
            .and_hms_opt(plan.hour.min(23), 0, 0)
            .expect("valid hour");
        // Looked at today: again only when a retry (or the lease of an
        // attempt that never finished) falls due.
        let looked = done.backup_day == Some(today) && done.backup_next.is_none_or(|at| now < at);
        if !looked && now.with_timezone(&app.tz).naive_local() >= from {
            let outcome = backup::daily(app, plan, today).await?;
            result.backup = match outcome {
                Outcome::NotDue(_) => None,
                Outcome::Written { .. } => Some(BackupRun::Written),
                Outcome::Failed { .. } => Some(BackupRun::Failed),
            };
            match &outcome {
                Outcome::Written { at, .. } => {
                    crate::telemetry::backup(true);
                    crate::telemetry::backup_last_success(*at);
                }
                Outcome::Failed { .. } => crate::telemetry::backup(false),
                Outcome::NotDue(_) => {}
            }
            done.backup_day = Some(today);
            done.backup_next = outcome.next_look();
        }
        anyhow::Ok(())
    };
    failed.note("backup", daily_backup.await);
    if crate::telemetry::enabled() {
        let queued = crate::store::outbox::queued(&app.pool).await;
        failed.note(
            "telemetry",
            queued
                .map(crate::telemetry::outbox_queued)
                .map_err(Into::into),
        );
    }
    let escalated = escalation::run(app, schedule.cards.as_ref()).await;
    result.escalated = failed.kept("escalation", escalated);
    // Late invitations first: a member approved just before the reminder's
    // hour is invited, then reminded with the others in the same look.
    let late = super::meetings::tell_late_invitations(app).await;
    result.late_invitations = failed.kept("late invitations", late);
    let reminders = super::meetings::queue_reminders(app, schedule.hour).await;
    result.meeting_reminders = failed.kept("meeting reminders", reminders);
    let registers = super::meetings::remind_open_registers(app, schedule.hour).await;
    result.open_registers = failed.kept("open registers", registers);
    let silent = super::sheet_silence::tell_unanswered(app).await;
    result.unanswered_sheets = failed.kept("unanswered sheets", silent);
    let deliveries = crate::sheet::deliver::catch_up(&app.pool, app.tz, now).await;
    result.deliveries = failed.kept("sheet deliveries", deliveries);
    if result.deliveries > 0 {
        app.wake_sender();
    }
    match failed.first {
        Some(err) => Err(err),
        None => Ok(result),
    }
}

/// The jobs of a look that failed: each logged, the first returned.
#[derive(Default)]
struct Failed {
    first: Option<anyhow::Error>,
}

/// The context of a job's error returned by [`step`]: the error is logged
/// already, with the job's name.
#[derive(Debug)]
pub struct JobFailed(&'static str);

impl std::fmt::Display for JobFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the scheduled job \"{}\" failed", self.0)
    }
}

impl Failed {
    fn note(&mut self, job: &'static str, outcome: anyhow::Result<()>) {
        self.kept(job, outcome)
    }

    /// What `job` made, or its default when it failed (logged).
    fn kept<T: Default>(&mut self, job: &'static str, outcome: anyhow::Result<T>) -> T {
        outcome.unwrap_or_else(|err| {
            tracing::error!(job, %err, "a scheduled job failed; it is tried again at the next look");
            self.first.get_or_insert(err.context(JobFailed(job)));
            T::default()
        })
    }
}

/// Looks at the clock at start-up and then every `schedule.every`.
pub fn spawn(app: App, schedule: Schedule, mut shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut last_prune: Option<tokio::time::Instant> = None;
        let mut done = Done::default();
        // The last backup's time, from the files (before the first look,
        // which may write the day's).
        if let Some(plan) = &schedule.backup {
            backup::report_latest(&app, plan).await;
        }
        loop {
            let looked = crate::contain::contained_result(step(&app, &schedule, &mut done));
            let looked = looked.await;
            crate::telemetry::scheduler_run(looked.is_ok());
            // A job's failure was logged where it happened.
            if let Err(err) = looked
                && err.downcast_ref::<JobFailed>().is_none()
            {
                tracing::error!(%err, "scheduler tick failed");
            }
            // Forget old update ids at start-up and then once an hour.
            if last_prune.is_none_or(|at| at.elapsed() >= Duration::from_secs(3600)) {
                last_prune = Some(tokio::time::Instant::now());
                if let Err(err) = crate::store::updates::prune(&app.pool, app.now()).await {
                    tracing::warn!(%err, "could not prune processed updates");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(schedule.every) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
    })
}
