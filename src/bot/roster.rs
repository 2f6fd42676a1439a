//! /roster: an officer uploads the workplace's roster (XLSX or CSV), sees a
//! preview (matched, not registered, bad rows) and imports it or cancels.
//! The parsed rows wait in the database (`store::roster`), so a restart
//! between the preview and Import loses nothing.

use futures::StreamExt;
use teloxide::{
    net::Download,
    prelude::*,
    types::{InlineKeyboardMarkup, Message},
};

use super::{
    App, Dialogue, HandlerResult, context::Ctx, keyboards::button, render,
    roles::refuse_officer_press, state::State,
};
use crate::telegram::{callback_data::CallbackData, send};
use crate::{
    domain::{
        Lang,
        roster::{self, MAX_FILE_BYTES, MatchedBy, Preview, Problem},
    },
    roster_file::{self, FileError},
    store::{
        committee::OfficerItem,
        roster::{self as store, CancelOutcome, ImportOutcome},
        workplaces,
    },
    t,
};

/// Lines shown per section of the preview.
const PREVIEW_LINES: usize = 15;

/// `/roster [ID]`: asks for the file.
pub async fn start(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    arg: &str,
) -> HandlerResult {
    let lang = ctx.lang;
    let places = workplaces::officer_of(&app.pool, ctx.user_id()).await?;
    let place = match places.as_slice() {
        [] => {
            ctx.refuse(bot, app, t!(lang, "officers-only")).await?;
            return Ok(());
        }
        [one] => one.clone(),
        many => match many.iter().find(|p| arg.parse() == Ok(p.id)) {
            Some(p) => p.clone(),
            None => {
                let mut text = t!(lang, "roster-choose");
                for p in many {
                    text.push('\n');
                    text.push_str(&t!(
                        lang,
                        "roster-choose-line",
                        id = p.id,
                        name = p.name.as_str()
                    ));
                }
                send::text(bot, ctx.chat, text).await?;
                return Ok(());
            }
        },
    };
    if super::commands::kept_under_way(bot, ctx, "/roster").await? {
        return Ok(());
    }
    dialogue
        .update(State::RosterFile {
            workplace_id: place.id,
        })
        .await?;
    let text = t!(lang, "roster-ask", workplace = place.name.as_str());
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

/// A message while the roster file is awaited.
pub async fn on_message(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    workplace_id: i64,
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let places = workplaces::officer_of(&app.pool, ctx.user_id()).await?;
    let Some(place) = places.into_iter().find(|p| p.id == workplace_id) else {
        dialogue.exit().await?;
        send::text(&bot, ctx.chat, t!(lang, "officers-only")).await?;
        return Ok(());
    };
    let Some(bytes) = received_file(&bot, &ctx, &msg).await? else {
        return Ok(());
    };
    let members = store::registered(&app.pool).await?;
    let introduced = store::introduced_members(&app.pool, workplace_id).await?;
    let work = tokio::task::spawn_blocking(move || {
        roster_file::read(&bytes).map(|parsed| {
            let preview = roster::preview(&parsed, &members, workplace_id, &introduced);
            (parsed, preview)
        })
    });
    let (parsed, preview) = match work.await? {
        Ok(done) => done,
        Err(err) => return refuse(&bot, &ctx, file_error_text(lang, err)).await,
    };
    // Nothing valid to import: importing would only empty the roster. The
    // rows' problems are shown; the step stays for a corrected file.
    if parsed.rows.is_empty() {
        let text = preview_text(lang, &place.name, &preview, 0);
        return refuse(&bot, &ctx, text).await;
    }
    // The role read again where the upload is stored: taken away while
    // the file was read, no preview (it names the members' cells).
    let Some(upload) = store::create_officer_upload(
        &app.pool,
        ctx.user_id(),
        workplace_id,
        &parsed.rows,
        app.now(),
    )
    .await?
    else {
        dialogue.exit().await?;
        send::text(&bot, ctx.chat, t!(lang, "officers-only")).await?;
        return Ok(());
    };
    tracing::info!(
        upload,
        workplace = workplace_id,
        rows = parsed.rows.len(),
        "roster previewed"
    );
    let mut text = preview_text(lang, &place.name, &preview, parsed.rows.len());
    if let Some(more) = others_of_album(&app, &ctx, &msg, "/roster") {
        text = format!("{text}\n\n{more}");
    }
    let keyboard = InlineKeyboardMarkup::new([vec![
        button(
            t!(lang, "roster-button-import"),
            CallbackData::RosterImport(upload),
        ),
        button(
            t!(lang, "roster-button-cancel"),
            CallbackData::RosterCancel(upload),
        ),
    ]]);
    send::with_markup(&bot, ctx.chat, text, keyboard).await?;
    // Only now: killed before the preview reached the officer, the dialogue
    // still waits for the file, and the file sent again is previewed.
    dialogue.exit().await?;
    Ok(())
}

/// The spreadsheet a message carries (a roster, a list of cells), at most
/// [`MAX_FILE_BYTES`]; `None` once the user was told why there is none: not
/// a document (a photo), too large (refused before the download when the
/// size is known), or not downloaded.
pub(super) async fn received_file(
    bot: &Bot,
    ctx: &Ctx,
    msg: &Message,
) -> anyhow::Result<Option<Vec<u8>>> {
    let lang = ctx.lang;
    let refused = |text: String| async move {
        send::text(bot, ctx.chat, text).await?;
        anyhow::Ok(None)
    };
    let Some(document) = msg.document() else {
        return if msg.photo().is_some() {
            refused(t!(lang, "roster-not-document")).await
        } else {
            refused(t!(lang, "roster-send-file")).await
        };
    };
    if u64::from(document.file.size) > MAX_FILE_BYTES {
        return refused(t!(lang, "roster-too-large")).await;
    }
    match download(bot, &document.file.id.0).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Fetch::TooLarge) => refused(t!(lang, "roster-too-large")).await,
        Err(Fetch::Failed(err)) => {
            tracing::warn!(%err, "could not download a file");
            refused(t!(lang, "roster-download-failed")).await
        }
    }
}

/// A file previewed out of several sent at once (an album of files): the
/// others are not read (answered no further, see
/// `context::repeated_album_item`); what to tell about them.
pub(super) fn others_of_album(
    app: &App,
    ctx: &Ctx,
    msg: &Message,
    command: &str,
) -> Option<String> {
    let group = msg.media_group_id()?;
    app.first_of_album(ctx.chat.0, &group.0);
    Some(t!(ctx.lang, "file-album-one-read", command = command))
}

/// A file not taken: said why; the step stays, another file can come.
async fn refuse(bot: &Bot, ctx: &Ctx, text: String) -> HandlerResult {
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

pub(super) fn file_error_text(lang: Lang, err: FileError) -> String {
    match err {
        FileError::NotSpreadsheet => t!(lang, "roster-not-spreadsheet"),
        FileError::Malformed => t!(lang, "roster-malformed"),
        FileError::TooLarge => t!(lang, "roster-too-many-rows"),
        FileError::Empty => t!(lang, "roster-empty"),
        FileError::NotUtf8 => t!(lang, "roster-not-utf8"),
        FileError::OldOffice => t!(lang, "roster-old-excel"),
    }
}

pub(super) enum Fetch {
    TooLarge,
    Failed(String),
}

/// `getFile`, then the file's URL on the Bot API server, never more than
/// [`MAX_FILE_BYTES`] whatever the file claims.
pub(super) async fn download(bot: &Bot, file_id: &str) -> Result<Vec<u8>, Fetch> {
    let file = bot
        .get_file(teloxide::types::FileId(file_id.to_owned()))
        .await
        .map_err(|e| Fetch::Failed(e.to_string()))?;
    if u64::from(file.meta.size) > MAX_FILE_BYTES {
        return Err(Fetch::TooLarge);
    }
    let mut stream = bot.download_file_stream(&file.path);
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Fetch::Failed(e.to_string()))?;
        if (bytes.len() + chunk.len()) as u64 > MAX_FILE_BYTES {
            return Err(Fetch::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The preview: rows read, matched (with the cell), not registered, bad
/// rows with their line and reason; long sections are cut.
pub fn preview_text(lang: Lang, workplace: &str, p: &Preview, good: usize) -> String {
    let name = render::preview_name;
    let mut out = render::FilePreview::new(
        t!(
            lang,
            "roster-preview-header",
            workplace = workplace,
            read = p.read,
            // As the language writes it ("1.200", "5.000" in the question
            // above); `read` picks the form.
            rows = crate::i18n::count(lang, p.read)
        ),
        PREVIEW_LINES,
        |count| t!(lang, "roster-more", count = crate::i18n::count(lang, count)),
    );
    out.section(
        t!(
            lang,
            "roster-preview-matched",
            count = crate::i18n::count(lang, p.matched.len())
        ),
        &p.matched,
        |(line, n, cell, by): &(u32, String, Option<String>, MatchedBy)| {
            let by = match by {
                MatchedBy::Phone => "phone",
                MatchedBy::Name => "name",
                MatchedBy::Introduction => "introduction",
            };
            let (line, n) = (*line, name(n));
            match cell {
                Some(cell) => t!(
                    lang,
                    "roster-matched-line",
                    line = line,
                    name = n,
                    cell = name(cell),
                    by = by
                ),
                None => t!(
                    lang,
                    "roster-matched-elsewhere-line",
                    line = line,
                    name = n,
                    by = by
                ),
            }
        },
    );
    out.section(
        t!(
            lang,
            "roster-preview-unregistered",
            count = crate::i18n::count(lang, p.unregistered.len())
        ),
        &p.unregistered,
        |(line, n): &(u32, String)| {
            let (line, n) = (*line, name(n));
            t!(lang, "roster-unregistered-line", line = line, name = n)
        },
    );
    if !p.bad.is_empty() {
        out.section(
            t!(
                lang,
                "roster-preview-bad",
                count = crate::i18n::count(lang, p.bad.len())
            ),
            &p.bad,
            |bad| bad_line(lang, bad.line, &bad.problem),
        );
    }
    out.footer(match good {
        0 => t!(lang, "roster-nothing-valid"),
        good => t!(
            lang,
            "roster-preview-footer",
            count = good,
            rows = crate::i18n::count(lang, good)
        ),
    });
    out.text()
}

fn bad_line(lang: Lang, line: u32, problem: &Problem) -> String {
    match problem {
        Problem::NoName => t!(lang, "roster-bad-no-name", line = line),
        Problem::NameTooLong => t!(lang, "roster-bad-name-too-long", line = line),
        Problem::BadPhone(phone) => {
            t!(
                lang,
                "roster-bad-phone",
                line = line,
                phone = phone.as_str()
            )
        }
        Problem::SeveralPhones(phone) => {
            t!(
                lang,
                "roster-bad-several-phones",
                line = line,
                phone = phone.as_str()
            )
        }
        Problem::BadBirthDate(date) => {
            t!(lang, "roster-bad-birth", line = line, date = date.as_str())
        }
        Problem::DuplicateOf(of) => {
            let of = *of;
            t!(lang, "roster-bad-duplicate", line = line, of = of)
        }
    }
}

/// Import: replaces the workplace's roster, once, if the presser is the
/// uploader and still an officer of the workplace.
pub async fn on_import(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    match store::import(&app.pool, id, Some(ctx.user_id()), app.now()).await? {
        ImportOutcome::Imported { rows, workplace_id } => {
            tracing::info!(
                upload = id,
                workplace = workplace_id,
                rows,
                "roster imported"
            );
            let name = workplaces::get(&app.pool, workplace_id)
                .await?
                .map(|w| w.name)
                .unwrap_or_default();
            send::ack(&bot, &q).await?;
            let text = t!(
                lang,
                "roster-imported",
                workplace = name.as_str(),
                count = rows,
                people = crate::i18n::count(lang, rows)
            );
            // The answer before the buttons go: killed between the import
            // and its answer, Import is still there to press, and says the
            // roster was imported.
            send::text(&bot, ctx.chat, text).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::AlreadyImported => {
            send::alert(&bot, &q, t!(lang, "roster-already-imported")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::Gone => {
            send::alert(&bot, &q, t!(lang, "roster-gone")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::Replaced => {
            let text = t!(lang, "roster-replaced", count = store::PENDING_PER_OFFICER);
            send::alert(&bot, &q, text).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::Superseded => {
            send::alert(&bot, &q, t!(lang, "roster-superseded")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        ImportOutcome::NotAllowed => {
            let item = (OfficerItem::RosterUpload, id);
            refuse_officer_press(&bot, &app, &ctx, &q, item).await?;
        }
    }
    Ok(())
}

/// Cancel: the upload is deleted; nothing is stored.
pub async fn on_cancel(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    match store::cancel(&app.pool, id, ctx.user_id()).await? {
        CancelOutcome::Cancelled | CancelOutcome::Gone => {
            send::ack(&bot, &q).await?;
            // As Import: the answer first.
            send::text(&bot, ctx.chat, t!(lang, "roster-cancelled")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        CancelOutcome::AlreadyImported => {
            send::alert(&bot, &q, t!(lang, "roster-already-imported")).await?;
            send::remove_buttons(&bot, &q).await;
        }
        CancelOutcome::NotAllowed => {
            let item = (OfficerItem::RosterUpload, id);
            refuse_officer_press(&bot, &app, &ctx, &q, item).await?;
        }
    }
    Ok(())
}
