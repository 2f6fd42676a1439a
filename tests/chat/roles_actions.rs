//! Every action against every role (issue 8): one table, each cell saying
//! whether the role may do it. A refused action answers with the localized
//! "not allowed" alert (buttons) or message (commands); an allowed one may
//! still find nothing to do (already decided, nothing pending), which is not
//! a refusal.
//!
//! To add an action, add one line to `TABLE`: its name, the command or
//! button data (with `{join}`, `{report}`, `{membership}`, `{sheet}` filled
//! in from the set-up) and the allowed roles in the order of `ROLES`.

use lienhe::{
    cli::{Admin, InviteCommand, MemberCommand},
    domain::{Lang, membership::Exemption},
};

use super::committee::{make_deputy, make_supervisor, submit_report, ward_of};
use crate::common::*;

/// The roles, in the order of each row's flags.
const ROLES: [&str; 11] = [
    "none",
    "pending member",
    "member",
    "exempt member",
    "deputy",
    "secretary",
    "secretary of another cell",
    "officer",
    "supervisor",
    "ward administrator",
    "member whose membership ended",
];

const Y: bool = true;
const N: bool = false;

/// (action, command or button data, allowed for each of `ROLES`).
#[rustfmt::skip]
const TABLE: &[(&str, &str, [bool; 11])] = &[
    //                                          none pend memb exem depu secr othr offi supe ward endd
    // Commands first: the pending member's join is approved further down.
    ("/report",            "/report",           [N,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N]),
    ("/myreports",         "/myreports",        [N,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N]),
    ("/profile",           "/profile",          [N,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N]),
    ("/meetings",          "/meetings",         [N,   N,   Y,   Y,   Y,   Y,   Y,   N,   N,   N,   N]),
    ("/meeting",           "/meeting",          [N,   N,   N,   N,   Y,   Y,   Y,   N,   N,   N,   N]),
    ("/checkin",           "/checkin",          [N,   N,   N,   N,   Y,   Y,   Y,   N,   N,   N,   N]),
    ("/attendance",        "/attendance",       [N,   N,   N,   N,   Y,   Y,   Y,   N,   N,   N,   N]),
    ("/stats",             "/stats",            [N,   N,   N,   N,   N,   Y,   Y,   N,   Y,   Y,   N]),
    ("/export",            "/export",           [N,   N,   N,   N,   N,   Y,   Y,   Y,   Y,   Y,   N]),
    ("/status",            "/status",           [N,   N,   N,   N,   N,   N,   N,   Y,   N,   N,   N]),
    ("/roster",            "/roster",           [N,   N,   N,   N,   N,   N,   N,   Y,   N,   N,   N]),
    ("/requests",          "/requests",         [N,   N,   N,   N,   Y,   Y,   Y,   Y,   N,   N,   N]),
    ("/cells",             "/cells",            [N,   N,   N,   N,   N,   N,   N,   N,   N,   Y,   N]),
    ("/cells import",      "/cells import",     [N,   N,   N,   N,   N,   N,   N,   N,   N,   Y,   N]),
    // Buttons.
    ("approve a join",     "ja:{join}",         [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("reject a join",      "jr:{join}",         [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("approve a report",   "ra:{report}",       [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("reject a report",    "rr:{report}",       [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("a report's photos",  "rp:{report}",       [N,   N,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("/pending",           "/pending",          [N,   N,   N,   N,   Y,   Y,   Y,   N,   Y,   N,   N]),
    ("open pending",       "op",                [N,   N,   N,   N,   Y,   Y,   Y,   N,   Y,   N,   N]),
    ("/members",           "/members",          [N,   N,   N,   N,   Y,   Y,   Y,   N,   N,   N,   N]),
    ("/invite",            "/invite",           [N,   N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N]),
    ("/invite deputy",     "/invite deputy",    [N,   N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N]),
    ("/announce",          "/announce",         [N,   N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N]),
    ("/sheets",            "/sheets",           [N,   N,   N,   N,   Y,   Y,   Y,   N,   Y,   N,   N]),
    ("open a sheet",       "so:{membership}",   [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("set a level",        "sl:{sheet}:0:0",    [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("write remarks",      "sr:{sheet}",        [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("send to the member", "ss:{sheet}",        [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("change the draft",   "sx:{sheet}",        [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("sign a sheet",       "sg:{sheet}",        [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("accept a sheet",     "ma:{sheet}",        [N,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N]),
    ("respond to a sheet", "mr:{sheet}",        [N,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N]),
    ("a member's card",    "bo:{membership}",   [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("correct the month",  "yi:{membership}",   [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
    ("end a membership",   "el:{membership}",   [N,   N,   N,   N,   Y,   Y,   N,   N,   N,   N,   N]),
];

/// The refusals a button answers with.
const REFUSED_PRESS: &[&str] = &["not-allowed", "not-allowed-own", "sheet-membership-ended"];
/// The refusals a command answers with.
const REFUSED_COMMAND: &[&str] = &[
    "secretaries-only",
    "invite-deputy-ask-secretary",
    "role-committee-only",
    "deciders-only",
    "meeting-committee-only",
    "officers-only",
    "stats-only",
    "export-only",
    "ward-admins-only",
    "not-joined",
    "not-joined-committee",
    "profile-not-member",
    "profile-membership-ended",
    "membership-ended",
    "help-pending-member",
    "committee-command-only",
    "join-already-pending",
    "report-wait-approval",
    "end-no-report",
];

struct World {
    users: [TgUser; 11],
    join: i64,
    report: i64,
    membership: i64,
    sheet: i64,
}

async fn world(h: &Harness, lang: Lang) -> World {
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(h, cell).await;
    let deputy = user_in(lang, 200, "Dũng");
    make_deputy(h, &secretary, &deputy, "Phạm Văn Dũng").await;

    // An exempt member, and one whose request waits.
    let exempt = user_in(lang, 310, "Hà");
    let code = h.invite_code(&secretary).await;
    h.request_join(&exempt, &code, "Đỗ Thu Hà").await;
    let card = h.last(&secretary);
    let approve = label_of(&card, "ja:").expect("Approve");
    h.press(&secretary, &card, &approve).await;
    let exempt_ms: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 310")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.admin(Admin::Member {
        command: MemberCommand::Exempt {
            member: exempt_ms,
            reason: Some(Exemption::Barracks),
            clear: false,
        },
    })
    .await;
    let pending = user_in(lang, 320, "Khoa");
    h.request_join(&pending, &code, "Vũ Đăng Khoa").await;
    let join: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 320")
        .fetch_one(&h.pool)
        .await
        .unwrap();

    let other_secretary = user_in(lang, 110, "Cường");
    let other_cell = h.cell(ward, "Chi bộ khối 6").await;
    h.make_secretary(&other_secretary, other_cell, "Lê Văn Cường")
        .await;

    let officer = user_in(lang, 700, "Cán bộ");
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let code = h.officer_code(workplace).await;
    h.ask(&officer, &format!("/start {code}")).await;
    let supervisor = user_in(lang, 800, "Giám sát");
    make_supervisor(h, ward, &supervisor).await;

    let report = submit_report(h, &member, "Họp tổ dân phố khối 5").await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    // The member's sheet, opened by the secretary.
    let sheet = h.open_sheet(&secretary, membership).await;

    // A ward administrator, and a member whose membership the secretary
    // ended.
    let ward_admin = user_in(lang, 810, "Quản trị");
    let out = h
        .admin(Admin::Invite {
            command: InviteCommand::WardAdmin { ward },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    h.ask(&ward_admin, &format!("/start {code}")).await;
    let ended = user_in(lang, 330, "Lan");
    h.join_approved(&secretary, &ended, "Ngô Thị Lan").await;
    let ended_ms = h.membership_of(330).await;
    h.say(&secretary, "/cancel").await;
    h.press_data(&secretary, 1, &format!("el:{ended_ms}")).await;
    let confirm = h.ask(&secretary, "Chuyển đi tỉnh khác").await;
    let yes = label_of(&confirm, "ec:").expect("Confirm");
    h.press(&secretary, &confirm, &yes).await;
    h.drain().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 330 AND status = 'left'")
            .await,
        1
    );

    let nobody = user_in(lang, 900, "Người lạ");
    World {
        users: [
            nobody,
            pending,
            member,
            exempt,
            deputy,
            secretary,
            other_secretary,
            officer,
            supervisor,
            ward_admin,
            ended,
        ],
        join,
        report,
        membership,
        sheet,
    }
}

/// Does the role's attempt come back refused?
async fn is_refused(h: &Harness, user: &TgUser, action: &str) -> bool {
    let lang = lang_of(user);
    let refused = if action.starts_with('/') {
        let replies = h.say(user, action).await;
        replies.iter().any(|s| {
            REFUSED_COMMAND
                .iter()
                .any(|id| says(s.text.as_deref(), lang, id))
        })
    } else {
        let (answer, _) = h.press_data(user, 1, action).await;
        answer.params["show_alert"] == true
            && REFUSED_PRESS
                .iter()
                .any(|id| says(answer.params["text"].as_str(), lang, id))
    };
    // Whatever the action started (a reason, an announcement, remarks).
    h.say(user, "/cancel").await;
    refused
}

#[tokio::test]
async fn every_action_is_refused_to_every_role_that_may_not_do_it() {
    every_action(Lang::Vi).await;
}

#[tokio::test]
async fn every_action_is_refused_to_every_role_that_may_not_do_it_in_english() {
    every_action(Lang::En).await;
}

async fn every_action(lang: Lang) {
    let h = Harness::start().await;
    let w = world(&h, lang).await;
    let mut wrong = Vec::new();
    for (name, action, allowed) in TABLE {
        let action = action
            .replace("{join}", &w.join.to_string())
            .replace("{report}", &w.report.to_string())
            .replace("{membership}", &w.membership.to_string())
            .replace("{sheet}", &w.sheet.to_string());
        for (role, user) in w.users.iter().enumerate() {
            let refused = is_refused(&h, user, &action).await;
            if refused == allowed[role] {
                wrong.push(format!(
                    "{name} ({action}) by {}: expected {}, got {}",
                    ROLES[role],
                    if allowed[role] { "allowed" } else { "refused" },
                    if refused { "refused" } else { "allowed" }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The exemption of the set-up is in the audit log.
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'exempt' AND subject = 'membership'"
        )
        .await,
        1
    );
    // Nothing a refused role pressed changed the items.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('approve', 'reject') AND actor NOT IN (100, 200)")
            .await,
        0
    );
}

/// /sheets refused a member or an officer saying it was "for cell
/// secretaries only", and /pending "for secretaries and deputy
/// secretaries", though a deputy writes sheets and a ward's supervisors
/// decide (and write the sheets of) a committee's own items: both now name
/// everyone who may use them, in the refused person's language.
#[tokio::test]
async fn sheets_and_pending_refused_name_everyone_who_may_use_them() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let officer = en_user(700, "Officer");
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let code = h.officer_code(workplace).await;
    h.ask(&officer, &format!("/start {code}")).await;
    for (user, lang) in [(&member, Lang::Vi), (&officer, Lang::En)] {
        for command in ["/sheets", "/pending"] {
            let reply = h.ask(user, command).await.text.unwrap_or_default();
            let refusal = text_of(lang, "deciders-only");
            let help = text_of(lang, "refusal-see-help");
            assert_eq!(reply, format!("{refusal}\n\n{help}"), "{command}");
        }
    }
}

/// Wrong arguments, as a new user types them: a letter for a number, a
/// negative or zero, a huge number, several, Arabic-Indic digits, another
/// workplace's number. Already so: each is answered, in the user's
/// language, with what is expected (the usage of /stats, /export, /sheets
/// and /status; the officer's own workplaces to choose from for /roster,
/// nothing of another's), a command that takes no argument does what it
/// does, and nothing is logged at error level.
async fn wrong_arguments(lang: Lang) {
    let (logs, _logging) = crate::concurrency::Logs::capture();
    let h = Harness::start().await;
    let c = cast(&h, lang).await;
    let second = h.workplace("Công an tỉnh Nghệ An").await;
    let code = h.officer_code(second).await;
    h.ask(&c.officer, &format!("/start {code}")).await;
    let foreign = h.workplace("Ngân hàng Nhà nước chi nhánh Nghệ An").await;
    let wrong = [
        "abc",
        "-1",
        "0",
        "99999999999999999999",
        "2026 2027",
        "١٢",
        "٢٠٢٦",
    ];
    for arg in wrong {
        for (user, command) in [
            (&c.secretary, "/stats"),
            (&c.secretary, "/export"),
            (&c.secretary, "/sheets"),
            (&c.officer, "/status"),
            (&c.officer, "/export"),
        ] {
            let reply = h.ask(user, &format!("{command} {arg}")).await;
            assert!(
                says(reply.text.as_deref(), lang, "year-usage"),
                "{command} {arg}: {:?}",
                reply.text
            );
        }
    }
    let both = format!("{} {second}", c.workplace);
    let foreign_id = foreign.to_string();
    for arg in wrong
        .iter()
        .copied()
        .chain([foreign_id.as_str(), both.as_str()])
    {
        let reply = h.ask(&c.officer, &format!("/roster {arg}")).await;
        let text = reply.text.unwrap_or_default();
        assert!(says(Some(&text), lang, "roster-choose"), "{arg}: {text}");
        assert!(
            text.contains("Công an tỉnh Nghệ An") && !text.contains("Ngân hàng"),
            "{arg}: {text}"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 700 AND state LIKE '%Roster%'")
                .await,
            0,
            "{arg}"
        );
    }
    let reply = h.ask(&c.officer, &format!("/roster {second}")).await;
    assert!(
        says(reply.text.as_deref(), lang, "roster-ask"),
        "{:?}",
        reply.text
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 700 AND state LIKE '%Roster%'")
            .await,
        1
    );
    h.ask(&c.officer, "/cancel").await;
    // No argument expected: the command does what it does.
    for command in [
        "/checkin 5",
        "/attendance 2026",
        "/meetings abc",
        "/members -1",
    ] {
        let reply = h.ask(&c.secretary, command).await;
        assert!(
            !says(reply.text.as_deref(), lang, "unknown-command"),
            "{command}: {:?}",
            reply.text
        );
    }
    let errors: Vec<String> = String::from_utf8_lossy(&logs.0.lock().unwrap())
        .lines()
        .filter(|l| l.contains("ERROR"))
        .map(str::to_string)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[tokio::test]
async fn wrong_arguments_are_answered_with_what_is_expected() {
    wrong_arguments(Lang::Vi).await;
}

#[tokio::test]
async fn wrong_arguments_are_answered_with_what_is_expected_in_english() {
    wrong_arguments(Lang::En).await;
}

/// A command refused for want of a role, to one who holds none: /meeting,
/// /stats, /export, /status, /sheet, /roster, /cells and /request said
/// only whom the command is for, where /checkin, /members or /invite also
/// said how to join (or, to a member whose membership ended, that it
/// ended and since when). Now every one of them says it, in the user's
/// language.
async fn refused_to_one_without_a_role(lang: Lang) {
    let h = Harness::start().await;
    let c = cast(&h, lang).await;
    let ended = user_in(lang, 330, "Lan");
    h.join_approved(&c.secretary, &ended, "Ngô Thị Lan").await;
    let ended_ms = h.membership_of(330).await;
    h.press_data(&c.secretary, 1, &format!("el:{ended_ms}"))
        .await;
    let confirm = h.ask(&c.secretary, "Chuyển đi tỉnh khác").await;
    let yes = label_of(&confirm, "ec:").expect("Confirm");
    h.press(&c.secretary, &confirm, &yes).await;
    h.drain().await;
    let nobody = user_in(lang, 900, "Lạ");
    for (command, refusal) in [
        ("/meeting", "meeting-committee-only"),
        ("/stats", "stats-only"),
        ("/export", "export-only"),
        ("/status", "officers-only"),
        ("/sheet Nguyễn Văn An", "officers-only"),
        ("/roster", "officers-only"),
        ("/cells", "ward-admins-only"),
        ("/request Nguyễn Văn An", "officers-only"),
        ("/checkin", "role-committee-only"),
        ("/members", "role-committee-only"),
    ] {
        for (user, why) in [(&nobody, "not-joined"), (&ended, "membership-ended")] {
            let reply = h.ask(user, command).await;
            let text = reply.text.unwrap_or_default();
            assert!(
                says(Some(&text), lang, refusal) && says(Some(&text), lang, why),
                "{command} ({why}): {text}"
            );
        }
    }
}

#[tokio::test]
async fn a_refusal_to_one_without_a_role_says_how_to_join() {
    refused_to_one_without_a_role(Lang::Vi).await;
}

#[tokio::test]
async fn a_refusal_to_one_without_a_role_says_how_to_join_in_english() {
    refused_to_one_without_a_role(Lang::En).await;
}

/// A member or an officer sending another role's command is told whom it is
/// for and where their own commands are listed.
async fn refused_to_one_with_another_role(lang: Lang) {
    let h = Harness::start().await;
    let c = cast(&h, lang).await;
    for (user, command, refusal) in [
        (&c.member, "/pending", "deciders-only"),
        (&c.member, "/roster", "officers-only"),
        (&c.member, "/cells", "ward-admins-only"),
        (&c.member, "/announce", "secretaries-only"),
        (&c.officer, "/members", "role-committee-only"),
        (&c.officer, "/meeting", "meeting-committee-only"),
        (&c.officer, "/invite", "secretaries-only"),
        (&c.secretary, "/roster", "officers-only"),
    ] {
        let reply = h.ask(user, command).await;
        let text = reply.text.unwrap_or_default();
        assert!(
            says(Some(&text), lang, refusal)
                && says(Some(&text), lang, "refusal-see-help")
                && !says(Some(&text), lang, "not-joined"),
            "{command}: {text}"
        );
    }
}

#[tokio::test]
async fn a_refusal_to_one_with_another_role_points_to_their_commands() {
    refused_to_one_with_another_role(Lang::Vi).await;
}

#[tokio::test]
async fn a_refusal_to_one_with_another_role_points_to_their_commands_in_english() {
    refused_to_one_with_another_role(Lang::En).await;
}
