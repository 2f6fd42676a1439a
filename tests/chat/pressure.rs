//! Meetings and the workplace's roster under pressure: thirty-five answers
//! at once, mistyped starts, a meeting on New Year's Eve, forged buttons,
//! an introduction link opened by two at once, namesakes on a roster.

use futures::future::join_all;
use lienhe::domain::Lang;

use crate::common::*;

const SEC: i64 = 100;

/// Calls a meeting through the dialogue; returns (id, summary).
async fn call(h: &Harness, sec: &TgUser, when: &str) -> (i64, Sent) {
    let kinds = h.ask(sec, "/meeting").await;
    h.press_data(sec, kinds.message_id, "gk:c").await;
    let r = h.ask(sec, when).await;
    assert!(
        says(r.text.as_deref(), lang_of(sec), "meeting-ask-place"),
        "{when}: {:?}",
        r.text
    );
    h.ask(sec, "Nhà văn hóa khối 5").await;
    let summary = h.ask(sec, "Triển khai nhiệm vụ cuối năm").await;
    h.press_data(sec, summary.message_id, &data_of(&summary, "gs"))
        .await;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM meetings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let summary = h.last(sec);
    h.drain().await;
    (id, summary)
}

fn invitation(h: &Harness, member: i64) -> Sent {
    h.api
        .sent(member)
        .into_iter()
        .rfind(|s| says(s.text.as_deref(), Lang::Vi, "meeting-invitation"))
        .expect("an invitation")
}

/// 35 members answer at once, then 15 of them change to "cannot attend" at
/// once: every answer recorded once, the summary lists them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_five_members_answer_at_once_and_change() {
    let h = Harness::start().await;
    let sec = vi_user(SEC, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&sec, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 1000, 35).await;
    let (id, summary) = call(&h, &sec, "25/11/2026 19:30").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations").await,
        35
    );
    let presses = (1000..1035).map(|m| {
        let h = &h;
        async move {
            let user = vi_user(m, &format!("dv{m}"));
            let inv = invitation(h, m);
            let label = label_of(&inv, &format!("ga:{id}")).unwrap();
            h.press_concurrently(&user, &inv, &label).await
        }
    });
    join_all(presses).await;
    h.quiet().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'attend'")
            .await,
        35
    );
    let presses = (1000..1015).map(|m| {
        let h = &h;
        async move {
            let user = vi_user(m, &format!("dv{m}"));
            let inv = h.current(&invitation(h, m));
            let label = label_of(&inv, &format!("gd:{id}")).unwrap();
            h.press_concurrently(&user, &inv, &label).await
        }
    });
    join_all(presses).await;
    h.quiet().await;
    // Each gives their reason at once.
    let reasons = (1000..1015).map(|m| {
        let h = &h;
        async move {
            let user = vi_user(m, &format!("dv{m}"));
            h.say_concurrently(&user, &format!("Đi công tác {m}")).await
        }
    });
    join_all(reasons).await;
    h.quiet().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'decline' AND reason LIKE 'Đi công tác%'")
            .await,
        15
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'attend'")
            .await,
        20
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_answer'")
            .await,
        35 + 15 + 15
    );
    // Summary ends up right.
    h.quiet().await;
    let text = h.current(&summary).text.unwrap();
    for m in 1000..1035 {
        assert!(
            text.contains(&format!("Đảng viên {m}")) || text.contains("…") || text.contains("..."),
            "{m}: {text}"
        );
    }
    assert!(text.contains("Đi công tác 1014"), "{text}");
    let attending = text
        .lines()
        .find(|l| l.starts_with('✅'))
        .unwrap()
        .to_string();
    assert!(!attending.contains("Đảng viên 1000"), "{attending}");
    assert!(attending.contains("Đảng viên 1034"), "{attending}");
}

/// Mistyped starts are named and the step asked again; nothing panics.
#[tokio::test]
async fn mistyped_meeting_starts_are_named_and_asked_again() {
    for en in [false, true] {
        let h = Harness::start().await;
        let sec = if en {
            en_user(SEC, "Binh")
        } else {
            vi_user(SEC, "Bình")
        };
        let l = lang_of(&sec);
        let cell = h.cell_setup().await;
        h.make_secretary(&sec, cell, "Trần Thị Bình").await;
        seed_members(&h, cell, 300, 2).await;
        let kinds = h.ask(&sec, "/meeting").await;
        h.press_data(&sec, kinds.message_id, "gk:p").await;
        for typed in [
            "25/13/2026 19:30",
            "26/11/2026 24:00",
            "26/11/2026 19:60",
            "26/11/2026",
            "19:30",
            "hôm nay lúc 19h",
            "32/11 19h",
            "00/11/2026 19:30",
            "26/11/2026 19:30 ở nhà văn hóa",
            "26/11/20266 19:30",
            "٢٦/١١/٢٠٢٦ 19:30",
            "26/11/2026 -1:30",
            "26/11/2026 +9:30",
            "26/11/+2026 9:30",
            "26/11/2026 ٩:٣٠",
            "29/02 19:30",
            "20/11/2026 09:59",
        ] {
            let r = h.ask(&sec, typed).await;
            let t = r.text.unwrap_or_default();
            assert!(says(Some(&t), l, "meeting-ask-start"), "{typed}: {t}");
        }
        // 31/12 23:30 is accepted as 31/12/2026.
        let r = h.ask(&sec, "31/12 23:30").await;
        assert!(
            says(r.text.as_deref(), l, "meeting-ask-place"),
            "{:?}",
            r.text
        );
        h.ask(&sec, "Nhà văn hóa").await;
        let draft = h.ask(&sec, "Tổng kết năm").await;
        assert!(draft.text.unwrap().contains("31/12/2026 23:30"));
    }
}

/// A meeting at 31/12 23:30 whose register is closed after midnight: the
/// activity is dated on the meeting's own day, in the old year.
#[tokio::test]
async fn a_new_years_eve_meeting_is_recorded_on_its_own_day() {
    let h = Harness::start().await;
    let sec = vi_user(SEC, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&sec, &member).await;
    let _ = cell;
    let (id, _summary) = call(&h, &sec, "31/12/2026 23:30").await;
    h.set_local(2026, 12, 31, 23, 0);
    let code = lienhe::store::meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let done = h.ask(&member, &format!("/start {code}")).await;
    assert!(
        says(done.text.as_deref(), Lang::Vi, "checkin-done"),
        "{:?}",
        done.text
    );
    h.set_local(2027, 1, 1, 0, 30);
    let register = h.ask(&sec, "/attendance").await;
    assert!(
        says(register.text.as_deref(), Lang::Vi, "attendance-header"),
        "{:?}",
        register.text
    );
    let close = text_of(Lang::Vi, "attendance-close-button");
    h.press(&sec, &register, &close).await;
    let date: String = sqlx::query_scalar(
        "SELECT activity_date FROM reports WHERE user_id = 300 AND meeting_id = ?",
    )
    .bind(id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(date, "2026-12-31");
}

/// A member in the middle of a report scans the check-in code: checked in,
/// and the report goes on where it was.
#[tokio::test]
async fn a_check_in_during_a_report_keeps_the_report() {
    let h = Harness::start().await;
    let sec = vi_user(SEC, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&sec, &member).await;
    let (id, _) = call(&h, &sec, "20/11/2026 10:30").await;
    let code = lienhe::store::meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, other_kind(Lang::Vi)).await;
    let date = h.last(&member);
    let first = date.buttons()[0].0.clone();
    h.press(&member, &date, &first).await;
    assert!(says(
        h.last(&member).text.as_deref(),
        Lang::Vi,
        "ask-description"
    ));
    let done = h.say(&member, &format!("/start {code}")).await;
    assert!(
        done.iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "checkin-done")),
        "{done:?}"
    );
    // The pasted link too (as a plain message) during the report.
    let reply = h.ask(&member, "Dọn vệ sinh ngõ xóm").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "ask-photos"),
        "{:?}",
        reply.text
    );
    assert_eq!(
        lienhe::store::meetings::checkin_count(&h.pool, id)
            .await
            .unwrap(),
        1
    );
}

/// "Cannot attend", then the meeting is moved, then the reason arrives:
/// the reason is not stored against the new time's blank answer, and the
/// member is told the meeting was moved, to when.
#[tokio::test]
async fn a_reason_typed_after_the_meeting_moved_is_not_recorded() {
    let h = Harness::start().await;
    let sec = vi_user(SEC, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&sec, &member).await;
    let (id, summary) = call(&h, &sec, "25/11/2026 19:30").await;
    let inv = invitation(&h, 300);
    h.press_data(&member, inv.message_id, &format!("gd:{id}"))
        .await;
    // Secretary moves it.
    let label = label_of(&h.current(&summary), &format!("gp:{id}")).unwrap();
    h.press(&sec, &h.current(&summary), &label).await;
    h.ask(&sec, "26/11/2026 19:30").await;
    h.drain().await;
    let reply = h.ask(&member, "Đi công tác").await;
    let t = reply.text.unwrap_or_default();
    assert!(
        says(Some(&t), Lang::Vi, "meeting-answer-moved") && t.contains("26/11/2026 19:30"),
        "{t}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE reason IS NOT NULL")
            .await,
        0
    );
    // Then the member answers the new time with the fresh buttons.
    let fresh = h
        .api
        .sent(300)
        .into_iter()
        .rfind(|s| !s.buttons().is_empty())
        .unwrap();
    let d = data_of(&fresh, "ga:");
    assert!(d.ends_with(":1"), "{d}");
    let (answer, _) = h.press_data(&member, fresh.message_id, &d).await;
    assert!(
        says(
            answer.str_param("text"),
            Lang::Vi,
            "meeting-answer-recorded"
        ),
        "{answer:?}"
    );
    // The old invitation's button: told it moved.
    let (answer, _) = h
        .press_data(&member, inv.message_id, &format!("gd:{id}"))
        .await;
    assert!(
        says(answer.str_param("text"), Lang::Vi, "meeting-answer-moved"),
        "{answer:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'attend'")
            .await,
        1
    );
}

const ROSTER: &str = "Họ và tên,Số điện thoại\n\
                      Nguyễn Văn An,0912000111\n\
                      Nguyễn Văn An,0912000222\n\
                      Hoàng Văn Em,\n";

async fn roster_world(h: &Harness) -> (i64, TgUser, TgUser) {
    let (sec, officer) = (vi_user(100, "Bình"), vi_user(200, "Cán"));
    let cell = h.cell_setup().await;
    h.make_secretary(&sec, cell, "Trần Thị Bình").await;
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
    println!("PREVIEW: {:?}", preview.text);
    h.press(&officer, &preview, "Nhập danh sách").await;
    (cell, sec, officer)
}

/// Two people of the same name on the roster: each can be introduced, and
/// each link introduces its own person.
#[tokio::test]
async fn two_namesakes_on_the_roster_are_each_introduced() {
    let h = Harness::start().await;
    let (_cell, _sec, officer) = roster_world(&h).await;
    let status = h.ask(&officer, "/status").await;
    println!("STATUS: {:?} {:?}", status.text, status.buttons());
    let intro: Vec<(String, String)> = status
        .buttons()
        .into_iter()
        .filter(|(l, _)| l.contains("Nguyễn Văn An"))
        .collect();
    assert_eq!(intro.len(), 2, "{:?}", status.buttons());
    assert_ne!(intro[0].1, intro[1].1);
    let (_, a) = h.press_data(&officer, status.message_id, &intro[0].1).await;
    let (_, b) = h.press_data(&officer, status.message_id, &intro[1].1).await;
    let code = |s: &[Sent]| deep_link_code(s.last().expect("a link"));
    assert_ne!(code(&a), code(&b));
    assert_eq!(h.count("SELECT COUNT(*) FROM introductions").await, 2);
}

/// One link opened at the same moment by two people: one gets it, the other
/// is refused; nobody is silent.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_introduction_link_opened_by_two_at_once_goes_to_one() {
    let h = Harness::start().await;
    let (_cell, _sec, officer) = roster_world(&h).await;
    let status = h.ask(&officer, "/status").await;
    let em = status
        .buttons()
        .into_iter()
        .find(|(l, _)| l.contains("Hoàng Văn Em"))
        .unwrap();
    let (_, link) = h.press_data(&officer, status.message_id, &em.1).await;
    let code = deep_link_code(link.last().unwrap());
    let (p1, p2) = (vi_user(300, "Em"), vi_user(301, "Khác"));
    let start = format!("/start {code}");
    let (r1, r2) = tokio::join!(
        h.say_concurrently(&p1, &start),
        h.say_concurrently(&p2, &start)
    );
    let used = |r: &[Sent]| {
        r.iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "introduce-used"))
    };
    assert!(!r1.is_empty() && !r2.is_empty(), "{r1:?} {r2:?}");
    assert!(used(&r1) ^ used(&r2), "{r1:?}\n{r2:?}");
}

/// A cell left with no approved member while the meeting was written: its
/// Send is answered that nobody can be invited, and nothing is stored,
/// half-way or whole.
#[tokio::test]
async fn a_meeting_of_a_cell_without_members_is_refused_cleanly() {
    let h = Harness::start().await;
    let sec = vi_user(SEC, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&sec, &member).await;
    let kinds = h.ask(&sec, "/meeting").await;
    sqlx::query("UPDATE memberships SET status = 'left' WHERE user_id = 300")
        .execute(&h.pool)
        .await
        .unwrap();
    h.press_data(&sec, kinds.message_id, "gk:c").await;
    h.ask(&sec, "20/11/2026 10:30").await;
    h.ask(&sec, "Nhà văn hóa").await;
    let summary = h.ask(&sec, "Họp").await;
    let (_, replies) = h
        .press_data(&sec, summary.message_id, &data_of(&summary, "gs"))
        .await;
    assert!(
        replies
            .iter()
            .any(|r| says(r.text.as_deref(), Lang::Vi, "meeting-no-members")),
        "{replies:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 0);
    assert_eq!(h.count("SELECT COUNT(*) FROM meeting_invitations").await, 0);
}

/// Forged and out-of-range meeting buttons are each answered, and change
/// nothing.
#[tokio::test]
async fn forged_meeting_buttons_are_answered_and_change_nothing() {
    let h = Harness::start().await;
    let sec = vi_user(SEC, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&sec, &member).await;
    seed_members(&h, cell, 301, 2).await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other = h.cell(ward, "Chi bộ khối 7").await;
    let other_sec = vi_user(120, "Cường");
    h.make_secretary(&other_sec, other, "Lê Văn Cường").await;
    seed_members(&h, other, 400, 1).await;
    let (id, _) = call(&h, &sec, "20/11/2026 10:30").await;
    let (other_id, _) = call(&h, &other_sec, "20/11/2026 10:45").await;
    let stranger_ms = h.membership_of(400).await;
    let own_ms = h.membership_of(300).await;
    let register = h.ask(&sec, "/attendance").await;
    let before_audit = h.count("SELECT COUNT(*) FROM audit_log").await;
    for data in [
        format!("tt:{id}:{stranger_ms}:p"),
        format!("tt:{other_id}:{own_ms}:p"),
        format!("tt:{id}:999999:p"),
        format!("tt:{id}:{own_ms}:z"),
        format!("tp:{id}:99"),
        format!("tp:{id}:-1"),
        format!("tc:{other_id}"),
        format!("to:{other_id}"),
        format!("ga:{other_id}"),
        format!("ga:{id}:4294967296"),
        format!("gd:{id}:7"),
        format!("gp:{other_id}"),
        format!("gc:{other_id}"),
        format!("gy:{other_id}"),
        format!("gv:{other_id}"),
        "ga:99999999999999999999".to_string(),
        "tt:1:2".to_string(),
    ] {
        let (a, _) = h.press_data(&sec, register.message_id, &data).await;
        println!("{data} -> {:?}", a.str_param("text"));
    }
    // The member forging the register.
    let (a, _) = h
        .press_data(&member, register.message_id, &format!("tt:{id}:{own_ms}:p"))
        .await;
    println!("member own -> {:?}", a.str_param("text"));
    let after_audit = h.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE attendance = 'present'")
            .await,
        0
    );
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM meetings WHERE closed_at IS NOT NULL OR status <> 'scheduled'"
        )
        .await,
        0
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NOT NULL")
            .await,
        0
    );
    assert_eq!(before_audit, after_audit);
}

/// Two people of the same name on the roster, with different phones; one
/// of them registers (phone skipped). The other is still not registered:
/// /status keeps listing them with an Introduce button. Which of the two
/// registered cannot be told (no phone to tell them apart), so both stay
/// listed, never neither.
#[tokio::test]
async fn one_namesake_registering_does_not_hide_the_other() {
    let h = Harness::start().await;
    let (_cell, sec, officer) = roster_world(&h).await;
    let an = vi_user(300, "An");
    h.join_approved(&sec, &an, "Nguyễn Văn An").await;
    let ws: Option<i64> =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(ws, Some(1));
    let status = h.ask(&officer, "/status").await;
    let t = status.text.clone().unwrap_or_default();
    let intro: Vec<_> = status
        .buttons()
        .into_iter()
        .filter(|(l, _)| l.contains("Nguyễn Văn An"))
        .collect();
    assert_eq!(
        intro.len(),
        2,
        "the other Nguyễn Văn An is still to introduce: {t}"
    );
}

/// The link made for the second Nguyễn Văn An (phone 0912000222) is refused
/// to them as "already registered" once the first one (phone skipped)
/// joined: the person introduced cannot use it.
#[tokio::test]
async fn a_namesakes_registration_does_not_void_the_others_link() {
    let h = Harness::start().await;
    let (_cell, sec, officer) = roster_world(&h).await;
    let status = h.ask(&officer, "/status").await;
    // ni:2 is line 3, Nguyễn Văn An 0912000222.
    let (_, link) = h.press_data(&officer, status.message_id, "ni:2").await;
    let code = deep_link_code(link.last().unwrap());
    let phone: Option<String> = sqlx::query_scalar("SELECT phone FROM introductions")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    println!("intro phone {phone:?}");
    // The other Nguyễn Văn An joins by the cell's link, phone skipped.
    h.join_approved(&sec, &vi_user(300, "An"), "Nguyễn Văn An")
        .await;
    let second = vi_user(301, "An hai");
    let r = h.ask(&second, &format!("/start {code}")).await;
    let t = r.text.unwrap_or_default();
    assert!(!says(Some(&t), Lang::Vi, "introduce-registered"), "{t}");
    assert!(says(Some(&t), Lang::Vi, "introduce-welcome"), "{t}");
}
