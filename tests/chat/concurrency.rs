//! Many people at once: fifty members of one cell join, are approved,
//! report and are decided on, each step by everyone at the same time, on
//! one SQLite file. Every action must be answered and applied exactly once.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use futures::future::join_all;
use lienhe::{
    domain::Lang,
    i18n::loader,
    jobs::sender::SenderConfig,
    store::audit::{self, ChainCheck},
};

use crate::common::*;

const MEMBERS: i64 = 50;
const SECRETARY: i64 = 100;

pub(crate) fn member(i: i64) -> TgUser {
    if i % 2 == 0 {
        vi_user(1000 + i, &format!("Thành viên {i}"))
    } else {
        en_user(1000 + i, &format!("Member {i}"))
    }
}

/// The label of the button with this data (see `label_of`).
pub(crate) fn label(message: &Sent, data: &str) -> String {
    label_of(message, data).unwrap_or_else(|| panic!("no button {data:?} on {:?}", message.text))
}

fn full_name(i: i64) -> String {
    numbered_name("Nguyễn Văn", i as u64)
}

fn rejected(i: i64) -> bool {
    i % 10 == 3
}

fn reason(i: i64) -> String {
    format!("Thiếu minh chứng cho báo cáo của số {i}")
}

/// The join dialogue of one member, every step answered.
pub(crate) async fn join(h: &Harness, i: i64, code: &str) {
    let summary = join_to_summary(h, i, code).await;
    assert!(
        confirm_join(h, i, &summary).await,
        "{}: the request was not taken",
        member(i).id
    );
}

/// One report of one member, every step answered; some with a photo.
pub(crate) async fn report(h: &Harness, i: i64) {
    let user = member(i);
    let lang = lang_of(&user);
    let who = user.id;

    let kinds = h.ask_concurrently(&user, "/report").await;
    assert!(
        says(kinds.text.as_deref(), lang, "ask-kind"),
        "{who}: {kinds:?}"
    );
    let choices = kinds.buttons();
    let kind = &choices[i as usize % choices.len()].0;
    let (_, replies) = h.press_concurrently(&user, &kinds, kind).await;
    let dates = replies
        .last()
        .unwrap_or_else(|| panic!("{who}: no date prompt"));
    assert!(
        says(dates.text.as_deref(), lang, "ask-date"),
        "{who}: {dates:?}"
    );
    let (_, replies) = h
        .press_concurrently(&user, dates, &label(dates, "dt"))
        .await;
    let prompt = replies
        .last()
        .unwrap_or_else(|| panic!("{who}: no description prompt"));
    assert!(
        says(prompt.text.as_deref(), lang, "ask-description"),
        "{who}: {prompt:?}"
    );
    let mut photos = h
        .ask_concurrently(&user, &format!("Báo cáo của thành viên số {i}"))
        .await;
    assert!(
        says(photos.text.as_deref(), lang, "ask-photos"),
        "{who}: {photos:?}"
    );
    if i % 3 == 0 {
        let before = h.api.sent_count(who);
        let update = h.api.photo(&user, &format!("PHOTO-{i}"), None, None);
        h.handled(update).await;
        photos = h
            .api
            .sent(who)
            .split_off(before)
            .pop()
            .unwrap_or_else(|| panic!("{who}: the photo was not acknowledged"));
    }
    let (_, replies) = h
        .press_concurrently(&user, &photos, &label(&photos, "pd"))
        .await;
    let summary = replies
        .last()
        .unwrap_or_else(|| panic!("{who}: no report summary"));
    h.press_concurrently(&user, summary, &label(summary, "rs:"))
        .await;
    let settled = h.current(summary);
    assert!(
        says(settled.text.as_deref(), lang, "report-submitted"),
        "{who}: {settled:?}"
    );
}

/// The secretary's cards with a button whose data starts with `prefix`,
/// by the id in the data; each item must have exactly one card.
fn cards(h: &Harness, prefix: &str) -> HashMap<i64, Sent> {
    let mut cards = HashMap::new();
    for sent in h.api.sent(SECRETARY) {
        for (_, data) in sent.buttons() {
            if let Some(id) = data.strip_prefix(prefix) {
                let id: i64 = id.parse().unwrap();
                assert!(
                    cards.insert(id, sent.clone()).is_none(),
                    "two cards for {prefix}{id}"
                );
            }
        }
    }
    cards
}

/// Everything logged at INFO and above, by the tasks of this test's thread
/// (the bot runs on it: `#[tokio::test]` is single-threaded).
#[derive(Clone, Default)]
pub(crate) struct Logs(pub(crate) Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Captures what this thread logs at INFO and above until the guard
    /// returned is dropped.
    pub(crate) fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let guard = tracing::subscriber::set_default(
            tracing_subscriber::fmt()
                .with_writer(logs.clone())
                .with_ansi(false)
                .with_max_level(tracing::Level::INFO)
                .finish(),
        );
        (logs, guard)
    }

    /// What was logged since the last [`Logs::take`].
    pub(crate) fn take(&self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut *self.0.lock().unwrap())).into_owned()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;

    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}

#[tokio::test]
async fn fifty_members_join_report_and_are_decided_at_the_same_time() {
    let (logs, _logging) = Logs::capture();
    let mut h = Harness::start().await;
    // Fifty cards to one secretary: at Telegram's pace of a message a
    // second per chat that is most of a minute; this test is about the
    // database, not that pace.
    h.start_sender(SenderConfig {
        rate: 200.0,
        per_chat: std::time::Duration::from_millis(10),
        ..SenderConfig::default()
    })
    .await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let started = std::time::Instant::now();

    // Everyone joins at once.
    join_all((0..MEMBERS).map(|i| join(&h, i, &code))).await;
    // The cards go out through the outbox.
    h.quiet().await;
    let joins = cards(&h, "ja:");
    assert_eq!(joins.len(), MEMBERS as usize, "one card per request");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        MEMBERS
    );
    let joined = started.elapsed();

    // The secretary approves them all, pressing as fast as the cards came.
    let (h, secretary) = (&h, &secretary);
    join_all(joins.values().map(|card| async move {
        let (answer, _) = h.press_concurrently(secretary, card, "✅ Duyệt").await;
        assert_eq!(
            answer.str_param("text"),
            Some(loader(Lang::Vi).get("decision-recorded").as_str()),
            "{card:?}"
        );
    }))
    .await;
    h.quiet().await;
    for i in 0..MEMBERS {
        let user = member(i);
        let told = h
            .api
            .sent(user.id)
            .iter()
            .filter(|s| says(s.text.as_deref(), lang_of(&user), "join-approved"))
            .count();
        assert_eq!(told, 1, "{} was told of the approval once", user.id);
    }
    for card in joins.values() {
        assert!(h.current(card).buttons().is_empty(), "decided card settled");
    }
    let approved = started.elapsed();

    // Everyone reports at once.
    join_all((0..MEMBERS).map(|i| report(h, i))).await;
    h.quiet().await;
    let reports = cards(h, "ra:");
    assert_eq!(reports.len(), MEMBERS as usize, "one card per report");
    let reported = started.elapsed();

    // The secretary decides them: approvals pressed all at once, while the
    // rejections (button, then the reason typed) go one after the other.
    let owner: HashMap<i64, i64> = sqlx::query_as("SELECT id, user_id - 1000 FROM reports")
        .fetch_all(&h.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let (to_reject, to_approve): (Vec<_>, Vec<_>) =
        reports.iter().partition(|(id, _)| rejected(owner[*id]));
    assert_eq!(to_reject.len(), 5);
    let rejections = async {
        for (id, card) in &to_reject {
            let (_, replies) = h.press_concurrently(secretary, card, "❌ Từ chối").await;
            assert!(
                replies
                    .iter()
                    .any(|r| says(r.text.as_deref(), Lang::Vi, "ask-reject-reason")),
                "{replies:?}"
            );
            let replies = h.say_concurrently(secretary, &reason(owner[*id])).await;
            assert!(
                replies
                    .iter()
                    .any(|r| says(r.text.as_deref(), Lang::Vi, "report-rejected-done")),
                "{replies:?}"
            );
        }
    };
    let approvals = join_all(to_approve.iter().map(|(_, card)| async move {
        let (answer, _) = h.press_concurrently(secretary, card, "✅ Duyệt").await;
        assert_eq!(
            answer.str_param("text"),
            Some(loader(Lang::Vi).get("decision-recorded").as_str()),
            "{card:?}"
        );
    }));
    tokio::join!(rejections, approvals);
    h.quiet().await;
    let decided = started.elapsed();

    // Every member was told the decision once.
    for i in 0..MEMBERS {
        let user = member(i);
        let lang = lang_of(&user);
        let sent = h.api.sent(user.id);
        let approvals = sent
            .iter()
            .filter(|s| says(s.text.as_deref(), lang, "report-approved"))
            .count();
        let rejections: Vec<_> = sent
            .iter()
            .filter(|s| says(s.text.as_deref(), lang, "report-rejected"))
            .collect();
        if rejected(i) {
            assert_eq!((approvals, rejections.len()), (0, 1), "{}", user.id);
            assert!(rejections[0].text.as_deref().unwrap().contains(&reason(i)));
        } else {
            assert_eq!((approvals, rejections.len()), (1, 0), "{}", user.id);
        }
    }
    for card in reports.values() {
        assert!(h.current(card).buttons().is_empty(), "decided card settled");
    }

    // The database: each thing once, each decision applied once.
    let per_user: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT user_id, COUNT(*) FROM memberships GROUP BY user_id HAVING COUNT(*) > 1
         UNION ALL
         SELECT user_id, COUNT(*) FROM reports GROUP BY user_id HAVING COUNT(*) > 1",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert!(per_user.is_empty(), "duplicates: {per_user:?}");
    let statuses: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT 'membership', status, COUNT(*) FROM memberships GROUP BY status
         UNION ALL
         SELECT 'report', status, COUNT(*) FROM reports GROUP BY status
         ORDER BY 1, 2",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        statuses,
        [
            ("membership".into(), "approved".into(), MEMBERS),
            ("report".into(), "approved".into(), MEMBERS - 5),
            ("report".into(), "rejected".into(), 5),
        ]
    );
    let reasons: HashSet<(i64, String)> = sqlx::query_as(
        "SELECT user_id - 1000, reject_reason FROM reports WHERE status = 'rejected'",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(
        reasons,
        (0..MEMBERS)
            .filter(|i| rejected(*i))
            .map(|i| (i, reason(i)))
            .collect()
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM report_photos").await,
        (0..MEMBERS).filter(|i| i % 3 == 0).count() as i64
    );
    // One audit entry per decision, and the chain holds.
    let audited: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT subject, action, COUNT(*), COUNT(DISTINCT subject_id) FROM audit_log
         GROUP BY subject, action ORDER BY 1, 2",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            // The operator's cell.
            ("cell".into(), "add_cell".into(), 1, 1),
            // The secretary's code and the members' link.
            ("invite".into(), "create_invite".into(), 2, 2),
            ("membership".into(), "approve".into(), MEMBERS, MEMBERS),
            // Each join request and report stored once.
            ("membership".into(), "join_request".into(), MEMBERS, MEMBERS),
            ("report".into(), "approve".into(), MEMBERS - 5, MEMBERS - 5),
            ("report".into(), "reject".into(), 5, 5),
            ("report".into(), "submit".into(), MEMBERS, MEMBERS),
            // The secretary taking the role.
            ("user".into(), "grant_role".into(), 1, 1),
            // The operator's ward and two workplaces.
            ("ward".into(), "add_ward".into(), 1, 1),
            ("workplace".into(), "add_workplace".into(), 2, 2),
        ]
    );
    chain_intact(h).await;

    // Nobody was asked to do something again, and nothing went wrong.
    for sent in h.api.all_sent() {
        for lang in Lang::ALL {
            assert!(
                !says(sent.text.as_deref(), lang, "not-saved-try-again"),
                "{sent:?}"
            );
        }
    }
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let busy = logs.matches("database busy").count();
    eprintln!(
        "{MEMBERS} members: joined in {joined:?}, approved by {approved:?}, reported by \
         {reported:?}, decided by {decided:?}; {busy} busy retries"
    );
    assert_eq!(
        logs.matches("join request decided").count(),
        MEMBERS as usize,
        "the bot's log is captured"
    );
    let errors: Vec<&str> = logs.lines().filter(|l| l.contains("ERROR")).collect();
    assert!(
        errors.is_empty(),
        "errors while {MEMBERS} members acted at once:\n{}",
        errors.join("\n")
    );
}

/// A member withdraws their join request at the moment the secretary
/// approves it, a few times over: one outcome each time. Withdrawn, the
/// secretary is told that the request was withdrawn (whether it went just
/// before the press or during its decision) and the member is never told
/// they were approved; approved, the member is told once.
#[tokio::test]
async fn a_join_withdrawn_while_it_is_approved_has_one_outcome() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    // Another cell's link, opened while the request waits, offers to
    // withdraw it.
    let ward = h.ward("Phường Lê Mao").await;
    let other = h.cell(ward, "Chi bộ khối 9").await;
    let other_secretary = vi_user(200, "Cường");
    h.make_secretary(&other_secretary, other, "Lê Văn Cường")
        .await;
    let other_code = h.invite_code(&other_secretary).await;
    for i in 0..6 {
        let member = vi_user(300 + i, "An");
        h.request_join(&member, &code, "Nguyễn Văn An").await;
        h.quiet().await;
        h.ask(&member, &format!("/start {other_code}")).await;
        let with = |user: &TgUser, prefix: &str| {
            h.api
                .sent(user.id)
                .into_iter()
                .rev()
                .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with(prefix)))
                .unwrap_or_else(|| panic!("no {prefix} button for {}", user.id))
        };
        let card = with(&secretary, "ja:");
        let offered = with(&member, "jw:");
        let approve = label(&card, "ja:");
        let withdraw = label(&offered, "jw:");
        let ((answer, _), _) = futures::join!(
            h.press_concurrently(&secretary, &card, &approve),
            h.press_concurrently(&member, &offered, &withdraw),
        );
        h.quiet().await;
        let approved = h
            .count("SELECT COUNT(*) FROM memberships WHERE user_id BETWEEN 300 AND 399 AND status = 'approved'")
            .await;
        let told = h
            .api
            .sent(member.id)
            .iter()
            .filter(|s| says(s.text.as_deref(), Lang::Vi, "join-approved"))
            .count();
        let membership: Option<String> =
            sqlx::query_scalar("SELECT status FROM memberships WHERE user_id = ?")
                .bind(member.id)
                .fetch_optional(&h.pool)
                .await
                .unwrap();
        match membership.as_deref() {
            Some("approved") => assert_eq!(told, 1, "approved, told once"),
            None => {
                assert_eq!(told, 0, "withdrawn, never told approved");
                assert!(
                    says(
                        answer.str_param("text"),
                        Lang::Vi,
                        "decision-join-withdrawn"
                    ),
                    "{answer:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(approved <= i + 1);
    }
}

/// A cell with a secretary, a deputy and a member whose report's card to
/// the secretary is held on its way (Telegram has not answered the send),
/// and the report as the deputy's /pending lists it.
async fn card_held_and_listed(
    h: &Harness,
    secretary: &TgUser,
    member: &TgUser,
    deputy: &TgUser,
) -> (fake_api::Held, Sent) {
    h.cell_with_member(secretary, member).await;
    crate::committee::make_deputy(h, secretary, deputy, "Phạm Văn Dũng").await;
    let summary = h
        .report_until_summary(
            member,
            "Hoạt động khác",
            "Hôm nay",
            "Dọn vệ sinh khối phố",
            &[],
        )
        .await;
    let held = h.api.hold_next("sendMessage", secretary.id);
    let submit = label(&summary, "rs:");
    h.press_concurrently(member, &summary, &submit).await;
    assert!(
        held.reached(std::time::Duration::from_secs(10)).await,
        "the card goes out"
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM reports WHERE user_id = ?")
        .bind(member.id)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let pending = h.say_concurrently(deputy, "/pending").await;
    let listed = pending
        .into_iter()
        .find(|s| s.buttons().iter().any(|(_, d)| *d == format!("ra:{id}")))
        .expect("the report in /pending");
    (held, listed)
}

/// The card [`card_held_and_listed`] held, as the secretary got it.
fn held_card(h: &Harness, secretary: &TgUser) -> Sent {
    h.api
        .sent(secretary.id)
        .into_iter()
        .find(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.contains("Dọn vệ sinh khối phố"))
        })
        .expect("the secretary's card")
}

/// The secretary's card of a report is on its way (Telegram has not
/// answered the send yet) when the deputy approves the report from
/// /pending: the card, once it arrives, must not keep Approve and Reject
/// for a report already decided; it shows the decision, as a card sent
/// before the decision does.
#[tokio::test]
async fn a_card_on_its_way_while_the_item_is_decided_arrives_settled() {
    let h = Harness::start().await;
    let (secretary, member, deputy) = (
        vi_user(SECRETARY, "Bình"),
        vi_user(300, "An"),
        vi_user(400, "Dũng"),
    );
    let (held, listed) = card_held_and_listed(&h, &secretary, &member, &deputy).await;

    // The deputy approves it from /pending while the card is on its way.
    let (answer, _) = h
        .press_concurrently(&deputy, &listed, &label(&listed, "ra:"))
        .await;
    assert_eq!(
        answer.str_param("text"),
        Some(loader(Lang::Vi).get("decision-recorded").as_str())
    );
    held.release();
    h.quiet().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );

    // The secretary's card shows the decision, without buttons.
    let card = held_card(&h, &secretary);
    let card = h.current(&card);
    assert!(
        card.buttons()
            .iter()
            .all(|(_, d)| !d.starts_with("ra:") && !d.starts_with("rr:")),
        "a decided report's card keeps its buttons: {card:?}"
    );
    assert!(
        card.text.as_deref().unwrap().contains("Phạm Văn Dũng"),
        "the card shows who decided: {card:?}"
    );
    let told = h
        .api
        .sent(member.id)
        .iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "report-approved"))
        .count();
    assert_eq!(told, 1);
    chain_intact(&h).await;
}

/// A member erases their data (/forgetme) while the sender holds, in the
/// batch it is sending, the card of their join request to the secretary
/// (another message of the batch, to someone else, is on its way): the
/// card was withdrawn with the erasure and must not go out afterwards,
/// with the phone the member just erased.
#[tokio::test]
async fn a_join_card_withdrawn_by_an_erasure_while_the_sender_holds_it_is_not_sent() {
    let mut h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let first = vi_user(300, "An");
    let leaver = vi_user(301, "Cúc");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&first, &code, "Nguyễn Văn An").await;
    let card = h.last(&secretary);

    // Both queued while the sender is stopped: the approval's notice to
    // the first member, then the card of the second one's request.
    h.stop_sender().await;
    h.press(&secretary, &card, "✅ Duyệt").await;
    h.ask(&leaver, &format!("/start {code}")).await;
    h.ask(&leaver, "Lê Thị Cúc").await;
    let workplaces = h.ask(&leaver, "0912345678").await;
    let first_workplace = workplaces.buttons()[0].0.clone();
    h.press(&leaver, &workplaces, &first_workplace).await;
    let introduced = h.last(&leaver);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(&leaver, &introduced, &this_month).await;
    let summary = h.last(&leaver);
    h.press(&leaver, &summary, "Xác nhận").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND chat_id IN (100, 300)")
            .await,
        2
    );

    // The sender takes both in one batch and is held on the first.
    let held = h.api.hold_next("sendMessage", first.id);
    h.start_sender(default_sender()).await;
    assert!(
        held.reached(std::time::Duration::from_secs(10)).await,
        "the notice goes out"
    );
    let ask = h.ask_concurrently(&leaver, "/forgetme").await;
    let erase = text_of(Lang::Vi, "forget-button-confirm");
    h.press_concurrently(&leaver, &ask, &erase).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM users WHERE id = 301 AND phone IS NOT NULL")
            .await,
        0
    );
    held.release();
    h.quiet().await;
    h.drain().await;

    let approved = format!("ja:{}", h.membership_of(300).await);
    for sent in h.api.sent(secretary.id) {
        let shown = h.current(&sent);
        let text = shown.text.as_deref().unwrap_or_default();
        assert!(
            !text.contains("0912345678"),
            "the erased phone reached the secretary: {shown:?}"
        );
        assert!(
            !shown
                .buttons()
                .iter()
                .any(|(_, d)| d.starts_with("ja:") && *d != approved),
            "a card of the erased request: {shown:?}"
        );
    }
    chain_intact(&h).await;
}

/// As above, and Telegram asks to wait (429) when the card just arrived is
/// edited to show the decision: the edit is made after the wait, and the
/// card ends settled. It kept Approve and Reject until someone pressed one.
#[tokio::test]
async fn a_card_on_its_way_settled_after_telegram_asks_to_wait() {
    let h = Harness::start().await;
    let (secretary, member, deputy) = (
        vi_user(SECRETARY, "Bình"),
        vi_user(300, "An"),
        vi_user(400, "Dũng"),
    );
    let (held, listed) = card_held_and_listed(&h, &secretary, &member, &deputy).await;
    h.press_concurrently(&deputy, &listed, &label(&listed, "ra:"))
        .await;
    h.api.fail_next(
        "editMessageText",
        Some(secretary.id),
        Fault::TooManyRequests { retry_after: 1 },
        1,
    );
    held.release();
    h.quiet().await;
    let card = held_card(&h, &secretary);
    // Settled within a few seconds of the wait.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let card = loop {
        let now = h.current(&card);
        if now.buttons().is_empty() || tokio::time::Instant::now() > deadline {
            break now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        card.buttons().is_empty(),
        "a decided report's card keeps its buttons: {card:?}"
    );
    assert!(
        card.text.as_deref().unwrap().contains("Phạm Văn Dũng"),
        "the card shows who decided: {card:?}"
    );
    assert_eq!(
        h.api
            .calls_of("editMessageText")
            .iter()
            .filter(|c| c.params["chat_id"] == secretary.id && !c.response_ok)
            .count(),
        1,
        "refused once, with 429"
    );
}

/// The secretary opens /pending while the deputy approves one of the
/// reports it lists: the list was read before the approval, and the card
/// of that report, sent after it, must not keep Approve and Reject; it
/// shows the decision, as the cards shown before the approval do.
#[tokio::test]
async fn a_pending_card_shown_while_the_deputy_decides_it_shows_the_decision() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let member = vi_user(300, "An");
    let deputy = vi_user(400, "Dũng");
    h.cell_with_member(&secretary, &member).await;
    crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let id = crate::committee::submit_report(&h, &member, "Dọn vệ sinh khối phố").await;
    h.drain().await;
    crate::committee::card_with(&h, &secretary, &format!("ra:{id}"));
    let before = h.api.sent_count(secretary.id);

    // The header of /pending is on its way when the deputy approves.
    let held = h.api.hold_next("sendMessage", secretary.id);
    let listing = h.api.text(&secretary, "/pending");
    assert!(
        held.reached(std::time::Duration::from_secs(10)).await,
        "/pending answers"
    );
    let press = h.api.callback(&deputy, 1, &format!("ra:{id}"));
    h.handled(press).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'approved'")
            .await,
        1
    );
    held.release();
    h.handled(listing).await;
    // The header and the card (an update slow to handle is set aside, and
    // counted as handled, before its handler ends), and whatever the
    // handler does to the card after sending it.
    h.api
        .wait_sent(secretary.id, before + 2, std::time::Duration::from_secs(10))
        .await;
    h.quiet().await;
    // Until the card shows its settling (or ten seconds, and the checks
    // below say what it shows).
    let report_card = |s: &Sent| {
        s.text
            .as_deref()
            .is_some_and(|t| t.contains("Dọn vệ sinh khối phố"))
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let shown: Vec<Sent> = loop {
        let shown: Vec<Sent> = h
            .api
            .sent(secretary.id)
            .split_off(before)
            .iter()
            .map(|s| h.current(s))
            .collect();
        let settled = shown
            .iter()
            .any(|s| report_card(s) && s.buttons().is_empty());
        if settled || tokio::time::Instant::now() >= deadline {
            break shown;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(
        says(shown[0].text.as_deref(), Lang::Vi, "pending-header"),
        "{shown:?}"
    );
    let card = shown
        .iter()
        .find(|s| report_card(s))
        .unwrap_or_else(|| panic!("the report's card in /pending: {shown:?}"));
    assert!(
        card.buttons().is_empty(),
        "a decided report's card keeps its buttons: {card:?}"
    );
    assert!(
        card.text.as_deref().unwrap().contains("Phạm Văn Dũng"),
        "the card shows who decided: {card:?}"
    );
}

/// A member erases their data (/forgetme) while the card of their join
/// request is on its way to the secretary (Telegram has not answered its
/// send yet): the card, once it has arrived, must not keep showing the
/// phone just erased, nor Approve and Reject for a request that is gone.
#[tokio::test]
async fn a_join_card_on_its_way_when_its_member_erases_their_data_keeps_nothing_of_it() {
    let h = Harness::start().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let leaver = vi_user(301, "Cúc");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    h.ask(&leaver, &format!("/start {code}")).await;
    h.ask(&leaver, "Lê Thị Cúc").await;
    let workplaces = h.ask(&leaver, "0912345678").await;
    let first_workplace = workplaces.buttons()[0].0.clone();
    h.press(&leaver, &workplaces, &first_workplace).await;
    let introduced = h.last(&leaver);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(&leaver, &introduced, &this_month).await;
    let summary = h.last(&leaver);

    let before = h.api.sent_count(secretary.id);
    let held = h.api.hold_next("sendMessage", secretary.id);
    h.press_concurrently(&leaver, &summary, "Xác nhận").await;
    assert!(
        held.reached(std::time::Duration::from_secs(10)).await,
        "the card goes out"
    );
    let ask = h.ask_concurrently(&leaver, "/forgetme").await;
    let erase = text_of(Lang::Vi, "forget-button-confirm");
    h.press_concurrently(&leaver, &ask, &erase).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 301")
            .await,
        0
    );
    held.release();
    h.quiet().await;
    h.drain().await;

    let sent = h.api.sent(secretary.id).split_off(before);
    assert!(!sent.is_empty(), "the card went out");
    // The card is taken back (deleted); what stays shows nothing of it.
    for shown in sent.into_iter().filter(|s| !s.deleted) {
        let text = shown.text.clone().unwrap_or_default();
        assert!(
            !text.contains("0912345678"),
            "the erased phone stays on the secretary's card: {shown:?}"
        );
        assert!(shown.buttons().is_empty(), "{shown:?}");
    }
    chain_intact(&h).await;
}

/// The audit chain verifies, every entry in it.
pub(crate) async fn chain_intact(h: &Harness) {
    let entries = h.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact {
            entries: entries as u64
        }
    );
}

/// The join dialogue of one member up to its summary (`join` without the
/// confirmation).
async fn join_to_summary(h: &Harness, i: i64, code: &str) -> Sent {
    let user = member(i);
    let lang = lang_of(&user);
    let who = user.id;
    let reply = h.ask_concurrently(&user, &format!("/start {code}")).await;
    assert!(
        says(reply.text.as_deref(), lang, "ask-full-name"),
        "{who}: {reply:?}"
    );
    let reply = h.ask_concurrently(&user, &full_name(i)).await;
    assert!(
        says(reply.text.as_deref(), lang, "ask-phone"),
        "{who}: {reply:?}"
    );
    let list = h
        .ask_concurrently(&user, &loader(lang).get("button-skip"))
        .await;
    assert!(
        says(list.text.as_deref(), lang, "ask-workplace"),
        "{who}: {list:?}"
    );
    let (_, replies) = h
        .press_concurrently(&user, &list, &label(&list, "w:"))
        .await;
    let introduced = replies
        .last()
        .unwrap_or_else(|| panic!("{who}: no month question"));
    let (_, replies) = h
        .press_concurrently(&user, introduced, &label(introduced, "ym:"))
        .await;
    let summary = replies
        .last()
        .unwrap_or_else(|| panic!("{who}: no summary"))
        .clone();
    assert!(
        summary.text.as_deref().unwrap().contains(&full_name(i)),
        "{who}: {summary:?}"
    );
    summary
}

/// Confirm pressed on a join summary: whether the request was taken (the
/// summary says it was sent) or refused as the link was revoked meanwhile
/// (the summary says so, and whom to ask); anything else fails.
async fn confirm_join(h: &Harness, i: i64, summary: &Sent) -> bool {
    let user = member(i);
    let lang = lang_of(&user);
    h.press_concurrently(&user, summary, &label(summary, "jc:"))
        .await;
    let settled = h.current(summary);
    let text = settled.text.as_deref();
    if says(text, lang, "join-sent") {
        true
    } else {
        assert!(
            says(text, lang, "invite-revoked") && says(text, lang, "invite-ask-secretary"),
            "{}: {settled:?}",
            user.id
        );
        assert!(settled.buttons().is_empty(), "{settled:?}");
        false
    }
}

/// Forty people open the cell's link at once and fill in the join form
/// together. Half of them confirm while the secretary approves the first
/// five cards as they arrive and then makes a new link (revoking the old
/// one); the other half confirm after that, and a few open the old link
/// again. Who confirmed before the revocation is a request (once, with one
/// card); who confirmed after it is told the link was revoked and whom to
/// ask; nobody is left without an answer.
#[tokio::test]
async fn forty_open_one_link_while_the_secretary_approves_and_replaces_it() {
    const OPENERS: i64 = 40;
    const FIRST: usize = 5;
    let mut h = Harness::start().await;
    h.start_sender(SenderConfig {
        rate: 200.0,
        per_chat: std::time::Duration::from_millis(10),
        ..SenderConfig::default()
    })
    .await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    // Some minutes on: /invite makes a new link, not the one just made.
    h.set_local(2026, 11, 20, 10, 5);

    let summaries: Vec<Sent> = join_all((0..OPENERS).map(|i| join_to_summary(&h, i, &code))).await;
    let (h, secretary, summaries) = (&h, &secretary, &summaries);

    let early = join_all(
        (0..OPENERS / 2)
            .map(|i| async move { (i, confirm_join(h, i, &summaries[i as usize]).await) }),
    );
    let desk = async {
        let mut approved = HashSet::new();
        while approved.len() < FIRST {
            let seen = h.api.sent_count(SECRETARY);
            let fresh: Vec<(i64, Sent)> = cards(h, "ja:")
                .into_iter()
                .filter(|(id, _)| !approved.contains(id))
                .collect();
            if fresh.is_empty() {
                h.api
                    .wait_sent(SECRETARY, seen + 1, std::time::Duration::from_secs(60))
                    .await;
                continue;
            }
            for (id, card) in fresh.into_iter().take(FIRST - approved.len()) {
                let (answer, _) = h.press_concurrently(secretary, &card, "✅ Duyệt").await;
                assert_eq!(
                    answer.str_param("text"),
                    Some(loader(Lang::Vi).get("decision-recorded").as_str()),
                    "{card:?}"
                );
                approved.insert(id);
            }
        }
        // Join cards keep coming to the secretary beside the answer: the
        // answer is the message with the link, wherever it falls.
        let sent = h.say_concurrently(secretary, "/invite").await;
        let link = sent
            .iter()
            .find(|m| m.text.as_deref().is_some_and(|t| t.contains("?start=")))
            .unwrap_or_else(|| panic!("no link in the answer to /invite: {sent:?}"));
        (approved, deep_link_code(link))
    };
    let (early, (approved, new_code)) = tokio::join!(early, desk);
    assert_ne!(new_code, code);

    // The rest confirm after the revocation; a few open the old link again.
    let late = join_all(
        (OPENERS / 2..OPENERS)
            .map(|i| async move { (i, confirm_join(h, i, &summaries[i as usize]).await) }),
    );
    let old = &code;
    let again = join_all((OPENERS - 3..OPENERS).map(|i| {
        let code = old;
        async move {
            let user = member(i);
            let reply = h.ask_concurrently(&user, &format!("/start {code}")).await;
            assert!(
                says(reply.text.as_deref(), lang_of(&user), "invite-revoked"),
                "{}: {reply:?}",
                user.id
            );
        }
    }));
    let (late, _) = tokio::join!(late, again);
    for (i, taken) in &late {
        assert!(
            !taken,
            "{}: confirmed after the revocation, taken",
            member(*i).id
        );
    }
    h.quiet().await;

    let requested: HashSet<i64> = early
        .iter()
        .chain(&late)
        .filter(|(_, taken)| *taken)
        .map(|(i, _)| *i)
        .collect();
    assert!(requested.len() >= FIRST, "{requested:?}");
    // The database: one membership per request taken, nobody else.
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT user_id - 1000, status FROM memberships WHERE user_id >= 1000")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), requested.len(), "{rows:?}");
    for (i, status) in &rows {
        assert!(requested.contains(i), "{i} is a request: {rows:?}");
        let card_id = sqlx::query_scalar::<_, i64>("SELECT id FROM memberships WHERE user_id = ?")
            .bind(1000 + i)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let expected = if approved.contains(&card_id) {
            "approved"
        } else {
            "pending"
        };
        assert_eq!(status, expected, "{i}");
    }
    // One card per request (found by the name on it), the approved ones
    // settled, the others still offering the decision.
    let shown = h.api.sent(SECRETARY);
    for i in &requested {
        let line = format!(": {}\n", full_name(*i));
        let on: Vec<&Sent> = shown
            .iter()
            .filter(|s| s.text.as_deref().unwrap_or_default().contains(&line))
            .collect();
        assert_eq!(on.len(), 1, "{i}: {on:?}");
        let id: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = ?")
            .bind(1000 + i)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(on[0].buttons().is_empty(), approved.contains(&id), "{on:?}");
    }
    assert_eq!(cards(h, "ja:").len(), requested.len() - FIRST);
    // The approved told once; nobody else told they were approved.
    for i in 0..OPENERS {
        let user = member(i);
        let told = h
            .api
            .sent(user.id)
            .iter()
            .filter(|s| says(s.text.as_deref(), lang_of(&user), "join-approved"))
            .count();
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = ?")
            .bind(user.id)
            .fetch_optional(&h.pool)
            .await
            .unwrap();
        let expected = usize::from(id.is_some_and(|id| approved.contains(&id)));
        assert_eq!(told, expected, "{}", user.id);
    }
    for sent in h.api.all_sent() {
        for lang in Lang::ALL {
            assert!(
                !says(sent.text.as_deref(), lang, "not-saved-try-again"),
                "{sent:?}"
            );
        }
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'join_request'")
            .await,
        requested.len() as i64
    );
    chain_intact(h).await;
}

/// Ten members with a report waiting and six people with a join request
/// waiting erase their data (/forgetme, confirmed) at the very moment the
/// secretary approves that report or request. Either the approval lands
/// and then the erasure, or the erasure and the secretary is told the item
/// was withdrawn; the member is told their data was erased; the card ends
/// showing nothing of the member, without buttons; nothing is left
/// waiting, and the audit chain holds.
#[tokio::test]
async fn members_erase_their_data_while_the_secretary_approves_their_items() {
    const REPORTERS: i64 = 10;
    const JOINERS: i64 = 6;
    let mut h = Harness::start().await;
    h.start_sender(SenderConfig {
        rate: 200.0,
        per_chat: std::time::Duration::from_millis(10),
        ..SenderConfig::default()
    })
    .await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let (h, secretary) = (&h, &secretary);
    join_all((0..REPORTERS + JOINERS).map(|i| join(h, i, &code))).await;
    h.quiet().await;
    let member_of: HashMap<i64, i64> =
        sqlx::query_as("SELECT id, user_id - 1000 FROM memberships WHERE user_id >= 1000")
            .fetch_all(&h.pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    for (id, card) in cards(h, "ja:") {
        if member_of[&id] < REPORTERS {
            h.press(secretary, &card, "✅ Duyệt").await;
        }
    }
    h.quiet().await;
    join_all((0..REPORTERS).map(|i| report(h, i))).await;
    h.quiet().await;
    let owner: HashMap<i64, i64> =
        sqlx::query_as("SELECT id, user_id - 1000 FROM reports WHERE user_id >= 1000")
            .fetch_all(&h.pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    // Each one's card, whose item it is, and what a withdrawn one says.
    let mut items: Vec<(i64, Sent, &str)> = cards(h, "ra:")
        .into_iter()
        .map(|(id, card)| (owner[&id], card, "decision-item-withdrawn"))
        .collect();
    items.extend(
        cards(h, "ja:")
            .into_iter()
            .map(|(id, card)| (member_of[&id], card, "decision-join-withdrawn")),
    );
    assert_eq!(items.len(), (REPORTERS + JOINERS) as usize);
    let mut asked = HashMap::new();
    for (i, _, _) in &items {
        asked.insert(*i, h.ask(&member(*i), "/forgetme").await);
    }
    let asked = &asked;

    let outcomes = join_all(items.iter().map(|(i, card, withdrawn)| async move {
        let user = member(*i);
        let lang = lang_of(&user);
        let confirm = loader(lang).get("forget-button-confirm");
        let ((answer, _), (_, replies)) = futures::join!(
            h.press_concurrently(secretary, card, "✅ Duyệt"),
            h.press_concurrently(&user, &asked[i], &confirm),
        );
        let text = answer.str_param("text");
        let recorded = text == Some(loader(Lang::Vi).get("decision-recorded").as_str());
        assert!(
            recorded || says(text, Lang::Vi, withdrawn),
            "{i}: {answer:?}"
        );
        let erased = replies
            .iter()
            .chain([&h.current(&asked[i])])
            .any(|s| says(s.text.as_deref(), lang, "forget-done"));
        assert!(erased, "{i}: {replies:?}");
        recorded
    }))
    .await;
    eprintln!(
        "{} approved before the erasure, {} erased first",
        outcomes.iter().filter(|r| **r).count(),
        outcomes.iter().filter(|r| !**r).count()
    );
    h.quiet().await;
    h.drain().await;

    for (i, card, _) in &items {
        let shown = h.current(card);
        let text = shown.text.as_deref();
        let report: Option<String> =
            sqlx::query_scalar("SELECT status FROM reports WHERE user_id = ?")
                .bind(1000 + i)
                .fetch_optional(&h.pool)
                .await
                .unwrap();
        if *i < REPORTERS && report.as_deref() == Some("approved") {
            // Approved before the erasure: the cell keeps the decided
            // report, and its card shows the decision.
            assert!(says(text, Lang::Vi, "decided-approved"), "{i}: {shown:?}");
        } else {
            let id = if *i < REPORTERS {
                "forget-report-card"
            } else {
                "forget-join-card"
            };
            assert!(says(text, Lang::Vi, id), "{i}: {shown:?} {report:?}");
            assert!(!text.unwrap().contains(&full_name(*i)), "{i}: {shown:?}");
        }
        assert!(shown.buttons().is_empty(), "{i}: {shown:?}");
        let user = member(*i);
        for what in ["join-approved", "report-approved"] {
            let told = h
                .api
                .sent(user.id)
                .iter()
                .filter(|s| says(s.text.as_deref(), lang_of(&user), what))
                .count();
            assert!(told <= 1, "{i} told {what} {told} times");
        }
    }
    assert_eq!(
        h.count(
            "SELECT (SELECT COUNT(*) FROM reports WHERE status = 'pending')
                  + (SELECT COUNT(*) FROM memberships WHERE status = 'pending')"
        )
        .await,
        0
    );
    for sent in h.api.all_sent() {
        for lang in Lang::ALL {
            assert!(
                !says(sent.text.as_deref(), lang, "not-saved-try-again"),
                "{sent:?}"
            );
        }
    }
    chain_intact(h).await;
}

/// Two cells of one ward: six people join each at once; then both
/// secretaries approve half of their requests while both, and the ward's
/// supervisor, ask /pending and /stats at the same time. Nothing of one
/// cell shows in the other's cards, lists or counts.
#[tokio::test]
async fn two_cells_and_their_supervisor_at_once_see_only_their_own() {
    let mut h = Harness::start().await;
    h.start_sender(SenderConfig {
        rate: 200.0,
        per_chat: std::time::Duration::from_millis(10),
        ..SenderConfig::default()
    })
    .await;
    let first = h.cell_setup().await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(first)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let second = h.cell(ward, "Chi bộ khối 9").await;
    let one = vi_user(SECRETARY, "Bình");
    let two = en_user(SECRETARY + 1, "Cường");
    h.make_secretary(&one, first, "Trần Thị Bình").await;
    h.make_secretary(&two, second, "Lê Văn Cường").await;
    let supervisor = vi_user(SECRETARY + 2, "Dũng");
    h.ask(
        &supervisor,
        &format!("/start {}", h.supervisor_code(ward).await),
    )
    .await;
    let codes = [h.invite_code(&one).await, h.invite_code(&two).await];
    let (h, one, two, supervisor, codes) = (&h, &one, &two, &supervisor, &codes);
    // Cell one's people are 20–25, cell two's 30–35.
    let of = |cell: usize| (0..6).map(move |k| 20 + 10 * cell as i64 + k);
    join_all((0..2).flat_map(|c| of(c).map(move |i| join(h, i, &codes[c])))).await;
    h.quiet().await;
    let before = [
        h.api.sent_count(one.id),
        h.api.sent_count(two.id),
        h.api.sent_count(supervisor.id),
    ];

    let decide = |user: &TgUser, approve: &'static str| {
        let user = user.clone();
        async move {
            let mut pending: Vec<Sent> = h
                .api
                .sent(user.id)
                .into_iter()
                .filter(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ja:")))
                .collect();
            pending.truncate(3);
            join_all(
                pending
                    .iter()
                    .map(|card| h.press_concurrently(&user, card, approve)),
            )
            .await;
        }
    };
    let ask = |user: &TgUser| {
        let user = user.clone();
        async move {
            h.say_concurrently(&user, "/pending").await;
            h.say_concurrently(&user, "/stats").await;
        }
    };
    tokio::join!(
        decide(one, "✅ Duyệt"),
        decide(two, "✅ Approve"),
        ask(one),
        ask(two),
        ask(supervisor),
        ask(one),
        ask(two),
    );
    h.quiet().await;
    for (c, (user, before)) in [(one, before[0]), (two, before[1])].into_iter().enumerate() {
        let others: Vec<String> = of(1 - c).map(full_name).collect();
        let mine: Vec<String> = of(c).map(full_name).collect();
        let shown: Vec<Sent> = h.api.sent(user.id);
        for sent in &shown {
            let text = sent.text.clone().unwrap_or_default();
            for name in &others {
                assert!(
                    !text.contains(name.as_str()),
                    "{}: {name} in {text}",
                    user.id
                );
            }
        }
        // Their /pending (after the approvals or before) lists only their
        // own, and the card of each of theirs came once.
        let listed: Vec<&Sent> = shown[before..]
            .iter()
            .filter(|s| {
                mine.iter()
                    .any(|n| s.text.as_deref().unwrap_or_default().contains(n.as_str()))
            })
            .collect();
        assert!(!listed.is_empty(), "{}: {:?}", user.id, &shown[before..]);
    }
    // Both cells have a secretary: the supervisor decides nothing of
    // theirs and sees none of their people.
    for sent in h.api.sent(supervisor.id) {
        let text = sent.text.unwrap_or_default();
        for name in (0..2).flat_map(of).map(full_name) {
            assert!(!text.contains(name.as_str()), "{name} in {text}");
        }
    }
    // The database: each cell's three approved, three waiting.
    let per_cell: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT cell_id, status, COUNT(*) FROM memberships WHERE user_id >= 1000
         GROUP BY cell_id, status ORDER BY 1, 2",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        per_cell,
        [
            (first, "approved".into(), 3),
            (first, "pending".into(), 3),
            (second, "approved".into(), 3),
            (second, "pending".into(), 3),
        ]
    );
    chain_intact(h).await;
}

/// The secretary sends the yearly comment sheets of twenty members one
/// after the other while those members report and accept (or respond to,
/// every other one) the sheet sent to them, all at once: every sheet ends
/// with its member, answered once; every report is taken once; /sheets
/// agrees with the database; the audit chain holds.
#[tokio::test]
async fn sheets_sent_in_a_row_while_their_members_report_and_accept() {
    const N: i64 = 20;
    let mut h = Harness::start().await;
    h.start_sender(SenderConfig {
        rate: 200.0,
        per_chat: std::time::Duration::from_millis(10),
        ..SenderConfig::default()
    })
    .await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let (h, secretary) = (&h, &secretary);
    join_all((0..N).map(|i| join(h, i, &code))).await;
    h.quiet().await;
    for card in cards(h, "ja:").values() {
        h.press(secretary, card, "✅ Duyệt").await;
    }
    h.quiet().await;
    let memberships: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT user_id - 1000, id FROM memberships WHERE user_id >= 1000 ORDER BY id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    let push = |data: String| async move {
        let update = h.api.callback(secretary, 1, &data);
        h.handled(update).await;
    };
    let desk = async {
        for (_, ms) in &memberships {
            push(format!("so:{ms}")).await;
            let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets WHERE membership_id = ?")
                .bind(ms)
                .fetch_one(&h.pool)
                .await
                .unwrap();
            for c in 0..6 {
                push(format!("sl:{sheet}:{c}:0")).await;
            }
            push(format!("ss:{sheet}")).await;
        }
    };
    let members = join_all(memberships.iter().map(|(i, _)| async move {
        report(h, *i).await;
        let user = member(*i);
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        let draft = loop {
            if let Some(draft) = h
                .api
                .sent(user.id)
                .into_iter()
                .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ma:")))
            {
                break draft;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{}: no sheet",
                user.id
            );
            h.api
                .wait_sent(
                    user.id,
                    h.api.sent_count(user.id) + 1,
                    std::time::Duration::from_secs(5),
                )
                .await;
        };
        if i % 2 == 0 {
            let accept = data_of(&draft, "ma:");
            let update = h.api.callback(&user, draft.message_id, &accept);
            h.handled(update).await;
        } else {
            let respond = data_of(&draft, "mr:");
            let update = h.api.callback(&user, draft.message_id, &respond);
            h.handled(update).await;
            h.say_concurrently(&user, &response(*i)).await;
        }
    }));
    tokio::join!(desk, members);
    h.quiet().await;

    let sheets: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT m.user_id - 1000, s.state, s.member_answer, s.member_response
         FROM sheets s JOIN memberships m ON m.id = s.membership_id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(sheets.len(), N as usize);
    for (i, state, answer, text) in &sheets {
        let expected = if i % 2 == 0 {
            (Some("accepted"), None)
        } else {
            (Some("responded"), Some(response(*i)))
        };
        assert_eq!(
            (state.as_str(), answer.as_deref(), text.clone()),
            ("with_member", expected.0, expected.1),
            "{i}"
        );
    }
    // /sheets agrees: each member once, their sheet accepted or responded to.
    let listed = h.ask(secretary, "/sheets").await;
    let text = listed.text.unwrap_or_default();
    for (i, _) in &memberships {
        let state = loader(Lang::Vi).get(if i % 2 == 0 {
            "sheet-state-accepted"
        } else {
            "sheet-state-responded"
        });
        let line = format!(" {} — {state}\n", full_name(*i));
        assert_eq!(format!("{text}\n").matches(&line).count(), 1, "{i}: {text}");
        // The secretary was told of each acceptance once.
        if i % 2 == 1 {
            continue;
        }
        let told = h
            .api
            .sent(SECRETARY)
            .iter()
            .filter(|s| {
                says(s.text.as_deref(), Lang::Vi, "secretary-told-accepted")
                    && s.text
                        .as_deref()
                        .unwrap()
                        .contains(&format!(" {} ", full_name(*i)))
            })
            .count();
        assert_eq!(told, 1, "{i}");
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM reports WHERE status = 'pending'")
            .await,
        N
    );
    let answered: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT action, COUNT(*), COUNT(DISTINCT subject_id) FROM audit_log
         WHERE subject = 'sheet' AND action LIKE 'member_%' GROUP BY action ORDER BY 1",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        answered,
        [
            ("member_accept".into(), N / 2, N / 2),
            ("member_respond".into(), N / 2, N / 2)
        ]
    );
    for sent in h.api.all_sent() {
        for lang in Lang::ALL {
            assert!(
                !says(sent.text.as_deref(), lang, "not-saved-try-again"),
                "{sent:?}"
            );
        }
    }
    chain_intact(h).await;
}

fn response(i: i64) -> String {
    format!("Góp ý của số {i}: đã tham gia dọn vệ sinh ngày 18/11.")
}
