//! Members report; secretaries approve or reject with a reason.

use lienhe::domain::Lang;

use crate::common::*;

#[tokio::test]
async fn report_without_photo_is_approved() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;

    let kinds = h.ask(&member, "/report").await;
    let labels = kinds.button_texts();
    assert_eq!(labels.len(), 7, "{labels:?}");
    assert_eq!(labels[0], "Sinh hoạt, họp chi bộ nơi cư trú");
    assert!(labels.contains(&"Đóng góp, ủng hộ".to_string()));

    h.press(&member, &kinds, "Họp tổ dân phố, thôn, khối").await;
    assert_eq!(
        h.current(&kinds).text.unwrap(),
        "Loại hoạt động: Họp tổ dân phố, thôn, khối"
    );
    let date = h.last(&member);
    assert_eq!(date.button_texts(), vec!["Hôm nay", "Hôm qua"]);
    h.press(&member, &date, "Hôm qua").await;
    assert_eq!(h.current(&date).text.unwrap(), "Ngày hoạt động: 19/11/2026");
    let photos = h
        .ask(&member, "Dự họp tổ dân phố số 5 bàn việc sửa đường")
        .await;
    assert_eq!(photos.button_texts(), vec!["Bỏ qua"]);
    h.press(&member, &photos, "Bỏ qua").await;
    let summary = h.last(&member);
    let text = summary.text.clone().unwrap();
    assert!(
        text.contains("19/11/2026")
            && text.contains("sửa đường")
            && text.contains("Ảnh minh chứng: 0"),
        "{text}"
    );

    h.press(&member, &summary, "Gửi báo cáo").await;
    assert!(
        h.current(&summary)
            .text
            .unwrap()
            .contains("Đã gửi báo cáo số 1")
    );
    let row: (String, String, String) =
        sqlx::query_as("SELECT status, activity_date, description FROM reports")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        row,
        (
            "pending".into(),
            "2026-11-19".into(),
            "Dự họp tổ dân phố số 5 bàn việc sửa đường".into()
        )
    );

    let card = h.last(&secretary);
    let card_text = card.text.clone().unwrap();
    assert!(
        card_text.contains("Báo cáo hoạt động số 1")
            && card_text.contains("Nguyễn Văn An")
            && card_text.contains("19/11/2026"),
        "{card_text}"
    );
    assert_eq!(card.button_texts(), vec!["✅ Duyệt", "❌ Từ chối"]);

    h.press(&secretary, &card, "✅ Duyệt").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );
    let told = h.last(&member).text.unwrap();
    assert!(
        told.contains("Báo cáo số 1") && told.contains("đã được chi bộ duyệt"),
        "{told}"
    );
    let settled = h.current(&card);
    assert!(settled.reply_markup.is_none());
    assert!(
        settled
            .text
            .unwrap()
            .contains("Đồng chí Trần Thị Bình đã duyệt lúc 20/11/2026 10:00")
    );
    assert_eq!(h.api.not_modified(), 0);
}

#[tokio::test]
async fn a_card_whose_edit_failed_is_settled_at_the_next_press_and_only_then() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    // Telegram is busy just when the card is to show the decision.
    h.api.fail_next(
        "editMessageText",
        Some(100),
        Fault::TooManyRequests { retry_after: 1 },
        1,
    );
    h.press(&secretary, &card, "✅ Duyệt").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );
    let unsettled = h.current(&card);
    assert_eq!(unsettled.edits, 0);
    assert_eq!(unsettled.button_texts(), vec!["✅ Duyệt", "❌ Từ chối"]);

    // The next press names who decided, and the card shows it now.
    let (again, _) = h.press(&secretary, &unsettled, "❌ Từ chối").await;
    assert!(
        again.params["text"]
            .as_str()
            .unwrap()
            .contains("Trần Thị Bình"),
        "{:?}",
        again.params
    );
    let settled = h.current(&card);
    assert!(settled.reply_markup.is_none());
    assert!(
        settled
            .text
            .unwrap()
            .contains("Đồng chí Trần Thị Bình đã duyệt lúc 20/11/2026 10:00")
    );
    // Once: a later press edits nothing.
    h.press_data(
        &secretary,
        card.message_id,
        &card.button_data("✅ Duyệt").unwrap(),
    )
    .await;
    assert_eq!(h.current(&card).edits, 1);
    assert_eq!(h.api.not_modified(), 0);
}

#[tokio::test]
async fn report_with_photos_reaches_the_secretary_with_them() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;

    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, "Phong trào, hoạt động cộng đồng")
        .await;
    h.ask(&member, "15/11/2026").await;
    h.ask(&member, "Tổng vệ sinh khu dân cư").await;
    let ack = h
        .send_update(&member, |api| api.photo(&member, "PHOTO-1", None, None))
        .await;
    assert_eq!(ack.len(), 1);
    assert!(ack[0].text.clone().unwrap().contains("Đã nhận 1 ảnh"));
    assert_eq!(ack[0].button_texts(), vec!["Xong"]);
    // An album of two is acknowledged once.
    let album = h
        .send_update(&member, |api| {
            api.photo(&member, "PHOTO-2", Some("album-1"), None);
            api.photo(&member, "PHOTO-3", Some("album-1"), None)
        })
        .await;
    assert_eq!(album.len(), 1, "{album:?}");
    // Its acknowledgement counts the album's photos as they arrive.
    assert!(
        h.api
            .wait_confirmed(std::time::Duration::from_secs(10))
            .await
    );
    let counted = h.current(&album[0]).text.unwrap();
    assert!(counted.contains("Đã nhận 3 ảnh"), "{counted}");
    let done = h.last(&member);
    h.press(&member, &done, "Xong").await;
    let summary = h.last(&member);
    assert!(summary.text.clone().unwrap().contains("Ảnh minh chứng: 3"));
    h.press(&member, &summary, "Gửi báo cáo").await;

    let photos: Vec<String> =
        sqlx::query_scalar("SELECT file_id FROM report_photos ORDER BY position")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(photos, vec!["PHOTO-1", "PHOTO-2", "PHOTO-3"]);
    let album_call = h.api.calls_of("sendMediaGroup");
    assert_eq!(album_call.len(), 1);
    assert_eq!(album_call[0].chat_id(), Some(100));
    let media = album_call[0].params["media"].as_array().unwrap();
    assert_eq!(media.len(), 3);
    assert_eq!(media[0]["media"], "PHOTO-1");
    let card = h.last(&secretary);
    assert!(card.text.clone().unwrap().contains("Ảnh minh chứng: 3"));
    assert!(card.button_texts().contains(&"🖼 Xem 3 ảnh".to_string()));

    // "Show photos" sends them again, to the secretary only.
    h.press(&secretary, &card, "🖼 Xem 3 ảnh").await;
    assert_eq!(h.api.calls_of("sendMediaGroup").len(), 2);
    let stranger = vi_user(999, "Lạ");
    let (refused, _) = h.press_data(&stranger, card.message_id, "rp:1").await;
    assert_eq!(refused.params["show_alert"], true);
    assert_eq!(h.api.calls_of("sendMediaGroup").len(), 2);

    // A single photo goes as sendPhoto.
    h.report_until_summary(
        &member,
        "Đóng góp, ủng hộ",
        "Hôm nay",
        "Ủng hộ quỹ khuyến học",
        &["ONE"],
    )
    .await;
    let summary = h.last(&member);
    h.press(&member, &summary, "Gửi báo cáo").await;
    let photo = h.api.calls_of("sendPhoto");
    assert_eq!(photo.len(), 1);
    assert_eq!(photo[0].params["photo"], "ONE");
    assert!(
        photo[0].params["caption"]
            .as_str()
            .unwrap()
            .contains("báo cáo số 2")
    );
}

#[tokio::test]
async fn rejection_asks_for_a_reason_and_tells_the_member() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;

    let summary = h
        .report_until_summary(
            &member,
            "Contribution to local funds",
            "Today",
            "Gave 200,000 VND to the study fund",
            &[],
        )
        .await;
    h.press(&member, &summary, "Submit").await;
    // The submission ended the member's dialogue in its own transaction.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300")
            .await,
        0
    );
    let card = h.last(&secretary);
    let (_, asked) = h.press(&secretary, &card, "❌ Từ chối").await;
    assert!(
        asked
            .last()
            .unwrap()
            .text
            .clone()
            .unwrap()
            .contains("lý do không duyệt báo cáo số 1")
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
            .await,
        1
    );

    // An empty reason is refused; the report stays pending.
    let again = h.ask(&secretary, "   ").await.text.unwrap();
    assert!(again.contains("không được để trống"), "{again}");
    // A reason pasted over Telegram's 4,096 characters arrives in two
    // messages at once: the first is refused as too long, and the rest is
    // not taken as the reason.
    let before = h.api.sent_count(secretary.id);
    let long: String = "Lý do rất dài. ".repeat(300).chars().take(4096).collect();
    h.api.text(&secretary, &long);
    h.api.text(&secretary, "phần cuối của lý do");
    h.api
        .wait_sent(secretary.id, before + 2, std::time::Duration::from_secs(60))
        .await;
    let replies = h.api.sent(secretary.id).split_off(before);
    assert!(
        says(
            replies[0].text.as_deref(),
            lienhe::domain::Lang::Vi,
            "error-too-long"
        ),
        "{replies:?}"
    );
    assert!(
        says(
            replies[1].text.as_deref(),
            lienhe::domain::Lang::Vi,
            "error-text-in-parts"
        ),
        "{replies:?}"
    );
    // An app that cuts at a line break in the second half, with emoji
    // (two units each): a first part of 1,800 characters is split too.
    let before = h.api.sent_count(secretary.id);
    let emoji: String = "Lý do 🙂🙂🙂 dài.\n".repeat(120);
    assert!(emoji.chars().count() < 2_000 && emoji.encode_utf16().count() >= 2_000);
    h.api.text(&secretary, &emoji);
    h.api.text(&secretary, "phần cuối của lý do");
    h.api
        .wait_sent(secretary.id, before + 2, std::time::Duration::from_secs(60))
        .await;
    let replies = h.api.sent(secretary.id).split_off(before);
    assert!(
        says(
            replies[1].text.as_deref(),
            lienhe::domain::Lang::Vi,
            "error-text-in-parts"
        ),
        "{replies:?}"
    );
    let done = h
        .ask(&secretary, "Chỉ đóng góp tiền, đề nghị tham gia sinh hoạt")
        .await
        .text
        .unwrap();
    assert!(done.contains("Đã từ chối báo cáo số 1"), "{done}");
    let row: (String, String) = sqlx::query_as("SELECT status, reject_reason FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(
        row,
        (
            "rejected".into(),
            "Chỉ đóng góp tiền, đề nghị tham gia sinh hoạt".into()
        )
    );
    let told = h.last(&member).text.unwrap();
    assert!(
        told.contains("was not approved") && told.contains("Reason: Chỉ đóng góp tiền"),
        "{told}"
    );
    let settled = h.current(&card);
    assert!(settled.reply_markup.is_none());
    assert!(settled.text.unwrap().contains("Lý do: Chỉ đóng góp tiền"));
}

#[tokio::test]
async fn reject_in_the_middle_of_own_report_resumes_it() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    // The secretary is also a member of the own cell: nobody decides their
    // own request, the deputy approves it.
    let deputy = vi_user(200, "Dũng");
    let link = h.ask(&secretary, "/invite deputy").await.text.unwrap();
    let start = link.find("?start=").expect("a deep link") + "?start=".len();
    let deputy_code = link[start..].split_whitespace().next().unwrap().to_string();
    h.ask(&deputy, &format!("/start {deputy_code}")).await;
    h.ask(&deputy, "Phạm Văn Dũng").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let join_card = h.last(&deputy);
    h.press(&deputy, &join_card, "✅ Duyệt").await;
    let membership: String =
        sqlx::query_scalar("SELECT status FROM memberships WHERE user_id = 100")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(membership, "approved");
    let _ = cell;

    let summary = h
        .report_until_summary(
            &member,
            "Tuyên truyền, vận động",
            "Hôm nay",
            "Vận động bầu cử",
            &[],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);

    // The secretary starts an own report, then rejects the member's.
    let kinds = h.ask(&secretary, "/report").await;
    h.press(&secretary, &kinds, "Hoạt động khác").await;
    h.press_data(
        &secretary,
        card.message_id,
        &card.button_data("❌ Từ chối").unwrap(),
    )
    .await;
    let done = h.ask(&secretary, "Chưa rõ nội dung").await.text.unwrap();
    assert!(done.contains("tiếp tục"), "{done}");
    // Back at the date step of the own report.
    let photos = h.ask(&secretary, "18/11/2026").await.text.unwrap();
    assert!(photos.contains("mô tả"), "{photos}");

    // Nobody approves their own report.
    let summary = h.ask(&secretary, "Họp bàn").await;
    h.press(&secretary, &summary, "Bỏ qua").await;
    let summary = h.last(&secretary);
    h.press(&secretary, &summary, "Gửi báo cáo").await;
    // The card went to the deputy; the secretary's press of it is refused.
    let own_card = h.last(&deputy);
    assert!(
        own_card
            .text
            .clone()
            .unwrap()
            .contains("Báo cáo hoạt động số 2")
    );
    let (refused, _) = h
        .press_data(
            &secretary,
            own_card.message_id,
            &own_card.button_data("✅ Duyệt").unwrap(),
        )
        .await;
    assert_eq!(refused.params["show_alert"], true);
    assert!(
        refused.params["text"]
            .as_str()
            .unwrap()
            .contains("chính mình")
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE id = 2 AND status = 'pending'")
            .await,
        1
    );
}

#[tokio::test]
async fn another_cells_secretary_and_forged_buttons_change_nothing() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other_cell = h.cell(ward, "Chi bộ khối 6").await;
    let other = vi_user(110, "Cường");
    h.make_secretary(&other, other_cell, "Lê Văn Cường").await;

    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trực an ninh", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;

    for (who, data) in [
        (&other, "ra:1"),
        (&other, "rr:1"),
        (&member, "ra:1"),
        (&other, "ja:1"),
        (&member, "ra:999"),
        (&other, "zz:xyz"),
        (&other, "ra:1;DROP"),
    ] {
        let (answer, _) = h.press_data(who, 1, data).await;
        assert_eq!(answer.params["show_alert"], true, "{data}");
        assert!(
            answer.params["text"]
                .as_str()
                .unwrap()
                .contains("không có quyền"),
            "{data}: {:?}",
            answer.params
        );
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 110 AND state LIKE '%Reject%'")
            .await,
        0
    );
}

#[tokio::test]
async fn an_old_button_press_is_still_decided_when_telegram_refuses_the_answer() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    h.api.fail_next(
        "answerCallbackQuery",
        None,
        Fault::BadRequest(
            "query is too old and response timeout expired or query ID is invalid".into(),
        ),
        1,
    );
    h.api.callback(
        &secretary,
        card.message_id,
        &card.button_data("✅ Duyệt").unwrap(),
    );
    h.quiet().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );
    assert!(
        h.last(&member)
            .text
            .unwrap()
            .contains("đã được chi bộ duyệt")
    );
    assert!(h.current(&card).reply_markup.is_none());
}

/// A membership that ended while the member's summary was open: Submit
/// stores nothing, says why, and ends the dialogue (in both languages).
#[tokio::test]
async fn submitting_after_the_membership_ended_stores_nothing() {
    for lang in [lienhe::domain::Lang::Vi, lienhe::domain::Lang::En] {
        let h = Harness::start().await;
        let tr = |id: &str| lienhe::i18n::loader(lang).get(id);
        let (secretary, member) = match lang {
            lienhe::domain::Lang::Vi => (vi_user(100, "Bình"), vi_user(300, "An")),
            lienhe::domain::Lang::En => (en_user(100, "Binh"), en_user(300, "An")),
        };
        h.cell_with_member(&secretary, &member).await;
        let kind: String = sqlx::query_scalar(match lang {
            lienhe::domain::Lang::Vi => {
                "SELECT name_vi FROM activity_kinds WHERE code = 'community'"
            }
            lienhe::domain::Lang::En => {
                "SELECT name_en FROM activity_kinds WHERE code = 'community'"
            }
        })
        .fetch_one(&h.pool)
        .await
        .unwrap();
        let summary = h
            .report_until_summary(&member, &kind, &tr("button-today"), "Trồng cây", &[])
            .await;
        sqlx::query("UPDATE memberships SET status = 'left', ended_at = ? WHERE user_id = ?")
            .bind(default_now())
            .bind(member.id)
            .execute(&h.pool)
            .await
            .unwrap();
        h.press(&member, &summary, &tr("button-submit")).await;
        let told = h.last(&member).text;
        assert!(says(told.as_deref(), lang, "end-no-report"), "{told:?}");
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 0);
        assert_eq!(h.count("SELECT COUNT(*) FROM dialogues").await, 0);
        // Nothing reached the secretary.
        h.drain().await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%ra:%'")
                .await,
            0
        );
    }
}

/// At the description step a photo sent with the description as its
/// caption gives both: the description is taken and the photo kept. A
/// photo without a caption is kept and the description asked for again.
#[tokio::test]
async fn a_photo_with_its_caption_at_the_description_step_gives_both() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let (kind, today) = match lang {
            Lang::Vi => ("Phong trào, hoạt động cộng đồng", "Hôm nay"),
            Lang::En => ("Community movement", "Today"),
        };
        let kinds = h.ask(&member, "/report").await;
        h.press(&member, &kinds, kind).await;
        let date = h.last(&member);
        h.press(&member, &date, today).await;
        // A photo alone first: kept, the description asked again.
        let asked = h
            .send_update(&member, |api| api.photo(&member, "PHOTO-1", None, None))
            .await;
        let text = asked.last().unwrap().text.clone().unwrap();
        assert!(
            says(Some(&text), lang, "photo-kept-ask-description"),
            "{text}"
        );
        // Then a photo with the description as its caption.
        let next = h
            .send_update(&member, |api| {
                api.photo(&member, "PHOTO-2", None, Some("Tổng vệ sinh khu dân cư"))
            })
            .await;
        let prompt = next.last().unwrap().clone();
        assert!(
            says(prompt.text.as_deref(), lang, "photos-received"),
            "{prompt:?}"
        );
        h.press(&member, &prompt, &prompt.buttons()[0].0).await;
        let summary = h.last(&member);
        let shown = summary.text.clone().unwrap();
        assert!(shown.contains("Tổng vệ sinh khu dân cư"), "{shown}");
        let submit = summary.buttons()[0].0.clone();
        h.press(&member, &summary, &submit).await;
        let (description, photos): (String, i64) =
            sqlx::query_as("SELECT description, (SELECT COUNT(*) FROM report_photos) FROM reports")
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert_eq!(
            (description.as_str(), photos),
            ("Tổng vệ sinh khu dân cư", 2)
        );
    }
}

/// The question a press leads to is committed with the press; when
/// Telegram answers its sending with a server error, it is sent once more
/// (else the secretary would see nothing and their next text, whatever it
/// was, would be taken as the reason).
#[tokio::test]
async fn a_question_telegram_failed_to_take_is_sent_again() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        let summary = h
            .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
            .await;
        h.press(&member, &summary, "Gửi báo cáo").await;
        let card = h.last(&secretary);
        let before = h.api.sent_count(secretary.id);
        h.api
            .fail_next("sendMessage", Some(100), Fault::ServerError(502), 1);
        h.api.callback(
            &secretary,
            card.message_id,
            &card.button_data(&text_of(lang, "button-reject")).unwrap(),
        );
        // Teloxide waits 10 s after a 5xx before it reports it.
        h.api
            .wait_sent(secretary.id, before + 1, std::time::Duration::from_secs(30))
            .await;
        h.quiet().await;
        let asked = h.last(&secretary);
        assert!(
            says(asked.text.as_deref(), lang, "ask-reject-reason"),
            "{:?}",
            asked.text
        );
        h.ask(&secretary, "Chưa đúng thực tế").await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE status = 'rejected'")
                .await,
            1
        );
    }
}

// ------------------------------------------- a report erased meanwhile

/// The member's /forgetme (confirmed): their pending reports go with it.
async fn forget(h: &Harness, member: &TgUser) {
    let confirm = h.ask(member, "/forgetme").await;
    let yes = label_of(&confirm, "fy").expect("a confirm button");
    h.press(member, &confirm, &yes).await;
    h.drain().await;
}

/// A report of `member` submitted (kind "other", today) and its card at
/// the secretary's: (id, card).
async fn submitted(h: &Harness, secretary: &TgUser, member: &TgUser) -> (i64, Sent) {
    let lang = lang_of(member);
    let today = text_of(lang, "button-today");
    let summary = h
        .report_until_summary(member, other_kind(lang), &today, "Họp tổ dân phố số 7", &[])
        .await;
    h.press_data(member, summary.message_id, &data_of(&summary, "rs"))
        .await;
    h.quiet().await;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM reports WHERE user_id = ?")
        .bind(member.id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let card = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rfind(|s| s.buttons().iter().any(|(_, d)| *d == format!("ra:{id}")))
        .expect("the report's card");
    (id, card)
}

/// Approve pressed on a card of a report its member erased since (a card
/// whose edit had not landed, a /pending list open on another device):
/// the secretary is told it was withdrawn, not that they may not decide,
/// and the card loses its buttons. A press naming a report that never
/// was, or on a message that is not its card, is still refused.
#[tokio::test]
async fn approve_pressed_after_the_member_erased_their_data() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let (id, card) = submitted(&h, &secretary, &member).await;
        forget(&h, &member).await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports").await,
            0,
            "withdrawn"
        );

        // Forged: a report that never was, on its card; the erased one on
        // a message that is not its card.
        let elsewhere = h.ask(&secretary, "/help").await;
        for (message, data) in [
            (card.message_id, format!("ra:{}", id + 1)),
            (elsewhere.message_id, format!("ra:{id}")),
        ] {
            let (answer, _) = h.press_data(&secretary, message, &data).await;
            assert!(
                says(answer.str_param("text"), lang, "not-allowed"),
                "{lang:?} {data}: {answer:?}"
            );
        }

        let (answer, _) = h
            .press_data(&secretary, card.message_id, &format!("ra:{id}"))
            .await;
        assert!(
            says(answer.str_param("text"), lang, "decision-item-withdrawn"),
            "{lang:?}: {answer:?}"
        );
        assert!(
            h.current(&card).buttons().is_empty(),
            "{lang:?}: the card keeps {:?}",
            h.current(&card).buttons()
        );
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 0);
    }
}

/// The same for a join request whose sender erased their data before the
/// secretary pressed: told the request was withdrawn, and the card loses
/// its buttons (the erasure marked the cards settled without editing them).
#[tokio::test]
async fn approve_pressed_on_a_join_after_its_sender_erased_their_data() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = user_in(lang, 100, "Bình");
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let code = h.invite_code(&secretary).await;
        let member = user_in(lang, 300, "An");
        h.request_join(&member, &code, "Nguyễn Văn An").await;
        h.quiet().await;
        let card = h.last(&secretary);
        let approve = card.buttons()[0].0.clone();
        forget(&h, &member).await;
        assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);
        let (answer, _) = h.press(&secretary, &card, &approve).await;
        assert!(
            says(answer.str_param("text"), lang, "decision-join-withdrawn"),
            "{lang:?}: {answer:?}"
        );
        assert!(
            h.current(&card).buttons().is_empty(),
            "{lang:?}: the card keeps {:?}",
            h.current(&card).buttons()
        );
    }
}

/// Reject pressed (the reason asked for) in the middle of an announcement,
/// then the member erased their data, then the reason typed: the secretary
/// is told the member withdrew it, not that they may not decide, and the
/// announcement goes on where it was.
#[tokio::test]
async fn reject_reason_typed_after_the_member_erased_their_data() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let (id, card) = submitted(&h, &secretary, &member).await;
        h.ask(&secretary, "/announce").await;
        let (_, asked) = h
            .press_data(&secretary, card.message_id, &format!("rr:{id}"))
            .await;
        assert!(
            asked
                .iter()
                .any(|s| says(s.text.as_deref(), lang, "ask-reject-reason")),
            "{lang:?}: {asked:?}"
        );
        forget(&h, &member).await;

        let reply = h.ask(&secretary, "Không đủ minh chứng").await;
        let text = reply.text.clone().unwrap_or_default();
        assert!(
            says(Some(&text), lang, "decision-item-withdrawn")
                && text.ends_with(&text_of(lang, "dialogue-resumed")),
            "{lang:?}: {text}"
        );
        assert!(!says(Some(&text), lang, "not-allowed"), "{lang:?}: {text}");
        let state: String = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
            .bind(secretary.id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert!(state.contains("Announce"), "{lang:?}: {state}");
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 0);
    }
}

// ------------------------------------------- the same picture sent again

/// At the description step a photo without a caption is answered "send
/// the photo with the description as its caption": the member does so,
/// choosing the same picture again, which Telegram gives the bot under
/// another `file_id` with the same `file_unique_id`. It was kept twice
/// ("2 photos received", the secretary shown it twice); a photo sent again
/// under the same `file_id` (forwarded) was answered that a report has at
/// most ten photos. Each picture is kept once, and sent again at the
/// photos step it is said to be in the report already.
#[tokio::test]
async fn the_same_picture_sent_again_is_kept_once() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let kinds = h.ask(&member, "/report").await;
        h.press(&member, &kinds, other_kind(lang)).await;
        let date = h.last(&member);
        h.press(&member, &date, &text_of(lang, "button-today"))
            .await;
        let asked = h
            .send_update(&member, |api| api.photo(&member, "PIC-1", None, None))
            .await;
        assert!(
            says(
                asked.last().unwrap().text.as_deref(),
                lang,
                "photo-kept-ask-description"
            ),
            "{asked:?}"
        );
        // Forwarded again: the same file_id. Not "at most ten photos".
        let again = h
            .send_update(&member, |api| api.photo(&member, "PIC-1", None, None))
            .await;
        let told = again.last().unwrap().text.clone().unwrap();
        assert!(
            told.starts_with(&text_of(lang, "photo-already-in-report"))
                && told.ends_with(&text_of(lang, "ask-description")),
            "{told}"
        );
        // As advised: the picture with the description as its caption.
        let next = h
            .send_update(&member, |api| {
                api.photo_again(&member, "PIC-1", "PIC-1-AGAIN", None, Some("Trồng cây"))
            })
            .await;
        let prompt = next.last().unwrap().clone();
        assert!(
            says(prompt.text.as_deref(), lang, "photos-received")
                && prompt.text.as_deref().unwrap().contains('1'),
            "{prompt:?}"
        );
        // At the photos step, once more: said to be in the report.
        let once_more = h
            .send_update(&member, |api| {
                api.photo_again(&member, "PIC-1", "PIC-1-THIRD", None, None)
            })
            .await;
        let told = once_more.last().unwrap().clone();
        assert!(
            told.text
                .as_deref()
                .unwrap()
                .contains(&text_of(lang, "photo-already-in-report")),
            "{told:?}"
        );
        // A new picture is kept.
        h.send_update(&member, |api| api.photo(&member, "PIC-2", None, None))
            .await;
        let done = h.last(&member);
        h.press(&member, &done, &done.button_texts()[0]).await;
        let summary = h.last(&member);
        assert!(summary.text.clone().unwrap().contains(": 2"), "{summary:?}");
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        h.drain().await;
        let photos: Vec<String> =
            sqlx::query_scalar("SELECT file_id FROM report_photos ORDER BY position")
                .fetch_all(&h.pool)
                .await
                .unwrap();
        assert_eq!(photos, vec!["PIC-1", "PIC-2"]);
        let album = h.api.calls_of("sendMediaGroup");
        assert_eq!(album.len(), 1);
        assert_eq!(album[0].params["media"].as_array().unwrap().len(), 2);
    }
}

/// An album without a caption at the description step is answered once:
/// that answer said "1 photo received" for an album of three (it was sent
/// at the first). It counts the album's photos as they arrive, as the
/// photos step's acknowledgement does.
#[tokio::test]
async fn an_album_at_the_description_step_is_counted_whole() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let kinds = h.ask(&member, "/report").await;
        h.press(&member, &kinds, other_kind(lang)).await;
        let date = h.last(&member);
        h.press(&member, &date, &text_of(lang, "button-today"))
            .await;
        let replies = h
            .send_update(&member, |api| {
                (0..3).fold(0, |_, i| {
                    api.photo(&member, &format!("ALBUM-{i}"), Some("album-d"), None)
                })
            })
            .await;
        assert_eq!(replies.len(), 1, "{replies:?}");
        assert!(
            h.api
                .wait_confirmed(std::time::Duration::from_secs(10))
                .await
        );
        let shown = h.current(&replies[0]).text.unwrap();
        let three = lienhe::t!(lang, "photo-kept-ask-description", count = 3);
        assert!(shown.contains(&three), "{shown}");
        assert!(
            shown.ends_with(&lienhe::i18n::loader(lang).get("ask-description")),
            "{shown}"
        );
        // The step goes on, the three kept.
        let photos = h.ask(&member, "Dọn vệ sinh khu phố").await;
        assert!(photos.text.unwrap().contains('3'));
    }
}

/// A picture sent "as a file" at the description step with the
/// description as its caption (the desktop app's default for a picture
/// dragged in): it was answered "Please send text.", the text the member
/// typed in the caption lost. The caption is the description, as a
/// photo's is; the member is told the file is not kept, and the photos
/// step follows.
#[tokio::test]
async fn a_file_with_its_caption_at_the_description_step_gives_the_description() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let kinds = h.ask(&member, "/report").await;
        h.press(&member, &kinds, other_kind(lang)).await;
        let date = h.last(&member);
        h.press(&member, &date, &text_of(lang, "button-today"))
            .await;
        let replies = h
            .send_update(&member, |api| {
                api.message_with(
                    &member,
                    serde_json::json!({
                        "document": {
                            "file_id": "BQACAgIAAxFileImg1",
                            "file_unique_id": "AgADFileImg1",
                            "file_name": "IMG_0001.JPG",
                            "mime_type": "image/jpeg",
                            "file_size": 2_400_000,
                        },
                        "caption": "Dọn vệ sinh khu phố",
                    }),
                )
            })
            .await;
        assert_eq!(replies.len(), 1, "{replies:?}");
        let told = replies[0].text.clone().unwrap();
        assert!(
            told.starts_with(&text_of(lang, "file-not-kept-caption-taken"))
                && told.ends_with(&text_of(lang, "ask-photos")),
            "{told}"
        );
        let skip = replies[0].button_texts()[0].clone();
        h.press(&member, &replies[0], &skip).await;
        let summary = h.last(&member);
        let text = summary.text.clone().unwrap();
        assert!(
            text.contains("Dọn vệ sinh khu phố") && text.contains(": 0"),
            "{text}"
        );
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE description = 'Dọn vệ sinh khu phố'")
                .await,
            1
        );
    }
}

/// Photos sent after Submit (one forgotten, or an album sent late) join no
/// report: the member was only told to use /report, as for any text, and
/// could take the photos for added. They are told the photos joined no
/// report, once for an album, and nothing is stored.
#[tokio::test]
async fn photos_sent_after_submit_are_said_to_join_no_report() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let today = text_of(lang, "button-today");
        let summary = h
            .report_until_summary(&member, other_kind(lang), &today, "Trồng cây", &["P1"])
            .await;
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        let late = h
            .send_update(&member, |api| api.photo(&member, "LATE-1", None, None))
            .await;
        assert_eq!(late.len(), 1, "{late:?}");
        assert_eq!(
            late[0].text.as_deref(),
            Some(text_of(lang, "photo-outside-report").as_str())
        );
        let album = h
            .send_update(&member, |api| {
                api.photo(&member, "LATE-2", Some("late"), None);
                api.photo(&member, "LATE-3", Some("late"), None)
            })
            .await;
        assert_eq!(album.len(), 1, "{album:?}");
        assert_eq!(h.count("SELECT COUNT(*) FROM report_photos").await, 1);
    }
}

/// Fifteen photos chosen at the description step arrive as two albums at
/// once, ten and five: the five were dropped, and the answer said "press
/// «Done»", a button the description step does not have. The album's
/// answer says how many photos were not kept and why, and still asks for
/// the description.
#[tokio::test]
async fn photos_over_ten_at_the_description_step_are_said_not_kept() {
    let lang = Lang::Vi;
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, other_kind(lang)).await;
    let date = h.last(&member);
    h.press(&member, &date, &text_of(lang, "button-today"))
        .await;
    let album = |group: &'static str, count: usize| {
        let member = member.clone();
        move |api: &FakeApi| {
            (0..count).fold(0, |_, i| {
                api.photo(&member, &format!("P-{group}-{i}"), Some(group), None)
            })
        }
    };
    let first = h.send_update(&member, album("a", 10)).await;
    let second = h.send_update(&member, album("b", 5)).await;
    assert_eq!((first.len(), second.len()), (1, 1), "{second:?}");
    assert!(
        h.api
            .wait_confirmed(std::time::Duration::from_secs(10))
            .await
    );
    let shown = h.current(&second[0]).text.unwrap();
    let five = lienhe::t!(lang, "photos-over-not-kept", count = 5, max = 10);
    assert!(shown.starts_with(&five), "{shown}");
    assert!(
        shown.ends_with(&lienhe::i18n::loader(lang).get("ask-description")),
        "{shown}"
    );
    let photos = h.ask(&member, "Dọn vệ sinh khu phố").await;
    assert!(photos.text.unwrap().contains("10"));
}

/// At the photos step, an album of a video and two photos, the first
/// with a caption: the video got an answer of its own ("send a photo")
/// beside the photos' one, and the caption was dropped without a word, the
/// member believing their text kept. One answer says both, and the
/// description stays as typed.
#[tokio::test]
async fn an_album_with_a_video_and_a_caption_at_the_photos_step_is_answered_once() {
    let lang = Lang::En;
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, other_kind(lang)).await;
    let date = h.last(&member);
    h.press(&member, &date, &text_of(lang, "button-today"))
        .await;
    h.ask(&member, "Street clean-up with neighbours").await;
    let replies = h
        .send_update(&member, |api| {
            let video = serde_json::json!({
                "video": {
                    "file_id": "VIDEO-1", "file_unique_id": "VU1",
                    "width": 640, "height": 480, "duration": 5, "mime_type": "video/mp4"
                },
                "media_group_id": "mixed",
            });
            api.message_with(&member, video);
            api.photo(&member, "MIXED-1", Some("mixed"), Some("The whole street"));
            api.photo(&member, "MIXED-2", Some("mixed"), None)
        })
        .await;
    assert_eq!(replies.len(), 1, "{replies:#?}");
    assert!(
        h.api
            .wait_confirmed(std::time::Duration::from_secs(10))
            .await
    );
    let shown = h.current(&replies[0]).text.unwrap();
    for said in [
        lienhe::t!(lang, "album-not-photos-not-kept", count = 1),
        text_of(lang, "photo-caption-not-kept"),
        lienhe::t!(lang, "photos-received", count = 2),
    ] {
        assert!(shown.contains(&said), "{said}\n---\n{shown}");
    }
    // A single photo with a caption is told so too.
    let reply = h
        .send_update(&member, |api| {
            api.photo(&member, "SINGLE", None, Some("More of the street"))
        })
        .await;
    let told = reply[0].text.clone().unwrap_or_default();
    assert!(
        told.contains(&text_of(lang, "photo-caption-not-kept")),
        "{told}"
    );
    let done = h.last(&member);
    let label = done.button_texts()[0].clone();
    h.press(&member, &done, &label).await;
    let summary = h.last(&member).text.unwrap_or_default();
    assert!(
        summary.contains("Street clean-up with neighbours") && summary.contains(": 3"),
        "{summary}"
    );
}

/// An album of videos sent at the description step, without a caption, was
/// answered only "Please send text.": nothing said the videos were not
/// kept (the photos step says so). Its one answer says they were not kept,
/// and asks for the description.
#[tokio::test]
async fn an_album_of_videos_at_the_description_step_is_said_not_kept() {
    let lang = Lang::En;
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, other_kind(lang)).await;
    let date = h.last(&member);
    h.press(&member, &date, &text_of(lang, "button-today"))
        .await;
    let replies = h
        .send_update(&member, |api| {
            let video = |n: u32| {
                serde_json::json!({
                    "video": {
                        "file_id": format!("VIDEO-{n}"), "file_unique_id": format!("VU{n}"),
                        "width": 640, "height": 480, "duration": 5, "mime_type": "video/mp4"
                    },
                    "media_group_id": "videos",
                })
            };
            api.message_with(&member, video(1));
            api.message_with(&member, video(2))
        })
        .await;
    assert!(
        h.api
            .wait_confirmed(std::time::Duration::from_secs(10))
            .await
    );
    assert_eq!(replies.len(), 1, "{replies:#?}");
    let told = replies[0].text.clone().unwrap_or_default();
    for id in ["file-not-kept-ask-description", "ask-description"] {
        assert!(says(Some(&told), lang, id), "{id}: {told}");
    }
}
