//! Wrong input gets a clear answer, the step is asked again, nothing is lost.

use lienhe::domain::Lang;
use serde_json::json;

use crate::common::*;

async fn at_date_step(h: &Harness, member: &TgUser) {
    let kinds = h.ask(member, "/report").await;
    let first = kinds.buttons()[0].0.clone();
    h.press(member, &kinds, &first).await;
}

/// `/report`, the first kind, Today: the description is asked.
async fn at_description_step(h: &Harness, member: &TgUser, lang: Lang) {
    at_date_step(h, member).await;
    let date = h.last(member);
    h.press(
        member,
        &date,
        &lienhe::i18n::loader(lang).get("button-today"),
    )
    .await;
}

#[tokio::test]
async fn bad_dates_are_explained_and_asked_again() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    at_date_step(&h, &member).await;

    for (input, expected) in [
        ("hôm kia", "không đúng định dạng"),
        ("31/02/2026", "không có trên lịch"),
        ("21/11/2026", "trong tương lai"),
        ("19/11/2025", "từ ngày 20/11/2025 (12 tháng gần nhất"),
    ] {
        let reply = h.ask(&member, input).await;
        let text = reply.text.clone().unwrap();
        assert!(text.contains(expected), "{input}: {text}");
        assert!(
            text.contains("Hoạt động diễn ra ngày nào?"),
            "asked again: {text}"
        );
        assert_eq!(reply.button_texts(), vec!["Hôm nay", "Hôm qua"]);
    }
    // Nothing was lost: the chosen kind is still in the draft.
    let next = h.ask(&member, "20/11/2025").await.text.unwrap();
    assert!(next.contains("mô tả"), "{next}");
    h.ask(&member, "Họp chi bộ").await;
    let photos = h.last(&member);
    h.press(&member, &photos, "Bỏ qua").await;
    let summary = h.last(&member).text.unwrap();
    assert!(
        summary.contains("Sinh hoạt, họp chi bộ nơi cư trú") && summary.contains("20/11/2025"),
        "{summary}"
    );
}

#[tokio::test]
async fn bad_dates_in_english() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    at_date_step(&h, &member).await;
    let text = h.ask(&member, "30/02/2026").await.text.unwrap();
    assert!(
        text.contains("There is no such day") && text.contains("When did it take place?"),
        "{text}"
    );
    let text = h.ask(&member, "01/01/2030").await.text.unwrap();
    assert!(text.contains("in the future"), "{text}");
}

/// At the date step a member may type the Today and Yesterday buttons'
/// words, or a day and month without the year (the last such day up to
/// today, so in January "28/12" is last December).
async fn dates_typed_as_people_say_them(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let yesterday = match lang {
        Lang::Vi => "hôm qua",
        Lang::En => "Yesterday",
    };
    h.set_local(2027, 1, 5, 9, 0);
    for (typed, shown) in [
        (yesterday, "04/01/2027"),
        ("hom nay", "05/01/2027"),
        ("5/1", "05/01/2027"),
        ("28/12", "28/12/2026"),
    ] {
        at_date_step(&h, &member).await;
        let reply = h.ask(&member, typed).await;
        assert!(
            says(reply.text.as_deref(), lang, "ask-description"),
            "{typed}: {reply:?}"
        );
        h.ask(&member, "Họp chi bộ").await;
        let photos = h.last(&member);
        let skip = photos.buttons()[0].0.clone();
        h.press(&member, &photos, &skip).await;
        let summary = h.last(&member).text.unwrap();
        assert!(summary.contains(shown), "{typed}: {summary}");
        h.ask(&member, "/cancel").await;
    }
    // A day and month that never was is refused, and the step asked again.
    at_date_step(&h, &member).await;
    let reply = h.ask(&member, "30/02").await;
    assert!(
        says(reply.text.as_deref(), lang, "error-date-impossible"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn dates_typed_in_words_or_without_the_year() {
    dates_typed_as_people_say_them(Lang::Vi).await;
}

#[tokio::test]
async fn dates_typed_in_words_or_without_the_year_in_english() {
    dates_typed_as_people_say_them(Lang::En).await;
}

#[tokio::test]
async fn non_text_where_text_is_asked_and_text_where_buttons_are() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;

    // Text where the kind buttons are expected.
    let kinds = h.ask(&member, "/report").await;
    let reply = h.ask(&member, "họp tổ").await;
    assert!(reply.text.clone().unwrap().contains("chọn bằng các nút"));
    assert_eq!(reply.button_texts().len(), 7, "the kinds are shown again");
    h.press(&member, &kinds, "Hoạt động khác").await;

    // Sticker, photo, voice and location where a date is asked.
    for push in [
        Box::new(|api: &FakeApi, u: &TgUser| api.sticker(u))
            as Box<dyn Fn(&FakeApi, &TgUser) -> i64>,
        Box::new(|api: &FakeApi, u: &TgUser| api.photo(u, "X", None, None)),
        Box::new(|api: &FakeApi, u: &TgUser| {
            api.message_with(
                u,
                json!({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}}),
            )
        }),
        Box::new(|api: &FakeApi, u: &TgUser| {
            api.message_with(
                u,
                json!({"location": {"latitude": 18.67, "longitude": 105.69}}),
            )
        }),
    ] {
        let replies = h.send_update(&member, |api| push(api, &member)).await;
        let text = replies.last().unwrap().text.clone().unwrap();
        assert!(text.contains("nhập ngày dạng văn bản"), "{text}");
    }
    // Typed, not pressed: the button's words are a date too.
    let reply = h.ask(&member, "Hôm qua").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "ask-description"),
        "{reply:?}"
    );

    // A sticker where the description is asked.
    let replies = h.send_update(&member, |api| api.sticker(&member)).await;
    let text = replies.last().unwrap().text.clone().unwrap();
    assert!(
        text.contains("dạng văn bản") && text.contains("mô tả"),
        "{text}"
    );

    // Text where photos are asked.
    h.ask(&member, "Trực an ninh trật tự").await;
    let reply = h.ask(&member, "không có ảnh").await;
    assert!(reply.text.clone().unwrap().contains("gửi ảnh"));
    assert_eq!(reply.button_texts(), vec!["Bỏ qua"]);

    // Nothing lost: the draft still has kind, date and description.
    h.press(&member, &reply, "Bỏ qua").await;
    let summary = h.last(&member).text.unwrap();
    assert!(
        summary.contains("Hoạt động khác")
            && summary.contains("19/11/2026")
            && summary.contains("Trực an ninh trật tự"),
        "{summary}"
    );
}

#[tokio::test]
async fn empty_and_overlong_descriptions() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    at_date_step(&h, &member).await;
    h.ask(&member, "19/11/2026").await;

    let empty = h.ask(&member, "   ").await.text.unwrap();
    assert!(
        empty.contains("không được để trống") && empty.contains("mô tả"),
        "{empty}"
    );
    let long = h.ask(&member, &"Đ".repeat(1001)).await.text.unwrap();
    assert!(long.contains("tối đa 1.000 ký tự"), "{long}");
    let ok = h.ask(&member, &"Đ".repeat(1000)).await;
    assert_eq!(ok.button_texts(), vec!["Bỏ qua"]);
}

#[tokio::test]
async fn bad_name_and_phone_while_joining() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;

    let replies = h.send_update(&member, |api| api.sticker(&member)).await;
    assert!(
        replies
            .last()
            .unwrap()
            .text
            .clone()
            .unwrap()
            .contains("dạng văn bản")
    );
    let long = h.ask(&member, &"A".repeat(101)).await.text.unwrap();
    assert!(long.contains("tối đa 100 ký tự"), "{long}");
    h.ask(&member, "Nguyễn Văn An").await;

    let bad = h.ask(&member, "số của tôi").await;
    assert!(
        bad.text
            .clone()
            .unwrap()
            .contains("Số điện thoại chưa hợp lệ")
    );
    assert_eq!(
        bad.reply_markup.clone().unwrap()["keyboard"][0][0]["request_contact"],
        true
    );
    let replies = h
        .send_update(&member, |api| api.contact(&member, "0988000111", Some(777)))
        .await;
    assert!(
        replies
            .last()
            .unwrap()
            .text
            .clone()
            .unwrap()
            .contains("của chính mình")
    );
    let workplaces = h.ask(&member, "0988 000 111").await;
    // Text where the workplace buttons are expected: part of a name is
    // searched (issue 9), the step stays.
    let found = h.ask(&member, "Sở Tư pháp").await;
    assert_eq!(
        found.button_texts(),
        vec!["Sở Tư pháp tỉnh Nghệ An", "Cơ quan khác…"]
    );
    // Anything else where the workplace buttons are expected.
    let replies = h.send_update(&member, |api| api.sticker(&member)).await;
    let again = replies.last().unwrap();
    assert!(again.text.clone().unwrap().contains("chọn bằng các nút"));
    assert_eq!(again.button_texts(), workplaces.button_texts());
    // A sticker where the month of introduction is asked: text, please,
    // and the question again (not "the month could not be read").
    let (_, asked) = h.press(&member, again, "Sở Tư pháp tỉnh Nghệ An").await;
    let question = asked.last().unwrap().clone();
    let replies = h.send_update(&member, |api| api.sticker(&member)).await;
    let again = replies.last().unwrap();
    let text = again.text.clone().unwrap();
    assert!(says(Some(&text), Lang::Vi, "error-expect-text"), "{text}");
    assert!(!text.contains("Chưa đọc được"), "{text}");
    assert_eq!(again.button_texts(), question.button_texts());
    let stored: Option<String> = sqlx::query_scalar("SELECT phone FROM memberships")
        .fetch_optional(&h.pool)
        .await
        .unwrap();
    assert_eq!(stored, None, "nothing stored before confirmation");
}

#[tokio::test]
async fn strangers_and_unknown_commands() {
    let h = Harness::start().await;
    let stranger = vi_user(900, "Lạ");
    let text = h.ask(&stranger, "xin chào").await.text.unwrap();
    assert!(
        text.contains("chưa tham gia") && text.contains("đường liên kết mời"),
        "{text}"
    );
    let replies = h.send_update(&stranger, |api| api.sticker(&stranger)).await;
    assert!(replies[0].text.clone().unwrap().contains("chưa tham gia"));
    let report = h.ask(&stranger, "/report").await.text.unwrap();
    assert!(report.contains("chưa tham gia"), "{report}");
    let unknown = h.ask(&stranger, "/xoa_het").await.text.unwrap();
    assert!(
        unknown.contains("Lệnh không hợp lệ") && unknown.contains("đường liên kết mời"),
        "{unknown}"
    );
    let en = en_user(901, "Stranger");
    assert!(
        h.ask(&en, "/foo")
            .await
            .text
            .unwrap()
            .contains("Unknown command")
    );
    // A committee's or a secretary's command: refused, and how to join.
    for (user, command) in [
        (&en, "/members"),
        (&en, "/announce"),
        (&stranger, "/pending"),
        (&stranger, "/sheets"),
    ] {
        let refused = h.ask(user, command).await.text.unwrap();
        let lang = lang_of(user);
        assert!(
            refused.contains(&lienhe::i18n::loader(lang).get("not-joined")),
            "{command}: {refused}"
        );
    }
    assert!(
        h.ask(&en, "/members")
            .await
            .text
            .unwrap()
            .contains("for cell secretaries and deputy secretaries")
    );
}

/// The bot in a group (or a channel's post forwarded there): nothing said
/// in the group is acted on or stored — not a command, not an invite link,
/// not a secretary's /invite; a command only gets the note that the bot
/// works in private chats (and the bot leaves) — and the same people are
/// still served in their private chats.
#[tokio::test]
async fn messages_in_a_group_are_ignored() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let code = h.invite_code(&secretary).await;
    let newcomer = vi_user(400, "Cúc");
    let group = -100_123_456_789_i64;
    let before_users = h.count("SELECT COUNT(*) FROM users").await;
    let before_audit = h.count("SELECT COUNT(*) FROM audit_log").await;
    let before_calls = h.api.call_count();
    let mut pushed = Vec::new();
    for (who, text) in [
        (&newcomer, format!("/start {code}")),
        (&member, "/report".to_string()),
        (&secretary, "/invite".to_string()),
        (&secretary, "/pending@lienhe_bot".to_string()),
        (&member, "xin chào".to_string()),
    ] {
        let mut message = serde_json::json!({
            "message_id": 10_000 + pushed.len(),
            "date": chrono::Utc::now().timestamp(),
            "chat": { "id": group, "type": "supergroup", "title": "Chi bộ khối 5" },
            "from": who.to_json(),
            "text": text,
        });
        if text.starts_with('/') {
            let length = text
                .split_whitespace()
                .next()
                .unwrap()
                .encode_utf16()
                .count();
            message["entities"] =
                serde_json::json!([{ "type": "bot_command", "offset": 0, "length": length }]);
        }
        pushed.push(h.api.push_update(serde_json::json!({ "message": message })));
    }
    for update in pushed {
        h.handled(update).await;
    }
    let answered: Vec<Call> = h
        .api
        .calls()
        .into_iter()
        .skip(before_calls)
        .filter(|c| c.method != "getupdates")
        .collect();
    assert!(
        answered.iter().all(|c| c.params["chat_id"] == group
            && (c.method == "leavechat"
                || (c.method == "sendmessage"
                    && says(c.params["text"].as_str(), Lang::Vi, "group-private-only")))),
        "{answered:?}"
    );
    assert_eq!(
        h.api.sent_count(group),
        4,
        "one note per command, none for a text"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM users").await, before_users);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log").await,
        before_audit
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id < 0")
            .await,
        0
    );
    // Their private chats still work.
    let pending = h.ask(&secretary, "/pending").await;
    assert!(pending.text.is_some());
    h.request_join(&newcomer, &code, "Phạm Thị Cúc").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 400 AND status = 'pending'")
            .await,
        1
    );
}

#[tokio::test]
async fn stale_buttons_and_decided_reports() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;

    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, "Hoạt động khác").await;
    // The kind keyboard again, after the kind was chosen.
    let (answer, _) = h
        .press_data(
            &member,
            kinds.message_id,
            &kinds
                .button_data("Đóng góp, ủng hộ")
                .unwrap_or("k:6".into()),
        )
        .await;
    assert_eq!(answer.params["show_alert"], true);
    assert!(
        answer.params["text"]
            .as_str()
            .unwrap()
            .contains("không còn hiệu lực")
    );
    h.ask(&member, "/cancel").await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    // Submit pressed again: stale, no second report.
    let (again, _) = h.press_data(&member, summary.message_id, "rs").await;
    assert!(
        again.params["text"]
            .as_str()
            .unwrap()
            .contains("không còn hiệu lực")
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
    // The summary's own Submit again (pressed twice, or after a crash
    // before the answer): told which report it was, nothing stored twice.
    let submit = summary.button_data("Gửi báo cáo").unwrap();
    let (again, _) = h.press_data(&member, summary.message_id, &submit).await;
    assert!(
        says(
            again.params["text"].as_str(),
            Lang::Vi,
            "report-already-submitted"
        ) && again.params["text"].as_str().unwrap().contains("số 1 "),
        "{again:?}"
    );
    // The first press's answer stays.
    let first = h.current(&summary);
    assert!(
        says(first.text.as_deref(), Lang::Vi, "report-submitted"),
        "{first:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);

    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;
    h.clock.advance(chrono::Duration::hours(2));
    let (decided, _) = h.press_data(&secretary, card.message_id, "rr:1").await;
    let text = decided.params["text"].as_str().unwrap();
    assert!(
        text.contains("Trần Thị Bình") && text.contains("20/11/2026 10:00"),
        "{text}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 100 AND state LIKE '%Reject%'")
            .await,
        0,
        "no reason asked"
    );
    // Stale and decided buttons are answered without edits that change
    // nothing (the kinds and the summary have no buttons left, the card
    // shows the decision already).
    assert_eq!(h.current(&card).edits, 1);
    assert_eq!(h.api.not_modified(), 0);
}

/// A name of thousands of characters (hostile or pasted by mistake) is
/// quoted back cut to a name's length instead of failing, and the officer
/// can go on.
#[tokio::test]
async fn an_overlong_name_echoed_back_is_cut_to_telegrams_length() {
    let h = Harness::start().await;
    h.cell_setup().await;
    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    let name = "Nguyễn ".repeat(580);
    let reply = h.ask(&officer, &format!("/request {name}")).await;
    let text = reply.text.clone().unwrap();
    // Quoted cut to a name's length (see
    // a_long_text_searched_as_a_name_is_quoted_short).
    assert!(text.chars().count() < 300, "{}", text.chars().count());
    assert!(text.contains('…'), "the name cut where it was too long");
    assert!(text.starts_with("Không tìm thấy"), "{text}");
    let list = h.ask(&officer, "/requests").await;
    assert!(list.text.is_some());
}

/// Updates Telegram may send that the bot does not know, or that do not
/// parse (a malformed message, an unknown kind), are confirmed and skipped;
/// the next message is answered as usual.
#[tokio::test]
async fn unknown_and_malformed_updates_are_skipped() {
    let h = Harness::start().await;
    let user = vi_user(300, "An");
    let ids = [
        h.api
            .push_update(serde_json::json!({ "message": { "message_id": 1, "foo": [1, 2] } })),
        h.api
            .push_update(serde_json::json!({ "some_future_kind": { "id": 5, "x": "y" } })),
        h.api.push_update(serde_json::json!({
            "callback_query": { "id": "q1", "data": "ra:1" }
        })),
        h.api.push_update(serde_json::json!({
            "message": {
                "message_id": 2,
                "date": 0,
                "chat": { "id": 300, "type": "private", "first_name": "An" },
                "from": user.to_json(),
                "text": 12345
            }
        })),
    ];
    for id in ids {
        h.handled(id).await;
    }
    let reply = h.ask(&user, "xin chào").await.text.unwrap_or_default();
    assert!(reply.contains("chưa tham gia"), "{reply}");
}

/// A command typed with capitals (a phone capitalises the first letter) or
/// with this bot's name is understood; its argument keeps its case (an
/// invite code); another bot's command is not ours.
async fn commands_in_any_case(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let bot = h.api.bot_username();
    // The invite code as given, after a capitalised /Start: the join
    // dialogue begins (its name question, as after /start).
    let reply = h.ask(&member, &format!("/Start {code}")).await;
    assert!(
        says(reply.text.as_deref(), lang, "ask-full-name"),
        "{reply:?}"
    );
    h.ask(&member, "/cancel").await;
    // The code on the next line (or after a tab): the same.
    for typed in [format!("/start\n{code}"), format!("/Start\t {code}")] {
        let reply = h.ask(&member, &typed).await;
        assert!(
            says(reply.text.as_deref(), lang, "ask-full-name"),
            "{typed:?}: {reply:?}"
        );
        h.ask(&member, "/cancel").await;
    }
    h.join_approved(&secretary, &member, "Nguyễn Văn An").await;

    for typed in [
        "/Report".to_owned(),
        "/REPORT".to_owned(),
        format!("/report@{bot}"),
        format!("/Report@{}", bot.to_uppercase()),
    ] {
        let reply = h.ask(&member, &typed).await;
        assert!(
            says(reply.text.as_deref(), lang, "ask-kind"),
            "{typed}: {reply:?}"
        );
        h.ask(&member, "/Cancel").await;
    }
    let reply = h.ask(&member, "/MyReports").await;
    assert!(
        !says(reply.text.as_deref(), lang, "unknown-command")
            && says(reply.text.as_deref(), lang, "myreports-empty"),
        "{reply:?}"
    );
    let reply = h.ask(&member, "/report@another_bot").await;
    assert!(
        says(reply.text.as_deref(), lang, "unknown-command"),
        "{reply:?}"
    );
    // An invite code in the wrong case is not the code (every letter's
    // case swapped: a code of digits alone, never seen, is left unchecked).
    let stranger = vi_user(500, "Lạ");
    let swapped: String = code
        .chars()
        .map(|c| {
            if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    let reply = h.ask(&stranger, &format!("/start {swapped}")).await;
    if swapped != code {
        assert!(
            says(reply.text.as_deref(), Lang::Vi, "invite-unknown"),
            "{reply:?}"
        );
    }
}

#[tokio::test]
async fn commands_are_understood_in_any_case() {
    commands_in_any_case(Lang::Vi).await;
}

#[tokio::test]
async fn commands_are_understood_in_any_case_in_english() {
    commands_in_any_case(Lang::En).await;
}

/// A full name must look like one: two words or more, letters only; it is
/// asked again, and a name typed in lower case is stored capitalised.
async fn names_that_are_not_names(lang: Lang) {
    let h = Harness::start().await;
    let user = |id, name| user_in(lang, id, name);
    let cell = h.cell_setup().await;
    // The secretary's own name, at the secretary code.
    let secretary = user(100, "Bình");
    let code = h.secretary_code(cell).await;
    h.ask(&secretary, &format!("/start {code}")).await;
    let reply = h.ask(&secretary, "Bình").await;
    let text = reply.text.as_deref();
    assert!(
        says(text, lang, "error-not-a-name")
            && text.unwrap().contains(&lienhe::t!(lang, "ask-full-name")),
        "{text:?}"
    );
    h.ask(&secretary, "trần thị bình").await;
    let name: String = sqlx::query_scalar("SELECT full_name FROM users WHERE id = 100")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(name, "Trần Thị Bình");

    // A member's name, in the join dialogue.
    let member = user(300, "An");
    let invite = h.invite_code(&secretary).await;
    h.ask(&member, &format!("/start {invite}")).await;
    for bad in ["12345", "An", "Nguyễn Văn 3", "😀 😀", "<b>An</b> Lê"] {
        let reply = h.ask(&member, bad).await;
        let text = reply.text.as_deref();
        assert!(
            says(text, lang, "error-not-a-name")
                && text.unwrap().contains(&lienhe::t!(lang, "ask-full-name")),
            "{bad}: {text:?}"
        );
    }
    h.ask(&member, "/cancel").await;
    h.request_join(&member, &invite, "nguyễn   văn an").await;
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT full_name FROM memberships WHERE user_id = 300")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(stored, ["Nguyễn Văn An"]);
}

#[tokio::test]
async fn a_full_name_must_look_like_one() {
    names_that_are_not_names(Lang::Vi).await;
}

#[tokio::test]
async fn a_full_name_must_look_like_one_in_english() {
    names_that_are_not_names(Lang::En).await;
}

/// An unknown command in the middle of a dialogue says so and how to go on;
/// the step is kept. Outside a dialogue, that it is unknown and the help.
async fn unknown_command_mid_dialogue(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let reply = h.ask(&member, "/foo").await;
    let text = reply.text.as_deref();
    assert!(says(text, lang, "unknown-command"), "{text:?}");
    assert!(!says(text, lang, "unknown-command-in-dialogue"), "{text:?}");
    // With what the member can do instead.
    assert!(says(text, lang, "help-member"), "{text:?}");
    // A secretary who is no member anywhere is told how to join as one,
    // not to ask their secretary (themselves).
    for command in ["/report", "/myreports"] {
        let reply = h.ask(&secretary, command).await;
        assert!(
            says(reply.text.as_deref(), Lang::Vi, "not-joined-committee"),
            "{reply:?}"
        );
    }

    at_date_step(&h, &member).await;
    h.ask(&member, "01/11/2026").await;
    let reply = h.ask(&member, "/foo bar").await;
    let text = reply.text.as_deref();
    assert!(
        says(text, lang, "unknown-command") && says(text, lang, "unknown-command-in-dialogue"),
        "{text:?}"
    );
    // The description step is still there; a description that starts with
    // a slash is text, not a command.
    let reply = h.ask(&member, "/ họp tổ dân phố").await;
    assert!(says(reply.text.as_deref(), lang, "ask-photos"), "{reply:?}");
}

#[tokio::test]
async fn an_unknown_command_mid_dialogue_keeps_the_step() {
    unknown_command_mid_dialogue(Lang::Vi).await;
}

#[tokio::test]
async fn an_unknown_command_mid_dialogue_keeps_the_step_in_english() {
    unknown_command_mid_dialogue(Lang::En).await;
}

/// A secretary and an approved member of one cell, writing in `lang`.
async fn cell_in(lang: Lang) -> (Harness, TgUser, TgUser) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    (h, secretary, member)
}

/// The press was answered as a button of a step that is over.
fn assert_stale(answer: &Call, lang: Lang) {
    assert_eq!(
        answer.str_param("text"),
        Some(text_of(lang, "stale-button").as_str())
    );
}

/// A secretary asked to confirm the end of one member's membership, left
/// it, and asked about another member; the first Confirm, pressed later,
/// would end the second member's. It is refused as stale, and only the
/// summary's own Confirm ends the membership it shows.
#[tokio::test]
async fn confirm_under_an_older_summary_ends_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let first = user_in(lang, 300, "An");
        let second = user_in(lang, 301, "Cường");
        h.cell_with_member(&secretary, &first).await;
        h.join_approved(&secretary, &second, "Lê Văn Cường").await;
        let (a, b) = (h.membership_of(300).await, h.membership_of(301).await);

        let mut confirms = Vec::new();
        for (id, reason) in [(b, "end-button-left-area"), (a, "end-button-retired")] {
            let list = h.ask(&secretary, "/members").await;
            let (_, opened) = h
                .press_data(&secretary, list.message_id, &format!("bo:{id}"))
                .await;
            let card = opened.last().unwrap().clone();
            h.press(&secretary, &card, &text_of(lang, reason)).await;
            confirms.push(h.ask(&secretary, "Chuyển về quê sinh sống").await);
        }
        let confirm = text_of(lang, "button-confirm");
        let (answer, _) = h.press(&secretary, &confirms[0], &confirm).await;
        assert_stale(&answer, lang);
        assert!(h.current(&confirms[0]).buttons().is_empty());
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved' AND user_id IN (300, 301)")
                .await,
            2,
            "nobody's membership ended"
        );

        h.press(&secretary, &confirms[1], &confirm).await;
        let status = |id: i64| {
            let pool = h.pool.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT status FROM memberships WHERE id = ?")
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(status(b).await, "approved");
        assert_ne!(status(a).await, "approved");
    }
}

/// Two announcements previewed one after the other: Send under the first
/// preview would send the second text while the chat showed the first. It
/// is refused as stale; the second preview's Send sends the second.
#[tokio::test]
async fn send_under_an_older_announcement_preview_sends_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let (h, secretary, member) = cell_in(lang).await;
        let mut previews = Vec::new();
        for text in ["Họp tổ dân phố tối thứ Bảy", "Tổng vệ sinh sáng Chủ nhật"]
        {
            // Begun anew knowingly (a preview kept otherwise).
            h.ask(&secretary, "/cancel").await;
            h.ask(&secretary, "/announce").await;
            previews.push(h.ask(&secretary, text).await);
        }
        let send = text_of(lang, "button-send");
        let (answer, _) = h.press(&secretary, &previews[0], &send).await;
        assert_stale(&answer, lang);
        assert_eq!(h.count("SELECT COUNT(*) FROM broadcasts").await, 0);

        h.press(&secretary, &previews[1], &send).await;
        h.drain().await;
        let told = h.last(&member).text.unwrap();
        assert!(told.contains("Tổng vệ sinh sáng Chủ nhật"), "{told}");
        assert_eq!(
            h.api
                .sent(300)
                .iter()
                .filter(|m| m.text.as_deref().unwrap_or("").contains("Họp tổ dân phố"))
                .count(),
            0
        );
    }
}

/// A member who began a report again after reaching its summary: Submit
/// under the first summary would store the second draft under the first
/// one's text. It is refused as stale; the second summary's Submit stores
/// the second.
#[tokio::test]
async fn submit_under_an_older_report_summary_stores_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let (h, _, member) = cell_in(lang).await;
        let kind = other_kind(lang);
        let today = text_of(lang, "button-today");
        let mut summaries = Vec::new();
        for text in ["Trồng cây ở công viên", "Quét dọn nhà văn hóa"] {
            // Begun anew knowingly (a draft kept otherwise).
            h.ask(&member, "/cancel").await;
            summaries.push(
                h.report_until_summary(&member, kind, &today, text, &[])
                    .await,
            );
        }
        let submit = text_of(lang, "button-submit");
        let (answer, _) = h.press(&member, &summaries[0], &submit).await;
        assert_stale(&answer, lang);
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 0);

        h.press(&member, &summaries[1], &submit).await;
        let stored: Vec<String> = sqlx::query_scalar("SELECT description FROM reports")
            .fetch_all(&h.pool)
            .await
            .unwrap();
        assert_eq!(stored, vec!["Quét dọn nhà văn hóa".to_string()]);
    }
}

/// A description, an announcement and a cell's name of zero-width
/// characters look like something to `str::trim` and nothing to a reader:
/// each is refused as empty and asked again, nothing stored.
#[tokio::test]
async fn texts_of_invisible_characters_are_empty() {
    for lang in [Lang::Vi, Lang::En] {
        let (h, secretary, member) = cell_in(lang).await;
        let empty = text_of(lang, "error-empty-text");

        at_date_step(&h, &member).await;
        let today = h.last(&member);
        h.press(&member, &today, &text_of(lang, "button-today"))
            .await;
        let description_empty = text_of(lang, "error-description-empty");
        for blank in ["\u{200B}", "\u{200B} \u{FEFF}\u{2060}", "\u{3164}"] {
            let reply = h.ask(&member, blank).await.text.unwrap();
            assert!(reply.starts_with(&description_empty), "{blank:?}: {reply}");
        }
        // Still at the description: a real one moves on.
        let photos = h.ask(&member, "Dọn vệ sinh ngõ 5").await;
        assert!(!photos.buttons().is_empty(), "{photos:?}");

        h.ask(&secretary, "/announce").await;
        let reply = h.ask(&secretary, "\u{200B}\u{200B}").await.text.unwrap();
        assert!(reply.starts_with(&empty), "{reply}");
        assert_eq!(h.count("SELECT COUNT(*) FROM broadcasts").await, 0);
    }
}

/// A summary left open for days: its date, within the last 12 months when
/// typed, is older than that at Submit. The date is asked again (nothing
/// stored), and the report goes in with a new one.
#[tokio::test]
async fn a_date_too_old_by_submit_time_is_asked_again() {
    for lang in [Lang::Vi, Lang::En] {
        let (h, _, member) = cell_in(lang).await;
        h.set_local(2026, 12, 2, 9, 0);
        let kind = other_kind(lang);
        let summary = h
            .report_until_summary(&member, kind, "05/12/2025", "Trồng cây", &[])
            .await;
        h.set_local(2026, 12, 10, 9, 0);
        let submit = text_of(lang, "button-submit");
        let (_, replies) = h.press(&member, &summary, &submit).await;
        let asked = replies.last().unwrap().text.clone().unwrap();
        assert!(asked.contains("10/12/2025"), "the earliest date: {asked}");
        assert!(asked.contains(&text_of(lang, "ask-date")), "{asked}");
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 0);

        let again = h.ask(&member, "08/12/2026").await;
        h.press(&member, &again, &submit).await;
        let dates: Vec<String> = sqlx::query_scalar("SELECT activity_date FROM reports")
            .fetch_all(&h.pool)
            .await
            .unwrap();
        assert_eq!(dates, vec!["2026-12-08".to_string()]);
    }
}

/// Free text outside a dialogue is answered with what this user can do:
/// /report only for a member; a secretary who is no member of a cell is
/// pointed to /pending, a member still waiting to be accepted is told so.
#[tokio::test]
async fn free_text_is_answered_by_what_the_user_can_do() {
    for lang in [Lang::Vi, Lang::En] {
        let (h, secretary, member) = cell_in(lang).await;
        let waiting = user_in(lang, 301, "Cường");
        let code = h.invite_code(&secretary).await;
        h.request_join(&waiting, &code, "Lê Văn Cường").await;
        for (who, id) in [
            (&secretary, "committee-idle"),
            (&member, "idle-hint"),
            (&waiting, "help-pending-member"),
        ] {
            let reply = h.ask(who, "xin chào").await.text.unwrap();
            assert_eq!(reply, text_of(lang, id), "{}", who.id);
        }
    }
}

/// A secretary's first /pending, with nothing waiting, says so in words
/// (it said "0 join requests and 0 reports").
#[tokio::test]
async fn pending_with_nothing_waiting_says_so() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let cell = h.cell_setup().await;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let replies = h.say(&secretary, "/pending").await;
        assert_eq!(replies.len(), 1, "{replies:?}");
        let text = replies[0].text.as_deref();
        assert!(says(text, lang, "pending-none-in-cell"), "{text:?}");
    }
}

/// /report or /start typed while joining: "finish joining first", not
/// "you have not joined, open the link" — and the join goes on.
#[tokio::test]
async fn report_or_start_while_joining_says_to_finish_joining() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let cell = h.cell_setup().await;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let code = h.invite_code(&secretary).await;
        h.ask(&member, &format!("/start {code}")).await;
        h.ask(&member, "Nguyễn Văn An").await;
        for command in ["/report", "/start"] {
            let reply = h.ask(&member, command).await.text.unwrap();
            assert_eq!(reply, text_of(lang, "join-finish-first"), "{command}");
        }
        // Still at the phone step: Skip goes on to the workplace.
        let workplaces = h.ask(&member, &text_of(lang, "button-skip")).await;
        assert!(!workplaces.buttons().is_empty(), "{workplaces:?}");
    }
}

/// An album is one message per photo: where no photo is asked for (no
/// dialogue, the description step), it is answered once, not once per
/// photo; the step is kept.
async fn an_album_where_no_photo_is_asked(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let album = |group: &'static str, captioned: bool| {
        let member = member.clone();
        move |api: &FakeApi| {
            // Every photo pushed in order; the last one's update id.
            (0..4).fold(0, |_, i| {
                let caption = (captioned && i == 0).then_some("Ảnh họp tổ dân phố");
                api.photo(&member, &format!("PHOTO-{group}-{i}"), Some(group), caption)
            })
        }
    };
    let replies = h.send_update(&member, album("album-a", true)).await;
    assert_eq!(replies.len(), 1, "{replies:?}");

    // At the description step, without a caption: the photos are kept and
    // the description asked again, once.
    at_description_step(&h, &member, lang).await;
    let replies = h.send_update(&member, album("album-b", false)).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    // What was wrong, and the question again.
    let asked = lienhe::i18n::loader(lang).get("ask-description");
    assert!(
        replies[0]
            .text
            .as_deref()
            .is_some_and(|t| t.ends_with(&asked) && t.len() > asked.len()),
        "{replies:?}"
    );
    // The step is kept: the description, then the photos step takes an
    // album whole (the 4 photos kept before count too).
    let photos = h.ask(&member, "Dọn vệ sinh khu phố").await;
    assert!(says(photos.text.as_deref(), lang, "photos-received"));
    h.send_update(&member, album("album-c", false)).await;
    let done = h.last(&member);
    h.press(&member, &done, &done.button_texts()[0]).await;
    let summary = h.last(&member);
    assert!(
        summary.text.clone().unwrap().contains(": 8"),
        "{:?}",
        summary.text
    );
}

#[tokio::test]
async fn an_album_where_no_photo_is_asked_is_answered_once() {
    an_album_where_no_photo_is_asked(Lang::Vi).await;
}

#[tokio::test]
async fn an_album_where_no_photo_is_asked_is_answered_once_in_english() {
    an_album_where_no_photo_is_asked(Lang::En).await;
}

/// An edit of a message already sent is not read, and the user is told so
/// (it was silence); the dialogue keeps what was sent first and its step.
async fn an_edited_message(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    at_description_step(&h, &member, lang).await;
    let photos = h.ask(&member, "Dọn vệ sinh khu phố").await;
    let sent = h.api.sent(member.id).len();
    let replies = h
        .send_update(&member, |api| {
            api.edit_text(&member, 1, "Dọn vệ sinh và trồng cây khu phố")
        })
        .await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    // The description was taken and the report moved on to its photos:
    // sent again, the text would be taken for a photo. How to change it is
    // said instead of "send it again".
    assert!(
        says(
            replies[0].text.as_deref(),
            lang,
            "edited-not-read-in-dialogue"
        ),
        "{replies:?}"
    );
    assert_eq!(h.api.sent(member.id).len(), sent + 1);
    // A photo replaced in a message already sent: told so too.
    let replies = h
        .send_update(&member, |api| api.edit_photo(&member, 2, "AgACAgreplaced"))
        .await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(says(
        replies[0].text.as_deref(),
        lang,
        "edited-media-not-read"
    ));
    // The report goes on with what was sent first.
    h.press(&member, &photos, &photos.button_texts()[0]).await;
    let summary = h.last(&member).text.unwrap();
    assert!(
        summary.contains("Dọn vệ sinh khu phố") && !summary.contains("trồng cây"),
        "{summary}"
    );
    // Outside a dialogue (a command mistyped, then corrected by editing
    // it), sending it again is the way.
    h.say(&member, "/cancel").await;
    let replies = h
        .send_update(&member, |api| api.edit_text(&member, 1, "/myreports"))
        .await;
    assert!(
        says(replies[0].text.as_deref(), lang, "edited-not-read"),
        "{replies:?}"
    );
}

#[tokio::test]
async fn an_edited_message_is_answered_that_edits_are_not_read() {
    an_edited_message(Lang::Vi).await;
}

#[tokio::test]
async fn an_edited_message_is_answered_that_edits_are_not_read_in_english() {
    an_edited_message(Lang::En).await;
}

/// While last year's comment sheets are still being written (to 31 March),
/// an activity of any month of last year can be reported, though more than
/// 12 months back; from 1 April, the last 12 months again.
#[tokio::test]
async fn last_years_activity_can_be_reported_until_its_sheets_close() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.set_local(2027, 3, 20, 9, 0);
    at_date_step(&h, &member).await;
    let next = h.ask(&member, "15/02/2026").await.text.unwrap();
    assert!(says(Some(&next), Lang::En, "ask-description"), "{next}");
    h.ask(&member, "/cancel").await;
    let refused = h.ask(&member, "/report").await;
    let first = refused.buttons()[0].0.clone();
    h.press(&member, &refused, &first).await;
    let too_old = h.ask(&member, "31/12/2025").await.text.unwrap();
    assert!(too_old.contains("from 01/01/2026"), "{too_old}");
    h.ask(&member, "/cancel").await;
    h.set_local(2027, 4, 1, 9, 0);
    at_date_step(&h, &member).await;
    let too_old = h.ask(&member, "15/02/2026").await.text.unwrap();
    assert!(too_old.contains("from 01/04/2026"), "{too_old}");
}

/// Pinning the bot's question is a service message, not an answer: the
/// step is not asked again with "please send text", and goes on as before.
#[tokio::test]
async fn pinning_the_question_is_not_taken_as_an_answer() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, "Hoạt động khác").await;
    let date_prompt = h.last(&member);
    h.press(&member, &date_prompt, "Hôm nay").await;
    let question = h.last(&member);
    assert!(
        says(question.text.as_deref(), Lang::Vi, "ask-description"),
        "{question:?}"
    );
    let replies = h
        .send_update(&member, |api| api.pin(&member, &question))
        .await;
    assert!(replies.is_empty(), "{replies:?}");
    let photos = h.ask(&member, "Dọn vệ sinh khu phố").await;
    assert!(!photos.buttons().is_empty(), "{photos:?}");
}

/// Added to a group, or given a command in one, the bot says in the
/// sender's language that it works in private chats only, with its link,
/// and leaves the group; nothing about anyone is stored.
#[tokio::test]
async fn in_a_group_the_bot_points_to_a_private_chat_and_leaves() {
    let h = Harness::start().await;
    let (vi, en) = (vi_user(300, "An"), en_user(301, "Mai"));
    h.api.add_to_group(&vi, -1001);
    h.api.group_text(&en, -1002, "/report@lienhe_test_bot");
    for (group, lang) in [(-1001, Lang::Vi), (-1002, Lang::En)] {
        h.api
            .wait_sent(group, 1, std::time::Duration::from_secs(20))
            .await;
        let said = h.api.sent(group);
        assert!(
            says(said[0].text.as_deref(), lang, "group-private-only")
                && said[0].text.as_deref().unwrap().contains("t.me/"),
            "{said:?}"
        );
    }
    // A channel is left without a note to its subscribers.
    h.api.add_to_chat(&vi, -1003, "channel");
    for group in [-1001, -1002, -1003] {
        let left = h
            .api
            .wait_call(0, std::time::Duration::from_secs(20), |c| {
                c.method == "leavechat" && c.params["chat_id"] == group
            })
            .await;
        assert!(left.is_some(), "left {group}");
    }
    assert_eq!(h.api.sent_count(-1003), 0);
    assert_eq!(h.count("SELECT COUNT(*) FROM users").await, 0);
}

/// `user` sends `text`; the message's id (for an edit of it later).
async fn sent_text(h: &Harness, user: &TgUser, text: &str) -> i64 {
    let update = h.api.text(user, text);
    h.quiet().await;
    h.api.pushed_update(update).unwrap()["message"]["message_id"]
        .as_i64()
        .unwrap()
}

/// What the bot answers to `user`'s edit of their message `id`.
async fn edit(h: &Harness, user: &TgUser, id: i64, text: &str) -> String {
    let replies = h
        .send_update(user, |api| api.edit_text(user, id, text))
        .await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    replies[0].text.clone().unwrap_or_default()
}

/// The member's report up to its summary, the description's message id.
async fn described_report_summary(h: &Harness, member: &TgUser, text: &str) -> (Sent, i64) {
    let lang = lang_of(member);
    let kinds = h.ask(member, "/report").await;
    h.press(member, &kinds, other_kind(lang)).await;
    let date = h.last(member);
    h.press(member, &date, &text_of(lang, "button-today")).await;
    let description = sent_text(h, member, text).await;
    let photos = h.last(member);
    h.press(member, &photos, &photos.buttons()[0].0).await;
    (h.last(member), description)
}

/// An edit of the answer that ended a dialogue (a rejection's reason, the
/// description of a report submitted since) is said to stand as sent: not
/// "send it again" (which would start nothing) nor "/cancel and start
/// again" (which would end the dialogue in progress, not change the
/// answer). An answer of the dialogue still in progress keeps that advice.
#[tokio::test]
async fn an_edited_answer_of_a_dialogue_over_is_said_to_stand() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let resumed = text_of(lang, "dialogue-resumed");

        // The description and the photo of a report submitted since.
        let kinds = h.ask(&member, "/report").await;
        h.press(&member, &kinds, other_kind(lang)).await;
        let date = h.last(&member);
        h.press(&member, &date, &text_of(lang, "button-today"))
            .await;
        let description = sent_text(&h, &member, "Họp tổ dân phố").await;
        let update = h.api.photo(&member, "AgACphoto1", None, None);
        h.quiet().await;
        let photo = h.api.pushed_update(update).unwrap()["message"]["message_id"]
            .as_i64()
            .unwrap();
        let done = h.last(&member);
        h.press(&member, &done, &done.buttons()[0].0).await;
        let summary = h.last(&member);
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        let replies = h
            .send_update(&member, |api| api.edit_photo(&member, photo, "AgACother"))
            .await;
        let said = replies[0].text.clone().unwrap_or_default();
        assert!(
            says(Some(&said), lang, "edited-answer-over"),
            "{lang:?}: {said}"
        );
        let said = edit(&h, &member, description, "Họp tổ dân phố số 7").await;
        assert!(
            says(Some(&said), lang, "edited-answer-over") && !said.ends_with(&resumed),
            "{lang:?}: {said}"
        );
        // In the next report: that old description is over; this one's
        // description, just given, is of the dialogue in progress.
        let (_, again) = described_report_summary(&h, &member, "Dọn vệ sinh").await;
        let said = edit(&h, &member, description, "Họp tổ dân phố số 8").await;
        assert!(
            says(Some(&said), lang, "edited-answer-over") && said.ends_with(&resumed),
            "{lang:?}: {said}"
        );
        let said = edit(&h, &member, again, "Dọn vệ sinh khu phố").await;
        assert!(
            says(Some(&said), lang, "edited-not-read-in-dialogue"),
            "{lang:?}: {said}"
        );
        h.ask(&member, "/cancel").await;

        // A rejection's reason, typed while writing an announcement.
        let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM reports")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let card = h
            .api
            .sent(secretary.id)
            .into_iter()
            .rfind(|s| s.buttons().iter().any(|(_, d)| *d == format!("rr:{id}")))
            .expect("the report's card");
        h.ask(&secretary, "/announce").await;
        h.press_data(&secretary, card.message_id, &format!("rr:{id}"))
            .await;
        let reason = sent_text(&h, &secretary, "Thiếu ảnh").await;
        let said = edit(&h, &secretary, reason, "Thiếu ảnh minh chứng").await;
        assert!(
            says(Some(&said), lang, "edited-answer-over") && said.ends_with(&resumed),
            "{lang:?}: {said}"
        );
        let stored: String = sqlx::query_scalar("SELECT reject_reason FROM reports WHERE id = ?")
            .bind(id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(stored, "Thiếu ảnh", "{lang:?}");
        // The announcement goes on; its text, edited at the preview, is of
        // the dialogue in progress.
        let text = sent_text(&h, &secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
        let preview = h.last(&secretary);
        assert!(
            says(preview.text.as_deref(), lang, "announce-preview"),
            "{lang:?}: {preview:?}"
        );
        let said = edit(&h, &secretary, text, "Họp chi bộ lúc 20h thứ Bảy").await;
        assert!(
            says(Some(&said), lang, "edited-not-read-in-dialogue"),
            "{lang:?}: {said}"
        );
    }
}

/// A long text pasted where a workplace is searched (joining): the answer
/// quotes it cut short, so that what to do next is still in the message,
/// and the picker stays; in both languages.
#[tokio::test]
async fn a_long_text_searched_as_a_workplace_is_quoted_short() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = user_in(lang, 100, "Bình");
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let code = h.invite_code(&secretary).await;
        let member = user_in(lang, 300, "An");
        h.ask(&member, &format!("/start {code}")).await;
        h.ask(&member, "Nguyễn Văn An").await;
        let skip = if lang == Lang::Vi { "Bỏ qua" } else { "Skip" };
        let picker = h.ask(&member, skip).await;
        let reply = h.ask(&member, &"xyz ".repeat(1000)).await;
        let text = reply.text.clone().unwrap();
        assert!(text.chars().count() < 400, "{lang:?}: {text}");
        assert!(says(Some(&text), lang, "search-none"), "{text}");
        let other = picker.button_texts().last().cloned().unwrap();
        assert_eq!(reply.button_texts().last(), Some(&other), "{reply:?}");
    }
}

/// A long text pasted after /sheet or /request (an officer's search by
/// name): the answer quotes it no longer than a name can be, in both
/// languages.
#[tokio::test]
async fn a_long_text_searched_as_a_name_is_quoted_short() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.cell_setup().await;
        let officer = user_in(lang, 200, "Cán");
        h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
            .await;
        h.ask(&officer, "Lê Văn Cán").await;
        let pasted = "Nguyễn ".repeat(500);
        for (command, id) in [
            ("/sheet", "sheet-not-found"),
            ("/request", "request-none-found"),
        ] {
            let reply = h.ask(&officer, &format!("{command} {pasted}")).await;
            let text = reply.text.clone().unwrap();
            assert!(text.chars().count() < 300, "{command} {lang:?}: {text}");
            assert!(says(Some(&text), lang, id), "{text}");
            // Taken as the rest of a text Telegram split: the next long
            // one is read anew.
            h.ask(&officer, "/help").await;
        }
    }
}

/// A command sent right after a long text (a /cancel tapped as soon as a
/// long announcement's preview shows) is the command, not the rest of a
/// text Telegram split, and the text right after it is the user's own; in
/// both languages.
#[tokio::test]
async fn a_command_right_after_a_long_text_is_a_command() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.ask(&secretary, "/announce").await;
        let long: String = "Thông báo dài. ".repeat(200).chars().take(2500).collect();
        let before = h.api.sent_count(secretary.id);
        h.api.text(&secretary, &long);
        h.api.text(&secretary, "/cancel");
        h.api
            .wait_sent(secretary.id, before + 2, std::time::Duration::from_secs(20))
            .await;
        h.quiet().await;
        let replies = h.api.sent(secretary.id).split_off(before);
        assert_eq!(replies.len(), 2, "{replies:?}");
        assert!(
            says(replies[1].text.as_deref(), lang, "cancelled"),
            "{lang:?}: {replies:?}"
        );
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
                .bind(secretary.id)
                .fetch_optional(&h.pool)
                .await
                .unwrap();
        assert!(
            state.as_deref().is_none_or(|s| s.contains("Idle")),
            "{state:?}"
        );
        // Started again at once, a short text is the new announcement, not
        // the rest of the long one cancelled.
        h.ask(&secretary, "/announce").await;
        let preview = h.ask(&secretary, "Họp chi bộ lúc 19h.").await;
        assert!(
            preview
                .text
                .as_deref()
                .unwrap_or("")
                .contains("Họp chi bộ lúc 19h.")
                && !preview.buttons().is_empty(),
            "{lang:?}: {preview:?}"
        );
    }
}

/// Only spaces, or only invisible characters, where a meeting's start is
/// asked: said to be empty (not "\"\" is not a date"), asked again.
#[tokio::test]
async fn an_empty_meeting_start_is_said_to_be_empty() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let kinds = h.ask(&secretary, "/meeting").await;
        let first = kinds.buttons()[0].0.clone();
        h.press(&secretary, &kinds, &first).await;
        for blank in ["   \u{00A0}", "\u{200B}\u{FEFF}"] {
            let reply = h.ask(&secretary, blank).await.text.unwrap();
            assert!(
                reply.starts_with(&text_of(lang, "error-empty-text")),
                "{reply}"
            );
            assert!(!reply.contains("\"\""), "{reply}");
            assert!(
                says(Some(&reply), lang, "meeting-ask-start"),
                "asked again: {reply}"
            );
        }
    }
}

/// Someone whose Telegram speaks Vietnamese but who chose English with
/// /language adds the bot to a group (or writes a command there): the note
/// that it works in a private chat is in English, the language they chose,
/// as everything else the bot tells them. Nothing more is stored.
#[tokio::test]
async fn in_a_group_the_note_is_in_the_language_chosen() {
    let h = Harness::start().await;
    let (chose_en, chose_vi) = (vi_user(300, "An"), en_user(301, "Mai"));
    for (user, label) in [(&chose_en, "🇬🇧 English"), (&chose_vi, "🇻🇳 Tiếng Việt")] {
        let choose = h.ask(user, "/language").await;
        h.press(user, &choose, label).await;
    }
    h.api.add_to_group(&chose_en, -1001);
    h.api
        .group_text(&chose_vi, -1002, "/report@lienhe_test_bot");
    for (group, lang) in [(-1001, Lang::En), (-1002, Lang::Vi)] {
        h.api
            .wait_sent(group, 1, std::time::Duration::from_secs(20))
            .await;
        let said = h.api.sent(group);
        assert!(
            says(said[0].text.as_deref(), lang, "group-private-only"),
            "{said:?}"
        );
    }
    assert_eq!(h.count("SELECT COUNT(*) FROM users").await, 2);
}

/// A text of control characters (a NUL, a bell, an escape) shows nothing:
/// it is empty, as one of spaces is, and asked again; inside a text they
/// are dropped, not stored and sent on to the cell.
#[tokio::test]
async fn texts_of_control_characters_are_empty() {
    for lang in [Lang::Vi, Lang::En] {
        let (h, secretary, member) = cell_in(lang).await;
        at_description_step(&h, &member, lang).await;
        let description_empty = text_of(lang, "error-description-empty");
        for blank in ["\u{0}", "\u{0}\u{7} \u{1B}", "\u{7F}\u{200B}\u{1}"] {
            let reply = h.ask(&member, blank).await.text.unwrap();
            assert!(reply.starts_with(&description_empty), "{blank:?}: {reply}");
            assert!(says(Some(&reply), lang, "ask-description"), "{reply}");
        }
        let photos = h.ask(&member, "Dọn\u{0} vệ sinh\u{7} ngõ 5").await;
        h.press(&member, &photos, &photos.button_texts()[0]).await;
        let summary = h.last(&member).text.unwrap();
        assert!(summary.contains("Dọn vệ sinh ngõ 5"), "{summary:?}");

        h.ask(&secretary, "/announce").await;
        let empty = text_of(lang, "error-empty-text");
        let reply = h.ask(&secretary, "\u{0}\u{0}").await.text.unwrap();
        assert!(reply.starts_with(&empty), "{reply:?}");
        assert_eq!(h.count("SELECT COUNT(*) FROM broadcasts").await, 0);
    }
}

/// A month of introduction pasted with thousands of zero-width spaces
/// around it is quoted without them: the answer says why the month will
/// not do and asks again, whole (the question was cut off the end).
#[tokio::test]
async fn a_month_padded_with_invisible_characters_is_quoted_short() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = user_in(lang, 100, "Bình");
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let code = h.invite_code(&secretary).await;
        let member = user_in(lang, 300, "An");
        h.ask(&member, &format!("/start {code}")).await;
        h.ask(&member, "Nguyễn Văn An").await;
        let workplaces = h.ask(&member, &text_of(lang, "button-skip")).await;
        let first = workplaces.buttons()[0].0.clone();
        let (_, asked) = h.press(&member, &workplaces, &first).await;
        let question = asked.last().unwrap().clone();
        let typed = format!("{}12/2099\u{200B}", "\u{200B}".repeat(4080));
        let reply = h.ask(&member, &typed).await;
        let text = reply.text.clone().unwrap();
        assert!(says(Some(&text), lang, "intro-future"), "{text:?}");
        assert!(text.contains("12/2099") && !text.contains('\u{200B}'));
        assert!(says(Some(&text), lang, "intro-ask"), "{text:?}");
        assert_eq!(reply.button_texts(), question.button_texts());
    }
}

/// Someone else's words forwarded where the user's own name or phone is
/// asked: the user is asked to type it themselves, the step asked again,
/// what they had typed kept.
async fn a_forwarded_message_where_ones_own_details_are_asked(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let other = user_in(lang, 700, "Bình");
    // The secretary's own name.
    let secretary = user_in(lang, 100, "Bình");
    let code = h.secretary_code(cell).await;
    h.ask(&secretary, &format!("/start {code}")).await;
    let replies = h
        .send_update(&secretary, |api| {
            api.forwarded_text(&secretary, &other, "Trần Văn Khách")
        })
        .await;
    let again = replies.last().unwrap().text.clone().unwrap();
    assert!(says(Some(&again), lang, "error-forwarded-own"), "{again}");
    assert!(again.contains(&text_of(lang, "ask-full-name")), "{again}");
    h.ask(&secretary, "Trần Thị Bình").await;
    let name: Option<String> = sqlx::query_scalar("SELECT full_name FROM users WHERE id = 100")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("Trần Thị Bình"));

    // The member's own name, then their own phone.
    let code = h.invite_code(&secretary).await;
    let member = user_in(lang, 300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    let replies = h
        .send_update(&member, |api| {
            api.forwarded_text(&member, &other, "Trần Văn Khách")
        })
        .await;
    let again = replies.last().unwrap().text.clone().unwrap();
    assert!(says(Some(&again), lang, "error-forwarded-own"), "{again}");
    assert!(again.contains(&text_of(lang, "ask-full-name")), "{again}");
    h.ask(&member, "Nguyễn Văn An").await;
    let replies = h
        .send_update(&member, |api| {
            api.forwarded_text(&member, &other, "0988 000 111")
        })
        .await;
    let again = replies.last().unwrap();
    let text = again.text.clone().unwrap();
    assert!(says(Some(&text), lang, "error-forwarded-own"), "{text}");
    assert_eq!(
        again.reply_markup.clone().unwrap()["keyboard"][0][0]["request_contact"],
        true,
        "the phone is asked again"
    );
    let noted = h.ask(&member, "0912 345 678").await;
    let noted = noted.text.unwrap_or_default();
    let all: Vec<String> = h
        .api
        .sent(member.id)
        .into_iter()
        .filter_map(|s| s.text)
        .collect();
    assert!(
        all.iter()
            .any(|t| t.contains("0912345678") || t.contains("0912 345 678")),
        "{noted} / {all:?}"
    );
    assert!(!all.iter().any(|t| t.contains("0988")), "{all:?}");
    let workplaces = h.last(&member);
    let first = workplaces.buttons()[0].0.clone();
    h.press(&member, &workplaces, &first).await;
    let introduced = h.last(&member);
    let this_month = introduced.buttons()[0].0.clone();
    let (_, replies) = h.press(&member, &introduced, &this_month).await;
    let summary = replies.last().unwrap().text.clone().unwrap();
    assert!(summary.contains("Nguyễn Văn An"), "{summary}");
    assert!(!summary.contains("Khách"), "{summary}");
}

#[tokio::test]
async fn a_forwarded_message_where_ones_own_details_are_asked_is_refused() {
    a_forwarded_message_where_ones_own_details_are_asked(Lang::Vi).await;
}

#[tokio::test]
async fn a_forwarded_message_where_ones_own_details_are_asked_is_refused_in_english() {
    a_forwarded_message_where_ones_own_details_are_asked(Lang::En).await;
}

/// A text that is only a mention of somebody (`@someone`) where a text is
/// asked: it says nothing of its own; the step is asked again.
async fn a_text_that_is_only_a_mention(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    at_description_step(&h, &member, lang).await;
    let question = h.last(&member).text.unwrap();
    let replies = h
        .send_update(&member, |api| {
            api.text_with_entities(
                &member,
                " @someone ",
                json!([{ "type": "mention", "offset": 1, "length": 8 }]),
            )
        })
        .await;
    let again = replies.last().unwrap().text.clone().unwrap();
    assert!(says(Some(&again), lang, "error-only-mention"), "{again}");
    assert!(again.ends_with(&question), "{again}");
    // A mention inside a description is part of it.
    let next = h.ask(&member, "Họp cùng @someone tại nhà văn hóa").await;
    assert_ne!(next.text.unwrap(), again);
}

#[tokio::test]
async fn a_text_that_is_only_a_mention_is_asked_again() {
    a_text_that_is_only_a_mention(Lang::Vi).await;
}

#[tokio::test]
async fn a_text_that_is_only_a_mention_is_asked_again_in_english() {
    a_text_that_is_only_a_mention(Lang::En).await;
}

/// A photo with a caption where a text is asked (an announcement's text, a
/// meeting's place): the caption is not read there (only a report keeps
/// photos and takes a caption as its description); the user is told so in
/// their language, not only "send text" (they did type one), and the step
/// is asked again; nothing is taken; the text sent next is.
async fn a_photo_with_a_caption_at_a_text_step(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ask = text_of(lang, "ask-announcement");
    h.ask(&secretary, "/announce").await;
    let replies = h
        .send_update(&secretary, |api| {
            api.photo(&secretary, "AgACphoto1", None, Some("Họp chi bộ lúc 19h"))
        })
        .await;
    let again = replies.last().unwrap().text.clone().unwrap();
    assert!(
        says(Some(&again), lang, "error-caption-not-read"),
        "{lang:?}: {again}"
    );
    assert!(
        !says(Some(&again), lang, "error-expect-text"),
        "{lang:?}: {again}"
    );
    assert!(again.ends_with(&ask), "{lang:?}: {again}");
    // A sticker is still asked for text.
    let replies = h
        .send_update(&secretary, |api| api.sticker(&secretary))
        .await;
    let again = replies.last().unwrap().text.clone().unwrap();
    assert!(
        says(Some(&again), lang, "error-expect-text"),
        "{lang:?}: {again}"
    );
    assert!(again.ends_with(&ask), "{lang:?}: {again}");
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    assert!(
        says(preview.text.as_deref(), lang, "announce-preview"),
        "{lang:?}: {preview:?}"
    );
}

#[tokio::test]
async fn a_photo_with_a_caption_at_a_text_step_is_said_not_read() {
    a_photo_with_a_caption_at_a_text_step(Lang::Vi).await;
}

#[tokio::test]
async fn a_photo_with_a_caption_at_a_text_step_is_said_not_read_in_english() {
    a_photo_with_a_caption_at_a_text_step(Lang::En).await;
}

/// An announcement's text edited once it was sent, while the secretary
/// writes the next one: said to stand as sent (the edit changes nothing,
/// nor would /cancel), not to be changed with /cancel; the text asked
/// for stays, and the next text is this announcement's; in both languages.
#[tokio::test]
async fn an_edited_text_of_an_announcement_sent_is_said_to_stand() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let resumed = text_of(lang, "dialogue-resumed");
        h.ask(&secretary, "/announce").await;
        let first = sent_text(&h, &secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
        let preview = h.last(&secretary);
        h.press(&secretary, &preview, &text_of(lang, "button-send"))
            .await;
        h.drain().await;
        h.ask(&secretary, "/announce").await;
        let said = edit(&h, &secretary, first, "Họp chi bộ lúc 20h thứ Bảy").await;
        assert!(
            says(Some(&said), lang, "edited-answer-over") && said.ends_with(&resumed),
            "{lang:?}: {said}"
        );
        let preview = h.ask(&secretary, "Họp chi bộ lúc 20h thứ Bảy").await;
        assert!(
            says(preview.text.as_deref(), lang, "announce-preview"),
            "{lang:?}: {preview:?}"
        );
    }
}

/// /profile's phone changed, then Change phone pressed again and, while
/// the new phone is asked, the first phone's message edited: the edit is
/// answered that the phone stands as saved (not told to /cancel, which
/// would change nothing of it), the phone asked for still taken.
#[tokio::test]
async fn an_edited_phone_while_profile_asks_again_is_said_to_stand() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let resumed = text_of(lang, "dialogue-resumed");
        let shown = h.ask(&member, "/profile").await;
        h.press(&member, &shown, &text_of(lang, "profile-button-phone"))
            .await;
        let first = sent_text(&h, &member, "0912 345 678").await;
        assert!(says(
            h.last(&member).text.as_deref(),
            lang,
            "profile-phone-saved"
        ));
        let shown = h.ask(&member, "/profile").await;
        h.press(&member, &shown, &text_of(lang, "profile-button-phone"))
            .await;
        let said = edit(&h, &member, first, "0912 345 679").await;
        assert!(
            says(Some(&said), lang, "edited-answer-over") && said.ends_with(&resumed),
            "{lang:?}: {said}"
        );
        let saved = h.ask(&member, "0987 654 321").await;
        assert!(
            says(saved.text.as_deref(), lang, "profile-phone-saved"),
            "{lang:?}: {saved:?}"
        );
        let phone: String = sqlx::query_scalar(
            "SELECT phone FROM memberships WHERE user_id = 300 AND status = 'approved'",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert!(phone.contains("987"), "{phone}");

        // The workplace typed under Other, then Other again.
        profile_workplace_other(&h, &member).await;
        let first = sent_text(&h, &member, "UBND phường Vinh Tân").await;
        assert!(says(
            h.last(&member).text.as_deref(),
            lang,
            "profile-workplace-saved"
        ));
        profile_workplace_other(&h, &member).await;
        let said = edit(&h, &member, first, "UBND phường Trường Thi").await;
        assert!(
            says(Some(&said), lang, "edited-answer-over") && said.ends_with(&resumed),
            "{lang:?}: {said}"
        );
        let saved = h.ask(&member, "UBND phường Trường Thi").await;
        assert!(
            says(saved.text.as_deref(), lang, "profile-workplace-saved"),
            "{lang:?}: {saved:?}"
        );
    }
}

/// Messages that are not a text (a voice message, a location, a contact,
/// a poll, a dice, a sticker) and texts that say nothing (only spaces,
/// only zero-width characters), each as Telegram shapes it.
fn not_texts() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        (
            "voice",
            json!({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2, "mime_type": "audio/ogg"}}),
        ),
        (
            "location",
            json!({"location": {"latitude": 18.67, "longitude": 105.69}}),
        ),
        (
            "contact",
            json!({"contact": {"phone_number": "+84912345678", "first_name": "X"}}),
        ),
        (
            "poll",
            json!({"poll": {"id": "p1", "question": "Q?", "options": [{"text": "a", "voter_count": 0}, {"text": "b", "voter_count": 0}], "total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false}}),
        ),
        ("dice", json!({"dice": {"emoji": "🎲", "value": 3}})),
        (
            "sticker",
            json!({"sticker": {"file_id": "st", "file_unique_id": "st", "width": 512, "height": 512, "type": "regular", "is_animated": false, "is_video": false, "emoji": "👍"}}),
        ),
        ("spaces", json!({"text": "    "})),
        (
            "zero-width",
            json!({"text": "\u{200B}\u{200B}\u{2060}\u{FEFF}"}),
        ),
    ]
}

/// Each of [`not_texts`] sent by `user` where the question `question` is
/// asked: answered once, in their language, with what is wrong before the
/// question asked again. What went wrong, as `step/kind: reply`.
async fn every_kind_asked_again(
    h: &Harness,
    user: &TgUser,
    step: &str,
    question: &str,
) -> Vec<String> {
    let lang = lang_of(user);
    let mut wrong = Vec::new();
    for (kind, fields) in not_texts() {
        let replies = h
            .send_update(user, |api| api.message_with(user, fields.clone()))
            .await;
        let text = match replies.as_slice() {
            [one] => one.text.clone().unwrap_or_default(),
            _ => {
                wrong.push(format!(
                    "{step}/{kind}: {} replies {replies:?}",
                    replies.len()
                ));
                continue;
            }
        };
        let why = text.split("\n\n").next().unwrap_or_default();
        let explained = [
            "error-expect-text",
            "error-empty-text",
            "meeting-place-empty",
            "meeting-agenda-empty",
        ]
        .iter()
        .any(|id| says(Some(why), lang, id));
        if !explained || !says(Some(&text), lang, question) {
            wrong.push(format!("{step}/{kind}: {text}"));
        }
    }
    wrong
}

/// What the bot logged at error level.
fn errors_in(logs: &crate::concurrency::Logs) -> Vec<String> {
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "the bot's log is captured");
    logs.lines()
        .filter(|l| l.contains("ERROR"))
        .map(str::to_string)
        .collect()
}

fn capture(logs: &crate::concurrency::Logs) -> tracing::subscriber::DefaultGuard {
    tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(logs.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish(),
    )
}

/// A voice message, a location, a contact, a poll, a dice, a sticker, only
/// spaces or only zero-width characters at each text step of a meeting:
/// its start, place and agenda, a reschedule's date and an absence reason.
/// Each is answered in the user's language with what is expected and the
/// step asked again; nothing given before is lost; nothing is logged at
/// error level.
async fn not_texts_at_the_meeting_steps(lang: Lang) {
    let logs = crate::concurrency::Logs::default();
    let _logging = capture(&logs);
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let mut wrong = Vec::new();
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    wrong.extend(every_kind_asked_again(&h, &secretary, "start", "meeting-ask-start").await);
    h.ask(&secretary, "25/11/2026 19:30").await;
    wrong.extend(every_kind_asked_again(&h, &secretary, "place", "meeting-ask-place").await);
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    wrong.extend(every_kind_asked_again(&h, &secretary, "agenda", "meeting-ask-agenda").await);
    let confirm = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    let shown = confirm.text.clone().unwrap_or_default();
    assert!(
        shown.contains("25/11/2026 19:30")
            && shown.contains("Nhà văn hóa khối 5")
            && shown.contains("Triển khai nhiệm vụ cuối năm"),
        "{shown}"
    );
    h.press_data(&secretary, confirm.message_id, &data_of(&confirm, "gs"))
        .await;
    h.drain().await;
    let summary = h.last(&secretary);
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM meetings")
        .fetch_one(&h.pool)
        .await
        .unwrap();

    h.press_data(&secretary, summary.message_id, &format!("gp:{id}"))
        .await;
    wrong.extend(
        every_kind_asked_again(&h, &secretary, "reschedule", "meeting-ask-new-start").await,
    );
    let done = h.ask(&secretary, "26/11/2026 19:30").await;
    assert!(
        says(done.text.as_deref(), lang, "meeting-postponed-done"),
        "{done:?}"
    );
    h.drain().await;

    let invitation = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("gd:")))
        .expect("the invitation");
    h.press_data(&member, invitation.message_id, &data_of(&invitation, "gd:"))
        .await;
    wrong.extend(every_kind_asked_again(&h, &member, "reason", "meeting-ask-reason").await);
    let recorded = h.ask(&member, "Đi công tác").await;
    assert!(
        says(recorded.text.as_deref(), lang, "meeting-decline-recorded"),
        "{recorded:?}"
    );
    let reason: Option<String> = sqlx::query_scalar(
        "SELECT i.reason FROM meeting_invitations i
         JOIN memberships m ON m.id = i.membership_id WHERE m.user_id = 300",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(reason.as_deref(), Some("Đi công tác"));
    assert!(wrong.is_empty(), "{lang:?}: {wrong:#?}");
    assert_eq!(errors_in(&logs), Vec::<String>::new());
}

#[tokio::test]
async fn not_texts_at_the_meeting_steps_are_asked_again() {
    not_texts_at_the_meeting_steps(Lang::Vi).await;
}

#[tokio::test]
async fn not_texts_at_the_meeting_steps_are_asked_again_in_english() {
    not_texts_at_the_meeting_steps(Lang::En).await;
}

/// The same kinds at an announcement's text, a rejection's reason, a
/// sheet's other remarks and a member's response to their draft comment
/// sheet: each answered in the
/// user's language, the step asked again, the text sent next taken.
async fn not_texts_at_the_other_text_steps(lang: Lang) {
    let logs = crate::concurrency::Logs::default();
    let _logging = capture(&logs);
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let mut wrong = Vec::new();

    h.ask(&secretary, "/announce").await;
    wrong.extend(every_kind_asked_again(&h, &secretary, "announcement", "ask-announcement").await);
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    assert!(
        says(preview.text.as_deref(), lang, "announce-preview"),
        "{preview:?}"
    );
    h.ask(&secretary, "/cancel").await;

    crate::committee::submit_report(&h, &member, "Họp tổ dân phố").await;
    h.drain().await;
    let card = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("rr:")))
        .expect("the report's card");
    h.press_data(&secretary, card.message_id, &data_of(&card, "rr:"))
        .await;
    wrong.extend(every_kind_asked_again(&h, &secretary, "reject", "ask-reject-reason-again").await);
    h.ask(&secretary, "Thiếu ảnh minh chứng").await;
    let status: String = sqlx::query_scalar("SELECT status FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(status, "rejected");

    h.set_local(2026, 12, 10, 9, 0);
    let membership = h.membership_of(member.id).await;
    let sheet = h.open_sheet(&secretary, membership).await;
    h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
    wrong.extend(every_kind_asked_again(&h, &secretary, "remarks", "ask-remarks").await);
    h.ask(&secretary, "Gương mẫu trong khu phố").await;
    assert_eq!(h.sheet_sent_to_member(&secretary, membership).await, sheet);
    h.drain().await;
    let remarks: String = sqlx::query_scalar("SELECT remarks FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(remarks, "Gương mẫu trong khu phố");
    let draft = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ma:")))
        .expect("the draft");
    h.press(&member, &draft, &text_of(lang, "button-respond"))
        .await;
    wrong.extend(every_kind_asked_again(&h, &member, "response", "ask-member-response").await);
    h.ask(&member, "Đề nghị ghi rõ hơn").await;
    let responded: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sheets WHERE id = ? AND member_response LIKE '%ghi rõ hơn%'",
    )
    .bind(sheet)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(responded, 1);
    assert!(wrong.is_empty(), "{lang:?}: {wrong:#?}");
    assert_eq!(errors_in(&logs), Vec::<String>::new());
}

#[tokio::test]
async fn not_texts_at_an_announcement_a_rejection_and_a_response_are_asked_again() {
    not_texts_at_the_other_text_steps(Lang::Vi).await;
}

#[tokio::test]
async fn not_texts_at_an_announcement_a_rejection_and_a_response_are_asked_again_in_english() {
    not_texts_at_the_other_text_steps(Lang::En).await;
}

/// A sheet's other remarks typed, then Remarks pressed again and, while the
/// new remarks are asked, the first remarks' message edited: the edit is
/// answered that they stand as saved (not told to /cancel, which would
/// change nothing of them); the remarks asked for are still taken.
#[tokio::test]
async fn edited_remarks_while_remarks_are_asked_again_are_said_to_stand() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.set_local(2026, 12, 10, 9, 0);
        let membership = h.membership_of(member.id).await;
        let sheet = h.open_sheet(&secretary, membership).await;
        let resumed = text_of(lang, "dialogue-resumed");
        let (_, asked) = h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
        assert!(
            says(
                asked.last().and_then(|s| s.text.as_deref()),
                lang,
                "ask-remarks"
            ),
            "{asked:?}"
        );
        let first = sent_text(&h, &secretary, "Tích cực tham gia hoạt động khu phố").await;
        h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
        let said = edit(&h, &secretary, first, "Rất tích cực").await;
        assert!(
            says(Some(&said), lang, "edited-answer-over") && said.ends_with(&resumed),
            "{lang:?}: {said}"
        );
        h.ask(&secretary, "Gương mẫu trong khu phố").await;
        let remarks: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sheets WHERE id = ? AND remarks = 'Gương mẫu trong khu phố'",
        )
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(remarks, 1, "{lang:?}");
    }
}

/// /profile's Change workplace, then Other: the workplace's name asked.
async fn profile_workplace_other(h: &Harness, member: &TgUser) {
    let lang = lang_of(member);
    let shown = h.ask(member, "/profile").await;
    let (_, picker) = h
        .press(member, &shown, &text_of(lang, "profile-button-workplace"))
        .await;
    let picker = picker.last().unwrap().clone();
    h.press(member, &picker, &text_of(lang, "button-workplace-other"))
        .await;
}

/// A voice message, a location, a contact, a poll, a dice, a sticker, only
/// spaces or only zero-width characters under an announcement's preview:
/// before, each was answered to type the announcement, as if it were lost,
/// while the preview's Send still stood. Each is answered that the preview
/// waits above for Send (or a corrected text); Send then sends the text
/// previewed, once.
async fn not_texts_under_an_announcements_preview(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    assert!(
        says(preview.text.as_deref(), lang, "announce-preview"),
        "{preview:?}"
    );
    let wrong = every_kind_asked_again(&h, &secretary, "preview", "announce-preview-waits").await;
    assert!(wrong.is_empty(), "{lang:?}: {wrong:#?}");
    h.press(&secretary, &preview, &text_of(lang, "button-send"))
        .await;
    h.drain().await;
    let got: Vec<String> = h
        .api
        .sent(member.id)
        .into_iter()
        .filter_map(|s| s.text)
        .filter(|t| t.contains("Họp chi bộ lúc 19h thứ Bảy"))
        .collect();
    assert_eq!(got.len(), 1, "{lang:?}: {got:?}");
}

#[tokio::test]
async fn not_texts_under_an_announcements_preview_say_it_waits() {
    not_texts_under_an_announcements_preview(Lang::Vi).await;
}

#[tokio::test]
async fn not_texts_under_an_announcements_preview_say_it_waits_in_english() {
    not_texts_under_an_announcements_preview(Lang::En).await;
}

/// Buttons pressed in a group, under a card forwarded there with its
/// buttons: before, the secretary's Approve approved the report and the bot
/// tried to write the card (the member's name, the report's text) into the
/// group, a member's card or /pending went on in private; now each press is
/// answered, in an alert only the presser sees and in their language, that
/// the buttons work in the private chat, and nothing is done, sent or
/// edited. /forgetme and /start with a real code sent there are answered
/// in the group that the bot works in private chats; nothing is erased and
/// the code is not used up.
async fn pressed_in_a_group(lang: Lang) {
    let h = Harness::start().await;
    let c = cast(&h, lang).await;
    let report = super::committee::submit_report(&h, &c.member, "Họp tổ dân phố khối 5").await;
    h.drain().await;
    let ms = c.membership;
    let code = h.invite_code(&c.secretary).await;
    let audits = h.count("SELECT COUNT(*) FROM audit_log").await;
    let before = h.api.calls().len();
    let presses = [
        (&c.secretary, format!("ra:{report}")),
        (&c.secretary, format!("rr:{report}")),
        (&c.member, format!("rp:{report}")),
        (&c.secretary, format!("bo:{ms}")),
        (&c.secretary, format!("so:{ms}")),
        (&c.secretary, "op".to_string()),
    ];
    for (who, data) in &presses {
        let update = h.api.group_callback(who, -1005, data);
        h.handled(update).await;
    }
    h.drain().await;
    let calls: Vec<Call> = h
        .api
        .calls()
        .into_iter()
        .skip(before)
        .filter(|c| c.method != "getupdates")
        .collect();
    assert_eq!(calls.len(), presses.len(), "{calls:?}");
    for call in &calls {
        assert!(
            call.method == "answercallbackquery"
                && call.params["show_alert"] == true
                && says(
                    call.params["text"].as_str(),
                    lang,
                    "group-press-private-only"
                ),
            "{call:?}"
        );
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
            .await,
        1
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_log").await, audits);
    // Commands there: answered in the group, nothing done.
    let newcomer = user_in(lang, 400, "Cúc");
    h.api.group_text(&c.member, -1006, "/forgetme");
    h.api
        .group_text(&newcomer, -1007, &format!("/start {code}"));
    for group in [-1006, -1007] {
        h.api
            .wait_sent(group, 1, std::time::Duration::from_secs(20))
            .await;
        let said = h.api.sent(group);
        assert!(
            says(said[0].text.as_deref(), lang, "group-private-only"),
            "{said:?}"
        );
    }
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_log").await, audits);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'approved'")
            .await,
        1
    );
    h.request_join(&newcomer, &code, "Phạm Thị Cúc").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 400 AND status = 'pending'")
            .await,
        1
    );
}

#[tokio::test]
async fn buttons_and_commands_in_a_group_do_nothing_there() {
    pressed_in_a_group(Lang::Vi).await;
}

#[tokio::test]
async fn buttons_and_commands_in_a_group_do_nothing_there_in_english() {
    pressed_in_a_group(Lang::En).await;
}

/// A member new to the bot types the description in two messages: the
/// second comes at the photos step. It is answered that a text is not added
/// there, that the description is the one sent before and how to change it
/// (/cancel and report again), with the photos question again; not "send a
/// photo (not as a file)". Skip then shows the description as first given.
async fn a_text_at_the_photos_step(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    at_description_step(&h, &member, lang).await;
    let asked = h.ask(&member, "Họp tổ dân phố").await;
    assert!(says(asked.text.as_deref(), lang, "ask-photos"), "{asked:?}");
    let replies = h.say(&member, "bàn việc làm đường ngõ 5").await;
    assert_eq!(replies.len(), 1, "{lang:?}: {replies:?}");
    let told = replies[0].text.clone().unwrap();
    assert!(says(Some(&told), lang, "photos-text-not-kept"), "{told}");
    assert!(says(Some(&told), lang, "ask-photos"), "{told}");
    assert!(!says(Some(&told), lang, "error-expect-photo"), "{told}");
    let skip = replies[0].buttons()[0].0.clone();
    h.press(&member, &replies[0], &skip).await;
    let summary = h.last(&member).text.unwrap();
    assert!(summary.contains("Họp tổ dân phố"), "{summary}");
    assert!(!summary.contains("ngõ 5"), "{summary}");
}

#[tokio::test]
async fn a_text_at_the_photos_step_says_the_description_stands() {
    a_text_at_the_photos_step(Lang::Vi).await;
}

#[tokio::test]
async fn a_text_at_the_photos_step_says_the_description_stands_in_english() {
    a_text_at_the_photos_step(Lang::En).await;
}
