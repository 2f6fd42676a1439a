//! Our own long-polling loop over `getUpdates`, so that an update is
//! confirmed to Telegram only after it was handled.
//!
//! teloxide's own listener confirms a batch's offset as soon as it has
//! fetched it: a process killed while handlers run loses those updates. Here
//! the offset sent to Telegram never passes an update still being handled,
//! so after a crash Telegram serves it again; the store records the update
//! in the same transaction as its first effect ([`crate::store::tx`]), so a
//! redelivered update whose effect was committed is skipped and one whose
//! effect was not is handled again.
//!
//! Updates of one chat are handled in order, one at a time; different chats
//! are handled concurrently. A handler that fails without having committed
//! anything tells the user, in their language, that nothing was saved.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    ops::ControlFlow,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use teloxide::{
    ApiError, RequestError,
    dispatching::UpdateHandler,
    payloads::GetUpdatesSetters,
    prelude::*,
    types::{AllowedUpdate, Me, Update, UpdateKind},
};
use tokio::sync::{mpsc, watch};

use super::{App, DialogueStorage};
use crate::{domain::Lang, store, telegram::send};

/// What the bot asks Telegram for: messages (and their edits, which are
/// answered that they are not read), button presses, and the bot blocked
/// or unblocked in a private chat.
const ALLOWED_UPDATES: [AllowedUpdate; 4] = [
    AllowedUpdate::Message,
    AllowedUpdate::EditedMessage,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];

/// While updates are being handled, Telegram answers every poll at once
/// with them again (they are unconfirmed): poll then only when all of them
/// are done, or after this long, for new updates from others.
const BUSY_POLL: Duration = Duration::from_millis(100);

/// An update in hand this long (its answer waiting on Telegram, say after
/// a 429 or a 5xx, or on a busy database) is set aside in the database so
/// that the offset can pass it: Telegram serves at most 100 updates from
/// the offset, and with the offset held at a slow update, those behind it
/// would wait for it once 100 are in hand.
const SLOW: Duration = Duration::from_secs(2);

/// Updates in hand beyond which none is set aside: the offset then holds,
/// and Telegram keeps the rest (a bot-wide 429, say, would otherwise let
/// intake grow without bound).
const MOST_IN_HAND: usize = 1_000;

/// Messages of one private chat waiting for its worker beyond which a new
/// message of that chat is not read (a flood: its answers go out at one a
/// second, so this is half a minute behind): the person is told once, in
/// their language, and the message is confirmed unread. Presses and the bot
/// blocked or unblocked are always read, and do not count: a secretary
/// deciding dozens of cards at once is no flood, and the text they type
/// next is read. An album of 10 photos, or many people at once (each their
/// own chat) stay far below it.
const MOST_QUEUED_PER_CHAT: usize = 30;

/// Why the bot cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("Telegram refused the bot token (check TELOXIDE_TOKEN): {0}")]
    TokenRefused(String),
    #[error("stopped before Telegram could be reached")]
    Stopped,
    #[error("the chat's thread failed: {0}")]
    Runtime(String),
}

pub use crate::telegram::send::token_refused;

/// Asks Telegram who the bot is, retrying with backoff while it cannot be
/// reached; a refused token is final.
pub async fn connect(bot: &Bot, mut stop: watch::Receiver<bool>) -> Result<Me, StartError> {
    let mut delay = Duration::from_secs(1);
    loop {
        match bot.get_me().await {
            Ok(me) => return Ok(me),
            Err(err) if token_refused(&err) => {
                return Err(StartError::TokenRefused(err.to_string()));
            }
            Err(err) => {
                tracing::error!(
                    "Telegram unreachable at {}: {err}; check the network, TELOXIDE_API_URL and \
                     TELOXIDE_PROXY; trying again in {} s",
                    crate::config::shown_url(bot.api_url().as_str()),
                    delay.as_secs()
                );
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stop.wait_for(|s| *s) => return Err(StartError::Stopped),
        }
        delay = (delay * 2).min(Duration::from_secs(60));
    }
}

/// Why Telegram refused `getUpdates` with 409 Conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conflict {
    /// A webhook is set: updates go there.
    Webhook,
    /// Another process polls with the same token.
    OtherPoller,
}

fn conflict(err: &RequestError) -> Option<Conflict> {
    match err {
        RequestError::Api(ApiError::CantGetUpdates) => Some(Conflict::Webhook),
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => Some(Conflict::OtherPoller),
        RequestError::Api(ApiError::Unknown(text)) if text.starts_with("Conflict") => {
            Some(if text.contains("webhook") {
                Conflict::Webhook
            } else {
                Conflict::OtherPoller
            })
        }
        _ => None,
    }
}

/// An update as written by `serde_json` (set aside), if it reads back as
/// one: teloxide reads what it cannot parse as an empty "error" update.
fn readable(body: &str) -> Option<Update> {
    serde_json::from_str::<Update>(body)
        .ok()
        .filter(|u| !matches!(u.kind, UpdateKind::Error(_)))
}

/// Whether an update may be left unread in a flood: a message (or its
/// edit) of a private chat. A press, or the bot blocked, is always read.
fn sheddable(update: &Update) -> bool {
    let private = update
        .chat()
        .is_some_and(|c| c.is_private() && update.from().map(|u| u.id.0 as i64) == Some(c.id.0));
    private
        && matches!(
            update.kind,
            UpdateKind::Message(_) | UpdateKind::EditedMessage(_)
        )
}

/// The chat an update belongs to: updates of one key are handled in order.
fn key(update: &Update) -> i64 {
    update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().map(|u| u.id.0 as i64))
        .unwrap_or(0)
}

/// Handles updates with the handler tree until `stop` turns true.
pub struct Poller {
    pub bot: Bot,
    pub app: App,
    pub handler: Arc<UpdateHandler<anyhow::Error>>,
    pub storage: Arc<DialogueStorage>,
    /// The long-polling timeout (below the HTTP client's 17 s).
    pub timeout: Duration,
}

struct Worker {
    /// Updates to handle, each with whether it may be a redelivery of one
    /// already handled (to look up first).
    queue: mpsc::UnboundedSender<(Arc<Update>, bool)>,
    queued: Arc<AtomicUsize>,
    /// Of those, the messages that may be left unread ([`sheddable`]).
    messages: Arc<AtomicUsize>,
    /// A flood's notice, sent by the worker before the next update it
    /// handles (in the chat's turn: sent beside its answers, the two would
    /// take each other's second and the notice could be refused).
    too_fast: mpsc::UnboundedSender<Arc<Update>>,
    /// Whether its person was told that messages sent during this flood
    /// are not read (once, until its queue is empty again).
    told: bool,
}

/// The updates fetched and not yet handled.
#[derive(Default)]
struct InHand {
    /// Each with when it was fetched, and itself (to set it aside).
    updates: BTreeMap<i32, (Instant, Arc<Update>)>,
    /// Those set aside in the database: the offset may pass them.
    aside: BTreeSet<i32>,
    /// Those that cannot be set aside (they would not read back the same):
    /// they hold the offset until handled.
    kept: BTreeSet<i32>,
}

impl InHand {
    fn insert(&mut self, id: i32, update: Arc<Update>) {
        self.updates.insert(id, (Instant::now(), update));
    }

    fn contains(&self, id: i32) -> bool {
        self.updates.contains_key(&id)
    }

    fn is_empty(&self) -> bool {
        self.updates.is_empty()
    }

    /// Whether an update in hand holds the offset back (not set aside).
    fn holds_offset(&self) -> bool {
        self.updates.len() > self.aside.len()
    }

    /// The offset that confirms everything handled or set aside, and
    /// nothing else in hand.
    fn offset(&self, highest: Option<i32>) -> i32 {
        let first = self.updates.keys().find(|id| !self.aside.contains(id));
        match (first, highest) {
            (Some(first), _) => *first,
            (None, Some(highest)) => highest + 1,
            (None, None) => 0,
        }
    }

    /// An update handled; set aside, its row goes.
    async fn done(&mut self, app: &App, id: i32) {
        self.updates.remove(&id);
        self.kept.remove(&id);
        if self.aside.remove(&id)
            && let Err(err) = store::updates::handled_aside(&app.pool, i64::from(id)).await
        {
            // Handled again at the next start: a redelivery, looked up.
            tracing::warn!(%err, update = id, "could not clear an update set aside");
        }
    }

    /// Sets aside the updates in hand for [`SLOW`] or longer, when the
    /// first one holding the offset is one of them.
    async fn set_aside_slow(&mut self, app: &App) {
        let slow = |since: &Instant| since.elapsed() >= SLOW;
        let first = self.updates.iter().find(|(id, _)| !self.aside.contains(id));
        if self.updates.len() >= MOST_IN_HAND
            || !first.is_some_and(|(id, (since, _))| slow(since) && !self.kept.contains(id))
        {
            return;
        }
        let mut rows = Vec::new();
        for (id, (since, update)) in &self.updates {
            if self.aside.contains(id) || self.kept.contains(id) || !slow(since) {
                continue;
            }
            // teloxide writes some updates in a form it cannot read back
            // (a press on a message too old to be shown has no date): such
            // an update is kept in hand, never set aside to be lost.
            match serde_json::to_string(update.as_ref()) {
                Ok(body) if readable(&body).as_ref() == Some(update.as_ref()) => {
                    rows.push((i64::from(*id), body))
                }
                _ => {
                    tracing::info!(
                        update = id,
                        "an update that cannot be set aside is kept in hand"
                    );
                    self.kept.insert(*id);
                }
            }
        }
        if rows.is_empty() {
            return;
        }
        match store::updates::set_aside(&app.pool, &rows, app.now()).await {
            Ok(()) => {
                tracing::info!(
                    updates = rows.len(),
                    "updates slow to handle set aside; those behind them go on"
                );
                self.aside.extend(rows.iter().map(|(id, _)| *id as i32));
            }
            Err(err) => tracing::warn!(%err, "could not set slow updates aside"),
        }
    }
}

impl Poller {
    pub fn new(bot: Bot, app: App, timeout: Duration) -> Self {
        let storage = store::dialogues::SqliteDialogues::new(app.pool.clone(), app.clock.clone());
        Poller {
            bot,
            app,
            handler: Arc::new(super::schema()),
            storage,
            timeout,
        }
    }

    /// Polls and handles until `stop` turns true, then finishes the updates
    /// in hand and confirms them to Telegram. Telegram refusing the token
    /// (revoked while the bot runs) ends it the same way, with that error:
    /// polling again could never succeed.
    pub async fn run(self, me: Me, mut stop: watch::Receiver<bool>) -> Result<(), StartError> {
        let deps = dptree::deps![self.bot.clone(), self.app.clone(), self.storage.clone(), me];
        dptree::type_check(self.handler.sig(), &deps, &[dptree::Type::of::<Update>()]);
        let deps = Arc::new(deps);
        // Only an update at or below the highest one recorded before this
        // start can be a redelivery to look up.
        let mut recorded = store::tx::highest_handled(&self.app.pool)
            .await
            .unwrap_or(i64::MAX);
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<i32>();
        let mut workers: HashMap<i64, Worker> = HashMap::new();
        let mut in_hand = InHand::default();
        // The highest update id fetched so far.
        let mut highest: Option<i32> = None;
        let mut backoff = Duration::from_secs(1);
        let mut refused = None;

        // Updates set aside before a crash (Telegram may have them
        // confirmed): handled first, each looked up (its effect may have
        // been committed), as a redelivery of any of them will be.
        let earlier = store::updates::set_aside_before(&self.app.pool, self.app.now())
            .await
            .unwrap_or_else(|err| {
                tracing::warn!(%err, "cannot read the updates set aside");
                Vec::new()
            });
        for (id, body) in earlier {
            let Some(update) = readable(&body) else {
                tracing::error!(update = id, "an update set aside cannot be read; dropped");
                let _ = store::updates::handled_aside(&self.app.pool, id).await;
                continue;
            };
            recorded = recorded.max(id);
            let update = Arc::new(update);
            in_hand.insert(id as i32, update.clone());
            in_hand.aside.insert(id as i32);
            let worker = workers
                .entry(key(&update))
                .or_insert_with(|| self.spawn_worker(deps.clone(), done_tx.clone()));
            worker.queued.fetch_add(1, Ordering::AcqRel);
            if sheddable(&update) {
                worker.messages.fetch_add(1, Ordering::AcqRel);
            }
            let _ = worker.queue.send((update, true));
        }

        loop {
            while let Ok(id) = done_rx.try_recv() {
                in_hand.done(&self.app, id).await;
            }
            workers.retain(|_, w| w.queued.load(Ordering::Acquire) > 0);
            if *stop.borrow() {
                break;
            }
            in_hand.set_aside_slow(&self.app).await;
            let offset = in_hand.offset(highest);
            // While updates are in hand Telegram answers at once (they are
            // still unconfirmed), so no long poll then.
            let timeout = if !in_hand.holds_offset() {
                self.timeout.as_secs() as u32
            } else {
                0
            };
            let request = self
                .bot
                .get_updates()
                .offset(offset)
                .timeout(timeout)
                .allowed_updates(ALLOWED_UPDATES);
            let result = tokio::select! {
                result = request.send() => result,
                _ = stop.wait_for(|s| *s) => break,
            };
            let updates = match result {
                Ok(updates) => {
                    backoff = Duration::from_secs(1);
                    updates
                }
                Err(err) if token_refused(&err) => {
                    tracing::error!(%err, "Telegram refused the bot token while running; stopping");
                    refused = Some(StartError::TokenRefused(err.to_string()));
                    break;
                }
                Err(err) => {
                    match conflict(&err) {
                        Some(Conflict::Webhook) => {
                            // Updates would go to the webhook and never to us.
                            tracing::warn!(
                                %err,
                                "a webhook is set for this bot: removing it so that polling gets \
                                 the updates (those waiting are kept)"
                            );
                            if let Err(err) = self.bot.delete_webhook().await {
                                tracing::warn!(%err, "could not remove the webhook");
                            }
                        }
                        Some(Conflict::OtherPoller) => tracing::error!(
                            "another process is polling Telegram with this bot's token: only one \
                             lienhe may run per bot; stop the other one"
                        ),
                        None => {}
                    }
                    tracing::warn!(%err, "getUpdates failed; polling again in {} s", backoff.as_secs());
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = stop.wait_for(|s| *s) => break,
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                    continue;
                }
            };
            // Telegram never serves an update below the offset asked for,
            // unless it numbered its updates anew: after a week without any,
            // the next id is chosen at random (and may be lower). Those are
            // new updates, not ones already handled.
            if updates.iter().any(|u| (u.id.0 as i32) < offset) && offset > 0 {
                tracing::info!(
                    offset,
                    "Telegram numbered its updates anew (after a week without any)"
                );
                // Any id up to the old highest is looked up before it is
                // handled: the new numbering's are not found (the old
                // numbering's records, a day old and more, go now),
                // anything already handled is.
                recorded = recorded.max(highest.map_or(-1, i64::from));
                highest = None;
                if let Err(err) =
                    store::updates::forget_old_numbering(&self.app.pool, self.app.now()).await
                {
                    tracing::warn!(%err, "could not forget the old numbering's update ids");
                }
            }
            for update in updates {
                let id = update.id.0 as i32;
                if in_hand.contains(id) {
                    // Set aside before a crash and served again: passed by
                    // the offset from now on.
                    highest = Some(highest.map_or(id, |h| h.max(id)));
                    continue;
                }
                if highest.is_some_and(|h| id <= h) {
                    continue;
                }
                highest = Some(id);
                let update = Arc::new(update);
                let worker = workers
                    .entry(key(&update))
                    .or_insert_with(|| self.spawn_worker(deps.clone(), done_tx.clone()));
                let shed = sheddable(&update);
                if shed && worker.messages.load(Ordering::Acquire) >= MOST_QUEUED_PER_CHAT {
                    // Not in hand: the offset passes it.
                    if !std::mem::replace(&mut worker.told, true) {
                        tracing::warn!(
                            chat = key(&update),
                            "a chat sends faster than it can be answered; its messages are \
                             not read until its answers catch up"
                        );
                        let _ = worker.too_fast.send(update);
                    }
                    continue;
                }
                in_hand.insert(id, update.clone());
                worker.queued.fetch_add(1, Ordering::AcqRel);
                if shed {
                    worker.messages.fetch_add(1, Ordering::AcqRel);
                }
                let look_up = i64::from(id) <= recorded;
                if worker.queue.send((update, look_up)).is_err() {
                    tracing::error!(update = id, "worker gone; the update will be redelivered");
                }
            }
            if in_hand.holds_offset() {
                // Until everything in hand is done (then confirm it and long
                // poll) or a little while has passed (then look for others').
                let pause = tokio::time::sleep(BUSY_POLL);
                tokio::pin!(pause);
                let mut stopping = false;
                while in_hand.holds_offset() {
                    let finished = tokio::select! {
                        Some(id) = done_rx.recv() => id,
                        _ = &mut pause => break,
                        _ = stop.wait_for(|s| *s) => { stopping = true; break }
                    };
                    in_hand.done(&self.app, finished).await;
                }
                if stopping {
                    break;
                }
            }
        }

        // Finish what is in hand, then confirm it.
        drop(workers);
        while !in_hand.is_empty() {
            match done_rx.recv().await {
                Some(id) => in_hand.done(&self.app, id).await,
                None => break,
            }
        }
        if let Some(highest) = highest {
            let confirm = self
                .bot
                .get_updates()
                .offset(highest + 1)
                .limit(1)
                .timeout(0)
                .allowed_updates(ALLOWED_UPDATES)
                .send()
                .await;
            if let Err(err) = confirm {
                tracing::warn!(%err, "could not confirm the last updates; they may come again");
            }
        }
        refused.map_or(Ok(()), Err)
    }

    fn spawn_worker(&self, deps: Arc<DependencyMap>, done: mpsc::UnboundedSender<i32>) -> Worker {
        let (queue, mut rx) = mpsc::unbounded_channel::<(Arc<Update>, bool)>();
        let (too_fast_tx, mut notices) = mpsc::unbounded_channel::<Arc<Update>>();
        let queued = Arc::new(AtomicUsize::new(0));
        let count = queued.clone();
        let messages = Arc::new(AtomicUsize::new(0));
        let messages_left = messages.clone();
        let handler = self.handler.clone();
        let bot = self.bot.clone();
        let app = self.app.clone();
        tokio::spawn(async move {
            loop {
                let next = tokio::select! {
                    biased;
                    Some(update) = notices.recv() => {
                        too_fast(&bot, &app, &update).await;
                        continue;
                    }
                    next = rx.recv() => next,
                };
                let Some((update, look_up)) = next else { break };
                let id = update.id.0 as i32;
                let message = sheddable(&update);
                handle(&bot, &app, &handler, &deps, update, look_up).await;
                if message {
                    messages_left.fetch_sub(1, Ordering::AcqRel);
                }
                count.fetch_sub(1, Ordering::AcqRel);
                let _ = done.send(id);
            }
        });
        Worker {
            queue,
            queued,
            messages,
            too_fast: too_fast_tx,
            told: false,
        }
    }
}

type DependencyMap = dptree::di::DependencyMap;

async fn handle(
    bot: &Bot,
    app: &App,
    handler: &UpdateHandler<anyhow::Error>,
    deps: &DependencyMap,
    update: Arc<Update>,
    look_up: bool,
) {
    let id = update.id.0 as i64;
    if look_up {
        match store::tx::already_handled(&app.pool, id).await {
            Ok(true) => {
                tracing::info!(update = id, "skipping a redelivered update");
                return;
            }
            Ok(false) => {}
            Err(err) => tracing::warn!(%err, update = id, "cannot check for redelivery"),
        }
    }
    let mut deps = deps.clone();
    deps.insert(Update::clone(&update));
    let began = std::time::Instant::now();
    let work = store::tx::handling(id, app.now(), handler.dispatch(deps));
    let outcome = crate::contain::contained(work).await.unwrap_or_else(|why| {
        ControlFlow::Break(Err(anyhow::anyhow!("the handler panicked: {why}")))
    });
    let failed = matches!(outcome, ControlFlow::Break(Err(_)));
    crate::telemetry::update_handled(began.elapsed(), failed);
    let user = update.from().map(|u| u.id.0 as i64);
    let ControlFlow::Break(Err(err)) = outcome else {
        if let Some(user) = user {
            app.update_finished(user, false);
        }
        return;
    };
    tracing::error!(update = id, "error while handling an update: {err:#}");
    // Committed effects stand; only an update that changed nothing is one
    // the user must repeat.
    // The check meets the same contention the handler met: tried again a
    // few times; still unknown, the user is told, never left in silence
    // (what they repeat carries its token: it is not stored twice).
    let mut pause = std::time::Duration::from_millis(200);
    for attempt in 1..=CHECK_ATTEMPTS {
        match store::tx::already_handled(&app.pool, id).await {
            Ok(false) => return apologise(bot, app, &update).await,
            Ok(true) => {
                tracing::info!(update = id, "its first effect was committed");
                // What it was to show after it may not have been shown (a
                // question asked after a button): pressed again, it is.
                if let Some(user) = user {
                    app.update_finished(user, true);
                }
                return;
            }
            Err(err) if attempt < CHECK_ATTEMPTS => {
                tracing::warn!(%err, update = id, attempt, "cannot check the update yet");
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            Err(err) => {
                tracing::warn!(%err, update = id, "cannot check the update; the user is told");
                apologise(bot, app, &update).await;
            }
        }
    }
}

/// How many times a failed update's record is looked for before the user
/// is told it may not have been saved.
const CHECK_ATTEMPTS: u32 = 4;

/// The language to answer the sender of `update` in.
async fn lang_of(app: &App, user: &teloxide::types::User) -> Lang {
    let known = store::users::get(&app.pool, user.id.0 as i64)
        .await
        .ok()
        .flatten()
        .map(|u| u.lang());
    known.unwrap_or_else(|| Lang::from_telegram(user.language_code.as_deref()))
}

/// Tells a person flooding the bot that what they send until its answers
/// catch up is not read.
async fn too_fast(bot: &Bot, app: &App, update: &Update) {
    let Some(user) = update.from() else { return };
    let lang = lang_of(app, user).await;
    let text = crate::t!(lang, "flood-not-read");
    if let Err(err) = send::text(bot, ChatId(user.id.0 as i64), text).await {
        tracing::warn!(%err, "could not tell a flooding chat that its messages are not read");
    }
}

/// Tells the user that what they just did was not saved.
async fn apologise(bot: &Bot, app: &App, update: &Update) {
    let Some(user) = update.from() else { return };
    let lang = lang_of(app, user).await;
    let pressed = match &update.kind {
        UpdateKind::CallbackQuery(q) => Some(q),
        _ => None,
    };
    send::not_saved(bot, lang, ChatId(user.id.0 as i64), pressed).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_never_passes_an_update_in_hand_unless_set_aside() {
        let update: Arc<Update> = Arc::new(
            serde_json::from_value(serde_json::json!({
                "update_id": 38,
                "message": {
                    "message_id": 1, "date": 0, "text": "/help",
                    "chat": { "id": 7, "type": "private", "first_name": "A" },
                    "from": { "id": 7, "is_bot": false, "first_name": "A" }
                }
            }))
            .unwrap(),
        );
        let mut in_hand = InHand::default();
        assert_eq!(in_hand.offset(None), 0);
        assert_eq!(in_hand.offset(Some(41)), 42);
        in_hand.insert(38, update.clone());
        in_hand.insert(40, update);
        assert_eq!(in_hand.offset(Some(41)), 38);
        in_hand.aside.insert(38);
        assert!(in_hand.holds_offset());
        assert_eq!(in_hand.offset(Some(41)), 40);
        in_hand.aside.insert(40);
        assert!(!in_hand.holds_offset());
        assert_eq!(in_hand.offset(Some(41)), 42);
    }

    /// teloxide writes a press on a message too old to be shown (Telegram
    /// gives it date 0) in a form it reads back as an empty "error"
    /// update: such an update is never set aside. Others read back whole.
    #[test]
    fn only_updates_that_read_back_whole_are_set_aside() {
        let from = serde_json::json!({ "id": 7, "is_bot": false, "first_name": "A" });
        let chat = serde_json::json!({ "id": 7, "type": "private", "first_name": "A" });
        // As Telegram's answer is read (from text, not from a JSON value).
        let update = |json: serde_json::Value| -> Update {
            serde_json::from_str(&json.to_string()).unwrap()
        };
        let text = update(serde_json::json!({
            "update_id": 1,
            "message": { "message_id": 1, "date": 1_700_000_000, "text": "/help",
                         "chat": chat, "from": from }
        }));
        assert!(matches!(text.kind, UpdateKind::Message(_)));
        let body = serde_json::to_string(&text).unwrap();
        assert_eq!(readable(&body).as_ref(), Some(&text));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["message"]["from"]["id"],
            7,
            "where /forgetme looks for the user"
        );
        let press = update(serde_json::json!({
            "update_id": 2,
            "callback_query": { "id": "q", "from": from, "chat_instance": "c", "data": "x",
                                "message": { "message_id": 1, "date": 0, "chat": chat } }
        }));
        assert!(matches!(press.kind, UpdateKind::CallbackQuery(_)));
        let body = serde_json::to_string(&press).unwrap();
        assert_ne!(readable(&body).as_ref(), Some(&press));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["callback_query"]["from"]["id"],
            7
        );
    }

    /// Only a person's own messages (and edits) in their private chat are
    /// left unread in a flood; a press, a group's message or the bot
    /// blocked never.
    #[test]
    fn only_private_messages_may_be_left_unread() {
        let from = serde_json::json!({ "id": 7, "is_bot": false, "first_name": "A" });
        let private = serde_json::json!({ "id": 7, "type": "private", "first_name": "A" });
        let group = serde_json::json!({ "id": -100, "type": "group", "title": "G" });
        let update = |json: serde_json::Value| -> Update {
            serde_json::from_str(&json.to_string()).unwrap()
        };
        let message = |chat: &serde_json::Value| {
            update(serde_json::json!({
                "update_id": 1,
                "message": { "message_id": 1, "date": 1_700_000_000, "text": "x",
                             "chat": chat, "from": from }
            }))
        };
        assert!(sheddable(&message(&private)));
        assert!(!sheddable(&message(&group)));
        let edited = update(serde_json::json!({
            "update_id": 2,
            "edited_message": { "message_id": 1, "date": 1_700_000_000, "edit_date": 1_700_000_001,
                                "text": "y", "chat": private, "from": from }
        }));
        assert!(sheddable(&edited));
        let press = update(serde_json::json!({
            "update_id": 3,
            "callback_query": { "id": "q", "from": from, "chat_instance": "c", "data": "x",
                                "message": { "message_id": 1, "date": 1_700_000_000,
                                             "chat": private } }
        }));
        assert!(!sheddable(&press));
    }

    #[test]
    fn polling_conflicts_are_told_apart() {
        let unknown = |text: &str| RequestError::Api(ApiError::Unknown(text.to_string()));
        let webhook = "Conflict: can't use getUpdates method while webhook is active; \
                       use deleteWebhook to delete the webhook first";
        assert_eq!(conflict(&unknown(webhook)), Some(Conflict::Webhook));
        assert_eq!(
            conflict(&RequestError::Api(ApiError::CantGetUpdates)),
            Some(Conflict::Webhook)
        );
        assert_eq!(
            conflict(&RequestError::Api(ApiError::TerminatedByOtherGetUpdates)),
            Some(Conflict::OtherPoller)
        );
        assert_eq!(
            conflict(&unknown("Conflict: terminated by other getUpdates request")),
            Some(Conflict::OtherPoller)
        );
        assert_eq!(conflict(&unknown("Bad Gateway")), None);
        assert_eq!(conflict(&RequestError::Api(ApiError::InvalidToken)), None);
    }

    #[test]
    fn refused_tokens_are_recognised() {
        assert!(token_refused(&RequestError::Api(ApiError::InvalidToken)));
        assert!(token_refused(&RequestError::Api(ApiError::Unknown(
            "Unauthorized".into()
        ))));
        assert!(!token_refused(&RequestError::Api(ApiError::Unknown(
            "Bad Gateway".into()
        ))));
    }
}
