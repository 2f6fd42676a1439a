//! Rejected reports come back: Edit and resubmit from the rejection
//! notice, the chain in /myreports, the card's text; duplicate photos.

use crate::common::*;
use lienhe::domain::Lang;

/// A second approved member of the secretary's cell.
async fn second_member(h: &Harness, secretary: &TgUser, member: &TgUser, name: &str) {
    let code = h.invite_code(secretary).await;
    h.request_join(member, &code, name).await;
    let card = h.last(secretary);
    let approve = if secretary.language_code.as_deref() == Some("en") {
        "✅ Approve"
    } else {
        "✅ Duyệt"
    };
    h.press(secretary, &card, approve).await;
}

/// The member's report is rejected with `reason`; returns the member's
/// rejection notice.
async fn rejected(h: &Harness, secretary: &TgUser, member: &TgUser, reason: &str) -> Sent {
    let card = h.last(secretary);
    let reject = if secretary.language_code.as_deref() == Some("en") {
        "❌ Reject"
    } else {
        "❌ Từ chối"
    };
    h.press(secretary, &card, reject).await;
    h.ask(secretary, reason).await;
    h.last(member)
}

#[tokio::test]
async fn a_rejected_report_is_edited_and_resubmitted_once_with_its_chain() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            "Trồng cây",
            &["PHOTO_A"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;

    let notice = rejected(&h, &secretary, &member, "Chưa ghi rõ số lượng cây").await;
    let text = notice.text.clone().unwrap();
    assert!(
        text.contains("Báo cáo số 1") && text.contains("Chưa ghi rõ số lượng cây"),
        "{text}"
    );
    assert_eq!(notice.button_texts(), vec!["✏️ Sửa và gửi lại"]);

    // The dialogue opens at the summary, pre-filled, each field changeable.
    let (_, opened) = h.press(&member, &notice, "✏️ Sửa và gửi lại").await;
    let summary = opened.last().unwrap().clone();
    let text = summary.text.clone().unwrap();
    assert!(
        text.contains("Sửa báo cáo số 1")
            && text.contains("Trồng cây")
            && text.contains("20/11/2026")
            && text.contains("Ảnh minh chứng: 1"),
        "{text}"
    );
    assert_eq!(
        summary.button_texts(),
        vec![
            "Đổi loại hoạt động",
            "Đổi ngày",
            "Đổi nội dung",
            "Đổi ảnh",
            "Gửi báo cáo",
            "Hủy"
        ]
    );
    h.press(&member, &summary, "Đổi nội dung").await;
    let summary = h
        .ask(&member, "Trồng 20 cây xanh dọc đường tổ dân phố số 5")
        .await;
    let text = summary.text.clone().unwrap();
    assert!(
        text.contains("Trồng 20 cây xanh") && text.contains("Ảnh minh chứng: 1"),
        "back at the summary: {text}"
    );
    h.press(&member, &summary, "Gửi báo cáo").await;
    assert!(
        h.current(&summary)
            .text
            .unwrap()
            .contains("Đã gửi báo cáo số 2")
    );
    // A second press of Submit stores nothing more.
    h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
        .await;
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 2);
    let row: (i64, String, i64) =
        sqlx::query_as("SELECT previous_id, status, (SELECT COUNT(*) FROM report_photos WHERE report_id = 2) FROM reports WHERE id = 2")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(row, (1, "pending".into(), 1));

    // The secretary sees why it came back and what it said before; the
    // photo of the earlier version is no duplicate.
    let card = h.last(&secretary);
    let text = card.text.clone().unwrap();
    assert!(
        text.contains("Báo cáo hoạt động số 2")
            && text.contains("Gửi lại sau khi bị từ chối: Chưa ghi rõ số lượng cây")
            && text.contains("Nội dung trước: Trồng cây")
            && !text.contains("Ảnh này đã được gửi"),
        "{text}"
    );

    let mine = h.ask(&member, "/myreports").await.text.unwrap();
    assert!(
        mine.contains("↳ bản gửi lại của báo cáo số 1 ngày 20/11/2026")
            && mine.contains("→ đã sửa và gửi lại: báo cáo số 2"),
        "{mine}"
    );

    // The same rejected report cannot come back twice.
    let (again, _) = h.press(&member, &notice, "✏️ Sửa và gửi lại").await;
    assert!(
        again.params["text"]
            .as_str()
            .unwrap()
            .contains("đã được sửa và gửi lại (báo cáo số 2)"),
        "{:?}",
        again.params
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 2);

    // The resubmission approved counts; the rejected version never does.
    h.press(&secretary, &card, "✅ Duyệt").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'resubmit' AND subject_id = 2")
            .await,
        1
    );
}

#[tokio::test]
async fn in_english_a_resubmission_changes_the_date_and_others_cannot_press_it() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    let other = en_user(301, "Mai");
    h.cell_with_member(&secretary, &member).await;
    second_member(&h, &secretary, &other, "Lê Thị Mai").await;
    let summary = h
        .report_until_summary(&member, "Other activity", "Today", "Cleaned the lane", &[])
        .await;
    h.press(&member, &summary, "Submit").await;
    let notice = rejected(&h, &secretary, &member, "Wrong date").await;
    assert_eq!(notice.button_texts(), vec!["✏️ Edit and resubmit"]);

    // Another member pressing it (forged or forwarded) is refused.
    let data = notice.button_data("✏️ Edit and resubmit").unwrap();
    let (refused, _) = h.press_data(&other, notice.message_id, &data).await;
    assert_eq!(
        refused.params["text"].as_str(),
        Some("You are not allowed to do this.")
    );
    // So is the secretary.
    let (refused, _) = h.press_data(&secretary, notice.message_id, &data).await;
    assert_eq!(
        refused.params["text"].as_str(),
        Some("You are not allowed to do this.")
    );

    let (_, opened) = h.press(&member, &notice, "✏️ Edit and resubmit").await;
    let summary = opened.last().unwrap().clone();
    assert!(
        summary
            .text
            .clone()
            .unwrap()
            .contains("Editing report no. 1 (reason it was not approved: Wrong date)")
    );
    h.press(&member, &summary, "Change date").await;
    let summary = h.ask(&member, "18/11/2026").await;
    assert!(summary.text.clone().unwrap().contains("18/11/2026"));
    assert_eq!(summary.button_texts()[0], "Change kind");
    h.press(&member, &summary, "Submit").await;
    let card = h.last(&secretary).text.unwrap();
    assert!(
        card.contains("Activity report no. 2")
            && card.contains("Resubmitted after rejection: Wrong date")
            && card.contains("Previous text: Cleaned the lane"),
        "{card}"
    );
    let mine = h.ask(&member, "/myreports").await.text.unwrap();
    assert!(
        mine.contains("↳ resubmission of report no. 1 of 20/11/2026")
            && mine.contains("→ edited and resubmitted as report no. 2"),
        "{mine}"
    );
}

#[tokio::test]
async fn a_photo_sent_before_in_the_cell_is_flagged_on_the_card() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let other = vi_user(301, "Mai");
    h.cell_with_member(&secretary, &member).await;
    second_member(&h, &secretary, &other, "Lê Thị Mai").await;

    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm qua",
            "Dọn vệ sinh",
            &["SAME_PHOTO"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let first = h.last(&secretary).text.unwrap();
    assert!(!first.contains("Ảnh này đã được gửi"), "{first}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM report_photos WHERE file_unique_id IS NOT NULL")
            .await,
        1
    );

    // Another member sends the same photo: flagged, not blocked.
    let summary = h
        .report_until_summary(
            &other,
            "Hoạt động khác",
            "Hôm nay",
            "Dọn vệ sinh ngõ",
            &["SAME_PHOTO"],
        )
        .await;
    h.press(&other, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    let text = card.text.clone().unwrap();
    assert!(
        text.contains("Báo cáo hoạt động số 2")
            && text
                .contains("⚠️ Ảnh này đã được gửi kèm báo cáo của Nguyễn Văn An ngày 19/11/2026"),
        "{text}"
    );

    // Decided, the card keeps the flag.
    h.press(&secretary, &card, "✅ Duyệt").await;
    let settled = h.current(&card).text.unwrap();
    assert!(
        settled.contains("Đồng chí Trần Thị Bình đã duyệt")
            && settled.contains("Ảnh này đã được gửi kèm báo cáo của Nguyễn Văn An"),
        "{settled}"
    );
    // /pending shows the flag too (report 1 still waits; a third one below).
    let summary = h
        .report_until_summary(
            &other,
            "Hoạt động khác",
            "Hôm nay",
            "Dọn vệ sinh lần hai",
            &["SAME_PHOTO"],
        )
        .await;
    h.press(&other, &summary, "Gửi báo cáo").await;
    let pending = h.say(&secretary, "/pending").await;
    assert!(
        pending.iter().any(|s| s
            .text
            .as_deref()
            .is_some_and(|t| t.contains("Báo cáo hoạt động số 3")
                && t.contains("Ảnh này đã được gửi kèm báo cáo của Lê Thị Mai"))),
        "{pending:?}"
    );
    // The member's own earlier photo counts as well.
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            "Lại dọn vệ sinh",
            &["SAME_PHOTO"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let text = h.last(&secretary).text.unwrap();
    assert!(
        text.contains("Báo cáo hoạt động số 4")
            && text.contains("báo cáo của Nguyễn Văn An ngày 19/11/2026")
            && text.contains("báo cáo của Lê Thị Mai ngày 20/11/2026"),
        "{text}"
    );
}

#[tokio::test]
async fn in_english_a_duplicate_photo_is_flagged_and_not_blocked() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    let other = en_user(301, "Mai");
    h.cell_with_member(&secretary, &member).await;
    second_member(&h, &secretary, &other, "Lê Thị Mai").await;
    let summary = h
        .report_until_summary(
            &member,
            "Other activity",
            "Today",
            "Street cleaning",
            &["PIC"],
        )
        .await;
    h.press(&member, &summary, "Submit").await;
    let summary = h
        .report_until_summary(
            &other,
            "Other activity",
            "Today",
            "Street cleaning too",
            &["PIC"],
        )
        .await;
    h.press(&other, &summary, "Submit").await;
    let card = h.last(&secretary);
    let text = card.text.clone().unwrap();
    assert!(
        text.contains(
            "⚠️ This photo was already sent with the report of Nguyễn Văn An on 20/11/2026"
        ),
        "{text}"
    );
    assert_eq!(card.button_texts()[..2], ["✅ Approve", "❌ Reject"]);
    // Left a week: the card the deputy is offered carries the flag too.
    let deputy = en_user(200, "Dung");
    crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    h.set_local(2026, 11, 28, 10, 0);
    assert_eq!(h.tick().await.escalated.offered, 2);
    h.drain().await;
    let offered = crate::committee::card_with(&h, &deputy, "ra:2");
    assert!(
        offered
            .text
            .as_deref()
            .is_some_and(|t| t.contains("⚠️ This photo was already sent")),
        "{offered:?}"
    );
    h.press(&secretary, &card, "✅ Approve").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );
}

/// A member who had blocked the bot when their report was rejected never
/// got the notice with Edit and resubmit. After unblocking, `/myreports`
/// shows the reason with a button that resubmits it (in their language);
/// once resubmitted, the button goes.
#[tokio::test]
async fn a_rejection_missed_while_the_bot_was_blocked_can_be_resubmitted_from_myreports() {
    for (secretary, member, kind, today, submit) in [
        (
            vi_user(100, "Bình"),
            vi_user(300, "An"),
            "Hoạt động khác",
            "Hôm nay",
            "Gửi báo cáo",
        ),
        (
            en_user(100, "Binh"),
            en_user(300, "An"),
            "Other activity",
            "Today",
            "Submit",
        ),
    ] {
        let h = Harness::start().await;
        let lang = lang_of(&member);
        h.cell_with_member(&secretary, &member).await;
        let summary = h
            .report_until_summary(&member, kind, today, "Trồng cây", &[])
            .await;
        h.press(&member, &summary, submit).await;
        h.send_update(&member, |api| api.block(&member, true)).await;
        rejected(&h, &secretary, &member, "Chưa ghi rõ số lượng cây").await;
        h.quiet().await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 300 AND status = 'unreachable'")
                .await,
            1,
            "the rejection's notice did not reach the member"
        );
        h.send_update(&member, |api| api.block(&member, false))
            .await;
        let mine = h.ask(&member, "/myreports").await;
        assert!(
            mine.text
                .as_deref()
                .unwrap()
                .contains("Chưa ghi rõ số lượng cây"),
            "{mine:?}"
        );
        let label = label_of(&mine, "ur:1").expect("a button to resubmit");
        assert!(label.starts_with("✏️") && label.ends_with(" 1"), "{label}");
        let (_, opened) = h.press(&member, &mine, &label).await;
        let summary = opened.last().unwrap().clone();
        assert!(
            says(summary.text.as_deref(), lang, "resubmit-intro"),
            "{:?}",
            summary.text
        );
        h.press(&member, &summary, submit).await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE previous_id = 1 AND status = 'pending'")
                .await,
            1
        );
        let mine = h.ask(&member, "/myreports").await;
        assert!(label_of(&mine, "ur:1").is_none(), "{:?}", mine.buttons());
    }
}

/// "Change text" in a resubmission answered with a photo whose caption is
/// the new text (as a photo at the description step is taken): the photo
/// was acknowledged with "Done" while the dialogue had moved to the
/// summary, which was not shown; Done then said the button was no longer
/// active, and an album's further photos were refused at the summary. The
/// photos step follows, as in a first report, and its Done shows the
/// summary with the new text and every photo.
#[tokio::test]
async fn a_resubmission_s_new_text_as_a_photo_caption_goes_on_to_the_photos() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let today = text_of(lang, "button-today");
        let summary = h
            .report_until_summary(&member, other_kind(lang), &today, "Trồng cây", &["PHOTO_A"])
            .await;
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        let notice = rejected(&h, &secretary, &member, "Thiếu ảnh").await;
        let (_, opened) = h
            .press(&member, &notice, &text_of(lang, "resubmit-button"))
            .await;
        let summary = opened.last().unwrap().clone();
        h.press(&member, &summary, &text_of(lang, "resubmit-button-text"))
            .await;
        let replies = h
            .send_update(&member, |api| {
                api.photo(
                    &member,
                    "PHOTO_B",
                    Some("album-r"),
                    Some("Trồng 20 cây xanh"),
                );
                api.photo(&member, "PHOTO_C", Some("album-r"), None)
            })
            .await;
        assert_eq!(replies.len(), 1, "{replies:?}");
        assert!(
            h.api
                .wait_confirmed(std::time::Duration::from_secs(10))
                .await
        );
        let ack = h.current(&replies[0]);
        assert!(
            ack.text.as_deref().unwrap().contains('3'),
            "the album's photos counted with the earlier one: {ack:?}"
        );
        let (done, shown) = h.press(&member, &ack, &text_of(lang, "button-done")).await;
        assert_ne!(done.params["show_alert"], true, "{:?}", done.params);
        let summary = shown.last().expect("the summary").clone();
        let text = summary.text.clone().unwrap();
        assert!(
            text.contains("Trồng 20 cây xanh") && text.contains(": 3"),
            "{text}"
        );
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        let row: (i64, String, i64) = sqlx::query_as(
            "SELECT previous_id, description,
                    (SELECT COUNT(*) FROM report_photos WHERE report_id = 2)
             FROM reports WHERE id = 2",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(row, (1, "Trồng 20 cây xanh".into(), 3));
    }
}

/// Change photos in a resubmission, then Skip: the report keeps the photos
/// it had (the summary says so), as "Skip" reads. Remove photos sends it
/// without any; new photos replace the old ones.
#[tokio::test]
async fn change_photos_then_skip_keeps_the_report_s_photos() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let today = text_of(lang, "button-today");
        let summary = h
            .report_until_summary(
                &member,
                other_kind(lang),
                &today,
                "Trồng cây",
                &["PHOTO_A", "PHOTO_B"],
            )
            .await;
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        let notice = rejected(&h, &secretary, &member, "Thiếu số lượng").await;
        let (_, opened) = h
            .press(&member, &notice, &text_of(lang, "resubmit-button"))
            .await;
        let summary = opened.last().unwrap().clone();
        let change = text_of(lang, "resubmit-button-photos");
        let skip = text_of(lang, "button-skip");
        let remove = text_of(lang, "button-remove-photos");

        // Change photos, then Skip: both photos kept.
        let (_, shown) = h.press(&member, &summary, &change).await;
        let ask = shown.last().expect("the photos question").clone();
        assert!(
            says(ask.text.as_deref(), lang, "ask-photos-change"),
            "{ask:?}"
        );
        assert_eq!(ask.button_texts(), vec![skip.clone(), remove.clone()]);
        let (_, shown) = h.press(&member, &ask, &skip).await;
        let settled = h.current(&ask).text.unwrap();
        assert!(says(Some(&settled), lang, "photos-kept"), "{settled}");
        let summary = shown.last().expect("the summary").clone();
        let text = summary.text.clone().unwrap();
        assert!(text.ends_with(": 2"), "{text}");

        // Remove photos: none.
        let (_, shown) = h.press(&member, &summary, &change).await;
        let ask = shown.last().unwrap().clone();
        let (_, shown) = h.press(&member, &ask, &remove).await;
        let summary = shown.last().expect("the summary").clone();
        let text = summary.text.clone().unwrap();
        assert!(text.ends_with(": 0"), "{text}");

        // No photos left to keep: a plain Skip; then a new photo.
        let (_, shown) = h.press(&member, &summary, &change).await;
        let ask = shown.last().unwrap().clone();
        assert_eq!(ask.button_texts(), vec![skip.clone()]);
        assert!(says(ask.text.as_deref(), lang, "ask-photos"), "{ask:?}");
        h.api.photo(&member, "PHOTO_C", None, None);
        h.quiet().await;
        let received = h.last(&member);
        let (_, shown) = h
            .press(&member, &received, &text_of(lang, "button-done"))
            .await;
        let summary = shown.last().expect("the summary").clone();
        assert!(summary.text.clone().unwrap().ends_with(": 1"));
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        let photos: Vec<String> =
            sqlx::query_scalar("SELECT file_id FROM report_photos WHERE report_id = 2")
                .fetch_all(&h.pool)
                .await
                .unwrap();
        assert_eq!(photos, vec!["PHOTO_C".to_string()]);
    }
}

/// Change photos then Skip on a resubmission: its photos go with it.
#[tokio::test]
async fn change_photos_then_skip_sends_the_old_photos_again() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let today = text_of(lang, "button-today");
        let summary = h
            .report_until_summary(&member, other_kind(lang), &today, "Trồng cây", &["PHOTO_A"])
            .await;
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        let notice = rejected(&h, &secretary, &member, "Thiếu số lượng").await;
        let (_, opened) = h
            .press(&member, &notice, &text_of(lang, "resubmit-button"))
            .await;
        let summary = opened.last().unwrap().clone();
        let (_, shown) = h
            .press(&member, &summary, &text_of(lang, "resubmit-button-photos"))
            .await;
        let ask = shown.last().unwrap().clone();
        let (_, shown) = h.press(&member, &ask, &text_of(lang, "button-skip")).await;
        let summary = shown.last().expect("the summary").clone();
        h.press_data(&member, summary.message_id, &data_of(&summary, "rs"))
            .await;
        assert_eq!(
            h.count(
                "SELECT COUNT(*) FROM report_photos WHERE report_id = 2 AND file_id = 'PHOTO_A'"
            )
            .await,
            1
        );
    }
}
