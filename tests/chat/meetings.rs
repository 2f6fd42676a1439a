//! Calling a meeting (issue 10): the /meeting dialogue with its refusals,
//! the invitations, answers, the secretary's summary, the day-before
//! reminder, postponing, cancelling, /meetings and who may press what.

use futures::future::join_all;
use lienhe::domain::Lang;

use crate::common::*;

const SECRETARY: i64 = 100;
/// Approved members of the cell (302 is exempt, 301 reads English).
const MEMBERS: [i64; 4] = [300, 301, 302, 303];
const PENDING: i64 = 310;
const LEFT: i64 = 311;
const OTHER_SECRETARY: i64 = 120;
const OTHER_DEPUTY: i64 = 130;
const OTHER_MEMBER: i64 = 400;

fn seeded(id: i64) -> TgUser {
    if id == 301 {
        en_user(id, &format!("dv{id}"))
    } else {
        vi_user(id, &format!("dv{id}"))
    }
}

fn tr(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

fn name(id: i64) -> String {
    format!("Đảng viên {id}")
}

/// A cell with its secretary (in `lang`), four approved members (one
/// exempt, one reading English), a pending and a former member; and
/// another cell with its secretary, deputy and a member.
async fn world(h: &Harness, secretary: &TgUser) -> i64 {
    let cell = h.cell_setup().await;
    h.make_secretary(secretary, cell, "Trần Thị Bình").await;
    seed_members(h, cell, 300, 4).await;
    sqlx::query("UPDATE users SET language = 'en' WHERE id = 301")
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE memberships SET exempt_reason = 'barracks' WHERE user_id = 302")
        .execute(&h.pool)
        .await
        .unwrap();
    insert_members(h, cell, None, PENDING, 1, "pending").await;
    insert_members(h, cell, None, LEFT, 1, "left").await;
    h.api.introduce(&vi_user(PENDING, "dv310"));
    h.api.introduce(&vi_user(LEFT, "dv311"));

    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other = h.cell(ward, "Chi bộ khối 7").await;
    let other_secretary = vi_user(OTHER_SECRETARY, "Cường");
    h.make_secretary(&other_secretary, other, "Lê Văn Cường")
        .await;
    crate::committee::make_deputy(
        h,
        &other_secretary,
        &vi_user(OTHER_DEPUTY, "Dũng"),
        "Phạm Văn Dũng",
    )
    .await;
    seed_members(h, other, OTHER_MEMBER, 1).await;
    cell
}

fn alert_text(answer: &Call) -> String {
    answer.str_param("text").unwrap_or_default().to_string()
}

/// The messages of `id` in the chat.
fn said(h: &Harness, chat: i64, lang: Lang, id: &str) -> Vec<Sent> {
    h.api
        .sent(chat)
        .into_iter()
        .filter(|s| says(s.text.as_deref(), lang, id))
        .collect()
}

/// The secretary moves meeting `moved` (its summary given) to `to`, then
/// cancels meeting `cancelled` (confirmed).
async fn move_and_cancel(
    h: &Harness,
    secretary: &TgUser,
    (moved, moved_summary): (i64, &Sent),
    to: &str,
    (cancelled, cancelled_summary): (i64, &Sent),
) {
    h.press_data(secretary, moved_summary.message_id, &format!("gp:{moved}"))
        .await;
    let done = h.ask(secretary, to).await;
    assert!(says(
        done.text.as_deref(),
        Lang::Vi,
        "meeting-postponed-done"
    ));
    let (_, replies) = h
        .press_data(
            secretary,
            cancelled_summary.message_id,
            &format!("gc:{cancelled}"),
        )
        .await;
    let confirm = replies.last().unwrap().clone();
    h.press_data(secretary, confirm.message_id, &data_of(&confirm, "gy:"))
        .await;
}

/// Calls a meeting through the dialogue without mistakes; returns the
/// meeting's id and the summary message.
pub(crate) async fn call_meeting(h: &Harness, secretary: &TgUser, when: &str) -> (i64, Sent) {
    let kinds = h.ask(secretary, "/meeting").await;
    h.press_data(secretary, kinds.message_id, "gk:c").await;
    h.ask(secretary, when).await;
    h.ask(secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(secretary, "Triển khai nhiệm vụ cuối năm").await;
    h.press_data(secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM meetings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let summary = h.last(secretary);
    assert!(
        says(
            summary.text.as_deref(),
            lang_of(secretary),
            "meeting-summary-head"
        ),
        "{:?}",
        summary.text
    );
    h.drain().await;
    (id, summary)
}

async fn full_flow(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    world(&h, &secretary).await;

    // Kind: a text is refused and the kinds are shown again.
    let kinds = h.ask(&secretary, "/meeting").await;
    assert!(says(kinds.text.as_deref(), lang, "meeting-ask-kind"));
    assert_eq!(kinds.buttons().len(), 4, "three kinds and Cancel");
    let replies = h.say(&secretary, "họp chi bộ").await;
    assert!(says(
        replies[0].text.as_deref(),
        lang,
        "meeting-expect-button"
    ));
    let kinds = replies.last().unwrap().clone();
    assert!(says(kinds.text.as_deref(), lang, "meeting-ask-kind"));
    h.press_data(&secretary, kinds.message_id, "gk:p").await;
    assert!(says(
        h.last(&secretary).text.as_deref(),
        lang,
        "meeting-ask-start"
    ));

    // Start: every wrong input named, and the step asked again.
    for (typed, problem) in [
        ("ngày mai", "meeting-start-format"),
        ("19/11/2026 19:30", "meeting-start-past"),
        ("01/03/2027 19:30", "meeting-start-too-far"),
        ("31/02/2027 19:30", "meeting-start-impossible"),
    ] {
        let reply = h.ask(&secretary, typed).await;
        let text = reply.text.as_deref().unwrap();
        assert!(says(Some(text), lang, problem), "{typed}: {text}");
        assert!(text.contains(typed), "{text}");
        assert!(says(Some(text), lang, "meeting-ask-start"), "{text}");
    }
    // A restart mid-dialogue resumes at the same step. The start as people
    // write it: the time first, the year left out (25/11/2026 19:30).
    h.restart().await;
    let typed = match lang {
        Lang::Vi => "19h30 ngày 25/11",
        Lang::En => "at 19:30 on 25/11",
    };
    let reply = h.ask(&secretary, typed).await;
    assert!(says(reply.text.as_deref(), lang, "meeting-ask-place"));

    // Place and agenda: empty and too long refused.
    let reply = h.ask(&secretary, "   ").await;
    assert!(says(reply.text.as_deref(), lang, "meeting-place-empty"));
    let reply = h.ask(&secretary, &"x".repeat(201)).await;
    assert!(says(reply.text.as_deref(), lang, "meeting-place-too-long"));
    let reply = h.ask(&secretary, "Nhà văn hóa khối 5").await;
    assert!(says(reply.text.as_deref(), lang, "meeting-ask-agenda"));
    let reply = h.ask(&secretary, " \n ").await;
    assert!(says(reply.text.as_deref(), lang, "meeting-agenda-empty"));
    let reply = h.ask(&secretary, &"â".repeat(1001)).await;
    assert!(says(reply.text.as_deref(), lang, "meeting-agenda-too-long"));
    let draft = h.ask(&secretary, "Sơ kết công tác 6 tháng").await;
    let text = draft.text.clone().unwrap();
    assert!(says(Some(&text), lang, "meeting-summary-draft"), "{text}");
    assert!(text.contains("25/11/2026 19:30") && text.contains("Nhà văn hóa khối 5"));
    assert!(text.contains('4'), "four active members: {text}");

    // Send invitations, delivered twice: one meeting, one summary.
    let update = h
        .api
        .callback(&secretary, draft.message_id, &data_of(&draft, "gs"));
    h.quiet().await;
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 1);
    assert_eq!(h.count("SELECT COUNT(*) FROM meeting_invitations").await, 4);
    let summaries = said(&h, SECRETARY, lang, "meeting-summary-head");
    assert_eq!(summaries.len(), 1);
    let summary = summaries[0].clone();
    assert!(h.current(&summary).text.unwrap().contains(&name(303)));
    let id: i64 = sqlx::query_scalar("SELECT id FROM meetings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.drain().await;

    // Invitations: active members only, each in their language.
    for member in MEMBERS {
        let user = seeded(member);
        let got = said(&h, member, lang_of(&user), "meeting-invitation");
        assert_eq!(got.len(), 1, "{member}");
        let text = got[0].text.clone().unwrap();
        assert!(text.contains("25/11/2026 19:30") && text.contains("Sơ kết công tác 6 tháng"));
        assert_eq!(
            says(Some(&text), lang_of(&user), "meeting-invitation-exempt"),
            member == 302,
            "{text}"
        );
        assert!(got[0].button_data("✅ I will attend").is_some() || member != 301);
        assert!(got[0].button_data("✅ Tôi sẽ tham dự").is_some() || member == 301);
    }
    for nobody in [PENDING, LEFT] {
        assert!(h.api.sent(nobody).is_empty(), "{nobody} got nothing");
    }
    let invitation =
        |member: i64| said(&h, member, lang_of(&seeded(member)), "meeting-invitation")[0].clone();

    // Attend: recorded, the invitation shows it, the summary names them.
    let (answer, _) = h
        .press_data(
            &seeded(300),
            invitation(300).message_id,
            &format!("ga:{id}"),
        )
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-answer-recorded"
    ));
    let shown = h.current(&invitation(300));
    assert!(says(
        shown.text.as_deref(),
        Lang::Vi,
        "meeting-your-answer-attend"
    ));
    assert_eq!(shown.buttons().len(), 2, "the answer can be changed");
    // The same answer again edits nothing.
    h.press_data(
        &seeded(300),
        invitation(300).message_id,
        &format!("ga:{id}"),
    )
    .await;
    let text = h.current(&summary).text.unwrap();
    let attending = text
        .lines()
        .find(|l| l.starts_with("✅"))
        .unwrap()
        .to_string();
    assert!(attending.contains(&name(300)), "{text}");

    // Decline with a reason (in English), then 300 changes their answer.
    let (_, replies) = h
        .press_data(
            &seeded(301),
            invitation(301).message_id,
            &format!("gd:{id}"),
        )
        .await;
    assert!(says(
        replies[0].text.as_deref(),
        Lang::En,
        "meeting-ask-reason"
    ));
    let reply = h.ask(&seeded(301), "   ").await;
    assert!(says(reply.text.as_deref(), Lang::En, "meeting-ask-reason"));
    let reply = h.ask(&seeded(301), "Away on a work trip").await;
    assert!(says(
        reply.text.as_deref(),
        Lang::En,
        "meeting-decline-recorded"
    ));
    let shown = h.current(&invitation(301));
    assert!(shown.text.unwrap().contains("Away on a work trip"));
    h.press_data(
        &seeded(300),
        invitation(300).message_id,
        &format!("gd:{id}"),
    )
    .await;
    h.ask(&seeded(300), "Ốm, phải nằm viện").await;
    h.press_data(
        &seeded(303),
        invitation(303).message_id,
        &format!("ga:{id}"),
    )
    .await;
    let text = h.current(&summary).text.unwrap();
    assert!(
        text.contains(&format!("{} — ", name(301))) && text.contains("Away on a work trip"),
        "{text}"
    );
    assert!(text.contains("Ốm, phải nằm viện"), "{text}");
    let attending = text
        .lines()
        .find(|l| l.starts_with("✅"))
        .unwrap()
        .to_string();
    assert!(
        attending.contains(&name(303)) && !attending.contains(&name(300)),
        "{text}"
    );
    let unanswered = text
        .lines()
        .find(|l| l.starts_with("⏳"))
        .unwrap()
        .to_string();
    assert!(unanswered.contains(&name(302)), "{text}");
    // Each "cannot attend" is recorded at the press, its reason after it.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_answer'")
            .await,
        6
    );

    // /meetings: the secretary's counts, a member's own answer.
    let list = h.ask(&secretary, "/meetings").await.text.unwrap();
    assert!(
        says(Some(&list), lang, "meeting-list-upcoming-line"),
        "{list}"
    );
    assert!(list.contains("25/11/2026 19:30"), "{list}");
    let mine = h.ask(&seeded(303), "/meetings").await.text.unwrap();
    assert!(
        says(Some(&mine), Lang::Vi, "meeting-list-mine-line"),
        "{mine}"
    );
    assert!(mine.contains("sẽ tham dự"), "{mine}");
    let mine = h.ask(&seeded(301), "/meetings").await.text.unwrap();
    assert!(mine.contains("Away on a work trip"), "{mine}");

    // Who may not press what.
    let (answer, _) = h
        .press_data(&seeded(303), summary.message_id, &format!("gp:{id}"))
        .await;
    assert!(says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"));
    let (answer, _) = h
        .press_data(&seeded(303), summary.message_id, &format!("gc:{id}"))
        .await;
    assert!(says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"));
    let outsider = vi_user(OTHER_MEMBER, "dv400");
    let (answer, _) = h.press_data(&outsider, 1, &format!("ga:{id}")).await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-not-invited"
    ));
    let (answer, _) = h.press_data(&outsider, 1, &format!("gd:{id}")).await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-not-invited"
    ));
    let other_deputy = vi_user(OTHER_DEPUTY, "Dũng");
    for data in ["gp", "gc", "gy"] {
        let (answer, _) = h
            .press_data(&other_deputy, 1, &format!("{data}:{id}"))
            .await;
        assert!(
            says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"),
            "{data}"
        );
    }
    let other_secretary = vi_user(OTHER_SECRETARY, "Cường");
    let (answer, _) = h.press_data(&other_secretary, 1, &format!("gy:{id}")).await;
    assert!(says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE status = 'scheduled'")
            .await,
        1
    );

    // The day before at 08:00: to those attending or silent, not the decliners.
    h.set_local(2026, 11, 24, 7, 59);
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 2);
    h.restart().await;
    assert_eq!(h.tick().await.meeting_reminders, 0, "never twice");
    h.drain().await;
    for member in MEMBERS {
        let got = said(&h, member, lang_of(&seeded(member)), "meeting-reminder").len();
        assert_eq!(got, usize::from(member == 302 || member == 303), "{member}");
    }
    // The exempt member's reminder says they are informed, not required.
    let exempt = said(&h, 302, Lang::Vi, "meeting-reminder");
    assert!(
        exempt[0]
            .text
            .as_deref()
            .unwrap()
            .contains(&tr(Lang::Vi, "meeting-invitation-exempt")),
        "{exempt:?}"
    );

    // Postpone: a wrong time refused, then everyone told, answers reset.
    let summary = h.current(&summary);
    let (_, replies) = h
        .press_data(&secretary, summary.message_id, &data_of(&summary, "gp:"))
        .await;
    assert!(says(
        replies[0].text.as_deref(),
        lang,
        "meeting-ask-new-start"
    ));
    let reply = h.ask(&secretary, "20/11/2026 09:00").await;
    assert!(says(reply.text.as_deref(), lang, "meeting-start-past"));
    assert!(says(reply.text.as_deref(), lang, "meeting-ask-new-start"));
    let reply = h.ask(&secretary, "27/11/2026 19:30").await;
    assert!(says(reply.text.as_deref(), lang, "meeting-postponed-done"));
    h.drain().await;
    for member in MEMBERS {
        let got = said(
            &h,
            member,
            lang_of(&seeded(member)),
            "meeting-notice-postponed",
        );
        assert_eq!(got.len(), 1, "{member}");
        assert!(got[0].text.as_deref().unwrap().contains("27/11/2026 19:30"));
        assert_eq!(got[0].buttons().len(), 2);
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NULL")
            .await,
        4
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 1 AND reminded_at IS NULL")
            .await,
        1
    );
    let text = h.current(&summary).text.unwrap();
    assert!(
        says(Some(&text), lang, "meeting-status-postponed"),
        "{text}"
    );
    assert!(text.contains("27/11/2026 19:30"), "{text}");
    // A press on a message from before the move (its buttons answer the
    // old time): refused, with the new time.
    let notice = said(&h, 303, Lang::Vi, "meeting-notice-postponed")[0].clone();
    let (answer, _) = h
        .press_data(&seeded(303), notice.message_id, &format!("ga:{id}"))
        .await;
    assert!(
        says(answer.str_param("text"), Lang::Vi, "meeting-answer-moved")
            && answer
                .str_param("text")
                .unwrap()
                .contains("27/11/2026 19:30"),
        "{answer:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NULL")
            .await,
        4,
        "nothing recorded"
    );
    // A fresh answer on the postponement notice.
    h.press_data(&seeded(303), notice.message_id, &data_of(&notice, "ga:"))
        .await;
    assert!(h.current(&summary).text.unwrap().contains(&name(303)));
    // Postponed again to the time it has (typed twice, or again after a
    // crash): nothing changes, nobody is told again, the answer stays.
    let before = h.api.sent(303).len();
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gp:"))
        .await;
    let reply = h.ask(&secretary, "27/11/2026 19:30").await;
    assert!(
        says(reply.text.as_deref(), lang, "meeting-postpone-same-time"),
        "{:?}",
        reply.text
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 1")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NOT NULL")
            .await,
        1
    );
    h.drain().await;
    assert_eq!(h.api.sent(303).len(), before);

    // Moved by another member of the committee while the secretary types
    // a time: not moved again over it; the new time shown, asked again.
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gp:"))
        .await;
    let elsewhere =
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 29, 1, 0, 0).unwrap();
    let moved = lienhe::store::meetings::postpone(
        &h.pool,
        id,
        secretary.id,
        (None, elsewhere),
        (h.app().now(), None),
        |_, _| Vec::new(),
    )
    .await
    .unwrap();
    assert_eq!(moved, lienhe::store::meetings::Changed::Done);
    let update = h.api.text(&secretary, "28/11/2026 19:30");
    h.quiet().await;
    let typed = h.api.pushed_update(update).unwrap()["message"]["message_id"]
        .as_i64()
        .unwrap();
    let reply = h.last(&secretary);
    let text = reply.text.as_deref();
    assert!(says(text, lang, "meeting-moved-since"), "{text:?}");
    assert!(says(text, lang, "meeting-ask-new-start"), "{text:?}");
    assert!(
        text.is_some_and(|t| t.contains("29/11/2026 08:00")),
        "{text:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 2")
            .await,
        1
    );
    // The date typed, edited: it was not taken, and the question stands
    // (not "a question that is over").
    let replies = h
        .send_update(&secretary, |api| {
            api.edit_text(&secretary, typed, "28/11/2026 20:00")
        })
        .await;
    let edited = replies[0].text.as_deref();
    assert!(
        says(edited, lang, "edited-not-read-in-dialogue"),
        "{lang:?}: {edited:?}"
    );
    let update = h.api.text(&secretary, "28/11/2026 19:30");
    h.quiet().await;
    let taken = h.api.pushed_update(update).unwrap()["message"]["message_id"]
        .as_i64()
        .unwrap();
    let reply = h.last(&secretary);
    assert!(says(reply.text.as_deref(), lang, "meeting-postponed-done"));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 3")
            .await,
        1
    );
    // That date, edited while the meeting is being moved again: it stands
    // as taken (not "send /cancel to change it").
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gp:"))
        .await;
    let replies = h
        .send_update(&secretary, |api| {
            api.edit_text(&secretary, taken, "28/11/2026 20:00")
        })
        .await;
    let edited = replies[0].text.as_deref();
    assert!(
        says(edited, lang, "edited-answer-over"),
        "{lang:?}: {edited:?}"
    );
    h.ask(&secretary, "/cancel").await;

    // Cancel: asked first; "No" keeps it; "Yes" tells everyone.
    let (_, replies) = h
        .press_data(&secretary, summary.message_id, &format!("gc:{id}"))
        .await;
    let confirm = replies.last().unwrap().clone();
    assert!(says(confirm.text.as_deref(), lang, "meeting-cancel-ask"));
    h.press_data(&secretary, confirm.message_id, &format!("gn:{id}"))
        .await;
    assert!(says(
        h.current(&confirm).text.as_deref(),
        lang,
        "meeting-cancel-kept"
    ));
    // Asked, then postponed (by the deputy, say) before "Yes": not
    // cancelled unseen; said with the new time.
    let (_, replies) = h
        .press_data(&secretary, summary.message_id, &format!("gc:{id}"))
        .await;
    let confirm = replies.last().unwrap().clone();
    let yes = data_of(&confirm, "gy:");
    let now = h.app().now();
    let moved = lienhe::store::meetings::postpone(
        &h.pool,
        id,
        secretary.id,
        (
            None,
            chrono::TimeZone::with_ymd_and_hms(&TZ, 2026, 11, 28, 20, 0, 0)
                .unwrap()
                .with_timezone(&chrono::Utc),
        ),
        (now, None),
        |_, _| Vec::new(),
    )
    .await
    .unwrap();
    assert_eq!(moved, lienhe::store::meetings::Changed::Done);
    let (answer, _) = h.press_data(&secretary, confirm.message_id, &yes).await;
    assert!(
        says(answer.str_param("text"), lang, "meeting-cancel-moved"),
        "{answer:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE status = 'scheduled'")
            .await,
        1
    );
    let (_, replies) = h
        .press_data(&secretary, summary.message_id, &format!("gc:{id}"))
        .await;
    let confirm = replies.last().unwrap().clone();
    let yes = data_of(&confirm, "gy:");
    assert_eq!(yes, format!("gy:{id}:4"));
    h.press_data(&secretary, confirm.message_id, &yes).await;
    assert!(says(
        h.current(&confirm).text.as_deref(),
        lang,
        "meeting-cancelled-done"
    ));
    h.drain().await;
    for member in MEMBERS {
        let got = said(
            &h,
            member,
            lang_of(&seeded(member)),
            "meeting-notice-cancelled",
        );
        assert_eq!(got.len(), 1, "{member}");
    }
    let shown = h.current(&summary);
    assert!(says(
        shown.text.as_deref(),
        lang,
        "meeting-status-cancelled"
    ));
    assert!(shown.buttons().is_empty(), "no more buttons");
    let (answer, _) = h
        .press_data(&seeded(303), notice.message_id, &format!("ga:{id}"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-answer-cancelled"
    ));
    let (answer, _) = h
        .press_data(&seeded(300), notice.message_id, &format!("gd:{id}"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-answer-cancelled"
    ));
    let (answer, _) = h
        .press_data(&secretary, summary.message_id, &format!("gp:{id}"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        lang,
        "meeting-already-cancelled"
    ));
    let list = h.ask(&secretary, "/meetings").await.text.unwrap();
    assert!(says(Some(&list), lang, "meeting-list-cancelled"), "{list}");
    for (action, times) in [
        ("meeting_call", 1),
        ("meeting_postpone", 4),
        ("meeting_cancel", 1),
    ] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?")
            .bind(action)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(n, times, "{action}");
    }
    assert_eq!(h.api.not_modified(), 0);
}

#[tokio::test]
async fn meetings_called_answered_reminded_postponed_and_cancelled_in_vietnamese() {
    full_flow(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn meetings_called_answered_reminded_postponed_and_cancelled_in_english() {
    full_flow(en_user(SECRETARY, "Binh")).await;
}

/// The secretary prepares a meeting for 07:00 tomorrow at 22:00 and
/// presses Send only the next morning, after 07:00: the time is asked
/// again, and the new time brings the summary back with the place and
/// agenda already given (not the place and agenda asked again).
async fn confirmed_after_its_time(secretary: TgUser) {
    let h = Harness::start().await;
    let lang = lang_of(&secretary);
    world(&h, &secretary).await;
    h.set_local(2026, 11, 20, 22, 0);
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "21/11/2026 07:00").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    h.set_local(2026, 11, 21, 8, 0);
    let (_, replies) = h
        .press_data(&secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    let asked = replies
        .last()
        .and_then(|r| r.text.clone())
        .unwrap_or_default();
    assert!(says(Some(&asked), lang, "meeting-start-past"), "{asked}");
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 0);
    let again = h.ask(&secretary, "22/11/2026 07:00").await;
    let text = again.text.clone().unwrap_or_default();
    assert!(says(Some(&text), lang, "meeting-summary-draft"), "{text}");
    assert!(
        text.contains("22/11/2026 07:00")
            && text.contains("Nhà văn hóa khối 5")
            && text.contains("Triển khai nhiệm vụ cuối năm"),
        "{text}"
    );
    h.press_data(&secretary, again.message_id, &data_of(&again, "gs"))
        .await;
    h.drain().await;
    let (place, agenda): (String, String) =
        sqlx::query_as("SELECT place, agenda FROM meetings WHERE status = 'scheduled'")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        (place.as_str(), agenda.as_str()),
        ("Nhà văn hóa khối 5", "Triển khai nhiệm vụ cuối năm")
    );
    let invited = said(&h, 300, Lang::Vi, "meeting-invitation");
    assert_eq!(invited.len(), 1, "{invited:#?}");
    assert!(
        invited[0]
            .text
            .as_deref()
            .unwrap_or_default()
            .contains("22/11/2026 07:00")
    );
}

#[tokio::test]
async fn a_summary_confirmed_after_its_time_keeps_place_and_agenda_in_vietnamese() {
    confirmed_after_its_time(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn a_summary_confirmed_after_its_time_keeps_place_and_agenda_in_english() {
    confirmed_after_its_time(en_user(SECRETARY, "Binh")).await;
}

/// "I cannot attend" counts from the press, before any reason is typed;
/// pressing "I will attend" instead ends the question for the reason, so
/// a later message is not taken for one.
async fn decline_then_change(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    // 301 reads English, 300 Vietnamese.
    let who = if lang == Lang::En { 301 } else { 300 };
    let member = seeded(who);
    let invitation = said(&h, who, lang, "meeting-invitation")[0].clone();

    let (answer, replies) = h
        .press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        lang,
        "meeting-answer-recorded"
    ));
    assert!(says(replies[0].text.as_deref(), lang, "meeting-ask-reason"));
    let shown = h.current(&invitation).text.unwrap();
    assert!(
        says(Some(&shown), lang, "meeting-your-answer-decline")
            && shown.contains(&tr(lang, "meeting-reason-missing")),
        "{shown}"
    );
    let text = h.current(&summary).text.unwrap();
    let missing = tr(Lang::Vi, "meeting-reason-missing");
    assert!(
        text.contains(&format!("{} — ", name(who))) && text.contains(&missing),
        "the secretary sees it at once: {text}"
    );

    // Changed their mind: the reason is no longer asked for.
    h.press_data(&member, invitation.message_id, &format!("ga:{id}"))
        .await;
    let reply = h.ask(&member, "Xin lỗi, nhầm nút").await;
    assert!(
        !says(reply.text.as_deref(), lang, "meeting-decline-recorded"),
        "{:?}",
        reply.text
    );
    let text = h.current(&summary).text.unwrap();
    let attending = text.lines().find(|l| l.starts_with("✅")).unwrap();
    assert!(attending.contains(&name(who)), "{text}");
    assert!(!text.contains(&missing), "{text}");
    let answer: (String, Option<String>) = sqlx::query_as(
        "SELECT i.answer, i.reason FROM meeting_invitations i
         JOIN memberships m ON m.id = i.membership_id WHERE m.user_id = ?",
    )
    .bind(who)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(answer, ("attend".to_string(), None));
    // A reason arriving for an answer that is no longer "cannot attend"
    // (a press racing the typed reason) changes nothing.
    let late = lienhe::store::meetings::answer(
        &h.pool,
        (id, None),
        who,
        lienhe::store::meetings::Said::Reason("late"),
        (h.app().now(), None),
    )
    .await
    .unwrap();
    assert_eq!(late, lienhe::store::meetings::Answered::NotDeclining);

    // Declining again, then the reason: recorded with it.
    h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    let reply = h.ask(&member, "Đi công tác").await;
    assert!(says(
        reply.text.as_deref(),
        lang,
        "meeting-decline-recorded"
    ));
    let text = h.current(&summary).text.unwrap();
    assert!(
        text.contains("Đi công tác") && !text.contains(&missing),
        "{text}"
    );
    // Pressing "cannot attend" once more keeps the reason given.
    h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    assert!(h.current(&summary).text.unwrap().contains("Đi công tác"));
}

/// A member in the middle of a report presses "I cannot attend": after the
/// reason (or "I will attend" instead) the report goes on where it was.
async fn decline_during_a_report(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, _) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let who = if lang == Lang::En { 301 } else { 300 };
    let member = seeded(who);
    let invitation = said(&h, who, lang, "meeting-invitation")[0].clone();

    // The report's kind chosen; the date is asked.
    let kinds = h.ask(&member, "/report").await;
    let kind = kinds.button_texts()[0].clone();
    h.press(&member, &kinds, &kind).await;
    let date = h.last(&member);
    assert!(says(date.text.as_deref(), lang, "ask-date"), "{date:?}");

    // "I cannot attend", the reason: the report is resumed.
    h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    let reply = h.ask(&member, "Trực cơ quan").await;
    let body = reply.text.clone().unwrap();
    assert!(
        says(Some(&body), lang, "meeting-decline-recorded")
            && body.ends_with(&tr(lang, "dialogue-resumed")),
        "{body}"
    );
    // "I cannot attend" again, then "I will attend" instead: resumed too.
    h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    h.press_data(&member, invitation.message_id, &format!("ga:{id}"))
        .await;
    // "I cannot attend" again, then /cancel: only the question for the
    // reason is cancelled, the report is resumed.
    h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    let cancelled = h.ask(&member, "/cancel").await.text.unwrap();
    assert!(
        cancelled.starts_with(&tr(lang, "cancelled"))
            && cancelled.ends_with(&tr(lang, "dialogue-resumed")),
        "{cancelled}"
    );
    // The date prompt still answers: the report goes on.
    let today = if lang == Lang::En {
        "Today"
    } else {
        "Hôm nay"
    };
    h.press(&member, &date, today).await;
    let asked = h.last(&member);
    assert!(
        says(asked.text.as_deref(), lang, "ask-description"),
        "{asked:?}"
    );
    let photos = h.ask(&member, "Dự họp tổ dân phố").await;
    assert!(
        says(photos.text.as_deref(), lang, "ask-photos"),
        "{photos:?}"
    );
}

/// A reason for not attending typed over several lines is stored on one
/// line: on the secretary's summary (in the secretary's language) it
/// cannot add lines that read as the summary's own (a forged "attending"
/// list), nor on the member's invitation.
async fn a_reason_over_several_lines(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let who = if lang == Lang::En { 301 } else { 300 };
    let liar = seeded(who);
    let invitation = said(&h, who, lang, "meeting-invitation")[0].clone();
    h.press_data(&liar, invitation.message_id, &format!("gd:{id}"))
        .await;
    let forged = match lang {
        Lang::Vi => {
            "Ốm\n✅ Tham dự (4): Đảng viên 300, Đảng viên 301\r\n⏳ Chưa trả lời (0): —\u{2028}🟡 x"
        }
        Lang::En => {
            "Ốm\n✅ Attending (4): Đảng viên 300, Đảng viên 301\r\n⏳ No answer yet (0): —\u{2028}🟡 x"
        }
    };
    let reply = h.ask(&liar, forged).await;
    assert!(
        says(reply.text.as_deref(), lang, "meeting-decline-recorded"),
        "{:?}",
        reply.text
    );
    let text = h.current(&summary).text.unwrap();
    let starting = |mark: char| text.lines().filter(|l| l.starts_with(mark)).count();
    assert_eq!(
        (starting('✅'), starting('⏳'), starting('🟡')),
        (1, 1, 1),
        "the member's reason added lines of its own to the summary:\n{text}"
    );
    let excused = text
        .lines()
        .find(|l| l.contains(&format!("{} — ", name(who))))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(excused.contains("Ốm ✅"), "{text}");
    let shown = h.current(&invitation).text.unwrap();
    assert!(
        shown.lines().any(|l| l.contains("Ốm ✅")) && !shown.lines().any(|l| l.starts_with('✅')),
        "{shown}"
    );
    let stored: String = sqlx::query_scalar(
        "SELECT reason FROM meeting_invitations WHERE meeting_id = ? AND user_id = ?",
    )
    .bind(id)
    .bind(who)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert!(
        stored.starts_with("Ốm ✅") && !stored.contains(['\n', '\r', '\u{2028}']),
        "{stored:?}"
    );
}

#[tokio::test]
async fn a_reason_over_several_lines_stays_on_one_line_of_the_summary() {
    a_reason_over_several_lines(Lang::Vi).await;
}

#[tokio::test]
async fn a_reason_over_several_lines_stays_on_one_line_in_english() {
    a_reason_over_several_lines(Lang::En).await;
}

#[tokio::test]
async fn a_report_interrupted_by_cannot_attend_goes_on_after_the_reason() {
    decline_during_a_report(Lang::Vi).await;
}

#[tokio::test]
async fn a_report_interrupted_by_cannot_attend_goes_on_in_english() {
    decline_during_a_report(Lang::En).await;
}

#[tokio::test]
async fn cannot_attend_counts_at_the_press_and_attending_instead_drops_the_reason() {
    decline_then_change(Lang::Vi).await;
}

#[tokio::test]
async fn cannot_attend_counts_at_the_press_in_english() {
    decline_then_change(Lang::En).await;
}

/// A member approved just before the day-before hour is invited, then
/// reminded with the others in the same look of the scheduler.
#[tokio::test]
async fn a_member_approved_just_before_the_reminder_is_invited_and_reminded() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.set_local(2026, 11, 24, 7, 59);
    assert_eq!(h.tick().await.meeting_reminders, 0);
    let newcomer = vi_user(320, "Hà");
    h.join_approved(&secretary, &newcomer, "Lê Thị Hà").await;
    h.set_local(2026, 11, 24, 8, 0);
    let tick = h.tick().await;
    assert_eq!((tick.late_invitations, tick.meeting_reminders), (1, 5));
    h.drain().await;
    assert_eq!(said(&h, 320, Lang::Vi, "meeting-invitation").len(), 1);
    assert_eq!(said(&h, 320, Lang::Vi, "meeting-reminder").len(), 1);
}

#[tokio::test]
async fn answers_close_at_the_start_and_a_late_call_is_reminded_at_once() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    // Called at 10:00 for tomorrow 19:00: past the day-before hour already.
    let (id, summary) = call_meeting(&h, &secretary, "21/11/2026 19:00").await;
    assert_eq!(h.tick().await.meeting_reminders, 4);
    assert_eq!(h.tick().await.meeting_reminders, 0);
    let invitation = said(&h, 303, Lang::Vi, "meeting-invitation")[0].clone();
    h.press_data(&seeded(303), invitation.message_id, &format!("ga:{id}"))
        .await;
    h.set_local(2026, 11, 21, 19, 0);
    let (answer, _) = h
        .press_data(&seeded(303), invitation.message_id, &format!("gd:{id}"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-answer-closed"
    ));
    let (answer, _) = h
        .press_data(&seeded(300), invitation.message_id, &format!("ga:{id}"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-answer-closed"
    ));
    let (answer, _) = h
        .press_data(&secretary, summary.message_id, &format!("gc:{id}"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "meeting-already-started"
    ));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NOT NULL")
            .await,
        1
    );
    // Begun, its register not closed: listed under past meetings, not as
    // held (the sheet does not count it until the register is closed).
    let list = h.ask(&secretary, "/meetings").await.text.unwrap();
    assert!(
        says(Some(&list), Lang::Vi, "meeting-list-open-line"),
        "{list}"
    );
    // A member with no invitation this year, and someone with no cell.
    let empty = h.ask(&vi_user(OTHER_MEMBER, "dv400"), "/meetings").await;
    assert!(says(
        empty.text.as_deref(),
        Lang::Vi,
        "meeting-list-empty-member"
    ));
    let empty = h.ask(&vi_user(OTHER_SECRETARY, "Cường"), "/meetings").await;
    assert!(says(
        empty.text.as_deref(),
        Lang::Vi,
        "meeting-list-empty-committee"
    ));
    // Plain members cannot call one.
    let reply = h.ask(&seeded(303), "/meeting").await;
    assert!(says(
        reply.text.as_deref(),
        Lang::Vi,
        "meeting-committee-only"
    ));
    // The help names the new commands.
    let help = h.ask(&secretary, "/help").await.text.unwrap();
    assert!(
        help.contains("/meeting —") && help.contains("/meetings —"),
        "{help}"
    );
}

#[tokio::test]
async fn twenty_members_answering_at_once_are_all_recorded() {
    const N: i64 = 20;
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 500, N).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let presses = (500..500 + N).map(|member| {
        let h = &h;
        async move {
            let user = vi_user(member, &format!("dv{member}"));
            let invitation = said(h, member, Lang::Vi, "meeting-invitation")[0].clone();
            let data = if member % 4 == 0 {
                format!("gd:{id}")
            } else {
                format!("ga:{id}")
            };
            let update = h.api.callback(&user, invitation.message_id, &data);
            h.handled(update).await;
            if member % 4 == 0 {
                let update = h.api.text(&user, &format!("Lý do {member}"));
                h.handled(update).await;
            }
        }
    });
    join_all(presses).await;
    h.quiet().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'attend'")
            .await,
        15
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'decline' AND reason LIKE 'Lý do %'")
            .await,
        5
    );
    let text = h.current(&summary).text.unwrap();
    assert!(text.contains("Tham dự (15)"), "{text}");
    assert!(text.contains("Vắng có lý do (5)"), "{text}");
    assert!(text.contains("Chưa trả lời (0)"), "{text}");
    for member in (500..500 + N).filter(|m| m % 4 == 0) {
        assert!(text.contains(&format!("Lý do {member}")), "{text}");
    }
    assert_eq!(h.api.not_modified(), 0);
}

#[tokio::test]
async fn a_deputy_calls_a_meeting_and_who_serves_two_cells_chooses_one() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;

    // The deputy of the other cell calls one for that cell.
    let deputy = vi_user(OTHER_DEPUTY, "Dũng");
    let (id, summary) = call_meeting(&h, &deputy, "26/11/2026 08:00").await;
    let cell: String = sqlx::query_scalar(
        "SELECT c.name FROM meetings mt JOIN cells c ON c.id = mt.cell_id WHERE mt.id = ?",
    )
    .bind(id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(cell, "Chi bộ khối 7");
    assert_eq!(
        said(&h, OTHER_MEMBER, Lang::Vi, "meeting-invitation").len(),
        1
    );
    for member in MEMBERS {
        assert!(said(&h, member, lang_of(&seeded(member)), "meeting-invitation").is_empty());
    }
    // The secretary of the other cell may postpone it; ours may not.
    let (answer, _) = h
        .press_data(&secretary, summary.message_id, &format!("gp:{id}"))
        .await;
    assert!(says(Some(&alert_text(&answer)), Lang::Vi, "not-allowed"));
    let (_, replies) = h
        .press_data(
            &vi_user(OTHER_SECRETARY, "Cường"),
            summary.message_id,
            &format!("gp:{id}"),
        )
        .await;
    assert!(says(
        replies[0].text.as_deref(),
        Lang::Vi,
        "meeting-ask-new-start"
    ));

    // Our secretary becomes deputy of the other cell too: /meeting asks which cell.
    crate::committee::make_deputy(
        &h,
        &vi_user(OTHER_SECRETARY, "Cường"),
        &secretary,
        "Trần Thị Bình",
    )
    .await;
    let choice = h.ask(&secretary, "/meeting").await;
    assert!(
        says(choice.text.as_deref(), Lang::Vi, "meeting-ask-cell"),
        "{:?}",
        choice.text
    );
    let reply = h.say(&secretary, "khối 7").await;
    assert!(says(
        reply[0].text.as_deref(),
        Lang::Vi,
        "meeting-expect-button"
    ));
    let choice = h.last(&secretary);
    let data = choice.button_data("Chi bộ khối 7").expect("the other cell");
    h.press_data(&secretary, choice.message_id, &data).await;
    let kinds = h.last(&secretary);
    assert!(says(kinds.text.as_deref(), Lang::Vi, "meeting-ask-kind"));
    assert!(kinds.text.unwrap().contains("Chi bộ khối 7"));
    // A forged cell is refused.
    let (answer, _) = h.press_data(&secretary, choice.message_id, "gl:999").await;
    assert!(!alert_text(&answer).is_empty());
}

/// A meeting called by a deputy who is then removed: the secretary brings
/// its summary (with Postpone and Cancel) from /meetings, in their own
/// language; the members' answers update that copy, and no longer the
/// removed deputy's.
#[tokio::test]
async fn the_committee_brings_a_meeting_summary_from_the_list() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        world(&h, &vi_user(SECRETARY, "Bình")).await;
        let deputy = vi_user(OTHER_DEPUTY, "Dũng");
        let (id, deputys) = call_meeting(&h, &deputy, "26/11/2026 08:00").await;
        let other_secretary = user_in(lang, OTHER_SECRETARY, "Cường");
        h.api.introduce(&other_secretary);
        sqlx::query("UPDATE users SET language = ? WHERE id = ?")
            .bind(lang.code())
            .bind(OTHER_SECRETARY)
            .execute(&h.pool)
            .await
            .unwrap();
        let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM meetings WHERE id = ?")
            .bind(id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        h.admin(lienhe::cli::Admin::Role {
            command: lienhe::cli::RoleCommand::Revoke {
                user: OTHER_DEPUTY,
                role: lienhe::cli::RoleName::Deputy,
                workplace: None,
                ward: None,
                cell: Some(cell),
            },
        })
        .await;

        // A member answers: the removed deputy's copy is left as it was.
        let invitation = said(&h, OTHER_MEMBER, Lang::Vi, "meeting-invitation")[0].clone();
        h.press_data(
            &seeded(OTHER_MEMBER),
            invitation.message_id,
            &format!("ga:{id}"),
        )
        .await;
        assert_eq!(
            h.current(&deputys).text,
            deputys.text,
            "the removed deputy's copy is left as it was"
        );

        let list = h.ask(&other_secretary, "/meetings").await;
        let label = label_of(&list, &format!("gv:{id}")).expect("the summary's button");
        assert!(label.contains("26/11/2026 08:00"), "{label}");
        let (_, replies) = h.press(&other_secretary, &list, &label).await;
        let summary = replies.last().cloned().expect("the summary");
        assert!(
            says(summary.text.as_deref(), lang, "meeting-summary-head"),
            "{:?}",
            summary.text
        );
        for data in [format!("gp:{id}"), format!("gc:{id}")] {
            assert!(label_of(&summary, &data).is_some(), "{summary:?}");
        }
        assert!(
            h.current(&deputys).buttons().is_empty(),
            "the older copy's buttons are taken off"
        );
        let text = summary.text.clone().unwrap();
        let attending = text.lines().find(|l| l.starts_with("✅")).unwrap();
        assert!(attending.contains(&name(OTHER_MEMBER)), "{text}");
        // The next answer updates the secretary's copy.
        h.press_data(
            &seeded(OTHER_MEMBER),
            invitation.message_id,
            &format!("gd:{id}"),
        )
        .await;
        let text = h.current(&summary).text.unwrap();
        let attending = text.lines().find(|l| l.starts_with("✅")).unwrap();
        assert!(!attending.contains(&name(OTHER_MEMBER)), "{text}");

        // Nobody else brings it: a member, or a forged id.
        let (answer, _) = h
            .press_data(&seeded(OTHER_MEMBER), list.message_id, &format!("gv:{id}"))
            .await;
        assert!(!alert_text(&answer).is_empty());
        let (answer, _) = h
            .press_data(&other_secretary, list.message_id, "gv:999")
            .await;
        assert!(says(Some(&alert_text(&answer)), lang, "not-allowed"));
    }
}

/// The summary counts QR check-ins as they come and opens the register;
/// once the register is closed the meeting can no longer be postponed or
/// cancelled, and the summary drops those buttons.
#[tokio::test]
async fn check_ins_reach_the_summary_and_a_closed_register_ends_postponing() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let start: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT starts_at FROM meetings WHERE id = ?")
            .bind(id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    h.clock.set(start - chrono::Duration::minutes(30));
    let photo = h.ask(&secretary, "/checkin").await;
    let link = crate::attendance::decode_qr(photo.document_bytes.as_deref().expect("a PNG"));
    let code = link.rsplit("start=").next().unwrap().to_string();
    let done = h.ask(&seeded(300), &format!("/start {code}")).await;
    assert!(says(done.text.as_deref(), Lang::Vi, "checkin-done"));
    let text = h.current(&summary).text.unwrap();
    assert!(
        text.contains(&format!("Đã điểm danh bằng mã QR (1): {}", name(300))),
        "{text}"
    );

    // The register from the summary's button, closed with 300 present.
    let shown = h.current(&summary);
    h.press_data(&secretary, summary.message_id, &data_of(&shown, "to:"))
        .await;
    let register = h.last(&secretary);
    h.press_data(&secretary, register.message_id, &data_of(&register, "tc:"))
        .await;
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM reports WHERE meeting_id IS NOT NULL AND recorded_by_cell = 1"
        )
        .await,
        1
    );
    let shown = h.current(&summary);
    assert!(
        shown
            .text
            .as_deref()
            .unwrap_or("")
            .contains("Đã điểm danh bằng mã QR"),
        "the summary stays the summary: {:?}",
        shown.text
    );
    assert!(
        !shown
            .buttons()
            .iter()
            .any(|(_, d)| d.starts_with("gp:") || d.starts_with("gc:")),
        "{:?}",
        shown.buttons()
    );
    // A stale Postpone or Cancel is refused: the meeting took place (its
    // register closed; it has not started yet).
    for data in [format!("gp:{id}"), format!("gc:{id}")] {
        let (answer, _) = h.press_data(&secretary, summary.message_id, &data).await;
        assert!(
            says(Some(&alert_text(&answer)), Lang::Vi, "meeting-already-held"),
            "{answer:?}"
        );
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE status = 'scheduled' AND postponed = 0")
            .await,
        1
    );
    // Past the week of corrections, the summary's Register says so and the
    // summary stays the summary (it was replaced by the register for good).
    h.clock.advance(chrono::Duration::days(8));
    let before = h.current(&summary);
    let (answer, _) = h
        .press_data(&secretary, summary.message_id, &data_of(&before, "to:"))
        .await;
    assert!(says(
        Some(&alert_text(&answer)),
        Lang::Vi,
        "attendance-too-late"
    ));
    assert_eq!(h.current(&summary).text, before.text);
}

/// A member approved into the cell after the meeting was called is invited
/// too (once, whatever the number of looks of the scheduler), can answer,
/// and is counted in the summary.
#[tokio::test]
async fn a_member_approved_after_the_call_is_invited_too() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let pending: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = ?")
        .bind(PENDING)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let data = format!("ja:{pending}");
    h.ask(&secretary, "/pending").await;
    let card = crate::committee::card_with(&h, &secretary, &data);
    h.press_data(&secretary, card.message_id, &data).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE told = 0")
            .await,
        1
    );
    h.tick().await;
    h.tick().await;
    h.drain().await;
    let newcomer = vi_user(PENDING, "dv310");
    let invitations = said(&h, PENDING, Lang::Vi, "meeting-invitation");
    assert_eq!(invitations.len(), 1, "invited once");
    h.press_data(&newcomer, invitations[0].message_id, &format!("ga:{id}"))
        .await;
    let text = h.current(&summary).text.unwrap();
    assert!(text.contains("mời 5 đảng viên"), "{text}");
    assert!(text.contains(&name(PENDING)), "{text}");
}

/// Nobody has said they cannot attend: the summary's excused list reads
/// "—", as its other empty lists do, in both languages, not a heading
/// ending in a colon with nothing after it; once someone declines it lists
/// them with their reason.
#[tokio::test]
async fn an_empty_excused_list_reads_as_the_other_empty_lists() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, SECRETARY, "Bình");
        world(&h, &secretary).await;
        let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
        let line = |text: &str| {
            text.lines()
                .find(|l| l.starts_with("🟡"))
                .map(str::to_string)
                .unwrap_or_default()
        };
        let text = h.current(&summary).text.unwrap();
        assert!(line(&text).ends_with(": —"), "{text}");
        let member = seeded(300);
        let invitation = said(&h, 300, Lang::Vi, "meeting-invitation")[0].clone();
        h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
            .await;
        h.ask(&member, "Đi công tác").await;
        let text = h.current(&summary).text.unwrap();
        assert!(line(&text).ends_with(':'), "{text}");
        assert!(text.contains("Đi công tác"), "{text}");
    }
}

/// On 20 December the periodic meeting is called for 5 January: /meetings
/// lists it as upcoming for the committee and the invited member, before
/// the year turns (it used to list this year's meetings only, and said
/// there were none).
#[tokio::test]
async fn a_meeting_called_in_december_for_january_is_listed_as_upcoming() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 12, 20, 10, 0);
        let secretary = user_in(lang, 100, "Bình");
        world(&h, &secretary).await;
        call_meeting(&h, &secretary, "05/01/2027 19:30").await;

        let list = h.ask(&secretary, "/meetings").await.text.unwrap();
        assert!(
            says(Some(&list), lang, "meeting-list-upcoming-line"),
            "{list}"
        );
        assert!(list.contains("05/01/2027 19:30"), "{list}");
        let mine = h.ask(&seeded(303), "/meetings").await.text.unwrap();
        assert!(
            says(Some(&mine), Lang::Vi, "meeting-list-mine-line"),
            "{mine}"
        );
        assert!(mine.contains("05/01/2027 19:30"), "{mine}");
    }
}

/// On 20 December, with a meeting called for 5 January, /meetings headed
/// the list "Meetings of … in 2026" and "Your meeting invitations in 2026"
/// above the January meeting: the heading now says the list goes on to the
/// meetings still to come; without one in January it names the year alone.
#[tokio::test]
async fn the_heading_over_a_meeting_of_next_january_does_not_name_this_year_alone() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 12, 20, 10, 0);
        let secretary = user_in(lang, 100, "Bình");
        world(&h, &secretary).await;
        let first = |text: String| text.lines().next().unwrap_or_default().to_string();
        call_meeting(&h, &secretary, "28/12/2026 19:30").await;
        let head = first(h.ask(&secretary, "/meetings").await.text.unwrap());
        assert!(
            says(Some(&head), lang, "meeting-list-committee-head"),
            "{head}"
        );
        assert!(!says(
            Some(&head),
            lang,
            "meeting-list-committee-head-ahead"
        ));

        call_meeting(&h, &secretary, "05/01/2027 19:30").await;
        let head = first(h.ask(&secretary, "/meetings").await.text.unwrap());
        assert!(
            says(Some(&head), lang, "meeting-list-committee-head-ahead"),
            "{head}"
        );
        let mine = first(h.ask(&seeded(303), "/meetings").await.text.unwrap());
        assert!(
            says(Some(&mine), Lang::Vi, "meeting-list-mine-head-ahead"),
            "{mine}"
        );
    }
}

/// A meeting begun whose register was never closed was listed by
/// /meetings as "held; … 0 present in the register", while the comment
/// sheet, /status and /stats do not count it as held: it is now listed as
/// begun with its register not closed, and as held once it is.
#[tokio::test]
async fn a_meeting_begun_with_its_register_open_is_not_listed_as_held() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, SECRETARY, "Bình");
        world(&h, &secretary).await;
        let (id, _) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
        h.set_local(2026, 11, 26, 10, 0);
        let list = h.ask(&secretary, "/meetings").await.text.unwrap();
        assert!(says(Some(&list), lang, "meeting-list-open-line"), "{list}");
        assert!(!says(Some(&list), lang, "meeting-list-past-line"), "{list}");

        let register = h.ask(&secretary, "/attendance").await;
        h.press_data(&secretary, register.message_id, &format!("tc:{id}"))
            .await;
        let list = h.ask(&secretary, "/meetings").await.text.unwrap();
        assert!(says(Some(&list), lang, "meeting-list-past-line"), "{list}");
        assert!(!says(Some(&list), lang, "meeting-list-open-line"), "{list}");
    }
}

/// In January, while last year's comment sheets are written (and count
/// last year's meetings), /meetings still lists December's meeting after
/// this year's, for the committee and the member; once last year's window
/// has closed (April), only this year's. It listed this year's alone from
/// 1 January: "no meetings in 2027".
#[tokio::test]
async fn last_years_meetings_are_listed_while_its_sheets_are_written() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 12, 10, 10, 0);
        let secretary = user_in(lang, 100, "Bình");
        world(&h, &secretary).await;
        call_meeting(&h, &secretary, "20/12/2026 19:30").await;

        h.set_local(2027, 1, 5, 10, 0);
        let all = |sent: Vec<Sent>| -> String {
            sent.into_iter()
                .filter_map(|s| s.text)
                .collect::<Vec<_>>()
                .join("\n---\n")
        };
        let committee = all(h.say(&secretary, "/meetings").await);
        assert!(committee.contains("20/12/2026 19:30"), "{committee}");
        assert!(
            says(Some(&committee), lang, "meeting-list-empty-committee"),
            "this year has none yet: {committee}"
        );
        let mine = all(h.say(&seeded(303), "/meetings").await);
        assert!(mine.contains("20/12/2026 19:30"), "{mine}");
        assert!(
            says(Some(&mine), Lang::Vi, "meeting-list-empty-member"),
            "this year has none yet: {mine}"
        );

        h.set_local(2027, 4, 5, 10, 0);
        let committee = all(h.say(&secretary, "/meetings").await);
        assert!(!committee.contains("20/12/2026"), "{committee}");
        let mine = all(h.say(&seeded(303), "/meetings").await);
        assert!(!mine.contains("20/12/2026"), "{mine}");
        assert!(
            says(Some(&mine), Lang::Vi, "meeting-list-empty-member"),
            "{mine}"
        );
    }
}

/// A member exempted (on the command line) after the meeting was called is
/// exempt in its invitation too: the reminder says attendance is not
/// required.
#[tokio::test]
async fn a_member_exempted_after_the_call_is_reminded_as_exempt() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    world(&h, &secretary).await;
    call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let membership = h.membership_of(303).await;
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    assert_eq!(
        lienhe::store::memberships::set_exempt(
            &h.pool,
            membership,
            Some("full-time-study"),
            None,
            now
        )
        .await
        .unwrap(),
        lienhe::store::memberships::Exempted::Done
    );
    assert_eq!(
        h.count("SELECT exempt FROM meeting_invitations WHERE user_id = 303")
            .await,
        1
    );
    h.set_local(2026, 11, 24, 8, 0);
    h.tick().await;
    h.drain().await;
    let reminder = said(&h, 303, Lang::Vi, "meeting-reminder");
    assert!(
        reminder[0]
            .text
            .as_deref()
            .unwrap()
            .contains(&tr(Lang::Vi, "meeting-invitation-exempt")),
        "{reminder:?}"
    );
}

/// The bot was down the whole day before: the reminder that goes out on the
/// meeting's own day says "today", not "tomorrow", in both languages.
#[tokio::test]
async fn a_reminder_sent_on_the_meeting_day_says_today() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    world(&h, &secretary).await;
    call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.set_local(2026, 11, 25, 6, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.drain().await;
    for (member, lang) in [(300, Lang::Vi), (301, Lang::En)] {
        assert_eq!(said(&h, member, lang, "meeting-reminder-today").len(), 1);
        assert!(said(&h, member, lang, "meeting-reminder").is_empty());
    }
}

/// Reminders queued while Telegram could not be reached (the sender
/// stopped here) are not sent once they no longer hold: after the meeting
/// was cancelled meanwhile (only the cancellation goes). Still on, once the
/// day of the meeting has begun, they say "today" ("tomorrow" would be
/// wrong), in each member's language.
#[tokio::test]
async fn queued_reminders_that_no_longer_hold_are_not_sent() {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (first, _) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.stop_sender().await;
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    let when = h.app().now();
    lienhe::store::meetings::cancel(&h.pool, (first, 0), SECRETARY, when, |_, _| Vec::new())
        .await
        .unwrap();
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert!(said(&h, 300, Lang::Vi, "meeting-reminder").is_empty());
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM outbox WHERE payload LIKE '%\"holds\"%' AND status = 'queued'"
        )
        .await,
        0
    );

    let (_, _) = call_meeting(&h, &secretary, "27/11/2026 19:30").await;
    h.stop_sender().await;
    h.set_local(2026, 11, 26, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.set_local(2026, 11, 27, 0, 0);
    h.start_sender(default_sender()).await;
    h.drain().await;
    for (member, lang) in [(300, Lang::Vi), (301, Lang::En)] {
        assert!(said(&h, member, lang, "meeting-reminder").is_empty());
        assert_eq!(said(&h, member, lang, "meeting-reminder-today").len(), 1);
    }
}

/// While a message waits: member 302's exemption is lifted, 303 is
/// exempted (full-time study).
async fn swap_exemptions(h: &Harness) {
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    for (member, reason) in [(302, None), (303, Some("full-time-study"))] {
        let membership = h.membership_of(member).await;
        assert_eq!(
            lienhe::store::memberships::set_exempt(&h.pool, membership, reason, None, now)
                .await
                .unwrap(),
            lienhe::store::memberships::Exempted::Done
        );
    }
}

/// A reminder queued while Telegram could not be reached is not sent to a
/// member who left the cell meanwhile (they are no longer invited); the
/// others get theirs.
#[tokio::test]
async fn a_queued_reminder_is_not_sent_to_a_member_who_left_meanwhile() {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let cell = world(&h, &secretary).await;
    call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.stop_sender().await;
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.end_quietly(300, cell, SECRETARY).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert!(said(&h, 300, Lang::Vi, "meeting-reminder").is_empty());
    assert_eq!(said(&h, 303, Lang::Vi, "meeting-reminder").len(), 1);
    assert_eq!(said(&h, 301, Lang::En, "meeting-reminder").len(), 1);
}

/// A reminder queued while Telegram could not be reached is not sent to a
/// member who said meanwhile that they cannot attend (the reminder goes to
/// those who will attend or have not answered); one who changed their
/// answer back to attending still gets theirs.
#[tokio::test]
async fn a_queued_reminder_is_not_sent_to_a_member_who_declined_meanwhile() {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, _) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.stop_sender().await;
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    for (member, reason) in [(seeded(300), "Đi công tác"), (seeded(301), "Away")] {
        h.api.introduce(&member);
        let invitation = h.last(&member);
        h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
            .await;
        let reply = h.ask(&member, reason).await;
        assert!(says(
            reply.text.as_deref(),
            lang_of(&member),
            "meeting-decline-recorded"
        ));
    }
    // 301 thinks again: attending after all.
    let invitation = said(&h, 301, Lang::En, "meeting-invitation").remove(0);
    h.press_data(&seeded(301), invitation.message_id, &format!("ga:{id}"))
        .await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert!(said(&h, 300, Lang::Vi, "meeting-reminder").is_empty());
    assert_eq!(said(&h, 301, Lang::En, "meeting-reminder").len(), 1);
    assert_eq!(said(&h, 303, Lang::Vi, "meeting-reminder").len(), 1);
}

/// A reminder queued while Telegram could not be reached says whether
/// attendance is required: it is not sent to a member whose exemption was
/// lifted meanwhile (it would say "not required" of a meeting they must
/// now attend), nor with "required" to one exempted meanwhile; the others
/// get theirs.
#[tokio::test]
async fn a_queued_reminder_is_not_sent_once_the_members_exemption_changed() {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.stop_sender().await;
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    swap_exemptions(&h).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    for member in [302, 303] {
        let reminders = said(&h, member, Lang::Vi, "meeting-reminder");
        assert!(reminders.is_empty(), "{member}: {reminders:?}");
    }
    assert_eq!(said(&h, 300, Lang::Vi, "meeting-reminder").len(), 1);
    assert_eq!(said(&h, 301, Lang::En, "meeting-reminder").len(), 1);
}

/// A meeting's new time queued while its notices could not go out (the
/// outbox held back): it said "attendance is not required" as the member's
/// exemption was when it was queued, so a member whose exemption was
/// lifted meanwhile read they need not come, and one exempted meanwhile
/// did not. The line is now decided as it goes out, in the reader's
/// language; the others' notices are as before.
async fn a_new_time_says_whether_attendance_is_required_as_it_goes_out(lang: Lang) {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    sqlx::query("UPDATE users SET language = ? WHERE id IN (302, 303)")
        .bind(lang.code())
        .execute(&h.pool)
        .await
        .unwrap();
    let (_, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gp:"))
        .await;
    h.stop_sender().await;
    let update = h.api.text(&secretary, "27/11/2026 19:30");
    h.handled(update).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 1")
            .await,
        1
    );
    // 302 was exempt when the new time was queued, 303 was not.
    swap_exemptions(&h).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    for (member, member_lang, exempt) in [
        (300, Lang::Vi, false),
        (301, Lang::En, false),
        (302, lang, false),
        (303, lang, true),
    ] {
        let told = said(&h, member, member_lang, "meeting-notice-postponed");
        assert_eq!(told.len(), 1, "{member}: {told:?}");
        let text = told[0].text.as_deref().unwrap();
        assert!(text.contains("27/11/2026 19:30"), "{text}");
        assert_eq!(
            text.contains(&tr(member_lang, "meeting-invitation-exempt")),
            exempt,
            "{member}: {text}"
        );
        assert_eq!(told[0].buttons().len(), 2, "{member}");
    }
}

#[tokio::test]
async fn a_new_time_says_whether_attendance_is_required_as_it_goes_out_vi() {
    a_new_time_says_whether_attendance_is_required_as_it_goes_out(Lang::Vi).await;
}

#[tokio::test]
async fn a_new_time_says_whether_attendance_is_required_as_it_goes_out_en() {
    a_new_time_says_whether_attendance_is_required_as_it_goes_out(Lang::En).await;
}

/// A member presses "cannot attend" and, before typing the reason, the
/// meeting is moved (the answers reset): the reason is not recorded, and
/// the member is told the meeting was moved and to answer again for the
/// new time (not that they changed their answer), in their language.
#[tokio::test]
async fn a_reason_typed_after_the_meeting_was_moved_says_it_was_moved() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    for member in [seeded(300), seeded(301)] {
        h.api.introduce(&member);
        let invitation = h.last(&member);
        h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
            .await;
    }
    h.press_data(&secretary, summary.message_id, &format!("gp:{id}"))
        .await;
    h.ask(&secretary, "26/11/2026 19:30").await;
    h.drain().await;
    for (member, reason) in [(seeded(300), "Đi công tác"), (seeded(301), "Away")] {
        let lang = lang_of(&member);
        let reply = h.ask(&member, reason).await;
        assert!(
            says(reply.text.as_deref(), lang, "meeting-answer-moved"),
            "{:?}",
            reply.text
        );
        assert!(reply.text.unwrap().contains("26/11/2026 19:30"));
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NOT NULL OR reason IS NOT NULL")
            .await,
        0
    );
}

/// A member who had blocked the bot when the invitation (and the reminder)
/// went out unblocks it: `/meetings` lists the meeting with a button that
/// brings the invitation again, with its answer buttons, so they can still
/// say they cannot attend and why; in their language. Not for a meeting
/// cancelled or started.
#[tokio::test]
async fn a_member_who_blocked_the_bot_can_still_answer_from_the_list() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let members = [seeded(300), seeded(301)];
    for member in &members {
        h.api.introduce(member);
        h.send_update(member, |api| api.block(member, true)).await;
    }
    let (id, _) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.set_local(2026, 11, 24, 8, 0);
    h.tick().await;
    h.drain().await;
    for member in &members {
        assert!(said(&h, member.id, lang_of(member), "meeting-reminder").is_empty());
    }
    for (member, reason) in [(&members[0], "Đi công tác"), (&members[1], "Away")] {
        let lang = lang_of(member);
        h.send_update(member, |api| api.block(member, false)).await;
        let list = h.ask(member, "/meetings").await;
        let data = format!("gi:{id}");
        let label = label_of(&list, &data).expect("a button to answer");
        assert!(label.contains("25/11/2026 19:30"), "{label}");
        let (_, sent) = h.press_data(member, list.message_id, &data).await;
        let invitation = sent.last().expect("the invitation again").clone();
        assert!(
            invitation
                .text
                .as_deref()
                .unwrap()
                .contains("25/11/2026 19:30"),
            "{invitation:?}"
        );
        h.press_data(member, invitation.message_id, &format!("gd:{id}"))
            .await;
        let reply = h.ask(member, reason).await;
        assert!(
            says(reply.text.as_deref(), lang, "meeting-decline-recorded"),
            "{:?}",
            reply.text
        );
    }
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM meeting_invitations
             WHERE answer = 'decline' AND reason IN ('Đi công tác', 'Away')"
        )
        .await,
        2
    );
    // Cancelled: no button, and an old one is refused.
    let list = h.ask(&members[0], "/meetings").await;
    let when = h.app().now();
    lienhe::store::meetings::cancel(&h.pool, (id, 0), SECRETARY, when, |_, _| Vec::new())
        .await
        .unwrap();
    let (answer, _) = h
        .press_data(&members[0], list.message_id, &format!("gi:{id}"))
        .await;
    assert!(
        says(
            answer.str_param("text"),
            Lang::Vi,
            "meeting-answer-cancelled"
        ),
        "{:?}",
        answer.params
    );
    let list = h.ask(&members[0], "/meetings").await;
    assert!(label_of(&list, &format!("gi:{id}")).is_none());
}

/// The answer a process killed right after it left behind: the reason (or
/// the new time) was committed and the dialogue, written apart after it,
/// was not, so the question stayed open and the next text was taken for
/// its answer (the reason "Đi công tác" replaced by "Cảm ơn đồng chí"; a
/// time typed again postponed it again). The dialogue after it is now
/// written in the transaction of the answer: what the handler commits is
/// done here by hand (with the dialogue it hands in), then the process
/// starts again.
#[tokio::test]
async fn an_answer_committed_just_before_a_kill_ends_its_question() {
    use lienhe::store::{
        dialogues::Next,
        meetings::{self, Answered, Changed, Said},
    };
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let member = seeded(300);
    let invitation = said(&h, 300, Lang::Vi, "meeting-invitation")[0].clone();
    h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gp:"))
        .await;

    // The member's reason, and the secretary's new time, committed with
    // the dialogue each ends; then the process dies before any reply.
    let ended = |chat| Next {
        chat_id: chat,
        state: None,
    };
    let now = h.app().now();
    let reason = meetings::answer(
        &h.pool,
        (id, None),
        300,
        Said::Reason("Đi công tác"),
        (now, Some(&ended(300))),
    )
    .await
    .unwrap();
    assert!(matches!(reason, Answered::Recorded { changed: true, .. }));
    h.restart().await;

    let reply = h.ask(&member, "Cảm ơn đồng chí").await;
    assert!(
        !says(reply.text.as_deref(), Lang::Vi, "meeting-decline-recorded")
            && !says(
                reply.text.as_deref(),
                Lang::Vi,
                "meeting-reason-not-declining"
            ),
        "{:?}",
        reply.text
    );
    // The reason given stays, and no later text took its place (the audit
    // log says only that one was given).
    let reasons: Vec<String> =
        sqlx::query_scalar("SELECT reason FROM meeting_invitations WHERE reason IS NOT NULL")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(reasons, ["Đi công tác"]);
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_answer'
             AND json_extract(details, '$.reason_given') = 1"
        )
        .await,
        1
    );
    let at = chrono::TimeZone::with_ymd_and_hms(&TZ, 2026, 11, 27, 19, 30, 0)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let moved = meetings::postpone(
        &h.pool,
        id,
        SECRETARY,
        (None, at),
        (now, Some(&ended(SECRETARY))),
        |_, _| Vec::new(),
    )
    .await
    .unwrap();
    assert_eq!(moved, Changed::Done);
    h.restart().await;
    let reply = h.ask(&secretary, "28/11/2026 19:30").await;
    assert!(
        !says(reply.text.as_deref(), Lang::Vi, "meeting-postponed-done")
            && !says(reply.text.as_deref(), Lang::Vi, "meeting-moved-since"),
        "{:?}",
        reply.text
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 1")
            .await,
        1
    );
}

/// The secretary types a meeting's new time while the operator takes the
/// seat away: the time passed its first check, and the postponement's own
/// transaction judges it again. The meeting is not moved, nobody is told,
/// and the former secretary is told they no longer hold the seat.
#[tokio::test]
async fn a_new_time_typed_as_the_seat_is_lost_moves_nothing() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let cell = world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let summary = h.current(&summary);
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gp:"))
        .await;
    let before = h.api.sent(secretary.id).len();
    let outbox = h.count("SELECT COUNT(*) FROM outbox").await;

    // The operator's write holds the database while the time comes.
    let operator = h.hold_database().await;
    let update = h.api.text(&secretary, "27/11/2026 19:30");
    h.waits_to_write(update).await;
    assert_eq!(
        h.api.sent(secretary.id).len(),
        before,
        "the time waits for the database, past its first check"
    );
    operator
        .revoke(
            secretary.id,
            lienhe::store::committee::Role::Secretary { cell },
        )
        .await;
    h.handled(update).await;

    let postponed: i64 = sqlx::query_scalar("SELECT postponed FROM meetings WHERE id = ?")
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(postponed, 0, "not moved");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox").await,
        outbox,
        "nobody told"
    );
    let reply = h.last(&secretary).text.unwrap_or_default();
    assert!(
        reply.contains("Đồng chí không còn là bí thư Chi bộ khối 5"),
        "{reply}"
    );
}

/// The secretary presses Send on a meeting's call while the operator takes
/// the seat away: the press passed its first check, and the call's own
/// transaction judges it again. No meeting, no invitation, and the former
/// secretary is told they no longer hold the seat.
#[tokio::test]
async fn a_meeting_called_as_the_seat_is_lost_invites_nobody() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let cell = world(&h, &secretary).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    let data = data_of(&summary, "gs");
    let answers = h.api.answered_callbacks().len();
    let meetings = h.count("SELECT COUNT(*) FROM meetings").await;

    // The operator's write holds the database while the press comes.
    let operator = h.hold_database().await;
    let update = h.api.callback(&secretary, summary.message_id, &data);
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

    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, meetings);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations").await,
        0,
        "nobody invited"
    );
    let answer = h.api.answered_callbacks().pop().unwrap();
    let text = answer.str_param("text").unwrap_or_default().to_string();
    assert!(
        text.contains("Đồng chí không còn là bí thư Chi bộ khối 5"),
        "{text}"
    );
}

/// A meeting called just before a kill: the secretary's dialogue ends in
/// the call's transaction (what the handler commits is done here by hand,
/// with the dialogue it hands in, from the draft at the Send step), so
/// after the restart the secretary's next text is not taken as a text at
/// the Send step (told to press a button, the draft shown again with Send).
#[tokio::test]
async fn a_meeting_called_just_before_a_kill_ends_its_dialogue() {
    use lienhe::domain::meeting::MeetingKind;
    use lienhe::store::{
        dialogues::Next,
        meetings::{self, Called, NewMeeting},
    };
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let confirm = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    let has_send = |m: &Sent| m.buttons().iter().any(|(_, d)| d.starts_with("gs"));
    assert!(has_send(&confirm), "{:?}", confirm.text);

    let (token, cell, starts_at): (String, i64, String) = sqlx::query_as(
        "SELECT json_extract(state, '$.Meeting[1].token'),
                json_extract(state, '$.Meeting[1].cell_id'),
                json_extract(state, '$.Meeting[1].starts_at')
         FROM dialogues WHERE chat_id = ?",
    )
    .bind(SECRETARY)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    let new = NewMeeting {
        token: &token,
        cell_id: cell,
        kind: MeetingKind::Cell,
        starts_at: starts_at.parse().unwrap(),
        place: "Nhà văn hóa khối 5",
        agenda: "Triển khai nhiệm vụ cuối năm",
        called_by: SECRETARY,
    };
    let ended = Next {
        chat_id: SECRETARY,
        state: None,
    };
    let now = h.app().now();
    let called = meetings::create_ending(&h.pool, &new, (now, Some(&ended)), |_, _| Vec::new())
        .await
        .unwrap();
    assert!(matches!(called, Called::New { .. }));
    h.restart().await;

    let replies = h.say(&secretary, "Cảm ơn").await;
    for reply in &replies {
        assert!(
            !says(reply.text.as_deref(), Lang::Vi, "meeting-expect-button") && !has_send(reply),
            "{:?}",
            reply.text
        );
    }
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 1);
}

/// A member's answer is being edited into the secretary's summary (read by
/// the sender, Telegram's answer not yet back) when the secretary brings
/// the summary again from /meetings: the new copy has the buttons, the old
/// one loses them, and the edit in flight, landing after that, gives the
/// old copy its buttons back. It ends without them (the copy shown before
/// is no longer kept up to date, and its Reschedule and Cancel would act on
/// what it no longer shows).
#[tokio::test]
async fn an_older_summary_edited_in_flight_ends_without_buttons() {
    use lienhe::store::outbox;
    use teloxide::{
        prelude::*,
        types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId},
    };
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let secretary = user_in(lang, SECRETARY, "Bình");
        world(&h, &secretary).await;
        let (id, old) = call_meeting(&h, &secretary, "26/11/2026 08:00").await;
        assert!(!old.buttons().is_empty());

        // A member's answer: the summary's edit, read by the sender.
        h.stop_sender().await;
        let invitation = said(&h, 300, Lang::Vi, "meeting-invitation")[0].clone();
        h.press_data(&seeded(300), invitation.message_id, &format!("ga:{id}"))
            .await;
        let now = h.app().now();
        let held = outbox::due(&h.pool, now, 10, &[])
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.chat_id == SECRETARY)
            .expect("the summary's edit");
        let in_flight = held.payload().unwrap();
        assert_eq!(in_flight.edit, Some(old.message_id));

        // The secretary brings the summary again: the old copy's buttons go.
        let list = h.ask(&secretary, "/meetings").await;
        let label = label_of(&list, &format!("gv:{id}")).expect("the summary's button");
        let (_, replies) = h.press(&secretary, &list, &label).await;
        let new = replies.last().cloned().expect("the summary");
        assert!(label_of(&new, &format!("gp:{id}")).is_some(), "{new:?}");
        assert!(h.current(&old).buttons().is_empty());

        // The edit in flight reaches Telegram after that.
        let markup = InlineKeyboardMarkup::new(in_flight.buttons.iter().map(|row| {
            row.iter()
                .map(|(label, data)| InlineKeyboardButton::callback(label.clone(), data.clone()))
                .collect::<Vec<_>>()
        }));
        let message = MessageId(old.message_id as i32);
        h.bot()
            .edit_message_text(ChatId(SECRETARY), message, in_flight.text.clone())
            .reply_markup(markup)
            .await
            .unwrap();
        let at = h.app().now();
        let edited = (SECRETARY, old.message_id);
        outbox::record_shown_now(&h.pool, edited, &in_flight.fingerprint(), at)
            .await
            .unwrap();
        outbox::mark_sent(&h.pool, held.id, SECRETARY, old.message_id, at)
            .await
            .unwrap();

        h.start_sender(default_sender()).await;
        h.drain().await;
        let end = h.current(&old);
        assert!(end.buttons().is_empty(), "{lang:?}: {end:?}");
        assert!(!h.current(&new).buttons().is_empty());
        let failed = h
            .count("SELECT COUNT(*) FROM outbox WHERE status IN ('failed', 'unreachable')")
            .await;
        assert_eq!(failed, 0);
    }
}

/// The day before, the reminders are queued while Telegram cannot be
/// reached (the sender stopped here); the secretary moves the meeting by
/// mistake and back to its time at once. Each member is reminded once, and
/// the reminder's buttons answer the meeting as it is (the reminder queued
/// before the moves, whose buttons are from before them, is not sent: the
/// moves reset the reminder, which went again).
#[tokio::test]
async fn a_meeting_moved_and_moved_back_is_reminded_once() {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    h.stop_sender().await;
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    for when in ["25/11/2026 20:30", "25/11/2026 19:30"] {
        h.press_data(&secretary, summary.message_id, &format!("gp:{id}"))
            .await;
        let done = h.ask(&secretary, when).await;
        assert!(
            says(done.text.as_deref(), Lang::Vi, "meeting-postponed-done"),
            "{:?}",
            done.text
        );
    }
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.start_sender(default_sender()).await;
    h.drain().await;
    for member in [300, 301, 302, 303] {
        let lang = lang_of(&seeded(member));
        let reminders = said(&h, member, lang, "meeting-reminder");
        assert_eq!(reminders.len(), 1, "{member}: {reminders:?}");
        let (answer, _) = h
            .press_data(
                &seeded(member),
                reminders[0].message_id,
                &data_of(&reminders[0], "ga:"),
            )
            .await;
        assert!(
            says(Some(&alert_text(&answer)), lang, "meeting-answer-recorded"),
            "{member}: {}",
            alert_text(&answer)
        );
    }
}

/// A member who gave their reasons in a fancy font's letters (each two of
/// Telegram's units, as an emoji is): /meetings counted its room in
/// characters, so the list ran past a message and was cut in the middle of
/// a line, the later meetings and the "…and N more" line lost unseen. Both
/// lists now count as Telegram does: every meeting is listed whole or
/// counted.
#[tokio::test]
async fn meetings_listed_in_wide_letters_are_whole_or_counted() {
    use chrono::TimeZone;
    use lienhe::domain::meeting::MeetingKind;
    use lienhe::store::meetings::{self, NewMeeting};
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let cell = world(&h, &secretary).await;
    let bold = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'A'..='Z' => char::from_u32(0x1D400 + (c as u32 - 'A' as u32)).unwrap(),
                'a'..='z' => char::from_u32(0x1D41A + (c as u32 - 'a' as u32)).unwrap(),
                c => c,
            })
            .collect()
    };
    let place = bold("Nha van hoa khoi nam phuong Hung Dung thanh pho Vinh");
    const HELD: u32 = 25;
    for n in 0..HELD {
        let starts = TZ
            .with_ymd_and_hms(2026, 1 + n % 10, 1 + n, 19, 0, 0)
            .unwrap()
            .with_timezone(&chrono::Utc);
        let token = format!("m{n}");
        let new = NewMeeting {
            token: &token,
            cell_id: cell,
            kind: MeetingKind::Cell,
            starts_at: starts,
            place: &place,
            agenda: "Sinh hoạt",
            called_by: SECRETARY,
        };
        meetings::create(&h.pool, &new, starts - chrono::Duration::days(3), |_, _| {
            Vec::new()
        })
        .await
        .unwrap();
    }
    sqlx::query(
        "UPDATE meeting_invitations SET answer = 'decline', reason = ? WHERE user_id = 303",
    )
    .bind(bold(&"Di cong tac xa ".repeat(12)))
    .execute(&h.pool)
    .await
    .unwrap();
    for reader in [secretary, seeded(303)] {
        let replies = h.say(&reader, "/meetings").await;
        let text = replies.last().and_then(|s| s.text.clone()).unwrap();
        assert!(!text.ends_with('…'), "cut: {text}");
        let listed = text.lines().filter(|l| l.starts_with('•')).count();
        let more = (1..HELD as usize)
            .find(|n: &usize| {
                let count = *n;
                text.contains(&lienhe::t!(Lang::Vi, "meeting-list-more", count = count))
            })
            .unwrap_or(0);
        assert!(more > 0, "this many do not fit: {text}");
        assert_eq!(listed + more, HELD as usize, "{text}");
    }
}

/// A member approved while the secretary's Send of a new meeting waits for
/// the write lock (after the bot looked up the members' languages) is
/// invited once, in the language they read, with its buttons; the others
/// in theirs.
async fn invited_as_approved(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let joiner = user_in(lang, 302, "Hoa");
    h.cell_with_member(&secretary, &member).await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&joiner, &code, "Phạm Thị Hoa").await;
    h.drain().await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "20/12/2026 19:00").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    let data = data_of(&summary, "gs");

    // The deputy's approval holds the database while the press comes.
    let mut held = h.pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *held)
        .await
        .unwrap();
    let update = h.api.callback(&secretary, summary.message_id, &data);
    h.waits_to_write(update).await;
    sqlx::query("UPDATE memberships SET status = 'approved', decided_at = ? WHERE user_id = ?")
        .bind(h.app().now())
        .bind(joiner.id)
        .execute(&mut *held)
        .await
        .unwrap();
    sqlx::query("COMMIT").execute(&mut *held).await.unwrap();
    drop(held);
    h.handled(update).await;
    h.drain().await;

    let invited = |user: &TgUser, lang: Lang| -> Vec<Sent> {
        h.api
            .sent(user.id)
            .into_iter()
            .filter(|s| says(s.text.as_deref(), lang, "meeting-invitation"))
            .collect()
    };
    let got = invited(&joiner, lang);
    assert_eq!(got.len(), 1, "{:?}", h.api.sent(joiner.id));
    assert!(
        got[0]
            .button_texts()
            .contains(&tr(lang, "meeting-button-attend")),
        "{got:?}"
    );
    assert_eq!(invited(&member, Lang::Vi).len(), 1);
}

#[tokio::test]
async fn a_member_approved_as_the_meeting_is_called_is_invited_in_their_language() {
    invited_as_approved(Lang::Vi).await;
}

#[tokio::test]
async fn a_member_approved_as_the_meeting_is_called_is_invited_in_their_language_in_english() {
    invited_as_approved(Lang::En).await;
}

/// "I will attend" committed just before a kill, the invitation's edit and
/// the summary's never sent: Telegram's serving the press again is skipped
/// (it is handled), and the member pressing it again was told it was
/// recorded while the secretary's summary went on listing them as not
/// having answered. Pressed again, the answer brings the summary up to
/// date (recorded once).
async fn attend_killed_before_the_summary_followed(secretary: TgUser) {
    let mut h = Harness::start().await;
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let member = seeded(300);
    let invitation = said(&h, 300, Lang::Vi, "meeting-invitation")[0].clone();
    let attend = format!("ga:{id}");
    let attending = |h: &Harness| {
        h.current(&summary)
            .text
            .unwrap_or_default()
            .lines()
            .any(|l| l.starts_with('✅') && l.contains(&name(300)))
    };
    assert!(!attending(&h));
    let held = h.api.hold_next("editMessageText", member.id);
    let update = h.api.callback(&member, invitation.message_id, &attend);
    // Killed there: neither the invitation's edit nor the summary's goes.
    h.killed_at_and_served_again(held, "the invitation's edit is on its way", update)
        .await;
    h.drain().await;
    assert!(!attending(&h), "the summary was left behind");

    let (answer, _) = h.press_data(&member, invitation.message_id, &attend).await;
    let toast = alert_text(&answer);
    assert!(
        says(Some(&toast), Lang::Vi, "meeting-answer-recorded"),
        "{toast}"
    );
    h.drain().await;
    assert!(attending(&h), "{:?}", h.current(&summary).text);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_answer'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_answer_killed_before_the_summary_followed_is_shown_when_pressed_again() {
    attend_killed_before_the_summary_followed(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn an_answer_killed_before_the_summary_followed_is_shown_when_pressed_again_in_english() {
    attend_killed_before_the_summary_followed(en_user(SECRETARY, "Binh")).await;
}

/// A meeting cancelled just before a kill, the question's settling and the
/// summary's edit never sent: Telegram's serving Yes again is skipped (it
/// is handled), and the summary went on showing the meeting as scheduled,
/// with Postpone and Cancel, which only answered "already cancelled".
/// Yes pressed again (or Postpone or Cancel on the summary) now brings the
/// summary up to date; the members were told once.
async fn cancel_killed_before_the_summary_followed(secretary: TgUser, on_summary: bool) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let status = tr(lang, "meeting-status-cancelled");
    let cancelled = |h: &Harness| {
        let now = h.current(&summary);
        now.text.as_deref().unwrap_or_default().contains(&status)
            && !now
                .buttons()
                .iter()
                .any(|(_, d)| d.starts_with("gp:") || d.starts_with("gc:"))
    };
    let (_, asked) = h
        .press_data(&secretary, summary.message_id, &format!("gc:{id}"))
        .await;
    let question = asked.last().expect("the question").clone();
    let yes = data_of(&question, "gy:");
    // The notices to the members wait in the outbox for the restart: a
    // kill while one of them is on its way would send it twice.
    h.stop_sender().await;
    let held = h.api.hold_next("editMessageText", secretary.id);
    let update = h.api.callback(&secretary, question.message_id, &yes);
    // Killed there: neither the question's settling nor the summary's edit.
    h.killed_at_and_served_again(held, "the question's settling is on its way", update)
        .await;
    h.drain().await;
    assert!(!cancelled(&h), "the summary was left behind");

    let (answer, _) = if on_summary {
        let data = format!("gc:{id}");
        h.press_data(&secretary, summary.message_id, &data).await
    } else {
        h.press_data(&secretary, question.message_id, &yes).await
    };
    let alert = alert_text(&answer);
    assert!(
        says(Some(&alert), lang, "meeting-already-cancelled"),
        "{alert}"
    );
    h.drain().await;
    assert!(cancelled(&h), "{:?}", h.current(&summary));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_cancel'")
            .await,
        1
    );
    // Each invited member was told once.
    for member in MEMBERS {
        let l = if member == 301 { Lang::En } else { Lang::Vi };
        let told = said(&h, member, l, "meeting-notice-cancelled");
        assert_eq!(told.len(), 1, "{member}");
    }
}

#[tokio::test]
async fn a_meeting_cancelled_just_before_a_kill_shows_on_its_summary_when_pressed_again() {
    cancel_killed_before_the_summary_followed(vi_user(SECRETARY, "Bình"), false).await;
}

#[tokio::test]
async fn a_meeting_cancelled_just_before_a_kill_shows_on_its_summary_when_pressed_again_in_english()
{
    cancel_killed_before_the_summary_followed(en_user(SECRETARY, "Binh"), false).await;
}

#[tokio::test]
async fn a_meeting_cancelled_just_before_a_kill_shows_on_its_summary_at_its_own_cancel() {
    cancel_killed_before_the_summary_followed(vi_user(SECRETARY, "Bình"), true).await;
}

#[tokio::test]
async fn a_meeting_cancelled_just_before_a_kill_shows_on_its_summary_at_its_own_cancel_in_english()
{
    cancel_killed_before_the_summary_followed(en_user(SECRETARY, "Binh"), true).await;
}

/// A register closed just before a kill, the register's and the summary's
/// edits never sent: Telegram's serving Close again is skipped (it is
/// handled), and Close pressed again said "already closed" while the
/// summary went on offering Reschedule and Cancel. Close pressed again now
/// brings the summary up to date; the attendance is recorded once.
async fn close_killed_before_the_summary_followed(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    world(&h, &secretary).await;
    let (id, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let start: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT starts_at FROM meetings WHERE id = ?")
            .bind(id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    h.clock.set(start - chrono::Duration::minutes(30));
    let offers_changes = |h: &Harness| {
        h.current(&summary)
            .buttons()
            .iter()
            .any(|(_, d)| d.starts_with("gp:") || d.starts_with("gc:"))
    };
    let shown = h.current(&summary);
    h.press_data(&secretary, summary.message_id, &data_of(&shown, "to:"))
        .await;
    let register = h.last(&secretary);
    let close = data_of(&register, "tc:");
    let held = h.api.hold_next("editMessageText", secretary.id);
    let update = h.api.callback(&secretary, register.message_id, &close);
    // Killed there: neither the register's edit nor the summary's goes.
    h.killed_at_and_served_again(held, "the register's edit is on its way", update)
        .await;
    h.drain().await;
    assert!(offers_changes(&h), "the summary was left behind");

    let (answer, _) = h.press_data(&secretary, register.message_id, &close).await;
    let alert = alert_text(&answer);
    assert!(
        says(Some(&alert), lang, "attendance-already-closed"),
        "{alert}"
    );
    h.drain().await;
    assert!(!offers_changes(&h), "{:?}", h.current(&summary));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_close'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_register_closed_just_before_a_kill_shows_on_the_summary_when_closed_again() {
    close_killed_before_the_summary_followed(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn a_register_closed_just_before_a_kill_shows_on_the_summary_when_closed_again_in_english() {
    close_killed_before_the_summary_followed(en_user(SECRETARY, "Binh")).await;
}

/// A meeting rescheduled just before a kill, the answer and the summary's
/// edit never sent: Telegram's serving the time again is skipped (it is
/// handled), and the summary went on showing the old time; the secretary
/// who typed the new time again was told it already had it while the
/// summary stayed wrong. The time typed again now brings the summary up to
/// date; the members are told once.
async fn reschedule_killed_before_the_summary_followed(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    world(&h, &secretary).await;
    let (_, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let shows_new_time = |h: &Harness| {
        let text = h.current(&summary).text.unwrap_or_default();
        text.contains("27/11/2026 19:30") && !text.contains("25/11/2026 19:30")
    };
    let shown = h.current(&summary);
    h.press_data(&secretary, summary.message_id, &data_of(&shown, "gp:"))
        .await;
    // What the commit queues waits in the outbox for the restart: a kill
    // while one of those messages is on its way would send it twice.
    h.stop_sender().await;
    let held = h.api.hold_next("sendMessage", secretary.id);
    let update = h.api.text(&secretary, "27/11/2026 19:30");
    // Killed there: neither the answer nor the summary's edit goes.
    h.killed_at_and_served_again(held, "the answer is on its way", update)
        .await;
    h.drain().await;
    assert!(!shows_new_time(&h), "the summary was left behind");

    let shown = h.current(&summary);
    h.press_data(&secretary, summary.message_id, &data_of(&shown, "gp:"))
        .await;
    let again = h.ask(&secretary, "27/11/2026 19:30").await;
    assert!(
        says(again.text.as_deref(), lang, "meeting-postpone-same-time"),
        "{:?}",
        again.text
    );
    h.drain().await;
    assert!(shows_new_time(&h), "{:?}", h.current(&summary).text);
    for member in MEMBERS {
        let l = if member == 301 { Lang::En } else { Lang::Vi };
        let told = said(&h, member, l, "meeting-notice-postponed");
        assert_eq!(told.len(), 1, "{member}");
    }
}

#[tokio::test]
async fn a_meeting_rescheduled_just_before_a_kill_shows_on_its_summary_when_typed_again() {
    reschedule_killed_before_the_summary_followed(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn a_meeting_rescheduled_just_before_a_kill_shows_on_its_summary_when_typed_again_in_english()
{
    reschedule_killed_before_the_summary_followed(en_user(SECRETARY, "Binh")).await;
}

/// A meeting called just before a kill, its summary never sent: Telegram's
/// serving Send again is skipped (it is handled), and Send pressed again
/// only said the button was no longer active, so the secretary never got
/// the summary (with its buttons and register). Send pressed again now
/// brings the summary up; the meeting is stored and its invitations queued
/// once.
async fn called_killed_before_the_summary_followed(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    world(&h, &secretary).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let confirm = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    let send = data_of(&confirm, "gs");
    let summaries = |h: &Harness| said(h, SECRETARY, lang, "meeting-summary-head");
    // What the call queues waits for the restart's sender: one killed
    // while an invitation is on its way sends it again (the outbox is
    // at least once across a kill), and each is counted below.
    h.stop_sender().await;
    let held = h.api.hold_next("editMessageReplyMarkup", secretary.id);
    let update = h.api.callback(&secretary, confirm.message_id, &send);
    // Killed there: the meeting is called, nothing more said.
    h.killed_at_and_served_again(held, "the summary is on its way", update)
        .await;
    h.drain().await;
    assert!(summaries(&h).is_empty(), "the summary was left behind");
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 1);

    h.press_data(&secretary, confirm.message_id, &send).await;
    h.drain().await;
    let shown = summaries(&h);
    assert_eq!(shown.len(), 1, "{:?}", h.api.sent(SECRETARY));
    let summary = h.current(&shown[0]);
    assert!(
        summary.buttons().iter().any(|(_, d)| d.starts_with("gc:")),
        "{summary:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_call'")
            .await,
        1
    );
    for member in MEMBERS {
        let l = if member == 301 { Lang::En } else { Lang::Vi };
        assert_eq!(
            said(&h, member, l, "meeting-invitation").len(),
            1,
            "{member}"
        );
    }
    // Pressed once more: no second summary.
    h.press_data(&secretary, confirm.message_id, &send).await;
    h.drain().await;
    assert_eq!(summaries(&h).len(), 1);
}

#[tokio::test]
async fn a_meeting_called_just_before_a_kill_brings_its_summary_when_send_is_pressed_again() {
    called_killed_before_the_summary_followed(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn a_meeting_called_just_before_a_kill_brings_its_summary_when_send_is_pressed_again_in_english()
 {
    called_killed_before_the_summary_followed(en_user(SECRETARY, "Binh")).await;
}

/// A meeting's day typed without the year, near a year's end or 29
/// February: "29/02" typed on 01/03/2028 (yesterday) was answered "too far
/// ahead", read as a 29/02/2029 that does not exist; "28/02" as 28/02/2029.
/// A day of this year gone by is now answered "has already passed" and the
/// start asked again; "02/01" typed on 31/12 is next January.
#[tokio::test]
async fn a_day_typed_without_the_year_is_past_or_next_january_as_an_official_means_it() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2028, 3, 1, 10, 0);
        let secretary = user_in(lang, SECRETARY, "Bình");
        world(&h, &secretary).await;
        let kinds = h.ask(&secretary, "/meeting").await;
        h.press_data(&secretary, kinds.message_id, "gk:c").await;
        for typed in ["29/02 19:30", "28/02 19:30"] {
            let reply = h.ask(&secretary, typed).await;
            let text = reply.text.as_deref().unwrap();
            assert!(
                says(Some(text), lang, "meeting-start-past"),
                "{typed}: {text}"
            );
            assert!(!says(Some(text), lang, "meeting-start-too-far"), "{text}");
            assert!(says(Some(text), lang, "meeting-ask-start"), "{text}");
        }
        h.ask(&secretary, "/cancel").await;
        h.drain().await;

        h.set_local(2028, 12, 31, 10, 0);
        let (id, summary) = call_meeting(&h, &secretary, "02/01 19:30").await;
        assert!(
            summary
                .text
                .as_deref()
                .unwrap()
                .contains("02/01/2029 19:30"),
            "{:?}",
            summary.text
        );
        let day: String = sqlx::query_scalar(
            "SELECT strftime('%Y-%m-%d', starts_at, '+7 hours') FROM meetings WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(day, "2029-01-02");
    }
}

/// The member answering in the thirty of `thirty_answer_as_the_meeting_changes`:
/// even ones read English.
fn answering(id: i64) -> TgUser {
    let lang = if id % 2 == 0 { Lang::En } else { Lang::Vi };
    user_in(lang, id, &format!("dv{id}"))
}

/// Thirty members answer their invitations (two in three "I will attend",
/// the others "cannot attend" with the reason typed right after) while the
/// secretary confirms the meeting's cancellation, or types its new time:
/// every update pushed before the bot answers any. Every press and every
/// reason is answered; a cancelled meeting counts nobody and its summary
/// says so; a moved one keeps only the answers given for the new time, and
/// its summary counts what is recorded; each member is told of the change
/// once, in their language; nothing is logged at error level.
async fn thirty_answer_as_the_meeting_changes(lang: Lang, cancel: bool) {
    const FIRST: i64 = 500;
    const N: i64 = 30;
    let (logs, _logging) = crate::concurrency::Logs::capture();
    let h = Harness::start().await;
    let secretary = user_in(lang, SECRETARY, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, FIRST, N).await;
    sqlx::query("UPDATE users SET language = 'en' WHERE id >= ? AND id % 2 = 0")
        .bind(FIRST)
        .execute(&h.pool)
        .await
        .unwrap();
    let (_, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let members: Vec<TgUser> = (FIRST..FIRST + N).map(answering).collect();
    let invitations: Vec<Sent> = members
        .iter()
        .map(|m| said(&h, m.id, lang_of(m), "meeting-invitation")[0].clone())
        .collect();
    // The secretary's step before the last: the cancellation asked, or the
    // new time asked for.
    let (_, replies) = h
        .press_data(
            &secretary,
            summary.message_id,
            &data_of(&summary, if cancel { "gc:" } else { "gp:" }),
        )
        .await;
    let asked = replies.last().unwrap().clone();
    let before: Vec<usize> = members.iter().map(|m| h.api.sent_count(m.id)).collect();

    // All at once: the secretary's last step in the middle of the answers.
    let mut presses = Vec::new();
    let mut reasons = Vec::new();
    for (i, (member, invitation)) in members.iter().zip(&invitations).enumerate() {
        if i == N as usize / 2 {
            if cancel {
                h.api
                    .callback(&secretary, asked.message_id, &data_of(&asked, "gy:"));
            } else {
                h.api.text(&secretary, "27/11/2026 19:30");
            }
        }
        let declines = member.id % 3 == 0;
        let data = data_of(invitation, if declines { "gd:" } else { "ga:" });
        let update = h.api.callback(member, invitation.message_id, &data);
        let query = h.api.update(update).expect("pushed")["callback_query"]["id"].clone();
        presses.push((member.id, query));
        if declines {
            reasons.push(h.api.text(member, &format!("Lý do {}", member.id)));
        }
    }
    h.quiet().await;
    h.drain().await;

    // Every press answered, every reason replied to.
    let answers = h.api.calls_of("answerCallbackQuery");
    for (member, query) in &presses {
        assert!(
            answers
                .iter()
                .any(|c| c.params["callback_query_id"] == *query),
            "the press of {member} was not answered"
        );
    }
    let notice = if cancel {
        "meeting-notice-cancelled"
    } else {
        "meeting-notice-postponed"
    };
    for (member, before) in members.iter().zip(&before) {
        let mlang = lang_of(member);
        let got = h.api.sent(member.id).split_off(*before);
        let told = got
            .iter()
            .filter(|s| says(s.text.as_deref(), mlang, notice))
            .count();
        assert_eq!(told, 1, "{} told of the change once: {got:#?}", member.id);
        if member.id % 3 == 0 {
            let replies: Vec<&Sent> = got
                .iter()
                .filter(|s| !says(s.text.as_deref(), mlang, notice))
                .collect();
            assert!(!replies.is_empty(), "{}'s reason unanswered", member.id);
            // Asked for the reason: the reason typed is answered after it.
            if let Some(at) = replies
                .iter()
                .position(|s| says(s.text.as_deref(), mlang, "meeting-ask-reason"))
            {
                assert!(at + 1 < replies.len(), "{}: {replies:#?}", member.id);
            }
        }
    }
    let shown = h.current(&summary).text.unwrap();
    if cancel {
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meetings WHERE status = 'cancelled'")
                .await,
            1
        );
        assert!(
            says(Some(&shown), lang, "meeting-status-cancelled"),
            "{shown}"
        );
        assert!(h.current(&summary).buttons().is_empty(), "{shown}");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meeting_registers").await,
            0,
            "nobody counted for a cancelled meeting"
        );
        let list = h.ask(&secretary, "/meetings").await.text.unwrap();
        assert!(says(Some(&list), lang, "meeting-list-cancelled"), "{list}");
    } else {
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meetings WHERE postponed = 1")
                .await,
            1
        );
        assert!(shown.contains("27/11/2026 19:30"), "{shown}");
        let (attend, decline, none) = (
            h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'attend'")
                .await,
            h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer = 'decline'")
                .await,
            h.count("SELECT COUNT(*) FROM meeting_invitations WHERE answer IS NULL")
                .await,
        );
        let heads = if lang == Lang::Vi {
            ["Tham dự", "Vắng có lý do", "Chưa trả lời"]
        } else {
            ["Attending", "Excused", "No answer yet"]
        };
        for (head, n) in heads.into_iter().zip([attend, decline, none]) {
            assert!(
                shown.contains(&format!("{head} ({n})")),
                "{head} {n}: {shown}"
            );
        }
    }
    assert_eq!(h.api.not_modified(), 0);
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "the bot's log is captured");
    let errors: Vec<&str> = logs.lines().filter(|l| l.contains("ERROR")).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[tokio::test]
async fn thirty_answering_as_the_meeting_is_cancelled_are_all_answered() {
    thirty_answer_as_the_meeting_changes(Lang::Vi, true).await;
}

#[tokio::test]
async fn thirty_answering_as_the_meeting_is_cancelled_are_all_answered_in_english() {
    thirty_answer_as_the_meeting_changes(Lang::En, true).await;
}

#[tokio::test]
async fn thirty_answering_as_the_meeting_is_moved_are_all_answered() {
    thirty_answer_as_the_meeting_changes(Lang::Vi, false).await;
}

#[tokio::test]
async fn thirty_answering_as_the_meeting_is_moved_are_all_answered_in_english() {
    thirty_answer_as_the_meeting_changes(Lang::En, false).await;
}

/// The message id of a text `user` sends (its answer awaited).
async fn sent_text(h: &Harness, user: &TgUser, text: &str) -> i64 {
    let update = h.api.text(user, text);
    h.quiet().await;
    h.api.pushed_update(update).unwrap()["message"]["message_id"]
        .as_i64()
        .unwrap()
}

/// A reason given for not attending, then "I cannot attend" pressed again
/// (for the same meeting, then for another) and, while the new reason is
/// asked, the first reason's message edited: the edit is answered that
/// the reason stands as given (not told to /cancel, which would change
/// nothing of it), the reason asked for still taken.
async fn an_edited_reason_while_another_is_asked(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (first, summary) = call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let (second, _) = call_meeting(&h, &secretary, "27/11/2026 19:30").await;
    let who = if lang == Lang::En { 301 } else { 300 };
    let member = seeded(who);
    let invitations = said(&h, who, lang, "meeting-invitation");
    let resumed = tr(lang, "dialogue-resumed");
    let edit = |id: i64, text: &'static str| {
        let h = &h;
        let member = &member;
        async move {
            let replies = h
                .send_update(member, |api| api.edit_text(member, id, text))
                .await;
            assert_eq!(replies.len(), 1, "{replies:?}");
            replies[0].text.clone().unwrap_or_default()
        }
    };

    h.press_data(&member, invitations[0].message_id, &format!("gd:{first}"))
        .await;
    let reason = sent_text(&h, &member, "Đi công tác").await;
    // The same meeting's "cannot attend" again: its reason asked anew.
    let (_, asked) = h
        .press_data(&member, invitations[0].message_id, &format!("gd:{first}"))
        .await;
    assert!(
        says(
            asked.last().and_then(|s| s.text.as_deref()),
            lang,
            "meeting-ask-reason"
        ),
        "{asked:?}"
    );
    let said_now = edit(reason, "Đi công tác xa").await;
    assert!(
        says(Some(&said_now), lang, "edited-answer-over") && said_now.ends_with(&resumed),
        "{lang:?}: {said_now}"
    );
    let again = sent_text(&h, &member, "Đi công tác Hà Nội").await;
    let reply = h.last(&member);
    assert!(
        says(reply.text.as_deref(), lang, "meeting-decline-recorded"),
        "{reply:?}"
    );
    assert!(
        h.current(&summary)
            .text
            .unwrap()
            .contains("Đi công tác Hà Nội")
    );

    // Another meeting's "cannot attend": the earlier reason stands too.
    h.press_data(&member, invitations[1].message_id, &format!("gd:{second}"))
        .await;
    let said_now = edit(again, "Đi công tác Huế").await;
    assert!(
        says(Some(&said_now), lang, "edited-answer-over") && said_now.ends_with(&resumed),
        "{lang:?}: {said_now}"
    );
    h.ask(&member, "Ốm").await;
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT i.reason FROM meeting_invitations i
         JOIN memberships m ON m.id = i.membership_id WHERE m.user_id = ? ORDER BY i.meeting_id",
    )
    .bind(who)
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(reasons, ["Đi công tác Hà Nội", "Ốm"]);
}

#[tokio::test]
async fn an_edited_reason_while_another_is_asked_is_said_to_stand() {
    an_edited_reason_while_another_is_asked(Lang::Vi).await;
}

#[tokio::test]
async fn an_edited_reason_while_another_is_asked_is_said_to_stand_in_english() {
    an_edited_reason_while_another_is_asked(Lang::En).await;
}

/// A meeting called just before a kill, its summary never sent, then Send
/// tapped twice at once (both presses in before the bot answers): one
/// summary, each press answered once, the second told the summary is
/// shown already; nothing stored or queued twice, no request refused.
async fn sent_twice_after_a_kill(secretary: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&secretary);
    world(&h, &secretary).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let confirm = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    let send = data_of(&confirm, "gs");
    let summaries = |h: &Harness| said(h, SECRETARY, lang, "meeting-summary-head");
    // What the call queues waits for the restart's sender: one killed
    // while an invitation is on its way sends it again (the outbox is
    // at least once across a kill), and each is counted below.
    h.stop_sender().await;
    let held = h.api.hold_next("editMessageReplyMarkup", secretary.id);
    let update = h.api.callback(&secretary, confirm.message_id, &send);
    h.killed_at_and_served_again(held, "the summary is on its way", update)
        .await;
    h.drain().await;
    assert!(summaries(&h).is_empty(), "the summary was left behind");

    let before = h.api.call_count();
    let a = h.api.callback(&secretary, confirm.message_id, &send);
    let b = h.api.callback(&secretary, confirm.message_id, &send);
    h.handled(a).await;
    h.handled(b).await;
    h.quiet().await;
    h.drain().await;
    assert_eq!(summaries(&h).len(), 1, "{:?}", h.api.sent(SECRETARY));
    let calls: Vec<Call> = h.api.calls().into_iter().skip(before).collect();
    let refused: Vec<&Call> = calls.iter().filter(|c| !c.response_ok).collect();
    assert!(refused.is_empty(), "{refused:#?}");
    let answers: Vec<String> = [a, b]
        .into_iter()
        .map(|update| {
            let query = h.api.update(update).unwrap()["callback_query"]["id"].clone();
            let answers: Vec<&Call> = calls
                .iter()
                .filter(|c| {
                    c.method == "answercallbackquery" && c.params["callback_query_id"] == query
                })
                .collect();
            assert_eq!(answers.len(), 1, "{answers:#?}");
            alert_text(answers[0])
        })
        .collect();
    assert!(
        says(Some(&answers[1]), lang, "meeting-summary-shown"),
        "{lang:?}: {answers:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM meetings").await, 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_call'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id IN (300, 301, 302, 303)")
            .await,
        4
    );
    for member in MEMBERS {
        let l = if member == 301 { Lang::En } else { Lang::Vi };
        assert_eq!(
            said(&h, member, l, "meeting-invitation").len(),
            1,
            "{member}"
        );
    }
}

#[tokio::test]
async fn send_tapped_twice_at_once_after_a_kill_brings_one_summary() {
    sent_twice_after_a_kill(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn send_tapped_twice_at_once_after_a_kill_brings_one_summary_in_english() {
    sent_twice_after_a_kill(en_user(SECRETARY, "Binh")).await;
}

/// Reminders still queued in the outbox when the bot stopped (Telegram
/// out of reach since they were queued), the bot started again after the
/// meeting began: none goes out late, across a second restart either;
/// nor those of a meeting cancelled or moved while they waited. The moved
/// meeting is reminded once of its new time, the day before it, in each
/// member's language.
#[tokio::test]
async fn reminders_queued_across_a_stop_are_not_sent_once_they_no_longer_hold() {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    let (moved, moved_summary) = call_meeting(&h, &secretary, "26/11/2026 19:30").await;
    let (cancelled, cancelled_summary) = call_meeting(&h, &secretary, "26/11/2026 20:00").await;
    h.stop_sender().await;
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.set_local(2026, 11, 25, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 8);
    // Moved and cancelled while their reminders wait.
    move_and_cancel(
        &h,
        &secretary,
        (moved, &moved_summary),
        "28/11/2026 19:30",
        (cancelled, &cancelled_summary),
    )
    .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE status = 'cancelled'")
            .await,
        1
    );
    // Killed with the reminders queued; back after the first one began.
    h.kill_bot().await;
    h.set_local(2026, 11, 25, 20, 0);
    h.start_bot().await;
    let reminded = |h: &Harness, when: &str| -> Vec<(i64, usize)> {
        MEMBERS
            .iter()
            .map(|&member| {
                let lang = lang_of(&seeded(member));
                let n = said(h, member, lang, "meeting-reminder")
                    .into_iter()
                    .chain(said(h, member, lang, "meeting-reminder-today"))
                    .filter(|s| s.text.as_deref().unwrap_or_default().contains(when))
                    .count();
                (member, n)
            })
            .collect()
    };
    let none: Vec<(i64, usize)> = MEMBERS.iter().map(|&m| (m, 0)).collect();
    let once: Vec<(i64, usize)> = MEMBERS.iter().map(|&m| (m, 1)).collect();
    for round in 0..2 {
        assert_eq!(h.tick().await.meeting_reminders, 0, "round {round}");
        h.drain().await;
        for when in [
            "25/11/2026 19:30",
            "26/11/2026 19:30",
            "26/11/2026 20:00",
            "28/11/2026",
        ] {
            assert_eq!(reminded(&h, when), none, "round {round}, {when}");
        }
        assert_eq!(
            h.count(
                "SELECT COUNT(*) FROM outbox WHERE payload LIKE '%\"holds\"%' AND status = 'queued'"
            )
            .await,
            0,
            "round {round}"
        );
        h.restart().await;
    }
    // The moved meeting: reminded once, of its new time, the day before.
    h.set_local(2026, 11, 27, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.drain().await;
    h.restart().await;
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.drain().await;
    assert_eq!(reminded(&h, "28/11/2026 19:30"), once);
    for when in ["25/11/2026 19:30", "26/11/2026 19:30", "26/11/2026 20:00"] {
        assert_eq!(reminded(&h, when), none, "{when}");
    }
}

/// A member at a report's date step presses "I cannot attend" and, while
/// the reason is asked, switches `/language` at the very moment the
/// secretary approves their earlier report and the month's reminder round
/// goes out: the switch says in the new language that the question above
/// waits; the decision and the reminder reach them in the new language;
/// the reason typed after it is recorded (said in the new language) and the
/// report goes on where it was, in the new language.
async fn a_language_switched_while_a_reason_waits(from: Lang) {
    let mut h = Harness::start().await;
    let to = if from == Lang::Vi { Lang::En } else { Lang::Vi };
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let (id, _) = call_meeting(&h, &secretary, "27/11/2026 19:30").await;
    let who = if from == Lang::En { 301 } else { 300 };
    let member = seeded(who);
    let invitation = said(&h, who, from, "meeting-invitation")[0].clone();

    // An October report, waiting on the secretary's card.
    let summary = h
        .report_until_summary(&member, other_kind(from), "31/10/2026", "Trồng cây", &[])
        .await;
    let submit = summary.buttons()[0].0.clone();
    h.press(&member, &summary, &submit).await;
    h.drain().await;
    let card = h.last(&secretary);
    let approve = card.button_data("✅ Duyệt").expect("Approve");

    // A new report: the date is asked; then the reason for not attending.
    let kinds = h.ask(&member, "/report").await;
    let kind = kinds.button_texts()[0].clone();
    h.press(&member, &kinds, &kind).await;
    let date = h.last(&member);
    assert!(says(date.text.as_deref(), from, "ask-date"), "{date:?}");
    h.press_data(&member, invitation.message_id, &format!("gd:{id}"))
        .await;
    let choose = h.ask(&member, "/language").await;
    let switch = choose
        .button_data(&text_of(from, &format!("button-language-{}", to.code())))
        .expect("the other language");

    // At once: the switch, the approval and the reminder round.
    h.stop_sender().await;
    let before = h.api.sent_count(member.id);
    let switched = h.api.callback(&member, choose.message_id, &switch);
    let approved = h.api.callback(&secretary, card.message_id, &approve);
    h.set_local(2026, 11, 25, 8, 0);
    let tick = h.tick();
    let (tick, _, _) = tokio::join!(tick, h.handled(switched), h.handled(approved));
    tick.month.expect("November's round");
    h.start_sender(default_sender()).await;
    h.drain().await;
    let shown = h.current(&choose).text.unwrap_or_default();
    assert!(
        shown.ends_with(&text_of(to, "unknown-command-in-dialogue")),
        "{from:?}: {shown}"
    );
    let texts: Vec<String> = h.api.sent(member.id)[before..]
        .iter()
        .filter_map(|s| s.text.clone())
        .collect();
    let count = |lang, id| texts.iter().filter(|t| says(Some(t), lang, id)).count();
    assert_eq!(
        (count(to, "report-approved"), count(from, "report-approved")),
        (1, 0),
        "{from:?}: {texts:?}"
    );
    assert_eq!(
        (count(to, "reminder-member"), count(from, "reminder-member")),
        (1, 0),
        "{from:?}: {texts:?}"
    );

    // The reason, then the report goes on, in the new language.
    let reply = h.ask(&member, "Trực cơ quan").await;
    let body = reply.text.clone().unwrap_or_default();
    assert!(
        says(Some(&body), to, "meeting-decline-recorded")
            && body.ends_with(&tr(to, "dialogue-resumed")),
        "{from:?}: {body}"
    );
    // (The day has changed since the date was asked: it is typed.)
    let asked = h.ask(&member, "24/11/2026").await;
    assert!(
        says(asked.text.as_deref(), to, "ask-description"),
        "{from:?}: {asked:?}"
    );
    let photos = h.ask(&member, "Dự họp tổ dân phố").await;
    assert!(
        says(photos.text.as_deref(), to, "ask-photos"),
        "{from:?}: {photos:?}"
    );
}

#[tokio::test]
async fn a_language_switched_while_a_reason_waits_as_a_decision_and_a_reminder_go() {
    a_language_switched_while_a_reason_waits(Lang::Vi).await;
}

#[tokio::test]
async fn a_language_switched_while_a_reason_waits_as_a_decision_and_a_reminder_go_in_english() {
    a_language_switched_while_a_reason_waits(Lang::En).await;
}

/// `count` characters: `start`, then the widest characters Telegram
/// counts (an emoji, a letter outside the basic plane: two units each),
/// then `end`.
fn widest_text(start: &str, count: usize, end: &str) -> String {
    let body = count - start.chars().count() - end.chars().count();
    let wide: String = "🌲𠀁".chars().cycle().take(body).collect();
    format!("{start}{wide}{end}")
}

/// A meeting of a cell named at its longest (120 characters), placed and
/// with an agenda at theirs (200 and 1,000), all of the widest characters
/// and Vietnamese marks typed apart: the summary, every invitation (the
/// exempt member's too) and every reminder reach Telegram, each with the
/// cell's name, the place and the agenda whole.
async fn longest_meeting(secretary: TgUser) {
    let h = Harness::start().await;
    let lang = lang_of(&secretary);
    let cell = world(&h, &secretary).await;
    let cell_name = widest_text("Chi bo\u{302}\u{323} kho\u{302}\u{301}i ", 120, "END-CELL");
    sqlx::query("UPDATE cells SET name = ? WHERE id = ?")
        .bind(&cell_name)
        .bind(cell)
        .execute(&h.pool)
        .await
        .unwrap();
    let place = widest_text("Nha\u{300} va\u{306}n ho\u{301}a ", 200, "END-PLACE");
    let agenda = widest_text(
        "<b>&amp;</b> `x` Trie\u{302}\u{309}n khai ",
        1000,
        "END-AGENDA",
    );
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "25/11/2026 19:30").await;
    h.ask(&secretary, &place).await;
    let summary = h.ask(&secretary, &agenda).await;
    // Stored as they read: the marks composed.
    use unicode_normalization::UnicodeNormalization;
    let (place, agenda) = (
        place.nfc().collect::<String>(),
        agenda.nfc().collect::<String>(),
    );
    let text = summary.text.clone().unwrap_or_default();
    assert!(text.contains(&place) && text.contains(&agenda), "{text}");
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    h.drain().await;
    let summary = h.last(&secretary).text.unwrap_or_default();
    assert!(
        says(Some(&summary), lang, "meeting-summary-head")
            && summary.contains(&place)
            && summary.contains(&agenda),
        "{summary}"
    );
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.drain().await;
    for (member, lang) in [(300, Lang::Vi), (301, Lang::En), (302, Lang::Vi)] {
        for id in ["meeting-invitation", "meeting-reminder"] {
            let sent = said(&h, member, lang, id);
            assert_eq!(sent.len(), 1, "{member} {id}");
            let text = sent[0].text.clone().unwrap_or_default();
            assert!(
                text.contains(&cell_name) && text.contains(&place) && text.contains(&agenda),
                "{member} {id}: {text}"
            );
        }
    }
    // Two members (the exempt one, and one reading English) cannot
    // attend, each with a reason at its longest: their invitation shows
    // it under the meeting, the agenda still whole.
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM meetings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    for (member, lang) in [(302, Lang::Vi), (301, Lang::En)] {
        let invitation = said(&h, member, lang, "meeting-invitation")[0].clone();
        h.press_data(&seeded(member), invitation.message_id, &format!("gd:{id}"))
            .await;
        let reason = widest_text("Đi công tác ", 500, "END-REASON");
        let reply = h.ask(&seeded(member), &reason).await;
        assert!(
            says(reply.text.as_deref(), lang, "meeting-decline-recorded"),
            "{:?}",
            reply.text
        );
        h.drain().await;
        let shown = h.current(&invitation).text.unwrap_or_default();
        assert!(
            shown.contains(&agenda) && shown.contains(&reason),
            "{member}: {shown}"
        );
    }
    let refused = h.api.refused();
    assert!(refused.is_empty(), "{refused:#?}");
}

#[tokio::test]
async fn a_meeting_of_the_longest_names_place_and_agenda_is_told_whole() {
    longest_meeting(vi_user(SECRETARY, "Bình")).await;
}

#[tokio::test]
async fn a_meeting_of_the_longest_names_place_and_agenda_in_english() {
    longest_meeting(en_user(SECRETARY, "Binh")).await;
}

/// A reason for not attending typed before the meeting began counts when
/// it was typed (as Telegram stamped the message), not when it reached the
/// bot, as a check-in does: the bot down across the start, the reason it
/// handles two hours on is recorded and shown on the summary and the
/// member's invitation, not refused as typed after the start.
async fn reason_typed_before_the_start_after_an_outage(lang: Lang) {
    use lienhe::store::meetings::{Called, NewMeeting};
    let h = Harness::start().await;
    let secretary = user_in(lang, SECRETARY, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    // The fake stamps its messages with the real time: the meeting starts
    // five minutes after it, the bot's clock half an hour before.
    let typed = chrono::Utc::now();
    h.clock.set(typed - chrono::Duration::minutes(30));
    let new = NewMeeting {
        token: "m1",
        cell_id: cell,
        kind: lienhe::domain::meeting::MeetingKind::Periodic,
        starts_at: typed + chrono::Duration::minutes(5),
        place: "Nhà văn hóa khối 5",
        agenda: "Sinh hoạt định kỳ",
        called_by: SECRETARY,
    };
    let id = match lienhe::store::meetings::create(&h.pool, &new, h.app().now(), |_, _| Vec::new())
        .await
        .unwrap()
    {
        Called::New { id, .. } => id,
        other => panic!("{other:?}"),
    };
    let list = h.ask(&member, "/meetings").await;
    let (_, sent) = h
        .press_data(&member, list.message_id, &format!("gi:{id}"))
        .await;
    let invitation = sent.last().expect("the invitation").clone();
    let (_, replies) = h
        .press_data(&member, invitation.message_id, &data_of(&invitation, "gd:"))
        .await;
    assert!(says(replies[0].text.as_deref(), lang, "meeting-ask-reason"));

    // Typed now, five minutes before the start; handled two hours on.
    h.clock.set(typed + chrono::Duration::hours(2));
    let reply = h.ask(&member, "Đi công tác").await;
    assert!(
        says(reply.text.as_deref(), lang, "meeting-decline-recorded"),
        "{:?}",
        reply.text
    );
    let reason: Option<String> = sqlx::query_scalar(
        "SELECT reason FROM meeting_invitations WHERE meeting_id = ? AND user_id = 300",
    )
    .bind(id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(reason.as_deref(), Some("Đi công tác"));
    let shown = h.current(&invitation).text.unwrap();
    assert!(shown.contains("Đi công tác"), "{shown}");
}

#[tokio::test]
async fn a_reason_typed_before_the_start_counts_after_an_outage() {
    reason_typed_before_the_start_after_an_outage(Lang::Vi).await;
}

#[tokio::test]
async fn a_reason_typed_before_the_start_counts_after_an_outage_in_english() {
    reason_typed_before_the_start_after_an_outage(Lang::En).await;
}

/// A member switches `/language` while their meeting notices wait in the
/// outbox (its sender held back from 24/11 to 25/11): the day-before
/// reminder queued on 24/11 and still waiting on the meeting's day ("today"),
/// the one queued on 25/11 ("tomorrow"), a new time and a cancellation all
/// reach them in the language they read when they are sent, with answer
/// buttons in it, as invitations and the monthly reminders do; before, they
/// went in the language they had when the notice was queued.
async fn notices_waiting_as_the_language_switches(to: Lang) {
    let mut h = Harness::start().await;
    let from = if to == Lang::Vi { Lang::En } else { Lang::Vi };
    let secretary = vi_user(SECRETARY, "Bình");
    world(&h, &secretary).await;
    let who = if from == Lang::En { 301 } else { 300 };
    let member = seeded(who);
    call_meeting(&h, &secretary, "25/11/2026 19:30").await;
    call_meeting(&h, &secretary, "26/11/2026 19:30").await;
    let (moved, moved_summary) = call_meeting(&h, &secretary, "27/11/2026 19:30").await;
    let (cancelled, cancelled_summary) = call_meeting(&h, &secretary, "28/11/2026 19:30").await;
    assert_eq!(said(&h, who, from, "meeting-invitation").len(), 4);

    h.stop_sender().await;
    h.set_local(2026, 11, 24, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    h.set_local(2026, 11, 25, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 4);
    move_and_cancel(
        &h,
        &secretary,
        (moved, &moved_summary),
        "29/11/2026 19:30",
        (cancelled, &cancelled_summary),
    )
    .await;

    // The member switches language while all of it waits.
    h.set_local(2026, 11, 25, 8, 5);
    let choose = h.ask(&member, "/language").await;
    let switch = choose
        .button_data(&text_of(from, &format!("button-language-{}", to.code())))
        .expect("the other language");
    h.press_data(&member, choose.message_id, &switch).await;
    let before = h.api.sent_count(member.id);

    h.set_local(2026, 11, 25, 9, 0);
    h.start_sender(default_sender()).await;
    h.drain().await;
    let sent: Vec<Sent> = h.api.sent(member.id)[before..].to_vec();
    let of = |lang: Lang, id: &str, when: &str| -> Vec<Sent> {
        sent.iter()
            .filter(|s| says(s.text.as_deref(), lang, id))
            .filter(|s| s.text.as_deref().unwrap_or_default().contains(when))
            .cloned()
            .collect()
    };
    let texts: Vec<String> = sent.iter().filter_map(|s| s.text.clone()).collect();
    for (id, when) in [
        ("meeting-reminder-today", "25/11/2026 19:30"),
        ("meeting-reminder", "26/11/2026 19:30"),
        ("meeting-notice-postponed", "29/11/2026 19:30"),
        ("meeting-notice-cancelled", "28/11/2026 19:30"),
    ] {
        let (new, old) = (of(to, id, when), of(from, id, when));
        assert_eq!((new.len(), old.len()), (1, 0), "{to:?} {id}: {texts:#?}");
        if id != "meeting-notice-cancelled" {
            let labels = new[0].button_texts();
            assert!(
                labels.contains(&tr(to, "meeting-button-attend")),
                "{to:?} {id}: {labels:?}"
            );
        }
    }
    // The reminder's buttons answer the meeting, in the new language.
    let reminder = of(to, "meeting-reminder", "26/11/2026 19:30")[0].clone();
    let (answer, _) = h
        .press_data(&member, reminder.message_id, &data_of(&reminder, "ga:"))
        .await;
    assert!(
        says(Some(&alert_text(&answer)), to, "meeting-answer-recorded"),
        "{}",
        alert_text(&answer)
    );
}

#[tokio::test]
async fn meeting_notices_waiting_as_the_language_switches_go_in_the_new_one_in_vietnamese() {
    notices_waiting_as_the_language_switches(Lang::Vi).await;
}

#[tokio::test]
async fn meeting_notices_waiting_as_the_language_switches_go_in_the_new_one_in_english() {
    notices_waiting_as_the_language_switches(Lang::En).await;
}

/// /meeting in a cell with no confirmed member: before, it asked the kind,
/// time, place and agenda, then offered "the invitation will go to 0
/// members" with Send. Now it says at once that nobody can be invited yet
/// and how members join (/invite), asking nothing; a secretary of several
/// cells is told so at the press on such a cell, the choice left open for
/// the other cells.
async fn meeting_in_a_cell_with_no_member(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, SECRETARY, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let replies = h.say(&secretary, "/meeting").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    let text = replies[0].text.clone().unwrap_or_default();
    assert!(
        says(Some(&text), lang, "meeting-no-members-yet") && text.contains("Chi bộ khối 5"),
        "{text}"
    );
    assert!(replies[0].buttons().is_empty(), "{replies:?}");
    assert!(!says(Some(&text), lang, "meeting-ask-kind"), "{text}");

    // A member joins; a second cell, still empty, is the secretary's too.
    let member = user_in(lang, 300, "An");
    h.join_approved(&secretary, &member, "Nguyễn Văn An").await;
    let ward = crate::committee::ward_of(&h, cell).await;
    let other = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, other, "Trần Thị Bình").await;
    let choice = h.ask(&secretary, "/meeting").await;
    assert!(
        says(choice.text.as_deref(), lang, "meeting-ask-cell"),
        "{choice:?}"
    );
    let (_, replies) = h.press(&secretary, &choice, "Chi bộ khối 7").await;
    assert!(
        replies.iter().any(|r| {
            says(r.text.as_deref(), lang, "meeting-no-members-yet")
                && r.text
                    .as_deref()
                    .unwrap_or_default()
                    .contains("Chi bộ khối 7")
        }),
        "{replies:?}"
    );
    assert!(
        !replies
            .iter()
            .any(|r| says(r.text.as_deref(), lang, "meeting-ask-kind")),
        "{replies:?}"
    );
    assert!(h.current(&choice).reply_markup.is_some(), "{choice:?}");
    h.press(&secretary, &choice, "Chi bộ khối 5").await;
    let kinds = h.last(&secretary);
    assert!(
        says(kinds.text.as_deref(), lang, "meeting-ask-kind"),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_meeting_in_a_cell_with_no_member_says_so_at_once_vi() {
    meeting_in_a_cell_with_no_member(Lang::Vi).await;
}

#[tokio::test]
async fn a_meeting_in_a_cell_with_no_member_says_so_at_once_en() {
    meeting_in_a_cell_with_no_member(Lang::En).await;
}
