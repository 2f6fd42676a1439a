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
    file: File,
    pub path: PathBuf,
    db: PathBuf,
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

/// Whether the file open as `file` is the one `path` names now (not
/// deleted, nor replaced by another file of that name).
fn is_named(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Opens (or makes) the lock file and locks it without waiting; a file
/// deleted or replaced between the two is opened again, so the lock held
/// is always on the file the path names.
fn lock_file(lock: &Path, db: &Path) -> Result<File, LockError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    loop {
        let file = options.open(lock).map_err(|err| LockError::Io {
            lock: lock.to_path_buf(),
            err,
        })?;
        match file.try_lock() {
            Ok(()) if is_named(&file, lock) => return Ok(file),
            Ok(()) => continue,
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Held {
                    db: db.to_path_buf(),
                    lock: lock.to_path_buf(),
                });
            }
            Err(TryLockError::Error(err)) => {
                return Err(LockError::Io {
                    lock: lock.to_path_buf(),
                    err,
                });
            }
        }
    }
}

/// Takes the lock of the database file `db` without waiting.
pub fn acquire(db: &Path) -> Result<Held, LockError> {
    let lock = path_for(db);
    let file = lock_file(&lock, db)?;
    Ok(Held {
        file,
        path: lock,
        db: db.to_path_buf(),
    })
}

impl Held {
    /// Keeps the lock on the file its path names: a lock file deleted (by
    /// hand, by a clean-up of the directory) or replaced while the bot runs
    /// would let a second bot start on the same database, so it is made
    /// again and locked. `Ok(true)`: it had to be; `Err(Held)`: another
    /// process took the new file first (a second bot started meanwhile).
    pub fn keep(&mut self) -> Result<bool, LockError> {
        if is_named(&self.file, &self.path) {
            return Ok(false);
        }
        self.file = lock_file(&self.path, &self.db)?;
        Ok(true)
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

    #[test]
    fn a_lock_file_deleted_is_made_again_and_held() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let mut held = acquire(&db).unwrap();
        assert!(!held.keep().unwrap());
        std::fs::remove_file(&held.path).unwrap();
        assert!(held.keep().unwrap());
        assert!(matches!(acquire(&db), Err(LockError::Held { .. })));
        // Taken by another first: the holder is told.
        std::fs::remove_file(&held.path).unwrap();
        let other = acquire(&db).unwrap();
        assert!(matches!(held.keep(), Err(LockError::Held { .. })));
        drop(other);
    }
}
