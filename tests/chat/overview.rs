//! What the ward, the Front and the workplace see: /stats, /export and
//! /status agreeing on the same members and numbers.

use lienhe::domain::Lang;

use crate::common::*;

/// A member straight into the database: user, approved (or `status`)
/// membership of `cell` with a workplace and a month of introduction.
async fn member(
    h: &Harness,
    user: i64,
    name: &str,
    cell: i64,
    workplace: Option<i64>,
    introduced: &str,
    status: &str,
) -> i64 {
    h.api.introduce(&vi_user(user, name));
    sqlx::query(
        "INSERT INTO users (id, full_name, tg_name, language, first_seen_at, last_seen_at)
         VALUES (?, ?, ?, 'vi', ?, ?)",
    )
    .bind(user)
    .bind(name)
    .bind(name)
    .bind(default_now())
    .bind(default_now())
    .execute(&h.pool)
    .await
    .unwrap();
    let at = format!("{introduced}T03:00:00+00:00");
    sqlx::query_scalar(
        "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                  decided_at, workplace_id, introduced_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(format!("seed-{user}"))
    .bind(user)
    .bind(cell)
    .bind(name)
    .bind(status)
    .bind(&at)
    .bind(&at)
    .bind(workplace)
    .bind(introduced)
    .fetch_one(&h.pool)
    .await
    .unwrap()
}

/// A report of `kind` (code) dated `date`, in `status`.
async fn report(h: &Harness, membership: i64, kind: &str, date: &str, status: &str) {
    sqlx::query(
        "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                              description, status, created_at, decided_at)
         SELECT 'r-' || ?1 || '-' || ?3 || '-' || ?2 || '-' || ?4, m.id, m.user_id, m.cell_id, k.id, ?3,
                'Dọn vệ sinh', ?4, ?3 || 'T03:00:00+00:00',
                CASE WHEN ?4 = 'pending' THEN NULL ELSE ?3 || 'T04:00:00+00:00' END
         FROM memberships m, activity_kinds k WHERE m.id = ?1 AND k.code = ?2",
    )
    .bind(membership)
    .bind(kind)
    .bind(date)
    .bind(status)
    .execute(&h.pool)
    .await
    .unwrap();
}

fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    lienhe::roster_file::grid(bytes)
        .unwrap()
        .into_iter()
        .map(|(_, row)| row)
        .collect()
}

/// The duty columns of an export's rows (`Nhiệm vụ 1` … `7`), summed.
fn duty_totals(rows: &[Vec<String>]) -> [u32; 7] {
    let mut totals = [0; 7];
    for row in &rows[1..] {
        for (d, total) in totals.iter_mut().enumerate() {
            *total += row[5 + d].parse::<u32>().unwrap();
        }
    }
    totals
}

/// The figure of each duty in a /stats reply.
fn stats_duties(lang: Lang, text: &str) -> [u32; 7] {
    let mut out = [0; 7];
    for (d, figure) in out.iter_mut().enumerate() {
        let duty = d + 1;
        let line = lienhe::t!(lang, "stats-duty-line", duty = duty, count = "");
        let at = text
            .find(&line)
            .unwrap_or_else(|| panic!("{line:?} in {text}"));
        let rest = &text[at + line.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        *figure = digits.parse().unwrap();
    }
    out
}

/// In February the ward's /stats and /export are of last year. A member
/// introduced to a cell in January, who reported an activity of 20
/// December, is in neither last year's export nor /status (nothing to
/// judge them on in it); /stats counted the report all the same, so the
/// ward's figure of duty 4 was one more than its export's column added up
/// (and a member only giving money, introduced after the year, was counted
/// too). The figures are now of the members the export lists.
#[tokio::test]
async fn last_years_figures_count_the_members_its_export_lists() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2027, 2, 10, 9, 0);
        let ward = h.ward("Phường Hưng Dũng").await;
        let workplace = h.workplace("Sở Tư pháp tỉnh Nghệ An").await;
        let cell = h.cell(ward, "Chi bộ khối 5").await;
        let supervisor = supervisor_of(&h, ward, lang).await;
        let w = Some(workplace);
        let an = member(&h, 1001, "Nguyễn Văn An", cell, w, "2026-01-01", "approved").await;
        report(&h, an, "community", "2026-03-05", "approved").await;
        // Dated on 31/12, approved in January: last year's.
        report(&h, an, "liaison", "2026-12-31", "approved").await;
        report(&h, an, "liaison", "2027-01-01", "approved").await;
        report(&h, an, "propaganda", "2026-04-01", "rejected").await;
        report(&h, an, "propaganda", "2026-05-01", "pending").await;
        // Introduced in January 2027: not among 2026's members.
        let cuong = member(
            &h,
            1003,
            "Phạm Văn Cường",
            cell,
            w,
            "2027-01-01",
            "approved",
        )
        .await;
        report(&h, cuong, "liaison", "2026-12-20", "approved").await;
        let dung = member(
            &h,
            1004,
            "Hoàng Văn Dũng",
            cell,
            w,
            "2027-01-01",
            "approved",
        )
        .await;
        report(&h, dung, "contribution", "2026-12-18", "approved").await;

        let replies = h.say(&supervisor, "/stats").await;
        let figures = replies.last().unwrap().text.clone().unwrap();
        assert!(figures.contains("2026"), "{figures}");
        h.api.text(&supervisor, "/export");
        h.wait_documents(supervisor.id, 1).await;
        let doc = h.last(&supervisor);
        let rows = xlsx_rows(doc.document_bytes.as_deref().unwrap());
        assert_eq!(rows.len(), 2, "An alone is 2026's: {rows:?}");
        assert_eq!(duty_totals(&rows), [1, 0, 0, 1, 0, 1, 0], "{rows:?}");
        assert_eq!(
            stats_duties(lang, &figures),
            duty_totals(&rows),
            "/stats and /export of 2026 agree: {figures}"
        );
        // Dũng gave money in December but is no member of 2026's.
        let money = lienhe::t!(lang, "stats-money-only", year = 2026, count = 1);
        assert!(!figures.contains(&money), "{figures}");
    }
}

/// A ward whose cells are not in the system yet (its supervisor came
/// first): /stats said "every cell has held or called a periodic meeting
/// in this half-year", telling the supervisor all was well in a ward where
/// no cell meets in the bot. It now says the ward has no cell yet, to its
/// supervisor and its administrator alike, in their language; a ward with
/// one cell that has not met still names it.
#[tokio::test]
async fn a_ward_without_cells_is_not_told_every_cell_met() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let ward = h.ward("Xã Nghi Phú").await;
        let supervisor = supervisor_of(&h, ward, lang).await;
        let stats = h.ask(&supervisor, "/stats").await.text.unwrap();
        assert!(
            !says(Some(&stats), lang, "attendance-stats-half-none"),
            "{stats}"
        );
        assert!(
            stats.contains(&text_of(lang, "attendance-stats-half-no-cells")),
            "{stats}"
        );
        // Once it has a cell that has not met, the cell is named.
        h.cell(ward, "Chi bộ xóm 3").await;
        let stats = h.ask(&supervisor, "/stats").await.text.unwrap();
        assert!(says(Some(&stats), lang, "attendance-stats-half"), "{stats}");
        assert!(stats.contains("Chi bộ xóm 3"), "{stats}");
        assert!(
            !stats.contains(&text_of(lang, "attendance-stats-half-no-cells")),
            "{stats}"
        );
    }
}

/// A ward whose cells are not in the system yet: /stats said it has no
/// cell, /export sent an empty workbook all the same. /export now says the
/// ward has no cell and sends no document, to its supervisor and its
/// administrator alike, in their language; a reader of several wards still
/// gets the workbook of the one that has members.
#[tokio::test]
async fn a_ward_without_cells_gets_no_empty_workbook() {
    no_workbook_of_an_empty_ward(false, "export-ward-no-cells").await;
}

/// A ward with residence cells but no confirmed member in them (a join
/// request still waiting): /export sent a workbook of headers alone. It now
/// says the ward's cells have no confirmed member for the year and sends no
/// document, to its supervisor and its administrator alike, in their
/// language; a reader of several wards still gets the workbook of the one
/// that has members.
#[tokio::test]
async fn a_ward_whose_cells_have_no_member_gets_no_empty_workbook() {
    no_workbook_of_an_empty_ward(true, "export-ward-no-members").await;
}

/// `/export` of Xã Nghi Phú (with a cell where a join request waits, if
/// `with_cell`) answers `said` and no document, in both languages; a reader
/// of it and of a ward with a member gets that ward's workbook, then `said`.
async fn no_workbook_of_an_empty_ward(with_cell: bool, said: &str) {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let empty = h.ward("Xã Nghi Phú").await;
        if with_cell {
            let waiting = h.cell(empty, "Chi bộ xóm 2").await;
            member(
                &h,
                1002,
                "Trần Thị Bình",
                waiting,
                None,
                "2026-01-01",
                "pending",
            )
            .await;
        }
        let supervisor = supervisor_of(&h, empty, lang).await;
        let admin = user_in(lang, 801, "Quản trị");
        ward_admin_of(&h, &admin, empty).await;
        for reader in [&supervisor, &admin] {
            let replies = h.say(reader, "/export").await;
            let shown: Vec<(&str, Option<&str>)> = replies
                .iter()
                .map(|s| (s.method.as_str(), s.text.as_deref()))
                .collect();
            assert_eq!(replies.len(), 1, "{lang:?}: {shown:?}");
            let text = replies[0].text.as_deref();
            assert!(says(text, lang, said), "{shown:?}");
            assert!(text.unwrap().contains("Xã Nghi Phú"), "{shown:?}");
            assert!(
                replies.iter().all(|s| s.method != "senddocument"),
                "{shown:?}"
            );
        }
        // A supervisor of a ward with a member who administers the empty
        // one: the first ward's workbook, and the line about the other.
        let full = h.ward("Phường Hưng Dũng").await;
        let cell = h.cell(full, "Chi bộ khối 5").await;
        let an = member(
            &h,
            1001,
            "Nguyễn Văn An",
            cell,
            None,
            "2026-01-01",
            "approved",
        )
        .await;
        report(&h, an, "community", "2026-03-05", "approved").await;
        let reader = user_in(lang, 802, "Giám sát");
        let code = h.supervisor_code(full).await;
        h.ask(&reader, &format!("/start {code}")).await;
        ward_admin_of(&h, &reader, empty).await;
        let before = h.api.sent_count(reader.id);
        h.api.text(&reader, "/export");
        h.api
            .wait_sent(reader.id, before + 2, std::time::Duration::from_secs(10))
            .await;
        h.quiet().await;
        let sent = h.api.sent(reader.id).split_off(before);
        let shown: Vec<(&str, Option<&str>)> = sent
            .iter()
            .map(|s| (s.method.as_str(), s.text.as_deref()))
            .collect();
        assert_eq!(sent.len(), 2, "{lang:?}: {shown:?}");
        let doc = &sent[0];
        assert_eq!(doc.method, "senddocument", "{shown:?}");
        let rows = xlsx_rows(doc.document_bytes.as_deref().unwrap());
        assert_eq!(rows.len(), 2, "An's row: {rows:?}");
        let text = sent[1].text.as_deref();
        assert!(says(text, lang, said), "{shown:?}");
        assert!(text.unwrap().contains("Xã Nghi Phú"), "{shown:?}");
    }
}

/// A cell secretary whose cell had no confirmed member (a join request
/// still waiting), or a workplace officer with no member of the workplace
/// confirmed by a residence cell: /export sent a workbook of headers alone.
/// It now says, in their language, that nobody is in the year's summary
/// and how that changes (members join by the secretary's /invite link; the
/// workplace's members are introduced from /status), and sends no
/// document; a secretary of two cells, one empty, still gets the other's
/// workbook, then the line about the empty one.
#[tokio::test]
async fn an_empty_cell_or_workplace_gets_no_empty_workbook() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let ward = h.ward("Phường Hưng Dũng").await;
        let workplace = h.workplace("Sở Tư pháp tỉnh Nghệ An").await;
        let empty = h.cell(ward, "Chi bộ khối 2").await;
        member(
            &h,
            1002,
            "Trần Thị Bình",
            empty,
            Some(workplace),
            "2026-01-01",
            "pending",
        )
        .await;
        let secretary = user_in(lang, 100, "Bí thư");
        h.make_secretary(&secretary, empty, "Lê Thị Hoa").await;
        let officer = user_in(lang, 700, "Cán bộ");
        h.ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await;
        h.ask(&officer, "Lê Văn Cán").await;
        for (reader, said, name, how) in [
            (
                &secretary,
                "export-cell-no-members",
                "Chi bộ khối 2",
                "/invite",
            ),
            (
                &officer,
                "export-workplace-no-members",
                "Sở Tư pháp tỉnh Nghệ An",
                "/status",
            ),
        ] {
            let replies = h.say(reader, "/export").await;
            let shown: Vec<(&str, Option<&str>)> = replies
                .iter()
                .map(|s| (s.method.as_str(), s.text.as_deref()))
                .collect();
            assert_eq!(replies.len(), 1, "{lang:?}: {shown:?}");
            let text = replies[0].text.as_deref();
            assert!(says(text, lang, said), "{lang:?}: {shown:?}");
            let text = text.unwrap();
            assert!(text.contains(name), "{shown:?}");
            assert!(text.contains("2026"), "{shown:?}");
            assert!(text.contains(how), "{shown:?}");
            assert!(
                replies.iter().all(|s| s.method != "senddocument"),
                "{shown:?}"
            );
        }
        // The same secretary of a second cell with a member: that cell's
        // workbook, and the line about the empty one.
        let full = h.cell(ward, "Chi bộ khối 5").await;
        let an = member(
            &h,
            1001,
            "Nguyễn Văn An",
            full,
            None,
            "2026-01-01",
            "approved",
        )
        .await;
        report(&h, an, "community", "2026-03-05", "approved").await;
        h.make_secretary(&secretary, full, "Lê Thị Hoa").await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM cell_secretaries WHERE user_id = 100")
                .await,
            2,
            "{lang:?}"
        );
        let before = h.api.sent_count(secretary.id);
        h.api.text(&secretary, "/export");
        h.api
            .wait_sent(secretary.id, before + 2, std::time::Duration::from_secs(10))
            .await;
        h.quiet().await;
        let sent = h.api.sent(secretary.id).split_off(before);
        let shown: Vec<(&str, Option<&str>)> = sent
            .iter()
            .map(|s| (s.method.as_str(), s.text.as_deref()))
            .collect();
        assert_eq!(sent.len(), 2, "{lang:?}: {shown:?}");
        let doc = sent
            .iter()
            .find(|s| s.method == "senddocument")
            .unwrap_or_else(|| panic!("{shown:?}"));
        let rows = xlsx_rows(doc.document_bytes.as_deref().unwrap());
        assert_eq!(rows.len(), 2, "An's row: {rows:?}");
        assert!(rows[1].iter().any(|c| c == "Nguyễn Văn An"), "{rows:?}");
        let line = sent
            .iter()
            .find(|s| s.method != "senddocument")
            .and_then(|s| s.text.as_deref());
        assert!(says(line, lang, "export-cell-no-members"), "{shown:?}");
        assert!(line.unwrap().contains("Chi bộ khối 2"), "{shown:?}");
    }
}

/// A workplace of 1,100 members and 1,000 people of its roster not
/// registered: its officer's /status said "1100 đảng viên" / "1100
/// members" and "1000 người" / "1000 people", the whole list's XLSX "2100
/// dòng" / "2100 rows", and the monthly digest "1100 đảng viên đã đăng ký",
/// "(1100)" silent or unsigned and "và 1070 đồng chí khác" / "and 1070
/// others", beside the "1.000" of the export's caption. Each now writes
/// the count as the language does (i18n::count; the count still picks the
/// plural form).
#[tokio::test]
async fn a_large_workplaces_status_and_digest_group_the_thousands() {
    for (lang, header, rows, digest, roster, counts) in [
        (
            Lang::Vi,
            "năm 2026: 1.100 đảng viên",
            "(2.100 dòng)",
            "— 1.100 đảng viên",
            "cơ quan: 1.000 người",
            ["(1.100):"; 2],
        ),
        (
            Lang::En,
            "2026: 1,100 members",
            "(2,100 rows)",
            "— 1,100 members",
            "Roster: 1,000 people",
            ["(1,100):"; 2],
        ),
    ] {
        let mut h = Harness::start().await;
        let cell = h.cell_setup().await;
        let officer = user_in(lang, 700, "Cán bộ");
        h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
            .await;
        insert_members(&h, cell, Some(1), 1000, 1100, "approved").await;
        // A roster of 1,000 people, none of them registered.
        let mut csv = String::from("Họ và tên,Số điện thoại\n");
        for n in 0..1000u64 {
            csv.push_str(&format!("{},09{:08}\n", numbered_name("Trần Văn", n), n));
        }
        let file = h.dir.path().join("roster.csv");
        std::fs::write(&file, csv).unwrap();
        h.admin(lienhe::cli::Admin::Roster {
            command: lienhe::cli::RosterCommand::Import {
                workplace: 1,
                dry_run: false,
                file,
            },
        })
        .await;
        let status = h.ask(&officer, "/status").await;
        let text = status.text.clone().unwrap();
        assert!(text.contains(header), "{text}");
        assert!(text.contains(roster), "{text}");
        let download = text_of(lang, "page-xlsx");
        h.press(&officer, &status, &download).await;
        h.wait_documents(officer.id, 1).await;
        let caption = h.last(&officer).text.unwrap_or_default();
        assert!(caption.contains(rows), "{caption}");
        // The month's round reminds the 1,100 members too: sent at the
        // fake's pace rather than Telegram's, for the test's sake.
        h.start_sender(lienhe::jobs::sender::SenderConfig {
            rate: 1000.0,
            ..default_sender()
        })
        .await;
        h.set_local(2026, 11, 25, 8, 0);
        h.tick().await;
        h.drain().await;
        let sent = digests_to(&h, officer.id, lang, "officer-digest-header");
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert!(sent[0].contains(digest), "{}", sent[0]);
        // Silent since May, and their sheets of 2026 unsigned: all of them.
        for (id, count) in [
            ("officer-digest-silent", counts[0]),
            ("officer-digest-unsigned", counts[1]),
        ] {
            let line = sent[0]
                .lines()
                .find(|l| says(Some(l), lang, id))
                .unwrap_or_else(|| panic!("{id} in {}", sent[0]));
            assert!(line.contains(count), "{line}");
            // 30 named, the 1,070 others counted.
            let others = lienhe::t!(lang, "digest-and-others", count = 1070, others = "1.070");
            let others = others.replace("1.070", if lang == Lang::Vi { "1.070" } else { "1,070" });
            assert!(line.contains(&others), "{line}");
        }
    }
}

/// In February the ward's /stats is of last year, and its note on periodic
/// meetings of that year's second half: it said "Cells that have neither
/// held nor called a periodic meeting in this half-year (01/07/2026 to
/// 31/12/2026)", "this half-year" being one that ended. A past year's note
/// now names its second half; the year running still says "this
/// half-year".
#[tokio::test]
async fn last_years_note_on_periodic_meetings_names_its_second_half() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2027, 2, 10, 9, 0);
        let ward = h.ward("Phường Hưng Dũng").await;
        let cell = h.cell(ward, "Chi bộ khối 5").await;
        let supervisor = supervisor_of(&h, ward, lang).await;
        let an = member(
            &h,
            1001,
            "Nguyễn Văn An",
            cell,
            None,
            "2026-01-01",
            "approved",
        )
        .await;
        report(&h, an, "liaison", "2026-10-05", "approved").await;
        let stats = h.ask(&supervisor, "/stats").await.text.unwrap();
        assert!(
            says(Some(&stats), lang, "attendance-stats-past-half"),
            "{stats}"
        );
        assert!(
            !says(Some(&stats), lang, "attendance-stats-half"),
            "{stats}"
        );
        assert!(
            stats.contains("01/07/2026") && stats.contains("31/12/2026"),
            "{stats}"
        );
        assert!(stats.contains("2026") && stats.contains("Chi bộ khối 5"));
        // This year's: the half-year running.
        let stats = h.ask(&supervisor, "/stats 2027").await.text.unwrap();
        assert!(says(Some(&stats), lang, "attendance-stats-half"), "{stats}");
        assert!(stats.contains("01/01/2027"), "{stats}");
    }
}

/// A ward whose 60 cells were just imported, with long official names and
/// no member yet: /stats says there is no month to judge and names the
/// cells with no periodic meeting. That answer went as one message cut at
/// Telegram's 4,096 characters, the last cells lost behind "…" (the
/// figures' answer of a ward with members was already sent in parts). It
/// now goes in parts, every cell named.
#[tokio::test]
async fn a_new_wards_many_cells_without_meetings_are_all_named() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let ward = h.ward("Phường Hưng Dũng").await;
        let mut names = Vec::new();
        for n in 1..=60u64 {
            let name = format!(
                "{} thuộc Đảng bộ phường Hưng Dũng, thành phố Vinh, tỉnh Nghệ An",
                numbered_name("Chi bộ khối", n)
            );
            h.cell(ward, &name).await;
            names.push(name);
        }
        let supervisor = supervisor_of(&h, ward, lang).await;
        let replies = h.say(&supervisor, "/stats").await;
        let texts: Vec<String> = replies.iter().filter_map(|s| s.text.clone()).collect();
        let all = texts.join("\n");
        assert!(says(Some(&texts[0]), lang, "year-stats-empty"), "{all}");
        // A part may end inside a name (at a space).
        let squeezed = |t: &str| t.split_whitespace().collect::<String>();
        let every = squeezed(&all);
        for name in &names {
            assert!(every.contains(&squeezed(name)), "{name} in {all}");
        }
        assert!(texts.iter().all(|t| !t.ends_with('…')), "{texts:?}");
    }
}

/// A supervisor of `ward` who joined by their code, speaking `lang`.
async fn supervisor_of(h: &Harness, ward: i64, lang: Lang) -> TgUser {
    let supervisor = user_in(lang, 800, "Giám sát");
    let code = h.supervisor_code(ward).await;
    h.ask(&supervisor, &format!("/start {code}")).await;
    supervisor
}

/// Names were listed in byte order (SQLite's NOCASE folds ASCII only): in
/// a Vietnamese cell, every Đỗ, Đặng and Âu came after Vũ, at the end of
/// `/members` and of the ward's export. They follow the Vietnamese alphabet
/// now (a ă â b c d đ e ê …), in every language of the reader.
#[tokio::test]
async fn names_are_listed_by_given_name_in_vietnamese_alphabetical_order() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let first = vi_user(300, "An");
        let cell = h.cell_with_member(&secretary, &first).await;
        let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
            .bind(cell)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        for (user, name) in [
            (1001, "Vũ Văn Bình"),
            (1002, "Đỗ Thị Đào"),
            (1003, "Lê Minh Ân"),
            (1004, "Trần Văn Dũng"),
            (1005, "Phạm Thị Ánh"),
            (1006, "Bùi Văn Bình"),
        ] {
            let m = member(&h, user, name, cell, None, "2026-01-01", "approved").await;
            report(&h, m, "community", "2026-03-05", "approved").await;
        }
        // By the given name first, as official lists are; namesakes by
        // their family and middle names.
        let expected = [
            "Nguyễn Văn An",
            "Phạm Thị Ánh",
            "Lê Minh Ân",
            "Bùi Văn Bình",
            "Vũ Văn Bình",
            "Trần Văn Dũng",
            "Đỗ Thị Đào",
        ];
        let list = h.ask(&secretary, "/members").await.text.unwrap();
        let at: Vec<usize> = expected
            .iter()
            .map(|name| list.find(name).unwrap_or_else(|| panic!("{name}: {list}")))
            .collect();
        assert!(at.is_sorted(), "{list}");

        let supervisor = supervisor_of(&h, ward, lang).await;
        h.api.text(&supervisor, "/export");
        h.wait_documents(supervisor.id, 1).await;
        let doc = h.last(&supervisor);
        let rows = xlsx_rows(doc.document_bytes.as_deref().unwrap());
        let names: Vec<&str> = rows[1..]
            .iter()
            .filter_map(|row| row.iter().find(|c| expected.contains(&c.as_str())))
            .map(String::as_str)
            .collect();
        assert_eq!(names, expected, "{rows:?}");
    }
}

/// `/sheet Nguyễn` in a workplace of many Nguyễns living in a cell of a
/// long formal name: the forty names listed ran past a message and were
/// cut, the last ones and the "…and N more" line lost unseen. The list
/// names as many as fit and counts the rest.
#[tokio::test]
async fn sheet_by_a_common_family_name_lists_what_fits_and_counts_the_rest() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    sqlx::query("UPDATE cells SET name = ? WHERE id = ?")
        .bind("Chi bộ khối Năm thuộc Đảng bộ phường Hưng Dũng, thành phố Vinh, tỉnh Nghệ An")
        .bind(cell)
        .execute(&h.pool)
        .await
        .unwrap();
    insert_members(&h, cell, Some(1), 1000, 60, "approved").await;
    for n in 0..60u64 {
        sqlx::query("UPDATE memberships SET full_name = ? WHERE user_id = ?")
            .bind(numbered_name("Nguyễn Thị Hoàng Phương", n))
            .bind(1000 + n as i64)
            .execute(&h.pool)
            .await
            .unwrap();
    }
    let officer = vi_user(700, "Cán bộ");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    let text = h.ask(&officer, "/sheet Nguyễn").await.text.unwrap();
    assert!(says(Some(&text), Lang::Vi, "sheet-many"), "{text}");
    assert!(!text.ends_with('…'), "cut: {text}");
    let listed = text.lines().filter(|l| l.starts_with('•')).count();
    let more = (1..60usize)
        .find(|n: &usize| {
            let count = *n;
            text.contains(&lienhe::t!(Lang::Vi, "sheet-many-more", count = count))
        })
        .unwrap_or(0);
    assert!(more > 0, "{text}");
    assert_eq!(listed + more, 60, "{text}");
}

/// Makes `user` administrator of `ward` through an operator's code.
async fn ward_admin_of(h: &Harness, user: &TgUser, ward: i64) {
    let out = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::WardAdmin { ward },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    h.ask(user, &format!("/start {code}")).await;
}

/// A supervisor of one ward who administers another asks for /stats and
/// /export: the first ward's chart (or workbook) is on its way when the
/// operator takes the administrator's role away. The second ward's chart,
/// figures and workbook, made after the role went, were sent all the same
/// (the roles were read once, when the command came). They are not now:
/// the role is read again before each ward's part goes, and the reader is
/// told that ward's figures are not sent. The first ward's still arrive.
async fn figures_of_a_ward_whose_role_went_meanwhile(lang: Lang) {
    use lienhe::cli::{Admin, RoleCommand, RoleName};
    let h = Harness::start().await;
    let kept = h.ward("Phường Hưng Dũng").await;
    let lost = h.ward("Phường Bến Thủy").await;
    for (ward, user, name) in [(kept, 1001, "Nguyễn Văn An"), (lost, 1002, "Trần Thị Bình")]
    {
        let cell = h.cell(ward, "Chi bộ khối 5").await;
        let m = member(&h, user, name, cell, None, "2026-01-01", "approved").await;
        report(&h, m, "community", "2026-03-05", "approved").await;
    }
    let reader = supervisor_of(&h, kept, lang).await;
    let gone = lienhe::t!(lang, "overview-scope-gone", scope = "Phường Bến Thủy");
    // The kept ward's parts, then the line about the other.
    for (command, method, parts) in [("/stats", "sendPhoto", 3), ("/export", "sendDocument", 2)] {
        ward_admin_of(&h, &reader, lost).await;
        let before = h.api.sent_count(reader.id);
        let held = h.api.hold_next(method, reader.id);
        let update = h.api.text(&reader, command);
        assert!(
            held.reached(std::time::Duration::from_secs(10)).await,
            "{command}"
        );
        let out = h
            .admin(Admin::Role {
                command: RoleCommand::Revoke {
                    user: reader.id,
                    role: RoleName::WardAdmin,
                    workplace: None,
                    ward: Some(lost),
                    cell: None,
                },
            })
            .await;
        assert!(out.ends_with("revoked"), "{out}");
        held.release();
        h.handled(update).await;
        h.api
            .wait_sent(
                reader.id,
                before + parts,
                std::time::Duration::from_secs(10),
            )
            .await;
        h.quiet().await;
        let sent = h.api.sent(reader.id).split_off(before);
        let files: Vec<&Sent> = sent
            .iter()
            .filter(|s| s.method == method.to_lowercase())
            .collect();
        let shown: Vec<(&str, Option<&str>)> = sent
            .iter()
            .map(|s| (s.method.as_str(), s.text.as_deref()))
            .collect();
        assert_eq!(files.len(), 1, "{lang:?} {command}: {shown:?}");
        let all: Vec<String> = sent
            .iter()
            .map(|s| s.text.clone().unwrap_or_default())
            .collect();
        assert!(
            all.iter().any(|t| t.contains("Phường Hưng Dũng")),
            "{lang:?} {command}: {all:?}"
        );
        assert!(
            all.iter()
                .all(|t| !t.contains("Phường Bến Thủy") || *t == gone),
            "{lang:?} {command}: {all:?}"
        );
        assert!(all.contains(&gone), "{lang:?} {command}: {all:?}");
    }
}

#[tokio::test]
async fn figures_of_a_ward_whose_role_went_meanwhile_are_not_sent_vi() {
    figures_of_a_ward_whose_role_went_meanwhile(Lang::Vi).await;
}

#[tokio::test]
async fn figures_of_a_ward_whose_role_went_meanwhile_are_not_sent_en() {
    figures_of_a_ward_whose_role_went_meanwhile(Lang::En).await;
}

/// An officer of two workplaces asks for /status: the first workplace's
/// list is on its way when the operator takes the officer's role at the
/// second away. The second list, made after the role went, was sent all
/// the same; it is not now, and the officer is told its figures are not
/// sent. The first list still arrives.
async fn status_of_a_workplace_whose_role_went_meanwhile(lang: Lang) {
    let h = Harness::start().await;
    let ward = h.ward("Phường Hưng Dũng").await;
    let cell = h.cell(ward, "Chi bộ khối 5").await;
    let kept = h.workplace("Sở Tư pháp tỉnh Nghệ An").await;
    let lost = h.workplace("Trường THPT Huỳnh Thúc Kháng").await;
    member(
        &h,
        1001,
        "Nguyễn Văn An",
        cell,
        Some(kept),
        "2026-01-01",
        "approved",
    )
    .await;
    member(
        &h,
        1002,
        "Trần Thị Bình",
        cell,
        Some(lost),
        "2026-01-01",
        "approved",
    )
    .await;
    let officer = user_in(lang, 700, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(kept).await))
        .await;
    h.ask(&officer, "Lê Văn Cán").await;
    h.ask(&officer, &format!("/start {}", h.officer_code(lost).await))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM workplace_officers WHERE user_id = 700")
            .await,
        2
    );
    let before = h.api.sent_count(officer.id);
    let held = h.api.hold_next("sendMessage", officer.id);
    let update = h.api.text(&officer, "/status");
    assert!(held.reached(std::time::Duration::from_secs(10)).await);
    h.revoke_officer(&officer, lost).await;
    held.release();
    h.handled(update).await;
    h.api
        .wait_sent(officer.id, before + 2, std::time::Duration::from_secs(10))
        .await;
    h.quiet().await;
    let sent: Vec<String> = h
        .api
        .sent(officer.id)
        .split_off(before)
        .into_iter()
        .map(|s| s.text.unwrap_or_default())
        .collect();
    let gone = lienhe::t!(
        lang,
        "overview-scope-gone",
        scope = "Trường THPT Huỳnh Thúc Kháng"
    );
    assert_eq!(sent.len(), 2, "{lang:?}: {sent:?}");
    assert!(sent[0].contains("Nguyễn Văn An"), "{lang:?}: {sent:?}");
    assert_eq!(sent[1], gone, "{lang:?}: {sent:?}");
}

#[tokio::test]
async fn status_of_a_workplace_whose_role_went_meanwhile_is_not_sent_vi() {
    status_of_a_workplace_whose_role_went_meanwhile(Lang::Vi).await;
}

#[tokio::test]
async fn status_of_a_workplace_whose_role_went_meanwhile_is_not_sent_en() {
    status_of_a_workplace_whose_role_went_meanwhile(Lang::En).await;
}
