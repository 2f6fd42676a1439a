//! The running bot's lock: `lienhe run` holds an exclusive lock on
//! `<database file>.lock` for its whole life, so that a second bot on the
//! same database, or a restore, can tell that one is running. The lock is
//! the operating system's (`flock`): it goes with the process, even one
//! killed with SIGKILL.

use std::{
    fs::{File, TryLockError},
    path::{Path, PathBuf},
};

/// A held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct Held {
    _file: File,
    pub path: PathBuf,
}

/// Why the lock could not be had.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another lienhe process is running on {db} (it holds {lock}): stop it first \
         (systemctl stop lienhe, docker stop …)"
    )]
    Held { db: PathBuf, lock: PathBuf },
    #[error("cannot lock {lock}: {err}")]
    Io { lock: PathBuf, err: std::io::Error },
}

/// `<db>.lock`, next to the database file itself: one lock per file,
/// however the path names it (a symlink, `..`, a relative path).
pub fn path_for(db: &Path) -> PathBuf {
    super::backup::companion(&resolved(db), ".lock")
}

/// The database file `db` names, symlinks followed; for a file not made
/// yet, its directory's real path with its name.
pub fn resolved(db: &Path) -> PathBuf {
    if let Ok(file) = std::fs::canonicalize(db) {
        return file;
    }
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty());
    match (
        dir.map_or_else(std::env::current_dir, std::fs::canonicalize),
        db.file_name(),
    ) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => db.to_path_buf(),
    }
}

/// Takes the lock of the database file `db` without waiting.
pub fn acquire(db: &Path) -> Result<Held, LockError> {
    let lock = path_for(db);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&lock).map_err(|err| LockError::Io {
        lock: lock.clone(),
        err,
    })?;
    match file.try_lock() {
        Ok(()) => Ok(Held {
            _file: file,
            path: lock,
        }),
        Err(TryLockError::WouldBlock) => Err(LockError::Held {
            db: db.to_path_buf(),
            lock,
        }),
        Err(TryLockError::Error(err)) => Err(LockError::Io { lock, err }),
    }
}

/// Takes the lock, trying again for up to `patience` while another
/// process holds it (`lienhe doctor` looks at it for an instant; a restore
/// holds it for its few seconds).
pub async fn acquire_within(db: &Path, patience: std::time::Duration) -> Result<Held, LockError> {
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        match acquire(db) {
            Err(LockError::Held { .. }) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let held = acquire(&db).unwrap();
        assert!(matches!(acquire(&db), Err(LockError::Held { .. })));
        drop(held);
        acquire(&db).unwrap();
    }
}
