//! A restart in the middle of a dialogue continues at the same step.

use crate::common::*;

#[tokio::test]
async fn secretary_join_survives_a_restart() {
    let mut h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    let code = h.secretary_code(cell).await;
    h.ask(&secretary, &format!("/start {code}")).await;
    h.restart().await;
    let done = h.ask(&secretary, "Trần Thị Bình").await.text.unwrap();
    assert!(done.contains("Trần Thị Bình là bí thư"), "{done}");
}

#[tokio::test]
async fn member_join_survives_restarts_at_every_step() {
    let mut h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.restart().await;
    h.ask(&member, "Nguyễn Văn An").await;
    h.restart().await;
    let workplaces = h.ask(&member, "0912345678").await;
    h.restart().await;
    h.press(&member, &workplaces, "Cơ quan khác…").await;
    h.restart().await;
    h.ask(&member, "UBND phường").await;
    h.restart().await;
    let summary = h.ask(&member, "11/2026").await;
    h.restart().await;
    h.press(&member, &summary, "Xác nhận").await;
    let row: (String, Option<String>, String) =
        sqlx::query_as("SELECT full_name, phone, workplace_name FROM memberships")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        row,
        (
            "Nguyễn Văn An".into(),
            Some("0912345678".into()),
            "UBND phường".into()
        )
    );
}

#[tokio::test]
async fn report_survives_restarts_at_every_step() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let kinds = h.ask(&member, "/report").await;
    h.restart().await;
    h.press(&member, &kinds, "Hoạt động khác").await;
    h.restart().await;
    h.ask(&member, "18/11/2026").await;
    h.restart().await;
    h.ask(&member, "Hòa giải mâu thuẫn hàng xóm").await;
    h.restart().await;
    h.send_update(&member, |api| api.photo(&member, "P-1", None, None))
        .await;
    h.restart().await;
    let done = h.last(&member);
    h.press(&member, &done, "Xong").await;
    h.restart().await;
    let summary = h.last(&member);
    h.press(&member, &summary, "Gửi báo cáo").await;
    let row: (String, String, i64) = sqlx::query_as(
        "SELECT activity_date, description, (SELECT COUNT(*) FROM report_photos) FROM reports",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        ("2026-11-18".into(), "Hòa giải mâu thuẫn hàng xóm".into(), 1)
    );
}

#[tokio::test]
async fn reject_reason_survives_a_restart() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "❌ Từ chối").await;
    h.restart().await;
    h.ask(&secretary, "Thiếu minh chứng").await;
    let reason: String = sqlx::query_scalar("SELECT reject_reason FROM reports")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(reason, "Thiếu minh chứng");
}

/// A webhook left set for the bot's token (by an earlier deployment or a
/// tool) would send every update elsewhere: at start the bot's poll is
/// refused with 409 Conflict, the bot removes the webhook (updates waiting
/// are kept) and answers what was sent in the meantime.
#[tokio::test]
async fn a_webhook_left_set_is_removed_and_nothing_waiting_is_lost() {
    let mut h = Harness::start().await;
    h.stop_bot().await;
    h.api.set_webhook("https://example.org/old-hook");
    let user = vi_user(300, "An");
    let waiting = h.api.text(&user, "xin chào");
    h.start_bot().await;
    h.handled(waiting).await;
    let reply = h.last(&user).text.unwrap_or_default();
    assert!(reply.contains("chưa tham gia"), "{reply}");
    assert_eq!(h.api.calls_of("deleteWebhook").len(), 1);
    assert_eq!(
        h.api.calls_of("deleteWebhook")[0]
            .params
            .get("drop_pending_updates"),
        None,
        "updates waiting are kept"
    );
    // And the bot goes on.
    let again = h.ask(&user, "/help").await;
    assert!(again.text.is_some());
}
