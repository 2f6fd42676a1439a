//! Dialogues interrupted, repeated or fed the unexpected: what the user
//! already gave is kept, and never dropped without saying so.

use lienhe::domain::Lang;

use crate::common::*;

/// A member's report with its description typed (at the photos step).
async fn report_half_written(h: &Harness, member: &TgUser, lang: Lang) -> Sent {
    let kinds = h.ask(member, "/report").await;
    let first = kinds.buttons()[0].0.clone();
    h.press(member, &kinds, &first).await;
    let date = h.last(member);
    h.press(member, &date, &text_of(lang, "button-today")).await;
    let photos = h.ask(member, "Dọn vệ sinh khu phố").await;
    assert!(
        says(photos.text.as_deref(), lang, "ask-photos"),
        "{photos:?}"
    );
    photos
}

/// `/report` typed again (or `/report` tapped in the menu) while a report
/// is half written began a new one: the kind, date and description typed
/// were dropped without a word. Now the draft is kept and the member told
/// how to go on or to start anew knowingly (`/cancel`, then `/report`).
#[tokio::test]
async fn report_again_in_the_middle_of_a_report_keeps_the_draft() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let photos = report_half_written(&h, &member, lang).await;

        let replies = h.say(&member, "/report").await;
        assert_eq!(replies.len(), 1, "{replies:?}");
        let text = replies[0].text.as_deref();
        assert!(says(text, lang, "dialogue-under-way"), "{text:?}");
        assert!(
            text.unwrap().contains(&text_of(lang, "under-way-report")),
            "{text:?}"
        );
        // The photos step goes on: Skip shows the summary with the text.
        h.press(&member, &photos, &photos.buttons()[0].0).await;
        let summary = h.last(&member);
        assert!(
            summary
                .text
                .as_deref()
                .is_some_and(|t| t.contains("Dọn vệ sinh khu phố")),
            "{summary:?}"
        );
        // Knowingly anew: /cancel, then /report asks the kind.
        h.ask(&member, "/cancel").await;
        let kinds = h.ask(&member, "/report").await;
        assert!(says(kinds.text.as_deref(), lang, "ask-kind"), "{kinds:?}");
        // Nothing given yet: /report again just asks again.
        let kinds = h.ask(&member, "/report").await;
        assert!(says(kinds.text.as_deref(), lang, "ask-kind"), "{kinds:?}");
    }
}

/// A secretary calling a meeting (kind and start given) who typed
/// `/announce` or `/meeting` lost the meeting's answers; one asked a
/// rejection's reason in the middle of it, likewise. Now the meeting is
/// kept, and the question's answer comes back to it.
#[tokio::test]
async fn dialogue_commands_in_the_middle_of_a_meeting_keep_it() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let photos = report_half_written(&h, &member, lang).await;
        h.press(&member, &photos, &photos.buttons()[0].0).await;
        let summary = h.last(&member);
        h.press(&member, &summary, &summary.buttons()[0].0).await;
        let card = h.last(&secretary);

        let kinds = h.ask(&secretary, "/meeting").await;
        h.press_data(&secretary, kinds.message_id, "gk:c").await;
        let place = h.ask(&secretary, "25/11/2026 19:30").await;
        assert!(says(place.text.as_deref(), lang, "meeting-ask-place"));
        for command in ["/announce", "/meeting"] {
            let replies = h.say(&secretary, command).await;
            assert_eq!(replies.len(), 1, "{command}: {replies:?}");
            let text = replies[0].text.as_deref();
            assert!(says(text, lang, "dialogue-under-way"), "{text:?}");
            assert!(
                text.unwrap().contains(&text_of(lang, "under-way-meeting")),
                "{text:?}"
            );
        }
        // A rejection's reason asked in the middle: /meeting then says the
        // question waits, with the meeting behind it.
        h.press(&secretary, &card, &text_of(lang, "button-reject"))
            .await;
        let replies = h.say(&secretary, "/meeting").await;
        let text = replies[0].text.as_deref();
        assert!(says(text, lang, "dialogue-question-under-way"), "{text:?}");
        h.ask(&secretary, "Chưa rõ nội dung").await;
        // The meeting goes on at its place.
        let agenda = h.ask(&secretary, "Nhà văn hóa khối 5").await;
        assert!(
            says(agenda.text.as_deref(), lang, "meeting-ask-agenda"),
            "{agenda:?}"
        );
        let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
        assert!(data_of(&summary, "gs").starts_with("gs"), "{summary:?}");
    }
}

/// The press was answered as a button of a step that is over.
fn assert_stale(answer: &Call, lang: Lang) {
    assert_eq!(
        answer.str_param("text"),
        Some(text_of(lang, "stale-button").as_str())
    );
}

/// A report's or an announcement's Cancel left under an older summary (that
/// draft cancelled, another begun and brought to its own summary) cancelled
/// the draft the chat held now, unseen: its Submit or Send then said the
/// button was no longer active. It is refused as stale; the draft stays.
#[tokio::test]
async fn cancel_under_an_older_summary_cancels_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let (kind, today) = (other_kind(lang), text_of(lang, "button-today"));
        let cancel = text_of(lang, "button-cancel");

        let mut summaries = Vec::new();
        for text in ["Trồng cây ở công viên", "Quét dọn nhà văn hóa"] {
            h.ask(&member, "/cancel").await;
            summaries.push(
                h.report_until_summary(&member, kind, &today, text, &[])
                    .await,
            );
        }
        let (answer, _) = h.press(&member, &summaries[0], &cancel).await;
        assert_stale(&answer, lang);
        h.press(&member, &summaries[1], &text_of(lang, "button-submit"))
            .await;
        let stored: Vec<String> = sqlx::query_scalar("SELECT description FROM reports")
            .fetch_all(&h.pool)
            .await
            .unwrap();
        assert_eq!(stored, ["Quét dọn nhà văn hóa"]);

        let mut previews = Vec::new();
        for text in ["Họp tổ dân phố tối thứ Bảy", "Tổng vệ sinh sáng Chủ nhật"]
        {
            h.ask(&secretary, "/cancel").await;
            h.ask(&secretary, "/announce").await;
            previews.push(h.ask(&secretary, text).await);
        }
        let (answer, _) = h.press(&secretary, &previews[0], &cancel).await;
        assert_stale(&answer, lang);
        h.press(&secretary, &previews[1], &text_of(lang, "button-send"))
            .await;
        h.drain().await;
        let told = h.last(&member).text.unwrap();
        assert!(told.contains("Tổng vệ sinh sáng Chủ nhật"), "{told}");
    }
}

/// A meeting's Cancel left on the question of an older draft (that one
/// given up with /cancel, another written to its summary) discarded the
/// meeting written since, unseen; a membership's end Cancel under an older
/// summary (another member's end asked since) cancelled that other end.
/// Both are refused as stale now; the draft in hand stays.
#[tokio::test]
async fn a_meeting_s_or_an_end_s_cancel_under_an_older_question_discards_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let first = user_in(lang, 300, "An");
        let second = user_in(lang, 301, "Cường");
        h.cell_with_member(&secretary, &first).await;
        h.join_approved(&secretary, &second, "Lê Văn Cường").await;

        let old = h.ask(&secretary, "/meeting").await;
        h.ask(&secretary, "/cancel").await;
        let kinds = h.ask(&secretary, "/meeting").await;
        h.press_data(&secretary, kinds.message_id, "gk:c").await;
        h.ask(&secretary, "25/11/2026 19:30").await;
        h.ask(&secretary, "Nhà văn hóa khối 5").await;
        let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
        let discard = data_of(&old, "gx");
        let (answer, _) = h.press_data(&secretary, old.message_id, &discard).await;
        assert_stale(&answer, lang);
        h.press_data(&secretary, summary.message_id, &data_of(&summary, "gs"))
            .await;
        assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 1);

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
        let cancel = text_of(lang, "button-cancel");
        let (answer, _) = h.press(&secretary, &confirms[0], &cancel).await;
        assert_stale(&answer, lang);
        h.press(&secretary, &confirms[1], &text_of(lang, "button-confirm"))
            .await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved' AND user_id = 300")
                .await,
            0,
            "the end confirmed since is done"
        );
    }
}

/// An officer who gave up a /request with /cancel and wrote another to its
/// summary, then pressed Cancel on the first request's question (its
/// buttons were still there), lost the request written since, unseen. That
/// Cancel is refused as stale now; the request in hand is sent.
#[tokio::test]
async fn a_request_s_cancel_left_on_an_older_request_discards_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 6, 1, 9, 0);
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let officer = user_in(lang, 700, "Cán bộ");
        h.cell_with_member(&secretary, &member).await;
        let workplace: i64 =
            sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
                .fetch_one(&h.pool)
                .await
                .unwrap();
        let code = h.officer_code(workplace).await;
        h.ask(&officer, &format!("/start {code}")).await;

        let old = h.ask(&officer, "/request an").await;
        h.ask(&officer, "/cancel").await;
        let reasons = h.ask(&officer, "/request an").await;
        let label = reasons.button_texts()[0].clone();
        h.press(&officer, &reasons, &label).await;
        let period = h.ask(&officer, "15/06/2026").await;
        let label = period.button_texts()[0].clone();
        let summary = h
            .press(&officer, &period, &label)
            .await
            .1
            .last()
            .unwrap()
            .clone();

        let cancel = text_of(lang, "request-button-cancel");
        let (answer, _) = h.press(&officer, &old, &cancel).await;
        assert_stale(&answer, lang);
        h.press(&officer, &summary, &text_of(lang, "request-button-send"))
            .await;
        assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 1);
    }
}

/// The cell's link tapped again in the middle of joining (name and phone
/// given) began the join anew: the answers were gone, the name asked again
/// as if nothing had been said. Now the join is kept and the member told to
/// finish it (or /cancel); the next answer goes on where it was.
#[tokio::test]
async fn the_cells_link_opened_again_while_joining_keeps_the_answers() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let cell = h.cell_setup().await;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let code = h.invite_code(&secretary).await;
        h.ask(&member, &format!("/start {code}")).await;
        h.ask(&member, "Nguyễn Văn An").await;
        let workplaces = h.ask(&member, &text_of(lang, "button-skip")).await;
        assert!(!workplaces.buttons().is_empty(), "{workplaces:?}");

        let reply = h.ask(&member, &format!("/start {code}")).await;
        assert_eq!(
            reply.text.as_deref(),
            Some(text_of(lang, "join-finish-first").as_str())
        );
        let state: String = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert!(
            state.contains("Nguyễn Văn An") && state.contains("Workplace"),
            "{state}"
        );
    }
}

/// A join's Cancel left under the summary of a join to another cell (its
/// link opened since, that join written to its own summary) cancelled the
/// join in hand, unseen. It is refused as stale now; the join in hand is
/// sent.
#[tokio::test]
async fn a_join_s_cancel_under_an_older_summary_cancels_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let member = user_in(lang, 300, "An");
        let first = h.cell_setup().await;
        let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
            .bind(first)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let second = h.cell(ward, "Chi bộ khối 6").await;
        let mut summaries = Vec::new();
        for (cell, id, name) in [(first, 100, "Trần Thị Bình"), (second, 101, "Lê Thị Hoa")]
        {
            let secretary = user_in(lang, id, "Thư ký");
            h.make_secretary(&secretary, cell, name).await;
            let code = h.invite_code(&secretary).await;
            h.ask(&member, &format!("/start {code}")).await;
            h.ask(&member, "Nguyễn Văn An").await;
            let workplaces = h.ask(&member, &text_of(lang, "button-skip")).await;
            let label = workplaces.buttons()[0].0.clone();
            h.press(&member, &workplaces, &label).await;
            let introduced = h.last(&member);
            let label = introduced.buttons()[0].0.clone();
            h.press(&member, &introduced, &label).await;
            summaries.push(h.last(&member));
        }
        let (answer, _) = h
            .press(&member, &summaries[0], &text_of(lang, "button-cancel"))
            .await;
        assert_stale(&answer, lang);
        h.press(&member, &summaries[1], &text_of(lang, "button-confirm"))
            .await;
        let cells: Vec<i64> =
            sqlx::query_scalar("SELECT cell_id FROM memberships WHERE user_id = 300")
                .fetch_all(&h.pool)
                .await
                .unwrap();
        assert_eq!(cells, [second]);
    }
}

/// A member who opened one cell's link (asked whether they are moving
/// there), then another's, and pressed Cancel on the first question (its
/// buttons were still there) cancelled the second question unseen: its
/// Yes then said the button was no longer active. That Cancel is refused
/// as stale now; the move in hand goes on.
#[tokio::test]
async fn a_move_s_cancel_under_an_older_question_cancels_nothing() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let mut questions = Vec::new();
        for (id, name, cell) in [
            (101, "Lê Thị Hoa", "Chi bộ khối 6"),
            (102, "Phạm Văn Cường", "Chi bộ khối 7"),
        ] {
            let cell = h.cell(ward, cell).await;
            let other = user_in(lang, id, "Thư ký");
            h.make_secretary(&other, cell, name).await;
            let code = h.invite_code(&other).await;
            questions.push(h.ask(&member, &format!("/start {code}")).await);
        }
        let (answer, _) = h
            .press(&member, &questions[0], &text_of(lang, "button-cancel"))
            .await;
        assert_stale(&answer, lang);
        let (_, replies) = h
            .press(
                &member,
                &questions[1],
                &text_of(lang, "move-button-confirm"),
            )
            .await;
        let summary = replies.last().unwrap().clone();
        assert!(
            summary
                .text
                .as_deref()
                .is_some_and(|t| t.contains("Chi bộ khối 7")),
            "{summary:?}"
        );
        h.press(&member, &summary, &text_of(lang, "button-confirm"))
            .await;
        let cells: Vec<String> = sqlx::query_scalar(
            "SELECT c.name FROM memberships m JOIN cells c ON c.id = m.cell_id
             WHERE m.user_id = 300 AND m.status = 'pending'",
        )
        .fetch_all(&h.pool)
        .await
        .unwrap();
        assert_eq!(cells, ["Chi bộ khối 7"]);
    }
}
