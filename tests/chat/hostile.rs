//! Hostile input and races that hold: forged buttons, two deciders at
//! once, a decision raced by a withdrawal or an erasure, forty presses at
//! once, thirty reports while the secretary decides, odd messages at every
//! step of a report, a member who blocked the bot.
use futures::future::join_all;
use lienhe::domain::Lang;
use serde_json::json;

use crate::{
    committee::{card_with, make_deputy, submit_report_with as submit_report},
    common::*,
};

// ------------------------------------------------------------ helpers

async fn report_status(h: &Harness, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM reports WHERE id = ?")
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

fn told_count(h: &Harness, user: &TgUser, id: &str) -> usize {
    h.api
        .sent(user.id)
        .iter()
        .filter(|s| says(s.text.as_deref(), lang_of(user), id))
        .count()
}

// ------------------------------------------------------------ probes

/// Secretary and deputy press Approve on the same report at the same moment.
#[tokio::test]
async fn two_deciders_approve_the_same_report_at_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let deputy = vi_user(200, "Dũng");
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let report = submit_report(&h, &member, "Quét dọn đường làng", &[]).await;
    h.quiet().await;
    let data = format!("ra:{report}");
    let s_card = card_with(&h, &secretary, &data);
    // The deputy has no card of the secretary's items (the secretary decides
    // them), but may decide: the same data, from /pending say.
    let mut d_card = s_card.clone();
    d_card.chat_id = deputy.id;
    let ((a1, _), (a2, _)) = futures::join!(
        h.press_concurrently(&secretary, &s_card, "✅ Duyệt"),
        h.press_concurrently(&deputy, &d_card, "✅ Duyệt"),
    );
    h.quiet().await;
    eprintln!("answers: {:?} / {:?}", a1.params, a2.params);
    assert_eq!(report_status(&h, report).await, "approved");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'report' AND action = 'approve'")
            .await,
        1,
        "one approval in the audit log"
    );
    assert_eq!(
        told_count(&h, &member, "report-approved"),
        1,
        "member told once"
    );
    assert!(
        h.current(&s_card).buttons().is_empty(),
        "secretary's card settled"
    );
}

/// Secretary presses Reject while the deputy approves; then the secretary
/// types the reason for a report already approved.
#[tokio::test]
async fn reject_reason_after_the_deputy_approved() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let deputy = en_user(200, "Dung");
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let report = submit_report(&h, &member, "Quét dọn đường làng", &[]).await;
    h.quiet().await;
    let s_card = card_with(&h, &secretary, &format!("rr:{report}"));
    h.press(&secretary, &s_card, "❌ Từ chối").await;
    let (a, _) = h.press_data(&deputy, 1, &format!("ra:{report}")).await;
    eprintln!("deputy approve {:?}", a.params);
    let replies = h.say(&secretary, "Không đủ minh chứng").await;
    eprintln!(
        "replies to reason: {:?}",
        replies.iter().map(|s| s.text.clone()).collect::<Vec<_>>()
    );
    assert!(!replies.is_empty(), "the reason is answered");
    assert_eq!(report_status(&h, report).await, "approved");
    assert_eq!(told_count(&h, &member, "report-rejected"), 0);
    // The secretary is back to idle: free text gets the usual answer.
    let after = h.say(&secretary, "xin chào").await;
    assert!(!after.is_empty());
}

/// A member presses another member's report's photo button.
#[tokio::test]
async fn member_cannot_see_another_members_photos() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let a = vi_user(300, "An");
    h.cell_with_member(&secretary, &a).await;
    let b = vi_user(301, "Bảo");
    h.join_approved(&secretary, &b, "Lê Văn Bảo").await;
    let report = submit_report(&h, &a, "Họp tổ dân phố", &["PHOTO-SECRET"]).await;
    h.quiet().await;
    let (answer, sent) = h.press_data(&b, 1, &format!("rp:{report}")).await;
    eprintln!("answer {:?}", answer.params);
    assert!(
        !sent
            .iter()
            .any(|s| s.file.as_deref() == Some("PHOTO-SECRET")),
        "another member's photo was shown to B"
    );
    assert_eq!(answer.params["show_alert"], true);
}

/// A member presses Resubmit on another member's rejected report, and
/// withdraw on another person's join request.
#[tokio::test]
async fn forged_resubmit_and_withdraw_of_others_items() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let a = vi_user(300, "An");
    h.cell_with_member(&secretary, &a).await;
    let b = vi_user(301, "Bảo");
    h.join_approved(&secretary, &b, "Lê Văn Bảo").await;
    let report = submit_report(&h, &a, "Họp tổ dân phố", &[]).await;
    h.quiet().await;
    let card = card_with(&h, &secretary, &format!("rr:{report}"));
    h.press(&secretary, &card, "❌ Từ chối").await;
    h.ask(&secretary, "Thiếu ảnh").await;
    assert_eq!(report_status(&h, report).await, "rejected");
    let (answer, sent) = h.press_data(&b, 1, &format!("ur:{report}")).await;
    eprintln!(
        "resubmit by B: {:?} {:?}",
        answer.params,
        sent.iter().map(|s| s.text.clone()).collect::<Vec<_>>()
    );
    assert_eq!(answer.params["show_alert"], true, "refused");
    // B's dialogue is not at A's report.
    let state: Option<String> =
        sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = 301")
            .fetch_optional(&h.pool)
            .await
            .unwrap_or(None);
    eprintln!("B state {state:?}");
    assert!(!state.unwrap_or_default().contains("Họp tổ dân phố"));

    // A pending join of C, withdrawn by B.
    let c = vi_user(302, "Cúc");
    let code = h.invite_code(&secretary).await;
    h.request_join(&c, &code, "Đỗ Thị Cúc").await;
    let join: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 302")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let (answer, _) = h.press_data(&b, 1, &format!("jw:{join}")).await;
    eprintln!("withdraw by B: {:?}", answer.params);
    let status: String = sqlx::query_scalar("SELECT status FROM memberships WHERE id = ?")
        .bind(join)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(status, "pending");
}

/// Forty members press the reminder's "Report now" at the same moment.
#[tokio::test]
async fn forty_members_press_report_now_at_once() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 5000, 40).await;
    let h = &h;
    let results = join_all((5000..5040).map(|id| async move {
        let user = if id % 2 == 0 {
            vi_user(id, "x")
        } else {
            en_user(id, "y")
        };
        let before = h.api.sent_count(id);
        let update = h.api.callback(&user, 1, "rn");
        h.handled(update).await;
        let sent = h.api.sent(id).split_off(before);
        (id, sent)
    }))
    .await;
    let mut missing = Vec::new();
    for (id, sent) in results {
        // Seeded in Vietnamese (the database's language wins).
        let lang = Lang::Vi;
        if !sent
            .iter()
            .any(|s| says(s.text.as_deref(), lang, "ask-kind"))
        {
            missing.push((id, sent.iter().map(|s| s.text.clone()).collect::<Vec<_>>()));
        }
    }
    assert!(missing.is_empty(), "not asked the kind: {missing:?}");
    let answered = h.api.answered_callbacks().len();
    assert!(answered >= 40, "{answered} presses answered");
}

/// A member who blocked the bot after submitting: the secretary decides.
#[tokio::test]
async fn member_blocks_the_bot_before_the_decision() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let report = submit_report(&h, &member, "Họp tổ dân phố", &[]).await;
    h.quiet().await;
    h.send_update(&member, |api| api.block(&member, true)).await;
    let card = card_with(&h, &secretary, &format!("ra:{report}"));
    let (answer, _) = h.press(&secretary, &card, "✅ Approve").await;
    h.quiet().await;
    eprintln!("answer {:?}", answer.params);
    assert_eq!(report_status(&h, report).await, "approved");
    // The member unblocks and asks for their reports: the approval shows.
    h.send_update(&member, |api| api.block(&member, false))
        .await;
    let mine = h.ask(&member, "/myreports").await;
    eprintln!("myreports {:?}", mine.text);
    assert!(mine.text.unwrap().contains("Họp tổ dân phố"));
}

/// A secretary who blocked the bot while a join request and a report came
/// (their cards did not reach them) is told what waits as they unblock it,
/// in their language, with the button to the pending list; once.
async fn secretary_back_from_blocking_is_told_what_waits(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = vi_user(300, "An");
    let newcomer = vi_user(301, "Cúc");
    h.cell_with_member(&secretary, &member).await;
    let code = h.invite_code(&secretary).await;
    h.send_update(&secretary, |api| api.block(&secretary, true))
        .await;
    let before = h.api.sent_count(secretary.id);
    h.request_join(&newcomer, &code, "Lê Thị Cúc").await;
    let report = submit_report(&h, &member, "Họp tổ dân phố", &[]).await;
    h.quiet().await;
    assert_eq!(
        h.api.sent_count(secretary.id),
        before,
        "nothing reaches a blocked chat"
    );

    let back = h
        .send_update(&secretary, |api| api.block(&secretary, false))
        .await;
    let note = back
        .iter()
        .find(|s| says(s.text.as_deref(), lang, "back-items-waiting"))
        .unwrap_or_else(|| panic!("not told what waits: {back:?}"));
    let text = note.text.clone().unwrap();
    assert!(says(Some(&text), lang, "pending-header"), "{text}");
    assert!(says(Some(&text), lang, "back-items-waiting-end"), "{text}");
    let open = lienhe::i18n::loader(lang).get("button-open-pending");
    let (_, cards) = h.press(&secretary, note, &open).await;
    assert!(
        cards.iter().any(|c| c
            .buttons()
            .iter()
            .any(|(_, d)| *d == format!("ra:{report}"))),
        "the report's card: {cards:?}"
    );
    assert!(
        cards
            .iter()
            .any(|c| c.text.as_deref().is_some_and(|t| t.contains("Lê Thị Cúc"))),
        "the join request's card: {cards:?}"
    );

    // Unblocked again (the update served twice, say): told nothing more.
    let again = h
        .send_update(&secretary, |api| api.block(&secretary, false))
        .await;
    assert!(again.is_empty(), "{again:?}");
}

#[tokio::test]
async fn a_secretary_back_from_blocking_is_told_what_waits() {
    secretary_back_from_blocking_is_told_what_waits(Lang::Vi).await;
}

#[tokio::test]
async fn a_secretary_back_from_blocking_is_told_what_waits_in_english() {
    secretary_back_from_blocking_is_told_what_waits(Lang::En).await;
}

/// Odd message kinds at every report step are answered, the step kept.
#[tokio::test]
async fn odd_messages_at_every_report_step() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let odd: Vec<(&str, serde_json::Value)> = vec![
        ("dice", json!({"dice": {"emoji": "🎲", "value": 3}})),
        (
            "venue",
            json!({"venue": {"location": {"latitude": 18.6, "longitude": 105.6}, "title": "Nhà văn hoá", "address": "Khối 5"}}),
        ),
        (
            "contact",
            json!({"contact": {"phone_number": "+84912345678", "first_name": "X"}}),
        ),
        (
            "poll",
            json!({"poll": {"id": "p1", "question": "Q?", "options": [{"text": "a", "voter_count": 0}, {"text": "b", "voter_count": 0}], "total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false}}),
        ),
        (
            "video_note",
            json!({"video_note": {"file_id": "vn", "file_unique_id": "vn", "length": 240, "duration": 3}}),
        ),
        (
            "animation",
            json!({"animation": {"file_id": "an", "file_unique_id": "an", "width": 1, "height": 1, "duration": 1}, "document": {"file_id": "an", "file_unique_id": "an"}}),
        ),
        (
            "video",
            json!({"video": {"file_id": "vi", "file_unique_id": "vi", "width": 1, "height": 1, "duration": 1}}),
        ),
        (
            "audio",
            json!({"audio": {"file_id": "au", "file_unique_id": "au", "duration": 1}}),
        ),
    ];
    let steps = ["kind", "date", "description", "photos", "summary"];
    let kinds = h.ask(&member, "/report").await;
    let mut silent = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        for (name, fields) in &odd {
            let replies = h
                .send_update(&member, |api| api.message_with(&member, fields.clone()))
                .await;
            if replies.is_empty() {
                silent.push(format!("{step}/{name}"));
            } else {
                for r in &replies {
                    let t = r.text.clone().unwrap_or_default();
                    // English user: no Vietnamese diacritics in the answer.
                    if t.contains("ạ") || t.contains("ả") || t.contains("ệ") || t.contains("ượ")
                    {
                        silent.push(format!("{step}/{name}: not English: {t}"));
                    }
                }
            }
        }
        match i {
            0 => {
                h.press(&member, &kinds, "Other activity").await;
            }
            1 => {
                h.ask(&member, "Today").await;
            }
            2 => {
                h.ask(&member, "Street clean-up with neighbours").await;
            }
            3 => {
                let last = h.last(&member);
                h.press(&member, &last, "Skip").await;
            }
            _ => {}
        }
    }
    assert!(silent.is_empty(), "silent or wrong: {silent:?}");
    // The summary still stands and submits.
    let summary = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("rs:")))
        .expect("summary");
    let label = label_of(&summary, "rs:").unwrap();
    h.press(&member, &summary, &label).await;
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
}

/// A member erases their data (/forgetme) at the moment the secretary
/// approves their report.
#[tokio::test]
async fn forgetme_and_approve_at_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let report = submit_report(&h, &member, "Họp tổ dân phố", &["P1"]).await;
    h.quiet().await;
    let confirm = h.ask(&member, "/forgetme").await;
    let yes = label_of(&confirm, "fy").expect("a confirm button");
    let card = card_with(&h, &secretary, &format!("ra:{report}"));
    let ((a1, _), (a2, _)) = futures::join!(
        h.press_concurrently(&secretary, &card, "✅ Duyệt"),
        h.press_concurrently(&member, &confirm, &yes),
    );
    h.quiet().await;
    eprintln!("{:?}\n{:?}", a1.params, a2.params);
    let left = h
        .count("SELECT COUNT(*) FROM reports WHERE user_id = 300")
        .await;
    eprintln!("reports left {left}");
    let out = lienhe::store::audit::verify(&h.pool).await.unwrap();
    assert!(
        matches!(out, lienhe::store::audit::ChainCheck::Intact { .. }),
        "{out:?}"
    );
}

/// The secretary presses Reject, the operator takes the secretary's role
/// away, and the secretary then types the reason.
#[tokio::test]
async fn reject_reason_after_the_role_was_revoked() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let report = submit_report(&h, &member, "Họp tổ dân phố", &[]).await;
    h.quiet().await;
    let card = card_with(&h, &secretary, &format!("rr:{report}"));
    h.press(&secretary, &card, "❌ Từ chối").await;
    h.admin(lienhe::cli::Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user: secretary.id,
            role: lienhe::cli::RoleName::Secretary,
            workplace: None,
            ward: None,
            cell: Some(cell),
        },
    })
    .await;
    let replies = h.say(&secretary, "Không đủ minh chứng").await;
    eprintln!(
        "{:?}",
        replies.iter().map(|s| s.text.clone()).collect::<Vec<_>>()
    );
    assert!(!replies.is_empty());
    assert_eq!(report_status(&h, report).await, "pending");
}

/// Thirty members report while the secretary approves each card as it
/// arrives: every report stored once, decided once, every member told once.
#[tokio::test]
async fn thirty_report_while_the_secretary_decides() {
    let mut h = Harness::start().await;
    h.start_sender(lienhe::jobs::sender::SenderConfig {
        rate: 300.0,
        per_chat: std::time::Duration::from_millis(5),
        ..lienhe::jobs::sender::SenderConfig::default()
    })
    .await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    const N: i64 = 30;
    seed_members(&h, cell, 6000, N).await;
    let h = &h;
    let secretary = &secretary;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reporting = join_all((6000..6000 + N).map(|id| async move {
        let user = vi_user(id, "dv");
        let kinds = h.ask_concurrently(&user, "/report").await;
        let kind = kinds.buttons()[(id % 6) as usize].0.clone();
        let (_, r) = h.press_concurrently(&user, &kinds, &kind).await;
        let dates = r.last().unwrap().clone();
        let (_, r) = h
            .press_concurrently(&user, &dates, &label_of(&dates, "dt").unwrap())
            .await;
        let _ = r;
        let photos = h.ask_concurrently(&user, &format!("Báo cáo số {id}")).await;
        let (_, r) = h
            .press_concurrently(&user, &photos, &label_of(&photos, "pd").unwrap())
            .await;
        let summary = r.last().unwrap().clone();
        h.press_concurrently(&user, &summary, &label_of(&summary, "rs:").unwrap())
            .await;
    }));
    let deciding = {
        let done = done.clone();
        async move {
            let mut decided = std::collections::HashSet::new();
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let cards: Vec<Sent> = h
                    .api
                    .sent(secretary.id)
                    .into_iter()
                    .filter(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ra:")))
                    .collect();
                let fresh: Vec<Sent> = cards
                    .into_iter()
                    .filter(|c| decided.insert(c.message_id))
                    .collect();
                join_all(fresh.iter().map(|c| async move {
                    let (a, _) = h.press_concurrently(secretary, c, "✅ Duyệt").await;
                    assert_eq!(
                        a.params["show_alert"],
                        serde_json::Value::Null,
                        "{:?}",
                        a.params
                    );
                }))
                .await;
                if finished && decided.len() as i64 >= N {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                if finished && decided.len() as i64 >= N {
                    break;
                }
                if finished {
                    // let the remaining cards arrive
                    h.quiet().await;
                    if decided.len() as i64 >= N {
                        break;
                    }
                    let remaining = h
                        .count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
                        .await;
                    if remaining == 0 {
                        break;
                    }
                }
            }
        }
    };
    let rep = async {
        reporting.await;
        done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    futures::join!(rep, deciding);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, N);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        N
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'report' AND action = 'approve'")
            .await,
        N
    );
    for id in 6000..6000 + N {
        let user = vi_user(id, "dv");
        assert_eq!(told_count(h, &user, "report-approved"), 1, "{id} told once");
    }
}

/// A member answers "I will attend" at the moment the secretary cancels the
/// meeting: the member must not be left believing it holds.
#[tokio::test]
async fn attend_and_cancel_a_meeting_at_once() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 300, 3).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    h.drain().await;
    let meeting: i64 = sqlx::query_scalar("SELECT MAX(id) FROM meetings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let summary = h.last(&secretary);
    let (_, replies) = h
        .press_data(&secretary, summary.message_id, &format!("gc:{meeting}"))
        .await;
    let confirm = replies
        .last()
        .cloned()
        .unwrap_or_else(|| h.last(&secretary));
    let yes = data_of(&confirm, "gy:");
    let member = vi_user(300, "dv300");
    let invitation = h
        .api
        .sent(300)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ga:")))
        .expect("an invitation");
    let attend = label_of(&invitation, "ga:").unwrap();
    let yes_label = label_of(&confirm, &yes).unwrap();
    let ((a1, _), (a2, _)) = futures::join!(
        h.press_concurrently(&secretary, &confirm, &yes_label),
        h.press_concurrently(&member, &invitation, &attend),
    );
    h.drain().await;
    h.quiet().await;
    eprintln!("{:?}\n{:?}", a1.params, a2.params);
    let status: String = sqlx::query_scalar("SELECT status FROM meetings WHERE id = ?")
        .bind(meeting)
        .fetch_one(&h.pool)
        .await
        .unwrap_or_else(|_| "?".into());
    let texts: Vec<String> = h
        .api
        .sent(300)
        .iter()
        .filter_map(|s| s.text.clone())
        .collect();
    eprintln!("status {status}; member: {texts:#?}");
    let now = h.current(&invitation);
    eprintln!("invitation now: {:?} {:?}", now.text, now.buttons());
    let told_cancelled = h.api.sent(300).iter().any(|s| {
        s.text
            .as_deref()
            .is_some_and(|t| t.contains("hủy") || t.contains("Hủy"))
    });
    assert!(
        told_cancelled,
        "the member is told the meeting was cancelled"
    );
}

/// A resubmitted report whose texts are all emoji (two UTF-16 units each,
/// as Telegram counts them): its description, the reason it was rejected
/// and its first description make a card longer than a message. Approved,
/// every card of it still shows the outcome and loses its buttons (the
/// edit was refused as too long and the card kept Approve and Reject).
#[tokio::test]
async fn a_card_of_long_emoji_texts_settles_with_its_outcome() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let first = submit_report(&h, &member, &"🌳".repeat(1000), &[]).await;
    h.quiet().await;
    let card = card_with(&h, &secretary, &format!("rr:{first}"));
    h.press(&secretary, &card, "❌ Từ chối").await;
    h.ask(&secretary, &"🚫".repeat(500)).await;
    assert_eq!(report_status(&h, first).await, "rejected");
    let notice = h.last(&member);
    let (_, opened) = h.press(&member, &notice, "✏️ Sửa và gửi lại").await;
    let summary = opened.last().unwrap().clone();
    h.press(&member, &summary, "Đổi nội dung").await;
    // Typed a minute later: not the rest of a text Telegram split.
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 60;
    let replies = h
        .send_update(&member, |api| {
            api.text_sent_at(&member, &"🌲".repeat(1000), later)
        })
        .await;
    let summary = replies.last().unwrap().clone();
    h.press(&member, &summary, "Gửi báo cáo").await;
    h.quiet().await;
    let second: i64 = sqlx::query_scalar("SELECT MAX(id) FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_ne!(second, first);
    let card = card_with(&h, &secretary, &format!("ra:{second}"));
    h.press(&secretary, &card, "✅ Duyệt").await;
    h.quiet().await;
    assert_eq!(report_status(&h, second).await, "approved");
    let now = h.current(&card);
    let text = now.text.clone().unwrap_or_default();
    assert!(
        now.buttons().is_empty(),
        "the card keeps its buttons: {:?}",
        now.buttons()
    );
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| says(Some(l), Lang::Vi, "decided-approved")),
        "the card does not end with its outcome: …{:?}",
        text.lines().last()
    );
    assert!(text.encode_utf16().count() <= 4096);
}

/// A resubmitted report whose text, rejection reason and first text are
/// all at their longest, of emoji: the secretary's card shows the new text
/// and the reason whole, and the first text shortened (here to nothing),
/// saying which report holds it whole; it settles with its outcome.
async fn longest_resubmission(lang: Lang) {
    let (h, secretary, card, wide, second_text) = longest_resubmitted(lang).await;
    let label = |id: &str| text_of(lang, id);
    h.press(&secretary, &card, &label("button-reject")).await;
    h.ask(&secretary, &wide("END-AGAIN", 500)).await;
    h.quiet().await;
    let now = h.current(&card).text.unwrap();
    assert!(
        now.contains(&second_text) && now.contains("END-AGAIN"),
        "{now}"
    );
    assert!(now.encode_utf16().count() <= 4096);
}

/// A text of `count` characters ending in `end`: markup shown as typed,
/// then emoji (two units each).
fn wide(end: &str, count: usize) -> String {
    "<b>&amp;</b> `x` "
        .chars()
        .chain("🌳🌲".chars().cycle())
        .take(count - end.chars().count())
        .chain(end.chars())
        .collect()
}

/// [`longest_resubmission`]'s report, resubmitted: the harness, the
/// secretary, the new report's card (checked), [`wide`] and the new text.
async fn longest_resubmitted(
    lang: Lang,
) -> (Harness, TgUser, Sent, fn(&str, usize) -> String, String) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let label = |id: &str| text_of(lang, id);
    let first_text = wide("END-FIRST", 1000);
    let first = submit_report(&h, &member, &first_text, &[]).await;
    h.quiet().await;
    let card = card_with(&h, &secretary, &format!("rr:{first}"));
    h.press(&secretary, &card, &label("button-reject")).await;
    let reason = wide("END-REASON", 500);
    h.ask(&secretary, &reason).await;
    let notice = h.last(&member);
    let (_, opened) = h.press(&member, &notice, &label("resubmit-button")).await;
    let summary = opened.last().unwrap().clone();
    h.press(&member, &summary, &label("resubmit-button-text"))
        .await;
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 60;
    let second_text = wide("END-SECOND", 1000);
    let replies = h
        .send_update(&member, |api| {
            api.text_sent_at(&member, &second_text, later)
        })
        .await;
    let summary = replies.last().unwrap().clone();
    h.press(&member, &summary, &label("button-submit")).await;
    h.quiet().await;
    let second: i64 = sqlx::query_scalar("SELECT MAX(id) FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_ne!(second, first);
    let card = card_with(&h, &secretary, &format!("ra:{second}"));
    let text = card.text.clone().unwrap();
    assert!(text.contains(&second_text), "the new text whole: {text}");
    assert!(text.contains(&reason), "the reason whole: {text}");
    let note = lienhe::i18n::loader(lang).get_args(
        "resubmit-previous-shortened",
        std::collections::HashMap::from([("id", first.to_string())]),
    );
    assert!(
        text.contains(&format!("{note} ")) && text.ends_with('…') && !text.contains("END-FIRST"),
        "the first text shortened, saying where it is whole: {text}"
    );
    (h, secretary, card, wide, second_text)
}

/// The resubmission of [`longest_resubmission`] rejected in turn with a
/// reason at its longest, of emoji: the settled card keeps the new text,
/// the line of its outcome whole and the note saying which report holds
/// the first text (and its reason) whole; what gives way ends in "…".
async fn longest_resubmission_rejected(lang: Lang) {
    let (h, secretary, card, wide, second_text) = longest_resubmitted(lang).await;
    let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.press(&secretary, &card, &text_of(lang, "button-reject"))
        .await;
    let again = wide("END-AGAIN", 500);
    h.ask(&secretary, &again).await;
    h.quiet().await;
    let now = h.current(&card).text.unwrap();
    assert!(now.contains(&second_text), "the new text whole: {now}");
    assert!(now.ends_with(&again), "the outcome whole: {now}");
    let note = lienhe::i18n::loader(lang).get_args(
        "resubmit-previous-shortened",
        std::collections::HashMap::from([("id", first.to_string())]),
    );
    assert!(now.contains(&format!("{note} ")), "the note kept: {now}");
    assert!(
        !now.contains("END-FIRST") && !now.contains("END-REASON"),
        "{now}"
    );
    assert!(now.encode_utf16().count() <= 4096);
}

#[tokio::test]
async fn a_rejected_resubmission_of_the_longest_texts_keeps_the_note_of_where_they_are_whole() {
    longest_resubmission_rejected(Lang::Vi).await;
}

#[tokio::test]
async fn a_rejected_resubmission_of_the_longest_texts_keeps_the_note_in_english() {
    longest_resubmission_rejected(Lang::En).await;
}

#[tokio::test]
async fn a_resubmission_of_the_longest_texts_shows_the_first_shortened_and_where() {
    longest_resubmission(Lang::Vi).await;
}

#[tokio::test]
async fn a_resubmission_of_the_longest_texts_in_english() {
    longest_resubmission(Lang::En).await;
}

/// Photos chosen together and sent "as files" (without compression, as
/// the desktop app offers) arrive as an album of documents, one message
/// each. At the description step and at the photos step they are answered
/// once, not once a file; so is an album whose photos are over the
/// report's ten. The step is kept and goes on.
#[tokio::test]
async fn an_album_of_files_or_of_too_many_photos_is_answered_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let files = |group: &'static str| {
        let member = member.clone();
        move |api: &FakeApi| {
            (0..4).fold(0, |_, i| {
                let name = format!("IMG_{i}.jpg");
                api.document_in_album(&member, &name, "image/jpeg", vec![0xFF, 0xD8, 0xFF], group)
            })
        }
    };
    let photos = |group: &'static str, count: usize| {
        let member = member.clone();
        move |api: &FakeApi| {
            (0..count).fold(0, |_, i| {
                api.photo(&member, &format!("PHOTO-{group}-{i}"), Some(group), None)
            })
        }
    };
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, "Other activity").await;
    let date = h.last(&member);
    h.press(&member, &date, "Today").await;
    let replies = h.send_update(&member, files("files-a")).await;
    assert_eq!(replies.len(), 1, "at the description step: {replies:#?}");
    let asked = h.ask(&member, "Street clean-up with neighbours").await;
    assert!(
        says(asked.text.as_deref(), Lang::En, "ask-photos"),
        "{asked:?}"
    );
    let replies = h.send_update(&member, files("files-b")).await;
    assert_eq!(replies.len(), 1, "at the photos step: {replies:#?}");
    assert!(
        replies[0]
            .text
            .as_deref()
            .is_some_and(|t| t.contains(&text_of(Lang::En, "error-expect-photo"))),
        "{replies:?}"
    );
    // Ten photos, then an album of four more: the report keeps ten, and
    // the four are answered once.
    h.send_update(&member, photos("photos-a", 10)).await;
    let replies = h.send_update(&member, photos("photos-b", 4)).await;
    assert_eq!(replies.len(), 1, "over ten photos: {replies:#?}");
    let done = h.last(&member);
    let label = done.button_texts()[0].clone();
    h.press(&member, &done, &label).await;
    let summary = h.last(&member).text.unwrap_or_default();
    assert!(
        summary.contains("Street clean-up") && summary.contains(": 10"),
        "{summary}"
    );
}

/// A full name pasted from another app or a document carries characters
/// nobody sees (a zero-width space, a direction mark, a soft hyphen) inside
/// it: it was refused as "not a full name" while it reads as one, and the
/// member could not tell what to change. They are dropped, as from a
/// code, and the name is stored as it reads.
#[tokio::test]
async fn a_full_name_with_invisible_characters_inside_is_taken() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let cell = h.cell_setup().await;
    let code = h.secretary_code(cell).await;
    h.ask(&secretary, &format!("/start {code}")).await;
    let reply = h.ask(&secretary, "Trần\u{200B} Thị\u{00AD} Bình").await;
    assert!(
        !says(reply.text.as_deref(), Lang::Vi, "error-not-a-name"),
        "{:?}",
        reply.text
    );
    let name: Option<String> = sqlx::query_scalar("SELECT full_name FROM users WHERE id = 100")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("Trần Thị Bình"));

    let member = en_user(300, "An");
    let invite = h.invite_code(&secretary).await;
    h.ask(&member, &format!("/start {invite}")).await;
    let reply = h.ask(&member, "Nguyễn\u{200E} Văn\u{2060} An").await;
    assert!(
        !says(reply.text.as_deref(), Lang::En, "error-not-a-name"),
        "{:?}",
        reply.text
    );
    let skip = h.ask(&member, "Skip").await;
    let first = skip.buttons()[0].0.clone();
    h.press(&member, &skip, &first).await;
    let introduced = h.last(&member);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(&member, &introduced, &this_month).await;
    let summary = h.last(&member);
    h.press(&member, &summary, "Confirm").await;
    let stored: String =
        sqlx::query_scalar("SELECT full_name FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(stored, "Nguyễn Văn An");
}

/// A secretary's own invitation, written in another app and copied into
/// the chat: the link ends a sentence (a full stop after it), sits in
/// brackets, or hides behind words (forwarded from a chat where it was a
/// link on "bấm vào đây"). Each is taken by its link, as a bare link is,
/// instead of "you have not joined: open your secretary's link".
#[tokio::test]
async fn an_invitation_link_after_a_full_stop_in_brackets_or_behind_words_is_taken() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = deep_link_code(&h.ask(&secretary, "/invite").await);
    let link = format!("https://t.me/{}?start={code}", h.api.bot_username());
    let pasted = [
        format!("Mời các đồng chí tham gia chi bộ qua đường link sau: {link}."),
        format!("Đường link tham gia chi bộ ({link}), hết hạn sau 30 ngày"),
    ];
    for (i, text) in pasted.iter().enumerate() {
        let member = vi_user(200 + i as i64, "An");
        let reply = h.ask(&member, text).await;
        assert!(
            says(reply.text.as_deref(), Lang::Vi, "join-welcome"),
            "{text}: {:?}",
            reply.text
        );
    }
    let member = en_user(210, "Binh");
    let words = "Bấm vào đây để tham gia chi bộ";
    let replies = h
        .send_update(&member, |api| {
            api.text_with_entities(
                &member,
                words,
                json!([{"type": "text_link", "offset": 0, "length": 11, "url": link}]),
            )
        })
        .await;
    assert!(
        replies
            .last()
            .is_some_and(|r| says(r.text.as_deref(), Lang::En, "join-welcome")),
        "{replies:?}"
    );
}

/// A date copied from another app may carry a mark nobody sees (a
/// direction mark after it, a zero-width space inside): "20/11/2026" was
/// refused as no date while it reads as one. A report's date and a
/// meeting's start are read as they read.
#[tokio::test]
async fn dates_with_invisible_marks_are_read_as_they_read() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, "Hoạt động khác").await;
    let reply = h.ask(&member, "19/11/2026\u{200E}").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "ask-description"),
        "{:?}",
        reply.text
    );
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    let reply = h.ask(&secretary, "25/11/2026\u{200B} 19:30").await;
    assert!(
        reply
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("Cuộc họp tổ chức ở đâu?")),
        "{:?}",
        reply.text
    );
}

/// A photo forwarded with its caption (a post about the activity) at the
/// description step: the caption is the description, and a link hidden
/// behind its words keeps its address, as it does in a typed description
/// (it was lost: the secretary saw "see the article" and no article).
#[tokio::test]
async fn a_caption_taken_as_the_description_keeps_its_links() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.press(&member, &kinds, "Hoạt động khác").await;
    let date = h.last(&member);
    h.press(&member, &date, "Hôm nay").await;
    let before = "Dọn vệ sinh khu phố, xem ";
    let caption = format!("{before}bài viết");
    let offset = before.encode_utf16().count();
    let url = "https://baonghean.vn/don-ve-sinh";
    let fields = json!({
        "photo": [
            {"file_id": "P1", "file_unique_id": "U1", "width": 1280, "height": 960},
        ],
        "caption": caption,
        "caption_entities": [
            {"type": "text_link", "offset": offset, "length": 8, "url": url},
        ],
    });
    h.send_update(&member, |api| api.message_with(&member, fields))
        .await;
    let done = h.last(&member);
    let label = done.button_texts()[0].clone();
    h.press(&member, &done, &label).await;
    let summary = h.last(&member).text.unwrap_or_default();
    assert!(summary.contains(&format!("bài viết ({url})")), "{summary}");
}

/// `/start` typed, then the whole link pasted after it (as a member told
/// "send /start and the link" does): the link's code is taken, as the link
/// pasted alone is, not refused as an unknown invitation.
#[tokio::test]
async fn start_followed_by_the_whole_link_is_taken() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = deep_link_code(&h.ask(&secretary, "/invite").await);
    let link = format!("https://t.me/{}?start={code}", h.api.bot_username());
    let member = vi_user(200, "An");
    let reply = h.ask(&member, &format!("/start {link}")).await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "join-welcome"),
        "{:?}",
        reply.text
    );
}

/// A number abroad written as Europeans write it, with the trunk 0 in
/// brackets after the country ("+44 (0)20 7946 0958"): the 0 is not
/// dialled from abroad and is not part of the number. It was kept
/// ("+4402079460958", a number that does not exist), as it is dropped from
/// "+84 (0) 912 345 678".
#[tokio::test]
async fn a_foreign_number_with_its_trunk_zero_in_brackets_is_stored_without_it() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = en_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let replies = h.say(&member, "+44 (0)20 7946 0958").await;
    let noted = replies
        .iter()
        .find(|r| says(r.text.as_deref(), Lang::En, "phone-noted"))
        .unwrap_or_else(|| panic!("{replies:#?}"));
    assert!(
        noted.text.as_deref().unwrap().contains("+442079460958"),
        "{:?}",
        noted.text
    );
}

/// A phone number grouped with typographic dashes, as a word processor or
/// a web page writes it ("0912–345–678", a non-breaking hyphen): it reads
/// as the number and is taken as one, typed at join as in a roster.
#[tokio::test]
async fn a_phone_grouped_with_typographic_dashes_is_read() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = en_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let replies = h.say(&member, "0912\u{2013}345\u{2011}678").await;
    assert!(
        replies
            .iter()
            .any(|r| r.text.as_deref().is_some_and(
                |t| says(Some(t), Lang::En, "phone-noted") && t.contains("0912345678")
            )),
        "{replies:#?}"
    );
}

/// A meeting's start written as official notices write the hour, "19g30"
/// (g for giờ, as in "19g30 ngày 25/11/2026"): read like "19h30", not
/// refused as no time.
#[tokio::test]
async fn a_meeting_start_written_19g30_is_read() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 300, 2).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    let reply = h.ask(&secretary, "19g30 ngày 25/11/2026").await;
    assert!(
        reply
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("Cuộc họp tổ chức ở đâu?")),
        "{:?}",
        reply.text
    );
}

/// The resubmission of [`longest_resubmission`] rejected in turn with a
/// reason at its longest: the member's notice says the reason whole, and
/// `/myreports` lists both reports with both reasons whole (over as many
/// messages as it takes); nothing is refused.
async fn longest_reasons_told_and_listed(lang: Lang) {
    let (h, secretary, card, wide, _) = longest_resubmitted(lang).await;
    let member = user_in(lang, 300, "An");
    h.press(&secretary, &card, &text_of(lang, "button-reject"))
        .await;
    let again = wide("END-AGAIN", 500);
    h.ask(&secretary, &again).await;
    h.quiet().await;
    let notice = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| says(s.text.as_deref(), lang, "report-rejected"))
        .expect("the rejection's notice");
    let told = notice.text.unwrap();
    assert!(told.contains(&again), "the reason whole: {told}");
    let before = h.api.sent(member.id).len();
    h.ask(&member, "/myreports").await;
    h.quiet().await;
    let listed: Vec<String> = h.api.sent(member.id)[before..]
        .iter()
        .filter_map(|s| s.text.clone())
        .collect();
    let listed = listed.join("\n");
    assert!(
        listed.contains(&again) && listed.contains(&wide("END-REASON", 500)),
        "both reasons whole: {listed}"
    );
    let refused = h.api.refused();
    assert!(refused.is_empty(), "{refused:#?}");
}

#[tokio::test]
async fn the_longest_reasons_are_told_and_listed_whole_in_myreports() {
    longest_reasons_told_and_listed(Lang::Vi).await;
}

#[tokio::test]
async fn the_longest_reasons_are_told_and_listed_whole_in_english() {
    longest_reasons_told_and_listed(Lang::En).await;
}
