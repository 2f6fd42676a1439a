//! Comments on request: the workplace officer's /request (member, reason,
//! due date, period, Send), the cell's draft over the period through the
//! sheet workflow, the signed comment back to the officer; /requests, the
//! overdue request in the secretary's digest, and every refusal.

use lienhe::{
    cli::{Admin, MemberCommand},
    domain::{Lang, membership::Exemption, request::ReasonKind, sheet::Criterion},
    sheet::build::{criterion_label, level_label, reason_label},
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
    another_officer(&h, &c, &colleague).await;
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

    // The member changes job before it is signed: the comment stays
    // addressed to the workplace that asked.
    let now = lienhe::clock::Clock::now(h.clock.as_ref());
    let moved = lienhe::store::memberships::set_workplace(
        &h.pool,
        c.membership,
        c.member.id,
        &lienhe::domain::membership::WorkplaceChoice::Other {
            name: "Công ty Mới Thành Lập".into(),
        },
        (
            now,
            &lienhe::store::dialogues::Next {
                chat_id: c.member.id,
                state: None,
            },
        ),
    )
    .await
    .unwrap();
    assert!(moved);
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
    // Named in the officer's language (the form itself is Vietnamese).
    let named = match lang {
        Lang::Vi => "phieu-nhan-xet-theo-yeu-cau-",
        Lang::En => "comment-on-request-",
    };
    assert!(
        doc.file.as_deref().unwrap().contains(named),
        "{:?}",
        doc.file
    );
    let xml = part(doc.document_bytes.as_ref().unwrap(), "word/document.xml");
    assert!(
        xml.contains("theo đề nghị") && xml.contains("01/03/2026") && xml.contains("31/05/2026"),
        "the period in the document"
    );
    assert!(
        xml.contains("Sở Tư pháp tỉnh Nghệ An") && !xml.contains("Công ty Mới Thành Lập"),
        "addressed to the workplace that asked"
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
    // No criteria to choose: sent as it is.
    assert!(says(draft.text.as_deref(), lang, "sheet-short-version"));
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
    // The secretary takes the draft back to change it: the response stays
    // in view; the changed draft sent again and not answered, it is on the
    // signed sheet as the response to the earlier draft.
    h.press(&c.secretary, &h.current(&draft), &tr(lang, "button-reopen"))
        .await;
    let view = h.current(&draft).text.unwrap();
    assert!(
        says(Some(&view), lang, "sheet-member-responded") && view.contains("volunteer work"),
        "{view}"
    );
    h.press(
        &c.secretary,
        &h.current(&draft),
        &tr(lang, "button-send-member"),
    )
    .await;
    let view = h.current(&draft).text.unwrap();
    assert!(
        says(Some(&view), lang, "sheet-member-responded-earlier"),
        "{view}"
    );
    h.press(&c.secretary, &h.current(&draft), &tr(lang, "button-sign"))
        .await;
    h.wait_documents(700, 2).await;
    let xml = h.first_docx(700);
    assert!(
        xml.contains("Please mention my unit") && !xml.contains(&tr(Lang::Vi, "doc-member-seen")),
        "the response is on the sheet"
    );
    // (The document is in Vietnamese.) Its evidence is the period's, not a
    // year's.
    assert!(xml.contains(&tr(Lang::Vi, "request-doc-evidence-heading")));
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
        requests::create(&h.pool, new.clone(), h.app().now(), |_, _, _| Vec::new()),
        requests::create(&h.pool, new.clone(), h.app().now(), |_, _, _| Vec::new()),
    );
    let kinds = [a.unwrap(), b.unwrap()].map(|c| match c {
        Created::New { .. } => "new",
        Created::Again(_) => "again",
        Created::Refused => "refused",
        Created::MemberGone => "member gone",
        Created::Open { .. } => "open",
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
        requests::create(&h.pool, stranger, h.app().now(), |_, _, _| Vec::new())
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
    // And that draft, for the same member and an overlapping period while
    // the first request is open, makes none.
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 1);
}

/// An officer's /request about the member, due 15/06/2026, over the last
/// 12 months, up to its summary.
async fn request_summary(h: &Harness, officer: &TgUser) -> Sent {
    let reasons = h.ask(officer, "/request an").await;
    let label = reasons.button_texts()[0].clone();
    h.press(officer, &reasons, &label).await;
    let period = h.ask(officer, "15/06/2026").await;
    let label = period.button_texts()[0].clone();
    h.press(officer, &period, &label)
        .await
        .1
        .last()
        .unwrap()
        .clone()
}

async fn two_officers_at_once(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = user_in(lang, 701, "Cán bộ Hai");
    another_officer(&h, &c, &colleague).await;
    let (mine, theirs) = (
        request_summary(&h, &c.officer).await,
        request_summary(&h, &colleague).await,
    );
    let send = tr(lang, "request-button-send");
    let (a, b) = tokio::join!(
        h.press_concurrently(&c.officer, &mine, &send),
        h.press_concurrently(&colleague, &theirs, &send),
    );
    let _ = (a, b);
    h.quiet().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 1);
    let cards = h
        .api
        .sent(c.secretary.id)
        .into_iter()
        .filter(|s| says(s.text.as_deref(), lang, "request-to-secretary"))
        .count();
    assert_eq!(cards, 1, "one card to the secretary");
    // The officer who lost the race is told who asked, and when.
    let (request, asker): (i64, i64) =
        sqlx::query_as("SELECT id, officer_id FROM comment_requests")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let (first, told) = if asker == c.officer.id {
        (&mine, &theirs)
    } else {
        (&theirs, &mine)
    };
    assert!(says(h.current(first).text.as_deref(), lang, "request-sent"));
    let text = h.current(told).text.unwrap();
    assert!(says(Some(&text), lang, "request-already-open"), "{text}");
    let name = if asker == c.officer.id {
        c.officer.first_name.clone()
    } else {
        colleague.first_name.clone()
    };
    assert!(text.contains(&name), "{name} in {text}");
    assert!(text.contains("01/06/2026"), "{text}");
    assert!(h.current(told).button_texts().is_empty());
    // Withdrawn, it may be asked again.
    withdraw(&h, &c.officer, lang, request).await;
    let again = request_summary(&h, &colleague).await;
    h.press(&colleague, &again, &send).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM comment_requests WHERE state = 'requested'")
            .await,
        1
    );
}

#[tokio::test]
async fn two_officers_asking_about_one_member_at_once_make_one_request() {
    two_officers_at_once(Lang::Vi).await;
}

#[tokio::test]
async fn two_officers_asking_about_one_member_at_once_in_english() {
    two_officers_at_once(Lang::En).await;
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

    // /request and /requests: officers only, and only their workplaces
    // (the secretary's /requests is the cell's own list).
    let own = h.ask(&c.secretary, "/requests").await;
    assert!(
        says(own.text.as_deref(), Lang::Vi, "request-cell-list-none"),
        "{own:?}"
    );
    for (user, commands) in [
        (&nobody, &["/request an", "/requests"][..]),
        (&c.member, &["/request an", "/requests"][..]),
        (&c.secretary, &["/request an"][..]),
    ] {
        for &command in commands {
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
    another_officer(&h, &c, &en_officer).await;
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

// ------------------------------------------------------------ withdrawing

/// The last message to `user` that says message `id`.
fn last_saying(h: &Harness, user: &TgUser, lang: Lang, id: &str) -> Sent {
    h.api
        .sent(user.id)
        .into_iter()
        .rev()
        .find(|s| says(s.text.as_deref(), lang, id))
        .unwrap_or_else(|| panic!("no {id} to {}", user.id))
}

/// The officer asks for a comment on the member (the reason of button
/// `reason`, due 15/06/2026, over the last 12 months); returns the
/// request's id.
async fn send_request(h: &Harness, c: &Cast, lang: Lang, reason: usize) -> i64 {
    send_request_over(h, c, lang, reason, None).await
}

/// [`send_request`] over the period typed (`dd/mm/yyyy - dd/mm/yyyy`), if
/// one is given.
async fn send_request_over(
    h: &Harness,
    c: &Cast,
    lang: Lang,
    reason: usize,
    typed: Option<&str>,
) -> i64 {
    let reasons = h.ask(&c.officer, "/request an").await;
    assert!(
        says(reasons.text.as_deref(), lang, "request-ask-reason"),
        "{:?}",
        reasons.text
    );
    let label = reasons.button_texts()[reason].clone();
    h.press(&c.officer, &reasons, &label).await;
    let period = h.ask(&c.officer, "15/06/2026").await;
    assert!(
        says(period.text.as_deref(), lang, "request-ask-period"),
        "{:?}",
        period.text
    );
    let summary = match typed {
        Some(typed) => h.ask(&c.officer, typed).await,
        None => {
            let label = period.button_texts()[0].clone();
            h.press(&c.officer, &period, &label)
                .await
                .1
                .last()
                .unwrap()
                .clone()
        }
    };
    h.press(&c.officer, &summary, &tr(lang, "request-button-send"))
        .await;
    sqlx::query_scalar("SELECT MAX(id) FROM comment_requests")
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// [`send_request`], and the notice its cell got.
pub(crate) async fn sent_request(h: &Harness, c: &Cast, lang: Lang, reason: usize) -> (i64, Sent) {
    let request = send_request(h, c, lang, reason).await;
    (
        request,
        last_saying(h, &c.secretary, lang, "request-to-secretary"),
    )
}

/// The officer's /requests, Withdraw pressed by `request`: the list, now
/// asking to confirm in place.
async fn ask_withdraw(h: &Harness, officer: &TgUser, lang: Lang, request: i64) -> Sent {
    let list = h.ask(officer, "/requests").await;
    let label = label_of(&list, &format!("xw:{request}"))
        .unwrap_or_else(|| panic!("no Withdraw by {request}: {:?}", list.buttons()));
    h.press(officer, &list, &label).await;
    let confirm = h.current(&list);
    assert!(
        says(confirm.text.as_deref(), lang, "request-withdraw-ask"),
        "{:?}",
        confirm.text
    );
    assert_eq!(
        confirm.button_texts(),
        [
            tr(lang, "request-button-withdraw-yes"),
            tr(lang, "request-button-withdraw-no")
        ]
    );
    confirm
}

/// Withdraws `request` through /requests; the answer to the confirmation
/// and the message as it then shows.
async fn withdraw(h: &Harness, officer: &TgUser, lang: Lang, request: i64) -> (Call, Sent) {
    let confirm = ask_withdraw(h, officer, lang, request).await;
    let (answer, _) = h
        .press(officer, &confirm, &tr(lang, "request-button-withdraw-yes"))
        .await;
    (answer, h.current(&confirm))
}

/// An officer's list filling a whole message: after a withdrawal it is
/// shown again without a line lost (the note in front left out where it
/// does not fit: it was answered to the press already).
#[tokio::test]
async fn a_full_list_shown_again_after_a_withdrawal_keeps_every_line() {
    let lang = Lang::Vi;
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let request = send_request(&h, &c, lang, 0).await;
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(c.membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    insert_members(&h, cell, Some(c.workplace), 2000, 20, "approved").await;
    sqlx::query(
        "INSERT INTO comment_requests (workplace_id, officer_id, membership_id, reason_kind,
                                       reason_text, period_from, period_to, due_on, state,
                                       token, created_at, updated_at)
         SELECT r.workplace_id, r.officer_id, m.id, r.reason_kind, r.reason_text,
                r.period_from, r.period_to, r.due_on, 'requested', 'copy-' || m.id,
                r.created_at, r.updated_at
         FROM comment_requests r, memberships m WHERE r.id = ? AND m.user_id >= 2000",
    )
    .bind(request)
    .execute(&h.pool)
    .await
    .unwrap();
    // One name long enough for the list to fill a message.
    let list = h.ask(&c.officer, "/requests").await.text.unwrap();
    let pad = 3960 - lienhe::telegram::send::units(&list);
    let long = format!("Đảng viên 2000 {}", "x".repeat(pad - 1));
    sqlx::query("UPDATE memberships SET full_name = ? WHERE user_id = 2000")
        .bind(&long)
        .execute(&h.pool)
        .await
        .unwrap();
    let before = h.api.sent_count(c.officer.id);
    let list = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert_eq!(h.api.sent_count(c.officer.id), before + 1, "one message");
    assert!(list.contains(&long), "{list}");
    let (_, shown) = withdraw(&h, &c.officer, lang, request).await;
    let shown = shown.text.unwrap();
    assert!(shown.contains(&long), "{shown}");
    for id in 2001..2020 {
        assert!(shown.contains(&format!("Đảng viên {id} ")), "{id}: {shown}");
    }
    assert!(shown.contains(&withdrawn_on(lang, "01/06/2026")), "{shown}");
}

fn withdrawn_on(lang: Lang, date: &str) -> String {
    match lang {
        Lang::Vi => format!("đã rút lại ngày {date}"),
        Lang::En => format!("withdrawn on {date}"),
    }
}

async fn request_state(h: &Harness, request: i64) -> (String, Option<String>) {
    sqlx::query_as("SELECT state, cancelled_at FROM comment_requests WHERE id = ?")
        .bind(request)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

async fn withdrawals(h: &Harness, request: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'request_withdraw' AND subject_id = ?",
    )
    .bind(request)
    .fetch_one(&h.pool)
    .await
    .unwrap()
}

async fn withdrawn_before_drafting(lang: Lang) {
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    // Two requests: an appointment (withdrawn below) and a transfer over
    // an earlier year (kept).
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let kept_request = send_request_over(&h, &c, lang, 3, Some("01/01/2024 - 31/12/2024")).await;
    assert_ne!(kept_request, request);
    let member_before = h.api.sent(c.member.id).len();

    // Keep: nothing changes, the list again with its buttons.
    let confirm = ask_withdraw(&h, &c.officer, lang, request).await;
    let text = confirm.text.clone().unwrap();
    assert!(
        text.contains("Nguyễn Văn An")
            && text.contains("15/06/2026")
            && text.contains(&reason_label(lang, ReasonKind::Appointment, None)),
        "{text}"
    );
    h.press(
        &c.officer,
        &confirm,
        &tr(lang, "request-button-withdraw-no"),
    )
    .await;
    let kept = h.current(&confirm);
    assert!(
        says(kept.text.as_deref(), lang, "request-list-header"),
        "{:?}",
        kept.text
    );
    assert!(label_of(&kept, &format!("xw:{request}")).is_some());
    assert!(label_of(&kept, &format!("xw:{kept_request}")).is_some());
    assert_eq!(request_state(&h, request).await.0, "requested");

    // Withdraw, two days later.
    h.set_local(2026, 6, 3, 10, 0);
    let (answer, shown) = withdraw(&h, &c.officer, lang, request).await;
    assert!(
        says(Some(&answer_text(&answer)), lang, "request-withdrawn-done"),
        "{:?}",
        answer.params
    );
    let text = shown.text.clone().unwrap();
    assert!(
        says(Some(&text), lang, "request-withdrawn-done")
            && text.contains(&withdrawn_on(lang, "03/06/2026")),
        "{text}"
    );
    assert!(label_of(&shown, &format!("xw:{request}")).is_none());
    assert!(label_of(&shown, &format!("xw:{kept_request}")).is_some());
    let (state, cancelled_at) = request_state(&h, request).await;
    assert_eq!(state, "cancelled");
    assert!(cancelled_at.is_some());
    assert_eq!(request_state(&h, kept_request).await.0, "requested");
    assert_eq!(withdrawals(&h, request).await, 1);

    // The secretary is told; the member, who was sent nothing, is not.
    let told = h.last(&c.secretary);
    let text = told.text.clone().unwrap();
    assert!(
        says(Some(&text), lang, "request-withdrawn-to-cell")
            && text.contains("Nguyễn Văn An")
            && text.contains("15/06/2026"),
        "{text}"
    );
    assert_eq!(h.api.sent(c.member.id).len(), member_before);
    let secretary_before = h.api.sent(c.secretary.id).len();
    // The secretary's card of the withdrawn request lost its Draft button
    // at once (its text as it was); the kept request's card keeps it.
    let card = h.current(&notice);
    assert!(card.buttons().is_empty(), "{card:?}");
    assert_eq!(card.text, notice.text);
    let kept_card = h
        .api
        .sent(c.secretary.id)
        .into_iter()
        .find(|m| label_of(m, &format!("xd:{kept_request}")).is_some())
        .expect("the kept request's card");
    assert!(!h.current(&kept_card).buttons().is_empty());

    // A press on an old copy of the Draft button says why it opens nothing.
    let (answer, _) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    assert!(says(
        Some(&answer_text(&answer)),
        lang,
        "request-withdrawn-sheet"
    ));
    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 0);
    let closed = h.current(&notice);
    assert!(closed.buttons().is_empty(), "{closed:?}");
    assert!(
        says(closed.text.as_deref(), lang, "request-to-secretary")
            && closed
                .text
                .as_deref()
                .unwrap()
                .ends_with(&tr(lang, "request-withdrawn-sheet")),
        "{closed:?}"
    );

    // A second press (the confirmation again, a stale list): idempotent.
    for data in [format!("xy:{request}"), format!("xw:{request}")] {
        let (again, _) = h.press_data(&c.officer, shown.message_id, &data).await;
        assert!(
            says(Some(&answer_text(&again)), lang, "request-withdraw-already"),
            "{data}: {:?}",
            again.params
        );
    }
    assert_eq!(withdrawals(&h, request).await, 1);
    assert_eq!(h.api.sent(c.secretary.id).len(), secretary_before);
    let listed = h.ask(&c.officer, "/requests").await;
    let text = listed.text.clone().unwrap();
    assert!(text.contains(&withdrawn_on(lang, "03/06/2026")), "{text}");
    assert_eq!(listed.button_texts().len(), 1, "the kept request only");

    // Past the due day the withdrawn request is not overdue, in /requests
    // or in the cell's digest; the kept one is.
    h.start_sender(lienhe::jobs::sender::SenderConfig::with_rate(50.0))
        .await;
    h.set_local(2026, 6, 25, 8, 0);
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert_eq!(
        listed.matches(&tr(lang, "request-state-overdue")).count(),
        1,
        "{listed}"
    );
    assert!(
        listed.contains(&withdrawn_on(lang, "03/06/2026")),
        "{listed}"
    );
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(c.membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let overdue = requests::overdue_in_cells(&h.pool, &[cell], h.app().today())
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].reason_kind, "transfer");
    h.tick().await.month.expect("the month's round");
    h.drain().await;
    let digest = last_saying(&h, &c.secretary, lang, "request-digest-overdue")
        .text
        .unwrap();
    assert!(
        digest.contains(&reason_label(lang, ReasonKind::Transfer, None))
            && !digest.contains(&format!(
                "({}",
                reason_label(lang, ReasonKind::Appointment, None)
            )),
        "{digest}"
    );
    // The workplace's officers see the one still open past its day too,
    // with the member's cell; the withdrawn one is not there.
    let cell_name: String = sqlx::query_scalar("SELECT name FROM cells WHERE id = ?")
        .bind(cell)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let digest = last_saying(&h, &c.officer, lang, "officer-digest-overdue")
        .text
        .unwrap();
    assert!(
        says(Some(&digest), lang, "officer-digest-header")
            && digest.contains(&format!(
                "Nguyễn Văn An ({}; {cell_name})",
                reason_label(lang, ReasonKind::Transfer, None)
            ))
            && digest.contains("15/06/2026")
            && !digest.contains(&reason_label(lang, ReasonKind::Appointment, None))
            && !says(Some(&digest), lang, "officer-digest-nothing"),
        "{digest}"
    );
}

#[tokio::test]
async fn a_request_withdrawn_before_drafting_tells_the_cell_and_leaves_the_digest() {
    withdrawn_before_drafting(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_withdrawn_before_drafting_in_english() {
    withdrawn_before_drafting(Lang::En).await;
}

/// An officer prepares a request due 02/06/2026 over a typed period on
/// 01/06 and presses Send only on 02/06: the due day is asked again, and
/// the new one brings the summary back with the period chosen (not the
/// period asked again).
async fn sent_after_its_due_day(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let reasons = h.ask(&c.officer, "/request an").await;
    let label = reasons.button_texts()[0].clone();
    h.press(&c.officer, &reasons, &label).await;
    h.ask(&c.officer, "02/06/2026").await;
    let summary = h.ask(&c.officer, "01/01/2026 - 31/05/2026").await;
    assert!(says(summary.text.as_deref(), lang, "request-summary"));
    h.set_local(2026, 6, 2, 9, 0);
    let (_, replies) = h
        .press(&c.officer, &summary, &tr(lang, "request-button-send"))
        .await;
    let asked = replies
        .last()
        .and_then(|r| r.text.clone())
        .unwrap_or_default();
    assert!(says(Some(&asked), lang, "request-due-too-soon"), "{asked}");
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 0);
    let again = h.ask(&c.officer, "15/06/2026").await;
    let text = again.text.clone().unwrap_or_default();
    assert!(says(Some(&text), lang, "request-summary"), "{text}");
    assert!(
        text.contains("01/01/2026") && text.contains("31/05/2026") && text.contains("15/06/2026"),
        "{text}"
    );
    h.press(&c.officer, &again, &tr(lang, "request-button-send"))
        .await;
    let stored: (String, String, String) =
        sqlx::query_as("SELECT period_from, period_to, due_on FROM comment_requests")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (
            "2026-01-01".into(),
            "2026-05-31".into(),
            "2026-06-15".into()
        )
    );
}

#[tokio::test]
async fn a_request_sent_after_its_due_day_keeps_its_period() {
    sent_after_its_due_day(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_sent_after_its_due_day_keeps_its_period_in_english() {
    sent_after_its_due_day(Lang::En).await;
}

/// The request is withdrawn while its card to the secretary is still in
/// the outbox (the sender down): the card goes out without its Draft
/// button, then the withdrawal notice.
async fn withdrawn_before_its_card_went_out(lang: Lang) {
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    h.kill_sender().await;
    let before = h.api.sent(c.secretary.id).len();
    let request = send_request(&h, &c, lang, 0).await;
    assert_eq!(h.api.sent(c.secretary.id).len(), before, "nothing sent yet");

    withdraw(&h, &c.officer, lang, request).await;
    assert_eq!(request_state(&h, request).await.0, "cancelled");
    h.start_sender(default_sender()).await;
    h.drain().await;
    let card = last_saying(&h, &c.secretary, lang, "request-to-secretary");
    assert!(card.buttons().is_empty(), "{card:?}");
    assert!(card.text.as_deref().unwrap().contains("Nguyễn Văn An"));
    let told = h.last(&c.secretary);
    assert!(
        says(told.text.as_deref(), lang, "request-withdrawn-to-cell"),
        "{told:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM decision_messages WHERE subject = 'request'")
            .await,
        0,
        "not recorded as a card to settle"
    );
}

#[tokio::test]
async fn a_request_withdrawn_before_its_card_went_out_loses_its_button() {
    withdrawn_before_its_card_went_out(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_withdrawn_before_its_card_went_out_in_english() {
    withdrawn_before_its_card_went_out(Lang::En).await;
}

async fn withdrawn_while_drafting(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 1).await;
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    assert!(says(draft.text.as_deref(), lang, "request-sheet-header"));
    let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets WHERE request_id = ?")
        .bind(request)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        listed.contains(&tr(lang, "request-state-drafting")),
        "{listed}"
    );
    let member_before = h.api.sent(c.member.id).len();

    let (answer, _) = withdraw(&h, &c.officer, lang, request).await;
    assert!(says(
        Some(&answer_text(&answer)),
        lang,
        "request-withdrawn-done"
    ));
    assert!(says(
        h.last(&c.secretary).text.as_deref(),
        lang,
        "request-withdrawn-to-cell"
    ));
    assert_eq!(
        h.api.sent(c.member.id).len(),
        member_before,
        "not sent to the member"
    );

    // Every button of the draft is refused, saying why; nothing changes.
    let level = level_button(&h.current(&draft), lang, Criterion::ALL[0], 0);
    let (answer, _) = h.press(&c.secretary, &h.current(&draft), &level).await;
    assert!(says(
        Some(&answer_text(&answer)),
        lang,
        "request-withdrawn-sheet"
    ));
    // The draft loses its buttons, saying why under its text.
    let closed = h.current(&draft);
    let closed_text = closed.text.clone().unwrap();
    assert!(closed.buttons().is_empty(), "{closed:?}");
    assert!(
        closed_text.ends_with(&tr(lang, "request-withdrawn-sheet"))
            && says(Some(&closed_text), lang, "request-sheet-header"),
        "{closed_text}"
    );
    for data in [
        format!("sl:{sheet}:1:0"),
        format!("sr:{sheet}"),
        format!("ss:{sheet}"),
        format!("sg:{sheet}"),
        format!("xd:{request}"),
    ] {
        let (answer, _) = h.press_data(&c.secretary, draft.message_id, &data).await;
        assert!(
            says(Some(&answer_text(&answer)), lang, "request-withdrawn-sheet"),
            "{data}: {:?}",
            answer.params
        );
    }
    let (state, criteria): (String, String) =
        sqlx::query_as("SELECT state, criteria FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(state, "draft");
    assert!(!criteria.contains("0,0"), "no level set: {criteria}");
    assert_eq!(h.api.sent(c.member.id).len(), member_before);
    // The store refuses too, whatever the bot checked before.
    let step = lienhe::store::sheets::send_to_member(
        &h.pool,
        sheet,
        c.secretary.id,
        h.app().now(),
        h.app().tz,
        |_, _| Vec::new(),
    )
    .await
    .unwrap();
    assert!(matches!(step, lienhe::store::sheets::Step::Withdrawn));
    assert!(!matches!(
        lienhe::store::sheets::set_level(&h.pool, sheet, (0, 0), c.secretary.id, h.app().now())
            .await
            .unwrap(),
        lienhe::store::sheets::Step::Done(_)
    ));
    assert!(!matches!(
        lienhe::store::sheets::set_remarks(
            &h.pool,
            sheet,
            ("late", c.secretary.id),
            (
                h.app().now(),
                &lienhe::store::dialogues::Next {
                    chat_id: 100,
                    state: None
                }
            )
        )
        .await
        .unwrap(),
        lienhe::store::sheets::Step::Done(_)
    ));
    let listed = h.ask(&c.officer, "/requests").await;
    assert!(
        listed
            .text
            .clone()
            .unwrap()
            .contains(&withdrawn_on(lang, "01/06/2026"))
    );
    assert!(listed.button_texts().is_empty());
}

#[tokio::test]
async fn a_request_withdrawn_while_drafting_closes_the_secretarys_sheet() {
    withdrawn_while_drafting(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_withdrawn_while_drafting_in_english() {
    withdrawn_while_drafting(Lang::En).await;
}

/// The request's sheet drafted (every level chosen) and sent to the
/// member; returns the sheet and the member's message.
async fn drafted_and_sent(
    h: &Harness,
    c: &Cast,
    lang: Lang,
    notice: &Sent,
    request: i64,
) -> (i64, Sent) {
    let (_, opened) = h
        .press(&c.secretary, notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    choose_all(h, &c.secretary, &draft, lang).await;
    h.press(
        &c.secretary,
        &h.current(&draft),
        &tr(lang, "button-send-member"),
    )
    .await;
    let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets WHERE request_id = ?")
        .bind(request)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    (sheet, last_saying(h, &c.member, lang, "request-for-member"))
}

async fn withdrawn_with_the_member(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 2).await;
    let (sheet, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    let listed = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        listed.contains(&tr(lang, "request-state-with-member")),
        "{listed}"
    );

    let (answer, _) = withdraw(&h, &c.officer, lang, request).await;
    assert!(says(
        Some(&answer_text(&answer)),
        lang,
        "request-withdrawn-done"
    ));
    // The member and the secretary are told.
    let told = h.last(&c.member);
    let text = told.text.clone().unwrap();
    assert!(
        says(Some(&text), lang, "request-withdrawn-to-member")
            && text.contains(&reason_label(lang, ReasonKind::Discipline, None)),
        "{text}"
    );
    assert!(says(
        h.last(&c.secretary).text.as_deref(),
        lang,
        "request-withdrawn-to-cell"
    ));
    // The member's Accept and Respond are refused, saying why.
    for label in [tr(lang, "button-accept"), tr(lang, "button-respond")] {
        let (answer, _) = h.press(&c.member, &to_member, &label).await;
        assert!(
            says(Some(&answer_text(&answer)), lang, "request-withdrawn-sheet"),
            "{label}: {:?}",
            answer.params
        );
    }
    // So are the secretary's Sign and Change.
    for data in [format!("sg:{sheet}"), format!("sx:{sheet}")] {
        let (answer, _) = h.press_data(&c.secretary, notice.message_id, &data).await;
        assert!(
            says(Some(&answer_text(&answer)), lang, "request-withdrawn-sheet"),
            "{data}"
        );
    }
    let (state, answer): (String, Option<String>) =
        sqlx::query_as("SELECT state, member_answer FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), answer), ("with_member", None));
    assert_eq!(request_state(&h, request).await.0, "cancelled");
    assert_eq!(h.count("SELECT COUNT(*) FROM documents").await, 0);
}

#[tokio::test]
async fn a_request_withdrawn_after_the_member_got_the_draft_tells_the_member() {
    withdrawn_with_the_member(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_withdrawn_after_the_member_got_the_draft_in_english() {
    withdrawn_with_the_member(Lang::En).await;
}

/// The signed `sheet` reached none of the workplace's officers, and the
/// secretary was told once that it was not delivered (not that it went on
/// to another officer).
async fn reached_no_officer(h: &Harness, c: &Cast, lang: Lang, sheet: i64) {
    let saying = |id| times_said(h, c.secretary.id, lang, id);
    assert_eq!(saying("request-delivery-rerouted"), 0);
    assert_eq!(saying("request-delivery-failed"), 1);
    let officers: Option<i64> =
        sqlx::query_scalar("SELECT delivered_officers FROM sheets WHERE id = ?")
            .bind(sheet)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(officers, Some(0));
}

/// A workplace's request answered: drafted, sent to the member, accepted,
/// and signed with the outbox sender stopped (nothing of the signing sent
/// yet). The sheet's id.
async fn signed_with_the_sender_stopped(h: &mut Harness, c: &Cast, lang: Lang) -> i64 {
    let (request, notice) = sent_request(h, c, lang, 0).await;
    let (sheet, to_member) = drafted_and_sent(h, c, lang, &notice, request).await;
    let told = accepted(h, c, lang, &to_member).await;
    h.drain().await;
    h.stop_sender().await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    sheet
}

/// The member accepts the draft sent to them; returns the secretary's
/// message with Sign.
async fn accepted(h: &Harness, c: &Cast, lang: Lang, to_member: &Sent) -> Sent {
    h.press(&c.member, to_member, &tr(lang, "button-accept"))
        .await;
    last_saying(h, &c.secretary, lang, "request-told-accepted")
}

async fn signed_then_refused(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    // The officer opens the confirmation; the cell signs meanwhile.
    let confirm = ask_withdraw(&h, &c.officer, lang, request).await;
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    let told = accepted(&h, &c, lang, &to_member).await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(c.officer.id, 2).await;
    h.wait_documents(c.member.id, 2).await;
    let secretary_before = h.api.sent(c.secretary.id).len();
    let member_before = h.api.sent(c.member.id).len();

    let (answer, _) = h
        .press(
            &c.officer,
            &confirm,
            &tr(lang, "request-button-withdraw-yes"),
        )
        .await;
    assert!(
        says(Some(&answer_text(&answer)), lang, "request-withdraw-signed"),
        "{:?}",
        answer.params
    );
    let (answer, _) = h
        .press_data(&c.officer, confirm.message_id, &format!("xw:{request}"))
        .await;
    assert!(says(
        Some(&answer_text(&answer)),
        lang,
        "request-withdraw-signed"
    ));
    assert_eq!(request_state(&h, request).await, ("signed".into(), None));
    assert_eq!(withdrawals(&h, request).await, 0);
    assert_eq!(h.api.sent(c.secretary.id).len(), secretary_before);
    assert_eq!(h.api.sent(c.member.id).len(), member_before);
    // The list shows it signed, with no Withdraw button (its documents'
    // only).
    let listed = h.ask(&c.officer, "/requests").await;
    assert!(
        listed.buttons().iter().all(|(_, d)| !d.starts_with("xw:")),
        "{:?}",
        listed.buttons()
    );
    assert!(
        says(listed.text.as_deref(), lang, "request-list-header"),
        "{:?}",
        listed.text
    );
}

#[tokio::test]
async fn a_signed_request_cannot_be_withdrawn() {
    signed_then_refused(Lang::Vi).await;
}

#[tokio::test]
async fn a_signed_request_cannot_be_withdrawn_in_english() {
    signed_then_refused(Lang::En).await;
}

#[tokio::test]
async fn withdrawing_is_refused_to_who_may_not_do_it() {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let lang = Lang::Vi;
    let c = cast(&h, lang).await;
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
    let (request, _) = sent_request(&h, &c, lang, 0).await;
    let list = h.ask(&c.officer, "/requests").await;

    let presses: &[(&TgUser, String, &str)] = &[
        (&other_officer, format!("xw:{request}"), "not-allowed"),
        (&other_officer, format!("xy:{request}"), "not-allowed"),
        (&other_officer, format!("xn:{request}"), "not-allowed"),
        (&c.member, format!("xw:{request}"), "not-allowed"),
        (&c.member, format!("xy:{request}"), "not-allowed"),
        (&c.secretary, format!("xw:{request}"), "not-allowed"),
        (&c.secretary, format!("xy:{request}"), "not-allowed"),
        (&nobody, format!("xy:{request}"), "not-allowed"),
        (&c.officer, "xy:abc".into(), "not-allowed"),
        (&c.officer, "xy:-1".into(), "not-allowed"),
        (&c.officer, format!("xy:{request}:1"), "not-allowed"),
        (&c.officer, "xw:99999999999999999999".into(), "not-allowed"),
        (
            &c.officer,
            format!("xy:{}", request + 100),
            "request-withdraw-gone",
        ),
        (
            &c.officer,
            format!("xw:{}", request + 100),
            "request-withdraw-gone",
        ),
    ];
    for (user, data, expected) in presses {
        let (answer, _) = h.press_data(user, list.message_id, data).await;
        assert!(
            says(Some(&answer_text(&answer)), lang, expected),
            "{data} by {}: {:?}",
            user.id,
            answer.params
        );
    }
    assert_eq!(request_state(&h, request).await, ("requested".into(), None));
    assert_eq!(withdrawals(&h, request).await, 0);
    // The store refuses them too.
    for by in [other_officer.id, c.member.id, c.secretary.id, nobody.id] {
        let outcome = requests::withdraw(&h.pool, request, by, h.app().now(), |_, _, _| Vec::new())
            .await
            .unwrap();
        assert!(
            matches!(outcome, requests::Withdraw::NotAllowed),
            "{by}: {outcome:?}"
        );
    }
    let outcome = requests::withdraw(
        &h.pool,
        request + 100,
        c.officer.id,
        h.app().now(),
        |_, _, _| Vec::new(),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, requests::Withdraw::Gone));
    // The officer's own list still offers it.
    assert!(label_of(&h.current(&list), &format!("xw:{request}")).is_some());
}

/// Signing and withdrawing pressed at the same moment: exactly one of
/// them wins, and the database and every message agree on which.
async fn sign_races_withdraw(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let mut outcomes = Vec::new();
    let mut signed = 0;
    for round in 0..3 {
        let (request, notice) = sent_request(&h, &c, lang, round % 4).await;
        let (sheet, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
        let told = accepted(&h, &c, lang, &to_member).await;
        let confirm = ask_withdraw(&h, &c.officer, lang, request).await;
        let (sign, yes) = (
            tr(lang, "button-sign"),
            tr(lang, "request-button-withdraw-yes"),
        );
        // The officer's press a little later in some rounds, so both
        // orders happen; either way the outcome must be one and agreed on.
        let lag = std::time::Duration::from_millis([0, 40, 5][round % 3] as u64);
        let ((signing, _), (withdrawing, _)) =
            tokio::join!(h.press_concurrently(&c.secretary, &told, &sign), async {
                tokio::time::sleep(lag).await;
                h.press_concurrently(&c.officer, &confirm, &yes).await
            },);
        h.quiet().await;
        let (signing, withdrawing) = (answer_text(&signing), answer_text(&withdrawing));
        let (request_state, _) = request_state(&h, request).await;
        let (sheet_state, code): (String, Option<String>) =
            sqlx::query_as("SELECT state, code FROM sheets WHERE id = ?")
                .bind(sheet)
                .fetch_one(&h.pool)
                .await
                .unwrap();
        let signs: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sign' AND subject_id = ?",
        )
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
        let withdrawn = withdrawals(&h, request).await;
        match request_state.as_str() {
            "signed" => {
                assert_eq!(sheet_state, "signed");
                assert!(code.is_some());
                assert_eq!((signs, withdrawn), (1, 0));
                assert!(says(Some(&signing), lang, "decision-recorded"), "{signing}");
                assert!(
                    says(Some(&withdrawing), lang, "request-withdraw-signed"),
                    "{withdrawing}"
                );
                // The documents reach the officer and the member before the
                // next round reads their chats.
                signed += 2;
                h.wait_documents(c.officer.id, signed).await;
                h.wait_documents(c.member.id, signed).await;
                outcomes.push("signed");
            }
            "cancelled" => {
                assert_eq!(sheet_state, "with_member");
                assert!(code.is_none());
                assert_eq!((signs, withdrawn), (0, 1));
                assert!(
                    says(Some(&signing), lang, "request-withdrawn-sheet"),
                    "{signing}"
                );
                assert!(
                    says(Some(&withdrawing), lang, "request-withdrawn-done"),
                    "{withdrawing}"
                );
                let documents: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE sheet_id = ?")
                        .bind(sheet)
                        .fetch_one(&h.pool)
                        .await
                        .unwrap();
                assert_eq!(documents, 0);
                assert!(says(
                    h.last(&c.member).text.as_deref(),
                    lang,
                    "request-withdrawn-to-member"
                ));
                outcomes.push("withdrawn");
            }
            other => panic!("round {round}: request {other}"),
        }
    }
    eprintln!("sign vs withdraw ({lang:?}): {outcomes:?}");
}

#[tokio::test]
async fn signing_and_withdrawing_at_once_agree_on_one_outcome() {
    sign_races_withdraw(Lang::Vi).await;
}

#[tokio::test]
async fn signing_and_withdrawing_at_once_in_english() {
    sign_races_withdraw(Lang::En).await;
}

/// In the store, signing and withdrawing one after the other each way
/// round, then at once: whichever transaction comes second sees the first.
#[tokio::test]
async fn sign_and_withdraw_exclude_each_other_in_the_store() {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let lang = Lang::Vi;
    let c = cast(&h, lang).await;
    let mut seen = Vec::new();
    for round in 0..6 {
        let (request, notice) = sent_request(&h, &c, lang, round % 4).await;
        let (sheet, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
        accepted(&h, &c, lang, &to_member).await;
        let now = h.app().now();
        let seal = |_: &lienhe::store::sheets::Sheet, _: lienhe::store::yearly::MemberRow| {
            Ok::<_, ()>(lienhe::store::sheets::Sealed {
                content: "{}".into(),
                content_hash: format!("hash-{round}"),
                code: format!("CODE{round}"),
            })
        };
        let withdraw =
            || requests::withdraw(&h.pool, request, c.officer.id, now, |_, _, _| Vec::new());
        let sign = || lienhe::store::sheets::sign(&h.pool, sheet, c.secretary.id, now, seal);
        // One after the other each way round, then at once.
        let (signed, withdrawn) = match round {
            0 => {
                // Who signs is judged in the signing transaction: nobody
                // off the committee, never the member.
                use lienhe::domain::permissions::Denied;
                for (by, denied) in [
                    (c.officer.id, Denied::NotDecider),
                    (c.member.id, Denied::OwnItem),
                ] {
                    let step = lienhe::store::sheets::sign(&h.pool, sheet, by, now, seal).await;
                    assert!(
                        matches!(step, Ok(lienhe::store::sheets::Step::NotAllowed(d)) if d == denied),
                        "{step:?}"
                    );
                }
                let s = sign().await;
                (s, withdraw().await)
            }
            1 => {
                let w = withdraw().await;
                (sign().await, w)
            }
            _ => tokio::join!(sign(), withdraw()),
        };
        let (signed, withdrawn) = (signed.unwrap(), withdrawn.unwrap());
        let state = request_state(&h, request).await.0;
        match (&signed, &withdrawn) {
            (lienhe::store::sheets::Step::Done(_), requests::Withdraw::AlreadySigned) => {
                assert_eq!(state, "signed");
                seen.push("signed");
            }
            (lienhe::store::sheets::Step::Withdrawn, requests::Withdraw::Withdrawn { .. }) => {
                assert_eq!(state, "cancelled");
                seen.push("withdrawn");
            }
            other => panic!("round {round}: {other:?}"),
        }
    }
    assert_eq!(seen[..2], ["signed", "withdrawn"]);
    eprintln!("sign vs withdraw in the store: {seen:?}");
}

#[tokio::test]
async fn more_than_ten_matches_ask_for_more_of_the_name() {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let lang = Lang::Vi;
    let c = cast(&h, lang).await;
    let code = h.invite_code(&c.secretary).await;
    let names = [
        "Nguyễn Văn Anh",
        "Nguyễn Văn Ánh",
        "Nguyễn Văn Ân",
        "Nguyễn Văn An Bình",
        "Nguyễn Văn An Hòa",
        "Nguyễn Văn An Khang",
        "Nguyễn Văn An Lộc",
        "Nguyễn Văn An Phúc",
        "Nguyễn Văn An Tâm",
        "Nguyễn Văn An Thái",
    ];
    for (i, name) in names.iter().enumerate() {
        let member = vi_user(400 + i as i64, name);
        h.request_join(&member, &code, name).await;
        let card = h.last(&c.secretary);
        h.press(&c.secretary, &card, "✅ Duyệt").await;
        if i == 8 {
            // Ten matches: offered as buttons, with Cancel.
            let choose = h.ask(&c.officer, "/request nguyen van a").await;
            assert!(says(choose.text.as_deref(), lang, "request-ask-member"));
            assert_eq!(choose.button_texts().len(), 11, "ten members and Cancel");
            h.press(&c.officer, &choose, &tr(lang, "request-button-cancel"))
                .await;
        }
    }
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        11
    );
    // Eleven: no buttons; the officer is asked for more of the name.
    let reply = h.ask(&c.officer, "/request nguyen van a").await;
    let text = reply.text.clone().unwrap();
    assert!(
        says(Some(&text), lang, "request-too-many") && text.contains("11"),
        "{text}"
    );
    assert!(reply.button_texts().is_empty());
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues").await,
        0,
        "no dialogue left open"
    );
    // More of the name finds one.
    let reasons = h.ask(&c.officer, "/request an thai").await;
    assert!(
        says(reasons.text.as_deref(), lang, "request-ask-reason")
            && reasons.text.clone().unwrap().contains("Nguyễn Văn An Thái"),
        "{:?}",
        reasons.text
    );
    h.press(&c.officer, &reasons, &tr(lang, "request-button-cancel"))
        .await;
    // A whole name is never lost among the longer names containing it:
    // "Nguyễn Văn An" (eleven names contain it, accents aside) is asked
    // about at once; without accents it is "Nguyễn Văn An" or "Nguyễn Văn
    // Ân", offered as two buttons.
    let reasons = h.ask(&c.officer, "/request Nguyễn Văn An").await;
    let text = reasons.text.clone().unwrap();
    assert!(says(Some(&text), lang, "request-ask-reason"), "{text}");
    assert!(
        text.contains("Nguyễn Văn An") && !text.contains("Nguyễn Văn Anh"),
        "{text}"
    );
    h.press(&c.officer, &reasons, &tr(lang, "request-button-cancel"))
        .await;
    let choose = h.ask(&c.officer, "/request nguyen van an").await;
    assert!(says(choose.text.as_deref(), lang, "request-ask-member"));
    let labels = choose.button_texts();
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(labels[0].starts_with("Nguyễn Văn An —"), "{labels:?}");
    assert!(labels[1].starts_with("Nguyễn Văn Ân —"), "{labels:?}");
}

/// The cell's committee finds the comments asked of it in /requests (the
/// notice that brought one may be gone, or have gone to a predecessor),
/// each with its Draft button, which opens the request's draft.
#[tokio::test]
async fn the_committee_finds_the_requests_in_its_own_list() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 1, 10, 9, 0);
        let c = cast(&h, lang).await;
        h.set_local(2026, 6, 1, 9, 0);
        let none = h.ask(&c.secretary, "/requests").await;
        assert!(
            says(none.text.as_deref(), lang, "request-cell-list-none"),
            "{none:?}"
        );
        let request = send_request(&h, &c, lang, 0).await;
        let list = h.ask(&c.secretary, "/requests").await;
        assert!(
            says(list.text.as_deref(), lang, "request-cell-list-header"),
            "{list:?}"
        );
        assert_eq!(
            list.button_data(&list.button_texts()[0]),
            Some(format!("xd:{request}"))
        );
        let label = list.button_texts()[0].clone();
        let (_, opened) = h.press(&c.secretary, &list, &label).await;
        assert!(
            opened
                .iter()
                .any(|s| says(s.text.as_deref(), lang, "request-sheet-header")),
            "{opened:?}"
        );
        // A member of the cell has no such list.
        let refused = h.ask(&c.member, "/requests").await;
        assert!(
            says(refused.text.as_deref(), lang, "officers-only"),
            "{refused:?}"
        );
    }
}

/// A member in the middle of a report presses Respond on the draft sheet:
/// once the response is in (or the question cancelled), the report goes on
/// where it was. It was lost: the report's draft gave way to the response.
async fn respond_during_a_report(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;

    // The report up to its photos.
    let kinds = h.ask(&c.member, "/report").await;
    h.press(&c.member, &kinds, &kinds.button_texts()[0]).await;
    let date = h.last(&c.member);
    h.press(&c.member, &date, &tr(lang, "button-today")).await;
    let photos = h.ask(&c.member, "Dọn vệ sinh khu phố").await;
    assert!(says(photos.text.as_deref(), lang, "ask-photos"));

    // Respond, then /cancel: the report is resumed.
    h.press(&c.member, &to_member, &tr(lang, "button-respond"))
        .await;
    let cancelled = h.ask(&c.member, "/cancel").await.text.unwrap();
    assert!(
        cancelled.ends_with(&tr(lang, "dialogue-resumed")),
        "{cancelled}"
    );
    // Respond again, and the response: recorded, and the report resumed.
    h.press(&c.member, &to_member, &tr(lang, "button-respond"))
        .await;
    let reply = h.ask(&c.member, "Xin bổ sung công tác tình nguyện").await;
    let reply = reply.text.unwrap();
    assert!(
        says(Some(&reply), lang, "member-response-done")
            && reply.ends_with(&tr(lang, "dialogue-resumed")),
        "{reply}"
    );
    let told = last_saying(&h, &c.secretary, lang, "request-told-responded");
    assert!(
        told.text
            .unwrap()
            .contains("Xin bổ sung công tác tình nguyện")
    );

    // The photos prompt still answers: the report goes on to its summary.
    h.press(&c.member, &photos, &tr(lang, "button-skip")).await;
    let summary = h.last(&c.member);
    assert!(
        says(summary.text.as_deref(), lang, "report-summary")
            && summary.text.unwrap().contains("Dọn vệ sinh khu phố"),
    );
}

/// /cancel of a question asked while the member was changing their phone
/// (/profile) goes back to the phone step with its keyboard (the share
/// button, Keep, Remove), not with the keyboard removed.
async fn cancel_back_to_the_phone_step(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    let shown = h.ask(&c.member, "/profile").await;
    h.press(&c.member, &shown, &tr(lang, "profile-button-phone"))
        .await;
    let asked = h.last(&c.member);
    assert!(says(asked.text.as_deref(), lang, "profile-ask-phone"));
    let keep = tr(lang, "button-phone-keep");
    assert!(asked.buttons().iter().any(|(text, _)| text == &keep));

    h.press(&c.member, &to_member, &tr(lang, "button-respond"))
        .await;
    let cancelled = h.ask(&c.member, "/cancel").await;
    assert!(
        cancelled
            .text
            .as_deref()
            .unwrap()
            .ends_with(&tr(lang, "dialogue-resumed"))
    );
    assert!(
        cancelled.buttons().iter().any(|(text, _)| text == &keep),
        "{:?}",
        cancelled.reply_markup
    );
    // And the step takes its answer.
    let kept = h.ask(&c.member, &keep).await;
    assert!(says(kept.text.as_deref(), lang, "profile-phone-kept"));
}

#[tokio::test]
async fn cancelling_a_question_goes_back_to_the_phone_step_with_its_keyboard() {
    cancel_back_to_the_phone_step(Lang::Vi).await;
}

#[tokio::test]
async fn cancelling_a_question_goes_back_to_the_phone_step_with_its_keyboard_in_english() {
    cancel_back_to_the_phone_step(Lang::En).await;
}

#[tokio::test]
async fn a_report_in_progress_survives_a_response_to_the_sheet() {
    respond_during_a_report(Lang::Vi).await;
}

#[tokio::test]
async fn a_report_in_progress_survives_a_response_to_the_sheet_in_english() {
    respond_during_a_report(Lang::En).await;
}

/// The secretary presses Change on the sheet's latest message that has
/// it (the draft back with the cell); that message.
async fn take_back(h: &Harness, c: &Cast, sheet: i64) -> Sent {
    let change = format!("sx:{sheet}");
    let card = h
        .api
        .sent(c.secretary.id)
        .into_iter()
        .rev()
        .find(|m| m.buttons().iter().any(|(_, d)| d == &change))
        .expect("the sheet with Change");
    h.press_data(&c.secretary, card.message_id, &change).await;
    card
}

/// The member presses Respond and, while they type, the secretary takes
/// the draft back to change it: the response is not recorded, and the
/// member is told why and given their text back.
async fn response_to_a_draft_taken_back(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (sheet, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    h.press(&c.member, &to_member, &tr(lang, "button-respond"))
        .await;
    take_back(&h, &c, sheet).await;
    let reply = h.ask(&c.member, "Đề nghị bổ sung hoạt động tháng 5").await;
    let text = reply.text.as_deref();
    assert!(says(text, lang, "typed-not-saved"), "{reply:?}");
    assert!(
        says(text, lang, "member-response-draft-taken-back"),
        "{reply:?}"
    );
    assert!(
        text.is_some_and(|t| t.ends_with("Đề nghị bổ sung hoạt động tháng 5")),
        "{reply:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE member_response IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn a_response_to_a_draft_taken_back_is_given_back_with_the_reason() {
    response_to_a_draft_taken_back(Lang::Vi).await;
}

#[tokio::test]
async fn a_response_to_a_draft_taken_back_is_given_back_with_the_reason_in_english() {
    response_to_a_draft_taken_back(Lang::En).await;
}

/// The secretary changes a draft the member has and sends it again: an
/// answer to the first draft (Accept pressed on its message, or a response
/// begun on it) is not taken for an answer to the second, which the member
/// never saw; the first draft's buttons go.
async fn answer_to_a_replaced_draft(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (sheet, first) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    // Respond pressed on the first draft: the response is asked for…
    h.press(&c.member, &first, &tr(lang, "button-respond"))
        .await;
    // …while the secretary changes the draft and sends it again.
    let card = take_back(&h, &c, sheet).await;
    h.clock.advance(chrono::Duration::minutes(2));
    h.press(
        &c.secretary,
        &h.current(&card),
        &tr(lang, "button-send-member"),
    )
    .await;
    let second = last_saying(&h, &c.member, lang, "request-for-member");
    assert_ne!(second.message_id, first.message_id);

    // The response typed for the first draft: refused, said why.
    let reply = h.ask(&c.member, "Tôi đồng ý với dự thảo").await;
    assert!(
        says(reply.text.as_deref(), lang, "sheet-draft-replaced"),
        "{reply:?}"
    );
    // Accept on the first draft: refused, and its buttons go.
    let (answer, _) = h.press(&c.member, &first, &tr(lang, "button-accept")).await;
    assert!(says(answer.str_param("text"), lang, "sheet-draft-replaced"));
    assert!(h.current(&first).buttons().is_empty());
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE member_answer IS NOT NULL")
            .await,
        0
    );
    // Accept on the second: accepted.
    h.press(&c.member, &second, &tr(lang, "button-accept"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE member_answer = 'accepted'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_answer_to_a_draft_sent_again_since_is_refused() {
    answer_to_a_replaced_draft(Lang::Vi).await;
}

#[tokio::test]
async fn an_answer_to_a_draft_sent_again_since_is_refused_in_english() {
    answer_to_a_replaced_draft(Lang::En).await;
}

/// A member asked about who moves to another cell: the request follows
/// them. The new cell's /requests lists it and drafts it afresh (the old
/// cell's draft goes); the old cell can no longer draft it.
async fn request_follows_a_move(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (old_sheet, _) = drafted_and_sent(&h, &c, lang, &notice, request).await;

    let ward: i64 = h.count("SELECT MIN(id) FROM wards").await;
    let cell = h.cell(ward, "Chi bộ khối 7").await;
    let new_secretary = user_in(lang, 200, "Cường");
    h.make_secretary(&new_secretary, cell, "Phạm Văn Cường")
        .await;
    let code = h.invite_code(&new_secretary).await;
    let asked = h.ask(&c.member, &format!("/start {code}")).await;
    let (_, replies) = h
        .press(&c.member, &asked, &tr(lang, "move-button-confirm"))
        .await;
    h.press(
        &c.member,
        replies.last().unwrap(),
        &tr(lang, "button-confirm"),
    )
    .await;
    let card = h.last(&new_secretary);
    h.press(&new_secretary, &card, &tr(lang, "button-approve"))
        .await;
    // The new cell's committee gets the request's card, with its Draft.
    let carded = h.last(&new_secretary);
    assert!(
        says(carded.text.as_deref(), lang, "request-to-secretary"),
        "{carded:?}"
    );
    assert!(
        label_of(&carded, &format!("xd:{request}")).is_some(),
        "{carded:?}"
    );

    let (membership, state, sheet): (i64, String, Option<i64>) =
        sqlx::query_as("SELECT membership_id, state, sheet_id FROM comment_requests WHERE id = ?")
            .bind(request)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_ne!(membership, c.membership);
    assert_eq!((state.as_str(), sheet), ("requested", None));
    let scalar = |sql: &'static str, id: i64| {
        let pool = h.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<i64>>(sql)
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        scalar("SELECT COUNT(*) FROM sheets WHERE id = ?", old_sheet).await,
        Some(0)
    );
    // The old cell's Draft: refused, saying where the request went, and
    // the card loses its button.
    let (answer, _) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    assert!(
        says(answer.str_param("text"), lang, "request-moved-away"),
        "{answer:?}"
    );
    assert!(
        answer
            .str_param("text")
            .is_some_and(|t| t.contains("Chi bộ khối 7")),
        "{answer:?}"
    );
    let old_card = h.current(&notice);
    assert!(old_card.buttons().is_empty(), "{old_card:?}");
    // Anyone else pressing it (forged) learns nothing of where they went.
    let stranger = user_in(lang, 901, "Lạ");
    let help = h.ask(&stranger, "/help").await;
    let (answer, _) = h
        .press_data(&stranger, help.message_id, &format!("xd:{request}"))
        .await;
    assert!(
        says(answer.str_param("text"), lang, "not-allowed"),
        "{answer:?}"
    );
    // The new cell's /requests lists it, and drafts it.
    let list = h.ask(&new_secretary, "/requests").await;
    assert!(list.text.as_deref().unwrap().contains("Nguyễn Văn An"));
    let draft = label_of(&list, &format!("xd:{request}")).expect("a Draft button");
    let (_, opened) = h.press(&new_secretary, &list, &draft).await;
    assert!(
        opened
            .last()
            .and_then(|m| m.text.as_deref())
            .is_some_and(|t| t.contains("Nguyễn Văn An")),
        "{opened:?}"
    );
    let sheet = scalar(
        "SELECT sheet_id FROM comment_requests WHERE id = ?",
        request,
    )
    .await;
    assert!(sheet.is_some_and(|s| s != old_sheet), "{sheet:?}");
}

#[tokio::test]
async fn a_request_follows_the_member_who_moves() {
    request_follows_a_move(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_follows_the_member_who_moves_in_english() {
    request_follows_a_move(Lang::En).await;
}

/// The officer who asked is no longer an officer of the workplace when the
/// comment is signed: it goes to the workplace's officers now, not to them.
async fn signed_for_a_requester_who_left(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = user_in(lang, 701, "Đồng nghiệp");
    another_officer(&h, &c, &colleague).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    let told = accepted(&h, &c, lang, &to_member).await;
    h.revoke_officer(&c.officer, c.workplace).await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    // The member's copy and the colleague's two documents.
    h.wait_documents(colleague.id, 2).await;
    h.wait_documents(c.member.id, 2).await;
    // Nothing was queued for the one who asked (the colleague's documents
    // were queued in the same transaction).
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 700 AND json_extract(payload, '$.document') IS NOT NULL")
            .await,
        0
    );
    assert!(
        h.api
            .sent(c.officer.id)
            .iter()
            .all(|s| s.method != "senddocument")
    );
}

#[tokio::test]
async fn a_comment_whose_requester_left_goes_to_the_workplaces_officers() {
    signed_for_a_requester_who_left(Lang::Vi).await;
}

#[tokio::test]
async fn a_comment_whose_requester_left_goes_to_the_workplaces_officers_in_english() {
    signed_for_a_requester_who_left(Lang::En).await;
}

/// The member is told until when they may answer the draft: a week, or
/// less when the request's due day comes first (the secretary may sign from
/// the start of that day).
async fn answer_due_before_a_week(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 10, 9, 0);
    let c = cast(&h, lang).await;
    // Due on 15/06/2026.
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    let text = to_member.text.unwrap();
    assert!(text.contains("15/06/2026 00:00"), "{text}");
}

#[tokio::test]
async fn the_member_is_told_the_real_day_the_answer_is_due() {
    answer_due_before_a_week(Lang::Vi).await;
}

#[tokio::test]
async fn the_member_is_told_the_real_day_the_answer_is_due_in_english() {
    answer_due_before_a_week(Lang::En).await;
}

/// A comment on request for a member exempt from residence meetings is the
/// short version all the way: no criteria to choose in the draft, none in
/// the member's draft or the officer's summary, and it can be sent and
/// signed without them (before, the draft pre-filled "did not attend" for
/// meetings the member is exempt from, and Send asked for all six).
async fn exempt_short_version(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    h.admin(Admin::Member {
        command: MemberCommand::Exempt {
            member: c.membership,
            reason: Some(Exemption::Barracks),
            clear: false,
        },
    })
    .await;
    let (_, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    assert!(says(draft.text.as_deref(), lang, "sheet-short-version"));
    assert!(
        !draft
            .buttons()
            .iter()
            .any(|(_, data)| data.starts_with("sl:")),
        "{:?}",
        draft.buttons()
    );
    // A forged level press changes nothing.
    let sheet: i64 = h.count("SELECT MAX(id) FROM sheets").await;
    h.press_data(&c.secretary, draft.message_id, &format!("sl:{sheet}:2:2"))
        .await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE criteria = '[null,null,null,null,null,null]'")
            .await,
        1
    );
    h.press(
        &c.secretary,
        &h.current(&draft),
        &tr(lang, "button-send-member"),
    )
    .await;
    let to_member = last_saying(&h, &c.member, lang, "request-for-member");
    let text = to_member.text.clone().unwrap();
    assert!(says(Some(&text), lang, "sheet-short-version"), "{text}");
    assert!(!text.contains(&tr(lang, "year-criteria-title")), "{text}");
    let told = accepted(&h, &c, lang, &to_member).await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(c.officer.id, 2).await;
    let summary = h
        .api
        .sent(c.officer.id)
        .into_iter()
        .rev()
        .find(|s| says(s.text.as_deref(), lang, "request-delivered-officer"))
        .expect("the officer's summary")
        .text
        .unwrap();
    assert!(
        !summary.contains(&criterion_label(lang, Criterion::Meetings)),
        "{summary}"
    );
}

#[tokio::test]
async fn an_exempt_members_comment_on_request_is_the_short_version() {
    exempt_short_version(Lang::Vi).await;
}

#[tokio::test]
async fn an_exempt_members_comment_on_request_is_the_short_version_in_english() {
    exempt_short_version(Lang::En).await;
}

/// The short version sent to an exempt member, whose exemption is lifted
/// before it is signed: Sign says the comment needs the criteria now and
/// shows them, with Change; changed, rated and sent again, it is signed
/// with them.
async fn exemption_lifted_after_sending(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let exempt = |reason: Option<Exemption>| Admin::Member {
        command: MemberCommand::Exempt {
            member: c.membership,
            reason,
            clear: reason.is_none(),
        },
    };
    h.admin(exempt(Some(Exemption::StudentAway))).await;
    let (_, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    h.press(&c.secretary, &draft, &tr(lang, "button-send-member"))
        .await;
    let to_member = last_saying(&h, &c.member, lang, "request-for-member");
    h.admin(exempt(None)).await;
    let told = accepted(&h, &c, lang, &to_member).await;
    let (answer, _) = h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    assert!(
        says(
            Some(&answer_text(&answer)),
            lang,
            "sign-blocked-no-longer-exempt"
        ),
        "{answer:?}"
    );
    // The pressed message shows the sheet as it stands: the criteria, not
    // the short version, and Change.
    let view = h.current(&told);
    let text = view.text.clone().unwrap();
    assert!(
        !says(Some(&text), lang, "sheet-short-version")
            && text.contains(&criterion_label(lang, Criterion::Meetings)),
        "{text}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE state = 'signed'")
            .await,
        0
    );
    h.press(&c.secretary, &view, &tr(lang, "button-reopen"))
        .await;
    choose_all(&h, &c.secretary, &view, lang).await;
    h.press(
        &c.secretary,
        &h.current(&view),
        &tr(lang, "button-send-member"),
    )
    .await;
    let to_member = last_saying(&h, &c.member, lang, "request-for-member");
    let told = accepted(&h, &c, lang, &to_member).await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(c.officer.id, 2).await;
    let summary = last_saying(&h, &c.officer, lang, "request-delivered-officer");
    assert!(
        summary
            .text
            .unwrap()
            .contains(&criterion_label(lang, Criterion::Meetings))
    );
}

#[tokio::test]
async fn an_exemption_lifted_after_the_short_version_was_sent_asks_for_the_criteria() {
    exemption_lifted_after_sending(Lang::Vi).await;
}

#[tokio::test]
async fn an_exemption_lifted_after_the_short_version_was_sent_in_english() {
    exemption_lifted_after_sending(Lang::En).await;
}

/// Accept pressed on a draft days later, when Telegram sends the press
/// without the message's text: the draft stays as it was (it was replaced
/// by the one line "accepted"), its buttons go, and the line comes apart.
async fn accept_on_an_old_message(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    h.api.age_messages(c.member.id);
    let (_, replies) = h
        .press(&c.member, &to_member, &tr(lang, "button-accept"))
        .await;
    assert!(
        replies
            .iter()
            .any(|r| says(r.text.as_deref(), lang, "member-accepted-done")),
        "{replies:?}"
    );
    let draft = h.current(&to_member);
    assert!(says(draft.text.as_deref(), lang, "request-for-member"));
    assert_eq!(draft.text, to_member.text);
    assert!(draft.buttons().is_empty());
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE member_answer = 'accepted'")
            .await,
        1
    );
}

#[tokio::test]
async fn accepting_a_draft_on_an_old_message_keeps_the_draft() {
    accept_on_an_old_message(Lang::Vi).await;
}

#[tokio::test]
async fn accepting_a_draft_on_an_old_message_keeps_the_draft_in_english() {
    accept_on_an_old_message(Lang::En).await;
}

/// A member with a long year of evidence (eighty approved reports): the
/// draft they are asked to accept still carries the criteria and the
/// remarks (the evidence lines that do not fit are counted, the signed
/// sheet has them all); before, the message was cut before them.
async fn long_evidence_keeps_the_criteria(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    for n in 0..80 {
        sqlx::query(
            "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date,
                                  description, status, created_at, decided_at, decided_by)
             SELECT ?, m.id, m.user_id, m.cell_id, (SELECT MIN(id) FROM activity_kinds),
                    date('2026-03-01', '+' || ? || ' days'), ?, 'approved', '2026-05-01T00:00:00Z',
                    '2026-05-01T00:00:00Z', 100
             FROM memberships m WHERE m.id = ?",
        )
        .bind(format!("long-{n}"))
        .bind(n)
        .bind(format!(
            "Vận động hộ gia đình tham gia vệ sinh môi trường khu phố, lần {n}"
        ))
        .bind(c.membership)
        .execute(&h.pool)
        .await
        .unwrap();
    }
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    let text = to_member.text.unwrap();
    assert!(text.contains(&tr(lang, "year-criteria-title")), "{text}");
    assert!(says(Some(&text), lang, "sheet-remarks-line"), "{text}");
    assert!(says(Some(&text), lang, "sheet-evidence-more"), "{text}");
    // The secretary's view too.
    let view = h
        .api
        .sent(c.secretary.id)
        .into_iter()
        .rev()
        .find(|m| says(m.text.as_deref(), lang, "request-sheet-header"))
        .expect("the secretary's view");
    let view = h.current(&view).text.unwrap();
    assert!(says(Some(&view), lang, "sheet-remarks-line"), "{view}");
}

#[tokio::test]
async fn a_long_year_of_evidence_keeps_the_criteria_in_the_draft() {
    long_evidence_keeps_the_criteria(Lang::Vi).await;
}

#[tokio::test]
async fn a_long_year_of_evidence_keeps_the_criteria_in_the_draft_in_english() {
    long_evidence_keeps_the_criteria(Lang::En).await;
}

/// The cell ends the membership of a member a workplace asked a comment
/// on: the request is cancelled and whoever asked is told, in their
/// language; it no longer waits in /requests.
async fn ended_while_requested(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    // Being drafted already: the draft goes with it.
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    assert_eq!(request_state(&h, request).await.0, "drafting");
    let list = h.ask(&c.secretary, "/members").await;
    let (_, opened) = h
        .press_data(
            &c.secretary,
            list.message_id,
            &format!("bo:{}", c.membership),
        )
        .await;
    let card = opened.last().unwrap().clone();
    h.press_data(
        &c.secretary,
        card.message_id,
        &format!("el:{}", c.membership),
    )
    .await;
    let confirm = h.ask(&c.secretary, "Chuyển đi tỉnh khác").await;
    let yes = label_of(&confirm, "ec:").expect("Confirm");
    h.press(&c.secretary, &confirm, &yes).await;
    h.drain().await;
    let told = last_saying(&h, &c.officer, lang, "request-cancelled-member-left");
    assert!(
        told.text.as_deref().unwrap().contains("Nguyễn Văn An"),
        "{:?}",
        told.text
    );
    assert_eq!(request_state(&h, request).await.0, "cancelled");
    // The officer's list says cancelled, not withdrawn by the workplace.
    let list = h.ask(&c.officer, "/requests").await.text.unwrap();
    assert!(
        list.contains(&tr(lang, "request-state-cancelled"))
            && !list.contains(&withdrawn_on(lang, "")),
        "{list}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'request_cancel_left'")
            .await,
        1
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM sheets WHERE request_id IS NOT NULL")
            .await,
        0
    );
    // The cell's card and the draft left open: refused, saying why (not
    // "not allowed"), and their buttons go.
    member_left_refusals(&h, &c, lang, request, &draft).await;
}

/// The secretary presses the request's Draft and a button of its draft
/// after the member left the cell: each press says the member left, and
/// the message pressed loses its buttons.
async fn member_left_refusals(h: &Harness, c: &Cast, lang: Lang, request: i64, draft: &Sent) {
    let cell_card = last_saying(h, &c.secretary, lang, "request-to-secretary");
    member_left_refusals_on(h, c, lang, (request, &cell_card), draft).await;
}

/// [`member_left_refusals`] with the cell's card of the request.
async fn member_left_refusals_on(
    h: &Harness,
    c: &Cast,
    lang: Lang,
    (request, cell_card): (i64, &Sent),
    draft: &Sent,
) {
    let (answer, _) = h
        .press_data(&c.secretary, cell_card.message_id, &format!("xd:{request}"))
        .await;
    assert!(
        says(
            Some(&answer_text(&answer)),
            lang,
            "request-cancelled-left-cell"
        ),
        "{answer:?}"
    );
    assert!(h.current(cell_card).buttons().is_empty());
    let send = label_of(&h.current(draft), "ss:").expect("Send on the draft");
    let (answer, _) = h.press(&c.secretary, &h.current(draft), &send).await;
    assert!(
        says(Some(&answer_text(&answer)), lang, "sheet-gone"),
        "{answer:?}"
    );
    assert!(h.current(draft).buttons().is_empty());
}

/// The member erases their data (/forgetme) while a workplace waits for a
/// comment on them: cancelled, and whoever asked is told. The cell's card
/// of the request no longer shows it (the member, the reason asked) nor its
/// Draft button: it kept both.
async fn forgotten_while_requested(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    let ask = h.ask(&c.member, "/forgetme").await;
    h.press(&c.member, &ask, &tr(lang, "forget-button-confirm"))
        .await;
    h.drain().await;
    let told = last_saying(&h, &c.officer, lang, "request-cancelled-member-gone");
    assert!(
        told.text.as_deref().unwrap().contains("Nguyễn Văn An"),
        "{:?}",
        told.text
    );
    assert_eq!(request_state(&h, request).await.0, "cancelled");
    let card = h.current(&notice);
    let text = card.text.clone().unwrap_or_default();
    assert!(
        says(Some(&text), lang, "forget-request-card") && !text.contains("Nguyễn Văn An"),
        "{text}"
    );
    assert!(card.buttons().is_empty(), "{card:?}");
    // A press on its way before the edit still says why.
    member_left_refusals_on(&h, &c, lang, (request, &notice), &draft).await;
}

#[tokio::test]
async fn a_member_who_erases_their_data_cancels_the_request_and_the_officer_is_told() {
    forgotten_while_requested(Lang::Vi).await;
    forgotten_while_requested(Lang::En).await;
}

#[tokio::test]
async fn a_member_whose_membership_ends_cancels_the_request_and_the_officer_is_told() {
    ended_while_requested(Lang::Vi).await;
    ended_while_requested(Lang::En).await;
}

/// A signed comment on request whose asking officer has blocked the bot
/// goes to the workplace's other officers instead.
#[tokio::test]
async fn a_comment_whose_asker_blocked_the_bot_goes_to_the_other_officers() {
    let lang = Lang::Vi;
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = vi_user(701, "Cán bộ 2");
    another_officer(&h, &c, &colleague).await;
    let (_, notice) = sent_request(&h, &c, lang, 0).await;
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    choose_all(&h, &c.secretary, &draft, lang).await;
    h.press(
        &c.secretary,
        &h.current(&draft),
        &tr(lang, "button-send-member"),
    )
    .await;
    let to_member = h.last(&c.member);
    h.press(&c.member, &to_member, &tr(lang, "button-accept"))
        .await;
    let told = h.last(&c.secretary);
    // The officer who asked blocks the bot.
    let blocked = h.api.block(&c.officer, true);
    h.handled(blocked).await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(701, 2).await;
}

/// A new secretary taking over by a handover code is carded the workplaces'
/// open requests (they are not in /pending), and may draft them; the
/// secretary replaced no longer may.
#[tokio::test]
async fn a_new_secretary_is_carded_the_open_requests() {
    let lang = Lang::Vi;
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, old_card) = sent_request(&h, &c, lang, 0).await;
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(c.membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let out = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::Secretary { cell },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    let new = vi_user(150, "Châu");
    h.ask(&new, &format!("/start {code}")).await;
    h.ask(&new, "Ngô Minh Châu").await;
    h.drain().await;
    let card = last_saying(&h, &new, lang, "request-to-secretary");
    let (answer, opened) = h
        .press(&new, &card, &tr(lang, "request-button-draft"))
        .await;
    assert!(answer_text(&answer).is_empty(), "{answer:?}");
    assert!(
        says(
            opened.last().and_then(|s| s.text.as_deref()),
            lang,
            "request-sheet-header"
        ),
        "{opened:?}"
    );
    let (refused, _) = h
        .press_data(&c.secretary, old_card.message_id, &format!("xd:{request}"))
        .await;
    assert!(!answer_text(&refused).is_empty(), "{refused:?}");
}

/// An officer who is also a member of the workplace cannot ask for a
/// comment on themselves, and does not see (or withdraw) one another
/// officer asked about them.
#[tokio::test]
async fn an_officer_does_not_handle_a_request_about_themselves() {
    let lang = Lang::Vi;
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    h.ask(
        &c.member,
        &format!("/start {}", h.officer_code(c.workplace).await),
    )
    .await;
    let own = h.ask(&c.member, "/request an").await;
    assert!(
        says(own.text.as_deref(), lang, "request-none-found"),
        "{:?}",
        own.text
    );
    let request = send_request(&h, &c, lang, 0).await;
    let listed = h.ask(&c.member, "/requests").await;
    assert!(
        says(listed.text.as_deref(), lang, "request-list-none"),
        "{:?}",
        listed.text
    );
    let (refused, _) = h
        .press_data(&c.member, listed.message_id, &format!("xw:{request}"))
        .await;
    assert!(!answer_text(&refused).is_empty(), "{refused:?}");
    let (refused, _) = h
        .press_data(&c.member, listed.message_id, &format!("xy:{request}"))
        .await;
    assert!(!answer_text(&refused).is_empty(), "{refused:?}");
    assert_eq!(request_state(&h, request).await.0, "requested");
}

/// More requests than a list shows: the committee's list says how many more
/// are open, the officer's that older ones are left out.
#[tokio::test]
async fn long_request_lists_say_what_they_leave_out() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 6, 1, 9, 0);
        let c = cast(&h, lang).await;
        let (request, _) = sent_request(&h, &c, lang, 0).await;
        for n in 0..51 {
            sqlx::query(
                "INSERT INTO comment_requests (workplace_id, officer_id, membership_id,
                     reason_kind, reason_text, period_from, period_to, due_on, state, token,
                     created_at, updated_at)
                 SELECT workplace_id, officer_id, membership_id, reason_kind, reason_text,
                        period_from, period_to, due_on, state, ? || token, created_at, updated_at
                 FROM comment_requests WHERE id = ?",
            )
            .bind(format!("copy{n}-"))
            .bind(request)
            .execute(&h.pool)
            .await
            .unwrap();
        }
        let listed = h.say(&c.secretary, "/requests").await;
        let text: String = listed.iter().filter_map(|s| s.text.clone()).collect();
        assert!(says(Some(&text), lang, "request-cell-list-more"), "{text}");
        assert!(text.contains(" 2 "), "52 open, 50 listed: {text}");
        let listed = h.say(&c.officer, "/requests").await;
        let text: String = listed.iter().filter_map(|s| s.text.clone()).collect();
        assert!(says(Some(&text), lang, "request-list-older"), "{text}");
    }
}

/// The member erases their data while the officer's request waits for
/// Send: the officer is told the member's membership changed and the
/// request was not sent (not that they may not do this); nothing is sent.
#[tokio::test]
async fn a_member_gone_before_send_is_named_to_the_officer() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 6, 1, 9, 0);
        let c = cast(&h, lang).await;
        let reasons = h.ask(&c.officer, "/request an").await;
        let label = reasons.button_texts()[0].clone();
        h.press(&c.officer, &reasons, &label).await;
        let period = h.ask(&c.officer, "15/06/2026").await;
        let label = period.button_texts()[0].clone();
        let (_, shown) = h.press(&c.officer, &period, &label).await;
        let summary = shown.last().unwrap().clone();
        let ask = h.ask(&c.member, "/forgetme").await;
        h.press(&c.member, &ask, &tr(lang, "forget-button-confirm"))
            .await;
        h.drain().await;
        let (answer, _) = h
            .press(&c.officer, &summary, &tr(lang, "request-button-send"))
            .await;
        assert!(
            says(Some(&answer_text(&answer)), lang, "request-member-gone"),
            "{lang:?}: {answer:?}"
        );
        assert!(h.current(&summary).buttons().is_empty());
        assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 0);
    }
}

/// The officer's /request for the member, its period question shown at
/// 23:58 on 31/12/2026 and its "last 12 months" button pressed at 00:01 on
/// 01/01/2027: the period is the one the button showed, 01/01/2026 to
/// 31/12/2026 (last year), not 02/01/2026 to 01/01/2027.
#[tokio::test]
async fn last_12_months_pressed_after_midnight_is_the_period_it_showed() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let (secretary, member, officer) = (
            user_in(lang, 100, "Bình"),
            user_in(lang, 300, "An"),
            user_in(lang, 700, "Cán bộ"),
        );
        h.cell_with_member(&secretary, &member).await;
        let workplace: i64 =
            sqlx::query_scalar("SELECT workplace_id FROM memberships WHERE user_id = 300")
                .fetch_one(&h.pool)
                .await
                .unwrap();
        h.ask(
            &officer,
            &format!("/start {}", h.officer_code(workplace).await),
        )
        .await;
        h.set_local(2026, 12, 31, 23, 50);
        let reasons = h.ask(&officer, "/request nguyen van").await;
        let reason = reasons.buttons()[0].0.clone();
        h.press(&officer, &reasons, &reason).await;
        h.set_local(2026, 12, 31, 23, 58);
        let period = h.ask(&officer, "15/01/2027").await;
        assert!(
            says(period.text.as_deref(), lang, "request-ask-period"),
            "{period:?}"
        );
        let last_year = period.buttons()[0].0.clone();
        assert!(
            last_year.contains("01/01/2026") && last_year.contains("31/12/2026"),
            "{last_year}"
        );
        h.set_local(2027, 1, 1, 0, 1);
        h.press(&officer, &period, &last_year).await;
        let summary = h.last(&officer);
        let text = summary.text.clone().unwrap_or_default();
        assert!(
            text.contains("01/01/2026") && text.contains("31/12/2026"),
            "{lang:?}: {text}"
        );
        h.press_data(&officer, summary.message_id, &data_of(&summary, "xs"))
            .await;
        let (from, to): (String, String) =
            sqlx::query_as("SELECT period_from, period_to FROM comment_requests")
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert_eq!(
            (from.as_str(), to.as_str()),
            ("2026-01-01", "2026-12-31"),
            "{lang:?}"
        );
    }
}

/// A signed comment on request waiting in the outbox (Telegram could not
/// be reached) whose asking officer loses the role meanwhile goes to the
/// workplace's other officer instead, once (a restart sends nothing
/// twice); the secretary is told where it went, not that it failed, and
/// the sheet counts one officer it went to.
async fn asker_revoked_while_queued(lang: Lang) {
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = user_in(lang, 701, "Đồng nghiệp");
    another_officer(&h, &c, &colleague).await;
    let sheet = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 700 AND status = 'queued'")
            .await,
        3
    );
    h.revoke_officer(&c.officer, c.workplace).await;
    let before = h.api.sent_count(c.officer.id);
    h.start_sender(default_sender()).await;
    h.drain().await;
    h.restart().await;
    h.drain().await;
    assert_eq!(h.api.sent_count(c.officer.id), before);
    let told = h.api.sent(colleague.id);
    assert_eq!(
        told.iter()
            .filter(|s| says(s.text.as_deref(), lang, "request-delivered-officer"))
            .count(),
        1
    );
    rerouted_once(&h, &c, &colleague, lang, Some(sheet)).await;
}

/// `colleague` becomes a second officer of the cast's workplace.
async fn another_officer(h: &Harness, c: &Cast, colleague: &TgUser) {
    h.ask(
        colleague,
        &format!("/start {}", h.officer_code(c.workplace).await),
    )
    .await;
}

/// A signed comment on request went to the workplace's other officer
/// (`colleague`) instead of the asker, once (summary, DOCX and PDF); the
/// secretary was told where it went, once, and not that it failed; the
/// sheet (if given) counts that one officer.
async fn rerouted_once(h: &Harness, c: &Cast, colleague: &TgUser, lang: Lang, sheet: Option<i64>) {
    let to_colleague = h.api.sent(colleague.id);
    assert_eq!(
        to_colleague
            .iter()
            .filter(|s| s.method == "senddocument")
            .count(),
        2,
        "{to_colleague:?}"
    );
    let saying = |id| times_said(h, c.secretary.id, lang, id);
    assert_eq!(saying("request-delivery-rerouted"), 1);
    assert_eq!(saying("request-delivery-failed"), 0);
    if let Some(sheet) = sheet {
        let officers: Option<i64> =
            sqlx::query_scalar("SELECT delivered_officers FROM sheets WHERE id = ?")
                .bind(sheet)
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert_eq!(officers, Some(1));
    }
}

#[tokio::test]
async fn a_comment_whose_asker_lost_the_role_while_queued_goes_to_the_other_officers() {
    asker_revoked_while_queued(Lang::Vi).await;
}

#[tokio::test]
async fn a_comment_whose_asker_lost_the_role_while_queued_in_english() {
    asker_revoked_while_queued(Lang::En).await;
}

/// A signed comment on request waiting in the outbox whose asking officer
/// blocks the bot meanwhile (Telegram refuses it with 403) goes to the
/// workplace's other officer instead; the secretary is told where it went.
#[tokio::test]
async fn a_comment_whose_asker_blocked_the_bot_while_queued_goes_to_the_other_officers() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = vi_user(701, "Cán bộ 2");
    another_officer(&h, &c, &colleague).await;
    let _ = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    let blocked = h.api.block(&c.officer, true);
    h.handled(blocked).await;
    h.start_sender(default_sender()).await;
    h.wait_documents(colleague.id, 2).await;
    h.drain().await;
    rerouted_once(&h, &c, &colleague, lang, None).await;
}

/// What follows the sender giving up the asker's copies of a signed
/// comment (they blocked the bot) fails, as at a crash or with the
/// database busy, for each of them; the bot starts again. The comment
/// still goes to the workplace's other officer, once, and the secretary
/// is told where it went, once; the sheet counts that officer.
#[tokio::test]
async fn a_comment_given_up_at_a_crash_still_goes_to_the_other_officers_once() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = vi_user(701, "Cán bộ 2");
    another_officer(&h, &c, &colleague).await;
    let sheet = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    h.api.fail_next(
        "sendMessage",
        Some(c.officer.id),
        Fault::Forbidden("bot was blocked by the user".into()),
        1000,
    );
    sqlx::query(
        "CREATE TRIGGER crash BEFORE UPDATE OF delivered_officers ON sheets
         BEGIN SELECT RAISE(ABORT, 'crash'); END",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    h.start_sender(default_sender()).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    // Until each of the asker's rows was given up (or tried again and
    // again, the giving up undone with what follows).
    loop {
        let refused = h
            .api
            .calls_of("sendMessage")
            .iter()
            .filter(|call| call.chat_id() == Some(c.officer.id) && !call.response_ok)
            .count();
        let queued = h
            .count("SELECT COUNT(*) FROM outbox WHERE chat_id = 700 AND status = 'queued'")
            .await;
        if queued == 0 || refused >= 3 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the asker not tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    h.kill_sender().await;
    sqlx::query("DROP TRIGGER crash")
        .execute(&h.pool)
        .await
        .unwrap();
    h.restart().await;
    h.drain().await;
    h.restart().await;
    h.drain().await;
    rerouted_once(&h, &c, &colleague, lang, Some(sheet)).await;
}

/// A signed comment on request waiting in the outbox (Telegram could not
/// be reached) whose asking officer erases their data (/forgetme)
/// meanwhile: nothing is sent to them, and the comment goes to the
/// workplace's other officer instead, once; the secretary is told where it
/// went, and the sheet counts that officer.
#[tokio::test]
async fn a_comment_whose_asker_erased_their_data_while_queued_goes_to_the_other_officers() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = vi_user(701, "Cán bộ 2");
    another_officer(&h, &c, &colleague).await;
    let sheet = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM outbox WHERE chat_id = 700 AND status = 'queued'")
            .await,
        3
    );
    let ask = h.ask(&c.officer, "/forgetme").await;
    let (_, replies) = h
        .press(&c.officer, &ask, &tr(lang, "forget-button-confirm"))
        .await;
    let done = replies.last().expect("the result").text.clone();
    assert!(says(done.as_deref(), lang, "forget-done"), "{done:?}");
    let before = h.api.sent_count(c.officer.id);
    h.start_sender(default_sender()).await;
    h.drain().await;
    h.restart().await;
    h.drain().await;
    assert_eq!(h.api.sent_count(c.officer.id), before);
    rerouted_once(&h, &c, &colleague, lang, Some(sheet)).await;
}

/// The workplace is told its request was cancelled (the member's cell
/// ended their membership) while Telegram could not be reached, and the
/// asking officer loses the role meanwhile: the notice does not reach
/// them but the workplace's other officer, once, in their language.
#[tokio::test]
async fn a_cancelled_request_whose_asker_lost_the_role_while_queued_reaches_the_other_officer() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = en_user(701, "Colleague");
    another_officer(&h, &c, &colleague).await;
    sent_request(&h, &c, lang, 0).await;
    h.drain().await;
    h.stop_sender().await;
    let list = h.ask(&c.secretary, "/members").await;
    let (_, opened) = h
        .press_data(
            &c.secretary,
            list.message_id,
            &format!("bo:{}", c.membership),
        )
        .await;
    let card = opened.last().unwrap().clone();
    h.press_data(
        &c.secretary,
        card.message_id,
        &format!("el:{}", c.membership),
    )
    .await;
    let confirm = h.ask(&c.secretary, "Chuyển đi tỉnh khác").await;
    let yes = label_of(&confirm, "ec:").expect("Confirm");
    h.press(&c.secretary, &confirm, &yes).await;
    h.revoke_officer(&c.officer, c.workplace).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    h.restart().await;
    h.drain().await;
    let told = |user: &TgUser, lang| {
        h.api
            .sent(user.id)
            .iter()
            .filter(|s| says(s.text.as_deref(), lang, "request-cancelled-member-left"))
            .count()
    };
    assert_eq!(told(&c.officer, Lang::Vi), 0);
    assert_eq!(
        told(&colleague, Lang::En),
        1,
        "{:?}",
        h.api.sent(colleague.id)
    );
}

/// The workplace is told its request was cancelled while Telegram could
/// not be reached, and the asking officer erases their data (/forgetme)
/// meanwhile: the notice goes to the workplace's other officer instead.
#[tokio::test]
async fn a_cancelled_request_whose_asker_erased_their_data_while_queued_reaches_the_other_officer()
{
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = vi_user(701, "Cán bộ 2");
    another_officer(&h, &c, &colleague).await;
    sent_request(&h, &c, lang, 0).await;
    h.drain().await;
    h.stop_sender().await;
    let ask = h.ask(&c.member, "/forgetme").await;
    h.press(&c.member, &ask, &tr(lang, "forget-button-confirm"))
        .await;
    let ask = h.ask(&c.officer, "/forgetme").await;
    h.press(&c.officer, &ask, &tr(lang, "forget-button-confirm"))
        .await;
    let before = h.api.sent_count(c.officer.id);
    h.start_sender(default_sender()).await;
    h.drain().await;
    assert_eq!(h.api.sent_count(c.officer.id), before);
    let told = h
        .api
        .sent(colleague.id)
        .iter()
        .filter(|s| says(s.text.as_deref(), lang, "request-cancelled-member-gone"))
        .count();
    assert_eq!(told, 1, "{:?}", h.api.sent(colleague.id));
}

/// A signed comment on request waiting in the outbox while both officers
/// of the workplace block the bot: the secretary is told once that it
/// could not be delivered, not first that it went to the other officer
/// (who has blocked the bot too), and the sheet counts no officer.
#[tokio::test]
async fn a_comment_whose_workplace_officers_all_blocked_the_bot_while_queued_is_reported_once() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = vi_user(701, "Cán bộ 2");
    another_officer(&h, &c, &colleague).await;
    let sheet = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    for officer in [&c.officer, &colleague] {
        let blocked = h.api.block(officer, true);
        h.handled(blocked).await;
    }
    h.start_sender(default_sender()).await;
    h.drain().await;
    reached_no_officer(&h, &c, lang, sheet).await;
}

/// A secretary replaced after a workplace's request was carded to them:
/// Draft on the old card says they are no longer the cell's secretary and
/// who is, and the card loses its buttons (it said "not allowed").
#[tokio::test]
async fn draft_pressed_by_a_replaced_secretary_says_who_decides_now() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 6, 1, 9, 0);
        let c = cast(&h, lang).await;
        let (request, card) = sent_request(&h, &c, lang, 0).await;
        let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
            .bind(c.membership)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let out = h
            .admin(lienhe::cli::Admin::Invite {
                command: lienhe::cli::InviteCommand::Secretary { cell },
            })
            .await;
        let new = user_in(lang, 150, "Châu");
        h.ask(&new, &format!("/start {}", out.lines().last().unwrap()))
            .await;
        h.ask(&new, "Ngô Minh Châu").await;
        let label = label_of(&card, &format!("xd:{request}")).expect("Draft");
        let (answer, _) = h.press(&c.secretary, &card, &label).await;
        let gone = lienhe::t!(
            lang,
            "committee-role-gone-now",
            role = "secretary",
            cell = "Chi bộ khối 5",
            who = "Ngô Minh Châu"
        );
        assert_eq!(answer_text(&answer), gone, "{lang:?}");
        assert!(h.current(&card).button_texts().is_empty());
    }
}

/// An officer's own reason (Other reason…) pasted from a document with a
/// link behind its words ("theo Quyết định số 45" linked to the decision):
/// the address is kept after the words, in brackets, as in any typed text;
/// it was dropped, and the cell read of a decision it could not open.
#[tokio::test]
async fn a_typed_reason_keeps_the_link_behind_its_words() {
    let lang = Lang::Vi;
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let reasons = h.ask(&c.officer, "/request an").await;
    h.press(&c.officer, &reasons, &tr(lang, "request-button-other"))
        .await;
    let before = "Bổ nhiệm theo ";
    let words = "Quyết định số 45";
    let url = "https://nghean.gov.vn/qd-45";
    let offset = before.encode_utf16().count();
    let length = words.encode_utf16().count();
    let officer = c.officer.clone();
    h.send_update(&c.officer, |api| {
        api.text_with_entities(
            &officer,
            &format!("{before}{words}"),
            serde_json::json!([{"type": "text_link", "offset": offset, "length": length, "url": url}]),
        )
    })
    .await;
    let period = h.ask(&c.officer, "15/06/2026").await;
    let label = period.button_texts()[0].clone();
    let (_, shown) = h.press(&c.officer, &period, &label).await;
    let summary = shown.last().unwrap().clone();
    h.press(&c.officer, &summary, &tr(lang, "request-button-send"))
        .await;
    let reason: Option<String> =
        sqlx::query_scalar("SELECT reason_text FROM comment_requests ORDER BY id DESC LIMIT 1")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        reason.as_deref(),
        Some(format!("{before}{words} ({url})").as_str())
    );
}

/// A signed comment on request waiting in the outbox while the secretary
/// who signed it hands the cell over, and then its asking officer loses
/// the role: it goes to the workplace's other officer, and the note saying
/// where it went reaches the secretary in office, not the one who left the
/// committee.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerouted_comment_after_a_handover_is_told_to_the_new_secretary() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = user_in(lang, 701, "Đồng nghiệp");
    another_officer(&h, &c, &colleague).await;
    let _ = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(c.membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let out = h
        .admin(Admin::Invite {
            command: lienhe::cli::InviteCommand::Secretary { cell },
        })
        .await;
    let code = out.lines().last().unwrap().to_string();
    let new = user_in(lang, 150, "Châu");
    h.ask(&new, &format!("/start {code}")).await;
    h.ask(&new, "Ngô Minh Châu").await;
    h.revoke_officer(&c.officer, c.workplace).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let saying = |chat: i64| {
        h.api
            .sent(chat)
            .iter()
            .filter(|s| says(s.text.as_deref(), lang, "request-delivery-rerouted"))
            .count()
    };
    assert_eq!(saying(c.secretary.id), 0, "not to the one who left");
    assert_eq!(saying(new.id), 1, "to the secretary in office");
}

/// The secretary presses Draft on a workplace's request while the operator
/// takes the seat away: the press passed its first check, and the draft's
/// own transaction judges it again. No sheet is opened, the request still
/// waits, and the former secretary is told they no longer hold the seat.
#[tokio::test]
async fn a_draft_pressed_as_the_seat_is_lost_opens_nothing() {
    let lang = Lang::Vi;
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, notice) = sent_request(&h, &c, lang, 0).await;
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(c.membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    h.ask(&c.secretary, "/pending").await;
    let answers = h.api.answered_callbacks().len();

    // The operator's write holds the database while the press comes.
    let operator = h.hold_database().await;
    let update = h
        .api
        .callback(&c.secretary, notice.message_id, &format!("xd:{request}"));
    h.waits_to_write(update).await;
    assert_eq!(
        h.api.answered_callbacks().len(),
        answers,
        "the press waits for the database, past its first check"
    );
    operator
        .revoke(
            c.secretary.id,
            lienhe::store::committee::Role::Secretary { cell },
        )
        .await;
    h.handled(update).await;

    assert_eq!(h.count("SELECT COUNT(*) FROM sheets").await, 0, "no sheet");
    let state: String = sqlx::query_scalar("SELECT state FROM comment_requests WHERE id = ?")
        .bind(request)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(state, "requested");
    let answer = h.api.answered_callbacks().pop().unwrap();
    let text = answer.str_param("text").unwrap_or_default().to_string();
    assert!(
        text.contains("Đồng chí không còn là bí thư Chi bộ khối 5"),
        "{text}"
    );
}

/// A request sent just before a kill: the officer's dialogue ends in the
/// request's transaction (what the handler commits is done here by hand,
/// with the dialogue it hands in, from the form at the Send step), so
/// after the restart the officer's next text is not taken as a text at the
/// Send step (the summary shown again with Send, for a request already
/// sent).
#[tokio::test]
async fn a_request_sent_just_before_a_kill_ends_its_dialogue() {
    use lienhe::store::dialogues::Next;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, Lang::Vi).await;
    let summary = request_summary(&h, &c.officer).await;
    let send = tr(Lang::Vi, "request-button-send");
    assert!(summary.button_texts().contains(&send), "{:?}", summary.text);

    let form: String = sqlx::query_scalar(
        "SELECT json_extract(state, '$.Request[1]') FROM dialogues WHERE chat_id = ?",
    )
    .bind(c.officer.id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    let form: serde_json::Value = serde_json::from_str(&form).unwrap();
    let date = |v: &serde_json::Value| v.as_str().unwrap().parse().unwrap();
    let new = NewRequest {
        token: form["token"].as_str().unwrap(),
        officer_id: c.officer.id,
        membership_id: c.membership,
        reason: ReasonKind::parse(form["reason"].as_str().unwrap()).unwrap(),
        reason_text: None,
        period: (date(&form["period"][0]), date(&form["period"][1])),
        due_on: date(&form["due"]),
    };
    let ended = Next {
        chat_id: c.officer.id,
        state: None,
    };
    let sent = (h.app().now(), Some(&ended));
    let created = requests::create_ending(&h.pool, new, sent, |_, _, _| Vec::new())
        .await
        .unwrap();
    assert!(matches!(created, Created::New { .. }));
    h.restart().await;

    for reply in h.say(&c.officer, "Cảm ơn").await {
        assert!(!reply.button_texts().contains(&send), "{:?}", reply.text);
    }
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 1);
}

/// The workplace's other officer erased their data (/forgetme) and keeps
/// the office; a signed comment on request then waits in the outbox while
/// the asking officer erases theirs too: it is not sent on to the one who
/// erased their data and has not come back (nor to the asker), and the
/// secretary is told it could not be delivered.
#[tokio::test]
async fn a_comment_is_not_rerouted_to_an_officer_who_erased_their_data() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let colleague = vi_user(701, "Cán bộ 2");
    another_officer(&h, &c, &colleague).await;
    erase_data(&h, &colleague, lang).await;
    let officers = h
        .count("SELECT COUNT(*) FROM workplace_officers WHERE user_id = 701")
        .await;
    assert_eq!(officers, 1, "the office is kept");
    let sheet = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    erase_data(&h, &c.officer, lang).await;
    let before = h.api.sent_count(colleague.id);
    h.start_sender(default_sender()).await;
    h.drain().await;

    assert_eq!(
        h.api.sent_count(colleague.id),
        before,
        "nothing to the officer who erased their data"
    );
    reached_no_officer(&h, &c, lang, sheet).await;
}

/// How many of the messages sent to `chat` say the text `id` in `lang`.
fn times_said(h: &Harness, chat: i64, lang: Lang, id: &str) -> usize {
    h.api
        .sent(chat)
        .iter()
        .filter(|s| says(s.text.as_deref(), lang, id))
        .count()
}

/// Two members of one workplace bear the same name, in two cells, and the
/// officer asks for a comment on each: `/requests` and the withdrawal's
/// confirmation name each one's cell, so that the officer can tell which
/// request is which (both read "Nguyễn Văn An — appointment — due
/// 15/06/2026", and Withdraw could take back the wrong one).
async fn namesakes_requests_name_their_cells(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let ward: i64 = sqlx::query_scalar("SELECT ward_id FROM cells ORDER BY id LIMIT 1")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let other = h.cell(ward, "Chi bộ khối 7").await;
    insert_members(&h, other, Some(c.workplace), 400, 1, "approved").await;
    sqlx::query("UPDATE memberships SET full_name = 'Nguyễn Văn An' WHERE user_id = 400")
        .execute(&h.pool)
        .await
        .unwrap();
    let cells = ["Chi bộ khối 5", "Chi bộ khối 7"];
    for cell in cells {
        let choose = h.ask(&c.officer, "/request Nguyễn Văn An").await;
        assert!(
            says(choose.text.as_deref(), lang, "request-ask-member"),
            "{:?}",
            choose.text
        );
        let label = choose
            .button_texts()
            .into_iter()
            .find(|l| l.contains(cell))
            .unwrap_or_else(|| panic!("{:?}", choose.button_texts()));
        let (_, replies) = h.press(&c.officer, &choose, &label).await;
        let reasons = replies.last().cloned().expect("the reasons");
        let label = reasons.button_texts()[0].clone();
        h.press(&c.officer, &reasons, &label).await;
        let period = h.ask(&c.officer, "15/06/2026").await;
        let label = period.button_texts()[0].clone();
        let summary = h.press(&c.officer, &period, &label).await.1;
        let summary = summary.last().cloned().expect("the summary");
        h.press(&c.officer, &summary, &tr(lang, "request-button-send"))
            .await;
    }
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 2);
    let list = h.ask(&c.officer, "/requests").await;
    let text = list.text.clone().unwrap_or_default();
    for cell in cells {
        assert!(
            text.contains(&format!("Nguyễn Văn An ({cell})")),
            "{cell}: {text}"
        );
    }
    let theirs: i64 = sqlx::query_scalar(
        "SELECT r.id FROM comment_requests r JOIN memberships m ON m.id = r.membership_id
         WHERE m.user_id = 400",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    let confirm = ask_withdraw(&h, &c.officer, lang, theirs).await;
    let text = confirm.text.clone().unwrap_or_default();
    assert!(
        text.contains("Chi bộ khối 7") && !text.contains("Chi bộ khối 5"),
        "{text}"
    );
}

#[tokio::test]
async fn namesakes_requests_name_their_cells_in_the_officers_list() {
    namesakes_requests_name_their_cells(Lang::Vi).await;
}

#[tokio::test]
async fn namesakes_requests_name_their_cells_in_the_officers_list_in_english() {
    namesakes_requests_name_their_cells(Lang::En).await;
}

/// The workplace's only officer, who asked, blocks the bot while the signed
/// comment waits to go out: it reaches nobody (the secretary is told).
/// Once the officer unblocks the bot, /requests offers the signed comment's
/// documents and sends them (there was no way to have them: /sheet NAME
/// fetches yearly sheets only).
async fn a_comment_that_reached_no_officer_is_had_from_the_list(lang: Lang) {
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let sheet = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    let blocked = h.api.block(&c.officer, true);
    h.handled(blocked).await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    reached_no_officer(&h, &c, lang, sheet).await;
    let documents = |h: &Harness| {
        h.api
            .sent(c.officer.id)
            .into_iter()
            .filter(|s| s.method == "senddocument")
            .count()
    };
    assert_eq!(documents(&h), 0);
    let unblocked = h.api.block(&c.officer, false);
    h.handled(unblocked).await;
    let request: i64 = sqlx::query_scalar("SELECT id FROM comment_requests")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let list = h.ask(&c.officer, "/requests").await;
    assert!(
        label_of(&list, &format!("xw:{request}")).is_none(),
        "{:?}",
        list.buttons()
    );
    let label = label_of(&list, &format!("xf:{request}"))
        .unwrap_or_else(|| panic!("no Documents button: {:?}", list.buttons()));
    h.press(&c.officer, &list, &label).await;
    h.wait_documents(c.officer.id, 2).await;
    assert_eq!(documents(&h), 2);
    // Nobody else may have them: the member, a stranger.
    for who in [&c.member, &user_in(lang, 901, "Lạ")] {
        let (answer, _) = h
            .press_data(who, list.message_id, &format!("xf:{request}"))
            .await;
        assert!(!answer_text(&answer).is_empty(), "{:?}", answer.params);
    }
    assert_eq!(
        h.api
            .sent(c.member.id)
            .into_iter()
            .filter(|s| s.method == "senddocument")
            .count(),
        2,
        "the member's own copy only"
    );
}

#[tokio::test]
async fn a_comment_that_reached_no_officer_is_had_from_the_officers_list() {
    a_comment_that_reached_no_officer_is_had_from_the_list(Lang::Vi).await;
}

#[tokio::test]
async fn a_comment_that_reached_no_officer_is_had_from_the_officers_list_in_english() {
    a_comment_that_reached_no_officer_is_had_from_the_list(Lang::En).await;
}

/// `lienhe verify CODE` of a signed comment on request says it is one, with
/// its reason and period, as the chat's /verify does (it called it "the 2026
/// comment sheet", the member's yearly sheet, which it is not).
#[tokio::test]
async fn the_operators_verify_names_a_comment_on_request_as_such() {
    let lang = Lang::Vi;
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let sheet = signed_with_the_sender_stopped(&mut h, &c, lang).await;
    let code: String = sqlx::query_scalar("SELECT code FROM sheets WHERE id = ?")
        .bind(sheet)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let (valid, out) = lienhe::cli::verify_code(&h.pool, &code, TZ).await.unwrap();
    assert!(valid, "{out}");
    assert!(
        out.contains("the comment on request (appointment, 02/06/2025 - 01/06/2026)")
            && out.contains("Nguyễn Văn An")
            && !out.contains("comment sheet"),
        "{out}"
    );
}

/// The member's /mydata said "cancelled" of a request the workplace
/// withdrew (and "being drafted" of one whose draft was with them), where
/// the workplace's /requests says "withdrawn on dd/mm/yyyy": it now says
/// it as /requests does.
async fn withdrawn_in_mydata(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (request, _) = sent_request(&h, &c, lang, 0).await;
    withdraw(&h, &c.officer, lang, request).await;
    h.api.text(&c.member, "/mydata");
    h.wait_documents(c.member.id, 2).await;
    let xlsx = h
        .api
        .sent(c.member.id)
        .into_iter()
        .find(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".xlsx")))
        .and_then(|s| s.document_bytes)
        .expect("the XLSX");
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    let withdrawn = match lang {
        Lang::Vi => "đã rút lại ngày 01/06/2026",
        Lang::En => "withdrawn on 01/06/2026",
    };
    assert!(strings.contains(withdrawn), "{strings}");
}

#[tokio::test]
async fn a_withdrawn_request_is_said_withdrawn_in_the_members_data() {
    withdrawn_in_mydata(Lang::Vi).await;
}

#[tokio::test]
async fn a_withdrawn_request_is_said_withdrawn_in_the_members_data_in_english() {
    withdrawn_in_mydata(Lang::En).await;
}

/// A workplace officer's Send committed just before a kill, the summary's
/// settling never sent: Telegram serves Send again, and the officer presses
/// it again. The request is made once, its cell is told once, the officer
/// gets an answer, and the summary no longer offers Send.
async fn send_killed_before_the_summary_followed(lang: Lang) {
    let mut h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let summary = request_summary(&h, &c.officer).await;
    let send = tr(lang, "request-button-send");
    let data = summary
        .buttons()
        .into_iter()
        .find(|(label, _)| *label == send)
        .expect("Send")
        .1;
    // What the commit queues waits in the outbox for the restart: a kill
    // while one of those messages is on its way would send it twice.
    h.stop_sender().await;
    let held = h.api.hold_next("editMessageText", c.officer.id);
    let update = h.api.callback(&c.officer, summary.message_id, &data);
    // Killed there: the summary is not settled.
    h.killed_at_and_served_again(held, "the summary's settling is on its way", update)
        .await;
    h.drain().await;
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 1);

    let (answer, _) = h.press_data(&c.officer, summary.message_id, &data).await;
    let text = answer_text(&answer);
    assert!(!text.is_empty(), "the officer is answered: {answer:?}");
    h.drain().await;
    let shown = h.current(&summary);
    assert!(
        !shown.button_texts().contains(&send),
        "{lang:?}: the summary no longer offers Send: {shown:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM comment_requests").await, 1);
    let cards = h
        .api
        .sent(c.secretary.id)
        .into_iter()
        .filter(|s| says(s.text.as_deref(), lang, "request-to-secretary"))
        .count();
    assert_eq!(cards, 1, "the cell is told once");
}

#[tokio::test]
async fn a_request_sent_just_before_a_kill_is_made_once_and_settled_when_pressed_again() {
    send_killed_before_the_summary_followed(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_sent_just_before_a_kill_is_made_once_and_settled_when_pressed_again_in_english()
{
    send_killed_before_the_summary_followed(Lang::En).await;
}

/// A comment asked on 31 December (its period question shown at 23:55,
/// the period pressed and Send after midnight), drafted and signed on 2
/// January: the period is the 12 months to 31/12/2026 as the button said,
/// the draft and the signed sheet cite the report of 30 December and not
/// the one of 2 January, the sheet is dated 02/01/2027, and the officer's
/// list says signed on 02/01/2027. Already so.
async fn asked_on_new_years_eve_answered_on_2_january(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 12, 30, 10, 0);
    let c = cast(&h, lang).await;
    approved_report_today(&h, &c, lang, "Dọn vệ sinh ngõ xóm cuối năm").await;
    h.set_local(2026, 12, 31, 23, 55);
    let reasons = h.ask(&c.officer, "/request an").await;
    let label = reasons.button_texts()[0].clone();
    h.press(&c.officer, &reasons, &label).await;
    let period = h.ask(&c.officer, "15/01/2027").await;
    let label = period.button_texts()[0].clone();
    assert!(label.contains("01/01/2026 - 31/12/2026"), "{label}");
    h.set_local(2027, 1, 1, 0, 5);
    let (_, replies) = h.press(&c.officer, &period, &label).await;
    let summary = replies.last().unwrap().clone();
    assert!(says(summary.text.as_deref(), lang, "request-summary"));
    h.press(&c.officer, &summary, &tr(lang, "request-button-send"))
        .await;
    let stored: (String, String, String) =
        sqlx::query_as("SELECT period_from, period_to, due_on FROM comment_requests")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (
            "2026-01-01".into(),
            "2026-12-31".into(),
            "2027-01-15".into()
        )
    );
    h.set_local(2027, 1, 2, 9, 0);
    approved_report_today(&h, &c, lang, "Họp tổ dân phố đầu năm").await;
    let notice = last_saying(&h, &c.secretary, lang, "request-to-secretary");
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    let shown = draft.text.clone().unwrap_or_default();
    assert!(
        shown.contains("– 30/12/2026") && !shown.contains("02/01/2027:"),
        "{shown}"
    );
    choose_all(&h, &c.secretary, &draft, lang).await;
    h.press(
        &c.secretary,
        &h.current(&draft),
        &tr(lang, "button-send-member"),
    )
    .await;
    let to_member = last_saying(&h, &c.member, lang, "request-for-member");
    let told = accepted(&h, &c, lang, &to_member).await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(c.officer.id, 2).await;
    let xml = h.first_docx(c.officer.id);
    let plain: String = xml
        .split('<')
        .filter_map(|p| p.split_once('>').map(|(_, t)| t))
        .collect();
    for want in [
        "ngày 02 tháng 01 năm 2027",
        "từ ngày 01/01/2026 đến ngày 31/12/2026",
        "Tổng số hoạt động đã được duyệt: 1",
        "30/12/2026: Phong trào, hoạt động cộng đồng",
    ] {
        assert!(plain.contains(want), "{want:?} in {plain}");
    }
    assert!(!plain.contains("02/01/2027:"), "{plain}");
    let list = h.ask(&c.officer, "/requests").await;
    let listed = list.text.unwrap_or_default();
    assert!(
        listed.contains("15/01/2027") && listed.contains("02/01/2027"),
        "{listed}"
    );
    assert!(says(Some(&listed), lang, "request-list-header"), "{listed}");
}

#[tokio::test]
async fn a_comment_asked_on_new_years_eve_is_answered_on_2_january() {
    asked_on_new_years_eve_answered_on_2_january(Lang::Vi).await;
}

#[tokio::test]
async fn a_comment_asked_on_new_years_eve_is_answered_on_2_january_in_english() {
    asked_on_new_years_eve_answered_on_2_january(Lang::En).await;
}

/// A typed reason at its longest (500 characters), of the widest
/// characters Telegram counts (an emoji, a letter outside the basic plane:
/// two units each) and of markup shown as typed.
fn widest_reason() -> String {
    let markup = "🌳<b>&amp;\"</i>_x_`ễ𠀀 ";
    let wide = "🌲𠀁".chars().cycle();
    let reason: String = markup.chars().chain(wide).take(500).collect();
    assert_eq!(reason.chars().count(), 500);
    assert!(reason.encode_utf16().count() > 950);
    reason
}

/// The officer asks for a comment on member An for an Other reason typed
/// at its longest ([`widest_reason`]), the period from 15/06/2026: the
/// reason and the request's id.
async fn asked_with_the_widest_reason(h: &Harness, c: &Cast, lang: Lang) -> (String, i64) {
    let reasons = h.ask(&c.officer, "/request an").await;
    h.press(&c.officer, &reasons, &tr(lang, "request-button-other"))
        .await;
    let reason = widest_reason();
    let due = h.ask(&c.officer, &reason).await;
    assert!(says(due.text.as_deref(), lang, "request-ask-due"));
    let period = h.ask(&c.officer, "15/06/2026").await;
    let label = period.button_texts()[0].clone();
    let (_, shown) = h.press(&c.officer, &period, &label).await;
    let summary = shown.last().unwrap().clone();
    h.press(&c.officer, &summary, &tr(lang, "request-button-send"))
        .await;
    let request: i64 = sqlx::query_scalar("SELECT MAX(id) FROM comment_requests")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    (reason, request)
}

async fn longest_typed_reason(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let (reason, request) = asked_with_the_widest_reason(&h, &c, lang).await;
    let notice = last_saying(&h, &c.secretary, lang, "request-to-secretary");
    let (_, to_member) = drafted_and_sent(&h, &c, lang, &notice, request).await;
    let told = accepted(&h, &c, lang, &to_member).await;
    h.press(&c.secretary, &told, &tr(lang, "button-sign")).await;
    h.wait_documents(300, 2).await;
    h.wait_documents(700, 2).await;
    let code: String = sqlx::query_scalar("SELECT code FROM sheets WHERE request_id = ?")
        .bind(request)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    // The member's copy says, under the document, that it went to the
    // workplace and its code: the reason is shortened to leave room (the
    // document carries it whole), and shown as typed.
    let copy = h
        .api
        .sent(c.member.id)
        .into_iter()
        .find(|s| s.method == "senddocument" && s.text.is_some())
        .expect("the member's copy with its caption");
    let caption = copy.text.unwrap();
    assert!(
        says(Some(&caption), lang, "request-copy-member"),
        "{caption}"
    );
    assert!(caption.contains(&code), "no code in {caption}");
    assert!(caption.contains("🌳<b>&amp;\"</i>_x_`ễ𠀀"), "{caption}");
    assert!(caption.encode_utf16().count() <= 1024);
    let xml = part(
        h.api
            .sent(c.member.id)
            .into_iter()
            .find(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".docx")))
            .unwrap()
            .document_bytes
            .as_ref()
            .unwrap(),
        "word/document.xml",
    );
    assert!(
        xml.contains(
            &reason
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        ) || xml.contains(
            &reason
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        ),
        "the document carries the reason whole"
    );
    // Every message and caption reached Telegram.
    let refused = h.api.refused();
    assert!(refused.is_empty(), "{refused:#?}");
}

#[tokio::test]
async fn a_typed_reason_at_its_longest_leaves_the_code_under_the_members_copy() {
    longest_typed_reason(Lang::Vi).await;
}

#[tokio::test]
async fn a_typed_reason_at_its_longest_leaves_the_code_under_the_members_copy_in_english() {
    longest_typed_reason(Lang::En).await;
}

/// `count` characters: `start` (Vietnamese, its marks typed apart as some
/// keyboards send them), then the widest characters Telegram counts (an
/// emoji, a letter outside the basic plane: two units each), then `end`.
fn widest_text(start: &str, count: usize, end: &str) -> String {
    let body = count - start.chars().count() - end.chars().count();
    let wide: String = "🌲𠀁".chars().cycle().take(body).collect();
    let text = format!("{start}{wide}{end}");
    assert_eq!(text.chars().count(), count);
    text
}

/// A comment on request whose member's name (100 characters), cell's name
/// (120), workplace's name (200), typed reason (500), remarks and member's
/// response (1,000 each) are all at their longest and of the widest
/// characters: every message of it reaches Telegram, and the secretary's
/// view of the sheet keeps the names and the remarks whole, and shortens
/// the reason and the response, saying so and where they are whole.
async fn longest_fields_of_a_request(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    // Marks typed apart: "Nguyễn" as e, circumflex, tilde.
    let name = format!("Nguye\u{302}\u{303}n {}", "𠀂".repeat(91));
    assert_eq!(name.chars().count(), 100);
    let cell = widest_text("Chi bo\u{302}\u{323} kho\u{302}\u{301}i ", 120, "END-CELL");
    let workplace = widest_text("Co\u{302}ng ty ", 200, "END-WORKPLACE");
    let (reason, request) = asked_with_the_widest_reason(&h, &c, lang).await;
    // Named at their longest once asked (the officer found the member by
    // a part of the name).
    for (sql, value) in [
        (
            "UPDATE memberships SET full_name = ? WHERE user_id = 300",
            &name,
        ),
        ("UPDATE users SET full_name = ? WHERE id = 300", &name),
        ("UPDATE cells SET name = ?", &cell),
        ("UPDATE workplaces SET name = ?", &workplace),
    ] {
        sqlx::query(sql).bind(value).execute(&h.pool).await.unwrap();
    }
    let notice = last_saying(&h, &c.secretary, lang, "request-to-secretary");
    assert!(notice.text.clone().unwrap().contains(&reason));
    let (_, opened) = h
        .press(&c.secretary, &notice, &tr(lang, "request-button-draft"))
        .await;
    let draft = opened.last().unwrap().clone();
    choose_all(&h, &c.secretary, &draft, lang).await;
    let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets WHERE request_id = ?")
        .bind(request)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    // Typed with marks apart, kept as they read (composed).
    use unicode_normalization::UnicodeNormalization;
    let composed = |typed: &str| typed.nfc().collect::<String>();
    let remarks = widest_text("Ba\u{300}\u{323} ", 1000, "END-OF-REMARKS");
    h.press_data(&c.secretary, draft.message_id, &format!("sr:{sheet}"))
        .await;
    h.ask(&c.secretary, &remarks).await;
    h.press_data(&c.secretary, draft.message_id, &format!("ss:{sheet}"))
        .await;
    h.drain().await;
    let to_member = last_saying(&h, &c.member, lang, "request-for-member");
    let draft_text = to_member.text.clone().unwrap();
    assert!(
        draft_text.contains(&composed(&remarks)) && draft_text.contains(&cell),
        "the member's draft keeps the remarks whole: {draft_text}"
    );
    h.press_data(&c.member, to_member.message_id, &data_of(&to_member, "mr:"))
        .await;
    let response = widest_text("Kho\u{302}ng ", 1000, "END-OF-RESPONSE");
    h.ask(&c.member, &response).await;
    h.drain().await;
    let told = last_saying(&h, &c.secretary, lang, "request-told-responded");
    assert!(told.text.clone().unwrap().contains(&composed(&response)));
    h.press(&c.secretary, &told, &tr(lang, "year-button-open"))
        .await;
    h.drain().await;
    let view = h
        .api
        .sent(c.secretary.id)
        .into_iter()
        .rev()
        .find(|s| says(s.text.as_deref(), lang, "request-sheet-header"))
        .expect("the sheet's view");
    let view = h.current(&view).text.unwrap();
    for whole in [&name, &cell, &workplace, &composed(&remarks)] {
        assert!(view.contains(whole.as_str()), "{whole} whole in: {view}");
    }
    let start: String = reason.chars().take(50).collect();
    assert!(view.contains(&start), "the reason's start: {view}");
    assert!(
        view.contains(&reason) || view.contains(&tr(lang, "request-reason-shortened")),
        "the reason whole, or said to be shortened and where it is whole: {view}"
    );
    assert!(
        view.contains("END-OF-RESPONSE") || view.ends_with(&tr(lang, "sheet-response-shortened")),
        "{view}"
    );
    assert!(view.encode_utf16().count() <= 4096);
    // Every message reached Telegram (presses on message 1 stand for the
    // buttons: its edits are refused).
    let refused: Vec<_> = h
        .api
        .refused()
        .into_iter()
        .filter(|c| c.params["message_id"] != 1)
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
}

#[tokio::test]
async fn a_comment_on_request_of_the_longest_fields_is_read_in_the_secretarys_view() {
    longest_fields_of_a_request(Lang::Vi).await;
}

#[tokio::test]
async fn a_comment_on_request_of_the_longest_fields_in_english() {
    longest_fields_of_a_request(Lang::En).await;
}

/// `/request NAME` for somebody the officer's workplace knows but no cell
/// can comment on: on the roster and registered nowhere, registered with
/// another workplace declared, waiting for the cell to accept them, or
/// whose membership ended.
/// Each is told why (not "check the name"), by `/request NAME` and by
/// `/sheet NAME`; a name nobody bears still is.
async fn a_request_about_somebody_no_cell_can_comment_on(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let cell: i64 = sqlx::query_scalar("SELECT cell_id FROM memberships WHERE id = ?")
        .bind(c.membership)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    // Registered with the other workplace declared; waiting for the cell.
    insert_members(&h, cell, Some(2), 801, 1, "approved").await;
    insert_members(&h, cell, Some(c.workplace), 802, 1, "pending").await;
    // Left the cell last year (not a move): in no cell now.
    insert_members(&h, cell, Some(c.workplace), 803, 1, "left").await;
    let ended = chrono::DateTime::parse_from_rfc3339("2025-10-15T03:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    sqlx::query(
        "UPDATE memberships SET full_name = 'Vũ Thị Lan', end_reason = 'left_area', ended_at = ?
         WHERE user_id = 803",
    )
    .bind(ended)
    .execute(&h.pool)
    .await
    .unwrap();
    for (id, name, phone) in [
        (801, "Phạm Văn Đức", "0988777666"),
        (802, "Hoàng Văn Giang", "0977111222"),
    ] {
        sqlx::query("UPDATE memberships SET full_name = ?, phone = ? WHERE user_id = ?")
            .bind(name)
            .bind(phone)
            .bind(id)
            .execute(&h.pool)
            .await
            .unwrap();
    }
    let roster = "Họ và tên,Số điện thoại\nNguyễn Văn An,\nLê Thị Hoa,0911222333\n\
                  Phạm Văn Đức,0988777666\nHoàng Văn Giang,0977111222\nVũ Thị Lan,\n";
    h.ask(&c.officer, "/roster").await;
    let preview = h
        .send_update(&c.officer, |api| {
            api.document(&c.officer, "ds.csv", "text/csv", roster.as_bytes().to_vec())
        })
        .await
        .pop()
        .expect("a preview");
    let import = match lang {
        Lang::Vi => "Nhập danh sách",
        Lang::En => "Import",
    };
    h.press(&c.officer, &preview, import).await;

    for (typed, name, why) in [
        (
            "le thi hoa",
            "Lê Thị Hoa",
            "request-not-askable-unregistered",
        ),
        (
            "Phạm Văn Đức",
            "Phạm Văn Đức",
            "request-not-askable-elsewhere",
        ),
        ("giang", "Hoàng Văn Giang", "request-not-askable-waiting"),
        ("Vu Thi Lan", "Vũ Thị Lan", "request-not-askable-ended"),
    ] {
        // The same answer to /sheet NAME (no sheet can come of them either).
        for command in ["/request", "/sheet"] {
            let typed = format!("{command} {typed}");
            let reply = h.ask(&c.officer, &typed).await;
            let text = reply.text.clone().unwrap_or_default();
            assert!(
                says(Some(&text), lang, "request-none-askable"),
                "{typed}: {text}"
            );
            let line = text.lines().nth(1).unwrap_or_default();
            assert!(says(Some(line), lang, why), "{typed}: {text}");
            assert!(line.contains(name), "{typed}: {text}");
            if why == "request-not-askable-ended" {
                assert!(line.contains("15/10/2025"), "{typed}: {text}");
            }
            assert_eq!(text.lines().count(), 2, "{typed}: {text}");
            assert!(reply.button_texts().is_empty(), "{typed}: {reply:?}");
        }
    }
    // Nobody of that name: as before.
    let reply = h.ask(&c.officer, "/request Đỗ Văn Khoa").await;
    assert!(
        says(reply.text.as_deref(), lang, "request-none-found"),
        "{:?}",
        reply.text
    );
    let reply = h.ask(&c.officer, "/sheet Đỗ Văn Khoa").await;
    assert!(
        says(reply.text.as_deref(), lang, "sheet-not-found"),
        "{:?}",
        reply.text
    );
    // The member of the workplace is asked about as ever.
    let reply = h.ask(&c.officer, "/request nguyen van an").await;
    assert!(
        says(reply.text.as_deref(), lang, "request-ask-reason"),
        "{:?}",
        reply.text
    );
    // Nothing was stored.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comment_requests")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_request_about_somebody_no_cell_can_comment_on_says_why() {
    a_request_about_somebody_no_cell_can_comment_on(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_about_somebody_no_cell_can_comment_on_says_why_in_english() {
    a_request_about_somebody_no_cell_can_comment_on(Lang::En).await;
}

/// The officer imports a roster of two (Lê Thị Hoa with a phone) and
/// presses Introduce for her in /status: the message with her link.
async fn introduce_hoa(h: &Harness, c: &Cast, lang: Lang) -> String {
    let roster = "Họ và tên,Số điện thoại\nNguyễn Văn An,\nLê Thị Hoa,0911222333\n";
    h.ask(&c.officer, "/roster").await;
    let preview = h
        .send_update(&c.officer, |api| {
            api.document(&c.officer, "ds.csv", "text/csv", roster.as_bytes().to_vec())
        })
        .await
        .pop()
        .expect("a preview");
    let (import, introduce) = match lang {
        Lang::Vi => ("Nhập danh sách", "✉️ Giới thiệu: Lê Thị Hoa"),
        Lang::En => ("Import", "✉️ Introduce: Lê Thị Hoa"),
    };
    h.press(&c.officer, &preview, import).await;
    let status = h.ask(&c.officer, "/status").await;
    let (_, replies) = h.press(&c.officer, &status, introduce).await;
    replies
        .last()
        .and_then(|s| s.text.clone())
        .unwrap_or_default()
}

/// `/request NAME` for a person of the roster whom the officer has
/// introduced already (a link made from /status, not opened yet): the
/// answer said to introduce them from /status, as if nothing had been
/// done. It now says when the link was sent, that it waits for them to
/// open it and until when it is valid, and to send it again only if it was
/// lost; once it expired unopened, when, and to introduce them again. The
/// same by `/sheet NAME`.
async fn a_request_about_somebody_introduced_says_the_link_waits(lang: Lang) {
    let h = Harness::start().await;
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(&h, lang).await;
    let link = introduce_hoa(&h, &c, lang).await;
    assert!(link.contains("?start=in_"), "{link}");

    for (day, why) in [
        ((2026, 6, 20), "request-not-askable-link-sent"),
        ((2026, 7, 2), "request-not-askable-link-expired"),
    ] {
        h.set_local(day.0, day.1, day.2, 9, 0);
        for command in ["/request", "/sheet"] {
            let typed = format!("{command} le thi hoa");
            let reply = h.ask(&c.officer, &typed).await;
            let text = reply.text.clone().unwrap_or_default();
            assert!(
                says(Some(&text), lang, "request-none-askable"),
                "{typed}: {text}"
            );
            let line = text.lines().nth(1).unwrap_or_default();
            assert!(says(Some(line), lang, why), "{typed}: {text}");
            assert!(
                !says(Some(line), lang, "request-not-askable-unregistered"),
                "{typed}: {text}"
            );
            assert!(line.contains("Lê Thị Hoa"), "{typed}: {text}");
            assert!(line.contains("01/06/2026"), "{typed}: {text}");
            assert!(line.contains("01/07/2026"), "{typed}: {text}");
        }
    }
}

#[tokio::test]
async fn a_request_about_somebody_introduced_says_the_link_waits_vi() {
    a_request_about_somebody_introduced_says_the_link_waits(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_about_somebody_introduced_says_the_link_waits_en() {
    a_request_about_somebody_introduced_says_the_link_waits(Lang::En).await;
}

/// Lê Thị Hoa of the roster introduced on 01/06/2026; she opens her link
/// on 05/06 and goes no further (no join request).
async fn hoa_opens_her_link(h: &Harness, lang: Lang) -> Cast {
    h.set_local(2026, 6, 1, 9, 0);
    let c = cast(h, lang).await;
    let link = introduce_hoa(h, &c, lang).await;
    let at = link.find("?start=").expect("a deep link") + "?start=".len();
    let code = link[at..].split_whitespace().next().unwrap().to_string();
    h.set_local(2026, 6, 5, 9, 0);
    let person = user_in(lang, 800, "Hoa");
    let wards = h.ask(&person, &format!("/start {code}")).await;
    assert!(!wards.button_texts().is_empty(), "{wards:?}");
    c
}

/// `/request NAME` for a person of the roster who opened their
/// introduction link but has not sent the join request: the answer said
/// to introduce them from /status, as if nothing had been done. It now
/// says the day the link was sent, the day it was opened, that they have
/// not asked to join a cell yet and that there is no need to introduce
/// them again. The same by `/sheet NAME`.
async fn a_request_about_somebody_who_opened_the_link(lang: Lang) {
    let h = Harness::start().await;
    let c = hoa_opens_her_link(&h, lang).await;

    h.set_local(2026, 6, 20, 9, 0);
    for command in ["/request", "/sheet"] {
        let typed = format!("{command} le thi hoa");
        let reply = h.ask(&c.officer, &typed).await;
        let text = reply.text.clone().unwrap_or_default();
        assert!(
            says(Some(&text), lang, "request-none-askable"),
            "{typed}: {text}"
        );
        let line = text.lines().nth(1).unwrap_or_default();
        assert!(
            says(Some(line), lang, "request-not-askable-link-opened"),
            "{typed}: {text}"
        );
        assert!(
            !says(Some(line), lang, "request-not-askable-unregistered"),
            "{typed}: {text}"
        );
        assert!(line.contains("Lê Thị Hoa"), "{typed}: {text}");
        assert!(line.contains("01/06/2026"), "{typed}: {text}");
        assert!(line.contains("05/06/2026"), "{typed}: {text}");
        assert!(line.contains("01/07/2026"), "{typed}: {text}");
        assert!(reply.button_texts().is_empty(), "{typed}: {reply:?}");
    }
}

#[tokio::test]
async fn a_request_about_somebody_who_opened_the_link_says_so_vi() {
    a_request_about_somebody_who_opened_the_link(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_about_somebody_who_opened_the_link_says_so_en() {
    a_request_about_somebody_who_opened_the_link(Lang::En).await;
}

/// `/request NAME` for a person of the roster who opened their
/// introduction link and let it expire without sending the join request:
/// the answer said only to introduce them from /status, as if nothing had
/// been done. It now says the day the link was sent, the day it was
/// opened, the day it expired, and that they can be introduced again from
/// /status (where the Introduce button is offered for her again). The same
/// by `/sheet NAME`.
async fn a_request_about_somebody_whose_opened_link_expired(lang: Lang) {
    let h = Harness::start().await;
    // It expires on 01/07.
    let c = hoa_opens_her_link(&h, lang).await;

    h.set_local(2026, 7, 2, 9, 0);
    for command in ["/request", "/sheet"] {
        let typed = format!("{command} le thi hoa");
        let reply = h.ask(&c.officer, &typed).await;
        let text = reply.text.clone().unwrap_or_default();
        assert!(
            says(Some(&text), lang, "request-none-askable"),
            "{typed}: {text}"
        );
        let line = text.lines().nth(1).unwrap_or_default();
        assert!(
            says(Some(line), lang, "request-not-askable-link-opened-expired"),
            "{typed}: {text}"
        );
        assert!(line.contains("Lê Thị Hoa"), "{typed}: {text}");
        assert!(line.contains("01/06/2026"), "{typed}: {text}");
        assert!(line.contains("05/06/2026"), "{typed}: {text}");
        assert!(line.contains("01/07/2026"), "{typed}: {text}");
        assert!(line.contains("/status"), "{typed}: {text}");
        assert!(reply.button_texts().is_empty(), "{typed}: {reply:?}");
    }
    let introduce = match lang {
        Lang::Vi => "✉️ Giới thiệu: Lê Thị Hoa",
        Lang::En => "✉️ Introduce: Lê Thị Hoa",
    };
    let status = h.ask(&c.officer, "/status").await;
    assert!(
        status.button_texts().iter().any(|b| b == introduce),
        "{status:?}"
    );
}

#[tokio::test]
async fn a_request_about_somebody_whose_opened_link_expired_says_so_vi() {
    a_request_about_somebody_whose_opened_link_expired(Lang::Vi).await;
}

#[tokio::test]
async fn a_request_about_somebody_whose_opened_link_expired_says_so_en() {
    a_request_about_somebody_whose_opened_link_expired(Lang::En).await;
}
