//! Comments on request: the workplace officer's /request (member, reason,
//! due date, period, Send), the cell's draft over the period through the
//! sheet workflow, the signed comment back to the officer; /requests, the
//! overdue request in the secretary's digest, and every refusal.

use lienhe::{
    cli::{Admin, MemberCommand},
    domain::{Lang, membership::Exemption, request::ReasonKind, sheet::Criterion},
    sheet::build::level_label,
    store::requests::{self, Created, NewRequest},
};

use crate::common::*;

/// A message of the locale files, without arguments.
fn tr(lang: Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

/// The text of a callback answer (an alert or a toast).
fn answer_text(call: &Call) -> String {
    call.params["text"].as_str().unwrap_or_default().to_string()
}

struct Cast {
    secretary: TgUser,
    member: TgUser,
    officer: TgUser,
    workplace: i64,
    membership: i64,
}

/// A cell with its secretary and an approved member of the first
/// workplace, and an officer of that workplace; all speaking `lang`.
async fn cast(h: &Harness, lang: Lang) -> Cast {
    let user = |id, name| match lang {
        Lang::Vi => vi_user(id, name),
        Lang::En => en_user(id, name),
    };
    let (secretary, member, officer) = (user(100, "Bình"), user(300, "An"), user(700, "Cán bộ"));
    h.cell_with_member(&secretary, &member).await;
    let (membership, workplace): (i64, i64) =
        sqlx::query_as("SELECT id, workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    h.ask(
        &officer,
        &format!("/start {}", h.officer_code(workplace).await),
    )
    .await;
    Cast {
        secretary,
        member,
        officer,
        workplace,
        membership,
    }
}

/// The member reports an activity dated today; the secretary approves it.
async fn approved_report_today(h: &Harness, c: &Cast, lang: Lang, text: &str) {
    let kind: String = sqlx::query_scalar(match lang {
        Lang::Vi => "SELECT name_vi FROM activity_kinds WHERE code = 'community'",
        Lang::En => "SELECT name_en FROM activity_kinds WHERE code = 'community'",
    })
    .fetch_one(&h.pool)
    .await
    .unwrap();
    let summary = h
        .report_until_summary(&c.member, &kind, &tr(lang, "button-today"), text, &[])
        .await;
    h.press(&c.member, &summary, &tr(lang, "button-submit"))
        .await;
    let card = h.last(&c.secretary);
    h.press(&c.secretary, &card, &tr(lang, "button-approve"))
        .await;
}

/// The label of a level button on a draft, chosen or not.
fn level_button(sheet: &Sent, lang: Lang, c: Criterion, level: u8) -> String {
    let plain = format!("{}. {}", c.index() + 1, level_label(lang, c, level));
    sheet
        .button_texts()
        .into_iter()
        .find(|l| *l == plain || *l == format!("✓ {plain}"))
        .unwrap_or_else(|| panic!("no button {plain} in {:?}", sheet.button_texts()))
}

/// Chooses the best level of every criterion of the draft.
async fn choose_all(h: &Harness, secretary: &TgUser, draft: &Sent, lang: Lang) {
    for c in Criterion::ALL {
        let current = h.current(draft);
        let label = level_button(&current, lang, c, 0);
        if !label.starts_with("✓ ") {
            h.press(secretary, &current, &label).await;
        }
    }
}

/// The officer asks, with a wrong input at every step; returns the
/// summary shown before Send.
async fn ask_with_mistakes(h: &Harness, c: &Cast, lang: Lang) -> Sent {
    let officer = &c.officer;
    // Accent-insensitive, part of the name.
    let reasons = h.ask(officer, "/request nguyen van").await;
    assert!(
        says(reasons.text.as_deref(), lang, "request-ask-reason"),
        "{:?}",
        reasons.text
    );
    // Typing where a button is expected: named, asked again.
    let replies = h.say(officer, "khen thưởng").await;
    assert!(says(
        replies[0].text.as_deref(),
        lang,
        "request-expect-button"
    ));
    let again = replies.last().unwrap();
    assert!(says(again.text.as_deref(), lang, "request-ask-reason"));
    let commendation = again
        .button_texts()
        .into_iter()
        .find(|l| l.to_lowercase() == tr(lang, "request-reason-commendation"))
        .expect("a commendation button");
    let (_, asked) = h.press(officer, again, &commendation).await;
    assert!(says(
        asked.last().unwrap().text.as_deref(),
        lang,
        "request-ask-due"
    ));
    // Due date: not a date, no such day, today, too far, then right.
    for (typed, problem) in [
        ("sớm nhất có thể", "error-date-format"),
        ("31/06/2026", "error-date-impossible"),
        ("01/06/2026", "request-due-too-soon"),
        ("29/11/2026", "request-due-too-late"),
    ] {
        let replies = h.say(officer, typed).await;
        let text = replies
            .iter()
            .filter_map(|s| s.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(says(Some(&text), lang, problem), "{typed}: {text}");
        assert!(
            says(Some(&text), lang, "request-ask-due"),
            "{typed}: {text}"
        );
    }
    let period = h.ask(officer, "28/11/2026").await;
    assert!(says(period.text.as_deref(), lang, "request-ask-period"));
    assert_eq!(period.button_texts().len(), 2, "last 12 months, cancel");
    // Period: not two dates, reversed, in the future, then right.
    for (typed, problem) in [
        ("năm ngoái", "request-period-format"),
        ("31/05/2026 - 01/03/2026", "request-period-reversed"),
        ("01/03/2026 - 02/06/2026", "request-period-future"),
    ] {
        let replies = h.say(officer, typed).await;
        assert!(
            says(replies[0].text.as_deref(), lang, problem),
            "{typed}: {:?}",
            replies[0].text
        );
        assert!(says(
            replies.last().unwrap().text.as_deref(),
            lang,
            "request-ask-period"
        ));
    }
    let summary = h.ask(officer, "01/03/2026 - 31/05/2026").await;
    let text = summary.text.clone().unwrap();
    assert!(says(Some(&text), lang, "request-summary"), "{text}");
    for part in [
        "Nguyễn Văn An",
        "01/03/2026",
        "31/05/2026",
        "28/11/2026",
        &tr(lang, "request-reason-commendation"),
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    // A text at the summary: the buttons are asked for, the summary again.
    let replies = h.say(officer, "gửi").await;
    assert!(says(
        replies[0].text.as_deref(),
        lang,
        "request-expect-button"
    ));
    replies.last().unwrap().clone()
}

async fn whole_path(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 1, 10, 9, 0);
    let c = cast(&h, lang).await;
    // Another officer of the same workplace: the yearly sheet would go to
    // both, a requested one only to the officer who asked.
    let colleague = match lang {
        Lang::Vi => vi_user(701, "Cán bộ 2"),
        Lang::En => en_user(701, "Officer 2"),
    };
    h.ask(
        &colleague,
        &format!("/start {}", h.officer_code(c.workplace).await),
    )
    .await;
    // One report before the period, one inside it.
    h.set_local(2026, 2, 5, 9, 0);
    approved_report_today(&h, &c, lang, "Tổng vệ sinh tháng hai").await;
    h.set_local(2026, 4, 5, 9, 0);
    approved_report_today(&h, &c, lang, "Trồng cây tháng tư").await;
    let (outside, inside): (i64, i64) =
        sqlx::query_as("SELECT MIN(id), MAX(id) FROM reports WHERE status = 'approved'")
            .fetch_one(&h.pool)
            .await
            .unwrap();

    h.set_local(2026, 6, 1, 9, 0);
    let summary = ask_with_mistakes(&h, &c, lang).await;
    let send = tr(lang, "request-button-send");
    let (_, _) = h.press(&c.officer, &summary, &send).await;
    let settled = h.current(&summary);
    assert!(
        says(settled.text.as_deref(), lang, "request-sent"),
        "{:?}",
        settled.text
    );
    assert!(settled.button_texts().is_empty());
    // A second press of Send makes no second request.
    let (again, _) = h.press(&c.officer, &summary, &send).await;
    assert!(says(Some(&answer_text(&again)), lang, "stale-button"));
    assert_eq!(
        h.count("SELECT COUNT(*) FROM comment_requests").await,
        1,
        "one request"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'request'")
            .await,
        1
    );
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        listed.contains("Nguyễn Văn An") && listed.contains(&tr(lang, "request-state-waiting")),
        "{listed}"
    );

    // The secretary gets it with the member, reason, period and due date.
    let notice = h.last(&c.secretary);
    let text = notice.text.clone().unwrap();
    assert!(says(Some(&text), lang, "request-to-secretary"), "{text}");
    for part in ["Nguyễn Văn An", "01/03/2026", "31/05/2026", "28/11/2026"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    let body = draft.text.clone().unwrap();
    assert!(says(Some(&body), lang, "request-sheet-header"), "{body}");
    // Only the period's approved report counts.
    let (cites_inside, cites_outside) = match lang {
        Lang::Vi => (
            format!("(báo cáo số {inside})"),
            format!("(báo cáo số {outside})"),
        ),
        Lang::En => (
            format!("(report no. {inside})"),
            format!("(report no. {outside})"),
        ),
    };
    assert!(
        body.contains(&cites_inside) && !body.contains(&cites_outside),
        "{body}"
    );
    assert!(
        body.contains("05/04/2026") && !body.contains("05/02/2026"),
        "{body}"
    );
    assert!(
        body.contains(match lang {
            Lang::Vi => "Tổng số hoạt động đã được duyệt: 1",
            Lang::En => "Approved activities: 1",
        }),
        "{body}"
    );
    // Pressing Draft again opens the same sheet.
    h.press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE request_id IS NOT NULL")
            .await,
        1
    );
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        listed.contains(&tr(lang, "request-state-drafting")),
        "{listed}"
    );

    choose_all(&h, &c.secretary, &draft, lang).await;
    h.press(
        &c.secretary,
        &h.current(&draft),
        &tr(lang, "button-send-member"),
    )
    .await;
    let to_member = h.last(&c.member);
    assert!(
        says(to_member.text.as_deref(), lang, "request-for-member"),
        "{:?}",
        to_member.text
    );
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        listed.contains(&tr(lang, "request-state-with-member")),
        "{listed}"
    );
    h.press(&c.member, &to_member, &tr(lang, "button-accept"))
        .await;
    let told = h.last(&c.secretary);
    assert!(says(told.text.as_deref(), lang, "request-told-accepted"));

    // Signing: the request is signed in the same transaction, the
    // documents go to the officer who asked (and the member's copy).
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(700, 2).await;
    h.wait_documents(300, 2).await;
    let (state, signed): (String, Option<String>) =
        sqlx::query_as("SELECT state, signed_at FROM comment_requests")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(state, "signed");
    assert!(signed.is_some());
    let officer_msgs = h.api.sent(700);
    let summary = officer_msgs
        .iter()
        .rev()
        .find(|s| s.method == "sendmessage")
        .unwrap()
        .text
        .clone()
        .unwrap();
    assert!(
        says(Some(&summary), lang, "request-delivered-officer"),
        "{summary}"
    );
    let doc = officer_msgs
        .iter()
        .find(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".docx")))
        .expect("the DOCX");
    assert!(
        doc.file
            .as_deref()
            .unwrap()
            .contains("phieu-nhan-xet-theo-yeu-cau-"),
        "{:?}",
        doc.file
    );
    let xml = part(doc.document_bytes.as_ref().unwrap(), "word/document.xml");
    assert!(
        xml.contains("theo đề nghị") && xml.contains("01/03/2026") && xml.contains("31/05/2026"),
        "the period in the document"
    );
    assert!(
        officer_msgs
            .iter()
            .any(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".pdf")))
    );
    assert!(
        h.api.sent(701).iter().all(|s| s.method != "senddocument"),
        "only the officer who asked"
    );
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    let signed_on = match lang {
        Lang::Vi => "đã ký ngày 01/06/2026",
        Lang::En => "signed on 01/06/2026",
    };
    assert!(
        says(Some(&listed), lang, "request-list-header") && listed.contains(signed_on),
        "{listed}"
    );
    // Verifiable like the yearly sheet, and the yearly sheet is untouched.
    let code: String = sqlx::query_scalar("SELECT code FROM sheets WHERE request_id IS NOT NULL")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let verified = h
        .ask(&c.officer, &format!("/verify {code}"))
        .await
        .text
        .unwrap();
    assert!(
        says(Some(&verified), lang, "request-verify-ok"),
        "{verified}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE request_id IS NULL")
            .await,
        0
    );
    // The Draft button of a signed request opens nothing new.
    let (closed, _) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    assert!(says(Some(&answer_text(&closed)), lang, "request-closed"));
}

#[tokio::test]
async fn a_requested_comment_goes_from_the_officer_to_the_cell_and_back_signed() {
    whole_path(Lang::Vi).await;
}

#[tokio::test]
async fn a_requested_comment_in_english() {
    whole_path(Lang::En).await;
}

#[tokio::test]
async fn an_exempt_members_request_with_a_typed_reason_becomes_overdue_in_the_digest() {
    let mut h = Harness::start().await;
    h.set_local(2026, 1, 10, 9, 0);
    let lang = Lang::En;
    let c = cast(&h, lang).await;
    let out = h
        .admin(Admin::Member {
            command: MemberCommand::Exempt {
                member: c.membership,
                reason: Some(Exemption::Barracks),
                clear: false,
            },
        })
        .await;
    assert_eq!(out.lines().last().unwrap(), "exempt");
    let reasons = h.ask(&c.officer, "/request AN").await;
    assert!(says(reasons.text.as_deref(), lang, "request-exempt-note"));
    let (_, asked) = h
        .press(&c.officer, &reasons, &tr(lang, "request-button-other"))
        .await;
    assert!(says(
        asked.last().unwrap().text.as_deref(),
        lang,
        "request-ask-reason-text"
    ));
    // Too long: named and asked again.
    let replies = h.say(&c.officer, &"x".repeat(501)).await;
    assert!(says(
        replies[0].text.as_deref(),
        lang,
        "request-reason-length"
    ));
    assert!(says(
        replies.last().unwrap().text.as_deref(),
        lang,
        "request-ask-reason-text"
    ));
    h.ask(&c.officer, "Security clearance review").await;
    let period = h.ask(&c.officer, "20/01/2026").await;
    let last_year = period
        .button_texts()
        .into_iter()
        .find(|l| l.contains("11/01/2025 - 10/01/2026"))
        .expect("the last 12 months");
    let (_, shown) = h.press(&c.officer, &period, &last_year).await;
    let summary = shown.last().unwrap().clone();
    assert!(
        summary
            .text
            .clone()
            .unwrap()
            .contains("Security clearance review")
    );
    // The dialogue survives a restart.
    h.restart().await;
    h.press(&c.officer, &summary, &tr(lang, "request-button-send"))
        .await;
    let notice = h.last(&c.secretary);
    let text = notice.text.clone().unwrap();
    assert!(
        says(Some(&text), lang, "request-to-secretary")
            && says(Some(&text), lang, "request-exempt-note")
            && text.contains("Security clearance review"),
        "{text}"
    );

    // Waiting, then overdue after its day.
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        listed.contains(&tr(lang, "request-state-waiting")),
        "{listed}"
    );
    h.set_local(2026, 1, 21, 9, 0);
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        listed.contains(&tr(lang, "request-state-overdue")) && listed.contains("20/01/2026"),
        "{listed}"
    );

    // The month's digest names it.
    h.start_sender(lienhe::jobs::sender::SenderConfig::with_rate(50.0))
        .await;
    h.set_local(2026, 1, 25, 8, 0);
    h.tick().await.month.expect("the month's round");
    h.drain().await;
    let digest = h.last(&c.secretary).text.unwrap();
    assert!(
        says(Some(&digest), lang, "request-digest-overdue")
            && digest.contains("Nguyễn Văn An (Security clearance review")
            && digest.contains("20/01/2026"),
        "{digest}"
    );

    // The exempt member's comment is drafted all the same (short version).
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    assert!(says(draft.text.as_deref(), lang, "request-sheet-header"));
    choose_all(&h, &c.secretary, &draft, lang).await;
    h.press(
        &c.secretary,
        &h.current(&draft),
        &tr(lang, "button-send-member"),
    )
    .await;
    let to_member = h.last(&c.member);
    h.press(&c.member, &to_member, &tr(lang, "button-respond"))
        .await;
    h.ask(&c.member, "Please mention my unit's volunteer work")
        .await;
    let told = h.last(&c.secretary);
    assert!(says(told.text.as_deref(), lang, "request-told-responded"));
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(700, 2).await;
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(listed.contains("signed on 25/01/2026"), "{listed}");
    // Signed, it leaves the digest.
    assert!(
        requests::overdue_in_cells(&h.pool, &[1], h.app().today())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_same_draft_sent_twice_makes_one_request() {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, Lang::Vi).await;
    let officer_id = c.officer.id;
    let today = h.app().today();
    let new = NewRequest {
        token: "same-draft",
        officer_id,
        membership_id: c.membership,
        reason: ReasonKind::Transfer,
        reason_text: None,
        period: lienhe::domain::request::default_period(today),
        due_on: today.succ_opt().unwrap(),
    };
    let (a, b) = tokio::join!(
        requests::create(&h.pool, new.clone(), h.app().now(), |_, _| Vec::new()),
        requests::create(&h.pool, new.clone(), h.app().now(), |_, _| Vec::new()),
    );
    let kinds = [a.unwrap(), b.unwrap()].map(|c| match c {
        Created::New { .. } => "new",
        Created::Again(_) => "again",
        Created::Refused => "refused",
    });
    let mut kinds = kinds.to_vec();
    kinds.sort();
    assert_eq!(kinds, ["again", "new"]);
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 1);
    // Someone who is not the workplace's officer is refused in the store too.
    let stranger = NewRequest {
        token: "other",
        officer_id: c.secretary.id,
        ..new
    };
    assert!(matches!(
        requests::create(&h.pool, stranger, h.app().now(), |_, _| Vec::new())
            .await
            .unwrap(),
        Created::Refused
    ));
    // Two presses of Send arriving at once make one request too.
    let summary = {
        let reasons = h.ask(&c.officer, "/request an").await;
        let transfer = reasons.button_texts()[3].clone();
        h.press(&c.officer, &reasons, &transfer).await;
        let period = h.ask(&c.officer, "15/06/2026").await;
        let label = period.button_texts()[0].clone();
        h.press(&c.officer, &period, &label)
            .await
            .1
            .last()
            .unwrap()
            .clone()
    };
    let send = tr(Lang::Vi, "request-button-send");
    let (first, second) = tokio::join!(
        h.press_concurrently(&c.officer, &summary, &send),
        h.press_concurrently(&c.officer, &summary, &send),
    );
    let _ = (first, second);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 2);
}

#[tokio::test]
async fn every_request_action_is_refused_to_who_may_not_do_it() {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, Lang::Vi).await;
    // Another cell with its secretary; another workplace with its officer.
    let ward: i64 = sqlx::query_scalar("SELECT id FROM wards LIMIT 1")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other_cell = h.cell(ward, "Chi bộ khối 7").await;
    let other_secretary = vi_user(102, "Lan");
    h.make_secretary(&other_secretary, other_cell, "Lê Thị Lan")
        .await;
    let other_workplace: i64 =
        sqlx::query_scalar("SELECT id FROM workplaces WHERE id <> ? ORDER BY id LIMIT 1")
            .bind(c.workplace)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let other_officer = vi_user(702, "Cán bộ khác");
    h.ask(
        &other_officer,
        &format!("/start {}", h.officer_code(other_workplace).await),
    )
    .await;
    let nobody = vi_user(900, "Người lạ");
    h.ask(&nobody, "/help").await;

    // /request and /requests: officers only, and only their workplaces.
    for user in [&nobody, &c.member, &c.secretary] {
        for command in ["/request an", "/requests"] {
            let reply = h.ask(user, command).await;
            assert!(
                says(reply.text.as_deref(), Lang::Vi, "officers-only"),
                "{command} by {}: {:?}",
                user.id,
                reply.text
            );
        }
    }
    let reply = h.ask(&other_officer, "/request an").await;
    assert!(says(reply.text.as_deref(), Lang::Vi, "request-none-found"));
    let reply = h.ask(&c.officer, "/request").await;
    assert!(says(reply.text.as_deref(), Lang::Vi, "request-usage"));
    let reply = h.ask(&c.officer, "/request Trần Thị Bình").await;
    assert!(
        says(reply.text.as_deref(), Lang::Vi, "request-none-found"),
        "the secretary is no member of the workplace"
    );

    // A request by the right officer.
    let reasons = h.ask(&c.officer, "/request an").await;
    let appointment = reasons.button_texts()[0].clone();
    h.press(&c.officer, &reasons, &appointment).await;
    let period = h.ask(&c.officer, "15/06/2026").await;
    let label = period.button_texts()[0].clone();
    let summary = h
        .press(&c.officer, &period, &label)
        .await
        .1
        .last()
        .unwrap()
        .clone();
    h.press(&c.officer, &summary, &tr(Lang::Vi, "request-button-send"))
        .await;
    let request: i64 = sqlx::query_scalar("SELECT id FROM comment_requests")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let notice = h.last(&c.secretary);
    let other_list = h.ask(&other_officer, "/requests").await;
    assert!(says(
        other_list.text.as_deref(),
        Lang::Vi,
        "request-list-none"
    ));

    // Draft comment: only the deciding secretary of the member's cell.
    let draft = format!("xd:{request}");
    for user in [
        &nobody,
        &c.member,
        &other_secretary,
        &c.officer,
        &other_officer,
    ] {
        let (answer, _) = h.press_data(user, notice.message_id, &draft).await;
        assert!(
            says(Some(&answer_text(&answer)), Lang::Vi, "not-allowed"),
            "{} pressed Draft: {:?}",
            user.id,
            answer.params
        );
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets").await,
        0,
        "nothing drafted"
    );
    // The officer's dialogue buttons, pressed by whom they are not for or
    // out of their step; forged data.
    let dialogue_presses: &[(&TgUser, String, &str)] = &[
        (&nobody, "xs".into(), "not-allowed"),
        (&c.member, "xk:a".into(), "not-allowed"),
        (&c.secretary, "xp".into(), "not-allowed"),
        (&other_officer, "xs".into(), "stale-button"),
        (
            &other_officer,
            format!("xm:{}", c.membership),
            "stale-button",
        ),
        (&c.officer, "xs".into(), "stale-button"),
        (&c.secretary, format!("xd:{}", request + 100), "not-allowed"),
        (&c.secretary, "xd:abc".into(), "not-allowed"),
        (&c.secretary, "xd:-1".into(), "not-allowed"),
        (&c.officer, "xk:z".into(), "not-allowed"),
        (&c.officer, "xq".into(), "not-allowed"),
    ];
    for (user, data, expected) in dialogue_presses {
        let (answer, _) = h.press_data(user, notice.message_id, data).await;
        assert!(
            says(Some(&answer_text(&answer)), Lang::Vi, expected),
            "{data} by {}: {:?}",
            user.id,
            answer.params
        );
    }
    // At the member step, a membership that was not offered.
    let other_member = vi_user(301, "Hoa");
    let code = h.invite_code(&c.secretary).await;
    h.request_join(&other_member, &code, "Nguyễn Thị Hoa").await;
    h.press(&c.secretary, &h.last(&c.secretary), "✅ Duyệt")
        .await;
    let choose = h.ask(&c.officer, "/request nguyen").await;
    assert!(says(choose.text.as_deref(), Lang::Vi, "request-ask-member"));
    assert_eq!(choose.button_texts().len(), 3, "two members and Cancel");
    let (answer, _) = h.press_data(&c.officer, choose.message_id, "xm:999").await;
    assert!(says(Some(&answer_text(&answer)), Lang::Vi, "stale-button"));
    h.press(&c.officer, &choose, "✖️ Hủy").await;

    // The right secretary drafts; the other cell's secretary may not act
    // on that sheet either.
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(Lang::Vi, "request-button-draft"))
        .await;
    let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets WHERE request_id = ?")
        .bind(request)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert!(says(
        opened.last().unwrap().text.as_deref(),
        Lang::Vi,
        "request-sheet-header"
    ));
    for data in [
        format!("sl:{sheet}:0:0"),
        format!("ss:{sheet}"),
        format!("sg:{sheet}"),
    ] {
        for user in [&other_secretary, &c.officer, &c.member] {
            let (answer, _) = h.press_data(user, notice.message_id, &data).await;
            assert!(
                says(Some(&answer_text(&answer)), Lang::Vi, "not-allowed"),
                "{data} by {}",
                user.id
            );
        }
    }
    // The officer's help lists the commands, in both languages.
    let help = h.ask(&c.officer, "/help").await.text.unwrap();
    assert!(
        help.contains("/request") && help.contains("/requests"),
        "{help}"
    );
    let en_officer = en_user(703, "Officer");
    h.ask(
        &en_officer,
        &format!("/start {}", h.officer_code(c.workplace).await),
    )
    .await;
    let help = h.ask(&en_officer, "/help").await.text.unwrap();
    assert!(says(Some(&help), Lang::En, "request-help"), "{help}");
    let help = h.ask(&nobody, "/help").await.text.unwrap();
    assert!(!help.contains("/request"), "{help}");
}

#[tokio::test]
async fn a_request_about_the_secretary_goes_to_the_deputy() {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, Lang::Vi).await;
    let deputy = en_user(101, "Dũng");
    crate::committee::make_deputy(&h, &c.secretary, &deputy, "Phạm Văn Dũng").await;
    // The secretary is also a member of the cell (of the same workplace).
    let code = h.invite_code(&c.secretary).await;
    h.request_join(&c.secretary, &code, "Trần Thị Bình").await;
    let card = h.last(&deputy);
    h.press(&deputy, &card, "✅ Approve").await;

    let reasons = h.ask(&c.officer, "/request tran thi binh").await;
    assert!(says(
        reasons.text.as_deref(),
        Lang::Vi,
        "request-ask-reason"
    ));
    let appointment = reasons.button_texts()[0].clone();
    h.press(&c.officer, &reasons, &appointment).await;
    let period = h.ask(&c.officer, "30/06/2026").await;
    let label = period.button_texts()[0].clone();
    let summary = h
        .press(&c.officer, &period, &label)
        .await
        .1
        .last()
        .unwrap()
        .clone();
    let before = h.api.sent(100).len();
    h.press(&c.officer, &summary, &tr(Lang::Vi, "request-button-send"))
        .await;
    // The deputy gets it, in their language; the secretary does not.
    let notice = h.last(&deputy);
    assert!(
        says(notice.text.as_deref(), Lang::En, "request-to-secretary")
            && notice.text.clone().unwrap().contains("Trần Thị Bình"),
        "{:?}",
        notice.text
    );
    assert!(
        h.api.sent(100)[before..].iter().all(|s| !says(
            s.text.as_deref(),
            Lang::Vi,
            "request-to-secretary"
        )),
        "not to the secretary about themselves"
    );
    let request: i64 = sqlx::query_scalar("SELECT id FROM comment_requests")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    // Nobody writes their own comment.
    let (answer, _) = h
        .press_data(&c.secretary, notice.message_id, &format!("xd:{request}"))
        .await;
    assert!(says(Some(&answer_text(&answer)), Lang::Vi, "not-allowed"));
    let (_, opened) = h
        .press(&deputy, &notice, &tr(Lang::En, "request-button-draft"))
        .await;
    assert!(says(
        opened.last().unwrap().text.as_deref(),
        Lang::En,
        "request-sheet-header"
    ));
}
