//! Persistence: sqlx queries on one SQLite pool, one file per aggregate.

pub mod audit;
pub mod broadcasts;
pub mod cells;
pub mod decision_messages;
pub mod dialogues;
pub mod documents;
pub mod invites;
pub mod kinds;
pub mod memberships;
pub mod outbox;
pub mod reports;
pub mod sheets;
pub mod tx;
pub mod updates;
pub mod users;
pub mod wards;
pub mod workplaces;
pub mod yearly;

use std::{str::FromStr, time::Duration};

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

pub type Pool = SqlitePool;

/// Opens (creating if missing) the database at `url`, with WAL and foreign
/// keys on, and applies the migrations.
pub async fn open(url: &str) -> anyhow::Result<Pool> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}
