//! Different roles acting on the same thing at the same moment: members
//! answering a meeting while the secretary closes its register, a secretary
//! ending a membership while the deputy decides that member's report, a
//! handover while the old secretary presses an old card. Each action is
//! applied once or refused with a clear answer, and every card ends in a
//! state that matches the database.

use chrono::Duration;
use futures::future::join_all;
use lienhe::{
    domain::{Lang, meeting::MeetingKind},
    store::{
        audit::{self, ChainCheck},
        meetings::{self, Called, NewMeeting},
    },
};

use crate::common::*;

async fn chain_intact(h: &Harness) {
    let entries = h.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact {
            entries: entries as u64
        }
    );
}

fn fixed(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

/// Thirty members answer "I will attend" at the moment the secretary
/// closes the meeting's register: each answer is recorded and told as
/// recorded before the close or as given after it; the register keeps what
/// the close said.
async fn thirty_answer_while_the_register_closes(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    for id in 300..330 {
        h.api.introduce(&user_in(lang, id, &format!("dv{id}")));
    }
    insert_members(&h, cell, None, 300, 30, "approved").await;
    if lang == Lang::En {
        sqlx::query("UPDATE users SET language = 'en' WHERE id BETWEEN 300 AND 329")
            .execute(&h.pool)
            .await
            .unwrap();
    }
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    let new = NewMeeting {
        token: "m1",
        cell_id: cell,
        kind: MeetingKind::Periodic,
        starts_at: now + Duration::minutes(30),
        place: "Nhà văn hóa khối 5",
        agenda: "Sinh hoạt định kỳ",
        called_by: secretary.id,
    };
    let id = match meetings::create(&h.pool, &new, now, |_, _| Vec::new())
        .await
        .unwrap()
    {
        Called::New { id, .. } | Called::Already { id } => id,
        Called::NotAllowed => panic!("not on the committee"),
    };
    let mut shown = Vec::new();
    for i in 300..330 {
        let member = user_in(lang, i, &format!("dv{i}"));
        let listed = h.ask(&member, "/meetings").await;
        shown.push((member, listed));
    }
    // Each member says they cannot attend; the bot asks the reason.
    for (member, listed) in &shown {
        h.press_data(member, listed.message_id, &format!("gd:{id}"))
            .await;
    }
    let register = h.ask(&secretary, "/attendance").await;
    let close = fixed(lang, "attendance-close-button");
    // The reasons typed at the moment of the close.
    let (_, replies) = futures::join!(
        h.press_concurrently(&secretary, &register, &close),
        join_all(
            shown
                .iter()
                .map(|(member, _)| h.ask_concurrently(member, "Bị ốm"))
        )
    );
    h.quiet().await;
    h.drain().await;
    let closed_at: Option<String> =
        sqlx::query_scalar("SELECT closed_at FROM meetings WHERE id = ?")
            .bind(id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert!(closed_at.is_some(), "the register is closed");
    let mut excused = std::collections::HashMap::new();
    for ((member, _), reply) in shown.iter().zip(&replies) {
        let text = reply.text.clone().unwrap_or_default();
        let (attendance, given, reason): (Option<String>, Option<String>, Option<String>) =
            sqlx::query_as(
                "SELECT i.attendance, i.answer, i.reason FROM meeting_invitations i
                 JOIN memberships m ON m.id = i.membership_id
                 WHERE i.meeting_id = ? AND m.user_id = ?",
            )
            .bind(id)
            .bind(member.id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(
            (given.as_deref(), reason.as_deref()),
            (Some("decline"), Some("Bị ốm")),
            "{}: {text}",
            member.id
        );
        if says(Some(&text), lang, "meeting-answer-register-closed") {
            // The register as the close left it (a "cannot attend" pressed
            // before it counts as excused).
            assert_ne!(attendance.as_deref(), Some("present"), "{}", member.id);
        } else {
            assert!(
                says(Some(&text), lang, "meeting-decline-recorded"),
                "{}: {text:?}",
                member.id
            );
            assert_eq!(
                attendance.as_deref(),
                Some("excused"),
                "{} told their answer counts, the closed register says otherwise",
                member.id
            );
        }
        excused.insert(format!("dv{}", member.id), attendance);
    }
    // The register on the screen shows what the database holds.
    let card = h.current(&register);
    for (label, _) in card.buttons() {
        let Some((name, attendance)) = excused.iter().find(|(n, _)| label.contains(n.as_str()))
        else {
            continue;
        };
        let shows_excused = label.contains('🟡');
        assert_eq!(
            shows_excused,
            attendance.as_deref() == Some("excused"),
            "{name} on the register: {label:?}, in the database {attendance:?}"
        );
    }
    chain_intact(&h).await;
}

#[tokio::test]
async fn thirty_answer_while_the_register_closes_vi() {
    thirty_answer_while_the_register_closes(Lang::Vi).await;
}

#[tokio::test]
async fn thirty_answer_while_the_register_closes_en() {
    thirty_answer_while_the_register_closes(Lang::En).await;
}

/// The operator's secretary code for the cell, taken by `new` concurrently
/// with the old secretary pressing Approve on a waiting report's card: the
/// report is decided once (by the old secretary before the hand-over, or
/// by nobody), the old secretary is told which, and the card the new
/// secretary holds for it, if any, matches the database.
async fn old_card_pressed_during_a_handover(lang: Lang) {
    let h = Harness::start().await;
    let old = user_in(lang, 100, "Bình");
    let new = user_in(lang, 200, "Cường");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&old, &member).await;
    let id = crate::committee::submit_report(&h, &member, "Dọn vệ sinh khối phố").await;
    h.drain().await;
    let card = crate::committee::card_with(&h, &old, &format!("ra:{id}"));
    let out = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::Secretary { cell },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    h.ask(&new, &format!("/start {code}")).await;
    let approve = label_of(&card, &format!("ra:{id}")).unwrap();
    // The new secretary's name (the hand-over) and the old one's press.
    let ((answer, _), confirmed) = futures::join!(
        h.press_concurrently(&old, &card, &approve),
        h.say_concurrently(&new, "Lê Văn Cường"),
    );
    let confirmed = confirmed
        .into_iter()
        .find(|s| says(s.text.as_deref(), lang, "secretary-confirmed"))
        .expect("the new secretary is confirmed");
    let confirmed = confirmed.text.unwrap_or_default();
    h.quiet().await;
    h.drain().await;
    let status: String = sqlx::query_scalar("SELECT status FROM reports WHERE id = ?")
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let secretary: i64 =
        sqlx::query_scalar("SELECT user_id FROM cell_secretaries WHERE cell_id = ?")
            .bind(cell)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(secretary, new.id, "the hand-over went through");
    let text = answer.str_param("text").unwrap_or_default().to_string();
    let shown = h.current(&card);
    eprintln!("status {status}; answer {text:?}; old card {shown:?}");
    match status.as_str() {
        "approved" => {
            assert_eq!(
                shown.buttons().len(),
                0,
                "the old card of the approved report keeps buttons: {shown:?}"
            );
            let waiting = lienhe::t!(lang, "secretary-items-waiting", joins = 0, reports = 1);
            assert!(
                !confirmed.contains(&waiting),
                "the new secretary is told an approved report waits: {confirmed}"
            );
            // The new secretary holds no live card for it.
            for s in h.api.sent(new.id) {
                let s = h.current(&s);
                assert!(
                    !s.buttons()
                        .iter()
                        .any(|(_, d)| d.ends_with(&format!(":{id}"))),
                    "the new secretary's card of a decided report keeps buttons: {s:?}"
                );
            }
        }
        "pending" => {
            assert!(!text.is_empty(), "the refusal is said");
            assert_eq!(answer.params["show_alert"], true, "{:?}", answer.params);
            let waiting = lienhe::t!(lang, "secretary-items-waiting", joins = 0, reports = 1);
            assert!(confirmed.contains(&waiting), "{confirmed}");
            // The new secretary finds it in /pending and decides it.
            h.say(&new, "/pending").await;
            let theirs = crate::committee::card_with(&h, &new, &format!("ra:{id}"));
            let approve = label_of(&theirs, &format!("ra:{id}")).unwrap();
            h.press(&new, &theirs, &approve).await;
            h.drain().await;
            let status: String = sqlx::query_scalar("SELECT status FROM reports WHERE id = ?")
                .bind(id)
                .fetch_one(&h.pool)
                .await
                .unwrap();
            assert_eq!(status, "approved");
            // Pressed again by the old secretary: told, not silent.
            let (again, _) = h
                .press_data(&old, card.message_id, &format!("ra:{id}"))
                .await;
            assert!(
                !again.str_param("text").unwrap_or_default().is_empty(),
                "{again:?}"
            );
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'report' AND action = 'approve'")
            .await,
        1
    );
    chain_intact(&h).await;
}

#[tokio::test]
async fn old_card_pressed_during_a_handover_vi() {
    for _ in 0..3 {
        old_card_pressed_during_a_handover(Lang::Vi).await;
    }
}

#[tokio::test]
async fn old_card_pressed_during_a_handover_en() {
    old_card_pressed_during_a_handover(Lang::En).await;
}

/// The secretary confirms ending a member's membership at the moment the
/// deputy approves that member's report: both are applied once, each of
/// them is told, the member is told of both, and the deputy's card of the
/// report shows the decision.
async fn membership_ended_while_the_deputy_decides(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let deputy = user_in(lang, 200, "Dũng");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let id = crate::committee::submit_report(&h, &member, "Dọn vệ sinh khối phố").await;
    h.drain().await;
    let pending = h.say(&deputy, "/pending").await;
    let card = pending
        .into_iter()
        .find(|s| s.buttons().iter().any(|(_, d)| *d == format!("ra:{id}")))
        .expect("the report in the deputy's /pending");
    let membership = h.membership_of(member.id).await;
    let list = h.ask(&secretary, "/members").await;
    let (_, opened) = h
        .press_data(&secretary, list.message_id, &format!("bo:{membership}"))
        .await;
    let opened = opened.last().unwrap().clone();
    h.press_data(&secretary, opened.message_id, &format!("el:{membership}"))
        .await;
    let confirm = h.ask(&secretary, "Chuyển đi tỉnh khác").await;
    let yes = label_of(&confirm, "ec:").expect("Confirm");
    let approve = label_of(&card, &format!("ra:{id}")).unwrap();
    let ((ended, _), (decided, _)) = futures::join!(
        h.press_concurrently(&secretary, &confirm, &yes),
        h.press_concurrently(&deputy, &card, &approve),
    );
    h.quiet().await;
    h.drain().await;
    eprintln!("end: {:?}\ndecide: {:?}", ended.params, decided.params);
    let report: String = sqlx::query_scalar("SELECT status FROM reports WHERE id = ?")
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM memberships WHERE id = ?")
        .bind(membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_ne!(status, "approved", "the membership ended");
    assert_eq!(report, "approved", "the report approved");
    assert_ne!(decided.params["show_alert"], true, "{:?}", decided.params);
    let shown = h.current(&card);
    assert!(
        shown.buttons().is_empty(),
        "the deputy's card of an approved report keeps buttons: {shown:?}"
    );
    let secretary_card = h
        .api
        .sent(secretary.id)
        .iter()
        .map(|s| h.current(s))
        .find(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Dọn vệ sinh khối phố"))
        })
        .expect("the secretary's card");
    assert!(
        secretary_card.buttons().is_empty(),
        "the secretary's card of an approved report keeps buttons: {secretary_card:?}"
    );
    assert_eq!(
        h.api
            .sent(member.id)
            .iter()
            .filter(|s| says(s.text.as_deref(), lang, "report-approved"))
            .count(),
        1,
        "the member is told of the approval once"
    );
    chain_intact(&h).await;
}

#[tokio::test]
async fn membership_ended_while_the_deputy_decides_vi() {
    for _ in 0..3 {
        membership_ended_while_the_deputy_decides(Lang::Vi).await;
    }
}

#[tokio::test]
async fn membership_ended_while_the_deputy_decides_en() {
    membership_ended_while_the_deputy_decides(Lang::En).await;
}

/// The ward's supervisor approves the secretary's own report (the cell has
/// no deputy) at the moment a deputy takes their seat: the report is
/// decided once, by the supervisor or by the new deputy, and whatever card
/// of it the deputy is given shows the database.
async fn supervisor_decides_while_a_deputy_takes_the_seat(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let deputy = user_in(lang, 200, "Dũng");
    let supervisor = user_in(lang, 500, "Giám sát");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let ward = crate::committee::ward_of(&h, cell).await;
    crate::committee::make_supervisor(&h, ward, &supervisor).await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let own: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = ?")
        .bind(secretary.id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let join = crate::committee::card_with(&h, &supervisor, &format!("ja:{own}"));
    let label = label_of(&join, &format!("ja:{own}")).unwrap();
    h.press(&supervisor, &join, &label).await;
    let id = crate::committee::submit_report(&h, &secretary, "Dọn vệ sinh khối phố").await;
    h.drain().await;
    let card = crate::committee::card_with(&h, &supervisor, &format!("ra:{id}"));
    let link = h.ask(&secretary, "/invite deputy").await;
    let code = crate::committee::start_code(&link.text.unwrap());
    h.ask(&deputy, &format!("/start {code}")).await;
    let approve = label_of(&card, &format!("ra:{id}")).unwrap();
    let before = h.api.sent_count(deputy.id);
    let ((answer, _), _) = futures::join!(
        h.press_concurrently(&supervisor, &card, &approve),
        h.say_concurrently(&deputy, "Phạm Văn Dũng"),
    );
    h.quiet().await;
    h.drain().await;
    let status: String = sqlx::query_scalar("SELECT status FROM reports WHERE id = ?")
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let text = answer.str_param("text").unwrap_or_default().to_string();
    eprintln!("status {status}; supervisor told {text:?}");
    assert!(!text.is_empty(), "the supervisor's press is answered");
    let shown: Vec<Sent> = h
        .api
        .sent(deputy.id)
        .split_off(before)
        .iter()
        .map(|s| h.current(s))
        .collect();
    let live = shown
        .iter()
        .any(|s| s.buttons().iter().any(|(_, d)| *d == format!("ra:{id}")));
    match status.as_str() {
        "approved" => assert!(
            !live,
            "the deputy is given Approve and Reject for a report the supervisor approved: {shown:?}"
        ),
        "pending" => {
            assert!(live, "the deputy gets the card: {shown:?}");
            assert_eq!(answer.params["show_alert"], true, "{:?}", answer.params);
            assert!(
                says(Some(&text), lang, "supervisor-item-taken") && text.contains("Phạm Văn Dũng"),
                "the supervisor is told who decides it now: {text:?}"
            );
        }
        other => panic!("{other}"),
    }
    let supervisor_card = h.current(&card);
    assert!(
        supervisor_card.buttons().is_empty(),
        "the supervisor's card keeps buttons: {supervisor_card:?}"
    );
    chain_intact(&h).await;
}

#[tokio::test]
async fn supervisor_decides_while_a_deputy_takes_the_seat_vi() {
    for _ in 0..3 {
        supervisor_decides_while_a_deputy_takes_the_seat(Lang::Vi).await;
    }
}

#[tokio::test]
async fn supervisor_decides_while_a_deputy_takes_the_seat_en() {
    for _ in 0..2 {
        supervisor_decides_while_a_deputy_takes_the_seat(Lang::En).await;
    }
}

/// A workplace officer sends a request for a comment on a member at the
/// moment the secretary ends that member's membership: no request is left
/// open on an ended membership; the officer is told either that the
/// request was not sent or that it was cancelled; the secretary holds no
/// live card of it.
async fn request_sent_while_the_membership_ends(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let Cast {
        secretary,
        officer,
        membership,
        ..
    } = cast(&h, lang).await;
    let summary = request_summary(&h, &officer).await;
    let list = h.ask(&secretary, "/members").await;
    let (_, opened) = h
        .press_data(&secretary, list.message_id, &format!("bo:{membership}"))
        .await;
    let opened = opened.last().unwrap().clone();
    h.press_data(&secretary, opened.message_id, &format!("el:{membership}"))
        .await;
    let confirm = h.ask(&secretary, "Chuyển đi tỉnh khác").await;
    let yes = label_of(&confirm, "ec:").expect("Confirm");
    let send = lienhe::i18n::loader(lang).get("request-button-send");
    let officer_before = h.api.sent_count(officer.id);
    let secretary_before = h.api.sent_count(secretary.id);
    let ((sent, _), _) = futures::join!(
        h.press_concurrently(&officer, &summary, &send),
        h.press_concurrently(&secretary, &confirm, &yes),
    );
    h.quiet().await;
    h.drain().await;
    let status: String = sqlx::query_scalar("SELECT status FROM memberships WHERE id = ?")
        .bind(membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_ne!(status, "approved");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM comment_requests WHERE state IN ('requested', 'drafting')")
            .await,
        0,
        "a request left open on an ended membership"
    );
    let requests = h.count("SELECT COUNT(*) FROM comment_requests").await;
    let officer_saw: Vec<String> = h
        .api
        .sent(officer.id)
        .iter()
        .map(|s| h.current(s).text.unwrap_or_default())
        .collect();
    let officer_new: Vec<String> = officer_saw[officer_before.min(officer_saw.len())..].to_vec();
    let answer = sent.str_param("text").unwrap_or_default().to_string();
    eprintln!("requests {requests}; answer {answer:?}; officer {officer_new:?}");
    let told_gone = says(Some(&answer), lang, "request-member-gone")
        || officer_saw
            .iter()
            .any(|t| says(Some(t), lang, "request-member-gone"));
    let told_cancelled = officer_saw
        .iter()
        .any(|t| says(Some(t), lang, "request-cancelled-member-left"));
    if requests == 0 {
        assert!(
            told_gone,
            "the officer is told it was not sent: {answer:?} {officer_new:?}"
        );
    } else {
        assert!(
            told_cancelled,
            "the officer is told it was cancelled: {answer:?} {officer_new:?}"
        );
    }
    for s in h.api.sent(secretary.id).split_off(secretary_before) {
        let s = h.current(&s);
        if says(s.text.as_deref(), lang, "request-to-secretary") && !s.buttons().is_empty() {
            // Pressed, it says why and loses its buttons.
            let (_, data) = s.buttons()[0].clone();
            let (answer, _) = h.press_data(&secretary, s.message_id, &data).await;
            assert!(
                says(
                    answer.str_param("text"),
                    lang,
                    "request-cancelled-left-cell"
                ),
                "{answer:?}"
            );
            assert!(h.current(&s).buttons().is_empty());
        }
    }
    chain_intact(&h).await;
}

#[tokio::test]
async fn request_sent_while_the_membership_ends_vi() {
    for _ in 0..3 {
        request_sent_while_the_membership_ends(Lang::Vi).await;
    }
}

#[tokio::test]
async fn request_sent_while_the_membership_ends_en() {
    for _ in 0..2 {
        request_sent_while_the_membership_ends(Lang::En).await;
    }
}

/// An officer's /request about the member "An", due 15/06/2026, up to
/// its summary.
async fn request_summary(h: &Harness, officer: &TgUser) -> Sent {
    let reasons = h.ask(officer, "/request an").await;
    let label = reasons.button_texts()[0].clone();
    h.press(officer, &reasons, &label).await;
    let period = h.ask(officer, "15/06/2026").await;
    let label = period.button_texts()[0].clone();
    h.press(officer, &period, &label)
        .await
        .1
        .last()
        .unwrap()
        .clone()
}

/// The membership ends after the officer's Send passed its checks and
/// before its write: the officer is told the member's membership changed
/// (not "not allowed"), and nothing is sent. It said "You are not allowed
/// to do this."
async fn request_landing_after_the_membership_ended(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let Cast {
        officer,
        membership,
        ..
    } = cast(&h, lang).await;
    let summary = request_summary(&h, &officer).await;
    let send = lienhe::i18n::loader(lang).get("request-button-send");
    let data = summary.button_data(&send).expect("Send");

    // The cell's write holds the database while the press comes.
    let mut cell = h.pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *cell)
        .await
        .unwrap();
    let update = h.api.callback(&officer, summary.message_id, &data);
    h.waits_to_write(update).await;
    sqlx::query("UPDATE memberships SET status = 'left' WHERE id = ?")
        .bind(membership)
        .execute(&mut *cell)
        .await
        .unwrap();
    sqlx::query("COMMIT").execute(&mut *cell).await.unwrap();
    drop(cell);
    h.handled(update).await;

    let answer = h.api.answered_callbacks().pop().unwrap();
    assert!(
        says(answer.str_param("text"), lang, "request-member-gone"),
        "{answer:?}"
    );
    assert!(h.current(&summary).buttons().is_empty(), "Send stays");
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 0);
}

#[tokio::test]
async fn a_request_landing_after_the_membership_ended_says_so() {
    request_landing_after_the_membership_ended(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_landing_after_the_membership_ended_says_so_in_english() {
    request_landing_after_the_membership_ended(Lang::En).await;
}
