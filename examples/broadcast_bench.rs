//! Broadcast benchmark: N recipients through a local fake Bot API that
//! enforces a ceiling (overall and one message per second per chat).
//!
//!     cargo run --release --example broadcast_bench
//!     BENCH_RECIPIENTS=10000 BENCH_CEILING=300 LIENHE_SEND_RATE=300 cargo run --release --example broadcast_bench
//!
//! Prints the achieved rate as a fraction of the ceiling, limit violations,
//! duplicates, losses and the process's peak memory (fake server included).

#[path = "../tests/common/fake_api.rs"]
mod fake_api;

use std::{collections::HashMap, sync::Arc, time::Instant};

use chrono::Utc;
use lienhe::{
    bot::App,
    clock::{SharedClock, SystemClock},
    domain::schedule::Period,
    jobs::{reminders, sender},
    store,
};
use teloxide::Bot;

fn env_num(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let recipients = env_num("BENCH_RECIPIENTS", 10_000.0) as i64;
    let ceiling = env_num("BENCH_CEILING", 300.0);
    let rate = env_num("LIENHE_SEND_RATE", ceiling);

    let api = fake_api::FakeApi::start().await;
    api.set_limits(Some(ceiling as u32), Some(1));
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let pool = store::open(&url).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let app = App::new(pool.clone(), clock.clone(), tz);

    // A ward, a cell and N approved members who reported nothing.
    let now = Utc::now();
    let long_ago = now - chrono::Duration::days(400);
    let ward = store::wards::add(&pool, "Phường thử nghiệm", now).await?;
    let cell = store::cells::add(&pool, ward, "Chi bộ thử nghiệm", now).await?;
    let mut tx = lienhe::store::tx::begin(&pool).await?;
    for id in 1..=recipients {
        sqlx::query("INSERT INTO users (id, full_name, tg_name, language, first_seen_at, last_seen_at) VALUES (?, ?, ?, 'vi', ?, ?)")
            .bind(id)
            .bind(format!("Đảng viên {id}"))
            .bind(format!("dv{id}"))
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at, decided_at)
             VALUES (?, ?, ?, ?, 'approved', ?, ?)",
        )
        .bind(format!("bench-{id}"))
        .bind(id)
        .bind(cell)
        .bind(format!("Đảng viên {id}"))
        .bind(long_ago)
        .bind(long_ago)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;

    let queue_started = Instant::now();
    let period = Period::of(app.today());
    let queued = reminders::queue_month(&app, period)
        .await?
        .expect("a new month");
    let queue_time = queue_started.elapsed();

    let bot = Bot::new("123456:BENCH").set_api_url(api.url());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let handle = sender::spawn(
        bot,
        app.clone(),
        sender::SenderConfig::with_rate(rate),
        stopped,
    );
    loop {
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .fetch_one(&pool)
            .await?;
        if queued == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    let _ = handle.await;

    let calls = api.calls_of("sendMessage");
    let ok: Vec<_> = calls.iter().filter(|c| c.response_ok).collect();
    let first = ok.iter().map(|c| c.at).min().unwrap_or(started);
    let last = ok.iter().map(|c| c.at).max().unwrap_or(started);
    let span = (last - first).as_secs_f64();
    let achieved = if span > 0.0 {
        (ok.len() as f64 - 1.0) / span
    } else {
        0.0
    };
    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    for c in &ok {
        *per_chat.entry(c.chat_id().unwrap_or_default()).or_default() += 1;
    }
    let duplicates: usize = per_chat.values().map(|n| n.saturating_sub(1)).sum();
    let losses = (1..=recipients)
        .filter(|id| !per_chat.contains_key(id))
        .count();
    let (sent, failed): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(status = 'sent'), 0), COALESCE(SUM(status IN ('failed', 'unreachable')), 0) FROM outbox",
    )
    .fetch_one(&pool)
    .await?;

    println!("recipients:         {recipients}");
    println!(
        "queued:             {} reminders in {:.2} s",
        queued.reminders,
        queue_time.as_secs_f64()
    );
    println!("ceiling:            {ceiling} msg/s overall, 1 msg/s per chat");
    println!("LIENHE_SEND_RATE:   {rate}");
    println!("delivered:          {} in {:.1} s", ok.len(), span);
    println!(
        "achieved rate:      {achieved:.1} msg/s = {:.3} of the ceiling",
        achieved / ceiling
    );
    println!("limit violations:   {}", api.violations());
    println!("duplicates:         {duplicates}");
    println!("losses:             {losses}");
    println!("outbox rows:        {sent} sent, {failed} failed or unreachable");
    match peak_memory_kib() {
        Some(kib) => println!(
            "peak memory:        {:.1} MiB (bot and fake server in one process)",
            kib as f64 / 1024.0
        ),
        None => println!("peak memory:        unknown"),
    }
    Ok(())
}
