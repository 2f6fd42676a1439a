//! Prometheus metrics at `LIENHE_METRICS_ADDR` (off when unset): the
//! updates handled, the outbox's messages by outcome and its queue, and the
//! daily backup. Without the exporter every call here costs nothing.

use std::{
    net::SocketAddr,
    sync::atomic::{AtomicBool, Ordering},
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
        "lienhe_outbox_messages_total",
        "outbox rows by outcome: sent, retry, unreachable, failed"
    );
    metrics::describe_gauge!("lienhe_outbox_queued", "outbox rows waiting to be sent");
    metrics::describe_counter!(
        "lienhe_backups_total",
        "daily backups by outcome: written, failed"
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

pub fn update_handled() {
    metrics::counter!("lienhe_updates_handled_total").increment(1);
}

pub fn outbox(outcome: &'static str) {
    metrics::counter!("lienhe_outbox_messages_total", "outcome" => outcome).increment(1);
}

pub fn outbox_queued(rows: i64) {
    metrics::gauge!("lienhe_outbox_queued").set(rows as f64);
}

pub fn backup(written: bool, at: DateTime<Utc>) {
    let outcome = if written { "written" } else { "failed" };
    metrics::counter!("lienhe_backups_total", "outcome" => outcome).increment(1);
    if written {
        metrics::gauge!("lienhe_backup_last_success_timestamp_seconds").set(at.timestamp() as f64);
    }
}
