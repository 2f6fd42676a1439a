//! Backups of the database file, and putting one back.
//!
//! A backup is `VACUUM INTO` a new file: one read transaction on the live
//! database (under WAL, writers are not blocked and keep committing while
//! it runs), so the copy is a consistent snapshot of one moment. The copy
//! is created owner-only (0600) before SQLite writes into it, and never
//! over an existing file. It is then checked as a separate database, read
//! only and without migrations: SQLite's `integrity_check`, the migrations
//! it carries against the binary's, and the audit chain. A copy that fails
//! a check is removed.
//!
//! A restore refuses while a bot holds the database's lock
//! ([`super::lock`]), checks the backup the same way, moves the current
//! database and its `-wal`/`-shm` aside (never deleting them) and copies the
//! backup into place, owner-only.

use std::{
    path::{Path, PathBuf},
    str::FromStr,
    time::Duration,
};

use chrono::{DateTime, Utc};
use sqlx::{
    ConnectOptions, Connection, SqliteConnection,
    sqlite::{SqliteConnectOptions, SqlitePoolOptions},
};

use super::{
    Pool,
    audit::{self, ChainCheck},
};

/// What the checks of a copy found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The file's size in bytes.
    pub size: u64,
    /// The latest migration it carries (the binary's latest).
    pub migration: i64,
    /// Entries in the audit log.
    pub entries: u64,
    /// The hash of the last audit entry (the genesis hash for none).
    pub head: String,
}

impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} bytes, schema {}, audit log {} entries, head {}",
            self.size, self.migration, self.entries, self.head
        )
    }
}

/// Why a check failed.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("cannot open it as a SQLite database: {0}")]
    Open(String),
    #[error("SQLite's integrity check failed: {0}")]
    Integrity(String),
    #[error("{0}")]
    Migrations(String),
    #[error("the audit log is broken at entry {entry_id}: {reason}")]
    Audit { entry_id: i64, reason: &'static str },
    #[error("cannot read it: {0}")]
    Sql(#[from] sqlx::Error),
}

/// `integrity_check`: `Ok` or what SQLite found (its first lines).
pub async fn integrity(pool: &Pool) -> Result<(), CheckError> {
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check(20)")
        .fetch_all(pool)
        .await?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        Err(CheckError::Integrity(rows.join("; ")))
    }
}

/// Compares the migrations recorded in a database with the binary's: every
/// one applied successfully with the same checksum, none missing, none
/// unknown. Returns the latest version.
pub async fn migrations(pool: &Pool) -> Result<i64, CheckError> {
    applied_migrations(pool, false).await
}

/// [`migrations`]; with `older_ok`, a database a deploy since left behind
/// (this binary's later migrations missing, all it has known and intact)
/// passes too, and its own latest version is returned.
async fn applied_migrations(pool: &Pool, older_ok: bool) -> Result<i64, CheckError> {
    let table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await?;
    if !table {
        return Err(CheckError::Migrations(
            "no migrations were ever applied to it (not a lienhe database?)".into(),
        ));
    }
    let applied: Vec<(i64, bool, Vec<u8>)> =
        sqlx::query_as("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await?;
    let ours: Vec<_> = super::MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .collect();
    let latest = ours.iter().map(|m| m.version).max().unwrap_or(0);
    if let Some((version, ..)) = applied.iter().find(|(_, success, _)| !success) {
        return Err(CheckError::Migrations(format!(
            "migration {version} failed in it"
        )));
    }
    for (version, _, checksum) in &applied {
        match ours.iter().find(|m| m.version == *version) {
            None => {
                return Err(CheckError::Migrations(format!(
                    "it has migration {version}, unknown to this binary (made by a newer lienhe?)"
                )));
            }
            Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                return Err(CheckError::Migrations(format!(
                    "its migration {version} differs from this binary's"
                )));
            }
            Some(_) => {}
        }
    }
    let missing: Vec<String> = ours
        .iter()
        .filter(|m| !applied.iter().any(|(v, ..)| *v == m.version))
        .map(|m| m.version.to_string())
        .collect();
    let have = applied.last().map(|(v, ..)| *v).unwrap_or(0);
    if !missing.is_empty() && older_ok {
        return Ok(have);
    }
    if !missing.is_empty() {
        return Err(CheckError::Migrations(format!(
            "it is at migration {have}, this binary at {latest}: missing {}",
            missing.join(", ")
        )));
    }
    Ok(latest)
}

/// Verifies the audit chain; returns the number of entries and the head.
pub async fn audit_head(pool: &Pool) -> Result<(u64, String), CheckError> {
    match audit::verify(pool).await? {
        ChainCheck::Intact { entries } => {
            let head: Option<String> =
                sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
                    .fetch_optional(pool)
                    .await?;
            Ok((entries, head.unwrap_or_else(|| audit::GENESIS.to_string())))
        }
        ChainCheck::Broken { entry_id, reason } => Err(CheckError::Audit { entry_id, reason }),
    }
}

/// Opens a database file read only, as it is: no migrations, nothing
/// created, one connection.
pub async fn open_read_only(file: &Path) -> Result<Pool, CheckError> {
    if !file.is_file() {
        return Err(CheckError::Open(format!(
            "{} is not a file",
            file.display()
        )));
    }
    let options = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(10))
        // A whole-file integrity check is slow by nature: not a warning.
        .disable_statement_logging();
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| CheckError::Open(e.to_string()))
}

/// Every check of a copy, on a separate read-only connection.
pub async fn check(file: &Path) -> Result<Checked, CheckError> {
    checked(file, false).await
}

/// [`check`] of a copy written earlier, perhaps by the binary before a
/// deploy: fewer migrations than this binary's are no fault of it.
pub async fn check_earlier(file: &Path) -> Result<Checked, CheckError> {
    checked(file, true).await
}

async fn checked(file: &Path, older_ok: bool) -> Result<Checked, CheckError> {
    let pool = open_read_only(file).await?;
    let result = async {
        integrity(&pool).await?;
        let migration = applied_migrations(&pool, older_ok).await?;
        let (entries, head) = audit_head(&pool).await?;
        Ok::<_, CheckError>((migration, entries, head))
    }
    .await;
    pool.close().await;
    let (migration, entries, head) = result?;
    let size = std::fs::metadata(file)
        .map_err(|e| CheckError::Open(e.to_string()))?
        .len();
    Ok(Checked {
        size,
        migration,
        entries,
        head,
    })
}

/// Creates `file` empty and owner-only; an existing file is an error.
fn create_private(file: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(file) {
        Ok(created) => Ok(created),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => anyhow::bail!(
            "{} exists already: a backup never overwrites a file",
            file.display()
        ),
        Err(err) => anyhow::bail!("cannot create {}: {err}", file.display()),
    }
}

/// The statement that moves `$table`'s next id (`next_id!`, one more than
/// `n - 1`) past a gap (`skip_ids`).
macro_rules! skip_ids_of {
    ($table:literal) => {
        concat!(
            "INSERT INTO retired_ids (tbl, last)
             SELECT '",
            $table,
            "', n - 1 + MAX(n - 1, 10000) FROM (SELECT ",
            next_id!($table),
            " AS n) WHERE true
             ON CONFLICT (tbl) DO UPDATE SET last = MAX(last, excluded.last);"
        )
    };
}

/// The partial copies of `out` (`<out>.partial…`) that no process is
/// writing (none holds its lock): left by attempts that were killed, and
/// never a backup. Each is removed; one being written is left alone.
fn remove_abandoned_partials(out: &Path) -> std::io::Result<()> {
    let (Some(dir), Some(name)) = (out.parent(), out.file_name()) else {
        return Ok(());
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut prefix = name.to_owned();
    prefix.push(".partial");
    let prefix = prefix.as_encoded_bytes();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    // `<out>.partial` (an older binary's) or `<out>.partial-<pid>-<n>`;
    // never the journal SQLite keeps beside one being written.
    let partial = |name: &[u8]| {
        name.strip_prefix(prefix).is_some_and(|rest| {
            rest.is_empty()
                || rest.strip_prefix(b"-").is_some_and(|rest| {
                    let mut parts = rest.split(|b| *b == b'-');
                    parts.clone().count() == 2
                        && parts.all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_digit))
                })
        })
    };
    for entry in entries {
        let entry = entry?;
        if !partial(entry.file_name().as_encoded_bytes()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        if file.try_lock().is_ok() {
            tracing::warn!(file = %path.display(), "removing a partial backup left by an earlier attempt");
            for suffix in ["-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(companion(&path, suffix));
            }
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// A name of its own for this attempt's partial copy of `out`: two
/// backups to the same file at once never write through the same one.
fn partial_name(out: &Path) -> PathBuf {
    static ATTEMPTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let attempt = ATTEMPTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    companion(out, &format!(".partial-{}-{attempt}", std::process::id()))
}

/// Creates the partial copy `partial` and holds its lock (what tells a
/// partial copy being written from one left by a killed attempt): checked
/// to still be the file under that name once locked, in case another
/// attempt took it for abandoned in between.
fn claim_partial(partial: &Path) -> anyhow::Result<std::fs::File> {
    let file = create_private(partial)?;
    file.lock()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (held, named) = (file.metadata()?, std::fs::metadata(partial).ok());
        if named.is_none_or(|named| (named.dev(), named.ino()) != (held.dev(), held.ino())) {
            anyhow::bail!(
                "{} was removed by another attempt at the same time",
                partial.display()
            );
        }
    }
    Ok(file)
}

/// Takes a consistent snapshot of the database file `source` into the new
/// file `out` (0600) and checks it. The copy is made under a name of this
/// attempt's own, `<out>.partial-<pid>-<n>`, locked while it is written,
/// and takes its name only once checked and on disk (a hard link, which
/// fails if `out` exists): `out` never exists half-made, and of two
/// backups to the same file at once one writes it and the other says it
/// exists. A process killed in the middle leaves only its partial file,
/// which the next attempt removes (no lock is held on it any more). On any
/// failure nothing is left and the error says why; an existing `out` is
/// never overwritten.
pub async fn backup(source: &Path, out: &Path) -> anyhow::Result<Checked> {
    if !source.is_file() {
        anyhow::bail!("there is no database at {}", source.display());
    }
    if out.exists() {
        anyhow::bail!(
            "{} exists already: a backup never overwrites a file",
            out.display()
        );
    }
    remove_abandoned_partials(out)?;
    // Taken for abandoned by another attempt between its creation and its
    // lock (a few microseconds): made again under a new name.
    let mut tries = 0;
    let (partial, held) = loop {
        let partial = partial_name(out);
        match claim_partial(&partial) {
            Ok(held) => break (partial, held),
            Err(_) if tries < 3 && !partial.exists() => tries += 1,
            Err(err) => {
                let _ = std::fs::remove_file(&partial);
                return Err(err);
            }
        }
    };
    let result = async {
        snapshot(source, &partial)
            .await
            .map_err(|e| anyhow::anyhow!("the snapshot failed: {e}"))?;
        let checked = check(&partial)
            .await
            .map_err(|e| anyhow::anyhow!("the copy failed its check: {e}"))?;
        let file = partial.clone();
        tokio::task::spawn_blocking(move || std::fs::File::open(&file)?.sync_all()).await??;
        // A link fails if `out` appeared meanwhile: still no overwrite.
        match std::fs::hard_link(&partial, out) {
            Ok(()) => {}
            // A file system without hard links (FAT or exFAT: a USB disk):
            // renamed instead, once nothing has the name.
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists && !out.exists() => {
                tracing::debug!(%e, "no hard link here: renaming the copy");
                std::fs::rename(&partial, out)
                    .map_err(|e| anyhow::anyhow!("cannot name the copy {}: {e}", out.display()))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => anyhow::bail!(
                "{} exists already: a backup never overwrites a file",
                out.display()
            ),
            Err(e) => anyhow::bail!("cannot name the copy {}: {e}", out.display()),
        }
        Ok::<_, anyhow::Error>(checked)
    };
    let result = result.await;
    let _ = std::fs::remove_file(&partial);
    drop(held);
    result.map_err(|err| err.context(format!("no backup was left at {}", out.display())))
}

/// `VACUUM INTO` on a connection of its own (not one of the bot's pool).
async fn snapshot(source: &Path, out: &Path) -> sqlx::Result<()> {
    let options = SqliteConnectOptions::new()
        .filename(source)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(10))
        .disable_statement_logging();
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let result = sqlx::query("VACUUM INTO ?")
        .bind(out.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await;
    conn.close().await?;
    result.map(|_| ())
}

/// The database file of a `sqlite://` URL (`None` for an in-memory one).
pub fn file_of(url: &str) -> anyhow::Result<Option<PathBuf>> {
    let options = SqliteConnectOptions::from_str(url)?;
    Ok(super::database_file(url, &options))
}

/// `<db>-wal`, `<db>-shm` and the like.
pub fn companion(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub checked: Checked,
    /// Files moved aside: (from, to).
    pub moved: Vec<(PathBuf, PathBuf)>,
    /// People who erased their data (`/forgetme`) after the backup was
    /// taken: erased again in the restored copy.
    pub erased_again: usize,
    /// Why the database replaced could not be read for who erased their
    /// data (a damaged file, the very reason to restore): nobody could be
    /// erased again, and the operator is told so.
    pub erasures_unread: Option<String>,
}

/// Puts the backup `from` in place of the database file `db` (through a
/// symlink: the file it points to): refuses while a bot holds the
/// database's lock, checks the backup, moves the current database and its
/// companions aside to `<db>.replaced-YYYYmmddHHMMSS`, copies the backup
/// into place (0600).
pub async fn restore(from: &Path, db: &Path, now: DateTime<Utc>) -> anyhow::Result<Restored> {
    // Held until the copy is in place: a bot started meanwhile refuses.
    let _lock = super::lock::acquire(db)?;
    // The file itself is replaced, not a symlink to it.
    let db = &super::lock::resolved(db);
    remove_cut_short(db);
    refuse_the_database_itself(from, db)?;
    let wal = companion(from, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        anyhow::bail!(
            "{} exists next to it: that is a live database, not a backup (take one with lienhe backup)",
            wal.display()
        );
    }
    // A backup an earlier binary took is fine: `lienhe run` migrates it.
    let checked = check_earlier(from)
        .await
        .map_err(|e| anyhow::anyhow!("{} is not a good backup: {e}", from.display()))?;
    let stamp = now.format("%Y%m%d%H%M%S").to_string();
    // Copied next to its place, then renamed: never a half-copied database.
    let partial = companion(db, &format!(".restoring-{stamp}"));
    let copy = {
        let (from, partial) = (from.to_path_buf(), partial.clone());
        tokio::task::spawn_blocking(move || copy_private(&from, &partial))
    };
    let prepared = async {
        copy.await??;
        let erased_again = erase_again(&partial, db, now).await?;
        skip_ids(&partial).await?;
        anyhow::Ok(erased_again)
    };
    let (erased_again, erasures_unread) = match prepared.await {
        Ok(erased_again) => erased_again,
        Err(err) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(companion(&partial, suffix));
            }
            anyhow::bail!("cannot copy {} to {}: {err}", from.display(), db.display());
        }
    };
    let db = db.to_path_buf();
    let moved = tokio::task::spawn_blocking(move || put_in_place(&partial, &db, &stamp)).await?;
    Ok(Restored {
        checked,
        moved: moved?,
        erased_again,
        erasures_unread,
    })
}

/// Refuses a `from` that is the database being replaced or one of its
/// files (`-wal`, `-shm`, `-journal`, `.lock`), however the path reaches it: a symlink, `..`, a
/// hard link. Before, the database itself was "restored" onto itself: the
/// command said it restored, moved the database aside and changed nothing
/// an operator meant to bring back.
fn refuse_the_database_itself(from: &Path, db: &Path) -> anyhow::Result<()> {
    let Ok(source) = std::fs::metadata(from) else {
        // Named by the check that follows.
        return Ok(());
    };
    let from_path = super::lock::resolved(from);
    for suffix in ["", "-wal", "-shm", "-journal", ".lock"] {
        let file = companion(db, suffix);
        if from_path == file || std::fs::metadata(&file).is_ok_and(|m| same_file(&m, &source)) {
            anyhow::bail!(
                "{} is the database (or one of its files) that a restore replaces, not a backup: \
                 name a file lienhe backup wrote",
                from.display()
            );
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Removes the copies a restore cut short left next to the database
/// (`<db>.restoring-STAMP` and its `-wal`, `-shm`; the process killed
/// while copying or preparing it): each a whole or partial copy of the
/// members' personal data that nothing else would remove. Only a restore
/// makes them, and it holds the database's lock.
fn remove_cut_short(db: &Path) {
    let (Some(dir), Some(name)) = (db.parent(), db.file_name()) else {
        return;
    };
    let mut prefix = name.to_os_string();
    prefix.push(".restoring-");
    let prefix = prefix.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => tracing::warn!(
                    file = %entry.path().display(),
                    "removed the copy a restore cut short left"
                ),
                Err(err) => tracing::warn!(
                    file = %entry.path().display(),
                    %err,
                    "cannot remove the copy a restore cut short left"
                ),
            }
        }
    }
}

/// A restore never brings back what someone asked to be erased: each user
/// the database being replaced (`current`) had erased (`/forgetme`) later
/// than the restored copy did, or at all, is erased again in the copy
/// (migrated to this binary), in the same audited transaction `/forgetme`
/// makes; nobody is told again (they were told then). Returns how many,
/// and why the database being replaced could not be read, if it could not
/// (damaged: the restore goes on, and says that nobody was erased again;
/// before, it said nothing, as if nobody had asked).
async fn erase_again(
    copy: &Path,
    current: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, Option<String>)> {
    if !current.is_file() {
        return Ok((0, None));
    }
    let erased: Vec<(i64, DateTime<Utc>)> = {
        let pool = match open_read_only(current).await {
            Ok(pool) => pool,
            Err(e) => return Ok((0, Some(e.to_string()))),
        };
        let read = sqlx::query_as(
            "SELECT id, forgotten_at FROM users WHERE forgotten_at IS NOT NULL ORDER BY id",
        )
        .fetch_all(&pool)
        .await;
        pool.close().await;
        match read {
            Ok(erased) => erased,
            // A database from before erasure existed (or an empty file)
            // has nobody erased.
            Err(sqlx::Error::Database(e))
                if e.message().contains("no such column: forgotten_at")
                    || e.message().contains("no such table: users") =>
            {
                Vec::new()
            }
            Err(e) => return Ok((0, Some(e.to_string()))),
        }
    };
    if erased.is_empty() {
        return Ok((0, None));
    }
    let pool = super::open(&format!("sqlite://{}", copy.display())).await?;
    let mut again = 0;
    for (user, at) in erased {
        let before: Option<Option<DateTime<Utc>>> =
            sqlx::query_scalar("SELECT forgotten_at FROM users WHERE id = ?")
                .bind(user)
                .fetch_optional(&pool)
                .await?;
        // Not in the copy (first seen after the backup), or erased there
        // as late already.
        let Some(before) = before else { continue };
        if before.is_some_and(|b| b >= at) {
            continue;
        }
        super::personal::forget(
            &pool,
            user,
            now,
            |_| None,
            |_, _, _| Vec::new(),
            |_, _| None,
            |_| None,
        )
        .await?;
        again += 1;
    }
    pool.close().await;
    Ok((again, None))
}

/// Copies `from` to the new owner-only file `to`, on disk.
fn copy_private(from: &Path, to: &Path) -> anyhow::Result<()> {
    create_private(to)?;
    let mut source = std::fs::File::open(from)?;
    let mut target = std::fs::OpenOptions::new().write(true).open(to)?;
    std::io::copy(&mut source, &mut target)?;
    target.sync_all()?;
    Ok(())
}

/// In a restored copy, migrated to this binary, the ids of everything a
/// button names (join requests, reports, sheets, meetings, comment
/// requests, introductions, roster uploads) go on well past any the
/// database had: those given out after the backup was taken are on
/// messages in people's chats, and an old button must never name a new
/// item (see `store::next_id!`). The gap is the larger of 10,000 and the
/// largest id itself.
async fn skip_ids(file: &Path) -> anyhow::Result<()> {
    let pool = super::open(&format!("sqlite://{}", file.display())).await?;
    let skipped = sqlx::raw_sql(concat!(
        "BEGIN IMMEDIATE;",
        skip_ids_of!("memberships"),
        skip_ids_of!("reports"),
        skip_ids_of!("sheets"),
        skip_ids_of!("meetings"),
        skip_ids_of!("comment_requests"),
        skip_ids_of!("introductions"),
        skip_ids_of!("roster_uploads"),
        skip_ids_of!("cells"),
        skip_ids_of!("invites"),
        skip_ids_of!("cell_imports"),
        "COMMIT;"
    ))
    .execute(&pool)
    .await;
    // The copy is one file again (its write-ahead log folded in) before it
    // is renamed into place.
    let folded = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await;
    pool.close().await;
    skipped?;
    folded?;
    let wal = companion(file, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        anyhow::bail!("{} was left with data in it", wal.display());
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(companion(file, suffix));
    }
    Ok(())
}

/// Moves the database `db` (and its companions) aside and renames the
/// prepared copy `partial` into its place; on failure the copy goes and
/// what was moved aside comes back.
fn put_in_place(partial: &Path, db: &Path, stamp: &str) -> anyhow::Result<Vec<(PathBuf, PathBuf)>> {
    let mut moved = Vec::new();
    let result = swap_in(partial, db, stamp, &mut moved);
    if result.is_err() {
        let _ = std::fs::remove_file(partial);
        for (old, new) in moved.iter().rev() {
            let _ = std::fs::rename(new, old);
        }
    }
    result.map(|()| moved)
}

fn swap_in(
    partial: &Path,
    db: &Path,
    stamp: &str,
    moved: &mut Vec<(PathBuf, PathBuf)>,
) -> anyhow::Result<()> {
    let aside = companion(db, &format!(".replaced-{stamp}"));
    for suffix in ["", "-wal", "-shm"] {
        let (old, new) = (companion(db, suffix), companion(&aside, suffix));
        if old.exists() {
            if new.exists() {
                anyhow::bail!("{} exists already: not moving over it", new.display());
            }
            std::fs::rename(&old, &new).map_err(|e| {
                anyhow::anyhow!("cannot move {} to {}: {e}", old.display(), new.display())
            })?;
            moved.push((old, new));
        }
    }
    std::fs::rename(partial, db)
        .map_err(|e| anyhow::anyhow!("cannot put {} in place: {e}", db.display()))?;
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::store::{self, audit::Entry};

    async fn database(dir: &Path) -> (PathBuf, Pool) {
        let file = dir.join("live.db");
        let pool = store::open(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        for i in 0..3 {
            let mut tx = store::tx::begin(&pool).await.unwrap();
            audit::append(
                &mut tx,
                Entry {
                    actor: Some(i),
                    action: "test",
                    subject: "thing",
                    subject_id: i,
                    details: serde_json::json!({}),
                },
                Utc::now(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        (file, pool)
    }

    #[tokio::test]
    async fn a_backup_is_private_checked_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let (file, pool) = database(dir.path()).await;
        let out = dir.path().join("copy.db");
        let checked = backup(&file, &out).await.unwrap();
        assert_eq!(checked.entries, 3);
        assert_eq!(checked.head.len(), 64);
        assert_eq!(checked.size, std::fs::metadata(&out).unwrap().len());
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // No companions were left next to the copy by its check.
        assert!(!companion(&out, "-wal").exists());
        let again = backup(&file, &out).await.unwrap_err().to_string();
        assert!(again.contains("exists already"), "{again}");
        assert!(out.exists(), "the existing file is left alone");
        pool.close().await;
    }

    #[tokio::test]
    async fn a_copy_with_a_broken_chain_fails_its_check() {
        let dir = tempfile::tempdir().unwrap();
        let (file, pool) = database(dir.path()).await;
        // As somebody with the file would: past the append-only trigger.
        sqlx::query("DROP TRIGGER audit_log_append_only_update")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET details = '{\"x\":1}' WHERE id = 2")
            .execute(&pool)
            .await
            .unwrap();
        let out = dir.path().join("copy.db");
        let err = format!("{:#}", backup(&file, &out).await.unwrap_err());
        assert!(err.contains("audit log is broken at entry 2"), "{err}");
        assert!(!out.exists(), "the failed copy was removed");
        assert!(!companion(&out, ".partial").exists());
        pool.close().await;
    }

    #[tokio::test]
    async fn a_partial_copy_left_by_a_killed_attempt_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (file, pool) = database(dir.path()).await;
        let out = dir.path().join("lienhe-2026-12-02.db");
        // What `kill -9` in the middle of the snapshot leaves.
        let partial = companion(&out, ".partial");
        std::fs::write(&partial, b"SQLite format 3\0half").unwrap();
        let checked = backup(&file, &out).await.unwrap();
        assert_eq!(checked.entries, 3);
        assert!(out.exists());
        assert!(!partial.exists(), "nothing left beside the backup");
        pool.close().await;
    }

    #[tokio::test]
    async fn a_copy_without_a_migration_fails_its_check() {
        let dir = tempfile::tempdir().unwrap();
        let (file, pool) = database(dir.path()).await;
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
            .execute(&pool)
            .await
            .unwrap();
        let out = dir.path().join("copy.db");
        let err = format!("{:#}", backup(&file, &out).await.unwrap_err());
        assert!(err.contains("missing"), "{err}");
        assert!(!out.exists());
        pool.close().await;
    }

    #[tokio::test]
    async fn a_restore_moves_the_old_files_aside_and_puts_the_copy_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let (file, pool) = database(dir.path()).await;
        let out = dir.path().join("copy.db");
        backup(&file, &out).await.unwrap();
        pool.close().await;
        // A file that is no database is refused before anything moves.
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"not a database at all").unwrap();
        assert!(restore(&junk, &file, Utc::now()).await.is_err());
        assert!(file.exists());
        let now = Utc::now();
        let done = restore(&out, &file, now).await.unwrap();
        assert_eq!(done.checked.entries, 3);
        assert!(!done.moved.is_empty());
        let aside = companion(&file, &format!(".replaced-{}", now.format("%Y%m%d%H%M%S")));
        assert!(aside.exists());
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(check(&file).await.unwrap().entries, 3);
        // The ids given out after the backup (on cards in chats) are never
        // given out again: new items start past a gap.
        let pool = store::open(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        for table in [
            "memberships",
            "reports",
            "sheets",
            "meetings",
            "comment_requests",
            "introductions",
            "roster_uploads",
        ] {
            let next: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT last FROM retired_ids WHERE tbl = '{table}'"
            )))
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(next, 10_000, "{table}");
        }
        pool.close().await;
    }

    #[tokio::test]
    async fn a_backup_an_earlier_binary_took_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let (file, pool) = database(dir.path()).await;
        let out = dir.path().join("copy.db");
        backup(&file, &out).await.unwrap();
        pool.close().await;
        // Taken before ids were kept (migration 55, `retired_ids`) and the
        // one after it: this binary adds them.
        let older = store::open(&format!("sqlite://{}", out.display()))
            .await
            .unwrap();
        sqlx::raw_sql(
            "DROP TRIGGER memberships_retire_id; DROP TRIGGER reports_retire_id;
             DROP TRIGGER sheets_retire_id; DROP TRIGGER cells_retire_id;
             DROP TRIGGER invites_retire_id; DROP TRIGGER cell_imports_retire_id;
             DROP TABLE retired_ids;
             ALTER TABLE memberships DROP COLUMN exempt_until;
             ALTER TABLE memberships DROP COLUMN exempt_since;
             DROP TRIGGER member_months_insert; DROP TRIGGER member_months_update;
             DROP TRIGGER member_months_delete; ALTER TABLE member_months DROP COLUMN contact;
             ALTER TABLE member_months DROP COLUMN contact_reports;
             ALTER TABLE meeting_invitations DROP COLUMN marked_by;
             ALTER TABLE sheets DROP COLUMN criteria_chosen;
             ALTER TABLE broadcasts DROP COLUMN pruned_sent;
             ALTER TABLE broadcasts DROP COLUMN pruned_unreachable;
             ALTER TABLE broadcasts DROP COLUMN pruned_failed;
             ALTER TABLE sheets DROP COLUMN delivered_officers;
             ALTER TABLE reports DROP COLUMN submit_tag;
             DROP TABLE updates_set_aside; DROP INDEX outbox_retrying;
             ALTER TABLE broadcasts DROP COLUMN expires_at; DROP TABLE exemptions;
             DROP INDEX outbox_sheet; DROP TABLE meeting_registers;
             DROP TABLE edited_messages; ALTER TABLE broadcasts DROP COLUMN progress_row;
             ALTER TABLE consents DROP COLUMN withdrawn_at; DROP INDEX memberships_moved_from;
             DROP INDEX sheets_unanswered; ALTER TABLE sheets DROP COLUMN silence_told_for;
             ALTER TABLE broadcasts DROP COLUMN left_meanwhile;
             ALTER TABLE meeting_invitations DROP COLUMN checked_in_earlier;
             ALTER TABLE memberships DROP COLUMN confirm_tag;
             DELETE FROM _sqlx_migrations WHERE version >= 20261206000055;",
        )
        .execute(&older)
        .await
        .unwrap();
        older.close().await;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(companion(&out, suffix));
        }
        let done = restore(&out, &file, Utc::now()).await.unwrap();
        assert_eq!(done.checked.entries, 3);
        assert!(!companion(&file, "-wal").exists(), "one file, put in place");
        // Migrated in place, and its ids go on past the gap all the same.
        let pool = open_read_only(&file).await.unwrap();
        let next: i64 = sqlx::query_scalar("SELECT last FROM retired_ids WHERE tbl = 'reports'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(next, 10_000);
        pool.close().await;
    }
}
