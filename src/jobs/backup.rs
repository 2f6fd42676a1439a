//! The daily backup: from `LIENHE_BACKUP_HOUR` (local time) once a day, the
//! day claimed in the database (`housekeeping`), so a restart neither
//! repeats it nor skips it. The copy is `lienhe-YYYY-MM-DD.db` in
//! `LIENHE_BACKUP_DIR`, checked like `lienhe backup`'s; the oldest files of
//! that name beyond `LIENHE_BACKUP_KEEP` are removed. A failure is logged
//! and, with `LIENHE_OPERATOR_CHAT`, sent to the operator through the
//! outbox.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::{
    app::App,
    store::{
        self,
        backup::{self, Checked},
        housekeeping,
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

/// Removes the oldest daily backups beyond `keep`; returns what it removed.
pub fn prune(dir: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let all = existing(dir)?;
    let excess = all.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for (_, path) in all.into_iter().take(excess) {
        std::fs::remove_file(&path)?;
        removed.push(path);
    }
    Ok(removed)
}

/// What the day's backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Already taken that day (by this process before a restart, or another).
    Claimed,
    Written {
        path: PathBuf,
        checked: Checked,
        removed: Vec<PathBuf>,
    },
    Failed(String),
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

async fn write(app: &App, plan: &Plan, day: NaiveDate) -> anyhow::Result<Outcome> {
    let source = database_file(&app.pool).await?;
    let dir = plan.dir.clone();
    tokio::task::spawn_blocking(move || std::fs::create_dir_all(&dir))
        .await?
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", plan.dir.display()))?;
    let path = plan.dir.join(file_name(day));
    // The snapshot and its checks run on SQLite's own connection threads.
    let checked = backup::backup(&source, &path).await?;
    let (dir, keep) = (plan.dir.clone(), plan.keep.max(1));
    let removed = tokio::task::spawn_blocking(move || prune(&dir, keep))
        .await?
        .map_err(|e| anyhow::anyhow!("cannot remove old backups: {e}"))?;
    Ok(Outcome::Written {
        path,
        checked,
        removed,
    })
}

/// Takes the day's backup if nobody took it yet; a failure is logged and
/// reported to the operator's chat.
pub async fn daily(app: &App, plan: &Plan, day: NaiveDate) -> anyhow::Result<Outcome> {
    if !housekeeping::claim_day(&app.pool, JOB, day).await? {
        return Ok(Outcome::Claimed);
    }
    match write(app, plan, day).await {
        Ok(outcome) => {
            if let Outcome::Written {
                path,
                checked,
                removed,
            } = &outcome
            {
                tracing::info!(
                    file = %path.display(),
                    bytes = checked.size,
                    audit_entries = checked.entries,
                    audit_head = %checked.head,
                    removed = removed.len(),
                    "daily backup written and checked"
                );
            }
            Ok(outcome)
        }
        Err(err) => {
            let error = format!("{err:#}");
            tracing::error!(%day, "the daily backup failed: {error}");
            if let Some(chat) = plan.operator_chat
                && let Err(err) = tell_operator(app, chat, day, &error).await
            {
                tracing::error!(%err, "could not queue the backup failure for the operator");
            }
            Ok(Outcome::Failed(error))
        }
    }
}

/// Queues the failure for the operator's chat, in their language.
async fn tell_operator(app: &App, chat: i64, day: NaiveDate, error: &str) -> sqlx::Result<()> {
    let mut tx = store::tx::begin(&app.pool).await?;
    let lang = outbox::Recipient::load(&mut tx, chat).await?.lang;
    let text = t!(
        lang,
        "ops-backup-failed",
        day = crate::domain::dates::format_dmy(day),
        error = error
    );
    outbox::enqueue_notices(
        &mut tx,
        &[Notice {
            chat_id: chat,
            payload: Payload {
                text,
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
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let removed = prune(dir.path(), 2).unwrap();
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
                "lienhe-manual.db",
                "notes.txt"
            ]
        );
    }
}
