//! The member's side of a sheet: accept the draft or respond to it.

use super::*;

/// "Respond" on the draft sent to the member: asks for the text.
pub async fn ask_response(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    pressed: (i64, u32),
) -> HandlerResult {
    let Some((sheet, _)) = member_sheet(&bot, &app, &ctx, &q, pressed).await? else {
        return Ok(());
    };
    let resume = ctx
        .state
        .clone()
        .interrupted_for(|s| matches!(s, State::SheetResponse { .. }));
    let asking = State::SheetResponse {
        sheet_id: sheet.id,
        resume,
        seen: sheet.sent_to_member_at,
    };
    if crate::bot::commands::asked_already(&bot, &app, &ctx, &q, &asking).await? {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    dialogue.update(asking).await?;
    send::text(
        &bot,
        ctx.chat,
        t!(
            ctx.lang,
            "ask-member-response",
            max = crate::i18n::count(ctx.lang, MAX_REMARKS_CHARS)
        ),
    )
    .await?;
    Ok(())
}

/// The member's answer, for the secretary.
pub(super) fn secretary_notices(
    sheet_ctx: &Context,
    answer_sheet_id: i64,
    answer: Answer<'_>,
    to: Recipient,
) -> Vec<Notice> {
    let name = sheet_ctx.member.full_name.as_str();
    let text = match (answer, &sheet_ctx.request) {
        (Answer::Accept, None) => t!(
            to.lang,
            "secretary-told-accepted",
            name = name,
            year = sheet_ctx.year
        ),
        (Answer::Respond(response), None) => t!(
            to.lang,
            "secretary-told-responded",
            name = name,
            year = sheet_ctx.year,
            response = response
        ),
        (Answer::Accept, Some(r)) => t!(
            to.lang,
            "request-told-accepted",
            name = name,
            reason = build::reason_label(to.lang, r.reason, r.reason_text.as_deref())
        ),
        (Answer::Respond(response), Some(r)) => t!(
            to.lang,
            "request-told-responded",
            name = name,
            reason = build::reason_label(to.lang, r.reason, r.reason_text.as_deref()),
            response = response
        ),
    };
    // The secretary can sign from here, or open the sheet again.
    let sheet_id = answer_sheet_id;
    let open = match &sheet_ctx.request {
        None => CallbackData::SheetOpenYear(sheet_ctx.member.membership_id, sheet_ctx.year),
        Some(r) => CallbackData::RequestDraft(r.id),
    };
    let buttons = vec![
        vec![(
            t!(to.lang, "button-sign"),
            CallbackData::SheetSign(sheet_id).encode(),
        )],
        vec![(t!(to.lang, "year-button-open"), open.encode())],
    ];
    vec![Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: send::clip(&text),
            buttons,
            ..Payload::default()
        },
    }]
}

/// "Accept" on the draft sent to the member.
pub async fn member_accepts(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (sheet_id, tag): (i64, u32),
) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    let Some((sheet, sheet_ctx)) = member_sheet(bot, app, ctx, q, (sheet_id, tag)).await? else {
        return Ok(());
    };
    let step = sheets::member_answers(
        &app.pool,
        sheet_id,
        ctx.user_id(),
        Answer::Accept,
        sheet.sent_to_member_at,
        (app.now(), None),
        |sheet, to| secretary_notices(&sheet_ctx, sheet.id, Answer::Accept, to),
    )
    .await?;
    if let Step::Refused(sheets::Replaced) = step {
        let why = answer_refused_text(ctx.lang, &step);
        return refuse_press(bot, q, why, true).await;
    }
    // Answered meanwhile (Accept tapped twice), signed or taken back: said
    // which.
    if matches!(step, Step::Stale)
        && let Some(sheet) = sheets::get(&app.pool, sheet_id).await?
    {
        return Ok(send::alert(bot, q, answered_already(app, ctx.lang, &sheet)).await?);
    }
    if !matches!(step, Step::Done(_)) {
        return refuse_step(bot, q, ctx.lang, &step).await;
    }
    app.wake_sender();
    send::ack(bot, q).await?;
    // The draft stays above the line (a press on a message older than two
    // days comes without its text: the line then comes on its own).
    send::close_pressed(bot, q, &t!(ctx.lang, "member-accepted-done")).await;
    Ok(())
}

/// The member's response, typed.
pub async fn on_response(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (sheet_id, resume, seen): (i64, Option<Box<State>>, Option<DateTime<Utc>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let ask = t!(
        lang,
        "ask-member-response",
        max = crate::i18n::count(lang, MAX_REMARKS_CHARS)
    );
    let Some(response) = typed(&bot, &ctx, &msg, ask).await? else {
        return Ok(());
    };
    let Some((_, sheet_ctx)) = with_context(&app, sheet_id).await? else {
        // The draft went meanwhile (the membership ended, the request
        // followed a move): nothing to answer any more; the text back.
        let resumed = come_back(&dialogue, resume).await?;
        let why = super::not_saved(lang, t!(lang, "member-response-not-awaited"), &response);
        send::text(&bot, ctx.chat, with_resumed(lang, why, resumed)).await?;
        return Ok(());
    };
    if let Err(why) = sheet_open_for_member(&app, lang, &sheet_ctx) {
        let resumed = come_back(&dialogue, resume).await?;
        let why = super::not_saved(lang, why, &response);
        send::text(&bot, ctx.chat, with_resumed(lang, why, resumed)).await?;
        return Ok(());
    }
    let answer = Answer::Respond(&response);
    let then = coming_back(ctx.chat, resume.as_deref());
    let step = sheets::member_answers(
        &app.pool,
        sheet_id,
        ctx.user_id(),
        answer,
        seen,
        (app.now(), Some(&then)),
        |sheet, to| secretary_notices(&sheet_ctx, sheet.id, answer, to),
    )
    .await?;
    // Answered, the dialogue came back with it; otherwise now.
    let resumed = match step {
        Step::Done(_) => resume.is_some(),
        _ => come_back(&dialogue, resume).await?,
    };
    if !matches!(step, Step::Done(_)) {
        // The draft moved while the member typed: say where it went, and
        // give the text back (nothing typed is lost without a word).
        let why = match step {
            Step::Stale => match sheets::get(&app.pool, sheet_id).await?.map(|s| s.state()) {
                Some(SheetState::Draft) => t!(lang, "member-response-draft-taken-back"),
                _ => t!(lang, "member-response-not-awaited"),
            },
            other => answer_refused_text(lang, &other),
        };
        let why = super::not_saved(lang, why, &response);
        send::text(&bot, ctx.chat, with_resumed(lang, why, resumed)).await?;
        return Ok(());
    }
    app.wake_sender();
    let text = with_resumed(lang, t!(lang, "member-response-done"), resumed);
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}
