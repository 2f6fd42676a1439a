//! The one way into a write transaction, and the update being handled.
//!
//! Every transaction that writes starts with `BEGIN IMMEDIATE`: it takes the
//! write lock before it reads anything, so SQLite never has to upgrade a
//! read snapshot to a write (the upgrade is what fails under WAL with
//! code 517, or code 5 without waiting for `busy_timeout`). Taking the lock
//! waits up to the pool's `busy_timeout`; if it is still busy, the attempt
//! is repeated a few times with a short backoff before the error goes back
//! to the caller (and from there to the user, who is asked to try again).
//!
//! While a Telegram update is being handled ([`handling`]), every write
//! transaction also records the update's id: the update counts as handled
//! exactly when its first effect is committed, and a redelivery of it is
//! skipped ([`already_handled`]).

use std::{future::Future, time::Duration};

use chrono::{DateTime, Utc};
use sqlx::{
    Arguments, AssertSqlSafe,
    sqlite::{SqliteArguments, SqliteConnection, SqliteRow},
};

use super::Pool;

pub type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

/// Further attempts at taking the write lock after `busy_timeout` ran out.
const RETRIES: u32 = 3;

tokio::task_local! {
    /// The id of the Telegram update this task is handling, and when it came.
    static HANDLING: (i64, DateTime<Utc>);
}

/// Runs `work` as the handling of one update: every write transaction it
/// opens records the update as handled.
pub async fn handling<F: Future>(update_id: i64, now: DateTime<Utc>, work: F) -> F::Output {
    HANDLING.scope((update_id, now), work).await
}

/// The updates one of whose writes is waiting to begin (for SQLite's write
/// lock, held by another connection or process), each with its database
/// file: while it is listed the update has passed whatever it checks
/// before it writes.
static WAITING: std::sync::Mutex<Vec<(std::path::PathBuf, i64)>> =
    std::sync::Mutex::new(Vec::new());

/// Whether a write of update `update_id` on this database is waiting to
/// begin now ([`begin`], [`script`] and [`open`] list it while they wait).
/// What a test holding the database waits for before it changes what the
/// update will find, instead of waiting for some time.
pub fn waits_to_write(pool: &Pool, update_id: i64) -> bool {
    let file = pool.connect_options().get_filename().to_path_buf();
    WAITING
        .lock()
        .is_ok_and(|waiting| waiting.iter().any(|(f, id)| *id == update_id && *f == file))
}

/// The update being handled, listed in [`WAITING`] until dropped.
struct Waiting(Option<(std::path::PathBuf, i64)>);

impl Waiting {
    fn now(pool: &Pool) -> Waiting {
        let Ok((update_id, _)) = HANDLING.try_with(|h| *h) else {
            return Waiting(None);
        };
        let entry = (
            pool.connect_options().get_filename().to_path_buf(),
            update_id,
        );
        if let Ok(mut waiting) = WAITING.lock() {
            waiting.push(entry.clone());
        }
        Waiting(Some(entry))
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Some(entry) = self.0.take()
            && let Ok(mut waiting) = WAITING.lock()
            && let Some(at) = waiting.iter().position(|e| *e == entry)
        {
            waiting.swap_remove(at);
        }
    }
}

/// Whether an effect of this update was already committed (a redelivery).
pub async fn already_handled(pool: &Pool, update_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM processed_updates WHERE update_id = ?)")
        .bind(update_id)
        .fetch_one(pool)
        .await
}

/// The highest update id recorded as handled (-1 if none).
pub async fn highest_handled(pool: &Pool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(update_id), -1) FROM processed_updates")
        .fetch_one(pool)
        .await
}

/// Whether an error is SQLite's "busy" or "locked" (any extended code).
pub fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6)),
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// Records the update being handled (arguments: its id, when it came).
const RECORD_UPDATE: &str = "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)
     ON CONFLICT DO NOTHING";

/// Whether a failed attempt at a write is worth another: the database was
/// busy and attempts are left (counted in `attempt`). Waits before saying
/// yes.
async fn again_after(err: &sqlx::Error, attempt: &mut u32) -> bool {
    if !is_busy(err) || *attempt >= RETRIES {
        return false;
    }
    *attempt += 1;
    tracing::warn!(%err, attempt = *attempt, "database busy, trying again");
    tokio::time::sleep(Duration::from_millis(50 << *attempt)).await;
    true
}

/// A single statement outside a transaction (`write` makes it anew at each
/// attempt), retrying a busy database like [`begin`].
pub async fn retrying<T, F, Fut>(write: F) -> sqlx::Result<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = sqlx::Result<T>>,
{
    let mut attempt = 0;
    loop {
        match write().await {
            Ok(done) => return Ok(done),
            Err(err) => {
                if !again_after(&err, &mut attempt).await {
                    return Err(err);
                }
            }
        }
    }
}

/// Opens a write transaction (`BEGIN IMMEDIATE`), retrying a busy database
/// a few times. Inside an update's handling, records the update as handled
/// in the same transaction.
pub async fn begin(pool: &Pool) -> sqlx::Result<Tx> {
    let mut tx = begin_aside(pool).await?;
    if let Ok((update_id, at)) = HANDLING.try_with(|h| *h) {
        sqlx::query(RECORD_UPDATE)
            .bind(update_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

/// A write transaction that is not the effect of the update being handled
/// (bookkeeping before it, such as a notice shown once): like [`begin`],
/// but it does not record the update, which still counts as handled only
/// once its own effect is committed.
pub async fn begin_aside(pool: &Pool) -> sqlx::Result<Tx> {
    let _waiting = Waiting::now(pool);
    let mut attempt = 0;
    loop {
        #[allow(clippy::disallowed_methods)] // the one allowed way in
        let result = pool.begin_with("BEGIN IMMEDIATE").await;
        match result {
            Ok(tx) => return Ok(tx),
            Err(err) => {
                if !again_after(&err, &mut attempt).await {
                    return Err(err);
                }
            }
        }
    }
}

/// The query a script binds its arguments to.
pub type ScriptQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, SqliteArguments>;

/// A write whose statements need nothing read in between, sent to SQLite
/// at once: `BEGIN IMMEDIATE`, `statements`, the update being handled (if
/// any), `COMMIT`. One round trip to the connection's thread instead of
/// one per statement (each costs both threads a sleep and a wake-up).
/// `bind` binds the statements' arguments in order (`?` placeholders
/// only), at each attempt. It says nothing of the rows each statement
/// changed (SQLite's count for the script is no answer to that: `BEGIN`
/// and `COMMIT` repeat the connection's last change): to know it, read the
/// row, or write it with a single statement.
///
/// A failure is rolled back on the same connection before it goes back to
/// the pool; a script dropped half-way closes its connection instead (it
/// might hold the transaction open). A busy database is retried like
/// [`begin`].
pub async fn script<'q>(
    pool: &Pool,
    statements: &str,
    bind: impl Fn(ScriptQuery<'q>) -> ScriptQuery<'q>,
) -> sqlx::Result<()> {
    let statements = statements.trim().trim_end_matches(';');
    let handling = HANDLING.try_with(|h| *h).ok();
    let sql = match handling {
        Some(_) => format!("BEGIN IMMEDIATE; {statements}; {RECORD_UPDATE}; COMMIT"),
        None => format!("BEGIN IMMEDIATE; {statements}; COMMIT"),
    };
    let _waiting = Waiting::now(pool);
    let mut attempt = 0;
    loop {
        let mut held = Held(Some(pool.acquire().await?));
        let conn = held.0.as_mut().expect("just acquired");
        let mut query = bind(sqlx::query(sqlx::AssertSqlSafe(sql.clone())));
        if let Some((update_id, at)) = handling {
            query = query.bind(update_id).bind(at);
        }
        let result = query.execute(&mut **conn).await;
        if result.is_err() {
            // Nothing of it stays; "no transaction is active" when the
            // failure was BEGIN's own.
            let _ = sqlx::query("ROLLBACK").execute(&mut **conn).await;
        }
        held.release();
        match result {
            Ok(_) => return Ok(()),
            Err(err) => {
                if !again_after(&err, &mut attempt).await {
                    return Err(err);
                }
            }
        }
    }
}

/// A connection a script runs on: back to the pool when the script is
/// done with it ([`Held::release`]), closed if the script was dropped
/// before.
struct Held(Option<sqlx::pool::PoolConnection<sqlx::Sqlite>>);

impl Held {
    fn release(&mut self) {
        self.0.take();
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(conn) = &mut self.0 {
            conn.close_on_drop();
        }
    }
}

/// Statements sent to SQLite in one round trip, with their arguments:
/// `?` placeholders only (a numbered one would count from the batch's first
/// argument, not its statement's), bound in the order they are pushed.
#[derive(Default, Clone)]
pub struct Batch {
    sql: String,
    args: SqliteArguments,
    /// Why an argument could not be encoded (returned when sent).
    bad: Option<String>,
}

impl Batch {
    /// Appends a statement.
    pub fn push(&mut self, statement: &str) -> &mut Self {
        if !self.sql.is_empty() {
            self.sql.push_str(";\n");
        }
        self.sql.push_str(statement.trim().trim_end_matches(';'));
        self
    }

    /// Binds the next `?`.
    pub fn bind<'q, T>(&mut self, value: T) -> &mut Self
    where
        T: sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + 'q,
    {
        if let Err(err) = self.args.add(value) {
            self.bad.get_or_insert(err.to_string());
        }
        self
    }

    /// Runs the statements on `conn` in one round trip; the rows of those
    /// that return any, in order.
    pub async fn run_on(&self, conn: &mut SqliteConnection) -> sqlx::Result<Vec<SqliteRow>> {
        if let Some(bad) = &self.bad {
            return Err(sqlx::Error::Encode(bad.clone().into()));
        }
        if self.sql.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_with(AssertSqlSafe(self.sql.clone()), self.args.clone())
            .fetch_all(conn)
            .await
    }
}

/// A write transaction sent in batches on one connection, for a write that
/// needs something it wrote back before it goes on ([`open`]). A batch that
/// fails rolls the whole transaction back; one dropped before its commit
/// closes its connection (it may hold the transaction open).
pub struct Open(Held);

/// Opens a write transaction with its first batch in the same round trip:
/// `BEGIN IMMEDIATE`, the update being handled (if any), then what `first`
/// pushes. A busy database is retried like [`begin`].
pub async fn open(pool: &Pool, first: impl Fn(&mut Batch)) -> sqlx::Result<(Open, Vec<SqliteRow>)> {
    let mut batch = Batch::default();
    batch.push("BEGIN IMMEDIATE");
    if let Ok((update_id, at)) = HANDLING.try_with(|h| *h) {
        batch.push(RECORD_UPDATE).bind(update_id).bind(at);
    }
    first(&mut batch);
    let _waiting = Waiting::now(pool);
    let mut attempt = 0;
    loop {
        let mut open = Open(Held(Some(pool.acquire().await?)));
        match open.run(&batch).await {
            Ok(rows) => return Ok((open, rows)),
            Err(err) => {
                if !again_after(&err, &mut attempt).await {
                    return Err(err);
                }
            }
        }
    }
}

impl Open {
    /// Sends `batch` inside the transaction; on failure the transaction is
    /// rolled back and the connection goes back to the pool.
    pub async fn run(&mut self, batch: &Batch) -> sqlx::Result<Vec<SqliteRow>> {
        let conn = self.conn()?;
        let result = batch.run_on(conn).await;
        if result.is_err() {
            // "No transaction is active" when the failure was BEGIN's own.
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            self.0.release();
        }
        result
    }

    /// The transaction's connection, for a statement of its own (one that
    /// fails leaves the transaction to be dropped, which closes it).
    pub fn conn(&mut self) -> sqlx::Result<&mut SqliteConnection> {
        match self.0.0.as_mut() {
            Some(conn) => Ok(conn),
            None => Err(sqlx::Error::Protocol("the transaction has ended".into())),
        }
    }

    /// Sends `last` and commits, in one round trip.
    pub async fn commit(mut self, mut last: Batch) -> sqlx::Result<()> {
        last.push("COMMIT");
        self.run(&last).await?;
        self.0.release();
        Ok(())
    }

    /// Undoes everything the transaction wrote.
    pub async fn rollback(mut self) -> sqlx::Result<()> {
        let mut rollback = Batch::default();
        rollback.push("ROLLBACK");
        self.run(&rollback).await?;
        self.0.release();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_inside_handling_records_the_update() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc::now();
        assert!(!already_handled(&pool, 7).await.unwrap());
        // Reading alone records nothing.
        handling(7, now, async {
            already_handled(&pool, 7).await.unwrap();
        })
        .await;
        assert!(!already_handled(&pool, 7).await.unwrap());
        // A rolled-back write records nothing either.
        handling(7, now, async {
            let tx = begin(&pool).await.unwrap();
            tx.rollback().await.unwrap();
        })
        .await;
        assert!(!already_handled(&pool, 7).await.unwrap());
        handling(7, now, async {
            let tx = begin(&pool).await.unwrap();
            tx.commit().await.unwrap();
        })
        .await;
        assert!(already_handled(&pool, 7).await.unwrap());
        // A write aside (bookkeeping before the effect) records nothing.
        handling(8, now, async {
            begin_aside(&pool).await.unwrap().commit().await.unwrap();
        })
        .await;
        assert!(!already_handled(&pool, 8).await.unwrap());
        // Outside handling, a write records no update.
        begin(&pool).await.unwrap().commit().await.unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM processed_updates")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(count, 1);
    }

    #[tokio::test]
    async fn a_script_writes_all_or_nothing_with_its_update() {
        let (_dir, pool) = crate::store::scratch().await;
        sqlx::query("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        let two = "INSERT INTO t VALUES (?); INSERT INTO t VALUES (?);";
        handling(9, Utc::now(), script(&pool, two, |q| q.bind(1).bind(2)))
            .await
            .unwrap();
        assert!(already_handled(&pool, 9).await.unwrap());
        // The second statement fails (1 is taken): the first is undone, the
        // update is not recorded, and no connection keeps the transaction
        // (the writers below would wait for it and fail).
        let failed = handling(10, Utc::now(), script(&pool, two, |q| q.bind(3).bind(1))).await;
        assert!(failed.is_err());
        assert!(!already_handled(&pool, 10).await.unwrap());
        let ns: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(ns, [1, 2]);
        for n in 10..20 {
            script(&pool, two, |q| q.bind(n).bind(n + 100))
                .await
                .unwrap();
        }
        assert_eq!(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM t")
                .fetch_one(&pool)
                .await
                .unwrap(),
            22
        );
    }

    #[tokio::test]
    async fn a_transaction_in_batches_commits_all_or_nothing_with_its_update() {
        let (_dir, pool) = crate::store::scratch().await;
        sqlx::query("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM t")
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        let insert = |b: &mut Batch, n: i64| {
            b.push("INSERT INTO t VALUES (?) RETURNING n").bind(n);
        };
        // Opened, read back, committed with more: one update recorded.
        handling(11, Utc::now(), async {
            let (mut tx, rows) = open(&pool, |b| insert(b, 1)).await.unwrap();
            assert_eq!(rows.len(), 1);
            let mut more = Batch::default();
            insert(&mut more, 2);
            insert(&mut more, 3);
            assert_eq!(tx.run(&more).await.unwrap().len(), 2);
            let mut last = Batch::default();
            insert(&mut last, 4);
            tx.commit(last).await.unwrap();
        })
        .await;
        assert!(already_handled(&pool, 11).await.unwrap());
        assert_eq!(count().await, 4);
        // A batch that fails undoes the whole transaction and ends it.
        handling(12, Utc::now(), async {
            let (mut tx, _) = open(&pool, |b| insert(b, 5)).await.unwrap();
            let mut taken = Batch::default();
            insert(&mut taken, 6);
            insert(&mut taken, 1);
            assert!(tx.run(&taken).await.is_err());
            assert!(tx.run(&Batch::default()).await.is_err(), "ended");
        })
        .await;
        // Rolled back, or dropped half-way: nothing stays, nothing is held.
        handling(13, Utc::now(), async {
            let (tx, _) = open(&pool, |b| insert(b, 7)).await.unwrap();
            tx.rollback().await.unwrap();
            let (_dropped, _) = open(&pool, |b| insert(b, 8)).await.unwrap();
        })
        .await;
        assert!(!already_handled(&pool, 12).await.unwrap());
        assert!(!already_handled(&pool, 13).await.unwrap());
        assert_eq!(count().await, 4);
        // The write lock is free for the next writer.
        let (tx, _) = open(&pool, |b| insert(b, 9)).await.unwrap();
        tx.commit(Batch::default()).await.unwrap();
        assert_eq!(count().await, 5);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_writers_that_read_first_all_commit() {
        let (_dir, pool) = crate::store::scratch().await;
        sqlx::query("CREATE TABLE counter (n INTEGER NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO counter VALUES (0)")
            .execute(&pool)
            .await
            .unwrap();
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move {
                    let mut tx = begin(&pool).await?;
                    let n: i64 = sqlx::query_scalar("SELECT n FROM counter")
                        .fetch_one(&mut *tx)
                        .await?;
                    tokio::task::yield_now().await;
                    sqlx::query("UPDATE counter SET n = ?")
                        .bind(n + 1)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let n: i64 = sqlx::query_scalar("SELECT n FROM counter")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 64, "every read-then-write transaction committed once");
    }
}
