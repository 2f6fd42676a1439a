//! A bot restarted late, or whose clock jumped: monthly rounds, meeting
//! reminders, stale notes and escalations are decided from the wall clock
//! and the database at every look, so what fell due while it was down is
//! caught up exactly once, under its own month, and nothing goes twice.

use lienhe::domain::Lang;

use crate::{
    clock::{call_meeting, said, texts_to, world},
    committee::{make_supervisor, submit_report, ward_of},
    common::*,
};

/// Member reminders each chat got, in its language.
fn reminders(h: &Harness) -> Vec<(i64, Vec<String>)> {
    [(300, Lang::Vi), (301, Lang::En), (5000, Lang::Vi)]
        .into_iter()
        .map(|(chat, lang)| (chat, said(h, chat, lang, "reminder-member")))
        .collect()
}

/// Stopped on 28 December after December's round, back on 2 February:
/// January's round goes once, about 01/2027 (not December's again), in
/// each member's language; a second restart the same day sends nothing;
/// February's goes on the 25th.
#[tokio::test]
async fn stopped_in_december_and_back_in_february_sends_january_once() {
    let mut h = Harness::start().await;
    world(&h).await;
    h.set_local(2026, 12, 25, 8, 0);
    h.tick().await.month.expect("December");
    h.drain().await;
    h.set_local(2026, 12, 28, 9, 0);
    h.tick().await;
    h.stop_bot().await;
    h.set_local(2027, 2, 2, 9, 0);
    h.start_bot().await;
    let t = h.tick().await;
    assert_eq!(t.month, None, "February's is not due: {t:?}");
    assert_eq!(t.earlier_months.reminders, 5, "{t:?}");
    h.restart().await;
    let again = h.tick().await;
    assert_eq!(again.month, None, "{again:?}");
    assert_eq!(again.earlier_months.total(), 0, "{again:?}");
    h.drain().await;
    for (chat, got) in reminders(&h) {
        assert_eq!(got.len(), 2, "chat {chat}: {got:#?}");
        assert!(got[0].contains("12/2026"), "chat {chat}: {}", got[0]);
        assert!(got[1].contains("01/2027"), "chat {chat}: {}", got[1]);
    }
    let digests = said(&h, 100, Lang::Vi, "digest-header");
    assert_eq!(digests.len(), 2, "{digests:#?}");
    assert!(digests[1].contains("01/2027"), "{}", digests[1]);
    h.set_local(2027, 2, 25, 8, 0);
    assert_eq!(h.tick().await.month.expect("February").reminders, 5);
    h.drain().await;
    for (chat, got) in reminders(&h) {
        assert_eq!(got.len(), 3, "chat {chat}: {got:#?}");
        assert!(got[2].contains("02/2027"), "chat {chat}: {}", got[2]);
    }
}

/// Stopped on 28 December after December's round, back on 3 January:
/// nothing monthly goes (December's was sent, January's is not due), at
/// the restart or after a second one.
#[tokio::test]
async fn stopped_in_december_and_back_on_3_january_sends_nothing_monthly() {
    let mut h = Harness::start().await;
    world(&h).await;
    h.set_local(2026, 12, 25, 8, 0);
    h.tick().await.month.expect("December");
    h.drain().await;
    h.stop_bot().await;
    h.set_local(2027, 1, 3, 9, 0);
    h.start_bot().await;
    for _ in 0..2 {
        let t = h.tick().await;
        assert_eq!(t.month, None, "{t:?}");
        assert_eq!(t.earlier_months.total(), 0, "{t:?}");
        h.restart().await;
    }
    h.drain().await;
    for (chat, got) in reminders(&h) {
        assert_eq!(got.len(), 1, "chat {chat}: {got:#?}");
    }
}

/// January's round went out; the clock is then set back a day, a month,
/// to New Year's Eve (an NTP correction), with restarts, and forward
/// again: no round goes twice nor another month's in its place.
#[tokio::test]
async fn the_clock_set_back_after_januarys_round_sends_nothing_again() {
    let mut h = Harness::start().await;
    world(&h).await;
    h.set_local(2026, 12, 25, 8, 0);
    h.tick().await.month.expect("December");
    h.drain().await;
    h.set_local(2027, 1, 25, 8, 0);
    h.tick().await.month.expect("January");
    h.drain().await;
    for (y, m, d, hh, mm) in [
        (2027, 1, 24, 8, 0),
        (2026, 12, 25, 9, 0),
        (2026, 12, 31, 23, 0),
        (2027, 1, 25, 8, 0),
        (2027, 1, 26, 9, 0),
    ] {
        h.set_local(y, m, d, hh, mm);
        for _ in 0..2 {
            let t = h.tick().await;
            assert_eq!(t.month, None, "{y}-{m}-{d}: {t:?}");
            assert_eq!(t.earlier_months.total(), 0, "{y}-{m}-{d}: {t:?}");
            h.restart().await;
        }
    }
    h.drain().await;
    for (chat, got) in reminders(&h) {
        assert_eq!(got.len(), 2, "chat {chat}: {got:#?}");
    }
    assert_eq!(said(&h, 100, Lang::Vi, "digest-header").len(), 2);
}

/// Two meetings called on 28 December; the bot is down until 10:00 on 3
/// January. The one of 2 January began while it was down: no reminder of
/// it. The one of 3 January at 19:00 is reminded once, "today", in each
/// member's language, also after a restart.
#[tokio::test]
async fn meetings_whose_reminder_fell_due_while_the_bot_was_down() {
    let mut h = Harness::start().await;
    world(&h).await;
    let secretary = vi_user(100, "Bình");
    h.set_local(2026, 12, 28, 10, 0);
    call_meeting(&h, &secretary, "02/01/2027 09:00").await;
    call_meeting(&h, &secretary, "03/01/2027 19:00").await;
    h.stop_bot().await;
    h.set_local(2027, 1, 3, 10, 0);
    h.start_bot().await;
    let t = h.tick().await;
    assert_eq!(t.meeting_reminders, 5, "{t:?}");
    h.restart().await;
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.drain().await;
    for (chat, lang) in [(300, Lang::Vi), (301, Lang::En), (5000, Lang::Vi)] {
        let today = said(&h, chat, lang, "meeting-reminder-today");
        let tomorrow = said(&h, chat, lang, "meeting-reminder");
        assert_eq!(today.len(), 1, "chat {chat}: {today:#?} {tomorrow:#?}");
        assert!(today[0].contains("03/01/2027 19:00"), "{}", today[0]);
        assert!(tomorrow.is_empty(), "chat {chat}: {tomorrow:#?}");
    }
}

/// A report submitted on 28 December waits through New Year while the bot
/// is down until 12 January (15 days): the secretary is told once, dated
/// 28/12/2026, and the ward's supervisors once, not again after a restart
/// nor on the next day.
#[tokio::test]
async fn a_report_pending_across_new_year_is_pointed_out_and_escalated_once() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let supervisor = user_in(lang, 800, "Giám sát");
        let cell = h.cell_with_member(&secretary, &member).await;
        let ward = ward_of(&h, cell).await;
        make_supervisor(&h, ward, &supervisor).await;
        h.set_local(2026, 12, 28, 10, 0);
        submit_report(&h, &member, "Dọn vệ sinh khu phố").await;
        h.drain().await;
        h.stop_bot().await;
        h.set_local(2027, 1, 12, 9, 0);
        h.start_bot().await;
        let t = h.tick().await;
        assert_eq!(t.stale_notes, 1, "{t:?}");
        assert_eq!(t.escalated.supervisors, 1, "{t:?}");
        h.restart().await;
        let t = h.tick().await;
        assert_eq!((t.stale_notes, t.escalated.supervisors), (0, 0), "{t:?}");
        h.set_local(2027, 1, 13, 9, 0);
        let t = h.tick().await;
        assert_eq!((t.stale_notes, t.escalated.supervisors), (0, 0), "{t:?}");
        h.drain().await;
        let notes = said(&h, 100, lang, "digest-stale");
        assert_eq!(notes.len(), 1, "{:#?}", texts_to(&h, 100));
        assert!(notes[0].contains("28/12/2026"), "{}", notes[0]);
        let told = said(&h, 800, lang, "escalation-supervisors");
        assert_eq!(told.len(), 1, "{:#?}", texts_to(&h, 800));
    }
}

/// A cell with no periodic meeting in July–December; the bot is down from
/// 24 December to 2 January. December's digest, caught up on 2 January,
/// said "no periodic meeting in this half-year yet (01/07/2026 to
/// 31/12/2026)" of a half-year already over; it now says none was held in
/// it. November's digest, in the half, still says "yet".
#[tokio::test]
async fn a_digest_caught_up_after_its_half_year_speaks_of_it_as_past() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        h.set_local(2026, 11, 25, 8, 0);
        h.tick().await.month.expect("November");
        h.drain().await;
        let november = digests_to(&h, 100, lang, "digest-header");
        assert_eq!(november.len(), 1, "{november:#?}");
        assert!(
            says(Some(&november[0]), lang, "attendance-digest-half"),
            "{}",
            november[0]
        );
        h.set_local(2026, 12, 24, 23, 0);
        h.tick().await;
        h.stop_bot().await;
        h.set_local(2027, 1, 2, 9, 0);
        h.start_bot().await;
        assert_eq!(h.tick().await.earlier_months.digests, 1);
        h.drain().await;
        let digests = digests_to(&h, 100, lang, "digest-header");
        assert_eq!(digests.len(), 2, "{digests:#?}");
        let december = &digests[1];
        assert!(december.contains("12/2026"), "{december}");
        assert!(
            says(Some(december), lang, "attendance-digest-past-half")
                && december.contains("01/07/2026")
                && december.contains("31/12/2026"),
            "{december}"
        );
        assert!(
            !says(Some(december), lang, "attendance-digest-half"),
            "{december}"
        );
    }
}

/// October's round, missed while the bot was down from 24 October to 2
/// November, is caught up on 2 November. Its officers' digest named the
/// comment sheets of 2026 "not yet signed", although they could not be
/// written in October (the review season opens on 1 November) and
/// October's digest, sent on its day, says nothing of them. It now leaves
/// them out; November's names them.
#[tokio::test]
async fn octobers_officer_digest_caught_up_in_november_names_no_unsigned_sheet() {
    let mut h = Harness::start().await;
    h.set_local(2026, 9, 20, 10, 0);
    let cell = h.cell_setup().await;
    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    insert_members(&h, cell, Some(1), 500, 2, "approved").await;
    h.drain().await;
    h.set_local(2026, 9, 25, 8, 0);
    h.tick().await.month.expect("September");
    h.drain().await;
    h.set_local(2026, 10, 24, 23, 0);
    h.tick().await;
    h.stop_bot().await;
    h.set_local(2026, 11, 2, 9, 0);
    h.start_bot().await;
    let t = h.tick().await;
    assert_eq!(t.earlier_months.officer_digests, 1, "{t:?}");
    h.drain().await;
    let digests = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    assert_eq!(digests.len(), 2, "{digests:#?}");
    let october = &digests[1];
    assert!(october.contains("10/2026"), "{october}");
    assert!(
        !says(Some(october), Lang::Vi, "officer-digest-unsigned"),
        "{october}"
    );
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("November");
    h.drain().await;
    let digests = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    assert_eq!(digests.len(), 3, "{digests:#?}");
    assert!(
        says(Some(&digests[2]), Lang::Vi, "officer-digest-unsigned"),
        "{}",
        digests[2]
    );
}

/// The held meetings and those attended in `year`, summed over the cell's
/// rows of the export (its last two columns).
async fn meetings_of_year(h: &Harness, cell: i64, year: i32) -> (f64, f64) {
    let today = h.app().now().with_timezone(&TZ).date_naive();
    let table = lienhe::export::table(
        &h.pool,
        lienhe::store::yearly::Scope::Cell(cell),
        year,
        today,
        TZ,
        Lang::Vi,
    )
    .await
    .unwrap();
    let n = table.headers.len();
    let number = |v: &lienhe::export::Value| match v {
        lienhe::export::Value::Number(x) => *x,
        other => panic!("{other:?}"),
    };
    let held = table
        .rows
        .iter()
        .map(|r| number(&r[n - 2]))
        .fold(0.0, f64::max);
    let attended = table.rows.iter().map(|r| number(&r[n - 1])).sum();
    (held, attended)
}

/// A meeting at 23:30 on 31 December and one at 08:00 on 1 January, called
/// on 29 December; the bot is down from 20:00 on 31 December to 10:00 on
/// 1 January. Each is reminded once, the day before, in each member's
/// language; nothing goes at the restart (both began while it was down).
/// Both registers are closed on 1 January, from /attendance: the meeting of
/// 31 December counts in 2026's figures (An present), the one of 1
/// January in 2027's (Mai present), each year one meeting held: the
/// export, the officer's `/status 2026` and `/status 2027` in both
/// languages, and An's sheet of 2026.
#[tokio::test]
async fn meetings_either_side_of_midnight_on_new_years_eve_across_an_outage() {
    let mut h = Harness::start().await;
    let cell = world(&h).await;
    let secretary = vi_user(100, "Bình");
    h.set_local(2026, 12, 29, 10, 0);
    let eve = call_meeting(&h, &secretary, "31/12/2026 23:30").await;
    let day = call_meeting(&h, &secretary, "01/01/2027 08:00").await;
    h.set_local(2026, 12, 30, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 5);
    h.set_local(2026, 12, 31, 8, 0);
    assert_eq!(h.tick().await.meeting_reminders, 5);
    h.set_local(2026, 12, 31, 20, 0);
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.drain().await;
    h.stop_bot().await;
    h.set_local(2027, 1, 1, 10, 0);
    h.start_bot().await;
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.restart().await;
    assert_eq!(h.tick().await.meeting_reminders, 0);
    h.drain().await;
    for (chat, lang) in [(300, Lang::Vi), (301, Lang::En), (5000, Lang::Vi)] {
        let got: Vec<String> = said(&h, chat, lang, "meeting-reminder")
            .into_iter()
            .chain(said(&h, chat, lang, "meeting-reminder-today"))
            .collect();
        for when in ["31/12/2026 23:30", "01/01/2027 08:00"] {
            let n = got.iter().filter(|t| t.contains(when)).count();
            assert_eq!(n, 1, "chat {chat}, {when}: {got:#?}");
        }
    }

    // Both registers closed on New Year's Day.
    let an = h.membership_of(300).await;
    let mai = h.membership_of(301).await;
    for (id, present) in [(eve, an), (day, mai)] {
        let list = h.ask(&secretary, "/attendance").await;
        let (_, shown) = h
            .press_data(&secretary, list.message_id, &format!("to:{id}"))
            .await;
        let register = shown.last().cloned().unwrap_or_else(|| h.current(&list));
        assert!(
            says(register.text.as_deref(), Lang::Vi, "attendance-header"),
            "{:?}",
            register.text
        );
        h.press_data(
            &secretary,
            register.message_id,
            &format!("tt:{id}:{present}:p"),
        )
        .await;
        let (answer, _) = h
            .press_data(&secretary, register.message_id, &format!("tc:{id}"))
            .await;
        assert!(
            !says(answer.str_param("text"), Lang::Vi, "not-allowed"),
            "{answer:?}"
        );
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE closed_at IS NOT NULL")
            .await,
        2
    );
    assert_eq!(meetings_of_year(&h, cell, 2026).await, (1.0, 1.0));
    assert_eq!(meetings_of_year(&h, cell, 2027).await, (1.0, 1.0));

    // The officer's /status of each year: An attended 2026's meeting, none
    // of 2027's.
    let workplace: i64 = sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE id = ?")
        .bind(an)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    for (officer, meetings) in [
        (vi_user(700, "Cán bộ"), "sinh hoạt chi bộ"),
        (en_user(701, "Officer"), "cell meetings"),
    ] {
        h.ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await;
        for (year, figure) in [(2026, "1/1"), (2027, "0/1")] {
            let status = h
                .ask(&officer, &format!("/status {year}"))
                .await
                .text
                .unwrap();
            let line = status
                .lines()
                .find(|l| l.contains("Nguyễn Văn An"))
                .unwrap_or_else(|| panic!("{year}: {status}"));
            assert!(
                line.contains(&format!("{meetings}: {figure}")),
                "{year}: {status}"
            );
        }
    }

    // 2026's sheet of An lists the meeting of New Year's Eve, attended.
    let list = h.ask(&secretary, "/sheets 2026").await;
    let label = list
        .button_texts()
        .into_iter()
        .find(|l| l.contains("Nguyễn Văn An"))
        .unwrap_or_else(|| panic!("{:?}", list.buttons()));
    let (_, opened) = h.press(&secretary, &list, &label).await;
    let body = opened.last().unwrap().text.clone().unwrap();
    assert!(
        body.contains("Sinh hoạt chi bộ trong năm 2026: đã tổ chức 1, tham dự 1")
            && body.contains("31/12/2026: "),
        "{body}"
    );
    assert!(!body.contains("01/01/2027: "), "{body}");
}

/// December's round caught up on 3 January (the bot stopped on 24
/// December, before it; November's went): a member introduced in January
/// 2026 (5000, and 5001 reading English) who did nothing all year is
/// reminded once, of 12/2026, and
/// warned about 2026, not 2027; An, who reported a community activity on
/// 23 December (approved on 3 January), is not reminded. December's digest
/// warns of 2026. Afterwards 2027 has nothing at risk and nobody flagged in
/// `/status 2027`, `/stats 2027` counts no duty, and An's December
/// activity counts in `/stats 2026` (duties 1 and 6).
#[tokio::test]
async fn decembers_round_caught_up_in_january_judges_2026_not_the_new_year() {
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let an = user_in(lang, 300, "An");
        let cell = h.cell_with_member(&secretary, &an).await;
        seed_members(&h, cell, 5000, 2).await;
        sqlx::query("UPDATE users SET language = 'en' WHERE id = 5001")
            .execute(&h.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE memberships SET introduced_on = '2026-01-01'")
            .execute(&h.pool)
            .await
            .unwrap();
        let workplace: i64 =
            sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
                .fetch_one(&h.pool)
                .await
                .unwrap();
        sqlx::query("UPDATE memberships SET workplace_id = ?")
            .bind(workplace)
            .execute(&h.pool)
            .await
            .unwrap();
        let officer = user_in(lang, 700, "Cán bộ");
        h.ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await;
        h.set_local(2026, 11, 25, 8, 0);
        h.tick().await.month.expect("November");
        h.drain().await;
        h.set_local(2026, 12, 23, 10, 0);
        let (kind, today, submit) = match lang {
            Lang::Vi => ("Phong trào, hoạt động cộng đồng", "Hôm nay", "Gửi báo cáo"),
            Lang::En => ("Community movement", "Today", "Submit"),
        };
        let summary = h
            .report_until_summary(&an, kind, today, "Dọn vệ sinh khu phố", &[])
            .await;
        h.press(&an, &summary, submit).await;
        h.drain().await;
        h.set_local(2026, 12, 24, 9, 0);
        assert_eq!(h.tick().await.month, None);
        h.stop_bot().await;
        h.set_local(2027, 1, 3, 9, 0);
        h.start_bot().await;
        let t = h.tick().await;
        assert_eq!(t.month, None, "{t:?}");
        assert!(t.earlier_months.reminders >= 1, "{t:?}");
        h.restart().await;
        assert_eq!(h.tick().await.earlier_months.total(), 0);
        h.drain().await;
        for (chat, lang, year) in [(5000, Lang::Vi, "Năm 2026"), (5001, Lang::En, "In 2026")] {
            let silent = said(&h, chat, lang, "reminder-member");
            assert_eq!(silent.len(), 2, "{:#?}", texts_to(&h, chat));
            let december = &silent[1];
            assert!(december.contains("12/2026"), "{december}");
            assert!(
                december.contains(year) && !december.contains("2027"),
                "{december}"
            );
        }
        let an_reminded = said(&h, 300, lang, "reminder-member");
        assert!(
            an_reminded.iter().all(|t| !t.contains("12/2026")),
            "{an_reminded:#?}"
        );
        let digests = said(&h, 100, lang, "digest-header");
        assert_eq!(digests.len(), 2, "{digests:#?}");
        let year_word = if lang == Lang::Vi { "Năm" } else { "Year" };
        assert!(
            digests[1].contains(&format!("⚠️ {year_word} 2026"))
                && !digests[1].contains(&format!("{year_word} 2027")),
            "{}",
            digests[1]
        );

        // The secretary approves An's report of 23 December in January.
        let card = h
            .api
            .sent(secretary.id)
            .into_iter()
            .rev()
            .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ra:")))
            .expect("the report's card");
        let approve = label_of(&card, "ra:").unwrap();
        h.press(&secretary, &card, &approve).await;
        h.drain().await;

        // 2027: nobody flagged, no month to judge.
        let status = h.ask(&officer, "/status 2027").await.text.unwrap();
        assert!(!status.contains("⚠️"), "{status}");
        let stats = h.ask(&secretary, "/stats 2027").await.text.unwrap();
        let duty = if lang == Lang::Vi {
            "Nhiệm vụ"
        } else {
            "Duty"
        };
        for n in 1..=7 {
            assert!(stats.contains(&format!("{duty} {n}: 0")), "{stats}");
        }
        // 2026: December's activity there.
        let replies = h.say(&secretary, "/stats 2026").await;
        let duties = replies
            .iter()
            .filter_map(|s| s.text.clone())
            .find(|t| says(Some(t), lang, "stats-duties-header"))
            .unwrap_or_else(|| panic!("{replies:#?}"));
        let duty = if lang == Lang::Vi {
            "Nhiệm vụ"
        } else {
            "Duty"
        };
        for (n, count) in [(1, 1), (2, 0), (6, 1)] {
            assert!(duties.contains(&format!("{duty} {n}: {count}")), "{duties}");
        }
        let status = h.ask(&officer, "/status 2026").await.text.unwrap();
        let line = status
            .lines()
            .find(|l| l.contains("5000"))
            .unwrap_or_else(|| panic!("{status}"));
        assert!(line.contains("⚠️"), "{status}");
    }
}
