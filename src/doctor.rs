//! `lienhe doctor`: one line per check (`ok`, `warn` or `FAIL` and what was
//! found), for an operator who wants to know whether the bot can run here:
//! the configuration, the database, the audit log, Telegram, the clock.

use std::{
    collections::HashSet,
    path::{Path, PathBuf},
    sync::OnceLock,
    time::Duration,
};

use chrono::{Datelike, Utc};
use chrono_tz::Tz;
use teloxide::prelude::*;

use crate::{
    config::{DEFAULT_DATABASE_URL, DEFAULT_TIMEZONE},
    store::{
        backup::{self, CheckError},
        lock,
    },
};

/// The names of the variables set in the environment before `.env` was
/// read (to tell the two sources apart).
static FROM_ENV: OnceLock<HashSet<String>> = OnceLock::new();

/// Remembers which variables the environment itself sets (to something:
/// a blank one counts as not set); call before reading `.env`.
pub fn note_environment() {
    let _ = FROM_ENV.set(
        std::env::vars_os()
            .filter(|(_, v)| !v.to_string_lossy().trim().is_empty())
            .filter_map(|(k, _)| k.into_string().ok())
            .collect(),
    );
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Line {
    pub status: Status,
    pub check: &'static str,
    pub detail: String,
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<4}  {:<13} {}",
            self.status.word(),
            self.check,
            self.detail
        )
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub lines: Vec<Line>,
}

impl Report {
    fn push(&mut self, status: Status, check: &'static str, detail: impl Into<String>) {
        self.lines.push(Line {
            status,
            check,
            detail: detail.into(),
        });
    }

    pub fn failed(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.status == Status::Fail)
            .count()
    }

    pub fn warned(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.status == Status::Warn)
            .count()
    }
}

/// Every variable the program reads: name, default, and how its value is
/// checked (`None`: any value).
type Validate = fn(&str) -> Result<(), String>;

fn u32_in(s: &str, lo: u32, hi: u32) -> Result<(), String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(()),
        _ => Err(format!("expected a whole number from {lo} to {hi}")),
    }
}

/// An on/off variable, read as `run` reads it (clap's boolish values):
/// anything else is refused.
fn on_or_off(s: &str) -> Result<(), String> {
    match s.trim().to_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" | "n" | "no" | "f" | "false" | "off" | "0" => {
            Ok(())
        }
        _ => Err("expected on or off (true/false, yes/no, 1/0)".into()),
    }
}

/// A variable set to nothing (`LIENHE_OPERATOR_CHAT=` left blank in an
/// env file) is taken as not set, as `doctor` shows it: the program's own
/// parser would refuse the empty value. Called before `.env` is read (so
/// that it may set them) and after, before anything else runs (no other
/// thread exists yet). A value with spaces around it (`LIENHE_REMIND_DAY=20 `
/// in a compose file) is taken without them, as `doctor` checks it: the
/// parsers of numbers and on/off would refuse it.
pub fn tidy_variables() {
    for (name, _, _) in VARIABLES {
        let Some(value) = std::env::var_os(name) else {
            continue;
        };
        let Some(value) = value.to_str() else {
            continue;
        };
        let trimmed = value.trim();
        if trimmed.is_empty() {
            // SAFETY: called at the start of `main`, before any other
            // thread (the runtime, logging) is started.
            unsafe { std::env::remove_var(name) };
        } else if trimmed != value {
            // SAFETY: as above.
            unsafe { std::env::set_var(name, trimmed) };
        }
    }
}

const VARIABLES: &[(&str, Option<&str>, Option<Validate>)] = &[
    ("TELOXIDE_TOKEN", None, None),
    (
        "TELOXIDE_API_URL",
        Some("https://api.telegram.org"),
        Some(|s| {
            url::Url::parse(s)
                .map(|_| ())
                .map_err(|e| format!("not a URL: {e}"))
        }),
    ),
    (
        "TELOXIDE_PROXY",
        None,
        Some(|s| {
            url::Url::parse(s)
                .map(|_| ())
                .map_err(|e| format!("not a URL: {e}"))
        }),
    ),
    ("DATABASE_URL", Some(DEFAULT_DATABASE_URL), None),
    (
        "LIENHE_TIMEZONE",
        Some(DEFAULT_TIMEZONE),
        Some(|s| crate::config::parse_timezone(s).map(|_| ())),
    ),
    (
        "LIENHE_SEND_RATE",
        Some("25"),
        Some(|s| crate::cli::parse_send_rate(s).map(|_| ())),
    ),
    ("LIENHE_PAID_BROADCAST", Some("false"), Some(on_or_off)),
    (
        "LIENHE_PAID_BROADCAST_RATE",
        Some("100"),
        Some(|s| crate::cli::parse_paid_rate(s).map(|_| ())),
    ),
    ("LIENHE_REMIND_DAY", Some("25"), Some(|s| u32_in(s, 1, 31))),
    ("LIENHE_REMIND_HOUR", Some("8"), Some(|s| u32_in(s, 0, 23))),
    (
        "LIENHE_SHEETS_FROM",
        Some("11-01"),
        Some(|s| {
            crate::domain::sheet::parse_month_day(s)
                .map(|_| ())
                .ok_or_else(|| "expected MM-DD".into())
        }),
    ),
    (
        "LIENHE_SHEETS_UNTIL",
        Some("03-31"),
        Some(|s| {
            crate::domain::sheet::parse_month_day(s)
                .map(|_| ())
                .ok_or_else(|| "expected MM-DD".into())
        }),
    ),
    (
        "LIENHE_RETENTION_DAYS",
        Some("90"),
        Some(|s| u32_in(s, 1, 36_500)),
    ),
    ("LIENHE_CONSENT_NOTICE", Some("on"), Some(on_or_off)),
    // The older name of LIENHE_RETENTION_DAYS, read when that is unset.
    (
        "LIENHE_OUTBOX_KEEP_DAYS",
        None,
        Some(|s| u32_in(s, 1, 36_500)),
    ),
    ("LIENHE_BACKUP_DIR", None, None),
    (
        "LIENHE_BACKUP_KEEP",
        Some("14"),
        Some(|s| u32_in(s, 1, 10_000)),
    ),
    ("LIENHE_BACKUP_HOUR", Some("3"), Some(|s| u32_in(s, 0, 23))),
    (
        "LIENHE_OPERATOR_CHAT",
        None,
        Some(|s| {
            s.trim()
                .parse::<i64>()
                .map(|_| ())
                .map_err(|_| "expected a chat id (a number)".into())
        }),
    ),
    (
        "LIENHE_METRICS_ADDR",
        None,
        Some(|s| {
            s.trim()
                .parse::<std::net::SocketAddr>()
                .map(|_| ())
                .map_err(|_| "expected an address and port, e.g. 127.0.0.1:9185".into())
        }),
    ),
    (
        "RUST_LOG",
        Some("info"),
        Some(|s| {
            crate::config::log_filter(s)
                .map(|_| ())
                .map_err(|e| format!("{e}; the log is written at info instead"))
        }),
    ),
];

/// `123456:****`: the bot's id, never the secret.
pub fn mask_token(token: &str) -> String {
    match token.split_once(':') {
        Some((id, _)) if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) => {
            format!("{id}:****")
        }
        _ => "****".into(),
    }
}

fn source(name: &str) -> &'static str {
    match FROM_ENV.get() {
        Some(before) if !before.contains(name) => ".env",
        _ => "env",
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn configuration(report: &mut Report) {
    for (name, default, validate) in VARIABLES {
        let (value, from) = match (env(name), default) {
            (Some(value), _) => (value, source(name)),
            // Unset, its older name is read instead (`run` does so).
            (None, _)
                if *name == "LIENHE_RETENTION_DAYS" && env("LIENHE_OUTBOX_KEEP_DAYS").is_some() =>
            {
                report.push(
                    Status::Ok,
                    "configuration",
                    format!("{name}: not set (LIENHE_OUTBOX_KEEP_DAYS, its older name, is read)"),
                );
                continue;
            }
            (None, Some(default)) => (default.to_string(), "default"),
            (None, None) => {
                let (status, what) = match *name {
                    "TELOXIDE_TOKEN" => (
                        Status::Fail,
                        "not set: `lienhe run` needs the token from @BotFather",
                    ),
                    "LIENHE_BACKUP_DIR" => (Status::Ok, "not set (no scheduled backups)"),
                    "LIENHE_OPERATOR_CHAT" => (Status::Ok, "not set (failures are only logged)"),
                    "LIENHE_METRICS_ADDR" => (Status::Ok, "not set (no metrics)"),
                    _ => (Status::Ok, "not set"),
                };
                report.push(status, "configuration", format!("{name}: {what}"));
                continue;
            }
        };
        let shown = match *name {
            "TELOXIDE_TOKEN" => mask_token(&value),
            "TELOXIDE_API_URL" | "TELOXIDE_PROXY" => crate::config::shown_url(&value),
            _ => value.clone(),
        };
        let raised = matches!(*name, "LIENHE_SEND_RATE" | "LIENHE_PAID_BROADCAST_RATE")
            .then(|| value.trim().parse::<f64>().ok())
            .flatten()
            .filter(|rate| crate::config::effective_send_rate(*rate) != *rate);
        match validate.map(|v| v(&value)).unwrap_or(Ok(())) {
            Ok(()) if raised.is_some() => report.push(
                Status::Warn,
                "configuration",
                format!(
                    "{name}={shown} ({from}): below the slowest the sender goes, raised to {} \
                     messages per second (lienhe run and lienhe broadcasts use that)",
                    crate::config::MIN_SEND_RATE
                ),
            ),
            Ok(()) => report.push(
                Status::Ok,
                "configuration",
                format!("{name}={shown} ({from})"),
            ),
            Err(why) => report.push(
                Status::Fail,
                "configuration",
                format!("{name}={shown} ({from}): {why}"),
            ),
        }
    }
}

/// Free bytes for an unprivileged user on the file system of `dir`.
#[cfg(unix)]
fn free_space(dir: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `path` is a valid C string and `stat` a buffer of the right
    // type; statvfs only writes into it.
    let rc = unsafe { libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: statvfs succeeded and filled the buffer.
    let stat = unsafe { stat.assume_init() };
    #[allow(clippy::unnecessary_cast)] // the field types differ by platform
    Ok(stat.f_bavail as u64 * stat.f_frsize as u64)
}

/// Whether this process may create files in `dir`.
#[cfg(unix)]
fn writable(dir: &Path) -> Result<(), String> {
    use std::os::unix::{ffi::OsStrExt, fs::PermissionsExt};
    let meta = std::fs::metadata(dir).map_err(|e| format!("not usable ({e})"))?;
    let mode = meta.permissions().mode() & 0o777;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
    // SAFETY: a valid C string; access only reads it.
    let access = unsafe { libc::access(path.as_ptr(), libc::W_OK) };
    // Root may write anywhere; a directory nobody may write to is still a
    // mistake (the service user could not).
    if access != 0 || mode & 0o222 == 0 {
        return Err(format!("read-only (mode {mode:04o})"));
    }
    Ok(())
}

/// Whether `dir`, missing, can be made (`create_dir_all`, as the daily
/// backup makes it): its nearest existing ancestor is a directory this
/// process may write to.
fn creatable(dir: &Path) -> Result<(), String> {
    let absolute = std::path::absolute(dir).map_err(|e| e.to_string())?;
    let Some(existing) = absolute.ancestors().skip(1).find(|a| a.exists()) else {
        return Err("none of its parents exists".into());
    };
    if !existing.is_dir() {
        return Err(format!("{} is not a directory", existing.display()));
    }
    #[cfg(unix)]
    writable(existing).map_err(|why| format!("{} is {why}", existing.display()))?;
    Ok(())
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

async fn database(report: &mut Report, url: &str) -> Option<PathBuf> {
    let file = match backup::file_of(url) {
        Ok(Some(file)) => file,
        Ok(None) => {
            report.push(
                Status::Warn,
                "database",
                format!("{url} is in memory: nothing is kept"),
            );
            return None;
        }
        Err(err) => {
            report.push(Status::Fail, "database", format!("{url}: {err}"));
            return None;
        }
    };
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    #[cfg(unix)]
    match writable(&dir) {
        Ok(()) => report.push(
            Status::Ok,
            "database",
            format!("directory {} is writable", dir.display()),
        ),
        Err(why) => report.push(
            Status::Fail,
            "database",
            format!(
                "directory {} is {why}: SQLite cannot create the -wal and -shm files there",
                dir.display()
            ),
        ),
    }
    if !file.exists() {
        report.push(
            Status::Fail,
            "database",
            format!(
                "{} does not exist (lienhe run or any admin command creates it)",
                file.display()
            ),
        );
        return None;
    }
    // What a backup or a checkpoint may need room for: the database with
    // its `-wal` (which holds every write not yet checkpointed into it and
    // can outgrow the file) and `-shm`.
    let size: u64 = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            std::fs::metadata(backup::companion(&file, suffix))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        if mode & 0o077 == 0 {
            report.push(
                Status::Ok,
                "database",
                format!("{} is owner-only (mode {mode:04o})", file.display()),
            );
        } else {
            report.push(
                Status::Fail,
                "database",
                format!(
                    "{} has mode {mode:04o}: others can read members' personal data; \
                     chmod 600 it (lienhe run also does at start)",
                    file.display()
                ),
            );
        }
        match free_space(&dir) {
            Ok(free) if free < size.max(50_000_000) => report.push(
                Status::Fail,
                "disk",
                format!(
                    "{} free in {}, the database is {} (with its -wal and -shm): a backup would not fit",
                    mb(free),
                    dir.display(),
                    mb(size)
                ),
            ),
            Ok(free) if free < (size * 3).max(500_000_000) => report.push(
                Status::Warn,
                "disk",
                format!(
                    "only {} free in {} (database {} with its -wal and -shm)",
                    mb(free),
                    dir.display(),
                    mb(size)
                ),
            ),
            Ok(free) => report.push(
                Status::Ok,
                "disk",
                format!(
                    "{} free in {} (database {} with its -wal and -shm)",
                    mb(free),
                    dir.display(),
                    mb(size)
                ),
            ),
            Err(err) => report.push(
                Status::Warn,
                "disk",
                format!("cannot tell the free space of {}: {err}", dir.display()),
            ),
        }
    }
    let pool = match backup::open_read_only(&file).await {
        Ok(pool) => pool,
        Err(err) => {
            report.push(
                Status::Fail,
                "database",
                format!("{}: {err}", file.display()),
            );
            return None;
        }
    };
    match backup::integrity(&pool).await {
        Ok(()) => report.push(Status::Ok, "database", "SQLite integrity check: ok"),
        Err(err) => report.push(Status::Fail, "database", err.to_string()),
    }
    match backup::migrations(&pool).await {
        Ok(latest) => report.push(
            Status::Ok,
            "database",
            format!("migrations applied up to {latest}, as this binary's"),
        ),
        Err(err) => report.push(Status::Fail, "database", format!("migrations: {err}")),
    }
    match backup::audit_head(&pool).await {
        Ok((entries, head)) => report.push(
            Status::Ok,
            "audit",
            format!("the chain is intact: {entries} entries, head {head}"),
        ),
        Err(err @ CheckError::Audit { .. }) => report.push(
            Status::Fail,
            "audit",
            format!("{err} (lienhe audit verify)"),
        ),
        Err(err) => report.push(Status::Fail, "audit", err.to_string()),
    }
    pool.close().await;
    match lock::acquire(&file) {
        Ok(_held) => report.push(Status::Ok, "bot", "no lienhe run on this database now"),
        Err(lock::LockError::Held { .. }) => report.push(
            Status::Ok,
            "bot",
            "a lienhe run is running on this database (it holds the lock)",
        ),
        Err(err) => report.push(Status::Warn, "bot", err.to_string()),
    }
    Some(file)
}

fn backups(report: &mut Report, now: chrono::DateTime<Utc>, tz: Tz) {
    let Some(dir) = env("LIENHE_BACKUP_DIR").map(PathBuf::from) else {
        return;
    };
    // Not there yet: the first daily backup creates it, if it can.
    if !dir.exists() {
        if let Err(why) = creatable(&dir) {
            report.push(
                Status::Fail,
                "backups",
                format!(
                    "LIENHE_BACKUP_DIR {} does not exist and cannot be created: {why}",
                    dir.display()
                ),
            );
            return;
        }
        report.push(
            Status::Warn,
            "backups",
            format!(
                "LIENHE_BACKUP_DIR {} does not exist yet (the first backup creates it)",
                dir.display()
            ),
        );
        return;
    }
    if !dir.is_dir() {
        report.push(
            Status::Fail,
            "backups",
            format!("LIENHE_BACKUP_DIR {} is not a directory", dir.display()),
        );
        return;
    }
    #[cfg(unix)]
    if let Err(why) = writable(&dir) {
        report.push(
            Status::Fail,
            "backups",
            format!("{} is {why}: backups cannot be written", dir.display()),
        );
        return;
    }
    let today = now.with_timezone(&tz).date_naive();
    let all = match crate::jobs::backup::existing(&dir) {
        Ok(all) => all,
        Err(err) => {
            report.push(
                Status::Fail,
                "backups",
                format!("cannot read {}: {err}", dir.display()),
            );
            return;
        }
    };
    if let Some((day, path)) = all.last()
        && *day > today
    {
        report.push(
            Status::Warn,
            "backups",
            format!(
                "the latest is dated after today ({today}): {}; check the clock",
                path.display()
            ),
        );
        return;
    }
    // Only a file that counts as its day's backup, as the scheduler and
    // the metric count them: a SQLite database written on its day (never
    // an empty file an attempt cut short left, nor one written before its
    // day, while the clock was ahead).
    let latest = crate::jobs::backup::latest(&dir, today, now, tz)
        .and_then(|(path, _)| all.iter().find(|(_, p)| *p == path).cloned());
    match latest {
        Some((day, path)) if (0..=1).contains(&(today - day).num_days()) => {
            report.push(Status::Ok, "backups", format!("latest {}", path.display()))
        }
        Some((_, path)) => report.push(
            Status::Warn,
            "backups",
            format!("the latest is old: {}", path.display()),
        ),
        None => match all.last() {
            Some((_, path)) => report.push(
                Status::Warn,
                "backups",
                format!(
                    "none that counts in {}: {} is not a whole backup (not a SQLite database, or \
                     written before its day)",
                    dir.display(),
                    path.display()
                ),
            ),
            None => report.push(
                Status::Warn,
                "backups",
                format!("none yet in {}", dir.display()),
            ),
        },
    }
}

async fn telegram(report: &mut Report) {
    let Some(token) = env("TELOXIDE_TOKEN") else {
        report.push(
            Status::Fail,
            "telegram",
            "not checked: TELOXIDE_TOKEN is not set",
        );
        return;
    };
    let api = match crate::config::telegram_api_url() {
        Ok(api) => api,
        Err(why) => {
            report.push(Status::Fail, "telegram", format!("not checked: {why}"));
            return;
        }
    };
    let url = crate::config::shown_url(api.as_str());
    let bot = Bot::with_client(token, teloxide::net::client_from_env()).set_api_url(api);
    let me = tokio::time::timeout(Duration::from_secs(20), bot.get_me().send()).await;
    let me = match me {
        Err(_) => {
            report.push(
                Status::Fail,
                "telegram",
                format!("unreachable at {url}: no answer in 20 s; check the network, TELOXIDE_API_URL and TELOXIDE_PROXY"),
            );
            return;
        }
        Ok(Err(err)) if crate::bot::polling::token_refused(&err) => {
            report.push(
                Status::Fail,
                "telegram",
                format!("Telegram refused the bot token ({err}): check TELOXIDE_TOKEN"),
            );
            return;
        }
        Ok(Err(err @ teloxide::RequestError::Network(_))) => {
            report.push(
                Status::Fail,
                "telegram",
                format!(
                    "unreachable at {url}: {}; check the network, TELOXIDE_API_URL and TELOXIDE_PROXY",
                    causes(&err)
                ),
            );
            return;
        }
        Ok(Err(err)) => {
            report.push(
                Status::Fail,
                "telegram",
                format!("{url} answered with an error: {err}"),
            );
            return;
        }
        Ok(Ok(me)) => me,
    };
    report.push(
        Status::Ok,
        "telegram",
        format!(
            "reachable at {url}; the token is accepted: @{}",
            me.username()
        ),
    );
    match bot.get_webhook_info().send().await {
        Ok(info) => match info.url {
            Some(hook) if !hook.as_str().is_empty() => report.push(
                Status::Fail,
                "telegram",
                format!(
                    "a webhook is set ({hook}): polling will not get updates; remove it with deleteWebhook"
                ),
            ),
            _ => report.push(Status::Ok, "telegram", "no webhook set (long polling works)"),
        },
        Err(err) => report.push(
            Status::Warn,
            "telegram",
            format!("cannot read the webhook: {err}"),
        ),
    }
}

/// An error and its causes, on one line.
fn causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

fn clock(report: &mut Report, tz: Option<Tz>) {
    let now = Utc::now();
    let Some(tz) = tz else {
        report.push(
            Status::Fail,
            "clock",
            format!(
                "now {} UTC; the time zone (LIENHE_TIMEZONE) cannot be read, so no date is local",
                now.format("%Y-%m-%d %H:%M:%S")
            ),
        );
        return;
    };
    let local = now.with_timezone(&tz);
    let detail = format!(
        "now {} UTC, {} in {tz} (UTC{})",
        now.format("%Y-%m-%d %H:%M:%S"),
        local.format("%Y-%m-%d %H:%M:%S"),
        local.format("%:z")
    );
    // A clock far in the past (no RTC, no NTP) would date everything wrong.
    if now.year() < 2026 {
        report.push(
            Status::Fail,
            "clock",
            format!("{detail}: the clock is wrong"),
        );
    } else {
        report.push(Status::Ok, "clock", detail);
    }
}

/// Runs every check; `tz` is `None` when the time zone cannot be read
/// (failed in the configuration and clock checks, the rest go on).
pub async fn run(database_url: &str, tz: Option<Tz>) -> Report {
    let mut report = Report::default();
    configuration(&mut report);
    database(&mut report, database_url).await;
    backups(&mut report, Utc::now(), tz.unwrap_or(chrono_tz::Tz::UTC));
    telegram(&mut report).await;
    clock(&mut report, tz);
    report
}

#[cfg(test)]
mod tests {
    use super::VARIABLES;

    #[test]
    fn the_paid_broadcast_rate_is_checked_as_run_checks_it() {
        let (_, default, validate) = VARIABLES
            .iter()
            .find(|(name, _, _)| *name == "LIENHE_PAID_BROADCAST_RATE")
            .expect("listed");
        let validate = validate.expect("checked");
        assert!(validate(default.expect("a default")).is_ok());
        assert!(validate("1000").is_ok());
        assert!(validate("5000").is_err());
        assert!(validate("0").is_err());
        assert!(VARIABLES.iter().any(|(name, default, _)| {
            *name == "LIENHE_PAID_BROADCAST" && *default == Some("false")
        }));
    }
}
