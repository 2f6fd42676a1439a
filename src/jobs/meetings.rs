//! The day-before reminder of residence meetings, decided from the clock
//! and the database at every look of the scheduler: a meeting is reminded
//! once (`meetings.reminded_at`, set in the transaction that queues the
//! reminders), so a restart catches up and never repeats. Likewise the
//! invitations of members approved after a meeting was called
//! (`meeting_invitations.told`).

use chrono::Duration;

use crate::{app::App, domain::meeting::reminder_due, store::meetings, telegram::meeting_notices};

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
