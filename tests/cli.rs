//! The operator's subcommands, run as the real binary on a real database.

use std::process::{Command, Output};

fn lienhe(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lienhe"))
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

    let first = lienhe(&db, &["remind", "--month", "2026-11"]);
    assert_eq!(last_line(&first), "0", "no members yet");
    let again = lienhe(&db, &["remind", "--month", "2026-11"]);
    assert_eq!(last_line(&again), "0");
    assert!(String::from_utf8_lossy(&again.stdout).contains("queued before"));

    let list = String::from_utf8(lienhe(&db, &["broadcasts"]).stdout).unwrap();
    assert!(
        list.lines()
            .any(|l| l.contains("reminder") && l.contains("2026-11")),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.contains("digest") && l.contains("2026-11")),
        "{list}"
    );

    let bad = lienhe(&db, &["remind", "--month", "11/2026"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM"));
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

    // The audit log of a fresh database is intact; unknown codes fail.
    let audit = lienhe(&db, &["audit", "verify"]);
    assert_eq!(last_line(&audit), "0");
    let verify = lienhe(&db, &["verify", "1A2B-3C4D-5E6F-7A8B"]);
    assert!(!verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("No signed sheet"));

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
    assert!(
        !lienhe(
            &db,
            &["export", "--year", "2026", "--format", "pdf", "--out", "x"]
        )
        .status
        .success()
    );
}

#[test]
fn run_refuses_a_review_window_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("window.db").display());
    let out = lienhe(&db, &["run", "--sheets-until", "02-30"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected MM-DD"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_lienhe"))
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
    let out = Command::new(env!("CARGO_BIN_EXE_lienhe"))
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

#[test]
fn broadcasts_show_when_the_sender_will_finish_and_warn_when_not_on_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("eta.db").display());
    broadcasts_with(&db, &[]);
    queue_reminders(&db, 30);

    // 30 reminders at one every 10,000 s: 300,000 s, days after the day
    // they were due.
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
        &["30", "30", "0", "0", "0"],
        "{row}"
    );

    // A paid rate above Telegram's 1000 is refused.
    let out = Command::new(env!("CARGO_BIN_EXE_lienhe"))
        .arg("broadcasts")
        .env("DATABASE_URL", &db)
        .env("LIENHE_PAID_BROADCAST_RATE", "5000")
        .output()
        .unwrap();
    assert!(!out.status.success());
}
