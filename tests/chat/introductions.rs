//! Introductions: in /status the officer presses Introduce by a person of
//! the roster not registered with a residence cell and gets a personal
//! link; the person opens it, chooses the ward and the cell (buttons, or
//! part of the name typed), joins with the workplace filled in; the
//! secretary's card says who introduced them; the officer is told the
//! decision. A second use, an expired link and a person registered since
//! are refused; only an officer of the roster's workplace may introduce.

use crate::common::*;

/// Two people not registered; a third with a phone (registered later in
/// one test).
const ROSTER: &str = "Họ và tên,Số điện thoại\n\
                      Phạm Thị Dung,0912000111\n\
                      Hoàng Văn Em,\n\
                      Đỗ Văn Giang,0912000333\n";

struct World {
    cell: i64,
    secretary: TgUser,
    officer: TgUser,
}

/// Wards "Phường Hưng Dũng" (the cell "Chi bộ khối 5" with its secretary),
/// "Phường Bến Thủy" (the cell "Chi bộ khối 7") and "Xã Hưng Đông" (no
/// cell); workplace 1 with its officer, its roster imported.
async fn world(h: &Harness, en: bool) -> World {
    let user = if en { en_user } else { vi_user };
    let (secretary, officer) = (user(100, "Bình"), user(200, "Cán"));
    let cell = h.cell_setup().await;
    let ben_thuy = h.ward("Phường Bến Thủy").await;
    h.cell(ben_thuy, "Chi bộ khối 7").await;
    h.ward("Xã Hưng Đông").await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    h.ask(&officer, "/roster").await;
    let preview = h
        .send_update(&officer, |api| {
            api.document(&officer, "ds.csv", "text/csv", ROSTER.as_bytes().to_vec())
        })
        .await
        .pop()
        .expect("a preview");
    let import = if en { "Import" } else { "Nhập danh sách" };
    h.press(&officer, &preview, import).await;
    World {
        cell,
        secretary,
        officer,
    }
}

fn text(s: &Sent) -> String {
    s.text.clone().unwrap_or_default()
}

/// /status, then Introduce by `name`: the link's code and the message.
async fn introduce(h: &Harness, officer: &TgUser, name: &str, label: &str) -> (String, Sent) {
    let status = h.ask(officer, "/status").await;
    let (answer, replies) = h.press(officer, &status, &format!("{label}{name}")).await;
    assert!(
        !says(Some(&alert_text(&answer)), lang_of(officer), "not-allowed"),
        "{answer:?}"
    );
    let link = replies.last().cloned().expect("the link");
    let body = text(&link);
    let at = body.find("?start=").expect("a deep link") + "?start=".len();
    let code = body[at..].split_whitespace().next().unwrap().to_string();
    (code, link)
}

/// The Introduce button's label in /status, and the person introduced
/// (user 300), in English or Vietnamese.
fn introduce_label_and_person(en: bool) -> (&'static str, TgUser) {
    if en {
        ("✉️ Introduce: ", en_user(300, "Em"))
    } else {
        ("✉️ Giới thiệu: ", vi_user(300, "Em"))
    }
}

/// The person opens the link, chooses "Phường Hưng Dũng" and "Chi bộ khối
/// 5", types `name`, skips the phone: the link's first answer (as it was
/// sent) and the join's summary.
async fn fill_in_the_join(h: &Harness, person: &TgUser, code: &str, name: &str) -> (Sent, Sent) {
    let wards = h.ask(person, &format!("/start {code}")).await;
    h.press(person, &wards, "Phường Hưng Dũng").await;
    let cells = h.last(person);
    h.press(person, &cells, "Chi bộ khối 5").await;
    h.ask(person, name).await;
    let skip = if lang_of(person) == Lang::En {
        "Skip"
    } else {
        "Bỏ qua"
    };
    (wards, h.ask(person, skip).await)
}

fn alert_text(answer: &Call) -> String {
    answer.params["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn introduced_person_chooses_ward_and_cell_joins_and_the_officer_is_told_vi() {
    let h = Harness::start().await;
    let w = world(&h, false).await;

    let (code, link) = introduce(&h, &w.officer, "Phạm Thị Dung", "✉️ Giới thiệu: ").await;
    let body = text(&link);
    assert!(
        body.contains("giới thiệu đồng chí Phạm Thị Dung (Sở Tư pháp tỉnh Nghệ An)"),
        "{body}"
    );
    assert!(body.contains("có hiệu lực đến 20/12/2026"), "{body}");
    assert!(code.starts_with("in_") && code.len() == 25, "{code}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'introduction'")
            .await,
        1
    );
    // Pressed again before anyone opened it: the same link.
    let (again, _) = introduce(&h, &w.officer, "Phạm Thị Dung", "✉️ Giới thiệu: ").await;
    assert_eq!(again, code);
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 1);
    // /status shows when.
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(
        status.contains(
            "Phạm Thị Dung: chưa đăng ký sinh hoạt nơi cư trú; đã giới thiệu ngày 20/11/2026"
        ),
        "{status}"
    );
    assert!(
        status.contains("Hoàng Văn Em: chưa đăng ký sinh hoạt nơi cư trú"),
        "{status}"
    );
    assert!(!status.contains("Hoàng Văn Em: chưa đăng ký sinh hoạt nơi cư trú;"));

    // The person opens it: the wards, by name.
    let person = vi_user(300, "Dung");
    let wards = h.ask(&person, &format!("/start {code}")).await;
    assert!(
        text(&wards).contains("Phạm Thị Dung được Sở Tư pháp tỉnh Nghệ An giới thiệu"),
        "{wards:?}"
    );
    assert!(text(&wards).contains("chọn phường, xã nơi cư trú"));
    assert_eq!(
        wards.button_texts(),
        ["Phường Bến Thủy", "Phường Hưng Dũng", "Xã Hưng Đông"]
    );
    // Part of a name, without accents.
    let found = h.ask(&person, "hung").await;
    assert_eq!(found.button_texts(), ["Phường Hưng Dũng", "Xã Hưng Đông"]);
    let none = h.ask(&person, "quận 3").await;
    assert!(
        text(&none).contains("Không có tên nào chứa \"quận 3\""),
        "{none:?}"
    );
    // A ward without cells: told so, the wards again.
    let (_, replies) = h.press(&person, &found, "Xã Hưng Đông").await;
    let again = replies.last().unwrap();
    assert!(
        text(again).contains("Xã Hưng Đông chưa có chi bộ nơi cư trú nào trên hệ thống"),
        "{again:?}"
    );
    assert_eq!(again.button_texts().len(), 3);
    // The ward, then the cell (typed in part).
    h.press(&person, again, "Phường Hưng Dũng").await;
    assert_eq!(
        text(&h.current(again)),
        "Phường, xã: Phường Hưng Dũng",
        "the list settled"
    );
    let cells = h.last(&person);
    assert!(
        text(&cells).contains("chi bộ nơi cư trú thuộc Phường Hưng Dũng"),
        "{cells:?}"
    );
    assert_eq!(
        cells.button_texts(),
        ["Chi bộ khối 5", "⬅️ Chọn phường, xã khác"]
    );
    let typed = h.ask(&person, "khoi 5").await;
    assert_eq!(
        typed.button_texts(),
        ["Chi bộ khối 5", "⬅️ Chọn phường, xã khác"]
    );
    h.press(&person, &typed, "Chi bộ khối 5").await;
    let name_q = h.last(&person);
    assert!(
        says(name_q.text.as_deref(), lang_of(&person), "join-welcome"),
        "{name_q:?}"
    );
    // The usual steps, without the workplace.
    h.ask(&person, "Phạm Thị Dung").await;
    let summary = h.ask(&person, "Bỏ qua").await;
    let s = text(&summary);
    assert!(s.contains("Sở Tư pháp tỉnh Nghệ An"), "{s}");
    assert!(
        s.contains("Cơ quan, người giới thiệu: Sở Tư pháp tỉnh Nghệ An, Cán"),
        "{s}"
    );
    h.press(&person, &summary, "Xác nhận").await;
    assert!(
        says(
            h.current(&summary).text.as_deref(),
            lang_of(&person),
            "join-sent"
        ),
        "{:?}",
        h.current(&summary)
    );
    let used: Option<i64> = sqlx::query_scalar("SELECT membership_id FROM introductions")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert!(used.is_some());

    // The secretary's card says who introduced them.
    let card = h.last(&w.secretary);
    assert!(
        text(&card).contains("✉️ Cơ quan, người giới thiệu: Sở Tư pháp tỉnh Nghệ An, Cán"),
        "{card:?}"
    );
    assert!(text(&card).contains("Phạm Thị Dung"));
    h.press(&w.secretary, &card, "✅ Duyệt").await;
    // The officer is told, through the outbox.
    let told = h.last(&w.officer);
    assert_eq!(
        text(&told),
        "Chi bộ khối 5 đã xác nhận đồng chí Phạm Thị Dung (được cơ quan giới thiệu) sinh hoạt nơi cư trú."
    );
    let cell: i64 = sqlx::query_scalar(
        "SELECT cell_id FROM memberships WHERE user_id = 300 AND status = 'approved'",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(cell, w.cell);

    // A second use: somebody else, and the person again.
    let other = vi_user(301, "Khác");
    let refused = h.ask(&other, &format!("/start {code}")).await;
    assert!(
        says(refused.text.as_deref(), lang_of(&other), "introduce-used"),
        "{refused:?}"
    );
    let again = h.ask(&person, &format!("/start {code}")).await;
    assert!(
        says(
            again.text.as_deref(),
            lang_of(&person),
            "join-already-member"
        ),
        "{again:?}"
    );
    // Registered now: no longer among those not registered.
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(!status.contains("Phạm Thị Dung: chưa"), "{status}");
    assert!(status.contains("Phạm Thị Dung (Chi bộ khối 5)"), "{status}");
}

#[tokio::test]
async fn rejection_told_to_the_officer_link_opened_by_another_expired_or_registered_en() {
    let h = Harness::start().await;
    let w = world(&h, true).await;
    let label = "✉️ Introduce: ";

    let (code, link) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
    assert!(
        text(&link).contains("The link introducing Hoàng Văn Em (Sở Tư pháp tỉnh Nghệ An)"),
        "{link:?}"
    );
    let person = en_user(300, "Em");
    let wards = h.ask(&person, &format!("/start {code}")).await;
    assert!(
        text(&wards).contains("Sở Tư pháp tỉnh Nghệ An introduces you"),
        "{wards:?}"
    );
    // Opened: nobody else may use it, even before the person asks to join.
    let other = en_user(301, "Other");
    let refused = h.ask(&other, &format!("/start {code}")).await;
    assert_eq!(
        text(&refused),
        "This introduction link has already been used. Each link is for one person and can be used once; please contact the workplace that sent it if needed."
    );
    // A ward button outside the dialogue: stale.
    let (answer, _) = h.press_data(&other, refused.message_id, "nw:1").await;
    assert!(
        alert_text(&answer).contains("no longer active"),
        "{answer:?}"
    );

    h.press(&person, &wards, "Phường Bến Thủy").await;
    let cells = h.last(&person);
    assert_eq!(cells.button_texts(), ["Chi bộ khối 7", "⬅️ Another ward"]);
    // Back to the wards: the list again, the cell step left.
    h.press(&person, &cells, "⬅️ Another ward").await;
    let wards_again = h.last(&person);
    assert_eq!(
        wards_again.button_texts(),
        ["Phường Bến Thủy", "Phường Hưng Dũng", "Xã Hưng Đông"]
    );
    assert!(h.current(&cells).button_texts().is_empty(), "settled");
    // Back again, at the ward step: stale.
    let (answer, _) = h.press_data(&person, cells.message_id, "nb").await;
    assert!(
        alert_text(&answer).contains("no longer active"),
        "{answer:?}"
    );
    h.press(&person, &wards_again, "Phường Bến Thủy").await;
    let cells = h.last(&person);
    assert_eq!(cells.button_texts(), ["Chi bộ khối 7", "⬅️ Another ward"]);
    // A cell of another ward, forged: stale.
    let (answer, _) = h
        .press_data(&person, cells.message_id, &format!("nc:{}", w.cell))
        .await;
    assert!(
        alert_text(&answer).contains("no longer active"),
        "{answer:?}"
    );
    // Back to another ward from the old list.
    h.press(&person, &wards, "Phường Hưng Dũng").await;
    let cells = h.last(&person);
    assert_eq!(cells.button_texts(), ["Chi bộ khối 5", "⬅️ Another ward"]);
    h.press(&person, &cells, "Chi bộ khối 5").await;
    h.ask(&person, "Hoàng Văn Em").await;
    let summary = h.ask(&person, "Skip").await;
    assert!(
        text(&summary).contains("Introduced by: Sở Tư pháp tỉnh Nghệ An, Cán"),
        "{summary:?}"
    );
    h.press(&person, &summary, "Confirm").await;
    let card = h.last(&w.secretary);
    assert!(
        text(&card).contains("✉️ Introduced by: Sở Tư pháp tỉnh Nghệ An, Cán"),
        "{card:?}"
    );
    h.press(&w.secretary, &card, "❌ Reject").await;
    assert_eq!(
        text(&h.last(&w.officer)),
        "Chi bộ khối 5 did not approve the request of Hoàng Văn Em (introduced by your workplace). Please contact the cell's secretary or Hoàng Văn Em."
    );
    // Used by the request: refused to the person too.
    let again = h.ask(&person, &format!("/start {code}")).await;
    assert!(
        says(again.text.as_deref(), lang_of(&person), "introduce-used"),
        "{again:?}"
    );

    // Expired after 30 days.
    let (late, _) = introduce(&h, &w.officer, "Đỗ Văn Giang", label).await;
    h.clock
        .set(default_now() + chrono::Duration::days(30) + chrono::Duration::minutes(1));
    let expired = h
        .ask(&en_user(302, "Late"), &format!("/start {late}"))
        .await;
    assert!(
        says(expired.text.as_deref(), Lang::En, "introduce-expired"),
        "{expired:?}"
    );

    // A person registered since the link was made (a new link, the
    // expired one is not given again).
    h.clock.set(default_now() + chrono::Duration::days(31));
    let (code, _) = introduce(&h, &w.officer, "Đỗ Văn Giang", label).await;
    assert_ne!(code, late);
    insert_members(&h, w.cell, None, 700, 1, "approved").await;
    sqlx::query("UPDATE memberships SET full_name = 'Đỗ Văn Giang', phone = '+84912000333' WHERE user_id = 700")
        .execute(&h.pool)
        .await
        .unwrap();
    let registered = h
        .ask(&en_user(303, "Giang"), &format!("/start {code}"))
        .await;
    assert!(
        says(registered.text.as_deref(), Lang::En, "introduce-registered"),
        "{registered:?}"
    );
    // And a garbled code of the same form.
    let unknown = h
        .ask(&en_user(304, "X"), "/start in_AAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert!(
        says(unknown.text.as_deref(), Lang::En, "introduce-unknown"),
        "{unknown:?}"
    );
}

use lienhe::domain::Lang;

#[tokio::test]
async fn only_an_officer_of_the_rosters_workplace_may_introduce() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let status = h.ask(&w.officer, "/status").await;
    let data = status
        .button_data("✉️ Giới thiệu: Hoàng Văn Em")
        .expect("an Introduce button");
    assert!(data.starts_with("ni:"), "{data}");

    // The secretary (not an officer), a user with no role, and the officer
    // of another workplace press the same data: refused, nothing made.
    let nobody = vi_user(400, "Ai");
    h.ask(&nobody, "/start").await;
    let other_officer = vi_user(401, "Khác");
    h.ask(
        &other_officer,
        &format!("/start {}", h.officer_code(2).await),
    )
    .await;
    for who in [&w.secretary, &nobody, &other_officer] {
        let (answer, sent) = h.press_data(who, status.message_id, &data).await;
        assert!(
            says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"),
            "{answer:?}"
        );
        assert!(sent.is_empty(), "{sent:?}");
    }
    // An officer no longer: refused on the next press (the role is read at
    // every press).
    sqlx::query("DELETE FROM workplace_officers WHERE user_id = 200")
        .execute(&h.pool)
        .await
        .unwrap();
    let (answer, _) = h.press_data(&w.officer, status.message_id, &data).await;
    assert!(
        says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"),
        "{answer:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 0);
    // Forged entries.
    sqlx::query("INSERT INTO workplace_officers (workplace_id, user_id, since) VALUES (1, 200, '2026-11-20T00:00:00Z')")
        .execute(&h.pool)
        .await
        .unwrap();
    let (answer, _) = h
        .press_data(&w.officer, status.message_id, "ni:99999")
        .await;
    assert!(
        says(Some(&alert_text(&answer)), Lang::Vi, "introduce-entry-gone"),
        "{answer:?}"
    );
    let (answer, _) = h.press_data(&w.officer, status.message_id, "ni:-1").await;
    assert!(
        says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"),
        "{answer:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 0);
}

#[tokio::test]
async fn an_open_link_outlives_a_new_import_and_a_restart() {
    let mut h = Harness::start().await;
    let w = world(&h, false).await;
    let old_status = h.ask(&w.officer, "/status").await;
    let (code, _) = introduce(&h, &w.officer, "Phạm Thị Dung", "✉️ Giới thiệu: ").await;

    // The roster imported again: the entries are new, the link still holds.
    h.ask(&w.officer, "/roster").await;
    let preview = h
        .send_update(&w.officer, |api| {
            api.document(&w.officer, "ds.csv", "text/csv", ROSTER.as_bytes().to_vec())
        })
        .await
        .pop()
        .unwrap();
    h.press(&w.officer, &preview, "Nhập danh sách").await;
    // An Introduce button of the old list: that entry is gone.
    let (answer, _) = h
        .press(&w.officer, &old_status, "✉️ Giới thiệu: Hoàng Văn Em")
        .await;
    assert!(
        says(Some(&alert_text(&answer)), Lang::Vi, "introduce-entry-gone"),
        "{answer:?}"
    );

    let person = vi_user(300, "Dung");
    let wards = h.ask(&person, &format!("/start {code}")).await;
    h.press(&person, &wards, "Phường Hưng Dũng").await;
    let cells = h.last(&person);
    // A restart between two steps: the step is where it was.
    h.restart().await;
    h.press(&person, &cells, "Chi bộ khối 5").await;
    h.ask(&person, "Phạm Thị Dung").await;
    let summary = h.ask(&person, "Bỏ qua").await;
    h.press(&person, &summary, "Xác nhận").await;
    let card = h.last(&w.secretary);
    assert!(
        text(&card).contains("✉️ Cơ quan, người giới thiệu: Sở Tư pháp tỉnh Nghệ An, Cán"),
        "{card:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM introductions WHERE membership_id IS NOT NULL")
            .await,
        1
    );
}

fn tr(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

/// The officer withdraws a link: whoever opens it is told so, the person
/// who opened it before cannot send the join request with it, pressing
/// Introduce again makes a new link that works; a link that led to a join
/// request cannot be withdrawn; others may not withdraw.
async fn withdrawn_link(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.officer);
    let (label, person) = introduce_label_and_person(en);

    // Opened by the person, who has chosen the ward and the cell.
    let (code, link) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
    let (_, summary) = fill_in_the_join(&h, &person, &code, "Hoàng Văn Em").await;

    // Somebody else presses the link's button: refused, nothing changes.
    let other_officer = if en {
        en_user(401, "Other")
    } else {
        vi_user(401, "Khác")
    };
    h.ask(
        &other_officer,
        &format!("/start {}", h.officer_code(2).await),
    )
    .await;
    let data = link
        .button_data(&tr(lang, "introduce-button-revoke"))
        .expect("a Withdraw button");
    for who in [&w.secretary, &other_officer] {
        let (answer, _) = h.press_data(who, link.message_id, &data).await;
        assert!(
            says(Some(&alert_text(&answer)), lang_of(who), "not-allowed"),
            "{answer:?}"
        );
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM introductions WHERE revoked_at IS NOT NULL")
            .await,
        0
    );

    // The officer withdraws it: the message says so, once.
    let (answer, _) = h
        .press(&w.officer, &link, &tr(lang, "introduce-button-revoke"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        lang,
        "introduce-revoke-done"
    ));
    let shown = h.current(&link);
    assert!(
        says(shown.text.as_deref(), lang, "introduce-link-revoked")
            && text(&shown).contains("Hoàng Văn Em")
            && text(&shown).contains("20/11/2026"),
        "{shown:?}"
    );
    assert!(shown.buttons().is_empty(), "{shown:?}");
    let (answer, _) = h.press_data(&w.officer, link.message_id, &data).await;
    assert!(says(
        Some(&alert_text(&answer)),
        lang,
        "introduce-revoke-already"
    ));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'revoke_introduction'")
            .await,
        1
    );

    // The person confirms the request made with it: refused, nothing
    // stored, told why; the link no longer opens for anyone.
    h.press(&person, &summary, &tr(lang_of(&person), "button-confirm"))
        .await;
    assert!(
        says(
            h.current(&summary).text.as_deref(),
            lang_of(&person),
            "introduce-revoked"
        ),
        "{:?}",
        h.current(&summary)
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300")
            .await,
        0
    );
    let again = h.ask(&person, &format!("/start {code}")).await;
    assert!(
        says(again.text.as_deref(), lang_of(&person), "introduce-revoked"),
        "{again:?}"
    );

    // Introduce again: a new link, which works.
    let (new_code, _) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
    assert_ne!(new_code, code);
    let (wards, summary) = fill_in_the_join(&h, &person, &new_code, "Hoàng Văn Em").await;
    assert!(
        says(wards.text.as_deref(), lang_of(&person), "introduce-welcome"),
        "{wards:?}"
    );
    h.press(&person, &summary, &tr(lang_of(&person), "button-confirm"))
        .await;
    assert!(says(
        h.current(&summary).text.as_deref(),
        lang_of(&person),
        "join-sent"
    ));
    // Used for a join request now: it cannot be withdrawn.
    let new_link = h
        .api
        .sent(w.officer.id)
        .into_iter()
        .rev()
        .find(|s| text(s).contains(&new_code))
        .unwrap();
    let (answer, _) = h
        .press(&w.officer, &new_link, &tr(lang, "introduce-button-revoke"))
        .await;
    assert!(
        says(Some(&alert_text(&answer)), lang, "introduce-revoke-used"),
        "{answer:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'pending'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_officer_withdraws_a_link_and_introduces_again() {
    withdrawn_link(false).await;
}

#[tokio::test]
async fn an_officer_withdraws_a_link_in_english() {
    withdrawn_link(true).await;
}

/// A link whose 30 days run out while its person fills in the join: the
/// Confirm says it expired (and to ask for a new one), not "already used".
#[tokio::test]
async fn a_link_that_expires_during_the_join_says_expired() {
    for en in [false, true] {
        let h = Harness::start().await;
        let w = world(&h, en).await;
        let (label, person) = introduce_label_and_person(en);
        let (code, _) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
        let (_, summary) = fill_in_the_join(&h, &person, &code, "Hoàng Văn Em").await;

        h.clock.advance(chrono::Duration::days(31));
        h.press(&person, &summary, &tr(lang_of(&person), "button-confirm"))
            .await;
        let shown = h.current(&summary);
        assert!(
            says(shown.text.as_deref(), lang_of(&person), "introduce-expired"),
            "{shown:?}"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300")
                .await,
            0
        );
    }
}

/// The person joins through their link under a name other than the
/// roster's (and no phone): the approved join is theirs all the same, and
/// /status no longer lists them as not registered.
#[tokio::test]
async fn joined_through_the_link_under_another_name_is_registered() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let person = vi_user(300, "Em");
    let (code, _) = introduce(&h, &w.officer, "Hoàng Văn Em", "✉️ Giới thiệu: ").await;
    let (_, summary) = fill_in_the_join(&h, &person, &code, "Hoàng Em").await;
    h.press(&person, &summary, "Xác nhận").await;
    h.quiet().await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.press_data(&w.secretary, 1, &format!("ja:{membership}"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'approved'")
            .await,
        1
    );
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(
        !status.contains("Hoàng Văn Em: chưa đăng ký sinh hoạt nơi cư trú"),
        "{status}"
    );
    assert!(status.contains("Hoàng Em (Chi bộ khối 5)"), "{status}");
}

/// The officer sends the same roster again after a person joined through
/// their link under another name: the preview counts them registered, as
/// /status does, not among the people to introduce (it said 3 not
/// registered where /status lists 2).
#[tokio::test]
async fn a_roster_sent_again_counts_who_joined_through_their_link_as_registered() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let person = vi_user(300, "Em");
    let (code, _) = introduce(&h, &w.officer, "Hoàng Văn Em", "✉️ Giới thiệu: ").await;
    let (_, summary) = fill_in_the_join(&h, &person, &code, "Hoàng Em").await;
    h.press(&person, &summary, "Xác nhận").await;
    h.quiet().await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.press_data(&w.secretary, 1, &format!("ja:{membership}"))
        .await;
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(!status.contains("Hoàng Văn Em: chưa đăng ký"), "{status}");
    h.ask(&w.officer, "/roster").await;
    let preview = h
        .send_update(&w.officer, |api| {
            api.document(&w.officer, "ds.csv", "text/csv", ROSTER.as_bytes().to_vec())
        })
        .await
        .pop()
        .expect("a preview");
    let preview = text(&preview);
    assert!(
        preview.contains("Đã đăng ký sinh hoạt nơi cư trú: 1"),
        "{preview}"
    );
    assert!(
        preview.contains("dòng 3: Hoàng Văn Em — Chi bộ khối 5 (qua đường liên kết giới thiệu)"),
        "{preview}"
    );
    assert!(
        preview.contains("Chưa đăng ký sinh hoạt nơi cư trú: 2"),
        "{preview}"
    );
}

/// An introduction link opened by someone who gives another name (the link
/// passed on to a relative): the secretary's card says whom the link was
/// made for, and asks to check. The same name, however typed, says nothing.
async fn link_used_under_another_name(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let (label, person) = introduce_label_and_person(en);
    let (code, _) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
    let (_, summary) = fill_in_the_join(&h, &person, &code, "Trần Văn Khách").await;
    let confirm = if en { "Confirm" } else { "Xác nhận" };
    h.press(&person, &summary, confirm).await;
    let card = h.last(&w.secretary);
    let secretary_lang = lang_of(&w.secretary);
    assert!(
        says(
            card.text.as_deref(),
            secretary_lang,
            "introduce-card-other-name"
        ) && text(&card).contains("Hoàng Văn Em"),
        "{card:?}"
    );
    // The name the link was made for, typed without accents: no warning.
    let other = if en {
        en_user(301, "Dung")
    } else {
        vi_user(301, "Dung")
    };
    let (code, _) = introduce(&h, &w.officer, "Phạm Thị Dung", label).await;
    let (_, summary) = fill_in_the_join(&h, &other, &code, "pham thi dung").await;
    h.press(&other, &summary, confirm).await;
    let card = h.last(&w.secretary);
    assert!(
        says(card.text.as_deref(), secretary_lang, "join-card"),
        "{card:?}"
    );
    assert!(
        !says(
            card.text.as_deref(),
            secretary_lang,
            "introduce-card-other-name"
        ),
        "{card:?}"
    );
}

#[tokio::test]
async fn a_link_used_under_another_name_is_flagged_on_the_card() {
    link_used_under_another_name(false).await;
}

#[tokio::test]
async fn a_link_used_under_another_name_is_flagged_on_the_card_in_english() {
    link_used_under_another_name(true).await;
}

/// An officer who introduced someone and then lost the role is not told
/// where the person came to live: the workplace's officers now are.
#[tokio::test]
async fn the_outcome_goes_to_the_workplaces_officers_once_the_introducer_is_not_one() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let (code, _) = introduce(&h, &w.officer, "Phạm Thị Dung", "✉️ Giới thiệu: ").await;
    let person = vi_user(300, "Dung");
    let (_, summary) = fill_in_the_join(&h, &person, &code, "Phạm Thị Dung").await;
    h.press(&person, &summary, "Xác nhận").await;
    let successor = vi_user(201, "Lan");
    h.ask(&successor, &format!("/start {}", h.officer_code(1).await))
        .await;
    let out = h
        .admin(lienhe::cli::Admin::Role {
            command: lienhe::cli::RoleCommand::Revoke {
                user: w.officer.id,
                role: lienhe::cli::RoleName::Officer,
                workplace: Some(1),
                ward: None,
                cell: None,
            },
        })
        .await;
    assert!(out.ends_with("revoked"), "{out}");
    let before = h.api.sent_count(w.officer.id);
    let card = h.last(&w.secretary);
    h.press(&w.secretary, &card, "✅ Duyệt").await;
    h.drain().await;
    let told = h.last(&successor);
    assert!(
        says(told.text.as_deref(), Lang::Vi, "introduce-approved"),
        "{told:?}"
    );
    assert_eq!(
        h.api.sent_count(w.officer.id),
        before,
        "nothing to the former officer"
    );
}

/// Namesakes on the roster, not registered: /status tells them apart, in
/// its lines and on their Introduce buttons, by their phone (or, without
/// one, their line of the roster), and each button introduces its own
/// person. Two identical lines and buttons left the officer guessing whose
/// link they were given.
async fn namesakes_told_apart(en: bool) {
    let h = Harness::start().await;
    let officer = if en {
        en_user(200, "Can")
    } else {
        vi_user(200, "Cán")
    };
    h.cell_setup().await;
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    h.ask(&officer, "/roster").await;
    let roster = "Họ và tên,Số điện thoại\n\
                  Nguyễn Văn Bình,\n\
                  Nguyễn Văn Bình,0912000001\n\
                  nguyễn văn  bình,+84 912 000 002\n\
                  Trần Thị Cúc,0912000003\n";
    let preview = h
        .send_update(&officer, |api| {
            api.document(&officer, "ds.csv", "text/csv", roster.as_bytes().to_vec())
        })
        .await
        .pop()
        .expect("a preview");
    h.press(
        &officer,
        &preview,
        if en { "Import" } else { "Nhập danh sách" },
    )
    .await;

    let status = h.ask(&officer, "/status").await;
    let body = text(&status);
    let (label, not_registered, line, phone) = if en {
        (
            "✉️ Introduce: ",
            "not registered with a residence cell",
            "line 2 of the roster",
            "phone",
        )
    } else {
        (
            "✉️ Giới thiệu: ",
            "chưa đăng ký sinh hoạt nơi cư trú",
            "dòng 2 của danh sách",
            "SĐT",
        )
    };
    let names = [
        format!("Nguyễn Văn Bình ({line})"),
        format!("Nguyễn Văn Bình ({phone} 0912000001)"),
        format!("nguyễn văn bình ({phone} 0912000002)"),
        "Trần Thị Cúc".to_string(),
    ];
    for name in &names {
        assert!(
            body.contains(&format!("\n{name}: {not_registered}")),
            "{name}: {body}"
        );
    }
    let wanted: Vec<String> = names.iter().map(|n| format!("{label}{n}")).collect();
    assert_eq!(status.button_texts(), wanted);

    // The button of the second namesake introduces that person, and the
    // link's message names them by their phone too.
    let (_, sent) = h.press(&officer, &status, &wanted[2]).await;
    let link = text(sent.last().expect("the link"));
    assert!(
        link.matches(&format!("nguyễn văn bình ({phone} 0912000002)"))
            .count()
            == 2,
        "{link}"
    );
    let introduced: (String, Option<String>) =
        sqlx::query_as("SELECT full_name, phone FROM introductions")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        introduced,
        (
            "nguyễn văn bình".to_string(),
            Some("0912000002".to_string())
        )
    );
}

#[tokio::test]
async fn namesakes_on_the_roster_are_told_apart_in_status() {
    namesakes_told_apart(false).await;
}

#[tokio::test]
async fn namesakes_on_the_roster_are_told_apart_in_status_in_english() {
    namesakes_told_apart(true).await;
}

/// The officer of workplace 1 (user 200) with a roster naming "Trần Thị
/// Bình"; an introduction link for her, opened by `secretary`.
async fn introduction_code(h: &Harness, lang: Lang) -> String {
    let officer = user_in(lang, 200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    h.ask(&officer, "/roster").await;
    let roster = "Họ và tên,Số điện thoại\nTrần Thị Bình,0912000111\n";
    let preview = h
        .send_update(&officer, |api| {
            api.document(&officer, "ds.csv", "text/csv", roster.as_bytes().to_vec())
        })
        .await
        .pop()
        .expect("a preview");
    h.press(&officer, &preview, &preview.buttons()[0].0).await;
    let status = h.ask(&officer, "/status").await;
    let introduce = label_of(&status, "ni:").expect("an Introduce button");
    let (_, replies) = h.press(&officer, &status, &introduce).await;
    let body = replies.last().and_then(|s| s.text.clone()).unwrap();
    let at = body.find("?start=").expect("a deep link") + "?start=".len();
    body[at..].split_whitespace().next().unwrap().to_string()
}

/// A secretary who is no member of the cell, writing an announcement,
/// opens an introduction link (given up with /cancel, then opened again
/// and the join sent): each time the announcement's question comes back,
/// and the text typed next is previewed. Before, the link ended the
/// announcement without a word.
#[tokio::test]
async fn an_announcement_being_written_survives_an_introduction_link() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        let code = introduction_code(&h, lang).await;
        let resumed = text_of(lang, "dialogue-resumed");
        let asked = h.ask(&secretary, "/announce").await;
        assert!(
            says(asked.text.as_deref(), lang, "ask-announcement"),
            "{asked:?}"
        );
        // Opened, then /cancel.
        let wards = h.ask(&secretary, &format!("/start {code}")).await;
        assert!(
            says(wards.text.as_deref(), lang, "introduce-welcome"),
            "{wards:?}"
        );
        let cancelled = h.ask(&secretary, "/cancel").await.text.unwrap();
        assert!(cancelled.ends_with(&resumed), "{lang:?}: {cancelled}");
        // Opened again, the join sent.
        let wards = h.ask(&secretary, &format!("/start {code}")).await;
        h.press(&secretary, &wards, "Phường Hưng Dũng").await;
        let cells = h.last(&secretary);
        h.press(&secretary, &cells, "Chi bộ khối 5").await;
        h.ask(&secretary, "Trần Thị Bình").await;
        let summary = h.ask(&secretary, &text_of(lang, "button-skip")).await;
        h.press(&secretary, &summary, &text_of(lang, "button-confirm"))
            .await;
        let sent = h.current(&summary).text.unwrap();
        assert!(
            says(Some(&sent), lang, "role-own-join-waits") && sent.ends_with(&resumed),
            "{lang:?}: {sent}"
        );
        let preview = h.ask(&secretary, "Họp chi bộ lúc 19h thứ Bảy").await;
        assert!(
            says(preview.text.as_deref(), lang, "announce-preview"),
            "{lang:?}: {preview:?}"
        );
    }
}

/// A long text pasted where the ward is searched: quoted cut short, the
/// question asked again under it.
#[tokio::test]
async fn a_long_ward_search_is_quoted_short_and_asked_again() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let (code, _) = introduce(&h, &w.officer, "Phạm Thị Dung", "✉️ Giới thiệu: ").await;
    let person = vi_user(300, "Dung");
    let wards = h.ask(&person, &format!("/start {code}")).await;
    let reply = h.ask(&person, &"xyz ".repeat(1000)).await;
    let said = text(&reply);
    assert!(said.chars().count() < 600, "{said}");
    assert!(said.contains("xyz xyz"), "{said}");
    let question = text(&wards);
    let question = question.lines().last().unwrap();
    assert!(
        said.ends_with(question),
        "{question:?} not at the end of {said}"
    );
}

/// A ward or cell name that matches nothing: said so, and the list is
/// shown again to choose from (as the answer says), not taken away.
#[tokio::test]
async fn a_search_matching_nothing_keeps_the_list() {
    for en in [false, true] {
        let h = Harness::start().await;
        let w = world(&h, en).await;
        let (label, person) = introduce_label_and_person(en);
        let lang = lang_of(&person);
        let (code, _) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
        let wards = h.ask(&person, &format!("/start {code}")).await;
        let none = h.ask(&person, "zzz").await;
        assert!(
            says(none.text.as_deref(), lang, "introduce-search-none"),
            "{none:?}"
        );
        assert_eq!(none.button_texts(), wards.button_texts());
        h.press(&person, &none, "Phường Bến Thủy").await;
        let cells = h.last(&person);
        let none = h.ask(&person, "zzz").await;
        assert!(
            says(none.text.as_deref(), lang, "introduce-search-none"),
            "{none:?}"
        );
        assert_eq!(none.button_texts(), cells.button_texts());
    }
}

/// An introduction link cut short or damaged (a character lost in copying)
/// is told as a wrong introduction link, not as a wrong invitation to ask
/// a secretary about; nothing is stored.
#[tokio::test]
async fn an_introduction_link_cut_short_is_told_as_a_wrong_introduction_link() {
    let h = Harness::start().await;
    for (lang, person) in [
        (Lang::Vi, vi_user(305, "Dung")),
        (Lang::En, en_user(306, "Dung")),
    ] {
        for cut in ["in_AAAAAAAAAA", "in_AAAA-AAAA", "in_"] {
            let reply = h.ask(&person, &format!("/start {cut}")).await;
            assert!(
                says(reply.text.as_deref(), lang, "introduce-unknown"),
                "{cut}: {reply:?}"
            );
        }
    }
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);
}

/// The officer withdraws a link sent to the wrong person: the person has
/// no link now, and /status no longer says they were introduced (it went
/// on saying "introduced on 20/11/2026", as if the person held a link,
/// and the digest counted the days since); introduced again, the new
/// link's day is shown.
#[tokio::test]
async fn a_withdrawn_link_is_not_shown_as_an_introduction() {
    let h = Harness::start().await;
    let w = world(&h, false).await;
    let (_, link) = introduce(&h, &w.officer, "Hoàng Văn Em", "✉️ Giới thiệu: ").await;
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(
        status.contains(
            "Hoàng Văn Em: chưa đăng ký sinh hoạt nơi cư trú; đã giới thiệu ngày 20/11/2026"
        ),
        "{status}"
    );
    h.press(&w.officer, &link, "🚫 Thu hồi đường liên kết này")
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM introductions WHERE revoked_at IS NOT NULL")
            .await,
        1
    );
    let status = text(&h.ask(&w.officer, "/status").await);
    let line = status
        .lines()
        .find(|l| l.starts_with("Hoàng Văn Em:"))
        .unwrap_or_else(|| panic!("{status}"));
    assert_eq!(
        line, "Hoàng Văn Em: chưa đăng ký sinh hoạt nơi cư trú",
        "{status}"
    );
    h.set_local(2026, 11, 22, 9, 0);
    introduce(&h, &w.officer, "Hoàng Văn Em", "✉️ Giới thiệu: ").await;
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(
        status.contains(
            "Hoàng Văn Em: chưa đăng ký sinh hoạt nơi cư trú; đã giới thiệu ngày 22/11/2026"
        ),
        "{status}"
    );
}

/// The documents /mydata sent `user` last: (XLSX as text, JSON as text).
async fn my_data_texts(h: &Harness, user: &TgUser) -> (String, String) {
    let documents = |h: &Harness| {
        h.api
            .sent(user.id)
            .into_iter()
            .filter(|s| s.method == "senddocument")
            .collect::<Vec<_>>()
    };
    let before = documents(h).len();
    h.api.text(user, "/mydata");
    h.wait_documents(user.id, before + 2).await;
    let docs = documents(h).split_off(before);
    let xlsx = docs[0].document_bytes.clone().expect("the XLSX");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        use std::io::Read;
        let _ = zip.by_index(i).unwrap().read_to_string(&mut all);
    }
    let json = String::from_utf8(docs[1].document_bytes.clone().expect("the JSON")).unwrap();
    (all, json)
}

/// A link opened by somebody it was not meant for (forwarded, sent to the
/// wrong person): their /mydata lists the introduction they opened, but
/// not the phone number the workplace's roster gave for the person it was
/// meant for (it gave them that stranger's phone), and their /forgetme
/// does not erase it from the link (it did: /status then no longer said
/// when that person was introduced). Who opens their own link and joins
/// with that number sees it, and erases it with their data.
async fn mydata_of_a_link_opened_by_another(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let (label, _) = introduce_label_and_person(en);
    let user = if en { en_user } else { vi_user };
    let (code, _) = introduce(&h, &w.officer, "Phạm Thị Dung", label).await;
    let stranger = user(301, "Lạ");
    h.ask(&stranger, &format!("/start {code}")).await;
    let (xlsx, json) = my_data_texts(&h, &stranger).await;
    assert!(json.contains("Phạm Thị Dung"), "{json}");
    for text in [&xlsx, &json] {
        assert!(
            !text.contains("0912000111"),
            "another person's phone in the stranger's data"
        );
    }
    // Nor is it theirs to erase: the link keeps it, and /status still says
    // when Dung was introduced.
    let lang = if en { Lang::En } else { Lang::Vi };
    erase_data(&h, &stranger, lang).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM introductions WHERE phone = '0912000111'")
            .await,
        1
    );
    let status = text(&h.ask(&w.officer, "/status").await);
    let line = status
        .lines()
        .find(|l| l.starts_with("Phạm Thị Dung"))
        .unwrap_or_else(|| panic!("{status}"));
    assert!(line.contains("20/11/2026"), "{line}");

    // Giang opens their own link and joins with the roster's number.
    let (code, _) = introduce(&h, &w.officer, "Đỗ Văn Giang", label).await;
    let giang = user(302, "Giang");
    let wards = h.ask(&giang, &format!("/start {code}")).await;
    h.press(&giang, &wards, "Phường Hưng Dũng").await;
    let cells = h.last(&giang);
    h.press(&giang, &cells, "Chi bộ khối 5").await;
    h.ask(&giang, "Đỗ Văn Giang").await;
    let summary = h.ask(&giang, "0912 000 333").await;
    h.press(&giang, &summary, if en { "Confirm" } else { "Xác nhận" })
        .await;
    let (_, json) = my_data_texts(&h, &giang).await;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["introductions"][0]["full_name"], "Đỗ Văn Giang");
    assert_eq!(json["introductions"][0]["phone"], "0912000333");
    // Theirs to erase.
    erase_data(&h, &giang, lang).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM introductions WHERE phone = '0912000333'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_link_opened_by_another_neither_shows_them_nor_loses_the_persons_phone() {
    mydata_of_a_link_opened_by_another(false).await;
}

#[tokio::test]
async fn a_link_opened_by_another_neither_shows_them_nor_loses_the_persons_phone_in_english() {
    mydata_of_a_link_opened_by_another(true).await;
}

/// An officer's Introduce committed just before a kill, the link's message
/// never sent: the press served again is skipped as handled, and Introduce
/// pressed again gives the link (the same one): one introduction is
/// stored, one link sent.
async fn introduced_just_before_a_kill(en: bool) {
    let mut h = Harness::start().await;
    let w = world(&h, en).await;
    let (label, _) = introduce_label_and_person(en);
    let status = h.ask(&w.officer, "/status").await;
    let press = status
        .button_data(&format!("{label}Hoàng Văn Em"))
        .expect("the Introduce button");
    let links = |h: &Harness| {
        h.api
            .sent(w.officer.id)
            .into_iter()
            .filter(|s| text(s).contains("?start="))
            .collect::<Vec<_>>()
    };
    let held = h.api.hold_next("sendMessage", w.officer.id);
    let update = h.api.callback(&w.officer, status.message_id, &press);
    // Killed there: the introduction is stored, its link not sent.
    h.killed_at_and_served_again(held, "the link is on its way", update)
        .await;
    assert!(links(&h).is_empty());
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 1);

    h.press_data(&w.officer, status.message_id, &press).await;
    let sent = links(&h);
    assert_eq!(sent.len(), 1, "{:?}", h.api.sent(w.officer.id));
    let code: String = sqlx::query_scalar("SELECT code FROM introductions")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert!(text(&sent[0]).contains(&code), "{:?}", sent[0].text);
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 1);
}

#[tokio::test]
async fn an_introduction_killed_before_its_link_gives_the_link_when_pressed_again() {
    introduced_just_before_a_kill(false).await;
}

#[tokio::test]
async fn an_introduction_killed_before_its_link_gives_the_link_when_pressed_again_in_english() {
    introduced_just_before_a_kill(true).await;
}

/// An officer whose role the operator took away (`admin role revoke`)
/// presses what is still on their screen: Introduce in /status and
/// Withdraw under a link. Each is refused in their language, naming the
/// workplace they no longer follow; no link is made or withdrawn, and the
/// link already given still opens. An officer of another workplace pressing
/// the same buttons is told it is not allowed, and sees nothing of it.
/// Already so.
async fn revoked_officer_presses_old_buttons(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.officer);
    let (label, _) = introduce_label_and_person(en);
    let (code, link) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
    let status = h.ask(&w.officer, "/status").await;
    let introduce_other = status
        .button_data(&format!("{label}Phạm Thị Dung"))
        .expect("Introduce");
    let withdraw = link
        .button_data(&tr(lang, "introduce-button-revoke"))
        .expect("Withdraw");
    let other = user_in(lang, 401, "Khác");
    h.ask(&other, &format!("/start {}", h.officer_code(2).await))
        .await;
    h.revoke_officer(&w.officer, 1).await;
    let workplace: String = sqlx::query_scalar("SELECT name FROM workplaces WHERE id = 1")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let gone = lienhe::t!(lang, "officer-role-gone", workplace = workplace.as_str());
    for (message, data) in [(&status, &introduce_other), (&link, &withdraw)] {
        let (answer, sent) = h.press_data(&w.officer, message.message_id, data).await;
        assert_eq!(alert_text(&answer), gone, "{data}");
        assert!(sent.is_empty(), "{sent:?}");
        let (answer, sent) = h.press_data(&other, message.message_id, data).await;
        assert!(
            says(Some(&alert_text(&answer)), lang, "not-allowed"),
            "{answer:?}"
        );
        assert!(sent.is_empty(), "{sent:?}");
    }
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM introductions WHERE revoked_at IS NOT NULL")
            .await,
        0
    );
    let person = user_in(lang, 300, "Em");
    let wards = h.ask(&person, &format!("/start {code}")).await;
    assert!(
        wards.button_data("Phường Hưng Dũng").is_some(),
        "the link still opens: {wards:?}"
    );
}

#[tokio::test]
async fn a_revoked_officers_old_buttons_are_refused_and_change_nothing() {
    revoked_officer_presses_old_buttons(false).await;
}

#[tokio::test]
async fn a_revoked_officers_old_buttons_are_refused_and_change_nothing_in_english() {
    revoked_officer_presses_old_buttons(true).await;
}

/// Introduced at 23:50 on 31 December, the link opened on 2 January:
/// the link is valid 30 days (to 30/01/2027), /status says "introduced on
/// 31/12/2026" until the person registers; the join is filled in with the
/// month they come to the cell (01/2027, on the summary and the
/// secretary's card), the officer is told the approval, and the member is
/// listed in /status of 2027, no longer among 2026's people not
/// registered. Already so.
async fn introduced_on_new_years_eve_opened_on_2_january(en: bool) {
    let h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.officer);
    let (label, person) = introduce_label_and_person(en);
    h.set_local(2026, 12, 31, 23, 50);
    let (code, link) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
    assert!(text(&link).contains("30/01/2027"), "{link:?}");
    let unregistered = tr(lang, "roster-unregistered");
    let on = lienhe::t!(lang, "introduce-status-date", date = "31/12/2026");
    let waiting = format!("Hoàng Văn Em: {unregistered}; {on}");
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(status.contains(&waiting), "{status}");
    h.set_local(2027, 1, 2, 9, 0);
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(status.contains(&waiting), "{status}");

    let (_, summary) = fill_in_the_join(&h, &person, &code, "Hoàng Văn Em").await;
    let month = lienhe::t!(lang, "intro-line", month = "01/2027");
    assert!(text(&summary).contains(&month), "{summary:?}");
    let confirm = if en { "Confirm" } else { "Xác nhận" };
    h.press(&person, &summary, confirm).await;
    let card = h.last(&w.secretary);
    assert!(text(&card).contains(&month), "{card:?}");
    let approve = if en { "✅ Approve" } else { "✅ Duyệt" };
    h.press(&w.secretary, &card, approve).await;
    h.drain().await;
    let told = text(&h.last(&w.officer));
    assert!(
        told.contains("Hoàng Văn Em") && told.contains("Chi bộ khối 5"),
        "{told}"
    );
    let introduced: String =
        sqlx::query_scalar("SELECT introduced_on FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(introduced, "2027-01-01");
    let status = text(&h.ask(&w.officer, "/status").await);
    assert!(!status.contains("Hoàng Văn Em"), "{status}");
    let status = text(&h.ask(&w.officer, "/status 2027").await);
    assert!(status.contains("Hoàng Văn Em (Chi bộ khối 5)"), "{status}");
}

#[tokio::test]
async fn introduced_on_new_years_eve_and_opened_on_2_january() {
    introduced_on_new_years_eve_opened_on_2_january(false).await;
}

#[tokio::test]
async fn introduced_on_new_years_eve_and_opened_on_2_january_in_english() {
    introduced_on_new_years_eve_opened_on_2_january(true).await;
}

/// A link made after the backup was taken, its Withdraw pressed by the
/// officer on the bot restarted on that backup: the link is not in the
/// restored database. The officer is told the link is no longer in the
/// system (it was "You are not allowed to do this." to the very officer
/// who made it); the message loses its buttons and nothing is written. A
/// press naming it from a message without that button is refused as
/// before.
async fn a_link_made_after_the_backup(en: bool) {
    let mut h = Harness::start().await;
    let w = world(&h, en).await;
    let lang = lang_of(&w.officer);
    let (label, _) = introduce_label_and_person(en);
    let copy = h.dir.path().join("before.db");
    let (ok, _, err) =
        crate::ops::lienhe(&h.db_url, &["backup", "--out", copy.to_str().unwrap()]).await;
    assert!(ok, "{err}");
    let (_, link) = introduce(&h, &w.officer, "Hoàng Văn Em", label).await;
    let data = link
        .button_data(&tr(lang, "introduce-button-revoke"))
        .expect("a Withdraw button");

    h.stop_bot().await;
    let (ok, out, err) =
        crate::ops::lienhe(&h.db_url, &["restore", "--from", copy.to_str().unwrap()]).await;
    assert!(ok, "{out}{err}");
    h.start_bot().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 0);

    let (answer, _) = h.press_data(&w.officer, link.message_id, &data).await;
    assert_eq!(
        alert_text(&answer),
        tr(lang, "introduce-gone"),
        "{answer:?}"
    );
    assert!(
        h.current(&link).buttons().is_empty(),
        "{:?}",
        h.current(&link)
    );
    let (answer, _) = h.press_data(&w.officer, link.message_id, &data).await;
    assert_eq!(alert_text(&answer), tr(lang, "not-allowed"), "{answer:?}");
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 0);
}

#[tokio::test]
async fn a_link_made_after_the_backup_withdrawn_after_the_restore_is_said_gone() {
    a_link_made_after_the_backup(false).await;
}

#[tokio::test]
async fn a_link_made_after_the_backup_withdrawn_after_the_restore_is_said_gone_in_english() {
    a_link_made_after_the_backup(true).await;
}
