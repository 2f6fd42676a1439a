#![allow(dead_code)]
//! A fake Telegram Bot API HTTP server for end-to-end tests.
//!
//! `FakeApi::start()` binds `127.0.0.1:0` and serves `POST|GET /bot{token}/{method}`
//! on the current tokio runtime (the server dies with the runtime, i.e. at the end
//! of a `#[tokio::test]`). Point a real bot at it with
//! `Bot::new("123:TEST").set_api_url(fake.url())`.
//!
//! What it does:
//! * accepts JSON, `multipart/form-data` (teloxide always uses multipart for
//!   upload-capable methods, even with a `file_id`), form-urlencoded and query
//!   parameters, normalised into one JSON object (`Call::params`);
//! * records every request except `getUpdates` (`calls()`), and keeps every message
//!   the bot created, in its current (edited) state (`sent()`);
//! * queues updates for `getUpdates` long polling (with `offset` confirmation,
//!   `limit`, `timeout` and explicit redelivery);
//! * injects faults (`fail_next`) and enforces optional rate ceilings
//!   (`set_limits`) on `send*` methods;
//! * holds back the answers to one method in one chat (`hold_answers`, until
//!   `release_answers`): a request in flight, done but not yet answered;
//! * refuses what Telegram refuses (see "Telegram's rules" below).
//!
//! Message ids are allocated from one per-server counter starting at 1, shared by
//! bot messages and user messages built by the update helpers. Update ids start at 1.
//!
//! Telegram's rules, enforced like Telegram (each answered with its error):
//! * an edit (text, caption, reply markup) that changes nothing: 400 "message is
//!   not modified: …", counted in `not_modified()`;
//! * text over 4096 UTF-16 units (as Telegram counts; an emoji is two) ("message is too long"), caption over 1024
//!   ("message caption is too long"), empty text ("message text is empty");
//! * inline button `callback_data` over 64 bytes: 400 "BUTTON_DATA_INVALID";
//!   an inline keyboard of over 100 buttons, or with a row of over 8: 400
//!   "REPLY_MARKUP_TOO_LONG";
//! * a message to a private chat whose user never wrote to the bot (no update
//!   from them was built, nor `introduce`d): 403 "bot can't initiate
//!   conversation with a user";
//! * answerCallbackQuery with a text over 200 characters;
//! * answerCallbackQuery for an id no callback update carried, or a second
//!   answer to one: 400 "query is too old and response timeout expired or query
//!   ID is invalid";
//! * sendMediaGroup with fewer than 2 or more than 10 media: 400;
//! * a token refused with `refuse_token`: 401 "Unauthorized" for every method;
//! * deleteMessage of a message that does not exist or was deleted already:
//!   400 "message to delete not found"; of a bot message older than 48 hours
//!   (`age_messages`): 400 "message can't be deleted". A deleted message
//!   stays in `sent()` (marked `deleted`), and an edit of it is refused with
//!   400 "message to edit not found", as Telegram does;
//! * a file sent by a file id Telegram no longer knows (`expire_files`): 400
//!   "wrong file identifier/HTTP URL specified".
//!
//! `getWebhookInfo` reports the URL set with `setWebhook` (or `set_webhook`)
//! and not cleared by `deleteWebhook`; empty by default. While one is set,
//! `getUpdates` answers 409 Conflict, as Telegram does.
//!
//! Not emulated: chats other than private ones (negative chat ids are rendered as a
//! supergroup, nothing more, and are never refused), the 15-minute expiry of
//! callback queries.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

/// `id` of the bot user returned by `getMe` and used as `from` of bot messages.
pub const BOT_ID: i64 = 999_000;
/// `username` of the bot user.
pub const BOT_USERNAME: &str = "lienhe_test_bot";

/// Telegram's limits: characters of a message text and of a caption, bytes of
/// an inline button's callback data, media in an album.
pub const MAX_TEXT_CHARS: usize = 4096;
pub const MAX_CAPTION_CHARS: usize = 1024;
pub const MAX_CALLBACK_DATA_BYTES: usize = 64;
/// Telegram's limit on the text of an answer to a button press.
pub const MAX_ANSWER_CHARS: usize = 200;
pub const MEDIA_GROUP_SIZE: std::ops::RangeInclusive<usize> = 2..=10;

/// Telegram's description of an edit that changes nothing.
/// Telegram refuses an inline keyboard of more buttons.
pub const MAX_INLINE_BUTTONS: usize = 100;
/// Telegram refuses an inline keyboard row of more buttons.
pub const MAX_INLINE_ROW_BUTTONS: usize = 8;
pub const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
/// Telegram's description of an answer to an unknown or already answered query.
pub const QUERY_INVALID: &str =
    "Bad Request: query is too old and response timeout expired or query ID is invalid";
/// Telegram's description of a message to a user who never wrote to the bot.
pub const CANT_INITIATE: &str = "Forbidden: bot can't initiate conversation with a user";
/// Telegram's description of a message to a user who blocked the bot.
pub const BLOCKED: &str = "Forbidden: bot was blocked by the user";
const BOT_FIRST_NAME: &str = "Lienhe";

/// Multipart fields that are always kept as strings (never JSON-parsed), so that
/// e.g. a caption "2024" does not turn into a number.
const STRING_FIELDS: &[&str] = &[
    "text",
    "caption",
    "parse_mode",
    "photo",
    "document",
    "video",
    "audio",
    "animation",
    "voice",
    "video_note",
    "sticker",
    "thumbnail",
    "emoji",
    "title",
    "description",
    "performer",
    "question",
    "phone_number",
    "first_name",
    "last_name",
    "vcard",
    "url",
    "business_connection_id",
    "message_effect_id",
    "inline_message_id",
    "callback_query_id",
    "media_group_id",
];

// ---------------------------------------------------------------------------
// Public data types
// ---------------------------------------------------------------------------

/// A Telegram user that sends updates to the bot. Its private chat id equals `id`.
#[derive(Clone, Debug)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl TgUser {
    pub fn new(id: i64, first_name: &str, language_code: Option<&str>) -> Self {
        TgUser {
            id,
            first_name: first_name.to_owned(),
            last_name: None,
            username: None,
            language_code: language_code.map(str::to_owned),
        }
    }

    /// Telegram `User` JSON object.
    pub fn to_json(&self) -> Value {
        let mut u = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        if let Some(v) = &self.last_name {
            u["last_name"] = json!(v);
        }
        if let Some(v) = &self.username {
            u["username"] = json!(v);
        }
        if let Some(v) = &self.language_code {
            u["language_code"] = json!(v);
        }
        u
    }
}

/// One API request the bot made (every method except `getUpdates`).
#[derive(Clone, Debug)]
pub struct Call {
    /// Lowercased method name, e.g. `"sendmessage"`.
    pub method: String,
    /// Normalised parameters (always an object). Multipart file parts appear as
    /// `"upload:<filename>"` strings and `attach://` references are resolved to them.
    pub params: Value,
    /// When the request arrived.
    pub at: Instant,
    /// `false` if the request was answered with an error (injected or not).
    pub response_ok: bool,
}

impl Call {
    /// `params.chat_id` as an integer (numbers and numeric strings).
    pub fn chat_id(&self) -> Option<i64> {
        self.params.get("chat_id").and_then(value_as_i64)
    }

    /// `params[key]` as a string slice.
    pub fn str_param(&self, key: &str) -> Option<&str> {
        self.params.get(key).and_then(Value::as_str)
    }
}

/// A message the bot created, in its current (possibly edited) state.
#[derive(Clone, Debug)]
pub struct Sent {
    pub chat_id: i64,
    pub message_id: i64,
    /// Lowercased method that created it: sendmessage / sendphoto / sendmediagroup / ...
    pub method: String,
    /// Text, or caption; updated by editMessageText / editMessageCaption.
    pub text: Option<String>,
    /// Current markup (as sent). editMessageText / editMessageCaption /
    /// editMessageMedia without `reply_markup` remove it (as Telegram does);
    /// editMessageReplyMarkup replaces / removes it.
    pub reply_markup: Option<Value>,
    /// Photo / document / media: the file_id string sent, or `"upload:<filename>"`.
    pub file: Option<String>,
    /// Bytes of an uploaded file (any uploaded media, documents included).
    pub document_bytes: Option<Vec<u8>>,
    /// Number of successful edits.
    pub edits: usize,
    /// Deleted (deleteMessage): no longer in the chat.
    pub deleted: bool,
}

impl Sent {
    /// Flattened buttons of the current markup: `(text, callback_data or url)` for
    /// inline keyboards (other inline button kinds give their most telling string or
    /// `""`), and `(text, "")` for reply-keyboard buttons.
    pub fn buttons(&self) -> Vec<(String, String)> {
        let Some(markup) = &self.reply_markup else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(rows) = markup.get("inline_keyboard").and_then(Value::as_array) {
            for button in rows.iter().filter_map(Value::as_array).flatten() {
                let text = button.get("text").and_then(Value::as_str).unwrap_or("");
                let data = ["callback_data", "url", "switch_inline_query", "pay"]
                    .iter()
                    .find_map(|k| button.get(*k).and_then(Value::as_str))
                    .or_else(|| {
                        button
                            .get("web_app")
                            .or_else(|| button.get("login_url"))
                            .and_then(|w| w.get("url"))
                            .and_then(Value::as_str)
                    })
                    .unwrap_or("");
                out.push((text.to_owned(), data.to_owned()));
            }
        }
        if let Some(rows) = markup.get("keyboard").and_then(Value::as_array) {
            for button in rows.iter().filter_map(Value::as_array).flatten() {
                let text = match button {
                    Value::String(s) => s.as_str(),
                    other => other.get("text").and_then(Value::as_str).unwrap_or(""),
                };
                out.push((text.to_owned(), String::new()));
            }
        }
        out
    }

    /// `buttons()` texts only.
    pub fn button_texts(&self) -> Vec<String> {
        self.buttons().into_iter().map(|(t, _)| t).collect()
    }

    /// callback_data / url of the first button whose text equals `text`.
    pub fn button_data(&self, text: &str) -> Option<String> {
        self.buttons()
            .into_iter()
            .find(|(t, _)| t == text)
            .map(|(_, d)| d)
    }
}

/// An injected failure, see [`FakeApi::fail_next`].
#[derive(Clone, Debug)]
pub enum Fault {
    /// HTTP 429, `"Too Many Requests: retry after N"`, `parameters.retry_after = N`.
    TooManyRequests { retry_after: u32 },
    /// HTTP 403; the description gets a `"Forbidden: "` prefix if it lacks one.
    Forbidden(String),
    /// HTTP 400; the description gets a `"Bad Request: "` prefix if it lacks one.
    BadRequest(String),
    /// HTTP 5xx with the matching reason phrase as description.
    /// NB: teloxide sleeps 10 s before reading the body of any 5xx response.
    ServerError(u16),
    /// The connection breaks in the middle of the answer: the client sees a
    /// network error (`RequestError::Network`), at once.
    Disconnect,
    /// The call is carried out (a message sent is in `sent()`, as Telegram
    /// has it), then the connection breaks before its answer: the client
    /// sees a network error and cannot know the call was made.
    LostAnswer,
}

/// A call to one chat, as [`FakeApi::wait_chat_call`] finds it.
#[derive(Clone, Debug)]
pub struct ChatCall {
    /// Its position among the calls to that chat (0, 1, 2, ...).
    pub position: usize,
    pub call: Call,
    /// The message the call created or edited (the first of an album), if it
    /// succeeded and returned one.
    pub message_id: Option<i64>,
}

// ---------------------------------------------------------------------------
// Internal state
// ---------------------------------------------------------------------------

struct ApiError {
    code: u16,
    description: String,
    retry_after: Option<u32>,
}

impl ApiError {
    fn bad_request(what: &str) -> Self {
        ApiError {
            code: 400,
            description: format!("Bad Request: {what}"),
            retry_after: None,
        }
    }

    fn with(code: u16, description: &str) -> Self {
        ApiError {
            code,
            description: description.to_owned(),
            retry_after: None,
        }
    }

    fn from_fault(fault: &Fault) -> Self {
        fn prefixed(prefix: &str, s: &str) -> String {
            if s.starts_with(prefix) {
                s.to_owned()
            } else {
                format!("{prefix} {s}")
            }
        }
        match fault {
            Fault::TooManyRequests { retry_after } => ApiError {
                code: 429,
                description: format!("Too Many Requests: retry after {retry_after}"),
                retry_after: Some(*retry_after),
            },
            Fault::Forbidden(s) => ApiError {
                code: 403,
                description: prefixed("Forbidden:", s),
                retry_after: None,
            },
            Fault::BadRequest(s) => ApiError {
                code: 400,
                description: prefixed("Bad Request:", s),
                retry_after: None,
            },
            // Only used where no broken answer can be given.
            Fault::Disconnect | Fault::LostAnswer => ApiError {
                code: 502,
                description: "Bad Gateway".to_owned(),
                retry_after: None,
            },
            Fault::ServerError(code) => ApiError {
                code: *code,
                description: match code {
                    502 => "Bad Gateway",
                    503 => "Service Unavailable",
                    504 => "Gateway Timeout",
                    _ => "Internal Server Error",
                }
                .to_owned(),
                retry_after: None,
            },
        }
    }

    fn body(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        if let Some(n) = self.retry_after {
            body["parameters"] = json!({ "retry_after": n });
        }
        body
    }
}

/// A call held by [`FakeApi::hold_next`].
#[derive(Clone, Default)]
pub struct Held {
    reached: Arc<Notify>,
    release: Arc<Notify>,
}

impl Held {
    /// Waits until the held call has come (false: not within `timeout`).
    pub async fn reached(&self, timeout: Duration) -> bool {
        tokio::time::timeout(timeout, self.reached.notified())
            .await
            .is_ok()
    }

    /// Lets the held call go on.
    pub fn release(&self) {
        self.release.notify_one();
    }
}

struct FaultRule {
    method: String,
    chat_id: Option<i64>,
    fault: Fault,
    remaining: usize,
}

struct Stored {
    sent: Sent,
    /// The Message JSON object as returned to the bot.
    json: Value,
}

struct Upload {
    /// `"upload:<filename>"`
    display: String,
    bytes: Vec<u8>,
}

struct ParsedRequest {
    /// Parameters with `attach://` references left as they are.
    params: Map<String, Value>,
    /// Multipart file parts by part name.
    uploads: HashMap<String, Upload>,
}

impl ParsedRequest {
    /// Resolve a file reference: `attach://X` -> (`upload:<filename>`, bytes),
    /// anything else -> (the string, None).
    fn file_ref(&self, v: Option<&Value>) -> (Option<String>, Option<Vec<u8>>) {
        match v {
            Some(Value::String(s)) => match s
                .strip_prefix("attach://")
                .and_then(|name| self.uploads.get(name))
            {
                Some(up) => (Some(up.display.clone()), Some(up.bytes.clone())),
                None => (Some(s.clone()), None),
            },
            Some(Value::Null) | None => (None, None),
            Some(other) => (Some(other.to_string()), None),
        }
    }

    fn resolved(&self) -> Value {
        fn walk(v: &Value, uploads: &HashMap<String, Upload>) -> Value {
            match v {
                Value::String(s) => match s
                    .strip_prefix("attach://")
                    .and_then(|name| uploads.get(name))
                {
                    Some(up) => Value::String(up.display.clone()),
                    None => v.clone(),
                },
                Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, uploads)).collect()),
                Value::Object(o) => Value::Object(
                    o.iter()
                        .map(|(k, x)| (k.clone(), walk(x, uploads)))
                        .collect(),
                ),
                _ => v.clone(),
            }
        }
        walk(&Value::Object(self.params.clone()), &self.uploads)
    }

    fn str(&self, key: &str) -> Option<String> {
        match self.params.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        }
    }

    fn markup(&self) -> Option<Value> {
        match self.params.get("reply_markup") {
            Some(Value::Null) | None => None,
            Some(Value::String(s)) => serde_json::from_str(s).ok(),
            Some(v) => Some(v.clone()),
        }
    }
}

#[derive(Default)]
struct St {
    calls: Vec<Call>,
    messages: Vec<Stored>,
    next_message_id: i64,
    next_update_id: i64,
    next_callback_id: u64,
    next_media_group: u64,
    /// Pushed updates not yet confirmed by an offset.
    queue: VecDeque<(i64, Value)>,
    /// Copies to be delivered once at the next getUpdates, regardless of offset.
    redeliver: VecDeque<Value>,
    /// Every update ever pushed, by id.
    history: HashMap<i64, Value>,
    getupdates_seen: bool,
    /// Set when a non-empty batch is returned, cleared when the next getUpdates arrives.
    batch_outstanding: bool,
    /// Updates returned to the bot and not yet confirmed by a later offset.
    unconfirmed: HashSet<i64>,
    /// The highest offset a getUpdates confirmed: every update below it is
    /// confirmed (dropped from the queue).
    confirmed_below: i64,
    close_gen: u64,
    faults: Vec<FaultRule>,
    /// Answers held back (method in lower case, chat): see `hold_answers`.
    held: Option<(String, i64)>,
    global_limit: Option<u32>,
    chat_limit: Option<u32>,
    /// Accepted send* calls: (time, chat id).
    send_log: VecDeque<(Instant, Option<i64>)>,
    violations: usize,
    /// Users who wrote to the bot (an update from them was built, or they
    /// were `introduce`d): their chats can be written to, and are rendered
    /// from the user.
    users: HashMap<i64, TgUser>,
    /// Uploaded documents by the file id given back: (display name, bytes).
    uploaded: HashMap<String, (String, Vec<u8>)>,
    /// File ids Telegram no longer knows (`expire_files`).
    expired: HashSet<String>,
    /// Documents users sent, by file id: (file path, size declared, bytes),
    /// served by getFile and the file URL.
    user_files: HashMap<String, (String, usize, Vec<u8>)>,
    next_user_file: u64,
    /// Files downloaded through the file URL.
    downloads: usize,
    /// Callback query ids carried by updates, and those already answered.
    callbacks_issued: HashSet<String>,
    callbacks_answered: HashSet<String>,
    /// Edits refused as "message is not modified".
    not_modified: usize,
    /// Tokens answered 401 Unauthorized.
    refused_tokens: HashSet<String>,
    /// The webhook URL `getWebhookInfo` reports (`setWebhook` sets it,
    /// `deleteWebhook` clears it).
    webhook: Option<String>,
    /// Per chat: (index into `calls`, message created or edited) of every call
    /// with that `chat_id`.
    chat_calls: HashMap<i64, Vec<(usize, Option<i64>)>>,
    /// Per chat, woken on every call to it (created by waiters).
    chat_notify: HashMap<i64, Arc<Notify>>,
    /// getUpdates requests received, and the updates they returned.
    get_updates_count: usize,
    updates_served: usize,
    /// The private chat each callback query id was pressed in.
    callback_chats: HashMap<String, i64>,
    /// Messages Telegram no longer sends with a press (older than about two
    /// days): a press on one carries only its chat, id and date 0; a bot
    /// message among them can no longer be deleted.
    aged: HashSet<(i64, i64)>,
    /// Users who blocked the bot: a message to them is refused with 403.
    blocked: HashSet<i64>,
    /// Calls to hold until released (`hold_next`).
    holds: Vec<(String, i64, Held)>,
}

struct Inner {
    addr: SocketAddr,
    state: Mutex<St>,
    /// Fired after every recorded call and on getUpdates arrival (for waiters).
    changed: Notify,
    /// Fired when updates are pushed / getUpdates are closed.
    updates: Notify,
    /// Fired when held answers are released.
    released: Notify,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, St> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

// ---------------------------------------------------------------------------
// FakeApi
// ---------------------------------------------------------------------------

/// Handle to a running fake Bot API server. Cheap to clone.
#[derive(Clone)]
pub struct FakeApi {
    inner: Arc<Inner>,
}

impl FakeApi {
    /// Binds 127.0.0.1 on a random port and spawns the server on the current runtime.
    pub async fn start() -> FakeApi {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake_api: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake_api: local_addr");
        let inner = Arc::new(Inner {
            addr,
            state: Mutex::new(St {
                next_message_id: 1,
                next_update_id: 1,
                next_callback_id: 1,
                next_media_group: 1,
                ..St::default()
            }),
            changed: Notify::new(),
            updates: Notify::new(),
            released: Notify::new(),
        });
        let app = Router::new()
            .route("/file/{token}/{*path}", any(download))
            .route("/{token}/{method}", any(handle))
            .fallback(not_found)
            .layer(DefaultBodyLimit::disable())
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeApi { inner }
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/", self.inner.addr)).expect("valid url")
    }

    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    pub fn bot_username(&self) -> String {
        BOT_USERNAME.to_owned()
    }

    pub fn bot_id(&self) -> i64 {
        BOT_ID
    }

    fn lock(&self) -> MutexGuard<'_, St> {
        self.inner.lock()
    }

    // ---- incoming updates -------------------------------------------------

    /// Assigns `update_id` (1, 2, 3, ...), queues the update and returns its id.
    pub fn push_update(&self, mut update: Value) -> i64 {
        assert!(
            update.is_object(),
            "push_update: update must be a JSON object"
        );
        let id = {
            let mut st = self.lock();
            let id = st.next_update_id;
            st.next_update_id += 1;
            update["update_id"] = json!(id);
            st.history.insert(id, update.clone());
            st.queue.push_back((id, update));
            id
        };
        self.inner.updates.notify_waiters();
        id
    }

    /// Numbers the next updates from `next` on, as Telegram does after a week
    /// without updates (it then picks the next id at random, possibly lower).
    /// An offset past the new numbering is then ignored, as Telegram ignores
    /// an offset "in the future".
    pub fn renumber_updates(&self, next: i64) {
        self.lock().next_update_id = next;
    }

    /// Queues the identical update (same `update_id`) again; it is delivered once,
    /// at the next getUpdates, regardless of offset (before any other pending update).
    pub fn redeliver(&self, update_id: i64) {
        {
            let mut st = self.lock();
            let update = st
                .history
                .get(&update_id)
                .cloned()
                .unwrap_or_else(|| panic!("redeliver: unknown update_id {update_id}"));
            st.redeliver.push_back(update);
        }
        self.inner.updates.notify_waiters();
    }

    /// Builds a private-chat message from `user` (chat id == user id) with `fields`
    /// merged in, and allocates its message id.
    fn user_message(&self, user: &TgUser, fields: Value) -> Value {
        let mut st = self.lock();
        st.users.insert(user.id, user.clone());
        let id = st.next_message_id;
        st.next_message_id += 1;
        let mut msg = json!({
            "message_id": id,
            "date": unix_now(),
            "chat": private_chat_json(user),
            "from": user.to_json(),
        });
        if let (Some(m), Value::Object(f)) = (msg.as_object_mut(), fields) {
            m.extend(f);
        }
        msg
    }

    /// The user's edit of their text message `message_id` (an
    /// `edited_message` update).
    pub fn edit_text(&self, user: &TgUser, message_id: i64, text: &str) -> i64 {
        let mut msg = self.user_message(user, json!({ "text": text, "edit_date": unix_now() }));
        // The edited message keeps its id (the one just allocated goes unused).
        msg["message_id"] = json!(message_id);
        self.push_update(json!({ "edited_message": msg }))
    }

    /// A private-chat text message. Commands (text starting with '/') get a
    /// `bot_command` entity covering the first word.
    pub fn text(&self, user: &TgUser, text: &str) -> i64 {
        let mut fields = json!({ "text": text });
        if text.starts_with('/') {
            let word = text.split_whitespace().next().unwrap_or(text);
            let length = word.encode_utf16().count();
            fields["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
        }
        let msg = self.user_message(user, fields);
        self.push_update(json!({ "message": msg }))
    }

    /// A text `user` forwards from `origin`'s message: Telegram adds a
    /// `forward_origin` (`MessageOriginUser`: its `type`, the original's
    /// `date` and `sender_user`) and keeps the original's `text`.
    pub fn forwarded_text(&self, user: &TgUser, origin: &TgUser, text: &str) -> i64 {
        let origin = json!({
            "type": "user",
            "date": unix_now() - 3600,
            "sender_user": origin.to_json(),
        });
        let msg = self.user_message(user, json!({ "text": text, "forward_origin": origin }));
        self.push_update(json!({ "message": msg }))
    }

    /// A private-chat text message Telegram stamped `date` (unix seconds):
    /// written then, handled whenever the bot gets to it.
    pub fn text_sent_at(&self, user: &TgUser, text: &str, date: i64) -> i64 {
        let mut msg = self.user_message(user, json!({ "text": text }));
        msg["date"] = json!(date);
        self.push_update(json!({ "message": msg }))
    }

    /// The user pins the bot's message `pinned` in their chat: Telegram sends
    /// a service message (`pinned_message`), not written by the user.
    pub fn pin(&self, user: &TgUser, pinned: &Sent) -> i64 {
        let chat = private_chat_json(user);
        let msg = self.user_message(
            user,
            json!({ "pinned_message": {
                "message_id": pinned.message_id,
                "date": unix_now(),
                "chat": chat,
                "text": pinned.text.clone().unwrap_or_default(),
            }}),
        );
        self.push_update(json!({ "message": msg }))
    }

    /// A text message with formatting: `entities` as Telegram sends them
    /// (offsets and lengths in UTF-16 units).
    pub fn text_with_entities(&self, user: &TgUser, text: &str, entities: Value) -> i64 {
        let msg = self.user_message(user, json!({ "text": text, "entities": entities }));
        self.push_update(json!({ "message": msg }))
    }

    /// A photo message; two sizes, the largest has `file_id`.
    pub fn photo(
        &self,
        user: &TgUser,
        file_id: &str,
        media_group_id: Option<&str>,
        caption: Option<&str>,
    ) -> i64 {
        let mut fields = json!({ "photo": photo_sizes(file_id) });
        if let Some(g) = media_group_id {
            fields["media_group_id"] = json!(g);
        }
        if let Some(c) = caption {
            fields["caption"] = json!(c);
        }
        let msg = self.user_message(user, fields);
        self.push_update(json!({ "message": msg }))
    }

    /// The picture of an earlier photo `original` sent again (forwarded,
    /// or chosen again from the gallery), as Telegram gives it to a bot:
    /// another `file_id`, the same `file_unique_id` (which is "the same
    /// over time and for different bots").
    pub fn photo_again(
        &self,
        user: &TgUser,
        original: &str,
        file_id: &str,
        media_group_id: Option<&str>,
        caption: Option<&str>,
    ) -> i64 {
        let mut sizes = photo_sizes(file_id);
        sizes[0]["file_unique_id"] = json!(unique_id(&format!("{original}_s")));
        sizes[1]["file_unique_id"] = json!(unique_id(original));
        let mut fields = json!({ "photo": sizes });
        if let Some(g) = media_group_id {
            fields["media_group_id"] = json!(g);
        }
        if let Some(c) = caption {
            fields["caption"] = json!(c);
        }
        let msg = self.user_message(user, fields);
        self.push_update(json!({ "message": msg }))
    }

    /// A text `user` writes in the group `group` (a negative id), where the
    /// bot is a member (commands get their entity, as in a private chat).
    pub fn group_text(&self, user: &TgUser, group: i64, text: &str) -> i64 {
        let mut msg = self.user_message(user, json!({ "text": text }));
        msg["chat"] = json!({ "id": group, "type": "group", "title": "Chi bộ khối 5" });
        if text.starts_with('/') {
            let word = text.split_whitespace().next().unwrap_or(text);
            msg["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": word.encode_utf16().count() }]);
        }
        self.push_update(json!({ "message": msg }))
    }

    /// `user` adds the bot to the group `group`: a `my_chat_member` update.
    pub fn add_to_group(&self, user: &TgUser, group: i64) -> i64 {
        self.add_to_chat(user, group, "group")
    }

    /// `user` adds the bot to a chat of this type (`group`, `supergroup`,
    /// `channel`).
    pub fn add_to_chat(&self, user: &TgUser, chat: i64, kind: &str) -> i64 {
        self.push_update(json!({ "my_chat_member": {
            "chat": { "id": chat, "type": kind, "title": "Chi bộ khối 5" },
            "from": user.to_json(),
            "date": unix_now(),
            "old_chat_member": { "user": bot_user_json(), "status": "left" },
            "new_chat_member": { "user": bot_user_json(), "status": "member" },
        }}))
    }

    /// The user blocks (`true`) or unblocks the bot, as Telegram tells the
    /// bot: a `my_chat_member` update (messages to a blocked user are
    /// refused with 403 until they unblock it).
    pub fn block(&self, user: &TgUser, blocked: bool) -> i64 {
        let member = |status: &str| {
            let mut m = json!({ "user": bot_user_json(), "status": status });
            if status == "kicked" {
                m["until_date"] = json!(0);
            }
            m
        };
        let (old, new) = if blocked {
            ("member", "kicked")
        } else {
            ("kicked", "member")
        };
        {
            let mut st = self.lock();
            if blocked {
                st.blocked.insert(user.id);
            } else {
                st.blocked.remove(&user.id);
            }
        }
        self.push_update(json!({ "my_chat_member": {
            "chat": private_chat_json(user),
            "from": user.to_json(),
            "date": unix_now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }}))
    }

    /// The user's edit of their photo message `message_id`, the photo
    /// replaced by `file_id` (an `edited_message` update).
    pub fn edit_photo(&self, user: &TgUser, message_id: i64, file_id: &str) -> i64 {
        let fields = json!({ "photo": photo_sizes(file_id), "edit_date": unix_now() });
        let mut msg = self.user_message(user, fields);
        msg["message_id"] = json!(message_id);
        self.push_update(json!({ "edited_message": msg }))
    }

    /// A regular static sticker message.
    pub fn sticker(&self, user: &TgUser) -> i64 {
        let fields = json!({ "sticker": sticker_json("CAACAgIAAxkBAAIBsticker") });
        let msg = self.user_message(user, fields);
        self.push_update(json!({ "message": msg }))
    }

    /// A document (any file) sent by `user`: getFile and the file URL serve
    /// `bytes`.
    pub fn document(&self, user: &TgUser, file_name: &str, mime: &str, bytes: Vec<u8>) -> i64 {
        let size = bytes.len();
        self.document_sized(user, file_name, mime, size, bytes)
    }

    /// A document whose message declares `declared_size` bytes (which may
    /// differ from what the file URL serves).
    pub fn document_sized(
        &self,
        user: &TgUser,
        file_name: &str,
        mime: &str,
        declared_size: usize,
        bytes: Vec<u8>,
    ) -> i64 {
        let file_id = {
            let mut st = self.lock();
            st.next_user_file += 1;
            let n = st.next_user_file;
            let file_id = format!("BQACAgIAAxUserDoc{n}");
            let path = format!("documents/file_{n}");
            st.user_files
                .insert(file_id.clone(), (path, declared_size, bytes));
            file_id
        };
        let mut document = document_json(&file_id, file_name, declared_size);
        document["mime_type"] = json!(mime);
        let msg = self.user_message(user, json!({ "document": document }));
        self.push_update(json!({ "message": msg }))
    }

    /// A document sent as an item of the album `group` (several files
    /// chosen at once).
    pub fn document_in_album(
        &self,
        user: &TgUser,
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
        group: &str,
    ) -> i64 {
        let size = bytes.len();
        let file_id = {
            let mut st = self.lock();
            st.next_user_file += 1;
            let n = st.next_user_file;
            let file_id = format!("BQACAgIAAxUserDoc{n}");
            let path = format!("documents/file_{n}");
            st.user_files.insert(file_id.clone(), (path, size, bytes));
            file_id
        };
        let mut document = document_json(&file_id, file_name, size);
        document["mime_type"] = json!(mime);
        let fields = json!({ "document": document, "media_group_id": group });
        let msg = self.user_message(user, fields);
        self.push_update(json!({ "message": msg }))
    }

    /// How many files were downloaded through the file URL.
    pub fn downloads(&self) -> usize {
        self.lock().downloads
    }

    /// A contact message (e.g. from a "share my phone" reply keyboard button when
    /// `contact_user_id == Some(user.id)`).
    pub fn contact(&self, user: &TgUser, phone: &str, contact_user_id: Option<i64>) -> i64 {
        let mut contact = json!({ "phone_number": phone, "first_name": user.first_name });
        if let Some(l) = &user.last_name {
            contact["last_name"] = json!(l);
        }
        if let Some(id) = contact_user_id {
            contact["user_id"] = json!(id);
        }
        let msg = self.user_message(user, json!({ "contact": contact }));
        self.push_update(json!({ "message": msg }))
    }

    /// A private message with arbitrary `fields` merged in, e.g.
    /// `json!({"location": {"latitude": 21.0, "longitude": 105.8}})`.
    /// Mind teloxide's required fields, e.g. a `voice` needs `file_id`,
    /// `file_unique_id`, `duration` and `mime_type`, or the update deserializes as
    /// an unknown/empty message.
    pub fn message_with(&self, user: &TgUser, fields: Value) -> i64 {
        let msg = self.user_message(user, fields);
        self.push_update(json!({ "message": msg }))
    }

    /// A callback query from `user` on the bot's message `message_id` in the user's
    /// private chat. If that message is unknown a minimal valid message is used.
    /// `user` presses a button with `data` under a message in the group
    /// `group` (a bot's message forwarded there, its buttons kept).
    pub fn group_callback(&self, user: &TgUser, group: i64, data: &str) -> i64 {
        let update = {
            let mut st = self.lock();
            st.users.insert(user.id, user.clone());
            let id = format!("cbq{}", st.next_callback_id);
            st.next_callback_id += 1;
            st.callbacks_issued.insert(id.clone());
            st.callback_chats.insert(id.clone(), group);
            json!({
                "callback_query": {
                    "id": id,
                    "from": user.to_json(),
                    "chat_instance": "group",
                    "data": data,
                    "message": {
                        "message_id": 77,
                        "date": unix_now(),
                        "chat": { "id": group, "type": "supergroup", "title": "Chi bộ khối 5" },
                        "from": bot_user_json(),
                        "text": "…",
                    },
                }
            })
        };
        self.push_update(update)
    }

    pub fn callback(&self, user: &TgUser, message_id: i64, data: &str) -> i64 {
        let update = {
            let mut st = self.lock();
            st.users.insert(user.id, user.clone());
            let id = format!("cbq{}", st.next_callback_id);
            st.next_callback_id += 1;
            st.callbacks_issued.insert(id.clone());
            st.callback_chats.insert(id.clone(), user.id);
            let aged = st.aged.contains(&(user.id, message_id));
            let mut message = st
                .messages
                .iter()
                .find(|m| m.sent.chat_id == user.id && m.sent.message_id == message_id)
                .filter(|_| !aged)
                .map(|m| m.json.clone())
                .unwrap_or_else(|| {
                    json!({
                        "message_id": message_id,
                        "date": unix_now(),
                        "from": bot_user_json(),
                        "text": "",
                    })
                });
            if aged {
                // An inaccessible message: no text, no buttons, date 0.
                message = json!({ "message_id": message_id, "date": 0 });
            }
            message["chat"] = private_chat_json(user);
            json!({
                "callback_query": {
                    "id": id,
                    "from": user.to_json(),
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                }
            })
        };
        self.push_update(update)
    }

    /// Makes every message the bot sent so far to `chat_id` old: a press on
    /// one then comes as Telegram sends a press on a message older than
    /// about two days, without its text or buttons (the message can still
    /// be edited, but no longer deleted: 48 hours have passed).
    pub fn age_messages(&self, chat_id: i64) {
        let mut st = self.lock();
        let ids: Vec<(i64, i64)> = st
            .messages
            .iter()
            .filter(|m| m.sent.chat_id == chat_id)
            .map(|m| (chat_id, m.sent.message_id))
            .collect();
        st.aged.extend(ids);
    }

    /// Records that `user` has written to the bot (as a user created straight in
    /// the database would have), so the bot may write to them, without pushing
    /// an update.
    pub fn introduce(&self, user: &TgUser) {
        self.lock().users.insert(user.id, user.clone());
    }

    /// Whether the bot may write to this private chat.
    pub fn knows(&self, chat_id: i64) -> bool {
        self.lock().users.contains_key(&chat_id)
    }

    // ---- observing ---------------------------------------------------------

    /// Edits refused with "message is not modified" so far: a bot that knows
    /// what it shows never makes one.
    pub fn not_modified(&self) -> usize {
        self.lock().not_modified
    }

    /// Every request except getUpdates, in arrival order (of complete bodies).
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// Every call Telegram refused (as this fake refuses what it refuses).
    pub fn refused(&self) -> Vec<Call> {
        self.lock()
            .calls
            .iter()
            .filter(|c| !c.response_ok)
            .cloned()
            .collect()
    }

    /// The calls concerning a chat (see [`FakeApi::chat_call_count`]), in order.
    pub fn chat_call_log(&self, chat_id: i64) -> Vec<Call> {
        let st = self.lock();
        st.chat_calls
            .get(&chat_id)
            .map(|list| list.iter().map(|(i, _)| st.calls[*i].clone()).collect())
            .unwrap_or_default()
    }

    pub fn call_count(&self) -> usize {
        self.lock().calls.len()
    }

    /// Calls of one method (matched case-insensitively).
    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        self.lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// All messages the bot created in the chat, in order, in their current state.
    pub fn sent(&self, chat_id: i64) -> Vec<Sent> {
        sent_in(&self.lock(), chat_id)
    }

    pub fn last_sent(&self, chat_id: i64) -> Option<Sent> {
        self.lock()
            .messages
            .iter()
            .rev()
            .find(|m| m.sent.chat_id == chat_id)
            .map(|m| m.sent.clone())
    }

    pub fn sent_count(&self, chat_id: i64) -> usize {
        self.lock()
            .messages
            .iter()
            .filter(|m| m.sent.chat_id == chat_id)
            .count()
    }

    /// Every message the bot created, in all chats.
    pub fn all_sent(&self) -> Vec<Sent> {
        self.lock()
            .messages
            .iter()
            .map(|m| m.sent.clone())
            .collect()
    }

    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<Sent> {
        self.lock()
            .messages
            .iter()
            .find(|m| m.sent.chat_id == chat_id && m.sent.message_id == message_id)
            .map(|m| m.sent.clone())
    }

    /// The Message JSON of a bot message, as returned to the bot.
    pub fn message_json(&self, chat_id: i64, message_id: i64) -> Option<Value> {
        self.lock()
            .messages
            .iter()
            .find(|m| m.sent.chat_id == chat_id && m.sent.message_id == message_id)
            .map(|m| m.json.clone())
    }

    /// Waits (via Notify) until `check` returns Some, or the timeout passes (then
    /// `check` is evaluated one last time).
    async fn wait_until<T>(
        &self,
        timeout: Duration,
        check: impl Fn(&St) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mut notified = pin!(self.inner.changed.notified());
            notified.as_mut().enable();
            let found = check(&self.lock());
            if found.is_some() {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let found = check(&self.lock());
                return found;
            }
        }
    }

    /// First call with index >= `since` (an index into `calls()`) matching `pred`.
    pub async fn wait_call(
        &self,
        since: usize,
        timeout: Duration,
        pred: impl Fn(&Call) -> bool,
    ) -> Option<Call> {
        self.wait_until(timeout, |st| {
            st.calls.iter().skip(since).find(|c| pred(c)).cloned()
        })
        .await
    }

    /// Waits until `sent(chat_id).len() >= count`; returns `sent(chat_id)` (shorter
    /// on timeout).
    pub async fn wait_sent(&self, chat_id: i64, count: usize, timeout: Duration) -> Vec<Sent> {
        let got = self
            .wait_until(timeout, |st| {
                let sent = sent_in(st, chat_id);
                (sent.len() >= count).then_some(sent)
            })
            .await;
        got.unwrap_or_else(|| self.sent(chat_id))
    }

    /// True once every pushed update has been confirmed (queue empty, no pending
    /// redelivery) and a getUpdates request has arrived after the last non-empty
    /// batch, i.e. the bot fetched everything and came back for more.
    ///
    /// NB: handlers may still be running (teloxide dispatches updates to workers
    /// and polls again right away); combine with `wait_sent` / `wait_call` to wait
    /// for their effects.
    pub async fn wait_idle(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| {
            (st.getupdates_seen
                && !st.batch_outstanding
                && st.queue.is_empty()
                && st.redeliver.is_empty())
            .then_some(())
        })
        .await
        .is_some()
    }

    /// True once every pushed update was delivered to the bot and then
    /// confirmed by a later `offset` (our bot confirms an update only after
    /// it has handled it), and no redelivery is waiting.
    pub async fn wait_confirmed(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| {
            (st.queue.is_empty() && st.redeliver.is_empty() && st.unconfirmed.is_empty())
                .then_some(())
        })
        .await
        .is_some()
    }

    /// Where the updates stand, for a failed wait: those queued, waiting to
    /// be served again, served and not confirmed, and the offset reached.
    pub fn polling_state(&self) -> String {
        let st = self.lock();
        let mut unconfirmed: Vec<i64> = st.unconfirmed.iter().copied().collect();
        unconfirmed.sort();
        format!(
            "queued {:?}, to serve again {:?}, served and not confirmed {:?}, confirmed below {}, \
             {} getUpdates",
            st.queue.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            st.redeliver
                .iter()
                .filter_map(|u| u["update_id"].as_i64())
                .collect::<Vec<_>>(),
            unconfirmed,
            st.confirmed_below,
            st.get_updates_count,
        )
    }

    /// True once this one update was confirmed by a later `offset` and no
    /// redelivery of it is waiting or unconfirmed: the bot (whichever process)
    /// is done with it, whatever happens to other updates.
    pub fn is_confirmed(&self, update_id: i64) -> bool {
        self.lock().is_confirmed(update_id)
    }

    /// Waits until [`is_confirmed`](Self::is_confirmed); false on timeout.
    pub async fn wait_update_confirmed(&self, update_id: i64, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| st.is_confirmed(update_id).then_some(()))
            .await
            .is_some()
    }

    /// A pushed update as it was queued (with its `update_id`).
    pub fn update(&self, update_id: i64) -> Option<Value> {
        self.lock().history.get(&update_id).cloned()
    }

    /// How many calls concerned the chat: those with that `chat_id` (sends,
    /// edits, ...) and the answers to button presses made in it.
    pub fn chat_call_count(&self, chat_id: i64) -> usize {
        self.lock().chat_calls.get(&chat_id).map_or(0, Vec::len)
    }

    /// Waits for the first call concerning `chat_id` at position >= `since`
    /// among the calls concerning that chat (see [`FakeApi::chat_call_count`]) that matches
    /// `pred`. Woken only by calls to that chat, and each call is looked at
    /// once, so many concurrent waiters on different chats stay cheap.
    /// `None` on timeout.
    pub async fn wait_chat_call(
        &self,
        chat_id: i64,
        since: usize,
        timeout: Duration,
        pred: impl Fn(&Call) -> bool,
    ) -> Option<ChatCall> {
        let deadline = tokio::time::Instant::now() + timeout;
        let notify = self
            .lock()
            .chat_notify
            .entry(chat_id)
            .or_insert_with(|| Arc::new(Notify::new()))
            .clone();
        let mut cursor = since;
        loop {
            let mut notified = pin!(notify.notified());
            notified.as_mut().enable();
            {
                let st = self.lock();
                if let Some(list) = st.chat_calls.get(&chat_id) {
                    while let Some(&(index, message_id)) = list.get(cursor) {
                        let call = &st.calls[index];
                        if pred(call) {
                            return Some(ChatCall {
                                position: cursor,
                                call: call.clone(),
                                message_id,
                            });
                        }
                        cursor += 1;
                    }
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// The update pushed with this id, as it was queued.
    pub fn pushed_update(&self, update_id: i64) -> Option<Value> {
        self.lock().history.get(&update_id).cloned()
    }

    /// How many getUpdates requests the bot made.
    pub fn get_updates_count(&self) -> usize {
        self.lock().get_updates_count
    }

    /// How many updates all getUpdates answers held (an update served again
    /// because its offset was not confirmed yet counts again).
    pub fn updates_served(&self) -> usize {
        self.lock().updates_served
    }

    /// answerCallbackQuery calls.
    pub fn answered_callbacks(&self) -> Vec<Call> {
        self.calls_of("answercallbackquery")
    }

    // ---- faults and limits ---------------------------------------------------

    /// The next `times` calls of `method` (case-insensitive; optionally only those
    /// to `chat_id`) fail with `fault`. Also applies to getUpdates. Rules are
    /// consumed in the order they were added.
    pub fn fail_next(&self, method: &str, chat_id: Option<i64>, fault: Fault, times: usize) {
        if times == 0 {
            return;
        }
        self.lock().faults.push(FaultRule {
            method: method.to_ascii_lowercase(),
            chat_id,
            fault,
            remaining: times,
        });
    }

    /// The next call of `method` to `chat_id` waits, before it is carried
    /// out, until the returned handle releases it: the bot is then in the
    /// middle of that call (a card on its way, say) for as long as a test
    /// needs.
    pub fn hold_next(&self, method: &str, chat_id: i64) -> Held {
        let held = Held::default();
        self.lock()
            .holds
            .push((method.to_ascii_lowercase(), chat_id, held.clone()));
        held
    }

    /// Telegram no longer knows the file ids it gave the bot's uploads so
    /// far (they expired, or the bot moved to another Bot API server): a
    /// file sent by one of them is refused with 400 "wrong file
    /// identifier/HTTP URL specified", as Telegram refuses it; the bytes
    /// uploaded again are taken (and given a new file id).
    pub fn expire_files(&self) {
        let mut st = self.lock();
        let ids: Vec<String> = st.uploaded.drain().map(|(id, _)| id).collect();
        st.expired.extend(ids);
    }

    /// The user deletes the bot's message `message_id` from their chat (or
    /// clears the chat): Telegram tells the bot nothing, and refuses an
    /// edit of it ("message to edit not found").
    pub fn delete_by_user(&self, chat_id: i64, message_id: i64) {
        let mut st = self.lock();
        if let Some(m) = st
            .messages
            .iter_mut()
            .find(|m| m.sent.chat_id == chat_id && m.sent.message_id == message_id)
        {
            m.sent.deleted = true;
        }
    }

    /// Removes all pending fault rules.
    /// Holds back the answers to `method` for `chat_id`: the call is done (a
    /// message sent is in `sent()`, as Telegram has it before it answers),
    /// its answer waits until `release_answers` (a request in flight).
    pub fn hold_answers(&self, method: &str, chat_id: i64) {
        self.lock().held = Some((method.to_ascii_lowercase(), chat_id));
    }

    /// Lets the answers held back by `hold_answers` go.
    pub fn release_answers(&self) {
        self.lock().held = None;
        self.inner.released.notify_waiters();
    }

    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Ceilings on `send*` calls (sendChatAction excluded; one call counts once,
    /// a media group included) over a sliding 1 s window. A call over a ceiling is
    /// answered 429 retry_after=1, counted in `violations()`, and creates no Sent.
    /// Calls to chats are counted per `chat_id`.
    pub fn set_limits(&self, global_per_sec: Option<u32>, per_chat_per_sec: Option<u32>) {
        let mut st = self.lock();
        st.global_limit = global_per_sec;
        st.chat_limit = per_chat_per_sec;
    }

    pub fn violations(&self) -> usize {
        self.lock().violations
    }

    /// Every request made with this token (`"123456:ABC"`, without the `bot`
    /// prefix) is answered 401 `Unauthorized`, as Telegram answers a revoked or
    /// mistyped token.
    pub fn refuse_token(&self, token: &str) {
        self.lock().refused_tokens.insert(token.to_owned());
    }

    /// Sets the webhook URL `getWebhookInfo` reports (as if somebody called
    /// setWebhook for this bot).
    pub fn set_webhook(&self, url: &str) {
        self.lock().webhook = Some(url.to_owned());
    }

    /// Makes getUpdates requests pending right now return `[]` immediately
    /// (later requests behave normally).
    pub fn close_getupdates(&self) {
        self.lock().close_gen += 1;
        self.inner.updates.notify_waiters();
    }
}

fn sent_in(st: &St, chat_id: i64) -> Vec<Sent> {
    st.messages
        .iter()
        .filter(|m| m.sent.chat_id == chat_id)
        .map(|m| m.sent.clone())
        .collect()
}

// ---------------------------------------------------------------------------
// JSON builders
// ---------------------------------------------------------------------------

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(1)
}

fn bot_user_json() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
    })
}

fn me_json() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    })
}

fn private_chat_json(user: &TgUser) -> Value {
    let mut c = json!({ "id": user.id, "type": "private", "first_name": user.first_name });
    if let Some(v) = &user.last_name {
        c["last_name"] = json!(v);
    }
    if let Some(v) = &user.username {
        c["username"] = json!(v);
    }
    c
}

fn chat_json(st: &St, chat_id: i64) -> Value {
    if chat_id < 0 {
        return json!({ "id": chat_id, "type": "supergroup", "title": "Group" });
    }
    match st.users.get(&chat_id) {
        Some(u) => private_chat_json(u),
        None => json!({ "id": chat_id, "type": "private", "first_name": "User" }),
    }
}

fn unique_id(file_id: &str) -> String {
    // Stable, short, distinct per file id.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in file_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("AQAD{h:016x}")
}

fn photo_sizes(file_id: &str) -> Value {
    let small = format!("{file_id}_s");
    json!([
        { "file_id": small, "file_unique_id": unique_id(&small), "file_size": 1_200, "width": 90, "height": 68 },
        { "file_id": file_id, "file_unique_id": unique_id(file_id), "file_size": 85_000, "width": 1280, "height": 960 },
    ])
}

fn document_json(file_id: &str, file_name: &str, size: usize) -> Value {
    json!({
        "file_id": file_id,
        "file_unique_id": unique_id(file_id),
        "file_name": file_name,
        "file_size": size,
    })
}

fn sticker_json(file_id: &str) -> Value {
    json!({
        "file_id": file_id,
        "file_unique_id": unique_id(file_id),
        "file_size": 20_000,
        "width": 512,
        "height": 512,
        "type": "regular",
        "is_animated": false,
        "is_video": false,
        "emoji": "👍",
        "set_name": "TestStickers",
    })
}

fn value_as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Message content (media fields) for a file reference and kind.
/// `kind` is "photo", "sticker" or anything else (rendered as a document).
fn media_content(
    kind: &str,
    file: &str,
    bytes: Option<&[u8]>,
    message_id: i64,
) -> Map<String, Value> {
    let mut m = Map::new();
    let uploaded = file.strip_prefix("upload:");
    let file_id = match uploaded {
        Some(_) => format!("BQACAgIAAx{kind}{message_id}"),
        None => file.to_owned(),
    };
    match kind {
        "photo" => {
            m.insert("photo".into(), photo_sizes(&file_id));
        }
        "sticker" => {
            m.insert("sticker".into(), sticker_json(&file_id));
        }
        _ => {
            let name = match uploaded {
                Some(n) if !n.is_empty() => n.to_owned(),
                _ => format!("{kind}.bin"),
            };
            let size = bytes.map_or(10_000, <[u8]>::len);
            m.insert("document".into(), document_json(&file_id, &name, size));
        }
    }
    m
}

// ---------------------------------------------------------------------------
// Request handling
// ---------------------------------------------------------------------------

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "ok": false, "error_code": 404, "description": "Not Found" })),
    )
        .into_response()
}

/// The file URL (`/file/bot<token>/<path>`): a document a user sent.
async fn download(
    State(inner): State<Arc<Inner>>,
    Path((_token, path)): Path<(String, String)>,
) -> Response {
    let bytes = {
        let mut st = inner.lock();
        let found = st
            .user_files
            .values()
            .find(|(p, _, _)| *p == path)
            .map(|(_, _, b)| b.clone());
        if found.is_some() {
            st.downloads += 1;
        }
        found
    };
    match bytes {
        Some(b) => (StatusCode::OK, b).into_response(),
        None => not_found().await,
    }
}

/// An answer whose body breaks off: hyper drops the connection, the client
/// gets a network error.
fn broken() -> Response {
    let body = futures::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fake_api: connection broken on purpose",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from_stream(body))
        .expect("a valid response")
}

/// The answer to a call that drew `fault`.
fn faulted(fault: &Fault) -> Response {
    match fault {
        Fault::Disconnect | Fault::LostAnswer => broken(),
        other => reply(Err(ApiError::from_fault(other))),
    }
}

fn reply(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => (StatusCode::OK, Json(json!({ "ok": true, "result": v }))).into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(e.body())).into_response()
        }
    }
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    Path((token, method)): Path<(String, String)>,
    req: Request,
) -> Response {
    let at = Instant::now();
    if !token.starts_with("bot") {
        return not_found().await;
    }
    let method = method.to_ascii_lowercase();
    let parsed = match parse_request(req).await {
        Ok(p) => p,
        Err(e) => return reply(Err(ApiError::bad_request(&e))),
    };
    if inner.lock().refused_tokens.contains(&token["bot".len()..]) {
        if method != "getupdates" {
            inner.lock().calls.push(Call {
                method,
                params: parsed.resolved(),
                at,
                response_ok: false,
            });
            inner.changed.notify_waiters();
        }
        return reply(Err(ApiError::with(401, "Unauthorized")));
    }
    if method == "getupdates" {
        return get_updates(&inner, &parsed).await;
    }
    let held = {
        let mut st = inner.lock();
        let chat_id = parsed.params.get("chat_id").and_then(value_as_i64);
        let at = st
            .holds
            .iter()
            .position(|(m, c, _)| *m == method && Some(*c) == chat_id);
        at.map(|i| st.holds.remove(i).2)
    };
    if let Some(held) = held {
        held.reached.notify_one();
        held.release.notified().await;
    }
    let method_name = method.clone();
    let mut disconnect = false;
    let result = {
        let mut st = inner.lock();
        let chat_id = parsed.params.get("chat_id").and_then(value_as_i64);
        let result = match st.take_fault(&method, chat_id) {
            Some(Fault::LostAnswer) => {
                disconnect = true;
                st.execute(&method, &parsed, chat_id)
            }
            Some(fault) => {
                disconnect = matches!(fault, Fault::Disconnect);
                Err(ApiError::from_fault(&fault))
            }
            None => {
                if is_limited(&method) && !st.admit_send(chat_id, at) {
                    Err(ApiError::from_fault(&Fault::TooManyRequests {
                        retry_after: 1,
                    }))
                } else {
                    st.execute(&method, &parsed, chat_id)
                }
            }
        };
        st.calls.push(Call {
            method,
            params: parsed.resolved(),
            at,
            response_ok: result.is_ok(),
        });
        let mut chat_waker = None;
        let concerned = chat_id.or_else(|| {
            parsed
                .params
                .get("callback_query_id")
                .and_then(Value::as_str)
                .and_then(|id| st.callback_chats.get(id).copied())
        });
        if let Some(chat) = concerned {
            let message_id = result.as_ref().ok().and_then(|v| {
                v.get("message_id")
                    .or_else(|| v.get(0).and_then(|m| m.get("message_id")))
                    .and_then(Value::as_i64)
            });
            let index = st.calls.len() - 1;
            st.chat_calls
                .entry(chat)
                .or_default()
                .push((index, message_id));
            chat_waker = st.chat_notify.get(&chat).cloned();
        }
        (result, chat_waker)
    };
    let (result, chat_waker) = result;
    if let Some(waker) = chat_waker {
        waker.notify_waiters();
    }
    inner.changed.notify_waiters();
    let chat_id = parsed.params.get("chat_id").and_then(value_as_i64);
    loop {
        let released = inner.released.notified();
        let held = inner.lock().held.clone();
        match (held, chat_id) {
            (Some((m, c)), Some(chat)) if m == method_name && c == chat => released.await,
            _ => break,
        }
    }
    if disconnect {
        return broken();
    }
    reply(result)
}

fn is_limited(method: &str) -> bool {
    method.starts_with("send") && method != "sendchataction"
}

async fn get_updates(inner: &Inner, req: &ParsedRequest) -> Response {
    let asked = req.params.get("offset").and_then(value_as_i64).unwrap_or(0);
    // An offset past every update Telegram numbered (after it numbered them
    // anew) is ignored: served from the start of the queue.
    let offset = if asked > inner.lock().next_update_id {
        0
    } else {
        asked
    };
    let timeout = req
        .params
        .get("timeout")
        .and_then(value_as_i64)
        .unwrap_or(0)
        .clamp(0, 3600) as u64;
    let limit = req
        .params
        .get("limit")
        .and_then(value_as_i64)
        .unwrap_or(100)
        .clamp(1, 100) as usize;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);

    let (fault, close_gen) = {
        let mut st = inner.lock();
        st.get_updates_count += 1;
        if st.webhook.is_some() {
            // As Telegram: no polling while a webhook is set (nothing confirmed).
            return reply(Err(ApiError::with(
                409,
                "Conflict: can't use getUpdates method while webhook is active; \
                 use deleteWebhook to delete the webhook first",
            )));
        }
        let fault = st.take_fault("getupdates", None);
        st.getupdates_seen = true;
        st.batch_outstanding = false;
        if fault.is_none() && offset > 0 {
            st.queue.retain(|(id, _)| *id >= offset);
            st.unconfirmed.retain(|id| *id >= offset);
            st.confirmed_below = st.confirmed_below.max(offset);
        }
        if fault.is_none() && offset == 0 {
            // A client that confirmed nothing yet (a process just started):
            // what was served to one before it and never confirmed comes
            // again, as on Telegram. Queued updates do (they stay queued);
            // so do copies sent twice of updates confirmed since, or no
            // client would ever be done with a copy served to one killed
            // before its next offset.
            let queued: HashSet<i64> = st.queue.iter().map(|(id, _)| *id).collect();
            let mut again: Vec<i64> = st
                .unconfirmed
                .iter()
                .copied()
                .filter(|id| !queued.contains(id))
                .collect();
            again.sort();
            for id in again {
                st.unconfirmed.remove(&id);
                if let Some(update) = st.history.get(&id).cloned() {
                    st.redeliver.push_back(update);
                }
            }
        }
        (fault, st.close_gen)
    };
    inner.changed.notify_waiters();
    if let Some(fault) = fault {
        return faulted(&fault);
    }

    loop {
        let mut notified = pin!(inner.updates.notified());
        notified.as_mut().enable();
        {
            let mut st = inner.lock();
            let mut batch: Vec<Value> = Vec::new();
            while batch.len() < limit {
                match st.redeliver.pop_front() {
                    Some(u) => batch.push(u),
                    None => break,
                }
            }
            let room = limit - batch.len();
            batch.extend(
                st.queue
                    .iter()
                    .filter(|(id, _)| *id >= offset)
                    .take(room)
                    .map(|(_, u)| u.clone()),
            );
            if !batch.is_empty() {
                st.batch_outstanding = true;
                st.updates_served += batch.len();
                let ids: Vec<i64> = batch
                    .iter()
                    .filter_map(|u| u["update_id"].as_i64())
                    .collect();
                st.unconfirmed.extend(ids);
                return reply(Ok(Value::Array(batch)));
            }
            if st.close_gen != close_gen {
                return reply(Ok(json!([])));
            }
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return reply(Ok(json!([])));
        }
    }
}

impl St {
    fn is_confirmed(&self, update_id: i64) -> bool {
        update_id < self.confirmed_below
            && !self.unconfirmed.contains(&update_id)
            && !self
                .redeliver
                .iter()
                .any(|u| u["update_id"].as_i64() == Some(update_id))
    }

    fn take_fault(&mut self, method: &str, chat_id: Option<i64>) -> Option<Fault> {
        let idx = self
            .faults
            .iter()
            .position(|r| r.method == method && (r.chat_id.is_none() || r.chat_id == chat_id))?;
        let rule = &mut self.faults[idx];
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        if rule.remaining == 0 {
            self.faults.remove(idx);
        }
        Some(fault)
    }

    /// Sliding-window rate check; records the call if admitted.
    fn admit_send(&mut self, chat_id: Option<i64>, now: Instant) -> bool {
        let window = Duration::from_secs(1);
        while let Some((t, _)) = self.send_log.front() {
            if now.saturating_duration_since(*t) >= window {
                self.send_log.pop_front();
            } else {
                break;
            }
        }
        let over_global = self
            .global_limit
            .is_some_and(|g| self.send_log.len() >= g as usize);
        let over_chat = match (self.chat_limit, chat_id) {
            (Some(c), Some(chat)) => {
                self.send_log
                    .iter()
                    .filter(|(_, id)| *id == Some(chat))
                    .count()
                    >= c as usize
            }
            _ => false,
        };
        if over_global || over_chat {
            self.violations += 1;
            false
        } else {
            self.send_log.push_back((now, chat_id));
            true
        }
    }

    fn new_message(
        &mut self,
        chat_id: i64,
        method: &str,
        text: Option<String>,
        reply_markup: Option<Value>,
        file: Option<(String, Option<Vec<u8>>)>,
        content: Map<String, Value>,
    ) -> Value {
        let (file, bytes) = file.map_or((None, None), |(f, b)| (Some(f), b));
        let message_id = self.next_message_id;
        self.next_message_id += 1;
        let json = self.message_json(chat_id, message_id, content, reply_markup.as_ref());
        self.messages.push(Stored {
            sent: Sent {
                chat_id,
                message_id,
                method: method.to_owned(),
                text,
                reply_markup,
                file,
                document_bytes: bytes,
                edits: 0,
                deleted: false,
            },
            json: json.clone(),
        });
        json
    }

    fn message_json(
        &self,
        chat_id: i64,
        message_id: i64,
        content: Map<String, Value>,
        reply_markup: Option<&Value>,
    ) -> Value {
        let mut m = json!({
            "message_id": message_id,
            "date": unix_now(),
            "chat": chat_json(self, chat_id),
            "from": bot_user_json(),
        });
        let obj = m.as_object_mut().expect("object");
        obj.extend(content);
        set_markup(obj, reply_markup);
        m
    }

    fn execute(
        &mut self,
        method: &str,
        req: &ParsedRequest,
        chat_id: Option<i64>,
    ) -> Result<Value, ApiError> {
        let need_chat = || chat_id.ok_or_else(|| ApiError::bad_request("chat_id is empty"));
        check_markup(req.markup().as_ref())?;
        if writes_to_chat(method)
            && let Some(chat) = chat_id
            && chat > 0
            && !self.users.contains_key(&chat)
        {
            return Err(ApiError::with(403, CANT_INITIATE));
        }
        if writes_to_chat(method)
            && let Some(chat) = chat_id
            && self.blocked.contains(&chat)
        {
            return Err(ApiError::with(403, BLOCKED));
        }
        match method {
            "getme" => Ok(me_json()),
            "getfile" => {
                let id = req.str("file_id").unwrap_or_default();
                match self.user_files.get(&id) {
                    Some((path, size, _)) => Ok(json!({
                        "file_id": id,
                        "file_unique_id": unique_id(&id),
                        "file_size": size,
                        "file_path": path,
                    })),
                    None => Err(ApiError::bad_request("invalid file_id")),
                }
            }
            "getwebhookinfo" => Ok(json!({
                "url": self.webhook.clone().unwrap_or_default(),
                "has_custom_certificate": false,
                "pending_update_count": 0,
            })),
            "setwebhook" => {
                self.webhook = req.str("url").filter(|u| !u.is_empty());
                Ok(json!(true))
            }
            "deletewebhook" => {
                self.webhook = None;
                Ok(json!(true))
            }
            "answercallbackquery" => {
                let id = req.str("callback_query_id").unwrap_or_default();
                // Telegram's limit on the answer's text.
                if req
                    .str("text")
                    .is_some_and(|t| t.chars().count() > MAX_ANSWER_CHARS)
                {
                    return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
                }
                if !self.callbacks_issued.contains(&id) || !self.callbacks_answered.insert(id) {
                    return Err(ApiError::with(400, QUERY_INVALID));
                }
                Ok(json!(true))
            }
            "sendmessage" => {
                let chat = need_chat()?;
                let text = checked_text(req.str("text"))?;
                let mut content = Map::new();
                content.insert("text".into(), json!(text));
                Ok(self.new_message(chat, method, Some(text), req.markup(), None, content))
            }
            "sendphoto" | "senddocument" | "sendvideo" | "sendaudio" | "sendanimation"
            | "sendvoice" | "sendvideonote" | "sendsticker" => {
                let chat = need_chat()?;
                let field = &method["send".len()..];
                let field = if field == "videonote" {
                    "video_note"
                } else {
                    field
                };
                let (file, bytes) = req.file_ref(req.params.get(field));
                let file =
                    file.ok_or_else(|| ApiError::bad_request("there is no file in the request"))?;
                if bytes.is_none() && self.expired.contains(&file) {
                    return Err(ApiError::bad_request(
                        "wrong file identifier/HTTP URL specified",
                    ));
                }
                // A file id of an earlier upload: Telegram sends the same file.
                let (file, bytes) = match (bytes, self.uploaded.get(&file)) {
                    (None, Some((display, bytes))) => (display.clone(), Some(bytes.clone())),
                    (bytes, _) => (file, bytes),
                };
                let caption = checked_caption(req.str("caption"))?;
                let id = self.next_message_id;
                let mut content = media_content(field, &file, bytes.as_deref(), id);
                if let (Some(bytes), Some(file_id)) = (
                    &bytes,
                    content.get("document").and_then(|d| d["file_id"].as_str()),
                ) {
                    self.uploaded
                        .insert(file_id.to_owned(), (file.clone(), bytes.clone()));
                }
                if let Some(c) = &caption {
                    content.insert("caption".into(), json!(c));
                }
                Ok(self.new_message(
                    chat,
                    method,
                    caption,
                    req.markup(),
                    Some((file, bytes)),
                    content,
                ))
            }
            "sendmediagroup" => {
                let chat = need_chat()?;
                let media = match req.params.get("media") {
                    Some(Value::Array(a)) if !a.is_empty() => a.clone(),
                    _ => return Err(ApiError::bad_request("media is empty")),
                };
                if !MEDIA_GROUP_SIZE.contains(&media.len()) {
                    return Err(ApiError::bad_request("wrong number of media in the group"));
                }
                for item in &media {
                    checked_caption(
                        item.get("caption")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                    )?;
                }
                let group = format!("{}", 13_000_000_000_000_000u64 + self.next_media_group);
                self.next_media_group += 1;
                let mut out = Vec::new();
                for item in &media {
                    let kind = item.get("type").and_then(Value::as_str).unwrap_or("photo");
                    let (file, bytes) = req.file_ref(item.get("media"));
                    let file = file.ok_or_else(|| ApiError::bad_request("media not found"))?;
                    let caption = item
                        .get("caption")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let id = self.next_message_id;
                    let mut content = media_content(kind, &file, bytes.as_deref(), id);
                    content.insert("media_group_id".into(), json!(group));
                    if let Some(c) = &caption {
                        content.insert("caption".into(), json!(c));
                    }
                    out.push(self.new_message(
                        chat,
                        method,
                        caption,
                        None,
                        Some((file, bytes)),
                        content,
                    ));
                }
                Ok(Value::Array(out))
            }
            "sendchataction" => Ok(json!(true)),
            "copymessage" => {
                let chat = need_chat()?;
                let text = req.str("caption");
                let mut content = Map::new();
                content.insert("text".into(), json!(text.clone().unwrap_or_default()));
                let msg = self.new_message(chat, method, text, req.markup(), None, content);
                Ok(json!({ "message_id": msg["message_id"] }))
            }
            m if m.starts_with("send") || m == "forwardmessage" => {
                // sendLocation, sendContact, sendPoll, sendDice, ... rendered as a
                // (possibly empty) text message, which teloxide accepts as `Message`.
                let chat = need_chat()?;
                let text = req.str("text").or_else(|| req.str("caption"));
                let mut content = Map::new();
                content.insert("text".into(), json!(text.clone().unwrap_or_default()));
                Ok(self.new_message(chat, method, text, req.markup(), None, content))
            }
            "editmessagetext"
            | "editmessagecaption"
            | "editmessagereplymarkup"
            | "editmessagemedia" => self.edit(method, req, chat_id),
            "deletemessage" => {
                let chat = need_chat()?;
                let message_id = req.params.get("message_id").and_then(value_as_i64);
                let aged = message_id.is_some_and(|id| self.aged.contains(&(chat, id)));
                let stored = message_id
                    .and_then(|id| {
                        self.messages.iter_mut().find(|m| {
                            m.sent.chat_id == chat && m.sent.message_id == id && !m.sent.deleted
                        })
                    })
                    .ok_or_else(|| ApiError::bad_request("message to delete not found"))?;
                if aged {
                    return Err(ApiError::bad_request("message can't be deleted"));
                }
                stored.sent.deleted = true;
                Ok(json!(true))
            }
            _ => Ok(json!(true)),
        }
    }

    fn edit(
        &mut self,
        method: &str,
        req: &ParsedRequest,
        chat_id: Option<i64>,
    ) -> Result<Value, ApiError> {
        let Some(chat) = chat_id else {
            if req.params.contains_key("inline_message_id") {
                return Ok(json!(true));
            }
            return Err(ApiError::bad_request("chat_id is empty"));
        };
        let message_id = req.params.get("message_id").and_then(value_as_i64);
        let idx = message_id
            .and_then(|id| {
                self.messages.iter().position(|m| {
                    m.sent.chat_id == chat && m.sent.message_id == id && !m.sent.deleted
                })
            })
            .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
        let markup = req.markup();
        let stored = &mut self.messages[idx];
        let obj = stored.json.as_object_mut().expect("object");
        let has_text = obj.contains_key("text");
        // Only inline keyboards can be edited in or out; an empty one is none.
        let same_markup = inline_markup(obj.get("reply_markup")) == inline_markup(markup.as_ref());
        let unchanged = match method {
            "editmessagetext" => {
                same_markup
                    && has_text
                    && obj.get("text").and_then(Value::as_str) == req.str("text").as_deref()
            }
            "editmessagecaption" => {
                same_markup
                    && !has_text
                    && obj.get("caption").and_then(Value::as_str) == req.str("caption").as_deref()
            }
            "editmessagereplymarkup" => same_markup,
            _ => false,
        };
        if unchanged {
            self.not_modified += 1;
            return Err(ApiError::with(400, NOT_MODIFIED));
        }
        match method {
            "editmessagetext" => {
                if !has_text {
                    return Err(ApiError::bad_request(
                        "there is no text in the message to edit",
                    ));
                }
                let text = checked_text(req.str("text"))?;
                obj.insert("text".into(), json!(text));
                obj.remove("entities");
                stored.sent.text = Some(text);
            }
            "editmessagecaption" => {
                if has_text {
                    return Err(ApiError::bad_request(
                        "there is no caption in the message to edit",
                    ));
                }
                let caption = checked_caption(req.str("caption"))?;
                match &caption {
                    Some(c) => obj.insert("caption".into(), json!(c)),
                    None => obj.remove("caption"),
                };
                stored.sent.text = caption;
            }
            "editmessagemedia" => {
                let media = req
                    .params
                    .get("media")
                    .filter(|m| m.is_object())
                    .ok_or_else(|| ApiError::bad_request("media is empty"))?;
                let kind = media.get("type").and_then(Value::as_str).unwrap_or("photo");
                let (file, bytes) = req.file_ref(media.get("media"));
                let file = file.ok_or_else(|| ApiError::bad_request("media not found"))?;
                let caption = checked_caption(
                    media
                        .get("caption")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                )?;
                for k in [
                    "photo", "document", "sticker", "text", "caption", "entities",
                ] {
                    obj.remove(k);
                }
                obj.extend(media_content(
                    kind,
                    &file,
                    bytes.as_deref(),
                    stored.sent.message_id,
                ));
                if let Some(c) = &caption {
                    obj.insert("caption".into(), json!(c));
                }
                stored.sent.text = caption;
                stored.sent.file = Some(file);
                stored.sent.document_bytes = bytes;
            }
            _ => {} // editmessagereplymarkup
        }
        set_markup(obj, markup.as_ref());
        obj.insert("edit_date".into(), json!(unix_now()));
        stored.sent.reply_markup = markup;
        stored.sent.edits += 1;
        Ok(stored.json.clone())
    }
}

/// Methods that write into a chat: refused for a user who never wrote to the bot.
fn writes_to_chat(method: &str) -> bool {
    method.starts_with("send") || method == "copymessage" || method == "forwardmessage"
}

/// A message text: neither empty nor over Telegram's length.
fn checked_text(text: Option<String>) -> Result<String, ApiError> {
    let text = text
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("message text is empty"))?;
    if text.encode_utf16().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request("message is too long"));
    }
    Ok(text)
}

/// A caption, if any: not over Telegram's length.
fn checked_caption(caption: Option<String>) -> Result<Option<String>, ApiError> {
    if caption
        .as_ref()
        .is_some_and(|c| c.encode_utf16().count() > MAX_CAPTION_CHARS)
    {
        return Err(ApiError::bad_request("message caption is too long"));
    }
    Ok(caption)
}

/// Inline buttons carry at most 64 bytes of callback data, and a keyboard
/// has at most 100 buttons, at most 8 in a row.
fn check_markup(markup: Option<&Value>) -> Result<(), ApiError> {
    let Some(rows) = markup
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array)
    else {
        return Ok(());
    };
    let buttons: usize = rows.iter().filter_map(Value::as_array).map(Vec::len).sum();
    let widest = rows
        .iter()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    if buttons > MAX_INLINE_BUTTONS || widest > MAX_INLINE_ROW_BUTTONS {
        return Err(ApiError::bad_request("REPLY_MARKUP_TOO_LONG"));
    }
    let too_long = rows
        .iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|b| b.get("callback_data").and_then(Value::as_str))
        .any(|data| data.len() > MAX_CALLBACK_DATA_BYTES);
    if too_long {
        return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
    }
    Ok(())
}

/// The inline keyboard of a markup, if it has a button.
fn inline_markup(markup: Option<&Value>) -> Option<&Value> {
    markup.and_then(|m| m.get("inline_keyboard")).filter(|k| {
        k.as_array().is_some_and(|rows| {
            rows.iter()
                .any(|r| r.as_array().is_some_and(|r| !r.is_empty()))
        })
    })
}

/// Only inline keyboards appear in returned messages (teloxide's `Message` only
/// models `InlineKeyboardMarkup`, and Telegram only echoes those).
fn set_markup(obj: &mut Map<String, Value>, markup: Option<&Value>) {
    match markup {
        Some(m) if m.get("inline_keyboard").is_some() => {
            obj.insert("reply_markup".into(), m.clone());
        }
        _ => {
            obj.remove("reply_markup");
        }
    }
}

// ---------------------------------------------------------------------------
// Body parsing
// ---------------------------------------------------------------------------

fn text_value(key: &str, s: &str) -> Value {
    if STRING_FIELDS.contains(&key) {
        return Value::String(s.to_owned());
    }
    serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_owned()))
}

/// Names referenced as `attach://NAME` anywhere in `s`.
fn attach_refs(s: &str, out: &mut HashSet<String>) {
    let mut rest = s;
    while let Some(pos) = rest.find("attach://") {
        rest = &rest[pos + "attach://".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(rest.len());
        out.insert(rest[..end].to_owned());
        rest = &rest[end..];
    }
}

async fn parse_request(req: Request) -> Result<ParsedRequest, String> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut params = Map::new();
    let mut uploads = HashMap::new();
    if let Some(q) = req.uri().query() {
        for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
            params.insert(k.to_string(), text_value(&k, &v));
        }
    }

    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, &())
            .await
            .map_err(|e| e.body_text())?;
        let mut parts: Vec<(String, Option<String>, Vec<u8>)> = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
            let name = field.name().unwrap_or("").to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| e.body_text())?;
            parts.push((name, file_name, bytes.to_vec()));
        }
        let mut referenced = HashSet::new();
        for (_, file_name, bytes) in &parts {
            if file_name.is_none() {
                attach_refs(&String::from_utf8_lossy(bytes), &mut referenced);
            }
        }
        for (name, file_name, bytes) in parts {
            if file_name.is_some() || referenced.contains(&name) {
                let shown = match file_name.as_deref() {
                    Some(f) if !f.is_empty() => f.to_owned(),
                    _ => name.clone(),
                };
                let display = format!("upload:{shown}");
                params.insert(name.clone(), json!(display));
                uploads.insert(name, Upload { display, bytes });
            } else {
                let s = String::from_utf8_lossy(&bytes);
                params.insert(name.clone(), text_value(&name, &s));
            }
        }
    } else {
        let body = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|e| e.to_string())?;
        if content_type.starts_with("application/x-www-form-urlencoded") {
            for (k, v) in url::form_urlencoded::parse(&body) {
                params.insert(k.to_string(), text_value(&k, &v));
            }
        } else if !body.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(o)) => params.extend(o),
                Ok(_) => return Err("request body must be a JSON object".into()),
                Err(e) => return Err(format!("can't parse JSON body: {e}")),
            }
        }
    }
    Ok(ParsedRequest { params, uploads })
}
