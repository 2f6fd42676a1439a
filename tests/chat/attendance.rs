//! Attendance (issue 10): the QR check-in, the secretary's register (prefill,
//! toggles edited in place, close, recorded activities, linking the
//! member's own report, corrections for 7 days), the comment sheet's
//! meetings, the half-year note in the digest, /stats and /status; every
//! new command and button refused to whoever may not use it. Meetings are
//! made with the store (the calling dialogue is another issue's).

use chrono::{DateTime, Duration, Utc};
use lienhe::{
    domain::{
        Lang,
        meeting::{Attendance, MeetingKind},
    },
    store::meetings::{self, Called, NewMeeting},
};

use crate::common::*;

fn user(en: bool, id: i64, name: &str) -> TgUser {
    if en {
        en_user(id, name)
    } else {
        vi_user(id, name)
    }
}

fn lang(en: bool) -> Lang {
    if en { Lang::En } else { Lang::Vi }
}

/// A fixed message (no arguments) in a language.
fn fixed(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

fn now(h: &Harness) -> DateTime<Utc> {
    lienhe::clock::Clock::now(h.clock.as_ref())
}

async fn meeting(
    h: &Harness,
    cell: i64,
    kind: MeetingKind,
    starts_at: DateTime<Utc>,
    by: i64,
    token: &str,
) -> i64 {
    let new = NewMeeting {
        token,
        cell_id: cell,
        kind,
        starts_at,
        place: "Nhà văn hóa khối 5",
        agenda: "Sinh hoạt định kỳ",
        called_by: by,
    };
    match meetings::create(&h.pool, &new, now(h), |_, _| Vec::new())
        .await
        .unwrap()
    {
        Called::New { id, .. } | Called::Already { id } => id,
        Called::NotAllowed => panic!("not on the cell's committee"),
    }
}

async fn scalar(h: &Harness, sql: &'static str, bind: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// The text of a QR code in a PNG.
pub(crate) fn decode_qr(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let pixels = &buf[..info.buffer_size()];
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

fn alert_text(answer: &Call) -> String {
    answer.str_param("text").unwrap_or_default().to_string()
}

/// A press refused by the tree or the handler: "not allowed".
fn refused(answer: &Call, lang: Lang) {
    assert_eq!(alert_text(answer), fixed(lang, "not-allowed"), "{answer:?}");
}

#[tokio::test]
async fn checkin_by_qr_code_in_both_languages() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let ward = scalar(&h, "SELECT ward_id FROM cells WHERE id = ?", cell).await;
        // Another cell, its secretary and member; someone with no cell.
        let other_cell = h.cell(ward, "Chi bộ khối 6").await;
        let other_secretary = user(en, 110, "Cường");
        h.make_secretary(&other_secretary, other_cell, "Lê Văn Cường")
            .await;
        seed_members(&h, other_cell, 400, 1).await;
        let other_member = vi_user(400, "dv400");
        let stranger = user(en, 500, "Khách");

        // Nothing to check in to yet.
        let none = h.ask(&secretary, "/checkin").await.text.unwrap();
        assert_eq!(none, fixed(l, "checkin-none"));

        let start = now(&h) + Duration::hours(3);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        // Three hours before: not open yet, and it says when it opens.
        let early = h.ask(&secretary, "/checkin").await.text.unwrap();
        assert!(says(Some(&early), l, "checkin-not-open"), "{early}");
        let opens = (start - Duration::hours(1))
            .with_timezone(&TZ)
            .format("%d/%m/%Y %H:%M")
            .to_string();
        assert!(early.contains(&opens), "{early}");

        // Thirty minutes before: the QR code, a PNG of the deep link.
        h.clock.set(start - Duration::minutes(30));
        let photo = h.ask(&secretary, "/checkin").await;
        assert_eq!(photo.method, "sendphoto");
        assert!(
            says(photo.text.as_deref(), l, "checkin-caption"),
            "{:?}",
            photo.text
        );
        let link = decode_qr(photo.document_bytes.as_deref().expect("an uploaded PNG"));
        let prefix = format!("https://t.me/{}?start=", h.api.bot_username());
        let code = link.strip_prefix(&prefix).expect("a deep link").to_string();
        assert!(code.starts_with("ck_") && code.len() <= 64, "{code}");
        assert!(photo.text.unwrap().contains(&link));
        // The code is made once per meeting.
        let again = h.ask(&secretary, "/checkin").await;
        assert_eq!(
            decode_qr(again.document_bytes.as_deref().unwrap()),
            link,
            "same code"
        );

        // The member opens the link: present, once.
        let done = h.ask(&member, &format!("/start {code}")).await.text;
        assert!(says(done.as_deref(), l, "checkin-done"), "{done:?}");
        let twice = h.ask(&member, &format!("/start {code}")).await.text;
        assert!(says(twice.as_deref(), l, "checkin-already"), "{twice:?}");
        assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 1);
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_checkin'")
                .await,
            1
        );

        // A member of another cell, its secretary, someone with no cell.
        for (who, who_lang) in [
            (&other_member, Lang::Vi),
            (&other_secretary, l),
            (&stranger, l),
            (&secretary, l),
        ] {
            let no = h.ask(who, &format!("/start {code}")).await.text;
            assert!(
                says(no.as_deref(), who_lang, "checkin-not-member"),
                "{no:?}"
            );
        }
        assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 1);

        // A member who joined after the call checks in too (their
        // invitation is made then).
        seed_members(&h, cell, 301, 1).await;
        let late = h
            .ask(&vi_user(301, "dv301"), &format!("/start {code}"))
            .await;
        assert!(says(late.text.as_deref(), Lang::Vi, "checkin-done"));
        assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 2);

        // Four hours after the start the window is closed.
        seed_members(&h, cell, 302, 1).await;
        h.clock
            .set(start + Duration::hours(4) + Duration::minutes(1));
        let closed = h
            .ask(&vi_user(302, "dv302"), &format!("/start {code}"))
            .await;
        assert!(
            says(closed.text.as_deref(), Lang::Vi, "checkin-closed"),
            "{:?}",
            closed.text
        );
        let outside = h.ask(&secretary, "/checkin").await.text.unwrap();
        assert_eq!(outside, fixed(l, "checkin-none"));

        // A code opened before its window says when it opens; a cancelled
        // meeting's code says so.
        let later = meeting(
            &h,
            cell,
            MeetingKind::Cell,
            now(&h) + Duration::days(2),
            100,
            "m2",
        )
        .await;
        let later_code = meetings::checkin_code(&h.pool, later, h.app().now())
            .await
            .unwrap()
            .unwrap();
        let early = h.ask(&member, &format!("/start {later_code}")).await.text;
        assert!(says(early.as_deref(), l, "checkin-not-yet"), "{early:?}");
        sqlx::query("UPDATE meetings SET status = 'cancelled' WHERE id = ?")
            .bind(later)
            .execute(&h.pool)
            .await
            .unwrap();
        let cancelled = h.ask(&member, &format!("/start {later_code}")).await.text;
        assert!(
            says(cancelled.as_deref(), l, "checkin-cancelled"),
            "{cancelled:?}"
        );
        // A forged code.
        let forged = h
            .ask(&member, "/start ck_AAAAAAAAAAAAAAAAAAAAAA")
            .await
            .text;
        assert_eq!(forged.unwrap(), fixed(l, "checkin-unknown"));

        // /checkin and /attendance are the committee's (and who has joined
        // nothing is told how to join).
        for command in ["/checkin", "/attendance"] {
            let no = h.ask(&member, command).await.text.unwrap();
            let refused = format!(
                "{}\n\n{}",
                fixed(l, "role-committee-only"),
                fixed(l, "refusal-see-help")
            );
            assert_eq!(no, refused, "{command}");
            let no = h.ask(&stranger, command).await.text.unwrap();
            let joining = format!(
                "{}\n\n{}",
                fixed(l, "role-committee-only"),
                fixed(l, "not-joined")
            );
            assert_eq!(no, joining, "{command}");
        }
    }
}

#[tokio::test]
async fn a_secretary_of_two_cells_meeting_at_once_gets_both_check_in_codes() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let ward = scalar(&h, "SELECT ward_id FROM cells WHERE id = ?", cell).await;
        let other = h.cell(ward, "Chi bộ khối 7").await;
        h.make_secretary(&secretary, other, "Trần Thị Bình").await;
        seed_members(&h, other, 400, 1).await;
        let start = now(&h) + Duration::minutes(20);
        let first = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let second = meeting(
            &h,
            other,
            MeetingKind::Cell,
            start + Duration::minutes(10),
            100,
            "m2",
        )
        .await;

        // One QR code for each meeting whose check-in is open, the nearer
        // first, each naming its cell.
        let photos = h.say(&secretary, "/checkin").await;
        assert_eq!(photos.len(), 2, "{photos:?}");
        let mut links = Vec::new();
        for (photo, (id, cell_name)) in photos
            .iter()
            .zip([(first, "Chi bộ khối 5"), (second, "Chi bộ khối 7")])
        {
            assert_eq!(photo.method, "sendphoto");
            let caption = photo.text.as_deref().unwrap();
            assert!(says(Some(caption), l, "checkin-caption"), "{caption}");
            assert!(caption.contains(cell_name), "{caption}");
            let link = decode_qr(photo.document_bytes.as_deref().unwrap());
            let code = meetings::checkin_code(&h.pool, id, h.app().now())
                .await
                .unwrap()
                .unwrap();
            assert!(link.ends_with(&code), "{link} {code}");
            links.push(code);
        }
        // Each member checks in to their own cell's meeting.
        let done = h.ask(&member, &format!("/start {}", links[0])).await.text;
        assert!(says(done.as_deref(), l, "checkin-done"), "{done:?}");
        let done = h
            .ask(&vi_user(400, "dv400"), &format!("/start {}", links[1]))
            .await
            .text;
        assert!(says(done.as_deref(), Lang::Vi, "checkin-done"), "{done:?}");
        assert_eq!(meetings::checkin_count(&h.pool, first).await.unwrap(), 1);
        assert_eq!(meetings::checkin_count(&h.pool, second).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn the_register_is_prefilled_toggled_closed_and_corrected_for_seven_days() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        seed_members(&h, cell, 302, 2).await;
        if en {
            sqlx::query("UPDATE users SET language = 'en' WHERE id = 303")
                .execute(&h.pool)
                .await
                .unwrap();
        }
        let ward = scalar(&h, "SELECT ward_id FROM cells WHERE id = ?", cell).await;
        let other_cell = h.cell(ward, "Chi bộ khối 6").await;
        let other_secretary = user(en, 110, "Cường");
        h.make_secretary(&other_secretary, other_cell, "Lê Văn Cường")
            .await;

        let start = now(&h) + Duration::minutes(30);
        let date = start.with_timezone(&TZ).date_naive();
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let (a, b, c) = (
            h.membership_of(300).await,
            h.membership_of(302).await,
            h.membership_of(303).await,
        );
        // 302 said they cannot come; the member checks in; the member had
        // reported the meeting themselves (pending).
        sqlx::query("UPDATE meeting_invitations SET answer = 'decline' WHERE membership_id = ?")
            .bind(b)
            .execute(&h.pool)
            .await
            .unwrap();
        let code = meetings::checkin_code(&h.pool, id, h.app().now())
            .await
            .unwrap()
            .unwrap();
        h.ask(&member, &format!("/start {code}")).await;
        sqlx::query(
            "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                                  description, status, created_at)
             VALUES ('own', ?, 300, ?, (SELECT id FROM activity_kinds WHERE code = 'cell_meeting'),
                     ?, 'Dự họp chi bộ', 'pending', ?)",
        )
        .bind(a)
        .bind(cell)
        .bind(date)
        .bind(now(&h))
        .execute(&h.pool)
        .await
        .unwrap();

        // The register: prefilled from the check-in and the answer.
        let register = h.ask(&secretary, "/attendance").await;
        assert!(says(register.text.as_deref(), l, "attendance-header"));
        let labels = register.button_texts();
        assert!(
            labels.contains(&"✅ Nguyễn Văn An".to_string()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"🟡 Đảng viên 302".to_string()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"❌ Đảng viên 303".to_string()),
            "{labels:?}"
        );
        assert!(labels.contains(&fixed(l, "attendance-close-button")));
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meeting_invitations WHERE attendance IS NULL")
                .await,
            0,
            "stored at once"
        );

        // Refused: a member with forged data, another cell's secretary.
        let forged_set = format!("tt:{id}:{c}:p");
        let forged_close = format!("tc:{id}");
        for data in [&forged_set, &forged_close, &format!("to:{id}")] {
            let (answer, _) = h.press_data(&member, register.message_id, data).await;
            refused(&answer, l);
            let (answer, _) = h
                .press_data(&other_secretary, register.message_id, data)
                .await;
            refused(&answer, l);
        }
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meetings WHERE closed_at IS NOT NULL")
                .await,
            0
        );

        // A toggle edits the register in place.
        let before = h.api.sent_count(100);
        let (answer, _) = h.press(&secretary, &register, "❌ Đảng viên 303").await;
        assert!(says(answer.str_param("text"), l, "attendance-marked"));
        assert_eq!(h.api.sent_count(100), before, "no new message");
        let edited = h.current(&register);
        assert!(
            edited
                .button_texts()
                .contains(&"✅ Đảng viên 303".to_string())
        );
        // The same press again (an old copy of the button) changes nothing.
        h.press(&secretary, &register, "❌ Đảng viên 303").await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance_mark'")
                .await,
            1
        );

        // Close: the present are recorded; the member's own report of the
        // day is linked (and approved), not doubled.
        let edited = h.current(&register);
        let close = fixed(l, "attendance-close-button");
        let (_, replies) = h.press(&secretary, &edited, &close).await;
        let summary = replies.last().unwrap().text.clone().unwrap();
        assert!(
            says(Some(&summary), l, "attendance-closed-done"),
            "{summary}"
        );
        assert!(
            says(Some(&summary), l, "attendance-closed-linked"),
            "{summary}"
        );
        let closed = h.current(&register);
        assert!(says(closed.text.as_deref(), l, "attendance-header-closed"));
        assert!(!closed.button_texts().contains(&close));
        let approved_on = |user: i64| {
            let pool = h.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM reports WHERE user_id = ? AND activity_date = ?
                     AND status = 'approved'",
                )
                .bind(user)
                .bind(date)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(approved_on(300).await, 1, "linked, not doubled");
        assert_eq!(approved_on(302).await, 0);
        assert_eq!(approved_on(303).await, 1);
        assert_eq!(
            h.count(
                "SELECT COUNT(*) FROM reports WHERE recorded_by_cell = 1 AND meeting_id IS NOT NULL"
            )
            .await,
            1
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE token = 'own' AND meeting_id IS NOT NULL")
                .await,
            1
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meeting_invitations WHERE report_id IS NOT NULL")
                .await,
            2
        );
        let month = date.format("%Y-%m").to_string();
        let tally = |user: i64| {
            let (pool, month) = (h.pool.clone(), month.clone());
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COALESCE((SELECT approved FROM member_months
                                      WHERE user_id = ? AND month = ?), 0)",
                )
                .bind(user)
                .bind(month)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(
            tally(303).await,
            1,
            "the tally counts the recorded activity"
        );
        assert_eq!(tally(300).await, 1);

        // Close again (redelivered, or another copy): nothing more.
        let (answer, _) = h
            .press_data(&secretary, register.message_id, &forged_close)
            .await;
        assert_eq!(alert_text(&answer), fixed(l, "attendance-already-closed"));
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
                .await,
            2
        );

        // /myreports shows the recorded activity as recorded by the cell.
        let c_lang = if en { Lang::En } else { Lang::Vi };
        let mine = h
            .ask(&vi_user(303, "dv303"), "/myreports")
            .await
            .text
            .unwrap();
        assert!(
            mine.contains(fixed(c_lang, "attendance-recorded-by-cell").trim()),
            "{mine}"
        );
        let own = h.ask(&member, "/myreports").await.text.unwrap();
        assert!(
            !own.contains(fixed(l, "attendance-recorded-by-cell").trim()),
            "{own}"
        );

        // Two days later: a correction (present → excused) takes the
        // recorded activity back; the member's own report is unlinked, kept.
        h.clock.advance(Duration::days(2));
        let register = h.ask(&secretary, "/attendance").await;
        h.press(&secretary, &register, "✅ Đảng viên 303").await;
        assert_eq!(approved_on(303).await, 0);
        assert_eq!(tally(303).await, 0, "the tally follows the deletion");
        h.press(&secretary, &register, "✅ Nguyễn Văn An").await;
        assert_eq!(approved_on(300).await, 1, "the member's own report stays");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE token = 'own' AND meeting_id IS NULL")
                .await,
            1
        );
        // …and back to present: recorded again.
        let register = h.current(&register);
        h.press(&secretary, &register, "🟡 Đảng viên 303").await;
        let register = h.current(&register);
        h.press(&secretary, &register, "❌ Đảng viên 303").await;
        assert_eq!(approved_on(303).await, 1);
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance_correct'")
                .await,
            4
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_unrecord'")
                .await,
            1
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_unlink'")
                .await,
            1
        );

        // Eight days after: refused, with the date.
        h.clock.advance(Duration::days(6));
        let none = h.ask(&secretary, "/attendance").await.text.unwrap();
        assert_eq!(none, fixed(l, "attendance-none"));
        let register = h.current(&register);
        let label = register.buttons()[0].0.clone();
        let (answer, _) = h.press(&secretary, &register, &label).await;
        let text = alert_text(&answer);
        assert!(says(Some(&text), l, "attendance-too-late"), "{text}");
        let until = (start + Duration::days(7))
            .with_timezone(&TZ)
            .format("%d/%m/%Y")
            .to_string();
        assert!(text.contains(&until), "{text}");
        assert_eq!(approved_on(303).await, 1, "nothing changed");
        // A member's forged toggle, late or not, is refused.
        let (answer, _) = h
            .press_data(&member, register.message_id, &forged_set)
            .await;
        refused(&answer, l);
    }
}

/// A member approved into the cell while its meeting is under way (a
/// newcomer who joins at the meeting) is in its register and can be marked,
/// without an invitation to a meeting already started; one approved since
/// the register was last opened is in it when it is closed (absent); one
/// approved after the check-in closed is not.
#[tokio::test]
async fn a_member_approved_during_the_meeting_is_in_its_register() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let id = meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            now(&h) - Duration::minutes(20),
            100,
            "m1",
        )
        .await;
        h.join_approved(&secretary, &user(en, 301, "Cúc"), "Phạm Thị Cúc")
            .await;

        let register = h.ask(&secretary, "/attendance").await;
        assert!(says(register.text.as_deref(), l, "attendance-header"));
        let labels = register.button_texts();
        assert!(
            labels.contains(&"❌ Phạm Thị Cúc".to_string()),
            "{labels:?}"
        );
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations
                 WHERE meeting_id = ? AND user_id = 301 AND told = 1",
                id
            )
            .await,
            1,
            "in the register, not invited"
        );
        let (answer, _) = h.press(&secretary, &register, "❌ Phạm Thị Cúc").await;
        assert!(says(answer.str_param("text"), l, "attendance-marked"));
        assert!(
            h.current(&register)
                .button_texts()
                .contains(&"✅ Phạm Thị Cúc".to_string())
        );
        // Opening it again adds nobody twice.
        let register = h.ask(&secretary, "/attendance").await;
        let invited = || {
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ?",
                id,
            )
        };
        assert_eq!(invited().await, 2, "the member and the newcomer");

        // Another newcomer while the meeting goes on; five hours later
        // (check-in closed, the register still open) one more.
        h.join_approved(&secretary, &user(en, 302, "Em"), "Lê Văn Em")
            .await;
        h.clock.advance(Duration::hours(5));
        h.join_approved(&secretary, &user(en, 303, "Dũng"), "Hoàng Văn Dũng")
            .await;
        // Closed from the register opened before both: the first is in it.
        let close = fixed(l, "attendance-close-button");
        let (_, replies) = h.press(&secretary, &h.current(&register), &close).await;
        let summary = replies.last().unwrap().text.clone().unwrap_or_default();
        assert!(
            says(Some(&summary), l, "attendance-closed-done"),
            "{summary}"
        );
        assert_eq!(invited().await, 3, "the member and two newcomers");
        let attendance = |user: i64| {
            let pool = h.pool.clone();
            async move {
                sqlx::query_scalar::<_, Option<String>>(
                    "SELECT attendance FROM meeting_invitations WHERE meeting_id = ? AND user_id = ?",
                )
                .bind(id)
                .bind(user)
                .fetch_optional(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(attendance(301).await, Some(Some("present".into())));
        assert_eq!(attendance(302).await, Some(Some("absent".into())));
        assert_eq!(
            attendance(303).await,
            None,
            "approved after the check-in closed"
        );
    }
}

/// A meeting held (and its register closed) in the past.
async fn held(
    h: &Harness,
    cell: i64,
    kind: MeetingKind,
    start: DateTime<Utc>,
    token: &str,
    present: &[i64],
) -> i64 {
    let id = meeting(h, cell, kind, start, 100, token).await;
    let at = start + Duration::minutes(30);
    let called = meetings::get(&h.pool, id).await.unwrap().unwrap();
    meetings::prefill_register(&h.pool, &called).await.unwrap();
    for membership in present {
        meetings::mark(
            &h.pool,
            id,
            *membership,
            lienhe::domain::meeting::Attendance::Present,
            100,
            at,
            TZ,
            meetings::RegisterNotices::NONE,
        )
        .await
        .unwrap();
    }
    meetings::close(&h.pool, id, 100, at, TZ, meetings::RegisterNotices::NONE)
        .await
        .unwrap();
    id
}

/// The draft `sheet` shown in message `draft_id`: the first level of each
/// criterion in `criteria`, sent to the member, accepted, signed.
async fn sign(
    h: &Harness,
    (secretary, member): (&TgUser, &TgUser),
    (draft_id, sheet): (i64, i64),
    criteria: &[u8],
) {
    for c in criteria {
        h.press_data(secretary, draft_id, &format!("sl:{sheet}:{c}:0"))
            .await;
    }
    h.press_data(secretary, draft_id, &format!("ss:{sheet}"))
        .await;
    let to_member = h.last(member).message_id;
    h.press_data(member, to_member, &format!("ma:{sheet}"))
        .await;
    h.press_data(secretary, draft_id, &format!("sg:{sheet}"))
        .await;
}

fn local(y: i32, m: u32, d: u32, hour: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    TZ.with_ymd_and_hms(y, m, d, hour, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// A comment sheet of 2026 drafted in January 2027 (the review season):
/// its line of cell meetings said "Cell meetings this year" in English,
/// the year just begun with no meeting, beside the figures of 2026. The
/// line now names the sheet's year in both languages, in November as in
/// January.
#[tokio::test]
async fn the_sheets_line_of_meetings_names_its_year() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let a = h.membership_of(300).await;
        held(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2026, 11, 25, 19),
            "y1",
            &[a],
        )
        .await;
        let line = if en {
            "Cell meetings in 2026: 1 held, 1 attended"
        } else {
            "Sinh hoạt chi bộ trong năm 2026: đã tổ chức 1, tham dự 1"
        };
        for (y, m, d) in [(2026, 12, 31), (2027, 1, 5)] {
            h.set_local(y, m, d, 9, 0);
            let list = h.ask(&secretary, "/sheets").await;
            let label = list.buttons()[0].0.clone();
            let (_, opened) = h.press(&secretary, &list, &label).await;
            let body = opened.last().unwrap().text.clone().unwrap();
            assert!(says(Some(&body), l, "attendance-evidence-held"), "{body}");
            assert!(body.contains(line), "{d:02}/{m:02}/{y}: {body}");
        }
    }
}

#[tokio::test]
async fn the_sheet_the_digest_stats_and_status_show_the_meetings() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let ward = scalar(&h, "SELECT ward_id FROM cells WHERE id = ?", cell).await;
        h.cell(ward, "Chi bộ khối 6").await;
        let a = h.membership_of(300).await;

        // 2026: a periodic meeting in June (present), a cell meeting in
        // September (absent); a residents' meeting does not count; a
        // cancelled one neither.
        held(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2026, 6, 10, 19),
            "h1",
            &[a],
        )
        .await;
        held(
            &h,
            cell,
            MeetingKind::Cell,
            local(2026, 9, 10, 19),
            "h2",
            &[],
        )
        .await;
        held(
            &h,
            cell,
            MeetingKind::Residents,
            local(2026, 10, 10, 19),
            "h3",
            &[a],
        )
        .await;
        let cancelled = meeting(
            &h,
            cell,
            MeetingKind::Cell,
            local(2026, 10, 20, 19),
            100,
            "h4",
        )
        .await;
        sqlx::query("UPDATE meetings SET status = 'cancelled' WHERE id = ?")
            .bind(cancelled)
            .execute(&h.pool)
            .await
            .unwrap();

        // The draft: the meetings listed, and the suggestion "some".
        let list = h.ask(&secretary, "/sheets").await;
        let label = list.buttons()[0].0.clone();
        let (_, opened) = h.press(&secretary, &list, &label).await;
        let draft_id = opened.last().unwrap().message_id;
        let body = opened.last().unwrap().text.clone().unwrap();
        assert!(says(Some(&body), l, "attendance-evidence-held"), "{body}");
        let held_line = if en {
            "Cell meetings in 2026: 2 held, 1 attended"
        } else {
            "Sinh hoạt chi bộ trong năm 2026: đã tổ chức 2, tham dự 1"
        };
        assert!(body.contains(held_line), "{body}");
        let present = fixed(l, "attendance-present");
        let absent = fixed(l, "attendance-absent");
        assert!(
            body.contains(&format!(
                "10/06/2026: {} — {present}",
                fixed(l, "attendance-kind-periodic")
            )),
            "{body}"
        );
        assert!(
            body.contains(&format!(
                "10/09/2026: {} — {absent}",
                fixed(l, "attendance-kind-cell")
            )),
            "{body}"
        );
        let residents = format!("10/10/2026: {} —", fixed(l, "attendance-kind-residents"));
        assert!(!body.contains(&residents), "{body}");
        let some =
            lienhe::sheet::build::level_label(l, lienhe::domain::sheet::Criterion::Meetings, 1);
        assert!(
            body.contains(&format!(
                "3. {}: {some}",
                lienhe::sheet::build::criterion_label(
                    l,
                    lienhe::domain::sheet::Criterion::Meetings
                )
            )),
            "{body}"
        );

        // The export carries held / attended.
        let table = lienhe::export::table(
            &h.pool,
            lienhe::store::yearly::Scope::Cell(cell),
            2026,
            local(2026, 11, 20, 10).with_timezone(&TZ).date_naive(),
            TZ,
            l,
        )
        .await
        .unwrap();
        let n = table.headers.len();
        assert_eq!(table.headers[n - 2], fixed(l, "attendance-export-held"));
        assert_eq!(
            table.rows[0][n - 2..],
            [
                lienhe::export::Value::Number(2.0),
                lienhe::export::Value::Number(1.0)
            ]
        );

        // The officer's /status: attended/held this year.
        let workplace = scalar(&h, "SELECT workplace_id FROM memberships WHERE id = ?", a).await;
        let officer = user(en, 700, "Cán bộ");
        h.ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await;
        let status = h.ask(&officer, "/status").await.text.unwrap();
        let meetings_line = if en {
            "cell meetings: 1/2"
        } else {
            "sinh hoạt chi bộ: 1/2"
        };
        assert!(status.contains(meetings_line), "{status}");

        // Signed, the document carries the meetings as they were.
        let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        // Contact too: introduced this month and nothing reported yet, no
        // month is judged, so nothing is suggested.
        sign(&h, (&secretary, &member), (draft_id, sheet), &[0, 1, 3, 5]).await;
        h.wait_documents(700, 2).await;
        let xml = h.first_docx(700);
        assert!(
            xml.contains("Sinh hoạt chi bộ trong năm 2026: đã tổ chức 2, tham dự 1")
                && xml.contains("10/06/2026: Sinh hoạt định kỳ — Có mặt"),
            "{xml}"
        );
        let code: String = sqlx::query_scalar("SELECT code FROM sheets")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let verified = lienhe::sheet::build::verify(&h.pool, &code).await.unwrap();
        assert!(
            matches!(verified, lienhe::sheet::build::Verification::Valid { .. }),
            "{verified:?}"
        );

        // The supervisor's /stats: the cells without a periodic meeting
        // this half (July–December): both.
        let supervisor = user(en, 800, "Giám sát");
        h.ask(
            &supervisor,
            &format!("/start {}", h.supervisor_code(ward).await),
        )
        .await;
        let replies = h.say(&supervisor, "/stats").await;
        let text = replies.last().unwrap().text.clone().unwrap();
        assert!(says(Some(&text), l, "attendance-stats-half"), "{text}");
        assert!(text.contains("Chi bộ khối 5, Chi bộ khối 6"), "{text}");
        // One scheduled in the half: that cell is no longer listed.
        meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            now(&h) + Duration::days(10),
            100,
            "p2",
        )
        .await;
        let text = h
            .say(&supervisor, "/stats")
            .await
            .last()
            .unwrap()
            .text
            .clone()
            .unwrap();
        assert!(text.contains(": Chi bộ khối 6"), "{text}");
        assert!(!text.contains("Chi bộ khối 5,"), "{text}");
        // Nobody else sees the register of the cell: the officer and the
        // supervisor are refused its buttons.
        let forged = format!("tt:{cancelled}:{a}:p");
        for who in [&officer, &supervisor] {
            let message = h.last(who).message_id;
            let (answer, _) = h.press_data(who, message, &forged).await;
            refused(&answer, l);
            let (answer, _) = h.press_data(who, message, &format!("tc:{cancelled}")).await;
            refused(&answer, l);
        }

        // The digest of 25 May 2027: no periodic meeting in January–June.
        h.set_local(2027, 5, 25, 8, 0);
        h.tick().await;
        h.drain().await;
        let digest = h.last(&secretary).text.unwrap();
        assert!(says(Some(&digest), l, "attendance-digest-half"), "{digest}");
        assert!(
            digest.contains("01/01/2027") && digest.contains("30/06/2027"),
            "{digest}"
        );
        // Scheduled for June: the June digest says nothing of it.
        meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2027, 6, 28, 19),
            100,
            "p3",
        )
        .await;
        h.set_local(2027, 6, 25, 8, 0);
        h.tick().await;
        h.drain().await;
        let digest = h.last(&secretary).text.unwrap();
        assert!(says(Some(&digest), l, "digest-header"), "{digest}");
        assert!(
            !says(Some(&digest), l, "attendance-digest-half"),
            "{digest}"
        );
    }
}

#[tokio::test]
async fn presses_at_once_or_delivered_twice_count_once() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 302, 1).await;
    let start = now(&h) + Duration::minutes(10);
    let id = meeting(&h, cell, MeetingKind::Cell, start, 100, "m1").await;
    let register = h.ask(&secretary, "/attendance").await;
    let toggle = register.button_data("❌ Đảng viên 302").unwrap();
    let close = format!("tc:{id}");

    // The same toggle twice at once, then redelivered: set once.
    let first = h.api.callback(&secretary, register.message_id, &toggle);
    let second = h.api.callback(&secretary, register.message_id, &toggle);
    h.handled(first).await;
    h.handled(second).await;
    h.api.redeliver(first);
    h.quiet().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance_mark'")
            .await,
        1
    );
    assert!(
        h.current(&register)
            .button_texts()
            .contains(&"✅ Đảng viên 302".to_string())
    );

    // Close twice at once, then redelivered: one activity recorded.
    let first = h.api.callback(&secretary, register.message_id, &close);
    let second = h.api.callback(&secretary, register.message_id, &close);
    h.handled(first).await;
    h.handled(second).await;
    h.api.redeliver(second);
    h.quiet().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_close'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE recorded_by_cell = 1")
            .await,
        1
    );
    // A check-in at once from two devices: once.
    let code = meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let a = h.api.text(&member, &format!("/start {code}"));
    let b = h.api.text(&member, &format!("/start {code}"));
    h.handled(a).await;
    h.handled(b).await;
    h.quiet().await;
    assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_checkin'")
            .await,
        1
    );
}

/// On 2 December at 09:00: a secretary and an approved member of a cell.
async fn cell_on_2_december(en: bool) -> (Harness, TgUser, TgUser, i64) {
    let h = Harness::start().await;
    h.set_local(2026, 12, 2, 9, 0);
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    (h, secretary, member, cell)
}

/// The secretary, a member of their own cell too, and the member check in
/// to the cell's meeting starting in half an hour.
async fn secretary_and_member_check_in(
    h: &Harness,
    secretary: &TgUser,
    member: &TgUser,
    cell: i64,
) {
    sqlx::query(
        "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                  decided_at)
         VALUES ('own', 100, ?, 'Trần Thị Bình', 'approved', ?, ?)",
    )
    .bind(cell)
    .bind(now(h) - Duration::days(100))
    .bind(now(h) - Duration::days(100))
    .execute(&h.pool)
    .await
    .unwrap();
    let code = meeting_in_half_an_hour(h, cell).await;
    h.ask(secretary, &format!("/start {code}")).await;
    h.ask(member, &format!("/start {code}")).await;
}

/// The cell's periodic meeting, starting in half an hour (check-in open):
/// its check-in code.
async fn meeting_in_half_an_hour(h: &Harness, cell: i64) -> String {
    let start = now(h) + Duration::minutes(30);
    let id = meeting(h, cell, MeetingKind::Periodic, start, 100, "m1").await;
    meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap()
}

/// The member's own report of today's cell meeting, up to its summary.
async fn report_of_the_meeting(h: &Harness, member: &TgUser, en: bool) -> Sent {
    let (kind, today) = if en {
        ("Residence cell meeting", "Today")
    } else {
        ("Sinh hoạt, họp chi bộ nơi cư trú", "Hôm nay")
    };
    h.report_until_summary(member, kind, today, "Dự họp chi bộ", &[])
        .await
}

/// A member reports the meeting themselves (the card goes to the
/// secretary), checks in, and the register is closed before anyone pressed
/// the card: the register's approval is the decision. The member is told
/// as by a decision, and the secretary's card no longer offers Approve and
/// Reject.
#[tokio::test]
async fn a_report_approved_by_the_register_is_told_and_its_card_settled() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        h.ask(&member, &format!("/start {code}")).await;

        let summary = report_of_the_meeting(&h, &member, en).await;
        let submit = summary.buttons()[0].0.clone();
        h.press(&member, &summary, &submit).await;
        h.quiet().await;
        let card = h.last(&secretary);
        assert!(says(card.text.as_deref(), l, "report-card"), "{card:?}");
        assert!(!card.buttons().is_empty());

        let register = h.ask(&secretary, "/attendance").await;
        let close = fixed(l, "attendance-close-button");
        let (_, replies) = h.press(&secretary, &register, &close).await;
        let summary = replies.last().unwrap().text.clone().unwrap();
        assert!(
            says(Some(&summary), l, "attendance-closed-linked"),
            "{summary}"
        );
        h.quiet().await;

        let told = h.last(&member);
        assert!(says(told.text.as_deref(), l, "report-approved"), "{told:?}");
        let settled = h.current(&card);
        assert!(settled.buttons().is_empty(), "{settled:?}");
        assert!(
            settled.text.as_deref().unwrap().contains("Trần Thị Bình"),
            "who decided: {settled:?}"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
                .await,
            1
        );
    }
}

/// A member reports the meeting but neither checks in nor answers: the
/// closed register has them absent and their report waits. Corrected to
/// present, the register approves the report: the member is told as by a
/// decision and the secretary's card loses Approve and Reject.
#[tokio::test]
async fn a_report_approved_by_a_correction_is_told_and_its_card_settled() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        meeting_in_half_an_hour(&h, cell).await;
        let summary = report_of_the_meeting(&h, &member, en).await;
        let submit = summary.buttons()[0].0.clone();
        h.press(&member, &summary, &submit).await;
        h.quiet().await;
        let card = h.last(&secretary);
        assert!(says(card.text.as_deref(), l, "report-card"), "{card:?}");

        let register = h.ask(&secretary, "/attendance").await;
        let close = fixed(l, "attendance-close-button");
        h.press(&secretary, &register, &close).await;
        h.quiet().await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
                .await,
            1,
            "absent: the report waits"
        );
        let (meeting, membership): (i64, i64) = sqlx::query_as(
            "SELECT meeting_id, membership_id FROM meeting_invitations WHERE user_id = 300",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap();
        let register = h.last(&secretary);
        h.press_data(
            &secretary,
            register.message_id,
            &format!("tt:{meeting}:{membership}:p"),
        )
        .await;
        h.quiet().await;
        let told = h.last(&member);
        assert!(says(told.text.as_deref(), l, "report-approved"), "{told:?}");
        assert!(h.current(&card).buttons().is_empty(), "the card is settled");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
                .await,
            1
        );
    }
}

/// The secretary is also a member of the cell and checks in: closing the
/// register records their attendance, but nobody approves their own
/// activity, so it waits, pending, for another decider of the cell.
#[tokio::test]
async fn the_closer_s_own_attendance_waits_for_another_decider() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        secretary_and_member_check_in(&h, &secretary, &member, cell).await;

        let register = h.ask(&secretary, "/attendance").await;
        let close = fixed(l, "attendance-close-button");
        let (_, replies) = h.press(&secretary, &register, &close).await;
        let summary = replies.last().unwrap().text.clone().unwrap();
        assert!(
            says(Some(&summary), l, "attendance-closed-done"),
            "{summary}"
        );
        let status = |user: i64| {
            let pool = h.pool.clone();
            async move {
                sqlx::query_as::<_, (String, Option<i64>)>(
                    "SELECT status, decided_by FROM reports WHERE user_id = ? AND meeting_id IS NOT NULL",
                )
                .bind(user)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(status(300).await, ("approved".to_string(), Some(100)));
        assert_eq!(status(100).await, ("pending".to_string(), None));
        assert_eq!(
            h.count(
                "SELECT COUNT(*) FROM audit_log a JOIN reports r ON r.id = a.subject_id
                 WHERE a.subject = 'report' AND a.action = 'approve' AND r.user_id = 100"
            )
            .await,
            0
        );
        // No deputy and no supervisor: no card, the activity waits.
        h.drain().await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%ra:%'")
                .await,
            0
        );
    }
}

/// The secretary (100) and a member checked in at the meeting of
/// 2 December, a deputy (200) made; the secretary closes the register
/// present: returns the deputy and their card of the secretary's own
/// activity, recorded pending.
async fn closed_with_the_closers_card(en: bool) -> (Harness, TgUser, Sent) {
    let l = lang(en);
    let (h, secretary, member, cell) = cell_on_2_december(en).await;
    let deputy = user(en, 200, "Dũng");
    crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    secretary_and_member_check_in(&h, &secretary, &member, cell).await;
    let before = h.api.sent_count(deputy.id);
    let register = h.ask(&secretary, "/attendance").await;
    h.press(&secretary, &register, &fixed(l, "attendance-close-button"))
        .await;
    h.api
        .wait_sent(deputy.id, before + 1, std::time::Duration::from_secs(20))
        .await;
    h.quiet().await;
    let card = h.last(&deputy);
    assert!(
        says(card.text.as_deref(), l, "report-card"),
        "{:?}",
        card.text
    );
    (h, deputy, card)
}

/// The closer's own activity, recorded pending, is carded to the deputy,
/// who decides it from the card; rejected, it takes the closer off the
/// register.
#[tokio::test]
async fn the_closer_s_own_attendance_is_carded_to_the_deputy() {
    for en in [false, true] {
        let l = lang(en);
        let (h, deputy, card) = closed_with_the_closers_card(en).await;
        assert!(card.text.as_deref().unwrap().contains("Trần Thị Bình"));
        let present = || async {
            h.count(
                "SELECT COUNT(*) FROM meeting_invitations
                 WHERE user_id = 100 AND attendance = 'present' AND report_id IS NOT NULL",
            )
            .await
        };
        assert_eq!(present().await, 1);
        // In Vietnamese the deputy approves it; in English rejects it: the
        // register then no longer counts the secretary present.
        let (press, status) = if en {
            (fixed(l, "button-reject"), "rejected")
        } else {
            (fixed(l, "button-approve"), "approved")
        };
        h.press(&deputy, &card, &press).await;
        if en {
            h.ask(&deputy, "Did not attend").await;
        }
        let decided_by: Option<i64> =
            sqlx::query_scalar("SELECT decided_by FROM reports WHERE user_id = 100 AND status = ?")
                .bind(status)
                .fetch_optional(&h.pool)
                .await
                .unwrap()
                .flatten();
        assert_eq!(decided_by, Some(200));
        assert_eq!(present().await, if en { 0 } else { 1 });
        if en {
            assert_eq!(
                h.count(
                    "SELECT COUNT(*) FROM meeting_invitations
                     WHERE user_id = 100 AND attendance = 'absent' AND marked_by = 200"
                )
                .await,
                1
            );
        }
    }
}

/// The register may be closed from an hour before the start while the QR
/// check-in stays open: a member who checks in after the close is present
/// in it and their activity is recorded, approved by the one who closed it
/// (not only told "checked in" and left absent).
#[tokio::test]
async fn a_check_in_after_the_register_was_closed_is_recorded() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;

        let register = h.ask(&secretary, "/attendance").await;
        let close = fixed(l, "attendance-close-button");
        h.press(&secretary, &register, &close).await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports").await,
            0,
            "nobody present yet"
        );

        h.clock.advance(Duration::minutes(40));
        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
        let (status, decided_by): (String, Option<i64>) = sqlx::query_as(
            "SELECT status, decided_by FROM reports
             WHERE user_id = 300 AND recorded_by_cell = 1 AND meeting_id IS NOT NULL",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!((status.as_str(), decided_by), ("approved", Some(100)));
        assert_eq!(
            h.count(
                "SELECT COUNT(*) FROM meeting_invitations
                 WHERE user_id = 300 AND attendance = 'present' AND report_id IS NOT NULL"
            )
            .await,
            1
        );
        let mine = h.ask(&member, "/myreports").await;
        assert!(
            mine.text.as_deref().unwrap().contains("Nhà văn hóa khối 5"),
            "{mine:?}"
        );
        // Twice is once.
        h.ask(&member, &format!("/start {code}")).await;
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
    }
}

/// A member the closed register recorded present reports the same meeting
/// afterwards: told it is recorded already, nothing stored twice.
#[tokio::test]
async fn a_meeting_the_register_recorded_is_not_reported_again() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        h.ask(&member, &format!("/start {code}")).await;
        let register = h.ask(&secretary, "/attendance").await;
        let close = fixed(l, "attendance-close-button");
        h.press(&secretary, &register, &close).await;
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);

        let summary = report_of_the_meeting(&h, &member, en).await;
        let submit = summary.buttons()[0].0.clone();
        let (_, replies) = h.press(&member, &summary, &submit).await;
        let told = replies.last().unwrap().text.clone().unwrap();
        assert!(says(Some(&told), l, "report-already-recorded"), "{told}");
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
        assert!(h.current(&summary).buttons().is_empty());
        // The dialogue is over: /report starts afresh.
        let again = h.ask(&member, "/report").await;
        assert!(!again.buttons().is_empty(), "{again:?}");
    }
}

/// The check-in ends with the register still open: the secretary is
/// reminded once (not again after a restart) that nobody's presence counts
/// until it is closed; a closed register is not reminded.
#[tokio::test]
async fn a_register_left_open_after_the_check_in_is_reminded_once() {
    for en in [false, true] {
        let l = lang(en);
        let (mut h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        h.ask(&member, &format!("/start {code}")).await;
        let start = now(&h) + Duration::minutes(30);
        // Another meeting the same day, its register closed in time.
        let other = meeting(&h, cell, MeetingKind::Cell, start, 100, "m2").await;
        sqlx::query("UPDATE meetings SET closed_at = ?, closed_by = 100 WHERE id = ?")
            .bind(now(&h))
            .bind(other)
            .execute(&h.pool)
            .await
            .unwrap();

        h.clock
            .set(start + Duration::hours(4) - Duration::minutes(1));
        assert_eq!(h.tick().await.open_registers, 0, "check-in still open");
        h.clock
            .set(start + Duration::hours(4) + Duration::minutes(1));
        assert_eq!(h.tick().await.open_registers, 1);
        h.restart().await;
        assert_eq!(h.tick().await.open_registers, 0, "once");
        h.drain().await;
        let told: Vec<_> = h
            .api
            .sent(secretary.id)
            .into_iter()
            .filter(|s| says(s.text.as_deref(), l, "meeting-register-open"))
            .collect();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].text.as_deref().unwrap().contains("/attendance"));
    }
}

/// A meeting on the evening of 31/12 (19:30) whose register is left open.
/// The member's reminder goes the day before, at the reminder hour, and
/// says "tomorrow"; the check-in ends at 23:30, and the committee's
/// reminder that the register is still open waits for the morning of
/// 01/01 (the reminder hour, 08:00), not sent at 23:30 or in the small
/// hours of New Year's day; it names the meeting by its date (31/12/2026
/// 19:30) and the deadline to close it (07/01/2027 19:30). It used to go
/// out at the first look after 23:30, at night.
#[tokio::test]
async fn a_register_left_open_on_new_years_eve_is_reminded_in_the_morning() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        h.set_local(2026, 12, 31, 19, 30);
        let start = now(&h);
        h.set_local(2026, 12, 29, 10, 0);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;

        h.set_local(2026, 12, 30, 7, 59);
        assert_eq!(h.tick().await.meeting_reminders, 0);
        h.set_local(2026, 12, 30, 8, 0);
        assert_eq!(h.tick().await.meeting_reminders, 1);
        h.drain().await;
        let reminders: Vec<String> = h
            .api
            .sent(member.id)
            .into_iter()
            .filter_map(|s| s.text)
            .filter(|t| t.contains("31/12/2026 19:30"))
            .collect();
        assert_eq!(reminders.len(), 1, "{reminders:?}");
        assert!(
            says(Some(&reminders[0]), l, "meeting-reminder"),
            "{reminders:?}"
        );

        h.set_local(2026, 12, 31, 19, 0);
        let code = meetings::checkin_code(&h.pool, id, now(&h))
            .await
            .unwrap()
            .unwrap();
        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");

        // The check-in ends at 23:30: the night goes by.
        for (y, mo, d, hh, mi) in [
            (2026, 12, 31, 23, 29),
            (2026, 12, 31, 23, 31),
            (2027, 1, 1, 0, 5),
            (2027, 1, 1, 3, 30),
            (2027, 1, 1, 7, 59),
        ] {
            h.set_local(y, mo, d, hh, mi);
            assert_eq!(
                h.tick().await.open_registers,
                0,
                "{l:?}: {d:02}/{mo:02}/{y} {hh:02}:{mi:02}"
            );
        }
        h.set_local(2027, 1, 1, 8, 0);
        assert_eq!(h.tick().await.open_registers, 1, "{l:?}");
        assert_eq!(h.tick().await.open_registers, 0, "{l:?}: once");
        h.drain().await;
        let told: Vec<String> = h
            .api
            .sent(secretary.id)
            .into_iter()
            .filter_map(|s| s.text)
            .filter(|t| says(Some(t), l, "meeting-register-open"))
            .collect();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("31/12/2026 19:30"), "{}", told[0]);
        assert!(told[0].contains("07/01/2027 19:30"), "{}", told[0]);
        assert!(told[0].contains("/attendance"), "{}", told[0]);
    }
}

/// A cell of 112 members: the register comes in pages of 40 (Telegram
/// refuses a keyboard of over 100 buttons, which was the whole register in
/// one message); ◀ ▶ turn the page, a toggle keeps its page, and Close is
/// on every page.
#[tokio::test]
async fn a_large_cell_s_register_is_paged() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, _member, cell) = cell_on_2_december(en).await;
        seed_members(&h, cell, 1000, 110).await;
        meeting_in_half_an_hour(&h, cell).await;
        let close = fixed(l, "attendance-close-button");

        let register = h.ask(&secretary, "/attendance").await;
        assert!(says(register.text.as_deref(), l, "attendance-header"));
        assert!(says(register.text.as_deref(), l, "attendance-page"));
        let labels = register.button_texts();
        assert!(labels.len() <= 42, "{labels:?}");
        assert!(labels.contains(&"❌ Đảng viên 1000".to_string()));
        assert!(!labels.contains(&"❌ Đảng viên 1050".to_string()));
        assert!(labels.contains(&"▶".to_string()) && !labels.contains(&"◀".to_string()));
        assert!(labels.contains(&close));

        // ▶: the second page.
        h.press(&secretary, &register, "▶").await;
        let second = h.current(&register);
        let labels = second.button_texts();
        assert!(
            labels.contains(&"❌ Đảng viên 1050".to_string()),
            "{labels:?}"
        );
        assert!(!labels.contains(&"❌ Đảng viên 1000".to_string()));
        assert!(labels.contains(&"◀".to_string()) && labels.contains(&"▶".to_string()));
        assert!(labels.contains(&close));

        // A toggle on the second page: marked, and the register stays there.
        let (answer, _) = h.press(&secretary, &second, "❌ Đảng viên 1050").await;
        assert!(says(answer.str_param("text"), l, "attendance-marked"));
        let after = h.current(&register);
        let labels = after.button_texts();
        assert!(
            labels.contains(&"✅ Đảng viên 1050".to_string()),
            "{labels:?}"
        );
        assert!(says(after.text.as_deref(), l, "attendance-header"));

        // The last page, and back.
        h.press(&secretary, &after, "▶").await;
        let last = h.current(&register);
        let labels = last.button_texts();
        assert!(
            labels.contains(&"❌ Đảng viên 1109".to_string()),
            "{labels:?}"
        );
        assert!(!labels.contains(&"▶".to_string()));
        h.press(&secretary, &last, "◀").await;
        assert!(
            h.current(&register)
                .button_texts()
                .contains(&"✅ Đảng viên 1050".to_string())
        );

        // A forged page far beyond the last shows the last page.
        let id = h.count("SELECT MAX(id) FROM meetings").await;
        h.press_data(
            &secretary,
            register.message_id,
            &format!("tp:{id}:4000000000"),
        )
        .await;
        assert!(
            h.current(&register)
                .button_texts()
                .contains(&"❌ Đảng viên 1109".to_string())
        );
        // A stranger's page press is refused.
        let stranger = user(en, 999, "Lạ");
        let (answer, _) = h
            .press_data(&stranger, register.message_id, &format!("tp:{id}:0"))
            .await;
        refused(&answer, l);
    }
}

/// The register is open on the deputy's screen when the meeting is
/// postponed to next week (answers and marks reset): a toggle or Close
/// pressed on it afterwards changes nothing; the postponed meeting's
/// register is not closed, nobody marked absent.
#[tokio::test]
async fn a_register_opened_before_a_postponement_is_not_marked_or_closed() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        seed_members(&h, cell, 302, 2).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let register = h.ask(&secretary, "/attendance").await;
        assert!(says(register.text.as_deref(), l, "attendance-header"));
        let c = h.membership_of(303).await;
        // The committee marks one member before the meeting is moved.
        let marked = meetings::mark(
            &h.pool,
            id,
            c,
            Attendance::Present,
            100,
            now(&h),
            TZ,
            meetings::RegisterNotices::NONE,
        );
        assert!(matches!(
            marked.await.unwrap(),
            meetings::Marked::Done { .. }
        ));

        let moved = meetings::postpone(
            &h.pool,
            id,
            100,
            (None, start + Duration::days(7)),
            (now(&h), None),
            |_, _| Vec::new(),
        )
        .await
        .unwrap();
        assert_eq!(moved, meetings::Changed::Done);
        // The mark was for the old time: at the new one the member's answer
        // is followed again.
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations
                 WHERE meeting_id = ? AND (marked_by IS NOT NULL OR attendance IS NOT NULL)",
                id
            )
            .await,
            0
        );

        // Pressed after: the handler reads the new time.
        let (answer, _) = h
            .press_data(&secretary, register.message_id, &format!("tt:{id}:{c}:p"))
            .await;
        assert_eq!(
            alert_text(&answer),
            fixed(l, "attendance-none"),
            "{answer:?}"
        );
        let (answer, _) = h
            .press_data(&secretary, register.message_id, &format!("tc:{id}"))
            .await;
        assert_eq!(
            alert_text(&answer),
            fixed(l, "attendance-none"),
            "{answer:?}"
        );
        // Pressed before, committed after (the handler read the old time):
        // the store's transaction reads it again.
        let (at, tz) = (now(&h), TZ);
        let marked = meetings::mark(
            &h.pool,
            id,
            c,
            Attendance::Present,
            100,
            at,
            tz,
            meetings::RegisterNotices::NONE,
        );
        assert_eq!(marked.await.unwrap(), meetings::Marked::Gone);
        let closed = meetings::close(&h.pool, id, 100, at, tz, meetings::RegisterNotices::NONE);
        assert!(matches!(closed.await.unwrap(), meetings::Closed::Gone));
        let old = meetings::Meeting {
            starts_at: start,
            ..meetings::get(&h.pool, id).await.unwrap().unwrap()
        };
        assert_eq!(meetings::prefill_register(&h.pool, &old).await.unwrap(), 0);
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meetings WHERE id = ? AND closed_at IS NULL",
                id
            )
            .await,
            1
        );
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ? AND attendance IS NOT NULL",
                id
            )
            .await,
            0
        );
    }
}

/// In January, /stats of the year before notes the periodic meetings of
/// that year's second half, not of the half just begun (where no cell has
/// had one yet).
#[tokio::test]
async fn the_half_year_note_of_a_past_year_is_its_second_half() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let ward = scalar(&h, "SELECT ward_id FROM cells WHERE id = ?", cell).await;
        let a = h.membership_of(300).await;
        held(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2026, 9, 10, 19),
            "h1",
            &[a],
        )
        .await;
        h.set_local(2027, 1, 5, 9, 0);
        let supervisor = user(en, 800, "Giám sát");
        h.ask(
            &supervisor,
            &format!("/start {}", h.supervisor_code(ward).await),
        )
        .await;
        let replies = h.say(&supervisor, "/stats 2026").await;
        let text = replies.last().unwrap().text.clone().unwrap();
        // Last year's second half, not "this half-year".
        assert!(
            says(Some(&text), l, "attendance-stats-past-half-none"),
            "{text}"
        );
        assert!(
            !says(Some(&text), l, "attendance-stats-half-none"),
            "{text}"
        );
        assert!(
            text.contains("01/07/2026") && text.contains("31/12/2026"),
            "{text}"
        );
    }
}

/// The register corrected after a sheet citing the activity it recorded
/// was signed: the sheet is still genuine (not "changed after signing"),
/// and /verify says what the correction took back.
#[tokio::test]
async fn a_register_corrected_after_signing_leaves_the_sheet_genuine() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let a = h.membership_of(300).await;
        let start = local(2026, 11, 25, 19);
        let id = held(&h, cell, MeetingKind::Periodic, start, "c1", &[a]).await;

        h.set_local(2026, 11, 26, 10, 0);
        let list = h.ask(&secretary, "/sheets").await;
        let label = list.buttons()[0].0.clone();
        let (_, opened) = h.press(&secretary, &list, &label).await;
        let draft_id = opened.last().unwrap().message_id;
        let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        sign(
            &h,
            (&secretary, &member),
            (draft_id, sheet),
            &[0, 1, 2, 3, 4, 5],
        )
        .await;
        let (code, content): (String, String) =
            sqlx::query_as("SELECT code, content FROM sheets WHERE state = 'signed'")
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert!(
            content.contains("report_id"),
            "the meeting is cited: {content}"
        );

        // The next day the register is corrected: absent after all.
        let marked = meetings::mark(
            &h.pool,
            id,
            a,
            Attendance::Absent,
            100,
            local(2026, 11, 27, 9),
            TZ,
            meetings::RegisterNotices::NONE,
        )
        .await
        .unwrap();
        assert!(
            !matches!(marked, meetings::Marked::TooLate { .. }),
            "{marked:?}"
        );
        let verified = h
            .ask(&member, &format!("/verify {code}"))
            .await
            .text
            .unwrap();
        assert!(says(Some(&verified), l, "verify-ok"), "{verified}");
        assert!(says(Some(&verified), l, "verify-corrected"), "{verified}");
        assert!(!says(Some(&verified), l, "verify-tampered"), "{verified}");
    }
}

/// The register opened before the start (from an hour before) holds a
/// first guess; a member who then says they cannot come is excused in it,
/// and closed so. A row the secretary set stays as set.
#[tokio::test]
async fn an_answer_after_the_register_opened_early_is_followed() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    seed_members(&h, cell, 400, 1).await;
    let a = h.membership_of(300).await;
    let b = h.membership_of(400).await;
    let start = now(&h) + Duration::minutes(50);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "e1").await;
    let called = meetings::get(&h.pool, id).await.unwrap().unwrap();
    meetings::prefill_register(&h.pool, &called).await.unwrap();
    let row = |membership: i64| {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT attendance FROM meeting_invitations WHERE meeting_id = ? AND membership_id = ?",
        )
        .bind(id)
        .bind(membership)
        .fetch_one(&h.pool)
    };
    assert_eq!(row(a).await.unwrap().as_deref(), Some("absent"));
    // The secretary marks the other member excused; they then answer
    // "attending": the secretary's mark stands.
    meetings::mark(
        &h.pool,
        id,
        b,
        Attendance::Excused,
        100,
        now(&h),
        TZ,
        meetings::RegisterNotices::NONE,
    )
    .await
    .unwrap();
    // The member's own list shows their answer, not the register's guess.
    let listed = h.say(&member, "/meetings").await;
    let texts: Vec<String> = listed.iter().filter_map(|m| m.text.clone()).collect();
    assert!(
        texts.iter().any(|t| t.contains("chưa trả lời"))
            && !texts.iter().any(|t| t.contains("vắng mặt")),
        "{texts:?}"
    );
    // The member says they cannot come, with a reason, through the bot.
    let shown = listed.last().unwrap().clone();
    h.press_data(&member, shown.message_id, &format!("gd:{id}"))
        .await;
    h.ask(&member, "Bị ốm").await;
    assert_eq!(row(a).await.unwrap().as_deref(), Some("excused"));
    // The secretary confirms it (the same mark): a later "attending" from
    // the member no longer moves it.
    meetings::mark(
        &h.pool,
        id,
        a,
        Attendance::Excused,
        100,
        now(&h),
        TZ,
        meetings::RegisterNotices::NONE,
    )
    .await
    .unwrap();
    h.press_data(&member, shown.message_id, &format!("ga:{id}"))
        .await;
    assert_eq!(row(a).await.unwrap().as_deref(), Some("excused"));
    let other = vi_user(400, "dv400");
    let shown = h.ask(&other, "/meetings").await;
    h.press_data(&other, shown.message_id, &format!("ga:{id}"))
        .await;
    assert_eq!(row(b).await.unwrap().as_deref(), Some("excused"));
    meetings::close(
        &h.pool,
        id,
        100,
        start + Duration::minutes(30),
        TZ,
        meetings::RegisterNotices::NONE,
    )
    .await
    .unwrap();
    assert_eq!(row(a).await.unwrap().as_deref(), Some("excused"));
    // Closed: now the record.
    let listed = h.say(&member, "/meetings").await;
    assert!(
        listed.iter().any(|m| m
            .text
            .as_deref()
            .is_some_and(|t| t.contains("vắng có lý do"))),
        "{listed:?}"
    );
}

/// The register closed before the start (allowed from an hour before) is
/// the record: a member who answers afterwards has the answer recorded
/// (the summary shows it) but their attendance stays as closed, with no
/// correction behind the committee's back, and they are told so, in
/// their language.
#[tokio::test]
async fn an_answer_after_the_register_closed_leaves_it_as_closed() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let a = h.membership_of(300).await;
        let start = now(&h) + Duration::minutes(50);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "c1").await;
        let row = || {
            sqlx::query_as::<_, (Option<String>, Option<String>, Option<String>)>(
                "SELECT attendance, answer, reason FROM meeting_invitations
                 WHERE meeting_id = ? AND membership_id = ?",
            )
            .bind(id)
            .bind(a)
            .fetch_one(&h.pool)
        };
        // The member's invitation (from /meetings), then the close.
        let shown = h.ask(&member, "/meetings").await;
        let register = h.ask(&secretary, "/attendance").await;
        h.press(&secretary, &register, &fixed(l, "attendance-close-button"))
            .await;
        let closed = (Some("absent".to_string()), None, None);
        assert_eq!(row().await.unwrap(), closed);

        // "I cannot attend", then the reason: recorded as the answer, the
        // register left as closed; told so at the press and after the reason.
        let (answer, _) = h
            .press_data(&member, shown.message_id, &format!("gd:{id}"))
            .await;
        assert_eq!(
            row().await.unwrap().0.as_deref(),
            Some("absent"),
            "the closed register changed with the answer"
        );
        assert!(
            says(
                Some(&alert_text(&answer)),
                l,
                "meeting-answer-register-closed"
            ),
            "{answer:?}"
        );
        let reply = h.ask(&member, "Bị ốm").await;
        assert!(
            says(reply.text.as_deref(), l, "meeting-answer-register-closed"),
            "{:?}",
            reply.text
        );
        let (attendance, answer, reason) = row().await.unwrap();
        assert_eq!(
            (attendance.as_deref(), answer.as_deref(), reason.as_deref()),
            (Some("absent"), Some("decline"), Some("Bị ốm")),
            "the closed register changed with the answer"
        );
        // "I will attend" instead: the same.
        let (answer, _) = h
            .press_data(&member, shown.message_id, &format!("ga:{id}"))
            .await;
        assert!(
            says(
                Some(&alert_text(&answer)),
                l,
                "meeting-answer-register-closed"
            ),
            "{answer:?}"
        );
        assert_eq!(row().await.unwrap().0.as_deref(), Some("absent"));
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE user_id = 300")
                .await,
            0,
            "no activity recorded for an answer"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance_correct'")
                .await,
            0
        );
    }
}

/// A draft opened again follows the register for the levels the
/// secretary has not chosen; a level they chose stays.
#[tokio::test]
async fn a_draft_opened_again_follows_the_register_where_nothing_was_chosen() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let a = h.membership_of(300).await;
        held(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2026, 6, 10, 19),
            "f1",
            &[a],
        )
        .await;
        let meetings = lienhe::domain::sheet::Criterion::Meetings;
        let level = |n: u8| {
            format!(
                "3. {}: {}",
                lienhe::sheet::build::criterion_label(l, meetings),
                lienhe::sheet::build::level_label(l, meetings, n)
            )
        };
        let open = || async {
            let list = h.ask(&secretary, "/sheets").await;
            let label = list.buttons()[0].0.clone();
            let (_, opened) = h.press(&secretary, &list, &label).await;
            opened.last().unwrap().clone()
        };
        let draft = open().await;
        let body = draft.text.clone().unwrap();
        assert!(body.contains(&level(0)), "{body}");

        // A second meeting, missed: opened again, the suggestion follows.
        held(
            &h,
            cell,
            MeetingKind::Cell,
            local(2026, 9, 10, 19),
            "f2",
            &[],
        )
        .await;
        let draft = open().await;
        let body = draft.text.clone().unwrap();
        assert!(body.contains(&level(1)), "{body}");

        // The secretary chooses "full" all the same; a third meeting,
        // missed too, leaves their choice as it is.
        let full = format!("3. {}", lienhe::sheet::build::level_label(l, meetings, 0));
        h.press(&secretary, &draft, &full).await;
        held(
            &h,
            cell,
            MeetingKind::Cell,
            local(2026, 10, 10, 19),
            "f3",
            &[],
        )
        .await;
        let body = open().await.text.unwrap();
        assert!(body.contains(&level(0)), "{body}");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'follow_suggestions'")
                .await,
            1
        );
    }
}

/// An excused absence is noted on the sheet with the reason the member
/// gave the bot.
#[tokio::test]
async fn an_excused_absence_shows_its_reason_on_the_sheet() {
    let body = sheet_after_declining(false, "Đi công tác xa").await;
    assert!(
        body.contains("Vắng có lý do (lý do: Đi công tác xa)"),
        "{body}"
    );
}

/// The sheet the secretary opens for a member who declined a meeting with
/// `reason` (then closed, the member absent with that reason).
async fn sheet_after_declining(en: bool, reason: &str) -> String {
    let h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let start = now(&h) + Duration::minutes(50);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "x1").await;
    let shown = h.ask(&member, "/meetings").await;
    h.press_data(&member, shown.message_id, &format!("gd:{id}"))
        .await;
    h.ask(&member, reason).await;
    let called = meetings::get(&h.pool, id).await.unwrap().unwrap();
    meetings::prefill_register(&h.pool, &called).await.unwrap();
    meetings::close(
        &h.pool,
        id,
        100,
        start + Duration::minutes(30),
        TZ,
        meetings::RegisterNotices::NONE,
    )
    .await
    .unwrap();
    let list = h.ask(&secretary, "/sheets").await;
    let label = list.buttons()[0].0.clone();
    let (_, opened) = h.press(&secretary, &list, &label).await;
    opened.last().unwrap().text.clone().unwrap()
}

/// A reason typed over several lines is one line of the sheet's meeting
/// list: it cannot add a line that reads as the sheet's own (a criterion's
/// level), in either language.
#[tokio::test]
async fn a_reason_over_several_lines_is_one_line_on_the_sheet() {
    for en in [false, true] {
        let l = lang(en);
        let meetings = lienhe::domain::sheet::Criterion::Meetings;
        let forged = format!(
            "{}: {}",
            lienhe::sheet::build::criterion_label(l, meetings),
            lienhe::sheet::build::level_label(l, meetings, 0)
        );
        let body = sheet_after_declining(en, &format!("Đi công tác\n3. {forged}")).await;
        let excused = body
            .lines()
            .find(|line| line.contains("Đi công tác"))
            .unwrap_or_else(|| panic!("{body}"));
        assert!(
            excused.contains(&format!("Đi công tác 3. {forged}")),
            "{body}"
        );
        assert!(
            !body
                .lines()
                .any(|line| line.trim_start().starts_with("3.") && line.contains(&forged)),
            "the reason added a criterion line of its own:\n{body}"
        );
    }
}

/// A member approved while a meeting is scheduled gets their invitation at
/// the scheduler's next look. Cancelled before that, the meeting is not
/// announced to them at all: no cancellation of a meeting never announced,
/// and no invitation to a cancelled one.
#[tokio::test]
async fn a_meeting_cancelled_before_a_newcomers_invitation_is_not_announced_to_them() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let start = now(&h) + Duration::days(2);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
    let newcomer = vi_user(301, "Cúc");
    h.join_approved(&secretary, &newcomer, "Phạm Thị Cúc").await;
    let before = h.api.sent_count(newcomer.id);
    let mut told_members = Vec::new();
    meetings::cancel(&h.pool, (id, 0), 100, now(&h), |_, told| {
        told_members = told.iter().map(|t| t.invitee.user_id).collect();
        Vec::new()
    })
    .await
    .unwrap();
    assert_eq!(
        told_members,
        vec![300],
        "the member told of it, not the newcomer"
    );
    h.tick().await;
    h.drain().await;
    assert_eq!(h.api.sent_count(newcomer.id), before);
}

/// A check-in counts when it was scanned, as Telegram stamped the message,
/// not when it reached the bot: scanned during the meeting while the bot
/// was unreachable, and handled five hours later (past the four hours the
/// check-in stays open), the member is present all the same.
#[tokio::test]
async fn a_checkin_scanned_during_the_meeting_counts_when_it_arrives_late() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    // The meeting began ten minutes before the scan (the fake stamps its
    // messages with the real time); the bot's clock is five hours on.
    let scanned = chrono::Utc::now();
    h.clock.set(scanned - Duration::minutes(10));
    let id = meeting(
        &h,
        cell,
        MeetingKind::Periodic,
        scanned - Duration::minutes(10),
        100,
        "m1",
    )
    .await;
    let code = meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    h.clock.set(scanned + Duration::hours(5));
    let done = h.ask(&member, &format!("/start {code}")).await;
    assert!(
        says(done.text.as_deref(), Lang::Vi, "checkin-done"),
        "{:?}",
        done.text
    );
    let at: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT checked_in_at FROM meeting_invitations WHERE meeting_id = ? AND user_id = 300",
    )
    .bind(id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    let at = at.expect("checked in");
    assert!((at - scanned).num_seconds().abs() <= 2, "at the scan: {at}");
}

/// A check-in link cut short (a character lost when copied from the QR
/// code's caption, or a damaged code) is told as a wrong check-in code in
/// the member's language, not as a wrong invitation code that sends an
/// approved member to ask for a new invitation.
#[tokio::test]
async fn a_check_in_code_cut_short_is_told_as_a_wrong_check_in_code() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let code = meetings::checkin_code(&h.pool, id, h.app().now())
            .await
            .unwrap()
            .unwrap();
        for cut in [&code[..code.len() - 1], &code[..10], "ck_AAAA-AAAA"] {
            let reply = h.ask(&member, &format!("/start {cut}")).await.text;
            assert_eq!(reply.unwrap(), fixed(l, "checkin-unknown"), "{cut}");
        }
        assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 0);
        // The whole code still checks in.
        let done = h.ask(&member, &format!("/start {code}")).await.text;
        assert!(says(done.as_deref(), l, "checkin-done"), "{done:?}");
    }
}

/// A newcomer who asked to join at the meeting itself and scans its code
/// before the secretary confirmed the request is told that it waits, and
/// until when the code works: not that they are no member of the cell they
/// just asked to join. Nothing is recorded; once confirmed, the same code
/// checks them in.
#[tokio::test]
async fn a_newcomer_whose_join_waits_is_told_to_check_in_once_confirmed() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let code = meetings::checkin_code(&h.pool, id, h.app().now())
            .await
            .unwrap()
            .unwrap();
        let newcomer = user(en, 301, "Cúc");
        let link = h.invite_code(&secretary).await;
        h.request_join(&newcomer, &link, "Phạm Thị Cúc").await;

        let told = h.ask(&newcomer, &format!("/start {code}")).await.text;
        let told = told.unwrap_or_default();
        assert!(!says(Some(&told), l, "checkin-not-member"), "{told}");
        assert!(says(Some(&told), l, "checkin-not-confirmed"), "{told}");
        assert!(told.contains("Chi bộ khối 5"), "{told}");
        // Until four hours after the start (10:30 in Hanoi).
        assert!(told.contains("20/11/2026 14:30"), "{told}");
        assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 0);
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ? AND user_id = 301",
                id
            )
            .await,
            0
        );

        // Confirmed, the same code checks them in.
        let card = h.last(&secretary);
        h.press(&secretary, &card, &fixed(l, "button-approve"))
            .await;
        let done = h.ask(&newcomer, &format!("/start {code}")).await.text;
        assert!(says(done.as_deref(), l, "checkin-done"), "{done:?}");
        assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 1);
    }
}

/// The line of the register's header that counts who is present.
fn present_line_of(lang: Lang, count: usize, total: usize) -> String {
    let header = lienhe::t!(
        lang,
        "attendance-header",
        kind = "k",
        cell = "c",
        when = "w",
        place = "p",
        count = count,
        total = total
    );
    header.lines().nth(2).unwrap().to_string()
}

/// A secretary in `lang` and thirty members invited to a periodic meeting
/// in half an hour: the meeting's id and its check-in code.
async fn thirty_invited(lang: Lang) -> (Harness, TgUser, i64, String) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 300, 30).await;
    let start = now(&h) + Duration::minutes(30);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, secretary.id, "m1").await;
    let code = meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    (h, secretary, id, code)
}

/// Thirty members check in at the door while the secretary's register is
/// on the screen: the register counts them as they come, and once the
/// burst is over it shows all thirty (a restart in the middle included),
/// never edited with nothing changed. It read "0/30" to the end.
#[tokio::test]
async fn the_register_on_the_screen_counts_the_check_ins() {
    for lang in [Lang::Vi, Lang::En] {
        let (mut h, secretary, id, code) = thirty_invited(lang).await;
        let register = h.ask(&secretary, "/attendance").await;
        let shows = |h: &Harness, count| {
            let text = h.current(&register).text.unwrap_or_default();
            text.contains(&present_line_of(lang, count, 30))
        };
        assert!(shows(&h, 0), "{:?}", register.text);
        thirty_check_in_around_a_restart(&mut h, id, &code, &register).await;
        assert!(shows(&h, 30), "{lang:?}: {:?}", h.current(&register).text);
    }
}

/// Members 300–329 check in with `code` to meeting `id`, fifteen at once,
/// the bot restarting, then fifteen at once; all thirty are counted, and
/// the edits of `shown` (a register or summary on the screen) went out at
/// least a second apart (the sender's pace per chat; a restart forgets
/// it), some after the restart, none with what it showed already.
async fn thirty_check_in_around_a_restart(h: &mut Harness, id: i64, code: &str, shown: &Sent) {
    h.start_sender(paced_sender()).await;
    let edits = |h: &Harness| {
        h.api
            .calls_of("editMessageText")
            .into_iter()
            .filter(|c| c.params["message_id"] == shown.message_id)
            .map(|c| c.at)
            .collect::<Vec<_>>()
    };
    let paced = |at: &[std::time::Instant]| {
        at.windows(2)
            .all(|w| w[1] - w[0] >= std::time::Duration::from_millis(1000))
    };
    let mut before_restart = Vec::new();
    let members: Vec<TgUser> = (300..330)
        .map(|id| vi_user(id, &format!("dv{id}")))
        .collect();
    for (half, restart) in [(&members[..15], true), (&members[15..], false)] {
        let updates: Vec<i64> = half
            .iter()
            .map(|m| h.api.text(m, &format!("/start {code}")))
            .collect();
        for update in updates {
            h.handled(update).await;
        }
        if restart {
            h.drain().await;
            before_restart = edits(h);
            h.restart().await;
        }
    }
    h.drain().await;
    assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 30);
    assert_eq!(h.api.not_modified(), 0);
    let after_restart = edits(h).split_off(before_restart.len());
    assert!(
        paced(&before_restart) && paced(&after_restart),
        "{before_restart:?} {after_restart:?}"
    );
    assert!(!after_restart.is_empty());
}

/// Thirty members check in at once while the secretary's summary of the
/// meeting is on the screen: its edits go out at the sender's pace for the
/// chat (Telegram answers more than about one edit a second in a chat with
/// 429, which held the check-ins up), never with what it shows already,
/// and the last one counts all thirty, across a restart too.
#[tokio::test]
async fn the_summary_on_the_screen_counts_the_check_ins_at_a_paced_rate() {
    for lang in [Lang::Vi, Lang::En] {
        let (mut h, secretary, id, code) = thirty_invited(lang).await;
        let list = h.ask(&secretary, "/meetings").await;
        let label = label_of(&list, &format!("gv:{id}")).expect("the summary's button");
        let (_, replies) = h.press(&secretary, &list, &label).await;
        let summary = replies.last().cloned().expect("the summary");
        let checked_in = |h: &Harness| {
            let text = h.current(&summary).text.unwrap_or_default();
            let count = text
                .lines()
                .find(|l| l.starts_with('📍') && l.contains("QR"))
                .map(str::to_owned);
            (count, text)
        };
        thirty_check_in_around_a_restart(&mut h, id, &code, &summary).await;
        let (line, text) = checked_in(&h);
        assert!(line.is_some_and(|l| l.contains("(30)")), "{lang:?}: {text}");
    }
}

/// The secretary hands over while members check in, and the deputy is
/// removed while marking by hand: each register on the screen follows the
/// check-ins and the other one's marks while its reader is on the
/// committee; a press on it afterwards says they no longer are (and who
/// decides now), takes its buttons off and writes nothing; the new
/// secretary's register counts everyone.
#[tokio::test]
async fn registers_follow_a_handover_and_a_deputy_removed_during_check_in() {
    let h = Harness::start().await;
    let old = vi_user(100, "Bình");
    let deputy = en_user(200, "Dung");
    let new = en_user(150, "Chau");
    let cell = h.cell_setup().await;
    h.make_secretary(&old, cell, "Trần Thị Bình").await;
    crate::committee::make_deputy(&h, &old, &deputy, "Phạm Văn Dũng").await;
    seed_members(&h, cell, 300, 3).await;
    let start = now(&h) + Duration::minutes(30);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, old.id, "m1").await;
    let code = meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let old_register = h.ask(&old, "/attendance").await;
    let deputy_register = h.ask(&deputy, "/attendance").await;
    let present = |h: &Harness, register: &Sent, lang: Lang, count: usize| {
        let text = h.current(register).text.unwrap_or_default();
        text.contains(&present_line_of(lang, count, 3))
    };
    let member = |id: i64| vi_user(id, &format!("dv{id}"));
    h.ask(&member(300), &format!("/start {code}")).await;
    h.drain().await;
    assert!(present(&h, &old_register, Lang::Vi, 1));
    assert!(present(&h, &deputy_register, Lang::En, 1));
    // The deputy marks a member by hand: the secretary's register follows.
    let label = h
        .current(&deputy_register)
        .button_texts()
        .into_iter()
        .find(|l| l.contains("301"))
        .unwrap();
    h.press(&deputy, &h.current(&deputy_register), &label).await;
    h.drain().await;
    assert!(present(&h, &old_register, Lang::Vi, 2));

    // The handover, then a check-in: the old secretary's register no
    // longer follows; the deputy's does; the new secretary's counts all.
    let out = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::Secretary { cell },
        })
        .await;
    h.ask(&new, &format!("/start {}", out.lines().last().unwrap()))
        .await;
    h.ask(&new, "Ngô Minh Châu").await;
    h.ask(&member(302), &format!("/start {code}")).await;
    h.drain().await;
    assert!(present(&h, &old_register, Lang::Vi, 2));
    assert!(present(&h, &deputy_register, Lang::En, 3));
    let new_register = h.ask(&new, "/attendance").await;
    assert!(present(&h, &new_register, Lang::En, 3));

    // Presses on the registers of those no longer on the committee.
    let marks = "SELECT COUNT(*) FROM meeting_invitations WHERE marked_by IS NOT NULL";
    let marked = h.count(marks).await;
    let shown = h.current(&old_register);
    let label = shown.button_texts()[0].clone();
    let (answer, _) = h.press(&old, &shown, &label).await;
    let gone = lienhe::t!(
        Lang::Vi,
        "committee-role-gone-now",
        role = "secretary",
        cell = "Chi bộ khối 5",
        who = "Ngô Minh Châu"
    );
    assert_eq!(alert_text(&answer), gone);
    assert!(h.current(&old_register).button_texts().is_empty());
    h.admin(lienhe::cli::Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user: deputy.id,
            role: lienhe::cli::RoleName::Deputy,
            workplace: None,
            ward: None,
            cell: Some(cell),
        },
    })
    .await;
    let shown = h.current(&deputy_register);
    let label = shown.button_texts()[0].clone();
    let (answer, _) = h.press(&deputy, &shown, &label).await;
    let gone = lienhe::t!(
        Lang::En,
        "committee-role-gone-now",
        role = "deputy",
        cell = "Chi bộ khối 5",
        who = "Ngô Minh Châu"
    );
    assert_eq!(alert_text(&answer), gone);
    assert!(h.current(&deputy_register).button_texts().is_empty());
    assert_eq!(h.count(marks).await, marked, "nothing written");
    assert_eq!(h.api.not_modified(), 0);
}

/// The check-in QR code forwarded to the member (a photo whose caption
/// carries the link) and sent on to the bot instead of scanned: the link
/// in the caption checks them in, as the link pasted alone does; it was
/// answered that they had not joined or with the idle hint.
#[tokio::test]
async fn the_check_in_photo_sent_to_the_bot_checks_in_by_its_caption() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    meeting_in_half_an_hour(&h, cell).await;
    let photo = h.ask(&secretary, "/checkin").await;
    let caption = photo.text.clone().expect("the caption");
    let replies = h
        .send_update(&member, |api| {
            api.photo(&member, "QR-FORWARDED", None, Some(&caption))
        })
        .await;
    assert!(
        replies
            .last()
            .is_some_and(|r| says(r.text.as_deref(), Lang::Vi, "checkin-done")),
        "{replies:#?}"
    );
}

/// The deputy toggles a member three times round (present → excused →
/// absent → as before) while the sender is down: the secretary's register
/// got an edit queued at each toggle, each replacing the one before, the
/// last showing what the register shows already. It is not sent (Telegram
/// would refuse it as not modified, and the row was marked failed); nothing
/// failed, and the register shows the member as before.
#[tokio::test]
async fn a_register_toggled_round_while_its_edit_waits_is_not_edited_to_itself() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let deputy = en_user(200, "Dung");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    seed_members(&h, cell, 300, 3).await;
    let start = now(&h) + Duration::minutes(30);
    meeting(&h, cell, MeetingKind::Periodic, start, secretary.id, "m1").await;
    let register = h.ask(&secretary, "/attendance").await;
    let deputy_register = h.ask(&deputy, "/attendance").await;
    let before = h.current(&register);

    h.stop_sender().await;
    for _ in 0..3 {
        let shown = h.current(&deputy_register);
        let label = shown
            .button_texts()
            .into_iter()
            .find(|l| l.contains("301"))
            .expect("member 301's button");
        h.press(&deputy, &shown, &label).await;
    }
    assert_ne!(h.current(&deputy_register).text, None);
    h.start_sender(default_sender()).await;
    h.drain().await;

    assert_eq!(h.api.not_modified(), 0);
    let failed = h
        .count("SELECT COUNT(*) FROM outbox WHERE status IN ('failed', 'unreachable')")
        .await;
    assert_eq!(failed, 0);
    let after = h.current(&register);
    assert_eq!(after.text, before.text);
    assert_eq!(after.button_texts(), before.button_texts());
}

/// A member checks in and the edit of the secretary's register is being
/// sent (read by the sender, Telegram's answer not yet back) when the
/// secretary marks another member on it: the press shows the register
/// with both, and the edit in flight, landing after it, shows it without
/// the mark. The register ends showing both (the press queued its view
/// again, sent since the message shows something else by then), not one
/// behind until the next change.
#[tokio::test]
async fn a_mark_pressed_while_an_older_edit_is_in_flight_is_shown_in_the_end() {
    use lienhe::store::outbox;
    use teloxide::{
        prelude::*,
        types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId},
    };
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    seed_members(&h, cell, 300, 3).await;
    let start = now(&h) + Duration::minutes(30);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, secretary.id, "m1").await;
    let code = meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let register = h.ask(&secretary, "/attendance").await;

    // The check-in's edit, read by the sender.
    h.stop_sender().await;
    h.ask(&vi_user(300, "dv300"), &format!("/start {code}"))
        .await;
    let held = outbox::due(&h.pool, now(&h), 10, &[])
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.chat_id == secretary.id)
        .expect("the register's edit");
    let in_flight = held.payload().unwrap();
    assert_eq!(in_flight.edit, Some(register.message_id));

    // The secretary marks member 301 on the register.
    let shown = h.current(&register);
    let label = shown
        .button_texts()
        .into_iter()
        .find(|l| l.contains("301"))
        .expect("member 301's button");
    h.press(&secretary, &shown, &label).await;
    let pressed = h.current(&register);

    // The edit in flight reaches Telegram after the press, and the sender
    // records what it shows (its row, superseded meanwhile, stays so).
    let markup = InlineKeyboardMarkup::new(in_flight.buttons.iter().map(|row| {
        row.iter()
            .map(|(label, data)| InlineKeyboardButton::callback(label.clone(), data.clone()))
            .collect::<Vec<_>>()
    }));
    let message = MessageId(register.message_id as i32);
    h.bot()
        .edit_message_text(ChatId(secretary.id), message, in_flight.text.clone())
        .reply_markup(markup)
        .await
        .unwrap();
    let at = h.app().now();
    let edited = (secretary.id, register.message_id);
    outbox::record_shown_now(&h.pool, edited, &in_flight.fingerprint(), at)
        .await
        .unwrap();
    outbox::mark_sent(&h.pool, held.id, secretary.id, register.message_id, at)
        .await
        .unwrap();
    assert_ne!(h.current(&register).text, pressed.text);

    h.start_sender(default_sender()).await;
    h.drain().await;
    let end = h.current(&register);
    assert_eq!(end.text, pressed.text);
    assert_eq!(end.button_texts(), pressed.button_texts());
    assert_eq!(h.api.not_modified(), 0);
}

/// The register is closed before the meeting starts, a member then checks
/// in (their presence recorded as an approved activity) and the secretary
/// ends their membership before the meeting begins: they are no longer on
/// its register, and nothing of a meeting they are not on the register of
/// is left in their record (the activity the cell recorded goes with the
/// invitation, audited).
#[tokio::test]
async fn a_member_who_checked_in_and_left_before_the_start_keeps_no_recorded_meeting() {
    let en = false;
    let l = lang(en);
    let (h, secretary, member, cell) = cell_on_2_december(en).await;
    let code = meeting_in_half_an_hour(&h, cell).await;
    let register = h.ask(&secretary, "/attendance").await;
    let close = fixed(l, "attendance-close-button");
    h.press(&secretary, &register, &close).await;
    h.clock.advance(Duration::minutes(5));
    let done = h.ask(&member, &format!("/start {code}")).await;
    assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);

    end_membership(&h, &secretary, &member).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'left'")
            .await,
        1
    );

    assert_eq!(
        h.count("SELECT COUNT(*) FROM meeting_invitations WHERE user_id = 300")
            .await,
        0,
        "not on the register"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE user_id = 300")
            .await,
        0,
        "no activity of a meeting they are not on the register of"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_unrecord'")
            .await,
        1
    );
    assert!(matches!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        lienhe::store::audit::ChainCheck::Intact { .. }
    ));
}

/// The secretary opens the register half an hour before the start (its
/// first guess: everyone absent) and keeps it on the screen; a member then
/// says they cannot come, with their reason. The register moves its guess
/// with the answer (excused) and the register on the secretary's screen
/// shows it so, as it shows a check-in: not absent, to be closed as it
/// reads.
#[tokio::test]
async fn an_answer_after_the_register_opened_moves_the_register_on_the_screen() {
    for en in [false, true] {
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = vi_user(300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "s1").await;
        let register = h.ask(&secretary, "/attendance").await;
        let row = |shown: &Sent| {
            shown
                .button_texts()
                .into_iter()
                .find(|l| l.contains("Nguyễn Văn An"))
                .unwrap_or_else(|| panic!("the member's row: {shown:?}"))
        };
        let before = row(&register);
        assert!(before.contains('❌'), "{before}");

        let listed = h.say(&member, "/meetings").await;
        let shown = listed.last().unwrap().clone();
        h.press_data(&member, shown.message_id, &format!("gd:{id}"))
            .await;
        h.ask(&member, "Bị ốm").await;
        h.drain().await;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT attendance FROM meeting_invitations WHERE meeting_id = ?")
                .bind(id)
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert_eq!(stored.as_deref(), Some("excused"));
        let after = row(&h.current(&register));
        assert!(after.contains('🟡'), "{en}: {after}");
    }
}

/// The secretary opens the register half an hour before the start and
/// keeps it on the screen; one of the two members leaves the cell before
/// the meeting (the secretary ends the membership). The member is taken off
/// the register, and the register on the screen no longer lists them (a
/// press on their row would only be refused, and the count is of those on
/// it).
#[tokio::test]
async fn a_member_who_leaves_before_the_start_goes_from_the_register_on_the_screen() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        seed_members(&h, cell, 400, 1).await;
        meeting_in_half_an_hour(&h, cell).await;
        let register = h.ask(&secretary, "/attendance").await;
        let listed = |shown: &Sent| {
            shown
                .button_texts()
                .into_iter()
                .any(|l| l.contains("Nguyễn Văn An"))
        };
        assert!(listed(&register), "{register:?}");

        end_membership(&h, &secretary, &member).await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meeting_invitations WHERE user_id = 300")
                .await,
            0
        );
        h.drain().await;
        let shown = h.current(&register);
        assert!(!listed(&shown), "{l:?}: {shown:?}");
    }
}

/// The register is on the secretary's screen half an hour before the
/// start, a member marked present on it; the meeting is then put off by a
/// quarter of an hour (answers, check-ins and marks reset, the register
/// still open at the new time). The register on the screen shows the new
/// time and nobody present any more, as the database has it: closed from
/// that screen, it records what it showed.
#[tokio::test]
async fn a_register_on_the_screen_follows_a_postponement() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, _member, cell) = cell_on_2_december(en).await;
        seed_members(&h, cell, 400, 1).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let register = h.ask(&secretary, "/attendance").await;
        let label = register
            .button_texts()
            .into_iter()
            .find(|l| l.contains("Đảng viên 400"))
            .expect("member 400's row");
        h.press(&secretary, &register, &label).await;
        let marked = h.current(&register);
        assert!(
            marked.button_texts().iter().any(|l| l.starts_with('✅')),
            "{marked:?}"
        );

        h.press_data(&secretary, register.message_id, &format!("gp:{id}"))
            .await;
        let done = h.ask(&secretary, "02/12/2026 09:45").await;
        assert!(
            says(done.text.as_deref(), l, "meeting-postponed-done"),
            "{done:?}"
        );
        h.drain().await;
        let shown = h.current(&register);
        let text = shown.text.clone().unwrap();
        assert!(text.contains("09:45"), "{l:?}: {text}");
        assert!(
            !shown.button_texts().iter().any(|l| l.starts_with('✅')),
            "{l:?}: {shown:?}"
        );

        // Put off to next week: the register is not open at the new time,
        // and says when it opens, with nothing to press; cancelled: it
        // says so.
        h.press_data(&secretary, register.message_id, &format!("gp:{id}"))
            .await;
        h.ask(&secretary, "09/12/2026 09:30").await;
        h.drain().await;
        let shown = h.current(&register);
        let text = shown.text.clone().unwrap();
        assert!(says(Some(&text), l, "attendance-not-open"), "{text}");
        assert!(text.contains("09/12/2026 08:30"), "{text}");
        assert!(shown.buttons().is_empty(), "{shown:?}");
        let (_, asked) = h
            .press_data(&secretary, register.message_id, &format!("gc:{id}"))
            .await;
        let confirm = asked.last().unwrap().clone();
        h.press_data(&secretary, confirm.message_id, &data_of(&confirm, "gy:"))
            .await;
        h.drain().await;
        let text = h.current(&register).text.unwrap();
        assert!(says(Some(&text), l, "attendance-cancelled"), "{text}");
    }
}

/// A member checks in at the door a quarter of an hour before the start;
/// the secretary then moves the meeting by half an hour (check-ins reset,
/// as answers are). The member's notice of the new time says that their
/// check-in was for the old time and no longer counts, and that check-in
/// for the new time is open: to check in again now, with the same code; a
/// member who had not checked in is not told so. The member checks in
/// again; the meeting is moved once more, to a time whose check-in opens
/// later: the notice says from when. Before, the notice only asked to
/// answer again, and the member, told "checked in" earlier, stayed absent.
#[tokio::test]
async fn a_member_checked_in_before_a_postponement_is_told_to_check_in_again() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        seed_members(&h, cell, 400, 1).await;
        let other = vi_user(400, "dv400");
        h.set_local(2026, 12, 2, 9, 15);
        let start = now(&h) + Duration::minutes(15);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let code = meetings::checkin_code(&h.pool, id, h.app().now())
            .await
            .unwrap()
            .unwrap();
        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
        let checked_in = || async {
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations
                 WHERE meeting_id = ? AND checked_in_at IS NOT NULL",
                id,
            )
            .await
        };

        // Moved by half an hour: its check-in is open at the new time too.
        let register = h.ask(&secretary, "/attendance").await;
        h.press_data(&secretary, register.message_id, &format!("gp:{id}"))
            .await;
        let moved = h.ask(&secretary, "02/12/2026 10:00").await;
        assert!(
            says(moved.text.as_deref(), l, "meeting-postponed-done"),
            "{moved:?}"
        );
        // The secretary is told that the one who had checked in is asked
        // to check in again.
        let asked_again = if en {
            "The member who had checked in for the old time is told"
        } else {
            "1 đảng viên đã điểm danh theo giờ họp cũ được thông báo"
        };
        assert!(
            moved.text.as_deref().unwrap_or("").contains(asked_again),
            "{moved:?}"
        );
        h.drain().await;
        assert_eq!(checked_in().await, 0);
        let text = h.last(&member).text.unwrap_or_default();
        assert!(says(Some(&text), l, "meeting-notice-postponed"), "{text}");
        assert!(
            says(Some(&text), l, "meeting-notice-checkin-again"),
            "{l:?}: {text}"
        );
        assert!(text.contains("02/12/2026 09:15"), "{text}");
        let untouched = h.last(&other).text.unwrap_or_default();
        assert!(
            says(Some(&untouched), Lang::Vi, "meeting-notice-postponed"),
            "{untouched}"
        );
        assert!(!untouched.contains("09:15"), "{untouched}");
        // The member's own data keeps the check-in that no longer counts.
        let (xlsx, json) = crate::personal::my_data(&h, &member).await;
        let strings = part(&xlsx, "xl/sharedStrings.xml");
        assert!(
            strings.contains(&text_of(l, "mydata-col-checked-in-earlier")),
            "{strings}"
        );
        assert!(strings.contains("02/12/2026 09:15"), "{strings}");
        let invitation = &json["meetings"][0];
        assert!(invitation["checked_in_at"].is_null(), "{invitation}");
        assert!(invitation["checked_in_earlier"].is_string(), "{invitation}");

        h.clock.advance(Duration::minutes(5));
        let again = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(again.text.as_deref(), l, "checkin-done"), "{again:?}");
        assert!(again.text.as_deref().unwrap_or("").contains("10:00"));
        assert_eq!(checked_in().await, 1);

        // Moved to 11:00: its check-in opens at 10:00.
        let register = h.ask(&secretary, "/attendance").await;
        h.press_data(&secretary, register.message_id, &format!("gp:{id}"))
            .await;
        let moved = h.ask(&secretary, "02/12/2026 11:00").await;
        assert!(
            moved.text.as_deref().unwrap_or("").contains(asked_again),
            "{moved:?}"
        );
        h.drain().await;
        let text = h.last(&member).text.unwrap_or_default();
        assert!(
            says(Some(&text), l, "meeting-notice-checkin-again-later"),
            "{l:?}: {text}"
        );
        assert!(text.contains("02/12/2026 09:20"), "{text}");
        assert!(text.contains("02/12/2026 10:00"), "{text}");
        let untouched = h.last(&other).text.unwrap_or_default();
        assert!(!untouched.contains("09:20"), "{untouched}");
        let early = h.ask(&member, &format!("/start {code}")).await;
        assert!(
            says(early.text.as_deref(), l, "checkin-not-yet"),
            "{early:?}"
        );
    }
}

/// The secretary reschedules the meeting from its register to `to`; their
/// answer.
async fn reschedule(h: &Harness, secretary: &TgUser, id: i64, to: &str) -> Sent {
    let register = h.ask(secretary, "/attendance").await;
    h.press_data(secretary, register.message_id, &format!("gp:{id}"))
        .await;
    h.ask(secretary, to).await
}

/// A member checks in at the door; Telegram cannot be reached for them
/// while the secretary moves the meeting twice in quick succession. The
/// first notice of a new time (the one that said to check in again) is
/// not sent once the second move is made; the second notice still tells
/// the member that their check-in (at 09:15, for the first time) no longer
/// counts and from when to check in again. Before, it said nothing of it:
/// the first move had cleared the check-ins.
#[tokio::test]
async fn a_member_checked_in_before_two_quick_postponements_is_told_to_check_in_again() {
    for en in [false, true] {
        let l = lang(en);
        let (mut h, secretary, member, cell) = cell_on_2_december(en).await;
        h.set_local(2026, 12, 2, 9, 15);
        let start = now(&h) + Duration::minutes(15);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let code = meetings::checkin_code(&h.pool, id, h.app().now())
            .await
            .unwrap()
            .unwrap();
        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
        let notices_before = h.api.sent(member.id).len();

        let asked_again = if en {
            "The member who had checked in for the old time is told"
        } else {
            "1 đảng viên đã điểm danh theo giờ họp cũ được thông báo"
        };
        // Moved to 10:00; Telegram cannot be reached for the member: the
        // notice of the new time waits for its retry.
        h.stop_sender().await;
        let moved = reschedule(&h, &secretary, id, "02/12/2026 10:00").await;
        assert!(
            moved.text.as_deref().unwrap_or("").contains(asked_again),
            "{moved:?}"
        );
        h.api
            .fail_next("sendmessage", Some(member.id), Fault::Disconnect, 1);
        h.start_sender(default_sender()).await;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while scalar(
            &h,
            "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND status = 'queued' AND attempts > 0",
            member.id,
        )
        .await
            == 0
        {
            assert!(tokio::time::Instant::now() < deadline, "no failed send");
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
        h.stop_sender().await;

        // Moved again, to 11:00 (its check-in opens at 10:00), before that
        // notice could go: the secretary is told the member is asked
        // again, and so is the member.
        let moved = reschedule(&h, &secretary, id, "02/12/2026 11:00").await;
        assert!(
            says(moved.text.as_deref(), l, "meeting-postponed-done"),
            "{moved:?}"
        );
        h.start_sender(default_sender()).await;
        h.clock.advance(Duration::minutes(1));
        h.drain().await;
        let told: Vec<String> = h.api.sent(member.id)[notices_before..]
            .iter()
            .filter_map(|s| s.text.clone())
            .filter(|t| says(Some(t), l, "meeting-notice-postponed"))
            .collect();
        assert_eq!(told.len(), 1, "{l:?}: {told:?}");
        let text = &told[0];
        assert!(text.contains("11:00"), "{text}");
        assert!(
            says(Some(text), l, "meeting-notice-checkin-again-later"),
            "{l:?}: {text}"
        );
        assert!(text.contains("02/12/2026 09:15"), "{text}");
        assert!(text.contains("02/12/2026 10:00"), "{text}");
        // And the one rescheduling is told so.
        assert!(
            moved.text.as_deref().unwrap_or("").contains(asked_again),
            "{l:?}: {moved:?}"
        );
    }
}

/// The register is closed half an hour before the start (the meeting took
/// place early); the deputy then presses Reschedule on a summary still
/// showing it, or Yes under a cancellation asked before: refused, and told
/// the register was closed, not that the meeting has started (it has not).
#[tokio::test]
async fn a_meeting_whose_register_was_closed_early_is_not_said_to_have_started() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, _member, cell) = cell_on_2_december(en).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let register = h.ask(&secretary, "/attendance").await;
        let (_, asked) = h
            .press_data(&secretary, register.message_id, &format!("gc:{id}"))
            .await;
        let confirm = asked.last().unwrap().clone();
        let close = fixed(l, "attendance-close-button");
        h.press(&secretary, &register, &close).await;
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meetings WHERE id = ? AND closed_at IS NOT NULL",
                id
            )
            .await,
            1
        );
        let (answer, _) = h
            .press_data(&secretary, register.message_id, &format!("gp:{id}"))
            .await;
        assert_eq!(alert_text(&answer), fixed(l, "meeting-already-held"));
        let (answer, _) = h
            .press_data(&secretary, confirm.message_id, &data_of(&confirm, "gy:"))
            .await;
        assert_eq!(alert_text(&answer), fixed(l, "meeting-already-held"));
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meetings WHERE id = ? AND status = 'scheduled'",
                id
            )
            .await,
            1
        );
    }
}

/// The member checks in and the secretary closes the register half an hour
/// before the start: the meeting took place. /meetings then lists it as
/// held, with the member present, not as upcoming with "0 attending, 1 no
/// answer" and a button offering to reschedule or cancel it (both refused).
#[tokio::test]
async fn a_meeting_whose_register_was_closed_early_is_listed_as_held() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        h.ask(&member, &format!("/start {code}")).await;
        let register = h.ask(&secretary, "/attendance").await;
        let close = fixed(l, "attendance-close-button");
        h.press(&secretary, &register, &close).await;
        let list = h.ask(&secretary, "/meetings").await;
        let text = list.text.clone().unwrap();
        assert!(says(Some(&text), l, "meeting-list-past-line"), "{text}");
        assert!(text.contains(&fixed(l, "meeting-list-past")), "{text}");
        assert!(!text.contains(&fixed(l, "meeting-list-upcoming")), "{text}");
        assert!(list.buttons().is_empty(), "{:?}", list.buttons());
    }
}

/// A member says they cannot attend and why; the register the secretary
/// opens before the start shows them excused with that reason, whole (the
/// summary shortens a long one to 150 characters), in both languages.
#[tokio::test]
async fn the_register_shows_why_a_member_cannot_attend() {
    for en in [false, true] {
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let start = now(&h) + Duration::minutes(50);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let shown = h.ask(&member, "/meetings").await;
        h.press_data(&member, shown.message_id, &format!("gd:{id}"))
            .await;
        let reason = format!(
            "Đi công tác Hà Nội {}",
            "đến hết tuần ".repeat(15).trim_end()
        );
        assert!(reason.chars().count() > 150);
        h.ask(&member, &reason).await;
        let register = h.ask(&secretary, "/attendance").await;
        let text = register.text.clone().unwrap();
        assert!(text.contains(&reason), "{text}");
        assert!(text.contains("Nguyễn Văn An"), "{text}");
        assert!(
            register.button_texts().iter().any(|b| b.starts_with("🟡")),
            "{:?}",
            register.buttons()
        );
    }
}

/// The secretary ends `member`'s membership from `/members` (they moved to
/// another province).
async fn end_membership(h: &Harness, secretary: &TgUser, member: &TgUser) {
    let membership = h.membership_of(member.id).await;
    let list = h.ask(secretary, "/members").await;
    let (_, opened) = h
        .press_data(secretary, list.message_id, &format!("bo:{membership}"))
        .await;
    let card = opened.last().unwrap().clone();
    h.press_data(secretary, card.message_id, &format!("el:{membership}"))
        .await;
    let confirm = h.ask(secretary, "Chuyển đi tỉnh khác").await;
    let yes = label_of(&confirm, "ec:").expect("Confirm");
    h.press(secretary, &confirm, &yes).await;
}

/// The secretary deleted the meeting's register from their chat. Every
/// check-in after that queued an edit of it, which Telegram refused
/// ("message to edit not found"): a failed notice each time, logged as a
/// failure, for as long as members checked in. Now the first refusal drops
/// that edit as the reader's doing, not a failure, and the register is no
/// longer followed: later check-ins queue nothing for it.
#[tokio::test]
async fn a_register_deleted_from_the_chat_is_no_longer_edited() {
    let (h, secretary, member, cell) = cell_on_2_december(false).await;
    seed_members(&h, cell, 7300, 2).await;
    let code = meeting_in_half_an_hour(&h, cell).await;
    let register = h.ask(&secretary, "/attendance").await;
    h.api.delete_by_user(secretary.id, register.message_id);
    for who in [
        member.clone(),
        vi_user(7300, "dv7300"),
        vi_user(7301, "dv7301"),
    ] {
        h.ask(&who, &format!("/start {code}")).await;
        h.drain().await;
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
            .await,
        0
    );
    let edits = h
        .api
        .calls()
        .iter()
        .filter(|c| c.method == "editmessagetext" && c.chat_id() == Some(secretary.id))
        .filter(|c| c.params["message_id"].as_i64() == Some(register.message_id))
        .count();
    assert_eq!(edits, 1, "tried once, then no longer followed");
}

/// A periodic meeting that began but whose register was never closed is
/// not held: the sheet, /status and the exports do not count it, and the
/// ward's /stats and the secretary's digest list its cell as having no
/// periodic meeting held or scheduled this half-year (they counted it as
/// held). One under way (its check-in still open) is still to be held.
#[tokio::test]
async fn a_periodic_meeting_never_closed_is_not_held_in_stats_or_the_digest() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let ward = scalar(&h, "SELECT ward_id FROM cells WHERE id = ?", cell).await;
        let name: String = sqlx::query_scalar("SELECT name FROM cells WHERE id = ?")
            .bind(cell)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        // 10 September: called, begun, its register never closed.
        meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2026, 9, 10, 19),
            100,
            "p1",
        )
        .await;
        let supervisor = user(en, 800, "Giám sát");
        h.ask(
            &supervisor,
            &format!("/start {}", h.supervisor_code(ward).await),
        )
        .await;
        let text = h.say(&supervisor, "/stats").await;
        let text = text.last().unwrap().text.clone().unwrap();
        assert!(says(Some(&text), l, "attendance-stats-half"), "{text}");
        assert!(text.contains(&name), "{text}");
        // The digest of 25 November says so to the secretary.
        h.set_local(2026, 11, 25, 8, 0);
        h.tick().await;
        h.drain().await;
        let digest = h.last(&secretary).text.unwrap();
        assert!(says(Some(&digest), l, "attendance-digest-half"), "{digest}");
        // Another, begun an hour ago, its check-in open: under way, not
        // missing.
        meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            now(&h) - Duration::hours(1),
            100,
            "p2",
        )
        .await;
        let text = h.say(&supervisor, "/stats").await;
        let text = text.last().unwrap().text.clone().unwrap();
        assert!(says(Some(&text), l, "attendance-stats-half-none"), "{text}");
    }
}

/// A register closed early (from an hour before the start) says the
/// meeting took place: the sheet and the export count it held that day,
/// /meetings lists it as held, but the officer's /status counted it only
/// once it had started ("0/0" meanwhile). It now counts it as they do.
#[tokio::test]
async fn status_counts_a_meeting_whose_register_closed_early_as_the_sheet_does() {
    for en in [false, true] {
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let a = h.membership_of(300).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "p1").await;
        let called = meetings::get(&h.pool, id).await.unwrap().unwrap();
        meetings::prefill_register(&h.pool, &called).await.unwrap();
        meetings::mark(
            &h.pool,
            id,
            a,
            Attendance::Present,
            100,
            now(&h),
            TZ,
            meetings::RegisterNotices::NONE,
        )
        .await
        .unwrap();
        meetings::close(
            &h.pool,
            id,
            100,
            now(&h),
            TZ,
            meetings::RegisterNotices::NONE,
        )
        .await
        .unwrap();
        let workplace = scalar(&h, "SELECT workplace_id FROM memberships WHERE id = ?", a).await;
        let officer = user(en, 700, "Cán bộ");
        h.ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await;
        let status = h.ask(&officer, "/status").await.text.unwrap();
        let meetings_line = if en {
            "cell meetings: 1/1"
        } else {
            "sinh hoạt chi bộ: 1/1"
        };
        assert!(status.contains(meetings_line), "{status}");
    }
}

/// A member says they cannot attend and why, the register is closed before
/// the start (the meeting is kept with their answer), then they erase their
/// data (`/forgetme`): their reason is erased with it, and neither the
/// summary nor the register the secretary opens afterwards shows it (they
/// stay excused, the cell's record), in both languages.
#[tokio::test]
async fn forgetme_erases_the_reason_for_absence() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let start = now(&h) + Duration::minutes(50);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "f1").await;
        let shown = h.ask(&member, "/meetings").await;
        h.press_data(&member, shown.message_id, &format!("gd:{id}"))
            .await;
        let reason = "Chăm mẹ ốm ở bệnh viện tỉnh";
        h.ask(&member, reason).await;
        let register = h.ask(&secretary, "/attendance").await;
        assert!(register.text.clone().unwrap().contains(reason));
        h.press(&secretary, &register, &fixed(l, "attendance-close-button"))
            .await;
        let before = summary_from_meetings(&h, &secretary, id).await;
        assert!(before.contains(reason), "{en}: {before}");

        let ask = h.ask(&member, "/forgetme").await;
        let confirm = text_of(l, "forget-button-confirm");
        let (_, replies) = h.press(&member, &ask, &confirm).await;
        let done = replies.last().unwrap().text.clone();
        assert!(says(done.as_deref(), l, "forget-done"), "{done:?}");
        h.drain().await;

        let after = summary_from_meetings(&h, &secretary, id).await;
        assert!(!after.contains(reason), "{en}: {after}");
        assert!(after.contains("Nguyễn Văn An"), "{en}: {after}");
        let register = h.ask(&secretary, "/attendance").await;
        let text = register.text.clone().unwrap_or_default();
        assert!(!text.contains(reason), "{en}: {text}");
        let stored: (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT attendance, reason FROM meeting_invitations WHERE meeting_id = ?",
        )
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(stored, (Some("excused".to_string()), None));
    }
}

/// A member erases their data (/forgetme) after the register of a meeting
/// still to come was closed early (erasure keeps that register's rows),
/// then joins the cell again and is approved before the meeting starts:
/// the approval invited them as a newcomer, a second row beside the one
/// the register kept, and the meeting's summary and register listed them
/// twice. They are now on it once, the row kept moved to their new
/// membership, in both languages.
#[tokio::test]
async fn a_member_erased_and_back_before_the_start_is_on_the_register_once() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let start = now(&h) + Duration::minutes(50);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "r1").await;
        let register = h.ask(&secretary, "/attendance").await;
        h.press(&secretary, &register, &fixed(l, "attendance-close-button"))
            .await;

        let ask = h.ask(&member, "/forgetme").await;
        let confirm = text_of(l, "forget-button-confirm");
        let (_, replies) = h.press(&member, &ask, &confirm).await;
        let done = replies.last().unwrap().text.clone();
        assert!(says(done.as_deref(), l, "forget-done"), "{done:?}");
        h.drain().await;

        h.join_approved(&secretary, &member, "Nguyễn Văn An").await;
        h.drain().await;
        let rows = scalar(
            &h,
            "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ? AND user_id = 300",
            id,
        )
        .await;
        assert_eq!(rows, 1, "{en}");
        let now_member = h.membership_of(300).await;
        let on = scalar(
            &h,
            "SELECT membership_id FROM meeting_invitations WHERE meeting_id = ? AND user_id = 300",
            id,
        )
        .await;
        assert_eq!(on, now_member, "{en}");
        let summary = summary_from_meetings(&h, &secretary, id).await;
        assert_eq!(
            summary.matches("Nguyễn Văn An").count(),
            1,
            "{en}: {summary}"
        );
    }
}

/// The meeting's summary, as the secretary opens it (its button under
/// /meetings while the meeting is to come).
async fn summary_from_meetings(h: &Harness, secretary: &TgUser, id: i64) -> String {
    let list = h.ask(secretary, "/meetings").await;
    let (_, replies) = h
        .press_data(secretary, list.message_id, &format!("gv:{id}"))
        .await;
    replies.last().unwrap().text.clone().unwrap()
}

/// The digest's "no periodic meeting in this half-year yet" of a cell whose
/// periodic meeting began but whose register is still open (and may still
/// be closed) did not say that closing it would count the meeting, as the
/// register's own reminder does. It now says so, with the deadline; of a
/// meeting past it, nothing more.
#[tokio::test]
async fn the_digest_says_closing_an_open_register_would_count_the_periodic_meeting() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        // 10 September: begun, its register never closed (too late now).
        meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2026, 9, 10, 19),
            100,
            "p0",
        )
        .await;
        // 19 November at 19:00: begun, its register still open.
        meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            local(2026, 11, 19, 19),
            100,
            "p1",
        )
        .await;
        h.set_local(2026, 11, 25, 8, 0);
        h.tick().await;
        h.drain().await;
        let digests = digests_to(&h, 100, l, "digest-header");
        let digest = digests.last().expect("a digest");
        assert!(says(Some(digest), l, "attendance-digest-half"), "{digest}");
        assert!(
            says(Some(digest), l, "attendance-digest-half-open"),
            "{digest}"
        );
        assert!(
            digest.contains("19/11/2026 19:00") && digest.contains("26/11/2026 19:00"),
            "{digest}"
        );
        assert!(!digest.contains("10/09/2026"), "{digest}");
    }
}

/// A register closed at 23:30 (allowed from an hour before the start) for
/// a meeting at 00:15 the next day: the meeting took place, but /status
/// counted it only from the next day ("0/0" until midnight). It counts on
/// its own scheduled day in local time, whenever its register was closed:
/// at once in mid-December, and one at 00:15 on 1 January, closed at 23:30
/// on 31 December, is not counted in the year before.
#[tokio::test]
async fn a_register_closed_before_a_start_after_midnight_counts_at_once_on_its_own_day() {
    use chrono::TimeZone;
    for en in [false, true] {
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let a = h.membership_of(300).await;
        let workplace = scalar(&h, "SELECT workplace_id FROM memberships WHERE id = ?", a).await;
        let officer = user(en, 700, "Cán bộ");
        h.ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await;
        let line = |n: u32| {
            if en {
                format!("cell meetings: {n}/{n}")
            } else {
                format!("sinh hoạt chi bộ: {n}/{n}")
            }
        };
        let held_at = |y, m, d, token: &'static str| {
            let h = &h;
            async move {
                let start = TZ
                    .with_ymd_and_hms(y, m, d, 0, 15, 0)
                    .unwrap()
                    .with_timezone(&Utc);
                let id = meeting(h, cell, MeetingKind::Cell, start, 100, token).await;
                let called = meetings::get(&h.pool, id).await.unwrap().unwrap();
                meetings::prefill_register(&h.pool, &called).await.unwrap();
                meetings::mark(
                    &h.pool,
                    id,
                    a,
                    Attendance::Present,
                    100,
                    now(h),
                    TZ,
                    meetings::RegisterNotices::NONE,
                )
                .await
                .unwrap();
                let closed = meetings::close(
                    &h.pool,
                    id,
                    100,
                    now(h),
                    TZ,
                    meetings::RegisterNotices::NONE,
                )
                .await
                .unwrap();
                assert!(
                    matches!(closed, meetings::Closed::Done { .. }),
                    "{closed:?}"
                );
            }
        };
        // 14 December at 23:30, for 00:15 on the 15th: counted at once.
        h.set_local(2026, 12, 14, 23, 30);
        held_at(2026, 12, 15, "m1").await;
        let status = h.ask(&officer, "/status").await.text.unwrap();
        assert!(status.contains(&line(1)), "{status}");
        // 31 December at 23:30, for 00:15 on 1 January: next year's.
        h.set_local(2026, 12, 31, 23, 30);
        held_at(2027, 1, 1, "m2").await;
        let status = h.ask(&officer, "/status").await.text.unwrap();
        assert!(status.contains(&line(1)), "{status}");
    }
}

/// A cell named and a meeting placed at their longest in emoji (two units
/// each, as Telegram counts): the check-in QR code still goes out, its
/// caption within Telegram's 1,024 units, with the whole link and when the
/// check-in closes.
#[tokio::test]
async fn a_checkin_code_of_the_longest_names_goes_out_with_its_link() {
    for en in [false, true] {
        let l = lang(en);
        let h = Harness::start().await;
        let secretary = user(en, 100, "Bình");
        let member = user(en, 300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let long = "🏠".repeat(200);
        sqlx::query("UPDATE cells SET name = ? WHERE id = ?")
            .bind(&long)
            .bind(cell)
            .execute(&h.pool)
            .await
            .unwrap();
        let start = now(&h) + Duration::minutes(30);
        let new = NewMeeting {
            token: "m1",
            cell_id: cell,
            kind: MeetingKind::Periodic,
            starts_at: start,
            place: &"🌳".repeat(lienhe::domain::meeting::PLACE_MAX),
            agenda: "Sinh hoạt định kỳ",
            called_by: 100,
        };
        let id = match meetings::create(&h.pool, &new, now(&h), |_, _| Vec::new())
            .await
            .unwrap()
        {
            Called::New { id, .. } => id,
            other => panic!("{other:?}"),
        };
        let photo = h.ask(&secretary, "/checkin").await;
        assert_eq!(photo.method, "sendphoto", "{photo:?}");
        let caption = photo.text.clone().unwrap_or_default();
        assert!(caption.encode_utf16().count() <= 1024, "{caption}");
        assert!(says(Some(&caption), l, "checkin-caption"), "{caption}");
        let link = decode_qr(photo.document_bytes.as_deref().expect("an uploaded PNG"));
        assert!(caption.contains(&link), "{caption}");
        let closes = (start + Duration::hours(lienhe::domain::meeting::CHECKIN_AFTER_HOURS))
            .with_timezone(&TZ)
            .format("%d/%m/%Y %H:%M")
            .to_string();
        assert!(caption.contains(&closes), "{caption}");
        assert!(
            caption.contains("🏠") && caption.contains("🌳"),
            "{caption}"
        );
        assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 0);
    }
}

/// A check-in committed just before a kill, the member's answer and the
/// register's edit never sent: Telegram's serving the link again is
/// skipped (it is handled), and the member opening the link again was
/// told "already checked in" while the register on the secretary's screen
/// went on showing them absent. Opened again, the link brings the register
/// up to date (once: the check-in counts once).
async fn check_in_killed_before_the_register_followed(en: bool) {
    let mut h = Harness::start().await;
    let l = lang(en);
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let start = now(&h) + Duration::minutes(10);
    let id = meeting(&h, cell, MeetingKind::Cell, start, 100, "m1").await;
    let register = h.ask(&secretary, "/attendance").await;
    assert!(
        register
            .button_texts()
            .contains(&"❌ Nguyễn Văn An".to_string()),
        "{register:?}"
    );
    let code = meetings::checkin_code(&h.pool, id, h.app().now())
        .await
        .unwrap()
        .unwrap();
    let held = h.api.hold_next("sendMessage", member.id);
    let update = h.api.text(&member, &format!("/start {code}"));
    // Killed there: neither the answer nor the register's edit goes.
    h.killed_at_and_served_again(held, "the member's answer is on its way", update)
        .await;
    h.drain().await;
    assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 1);

    let again = h.ask(&member, &format!("/start {code}")).await.text;
    assert!(says(again.as_deref(), l, "checkin-already"), "{again:?}");
    h.drain().await;
    let shown = h.current(&register).button_texts();
    assert!(
        shown.contains(&"✅ Nguyễn Văn An".to_string()),
        "the register follows the check-in: {shown:?}"
    );
    assert_eq!(meetings::checkin_count(&h.pool, id).await.unwrap(), 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_checkin'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_check_in_killed_before_the_register_followed_is_shown_when_the_link_is_opened_again() {
    check_in_killed_before_the_register_followed(false).await;
}

#[tokio::test]
async fn a_check_in_killed_before_the_register_followed_is_shown_when_the_link_is_opened_again_in_english()
 {
    check_in_killed_before_the_register_followed(true).await;
}

/// Forty members, each named at the longest (100 characters) in emoji
/// (two units each): the register cancelled on the screen lists them all
/// in its text, one message within Telegram's 4,096 units, the names
/// shortened with "…" rather than the last of them cut off unseen.
#[tokio::test]
async fn a_cancelled_register_of_forty_longest_names_lists_them_all() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, _member, cell) = cell_on_2_december(en).await;
        seed_members(&h, cell, 1000, 39).await;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM memberships WHERE cell_id = ? AND status = 'approved' ORDER BY id",
        )
        .bind(cell)
        .fetch_all(&h.pool)
        .await
        .unwrap();
        assert_eq!(ids.len(), 40);
        for (n, membership) in ids.iter().enumerate() {
            let name = format!("{n:02} {}", "😀".repeat(97));
            assert_eq!(name.chars().count(), 100);
            sqlx::query("UPDATE memberships SET full_name = ? WHERE id = ?")
                .bind(name)
                .bind(membership)
                .execute(&h.pool)
                .await
                .unwrap();
        }
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let register = h.ask(&secretary, "/attendance").await;
        assert_eq!(register.buttons().len(), 41, "{register:?}");

        let (_, asked) = h
            .press_data(&secretary, register.message_id, &format!("gc:{id}"))
            .await;
        let confirm = asked.last().unwrap().clone();
        h.press_data(&secretary, confirm.message_id, &data_of(&confirm, "gy:"))
            .await;
        h.drain().await;
        let shown = h.current(&register);
        let text = shown.text.clone().unwrap();
        assert!(says(Some(&text), l, "attendance-cancelled"), "{text}");
        assert!(text.encode_utf16().count() <= 4096, "{text}");
        assert!(shown.buttons().is_empty(), "{shown:?}");
        for n in 0..40 {
            assert!(
                text.lines()
                    .any(|line| line.starts_with(&format!("❌ {n:02} 😀"))),
                "{l:?}: member {n} is listed: {text}"
            );
        }
    }
}

/// A member's erasure (/forgetme) committed just before a kill, the
/// summary's and the register's edits never sent: Telegram's serving Erase
/// again is skipped (it is handled), and Erase pressed again found no cell
/// (the membership had ended), so the committee's summary and register
/// went on showing the erased member's name. Pressed again, Erase now
/// brings them up to date; the member is told nothing more was left.
async fn forget_killed_before_the_summary_followed(en: bool) {
    let mut h = Harness::start().await;
    h.set_local(2026, 12, 2, 9, 0);
    let l = lang(en);
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let start = now(&h) + Duration::minutes(30);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "f1").await;
    let list = h.ask(&secretary, "/meetings").await;
    let (_, replies) = h
        .press_data(&secretary, list.message_id, &format!("gv:{id}"))
        .await;
    let summary = replies.last().unwrap().clone();
    let name = "Nguyễn Văn An";
    assert!(summary.text.clone().unwrap().contains(name), "{summary:?}");
    let register = h.ask(&secretary, "/attendance").await;
    let row = format!("❌ {name}");
    assert!(register.button_texts().contains(&row), "{register:?}");

    let ask = h.ask(&member, "/forgetme").await;
    let confirm = text_of(l, "forget-button-confirm");
    let data = ask
        .buttons()
        .into_iter()
        .find(|(label, _)| *label == confirm)
        .expect("Erase")
        .1;
    let held = h.api.hold_next("editMessageText", member.id);
    let update = h.api.callback(&member, ask.message_id, &data);
    // Killed there: neither the answer nor the committee's edits go.
    h.killed_at_and_served_again(held, "the question's settling is on its way", update)
        .await;
    h.drain().await;
    assert!(
        h.current(&summary).text.unwrap_or_default().contains(name),
        "the summary was left behind"
    );

    let (_, replies) = h.press_data(&member, ask.message_id, &data).await;
    let told = replies.last().and_then(|r| r.text.clone());
    assert!(says(told.as_deref(), l, "forget-nothing-left"), "{told:?}");
    h.drain().await;
    let shown = h.current(&summary).text.unwrap_or_default();
    assert!(!shown.contains(name), "{l:?}: {shown}");
    let shown = h.current(&register).button_texts();
    assert!(!shown.contains(&row), "{l:?}: {shown:?}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'forget'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_erasure_killed_before_the_summary_followed_is_shown_when_pressed_again() {
    forget_killed_before_the_summary_followed(false).await;
}

#[tokio::test]
async fn an_erasure_killed_before_the_summary_followed_is_shown_when_pressed_again_in_english() {
    forget_killed_before_the_summary_followed(true).await;
}

/// A member erases their data (/forgetme, confirmed) at the very moment
/// the secretary closes the register of the meeting starting in half an
/// hour with them on it: either the close lands first (their attendance,
/// absent, is the cell's record of a meeting held, kept) or the erasure
/// (their invitation to a meeting to come goes, and the close records the
/// meeting without them); either way the register and the meeting's
/// summary end showing them exactly when the database still invites them,
/// the member is told once, nobody is told to try again, and the audit
/// chain holds.
async fn erase_while_the_register_closes(en: bool) {
    let (h, secretary, member, cell) = cell_on_2_december(en).await;
    let l = lang(en);
    let start = now(&h) + Duration::minutes(30);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "f2").await;
    let list = h.ask(&secretary, "/meetings").await;
    let (_, replies) = h
        .press_data(&secretary, list.message_id, &format!("gv:{id}"))
        .await;
    let summary = replies.last().unwrap().clone();
    let name = "Nguyễn Văn An";
    let register = h.ask(&secretary, "/attendance").await;
    let row = format!("❌ {name}");
    assert!(register.button_texts().contains(&row), "{register:?}");
    let ask = h.ask(&member, "/forgetme").await;
    let erase = ask
        .button_data(&text_of(l, "forget-button-confirm"))
        .expect("Erase");
    let close = register
        .button_data(&fixed(l, "attendance-close-button"))
        .expect("Close");

    let before = h.api.sent_count(member.id);
    let presses = [
        h.api.callback(&secretary, register.message_id, &close),
        h.api.callback(&member, ask.message_id, &erase),
    ];
    for press in presses {
        h.handled(press).await;
    }
    h.quiet().await;
    h.drain().await;

    let invited = scalar(
        &h,
        "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ? AND user_id = 300",
        id,
    )
    .await;
    let closed = scalar(
        &h,
        "SELECT COUNT(*) FROM meetings WHERE id = ? AND closed_at IS NOT NULL",
        id,
    )
    .await;
    assert_eq!(closed, 1, "{l:?}: the register was closed");
    eprintln!(
        "{l:?}: {}",
        if invited == 1 {
            "closed first"
        } else {
            "erased first"
        }
    );
    let shown = h.current(&register);
    let text = shown.text.clone().unwrap_or_default();
    let listed = text.contains(name) || shown.button_texts().iter().any(|b| b.contains(name));
    assert_eq!(listed, invited == 1, "{l:?}: {shown:?}");
    let shown = h.current(&summary).text.unwrap_or_default();
    assert_eq!(shown.contains(name), invited == 1, "{l:?}: {shown}");

    let told: Vec<String> = h.api.sent(member.id)[before..]
        .iter()
        .filter(|s| !s.deleted)
        .filter_map(|s| s.text.clone())
        .collect();
    assert_eq!(
        told.iter()
            .filter(|t| says(Some(t), l, "forget-done"))
            .count(),
        1,
        "{l:?}: {told:?}"
    );
    for sent in h.api.all_sent() {
        for lang in Lang::ALL {
            assert!(
                !says(sent.text.as_deref(), lang, "not-saved-try-again"),
                "{sent:?}"
            );
        }
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'forget'")
            .await,
        1
    );
    assert!(matches!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        lienhe::store::audit::ChainCheck::Intact { .. }
    ));
}

#[tokio::test]
async fn an_erasure_as_the_register_closes_leaves_it_true() {
    erase_while_the_register_closes(false).await;
}

#[tokio::test]
async fn an_erasure_as_the_register_closes_leaves_it_true_in_english() {
    erase_while_the_register_closes(true).await;
}

/// `/checkin` typed as the secretary's role goes (the operator revokes it,
/// or a handover completes, between the command's check and the code's
/// write): before, the meeting's check-in code was made and its QR code
/// sent to a former secretary. Now the committee is read again in the
/// transaction that makes the code: none made, no QR code, the former
/// secretary told.
async fn checkin_typed_as_the_role_goes(en: bool) {
    use lienhe::store::committee::Role;
    let l = lang(en);
    let h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let start = now(&h) + Duration::hours(3);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
    h.clock.set(start - Duration::minutes(30));
    // Seen again after the clock moved (recorded first, outside the hold).
    h.ask(&secretary, "/help").await;

    let before = h.api.sent_count(secretary.id);
    h.served_as_role_goes(secretary.id, Role::Secretary { cell }, || {
        h.api.text(&secretary, "/checkin")
    })
    .await;
    let sent = h.api.sent(secretary.id);
    let replies = &sent[before..];
    assert!(
        replies.iter().all(|s| s.method != "sendphoto"),
        "no QR code: {replies:?}"
    );
    assert!(
        replies.iter().any(|s| {
            ["committee-role-gone", "committee-role-gone-now"]
                .iter()
                .any(|id| says(s.text.as_deref(), l, id))
        }),
        "{replies:?}"
    );
    assert_eq!(
        scalar(
            &h,
            "SELECT COUNT(*) FROM meetings WHERE id = ? AND checkin_code IS NOT NULL",
            id
        )
        .await,
        0
    );
}

#[tokio::test]
async fn checkin_typed_as_the_secretarys_role_goes_makes_no_code_vi() {
    checkin_typed_as_the_role_goes(false).await;
}

#[tokio::test]
async fn checkin_typed_as_the_secretarys_role_goes_makes_no_code_en() {
    checkin_typed_as_the_role_goes(true).await;
}

/// `/checkin` makes the meeting's check-in code in one audited write:
/// before, the code was made with no entry in the audit log. Now one entry
/// (`meeting_checkin_code`, by the secretary) for the code made; the
/// command typed twice at once, served again, or typed later shows the
/// same code and adds none.
async fn checkin_code_made_once_audited(en: bool) {
    let l = lang(en);
    let h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let start = now(&h) + Duration::hours(3);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
    h.clock.set(start - Duration::minutes(30));
    let made = "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_checkin_code'";
    assert_eq!(h.count(made).await, 0);

    let before = h.api.sent_count(secretary.id);
    let first = h.api.text(&secretary, "/checkin");
    h.api.text(&secretary, "/checkin");
    h.quiet().await;
    h.api.redeliver(first);
    h.quiet().await;
    h.ask(&secretary, "/checkin").await;
    let photos: Vec<Sent> = h.api.sent(secretary.id)[before..]
        .iter()
        .filter(|s| s.method == "sendphoto")
        .cloned()
        .collect();
    assert!(photos.len() >= 3, "{photos:?}");
    let code = meetings::checkin_code(&h.pool, id, now(&h))
        .await
        .unwrap()
        .unwrap();
    for photo in &photos {
        assert!(says(photo.text.as_deref(), l, "checkin-caption"));
        let link = decode_qr(photo.document_bytes.as_deref().unwrap());
        assert!(link.ends_with(&format!("?start={code}")), "{link} {code}");
    }
    assert_eq!(h.count(made).await, 1, "one entry for one code");
    assert_eq!(
        scalar(
            &h,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_checkin_code'
             AND subject = 'meeting' AND subject_id = ? AND actor = 100",
            id
        )
        .await,
        1
    );
    assert!(matches!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        lienhe::store::audit::ChainCheck::Intact { .. }
    ));
}

#[tokio::test]
async fn a_checkin_code_is_made_once_with_one_audit_entry_vi() {
    checkin_code_made_once_audited(false).await;
}

#[tokio::test]
async fn a_checkin_code_is_made_once_with_one_audit_entry_en() {
    checkin_code_made_once_audited(true).await;
}

/// `/checkin` typed as the secretary's seat goes with no trace of it in
/// the audit log (an operator's edit of the database between the
/// command's check and the code's write): before, it answered with its
/// own "this command is for the committee"; now, as every button of the
/// committee does (`roles::why_refused`), "not allowed". No code made.
async fn checkin_refused_as_the_seat_goes_untraced(en: bool) {
    let l = lang(en);
    let h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let start = now(&h) + Duration::hours(3);
    let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
    h.clock.set(start - Duration::minutes(30));
    // Seen again after the clock moved (recorded first, outside the hold).
    h.ask(&secretary, "/help").await;

    let before = h.api.sent_count(secretary.id);
    let held = h.hold_database().await;
    let update = h.api.text(&secretary, "/checkin");
    h.waits_to_write(update).await;
    held.commit_with(
        "DELETE FROM cell_secretaries WHERE ?1 IS NOT NULL AND user_id = ?2",
        secretary.id,
    )
    .await;
    h.handled(update).await;
    let sent = h.api.sent(secretary.id);
    let replies: Vec<_> = sent[before..].iter().map(|s| s.text.clone()).collect();
    assert_eq!(replies, [Some(fixed(l, "not-allowed"))], "{cell}");
    assert_eq!(
        scalar(
            &h,
            "SELECT COUNT(*) FROM meetings WHERE id = ? AND checkin_code IS NOT NULL",
            id
        )
        .await,
        0
    );
}

#[tokio::test]
async fn checkin_typed_as_the_seat_goes_untraced_is_not_allowed_vi() {
    checkin_refused_as_the_seat_goes_untraced(false).await;
}

#[tokio::test]
async fn checkin_typed_as_the_seat_goes_untraced_is_not_allowed_en() {
    checkin_refused_as_the_seat_goes_untraced(true).await;
}

/// The secretary closes the register with themselves present: their own
/// activity waits, carded to the deputy. The deputy then corrects the
/// secretary to excused in the register instead of deciding the card: the
/// activity is taken back, and the card says so, without Approve and
/// Reject (before, it kept them, and a press said the member had withdrawn
/// it by leaving the bot). A press already on its way is told the register
/// was corrected; nothing is decided. Marked present again, the deputy's
/// correction records the activity approved by the deputy.
#[tokio::test]
async fn the_closer_s_own_attendance_corrected_away_settles_its_card() {
    for en in [false, true] {
        let l = lang(en);
        let (h, deputy, card) = closed_with_the_closers_card(en).await;
        let approve = data_of(&card, "ra:");

        // The deputy's register: the secretary present, corrected to excused.
        let theirs = h.ask(&deputy, "/attendance").await;
        let (answer, _) = h.press(&deputy, &theirs, "✅ Trần Thị Bình").await;
        assert!(says(answer.str_param("text"), l, "attendance-marked"));
        h.quiet().await;
        h.drain().await;
        let settled = h.current(&card);
        let text = settled.text.clone().unwrap();
        assert!(text.contains(&fixed(l, "report-card-unrecorded")), "{text}");
        assert!(text.contains("Trần Thị Bình"), "{text}");
        assert!(settled.buttons().is_empty(), "{:?}", settled.buttons());

        // A press already on its way when the card was settled.
        let (answer, _) = h.press_data(&deputy, card.message_id, &approve).await;
        assert_eq!(
            alert_text(&answer),
            fixed(l, "decision-item-unrecorded"),
            "{answer:?}"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM reports WHERE user_id = 100")
                .await,
            0
        );
        assert_eq!(
            h.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'approve'
                 AND subject = 'report' AND actor = 200"
            )
            .await,
            0
        );

        // Present again, by the deputy: recorded, approved by the deputy.
        let theirs = h.ask(&deputy, "/attendance").await;
        h.press(&deputy, &theirs, "🟡 Trần Thị Bình").await;
        let theirs = h.current(&theirs);
        h.press(&deputy, &theirs, "❌ Trần Thị Bình").await;
        let decided: (String, Option<i64>) = sqlx::query_as(
            "SELECT status, decided_by FROM reports WHERE user_id = 100 AND meeting_id IS NOT NULL",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(decided, ("approved".to_string(), Some(200)));
        assert!(matches!(
            lienhe::store::audit::verify(&h.pool).await.unwrap(),
            lienhe::store::audit::ChainCheck::Intact { .. }
        ));
    }
}

/// At tonight's meeting a member scans the QR code of another meeting of
/// the cell (last week's, still on the wall; next week's; one cancelled):
/// each answer names the meeting of the code (its kind, cell, date and
/// time), so that it is not taken for tonight's (before, "check-in for this
/// meeting is closed", or "this meeting was cancelled", said nothing of
/// which meeting). Tonight's code checks them in.
#[tokio::test]
async fn a_code_of_another_meeting_is_answered_for_that_meeting() {
    for en in [false, true] {
        let l = lang(en);
        let (h, _secretary, member, cell) = cell_on_2_december(en).await;
        let at = |d: Duration| now(&h) + d;
        let code_of = |id: i64| {
            let pool = h.pool.clone();
            let now = h.app().now();
            async move {
                meetings::checkin_code(&pool, id, now)
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let tonight = meeting(
            &h,
            cell,
            MeetingKind::Periodic,
            at(Duration::minutes(30)),
            100,
            "m0",
        )
        .await;
        let last_week = meeting(
            &h,
            cell,
            MeetingKind::Cell,
            at(-Duration::days(7)),
            100,
            "m1",
        )
        .await;
        let next_week = meeting(
            &h,
            cell,
            MeetingKind::Cell,
            at(Duration::days(7)),
            100,
            "m2",
        )
        .await;
        let called_off = meeting(
            &h,
            cell,
            MeetingKind::Residents,
            at(Duration::days(1)),
            100,
            "m3",
        )
        .await;
        let codes = (
            code_of(tonight).await,
            code_of(last_week).await,
            code_of(next_week).await,
            code_of(called_off).await,
        );
        sqlx::query("UPDATE meetings SET status = 'cancelled' WHERE id = ?")
            .bind(called_off)
            .execute(&h.pool)
            .await
            .unwrap();
        let start_of = |id: i64| {
            let pool = h.pool.clone();
            async move {
                let m = meetings::get(&pool, id).await.unwrap().unwrap();
                m.starts_at
                    .with_timezone(&TZ)
                    .format("%d/%m/%Y %H:%M")
                    .to_string()
            }
        };
        for (code, id, said) in [
            (&codes.1, last_week, "checkin-closed"),
            (&codes.2, next_week, "checkin-not-yet"),
            (&codes.3, called_off, "checkin-cancelled"),
        ] {
            let text = code_answer(&h, &member, code).await;
            assert!(says(Some(&text), l, said), "{text}");
            assert!(text.contains(&start_of(id).await), "{said}: {text}");
            assert!(text.contains("Chi bộ"), "{said}: {text}");
        }
        let done = h
            .ask(&member, &format!("/start {}", codes.0))
            .await
            .text
            .unwrap();
        assert!(says(Some(&done), l, "checkin-done"), "{done}");
        let again = h
            .ask(&member, &format!("/start {}", codes.0))
            .await
            .text
            .unwrap();
        assert!(says(Some(&again), l, "checkin-already"), "{again}");
        assert!(again.contains(&start_of(tonight).await), "{again}");
    }
}

/// The member's row of the register (open or closed) set by the
/// secretary's presses, as its buttons carry the state they set (from the
/// first guess, absent: present, then excused, then absent).
async fn secretary_marks(h: &Harness, secretary: &TgUser, register: &Sent, to: &[char], l: Lang) {
    let (id, row) = (
        h.count("SELECT id FROM meetings").await,
        h.membership_of(300).await,
    );
    for state in to {
        let data = format!("tt:{id}:{row}:{state}");
        let (answer, _) = h.press_data(secretary, register.message_id, &data).await;
        assert!(
            says(answer.str_param("text"), l, "attendance-marked"),
            "{answer:?}"
        );
    }
}

/// What the member is answered when they open check-in code `code`.
async fn code_answer(h: &Harness, member: &TgUser, code: &str) -> String {
    h.ask(member, &format!("/start {code}"))
        .await
        .text
        .expect("a text answer")
}

/// The member's row of the register: its attendance, whether they checked
/// in, and how many check-ins of theirs were audited.
async fn register_row(h: &Harness) -> (String, bool, i64) {
    let (attendance, checked_in): (String, bool) = sqlx::query_as(
        "SELECT attendance, checked_in_at IS NOT NULL FROM meeting_invitations WHERE user_id = 300",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    let audited = h
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_checkin'")
        .await;
    (attendance, checked_in, audited)
}

/// The start of the cell's one meeting as the answers write it.
async fn start_as_written(h: &Harness) -> String {
    let id = h.count("SELECT id FROM meetings").await;
    let m = meetings::get(&h.pool, id).await.unwrap().unwrap();
    m.starts_at
        .with_timezone(&TZ)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The secretary marks a member excused, then absent, in the open register
/// (not its first guess: their own presses); the member then opens the
/// meeting's check-in code (a photo of the QR code a friend shared). Each
/// time the check-in is refused, naming the meeting and saying that the
/// register marks them so and that the secretary or deputy can correct it:
/// nothing stored, no audit entry, the register as the committee set it.
/// (Before, the check-in made them present over the committee's mark.)
#[tokio::test]
async fn a_check_in_does_not_override_the_committee_s_mark_of_an_absence() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        let register = h.ask(&secretary, "/attendance").await;
        assert!(says(register.text.as_deref(), l, "attendance-header"));

        for (marks, said, set) in [
            (&['p', 'e'][..], "checkin-marked-excused", "excused"),
            (&['a'][..], "checkin-marked-absent", "absent"),
        ] {
            secretary_marks(&h, &secretary, &register, marks, l).await;
            let text = code_answer(&h, &member, &code).await;
            assert!(says(Some(&text), l, said), "{text}");
            assert!(text.contains(&start_as_written(&h).await), "{text}");
            assert!(text.contains("Chi bộ"), "{text}");
            assert_eq!(register_row(&h).await, (set.to_string(), false, 0));
        }
        // After the start too (a late arrival the committee marked absent).
        h.clock.advance(Duration::minutes(40));
        let text = code_answer(&h, &member, &code).await;
        assert!(says(Some(&text), l, "checkin-marked-absent"), "{text}");
        assert_eq!(register_row(&h).await, ("absent".to_string(), false, 0));
        let shown = h.current(&register);
        assert!(
            shown
                .button_texts()
                .contains(&"❌ Nguyễn Văn An".to_string()),
            "{shown:?}"
        );
    }
}

/// A member checks in; the secretary then marks them absent in the
/// register (they left, say). Opening the code again, the member is told
/// the register marks them absent and who can correct it, not "already
/// checked in" (which the register no longer says); nothing changes.
#[tokio::test]
async fn a_check_in_marked_away_afterwards_is_told_as_the_register_says() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
        let register = h.ask(&secretary, "/attendance").await;
        secretary_marks(&h, &secretary, &register, &['a'], l).await;
        let text = code_answer(&h, &member, &code).await;
        assert!(says(Some(&text), l, "checkin-marked-absent"), "{text}");
        assert!(text.contains(&start_as_written(&h).await), "{text}");
        assert_eq!(register_row(&h).await, ("absent".to_string(), true, 1));
    }
}

/// The secretary marks a member absent and closes the register an hour
/// early; the member checks in during the meeting afterwards. Refused as
/// before the close: no activity recorded in the closer's name, no
/// correction audited, the register's absence stands. (Before, the check-in
/// made them present and recorded an approved activity.)
#[tokio::test]
async fn a_check_in_after_the_close_does_not_override_the_committee_s_mark() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        let register = h.ask(&secretary, "/attendance").await;
        secretary_marks(&h, &secretary, &register, &['p', 'e', 'a'], l).await;
        let close = fixed(l, "attendance-close-button");
        h.press(&secretary, &h.current(&register), &close).await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM meetings WHERE closed_at IS NOT NULL")
                .await,
            1
        );

        h.clock.advance(Duration::minutes(40));
        let text = code_answer(&h, &member, &code).await;
        assert!(says(Some(&text), l, "checkin-marked-absent"), "{text}");
        assert!(text.contains(&start_as_written(&h).await), "{text}");
        assert_eq!(register_row(&h).await, ("absent".to_string(), false, 0));
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 0);
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance_correct'")
                .await,
            0
        );
    }
}

/// What the committee did not mark away still checks in: the register's
/// first guess (absent: not checked in yet) by a member arriving after the
/// start, and a row the secretary marked present.
#[tokio::test]
async fn a_check_in_over_the_first_guess_or_a_mark_of_present_counts() {
    for en in [false, true] {
        let l = lang(en);
        // The first guess, then a late arrival.
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        let register = h.ask(&secretary, "/attendance").await;
        assert_eq!(register_row(&h).await, ("absent".to_string(), false, 0));
        h.clock.advance(Duration::minutes(40));
        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
        assert_eq!(register_row(&h).await, ("present".to_string(), true, 1));
        drop(register);
        drop(h);

        // Marked present by the secretary, then the member checks in.
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        let register = h.ask(&secretary, "/attendance").await;
        secretary_marks(&h, &secretary, &register, &['p'], l).await;
        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
        assert_eq!(register_row(&h).await, ("present".to_string(), true, 1));
        let again = h.ask(&member, &format!("/start {code}")).await;
        assert!(
            says(again.text.as_deref(), l, "checkin-already"),
            "{again:?}"
        );
    }
}

/// The secretary marks a member absent while the member opens the
/// check-in code, at once: whichever came first, the end agrees with what
/// the member was told. Checked in first: the later mark corrects it
/// (absent, the check-in kept as made). Marked first: the check-in is
/// refused and nothing of it stored.
#[tokio::test]
async fn a_mark_of_absence_and_a_check_in_at_once_end_consistently() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let code = meeting_in_half_an_hour(&h, cell).await;
        // The first guess (absent, not checked in yet).
        let register = h.ask(&secretary, "/attendance").await;
        let (id, row) = (
            h.count("SELECT id FROM meetings").await,
            h.membership_of(300).await,
        );

        let mark = h
            .api
            .callback(&secretary, register.message_id, &format!("tt:{id}:{row}:a"));
        let check_in = h.api.text(&member, &format!("/start {code}"));
        h.handled(mark).await;
        h.handled(check_in).await;

        let told = h.api.last_sent(member.id).and_then(|m| m.text).unwrap();
        let (attendance, checked_in, audited) = register_row(&h).await;
        assert_eq!(attendance, "absent", "the mark stands either way");
        if checked_in {
            assert!(says(Some(&told), l, "checkin-done"), "{told}");
            assert_eq!(audited, 1);
        } else {
            assert!(says(Some(&told), l, "checkin-marked-absent"), "{told}");
            assert_eq!(audited, 0);
        }
    }
}

/// Two members' memberships are ended ten minutes into the meeting (by
/// mistake, or they moved away) and they are approved into the cell again
/// at once. The register opened then lists each once (0/2); one of them
/// opens the meeting's check-in code: the register lists each once
/// (present, absent: 1/2), and once it is closed the year
/// counts one meeting held for each, attended by the one. Before, the check-in added a second row beside
/// the one they kept from the start: the register listed them twice (❌
/// and ✅, 1/2) and the year counted two meetings held, one attended, so
/// the sheet suggested "not full" for a member at the cell's only meeting.
#[tokio::test]
async fn a_member_back_in_the_cell_during_the_meeting_is_on_its_register_once() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let other = user(en, 301, "Mai");
        h.join_approved(&secretary, &other, "Lê Thị Mai").await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        let code = meetings::checkin_code(&h.pool, id, h.app().now())
            .await
            .unwrap()
            .unwrap();
        h.clock.advance(Duration::minutes(40));
        for (who, name) in [(&member, "Nguyễn Văn An"), (&other, "Lê Thị Mai")] {
            end_membership(&h, &secretary, who).await;
            h.drain().await;
            h.join_approved(&secretary, who, name).await;
            h.drain().await;
        }

        // The register opened before anyone checks in: each once.
        let register = h.ask(&secretary, "/attendance").await;
        for name in ["Nguyễn Văn An", "Lê Thị Mai"] {
            let rows: Vec<String> = register
                .button_texts()
                .into_iter()
                .filter(|b| b.contains(name))
                .collect();
            assert_eq!(rows.len(), 1, "{l:?}: {:?}", register.button_texts());
            assert!(rows[0].starts_with('❌'), "{rows:?}");
        }
        assert!(
            register.text.as_deref().unwrap_or("").contains("0/2"),
            "{register:?}"
        );

        let done = h.ask(&member, &format!("/start {code}")).await;
        assert!(says(done.text.as_deref(), l, "checkin-done"), "{done:?}");
        let register = h.ask(&secretary, "/attendance").await;
        for (name, mark) in [("Nguyễn Văn An", '✅'), ("Lê Thị Mai", '❌')] {
            let rows: Vec<String> = register
                .button_texts()
                .into_iter()
                .filter(|b| b.contains(name))
                .collect();
            assert_eq!(rows.len(), 1, "{l:?}: {:?}", register.button_texts());
            assert!(rows[0].starts_with(mark), "{rows:?}");
        }
        assert!(
            register.text.as_deref().unwrap_or("").contains("1/2"),
            "{register:?}"
        );
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ?",
                id
            )
            .await,
            2
        );

        h.press_data(&secretary, register.message_id, &data_of(&register, "tc:"))
            .await;
        h.drain().await;
        let counts = meetings::attendance_by_user(
            &h.pool,
            &[member.id, other.id],
            2026,
            now(&h) + Duration::minutes(1),
            h.app().tz,
        )
        .await
        .unwrap();
        assert_eq!(counts.get(&member.id), Some(&(1, 1)), "{l:?}");
        assert_eq!(counts.get(&other.id), Some(&(0, 1)), "{l:?}");
    }
}

/// A register on the secretary's screen from before a member's row was
/// moved to the membership they hold again (their membership ended during
/// the meeting, they were approved into the cell again, and a register
/// opened since moved the row): its button still carries the old
/// membership. The press used to say the member was not on the list; now
/// it finds the member's row, marks it, and the register shows it.
#[tokio::test]
async fn a_register_from_before_a_member_rejoined_still_marks_them() {
    for en in [false, true] {
        let l = lang(en);
        let (h, secretary, member, cell) = cell_on_2_december(en).await;
        let start = now(&h) + Duration::minutes(30);
        let id = meeting(&h, cell, MeetingKind::Periodic, start, 100, "m1").await;
        h.clock.advance(Duration::minutes(40));
        let old = h.membership_of(member.id).await;
        let stale = h.ask(&secretary, "/attendance").await;
        let data = format!("tt:{id}:{old}:p");
        assert!(
            stale.buttons().iter().any(|(_, d)| *d == data),
            "{l:?}: {:?}",
            stale.buttons()
        );

        end_membership(&h, &secretary, &member).await;
        h.drain().await;
        h.join_approved(&secretary, &member, "Nguyễn Văn An").await;
        h.drain().await;
        let new = h.membership_of(member.id).await;
        assert_ne!(old, new);
        // A register opened since moves the member's row to the new
        // membership.
        let fresh = h.ask(&secretary, "/attendance").await;
        assert!(
            fresh
                .buttons()
                .iter()
                .any(|(_, d)| *d == format!("tt:{id}:{new}:p")),
            "{l:?}: {:?}",
            fresh.buttons()
        );

        // The old screen's button.
        let (answer, _) = h.press_data(&secretary, stale.message_id, &data).await;
        let toast = alert_text(&answer);
        assert!(
            says(Some(&toast), l, "attendance-marked"),
            "{l:?}: {answer:?}"
        );
        assert!(toast.contains("Nguyễn Văn An"), "{toast}");
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations
                 WHERE meeting_id = ? AND attendance = 'present' AND marked_by = 100",
                id
            )
            .await,
            1
        );
        assert_eq!(
            scalar(
                &h,
                "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ?",
                id
            )
            .await,
            1
        );
        // The pressed register now shows the member present, under the
        // membership they hold.
        let shown = h.current(&stale);
        let rows: Vec<String> = shown
            .button_texts()
            .into_iter()
            .filter(|b| b.contains("Nguyễn Văn An"))
            .collect();
        assert_eq!(rows.len(), 1, "{l:?}: {:?}", shown.button_texts());
        assert!(rows[0].starts_with('✅'), "{rows:?}");
        assert!(
            shown
                .buttons()
                .iter()
                .all(|(_, d)| !d.starts_with(&format!("tt:{id}:{old}:"))),
            "{:?}",
            shown.buttons()
        );
    }
}
