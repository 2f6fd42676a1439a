//! Signed sheets as documents: /verify for anyone, /sheet NAME for officers.

use super::*;

/// `/verify CODE`, for anyone.
pub async fn verify(bot: &Bot, app: &App, ctx: &Ctx, code: &str) -> HandlerResult {
    let lang = ctx.lang;
    if code.trim().is_empty() {
        send::text(bot, ctx.chat, t!(lang, "verify-usage")).await?;
        return Ok(());
    }
    let checked = build::verify(&app.pool, code).await?;
    if matches!(checked, Verification::NotFound) && is_other_code(app, code).await? {
        send::text(bot, ctx.chat, t!(lang, "verify-other-code")).await?;
        return Ok(());
    }
    send::text(bot, ctx.chat, verify_answer(lang, &checked, app.tz)).await?;
    Ok(())
}

/// Whether `typed` is a code of another kind (an invitation, a personal
/// introduction link, a meeting's check-in) or a link carrying one: those
/// are opened with /start or their link, not verified. Only a code the
/// user holds is looked up, and nothing of it is said but its kind.
async fn is_other_code(app: &App, typed: &str) -> anyhow::Result<bool> {
    use crate::{domain::invite::looks_like_code, store};
    let code = crate::bot::commands::code_typed(typed);
    let code = code.as_str();
    if code.starts_with(store::introductions::PREFIX)
        || code.starts_with(store::meetings::CHECKIN_PREFIX)
    {
        return Ok(looks_like_code(code));
    }
    Ok(looks_like_code(code) && store::invites::find(&app.pool, code).await?.is_some())
}

/// What /verify answers.
pub fn verify_answer(lang: Lang, checked: &Verification, tz: chrono_tz::Tz) -> String {
    match checked {
        Verification::NotFound => t!(lang, "verify-not-found"),
        Verification::Tampered => t!(lang, "verify-tampered"),
        Verification::Valid { content, corrected } => {
            let mut text = verified_text(lang, content, tz);
            if *corrected > 0 {
                text.push_str("\n\n");
                let count = *corrected;
                text.push_str(&t!(lang, "verify-corrected", count = count));
            }
            text
        }
    }
}

/// What /verify answers for a genuine sheet: who signed what, and what it
/// says, so that a copy in hand can be compared with it (the code printed
/// on a copy does not prove its text was not changed).
fn verified_text(lang: Lang, content: &build::SignedContent, tz: chrono_tz::Tz) -> String {
    let mut lines = vec![signed_by(lang, content, tz), String::new()];
    lines.push(t!(lang, "verify-content-heading"));
    lines.extend(
        build::content_lines(lang, content, VERIFY_CLIP)
            .into_iter()
            .map(|l| format!("• {l}")),
    );
    lines.join("\n")
}

/// Long remarks and responses are cut in /verify's answer: a message holds
/// 4,096 characters.
const VERIFY_CLIP: usize = 1_000;

fn signed_by(lang: Lang, content: &build::SignedContent, tz: chrono_tz::Tz) -> String {
    if let Some(r) = &content.request {
        return t!(
            lang,
            "request-verify-ok",
            name = content.member.as_str(),
            reason = r.label(lang),
            from = format_dmy(r.from),
            to = format_dmy(r.to),
            cell = content.cell.as_str(),
            signer = content.signer.as_str(),
            role = build::signer_role_label(lang, content.signer_role),
            when = dmy_hm(content.signed_at, tz)
        );
    }
    t!(
        lang,
        "verify-ok",
        name = content.member.as_str(),
        year = content.year,
        cell = content.cell.as_str(),
        signer = content.signer.as_str(),
        role = build::signer_role_label(lang, content.signer_role),
        when = dmy_hm(content.signed_at, tz)
    )
}

/// A signed sheet's DOCX and PDF for an officer (`/sheet NAME`): an
/// interactive answer, sent directly, under file names in the officer's
/// language (`lang`).
pub async fn resend(
    bot: &Bot,
    app: &App,
    (chat, lang): (ChatId, Lang),
    membership_id: i64,
    year: i32,
) -> anyhow::Result<Option<String>> {
    let Some(sheet) = sheets::for_member(&app.pool, membership_id, year).await? else {
        return Ok(None);
    };
    let Some((content, code, sheet_ctx)) = deliver::signed(&app.pool, &sheet, app.tz).await? else {
        return Ok(None);
    };
    let (docx, pdf) = deliver::render(&sheet_ctx, &content, &code, app.tz).await?;
    for (bytes, extension) in [(docx, "docx"), (pdf, "pdf")] {
        let file =
            InputFile::memory(bytes).file_name(deliver::file_name_in(lang, &content, extension));
        send::patiently(|| bot.send_document(chat, file.clone()).send()).await?;
    }
    Ok(Some(code))
}
