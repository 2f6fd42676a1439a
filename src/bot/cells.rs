//! /cells: a ward administrator runs the ward's residence cells in chat.
//! The list (secretary, deputy, members, pending items; paged with the
//! pager's Previous / Next) with Add cell and, per cell, a card with
//! Invite secretary and Rename; `/cells import` takes a file of cell names
//! (XLSX or CSV), previews it and adds the new cells once. The role is
//! read from the database at every step; every button's cell or ward is
//! checked again against the presser's wards of now.

use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, Me, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    keyboards::button,
    pager::{self, Listing},
    render,
    roster::{file_error_text, others_of_album, received_file},
    state::State,
};
use crate::{
    domain::{
        Lang,
        invite::InviteKind,
        ward::{ImportPreview, ImportProblem, NameProblem, check_cell_name, import_preview},
    },
    roster_file,
    store::{
        cell_imports::{self, CancelOutcome, ImportOutcome},
        cells::{self, NameOutcome, RemoveOutcome, WardCell},
        invites, wards,
    },
    t,
    telegram::{callback_data::CallbackData, send},
};

/// Cells per page of /cells (each line has its button).
const CELLS_PER_PAGE: usize = 10;
/// Lines shown per section of an import's preview.
const PREVIEW_LINES: usize = 20;

/// `/cells` or `/cells import`.
pub async fn command(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    arg: &str,
) -> HandlerResult {
    let lang = ctx.lang;
    // Who may first: the usage is no lesson for someone who may not.
    let mine = wards::admin_of(&app.pool, ctx.user_id()).await?;
    if mine.is_empty() {
        ctx.refuse(bot, app, t!(lang, "ward-admins-only")).await?;
        return Ok(());
    }
    let import = match arg.trim().to_lowercase().as_str() {
        "" => false,
        "import" | "nhap" | "nhập" => true,
        _ => {
            send::text(bot, ctx.chat, t!(lang, "ward-cells-usage")).await?;
            return Ok(());
        }
    };
    match mine.as_slice() {
        [one] if import => ask_file(bot, ctx, dialogue, one).await?,
        [one] => show_list(bot, app, ctx, one.id).await?,
        many => {
            // (Never none: refused above.)
            let data = if import {
                CallbackData::WardImport
            } else {
                CallbackData::WardCells
            };
            let rows = many
                .iter()
                .map(|w| vec![button(w.name.clone(), data(w.id))]);
            let markup = InlineKeyboardMarkup::new(rows);
            send::with_markup(bot, ctx.chat, t!(lang, "ward-cells-choose"), markup).await?;
        }
    }
    Ok(())
}

async fn show_list(bot: &Bot, app: &App, ctx: &Ctx, ward_id: i64) -> HandlerResult {
    match listing(app, ctx, ward_id).await? {
        Some(listing) => pager::send_first(bot, ctx.chat, ctx.lang, &listing).await,
        None => {
            send::text(bot, ctx.chat, t!(ctx.lang, "ward-admins-only")).await?;
            Ok(())
        }
    }
}

/// Someone, or nobody yet.
fn who(lang: Lang, name: &Option<String>) -> String {
    name.clone()
        .unwrap_or_else(|| t!(lang, "ward-cells-nobody"))
}

/// The short label of a cell's button.
fn short(name: &str) -> String {
    let mut out: String = name.chars().take(40).collect();
    if name.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The /cells list of ward `ward_id`, if the user administers it now.
pub async fn listing(app: &App, ctx: &Ctx, ward_id: i64) -> anyhow::Result<Option<Listing>> {
    let lang = ctx.lang;
    if !wards::is_admin(&app.pool, ward_id, ctx.user_id()).await? {
        return Ok(None);
    }
    let Some(ward) = wards::get(&app.pool, ward_id).await? else {
        return Ok(None);
    };
    let all = cells::of_ward(&app.pool, ward.id).await?;
    let mut title = t!(
        lang,
        "ward-cells-title",
        ward = ward.name.as_str(),
        count = all.len()
    );
    if all.is_empty() {
        title.push('\n');
        title.push_str(&t!(lang, "ward-cells-none", ward = ward.name.as_str()));
    }
    let mut lines = Vec::with_capacity(all.len());
    let mut buttons = Vec::with_capacity(all.len());
    let mut rows = Vec::with_capacity(all.len());
    for (i, c) in all.iter().enumerate() {
        lines.push(line(lang, i + 1, c));
        buttons.push(Some(button(
            t!(lang, "ward-cells-button-open", cell = short(&c.name)),
            CallbackData::CellOpen(c.id),
        )));
        rows.push(vec![
            (i + 1).to_string(),
            c.name.clone(),
            c.secretary.clone().unwrap_or_default(),
            c.deputy.clone().unwrap_or_default(),
            c.members.to_string(),
            c.pending_joins.to_string(),
            c.pending_reports.to_string(),
        ]);
    }
    let headers = [
        "#".to_string(),
        t!(lang, "mydata-col-cell"),
        t!(lang, "ward-cells-col-secretary"),
        t!(lang, "ward-cells-col-deputy"),
        t!(lang, "ward-cells-col-members"),
        t!(lang, "ward-cells-col-joins"),
        t!(lang, "ward-cells-col-reports"),
    ];
    Ok(Some(Listing {
        view: crate::telegram::callback_data::View::Cells,
        scope: ward.id,
        year: 0,
        title,
        lines,
        buttons,
        per_page: CELLS_PER_PAGE,
        table: pager::text_table(&headers, rows),
        file_name: format!(
            "{}-{}",
            t!(lang, "page-file-cells"),
            crate::domain::file_slug(&ward.name)
        ),
        footer: vec![
            button(
                t!(lang, "ward-cells-button-add"),
                CallbackData::CellAdd(ward.id),
            ),
            button(
                t!(lang, "ward-cells-button-import"),
                CallbackData::WardImport(ward.id),
            ),
        ],
    }))
}

fn line(lang: Lang, n: usize, c: &WardCell) -> String {
    t!(
        lang,
        "ward-cells-line",
        n = n,
        cell = c.name.as_str(),
        name = who(lang, &c.secretary),
        who = who(lang, &c.deputy),
        members = c.members,
        joins = c.pending_joins,
        reports = c.pending_reports
    )
}

// ------------------------------------------------------------- buttons

/// A ward chosen for /cells.
pub async fn on_ward(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, ward: i64) -> HandlerResult {
    let Some(listing) = listing(&app, &ctx, ward).await? else {
        return refused_in(&bot, &app, &ctx, &q, Some(ward), "ward list").await;
    };
    send::ack(&bot, &q).await?;
    pager::send_first(&bot, ctx.chat, ctx.lang, &listing).await
}

/// A ward chosen for /cells import, or "Add from a file" under the list.
pub async fn on_ward_import(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    ward: i64,
) -> HandlerResult {
    let Some(ward) = administered_ward(&app, &ctx, ward).await? else {
        return refused_in(&bot, &app, &ctx, &q, Some(ward), "import").await;
    };
    send::ack(&bot, &q).await?;
    ask_file(&bot, &ctx, &dialogue, &ward).await
}

/// Add cell: asks the name.
pub async fn on_add(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    ward: i64,
) -> HandlerResult {
    let Some(ward) = administered_ward(&app, &ctx, ward).await? else {
        return refused_in(&bot, &app, &ctx, &q, Some(ward), "add cell").await;
    };
    send::ack(&bot, &q).await?;
    let button = format!("«{}»", t!(ctx.lang, "ward-cells-button-add"));
    if super::commands::kept_under_way(&bot, &ctx, &button).await? {
        return Ok(());
    }
    dialogue.update(State::CellAdd { ward_id: ward.id }).await?;
    let text = t!(ctx.lang, "ward-cell-ask-name", ward = ward.name.as_str());
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

/// A cell's card: its committee and counts, Invite secretary, Rename.
pub async fn on_open(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, cell: i64) -> HandlerResult {
    let lang = ctx.lang;
    let Some((cell, row)) = cells::administered(&app.pool, cell, ctx.user_id()).await? else {
        return refused_cell(&bot, &app, &ctx, &q, cell, "cell card").await;
    };
    send::ack(&bot, &q).await?;
    let text = card_text(&app, lang, &cell, &row).await?;
    send::with_markup(&bot, ctx.chat, text, card_buttons(lang, cell.id)).await?;
    Ok(())
}

/// A cell's card: its ward, committee and counts.
async fn card_text(
    app: &App,
    lang: Lang,
    cell: &cells::Cell,
    row: &WardCell,
) -> anyhow::Result<String> {
    let ward = wards::get(&app.pool, cell.ward_id)
        .await?
        .map(|w| w.name)
        .unwrap_or_default();
    Ok(t!(
        lang,
        "ward-cell-card",
        cell = cell.name.as_str(),
        ward = ward.as_str(),
        name = who(lang, &row.secretary),
        who = who(lang, &row.deputy),
        members = row.members,
        joins = row.pending_joins,
        reports = row.pending_reports
    ))
}

fn card_buttons(lang: Lang, cell: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            button(
                t!(lang, "ward-cell-button-invite"),
                CallbackData::CellInvite(cell),
            ),
            button(
                t!(lang, "ward-cell-button-rename"),
                CallbackData::CellRename(cell),
            ),
        ],
        vec![button(
            t!(lang, "ward-cell-button-remove"),
            CallbackData::CellRemove(cell),
        )],
    ])
}

/// Remove (on a cell's card): asks first, in place of the card.
pub async fn on_remove(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, cell: i64) -> HandlerResult {
    let lang = ctx.lang;
    let Some((cell, _)) = cells::administered(&app.pool, cell, ctx.user_id()).await? else {
        return refused_cell(&bot, &app, &ctx, &q, cell, "cell removal").await;
    };
    // A cell that cannot go is refused before asking (the store checks
    // again at the confirmation).
    if cells::in_use(&app.pool, cell.id).await? {
        let text = t!(
            lang,
            "ward-cell-remove-not-empty",
            cell = cell.name.as_str()
        );
        return Ok(send::alert(&bot, &q, text).await?);
    }
    send::ack(&bot, &q).await?;
    let confirm = InlineKeyboardMarkup::new([[
        button(
            t!(lang, "ward-cell-button-remove-yes"),
            CallbackData::CellRemoveYes(cell.id),
        ),
        button(
            t!(lang, "ward-cell-button-remove-no"),
            CallbackData::CellRemoveNo(cell.id),
        ),
    ]]);
    let text = t!(lang, "ward-cell-remove-ask", cell = cell.name.as_str());
    send::edit_pressed(&bot, &q, text, confirm).await;
    Ok(())
}

/// Remove, confirmed: the store removes the cell if nothing is in it.
pub async fn on_remove_yes(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    cell: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    match cells::remove_by_admin(&app.pool, cell, ctx.user_id(), app.now()).await? {
        RemoveOutcome::Removed { name, invites } => {
            tracing::info!(user = ctx.user_id(), cell, invites, "cell removed");
            let text = t!(lang, "ward-cell-removed", cell = name.as_str());
            send::toast(&bot, &q, text.clone()).await?;
            send::settle_pressed(&bot, &q, text).await;
            Ok(())
        }
        RemoveOutcome::NotEmpty(name) => {
            let text = t!(lang, "ward-cell-remove-not-empty", cell = name.as_str());
            send::alert(&bot, &q, text.clone()).await?;
            send::settle_pressed(&bot, &q, text).await;
            Ok(())
        }
        RemoveOutcome::NotAllowed => refused_cell(&bot, &app, &ctx, &q, cell, "cell removal").await,
    }
}

/// Keep: the card again, in place of the question.
pub async fn on_remove_no(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    cell: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some((cell, row)) = cells::administered(&app.pool, cell, ctx.user_id()).await? else {
        return refused_cell(&bot, &app, &ctx, &q, cell, "cell card").await;
    };
    send::ack(&bot, &q).await?;
    let text = card_text(&app, lang, &cell, &row).await?;
    send::edit_pressed(&bot, &q, text, card_buttons(lang, cell.id)).await;
    Ok(())
}

/// Invite secretary: a single-use secretary code for the cell, as a link.
pub async fn on_invite(
    bot: Bot,
    app: App,
    ctx: Ctx,
    me: Me,
    q: CallbackQuery,
    cell: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some((cell, _)) = cells::administered(&app.pool, cell, ctx.user_id()).await? else {
        return refused_cell(&bot, &app, &ctx, &q, cell, "secretary invite").await;
    };
    // Tapped twice: one code, the one just sent.
    if !send::pressed_once::first(&bot, &q) {
        send::toast(&bot, &q, t!(lang, "invite-link-above")).await?;
        return Ok(());
    }
    // Pressed again after a restart forgot the first press: the code made
    // seconds ago, shown again, not a second one revoking it.
    let made = invites::create_pressed(
        &app.pool,
        InviteKind::Secretary,
        invites::Target::Cell(cell.id),
        ctx.user_id(),
        app.now(),
    )
    .await?;
    let invites::Created { invite, replaced } = match made {
        invites::Pressed::Made(created) => {
            tracing::info!(
                user = ctx.user_id(),
                cell = cell.id,
                "secretary invite by a ward administrator"
            );
            created
        }
        // The code made seconds ago, shown again: nothing revoked.
        invites::Pressed::JustMade(invite) => invites::Created {
            invite,
            replaced: 0,
        },
        // Removed, or the role taken away, since the check above.
        invites::Pressed::Gone => return cell_gone(&bot, &ctx, &q).await,
        invites::Pressed::NotAllowed => {
            return refused_in(&bot, &app, &ctx, &q, Some(cell.ward_id), "secretary invite").await;
        }
    };
    send::ack(&bot, &q).await?;
    let username = me.user.username.clone().unwrap_or_default();
    let mut text = t!(
        lang,
        "ward-cell-secretary-link",
        cell = cell.name.as_str(),
        link = format!("https://t.me/{username}?start={}", invite.code),
        until = render::dmy_hm(invite.expires_at, app.tz)
    );
    if invite.handover {
        text.push_str("\n\n");
        text.push_str(&t!(
            lang,
            "ward-cell-secretary-handover",
            cell = cell.name.as_str()
        ));
    }
    if replaced > 0 {
        text.push_str("\n\n");
        text.push_str(&t!(lang, "invite-earlier-code-revoked"));
    }
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

/// Rename: asks the new name.
pub async fn on_rename(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    cell: i64,
) -> HandlerResult {
    let Some((cell, _)) = cells::administered(&app.pool, cell, ctx.user_id()).await? else {
        return refused_cell(&bot, &app, &ctx, &q, cell, "rename").await;
    };
    send::ack(&bot, &q).await?;
    let button = format!("«{}»", t!(ctx.lang, "ward-cell-button-rename"));
    if super::commands::kept_under_way(&bot, &ctx, &button).await? {
        return Ok(());
    }
    dialogue
        .update(State::CellRename { cell_id: cell.id })
        .await?;
    let text = t!(ctx.lang, "ward-cell-ask-rename", cell = cell.name.as_str());
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

async fn administered_ward(app: &App, ctx: &Ctx, ward: i64) -> anyhow::Result<Option<wards::Ward>> {
    if !wards::is_admin(&app.pool, ward, ctx.user_id()).await? {
        return Ok(None);
    }
    Ok(wards::get(&app.pool, ward).await?)
}

/// A button on a cell's card refused: the cell removed meanwhile (by this
/// or another administrator) is said so, and the card settled; otherwise
/// the usual refusal.
async fn refused_cell(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    cell: i64,
    what: &str,
) -> HandlerResult {
    if cells::was_removed(&app.pool, cell).await? {
        return cell_gone(bot, ctx, q).await;
    }
    let ward = cells::get(&app.pool, cell).await?.map(|c| c.ward_id);
    refused_in(bot, app, ctx, q, ward, what).await
}

/// A button of `ward` (of one of its cells, of a list of cells for it)
/// refused: one who administered that ward and was taken off it since
/// (while administering another, so the press reached the handler) is
/// told they no longer administer it, naming it, as one with no ward left
/// is; anyone else (another ward's administrator, forged data) is not
/// allowed.
async fn refused_in(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    ward: Option<i64>,
    what: &str,
) -> HandlerResult {
    let lost = match ward {
        Some(ward) => {
            crate::store::committee::office_lost(&app.pool, ctx.user_id(), "ward_admin", Some(ward))
                .await?
        }
        None => None,
    };
    let Some(name) = lost else {
        return refused(bot, ctx, q, what).await;
    };
    tracing::info!(user = ctx.user_id(), data = ?q.data, what, "press by a former administrator of the ward");
    let text = t!(ctx.lang, "ward-admin-role-gone", ward = name.as_str());
    send::alert(bot, q, text).await?;
    Ok(())
}

/// The cell of the pressed card was removed: said so, the card settled.
async fn cell_gone(bot: &Bot, ctx: &Ctx, q: &CallbackQuery) -> HandlerResult {
    let text = t!(ctx.lang, "ward-cell-gone");
    send::alert(bot, q, text.clone()).await?;
    send::settle_pressed(bot, q, text).await;
    Ok(())
}

async fn refused(bot: &Bot, ctx: &Ctx, q: &CallbackQuery, what: &str) -> HandlerResult {
    tracing::warn!(user = ctx.user_id(), data = ?q.data, what, "ward button refused");
    send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
    Ok(())
}

// ------------------------------------------------------- typed names

/// The name typed: checked, or why not (the step is asked again).
fn typed_name(lang: Lang, msg: &Message) -> Result<String, String> {
    let Some(text) = msg.text() else {
        let ask = t!(lang, "ward-cell-name-empty");
        return Err(format!("{}\n\n{ask}", t!(lang, "error-expect-text")));
    };
    check_cell_name(text).map_err(|problem| match problem {
        NameProblem::Empty => t!(lang, "ward-cell-name-empty"),
        NameProblem::TooShort => t!(lang, "ward-cell-name-too-short"),
        NameProblem::TooLong => t!(lang, "ward-cell-name-too-long"),
        NameProblem::NoLetter => t!(lang, "ward-cell-name-no-letter"),
    })
}

/// The new cell's name, after Add cell.
pub async fn on_add_name(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    ward_id: i64,
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let name = match typed_name(lang, &msg) {
        Ok(name) => name,
        Err(why) => {
            send::text(&bot, ctx.chat, why).await?;
            return Ok(());
        }
    };
    let ward = wards::get(&app.pool, ward_id)
        .await?
        .map(|w| w.name)
        .unwrap_or_default();
    let added = (app.now(), &super::state::ending(ctx.chat));
    // Added, the dialogue ended with it.
    match cells::add_by_admin(&app.pool, ward_id, &name, ctx.user_id(), added).await? {
        NameOutcome::Done { cell_id, .. } => {
            tracing::info!(
                user = ctx.user_id(),
                ward = ward_id,
                cell = cell_id,
                "cell added"
            );
            let text = t!(
                lang,
                "ward-cell-added",
                cell = name.as_str(),
                ward = ward.as_str()
            );
            send::with_markup(&bot, ctx.chat, text, card_buttons(lang, cell_id)).await?;
        }
        NameOutcome::Duplicate(existing) => duplicate(&bot, &ctx, &ward, &existing).await?,
        NameOutcome::NotAllowed => not_admin(&bot, &ctx, &dialogue).await?,
    }
    Ok(())
}

/// A name the ward already has: said, and the name asked again.
async fn duplicate(bot: &Bot, ctx: &Ctx, ward: &str, existing: &str) -> HandlerResult {
    let text = t!(
        ctx.lang,
        "ward-cell-name-duplicate",
        ward = ward,
        cell = existing
    );
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

/// The presser is no longer an administrator of the ward: the step ends.
async fn not_admin(bot: &Bot, ctx: &Ctx, dialogue: &Dialogue) -> HandlerResult {
    dialogue.exit().await?;
    send::text(bot, ctx.chat, t!(ctx.lang, "ward-admins-only")).await?;
    Ok(())
}

/// The cell's new name, after Rename.
pub async fn on_rename_name(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    cell_id: i64,
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let name = match typed_name(lang, &msg) {
        Ok(name) => name,
        Err(why) => {
            send::text(&bot, ctx.chat, why).await?;
            return Ok(());
        }
    };
    let renamed = (app.now(), &super::state::ending(ctx.chat));
    match cells::rename_by_admin(&app.pool, cell_id, &name, ctx.user_id(), renamed).await? {
        NameOutcome::Done { before, .. } => {
            tracing::info!(user = ctx.user_id(), cell = cell_id, "cell renamed");
            let before = before.unwrap_or_default();
            let text = t!(
                lang,
                "ward-cell-renamed",
                name = before.as_str(),
                cell = name.as_str()
            );
            send::text(&bot, ctx.chat, text).await?;
        }
        NameOutcome::Duplicate(existing) => {
            let ward = match cells::get(&app.pool, cell_id).await? {
                Some(c) => wards::get(&app.pool, c.ward_id).await?.map(|w| w.name),
                None => None,
            }
            .unwrap_or_default();
            duplicate(&bot, &ctx, &ward, &existing).await?;
        }
        NameOutcome::NotAllowed if cells::was_removed(&app.pool, cell_id).await? => {
            dialogue.exit().await?;
            send::text(&bot, ctx.chat, t!(lang, "ward-cell-gone")).await?;
        }
        NameOutcome::NotAllowed => not_admin(&bot, &ctx, &dialogue).await?,
    }
    Ok(())
}

// ------------------------------------------------------------- import

async fn ask_file(bot: &Bot, ctx: &Ctx, dialogue: &Dialogue, ward: &wards::Ward) -> HandlerResult {
    if super::commands::kept_under_way(bot, ctx, "/cells import").await? {
        return Ok(());
    }
    dialogue
        .update(State::CellImportFile { ward_id: ward.id })
        .await?;
    let text = t!(ctx.lang, "ward-cells-import-ask", ward = ward.name.as_str());
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

/// A message while the file of cell names is awaited.
pub async fn on_import_file(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    ward_id: i64,
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(ward) = administered_ward(&app, &ctx, ward_id).await? else {
        return not_admin(&bot, &ctx, &dialogue).await;
    };
    let Some(bytes) = received_file(&bot, &ctx, &msg).await? else {
        return Ok(());
    };
    let existing: Vec<String> = cells::in_ward(&app.pool, ward.id)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    let work = tokio::task::spawn_blocking(move || {
        let grid = roster_file::grid(&bytes)?;
        import_preview(&grid, &existing).map_err(roster_file::grid_error)
    });
    let preview = match work.await? {
        Ok(preview) => preview,
        Err(err) => {
            send::text(&bot, ctx.chat, file_error_text(lang, err)).await?;
            return Ok(());
        }
    };
    let text = preview_text(lang, &ward.name, &preview);
    if preview.new.is_empty() {
        // Nothing to add: the step stays, another file may come.
        let text = format!("{text}\n\n{}", t!(lang, "ward-cells-import-nothing"));
        send::text(&bot, ctx.chat, text).await?;
        return Ok(());
    }
    let Some(upload) =
        cell_imports::create(&app.pool, ward.id, ctx.user_id(), &preview.new, app.now()).await?
    else {
        // No longer an administrator of the ward (read again where the
        // list is stored): no preview.
        return not_admin(&bot, &ctx, &dialogue).await;
    };
    tracing::info!(
        upload,
        ward = ward.id,
        new = preview.new.len(),
        "cells previewed"
    );
    let mut text = format!(
        "{text}\n\n{}",
        t!(lang, "ward-cells-import-footer", count = preview.new.len())
    );
    if let Some(more) = others_of_album(&app, &ctx, &msg, "/cells import") {
        text = format!("{text}\n\n{more}");
    }
    let keyboard = InlineKeyboardMarkup::new([vec![
        button(
            t!(lang, "ward-cells-button-import-confirm"),
            CallbackData::CellsImport(upload),
        ),
        button(
            t!(lang, "ward-cells-button-import-cancel"),
            CallbackData::CellsCancel(upload),
        ),
    ]]);
    send::with_markup(&bot, ctx.chat, text, keyboard).await?;
    // Only now: killed before the preview reached the administrator, the
    // dialogue still waits for the file, and the file sent again is
    // previewed.
    dialogue.exit().await?;
    Ok(())
}

/// The preview: rows read, names to add, rows left out with their line
/// and reason; long sections are cut.
pub fn preview_text(lang: Lang, ward: &str, p: &ImportPreview) -> String {
    let name = render::preview_name;
    let mut out = render::FilePreview::new(
        t!(
            lang,
            "ward-cells-import-header",
            ward = ward,
            count = p.read
        ),
        PREVIEW_LINES,
        |count| t!(lang, "ward-cells-import-more", count = count),
    );
    out.section(
        t!(lang, "ward-cells-import-new", count = p.new.len()),
        &p.new,
        |(line, n): &(u32, String)| {
            let (line, n) = (*line, name(n));
            t!(lang, "ward-cells-import-line", line = line, name = n)
        },
    );
    if !p.refused.is_empty() {
        let title = t!(lang, "ward-cells-import-refused", count = p.refused.len());
        out.section(
            title,
            &p.refused,
            |(line, problem): &(u32, ImportProblem)| {
                let line = *line;
                match problem {
                    ImportProblem::InWard(n) => t!(
                        lang,
                        "ward-cells-import-in-ward",
                        line = line,
                        name = name(n),
                        ward = ward
                    ),
                    ImportProblem::RepeatOf(n, first) => {
                        let first = *first;
                        t!(
                            lang,
                            "ward-cells-import-repeat",
                            line = line,
                            name = name(n),
                            first = first
                        )
                    }
                    ImportProblem::Name(NameProblem::Empty) => {
                        t!(lang, "ward-cells-import-empty-name", line = line)
                    }
                    ImportProblem::Name(NameProblem::TooShort) => {
                        t!(lang, "ward-cells-import-short", line = line)
                    }
                    ImportProblem::Name(NameProblem::TooLong) => {
                        t!(lang, "ward-cells-import-long", line = line)
                    }
                    ImportProblem::Name(NameProblem::NoLetter) => {
                        t!(lang, "ward-cells-import-no-letter", line = line)
                    }
                }
            },
        );
    }
    out.text()
}

/// Import: the previewed names become cells, once.
pub async fn on_import(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    match cell_imports::import(&app.pool, id, ctx.user_id(), app.now()).await? {
        ImportOutcome::Imported {
            ward_id,
            added,
            skipped,
        } => {
            tracing::info!(
                upload = id,
                ward = ward_id,
                added = added.len(),
                "cells imported"
            );
            let ward = wards::get(&app.pool, ward_id)
                .await?
                .map(|w| w.name)
                .unwrap_or_default();
            send::ack(&bot, &q).await?;
            let mut text = t!(
                lang,
                "ward-cells-imported",
                count = added.len(),
                ward = ward.as_str()
            );
            if !skipped.is_empty() {
                text.push('\n');
                text.push_str(&t!(
                    lang,
                    "ward-cells-imported-skipped",
                    count = skipped.len(),
                    names = skipped.join(", ")
                ));
            }
            // The answer before the buttons go: killed between the import
            // and its answer, Import is still there to press, and says the
            // list was imported.
            send::long(&bot, ctx.chat, &text).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::AlreadyImported => {
            send::alert(&bot, &q, t!(lang, "ward-cells-import-done-before")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::Gone => {
            send::alert(&bot, &q, t!(lang, "ward-cells-import-gone")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::NotAllowed => {
            let ward = cell_imports::ward_of(&app.pool, id).await?;
            return refused_in(&bot, &app, &ctx, &q, ward, "cells import").await;
        }
    }
    Ok(())
}

/// Cancel: nothing is added.
pub async fn on_cancel(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    match cell_imports::cancel(&app.pool, id, ctx.user_id(), app.now()).await? {
        CancelOutcome::Cancelled | CancelOutcome::Gone => {
            send::ack(&bot, &q).await?;
            // As Import: the answer first.
            send::text(&bot, ctx.chat, t!(lang, "ward-cells-import-cancelled")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        CancelOutcome::AlreadyImported => {
            send::alert(&bot, &q, t!(lang, "ward-cells-import-done-before")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        CancelOutcome::NotAllowed => {
            let ward = cell_imports::ward_of(&app.pool, id).await?;
            return refused_in(&bot, &app, &ctx, &q, ward, "cells cancel").await;
        }
    }
    Ok(())
}
