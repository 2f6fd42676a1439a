//! The operator's subcommands, run as the real binary on a real database.

mod common;

use std::process::{Command, Output};

/// The binary, run outside the checkout: a `.env` an operator keeps in it
/// is never read by the tests' processes.
fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lienhe"));
    command.current_dir(std::env::temp_dir());
    command
}

fn lienhe(db: &str, args: &[&str]) -> Output {
    binary()
        .args(args)
        .env("DATABASE_URL", db)
        .env_remove("TELOXIDE_TOKEN")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn last_line(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn admin_subcommands_build_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ops.db").display());

    assert_eq!(
        last_line(&lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"])),
        "1"
    );
    assert_eq!(
        last_line(&lienhe(&db, &["admin", "ward", "add", "Xã Nghi Phú"])),
        "2"
    );
    assert_eq!(
        last_line(&lienhe(
            &db,
            &["admin", "cell", "add", "--ward", "1", "Chi bộ khối 5"]
        )),
        "1"
    );
    assert_eq!(
        last_line(&lienhe(
            &db,
            &["admin", "cell", "add", "--ward", "2", "Chi bộ xóm 3"]
        )),
        "2"
    );
    assert_eq!(
        last_line(&lienhe(
            &db,
            &["admin", "workplace", "add", "Sở Tư pháp tỉnh Nghệ An"]
        )),
        "1"
    );

    let invite = lienhe(&db, &["admin", "invite", "secretary", "--cell", "1"]);
    let code = last_line(&invite);
    assert_eq!(code.len(), 22, "{code}");
    assert!(code.chars().all(|c| c.is_ascii_alphanumeric()));
    let other = last_line(&lienhe(
        &db,
        &["admin", "invite", "secretary", "--cell", "1"],
    ));
    assert_ne!(code, other);
    let full = String::from_utf8(invite.stdout).unwrap();
    assert!(full.contains(&format!("/start {code}")), "{full}");

    let list = lienhe(&db, &["admin", "list"]);
    assert!(list.status.success());
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("Ward 1: Phường Hưng Dũng"), "{list}");
    assert!(
        list.contains("  Cell 1: Chi bộ khối 5 | secretary: none | members: 0"),
        "{list}"
    );
    assert!(
        list.contains("Ward 2: Xã Nghi Phú") && list.contains("Cell 2: Chi bộ xóm 3"),
        "{list}"
    );
    assert!(
        list.contains("Workplace 1: Sở Tư pháp tỉnh Nghệ An"),
        "{list}"
    );
}

#[test]
fn admin_errors_go_to_stderr_with_a_failing_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ops.db").display());
    for args in [
        &["admin", "cell", "add", "--ward", "7", "Chi bộ"][..],
        &["admin", "invite", "secretary", "--cell", "3"][..],
        &["admin", "ward", "add", "   "][..],
    ] {
        let out = lienhe(&db, args);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("error:"),
            "{args:?}"
        );
    }
    lienhe(&db, &["admin", "workplace", "add", "UBND phường"]);
    let dup = lienhe(&db, &["admin", "workplace", "add", "ubnd PHƯỜNG"]);
    assert!(!dup.status.success());
    // A ward or a cell of a name already there: refused, naming it (the
    // quick start run twice adds nothing twice).
    let ward = last_line(&lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"]));
    let dup = lienhe(&db, &["admin", "ward", "add", "phường  HƯNG Dũng"]);
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("Phường Hưng Dũng"));
    last_line(&lienhe(
        &db,
        &["admin", "cell", "add", "--ward", &ward, "Chi bộ khối 5"],
    ));
    let dup = lienhe(
        &db,
        &["admin", "cell", "add", "--ward", &ward, "chi bộ Khối 5"],
    );
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("Chi bộ khối 5"));
}

#[test]
fn run_without_a_token_explains_itself() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("run.db").display());
    let out = lienhe(&db, &["run"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TELOXIDE_TOKEN"), "{err}");
    // The database was created and migrated all the same.
    assert!(dir.path().join("run.db").exists());
}

#[test]
fn remind_queues_a_month_once_and_broadcasts_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("remind.db").display());
    let empty = lienhe(&db, &["broadcasts"]);
    assert!(String::from_utf8_lossy(&empty.stdout).contains("No broadcasts yet"));

    // This month (in the bot's time zone, UTC+7): a month before January
    // of last year is refused.
    let month = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string();
    let first = lienhe(&db, &["remind", "--month", &month]);
    assert_eq!(last_line(&first), "0", "no members yet");
    let again = lienhe(&db, &["remind", "--month", &month]);
    assert_eq!(last_line(&again), "0");
    assert!(String::from_utf8_lossy(&again.stdout).contains("queued before"));

    let list = String::from_utf8(lienhe(&db, &["broadcasts"]).stdout).unwrap();
    assert!(
        list.lines()
            .any(|l| l.contains("reminder") && l.contains(&month)),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.contains("digest") && l.contains(&month)),
        "{list}"
    );

    let bad = lienhe(&db, &["remind", "--month", "11/2026"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM"));
    // A month still to come is refused, and nothing is queued for it.
    let future = lienhe(&db, &["remind", "--month", "2099-12"]);
    assert!(!future.status.success());
    assert!(String::from_utf8_lossy(&future.stderr).contains("still to come"));
    let later = lienhe(&db, &["broadcasts"]);
    assert!(!String::from_utf8_lossy(&later.stdout).contains("2099-12"));
}

/// `remind --month` for a month before the bot could have been used
/// (`1900-01`) was accepted: it queued an empty round that then showed in
/// `broadcasts`. A month before January of last year is now refused, with
/// one line and a non-zero exit, as a month still to come is; so is a
/// month that is not one (`2026-13`, `0000-01`, `2026-+1`); spaces around
/// a good month are nothing.
#[test]
fn remind_refuses_a_month_too_long_ago_or_no_month_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("remind_old.db").display());
    // The bot's time zone (UTC+7, no daylight saving).
    let this_year = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap();
    let too_old = format!("{}-12", this_year - 2);
    for (month, why) in [
        ("1900-01", "too long ago"),
        (too_old.as_str(), "too long ago"),
        ("0000-01", "no year 0000"),
        ("2026-13", "no month 13"),
        ("2026-00", "no month 00"),
        ("2026-+1", "YYYY-MM"),
        ("26-01", "YYYY-MM"),
    ] {
        let out = lienhe(&db, &["remind", "--month", month]);
        assert!(!out.status.success(), "{month}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.to_lowercase().starts_with("error"))
            .collect();
        assert_eq!(errors.len(), 1, "{month}: {stderr}");
        assert!(errors[0].contains(why), "{month}: {stderr}");
        assert!(out.stdout.is_empty(), "{month}");
    }
    let list = String::from_utf8(lienhe(&db, &["broadcasts"]).stdout).unwrap();
    assert!(list.contains("No broadcasts yet"), "{list}");

    // January of last year, and this year's January typed with spaces.
    let last_january = format!("{}-01", this_year - 1);
    assert_eq!(
        last_line(&lienhe(&db, &["remind", "--month", &last_january])),
        "0"
    );
    let spaced = format!("  {this_year}-01 ");
    let out = lienhe(&db, &["remind", "--month", &spaced]);
    assert_eq!(last_line(&out), "0");
    let list = String::from_utf8(lienhe(&db, &["broadcasts"]).stdout).unwrap();
    assert!(list.contains(&last_january), "{list}");
    assert!(list.contains(&format!("{this_year}-01")), "{list}");
    assert!(!list.contains("1900"), "{list}");
}

#[test]
fn year_end_operator_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("year.db").display());
    assert_eq!(
        last_line(&lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"])),
        "1"
    );
    assert_eq!(
        last_line(&lienhe(&db, &["admin", "workplace", "add", "Sở Tư pháp"])),
        "1"
    );
    let officer = last_line(&lienhe(
        &db,
        &["admin", "invite", "officer", "--workplace", "1"],
    ));
    assert_eq!(officer.len(), 22);
    let supervisor = last_line(&lienhe(
        &db,
        &["admin", "invite", "supervisor", "--ward", "1"],
    ));
    assert_eq!(supervisor.len(), 22);
    assert!(
        !lienhe(&db, &["admin", "invite", "officer", "--workplace", "9"])
            .status
            .success()
    );
    assert!(
        !lienhe(&db, &["admin", "invite", "supervisor", "--ward", "9"])
            .status
            .success()
    );

    // No such member; an unknown exemption kind.
    assert!(
        !lienhe(
            &db,
            &[
                "admin", "member", "exempt", "--member", "1", "--reason", "barracks"
            ]
        )
        .status
        .success()
    );
    let bad = lienhe(
        &db,
        &[
            "admin", "member", "exempt", "--member", "1", "--reason", "holiday",
        ],
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("full-time-study"));

    // The audit log is intact: the ward, the workplace and the two codes
    // made above are its entries; unknown codes fail.
    let audit = lienhe(&db, &["audit", "verify"]);
    assert_eq!(last_line(&audit), "4");
    let verify = lienhe(&db, &["verify", "1A2B-3C4D-5E6F-7A8B"]);
    assert!(!verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stderr).contains("no signed sheet"));

    // Exports of an empty year still have their header row.
    let out = dir.path().join("all.csv");
    let export = lienhe(
        &db,
        &[
            "export",
            "--year",
            "2026",
            "--format",
            "csv",
            "--ward",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(last_line(&export), "0");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("Họ và tên") && csv.contains("Mã xác thực"),
        "{csv}"
    );
    let xlsx = dir.path().join("all.xlsx");
    let export = lienhe(
        &db,
        &[
            "export",
            "--year",
            "2026",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(last_line(&export), "0");
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    // Everyone's data: readable by the operator only.
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [&out, &xlsx] {
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", file.display());
        }
    }
    assert!(
        !lienhe(
            &db,
            &["export", "--year", "2026", "--format", "pdf", "--out", "x"]
        )
        .status
        .success()
    );
}

/// `lienhe export` with a year mistyped far out of range (or not a year)
/// is refused with one error line naming it, not a panic; no file is made.
#[test]
fn export_refuses_an_impossible_year() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("year.db").display());
    assert_eq!(
        last_line(&lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"])),
        "1"
    );
    let out = dir.path().join("x.csv");
    for year in ["999999", "1899", "0", "20x6"] {
        let export = lienhe(
            &db,
            &[
                "export",
                "--year",
                year,
                "--format",
                "csv",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let err = String::from_utf8_lossy(&export.stderr);
        assert!(!export.status.success(), "{year}: {err}");
        assert!(!err.contains("panicked"), "{year}: {err}");
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{year}: {err}");
        assert!(
            errors[0].contains(year) && errors[0].contains("1900 to 9999"),
            "{year}: {err}"
        );
        assert!(!out.exists(), "{year}");
    }
    // A year in range still exports.
    let export = lienhe(
        &db,
        &[
            "export",
            "--year",
            "2026",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(last_line(&export), "0");
}

/// `lienhe export --year` of a year still to come (a typo for this one:
/// 2062 for 2026) is refused with one line, as the chat's `/export` refuses
/// it, and no file is made: before, it wrote every member of the scope with
/// nothing done and no sheet, a file that looked like an answer.
#[test]
fn export_refuses_a_year_still_to_come() {
    use chrono::Datelike;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    // A time zone is less than a day ahead of UTC: the year after the one
    // a day from now is still to come wherever the binary reads its clock,
    // and the year before it has come (also on 31 December).
    let ahead = (chrono::Utc::now() + chrono::Duration::days(1)).year();
    let next = ahead + 1;
    let out = dir.path().join("x.csv");
    for year in [next, next + 36] {
        let year = year.to_string();
        let export = lienhe(
            &db,
            &[
                "export",
                "--year",
                &year,
                "--format",
                "csv",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        fails_with(&export, &format!("the year {year} has not come yet"));
        let err = String::from_utf8_lossy(&export.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!out.exists(), "{year}");
    }
    // A year that has come still exports.
    for year in [ahead - 1, ahead - 2] {
        let export = lienhe(
            &db,
            &[
                "export",
                "--year",
                &year.to_string(),
                "--format",
                "csv",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(last_line(&export), "0");
    }
}

#[test]
fn run_refuses_a_review_window_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("window.db").display());
    let out = lienhe(&db, &["run", "--sheets-until", "02-30"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected MM-DD"), "{err}");
    let out = binary()
        .args(["run"])
        .env("DATABASE_URL", &db)
        .env("LIENHE_SHEETS_UNTIL", "4/15")
        .env_remove("TELOXIDE_TOKEN")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("expected MM-DD"),
        "{err}"
    );
    // A good one gets as far as the missing token.
    let out = lienhe(&db, &["run", "--sheets-until", "04-15"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TELOXIDE_TOKEN"), "{err}");
}

// ------------------------------------------------------------------------
// Issue 8: the cell's committee (invite list/revoke, deputy codes, role
// revoke, member list).

/// `lienhe verify` of a code no sheet has printed its answer on stdout and
/// again as an error on stderr. It now says it once, as one line on stderr
/// ("error: no signed sheet has this code (not found)"), with nothing on
/// stdout and a failing status; a genuine code's answer stays on stdout.
#[test]
fn verify_of_an_unknown_code_says_so_once_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ops.db").display());
    lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"]);
    for code in ["1A2B-3C4D-5E6F-7A8B", "1a2b3c4d5e6f7a8b", "not-a-code"] {
        let out = lienhe(&db, &["verify", code]);
        assert!(!out.status.success(), "{code}");
        assert!(
            out.stdout.is_empty(),
            "{code}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            ["error: no signed sheet has this code (not found)"],
            "{code}"
        );
    }
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn fails_with(out: &Output, text: &str) {
    assert!(!out.status.success(), "succeeded: {}", stdout(out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(text), "{err}");
}

/// A cell's name given by the operator follows the rule a ward
/// administrator's follow (2–120 characters, a letter at least): a stray
/// mark, a number, one letter, a pasted paragraph or a control character is
/// refused, naming why, and no cell is added; a name with extra spaces
/// and line breaks is added tidied.
#[test]
fn a_cell_name_the_ward_could_not_give_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ops.db").display());
    let ward = last_line(&lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"]));
    let paragraph = "Chi bộ khối ".repeat(500);
    for (name, why) in [
        ("—", "shorter than 2"),
        ("— —", "no letter"),
        ("12", "no letter"),
        ("5 / 7", "no letter"),
        ("K", "shorter than 2"),
        (paragraph.as_str(), "longer than 120"),
        (&"Chi bộ khối 5".repeat(10)[..], "longer than 120"),
        ("Chi bộ\u{7}khối 5", "control character"),
        (" \u{200b} ", "empty"),
    ] {
        let out = lienhe(&db, &["admin", "cell", "add", "--ward", &ward, name]);
        fails_with(&out, why);
        assert!(out.stdout.is_empty(), "{name:?}");
    }
    let list = stdout(&lienhe(&db, &["admin", "list"]));
    assert!(!list.contains("Cell "), "{list}");
    let id = last_line(&lienhe(
        &db,
        &[
            "admin",
            "cell",
            "add",
            "--ward",
            &ward,
            "  Chi  bộ\nkhối 5 ",
        ],
    ));
    let list = stdout(&lienhe(&db, &["admin", "list"]));
    assert!(
        list.contains(&format!("Cell {id}: Chi bộ khối 5")),
        "{list}"
    );
}

#[test]
fn committee_operator_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("committee.db").display());
    lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"]);
    lienhe(
        &db,
        &["admin", "cell", "add", "--ward", "1", "Chi bộ khối 5"],
    );
    lienhe(
        &db,
        &["admin", "cell", "add", "--ward", "1", "Chi bộ khối 6"],
    );

    // A deputy code, a secretary code; listed with kind and target.
    let deputy = lienhe(&db, &["admin", "invite", "deputy", "--cell", "1"]);
    let deputy_code = last_line(&deputy);
    assert_eq!(deputy_code.len(), 22);
    assert!(stdout(&deputy).contains("Deputy secretary invite for cell 1"));
    let secretary_code = last_line(&lienhe(
        &db,
        &["admin", "invite", "secretary", "--cell", "2"],
    ));
    fails_with(
        &lienhe(&db, &["admin", "invite", "deputy", "--cell", "9"]),
        "no cell with id 9",
    );
    let all = stdout(&lienhe(&db, &["admin", "invite", "list"]));
    assert_eq!(all.lines().last(), Some("2"), "{all}");
    let line = |code: &str| {
        all.lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code} not listed: {all}"))
            .to_string()
    };
    assert!(line(&deputy_code).contains("deputy"), "{all}");
    assert!(line(&deputy_code).contains("cell 1"), "{all}");
    assert!(line(&deputy_code).ends_with("open"), "{all}");
    assert!(line(&secretary_code).contains("secretary"), "{all}");
    let one = stdout(&lienhe(&db, &["admin", "invite", "list", "--cell", "2"]));
    assert_eq!(one.lines().last(), Some("1"), "{one}");
    assert!(one.contains(&secretary_code) && !one.contains(&deputy_code));

    // Revoked once; a second time, or an unknown code, is an error.
    let revoked = lienhe(&db, &["admin", "invite", "revoke", &deputy_code]);
    assert_eq!(last_line(&revoked), "revoked");
    fails_with(
        &lienhe(&db, &["admin", "invite", "revoke", &deputy_code]),
        "revoked before",
    );
    fails_with(
        &lienhe(&db, &["admin", "invite", "revoke", "NoSuchCode123"]),
        "no invite with code",
    );
    let all = stdout(&lienhe(&db, &["admin", "invite", "list", "--cell", "1"]));
    assert!(all.contains("revoked "), "{all}");
    // A ward and two cells added, two codes made and one revoked: six
    // entries in the audit log.
    let audit = lienhe(&db, &["audit", "verify"]);
    assert_eq!(last_line(&audit), "6");

    // Taking away a role the user does not hold, or without its scope.
    fails_with(
        &lienhe(
            &db,
            &[
                "admin", "role", "revoke", "--user", "42", "--role", "deputy", "--cell", "1",
            ],
        ),
        "user 42 is not deputy of cell 1",
    );
    fails_with(
        &lienhe(
            &db,
            &[
                "admin", "role", "revoke", "--user", "42", "--role", "officer", "--cell", "1",
            ],
        ),
        "needs --workplace",
    );
    fails_with(
        &lienhe(
            &db,
            &[
                "admin",
                "role",
                "revoke",
                "--user",
                "42",
                "--role",
                "supervisor",
                "--ward",
                "1",
            ],
        ),
        "user 42 is not supervisor of ward 1",
    );

    // The members of a cell (none yet), and an unknown cell.
    let members = stdout(&lienhe(&db, &["admin", "member", "list", "--cell", "1"]));
    assert!(members.starts_with("Cell 1: Chi bộ khối 5"), "{members}");
    assert_eq!(members.lines().last(), Some("0"), "{members}");
    fails_with(
        &lienhe(&db, &["admin", "member", "list", "--cell", "9"]),
        "no cell with id 9",
    );
}

#[test]
fn roster_import_previews_then_imports() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ops.db").display());
    assert_eq!(
        last_line(&lienhe(
            &db,
            &["admin", "workplace", "add", "Sở Tư pháp tỉnh Nghệ An"]
        )),
        "1"
    );
    let file = dir.path().join("ds.csv");
    std::fs::write(
        &file,
        "Họ và tên;Số điện thoại\nNguyễn Văn An;+84 912 345 678\n;0911111111\nLê Cường;0912345678\nTrần Bình;\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();

    let dry = lienhe(
        &db,
        &[
            "admin",
            "roster",
            "import",
            "--workplace",
            "1",
            "--dry-run",
            path,
        ],
    );
    let out = stdout(&dry);
    assert!(
        out.contains(
            "4 rows read, 0 registered with a residence cell, 2 not registered, 2 left out"
        ),
        "{out}"
    );
    assert!(out.contains("line 3: no name"), "{out}");
    assert!(out.contains("line 4: duplicate of line 2"), "{out}");
    assert_eq!(last_line(&dry), "dry run: nothing stored");

    let done = lienhe(
        &db,
        &["admin", "roster", "import", "--workplace", "1", path],
    );
    assert_eq!(last_line(&done), "2");
    assert!(stdout(&done).contains("line 5: Trần Bình - not registered"));

    // A file with no valid row leaves the roster as it is.
    std::fs::write(&file, "Họ và tên;Số điện thoại\n;0911111111\nAn;12\n").unwrap();
    fails_with(
        &lienhe(
            &db,
            &["admin", "roster", "import", "--workplace", "1", path],
        ),
        "no valid row: nothing imported",
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let kept: i64 = runtime.block_on(async {
        let pool = lienhe::store::open(&db).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM roster_entries")
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_eq!(kept, 2);

    std::fs::write(&file, b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    fails_with(
        &lienhe(
            &db,
            &["admin", "roster", "import", "--workplace", "1", path],
        ),
        "not a spreadsheet",
    );
    fails_with(
        &lienhe(
            &db,
            &["admin", "roster", "import", "--workplace", "9", path],
        ),
        "no workplace with id 9",
    );
}

/// A roster given as a pipe (`<(curl …)`, a FIFO) or a device says its
/// size is 0: `admin roster import` read it to its end whatever it held
/// (`/dev/zero`: until memory ran out). It stops one byte past 5 MB and
/// refuses with one line, and a pipe of a small roster is still imported.
#[test]
fn a_roster_from_a_pipe_is_read_no_further_than_its_limit() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ops.db").display());
    assert_eq!(
        last_line(&lienhe(&db, &["admin", "workplace", "add", "Sở Tư pháp"])),
        "1"
    );
    let fifo = |name: &str| {
        let path = dir.path().join(name);
        assert!(
            Command::new("mkfifo")
                .arg(&path)
                .status()
                .unwrap()
                .success()
        );
        path
    };
    // 64 MB offered, a megabyte at a time, until the reader stops.
    let endless = fifo("endless.csv");
    let writer = {
        let endless = endless.clone();
        std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new()
                .write(true)
                .open(&endless)
                .unwrap();
            let line = "Nguyễn Văn An;0912345678\n".repeat(1 << 15);
            let mut written = 0usize;
            while written < 64 << 20 {
                if pipe.write_all(line.as_bytes()).is_err() {
                    break;
                }
                written += line.len();
            }
            written
        })
    };
    let import = lienhe(
        &db,
        &[
            "admin",
            "roster",
            "import",
            "--workplace",
            "1",
            endless.to_str().unwrap(),
        ],
    );
    fails_with(&import, "the file is larger than 5 MB");
    let err = String::from_utf8_lossy(&import.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let written = writer.join().unwrap();
    assert!(written < 16 << 20, "read {written} bytes of the pipe");

    // A small roster through a pipe is read as a file is.
    let small = fifo("small.csv");
    let writer = {
        let small = small.clone();
        std::thread::spawn(move || {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&small)
                .unwrap()
                .write_all("Họ và tên;Số điện thoại\nNguyễn Văn An;0912345678\n".as_bytes())
                .unwrap();
        })
    };
    let import = lienhe(
        &db,
        &[
            "admin",
            "roster",
            "import",
            "--workplace",
            "1",
            small.to_str().unwrap(),
        ],
    );
    writer.join().unwrap();
    assert_eq!(last_line(&import), "1");
}

/// Two `admin ward add X` (or `admin workplace add X`) run at once: one
/// adds it, the other is refused naming it. Before, both looked for the
/// name before their write transaction, both found none, and two wards
/// called X were made.
#[test]
fn the_same_ward_or_workplace_added_twice_at_once_is_added_once() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    let spawn = |args: &[&str]| {
        binary()
            .args(args)
            .env("DATABASE_URL", &db)
            .env_remove("TELOXIDE_TOKEN")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs")
    };
    for kind in ["ward", "workplace"] {
        for round in 0..6 {
            let name = format!("Nơi số {round}");
            let runs = [
                spawn(&["admin", kind, "add", &name]),
                spawn(&["admin", kind, "add", &name]),
            ];
            let outs: Vec<Output> = runs
                .into_iter()
                .map(|run| run.wait_with_output().unwrap())
                .collect();
            let added = outs.iter().filter(|o| o.status.success()).count();
            assert_eq!(added, 1, "{kind} {name}: {outs:?}");
            let refused = outs.iter().find(|o| !o.status.success()).unwrap();
            let err = String::from_utf8_lossy(&refused.stderr);
            assert!(
                err.contains("already has this name") && err.contains(&name),
                "{err}"
            );
        }
    }
    let list = String::from_utf8(lienhe(&db, &["admin", "list"]).stdout).unwrap();
    for round in 0..6 {
        let name = format!(": Nơi số {round}");
        assert_eq!(
            list.lines().filter(|l| l.ends_with(&name)).count(),
            2,
            "one ward and one workplace: {list}"
        );
    }
}

/// Queues `rows` reminders of a round created now, straight in the
/// database (members can only join through the chat).
fn queue_reminders(db: &str, rows: i64) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let pool = lienhe::store::open(db).await.unwrap();
        let now = chrono::Utc::now();
        let mut tx = lienhe::store::tx::begin(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO broadcasts (kind, period, created_at) VALUES ('reminder', '2026-11', ?)",
        )
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
             INSERT INTO outbox (broadcast_id, chat_id, payload, status, priority, not_before)
             SELECT 1, i, '{\"text\":\"x\"}', 'queued', 2, ? FROM n",
        )
        .bind(rows)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        pool.close().await;
    });
}

fn broadcasts_with(db: &str, env: &[(&str, &str)]) -> String {
    let out = binary()
        .arg("broadcasts")
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .env_remove("LIENHE_SEND_RATE")
        .env_remove("LIENHE_PAID_BROADCAST")
        .env_remove("LIENHE_PAID_BROADCAST_RATE")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A `LIENHE_SEND_RATE` below 0.1 is raised to 0.1 by the sender, and
/// `broadcasts` estimates at that rate too: before, it estimated 30
/// reminders at 0.0001/s as 300,000 s (days late, with a warning) while
/// the sender sent them in 300 s; and `doctor` says the value is raised.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_rate_below_the_slowest_is_raised_in_broadcasts_and_doctor_warns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("slow.db");
    let db = format!("sqlite://{}", file.display());
    tokio::task::block_in_place(|| {
        broadcasts_with(&db, &[]);
        queue_reminders(&db, 30);
    });
    let before = chrono::Utc::now();
    let shown = tokio::task::block_in_place(|| {
        broadcasts_with(
            &db,
            &[
                ("LIENHE_SEND_RATE", "0.0001"),
                ("LIENHE_TIMEZONE", "Asia/Ho_Chi_Minh"),
            ],
        )
    });
    let row = shown.lines().find(|l| l.contains("reminder")).unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    let finish = chrono::NaiveDateTime::parse_from_str(
        &format!("{} {}", cols[5], cols[6]),
        "%d/%m/%Y %H:%M",
    )
    .unwrap_or_else(|e| panic!("{e}: {row}"))
    .and_local_timezone(chrono_tz::Asia::Ho_Chi_Minh)
    .unwrap()
    .with_timezone(&chrono::Utc);
    let wait = finish - before;
    // 30 rows at 0.1/s: 300 s (to the minute shown).
    assert!(
        wait >= chrono::Duration::seconds(200) && wait <= chrono::Duration::seconds(420),
        "{wait}: {shown}"
    );

    let api = common::FakeApi::start().await;
    for (var, value) in [
        ("LIENHE_SEND_RATE", "0.05"),
        ("LIENHE_PAID_BROADCAST_RATE", "0.01"),
    ] {
        let (ok, report, err) =
            doctor_with(&db, api.url().as_str(), Some(TOKEN), &[(var, value)]).await;
        assert!(ok, "{report}\n{err}");
        let warned = lines(&report, "warn", "configuration");
        assert!(
            warned
                .iter()
                .any(|l| l.contains(&format!("{var}={value}")) && l.contains("raised to 0.1")),
            "{report}"
        );
    }
}

#[test]
fn broadcasts_show_when_the_sender_will_finish_and_warn_when_not_on_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("eta.db").display());
    broadcasts_with(&db, &[]);
    queue_reminders(&db, 10_000);

    // 10,000 reminders at the slowest the sender goes (0.0001 is raised to
    // one every 10 s): 100,000 s, after the day they were due.
    let slow = broadcasts_with(&db, &[("LIENHE_SEND_RATE", "0.0001")]);
    assert!(
        slow.lines().next().unwrap().contains("expected finish"),
        "{slow}"
    );
    let row = slow.lines().find(|l| l.contains("reminder")).unwrap();
    assert!(
        row.split_whitespace().filter(|w| w.contains('/')).count() >= 2,
        "{row}"
    );
    let warning = slow.lines().last().unwrap();
    assert!(
        warning.contains("Broadcast 1 will not finish on its day")
            && warning.contains("raise LIENHE_SEND_RATE or enable paid broadcasts"),
        "{slow}"
    );

    // Paid broadcasts at 1000/s: done in a moment, no warning.
    let paid = broadcasts_with(
        &db,
        &[
            ("LIENHE_SEND_RATE", "0.0001"),
            ("LIENHE_PAID_BROADCAST", "true"),
            ("LIENHE_PAID_BROADCAST_RATE", "1000"),
        ],
    );
    assert!(!paid.contains("will not finish"), "{paid}");
    let row = paid.lines().find(|l| l.contains("reminder")).unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        &cols[cols.len() - 5..],
        &["10000", "10000", "0", "0", "0"],
        "{row}"
    );

    // A paid rate above Telegram's 1000 is refused; a send rate of 0 too
    // (it would send one message every 10 s).
    // So is a paid switch that is not plainly on or off (a typo must not
    // turn on paid sending).
    for (var, value) in [
        ("LIENHE_PAID_BROADCAST_RATE", "5000"),
        ("LIENHE_SEND_RATE", "0"),
        ("LIENHE_PAID_BROADCAST", "fasle"),
        ("LIENHE_PAID_BROADCAST", "disabled"),
    ] {
        let out = binary()
            .arg("broadcasts")
            .env("DATABASE_URL", &db)
            .env(var, value)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{var}={value}");
    }
}

// ------------------------------------------------------------------------
// Issue 12: backup, restore, doctor.

const TOKEN: &str = "123456:DOCTOR-SECRET";

/// `lienhe doctor` against this Bot API: (success, stdout, stderr).
async fn doctor(db: &str, api_url: &str, token: Option<&str>) -> (bool, String, String) {
    doctor_with(db, api_url, token, &[]).await
}

/// [`doctor`] with more variables set.
async fn doctor_with(
    db: &str,
    api_url: &str,
    token: Option<&str>,
    vars: &[(&str, &str)],
) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_lienhe"));
    command
        .arg("doctor")
        .current_dir(dir.path())
        .env("DATABASE_URL", db)
        .env("TELOXIDE_API_URL", api_url)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("LIENHE_BACKUP_DIR")
        .env("RUST_LOG", "warn");
    if let Some(token) = token {
        command.env("TELOXIDE_TOKEN", token);
    }
    command.envs(vars.iter().copied());
    let out = command.output().await.unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The lines of a doctor's report with this status and check.
fn lines<'a>(report: &'a str, status: &str, check: &str) -> Vec<&'a str> {
    report
        .lines()
        .filter(|l| {
            let mut words = l.split_whitespace();
            words.next() == Some(status) && words.next() == Some(check)
        })
        .collect()
}

/// A database made by the binary, with a ward.
fn made_database(dir: &std::path::Path) -> (String, std::path::PathBuf) {
    let file = dir.join("lienhe.db");
    let db = format!("sqlite://{}", file.display());
    last_line(&lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"]));
    (db, file)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_passes_a_healthy_setup_and_names_telegram_failures() {
    let api = common::FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    let url = api.url().to_string();

    let (ok, report, err) = doctor(&db, &url, Some(TOKEN)).await;
    assert!(ok, "{report}\n{err}");
    assert!(!report.contains("FAIL"), "{report}");
    assert!(
        report.contains("TELOXIDE_TOKEN=123456:**** (env)"),
        "{report}"
    );
    assert!(!report.contains("DOCTOR-SECRET"), "the token is masked");
    assert!(
        report.contains("LIENHE_TIMEZONE=Asia/Ho_Chi_Minh (default)"),
        "{report}"
    );
    let telegram = lines(&report, "ok", "telegram");
    assert!(
        telegram
            .iter()
            .any(|l| l.contains(&format!("@{}", api.bot_username()))),
        "{report}"
    );
    for check in ["database", "audit", "clock"] {
        assert!(!lines(&report, "ok", check).is_empty(), "{check}: {report}");
    }
    // The machine's free space is what it is: reported, not failed here.
    assert_eq!(
        lines(&report, "ok", "disk").len() + lines(&report, "warn", "disk").len(),
        1,
        "{report}"
    );
    assert!(report.contains("SQLite integrity check: ok"), "{report}");
    assert!(report.contains(" UTC, "), "{report}");

    // A webhook set for the bot: polling would get nothing.
    api.set_webhook("https://example.org/hook");
    let (ok, report, _) = doctor(&db, &url, Some(TOKEN)).await;
    assert!(!ok);
    let fail = lines(&report, "FAIL", "telegram");
    assert!(
        fail.len() == 1 && fail[0].contains("a webhook is set"),
        "{report}"
    );

    // A refused token.
    api.refuse_token(TOKEN);
    let (ok, report, err) = doctor(&db, &url, Some(TOKEN)).await;
    assert!(!ok && err.contains("1 checks failed"), "{report}\n{err}");
    let fail = lines(&report, "FAIL", "telegram");
    assert!(
        fail.len() == 1 && fail[0].contains("refused the bot token"),
        "{report}"
    );

    // Nobody listening at the API's address.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    let (ok, report, _) = doctor(&db, &closed, Some(TOKEN)).await;
    assert!(!ok);
    let fail = lines(&report, "FAIL", "telegram");
    assert!(
        fail.len() == 1 && fail[0].contains("unreachable at") && fail[0].contains(&closed),
        "{report}"
    );

    // No token at all.
    let (ok, report, _) = doctor(&db, &url, None).await;
    assert!(!ok);
    assert!(
        lines(&report, "FAIL", "configuration")
            .iter()
            .any(|l| l.contains("TELOXIDE_TOKEN: not set")),
        "{report}"
    );

    // A paid-broadcast switch `run` would refuse (a typo) fails here too.
    let typo = [("LIENHE_PAID_BROADCAST", "fasle")];
    let (ok, report, _) = doctor_with(&db, &url, Some(TOKEN), &typo).await;
    assert!(!ok);
    assert!(
        lines(&report, "FAIL", "configuration")
            .iter()
            .any(|l| l.contains("LIENHE_PAID_BROADCAST")),
        "{report}"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_an_open_database_file_and_a_read_only_directory() {
    use std::os::unix::fs::PermissionsExt;
    let api = common::FakeApi::start().await;
    let url = api.url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let (db, file) = made_database(&data);

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (ok, report, _) = doctor(&db, &url, Some(TOKEN)).await;
    assert!(!ok);
    let fail = lines(&report, "FAIL", "database");
    assert!(
        fail.len() == 1 && fail[0].contains("mode 0644") && fail[0].contains("chmod 600"),
        "{report}"
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();

    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let (ok, report, _) = doctor(&db, &url, Some(TOKEN)).await;
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(!ok);
    let fail = lines(&report, "FAIL", "database");
    assert!(
        fail.iter()
            .any(|l| l.contains("is read-only (mode 0555)") && l.contains(data.to_str().unwrap())),
        "{report}"
    );
}

/// The disk check counts the database's `-wal` with it: a reader held
/// open keeps writes there, and the `-wal` can be many times the file.
/// Before, doctor weighed the file alone ("database 0.2 MB" beside a
/// 20 MB `-wal`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_counts_the_wal_in_the_space_the_database_needs() {
    use sqlx::{Connection, sqlite::SqliteConnectOptions};
    let api = common::FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    let options = SqliteConnectOptions::new().filename(&file);
    let mut writer = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    for sql in [
        "PRAGMA journal_mode = WAL",
        "PRAGMA wal_autocheckpoint = 0",
        "CREATE TABLE ballast (b BLOB)",
        "INSERT INTO ballast VALUES (randomblob(20000000))",
    ] {
        sqlx::query(sql).execute(&mut writer).await.unwrap();
    }
    let wal = std::fs::metadata(lienhe::store::backup::companion(&file, "-wal"))
        .unwrap()
        .len();
    let main = std::fs::metadata(&file).unwrap().len();
    assert!(wal > 20_000_000 && main < wal / 10, "{main} {wal}");

    let (_, report, err) = doctor(&db, api.url().as_str(), Some(TOKEN)).await;
    writer.close().await.unwrap();
    let disk: Vec<_> = report
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("disk"))
        .collect();
    assert_eq!(disk.len(), 1, "{report}\n{err}");
    let shown = disk[0]
        .split("database ")
        .nth(1)
        .and_then(|rest| rest.split(" MB").next())
        .and_then(|mb| mb.trim_start_matches("is ").parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no size in {}", disk[0]));
    assert!(shown * 1_000_000.0 >= wal as f64, "{}", disk[0]);
    assert!(disk[0].contains("with its -wal and -shm"), "{}", disk[0]);
}

/// A database with two audit entries, the second changed by an SQL UPDATE
/// (past the append-only trigger, as somebody with the file could).
async fn broken_chain(file: &std::path::Path) {
    use lienhe::store::{self, audit};
    let pool = store::open(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    for i in 1..=2 {
        let mut tx = store::tx::begin(&pool).await.unwrap();
        audit::append(
            &mut tx,
            audit::Entry {
                actor: Some(i),
                action: "approve",
                subject: "report",
                subject_id: i,
                details: serde_json::json!({ "n": i }),
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    sqlx::query("DROP TRIGGER audit_log_append_only_update")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET actor = 99 WHERE id = 2")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_and_backup_name_a_broken_audit_chain() {
    let api = common::FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    broken_chain(&file).await;
    let (ok, report, _) = doctor(&db, api.url().as_str(), Some(TOKEN)).await;
    assert!(!ok);
    let fail = lines(&report, "FAIL", "audit");
    assert!(
        fail.len() == 1 && fail[0].contains("broken at entry 2"),
        "{report}"
    );
    // The other checks still pass.
    assert_eq!(report.matches("FAIL").count(), 1, "{report}");

    let out = dir.path().join("copy.db");
    let backup = lienhe(&db, &["backup", "--out", out.to_str().unwrap()]);
    assert!(!backup.status.success());
    let err = String::from_utf8_lossy(&backup.stderr);
    assert!(
        err.contains("broken at entry 2") && err.contains("no backup was left"),
        "{err}"
    );
    assert!(!out.exists(), "the failed copy is removed");
}

#[cfg(unix)]
#[test]
fn backup_then_restore_from_the_command_line() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    let out = dir.path().join("backup.db");
    let backup = lienhe(&db, &["backup", "--out", out.to_str().unwrap()]);
    assert_eq!(last_line(&backup), out.to_str().unwrap());
    let text = stdout(&backup);
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(text.contains(&format!("size: {size} bytes")), "{text}");
    assert!(text.contains("audit head: "), "{text}");
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Never over an existing file.
    fails_with(
        &lienhe(&db, &["backup", "--out", out.to_str().unwrap()]),
        "exists already",
    );

    // A change after the backup, undone by the restore.
    last_line(&lienhe(&db, &["admin", "ward", "add", "Xã Nghi Phú"]));

    // Refused while another process holds the database's lock.
    let held = lienhe::store::lock::acquire(&file).unwrap();
    fails_with(
        &lienhe(&db, &["restore", "--from", out.to_str().unwrap()]),
        "another lienhe process is running",
    );
    drop(held);
    // A file that is no backup is refused, and nothing moves.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    fails_with(
        &lienhe(&db, &["restore", "--from", junk.to_str().unwrap()]),
        "is not a good backup",
    );
    // What a restore killed while copying left: a copy of the members'
    // data under a name of its own, removed by the next restore.
    let cut_short = dir.path().join("lienhe.db.restoring-20261201030000");
    std::fs::copy(&out, &cut_short).unwrap();
    std::fs::write(
        dir.path().join("lienhe.db.restoring-20261201030000-wal"),
        b"",
    )
    .unwrap();
    let restore = lienhe(&db, &["restore", "--from", out.to_str().unwrap()]);
    let text = stdout(&restore);
    assert!(
        text.contains("Moved ") && text.contains(".replaced-"),
        "{text}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".restoring-"))
        .collect();
    assert!(left.is_empty(), "a restore cut short left {left:?}");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("lienhe.db.replaced-"))
        .collect();
    assert!(!aside.is_empty(), "the old database is kept");
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let list = stdout(&lienhe(&db, &["admin", "list"]));
    assert!(
        list.contains("Phường Hưng Dũng") && !list.contains("Xã Nghi Phú"),
        "{list}"
    );
    // The backup's one entry: its ward added.
    assert_eq!(last_line(&lienhe(&db, &["audit", "verify"])), "1");
}

#[test]
fn ward_admin_invite_is_single_use_listed_and_revocable() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ward.db").display());
    lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"]);
    let out = lienhe(&db, &["admin", "invite", "ward-admin", "--ward", "1"]);
    let code = last_line(&out);
    assert_eq!(code.len(), 22);
    let text = stdout(&out);
    assert!(
        text.contains("Ward administrator invite for ward 1 (Phường Hưng Dũng), single use"),
        "{text}"
    );
    assert!(text.contains(&format!("/start {code}")), "{text}");
    fails_with(
        &lienhe(&db, &["admin", "invite", "ward-admin", "--ward", "9"]),
        "no ward with id 9",
    );
    fails_with(&lienhe(&db, &["admin", "invite", "ward-admin"]), "--ward");
    // Listed with its own kind (stored as a supervisor code that grants it).
    let list = stdout(&lienhe(&db, &["admin", "invite", "list"]));
    let row = list
        .lines()
        .find(|l| l.starts_with(&code))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        row.contains("ward_admin") && row.contains("ward 1"),
        "{row}"
    );
    assert!(row.ends_with("open"), "{row}");
    assert_eq!(
        last_line(&lienhe(&db, &["admin", "invite", "revoke", &code])),
        "revoked"
    );
    // Nobody holds the role: revoking it fails and says so.
    fails_with(
        &lienhe(
            &db,
            &[
                "admin",
                "role",
                "revoke",
                "--user",
                "42",
                "--role",
                "ward-admin",
                "--ward",
                "1",
            ],
        ),
        "user 42 is not ward_admin of ward 1",
    );
    fails_with(
        &lienhe(
            &db,
            &[
                "admin",
                "role",
                "revoke",
                "--user",
                "42",
                "--role",
                "ward-admin",
            ],
        ),
        "needs --ward ID",
    );
}

/// A `.env` line the reader cannot take stops the program with its
/// variable's name (never its value): everything after it would be missing.
/// Values left blank (`LIENHE_OPERATOR_CHAT=` from the example file) are
/// taken as not set, by `run`'s parser as by `doctor`.
#[test]
fn a_bad_env_file_line_is_named_and_blank_values_are_unset() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("env.db").display());
    for bad in [
        "TELOXIDE_TOKEN=123:SECRET part\"",
        "TELOXIDE_TOKEN=123:SECRET part",
        "export TELOXIDE_TOKEN=http://u:SECRET\\ss@host",
    ] {
        std::fs::write(
            dir.path().join(".env"),
            format!("LIENHE_REMIND_DAY=20\n{bad}\nLIENHE_BACKUP_KEEP=3\n"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_lienhe"))
            .args(["admin", "list"])
            .current_dir(dir.path())
            .env("DATABASE_URL", &db)
            .env_remove("TELOXIDE_TOKEN")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(".env: line 2 (TELOXIDE_TOKEN)"),
            "{bad}: {err}"
        );
        assert!(!err.contains("SECRET"), "a value is never shown: {err}");
    }

    // Blank: as if unset (`broadcasts` reads the sending variables as
    // `run` does; `run` itself in tests/chat/binary.rs).
    std::fs::remove_file(dir.path().join(".env")).unwrap();
    let shown = broadcasts_with(
        &db,
        &[("LIENHE_PAID_BROADCAST", ""), ("LIENHE_SEND_RATE", " ")],
    );
    assert!(!shown.is_empty());
}

/// `doctor` shows a proxy's address without its password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_masks_a_proxy_password() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    let (_, report, _) = doctor_with(
        &db,
        "http://127.0.0.1:9/",
        None,
        &[("TELOXIDE_PROXY", "http://operator:hunter2@proxy.local:3128")],
    )
    .await;
    assert!(!report.contains("hunter2"), "{report}");
    assert!(report.contains("proxy.local:3128"), "{report}");
}

/// A database a newer lienhe brought up to date is refused by an older one
/// with what to do, naming the file; one it cannot open names the file too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_or_unreadable_database_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    {
        let pool = lienhe::store::open(&db).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (29991231000000, 'from the future', 1, X'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let out = lienhe(&db, &["admin", "list"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("newer lienhe") && err.contains(&file.display().to_string()),
        "{err}"
    );

    let missing = dir.path().join("no-such-dir").join("x.db");
    let out = lienhe(
        &format!("sqlite://{}", missing.display()),
        &["admin", "list"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-dir"), "{err}");
}

/// One lock per database file, however it is reached: a restore through a
/// symlink refuses while a bot runs on the real path, and puts the backup
/// in place of the real file (the symlink keeps pointing at it).
#[test]
fn restore_through_a_symlink_sees_the_running_bot_and_replaces_the_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("data");
    std::fs::create_dir(&real).unwrap();
    let (db, file) = made_database(&real);
    let out = dir.path().join("backup.db");
    last_line(&lienhe(&db, &["backup", "--out", out.to_str().unwrap()]));
    last_line(&lienhe(&db, &["admin", "ward", "add", "Xã Nghi Phú"]));
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let through_link = format!("sqlite://{}", link.display());

    // The bot runs on the real path; the operator restores through the link.
    let held = lienhe::store::lock::acquire(&file).unwrap();
    fails_with(
        &lienhe(&through_link, &["restore", "--from", out.to_str().unwrap()]),
        "another lienhe process is running",
    );
    drop(held);
    // And the other way round.
    let held = lienhe::store::lock::acquire(&link).unwrap();
    fails_with(
        &lienhe(&db, &["restore", "--from", out.to_str().unwrap()]),
        "another lienhe process is running",
    );
    drop(held);
    let list = stdout(&lienhe(&db, &["admin", "list"]));
    assert!(list.contains("Xã Nghi Phú"), "nothing restored: {list}");

    stdout(&lienhe(
        &through_link,
        &["restore", "--from", out.to_str().unwrap()],
    ));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the symlink is kept"
    );
    for db in [&db, &through_link] {
        let list = stdout(&lienhe(db, &["admin", "list"]));
        assert!(
            list.contains("Phường Hưng Dũng") && !list.contains("Xã Nghi Phú"),
            "{list}"
        );
    }
}

/// An export that cannot be written whole (a disk full; here the file size
/// limit, `ulimit -f`, with its signal ignored as a full disk sends none)
/// fails with one line and leaves no file cut short: the export made there
/// before is left as it was, and nothing half-written stays beside it.
#[cfg(unix)]
#[test]
fn an_export_that_cannot_be_written_whole_leaves_the_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("export.db").display());
    last_line(&lienhe(&db, &["admin", "ward", "add", "Phường Hưng Dũng"]));
    last_line(&lienhe(
        &db,
        &["admin", "cell", "add", "--ward", "1", "Chi bộ khối 5"],
    ));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let pool = lienhe::store::open(&db).await.unwrap();
        let now = chrono::Utc::now();
        let mut tx = lienhe::store::tx::begin(&pool).await.unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO users (id, full_name, tg_name, language, first_seen_at, last_seen_at)
             SELECT 1000 + i, 'Đảng viên ' || i, 'dv' || i, 'vi', ?1, ?1 FROM n",
        )
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                      decided_at)
             SELECT 'seed-' || id, id, 1, full_name, 'approved', ?1, ?1 FROM users",
        )
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        pool.close().await;
    });
    let out = dir.path().join("members.csv");
    let export = [
        "export",
        "--year",
        "2026",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ];
    assert_eq!(last_line(&lienhe(&db, &export)), "2000");
    let before = std::fs::read(&out).unwrap();
    assert!(before.len() > 160 * 1024, "{}", before.len());

    let limited = Command::new("bash")
        .arg("-c")
        .arg("ulimit -f 80 && trap '' XFSZ && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_lienhe"))
        .args(export)
        .current_dir(std::env::temp_dir())
        .env("DATABASE_URL", &db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("bash runs");
    let err = String::from_utf8_lossy(&limited.stderr);
    assert!(!limited.status.success(), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    let after = std::fs::read(&out).unwrap();
    assert!(
        after == before,
        "the earlier export was cut short: {} bytes of {}",
        after.len(),
        before.len()
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("members"))
        .collect();
    assert_eq!(names, ["members.csv"]);
}

/// `lienhe doctor` counts only a whole daily backup, as the scheduler and
/// the metric do: an empty file under the day's name (an attempt an older
/// binary cut short) is no backup, and the check warns instead of saying
/// the latest is fine; a real backup of the day is named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_does_not_take_an_empty_file_for_the_days_backup() {
    let api = common::FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let name = format!("lienhe-{}.db", today.format("%Y-%m-%d"));
    std::fs::write(backups.join(&name), b"").unwrap();
    let vars = [("LIENHE_BACKUP_DIR", backups.to_str().unwrap())];

    let (_, report, err) = doctor_with(&db, api.url().as_str(), Some(TOKEN), &vars).await;
    assert!(
        lines(&report, "ok", "backups").is_empty(),
        "{report}\n{err}"
    );
    let warned = lines(&report, "warn", "backups");
    assert!(
        warned.len() == 1 && warned[0].contains("not a whole backup"),
        "{report}"
    );

    std::fs::remove_file(backups.join(&name)).unwrap();
    let out = backups.join(&name);
    last_line(&lienhe(&db, &["backup", "--out", out.to_str().unwrap()]));
    let (ok, report, err) = doctor_with(&db, api.url().as_str(), Some(TOKEN), &vars).await;
    assert!(ok, "{report}\n{err}");
    let fine = lines(&report, "ok", "backups");
    assert!(fine.len() == 1 && fine[0].contains(&name), "{report}");
}

/// `lienhe export --out` naming the database itself (or its `-wal`), by
/// whatever path, is refused with one line: the members' data is never
/// overwritten by the export.
/// The database a restore replaces is often damaged (the reason to
/// restore): read for who erased their data since the backup, it could not
/// be, and the restore said nothing, as if nobody had asked, though their
/// data came back. The restore still goes ahead, and says so in a warning.
#[test]
fn a_restore_over_a_damaged_database_says_nobody_could_be_erased_again() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    let out = dir.path().join("backup.db");
    last_line(&lienhe(&db, &["backup", "--out", out.to_str().unwrap()]));
    last_line(&lienhe(&db, &["admin", "ward", "add", "Xã Nghi Phú"]));
    // A healthy database replaced: no warning.
    let restore = lienhe(&db, &["restore", "--from", out.to_str().unwrap()]);
    assert_eq!(last_line(&restore), file.to_str().unwrap());
    assert!(
        !stdout(&restore).contains("WARNING"),
        "{}",
        stdout(&restore)
    );
    let aside = |dir: &std::path::Path| {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().contains(".replaced-") {
                std::fs::remove_file(path).unwrap();
            }
        }
    };
    aside(dir.path());
    // Cut short (a full disk), then written over with anything.
    let whole = std::fs::read(&file).unwrap();
    let damaged: [&[u8]; 2] = [&whole[..8192], b"not a database any more"];
    for bytes in damaged {
        std::fs::write(&file, bytes).unwrap();
        let restore = lienhe(&db, &["restore", "--from", out.to_str().unwrap()]);
        assert_eq!(last_line(&restore), file.to_str().unwrap());
        let text = stdout(&restore);
        assert!(
            text.contains("WARNING: the database replaced could not be read")
                && text.contains("is not erased again"),
            "{text}"
        );
        let list = stdout(&lienhe(&db, &["admin", "list"]));
        assert!(list.contains("Phường Hưng Dũng"), "{list}");
        aside(dir.path());
    }
}

/// `lienhe restore --from` naming the database itself (by its path, a
/// roundabout path, a symlink or a hard link) or one of its files is
/// refused with one line, and nothing moves: before, the database was
/// "restored" onto itself, the command said it was done and a
/// `.replaced-…` copy was left, with nothing brought back.
#[test]
fn a_restore_from_the_database_itself_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    let roundabout = dir.path().join(".").join("lienhe.db");
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let hard = dir.path().join("hard.db");
    std::fs::hard_link(&file, &hard).unwrap();
    let lock = dir.path().join("lienhe.db.lock");
    for from in [&file, &roundabout, &link, &hard, &lock] {
        let restore = lienhe(&db, &["restore", "--from", from.to_str().unwrap()]);
        fails_with(&restore, "is the database");
        let err = String::from_utf8_lossy(&restore.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".replaced-") || n.contains(".restoring-"))
        .collect();
    assert!(aside.is_empty(), "moved aside: {aside:?}");
    let list = stdout(&lienhe(&db, &["admin", "list"]));
    assert!(list.contains("Phường Hưng Dũng"), "{list}");
    // A backup is still restored.
    let out = dir.path().join("backup.db");
    last_line(&lienhe(&db, &["backup", "--out", out.to_str().unwrap()]));
    last_line(&lienhe(&db, &["restore", "--from", out.to_str().unwrap()]));
}

#[test]
fn export_never_writes_over_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    let roundabout = dir.path().join(".").join("lienhe.db");
    let wal = dir.path().join("lienhe.db-wal");
    for out in [&file, &roundabout, &wal] {
        let export = lienhe(
            &db,
            &[
                "export",
                "--year",
                "2026",
                "--format",
                "csv",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let err = String::from_utf8_lossy(&export.stderr);
        assert!(!export.status.success(), "{}: {err}", out.display());
        assert!(err.contains("is the database"), "{err}");
    }
    // Still the database (its bytes may change: a run checkpoints its
    // write-ahead log as it closes), with its data.
    assert!(
        std::fs::read(&file)
            .unwrap()
            .starts_with(b"SQLite format 3\0"),
        "the database was written over"
    );
    assert_eq!(
        last_line(&lienhe(&db, &["admin", "ward", "add", "Xã Nghi Phú"])),
        "2"
    );
}

/// `DATABASE_URL=sqlite://` (the path left out) opened a private, empty
/// database per connection: every command failed with "no such table",
/// naming nothing the operator could mend. It is refused with one line
/// that says what to give.
#[test]
fn a_database_url_without_a_file_is_named() {
    for url in ["sqlite://", "sqlite:"] {
        let out = lienhe(url, &["admin", "list"]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("names no file") && err.contains("sqlite://lienhe.db"),
            "{url}: {err}"
        );
        assert!(!err.contains("no such table"), "{url}: {err}");
    }
}

/// A time zone `LIENHE_TIMEZONE` cannot name (`Hanoi`) is a configuration
/// line that FAILs in `lienhe doctor`, whose other checks still run (the
/// argument parser used to stop it before any check, with a usage error
/// naming `--timezone`); every other command stops on it with one line
/// naming the variable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_reports_a_time_zone_it_cannot_read() {
    let api = common::FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    let vars = [("LIENHE_TIMEZONE", "Hanoi")];

    let (ok, report, err) = doctor_with(&db, api.url().as_str(), Some(TOKEN), &vars).await;
    assert!(!ok, "{report}\n{err}");
    let fail = lines(&report, "FAIL", "configuration");
    assert!(
        fail.len() == 1 && fail[0].contains("LIENHE_TIMEZONE=Hanoi"),
        "{report}\n{err}"
    );
    assert!(
        lines(&report, "ok", "audit").len() == 1 && lines(&report, "ok", "telegram").len() == 2,
        "{report}\n{err}"
    );

    let out = binary()
        .args(["admin", "list"])
        .env("DATABASE_URL", &db)
        .env("LIENHE_TIMEZONE", "Hanoi")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("LIENHE_TIMEZONE") && err.contains("Hanoi"),
        "{err}"
    );
}

/// `LIENHE_BACKUP_DIR` missing where it cannot be made (its parent is
/// read-only, or a file) FAILs `lienhe doctor`: the daily backup could
/// never be written. Missing where the first backup can make it, it warns.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_fails_a_backup_directory_that_cannot_be_made() {
    use std::os::unix::fs::PermissionsExt;
    let api = common::FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").unwrap();

    for (backups, parent) in [
        (locked.join("backups"), "read-only (mode 0555)"),
        (file.join("backups"), "is not a directory"),
    ] {
        let vars = [("LIENHE_BACKUP_DIR", backups.to_str().unwrap())];
        let (ok, report, err) = doctor_with(&db, api.url().as_str(), Some(TOKEN), &vars).await;
        let fail = lines(&report, "FAIL", "backups");
        assert!(
            !ok && fail.len() == 1
                && fail[0].contains("cannot be created")
                && fail[0].contains(parent),
            "{report}\n{err}"
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();

    let later = dir.path().join("later").join("backups");
    let vars = [("LIENHE_BACKUP_DIR", later.to_str().unwrap())];
    let (ok, report, err) = doctor_with(&db, api.url().as_str(), Some(TOKEN), &vars).await;
    let warned = lines(&report, "warn", "backups");
    assert!(
        ok && warned.len() == 1 && warned[0].contains("the first backup creates it"),
        "{report}\n{err}"
    );
}

/// A `RUST_LOG` that is no log filter (a level misspelt, `lienhe=degub`)
/// is a FAIL line of `lienhe doctor`, not `ok`, and every command says it
/// logs at info instead: the operator who asked for debug logs is told
/// why there are none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_filter_that_cannot_be_read_is_named() {
    let api = common::FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = made_database(dir.path());
    let vars = [("RUST_LOG", "lienhe=degub")];
    let (ok, report, err) = doctor_with(&db, api.url().as_str(), Some(TOKEN), &vars).await;
    let fail = lines(&report, "FAIL", "configuration");
    assert!(
        !ok && fail.len() == 1 && fail[0].contains("RUST_LOG=lienhe=degub"),
        "{report}\n{err}"
    );

    let out = binary()
        .args(["admin", "list"])
        .env("DATABASE_URL", &db)
        .env("RUST_LOG", "lienhe=degub")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && err.contains("RUST_LOG is not a log filter"),
        "{err}"
    );
}

/// A variable the environment sets to nothing (`-e LIENHE_BACKUP_KEEP=`
/// from a compose file whose host has it unset) counts as not set, so the
/// `.env` of the working directory gives it its value, as it does for a
/// variable the environment does not have at all (it was ignored: the
/// default was used, and `doctor` said so).
#[test]
fn a_blank_variable_of_the_environment_is_given_by_the_env_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("env.db").display());
    std::fs::write(dir.path().join(".env"), "LIENHE_BACKUP_KEEP=3\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lienhe"))
        .arg("doctor")
        .current_dir(dir.path())
        .env("DATABASE_URL", &db)
        .env("LIENHE_BACKUP_KEEP", "")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:1")
        .env_remove("TELOXIDE_TOKEN")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let keep = lines(&report, "ok", "configuration");
    assert!(
        keep.iter()
            .any(|l| l.ends_with("LIENHE_BACKUP_KEEP=3 (.env)")),
        "{report}"
    );
}

/// With only `LIENHE_OUTBOX_KEEP_DAYS`, the older name, set, `lienhe
/// doctor` does not show `LIENHE_RETENTION_DAYS` at its default of 90 (the
/// bot keeps the days of the older name): it says the older name is read.
#[test]
fn doctor_shows_the_retention_of_the_older_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("keep.db").display());
    let out = binary()
        .arg("doctor")
        .env("DATABASE_URL", &db)
        .env("LIENHE_OUTBOX_KEEP_DAYS", "30")
        .env_remove("LIENHE_RETENTION_DAYS")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:1")
        .env_remove("TELOXIDE_TOKEN")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let shown = lines(&report, "ok", "configuration");
    assert!(
        !report.contains("LIENHE_RETENTION_DAYS=90")
            && shown
                .iter()
                .any(|l| l.contains("LIENHE_RETENTION_DAYS: not set"))
            && shown
                .iter()
                .any(|l| l.ends_with("LIENHE_OUTBOX_KEEP_DAYS=30 (env)")),
        "{report}"
    );
}

/// A value with spaces around it (`-e "LIENHE_REMIND_DAY=20 "`) is read
/// without them by every command, as `lienhe doctor` reads it: doctor
/// passed it while `run`, `remind` and `broadcasts` stopped on it as "not
/// a number" or "not a boolean".
#[test]
fn a_value_with_spaces_around_it_is_read_as_doctor_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("spaces.db").display());
    broadcasts_with(
        &db,
        &[
            ("LIENHE_PAID_BROADCAST", "true "),
            ("LIENHE_PAID_BROADCAST_RATE", " 100"),
        ],
    );
    // This month (in the bot's time zone, UTC+7): one long past is refused.
    let month = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string();
    let out = binary()
        .args(["remind", "--month", &month])
        .env("DATABASE_URL", &db)
        .env("LIENHE_REMIND_DAY", "20 ")
        .env("LIENHE_REMIND_HOUR", " 9")
        .output()
        .unwrap();
    assert_eq!(last_line(&out), "0");
}

/// `lienhe backup --out` naming the database's `-wal` (or `-shm`), absent
/// while no process has the database open, is refused: the backup was
/// written and checked under that name, then taken by SQLite for a broken
/// write-ahead log and deleted the next time the database was opened.
#[test]
fn a_backup_is_never_written_as_one_of_the_databases_files() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    // A backup closes the database cleanly: no -wal, no -shm is left.
    let first = dir.path().join("first.db");
    last_line(&lienhe(&db, &["backup", "--out", first.to_str().unwrap()]));
    for suffix in ["-wal", "-shm"] {
        let out = dir.path().join(format!("lienhe.db{suffix}"));
        assert!(!out.exists(), "{}", out.display());
        fails_with(
            &lienhe(&db, &["backup", "--out", out.to_str().unwrap()]),
            "is the database (or one of its files)",
        );
        assert!(!out.exists(), "{}", out.display());
    }
    assert!(file.exists());
}

/// Two `lienhe backup --out F` at once (two operators, or cron and a
/// human): one writes `F`, the other says it exists, and neither leaves a
/// half-written file behind. Both used to write through the same
/// `F.partial`: the second removed the first's copy as left by a killed
/// attempt, and either could name the other's half-made copy `F`.
#[test]
fn two_backups_to_the_same_file_at_once_write_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = made_database(dir.path());
    // Some weight, for the copies to overlap.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let pool = lienhe::store::open(&db).await.unwrap();
        sqlx::query(
            "CREATE TABLE ballast (b BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
             INSERT INTO ballast SELECT randomblob(50000) FROM n;",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    });
    drop(file);
    let spawn = |out: &std::path::Path| {
        binary()
            .args(["backup", "--out", out.to_str().unwrap()])
            .env("DATABASE_URL", &db)
            .env_remove("TELOXIDE_TOKEN")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs")
    };
    for round in 0..5 {
        let out = dir.path().join(format!("backup-{round}.db"));
        let runs = [spawn(&out), spawn(&out)];
        let outs: Vec<Output> = runs
            .into_iter()
            .map(|run| run.wait_with_output().unwrap())
            .collect();
        let written = outs.iter().filter(|o| o.status.success()).count();
        assert_eq!(written, 1, "round {round}: {outs:?}");
        let refused = outs.iter().find(|o| !o.status.success()).unwrap();
        let err = String::from_utf8_lossy(&refused.stderr);
        assert!(err.contains("exists already"), "round {round}: {err}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with(&format!("backup-{round}.db")))
            .collect();
        assert_eq!(left, [format!("backup-{round}.db")], "round {round}");
        let checked = runtime.block_on(lienhe::store::backup::check(&out));
        assert!(checked.is_ok(), "round {round}: {checked:?}");
    }
}
