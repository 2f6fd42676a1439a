//! Year-end comment sheets in the chat: the secretary's /sheets, the
//! draft built from the evidence, the member's answer, the signature and
//! delivery to the workplace; /verify for anyone.

use chrono::Datelike;
use teloxide::{
    prelude::*,
    types::{
        CallbackQuery, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message,
    },
};

use super::{App, Dialogue, HandlerResult, context::Ctx, input, render::dmy_hm, state::State};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        dates::format_dmy,
        membership::clean_text,
        sheet::{Criterion, SheetState, SignBlock, may_sign, sheets_open_on},
    },
    sheet::{
        build::{
            self, Context, Verification, criterion_label, evidence_lines, level_label, state_label,
        },
        deliver,
    },
    store::{
        cells,
        outbox::{Fallback, Notice, Payload, Recipient},
        sheets::{self, Answer, Sealed, Sheet, Step},
        yearly::{self, Scope},
    },
    t,
};

const MAX_REMARKS_CHARS: usize = 1000;

fn button(text: impl Into<String>, data: CallbackData) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text.into(), data.encode())
}

/// Sheets of `year` can be drafted from the configured day on.
fn open_yet(app: &App) -> Result<i32, String> {
    let today = app.today();
    let opens = sheets_open_on(today.year(), app.sheets_from);
    if today < opens {
        Err(format_dmy(opens))
    } else {
        Ok(today.year())
    }
}

/// `/sheets`: the secretary's members with the state of their sheet.
pub async fn list(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let cells = cells::secretary_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        send::text(bot, ctx.chat, t!(lang, "secretaries-only")).await?;
        return Ok(());
    }
    let year = match open_yet(app) {
        Ok(year) => year,
        Err(date) => {
            send::text(bot, ctx.chat, t!(lang, "sheets-not-open", date = date)).await?;
            return Ok(());
        }
    };
    for cell in cells {
        let members = yearly::members(&app.pool, Scope::Cell(cell.id), year).await?;
        let mut lines = vec![t!(
            lang,
            "sheets-header",
            cell = cell.name.as_str(),
            year = year,
            count = members.len()
        )];
        let mut rows = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let state = match m
                .exempt_reason
                .as_deref()
                .and_then(crate::domain::membership::Exemption::parse)
            {
                Some(e) => t!(
                    lang,
                    "sheets-exempt",
                    reason = build::exemption_label(lang, e)
                ),
                None => state_label(
                    lang,
                    SheetState::parse(m.sheet_state.as_deref().unwrap_or("")),
                ),
            };
            let n = i + 1;
            lines.push(format!("{n}. {} — {state}", m.full_name));
            if m.exempt_reason.is_none() {
                rows.push(vec![button(
                    format!("{n}. {}", m.full_name),
                    CallbackData::SheetOpen(m.membership_id),
                )]);
            }
        }
        if members.is_empty() {
            lines.push(t!(lang, "members-none"));
        }
        let text = send::clip(&lines.join("\n"));
        // Telegram allows about a hundred buttons a message.
        let mut chunks = rows.chunks(90);
        let first: Vec<Vec<InlineKeyboardButton>> =
            chunks.next().map(<[_]>::to_vec).unwrap_or_default();
        send::with_markup(bot, ctx.chat, text, InlineKeyboardMarkup::new(first)).await?;
        for chunk in chunks {
            send::with_markup(
                bot,
                ctx.chat,
                t!(lang, "sheets-more"),
                InlineKeyboardMarkup::new(chunk.to_vec()),
            )
            .await?;
        }
    }
    Ok(())
}

/// The secretary's view of a sheet.
fn view_text(lang: Lang, app: &App, ctx: &Context, sheet: &Sheet) -> String {
    let m = &ctx.member;
    let mut parts = vec![t!(
        lang,
        "sheet-header",
        name = m.full_name.as_str(),
        year = ctx.year,
        cell = m.cell_name.as_str(),
        workplace = m
            .workplace_name
            .clone()
            .unwrap_or_else(|| t!(lang, "not-given")),
        state = state_label(lang, sheet.state())
    )];
    parts.push(format!(
        "{}\n{}",
        t!(lang, "sheet-evidence-title"),
        evidence_lines(lang, ctx).join("\n")
    ));
    let levels = sheet.levels();
    let criteria: Vec<String> = Criterion::ALL
        .iter()
        .map(|c| {
            let level = levels[c.index()]
                .map(|l| level_label(lang, *c, l))
                .unwrap_or_else(|| t!(lang, "sheet-level-unset"));
            format!(
                "{}. {}: {}",
                c.index() + 1,
                criterion_label(lang, *c),
                level
            )
        })
        .collect();
    parts.push(format!(
        "{}\n{}",
        t!(lang, "sheet-criteria-title"),
        criteria.join("\n")
    ));
    let remarks = if sheet.remarks.is_empty() {
        t!(lang, "not-given")
    } else {
        sheet.remarks.clone()
    };
    parts.push(t!(lang, "sheet-remarks-line", remarks = remarks));
    match (sheet.state(), sheet.member_answer.as_deref()) {
        (SheetState::WithMember, Some("accepted")) => {
            parts.push(t!(
                lang,
                "sheet-member-accepted",
                when = answered_at(sheet, app)
            ));
        }
        (SheetState::WithMember | SheetState::Signed, Some("responded")) => parts.push(t!(
            lang,
            "sheet-member-responded",
            when = answered_at(sheet, app),
            response = sheet.member_response.clone().unwrap_or_default()
        )),
        (SheetState::WithMember, _) => {
            let until = sheet.sent_to_member_at.map(|at| {
                dmy_hm(
                    at + chrono::Duration::days(crate::domain::sheet::ANSWER_DAYS),
                    app.tz,
                )
            });
            parts.push(t!(
                lang,
                "sheet-member-waiting",
                until = until.unwrap_or_default()
            ));
        }
        _ => {}
    }
    if let (Some(code), Some(at)) = (&sheet.code, sheet.signed_at) {
        parts.push(t!(
            lang,
            "sheet-signed-line",
            code = code.as_str(),
            when = dmy_hm(at, app.tz)
        ));
    }
    send::clip(&parts.join("\n\n"))
}

fn answered_at(sheet: &Sheet, app: &App) -> String {
    sheet
        .member_answered_at
        .map(|at| dmy_hm(at, app.tz))
        .unwrap_or_default()
}

fn view_keyboard(lang: Lang, sheet: &Sheet) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    match sheet.state() {
        SheetState::Draft => {
            let levels = sheet.levels();
            for c in Criterion::ALL {
                let row = (0..3u8)
                    .map(|l| {
                        let mark = if levels[c.index()] == Some(l) {
                            "✓ "
                        } else {
                            ""
                        };
                        let label =
                            format!("{}{}. {}", mark, c.index() + 1, level_label(lang, c, l));
                        button(
                            label,
                            CallbackData::SheetLevel(sheet.id, c.index() as u8, l),
                        )
                    })
                    .collect();
                rows.push(row);
            }
            rows.push(vec![button(
                t!(lang, "button-remarks"),
                CallbackData::SheetRemarks(sheet.id),
            )]);
            rows.push(vec![button(
                t!(lang, "button-send-member"),
                CallbackData::SheetSend(sheet.id),
            )]);
        }
        SheetState::WithMember => {
            rows.push(vec![button(
                t!(lang, "button-sign"),
                CallbackData::SheetSign(sheet.id),
            )]);
            rows.push(vec![button(
                t!(lang, "button-reopen"),
                CallbackData::SheetReopen(sheet.id),
            )]);
        }
        SheetState::Signed | SheetState::NotStarted => {}
    }
    InlineKeyboardMarkup::new(rows)
}

/// Loads a sheet and checks that `ctx` is the secretary of its member's cell.
async fn secretary_sheet(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: Option<&CallbackQuery>,
    sheet_id: i64,
) -> anyhow::Result<Option<(Sheet, Context)>> {
    let say = |text: String| async move {
        match q {
            Some(q) => send::alert(bot, q, text).await,
            None => send::text(bot, ctx.chat, text).await.map(|_| ()),
        }
    };
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        say(t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    };
    let Some(sheet_ctx) = build::load(
        &app.pool,
        sheet.membership_id,
        sheet.year as i32,
        app.today(),
        app.tz,
    )
    .await?
    else {
        say(t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    };
    let mine =
        cells::secretary_of(&app.pool, sheet_ctx.member.cell_id).await? == Some(ctx.user_id());
    if !mine || sheet_ctx.member.user_id == ctx.user_id() {
        tracing::warn!(
            user = ctx.user_id(),
            sheet = sheet_id,
            "sheet action refused"
        );
        say(t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    }
    Ok(Some((sheet, sheet_ctx)))
}

async fn show(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    sheet_ctx: &Context,
    sheet: &Sheet,
    pressed: Option<&CallbackQuery>,
) -> HandlerResult {
    let text = view_text(ctx.lang, app, sheet_ctx, sheet);
    let keyboard = view_keyboard(ctx.lang, sheet);
    match pressed {
        // Unchanged (a level pressed again) is left as it is.
        Some(q) => send::edit_pressed(bot, q, text, keyboard).await,
        None => {
            send::with_markup(bot, ctx.chat, text, keyboard).await?;
        }
    }
    Ok(())
}

/// "Open" on a member in /sheets: the draft, created from the evidence.
pub async fn open(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    membership_id: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let year = match open_yet(&app) {
        Ok(year) => year,
        Err(date) => {
            return Ok(send::alert(&bot, &q, t!(lang, "sheets-not-open", date = date)).await?);
        }
    };
    let Some(sheet_ctx) = build::load(&app.pool, membership_id, year, app.today(), app.tz).await?
    else {
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    };
    let mine =
        cells::secretary_of(&app.pool, sheet_ctx.member.cell_id).await? == Some(ctx.user_id());
    if !mine || sheet_ctx.member.user_id == ctx.user_id() {
        tracing::warn!(user = ctx.user_id(), membership_id, "sheet open refused");
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    }
    if sheet_ctx.exemption().is_some() {
        return Ok(send::alert(&bot, &q, t!(lang, "sheet-exempt-none")).await?);
    }
    send::ack(&bot, &q).await?;
    let sheet = sheets::open_draft(
        &app.pool,
        membership_id,
        year,
        &sheet_ctx.evidence.suggest(),
        app.now(),
    )
    .await?;
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
    let Some((sheet, sheet_ctx)) = secretary_sheet(&bot, &app, &ctx, Some(&q), sheet_id).await?
    else {
        return Ok(());
    };
    let mut levels = sheet.levels();
    levels[criterion as usize] = Some(level);
    if !sheets::set_level(&app.pool, sheet_id, &levels, app.now()).await? {
        return Ok(send::alert(&bot, &q, t!(ctx.lang, "stale-button")).await?);
    }
    send::ack(&bot, &q).await?;
    let sheet = sheets::get(&app.pool, sheet_id).await?.unwrap_or(sheet);
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
    let Some((sheet, _)) = secretary_sheet(&bot, &app, &ctx, Some(&q), sheet_id).await? else {
        return Ok(());
    };
    if sheet.state() != SheetState::Draft {
        return Ok(send::alert(&bot, &q, t!(lang, "stale-button")).await?);
    }
    send::ack(&bot, &q).await?;
    dialogue.update(State::SheetRemarks { sheet_id }).await?;
    send::text(
        &bot,
        ctx.chat,
        t!(lang, "ask-remarks", max = MAX_REMARKS_CHARS),
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
    let Step::Done(sheet) = sheets::reopen(&app.pool, sheet_id, ctx.user_id(), app.now()).await?
    else {
        return Ok(send::alert(&bot, &q, t!(ctx.lang, "stale-button")).await?);
    };
    send::ack(&bot, &q).await?;
    show(&bot, &app, &ctx, &sheet_ctx, &sheet, Some(&q)).await
}

/// "Respond" on the draft sent to the member: asks for the text.
pub async fn ask_response(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    sheet_id: i64,
) -> HandlerResult {
    let Some((sheet, _)) = member_sheet(&bot, &app, &ctx, &q, sheet_id).await? else {
        return Ok(());
    };
    send::ack(&bot, &q).await?;
    dialogue
        .update(State::SheetResponse { sheet_id: sheet.id })
        .await?;
    send::text(
        &bot,
        ctx.chat,
        t!(ctx.lang, "ask-member-response", max = MAX_REMARKS_CHARS),
    )
    .await?;
    Ok(())
}

pub async fn on_remarks(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    sheet_id: i64,
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let remarks = match input::text(lang, &msg, |t| clean_text(t, MAX_REMARKS_CHARS)) {
        Ok(text) => text,
        Err(why) => {
            let ask = t!(lang, "ask-remarks", max = MAX_REMARKS_CHARS);
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    dialogue.exit().await?;
    let Some((_, sheet_ctx)) = secretary_sheet(&bot, &app, &ctx, None, sheet_id).await? else {
        return Ok(());
    };
    if !sheets::set_remarks(&app.pool, sheet_id, &remarks, app.now()).await? {
        send::text(&bot, ctx.chat, t!(lang, "stale-button")).await?;
        return Ok(());
    }
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        return Ok(());
    };
    show(&bot, &app, &ctx, &sheet_ctx, &sheet, None).await
}

/// The draft as the member sees it.
fn member_text(lang: Lang, ctx: &Context, sheet: &Sheet) -> String {
    let levels = sheet.levels();
    let criteria: Vec<String> = Criterion::ALL
        .iter()
        .map(|c| {
            let level = levels[c.index()]
                .map(|l| level_label(lang, *c, l))
                .unwrap_or_default();
            format!(
                "{}. {}: {}",
                c.index() + 1,
                criterion_label(lang, *c),
                level
            )
        })
        .collect();
    let remarks = if sheet.remarks.is_empty() {
        t!(lang, "not-given")
    } else {
        sheet.remarks.clone()
    };
    send::clip(&format!(
        "{}\n\n{}\n{}\n\n{}\n{}\n\n{}",
        t!(
            lang,
            "sheet-for-member",
            year = ctx.year,
            cell = ctx.member.cell_name.as_str(),
            days = crate::domain::sheet::ANSWER_DAYS
        ),
        t!(lang, "sheet-evidence-title"),
        evidence_lines(lang, ctx).join("\n"),
        t!(lang, "sheet-criteria-title"),
        criteria.join("\n"),
        t!(lang, "sheet-remarks-line", remarks = remarks)
    ))
}

/// The draft for the member, with Accept / Respond; the secretary is told
/// if it cannot reach them.
fn member_notices(
    sheet_ctx: &Context,
    sheet: &Sheet,
    member: Recipient,
    secretary: (i64, Lang),
) -> Vec<Notice> {
    let lang = member.lang;
    let keyboard = vec![vec![
        (
            t!(lang, "button-accept"),
            CallbackData::SheetAccept(sheet.id).encode(),
        ),
        (
            t!(lang, "button-respond"),
            CallbackData::SheetRespond(sheet.id).encode(),
        ),
    ]];
    vec![Notice {
        chat_id: member.user_id,
        payload: Payload {
            text: member_text(lang, sheet_ctx, sheet),
            buttons: keyboard,
            fallback: Some(Fallback {
                chat_id: secretary.0,
                text: t!(secretary.1, "sheet-member-unreachable"),
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
    let step = sheets::send_to_member(
        &app.pool,
        sheet_id,
        ctx.user_id(),
        app.now(),
        |sheet, member| member_notices(&sheet_ctx, sheet, member, (ctx.user_id(), lang)),
    )
    .await?;
    let sheet = match step {
        Step::Done(sheet) => sheet,
        Step::Refused(_) => {
            return Ok(send::alert(bot, q, t!(lang, "sign-blocked-criteria")).await?);
        }
        Step::Stale => return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?),
    };
    app.wake_sender();
    send::toast(bot, q, t!(lang, "sheet-sent-to-member")).await?;
    show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await
}

/// Loads a sheet waiting for `ctx`'s answer as its member.
async fn member_sheet(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    sheet_id: i64,
) -> anyhow::Result<Option<(Sheet, Context)>> {
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    };
    let Some(sheet_ctx) = build::load(
        &app.pool,
        sheet.membership_id,
        sheet.year as i32,
        app.today(),
        app.tz,
    )
    .await?
    else {
        send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    };
    if sheet_ctx.member.user_id != ctx.user_id() {
        tracing::warn!(
            user = ctx.user_id(),
            sheet = sheet_id,
            "member answer refused"
        );
        send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
        return Ok(None);
    }
    if sheet.state() != SheetState::WithMember || sheet.member_answer.is_some() {
        send::alert(bot, q, t!(ctx.lang, "stale-button")).await?;
        return Ok(None);
    }
    Ok(Some((sheet, sheet_ctx)))
}

/// The member's answer, for the secretary.
fn secretary_notices(sheet_ctx: &Context, answer: Answer<'_>, to: Recipient) -> Vec<Notice> {
    let name = sheet_ctx.member.full_name.as_str();
    let text = match answer {
        Answer::Accept => t!(
            to.lang,
            "secretary-told-accepted",
            name = name,
            year = sheet_ctx.year
        ),
        Answer::Respond(response) => t!(
            to.lang,
            "secretary-told-responded",
            name = name,
            year = sheet_ctx.year,
            response = response
        ),
    };
    vec![Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: send::clip(&text),
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
    sheet_id: i64,
) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    let Some((_, sheet_ctx)) = member_sheet(bot, app, ctx, q, sheet_id).await? else {
        return Ok(());
    };
    let step = sheets::member_answers(
        &app.pool,
        sheet_id,
        ctx.user_id(),
        Answer::Accept,
        app.now(),
        |_, to| secretary_notices(&sheet_ctx, Answer::Accept, to),
    )
    .await?;
    if !matches!(step, Step::Done(_)) {
        return Ok(send::alert(bot, q, t!(ctx.lang, "stale-button")).await?);
    }
    app.wake_sender();
    send::ack(bot, q).await?;
    if let Some((chat, message)) = send::pressed_message(q) {
        let text = q
            .regular_message()
            .and_then(|m| m.text())
            .unwrap_or_default();
        send::settle(
            bot,
            chat,
            message,
            format!("{text}\n\n{}", t!(ctx.lang, "member-accepted-done")),
        )
        .await;
    }
    Ok(())
}

/// The member's response, typed.
pub async fn on_response(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    sheet_id: i64,
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let response = match input::text(lang, &msg, |t| clean_text(t, MAX_REMARKS_CHARS)) {
        Ok(text) => text,
        Err(why) => {
            let ask = t!(lang, "ask-member-response", max = MAX_REMARKS_CHARS);
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        dialogue.exit().await?;
        return Ok(());
    };
    let Some(sheet_ctx) = build::load(
        &app.pool,
        sheet.membership_id,
        sheet.year as i32,
        app.today(),
        app.tz,
    )
    .await?
    else {
        dialogue.exit().await?;
        return Ok(());
    };
    let answer = Answer::Respond(&response);
    let step = sheets::member_answers(
        &app.pool,
        sheet_id,
        ctx.user_id(),
        answer,
        app.now(),
        |_, to| secretary_notices(&sheet_ctx, answer, to),
    )
    .await?;
    dialogue.exit().await?;
    if !matches!(step, Step::Done(_)) {
        send::text(&bot, ctx.chat, t!(lang, "stale-button")).await?;
        return Ok(());
    }
    app.wake_sender();
    send::text(&bot, ctx.chat, t!(lang, "member-response-done")).await?;
    Ok(())
}

fn sign_block_text(lang: Lang, block: SignBlock, app: &App) -> String {
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
    let frozen = build::frozen(&app.pool, &sheet_ctx, ctx.user_id()).await?;
    // Sealed inside the signing transaction, from the sheet as it reads it.
    let step = sheets::sign(&app.pool, sheet_id, ctx.user_id(), now, |sheet| {
        may_sign(
            sheet.state(),
            &sheet.levels(),
            sheet.sent_to_member_at,
            sheet.member_answer.is_some(),
            now,
        )?;
        let content = build::content(&sheet_ctx, sheet, frozen, ctx.user_id(), now);
        let (content, content_hash, code) = build::seal(&content);
        Ok(Sealed {
            content,
            content_hash,
            code,
        })
    })
    .await?;
    let sheet = match step {
        Step::Done(sheet) => sheet,
        Step::Refused(block) => {
            return Ok(send::alert(bot, q, sign_block_text(lang, block, app)).await?);
        }
        Step::Stale => return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?),
    };
    let code = sheet.code.clone().unwrap_or_default();
    send::toast(bot, q, t!(lang, "decision-recorded")).await?;
    tracing::info!(sheet = sheet_id, %code, "sheet signed");
    // Should this stop here, the scheduler queues the deliveries at its
    // next look (`deliver::catch_up`).
    let officers = deliver::queue(&app.pool, sheet_id, app.tz, now)
        .await?
        .unwrap_or_default();
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
    t!(
        lang,
        "verify-ok",
        name = content.member.as_str(),
        year = content.year,
        cell = content.cell.as_str(),
        signer = content.signer.as_str(),
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
        bot.send_document(chat, file).await?;
    }
    Ok(Some(code))
}
