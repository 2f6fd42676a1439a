//! /pending, /members, /myreports, /help, /cancel.

use crate::common::*;
use lienhe::domain::Lang;

#[tokio::test]
async fn pending_lists_joins_and_reports_with_buttons() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&vi_user(301, "Mai"), &code, "Lê Thị Mai")
        .await;
    let summary = h
        .report_until_summary(
            &member,
            "Hoạt động khác",
            "Hôm nay",
            "Thăm hỏi gia đình chính sách",
            &["P1"],
        )
        .await;
    h.press(&member, &summary, "Gửi báo cáo").await;

    let replies = h.say(&secretary, "/pending").await;
    assert_eq!(replies.len(), 3, "{replies:?}");
    assert!(
        replies[0]
            .text
            .clone()
            .unwrap()
            .contains("1 yêu cầu tham gia và 1 báo cáo chờ duyệt")
    );
    assert!(replies[1].text.clone().unwrap().contains("Lê Thị Mai"));
    assert_eq!(replies[1].button_texts(), vec!["✅ Duyệt", "❌ Từ chối"]);
    assert!(
        replies[2]
            .text
            .clone()
            .unwrap()
            .contains("Thăm hỏi gia đình chính sách")
    );
    assert_eq!(
        replies[2].button_texts(),
        vec!["✅ Duyệt", "❌ Từ chối", "🖼 Xem 1 ảnh"]
    );

    // Deciding from the /pending copy settles the original card too.
    let original = h
        .api
        .sent(100)
        .into_iter()
        .find(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Báo cáo hoạt động số 1"))
        })
        .unwrap();
    h.press(&secretary, &replies[2], "✅ Duyệt").await;
    assert!(h.current(&original).reply_markup.is_none());
    assert!(h.current(&original).text.unwrap().contains("đã duyệt"));

    let after = h.say(&secretary, "/pending").await;
    assert!(
        after[0]
            .text
            .clone()
            .unwrap()
            .contains("1 yêu cầu tham gia và 0 báo cáo")
    );

    // Members cannot use it.
    let refused = h.ask(&member, "/pending").await.text.unwrap();
    assert!(refused.contains("chỉ dành cho bí thư"), "{refused}");
}

#[tokio::test]
async fn members_shows_this_months_approved_reports_and_the_last_date() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let code = h.invite_code(&secretary).await;
    let quiet = vi_user(301, "Mai");
    h.request_join(&quiet, &code, "Lê Thị Mai").await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, "✅ Duyệt").await;

    for (date, text) in [
        ("02/11/2026", "Họp tổ dân phố"),
        ("10/10/2026", "Dọn vệ sinh"),
        ("12/11/2026", "Không duyệt"),
    ] {
        let summary = h
            .report_until_summary(&member, "Hoạt động khác", date, text, &[])
            .await;
        h.press(&member, &summary, "Gửi báo cáo").await;
    }
    for id in 1..=2 {
        h.press_data(&secretary, 1, &format!("ra:{id}")).await;
    }

    let list = h.ask(&secretary, "/members").await.text.unwrap();
    assert!(
        list.contains("Chi bộ khối 5 — tháng 11/2026: 2 đảng viên, 1 đồng chí chưa có hoạt động"),
        "{list}"
    );
    assert!(
        list.contains(
            "Nguyễn Văn An — 1 hoạt động trực tiếp được duyệt trong tháng; gần nhất ngày 02/11/2026"
        ),
        "{list}"
    );
    assert!(
        list.contains(
            "Lê Thị Mai — 0 hoạt động trực tiếp được duyệt trong tháng; chưa có hoạt động trực tiếp được duyệt"
        ),
        "{list}"
    );
    // Mai is exempted (full-time study): marked so, and no longer counted
    // among those without activity.
    let mai: i64 = h.membership_of(301).await;
    h.admin(lienhe::cli::Admin::Member {
        command: lienhe::cli::MemberCommand::Exempt {
            member: mai,
            reason: Some(lienhe::domain::membership::Exemption::FullTimeStudy),
            clear: false,
        },
    })
    .await;
    let list = h.ask(&secretary, "/members").await.text.unwrap();
    assert!(
        list.contains("Chi bộ khối 5 — tháng 11/2026: 2 đảng viên, 0 đồng chí chưa có hoạt động"),
        "{list}"
    );
    assert!(
        list.contains("Lê Thị Mai (miễn sinh hoạt) — 0 hoạt động"),
        "{list}"
    );
    // The exemption is lifted on 25/11: November, a month it covered, is
    // still not counted against her (as the reminders and the sheet judge
    // it); December is.
    h.set_local(2026, 11, 25, 9, 0);
    h.admin(lienhe::cli::Admin::Member {
        command: lienhe::cli::MemberCommand::Exempt {
            member: mai,
            reason: None,
            clear: true,
        },
    })
    .await;
    let list = h.ask(&secretary, "/members").await.text.unwrap();
    assert!(
        list.contains("Chi bộ khối 5 — tháng 11/2026: 2 đảng viên, 0 đồng chí chưa có hoạt động"),
        "{list}"
    );
    assert!(list.contains("Lê Thị Mai — 0 hoạt động"), "{list}");
    h.set_local(2026, 12, 1, 9, 0);
    let list = h.ask(&secretary, "/members").await.text.unwrap();
    assert!(
        list.contains("Chi bộ khối 5 — tháng 12/2026: 2 đảng viên, 2 đồng chí chưa có hoạt động"),
        "{list}"
    );
}

#[tokio::test]
async fn myreports_lists_this_years_reports_with_status() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    assert!(
        h.ask(&member, "/myreports")
            .await
            .text
            .unwrap()
            .contains("no reports in 2026")
    );

    for (date, text) in [
        ("20/12/2025", "Last year"),
        ("03/01/2026", "New year cleanup"),
        ("05/11/2026", "Street meeting"),
    ] {
        let summary = h
            .report_until_summary(&member, "Other activity", date, text, &[])
            .await;
        h.press(&member, &summary, "Submit").await;
    }
    h.press_data(&secretary, 1, "ra:2").await;
    h.press_data(&secretary, 1, "rr:3").await;
    h.ask(&secretary, "Thiếu ảnh").await;

    let list = h.ask(&member, "/myreports").await.text.unwrap();
    assert!(
        list.contains("Your reports in 2026: 2 in all, 1 approved."),
        "{list}"
    );
    assert!(
        list.contains("No. 2, 03/01/2026 — Other activity — ✅ approved: New year cleanup"),
        "{list}"
    );
    assert!(
        list.contains("No. 3, 05/11/2026 — Other activity — ❌ rejected: Street meeting"),
        "{list}"
    );
    assert!(list.contains("Reason: Thiếu ảnh"), "{list}");
    // Last year's report is still waiting for a decision: listed under
    // its year, after this year's.
    let open = list
        .find("Your reports of 2025 waiting for a decision")
        .expect(&list);
    assert!(list[open..].contains("No. 1, 20/12/2025"), "{list}");
}

/// A report of last year sent in April (its date within the 12 months a
/// report may go back; last year's comment sheets closed on 31 March):
/// /myreports, which lists this year's reports, lists it too, under its
/// year, while it waits for a decision and for 30 days after it.
#[tokio::test]
async fn myreports_lists_last_years_report_sent_after_march() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 4, 10, 9, 0);
        let secretary = vi_user(100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let summary = h
            .report_until_summary(
                &member,
                other_kind(lang),
                "15/05/2025",
                "Họp tổ dân phố",
                &[],
            )
            .await;
        h.press(&member, &summary, &text_of(lang, "button-submit"))
            .await;
        assert_eq!(h.count("SELECT COUNT(*) FROM reports").await, 1);

        let header = |lang| match lang {
            Lang::Vi => "Báo cáo năm 2025 của đồng chí đang chờ duyệt",
            Lang::En => "Your reports of 2025 waiting for a decision",
        };
        let list = h.ask(&member, "/myreports").await.text.unwrap();
        let open = list.find(header(lang)).expect(&list);
        assert!(
            list[open..].contains("15/05/2025") && list[open..].contains("Họp tổ dân phố"),
            "{list}"
        );
        // This year's (empty) section comes first, as before.
        assert!(list[..open].contains("2026"), "{list}");

        // Approved: still there for 30 days, then gone.
        h.press(&secretary, &h.last(&secretary), "✅ Duyệt").await;
        h.set_local(2026, 5, 9, 9, 0);
        let list = h.ask(&member, "/myreports").await.text.unwrap();
        assert!(list.contains("15/05/2025"), "{list}");
        h.set_local(2026, 5, 11, 9, 0);
        let list = h.ask(&member, "/myreports").await.text.unwrap();
        assert!(!list.contains("15/05/2025"), "{list}");
    }
}

#[tokio::test]
async fn help_depends_on_role_and_cancel_leaves_any_dialogue() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;

    let sec_help = h.ask(&secretary, "/help").await.text.unwrap();
    assert!(
        sec_help.contains("/pending")
            && sec_help.contains("/members")
            && sec_help.contains("/invite")
    );
    let stranger = vi_user(500, "Lạ");
    let help = h.ask(&stranger, "/help").await.text.unwrap();
    assert!(
        help.contains("chưa tham gia") && !help.contains("/pending"),
        "{help}"
    );

    h.ask(&member, "/report").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300")
            .await,
        1
    );
    let cancelled = h.ask(&member, "/cancel").await;
    assert_eq!(cancelled.text.unwrap(), "Đã hủy thao tác đang thực hiện.");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 300")
            .await,
        0
    );
    assert_eq!(
        h.ask(&member, "/cancel").await.text.unwrap(),
        "Hiện không có thao tác nào để hủy."
    );
}

/// /myreports before the join is accepted says so, as /report does, in
/// both languages (not "no reports yet: use /report", which /report then
/// refuses).
#[tokio::test]
async fn myreports_while_the_join_waits_says_it_waits() {
    for lang in [lienhe::domain::Lang::Vi, lienhe::domain::Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        let waiting = user_in(lang, 301, "Mai");
        let code = h.invite_code(&secretary).await;
        h.request_join(&waiting, &code, "Lê Thị Mai").await;
        for command in ["/myreports", "/report"] {
            let answer = h.ask(&waiting, command).await;
            assert!(
                says(answer.text.as_deref(), lang, "report-wait-approval"),
                "{command}: {answer:?}"
            );
        }
    }
}

/// /help in the middle of joining says how to go on (the join is kept),
/// not "you have not joined".
#[tokio::test]
async fn help_while_joining_says_to_finish_the_join() {
    for lang in [lienhe::domain::Lang::Vi, lienhe::domain::Lang::En] {
        let h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = vi_user(300, "An");
        h.cell_with_member(&secretary, &member).await;
        let code = h.invite_code(&secretary).await;
        let joining = user_in(lang, 301, "Mai");
        h.ask(&joining, &format!("/start {code}")).await;
        let help = h.ask(&joining, "/help").await;
        assert!(
            says(help.text.as_deref(), lang, "join-finish-first"),
            "{help:?}"
        );
        assert!(!says(help.text.as_deref(), lang, "not-joined"), "{help:?}");
        // The join goes on where it was: the name is taken.
        let next = h.ask(&joining, "Lê Thị Mai").await;
        assert!(
            !says(next.text.as_deref(), lang, "ask-full-name"),
            "{next:?}"
        );
    }
}
