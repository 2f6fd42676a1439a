//! Signed sheets as documents: /verify for anyone, /sheet NAME for officers.

use super::*;

/// `/verify CODE`, for anyone.
pub async fn verify(bot: &Bot, app: &App, ctx: &Ctx, code: &str) -> HandlerResult {
    let lang = ctx.lang;
    if code.trim().is_empty() {
        send::text(bot, ctx.chat, t!(lang, "verify-usage")).await?;
        return Ok(());
    }
    let text = match build::verify(&app.pool, code).await? {
        Verification::NotFound => t!(lang, "verify-not-found"),
        Verification::Tampered => t!(lang, "verify-tampered"),
        Verification::Valid(content) => verified_text(lang, &content, app.tz),
    };
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

pub fn verified_text(lang: Lang, content: &build::SignedContent, tz: chrono_tz::Tz) -> String {
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
/// interactive answer, sent directly.
pub async fn resend(
    bot: &Bot,
    app: &App,
    chat: ChatId,
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
        let file = InputFile::memory(bytes).file_name(deliver::file_name(&content, extension));
        send::patiently(|| bot.send_document(chat, file.clone()).send()).await?;
    }
    Ok(Some(code))
}
