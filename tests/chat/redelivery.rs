//! The same update delivered twice is processed once.

use crate::common::*;

#[tokio::test]
async fn redelivered_updates_do_not_duplicate_joins_reports_or_decisions() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let workplaces = h.ask(&member, "Bỏ qua").await;
    h.press(&member, &workplaces, "Sở Tư pháp tỉnh Nghệ An")
        .await;
    let introduced = h.last(&member);
    h.press(&member, &introduced, "Tháng này (11/2026)").await;
    let summary = h.last(&member);

    // Join confirmation, twice.
    let update = h.api.callback(
        &member,
        summary.message_id,
        &summary.button_data("Xác nhận").unwrap(),
    );
    h.quiet().await;
    let cards_before = h.api.sent_count(100);
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 1);
    assert_eq!(
        h.api.sent_count(100),
        cards_before,
        "the secretary got one card"
    );

    // Approval, twice.
    let card = h.last(&secretary);
    let update = h.api.callback(
        &secretary,
        card.message_id,
        &card.button_data("✅ Duyệt").unwrap(),
    );
    h.quiet().await;
    let member_msgs = h.api.sent_count(300);
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(
        h.api.sent_count(300),
        member_msgs,
        "the member was told once"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        1
    );

    // Report submission, twice.
    let summary = h
        .report_until_summary(&member, "Hoạt động khác", "Hôm nay", "Trồng cây", &[])
        .await;
    let update = h.api.callback(&member, summary.message_id, "rs");
    h.quiet().await;
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);
    let cards = h
        .api
        .sent(100)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Báo cáo hoạt động số"))
        })
        .count();
    assert_eq!(cards, 1);

    // A redelivered text in a dialogue is not taken twice either.
    h.ask(&member, "/report").await;
    let kinds = h.last(&member);
    h.press(&member, &kinds, "Hoạt động khác").await;
    h.ask(&member, "19/11/2026").await;
    let update = h.api.text(&member, "Mô tả lần một");
    h.quiet().await;
    let before = h.api.sent_count(300);
    h.api.redeliver(update);
    h.quiet().await;
    assert_eq!(h.api.sent_count(300), before);
}
