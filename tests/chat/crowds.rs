//! Many people at once on the paths `concurrency` and `pressure` leave
//! out: two deciders on the same items, a meeting moved while its members
//! answer, comment sheets answered while they are reopened and signed,
//! profiles changed while the officers read them. Every action answered
//! and applied once, nothing lost, nothing logged as an error.

use std::collections::HashMap;

use chrono::TimeZone;
use futures::future::join_all;
use lienhe::{domain::Lang, i18n::loader, jobs::sender::SenderConfig};

use crate::common::*;
use crate::concurrency::{Logs, chain_intact, member};

const SECRETARY: i64 = 100;
const DEPUTY: i64 = 400;
const SECRETARY_NAME: &str = "Trần Thị Bình";
const DEPUTY_NAME: &str = "Phạm Văn Dũng";

/// A sender fast enough for dozens of cards to one chat.
fn fast_sender() -> SenderConfig {
    SenderConfig {
        rate: 200.0,
        per_chat: std::time::Duration::from_millis(10),
        ..SenderConfig::default()
    }
}

/// The messages among `sent` with a button whose data is `prefix` and an
/// id, by that id (the last one for an id shown twice).
fn cards_among(sent: &[Sent], prefix: &str) -> HashMap<i64, Sent> {
    let mut cards = HashMap::new();
    for s in sent {
        for (_, data) in s.buttons() {
            if let Some(id) = data.strip_prefix(prefix) {
                cards.insert(id.parse().unwrap(), s.clone());
            }
        }
    }
    cards
}

/// Nothing went wrong in the bot's log: no error, no locked database.
fn log_clean(logs: &Logs) {
    let logs = logs.take();
    let bad: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("database is locked"))
        .collect();
    assert!(bad.is_empty(), "errors in the log:\n{}", bad.join("\n"));
}

/// Whoever was second is told who decided the item first, and when.
#[track_caller]
fn told_who_and_when(text: Option<&str>, lang: Lang, winner: &str) {
    assert!(says(text, lang, "already-decided"), "{text:?}");
    let text = text.unwrap();
    assert!(
        text.contains(winner) && text.contains("20/11/2026"),
        "{text:?} does not name {winner} and the day"
    );
}

/// The member was told the outcome of their item once, and nothing else
/// about it.
#[track_caller]
fn told_once(h: &Harness, user: &TgUser, ids: [&str; 2]) -> &'static str {
    let lang = lang_of(user);
    let sent = h.api.sent(user.id);
    let counts: Vec<usize> = ids
        .iter()
        .map(|id| {
            sent.iter()
                .filter(|s| says(s.text.as_deref(), lang, id))
                .count()
        })
        .collect();
    match counts[..] {
        [1, 0] => "approved",
        [0, 1] => "rejected",
        _ => panic!("{} told {ids:?} {counts:?} times", user.id),
    }
}

/// The secretary and the deputy press Approve or Reject on the same twenty
/// join requests and twenty reports at the same moment (the secretary on
/// the cards sent to her, the deputy on those of /pending, ten of each at
/// a time): each item is decided once, by whoever came first; the other
/// is told who decided it and when; the member is told once; every card
/// ends settled; the audit chain holds. The secretary reads Vietnamese,
/// the deputy English, the members either.
#[tokio::test]
async fn secretary_and_deputy_decide_the_same_items_at_once() {
    const ITEMS: i64 = 20;
    let (logs, _logging) = Logs::capture();
    let mut h = Harness::start().await;
    h.start_sender(fast_sender()).await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let deputy = en_user(DEPUTY, "Dũng");
    h.make_secretary(&secretary, cell, SECRETARY_NAME).await;
    crate::committee::make_deputy(&h, &secretary, &deputy, DEPUTY_NAME).await;
    let code = h.invite_code(&secretary).await;
    let h = &h;

    // Forty ask to join; the secretary approves the second twenty, who
    // then report; the first twenty's requests and the reports wait.
    join_all((0..2 * ITEMS).map(|i| crate::concurrency::join(h, i, &code))).await;
    h.quiet().await;
    let joins = cards_among(&h.api.sent(SECRETARY), "ja:");
    assert_eq!(joins.len(), 2 * ITEMS as usize);
    let owner: HashMap<i64, i64> = sqlx::query_as("SELECT id, user_id - 1000 FROM memberships")
        .fetch_all(&h.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    join_all(
        joins
            .iter()
            .filter(|(id, _)| owner[*id] >= ITEMS)
            .map(|(_, card)| async {
                h.press_concurrently(&secretary, card, "✅ Duyệt").await;
            }),
    )
    .await;
    join_all((ITEMS..2 * ITEMS).map(|i| crate::concurrency::report(h, i))).await;
    h.quiet().await;
    let reports = cards_among(&h.api.sent(SECRETARY), "ra:");
    assert_eq!(reports.len(), ITEMS as usize);
    let reporter: HashMap<i64, i64> = sqlx::query_as("SELECT id, user_id - 1000 FROM reports")
        .fetch_all(&h.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let reason = |i: i64| format!("Report {i} lacks evidence");
    let (secretary, deputy, joins, reports, owner, reporter) =
        (&secretary, &deputy, &joins, &reports, &owner, &reporter);

    for round in 0..2 {
        let listed = h.say(deputy, "/pending").await;
        let deputy_joins = cards_among(&listed, "ja:");
        let deputy_reports = cards_among(&listed, "ra:");
        assert_eq!(
            (deputy_joins.len(), deputy_reports.len()),
            (10, 10),
            "round {round}: {listed:?}"
        );

        // Joins: the secretary approves, the deputy approves the odd ones
        // and rejects the even ones; each pair of presses at once.
        let join_presses = join_all(deputy_joins.iter().map(|(id, theirs)| {
            let (id, mine) = (*id, &joins[id]);
            async move {
                let i = owner[&id];
                let deputy_says = if i % 2 == 1 {
                    "✅ Approve"
                } else {
                    "❌ Reject"
                };
                let ((by_secretary, _), (by_deputy, _)) = tokio::join!(
                    h.press_concurrently(secretary, mine, "✅ Duyệt"),
                    h.press_concurrently(deputy, theirs, deputy_says),
                );
                (id, by_secretary, by_deputy)
            }
        }));
        // Reports: the secretary approves; the deputy approves the odd
        // ones at the same time, and rejects the even ones one after the
        // other (the reason is typed), racing the secretary's approvals.
        let (odd, even): (Vec<_>, Vec<_>) = deputy_reports
            .iter()
            .partition(|(id, _)| reporter[*id] % 2 == 1);
        let secretary_approvals = join_all(deputy_reports.keys().map(|id| async move {
            let (answer, _) = h
                .press_concurrently(secretary, &reports[id], "✅ Duyệt")
                .await;
            (*id, answer)
        }));
        let deputy_approvals = join_all(odd.iter().map(|(id, card)| async move {
            let (answer, _) = h.press_concurrently(deputy, card, "✅ Approve").await;
            (**id, answer)
        }));
        let deputy_rejections = async {
            let mut outcomes = Vec::new();
            for (id, card) in &even {
                let (answer, replies) = h.press_concurrently(deputy, card, "❌ Reject").await;
                let asked = replies
                    .iter()
                    .any(|r| says(r.text.as_deref(), Lang::En, "ask-reject-reason"));
                let typed = if asked {
                    h.say_concurrently(deputy, &reason(reporter[*id])).await
                } else {
                    Vec::new()
                };
                outcomes.push((**id, answer, asked, typed));
            }
            outcomes
        };
        let (joined, approved_by_secretary, approved_by_deputy, rejected_by_deputy) = tokio::join!(
            join_presses,
            secretary_approvals,
            deputy_approvals,
            deputy_rejections
        );
        h.quiet().await;

        for (id, by_secretary, by_deputy) in joined {
            let (status, by): (String, i64) =
                sqlx::query_as("SELECT status, decided_by FROM memberships WHERE id = ?")
                    .bind(id)
                    .fetch_one(&h.pool)
                    .await
                    .unwrap();
            if by == SECRETARY {
                assert_eq!(status, "approved");
                assert_eq!(
                    by_secretary.str_param("text"),
                    Some(loader(Lang::Vi).get("decision-recorded").as_str())
                );
                told_who_and_when(by_deputy.str_param("text"), Lang::En, SECRETARY_NAME);
            } else {
                assert_eq!(by, DEPUTY);
                let expected = if owner[&id] % 2 == 1 {
                    "approved"
                } else {
                    "rejected"
                };
                assert_eq!(status, expected, "join {id}");
                assert_eq!(
                    by_deputy.str_param("text"),
                    Some(loader(Lang::En).get("decision-recorded").as_str())
                );
                told_who_and_when(by_secretary.str_param("text"), Lang::Vi, DEPUTY_NAME);
            }
            let user = member(owner[&id]);
            let told = told_once(h, &user, ["join-approved", "join-rejected"]);
            assert_eq!(told, status, "{}", user.id);
        }

        let secretary_answers: HashMap<i64, Call> = approved_by_secretary.into_iter().collect();
        let deputy_answers: HashMap<i64, Call> = approved_by_deputy.into_iter().collect();
        let rejections: HashMap<i64, (Call, bool, Vec<Sent>)> = rejected_by_deputy
            .into_iter()
            .map(|(id, answer, asked, typed)| (id, (answer, asked, typed)))
            .collect();
        for id in deputy_reports.keys() {
            let (status, by, why): (String, i64, Option<String>) = sqlx::query_as(
                "SELECT status, decided_by, reject_reason FROM reports WHERE id = ?",
            )
            .bind(id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
            let mine = secretary_answers[id].str_param("text");
            let i = reporter[id];
            if by == SECRETARY {
                assert_eq!(status, "approved");
                assert_eq!(
                    mine,
                    Some(loader(Lang::Vi).get("decision-recorded").as_str())
                );
                if let Some(theirs) = deputy_answers.get(id) {
                    told_who_and_when(theirs.str_param("text"), Lang::En, SECRETARY_NAME);
                } else {
                    let (answer, asked, typed) = &rejections[id];
                    if *asked {
                        let last = typed.last().and_then(|s| s.text.as_deref());
                        told_who_and_when(last, Lang::En, SECRETARY_NAME);
                    } else {
                        told_who_and_when(answer.str_param("text"), Lang::En, SECRETARY_NAME);
                    }
                }
            } else {
                assert_eq!(by, DEPUTY, "report {id}");
                told_who_and_when(mine, Lang::Vi, DEPUTY_NAME);
                if i % 2 == 1 {
                    assert_eq!(status, "approved");
                    assert_eq!(
                        deputy_answers[id].str_param("text"),
                        Some(loader(Lang::En).get("decision-recorded").as_str())
                    );
                } else {
                    assert_eq!(status, "rejected");
                    assert_eq!(why, Some(reason(i)));
                    let (_, asked, typed) = &rejections[id];
                    assert!(asked);
                    assert!(
                        typed.iter().any(|s| says(
                            s.text.as_deref(),
                            Lang::En,
                            "report-rejected-done"
                        )),
                        "{typed:?}"
                    );
                }
            }
            let user = member(i);
            let told = told_once(h, &user, ["report-approved", "report-rejected"]);
            assert_eq!(told, status, "{}", user.id);
        }
        // Every card of these items, the secretary's and the deputy's,
        // shows the decision without buttons.
        for (id, card) in deputy_joins.iter().chain(&deputy_reports) {
            assert!(h.current(card).buttons().is_empty(), "{id}: {card:?}");
        }
        for id in deputy_joins.keys() {
            assert!(h.current(&joins[id]).buttons().is_empty(), "join {id}");
        }
        for id in deputy_reports.keys() {
            assert!(h.current(&reports[id]).buttons().is_empty(), "report {id}");
        }
    }

    // Every item decided once, audited once.
    let twice: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT subject, subject_id, COUNT(*) FROM audit_log
         WHERE action IN ('approve', 'reject') GROUP BY subject, subject_id HAVING COUNT(*) > 1",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert!(twice.is_empty(), "decided twice: {twice:?}");
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('approve', 'reject')
             AND subject IN ('membership', 'report')"
        )
        .await,
        // The setup's twenty approvals, the twenty requests, the twenty reports.
        3 * ITEMS
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await
            + h.count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
                .await,
        0
    );
    let won: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT subject, actor, COUNT(*) FROM audit_log WHERE action IN ('approve', 'reject')
         GROUP BY subject, actor ORDER BY 1, 2",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    eprintln!("decided by: {won:?}");
    chain_intact(h).await;
    log_clean(&logs);
}

/// The deputy presses Reject on a report and types the reason; the
/// secretary's approval lands between the checks of that reason and its
/// write. The deputy is told who decided the report first, and when, as a
/// press after the approval is; the report stays approved.
async fn a_reason_typed_as_the_other_decides(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let member = user_in(lang, 300, "An");
    let deputy = user_in(lang, DEPUTY, "Dũng");
    h.cell_with_member(&secretary, &member).await;
    crate::committee::make_deputy(&h, &secretary, &deputy, DEPUTY_NAME).await;
    let id = crate::committee::submit_report(&h, &member, "Dọn vệ sinh khối phố").await;
    h.drain().await;
    let listed = h.say(&deputy, "/pending").await;
    let card = cards_among(&listed, "ra:").remove(&id).expect("the card");
    let reject = lienhe::t!(lang, "button-reject");
    let (_, asked) = h.press(&deputy, &card, &reject).await;
    assert!(
        asked
            .iter()
            .any(|s| says(s.text.as_deref(), lang, "ask-reject-reason")),
        "{asked:?}"
    );

    let held = h.hold_database().await;
    let before = h.api.sent_count(deputy.id);
    let typed = h.api.text(&deputy, "Thiếu minh chứng");
    h.waits_to_write(typed).await;
    held.commit_with(
        "UPDATE reports SET status = 'approved', decided_at = ?, decided_by = 100 WHERE id = ?",
        id,
    )
    .await;
    h.handled(typed).await;
    h.quiet().await;
    let replies = h.api.sent(deputy.id).split_off(before);
    let reply = replies.last().and_then(|s| s.text.as_deref());
    told_who_and_when(reply, lang, SECRETARY_NAME);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved' AND reject_reason IS NULL")
            .await,
        1
    );
    // The deputy's card shows the decision.
    assert!(h.current(&card).buttons().is_empty(), "{card:?}");
}

#[tokio::test]
async fn a_reason_typed_as_the_other_decides_names_who_decided() {
    a_reason_typed_as_the_other_decides(Lang::Vi).await;
}

#[tokio::test]
async fn a_reason_typed_as_the_other_decides_names_who_decided_in_english() {
    a_reason_typed_as_the_other_decides(Lang::En).await;
}

/// Calls a meeting of the secretary's cell through the dialogue, starting
/// at `when`; returns its id and the secretary's summary of it, once the
/// invitations are out.
async fn call_meeting(h: &Harness, secretary: &TgUser, when: &str) -> (i64, Sent) {
    let kinds = h.ask(secretary, "/meeting").await;
    h.press_data(secretary, kinds.message_id, "gk:c").await;
    let asked = h.ask(secretary, when).await;
    assert!(
        says(
            asked.text.as_deref(),
            lang_of(secretary),
            "meeting-ask-place"
        ),
        "{asked:?}"
    );
    h.ask(secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(secretary, "Triển khai nhiệm vụ cuối năm").await;
    h.press_data(secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM meetings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let summary = h.last(secretary);
    h.drain().await;
    (id, summary)
}

/// The member's invitation to meeting `id` (the last message with its
/// "cannot attend" button).
fn invitation_to(h: &Harness, user: i64, id: i64) -> Sent {
    let data = format!("gd:{id}");
    h.api
        .sent(user)
        .into_iter()
        .rfind(|s| s.buttons().iter().any(|(_, d)| *d == data))
        .unwrap_or_else(|| panic!("no invitation to {user}"))
}

/// What one member did while the meeting was moved, and what they were
/// told.
#[derive(Debug)]
enum Did {
    /// "Cannot attend" pressed (its answer), then the reason typed if it
    /// was asked (the replies).
    Declined(Call, Option<Vec<Sent>>),
    /// The meeting's code opened: the reply.
    CheckedIn(Sent),
    /// "I will attend" pressed: its answer.
    Attended(Call),
}

/// Thirty members of a meeting that starts in half an hour (check-in is
/// open) act at the same moment: a third press "cannot attend" and type
/// their reason, a third check in with the meeting's code, a third press
/// "I will attend"; meanwhile the secretary moves the meeting to the next
/// evening. Each member ends with nothing recorded against the old time
/// (answers and check-ins made before the move are reset, those after it
/// refused), and is told so: an answer or check-in taken before the move
/// by the move's notice (once each; a check-in also asked to check in
/// again, and from when), one refused after it by its reply, which names
/// the new time. Half the members read Vietnamese, half English.
#[tokio::test]
async fn thirty_answer_and_check_in_while_the_meeting_is_moved() {
    const MEMBERS: i64 = 30;
    const FIRST: i64 = 1000;
    let (logs, _logging) = Logs::capture();
    let mut h = Harness::start().await;
    h.start_sender(fast_sender()).await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    h.make_secretary(&secretary, cell, SECRETARY_NAME).await;
    seed_members(&h, cell, FIRST, MEMBERS).await;
    let user = |m: i64| {
        if m % 2 == 0 {
            vi_user(m, &format!("dv{m}"))
        } else {
            en_user(m, &format!("dv{m}"))
        }
    };
    for m in (FIRST..FIRST + MEMBERS).filter(|m| m % 2 == 1) {
        h.api.introduce(&user(m));
        sqlx::query("UPDATE users SET language = 'en' WHERE id = ?")
            .bind(m)
            .execute(&h.pool)
            .await
            .unwrap();
    }
    let (id, summary) = call_meeting(&h, &secretary, "20/11/2026 10:30").await;
    let code = lienhe::store::meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let invitations: HashMap<i64, Sent> = (FIRST..FIRST + MEMBERS)
        .map(|m| (m, invitation_to(&h, m, id)))
        .collect();
    let h = &h;
    let (user, code, invitations) = (&user, &code, &invitations);
    // The secretary asks to move it; the new time is typed as the members
    // act: half of them at once, half once the time was sent.
    let postpone = label_of(&summary, &format!("gp:{id}")).unwrap();
    let (_, asked) = h.press_concurrently(&secretary, &summary, &postpone).await;
    assert!(
        asked
            .iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "meeting-ask-new-start")),
        "{asked:?}"
    );
    let (typed, time_sent) = tokio::sync::watch::channel(false);
    let time_sent = &time_sent;

    let members = join_all((FIRST..FIRST + MEMBERS).map(|m| async move {
        if m % 2 == 1 {
            let mut sent = time_sent.clone();
            sent.wait_for(|sent| *sent).await.unwrap();
        }
        let user = user(m);
        let lang = lang_of(&user);
        let invitation = &invitations[&m];
        let did = match m % 3 {
            0 => {
                let decline = label_of(invitation, &format!("gd:{id}")).unwrap();
                let (answer, replies) = h.press_concurrently(&user, invitation, &decline).await;
                let asked = replies
                    .iter()
                    .any(|s| says(s.text.as_deref(), lang, "meeting-ask-reason"));
                let typed = if asked {
                    Some(h.say_concurrently(&user, &format!("Đi công tác {m}")).await)
                } else {
                    None
                };
                Did::Declined(answer, typed)
            }
            1 => {
                // (The move's notice may come meanwhile.)
                let reply = h
                    .say_concurrently(&user, &format!("/start {code}"))
                    .await
                    .into_iter()
                    .rfind(|s| !says(s.text.as_deref(), lang, "meeting-notice-postponed"))
                    .unwrap_or_else(|| panic!("{m}: no answer to the code"));
                Did::CheckedIn(reply)
            }
            _ => {
                let attend = label_of(invitation, &format!("ga:{id}")).unwrap();
                let (answer, _) = h.press_concurrently(&user, invitation, &attend).await;
                Did::Attended(answer)
            }
        };
        (m, did)
    }));
    let moved = async {
        let before = h.api.sent_count(SECRETARY);
        let update = h.api.text(&secretary, "21/11/2026 19:30");
        typed.send(true).unwrap();
        h.handled(update).await;
        let done = h.api.sent(SECRETARY).split_off(before);
        assert!(
            done.iter()
                .any(|s| says(s.text.as_deref(), Lang::Vi, "meeting-postponed-done")),
            "{done:?}"
        );
    };
    let (members, ()) = tokio::join!(members, moved);
    h.quiet().await;
    h.drain().await;

    // Nothing stands against the old time, nor was recorded after the move.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 1")
            .await,
        1
    );
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NOT NULL
             OR reason IS NOT NULL OR checked_in_at IS NOT NULL OR attendance IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('meeting_answer', 'meeting_checkin')
             AND id > (SELECT id FROM audit_log WHERE action = 'meeting_postpone')"
        )
        .await,
        0,
        "recorded after the move"
    );

    let new_time = "21/11/2026 19:30";
    let moved_here = |text: Option<&str>, lang: Lang| {
        says(text, lang, "meeting-answer-moved") && text.unwrap().contains(new_time)
    };
    let mut taken_before = 0;
    let mut refused_after = 0;
    for (m, did) in members {
        let user = user(m);
        let lang = lang_of(&user);
        let notices: Vec<String> = h
            .api
            .sent(m)
            .into_iter()
            .filter_map(|s| s.text)
            .filter(|t| says(Some(t), lang, "meeting-notice-postponed"))
            .collect();
        assert_eq!(notices.len(), 1, "{m} told of the move once: {notices:?}");
        let earlier: Option<String> = sqlx::query_scalar(
            "SELECT checked_in_earlier FROM meeting_invitations WHERE user_id = ?",
        )
        .bind(m)
        .fetch_one(&h.pool)
        .await
        .unwrap();
        match did {
            Did::Declined(answer, typed) => {
                let text = answer.str_param("text");
                if says(text, lang, "meeting-answer-recorded") {
                    taken_before += 1;
                    let typed = typed.unwrap_or_else(|| panic!("{m}: no reason asked"));
                    // (The move's notice may come meanwhile.)
                    let reply = typed
                        .iter()
                        .filter_map(|s| s.text.as_deref())
                        .rfind(|t| !says(Some(t), lang, "meeting-notice-postponed"));
                    assert!(
                        says(reply, lang, "meeting-decline-recorded") || moved_here(reply, lang),
                        "{m}: {reply:?}"
                    );
                } else {
                    refused_after += 1;
                    assert!(moved_here(text, lang), "{m}: {text:?}");
                    assert!(typed.is_none(), "{m}: a reason asked for nothing");
                }
            }
            Did::CheckedIn(reply) => {
                let text = reply.text.as_deref();
                if says(text, lang, "checkin-done") {
                    taken_before += 1;
                    assert!(earlier.is_some(), "{m}: the check-in was not kept");
                    assert!(
                        says(
                            Some(&notices[0]),
                            lang,
                            "meeting-notice-checkin-again-later"
                        ) && notices[0].contains("21/11/2026 18:30"),
                        "{m}: {:?}",
                        notices[0]
                    );
                } else {
                    refused_after += 1;
                    assert!(earlier.is_none(), "{m}");
                    assert!(
                        says(text, lang, "checkin-not-yet")
                            && text.unwrap().contains("21/11/2026 18:30"),
                        "{m}: {text:?}"
                    );
                    assert!(!notices[0].contains("18:30"), "{m}: {:?}", notices[0]);
                }
            }
            Did::Attended(answer) => {
                let text = answer.str_param("text");
                if says(text, lang, "meeting-answer-recorded") {
                    taken_before += 1;
                } else {
                    refused_after += 1;
                    assert!(moved_here(text, lang), "{m}: {text:?}");
                }
            }
        }
    }
    eprintln!("{taken_before} taken before the move, {refused_after} refused after it");
    chain_intact(h).await;
    log_clean(&logs);
}

/// A member opens the meeting's code (check-in is open, the meeting
/// starts in half an hour) as the secretary's move to the next evening
/// lands between the code's reading and the check-in's write: the member
/// is told that check-in is not open yet for the new time, and from when,
/// not for the old time (an hour already gone).
async fn a_code_opened_as_the_meeting_moves(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let (id, _) = call_meeting(&h, &secretary, "20/11/2026 10:30").await;
    let code = lienhe::store::meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();

    let held = h.hold_database().await;
    let before = h.api.sent_count(member.id);
    let opened = h.api.text(&member, &format!("/start {code}"));
    h.waits_to_write(opened).await;
    let moved_to = TZ
        .with_ymd_and_hms(2026, 11, 21, 19, 30, 0)
        .unwrap()
        .with_timezone(&chrono::Utc);
    held.commit_with_at(
        "UPDATE meetings SET starts_at = ?, postponed = postponed + 1 WHERE id = ?",
        moved_to,
        id,
    )
    .await;
    h.handled(opened).await;
    let replies = h.api.sent(member.id).split_off(before);
    let reply = replies.last().and_then(|s| s.text.as_deref());
    assert!(says(reply, lang, "checkin-not-yet"), "{reply:?}");
    let reply = reply.unwrap();
    assert!(
        reply.contains("21/11/2026 19:30") && reply.contains("21/11/2026 18:30"),
        "the new time and when check-in opens: {reply:?}"
    );
    assert!(!reply.contains("20/11/2026"), "the old time: {reply:?}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE checked_in_at IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn a_code_opened_as_the_meeting_moves_names_the_new_time() {
    a_code_opened_as_the_meeting_moves(Lang::Vi).await;
}

#[tokio::test]
async fn a_code_opened_as_the_meeting_moves_names_the_new_time_in_english() {
    a_code_opened_as_the_meeting_moves(Lang::En).await;
}

/// A cell whose secretary (Vietnamese) approved, all at once, the join
/// requests `n` members (`crate::concurrency::member`) sent all at once;
/// the sender delivers without Telegram's pace.
async fn crowd_of(n: i64) -> (Harness, TgUser) {
    let mut h = Harness::start().await;
    h.start_sender(fast_sender()).await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    h.make_secretary(&secretary, cell, SECRETARY_NAME).await;
    let code = h.invite_code(&secretary).await;
    {
        let (h, secretary) = (&h, &secretary);
        join_all((0..n).map(|i| crate::concurrency::join(h, i, &code))).await;
        h.quiet().await;
        let joins = cards_among(&h.api.sent(SECRETARY), "ja:");
        join_all(joins.values().map(|card| async move {
            h.press_concurrently(secretary, card, "✅ Duyệt").await;
        }))
        .await;
        h.quiet().await;
    }
    (h, secretary)
}

/// The response member `i` types to their comment sheet.
fn sheet_response(i: i64) -> String {
    format!("Góp ý số {i}: đã tham gia dọn vệ sinh ngày 18/11.")
}

/// Twenty members answer the comment sheet sent to them, all at once (the
/// even ones Accept, the odd ones Respond and type a response), while the
/// secretary takes two of the drafts back (one accepted, one responded
/// to) and presses Sign on the others as the answers come, then again on
/// those not signed yet. A sheet is signed only once answered, once,
/// with the response in it; a draft taken back keeps the answer given
/// before, or the member is told it was taken back and given their
/// response back; the workplace's officer gets each signed sheet once.
/// The members read Vietnamese or English, the officer English.
#[tokio::test]
async fn twenty_answer_their_sheets_while_the_secretary_takes_back_and_signs() {
    const N: i64 = 20;
    const TAKEN_BACK: [i64; 2] = [2, 3];
    let (logs, _logging) = Logs::capture();
    let (h, secretary) = crowd_of(N).await;
    let (h, secretary) = (&h, &secretary);
    let workplace: i64 =
        sqlx::query_scalar("SELECT DISTINCT workplace_id FROM memberships WHERE user_id >= 1000")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let officer = en_user(700, "Officer");
    h.ask(
        &officer,
        &format!("/start {}", h.officer_code(workplace).await),
    )
    .await;
    let sheets: HashMap<i64, i64> = {
        let memberships: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id - 1000, id FROM memberships WHERE user_id >= 1000 ORDER BY id",
        )
        .fetch_all(&h.pool)
        .await
        .unwrap();
        let mut sheets = HashMap::new();
        for (i, membership) in memberships {
            sheets.insert(i, h.sheet_sent_to_member(secretary, membership).await);
        }
        sheets
    };
    h.quiet().await;
    let drafts: HashMap<i64, Sent> = (0..N)
        .map(|i| {
            let prefix = format!("ma:{}:", sheets[&i]);
            let draft = h
                .api
                .sent(member(i).id)
                .into_iter()
                .rfind(|s| s.buttons().iter().any(|(_, d)| d.starts_with(&prefix)))
                .unwrap_or_else(|| panic!("{i}: no draft"));
            (i, draft)
        })
        .collect();
    let drafts = &drafts;
    let sheets = &sheets;

    // Every member answers at once.
    let members = join_all((0..N).map(|i| async move {
        let user = member(i);
        let draft = &drafts[&i];
        let before = h.api.sent_count(user.id);
        if i % 2 == 0 {
            let accept = data_of(draft, "ma:");
            let update = h.api.callback(&user, draft.message_id, &accept);
            h.handled(update).await;
            (i, None)
        } else {
            let respond = data_of(draft, "mr:");
            let update = h.api.callback(&user, draft.message_id, &respond);
            h.handled(update).await;
            let asked = h.api.sent(user.id).split_off(before);
            let typed = asked
                .iter()
                .any(|s| says(s.text.as_deref(), lang_of(&user), "ask-member-response"))
                .then_some(());
            let replies = match typed {
                Some(()) => h.say_concurrently(&user, &sheet_response(i)).await,
                None => asked,
            };
            (i, Some(replies))
        }
    }));
    // Meanwhile the secretary takes two back and presses Sign on the rest.
    let desk = join_all((0..N).map(|i| async move {
        let data = if TAKEN_BACK.contains(&i) {
            format!("sx:{}", sheets[&i])
        } else {
            format!("sg:{}", sheets[&i])
        };
        let update = h.api.callback(secretary, 1, &data);
        h.handled(update).await;
    }));
    let (answered, _) = tokio::join!(members, desk);
    h.quiet().await;
    // Sign again where the member had not answered yet.
    for i in (0..N).filter(|i| !TAKEN_BACK.contains(i)) {
        let state: String = sqlx::query_scalar("SELECT state FROM sheets WHERE id = ?")
            .bind(sheets[&i])
            .fetch_one(&h.pool)
            .await
            .unwrap();
        if state != "signed" {
            h.press_data(secretary, 1, &format!("sg:{}", sheets[&i]))
                .await;
        }
    }
    h.quiet().await;
    h.drain().await;

    for (i, replies) in answered {
        let user = member(i);
        let lang = lang_of(&user);
        let (state, answer, response, content): (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = sqlx::query_as(
            "SELECT state, member_answer, member_response, content FROM sheets WHERE id = ?",
        )
        .bind(sheets[&i])
        .fetch_one(&h.pool)
        .await
        .unwrap();
        let expected = if i % 2 == 0 { "accepted" } else { "responded" };
        if TAKEN_BACK.contains(&i) {
            assert_eq!(state, "draft", "{i}");
            match answer.as_deref() {
                Some(answer) => assert_eq!(answer, expected, "{i}"),
                // Taken back first: a typed response comes back to its
                // member, with why.
                None => {
                    if let Some(replies) = &replies {
                        let back = replies
                            .iter()
                            .filter_map(|s| s.text.as_deref())
                            .any(|t| t.contains(&sheet_response(i)));
                        assert!(back, "{i}: the response was lost: {replies:?}");
                    }
                }
            }
        } else {
            assert_eq!(state, "signed", "{i}");
            assert_eq!(answer.as_deref(), Some(expected), "{i}: signed unanswered");
            if i % 2 == 1 {
                assert_eq!(response, Some(sheet_response(i)), "{i}");
                assert!(
                    content.unwrap().contains(&sheet_response(i)),
                    "{i}: the response is not in the signed sheet"
                );
                let replies = replies.unwrap();
                assert!(
                    replies
                        .iter()
                        .any(|s| says(s.text.as_deref(), lang, "member-response-done")),
                    "{i}: {replies:?}"
                );
            }
        }
    }
    let signed = N - TAKEN_BACK.len() as i64;
    let twice: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT subject_id, COUNT(*) FROM audit_log WHERE subject = 'sheet'
         AND action IN ('sign', 'member_accept', 'member_respond', 'reopen')
         GROUP BY subject_id, action HAVING COUNT(*) > 1",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert!(twice.is_empty(), "twice: {twice:?}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign'")
            .await,
        signed
    );
    // The officer gets each signed sheet once (DOCX and PDF).
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    let documents = |h: &Harness| {
        h.api
            .sent(officer.id)
            .into_iter()
            .filter(|s| s.method == "senddocument")
            .count() as i64
    };
    while documents(h) < 2 * signed {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} documents",
            documents(h)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    h.drain().await;
    assert_eq!(documents(h), 2 * signed);
    chain_intact(h).await;
    log_clean(&logs);
}

/// The secretary presses Sign on a sheet its member has accepted; the
/// member's change of workplace (/profile) lands between the checks of
/// that press and the signature's write. What is signed is what the
/// database held then: the stored content and the DOCX name the new
/// workplace, whose officer it is delivered to (the old one's officer
/// gets a copy, a workplace the member left this year, naming the new
/// one too). Secretary, member and officers read `lang`.
async fn a_workplace_changed_as_the_sheet_is_signed(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, SECRETARY, "Bình");
    let member = user_in(lang, 300, "An");
    h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    let places: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM workplaces ORDER BY id")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    let from: i64 = sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE id = ?")
        .bind(membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let (old, new) = if places[0].0 == from {
        (&places[0], &places[1])
    } else {
        (&places[1], &places[0])
    };
    let officers = [user_in(lang, 700, "Officer"), user_in(lang, 701, "Cán bộ")];
    for (officer, place) in officers.iter().zip([old.0, new.0]) {
        h.ask(officer, &format!("/start {}", h.officer_code(place).await))
            .await;
    }
    let sheet = h.sheet_sent_to_member(&secretary, membership).await;
    h.quiet().await;
    let prefix = format!("ma:{sheet}");
    let draft = h
        .api
        .sent(member.id)
        .into_iter()
        .rfind(|s| s.buttons().iter().any(|(_, d)| d.starts_with(&prefix)))
        .expect("the draft sent to the member");
    h.press_data(&member, draft.message_id, &data_of(&draft, "ma:"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE member_answer = 'accepted'")
            .await,
        1
    );

    let held = h.hold_database().await;
    let before = h.api.sent_count(secretary.id);
    let press = h.api.callback(&secretary, 1, &format!("sg:{sheet}"));
    h.waits_to_write(press).await;
    held.change_workplace(membership, new.0).await;
    h.handled(press).await;
    h.quiet().await;
    let replies = h.api.sent(secretary.id).split_off(before);
    assert!(
        replies
            .iter()
            .any(|s| says(s.text.as_deref(), lang, "sheet-signed-done")),
        "{replies:?}"
    );
    let content: String =
        sqlx::query_scalar("SELECT content FROM sheets WHERE id = ? AND state = 'signed'")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let content: serde_json::Value = serde_json::from_str(&content).unwrap();
    assert_eq!(content["workplace"].as_str(), Some(new.1.as_str()));
    // Delivered to the new workplace, addressed to it; the copy to the old
    // one says the same.
    for officer in &officers {
        h.wait_documents(officer.id, 2).await;
        let docx = h.first_docx(officer.id);
        assert!(
            docx.contains(&new.1) && !docx.contains(&old.1),
            "{}: the DOCX names {:?}, not {:?}",
            officer.id,
            new.1,
            old.1
        );
    }
}

#[tokio::test]
async fn a_workplace_changed_as_the_sheet_is_signed_is_in_what_is_signed() {
    a_workplace_changed_as_the_sheet_is_signed(Lang::Vi).await;
}

#[tokio::test]
async fn a_workplace_changed_as_the_sheet_is_signed_is_in_what_is_signed_in_english() {
    a_workplace_changed_as_the_sheet_is_signed(Lang::En).await;
}

/// The rows of an XLSX sent (its first sheet), header first.
fn workbook_rows(sent: &Sent) -> Vec<Vec<String>> {
    let bytes = sent
        .document_bytes
        .as_deref()
        .expect("an uploaded workbook");
    lienhe::roster_file::grid(bytes)
        .unwrap()
        .into_iter()
        .map(|(_, row)| row)
        .collect()
}

/// The member count a /status header gives (the first number after the
/// workplace's name and the year).
fn status_count(text: &str, workplace: &str) -> i64 {
    let at = text
        .find(workplace)
        .unwrap_or_else(|| panic!("{workplace} in {text}"));
    let rest = &text[at + workplace.len()..];
    let rest = &rest[rest.find(':').expect("the header's colon") + 1..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(0)
}

/// Forty members change their profile at the same moment (the even ones
/// their phone, the odd ones their workplace, to the other registered
/// one) while the officers of both workplaces run /status and /export and
/// the secretary /members, twice over. Every change is kept and audited
/// once, and its member told once; what each reader got counts each
/// member once (before or after their change); afterwards each officer's
/// /status and /export list their twenty. Members, officers and the
/// secretary read Vietnamese or English.
#[tokio::test]
async fn forty_change_their_profile_while_officers_and_the_secretary_read() {
    const N: i64 = 40;
    let (logs, _logging) = Logs::capture();
    let (h, secretary) = crowd_of(N).await;
    let (h, secretary) = (&h, &secretary);
    let places: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM workplaces ORDER BY id")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    let (first, other) = (&places[0], &places[1]);
    assert_eq!(
        h.count("SELECT COUNT(DISTINCT workplace_id) FROM memberships WHERE user_id >= 1000")
            .await,
        1
    );
    let officers = [en_user(700, "Officer"), vi_user(701, "Cán bộ")];
    for (officer, (place, _)) in officers.iter().zip(&places) {
        h.ask(officer, &format!("/start {}", h.officer_code(*place).await))
            .await;
    }
    let phone = |i: i64| format!("09120001{i:02}");
    let other_id = other.0;

    let members = join_all((0..N).map(|i| async move {
        let user = member(i);
        let lang = lang_of(&user);
        let profile = h.ask_concurrently(&user, "/profile").await;
        assert!(says(profile.text.as_deref(), lang, "profile-text"), "{i}");
        if i % 2 == 0 {
            let (_, asked) = h
                .press_concurrently(&user, &profile, &label_of(&profile, "pp").unwrap())
                .await;
            assert!(
                asked
                    .iter()
                    .any(|s| says(s.text.as_deref(), lang, "profile-ask-phone")),
                "{i}: {asked:?}"
            );
            h.say_concurrently(&user, &phone(i)).await
        } else {
            let (_, asked) = h
                .press_concurrently(&user, &profile, &label_of(&profile, "pw").unwrap())
                .await;
            let picker = asked
                .iter()
                .rfind(|s| !s.buttons().is_empty())
                .unwrap_or_else(|| panic!("{i}: no picker: {asked:?}"));
            let choice = label_of(picker, &format!("w:{other_id}")).unwrap();
            let (_, replies) = h.press_concurrently(&user, picker, &choice).await;
            replies
        }
    }));
    // The readers read again and again until every member is done.
    let (done, members_done) = tokio::sync::watch::channel(false);
    let members = async {
        let told = members.await;
        done.send(true).unwrap();
        told
    };
    let readers = async {
        let mut read = Vec::new();
        while read.len() < 2 || !*members_done.borrow() {
            let (a, b, c, d) = tokio::join!(
                h.say_concurrently(&officers[0], "/status"),
                h.say_concurrently(&officers[1], "/status"),
                h.say_concurrently(&officers[0], "/export"),
                h.say_concurrently(secretary, "/members"),
            );
            read.push((a, b, c, d));
        }
        read
    };
    let (told, read) = tokio::join!(members, readers);
    h.quiet().await;
    eprintln!("{} readings", read.len());

    for (i, replies) in told.into_iter().enumerate() {
        let i = i as i64;
        let user = member(i);
        let lang = lang_of(&user);
        let said = if i % 2 == 0 {
            "profile-phone-saved"
        } else {
            "profile-workplace-saved"
        };
        let count = h
            .api
            .sent(user.id)
            .iter()
            .filter(|s| says(s.text.as_deref(), lang, said))
            .count();
        assert_eq!(count, 1, "{i}: {replies:?}");
    }
    let phones: Vec<(i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT m.user_id - 1000, m.phone, m.workplace_id FROM memberships m
         WHERE m.user_id >= 1000 ORDER BY 1",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    for (i, got, place) in phones {
        if i % 2 == 0 {
            assert_eq!(got, Some(phone(i)), "{i}");
            assert_eq!(place, first.0, "{i}");
        } else {
            assert_eq!(place, other.0, "{i}");
        }
    }
    let audited: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT action, COUNT(*), COUNT(DISTINCT subject_id) FROM audit_log
         WHERE action IN ('change_phone', 'change_workplace') GROUP BY action ORDER BY 1",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            ("change_phone".into(), N / 2, N / 2),
            ("change_workplace".into(), N / 2, N / 2)
        ]
    );

    // What the readers got while it happened: everyone counted once.
    for (first_status, other_status, export, members) in &read {
        let text = |sent: &[Sent]| {
            sent.iter()
                .filter_map(|s| s.text.clone())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (a, b) = (
            status_count(&text(first_status), &first.1),
            status_count(&text(other_status), &other.1),
        );
        eprintln!("read: {a} and {b} members");
        assert!((N / 2..=N).contains(&a), "{a}: {first_status:?}");
        assert!(b <= N / 2, "{b}: {other_status:?}");
        let workbook = export
            .iter()
            .find(|s| s.method == "senddocument")
            .unwrap_or_else(|| panic!("no workbook: {export:?}"));
        let rows = workbook_rows(workbook);
        let ids: std::collections::HashSet<&String> = rows[1..].iter().map(|r| &r[0]).collect();
        assert_eq!(ids.len(), rows.len() - 1, "a member twice: {rows:?}");
        let rows = rows.len() as i64 - 1;
        assert!((N / 2..=N).contains(&rows), "{rows} rows");
        assert!(
            members
                .iter()
                .any(|s| says(s.text.as_deref(), Lang::Vi, "members-header")),
            "{members:?}"
        );
    }
    // Afterwards: twenty each.
    let status = h.say(&officers[0], "/status").await;
    let text: Vec<String> = status.iter().filter_map(|s| s.text.clone()).collect();
    assert_eq!(status_count(&text.join("\n"), &first.1), N / 2, "{text:?}");
    let status = h.say(&officers[1], "/status").await;
    let text: Vec<String> = status.iter().filter_map(|s| s.text.clone()).collect();
    assert_eq!(status_count(&text.join("\n"), &other.1), N / 2, "{text:?}");
    let export = h.say(&officers[1], "/export").await;
    let workbook = export
        .iter()
        .find(|s| s.method == "senddocument")
        .expect("a workbook");
    assert_eq!(workbook_rows(workbook).len() as i64 - 1, N / 2);
    chain_intact(h).await;
    log_clean(&logs);
}
