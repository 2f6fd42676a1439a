//! A draft comment sheet the member leaves unanswered: once its week has
//! passed, whoever sent it is told, once, that the sheet can be signed.

use crate::common::*;

/// The start of the notice, in the user's language.
fn marker(en: bool) -> &'static str {
    if en {
        "The time for the member to answer the draft comment sheet has passed"
    } else {
        "Đã hết thời hạn đảng viên cho ý kiến về dự thảo phiếu nhận xét"
    }
}

fn user(en: bool, id: i64, name: &str) -> TgUser {
    if en {
        en_user(id, name)
    } else {
        vi_user(id, name)
    }
}

/// The notices of unanswered drafts the user got.
fn told(h: &Harness, to: &TgUser, en: bool) -> Vec<String> {
    h.api
        .sent(to.id)
        .into_iter()
        .filter_map(|s| s.text)
        .filter(|t| t.contains(marker(en)))
        .collect()
}

/// Secretary 100 and member 300 (Nguyễn Văn An), the member's draft sent
/// on 02/11/2026 at 10:00; the sheet's id.
async fn draft_sent(h: &Harness, secretary: &TgUser, member: &TgUser) -> i64 {
    h.set_local(2026, 11, 2, 10, 0);
    h.cell_with_member(secretary, member).await;
    let ms = h.membership_of(member.id).await;
    h.sheet_sent_to_member(secretary, ms).await
}

async fn the_week_passing_is_told_once(en: bool) {
    let mut h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    draft_sent(&h, &secretary, &member).await;
    // A minute before the week is up: nothing.
    h.set_local(2026, 11, 9, 9, 59);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.drain().await;
    assert!(told(&h, &secretary, en).is_empty());
    // The week has passed: the secretary is told, naming the member.
    h.set_local(2026, 11, 9, 10, 1);
    assert_eq!(h.tick().await.unanswered_sheets, 1);
    h.drain().await;
    let notes = told(&h, &secretary, en);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("Nguyễn Văn An"), "{}", notes[0]);
    assert!(notes[0].contains("/sheets"), "{}", notes[0]);
    assert!(told(&h, &member, en).is_empty(), "not to the member");
    // Looked at again, after a restart days later, and with the clock set
    // back and forward again: nothing more.
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.restart().await;
    h.set_local(2026, 11, 12, 8, 0);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.set_local(2026, 11, 9, 9, 0);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.set_local(2026, 11, 13, 9, 0);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.drain().await;
    assert_eq!(told(&h, &secretary, en).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_week_passing_unanswered_is_told_to_the_sender_once() {
    the_week_passing_is_told_once(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_week_passing_unanswered_is_told_to_the_sender_once_in_english() {
    the_week_passing_is_told_once(true).await;
}

async fn answered_or_taken_back_is_not_told(en: bool) {
    let h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let other = user(en, 301, "Bảo");
    let sheet = draft_sent(&h, &secretary, &member).await;
    h.join_approved(&secretary, &other, "Lê Văn Bảo").await;
    let ms = h.membership_of(other.id).await;
    let taken_back = h.sheet_sent_to_member(&secretary, ms).await;
    // An accepts in time; Bảo's draft is taken back to be changed.
    let draft = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| {
            s.buttons()
                .iter()
                .any(|(_, d)| d.starts_with(&format!("ma:{sheet}:")))
        })
        .expect("the draft");
    let (_, accept) = draft
        .buttons()
        .into_iter()
        .find(|(_, d)| d.starts_with("ma:"))
        .expect("Accept");
    h.press_data(&member, draft.message_id, &accept).await;
    h.press_data(&secretary, 1, &format!("sx:{taken_back}"))
        .await;
    let answer: Option<String> =
        sqlx::query_scalar("SELECT member_answer FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(answer.as_deref(), Some("accepted"));
    h.set_local(2026, 11, 10, 10, 0);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.drain().await;
    assert!(told(&h, &secretary, en).is_empty());
    // Bảo's draft sent again and left unanswered: only Bảo is named.
    h.press_data(&secretary, 1, &format!("ss:{taken_back}"))
        .await;
    h.set_local(2026, 11, 17, 10, 1);
    assert_eq!(h.tick().await.unanswered_sheets, 1);
    h.drain().await;
    let notes = told(&h, &secretary, en);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("Lê Văn Bảo"), "{}", notes[0]);
    assert!(!notes[0].contains("Nguyễn Văn An"), "{}", notes[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_answered_or_taken_back_in_time_is_not_told() {
    answered_or_taken_back_is_not_told(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_answered_or_taken_back_in_time_is_not_told_in_english() {
    answered_or_taken_back_is_not_told(true).await;
}

async fn sent_again_is_told_again(en: bool) {
    let h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    let sheet = draft_sent(&h, &secretary, &member).await;
    h.set_local(2026, 11, 9, 10, 1);
    assert_eq!(h.tick().await.unanswered_sheets, 1);
    // Changed and sent again: a new week, told again when it has passed.
    h.set_local(2026, 11, 10, 9, 0);
    h.press_data(&secretary, 1, &format!("sx:{sheet}")).await;
    h.press_data(&secretary, 1, &format!("sl:{sheet}:0:1"))
        .await;
    h.press_data(&secretary, 1, &format!("ss:{sheet}")).await;
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.set_local(2026, 11, 17, 8, 59);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.set_local(2026, 11, 17, 9, 1);
    assert_eq!(h.tick().await.unanswered_sheets, 1);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.drain().await;
    let notes = told(&h, &secretary, en);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[1].contains("Nguyễn Văn An"), "{}", notes[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_sent_again_is_told_again_after_its_new_week() {
    sent_again_is_told_again(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_sent_again_is_told_again_after_its_new_week_in_english() {
    sent_again_is_told_again(true).await;
}

/// A member exempted from residence meetings after their draft was sent
/// gets no yearly sheet (Sign refuses it, "no periodic comment sheet"):
/// their week passing is no sheet to sign, and nobody is told of it.
async fn exempted_since_is_not_told(en: bool) {
    let h = Harness::start().await;
    let secretary = user(en, 100, "Bình");
    let member = user(en, 300, "An");
    draft_sent(&h, &secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    h.set_local(2026, 11, 5, 9, 0);
    h.admin(lienhe::cli::Admin::Member {
        command: lienhe::cli::MemberCommand::Exempt {
            member: membership,
            clear: false,
            reason: Some(lienhe::domain::membership::Exemption::FullTimeStudy),
        },
    })
    .await;
    h.set_local(2026, 11, 9, 10, 1);
    assert_eq!(h.tick().await.unanswered_sheets, 0);
    h.drain().await;
    assert!(told(&h, &secretary, en).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_exempted_since_the_draft_is_not_told() {
    exempted_since_is_not_told(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_exempted_since_the_draft_is_not_told_in_english() {
    exempted_since_is_not_told(true).await;
}
