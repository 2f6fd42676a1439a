//! The daily backup: from `LIENHE_BACKUP_HOUR` (local time) once a day, the
//! day claimed in the database (`housekeeping`), so a restart neither
//! repeats it nor skips it. The copy is `lienhe-YYYY-MM-DD.db` in
//! `LIENHE_BACKUP_DIR`, checked like `lienhe backup`'s; the oldest files of
//! that name beyond `LIENHE_BACKUP_KEEP` are removed. A file carries the
//! clock's time when it was written (its modification time); one dated
//! after today (the clock was ahead when it was written, or was set back
//! since: which, the bot cannot tell) is marked as written before its day,
//! and when its day comes the day's backup is taken anew in its place. A
//! day's file found there, written on its day, is checked and counted,
//! never written again.
//!
//! A failed attempt is tried again the same day, 30 minutes, then 1 and 2
//! hours later (four attempts in all); an attempt cut short by the process
//! stopping is tried again an hour after it began. Each failure is logged
//! and, with `LIENHE_OPERATOR_CHAT`, sent to the operator through the
//! outbox with when the next attempt is due; so is a backup written after
//! a failure.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::{
    app::App,
    domain::{
        Lang,
        dates::{format_dmy, format_dmy_hm},
        schedule::instant,
    },
    store::{
        self,
        backup::{self, Checked},
        housekeeping::{self, Attempt},
        outbox::{self, Notice, Payload},
    },
    t,
};

/// The job's name in `housekeeping`.
pub const JOB: &str = "backup";

/// Where and when the daily backup goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub dir: PathBuf,
    /// Daily backups kept (the oldest beyond are removed).
    pub keep: usize,
    /// Local hour from which the day's backup is taken.
    pub hour: u32,
    /// Where failures are reported (a Telegram chat id).
    pub operator_chat: Option<i64>,
}

/// The file name of a day's backup.
pub fn file_name(day: NaiveDate) -> String {
    format!("lienhe-{}.db", day.format("%Y-%m-%d"))
}

/// The day of a file named like a daily backup.
fn day_of(name: &str) -> Option<NaiveDate> {
    let date = name.strip_prefix("lienhe-")?.strip_suffix(".db")?;
    if date.len() != 10 {
        return None;
    }
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    (file_name(day) == name).then_some(day)
}

/// The daily backups in `dir`, oldest first.
pub fn existing(dir: &Path) -> std::io::Result<Vec<(NaiveDate, PathBuf)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if let Some(day) = entry.file_name().to_str().and_then(day_of)
            && entry.file_type()?.is_file()
        {
            found.push((day, entry.path()));
        }
    }
    found.sort();
    Ok(found)
}

/// When `path` was last written, by its modification time (`None` when the
/// file system cannot say).
fn modified(path: &Path) -> Option<DateTime<Utc>> {
    let at = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(DateTime::<Utc>::from(at))
}

/// Sets the modification time of `path` to `at`, the clock's time when it
/// was written (or seen before its day): the time a daily backup carries.
fn stamp(path: &Path, at: DateTime<Utc>) -> std::io::Result<()> {
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(at.into())
}

/// The local midnight that begins `day`.
fn start_of(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    instant(tz, day.and_time(NaiveTime::MIN))
}

/// Whether the daily backup of `day` at `path` was written before that day
/// began (by its modification time): it is not that day's backup.
fn written_before_its_day(path: &Path, day: NaiveDate, tz: Tz) -> bool {
    modified(path).is_some_and(|at| at < start_of(day, tz))
}

/// Marks the daily backups dated after `today` (written while the clock
/// was ahead) as written before their day: their modification time is set
/// back to `now` where it is later. When their day comes, the day's backup
/// is taken anew in their place ([`write`]); unmarked, a file written two
/// days early would be taken as the day's. Returns the files marked now; a
/// file that cannot be marked is logged.
pub fn mark_ahead(
    dir: &Path,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> std::io::Result<Vec<PathBuf>> {
    let mut marked = Vec::new();
    for (_, path) in existing(dir)?.into_iter().filter(|(day, _)| *day > today) {
        if modified(&path).is_some_and(|at| at <= now) {
            continue;
        }
        match stamp(&path, now) {
            Ok(()) => marked.push(path),
            Err(err) => {
                tracing::warn!(file = %path.display(), %err, "cannot mark a backup dated after today as written before its day");
            }
        }
    }
    Ok(marked)
}

/// Whether `path` begins like a SQLite database file.
fn is_database(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0")
}

/// The newest daily backup in `dir` that counts as its day's, with when it
/// was written (its modification time): dated up to `today`, written on
/// its day or after (never before it, nor after `now`), a SQLite database
/// (never an empty file an older binary's attempt cut short left). `None`
/// when there is none, or the directory cannot be read.
pub fn latest(
    dir: &Path,
    today: NaiveDate,
    now: DateTime<Utc>,
    tz: Tz,
) -> Option<(PathBuf, DateTime<Utc>)> {
    let all = existing(dir).ok()?;
    all.into_iter()
        .rev()
        .filter(|(day, _)| *day <= today)
        .find_map(|(day, path)| {
            let at = modified(&path)?;
            (start_of(day, tz) <= at && at <= now && is_database(&path)).then_some((path, at))
        })
}

/// At start-up, with metrics served: the time of the last daily backup
/// ([`latest`]) for `lienhe_backup_last_success_timestamp_seconds`, so
/// that the gauge (and an alert on its age) survives a restart.
pub async fn report_latest(app: &App, plan: &Plan) {
    if !crate::telemetry::enabled() {
        return;
    }
    let (dir, today, now, tz) = (plan.dir.clone(), app.today(), app.now(), app.tz);
    match tokio::task::spawn_blocking(move || latest(&dir, today, now, tz)).await {
        Ok(Some((path, at))) => {
            tracing::info!(file = %path.display(), %at, "the last daily backup");
            crate::telemetry::backup_last_success(at);
        }
        Ok(None) => tracing::info!(dir = %plan.dir.display(), "no daily backup yet"),
        Err(err) => tracing::warn!(%err, "could not look for the last daily backup"),
    }
}

/// Removes the oldest daily backups up to `today` beyond `keep`; returns
/// what it removed. Files dated after `today` (written while the clock was
/// ahead) are left alone and not counted: always the newest by their name,
/// they would otherwise have the real day's backup removed as soon as it
/// is written. A file of that name that is no SQLite database (an empty
/// one an older binary's attempt cut short left) is no backup: not counted
/// among the `keep` (it would have a real backup removed in its place), and
/// removed. A file that cannot be removed does not stop the others: the
/// error names each such file, and what was removed is then only logged.
pub fn prune(dir: &Path, keep: usize, today: NaiveDate) -> std::io::Result<Vec<PathBuf>> {
    let (all, ahead): (Vec<_>, Vec<_>) = existing(dir)?
        .into_iter()
        .partition(|(day, _)| *day <= today);
    for (_, path) in &ahead {
        tracing::warn!(file = %path.display(), "a backup dated after today (the clock was ahead when it was written, or was set back since): left, not counted");
    }
    let (whole, broken): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, p)| is_database(p));
    let excess = whole.len().saturating_sub(keep);
    let mut removed = Vec::new();
    let mut failed = Vec::new();
    for (_, path) in broken {
        tracing::warn!(file = %path.display(), "a file named like a daily backup is no SQLite database (an attempt cut short): removed");
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(err) => failed.push(format!("{}: {err}", path.display())),
        }
    }
    for (_, path) in whole.into_iter().take(excess) {
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(err) => failed.push(format!("{}: {err}", path.display())),
        }
    }
    removed.sort();
    if !failed.is_empty() {
        for path in &removed {
            tracing::info!(file = %path.display(), "old daily backup removed");
        }
        return Err(std::io::Error::other(failed.join("; ")));
    }
    Ok(removed)
}

/// What a look at the day's backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to do now: taken that day already (by this process before a
    /// restart, or another), or its next attempt is due at this time.
    NotDue(Option<DateTime<Utc>>),
    Written {
        path: PathBuf,
        checked: Checked,
        removed: Vec<PathBuf>,
        /// The day's attempt that wrote it (from 1).
        attempt: u32,
        /// When it was written (its modification time; for a file of the
        /// day found there, when that was written).
        at: DateTime<Utc>,
    },
    Failed {
        error: String,
        /// When the next attempt is due (`None`: not today).
        retry_at: Option<DateTime<Utc>>,
    },
}

impl Outcome {
    /// When the day's backup is to be looked at again (`None`: not today).
    pub fn next_look(&self) -> Option<DateTime<Utc>> {
        match self {
            Outcome::NotDue(at) => *at,
            Outcome::Written { .. } => None,
            Outcome::Failed { retry_at, .. } => *retry_at,
        }
    }
}

/// An attempt that never reports back (the process stopped in it) is tried
/// again after this long.
const LEASE_MINUTES: i64 = 60;

/// How long after the day's `failures`-th failed attempt the next is made;
/// `None` after the last attempt of the day.
pub fn retry_after(failures: u32) -> Option<chrono::Duration> {
    match failures {
        1 => Some(chrono::Duration::minutes(30)),
        2 => Some(chrono::Duration::hours(1)),
        3 => Some(chrono::Duration::hours(2)),
        _ => None,
    }
}

/// The file of the pool's main database.
async fn database_file(pool: &store::Pool) -> anyhow::Result<PathBuf> {
    let file: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(pool)
            .await?;
    if file.is_empty() {
        anyhow::bail!("the database is in memory: there is no file to back up");
    }
    Ok(PathBuf::from(file))
}

/// What [`write`] did: the day's file, its check, the old files removed,
/// and whether the file was there already (written on its day: checked and
/// counted, not written again).
type Written = (PathBuf, Checked, Vec<PathBuf>, bool);

async fn write(app: &App, plan: &Plan, day: NaiveDate) -> anyhow::Result<Written> {
    let source = database_file(&app.pool).await?;
    let dir = plan.dir.clone();
    tokio::task::spawn_blocking(move || std::fs::create_dir_all(&dir))
        .await?
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", plan.dir.display()))?;
    let path = plan.dir.join(file_name(day));
    let now = app.now();
    // The day's file takes its name only once written and checked: if it is
    // there, the day is backed up (the process stopped before recording it,
    // or this database was restored from that very file, which holds the
    // attempt in progress). Checked again, it counts; a file that fails the
    // check is an error, never overwritten. A file of the day written before
    // the day began (while the clock was ahead: marked so by `mark_ahead`)
    // holds the database of days before: the day's backup is taken anew and
    // replaces it.
    let found = path.exists() && !written_before_its_day(&path, day, app.tz);
    let checked = if !path.exists() {
        // The snapshot and its checks run on SQLite's own connection threads.
        let checked = backup::backup(&source, &path).await?;
        if let Err(err) = stamp(&path, now) {
            tracing::warn!(file = %path.display(), %err, "cannot set the backup's time");
        }
        checked
    } else if written_before_its_day(&path, day, app.tz) {
        tracing::warn!(file = %path.display(), "the day's file carries a time before the day (the clock was ahead when it was written, or was set back since): the day's backup is taken anew in its place");
        replace(&source, &path, now).await?
    } else {
        backup::check_earlier(&path)
            .await
            .map_err(|e| anyhow::anyhow!("{} exists and fails its check: {e}", path.display()))?
    };
    // The day's backup is written and checked: a failure to mark or remove
    // older files is logged as such, never the day's backup failing (it
    // would be reported so and taken again).
    let (dir, keep) = (plan.dir.clone(), plan.keep.max(1));
    let pruned = tokio::task::spawn_blocking(move || {
        let marked = mark_ahead(&dir, day, now)?;
        prune(&dir, keep, day).map(|removed| (marked, removed))
    })
    .await
    .map_err(anyhow::Error::from)
    .and_then(|pruned| pruned.map_err(anyhow::Error::from));
    let pruned = pruned.map(|(marked, removed)| {
        for file in marked {
            tracing::warn!(file = %file.display(), "a backup dated after today (the clock was ahead when it was written, or was set back since; check the clock): kept, and taken anew on its day in its place");
        }
        removed
    });
    let removed = pruned.unwrap_or_else(|err| {
        tracing::error!(dir = %plan.dir.display(), %day, "the day's backup is written, but old backups could not be removed: {err}");
        Vec::new()
    });
    Ok((path, checked, removed, found))
}

/// Takes a new backup of `source` and puts it in place of `path` (a file
/// of the day written before the day): written and checked under a name of
/// its own, `<path>.new` (one an attempt cut short left is removed first),
/// then renamed over `path`, so `path` is at every moment one whole backup.
async fn replace(source: &Path, path: &Path, now: DateTime<Utc>) -> anyhow::Result<Checked> {
    let fresh = backup::companion(path, ".new");
    if fresh.exists() {
        tracing::warn!(file = %fresh.display(), "removing a replacement backup left by an earlier attempt");
        let left = fresh.clone();
        tokio::task::spawn_blocking(move || std::fs::remove_file(&left))
            .await?
            .map_err(|e| anyhow::anyhow!("cannot remove {}: {e}", fresh.display()))?;
    }
    let checked = backup::backup(source, &fresh).await?;
    if let Err(err) = stamp(&fresh, now) {
        tracing::warn!(file = %fresh.display(), %err, "cannot set the backup's time");
    }
    // Off the async runtime, as the directory's other file operations.
    let (from, to) = (fresh.clone(), path.to_path_buf());
    let renamed = tokio::task::spawn_blocking(move || {
        std::fs::rename(&from, &to).inspect_err(|_| {
            let _ = std::fs::remove_file(&from);
        })
    })
    .await?;
    if let Err(err) = renamed {
        anyhow::bail!(
            "cannot put the new backup in place of {}: {err}",
            path.display()
        );
    }
    Ok(checked)
}

/// Takes the day's backup if nobody took it yet, or tries again after a
/// failed (or unfinished) attempt once its time has come. Every failure is
/// logged and reported to the operator's chat with when the next attempt
/// is due; a backup written after failures is reported too.
pub async fn daily(app: &App, plan: &Plan, day: NaiveDate) -> anyhow::Result<Outcome> {
    let now = app.now();
    let lease = now + chrono::Duration::minutes(LEASE_MINUTES);
    let attempt = match housekeeping::claim_attempt(&app.pool, JOB, day, now, lease).await? {
        Attempt::Claimed(attempt) => attempt,
        Attempt::NotDue(next) => return Ok(Outcome::NotDue(next)),
    };
    match write(app, plan, day).await {
        Ok((path, checked, removed, found)) => {
            housekeeping::attempt_ended(&app.pool, JOB, day, false, None).await?;
            // A file of the day already there (taken before a restart, or
            // before the clock was set back) is not written again.
            let what = if found {
                "the day's backup was there already, written on its day: checked, not written again"
            } else {
                "daily backup written and checked"
            };
            tracing::info!(
                file = %path.display(),
                bytes = checked.size,
                audit_entries = checked.entries,
                audit_head = %checked.head,
                removed = removed.len(),
                attempt,
                "{what}"
            );
            if attempt > 1 {
                tell_operator(app, plan, |lang| {
                    t!(
                        lang,
                        "ops-backup-recovered",
                        day = format_dmy(day),
                        attempt = attempt,
                        file = path.display().to_string()
                    )
                })
                .await;
            }
            let at = modified(&path)
                .filter(|at| *at <= app.now())
                .unwrap_or_else(|| app.now());
            Ok(Outcome::Written {
                path,
                checked,
                removed,
                attempt,
                at,
            })
        }
        Err(err) => {
            let error = format!("{err:#}");
            let retry_at = retry_after(attempt).map(|wait| app.now() + wait);
            housekeeping::attempt_ended(&app.pool, JOB, day, true, retry_at).await?;
            tracing::error!(%day, attempt, ?retry_at, "the daily backup failed: {error}");
            let tz = app.tz;
            tell_operator(app, plan, |lang| {
                let failed = t!(
                    lang,
                    "ops-backup-failed",
                    day = format_dmy(day),
                    error = error.as_str()
                );
                let next = match retry_at {
                    Some(at) => t!(lang, "ops-backup-retry", at = format_dmy_hm(at, tz)),
                    None => t!(lang, "ops-backup-no-retry"),
                };
                format!("{failed}\n{next}")
            })
            .await;
            Ok(Outcome::Failed { error, retry_at })
        }
    }
}

/// Queues a message for the operator's chat (if there is one), in their
/// language; a failure to queue it is logged.
async fn tell_operator(app: &App, plan: &Plan, text: impl Fn(Lang) -> String) {
    let Some(chat) = plan.operator_chat else {
        return;
    };
    if let Err(err) = queue_for_operator(app, chat, text).await {
        tracing::error!(%err, "could not queue the backup report for the operator");
    }
}

async fn queue_for_operator(
    app: &App,
    chat: i64,
    text: impl Fn(Lang) -> String,
) -> sqlx::Result<()> {
    let mut tx = store::tx::begin(&app.pool).await?;
    let lang = outbox::Recipient::load(&mut tx, chat).await?.lang;
    outbox::enqueue_notices(
        &mut tx,
        &[Notice {
            chat_id: chat,
            payload: Payload {
                text: text(lang),
                ..Payload::default()
            },
        }],
        app.now(),
    )
    .await?;
    tx.commit().await?;
    app.wake_sender();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_has_four_attempts_each_later_than_the_last() {
        let waits: Vec<_> = (1..=5).map(retry_after).collect();
        assert_eq!(
            waits,
            [
                Some(chrono::Duration::minutes(30)),
                Some(chrono::Duration::minutes(60)),
                Some(chrono::Duration::minutes(120)),
                None,
                None
            ]
        );
    }

    #[test]
    fn only_daily_backup_names_count() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(file_name(day), "lienhe-2026-12-01.db");
        assert_eq!(day_of("lienhe-2026-12-01.db"), Some(day));
        for name in [
            "lienhe-2026-12-1.db",
            "lienhe-2026-12-01.db.tmp",
            "lienhe.db",
            "x-lienhe-2026-12-01.db",
            "lienhe-2026-13-01.db",
        ] {
            assert_eq!(day_of(name), None, "{name}");
        }
    }

    #[test]
    fn a_file_dated_after_today_is_marked_as_written_before_its_day() {
        let dir = tempfile::tempdir().unwrap();
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let at = |d, h| start_of(day(d), tz) + chrono::Duration::hours(h);
        let (early, today) = (
            dir.path().join(file_name(day(23))),
            dir.path().join(file_name(day(21))),
        );
        std::fs::write(&early, b"x").unwrap();
        std::fs::write(&today, b"x").unwrap();
        // Written while the clock said 23/11 04:00.
        stamp(&early, at(23, 4)).unwrap();
        stamp(&today, at(21, 4)).unwrap();
        assert!(!written_before_its_day(&early, day(23), tz));
        // Seen on 21/11: marked, once; today's file untouched.
        let marked = mark_ahead(dir.path(), day(21), at(21, 4)).unwrap();
        assert_eq!(marked, std::slice::from_ref(&early));
        assert!(
            mark_ahead(dir.path(), day(21), at(21, 5))
                .unwrap()
                .is_empty()
        );
        assert!(written_before_its_day(&early, day(23), tz));
        assert!(!written_before_its_day(&today, day(21), tz));
        assert_eq!(modified(&today), Some(at(21, 4)));
    }

    #[test]
    fn the_latest_backup_is_the_newest_that_counts_as_its_days() {
        let dir = tempfile::tempdir().unwrap();
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let at = |d, h| start_of(day(d), tz) + chrono::Duration::hours(h);
        let now = at(24, 9);
        assert_eq!(latest(dir.path(), day(24), now, tz), None);
        let database = b"SQLite format 3\0 and the rest";
        for (d, written, bytes) in [
            (20, at(20, 3), &database[..]),
            (21, at(21, 3), &database[..]),
            // Written before its day (the clock was ahead).
            (22, at(21, 3), &database[..]),
            // Empty: an older binary's attempt cut short.
            (23, at(23, 3), &[][..]),
            // Dated after today.
            (25, at(25, 3), &database[..]),
        ] {
            let path = dir.path().join(file_name(day(d)));
            std::fs::write(&path, bytes).unwrap();
            stamp(&path, written).unwrap();
        }
        assert_eq!(
            latest(dir.path(), day(24), now, tz),
            Some((dir.path().join(file_name(day(21))), at(21, 3)))
        );
    }

    #[test]
    fn pruning_keeps_the_newest_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "lienhe-2026-11-29.db",
            "lienhe-2026-11-30.db",
            "lienhe-2026-12-01.db",
            "notes.txt",
            "lienhe-manual.db",
            // Written while the clock was a year ahead: not counted.
            "lienhe-2027-12-01.db",
        ] {
            std::fs::write(dir.path().join(name), b"SQLite format 3\0 and the rest").unwrap();
        }
        // An empty file an attempt cut short left: no backup, not counted.
        std::fs::write(dir.path().join("lienhe-2026-11-30.db"), b"").unwrap();
        std::fs::write(
            dir.path().join("lienhe-2026-11-28.db"),
            b"SQLite format 3\0",
        )
        .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let removed = prune(dir.path(), 2, today).unwrap();
        assert_eq!(
            removed,
            [
                dir.path().join("lienhe-2026-11-28.db"),
                dir.path().join("lienhe-2026-11-30.db")
            ]
        );
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "lienhe-2026-11-29.db",
                "lienhe-2026-12-01.db",
                "lienhe-2027-12-01.db",
                "lienhe-manual.db",
                "notes.txt"
            ]
        );
    }
}
