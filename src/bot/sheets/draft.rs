//! The secretary's side of a sheet: open the draft, choose the levels, write
//! the remarks, send it to the member, take it back, sign it.

use super::*;

/// "Open" on a member in /sheets (of an older message without a year: the
/// review year of today).
pub async fn open_default(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    membership_id: i64,
) -> HandlerResult {
    let year = app.review.default_year(app.today());
    open(bot, app, ctx, q, (membership_id, year)).await
}

/// "Open" on a member in /sheets: the draft of `year`, created from the
/// evidence. Refused when the year's sheets can no longer be written.
pub async fn open(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (membership_id, year): (i64, i32),
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(sheet_ctx) = build::load(&app.pool, membership_id, year, app.today(), app.tz).await?
    else {
        // The membership ended since the list was shown: said so to the
        // cell's committee (it was "You are not allowed to do this").
        if let Some(m) = crate::store::memberships::get(&app.pool, membership_id).await?
            && let Some(ended) = m.ended_at
            && may_decide_item(&app, ctx.user_id(), m.cell_id, m.user_id)
                .await?
                .is_ok()
        {
            let date = format_dmy(ended.with_timezone(&app.tz).date_naive());
            let text = t!(
                lang,
                "sheet-open-member-ended",
                name = m.full_name.as_str(),
                date = date
            );
            return Ok(send::alert(&bot, &q, text).await?);
        }
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    };
    if !super::may_write(&app, &ctx, &sheet_ctx, "sheet open").await? {
        // One who was on the cell's committee is told they no longer are.
        let data = crate::telegram::callback_data::CallbackData::SheetOpen(membership_id);
        if !crate::bot::roles::refused_role_gone(&bot, &app, &ctx, &q, &data).await? {
            send::alert(&bot, &q, t!(lang, "not-allowed")).await?;
        }
        return Ok(());
    }
    if let Err(why) = year_open(&app, lang, year) {
        return Ok(send::alert(&bot, &q, why).await?);
    }
    if sheet_ctx.exemption().is_some() {
        return Ok(send::alert(&bot, &q, t!(lang, "sheet-exempt-none")).await?);
    }
    let opened = sheets::open_draft(
        &app.pool,
        (membership_id, year),
        &sheet_ctx.evidence.suggest(),
        ctx.user_id(),
        app.now(),
    )
    .await?;
    let sheet = match opened {
        // Opened again: the levels not chosen follow the evidence now.
        sheets::Opened::Sheet(sheet) => {
            let suggested = sheet_ctx.evidence.suggest();
            sheets::follow_suggestions(&app.pool, sheet.id, &suggested, ctx.user_id(), app.now())
                .await?
                .unwrap_or(sheet)
        }
        sheets::Opened::SignedElsewhere(signed) => {
            let cell = crate::store::memberships::get(&app.pool, signed.membership_id)
                .await?
                .map(|m| m.cell_name)
                .unwrap_or_default();
            let text = t!(
                lang,
                "sheet-signed-elsewhere",
                year = year,
                cell = cell.as_str()
            );
            return Ok(send::alert(&bot, &q, text).await?);
        }
        // Their seat went after the press was checked: nothing opened.
        sheets::Opened::NotAllowed => {
            let data = crate::telegram::callback_data::CallbackData::SheetOpen(membership_id);
            if !crate::bot::roles::refused_role_gone(&bot, &app, &ctx, &q, &data).await? {
                send::alert(&bot, &q, t!(lang, "not-allowed")).await?;
            }
            return Ok(());
        }
    };
    send::ack(&bot, &q).await?;
    show(&bot, &app, &ctx, &sheet_ctx, &sheet, None).await
}

/// A level button: sets one criterion of the draft.
pub async fn set_level(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (sheet_id, criterion, level): (i64, u8, u8),
) -> HandlerResult {
    let Some((_, sheet_ctx)) = secretary_sheet(&bot, &app, &ctx, Some(&q), sheet_id).await? else {
        return Ok(());
    };
    if sheet_ctx.short() {
        return Ok(send::alert(&bot, &q, t!(ctx.lang, "stale-button")).await?);
    }
    let by = ctx.user_id();
    let step = sheets::set_level(
        &app.pool,
        sheet_id,
        (criterion.into(), level),
        by,
        app.now(),
    );
    let sheet = match step.await? {
        Step::Done(sheet) => sheet,
        // No longer a draft (someone else sent or signed it meanwhile), or
        // no longer theirs to write.
        other => {
            let pressed = (&q, &sheet_ctx, sheet_id);
            return refuse_or_refresh(&bot, &app, &ctx, pressed, &other).await;
        }
    };
    send::ack(&bot, &q).await?;
    show(&bot, &app, &ctx, &sheet_ctx, &sheet, Some(&q)).await
}

/// "Other remarks": asks for the text.
pub async fn ask_remarks(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    sheet_id: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some((sheet, sheet_ctx)) = secretary_sheet(&bot, &app, &ctx, Some(&q), sheet_id).await?
    else {
        return Ok(());
    };
    if sheet.state() != SheetState::Draft {
        let pressed = (&q, &sheet_ctx, sheet_id);
        return refuse_or_refresh(&bot, &app, &ctx, pressed, &Step::<()>::Stale).await;
    }
    let resume = ctx
        .state
        .clone()
        .interrupted_for(|s| matches!(s, State::SheetRemarks { .. }));
    let asking = State::SheetRemarks { sheet_id, resume };
    if crate::bot::commands::asked_already(&bot, &app, &ctx, &q, &asking).await? {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    dialogue.update(asking).await?;
    send::text(
        &bot,
        ctx.chat,
        t!(
            lang,
            "ask-remarks",
            max = crate::i18n::count(lang, MAX_REMARKS_CHARS)
        ),
    )
    .await?;
    Ok(())
}

/// "Change": the sheet goes back from the member to the draft.
pub async fn reopen(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    sheet_id: i64,
) -> HandlerResult {
    let Some((_, sheet_ctx)) = secretary_sheet(&bot, &app, &ctx, Some(&q), sheet_id).await? else {
        return Ok(());
    };
    let sheet = match sheets::reopen(&app.pool, sheet_id, ctx.user_id(), app.now()).await? {
        Step::Done(sheet) => sheet,
        other => {
            let pressed = (&q, &sheet_ctx, sheet_id);
            return refuse_or_refresh(&bot, &app, &ctx, pressed, &other).await;
        }
    };
    send::ack(&bot, &q).await?;
    show(&bot, &app, &ctx, &sheet_ctx, &sheet, Some(&q)).await
}

pub async fn on_remarks(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (sheet_id, resume): (i64, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let ask = t!(
        lang,
        "ask-remarks",
        max = crate::i18n::count(lang, MAX_REMARKS_CHARS)
    );
    let Some(remarks) = typed(&bot, &ctx, &msg, ask).await? else {
        return Ok(());
    };
    let Some((_, sheet_ctx)) = secretary_sheet(&bot, &app, &ctx, None, sheet_id).await? else {
        come_back(&dialogue, resume).await?;
        return Ok(());
    };
    // Saved, the dialogue came back with them; otherwise now.
    let then = coming_back(ctx.chat, resume.as_deref());
    let typed_by = (remarks.as_str(), ctx.user_id());
    let step = sheets::set_remarks(&app.pool, sheet_id, typed_by, (app.now(), &then)).await?;
    let resumed = match step {
        Step::Done(_) => resume.is_some(),
        _ => come_back(&dialogue, resume).await?,
    };
    let sheet = match step {
        Step::Done(sheet) => sheet,
        // Their place on the cell's committee changed after the text was
        // checked (a handover, a deputy replaced): said so, with who
        // writes its sheets now.
        Step::NotAllowed(_) => {
            let cell = sheet_ctx.member.cell_id;
            let why = match crate::bot::roles::role_gone(&app, lang, ctx.user_id(), cell).await? {
                Some(why) => why,
                None => t!(lang, "not-allowed"),
            };
            let why = super::not_saved(lang, why, &remarks);
            send::text(&bot, ctx.chat, with_resumed(lang, why, resumed)).await?;
            return Ok(());
        }
        // Sent to the member (or signed) meanwhile, by another writer; or
        // the request it answers was withdrawn.
        _ => {
            let why = match sheet_open(&app, lang, &sheet_ctx) {
                Err(why) => why,
                Ok(()) => t!(lang, "sheet-remarks-not-draft"),
            };
            let why = super::not_saved(lang, why, &remarks);
            send::text(&bot, ctx.chat, with_resumed(lang, why, resumed)).await?;
            return Ok(());
        }
    };
    show(&bot, &app, &ctx, &sheet_ctx, &sheet, None).await?;
    if resumed {
        send::text(&bot, ctx.chat, t!(lang, "dialogue-resumed")).await?;
    }
    Ok(())
}

/// The draft for the member, with Accept / Respond; the secretary is told
/// if it cannot reach them.
pub(super) fn member_notices(
    sheet_ctx: &Context,
    sheet: &Sheet,
    member: Recipient,
    secretary: (i64, Lang),
    (last_day, tz): (chrono::DateTime<chrono::Utc>, chrono_tz::Tz),
) -> Vec<Notice> {
    let lang = member.lang;
    // The day and hour the answer is due: a week, or less when the year's
    // window or the request's due date comes first; none when it has come
    // (sent on the sheet's last day or after: it may be signed at once).
    let until = sheet
        .sent_to_member_at
        .map(|at| crate::domain::sheet::answer_until(at, Some(last_day)))
        .filter(|&until| sheet.sent_to_member_at.is_some_and(|at| until > at))
        .map(|until| dmy_hm(until, tz));
    let unreachable = |lang: Lang| {
        t!(
            lang,
            "sheet-member-unreachable",
            name = sheet_ctx.member.full_name.as_str()
        )
    };
    // The buttons say which draft they answer (it may be sent again).
    let tag = sheet.sent_to_member_at.map(sent_tag).unwrap_or(0);
    let keyboard = vec![vec![
        (
            t!(lang, "button-accept"),
            CallbackData::SheetAccept(sheet.id, tag).encode(),
        ),
        (
            t!(lang, "button-respond"),
            CallbackData::SheetRespond(sheet.id, tag).encode(),
        ),
    ]];
    vec![Notice {
        chat_id: member.user_id,
        payload: Payload {
            text: member_text(lang, sheet_ctx, sheet, until.as_deref()),
            buttons: keyboard,
            // To the one who sent it, or whoever writes the cell's sheets
            // when it is given up, should they have left its committee.
            fallback: Some(Fallback {
                chat_id: secretary.0,
                text: unreachable(secretary.1),
                committee_of: Some(sheet_ctx.member.cell_id),
                texts: Lang::ALL
                    .iter()
                    .map(|&lang| (lang.code().to_string(), unreachable(lang)))
                    .collect(),
            }),
            ..Payload::default()
        },
    }]
}

/// "Send to the member".
pub async fn send_to_member(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    sheet_id: i64,
) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    let lang = ctx.lang;
    let Some((_, sheet_ctx)) = secretary_sheet(bot, app, ctx, Some(q), sheet_id).await? else {
        return Ok(());
    };
    let due = (super::last_day(app, &sheet_ctx), app.tz);
    let step = sheets::send_to_member(
        &app.pool,
        sheet_id,
        ctx.user_id(),
        app.now(),
        app.tz,
        |sheet, member| member_notices(&sheet_ctx, sheet, member, (ctx.user_id(), lang), due),
    )
    .await?;
    let sheet = match step {
        Step::Done(sheet) => sheet,
        Step::Refused(_) => {
            return Ok(send::alert(bot, q, t!(lang, "sign-blocked-criteria")).await?);
        }
        // This officer's own Send went through already (tapped twice, or
        // pressed again on an older view): said so, not that someone else
        // may have changed the sheet.
        Step::Stale
            if let Some(at) =
                sheets::with_member_sent_by(&app.pool, sheet_id, ctx.user_id()).await? =>
        {
            let when = dmy_hm(at, app.tz);
            send::alert(bot, q, t!(lang, "sheet-already-sent", when = when)).await?;
            if let Some(sheet) = sheets::get(&app.pool, sheet_id).await? {
                show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await?;
            }
            return Ok(());
        }
        other => {
            let pressed = (q, &sheet_ctx, sheet_id);
            return refuse_or_refresh(bot, app, ctx, pressed, &other).await;
        }
    };
    app.wake_sender();
    send::toast(bot, q, t!(lang, "sheet-sent-to-member")).await?;
    show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await
}

pub(super) fn sign_block_text(lang: Lang, block: SignBlock, app: &App) -> String {
    match block {
        SignBlock::NotSentToMember => t!(lang, "sign-blocked-not-sent"),
        SignBlock::CriteriaMissing => t!(lang, "sign-blocked-criteria"),
        SignBlock::WaitingForMember { until } => {
            t!(
                lang,
                "sign-blocked-waiting",
                until = until.map(|at| dmy_hm(at, app.tz)).unwrap_or_default()
            )
        }
    }
}

/// "Sign and send to the workplace".
pub async fn sign(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, sheet_id: i64) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    let lang = ctx.lang;
    let Some((_, sheet_ctx)) = secretary_sheet(bot, app, ctx, Some(q), sheet_id).await? else {
        return Ok(());
    };
    let now = app.now();
    let last_day = super::last_day(app, &sheet_ctx);
    let frozen = build::frozen(&app.pool, &sheet_ctx, ctx.user_id()).await?;
    // Sealed inside the signing transaction, from the sheet and the
    // member's details as it reads them.
    let mut signed = None;
    let short = sheet_ctx.short();
    let step = sheets::sign(&app.pool, sheet_id, ctx.user_id(), now, |sheet, member| {
        let sheet_ctx = sheet_ctx.with_details(&member);
        let levels = sheet.levels();
        may_sign(
            sheet.state(),
            (!short).then_some(&levels),
            sheet.sent_to_member_at,
            sheet.member_answer.is_some(),
            now,
            Some(last_day),
        )?;
        let content = build::content(&sheet_ctx, sheet, frozen, ctx.user_id(), now);
        let sealed = build::seal(&content);
        signed = Some((content, sheet_ctx));
        let (content, content_hash, code) = sealed;
        Ok(Sealed {
            content,
            content_hash,
            code,
        })
    })
    .await?;
    let (sheet, content, sheet_ctx) = match (step, signed) {
        (Step::Done(sheet), Some((content, signed_ctx))) => (sheet, content, signed_ctx),
        // Sent as the short version, and the member's exemption lifted
        // since: the comment needs its criteria now, which only a changed
        // draft, sent again, carries. The view shows them, with Change.
        (Step::Refused(SignBlock::CriteriaMissing), _) => {
            send::alert(bot, q, t!(lang, "sign-blocked-no-longer-exempt")).await?;
            if let Some(sheet) = sheets::get(&app.pool, sheet_id).await? {
                show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await?;
            }
            return Ok(());
        }
        (Step::Refused(block), _) => {
            return Ok(send::alert(bot, q, sign_block_text(lang, block, app)).await?);
        }
        (other, _) => {
            let pressed = (q, &sheet_ctx, sheet_id);
            return refuse_or_refresh(bot, app, ctx, pressed, &other).await;
        }
    };
    let code = sheet.code.clone().unwrap_or_default();
    send::toast(bot, q, t!(lang, "decision-recorded")).await?;
    // Not its verification code: whoever has it reads the whole sheet.
    tracing::info!(sheet = sheet_id, "sheet signed");
    // Should this stop here, the scheduler queues the deliveries at its
    // next look (`deliver::catch_up`).
    let queued = deliver::queue_signed(
        &app.pool, sheet_id, &sheet_ctx, &content, &code, app.tz, now,
    )
    .await?;
    // Queued already by the scheduler's catch-up: to as many officers.
    let officers = match queued {
        Some(officers) => officers,
        None => sheets::queued_officers(&app.pool, sheet_id, app.tz).await?,
    };
    app.wake_sender();
    show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await?;
    let done = if officers > 0 {
        t!(
            lang,
            "sheet-signed-done",
            code = code.as_str(),
            officers = officers
        )
    } else {
        t!(
            lang,
            "sheet-no-officer",
            code = code.as_str(),
            workplace = sheet_ctx.member.workplace_name.clone().unwrap_or_default()
        )
    };
    send::text(bot, ctx.chat, done).await?;
    Ok(())
}
