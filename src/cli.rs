//! The `lienhe` command line: `run` starts the bot; `admin …` are the
//! operator's commands (each prints its result on the last line of stdout).

use std::{process::ExitCode, sync::Arc};

use chrono_tz::Tz;
use clap::{Parser, Subcommand};
use teloxide::prelude::*;

use crate::{
    bot::{self, App},
    clock::{SharedClock, SystemClock},
    config::{DEFAULT_DATABASE_URL, DEFAULT_TIMEZONE, POLLING_TIMEOUT, parse_timezone},
    domain::{
        invite::InviteKind,
        membership::{Exemption, MAX_WORKPLACE_CHARS, TextError, clean_line},
        schedule::{Pace, Period},
    },
    export,
    jobs::{
        backup as scheduler_backup, reminders,
        scheduler::{self, Schedule},
        sender::{self, SenderConfig},
    },
    lane::Lane,
    sheet::build::{self, Verification},
    store::{
        self,
        audit::{self, ChainCheck},
        broadcasts, cells,
        committee::{self, Role},
        invites, memberships, wards, workplaces,
        yearly::Scope,
    },
};

#[derive(Debug, Parser)]
#[command(
    name = "lienhe",
    version,
    about = "Telegram bot for party members' contact with their residence cell"
)]
pub struct Cli {
    /// SQLite database (created if missing).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// Time zone for dates and schedules (an IANA name). Read once the
    /// command is known: `doctor` reports a name it cannot read among its
    /// checks, every other command stops naming the variable.
    #[arg(long, env = "LIENHE_TIMEZONE", default_value = DEFAULT_TIMEZONE, global = true)]
    pub timezone: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the bot with long polling (needs TELOXIDE_TOKEN).
    Run(RunArgs),
    /// Queue a month's member reminders, secretary and officer digests now (once per
    /// month); the running bot sends them. Prints how many were queued.
    Remind {
        /// The month, as YYYY-MM.
        #[arg(long, value_parser = parse_period)]
        month: Period,
        /// When the rounds fall due (the round's messages still queued
        /// when the next month's falls due are not sent).
        #[command(flatten)]
        at: RemindAt,
    },
    /// List broadcasts with their delivery counts and, while rows are
    /// queued, when the sender is expected to finish them.
    Broadcasts(SendArgs),
    /// Check a comment sheet's verification code.
    Verify { code: String },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// One row per member for a year: reports by duty, months active,
    /// meetings, sheet state and criteria.
    Export(ExportArgs),
    /// Take a consistent copy of the database (also while the bot runs),
    /// owner-only, and check it: integrity, migrations, audit chain.
    Backup {
        /// The new file (an existing file is never overwritten).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Put a checked backup in place of the database; the bot must be
    /// stopped. The current files are moved aside, never deleted.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Check the configuration, the database, the audit log, Telegram and
    /// the clock: one line per check; fails if any check fails.
    Doctor,
    /// Operator commands.
    Admin {
        #[command(subcommand)]
        command: Admin,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; fails if any entry was changed.
    Verify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The year, as YYYY (1900 to 9999).
    #[arg(long, value_name = "YYYY", value_parser = parse_year_arg)]
    pub year: i32,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    #[arg(long, conflicts_with_all = ["ward", "workplace"])]
    pub cell: Option<i64>,
    #[arg(long, conflicts_with_all = ["cell", "workplace"])]
    pub ward: Option<i64>,
    #[arg(long, conflicts_with_all = ["cell", "ward"])]
    pub workplace: Option<i64>,
    /// Where to write the file.
    #[arg(long)]
    pub out: std::path::PathBuf,
}

/// How fast the sender goes (`run`, and the expected finish times of
/// `broadcasts`).
#[derive(Debug, Clone, clap::Args)]
pub struct SendArgs {
    /// Broadcast messages per second, overall (Telegram allows about 30).
    #[arg(long, env = "LIENHE_SEND_RATE", default_value_t = 25.0, value_parser = parse_send_rate)]
    pub send_rate: f64,
    /// Send reminders and announcements as paid broadcasts (Telegram
    /// charges Stars for each message beyond the free rate).
    #[arg(long, env = "LIENHE_PAID_BROADCAST", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub paid_broadcast: bool,
    /// Paid broadcast messages per second (Telegram allows up to 1000).
    #[arg(long, env = "LIENHE_PAID_BROADCAST_RATE", default_value_t = 100.0, value_parser = parse_paid_rate)]
    pub paid_broadcast_rate: f64,
}

impl SendArgs {
    pub fn sender_config(&self) -> SenderConfig {
        // At the rates the sender sends at (the configured ones, or the
        // slowest it goes), so `broadcasts` estimates at those.
        SenderConfig {
            paid_rate: self
                .paid_broadcast
                .then_some(crate::config::effective_send_rate(self.paid_broadcast_rate)),
            ..SenderConfig::with_rate(crate::config::effective_send_rate(self.send_rate))
        }
    }
}

/// `LIENHE_SEND_RATE`, as `lienhe doctor` checks it: a positive number.
pub(crate) fn parse_send_rate(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(rate) if rate > 0.0 && rate.is_finite() => Ok(rate),
        _ => Err("a positive number of messages per second".into()),
    }
}

pub(crate) fn parse_paid_rate(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(rate) if rate > 0.0 && rate <= 1000.0 => Ok(rate),
        _ => Err("a number of messages per second, above 0 and at most 1000".into()),
    }
}

/// When the monthly round of reminders and digests falls due.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct RemindAt {
    /// Day of the month reminders and digests go out.
    #[arg(long, env = "LIENHE_REMIND_DAY", default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=31))]
    pub remind_day: u32,
    /// Local hour reminders and digests go out.
    #[arg(long, env = "LIENHE_REMIND_HOUR", default_value_t = 8, value_parser = clap::value_parser!(u32).range(0..=23))]
    pub remind_hour: u32,
}

#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub send: SendArgs,
    #[command(flatten)]
    pub remind: RemindAt,
    /// From which day of the year (MM-DD) comment sheets can be drafted.
    #[arg(long, env = "LIENHE_SHEETS_FROM", default_value = "11-01", value_parser = parse_month_day_arg)]
    pub sheets_from: (u32, u32),
    /// Until which day (MM-DD) of the next year the sheets of a year can be
    /// drafted and signed.
    #[arg(long, env = "LIENHE_SHEETS_UNTIL", default_value = "03-31", value_parser = parse_month_day_arg)]
    pub sheets_until: (u32, u32),
    /// Days sent messages (and settled decision cards) are kept before the
    /// daily pruning deletes them (default 90, at most 36,500).
    #[arg(long, env = "LIENHE_RETENTION_DAYS", value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub retention_days: Option<u32>,
    /// Show the personal-data notice at join (`on`; `off` only where no real
    /// people use the bot, e.g. tests that drive the binary).
    #[arg(long, env = "LIENHE_CONSENT_NOTICE", default_value = "on", value_parser = clap::builder::BoolishValueParser::new())]
    pub consent_notice: bool,
    /// The older name of `LIENHE_RETENTION_DAYS` (read when that is unset).
    #[arg(long, env = "LIENHE_OUTBOX_KEEP_DAYS", hide = true, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub outbox_keep_days: Option<u32>,
    /// Directory for the daily backups (none: no scheduled backups).
    #[arg(long, env = "LIENHE_BACKUP_DIR")]
    pub backup_dir: Option<std::path::PathBuf>,
    /// Daily backups kept; older ones are removed.
    #[arg(long, env = "LIENHE_BACKUP_KEEP", default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub backup_keep: u32,
    /// Local hour from which the day's backup is taken.
    #[arg(long, env = "LIENHE_BACKUP_HOUR", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=23))]
    pub backup_hour: u32,
    /// Telegram chat id of the operator, told when a backup fails.
    #[arg(long, env = "LIENHE_OPERATOR_CHAT")]
    pub operator_chat: Option<i64>,
    /// Address to serve Prometheus metrics at (`/metrics`), e.g.
    /// 127.0.0.1:9185 (none: no metrics).
    #[arg(long, env = "LIENHE_METRICS_ADDR")]
    pub metrics_addr: Option<std::net::SocketAddr>,
}

impl RunArgs {
    /// Days sent messages are kept: `LIENHE_RETENTION_DAYS`, or its older
    /// name, or the default.
    pub fn keep_days(&self) -> u32 {
        self.retention_days
            .or(self.outbox_keep_days)
            .unwrap_or(crate::store::housekeeping::DEFAULT_KEEP_DAYS)
    }
}

fn parse_year_arg(s: &str) -> Result<i32, String> {
    crate::domain::review_year::parse_year(s)
        .ok_or_else(|| format!("expected a year as YYYY, from 1900 to 9999, got {s:?}"))
}

fn parse_month_day_arg(s: &str) -> Result<(u32, u32), String> {
    crate::domain::sheet::parse_month_day(s).ok_or_else(|| format!("expected MM-DD, got {s:?}"))
}

fn parse_period(s: &str) -> Result<Period, String> {
    fn digits(part: &str, len: usize) -> Option<u32> {
        (part.len() == len && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    }
    let parts = s.trim().split_once('-');
    let Some((year, month)) = parts.and_then(|(y, m)| Some((digits(y, 4)?, digits(m, 2)?))) else {
        return Err(format!("expected YYYY-MM (such as 2026-01), got {s:?}"));
    };
    let year = year as i32;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "there is no month {month:02}: months run from 01 to 12"
        ));
    }
    Period::new(year, month)
        .ok_or_else(|| format!("there is no year {year:04}: years run from 1900 to 9999"))
}

#[derive(Debug, Subcommand)]
pub enum Admin {
    /// Wards (commune-level party committees).
    Ward {
        #[command(subcommand)]
        command: NameOnly,
    },
    /// Residence cells.
    Cell {
        #[command(subcommand)]
        command: CellCommand,
    },
    /// Workplaces members can choose from.
    Workplace {
        #[command(subcommand)]
        command: NameOnly,
    },
    /// Invite codes.
    Invite {
        #[command(subcommand)]
        command: InviteCommand,
    },
    /// Wards, cells (with secretary and member counts) and workplaces.
    List,
    /// Members.
    Member {
        #[command(subcommand)]
        command: MemberCommand,
    },
    /// Roles (audited).
    Role {
        #[command(subcommand)]
        command: RoleCommand,
    },
    // roster
    /// A workplace's roster of working party members.
    Roster {
        #[command(subcommand)]
        command: RosterCommand,
    },
}

// roster
#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Read a roster file (XLSX or CSV, as `/roster` takes it), print the
    /// preview and replace the workplace's roster with it (audited); prints
    /// the number of people imported.
    Import {
        #[arg(long)]
        workplace: i64,
        /// Print the preview only; store nothing.
        #[arg(long)]
        dry_run: bool,
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoleCommand {
    /// Take a role away from a user; fails if the user does not hold it.
    Revoke {
        /// The user's Telegram id.
        #[arg(long)]
        user: i64,
        #[arg(long, value_enum)]
        role: RoleName,
        /// The officer's workplace.
        #[arg(long, conflicts_with_all = ["ward", "cell"])]
        workplace: Option<i64>,
        /// The supervisor's or ward administrator's ward.
        #[arg(long, conflicts_with_all = ["workplace", "cell"])]
        ward: Option<i64>,
        /// The deputy secretary's cell.
        #[arg(long, conflicts_with_all = ["workplace", "ward"])]
        cell: Option<i64>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleName {
    Secretary,
    Officer,
    Supervisor,
    Deputy,
    WardAdmin,
}

#[derive(Debug, Subcommand)]
pub enum NameOnly {
    /// Add one; prints the new id.
    Add { name: String },
}

#[derive(Debug, Subcommand)]
pub enum CellCommand {
    /// Add a residence cell to a ward; prints the new id.
    Add {
        #[arg(long)]
        ward: i64,
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// A single-use code (valid 7 days) for a cell's secretary; prints the
    /// code. For a cell that has a secretary it is a handover code: the new
    /// secretary replaces the old one.
    Secretary {
        #[arg(long)]
        cell: i64,
    },
    /// A single-use code (valid 7 days) for a cell's deputy secretary.
    Deputy {
        #[arg(long)]
        cell: i64,
    },
    /// Every invite code (of one cell): kind, target, created, expires,
    /// used or revoked.
    List {
        #[arg(long)]
        cell: Option<i64>,
    },
    /// Revoke a code so that it can no longer be used.
    Revoke { code: String },
    /// A single-use code for an officer of a member's workplace.
    Officer {
        #[arg(long)]
        workplace: i64,
    },
    /// A single-use code for a (read-only) supervisor of a ward: the ward's
    /// party committee or the Fatherland Front.
    Supervisor {
        #[arg(long)]
        ward: i64,
    },
    /// A single-use code for an administrator of a ward: adds and renames
    /// its cells and invites their secretaries in chat (/cells), sees the
    /// ward's /stats and /export.
    WardAdmin {
        #[arg(long)]
        ward: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// A cell's members: id (as `exempt --member` takes it), name, status,
    /// workplace.
    List {
        #[arg(long)]
        cell: i64,
    },
    /// Mark a member exempt from residence meetings (guidance 33), or clear it.
    Exempt {
        /// The member's id (as in exports).
        #[arg(long)]
        member: i64,
        /// barracks | official-housing | full-time-study | student-away
        #[arg(long, required_unless_present = "clear", value_parser = parse_exemption)]
        reason: Option<Exemption>,
        #[arg(long, conflicts_with = "reason")]
        clear: bool,
    },
}

fn parse_exemption(s: &str) -> Result<Exemption, String> {
    Exemption::parse(s).ok_or_else(|| {
        let kinds: Vec<_> = Exemption::ALL.iter().map(|e| e.code()).collect();
        format!("expected one of {}", kinds.join(", "))
    })
}

/// What is wrong with `.env`, without its values (a token may be among
/// them): the reading stops at a bad line, so everything after it would be
/// silently missing. The line is found again by reading the file line by
/// line (dotenvy's error carries a value, not the variable).
fn dotenv_error(err: &dotenvy::Error) -> String {
    match err {
        dotenvy::Error::LineParse(..) => {
            let file = std::fs::read_to_string(".env").unwrap_or_default();
            let bad = file.lines().enumerate().find(|(_, line)| {
                dotenvy::from_read_iter(std::io::Cursor::new(line.as_bytes()))
                    .any(|item| item.is_err())
            });
            let at = match bad {
                Some((index, line)) => {
                    let line = line.trim_start();
                    let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
                    let name: String = line
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                        .collect();
                    if name.is_empty() {
                        format!("line {}", index + 1)
                    } else {
                        format!("line {} ({name})", index + 1)
                    }
                }
                None => "a line".to_string(),
            };
            format!(
                ".env: {at} cannot be read (a value with spaces, # or \\ must be in quotes); \
                 nothing from it on would be used: fix it and start again"
            )
        }
        other => format!(".env cannot be read: {other}"),
    }
}

pub fn main() -> ExitCode {
    crate::doctor::note_environment();
    // A variable the environment sets to nothing counts as not set, also
    // for `.env`, which never overrides a variable that is set.
    crate::doctor::tidy_variables();
    // `.env` of the working directory only, as README says: never one of a
    // parent directory (a checkout's, read by its tests' processes).
    match dotenvy::from_path(".env") {
        Ok(()) => {}
        Err(err) if err.not_found() => {}
        Err(err) => {
            eprintln!("error: {}", dotenv_error(&err));
            return ExitCode::FAILURE;
        }
    }
    crate::doctor::tidy_variables();
    let cli = Cli::parse();
    // A filter that cannot be read is said, not silently taken for `info`.
    let (filter, unread) = match std::env::var("RUST_LOG") {
        Ok(value) => match crate::config::log_filter(&value) {
            Ok(filter) => (filter, None),
            Err(why) => (tracing_subscriber::EnvFilter::new("info"), Some(why)),
        },
        Err(_) => (tracing_subscriber::EnvFilter::new("info"), None),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    if let Some(why) = unread {
        tracing::warn!("RUST_LOG is {why}: logging at info instead");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

pub async fn execute(cli: Cli) -> anyhow::Result<()> {
    // These work on the database file itself: they neither create it nor
    // migrate it.
    if let Command::Doctor = &cli.command {
        let tz = parse_timezone(&cli.timezone).ok();
        let report = crate::doctor::run(&cli.database_url, tz).await;
        for line in &report.lines {
            println!("{line}");
        }
        let (failed, warned) = (report.failed(), report.warned());
        if failed > 0 {
            anyhow::bail!("{failed} checks failed, {warned} warnings");
        }
        println!("All checks passed ({warned} warnings).");
        return Ok(());
    }
    let tz = parse_timezone(&cli.timezone).map_err(|err| {
        anyhow::anyhow!(
            "LIENHE_TIMEZONE (or --timezone): {err}: an IANA name such as {DEFAULT_TIMEZONE}"
        )
    })?;
    match &cli.command {
        Command::Backup { out } => {
            // A backup named as the database's -wal (absent while nothing
            // has it open) would be taken for one, and deleted, at its
            // next opening.
            refuse_database_as_out(&cli.database_url, out)?;
            return backup(&cli.database_url, out).await;
        }
        Command::Restore { from } => return restore(&cli.database_url, from).await,
        Command::Doctor => unreachable!("handled above"),
        _ => {}
    }
    // A second bot on the same database refuses before touching it.
    let _lock = match &cli.command {
        Command::Run(_) => match store::backup::file_of(&cli.database_url)? {
            Some(file) => Some(
                store::lock::acquire_within(&file, std::time::Duration::from_secs(3))
                    .await
                    .map_err(|err| match err {
                        store::lock::LockError::Held { .. } => {
                            anyhow::anyhow!("a bot is already running: {err}")
                        }
                        err => err.into(),
                    })?,
            ),
            None => None,
        },
        _ => None,
    };
    let pool = store::open(&cli.database_url).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    match cli.command {
        Command::Backup { .. } | Command::Restore { .. } | Command::Doctor => {
            unreachable!("handled above")
        }
        Command::Run(args) => {
            let app = App::new(pool, clock, tz)
                .with_remind(args.remind.remind_day, args.remind.remind_hour)
                .with_keep_days(args.keep_days())
                .with_sheets_from(args.sheets_from)
                .with_sheets_until(args.sheets_until)
                .with_consent(
                    args.consent_notice
                        .then_some(crate::store::consents::NOTICE_VERSION),
                );
            run(app, args, _lock).await
        }
        Command::Verify { code } => {
            let (ok, text) = verify_code(&pool, &code, tz).await?;
            if ok {
                println!("{text}");
                return Ok(());
            }
            // Not verified: one line on stderr (the sentence and its word,
            // `tampered` or `not found`), nothing on stdout.
            let (sentence, word) = text.rsplit_once('\n').unwrap_or((text.as_str(), ""));
            let sentence = sentence.trim_end_matches('.');
            let mut chars = sentence.chars();
            let sentence = match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => String::new(),
            };
            Err(anyhow::anyhow!("{sentence} ({word})"))
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => match audit::verify(&pool).await? {
            ChainCheck::Intact { entries } => {
                println!("The audit log is intact.\n{entries}");
                Ok(())
            }
            ChainCheck::Broken { entry_id, reason } => {
                anyhow::bail!("the audit log is broken at entry {entry_id}: {reason}")
            }
        },
        Command::Export(args) => {
            refuse_database_as_out(&cli.database_url, &args.out)?;
            let today = crate::clock::local_today(clock.as_ref(), tz);
            let rows = export_file(&pool, &args, today, tz).await?;
            println!("Wrote {} members to {}.\n{rows}", rows, args.out.display());
            Ok(())
        }
        Command::Remind { month, at } => {
            let app = App::new(pool, clock, tz).with_remind(at.remind_day, at.remind_hour);
            println!("{}", remind(&app, month).await?);
            Ok(())
        }
        Command::Broadcasts(args) => {
            let pace = args.sender_config().pace();
            println!("{}", broadcasts_table(&pool, tz, pace, clock.now()).await?);
            Ok(())
        }
        Command::Admin { command } => {
            let out = admin(&pool, clock.now(), tz, command).await?;
            println!("{out}");
            Ok(())
        }
    }
}

/// The database's file, or an error for an in-memory database.
fn database_file(url: &str) -> anyhow::Result<std::path::PathBuf> {
    store::backup::file_of(url)?
        .ok_or_else(|| anyhow::anyhow!("{url} is an in-memory database: there is no file"))
}

/// `lienhe backup --out FILE`.
async fn backup(url: &str, out: &std::path::Path) -> anyhow::Result<()> {
    let source = database_file(url)?;
    let started = std::time::Instant::now();
    let checked = store::backup::backup(&source, out)
        .await
        .map_err(|e| anyhow::anyhow!("backup failed: {e:#}"))?;
    println!(
        "Backed up {} to {} in {:.1} s and checked it: integrity ok, migrations up to {} \
         as this binary's, audit chain intact.\nsize: {} bytes\naudit head: {} ({} entries)\n{}",
        source.display(),
        out.display(),
        started.elapsed().as_secs_f64(),
        checked.migration,
        checked.size,
        checked.head,
        checked.entries,
        out.display()
    );
    Ok(())
}

/// `lienhe restore --from FILE`.
async fn restore(url: &str, from: &std::path::Path) -> anyhow::Result<()> {
    let db = database_file(url)?;
    let done = store::backup::restore(from, &db, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("restore refused: {e:#}"))?;
    println!("Checked {}: {}.", from.display(), done.checked);
    if done.moved.is_empty() {
        println!("There was no database at {}.", db.display());
    }
    for (old, new) in &done.moved {
        println!("Moved {} to {}.", old.display(), new.display());
    }
    if let Some(why) = &done.erasures_unread {
        tracing::warn!(%why, "the database replaced could not be read for who erased their data");
        println!(
            "WARNING: the database replaced could not be read ({why}): whoever erased their \
             personal data (/forgetme) after the backup was taken is not erased again, and their \
             data is back; ask them to use /forgetme again."
        );
    }
    if done.erased_again > 0 {
        println!(
            "Erased again the personal data of {} person(s) who asked for it (/forgetme) after the backup was taken.",
            done.erased_again
        );
    }
    println!(
        "Copied {} to {} (owner-only). Start the bot again.\n{}",
        from.display(),
        db.display(),
        db.display()
    );
    Ok(())
}

/// Runs an operator command and returns what it prints.
pub async fn admin(
    pool: &store::Pool,
    now: chrono::DateTime<chrono::Utc>,
    tz: Tz,
    command: Admin,
) -> anyhow::Result<String> {
    Ok(match command {
        Admin::Ward {
            command: NameOnly::Add { name },
        } => {
            let name = clean_name(&name)?;
            match wards::add_unique(pool, &name, now).await? {
                wards::Added::Added(id) => id.to_string(),
                wards::Added::Duplicate(existing) => anyhow::bail!(
                    "ward {} already has this name: {}",
                    existing.id,
                    existing.name
                ),
            }
        }
        Admin::Workplace {
            command: NameOnly::Add { name },
        } => {
            let name = clean_name(&name)?;
            let (id, linked) = match workplaces::add_linking(pool, &name, now).await? {
                workplaces::Added::Added { id, linked } => (id, linked),
                workplaces::Added::Duplicate(existing) => anyhow::bail!(
                    "workplace {} already has this name: {}",
                    existing.id,
                    existing.name
                ),
            };
            if linked > 0 {
                format!("Linked {linked} member(s) who had typed this name.\n{id}")
            } else {
                id.to_string()
            }
        }
        Admin::Cell {
            command: CellCommand::Add { ward, name },
        } => {
            if !wards::exists(pool, ward).await? {
                anyhow::bail!("no ward with id {ward}");
            }
            match cells::add_by_operator(pool, ward, &cell_name(&name)?, now).await? {
                cells::NameOutcome::Done { cell_id, .. } => cell_id.to_string(),
                cells::NameOutcome::Duplicate(existing) => {
                    anyhow::bail!("ward {ward} already has a cell of this name: {existing}")
                }
                cells::NameOutcome::NotAllowed => anyhow::bail!("no ward with id {ward}"),
            }
        }
        Admin::Invite {
            command: InviteCommand::Officer { workplace },
        } => {
            let Some(w) = workplaces::get(pool, workplace).await? else {
                anyhow::bail!("no workplace with id {workplace}");
            };
            one_time_invite(
                pool,
                InviteKind::Officer,
                invites::Target::Workplace(w.id),
                ("workplace", w.id, &w.name),
                now,
                tz,
            )
            .await?
        }
        Admin::Invite {
            command: InviteCommand::Supervisor { ward },
        } => {
            let Some(w) = wards::get(pool, ward).await? else {
                anyhow::bail!("no ward with id {ward}");
            };
            one_time_invite(
                pool,
                InviteKind::Supervisor,
                invites::Target::Ward(w.id),
                ("ward", w.id, &w.name),
                now,
                tz,
            )
            .await?
        }
        Admin::Invite {
            command: InviteCommand::WardAdmin { ward },
        } => {
            let Some(w) = wards::get(pool, ward).await? else {
                anyhow::bail!("no ward with id {ward}");
            };
            one_time_invite(
                pool,
                InviteKind::WardAdmin,
                invites::Target::Ward(w.id),
                ("ward", w.id, &w.name),
                now,
                tz,
            )
            .await?
        }
        Admin::Member {
            command:
                MemberCommand::Exempt {
                    member,
                    reason,
                    clear,
                },
        } => {
            let code = if clear {
                None
            } else {
                reason.map(Exemption::code)
            };
            match (
                memberships::set_exempt(pool, member, code, None, now).await?,
                code,
            ) {
                (memberships::Exempted::NotApproved, _) => {
                    anyhow::bail!("no approved member with id {member}")
                }
                (memberships::Exempted::Unchanged, None) => {
                    anyhow::bail!("member {member} is not exempt")
                }
                (memberships::Exempted::Unchanged, Some(code)) => {
                    format!("Member {member} is already exempt ({code}).\nunchanged")
                }
                (memberships::Exempted::Done, Some(code)) => {
                    format!("Member {member} is exempt ({code}).\nexempt")
                }
                (memberships::Exempted::Done, None) => {
                    format!("Member {member} is no longer exempt.\ncleared")
                }
            }
        }
        Admin::Invite {
            command: InviteCommand::Secretary { cell },
        } => cell_invite(pool, InviteKind::Secretary, cell, now, tz).await?,
        Admin::Invite {
            command: InviteCommand::Deputy { cell },
        } => cell_invite(pool, InviteKind::Deputy, cell, now, tz).await?,
        Admin::Invite {
            command: InviteCommand::List { cell },
        } => invite_list(pool, cell, now, tz).await?,
        Admin::Invite {
            command: InviteCommand::Revoke { code },
        } => match invites::revoke(pool, code.trim(), now).await? {
            invites::Revoked::Done => format!("Invite {} is revoked.\nrevoked", code.trim()),
            invites::Revoked::Unknown => anyhow::bail!("no invite with code {}", code.trim()),
            invites::Revoked::AlreadyRevoked => {
                anyhow::bail!("invite {} was revoked before", code.trim())
            }
            invites::Revoked::AlreadyUsed => {
                anyhow::bail!("invite {} was used already: nothing to revoke", code.trim())
            }
        },
        Admin::Member {
            command: MemberCommand::List { cell },
        } => member_list(pool, cell).await?,
        // roster
        Admin::Roster {
            command:
                RosterCommand::Import {
                    workplace,
                    dry_run,
                    file,
                },
        } => roster_import(pool, now, workplace, dry_run, &file).await?,
        Admin::Role {
            command:
                RoleCommand::Revoke {
                    user,
                    role,
                    workplace,
                    ward,
                    cell,
                },
        } => {
            let role = match (role, workplace, ward, cell) {
                (RoleName::Secretary, None, None, Some(cell)) => Role::Secretary { cell },
                (RoleName::Officer, Some(workplace), None, None) => Role::Officer { workplace },
                (RoleName::Supervisor, None, Some(ward), None) => Role::Supervisor { ward },
                (RoleName::Deputy, None, None, Some(cell)) => Role::Deputy { cell },
                (RoleName::WardAdmin, None, Some(ward), None) => Role::WardAdmin { ward },
                (RoleName::Officer, ..) => anyhow::bail!("an officer's role needs --workplace ID"),
                (RoleName::Supervisor, ..) => anyhow::bail!("a supervisor's role needs --ward ID"),
                (RoleName::Deputy, ..) => anyhow::bail!("a deputy's role needs --cell ID"),
                (RoleName::Secretary, ..) => anyhow::bail!("a secretary's role needs --cell ID"),
                (RoleName::WardAdmin, ..) => {
                    anyhow::bail!("a ward administrator's role needs --ward ID")
                }
            };
            let (what, id) = role_scope(role);
            let mut tx = store::tx::begin(pool).await?;
            let committee_of = match role {
                Role::Secretary { cell } | Role::Deputy { cell } => {
                    Some((cell, committee::of_cell(&mut tx, cell).await?))
                }
                _ => None,
            };
            if !committee::revoke_in(&mut tx, user, role, committee::Change::default(), now).await?
            {
                anyhow::bail!("user {user} is not {} of {what} {id}", role.name());
            }
            // The cell's waiting items go to whoever decides them now.
            if let Some((cell, before)) = committee_of {
                bot::decisions::card_waiting_items(&mut tx, cell, before, None, now).await?;
            }
            tx.commit().await?;
            format!(
                "User {user} is no longer {} of {what} {id}.\nrevoked",
                role.name()
            )
        }
        Admin::List => list(pool).await?,
    })
}

/// Creates a single-use invite and says what to do with it; the code is
/// the last line.
async fn one_time_invite(
    pool: &store::Pool,
    kind: InviteKind,
    target: invites::Target,
    (what, id, name): (&str, i64, &str),
    now: chrono::DateTime<chrono::Utc>,
    tz: Tz,
) -> anyhow::Result<String> {
    let invites::Created { invite, replaced } =
        invites::create(pool, kind, target, None, now).await?;
    let role = match kind {
        InviteKind::Deputy => "deputy secretary",
        InviteKind::WardAdmin => "ward administrator",
        _ => kind.as_str(),
    };
    let until = bot::render::dmy_hm(invite.expires_at, tz);
    let mut role_title = role.to_string();
    role_title[..1].make_ascii_uppercase();
    let handover = if invite.handover {
        "This is a handover code: the cell has a secretary, who keeps their membership but loses \
         the secretary's rights when the new secretary uses it.\n"
    } else {
        ""
    };
    let replaced = if replaced > 0 {
        "The earlier unused code of this kind for it was revoked and no longer works.\n"
    } else {
        ""
    };
    let kind_text = if invite.handover {
        format!("{role_title} handover invite")
    } else {
        format!("{role_title} invite")
    };
    Ok(format!(
        "{kind_text} for {what} {id} ({name}), single use, valid until {until}.\n{handover}\
         {replaced}The {role} sends this to the bot: /start {code}\n{code}",
        code = invite.code
    ))
}

/// A single-use code for a cell's secretary or deputy secretary.
async fn cell_invite(
    pool: &store::Pool,
    kind: InviteKind,
    cell: i64,
    now: chrono::DateTime<chrono::Utc>,
    tz: Tz,
) -> anyhow::Result<String> {
    let Some(cell) = cells::get(pool, cell).await? else {
        anyhow::bail!("no cell with id {cell}");
    };
    one_time_invite(
        pool,
        kind,
        invites::Target::Cell(cell.id),
        ("cell", cell.id, &cell.name),
        now,
        tz,
    )
    .await
}

fn role_scope(role: Role) -> (&'static str, i64) {
    match role {
        Role::Secretary { cell } | Role::Deputy { cell } => ("cell", cell),
        Role::Officer { workplace } => ("workplace", workplace),
        Role::Supervisor { ward } | Role::WardAdmin { ward } => ("ward", ward),
    }
}

/// Every invite code, newest first; the last line is the count.
async fn invite_list(
    pool: &store::Pool,
    cell: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
    tz: Tz,
) -> anyhow::Result<String> {
    if let Some(cell) = cell
        && cells::get(pool, cell).await?.is_none()
    {
        anyhow::bail!("no cell with id {cell}");
    }
    let all = invites::list(pool, cell).await?;
    let mut out = vec![format!(
        "{:<22}  {:<10}  {:<15}  {:<16}  {:<16}  state",
        "code", "kind", "target", "created", "expires"
    )];
    for i in &all {
        let kind = if i.handover { "handover" } else { &i.kind };
        let target = match (i.cell_id, i.workplace_id, i.ward_id) {
            (Some(id), _, _) => format!("cell {id}"),
            (_, Some(id), _) => format!("workplace {id}"),
            (_, _, Some(id)) => format!("ward {id}"),
            _ => "-".into(),
        };
        let dmy = |at| bot::render::dmy_hm(at, tz);
        let state = match (i.revoked_at, i.used_at, i.used_by) {
            (Some(at), ..) => format!("revoked {}", dmy(at)),
            (None, Some(at), by) if i.kind != InviteKind::Member.as_str() => format!(
                "used {} by {}",
                dmy(at),
                by.map_or("-".into(), |b| b.to_string())
            ),
            _ if i.expires_at <= now => "expired".into(),
            (None, Some(_), _) => "in use".into(),
            _ => "open".into(),
        };
        out.push(format!(
            "{:<22}  {:<10}  {:<15}  {:<16}  {:<16}  {state}",
            i.code,
            kind,
            target,
            dmy(i.created_at),
            dmy(i.expires_at)
        ));
    }
    out.push(all.len().to_string());
    Ok(out.join("\n"))
}

/// A cell's members with the ids other commands take; the last line is
/// the count.
async fn member_list(pool: &store::Pool, cell: i64) -> anyhow::Result<String> {
    let Some(c) = cells::get(pool, cell).await? else {
        anyhow::bail!("no cell with id {cell}");
    };
    let all = memberships::list_in_cell(pool, c.id).await?;
    let mut out = vec![format!("Cell {}: {}", c.id, c.name)];
    out.push(format!(
        "{:>6}  {:>12}  {:<30}  {:<10}  workplace",
        "id", "user", "name", "status"
    ));
    for m in &all {
        let status = match &m.exempt_reason {
            Some(reason) => format!("{} (exempt: {reason})", m.status),
            None => m.status.clone(),
        };
        out.push(format!(
            "{:>6}  {:>12}  {:<30}  {:<10}  {}",
            m.id,
            m.user_id,
            m.full_name,
            status,
            m.workplace_name.as_deref().unwrap_or("-")
        ));
    }
    out.push(all.len().to_string());
    Ok(out.join("\n"))
}

/// A name as typed by the operator: trimmed, NFC, not empty, not huge.
fn clean_name(name: &str) -> anyhow::Result<String> {
    clean_line(name, MAX_WORKPLACE_CHARS).map_err(|err| match err {
        TextError::Empty => anyhow::anyhow!("the name is empty"),
        TextError::TooLong { max } => anyhow::anyhow!("the name is longer than {max} characters"),
        TextError::NotAName | TextError::NotAWorkplace => anyhow::anyhow!("not a name"),
    })
}

/// A cell's name as typed by the operator: the rule a ward administrator's
/// names follow (2–120 characters, a letter at least), so that no cell
/// gets a name the ward could not have given it.
fn cell_name(name: &str) -> anyhow::Result<String> {
    use crate::domain::ward::{NAME_MAX_CHARS, NAME_MIN_CHARS, NameProblem, check_cell_name};
    check_cell_name(name).map_err(|problem| match problem {
        NameProblem::Empty => anyhow::anyhow!("the name is empty"),
        NameProblem::TooShort => {
            anyhow::anyhow!("the name is shorter than {NAME_MIN_CHARS} characters")
        }
        NameProblem::TooLong => anyhow::anyhow!(
            "the name is longer than {NAME_MAX_CHARS} characters, or has a control character"
        ),
        NameProblem::NoLetter => anyhow::anyhow!("the name has no letter"),
    })
}

async fn list(pool: &store::Pool) -> anyhow::Result<String> {
    let mut out = Vec::new();
    let all_cells = cells::summaries(pool).await?;
    let all_wards = wards::all(pool).await?;
    if all_wards.is_empty() {
        out.push("No wards yet.".to_string());
    }
    let ward_roles = wards::roles(pool).await?;
    for ward in all_wards {
        out.push(format!("Ward {}: {}", ward.id, ward.name));
        for (_, role, user, name) in ward_roles.iter().filter(|r| r.0 == ward.id) {
            out.push(format!("  {role}: {name} (user {user})"));
        }
        for cell in all_cells.iter().filter(|c| c.ward_id == ward.id) {
            out.push(format!(
                "  Cell {}: {} | secretary: {} | members: {} | pending joins: {}",
                cell.id,
                cell.name,
                cell.secretary_name.as_deref().unwrap_or("none"),
                cell.members,
                cell.pending
            ));
        }
    }
    let all_workplaces = workplaces::all(pool).await?;
    out.push(format!("Workplaces ({}):", all_workplaces.len()));
    let officers = workplaces::officer_names(pool).await?;
    for w in all_workplaces {
        out.push(format!("  Workplace {}: {}", w.id, w.name));
        for (_, user, name) in officers.iter().filter(|o| o.0 == w.id) {
            out.push(format!("    officer: {name} (user {user})"));
        }
    }
    Ok(out.join("\n"))
}

/// Checks a verification code; the text says for whom and when.
pub async fn verify_code(pool: &store::Pool, code: &str, tz: Tz) -> anyhow::Result<(bool, String)> {
    Ok(match build::verify(pool, code).await? {
        Verification::Valid {
            content: c,
            corrected,
        } => (
            true,
            format!(
                "Valid: {} of {} ({}, {}), signed by {} on {}.{}\nvalid",
                match &c.request {
                    // A comment on request is no yearly sheet: its reason
                    // and period.
                    Some(r) => format!(
                        "the comment on request ({}, {} - {})",
                        r.label(crate::domain::Lang::En),
                        crate::domain::dates::format_dmy(r.from),
                        crate::domain::dates::format_dmy(r.to)
                    ),
                    None => format!("the {} comment sheet", c.year),
                },
                c.member,
                c.cell,
                c.ward,
                c.signer,
                bot::render::dmy_hm(c.signed_at, tz),
                if corrected > 0 {
                    format!(
                        " {corrected} cited activities were taken back since by a correction of the register."
                    )
                } else {
                    String::new()
                }
            ),
        ),
        Verification::Tampered => (
            false,
            "The sheet with this code was changed after it was signed.\ntampered".into(),
        ),
        Verification::NotFound => (false, "No signed sheet has this code.\nnot found".into()),
    })
}

/// Writes the export file; returns the number of members.
pub async fn export_file(
    pool: &store::Pool,
    args: &ExportArgs,
    today: chrono::NaiveDate,
    tz: Tz,
) -> anyhow::Result<usize> {
    // A year still to come has no evidence (the chat's `/export 2031`
    // says so too): a file of everyone with nothing done would look like an
    // answer (a typo for this year: `--year 2062`).
    if args.year > chrono::Datelike::year(&today) {
        anyhow::bail!(
            "the year {} has not come yet: today is {}",
            args.year,
            crate::domain::dates::format_dmy(today)
        );
    }
    // An id that names nothing is refused: an empty file would look like
    // an answer.
    let (scope, missing) = match (args.cell, args.ward, args.workplace) {
        (Some(id), _, _) => (
            Scope::Cell(id),
            cells::get(pool, id).await?.is_none().then_some("cell"),
        ),
        (_, Some(id), _) => (
            Scope::Ward(id),
            (!wards::exists(pool, id).await?).then_some("ward"),
        ),
        (_, _, Some(id)) => (
            Scope::Workplace(id),
            workplaces::get(pool, id)
                .await?
                .is_none()
                .then_some("workplace"),
        ),
        _ => (Scope::All, None),
    };
    if let Some(kind) = missing {
        let id = args
            .cell
            .or(args.ward)
            .or(args.workplace)
            .unwrap_or_default();
        anyhow::bail!("no {kind} with id {id}");
    }
    let source = export::read(pool, scope, args.year, today, tz).await?;
    let count = source.len();
    let (format, year, out) = (args.format, args.year, args.out.clone());
    // Building the table, rendering and writing the file is CPU and disk
    // work: off the async runtime.
    tokio::task::spawn_blocking(move || {
        let table = export::build(&source, crate::domain::Lang::Vi);
        let bytes = match format {
            ExportFormat::Xlsx => export::to_xlsx(&table, &year.to_string())?,
            ExportFormat::Csv => export::to_csv(&table)?,
        };
        write_private(&out, &bytes)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))
    })
    .await??;
    Ok(count)
}

/// Refuses an `--out` that names the database itself or one of its files
/// (`-wal`, `-shm`, `-journal`, `.lock`), however the path spells it: the
/// export would be written in place of the members' data.
fn refuse_database_as_out(database_url: &str, out: &std::path::Path) -> anyhow::Result<()> {
    let Some(db) = store::backup::file_of(database_url)? else {
        return Ok(());
    };
    let db = store::lock::resolved(&db);
    let out = store::lock::resolved(out);
    let named = ["", "-wal", "-shm", "-journal", ".lock"]
        .iter()
        .any(|suffix| store::backup::companion(&db, suffix) == out);
    if named {
        anyhow::bail!(
            "refused: --out {} is the database (or one of its files); name another file",
            out.display()
        );
    }
    Ok(())
}

/// Writes a file of personal data readable by its owner only, whole or not
/// at all: written as `<file>.partial`, synced, then renamed over `path`.
/// A write that fails (a full disk) removes the partial file and leaves
/// whatever `path` held before (last month's export) as it was; before, it
/// truncated that file first and left it cut short.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let partial = store::backup::companion(path, ".partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let done = written.and_then(|()| std::fs::rename(&partial, path));
    if done.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    done
}

/// Queues a month's reminders and digests; the text ends with the number.
/// A month still to come is refused: its round would count as done and the
/// scheduler would not send it when the month comes. So is a month before
/// the previous year's January: reminders and digests of a month the bot
/// could not have been used in would only be an empty round in
/// `lienhe broadcasts`.
pub async fn remind(app: &App, month: Period) -> anyhow::Result<String> {
    let this_month = Period::of(app.today());
    if month > this_month {
        anyhow::bail!(
            "{month} is still to come (this month is {this_month}): a month's round is queued in \
             that month, by the scheduler on its reminder day or by this command"
        );
    }
    let earliest = Period {
        year: this_month.year - 1,
        month: 1,
    };
    if month < earliest {
        anyhow::bail!(
            "{month} is too long ago: a round can be queued for a month from {earliest} \
             (January of last year) to {this_month}"
        );
    }
    Ok(match reminders::queue_month(app, month).await? {
        Some(queued) => format!(
            "Queued {} member reminders, {} secretary digests and {} officer digests for {}.\n{}",
            queued.reminders,
            queued.digests,
            queued.officer_digests,
            month,
            queued.total()
        ),
        None => format!("{month} was queued before: nothing new.\n0"),
    })
}

/// Every broadcast with its counts and, while rows are queued, when the
/// sender (at `pace`) is expected to have sent them all; then a line for
/// each broadcast that will not be sent on its day.
pub async fn broadcasts_table(
    pool: &store::Pool,
    tz: Tz,
    pace: Pace,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<String> {
    let all = broadcasts::summaries(pool).await?;
    let expected: std::collections::HashMap<i64, sender::Expected> =
        sender::expected(pool, pace, now, tz)
            .await?
            .into_iter()
            .map(|e| (e.broadcast_id, e))
            .collect();
    let mut out = vec![format!(
        "{:>5}  {:<12}  {:<10}  {:<16}  {:<16}  {:>6}  {:>6}  {:>6}  {:>11}  {:>6}",
        "id",
        "kind",
        "period",
        "created",
        "expected finish",
        "total",
        "queued",
        "sent",
        "unreachable",
        "failed"
    )];
    let mut late = Vec::new();
    for b in &all {
        let finish = expected.get(&b.id);
        out.push(format!(
            "{:>5}  {:<12}  {:<10}  {:<16}  {:<16}  {:>6}  {:>6}  {:>6}  {:>11}  {:>6}",
            b.id,
            b.kind,
            b.period.as_deref().unwrap_or("-"),
            bot::render::dmy_hm(b.created_at, tz),
            finish.map_or("-".into(), |e| bot::render::dmy_hm(e.finish, tz)),
            b.total,
            b.queued,
            b.sent,
            b.unreachable,
            b.failed
        ));
        if let Some(e) = finish.filter(|e| !e.on_due_day) {
            late.push(format!(
                "Broadcast {} will not finish on its day (expected {}): {}.",
                b.id,
                bot::render::dmy_hm(e.finish, tz),
                sender::TOO_SLOW_HINT
            ));
        }
    }
    if all.is_empty() {
        out.push("No broadcasts yet.".into());
    }
    out.extend(late);
    Ok(out.join("\n"))
}

async fn run(app: App, args: RunArgs, lock: Option<store::lock::Held>) -> anyhow::Result<()> {
    let token = std::env::var("TELOXIDE_TOKEN").unwrap_or_default();
    if token.trim().is_empty() {
        anyhow::bail!(
            "TELOXIDE_TOKEN is not set: put the bot token from @BotFather in the environment or .env"
        );
    }
    if let Some(addr) = args.metrics_addr {
        crate::telemetry::install(addr)?;
        tracing::info!(%addr, "serving metrics at /metrics");
    }
    crate::config::telegram_api_url().map_err(anyhow::Error::msg)?;
    // Reads TELOXIDE_TOKEN, TELOXIDE_API_URL and TELOXIDE_PROXY.
    let bot = Bot::from_env();
    let (stop_jobs, jobs_stopped) = tokio::sync::watch::channel(false);
    // The chat and the outbox sender share a lane; the scheduler stays here.
    let lane = Lane::start("lienhe-chat")?;
    let sender = lane.spawn(sender::run(
        bot.clone(),
        app.clone(),
        args.send.sender_config(),
        jobs_stopped.clone(),
    ));
    let schedule = Schedule {
        day: args.remind.remind_day,
        hour: args.remind.remind_hour,
        cards: Some(bot::decisions::CARDS),
        keep_days: args.keep_days(),
        pace: args.send.sender_config().pace(),
        backup: args.backup_dir.clone().map(|dir| scheduler_backup::Plan {
            dir,
            keep: args.backup_keep as usize,
            hour: args.backup_hour,
            operator_chat: args.operator_chat,
        }),
        ..Schedule::default()
    };
    let scheduler = scheduler::spawn(app.clone(), schedule, jobs_stopped);
    let (stop_bot, bot_stopped) = tokio::sync::watch::channel(false);
    let stop_bot = Arc::new(stop_bot);
    {
        let stop_bot = stop_bot.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("stopping: finishing the updates in hand");
            let _ = stop_bot.send(true);
        });
    }
    // The lock is kept on the file its path names: deleted while the bot
    // runs, it is made again at once, before a second bot can start; one
    // that did start meanwhile holds it, and this one stops.
    let lost_lock = lock.map(|lock| keep_lock(lock, stop_bot.clone()));
    let paid_broadcast_rate = args.send.sender_config().paid_rate;
    let send_rate = args.send.sender_config().rate;
    match &args.backup_dir {
        Some(dir) => tracing::info!(
            send_rate,
            paid_broadcast_rate,
            backup_dir = %dir.display(),
            backup_keep = args.backup_keep,
            backup_hour = args.backup_hour,
            "lienhe is starting"
        ),
        None => tracing::info!(
            send_rate,
            paid_broadcast_rate,
            "lienhe is starting (no scheduled backups: LIENHE_BACKUP_DIR is not set)"
        ),
    }
    let served = bot::serve_on(&lane, bot, app, POLLING_TIMEOUT, bot_stopped).await;
    // The row in flight is finished; queued rows wait for the next start.
    let _ = stop_jobs.send(true);
    let _ = tokio::join!(sender, scheduler);
    // Stopped on purpose (a signal) is a success; anything else is not,
    // so that a supervisor (systemd, Docker) restarts the bot.
    match served {
        Ok(()) | Err(bot::polling::StartError::Stopped) => {}
        Err(err) => anyhow::bail!(err),
    }
    if let Some(lost) = lost_lock
        && let Some(err) = lost.lock().ok().and_then(|mut lost| lost.take())
    {
        anyhow::bail!("stopped: the database's lock was lost: {err}");
    }
    tracing::info!("lienhe stopped");
    Ok(())
}

/// How often the running bot looks at its lock file.
const LOCK_LOOK: std::time::Duration = std::time::Duration::from_millis(500);

/// Looks at the lock file every [`LOCK_LOOK`] for the bot's whole life
/// ([`store::lock::Held::keep`]); the lock lost to another process stops
/// the bot (`stop`), and the error is left in what it returns.
fn keep_lock(
    mut lock: store::lock::Held,
    stop: Arc<tokio::sync::watch::Sender<bool>>,
) -> Arc<std::sync::Mutex<Option<store::lock::LockError>>> {
    let lost = Arc::new(std::sync::Mutex::new(None));
    let lost_at = lost.clone();
    tokio::spawn(async move {
        // A lock file that cannot be made again (its directory gone or
        // read-only) is told once, not every look.
        let mut told = false;
        loop {
            tokio::time::sleep(LOCK_LOOK).await;
            match lock.keep() {
                Ok(false) => told = false,
                Ok(true) => {
                    told = false;
                    tracing::warn!(
                        lock = %lock.path.display(),
                        "the database's lock file was deleted while the bot ran: made again and held"
                    );
                }
                Err(err @ store::lock::LockError::Io { .. }) => {
                    if !told {
                        tracing::error!(%err, "the database's lock file is gone and cannot be made again: a second bot would not be refused");
                    }
                    told = true;
                }
                Err(err) => {
                    tracing::error!(%err, "the database's lock file was deleted and taken by another process: stopping");
                    if let Ok(mut lost) = lost_at.lock() {
                        *lost = Some(err);
                    }
                    let _ = stop.send(true);
                    // Held until the process ends: the file is the other's.
                    std::future::pending::<()>().await;
                }
            }
        }
    });
    lost
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

// roster
/// `admin roster import`: the same reading and preview as `/roster`.
async fn roster_import(
    pool: &store::Pool,
    now: chrono::DateTime<chrono::Utc>,
    workplace: i64,
    dry_run: bool,
    file: &std::path::Path,
) -> anyhow::Result<String> {
    use crate::domain::roster::{MAX_FILE_BYTES, MatchedBy, Problem};
    use crate::roster_file::{self, FileError};
    let Some(place) = workplaces::get(pool, workplace).await? else {
        anyhow::bail!("no workplace with id {workplace}");
    };
    // Read up to one byte past the limit, whatever the file says its size
    // is: a pipe (`<(curl …)`), a device (`/dev/zero`) or a file still
    // growing says 0 or less than it holds, and was read to its end, or
    // until memory ran out.
    let bytes = {
        use std::io::Read;
        let cannot = |e: std::io::Error| anyhow::anyhow!("cannot read {}: {e}", file.display());
        let mut bytes = Vec::new();
        std::fs::File::open(file)
            .map_err(cannot)?
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        bytes
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        anyhow::bail!("the file is larger than 5 MB");
    }
    let members = store::roster::registered(pool).await?;
    let introduced = store::roster::introduced_members(pool, workplace).await?;
    let (parsed, preview) = tokio::task::spawn_blocking(move || {
        roster_file::read(&bytes).map(|parsed| {
            let preview = crate::domain::roster::preview(&parsed, &members, workplace, &introduced);
            (parsed, preview)
        })
    })
    .await?
    .map_err(|e| {
        anyhow::anyhow!(match e {
            FileError::NotSpreadsheet => "not a spreadsheet (XLSX or CSV)",
            FileError::Malformed => "the spreadsheet cannot be read",
            FileError::TooLarge => "more than 5,000 rows, or expands to too much",
            FileError::Empty => "no row with data",
            FileError::NotUtf8 => "a text file not in UTF-8 (save it as CSV UTF-8)",
            FileError::OldOffice => "an Excel 97-2003 file (.xls): save it as XLSX",
        })
    })?;
    let mut out = vec![format!(
        "{}: {} rows read, {} registered with a residence cell, {} not registered, {} left out",
        place.name,
        preview.read,
        preview.matched.len(),
        preview.unregistered.len(),
        preview.bad.len()
    )];
    for (line, name, cell, by) in &preview.matched {
        let by = match by {
            MatchedBy::Phone => "phone",
            MatchedBy::Name => "name",
            MatchedBy::Introduction => "introduction link",
        };
        let cell = cell
            .as_deref()
            .unwrap_or("registered, another workplace declared");
        out.push(format!("line {line}: {name} - {cell} (by {by})"));
    }
    for (line, name) in &preview.unregistered {
        out.push(format!("line {line}: {name} - not registered"));
    }
    for bad in &preview.bad {
        let why = match &bad.problem {
            Problem::NoName => "no name".to_string(),
            Problem::NameTooLong => "name longer than 200 characters".to_string(),
            Problem::BadPhone(p) => format!("{p:?} is not a Vietnamese phone number"),
            Problem::SeveralPhones(p) => format!("{p:?} holds more than one phone number"),
            Problem::BadBirthDate(d) => format!("{d:?} is not a date of birth (dd/mm/yyyy)"),
            Problem::DuplicateOf(of) => format!("duplicate of line {of}"),
        };
        out.push(format!("line {}: {why}", bad.line));
    }
    if dry_run {
        out.push("dry run: nothing stored".into());
        return Ok(out.join("\n"));
    }
    if parsed.rows.is_empty() {
        // Importing nothing would empty the roster.
        out.push("no valid row: nothing imported (the roster stays as it is)".into());
        anyhow::bail!("{}", out.join("\n"));
    }
    let upload = store::roster::create_upload(pool, None, workplace, &parsed.rows, now).await?;
    match store::roster::import(pool, upload, None, now).await? {
        store::roster::ImportOutcome::Imported { rows, .. } => out.push(rows.to_string()),
        other => anyhow::bail!("not imported: {other:?}"),
    }
    Ok(out.join("\n"))
}
