//! Prometheus metrics at `LIENHE_METRICS_ADDR` (off when unset): the
//! updates handled and failed with the handlers' time, the outbox's
//! messages by outcome and kind, its queue and the sender's rate, the
//! scheduler's runs and the daily backup. Without the exporter every call
//! here costs nothing.

use std::{
    net::SocketAddr,
    sync::atomic::{AtomicBool, Ordering},
    time::Duration,
};

use chrono::{DateTime, Utc};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Serves `/metrics` at `addr` (on the running tokio runtime).
pub fn install(addr: SocketAddr) -> anyhow::Result<()> {
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .with_http_listener(addr)
        .install()
        .map_err(|e| anyhow::anyhow!("cannot serve metrics at {addr}: {e}"))?;
    metrics::describe_counter!(
        "lienhe_updates_handled_total",
        "Telegram updates handled (redeliveries skipped not counted)"
    );
    metrics::describe_counter!(
        "lienhe_updates_failed_total",
        "Telegram updates whose handler returned an error or panicked"
    );
    metrics::describe_histogram!(
        "lienhe_handler_seconds",
        metrics::Unit::Seconds,
        "time from an update's dispatch to its handler's end"
    );
    metrics::describe_counter!(
        "lienhe_outbox_messages_total",
        "outbox rows by outcome (sent, retry, unreachable, failed) and kind, the outbox's lane \
         (notice: what a person waits for, meeting notices too; digest: digests and notes; \
         broadcast: monthly reminders and announcements)"
    );
    metrics::describe_gauge!(
        "lienhe_sender_rate_per_second",
        "messages the outbox sender delivered per second over the last 10 seconds"
    );
    metrics::describe_counter!(
        "lienhe_scheduler_runs_total",
        "looks of the scheduler at the clock and the database, by outcome: ok, failed"
    );
    metrics::describe_gauge!("lienhe_outbox_queued", "outbox rows waiting to be sent");
    metrics::describe_counter!(
        "lienhe_backups_total",
        "daily backups this process took (or found taken) or failed to, since it started, by \
         outcome: written, failed"
    );
    metrics::describe_gauge!(
        "lienhe_backup_last_success_timestamp_seconds",
        "when the last daily backup was written and checked (Unix time)"
    );
    metrics::gauge!("lienhe_up").set(1.0);
    ENABLED.store(true, Ordering::Release);
    Ok(())
}

/// Whether metrics are served (so that work done only for them is skipped).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Acquire)
}

/// An update handled, how long its handler took, and whether it failed.
pub fn update_handled(took: Duration, failed: bool) {
    metrics::counter!("lienhe_updates_handled_total").increment(1);
    metrics::histogram!("lienhe_handler_seconds").record(took.as_secs_f64());
    if failed {
        metrics::counter!("lienhe_updates_failed_total").increment(1);
    }
}

/// An outbox row's outcome; its kind from its priority.
pub fn outbox(outcome: &'static str, priority: i64) {
    let kind = match priority {
        0 => "notice",
        1 => "digest",
        _ => "broadcast",
    };
    metrics::counter!("lienhe_outbox_messages_total", "outcome" => outcome, "kind" => kind)
        .increment(1);
}

/// The sender's pace just now.
pub fn sender_rate(per_second: f64) {
    metrics::gauge!("lienhe_sender_rate_per_second").set(per_second);
}

pub fn scheduler_run(ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    metrics::counter!("lienhe_scheduler_runs_total", "outcome" => outcome).increment(1);
}

pub fn outbox_queued(rows: i64) {
    metrics::gauge!("lienhe_outbox_queued").set(rows as f64);
}

/// A daily backup this process wrote (or found written) or failed to.
pub fn backup(written: bool) {
    let outcome = if written { "written" } else { "failed" };
    metrics::counter!("lienhe_backups_total", "outcome" => outcome).increment(1);
}

/// When the last daily backup was written: by this process, or (at
/// start-up) the newest in the backup directory.
pub fn backup_last_success(at: DateTime<Utc>) {
    metrics::gauge!("lienhe_backup_last_success_timestamp_seconds").set(at.timestamp() as f64);
}
