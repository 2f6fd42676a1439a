//! The application context every handler and job needs.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::{
    clock::SharedClock,
    domain::{activity::ActivityKind, review_year::ReviewWindow},
    store::{Pool, kinds},
};

/// When the first item of each album was seen, by (chat, media group id).
type Albums = HashMap<(i64, String), DateTime<Utc>>;

/// The messages last read as answers in a dialogue, by chat: the message's
/// id, the dialogue it answered ([`crate::bot::state::State::answer_key`])
/// and when.
type Answers = HashMap<i64, VecDeque<(i32, u32, DateTime<Utc>)>>;

/// Answers remembered per chat, at most.
const ANSWERS_KEPT: usize = 8;

/// What every handler needs: the pool, the clock, the time zone, and a
/// way to wake the outbox sender when messages are queued.
#[derive(Clone)]
pub struct App {
    pub pool: Pool,
    pub clock: SharedClock,
    pub tz: Tz,
    pub outbox: Arc<tokio::sync::Notify>,
    /// When the comment sheets of a year may be drafted and signed.
    pub review: ReviewWindow,
    /// The personal-data notice shown at join (its version); `None`: none
    /// (the tests of other things, the benchmarks).
    pub consent: Option<i64>,
    /// Days sent messages are kept (`LIENHE_RETENTION_DAYS`), as the
    /// notice tells members.
    pub keep_days: u32,
    /// The day of the month and the local hour the monthly round falls due
    /// (`LIENHE_REMIND_DAY`, `LIENHE_REMIND_HOUR`): a round's messages
    /// still queued when the next one falls due are not sent.
    pub remind: (u32, u32),
    /// The activity kinds members choose from, read once: only a migration
    /// changes them, and migrations run before the app starts.
    kinds: Arc<tokio::sync::OnceCell<Vec<ActivityKind>>>,
    /// Albums whose first item was taken, by (chat, media group id), with
    /// when: an album's items arrive as one message each, and a step that
    /// wants no photos answers the album once. Forgotten after an hour (and
    /// at a restart: at worst an album is answered again).
    albums: Arc<Mutex<Albums>>,
    /// Chats that just sent a text long enough to be the first part of one
    /// Telegram split (over 4,096 characters), with its date.
    long_texts: Arc<Mutex<HashMap<i64, DateTime<Utc>>>>,
    /// Messages read as answers in a dialogue, so that an edit of one is told
    /// apart once its dialogue is over. Forgotten after two days (and at a
    /// restart: the edit is then answered as any other).
    answers: Arc<Mutex<(Answers, usize)>>,
    /// One turn at a time per meeting for the edits of its summary (see
    /// [`App::summary_turn`]).
    summary_turns: Arc<Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>>,
    /// When each user was last heard from by this process (an update from
    /// them, the bot unblocked): a 403 answering a send that started before
    /// does not mark them unreachable (see [`App::heard_since`]).
    heard: Arc<Mutex<HashMap<i64, std::time::Instant>>>,
    /// Users whose last update this process handled whole: what it was to
    /// show them was shown. Not those whose last update failed after its
    /// first effect was committed (a question's dialogue stored, then the
    /// question refused by Telegram), nor anyone whose last update came
    /// before this process started (it may have died between the two):
    /// what they were to be shown may never have reached them (see
    /// [`App::unfinished`]).
    finished: Arc<Mutex<std::collections::HashSet<i64>>>,
    /// Users to whom this process's handler is giving the answer to their
    /// erasure (/forgetme) itself: the copy queued with the erasure (for a
    /// kill before the handler answered) is left to it meanwhile, so that
    /// the answer follows the press. Empty at a restart: the sender sends
    /// what a killed handler left queued.
    answering: Arc<Mutex<std::collections::HashSet<i64>>>,
}

/// While held, [`App::answering`] says the handler answers `user` itself.
pub struct Answering {
    app: App,
    user: i64,
}

impl Drop for Answering {
    fn drop(&mut self) {
        let mut answering = self.app.answering.lock().unwrap_or_else(|e| e.into_inner());
        answering.remove(&self.user);
    }
}

/// How long [`App::heard_from`] keeps a user once many are kept.
const HEARD_KEPT: std::time::Duration = std::time::Duration::from_secs(600);

/// Telegram's apps send a text longer than 4,096 units (UTF-16: an emoji
/// is two) as several messages at once, cutting the first part at a line
/// or word break in the second half of those 4,096: a text of this many
/// units may be the first of them. Only a text sent within
/// [`PARTS_WITHIN`] seconds after it is taken as its rest, which no one
/// types that fast by hand.
const SPLIT_AT: usize = 2_000;

/// The parts of one long text are dated within this many seconds.
const PARTS_WITHIN: i64 = 3;

impl App {
    pub fn new(pool: Pool, clock: SharedClock, tz: Tz) -> Self {
        Self {
            pool,
            clock,
            tz,
            outbox: Arc::new(tokio::sync::Notify::new()),
            review: ReviewWindow::default(),
            consent: None,
            keep_days: crate::store::housekeeping::DEFAULT_KEEP_DAYS,
            remind: (25, 8),
            kinds: Arc::default(),
            albums: Arc::default(),
            long_texts: Arc::default(),
            answers: Arc::default(),
            summary_turns: Arc::default(),
            heard: Arc::default(),
            finished: Arc::default(),
            answering: Arc::default(),
        }
    }

    /// The handler answers `user` itself until the guard is dropped (see
    /// [`App::answering`]).
    pub fn answer_in_hand(&self, user: i64) -> Answering {
        let mut answering = self.answering.lock().unwrap_or_else(|e| e.into_inner());
        answering.insert(user);
        Answering {
            app: self.clone(),
            user,
        }
    }

    /// Whether a handler of this process is answering `user` itself (the
    /// sender leaves the answer queued for it alone).
    pub fn answering(&self, user: i64) -> bool {
        let answering = self.answering.lock().unwrap_or_else(|e| e.into_inner());
        answering.contains(&user)
    }

    /// Records whether `user`'s update just handled failed after its first
    /// effect was committed (`failed`), or was handled whole.
    pub fn update_finished(&self, user: i64, failed: bool) {
        let mut finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        if failed {
            finished.remove(&user);
        } else {
            // Forgetting only asks a question again, once.
            if finished.len() >= 100_000 {
                finished.clear();
            }
            finished.insert(user);
        }
    }

    /// Whether `user`'s last update may not have shown them what it was to
    /// show (a question stored as asked): it failed after its first effect
    /// was committed, or it was handled before this process started (a
    /// process killed between the question stored and the question sent
    /// leaves no other trace).
    pub fn unfinished(&self, user: i64) -> bool {
        let finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        !finished.contains(&user)
    }

    /// Records that `user` was heard from now (kept in memory for
    /// [`HEARD_KEPT`] at least: longer than any send is in flight).
    pub fn heard_from(&self, user: i64) {
        let now = std::time::Instant::now();
        let mut heard = self.heard.lock().unwrap_or_else(|e| e.into_inner());
        if heard.len() >= 10_000 {
            heard.retain(|_, at| now.duration_since(*at) < HEARD_KEPT);
        }
        heard.insert(user, now);
    }

    /// Whether `user` was heard from since `at` (a send to them started
    /// then): they wrote to the bot, or unblocked it, while it was in
    /// flight, so a 403 answering it is older than what they did since.
    pub fn heard_since(&self, user: i64, at: std::time::Instant) -> bool {
        let heard = self.heard.lock().unwrap_or_else(|e| e.into_inner());
        heard.get(&user).is_some_and(|&seen| seen >= at)
    }

    /// The turn of meeting `id`'s summary: its edits go one at a time, each
    /// rendering what the database holds when its turn comes (so the last
    /// shows every answer committed before it); other meetings' edits do
    /// not wait for them.
    pub async fn summary_turn(&self, id: i64) -> tokio::sync::OwnedMutexGuard<()> {
        let turn = {
            let mut turns = self.summary_turns.lock().unwrap_or_else(|e| e.into_inner());
            // Turns nobody holds or waits for are dropped.
            if turns.len() >= 256 {
                turns.retain(|_, t| Arc::strong_count(t) > 1);
            }
            turns.entry(id).or_default().clone()
        };
        turn.lock_owned().await
    }

    /// Whether a text of `units` (UTF-16, as Telegram counts) sent to
    /// `chat` at `at` is the rest of a long text Telegram split, whose
    /// first part came just before it; remembers a long one. A command is
    /// the user's own, and so is the text after it.
    pub fn rest_of_long_text(
        &self,
        chat: i64,
        (units, command): (usize, bool),
        at: DateTime<Utc>,
    ) -> bool {
        let mut long = self.long_texts.lock().unwrap_or_else(|e| e.into_inner());
        if command {
            long.remove(&chat);
            return false;
        }
        let just_after = |when: DateTime<Utc>| (at - when).num_seconds().abs() <= PARTS_WITHIN;
        if units >= SPLIT_AT {
            if long.len() >= 1_000 {
                long.retain(|_, when| (at - *when).num_seconds().abs() <= 60);
            }
            // Long itself right after a long one: a middle part, or a last
            // one of 2,000 units or more (which fits an announcement); a
            // part may still follow it.
            return long.insert(chat, at).is_some_and(just_after);
        }
        // Only the next text: the one after it is the user's own again.
        long.remove(&chat).is_some_and(just_after)
    }

    /// Remembers that the message `message` of `chat` was read as an answer in
    /// the dialogue `key`.
    pub fn note_answer(&self, chat: i64, message: i32, key: u32) {
        let now = self.now();
        let mut guard = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        let (answers, prune_at) = &mut *guard;
        // Chats silent for two days are forgotten once the map has doubled
        // since the last time (so a busy day costs no scan per answer).
        if answers.len() >= *prune_at {
            answers.retain(|_, kept| {
                kept.back()
                    .is_some_and(|(_, _, at)| now - *at < chrono::Duration::days(2))
            });
            *prune_at = (answers.len() * 2).max(1_000);
        }
        let kept = answers.entry(chat).or_default();
        if kept.len() >= ANSWERS_KEPT {
            kept.pop_front();
        }
        kept.push_back((message, key, now));
    }

    /// Marks the answers of `chat` read in the dialogue `key` as of one that
    /// is over: a dialogue whose key is the same each time (an
    /// announcement's) begun anew.
    pub fn answers_over(&self, chat: i64, key: u32) {
        let mut guard = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = guard.0.get_mut(&chat) {
            for (_, kept_key, _) in kept.iter_mut().filter(|(_, k, _)| *k == key) {
                // No dialogue's key: `answered` then tells it from the chat's.
                *kept_key = !key;
            }
        }
    }

    /// The dialogue the message `message` of `chat` was read as an answer in,
    /// if remembered.
    pub fn answered(&self, chat: i64, message: i32) -> Option<u32> {
        let guard = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .0
            .get(&chat)?
            .iter()
            .rev()
            .find(|(id, _, _)| *id == message)
            .map(|(_, key, _)| *key)
    }

    /// Whether this is the first item of album `group` in `chat` seen.
    pub fn first_of_album(&self, chat: i64, group: &str) -> bool {
        let now = self.now();
        let mut albums = self.albums.lock().unwrap_or_else(|e| e.into_inner());
        if albums.len() >= 1_000 {
            albums.retain(|_, at| now - *at < chrono::Duration::hours(1));
        }
        albums.insert((chat, group.to_string()), now).is_none()
    }

    /// Shows the personal-data notice of `version` at join.
    pub fn with_consent(mut self, version: Option<i64>) -> Self {
        self.consent = version;
        self
    }

    /// The monthly round falls due on `day` at `hour` (local).
    pub fn with_remind(mut self, day: u32, hour: u32) -> Self {
        self.remind = (day, hour);
        self
    }

    /// Sent messages are kept `days` (what the notice says).
    pub fn with_keep_days(mut self, days: u32) -> Self {
        self.keep_days = days;
        self
    }

    pub fn with_sheets_from(mut self, month_day: (u32, u32)) -> Self {
        self.review.from = month_day;
        self
    }

    /// The last day (month, day) of the next year the sheets may be signed.
    pub fn with_sheets_until(mut self, month_day: (u32, u32)) -> Self {
        self.review.until = month_day;
        self
    }

    /// The kinds a member can choose, in display order.
    pub async fn kinds(&self) -> sqlx::Result<&[ActivityKind]> {
        let kinds = self
            .kinds
            .get_or_try_init(|| kinds::active(&self.pool))
            .await?;
        Ok(kinds)
    }

    /// One kind, chosen or no longer offered.
    pub async fn kind(&self, id: i64) -> sqlx::Result<Option<ActivityKind>> {
        match self.kinds().await?.iter().find(|k| k.id == id) {
            Some(kind) => Ok(Some(kind.clone())),
            None => kinds::get(&self.pool, id).await,
        }
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
