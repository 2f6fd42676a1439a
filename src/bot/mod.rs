//! The Telegram side: the handler tree, dialogues, keyboards and the
//! callback codec.

pub mod announce;
pub mod cells;
// attendance
pub mod attendance;
pub mod commands;
pub mod consent;
pub mod context;
pub mod decisions;
pub mod input;
// introductions
pub mod introduce;
pub mod introduction;
pub mod join;
pub mod keyboards;
// meetings
pub mod meetings;
pub mod members;
pub mod menus;
pub mod overview;
pub mod pager;
pub mod personal;
pub mod polling;
pub mod profile;
pub mod render;
pub mod report;
pub mod requests;
pub mod roles;
// roster
pub mod roster;
pub mod schema;
pub mod sheets;
pub mod state;
pub mod views;
pub mod years;

use std::time::Duration;

use teloxide::{dispatching::dialogue, prelude::*};

pub use crate::app::App;
use crate::store::dialogues::SqliteDialogues;
pub use schema::schema;
use state::State;

pub type HandlerResult = anyhow::Result<()>;
pub type DialogueStorage = SqliteDialogues<State>;
pub type Dialogue = dialogue::Dialogue<State, DialogueStorage>;

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
