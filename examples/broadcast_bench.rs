//! Broadcast benchmark: N recipients through a local fake Bot API that
//! enforces a ceiling (overall and one message per second per chat).
//!
//!     cargo run --release --example broadcast_bench
//!     BENCH_RECIPIENTS=10000 BENCH_CEILING=300 LIENHE_SEND_RATE=300 cargo run --release --example broadcast_bench
//!
//! Prints the achieved rate as a fraction of the ceiling, limit violations,
//! duplicates, losses and the process's peak memory (fake server included).
//!
//! Then the interactive lane: the next month's reminders drain at the
//! default share of the ceiling (25 of 30) while the real handler tree
//! answers `/help` from other users (`BENCH_HELPS`, default 200, ten a
//! second); prints the time from each update to its reply (p50, p99, max).
//!
//! Last, heavy work: the ward's supervisor asks for `/export` (every member's
//! evidence and the XLSX) while others keep sending `/help`; prints how long
//! the export took and the `/help` latencies meanwhile.

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
    // RUST_LOG=lienhe=info shows what the bot did.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
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
        // They wrote to the bot once (Telegram refuses the others).
        api.introduce(&fake_api::TgUser::new(id, &format!("dv{id}"), Some("vi")));
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
    interactive_lane(&api, &app, ceiling, recipients).await?;
    while_exporting(&api, &app, ward, recipients).await?;
    match peak_memory_kib() {
        Some(kib) => println!(
            "peak memory:        {:.1} MiB (bot and fake server in one process)",
            kib as f64 / 1024.0
        ),
        None => println!("peak memory:        unknown"),
    }
    Ok(())
}

/// The p50, p99 and max of some durations, in milliseconds.
fn percentiles(mut all: Vec<std::time::Duration>) -> (f64, f64, f64) {
    all.sort();
    let pick = |q: f64| {
        all.get(((all.len() as f64 - 1.0) * q).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    (pick(0.5), pick(0.99), pick(1.0))
}

/// Sends `/help` from `count` new users, ten a second, each timed from its
/// update to the reply; None for an unanswered one.
async fn helps(
    api: &fake_api::FakeApi,
    first_id: i64,
    count: i64,
) -> Vec<Option<std::time::Duration>> {
    let mut ticker = tokio::time::interval(std::time::Duration::from_millis(100));
    let mut waiting = Vec::new();
    for i in 0..count {
        ticker.tick().await;
        let user = fake_api::TgUser::new(first_id + i, "Người hỏi", Some("vi"));
        let api = api.clone();
        waiting.push(tokio::spawn(async move {
            let at = Instant::now();
            api.text(&user, "/help");
            let got = api
                .wait_sent(user.id, 1, std::time::Duration::from_secs(30))
                .await;
            (!got.is_empty()).then(|| at.elapsed())
        }));
    }
    let mut out = Vec::new();
    for task in waiting {
        out.push(task.await.unwrap_or(None));
    }
    out
}

fn print_latencies(answered: Vec<Option<std::time::Duration>>) {
    let unanswered = answered.iter().filter(|a| a.is_none()).count();
    let (p50, p99, max) = percentiles(answered.into_iter().flatten().collect());
    println!(
        "  update → reply:   p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms; unanswered {unanswered}"
    );
}

/// Reminders draining at 25/30 of the ceiling, and `/help` answered meanwhile.
async fn interactive_lane(
    api: &fake_api::FakeApi,
    app: &App,
    ceiling: f64,
    recipients: i64,
) -> anyhow::Result<()> {
    let count = env_num("BENCH_HELPS", 200.0) as i64;
    let rate = ceiling * 25.0 / 30.0;
    let next = Period::of(Period::of(app.today()).end());
    // The same members, silent next month too; queued as the scheduler would.
    let queued = reminders::queue_month(app, next)
        .await?
        .map_or(0, |q| q.reminders);
    let bot = Bot::new("123456:BENCH").set_api_url(api.url());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    // As `lienhe run` does: the sender on the chat's lane.
    let lane = std::sync::Arc::new(lienhe::lane::Lane::start("lienhe-chat")?);
    let sender = lane.spawn(sender::run(
        bot.clone(),
        app.clone(),
        sender::SenderConfig::with_rate(rate),
        stopped.clone(),
    ));
    let serving = tokio::spawn({
        let (lane, app) = (lane.clone(), app.clone());
        async move {
            lienhe::bot::serve_on(&lane, bot, app, std::time::Duration::from_secs(1), stopped).await
        }
    });
    let answered = helps(api, recipients + 1, count).await;
    let still_queued: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .fetch_one(&app.pool)
            .await?;
    let _ = stop.send(true);
    let _ = tokio::join!(sender, serving);
    println!();
    println!(
        "interactive lane:   {count} /help, ten a second, while {queued} reminders drain at {rate:.0} msg/s \
         (the outbox sender on the chat's thread, as `lienhe run` runs it)"
    );
    println!("  still queued at the end: {still_queued} (the broadcast was running throughout)");
    print_latencies(answered);
    Ok(())
}

/// A ward's export built while others ask for `/help`.
async fn while_exporting(
    api: &fake_api::FakeApi,
    app: &App,
    ward: i64,
    recipients: i64,
) -> anyhow::Result<()> {
    let count = env_num("BENCH_HELPS", 200.0) as i64 / 4;
    let bot = Bot::new("123456:BENCH").set_api_url(api.url());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let serving = tokio::spawn(lienhe::bot::serve(
        bot,
        app.clone(),
        std::time::Duration::from_secs(1),
        stopped,
    ));
    let supervisor = fake_api::TgUser::new(recipients + 100_000, "Giám sát", Some("vi"));
    let invite = store::invites::create(
        &app.pool,
        lienhe::domain::invite::InviteKind::Supervisor,
        store::invites::Target::Ward(ward),
        None,
        Utc::now(),
    )
    .await?
    .invite;
    api.text(&supervisor, &format!("/start {}", invite.code));
    api.wait_sent(supervisor.id, 1, std::time::Duration::from_secs(30))
        .await;
    let before = api.sent(supervisor.id).len();
    let started = Instant::now();
    api.text(&supervisor, "/export");
    let exporting = {
        let api = api.clone();
        tokio::spawn(async move {
            loop {
                let done = api
                    .sent(supervisor.id)
                    .iter()
                    .skip(before)
                    .any(|s| s.method == "senddocument");
                if done || started.elapsed().as_secs() > 300 {
                    return started.elapsed();
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
    };
    let answered = helps(api, recipients + 200_000, count).await;
    let export_time = exporting.await?;
    if std::env::var("BENCH_DEBUG").is_ok() {
        for sent in api.sent(supervisor.id) {
            eprintln!("to the supervisor: {} {:?}", sent.method, sent.text);
        }
    }
    let _ = stop.send(true);
    let _ = serving.await;
    println!();
    println!(
        "while exporting:    the ward's /export ({recipients} members) took {:.1} s; {count} /help meanwhile",
        export_time.as_secs_f64()
    );
    print_latencies(answered);
    Ok(())
}
