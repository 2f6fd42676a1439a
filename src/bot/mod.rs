//! The Telegram side: the handler tree, dialogues, keyboards and the
//! callback codec.

pub mod announce;
pub mod callback_data;
pub mod commands;
pub mod context;
pub mod decisions;
pub mod input;
pub mod join;
pub mod keyboards;
pub mod menus;
pub mod overview;
pub mod polling;
pub mod render;
pub mod report;
pub mod schema;
pub mod send;
pub mod sheets;
pub mod state;
pub mod views;

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use teloxide::{dispatching::dialogue, prelude::*};

use crate::{
    clock::SharedClock,
    store::{Pool, dialogues::SqliteDialogues},
};
pub use schema::schema;
use state::State;

pub type HandlerResult = anyhow::Result<()>;
pub type DialogueStorage = SqliteDialogues<State>;
pub type Dialogue = dialogue::Dialogue<State, DialogueStorage>;

/// What every handler needs: the pool, the clock, the time zone, and a
/// way to wake the outbox sender when messages are queued.
#[derive(Clone)]
pub struct App {
    pub pool: Pool,
    pub clock: SharedClock,
    pub tz: Tz,
    pub outbox: Arc<tokio::sync::Notify>,
    /// The first day (month, day) of the year comment sheets may be drafted.
    pub sheets_from: (u32, u32),
}

impl App {
    pub fn new(pool: Pool, clock: SharedClock, tz: Tz) -> Self {
        Self {
            pool,
            clock,
            tz,
            outbox: Arc::new(tokio::sync::Notify::new()),
            sheets_from: (11, 1),
        }
    }

    pub fn with_sheets_from(mut self, month_day: (u32, u32)) -> Self {
        self.sheets_from = month_day;
        self
    }

    /// Tells the sender that the outbox has new rows.
    pub fn wake_sender(&self) {
        self.outbox.notify_one();
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        crate::clock::local_today(self.clock.as_ref(), self.tz)
    }
}

/// Runs the handler tree until `stop` turns true: connects to Telegram
/// (retrying while it cannot be reached), then polls. A refused token is
/// returned as an error.
pub async fn serve(
    bot: Bot,
    app: App,
    timeout: Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), polling::StartError> {
    let me = polling::connect(&bot, stop.clone()).await?;
    tracing::info!(username = me.username(), "connected to Telegram");
    if let Err(err) = menus::set_defaults(&bot).await {
        tracing::warn!(%err, "could not set the command menus");
    }
    polling::Poller::new(bot, app, timeout).run(me, stop).await;
    Ok(())
}
