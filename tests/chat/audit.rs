//! The audit log (issues 2, 7): every state change an operator makes is
//! an audited transaction, saying who did what to what.

use lienhe::store::audit::{self, ChainCheck};

use crate::common::*;

/// `lienhe admin ward add` and `lienhe admin workplace add` each leave an
/// entry naming what they added (as `admin cell add` does): before, a ward
/// or a workplace appeared in the database with no trace in the chain.
#[tokio::test]
async fn adding_a_ward_or_a_workplace_is_audited() {
    let h = Harness::start().await;
    let ward = h.ward("Phường Hưng Dũng").await;
    let workplace = h.workplace("Sở Tư pháp tỉnh Nghệ An").await;
    let entries: Vec<(Option<i64>, String, String, i64, String)> = sqlx::query_as(
        "SELECT actor, action, subject, subject_id, json_extract(details, '$.name')
         FROM audit_log ORDER BY id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        entries,
        [
            (
                None,
                "add_ward".to_string(),
                "ward".to_string(),
                ward,
                "Phường Hưng Dũng".to_string()
            ),
            (
                None,
                "add_workplace".to_string(),
                "workplace".to_string(),
                workplace,
                "Sở Tư pháp tỉnh Nghệ An".to_string()
            ),
        ]
    );
    assert_eq!(
        audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact { entries: 2 }
    );
}

/// A member choosing another language and a secretary sending an
/// announcement each leave an entry saying who did what (the
/// announcement's cells and how many it went to, not its text): before,
/// neither was in the chain.
#[tokio::test]
async fn a_language_chosen_and_an_announcement_sent_are_audited() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;

    let choose = h.ask(&member, "/language").await;
    h.press(&member, &choose, "🇬🇧 English").await;
    // The same language again changes nothing and writes nothing.
    let choose = h.ask(&member, "/language").await;
    h.press(&member, &choose, "🇬🇧 English").await;

    h.ask(&secretary, "/announce").await;
    let preview = h.ask(&secretary, "Họp chi bộ tối thứ Sáu").await;
    let send = preview.buttons()[0].0.clone();
    h.press(&secretary, &preview, &send).await;
    h.drain().await;
    let broadcast: i64 = sqlx::query_scalar("SELECT id FROM broadcasts")
        .fetch_one(&h.pool)
        .await
        .unwrap();

    let entries: Vec<(Option<i64>, String, String, i64, String)> = sqlx::query_as(
        "SELECT actor, action, subject, subject_id, details FROM audit_log
         WHERE action IN ('set_language', 'announce') ORDER BY id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        entries,
        [
            (
                Some(300),
                "set_language".to_string(),
                "user".to_string(),
                300,
                r#"{"language":"en"}"#.to_string()
            ),
            (
                Some(100),
                "announce".to_string(),
                "broadcast".to_string(),
                broadcast,
                format!(r#"{{"cells":[{cell}],"recipients":1}}"#)
            ),
        ]
    );
    assert!(matches!(
        audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

/// A member's join request and report each leave an entry when they are
/// stored (who, which cell or kind and day; never the phone nor the
/// description), before any decision: before, a request or a report that
/// waited (or was withdrawn, or erased with `/forgetme`) left no trace in
/// the chain.
#[tokio::test]
async fn a_join_request_and_a_report_submitted_are_audited() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&member, &code, "Nguyễn Văn An").await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            "Dọn vệ sinh ngõ 7",
            &[],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let report: i64 = sqlx::query_scalar("SELECT id FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();

    let entries: Vec<(Option<i64>, String, String, i64, String)> = sqlx::query_as(
        "SELECT actor, action, subject, subject_id, details FROM audit_log
         WHERE actor = 300 ORDER BY id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    let invite: i64 = sqlx::query_scalar("SELECT invite_id FROM memberships")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let kind: i64 = sqlx::query_scalar("SELECT kind_id FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(
        entries,
        [
            (
                Some(300),
                "join_request".to_string(),
                "membership".to_string(),
                membership,
                format!(
                    r#"{{"cell":{cell},"introduction":null,"invite":{invite},"moved_from":null,"phone_given":false}}"#
                )
            ),
            (
                Some(300),
                "submit".to_string(),
                "report".to_string(),
                report,
                format!(r#"{{"date":"2026-11-20","kind":{kind},"photos":0}}"#)
            ),
        ]
    );
    assert!(matches!(
        audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

/// A reason for not attending a meeting (free text, often about health or
/// family) is the member's, and `/forgetme` erases their invitations to
/// meetings still to come: the audit log, which outlives the erasure, says
/// only that a reason was given. Before, the text stayed in the chain for
/// good after the invitation holding it was erased.
#[tokio::test]
async fn a_reason_for_not_attending_is_not_kept_in_the_audit_log_after_erasure() {
    const REASON: &str = "Ốm, phải nằm viện điều trị";
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&secretary, "/meeting").await;
    h.press_data(&secretary, kinds.message_id, "gk:c").await;
    h.ask(&secretary, "27/11/2026 19:30").await;
    h.ask(&secretary, "Nhà văn hóa khối 5").await;
    let summary = h.ask(&secretary, "Triển khai nhiệm vụ cuối năm").await;
    h.press_data(&secretary, summary.message_id, &data_of(&summary, "gs"))
        .await;
    h.drain().await;
    let invitation = h.last(&member);
    h.press_data(&member, invitation.message_id, &data_of(&invitation, "gd:"))
        .await;
    h.ask(&member, REASON).await;
    erase_data(&h, &member, lienhe::domain::Lang::Vi).await;
    h.drain().await;
    // Every table but the outbox: the secretary's summary of the meeting,
    // sent before the erasure, still shows the reason in their chat (and in
    // its outbox row until pruned); not yet edited by `/forgetme`.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name <> 'outbox'",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    let mut holding = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{table}')"
        )))
        .fetch_all(&h.pool)
        .await
        .unwrap();
        let any_column = columns
            .iter()
            .map(|c| format!("instr(CAST(\"{c}\" AS TEXT), ?1) > 0"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let found: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM \"{table}\" WHERE {any_column}"
        )))
        .bind(REASON)
        .fetch_one(&h.pool)
        .await
        .unwrap();
        if found > 0 {
            holding.push(table);
        }
    }
    assert!(holding.is_empty(), "the reason is still in {holding:?}");
    // That a reason was given stays.
    assert_eq!(
        h.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_answer'
             AND json_extract(details, '$.answer') = 'decline'
             AND json_extract(details, '$.reason_given') = 1"
        )
        .await,
        1
    );
    assert!(matches!(
        audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}
