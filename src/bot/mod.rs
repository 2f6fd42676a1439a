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
use teloxide::{
    dispatching::{DefaultKey, Dispatcher, dialogue},
    error_handlers::LoggingErrorHandler,
    prelude::*,
    update_listeners::Polling,
};

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

/// Builds the dispatcher for the real handler tree on this app's database.
pub fn dispatcher(bot: Bot, app: App) -> Dispatcher<Bot, anyhow::Error, DefaultKey> {
    let storage: Arc<DialogueStorage> = SqliteDialogues::new(app.pool.clone(), app.clock.clone());
    Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![app, storage])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text(
            "error while handling an update",
        ))
        .build()
}

/// Long polling with a timeout below teloxide's 17 s HTTP timeout.
pub fn polling(bot: Bot, timeout: Duration) -> Polling<Bot> {
    Polling::builder(bot).timeout(timeout).build()
}

/// Runs the dispatcher until it is shut down (see [`Dispatcher::shutdown_token`]).
pub async fn serve(
    dispatcher: &mut Dispatcher<Bot, anyhow::Error, DefaultKey>,
    bot: Bot,
    timeout: Duration,
) {
    dispatcher
        .dispatch_with_listener(
            polling(bot, timeout),
            LoggingErrorHandler::with_custom_text("error from the update listener"),
        )
        .await;
}
