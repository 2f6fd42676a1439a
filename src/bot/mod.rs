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
pub mod groups;
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
pub mod reach;
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
use crate::lane::Lane;
use crate::store::dialogues::SqliteDialogues;
pub use schema::schema;
use state::State;

pub type HandlerResult = anyhow::Result<()>;
pub type DialogueStorage = SqliteDialogues<State>;
pub type Dialogue = dialogue::Dialogue<State, DialogueStorage>;

/// Runs the handler tree until `stop` turns true: connects to Telegram
/// (retrying while it cannot be reached), then polls. A refused token is
/// returned as an error.
///
/// The chat has a lane of its own ([`Lane`]), apart from the caller's
/// runtime where the scheduler runs: its updates never wait behind a
/// round's work. `lienhe run` puts the outbox sender on the same lane
/// ([`serve_on`]).
pub async fn serve(
    bot: Bot,
    app: App,
    timeout: Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), polling::StartError> {
    let lane =
        Lane::start("lienhe-chat").map_err(|err| polling::StartError::Runtime(err.to_string()))?;
    serve_on(&lane, bot, app, timeout, stop).await
}

/// [`serve`] on a lane the caller started (and may run other work on).
pub async fn serve_on(
    lane: &Lane,
    bot: Bot,
    app: App,
    timeout: Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), polling::StartError> {
    lane.spawn(serve_here(bot, app, timeout, stop))
        .await
        .unwrap_or_else(|err| Err(polling::StartError::Runtime(err.to_string())))
}

/// [`serve`] on the runtime it is called on.
async fn serve_here(
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
    polling::Poller::new(bot, app, timeout).run(me, stop).await
}
