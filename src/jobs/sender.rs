//! The one path for bulk messages: drains the outbox at Telegram's pace.
//!
//! - at most `rate` messages per second overall, evenly spaced;
//! - at most one message per `per_chat` interval to any one chat;
//! - a 429 pauses everything for its `retry_after`, then the row is resent;
//! - 5xx and network errors are retried with backoff, up to `max_attempts`
//!   (about a quarter of an hour),
//!   counted only when the row fails on its own (no other row failed since
//!   Telegram last answered a send, and `getMe` is answered): otherwise
//!   Telegram or the network is down, for minutes or days, and the sender
//!   pauses, from 2 s up to a minute, and gives no row up for a day;
//! - a 403 ("Forbidden: …") marks the recipient unreachable.
//!
//! A row is marked sent only after Telegram accepted it, so a crash loses
//! nothing; the message in flight at the crash may be sent twice.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use teloxide::{
    ApiError, RequestError,
    payloads::SendMessageSetters,
    prelude::*,
    types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId},
};
use tokio::{
    sync::watch,
    task::JoinHandle,
    time::{Instant, sleep, sleep_until},
};

use super::rate::RateLimiter;
use crate::{
    app::App,
    domain::{
        Lang,
        schedule::{self, Pace},
    },
    store::{
        Pool,
        broadcasts::{self, Summary},
        decision_messages, documents,
        outbox::{self, GiveUp, Payload, Row},
        users,
    },
    t,
    telegram::send,
};

#[derive(Debug, Clone, Copy)]
pub struct SenderConfig {
    /// Messages per second overall.
    pub rate: f64,
    /// Minimum gap between two messages to the same chat.
    pub per_chat: Duration,
    /// Attempts before a row counts as failed (5xx, network), counted only
    /// when the row fails on its own. Ten, with the backoff between them
    /// (2 s doubling, at most 5 minutes), span a quarter of an hour: a
    /// Telegram answering 5xx for minutes while the Bot API server answers
    /// `getMe`, and a quiet bot with that one message to send (nothing else
    /// failing beside it to show the outage), does not lose it.
    pub max_attempts: i64,
    /// The first and the longest pause after a 5xx or a network error
    /// while nothing gets through (doubling in between).
    pub outage_pause: (Duration, Duration),
    /// How long a row may keep failing while Telegram looks down before it
    /// is given up all the same.
    pub give_up_after: Duration,
    /// Rows read from the outbox at a time.
    pub batch: i64,
    /// Minimum gap between two edits of an announcement's progress message.
    pub progress_every: Duration,
    /// Paid broadcasts (`LIENHE_PAID_BROADCAST`): bulk rows (reminders,
    /// announcements) are sent with `allow_paid_broadcast`, at this many
    /// per second, beside the free `rate`. Telegram charges Stars for them.
    pub paid_rate: Option<f64>,
}

impl Default for SenderConfig {
    fn default() -> Self {
        SenderConfig {
            rate: 25.0,
            per_chat: Duration::from_millis(1050),
            max_attempts: 10,
            outage_pause: (Duration::from_secs(2), Duration::from_secs(60)),
            give_up_after: Duration::from_secs(24 * 3600),
            batch: 200,
            progress_every: Duration::from_secs(3),
            paid_rate: None,
        }
    }
}

impl SenderConfig {
    pub fn with_rate(rate: f64) -> Self {
        SenderConfig {
            rate,
            ..Self::default()
        }
    }

    /// The pace of the outbox: bulk rows at the paid rate when paid
    /// broadcasts are on.
    pub fn pace(&self) -> Pace {
        Pace {
            rate: self.rate,
            bulk_rate: self.paid_rate.unwrap_or(self.rate),
        }
    }
}

/// The outbox priority of bulk rows (reminders, announcements): the ones
/// sent as paid broadcasts when those are on.
pub const BULK_PRIORITY: i64 = 2;

/// Backoff before the n-th retry: 2, 4, 8 … seconds, at most 5 minutes.
pub fn backoff(attempt: i64) -> chrono::Duration {
    let secs = 2i64.saturating_pow(attempt.clamp(1, 20) as u32).min(300);
    chrono::Duration::seconds(secs)
}

/// How long the sender waits for `getMe` after a failure.
const PROBE_WITHIN: Duration = Duration::from_secs(5);

/// How long the sender waits after Telegram refused the bot token.
const TOKEN_REFUSED_PAUSE: Duration = Duration::from_secs(60);

enum Outcome {
    /// The (first) message sent, and the rest of an album.
    Sent(i64, Vec<i64>),
    Pause(Duration),
    /// Telegram refused the bot token: nothing can be sent until an
    /// operator fixes it.
    TokenRefused,
    Retry(String),
    Unreachable(String),
    Failed(String),
}

/// What a card withdrawn while on its way says: that its item was
/// withdrawn (its sender's data, the phone of a join request, not shown),
/// or, its item still waiting for others (its reader no longer decides it),
/// its own text without buttons.
fn withdrawn_text(card: outbox::Card, item_gone: bool, lang: Lang, own: &str) -> String {
    match (item_gone, card.subject) {
        (false, _) => own.to_string(),
        (true, decision_messages::Subject::Membership) => t!(lang, "decision-join-withdrawn"),
        (true, _) => t!(lang, "decision-item-withdrawn"),
    }
}

/// Edits a card that went out with its buttons while its item was decided
/// or withdrawn into `settled` (the decision's text, or a text without
/// buttons), and records it settled, as the decision does with the cards it
/// finds. An edit Telegram could not take now (429, 5xx, network) is
/// queued in the outbox, which sends it after the wait: the card never
/// stays with live buttons for an item decided.
async fn settle_sent_card(
    bot: &Bot,
    pool: &Pool,
    (chat, message_id): (ChatId, i64),
    card: outbox::Card,
    (sent, settled): (&str, &str),
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let message = MessageId(message_id as i32);
    send::shown::forget(bot, (chat, message));
    let edited = if settled != sent {
        bot.edit_message_text(chat, message, send::clip(settled))
            .await
            .map(drop)
    } else {
        bot.edit_message_reply_markup(chat, message).await.map(drop)
    };
    // And once it is made: a press's edit recorded meanwhile no longer holds.
    send::shown::forget(bot, (chat, message));
    match edited {
        Err(err) if send::is_transient(&err) => {
            tracing::info!(%err, chat = chat.0, "a card sent as it was decided: its edit queued");
            let shown = (chat.0, message_id);
            outbox::queue_settling(pool, card, shown, &send::clip(settled), now).await?;
        }
        edited => {
            if let Err(err) = edited {
                tracing::debug!(%err, chat = chat.0, "card left as it is");
            }
            let shown = (chat.0, message_id);
            decision_messages::mark_settled(pool, card.subject, card.id, shown, now).await?;
        }
    }
    Ok(())
}

/// Deletes `messages`, just sent to `chat` for a row withdrawn while they
/// were on their way. Returns whether any of them is still shown: Telegram
/// refused to delete it ("message can't be deleted") or could not be
/// reached. One deleted already (by its reader) is gone, as intended; no
/// refusal is a failure of the row's delivery.
async fn take_back(bot: &Bot, chat: ChatId, messages: &[i64]) -> bool {
    let mut shown = false;
    for &message in messages {
        match bot.delete_message(chat, MessageId(message as i32)).await {
            Ok(_) => tracing::info!(chat = chat.0, "a message withdrawn while sent taken back"),
            Err(err) if send::is_already_deleted(&err) => {
                tracing::debug!(%err, chat = chat.0, "a withdrawn message deleted already");
            }
            Err(err) => {
                tracing::info!(%err, chat = chat.0, "could not take a withdrawn message back");
                shown = true;
            }
        }
    }
    shown
}

/// Sends one payload: a stored document, photos (one, or an album) or a
/// text with buttons. Returns the id of the (first) message sent, and
/// those of the rest of an album.
async fn deliver(
    bot: &Bot,
    pool: &Pool,
    (chat, lang): (ChatId, Lang),
    payload: &Payload,
    paid: bool,
) -> Result<(i64, Vec<i64>), RequestError> {
    let caption =
        (!payload.text.is_empty()).then(|| send::clip_to(&payload.text, send::MAX_CAPTION_CHARS));
    if let Some(id) = payload.document {
        let Ok(Some(doc)) = documents::get(pool, id).await else {
            return Err(RequestError::Api(ApiError::Unknown(format!(
                "Bad Request: document {id} is not stored"
            ))));
        };
        // Under a file name in the reader's language (the sheet itself is
        // the official Vietnamese form): one upload per language.
        let doc = match crate::sheet::deliver::document_in(pool, doc.clone(), lang).await {
            Ok(named) => named,
            Err(err) => {
                tracing::warn!(%err, document = id, "could not name a document in its reader's language");
                doc
            }
        };
        let sent = send::stored_document(bot, pool, chat, &doc, caption).await?;
        return Ok((sent.id.0 as i64, Vec::new()));
    }
    let markup = (!payload.buttons.is_empty()).then(|| {
        InlineKeyboardMarkup::new(payload.buttons.iter().map(|r| {
            r.iter()
                .map(|(label, data)| InlineKeyboardButton::callback(label.clone(), data.clone()))
                .collect::<Vec<_>>()
        }))
    });
    if let Some(message) = payload.edit {
        let message_id = MessageId(message as i32);
        send::shown::forget(bot, (chat, message_id));
        let edited = if payload.caption {
            let mut request = bot.edit_message_caption(chat, message_id);
            request.caption = caption;
            request.await.map(drop)
        } else {
            let mut request = bot.edit_message_text(chat, message_id, send::clip(&payload.text));
            if let Some(markup) = markup {
                request = request.reply_markup(markup);
            }
            request.await.map(drop)
        };
        send::shown::forget(bot, (chat, message_id));
        // Refused as changing nothing: the message shows it already, which
        // is what the edit was for (delivered, not failed).
        return match edited {
            Err(err) if !send::is_not_modified(&err) => Err(err),
            _ => Ok((message, Vec::new())),
        };
    }
    if !payload.photos.is_empty() {
        let sent = send::photos(bot, chat, &payload.photos, caption).await?;
        let mut ids = sent.into_iter().map(|id| id.0 as i64);
        let first = ids.next().unwrap_or(0);
        return Ok((first, ids.collect()));
    }
    let mut request = bot.send_message(chat, send::clip(&payload.text));
    if paid {
        request = request.allow_paid_broadcast(true);
    }
    if let Some(markup) = markup {
        request = request.reply_markup(markup);
    }
    Ok((request.await?.id.0 as i64, Vec::new()))
}

fn classify(result: Result<(i64, Vec<i64>), RequestError>) -> Outcome {
    match result {
        Ok((id, rest)) => Outcome::Sent(id, rest),
        Err(RequestError::RetryAfter(after)) => Outcome::Pause(after.duration()),
        // Not the recipient's fault: the row waits (the bot stops, see
        // `polling`), it is not given up.
        Err(err) if send::token_refused(&err) => Outcome::TokenRefused,
        Err(err) if send::is_unreachable(&err) => Outcome::Unreachable(err.to_string()),
        Err(err) if send::is_transient(&err) => Outcome::Retry(err.to_string()),
        Err(err) => Outcome::Failed(err.to_string()),
    }
}

struct Sender {
    bot: Bot,
    app: App,
    cfg: SenderConfig,
    limiter: RateLimiter,
    /// Paces the paid bulk rows, when paid broadcasts are on.
    paid_limiter: Option<RateLimiter>,
    last_to_chat: HashMap<i64, Instant>,
    last_progress: HashMap<i64, Instant>,
    /// Where each broadcast reports its progress (`None`: nowhere, a
    /// monthly round); an announcement's once its progress message is sent.
    progress_targets: HashMap<i64, Option<(i64, i64, i64)>>,
    /// What each progress message shows now: it is edited only to change.
    progress_shown: HashMap<i64, String>,
    /// When the messages of the last [`RATE_WINDOW`] were delivered (kept
    /// only while metrics are served).
    recent: std::collections::VecDeque<Instant>,
    /// The pause after a transient failure while Telegram does not answer.
    outage_pause: Duration,
    /// The rows failing transiently, and when Telegram last answered.
    failing: Failing,
}

/// The window of the sender's rate in the metrics.
const RATE_WINDOW: Duration = Duration::from_secs(10);

/// The longest the sender sleeps before looking at the outbox again.
const IDLE_MAX: Duration = Duration::from_secs(1);

/// What one batch of due rows came to.
enum Drained {
    /// No row was due (or none could be sent yet).
    Nothing,
    /// Every row due when the batch was read was processed.
    All,
    /// Rows were processed; more may be due now.
    Partly,
}

/// What became of one row besides being processed.
enum Sent {
    Done,
    /// Telegram asked for this pause (429); the row stays due.
    Pause(Duration),
    /// Tried again later (a transient failure).
    PutOff,
}

/// Starts the sender; it stops when `shutdown` turns true.
pub fn spawn(
    bot: Bot,
    app: App,
    cfg: SenderConfig,
    shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(run(bot, app, cfg, shutdown))
}

pub async fn run(bot: Bot, app: App, cfg: SenderConfig, mut shutdown: watch::Receiver<bool>) {
    let mut sender = Sender {
        bot,
        app,
        cfg,
        limiter: RateLimiter::new(cfg.rate, Instant::now()),
        paid_limiter: cfg
            .paid_rate
            .map(|rate| RateLimiter::new(rate, Instant::now())),
        last_to_chat: HashMap::new(),
        last_progress: HashMap::new(),
        progress_targets: HashMap::new(),
        progress_shown: HashMap::new(),
        recent: std::collections::VecDeque::new(),
        outage_pause: Duration::ZERO,
        failing: Failing::default(),
    };
    let wake: Arc<tokio::sync::Notify> = sender.app.outbox.clone();
    loop {
        if *shutdown.borrow() {
            break;
        }
        let drained = crate::contain::contained_result(sender.drain_once(&shutdown)).await;
        let wait = match drained {
            // More may be due now.
            Ok(Drained::Partly) => continue,
            // Nothing else was due when the batch was read, and nothing the
            // batch put off is due sooner: what is queued from now on wakes
            // the sender (the wake is kept until it waits).
            Ok(Drained::All) => IDLE_MAX,
            Ok(Drained::Nothing) => sender.idle_wait().await,
            Err(err) => {
                tracing::error!(%err, "outbox sender error");
                sender.idle_wait().await
            }
        };
        tokio::select! {
            _ = wake.notified() => {}
            _ = sleep(wait) => {}
            _ = shutdown.changed() => {}
        }
    }
}

impl Sender {
    /// How long to sleep when nothing could be sent: until the next row
    /// is due, and at least until the first chat waiting out its gap may
    /// be sent to again (its rows are due, but not read before).
    async fn idle_wait(&self) -> Duration {
        let due = match outbox::next_due(&self.app.pool, self.app.now()).await {
            Ok(Some(at)) => (at - self.app.now())
                .to_std()
                .unwrap_or(Duration::from_millis(50))
                .clamp(Duration::from_millis(50), IDLE_MAX),
            _ => IDLE_MAX,
        };
        let gap_left = self.gaps().map(|(_, left)| left).min();
        gap_left.map_or(due, |left| due.max(left).min(IDLE_MAX))
    }

    /// The chats still waiting out Telegram's gap per chat, each with the
    /// time left.
    fn gaps(&self) -> impl Iterator<Item = (i64, Duration)> + '_ {
        self.last_to_chat.iter().filter_map(|(&chat, at)| {
            let left = self.cfg.per_chat.checked_sub(at.elapsed())?;
            (!left.is_zero()).then_some((chat, left))
        })
    }

    /// Sends what is due now.
    async fn drain_once(&mut self, shutdown: &watch::Receiver<bool>) -> anyhow::Result<Drained> {
        self.show_rate();
        // Chats sent to a moment ago wait for Telegram's gap per chat: not
        // read now, so that others are.
        let waiting: Vec<i64> = self.gaps().map(|(chat, _)| chat).collect();
        let rows = outbox::due(&self.app.pool, self.app.now(), self.cfg.batch, &waiting).await?;
        // A full batch may leave due rows behind, and so may the chats
        // left out.
        let mut all = (rows.len() as i64) < self.cfg.batch && waiting.is_empty();
        let mut touched = HashSet::new();
        let mut processed = false;
        // Chats whose row was put off in this batch: their later rows wait
        // for it (as the next batch's query makes them).
        let mut held = HashSet::new();
        // Monthly reminders whose member reported (or left) since the
        // round was queued, and reminders and digests whose next month's
        // round is due: not sent (one statement for the batch).
        let bulk: Vec<i64> = rows
            .iter()
            .filter(|r| r.broadcast_id.is_some())
            .map(|r| r.id)
            .collect();
        let needless = match bulk.is_empty() {
            true => HashSet::new(),
            false => outbox::drop_needless_rounds(&self.app.pool, &bulk, self.app.now()).await?,
        };
        for row in rows {
            if *shutdown.borrow() {
                all = false;
                break;
            }
            if held.contains(&row.chat_id) {
                continue;
            }
            if needless.contains(&row.id) {
                self.failing.ended(row.id);
                touched.extend(row.broadcast_id);
                processed = true;
                continue;
            }
            // Unreachable when the batch was read, and still (not if they
            // wrote since): given up with what follows (`give_up`).
            let still = match row.unreachable {
                true => {
                    let how = GiveUp::StillUnreachable;
                    let given = self.give_up(&row, row.payload(), how, self.app.now());
                    outbox::after_skip(&self.app.pool, row.id, given.await?).await?
                }
                false => outbox::StillUnreachable::No,
            };
            if still != outbox::StillUnreachable::No {
                self.failing.ended(row.id);
            }
            if still == outbox::StillUnreachable::Gone {
                continue;
            }
            if still == outbox::StillUnreachable::Yes {
                touched.extend(row.broadcast_id);
                processed = true;
                continue;
            }
            if self
                .last_to_chat
                .get(&row.chat_id)
                .is_some_and(|at| at.elapsed() < self.cfg.per_chat)
            {
                all = false;
                continue;
            }
            // An erasure's answer its handler is giving itself: left to it
            // (it takes the row off), the chat's later rows after it.
            if self.app.answering(row.chat_id) && row.payload().is_some_and(|p| p.erasure) {
                held.insert(row.chat_id);
                all = false;
                continue;
            }
            let sent = self.send_row(&row, shutdown).await?;
            touched.extend(row.broadcast_id);
            processed = true;
            self.report_progress(&touched, false).await;
            match sent {
                Sent::Done => self.failing.ended(row.id),
                // Due later than the rest: the idle wait looks it up.
                Sent::PutOff => {
                    held.insert(row.chat_id);
                    all = false;
                }
                Sent::Pause(pause) => {
                    tracing::warn!(?pause, "sending paused");
                    self.limiter.pause_until(Instant::now() + pause);
                    if let Some(paid) = &mut self.paid_limiter {
                        paid.pause_until(Instant::now() + pause);
                    }
                    all = false;
                    break;
                }
            }
        }
        self.report_progress(&touched, true).await;
        self.last_to_chat
            .retain(|_, at| at.elapsed() < Duration::from_secs(5));
        Ok(match (processed, all) {
            (false, _) => Drained::Nothing,
            (true, true) => Drained::All,
            (true, false) => Drained::Partly,
        })
    }

    /// For the metrics: one more message delivered now.
    fn count_sent(&mut self) {
        if !crate::telemetry::enabled() {
            return;
        }
        self.recent.push_back(Instant::now());
        self.show_rate();
    }

    /// For the metrics: the messages delivered in the last 10 seconds (also
    /// when idle, so that the rate falls back to 0).
    fn show_rate(&mut self) {
        if !crate::telemetry::enabled() {
            return;
        }
        let now = Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|at| now.duration_since(*at) > RATE_WINDOW)
        {
            self.recent.pop_front();
        }
        crate::telemetry::sender_rate(self.recent.len() as f64 / RATE_WINDOW.as_secs_f64());
    }

    /// Sends one row at the next free slot.
    async fn send_row(
        &mut self,
        row: &Row,
        shutdown: &watch::Receiver<bool>,
    ) -> anyhow::Result<Sent> {
        let pool = &self.app.pool;
        let Some(payload) = row.payload() else {
            let how = GiveUp::Failed("unreadable payload");
            let row = (row.id, row.chat_id);
            outbox::give_up(pool, row, how, None, None, self.app.now()).await?;
            return Ok(Sent::Done);
        };
        // Bulk text rows go as paid broadcasts, at their own pace, when
        // those are on; everything else at the free rate.
        let paid = row.priority == BULK_PRIORITY
            && payload.photos.is_empty()
            && payload.document.is_none()
            && self.paid_limiter.is_some();
        let limiter = match &mut self.paid_limiter {
            Some(paid_limiter) if paid => paid_limiter,
            _ => &mut self.limiter,
        };
        let at = limiter.ready_at(Instant::now());
        // A stop while waiting for the slot (after a 429 it can be long)
        // leaves the row queued for the next start.
        let mut stopping = shutdown.clone();
        tokio::select! {
            _ = sleep_until(at) => {}
            Ok(_) = stopping.wait_for(|s| *s) => return Ok(Sent::PutOff),
        }
        // The row as it reads now, after any wait for the slot: one deleted
        // since the batch was read (a card withdrawn with a member's
        // erasure, or no longer its reader's to decide; messages to one who
        // erased their data) is not sent, and one rewritten meanwhile (a
        // card settled by its decision) goes out as it reads now.
        let payload = match outbox::queued_payload(pool, row.id, row.chat_id).await? {
            Some(now) => now.unwrap_or(payload),
            None => {
                tracing::info!(chat = row.chat_id, "a message withdrawn meanwhile dropped");
                return Ok(Sent::Done);
            }
        };
        // As it is to go out now, after any wait for the slot: a message
        // that no longer holds (a meeting moved, cancelled or begun while it
        // waited, a slot after a 429 included; reports decided meanwhile)
        // is not sent; a day-before reminder that waited past midnight says
        // "today".
        let now = self.app.now();
        // In the language its reader has now (switched while it waited).
        let payload = payload.as_of(now).for_reader(row.language.as_deref());
        if !outbox::payload_holds(pool, row.chat_id, &payload, now).await? {
            tracing::info!(chat = row.chat_id, "an outdated message dropped");
            // Not delivered after all (a sheet to one no longer an officer):
            // whoever must know is told.
            self.give_up(row, Some(payload), GiveUp::Outdated, now)
                .await?;
            return Ok(Sent::Done);
        }
        // A note of reports pending too long lists only those still
        // waiting for its reader (some decided while it waited).
        let lang = Lang::stored(row.language.as_deref());
        let payload =
            super::reminders::stale_note_now(&self.app, row.chat_id, lang, payload).await?;
        // A digest without the parts about a cell (or workplace) its reader
        // no longer follows; none left: not sent.
        let Some(payload) = outbox::kept_parts(pool, row.id, row.chat_id, payload).await? else {
            tracing::info!(
                chat = row.chat_id,
                "a digest no longer its reader's dropped"
            );
            outbox::drop_outdated(pool, row.id).await?;
            return Ok(Sent::Done);
        };
        // A meeting's new time says whether attendance is required as the
        // invitee's exemption is now (changed while it waited).
        let mut payload = crate::telegram::meeting_notices::exempt_now(pool, payload).await?;
        // An announcement's progress message says the count as it is now
        // (the announcement may have gone out meanwhile).
        if let Some(id) = payload.progress_of
            && let Some(text) = progress_now(pool, id).await?
        {
            payload.text = text;
        }
        // An edit to what the message is known to show already (a register
        // toggled A → B → A while the edit to B waited, then superseded):
        // nothing to send, Telegram would refuse it as not modified.
        let edit_of = payload.edit.filter(|_| !payload.caption);
        if let Some(message) = edit_of
            && outbox::shows(pool, (row.chat_id, message), &payload.fingerprint()).await?
        {
            outbox::mark_sent(pool, row.id, row.chat_id, message, now).await?;
            return Ok(Sent::Done);
        }
        limiter.record(Instant::now());

        let started = Instant::now();
        let to = (ChatId(row.chat_id), lang);
        let result = deliver(&self.bot, pool, to, &payload, paid).await;
        self.last_to_chat.insert(row.chat_id, Instant::now());
        // An edit of a message its reader deleted (or whose chat they
        // cleared): gone, as they meant, not a failure of the delivery. A
        // meeting's register gone so is no longer followed: check-ins no
        // longer queue edits of it.
        if let (Some(message), Err(err)) = (payload.edit, &result)
            && send::is_edit_target_gone(err)
        {
            tracing::info!(
                chat = row.chat_id,
                "an edit of a message deleted from its chat dropped"
            );
            self.failing.answered();
            crate::store::meetings::forget_register(pool, (row.chat_id, message)).await?;
            outbox::drop_outdated(pool, row.id).await?;
            return Ok(Sent::Done);
        }
        let outcome = classify(result);
        // Whether Telegram (or the network) looks down after a transient
        // failure: another row failed too since Telegram last answered a
        // send, or `getMe` is not answered either. Otherwise the row fails
        // on its own, and its failure counts. (`getMe` alone does not tell:
        // the Bot API server answers it without Telegram's backend.) A row
        // failing for longer than `give_up_after` is given up whatever
        // (two rows failing each on its own look like an outage).
        let (down, overdue) = match &outcome {
            Outcome::Retry(_) => {
                let (others, since) = self.failing.failed(row.id);
                let down = others || !answers_get_me(&self.bot).await;
                (down, since.elapsed() >= self.cfg.give_up_after)
            }
            _ => {
                self.failing.answered();
                (false, false)
            }
        };
        if !down {
            self.outage_pause = Duration::ZERO;
        }
        let at = self.app.now();
        match outcome {
            Outcome::Sent(message_id, rest) => {
                let sent = (ChatId(row.chat_id), message_id);
                // What a card withdrawn while on its way says, should it
                // stay shown after all.
                let mut withdrawn_card = None;
                // Whether the row was gone (or no longer queued) when it
                // was to be marked sent.
                let unmarked = match payload.card {
                    // Sent and known as the item's card at once: nobody
                    // (a restart, a test waiting for the queue) sees the
                    // row sent without its card.
                    Some(card) => {
                        match outbox::mark_sent_card(pool, row, message_id, card, at).await? {
                            outbox::CardSent::Recorded => false,
                            // Decided while it was on its way: shown so.
                            outbox::CardSent::Settled(text) => {
                                let shown = (payload.text.as_str(), text.as_str());
                                settle_sent_card(&self.bot, pool, sent, card, shown, at).await?;
                                false
                            }
                            outbox::CardSent::Withdrawn { item_gone, lang } => {
                                withdrawn_card =
                                    Some(withdrawn_text(card, item_gone, lang, &payload.text));
                                true
                            }
                        }
                    }
                    None => !outbox::mark_sent(pool, row.id, row.chat_id, message_id, at).await?,
                };
                // Withdrawn while it was being sent (its row deleted): what
                // went out is taken back, every photo of an album with it
                // (not an edit). Only notices (cards among them) are
                // withdrawn so; a round's rows are dropped by the sender
                // itself, before they are sent.
                let taken_back = unmarked
                    && row.broadcast_id.is_none()
                    && payload.edit.is_none()
                    && outbox::withdrawn_while_sent(pool, row.id, (row.chat_id, message_id))
                        .await?;
                let shown = match taken_back {
                    true => {
                        let messages: Vec<i64> = std::iter::once(message_id).chain(rest).collect();
                        take_back(&self.bot, ChatId(row.chat_id), &messages).await
                    }
                    false => true,
                };
                // A withdrawn card Telegram would not delete (or not now)
                // loses its buttons and what it showed of its item.
                if let (Some(card), Some(text), true) = (payload.card, withdrawn_card, shown) {
                    let shown = (payload.text.as_str(), text.as_str());
                    settle_sent_card(&self.bot, pool, sent, card, shown, at).await?;
                }
                // What the edited message shows now, whether or not its row
                // was superseded while in flight.
                if let Some(message) = edit_of {
                    let shown = payload.fingerprint();
                    outbox::record_shown_now(pool, (row.chat_id, message), &shown, at).await?;
                }
                // What the progress message shows: later counts are
                // edited into it.
                if let Some(id) = payload.progress_of {
                    self.progress_shown.insert(id, payload.text.clone());
                }
                crate::telemetry::outbox("sent", row.priority);
                self.count_sent();
            }
            Outcome::Pause(pause) => {
                // The pause itself is kept in `next_slot` (real time).
                outbox::retry_later(pool, row.id, false, "429 Too Many Requests", at).await?;
                return Ok(Sent::Pause(pause));
            }
            Outcome::TokenRefused => {
                tracing::error!(
                    "Telegram refused the bot token (check TELOXIDE_TOKEN); queued messages wait"
                );
                outbox::retry_later(pool, row.id, false, "401 Unauthorized", at).await?;
                return Ok(Sent::Pause(TOKEN_REFUSED_PAUSE));
            }
            // Refused while they had blocked the bot, but they wrote to it
            // (or unblocked it) while the send was in flight: they are not
            // marked unreachable, and the message is sent again.
            Outcome::Unreachable(err) if self.app.heard_since(row.chat_id, started.into_std()) => {
                tracing::info!(chat = row.chat_id, %err, "refused, but heard from since: sent again");
                outbox::retry_later(pool, row.id, false, &err, at).await?;
                return Ok(Sent::PutOff);
            }
            Outcome::Unreachable(err) => {
                tracing::info!(chat = row.chat_id, %err, "recipient unreachable");
                crate::telemetry::outbox("unreachable", row.priority);
                self.give_up(row, Some(payload), GiveUp::Unreachable(&err), at)
                    .await?;
            }
            // Telegram looks down: the row is not to blame (no attempt
            // counted) and everything waits.
            Outcome::Retry(err) if down && !overdue => {
                let (first, longest) = self.cfg.outage_pause;
                self.outage_pause = (self.outage_pause * 2).clamp(first, longest);
                tracing::warn!(
                    chat = row.chat_id,
                    %err,
                    pause = ?self.outage_pause,
                    "send failed and Telegram does not answer; waiting"
                );
                let later = chrono::Duration::from_std(self.outage_pause).unwrap_or_default();
                outbox::retry_later(pool, row.id, false, &err, at + later).await?;
                return Ok(Sent::Pause(self.outage_pause));
            }
            Outcome::Retry(err) if !overdue && row.attempts + 1 < self.cfg.max_attempts => {
                tracing::warn!(chat = row.chat_id, %err, attempt = row.attempts + 1, "send failed, will retry");
                outbox::retry_later(pool, row.id, true, &err, at + backoff(row.attempts + 1))
                    .await?;
                crate::telemetry::outbox("retry", row.priority);
                return Ok(Sent::PutOff);
            }
            Outcome::Retry(err) | Outcome::Failed(err) => {
                tracing::warn!(chat = row.chat_id, %err, "send failed for good");
                crate::telemetry::outbox("failed", row.priority);
                self.give_up(row, Some(payload), GiveUp::Failed(&err), at)
                    .await?;
            }
        }
        Ok(Sent::Done)
    }

    /// Gives `row` up for good (`how`) with what follows, in one
    /// transaction (a crash loses neither without the other): a signed
    /// sheet to a workplace officer is no longer counted as delivered to
    /// them, and one on request goes to the workplace's other officers
    /// instead (the signer told so); otherwise whoever must know is told
    /// (the payload's fallback, once per text and chat: an undelivered
    /// sheet fails three rows), and a notice about a request goes to the
    /// workplace's other officers (its reroute). Returns whether the row
    /// was still queued.
    async fn give_up(
        &self,
        row: &Row,
        payload: Option<Payload>,
        how: GiveUp<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<bool> {
        let pool = &self.app.pool;
        let fallback = payload.as_ref().and_then(|p| p.fallback.as_ref());
        let reroute = payload.as_ref().and_then(|p| p.reroute.as_ref());
        let given = match payload.as_ref().and_then(|p| p.sheet) {
            Some(sheet) => {
                let row = (row.id, row.chat_id, how);
                crate::sheet::deliver::not_delivered(pool, sheet, row, fallback, now).await?
            }
            None => {
                let row = (row.id, row.chat_id);
                outbox::give_up(pool, row, how, fallback, reroute, now).await?
            }
        };
        if given {
            self.app.wake_sender();
        }
        Ok(given)
    }

    /// Marks finished broadcasts (on the final pass of a batch) and edits
    /// the progress message of announcements, at most every
    /// `progress_every` and always once they are finished.
    async fn report_progress(&mut self, touched: &HashSet<i64>, final_pass: bool) {
        for &id in touched {
            if let Err(err) = self.progress_of(id, final_pass).await {
                tracing::warn!(%err, broadcast = id, "could not report progress");
            }
        }
    }

    async fn progress_of(&mut self, id: i64, final_pass: bool) -> anyhow::Result<()> {
        let pool = &self.app.pool;
        let finished = final_pass && broadcasts::finish_if_done(pool, id, self.app.now()).await?;
        // Looked up once for a broadcast without a progress message (a
        // monthly round), and until it is sent for an announcement.
        let target = match self.progress_targets.get(&id) {
            Some(target) => *target,
            None => match broadcasts::progress_target(pool, id).await? {
                None => {
                    self.progress_targets.insert(id, None);
                    None
                }
                Some((chat, Some(message), by)) => {
                    self.progress_targets.insert(id, Some((chat, message, by)));
                    Some((chat, message, by))
                }
                Some((_, None, _)) => None,
            },
        };
        let Some((chat, message, created_by)) = target else {
            return Ok(());
        };
        if !finished
            && self
                .last_progress
                .get(&id)
                .is_some_and(|at| at.elapsed() < self.cfg.progress_every)
        {
            return Ok(());
        }
        let Some(summary) = broadcasts::summary(pool, id).await? else {
            return Ok(());
        };
        if !finished && summary.finished_at.is_some() {
            return Ok(()); // the final count is already shown
        }
        let lang = author_lang(pool, created_by).await?;
        let text = progress_text(lang, &summary);
        // The message starts at "0 of N" (or shows what a previous run of
        // the sender left: then one edit may be refused as unchanged).
        let shown = self
            .progress_shown
            .entry(id)
            .or_insert_with(|| progress_start(lang, summary.total));
        if *shown == text {
            return Ok(());
        }
        self.last_progress.insert(id, Instant::now());
        send::settle(
            &self.bot,
            ChatId(chat),
            MessageId(message as i32),
            text.clone(),
        )
        .await;
        *shown = text;
        Ok(())
    }
}

/// Whether Telegram answers `getMe` (within [`PROBE_WITHIN`]).
async fn answers_get_me(bot: &Bot) -> bool {
    let asked = tokio::time::timeout(PROBE_WITHIN, bot.get_me()).await;
    matches!(asked, Ok(Ok(_)))
}

/// A failure of another row older than this tells nothing of now: in an
/// outage some row is tried (and fails) at least every minute.
const FAILURE_FRESH: Duration = Duration::from_secs(300);

/// The rows failing transiently (each with when it first and last failed)
/// and when Telegram last answered a send (delivered it, or refused it
/// for good, or asked for a pause).
#[derive(Default)]
struct Failing {
    rows: HashMap<i64, (Instant, Instant)>,
    answered: Option<Instant>,
}

impl Failing {
    /// Row `id` failed now: whether another row failed too, lately and
    /// since Telegram last answered; and since when `id` has been failing.
    fn failed(&mut self, id: i64) -> (bool, Instant) {
        let now = Instant::now();
        if self.rows.len() >= 10_000 {
            self.rows
                .retain(|_, (_, last)| now.duration_since(*last) < Duration::from_secs(86_400));
        }
        let answered = self.answered;
        let others = self.rows.iter().any(|(&other, &(_, last))| {
            other != id
                && answered.is_none_or(|at| last > at)
                && now.duration_since(last) < FAILURE_FRESH
        });
        let (first, last) = self.rows.entry(id).or_insert((now, now));
        *last = now;
        (others, *first)
    }

    fn answered(&mut self) {
        self.answered = Some(Instant::now());
    }

    /// Row `id` left the queue (sent, given up, dropped).
    fn ended(&mut self, id: i64) {
        self.rows.remove(&id);
    }
}

/// When a broadcast with queued rows is expected to be sent completely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub broadcast_id: i64,
    pub finish: chrono::DateTime<chrono::Utc>,
    /// Whether that is still on its due day (the local day it was created).
    pub on_due_day: bool,
}

/// The expected finish of every broadcast still queued, at `pace` from `now`.
pub async fn expected(
    pool: &Pool,
    pace: Pace,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> sqlx::Result<Vec<Expected>> {
    Ok(broadcasts::backlogs(pool)
        .await?
        .into_iter()
        .map(|b| {
            let finish = schedule::expected_finish(now, pace, b.urgent, b.bulk);
            let due = b.created_at.with_timezone(&tz).date_naive();
            Expected {
                broadcast_id: b.broadcast_id,
                finish,
                on_due_day: schedule::done_on_due_day(finish, due, tz),
            }
        })
        .collect())
}

/// What an operator can do about a broadcast that will not be sent on its
/// day (the log and `lienhe broadcasts` say it).
pub const TOO_SLOW_HINT: &str =
    "raise LIENHE_SEND_RATE or enable paid broadcasts (LIENHE_PAID_BROADCAST)";

/// Logs a warning for each broadcast not expected to be sent on its day.
pub async fn warn_if_late(app: &App, pace: Pace) -> sqlx::Result<()> {
    for e in expected(&app.pool, pace, app.now(), app.tz).await? {
        if !e.on_due_day {
            tracing::warn!(
                broadcast = e.broadcast_id,
                expected = %e.finish.with_timezone(&app.tz).format("%d/%m/%Y %H:%M"),
                "a broadcast will not be sent completely on its day: {TOO_SLOW_HINT}"
            );
        }
    }
    Ok(())
}

/// The language of an announcement's author.
async fn author_lang(pool: &Pool, author: i64) -> sqlx::Result<Lang> {
    Ok(users::get(pool, author)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default())
}

/// What announcement `id`'s progress message says now (`None`: no such
/// announcement).
async fn progress_now(pool: &Pool, id: i64) -> sqlx::Result<Option<String>> {
    let Some(summary) = broadcasts::summary(pool, id).await? else {
        return Ok(None);
    };
    let Some(author) = summary.created_by else {
        return Ok(None);
    };
    Ok(Some(progress_text(
        author_lang(pool, author).await?,
        &summary,
    )))
}

/// "Sent 120 of 300" while going; the final counts when done.
pub fn progress_text(lang: Lang, s: &Summary) -> String {
    let shown = |n: i64| crate::i18n::count(lang, n.max(0) as usize);
    if s.finished_at.is_some() && s.left_meanwhile > 0 {
        // Of everyone it was sent to: those who left meanwhile apart.
        t!(
            lang,
            "announce-done-left",
            delivered = s.sent,
            received = shown(s.sent),
            unreachable = shown(s.unreachable),
            failed = shown(s.failed),
            left = shown(s.left_meanwhile),
            total = shown(s.total)
        )
    } else if s.finished_at.is_some() {
        t!(
            lang,
            "announce-done",
            delivered = s.sent,
            received = shown(s.sent),
            unreachable = shown(s.unreachable),
            failed = shown(s.failed),
            total = shown(s.total)
        )
    } else {
        let done = s.sent + s.unreachable + s.failed + s.left_meanwhile;
        progress(lang, done, s.total)
    }
}

/// "Sending: `sent` of `total` sent", counts as the language writes them.
fn progress(lang: Lang, sent: i64, total: i64) -> String {
    let shown = |n: i64| crate::i18n::count(lang, n.max(0) as usize);
    t!(
        lang,
        "announce-progress",
        sent = shown(sent),
        total = shown(total)
    )
}

/// What the progress message says before anything was sent.
pub fn progress_start(lang: Lang, total: i64) -> String {
    progress(lang, 0, total)
}

#[cfg(test)]
mod tests {
    use teloxide::ApiError;

    use super::*;

    #[test]
    fn a_refused_token_keeps_the_row_and_a_blocked_user_does_not() {
        assert!(matches!(
            classify(Err(RequestError::Api(ApiError::InvalidToken))),
            Outcome::TokenRefused
        ));
        assert!(matches!(
            classify(Err(RequestError::Api(ApiError::Unknown(
                "Unauthorized".into()
            )))),
            Outcome::TokenRefused
        ));
        assert!(matches!(
            classify(Err(RequestError::Api(ApiError::Unknown(
                "Forbidden: bot was blocked by the user".into()
            )))),
            Outcome::Unreachable(_)
        ));
        assert!(matches!(
            classify(Err(RequestError::Api(ApiError::Unknown(
                "Bad Request: message is too long".into()
            )))),
            Outcome::Failed(_)
        ));
    }
}
