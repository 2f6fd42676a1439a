//! Year-end comment sheets in the chat: the secretary's /sheets, the
//! draft built from the evidence, the member's answer, the signature and
//! delivery to the workplace; /verify for anyone.

use chrono::{DateTime, Utc};
use teloxide::{
    prelude::*,
    types::{CallbackQuery, ChatId, InlineKeyboardMarkup, InputFile, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    input,
    render::dmy_hm,
    roles::may_decide_item,
    state::{State, come_back, coming_back, with_resumed},
};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        dates::format_dmy,
        membership::clean_text,
        review_year::YearOpen,
        sheet::{Criterion, SheetState, SignBlock, may_sign, sent_tag},
    },
    sheet::{
        build::{self, Context, Verification, criterion_label, evidence_lines, level_label},
        deliver,
    },
    store::{
        outbox::{Fallback, Notice, Payload, Recipient},
        sheets::{self, Answer, Sealed, Sheet, Step},
        yearly::{self, Scope},
    },
    t,
};

mod answer;
mod documents;
mod draft;
mod view;

pub use answer::*;
pub use documents::*;
pub use draft::*;
pub use view::*;

const MAX_REMARKS_CHARS: usize = 1000;

pub(super) use super::keyboards::button;

/// Whether the sheets of `year` can be drafted and signed today; the
/// refusal, naming the year and its window, otherwise.
pub fn year_open(app: &App, lang: Lang, year: i32) -> Result<(), String> {
    let window = app.review;
    let (from, until) = (
        format_dmy(window.opens(year)),
        format_dmy(window.closes(year)),
    );
    match window.state(year, app.today()) {
        YearOpen::Open => Ok(()),
        YearOpen::NotYet(_) => Err(t!(
            lang,
            "year-sheets-not-yet",
            year = year,
            from = from,
            until = until
        )),
        YearOpen::Closed(_) => Err(t!(
            lang,
            "year-sheets-closed",
            year = year,
            from = from,
            until = until
        )),
    }
}

/// The start (local midnight) of the last day the sheet of `sheet_ctx` is
/// due: its year's window closing, or its request's due date. A member's
/// time to answer the draft ends there at the latest.
pub fn last_day(app: &App, sheet_ctx: &Context) -> DateTime<Utc> {
    let day = match &sheet_ctx.request {
        None => app.review.closes(sheet_ctx.year),
        Some(r) => r.due,
    };
    crate::domain::schedule::instant(app.tz, day.and_time(chrono::NaiveTime::MIN))
}

/// Whether the sheet of `sheet_ctx` can be written today: a yearly sheet
/// of a member not exempt, within its year's window ([`year_open`]); a
/// sheet on request while its
/// request is not withdrawn.
pub fn sheet_open(app: &App, lang: Lang, sheet_ctx: &Context) -> Result<(), String> {
    match &sheet_ctx.request {
        // Exempted after the draft was opened: no periodic sheet is sent
        // or signed for them.
        None if sheet_ctx.exemption().is_some() => Err(t!(lang, "sheet-exempt-none")),
        None => year_open(app, lang, sheet_ctx.year),
        Some(r) if r.state == crate::domain::request::RequestState::Cancelled => {
            Err(t!(lang, "request-withdrawn-sheet"))
        }
        Some(_) => Ok(()),
    }
}

/// [`sheet_open`] for the member answering their own draft: an exemption
/// recorded since it was sent is said to them as theirs.
pub fn sheet_open_for_member(app: &App, lang: Lang, sheet_ctx: &Context) -> Result<(), String> {
    if sheet_ctx.request.is_none() && sheet_ctx.exemption().is_some() {
        return Err(t!(lang, "sheet-exempt-member"));
    }
    sheet_open(app, lang, sheet_ctx)
}

/// A typed text the sheet no longer takes: `why`, and the text given back
/// to keep.
pub(super) fn not_saved(lang: Lang, why: String, typed: &str) -> String {
    t!(lang, "typed-not-saved", why = why, text = typed)
}

/// What a sheet step refused by the store says: the request withdrawn
/// meanwhile, or the sheet no longer where the button was.
pub(super) fn refused_text(lang: Lang, step: &Step<impl Sized>) -> String {
    match step {
        Step::Withdrawn => t!(lang, "request-withdrawn-sheet"),
        Step::NotAllowed(_) => t!(lang, "not-allowed"),
        _ => t!(lang, "stale-button"),
    }
}

/// A press on a sheet refused by the store: the alert says why; when the
/// request was withdrawn, the pressed message also loses its buttons.
pub(super) async fn refuse_step(
    bot: &Bot,
    q: &CallbackQuery,
    lang: Lang,
    step: &Step<impl Sized>,
) -> HandlerResult {
    refuse_press(
        bot,
        q,
        refused_text(lang, step),
        matches!(step, Step::Withdrawn),
    )
    .await
}

/// A committee step refused by the store. Stale (another press, the other
/// committee member, or a redelivery came first): the alert says what the
/// sheet is now and the pressed view is brought up to date; otherwise as
/// [`refuse_step`].
pub(super) async fn refuse_or_refresh(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    (q, sheet_ctx, sheet_id): (&CallbackQuery, &Context, i64),
    step: &Step<impl Sized>,
) -> HandlerResult {
    // No longer on the cell's committee (a handover after the press was
    // checked): said so, with who writes its sheets now; the pressed view
    // loses its buttons.
    if matches!(step, Step::NotAllowed(_))
        && let Some(why) =
            crate::bot::roles::role_gone(app, ctx.lang, ctx.user_id(), sheet_ctx.member.cell_id)
                .await?
    {
        send::alert(bot, q, why).await?;
        return crate::bot::roles::settle_pressed(bot, app, q, None).await;
    }
    if matches!(step, Step::Stale)
        && let Some(sheet) = sheets::get(&app.pool, sheet_id).await?
    {
        // What happened, in a line (an alert holds 200 characters); the
        // refreshed view shows the rest.
        let now = where_it_stands(app, ctx.lang, ctx.user_id(), &sheet);
        send::alert(bot, q, now).await?;
        return show(bot, app, ctx, sheet_ctx, &sheet, Some(q)).await;
    }
    // Deleted since the press was checked (its member erased their data,
    // moved or left at that moment): said gone, as to a later press, and
    // the pressed message loses its buttons.
    if matches!(step, Step::Stale) && sheets::gone(&app.pool, sheet_id).await? {
        return refuse_press(bot, q, t!(ctx.lang, "sheet-gone"), true).await;
    }
    refuse_step(bot, q, ctx.lang, step).await
}

/// What a sheet is now, said to a committee's press that a step got to
/// first (the presser's own earlier press, the other committee member's,
/// the member's answer): signed, by whom and when; with the member,
/// answered or waiting since when; taken back to be changed.
pub(super) fn where_it_stands(app: &App, lang: Lang, me: i64, sheet: &Sheet) -> String {
    let when = |at: Option<DateTime<Utc>>| at.map(|at| dmy_hm(at, app.tz)).unwrap_or_default();
    match sheet.state() {
        SheetState::Signed if sheet.signed_by == Some(me) => {
            t!(
                lang,
                "sheet-now-signed-by-you",
                when = when(sheet.signed_at)
            )
        }
        SheetState::Signed => {
            let signer = build::SignedContent::of(sheet)
                .map(|c| c.signer)
                .unwrap_or_default();
            t!(
                lang,
                "sheet-now-signed",
                signer = signer.as_str(),
                when = when(sheet.signed_at)
            )
        }
        SheetState::WithMember => match sheet.member_answer.as_deref() {
            Some("accepted") => t!(
                lang,
                "sheet-now-accepted",
                when = when(sheet.member_answered_at)
            ),
            Some(_) => t!(
                lang,
                "sheet-now-responded",
                when = when(sheet.member_answered_at)
            ),
            None => t!(
                lang,
                "sheet-now-with-member",
                when = when(sheet.sent_to_member_at)
            ),
        },
        SheetState::Draft | SheetState::NotStarted => {
            t!(lang, "sheet-now-draft", when = when(Some(sheet.updated_at)))
        }
    }
}

/// What the member's press on their draft meets when the draft no longer
/// awaits their answer: their own answer given already (and when), the
/// sheet signed, or the draft taken back to be changed.
fn answered_already(app: &App, lang: Lang, sheet: &Sheet) -> String {
    let when = |at: Option<DateTime<Utc>>| at.map(|at| dmy_hm(at, app.tz)).unwrap_or_default();
    match (sheet.state(), sheet.member_answer.as_deref()) {
        (SheetState::Signed, _) => where_it_stands(app, lang, 0, sheet),
        (SheetState::WithMember, Some("accepted")) => t!(
            lang,
            "sheet-answered-accepted",
            when = when(sheet.member_answered_at)
        ),
        (SheetState::WithMember, Some(_)) => t!(
            lang,
            "sheet-answered-responded",
            when = when(sheet.member_answered_at)
        ),
        (SheetState::Draft, _) => t!(lang, "member-response-draft-taken-back"),
        _ => t!(lang, "stale-button"),
    }
}

/// The member's answer refused by the store: as [`refused_text`], or the
/// draft answered was sent again since.
pub(super) fn answer_refused_text(lang: Lang, step: &Step<sheets::Replaced>) -> String {
    match step {
        Step::Refused(sheets::Replaced) => t!(lang, "sheet-draft-replaced"),
        other => refused_text(lang, other),
    }
}

/// Refuses a press with an alert saying `why`; refused `for_good` (the
/// request was withdrawn, or went with its member to another cell) also
/// takes the buttons off the pressed message, `why` under its text, so
/// they are not pressed again.
pub(crate) async fn refuse_press(
    bot: &Bot,
    q: &CallbackQuery,
    why: String,
    for_good: bool,
) -> HandlerResult {
    send::alert(bot, q, why.clone()).await?;
    if for_good {
        send::close_pressed(bot, q, &why).await;
    }
    Ok(())
}

/// Whether the request a sheet answers was withdrawn.
fn request_withdrawn(sheet_ctx: &Context) -> bool {
    sheet_ctx
        .request
        .as_ref()
        .is_some_and(|r| r.state == crate::domain::request::RequestState::Cancelled)
}

/// Whether `ctx` may write the comment sheet of the context's member (the
/// secretary or the deputy of the member's cell, never the member: see
/// `may_decide`), read now; a refusal is logged with `what` was refused.
pub(crate) async fn may_write(
    app: &App,
    ctx: &Ctx,
    sheet_ctx: &Context,
    what: &str,
) -> anyhow::Result<bool> {
    let member = &sheet_ctx.member;
    match may_decide_item(app, ctx.user_id(), member.cell_id, member.user_id).await? {
        Ok(()) => Ok(true),
        Err(denied) => {
            tracing::warn!(
                user = ctx.user_id(),
                membership = member.membership_id,
                ?denied,
                "{what} refused"
            );
            Ok(false)
        }
    }
}

/// Loads a sheet and checks that `ctx` may write it: the secretary or the
/// deputy of its member's cell, never the member (see `may_decide`).
pub(super) async fn secretary_sheet(
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
    let Some((sheet, sheet_ctx)) = with_context(app, sheet_id).await? else {
        // Deleted unsigned (its member moved, left or erased their data),
        // or kept while its member is no longer of the cell: said so to the
        // cell's committee, and the pressed view (with its buttons) goes.
        let why = if sheets::gone(&app.pool, sheet_id).await? {
            Some(t!(ctx.lang, "sheet-gone"))
        } else if member_gone(app, ctx, sheet_id).await? {
            Some(t!(ctx.lang, "sheet-member-gone"))
        } else {
            None
        };
        if let Some(why) = why {
            match q {
                Some(q) => refuse_press(bot, q, why, true).await?,
                None => say(why).await?,
            }
        } else {
            say(t!(ctx.lang, "not-allowed")).await?;
        }
        return Ok(None);
    };
    if !may_write(app, ctx, &sheet_ctx, "sheet action").await? {
        // One who was on the cell's committee is told they no longer are
        // (and who writes its sheets now); the pressed view loses its
        // buttons.
        let cell = sheet_ctx.member.cell_id;
        match crate::bot::roles::role_gone(app, ctx.lang, ctx.user_id(), cell).await? {
            Some(why) => match q {
                Some(q) => {
                    send::alert(bot, q, why).await?;
                    crate::bot::roles::settle_pressed(bot, app, q, None).await?;
                }
                None => say(why).await?,
            },
            None => say(t!(ctx.lang, "not-allowed")).await?,
        }
        return Ok(None);
    }
    if let Err(why) = sheet_open(app, ctx.lang, &sheet_ctx) {
        match q {
            Some(q) => refuse_press(bot, q, why, request_withdrawn(&sheet_ctx)).await?,
            None => say(why).await?,
        }
        return Ok(None);
    }
    Ok(Some((sheet, sheet_ctx)))
}

pub(crate) async fn show(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    sheet_ctx: &Context,
    sheet: &Sheet,
    pressed: Option<&CallbackQuery>,
) -> HandlerResult {
    let text = view_text(ctx.lang, app, sheet_ctx, sheet);
    let keyboard = view_keyboard(ctx.lang, sheet, sheet_ctx.short());
    match pressed {
        // Unchanged (a level pressed again) is left as it is.
        Some(q) => send::edit_pressed(bot, q, text, keyboard).await,
        None => {
            send::with_markup(bot, ctx.chat, text, keyboard).await?;
        }
    }
    Ok(())
}

/// A typed remark or response of at most [`MAX_REMARKS_CHARS`]. A wrong one
/// is explained and `ask` repeated (`None`).
pub(super) async fn typed(
    bot: &Bot,
    ctx: &Ctx,
    msg: &Message,
    ask: String,
) -> anyhow::Result<Option<String>> {
    match input::text(ctx.lang, msg, |t| clean_text(t, MAX_REMARKS_CHARS)) {
        Ok(text) => Ok(Some(text)),
        Err(why) => {
            send::text(bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            Ok(None)
        }
    }
}

/// Whether sheet `sheet_id`, which has no context now, is kept while its
/// membership is no longer approved, and `ctx` is on the committee of the
/// membership's cell (a deleted sheet is [`sheets::gone`]).
async fn member_gone(app: &App, ctx: &Ctx, sheet_id: i64) -> anyhow::Result<bool> {
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        return Ok(false);
    };
    member_left(app, ctx, sheet.membership_id).await
}

/// Whether membership `membership_id` is no longer approved and `ctx` may
/// decide for its cell.
pub(crate) async fn member_left(app: &App, ctx: &Ctx, membership_id: i64) -> anyhow::Result<bool> {
    let Some(m) = crate::store::memberships::get(&app.pool, membership_id).await? else {
        return Ok(false);
    };
    if m.status == "approved" {
        return Ok(false);
    }
    Ok(may_decide_item(app, ctx.user_id(), m.cell_id, m.user_id)
        .await?
        .is_ok())
}

/// A sheet and its member's context as of today.
pub(super) async fn with_context(
    app: &App,
    sheet_id: i64,
) -> anyhow::Result<Option<(Sheet, Context)>> {
    let Some(sheet) = sheets::get(&app.pool, sheet_id).await? else {
        return Ok(None);
    };
    let ctx = build::for_sheet(&app.pool, &sheet, app.today(), app.tz).await?;
    Ok(ctx.map(|ctx| (sheet, ctx)))
}

/// Loads a sheet waiting for `ctx`'s answer as its member.
/// The sheet a member's Accept or Respond (with `tag`, the draft it was
/// sent with) is for, if it can be answered now: otherwise the press is
/// refused here (a draft sent again since: its buttons go).
pub(super) async fn member_sheet(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    (sheet_id, tag): (i64, u32),
) -> anyhow::Result<Option<(Sheet, Context)>> {
    let Some((sheet, sheet_ctx)) = with_context(app, sheet_id).await? else {
        // The draft of a cell the member has left (a move, the membership
        // ended): theirs, but no longer awaiting them.
        let own_left = match sheets::get(&app.pool, sheet_id).await? {
            Some(sheet) => crate::store::memberships::get(&app.pool, sheet.membership_id)
                .await?
                .is_some_and(|m| m.user_id == ctx.user_id() && m.status != "approved"),
            None => false,
        };
        if own_left {
            refuse_press(bot, q, t!(ctx.lang, "sheet-member-left-cell"), true).await?;
        } else if send::carries_pressed(q) && sheets::gone(&app.pool, sheet_id).await? {
            // A draft no longer in the database (sent after the backup it
            // was restored from, or deleted), pressed on the very message
            // that carried it: said so, its buttons go; before, "not
            // allowed".
            refuse_press(bot, q, t!(ctx.lang, "sheet-draft-gone"), true).await?;
        } else {
            send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
        }
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
        send::alert(bot, q, answered_already(app, ctx.lang, &sheet)).await?;
        return Ok(None);
    }
    if tag != 0 && sheet.sent_to_member_at.map(sent_tag) != Some(tag) {
        refuse_press(bot, q, t!(ctx.lang, "sheet-draft-replaced"), true).await?;
        return Ok(None);
    }
    if let Err(why) = sheet_open_for_member(app, ctx.lang, &sheet_ctx) {
        refuse_press(bot, q, why, request_withdrawn(&sheet_ctx)).await?;
        return Ok(None);
    }
    Ok(Some((sheet, sheet_ctx)))
}
