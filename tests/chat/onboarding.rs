//! Secretaries and members join; invites; languages; menus.

use lienhe::domain::Lang;

use crate::common::*;

#[tokio::test]
async fn secretary_joins_with_a_single_use_code() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    let code = h.secretary_code(cell).await;

    let ask = h.ask(&secretary, &format!("/start {code}")).await;
    let text = ask.text.unwrap();
    assert!(text.contains("bí thư Chi bộ khối 5"), "{text}");
    assert!(text.contains("họ và tên"), "{text}");

    let confirmed = h.ask(&secretary, "  Trần   Thị Bình ").await.text.unwrap();
    assert!(
        confirmed.contains("Trần Thị Bình là bí thư Chi bộ khối 5"),
        "{confirmed}"
    );
    assert!(
        confirmed.contains("/pending") && confirmed.contains("/invite"),
        "{confirmed}"
    );

    let secretary_of: i64 = h.count("SELECT user_id FROM cell_secretaries").await;
    assert_eq!(secretary_of, 100);
    // The secretary's own command menu, in Vietnamese, for this chat only.
    let menu = h
        .api
        .calls_of("setMyCommands")
        .into_iter()
        .rev()
        .find(|c| c.params["scope"]["type"] == "chat")
        .expect("a chat-scoped menu");
    assert_eq!(menu.params["scope"]["chat_id"], 100);
    let names: Vec<_> = menu.params["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap().to_string())
        .collect();
    assert!(
        names.contains(&"pending".to_string()) && names.contains(&"invite".to_string()),
        "{names:?}"
    );
    assert!(
        menu.params["commands"]
            .to_string()
            .contains("Yêu cầu và báo cáo chờ duyệt")
    );

    // Single use: another user cannot reuse the code.
    let other = vi_user(101, "Khác");
    let reply = h.ask(&other, &format!("/start {code}")).await.text.unwrap();
    assert!(reply.contains("đã được sử dụng"), "{reply}");
    assert!(reply.contains("đảng ủy phường"), "{reply}");
}

#[tokio::test]
async fn secretary_joins_in_english() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = en_user(100, "Binh");
    let code = h.secretary_code(cell).await;
    let ask = h
        .ask(&secretary, &format!("/start {code}"))
        .await
        .text
        .unwrap();
    assert!(ask.contains("secretary of Chi bộ khối 5"), "{ask}");
    let done = h.ask(&secretary, "Tran Thi Binh").await.text.unwrap();
    assert!(
        done.contains("Tran Thi Binh is now secretary of Chi bộ khối 5"),
        "{done}"
    );
    assert!(!done.contains('\u{2068}'), "no bidi isolation marks");
}

#[tokio::test]
async fn expired_unknown_and_revoked_invites_say_whom_to_ask() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let stranger = vi_user(200, "Lạ");

    let unknown = h
        .ask(&stranger, "/start AAAAAAAAAAAAAAAAAAAAAA")
        .await
        .text
        .unwrap();
    assert!(
        unknown.contains("không đúng hoặc không tồn tại"),
        "{unknown}"
    );
    let garbage = h.ask(&stranger, "/start ../../etc").await.text.unwrap();
    assert!(
        garbage.contains("không đúng hoặc không tồn tại"),
        "{garbage}"
    );

    let code = h.secretary_code(cell).await;
    h.clock.advance(chrono::Duration::days(8));
    let expired = h
        .ask(&stranger, &format!("/start {code}"))
        .await
        .text
        .unwrap();
    assert!(
        expired.contains("đã hết hạn") && expired.contains("đảng ủy phường"),
        "{expired}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_secretaries").await, 0);

    // A member link replaced by /invite is revoked.
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let old = h.invite_code(&secretary).await;
    let new = h.invite_code(&secretary).await;
    assert_ne!(old, new);
    let revoked = h
        .ask(&stranger, &format!("/start {old}"))
        .await
        .text
        .unwrap();
    assert!(
        revoked.contains("bị thu hồi") && revoked.contains("bí thư chi bộ"),
        "{revoked}"
    );
    // The old link, opened by a member of its cell or one whose request
    // waits there: nothing to ask the secretary for.
    let member = vi_user(300, "An");
    h.join_approved(&secretary, &member, "Nguyễn Văn An").await;
    let waiting = vi_user(301, "Chi");
    let new = h.invite_code(&secretary).await;
    h.request_join(&waiting, &new, "Lê Thị Chi").await;
    let told = h.ask(&member, &format!("/start {old}")).await.text;
    assert!(
        says(told.as_deref(), Lang::Vi, "join-already-member"),
        "{told:?}"
    );
    let told = h.ask(&waiting, &format!("/start {old}")).await.text;
    assert!(
        says(told.as_deref(), Lang::Vi, "join-already-pending"),
        "{told:?}"
    );

    // Member links expire after 30 days.
    h.clock.advance(chrono::Duration::days(31));
    let expired = h
        .ask(&stranger, &format!("/start {new}"))
        .await
        .text
        .unwrap();
    assert!(expired.contains("đã hết hạn"), "{expired}");
    let told = h.ask(&member, &format!("/start {new}")).await.text;
    assert!(
        says(told.as_deref(), Lang::Vi, "join-already-member"),
        "{told:?}"
    );
}

#[tokio::test]
async fn member_joins_and_is_approved() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;

    let link = h.ask(&secretary, "/invite").await.text.unwrap();
    assert!(
        link.contains(&format!("https://t.me/{}?start=", h.api.bot_username())),
        "{link}"
    );
    let code = h.invite_code(&secretary).await;

    let member = vi_user(300, "An");
    let name_prompt = h
        .ask(&member, &format!("/start {code}"))
        .await
        .text
        .unwrap();
    assert!(
        name_prompt.contains("Chi bộ khối 5") && name_prompt.contains("họ và tên"),
        "{name_prompt}"
    );

    let phone = h.ask(&member, "Nguyễn Văn An").await;
    let kb = phone.reply_markup.clone().unwrap();
    assert_eq!(kb["keyboard"][0][0]["request_contact"], true, "{kb}");
    assert!(phone.button_texts().contains(&"Bỏ qua".to_string()));

    let replies = h
        .send_update(&member, |api| {
            api.contact(&member, "+84912345678", Some(300))
        })
        .await;
    // Shared as Telegram gives it, stored in the one form typed numbers get.
    assert!(replies[0].text.as_deref().unwrap().contains("0912345678"));
    assert_eq!(
        replies[0].reply_markup.as_ref().unwrap()["remove_keyboard"],
        true
    );
    let workplaces = replies.last().unwrap();
    let labels = workplaces.button_texts();
    assert_eq!(
        labels,
        vec![
            "Sở Tư pháp tỉnh Nghệ An",
            "Trường THPT Huỳnh Thúc Kháng",
            "Cơ quan khác…"
        ]
    );

    h.press(&member, workplaces, "Sở Tư pháp tỉnh Nghệ An")
        .await;
    let introduced = h.last(&member);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(&member, &introduced, &this_month).await;
    let summary = h.last(&member);
    let text = summary.text.clone().unwrap();
    assert!(
        text.contains("Nguyễn Văn An")
            && text.contains("0912345678")
            && text.contains("Sở Tư pháp"),
        "{text}"
    );

    h.press(&member, &summary, "Xác nhận").await;
    let sent = h.current(&summary).text.unwrap();
    assert!(
        sent.contains("Đã gửi yêu cầu tham gia Chi bộ khối 5"),
        "{sent}"
    );

    let card = h.last(&secretary);
    let card_text = card.text.clone().unwrap();
    assert!(
        card_text.contains("Yêu cầu tham gia")
            && card_text.contains("Nguyễn Văn An")
            && card_text.contains("Sở Tư pháp"),
        "{card_text}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        1
    );

    let (answer, _) = h.press(&secretary, &card, "✅ Duyệt").await;
    assert_eq!(answer.params["text"], "Đã ghi nhận.");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        1
    );
    let told = h.last(&member).text.unwrap();
    assert!(
        told.contains("đã xác nhận") && told.contains("/report"),
        "{told}"
    );
    let settled = h.current(&card);
    assert!(settled.reply_markup.is_none(), "buttons removed");
    let settled_text = settled.text.unwrap();
    assert!(
        settled_text.contains("Đồng chí Trần Thị Bình đã duyệt lúc 20/11/2026 10:00"),
        "{settled_text}"
    );

    // Pressing again names who decided and when; nothing changes.
    let (again, _) = h
        .press_data(
            &secretary,
            card.message_id,
            &card.button_data("✅ Duyệt").unwrap(),
        )
        .await;
    assert_eq!(again.params["show_alert"], true);
    assert!(
        again.params["text"]
            .as_str()
            .unwrap()
            .contains("Trần Thị Bình"),
        "{:?}",
        again.params
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        1
    );
    // The card already shows the decision: it is not edited again.
    assert_eq!(h.current(&card).edits, 1);
    assert_eq!(h.api.not_modified(), 0);

    // The member now sees the member help and can report.
    let help = h.ask(&member, "/help").await.text.unwrap();
    assert!(
        help.contains("/report") && !help.contains("/pending"),
        "{help}"
    );
}

#[tokio::test]
async fn member_join_rejected_in_english_and_typed_workplace() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;

    let member = en_user(301, "Mai");
    let welcome = h
        .ask(&member, &format!("/start {code}"))
        .await
        .text
        .unwrap();
    assert!(
        welcome.contains("You are invited to join Chi bộ khối 5"),
        "{welcome}"
    );
    h.ask(&member, "Le Thi Mai").await;
    let workplaces = h.ask(&member, "0912 345 678").await;
    assert!(
        workplaces
            .text
            .clone()
            .unwrap()
            .contains("Where do you work?")
    );
    h.press(&member, &workplaces, "Other…").await;
    assert!(
        h.last(&member)
            .text
            .unwrap()
            .contains("type the name of your workplace")
    );
    // Typed on two lines, with invisible characters: one line on the
    // card (a second line could pass for one of the bot's).
    h.ask(&member, "Công ty\u{200B} Điện lực\n\u{202E}Nghệ An")
        .await;
    let summary = h.ask(&member, "3/2024").await;
    let text = summary.text.clone().unwrap();
    assert!(
        text.contains("0912345678") && text.contains("Công ty Điện lực Nghệ An"),
        "{text}"
    );
    h.press(&member, &summary, "Confirm").await;
    let stored: String = sqlx::query_scalar("SELECT workplace_name FROM memberships")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(stored, "Công ty Điện lực Nghệ An");

    let card = h.last(&secretary);
    h.press(&secretary, &card, "❌ Từ chối").await;
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'rejected'")
            .await,
        1
    );
    let told = h.last(&member).text.unwrap();
    assert!(told.contains("was not confirmed"), "{told}");
    assert!(
        h.current(&card)
            .text
            .unwrap()
            .contains("Đồng chí Trần Thị Bình đã từ chối")
    );

    // A rejected member cannot report, and may ask to join again.
    let report = h.ask(&member, "/report").await.text.unwrap();
    assert!(report.contains("have not joined"), "{report}");
    let again = h
        .ask(&member, &format!("/start {code}"))
        .await
        .text
        .unwrap();
    assert!(again.contains("full name"), "{again}");
}

#[tokio::test]
async fn language_can_be_switched() {
    let h = Harness::start().await;
    let user = vi_user(400, "Hà");
    let choose = h.ask(&user, "/language").await;
    assert!(choose.text.clone().unwrap().contains("chọn ngôn ngữ"));
    let (answer, _) = h.press(&user, &choose, "🇬🇧 English").await;
    assert_eq!(answer.params["text"], "Switched to English.");
    let help = h.ask(&user, "/help").await.text.unwrap();
    assert!(help.contains("You have not joined"), "{help}");
    let stored: String = sqlx::query_scalar("SELECT language FROM users WHERE id = 400")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(stored, "en");

    // First language from Telegram: English for en, Vietnamese otherwise.
    let en = en_user(401, "John");
    assert!(h.ask(&en, "/start").await.text.unwrap().contains("Welcome"));
    let other = TgUser::new(402, "Ivan", Some("ru"));
    assert!(
        h.ask(&other, "/start")
            .await
            .text
            .unwrap()
            .contains("Kính chào")
    );
}

#[tokio::test]
async fn default_menus_are_set_per_language_at_start() {
    let h = Harness::start().await;
    lienhe::bot::menus::set_defaults(&h.bot()).await.unwrap();
    let calls = h.api.calls_of("setMyCommands");
    let en = calls
        .iter()
        .find(|c| c.params["language_code"] == "en")
        .expect("an English menu");
    assert!(
        en.params["commands"]
            .to_string()
            .contains("Report an activity")
    );
    let vi = calls
        .iter()
        .find(|c| c.params["language_code"] == "vi")
        .expect("a Vietnamese menu");
    assert!(
        vi.params["commands"]
            .to_string()
            .contains("Báo cáo hoạt động")
    );
}

#[tokio::test]
async fn many_workplaces_are_searched_by_part_of_the_name() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    for i in 1..=9 {
        h.workplace(&format!("Cơ quan số {i:02}")).await;
    }
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = vi_user(300, "An");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    // More than a page of workplaces: the member types part of the name
    // (issue 9) instead of paging through them.
    let first = h.ask(&member, "Bỏ qua").await;
    assert!(first.text.clone().unwrap().contains("nhập một phần tên"));
    assert_eq!(first.button_texts(), vec!["Cơ quan khác…"]);
    let many = h.ask(&member, "co quan").await;
    assert_eq!(
        many.button_texts().len(),
        8 + 1,
        "{:?}",
        many.button_texts()
    );
    assert!(many.text.clone().unwrap().contains("8 cơ quan đầu tiên"));
    let none = h.ask(&member, "bệnh viện").await;
    assert!(none.text.clone().unwrap().contains("Không tìm thấy"));
    assert_eq!(none.button_texts(), vec!["Cơ quan khác…"]);
    let second = h.ask(&member, "truong thpt").await;
    assert_eq!(
        second.button_texts(),
        vec!["Trường THPT Huỳnh Thúc Kháng", "Cơ quan khác…"]
    );
    h.press(&member, &second, "Trường THPT Huỳnh Thúc Kháng")
        .await;
    let introduced = h.last(&member);
    let this_month = introduced.buttons()[0].0.clone();
    h.press(&member, &introduced, &this_month).await;
    let summary = h.last(&member).text.unwrap();
    assert!(
        summary.contains("Trường THPT Huỳnh Thúc Kháng"),
        "{summary}"
    );
}

/// A member is at the join summary when the secretary replaces the link
/// (a new /invite revokes the old, say because it leaked): Confirm is
/// refused saying the link was revoked and whom to ask; nothing is
/// stored. The new link works.
#[tokio::test]
async fn a_link_replaced_while_a_member_fills_it_in_is_refused_at_confirm() {
    for lang in [lienhe::domain::Lang::Vi, lienhe::domain::Lang::En] {
        let h = Harness::start().await;
        let secretary = user_in(lang, 100, "Bình");
        let member = user_in(lang, 300, "An");
        let cell = h.cell_setup().await;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let old = h.invite_code(&secretary).await;
        h.ask(&member, &format!("/start {old}")).await;
        h.ask(&member, "Nguyễn Văn An").await;
        let skip = text_of(lang, "button-skip");
        h.ask(&member, &skip).await;
        let workplaces = h.last(&member);
        h.press(&member, &workplaces, &workplaces.buttons()[0].0.clone())
            .await;
        let introduced = h.last(&member);
        h.press(&member, &introduced, &introduced.buttons()[0].0.clone())
            .await;
        let summary = h.last(&member);

        let new = h.invite_code(&secretary).await;
        assert_ne!(new, old);
        let confirm = text_of(lang, "button-confirm");
        h.press(&member, &summary, &confirm).await;
        let told = h.current(&summary).text.unwrap();
        assert!(says(Some(&told), lang, "invite-revoked"), "{told}");
        assert!(says(Some(&told), lang, "invite-ask-secretary"), "{told}");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300")
                .await,
            0
        );

        h.request_join(&member, &new, "Nguyễn Văn An").await;
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'pending'")
                .await,
            1
        );
    }
}

/// Fills in the join form through `code` up to its summary.
async fn join_to_summary(h: &Harness, lang: Lang, member: &TgUser, code: &str) -> Sent {
    h.ask(member, &format!("/start {code}")).await;
    h.ask(member, "Nguyễn Văn An").await;
    h.ask(member, &text_of(lang, "button-skip")).await;
    let workplaces = h.last(member);
    h.press(member, &workplaces, &workplaces.buttons()[0].0.clone())
        .await;
    let introduced = h.last(member);
    h.press(member, &introduced, &introduced.buttons()[0].0.clone())
        .await;
    h.last(member)
}

/// A member opens the cell's link the evening before it expires and
/// confirms the next morning, after it expired: the join began while the
/// link was valid, so the request is sent. One who began a week before it
/// expired and confirms only now (a join that old) is refused, saying the
/// link expired and whom to ask; nothing of theirs is stored.
#[tokio::test]
async fn a_link_that_expires_while_a_member_fills_it_in_is_honoured_at_confirm() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.set_local(2026, 3, 1, 9, 0);
        let secretary = user_in(lang, 100, "Bình");
        let cell = h.cell_setup().await;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        // Valid until 31/03 09:00.
        let code = h.invite_code(&secretary).await;
        h.set_local(2026, 3, 23, 10, 0);
        let slow = user_in(lang, 301, "Lan");
        let slow_summary = join_to_summary(&h, lang, &slow, &code).await;
        h.set_local(2026, 3, 30, 20, 0);
        let member = user_in(lang, 300, "An");
        let summary = join_to_summary(&h, lang, &member, &code).await;

        h.set_local(2026, 3, 31, 10, 0);
        let confirm = text_of(lang, "button-confirm");
        h.press(&member, &summary, &confirm).await;
        let told = h.current(&summary).text.unwrap();
        assert!(says(Some(&told), lang, "join-sent"), "{told}");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'pending'")
                .await,
            1
        );

        h.press(&slow, &slow_summary, &confirm).await;
        let told = h.current(&slow_summary).text.unwrap();
        assert!(says(Some(&told), lang, "invite-expired"), "{told}");
        assert!(says(Some(&told), lang, "invite-ask-secretary"), "{told}");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 301")
                .await,
            0
        );
    }
}

/// A code pasted alone (the operator handed over the bare code, or the
/// user copied the link) is taken as `/start CODE`; any other text gets the
/// usual hint. `/invite` with anything after it, by someone who is not a
/// secretary, is refused (not taught the deputy code's usage).
#[tokio::test]
async fn a_code_pasted_alone_is_taken_as_start() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.cell_setup().await;
        let officer = user_in(lang, 700, "Cán bộ");
        let code = h.officer_code(1).await;
        let reply = h.ask(&officer, &format!("  {code} ")).await;
        assert!(
            says(reply.text.as_deref(), lang, "officer-confirmed"),
            "{:?}",
            reply.text
        );
        let supervisor = user_in(lang, 701, "Giám sát");
        let link = format!(
            "https://t.me/lienhe_bot?start={}",
            h.supervisor_code(1).await
        );
        let reply = h.ask(&supervisor, &link).await;
        assert!(
            says(reply.text.as_deref(), lang, "supervisor-confirmed"),
            "{:?}",
            reply.text
        );
        // A second code, opened by the officer who holds the role already
        // (to check it before passing it on): left unused, for a colleague.
        let second = h.officer_code(1).await;
        let reply = h.ask(&officer, &format!("/start {second}")).await;
        assert!(
            says(reply.text.as_deref(), lang, "role-already-held"),
            "{:?}",
            reply.text
        );
        let colleague = user_in(lang, 703, "Đồng nghiệp");
        let reply = h.ask(&colleague, &format!("/start {second}")).await;
        assert!(
            says(reply.text.as_deref(), lang, "officer-confirmed"),
            "{:?}",
            reply.text
        );
        let second = h.supervisor_code(1).await;
        let reply = h.ask(&supervisor, &format!("/start {second}")).await;
        assert!(
            says(reply.text.as_deref(), lang, "role-already-held"),
            "{:?}",
            reply.text
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_role'")
                .await,
            3,
            "the officer, the supervisor and the colleague, once each"
        );
        let stranger = user_in(lang, 702, "Khách");
        let reply = h.ask(&stranger, "xinchaocacban").await;
        assert!(says(reply.text.as_deref(), lang, "not-joined"));
        let reply = h.ask(&stranger, "/invite deputy").await;
        assert!(
            !says(reply.text.as_deref(), lang, "deputy-invite-usage")
                && reply
                    .text
                    .as_deref()
                    .unwrap()
                    .contains(&lienhe::i18n::loader(lang).get("secretaries-only")),
            "{:?}",
            reply.text
        );
    }
}

/// A member's code pasted with the invisible characters some apps copy
/// along (a zero-width space, a direction mark, a no-break space), alone
/// or after /start: taken as the code, in either language.
#[tokio::test]
async fn a_code_pasted_with_invisible_characters_is_taken() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let pasted = [
        format!("\u{200B}{code}\u{200B}"),
        format!("{code}\u{00A0}"),
        format!("\u{200E}{code}"),
        format!("/start {code}\u{200B}\u{FEFF}"),
        format!("/start \u{2060}{code}"),
    ];
    for (i, text) in pasted.iter().enumerate() {
        for lang in [Lang::Vi, Lang::En] {
            let user = user_in(lang, 400 + 10 * i as i64 + lang as i64, "Khách");
            let reply = h.ask(&user, text).await;
            assert!(
                says(reply.text.as_deref(), lang, "ask-full-name"),
                "{text:?}: {:?}",
                reply.text
            );
        }
    }
}

/// A secretary's code used, the name not sent yet: `/start` alone and
/// `/report` say to send the name (not "you have not joined"), and the name
/// is still taken after them.
#[tokio::test]
async fn start_or_report_before_the_secretarys_name_point_to_it() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = user_in(lang, 100, "Bình");
        let code = h.secretary_code(cell).await;
        h.ask(&secretary, &format!("/start {code}")).await;
        for command in ["/start", "/report"] {
            let reply = h.ask(&secretary, command).await;
            assert!(
                says(reply.text.as_deref(), lang, "role-name-finish-first"),
                "{command}: {:?}",
                reply.text
            );
        }
        let confirmed = h.ask(&secretary, "Trần Thị Bình").await;
        assert!(
            says(confirmed.text.as_deref(), lang, "secretary-confirmed"),
            "{:?}",
            confirmed.text
        );
    }
}

/// A secretary of two cells chooses the cell at /invite: a new link for one
/// cell leaves the other's working; the deputy code likewise. A forged
/// choice of a cell not theirs is refused.
#[tokio::test]
async fn a_secretary_of_two_cells_chooses_the_cell_of_a_new_link() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let ward = h.ward("Phường Bến Thủy").await;
        let a = h.cell(ward, "Chi bộ khối 1").await;
        let b = h.cell(ward, "Chi bộ khối 2").await;
        let other = h.cell(ward, "Chi bộ khối 3").await;
        let secretary = user_in(lang, 100, "Bình");
        h.make_secretary(&secretary, a, "Trần Thị Bình").await;
        h.make_secretary(&secretary, b, "Trần Thị Bình").await;
        let choose = h.ask(&secretary, "/invite").await;
        assert!(
            says(choose.text.as_deref(), lang, "invite-choose-cell"),
            "{choose:?}"
        );
        assert_eq!(choose.button_texts(), ["Chi bộ khối 1", "Chi bộ khối 2"]);
        let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 2").await;
        let to_b = replies.last().unwrap();
        assert!(to_b.text.as_deref().unwrap().contains("Chi bộ khối 2"));
        let code_b = deep_link_code(to_b);
        let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 1").await;
        let code_a = deep_link_code(replies.last().unwrap());
        assert_ne!(code_a, code_b);
        // B's link still works; A's too.
        for (id, code) in [(300, &code_b), (301, &code_a)] {
            let member = vi_user(id, "An");
            let asked = h.ask(&member, &format!("/start {code}")).await;
            assert!(
                says(asked.text.as_deref(), Lang::Vi, "ask-full-name"),
                "{asked:?}"
            );
        }
        // The deputy code too: one per chosen cell.
        let choose = h.ask(&secretary, "/invite deputy").await;
        let (_, replies) = h.press(&secretary, &choose, "Chi bộ khối 1").await;
        assert!(
            says(
                replies.last().unwrap().text.as_deref(),
                lang,
                "deputy-invite-link"
            ),
            "{replies:?}"
        );
        let live = |kind: &'static str, cell: i64| {
            let pool = h.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM invites
                     WHERE cell_id = ? AND revoked_at IS NULL AND used_at IS NULL
                       AND (COALESCE(grants, '') = 'deputy') = (? = 'deputy')",
                )
                .bind(cell)
                .bind(kind)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(live("deputy", a).await, 1);
        assert_eq!(live("deputy", b).await, 0);
        // A forged press for a cell they are not secretary of.
        let (answer, _) = h
            .press_data(&secretary, choose.message_id, &format!("im:{other}"))
            .await;
        assert_eq!(answer.params["show_alert"], true);
        assert_eq!(live("member", other).await, 0);
    }
}

/// A workplace typed at the join and registered (by its exact name or
/// not) while the summary waits for Confirm is linked when the request is
/// stored: its officers see the member, as registering links those who
/// typed it before.
#[tokio::test]
async fn a_workplace_registered_while_the_summary_waits_is_linked() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let member = en_user(301, "Mai");
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Le Thi Mai").await;
    let workplaces = h.ask(&member, "Skip").await;
    h.press(&member, &workplaces, "Other…").await;
    h.ask(&member, "Công ty Điện lực Nghệ An").await;
    let summary = h.ask(&member, "3/2024").await;
    let out = h
        .admin(lienhe::cli::Admin::Workplace {
            command: lienhe::cli::NameOnly::Add {
                name: "CÔNG TY  điện lực Nghệ An".into(),
            },
        })
        .await;
    let workplace: i64 = out.lines().last().unwrap().parse().unwrap();
    h.press(&member, &summary, "Confirm").await;
    let (linked, typed): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT workplace_id, workplace_name FROM memberships WHERE user_id = 301")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!((linked, typed), (Some(workplace), None));
}

/// A workplace typed with other accents (the old tone placement, or none at
/// all on a phone) is the registered one when only one folds alike; one
/// registered later links the names typed that way; the operator cannot add
/// it twice under another spelling.
#[tokio::test]
async fn a_workplace_typed_with_other_accents_is_the_registered_one() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let registered = h.workplace("Ủy ban nhân dân tỉnh Thanh Hóa").await;
    let code = h.invite_code(&secretary).await;
    let typed = [
        (301, "Le Thi Mai", "Uỷ ban nhân dân tỉnh Thanh Hoá"),
        (302, "Le Thi Lan", "uy ban nhan dan tinh thanh hoa"),
        (303, "Le Thi Hoa", "Sở Tài chính tỉnh Hà Tĩnh"),
        (304, "Le Thi Hong", "SO TAI CHINH TINH HA TINH"),
    ];
    for (id, name, workplace) in typed {
        let member = en_user(id, "Mai");
        h.ask(&member, &format!("/start {code}")).await;
        h.ask(&member, name).await;
        let workplaces = h.ask(&member, "Skip").await;
        h.press(&member, &workplaces, "Other…").await;
        h.ask(&member, workplace).await;
        let summary = h.ask(&member, "3/2024").await;
        h.press(&member, &summary, "Confirm").await;
    }
    let of = |id: i64| {
        let pool = h.pool.clone();
        async move {
            sqlx::query_as::<_, (Option<i64>, Option<String>)>(
                "SELECT workplace_id, workplace_name FROM memberships WHERE user_id = ?",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(of(301).await, (Some(registered), None));
    assert_eq!(of(302).await, (Some(registered), None));
    assert_eq!(of(303).await.0, None, "not registered yet");
    // Registered now: both spellings typed are linked.
    let out = h
        .admin(lienhe::cli::Admin::Workplace {
            command: lienhe::cli::NameOnly::Add {
                name: "Sở Tài chính tỉnh Hà Tĩnh".into(),
            },
        })
        .await;
    let added: i64 = out.lines().last().unwrap().parse().unwrap();
    assert!(out.contains("Linked 2 member(s)"), "{out}");
    assert_eq!(of(303).await, (Some(added), None));
    assert_eq!(of(304).await, (Some(added), None));
    // Another spelling of a registered workplace is refused, naming it.
    let add = |name: &str| {
        lienhe::cli::admin(
            &h.pool,
            default_now(),
            TZ,
            lienhe::cli::Admin::Workplace {
                command: lienhe::cli::NameOnly::Add { name: name.into() },
            },
        )
    };
    assert!(
        add("UBND tỉnh Thanh Hoá").await.is_ok(),
        "another name altogether is accepted"
    );
    let refused = add("Uỷ ban nhân dân tỉnh Thanh Hoá")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("Ủy ban nhân dân tỉnh Thanh Hóa"),
        "{refused}"
    );
}

/// A member at the join dialogue's month question, asked on 30/11/2026
/// late in the evening: (secretary, member, the question).
async fn asked_the_month_on_30_november(h: &Harness, lang: Lang) -> (TgUser, TgUser, Sent) {
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    h.set_local(2026, 11, 30, 22, 0);
    let code = h.invite_code(&secretary).await;
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let workplaces = h.ask(&member, &text_of(lang, "button-skip")).await;
    let first = workplaces.buttons()[0].0.clone();
    h.press(&member, &workplaces, &first).await;
    let asked = h.last(&member);
    assert!(says(asked.text.as_deref(), lang, "intro-ask"), "{asked:?}");
    (secretary, member, asked)
}

/// "Month introduced to the cell: `month`" in `lang`.
fn intro_line(lang: Lang, month: &str) -> String {
    let args = [("month", month.to_string().into())].into_iter().collect();
    lienhe::i18n::loader(lang).get_args_concrete("intro-line", args)
}

/// The join dialogue's "This month (11/2026)" button pressed after the
/// month ended (the question left open over the month's end) stores the
/// month it named, not the month of the press.
#[tokio::test]
async fn this_month_pressed_after_the_month_ended_is_the_month_it_named() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let (_, member, asked) = asked_the_month_on_30_november(&h, lang).await;
        let this_month = asked.buttons()[0].0.clone();
        assert!(this_month.contains("11/2026"), "{this_month}");
        // Pressed the next morning.
        h.set_local(2026, 12, 1, 8, 0);
        h.press(&member, &asked, &this_month).await;
        let summary = h.last(&member);
        let text = summary.text.clone().unwrap_or_default();
        assert!(
            text.contains(&intro_line(lang, "11/2026")),
            "{lang:?}: the summary shows the month the button named: {text}"
        );
        let confirm = data_of(&summary, "jc");
        h.press_data(&member, summary.message_id, &confirm).await;
        let introduced: String = sqlx::query_scalar("SELECT introduced_on FROM memberships")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(introduced, "2026-11-01", "{lang:?}");
    }
}

/// The month on the "This month" button is checked as a typed one is: a
/// forged month in the future or more than ten years back is refused and
/// the question asked again; a button from before the month rode on it
/// asks the question again, with this month's button. Nothing is stored.
#[tokio::test]
async fn a_forged_or_old_this_month_button_asks_again() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let (_, member, asked) = asked_the_month_on_30_november(&h, lang).await;
        assert!(label_of(&asked, "ym:2026-11").is_some(), "{asked:?}");
        for (data, problem) in [
            ("ym:2026-12", "intro-future"),
            ("ym:2016-10", "intro-too-old"),
        ] {
            let (_, replies) = h.press_data(&member, asked.message_id, data).await;
            let again = replies
                .last()
                .and_then(|s| s.text.clone())
                .unwrap_or_default();
            assert!(
                says(Some(&again), lang, problem) && says(Some(&again), lang, "intro-ask"),
                "{lang:?} {data}: {again}"
            );
        }
        h.set_local(2026, 12, 1, 8, 0);
        let (_, replies) = h.press_data(&member, asked.message_id, "ym").await;
        let renewed = replies.last().cloned().expect("the question again");
        assert!(
            says(renewed.text.as_deref(), lang, "intro-ask")
                && label_of(&renewed, "ym:2026-12").is_some_and(|l| l.contains("12/2026")),
            "{lang:?}: {renewed:?}"
        );
        assert!(h.current(&asked).buttons().is_empty(), "{lang:?}");
        assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);
        let state: String = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
            .bind(member.id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert!(state.contains("Introduced"), "{lang:?}: {state}");
    }
}

/// A member who copies the secretary's whole invitation (from Zalo or a
/// text message) into the chat instead of opening the link is taken into
/// the join dialogue by the link in it, in either language; a text with
/// no link (or two different ones) still gets the hint.
#[tokio::test]
async fn a_whole_invitation_pasted_is_taken_as_its_link() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = user_in(lang, 100, "Bình");
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let invitation = h.ask(&secretary, "/invite").await.text.unwrap();
        let member = user_in(lang, 200, "An");
        let reply = h.ask(&member, &invitation).await;
        assert!(
            says(reply.text.as_deref(), lang, "join-welcome"),
            "{:?}",
            reply.text
        );
        let reply = h.ask(&member, "Nguyễn Văn An").await;
        assert!(
            says(reply.text.as_deref(), lang, "ask-phone"),
            "{:?}",
            reply.text
        );
        let stranger = user_in(lang, 300, "Lạ");
        let reply = h.ask(&stranger, "xin chào, tôi muốn tham gia").await;
        assert!(says(reply.text.as_deref(), lang, "not-joined"), "{reply:?}");
        let old = deep_link_code(&h.ask(&secretary, "/invite").await);
        let new = deep_link_code(&h.ask(&secretary, "/invite").await);
        let two =
            format!("https://t.me/lienhe_bot?start={old}\nhttps://t.me/lienhe_bot?start={new}");
        let reply = h.ask(&stranger, &two).await;
        assert!(says(reply.text.as_deref(), lang, "not-joined"), "{reply:?}");
    }
}

/// A Vietnamese secretary's /help and the usage of /invite name the
/// deputy's code as they would say it, "/invite phó", not with the English
/// word "deputy"; typed as a Vietnamese would ("phó bí thư", with or
/// without accents) it gives the deputy's code. In English it stays
/// "/invite deputy".
#[tokio::test]
async fn a_vietnamese_secretary_invites_the_deputy_in_vietnamese() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let help = h.ask(&secretary, "/help").await.text.unwrap();
    assert!(help.contains("/invite phó — "), "{help}");
    assert!(!help.contains("deputy"), "{help}");
    let usage = h.ask(&secretary, "/invite abc").await.text.unwrap();
    assert!(
        says(Some(&usage), Lang::Vi, "deputy-invite-usage"),
        "{usage}"
    );
    assert!(
        usage.contains("/invite phó") && !usage.contains("deputy"),
        "{usage}"
    );
    for typed in [
        "/invite phó",
        "/invite Phó bí thư",
        "/invite pho bi thu",
        "/invite deputy",
    ] {
        let link = h.ask(&secretary, typed).await.text.unwrap();
        assert!(
            says(Some(&link), Lang::Vi, "deputy-invite-link"),
            "{typed}: {link}"
        );
    }

    let english = en_user(200, "Binh");
    let other = h.cell(1, "Chi bộ khối 6").await;
    h.make_secretary(&english, other, "Tran Thi Binh").await;
    let help = h.ask(&english, "/help").await.text.unwrap();
    assert!(help.contains("/invite deputy — "), "{help}");
}

/// The phone question says to press «Bỏ qua» / "Skip"; with the keyboard
/// hidden a newcomer types the word instead, in lower case or without
/// accents: it is Skip, not "not a valid phone number".
#[tokio::test]
async fn skip_typed_at_the_phone_question_skips_it() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let typed = [
        (Lang::Vi, "bỏ qua"),
        (Lang::Vi, "BO QUA"),
        (Lang::En, "skip"),
        (Lang::En, "Bỏ qua"),
    ];
    for (n, (lang, word)) in typed.into_iter().enumerate() {
        let member = user_in(lang, 300 + n as i64, "An");
        let code = h.invite_code(&secretary).await;
        h.ask(&member, &format!("/start {code}")).await;
        h.ask(&member, "Nguyễn Văn An").await;
        let replies = h.say(&member, word).await;
        assert!(
            replies
                .iter()
                .any(|r| says(r.text.as_deref(), lang, "phone-skipped")),
            "{word}: {replies:?}"
        );
        assert!(
            says(
                replies.last().unwrap().text.as_deref(),
                lang,
                "ask-workplace"
            ),
            "{word}: {replies:?}"
        );
    }
}

/// A new secretary's first /invite revokes nothing: it does not say the
/// cell's earlier links were revoked (there were none). The next one does,
/// and the first link no longer works.
#[tokio::test]
async fn a_first_invite_link_does_not_say_earlier_ones_were_revoked() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let cell = h.cell_setup().await;
        let secretary = user_in(lang, 100, "Bình");
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        let revoked = text_of(lang, "invite-earlier-links-revoked");

        let first = h.ask(&secretary, "/invite").await;
        let text = first.text.clone().unwrap();
        assert!(says(Some(&text), lang, "invite-link"), "{text}");
        assert!(!text.contains(&revoked), "{text}");
        assert!(
            !text.contains("đã bị thu hồi") && !text.contains("revoked"),
            "{text}"
        );

        let second = h.ask(&secretary, "/invite").await.text.unwrap();
        assert!(says(Some(&second), lang, "invite-link"), "{second}");
        assert!(second.ends_with(&revoked), "{second}");
        let stranger = user_in(lang, 300, "An");
        let old = deep_link_code(&first);
        let told = h.ask(&stranger, &format!("/start {old}")).await.text;
        assert!(says(told.as_deref(), lang, "invite-revoked"), "{told:?}");
    }
}

/// A newcomer who switches to English in the middle of joining (at the
/// phone question, asked in Vietnamese) is told, in English, that the
/// question above still waits for its answer (or /cancel); the join goes
/// on in English.
#[tokio::test]
async fn a_language_switched_while_joining_says_the_question_above_waits() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let member = vi_user(300, "An");
    let code = h.invite_code(&secretary).await;
    h.ask(&member, &format!("/start {code}")).await;
    let phone = h.ask(&member, "Nguyễn Văn An").await;
    assert!(says(phone.text.as_deref(), Lang::Vi, "ask-phone"));

    let choose = h.ask(&member, "/language").await;
    h.press(&member, &choose, "🇬🇧 English").await;
    let switched = h.current(&choose).text.unwrap();
    assert!(switched.starts_with("Switched to English."), "{switched}");
    assert!(
        switched.ends_with(&text_of(Lang::En, "unknown-command-in-dialogue")),
        "{switched}"
    );
    let replies = h.say(&member, "0912345678").await;
    assert!(
        says(
            replies.last().unwrap().text.as_deref(),
            Lang::En,
            "ask-workplace"
        ),
        "{replies:?}"
    );

    // Outside a dialogue, only the switch is said.
    let stranger = vi_user(301, "Hà");
    let choose = h.ask(&stranger, "/language").await;
    h.press(&stranger, &choose, "🇬🇧 English").await;
    assert_eq!(
        h.current(&choose).text.as_deref(),
        Some("Switched to English.")
    );
}

/// A member presses Confirm at the moment the secretary replaces the
/// link, in both orders, forced: Confirm's write waits for the database
/// and the replacement lands either after it (the member's request is
/// stored once and the secretary gets its card) or just before it (the
/// member is told, in their language, that the link was revoked and whom
/// to ask; nothing of theirs is stored). Either way they get an answer.
async fn confirm_as_the_link_is_replaced(lang: Lang, replaced_first: bool) {
    let h = Harness::start().await;
    let secretary = user_in(lang, 100, "Bình");
    let member = user_in(lang, 300, "An");
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let old = h.invite_code(&secretary).await;
    let summary = join_to_summary(&h, lang, &member, &old).await;
    let confirm = summary
        .button_data(&text_of(lang, "button-confirm"))
        .expect("Confirm");

    let before = h.api.sent_count(secretary.id);
    let operator = h.hold_database().await;
    let update = h.api.callback(&member, summary.message_id, &confirm);
    h.waits_to_write(update).await;
    if replaced_first {
        operator
            .commit_with(
                "UPDATE invites SET revoked_at = ? WHERE cell_id = ? AND revoked_at IS NULL",
                cell,
            )
            .await;
    } else {
        operator.release().await;
    }
    h.handled(update).await;
    if !replaced_first {
        // The join card goes out through the outbox: wait for it, so that
        // the reply to the secretary's `/invite` is their last message.
        h.api
            .wait_sent(secretary.id, before + 1, std::time::Duration::from_secs(30))
            .await;
        let new = h.invite_code(&secretary).await;
        assert_ne!(new, old);
    }
    h.drain().await;

    let told = h.current(&summary);
    let text = told.text.as_deref();
    let requests = "SELECT COUNT(*) FROM memberships WHERE user_id = 300 AND status = 'pending'";
    let cards = h
        .api
        .sent(secretary.id)
        .into_iter()
        .filter(|s| s.buttons().iter().any(|(_, d)| d.starts_with("ja:")))
        .count();
    if replaced_first {
        assert!(
            says(text, lang, "invite-revoked") && says(text, lang, "invite-ask-secretary"),
            "{told:?}"
        );
        assert!(told.buttons().is_empty(), "{told:?}");
        assert_eq!(
            h.count("SELECT COUNT(*) FROM memberships WHERE user_id = 300")
                .await,
            0
        );
        assert_eq!(cards, 0);
    } else {
        assert!(says(text, lang, "join-sent"), "{told:?}");
        assert_eq!(h.count(requests).await, 1);
        assert_eq!(cards, 1, "{:?}", h.api.sent(secretary.id));
    }
}

#[tokio::test]
async fn confirm_just_before_the_link_is_replaced_is_one_request_the_secretary_gets() {
    confirm_as_the_link_is_replaced(Lang::Vi, false).await;
}

#[tokio::test]
async fn confirm_just_before_the_link_is_replaced_is_one_request_in_english() {
    confirm_as_the_link_is_replaced(Lang::En, false).await;
}

#[tokio::test]
async fn confirm_just_after_the_link_is_replaced_says_whom_to_ask() {
    confirm_as_the_link_is_replaced(Lang::Vi, true).await;
}

#[tokio::test]
async fn confirm_just_after_the_link_is_replaced_says_whom_to_ask_in_english() {
    confirm_as_the_link_is_replaced(Lang::En, true).await;
}

// ------------------------------------------------------ first contact

/// `/profile` from someone who is no member yet says what to do instead:
/// a newcomer how to join, one whose join waits that it waits (in which
/// cell) and that /profile opens once it is confirmed, an officer where
/// their own commands are. It said only "/profile is for members" and
/// left them there.
async fn profile_before_membership(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;

    let newcomer = user_in(lang, 200, "Lạ");
    let told = h.ask(&newcomer, "/profile").await.text;
    assert!(
        says(told.as_deref(), lang, "profile-not-member")
            && says(told.as_deref(), lang, "not-joined"),
        "{told:?}"
    );

    let waiting = user_in(lang, 300, "An");
    let code = h.invite_code(&secretary).await;
    h.request_join(&waiting, &code, "Nguyễn Văn An").await;
    let told = h.ask(&waiting, "/profile").await.text.unwrap();
    assert!(
        says(Some(&told), lang, "profile-not-member")
            && says(Some(&told), lang, "profile-wait-approval")
            && told.contains("Chi bộ khối 5"),
        "{told}"
    );
    // Confirmed, /profile shows the details.
    let card = h.last(&secretary);
    h.press(&secretary, &card, &label_of(&card, "ja:").unwrap())
        .await;
    let shown = h.ask(&waiting, "/profile").await.text;
    assert!(says(shown.as_deref(), lang, "profile-text"), "{shown:?}");

    let officer = user_in(lang, 700, "Cán bộ");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    let told = h.ask(&officer, "/profile").await.text;
    assert!(
        says(told.as_deref(), lang, "profile-not-member")
            && says(told.as_deref(), lang, "refusal-see-help"),
        "{told:?}"
    );
}

#[tokio::test]
async fn profile_before_membership_says_how_to_join_or_that_the_join_waits() {
    profile_before_membership(Lang::Vi).await;
}

#[tokio::test]
async fn profile_before_membership_says_how_to_join_or_that_the_join_waits_in_english() {
    profile_before_membership(Lang::En).await;
}

/// A newcomer answers the month question as they would write it: the
/// button's own words typed ("tháng này", "this month", or the whole
/// label), "tháng 11/2026", "T11/2026", "11.2026", the year first as a
/// spreadsheet writes it. Each is the month it says (this month, for the
/// words alone), shown on the summary and stored at Confirm; each was
/// refused as unreadable. A month that does not exist is still refused and
/// asked again.
async fn a_month_typed_as_a_newcomer_writes_it(lang: Lang) {
    let typed: &[(&str, &str)] = match lang {
        Lang::Vi => &[
            ("tháng này", "11/2026"),
            ("Tháng này (10/2026)", "10/2026"),
            ("tháng 9/2026", "09/2026"),
            ("Tháng 8 năm 2026", "08/2026"),
            ("T7/2026", "07/2026"),
            ("6.2026", "06/2026"),
            ("2026-05", "05/2026"),
        ],
        Lang::En => &[
            ("this month", "11/2026"),
            ("This month (10/2026)", "10/2026"),
            ("month 9/2026", "09/2026"),
            ("8.2026", "08/2026"),
            ("2026-07", "07/2026"),
        ],
    };
    let h = Harness::start().await;
    let (secretary, first, _) = asked_the_month_on_30_november(&h, lang).await;
    // The link the first one opened (a new one would revoke it).
    let link = h
        .api
        .sent(secretary.id)
        .into_iter()
        .rfind(|s| s.text.as_deref().is_some_and(|t| t.contains("?start=")))
        .expect("the cell's link");
    let code = deep_link_code(&link);
    // Something that is no month: refused, and asked again.
    let word = if lang == Lang::Vi { "tháng" } else { "month" };
    let again = h.ask(&first, &format!("{word} 13/2026")).await;
    let again = again.text.unwrap_or_default();
    assert!(
        says(Some(&again), lang, "intro-unreadable") && says(Some(&again), lang, "intro-ask"),
        "{lang:?}: {again}"
    );
    for (n, (answer, month)) in typed.iter().enumerate() {
        let member = match n {
            0 => first.clone(),
            n => {
                let member = user_in(lang, 400 + n as i64, "Em");
                h.ask(&member, &format!("/start {code}")).await;
                h.ask(&member, "Nguyễn Văn Em").await;
                let workplaces = h.ask(&member, &text_of(lang, "button-skip")).await;
                let workplace = workplaces.buttons()[0].0.clone();
                h.press(&member, &workplaces, &workplace).await;
                member
            }
        };
        let summary = h.ask(&member, answer).await;
        let text = summary.text.clone().unwrap_or_default();
        assert!(
            text.contains(&intro_line(lang, month)),
            "{lang:?} {answer:?}: the summary shows {month}: {text}"
        );
        let confirm = data_of(&summary, "jc");
        h.press_data(&member, summary.message_id, &confirm).await;
        let introduced: String =
            sqlx::query_scalar("SELECT introduced_on FROM memberships WHERE user_id = ?")
                .bind(member.id)
                .fetch_one(&h.pool)
                .await
                .unwrap();
        let stored = format!("{}-{}-01", &month[3..], &month[..2]);
        assert_eq!(introduced, stored, "{lang:?} {answer:?}");
    }
}

#[tokio::test]
async fn a_month_typed_as_a_newcomer_writes_it_is_taken() {
    a_month_typed_as_a_newcomer_writes_it(Lang::Vi).await;
}

#[tokio::test]
async fn a_month_typed_as_a_newcomer_writes_it_is_taken_in_english() {
    a_month_typed_as_a_newcomer_writes_it(Lang::En).await;
}

/// A workplace typed under "Other…" must name one: digits or punctuation
/// alone ("123", a month, a phone typed at the wrong question) are refused
/// with why, and the name is asked again, at the join and in /profile's
/// Change workplace; a name in words goes on. Such an answer was stored as
/// the member's workplace, shown on the secretary's card, and the
/// workplace's officer never found the member.
async fn a_workplace_typed_without_a_letter(lang: Lang) {
    let h = Harness::start().await;
    let (secretary, member) = (user_in(lang, 100, "Bình"), user_in(lang, 300, "An"));
    let cell = h.cell_setup().await;
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    h.ask(&member, &format!("/start {code}")).await;
    h.ask(&member, "Nguyễn Văn An").await;
    let workplaces = h.ask(&member, &text_of(lang, "button-skip")).await;
    let (_, asked) = h
        .press(
            &member,
            &workplaces,
            &text_of(lang, "button-workplace-other"),
        )
        .await;
    assert!(
        says(
            asked.last().unwrap().text.as_deref(),
            lang,
            "ask-workplace-name"
        ),
        "{asked:?}"
    );
    for nonsense in ["123", "11/2026", "0912 345 678", "..."] {
        let again = h.ask(&member, nonsense).await.text;
        assert!(
            says(again.as_deref(), lang, "error-not-a-workplace")
                && says(again.as_deref(), lang, "ask-workplace-name"),
            "{lang:?} {nonsense:?}: {again:?}"
        );
    }
    let month = h.ask(&member, "Công an phường 3").await;
    assert!(says(month.text.as_deref(), lang, "intro-ask"), "{month:?}");
    let this_month = month.buttons()[0].0.clone();
    h.press(&member, &month, &this_month).await;
    let summary = h.last(&member);
    assert!(
        summary
            .text
            .as_deref()
            .unwrap()
            .contains("Công an phường 3"),
        "{summary:?}"
    );
    h.press_data(&member, summary.message_id, &data_of(&summary, "jc"))
        .await;
    let card = h.last(&secretary);
    h.press(&secretary, &card, &label_of(&card, "ja:").unwrap())
        .await;

    // /profile's Change workplace, Other…: the same rule.
    let profile = h.ask(&member, "/profile").await;
    h.press(
        &member,
        &profile,
        &text_of(lang, "profile-button-workplace"),
    )
    .await;
    let list = h.last(&member);
    h.press(&member, &list, &text_of(lang, "button-workplace-other"))
        .await;
    let again = h.ask(&member, "2026").await.text;
    assert!(
        says(again.as_deref(), lang, "error-not-a-workplace")
            && says(again.as_deref(), lang, "ask-workplace-name"),
        "{lang:?}: {again:?}"
    );
    let saved = h.ask(&member, "Sở Tư pháp tỉnh Hà Tĩnh").await.text;
    assert!(
        says(saved.as_deref(), lang, "profile-workplace-saved"),
        "{saved:?}"
    );
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(w.name, m.workplace_name, '') FROM memberships m
         LEFT JOIN workplaces w ON w.id = m.workplace_id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(names, ["Sở Tư pháp tỉnh Hà Tĩnh"], "{lang:?}");
}

#[tokio::test]
async fn a_workplace_typed_without_a_letter_is_asked_again() {
    a_workplace_typed_without_a_letter(Lang::Vi).await;
}

#[tokio::test]
async fn a_workplace_typed_without_a_letter_is_asked_again_in_english() {
    a_workplace_typed_without_a_letter(Lang::En).await;
}

/// A link to this bot pasted into the chat with its code garbled or cut
/// short in the copying (or made up) is answered as `/start` with that code
/// answers it: the code is wrong, and whom to ask for a new one (an
/// introduction link's, the workplace that sent it). It was answered that
/// the user had not joined and should open the invite link, which is what
/// they had just done. A link to another bot is not ours to read.
async fn a_garbled_link_pasted(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    let bot = h.api.bot_username();
    let newcomer = user_in(lang, 300, "An");
    let other = if &code[10..11] == "x" { "y" } else { "x" };
    let garbled = format!("{}{other}{}", &code[..10], &code[11..]);
    for pasted in [
        format!("https://t.me/{bot}?start={garbled}"),
        format!("https://t.me/{bot}?start={}", &code[..5]),
        format!(
            "{} https://t.me/{}?start={garbled}.",
            text_of(lang, "menu-help"),
            bot.to_uppercase()
        ),
    ] {
        let told = h.ask(&newcomer, &pasted).await.text;
        assert!(
            says(told.as_deref(), lang, "invite-unknown")
                && !says(told.as_deref(), lang, "not-joined"),
            "{lang:?} {pasted:?}: {told:?}"
        );
    }
    let told = h
        .ask(&newcomer, &format!("https://t.me/{bot}?start=in_{garbled}"))
        .await
        .text;
    assert!(says(told.as_deref(), lang, "introduce-unknown"), "{told:?}");
    // Another bot's link: the usual hint.
    let told = h
        .ask(
            &newcomer,
            &format!("https://t.me/other_bot?start={garbled}"),
        )
        .await
        .text;
    assert!(says(told.as_deref(), lang, "not-joined"), "{told:?}");
    // The right link, pasted, still joins.
    let told = h
        .ask(&newcomer, &format!("https://t.me/{bot}?start={code}"))
        .await
        .text;
    assert!(says(told.as_deref(), lang, "ask-full-name"), "{told:?}");
    assert_eq!(h.count("SELECT COUNT(*) FROM memberships").await, 0);
}

#[tokio::test]
async fn a_garbled_link_pasted_says_the_code_is_wrong() {
    a_garbled_link_pasted(Lang::Vi).await;
}

#[tokio::test]
async fn a_garbled_link_pasted_says_the_code_is_wrong_in_english() {
    a_garbled_link_pasted(Lang::En).await;
}

/// A workplace officer, a ward supervisor or a ward administrator new to
/// the bot who tries a member's command (/report, /myreports, /meetings)
/// is told how to join as a member and where their own commands are; it
/// said only "you have not joined a cell", as to a stranger, leaving them
/// to wonder whether their role was taken at all.
async fn a_members_command_from_another_role(lang: Lang) {
    let h = Harness::start().await;
    h.cell_setup().await;
    let officer = user_in(lang, 700, "Cán bộ");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    let supervisor = user_in(lang, 800, "Giám sát");
    h.ask(
        &supervisor,
        &format!("/start {}", h.supervisor_code(1).await),
    )
    .await;
    let admin = user_in(lang, 850, "Quản");
    let code = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::WardAdmin { ward: 1 },
        })
        .await;
    let code = code.lines().last().unwrap().to_string();
    h.ask(&admin, &format!("/start {code}")).await;
    for user in [&officer, &supervisor, &admin] {
        for command in ["/report", "/myreports", "/meetings"] {
            let told = h.ask(user, command).await.text;
            assert!(
                says(told.as_deref(), lang, "not-joined")
                    && says(told.as_deref(), lang, "refusal-see-help"),
                "{lang:?} {} {command}: {told:?}",
                user.id
            );
        }
    }
    // A stranger is told only how to join.
    let stranger = user_in(lang, 900, "Lạ");
    let told = h.ask(&stranger, "/report").await.text;
    assert_eq!(told, Some(text_of(lang, "not-joined")));
}

#[tokio::test]
async fn a_members_command_from_another_role_says_where_its_commands_are() {
    a_members_command_from_another_role(Lang::Vi).await;
}

#[tokio::test]
async fn a_members_command_from_another_role_says_where_its_commands_are_in_english() {
    a_members_command_from_another_role(Lang::En).await;
}

/// A secretary's code opened shortly before it expires, the name typed
/// just after: the role is taken, as a member link opened in time is
/// honoured at Confirm (it was refused as expired, with "ask your
/// secretary", though the code was valid when opened). Left open past the
/// grace, it is refused, saying whom a secretary asks: the ward.
async fn a_secretary_code_that_expires_while_the_name_is_typed(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let code = h.secretary_code(cell).await;
    let secretary = user_in(lang, 100, "Bình");
    h.clock
        .advance(chrono::Duration::days(7) - chrono::Duration::minutes(1));
    let asked = h.ask(&secretary, &format!("/start {code}")).await.text;
    assert!(says(asked.as_deref(), lang, "ask-full-name"), "{asked:?}");
    h.clock.advance(chrono::Duration::minutes(3));
    let done = h.ask(&secretary, "Trần Thị Bình").await.text;
    assert!(
        says(done.as_deref(), lang, "secretary-confirmed"),
        "{lang:?}: {done:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM cell_secretaries").await,
        1,
        "{lang:?}"
    );

    // Another cell's code, opened in time but answered 8 days later.
    let other = h.cell(1, "Chi bộ khối 9").await;
    let code = h.secretary_code(other).await;
    let late = user_in(lang, 101, "Hải");
    h.clock
        .advance(chrono::Duration::days(7) - chrono::Duration::minutes(1));
    h.ask(&late, &format!("/start {code}")).await;
    h.clock.advance(chrono::Duration::days(8));
    let refused = h.ask(&late, "Trần Văn Hải").await.text;
    assert!(
        says(refused.as_deref(), lang, "invite-expired")
            && says(refused.as_deref(), lang, "invite-ask-ward"),
        "{lang:?}: {refused:?}"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM cell_secretaries").await, 1);
}

#[tokio::test]
async fn a_secretary_code_that_expires_while_the_name_is_typed_is_honoured() {
    a_secretary_code_that_expires_while_the_name_is_typed(Lang::Vi).await;
}

#[tokio::test]
async fn a_secretary_code_that_expires_while_the_name_is_typed_is_honoured_in_english() {
    a_secretary_code_that_expires_while_the_name_is_typed(Lang::En).await;
}

/// `/start CODE` followed by other words ("cảm ơn", "please") opens the
/// invitation as `/start CODE` does: the words were read as part of the
/// code and the invitation called wrong.
async fn a_code_followed_by_words_opens_the_invitation(lang: Lang, words: &str) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    h.ask(&secretary, "/invite").await;
    let code = h.invite_code(&secretary).await;

    let member = user_in(lang, 300, "An");
    let prompt = h.ask(&member, &format!("/start {code} {words}")).await;
    let text = prompt.text.unwrap_or_default();
    assert!(text.contains("Chi bộ khối 5"), "{text}");
    assert!(!says(Some(&text), lang, "invite-unknown"), "{text}");
    let next = h.ask(&member, "Nguyễn Văn An").await;
    assert!(!next.button_texts().is_empty(), "{:?}", next.text);
}

#[tokio::test]
async fn a_code_followed_by_words_opens_the_invitation_in_vietnamese() {
    a_code_followed_by_words_opens_the_invitation(Lang::Vi, "cảm ơn đồng chí").await;
}

#[tokio::test]
async fn a_code_followed_by_words_opens_the_invitation_in_english() {
    a_code_followed_by_words_opens_the_invitation(Lang::En, "please").await;
}

/// One whose request to join waits types a committee's command (/pending,
/// /members, /invite, /meeting, /announce, /sheets, /stats, /export): told
/// that the command is for a cell's committee and that their own request
/// to join the cell waits since the day it was sent (they will be told of
/// the decision), with a button to withdraw it. It said "/help lists your
/// commands", as to anybody.
async fn a_committee_command_while_the_join_waits(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let waiting = user_in(lang, 300, "An");
    let code = h.invite_code(&secretary).await;
    h.request_join(&waiting, &code, "Nguyễn Văn An").await;
    // Three days later, still waiting.
    h.clock.advance(chrono::Duration::days(3));
    for command in [
        "/pending",
        "/members",
        "/invite",
        "/meeting",
        "/announce",
        "/sheets",
        "/stats",
        "/export",
    ] {
        let told = h.ask(&waiting, command).await;
        let text = told.text.clone().unwrap_or_default();
        assert!(
            says(Some(&text), lang, "committee-command-only")
                && says(Some(&text), lang, "join-waiting-since")
                && text.contains("Chi bộ khối 5")
                && text.contains("20/11/2026")
                && !says(Some(&text), lang, "refusal-see-help"),
            "{lang:?} {command}: {text}"
        );
        assert_eq!(
            told.button_texts(),
            vec![text_of(lang, "join-withdraw-button")],
            "{lang:?} {command}"
        );
    }
    // Nothing was started: the next text is no dialogue's answer, and the
    // request still waits.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        1
    );
    // The button withdraws it.
    let told = h.last(&waiting);
    let (_, replies) = h
        .press(&waiting, &told, &text_of(lang, "join-withdraw-button"))
        .await;
    let done = h.current(&told).text;
    assert!(
        says(done.as_deref(), lang, "join-withdrawn")
            || replies
                .iter()
                .any(|s| says(s.text.as_deref(), lang, "join-withdrawn")),
        "{done:?}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM memberships WHERE status = 'pending'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_committee_command_while_the_join_waits_says_it_waits_since_its_day() {
    a_committee_command_while_the_join_waits(Lang::Vi).await;
}

#[tokio::test]
async fn a_committee_command_while_the_join_waits_says_it_waits_since_its_day_in_english() {
    a_committee_command_while_the_join_waits(Lang::En).await;
}

/// A newcomer at the name question of a join types /start with a wrong
/// code (of 1, 65 or 200 characters, with an emoji, or of a cell the ward
/// removed): told the code is wrong, and that the join above goes on (the
/// question still waits; /cancel stops it). It said only that the code was
/// wrong, as if the join had gone with it; the name typed next is taken.
async fn a_wrong_code_while_joining(lang: Lang) {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = user_in(lang, 100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    // Another ward's cell, removed by its administrator: its code is gone.
    let ward = h.ward("Phường Bến Thủy").await;
    let removed = h.cell(ward, "Chi bộ khối 9").await;
    let removed_code = h.secretary_code(removed).await;
    let admin_code = h
        .admin(lienhe::cli::Admin::Invite {
            command: lienhe::cli::InviteCommand::WardAdmin { ward },
        })
        .await;
    let admin = user_in(lang, 850, "Quản");
    h.ask(
        &admin,
        &format!("/start {}", admin_code.lines().last().unwrap()),
    )
    .await;
    let outcome = lienhe::store::cells::remove_by_admin(&h.pool, removed, 850, h.app().now())
        .await
        .unwrap();
    assert!(
        matches!(outcome, lienhe::store::cells::RemoveOutcome::Removed { .. }),
        "{outcome:?}"
    );

    let member = user_in(lang, 300, "An");
    let asked = h.ask(&member, &format!("/start {code}")).await.text;
    assert!(says(asked.as_deref(), lang, "ask-full-name"), "{asked:?}");
    for wrong in [
        "a".to_string(),
        "b".repeat(65),
        "c".repeat(200),
        "mã😀".to_string(),
        removed_code,
    ] {
        let told = h.ask(&member, &format!("/start {wrong}")).await.text;
        assert!(
            says(told.as_deref(), lang, "invite-unknown")
                && says(told.as_deref(), lang, "join-finish-first"),
            "{lang:?} {wrong}: {told:?}"
        );
    }
    let next = h.ask(&member, "Nguyễn Văn An").await.text;
    assert!(says(next.as_deref(), lang, "ask-phone"), "{next:?}");
    // Not joining: the wrong code alone, as before.
    let stranger = user_in(lang, 400, "Lạ");
    let told = h.ask(&stranger, "/start a").await.text;
    assert!(
        says(told.as_deref(), lang, "invite-unknown")
            && !says(told.as_deref(), lang, "join-finish-first"),
        "{told:?}"
    );
}

#[tokio::test]
async fn a_wrong_code_while_joining_says_the_join_goes_on() {
    a_wrong_code_while_joining(Lang::Vi).await;
}

#[tokio::test]
async fn a_wrong_code_while_joining_says_the_join_goes_on_in_english() {
    a_wrong_code_while_joining(Lang::En).await;
}
