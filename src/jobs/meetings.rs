//! The day-before reminder of residence meetings, decided from the clock
//! and the database at every look of the scheduler: a meeting is reminded
//! once (`meetings.reminded_at`, set in the transaction that queues the
//! reminders), so a restart catches up and never repeats. Likewise the
//! invitations of members approved after a meeting was called
//! (`meeting_invitations.told`), and the reminder of a register left open
//! after the check-in (`meetings.register_reminded_at`).

use chrono::Duration;

use crate::{
    app::App,
    domain::meeting::{register_reminder_at, reminder_due},
    store::meetings,
    telegram::meeting_notices,
};

/// Queues the reminders that have fallen due (the day before, from `hour`
/// local time; at once for a meeting called later than that). Returns how
/// many messages it queued.
pub async fn queue_reminders(app: &App, hour: u32) -> anyhow::Result<usize> {
    let now = app.now();
    // The reminder is due at most two days (and a few hours) ahead.
    let horizon = now + Duration::days(3);
    let mut queued = 0;
    for meeting in meetings::to_remind(&app.pool, now, horizon).await? {
        if !reminder_due(meeting.starts_at, hour, app.tz, now) {
            continue;
        }
        let tz = app.tz;
        let done = meetings::remind(&app.pool, meeting.id, meeting.starts_at, now, |m, told| {
            meeting_notices::reminders(tz, now, m, told)
        })
        .await?;
        if let Some(count) = done {
            tracing::info!(meeting = meeting.id, count, "meeting reminders queued");
            queued += count;
        }
    }
    if queued > 0 {
        app.wake_sender();
    }
    Ok(queued)
}

/// Queues the invitations of members approved into a cell after its
/// meeting was called. Returns how many were told.
pub async fn tell_late_invitations(app: &App) -> anyhow::Result<usize> {
    let mut told = 0;
    loop {
        let batch = meetings::untold(&app.pool, 200).await?;
        if batch.is_empty() {
            break;
        }
        for (meeting_id, membership_id) in batch {
            let tz = app.tz;
            let done =
                meetings::tell_late(&app.pool, meeting_id, membership_id, app.now(), |m, to| {
                    meeting_notices::invitations(tz, m, std::slice::from_ref(to))
                })
                .await?;
            if done {
                told += 1;
            }
        }
    }
    if told > 0 {
        tracing::info!(told, "late meeting invitations queued");
        app.wake_sender();
    }
    Ok(told)
}

/// Reminds the committee of each meeting whose check-in ended with its
/// register still open (once per meeting: closing it is what records the
/// presence of the members), not at night: a check-in that ended then is
/// reminded from `hour` the morning after ([`register_reminder_at`]).
/// Returns how many messages it queued.
pub async fn remind_open_registers(app: &App, hour: u32) -> anyhow::Result<usize> {
    let now = app.now();
    let mut queued = 0;
    for (id, starts_at) in meetings::registers_left_open(&app.pool, now).await? {
        if now < register_reminder_at(starts_at, hour, app.tz) {
            continue;
        }
        let tz = app.tz;
        let done = meetings::remind_register(&app.pool, id, now, |m, count, to| {
            meeting_notices::register_open(tz, m, count, to)
        })
        .await?;
        if let Some(count) = done {
            tracing::info!(
                meeting = id,
                count,
                "committee reminded of an open register"
            );
            queued += count;
        }
    }
    if queued > 0 {
        app.wake_sender();
    }
    Ok(queued)
}
