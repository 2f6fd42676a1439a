//! Persistence: sqlx queries on one SQLite pool, one file per aggregate.

/// The id a new row of `$table` takes: one more than any it ever had,
/// deleted rows included (`retired_ids`, kept by triggers): buttons on old
/// messages name rows by id, so an id is never used twice.
macro_rules! next_id {
    ($table:literal) => {
        concat!(
            "(SELECT MAX(COALESCE((SELECT MAX(id) FROM ",
            $table,
            "), 0), COALESCE((SELECT last FROM retired_ids WHERE tbl = '",
            $table,
            "'), 0)) + 1)"
        )
    };
}

/// `pub async fn ever_given(pool, id)` of an aggregate whose rows live in
/// `$table`: whether `id` was ever given to one of them (its row may be
/// gone: deleted, or made after the backup the database was restored
/// from, whose ids a restore skips), where a message of it may still be
/// shown. The doc comments given are the function's.
macro_rules! ever_given {
    ($(#[$doc:meta])* $table:literal) => {
        $(#[$doc])*
        pub async fn ever_given(pool: &$crate::store::Pool, id: i64) -> sqlx::Result<bool> {
            sqlx::query_scalar(concat!("SELECT ? > 0 AND ? < ", next_id!($table)))
                .bind(id)
                .bind(id)
                .fetch_one(pool)
                .await
        }
    };
}

/// SQL: whether user `$user` decides items of cell `$c` (an alias of
/// `cells`): its secretary or deputy, or a supervisor of its ward.
macro_rules! decides_for_cell {
    ($c:literal, $user:literal) => {
        concat!(
            "(",
            $c,
            ".id IN (SELECT cell_id FROM cell_secretaries WHERE user_id = ",
            $user,
            " UNION SELECT cell_id FROM cell_deputies WHERE user_id = ",
            $user,
            ") OR ",
            $c,
            ".ward_id IN (SELECT ward_id FROM ward_supervisors WHERE user_id = ",
            $user,
            "))"
        )
    };
}

/// SQL: whether the user whose id is `$user` (an SQL expression) has
/// erased their data (/forgetme) and not written to the bot since: such an
/// officer keeps the office, but no member's signed sheet, nor a notice
/// about a workplace's request, is sent to them until they act again.
macro_rules! erased_and_away {
    ($user:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM users away WHERE away.id = ",
            $user,
            " AND away.forgotten_at IS NOT NULL
                 AND (away.last_seen_at IS NULL OR away.last_seen_at <= away.forgotten_at))"
        )
    };
}

/// SQL for the exemptions of a membership `m`, as a JSON array of
/// `[since, until]` (Unix seconds, null when not recorded or still held):
/// read with [`exemptions_local`].
macro_rules! exemptions_sql {
    () => {
        "(SELECT json_group_array(json_array(CAST(strftime('%s', e.since) AS INTEGER),
                                             CAST(strftime('%s', e.until) AS INTEGER)))
          FROM exemptions e WHERE e.membership_id = m.id)"
    };
}

/// SQL: whether the membership `m` is exempt for a year whose end (the
/// next year's start, as `yearly::judged_until` gives it) is bound at
/// `$next_year`: exempt now, but not by an exemption begun after the year
/// ended, or exempt when the year ended and lifted since (with a reason).
/// The rule of `domain::review_year::exempt_for_year` and
/// `Exempted::held_at_end_of`, for queries that judge it in SQL.
macro_rules! exempt_for_year_sql {
    ($next_year:literal) => {
        concat!(
            "((m.exempt_reason IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.membership_id = m.id
                               AND e.until IS NULL
                               AND julianday(e.since) >= julianday(",
            $next_year,
            ")))
              OR EXISTS (SELECT 1 FROM exemptions e WHERE e.membership_id = m.id
                         AND e.reason IS NOT NULL
                         AND julianday(e.until) >= julianday(",
            $next_year,
            ")
                         AND (e.since IS NULL OR julianday(e.since) < julianday(",
            $next_year,
            "))))"
        )
    };
}

/// The exemptions read by [`exemptions_sql`], as local dates; one `held`
/// now with no period recorded counts from a start not recorded.
pub fn exemptions_local(
    json: &str,
    held: bool,
    tz: chrono_tz::Tz,
) -> Vec<crate::domain::review_year::Exempted> {
    use crate::domain::review_year::Exempted;
    let spans: Vec<(Option<i64>, Option<i64>)> = serde_json::from_str(json).unwrap_or_default();
    let at = |s: Option<i64>| s.and_then(|s| chrono::DateTime::from_timestamp(s, 0));
    let mut exemptions: Vec<Exempted> = spans
        .into_iter()
        .map(|(since, until)| Exempted::local(at(since), at(until), tz))
        .collect();
    if held && exemptions.iter().all(|e| e.until.is_some()) {
        exemptions.push(Exempted::default());
    }
    exemptions
}

/// SQL for the moment a membership `m` became active: a member who moved
/// counts from the first membership of the chain they moved along (moving
/// twice in a year still counts from the first cell).
macro_rules! active_since_sql {
    () => {
        "CASE WHEN m.moved_from IS NULL THEN COALESCE(m.decided_at, m.requested_at)
         ELSE COALESCE((WITH RECURSIVE chain(moved_from, since, depth) AS (
                            SELECT o.moved_from, COALESCE(o.decided_at, o.requested_at), 1
                            FROM memberships o WHERE o.id = m.moved_from
                            UNION ALL
                            SELECT p.moved_from, COALESCE(p.decided_at, p.requested_at), c.depth + 1
                            FROM memberships p JOIN chain c ON p.id = c.moved_from
                            WHERE c.depth < 100)
                        SELECT since FROM chain ORDER BY depth DESC LIMIT 1),
                       m.decided_at, m.requested_at)
         END"
    };
}

/// SQL joining `s`, the yearly sheet (year bound at `$year`) of the person
/// of membership `m`: a signed one of any of their memberships first, then
/// that of membership `m` itself. A sheet the cell they moved from signed
/// stays theirs (and the new cell writes no second one); a draft an ended
/// membership left behind (a move, or leaving and joining again) is dead
/// (it can no longer go on) and is not theirs: the new membership's sheet
/// is "not started" until its cell opens one.
macro_rules! person_sheet_join {
    ($year:literal) => {
        concat!(
            "LEFT JOIN sheets s ON s.id = (
                 SELECT x.id FROM sheets x JOIN memberships xm ON xm.id = x.membership_id
                 WHERE xm.user_id = m.user_id AND x.year = ",
            $year,
            " AND x.request_id IS NULL
                   AND (x.state = 'signed' OR x.membership_id = m.id)
                 ORDER BY x.state = 'signed' DESC, x.id DESC
                 LIMIT 1)"
        )
    };
}

/// The columns naming a cell's (`$cell`) committee: `secretary` and
/// `deputy` (user ids, NULL when the seat is empty).
macro_rules! committee_columns {
    ($cell:literal) => {
        concat!(
            "(SELECT user_id FROM cell_secretaries WHERE cell_id = ",
            $cell,
            ") AS secretary,
             (SELECT user_id FROM cell_deputies WHERE cell_id = ",
            $cell,
            ") AS deputy"
        )
    };
}

/// The columns saying what a user (`$user`) is to a cell (`$cell`): its
/// committee ([`committee_columns`]) and whether the user supervises its
/// ward (`supervises_ward`). Read at every press that decides something.
macro_rules! committee_facts {
    ($cell:literal, $user:literal) => {
        concat!(
            committee_columns!($cell),
            ",
             EXISTS (SELECT 1 FROM ward_supervisors s JOIN cells c ON c.ward_id = s.ward_id
                     WHERE c.id = ",
            $cell,
            " AND s.user_id = ",
            $user,
            ") AS supervises_ward"
        )
    };
}

/// The columns saying where a user (`$user`) stands with notice version
/// `$version` ([`consents::Standing`]): `agreed` (the highest version
/// agreed to) and `shown` (this version was shown or answered).
macro_rules! notice_standing {
    ($user:literal, $version:literal) => {
        concat!(
            "(SELECT MAX(version) FROM consents
              WHERE user_id = ",
            $user,
            " AND agreed_at IS NOT NULL AND withdrawn_at IS NULL) AS agreed,
             EXISTS (SELECT 1 FROM consents WHERE user_id = ",
            $user,
            " AND version = ",
            $version,
            ") AS shown"
        )
    };
}

/// Ids as a JSON array, for `IN (SELECT value FROM json_each(?))`: one
/// statement (prepared once) for any number of ids.
pub(crate) fn id_list(ids: &[i64]) -> String {
    serde_json::to_string(ids).expect("integers serialize")
}

pub mod audit;
pub mod backup;
pub mod broadcasts;
pub mod cell_imports;
pub mod cells;
pub mod committee;
pub mod consents;
pub mod decision_messages;
pub mod dialogues;
pub mod documents;
pub mod escalations;
pub mod housekeeping;
pub mod introductions;
pub mod invites;
pub mod kinds;
pub mod lock;
pub mod meetings;
pub mod memberships;
pub mod outbox;
pub mod personal;
pub mod reports;
pub mod requests;
pub mod roster;
pub mod sheets;
pub mod tx;
pub mod updates;
pub mod users;
pub mod wards;
pub mod workplaces;
pub mod yearly;

use std::{path::PathBuf, str::FromStr, time::Duration};

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

pub type Pool = SqlitePool;

/// The migrations this binary carries (applied by [`open`]).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A fresh database in a temporary directory, for the store's unit tests
/// (the directory lives as long as the first half of the pair).
#[cfg(test)]
pub(crate) async fn scratch() -> (tempfile::TempDir, Pool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let pool = open(&url).await.unwrap();
    (dir, pool)
}

/// Opens (creating if missing) the database at `url`, with WAL and foreign
/// keys on, and applies the migrations.
///
/// The database file and its `-wal` and `-shm` companions are readable by
/// their owner only (0600): the file is created with that mode before
/// SQLite opens it (SQLite gives the companions the database file's mode),
/// and after opening all three are tightened in case they were more open.
pub async fn open(url: &str) -> anyhow::Result<Pool> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Names are listed in Vietnamese alphabetical order: `COLLATE vi`
        // for cells, wards and workplaces, `COLLATE vi_name` for persons
        // (by the given name first).
        .collation("vi", crate::domain::collation::vietnamese)
        .collation("vi_name", crate::domain::collation::person_name);
    let file = database_file(url, &options);
    if file.is_none() && names_no_file(url, &options) {
        // SQLite would open a private, empty database per connection: the
        // tables made on one are missing on the next ("no such table").
        anyhow::bail!(
            "the database URL {url} names no file: give the database's path, as in \
             sqlite://lienhe.db (DATABASE_URL)"
        );
    }
    if let Some(file) = &file {
        private::create(file)?;
    }
    let shown = file
        .as_ref()
        .map_or_else(|| url.to_string(), |f| f.display().to_string());
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // A file on this machine: no ping before every query.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|err| {
            anyhow::anyhow!(
                "cannot open the database {shown}: {err} (check that it exists and that this user \
                 may read and write it and its directory)"
            )
        })?;
    if let Some(file) = &file {
        private::tighten(file)?;
    }
    MIGRATOR.run(&pool).await.map_err(|err| match err {
        sqlx::migrate::MigrateError::VersionMissing(version) => anyhow::anyhow!(
            "the database {shown} was brought up to date by a newer lienhe (its migration \
             {version} is unknown to this one): run that newer binary, or restore a backup taken \
             before the upgrade"
        ),
        other => anyhow::anyhow!("cannot bring the database {shown} up to date: {other}"),
    })?;
    // Workplaces registered before their folded key existed (a database on
    // disk: a new in-memory one has none, and each of its connections
    // would be a database of its own).
    if file.is_some() {
        workplaces::fill_folds(&pool).await?;
    }
    Ok(pool)
}

/// The database's file on disk; `None` for an in-memory database.
pub(crate) fn database_file(url: &str, options: &SqliteConnectOptions) -> Option<PathBuf> {
    let in_memory = url.split_once('?').is_some_and(|(_, query)| {
        url::form_urlencoded::parse(query.as_bytes())
            .any(|(key, value)| key == "mode" && value == "memory")
    });
    let file = options.get_filename();
    let name = file.to_string_lossy();
    // sqlx names an in-memory database `file:sqlx-in-memory-N`.
    if in_memory || name.is_empty() || name == ":memory:" || name.starts_with("file:") {
        return None;
    }
    Some(file.to_path_buf())
}

/// True for a URL with no file name that does not ask for memory either
/// (`sqlite://`, `sqlite:`).
fn names_no_file(url: &str, options: &SqliteConnectOptions) -> bool {
    let memory = url.contains(":memory:") || url.contains("mode=memory");
    !memory && options.get_filename().as_os_str().is_empty()
}

/// Owner-only permissions on the database and its companions.
mod private {
    use std::path::Path;

    /// Creates the database file with mode 0600 if it does not exist yet.
    #[cfg(unix)]
    pub fn create(file: &Path) -> anyhow::Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(file)
        {
            Ok(_) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(err) => Err(anyhow::anyhow!("cannot create {}: {err}", file.display())),
        }
    }

    #[cfg(not(unix))]
    pub fn create(_file: &Path) -> anyhow::Result<()> {
        Ok(())
    }

    /// Takes group and other permissions off the database file, its `-wal`
    /// and its `-shm`, where they exist.
    #[cfg(unix)]
    pub fn tighten(file: &Path) -> anyhow::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            let path = Path::new(&name);
            let Ok(meta) = std::fs::metadata(path) else {
                continue;
            };
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))
                    .map_err(|err| {
                        anyhow::anyhow!("cannot restrict {} to its owner: {err}", path.display())
                    })?;
                tracing::info!(file = %path.display(), "made the database file owner-only");
            }
        }
        Ok(())
    }

    #[cfg(not(unix))]
    pub fn tighten(_file: &Path) -> anyhow::Result<()> {
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn a_fresh_database_and_its_companions_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("fresh.db");
        let pool = open(&format!("sqlite://{}", db.display())).await.unwrap();
        // A write, so the WAL certainly exists.
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&pool)
            .await
            .unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let path = dir.path().join(format!("fresh.db{suffix}"));
            assert!(path.exists(), "{} exists", path.display());
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        pool.close().await;
    }

    #[tokio::test]
    async fn an_existing_database_open_to_others_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        let url = format!("sqlite://{}", db.display());
        open(&url).await.unwrap().close().await;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        let pool = open(&url).await.unwrap();
        assert_eq!(mode(&db), 0o600);
        // SQLite gave the companions the database's old mode; they are
        // tightened too.
        for suffix in ["-wal", "-shm"] {
            let path = dir.path().join(format!("old.db{suffix}"));
            assert!(path.exists(), "{} exists", path.display());
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        pool.close().await;
    }

    #[tokio::test]
    async fn workplaces_without_a_folded_key_get_one_at_start_and_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("old.db").display());
        let pool = open(&url).await.unwrap();
        // Registered before the folded key existed.
        sqlx::query(
            "INSERT INTO workplaces (name, name_key, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')",
        )
        .bind("Sở Tư pháp tỉnh Nghệ An")
        .bind("sở tư pháp tỉnh nghệ an")
        .execute(&pool)
        .await
        .unwrap();
        workplaces::add(&pool, "Đảng ủy xã Đô Lương", chrono::Utc::now())
            .await
            .unwrap();
        assert!(
            workplaces::search(&pool, "so tu phap", 8)
                .await
                .unwrap()
                .is_empty()
        );
        pool.close().await;
        let pool = open(&url).await.unwrap();
        let found = workplaces::search(&pool, "so tu phap", 8).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Sở Tư pháp tỉnh Nghệ An");
        let found = workplaces::search(&pool, "dang UY do", 8).await.unwrap();
        assert_eq!(found.len(), 1);
        assert!(workplaces::search(&pool, "%", 8).await.unwrap().is_empty());
        assert!(workplaces::search(&pool, "  ", 8).await.unwrap().is_empty());
        pool.close().await;
    }

    #[tokio::test]
    async fn an_in_memory_database_opens() {
        for url in ["sqlite::memory:", "sqlite://ignored.db?mode=memory"] {
            let pool = open(url).await.unwrap();
            sqlx::query("SELECT 1").execute(&pool).await.unwrap();
            pool.close().await;
        }
        assert!(!std::path::Path::new("ignored.db").exists());
    }
}
