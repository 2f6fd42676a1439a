//! Ward administrators (issue 11): an operator's one-time code makes a
//! user administrator of a ward, who runs the ward's cells in chat:
//! /cells (paged, with Add cell and per cell Invite secretary and Rename),
//! /cells import of a file of cell names (previewed, imported once or
//! cancelled; bad files refused without harm), the ward's /stats and
//! /export; the ward's administrators are told once when an introduced
//! person chooses the ward and it has no cell. Every new action is
//! refused to every other role and to forged data.

use lienhe::{
    cli::{Admin, InviteCommand, RoleCommand, RoleName},
    domain::Lang,
};

use crate::common::*;

const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A message of the locale files without variables.
fn tr(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

fn text(s: &Sent) -> String {
    s.text.clone().unwrap_or_default()
}

fn alert(answer: &Call) -> String {
    answer.params["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn ward_admin_code(h: &Harness, ward: i64) -> String {
    let out = h
        .admin(Admin::Invite {
            command: InviteCommand::WardAdmin { ward },
        })
        .await;
    out.lines().last().unwrap().to_string()
}

/// `/start CODE` with a ward administrator's code: the reply.
async fn make_ward_admin(h: &Harness, user: &TgUser, ward: i64) -> Sent {
    let code = ward_admin_code(h, ward).await;
    h.ask(user, &format!("/start {code}")).await
}

struct World {
    ward: i64,
    cell: i64,
    other_ward: i64,
    other_cell: i64,
    secretary: TgUser,
    member: TgUser,
    admin: TgUser,
}

/// "Phường Hưng Dũng" (ward 1) with "Chi bộ khối 5" (its secretary
/// Trần Thị Bình and one approved member), "Phường Bến Thủy" with
/// "Chi bộ khối 7"; user 700 administrator of ward 1 through the chat.
async fn world(h: &Harness, en: bool) -> World {
    let user = if en { en_user } else { vi_user };
    let (secretary, member, admin) = (user(100, "Bình"), user(300, "An"), user(700, "Quản"));
    let cell = h.cell_with_member(&secretary, &member).await;
    let other_ward = h.ward("Phường Bến Thủy").await;
    let other_cell = h.cell(other_ward, "Chi bộ khối 7").await;
    let reply = make_ward_admin(h, &admin, 1).await;
    assert!(
        says(
            reply.text.as_deref(),
            lang_of(&admin),
            "ward-admin-confirmed"
        ),
        "{reply:?}"
    );
    assert!(text(&reply).contains("Phường Hưng Dũng"), "{reply:?}");
    // The help that follows names the new commands; so does the chat's menu.
    assert!(text(&reply).contains("/cells import"), "{reply:?}");
    let menu = h
        .api
        .calls_of("setMyCommands")
        .into_iter()
        .rfind(|c| c.params["scope"]["chat_id"] == admin.id)
        .expect("the administrator's menu");
    let commands: Vec<&str> = menu.params["commands"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["command"].as_str())
        .collect();
    for want in ["cells", "stats", "export"] {
        assert!(commands.contains(&want), "{commands:?}");
    }
    World {
        ward: 1,
        cell,
        other_ward,
        other_cell,
        secretary,
        member,
        admin,
    }
}

async fn cells_in(h: &Harness, ward: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM cells WHERE ward_id = ?")
        .bind(ward)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

async fn audited(h: &Harness, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?")
        .bind(action)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// The deep link's code in a message.
fn start_code(s: &Sent) -> String {
    let body = text(s);
    let at = body.find("?start=").expect("a deep link") + "?start=".len();
    body[at..].split_whitespace().next().unwrap().to_string()
}

// ------------------------------------------------------------ /cells

async fn lists_adds_renames_and_invites_a_secretary(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    insert_members(&h, w.cell, None, 500, 1, "pending").await;
    // The role is stored and audited.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM ward_admins WHERE ward_id = 1 AND user_id = 700")
            .await,
        1
    );
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'grant_role'
             AND json_extract(details, '$.role') = 'ward_admin'
             AND json_extract(details, '$.ward') = 1 AND subject_id = 700"
        )
        .await,
        1
    );
    let help = text(&h.ask(&w.admin, "/help").await);
    assert!(says(Some(&help), lang, "ward-admin-help"), "{help}");

    // The list: secretary, deputy, members, pending items.
    let list = h.ask(&w.admin, "/cells").await;
    let body = text(&list);
    let want = if en {
        [
            "Cells of Phường Hưng Dũng: 1",
            "1. Chi bộ khối 5 — secretary: Trần Thị Bình; deputy: none; members: 1; pending: 1 join request, 0 reports",
        ]
    } else {
        [
            "Chi bộ của Phường Hưng Dũng: 1",
            "1. Chi bộ khối 5 — bí thư: Trần Thị Bình; phó bí thư: chưa có; đảng viên: 1; chờ duyệt: 1 yêu cầu tham gia, 0 báo cáo",
        ]
    };
    for want in want {
        assert!(body.contains(want), "{body}");
    }
    let (add, import) = (
        tr(lang, "ward-cells-button-add"),
        tr(lang, "ward-cells-button-import"),
    );
    assert_eq!(
        list.button_texts(),
        ["⚙ Chi bộ khối 5".to_string(), add.clone(), import]
    );

    // Add cell: wrong names are refused and the name asked again.
    let (_, asked) = h.press(&w.admin, &list, &add).await;
    assert!(
        says(
            asked.last().and_then(|s| s.text.as_deref()),
            lang,
            "ward-cell-ask-name"
        ),
        "{asked:?}"
    );
    let reply = h.ask(&w.admin, "X").await;
    assert!(says(
        reply.text.as_deref(),
        lang,
        "ward-cell-name-too-short"
    ));
    let reply = h.ask(&w.admin, &"ê".repeat(121)).await;
    assert!(says(reply.text.as_deref(), lang, "ward-cell-name-too-long"));
    let reply = h
        .send_update(&w.admin, |api| api.sticker(&w.admin))
        .await
        .pop()
        .expect("a reply to a sticker");
    // Not text at all: said so, and the name asked again.
    assert!(says(reply.text.as_deref(), lang, "error-expect-text"));
    assert!(says(reply.text.as_deref(), lang, "ward-cell-name-empty"));
    let reply = h.ask(&w.admin, "chi bộ  KHỐI 5").await;
    assert!(
        says(reply.text.as_deref(), lang, "ward-cell-name-duplicate"),
        "{reply:?}"
    );
    assert!(text(&reply).contains("\"Chi bộ khối 5\""), "{reply:?}");
    assert_eq!(cells_in(&h, w.ward).await, 1);
    let added = h.ask(&w.admin, "  Chi bộ   khối 6 ").await;
    assert!(
        says(added.text.as_deref(), lang, "ward-cell-added"),
        "{added:?}"
    );
    assert!(text(&added).contains("Chi bộ khối 6"));
    assert_eq!(cells_in(&h, w.ward).await, 2);
    // The operator's cells (`admin cell add`) are audited too, without an
    // actor; this one is the ward administrator's.
    let by_admin: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'add_cell' AND actor = ?",
    )
    .bind(w.admin.id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(by_admin, 1);
    // The dialogue is over: a text now is no name.
    let idle = h.ask(&w.admin, "Chi bộ khối 66").await;
    assert!(
        says(idle.text.as_deref(), lang, "ward-admin-idle"),
        "{idle:?}"
    );
    assert_eq!(cells_in(&h, w.ward).await, 2);

    // Rename: the same checks; the other cell's name is refused.
    let rename = tr(lang, "ward-cell-button-rename");
    let (_, asked) = h.press(&w.admin, &added, &rename).await;
    assert!(says(
        asked.last().and_then(|s| s.text.as_deref()),
        lang,
        "ward-cell-ask-rename"
    ));
    let reply = h.ask(&w.admin, "Chi bộ khối 5").await;
    assert!(says(
        reply.text.as_deref(),
        lang,
        "ward-cell-name-duplicate"
    ));
    let reply = h.ask(&w.admin, "Chi bộ khối 6A").await;
    assert!(
        says(reply.text.as_deref(), lang, "ward-cell-renamed"),
        "{reply:?}"
    );
    assert!(text(&reply).contains("\"Chi bộ khối 6\""));
    assert!(text(&reply).contains("\"Chi bộ khối 6A\""));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cells WHERE name = 'Chi bộ khối 6A' AND ward_id = 1")
            .await,
        1
    );
    assert_eq!(audited(&h, "rename_cell").await, 1);

    // Invite secretary: a single-use link valid 7 days.
    let invite = tr(lang, "ward-cell-button-invite");
    let (_, replies) = h.press(&w.admin, &added, &invite).await;
    let link = replies.last().cloned().expect("the link");
    assert!(
        says(link.text.as_deref(), lang, "ward-cell-secretary-link"),
        "{link:?}"
    );
    assert!(
        text(&link).contains("https://t.me/lienhe_test_bot?start="),
        "{link:?}"
    );
    assert!(text(&link).contains("27/11/2026 10:00"), "{link:?}");
    assert!(!says(
        link.text.as_deref(),
        lang,
        "ward-cell-secretary-handover"
    ));
    let code = start_code(&link);
    let user = if en { en_user } else { vi_user };
    let new_secretary = user(800, "Giang");
    h.ask(&new_secretary, &format!("/start {code}")).await;
    let done = h.ask(&new_secretary, "Lê Văn Giang").await;
    assert!(
        says(done.text.as_deref(), lang, "secretary-confirmed"),
        "{done:?}"
    );
    assert!(text(&done).contains("Chi bộ khối 6A"), "{done:?}");
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM cell_secretaries s JOIN cells c ON c.id = s.cell_id
             WHERE c.name = 'Chi bộ khối 6A' AND s.user_id = 800"
        )
        .await,
        1
    );
    // Single use.
    let late = h.ask(&user(801, "Hải"), &format!("/start {code}")).await;
    assert!(says(late.text.as_deref(), lang, "invite-used"), "{late:?}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cell_secretaries WHERE user_id = 801")
            .await,
        0
    );

    // The list shows the new secretary; the card of a cell that has a
    // secretary gives a handover code.
    let list = h.ask(&w.admin, "/cells").await;
    let body = text(&list);
    let line = if en {
        "2. Chi bộ khối 6A — secretary: Lê Văn Giang; deputy: none; members: 0"
    } else {
        "2. Chi bộ khối 6A — bí thư: Lê Văn Giang; phó bí thư: chưa có; đảng viên: 0"
    };
    assert!(body.contains(line), "{body}");
    let (_, card) = h.press(&w.admin, &list, "⚙ Chi bộ khối 5").await;
    let card = card.last().cloned().expect("the card");
    assert!(
        says(card.text.as_deref(), lang, "ward-cell-card"),
        "{card:?}"
    );
    assert!(text(&card).contains("Trần Thị Bình"));
    let (_, replies) = h.press(&w.admin, &card, &invite).await;
    let handover = replies.last().cloned().expect("the link");
    assert!(
        says(
            handover.text.as_deref(),
            lang,
            "ward-cell-secretary-handover"
        ),
        "{handover:?}"
    );
    // The secretary and the member are untouched.
    let _ = (&w.secretary, &w.member);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cell_secretaries WHERE user_id = 100")
            .await,
        1
    );
}

#[tokio::test]
async fn ward_admin_lists_adds_renames_and_invites_a_secretary_vi() {
    lists_adds_renames_and_invites_a_secretary(false).await;
}

#[tokio::test]
async fn ward_admin_lists_adds_renames_and_invites_a_secretary_en() {
    lists_adds_renames_and_invites_a_secretary(true).await;
}

/// A cell added by mistake is removed (asked first; Keep shows the card
/// again); its invite link no longer opens and a join request being filled
/// in for it is refused with the reason; a cell with members or a
/// committee stays.
async fn removes_a_cell_added_by_mistake(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    let card = h.ask(&w.admin, "Chi bộ khối 9").await;
    let mistake: i64 = h
        .count("SELECT id FROM cells WHERE name = 'Chi bộ khối 9'")
        .await;
    // Somebody opens the secretary link made for it and starts joining.
    let (_, replies) = h
        .press(&w.admin, &card, &tr(lang, "ward-cell-button-invite"))
        .await;
    let code = start_code(replies.last().unwrap());
    let late = if en {
        en_user(800, "Late")
    } else {
        vi_user(800, "Muộn")
    };
    let asked = h.ask(&late, &format!("/start {code}")).await;
    assert!(asked.text.is_some());

    // Remove, then Keep: the card again, nothing removed.
    let remove = tr(lang, "ward-cell-button-remove");
    h.press(&w.admin, &card, &remove).await;
    let question = h.current(&card);
    assert!(
        says(question.text.as_deref(), lang, "ward-cell-remove-ask")
            && text(&question).contains("Chi bộ khối 9"),
        "{question:?}"
    );
    h.press(&w.admin, &question, &tr(lang, "ward-cell-button-remove-no"))
        .await;
    let again = h.current(&card);
    assert!(
        says(again.text.as_deref(), lang, "ward-cell-card"),
        "{again:?}"
    );
    assert!(again.button_texts().contains(&remove));
    assert_eq!(cells_in(&h, w.ward).await, 2);

    // Remove, confirmed.
    h.press(&w.admin, &again, &remove).await;
    let (answer, _) = h
        .press(
            &w.admin,
            &h.current(&card),
            &tr(lang, "ward-cell-button-remove-yes"),
        )
        .await;
    assert!(says(Some(&alert(&answer)), lang, "ward-cell-removed"));
    let done = h.current(&card);
    assert!(
        says(done.text.as_deref(), lang, "ward-cell-removed") && done.buttons().is_empty(),
        "{done:?}"
    );
    assert_eq!(cells_in(&h, w.ward).await, 1);
    assert_eq!(audited(&h, "remove_cell").await, 1);
    let invites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invites WHERE cell_id = ?")
        .bind(mistake)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(invites, 0);
    // A second confirmation (a redelivery, a stale card): nothing more,
    // and it says the cell was removed.
    let (answer, _) = h
        .press_data(&w.admin, card.message_id, &format!("hk:{mistake}"))
        .await;
    assert!(
        says(Some(&alert(&answer)), lang, "ward-cell-gone"),
        "{answer:?}"
    );
    assert_eq!(audited(&h, "remove_cell").await, 1);

    // The next cell added, and the next link made (here the secretary's
    // /invite), take new ids: nothing old names them.
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    h.ask(&w.admin, "Chi bộ khối 10").await;
    let next: i64 = h
        .count("SELECT id FROM cells WHERE name = 'Chi bộ khối 10'")
        .await;
    assert!(next > mistake, "{next} after {mistake}");
    h.invite_code(&w.secretary).await;
    // Whoever opened the secretary link before is told it is no longer
    // valid when they answer; nothing is stored.
    let reply = h.ask(&late, "Nguyễn Văn Muộn").await;
    assert!(
        says(reply.text.as_deref(), lang_of(&late), "invite-unknown"),
        "{reply:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_secretaries").await, 1);
    // A join request filled in for it meanwhile is refused in its
    // transaction, nothing stored.
    let outcome = lienhe::store::memberships::request(
        &h.pool,
        lienhe::store::memberships::NewRequest {
            token: "late-join",
            user_id: 801,
            cell_id: mistake,
            invite_id: None,
            opened_at: None,
            full_name: "Người đến muộn",
            phone: None,
            workplace: &lienhe::domain::membership::WorkplaceChoice::Other {
                name: "Sở Tư pháp".into(),
            },
            moved_from: None,
            introduced_on: None,
            introduction_id: None,
            confirm_tag: 0,
        },
        (
            h.app().now(),
            &lienhe::store::dialogues::Next {
                chat_id: 801,
                state: None,
            },
        ),
        |_, _| Vec::new(),
    )
    .await
    .unwrap();
    assert!(matches!(
        outcome,
        lienhe::store::memberships::RequestOutcome::CellGone
    ));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 801")
            .await,
        0
    );

    // The link made for it no longer opens.
    let other = if en {
        en_user(801, "Other")
    } else {
        vi_user(801, "Khác")
    };
    let reply = h.ask(&other, &format!("/start {code}")).await;
    assert!(
        !text(&reply).contains("Chi bộ khối 9")
            && says(reply.text.as_deref(), lang_of(&other), "invite-unknown"),
        "the removed cell is not offered: {reply:?}"
    );

    // A cell with a secretary and members cannot be removed.
    let list = h.ask(&w.admin, "/cells").await;
    let (_, opened) = h.press(&w.admin, &list, "⚙ Chi bộ khối 5").await;
    let card = opened.last().unwrap().clone();
    let (answer, _) = h.press(&w.admin, &card, &remove).await;
    assert!(
        says(Some(&alert(&answer)), lang, "ward-cell-remove-not-empty"),
        "{answer:?}"
    );
    let (answer, _) = h
        .press_data(&w.admin, card.message_id, &format!("hk:{}", w.cell))
        .await;
    assert!(says(
        Some(&alert(&answer)),
        lang,
        "ward-cell-remove-not-empty"
    ));
    assert_eq!(cells_in(&h, w.ward).await, 2, "khối 5 and khối 10");
    assert_eq!(audited(&h, "remove_cell").await, 1);
}

#[tokio::test]
async fn a_cell_added_by_mistake_is_removed_vi() {
    removes_a_cell_added_by_mistake(false).await;
}

#[tokio::test]
async fn a_cell_added_by_mistake_is_removed_en() {
    removes_a_cell_added_by_mistake(true).await;
}

/// A rename committed by a process killed right after it (before the
/// dialogue, written apart, was ended) left the administrator at the
/// question for the name: the next text renamed the cell again ("Sao
/// không thấy trả lời?" became its name). The question ends in the
/// rename's transaction: what the handler commits is done here by hand,
/// then the process starts again.
#[tokio::test]
async fn a_rename_committed_just_before_a_kill_ends_the_question() {
    let mut h = Harness::start().await;
    let w = world(&h, false).await;
    let lang = lang_of(&w.admin);
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    let card = h.ask(&w.admin, "Chi bộ khối 9").await;
    let (_, asked) = h
        .press(&w.admin, &card, &tr(lang, "ward-cell-button-rename"))
        .await;
    assert!(says(
        asked.last().and_then(|s| s.text.as_deref()),
        lang,
        "ward-cell-ask-rename"
    ));
    let cell: i64 = h
        .count("SELECT id FROM cells WHERE name = 'Chi bộ khối 9'")
        .await;
    let ended = lienhe::store::dialogues::Next {
        chat_id: w.admin.id,
        state: None,
    };
    let renamed = lienhe::store::cells::rename_by_admin(
        &h.pool,
        cell,
        "Chi bộ khối 9A",
        w.admin.id,
        (h.app().now(), &ended),
    )
    .await
    .unwrap();
    assert!(matches!(
        renamed,
        lienhe::store::cells::NameOutcome::Done { .. }
    ));
    h.restart().await;

    let idle = h.ask(&w.admin, "Sao không thấy trả lời?").await;
    assert!(
        says(idle.text.as_deref(), lang, "ward-admin-idle"),
        "{idle:?}"
    );
    let name: String = sqlx::query_scalar("SELECT name FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(name, "Chi bộ khối 9A");
    assert_eq!(audited(&h, "rename_cell").await, 1);
}

#[tokio::test]
async fn a_long_list_of_cells_is_paged_in_place() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    for i in 1..=24 {
        h.cell(w.ward, &format!("Chi bộ tổ {i:02}")).await;
    }
    let list = h.ask(&w.admin, "/cells").await;
    let body = text(&list);
    assert!(body.contains("Chi bộ của Phường Hưng Dũng: 25"), "{body}");
    assert!(body.contains("Trang 1/3"), "{body}");
    assert!(body.contains("1. Chi bộ khối 5"), "{body}");
    assert!(!body.contains("11. "), "{body}");
    let buttons = list.button_texts();
    assert!(buttons.contains(&"Sau ▶".to_string()), "{buttons:?}");
    assert!(
        buttons.contains(&"➕ Thêm chi bộ".to_string()),
        "{buttons:?}"
    );
    let before = h.api.sent_count(w.admin.id);
    h.press(&w.admin, &list, "Sau ▶").await;
    let page = h.current(&list);
    assert!(text(&page).contains("Trang 2/3"), "{page:?}");
    assert!(text(&page).contains("11. Chi bộ tổ 10"), "{page:?}");
    assert!(page.button_texts().contains(&"➕ Thêm chi bộ".to_string()));
    assert_eq!(h.api.sent_count(w.admin.id), before, "edited in place");
    // The whole list as an XLSX.
    h.press(&w.admin, &page, "📄 Tải danh sách (XLSX)").await;
    h.wait_documents(w.admin.id, 1).await;
    let doc = h.last(&w.admin);
    let sheet = part(
        doc.document_bytes.as_deref().unwrap(),
        "xl/sharedStrings.xml",
    );
    assert!(sheet.contains("Chi bộ tổ 24"), "{sheet}");
}

// ------------------------------------------------------------ import

fn xlsx(rows: &[&str]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, v) in rows.iter().enumerate() {
        if !v.is_empty() {
            sheet.write_string(r as u32, 0, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

async fn send_file(h: &Harness, user: &TgUser, name: &str, mime: &str, bytes: Vec<u8>) -> Sent {
    h.send_update(user, |api| api.document(user, name, mime, bytes))
        .await
        .pop()
        .expect("a reply to the file")
}

#[tokio::test]
async fn cells_import_xlsx_previewed_and_imported_once_vi() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let long = "a".repeat(121);
    let file = xlsx(&[
        "Tên chi bộ",
        "Chi bộ khối 8",
        "chi bộ  khối 8",
        "Chi bộ khối 5",
        "X",
        &long,
        "",
        "Chi bộ khối 9",
    ]);
    let asked = h.ask(&w.admin, "/cells import").await;
    assert!(says(
        asked.text.as_deref(),
        Lang::Vi,
        "ward-cells-import-ask"
    ));
    let preview = send_file(&h, &w.admin, "chi-bo.xlsx", XLSX_MIME, file).await;
    let p = text(&preview);
    for want in [
        "Danh sách chi bộ cho Phường Hưng Dũng: đã đọc 6 dòng. Chưa có dữ liệu nào được lưu.",
        "Chi bộ sẽ được thêm: 2",
        "dòng 2: Chi bộ khối 8",
        "dòng 8: Chi bộ khối 9",
        "Dòng không được thêm: 4",
        "dòng 3: chi bộ khối 8 — trùng với dòng 2 của tệp",
        "dòng 4: Chi bộ khối 5 — Phường Hưng Dũng đã có chi bộ này",
        "dòng 5: tên chi bộ quá ngắn",
        "dòng 6: tên chi bộ quá dài",
        "Bấm \"Nhập\" để thêm 2 chi bộ",
    ] {
        assert!(p.contains(want), "{want:?} in {p}");
    }
    assert_eq!(
        cells_in(&h, w.ward).await,
        1,
        "nothing stored before Import"
    );
    let (_, done) = h.press(&w.admin, &preview, "Nhập").await;
    let done = done.last().cloned().expect("a confirmation");
    assert!(
        text(&done).contains("Đã thêm 2 chi bộ vào Phường Hưng Dũng"),
        "{done:?}"
    );
    assert_eq!(cells_in(&h, w.ward).await, 3);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cells WHERE name IN ('Chi bộ khối 8', 'Chi bộ khối 9')")
            .await,
        2
    );
    assert_eq!(audited(&h, "import_cells").await, 1);
    assert!(h.current(&preview).buttons().is_empty(), "buttons removed");
    // Pressed again (an old copy of the buttons): once only.
    let data = preview.button_data("Nhập").unwrap();
    let (answer, _) = h.press_data(&w.admin, preview.message_id, &data).await;
    assert!(
        says(
            Some(&alert(&answer)),
            Lang::Vi,
            "ward-cells-import-done-before"
        ),
        "{answer:?}"
    );
    assert_eq!(cells_in(&h, w.ward).await, 3);
    // The same names again: nothing new to add; the step stays open.
    h.ask(&w.admin, "/cells import").await;
    let again = send_file(
        &h,
        &w.admin,
        "chi-bo.xlsx",
        XLSX_MIME,
        xlsx(&["Chi bộ khối 8"]),
    )
    .await;
    assert!(
        says(again.text.as_deref(), Lang::Vi, "ward-cells-import-nothing"),
        "{again:?}"
    );
    assert!(again.buttons().is_empty());
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_imports").await, 1);
}

#[tokio::test]
async fn cells_import_csv_for_a_chosen_ward_cancelled_en() {
    let h = Harness::start().await;
    let w = world(&h, true).await;
    // Administrator of both wards: the ward is chosen first.
    make_ward_admin(&h, &w.admin, w.other_ward).await;
    let choose = h.ask(&w.admin, "/cells import").await;
    assert!(says(choose.text.as_deref(), Lang::En, "ward-cells-choose"));
    assert_eq!(
        choose.button_texts(),
        ["Phường Hưng Dũng", "Phường Bến Thủy"]
    );
    let (_, asked) = h.press(&w.admin, &choose, "Phường Bến Thủy").await;
    assert!(
        text(asked.last().unwrap()).contains("list of cells of Phường Bến Thủy"),
        "{asked:?}"
    );
    let csv = "Cell name\nChi bộ khối 7\nChi bộ khối 10\nChi bộ khối 11\nchi bộ khối 10\n";
    let preview = send_file(&h, &w.admin, "cells.csv", "text/csv", csv.into()).await;
    let p = text(&preview);
    for want in [
        "Cells for Phường Bến Thủy: 4 rows read. Nothing is stored yet.",
        "Cells to add: 2",
        "row 3: Chi bộ khối 10",
        "row 4: Chi bộ khối 11",
        "row 2: Chi bộ khối 7 — Phường Bến Thủy already has this cell",
        "row 5: chi bộ khối 10 — same as row 3 of the file",
    ] {
        assert!(p.contains(want), "{want:?} in {p}");
    }
    let (_, cancelled) = h.press(&w.admin, &preview, "Cancel").await;
    assert!(says(
        cancelled.last().and_then(|s| s.text.as_deref()),
        Lang::En,
        "ward-cells-import-cancelled"
    ));
    assert_eq!(cells_in(&h, w.other_ward).await, 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cell_imports WHERE status = 'cancelled'")
            .await,
        1
    );
    // Import after Cancel: nothing.
    let data = preview.button_data("Import").unwrap();
    let (answer, _) = h.press_data(&w.admin, preview.message_id, &data).await;
    assert!(says(
        Some(&alert(&answer)),
        Lang::En,
        "ward-cells-import-gone"
    ));
    assert_eq!(cells_in(&h, w.other_ward).await, 1);
    // /cells with two wards: chosen, then listed.
    let choose = h.ask(&w.admin, "/cells").await;
    let (_, list) = h.press(&w.admin, &choose, "Phường Bến Thủy").await;
    let list = list.last().cloned().unwrap();
    assert!(
        text(&list).contains("Cells of Phường Bến Thủy: 1"),
        "{list:?}"
    );
    assert!(text(&list).contains("1. Chi bộ khối 7 — secretary: none"));
}

#[tokio::test]
async fn bad_files_are_refused_without_harm() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    h.ask(&w.admin, "/cells import").await;
    // 10 MB: refused before anything is downloaded.
    let downloads = h.api.downloads();
    let big = vec![b'a'; 10 * 1024 * 1024];
    let reply = send_file(&h, &w.admin, "lon.csv", "text/csv", big).await;
    assert!(says(reply.text.as_deref(), Lang::Vi, "roster-too-large"));
    assert_eq!(h.api.downloads(), downloads);
    // Claims to be small, is not: the download is capped.
    let reply = h
        .send_update(&w.admin, |api| {
            api.document_sized(
                &w.admin,
                "nho.csv",
                "text/csv",
                1_000,
                vec![b'a'; 6 * 1024 * 1024],
            )
        })
        .await;
    assert!(says(
        reply.last().and_then(|s| s.text.as_deref()),
        Lang::Vi,
        "roster-too-large"
    ));
    // A PNG, a broken XLSX, a photo, a text.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let reply = send_file(&h, &w.admin, "anh.png", "image/png", png).await;
    assert!(says(
        reply.text.as_deref(),
        Lang::Vi,
        "roster-not-spreadsheet"
    ));
    let mut broken = xlsx(&["Chi bộ khối 8"]);
    broken.truncate(200);
    let reply = send_file(&h, &w.admin, "hong.xlsx", XLSX_MIME, broken).await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "roster-malformed")
            || says(reply.text.as_deref(), Lang::Vi, "roster-not-spreadsheet"),
        "{reply:?}"
    );
    let reply = h
        .send_update(&w.admin, |api| api.photo(&w.admin, "PHOTO1", None, None))
        .await;
    assert!(says(
        reply.last().and_then(|s| s.text.as_deref()),
        Lang::Vi,
        "roster-not-document"
    ));
    let reply = h.ask(&w.admin, "danh sách đây").await;
    assert!(says(reply.text.as_deref(), Lang::Vi, "roster-send-file"));
    let reply = send_file(&h, &w.admin, "rong.csv", "text/csv", b",,\n".to_vec()).await;
    assert!(says(reply.text.as_deref(), Lang::Vi, "roster-empty"));
    // More than 5,000 rows.
    let many: String = (0..5_001).map(|i| format!("Chi bộ {i}\n")).collect();
    let reply = send_file(&h, &w.admin, "nhieu.csv", "text/csv", many.into()).await;
    assert!(says(
        reply.text.as_deref(),
        Lang::Vi,
        "roster-too-many-rows"
    ));
    // Nothing changed; the step is still open: a good file is previewed.
    assert_eq!(cells_in(&h, w.ward).await, 1);
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_imports").await, 0);
    let preview = send_file(
        &h,
        &w.admin,
        "ds.csv",
        "text/csv",
        "Chi bộ khối 12\n".into(),
    )
    .await;
    assert!(
        text(&preview).contains("dòng 1: Chi bộ khối 12"),
        "{preview:?}"
    );
    assert_eq!(cells_in(&h, w.ward).await, 1);
}

#[tokio::test]
async fn a_restart_in_the_middle_loses_neither_the_step_nor_the_preview_en() {
    let mut h = Harness::start().await;
    let w = world(&h, true).await;
    // Add cell asked the name; the bot restarts; the name is taken.
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, "➕ Add cell").await;
    h.restart().await;
    let added = h.ask(&w.admin, "Chi bộ khối 6").await;
    assert!(
        says(added.text.as_deref(), Lang::En, "ward-cell-added"),
        "{added:?}"
    );
    // Rename asked the name; a restart; a duplicate is still refused and
    // asked again.
    h.press(&w.admin, &added, "Rename").await;
    h.restart().await;
    let dup = h.ask(&w.admin, "Chi bộ khối 5").await;
    assert!(says(
        dup.text.as_deref(),
        Lang::En,
        "ward-cell-name-duplicate"
    ));
    let renamed = h.ask(&w.admin, "Chi bộ khối 6B").await;
    assert!(says(renamed.text.as_deref(), Lang::En, "ward-cell-renamed"));
    // A file previewed; a restart; Import still adds its names, once.
    h.ask(&w.admin, "/cells import").await;
    h.restart().await;
    let preview = send_file(
        &h,
        &w.admin,
        "cells.csv",
        "text/csv",
        "Chi bộ khối 30\nChi bộ khối 31\n".into(),
    )
    .await;
    h.restart().await;
    let (_, done) = h.press(&w.admin, &preview, "Import").await;
    assert!(
        text(done.last().unwrap()).contains("2 cells were added to Phường Hưng Dũng"),
        "{done:?}"
    );
    assert_eq!(cells_in(&h, w.ward).await, 4);
}

#[tokio::test]
async fn import_pressed_twice_at_once_adds_the_cells_once() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    h.ask(&w.admin, "/cells import").await;
    let preview = send_file(
        &h,
        &w.admin,
        "ds.csv",
        "text/csv",
        "Tên chi bộ\nChi bộ khối 40\nChi bộ khối 41\n".into(),
    )
    .await;
    let data = preview.button_data("Nhập").unwrap();
    let first = h.api.callback(&w.admin, preview.message_id, &data);
    let second = h.api.callback(&w.admin, preview.message_id, &data);
    h.handled(first).await;
    h.handled(second).await;
    assert_eq!(cells_in(&h, w.ward).await, 3);
    assert_eq!(audited(&h, "import_cells").await, 1);
    let answers: Vec<String> = h
        .api
        .answered_callbacks()
        .iter()
        .map(alert)
        .filter(|a| !a.is_empty())
        .collect();
    let done_before = answers
        .iter()
        .filter(|a| says(Some(a), Lang::Vi, "ward-cells-import-done-before"))
        .count();
    assert_eq!(done_before, 1, "{answers:?}");
}

// ------------------------------------------------------- stats, export

#[tokio::test]
async fn the_ward_admin_sees_the_wards_stats_and_export_like_its_supervisor() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let supervisor = vi_user(600, "Giám");
    h.ask(
        &supervisor,
        &format!("/start {}", h.supervisor_code(1).await),
    )
    .await;
    let other_admin = vi_user(701, "Khác");
    make_ward_admin(&h, &other_admin, w.other_ward).await;

    // The operator's list names who holds which ward role.
    let list = h.admin(Admin::List).await;
    let (first, second) = (
        list.find("Ward 1: Phường Hưng Dũng").expect("ward 1"),
        list.find("Ward 2: Phường Bến Thủy").expect("ward 2"),
    );
    let ward_one = &list[first..second];
    assert!(
        ward_one.contains("supervisor: ") && ward_one.contains("(user 600)"),
        "{list}"
    );
    assert!(ward_one.contains("ward-admin: "), "{list}");
    assert!(!ward_one.contains("(user 701)"), "{list}");
    assert!(list[second..].contains("ward-admin: "), "{list}");

    // /stats: the ward's figures, as its supervisor gets them.
    let of = |replies: Vec<Sent>| -> Vec<String> { replies.iter().map(text).collect() };
    let admin = of(h.say(&w.admin, "/stats").await);
    let sup = of(h.say(&supervisor, "/stats").await);
    assert!(
        admin.iter().any(|t| t.contains("Phường Hưng Dũng")),
        "{admin:?}"
    );
    assert_eq!(admin, sup);
    let other = of(h.say(&other_admin, "/stats").await);
    assert!(
        other.iter().all(|t| !t.contains("Phường Hưng Dũng")),
        "{other:?}"
    );
    assert!(
        other.iter().any(|t| t.contains("Phường Bến Thủy")),
        "{other:?}"
    );

    // /export: the ward's table, one member.
    h.api.text(&w.admin, "/export");
    h.wait_documents(w.admin.id, 1).await;
    let doc = h.last(&w.admin);
    assert!(
        text(&doc).contains("Phường Hưng Dũng (1 đảng viên)"),
        "{doc:?}"
    );
    let table = part(
        doc.document_bytes.as_deref().unwrap(),
        "xl/sharedStrings.xml",
    );
    assert!(table.contains("Nguyễn Văn An"), "{table}");
    // The other ward's cell has no member: told so, no workbook.
    let replies = h.say(&other_admin, "/export").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(
        says(
            replies[0].text.as_deref(),
            Lang::Vi,
            "export-ward-no-members"
        ),
        "{replies:?}"
    );
    assert!(text(&replies[0]).contains("Phường Bến Thủy"), "{replies:?}");
    assert!(
        replies.iter().all(|s| s.method != "senddocument"),
        "{replies:?}"
    );
    // An administrator who is also a supervisor of the ward: one table.
    h.ask(&w.admin, &format!("/start {}", h.supervisor_code(1).await))
        .await;
    let before = h.api.sent(w.admin.id).len();
    h.api.text(&w.admin, "/export");
    h.wait_documents(w.admin.id, 2).await;
    let docs = h
        .api
        .sent(w.admin.id)
        .split_off(before)
        .into_iter()
        .filter(|s| s.method == "senddocument")
        .count();
    assert_eq!(docs, 1);
}

// ------------------------------------------------- a ward without cells

const ROSTER: &str = "Họ và tên,Số điện thoại\nPhạm Thị Dung,0912000111\n";

#[tokio::test]
async fn a_ward_without_cells_chosen_from_an_introduction_tells_its_admins_once() {
    let h = Harness::start().await;
    h.cell_setup().await;
    let empty = h.ward("Xã Hưng Đông").await;
    let nam_dan = h.ward("Xã Nam Đàn").await;
    let (admin_vi, admin_en, admin_other) = (
        vi_user(700, "Quản"),
        en_user(701, "Admin"),
        vi_user(702, "Khác"),
    );
    make_ward_admin(&h, &admin_vi, empty).await;
    make_ward_admin(&h, &admin_en, empty).await;
    make_ward_admin(&h, &admin_other, 1).await;
    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    h.ask(&officer, "/roster").await;
    let preview = h
        .send_update(&officer, |api| {
            api.document(&officer, "ds.csv", "text/csv", ROSTER.as_bytes().to_vec())
        })
        .await
        .pop()
        .unwrap();
    h.press(&officer, &preview, "Nhập danh sách").await;
    let status = h.ask(&officer, "/status").await;
    let (_, replies) = h
        .press(&officer, &status, "✉️ Giới thiệu: Phạm Thị Dung")
        .await;
    let code = start_code(replies.last().unwrap());

    let person = vi_user(300, "Dung");
    let before = (
        h.api.sent_count(admin_vi.id),
        h.api.sent_count(admin_en.id),
        h.api.sent_count(admin_other.id),
    );
    let wards = h.ask(&person, &format!("/start {code}")).await;
    // A ward without cells nor administrators: nothing recorded; its first
    // administrator hears of the next press.
    let (_, unrun) = h.press(&person, &wards, "Xã Nam Đàn").await;
    let unrun = unrun.last().cloned().unwrap();
    assert!(text(&unrun).contains("Xã Nam Đàn chưa có chi bộ nơi cư trú nào"));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM ward_no_cell_notices").await,
        0
    );
    let first_admin = vi_user(703, "Đầu");
    make_ward_admin(&h, &first_admin, nam_dan).await;
    let count = h.api.sent_count(first_admin.id);
    let (_, wards) = h.press(&person, &unrun, "Xã Nam Đàn").await;
    let wards = wards.last().cloned().unwrap();
    let told = h
        .api
        .wait_sent(
            first_admin.id,
            count + 1,
            std::time::Duration::from_secs(10),
        )
        .await;
    assert!(says(
        told.last().and_then(|s| s.text.as_deref()),
        Lang::Vi,
        "ward-no-cells-notice"
    ));
    assert!(text(told.last().unwrap()).contains("đã chọn Xã Nam Đàn"));

    let (_, again) = h.press(&person, &wards, "Xã Hưng Đông").await;
    let again = again.last().cloned().unwrap();
    assert!(text(&again).contains("Xã Hưng Đông chưa có chi bộ nơi cư trú nào"));
    let told_vi = h
        .api
        .wait_sent(
            admin_vi.id,
            before.0 + 1,
            std::time::Duration::from_secs(10),
        )
        .await;
    let told_en = h
        .api
        .wait_sent(
            admin_en.id,
            before.1 + 1,
            std::time::Duration::from_secs(10),
        )
        .await;
    let vi = told_vi.last().unwrap();
    assert!(
        says(vi.text.as_deref(), Lang::Vi, "ward-no-cells-notice"),
        "{vi:?}"
    );
    assert!(
        text(vi).contains("Đồng chí Phạm Thị Dung (Sở Tư pháp tỉnh Nghệ An)"),
        "{vi:?}"
    );
    assert!(text(vi).contains("đã chọn Xã Hưng Đông"), "{vi:?}");
    let en = told_en.last().unwrap();
    assert!(
        says(en.text.as_deref(), Lang::En, "ward-no-cells-notice"),
        "{en:?}"
    );
    assert!(text(en).contains("Phạm Thị Dung (Sở Tư pháp tỉnh Nghệ An) was introduced"));

    // Pressed again: the person is told again, the admins are not.
    let (_, third) = h.press(&person, &again, "Xã Hưng Đông").await;
    assert!(text(third.last().unwrap()).contains("Xã Hưng Đông chưa có chi bộ"));
    h.quiet().await;
    assert_eq!(h.api.sent_count(admin_vi.id), before.0 + 1);
    assert_eq!(h.api.sent_count(admin_en.id), before.1 + 1);
    assert_eq!(h.api.sent_count(admin_other.id), before.2);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM ward_no_cell_notices").await,
        2
    );
    // A third ward without cells (pressed through, or forged): a person
    // hesitates between two, its administrator is not told.
    let third_ward = h.ward("Xã Nghi Lộc").await;
    let third_admin = vi_user(704, "Ba");
    make_ward_admin(&h, &third_admin, third_ward).await;
    let count = h.api.sent_count(third_admin.id);
    let latest = h.last(&person);
    let (_, replies) = h
        .press_data(&person, latest.message_id, &format!("nw:{third_ward}"))
        .await;
    assert!(text(replies.last().unwrap()).contains("Xã Nghi Lộc chưa có chi bộ"));
    h.quiet().await;
    assert_eq!(h.api.sent_count(third_admin.id), count);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM ward_no_cell_notices").await,
        2
    );
    // Once the ward has a cell, the person goes on.
    let added = {
        let list = h.ask(&admin_vi, "/cells").await;
        h.press(&admin_vi, &list, "➕ Thêm chi bộ").await;
        h.ask(&admin_vi, "Chi bộ xóm 1").await
    };
    assert!(says(added.text.as_deref(), Lang::Vi, "ward-cell-added"));
    let (_, cells) = h.press(&person, &again, "Xã Hưng Đông").await;
    assert_eq!(
        cells.last().unwrap().button_texts(),
        ["Chi bộ xóm 1", "⬅️ Chọn phường, xã khác"]
    );
}

// ------------------------------------------------------------ refusals

/// (action, command or button data with `{ward}`, `{cell}`, `{upload}`).
const ACTIONS: &[(&str, &str)] = &[
    ("/cells", "/cells"),
    ("/cells import", "/cells import"),
    ("/cells with an unknown word", "/cells xyz"),
    ("choose the ward", "hw:{ward}"),
    ("import for the ward", "hm:{ward}"),
    ("add a cell", "ha:{ward}"),
    ("a cell's card", "ho:{cell}"),
    ("invite a secretary", "hi:{cell}"),
    ("rename a cell", "hr:{cell}"),
    ("remove a cell", "hd:{cell}"),
    ("remove a cell, confirmed", "hk:{cell}"),
    ("keep a cell", "hn:{cell}"),
    ("import a file", "hy:{upload}"),
    ("cancel a file", "hx:{upload}"),
    ("a page of /cells", "qs:w:{ward}:0:0"),
    ("/cells as XLSX", "qx:w:{ward}:0"),
];

/// Whether `user` was refused `action` (a command's "administrators only",
/// a button's "not allowed", or "no longer an administrator").
async fn refused(h: &Harness, user: &TgUser, action: &str, anchor: i64) -> bool {
    let lang = lang_of(user);
    if action.starts_with('/') {
        let reply = h.ask(user, action).await;
        says(reply.text.as_deref(), lang, "ward-admins-only")
    } else {
        let (answer, _) = h.press_data(user, anchor, action).await;
        // One whose role was taken away is told so.
        ["not-allowed", "ward-admin-role-gone"]
            .iter()
            .any(|id| says(Some(&alert(&answer)), lang, id))
    }
}

/// What the actions could change.
async fn snapshot(h: &Harness) -> Vec<i64> {
    vec![
        h.count("SELECT COUNT(*) FROM cells").await,
        h.count("SELECT COUNT(*) FROM invites").await,
        h.count("SELECT COUNT(*) FROM cell_imports WHERE status = 'pending'")
            .await,
        h.count("SELECT COUNT(*) FROM ward_admins").await,
        h.count("SELECT COUNT(*) FROM dialogues WHERE state LIKE '%Cell%'")
            .await,
        h.count("SELECT COUNT(*) FROM audit_log").await,
    ]
}

#[tokio::test]
async fn every_new_action_is_refused_to_every_other_role_and_to_forged_data() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    // The administrator's pending upload.
    h.ask(&w.admin, "/cells import").await;
    let preview = send_file(
        &h,
        &w.admin,
        "ds.csv",
        "text/csv",
        "Chi bộ khối 20\n".into(),
    )
    .await;
    let upload: i64 = h.count("SELECT MAX(id) FROM cell_imports").await;
    let fill = |s: &str| {
        s.replace("{ward}", &w.ward.to_string())
            .replace("{cell}", &w.cell.to_string())
            .replace("{upload}", &upload.to_string())
    };

    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    let supervisor = en_user(600, "Sup");
    h.ask(
        &supervisor,
        &format!("/start {}", h.supervisor_code(1).await),
    )
    .await;
    let other_admin = vi_user(701, "Khác");
    make_ward_admin(&h, &other_admin, w.other_ward).await;
    let nobody = en_user(900, "Nobody");
    h.ask(&nobody, "/start").await;
    let roles: [(&str, &TgUser); 6] = [
        ("no role", &nobody),
        ("member", &w.member),
        ("secretary", &w.secretary),
        ("officer", &officer),
        ("supervisor of the ward", &supervisor),
        ("administrator of another ward", &other_admin),
    ];
    let before = snapshot(&h).await;
    for (role, user) in roles {
        // A message of theirs to press the buttons on.
        let anchor = h.ask(user, "/help").await.message_id;
        for (action, data) in ACTIONS {
            let ok = if *data == "/cells xyz" && std::ptr::eq(user, &other_admin) {
                // An administrator is taught the usage.
                says(
                    h.ask(user, data).await.text.as_deref(),
                    Lang::Vi,
                    "ward-cells-usage",
                )
            } else if data.starts_with('/') && std::ptr::eq(user, &other_admin) {
                // Their own ward's list or file, never ward 1's.
                let reply = text(&h.ask(user, data).await);
                h.ask(user, "/cancel").await;
                reply.contains("Phường Bến Thủy") && !reply.contains("Phường Hưng Dũng")
            } else {
                refused(&h, user, &fill(data), anchor).await
            };
            assert!(ok, "{action} by {role} was not refused");
        }
    }
    assert_eq!(snapshot(&h).await, before);

    // The administrator of ward 1: nothing of the other ward, forged data.
    let anchor = preview.message_id;
    for data in [
        format!("hw:{}", w.other_ward),
        format!("hm:{}", w.other_ward),
        format!("ha:{}", w.other_ward),
        format!("ho:{}", w.other_cell),
        format!("hi:{}", w.other_cell),
        format!("hr:{}", w.other_cell),
        format!("hd:{}", w.other_cell),
        format!("hk:{}", w.other_cell),
        format!("hn:{}", w.other_cell),
        "hk:999".into(),
        format!("qs:w:{}:0:0", w.other_ward),
        format!("qx:w:{}:0", w.other_ward),
        "ho:999".into(),
        "hi:999".into(),
        "hw:999".into(),
        "hi:x".into(),
        "hr:-1".into(),
        "hy:1:2".into(),
        "hz:1".into(),
        "h".into(),
        "qs:w:1:2026:0".into(),
    ] {
        assert!(
            refused(&h, &w.admin, &data, anchor).await,
            "{data} was not refused"
        );
    }
    assert_eq!(snapshot(&h).await, before);
    // Another administrator of the same ward may not import this upload.
    let colleague = vi_user(702, "Đồng");
    make_ward_admin(&h, &colleague, w.ward).await;
    let anchor = h.ask(&colleague, "/help").await.message_id;
    let before = snapshot(&h).await;
    for data in [format!("hy:{upload}"), format!("hx:{upload}")] {
        assert!(refused(&h, &colleague, &data, anchor).await, "{data}");
    }
    assert_eq!(snapshot(&h).await, before);

    // The role taken away: refused at the next press.
    h.admin(Admin::Role {
        command: RoleCommand::Revoke {
            user: 700,
            role: RoleName::WardAdmin,
            workplace: None,
            ward: Some(1),
            cell: None,
        },
    })
    .await;
    for (action, data) in ACTIONS {
        assert!(
            refused(&h, &w.admin, &fill(data), preview.message_id).await,
            "{action} after the role was taken away"
        );
    }
    assert_eq!(cells_in(&h, w.ward).await, 1);

    // Given back: the upload imports (the refusals above harmed nothing).
    make_ward_admin(&h, &w.admin, w.ward).await;
    let (answer, done) = h.press(&w.admin, &preview, "Nhập").await;
    assert!(!says(Some(&alert(&answer)), Lang::Vi, "not-allowed"));
    assert!(text(done.last().unwrap()).contains("Đã thêm 1 chi bộ"));
    assert_eq!(cells_in(&h, w.ward).await, 2);
}

/// A ward administrator sending list after list keeps only the latest
/// ones waiting (older ones are cancelled, their names dropped); Import
/// under an older one adds nothing and says why; the latest still imports.
#[tokio::test]
async fn only_an_administrator_s_latest_cell_lists_wait() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let w = world(&h, lang == Lang::En).await;
        let mut previews = Vec::new();
        for i in 0..10 {
            h.ask(&w.admin, "/cells import").await;
            let file = xlsx(&[&format!("Chi bộ khối {}", 20 + i)]);
            previews.push(send_file(&h, &w.admin, "chi-bo.xlsx", XLSX_MIME, file).await);
        }
        assert_eq!(
            h.count("SELECT COUNT(*) FROM cell_imports WHERE status = 'pending'")
                .await,
            3
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM cell_imports WHERE names <> '[]'")
                .await,
            3
        );
        let import = tr(lang, "ward-cells-button-import-confirm");
        let (answer, _) = h.press(&w.admin, &previews[0], &import).await;
        assert!(
            says(Some(&alert(&answer)), lang, "ward-cells-import-gone"),
            "{answer:?}"
        );
        assert_eq!(cells_in(&h, w.ward).await, 1);
        h.press(&w.admin, &previews[9], &import).await;
        assert_eq!(cells_in(&h, w.ward).await, 2);
        assert_eq!(
            h.count("SELECT COUNT(*) FROM cells WHERE name = 'Chi bộ khối 29'")
                .await,
            1
        );
    }
}

/// Several cell lists sent at once: the first is previewed and says the
/// others were not read; they get no other answer.
#[tokio::test]
async fn cell_lists_sent_together_are_answered_once() {
    let h = Harness::start().await;
    let w = world(&h, true).await;
    h.ask(&w.admin, "/cells import").await;
    let replies = h
        .send_update(&w.admin, |api| {
            for (i, name) in ["Chi bộ khối 20", "Chi bộ khối 21", "Chi bộ khối 22"]
                .iter()
                .enumerate()
            {
                let file = xlsx(&[name]);
                api.document_in_album(&w.admin, &format!("{i}.xlsx"), XLSX_MIME, file, "g1");
            }
            0
        })
        .await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    let preview = text(&replies[0]);
    assert!(preview.contains("Chi bộ khối 20"), "{preview}");
    assert!(
        says(Some(&preview), Lang::En, "file-album-one-read")
            && preview.ends_with("/cells import."),
        "{preview}"
    );
}

/// A list of cells whose preview was on its way when the bot was killed:
/// the list was stored (the update counts as handled, and Telegram's
/// serving it again is skipped), but the dialogue had already ended, so
/// the file sent again was answered with the help and no preview ever
/// came. The dialogue now waits for the file until the preview is shown:
/// the file sent again is previewed and imported once.
async fn cells_killed_before_their_preview(en: bool) {
    let mut h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    let file = || xlsx(&["Tên chi bộ", "Chi bộ khối 8", "Chi bộ khối 9"]);
    h.ask(&w.admin, "/cells import").await;
    let held = h.api.hold_next("sendMessage", w.admin.id);
    let before = h.api.sent_count(w.admin.id);
    let update = h.api.document(&w.admin, "chi-bo.xlsx", XLSX_MIME, file());
    // Killed there: the preview never reaches Telegram.
    // Served again, as Telegram does with an update not confirmed.
    h.killed_at_and_served_again(held, "the preview is on its way", update)
        .await;
    let reached = h.api.sent(w.admin.id).split_off(before);
    assert!(reached.is_empty(), "no preview reached: {reached:?}");
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_imports").await, 1);
    let preview = send_file(&h, &w.admin, "chi-bo.xlsx", XLSX_MIME, file()).await;
    let shown = text(&preview);
    assert!(
        says(Some(&shown), lang, "ward-cells-import-footer"),
        "{shown}"
    );
    let import = tr(lang, "ward-cells-button-import-confirm");
    let (_, done) = h.press(&w.admin, &preview, &import).await;
    let done = text(done.last().expect("a confirmation"));
    assert!(says(Some(&done), lang, "ward-cells-imported"), "{done}");
    assert_eq!(cells_in(&h, w.ward).await, 3);
    assert_eq!(audited(&h, "import_cells").await, 1);
}

#[tokio::test]
async fn a_cell_list_killed_before_its_preview_is_previewed_when_sent_again_vi() {
    cells_killed_before_their_preview(false).await;
}

#[tokio::test]
async fn a_cell_list_killed_before_its_preview_is_previewed_when_sent_again_en() {
    cells_killed_before_their_preview(true).await;
}

/// A cell list's Import committed, the bot killed before its answer: the
/// press served again is skipped as handled. Before, the preview had
/// already lost its buttons and the answer never came, so the
/// administrator had neither an answer nor anything to press. Now the
/// answer goes before the buttons are taken away: Import pressed again
/// says the list was imported already, and the cells are added once.
async fn cells_import_killed_before_its_answer(en: bool) {
    let mut h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    h.ask(&w.admin, "/cells import").await;
    let file = xlsx(&["Tên chi bộ", "Chi bộ khối 8", "Chi bộ khối 9"]);
    let preview = send_file(&h, &w.admin, "chi-bo.xlsx", XLSX_MIME, file).await;
    let import = tr(lang, "ward-cells-button-import-confirm");
    let data = preview.button_data(&import).expect("Import");
    let before = h.api.sent_count(w.admin.id);
    let held = h.api.hold_next("sendMessage", w.admin.id);
    let update = h.api.callback(&w.admin, preview.message_id, &data);
    h.killed_at_and_served_again(held, "the import's answer is on its way", update)
        .await;
    assert!(h.api.sent(w.admin.id).split_off(before).is_empty());
    assert_eq!(cells_in(&h, w.ward).await, 3);
    let shown = h.current(&preview);
    assert!(shown.button_data(&import).is_some(), "{shown:?}");
    let (answer, _) = h.press(&w.admin, &shown, &import).await;
    assert!(
        says(Some(&alert(&answer)), lang, "ward-cells-import-done-before"),
        "{answer:?}"
    );
    assert!(h.current(&preview).buttons().is_empty());
    assert_eq!(cells_in(&h, w.ward).await, 3);
    assert_eq!(audited(&h, "import_cells").await, 1);
}

#[tokio::test]
async fn a_cell_list_imported_just_before_a_kill_is_told_when_pressed_again_vi() {
    cells_import_killed_before_its_answer(false).await;
}

#[tokio::test]
async fn a_cell_list_imported_just_before_a_kill_is_told_when_pressed_again_en() {
    cells_import_killed_before_its_answer(true).await;
}

/// A cell added just before a kill, its card never sent: the name served
/// again is skipped as handled (the question ended with the cell), the
/// name typed again is answered with where the administrator is, and Add
/// cell with the same name says the ward has it: one cell, audited once.
/// Already so.
async fn cell_added_just_before_a_kill(en: bool) {
    let mut h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    let added_before = audited(&h, "add_cell").await;
    let before = h.api.sent_count(w.admin.id);
    let held = h.api.hold_next("sendMessage", w.admin.id);
    let update = h.api.text(&w.admin, "Chi bộ khối 9");
    h.killed_at_and_served_again(held, "the card is on its way", update)
        .await;
    assert!(h.api.sent(w.admin.id).split_off(before).is_empty());
    assert_eq!(cells_in(&h, w.ward).await, 2);
    let idle = h.ask(&w.admin, "Chi bộ khối 9").await;
    assert!(
        says(idle.text.as_deref(), lang, "ward-admin-idle"),
        "{idle:?}"
    );
    let list = h.ask(&w.admin, "/cells").await;
    assert!(text(&list).contains("Chi bộ khối 9"), "{list:?}");
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    let again = h.ask(&w.admin, "Chi bộ khối 9").await;
    assert!(
        says(again.text.as_deref(), lang, "ward-cell-name-duplicate"),
        "{again:?}"
    );
    h.ask(&w.admin, "/cancel").await;
    assert_eq!(cells_in(&h, w.ward).await, 2);
    assert_eq!(audited(&h, "add_cell").await, added_before + 1);
}

#[tokio::test]
async fn a_cell_added_just_before_a_kill_is_added_once_vi() {
    cell_added_just_before_a_kill(false).await;
}

#[tokio::test]
async fn a_cell_added_just_before_a_kill_is_added_once_en() {
    cell_added_just_before_a_kill(true).await;
}

/// A ward administrator's code ("valid until 27/11/2026 10:00", 7 days)
/// used a minute before its expiry makes the administrator; another used
/// at 10:00 exactly and a third a minute after are refused as expired in
/// the user's language, and grant nothing. Already so.
#[tokio::test]
async fn a_ward_admin_code_used_at_its_expiry_minute_is_expired() {
    let h = Harness::start().await;
    h.cell_setup().await;
    let printed = h
        .admin(Admin::Invite {
            command: InviteCommand::WardAdmin { ward: 1 },
        })
        .await;
    assert!(
        printed.contains("valid until 27/11/2026 10:00"),
        "{printed}"
    );
    let first = printed.lines().last().unwrap().to_string();
    // One code per ward (a new code of a ward revokes its unused one).
    let second = ward_admin_code(&h, h.ward("Phường Bến Thủy").await).await;
    let third = ward_admin_code(&h, h.ward("Xã Hưng Đông").await).await;
    let (early, on_time, late) = (
        vi_user(701, "Sớm"),
        en_user(702, "OnTime"),
        vi_user(703, "Muộn"),
    );
    h.set_local(2026, 11, 27, 9, 59);
    let made = h.ask(&early, &format!("/start {first}")).await;
    assert!(
        says(made.text.as_deref(), Lang::Vi, "ward-admin-confirmed"),
        "{made:?}"
    );
    h.set_local(2026, 11, 27, 10, 0);
    let refused = h.ask(&on_time, &format!("/start {second}")).await;
    assert!(
        says(refused.text.as_deref(), Lang::En, "invite-expired"),
        "{refused:?}"
    );
    h.set_local(2026, 11, 27, 10, 1);
    let refused = h.ask(&late, &format!("/start {third}")).await;
    assert!(
        says(refused.text.as_deref(), Lang::Vi, "invite-expired"),
        "{refused:?}"
    );
    let admins: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM ward_admins")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    assert_eq!(admins, [701]);
    assert_eq!(audited(&h, "grant_role").await, 1);
}

/// Invite secretary pressed under a cell's card at the moment the card
/// stops being the presser's: the operator takes their role away, or
/// another administrator of the ward removes the cell, after the press
/// passed its first check and while it waits for the database. Before, the
/// code was made all the same (a secretary link shown to a former
/// administrator, dead at its use) or the cell gone made the write fail
/// ("nothing was saved"); now the role and the cell are read again in the
/// transaction: refused in the presser's language, no code made.
async fn invite_pressed_as_the_card_stops_being_theirs(en: bool) {
    use lienhe::store::committee::Role;
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    let card = h.ask(&w.admin, "Chi bộ khối 9").await;
    let cell: i64 = h
        .count("SELECT id FROM cells WHERE name = 'Chi bộ khối 9'")
        .await;
    let invite = card
        .button_data(&tr(lang, "ward-cell-button-invite"))
        .expect("Invite secretary");
    let codes = || h.count("SELECT COUNT(*) FROM invites WHERE created_by = 700");
    let before = codes().await;

    // Another administrator removes the cell meanwhile.
    let held = h.hold_database().await;
    let update = h.api.callback(&w.admin, card.message_id, &invite);
    h.waits_to_write(update).await;
    held.commit_with("DELETE FROM cells WHERE ?1 IS NOT NULL AND id = ?2", cell)
        .await;
    h.handled(update).await;
    let answer = h
        .api
        .calls_of("answerCallbackQuery")
        .pop()
        .expect("answered");
    assert!(
        says(Some(&alert(&answer)), lang, "ward-cell-gone"),
        "{answer:?}"
    );
    assert!(
        h.api
            .sent(w.admin.id)
            .iter()
            .all(|s| !text(s).contains("?start=")),
        "no link"
    );
    assert_eq!(codes().await, before);

    // The role taken away meanwhile.
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    let card = h.ask(&w.admin, "Chi bộ khối 10").await;
    let invite = card
        .button_data(&tr(lang, "ward-cell-button-invite"))
        .expect("Invite secretary");
    h.served_as_role_goes(700, Role::WardAdmin { ward: w.ward }, || {
        h.api.callback(&w.admin, card.message_id, &invite)
    })
    .await;
    let answer = h
        .api
        .calls_of("answerCallbackQuery")
        .pop()
        .expect("answered");
    let said = alert(&answer);
    assert!(
        ["not-allowed", "ward-admin-role-gone"]
            .iter()
            .any(|id| says(Some(&said), lang, id)),
        "{answer:?}"
    );
    assert!(
        h.api
            .sent(w.admin.id)
            .iter()
            .all(|s| !text(s).contains("?start=")),
        "no link"
    );
    assert_eq!(codes().await, before);
}

#[tokio::test]
async fn invite_secretary_pressed_as_the_role_or_the_cell_goes_makes_no_code_vi() {
    invite_pressed_as_the_card_stops_being_theirs(false).await;
}

#[tokio::test]
async fn invite_secretary_pressed_as_the_role_or_the_cell_goes_makes_no_code_en() {
    invite_pressed_as_the_card_stops_being_theirs(true).await;
}

/// A secretary code made by Invite secretary just before a kill, its link
/// never sent: the press served again is skipped as handled, and Invite
/// secretary pressed again gives the same code (not a second one revoking
/// it): one code, audited once. Already so.
async fn invite_killed_before_its_link(en: bool) {
    let mut h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(lang, "ward-cells-button-add"))
        .await;
    let card = h.ask(&w.admin, "Chi bộ khối 9").await;
    let invite = card
        .button_data(&tr(lang, "ward-cell-button-invite"))
        .expect("Invite secretary");
    let links = |h: &Harness| {
        h.api
            .sent(w.admin.id)
            .into_iter()
            .filter(|s| text(s).contains("?start="))
            .collect::<Vec<_>>()
    };
    let held = h.api.hold_next("sendMessage", w.admin.id);
    let update = h.api.callback(&w.admin, card.message_id, &invite);
    h.killed_at_and_served_again(held, "the link is on its way", update)
        .await;
    // The process's memory of the press dies with it.
    lienhe::telegram::send::pressed_once::forget(&h.bot());
    assert!(links(&h).is_empty());
    let codes = || h.count("SELECT COUNT(*) FROM invites WHERE created_by = 700");
    assert_eq!(codes().await, 1);

    h.press_data(&w.admin, card.message_id, &invite).await;
    let sent = links(&h);
    assert_eq!(sent.len(), 1, "{:?}", h.api.sent(w.admin.id));
    assert!(
        says(sent[0].text.as_deref(), lang, "ward-cell-secretary-link"),
        "{:?}",
        sent[0].text
    );
    let code: String = sqlx::query_scalar("SELECT code FROM invites WHERE created_by = 700")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(start_code(&sent[0]), code);
    assert_eq!(codes().await, 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM invites WHERE created_by = 700 AND revoked_at IS NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn a_secretary_code_made_just_before_a_kill_is_given_when_pressed_again_vi() {
    invite_killed_before_its_link(false).await;
}

#[tokio::test]
async fn a_secretary_code_made_just_before_a_kill_is_given_when_pressed_again_en() {
    invite_killed_before_its_link(true).await;
}

/// Two administrators of one ward (Vietnamese and English) at the same
/// moment: both type the same new cell's name (spaced and cased apart),
/// one presses Import under a list holding that name and another, and a
/// third renames the ward's cell to that name. One cell of the name
/// stands; whoever came after is told the ward has it (the name asked
/// again) or, for the list, that it was skipped; nothing is added twice;
/// the audit chain holds. Already so.
#[tokio::test]
async fn administrators_of_one_ward_add_the_same_name_at_once() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let other = en_user(702, "Other");
    make_ward_admin(&h, &other, w.ward).await;
    let third = vi_user(703, "Ba");
    make_ward_admin(&h, &third, w.ward).await;
    for (admin, lang) in [(&w.admin, Lang::Vi), (&other, Lang::En)] {
        let list = h.ask(admin, "/cells").await;
        h.press(admin, &list, &tr(lang, "ward-cells-button-add"))
            .await;
    }
    h.ask(&w.admin, "/cancel").await;
    h.ask(&w.admin, "/cells import").await;
    let preview = send_file(
        &h,
        &w.admin,
        "ds.csv",
        "text/csv",
        "Tên chi bộ\nChi bộ khối 9\nChi bộ khối 10\n".into(),
    )
    .await;
    let list = h.ask(&w.admin, "/cells").await;
    h.press(&w.admin, &list, &tr(Lang::Vi, "ward-cells-button-add"))
        .await;
    let card = h.ask(&third, "/cells").await;
    let (_, opened) = h.press(&third, &card, "⚙ Chi bộ khối 5").await;
    let opened = opened.last().cloned().unwrap_or_else(|| h.current(&card));
    h.press(&third, &opened, &tr(Lang::Vi, "ward-cell-button-rename"))
        .await;
    let names_before = h.count("SELECT COUNT(*) FROM cells").await;

    let (a0, b0, c0) = (
        h.api.sent_count(w.admin.id),
        h.api.sent_count(other.id),
        h.api.sent_count(third.id),
    );
    let typed_a = h.api.text(&w.admin, "Chi bộ khối 9");
    let typed_b = h.api.text(&other, "chi bộ  KHỐI 9");
    let typed_c = h.api.text(&third, "Chi Bộ Khối 9");
    let import = h.api.callback(
        &w.admin,
        preview.message_id,
        &preview.button_data("Nhập").unwrap(),
    );
    for update in [typed_a, typed_b, typed_c, import] {
        h.handled(update).await;
    }
    // Compared as the bot compares names (any case, any spacing): SQLite's
    // lower() leaves "Ố" as it is, so the names are folded here.
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM cells")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    let fold = |name: &str| -> String {
        name.to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    assert_eq!(
        names
            .iter()
            .filter(|n| fold(n) == fold("Chi bộ khối 9"))
            .count(),
        1,
        "one cell of the name: {names:?}"
    );
    // Khối 10 came with the list (if the list ran first, khối 9 too).
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cells WHERE name = 'Chi bộ khối 10'")
            .await,
        1
    );
    let said = |user: &TgUser, before: usize| {
        h.api
            .sent(user.id)
            .split_off(before)
            .into_iter()
            .filter_map(|s| s.text)
            .collect::<Vec<_>>()
    };
    let (a, b, c) = (said(&w.admin, a0), said(&other, b0), said(&third, c0));
    let won =
        |texts: &[String], lang: Lang, id: &str| texts.iter().any(|t| says(Some(t), lang, id));
    let duplicate = |texts: &[String], lang: Lang| won(texts, lang, "ward-cell-name-duplicate");
    // Each of the three typed names: added (or renamed), or told the ward has it.
    let a_added = won(&a, Lang::Vi, "ward-cell-added");
    let b_added = won(&b, Lang::En, "ward-cell-added");
    let c_renamed = won(&c, Lang::Vi, "ward-cell-renamed");
    assert!(a_added || duplicate(&a, Lang::Vi), "{a:?}");
    assert!(b_added || duplicate(&b, Lang::En), "{b:?}");
    assert!(c_renamed || duplicate(&c, Lang::Vi), "{c:?}");
    let list_added_9 = won(&a, Lang::Vi, "ward-cells-imported")
        && !won(&a, Lang::Vi, "ward-cells-imported-skipped");
    assert_eq!(
        [a_added, b_added, c_renamed, list_added_9]
            .iter()
            .filter(|x| **x)
            .count(),
        1,
        "one of the four took the name: {a:?} {b:?} {c:?}"
    );
    // Khối 9 once and khối 10 once: a new cell each, unless the rename
    // took the name (khối 5 became khối 9, no cell added for it).
    let total = h.count("SELECT COUNT(*) FROM cells").await;
    let added = if c_renamed { 1 } else { 2 };
    assert_eq!(total, names_before + added, "khối 9 once, khối 10 once");
    let entries = h.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        lienhe::store::audit::ChainCheck::Intact {
            entries: entries as u64
        }
    );
}

/// A cell list read while the operator takes the administrator's role
/// away (after the file passed its first check, before the list is
/// stored). Before, the list was stored and previewed all the same (with
/// the ward's cells it already has) to a former administrator; now the
/// role is read again where the list is stored: nothing stored, no
/// preview, the question ended, told the command is for ward
/// administrators, in their language.
async fn cell_list_read_as_the_role_goes(en: bool) {
    use lienhe::store::committee::Role;
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    h.ask(&w.admin, "/cells import").await;
    let before = h.api.sent_count(w.admin.id);
    let file = xlsx(&["Tên chi bộ", "Chi bộ khối 5", "Chi bộ khối 8"]);
    h.served_as_role_goes(w.admin.id, Role::WardAdmin { ward: w.ward }, || {
        h.api.document(&w.admin, "chi-bo.xlsx", XLSX_MIME, file)
    })
    .await;
    let sent = h.api.sent(w.admin.id).split_off(before);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        says(sent[0].text.as_deref(), lang, "ward-admins-only"),
        "{sent:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_imports").await, 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 700")
            .await,
        0,
        "the question ended"
    );
}

#[tokio::test]
async fn a_cell_list_read_as_the_role_goes_is_not_previewed_vi() {
    cell_list_read_as_the_role_goes(false).await;
}

#[tokio::test]
async fn a_cell_list_read_as_the_role_goes_is_not_previewed_en() {
    cell_list_read_as_the_role_goes(true).await;
}

/// An administrator of two wards (communes merged) taken off one of them:
/// its buttons (the ward chosen for /cells, Add cell under its list, a
/// cell's card and its Rename, Invite secretary and Remove, Import under
/// a list of names sent for it) said "You are not allowed to do this.",
/// while one taken off their only ward was told they no longer administer
/// it. They are told so now, naming the ward; nothing is changed; the
/// other ward's buttons still work, and an administrator of another ward
/// only is still not allowed.
async fn one_of_two_wards_taken_away(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.admin);
    make_ward_admin(&h, &w.admin, w.other_ward).await;
    let chooser = h.ask(&w.admin, "/cells").await;
    assert_eq!(chooser.buttons().len(), 2, "{chooser:?}");
    let (_, list) = h
        .press_data(&w.admin, chooser.message_id, &format!("hw:{}", w.ward))
        .await;
    let list = list.last().unwrap().clone();
    let (_, card) = h
        .press_data(&w.admin, list.message_id, &format!("ho:{}", w.cell))
        .await;
    let card = card.last().unwrap().clone();
    h.ask(&w.admin, "/cells import").await;
    h.press_data(
        &w.admin,
        h.last(&w.admin).message_id,
        &format!("hm:{}", w.ward),
    )
    .await;
    let preview = send_file(
        &h,
        &w.admin,
        "ds.csv",
        "text/csv",
        "Chi bộ khối 20\n".into(),
    )
    .await;
    let upload: i64 = h.count("SELECT MAX(id) FROM cell_imports").await;
    let out = h
        .admin(Admin::Role {
            command: RoleCommand::Revoke {
                user: w.admin.id,
                role: RoleName::WardAdmin,
                workplace: None,
                ward: Some(w.ward),
                cell: None,
            },
        })
        .await;
    assert!(out.ends_with("revoked"), "{out}");
    let before = snapshot(&h).await;
    let gone = lienhe::t!(lang, "ward-admin-role-gone", ward = "Phường Hưng Dũng");
    for (message, data) in [
        (&chooser, format!("hw:{}", w.ward)),
        (&list, format!("ha:{}", w.ward)),
        (&list, format!("hm:{}", w.ward)),
        (&list, format!("ho:{}", w.cell)),
        (&card, format!("hr:{}", w.cell)),
        (&card, format!("hi:{}", w.cell)),
        (&card, format!("hd:{}", w.cell)),
        (&preview, format!("hy:{upload}")),
        (&preview, format!("hx:{upload}")),
    ] {
        let (answer, sent) = h.press_data(&w.admin, message.message_id, &data).await;
        assert_eq!(alert(&answer), gone, "{data}");
        assert!(sent.is_empty(), "{data}: {sent:?}");
    }
    assert_eq!(snapshot(&h).await, before);
    // The other ward's list still opens.
    let (_, other) = h
        .press_data(
            &w.admin,
            chooser.message_id,
            &format!("hw:{}", w.other_ward),
        )
        .await;
    assert!(
        text(other.last().unwrap()).contains("Phường Bến Thủy"),
        "{other:?}"
    );
    // An administrator of the other ward only: not allowed, as before.
    let stranger = if en {
        en_user(702, "Other")
    } else {
        vi_user(702, "Khác")
    };
    make_ward_admin(&h, &stranger, w.other_ward).await;
    let anchor = h.ask(&stranger, "/help").await.message_id;
    let (answer, _) = h
        .press_data(&stranger, anchor, &format!("hw:{}", w.ward))
        .await;
    assert!(
        says(Some(&alert(&answer)), lang, "not-allowed"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn an_administrator_taken_off_one_of_two_wards_is_told_so_at_its_buttons_vi() {
    one_of_two_wards_taken_away(false).await;
}

#[tokio::test]
async fn an_administrator_taken_off_one_of_two_wards_is_told_so_at_its_buttons_en() {
    one_of_two_wards_taken_away(true).await;
}
