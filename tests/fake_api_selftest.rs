//! Self-test of the fake Telegram Bot API server, driven by a real teloxide `Bot`.

#[path = "common/fake_api.rs"]
mod fake_api;

use std::time::{Duration, Instant};

use fake_api::{FakeApi, Fault, TgUser};
use serde_json::{Value, json};
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, CallbackQueryId, FileId, InlineKeyboardButton,
    InlineKeyboardMarkup, InputFile, InputMedia, InputMediaDocument, InputMediaPhoto,
    KeyboardButton, KeyboardMarkup, MediaKind, MessageId, MessageKind, Recipient, UpdateKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECOND: Duration = Duration::from_secs(1);

/// Chats the tests write to without building an update from their user first.
const KNOWN_CHATS: &[i64] = &[1, 2, 3, 4, 5, 9, 42];

/// A fake whose `KNOWN_CHATS` users have written to the bot, and a bot on it.
async fn setup() -> (FakeApi, Bot) {
    let fake = FakeApi::start().await;
    for &id in KNOWN_CHATS {
        fake.introduce(&TgUser::new(id, "User", None));
    }
    let bot = Bot::new("123:TEST").set_api_url(fake.url());
    (fake, bot)
}

/// The description of a refused call, for a 400 or 403 teloxide does not map
/// to a variant of its own (or does: then its `Display`).
fn api_error(err: RequestError) -> String {
    match err {
        RequestError::Api(ApiError::Unknown(description)) => description,
        RequestError::Api(api) => api.to_string(),
        other => panic!("not an API error: {other:?}"),
    }
}

fn keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            InlineKeyboardButton::callback("Yes", "answer:yes"),
            InlineKeyboardButton::callback("No", "answer:no"),
        ],
        vec![InlineKeyboardButton::url(
            "Docs",
            "https://example.com/docs".parse().unwrap(),
        )],
    ])
}

/// Minimal raw HTTP/1.1 client (no reqwest dev-dependency needed, and no 10 s
/// teloxide delay on 5xx). Returns (status, parsed JSON body).
async fn raw_http(
    fake: &FakeApi,
    method: &str,
    path: &str,
    ctype: &str,
    body: &str,
) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(fake.addr()).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        fake.addr(),
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).unwrap();
    let status: u16 = text.split(' ').nth(1).unwrap().parse().unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
    );
    (status, serde_json::from_str(body).unwrap())
}

#[tokio::test]
async fn get_me() {
    let (fake, bot) = setup().await;
    let me = bot.get_me().await.unwrap();
    assert_eq!(me.id, UserId(999000));
    assert!(me.is_bot);
    assert_eq!(me.username(), "lienhe_test_bot");
    assert_eq!(fake.bot_username(), "lienhe_test_bot");
    let calls = fake.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, "getme");
    assert!(calls[0].response_ok);
    assert!(fake.url().as_str().starts_with("http://127.0.0.1:"));
    assert!(fake.url().as_str().ends_with('/'));
}

#[tokio::test]
async fn send_message_edit_and_markup() {
    let (fake, bot) = setup().await;
    let chat = ChatId(42);
    let msg = bot
        .send_message(chat, "Hello")
        .reply_markup(keyboard())
        .await
        .unwrap();
    assert_eq!(msg.text(), Some("Hello"));
    assert_eq!(msg.chat.id, chat);
    assert!(msg.chat.is_private());
    assert_eq!(msg.from.as_ref().unwrap().id, UserId(999000));
    assert_eq!(msg.reply_markup().unwrap().inline_keyboard.len(), 2);
    assert_eq!(msg.id, MessageId(1));

    let call = fake.calls().pop().unwrap();
    assert_eq!(call.method, "sendmessage");
    assert_eq!(call.params["chat_id"], json!(42));
    assert_eq!(call.params["text"], json!("Hello"));

    let sent = fake.last_sent(42).unwrap();
    assert_eq!(sent.message_id, 1);
    assert_eq!(sent.method, "sendmessage");
    assert_eq!(sent.text.as_deref(), Some("Hello"));
    assert_eq!(
        sent.buttons(),
        vec![
            ("Yes".to_owned(), "answer:yes".to_owned()),
            ("No".to_owned(), "answer:no".to_owned()),
            ("Docs".to_owned(), "https://example.com/docs".to_owned()),
        ]
    );
    assert_eq!(fake.sent_count(42), 1);
    assert_eq!(fake.sent_count(43), 0);

    // editMessageText without reply_markup removes the inline keyboard.
    let edited = bot.edit_message_text(chat, msg.id, "Edited").await.unwrap();
    assert_eq!(edited.text(), Some("Edited"));
    assert!(edited.reply_markup().is_none());
    let sent = fake.message(42, msg.id.0.into()).unwrap();
    assert_eq!(sent.text.as_deref(), Some("Edited"));
    assert!(sent.reply_markup.is_none());
    assert!(sent.buttons().is_empty());
    assert_eq!(sent.edits, 1);

    // editMessageText with a keyboard keeps it.
    bot.edit_message_text(chat, msg.id, "Again")
        .reply_markup(keyboard())
        .await
        .unwrap();
    assert_eq!(fake.message(42, 1).unwrap().buttons().len(), 3);

    // editMessageReplyMarkup replaces, then removes.
    let new_kb = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Only", "only")]]);
    let edited = bot
        .edit_message_reply_markup(chat, msg.id)
        .reply_markup(new_kb)
        .await
        .unwrap();
    assert_eq!(edited.reply_markup().unwrap().inline_keyboard[0].len(), 1);
    assert_eq!(
        fake.message(42, 1).unwrap().buttons(),
        vec![("Only".to_owned(), "only".to_owned())]
    );
    bot.edit_message_reply_markup(chat, msg.id).await.unwrap();
    let sent = fake.message(42, 1).unwrap();
    assert!(sent.reply_markup.is_none());
    assert_eq!(sent.text.as_deref(), Some("Again"));
    assert_eq!(sent.edits, 4);

    // Unknown message -> 400 "message to edit not found".
    let err = bot
        .edit_message_text(chat, MessageId(777), "x")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToEditNotFound)),
        "{err:?}"
    );
    assert!(!fake.calls().last().unwrap().response_ok);
    assert_eq!(fake.sent_count(42), 1);

    // A reply keyboard is kept in Sent (with empty data) but not echoed in Message.
    let msg = bot
        .send_message(chat, "Share")
        .reply_markup(KeyboardMarkup::new([[
            KeyboardButton::new("Share phone").request(teloxide::types::ButtonRequest::Contact)
        ]]))
        .await
        .unwrap();
    assert!(msg.reply_markup().is_none());
    assert_eq!(
        fake.last_sent(42).unwrap().buttons(),
        vec![("Share phone".to_owned(), String::new())]
    );
}

#[tokio::test]
async fn answer_callback_query() {
    let (fake, bot) = setup().await;
    let alice = TgUser::new(42, "Alice", None);
    fake.callback(&alice, 1, "x");
    bot.answer_callback_query(CallbackQueryId("cbq1".into()))
        .text("Done")
        .await
        .unwrap();
    let answered = fake.answered_callbacks();
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].params["callback_query_id"], json!("cbq1"));
    assert_eq!(answered[0].params["text"], json!("Done"));
}

#[tokio::test]
async fn a_query_is_answered_once_and_only_if_it_was_sent() {
    let (fake, bot) = setup().await;
    let alice = TgUser::new(42, "Alice", None);
    fake.callback(&alice, 1, "x");
    bot.answer_callback_query(CallbackQueryId("cbq1".into()))
        .await
        .unwrap();
    // A second answer to the same query.
    let err = bot
        .answer_callback_query(CallbackQueryId("cbq1".into()))
        .text("again")
        .await
        .unwrap_err();
    assert_eq!(api_error(err), fake_api::QUERY_INVALID);
    // A query no update carried.
    let err = bot
        .answer_callback_query(CallbackQueryId("cbq77".into()))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), fake_api::QUERY_INVALID);
    let oks: Vec<bool> = fake
        .answered_callbacks()
        .iter()
        .map(|c| c.response_ok)
        .collect();
    assert_eq!(oks, [true, false, false]);
}

#[tokio::test]
async fn edits_that_change_nothing_are_refused_and_counted() {
    let (fake, bot) = setup().await;
    let chat = ChatId(42);
    let msg = bot
        .send_message(chat, "Hello")
        .reply_markup(keyboard())
        .await
        .unwrap();
    // Same text, same keyboard.
    let err = bot
        .edit_message_text(chat, msg.id, "Hello")
        .reply_markup(keyboard())
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    // Same keyboard alone.
    let err = bot
        .edit_message_reply_markup(chat, msg.id)
        .reply_markup(keyboard())
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    assert_eq!(fake.not_modified(), 2);
    assert_eq!(fake.message(42, msg.id.0.into()).unwrap().edits, 0);

    // Same text without the keyboard is a change (the buttons go) ...
    bot.edit_message_text(chat, msg.id, "Hello").await.unwrap();
    // ... and then the same again is not.
    let err = bot
        .edit_message_text(chat, msg.id, "Hello")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    // Removing a keyboard that is not there changes nothing either; an
    // empty inline keyboard is no keyboard.
    let err = bot
        .edit_message_reply_markup(chat, msg.id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    let err = bot
        .edit_message_reply_markup(chat, msg.id)
        .reply_markup(InlineKeyboardMarkup::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    assert_eq!(fake.not_modified(), 5);

    // Captions: the same caption and markup is no change; another one is.
    let photo = bot
        .send_photo(chat, InputFile::file_id(FileId("AgACp".into())))
        .caption("cap")
        .await
        .unwrap();
    let err = bot
        .edit_message_caption(chat, photo.id)
        .caption("cap")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    bot.edit_message_caption(chat, photo.id)
        .caption("other")
        .await
        .unwrap();
    assert_eq!(fake.not_modified(), 6);
    assert_eq!(fake.message(42, msg.id.0.into()).unwrap().edits, 1);
    assert_eq!(fake.message(42, photo.id.0.into()).unwrap().edits, 1);
}

#[tokio::test]
async fn texts_and_captions_are_bounded() {
    let (fake, bot) = setup().await;
    let chat = ChatId(42);
    // 4096 characters (Vietnamese letters are several bytes) pass; 4097 do not.
    let longest = "ư".repeat(fake_api::MAX_TEXT_CHARS);
    let msg = bot.send_message(chat, longest.clone()).await.unwrap();
    let err = bot
        .send_message(chat, format!("{longest}a"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );
    let err = bot
        .edit_message_text(chat, msg.id, format!("a{longest}"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );
    // Empty, or only blanks.
    for empty in ["", " \n "] {
        let err = bot.send_message(chat, empty).await.unwrap_err();
        assert!(
            matches!(err, RequestError::Api(ApiError::MessageTextIsEmpty)),
            "{err:?}"
        );
    }
    let err = bot.edit_message_text(chat, msg.id, "").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageTextIsEmpty)),
        "{err:?}"
    );

    // Captions: 1024 characters.
    let caption = "ư".repeat(fake_api::MAX_CAPTION_CHARS);
    let photo = bot
        .send_photo(chat, InputFile::file_id(FileId("AgACp".into())))
        .caption(caption.clone())
        .await
        .unwrap();
    let too_long = format!("{caption}a");
    let err = bot
        .send_photo(chat, InputFile::file_id(FileId("AgACp".into())))
        .caption(too_long.clone())
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: message caption is too long");
    let err = bot
        .send_document(chat, InputFile::memory(b"x".to_vec()).file_name("x.pdf"))
        .caption(too_long.clone())
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: message caption is too long");
    let err = bot
        .edit_message_caption(chat, photo.id)
        .caption(too_long.clone())
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: message caption is too long");
    let album = |first_caption: String| {
        [
            InputMedia::Photo(
                InputMediaPhoto::new(InputFile::file_id(FileId("AgACa".into())))
                    .caption(first_caption),
            ),
            InputMedia::Photo(InputMediaPhoto::new(InputFile::file_id(FileId(
                "AgACb".into(),
            )))),
        ]
    };
    let err = bot
        .send_media_group(chat, album(too_long))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: message caption is too long");
    bot.send_media_group(chat, album(caption)).await.unwrap();
    // Refused calls create nothing.
    assert_eq!(fake.sent_count(42), 4);
    assert_eq!(fake.not_modified(), 0);
}

#[tokio::test]
async fn callback_data_is_at_most_64_bytes() {
    let (fake, bot) = setup().await;
    let chat = ChatId(42);
    let keyboard_with = |data: String| {
        InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("ok", "ok"),
            InlineKeyboardButton::callback("long", data),
        ]])
    };
    // 64 bytes (32 two-byte letters) pass; 65 do not, on any method.
    let longest = "ơ".repeat(32);
    assert_eq!(longest.len(), fake_api::MAX_CALLBACK_DATA_BYTES);
    let msg = bot
        .send_message(chat, "a")
        .reply_markup(keyboard_with(longest.clone()))
        .await
        .unwrap();
    let too_long = format!("{longest}x");
    let err = bot
        .send_message(chat, "b")
        .reply_markup(keyboard_with(too_long.clone()))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: BUTTON_DATA_INVALID");
    let err = bot
        .send_photo(chat, InputFile::file_id(FileId("AgACp".into())))
        .reply_markup(keyboard_with(too_long.clone()))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: BUTTON_DATA_INVALID");
    let err = bot
        .edit_message_text(chat, msg.id, "c")
        .reply_markup(keyboard_with(too_long.clone()))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: BUTTON_DATA_INVALID");
    let err = bot
        .edit_message_reply_markup(chat, msg.id)
        .reply_markup(keyboard_with(too_long))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: BUTTON_DATA_INVALID");
    assert_eq!(fake.sent_count(42), 1);
    assert_eq!(fake.message(42, msg.id.0.into()).unwrap().edits, 0);
}

#[tokio::test]
async fn a_keyboard_has_at_most_100_buttons() {
    let (fake, bot) = setup().await;
    let chat = ChatId(42);
    let keyboard = |count: usize| {
        InlineKeyboardMarkup::new(
            (0..count).map(|i| [InlineKeyboardButton::callback(i.to_string(), i.to_string())]),
        )
    };
    let msg = bot
        .send_message(chat, "a")
        .reply_markup(keyboard(fake_api::MAX_INLINE_BUTTONS))
        .await
        .unwrap();
    let err = bot
        .send_message(chat, "b")
        .reply_markup(keyboard(fake_api::MAX_INLINE_BUTTONS + 1))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: REPLY_MARKUP_TOO_LONG");
    let err = bot
        .edit_message_reply_markup(chat, msg.id)
        .reply_markup(keyboard(fake_api::MAX_INLINE_BUTTONS + 1))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: REPLY_MARKUP_TOO_LONG");
    assert_eq!(fake.sent_count(42), 1);
}

#[tokio::test]
async fn a_keyboard_row_has_at_most_8_buttons() {
    let (fake, bot) = setup().await;
    let chat = ChatId(42);
    let row = |count: usize| {
        InlineKeyboardMarkup::new([(0..count)
            .map(|i| InlineKeyboardButton::callback(i.to_string(), i.to_string()))
            .collect::<Vec<_>>()])
    };
    bot.send_message(chat, "a")
        .reply_markup(row(fake_api::MAX_INLINE_ROW_BUTTONS))
        .await
        .unwrap();
    let err = bot
        .send_message(chat, "b")
        .reply_markup(row(fake_api::MAX_INLINE_ROW_BUTTONS + 1))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), "Bad Request: REPLY_MARKUP_TOO_LONG");
    assert_eq!(fake.sent_count(42), 1);
}

#[tokio::test]
async fn the_bot_cannot_write_first() {
    let (fake, bot) = setup().await;
    // Nobody with id 500 ever wrote to the bot.
    let stranger = ChatId(500);
    // Telegram words it "Forbidden: …" now; teloxide only knows the older
    // "Unauthorized: …", so this arrives as ApiError::Unknown.
    let err = bot.send_message(stranger, "hello").await.unwrap_err();
    assert_eq!(api_error(err), fake_api::CANT_INITIATE);
    let err = bot
        .send_photo(stranger, InputFile::file_id(FileId("AgACp".into())))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), fake_api::CANT_INITIATE);
    let err = bot
        .send_document(stranger, InputFile::memory(b"x".to_vec()))
        .await
        .unwrap_err();
    assert_eq!(api_error(err), fake_api::CANT_INITIATE);
    assert_eq!(fake.sent_count(500), 0);
    assert!(!fake.knows(500));

    // Once they write (a message, or a button press), the bot may answer.
    let user = TgUser::new(500, "Lan", Some("vi"));
    fake.text(&user, "/start");
    assert!(fake.knows(500));
    bot.send_message(stranger, "hello").await.unwrap();
    let other = TgUser::new(501, "Hoa", None);
    fake.callback(&other, 1, "x");
    bot.send_message(ChatId(501), "hello").await.unwrap();
    // A user created straight in a database is introduced.
    fake.introduce(&TgUser::new(502, "Minh", None));
    bot.send_message(ChatId(502), "hello").await.unwrap();
    // Groups are not checked.
    bot.send_message(ChatId(-100_123), "hello").await.unwrap();
    // A user made unreachable on purpose still is.
    fake.fail_next(
        "sendMessage",
        Some(500),
        Fault::Forbidden("bot was blocked by the user".into()),
        1,
    );
    let err = bot.send_message(stranger, "again").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::BotBlocked)),
        "{err:?}"
    );
}

#[tokio::test]
async fn albums_have_two_to_ten_media() {
    let (fake, bot) = setup().await;
    let photos = |n: usize| {
        (0..n)
            .map(|i| {
                InputMedia::Photo(InputMediaPhoto::new(InputFile::file_id(FileId(format!(
                    "AgAC{i}"
                )))))
            })
            .collect::<Vec<_>>()
    };
    for n in [1, 11] {
        let err = bot
            .send_media_group(ChatId(42), photos(n))
            .await
            .unwrap_err();
        assert_eq!(
            api_error(err),
            "Bad Request: wrong number of media in the group",
            "{n} media"
        );
    }
    assert_eq!(
        bot.send_media_group(ChatId(42), photos(2))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        bot.send_media_group(ChatId(42), photos(10))
            .await
            .unwrap()
            .len(),
        10
    );
    assert_eq!(fake.sent_count(42), 12);
}

#[tokio::test]
async fn a_refused_token_is_unauthorized_everywhere() {
    let fake = FakeApi::start().await;
    fake.refuse_token("123:REVOKED");
    let refused = Bot::new("123:REVOKED").set_api_url(fake.url());
    let err = refused.get_me().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
    let (status, body) = raw_http(
        &fake,
        "POST",
        "/bot123:REVOKED/getMe",
        "application/json",
        "{}",
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"})
    );
    let err = refused.get_updates().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
    // Another token still works.
    let bot = Bot::new("123:TEST").set_api_url(fake.url());
    assert_eq!(bot.get_me().await.unwrap().username(), "lienhe_test_bot");
}

#[tokio::test]
async fn send_photo_by_file_id_is_multipart() {
    let (fake, bot) = setup().await;
    let msg = bot
        .send_photo(ChatId(42), InputFile::file_id(FileId("AgACPhoto1".into())))
        .caption("2024")
        .reply_markup(keyboard())
        .await
        .unwrap();
    let photo = msg.photo().unwrap();
    assert_eq!(photo.last().unwrap().file.id.0, "AgACPhoto1");
    assert_eq!(msg.caption(), Some("2024"));
    assert!(msg.reply_markup().is_some());

    let call = fake.calls().pop().unwrap();
    assert_eq!(call.method, "sendphoto");
    assert_eq!(call.params["chat_id"], json!(42)); // parsed from multipart text
    assert_eq!(call.params["photo"], json!("AgACPhoto1"));
    assert_eq!(call.params["caption"], json!("2024")); // stays a string
    assert!(call.params["reply_markup"]["inline_keyboard"].is_array());

    let sent = fake.last_sent(42).unwrap();
    assert_eq!(sent.method, "sendphoto");
    assert_eq!(sent.file.as_deref(), Some("AgACPhoto1"));
    assert_eq!(sent.text.as_deref(), Some("2024"));
    assert_eq!(sent.buttons().len(), 3);

    // editMessageText on a photo fails like Telegram; editMessageCaption works.
    let err = bot
        .edit_message_text(ChatId(42), msg.id, "x")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no text in the message"), "{err}");
    let edited = bot
        .edit_message_caption(ChatId(42), msg.id)
        .caption("new caption")
        .await
        .unwrap();
    assert_eq!(edited.caption(), Some("new caption"));
    let sent = fake.last_sent(42).unwrap();
    assert_eq!(sent.text.as_deref(), Some("new caption"));
    assert!(sent.reply_markup.is_none());
    assert_eq!(sent.edits, 1);
}

#[tokio::test]
async fn send_media_group() {
    let (fake, bot) = setup().await;
    let msgs = bot
        .send_media_group(
            ChatId(42),
            [
                InputMedia::Photo(
                    InputMediaPhoto::new(InputFile::file_id(FileId("AgACa".into())))
                        .caption("first"),
                ),
                InputMedia::Photo(InputMediaPhoto::new(InputFile::file_id(FileId(
                    "AgACb".into(),
                )))),
                InputMedia::Document(InputMediaDocument::new(
                    InputFile::memory(b"pdf bytes".to_vec()).file_name("a.pdf"),
                )),
            ],
        )
        .await
        .unwrap();
    assert_eq!(msgs.len(), 3);
    let group = msgs[0].media_group_id().unwrap().clone();
    assert!(msgs.iter().all(|m| m.media_group_id() == Some(&group)));
    assert_eq!(msgs[0].caption(), Some("first"));
    assert_eq!(msgs[1].photo().unwrap().last().unwrap().file.id.0, "AgACb");
    assert_eq!(
        msgs[2].document().unwrap().file_name.as_deref(),
        Some("a.pdf")
    );

    let call = fake.calls().pop().unwrap();
    assert_eq!(call.method, "sendmediagroup");
    assert_eq!(call.params["media"][0]["media"], json!("AgACa"));
    assert_eq!(call.params["media"][2]["media"], json!("upload:a.pdf"));

    let sent = fake.sent(42);
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|s| s.method == "sendmediagroup"));
    assert_eq!(sent[0].file.as_deref(), Some("AgACa"));
    assert_eq!(sent[0].text.as_deref(), Some("first"));
    assert_eq!(sent[1].file.as_deref(), Some("AgACb"));
    assert_eq!(sent[2].file.as_deref(), Some("upload:a.pdf"));
    assert_eq!(sent[2].document_bytes.as_deref(), Some(&b"pdf bytes"[..]));
}

#[tokio::test]
async fn send_document_bytes() {
    let (fake, bot) = setup().await;
    let data = b"name,phone\nA,0900\n".to_vec();
    let msg = bot
        .send_document(
            ChatId(42),
            InputFile::memory(data.clone()).file_name("report.csv"),
        )
        .caption("Report")
        .await
        .unwrap();
    let doc = msg.document().unwrap();
    assert_eq!(doc.file_name.as_deref(), Some("report.csv"));
    assert_eq!(doc.file.size as usize, data.len());

    let sent = fake.last_sent(42).unwrap();
    assert_eq!(sent.method, "senddocument");
    assert_eq!(sent.file.as_deref(), Some("upload:report.csv"));
    assert_eq!(sent.document_bytes.as_deref(), Some(&data[..]));
    assert_eq!(sent.text.as_deref(), Some("Report"));
    let call = fake.calls().pop().unwrap();
    assert_eq!(call.params["document"], json!("upload:report.csv"));

    // Without a file name the part name is used.
    bot.send_document(ChatId(42), InputFile::memory(b"x".to_vec()))
        .await
        .unwrap();
    let sent = fake.last_sent(42).unwrap();
    assert!(sent.file.as_deref().unwrap().starts_with("upload:"));
    assert_eq!(sent.document_bytes.as_deref(), Some(&b"x"[..]));
}

#[tokio::test]
async fn set_my_commands_with_scope() {
    let (fake, bot) = setup().await;
    bot.set_my_commands([
        BotCommand::new("start", "Start"),
        BotCommand::new("help", "Help"),
    ])
    .scope(BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(42)),
    })
    .language_code("vi")
    .await
    .unwrap();
    bot.delete_webhook().await.unwrap();
    bot.send_chat_action(ChatId(42), teloxide::types::ChatAction::Typing)
        .await
        .unwrap();
    let calls = fake.calls();
    assert_eq!(calls[0].method, "setmycommands");
    assert_eq!(
        calls[0].params["scope"],
        json!({"type": "chat", "chat_id": 42})
    );
    assert_eq!(calls[0].params["commands"][1]["command"], json!("help"));
    assert_eq!(calls[0].params["language_code"], json!("vi"));
    assert_eq!(calls[1].method, "deletewebhook");
    assert_eq!(calls[2].method, "sendchataction");
    assert_eq!(fake.sent_count(42), 0);
}

#[tokio::test]
async fn get_updates_long_polling() {
    let (fake, bot) = setup().await;
    let alice = TgUser::new(42, "Alice", Some("vi"));

    // Queued updates are returned (offset 0 = everything unconfirmed).
    let u1 = fake.text(&alice, "/start now");
    let u2 = fake.text(&alice, "hello");
    assert_eq!((u1, u2), (1, 2));
    let updates = bot.get_updates().timeout(1).await.unwrap();
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0].id.0, 1);
    let UpdateKind::Message(m) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert_eq!(m.text(), Some("/start now"));
    assert_eq!(m.chat.id, ChatId(42));
    assert_eq!(
        m.from.as_ref().unwrap().language_code.as_deref(),
        Some("vi")
    );
    let entities = m.entities().unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].length, "/start".len());

    // Unconfirmed updates come again; limit is honoured.
    let updates = bot.get_updates().limit(1).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].id.0, 1);

    // Offset confirms; a pending request is woken by a push.
    assert!(!fake.wait_idle(Duration::ZERO).await);
    let pusher = {
        let fake = fake.clone();
        let alice = alice.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            fake.text(&alice, "late")
        })
    };
    let started = Instant::now();
    let updates = bot.get_updates().offset(3).timeout(2).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(pusher.await.unwrap(), 3);
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].id.0, 3);

    // Redelivery: the identical update comes once more, regardless of offset.
    fake.redeliver(u1);
    let updates = bot.get_updates().offset(4).timeout(1).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].id.0, 1);
    let UpdateKind::Message(m) = &updates[0].kind else {
        panic!()
    };
    assert_eq!(m.text(), Some("/start now"));

    // Nothing pending: waits `timeout` and returns [].
    let started = Instant::now();
    let updates = bot.get_updates().offset(4).timeout(1).await.unwrap();
    assert!(updates.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert!(fake.wait_idle(Duration::ZERO).await);

    // getUpdates is not recorded in calls().
    assert_eq!(fake.call_count(), 0);

    // close_getupdates releases a pending request early.
    let closer = {
        let fake = fake.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            fake.close_getupdates();
        })
    };
    let started = Instant::now();
    let updates = bot.get_updates().offset(4).timeout(10).await.unwrap();
    closer.await.unwrap();
    assert!(updates.is_empty());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn one_update_is_confirmed_by_a_later_offset() {
    let (fake, bot) = setup().await;
    let alice = TgUser::new(42, "Alice", Some("vi"));
    let u1 = fake.text(&alice, "one");
    let u2 = fake.text(&alice, "two");
    assert!(!fake.is_confirmed(u1));
    assert_eq!(fake.update(u1).unwrap()["message"]["text"], json!("one"));

    // Delivered is not confirmed: a client that died without confirming
    // (the next one starts at offset 0) gets both again.
    assert_eq!(bot.get_updates().timeout(0).await.unwrap().len(), 2);
    assert!(!fake.is_confirmed(u1));
    assert_eq!(bot.get_updates().timeout(0).await.unwrap().len(), 2);

    // An offset confirms what is below it, and wakes a waiter.
    let waiter = {
        let fake = fake.clone();
        tokio::spawn(async move { fake.wait_update_confirmed(u1, 2 * SECOND).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let rest = bot
        .get_updates()
        .offset(u2 as i32)
        .timeout(0)
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    assert!(waiter.await.unwrap());
    assert!((fake.is_confirmed(u1), fake.is_confirmed(u2)) == (true, false));
    assert!(
        !fake
            .wait_update_confirmed(u2, Duration::from_millis(50))
            .await
    );

    // A redelivery waiting or delivered again is not confirmed until a later offset.
    fake.redeliver(u1);
    assert!(!fake.is_confirmed(u1));
    let again = bot
        .get_updates()
        .offset(u2 as i32 + 1)
        .timeout(0)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert!(!fake.is_confirmed(u1));
    assert!(fake.is_confirmed(u2));
    bot.get_updates()
        .offset(u2 as i32 + 1)
        .timeout(0)
        .await
        .unwrap();
    assert!(fake.is_confirmed(u1));
}

/// A copy sent twice and served to a client killed before its next
/// offset (the update itself confirmed long before) comes again to the
/// next client, which starts at offset 0: before, nobody was ever done with
/// it and every wait for the bot to be done timed out (a chaos seed in CI).
#[tokio::test]
async fn a_copy_served_to_a_killed_client_comes_again_to_the_next() {
    let (fake, bot) = setup().await;
    let alice = TgUser::new(42, "Alice", Some("vi"));
    let u1 = fake.text(&alice, "one");
    let u2 = fake.text(&alice, "two");
    assert_eq!(bot.get_updates().timeout(0).await.unwrap().len(), 2);
    bot.get_updates()
        .offset(u2 as i32 + 1)
        .timeout(0)
        .await
        .unwrap();
    assert!(fake.wait_confirmed(Duration::ZERO).await);

    // Sent twice; the client takes the copy and is killed.
    fake.redeliver(u1);
    let copy = bot
        .get_updates()
        .offset(u2 as i32 + 1)
        .timeout(0)
        .await
        .unwrap();
    assert_eq!(copy.len(), 1);
    assert!(!fake.wait_confirmed(Duration::ZERO).await);

    // The next process starts at offset 0: the copy comes again, and its
    // next offset confirms it.
    let again = bot.get_updates().timeout(0).await.unwrap();
    assert_eq!(
        again.iter().map(|u| u.id.0).collect::<Vec<_>>(),
        vec![u1 as u32]
    );
    bot.get_updates()
        .offset(u1 as i32 + 1)
        .timeout(0)
        .await
        .unwrap();
    assert!(fake.wait_confirmed(Duration::ZERO).await);
}

#[tokio::test]
async fn update_helpers_deserialize() {
    let (fake, bot) = setup().await;
    let mut bob = TgUser::new(7, "Bob", None);
    bob.last_name = Some("B".into());
    bob.username = Some("bob".into());
    fake.introduce(&bob);

    let sent = bot
        .send_message(ChatId(7), "Pick")
        .reply_markup(keyboard())
        .await
        .unwrap();

    fake.photo(&bob, "AgACbig", Some("grp1"), Some("cap"));
    fake.sticker(&bob);
    fake.contact(&bob, "+84900000000", Some(7));
    fake.message_with(
        &bob,
        json!({"location": {"latitude": 21.03, "longitude": 105.85}}),
    );
    fake.message_with(
        &bob,
        // NB: teloxide requires `mime_type` on Voice (no serde default).
        json!({"voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3, "mime_type": "audio/ogg"}}),
    );
    fake.callback(&bob, sent.id.0.into(), "answer:yes");
    fake.callback(&bob, 9999, "orphan");
    fake.push_update(json!({"edited_message": {
        "message_id": 100, "date": 1_700_000_000, "edit_date": 1_700_000_100,
        "chat": {"id": 7, "type": "private", "first_name": "Bob"},
        "from": bob.to_json(), "text": "edited"
    }}));

    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 8);
    let msg = |i: usize| match &updates[i].kind {
        UpdateKind::Message(m) => m.clone(),
        other => panic!("update {i}: {other:?}"),
    };
    let media = |i: usize| match msg(i).kind {
        MessageKind::Common(c) => c.media_kind,
        other => panic!("update {i}: {other:?}"),
    };

    let m = msg(0);
    assert_eq!(m.photo().unwrap().len(), 2);
    assert_eq!(m.photo().unwrap()[1].file.id.0, "AgACbig");
    assert_eq!(m.media_group_id().unwrap().0, "grp1");
    assert_eq!(m.caption(), Some("cap"));
    assert_eq!(m.from.as_ref().unwrap().username.as_deref(), Some("bob"));
    assert!(matches!(media(1), MediaKind::Sticker(_)));
    let MediaKind::Contact(c) = media(2) else {
        panic!()
    };
    assert_eq!(c.contact.phone_number, "+84900000000");
    assert_eq!(c.contact.user_id, Some(UserId(7)));
    assert!(matches!(media(3), MediaKind::Location(_)));
    assert!(matches!(media(4), MediaKind::Voice(_)));

    let UpdateKind::CallbackQuery(q) = &updates[5].kind else {
        panic!("{:?}", updates[5].kind)
    };
    assert_eq!(q.data.as_deref(), Some("answer:yes"));
    assert_eq!(q.from.id, UserId(7));
    let qm = q.regular_message().unwrap();
    assert_eq!(qm.id, sent.id);
    assert_eq!(qm.chat.id, ChatId(7));
    assert_eq!(qm.text(), Some("Pick"));
    assert!(qm.reply_markup().is_some());

    let UpdateKind::CallbackQuery(q) = &updates[6].kind else {
        panic!("{:?}", updates[6].kind)
    };
    assert_ne!(q.id, updates_callback_id(&updates[5]));
    assert_eq!(q.regular_message().unwrap().id, MessageId(9999));
    assert!(matches!(updates[7].kind, UpdateKind::EditedMessage(_)));

    // Bot messages to a known user render the user's chat.
    let m = bot.send_message(ChatId(7), "hi Bob").await.unwrap();
    assert_eq!(m.chat.first_name(), Some("Bob"));
}

fn updates_callback_id(update: &Update) -> CallbackQueryId {
    match &update.kind {
        UpdateKind::CallbackQuery(q) => q.id.clone(),
        _ => panic!(),
    }
}

#[tokio::test]
async fn injected_faults() {
    let (fake, bot) = setup().await;

    // 429 -> RequestError::RetryAfter, only `times` calls.
    fake.fail_next(
        "sendMessage",
        None,
        Fault::TooManyRequests { retry_after: 3 },
        1,
    );
    let err = bot.send_message(ChatId(1), "a").await.unwrap_err();
    match err {
        RequestError::RetryAfter(s) => assert_eq!(s.seconds(), 3),
        other => panic!("{other:?}"),
    }
    bot.send_message(ChatId(1), "b").await.unwrap();

    // 403 filtered by chat.
    fake.fail_next(
        "SENDMESSAGE",
        Some(2),
        Fault::Forbidden("Forbidden: bot was blocked by the user".into()),
        2,
    );
    bot.send_message(ChatId(3), "other chat").await.unwrap();
    for _ in 0..2 {
        let err = bot.send_message(ChatId(2), "c").await.unwrap_err();
        let RequestError::Api(api) = &err else {
            panic!("{err:?}")
        };
        assert!(api.to_string().starts_with("Forbidden:"), "{api}");
        assert!(matches!(api, ApiError::BotBlocked));
    }
    bot.send_message(ChatId(2), "unblocked").await.unwrap();

    // Prefix is added when missing.
    fake.fail_next(
        "sendPhoto",
        None,
        Fault::Forbidden("user is deactivated".into()),
        1,
    );
    let err = bot
        .send_photo(ChatId(4), InputFile::file_id(FileId("p".into())))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::UserDeactivated)),
        "{err:?}"
    );

    // 400.
    fake.fail_next(
        "answerCallbackQuery",
        None,
        Fault::BadRequest(
            "query is too old and response timeout expired or query ID is invalid".into(),
        ),
        1,
    );
    let err = bot
        .answer_callback_query(CallbackQueryId("x".into()))
        .await
        .unwrap_err();
    let RequestError::Api(api) = &err else {
        panic!("{err:?}")
    };
    // Descriptions teloxide does not know arrive as ApiError::Unknown(description).
    assert!(
        matches!(api, ApiError::Unknown(d) if d.starts_with("Bad Request: query is too old")),
        "{api:?}"
    );

    // Failed calls are recorded with response_ok = false and create no Sent.
    let calls = fake.calls();
    let failed: Vec<_> = calls.iter().filter(|c| !c.response_ok).collect();
    assert_eq!(failed.len(), 5);
    assert_eq!(fake.sent_count(1), 1);
    assert_eq!(fake.sent_count(2), 1);
    assert_eq!(fake.sent_count(4), 0);
    assert_eq!(fake.answered_callbacks().len(), 1);
}

#[tokio::test]
async fn a_disconnect_is_a_network_error() {
    let (fake, bot) = setup().await;
    fake.fail_next("sendMessage", None, Fault::Disconnect, 1);
    fake.fail_next("getUpdates", None, Fault::Disconnect, 1);
    let started = Instant::now();
    let err = bot.send_message(ChatId(42), "a").await.unwrap_err();
    assert!(matches!(err, RequestError::Network(_)), "{err:?}");
    let err = bot.get_updates().await.unwrap_err();
    assert!(matches!(err, RequestError::Network(_)), "{err:?}");
    assert!(started.elapsed() < SECOND, "no 5xx delay");
    // Recorded as failed, nothing created; the next call works.
    assert!(!fake.calls()[0].response_ok);
    assert_eq!(fake.sent_count(42), 0);
    bot.send_message(ChatId(42), "b").await.unwrap();
    assert!(bot.get_updates().await.unwrap().is_empty());
}

#[tokio::test]
async fn server_error_and_raw_bodies() {
    let fake = FakeApi::start().await;
    fake.introduce(&TgUser::new(5, "User", None));
    // 5xx checked with a raw client: teloxide would sleep 10 s before reading it.
    fake.fail_next("sendMessage", Some(5), Fault::ServerError(502), 1);
    let (status, body) = raw_http(
        &fake,
        "POST",
        "/bot123:TEST/SendMessage",
        "application/json",
        r#"{"chat_id":5,"text":"hi"}"#,
    )
    .await;
    assert_eq!(status, 502);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 502, "description": "Bad Gateway"})
    );
    assert_eq!(fake.sent_count(5), 0);

    // Raw 429 body shape.
    fake.fail_next(
        "sendMessage",
        None,
        Fault::TooManyRequests { retry_after: 7 },
        1,
    );
    let (status, body) = raw_http(
        &fake,
        "POST",
        "/bot123:TEST/sendMessage",
        "application/json",
        r#"{"chat_id":5,"text":"hi"}"#,
    )
    .await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 429,
               "description": "Too Many Requests: retry after 7",
               "parameters": {"retry_after": 7}})
    );

    // Form-urlencoded body.
    let (status, body) = raw_http(
        &fake,
        "POST",
        "/bot123:TEST/sendMessage",
        "application/x-www-form-urlencoded",
        "chat_id=5&text=123",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["text"], json!("123"));
    assert_eq!(body["result"]["chat"]["id"], json!(5));

    // GET with query parameters.
    let (status, body) = raw_http(&fake, "GET", "/bot123:TEST/getMe?x=1", "text/plain", "").await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["username"], json!("lienhe_test_bot"));

    // Unknown method -> true; bad path -> 404.
    let (_, body) = raw_http(
        &fake,
        "POST",
        "/bot123:TEST/pinChatMessage",
        "application/json",
        "{}",
    )
    .await;
    assert_eq!(body, json!({"ok": true, "result": true}));
    let (status, _) = raw_http(&fake, "POST", "/nope", "application/json", "{}").await;
    assert_eq!(status, 404);

    let methods: Vec<_> = fake
        .calls()
        .into_iter()
        .map(|c| (c.method, c.response_ok))
        .collect();
    assert_eq!(
        methods,
        vec![
            ("sendmessage".to_owned(), false),
            ("sendmessage".to_owned(), false),
            ("sendmessage".to_owned(), true),
            ("getme".to_owned(), true),
            ("pinchatmessage".to_owned(), true),
        ]
    );
    assert_eq!(fake.calls()[3].params["x"], json!(1));
}

#[tokio::test]
async fn rate_ceilings() {
    let (fake, bot) = setup().await;
    fake.set_limits(Some(5), Some(2));

    bot.send_message(ChatId(1), "1").await.unwrap();
    bot.send_message(ChatId(1), "2").await.unwrap();
    let err = bot.send_message(ChatId(1), "3").await.unwrap_err();
    assert!(
        matches!(err, RequestError::RetryAfter(s) if s.seconds() == 1),
        "{err:?}"
    );
    assert_eq!(fake.violations(), 1);
    assert_eq!(fake.sent_count(1), 2);

    // Non-send methods and sendChatAction are not limited.
    bot.send_chat_action(ChatId(1), teloxide::types::ChatAction::Typing)
        .await
        .unwrap();
    bot.edit_message_text(ChatId(1), MessageId(1), "edited")
        .await
        .unwrap();

    bot.send_message(ChatId(2), "1").await.unwrap();
    bot.send_message(ChatId(2), "2").await.unwrap();
    bot.send_photo(ChatId(3), InputFile::file_id(FileId("p".into())))
        .await
        .unwrap();
    // 5 accepted within the window -> global ceiling reached.
    let err = bot.send_message(ChatId(4), "x").await.unwrap_err();
    assert!(matches!(err, RequestError::RetryAfter(_)), "{err:?}");
    assert_eq!(fake.violations(), 2);
    assert_eq!(fake.sent_count(4), 0);
    assert!(!fake.calls().last().unwrap().response_ok);

    // The window slides.
    tokio::time::sleep(Duration::from_millis(1050)).await;
    bot.send_message(ChatId(1), "later").await.unwrap();
    bot.send_message(ChatId(4), "later").await.unwrap();
    assert_eq!(fake.violations(), 2);

    // Lifting the limits.
    fake.set_limits(None, None);
    for _ in 0..5 {
        bot.send_message(ChatId(1), "burst").await.unwrap();
    }
    assert_eq!(fake.violations(), 2);
}

#[tokio::test]
async fn waiters() {
    let (fake, bot) = setup().await;
    assert!(
        fake.wait_call(0, Duration::from_millis(50), |_| true)
            .await
            .is_none()
    );
    assert!(
        fake.wait_sent(9, 1, Duration::from_millis(50))
            .await
            .is_empty()
    );

    fake.callback(&TgUser::new(9, "User", None), 1, "x");
    let since = fake.call_count();
    let task = {
        let bot = bot.clone();
        tokio::spawn(async move {
            for i in 0..3 {
                tokio::time::sleep(Duration::from_millis(50)).await;
                bot.send_message(ChatId(9), format!("m{i}")).await.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            bot.answer_callback_query(CallbackQueryId("cbq1".into()))
                .await
                .unwrap();
        })
    };
    let sent = fake.wait_sent(9, 3, SECOND).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[2].text.as_deref(), Some("m2"));
    let call = fake
        .wait_call(since, SECOND, |c| c.method == "answercallbackquery")
        .await
        .unwrap();
    assert_eq!(call.params["callback_query_id"], json!("cbq1"));
    task.await.unwrap();
    let first = fake
        .wait_call(since, SECOND, |c| c.method == "sendmessage")
        .await
        .unwrap();
    assert_eq!(first.params["text"], json!("m0"));
}

/// A real teloxide dispatcher with long polling against the fake.
#[tokio::test]
async fn dispatcher_end_to_end() {
    let (fake, bot) = setup().await;
    let alice = TgUser::new(42, "Alice", Some("en"));

    let handler = dptree::entry()
        .branch(
            Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
                let text = msg.text().unwrap_or("").to_owned();
                bot.send_message(msg.chat.id, format!("echo: {text}"))
                    .reply_markup(InlineKeyboardMarkup::new([[
                        InlineKeyboardButton::callback("Again", "again"),
                    ]]))
                    .await?;
                respond(())
            }),
        )
        .branch(Update::filter_callback_query().endpoint(
            |bot: Bot, q: CallbackQuery| async move {
                bot.answer_callback_query(q.id.clone()).text("ok").await?;
                if let Some(m) = q.regular_message() {
                    bot.edit_message_text(m.chat.id, m.id, "pressed").await?;
                }
                respond(())
            },
        ));
    let listener = teloxide::update_listeners::Polling::builder(bot.clone())
        .timeout(SECOND)
        .build();
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let token = dispatcher.shutdown_token();
    let run = tokio::spawn(async move {
        dispatcher
            .dispatch_with_listener(listener, LoggingErrorHandler::with_custom_text("listener"))
            .await;
    });

    fake.text(&alice, "hello");
    let sent = fake.wait_sent(42, 1, Duration::from_secs(2)).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].text.as_deref(), Some("echo: hello"));
    assert!(fake.wait_idle(Duration::from_secs(2)).await);

    let since = fake.call_count();
    fake.callback(&alice, sent[0].message_id, "again");
    let edit = fake
        .wait_call(since, Duration::from_secs(2), |c| {
            c.method == "editmessagetext"
        })
        .await
        .unwrap();
    assert!(edit.response_ok);
    assert_eq!(fake.answered_callbacks().len(), 1);
    let msg = fake.message(42, sent[0].message_id).unwrap();
    assert_eq!(msg.text.as_deref(), Some("pressed"));
    assert!(msg.buttons().is_empty());
    assert!(fake.wait_idle(Duration::from_secs(2)).await);

    // Shut down quickly: release the pending long poll.
    let stop = token.shutdown().unwrap();
    fake.close_getupdates();
    tokio::time::timeout(Duration::from_secs(3), stop)
        .await
        .expect("dispatcher shut down");
    run.await.unwrap();
}

/// deleteMessage as Telegram answers it: a message deleted once is gone
/// (deleted again, or edited: not found), one that never was is not found,
/// and a bot message older than 48 hours can no longer be deleted.
#[tokio::test]
async fn delete_message_is_refused_as_telegram_refuses_it() {
    let (fake, bot) = setup().await;
    let chat = ChatId(42);
    let first = bot.send_message(chat, "One").await.unwrap();
    bot.delete_message(chat, first.id).await.unwrap();
    assert!(fake.message(42, first.id.0 as i64).unwrap().deleted);
    let again = bot.delete_message(chat, first.id).await.unwrap_err();
    assert!(api_error(again).contains("message to delete not found"));
    let edit = bot
        .edit_message_text(chat, first.id, "Two")
        .await
        .unwrap_err();
    assert!(api_error(edit).contains("message to edit not found"));
    let never = bot.delete_message(chat, MessageId(777)).await.unwrap_err();
    assert!(api_error(never).contains("message to delete not found"));
    let old = bot.send_message(chat, "Old").await.unwrap();
    fake.age_messages(42);
    let refused = bot.delete_message(chat, old.id).await.unwrap_err();
    assert!(api_error(refused).contains("message can't be deleted"));
    assert!(!fake.message(42, old.id.0 as i64).unwrap().deleted);
}
