//! The workplace officers' monthly digest, queued with the month's
//! round: people of the roster still not registered 30 days after their
//! introduction, members silent for three months or more, last year's
//! comment sheets not signed; once per month, resumed after a crash, in
//! each officer's language.

use lienhe::{
    domain::Lang,
    jobs::{officer_digest, sender::SenderConfig},
};

use crate::common::*;

/// Nobody registered among the first two; the third is registered as
/// member 502 (same phone).
const ROSTER: &str = "Họ và tên,Số điện thoại\n\
                      Phạm Thị Dung,0912000111\n\
                      Hoàng Văn Em,\n\
                      Đỗ Văn Giang,0912000333\n";

fn fast() -> SenderConfig {
    SenderConfig {
        rate: 50.0,
        ..SenderConfig::default()
    }
}

fn texts_to(h: &Harness, chat: i64) -> Vec<String> {
    h.api
        .sent(chat)
        .into_iter()
        .filter_map(|s| s.text)
        .collect()
}

async fn exec(h: &Harness, sql: &'static str) {
    sqlx::query(sql).execute(&h.pool).await.unwrap();
}

/// /status, then Introduce by `name`.
async fn introduce(h: &Harness, officer: &TgUser, name: &str) {
    let status = h.ask(officer, "/status").await;
    let (_, replies) = h
        .press(officer, &status, &format!("✉️ Giới thiệu: {name}"))
        .await;
    assert!(
        replies
            .last()
            .and_then(|s| s.text.clone())
            .is_some_and(|t| t.contains("?start=in_")),
        "{replies:?}"
    );
}

/// The digests of officers (Vietnamese, workplace 1, with a roster, an
/// introduction, members) and (English, workplace 2, nobody).
#[tokio::test]
async fn officers_get_their_workplaces_digest_once_in_their_language() {
    let mut h = Harness::start().await;
    let cell = h.cell_setup().await;
    let (vi_officer, en_officer) = (vi_user(200, "Cán"), en_user(201, "Officer"));
    h.ask(&vi_officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    h.ask(&en_officer, &format!("/start {}", h.officer_code(2).await))
        .await;
    // Members of workplace 1: 500 silent since May, 501 active in
    // November, 502 exempt (never silent), 503 introduced in 2025 with a
    // draft sheet of 2026, 504 introduced in 2025 with a signed one.
    insert_members(&h, cell, Some(1), 500, 5, "approved").await;
    exec(
        &h,
        "UPDATE memberships SET full_name = 'Nguyễn Văn An' WHERE user_id = 500",
    )
    .await;
    exec(
        &h,
        "UPDATE memberships SET full_name = 'Trần Thị Bình' WHERE user_id = 501",
    )
    .await;
    exec(
        &h,
        "UPDATE memberships SET full_name = 'Đỗ Văn Giang', phone = '0912000333',
                exempt_reason = 'study' WHERE user_id = 502",
    )
    .await;
    exec(
        &h,
        "UPDATE memberships SET full_name = 'Lê Văn Cường', introduced_on = '2025-03-01'
         WHERE user_id = 503",
    )
    .await;
    exec(
        &h,
        "UPDATE memberships SET full_name = 'Vũ Thị Hoa', introduced_on = '2025-03-01'
         WHERE user_id = 504",
    )
    .await;
    exec(
        &h,
        "INSERT INTO member_months (user_id, month, reports, approved, contact_reports, contact)
         VALUES (501, '2026-11', 1, 1, 1, 1), (503, '2026-11', 1, 1, 1, 1),
                (504, '2026-12', 1, 1, 1, 1)",
    )
    .await;
    exec(
        &h,
        "INSERT INTO sheets (membership_id, year, state, criteria, created_at, updated_at)
         SELECT id, 2026, 'signed', '[]', '2026-12-10T00:00:00Z', '2026-12-10T00:00:00Z' FROM memberships
         WHERE user_id = 504",
    )
    .await;
    exec(
        &h,
        "INSERT INTO sheets (membership_id, year, state, criteria, created_at, updated_at)
         SELECT id, 2026, 'draft', '[]', '2026-12-10T00:00:00Z', '2026-12-10T00:00:00Z' FROM memberships
         WHERE user_id = 503",
    )
    .await;
    // The roster; Dung introduced on 20/11 (35 days before the round),
    // Em introduced on 10/12 (15 days: not yet).
    h.ask(&vi_officer, "/roster").await;
    let preview = h
        .send_update(&vi_officer, |api| {
            api.document(
                &vi_officer,
                "ds.csv",
                "text/csv",
                ROSTER.as_bytes().to_vec(),
            )
        })
        .await
        .pop()
        .expect("a preview");
    h.press(&vi_officer, &preview, "Nhập danh sách").await;
    introduce(&h, &vi_officer, "Phạm Thị Dung").await;
    h.set_local(2026, 12, 10, 9, 0);
    introduce(&h, &vi_officer, "Hoàng Văn Em").await;
    h.start_sender(fast()).await;

    h.set_local(2026, 12, 25, 8, 0);
    let tick = h.tick().await.month.expect("queued at 08:00");
    assert_eq!(tick.officer_digests, 2, "{tick:?}");
    h.drain().await;

    let vi: Vec<String> = texts_to(&h, 200)
        .into_iter()
        .filter(|t| t.starts_with("Bản tin tháng 12/2026 gửi cấp ủy nơi công tác"))
        .collect();
    assert_eq!(vi.len(), 1, "{vi:#?}");
    let text = &vi[0];
    assert!(
        text.contains("Sở Tư pháp tỉnh Nghệ An — 5 đảng viên đã đăng ký"),
        "{text}"
    );
    assert!(
        text.contains(
            "Đã giới thiệu quá 30 ngày nhưng chưa đăng ký với chi bộ nơi cư trú (1): \
             Phạm Thị Dung (giới thiệu ngày 20/11/2026)"
        ),
        "{text}"
    );
    assert!(
        !text.contains("Hoàng Văn Em"),
        "introduced 15 days ago: {text}"
    );
    assert!(
        !text.contains("Đỗ Văn Giang ("),
        "registered and exempt: {text}"
    );
    assert!(
        text.contains("từ 3 tháng liên tiếp trở lên (1): Nguyễn Văn An (7 tháng)"),
        "{text}"
    );
    // The sheets of the year under review (2026, from 1 November), the
    // draft among them; not the closed ones of 2025.
    assert!(
        text.contains("Phiếu nhận xét năm 2026 chưa được chi bộ nơi cư trú ký (3): ")
            && text.contains("Lê Văn Cường"),
        "{text}"
    );
    assert!(!text.contains("năm 2025"), "{text}");
    assert!(!text.contains("Vũ Thị Hoa"), "signed, active: {text}");

    let en: Vec<String> = texts_to(&h, 201)
        .into_iter()
        .filter(|t| t.starts_with("Digest for 12/2026 for the workplace party committee"))
        .collect();
    assert_eq!(en.len(), 1, "{en:#?}");
    assert!(
        en[0].contains("Trường THPT Huỳnh Thúc Kháng — 0 members registered")
            && en[0].contains("Nothing to point out for 12/2026."),
        "{}",
        en[0]
    );

    // Once: another tick, a restart and the CLI queue nothing more.
    assert_eq!(h.tick().await.month, None);
    h.restart().await;
    assert_eq!(h.tick().await.month, None);
    let out = lienhe::cli::remind(
        &h.app(),
        lienhe::domain::schedule::Period {
            year: 2026,
            month: 12,
        },
    )
    .await
    .unwrap();
    assert!(out.contains("was queued before"), "{out}");
    h.drain().await;
    assert_eq!(
        texts_to(&h, 200)
            .iter()
            .filter(|t| t.starts_with("Bản tin tháng 12/2026 gửi cấp ủy"))
            .count(),
        1
    );

    // January: Em (no phone, matched by name) is now 46 days past the
    // introduction; Dung was introduced again five days ago (the latest
    // introduction counts); 2026 is still under review.
    h.set_local(2027, 1, 20, 9, 0);
    introduce(&h, &vi_officer, "Phạm Thị Dung").await;
    h.set_local(2027, 1, 25, 8, 0);
    assert_eq!(h.tick().await.month.expect("January").officer_digests, 2);
    h.drain().await;
    let january = texts_to(&h, 200)
        .into_iter()
        .rfind(|t| t.starts_with("Bản tin tháng 01/2027 gửi cấp ủy"))
        .expect("January's digest");
    assert!(
        january.contains(
            "chưa đăng ký với chi bộ nơi cư trú (1): Hoàng Văn Em (giới thiệu ngày 10/12/2026)"
        ),
        "{january}"
    );
    assert!(!january.contains("Phạm Thị Dung"), "{january}");
    assert!(
        january.contains("Phiếu nhận xét năm 2026 chưa được chi bộ nơi cư trú ký (3)"),
        "{january}"
    );
    // April: the sheets of 2026 closed on 31 March, those of 2027 are not
    // open yet: no sheet the cells could still sign is named.
    h.set_local(2027, 4, 25, 8, 0);
    assert_eq!(h.tick().await.month.expect("April").officer_digests, 2);
    h.drain().await;
    let april = texts_to(&h, 200)
        .into_iter()
        .rfind(|t| t.starts_with("Bản tin tháng 04/2027 gửi cấp ủy"))
        .expect("April's digest");
    assert!(!april.contains("Phiếu nhận xét"), "{april}");
    let en_april = texts_to(&h, 201)
        .into_iter()
        .rfind(|t| t.starts_with("Digest for 04/2027"))
        .expect("April's digest in English");
    assert!(!en_april.contains("Comment sheet"), "{en_april}");
}

/// A round cut short after the secretaries' digests (or made before the
/// officers' digest existed) queues the officers' digest at the next tick,
/// only for the officers it had not reached.
#[tokio::test]
async fn a_round_cut_short_queues_the_rest_of_the_officers_once() {
    let mut h = Harness::start().await;
    h.cell_setup().await;
    let first = vi_user(200, "Cán");
    let second = vi_user(201, "Dân");
    h.ask(&first, &format!("/start {}", h.officer_code(1).await))
        .await;
    h.ask(&second, &format!("/start {}", h.officer_code(2).await))
        .await;
    h.set_local(2026, 12, 25, 8, 0);
    // The crash: the round got as far as the first officer.
    let app = h.app();
    let key = officer_digest::period_key(lienhe::domain::schedule::Period {
        year: 2026,
        month: 12,
    });
    for (kind, period) in [("reminder", "2026-12"), ("digest", "2026-12")] {
        sqlx::query(
            "INSERT INTO broadcasts (kind, period, created_at, queuing) VALUES (?, ?, ?, 0)",
        )
        .bind(kind)
        .bind(period)
        .bind(app.now())
        .execute(&h.pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO broadcasts (kind, period, created_at, queuing, queued_through)
         VALUES ('digest', ?, ?, 1, 200)",
    )
    .bind(&key)
    .bind(app.now())
    .execute(&h.pool)
    .await
    .unwrap();
    h.restart().await;
    let tick = h.tick().await.month.expect("the rest of the round");
    assert_eq!(
        (tick.reminders, tick.digests, tick.officer_digests),
        (0, 0, 1)
    );
    assert_eq!(h.tick().await.month, None);
    h.start_sender(fast()).await;
    h.drain().await;
    let digest = |chat| {
        texts_to(&h, chat)
            .iter()
            .filter(|t| t.starts_with("Bản tin tháng 12/2026 gửi cấp ủy"))
            .count()
    };
    assert_eq!((digest(200), digest(201)), (0, 1));
}

/// An officer of two workplaces who is no longer an officer of one when the
/// month's digest, queued while Telegram could not be reached, goes out
/// gets it once, about the workplace they keep only.
#[tokio::test]
async fn an_officers_digest_leaves_out_a_workplace_they_no_longer_follow() {
    let mut h = Harness::start().await;
    let cell = h.cell_setup().await;
    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    sqlx::query("INSERT INTO workplace_officers (workplace_id, user_id, since) VALUES (2, 200, '2026-11-01T00:00:00Z')")
        .execute(&h.pool)
        .await
        .unwrap();
    insert_members(&h, cell, Some(1), 500, 1, "approved").await;
    insert_members(&h, cell, Some(2), 600, 1, "approved").await;
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    let queued: String = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE chat_id = 200 AND broadcast_id IS NOT NULL",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert!(
        queued.contains("Huỳnh Thúc Kháng") && queued.contains("Đảng viên 600"),
        "{queued}"
    );
    h.admin(lienhe::cli::Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user: 200,
            role: lienhe::cli::RoleName::Officer,
            workplace: Some(2),
            ward: None,
            cell: None,
        },
    })
    .await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let digests = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert!(
        digests[0].contains("Sở Tư pháp") && digests[0].contains("Đảng viên 500"),
        "{}",
        digests[0]
    );
    assert!(
        !digests[0].contains("Huỳnh Thúc Kháng") && !digests[0].contains("Đảng viên 600"),
        "{}",
        digests[0]
    );
}

/// Two members of the workplace of the same name are told apart in the
/// officers' digest as the committee's digest tells namesakes apart: by
/// phone, or by the month of introduction (in the silent list and in the
/// list of sheets not signed).
#[tokio::test]
async fn the_officers_digest_tells_namesakes_of_a_workplace_apart() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    insert_members(&h, cell, Some(1), 500, 3, "approved").await;
    exec(
        &h,
        "UPDATE memberships SET full_name = 'Nguyễn Văn An', phone = '0912000111'
         WHERE user_id = 500",
    )
    .await;
    exec(
        &h,
        "UPDATE memberships SET full_name = 'Nguyễn Văn An', introduced_on = '2025-03-01'
         WHERE user_id = 501",
    )
    .await;
    h.drain().await;
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let digests = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    assert_eq!(digests.len(), 1, "{digests:?}");
    let text = &digests[0];
    let (by_phone, by_month) = (
        "Nguyễn Văn An (SĐT 0912000111)",
        "Nguyễn Văn An (giới thiệu về chi bộ tháng 03/2025)",
    );
    for line in text.lines().filter(|l| l.contains("Nguyễn Văn An")) {
        assert!(
            line.contains(by_phone) && line.contains(by_month),
            "{line}\n\n{text}"
        );
    }
    assert_eq!(
        text.lines().filter(|l| l.contains("Nguyễn Văn An")).count(),
        2,
        "silent and not signed: {text}"
    );
}

/// An officer who erased their data (/forgetme) keeps the office but gets
/// no digest naming the workplace's members until they write to the bot
/// again; the workplace's other officer gets theirs as ever.
#[tokio::test]
async fn an_officer_who_erased_their_data_gets_no_digest_until_they_come_back() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let (away, colleague) = (vi_user(200, "Cán"), vi_user(201, "Bộ"));
    for officer in [&away, &colleague] {
        h.ask(officer, &format!("/start {}", h.officer_code(1).await))
            .await;
    }
    insert_members(&h, cell, Some(1), 500, 1, "approved").await;
    erase_data(&h, &away, Lang::Vi).await;
    h.drain().await;

    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let header = "officer-digest-header";
    assert_eq!(digests_to(&h, 201, Lang::Vi, header).len(), 1);
    assert!(digests_to(&h, 200, Lang::Vi, header).is_empty());

    // Back: the next month's digest reaches them.
    h.ask(&away, "/status").await;
    h.set_local(2026, 12, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let digests = digests_to(&h, 200, Lang::Vi, header);
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert!(digests[0].contains("Sở Tư pháp"), "{}", digests[0]);
}

/// A member from before the month of introduction was asked, accepted at
/// 01:00 on 1 January 2027 (31 December in UTC), is judged from 2027: the
/// officers' digest of January does not name their 2026 sheet as unsigned,
/// and the workplace's /status of 2026 does not list them, as the sheet
/// (which has no month of 2026 for them) would not.
#[tokio::test]
async fn a_member_accepted_in_the_small_hours_of_new_year_is_not_owed_last_years_sheet() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    insert_members(&h, cell, Some(1), 500, 2, "approved").await;
    exec(
        &h,
        "UPDATE memberships SET requested_at = '2026-12-30T03:00:00+00:00',
                decided_at = '2026-12-31T18:00:00+00:00' WHERE user_id = 501",
    )
    .await;
    h.drain().await;
    h.set_local(2027, 1, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let digests = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    assert_eq!(digests.len(), 1, "{digests:?}");
    let text = &digests[0];
    assert!(
        text.contains("Phiếu nhận xét năm 2026 chưa được chi bộ nơi cư trú ký (1): Đảng viên 500"),
        "{text}"
    );
    assert!(!text.contains("Đảng viên 501"), "{text}");

    let status = h.ask(&officer, "/status").await.text.unwrap();
    assert!(status.contains("Đảng viên 500"), "{status}");
    assert!(
        !status.contains("Đảng viên 501"),
        "accepted in 2027: {status}"
    );
}

/// The officers' digest and /status, read the same morning, name the same
/// members as silent for three months or more: approved activity only (a
/// report still pending is no evidence yet), and the month of the round
/// only once it has some. It counted Bình's pending October report as
/// contact and An's November, not yet over, as a silent month.
#[tokio::test]
async fn the_officers_digest_counts_silence_as_status_does() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let officer = vi_user(200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    insert_members(&h, cell, Some(1), 500, 2, "approved").await;
    exec(
        &h,
        "UPDATE memberships SET introduced_on = '2026-01-01',
                full_name = CASE user_id WHEN 500 THEN 'Nguyễn Văn An' ELSE 'Lê Thị Bình' END",
    )
    .await;
    // An: approved in August. Bình: approved in July, pending in October.
    for (token, user, date, status) in [
        ("a", 500, "2026-08-10", "approved"),
        ("b", 501, "2026-07-10", "approved"),
        ("c", 501, "2026-10-15", "pending"),
    ] {
        sqlx::query(
            "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                                  description, status, created_at)
             SELECT ?, m.id, m.user_id, m.cell_id,
                    (SELECT id FROM activity_kinds WHERE code = 'cell_meeting'),
                    ?, 'Dự họp chi bộ', ?, ? FROM memberships m WHERE m.user_id = ?",
        )
        .bind(token)
        .bind(date)
        .bind(status)
        .bind(default_now())
        .bind(user)
        .execute(&h.pool)
        .await
        .unwrap();
    }
    h.drain().await;
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let digests = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    assert_eq!(digests.len(), 1, "{digests:?}");
    let text = &digests[0];
    assert!(
        text.contains("từ 3 tháng liên tiếp trở lên (1): Lê Thị Bình (3 tháng)"),
        "{text}"
    );

    let status = h.ask(&officer, "/status").await.text.unwrap();
    let line = |name: &str| {
        status
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} in {status}"))
            .to_string()
    };
    assert!(line("Lê Thị Bình").contains("⚠️"), "{status}");
    assert!(!line("Nguyễn Văn An").contains("⚠️"), "{status}");
}

/// The bot down from 24 December to 2 January: December's officers'
/// digest is caught up once on 2 January, in each officer's language,
/// named December 2026 (not January 2027), with the 2026 sheets still
/// unsigned and the person introduced in November; a restart and another
/// look the same day send nothing more; January's own round on the 25th
/// is January's, once. Already so.
#[tokio::test]
async fn decembers_officer_digest_caught_up_on_2_january_is_decembers_once() {
    let mut h = Harness::start().await;
    let cell = h.cell_setup().await;
    let (vi_officer, en_officer) = (vi_user(200, "Cán"), en_user(201, "Officer"));
    for officer in [&vi_officer, &en_officer] {
        h.ask(officer, &format!("/start {}", h.officer_code(1).await))
            .await;
    }
    insert_members(&h, cell, Some(1), 500, 2, "approved").await;
    h.ask(&vi_officer, "/roster").await;
    let preview = h
        .send_update(&vi_officer, |api| {
            api.document(
                &vi_officer,
                "ds.csv",
                "text/csv",
                ROSTER.as_bytes().to_vec(),
            )
        })
        .await
        .pop()
        .expect("a preview");
    h.press(&vi_officer, &preview, "Nhập danh sách").await;
    introduce(&h, &vi_officer, "Phạm Thị Dung").await;
    h.start_sender(fast()).await;
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await.month.expect("November's round");
    h.drain().await;

    h.set_local(2026, 12, 24, 23, 0);
    h.tick().await;
    h.stop_bot().await;
    h.set_local(2027, 1, 2, 9, 0);
    h.start_bot().await;
    h.start_sender(fast()).await;
    let t = h.tick().await;
    assert_eq!(t.earlier_months.officer_digests, 2, "{t:?}");
    h.drain().await;
    h.restart().await;
    h.set_local(2027, 1, 2, 10, 0);
    h.tick().await;
    h.drain().await;

    let vi = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    let en = digests_to(&h, 201, Lang::En, "officer-digest-header");
    assert_eq!(vi.len(), 2, "November's and December's: {vi:#?}");
    assert_eq!(en.len(), 2, "{en:#?}");
    let (vi, en) = (&vi[1], &en[1]);
    assert!(vi.starts_with("Bản tin tháng 12/2026 gửi cấp ủy"), "{vi}");
    assert!(
        en.starts_with("Digest for 12/2026 for the workplace"),
        "{en}"
    );
    assert!(
        vi.contains("Phạm Thị Dung (giới thiệu ngày 20/11/2026)"),
        "{vi}"
    );
    assert!(
        en.contains("Phạm Thị Dung (introduced on 20/11/2026)"),
        "{en}"
    );
    assert!(
        vi.contains("Phiếu nhận xét năm 2026 chưa được chi bộ nơi cư trú ký (2)"),
        "{vi}"
    );
    assert!(
        en.contains("Comment sheet of 2026 not yet signed by the residence cell (2)"),
        "{en}"
    );
    for text in [vi, en] {
        assert!(!text.contains("2027"), "{text}");
    }

    h.set_local(2027, 1, 25, 8, 0);
    h.tick().await.month.expect("January's round");
    h.drain().await;
    h.tick().await;
    h.drain().await;
    let vi = digests_to(&h, 200, Lang::Vi, "officer-digest-header");
    let en = digests_to(&h, 201, Lang::En, "officer-digest-header");
    assert_eq!((vi.len(), en.len()), (3, 3), "{vi:#?} {en:#?}");
    assert!(vi[2].starts_with("Bản tin tháng 01/2027"), "{}", vi[2]);
    assert!(en[2].starts_with("Digest for 01/2027"), "{}", en[2]);
}
