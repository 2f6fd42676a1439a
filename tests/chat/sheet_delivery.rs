//! The comment sheet's last steps: delivery through the outbox (one upload
//! per document, then Telegram's file id; a failing officer does not stop
//! the others and is reported to the secretary) and the signing race.

use std::time::Duration;

use lienhe::domain::Lang;

use lienhe::{
    domain::sheet::{SignBlock, may_sign},
    sheet::build::{self, Verification},
    store::sheets::{self, Answer, Sealed, Step},
};

use crate::common::*;

const WAIT: Duration = Duration::from_secs(30);

async fn officer(h: &Harness, id: i64, workplace: i64) -> TgUser {
    let code = h.officer_code(workplace).await;
    let user = vi_user(id, "Cán bộ");
    h.ask(&user, &format!("/start {code}")).await;
    user
}

/// A member's sheet with every criterion chosen, sent to the member.
async fn sheet_with_member(h: &Harness, secretary: &TgUser) -> i64 {
    let list = h.ask(secretary, "/sheets").await;
    let (_, opened) = h.press(secretary, &list, "1. Nguyễn Văn An").await;
    let draft = opened.last().unwrap().clone();
    for level in [
        "1. Nêu gương tốt",
        "2. Gương mẫu đi đầu",
        "3. Tham gia đầy đủ",
        "4. Thường xuyên, tích cực",
        "5. Rất tích cực",
        "6. Biểu dương",
    ] {
        let current = h.current(&draft);
        if current.button_data(&format!("✓ {level}")).is_none() {
            h.press(secretary, &current, level).await;
        }
    }
    h.press(secretary, &h.current(&draft), "📤 Gửi đảng viên xem")
        .await;
    sqlx::query_scalar("SELECT id FROM sheets WHERE state = 'with_member'")
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// The secretary presses Sign and send on the last sheet shown to them
/// with that button.
async fn press_sign(h: &Harness, secretary: &TgUser) {
    let waiting = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rev()
        .find(|s| s.button_data("✍️ Ký và gửi nơi công tác").is_some())
        .unwrap();
    h.press(secretary, &waiting, "✍️ Ký và gửi nơi công tác")
        .await;
}

/// Documents Telegram accepted as uploads (not sent again by file id).
fn uploads(h: &Harness) -> usize {
    h.api
        .calls_of("sendDocument")
        .iter()
        .filter(|c| c.response_ok)
        .filter(|c| {
            c.params["document"]
                .as_str()
                .is_some_and(|d| d.starts_with("upload:"))
        })
        .count()
}

fn documents_to(h: &Harness, chat: i64) -> Vec<Sent> {
    h.api
        .sent(chat)
        .into_iter()
        .filter(|s| s.method == "senddocument")
        .collect()
}

async fn wait_for(h: &Harness, what: &str, check: impl Fn(&Harness) -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check(h) {
        assert!(tokio::time::Instant::now() < deadline, "waited for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_sheet_reaches_every_reachable_officer_and_a_failure_is_reported() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let good = officer(&h, 700, workplace).await;
    let failing = officer(&h, 701, workplace).await;
    let sheet_id = sheet_with_member(&h, &secretary).await;
    let draft = h.last(&member);
    h.press(&member, &draft, "✅ Đồng ý").await;

    // The second officer's chat: a server error, then the bot is blocked.
    h.api
        .fail_next("sendMessage", Some(failing.id), Fault::ServerError(502), 1);
    h.api.fail_next(
        "sendMessage",
        Some(failing.id),
        Fault::Forbidden("bot was blocked by the user".into()),
        1,
    );
    let waiting = h.last(&secretary);
    let waiting = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rev()
        .find(|s| s.button_data("✍️ Ký và gửi nơi công tác").is_some())
        .unwrap_or(waiting);
    let sign = waiting.button_data("✍️ Ký và gửi nơi công tác").unwrap();
    h.api.callback(&secretary, waiting.message_id, &sign);
    // The 502 is retried later, on the bot's clock (the officer's
    // documents waiting behind it).
    let deadline = tokio::time::Instant::now() + WAIT;
    while h
        .count("SELECT COUNT(*) FROM outbox WHERE chat_id = 701 AND last_error IS NOT NULL")
        .await
        == 0
    {
        assert!(tokio::time::Instant::now() < deadline, "no retry planned");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.clock.advance(chrono::Duration::seconds(5));

    wait_for(&h, "documents to the officer, member, secretary", |h| {
        documents_to(h, good.id).len() == 2
            && documents_to(h, member.id).len() == 2
            && documents_to(h, secretary.id).len() == 2
    })
    .await;
    wait_for(&h, "the secretary told of the failure", |h| {
        h.api.sent(secretary.id).iter().any(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Không gửi được phiếu nhận xét"))
        })
    })
    .await;
    h.drain().await;
    // Queued once, to both officers: what signing says when the scheduler's
    // catch-up queued the delivery first (`queue_signed` then finds it done).
    assert_eq!(
        lienhe::store::sheets::queued_officers(&h.pool, sheet_id, TZ)
            .await
            .unwrap(),
        2
    );

    // The documents are whole everywhere…
    for chat in [good.id, member.id, secretary.id] {
        let docs = documents_to(&h, chat);
        assert!(docs[0].file.as_deref().unwrap().ends_with(".docx"));
        assert!(docs[1].file.as_deref().unwrap().ends_with(".pdf"));
        assert!(
            docs[1]
                .document_bytes
                .as_deref()
                .unwrap()
                .starts_with(b"%PDF")
        );
    }
    // …but each was uploaded once, then sent by Telegram's file id.
    assert_eq!(uploads(&h), 2, "one DOCX and one PDF upload");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM documents WHERE file_id IS NOT NULL")
            .await,
        2
    );
    // The failing officer got nothing, was retried, then counted out; the
    // secretary was told once.
    assert!(documents_to(&h, failing.id).is_empty());
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 701 AND status = 'unreachable'")
            .await,
        3
    );
    let told = h
        .api
        .sent(secretary.id)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Không gửi được phiếu nhận xét"))
        })
        .count();
    assert_eq!(told, 1);
    assert!(
        h.api
            .calls_of("sendMessage")
            .iter()
            .any(|c| c.chat_id() == Some(701) && !c.response_ok),
        "the failing chat was tried"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_answering_while_the_secretary_signs_never_makes_a_genuine_sheet_tampered() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let sheet_id = sheet_with_member(&h, &secretary).await;
    // A week later the secretary may sign without an answer…
    h.set_local(2026, 11, 28, 10, 0);
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    let app = h.app();
    let sheet = sheets::get(&h.pool, sheet_id).await.unwrap().unwrap();
    let ctx = build::load(&h.pool, sheet.membership_id, 2026, app.today(), TZ)
        .await
        .unwrap()
        .unwrap();
    let frozen = build::frozen(&h.pool, &ctx, 100).await.unwrap();

    // …and the member answers at the very moment the signing transaction
    // has read the sheet: the answer has to wait for it, then finds it
    // signed.
    let pool = h.pool.clone();
    let answer = std::sync::Mutex::new(None);
    let step = sheets::sign(&h.pool, sheet_id, 100, now, |sheet, _| {
        let pool = pool.clone();
        *answer.lock().unwrap() = Some(tokio::spawn(async move {
            sheets::member_answers(
                &pool,
                sheet_id,
                300,
                Answer::Respond("Xin bổ sung"),
                None,
                (now, None),
                |_, _| Vec::new(),
            )
            .await
        }));
        // Give the answer time to reach the database while we hold it.
        std::thread::sleep(Duration::from_millis(300));
        may_sign(
            sheet.state(),
            Some(&sheet.levels()),
            sheet.sent_to_member_at,
            sheet.member_answer.is_some(),
            now,
            None,
        )?;
        let content = build::content(&ctx, sheet, frozen, 100, now);
        let (content, content_hash, code) = build::seal(&content);
        Ok::<_, SignBlock>(Sealed {
            content,
            content_hash,
            code,
        })
    })
    .await
    .unwrap();
    let Step::Done(signed) = step else {
        panic!("signed: {step:?}");
    };
    let task = answer.lock().unwrap().take().unwrap();
    let answered = task.await.unwrap().unwrap();
    assert!(
        matches!(answered, Step::Stale),
        "already signed: {answered:?}"
    );
    assert!(signed.member_answer.is_none());
    let code = signed.code.unwrap();
    assert!(matches!(
        build::verify(&h.pool, &code).await.unwrap(),
        Verification::Valid { .. }
    ));

    // The other order: an answer that came first is in the sealed sheet.
    let h = Harness::start().await;
    h.cell_with_member(&secretary, &member).await;
    let sheet_id = sheet_with_member(&h, &secretary).await;
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    let answered = sheets::member_answers(
        &h.pool,
        sheet_id,
        300,
        Answer::Respond("Xin bổ sung"),
        None,
        (now, None),
        |_, _| Vec::new(),
    )
    .await
    .unwrap();
    assert!(matches!(answered, Step::Done(_)));
    press_sign(&h, &secretary).await;
    let (content, code): (String, String) =
        sqlx::query_as("SELECT content, code FROM sheets WHERE id = ?")
            .bind(sheet_id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert!(content.contains("Xin bổ sung"), "the answer is sealed");
    assert!(matches!(
        build::verify(&h.pool, &code).await.unwrap(),
        Verification::Valid { .. }
    ));

    // Had the process stopped between signing and queuing the deliveries,
    // the scheduler queues them at its next look, once.
    h.drain().await;
    sqlx::query("UPDATE sheets SET delivery_queued_at = NULL")
        .execute(&h.pool)
        .await
        .unwrap();
    let before = h.count("SELECT COUNT(*) FROM outbox").await;
    assert_eq!(h.tick().await.deliveries, 1);
    assert_eq!(h.tick().await.deliveries, 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox").await,
        before + 4,
        "DOCX and PDF to the member and the secretary (no officer here)"
    );
    // The member is not told it went to the workplace: it did not.
    h.drain().await;
    let copy = h
        .api
        .sent(member.id)
        .into_iter()
        .rev()
        .find(|s| s.method == "senddocument" && s.text.as_deref().is_some_and(|t| !t.is_empty()))
        .expect("the member's copy");
    assert!(
        says(copy.text.as_deref(), Lang::Vi, "sheet-copy-member-kept"),
        "{:?}",
        copy.text
    );
    // Nor does the secretary's list call it sent.
    let list = h.ask(&secretary, "/sheets").await.text.unwrap();
    assert!(
        says(Some(&list), Lang::Vi, "sheet-state-signed-kept")
            && !list.contains("đã ký, đã gửi nơi công tác"),
        "{list}"
    );
}

/// The member accepts the draft, the sender stops and the secretary signs:
/// waits until three rows for officer 700 (the signed sheet's copies) are
/// queued.
async fn signed_with_officer_700s_copies_queued(
    h: &mut Harness,
    secretary: &TgUser,
    member: &TgUser,
) {
    sheet_with_member(h, secretary).await;
    let draft = h.last(member);
    h.press(member, &draft, "✅ Đồng ý").await;
    h.drain().await;
    h.stop_sender().await;
    press_sign(h, secretary).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while h
        .count("SELECT COUNT(*) FROM outbox WHERE chat_id = 700 AND status = 'queued'")
        .await
        < 3
    {
        assert!(tokio::time::Instant::now() < deadline, "not queued");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A member who changes workplace while their yearly sheet is with them
/// does not take it away from the workplace they had: it reaches the
/// officers of both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yearly_sheet_also_reaches_the_workplace_the_member_left_this_year() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM workplaces ORDER BY id")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    let first = officer(&h, 700, ids[0]).await;
    let second = officer(&h, 710, ids[1]).await;
    sheet_with_member(&h, &secretary).await;
    let draft = h.last(&member);
    let shown = h.ask(&member, "/profile").await;
    let (_, picker) = h.press(&member, &shown, "Đổi cơ quan").await;
    let picker = picker.last().unwrap().clone();
    let label = picker.buttons()[1].0.clone();
    h.press(&member, &picker, &label).await;
    let moved: i64 = sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(moved, ids[1], "{label}");
    h.press(&member, &draft, "✅ Đồng ý").await;
    press_sign(&h, &secretary).await;
    wait_for(&h, "documents to both workplaces' officers", |h| {
        documents_to(h, first.id).len() == 2 && documents_to(h, second.id).len() == 2
    })
    .await;
}

/// A signed sheet waiting in the outbox (Telegram could not be reached)
/// does not reach an officer whose role was taken away meanwhile: the
/// member's comment is no longer theirs to read. The secretary is told it
/// could not be delivered to an officer, once; the other officer gets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_sheet_does_not_reach_an_officer_whose_role_was_taken_away() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let revoked = officer(&h, 700, workplace).await;
    let staying = officer(&h, 701, workplace).await;
    signed_with_officer_700s_copies_queued(&mut h, &secretary, &member).await;
    h.revoke_officer(&revoked, workplace).await;
    let before = h.api.sent_count(revoked.id);
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert_eq!(
        h.api.sent_count(revoked.id),
        before,
        "{:?}",
        h.api.sent(revoked.id)
    );
    assert_eq!(documents_to(&h, staying.id).len(), 2);
    let told = h
        .api
        .sent(secretary.id)
        .iter()
        .filter(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Không gửi được phiếu nhận xét"))
        })
        .count();
    assert_eq!(told, 1);
}

/// A signed sheet waiting in the outbox whose only officer loses the role
/// meanwhile reaches no officer: the secretary's list then does not call
/// it sent to the workplace.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_sheet_whose_only_officer_lost_the_role_is_not_shown_as_sent() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let revoked = officer(&h, 700, workplace).await;
    sheet_with_member(&h, &secretary).await;
    let draft = h.last(&member);
    h.press(&member, &draft, "✅ Đồng ý").await;
    h.drain().await;
    h.stop_sender().await;
    press_sign(&h, &secretary).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 700 AND status = 'queued'")
            .await,
        3
    );
    h.revoke_officer(&revoked, workplace).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert!(documents_to(&h, revoked.id).is_empty());
    let list = h.ask(&secretary, "/sheets").await.text.unwrap();
    assert!(
        says(Some(&list), Lang::Vi, "sheet-state-signed-kept")
            && !list.contains("đã ký, đã gửi nơi công tác"),
        "{list}"
    );
}

/// A sheet signed while the workplace's only officer has blocked the bot:
/// the secretary is told once, and the list does not call it sent; once
/// the officer unblocks, /sheet gives it to them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sheet_signed_while_the_only_officer_blocks_the_bot_is_kept_for_them() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let only = officer(&h, 700, workplace).await;
    sheet_with_member(&h, &secretary).await;
    let draft = h.last(&member);
    h.press(&member, &draft, "✅ Đồng ý").await;
    let blocked = h.api.block(&only, true);
    h.handled(blocked).await;
    press_sign(&h, &secretary).await;
    h.drain().await;
    let told = h
        .api
        .sent(secretary.id)
        .iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "sheet-delivery-failed"))
        .count();
    assert_eq!(told, 1);
    let list = h.ask(&secretary, "/sheets").await.text.unwrap();
    assert!(
        says(Some(&list), Lang::Vi, "sheet-state-signed-kept"),
        "{list}"
    );
    let unblocked = h.api.block(&only, false);
    h.handled(unblocked).await;
    h.ask(&only, "/sheet Nguyễn Văn An").await;
    h.drain().await;
    h.wait_documents(only.id, 2).await;
}

/// A signed sheet waiting in the outbox whose officer loses the role after
/// the secretary who signed handed the cell over: the note that it could
/// not be delivered goes to the secretary in office, once, not to the one
/// who left the committee (who may no longer read the cell's sheets).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sheet_not_delivered_after_a_handover_is_reported_to_the_new_secretary() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let (workplace, cell): (i64, i64) =
        sqlx::query_as("SELECT workplace_id, cell_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let revoked = officer(&h, 700, workplace).await;
    signed_with_officer_700s_copies_queued(&mut h, &secretary, &member).await;
    let out = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::Secretary { cell },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    let new = vi_user(150, "Châu");
    h.ask(&new, &format!("/start {code}")).await;
    h.ask(&new, "Ngô Minh Châu").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cell_secretaries WHERE user_id = 150")
            .await,
        1
    );
    h.revoke_officer(&revoked, workplace).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let told = |chat: i64| {
        h.api
            .sent(chat)
            .iter()
            .filter(|s| says(s.text.as_deref(), Lang::Vi, "sheet-delivery-failed"))
            .count()
    };
    let texts = |chat: i64| -> Vec<String> {
        h.api
            .sent(chat)
            .into_iter()
            .filter_map(|s| s.text)
            .collect()
    };
    assert_eq!(told(secretary.id), 0, "{:?}", texts(secretary.id));
    assert_eq!(told(new.id), 1, "{:?}", texts(new.id));
}

/// The secretary sends a member their draft while Telegram cannot be
/// reached, hands the cell over, and the member turns out to have blocked
/// the bot: the note that the draft could not reach them goes to the
/// secretary in office, not to the one who left the committee.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_that_cannot_reach_its_member_after_a_handover_is_told_to_the_new_secretary() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    h.drain().await;
    h.stop_sender().await;
    sheet_with_member(&h, &secretary).await;
    let out = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::Secretary { cell },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    let new = vi_user(150, "Châu");
    h.ask(&new, &format!("/start {code}")).await;
    h.ask(&new, "Ngô Minh Châu").await;
    let update = h.api.block(&member, true);
    h.handled(update).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let told = |chat: i64| {
        h.api
            .sent(chat)
            .iter()
            .filter(|s| says(s.text.as_deref(), Lang::Vi, "sheet-member-unreachable"))
            .count()
    };
    assert_eq!(told(secretary.id), 0, "not to the one who left");
    assert_eq!(told(new.id), 1, "to the secretary in office");
}

/// A signed sheet's documents go by Telegram's file id once uploaded; a
/// file id Telegram no longer knows (expired, or another Bot API server's)
/// was refused for good ("wrong file identifier/HTTP URL specified") and
/// the copy given up: here the signer's DOCX, lost without a word. Now the
/// stored bytes are uploaded again, once, and the new file id is the one
/// sent from then on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_whose_file_id_telegram_no_longer_knows_is_uploaded_again() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let only = officer(&h, 700, workplace).await;
    signed_with_officer_700s_copies_queued(&mut h, &secretary, &member).await;
    // The signer's DOCX goes by the file id of the member's upload, just
    // before it: Telegram forgets that id while it is on its way.
    let held = h.api.hold_next("sendDocument", secretary.id);
    h.start_sender(default_sender()).await;
    assert!(held.reached(WAIT).await, "the signer's copy goes out");
    h.api.expire_files();
    held.release();
    for chat in [only.id, member.id, secretary.id] {
        wait_for(&h, "two documents to each", |h| {
            documents_to(h, chat).len() == 2
        })
        .await;
    }
    h.drain().await;
    let refused = h
        .api
        .calls_of("sendDocument")
        .iter()
        .filter(|c| !c.response_ok)
        .count();
    assert!(refused >= 1, "a stale file id was refused");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .await,
        0
    );
    // The DOCX uploaded twice (before and after Telegram forgot it), the
    // PDF once: the new file id is remembered.
    assert_eq!(uploads(&h), 3);
}

/// The member's own copy of their signed sheet, sent while they had
/// blocked the bot, was given up with nobody told, and nothing gave it
/// back to them. The secretary is told it did not reach them; once they
/// come back (unblock the bot, or write to it), their copy is sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_copy_missed_while_blocked_is_sent_when_they_come_back() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    sheet_with_member(&h, &secretary).await;
    let draft = h.last(&member);
    h.press(&member, &draft, "✅ Đồng ý").await;
    let blocked = h.api.block(&member, true);
    h.handled(blocked).await;
    press_sign(&h, &secretary).await;
    h.drain().await;
    let told = h
        .api
        .sent(secretary.id)
        .iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "sheet-member-copy-failed"))
        .count();
    assert_eq!(told, 1, "the secretary is told once");
    let documents = |h: &Harness| {
        h.api
            .sent(member.id)
            .iter()
            .filter(|s| s.method == "senddocument")
            .count()
    };
    assert_eq!(documents(&h), 0);
    let unblocked = h.api.block(&member, false);
    h.handled(unblocked).await;
    h.drain().await;
    h.wait_documents(member.id, 2).await;
    assert_eq!(documents(&h), 2, "DOCX and PDF, once");
}

/// The signed sheet's DOCX and PDF reached an English-speaking officer
/// under Vietnamese file names ("phieu-nhan-xet-…"). Each reader gets them
/// named in their language (the sheet itself stays the Vietnamese form),
/// and each language's copy is uploaded once, then sent by its file id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_officer_gets_the_sheet_under_english_file_names() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let workplace: i64 =
        sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let english = [en_user(700, "Officer"), en_user(701, "Clerk")];
    for user in &english {
        let code = h.officer_code(workplace).await;
        h.ask(user, &format!("/start {code}")).await;
    }
    let vietnamese = officer(&h, 702, workplace).await;
    sheet_with_member(&h, &secretary).await;
    let draft = h.last(&member);
    h.press(&member, &draft, "✅ Đồng ý").await;
    press_sign(&h, &secretary).await;
    let officers: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM workplace_officers ORDER BY user_id")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(officers, [700, 701, 702]);
    wait_for(&h, "two documents to each", |h| {
        [700, 701, 702, member.id, secretary.id]
            .iter()
            .all(|&chat| documents_to(h, chat).len() == 2)
    })
    .await;
    h.drain().await;

    let names = |chat: i64| -> Vec<String> {
        documents_to(&h, chat)
            .iter()
            // As uploaded, or the upload a file id stands for.
            .map(|d| d.file.clone().unwrap().replace("upload:", ""))
            .collect()
    };
    for user in &english {
        let names = names(user.id);
        assert!(names[0].starts_with("comment-sheet-"), "{names:?}");
        assert!(names[0].ends_with(".docx"), "{names:?}");
        assert!(names[1].starts_with("comment-sheet-"), "{names:?}");
        assert!(names[1].ends_with(".pdf"), "{names:?}");
        // The same documents, named otherwise.
        let docs = documents_to(&h, user.id);
        assert!(
            docs[1]
                .document_bytes
                .as_deref()
                .unwrap()
                .starts_with(b"%PDF")
        );
    }
    for chat in [vietnamese.id, member.id, secretary.id] {
        let names = names(chat);
        assert!(names[0].starts_with("phieu-nhan-xet-"), "{names:?}");
        assert!(names[1].starts_with("phieu-nhan-xet-"), "{names:?}");
    }
    // One DOCX and one PDF upload per language, then file ids.
    assert_eq!(uploads(&h), 4, "one DOCX and one PDF upload per language");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM documents WHERE file_id IS NOT NULL")
            .await,
        4
    );

    // /sheet by the English officer: named in English too.
    let before = documents_to(&h, 700).len();
    h.say(&english[0], "/sheet Nguyễn Văn An").await;
    wait_for(&h, "the sheet again", |h| {
        documents_to(h, 700).len() == before + 2
    })
    .await;
    let again = names(700);
    assert!(
        again[before..]
            .iter()
            .all(|n| n.starts_with("comment-sheet-")),
        "{again:?}"
    );
}
