//! Year-end comment sheets in the chat: the secretary's /sheets, the
//! draft built from the evidence, the member's answer, the signature and
//! delivery to the workplace; /verify for anyone.

use chrono::{DateTime, Datelike, Utc};
use teloxide::{
    prelude::*,
    types::{
        CallbackQuery, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message,
    },
};

use super::{
    App, Dialogue, HandlerResult, callback_data::CallbackData, context::Ctx, input, render::dmy_hm,
    send, state::State,
};
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
        docx::render_docx,
        pdf::render_pdf,
    },
    store::{
        audit, cells,
        sheets::{self, Sheet, Signature},
        users, workplaces,
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

/// The sheet buttons (secretary's and member's).
pub async fn on_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
) -> HandlerResult {
    let lang = ctx.lang;
    match data {
        CallbackData::SheetOpen(membership_id) => {
            let year = match open_yet(app) {
                Ok(year) => year,
                Err(date) => {
                    return Ok(
                        send::alert(bot, q, t!(lang, "sheets-not-open", date = date)).await?,
                    );
                }
            };
            let Some(sheet_ctx) =
                build::load(&app.pool, membership_id, year, app.today(), app.tz).await?
            else {
                return Ok(send::alert(bot, q, t!(lang, "not-allowed")).await?);
            };
            let mine = cells::secretary_of(&app.pool, sheet_ctx.member.cell_id).await?
                == Some(ctx.user_id());
            if !mine || sheet_ctx.member.user_id == ctx.user_id() {
                tracing::warn!(user = ctx.user_id(), membership_id, "sheet open refused");
                return Ok(send::alert(bot, q, t!(lang, "not-allowed")).await?);
            }
            if sheet_ctx.exemption().is_some() {
                return Ok(send::alert(bot, q, t!(lang, "sheet-exempt-none")).await?);
            }
            send::ack(bot, q).await?;
            let sheet = sheets::open_draft(
                &app.pool,
                membership_id,
                year,
                &sheet_ctx.evidence.suggest(),
                app.now(),
            )
            .await?;
            show(bot, app, ctx, &sheet_ctx, &sheet, None).await
        }
        CallbackData::SheetLevel(sheet_id, criterion, level) => {
            let Some((sheet, sheet_ctx)) =
                secretary_sheet(bot, app, ctx, Some(q), sheet_id).await?
            else {
                return Ok(());
            };
            let mut levels = sheet.levels();
            levels[criterion as usize] = Some(level);
            if !sheets::set_level(&app.pool, sheet_id, &levels, app.now()).await? {
                return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?);
            }
            send::ack(bot, q).await?;
            let sheet = sheets::get(&app.pool, sheet_id).await?.unwrap_or(sheet);
            show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await
        }
        CallbackData::SheetRemarks(sheet_id) => {
            let Some((sheet, _)) = secretary_sheet(bot, app, ctx, Some(q), sheet_id).await? else {
                return Ok(());
            };
            if sheet.state() != SheetState::Draft {
                return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?);
            }
            send::ack(bot, q).await?;
            dialogue.update(State::SheetRemarks { sheet_id }).await?;
            send::text(
                bot,
                ctx.chat,
                t!(lang, "ask-remarks", max = MAX_REMARKS_CHARS),
            )
            .await?;
            Ok(())
        }
        CallbackData::SheetSend(sheet_id) => send_to_member(bot, app, ctx, q, sheet_id).await,
        CallbackData::SheetReopen(sheet_id) => {
            let Some((_, sheet_ctx)) = secretary_sheet(bot, app, ctx, Some(q), sheet_id).await?
            else {
                return Ok(());
            };
            let mut tx = crate::store::tx::begin(&app.pool).await?;
            if !sheets::reopen(&mut tx, sheet_id, app.now()).await? {
                return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?);
            }
            audit::append(
                &mut tx,
                sheet_entry(ctx.user_id(), "reopen", sheet_id, serde_json::json!({})),
                app.now(),
            )
            .await?;
            tx.commit().await?;
            send::ack(bot, q).await?;
            let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
                return Ok(());
            };
            show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await
        }
        CallbackData::SheetSign(sheet_id) => sign(bot, app, ctx, q, sheet_id).await,
        CallbackData::SheetAccept(sheet_id) => member_accepts(bot, app, ctx, q, sheet_id).await,
        CallbackData::SheetRespond(sheet_id) => {
            let Some((sheet, _)) = member_sheet(bot, app, ctx, q, sheet_id).await? else {
                return Ok(());
            };
            send::ack(bot, q).await?;
            dialogue
                .update(State::SheetResponse { sheet_id: sheet.id })
                .await?;
            send::text(
                bot,
                ctx.chat,
                t!(lang, "ask-member-response", max = MAX_REMARKS_CHARS),
            )
            .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn sheet_entry(
    actor: i64,
    action: &'static str,
    sheet_id: i64,
    details: serde_json::Value,
) -> audit::Entry<'static> {
    audit::Entry {
        actor: Some(actor),
        action,
        subject: "sheet",
        subject_id: sheet_id,
        details,
    }
}

/// The remarks typed by the secretary.
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

async fn send_to_member(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    sheet_id: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some((sheet, sheet_ctx)) = secretary_sheet(bot, app, ctx, Some(q), sheet_id).await? else {
        return Ok(());
    };
    if sheet.state() != SheetState::Draft {
        return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?);
    }
    if sheet.levels().iter().any(Option::is_none) {
        return Ok(send::alert(bot, q, t!(lang, "sign-blocked-criteria")).await?);
    }
    let now = app.now();
    let mut tx = crate::store::tx::begin(&app.pool).await?;
    if !sheets::send_to_member(&mut tx, sheet_id, now).await? {
        return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?);
    }
    let details = serde_json::json!({ "criteria": sheet.levels(), "remarks": sheet.remarks });
    audit::append(
        &mut tx,
        sheet_entry(ctx.user_id(), "send_to_member", sheet_id, details),
        now,
    )
    .await?;
    tx.commit().await?;
    send::toast(bot, q, t!(lang, "sheet-sent-to-member")).await?;

    let member = sheet_ctx.member.user_id;
    let member_lang = users::get(&app.pool, member)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default();
    let keyboard = InlineKeyboardMarkup::new([[
        button(
            t!(member_lang, "button-accept"),
            CallbackData::SheetAccept(sheet_id),
        ),
        button(
            t!(member_lang, "button-respond"),
            CallbackData::SheetRespond(sheet_id),
        ),
    ]]);
    if let Err(err) = send::with_markup(
        bot,
        ChatId(member),
        member_text(member_lang, &sheet_ctx, &sheet),
        keyboard,
    )
    .await
    {
        tracing::warn!(%err, member, "could not send the draft sheet");
        send::text(bot, ctx.chat, t!(lang, "sheet-member-unreachable")).await?;
    }
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        return Ok(());
    };
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

async fn tell_secretary(
    bot: &Bot,
    app: &App,
    sheet_ctx: &Context,
    accepted: bool,
    response: Option<&str>,
) -> HandlerResult {
    let Some(secretary) = cells::secretary_of(&app.pool, sheet_ctx.member.cell_id).await? else {
        return Ok(());
    };
    let lang = users::get(&app.pool, secretary)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default();
    let name = sheet_ctx.member.full_name.as_str();
    let text = if accepted {
        t!(
            lang,
            "secretary-told-accepted",
            name = name,
            year = sheet_ctx.year
        )
    } else {
        t!(
            lang,
            "secretary-told-responded",
            name = name,
            year = sheet_ctx.year,
            response = response.unwrap_or_default()
        )
    };
    if let Err(err) = send::text(bot, ChatId(secretary), text).await {
        tracing::warn!(%err, "could not tell the secretary");
    }
    Ok(())
}

async fn member_accepts(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    sheet_id: i64,
) -> HandlerResult {
    let Some((_, sheet_ctx)) = member_sheet(bot, app, ctx, q, sheet_id).await? else {
        return Ok(());
    };
    let now = app.now();
    let mut tx = crate::store::tx::begin(&app.pool).await?;
    if !sheets::member_answers(&mut tx, sheet_id, "accepted", None, now).await? {
        return Ok(send::alert(bot, q, t!(ctx.lang, "stale-button")).await?);
    }
    audit::append(
        &mut tx,
        sheet_entry(
            ctx.user_id(),
            "member_accept",
            sheet_id,
            serde_json::json!({}),
        ),
        now,
    )
    .await?;
    tx.commit().await?;
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
    tell_secretary(bot, app, &sheet_ctx, true, None).await
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
    dialogue.exit().await?;
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
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
        return Ok(());
    };
    if sheet_ctx.member.user_id != ctx.user_id() {
        send::text(&bot, ctx.chat, t!(lang, "not-allowed")).await?;
        return Ok(());
    }
    let now = app.now();
    let mut tx = crate::store::tx::begin(&app.pool).await?;
    if !sheets::member_answers(&mut tx, sheet_id, "responded", Some(&response), now).await? {
        send::text(&bot, ctx.chat, t!(lang, "stale-button")).await?;
        return Ok(());
    }
    let details = serde_json::json!({ "response": response });
    audit::append(
        &mut tx,
        sheet_entry(ctx.user_id(), "member_respond", sheet_id, details),
        now,
    )
    .await?;
    tx.commit().await?;
    send::text(&bot, ctx.chat, t!(lang, "member-response-done")).await?;
    tell_secretary(&bot, &app, &sheet_ctx, false, Some(&response)).await
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

fn file_name(content: &build::SignedContent, extension: &str) -> String {
    let slug: String = content
        .member
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    format!("phieu-nhan-xet-{}-{}.{extension}", content.year, slug)
}

async fn sign(bot: &Bot, app: &App, ctx: &Ctx, q: &CallbackQuery, sheet_id: i64) -> HandlerResult {
    let lang = ctx.lang;
    let Some((sheet, sheet_ctx)) = secretary_sheet(bot, app, ctx, Some(q), sheet_id).await? else {
        return Ok(());
    };
    let now = app.now();
    if let Err(block) = may_sign(
        sheet.state(),
        &sheet.levels(),
        sheet.sent_to_member_at,
        sheet.member_answer.is_some(),
        now,
    ) {
        return Ok(send::alert(bot, q, sign_block_text(lang, block, app)).await?);
    }
    let content = build::content_now(&app.pool, &sheet_ctx, &sheet, ctx.user_id(), now).await?;
    let (text, hash, code) = build::seal(&content);
    let mut tx = crate::store::tx::begin(&app.pool).await?;
    let signature = Signature {
        by: ctx.user_id(),
        content: &text,
        content_hash: &hash,
        code: &code,
    };
    if !sheets::sign(&mut tx, sheet_id, signature, now).await? {
        return Ok(send::alert(bot, q, t!(lang, "stale-button")).await?);
    }
    let details = serde_json::json!({ "code": code, "content_hash": hash });
    audit::append(
        &mut tx,
        sheet_entry(ctx.user_id(), "sign", sheet_id, details),
        now,
    )
    .await?;
    tx.commit().await?;
    send::toast(bot, q, t!(lang, "decision-recorded")).await?;
    tracing::info!(sheet = sheet_id, %code, "sheet signed");

    let delivered = deliver(bot, app, &sheet_ctx, &content, &code).await?;
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        return Ok(());
    };
    show(bot, app, ctx, &sheet_ctx, &sheet, Some(q)).await?;
    let done = if delivered > 0 {
        t!(
            lang,
            "sheet-signed-done",
            code = code.as_str(),
            officers = delivered
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
    // The secretary keeps a copy too.
    send_document(
        bot,
        app,
        ChatId(ctx.user_id()),
        &sheet_ctx,
        &content,
        &code,
        None,
    )
    .await?;
    Ok(())
}

/// Builds the DOCX of a signed sheet.
/// The form as it was signed: the cited decisions only.
fn document_of(
    app: &App,
    sheet_ctx: &Context,
    content: &build::SignedContent,
    code: &str,
) -> crate::sheet::docx::SheetDocument {
    let mut frozen = sheet_ctx.clone();
    frozen
        .cited
        .retain(|c| content.evidence.iter().any(|e| e.report_id == c.id));
    build::document(content, evidence_lines(Lang::Vi, &frozen), code, app.tz)
}

/// Sends the signed sheet as DOCX (with the caption) and as PDF. False if
/// the chat cannot be reached.
async fn send_document(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    sheet_ctx: &Context,
    content: &build::SignedContent,
    code: &str,
    caption: Option<String>,
) -> anyhow::Result<bool> {
    let doc = document_of(app, sheet_ctx, content, code);
    let files = [
        (render_docx(&doc)?, file_name(content, "docx"), caption),
        (render_pdf(&doc)?, file_name(content, "pdf"), None),
    ];
    for (bytes, name, caption) in files {
        let mut request = bot.send_document(chat, InputFile::memory(bytes).file_name(name));
        if let Some(caption) = caption {
            request = request.caption(send::clip(&caption).chars().take(1000).collect::<String>());
        }
        match request.await {
            Ok(_) => {}
            Err(err) if send::is_unreachable(&err) => {
                tracing::warn!(chat = chat.0, %err, "cannot deliver the sheet");
                return Ok(false);
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(true)
}

/// Sends the signed sheet to the officers of the member's workplace and to
/// the member. Returns how many officers received it.
async fn deliver(
    bot: &Bot,
    app: &App,
    sheet_ctx: &Context,
    content: &build::SignedContent,
    code: &str,
) -> anyhow::Result<usize> {
    let mut delivered = 0;
    if let Some(workplace) = sheet_ctx.member.workplace_id {
        for officer in workplaces::officers(&app.pool, workplace).await? {
            let lang = users::get(&app.pool, officer)
                .await?
                .map(|u| u.lang())
                .unwrap_or_default();
            let summary = t!(
                lang,
                "sheet-delivered-officer",
                name = content.member.as_str(),
                year = content.year,
                cell = content.cell.as_str(),
                ward = content.ward.as_str(),
                signer = content.signer.as_str(),
                code = code
            );
            let criteria: Vec<String> = Criterion::ALL
                .iter()
                .map(|c| {
                    let level = content.criteria[c.index()]
                        .map(|l| level_label(lang, *c, l))
                        .unwrap_or_default();
                    format!("• {}: {}", criterion_label(lang, *c), level)
                })
                .collect();
            let text = format!("{summary}\n{}", criteria.join("\n"));
            if send::text(bot, ChatId(officer), send::clip(&text))
                .await
                .is_ok()
                && send_document(bot, app, ChatId(officer), sheet_ctx, content, code, None).await?
            {
                delivered += 1;
            }
        }
    }
    let member = sheet_ctx.member.user_id;
    let lang = users::get(&app.pool, member)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default();
    let caption = t!(lang, "sheet-copy-member", year = content.year, code = code);
    send_document(
        bot,
        app,
        ChatId(member),
        sheet_ctx,
        content,
        code,
        Some(caption),
    )
    .await?;
    Ok(delivered)
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

/// A signed sheet's DOCX for an officer (`/sheet NAME`).
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
    let (Some(text), Some(code)) = (&sheet.content, &sheet.code) else {
        return Ok(None);
    };
    let content: build::SignedContent = serde_json::from_str(text)?;
    let at: DateTime<Utc> = content.signed_at;
    let Some(sheet_ctx) = build::load(
        &app.pool,
        membership_id,
        year,
        at.with_timezone(&app.tz).date_naive(),
        app.tz,
    )
    .await?
    else {
        return Ok(None);
    };
    send_document(bot, app, chat, &sheet_ctx, &content, code, None).await?;
    Ok(Some(code.clone()))
}
