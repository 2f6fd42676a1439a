//! Concurrency and CPU benchmark: the real handler tree, run the way
//! `lienhe run` runs it, against a fake Bot API on loopback.
//!
//!     cargo run --release --example concurrency_bench
//!     BENCH_USERS=200 BENCH_CPU_USERS=300 cargo run --release --example concurrency_bench
//!     BENCH_PART=1 cargo run --release --example concurrency_bench    # one part only (1 or 2)
//!     BENCH_SQL_LOG=1 BENCH_PART=2 BENCH_CPU_USERS=20 cargo run --release --example concurrency_bench
//!
//! The bots run as child processes: this program re-executes itself as
//! `concurrency_bench bot` (the handler tree: `lienhe::bot::serve` with the
//! outbox sender, on `lienhe::store::open` of a database file) or
//! `concurrency_bench echo` (a bare `teloxide::repl` that sends every text
//! back). The fake Bot API and the simulated users live in this (parent)
//! process, so a child's CPU time and peak memory are the bot's alone. The
//! fake enforces no rate limits; the bot's outbox sender runs at
//! `BENCH_SEND_RATE` (default 1000) messages per second overall and
//! `BENCH_PER_CHAT_MS` (default 0) between two messages to one chat, so that
//! Telegram's pacing (which would hold a secretary's 200 report cards to one
//! a second) does not hide the bot's own speed.
//!
//! Part 1, many users at once: `BENCH_USERS` (200) approved members of one
//! cell all run the report dialogue at the same time (/report, kind, Today,
//! description, Skip photos, Submit), each waiting for the bot's reply to a
//! step before the next; the secretary (who joined through the chat with a
//! secretary code) approves every report card as it arrives. Prints updates
//! per second, the time from pushing each update to the bot's reply at the
//! fake (p50 / p99 / max per step), lost and duplicated reports and
//! decisions, and the bot's peak memory.
//!
//! Part 2, CPU per update: `BENCH_CPU_USERS` (300) members each send the same
//! mix of ten updates (/help, /myreports, the six steps of a report, the
//! secretary's approval, /myreports), in rounds (every member's next update
//! is pushed once the bot answered every member's previous one). Within a
//! round, `BENCH_CPU_WAVE` members' updates are pushed at once (the next
//! wave once they were answered and confirmed); by default part 2 runs twice,
//! with every member at once and with one update at a time. The bot's
//! run is recorded and exactly the same updates, in the same rounds, are
//! then pushed to the echo bot. The children's user+system CPU time
//! (`/proc/PID/stat`) is read before and after each round (start-up
//! excluded); prints CPU µs per update for both and the ratio, per update
//! type and in all. `BENCH_SQL_LOG=1` makes the bot log its SQL
//! (`sqlx::query=debug`) and prints the statements per update type (its CPU
//! figures then include the logging); `BENCH_PERF="record -g -o FILE"` (or
//! any other perf arguments) attaches `perf` to the bot during the rounds; `BENCH_KEEP=1` keeps part 2's logs and
//! database.

#[path = "../tests/common/fake_api.rs"]
mod fake_api;

use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::{Context, anyhow, bail};
use chrono::Utc;
use fake_api::{Call, ChatCall, FakeApi, TgUser};
use futures::future::join_all;
use lienhe::{
    bot::{self, App},
    cli::{self, Admin},
    clock::{SharedClock, SystemClock},
    config::POLLING_TIMEOUT,
    domain::{Lang, permissions::Roles},
    jobs::sender::{self, SenderConfig},
    lane::Lane,
    store::{self, Pool},
};
use serde_json::Value;
use teloxide::prelude::*;
use tokio::{process::Child, sync::watch};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;
const TOKEN: &str = "123456:BENCH-TOKEN";
const SECRETARY_ID: i64 = 9_000_001;
const FIRST_MEMBER_ID: i64 = 100_001;
/// The longest wait for one reply (a stuck bot fails the run, it does not hang it).
const WAIT: Duration = Duration::from_secs(120);
const DESCRIPTION: &str = "Tham gia tổng vệ sinh đường phố cùng bà con tổ dân phố số 5";

fn env_num(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).as_deref() {
        Some("bot") => child_runtime(bot_child()),
        Some("echo") => child_runtime(echo_child()),
        _ => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(parent()),
    }
}

// ===================================================================
// The children
// ===================================================================

/// What `lienhe::cli::main` sets up: the log (RUST_LOG, default info, on
/// stderr) and a multi-threaded runtime.
fn child_runtime(
    work: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(work)
}

/// Turns true when the parent closes our stdin.
fn stop_on_stdin_eof() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
        let _ = tx.send(true);
    });
    rx
}

/// The real bot, as `lienhe run` starts it (minus the scheduler, which only
/// looks at the clock every 30 s): the handler tree and the outbox sender
/// on one pool. TELOXIDE_TOKEN / TELOXIDE_API_URL / DATABASE_URL from the
/// environment.
async fn bot_child() -> anyhow::Result<()> {
    let stop = stop_on_stdin_eof();
    let url = std::env::var("DATABASE_URL").context("DATABASE_URL")?;
    let pool = store::open(&url).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let app = App::new(pool, clock, TZ);
    let bot = Bot::from_env();
    let cfg = SenderConfig {
        rate: env_num("BENCH_SEND_RATE", 1000.0),
        per_chat: Duration::from_millis(env_num("BENCH_PER_CHAT_MS", 0.0) as u64),
        ..SenderConfig::default()
    };
    let lane = Lane::start("lienhe-chat")?;
    let sender = lane.spawn(sender::run(bot.clone(), app.clone(), cfg, stop.clone()));
    bot::serve_on(&lane, bot, app, POLLING_TIMEOUT, stop).await?;
    let _ = sender.await;
    Ok(())
}

/// A bare teloxide echo bot: `teloxide::repl` answering every text with
/// the same text.
async fn echo_child() -> anyhow::Result<()> {
    let mut stop = stop_on_stdin_eof();
    let bot = Bot::from_env();
    let echo = teloxide::repl(bot, |bot: Bot, msg: Message| async move {
        if let Some(text) = msg.text() {
            bot.send_message(msg.chat.id, text).await?;
        }
        Ok(())
    });
    tokio::select! {
        _ = echo => {}
        _ = stop.wait_for(|s| *s) => {}
    }
    Ok(())
}

// ===================================================================
// The parent: process handling, /proc
// ===================================================================

struct ChildBot {
    child: Child,
    pid: u32,
    log: PathBuf,
}

impl ChildBot {
    fn spawn(
        mode: &str,
        api: &FakeApi,
        db_url: Option<&str>,
        log: &Path,
        rust_log: &str,
    ) -> anyhow::Result<Self> {
        let mut cmd = tokio::process::Command::new(std::env::current_exe()?);
        cmd.arg(mode)
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", api.url().as_str())
            .env_remove("TELOXIDE_PROXY")
            .env("NO_PROXY", "127.0.0.1")
            .env("RUST_LOG", rust_log)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?)
            .kill_on_drop(true);
        if let Some(url) = db_url {
            cmd.env("DATABASE_URL", url);
        }
        let child = cmd.spawn().context("starting a child bot")?;
        let pid = child.id().context("child pid")?;
        Ok(ChildBot {
            child,
            pid,
            log: log.to_path_buf(),
        })
    }

    fn cpu_ticks(&self) -> u64 {
        cpu_ticks(self.pid).unwrap_or(0)
    }

    fn peak_kib(&self) -> Option<u64> {
        peak_memory_kib(&self.pid.to_string())
    }

    /// The last lines of the child's log, for error messages.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// Closes stdin (the child stops cleanly), killing it if it lingers.
    async fn stop(mut self) {
        drop(self.child.stdin.take());
        if tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

/// utime + stime of a process (all its threads, living and dead), in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn peak_memory_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `getconf CLK_TCK` (clock ticks per second), 100 if it cannot be asked.
fn clock_ticks_per_second() -> (f64, bool) {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .map_or((100.0, false), |t| (t, true))
}

// ===================================================================
// The parent: setting up a cell, talking to the bot
// ===================================================================

struct Setup {
    code: String,
    cell: i64,
    members: Vec<TgUser>,
}

fn member(i: usize) -> TgUser {
    let id = FIRST_MEMBER_ID + i as i64;
    TgUser::new(id, &format!("Đảng viên {id}"), Some("vi"))
}

/// A ward, a workplace, a cell, a secretary code (through the operator's
/// commands) and `members` approved members (straight into the database, as
/// if they had joined long ago; their Telegram names are the ones the
/// updates carry, so a message does not rewrite the user row).
async fn setup_db(db_url: &str, members: usize) -> anyhow::Result<(Pool, Setup)> {
    let pool = store::open(db_url).await?;
    let now = Utc::now();
    let out = |command| {
        let pool = pool.clone();
        async move { cli::admin(&pool, now, TZ, command).await }
    };
    let ward: i64 = out(Admin::Ward {
        command: cli::NameOnly::Add {
            name: "Phường Hưng Dũng".into(),
        },
    })
    .await?
    .trim()
    .parse()?;
    let workplace: i64 = out(Admin::Workplace {
        command: cli::NameOnly::Add {
            name: "Sở Tư pháp tỉnh Nghệ An".into(),
        },
    })
    .await?
    .trim()
    .parse()?;
    let cell: i64 = out(Admin::Cell {
        command: cli::CellCommand::Add {
            ward,
            name: "Chi bộ khối 5".into(),
        },
    })
    .await?
    .trim()
    .parse()?;
    let code = out(Admin::Invite {
        command: cli::InviteCommand::Secretary { cell },
    })
    .await?
    .lines()
    .last()
    .context("a secretary code")?
    .trim()
    .to_string();

    let long_ago = now - chrono::Duration::days(400);
    let members: Vec<TgUser> = (0..members).map(member).collect();
    // Approved long ago: their chat's menu was set then.
    let menu = Roles {
        member: true,
        ..Roles::default()
    }
    .menu_key(Lang::Vi);
    let mut tx = store::tx::begin(&pool).await?;
    for user in &members {
        sqlx::query(
            "INSERT INTO users (id, full_name, tg_name, language, first_seen_at, last_seen_at, menu)
             VALUES (?, ?, ?, 'vi', ?, ?, ?)",
        )
        .bind(user.id)
        .bind(&user.first_name)
        .bind(&user.first_name)
        .bind(long_ago)
        .bind(now)
        .bind(&menu)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO memberships (token, user_id, cell_id, full_name, workplace_id, status,
                                      requested_at, decided_at)
             VALUES (?, ?, ?, ?, ?, 'approved', ?, ?)",
        )
        .bind(format!("bench-{}", user.id))
        .bind(user.id)
        .bind(cell)
        .bind(&user.first_name)
        .bind(workplace)
        .bind(long_ago)
        .bind(long_ago)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((
        pool,
        Setup {
            code,
            cell,
            members,
        },
    ))
}

fn value_as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The callback data of a call's inline buttons.
fn buttons(call: &Call) -> Vec<String> {
    let markup = match call.params.get("reply_markup") {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    markup
        .get("inline_keyboard")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|b| b.get("callback_data").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

fn button_with(call: &Call, prefix: &str) -> Option<String> {
    buttons(call).into_iter().find(|d| d.starts_with(prefix))
}

fn is_send(call: &Call) -> bool {
    call.response_ok && call.method == "sendmessage"
}

fn is_send_with(call: &Call, prefix: &str) -> bool {
    is_send(call) && button_with(call, prefix).is_some()
}

fn is_edit_of(call: &Call, message_id: i64) -> bool {
    call.response_ok
        && call.method == "editmessagetext"
        && call.params.get("message_id").and_then(value_as_i64) == Some(message_id)
}

/// Pushes an update and waits for the first call to `chat` after it that
/// matches `pred`. Returns the call and when the update was pushed.
async fn step(
    api: &FakeApi,
    chat: i64,
    push: impl FnOnce(&FakeApi) -> i64,
    pred: impl Fn(&Call) -> bool,
    what: &str,
) -> anyhow::Result<(ChatCall, Instant)> {
    let since = api.chat_call_count(chat);
    let pushed = Instant::now();
    push(api);
    let reply = api
        .wait_chat_call(chat, since, WAIT, pred)
        .await
        .ok_or_else(|| anyhow!("no reply to {what} for {chat} within {WAIT:?}"))?;
    Ok((reply, pushed))
}

/// The secretary sends `/start CODE` and their name.
async fn join_secretary(api: &FakeApi, secretary: &TgUser, code: &str) -> anyhow::Result<()> {
    let start = format!("/start {code}");
    step(
        api,
        secretary.id,
        |a| a.text(secretary, &start),
        is_send,
        "/start CODE",
    )
    .await?;
    step(
        api,
        secretary.id,
        |a| a.text(secretary, "Trần Thị Bình"),
        is_send,
        "the secretary's name",
    )
    .await?;
    Ok(())
}

async fn check_secretary(pool: &Pool, cell: i64) -> anyhow::Result<()> {
    let secretary: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM cell_secretaries WHERE cell_id = ?")
            .bind(cell)
            .fetch_optional(pool)
            .await?;
    if secretary != Some(SECRETARY_ID) {
        bail!("the secretary did not join the cell through the chat");
    }
    Ok(())
}

/// Waits until the child bot polls for the first time.
async fn wait_polling(api: &FakeApi, child: &ChildBot) -> anyhow::Result<()> {
    if !api.wait_idle(Duration::from_secs(60)).await {
        bail!(
            "the {} child never polled:\n{}",
            child.log.display(),
            child.log_tail()
        );
    }
    Ok(())
}

// ===================================================================
// Latencies
// ===================================================================

#[derive(Default)]
struct Latencies(Vec<Duration>);

impl Latencies {
    fn add(&mut self, d: Duration) {
        self.0.push(d);
    }

    /// Nearest-rank percentile, in milliseconds.
    fn pct(&self, p: f64) -> f64 {
        let mut v = self.0.clone();
        v.sort();
        if v.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize - 1;
        v[rank.min(v.len() - 1)].as_secs_f64() * 1000.0
    }

    fn line(&self, label: &str) -> String {
        format!(
            "  {label:<34} {:>6}  {:>9.1}  {:>9.1}  {:>9.1}",
            self.0.len(),
            self.pct(50.0),
            self.pct(99.0),
            self.pct(100.0)
        )
    }
}

// ===================================================================
// Part 1: many users at once
// ===================================================================

const STEPS: [&str; 6] = [
    "/report -> kinds",
    "kind -> date prompt",
    "Today -> description prompt",
    "description -> photos prompt",
    "Skip photos -> summary",
    "Submit -> summary edited",
];

#[derive(Default)]
struct Record {
    steps: [Latencies; 6],
    approve: Latencies,
    /// The last reply to any update.
    last_reply: Option<Instant>,
    last_submit_reply: Option<Instant>,
    submit_pushed: HashMap<i64, Instant>,
    notice_at: HashMap<i64, Instant>,
    card_at: HashMap<i64, Instant>,
    card_message: HashMap<i64, i64>,
    approve_pushed: HashMap<i64, Instant>,
    failures: Vec<String>,
}

impl Record {
    fn replied(&mut self, step: Option<usize>, reply: &ChatCall, pushed: Instant) {
        let at = reply.call.at;
        let latency = at.saturating_duration_since(pushed);
        match step {
            Some(i) => self.steps[i].add(latency),
            None => self.approve.add(latency),
        }
        if self.last_reply.is_none_or(|l| at > l) {
            self.last_reply = Some(at);
        }
    }
}

type Shared = Arc<Mutex<Record>>;

fn rec(shared: &Shared) -> std::sync::MutexGuard<'_, Record> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// One member's whole report dialogue, then the wait for the decision.
async fn member_dialogue(api: FakeApi, user: TgUser, shared: Shared) -> anyhow::Result<()> {
    let chat = user.id;
    let (kinds, pushed) = step(
        &api,
        chat,
        |a| a.text(&user, "/report"),
        |c| is_send_with(c, "k:"),
        "/report",
    )
    .await?;
    rec(&shared).replied(Some(0), &kinds, pushed);
    let kind = button_with(&kinds.call, "k:").context("a kind button")?;
    let kinds_id = kinds.message_id.context("kinds message id")?;

    let (date, pushed) = step(
        &api,
        chat,
        |a| a.callback(&user, kinds_id, &kind),
        |c| is_send_with(c, "dt"),
        "kind",
    )
    .await?;
    rec(&shared).replied(Some(1), &date, pushed);
    let date_id = date.message_id.context("date message id")?;

    let (ask, pushed) = step(
        &api,
        chat,
        |a| a.callback(&user, date_id, "dt"),
        is_send,
        "Today",
    )
    .await?;
    rec(&shared).replied(Some(2), &ask, pushed);

    let (photos, pushed) = step(
        &api,
        chat,
        |a| a.text(&user, DESCRIPTION),
        |c| is_send_with(c, "pd"),
        "description",
    )
    .await?;
    rec(&shared).replied(Some(3), &photos, pushed);
    let photos_id = photos.message_id.context("photos message id")?;

    let (summary, pushed) = step(
        &api,
        chat,
        |a| a.callback(&user, photos_id, "pd"),
        |c| is_send_with(c, "rs"),
        "Skip",
    )
    .await?;
    rec(&shared).replied(Some(4), &summary, pushed);
    let summary_id = summary.message_id.context("summary message id")?;
    let submit = button_with(&summary.call, "rs").context("Submit")?;

    let (submitted, pushed) = step(
        &api,
        chat,
        |a| a.callback(&user, summary_id, &submit),
        |c| is_edit_of(c, summary_id),
        "Submit",
    )
    .await?;
    {
        let mut r = rec(&shared);
        r.replied(Some(5), &submitted, pushed);
        r.submit_pushed.insert(chat, pushed);
        if r.last_submit_reply.is_none_or(|l| submitted.call.at > l) {
            r.last_submit_reply = Some(submitted.call.at);
        }
    }

    // The decision comes through the outbox.
    let notice = api
        .wait_chat_call(chat, submitted.position + 1, 2 * WAIT, is_send)
        .await
        .ok_or_else(|| anyhow!("no decision notice for {chat}"))?;
    rec(&shared).notice_at.insert(chat, notice.call.at);
    Ok(())
}

/// Approves every report card as it arrives; the presses run concurrently.
async fn secretary_approves(
    api: FakeApi,
    secretary: TgUser,
    cards: usize,
    shared: Shared,
) -> anyhow::Result<()> {
    let chat = secretary.id;
    let mut position = api.chat_call_count(chat);
    let mut presses = Vec::new();
    for _ in 0..cards {
        let card = api
            .wait_chat_call(chat, position, 2 * WAIT, |c| is_send_with(c, "ra:"))
            .await
            .ok_or_else(|| anyhow!("report cards stopped coming"))?;
        position = card.position + 1;
        let data = button_with(&card.call, "ra:").context("an Approve button")?;
        let report: i64 = data["ra:".len()..].parse()?;
        let message = card.message_id.context("card message id")?;
        {
            let mut r = rec(&shared);
            r.card_at.insert(report, card.call.at);
            r.card_message.insert(report, message);
        }
        let (api, secretary, shared) = (api.clone(), secretary.clone(), shared.clone());
        presses.push(tokio::spawn(async move {
            let pushed = Instant::now();
            rec(&shared).approve_pushed.insert(report, pushed);
            let update = api.callback(&secretary, message, &data);
            let press = api
                .pushed_update(update)
                .and_then(|u| u["callback_query"]["id"].as_str().map(str::to_owned))
                .unwrap_or_default();
            // The answer to the press (a toast) is the reply; the card's edit
            // is looked up afterwards.
            match api
                .wait_chat_call(secretary.id, card.position + 1, WAIT, |c| {
                    c.method == "answercallbackquery"
                        && c.str_param("callback_query_id") == Some(press.as_str())
                })
                .await
            {
                Some(answer) => rec(&shared).replied(None, &answer, pushed),
                None => rec(&shared).failures.push(format!(
                    "approving report {report}: the press was not answered"
                )),
            }
        }));
    }
    for press in join_all(presses).await {
        press?;
    }
    Ok(())
}

async fn part1(users: usize, ticks: f64) -> anyhow::Result<bool> {
    println!(
        "== Part 1: {users} members report at once, the secretary approves as the cards arrive =="
    );
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir()?;
    let db_url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let (pool, setup) = setup_db(&db_url, users).await?;
    let child = ChildBot::spawn(
        "bot",
        &api,
        Some(&db_url),
        &dir.path().join("bot.log"),
        "info",
    )?;
    wait_polling(&api, &child).await?;
    let secretary = TgUser::new(SECRETARY_ID, "Trần Thị Bình", Some("vi"));
    join_secretary(&api, &secretary, &setup.code)
        .await
        .with_context(|| child.log_tail())?;
    check_secretary(&pool, setup.cell).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let shared: Shared = Arc::default();
    let cpu_before = child.cpu_ticks();
    let calls_before = api.call_count();
    let polls_before = api.get_updates_count();
    let started = Instant::now();
    let approvals = tokio::spawn(secretary_approves(
        api.clone(),
        secretary.clone(),
        users,
        shared.clone(),
    ));
    let dialogues: Vec<_> = setup
        .members
        .iter()
        .map(|u| tokio::spawn(member_dialogue(api.clone(), u.clone(), shared.clone())))
        .collect();
    let mut failed_dialogues = 0;
    for (i, done) in join_all(dialogues).await.into_iter().enumerate() {
        if let Err(err) = done.map_err(anyhow::Error::from).and_then(|r| r) {
            failed_dialogues += 1;
            if failed_dialogues <= 5 {
                eprintln!("member {}: {err:#}", setup.members[i].id);
            }
        }
    }
    if let Err(err) = approvals.await.map_err(anyhow::Error::from).and_then(|r| r) {
        eprintln!("secretary: {err:#}");
        failed_dialogues += 1;
    }
    let confirmed = api.wait_confirmed(WAIT).await;
    let finished = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let cpu_used = child.cpu_ticks().saturating_sub(cpu_before) as f64 / ticks;
    let bot_peak = child.peak_kib();
    let calls = api.call_count() - calls_before;
    let polls = api.get_updates_count() - polls_before;
    let log = child.log.clone();
    child.stop().await;

    // What the database says.
    let by_user: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT user_id, COUNT(*), SUM(status = 'approved') FROM reports GROUP BY user_id",
    )
    .fetch_all(&pool)
    .await?;
    let counts: HashMap<i64, (i64, i64)> = by_user.iter().map(|&(u, n, a)| (u, (n, a))).collect();
    let not_stored = setup
        .members
        .iter()
        .filter(|u| !counts.contains_key(&u.id))
        .count();
    let duplicate_reports: i64 = counts.values().map(|(n, _)| (n - 1).max(0)).sum();
    let undecided: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE status <> 'approved'")
            .fetch_one(&pool)
            .await?;
    let audit: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT subject_id, COUNT(*) FROM audit_log WHERE subject = 'report' GROUP BY subject_id",
    )
    .fetch_all(&pool)
    .await?;
    let duplicate_decisions: i64 = audit.iter().map(|(_, n)| (n - 1).max(0)).sum();
    let approved: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .fetch_one(&pool)
            .await?;
    let unaudited = approved - audit.len() as i64;
    let report_user: HashMap<i64, i64> =
        sqlx::query_as::<_, (i64, i64)>("SELECT id, user_id FROM reports")
            .fetch_all(&pool)
            .await?
            .into_iter()
            .collect();
    let outbox: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
            .fetch_all(&pool)
            .await?;
    // What Telegram (the fake) saw: cards per report, messages per member
    // (five prompts and the decision notice).
    let mut cards: HashMap<String, usize> = HashMap::new();
    let mut to_member: HashMap<i64, usize> = HashMap::new();
    for call in api.calls_of("sendMessage").iter().filter(|c| c.response_ok) {
        if let Some(data) = button_with(call, "ra:") {
            *cards.entry(data).or_default() += 1;
        } else if let Some(chat) = call.chat_id().filter(|&c| c != SECRETARY_ID) {
            *to_member.entry(chat).or_default() += 1;
        }
    }
    let extra_messages: usize = to_member.values().map(|n| n.saturating_sub(6)).sum();
    let short_messages = setup
        .members
        .iter()
        .filter(|u| to_member.get(&u.id).copied().unwrap_or(0) < 6)
        .count();
    // Each card's first edit after its Approve press.
    let mut card_edit = Latencies::default();
    let mut unedited = 0;
    {
        let r = rec(&shared);
        let edits = api.calls_of("editMessageText");
        for (report, pushed) in &r.approve_pushed {
            let Some(message) = r.card_message.get(report) else {
                continue;
            };
            match edits.iter().find(|c| {
                c.chat_id() == Some(SECRETARY_ID)
                    && c.at >= *pushed
                    && c.params.get("message_id").and_then(value_as_i64) == Some(*message)
            }) {
                Some(edit) => card_edit.add(edit.at.saturating_duration_since(*pushed)),
                None => unedited += 1,
            }
        }
    }
    let duplicate_cards: usize = cards.values().map(|n| n.saturating_sub(1)).sum();
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    let errors = log_text.lines().filter(|l| l.contains(" ERROR ")).count();
    let warnings = log_text.lines().filter(|l| l.contains(" WARN ")).count();

    let r = rec(&shared);
    let updates = 6 * users + r.approve.0.len();
    let last = r.last_reply.unwrap_or(finished);
    let span = last.saturating_duration_since(started).as_secs_f64();
    let dialogue_span = r.last_submit_reply.map_or(f64::NAN, |l| {
        l.saturating_duration_since(started).as_secs_f64()
    });
    let mut card_latency = Latencies::default();
    let mut notice_latency = Latencies::default();
    for (report, user) in &report_user {
        if let (Some(p), Some(c)) = (r.submit_pushed.get(user), r.card_at.get(report)) {
            card_latency.add(c.saturating_duration_since(*p));
        }
        if let (Some(p), Some(n)) = (r.approve_pushed.get(report), r.notice_at.get(user)) {
            notice_latency.add(n.saturating_duration_since(*p));
        }
    }

    println!(
        "updates handled:      {updates} ({users} × 6 dialogue steps + {} approvals) in {span:.2} s = {:.0} updates/s",
        r.approve.0.len(),
        updates as f64 / span
    );
    println!(
        "  dialogues alone:    {} updates, last Submit answered after {dialogue_span:.2} s = {:.0} updates/s",
        6 * users,
        (6 * users) as f64 / dialogue_span
    );
    println!(
        "  all done (notices): {:.2} s; every update confirmed: {confirmed}",
        finished.saturating_duration_since(started).as_secs_f64()
    );
    println!("latency, push -> the bot's reply at the fake (ms):");
    println!(
        "  {:<34} {:>6}  {:>9}  {:>9}  {:>9}",
        "step", "n", "p50", "p99", "max"
    );
    for (i, label) in STEPS.iter().enumerate() {
        println!("{}", r.steps[i].line(label));
    }
    println!("{}", r.approve.line("Approve -> answered (toast)"));
    println!("{}", card_edit.line("Approve -> card edited"));
    println!("  through the outbox:");
    println!("{}", card_latency.line("Submit -> card at the secretary"));
    println!("{}", notice_latency.line("Approve -> notice to the member"));
    println!(
        "bot CPU:              {cpu_used:.2} s = {:.0} µs per update (sender included)",
        cpu_used * 1e6 / updates as f64
    );
    println!(
        "API calls:            {calls} (+ {polls} getUpdates) = {:.2} per update",
        calls as f64 / updates as f64
    );
    let lost = not_stored as i64 + undecided + failed_dialogues as i64;
    let duplicated =
        duplicate_reports + duplicate_decisions + duplicate_cards as i64 + extra_messages as i64;
    println!(
        "lost:                 {lost} ({not_stored} reports not stored, {undecided} not decided, {failed_dialogues} dialogues failed)"
    );
    println!(
        "duplicated:           {duplicated} ({duplicate_reports} extra report rows, {duplicate_decisions} decisions applied twice in audit_log, {duplicate_cards} extra cards, {extra_messages} extra messages)"
    );
    println!(
        "audit_log:            {} report decisions, {unaudited} approved reports without an entry",
        audit.len()
    );
    println!(
        "messages to members:  {extra_messages} beyond the expected 6 each (5 prompts, 1 notice), {short_messages} members with fewer; outbox {outbox:?}"
    );
    println!(
        "cards left with buttons after their approval: {unedited} (the press came before the sender had recorded the card's message id)"
    );
    println!("bot log:              {errors} errors, {warnings} warnings");
    for failure in r.failures.iter().take(5) {
        println!("  failure: {failure}");
    }
    match bot_peak {
        Some(kib) => println!(
            "peak memory:          {:.1} MiB (the bot process)",
            kib as f64 / 1024.0
        ),
        None => println!("peak memory:          unknown"),
    }
    if let Some(kib) = peak_memory_kib("self") {
        println!(
            "                      {:.1} MiB (this process: fake Bot API keeping every request, and {users} simulated users)",
            kib as f64 / 1024.0
        );
    }
    Ok(lost == 0 && duplicated == 0 && unaudited == 0 && r.failures.is_empty())
}

// ===================================================================
// Part 2: CPU per update, bot vs echo
// ===================================================================

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Round {
    Help,
    MyReports,
    Report,
    Kind,
    Today,
    Description,
    Skip,
    Submit,
    Approve,
    MyReportsAgain,
}

const ROUNDS: [Round; 10] = [
    Round::Help,
    Round::MyReports,
    Round::Report,
    Round::Kind,
    Round::Today,
    Round::Description,
    Round::Skip,
    Round::Submit,
    Round::Approve,
    Round::MyReportsAgain,
];

impl Round {
    fn label(self) -> &'static str {
        match self {
            Round::Help => "/help",
            Round::MyReports => "/myreports (none yet)",
            Round::Report => "/report",
            Round::Kind => "kind button",
            Round::Today => "Today button",
            Round::Description => "description text",
            Round::Skip => "Skip photos button",
            Round::Submit => "Submit button (+ card)",
            Round::Approve => "Approve button (+ notice)",
            Round::MyReportsAgain => "/myreports (one approved)",
        }
    }
}

/// One member's dialogue in part 2.
struct Dlg {
    user: TgUser,
    /// The bot's last prompt (whose button is pressed next).
    prompt: i64,
    kind: String,
    /// The summary's Submit data (it carries the summary's tag).
    submit: String,
    /// The secretary's card for this member's report: (message id, Approve data).
    card: Option<(i64, String)>,
}

/// What one round cost a child.
#[derive(Default, Clone)]
struct Cost {
    updates: usize,
    ticks: u64,
    calls: usize,
    polls: usize,
    /// Updates the getUpdates answers held (again while unconfirmed).
    served: usize,
    /// SQL statements by their first word (BENCH_SQL_LOG only).
    sql: BTreeMap<String, usize>,
}

struct Recorded {
    round: Round,
    updates: Vec<Value>,
}

/// Counts the sqlx statements logged between two offsets of the log.
fn sql_between(log: &Path, from: u64) -> (BTreeMap<String, usize>, u64) {
    let bytes = std::fs::read(log).unwrap_or_default();
    let end = bytes.len() as u64;
    let text = String::from_utf8_lossy(&bytes[(from as usize).min(bytes.len())..]).into_owned();
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| l.contains("sqlx::query")) {
        let word = line
            .split_once("summary=\"")
            .map(|(_, s)| {
                s.split(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .unwrap_or("")
                    .to_ascii_uppercase()
            })
            .unwrap_or_else(|| "?".into());
        *out.entry(word).or_default() += 1;
    }
    (out, end)
}

async fn settle_cpu(child: &ChildBot) -> u64 {
    // The last replies' responses are still being read by the child.
    tokio::time::sleep(Duration::from_millis(100)).await;
    child.cpu_ticks()
}

/// The echo bot and its fake Bot API.
struct Echo<'a> {
    api: &'a FakeApi,
    child: &'a ChildBot,
}

/// Runs the rounds against the real bot, each followed by the same updates
/// pushed to the echo bot (so that both meet the machine as it is at that
/// moment); returns the costs of each.
#[allow(clippy::too_many_arguments)]
async fn drive_bot(
    api: &FakeApi,
    pool: &Pool,
    child: &ChildBot,
    echo: &Echo<'_>,
    members: &[TgUser],
    secretary: &TgUser,
    wave: usize,
    sql_log: bool,
) -> anyhow::Result<(Vec<Cost>, Vec<Cost>)> {
    let mut dlgs: Vec<Dlg> = members
        .iter()
        .map(|u| Dlg {
            user: u.clone(),
            prompt: 0,
            kind: String::new(),
            submit: String::new(),
            card: None,
        })
        .collect();
    let mut echo_costs = Vec::new();
    let mut costs = Vec::new();
    let mut log_at = std::fs::metadata(&child.log).map_or(0, |m| m.len());
    for round in ROUNDS {
        let cpu0 = child.cpu_ticks();
        let calls0 = api.call_count();
        let polls0 = api.get_updates_count();
        let served0 = api.updates_served();
        let mut ids = Vec::new();
        let before_approve: Vec<usize> = dlgs
            .iter()
            .map(|d| api.chat_call_count(d.user.id))
            .collect();
        for start in (0..dlgs.len()).step_by(wave) {
            let wave = &mut dlgs[start..(start + wave).min(members.len())];
            bot_wave(api, child, secretary, round, wave, &mut ids).await?;
            if !api.wait_confirmed(WAIT).await {
                bail!("round {} was not confirmed", round.label());
            }
        }
        // What the round queued in the outbox is sent before the next round.
        match round {
            Round::Submit => {
                let sec = secretary.id;
                let mut position = 0;
                let mut cards = HashMap::new();
                for _ in 0..dlgs.len() {
                    let card = api
                        .wait_chat_call(sec, position, WAIT, |c| is_send_with(c, "ra:"))
                        .await
                        .context("report cards stopped coming")?;
                    position = card.position + 1;
                    let data = button_with(&card.call, "ra:").context("Approve")?;
                    let report: i64 = data["ra:".len()..].parse()?;
                    cards.insert(report, (card.message_id.context("card id")?, data));
                }
                let owners: Vec<(i64, i64)> = sqlx::query_as("SELECT id, user_id FROM reports")
                    .fetch_all(pool)
                    .await?;
                let owner: HashMap<i64, i64> = owners.into_iter().map(|(r, u)| (u, r)).collect();
                for d in &mut dlgs {
                    let report = owner.get(&d.user.id).context("a stored report")?;
                    d.card = Some(cards.remove(report).context("a card for the report")?);
                }
            }
            Round::Approve => {
                let notices = join_all(
                    dlgs.iter()
                        .zip(&before_approve)
                        .map(|(d, &since)| api.wait_chat_call(d.user.id, since, WAIT, is_send)),
                )
                .await;
                if notices.iter().any(Option::is_none) {
                    bail!("a member got no decision notice:\n{}", child.log_tail());
                }
            }
            _ => {}
        }
        let cpu1 = settle_cpu(child).await;
        let (sql, end) = if sql_log {
            sql_between(&child.log, log_at)
        } else {
            (BTreeMap::new(), log_at)
        };
        log_at = end;
        costs.push(Cost {
            updates: ids.len(),
            ticks: cpu1 - cpu0,
            calls: api.call_count() - calls0,
            polls: api.get_updates_count() - polls0,
            served: api.updates_served() - served0,
            sql,
        });
        let updates = ids
            .iter()
            .map(|&id| api.pushed_update(id).context("a pushed update"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        echo_costs.push(echo_round(echo, &Recorded { round, updates }, wave).await?);
    }
    Ok((costs, echo_costs))
}

/// Pushes one wave of a round (one update per member of `wave`) and waits
/// for the bot's reply to each.
async fn bot_wave(
    api: &FakeApi,
    child: &ChildBot,
    secretary: &TgUser,
    round: Round,
    dlgs: &mut [Dlg],
    ids: &mut Vec<i64>,
) -> anyhow::Result<()> {
    if round == Round::Approve {
        let sec = secretary.id;
        let since = api.chat_call_count(sec);
        let mut cards = Vec::new();
        for d in dlgs.iter() {
            let (message, data) = d.card.clone().context("a card")?;
            ids.push(api.callback(secretary, message, &data));
            cards.push(message);
        }
        let edits = join_all(
            cards
                .iter()
                .map(|&m| api.wait_chat_call(sec, since, WAIT, move |c| is_edit_of(c, m))),
        )
        .await;
        if edits.iter().any(Option::is_none) {
            bail!("a card was not edited after Approve:\n{}", child.log_tail());
        }
        return Ok(());
    }
    let since: Vec<usize> = dlgs
        .iter()
        .map(|d| api.chat_call_count(d.user.id))
        .collect();
    for d in dlgs.iter() {
        let u = &d.user;
        ids.push(match round {
            Round::Help => api.text(u, "/help"),
            Round::MyReports | Round::MyReportsAgain => api.text(u, "/myreports"),
            Round::Report => api.text(u, "/report"),
            Round::Kind => api.callback(u, d.prompt, &d.kind),
            Round::Today => api.callback(u, d.prompt, "dt"),
            Round::Description => api.text(u, DESCRIPTION),
            Round::Skip => api.callback(u, d.prompt, "pd"),
            Round::Submit => api.callback(u, d.prompt, &d.submit),
            Round::Approve => unreachable!(),
        });
    }
    let replies = join_all(dlgs.iter().zip(&since).map(|(d, &since)| {
        let prompt = d.prompt;
        api.wait_chat_call(d.user.id, since, WAIT, move |c| match round {
            Round::Report => is_send_with(c, "k:"),
            Round::Kind => is_send_with(c, "dt"),
            Round::Description => is_send_with(c, "pd"),
            Round::Skip => is_send_with(c, "rs"),
            Round::Submit => is_edit_of(c, prompt),
            _ => is_send(c),
        })
    }))
    .await;
    for (d, reply) in dlgs.iter_mut().zip(replies) {
        let reply = reply.ok_or_else(|| {
            anyhow!(
                "no reply to {} for {}:\n{}",
                round.label(),
                d.user.id,
                child.log_tail()
            )
        })?;
        if round == Round::Report {
            d.kind = button_with(&reply.call, "k:").context("a kind")?;
        }
        if round == Round::Skip {
            d.submit = button_with(&reply.call, "rs").context("Submit")?;
        }
        if round != Round::Submit
            && let Some(id) = reply.message_id
        {
            d.prompt = id;
        }
    }
    Ok(())
}

/// Pushes the recorded rounds to the echo bot; a round is done when every
/// text was echoed and every update confirmed.
async fn echo_round(echo: &Echo<'_>, r: &Recorded, wave: usize) -> anyhow::Result<Cost> {
    let (api, child) = (echo.api, echo.child);
    {
        let cpu0 = child.cpu_ticks();
        let calls0 = api.call_count();
        let polls0 = api.get_updates_count();
        let served0 = api.updates_served();
        for updates in r.updates.chunks(wave) {
            let mut waits = Vec::new();
            for update in updates {
                let text_chat = update
                    .get("message")
                    .filter(|m| m.get("text").is_some())
                    .and_then(|m| m["chat"]["id"].as_i64());
                let since = text_chat.map(|chat| (chat, api.chat_call_count(chat)));
                // The same people wrote to this bot too (Telegram refuses
                // messages to users who never did).
                if let Some(from) = update
                    .get("message")
                    .or_else(|| update.get("callback_query"))
                    .and_then(|m| m.get("from"))
                    .and_then(|f| f["id"].as_i64())
                {
                    api.introduce(&TgUser::new(from, "Đảng viên", Some("vi")));
                }
                api.push_update(update.clone());
                waits.extend(since);
            }
            let echoed = join_all(
                waits
                    .iter()
                    .map(|&(chat, since)| api.wait_chat_call(chat, since, WAIT, is_send)),
            )
            .await;
            if echoed.iter().any(Option::is_none) {
                bail!(
                    "the echo bot did not answer every text:\n{}",
                    child.log_tail()
                );
            }
            if !api.wait_confirmed(WAIT).await {
                bail!("the echo bot did not confirm round {}", r.round.label());
            }
        }
        let cpu1 = settle_cpu(child).await;
        Ok(Cost {
            updates: r.updates.len(),
            ticks: cpu1 - cpu0,
            calls: api.call_count() - calls0,
            polls: api.get_updates_count() - polls0,
            served: api.updates_served() - served0,
            sql: BTreeMap::new(),
        })
    }
}

/// Part 2 with `wave` members' updates in flight at once; returns the
/// CPU µs per update of the bot and of the echo bot.
async fn part2(
    users: usize,
    wave: usize,
    ticks: f64,
    ticks_known: bool,
) -> anyhow::Result<(f64, f64)> {
    let sql_log = std::env::var("BENCH_SQL_LOG").is_ok_and(|v| v == "1");
    let wave = wave.clamp(1, users.max(1));
    let how = if wave >= users {
        format!("all {users} members' updates of a round pushed at once")
    } else if wave == 1 {
        "one update at a time".to_string()
    } else {
        format!("{wave} members' updates at a time")
    };
    println!();
    println!(
        "== Part 2: CPU per update, the bot vs a bare teloxide echo bot: {users} members × 10 updates, {how} =="
    );
    let dir = tempfile::tempdir()?;

    // The real bot.
    let api = FakeApi::start().await;
    let db_url = format!("sqlite://{}", dir.path().join("cpu.db").display());
    let (pool, setup) = setup_db(&db_url, users).await?;
    let rust_log = if sql_log {
        "info,sqlx::query=debug"
    } else {
        "info"
    };
    let bot_child = ChildBot::spawn(
        "bot",
        &api,
        Some(&db_url),
        &dir.path().join("bot.log"),
        rust_log,
    )?;
    wait_polling(&api, &bot_child).await?;
    let secretary = TgUser::new(SECRETARY_ID, "Trần Thị Bình", Some("vi"));
    join_secretary(&api, &secretary, &setup.code)
        .await
        .with_context(|| bot_child.log_tail())?;
    check_secretary(&pool, setup.cell).await?;
    // The echo bot, which gets the same updates after each round.
    let echo_api = FakeApi::start().await;
    let echo_child = ChildBot::spawn(
        "echo",
        &echo_api,
        None,
        &dir.path().join("echo.log"),
        "info",
    )?;
    wait_polling(&echo_api, &echo_child).await?;
    // Warm up as the bot was (the secretary's two updates).
    for text in ["/start", "Trần Thị Bình"] {
        step(
            &echo_api,
            secretary.id,
            |a| a.text(&secretary, text),
            is_send,
            "warm-up",
        )
        .await?;
    }
    let echo = Echo {
        api: &echo_api,
        child: &echo_child,
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    // BENCH_PERF="record -g -o FILE" (any perf arguments): perf attached
    // to the bot during the rounds.
    let perf = match std::env::var("BENCH_PERF") {
        Ok(args) if !args.trim().is_empty() => Some(
            tokio::process::Command::new("perf")
                .args(args.split_whitespace())
                .arg("-p")
                .arg(bot_child.pid.to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .context("starting perf")?,
        ),
        _ => None,
    };
    if perf.is_some() {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let (bot_costs, echo_costs) = drive_bot(
        &api,
        &pool,
        &bot_child,
        &echo,
        &setup.members,
        &secretary,
        wave,
        sql_log,
    )
    .await?;
    if let Some(mut perf) = perf
        && let Some(pid) = perf.id()
    {
        // perf writes its file on SIGINT.
        let _ = std::process::Command::new("kill")
            .args(["-INT", &pid.to_string()])
            .status();
        let _ = perf.wait().await;
    }
    let bot_peak = bot_child.peak_kib();
    let bot_log = bot_child.log.clone();
    bot_child.stop().await;
    let log_text = std::fs::read_to_string(&bot_log).unwrap_or_default();
    let errors = log_text.lines().filter(|l| l.contains(" ERROR ")).count();
    let warnings = log_text.lines().filter(|l| l.contains(" WARN ")).count();
    let approved: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .fetch_one(&pool)
            .await?;
    if approved != users as i64 {
        bail!("{approved} of {users} reports approved in the CPU run");
    }

    let echo_peak = echo_child.peak_kib();
    echo_child.stop().await;

    let us = |ticks_used: u64, n: usize| ticks_used as f64 / ticks * 1e6 / n.max(1) as f64;
    let ratio = |b: f64, e: f64| {
        if e > 0.0 {
            format!("{:.1}", b / e)
        } else {
            "-".into()
        }
    };
    let per = |n: usize, c: &Cost| n as f64 / c.updates.max(1) as f64;
    println!(
        "clock ticks: {ticks} per second ({}); one tick = {:.0} µs, so a round's figure is ±{:.0} µs per update",
        if ticks_known {
            "getconf CLK_TCK"
        } else {
            "assumed"
        },
        1e6 / ticks,
        1e6 / ticks / users as f64
    );
    println!(
        "  {:<27} {:>7}  {:>9} {:>9} {:>6}   {:>17}   {:>17}",
        "update",
        "updates",
        "bot µs",
        "echo µs",
        "ratio",
        "bot calls/polls/got",
        "echo calls/polls/got"
    );
    let mut total_bot = Cost::default();
    let mut total_echo = Cost::default();
    let mut rows: Vec<(&str, &Cost, &Cost)> = Vec::new();
    for ((round, b), e) in ROUNDS.iter().zip(&bot_costs).zip(&echo_costs) {
        rows.push((round.label(), b, e));
        for (total, c) in [(&mut total_bot, b), (&mut total_echo, e)] {
            total.updates += c.updates;
            total.ticks += c.ticks;
            total.calls += c.calls;
            total.polls += c.polls;
            total.served += c.served;
            for (k, v) in &c.sql {
                *total.sql.entry(k.clone()).or_default() += v;
            }
        }
    }
    rows.push(("all", &total_bot, &total_echo));
    for (label, b, e) in rows {
        let (bu, eu) = (us(b.ticks, b.updates), us(e.ticks, e.updates));
        println!(
            "  {:<27} {:>7}  {:>9.0} {:>9.0} {:>6}   {:>5.2} {:>5.2} {:>5.2}   {:>5.2} {:>5.2} {:>5.2}",
            label,
            b.updates,
            bu,
            eu,
            ratio(bu, eu),
            per(b.calls, b),
            per(b.polls, b),
            per(b.served, b),
            per(e.calls, e),
            per(e.polls, e),
            per(e.served, e),
        );
    }
    println!(
        "  (µs: CPU per update; calls: Bot API calls other than getUpdates, polls: getUpdates requests, got: updates \
         received (again while unconfirmed), each per update)"
    );
    let (bu, eu) = (
        us(total_bot.ticks, total_bot.updates),
        us(total_echo.ticks, total_echo.updates),
    );
    println!(
        "CPU per update:  bot {bu:.0} µs ({:.2} s for {} updates), echo {eu:.0} µs ({:.2} s); ratio {}× (goal ≤ 3×)",
        total_bot.ticks as f64 / ticks,
        total_bot.updates,
        total_echo.ticks as f64 / ticks,
        ratio(bu, eu)
    );
    if let (Some(b), Some(e)) = (bot_peak, echo_peak) {
        println!(
            "peak memory:     bot {:.1} MiB, echo {:.1} MiB",
            b as f64 / 1024.0,
            e as f64 / 1024.0
        );
    }
    println!(
        "bot log:         {errors} errors, {warnings} warnings; {approved} of {users} reports approved"
    );
    if std::env::var("BENCH_KEEP").is_ok_and(|v| v == "1") {
        println!("logs and databases kept in {}", dir.keep().display());
    }
    if sql_log {
        println!(
            "SQL statements per update (bot, by first word; logging on, so the CPU figures above are inflated):"
        );
        for (round, b) in ROUNDS.iter().zip(&bot_costs) {
            let all: usize = b.sql.values().sum();
            let parts: Vec<String> = b
                .sql
                .iter()
                .map(|(k, v)| format!("{k} {:.1}", *v as f64 / b.updates as f64))
                .collect();
            println!(
                "  {:<28} {:>5.1}  ({})",
                round.label(),
                all as f64 / b.updates as f64,
                parts.join(", ")
            );
        }
        let all: usize = total_bot.sql.values().sum();
        println!(
            "  {:<28} {:>5.1}",
            "all",
            all as f64 / total_bot.updates as f64
        );
    }
    Ok((bu, eu))
}

// ===================================================================

async fn parent() -> anyhow::Result<()> {
    let users = env_num("BENCH_USERS", 200.0) as usize;
    let cpu_users = env_num("BENCH_CPU_USERS", 300.0) as usize;
    let part = std::env::var("BENCH_PART").unwrap_or_default();
    let (ticks, ticks_known) = clock_ticks_per_second();
    println!(
        "fake Bot API on 127.0.0.1 without rate limits; the bot's outbox sender at {} msg/s overall, {} ms between two messages to one chat",
        env_num("BENCH_SEND_RATE", 1000.0),
        env_num("BENCH_PER_CHAT_MS", 0.0)
    );
    let mut ok = true;
    if part.is_empty() || part == "1" {
        ok = part1(users, ticks).await?;
    }
    if part.is_empty() || part == "2" {
        // BENCH_CPU_WAVE=N: only N members' updates in flight at a time;
        // by default both extremes, every member at once and one by one.
        let waves = match std::env::var("BENCH_CPU_WAVE") {
            Ok(n) => vec![n.parse().context("BENCH_CPU_WAVE")?],
            Err(_) => vec![cpu_users, 1],
        };
        let mut results = Vec::new();
        for wave in waves {
            results.push((wave, part2(cpu_users, wave, ticks, ticks_known).await?));
        }
        println!();
        for (wave, (bot, echo)) in results {
            println!(
                "CPU per update, {:>3} in flight: bot {bot:.0} µs, echo {echo:.0} µs, ratio {:.1}× (goal ≤ 3×)",
                wave.min(cpu_users),
                bot / echo
            );
        }
    }
    if !ok {
        bail!("part 1: lost or duplicated reports or decisions");
    }
    Ok(())
}
