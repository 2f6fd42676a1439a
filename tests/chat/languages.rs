//! Every text a person reads is in their language: what a person reads
//! because of someone else's action, documents' names and captions.

use lienhe::domain::Lang;

use crate::common::*;

/// The name of the document the last press sent to `chat`.
async fn downloaded(h: &Harness, user: &TgUser, data: &str) -> String {
    let before = h
        .api
        .sent(user.id)
        .iter()
        .filter(|s| s.method == "senddocument")
        .count();
    h.press_data(user, 1, data).await;
    h.wait_documents(user.id, before + 1).await;
    let doc = h
        .api
        .sent(user.id)
        .into_iter()
        .filter(|s| s.method == "senddocument")
        .nth(before)
        .unwrap();
    doc.file.unwrap().trim_start_matches("upload:").to_string()
}

/// A list downloaded as XLSX (/members, /pending, /sheets, /status, a
/// ward's /cells) is named in its reader's language: an English reader
/// got "dang-vien-11-2026-Chi-bộ-khối-5.xlsx" beside English headers.
#[tokio::test]
async fn a_downloaded_list_is_named_in_its_readers_language() {
    let h = Harness::start().await;
    let ward = h.ward("Phường Hưng Dũng").await;
    let place = h.workplace("Sở Tư pháp tỉnh Nghệ An").await;
    let block5 = h.cell(ward, "Chi bộ khối 5").await;
    let block7 = h.cell(ward, "Chi bộ khối 7").await;
    for (secretary, cell, officer, admin) in [
        (
            vi_user(100, "Bình"),
            block5,
            vi_user(200, "Cán"),
            vi_user(400, "Sơn"),
        ),
        (
            en_user(101, "Binh"),
            block7,
            en_user(201, "Can"),
            en_user(401, "Son"),
        ),
    ] {
        let en = lang_of(&secretary) == Lang::En;
        h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
        h.ask(&officer, &format!("/start {}", h.officer_code(place).await))
            .await;
        h.ask(&officer, "Lê Văn Cán").await;
        let code = h
            .admin(lienhe::cli::Admin::Invite {
                command: lienhe::cli::InviteCommand::WardAdmin { ward },
            })
            .await;
        h.ask(&admin, &format!("/start {}", code.lines().last().unwrap()))
            .await;
        let names = [
            downloaded(&h, &secretary, &format!("qx:m:{cell}:0")).await,
            downloaded(&h, &secretary, &format!("qx:p:{cell}:0")).await,
            downloaded(&h, &secretary, &format!("qx:h:{cell}:2026")).await,
            downloaded(&h, &officer, &format!("qx:s:{place}:2026")).await,
            downloaded(&h, &admin, &format!("qx:w:{ward}:0")).await,
        ];
        let expected = if en {
            [
                "members-11-2026-Chi-bộ-khối-7.xlsx",
                "pending-Chi-bộ-khối-7.xlsx",
                "comment-sheets-2026-Chi-bộ-khối-7.xlsx",
                "status-2026-Sở-Tư-pháp-tỉnh-Nghệ-An.xlsx",
                "cells-Phường-Hưng-Dũng.xlsx",
            ]
        } else {
            [
                "dang-vien-11-2026-Chi-bộ-khối-5.xlsx",
                "cho-duyet-Chi-bộ-khối-5.xlsx",
                "phieu-nhan-xet-2026-Chi-bộ-khối-5.xlsx",
                "trang-thai-2026-Sở-Tư-pháp-tỉnh-Nghệ-An.xlsx",
                "chi-bo-Phường-Hưng-Dũng.xlsx",
            ]
        };
        assert_eq!(names, expected);
    }
}

/// /status of a member with no activity in person yet said "last: (not
/// given)" (the text of a field left empty, in the list and its XLSX):
/// now "none yet" / "chưa có".
#[tokio::test]
async fn status_says_a_member_has_no_activity_yet_not_that_it_was_not_given() {
    let h = Harness::start().await;
    let secretary = vi_user(100, "Bình");
    h.cell_with_member(&secretary, &vi_user(300, "An")).await;
    for (officer, said) in [
        (en_user(200, "Can"), "; last: none yet;"),
        (vi_user(201, "Cán"), "; gần nhất: chưa có;"),
    ] {
        h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
            .await;
        h.ask(&officer, "Lê Văn Cán").await;
        let status = h.ask(&officer, "/status").await.text.unwrap_or_default();
        assert!(status.contains(said), "{status}");
        assert!(!status.contains(&text_of(lang_of(&officer), "not-given")));
    }
}

/// A Telegram `language_code` the bot does not speak, odd or missing: the
/// first language is Vietnamese, English for any `en*` in any case.
#[tokio::test]
async fn a_telegram_language_the_bot_does_not_speak_falls_back_as_readme_says() {
    let h = Harness::start().await;
    let cases: [(Option<&str>, Lang); 8] = [
        (Some("fr"), Lang::Vi),
        (Some("zh-hans"), Lang::Vi),
        (Some(""), Lang::Vi),
        (None, Lang::Vi),
        (Some("EN-us"), Lang::En),
        (Some("en-GB"), Lang::En),
        (Some("En"), Lang::En),
        (Some("vi-VN"), Lang::Vi),
    ];
    for (i, (code, lang)) in cases.into_iter().enumerate() {
        let user = TgUser::new(700 + i as i64, "Khách", code);
        let help = h.ask(&user, "/help").await;
        let text = help.text.unwrap_or_default();
        assert!(
            text.contains(&text_of(lang, "not-joined")),
            "{code:?}: {text}"
        );
        let stored: Option<String> = sqlx::query_scalar("SELECT language FROM users WHERE id = ?")
            .bind(user.id)
            .fetch_one(&h.pool)
            .await
            .unwrap();
        assert_eq!(stored.as_deref(), Some(lang.code()), "{code:?}");
    }
}

/// A newcomer whose join request waits switches `/language` as the
/// secretary approves (or rejects) it, its notice still queued: before,
/// the decision went in the language they had left (a join's decision was
/// written once, when queued); now it goes in the one they have when it is
/// sent, as a report's decision does.
async fn a_join_decided_as_its_member_switches_language(from: Lang, approve: bool) {
    let mut h = Harness::start().await;
    let to = if from == Lang::Vi { Lang::En } else { Lang::Vi };
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let member = user_in(from, 300, "An");
    let code = h.invite_code(&secretary).await;
    h.request_join(&member, &code, "Nguyễn Văn An").await;
    h.drain().await;
    let card = h.last(&secretary);
    let choose = h.ask(&member, "/language").await;

    h.stop_sender().await;
    if approve {
        h.press(&secretary, &card, "✅ Duyệt").await;
    } else {
        h.press(&secretary, &card, "❌ Từ chối").await;
        h.ask(&secretary, "Chưa nhận được giấy giới thiệu").await;
    }
    h.press(
        &member,
        &choose,
        &text_of(from, &format!("button-language-{}", to.code())),
    )
    .await;
    h.start_sender(default_sender()).await;
    h.drain().await;
    let id = if approve {
        "join-approved"
    } else {
        "join-rejected"
    };
    let texts: Vec<String> = h
        .api
        .sent(member.id)
        .into_iter()
        .filter_map(|s| s.text)
        .collect();
    let told = |lang| texts.iter().filter(|t| says(Some(t), lang, id)).count();
    assert_eq!((told(to), told(from)), (1, 0), "{from:?}: {texts:?}");
}

#[tokio::test]
async fn a_join_decided_as_its_member_switches_language_goes_in_the_new_one() {
    a_join_decided_as_its_member_switches_language(Lang::Vi, true).await;
    a_join_decided_as_its_member_switches_language(Lang::En, false).await;
}

#[tokio::test]
async fn a_join_decided_as_its_member_switches_language_goes_in_the_new_one_in_english() {
    a_join_decided_as_its_member_switches_language(Lang::En, true).await;
    a_join_decided_as_its_member_switches_language(Lang::Vi, false).await;
}
