//! A moving clock, year ends and restarts: what waited in the outbox
//! through an outage goes out only while it is still true; months, years
//! and meetings are looked at once whatever the clock did.

use lienhe::domain::Lang;

use crate::common::*;

pub(crate) fn texts_to(h: &Harness, chat: i64) -> Vec<String> {
    h.api
        .sent(chat)
        .into_iter()
        .filter_map(|s| s.text)
        .collect()
}

pub(crate) fn said(h: &Harness, chat: i64, lang: Lang, id: &str) -> Vec<String> {
    texts_to(h, chat)
        .into_iter()
        .filter(|t| says(Some(t), lang, id))
        .collect()
}

/// A secretary (vi, 100), a member An (vi, 300) who joined through the
/// chat, an English member Mai (301), and three seeded silent members.
pub(crate) async fn world(h: &Harness) -> i64 {
    let secretary = vi_user(100, "Bình");
    let an = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &an).await;
    let mai = en_user(301, "Mai");
    let code = h.invite_code(&secretary).await;
    h.request_join(&mai, &code, "Le Thi Mai").await;
    h.press(&secretary, &h.last(&secretary), "✅ Duyệt").await;
    seed_members(h, cell, 5000, 3).await;
    cell
}

/// Calls a cell meeting through the dialogue; returns its id.
pub(crate) async fn call_meeting(h: &Harness, secretary: &TgUser, when: &str) -> i64 {
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
    h.drain().await;
    id
}

// ---------------------------------------------------------------------------
// Monthly rounds across a moving clock

/// November's round was queued but nothing could be sent (the sender
/// down) until the bot came back on 26 December, after December's round
/// fell due. Each member gets one reminder, about the month that still
/// matters, not November's and December's side by side; the secretary one
/// digest, not a month-old snapshot beside the fresh one. The same when
/// the sender comes back before December's round is queued (as at a
/// start, where the sender and the scheduler begin together).
#[tokio::test]
async fn a_round_still_queued_when_the_next_is_due_is_not_sent_beside_it() {
    for sender_first in [false, true] {
        let mut h = Harness::start().await;
        world(&h).await;
        h.stop_sender().await;
        h.set_local(2026, 11, 25, 8, 0);
        let nov = h.tick().await.month.expect("November queued");
        assert_eq!(nov.reminders, 5);
        h.stop_bot().await;
        h.set_local(2026, 12, 26, 9, 0);
        h.start_bot().await;
        if sender_first {
            h.drain().await;
        }
        let dec = h.tick().await.month.expect("December queued");
        assert_eq!(dec.reminders, 5);
        h.drain().await;
        let mut got = Vec::new();
        for (chat, lang) in [(300, Lang::Vi), (301, Lang::En), (5000, Lang::Vi)] {
            let reminders = said(&h, chat, lang, "reminder-member");
            assert!(
                reminders.iter().all(|t| t.contains("12/2026")),
                "{reminders:?}"
            );
            got.push((chat, reminders.len()));
        }
        let digests = said(&h, 100, Lang::Vi, "digest-header");
        got.push((100, digests.len()));
        assert!(
            got.iter().all(|(_, n)| *n == 1),
            "(chat, reminders or digests) on 26/12: {got:?}\n{digests:#?}"
        );
        assert_eq!(
            h.count(
                "SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'queued'"
            )
            .await,
            0
        );
    }
}

/// The bot is down from 24 December to 2 January: December's round is
/// sent once on 2 January (in each member's language, about 12/2026), not
/// again after a restart or another look, and January's comes on the 25th.
#[tokio::test]
async fn december_missed_over_new_year_is_caught_up_once_in_january() {
    let mut h = Harness::start().await;
    world(&h).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("November");
    h.drain().await;
    h.set_local(2026, 12, 24, 23, 0);
    assert_eq!(h.tick().await.month, None);
    h.stop_bot().await;
    h.set_local(2026, 12, 31, 23, 59);
    h.set_local(2027, 1, 2, 9, 0);
    h.start_bot().await;
    let t = h.tick().await;
    assert_eq!(t.month, None, "January's is not due");
    assert_eq!(t.earlier_months.reminders, 5, "{t:?}");
    assert_eq!(h.tick().await.earlier_months.total(), 0);
    h.restart().await;
    assert_eq!(h.tick().await.earlier_months.total(), 0);
    h.drain().await;
    let mai = said(&h, 301, Lang::En, "reminder-member");
    assert_eq!(mai.len(), 2, "{mai:#?}");
    assert!(mai[1].contains("in 12/2026"), "{}", mai[1]);
    let an = said(&h, 300, Lang::Vi, "reminder-member");
    assert_eq!(an.len(), 2, "{an:#?}");
    assert!(an[1].contains("tháng 12/2026"), "{}", an[1]);
    h.set_local(2027, 1, 25, 8, 0);
    let jan = h.tick().await.month.expect("January");
    assert_eq!(jan.reminders, 5);
    h.drain().await;
    let an = said(&h, 300, Lang::Vi, "reminder-member");
    assert_eq!(an.len(), 3, "{an:#?}");
    assert!(an[2].contains("tháng 01/2027"), "{}", an[2]);
}

/// Ticks every minute around the new year and around 1 March (February's
/// end) queue nothing monthly; two looks in the same minute, at the due
/// time, queue the month once.
#[tokio::test]
async fn month_ends_and_two_looks_in_one_minute() {
    let h = Harness::start().await;
    world(&h).await;
    for (y, m) in [(2026, 11), (2026, 12), (2027, 1), (2027, 2)] {
        h.set_local(y, m, 25, 8, 0);
        assert!(h.tick().await.month.is_some(), "{y}-{m}");
    }
    for (y, m, d, hh, mm) in [
        (2026, 12, 31, 23, 59),
        (2027, 1, 1, 0, 0),
        (2027, 1, 1, 0, 1),
        (2027, 2, 28, 23, 59),
        (2027, 3, 1, 0, 0),
    ] {
        h.set_local(y, m, d, hh, mm);
        let t = h.tick().await;
        assert_eq!(t.month, None, "{y}-{m}-{d} {hh}:{mm}");
        assert_eq!(t.earlier_months.total(), 0, "{y}-{m}-{d} {hh}:{mm}: {t:?}");
    }
    h.set_local(2027, 3, 25, 8, 0);
    let (a, b) = tokio::join!(h.tick(), h.tick());
    let total = a.month.map_or(0, |q| q.reminders) + b.month.map_or(0, |q| q.reminders);
    assert_eq!(total, 5, "{a:?} {b:?}");
    h.drain().await;
    for chat in [300, 301, 5000, 5001, 5002] {
        let n = texts_to(&h, chat)
            .iter()
            .filter(|t| t.contains("03/2027"))
            .count();
        assert_eq!(n, 1, "chat {chat}");
    }
}

/// The clock jumps forward two months and back: each month's round is
/// queued at most once, and a month seen "from the future" is not queued
/// again when the clock comes back.
#[tokio::test]
async fn the_clock_jumping_forward_then_back_queues_nothing_twice() {
    let h = Harness::start().await;
    world(&h).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("November");
    h.set_local(2027, 1, 26, 9, 0);
    let jan = h.tick().await;
    assert!(jan.month.is_some(), "{jan:?}");
    h.set_local(2026, 11, 26, 9, 0);
    let back = h.tick().await;
    assert_eq!(back.month, None, "{back:?}");
    assert_eq!(back.earlier_months.total(), 0, "{back:?}");
    h.set_local(2026, 12, 25, 8, 0);
    let dec = h.tick().await;
    h.drain().await;
    let an: Vec<String> = said(&h, 300, Lang::Vi, "reminder-member");
    let mut months: Vec<&str> = an
        .iter()
        .map(|t| {
            let at = t.find("tháng ").unwrap() + "tháng ".len();
            &t[at..at + 7]
        })
        .collect();
    months.sort();
    let before = months.len();
    months.dedup();
    assert_eq!(months.len(), before, "a month twice: {an:#?} {dec:?}");
}

// ---------------------------------------------------------------------------
// Meetings around the new year

/// A meeting on 1 January at 09:00, called on 30 December. The bot is
/// down on the 31st at the reminder's hour and comes back at 00:00 on the
/// 1st: the reminder goes once and says "today", in each member's
/// language, with 01/01/2027 09:00.
#[tokio::test]
async fn a_new_years_day_meeting_reminded_after_midnight_says_today() {
    let mut h = Harness::start().await;
    world(&h).await;
    let secretary = vi_user(100, "Bình");
    h.set_local(2026, 12, 30, 10, 0);
    call_meeting(&h, &secretary, "01/01/2027 09:00").await;
    h.set_local(2026, 12, 31, 7, 59);
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.stop_bot().await;
    h.set_local(2027, 1, 1, 0, 0);
    h.start_bot().await;
    let t = h.tick().await;
    assert_eq!(t.meeting_reminders, 5, "{t:?}");
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.restart().await;
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.drain().await;
    let mai = said(&h, 301, Lang::En, "meeting-reminder-today");
    assert_eq!(mai.len(), 1, "{:#?}", texts_to(&h, 301));
    assert!(mai[0].contains("01/01/2027 09:00"), "{}", mai[0]);
    assert!(
        said(&h, 301, Lang::En, "meeting-reminder")
            .iter()
            .all(|t| !t.contains("tomorrow"))
    );
    let an = said(&h, 300, Lang::Vi, "meeting-reminder-today");
    assert_eq!(an.len(), 1, "{:#?}", texts_to(&h, 300));
    assert!(an[0].contains("01/01/2027 09:00"), "{}", an[0]);
}

/// The clock jumps past a meeting (no reminder about the past), then back
/// to the day before (the reminder goes, once), then forward again.
#[tokio::test]
async fn a_meeting_when_the_clock_jumps_past_it_and_back() {
    let h = Harness::start().await;
    world(&h).await;
    let secretary = vi_user(100, "Bình");
    call_meeting(&h, &secretary, "27/11/2026 19:30").await;
    h.set_local(2026, 11, 28, 9, 0);
    let past = h.tick().await;
    assert_eq!(past.meeting_reminders, 0, "{past:?}");
    h.set_local(2026, 11, 26, 9, 0);
    assert_eq!(h.tick().await.meeting_reminders, 5);
    h.set_local(2026, 11, 26, 9, 0);
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.set_local(2026, 11, 27, 9, 0);
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.drain().await;
    for (chat, lang) in [(300, Lang::Vi), (301, Lang::En), (5000, Lang::Vi)] {
        let got = said(&h, chat, lang, "meeting-reminder");
        let today = said(&h, chat, lang, "meeting-reminder-today");
        assert_eq!(
            got.len() + today.len(),
            1,
            "chat {chat}: {got:#?} {today:#?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Reports around midnight and the new year

/// At 00:05 on 1 January local time (still 31 December in UTC) "Today"
/// is 01/01/2027 and "Yesterday" 31/12/2026; "31/12" typed means 2026.
#[tokio::test]
async fn today_just_after_midnight_is_the_local_day() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let an = vi_user(300, "An");
    h.cell_with_member(&secretary, &an).await;
    h.set_local(2027, 1, 1, 0, 5);
    for (date, want) in [
        ("Hôm nay", "2027-01-01"),
        ("Hôm qua", "2026-12-31"),
        ("31/12", "2026-12-31"),
    ] {
        let summary = h
            .report_until_summary(&an, "Hoạt động khác", date, "Dọn vệ sinh", &[])
            .await;
        h.press(&an, &summary, "Gửi báo cáo").await;
        let stored: String =
            sqlx::query_scalar("SELECT activity_date FROM reports ORDER BY id DESC LIMIT 1")
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert_eq!(stored, want, "{date}");
    }
    // A date after today is refused.
    let kinds = h.ask(&an, "/report").await;
    h.press(&an, &kinds, "Hoạt động khác").await;
    let reply = h.ask(&an, "02/01/2027").await;
    assert!(
        reply.text.clone().unwrap_or_default().contains("tương lai"),
        "{:?}",
        reply.text
    );
    h.ask(&an, "/cancel").await;
    let mine = h.ask(&an, "/myreports").await.text.unwrap();
    assert!(mine.contains("2026") && mine.contains("2027"), "{mine}");
}

/// `member` opens /report at the given local time and chooses "other":
/// the date question.
async fn date_question_at(
    h: &Harness,
    member: &TgUser,
    (y, m, d, hh, mm): (i32, u32, u32, u32, u32),
) -> Sent {
    let lang = lang_of(member);
    h.set_local(y, m, d, hh, mm);
    let kinds = h.ask(member, "/report").await;
    h.press(member, &kinds, other_kind(lang)).await;
    let asked = h.last(member);
    assert!(says(asked.text.as_deref(), lang, "ask-date"), "{asked:?}");
    asked
}

/// From the description question to the stored report: its activity date.
async fn described_and_submitted(h: &Harness, member: &TgUser, want_shown: &str) -> String {
    let photos = h.ask(member, "Dọn vệ sinh khu phố").await;
    let skip = photos.buttons()[0].0.clone();
    h.press(member, &photos, &skip).await;
    let summary = h.last(member);
    let text = summary.text.clone().unwrap_or_default();
    assert!(text.contains(want_shown), "the summary's date: {text}");
    h.press_data(member, summary.message_id, &data_of(&summary, "rs"))
        .await;
    sqlx::query_scalar("SELECT activity_date FROM reports ORDER BY id DESC LIMIT 1")
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// Today or Yesterday, pressed or typed, in answer to the date question
/// shown on `asked`, read on `now`: which day is meant cannot be told, so
/// nothing is dated and the question is asked anew, naming both days (the
/// old question's buttons go). Returns the new question.
async fn answered_on_another_day(
    h: &Harness,
    member: &TgUser,
    asked: (i32, u32, u32, u32, u32),
    now: (i32, u32, u32, u32, u32),
    answer: &str,
) -> Sent {
    let lang = lang_of(member);
    let reports = "SELECT COUNT(*) FROM reports";
    let before = h.count(reports).await;
    let question = date_question_at(h, member, asked).await;
    h.set_local(now.0, now.1, now.2, now.3, now.4);
    let again = if answer.starts_with("button-") {
        let (_, replies) = h.press(member, &question, &text_of(lang, answer)).await;
        assert!(h.current(&question).buttons().is_empty(), "{lang:?}");
        replies.last().cloned().expect("asked again")
    } else {
        h.ask(member, answer).await
    };
    let text = again.text.as_deref();
    let (day, month, year) = (asked.2, asked.1, asked.0);
    let (nd, nm, ny) = (now.2, now.1, now.0);
    let both = [
        format!("{day:02}/{month:02}/{year}"),
        format!("{nd:02}/{nm:02}/{ny}"),
    ];
    assert!(
        says(text, lang, "error-date-asked-another-day")
            && says(text, lang, "ask-date")
            && both
                .iter()
                .all(|d| text.unwrap_or_default().contains(d.as_str())),
        "{lang:?} {answer}: {again:?}"
    );
    assert_eq!(h.count(reports).await, before, "nothing dated");
    again
}

/// The date question seen at 23:58 on 31/12/2026 and answered at 00:01
/// on 01/01/2027 (or by a bot catching up after midnight) with Today or
/// Yesterday, pressed or typed: asked anew rather than dated 01/01/2027,
/// in the next month and review year; the new question's Yesterday is
/// 31/12/2026.
#[tokio::test]
async fn today_answered_after_midnight_is_asked_again() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        for answer in ["button-today", "button-yesterday", "hôm nay", "Yesterday"] {
            let (asked, now) = ((2026, 12, 31, 23, 58), (2027, 1, 1, 0, 1));
            let again = answered_on_another_day(&h, &member, asked, now, answer).await;
            h.press(&member, &again, &text_of(lang, "button-yesterday"))
                .await;
            let stored = described_and_submitted(&h, &member, "31/12/2026").await;
            assert_eq!(stored, "2026-12-31", "{lang:?} {answer}");
        }
    }
}

/// A date question left open for days and then answered with Today:
/// asked anew; the new question's Today is the day it shows. A typed date
/// is read as on any day.
#[tokio::test]
async fn a_stale_date_question_is_asked_again() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let (asked, now) = ((2027, 3, 3, 10, 0), (2027, 3, 6, 9, 0));
        let again = answered_on_another_day(&h, &member, asked, now, "button-today").await;
        h.press(&member, &again, &text_of(lang, "button-today"))
            .await;
        let stored = described_and_submitted(&h, &member, "06/03/2027").await;
        assert_eq!(stored, "2027-03-06", "{lang:?}");

        let (asked, now) = ((2027, 3, 7, 10, 0), (2027, 3, 9, 9, 0));
        answered_on_another_day(&h, &member, asked, now, "hôm nay").await;
        h.ask(&member, "07/03/2027").await;
        let stored = described_and_submitted(&h, &member, "07/03/2027").await;
        assert_eq!(stored, "2027-03-07", "{lang:?}");
    }
}

/// The date question shown at 23:59 of `day`, the answer typed at
/// 23:59:50 and handled at 00:00:10 of the next day (a busy bot, or one
/// catching up): the date stored, `want` (dd/mm/yyyy) on the summary.
async fn typed_before_midnight(
    h: &Harness,
    member: &TgUser,
    (y, m, d): (i32, u32, u32),
    (typed, want, stored_before): (&str, &str, bool),
) -> String {
    use chrono::TimeZone;
    let lang = lang_of(member);
    date_question_at(h, member, (y, m, d, 23, 59)).await;
    if stored_before {
        // A draft stored before the day of the question was kept.
        let asked = format!(",\"date_asked\":\"{y:04}-{m:02}-{d:02}\"");
        sqlx::query("UPDATE dialogues SET state = replace(state, ?, '') WHERE chat_id = ?")
            .bind(&asked)
            .bind(member.id)
            .execute(&h.pool)
            .await
            .unwrap();
        let state: String = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
            .bind(member.id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert!(!state.contains("date_asked"), "{state}");
    }
    let at = |hh, mm, ss| TZ.with_ymd_and_hms(y, m, d, hh, mm, ss).unwrap();
    h.clock
        .set((at(0, 0, 10) + chrono::Duration::days(1)).with_timezone(&chrono::Utc));
    let before = h.api.sent_count(member.id);
    h.api
        .text_sent_at(member, typed, at(23, 59, 50).timestamp());
    h.quiet().await;
    let replies = h.api.sent(member.id).split_off(before);
    let next = replies.last().and_then(|s| s.text.as_deref());
    assert!(says(next, lang, "ask-description"), "{typed}: {replies:?}");
    described_and_submitted(h, member, want).await
}

/// "Today", "Yesterday" or a day without its year, typed at 23:59:50 on
/// 31/12, 30/11 or 28/02 and handled at 00:00:10: dated from the day the
/// member wrote it (the message's own date), not asked anew nor dated in
/// the next day, month or year; also in a draft stored before the day of
/// the question was kept.
#[tokio::test]
async fn a_date_typed_before_midnight_and_handled_after_is_the_day_it_was_typed() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        for (day, typed, want, stored_before) in [
            ((2026, 12, 31), "hôm nay", "31/12/2026", false),
            ((2026, 12, 31), "Yesterday", "30/12/2026", false),
            ((2026, 12, 31), "1/1", "01/01/2026", false),
            ((2026, 11, 30), "today", "30/11/2026", false),
            ((2027, 2, 28), "Hôm qua", "27/02/2027", false),
            ((2026, 12, 31), "Today", "31/12/2026", true),
        ] {
            let answer = (typed, want, stored_before);
            let stored = typed_before_midnight(&h, &member, day, answer).await;
            let iso = chrono::NaiveDate::parse_from_str(want, "%d/%m/%Y").unwrap();
            assert_eq!(stored, iso.to_string(), "{lang:?} {day:?} {typed}");
        }
    }
}

// ---------------------------------------------------------------------------
// Many members at the turn of the month; a restart mid-round

/// Pushes a press of `label` on each user's last message, then waits for
/// every press to be handled.
async fn all_press(h: &Harness, users: &[TgUser], label: &str) {
    let mut updates = Vec::new();
    for u in users {
        let last = h.last(u);
        let data = last
            .button_data(label)
            .unwrap_or_else(|| panic!("{}: no {label:?} on {:?}", u.id, last.text));
        updates.push(h.api.callback(u, last.message_id, &data));
    }
    for u in updates {
        h.handled(u).await;
    }
}

async fn all_say(h: &Harness, users: &[TgUser], text: &str) {
    let mut updates = Vec::new();
    for u in users {
        updates.push(h.api.text(u, text));
    }
    for u in updates {
        h.handled(u).await;
    }
}

/// 35 members reminded for November press "Report now" at 23:59 on 30
/// November and finish their reports just after midnight: each has one
/// report dated 01/12/2026 (today when "Today" was pressed), one reminder
/// in all, and none in December's round.
#[tokio::test]
async fn thirty_five_members_answer_the_reminder_as_the_month_turns() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let an = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &an).await;
    seed_members(&h, cell, 6000, 35).await;
    let users: Vec<TgUser> = (6000..6035)
        .map(|id| vi_user(id, &format!("dv{id}")))
        .collect();
    h.set_local(2026, 11, 25, 8, 0);
    assert_eq!(h.tick().await.month.expect("November").reminders, 36);
    h.drain().await;
    h.set_local(2026, 11, 30, 23, 59);
    all_press(&h, &users, "📝 Báo cáo ngay").await;
    h.set_local(2026, 12, 1, 0, 0);
    // The month's turn: a look of the scheduler meanwhile.
    let t = h.tick().await;
    assert_eq!(t.month, None);
    all_press(&h, &users, "Hoạt động khác").await;
    all_press(&h, &users, "Hôm nay").await;
    all_say(&h, &users, "Tổng vệ sinh khu phố").await;
    let skip = h.last(&users[0]).buttons()[0].0.clone();
    all_press(&h, &users, &skip).await;
    all_press(&h, &users, "Gửi báo cáo").await;
    h.quiet().await;
    h.drain().await;
    let dated: Vec<(String, i64)> =
        sqlx::query_as("SELECT activity_date, COUNT(*) FROM reports GROUP BY activity_date")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(dated, vec![("2026-12-01".to_string(), 35)]);
    h.set_local(2026, 12, 25, 8, 0);
    let dec = h.tick().await.month.expect("December");
    assert_eq!(dec.reminders, 1, "only An: {dec:?}");
    h.drain().await;
    for u in &users {
        let n = said(&h, u.id, Lang::Vi, "reminder-member").len();
        assert_eq!(n, 1, "chat {}", u.id);
    }
    assert_eq!(said(&h, 300, Lang::Vi, "reminder-member").len(), 2);
}

/// The bot restarted (gracefully) while its round drains: every member
/// gets exactly one reminder.
#[tokio::test]
async fn a_restart_mid_round_sends_every_reminder_exactly_once() {
    use std::time::Duration;
    let mut h = Harness::start().await;
    let ward = h.ward("P").await;
    let cell = h.cell(ward, "Chi bộ C").await;
    seed_members(&h, cell, 8000, 40).await;
    h.start_sender(lienhe::jobs::sender::SenderConfig {
        rate: 20.0,
        ..default_sender()
    })
    .await;
    h.set_local(2026, 11, 25, 8, 0);
    assert_eq!(h.tick().await.month.expect("November").reminders, 40);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while h
        .count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL AND status = 'sent'")
        .await
        < 10
    {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    h.restart().await;
    // And a look of the new process at once, as `lienhe run` does.
    assert_eq!(h.tick().await.month, None);
    h.drain().await;
    for chat in 8000..8040 {
        let n = said(&h, chat, Lang::Vi, "reminder-member").len();
        assert_eq!(n, 1, "chat {chat}");
    }
}

/// The register of a meeting was left open; its reminder to the secretary
/// was queued but could not be sent (the sender down) until after the
/// correction period ended. Sent then, it asks to close the register "by"
/// a time already past, which /attendance refuses: it should not be sent.
#[tokio::test]
async fn a_register_reminder_is_not_sent_after_the_register_can_no_longer_be_closed() {
    let mut h = Harness::start().await;
    world(&h).await;
    let secretary = vi_user(100, "Bình");
    call_meeting(&h, &secretary, "27/11/2026 19:30").await;
    h.stop_sender().await;
    // The check-in ended at 23:30: reminded the morning after.
    h.set_local(2026, 11, 28, 8, 0);
    assert_eq!(h.tick().await.open_registers, 1);
    // Telegram unreachable (or the bot down) for a week.
    h.set_local(2026, 12, 5, 9, 0);
    assert_eq!(h.tick().await.open_registers, 0);
    h.start_sender(default_sender()).await;
    h.drain().await;
    let told = said(&h, 100, Lang::Vi, "meeting-register-open");
    let late = h
        .ask(&secretary, "/attendance")
        .await
        .text
        .unwrap_or_default();
    assert!(
        told.is_empty(),
        "sent on 05/12/2026 09:00:\n{told:#?}\n/attendance then says: {late}"
    );
}

/// A note "report pending over 7 days" queued while the sender was down;
/// the secretary decided the report before the note could go out. Sent
/// afterwards, it points out as waiting a report already decided.
#[tokio::test]
async fn a_stale_note_for_a_report_decided_meanwhile_is_not_sent() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let an = vi_user(300, "An");
    h.cell_with_member(&secretary, &an).await;
    let summary = h
        .report_until_summary(&an, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&an, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    // The month's digest first (not yet a week).
    h.set_local(2026, 11, 27, 9, 0);
    h.tick().await.month.expect("November");
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 1);
    h.press(&secretary, &card, "✅ Duyệt").await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let notes = said(&h, 100, Lang::Vi, "digest-stale");
    assert!(notes.is_empty(), "after the approval: {notes:#?}");
}

/// The bot is down from 24 December until 07:30 on 25 January, half an
/// hour before January's round: December's missed round is not caught up
/// then (its members would be reminded of December and, half an hour
/// later, of January), and January's goes out at 08:00, once.
#[tokio::test]
async fn a_month_missed_until_just_before_the_next_round_is_not_sent_beside_it() {
    let mut h = Harness::start().await;
    world(&h).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("November");
    h.drain().await;
    h.set_local(2026, 12, 24, 23, 0);
    assert_eq!(h.tick().await.month, None);
    h.stop_bot().await;
    h.set_local(2027, 1, 25, 7, 30);
    h.start_bot().await;
    let t = h.tick().await;
    assert_eq!(t.month, None, "January's is not due");
    assert_eq!(t.earlier_months.total(), 0, "{t:?}");
    h.drain().await;
    h.set_local(2027, 1, 25, 8, 0);
    let jan = h.tick().await.month.expect("January");
    assert_eq!(jan.reminders, 5);
    h.drain().await;
    for (chat, lang) in [(300, Lang::Vi), (301, Lang::En), (5000, Lang::Vi)] {
        let reminders = said(&h, chat, lang, "reminder-member");
        assert_eq!(
            reminders.len(),
            2,
            "November's and January's: {reminders:#?}"
        );
        assert!(reminders[1].contains("01/2027"), "{}", reminders[1]);
    }
    let digests = said(&h, 100, Lang::Vi, "digest-header");
    assert_eq!(digests.len(), 2, "November's and January's: {digests:#?}");
}
