//! Small sending helpers shared by the handlers.

use teloxide::{
    ApiError, RequestError,
    payloads::{AnswerCallbackQuerySetters, EditMessageTextSetters, SendMessageSetters},
    prelude::*,
    types::{
        CallbackQuery, ChatId, FileId, InlineKeyboardMarkup, InputFile, InputMedia,
        InputMediaPhoto, Message, MessageId, ReplyMarkup,
    },
};

/// Telegram's limit is 4096 characters; leave room.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// The longest `retry_after` an interactive answer waits out.
const MAX_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// How many times a direct answer is sent again after Telegram's
/// `retry_after`.
const RETRIES_AFTER: u32 = 5;

/// How long a direct answer waits before its one more try after the
/// connection to Telegram could not be made.
const TRANSIENT_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

/// Makes a request, and again after Telegram's `retry_after` (five times at
/// most, for a short wait each: many people answered at once fill the bot's
/// 30 messages a second, and a wave refused together is answered over the
/// next seconds, not given up after two), or once more when the connection could not be
/// made at all or Telegram answered with a server error ("Bad Gateway"):
/// an answer someone is waiting for is worth a second rather than being
/// lost (a question not shown would leave its step waiting unseen, and the
/// next text taken as its answer); shown twice at worst. A timeout or a
/// connection broken mid-answer is not tried again: the user has waited
/// long already, and Telegram may have sent the message.
pub async fn patiently<T, F, Fut>(mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, RequestError>>,
{
    let (mut waited, mut failed) = (0, 0);
    loop {
        match request().await {
            Err(RequestError::RetryAfter(after))
                if waited < RETRIES_AFTER && after.duration() <= MAX_PATIENCE =>
            {
                waited += 1;
                tracing::debug!(?after, "Telegram asked to wait before answering");
                tokio::time::sleep(after.duration()).await;
            }
            Err(err) if failed < 1 && (never_reached(&err) || server_error(&err)) => {
                failed += 1;
                tracing::warn!(%err, "an answer failed; trying once more");
                tokio::time::sleep(TRANSIENT_PAUSE).await;
            }
            other => return other,
        }
    }
}

/// Tells a user that what they just did was not saved (and to do it
/// again), in an alert on the button they pressed, if any, and in the
/// chat; a failure to tell them is logged.
pub async fn not_saved(
    bot: &Bot,
    lang: crate::domain::Lang,
    chat: ChatId,
    pressed: Option<&CallbackQuery>,
) {
    let text = crate::t!(lang, "not-saved-try-again");
    if let Some(q) = pressed {
        alert(bot, q, text.clone()).await.ok();
    }
    if let Err(err) = self::text(bot, chat, text).await {
        tracing::warn!(%err, "could not tell the user that nothing was saved");
    }
}

pub async fn text(
    bot: &Bot,
    chat: ChatId,
    text: impl Into<String>,
) -> Result<Message, RequestError> {
    let text = clip(&text.into());
    patiently(|| bot.send_message(chat, text.clone()).send()).await
}

pub async fn with_markup(
    bot: &Bot,
    chat: ChatId,
    text: impl Into<String>,
    markup: impl Into<ReplyMarkup>,
) -> Result<Message, RequestError> {
    let (text, markup) = (clip(&text.into()), markup.into());
    patiently(|| {
        bot.send_message(chat, text.clone())
            .reply_markup(markup.clone())
            .send()
    })
    .await
}

/// Sends photos by Telegram file id: one as a photo, more as an album, the
/// caption on the first. Returns the ids of the messages sent (an album's
/// first carries the caption).
pub async fn photos(
    bot: &Bot,
    chat: ChatId,
    file_ids: &[String],
    caption: Option<String>,
) -> Result<Vec<MessageId>, RequestError> {
    match file_ids {
        [] => Ok(Vec::new()),
        [one] => {
            let sent = patiently(|| {
                let mut request = bot.send_photo(chat, InputFile::file_id(FileId(one.clone())));
                request.caption = caption.clone();
                request.send()
            })
            .await?;
            Ok(vec![sent.id])
        }
        many => {
            let media: Vec<InputMedia> = many
                .iter()
                .enumerate()
                .map(|(i, file)| {
                    let photo = InputMediaPhoto::new(InputFile::file_id(FileId(file.clone())));
                    InputMedia::Photo(match (&caption, i) {
                        (Some(caption), 0) => photo.caption(caption.clone()),
                        _ => photo,
                    })
                })
                .collect();
            let sent = patiently(|| bot.send_media_group(chat, media.clone()).send()).await?;
            Ok(sent.iter().map(|m| m.id).collect())
        }
    }
}

/// Sends a long text in as many messages as needed, split between lines.
pub async fn long(bot: &Bot, chat: ChatId, text: &str) -> Result<(), RequestError> {
    for part in split_message(text, MAX_MESSAGE_CHARS) {
        patiently(|| bot.send_message(chat, part.clone()).send()).await?;
    }
    Ok(())
}

/// Answers a button press with an alert the user must dismiss.
///
/// Answering is best effort: Telegram refuses answers to presses older
/// than about 15 minutes (after a restart, say), and that must not stop
/// the handler from doing its work.
pub async fn alert(
    bot: &Bot,
    q: &CallbackQuery,
    text: impl Into<String>,
) -> Result<(), RequestError> {
    answered(
        bot.answer_callback_query(q.id.clone())
            .text(clip_to(&text.into(), MAX_ANSWER_CHARS))
            .show_alert(true)
            .await,
    );
    Ok(())
}

/// Answers a button press quietly (stops the client's spinner).
pub async fn ack(bot: &Bot, q: &CallbackQuery) -> Result<(), RequestError> {
    answered(bot.answer_callback_query(q.id.clone()).await);
    Ok(())
}

/// Answers a button press with a short toast.
pub async fn toast(
    bot: &Bot,
    q: &CallbackQuery,
    text: impl Into<String>,
) -> Result<(), RequestError> {
    answered(
        bot.answer_callback_query(q.id.clone())
            .text(clip_to(&text.into(), MAX_ANSWER_CHARS))
            .await,
    );
    Ok(())
}

fn answered<T>(result: Result<T, RequestError>) {
    if let Err(err) = result {
        tracing::debug!(%err, "could not answer a button press");
    }
}

/// Replaces a message's text and removes its buttons. A message that is
/// gone or already shows this text is not an error worth reporting.
pub async fn settle(bot: &Bot, chat: ChatId, message: MessageId, text: impl Into<String>) {
    let text = clip(&text.into());
    match patiently(|| bot.edit_message_text(chat, message, text.clone()).send()).await {
        Ok(_) => shown::record(bot, (chat, message), Some(&text), None),
        Err(err) => {
            if is_not_modified(&err) {
                shown::record(bot, (chat, message), Some(&text), None);
            }
            tracing::debug!(%err, chat = chat.0, "could not edit message");
        }
    }
}

/// Replaces a message's text and buttons.
pub async fn edit_with(
    bot: &Bot,
    chat: ChatId,
    message: MessageId,
    text: impl Into<String>,
    markup: InlineKeyboardMarkup,
) {
    let text = clip(&text.into());
    let edit = || {
        bot.edit_message_text(chat, message, text.clone())
            .reply_markup(markup.clone())
            .send()
    };
    match patiently(edit).await {
        Ok(_) => shown::record(bot, (chat, message), Some(&text), Some(&markup)),
        Err(err) => {
            if is_not_modified(&err) {
                shown::record(bot, (chat, message), Some(&text), Some(&markup));
            }
            tracing::debug!(%err, chat = chat.0, "could not edit message");
        }
    }
}

/// A keyboard without buttons is none.
fn buttons(markup: Option<&InlineKeyboardMarkup>) -> Option<&InlineKeyboardMarkup> {
    markup.filter(|k| k.inline_keyboard.iter().any(|row| !row.is_empty()))
}

/// What the message a button was pressed on shows now, as far as it is
/// known: its text (`None`: not known, or not a text) and its buttons
/// (`None` when unknown: a message Telegram no longer sends with the
/// press). The press carries the message as it was when it was tapped; a
/// press handled after an earlier one of the same chat (a button tapped
/// twice, both presses sent before the first was answered) finds the
/// first press's edit in [`shown`].
fn pressed_view(
    bot: &Bot,
    q: &CallbackQuery,
) -> (Option<String>, Option<Option<InlineKeyboardMarkup>>) {
    let carried = q.regular_message().map(|message| {
        (
            message.text().map(str::to_owned),
            buttons(message.reply_markup()).cloned(),
        )
    });
    let (mut text, mut keyboard) = match carried {
        Some((text, keyboard)) => (text, Some(keyboard)),
        None => (None, None),
    };
    if let Some(since) = pressed_message(q).and_then(|at| shown::get(bot, at)) {
        if since.text.is_some() {
            text = since.text;
        }
        keyboard = Some(since.buttons);
    }
    (text, keyboard)
}

/// Whether the pressed message shows this text and these buttons now.
fn pressed_shows(
    bot: &Bot,
    q: &CallbackQuery,
    text: &str,
    markup: Option<&InlineKeyboardMarkup>,
) -> bool {
    match pressed_view(bot, q) {
        (Some(shown), Some(keyboard)) => {
            shown.trim() == text.trim() && keyboard.as_ref() == buttons(markup)
        }
        _ => false,
    }
}

/// `settle` on the message a button was pressed on, unless it already
/// shows `text` without buttons (a second press of the same button).
pub async fn settle_pressed(bot: &Bot, q: &CallbackQuery, text: impl Into<String>) {
    let text = clip(&text.into());
    if pressed_shows(bot, q, &text, None) {
        return;
    }
    // A message Telegram no longer sends with the press (older than about
    // two days) is still the bot's to edit, by its ids.
    if let Some((chat, id)) = pressed_message(q) {
        settle(bot, chat, id, text).await;
    }
}

/// Takes the buttons off the message a button was pressed on and adds
/// `line` under its text (once): what its buttons were for no longer holds.
pub async fn close_pressed(bot: &Bot, q: &CallbackQuery, line: &str) {
    let Some(_) = q.regular_message() else {
        // Sent without its text (older than about two days): the text is
        // kept as it is, the buttons go, and the line comes on its own.
        // Once: only when it still had buttons to take away (a second
        // press finds none, and Telegram refuses the edit).
        if let Some((chat, _)) = pressed_message(q)
            && remove_buttons(bot, q).await
            && let Err(err) = text(bot, chat, line).await
        {
            tracing::debug!(%err, chat = chat.0, "could not send the line");
        }
        return;
    };
    match pressed_view(bot, q).0.as_deref() {
        Some(text) if text.trim_end().ends_with(line.trim()) => settle_pressed(bot, q, text).await,
        Some(text) => settle_pressed(bot, q, format!("{text}\n\n{line}")).await,
        // A document or a photo: its caption stays.
        None => {
            remove_buttons(bot, q).await;
        }
    }
}

/// `edit_with` on the message a button was pressed on, unless it already
/// shows this text and these buttons.
pub async fn edit_pressed(
    bot: &Bot,
    q: &CallbackQuery,
    text: impl Into<String>,
    markup: InlineKeyboardMarkup,
) {
    let text = clip(&text.into());
    if pressed_shows(bot, q, &text, Some(&markup)) {
        return;
    }
    if let Some((chat, id)) = pressed_message(q) {
        edit_with(bot, chat, id, text, markup).await;
    }
}

/// Replaces only the buttons of the message a button was pressed on, its
/// text left as it is.
pub async fn swap_buttons(bot: &Bot, q: &CallbackQuery, markup: InlineKeyboardMarkup) {
    let Some((chat, id)) = pressed_message(q) else {
        return;
    };
    if pressed_view(bot, q)
        .1
        .is_some_and(|shown| shown.as_ref() == buttons(Some(&markup)))
    {
        return;
    }
    match bot
        .edit_message_reply_markup(chat, id)
        .reply_markup(markup.clone())
        .await
    {
        Ok(_) => shown::record(bot, (chat, id), None, Some(&markup)),
        Err(err) => tracing::debug!(%err, chat = chat.0, "could not change the buttons"),
    }
}

/// Takes the buttons off the message a button was pressed on, if it still
/// has any; whether it had (and lost) them.
pub async fn remove_buttons(bot: &Bot, q: &CallbackQuery) -> bool {
    let Some((chat, id)) = pressed_message(q) else {
        return false;
    };
    // Without the message (older than about two days) whether it has any
    // is unknown: asked all the same.
    let has_buttons = pressed_view(bot, q).1.is_none_or(|shown| shown.is_some());
    if !has_buttons {
        return false;
    }
    match bot.edit_message_reply_markup(chat, id).await {
        Ok(_) => {
            shown::record(bot, (chat, id), None, None);
            true
        }
        Err(err) => {
            tracing::debug!(%err, chat = chat.0, "could not remove buttons");
            false
        }
    }
}

/// What the bot's own edits made its messages show, for a while (this
/// process's memory: a restart starts without it). A chat's updates are
/// handled one at a time, in order, but a press carries the message as it
/// was when it was tapped: a button tapped twice (a slow phone, a double
/// tap) sends two presses of the message as it was before the first one's
/// edit. Judged against that, the second press would make the first one's
/// edit again, which Telegram refuses ("message is not modified"), or take
/// away buttons already gone. Every other edit of a message (the outbox
/// sender's, a decision's settling of its cards) forgets what was
/// recorded of it ([`shown::forget`]): the press's own copy is then the
/// freshest known.
pub mod shown {
    use std::{
        collections::HashMap,
        sync::{LazyLock, Mutex},
        time::{Duration, Instant},
    };

    use teloxide::{
        Bot,
        types::{ChatId, InlineKeyboardMarkup, MessageId},
    };

    /// How long an edit is remembered: presses are handled within seconds,
    /// unless the bot stopped meanwhile (and then it remembers nothing).
    const KEPT: Duration = Duration::from_secs(15 * 60);
    /// At most this many messages remembered.
    const MOST: usize = 20_000;

    /// A message as the bot's last edit left it: its text (`None`: that
    /// edit changed only the buttons, the text as it was) and its buttons.
    #[derive(Clone, Debug)]
    pub(super) struct Shown {
        pub text: Option<String>,
        pub buttons: Option<InlineKeyboardMarkup>,
        at: Instant,
    }

    /// By the Bot API server and the bot (its id, the token's part before
    /// the colon: a bot's messages are its own) and message.
    type Key = (String, i64, i32);

    static SHOWN: LazyLock<Mutex<HashMap<Key, Shown>>> = LazyLock::new(Mutex::default);

    fn key(bot: &Bot, (chat, message): (ChatId, MessageId)) -> Key {
        let id = bot.token().split(':').next().unwrap_or_default();
        (format!("{}#{id}", bot.api_url()), chat.0, message.0)
    }

    pub(super) fn record(
        bot: &Bot,
        at: (ChatId, MessageId),
        text: Option<&str>,
        buttons: Option<&InlineKeyboardMarkup>,
    ) {
        let now = Instant::now();
        let mut map = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MOST {
            map.retain(|_, s| now.duration_since(s.at) < KEPT);
            if map.len() >= MOST {
                map.clear();
            }
        }
        let key = key(bot, at);
        let text = text
            .map(str::to_owned)
            .or_else(|| map.get(&key).and_then(|s| s.text.clone()));
        let buttons = super::buttons(buttons).cloned();
        map.insert(
            key,
            Shown {
                text,
                buttons,
                at: now,
            },
        );
    }

    pub(super) fn get(bot: &Bot, at: (ChatId, MessageId)) -> Option<Shown> {
        let map = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&key(bot, at))
            .filter(|s| s.at.elapsed() < KEPT)
            .cloned()
    }

    /// The message was edited otherwise (or is about to be): what was
    /// recorded of it no longer holds.
    pub fn forget(bot: &Bot, at: (ChatId, MessageId)) {
        let mut map = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&key(bot, at));
    }
}

/// Sends a stored document (a signed sheet's DOCX or PDF): by the file id
/// Telegram gave it when it was first uploaded, else its bytes, and then
/// remembers the file id Telegram gives it, so that it is uploaded once. A
/// file id Telegram no longer knows (file ids may expire, and they are
/// another Bot API server's after `TELOXIDE_API_URL` changed) is refused
/// for good: the stored bytes are uploaded instead, once, and the new file
/// id replaces the stale one.
pub async fn stored_document(
    bot: &Bot,
    pool: &crate::store::Pool,
    chat: ChatId,
    doc: &crate::store::documents::Document,
    caption: Option<String>,
) -> Result<Message, RequestError> {
    if let Some(file_id) = &doc.file_id {
        let mut request = bot.send_document(chat, InputFile::file_id(FileId(file_id.clone())));
        request.caption = caption.clone();
        match request.await {
            Err(err) if is_stale_file(&err) => {
                tracing::info!(%err, document = doc.id, "a stored file id refused: uploaded again");
            }
            sent => return sent,
        }
    }
    let file = InputFile::memory(doc.bytes.clone()).file_name(doc.file_name.clone());
    let mut request = bot.send_document(chat, file);
    request.caption = caption;
    let sent = request.await?;
    if let Some(document) = sent.document()
        && let Err(err) = crate::store::documents::set_file_id(
            pool,
            doc.id,
            &document.file.id.0,
            doc.file_id.as_deref(),
        )
        .await
    {
        tracing::warn!(%err, "could not remember a document's file id");
    }
    Ok(sent)
}

/// Whether Telegram refused a file id it does not know (any more).
pub fn is_stale_file(err: &RequestError) -> bool {
    match err {
        RequestError::Api(
            ApiError::WrongFileIdOrUrl | ApiError::WrongFileId | ApiError::FileIdInvalid,
        ) => true,
        RequestError::Api(ApiError::Unknown(text)) => {
            text.starts_with("Bad Request")
                && (text.contains("wrong file identifier")
                    || text.contains("wrong remote file identifier")
                    || text.contains("FILE_ID_INVALID"))
        }
        _ => false,
    }
}

/// Whether the message pressed carries the very button pressed (as
/// Telegram sent it with the press: a message of the last two days): a
/// card of the item the button names, not a forged press.
pub fn carries_pressed(q: &CallbackQuery) -> bool {
    let Some(data) = q.data.as_deref() else {
        return false;
    };
    q.regular_message()
        .and_then(|m| m.reply_markup())
        .is_some_and(|k| {
            k.inline_keyboard
                .iter()
                .flatten()
                .any(|b| matches!(&b.kind, teloxide::types::InlineKeyboardButtonKind::CallbackData(d) if d == data))
        })
}

/// The message a button was pressed on, if Telegram still has it.
pub fn pressed_message(q: &CallbackQuery) -> Option<(ChatId, MessageId)> {
    q.message.as_ref().map(|m| (m.chat().id, m.id()))
}

/// Whether an error means the user can no longer be reached (blocked the
/// bot, deactivated, never started it). Telegram now words all of these as
/// "Forbidden: …", which older teloxide versions do not recognise.
pub fn is_unreachable(err: &RequestError) -> bool {
    match err {
        RequestError::Api(api) => match api {
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::ChatNotFound => true,
            ApiError::Unknown(text) => text.starts_with("Forbidden:"),
            _ => false,
        },
        _ => false,
    }
}

/// Whether Telegram refused an edit because it changes nothing ("message
/// is not modified"): the message shows what was asked already.
pub fn is_not_modified(err: &RequestError) -> bool {
    match err {
        RequestError::Api(ApiError::MessageNotModified) => true,
        RequestError::Api(ApiError::Unknown(text)) => text.contains("message is not modified"),
        _ => false,
    }
}

/// Whether a deletion was refused because the message is gone already
/// (its reader deleted it, or it never was): nothing of it is shown.
pub fn is_already_deleted(err: &RequestError) -> bool {
    match err {
        RequestError::Api(ApiError::MessageToDeleteNotFound) => true,
        RequestError::Api(ApiError::Unknown(text)) => text.contains("message to delete not found"),
        _ => false,
    }
}

/// Whether an edit was refused because the message is gone (its reader
/// deleted it, or cleared the chat): nothing of it is shown to edit.
pub fn is_edit_target_gone(err: &RequestError) -> bool {
    match err {
        RequestError::Api(ApiError::MessageToEditNotFound) => true,
        RequestError::Api(ApiError::Unknown(text)) => text.contains("message to edit not found"),
        _ => false,
    }
}

/// Whether Telegram refused the bot token (revoked, or mistyped).
pub fn token_refused(err: &RequestError) -> bool {
    match err {
        RequestError::Api(ApiError::InvalidToken) => true,
        RequestError::Api(ApiError::Unknown(text)) => {
            text.starts_with("Unauthorized") || text.contains("Not Found")
        }
        _ => false,
    }
}

/// A request that surely never reached Telegram (no connection was made).
fn never_reached(err: &RequestError) -> bool {
    matches!(err, RequestError::Network(e) if e.is_connect())
}

/// An answer of Telegram's servers (or of a proxy before them) that says
/// they failed: a 5xx's description, or a page that is not the Bot API's
/// JSON.
fn server_error(err: &RequestError) -> bool {
    match err {
        RequestError::InvalidJson { .. } => true,
        RequestError::Api(ApiError::Unknown(_)) => is_transient(err) && !token_refused(err),
        _ => false,
    }
}

/// Whether an error may go away if the same request is made again later: a
/// rate limit, the network, a garbled answer, or a description Telegram
/// gives with a 5xx ("Bad Gateway", …). A 400 ("Bad Request: …") and an
/// unreachable user ("Forbidden: …") are for good.
pub fn is_transient(err: &RequestError) -> bool {
    match err {
        RequestError::RetryAfter(_)
        | RequestError::Network(_)
        | RequestError::Io(_)
        | RequestError::InvalidJson { .. } => true,
        RequestError::Api(ApiError::Unknown(text)) => {
            !text.starts_with("Bad Request") && !text.starts_with("Forbidden")
        }
        _ => false,
    }
}

/// Splits `text` into parts of at most `max` characters, between lines
/// where possible.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;
    for line in text.split('\n') {
        let mut line = line.to_string();
        let mut line_len = units(&line);
        while line_len > max {
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
                current_len = 0;
            }
            let (head, rest) = head_of(&line, max);
            let head = head.to_string();
            line = rest.to_string();
            line_len = units(&line);
            parts.push(head);
        }
        let extra = if current.is_empty() {
            line_len
        } else {
            line_len + 1
        };
        if current_len + extra > max {
            parts.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if !current.is_empty() {
            current.push('\n');
            current_len += 1;
        }
        current.push_str(&line);
        current_len += line_len;
    }
    if !current.is_empty() || parts.is_empty() {
        parts.push(current);
    }
    parts
}

/// Cuts a text to what one message can carry.
pub fn clip(text: &str) -> String {
    clip_to(text, MAX_MESSAGE_CHARS)
}

/// Telegram's limit on a caption (1,024 units), with room to spare.
pub const MAX_CAPTION_CHARS: usize = 1000;

/// Telegram's limit on the text of an answer to a button press.
pub const MAX_ANSWER_CHARS: usize = 200;

/// The length of `text` as Telegram counts it: UTF-16 code units (an
/// emoji is two).
pub fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The longest start of `text` of at most `max` units, and the rest.
fn head_of(text: &str, max: usize) -> (&str, &str) {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += c.len_utf16();
        if used > max {
            return text.split_at(at);
        }
    }
    (text, "")
}

/// `text` cut to at most `max` units (as Telegram counts them), with "…"
/// where it was cut.
pub fn clip_to(text: &str, max: usize) -> String {
    if units(text) <= max {
        text.to_string()
    } else {
        let (cut, _) = head_of(text, max.saturating_sub(1));
        format!("{cut}…")
    }
}

/// Appends `lines`, each on a line of its own, while `text` stays within
/// `max` units (as Telegram counts them); returns how many did not fit
/// (for an "…and N more" after them).
pub fn push_lines(text: &mut String, lines: Vec<String>, max: usize) -> usize {
    let mut left = lines.len();
    for line in lines {
        if units(text) + units(&line) + 1 > max {
            return left;
        }
        text.push('\n');
        text.push_str(&line);
        left -= 1;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_between_lines() {
        let text = "aaaa\nbbbb\ncccc";
        assert_eq!(split_message(text, 9), vec!["aaaa\nbbbb", "cccc"]);
        assert_eq!(split_message(text, 100), vec![text]);
    }

    #[test]
    fn lengths_count_as_telegram_counts_them() {
        // An emoji is two UTF-16 units; Vietnamese letters are one.
        assert_eq!(units("ư😀"), 3);
        let clipped = clip_to(&"😀".repeat(10), 9);
        assert_eq!(units(&clipped), 9);
        assert_eq!(clipped, format!("{}…", "😀".repeat(4)));
        let parts = split_message(&"😀".repeat(10), 6);
        assert!(parts.iter().all(|p| units(p) <= 6), "{parts:?}");
        assert_eq!(parts.concat(), "😀".repeat(10));
    }

    #[test]
    fn splits_overlong_lines() {
        let parts = split_message(&"ư".repeat(25), 10);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.chars().count() <= 10));
        assert_eq!(parts.concat(), "ư".repeat(25));
    }

    #[test]
    fn forbidden_is_unreachable() {
        let err = RequestError::Api(ApiError::Unknown(
            "Forbidden: bot was blocked by the user".into(),
        ));
        assert!(is_unreachable(&err));
        let err = RequestError::Api(ApiError::Unknown(
            "Bad Request: message is not modified".into(),
        ));
        assert!(!is_unreachable(&err));
        assert!(is_unreachable(&RequestError::Api(ApiError::BotBlocked)));
    }
}

/// Presses that made something new (an invite code) remembered for a
/// minute, by the pressed message and the button: a button tapped twice at
/// once (a slow phone sends both presses) makes it once.
pub mod pressed_once {
    use std::{
        collections::HashMap,
        sync::{LazyLock, Mutex},
        time::{Duration, Instant},
    };

    use teloxide::{Bot, types::CallbackQuery};

    /// Longer than a double tap's presses lie apart, shorter than a second
    /// thought.
    const WINDOW: Duration = Duration::from_secs(60);

    type Key = (String, i64, i32, String);

    static PRESSED: LazyLock<Mutex<HashMap<Key, Instant>>> = LazyLock::new(Mutex::default);

    /// Forgets the presses made through `bot`: what a restart of the
    /// process does (for tests, whose bot restarts in the same process).
    pub fn forget(bot: &Bot) {
        let url = bot.api_url().to_string();
        let mut map = PRESSED.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|(at, ..), _| *at != url);
    }

    /// Whether this press is the first of its button on its message within
    /// the last minute (it is then remembered).
    pub fn first(bot: &Bot, q: &CallbackQuery) -> bool {
        let Some((chat, message)) = super::pressed_message(q) else {
            return true;
        };
        let key = (
            bot.api_url().to_string(),
            chat.0,
            message.0,
            q.data.clone().unwrap_or_default(),
        );
        let now = Instant::now();
        let mut map = PRESSED.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= 10_000 {
            map.retain(|_, at| now.duration_since(*at) < WINDOW);
        }
        match map.get(&key) {
            Some(at) if now.duration_since(*at) < WINDOW => false,
            _ => {
                map.insert(key, now);
                true
            }
        }
    }
}
