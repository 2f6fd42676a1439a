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
///
/// The chat has a lane of its own: a thread running a single-threaded
/// runtime, apart from the runtime of the caller (where the scheduler and
/// the outbox sender run). Its updates never wait behind a broadcast's
/// work, and a handler's task is resumed on the thread it started on (each
/// reply from SQLite wakes that one thread, not whichever worker is idle:
/// about a fifth less CPU per update than a multi-threaded runtime).
/// Rendering still goes to the blocking pool.
pub async fn serve(
    bot: Bot,
    app: App,
    timeout: Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), polling::StartError> {
    let (done, served) = tokio::sync::oneshot::channel();
    // The lane logs where its caller logs.
    let log = tracing::dispatcher::get_default(Clone::clone);
    std::thread::Builder::new()
        .name("lienhe-chat".into())
        .spawn(move || {
            let result = tracing::dispatcher::with_default(&log, || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(serve_here(bot, app, timeout, stop)),
                    Err(err) => Err(polling::StartError::Runtime(err.to_string())),
                }
            });
            let _ = done.send(result);
        })
        .map_err(|err| polling::StartError::Runtime(err.to_string()))?;
    served.await.unwrap_or_else(|_| {
        Err(polling::StartError::Runtime(
            "the chat's thread ended".into(),
        ))
    })
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
    polling::Poller::new(bot, app, timeout).run(me, stop).await;
    Ok(())
}
