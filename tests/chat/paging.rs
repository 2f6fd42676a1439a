//! Long lists in one message: /status, /members, /sheets and /pending
//! paged with Previous / Next edited in place, the whole list as an XLSX,
//! and forged page presses refused.

use crate::common::*;

async fn workplace_id(h: &Harness, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM workplaces WHERE name = ?")
        .bind(name)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

fn text(s: &Sent) -> String {
    s.text.clone().unwrap_or_default()
}

/// The alert a button press was answered with.
fn alert(call: &Call) -> String {
    call.params["text"].as_str().unwrap_or_default().to_string()
}

async fn status_pages(lang: &str) {
    let h = Harness::start().await;
    let (secretary, member, officer) = if lang == "vi" {
        (
            vi_user(100, "Bình"),
            vi_user(300, "An"),
            vi_user(700, "Cán bộ"),
        )
    } else {
        (
            en_user(100, "Binh"),
            en_user(300, "An"),
            en_user(700, "Officer"),
        )
    };
    let (next, prev, xlsx, page1, page2) = if lang == "vi" {
        (
            "Sau ▶",
            "◀ Trước",
            "📄 Tải danh sách (XLSX)",
            "Trang 1/",
            "Trang 2/",
        )
    } else {
        (
            "Next ▶",
            "◀ Previous",
            "📄 Download the list (XLSX)",
            "Page 1/",
            "Page 2/",
        )
    };
    let cell = h.cell_with_member(&secretary, &member).await;
    let place = workplace_id(&h, "Sở Tư pháp tỉnh Nghệ An").await;
    let other = workplace_id(&h, "Trường THPT Huỳnh Thúc Kháng").await;
    insert_members(&h, cell, Some(place), 1000, 120, "approved").await;
    h.ask(&officer, &format!("/start {}", h.officer_code(place).await))
        .await;
    h.ask(&officer, "Lê Văn Cán").await;

    // 120 members and more: one message, not 88.
    let replies = h.say(&officer, "/status").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    let first = &replies[0];
    assert!(text(first).contains(page1), "{}", text(first));
    assert!(text(first).contains("Đảng viên 10"));
    let pages: usize = text(first)
        .rsplit_once(page1)
        .and_then(|(_, n)| n.trim().parse().ok())
        .expect("the number of pages");
    assert!(pages >= 3, "{pages}");
    assert!(text(first).chars().count() < 4096);
    assert_eq!(
        first.button_texts(),
        vec![next.to_string(), xlsx.to_string()]
    );

    // Next: the same message, edited in place.
    h.press(&officer, first, next).await;
    let now = h.current(first);
    assert!(text(&now).contains(page2), "{}", text(&now));
    assert_ne!(text(&now), text(first));
    assert_eq!(
        now.button_texts(),
        vec![prev.to_string(), next.to_string(), xlsx.to_string()]
    );
    // Previous and Next only edit: no new message.
    let sent_before = h.api.sent(700).len();
    h.press(&officer, &now, prev).await;
    assert!(text(&h.current(first)).contains(page1));
    assert_eq!(h.api.sent(700).len(), sent_before);

    // To the last page: no Next there.
    for _ in 1..pages {
        let shown = h.current(first);
        h.press(&officer, &shown, next).await;
    }
    let last = h.current(first);
    let last_page = format!("{}{pages}", page1.replace('1', &pages.to_string()));
    assert!(text(&last).contains(&last_page), "{}", text(&last));
    assert_eq!(
        last.button_texts(),
        vec![prev.to_string(), xlsx.to_string()]
    );

    // A page beyond the last, another workplace's list: refused.
    let year = 2026;
    let (answer, sent) = h
        .press_data(
            &officer,
            first.message_id,
            &format!("qs:s:{place}:{year}:9"),
        )
        .await;
    assert!(sent.is_empty());
    assert!(
        says(Some(&alert(&answer)), lang_of(&officer), "page-gone"),
        "{answer:?}"
    );
    let (answer, _) = h
        .press_data(
            &officer,
            first.message_id,
            &format!("qs:s:{other}:{year}:1"),
        )
        .await;
    assert!(
        says(Some(&alert(&answer)), lang_of(&officer), "not-allowed"),
        "{answer:?}"
    );
    let (answer, _) = h
        .press_data(&officer, first.message_id, &format!("qx:s:{other}:{year}"))
        .await;
    assert!(
        says(Some(&alert(&answer)), lang_of(&officer), "not-allowed"),
        "{answer:?}"
    );
    // Nor may the member press the officer's page buttons.
    let (answer, _) = h
        .press_data(&member, first.message_id, &format!("qs:s:{place}:{year}:1"))
        .await;
    assert!(
        says(Some(&alert(&answer)), lang_of(&member), "not-allowed"),
        "{answer:?}"
    );
    assert!(text(&h.current(first)).contains(&last_page));

    // The whole list as an XLSX.
    h.press(&officer, &last, xlsx).await;
    h.wait_documents(700, 1).await;
    let doc = h
        .api
        .sent(700)
        .into_iter()
        .find(|s| s.method == "senddocument")
        .unwrap();
    assert!(doc.file.as_deref().unwrap().ends_with(".xlsx"), "{doc:?}");
    let bytes = doc.document_bytes.unwrap();
    assert!(bytes.starts_with(b"PK"));
}

#[tokio::test]
async fn status_of_a_large_workplace_is_one_message_with_pages() {
    status_pages("vi").await;
}

#[tokio::test]
async fn status_of_a_large_workplace_is_one_message_with_pages_in_english() {
    status_pages("en").await;
}

#[tokio::test]
async fn members_and_sheets_of_a_large_cell_are_paged_with_their_buttons() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let place = workplace_id(&h, "Sở Tư pháp tỉnh Nghệ An").await;
    insert_members(&h, cell, Some(place), 1000, 50, "approved").await;

    let replies = h.say(&secretary, "/members").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    let list = &replies[0];
    assert!(text(list).contains("Trang 1/3"), "{}", text(list));
    let buttons = list.button_texts();
    assert_eq!(buttons.len(), 20 + 2, "{buttons:?}");
    // In Vietnamese alphabetical order: Đ comes before N.
    assert_eq!(buttons[0], "1. Đảng viên 1000");
    assert_eq!(buttons[1], "2. Đảng viên 1001");
    assert_eq!(buttons[20], "Sau ▶");
    h.press(&secretary, list, "Sau ▶").await;
    let second = h.current(list);
    assert!(text(&second).contains("Trang 2/3"));
    assert!(
        second
            .button_texts()
            .contains(&"21. Đảng viên 1020".to_string())
    );
    // A member's card still opens from the page.
    let (_, card) = h.press(&secretary, &second, "21. Đảng viên 1020").await;
    assert!(text(&card[0]).contains("Đảng viên 1020"), "{card:?}");
    // Another cell's list is refused.
    let (answer, _) = h
        .press_data(
            &secretary,
            list.message_id,
            &format!("qs:m:{}:0:1", cell + 1),
        )
        .await;
    assert!(says(
        Some(&alert(&answer)),
        lang_of(&secretary),
        "not-allowed"
    ));

    let replies = h.say(&secretary, "/sheets").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    let sheets = &replies[0];
    assert!(text(sheets).contains("Trang 1/3"), "{}", text(sheets));
    h.press(&secretary, sheets, "Sau ▶").await;
    h.press(&secretary, &h.current(sheets), "Sau ▶").await;
    let last = h.current(sheets);
    assert!(text(&last).contains("Trang 3/3"));
    assert!(!last.button_texts().contains(&"Sau ▶".to_string()));
    assert!(
        last.button_texts()
            .iter()
            .any(|b| b.contains("Đảng viên 1049")),
        "{:?}",
        last.button_texts()
    );
    assert!(
        last.button_texts()
            .iter()
            .any(|b| b.contains("Nguyễn Văn An")),
        "{:?}",
        last.button_texts()
    );
    h.press(&secretary, &last, "📄 Tải danh sách (XLSX)").await;
    h.wait_documents(100, 1).await;
}

#[tokio::test]
async fn pending_with_many_items_sends_ten_cards_and_the_whole_queue_paged() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = en_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let place = workplace_id(&h, "Sở Tư pháp tỉnh Nghệ An").await;
    insert_members(&h, cell, Some(place), 2000, 45, "pending").await;

    let replies = h.say(&secretary, "/pending").await;
    // The header, ten cards, the paged list.
    assert_eq!(replies.len(), 12, "{replies:?}");
    assert_eq!(replies[1].button_texts(), vec!["✅ Approve", "❌ Reject"]);
    let list = &replies[11];
    assert!(
        text(list).contains("all 45 pending items"),
        "{}",
        text(list)
    );
    assert!(text(list).contains("Page 1/2"), "{}", text(list));
    h.press(&secretary, list, "Next ▶").await;
    let second = h.current(list);
    assert!(
        text(&second).contains("45. [Join request] Đảng viên 2044"),
        "{}",
        text(&second)
    );
    assert!(text(&second).contains("Page 2/2"));
    h.press(&secretary, &second, "📄 Download the list (XLSX)")
        .await;
    h.wait_documents(100, 1).await;
    // Someone who decides nowhere is refused.
    let (answer, _) = h
        .press_data(&member, list.message_id, &format!("qs:p:{cell}:0:0"))
        .await;
    assert!(says(Some(&alert(&answer)), lang_of(&member), "not-allowed"));
}

/// The secretary pages through /pending while everything in it is decided
/// (by the deputy, from another chat): the page pressed says nothing waits
/// any more, not "all 0 pending items (the first 10 … shown above)".
#[tokio::test]
async fn a_pending_list_decided_meanwhile_says_nothing_waits() {
    for lang in [lienhe::domain::Lang::Vi, lienhe::domain::Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        insert_members(&h, cell, None, 2000, 45, "pending").await;
        let list = h.say(&secretary, "/pending").await.pop().unwrap();
        h.press(&secretary, &list, &text_of(lang, "page-next"))
            .await;
        sqlx::query("UPDATE memberships SET status = 'approved' WHERE status = 'pending'")
            .execute(&h.pool)
            .await
            .unwrap();
        let shown = h.current(&list);
        let (_, sent) = h
            .press(&secretary, &shown, &text_of(lang, "page-prev"))
            .await;
        assert!(sent.is_empty(), "{sent:?}");
        let now = h.current(&list);
        assert!(
            says(now.text.as_deref(), lang, "pending-none-in-cell")
                && text(&now).contains("Chi bộ khối 5"),
            "{lang:?}: {now:?}"
        );
        assert!(now.buttons().is_empty(), "{:?}", now.buttons());
    }
}

/// Members whose names are written in a fancy font's letters (accepted
/// as names; each two of Telegram's units): every page of /members keeps
/// its page line and every line, none cut off unseen.
#[tokio::test]
async fn members_with_wide_letters_are_paged_without_losing_lines() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    insert_members(&h, cell, None, 1000, 45, "approved").await;
    let bold = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'A'..='Z' => char::from_u32(0x1D400 + (c as u32 - 'A' as u32)).unwrap(),
                'a'..='z' => char::from_u32(0x1D41A + (c as u32 - 'a' as u32)).unwrap(),
                c => c,
            })
            .collect()
    };
    for id in 1000..1045 {
        let name = bold(&format!(
            "Nguyen Thi Hoang Phuong Thanh Xuan Quynh Mai Lan Huong {}",
            numbered_name("Ngoc", id as u64).replace("Ngoc ", "")
        ));
        let name = lienhe::domain::membership::clean_full_name(&name).expect("a name");
        sqlx::query("UPDATE memberships SET full_name = ? WHERE user_id = ?")
            .bind(&name)
            .bind(id)
            .execute(&h.pool)
            .await
            .unwrap();
    }
    let list = h.ask(&secretary, "/members").await;
    let mut page = list.clone();
    let mut seen = 0;
    for i in 0..10 {
        let t = text(&page);
        assert!(
            t.encode_utf16().count() <= 4096 && !t.ends_with('…'),
            "page {i} cut"
        );
        assert!(t.contains("Trang "), "page {i} lost its page line");
        seen += t.lines().filter(|l| l.contains("𝐍𝐠𝐮𝐲𝐞𝐧")).count();
        if page.button_data("Sau ▶").is_none() {
            break;
        }
        h.press(&secretary, &page, "Sau ▶").await;
        page = h.current(&list);
    }
    assert_eq!(seen, 45);
}

/// Enough workplaces that the member types part of the name.
async fn many_workplaces(h: &Harness) {
    for i in 1..=20 {
        h.workplace(&format!("Ủy ban nhân dân xã số {i:02}")).await;
    }
}

#[tokio::test]
async fn workplace_search_ignores_accents_at_join_and_in_profile() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    many_workplaces(&h).await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let asked = h.ask(&member, "Bỏ qua").await;
    assert!(says(asked.text.as_deref(), lang_of(&member), "search-ask"));
    let found = h.ask(&member, "so tu phap").await;
    assert_eq!(
        found.button_texts(),
        vec!["Sở Tư pháp tỉnh Nghệ An", "Cơ quan khác…"]
    );
    h.press(&member, &found, "Sở Tư pháp tỉnh Nghệ An").await;
    let introduced = h.last(&member);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(&member, &introduced, &this_month).await;
    let summary = h.last(&member).text.unwrap();
    assert!(summary.contains("Sở Tư pháp tỉnh Nghệ An"), "{summary}");
    h.press(&member, &h.last(&member), "Xác nhận").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;

    // /profile: "đ" folds to "d", the order of the words matters not for
    // the accents.
    let shown = h.ask(&member, "/profile").await;
    let (_, picker) = h.press(&member, &shown, "Đổi cơ quan").await;
    let picker = picker.last().unwrap().clone();
    assert_eq!(picker.button_texts(), vec!["Cơ quan khác…"]);
    let none = h.ask(&member, "benh vien").await;
    assert!(says(none.text.as_deref(), lang_of(&member), "search-none"));
    let found = h.ask(&member, "uy ban xa so 07").await;
    assert_eq!(
        found.button_texts(),
        vec!["Ủy ban nhân dân xã số 07", "Cơ quan khác…"]
    );
    h.press(&member, &found, "Ủy ban nhân dân xã số 07").await;
    assert_eq!(
        h.last(&member).text.unwrap(),
        "Đã cập nhật cơ quan, đơn vị công tác: Ủy ban nhân dân xã số 07."
    );
}

#[tokio::test]
async fn workplace_search_in_english() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    many_workplaces(&h).await;
    let secretary = en_user(100, "Binh");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = en_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let asked = h.ask(&member, "Skip").await;
    assert!(says(asked.text.as_deref(), lang_of(&member), "search-ask"));
    let found = h.ask(&member, "SO TU PHAP nghe").await;
    assert!(says(
        found.text.as_deref(),
        lang_of(&member),
        "search-found"
    ));
    assert_eq!(
        found.button_texts(),
        vec!["Sở Tư pháp tỉnh Nghệ An", "Other…"]
    );
    let many = h.ask(&member, "uy ban").await;
    assert!(says(many.text.as_deref(), lang_of(&member), "search-many"));
    // "Other…" still leads to typing the full name.
    h.press(&member, &many, "Other…").await;
    assert!(says(
        h.last(&member).text.as_deref(),
        lang_of(&member),
        "ask-workplace-name"
    ));
}

/// "Page 2/3" as the reader's language writes it.
fn page_of(lang: lienhe::domain::Lang, page: u32, pages: u32) -> String {
    match lang {
        lienhe::domain::Lang::Vi => format!("Trang {page}/{pages}"),
        lienhe::domain::Lang::En => format!("Page {page}/{pages}"),
    }
}

/// No call the bot made since `from` was refused by Telegram (a "message
/// is not modified" among them), but the decisions sent to the members
/// inserted straight into the database (they never started the bot).
fn none_refused(h: &Harness, from: usize) {
    let refused: Vec<Call> = h
        .api
        .calls()
        .into_iter()
        .skip(from)
        .filter(|c| !c.response_ok && c.method != "getupdates")
        .filter(|c| !(c.method == "sendmessage" && c.params["chat_id"].as_i64() >= Some(1000)))
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}

/// A secretary pages /members while the list changes under them: Next
/// tapped twice at once (both presses carry the first page) shows the
/// second page once, each press answered, nothing refused by Telegram;
/// 35 members leave, and Next pressed on the page shown (its page 3 gone)
/// says so and shows the list as it is now in its place (before, the
/// stale page 2/3 stayed).
async fn members_paged_while_the_list_changes(lang: lienhe::domain::Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    insert_members(&h, cell, None, 1000, 50, "approved").await;
    let list = h.say(&secretary, "/members").await.pop().unwrap();
    assert!(
        text(&list).contains(&page_of(lang, 1, 3)),
        "{}",
        text(&list)
    );
    let next = list.button_data(&text_of(lang, "page-next")).expect("Next");

    let from = h.api.call_count();
    let answered = h.api.answered_callbacks().len();
    let taps = [
        h.api.callback(&secretary, list.message_id, &next),
        h.api.callback(&secretary, list.message_id, &next),
    ];
    for tap in taps {
        h.handled(tap).await;
    }
    assert_eq!(h.api.answered_callbacks().len(), answered + 2);
    let second = h.current(&list);
    assert!(
        text(&second).contains(&page_of(lang, 2, 3)),
        "{lang:?}: {}",
        text(&second)
    );
    none_refused(&h, from);

    // 35 leave: 16 members, one page.
    sqlx::query(
        "UPDATE memberships SET status = 'left', ended_at = '2026-11-20T03:00:00Z'
         WHERE user_id BETWEEN 1000 AND 1034",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    let (answer, sent) = h
        .press(&secretary, &second, &text_of(lang, "page-next"))
        .await;
    assert!(sent.is_empty(), "{sent:?}");
    assert!(
        says(Some(&alert(&answer)), lang, "page-gone"),
        "{lang:?}: {answer:?}"
    );
    // The list as it is now took the stale page's place.
    let now = h.current(&list);
    let shown = text(&now);
    assert!(!shown.contains(&page_of(lang, 1, 1)), "{lang:?}: {shown}");
    for n in 1035..1050 {
        assert!(
            shown.contains(&format!("Đảng viên {n}")),
            "{lang:?}: {shown}"
        );
    }
    for n in 1000..1035 {
        assert!(
            !shown.contains(&format!("Đảng viên {n}")),
            "{lang:?}: {shown}"
        );
    }
    assert!(shown.contains("Nguyễn Văn An"), "{lang:?}: {shown}");
    // Pressed again on it, nothing to change: no edit Telegram refuses.
    let (answer, _) = h
        .press(&secretary, &second, &text_of(lang, "page-prev"))
        .await;
    assert!(
        says(Some(&alert(&answer)), lang, "page-gone") || alert(&answer).is_empty(),
        "{answer:?}"
    );
    none_refused(&h, from);
}

#[tokio::test]
async fn members_paged_while_the_list_changes_in_vietnamese() {
    members_paged_while_the_list_changes(lienhe::domain::Lang::Vi).await;
}

#[tokio::test]
async fn members_paged_while_the_list_changes_in_english() {
    members_paged_while_the_list_changes(lienhe::domain::Lang::En).await;
}

/// The secretary pages the queue of /pending (Next tapped twice) while
/// approving the ten join cards sent with it, all at once: every press
/// answered, nothing refused by Telegram, and the list shown counts what
/// waits now. Before, Next landing after the approvals (35 left: one page)
/// was told the page was gone and the message went on showing "all 45
/// pending items" with a Next leading nowhere.
async fn pending_paged_while_its_items_are_decided(lang: lienhe::domain::Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    insert_members(&h, cell, None, 2000, 45, "pending").await;
    let replies = h.say(&secretary, "/pending").await;
    let list = replies.last().unwrap().clone();
    let cards: Vec<Sent> = replies
        .iter()
        .filter(|s| s.button_data(&text_of(lang, "button-approve")).is_some())
        .cloned()
        .collect();
    assert_eq!(cards.len(), 10, "{replies:?}");
    let next = list.button_data(&text_of(lang, "page-next")).expect("Next");

    let from = h.api.call_count();
    let mut presses: Vec<i64> = cards
        .iter()
        .map(|card| {
            let approve = card.button_data(&text_of(lang, "button-approve")).unwrap();
            h.api.callback(&secretary, card.message_id, &approve)
        })
        .collect();
    presses.push(h.api.callback(&secretary, list.message_id, &next));
    presses.push(h.api.callback(&secretary, list.message_id, &next));
    for press in presses {
        h.handled(press).await;
    }
    h.quiet().await;
    none_refused(&h, from);
    let waiting = h
        .count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
        .await;
    assert_eq!(waiting, 35);
    // The queue as it is now (one page) took the stale page's place.
    let now = text(&h.current(&list));
    assert!(
        says(Some(&now), lang, "page-pending-summary") && now.contains(" 35 "),
        "{lang:?}: {now}"
    );
    let lines = now.lines().filter(|l| l.contains("Đảng viên 20")).count();
    assert_eq!(lines, 35, "{lang:?}: {now}");
    for card in &cards {
        let card = h.current(card);
        assert!(card.buttons().is_empty(), "{lang:?}: {card:?}");
    }
    none_refused(&h, from);
}

#[tokio::test]
async fn pending_paged_while_its_items_are_decided_in_vietnamese() {
    pending_paged_while_its_items_are_decided(lienhe::domain::Lang::Vi).await;
}

#[tokio::test]
async fn pending_paged_while_its_items_are_decided_in_english() {
    pending_paged_while_its_items_are_decided(lienhe::domain::Lang::En).await;
}

/// The alert a press got, and that it sent nothing (no document, no
/// message).
async fn pressed_alone(h: &Harness, user: &TgUser, message: &Sent, label: &str) -> String {
    let (answer, sent) = h.press(user, message, label).await;
    assert!(sent.is_empty(), "{label}: {sent:?}");
    alert(&answer)
}

/// A long list paged by one whose role over it was taken away since the
/// list was sent (an officer of its workplace, an administrator of its
/// ward, the secretary of its cell): ◀ / ▶ and the XLSX were answered
/// "You are not allowed to do this.", while the list's other buttons (a
/// member's card, a cell's) said they were no longer its secretary,
/// officer or administrator. Every press of the list now says so, naming
/// the workplace, ward or cell, and sends no page and no file; the
/// secretary's list loses its buttons as the committee's cards do. Anyone
/// else pressing them is still not allowed.
async fn lists_paged_after_the_role_went(lang: lienhe::domain::Lang) {
    use lienhe::cli::{Admin, InviteCommand, RoleCommand, RoleName};
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let officer = user_in(lang, 700, "Cán");
    let admin = user_in(lang, 701, "Quản");
    let cell = h.cell_with_member(&secretary, &member).await;
    let place = workplace_id(&h, "Sở Tư pháp tỉnh Nghệ An").await;
    let (ward, ward_name, cell_name): (i64, String, String) = sqlx::query_as(
        "SELECT w.id, w.name, c.name FROM cells c JOIN wards w ON w.id = c.ward_id WHERE c.id = ?",
    )
    .bind(cell)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    insert_members(&h, cell, Some(place), 1000, 50, "approved").await;
    h.ask(&officer, &format!("/start {}", h.officer_code(place).await))
        .await;
    h.ask(&officer, "Lê Văn Cán").await;
    let out = h
        .admin(Admin::Invite {
            command: InviteCommand::WardAdmin { ward },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    h.ask(&admin, &format!("/start {code}")).await;
    for i in 1..=24 {
        h.cell(ward, &format!("Chi bộ tổ {i:02}")).await;
    }
    let (next, xlsx) = (text_of(lang, "page-next"), text_of(lang, "page-xlsx"));
    let status = h.say(&officer, "/status").await.pop().unwrap();
    let members = h.say(&secretary, "/members").await.pop().unwrap();
    let cells = h.ask(&admin, "/cells").await;
    for list in [&status, &members, &cells] {
        assert!(list.button_data(&next).is_some(), "{lang:?}: {list:?}");
    }

    h.revoke_officer(&officer, place).await;
    for (user, role, workplace, ward, cell) in [
        (admin.id, RoleName::WardAdmin, None, Some(ward), None),
        (secretary.id, RoleName::Secretary, None, None, Some(cell)),
    ] {
        let out = h
            .admin(Admin::Role {
                command: RoleCommand::Revoke {
                    user,
                    role,
                    workplace,
                    ward,
                    cell,
                },
            })
            .await;
        assert!(out.ends_with("revoked"), "{out}");
    }
    let documents = |user: &TgUser| {
        h.api
            .sent(user.id)
            .iter()
            .filter(|s| s.method == "senddocument")
            .count()
    };

    let gone = lienhe::t!(
        lang,
        "officer-role-gone",
        workplace = "Sở Tư pháp tỉnh Nghệ An"
    );
    for label in [&next, &xlsx] {
        assert_eq!(pressed_alone(&h, &officer, &status, label).await, gone);
    }
    assert_eq!(h.current(&status).buttons(), status.buttons(), "kept");
    let gone = lienhe::t!(lang, "ward-admin-role-gone", ward = ward_name.as_str());
    for label in [&next, &xlsx] {
        assert_eq!(pressed_alone(&h, &admin, &cells, label).await, gone);
    }
    let gone = lienhe::t!(
        lang,
        "committee-role-gone",
        role = "secretary",
        cell = cell_name.as_str()
    );
    assert_eq!(pressed_alone(&h, &secretary, &members, &next).await, gone);
    assert!(h.current(&members).buttons().is_empty(), "{lang:?}");
    for user in [&officer, &admin, &secretary] {
        assert_eq!(documents(user), 0, "{lang:?}: no list sent");
    }
    // Someone who never had the list: not allowed, as before.
    let (answer, _) = h
        .press_data(
            &member,
            status.message_id,
            &status.button_data(&next).unwrap(),
        )
        .await;
    assert!(
        says(Some(&alert(&answer)), lang, "not-allowed"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn lists_paged_after_the_role_went_say_so_in_vietnamese() {
    lists_paged_after_the_role_went(lienhe::domain::Lang::Vi).await;
}

#[tokio::test]
async fn lists_paged_after_the_role_went_say_so_in_english() {
    lists_paged_after_the_role_went(lienhe::domain::Lang::En).await;
}
