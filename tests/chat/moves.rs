//! Members move and change: moving house to another cell, a secretary
//! ending a membership from the member's card, /profile.

use lienhe::domain::Lang;

use crate::common::*;

async fn membership_of(h: &Harness, user: i64, status: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = ? AND status = ?")
        .bind(user)
        .bind(status)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// Two cells of one ward with their secretaries; `member` is an approved
/// member of the first. Returns the second cell's member invite code and
/// the member's membership of the first.
async fn two_cells(h: &Harness, first: &TgUser, second: &TgUser, member: &TgUser) -> (String, i64) {
    h.cell_with_member(first, member).await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let cell = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(second, cell, "Phạm Văn Cường").await;
    let code = h.invite_code(second).await;
    (code, membership_of(h, member.id, "approved").await)
}

/// The member opens another cell's link and asks to move there (a
/// Vietnamese reader: "Đúng, tôi chuyển sang", then "Xác nhận").
async fn request_move(h: &Harness, member: &TgUser, code: &str) {
    let asked = h.ask(member, &format!("/start {code}")).await;
    let (_, replies) = h.press(member, &asked, "Đúng, tôi chuyển sang").await;
    h.press(member, replies.last().unwrap(), "Xác nhận").await;
}

/// Approves the member's latest report from the secretary's last card.
async fn report_approved(h: &Harness, secretary: &TgUser, member: &TgUser, date: &str, text: &str) {
    let (kind, submit, approve) = if member.language_code.as_deref() == Some("en") {
        ("Other activity", "Submit", "✅ Approve")
    } else {
        ("Hoạt động khác", "Gửi báo cáo", "✅ Duyệt")
    };
    let summary = h.report_until_summary(member, kind, date, text, &[]).await;
    h.press(member, &summary, submit).await;
    let card = h.last(secretary);
    h.press(secretary, &card, approve).await;
}

#[tokio::test]
async fn a_member_moves_house_and_brings_the_years_evidence_to_the_new_cell() {
    let h = Harness::start().await;
    let old_secretary = vi_user(100, "Bình");
    let new_secretary = vi_user(200, "Cường");
    let member = vi_user(300, "An");
    let (code, old) = two_cells(&h, &old_secretary, &new_secretary, &member).await;
    report_approved(
        &h,
        &old_secretary,
        &member,
        "Hôm qua",
        "Họp tổ dân phố khối 5",
    )
    .await;

    // Opening the other cell's link asks whether the member is moving.
    let asked = h.ask(&member, &format!("/start {code}")).await;
    assert_eq!(
        asked.text.clone().unwrap(),
        "Đồng chí đang sinh hoạt tại Chi bộ khối 5. Có phải đồng chí chuyển nơi cư trú và chuyển sinh hoạt sang Chi bộ khối 7?"
    );
    assert_eq!(asked.button_texts(), vec!["Đúng, tôi chuyển sang", "Hủy"]);
    let (_, replies) = h.press(&member, &asked, "Đúng, tôi chuyển sang").await;
    let summary = replies.last().unwrap().clone();
    let text = summary.text.clone().unwrap();
    assert!(
        text.contains("Nguyễn Văn An")
            && text.contains("Chi bộ khối 7")
            && text.contains("Sở Tư pháp tỉnh Nghệ An")
            && text.contains("/profile"),
        "pre-filled from the old membership: {text}"
    );
    h.press(&member, &summary, "Xác nhận").await;
    assert!(
        h.current(&summary)
            .text
            .unwrap()
            .contains("Đã gửi yêu cầu tham gia Chi bộ khối 7")
    );
    // Until the new cell decides, the member stays in the old one.
    assert_eq!(membership_of(&h, 300, "approved").await, old);
    let card = h.last(&new_secretary);
    let card_text = card.text.clone().unwrap();
    assert!(
        card_text.contains("Nguyễn Văn An")
            && card_text.contains("🔁 Chuyển từ chi bộ: Chi bộ khối 5"),
        "{card_text}"
    );
    // Opening the link again while the move waits says so.
    let again = h.ask(&member, &format!("/start {code}")).await;
    assert!(again.text.unwrap().contains("chờ"));
    // A phone given in /profile while the move waits goes with the move.
    let shown = h.ask(&member, "/profile").await;
    h.press(&member, &shown, "Đổi số điện thoại").await;
    h.ask(&member, "0912 345 678").await;
    // A report being written when the move is approved.
    let writing = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Họp tổ 7", &[])
        .await;

    h.press(&new_secretary, &card, "✅ Duyệt").await;
    let told = h.last(&old_secretary).text.unwrap();
    assert_eq!(
        told,
        "Đồng chí Nguyễn Văn An đã chuyển sinh hoạt từ Chi bộ khối 5 sang Chi bộ khối 7 (bí thư chi bộ mới đã xác nhận). Đồng chí Nguyễn Văn An không còn trong danh sách đảng viên của Chi bộ khối 5; các hoạt động đã được duyệt vẫn được ghi nhận cho chi bộ."
    );
    assert!(h.last(&member).text.unwrap().contains("Chi bộ khối 7"));
    let ended: (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT status, end_reason, ended_at FROM memberships WHERE id = ?")
            .bind(old)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(ended.0, "left");
    assert_eq!(ended.1.as_deref(), Some("moved"));
    assert!(ended.2.is_some(), "the date is kept");
    let new = membership_of(&h, 300, "approved").await;
    let moved_from: Option<i64> =
        sqlx::query_scalar("SELECT moved_from FROM memberships WHERE id = ?")
            .bind(new)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(moved_from, Some(old));
    let shown = h.ask(&member, "/profile").await.text.unwrap();
    assert!(shown.contains("Số điện thoại: 0912345678"), "{shown}");
    // The new cell's list counts the report the member brought.
    let new_list = h.ask(&new_secretary, "/members").await.text.unwrap();
    assert!(
        new_list.contains("1 hoạt động trực tiếp được duyệt trong tháng; gần nhất ngày 19/11/2026")
            && new_list.contains("0 đồng chí chưa có hoạt động"),
        "{new_list}"
    );

    // The report written meanwhile is submitted: to the new cell.
    h.press(&member, &writing, "Gửi báo cáo").await;
    let card = h.last(&new_secretary);
    assert!(card.text.clone().unwrap().contains("Họp tổ 7"), "{card:?}");
    h.press(&new_secretary, &card, "✅ Duyệt").await;
    // A report in the new cell; the old report stays the old cell's.
    report_approved(&h, &new_secretary, &member, "Hôm nay", "Dọn vệ sinh khối 7").await;
    let cells: Vec<i64> = sqlx::query_scalar("SELECT cell_id FROM reports ORDER BY id")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    assert_eq!(cells.len(), 3);
    assert_ne!(cells[0], cells[1]);
    assert_eq!(cells[1], cells[2]);

    // The new cell's draft shows the whole year, each item with its cell.
    let list = h.ask(&new_secretary, "/sheets").await;
    let (_, opened) = h
        .press_data(&new_secretary, list.message_id, &format!("so:{new}"))
        .await;
    let draft = opened
        .iter()
        .filter_map(|s| s.text.clone())
        .find(|t| t.contains("báo cáo số 1"))
        .unwrap_or_else(|| panic!("{opened:?}"));
    assert!(
        draft.contains("19/11/2026: Hoạt động khác (báo cáo số 1) — tại Chi bộ khối 5")
            && draft.contains("20/11/2026: Hoạt động khác (báo cáo số 2) — tại Chi bộ khối 7"),
        "{draft}"
    );

    // The old cell no longer lists the member; the new one does.
    let old_list = h.ask(&old_secretary, "/members").await.text.unwrap();
    assert!(!old_list.contains("Nguyễn Văn An"), "{old_list}");
    let new_list = h.ask(&new_secretary, "/members").await.text.unwrap();
    assert!(new_list.contains("Nguyễn Văn An"), "{new_list}");
}

#[tokio::test]
async fn in_english_a_move_can_be_cancelled_and_a_rejected_move_leaves_the_old_cell() {
    let h = Harness::start().await;
    let old_secretary = en_user(100, "Binh");
    let new_secretary = en_user(200, "Cuong");
    let member = en_user(300, "An");
    let (code, old) = two_cells(&h, &old_secretary, &new_secretary, &member).await;

    let asked = h.ask(&member, &format!("/start {code}")).await;
    assert_eq!(
        asked.text.clone().unwrap(),
        "You are a member of Chi bộ khối 5. Are you moving house and transferring to Chi bộ khối 7?"
    );
    h.press(&member, &asked, "Cancel").await;
    assert_eq!(
        h.current(&asked).text.unwrap(),
        "Cancelled. You remain a member of Chi bộ khối 5."
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        0
    );

    let asked = h.ask(&member, &format!("/start {code}")).await;
    // At the question and at the summary, /report and /start alone say to
    // finish the move first; the move is kept.
    for typed in ["/report", "/start"] {
        let answer = h.ask(&member, typed).await;
        assert!(
            says(answer.text.as_deref(), Lang::En, "move-finish-first"),
            "{answer:?}"
        );
    }
    let (_, replies) = h.press(&member, &asked, "Yes, I am moving").await;
    let summary = replies.last().unwrap().clone();
    let answer = h.ask(&member, "/report").await;
    assert!(
        says(answer.text.as_deref(), Lang::En, "move-finish-first"),
        "{answer:?}"
    );
    h.press(&member, &summary, "Confirm").await;
    let card = h.last(&new_secretary);
    assert!(
        card.text
            .clone()
            .unwrap()
            .contains("🔁 Moving from the cell: Chi bộ khối 5")
    );
    let before = h.api.sent_count(old_secretary.id);
    h.press(&new_secretary, &card, "❌ Reject").await;
    assert_eq!(membership_of(&h, 300, "approved").await, old);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'left'")
            .await,
        0
    );
    assert_eq!(
        h.api.sent_count(old_secretary.id),
        before,
        "nothing to tell the old secretary"
    );
    // Still a member of the old cell: reporting works there.
    let kinds = h.ask(&member, "/report").await;
    assert_eq!(kinds.button_texts().len(), 7);

    // The old cell ends the membership while the member is deciding, at
    // the question and at the summary: told so, and how to join.
    let end_old = || async {
        let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
            .bind(old)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let ending = lienhe::store::memberships::Ending {
            id: old,
            cell_id: cell,
            reason: lienhe::domain::membership::EndReason::LeftArea,
            note: "",
            by: old_secretary.id,
            then: None,
        };
        assert!(
            lienhe::store::memberships::end(
                &h.pool,
                ending,
                h.app().now(),
                |_, _| Vec::new(),
                |_, _, _| Vec::new(),
            )
            .await
            .unwrap()
        );
    };
    let asked = h.ask(&member, &format!("/start {code}")).await;
    let (_, replies) = h.press(&member, &asked, "Yes, I am moving").await;
    let summary = replies.last().unwrap().clone();
    end_old().await;
    h.press(&member, &summary, "Confirm").await;
    let told = h.current(&summary).text.unwrap();
    assert!(says(Some(&told), Lang::En, "move-old-ended"), "{told}");
    assert!(told.contains("Chi bộ khối 5"), "{told}");
    // Opened again: a plain join.
    let asked = h.ask(&member, &format!("/start {code}")).await;
    assert!(
        !says(asked.text.as_deref(), Lang::En, "move-ask"),
        "{:?}",
        asked.text
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_secretary_ends_a_membership_from_the_card_with_a_reason() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let other_secretary = vi_user(200, "Cường");
    two_cells(&h, &secretary, &other_secretary, &member).await;
    let id = membership_of(&h, 300, "approved").await;

    let list = h.ask(&secretary, "/members").await;
    let text = list.text.clone().unwrap();
    assert!(
        text.contains("Nguyễn Văn An")
            && text.contains("bấm tên đảng viên để mở thẻ (từ 1 đến 1 trong 1 đồng chí)"),
        "{text}"
    );
    assert_eq!(list.button_texts(), vec!["1. Nguyễn Văn An"]);

    // Not the secretary of this cell, or not a secretary: refused.
    let (refused, _) = h
        .press_data(&other_secretary, list.message_id, &format!("bo:{id}"))
        .await;
    assert_eq!(
        refused.params["text"].as_str(),
        Some("Đồng chí không có quyền thực hiện thao tác này.")
    );
    let (refused, _) = h
        .press_data(&other_secretary, list.message_id, &format!("el:{id}"))
        .await;
    assert_eq!(
        refused.params["text"].as_str(),
        Some("Đồng chí không có quyền thực hiện thao tác này.")
    );
    let (refused, _) = h
        .press_data(&member, list.message_id, &format!("er:{id}"))
        .await;
    assert_eq!(
        refused.params["text"].as_str(),
        Some("Đồng chí không có quyền thực hiện thao tác này.")
    );

    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let card = opened.last().unwrap().clone();
    let text = card.text.clone().unwrap();
    assert!(
        text.contains("Thông tin đảng viên")
            && text.contains("Họ và tên: Nguyễn Văn An")
            && text.contains("Cơ quan, đơn vị: Sở Tư pháp tỉnh Nghệ An")
            && text.contains("Trạng thái: đang sinh hoạt")
            && text.contains("Ngày tham gia: 20/11/2026")
            && text.contains("Miễn sinh hoạt: không"),
        "{text}"
    );
    assert_eq!(
        card.button_texts(),
        vec![
            "Rời địa bàn",
            "Nghỉ hưu",
            "Chuyển sinh hoạt đảng đi nơi khác",
            "Sửa tháng giới thiệu"
        ]
    );
    let (_, asked) = h.press(&secretary, &card, "Nghỉ hưu").await;
    assert!(
        asked
            .last()
            .unwrap()
            .text
            .clone()
            .unwrap()
            .contains("lý do kết thúc sinh hoạt của đồng chí Nguyễn Văn An (nghỉ hưu)")
    );
    let confirm = h.ask(&secretary, "Nghỉ hưu, về quê ở Hà Tĩnh").await;
    assert_eq!(
        confirm.text.clone().unwrap(),
        "Xác nhận kết thúc sinh hoạt tại Chi bộ khối 5 của đồng chí Nguyễn Văn An?\nHình thức: nghỉ hưu\nLý do: Nghỉ hưu, về quê ở Hà Tĩnh"
    );
    h.press(&secretary, &confirm, "Xác nhận").await;
    assert_eq!(
        h.current(&confirm).text.unwrap(),
        "Đã kết thúc sinh hoạt của đồng chí Nguyễn Văn An tại Chi bộ khối 5 và thông báo cho đảng viên."
    );
    let told = h.last(&member).text.unwrap();
    assert!(
        told.contains("kết thúc sinh hoạt của đồng chí tại Chi bộ khối 5 (nghỉ hưu)")
            && told.contains("Lý do: Nghỉ hưu, về quê ở Hà Tĩnh"),
        "{told}"
    );
    let row: (String, Option<String>, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT status, end_reason, end_note, ended_by FROM memberships WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "left".into(),
            Some("retired".into()),
            Some("Nghỉ hưu, về quê ở Hà Tĩnh".into()),
            Some(100)
        )
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'end' AND subject = 'membership'")
            .await,
        1
    );
    // The old card's buttons no longer work.
    let (refused, _) = h.press(&secretary, &card, "Rời địa bàn").await;
    assert_eq!(
        refused.params["text"].as_str(),
        Some("Đảng viên này không còn sinh hoạt tại chi bộ của đồng chí.")
    );

    // The ended member cannot report and gets no reminder.
    let refused = h.ask(&member, "/report").await.text.unwrap();
    assert_eq!(
        refused,
        "Đồng chí đã kết thúc sinh hoạt tại Chi bộ khối 5 từ ngày 20/11/2026 nên không thể báo cáo hoạt động. Nếu đồng chí sinh hoạt tại chi bộ nơi cư trú mới, đề nghị mở đường liên kết mời của chi bộ đó."
    );
    h.set_local(2026, 11, 25, 8, 0);
    let queued = h.tick().await.month.unwrap();
    assert_eq!(queued.reminders, 0, "no reminder for an ended member");
    h.drain().await;
    assert!(
        !h.last(&member)
            .text
            .unwrap_or_default()
            .contains("Kính gửi"),
        "no reminder reached the member"
    );
}

#[tokio::test]
async fn in_english_a_secretary_ends_a_membership_and_can_cancel_first() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;

    let list = h.ask(&secretary, "/members").await;
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let card = opened.last().unwrap().clone();
    assert!(card.text.clone().unwrap().contains("Member details"));
    assert_eq!(
        card.button_texts(),
        vec![
            "Left the area",
            "Retired from work",
            "Party membership transferred elsewhere",
            "Correct month of introduction"
        ]
    );
    h.press(&secretary, &card, "Left the area").await;
    let confirm = h.ask(&secretary, "Moved to Hanoi").await;
    h.press(&secretary, &confirm, "Cancel").await;
    assert_eq!(
        h.current(&confirm).text.unwrap(),
        "Cancelled. Nguyễn Văn An remains a member of the cell."
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        1
    );

    h.press(&secretary, &card, "Party membership transferred elsewhere")
        .await;
    let confirm = h
        .ask(&secretary, "Transferred to the ministry's cell")
        .await;
    assert!(
        confirm
            .text
            .clone()
            .unwrap()
            .contains("Type: party membership transferred elsewhere")
    );
    h.press(&secretary, &confirm, "Confirm").await;
    let told = h.last(&member).text.unwrap();
    assert!(
        told.starts_with(
            "The cell committee has ended your membership of Chi bộ khối 5 (party membership transferred elsewhere)."
        ),
        "{told}"
    );
    let refused = h.ask(&member, "/report").await.text.unwrap();
    assert!(
        refused.starts_with("Your membership of Chi bộ khối 5 ended on 20/11/2026"),
        "{refused}"
    );
}

#[tokio::test]
async fn members_are_paged_on_the_list() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let first = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &first).await;
    // Eleven more members, straight in the database (the join itself is
    // tested elsewhere).
    for i in 0..11_i64 {
        let user = 400 + i;
        sqlx::query(
            "INSERT INTO users (id, full_name, tg_name, first_seen_at, last_seen_at)
             VALUES (?, ?, 'x', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')",
        )
        .bind(user)
        .bind(format!("Thành viên {i:02}"))
        .execute(&h.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at, decided_at)
             VALUES (?, ?, ?, ?, 'approved', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')",
        )
        .bind(format!("t{i}"))
        .bind(user)
        .bind(cell)
        .bind(format!("Thành viên {i:02}"))
        .execute(&h.pool)
        .await
        .unwrap();
    }
    let list = h.ask(&secretary, "/members").await;
    let buttons = list.button_texts();
    assert_eq!(buttons.len(), 11, "ten members and ▶: {buttons:?}");
    assert_eq!(buttons[10], "▶");
    h.press(&secretary, &list, "▶").await;
    let page = h.current(&list);
    assert_eq!(
        page.button_texts(),
        vec!["11. Thành viên 10", "12. Nguyễn Văn An", "◀"],
        "the second page (by the given name: the numbers before An)"
    );
    assert!(
        page.text
            .clone()
            .unwrap()
            .contains("(từ 11 đến 12 trong 12 đồng chí)")
    );
    // ◀ on the list days later (Telegram sends the press without the
    // message's text): the buttons change, the list stays as it was.
    h.api.age_messages(secretary.id);
    h.press(&secretary, &page, "◀").await;
    let back = h.current(&list);
    assert_eq!(back.text, page.text);
    assert_eq!(back.button_texts()[10], "▶");
}

/// A phone typed in /profile is stored in one form whichever way it was
/// written ("+84 0912 345 678", "(091) 234-5678", pasted with an invisible
/// character), as a roster reads it; a number that is no Vietnamese one
/// (nor another country's, with "+") is refused and asked again, in the
/// member's language.
#[tokio::test]
async fn a_phone_typed_in_profile_is_stored_in_one_form() {
    for (lang, change, refused) in [
        (Lang::Vi, "Đổi số điện thoại", "profile-error-phone"),
        (Lang::En, "Change phone", "profile-error-phone"),
    ] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let stored = || async {
            sqlx::query_scalar::<_, Option<String>>("SELECT phone FROM users WHERE id = 300")
                .fetch_one(&h.pool)
                .await
                .unwrap()
        };
        for typed in [
            "+84 0912 345 678",
            "(091) 234-5678",
            "84912345678",
            "0912345678\u{200B}",
        ] {
            sqlx::query("UPDATE users SET phone = NULL WHERE id = 300")
                .execute(&h.pool)
                .await
                .unwrap();
            let shown = h.ask(&member, "/profile").await;
            h.press(&member, &shown, change).await;
            let done = h.ask(&member, typed).await;
            assert!(
                done.text.unwrap().contains("0912345678"),
                "{lang:?} {typed:?}"
            );
            assert_eq!(stored().await.as_deref(), Some("0912345678"), "{typed:?}");
        }
        let shown = h.ask(&member, "/profile").await;
        h.press(&member, &shown, change).await;
        let again = h.ask(&member, "0112345678").await;
        assert!(says(again.text.as_deref(), lang, refused), "{again:?}");
        assert_eq!(stored().await.as_deref(), Some("0912345678"));
    }
}

#[tokio::test]
async fn profile_changes_phone_and_workplace_and_both_officers_see_it() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM workplaces ORDER BY id")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    let (justice, school) = (ids[0].0, ids[1].0);
    let old_officer = vi_user(500, "Hà");
    let new_officer = vi_user(501, "Lan");
    let code = h.officer_code(justice).await;
    h.ask(&old_officer, &format!("/start {code}")).await;
    let code = h.officer_code(school).await;
    h.ask(&new_officer, &format!("/start {code}")).await;

    // Not a member: refused (with how to join), the command and the
    // buttons.
    let stranger = vi_user(900, "Khách");
    let refused = h.ask(&stranger, "/profile").await.text.unwrap();
    assert!(
        refused.starts_with(
            "Chức năng /profile dành cho đảng viên đang sinh hoạt tại chi bộ nơi cư trú.\n\n"
        ) && says(Some(&refused), Lang::Vi, "not-joined"),
        "{refused}"
    );
    let shown = h.ask(&member, "/profile").await;
    let (refused, _) = h.press_data(&stranger, shown.message_id, "pw").await;
    assert_eq!(
        refused.params["text"].as_str(),
        Some("Đồng chí không có quyền thực hiện thao tác này.")
    );

    let text = shown.text.clone().unwrap();
    assert!(
        text.contains("Họ và tên: Nguyễn Văn An")
            && text.contains("Chi bộ: Chi bộ khối 5")
            && text.contains("Số điện thoại: (không có)")
            && text.contains("Cơ quan, đơn vị: Sở Tư pháp tỉnh Nghệ An"),
        "{text}"
    );
    assert_eq!(
        shown.button_texts(),
        vec!["Đổi số điện thoại", "Đổi cơ quan"]
    );
    h.press(&member, &shown, "Đổi số điện thoại").await;
    let wrong = h.ask(&member, "không nhớ").await.text.unwrap();
    assert!(wrong.contains("số điện thoại"), "{wrong}");
    assert_eq!(
        h.ask(&member, "0912 345 678").await.text.unwrap(),
        "Đã cập nhật số điện thoại: 0912345678."
    );
    // Skip (or Keep) changes nothing: Skip had removed the number.
    let shown = h.ask(&member, "/profile").await;
    h.press(&member, &shown, "Đổi số điện thoại").await;
    for keep in ["Bỏ qua", "Giữ nguyên"] {
        assert_eq!(
            h.ask(&member, keep).await.text.unwrap(),
            "Số điện thoại của đồng chí không thay đổi."
        );
        let shown = h.ask(&member, "/profile").await;
        h.press(&member, &shown, "Đổi số điện thoại").await;
    }
    // Remove removes it; then a new one.
    assert_eq!(
        h.ask(&member, "🗑 Xóa số điện thoại").await.text.unwrap(),
        "Đã xóa số điện thoại."
    );
    let shown = h.ask(&member, "/profile").await;
    h.press(&member, &shown, "Đổi số điện thoại").await;
    h.ask(&member, "0912 345 678").await;

    let shown = h.ask(&member, "/profile").await;
    assert!(
        shown
            .text
            .clone()
            .unwrap()
            .contains("Số điện thoại: 0912345678")
    );
    let (_, picker) = h.press(&member, &shown, "Đổi cơ quan").await;
    let picker = picker.last().unwrap().clone();
    h.press(&member, &picker, "Trường THPT Huỳnh Thúc Kháng")
        .await;
    assert_eq!(
        h.last(&member).text.unwrap(),
        "Đã cập nhật cơ quan, đơn vị công tác: Trường THPT Huỳnh Thúc Kháng."
    );
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('change_phone', 'change_workplace')"
        )
        .await,
        4
    );
    // The number itself stays out of the audit log (which /forgetme
    // cannot erase).
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE details LIKE '%345678%'")
            .await,
        0
    );

    let old_status = h.ask(&old_officer, "/status").await.text.unwrap();
    assert!(
        old_status.contains("Thay đổi cơ quan công tác trong năm 2026:")
            && old_status.contains(
                "• Nguyễn Văn An (Chi bộ khối 5): chuyển sang Trường THPT Huỳnh Thúc Kháng từ 20/11/2026"
            ),
        "{old_status}"
    );
    let new_status = h.ask(&new_officer, "/status").await.text.unwrap();
    assert!(
        new_status.contains("Nguyễn Văn An (Chi bộ khối 5):")
            && new_status.contains(
                "• Nguyễn Văn An (Chi bộ khối 5): từ Sở Tư pháp tỉnh Nghệ An chuyển đến từ 20/11/2026"
            ),
        "{new_status}"
    );

    // Back to the first workplace in February: /status of 2026 (the review
    // year, shown by default) lists 2026's changes, and this one apart.
    h.set_local(2027, 2, 10, 9, 0);
    let shown = h.ask(&member, "/profile").await;
    let (_, picker) = h.press(&member, &shown, "Đổi cơ quan").await;
    let picker = picker.last().unwrap().clone();
    h.press(&member, &picker, "Sở Tư pháp tỉnh Nghệ An").await;
    let old_status = h.ask(&old_officer, "/status").await.text.unwrap();
    assert!(
        old_status.contains("— năm 2026")
            && old_status.contains("chuyển sang Trường THPT Huỳnh Thúc Kháng từ 20/11/2026")
            && old_status.contains("Thay đổi cơ quan công tác từ 01/01/2027 đến nay:")
            && old_status.contains(
                "• Nguyễn Văn An (Chi bộ khối 5): từ Trường THPT Huỳnh Thúc Kháng chuyển đến từ 10/02/2027"
            ),
        "{old_status}"
    );
    let new_status = h.ask(&new_officer, "/status").await.text.unwrap();
    assert!(
        new_status.contains("chuyển sang Sở Tư pháp tỉnh Nghệ An từ 10/02/2027"),
        "{new_status}"
    );

    // The member then moves house to another cell (the old membership
    // ends): the changes stay in both workplaces' /status, under the cell
    // they are in now.
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells LIMIT 1")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other_cell = h.cell(ward, "Chi bộ khối 9").await;
    sqlx::query(
        "UPDATE memberships SET status = 'left', ended_at = ?2 WHERE user_id = 300;
         INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                  decided_at, workplace_id, moved_from)
         SELECT 'moved', user_id, ?1, full_name, 'approved', ?2, ?2, workplace_id, id
         FROM memberships WHERE user_id = 300",
    )
    .bind(other_cell)
    .bind(h.app().now())
    .execute(&h.pool)
    .await
    .unwrap();
    let new_status = h.ask(&new_officer, "/status").await.text.unwrap();
    assert!(
        new_status.contains(
            "• Nguyễn Văn An (Chi bộ khối 9): chuyển sang Sở Tư pháp tỉnh Nghệ An từ 10/02/2027"
        ),
        "{new_status}"
    );
}

#[tokio::test]
async fn in_english_profile_takes_an_unregistered_workplace() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let shown = h.ask(&member, "/profile").await;
    assert!(shown.text.clone().unwrap().starts_with("Your details"));
    let (_, picker) = h.press(&member, &shown, "Change workplace").await;
    let picker = picker.last().unwrap().clone();
    let other = picker.buttons().last().unwrap().0.clone();
    h.press(&member, &picker, &other).await;
    assert_eq!(
        h.ask(&member, "Công ty Điện lực Nghệ An")
            .await
            .text
            .unwrap(),
        "Your workplace is now Công ty Điện lực Nghệ An."
    );
    let shown = h.ask(&member, "/profile").await;
    assert!(
        shown
            .text
            .unwrap()
            .contains("Workplace: Công ty Điện lực Nghệ An")
    );
    // Registered later (typed otherwise): the member is linked to it, and
    // its officer sees them.
    let out = h
        .admin(lienhe::cli::Admin::Workplace {
            command: lienhe::cli::NameOnly::Add {
                name: "CÔNG TY  điện lực Nghệ An".into(),
            },
        })
        .await;
    assert!(out.starts_with("Linked 1 member"), "{out}");
    let workplace: i64 = out.lines().last().unwrap().parse().unwrap();
    let officer = en_user(700, "Officer");
    h.ask(
        &officer,
        &format!("/start {}", h.officer_code(workplace).await),
    )
    .await;
    let status = h.ask(&officer, "/status").await.text.unwrap();
    assert!(status.contains("Nguyễn Văn An"), "{status}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'link_workplace'")
            .await,
        1
    );
}

#[tokio::test]
async fn every_new_action_is_refused_to_every_role_that_may_not_do_it() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let other_secretary = vi_user(200, "Cường");
    two_cells(&h, &secretary, &other_secretary, &member).await;
    let fellow = vi_user(301, "Mai");
    let code = h.invite_code(&secretary).await;
    h.request_join(&fellow, &code, "Lê Thị Mai").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;
    let officer = vi_user(500, "Hà");
    let workplace: i64 = sqlx::query_scalar("SELECT MIN(id) FROM workplaces")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let code = h.officer_code(workplace).await;
    h.ask(&officer, &format!("/start {code}")).await;
    let stranger = vi_user(900, "Khách");
    // A rejected report of the member.
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "❌ Từ chối").await;
    h.ask(&secretary, "Thiếu thông tin").await;

    let id = membership_of(&h, 300, "approved").await;
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let card = format!("bo:{id}");
    let page = format!("bp:{cell}:0");
    let ends = [format!("el:{id}"), format!("er:{id}"), format!("et:{id}")];
    let resubmit = "ur:1".to_string();
    let profile = ["pp".to_string(), "pw".to_string()];
    let not_secretary = [&stranger, &member, &fellow, &other_secretary, &officer];
    let mut table: Vec<(&TgUser, String)> = Vec::new();
    for who in not_secretary {
        table.push((who, card.clone()));
        table.push((who, page.clone()));
        for end in &ends {
            table.push((who, end.clone()));
        }
    }
    for who in [&stranger, &fellow, &secretary, &other_secretary, &officer] {
        table.push((who, resubmit.clone()));
    }
    for who in [&stranger, &secretary, &other_secretary, &officer] {
        for p in &profile {
            table.push((who, p.clone()));
        }
    }
    let before = (
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        h.count("SELECT COUNT(*) FROM reports").await,
        h.count("SELECT COUNT(*) FROM audit_log").await,
    );
    for (who, data) in table {
        let before_sent = h.api.sent_count(who.id);
        let (refused, _) = h.press_data(who, 1, &data).await;
        assert_eq!(
            refused.params["text"].as_str(),
            Some("Đồng chí không có quyền thực hiện thao tác này."),
            "{} pressing {data}",
            who.id
        );
        assert_eq!(
            h.api.sent_count(who.id),
            before_sent,
            "{} pressing {data}",
            who.id
        );
    }
    let after = (
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        h.count("SELECT COUNT(*) FROM reports").await,
        h.count("SELECT COUNT(*) FROM audit_log").await,
    );
    assert_eq!(before, after, "nothing changed");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE state NOT LIKE '%Idle%'")
            .await,
        0,
        "no dialogue opened"
    );
}

/// The old cell signs the member's sheet in December; the member moves in
/// January: the officer's /sheet NAME still finds the signed sheet (it is
/// the person's, whatever cell they are in now).
#[tokio::test]
async fn a_sheet_signed_before_a_move_is_still_found_by_the_officer() {
    let h = Harness::start().await;
    let old_secretary = vi_user(100, "Bình");
    let new_secretary = vi_user(200, "Cường");
    let member = vi_user(300, "An");
    let (code, old) = two_cells(&h, &old_secretary, &new_secretary, &member).await;
    h.set_local(2026, 12, 20, 9, 0);
    report_approved(&h, &old_secretary, &member, "Hôm nay", "Họp tổ dân phố").await;
    let sheet = h.sheet_sent_to_member(&old_secretary, old).await;
    h.press_data(&member, 1, &format!("ma:{sheet}")).await;
    h.press_data(&old_secretary, 1, &format!("sg:{sheet}"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE state = 'signed'")
            .await,
        1
    );
    h.drain().await;

    h.set_local(2027, 1, 5, 9, 0);
    // The December link has expired: a fresh one.
    let _ = code;
    let code = h.invite_code(&new_secretary).await;
    request_move(&h, &member, &code).await;
    let card = h.last(&new_secretary);
    h.press(&new_secretary, &card, "✅ Duyệt").await;
    assert_ne!(membership_of(&h, 300, "approved").await, old);

    let workplace: i64 = sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE id = ?")
        .bind(old)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let officer = vi_user(700, "Cán bộ");
    h.ask(
        &officer,
        &format!("/start {}", h.officer_code(workplace).await),
    )
    .await;
    let before = h.api.sent(700).len();
    h.ask(&officer, "/sheet Nguyễn Văn An").await;
    let got = h.api.sent(700).split_off(before);
    assert_eq!(
        got.iter().filter(|s| s.method == "senddocument").count(),
        2,
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|s| says(s.text.as_deref(), lienhe::domain::Lang::Vi, "verify-ok")),
        "{got:?}"
    );
    // The new cell lists it as signed, and the officer's /status too (as
    // not sent: the workplace had no officer in the bot when it was).
    let list = h.ask(&new_secretary, "/sheets 2026").await.text.unwrap();
    assert!(
        says(
            Some(&list),
            lienhe::domain::Lang::Vi,
            "sheet-state-signed-kept"
        ),
        "{list}"
    );
    let status = h.ask(&officer, "/status 2026").await.text.unwrap();
    assert!(
        says(
            Some(&status),
            lienhe::domain::Lang::Vi,
            "sheet-state-signed-kept"
        ),
        "{status}"
    );
    // The new cell writes no second 2026 sheet.
    let new = membership_of(&h, 300, "approved").await;
    let (answer, _) = h
        .press_data(&new_secretary, 1, &format!("yo:{new}:2026"))
        .await;
    let alert = answer.params["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        says(
            Some(&alert),
            lienhe::domain::Lang::Vi,
            "sheet-signed-elsewhere"
        ),
        "{alert}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 1);
}

/// The end of a membership waits for its Confirm while the secretary
/// rejects a report in between: the reason's question comes back to the
/// end's summary (it dropped it, and Confirm was then "stale"); the
/// summary's Confirm pressed while the reason is asked says to answer first
/// and keeps its buttons.
#[tokio::test]
async fn a_rejection_in_the_middle_of_ending_a_membership_comes_back_to_it() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 302, 1).await;
    let leaving = membership_of(&h, 302, "approved").await;
    // An's report waits for a decision.
    let summary = h
        .report_until_summary(
            &member,
            "Sinh hoạt, họp chi bộ nơi cư trú",
            "Hôm nay",
            "Dự họp chi bộ",
            &[],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);

    // The end of 302's membership, up to its Confirm.
    let list = h.ask(&secretary, "/members").await;
    h.press_data(&secretary, list.message_id, &format!("el:{leaving}"))
        .await;
    let confirm = h.ask(&secretary, "Chuyển về quê sinh sống").await;
    assert!(
        confirm.button_texts().contains(&"Xác nhận".to_string()),
        "{confirm:?}"
    );

    // Reject in between: the reason is asked…
    h.press(&secretary, &card, "❌ Từ chối").await;
    // …and the end's Confirm waits for it, its buttons kept.
    let (answer, _) = h.press(&secretary, &confirm, "Xác nhận").await;
    assert!(
        says(
            answer.str_param("text"),
            Lang::Vi,
            "dialogue-question-pending"
        ),
        "{answer:?}"
    );
    assert!(!h.current(&confirm).buttons().is_empty());
    let done = h
        .ask(&secretary, "Thiếu ảnh minh chứng")
        .await
        .text
        .unwrap();
    assert!(
        says(Some(&done), Lang::Vi, "report-rejected-done")
            && done.ends_with(&lienhe::i18n::loader(Lang::Vi).get("dialogue-resumed")),
        "{done}"
    );
    // Confirm now ends the membership.
    h.press(&secretary, &h.current(&confirm), "Xác nhận").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 302 AND status = 'left'")
            .await,
        1
    );
}

/// A member who moves is no longer invited to the old cell's meetings still
/// to come: its register would list them, closing it mark them absent, and
/// that absence would count on the sheet the new cell writes. A meeting
/// that had started keeps them.
#[tokio::test]
async fn a_member_who_moves_leaves_the_old_cells_meetings_to_come() {
    use lienhe::{
        domain::meeting::MeetingKind,
        store::meetings::{self, NewMeeting},
    };
    let h = Harness::start().await;
    let old_secretary = vi_user(100, "Bình");
    let new_secretary = vi_user(200, "Cường");
    let member = vi_user(300, "An");
    let (code, old) = two_cells(&h, &old_secretary, &new_secretary, &member).await;
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    let call = |token: &'static str, hours: i64| {
        let pool = h.pool.clone();
        async move {
            let new = NewMeeting {
                token,
                cell_id: 1,
                kind: MeetingKind::Periodic,
                starts_at: now + chrono::Duration::hours(hours),
                place: "Nhà văn hóa khối 5",
                agenda: "Sinh hoạt định kỳ",
                called_by: 100,
            };
            meetings::create(&pool, &new, now, |_, _| Vec::new())
                .await
                .unwrap();
        }
    };
    call("under-way", 1).await;
    call("to-come", 72).await;
    // The first has started when the move is approved.
    h.clock.advance(chrono::Duration::hours(2));
    request_move(&h, &member, &code).await;
    let card = h.last(&new_secretary);
    h.press(&new_secretary, &card, "✅ Duyệt").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'approved'")
            .await,
        1
    );
    let invited = |token: &'static str| {
        let pool = h.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM meeting_invitations i JOIN meetings m ON m.id = i.meeting_id
                 WHERE m.token = ? AND i.membership_id = ?",
            )
            .bind(token)
            .bind(old)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(invited("under-way").await, 1);
    assert_eq!(invited("to-come").await, 0);
}

/// A request sent to the wrong cell can be withdrawn from the answer to
/// the right cell's link: its cards say it was withdrawn, and the right
/// link then goes ahead. A move (in Vietnamese) and a first join (in
/// English).
#[tokio::test]
async fn a_request_sent_to_the_wrong_cell_is_withdrawn_and_the_right_link_goes_ahead() {
    // A move to the wrong cell.
    let h = Harness::start().await;
    let (first, wrong, right) = (
        vi_user(100, "Bình"),
        vi_user(200, "Cường"),
        vi_user(250, "Dũng"),
    );
    let member = vi_user(300, "An");
    let (wrong_code, _) = two_cells(&h, &first, &wrong, &member).await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let cell = h.cell(ward, "Chi bộ khối 9").await;
    h.make_secretary(&right, cell, "Đỗ Văn Dũng").await;
    let right_code = h.invite_code(&right).await;
    request_move(&h, &member, &wrong_code).await;
    let wrong_card = h.last(&wrong);
    let offered = h.ask(&member, &format!("/start {right_code}")).await;
    assert!(
        says(offered.text.as_deref(), Lang::Vi, "join-pending-elsewhere")
            && offered.text.as_deref().unwrap().contains("Chi bộ khối 7"),
        "{:?}",
        offered.text
    );
    h.press(&member, &offered, "Rút yêu cầu đang chờ").await;
    let done = h.current(&offered);
    assert!(
        says(done.text.as_deref(), Lang::Vi, "join-withdrawn"),
        "{done:?}"
    );
    assert!(done.button_texts().is_empty());
    let settled = h.current(&wrong_card);
    assert!(
        settled
            .text
            .as_deref()
            .unwrap()
            .contains("Người gửi đã rút yêu cầu này")
            && settled.button_texts().is_empty(),
        "{settled:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        0
    );
    // The old card's Approve, pressed anyway: nothing to approve.
    let (answer, _) = h
        .press_data(&wrong, wrong_card.message_id, &data_of(&wrong_card, "ja:"))
        .await;
    assert!(
        !answer.str_param("text").unwrap_or_default().is_empty(),
        "{answer:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'approved'")
            .await,
        1,
        "still in the first cell"
    );
    // Pressed again: no longer waiting.
    let (again, _) = h
        .press_data(&member, offered.message_id, &data_of(&offered, "jw:"))
        .await;
    assert!(
        says(again.str_param("text"), Lang::Vi, "join-withdraw-gone"),
        "{again:?}"
    );
    // The right link now asks about the move.
    let asked = h.ask(&member, &format!("/start {right_code}")).await;
    assert!(
        says(asked.text.as_deref(), Lang::Vi, "move-ask")
            && asked.text.as_deref().unwrap().contains("Chi bộ khối 9"),
        "{:?}",
        asked.text
    );

    // A first join sent to the wrong cell, in English.
    let h = Harness::start().await;
    let (wrong, right) = (en_user(100, "Binh"), en_user(200, "Cuong"));
    let cell = h.cell_setup().await;
    h.make_secretary(&wrong, cell, "Trần Thị Bình").await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&right, other, "Phạm Văn Cường").await;
    let person = en_user(300, "An");
    let wrong_code = h.invite_code(&wrong).await;
    h.request_join(&person, &wrong_code, "Nguyễn Văn An").await;
    let wrong_card = h.last(&wrong);
    let right_code = h.invite_code(&right).await;
    let offered = h.ask(&person, &format!("/start {right_code}")).await;
    assert!(
        says(offered.text.as_deref(), Lang::En, "join-pending-elsewhere"),
        "{:?}",
        offered.text
    );
    h.press(&person, &offered, "Withdraw the waiting request")
        .await;
    assert!(says(
        h.current(&offered).text.as_deref(),
        Lang::En,
        "join-withdrawn"
    ));
    assert!(
        h.current(&wrong_card)
            .text
            .unwrap()
            .contains("The sender withdrew this request.")
    );
    h.request_join(&person, &right_code, "Nguyễn Văn An").await;
    let card = h.last(&right);
    assert!(card.text.unwrap().contains("Nguyễn Văn An"));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        1
    );
}

/// The old cell sent the member their draft sheet; the member moves before
/// answering: that draft can no longer go on, so the new cell's /sheets
/// and the workplace's /status show the sheet as not started (the new cell
/// opens its own), never "with the member".
#[tokio::test]
async fn a_draft_left_by_a_move_is_not_the_members_sheet_any_more() {
    let h = Harness::start().await;
    let old_secretary = vi_user(100, "Bình");
    let new_secretary = vi_user(200, "Cường");
    let member = vi_user(300, "An");
    let (_, old) = two_cells(&h, &old_secretary, &new_secretary, &member).await;
    h.set_local(2026, 12, 20, 9, 0);
    report_approved(&h, &old_secretary, &member, "Hôm nay", "Họp tổ dân phố").await;
    h.sheet_sent_to_member(&old_secretary, old).await;
    h.drain().await;
    let draft = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ma:")))
        .expect("the draft sent to the member");

    h.set_local(2027, 1, 5, 9, 0);
    let code = h.invite_code(&new_secretary).await;
    request_move(&h, &member, &code).await;
    let card = h.last(&new_secretary);
    h.press(&new_secretary, &card, "✅ Duyệt").await;
    assert_ne!(membership_of(&h, 300, "approved").await, old);
    // The old cell's draft, answered after the move: refused, saying why
    // (not "not allowed"), and its buttons go.
    let (answer, _) = h.press(&member, &draft, "✅ Đồng ý").await;
    let why = answer.params["text"].as_str().unwrap_or_default();
    assert!(says(Some(why), Lang::Vi, "sheet-member-left-cell"), "{why}");
    assert!(h.current(&draft).buttons().is_empty());

    let list = h.ask(&new_secretary, "/sheets 2026").await.text.unwrap();
    assert!(
        !list.contains(&text_of(Lang::Vi, "sheet-state-with-member")),
        "{list}"
    );
    assert!(
        list.contains(&text_of(Lang::Vi, "sheet-state-not-started")),
        "{list}"
    );
    let workplace: i64 = sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE id = ?")
        .bind(old)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let officer = en_user(700, "Officer");
    h.ask(
        &officer,
        &format!("/start {}", h.officer_code(workplace).await),
    )
    .await;
    let status = h.ask(&officer, "/status 2026").await.text.unwrap();
    assert!(
        !status.contains(&text_of(Lang::En, "sheet-state-with-member")),
        "{status}"
    );
}

/// A secretary of both cells who approves a member's move from one to the
/// other is not told about the move they just approved.
#[tokio::test]
async fn the_secretary_of_both_cells_is_not_told_of_the_move_they_approved() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let cell = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let old = membership_of(&h, member.id, "approved").await;
    let choose = h.ask(&secretary, "/invite").await;
    let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 7").await;
    let code = deep_link_code(replies.last().unwrap());
    request_move(&h, &member, &code).await;
    h.drain().await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Approve").await;
    h.drain().await;
    assert_ne!(membership_of(&h, 300, "approved").await, old);
    let told = h
        .api
        .sent(secretary.id)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("has moved from"))
        })
        .count();
    assert_eq!(told, 0);
}

/// A change in /profile under way when the member's move is approved goes
/// to the membership they moved to: it was lost with "/profile is for
/// members of a residence cell", though they were one. A phone typed after
/// the new cell approved the move; a workplace chosen after the member's
/// move back was approved.
#[tokio::test]
async fn a_profile_change_under_way_when_a_move_is_approved_goes_to_the_new_cell() {
    let h = Harness::start().await;
    let old_secretary = vi_user(100, "Bình");
    let new_secretary = vi_user(200, "Cường");
    let member = vi_user(300, "An");
    let (code, _) = two_cells(&h, &old_secretary, &new_secretary, &member).await;
    request_move(&h, &member, &code).await;
    let shown = h.ask(&member, "/profile").await;
    h.press(&member, &shown, "Đổi số điện thoại").await;
    let card = h.last(&new_secretary);
    h.press(&new_secretary, &card, "✅ Duyệt").await;
    assert_eq!(
        h.ask(&member, "0912 345 678").await.text.unwrap(),
        "Đã cập nhật số điện thoại: 0912345678."
    );
    let moved = membership_of(&h, 300, "approved").await;
    let phone: Option<String> = sqlx::query_scalar("SELECT phone FROM memberships WHERE id = ?")
        .bind(moved)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(phone.as_deref(), Some("0912345678"));

    // Back to the first cell, approved while the workplace picker is open.
    let code = h.invite_code(&old_secretary).await;
    request_move(&h, &member, &code).await;
    let shown = h.ask(&member, "/profile").await;
    let (_, picker) = h.press(&member, &shown, "Đổi cơ quan").await;
    let picker = picker.last().unwrap().clone();
    let card = h.last(&old_secretary);
    h.press(&old_secretary, &card, "✅ Duyệt").await;
    h.press(&member, &picker, "Trường THPT Huỳnh Thúc Kháng")
        .await;
    assert_eq!(
        h.last(&member).text.unwrap(),
        "Đã cập nhật cơ quan, đơn vị công tác: Trường THPT Huỳnh Thúc Kháng."
    );
    let back = membership_of(&h, 300, "approved").await;
    let changed: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT x.membership_id, w.name, m.phone FROM workplace_changes x
         JOIN memberships m ON m.id = x.membership_id
         LEFT JOIN workplaces w ON w.id = m.workplace_id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        changed,
        [(
            back,
            Some("Trường THPT Huỳnh Thúc Kháng".into()),
            Some("0912345678".into())
        )]
    );
}

/// The summary of a meeting to come, kept by the secretary who called it,
/// shows who is invited now: a member who moves away (or erases their data)
/// leaves it, one who moves in (or joins) comes into it. It went on
/// listing the one who left, with their answer, until some other member
/// answered.
#[tokio::test]
async fn a_meeting_summary_follows_the_members_who_move() {
    let h = Harness::start().await;
    let old_secretary = vi_user(100, "Bình");
    let new_secretary = vi_user(200, "Cường");
    let member = vi_user(300, "An");
    let other = vi_user(301, "Bảo");
    let (code, _) = two_cells(&h, &old_secretary, &new_secretary, &member).await;
    h.join_approved(&old_secretary, &other, "Lê Văn Bảo").await;
    let kinds = h.ask(&old_secretary, "/meeting").await;
    h.press_data(&old_secretary, kinds.message_id, "gk:c").await;
    h.ask(&old_secretary, "25/11/2026 19:30").await;
    h.ask(&old_secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(&old_secretary, "Triển khai nhiệm vụ cuối năm").await;
    h.press_data(&old_secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    let summary = h.last(&old_secretary);
    h.drain().await;
    let invitation = h.last(&member);
    h.press(&member, &invitation, "❌ Tôi không thể tham dự")
        .await;
    h.ask(&member, "Đi công tác").await;
    let shown = || h.current(&summary).text.unwrap();
    assert!(
        shown().contains("mời 2 đảng viên")
            && shown().contains("Nguyễn Văn An — lý do: Đi công tác"),
        "{}",
        shown()
    );

    request_move(&h, &member, &code).await;
    let card = h.last(&new_secretary);
    h.press(&new_secretary, &card, "✅ Duyệt").await;
    assert!(
        shown().contains("mời 1 đảng viên") && !shown().contains("Nguyễn Văn An"),
        "{}",
        shown()
    );
    // Back: invited again.
    let code = h.invite_code(&old_secretary).await;
    request_move(&h, &member, &code).await;
    let card = h.last(&old_secretary);
    h.press(&old_secretary, &card, "✅ Duyệt").await;
    assert!(
        shown().contains("mời 2 đảng viên") && shown().contains("Nguyễn Văn An"),
        "{}",
        shown()
    );
    // Erased: gone.
    let asked = h.ask(&other, "/forgetme").await;
    h.press(&other, &asked, "🗑 Xóa dữ liệu của tôi").await;
    assert!(
        shown().contains("mời 1 đảng viên") && !shown().contains("Lê Văn Bảo"),
        "{}",
        shown()
    );
}

/// A member in the middle of a report changes their phone and workplace
/// in /profile (and gives up a change with /cancel): each time the report
/// comes back where it was, photo and all, and is submitted whole. Before,
/// Change phone or Change workplace ended the report without a word.
async fn a_report_survives_changes_in_profile(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, other_kind(lang)).await;
    let date = h.last(&member);
    h.press(&member, &date, &text_of(lang, "button-today"))
        .await;
    h.ask(&member, "Dọn vệ sinh khu phố").await;
    let photos = h
        .send_update(&member, |api| api.photo(&member, "AgACphoto1", None, None))
        .await
        .pop()
        .unwrap();
    let resumed = text_of(lang, "dialogue-resumed");

    // The phone.
    let shown = h.ask(&member, "/profile").await;
    h.press(&member, &shown, &text_of(lang, "profile-button-phone"))
        .await;
    let saved = h.ask(&member, "0912 345 678").await.text.unwrap();
    assert!(
        says(Some(&saved), lang, "profile-phone-saved") && saved.ends_with(&resumed),
        "{saved}"
    );
    // The workplace, typed.
    let shown = h.ask(&member, "/profile").await;
    let (_, picker) = h
        .press(&member, &shown, &text_of(lang, "profile-button-workplace"))
        .await;
    let picker = picker.last().unwrap();
    h.press(&member, picker, &text_of(lang, "button-workplace-other"))
        .await;
    let saved = h.ask(&member, "UBND phường Vinh Tân").await.text.unwrap();
    assert!(
        says(Some(&saved), lang, "profile-workplace-saved") && saved.ends_with(&resumed),
        "{saved}"
    );
    // A change given up.
    let shown = h.ask(&member, "/profile").await;
    h.press(&member, &shown, &text_of(lang, "profile-button-phone"))
        .await;
    let cancelled = h.ask(&member, "/cancel").await.text.unwrap();
    assert!(cancelled.ends_with(&resumed), "{cancelled}");

    // The report goes on from its photos, the photo kept.
    h.press(&member, &photos, &photos.button_texts()[0]).await;
    let summary = h.last(&member);
    assert!(
        says(summary.text.as_deref(), lang, "report-summary")
            && summary
                .text
                .as_deref()
                .unwrap()
                .contains("Dọn vệ sinh khu phố"),
        "{summary:?}"
    );
    h.press(&member, &summary, &text_of(lang, "button-submit"))
        .await;
    let (phone, photo): (Option<String>, String) = sqlx::query_as(
        "SELECT m.phone, p.file_id FROM reports r JOIN memberships m ON m.id = r.membership_id
         JOIN report_photos p ON p.report_id = r.id WHERE r.user_id = 300",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(phone.as_deref(), Some("0912345678"));
    assert_eq!(photo, "AgACphoto1");
}

#[tokio::test]
async fn a_report_in_progress_survives_changes_in_profile() {
    a_report_survives_changes_in_profile(Lang::Vi).await;
}

#[tokio::test]
async fn a_report_in_progress_survives_changes_in_profile_in_english() {
    a_report_survives_changes_in_profile(Lang::En).await;
}

/// A comment sheet sent to a member whose membership the secretary then
/// ends stays (unsigned) but can no longer be written: Sign on the
/// secretary's view of it says why (the member is no longer of the cell),
/// and the view loses its buttons.
#[tokio::test]
async fn a_sheet_of_a_member_whose_membership_ended_is_said_so_on_a_press() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    let sheet = h.sheet_sent_to_member(&secretary, membership).await;
    h.drain().await;
    let (_, opened) = h
        .press_data(&secretary, 1, &format!("so:{membership}"))
        .await;
    let view = opened.last().expect("the secretary's view").clone();
    let sign = label_of(&view, &format!("sg:{sheet}")).expect("a Sign button");

    let list = h.ask(&secretary, "/members").await;
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let card = opened.last().unwrap().clone();
    h.press(&secretary, &card, "Nghỉ hưu").await;
    let confirm = h.ask(&secretary, "Nghỉ hưu, về quê").await;
    h.press(&secretary, &confirm, "Xác nhận").await;
    assert_eq!(membership_of(&h, 300, "left").await, membership);
    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 1);

    let (answer, _) = h.press(&secretary, &view, &sign).await;
    assert!(
        says(
            answer.params["text"].as_str(),
            Lang::Vi,
            "sheet-member-gone"
        ),
        "{:?}",
        answer.params
    );
    let now = h.current(&view);
    assert!(now.button_texts().is_empty(), "{:?}", now.buttons());
    assert!(
        now.text
            .as_deref()
            .unwrap_or_default()
            .ends_with(&text_of(Lang::Vi, "sheet-member-gone")),
        "{:?}",
        now.text
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE state = 'signed'")
            .await,
        0
    );
}

/// A member in the middle of a report opens another cell's link (and
/// cancels the move, by its button, then by /cancel, then asks to move
/// after all) and a deputy secretary's code (and takes the post): each
/// time the report comes back where it was, photo and all, and is
/// submitted whole to the cell the member is still in. Before, the link
/// replaced the report: the kind, date, description and photo were lost.
async fn a_report_survives_links(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let second = vi_user(200, "Cường");
    let member = user_in(lang, 300, "An");
    let (code, first) = two_cells(&h, &secretary, &second, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, other_kind(lang)).await;
    let date = h.last(&member);
    h.press(&member, &date, &text_of(lang, "button-today"))
        .await;
    h.ask(&member, "Dọn vệ sinh khu phố").await;
    let photos = h
        .send_update(&member, |api| api.photo(&member, "AgACphoto1", None, None))
        .await
        .pop()
        .unwrap();
    let resumed = text_of(lang, "dialogue-resumed");

    // Another cell's link, the move cancelled.
    let asked = h.ask(&member, &format!("/start {code}")).await;
    assert!(says(asked.text.as_deref(), lang, "move-ask"), "{asked:?}");
    h.press(&member, &asked, &text_of(lang, "button-cancel"))
        .await;
    let cancelled = h.current(&asked).text.unwrap();
    assert!(
        says(Some(&cancelled), lang, "move-cancelled") && cancelled.ends_with(&resumed),
        "{cancelled}"
    );
    // Opened again, then /cancel.
    h.ask(&member, &format!("/start {code}")).await;
    let cancelled = h.ask(&member, "/cancel").await.text.unwrap();
    assert!(cancelled.ends_with(&resumed), "{cancelled}");
    // Opened again, the move asked for.
    let asked = h.ask(&member, &format!("/start {code}")).await;
    let (_, replies) = h
        .press(&member, &asked, &text_of(lang, "move-button-confirm"))
        .await;
    let summary = replies.last().unwrap();
    h.press(&member, summary, &text_of(lang, "button-confirm"))
        .await;
    let sent = h.current(summary).text.unwrap();
    assert!(
        says(Some(&sent), lang, "join-sent") && sent.ends_with(&resumed),
        "{sent}"
    );

    // A deputy secretary's code of the member's own cell, the post taken.
    let link = h.ask(&secretary, "/invite deputy").await.text.unwrap();
    let deputy = crate::committee::start_code(&link);
    h.ask(&member, &format!("/start {deputy}")).await;
    let taken = h.ask(&member, "Nguyễn Văn An").await.text.unwrap();
    assert!(
        says(Some(&taken), lang, "deputy-confirmed") && taken.ends_with(&resumed),
        "{taken}"
    );

    // The report goes on from its photos, the photo kept.
    h.press(&member, &photos, &photos.button_texts()[0]).await;
    let summary = h.last(&member);
    assert!(
        says(summary.text.as_deref(), lang, "report-summary")
            && summary
                .text
                .as_deref()
                .unwrap()
                .contains("Dọn vệ sinh khu phố"),
        "{summary:?}"
    );
    h.press(&member, &summary, &text_of(lang, "button-submit"))
        .await;
    let (membership, photo): (i64, String) = sqlx::query_as(
        "SELECT r.membership_id, p.file_id FROM reports r
         JOIN report_photos p ON p.report_id = r.id WHERE r.user_id = 300",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!((membership, photo.as_str()), (first, "AgACphoto1"));
    // The move still waits for the other cell's secretary.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'pending'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_report_in_progress_survives_links_opened_meanwhile() {
    a_report_survives_links(Lang::Vi).await;
}

#[tokio::test]
async fn a_report_in_progress_survives_links_opened_meanwhile_in_english() {
    a_report_survives_links(Lang::En).await;
}

/// A secretary who is no member of the cell, writing an announcement,
/// joins the cell through its member link: once the request is sent the
/// announcement's question comes back, and the text typed next is
/// previewed. Before, the link ended the announcement without a word.
async fn an_announcement_survives_a_join(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let asked = h.ask(&secretary, "/announce").await;
    assert!(
        says(asked.text.as_deref(), lang, "ask-announcement"),
        "{asked:?}"
    );
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let sent = h.current(&h.last(&secretary)).text.unwrap();
    assert!(sent.ends_with(&text_of(lang, "dialogue-resumed")), "{sent}");
    let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
    assert!(
        says(preview.text.as_deref(), lang, "announce-preview"),
        "{preview:?}"
    );
}

#[tokio::test]
async fn an_announcement_being_written_survives_joining_by_the_member_link() {
    an_announcement_survives_a_join(Lang::Vi).await;
    an_announcement_survives_a_join(Lang::En).await;
}

/// The secretary confirms the end of a member's membership while the
/// operator takes the seat away: the press passed its first check, and the
/// ending's own transaction judges it again. The membership stays, and the
/// former secretary is told they no longer hold the seat.
#[tokio::test]
async fn an_end_confirmed_as_the_seat_is_lost_ends_nothing() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let list = h.ask(&secretary, "/members").await;
    let (_, opened) = h.press(&secretary, &list, "1. Nguyễn Văn An").await;
    let card = opened.last().unwrap().clone();
    h.press(&secretary, &card, "Nghỉ hưu").await;
    let confirm = h.ask(&secretary, "Nghỉ hưu, về quê ở Hà Tĩnh").await;
    let data = confirm.button_data("Xác nhận").unwrap();
    let answers = h.api.answered_callbacks().len();

    // The operator's write holds the database while the press comes.
    let operator = h.hold_database().await;
    let update = h.api.callback(&secretary, confirm.message_id, &data);
    h.waits_to_write(update).await;
    assert_eq!(
        h.api.answered_callbacks().len(),
        answers,
        "the press waits for the database, past its first check"
    );
    operator
        .revoke(
            secretary.id,
            lienhe::store::committee::Role::Secretary { cell },
        )
        .await;
    h.handled(update).await;

    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'approved'")
            .await,
        1,
        "the membership stays"
    );
    let answer = h.api.answered_callbacks().pop().unwrap();
    let text = answer.str_param("text").unwrap_or_default().to_string();
    assert!(
        text.contains("Đồng chí không còn là bí thư Chi bộ khối 5"),
        "{text}"
    );
}

/// A member whose membership the secretary ended, sending /meetings or a
/// plain text, was told they had "not joined a residence cell yet", as if
/// they never had. They are told when and where it ended now, as /report
/// tells them.
#[tokio::test]
async fn an_ended_member_is_told_their_membership_ended_not_that_they_never_joined() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let id = membership_of(&h, 300, "approved").await;
        let list = h.ask(&secretary, "/members").await;
        let (_, opened) = h
            .press_data(&secretary, list.message_id, &format!("bo:{id}"))
            .await;
        let card = opened.last().unwrap().clone();
        h.press(&secretary, &card, &text_of(lang, "end-button-left-area"))
            .await;
        let confirm = h.ask(&secretary, "Chuyển về quê sinh sống").await;
        h.press(&secretary, &confirm, &text_of(lang, "button-confirm"))
            .await;
        h.drain().await;

        for asked in ["/meetings", "Xin chào"] {
            let reply = h.ask(&member, asked).await.text.unwrap_or_default();
            assert!(
                says(Some(&reply), lang, "membership-ended"),
                "{asked}: {reply}"
            );
            assert!(
                reply.contains("Chi bộ khối 5") && reply.contains("20/11/2026"),
                "{asked}: {reply}"
            );
        }
    }
}

/// /help, /start, an unknown command and a command refused (/pending) still
/// told a member whose membership ended "You have not joined a residence
/// cell here yet", while /report and a plain text told them it ended. They
/// say it ended too (in which cell, since when).
#[tokio::test]
async fn help_start_and_an_unknown_command_tell_an_ended_member_it_ended() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let id = membership_of(&h, 300, "approved").await;
        let list = h.ask(&secretary, "/members").await;
        let (_, opened) = h
            .press_data(&secretary, list.message_id, &format!("bo:{id}"))
            .await;
        let card = opened.last().unwrap().clone();
        h.press(&secretary, &card, &text_of(lang, "end-button-left-area"))
            .await;
        let confirm = h.ask(&secretary, "Chuyển về quê sinh sống").await;
        h.press(&secretary, &confirm, &text_of(lang, "button-confirm"))
            .await;
        h.drain().await;

        for asked in ["/help", "/start", "/baocao", "/pending"] {
            let reply = h.ask(&member, asked).await.text.unwrap_or_default();
            assert!(
                says(Some(&reply), lang, "membership-ended")
                    && reply.contains("Chi bộ khối 5")
                    && reply.contains("20/11/2026"),
                "{asked}: {reply}"
            );
            assert!(!says(Some(&reply), lang, "not-joined"), "{asked}: {reply}");
            let whole = asked != "/pending";
            assert_eq!(reply.contains("/mydata"), whole, "{asked}: {reply}");
        }
    }
    // One who never joined is still told how to join.
    let h = Harness::start().await;
    for asked in ["/help", "/pending"] {
        let reply = h.ask(&en_user(900, "Lan"), asked).await;
        assert!(
            says(reply.text.as_deref(), Lang::En, "not-joined"),
            "{reply:?}"
        );
    }
}

/// A rejected report being edited when the member's move is approved:
/// Submit sends it to the new cell as the resubmission (it was refused as
/// "can no longer be resubmitted" and the edited text lost).
#[tokio::test]
async fn a_resubmission_being_edited_when_the_move_is_approved_goes_to_the_new_cell() {
    let h = Harness::start().await;
    let old_secretary = vi_user(100, "Bình");
    let new_secretary = vi_user(200, "Cường");
    let member = vi_user(300, "An");
    let (code, _) = two_cells(&h, &old_secretary, &new_secretary, &member).await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm qua", "Họp tổ", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    h.press(&old_secretary, &h.last(&old_secretary), "❌ Từ chối")
        .await;
    h.ask(&old_secretary, "Chưa ghi rõ nội dung").await;
    let notice = h.last(&member);
    request_move(&h, &member, &code).await;
    let (_, opened) = h.press(&member, &notice, "✏️ Sửa và gửi lại").await;
    h.press(&member, opened.last().unwrap(), "Đổi nội dung")
        .await;
    let summary = h.ask(&member, "Họp tổ dân phố khối 5 bàn về vệ sinh").await;

    h.press(&new_secretary, &h.last(&new_secretary), "✅ Duyệt")
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    assert!(
        h.current(&summary)
            .text
            .unwrap()
            .contains("Đã gửi báo cáo số 2"),
        "{:?}",
        h.api.sent(member.id).last()
    );
    let card = h.last(&new_secretary).text.unwrap();
    assert!(
        card.contains("Họp tổ dân phố khối 5 bàn về vệ sinh")
            && card.contains("Gửi lại sau khi bị từ chối: Chưa ghi rõ nội dung"),
        "{card}"
    );
    let stored: (i64, String, i64) =
        sqlx::query_as("SELECT previous_id, status, cell_id FROM reports WHERE id = 2")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let new_cell: i64 = sqlx::query_scalar("SELECT id FROM cells WHERE name = 'Chi bộ khối 7'")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(stored, (1, "pending".into(), new_cell));
}

/// A member who moved twice (A → B → C) pressed Edit and resubmit under a
/// report A had rejected and was told they were "no longer a member of that
/// cell": the evidence follows the member along their moves. The
/// resubmission goes to the cell they are in now, once.
#[tokio::test]
async fn a_report_rejected_before_two_moves_is_resubmitted_to_the_cell_of_now() {
    let h = Harness::start().await;
    let first = vi_user(100, "Bình");
    let second = vi_user(200, "Cường");
    let third = vi_user(250, "Dũng");
    let member = vi_user(300, "An");
    let (code, _) = two_cells(&h, &first, &second, &member).await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let last_cell = h.cell(ward, "Chi bộ khối 9").await;
    h.make_secretary(&third, last_cell, "Đỗ Văn Dũng").await;
    let last_code = h.invite_code(&third).await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm qua", "Họp tổ", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    h.press(&first, &h.last(&first), "❌ Từ chối").await;
    h.ask(&first, "Chưa ghi rõ nội dung").await;
    let notice = h.last(&member);
    for (code, secretary) in [(&code, &second), (&last_code, &third)] {
        request_move(&h, &member, code).await;
        h.press(secretary, &h.last(secretary), "✅ Duyệt").await;
    }

    let (_, opened) = h.press(&member, &notice, "✏️ Sửa và gửi lại").await;
    let summary = opened.last().unwrap().clone();
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&third).text.unwrap();
    assert!(
        card.contains("Gửi lại sau khi bị từ chối: Chưa ghi rõ nội dung"),
        "{card}"
    );
    let stored: Vec<(i64, i64)> =
        sqlx::query_as("SELECT previous_id, cell_id FROM reports WHERE id > 1")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(stored, vec![(1, last_cell)]);
    // Once: the notice's button now says it was resubmitted.
    let (call, _) = h.press(&member, &notice, "✏️ Sửa và gửi lại").await;
    assert!(
        call.str_param("text")
            .is_some_and(|t| t.contains("báo cáo số 2")),
        "{call:?}"
    );
}

/// A member whose membership ended (here after a move: the new cell ended
/// it) got, for a report the old cell rejected afterwards, a notice with
/// Edit and resubmit, and a press of it (or of an older notice's) only said
/// resubmitting was "not possible". The notice comes without the button
/// now, and an older one pressed says the membership ended, where and when,
/// and loses its button.
#[tokio::test]
async fn a_rejection_after_the_membership_ended_offers_no_resubmission() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let first = vi_user(100, "Bình");
        let second = vi_user(200, "Cường");
        let member = user_in(lang, 300, "An");
        let (code, _) = two_cells(&h, &first, &second, &member).await;
        for text in ["Họp tổ", "Dọn vệ sinh"] {
            let summary = h
                .report_until_summary(
                    &member,
                    other_kind(lang),
                    &text_of(lang, "button-yesterday"),
                    text,
                    &[],
                )
                .await;
            h.press(&member, &summary, &text_of(lang, "button-submit"))
                .await;
        }
        let cards: Vec<Sent> = h
            .api
            .sent(first.id)
            .into_iter()
            .filter(|s| s.button_data("❌ Từ chối").is_some())
            .collect();
        h.press(&first, &cards[0], "❌ Từ chối").await;
        h.ask(&first, "Chưa ghi rõ nội dung").await;
        let notice = h.last(&member);
        // Moved to the second cell, which then ends the membership.
        let asked = h.ask(&member, &format!("/start {code}")).await;
        let (_, replies) = h
            .press(&member, &asked, &text_of(lang, "move-button-confirm"))
            .await;
        h.press(
            &member,
            replies.last().unwrap(),
            &text_of(lang, "button-confirm"),
        )
        .await;
        h.press(&second, &h.last(&second), "✅ Duyệt").await;
        let now_in = membership_of(&h, 300, "approved").await;
        let list = h.ask(&second, "/members").await;
        h.press_data(&second, list.message_id, &format!("el:{now_in}"))
            .await;
        let confirm = h.ask(&second, "Chuyển về quê sinh sống").await;
        h.press(&second, &confirm, "Xác nhận").await;

        // The old cell rejects the report still waiting there.
        h.press(&first, &cards[1], "❌ Từ chối").await;
        h.ask(&first, "Thiếu ảnh").await;
        h.drain().await;
        let late = h.last(&member);
        assert!(
            says(late.text.as_deref(), lang, "report-rejected"),
            "{late:?}"
        );
        assert!(late.buttons().is_empty(), "{late:?}");
        // The earlier notice's button says why it no longer works.
        let resubmit = text_of(lang, "resubmit-button");
        let (answer, opened) = h.press(&member, &notice, &resubmit).await;
        let said = answer.str_param("text").unwrap_or_default();
        assert!(
            says(Some(said), lang, "resubmit-membership-ended")
                && said.contains("Chi bộ khối 7")
                && said.contains("20/11/2026"),
            "{said}"
        );
        assert!(opened.is_empty(), "{opened:?}");
        assert!(h.current(&notice).buttons().is_empty());
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 2);
    }
}

/// A member whose membership the first cell ended, and who then joined
/// another cell afresh (not by a move), presses Edit and resubmit on a
/// rejection from the first cell: told the membership of that cell ended,
/// and when (not a generic "cannot be resubmitted"); the notice loses the
/// button.
#[tokio::test]
async fn a_rejection_from_a_cell_left_before_joining_another_afresh_says_it_ended() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let first = vi_user(100, "Bình");
        let second = vi_user(200, "Cường");
        let member = user_in(lang, 300, "An");
        let (code, old) = two_cells(&h, &first, &second, &member).await;
        let summary = h
            .report_until_summary(
                &member,
                other_kind(lang),
                &text_of(lang, "button-yesterday"),
                "Họp tổ",
                &[],
            )
            .await;
        h.press(&member, &summary, &text_of(lang, "button-submit"))
            .await;
        let card = h.last(&first);
        h.press(&first, &card, "❌ Từ chối").await;
        h.ask(&first, "Chưa ghi rõ nội dung").await;
        let notice = h.last(&member);
        // The first cell ends the membership; the member joins the second
        // afresh.
        let list = h.ask(&first, "/members").await;
        h.press_data(&first, list.message_id, &format!("el:{old}"))
            .await;
        let confirm = h.ask(&first, "Chuyển về quê sinh sống").await;
        h.press(&first, &confirm, "Xác nhận").await;
        h.request_join(&member, &code, "Nguyễn Văn An").await;
        h.press(&second, &h.last(&second), "✅ Duyệt").await;
        membership_of(&h, 300, "approved").await;

        let (answer, opened) = h
            .press(&member, &notice, &text_of(lang, "resubmit-button"))
            .await;
        let said = answer.str_param("text").unwrap_or_default();
        assert!(
            says(Some(said), lang, "resubmit-membership-ended")
                && said.contains("Chi bộ khối 5")
                && said.contains("20/11/2026"),
            "{said}"
        );
        assert!(opened.is_empty(), "{opened:?}");
        assert!(h.current(&notice).buttons().is_empty());
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
    }
}
