//! The daily backup: from `LIENHE_BACKUP_HOUR` (local time) once a day, the
//! day claimed in the database (`housekeeping`), so a restart neither
//! repeats it nor skips it. The copy is `lienhe-YYYY-MM-DD.db` in
//! `LIENHE_BACKUP_DIR`, checked like `lienhe backup`'s; the oldest files of
//! that name beyond `LIENHE_BACKUP_KEEP` are removed.
//!
//! A failed attempt is tried again the same day, 30 minutes, then 1 and 2
//! hours later (four attempts in all); an attempt cut short by the process
//! stopping is tried again an hour after it began. Each failure is logged
//! and, with `LIENHE_OPERATOR_CHAT`, sent to the operator through the
//! outbox with when the next attempt is due; so is a backup written after
//! a failure.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    app::App,
    domain::{
        Lang,
        dates::{format_dmy, format_dmy_hm},
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

/// Removes the oldest daily backups up to `today` beyond `keep`; returns
/// what it removed. Files dated after `today` (written while the clock was
/// ahead) are left alone and not counted: always the newest by their name,
/// they would otherwise have the real day's backup removed as soon as it
/// is written.
pub fn prune(dir: &Path, keep: usize, today: NaiveDate) -> std::io::Result<Vec<PathBuf>> {
    let (all, ahead): (Vec<_>, Vec<_>) = existing(dir)?
        .into_iter()
        .partition(|(day, _)| *day <= today);
    for (_, path) in &ahead {
        tracing::warn!(file = %path.display(), "a backup dated after today (the clock was ahead when it was written): left, not counted");
    }
    let excess = all.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for (_, path) in all.into_iter().take(excess) {
        std::fs::remove_file(&path)?;
        removed.push(path);
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

async fn write(
    app: &App,
    plan: &Plan,
    day: NaiveDate,
) -> anyhow::Result<(PathBuf, Checked, Vec<PathBuf>)> {
    let source = database_file(&app.pool).await?;
    let dir = plan.dir.clone();
    tokio::task::spawn_blocking(move || std::fs::create_dir_all(&dir))
        .await?
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", plan.dir.display()))?;
    let path = plan.dir.join(file_name(day));
    // The day's file takes its name only once written and checked: if it is
    // there, the day is backed up (the process stopped before recording it,
    // or this database was restored from that very file, which holds the
    // attempt in progress). Checked again, it counts; a file that fails the
    // check is an error, never overwritten.
    let checked = if path.exists() {
        tracing::info!(file = %path.display(), "the day's backup exists already");
        backup::check_earlier(&path)
            .await
            .map_err(|e| anyhow::anyhow!("{} exists and fails its check: {e}", path.display()))?
    } else {
        // The snapshot and its checks run on SQLite's own connection threads.
        backup::backup(&source, &path).await?
    };
    let (dir, keep) = (plan.dir.clone(), plan.keep.max(1));
    let removed = tokio::task::spawn_blocking(move || prune(&dir, keep, day))
        .await?
        .map_err(|e| anyhow::anyhow!("cannot remove old backups: {e}"))?;
    Ok((path, checked, removed))
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
        Ok((path, checked, removed)) => {
            housekeeping::attempt_ended(&app.pool, JOB, day, false, None).await?;
            tracing::info!(
                file = %path.display(),
                bytes = checked.size,
                audit_entries = checked.entries,
                audit_head = %checked.head,
                removed = removed.len(),
                attempt,
                "daily backup written and checked"
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
            Ok(Outcome::Written {
                path,
                checked,
                removed,
                attempt,
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
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let removed = prune(dir.path(), 2, today).unwrap();
        assert_eq!(removed, [dir.path().join("lienhe-2026-11-29.db")]);
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "lienhe-2026-11-30.db",
                "lienhe-2026-12-01.db",
                "lienhe-2027-12-01.db",
                "lienhe-manual.db",
                "notes.txt"
            ]
        );
    }
}
