//! Province benchmark: a synthetic database in the project's real schema,
//! filled with bulk SQL (wards, cells of 20 members, workplaces of 50 and
//! one of up to 2,100, approved members, a year of reports with silent
//! months, pending items), then the monthly round while a probe keeps
//! writing and reading.
//!
//!     cargo run --release --example province_bench                    # 20,000 members
//!     cargo run --release --example province_bench -- --members 1000000
//!
//! Prints: the time to build the database, the round's queuing time, the
//! probe's latency while the round runs (a small `BEGIN IMMEDIATE` write
//! and a read every 20 ms), the latency of chat updates during the round
//! (the real bot polls the tests' fake Bot API; 20 times a second a
//! different member sends `/help` or presses a reminder's "Report now",
//! timed until the bot's reply, and counted as dropped without one within
//! 10 s), the round's longest write transaction, the process's peak memory, "who is silent this month" for
//! the whole database and for one cell, the time of the sender's `due`
//! batch with the whole round queued, the views of a cell, a workplace and
//! a ward (the store queries `/members`, `/status` and the export run), and
//! the drain rate: the real sender (`jobs::sender`) against a minimal Bot
//! API on loopback for `--drain-secs` (default 20) at `LIENHE_SEND_RATE`
//! 25, with the whole round queued.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{Datelike, Utc};
use lienhe::{
    bot::App,
    clock::{SharedClock, SystemClock},
    domain::schedule::Period,
    jobs::reminders,
    store,
    telegram::callback_data::CallbackData,
};

#[path = "../tests/common/fake_api.rs"]
mod fake_api;

/// Members per cell.
const CELL_SIZE: i64 = 20;

fn members_arg() -> i64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--members")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

fn drain_secs_arg() -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--drain-secs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// A minimal Bot API on loopback: every `send*` is accepted at once and
/// counted; the first one's arrival is noted.
async fn loopback_api() -> anyhow::Result<(String, Arc<std::sync::atomic::AtomicU64>)> {
    use axum::{Json, Router, extract::Path, routing::post};
    let count = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counted = count.clone();
    let app = Router::new().route(
        "/{token}/{method}",
        post(
            move |Path((_, method)): Path<(String, String)>, body: String| {
                let counted = counted.clone();
                async move {
                    let n = counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    let chat: i64 = serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| v.get("chat_id").and_then(serde_json::Value::as_i64))
                        .unwrap_or(1);
                    let result = if method.eq_ignore_ascii_case("sendMessage") {
                        serde_json::json!({
                            "message_id": n, "date": 0, "text": "ok",
                            "chat": {"id": chat, "type": "private", "first_name": "x"}
                        })
                    } else {
                        serde_json::json!(true)
                    };
                    Json(serde_json::json!({"ok": true, "result": result}))
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((url, count))
}

fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(mut all: Vec<Duration>) -> (f64, f64, f64) {
    if all.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    all.sort();
    let at = |p: f64| ms(all[((all.len() - 1) as f64 * p).round() as usize]);
    (at(0.5), at(0.99), ms(*all.last().unwrap()))
}

/// Fills the database with bulk SQL, in the real schema.
async fn build(pool: &store::Pool, members: i64, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let cells = (members + CELL_SIZE - 1) / CELL_SIZE;
    let wards = (cells / 25).max(1);
    let workplaces = (members / 50).max(1);
    let now = Utc::now();
    let long_ago = now - chrono::Duration::days(400);
    let year = today.year();
    let month = today.month();
    let mut tx = store::tx::begin(pool).await?;
    let series = |sql: &'static str| sqlx::query(sql);
    series(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO wards (id, name, created_at) SELECT i, 'Phường ' || i, ? FROM n",
    )
    .bind(wards)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    series(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO cells (id, ward_id, name, created_at)
         SELECT i, (i - 1) % ? + 1, 'Chi bộ ' || i, ? FROM n",
    )
    .bind(cells)
    .bind(wards)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    series(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO workplaces (id, name, name_key, created_at)
         SELECT i, 'Cơ quan ' || i, 'cơ quan ' || i, ? FROM n",
    )
    .bind(workplaces)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // Members 1..N, and one pending applicant per ten cells after them.
    let applicants = (cells / 10).max(1);
    series(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO users (id, full_name, tg_name, language, first_seen_at, last_seen_at)
         SELECT i, 'Đảng viên ' || i, 'dv' || i, 'vi', ?2, ?2 FROM n",
    )
    .bind(members + applicants)
    .bind(long_ago)
    .execute(&mut *tx)
    .await?;
    series(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO memberships (id, token, user_id, cell_id, full_name, workplace_id, status,
                                  requested_at, decided_at)
         SELECT i, 'm' || i, i, (i - 1) / ?2 + 1, 'Đảng viên ' || i,
                CASE WHEN i % 50 = 0 AND i <= 102400 THEN 1 ELSE (i - 1) % ?3 + 1 END,
                'approved', ?4, ?4 FROM n",
    )
    .bind(members)
    .bind(CELL_SIZE)
    .bind(workplaces)
    .bind(long_ago)
    .execute(&mut *tx)
    .await?;
    series(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at)
         SELECT 'p' || i, ?2 + i, (i - 1) * 10 + 1, 'Người xin ' || i, 'pending', ?3 FROM n",
    )
    .bind(applicants)
    .bind(members)
    .bind(now - chrono::Duration::days(2))
    .execute(&mut *tx)
    .await?;
    // The first member of each cell is its secretary.
    sqlx::query(
        "INSERT INTO cell_secretaries (cell_id, user_id, since)
         SELECT id, (id - 1) * ? + 1, ? FROM cells",
    )
    .bind(CELL_SIZE)
    .bind(long_ago)
    .execute(&mut *tx)
    .await?;
    // One approved report per member and past month of the year, except
    // one month in five (silent months).
    sqlx::query(
        "WITH RECURSIVE k(month) AS (SELECT 1 UNION ALL SELECT month + 1 FROM k WHERE month < ?1)
         INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                              description, status, created_at, decided_at)
         SELECT 'r' || m.id || '-' || k.month, m.id, m.user_id, m.cell_id, 1 + (m.id + k.month) % 7,
                printf('%04d-%02d-10', ?2, k.month), 'Hoạt động', 'approved', ?3, ?3
         FROM memberships m, k
         WHERE m.status = 'approved' AND (m.id * 7 + k.month) % 5 != 0",
    )
    .bind(i64::from(month) - 1)
    .bind(year)
    .bind(now - chrono::Duration::days(30))
    .execute(&mut *tx)
    .await?;
    // This month: one member in three reported, one in forty still pending
    // (some for over a week).
    sqlx::query(
        "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                              description, status, created_at, decided_at)
         SELECT 'c' || m.id, m.id, m.user_id, m.cell_id, 1, printf('%04d-%02d-01', ?1, ?2),
                'Hoạt động', CASE WHEN m.id % 40 = 0 THEN 'pending' ELSE 'approved' END,
                CASE WHEN m.id % 80 = 0 THEN ?3 ELSE ?4 END,
                CASE WHEN m.id % 40 = 0 THEN NULL ELSE ?4 END
         FROM memberships m
         WHERE m.status = 'approved' AND (m.id % 3 = 0 OR m.id % 40 = 0)",
    )
    .bind(year)
    .bind(month)
    .bind(now - chrono::Duration::days(10))
    .bind(now - chrono::Duration::days(1))
    .execute(&mut *tx)
    .await?;
    sqlx::query("CREATE TABLE bench_probe (at TEXT NOT NULL)")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}

/// Every 20 ms, a small write in its own `BEGIN IMMEDIATE` transaction and
/// a read, as a chat update does; the time each took.
async fn probe(pool: store::Pool, stop: tokio::sync::watch::Receiver<bool>) -> Vec<Duration> {
    let mut waits = Vec::new();
    while !*stop.borrow() {
        let started = Instant::now();
        let result = async {
            let mut tx = store::tx::begin(&pool).await?;
            sqlx::query("INSERT INTO bench_probe (at) VALUES (?)")
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM cell_secretaries WHERE user_id = 1")
                .fetch_one(&pool)
                .await
        }
        .await;
        if let Err(err) = result {
            eprintln!("probe failed: {err}");
        }
        waits.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    waits
}

/// How long a chat update may wait for its answer before it counts as
/// dropped.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// Sends a member's update to the fake Bot API and waits for the bot's
/// reply in that chat: `/help`, or a press of a reminder's "Report now"
/// (which starts the report dialogue). `None` if no reply came in time.
async fn chat_update(api: fake_api::FakeApi, user_id: i64, press: bool) -> Option<Duration> {
    let user = fake_api::TgUser::new(user_id, "Đảng viên", Some("vi"));
    let before = api.sent_count(user.id);
    let started = Instant::now();
    if press {
        api.callback(&user, 1, &CallbackData::ReportNow.encode());
    } else {
        api.text(&user, "/help");
    }
    let sent = api.wait_sent(user.id, before + 1, ANSWER_WITHIN).await;
    (sent.len() > before).then(|| started.elapsed())
}

/// Every 50 ms, until stopped, a different member sends `/help` or presses
/// "Report now" (alternately), without waiting for earlier answers; the time
/// each waited for the bot's reply (`None`: none within [`ANSWER_WITHIN`]).
async fn chat_stream(
    api: fake_api::FakeApi,
    members: i64,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Vec<Option<Duration>> {
    let mut updates = tokio::task::JoinSet::new();
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    let mut k: i64 = 0;
    while !*stop.borrow() {
        tick.tick().await;
        k += 1;
        // A different member each time, spread over the cells (7919 is
        // prime to the sizes used).
        let user_id = (k * 7919) % members + 1;
        updates.spawn(chat_update(api.clone(), user_id, k % 2 == 0));
    }
    updates.join_all().await
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let members = members_arg();
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("province.db").display());
    let pool = store::open(&url).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let app = App::new(pool.clone(), clock, tz);
    let today = app.today();

    let started = Instant::now();
    build(&pool, members, today).await?;
    let reports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports")
        .fetch_one(&pool)
        .await?;
    let cells: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cells")
        .fetch_one(&pool)
        .await?;
    println!(
        "database: {members} members, {cells} cells, {reports} reports, built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let memory_before = peak_memory_mib();

    // The bot itself, polling a fake Bot API: it answers a stream of chat
    // updates during the round.
    let api = fake_api::FakeApi::start().await;
    let (stop_bot, bot_stopped) = tokio::sync::watch::channel(false);
    let serving = tokio::spawn(lienhe::bot::serve(
        teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(api.url()),
        app.clone(),
        Duration::from_secs(1),
        bot_stopped,
    ));
    // Connected and warm: one answer of each kind before the round, and
    // the press starts the report dialogue.
    chat_update(api.clone(), members, false)
        .await
        .expect("the bot answers /help");
    chat_update(api.clone(), members - 1, true)
        .await
        .expect("the bot answers a press");
    let asked = api.last_sent(members - 1).and_then(|m| m.text);
    anyhow::ensure!(
        asked.as_deref() == Some(lienhe::t!(lienhe::domain::Lang::Vi, "ask-kind").as_str()),
        "a press of \"Report now\" got {asked:?}"
    );

    // The round, with the probe writing and reading and the members
    // writing to the bot meanwhile.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let prober = tokio::spawn(probe(pool.clone(), stopped.clone()));
    let chats = tokio::spawn(chat_stream(api.clone(), members, stopped));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let queued = reminders::queue_month(&app, Period::of(today))
        .await?
        .expect("a new month");
    let round = started.elapsed();
    stop.send(true)?;
    let waits = prober.await?;
    let answers = chats.await?;
    stop_bot.send(true)?;
    serving
        .await?
        .map_err(|e| anyhow::anyhow!("the bot: {e:?}"))?;
    let (p50, p99, max) = percentiles(waits.clone());
    println!(
        "round: {} reminders, {} digests queued in {:.2} s",
        queued.reminders,
        queued.digests,
        round.as_secs_f64()
    );
    println!(
        "probe during the round ({} writes+reads): p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms (waits for the lock included)",
        waits.len()
    );
    let answered: Vec<Duration> = answers.iter().flatten().copied().collect();
    let dropped = answers.len() - answered.len();
    let (c50, c99, cmax) = percentiles(answered);
    println!(
        "chat updates during the round through the fake Bot API (/help and \"Report now\", {} sent, 20 a second): reply p50 {c50:.1} ms, p99 {c99:.1} ms, max {cmax:.1} ms; {dropped} without a reply within {} s",
        answers.len(),
        ANSWER_WITHIN.as_secs()
    );
    let longest = |micros: &std::sync::atomic::AtomicU64| {
        micros.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1000.0
    };
    println!(
        "longest write transaction of the round: {:.1} ms begin to commit (timed around each); its statements before the commit at most {:.1} ms",
        longest(&reminders::LONGEST_ROUND_TX_MICROS),
        longest(&reminders::LONGEST_ROUND_WORK_MICROS),
    );
    println!(
        "peak memory: {:.0} MiB (after building: {memory_before:.0} MiB)",
        peak_memory_mib()
    );

    // Who is silent this month, whole database and one cell.
    let period = Period::of(today);
    let started = Instant::now();
    let silent = store::memberships::silent_in_cells(&pool, period, i64::MIN, i64::MAX)
        .await?
        .len();
    let whole = started.elapsed();
    let started = Instant::now();
    let one = store::memberships::silent_in_cells(&pool, period, 1, 1).await?;
    let cell = started.elapsed();
    println!(
        "silent this month: {silent} of the whole database in {:.0} ms; one cell ({} silent) in {:.2} ms",
        ms(whole),
        one.len(),
        ms(cell),
    );

    // The sender's batch with the whole round queued.
    let mut batches = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let rows = store::outbox::due(&pool, Utc::now(), 30, &[]).await?;
        batches.push(started.elapsed());
        assert!(!rows.is_empty());
    }
    let (p50, _, max) = percentiles(batches);
    println!("outbox due batch (30 rows, queue full): p50 {p50:.2} ms, max {max:.2} ms");

    // The views of the biggest cell, workplace and ward (every cell has
    // 20 members, every ward 25 cells; workplace 1 also has every 50th of
    // the first 102,400 members: 2,048 more at a million).
    let year = today.year();
    let started = Instant::now();
    let members = store::memberships::activity_in_cell(&pool, 1, period).await?;
    let cell_view = started.elapsed();
    let started = Instant::now();
    let scope = store::yearly::Scope::Workplace(1);
    let workers = store::yearly::members(&pool, scope, year, tz).await?;
    let year_from = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("valid");
    let year_until = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid");
    store::yearly::activities(&pool, scope, year_from, year_until).await?;
    let status_view = started.elapsed();
    let started = Instant::now();
    let table = lienhe::export::table(
        &pool,
        store::yearly::Scope::Ward(1),
        year,
        today,
        tz,
        lienhe::domain::Lang::Vi,
    )
    .await?;
    let xlsx = lienhe::export::to_xlsx(&table, "bench")?;
    let export = started.elapsed();
    println!(
        "views: /members of a cell ({} members) {:.1} ms; /status of a workplace ({} members, the year's activities) {:.1} ms; XLSX export of a ward ({} bytes) {:.0} ms",
        members.len(),
        ms(cell_view),
        workers.len(),
        ms(status_view),
        xlsx.len(),
        ms(export)
    );

    // The drain rate with the whole round queued: the real sender against
    // a loopback Bot API that accepts everything at once.
    let drain = Duration::from_secs(drain_secs_arg());
    if !drain.is_zero() {
        let rate = 25.0;
        let (url, count) = loopback_api().await?;
        let bot = teloxide::Bot::new("1:bench").set_api_url(url::Url::parse(&url)?);
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let sender = tokio::spawn(lienhe::jobs::sender::run(
            bot,
            app.clone(),
            lienhe::jobs::sender::SenderConfig::with_rate(rate),
            stopped,
        ));
        // From the first request on.
        while count.load(std::sync::atomic::Ordering::Relaxed) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let started = Instant::now();
        let first = count.load(std::sync::atomic::Ordering::Relaxed);
        tokio::time::sleep(drain).await;
        let sent = count.load(std::sync::atomic::Ordering::Relaxed) - first;
        let elapsed = started.elapsed().as_secs_f64();
        stop.send(true)?;
        sender.await?;
        let achieved = sent as f64 / elapsed;
        println!(
            "drain with the round queued: {sent} messages in {elapsed:.1} s = {achieved:.2}/s, {:.3} of LIENHE_SEND_RATE {rate}",
            achieved / rate
        );
    }
    println!("peak memory at the end: {:.0} MiB", peak_memory_mib());

    // Last, as it holds every member in memory at once (no path of the bot
    // does: the round reads a batch of cells at a time).
    let started = Instant::now();
    let standings = store::memberships::standings(&pool, period).await?.len();
    println!(
        "every member's standing at once (names, languages, last activity): {standings} rows in {:.0} ms; peak memory then {:.0} MiB",
        ms(started.elapsed()),
        peak_memory_mib()
    );
    Ok(())
}
