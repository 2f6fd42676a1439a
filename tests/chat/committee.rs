//! The cell's committee (issue 8): the deputy secretary, nobody deciding
//! their own item, the ward's supervisors standing in, escalation of items
//! left pending, and the secretary's handover.

use lienhe::{
    cli::{Admin, InviteCommand},
    domain::Lang,
};

use crate::common::*;

/// The code in a `?start=` link of the user's last message.
pub fn start_code(text: &str) -> String {
    let start = text.find("?start=").expect("a deep link") + "?start=".len();
    text[start..].split_whitespace().next().unwrap().to_string()
}

pub fn approve_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "✅ Duyệt",
        Lang::En => "✅ Approve",
    }
}

/// The operator takes `role` (secretary or deputy) of `cell` away from
/// `user`; what the command printed.
async fn revoke_in_cell(h: &Harness, user: i64, role: lienhe::cli::RoleName, cell: i64) -> String {
    h.admin(Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user,
            role,
            workplace: None,
            ward: None,
            cell: Some(cell),
        },
    })
    .await
}

/// The secretary's `/invite deputy`, used by `deputy` with `name`.
pub async fn make_deputy(h: &Harness, secretary: &TgUser, deputy: &TgUser, name: &str) {
    let link = h.ask(secretary, "/invite deputy").await;
    assert!(
        says(
            link.text.as_deref(),
            lang_of(secretary),
            "deputy-invite-link"
        ),
        "{:?}",
        link.text
    );
    let code = start_code(&link.text.unwrap());
    let accepted = h.ask(deputy, &format!("/start {code}")).await;
    assert!(
        accepted
            .text
            .as_deref()
            .is_some_and(|t| t.contains(&lienhe::t!(lang_of(deputy), "ask-full-name"))),
        "{:?}",
        accepted.text
    );
    // The confirmation (the cards of the secretary's own pending items may
    // follow it).
    let replies = h.say(deputy, name).await;
    assert!(
        replies
            .iter()
            .any(|s| says(s.text.as_deref(), lang_of(deputy), "deputy-confirmed")),
        "{replies:?}"
    );
}

/// A supervisor of the ward through the operator's code.
pub async fn make_supervisor(h: &Harness, ward: i64, user: &TgUser) {
    let code = h.supervisor_code(ward).await;
    h.ask(user, &format!("/start {code}")).await;
}

pub async fn ward_of(h: &Harness, cell: i64) -> i64 {
    sqlx::query_scalar("SELECT ward_id FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// A report dated today, submitted; its id.
pub async fn submit_report(h: &Harness, user: &TgUser, text: &str) -> i64 {
    submit_report_with(h, user, text, &[]).await
}

/// A report dated today, with these photos, submitted; its id.
pub async fn submit_report_with(h: &Harness, user: &TgUser, text: &str, photos: &[&str]) -> i64 {
    let (kind, today, submit) = match lang_of(user) {
        Lang::Vi => ("Hoạt động khác", "Hôm nay", "Gửi báo cáo"),
        Lang::En => ("Other activity", "Today", "Submit"),
    };
    let summary = h
        .report_until_summary(user, kind, today, text, photos)
        .await;
    let label = summary
        .button_texts()
        .into_iter()
        .find(|l| l.contains(submit))
        .unwrap_or_else(|| panic!("no submit on {:?}", summary.buttons()));
    h.press(user, &summary, &label).await;
    sqlx::query_scalar("SELECT MAX(id) FROM reports WHERE user_id = ?")
        .bind(user.id)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// The last message to `user` with a button whose data is `data`.
pub fn card_with(h: &Harness, user: &TgUser, data: &str) -> Sent {
    h.api
        .sent(user.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d == data))
        .unwrap_or_else(|| panic!("no card with {data} for {}", user.id))
}

fn has_card(h: &Harness, user: &TgUser, data: &str) -> bool {
    h.api
        .sent(user.id)
        .iter()
        .any(|s| s.buttons().iter().any(|(_, d)| d == data))
}

/// Whether the user was sent (or shown, in an edited message) text `id`.
fn told(h: &Harness, user: &TgUser, lang: Lang, id: &str) -> bool {
    h.api
        .sent(user.id)
        .iter()
        .any(|s| says(s.text.as_deref(), lang, id))
}

/// The answer of a press is the localized refusal `id`.
#[track_caller]
pub fn refused(answer: &Call, lang: Lang, id: &str) {
    assert_eq!(answer.params["show_alert"], true, "{:?}", answer.params);
    assert!(
        says(answer.params["text"].as_str(), lang, id),
        "{:?} is not {id}",
        answer.params["text"]
    );
}

async fn membership_of(h: &Harness, user: &TgUser) -> (i64, String) {
    sqlx::query_as("SELECT id, status FROM memberships WHERE user_id = ? ORDER BY id DESC")
        .bind(user.id)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

async fn report_status(h: &Harness, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM reports WHERE id = ?")
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

async fn the_deputy_decides_the_secretarys_own_items(secretary: TgUser, deputy: TgUser) {
    let h = Harness::start().await;
    let member = vi_user(300, "An");
    let (s_lang, d_lang) = (lang_of(&secretary), lang_of(&deputy));
    h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    // The deputy's help and menu.
    let help = h.ask(&deputy, "/help").await;
    assert!(says(help.text.as_deref(), d_lang, "role-help-deputy"));
    let menu = h.api.calls_of("setMyCommands");
    let last = menu
        .iter()
        .rev()
        .find(|c| c.params["scope"]["chat_id"] == deputy.id)
        .expect("the deputy's menu");
    assert!(last.params["commands"].to_string().contains("\"pending\""));

    // The secretary's own join request goes to the deputy, not to them.
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let (own, status) = membership_of(&h, &secretary).await;
    assert_eq!(status, "pending");
    assert!(told(&h, &secretary, s_lang, "role-own-join-sent"));
    assert!(!has_card(&h, &secretary, &format!("ja:{own}")));
    let card = card_with(&h, &deputy, &format!("ja:{own}"));
    // Pressed by the secretary (the data of the deputy's card): refused.
    let (answer, _) = h
        .press_data(&secretary, card.message_id, &format!("ja:{own}"))
        .await;
    refused(&answer, s_lang, "not-allowed-own");
    assert_eq!(membership_of(&h, &secretary).await.1, "pending");
    h.press(&deputy, &card, approve_label(d_lang)).await;
    assert_eq!(membership_of(&h, &secretary).await.1, "approved");

    // The secretary's own report: to the deputy; the secretary is refused.
    let id = submit_report(&h, &secretary, "Họp tổ dân phố khối 5").await;
    assert!(told(&h, &secretary, s_lang, "role-own-report-sent"));
    assert!(!has_card(&h, &secretary, &format!("ra:{id}")));
    let card = card_with(&h, &deputy, &format!("ra:{id}"));
    let (answer, _) = h
        .press_data(&secretary, card.message_id, &format!("ra:{id}"))
        .await;
    refused(&answer, s_lang, "not-allowed-own");
    // The deputy's /pending lists it; the secretary's does not.
    let pending = h.say(&deputy, "/pending").await;
    assert!(says(pending[0].text.as_deref(), d_lang, "pending-header"));
    assert!(
        pending
            .iter()
            .any(|s| s.buttons().iter().any(|(_, d)| *d == format!("ra:{id}")))
    );
    let pending = h.say(&secretary, "/pending").await;
    assert!(
        !pending
            .iter()
            .any(|s| s.buttons().iter().any(|(_, d)| *d == format!("ra:{id}")))
    );
    h.press(&deputy, &card, approve_label(d_lang)).await;
    assert_eq!(report_status(&h, id).await, "approved");
    let told = h.last(&secretary);
    assert!(says(told.text.as_deref(), s_lang, "report-approved"));

    // A member's report goes to the secretary only; the deputy may decide it.
    let id = submit_report(&h, &member, "Tuyên truyền bầu cử").await;
    card_with(&h, &secretary, &format!("ra:{id}"));
    assert!(!has_card(&h, &deputy, &format!("ra:{id}")));
    let (answer, _) = h.press_data(&deputy, 1, &format!("ra:{id}")).await;
    assert_ne!(answer.params["show_alert"], true, "{:?}", answer.params);
    assert_eq!(report_status(&h, id).await, "approved");

    // The deputy sees /members.
    let members = h.ask(&deputy, "/members").await;
    assert!(says(members.text.as_deref(), d_lang, "members-header"));

    // The secretary's own sheet: refused to the secretary, drafted by the
    // deputy (who finds it in /sheets).
    let (own, _) = membership_of(&h, &secretary).await;
    let (answer, _) = h.press_data(&secretary, 1, &format!("so:{own}")).await;
    refused(&answer, s_lang, "not-allowed");
    let sheets = h.ask(&deputy, "/sheets").await;
    assert!(
        sheets
            .buttons()
            .iter()
            .any(|(_, d)| d.starts_with(&format!("yo:{own}:"))),
        "{:?}",
        sheets.buttons()
    );
    let sheets = h.ask(&secretary, "/sheets").await;
    assert!(
        !sheets
            .buttons()
            .iter()
            .any(|(_, d)| d.starts_with(&format!("yo:{own}:")))
    );
    let before = h.api.sent_count(deputy.id);
    let (answer, _) = h
        .press_data(&deputy, sheets.message_id, &format!("so:{own}"))
        .await;
    assert_ne!(answer.params["show_alert"], true, "{:?}", answer.params);
    assert!(h.api.sent_count(deputy.id) > before, "the draft is shown");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE membership_id = (SELECT id FROM memberships WHERE user_id = 100)")
            .await,
        1
    );
}

#[tokio::test]
async fn the_deputy_decides_the_secretarys_own_items_vi() {
    the_deputy_decides_the_secretarys_own_items(vi_user(100, "Bình"), vi_user(200, "Dũng")).await;
}

#[tokio::test]
async fn the_deputy_decides_the_secretarys_own_items_en() {
    the_deputy_decides_the_secretarys_own_items(en_user(100, "Binh"), en_user(200, "Dung")).await;
}

/// A card settled by someone who reads another language is rewritten in
/// the language of the card's own reader: the deputy (English) approves a
/// member's report, the secretary's card says so in Vietnamese.
#[tokio::test]
async fn a_settled_card_stays_in_its_readers_language() {
    let h = Harness::start().await;
    let (secretary, deputy, member) = (
        vi_user(100, "Bình"),
        en_user(200, "Dung"),
        vi_user(300, "An"),
    );
    h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let id = submit_report(&h, &member, "Tuyên truyền bầu cử").await;
    let card = card_with(&h, &secretary, &format!("ra:{id}"));
    let (answer, _) = h.press_data(&deputy, 1, &format!("ra:{id}")).await;
    assert_ne!(answer.params["show_alert"], true, "{:?}", answer.params);
    let settled = h.current(&card);
    assert!(settled.buttons().is_empty(), "{settled:?}");
    let text = settled.text.unwrap_or_default();
    assert!(says(Some(&text), Lang::Vi, "decided-approved"), "{text}");
    assert!(!says(Some(&text), Lang::En, "decided-approved"), "{text}");
}

async fn without_a_deputy_the_wards_supervisor_decides(secretary: TgUser, supervisor: TgUser) {
    let h = Harness::start().await;
    let member = vi_user(300, "An");
    let (s_lang, p_lang) = (lang_of(&secretary), lang_of(&supervisor));
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    make_supervisor(&h, ward, &supervisor).await;
    let help = h.ask(&supervisor, "/help").await;
    assert!(says(
        help.text.as_deref(),
        p_lang,
        "role-help-supervisor-decides"
    ));

    // The secretary's own join goes to the supervisor.
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let (own, _) = membership_of(&h, &secretary).await;
    let card = card_with(&h, &supervisor, &format!("ja:{own}"));
    h.press(&supervisor, &card, approve_label(p_lang)).await;
    assert_eq!(membership_of(&h, &secretary).await.1, "approved");

    // The secretary's own report: to the supervisor.
    let own_report = submit_report(&h, &secretary, "Họp chi bộ tháng 11").await;
    let card = card_with(&h, &supervisor, &format!("ra:{own_report}"));
    // A member's report: the supervisor may not decide it.
    let other = submit_report(&h, &member, "Vận động quỹ khuyến học").await;
    let (answer, _) = h
        .press_data(&supervisor, card.message_id, &format!("ra:{other}"))
        .await;
    refused(&answer, p_lang, "not-allowed");
    assert_eq!(report_status(&h, other).await, "pending");
    // The supervisor's /pending: the secretary's report only.
    let pending = h.say(&supervisor, "/pending").await;
    let data: Vec<String> = pending
        .iter()
        .flat_map(|s| s.buttons().into_iter().map(|(_, d)| d))
        .collect();
    assert!(data.contains(&format!("ra:{own_report}")), "{data:?}");
    assert!(!data.contains(&format!("ra:{other}")), "{data:?}");
    // The secretary is refused on the own report.
    let (answer, _) = h
        .press_data(&secretary, 1, &format!("ra:{own_report}"))
        .await;
    refused(&answer, s_lang, "not-allowed-own");
    h.press(&supervisor, &card, approve_label(p_lang)).await;
    assert_eq!(report_status(&h, own_report).await, "approved");

    // The secretary's sheet: the supervisor may open it, not the member's.
    let (member_ms, _) = membership_of(&h, &member).await;
    let (answer, _) = h
        .press_data(&supervisor, 1, &format!("so:{member_ms}"))
        .await;
    refused(&answer, p_lang, "not-allowed");
    let (answer, _) = h.press_data(&supervisor, 1, &format!("so:{own}")).await;
    assert_ne!(answer.params["show_alert"], true, "{:?}", answer.params);
    // And correct the month of introduction the secretary's sheet counts
    // from (the sheet shows them the button); not the member's.
    let (answer, _) = h
        .press_data(&supervisor, 1, &format!("yi:{member_ms}"))
        .await;
    refused(&answer, p_lang, "not-allowed");
    h.press_data(&supervisor, 1, &format!("yi:{own}")).await;
    let asked = h.last(&supervisor);
    assert!(
        says(asked.text.as_deref(), p_lang, "intro-correct-ask"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn without_a_deputy_the_wards_supervisor_decides_vi() {
    without_a_deputy_the_wards_supervisor_decides(vi_user(100, "Bình"), vi_user(800, "Giám sát"))
        .await;
}

#[tokio::test]
async fn without_a_deputy_the_wards_supervisor_decides_en() {
    without_a_deputy_the_wards_supervisor_decides(en_user(100, "Binh"), en_user(800, "Supervisor"))
        .await;
}

#[tokio::test]
async fn items_left_pending_go_to_the_deputy_after_7_days_and_to_the_supervisors_after_14() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = en_user(200, "Dung");
    let supervisor = vi_user(800, "Giám sát");
    let cell = h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    make_supervisor(&h, ward_of(&h, cell).await, &supervisor).await;
    let id = submit_report(&h, &member, "Họp tổ dân phố").await;
    let secretary_card = card_with(&h, &secretary, &format!("ra:{id}"));
    let offered = format!("ra:{id}");

    // Nothing before a week.
    h.set_local(2026, 11, 26, 10, 0);
    let tick = h.tick().await;
    assert_eq!(tick.escalated.offered, 0);
    assert!(!has_card(&h, &deputy, &offered));

    // After 8 days: also offered to the deputy, once.
    h.set_local(2026, 11, 28, 10, 0);
    assert_eq!(h.tick().await.escalated.offered, 1);
    h.drain().await;
    let card = card_with(&h, &deputy, &offered);
    assert!(
        says(card.text.as_deref(), Lang::En, "escalation-offered"),
        "{:?}",
        card.text
    );
    assert_eq!(h.tick().await.escalated, Default::default());
    h.restart().await;
    assert_eq!(h.tick().await.escalated, Default::default());
    // The month's digest (due on the 25th) went to the deputy too.
    assert!(
        h.api
            .sent(deputy.id)
            .iter()
            .any(|s| says(s.text.as_deref(), Lang::En, "digest-header")),
        "the deputy's digest"
    );

    // After 15 days: the ward's supervisors are told, once.
    h.set_local(2026, 12, 5, 10, 0);
    let tick = h.tick().await;
    assert_eq!(tick.escalated.offered, 0);
    assert_eq!(tick.escalated.supervisors, 1);
    h.drain().await;
    let note = h
        .api
        .sent(supervisor.id)
        .into_iter()
        .find(|s| says(s.text.as_deref(), Lang::Vi, "escalation-supervisors"))
        .expect("the supervisor is told");
    let text = note.text.unwrap();
    assert!(
        text.contains("Chi bộ khối 5: 0 yêu cầu tham gia, 1 báo cáo"),
        "{text}"
    );
    h.restart().await;
    assert_eq!(h.tick().await.escalated, Default::default());
    assert_eq!(h.count("SELECT COUNT(*) FROM escalations").await, 2);

    // The deputy decides on the offered card: the secretary's card settles.
    let card = h.current(&card);
    h.press(&deputy, &card, "✅ Approve").await;
    assert_eq!(report_status(&h, id).await, "approved");
    assert!(h.current(&secretary_card).reply_markup.is_none());
    assert!(h.current(&card).reply_markup.is_none());
}

/// A cell of 26 members with a deputy (Dung, English) and 26 reports
/// waiting, An's and one of each seeded member's, all sent on 20/11/2026.
async fn backlog_of_26_reports(h: &Harness) -> (i64, TgUser) {
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = en_user(200, "Dung");
    let cell = h.cell_with_member(&secretary, &member).await;
    make_deputy(h, &secretary, &deputy, "Phạm Văn Dũng").await;
    seed_members(h, cell, 1000, 25).await;
    submit_report(h, &member, "Họp tổ dân phố").await;
    sqlx::query(
        "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                              description, status, created_at)
         SELECT 'seed-' || m.user_id, m.id, m.user_id, m.cell_id, r.kind_id, r.activity_date,
                'Dọn vệ sinh', 'pending', r.created_at
         FROM memberships m, reports r WHERE m.user_id >= 1000",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    (cell, deputy)
}

/// What the deputy got since `before`: ten cards with `data_prefix` and
/// one note `note` counting the 16 others, pointing to /pending; nothing
/// else. The deputy's /pending lists all 26.
async fn ten_cards_and_a_note(
    h: &Harness,
    deputy: &TgUser,
    before: usize,
    note: &str,
    says_more: &str,
) {
    let got = h.api.sent(deputy.id).split_off(before);
    let cards = got
        .iter()
        .filter(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ra:")))
        .count();
    let notes: Vec<String> = got
        .iter()
        .filter_map(|s| s.text.clone())
        .filter(|t| says(Some(t), Lang::En, note))
        .collect();
    assert_eq!(cards, 10, "{got:#?}");
    assert_eq!(notes.len(), 1, "{got:#?}");
    assert!(
        notes[0].contains(says_more) && notes[0].contains("/pending"),
        "{}",
        notes[0]
    );
    assert_eq!(got.len(), 11, "{got:#?}");
    let pending = h.say(deputy, "/pending").await;
    assert!(
        pending[0]
            .text
            .as_deref()
            .unwrap_or_default()
            .contains("26"),
        "{pending:?}"
    );
}

/// A big cell's secretary away for a week while 26 reports wait: the
/// deputy is offered the ten oldest as cards and told of the 16 others in
/// one note pointing to /pending, not sent 26 cards (and their photos) at
/// once; nothing is offered again at the next look.
#[tokio::test]
async fn a_weeks_backlog_is_offered_to_the_deputy_as_ten_cards_and_a_note() {
    let h = Harness::start().await;
    let (_, deputy) = backlog_of_26_reports(&h).await;
    // The month's round (the 25th) out of the way.
    h.set_local(2026, 11, 25, 8, 0);
    assert_eq!(h.tick().await.escalated, Default::default());
    h.drain().await;
    let before = h.api.sent(deputy.id).len();

    h.set_local(2026, 11, 28, 10, 0);
    assert_eq!(h.tick().await.escalated.offered, 26);
    h.drain().await;
    assert_eq!(h.tick().await.escalated, Default::default());
    let more = "Chi bộ khối 5: 16 more join requests and reports have";
    ten_cards_and_a_note(&h, &deputy, before, "escalation-offered-more", more).await;
}

/// The same backlog, the process killed after the deputy's cards were
/// queued and before the note counting the others (here: the note's
/// insert fails, as a kill there would leave it): the next look neither
/// offers ten more cards nor forgets the note. The deputy ends with ten
/// cards and one note, as without the kill.
#[tokio::test]
async fn a_kill_before_the_deputys_note_never_offers_ten_more_cards() {
    let h = Harness::start().await;
    let (_, deputy) = backlog_of_26_reports(&h).await;
    h.set_local(2026, 11, 25, 8, 0);
    assert_eq!(h.tick().await.escalated, Default::default());
    h.drain().await;
    let before = h.api.sent(deputy.id).len();

    h.set_local(2026, 11, 28, 10, 0);
    sqlx::raw_sql(
        "CREATE TRIGGER killed_before_the_note BEFORE INSERT ON outbox
         WHEN NEW.chat_id = 200 AND json_extract(NEW.payload, '$.card') IS NULL
         BEGIN SELECT RAISE(ABORT, 'killed'); END;",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    let schedule = lienhe::jobs::scheduler::Schedule {
        cards: Some(lienhe::bot::decisions::CARDS),
        ..Default::default()
    };
    let killed = lienhe::jobs::scheduler::tick(&h.app(), &schedule).await;
    assert!(killed.is_err());
    sqlx::raw_sql("DROP TRIGGER killed_before_the_note")
        .execute(&h.pool)
        .await
        .unwrap();
    h.tick().await;
    h.drain().await;
    assert_eq!(h.tick().await.escalated, Default::default());
    let more = "Chi bộ khối 5: 16 more join requests and reports have";
    ten_cards_and_a_note(&h, &deputy, before, "escalation-offered-more", more).await;
}

/// The operator revokes the secretary of a big cell with 26 reports
/// waiting: the deputy, who decides them now, gets ten cards and one note
/// counting the 16 others, pointing to /pending, not 26 cards at once.
#[tokio::test]
async fn a_revoked_secretarys_backlog_reaches_the_deputy_as_ten_cards_and_a_note() {
    let h = Harness::start().await;
    let (cell, deputy) = backlog_of_26_reports(&h).await;
    h.drain().await;
    let before = h.api.sent(deputy.id).len();
    let out = revoke_in_cell(&h, 100, lienhe::cli::RoleName::Secretary, cell).await;
    assert!(out.ends_with("revoked"), "{out}");
    h.drain().await;
    let more = "Chi bộ khối 5: 16 more join requests and reports wait";
    ten_cards_and_a_note(&h, &deputy, before, "cards-more", more).await;
}

/// The operator's secretary code for a cell that has a secretary (a
/// handover), used by `new` as `name`: the command's output and the
/// confirmation `new` gets.
async fn take_over(h: &Harness, cell: i64, new: &TgUser, name: &str) -> (String, Sent) {
    let out = h
        .admin(Admin::Invite {
            command: InviteCommand::Secretary { cell },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    h.ask(new, &format!("/start {code}")).await;
    (out, h.ask(new, name).await)
}

/// Cards follow a change of the committee: a member whose report waits
/// takes over as secretary (the report goes to the deputy, in the deputy's
/// language; the new secretary gets no card of their own report), then the
/// operator takes the secretary's role away (the waiting join request goes
/// to the deputy, who decides it).
#[tokio::test]
async fn waiting_items_are_carded_to_whoever_decides_them_after_a_change() {
    let h = Harness::start().await;
    let old = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = en_user(200, "Dung");
    let cell = h.cell_with_member(&old, &member).await;
    make_deputy(&h, &old, &deputy, "Phạm Văn Dũng").await;
    let report = submit_report(&h, &member, "Vận động quỹ khuyến học").await;
    let code = h.invite_code(&old).await;
    h.request_join(&vi_user(400, "Cúc"), &code, "Phạm Thị Cúc")
        .await;
    let join: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 400")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.drain().await;
    let (report_data, join_data) = (format!("ra:{report}"), format!("ja:{join}"));
    assert!(!has_card(&h, &deputy, &report_data));

    take_over(&h, cell, &member, "Nguyễn Văn An").await;
    h.drain().await;
    let card = card_with(&h, &deputy, &report_data);
    assert!(label_of(&card, &report_data).is_some_and(|l| l.contains("Approve")));
    assert!(!has_card(&h, &member, &report_data), "not their own");
    assert!(
        !has_card(&h, &deputy, &join_data),
        "the new secretary decides it"
    );

    let out = revoke_in_cell(&h, member.id, lienhe::cli::RoleName::Secretary, cell).await;
    assert!(out.ends_with("revoked"), "{out}");
    h.drain().await;
    // Each item carded once to the deputy, whatever changed twice.
    let cards = |data: &str| {
        h.api
            .sent(deputy.id)
            .iter()
            .filter(|s| s.buttons().iter().any(|(_, d)| d == data))
            .count()
    };
    assert_eq!((cards(&report_data), cards(&join_data)), (1, 1));
    let card = card_with(&h, &deputy, &join_data);
    h.press(&deputy, &card, &label_of(&card, &join_data).unwrap())
        .await;
    let status: String = sqlx::query_scalar("SELECT status FROM memberships WHERE id = ?")
        .bind(join)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(status, "approved");
}

/// A deputy code made by a secretary who has since been replaced no longer
/// works, for them or anyone: the one replaced could otherwise make
/// themselves deputy with it and get the committee's rights back.
#[tokio::test]
async fn a_replaced_secretarys_deputy_code_no_longer_works() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let old = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let new = user_in(lang, 150, "Châu");
        let cell = h.cell_with_member(&old, &member).await;
        let code = start_code(&h.ask(&old, "/invite deputy").await.text.unwrap());
        take_over(&h, cell, &new, "Ngô Minh Châu").await;
        for who in [&old, &member] {
            let refused = h.ask(who, &format!("/start {code}")).await;
            assert!(
                says(refused.text.as_deref(), lang, "invite-revoked"),
                "{:?}",
                refused.text
            );
        }
        assert_eq!(h.count("SELECT COUNT(*) FROM cell_deputies").await, 0);
        // The new secretary's own code works.
        make_deputy(&h, &new, &member, "Nguyễn Văn An").await;
        assert_eq!(h.count("SELECT COUNT(*) FROM cell_deputies").await, 1);
    }
}

/// A secretary taking over is told how many join requests and reports wait
/// (the one before's own included, the new secretary's own left out).
#[tokio::test]
async fn a_new_secretary_is_told_what_waits() {
    let h = Harness::start().await;
    let old = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let new = vi_user(150, "Châu");
    let cell = h.cell_with_member(&old, &member).await;
    submit_report(&h, &member, "Vận động quỹ khuyến học").await;
    let code = h.invite_code(&old).await;
    h.request_join(&vi_user(400, "Cúc"), &code, "Phạm Thị Cúc")
        .await;
    h.request_join(&new, &code, "Ngô Minh Châu").await;
    let (_, confirmed) = take_over(&h, cell, &new, "Ngô Minh Châu").await;
    let text = confirmed.text.unwrap_or_default();
    assert!(says(Some(&text), Lang::Vi, "secretary-confirmed"), "{text}");
    let waiting = lienhe::t!(Lang::Vi, "secretary-items-waiting", joins = 1, reports = 1);
    assert!(text.contains(&waiting), "{text}");
}

#[tokio::test]
async fn a_handover_takes_the_old_secretarys_rights() {
    let h = Harness::start().await;
    let old = vi_user(100, "Bình");
    let member = en_user(300, "An");
    let new = en_user(150, "Chau");
    let cell = h.cell_with_member(&old, &member).await;
    let id = submit_report(&h, &member, "Residents' meeting").await;
    let old_card = card_with(&h, &old, &format!("ra:{id}"));

    let (out, confirmed) = take_over(&h, cell, &new, "Ngô Minh Châu").await;
    assert!(out.contains("handover"), "{out}");
    let code = out.lines().last().unwrap().to_string();
    assert!(says(
        confirmed.text.as_deref(),
        Lang::En,
        "secretary-confirmed"
    ));
    // Told what the one before left waiting.
    // Only what waits is named (no "0 join requests").
    let waiting = lienhe::t!(Lang::En, "secretary-items-waiting", joins = 0, reports = 1);
    assert!(
        waiting.contains("decision: 1 report.") && !waiting.contains("join"),
        "{waiting}"
    );
    assert!(
        confirmed
            .text
            .as_deref()
            .unwrap_or_default()
            .contains(&waiting),
        "{:?}",
        confirmed.text
    );
    h.drain().await;
    let told = h.last(&old);
    assert!(
        says(told.text.as_deref(), Lang::Vi, "handover-old-secretary"),
        "{:?}",
        told.text
    );
    // The old card no longer works (it says why and loses its buttons);
    // the new secretary decides.
    let (answer, _) = h.press(&old, &old_card, "✅ Duyệt").await;
    refused(&answer, Lang::Vi, "committee-role-gone-now");
    assert_eq!(report_status(&h, id).await, "pending");
    let pending = h.say(&new, "/pending").await;
    let card = pending
        .iter()
        .find(|s| s.button_data("✅ Approve") == Some(format!("ra:{id}")))
        .expect("the report in the new secretary's /pending")
        .clone();
    h.press(&new, &card, "✅ Approve").await;
    assert_eq!(report_status(&h, id).await, "approved");
    // The old secretary's card loses its buttons and is not told the
    // outcome.
    let now_shown = h.current(&old_card);
    assert_eq!(now_shown.text, old_card.text);
    assert!(now_shown.button_texts().is_empty());
    // The old secretary's menu lost the secretary's commands.
    let menu = h
        .api
        .calls_of("setMyCommands")
        .into_iter()
        .rev()
        .find(|c| c.params["scope"]["chat_id"] == old.id)
        .expect("the old secretary's menu");
    assert!(!menu.params["commands"].to_string().contains("\"pending\""));
    // Their /pending says the role ended, not whom it is for.
    let help = h.ask(&old, "/pending").await;
    assert!(
        says(help.text.as_deref(), Lang::Vi, "command-role-gone"),
        "{:?}",
        help.text
    );
    // The operator's listings: the used handover code, the cell's members
    // with the ids other commands take.
    let list = h
        .admin(Admin::Invite {
            command: InviteCommand::List { cell: Some(cell) },
        })
        .await;
    let used = list
        .lines()
        .find(|l| l.starts_with(&code))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        used.contains("handover") && used.ends_with("by 150"),
        "{used}"
    );
    let members = h
        .admin(Admin::Member {
            command: lienhe::cli::MemberCommand::List { cell },
        })
        .await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 300")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let row = members
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{id} ")))
        .unwrap_or_else(|| panic!("{members}"));
    assert!(
        row.contains("Nguyễn Văn An")
            && row.contains("approved")
            && row.contains("Sở Tư pháp tỉnh Nghệ An"),
        "{row}"
    );
    assert_eq!(members.lines().last(), Some("1"));
    // Granted and taken away, in the audit log.
    let roles: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT action, subject_id, actor FROM audit_log WHERE subject = 'user' ORDER BY id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        roles,
        [
            ("grant_role".into(), 100, Some(100)),
            ("revoke_role".into(), 100, Some(150)),
            ("grant_role".into(), 150, Some(150)),
        ]
    );
}

#[tokio::test]
async fn a_deputy_through_the_operator_replaces_the_previous_one() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let first = vi_user(200, "Dũng");
    let second = en_user(210, "Giang");
    let cell = h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &first, "Phạm Văn Dũng").await;
    let out = h
        .admin(Admin::Invite {
            command: InviteCommand::Deputy { cell },
        })
        .await;
    assert!(out.contains("Deputy secretary invite"), "{out}");
    let code = out.lines().last().unwrap().to_string();
    let accepted = h.ask(&second, &format!("/start {code}")).await;
    assert!(
        says(accepted.text.as_deref(), Lang::En, "deputy-invite-accepted"),
        "{:?}",
        accepted.text
    );
    let confirmed = h.ask(&second, "Lê Thu Giang").await;
    assert!(says(
        confirmed.text.as_deref(),
        Lang::En,
        "deputy-confirmed"
    ));
    h.drain().await;
    assert!(says(
        h.last(&first).text.as_deref(),
        Lang::Vi,
        "deputy-replaced"
    ));
    // The code is used: a second use is refused.
    let again = h.ask(&first, &format!("/start {code}")).await;
    assert!(says(again.text.as_deref(), Lang::Vi, "invite-used"));
    let deputy: i64 = sqlx::query_scalar("SELECT user_id FROM cell_deputies WHERE cell_id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(deputy, second.id);

    // The operator takes the role away: audited; a second time is an error.
    let out = revoke_in_cell(&h, second.id, lienhe::cli::RoleName::Deputy, cell).await;
    assert!(out.ends_with("revoked"), "{out}");
    let err = lienhe::cli::admin(
        &h.pool,
        lienhe::clock::Clock::now(h.clock.as_ref()),
        TZ,
        Admin::Role {
            command: lienhe::cli::RoleCommand::Revoke {
                user: second.id,
                role: lienhe::cli::RoleName::Deputy,
                workplace: None,
                ward: None,
                cell: Some(cell),
            },
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("is not deputy of cell"), "{err}");
    let (answer, _) = h.press_data(&second, 1, "op").await;
    refused(&answer, Lang::En, "not-allowed");
    let revoked = h
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'revoke_role' AND subject_id = 210")
        .await;
    assert_eq!(revoked, 1);
    let granted = h
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'revoke_role' AND subject_id = 200")
        .await;
    assert_eq!(granted, 1, "the first deputy was replaced");
}

#[tokio::test]
async fn the_deputy_writes_and_signs_the_secretarys_sheet() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = vi_user(200, "Dũng");
    h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let (own, _) = membership_of(&h, &secretary).await;
    let card = card_with(&h, &deputy, &format!("ja:{own}"));
    h.press(&deputy, &card, "✅ Duyệt").await;

    let sheet = h.open_sheet(&deputy, own).await;
    for criterion in 0..6 {
        let (answer, _) = h
            .press_data(&deputy, 1, &format!("sl:{sheet}:{criterion}:0"))
            .await;
        assert_ne!(answer.params["show_alert"], true, "{:?}", answer.params);
    }
    // The secretary may not send or sign their own sheet.
    for data in [format!("ss:{sheet}"), format!("sg:{sheet}")] {
        let (answer, _) = h.press_data(&secretary, 1, &data).await;
        refused(&answer, Lang::Vi, "not-allowed");
    }
    h.press_data(&deputy, 1, &format!("ss:{sheet}")).await;
    // Accept carries the draft's tag: "ma:{sheet}:{tag}".
    let accept = format!("ma:{sheet}:");
    let draft = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rev()
        .find(|s| s.buttons().iter().any(|(_, d)| d.starts_with(&accept)))
        .expect("the draft sent to the secretary");
    h.press(&secretary, &draft, "✅ Đồng ý").await;
    // The deputy, who writes it, is told; the deputy signs.
    let told = |user: &TgUser| {
        h.api
            .sent(user.id)
            .iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "secretary-told-accepted"))
    };
    assert!(told(&deputy) && !told(&secretary));
    let (answer, _) = h.press_data(&deputy, 1, &format!("sg:{sheet}")).await;
    assert_ne!(answer.params["show_alert"], true, "{:?}", answer.params);
    let (state, signer): (String, i64) =
        sqlx::query_as("SELECT state, signed_by FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), signer), ("signed", deputy.id));

    // The copies go to the member and to the deputy who signed (not twice
    // to the secretary, who is the member here); the sheet says who signed.
    h.wait_documents(deputy.id, 2).await;
    h.wait_documents(secretary.id, 2).await;
    let documents = |user: &TgUser| {
        h.api
            .sent(user.id)
            .iter()
            .filter(|s| s.method == "senddocument")
            .count()
    };
    assert_eq!((documents(&deputy), documents(&secretary)), (2, 2));
    let code: String = sqlx::query_scalar("SELECT code FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let verified = h.ask(&member, &format!("/verify {code}")).await;
    let text = verified.text.unwrap();
    assert!(
        text.contains("đồng chí Phạm Văn Dũng (phó bí thư) ký"),
        "{text}"
    );
    let xml = h.first_docx(deputy.id);
    assert!(
        xml.contains("PHÓ BÍ THƯ") && xml.contains("Phạm Văn Dũng"),
        "the deputy's signature block"
    );
}

#[tokio::test]
async fn a_new_deputy_takes_over_the_secretarys_items_from_the_supervisors() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let supervisor = vi_user(800, "Giám sát");
    let deputy = en_user(200, "Dung");
    let cell = h.cell_with_member(&secretary, &member).await;
    make_supervisor(&h, ward_of(&h, cell).await, &supervisor).await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let (own, _) = membership_of(&h, &secretary).await;
    let supervisors_card = card_with(&h, &supervisor, &format!("ja:{own}"));

    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    h.drain().await;
    let card = card_with(&h, &deputy, &format!("ja:{own}"));
    // Now the cell has a deputy: the supervisor's card is refused, saying
    // who decides it now, and loses its buttons.
    let (answer, _) = h.press(&supervisor, &supervisors_card, "✅ Duyệt").await;
    refused(&answer, Lang::Vi, "supervisor-item-taken");
    assert!(
        answer.params["text"]
            .as_str()
            .is_some_and(|t| t.contains("Phạm Văn Dũng")),
        "{:?}",
        answer.params
    );
    assert!(h.current(&supervisors_card).reply_markup.is_none());
    assert_eq!(membership_of(&h, &secretary).await.1, "pending");
    h.press(&deputy, &card, "✅ Approve").await;
    assert_eq!(membership_of(&h, &secretary).await.1, "approved");
    // Decided: the supervisor's card shows it too.
    assert!(h.current(&supervisors_card).reply_markup.is_none());
}

/// A role revoked from the command line (which cannot reach Telegram)
/// takes its commands out of the user's menu at their next message; the
/// menu is set once, not at every message.
async fn revoked_role_leaves_the_menu(lang: Lang) {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = user_in(lang, 200, "Dũng");
    let cell = h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let menus = |h: &Harness| -> Vec<Vec<String>> {
        h.api
            .calls_of("setMyCommands")
            .iter()
            .filter(|c| c.params["scope"]["chat_id"] == deputy.id)
            .map(|c| {
                c.params["commands"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["command"].as_str().unwrap().to_owned())
                    .collect()
            })
            .collect()
    };
    let set = menus(&h);
    assert!(
        set.last()
            .is_some_and(|m| m.contains(&"pending".to_owned())),
        "{set:?}"
    );
    // Messages while nothing changed set nothing.
    h.ask(&deputy, "/help").await;
    h.ask(&deputy, "/pending").await;
    assert_eq!(menus(&h).len(), set.len());

    revoke_in_cell(&h, deputy.id, lienhe::cli::RoleName::Deputy, cell).await;
    let help = h.ask(&deputy, "/help").await;
    assert!(
        !help.text.as_deref().unwrap().contains("/pending"),
        "{help:?}"
    );
    let now = menus(&h);
    assert_eq!(now.len(), set.len() + 1, "{now:?}");
    let menu = now.last().unwrap();
    assert!(
        !menu.contains(&"pending".to_owned()) && menu.contains(&"help".to_owned()),
        "{menu:?}"
    );
    let stored: Option<String> = sqlx::query_scalar("SELECT menu FROM users WHERE id = 200")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(
        stored,
        Some(lienhe::domain::permissions::Roles::default().menu_key(lang))
    );
    h.ask(&deputy, "/help").await;
    assert_eq!(menus(&h).len(), now.len(), "set once");
}

#[tokio::test]
async fn a_role_revoked_from_the_command_line_leaves_the_menu() {
    revoked_role_leaves_the_menu(Lang::Vi).await;
}

#[tokio::test]
async fn a_role_revoked_from_the_command_line_leaves_the_menu_in_english() {
    revoked_role_leaves_the_menu(Lang::En).await;
}

/// The secretary and the deputy set criteria of one draft at the same
/// moment (each from their own chat): every choice is kept, none lost to
/// the other's write.
#[tokio::test]
async fn criteria_set_at_once_by_secretary_and_deputy_are_all_kept() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = vi_user(200, "Dũng");
    h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let (membership, _) = membership_of(&h, &member).await;
    let sheet = h.open_sheet(&secretary, membership).await;
    for criterion in 0..3 {
        let a = h
            .api
            .callback(&secretary, 1, &format!("sl:{sheet}:{criterion}:0"));
        let b = h
            .api
            .callback(&deputy, 1, &format!("sl:{sheet}:{}:0", criterion + 3));
        h.handled(a).await;
        h.handled(b).await;
    }
    h.quiet().await;
    let criteria: String = sqlx::query_scalar("SELECT criteria FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(criteria, "[0,0,0,0,0,0]");
}

/// A new deputy code replaces the unused one (two people could both take
/// the post, the second silently replacing the first); a role code tapped
/// again by whoever used it says so, not "already used".
#[tokio::test]
async fn a_new_deputy_code_replaces_the_unused_one_and_a_used_code_knows_its_user() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        h.cell_with_member(&secretary, &member).await;
        let first = h.ask(&secretary, "/invite deputy").await.text.unwrap();
        assert!(!first.contains(&text_of(lang, "invite-earlier-code-revoked")));
        let second = h.ask(&secretary, "/invite deputy").await.text.unwrap();
        // Whoever made the code is told that the earlier one went.
        assert!(second.contains(&text_of(lang, "invite-earlier-code-revoked")));
        let (first, second) = (start_code(&first), start_code(&second));
        // The second code's audit entry records the one it revoked.
        let audited: i64 = h
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'create_invite'
                   AND json_extract(details, '$.kind') = 'deputy'
                   AND json_extract(details, '$.replaced') = 1",
            )
            .await;
        assert_eq!(audited, 1);
        let late = user_in(lang, 301, "Cường");
        let refused = h.ask(&late, &format!("/start {first}")).await;
        assert!(
            says(refused.text.as_deref(), lang, "invite-revoked"),
            "{:?}",
            refused.text
        );
        let accepted = h.ask(&member, &format!("/start {second}")).await;
        assert!(says(
            accepted.text.as_deref(),
            lang,
            "deputy-invite-accepted"
        ));

        // An officer's code, tapped twice.
        let workplace: i64 = h.count("SELECT MIN(id) FROM workplaces").await;
        let code = h.officer_code(workplace).await;
        let officer = user_in(lang, 700, "Cán bộ");
        h.ask(&officer, &format!("/start {code}")).await;
        let again = h.ask(&officer, &format!("/start {code}")).await;
        assert!(
            says(again.text.as_deref(), lang, "invite-used-by-you"),
            "{:?}",
            again.text
        );
        // Anybody else: used.
        let other = h.ask(&late, &format!("/start {code}")).await;
        assert!(
            other
                .text
                .unwrap()
                .starts_with(&lienhe::i18n::loader(lang).get("invite-used"))
        );
    }
}

/// The month's digest queued to the secretary while Telegram could not be
/// reached (the sender stopped here) is not sent once another took over
/// meanwhile: it names the cell's members to someone who may no longer
/// see them. The member's reminder still goes.
#[tokio::test]
async fn a_digest_queued_to_a_secretary_replaced_meanwhile_is_not_sent() {
    let mut h = Harness::start().await;
    let old = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&old, &member).await;
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 100 AND status = 'queued'")
            .await,
        1,
        "the digest waits"
    );
    let new = en_user(150, "Chau");
    take_over(&h, cell, &new, "Ngô Minh Châu").await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let digests: Vec<Sent> = h
        .api
        .sent(100)
        .into_iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "digest-header"))
        .collect();
    assert!(digests.is_empty(), "{digests:?}");
    assert!(
        h.api
            .sent(300)
            .iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "reminder-member")),
        "{:?}",
        h.api.sent(300)
    );
}

/// A secretary of two cells replaced in one of them while the month's
/// digest waited in the outbox (Telegram could not be reached) gets the
/// digest once, about the cell they keep only: the lost cell's members are
/// no longer theirs to see.
#[tokio::test]
async fn a_digest_queued_to_a_secretary_replaced_in_one_of_two_cells_keeps_the_other() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let first = vi_user(300, "An");
    h.cell_with_member(&secretary, &first).await;
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, other, "Trần Thị Bình").await;
    insert_members(&h, other, None, 2000, 2, "approved").await;
    // A join request waits in the lost cell only.
    insert_members(&h, other, None, 2100, 1, "pending").await;
    sqlx::query("UPDATE memberships SET full_name = 'Lê Thị Mai Khối Bảy' WHERE user_id = 2000")
        .execute(&h.pool)
        .await
        .unwrap();
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    let queued: String = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE chat_id = 100 AND broadcast_id IS NOT NULL",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert!(
        queued.contains("Chi bộ khối 7") && queued.contains("Chi bộ khối 5"),
        "{queued}"
    );
    let new = en_user(150, "Chau");
    take_over(&h, other, &new, "Ngô Minh Châu").await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let digests = digests_to(&h, 100, Lang::Vi, "digest-header");
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert!(digests[0].contains("Chi bộ khối 5"), "{}", digests[0]);
    assert!(
        !digests[0].contains("Chi bộ khối 7") && !digests[0].contains("Khối Bảy"),
        "{}",
        digests[0]
    );
    // Nothing of the kept cell waits: no button to an empty list.
    let sent = h
        .api
        .sent(100)
        .into_iter()
        .find(|s| says(s.text.as_deref(), Lang::Vi, "digest-header"))
        .unwrap();
    assert!(sent.buttons().is_empty(), "{sent:?}");
    // The row says what went out (as /forgetme would edit it).
    let sent: String = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE chat_id = 100 AND broadcast_id IS NOT NULL",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert!(!sent.contains("Chi bộ khối 7"), "{sent}");
    // The new secretary's own digest is theirs to get next month.
    assert!(digests_to(&h, 150, Lang::En, "digest-header").is_empty());
}

/// A secretary whose role is revoked while a card for them is still
/// queued does not get it afterwards; whoever decides now (the deputy) is
/// carded instead.
#[tokio::test]
async fn a_revoked_secretarys_queued_cards_are_not_delivered() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let deputy = vi_user(200, "Dũng");
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    h.stop_sender().await;
    let report = submit_report(&h, &member, "Dọn vệ sinh khu phố").await;
    let queued_to = |chat: i64| {
        let pool = h.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM outbox
                 WHERE chat_id = ? AND status = 'queued'
                   AND json_extract(payload, '$.card.subject') = 'report'
                   AND json_extract(payload, '$.card.id') = ?",
            )
            .bind(chat)
            .bind(report)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        queued_to(secretary.id).await,
        1,
        "the card waits in the outbox"
    );
    revoke_in_cell(&h, secretary.id, lienhe::cli::RoleName::Secretary, cell).await;
    assert_eq!(queued_to(secretary.id).await, 0, "dropped with the role");
    let before = h.api.sent_count(secretary.id);
    h.start_sender(lienhe::jobs::sender::SenderConfig::default())
        .await;
    h.drain().await;
    assert_eq!(h.api.sent_count(secretary.id), before);
    assert!(
        h.api
            .sent(deputy.id)
            .iter()
            .any(|s| says(s.text.as_deref(), Lang::Vi, "report-card")),
        "the deputy decides now"
    );
}

/// A secretary replaced by a new one (the ward's secretary link) while a
/// report's photos and card still wait in the outbox gets neither: the new
/// secretary decides now, and is told what waits.
#[tokio::test]
async fn a_replaced_secretary_gets_no_queued_photos_or_cards() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = en_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    h.stop_sender().await;
    let summary = h
        .report_until_summary(
            &member,
            "Other activity",
            "Today",
            "Street cleaning",
            &["ph-a", "ph-b"],
        )
        .await;
    let submit = summary
        .button_texts()
        .into_iter()
        .find(|l| l.contains("Submit"))
        .unwrap();
    h.press(&member, &summary, &submit).await;
    let queued_to = |chat: i64| {
        let pool = h.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND status = 'queued'
                   AND (json_extract(payload, '$.card') IS NOT NULL
                        OR json_extract(payload, '$.photos') IS NOT NULL)",
            )
            .bind(chat)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        queued_to(secretary.id).await,
        2,
        "the photos and the card wait"
    );
    let successor = vi_user(150, "Cường");
    h.make_secretary(&successor, cell, "Lê Văn Cường").await;
    assert_eq!(queued_to(secretary.id).await, 0, "dropped with the role");
    let before = h.api.sent_count(secretary.id);
    h.start_sender(default_sender()).await;
    h.drain().await;
    let handed = h.api.sent(secretary.id).split_off(before);
    assert!(
        handed
            .iter()
            .all(|s| s.method == "sendmessage" && s.reply_markup.is_none()),
        "only the hand-over notice: {handed:?}"
    );
    // The new secretary is told what waits for them, and finds it.
    let welcome = h.last(&successor).text.unwrap_or_default();
    assert!(welcome.contains("1 báo cáo"), "{welcome}");
    let pending = h.ask(&successor, "/pending").await;
    assert!(
        pending.text.unwrap_or_default().contains("Street cleaning"),
        "the report waits for the new secretary"
    );
}

/// The deputy sends a member their draft sheet: the member's answer reaches
/// the deputy as well as the secretary (who writes the sheet by default).
#[tokio::test]
async fn the_deputy_who_sent_a_draft_hears_the_members_answer() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    h.cell_with_member(&secretary, &member).await;
    let deputy = en_user(200, "Dung");
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let membership = h.membership_of(300).await;
    h.set_local(2026, 12, 10, 9, 0);
    let sheet = h.sheet_sent_to_member(&deputy, membership).await;
    h.drain().await;
    h.press_data(&member, 1, &format!("ma:{sheet}")).await;
    h.drain().await;
    for (user, lang) in [(&deputy, Lang::En), (&secretary, Lang::Vi)] {
        let told = h
            .api
            .sent(user.id)
            .iter()
            .any(|s| says(s.text.as_deref(), lang, "secretary-told-accepted"));
        assert!(told, "{:?}", h.api.sent(user.id).last());
    }
}

/// The secretary's seat is taken away while their Approve is on its way to
/// the database: the press passed the first check, and the decision's own
/// transaction judges it again and refuses it (`Decided::Refused`). The
/// former secretary is told they may not, and the report still waits.
#[tokio::test]
async fn a_decision_landing_after_the_seat_was_lost_is_refused() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let id = submit_report(&h, &member, "Họp tổ dân phố").await;
    let card = card_with(&h, &secretary, &format!("ra:{id}"));
    // Seen a moment ago: the press writes nothing before its decision.
    h.ask(&secretary, "/pending").await;
    let answers = h.api.answered_callbacks().len();

    // The operator's write holds the database while the press comes.
    let mut operator = h.pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *operator)
        .await
        .unwrap();
    let update = h
        .api
        .callback(&secretary, card.message_id, &format!("ra:{id}"));
    h.waits_to_write(update).await;
    assert_eq!(
        h.api.answered_callbacks().len(),
        answers,
        "the press waits for the database, past its first check"
    );
    sqlx::query("DELETE FROM cell_secretaries WHERE cell_id = ?")
        .bind(cell)
        .execute(&mut *operator)
        .await
        .unwrap();
    sqlx::query("COMMIT").execute(&mut *operator).await.unwrap();
    drop(operator);
    h.handled(update).await;

    let answer = h.api.answered_callbacks().pop().unwrap();
    refused(&answer, Lang::Vi, "not-allowed");
    assert_eq!(report_status(&h, id).await, "pending");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'report' AND action IN ('approve', 'reject')")
            .await,
        0,
        "nothing decided"
    );
}

/// The supervisors' note of items pending over two weeks, queued while
/// Telegram could not be reached, is not sent to a supervisor whose role
/// was taken away meanwhile: the ward's cells are no longer theirs to
/// follow.
#[tokio::test]
async fn the_supervisors_note_does_not_reach_one_no_longer_a_supervisor() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let supervisor = vi_user(800, "Giám sát");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    make_supervisor(&h, ward, &supervisor).await;
    submit_report(&h, &member, "Họp tổ dân phố").await;
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 12, 5, 10, 0);
    assert_eq!(h.tick().await.escalated.supervisors, 1);
    h.admin(lienhe::cli::Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user: supervisor.id,
            role: lienhe::cli::RoleName::Supervisor,
            workplace: None,
            ward: Some(ward),
            cell: None,
        },
    })
    .await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let notes: Vec<_> = h
        .api
        .sent(supervisor.id)
        .into_iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "escalation-supervisors"))
        .collect();
    assert!(notes.is_empty(), "{notes:?}");
}

/// The supervisors' note of a join request and a report pending over two
/// weeks, queued while Telegram could not be reached, is not sent once the
/// secretary decided both meanwhile: it would tell the supervisor of items
/// waiting that wait no more. One still waiting keeps it.
#[tokio::test]
async fn the_supervisors_note_is_not_sent_once_its_items_were_decided_meanwhile() {
    for decide_both in [true, false] {
        let mut h = Harness::start().await;
        let secretary = vi_user(100, "Bình");
        let member = vi_user(300, "An");
        let newcomer = vi_user(301, "Mai");
        let supervisor = vi_user(800, "Giám sát");
        let cell = h.cell_with_member(&secretary, &member).await;
        make_supervisor(&h, ward_of(&h, cell).await, &supervisor).await;
        let report = submit_report(&h, &member, "Họp tổ dân phố").await;
        let code = h.invite_code(&secretary).await;
        h.request_join(&newcomer, &code, "Lê Thị Mai").await;
        h.drain().await;
        let join: i64 = sqlx::query_scalar(
            "SELECT id FROM memberships WHERE user_id = 301 AND status = 'pending'",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap();
        h.stop_sender().await;
        h.set_local(2026, 12, 5, 10, 0);
        assert_eq!(h.tick().await.escalated.supervisors, 1);
        let card = card_with(&h, &secretary, &format!("ra:{report}"));
        h.press(&secretary, &card, "✅ Duyệt").await;
        if decide_both {
            let card = card_with(&h, &secretary, &format!("ja:{join}"));
            h.press(&secretary, &card, "✅ Duyệt").await;
        }
        h.start_sender(default_sender()).await;
        h.drain().await;
        let notes: Vec<_> = h
            .api
            .sent(supervisor.id)
            .into_iter()
            .filter(|s| says(s.text.as_deref(), Lang::Vi, "escalation-supervisors"))
            .collect();
        assert_eq!(notes.len(), usize::from(!decide_both), "{notes:?}");
    }
}

/// A note of reports pending over a week naming two cells, queued while
/// Telegram could not be reached, goes to a secretary replaced in one of
/// them meanwhile about the cell they keep only: the lost cell's members
/// and reports are no longer theirs to see.
/// (`lose_first`: the cell listed first is the one lost.)
async fn stale_note_to_one_replaced_in_one_of_two_cells(lose_first: bool) {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let first = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &first).await;
    let other = h.cell(ward_of(&h, cell).await, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, other, "Trần Thị Bình").await;
    insert_members(&h, other, None, 2000, 1, "approved").await;
    sqlx::query("UPDATE memberships SET full_name = 'Lê Thị Mai Khối Bảy' WHERE user_id = 2000")
        .execute(&h.pool)
        .await
        .unwrap();
    submit_report(&h, &first, "Họp tổ dân phố").await;
    sqlx::query(
        "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                              description, status, created_at)
         SELECT 'stale-in-7', m.id, m.user_id, m.cell_id, r.kind_id, r.activity_date,
                'Dọn vệ sinh', 'pending', r.created_at
         FROM memberships m, reports r WHERE m.user_id = 2000",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    // The month's round (the reports not stale yet) went out.
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await;
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 1);
    let new = en_user(150, "Chau");
    let (lost, kept, gone) = match lose_first {
        true => (cell, "Khối Bảy", "Nguyễn Văn An"),
        false => (other, "Nguyễn Văn An", "Khối Bảy"),
    };
    take_over(&h, lost, &new, "Ngô Minh Châu").await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let notes: Vec<String> = h
        .api
        .sent(100)
        .into_iter()
        .filter_map(|s| s.text)
        .filter(|t| t.contains("quá 7 ngày"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains(kept), "{}", notes[0]);
    assert!(!notes[0].contains(gone), "{}", notes[0]);
}

#[tokio::test]
async fn a_stale_note_queued_to_a_secretary_replaced_in_one_of_two_cells_keeps_the_other() {
    stale_note_to_one_replaced_in_one_of_two_cells(false).await;
    stale_note_to_one_replaced_in_one_of_two_cells(true).await;
}

/// A secretary who asks for a deputy code while the cell has a deputy is
/// told, in their language, that whoever uses it takes that deputy's
/// place (the code still works, as before); without one, no such line.
#[tokio::test]
async fn a_deputy_code_while_the_cell_has_a_deputy_says_who_is_replaced() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 200, "An");
        h.cell_with_member(&secretary, &member).await;
        let first = h.ask(&secretary, "/invite deputy").await.text.unwrap();
        assert!(
            !says(Some(&first), lang, "deputy-invite-replaces"),
            "{first}"
        );
        let deputy = user_in(lang, 150, "Phó");
        make_deputy(&h, &secretary, &deputy, "Hoàng Văn Phó").await;
        let second = h.ask(&secretary, "/invite deputy").await.text.unwrap();
        assert!(
            says(Some(&second), lang, "deputy-invite-link")
                && says(Some(&second), lang, "deputy-invite-replaces")
                && second.contains("Hoàng Văn Phó"),
            "{second}"
        );
        // A member link says nothing of the deputy.
        let link = h.ask(&secretary, "/invite").await.text.unwrap();
        assert!(!link.contains("Hoàng Văn Phó"), "{link}");
    }
}

/// A secretary who asks to join their own cell as a member is not told,
/// by /help, by a message or by the link opened again, that the request
/// waits for the secretary (themselves: /pending shows them nothing):
/// it waits for confirmation, by whoever may decide it.
#[tokio::test]
async fn a_secretarys_own_join_request_is_not_said_to_wait_for_the_secretary() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 200, "An");
        h.cell_with_member(&secretary, &member).await;
        let code = h.invite_code(&secretary).await;
        h.request_join(&secretary, &code, "Trần Thị Bình").await;
        let nothing = h.ask(&secretary, "/pending").await;
        assert!(
            says(nothing.text.as_deref(), lang, "pending-none-in-cell"),
            "{nothing:?}"
        );
        let secretarys = match lang {
            Lang::Vi => "chờ bí thư",
            Lang::En => "the secretary's confirmation",
        };
        let help = h.ask(&secretary, "/help").await.text.unwrap();
        assert!(says(Some(&help), lang, "help-pending-member"), "{help}");
        let idle = h.ask(&secretary, "xin chào").await.text.unwrap();
        let again = h
            .ask(&secretary, &format!("/start {code}"))
            .await
            .text
            .unwrap();
        assert!(says(Some(&again), lang, "join-already-pending"), "{again}");
        for text in [&help, &idle, &again] {
            assert!(!text.contains(secretarys), "{text}");
        }
    }
}

/// Gives member `user_id` the long `name`, lets the stale-report check
/// queue its note (Telegram unreachable, the sender not started), and
/// returns the note's text as queued.
async fn stale_note_of_a_long_name(h: &Harness, user_id: i64, name: &str) -> String {
    sqlx::query("UPDATE memberships SET full_name = ? WHERE user_id = ?")
        .bind(name)
        .bind(user_id)
        .execute(&h.pool)
        .await
        .unwrap();
    h.set_local(2026, 11, 28, 9, 0);
    assert_eq!(h.tick().await.stale_notes, 1);
    sqlx::query_scalar(
        "SELECT json_extract(payload, '$.text') FROM outbox WHERE chat_id = 100 AND status = 'queued'",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap()
}

/// A new secretary takes over cell `other`; the queued stale notes then
/// go out: the texts of those the first secretary got.
async fn notes_after_the_takeover(h: &mut Harness, other: i64) -> Vec<String> {
    let new = en_user(150, "Chau");
    take_over(h, other, &new, "Ngô Minh Châu").await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    h.api
        .sent(100)
        .into_iter()
        .filter_map(|s| s.text)
        .filter(|t| t.contains("quá 7 ngày"))
        .collect()
}

/// A secretary (100) of two cells, each with a report pending (by 300 in
/// the first, by 2000 in "Chi bộ khối 7", the other, returned), noted on
/// 25/11; the sender then stopped.
async fn stale_in_two_cells() -> (Harness, i64) {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let first = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &first).await;
    let other = h.cell(ward_of(&h, cell).await, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, other, "Trần Thị Bình").await;
    insert_members(&h, other, None, 2000, 1, "approved").await;
    submit_report(&h, &first, "Họp tổ dân phố").await;
    sqlx::query(
        "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                              description, status, created_at)
         SELECT 'stale-in-7', m.id, m.user_id, m.cell_id, r.kind_id, r.activity_date,
                'Dọn vệ sinh', 'pending', r.created_at
         FROM memberships m, reports r WHERE m.user_id = 2000",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    h.set_local(2026, 11, 25, 8, 0);
    h.tick().await;
    h.drain().await;
    h.stop_sender().await;
    (h, other)
}

/// A note of reports pending over a week naming two cells, one report by a
/// member whose name is too long for one message (in the second cell: the
/// reports are counted, not named), queued while Telegram could not be
/// reached: the secretary, replaced in that second cell meanwhile, still
/// gets the part about the cell they keep.
#[tokio::test]
async fn a_stale_note_fitted_in_the_lost_cells_part_keeps_the_other() {
    let (mut h, other) = stale_in_two_cells().await;
    let long = format!("Lê Thị Mai Khối Bảy {}", "Dài ".repeat(1100));
    let queued = stale_note_of_a_long_name(&h, 2000, &long).await;
    assert!(
        !queued.contains("Khối Bảy") && queued.contains("Chi bộ khối 7"),
        "{queued}"
    );
    // Listed again as it goes out, the kept cell's report alone: named.
    let notes = notes_after_the_takeover(&mut h, other).await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("Nguyễn Văn An"), "{}", notes[0]);
    assert!(!notes[0].contains("Chi bộ khối 7"), "{}", notes[0]);
}

/// The same with the long name in the first cell: the part about the cell the secretary keeps goes to them, the
/// report counted, and nothing of the cell they lost.
#[tokio::test]
async fn a_stale_note_fitted_in_the_kept_cells_part_keeps_it() {
    let (mut h, other) = stale_in_two_cells().await;
    let long = format!("Nguyễn Văn An {}", "Dài ".repeat(1100));
    let queued = stale_note_of_a_long_name(&h, 300, &long).await;
    assert!(
        !queued.contains("Dài Dài") && queued.contains("Chi bộ khối 7"),
        "{queued}"
    );
    let notes = notes_after_the_takeover(&mut h, other).await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("1 báo cáo"), "{}", notes[0]);
    assert!(!notes[0].contains("Chi bộ khối 7"), "{}", notes[0]);
}

/// The supervisors' note of items pending over two weeks to one who
/// supervises two wards, queued while Telegram could not be reached, goes
/// to them after they lost one ward meanwhile about the ward they keep
/// only: the lost ward's cells are no longer theirs to follow.
#[tokio::test]
async fn the_supervisors_note_to_one_who_lost_one_of_two_wards_names_the_other_only() {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let supervisor = vi_user(800, "Giám sát");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    let lost = h.ward("Phường Bến Thủy").await;
    let far = h.cell(lost, "Chi bộ khối 9").await;
    h.make_secretary(&vi_user(101, "Hòa"), far, "Lê Văn Hòa")
        .await;
    insert_members(&h, far, None, 2000, 1, "approved").await;
    make_supervisor(&h, ward, &supervisor).await;
    make_supervisor(&h, lost, &supervisor).await;
    submit_report(&h, &member, "Họp tổ dân phố").await;
    sqlx::query(
        "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                              description, status, created_at)
         SELECT 'pending-in-9', m.id, m.user_id, m.cell_id, r.kind_id, r.activity_date,
                'Dọn vệ sinh', 'pending', r.created_at
         FROM memberships m, reports r WHERE m.user_id = 2000",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    h.drain().await;
    h.stop_sender().await;
    h.set_local(2026, 12, 5, 10, 0);
    assert_eq!(h.tick().await.escalated.supervisors, 1);
    let queued: String = sqlx::query_scalar(
        "SELECT json_extract(payload, '$.text') FROM outbox WHERE chat_id = 800 AND status = 'queued'",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert!(queued.contains("Chi bộ khối 9"), "{queued}");
    h.admin(lienhe::cli::Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user: supervisor.id,
            role: lienhe::cli::RoleName::Supervisor,
            workplace: None,
            ward: Some(lost),
            cell: None,
        },
    })
    .await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let notes: Vec<String> = h
        .api
        .sent(supervisor.id)
        .into_iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "escalation-supervisors"))
        .filter_map(|s| s.text)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(!notes[0].contains("Chi bộ khối 9"), "{}", notes[0]);
}

async fn status_of(h: &Harness, sql: &'static str, id: i64) -> String {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

fn role_gone_alert(answer: &Call) -> String {
    assert_eq!(answer.params["show_alert"], true, "{:?}", answer.params);
    answer.str_param("text").unwrap_or_default().to_string()
}

/// A secretary replaced (or a deputy removed) pressing an old card, or
/// typing the reason of a rejection pressed before, is told they are no
/// longer secretary (deputy) of the cell and who decides now, in their
/// language; the card loses its buttons. It said "not allowed".
#[tokio::test]
async fn a_former_secretary_or_deputy_is_told_their_role_is_gone() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let old = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let deputy = user_in(lang, 200, "Dũng");
        let new = user_in(lang, 150, "Châu");
        let cell = h.cell_with_member(&old, &member).await;
        make_deputy(&h, &old, &deputy, "Phạm Văn Dũng").await;
        let first = submit_report(&h, &member, "Vận động quỹ khuyến học").await;
        let second = submit_report(&h, &member, "Dọn vệ sinh ngõ xóm").await;
        let code = h.invite_code(&old).await;
        h.request_join(&user_in(lang, 400, "Cúc"), &code, "Phạm Thị Cúc")
            .await;
        let join: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 400")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let report_card = card_with(&h, &old, &format!("ra:{first}"));
        let join_card = card_with(&h, &old, &format!("ja:{join}"));
        // Reject pressed before the handover: the reason is asked.
        let reject_card = card_with(&h, &old, &format!("rr:{second}"));
        let reject = label_of(&reject_card, &format!("rr:{second}")).unwrap();
        h.press(&old, &reject_card, &reject).await;

        take_over(&h, cell, &new, "Ngô Minh Châu").await;
        h.drain().await;
        let gone = lienhe::t!(
            lang,
            "committee-role-gone-now",
            role = "secretary",
            cell = "Chi bộ khối 5",
            who = "Ngô Minh Châu"
        );
        for (card, data) in [
            (&report_card, format!("ra:{first}")),
            (&join_card, format!("ja:{join}")),
        ] {
            let label = label_of(card, &data).unwrap();
            let (answer, _) = h.press(&old, card, &label).await;
            assert_eq!(role_gone_alert(&answer), gone, "{lang:?} {data}");
            assert!(h.current(card).button_texts().is_empty(), "{data}");
        }
        // The reason typed after the handover.
        let replies = h.say(&old, "Không đúng sự thật").await;
        assert!(
            replies
                .iter()
                .any(|s| s.text.as_deref().is_some_and(|t| t.contains(&gone))),
            "{lang:?}: {replies:?}"
        );
        let sql = "SELECT status FROM reports WHERE id = ?";
        assert_eq!(status_of(&h, sql, first).await, "pending");
        assert_eq!(status_of(&h, sql, second).await, "pending");
        let sql = "SELECT status FROM memberships WHERE id = ?";
        assert_eq!(status_of(&h, sql, join).await, "pending");
        // A button of a sheet or a meeting of the cell, or the cell chosen
        // for /invite or /announce, likewise.
        let membership = h.membership_of(member.id).await;
        for data in [
            format!("so:{membership}"),
            format!("im:{cell}"),
            format!("ac:{cell}"),
        ] {
            let (answer, _) = h.press_data(&old, 1, &data).await;
            assert_eq!(role_gone_alert(&answer), gone, "{lang:?} {data}");
        }

        // The new secretary decides; the old card, buttonless, is not
        // edited again.
        let data = format!("ra:{first}");
        let pending = h.say(&new, "/pending").await;
        let card = pending
            .iter()
            .find(|s| s.buttons().iter().any(|(_, d)| *d == data))
            .expect("the report in the new secretary's /pending")
            .clone();
        let approve = label_of(&card, &data).unwrap();
        h.press(&new, &card, &approve).await;
        assert_eq!(h.api.not_modified(), 0);

        // The deputy removed: told they are no longer deputy.
        revoke_in_cell(&h, deputy.id, lienhe::cli::RoleName::Deputy, cell).await;
        let (answer, _) = h.press_data(&deputy, 1, &format!("so:{membership}")).await;
        let gone = lienhe::t!(
            lang,
            "committee-role-gone-now",
            role = "deputy",
            cell = "Chi bộ khối 5",
            who = "Ngô Minh Châu"
        );
        assert_eq!(role_gone_alert(&answer), gone, "{lang:?}");
    }
}

/// A secretary of two cells who hands one over keeps the other: the tree
/// lets their presses through, and the handlers of the cell handed over
/// (its sheets, its meetings, a postponement typed after a press before)
/// say they are no longer its secretary and who is, not "not allowed".
#[tokio::test]
async fn a_secretary_of_two_cells_is_told_which_one_they_handed_over() {
    use lienhe::{
        domain::meeting::MeetingKind,
        store::meetings::{self, Called, NewMeeting},
    };
    let h = Harness::start().await;
    let old = en_user(100, "Binh");
    let member = vi_user(300, "An");
    let new = vi_user(150, "Châu");
    let cell = h.cell_with_member(&old, &member).await;
    let other = h.cell(ward_of(&h, cell).await, "Chi bộ khối 6").await;
    h.make_secretary(&old, other, "Trần Thị Bình").await;
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    let new_meeting = NewMeeting {
        token: "m1",
        cell_id: cell,
        kind: MeetingKind::Periodic,
        starts_at: now + chrono::Duration::days(2),
        place: "Nhà văn hóa khối 5",
        agenda: "Sinh hoạt định kỳ",
        called_by: old.id,
    };
    let Called::New { id: meeting, .. } =
        meetings::create(&h.pool, &new_meeting, now, |_, _| Vec::new())
            .await
            .unwrap()
    else {
        panic!("called once");
    };
    // Postpone pressed before the handover: the new time is asked.
    let (answer, _) = h.press_data(&old, 1, &format!("gp:{meeting}")).await;
    assert_ne!(answer.params["show_alert"], true, "{:?}", answer.params);

    take_over(&h, cell, &new, "Ngô Minh Châu").await;
    h.drain().await;
    let gone = lienhe::t!(
        Lang::En,
        "committee-role-gone-now",
        role = "secretary",
        cell = "Chi bộ khối 5",
        who = "Ngô Minh Châu"
    );
    let replies = h.say(&old, "25/12/2026 19:00").await;
    assert!(
        replies
            .iter()
            .any(|s| s.text.as_deref().is_some_and(|t| t.contains(&gone))),
        "{replies:?}"
    );
    let membership = h.membership_of(member.id).await;
    for data in [
        format!("so:{membership}"),
        format!("gp:{meeting}"),
        format!("gv:{meeting}"),
        format!("im:{cell}"),
        format!("id:{cell}"),
        format!("ac:{cell}"),
    ] {
        let (answer, _) = h.press_data(&old, 1, &data).await;
        assert_eq!(role_gone_alert(&answer), gone, "{data}");
    }
    let starts: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT starts_at FROM meetings WHERE id = ?")
            .bind(meeting)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(starts, new_meeting.starts_at, "not postponed");
}

/// A secretary whose own join request waits (for the deputy) is not told
/// in their monthly digest that a join request waits for them, nor given a
/// button to an empty /pending.
#[tokio::test]
async fn a_secretarys_own_join_request_is_not_counted_in_their_digest() {
    let h = Harness::start().await;
    let secretary = en_user(100, "Binh");
    let member = vi_user(300, "An");
    let deputy = vi_user(200, "Dũng");
    h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    h.drain().await;
    h.set_local(2026, 11, 25, 9, 0);
    h.tick().await;
    h.drain().await;
    let digests = digests_to(&h, secretary.id, Lang::En, "digest-header");
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert!(digests[0].contains("0 join requests"), "{}", digests[0]);
    let sent = h
        .api
        .sent(secretary.id)
        .into_iter()
        .find(|s| says(s.text.as_deref(), Lang::En, "digest-header"))
        .unwrap();
    assert!(sent.buttons().is_empty(), "{sent:?}");
    // The deputy's digest counts it.
    let digests = digests_to(&h, deputy.id, Lang::Vi, "digest-header");
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert!(digests[0].contains("1 yêu cầu tham gia"), "{}", digests[0]);
}

/// A secretary who is also the deputy of another cell, a ward supervisor
/// and a workplace officer is shown each command once in /help.
async fn one_person_of_many_roles_sees_each_command_once(lang: Lang) {
    let h = Harness::start().await;
    let user = |id, name| match lang {
        Lang::En => en_user(id, name),
        _ => vi_user(id, name),
    };
    let secretary = user(100, "Binh");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    let other = h.cell(ward, "Chi bộ khối 7").await;
    let other_secretary = vi_user(150, "Châu");
    h.make_secretary(&other_secretary, other, "Ngô Minh Châu")
        .await;
    make_deputy(&h, &other_secretary, &secretary, "Trần Thị Bình").await;
    make_supervisor(&h, ward, &secretary).await;
    let workplace = h.workplace("Sở Tài chính").await;
    let code = h.officer_code(workplace).await;
    h.ask(&secretary, &format!("/start {code}")).await;
    let roles = lienhe::store::users::roles(&h.pool, secretary.id)
        .await
        .unwrap();
    assert!(
        roles.secretary && roles.deputy && roles.supervisor && roles.officer,
        "{roles:?}"
    );
    let help = h.ask(&secretary, "/help").await.text.unwrap();
    for command in [
        "/pending —",
        "/members —",
        "/sheets —",
        "/requests —",
        "/stats —",
        "/export —",
        "/status —",
        "/meeting —",
    ] {
        let lines = help.lines().filter(|l| l.starts_with(command)).count();
        assert_eq!(lines, 1, "{command}\n{help}");
    }
}

#[tokio::test]
async fn one_person_of_many_roles_sees_each_command_once_vi() {
    one_person_of_many_roles_sees_each_command_once(Lang::Vi).await;
}

#[tokio::test]
async fn one_person_of_many_roles_sees_each_command_once_en() {
    one_person_of_many_roles_sees_each_command_once(Lang::En).await;
}

/// A secretary who is a member of their own cell and presses their own
/// name under /members is told it is their own membership, managed by
/// another (not a bare "not allowed").
async fn a_secretary_pressing_their_own_name_is_told_why(lang: Lang) {
    let h = Harness::start().await;
    let secretary = match lang {
        Lang::En => en_user(100, "Binh"),
        _ => vi_user(100, "Bình"),
    };
    let member = vi_user(300, "An");
    let deputy = vi_user(200, "Dũng");
    h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let own: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 100")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let card = card_with(&h, &deputy, &format!("ja:{own}"));
    h.press(&deputy, &card, approve_label(Lang::Vi)).await;
    let list = h.say(&secretary, "/members").await;
    let list = list
        .into_iter()
        .find(|s| s.buttons().iter().any(|(l, _)| l.contains("Trần Thị Bình")))
        .expect("own line");
    let label = list
        .buttons()
        .into_iter()
        .map(|(l, _)| l)
        .find(|l| l.contains("Trần Thị Bình"))
        .unwrap();
    let (answer, _) = h.press(&secretary, &list, &label).await;
    refused(&answer, lang, "member-card-own");
    // Another member's card opens.
    let label = list
        .buttons()
        .into_iter()
        .map(|(l, _)| l)
        .find(|l| l.contains("An"))
        .unwrap();
    let (_, sent) = h.press(&secretary, &list, &label).await;
    assert!(!sent.is_empty());
}

#[tokio::test]
async fn a_secretary_pressing_their_own_name_is_told_why_vi() {
    a_secretary_pressing_their_own_name_is_told_why(Lang::Vi).await;
}

#[tokio::test]
async fn a_secretary_pressing_their_own_name_is_told_why_en() {
    a_secretary_pressing_their_own_name_is_told_why(Lang::En).await;
}

/// The deputy types the remarks of a member's draft sheet while the
/// operator takes the deputy's seat away: the text passed its first check,
/// and the remarks' own transaction judges it again. Nothing is stored, the
/// text is given back, and the former deputy is told they are deputy no
/// more and who writes the cell's sheets now.
#[tokio::test]
async fn remarks_typed_as_the_deputys_seat_is_lost_are_refused_and_given_back() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let deputy = en_user(200, "Dung");
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let membership = h.membership_of(member.id).await;
    h.set_local(2026, 12, 10, 9, 0);
    let sheet = h.open_sheet(&deputy, membership).await;
    h.press_data(&deputy, 1, &format!("sr:{sheet}")).await;
    let before = h.api.sent(deputy.id).len();

    // The operator's write holds the database while the text comes.
    let operator = h.hold_database().await;
    let typed = "Gương mẫu, tích cực";
    let update = h.api.text(&deputy, typed);
    h.waits_to_write(update).await;
    assert_eq!(
        h.api.sent(deputy.id).len(),
        before,
        "the text waits for the database, past its first check"
    );
    operator
        .revoke(deputy.id, lienhe::store::committee::Role::Deputy { cell })
        .await;
    h.handled(update).await;

    let remarks: String = sqlx::query_scalar("SELECT remarks FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(remarks, "", "nothing stored");
    let reply = h.last(&deputy).text.unwrap_or_default();
    assert!(
        reply.contains("You are no longer the deputy secretary of Chi bộ khối 5"),
        "told the seat is gone: {reply}"
    );
    assert!(
        reply.contains("Trần Thị Bình handles its items now"),
        "names who writes now: {reply}"
    );
    assert!(reply.contains(typed), "the text given back: {reply}");
}

/// A member of a cell who also supervises its ward leaves a report
/// pending for two weeks: the ward's other supervisor is told, and the
/// member is not told of the report they themself are waiting on.
#[tokio::test]
async fn a_supervisor_is_not_told_of_their_own_item_waiting_two_weeks() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let other = vi_user(800, "Giám sát");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    make_supervisor(&h, ward, &member).await;
    make_supervisor(&h, ward, &other).await;
    submit_report(&h, &member, "Họp tổ dân phố").await;
    h.drain().await;
    h.set_local(2026, 12, 5, 10, 0);
    assert_eq!(h.tick().await.escalated.supervisors, 1);
    h.drain().await;
    let told = |user: &TgUser| {
        h.api
            .sent(user.id)
            .iter()
            .filter(|s| says(s.text.as_deref(), Lang::Vi, "escalation-supervisors"))
            .count()
    };
    assert_eq!(told(&other), 1, "the other supervisor is told");
    assert_eq!(told(&member), 0, "not told of their own report");
}

/// The secretary of a cell without a deputy is asked for a sheet's
/// remarks, and the operator takes the seat away before they type them:
/// the typed text is refused saying they are no longer its secretary, in
/// words that fit a text typed as well as a button pressed.
#[tokio::test]
async fn remarks_typed_after_the_seat_was_taken_are_not_said_to_be_a_button() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = vi_user(300, "An");
        let cell = h.cell_with_member(&secretary, &member).await;
        let membership = h.membership_of(member.id).await;
        h.set_local(2026, 12, 10, 9, 0);
        let sheet = h.open_sheet(&secretary, membership).await;
        h.press_data(&secretary, 1, &format!("sr:{sheet}")).await;
        revoke_in_cell(&h, secretary.id, lienhe::cli::RoleName::Secretary, cell).await;
        let reply = h
            .ask(&secretary, "Gương mẫu")
            .await
            .text
            .unwrap_or_default();
        let (gone, button) = match lang {
            Lang::Vi => ("Đồng chí không còn là bí thư Chi bộ khối 5", "nút"),
            Lang::En => ("You are no longer the secretary of Chi bộ khối 5", "button"),
        };
        assert!(reply.contains(gone), "{lang:?}: {reply}");
        assert!(!reply.contains(button), "{lang:?}: {reply}");
    }
}

/// The secretary types a member's corrected month of introduction while
/// the operator takes the seat away: the month passed its first check, and
/// the correction's own transaction judges it again. Nothing changes, and
/// the former secretary is told they no longer hold the seat.
#[tokio::test]
async fn a_month_of_introduction_typed_as_the_seat_is_lost_changes_nothing() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    let introduced = async || -> Option<String> {
        sqlx::query_scalar("SELECT introduced_on FROM memberships WHERE id = ?")
            .bind(membership)
            .fetch_one(&h.pool)
            .await
            .unwrap()
    };
    let before = introduced().await;
    h.press_data(&secretary, 1, &format!("yi:{membership}"))
        .await;
    let sent = h.api.sent(secretary.id).len();

    // The operator's write holds the database while the month comes.
    let operator = h.hold_database().await;
    let update = h.api.text(&secretary, "01/2026");
    h.waits_to_write(update).await;
    assert_eq!(
        h.api.sent(secretary.id).len(),
        sent,
        "the month waits for the database, past its first check"
    );
    operator
        .revoke(
            secretary.id,
            lienhe::store::committee::Role::Secretary { cell },
        )
        .await;
    h.handled(update).await;

    assert_eq!(introduced().await, before, "not corrected");
    let reply = h.last(&secretary).text.unwrap_or_default();
    assert!(
        reply.contains("Đồng chí không còn là bí thư Chi bộ khối 5"),
        "{reply}"
    );
}

/// The secretary presses Open on a member in /sheets while the operator
/// takes the seat away: the press passed its first check, and the draft's
/// own transaction judges it again. No sheet is opened, and the former
/// secretary is told they no longer hold the seat.
#[tokio::test]
async fn a_sheet_opened_as_the_seat_is_lost_opens_nothing() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let membership = h.membership_of(member.id).await;
    h.set_local(2026, 12, 10, 9, 0);
    let sheets = h.ask(&secretary, "/sheets").await;
    let answers = h.api.answered_callbacks().len();

    // The operator's write holds the database while the press comes.
    let operator = h.hold_database().await;
    let update = h
        .api
        .callback(&secretary, sheets.message_id, &format!("so:{membership}"));
    h.waits_to_write(update).await;
    assert_eq!(
        h.api.answered_callbacks().len(),
        answers,
        "the press waits for the database, past its first check"
    );
    operator
        .revoke(
            secretary.id,
            lienhe::store::committee::Role::Secretary { cell },
        )
        .await;
    h.handled(update).await;

    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 0, "no sheet");
    let answer = h.api.answered_callbacks().pop().unwrap();
    let text = answer.str_param("text").unwrap_or_default().to_string();
    assert!(
        text.contains("Đồng chí không còn là bí thư Chi bộ khối 5"),
        "{text}"
    );
}

/// The deputy took over as secretary while their own report waited on the
/// secretary's card: the former secretary pressing it was told "this is
/// now handled by" the new secretary, the report's own author. The ward's
/// supervisors decide it now (the cell has no deputy), and the refusal says
/// so; a member's card still names the new secretary.
#[tokio::test]
async fn a_former_secretary_is_told_who_decides_the_new_secretarys_own_report() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let deputy = user_in(lang, 200, "Dung");
        let supervisor = user_in(lang, 500, "Giám sát");
        let cell = h.cell_with_member(&secretary, &member).await;
        make_supervisor(&h, ward_of(&h, cell).await, &supervisor).await;
        make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
        h.join_approved(&secretary, &deputy, "Phạm Văn Dũng").await;
        let own = submit_report(&h, &deputy, "Báo cáo của phó bí thư").await;
        let other = submit_report(&h, &member, "Báo cáo của đảng viên").await;
        h.drain().await;
        take_over(&h, cell, &deputy, "Phạm Văn Dũng").await;
        h.drain().await;
        assert!(has_card(&h, &supervisor, &format!("ra:{own}")));
        // The one replaced is not told that every waiting item goes to
        // the new secretary: their own go to the deputy or the ward.
        let told = h
            .api
            .sent(secretary.id)
            .into_iter()
            .filter_map(|s| s.text)
            .find(|t| says(Some(t), lang, "handover-old-secretary"));
        let ward = match lang {
            Lang::Vi => "cán bộ giám sát",
            _ => "supervisors",
        };
        assert!(
            told.as_deref().is_some_and(|t| t.contains(ward)),
            "{told:?}"
        );

        let data = format!("ra:{own}");
        let card = card_with(&h, &secretary, &data);
        let (answer, _) = h.press(&secretary, &card, approve_label(lang)).await;
        let text = answer.str_param("text").unwrap_or_default().to_string();
        assert!(
            says(Some(&text), lang, "committee-role-gone-supervisors"),
            "{text}"
        );
        assert!(!text.contains("Phạm Văn Dũng"), "{text}");
        let data = format!("ra:{other}");
        let card = card_with(&h, &secretary, &data);
        let (answer, _) = h.press(&secretary, &card, approve_label(lang)).await;
        let text = answer.str_param("text").unwrap_or_default().to_string();
        assert!(says(Some(&text), lang, "committee-role-gone-now"), "{text}");
        assert!(text.contains("Phạm Văn Dũng"), "{text}");
        assert_eq!(report_status(&h, own).await, "pending");
    }
}

/// A secretary of a cell without a deputy, pressing their own name under
/// /members, was told their membership was managed by "the other member of
/// the committee (or the ward)": the ward's supervisors have no member
/// cards, and there was no other member. They are told the committee has
/// no one else to manage it now, and how to invite a deputy.
#[tokio::test]
async fn a_secretary_without_a_deputy_is_not_sent_to_the_ward_for_their_own_card() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let supervisor = user_in(lang, 500, "Giám sát");
        let cell = h.cell_with_member(&secretary, &member).await;
        make_supervisor(&h, ward_of(&h, cell).await, &supervisor).await;
        let code = h.invite_code(&secretary).await;
        h.request_join(&secretary, &code, "Trần Thị Bình").await;
        h.drain().await;
        let own: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = 100")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let card = card_with(&h, &supervisor, &format!("ja:{own}"));
        h.press(&supervisor, &card, approve_label(lang)).await;

        let list = h.ask(&secretary, "/members").await;
        let (answer, _) = h
            .press_data(&secretary, list.message_id, &format!("bo:{own}"))
            .await;
        refused(&answer, lang, "member-card-own-alone");
    }
}

/// The supervisors' note of items pending over two weeks in fifty cells of
/// long names (the bot back after a stop, or items piled up at once): it
/// was one message cut to Telegram's length, the last cells lost behind
/// "…" unseen. It comes in as many messages as it needs now, each of
/// whole lines, every cell named once.
#[tokio::test]
async fn the_supervisors_note_of_many_cells_names_every_cell() {
    let h = Harness::start().await;
    let ward = h.ward("Phường Hưng Dũng").await;
    let supervisor = vi_user(800, "Giám sát");
    make_supervisor(&h, ward, &supervisor).await;
    let mut names = Vec::new();
    for n in 1..=50u64 {
        let name = format!(
            "{} thuộc Đảng bộ phường Hưng Dũng, thành phố Vinh",
            numbered_name("Chi bộ khối", n)
        );
        let cell = h.cell(ward, &name).await;
        // A join request waiting since long before (no secretary yet).
        insert_members(&h, cell, None, 2000 + n as i64, 1, "pending").await;
        names.push(name);
    }
    assert_eq!(h.tick().await.escalated.supervisors, 1);
    h.drain().await;
    let notes: Vec<String> = h
        .api
        .sent(supervisor.id)
        .into_iter()
        .filter_map(|s| s.text)
        .filter(|t| says(Some(t), Lang::Vi, "escalation-supervisors"))
        .collect();
    assert!(notes.len() > 1, "{notes:?}");
    for note in &notes {
        assert!(!note.ends_with('…'), "cut: {note}");
    }
    let lines: Vec<&str> = notes
        .iter()
        .flat_map(|n| n.lines())
        .filter(|l| l.starts_with('•'))
        .collect();
    assert_eq!(lines.len(), names.len(), "{notes:?}");
    for name in &names {
        assert!(
            lines.iter().any(|l| l.contains(&format!("{name}:"))),
            "{name}"
        );
    }
}

/// A ward supervisor whose role the operator took away pressed Approve on
/// the card of a secretary's own join request (the cell has no deputy)
/// and was told "You are not allowed to do this". They are told they no
/// longer supervise the ward; nothing is decided.
#[tokio::test]
async fn a_supervisor_removed_since_the_card_is_told_so() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let supervisor = en_user(800, "Supervisor");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    make_supervisor(&h, ward, &supervisor).await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    h.drain().await;
    let (own, _) = membership_of(&h, &secretary).await;
    let card = card_with(&h, &supervisor, &format!("ja:{own}"));
    h.admin(Admin::Role {
        command: lienhe::cli::RoleCommand::Revoke {
            user: supervisor.id,
            role: lienhe::cli::RoleName::Supervisor,
            workplace: None,
            ward: Some(ward),
            cell: None,
        },
    })
    .await;
    let (answer, _) = h.press(&supervisor, &card, "✅ Approve").await;
    let name: String = sqlx::query_scalar("SELECT name FROM wards WHERE id = ?")
        .bind(ward)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let gone = lienhe::t!(Lang::En, "supervisor-role-gone", ward = name.as_str());
    assert_eq!(answer.str_param("text").unwrap_or_default(), gone);
    assert_eq!(membership_of(&h, &secretary).await.1, "pending");
}

/// A hand-over confirmed (the new secretary's name typed) just before a
/// kill, the confirmation never sent: Telegram serves the name again, and
/// the new secretary types it again. The role is taken once, the one
/// before is told once, the new secretary gets an answer, and the one
/// before keeps no secretary's command in their menu.
async fn handover_killed_before_the_confirmation(lang: Lang) {
    let mut h = Harness::start().await;
    let old = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let new = user_in(lang, 150, "Chau");
    let cell = h.cell_with_member(&old, &member).await;
    let out = h
        .admin(Admin::Invite {
            command: InviteCommand::Secretary { cell },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    h.ask(&new, &format!("/start {code}")).await;
    // The one before's notice waits for the restart's sender: one killed
    // while it is on its way sends it again (the outbox is at least once
    // across a kill), and it is counted below.
    h.stop_sender().await;
    let held = h.api.hold_next("sendMessage", new.id);
    let update = h.api.text(&new, "Ngô Minh Châu");
    h.killed_at_and_served_again(held, "the confirmation is on its way", update)
        .await;
    h.drain().await;

    let again = h.ask(&new, "Ngô Minh Châu").await;
    // Told what they can do now: a secretary's commands.
    let answer = again.text.clone().unwrap_or_default();
    assert!(answer.contains("/pending"), "{answer}");
    h.drain().await;
    let secretaries: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM cell_secretaries WHERE cell_id = ?")
            .bind(cell)
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(secretaries, vec![new.id]);
    let told = h
        .api
        .sent(old.id)
        .into_iter()
        .filter(|s| says(s.text.as_deref(), Lang::Vi, "handover-old-secretary"))
        .count();
    assert_eq!(told, 1, "the one before is told once");
    let menu = h
        .api
        .calls_of("setMyCommands")
        .into_iter()
        .rev()
        .find(|c| c.params["scope"]["chat_id"] == old.id)
        .expect("the old secretary's menu");
    assert!(
        !menu.params["commands"].to_string().contains("\"pending\""),
        "{menu:?}"
    );
    let pending = h.ask(&new, "/pending").await;
    assert!(
        !says(pending.text.as_deref(), lang, "deciders-only"),
        "{pending:?}"
    );
}

#[tokio::test]
async fn a_handover_confirmed_just_before_a_kill_is_taken_once_and_answered_when_typed_again() {
    handover_killed_before_the_confirmation(Lang::Vi).await;
}

#[tokio::test]
async fn a_handover_confirmed_just_before_a_kill_is_taken_once_and_answered_when_typed_again_in_english()
 {
    handover_killed_before_the_confirmation(Lang::En).await;
}

/// A deputy's appointment confirmed (their name typed) just before a
/// kill, the confirmation never sent: Telegram serves the name again, and
/// the deputy types it again. They are the cell's deputy once, and are
/// answered with what they can do.
async fn deputy_killed_before_the_confirmation(lang: Lang) {
    let mut h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    let member = vi_user(300, "An");
    let deputy = user_in(lang, 200, "Dung");
    let cell = h.cell_with_member(&secretary, &member).await;
    let link = h.ask(&secretary, "/invite deputy").await;
    let code = start_code(&link.text.unwrap());
    h.ask(&deputy, &format!("/start {code}")).await;
    let held = h.api.hold_next("sendMessage", deputy.id);
    let update = h.api.text(&deputy, "Phạm Văn Dũng");
    h.killed_at_and_served_again(held, "the confirmation is on its way", update)
        .await;
    h.drain().await;

    let again = h.ask(&deputy, "Phạm Văn Dũng").await;
    let answer = again.text.clone().unwrap_or_default();
    assert!(answer.contains("/pending"), "{answer}");
    h.drain().await;
    let deputies: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM cell_deputies WHERE cell_id = ?")
            .bind(cell)
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(deputies, vec![deputy.id]);
    let pending = h.ask(&deputy, "/pending").await;
    assert!(
        !says(pending.text.as_deref(), lang, "deciders-only"),
        "{pending:?}"
    );
}

#[tokio::test]
async fn a_deputy_confirmed_just_before_a_kill_is_appointed_once_and_answered_when_typed_again() {
    deputy_killed_before_the_confirmation(Lang::Vi).await;
}

#[tokio::test]
async fn a_deputy_confirmed_just_before_a_kill_is_appointed_once_and_answered_when_typed_again_in_english()
 {
    deputy_killed_before_the_confirmation(Lang::En).await;
}

/// `/invite` (or `/invite deputy`) typed as the secretary's role goes (the
/// operator revokes it, or a handover completes, between the command's
/// check and its write): before, the link was made and sent to a former
/// secretary all the same. Now the role is read again in the link's
/// transaction: no code made, none sent, the former secretary told.
async fn invite_typed_as_the_role_goes(lang: Lang, command: &str) {
    use lienhe::store::committee::Role;
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Nguyễn Văn Bình").await;
    let codes = || h.count("SELECT COUNT(*) FROM invites WHERE created_by = 100");
    assert_eq!(codes().await, 0);

    let before = h.api.sent_count(secretary.id);
    h.served_as_role_goes(secretary.id, Role::Secretary { cell }, || {
        h.api.text(&secretary, command)
    })
    .await;
    let sent = h.api.sent(secretary.id);
    let replies = &sent[before..];
    assert!(
        replies
            .iter()
            .all(|s| !s.text.as_deref().unwrap_or("").contains("?start=")),
        "no link: {replies:?}"
    );
    assert!(
        replies.iter().any(|s| {
            [
                "secretaries-only",
                "committee-role-gone",
                "committee-role-gone-now",
            ]
            .iter()
            .any(|id| says(s.text.as_deref(), lang, id))
        }),
        "{replies:?}"
    );
    assert_eq!(codes().await, 0);
}

#[tokio::test]
async fn invite_typed_as_the_secretarys_role_goes_makes_no_link() {
    invite_typed_as_the_role_goes(Lang::Vi, "/invite").await;
}

#[tokio::test]
async fn invite_typed_as_the_secretarys_role_goes_makes_no_link_in_english() {
    invite_typed_as_the_role_goes(Lang::En, "/invite deputy").await;
}

/// A deputy secretary typing `/invite` is told whom to ask (the cell's
/// secretary, by name), not only that the command is for secretaries; once
/// the cell has no secretary, that the ward party committee appoints one
/// and that the cell's items come to the deputy meanwhile. No link made.
async fn a_deputys_invite_says_whom_to_ask(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let deputy = user_in(lang, 101, "Hoa");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Nguyễn Văn Bình").await;
    make_deputy(&h, &secretary, &deputy, "Trần Thị Hoa").await;
    let codes = || h.count("SELECT COUNT(*) FROM invites WHERE created_by = 101");

    let answer = h.ask(&deputy, "/invite").await;
    let text = answer.text.unwrap_or_default();
    let expected = lienhe::t!(
        lang,
        "invite-deputy-ask-secretary",
        cell = "Chi bộ khối 5",
        name = "Nguyễn Văn Bình"
    );
    assert_eq!(text, expected);
    assert!(!text.contains("?start="), "{text}");

    let out = revoke_in_cell(&h, 100, lienhe::cli::RoleName::Secretary, cell).await;
    assert!(out.ends_with("revoked"), "{out}");
    let answer = h.ask(&deputy, "/invite").await;
    let expected = lienhe::t!(lang, "invite-deputy-no-secretary", cell = "Chi bộ khối 5");
    assert_eq!(answer.text.as_deref(), Some(expected.as_str()));
    assert_eq!(codes().await, 0);
}

#[tokio::test]
async fn a_deputys_invite_says_whom_to_ask_in_vietnamese() {
    a_deputys_invite_says_whom_to_ask(Lang::Vi).await;
}

#[tokio::test]
async fn a_deputys_invite_says_whom_to_ask_in_english() {
    a_deputys_invite_says_whom_to_ask(Lang::En).await;
}

/// A supervisor standing in for a cell without a deputy pages the queue of
/// the secretary's own 45 reports (their /pending) when the secretary
/// appoints a deputy, who decides those items from then on. Next said the
/// page was no longer in the list and put in its place a queue saying
/// nothing waits in the cell, while the 45 reports still waited (for the
/// deputy) and the cards of the same items said who decides them now. The
/// page press says so too (naming the deputy), the list is left as it was
/// and loses its buttons.
async fn supervisors_queue_paged_after_a_deputy_came(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let supervisor = user_in(lang, 600, "Giám");
    let deputy = user_in(lang, 200, "Dung");
    let cell = h.cell_with_member(&secretary, &member).await;
    make_supervisor(&h, ward_of(&h, cell).await, &supervisor).await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let (own, _) = membership_of(&h, &secretary).await;
    let card = card_with(&h, &supervisor, &format!("ja:{own}"));
    h.press(&supervisor, &card, approve_label(lang)).await;
    let first = submit_report(&h, &secretary, "Họp chi bộ tháng 11").await;
    for n in 0..44 {
        sqlx::query(
            "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                                  description, status, created_at)
             SELECT 'seed-' || ?, membership_id, user_id, cell_id, kind_id, activity_date,
                    description, 'pending', created_at
             FROM reports WHERE id = ?",
        )
        .bind(n)
        .bind(first)
        .execute(&h.pool)
        .await
        .unwrap();
    }
    let list = h.say(&supervisor, "/pending").await.pop().unwrap();
    let next = text_of(lang, "page-next");
    assert!(list.button_data(&next).is_some(), "{list:?}");
    make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let (answer, sent) = h.press(&supervisor, &list, &next).await;
    assert!(sent.is_empty(), "{sent:?}");
    let cell_name: String = sqlx::query_scalar("SELECT name FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let taken = lienhe::t!(
        lang,
        "supervisor-item-taken",
        cell = cell_name.as_str(),
        who = "Phạm Văn Dũng"
    );
    let alert = answer.params["text"].as_str().unwrap_or_default();
    assert_eq!(alert, taken, "{lang:?}");
    let now = h.current(&list);
    assert_eq!(now.text, list.text, "{lang:?}: not said to be empty");
    assert!(now.buttons().is_empty(), "{lang:?}");
}

#[tokio::test]
async fn a_supervisors_queue_paged_after_a_deputy_came_names_the_deputy_vi() {
    supervisors_queue_paged_after_a_deputy_came(Lang::Vi).await;
}

#[tokio::test]
async fn a_supervisors_queue_paged_after_a_deputy_came_names_the_deputy_en() {
    supervisors_queue_paged_after_a_deputy_came(Lang::En).await;
}

/// A secretary of a cell without a deputy asks to join their own cell as a
/// member while the ward has no supervisor: told it will be reviewed once
/// there is someone to decide it. Two weeks on (the ward's note of items
/// waiting that long found nobody to tell), the ward's first supervisor
/// opens their code: the confirmation is followed by what already waits for
/// them, the cell and its count, with the button to /pending, which shows
/// the request's card; approved there, the secretary is a member. A second
/// supervisor, once nothing waits, is told nothing of the kind.
async fn a_new_supervisor_told_what_waits(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    assert!(
        told(&h, &secretary, lang, "role-own-join-waits"),
        "{lang:?}"
    );
    let (own, _) = membership_of(&h, &secretary).await;
    h.clock.advance(chrono::Duration::days(15));
    h.tick().await;

    let ward = ward_of(&h, cell).await;
    let supervisor = user_in(lang, 500, "Dung");
    let code = h.supervisor_code(ward).await;
    let replies = h.say(&supervisor, &format!("/start {code}")).await;
    assert!(
        says(replies[0].text.as_deref(), lang, "supervisor-confirmed"),
        "{replies:?}"
    );
    let note = replies
        .iter()
        .find(|s| {
            s.text
                .as_deref()
                .is_some_and(|t| t.starts_with(&lienhe::t!(lang, "role-items-waiting")))
        })
        .unwrap_or_else(|| panic!("{lang:?}: no word of what waits: {replies:?}"));
    let text = note.text.clone().unwrap();
    let line = lienhe::t!(
        lang,
        "pending-header",
        cell = "Chi bộ khối 5",
        joins = 1,
        reports = 0
    );
    assert!(text.contains(&line), "{text}");
    assert!(
        text.ends_with(&lienhe::t!(lang, "back-items-waiting-end")),
        "{text}"
    );
    let open = lienhe::t!(lang, "button-open-pending");
    let (_, shown) = h.press(&supervisor, note, &open).await;
    let card = shown
        .iter()
        .find(|s| s.buttons().iter().any(|(_, d)| *d == format!("ja:{own}")))
        .unwrap_or_else(|| panic!("{lang:?}: no card of the request: {shown:?}"));
    h.press(&supervisor, card, approve_label(lang)).await;
    assert_eq!(membership_of(&h, &secretary).await.1, "approved");

    let other = user_in(lang, 501, "Giang");
    let code = h.supervisor_code(ward).await;
    let replies = h.say(&other, &format!("/start {code}")).await;
    assert_eq!(replies.len(), 1, "{lang:?}: {replies:?}");
    assert!(
        says(replies[0].text.as_deref(), lang, "supervisor-confirmed"),
        "{replies:?}"
    );
}

#[tokio::test]
async fn a_new_supervisor_is_told_what_already_waits_for_them_vi() {
    a_new_supervisor_told_what_waits(Lang::Vi).await;
}

#[tokio::test]
async fn a_new_supervisor_is_told_what_already_waits_for_them_en() {
    a_new_supervisor_told_what_waits(Lang::En).await;
}

/// A member's report and a newcomer's join request wait in a cell without a
/// deputy for over a week (the week's offer to the deputy found nobody).
/// The deputy appointed then is told in their confirmation what waits in
/// the cell for their decision, as a new secretary is, with /pending, which
/// lists both; the items' cards stayed with the secretary.
async fn a_new_deputy_told_what_waits(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 200, "An");
    h.cell_with_member(&secretary, &member).await;
    let report = submit_report(&h, &member, "Họp tổ dân phố khối 5").await;
    let newcomer = user_in(lang, 300, "Chi");
    let code = h.invite_code(&secretary).await;
    h.request_join(&newcomer, &code, "Lê Thị Chi").await;
    let (join, _) = membership_of(&h, &newcomer).await;
    h.clock.advance(chrono::Duration::days(8));
    h.tick().await;

    let deputy = user_in(lang, 400, "Dũng");
    let link = h.ask(&secretary, "/invite deputy").await;
    let code = start_code(&link.text.unwrap());
    h.ask(&deputy, &format!("/start {code}")).await;
    let replies = h.say(&deputy, "Phạm Văn Dũng").await;
    let confirmed = replies
        .iter()
        .find(|s| says(s.text.as_deref(), lang, "deputy-confirmed"))
        .unwrap_or_else(|| panic!("{lang:?}: {replies:?}"));
    let waiting = lienhe::t!(lang, "secretary-items-waiting", joins = 1, reports = 1);
    let text = confirmed.text.clone().unwrap();
    assert!(text.contains(&waiting), "{lang:?}: {text}");
    let pending = h.say(&deputy, "/pending").await;
    for data in [format!("ja:{join}"), format!("ra:{report}")] {
        assert!(
            pending
                .iter()
                .any(|s| s.buttons().iter().any(|(_, d)| *d == data)),
            "{lang:?}: {data} not in {pending:?}"
        );
    }
}

#[tokio::test]
async fn a_new_deputy_is_told_what_waits_in_the_cell_vi() {
    a_new_deputy_told_what_waits(Lang::Vi).await;
}

#[tokio::test]
async fn a_new_deputy_is_told_what_waits_in_the_cell_en() {
    a_new_deputy_told_what_waits(Lang::En).await;
}

/// A secretary whose role the operator took away, holding no other, types
/// the commands of the role: before, each said "for cell secretaries only"
/// (or whom else it is for) and "you have not joined… open the invite link
/// your secretary sends", as if they had never held it. Now each says the
/// role ended (which cell, since when) and how to join as a member. One who
/// never held a role is answered as before; a secretary of another cell is
/// served.
async fn commands_of_a_role_taken_away(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    h.clock.advance(chrono::Duration::days(3));
    let out = revoke_in_cell(&h, secretary.id, lienhe::cli::RoleName::Secretary, cell).await;
    assert!(out.ends_with("revoked"), "{out}");
    let today = lienhe::domain::dates::format_dmy(h.app().today());
    for command in [
        "/invite",
        "/pending",
        "/members",
        "/sheets",
        "/meeting",
        "/announce",
        "/checkin",
        "/stats",
    ] {
        let reply = h.ask(&secretary, command).await;
        let text = reply.text.unwrap_or_default();
        assert!(
            says(Some(&text), lang, "command-role-gone")
                && text.contains("Chi bộ khối 5")
                && text.contains(&today)
                && says(Some(&text), lang, "command-role-gone-join")
                && !says(Some(&text), lang, "not-joined")
                && !says(Some(&text), lang, "secretaries-only"),
            "{command}: {text}"
        );
    }
    // Never a secretary: as before.
    let nobody = user_in(lang, 900, "Lạ");
    let reply = h.ask(&nobody, "/invite").await;
    let text = reply.text.unwrap_or_default();
    assert!(
        says(Some(&text), lang, "secretaries-only") && says(Some(&text), lang, "not-joined"),
        "{text}"
    );
    // Secretary again, of another cell: served.
    let ward = ward_of(&h, cell).await;
    let other = h.cell(ward, "Chi bộ khối 7").await;
    h.make_secretary(&secretary, other, "Trần Thị Bình").await;
    let reply = h.ask(&secretary, "/members").await;
    let text = reply.text.unwrap_or_default();
    assert!(!says(Some(&text), lang, "command-role-gone"), "{text}");
}

#[tokio::test]
async fn commands_of_a_secretary_whose_role_was_taken_away_say_so_vi() {
    commands_of_a_role_taken_away(Lang::Vi).await;
}

#[tokio::test]
async fn commands_of_a_secretary_whose_role_was_taken_away_say_so_en() {
    commands_of_a_role_taken_away(Lang::En).await;
}

/// `/meetings` typed by a secretary whose role the operator took away and
/// who is no member: before, it said "you have not joined… open the invite
/// link", as if they had never held the role. Now it says the role ended
/// (which cell, since when), that the cell's meetings are no longer shown,
/// and how to join as a member. A deputy whose role was taken away and who
/// is still a member of the cell gets their member's list, as before.
async fn meetings_of_a_role_taken_away(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    make_deputy(&h, &secretary, &member, "Nguyễn Văn An").await;
    h.clock.advance(chrono::Duration::days(3));
    let today = lienhe::domain::dates::format_dmy(h.app().today());
    for (user, role) in [
        (&secretary, lienhe::cli::RoleName::Secretary),
        (&member, lienhe::cli::RoleName::Deputy),
    ] {
        let out = revoke_in_cell(&h, user.id, role, cell).await;
        assert!(out.ends_with("revoked"), "{out}");
    }

    let replies = h.say(&secretary, "/meetings").await;
    assert_eq!(replies.len(), 1, "{lang:?}: {replies:?}");
    let text = replies[0].text.clone().unwrap_or_default();
    assert!(
        says(Some(&text), lang, "meetings-role-gone")
            && text.contains("Chi bộ khối 5")
            && text.contains(&today)
            && says(Some(&text), lang, "command-role-gone-join")
            && !says(Some(&text), lang, "not-joined"),
        "{lang:?}: {text}"
    );

    // Still a member: their own invitations, nothing about the role.
    let replies = h.say(&member, "/meetings").await;
    let texts: Vec<String> = replies.iter().filter_map(|s| s.text.clone()).collect();
    assert!(
        texts
            .iter()
            .any(|t| says(Some(t), lang, "meeting-list-empty-member")),
        "{lang:?}: {texts:?}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| says(Some(t), lang, "meetings-role-gone")),
        "{lang:?}: {texts:?}"
    );
}

#[tokio::test]
async fn meetings_of_a_secretary_whose_role_was_taken_away_say_so_vi() {
    meetings_of_a_role_taken_away(Lang::Vi).await;
}

#[tokio::test]
async fn meetings_of_a_secretary_whose_role_was_taken_away_say_so_en() {
    meetings_of_a_role_taken_away(Lang::En).await;
}

/// The secretary of Chi bộ khối 5 is made deputy of Chi bộ khối 7, then
/// their secretary's role of khối 5 is taken away. Before, the secretary's
/// commands answered them as khối 7's deputy only (ask its secretary for a
/// link; for cell secretaries only), nothing about khối 5. Now each answer
/// keeps the deputy's and adds one line: no longer the secretary of khối 5,
/// since the day it ended.
async fn secretary_commands_of_a_former_secretary_now_deputy(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    let other = h.cell(ward, "Chi bộ khối 7").await;
    let other_secretary = user_in(lang, 500, "Cường");
    h.make_secretary(&other_secretary, other, "Lê Văn Cường")
        .await;
    make_deputy(&h, &other_secretary, &secretary, "Trần Thị Bình").await;
    h.clock.advance(chrono::Duration::days(3));
    let out = revoke_in_cell(&h, secretary.id, lienhe::cli::RoleName::Secretary, cell).await;
    assert!(out.ends_with("revoked"), "{out}");
    let today = lienhe::domain::dates::format_dmy(h.app().today());
    let line = lienhe::t!(
        lang,
        "secretary-role-gone-line",
        cell = "Chi bộ khối 5",
        date = today.as_str()
    );

    let ask = lienhe::t!(
        lang,
        "invite-deputy-ask-secretary",
        cell = "Chi bộ khối 7",
        name = "Lê Văn Cường"
    );
    let reply = h.ask(&secretary, "/invite").await;
    let text = reply.text.unwrap_or_default();
    assert!(
        text.contains(&ask) && text.contains(&line),
        "{lang:?}: {text}"
    );
    assert!(!says(Some(&text), lang, "command-role-gone"), "{text}");
    for (command, refusal) in [
        ("/announce", "secretaries-only"),
        ("/stats", "stats-only"),
        ("/export", "export-only"),
    ] {
        let reply = h.ask(&secretary, command).await;
        let text = reply.text.unwrap_or_default();
        assert!(
            says(Some(&text), lang, refusal)
                && text.contains(&line)
                && says(Some(&text), lang, "refusal-see-help"),
            "{lang:?} {command}: {text}"
        );
    }
    // Khối 7's secretary, who never lost a role: as before.
    let reply = h.ask(&other_secretary, "/invite").await;
    let text = reply.text.unwrap_or_default();
    assert!(!text.contains(&line), "{text}");
}

#[tokio::test]
async fn secretary_commands_of_a_former_secretary_now_deputy_say_the_role_ended_vi() {
    secretary_commands_of_a_former_secretary_now_deputy(Lang::Vi).await;
}

#[tokio::test]
async fn secretary_commands_of_a_former_secretary_now_deputy_say_the_role_ended_en() {
    secretary_commands_of_a_former_secretary_now_deputy(Lang::En).await;
}

/// A secretary of Chi bộ khối 5 and Chi bộ khối 6, made deputy of Chi bộ
/// khối 7, loses the secretary's role of khối 6, then of khối 5 two days
/// later. The line the secretary's commands add named only khối 5, the
/// role ended last; now each ended secretary's role is named with its
/// day, in the order they ended.
async fn secretary_commands_of_a_former_secretary_of_two_cells(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    let second = h.cell(ward, "Chi bộ khối 6").await;
    h.make_secretary(&secretary, second, "Trần Thị Bình").await;
    let other = h.cell(ward, "Chi bộ khối 7").await;
    let other_secretary = user_in(lang, 500, "Cường");
    h.make_secretary(&other_secretary, other, "Lê Văn Cường")
        .await;
    make_deputy(&h, &other_secretary, &secretary, "Trần Thị Bình").await;
    let mut lines = Vec::new();
    for (cell, name) in [(second, "Chi bộ khối 6"), (cell, "Chi bộ khối 5")] {
        h.clock.advance(chrono::Duration::days(2));
        let out = revoke_in_cell(&h, secretary.id, lienhe::cli::RoleName::Secretary, cell).await;
        assert!(out.ends_with("revoked"), "{out}");
        let today = lienhe::domain::dates::format_dmy(h.app().today());
        lines.push(lienhe::t!(
            lang,
            "secretary-role-gone-line",
            cell = name,
            date = today.as_str()
        ));
    }
    let both = lines.join("\n");
    for command in ["/invite", "/announce", "/stats", "/export"] {
        let text = h.ask(&secretary, command).await.text.unwrap_or_default();
        assert!(text.contains(&both), "{lang:?} {command}: {text}");
        assert!(!says(Some(&text), lang, "command-role-gone"), "{text}");
    }
}

#[tokio::test]
async fn secretary_commands_of_a_former_secretary_of_two_cells_name_both_vi() {
    secretary_commands_of_a_former_secretary_of_two_cells(Lang::Vi).await;
}

#[tokio::test]
async fn secretary_commands_of_a_former_secretary_of_two_cells_name_both_en() {
    secretary_commands_of_a_former_secretary_of_two_cells(Lang::En).await;
}

/// A former secretary, holding no role now, whose request to join another
/// cell as a member waits, types a committee command: the role ended
/// (which cell, since when), and their request to join waits since its day,
/// with a button to withdraw it. The second half said "/help lists your
/// commands", as to anybody.
async fn a_former_secretary_whose_join_waits(lang: Lang) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_with_member(&secretary, &member).await;
    let ward = ward_of(&h, cell).await;
    let other = h.cell(ward, "Chi bộ khối 7").await;
    let other_secretary = user_in(lang, 500, "Cường");
    h.make_secretary(&other_secretary, other, "Lê Văn Cường")
        .await;
    h.clock.advance(chrono::Duration::days(3));
    let out = revoke_in_cell(&h, secretary.id, lienhe::cli::RoleName::Secretary, cell).await;
    assert!(out.ends_with("revoked"), "{out}");
    let ended = lienhe::domain::dates::format_dmy(h.app().today());
    h.clock.advance(chrono::Duration::days(1));
    let code = h.invite_code(&other_secretary).await;
    h.request_join(&secretary, &code, "Trần Thị Bình").await;
    let sent = lienhe::domain::dates::format_dmy(h.app().today());
    h.clock.advance(chrono::Duration::days(2));
    for command in ["/invite", "/pending", "/members"] {
        let reply = h.ask(&secretary, command).await;
        let text = reply.text.clone().unwrap_or_default();
        let (gone, waits) = text.split_once("\n\n").unwrap_or_default();
        assert!(
            says(Some(gone), lang, "command-role-gone")
                && gone.contains("Chi bộ khối 5")
                && gone.contains(&ended)
                && says(Some(waits), lang, "join-waiting-since")
                && waits.contains("Chi bộ khối 7")
                && waits.contains(&sent)
                && !says(Some(&text), lang, "refusal-see-help"),
            "{lang:?} {command}: {text}"
        );
        assert_eq!(
            reply.button_texts(),
            vec![text_of(lang, "join-withdraw-button")],
            "{lang:?} {command}"
        );
    }
}

#[tokio::test]
async fn a_former_secretary_whose_join_waits_is_told_it_waits_vi() {
    a_former_secretary_whose_join_waits(Lang::Vi).await;
}

#[tokio::test]
async fn a_former_secretary_whose_join_waits_is_told_it_waits_en() {
    a_former_secretary_whose_join_waits(Lang::En).await;
}
