//! Calling a residence meeting (/meeting), the members' answers, the
//! secretary's summary (edited as answers arrive), postponing, cancelling,
//! and the lists of /meetings.

use chrono::{DateTime, Datelike, Utc};
use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageId},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    input, keyboards, roles,
    state::{MeetingDraft, MeetingStep, State, come_back, coming_back, new_token, with_resumed},
};
use crate::{
    domain::{
        Lang,
        meeting::{
            AGENDA_MAX, Answer, Attendance, MAX_DAYS_AHEAD, MeetingKind, MeetingStatus, PLACE_MAX,
            StartError, format_start, parse_start,
        },
        membership::{TextError, clean_line, clean_text},
    },
    store::{
        cells, committee,
        meetings::{self, Answered, Called, Changed, Invitation, Meeting, NewMeeting, Said, Told},
        outbox::{Notice, Payload},
        users,
    },
    t,
    telegram::{callback_data::CallbackData, meeting_notices, send},
};

/// The longest reason for not attending, in characters.
pub const REASON_MAX: usize = 500;

/// Lines of /meetings before "…and N more" (the message stays well under
/// Telegram's 4,096), in UTF-16 units as Telegram counts them (an emoji or
/// a letter of a fancy font is two).
const LIST_MAX_CHARS: usize = 3500;

// ------------------------------------------------------------ calling

/// `/meeting`: the secretary or deputy of a cell calls a meeting.
pub async fn start(bot: &Bot, app: &App, ctx: &Ctx, dialogue: &Dialogue) -> HandlerResult {
    let cells = committee::committee_cells(&app.pool, ctx.user_id()).await?;
    let Some(first) = cells.first() else {
        ctx.refuse(bot, app, t!(ctx.lang, "meeting-committee-only"))
            .await?;
        return Ok(());
    };
    if super::commands::kept_under_way(bot, ctx, "/meeting").await? {
        return Ok(());
    }
    // Nobody to invite yet in any of the cells (a new secretary's): said
    // at once, nothing asked.
    let mut empty = Vec::new();
    for cell in &cells {
        if meetings::member_languages(&app.pool, cell.id)
            .await?
            .is_empty()
        {
            empty.push(cell.name.as_str());
        }
    }
    if empty.len() == cells.len() {
        let text = t!(ctx.lang, "meeting-no-members-yet", cell = empty.join(", "));
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    let several = cells.len() > 1;
    let state = State::Meeting(
        if several {
            MeetingStep::Cell
        } else {
            MeetingStep::Kind
        },
        MeetingDraft {
            token: new_token(),
            cell_id: first.id,
            kind: None,
            starts_at: None,
            place: None,
            agenda: None,
        },
    );
    let tag = state.step_tag();
    dialogue.update(state).await?;
    if several {
        ask_cell(bot, app, ctx, tag).await
    } else {
        ask_kind(bot, ctx, &first.name, tag).await
    }
}

/// Which cell, for the secretary or deputy of several.
/// `tag`: the dialogue's state the question is shown at (its Cancel
/// discards only that draft).
async fn ask_cell(bot: &Bot, app: &App, ctx: &Ctx, tag: u32) -> HandlerResult {
    let lang = ctx.lang;
    let cells = committee::committee_cells(&app.pool, ctx.user_id()).await?;
    let keyboard = InlineKeyboardMarkup::new(
        cells
            .iter()
            .map(|cell| {
                vec![keyboards::button(
                    cell.name.clone(),
                    CallbackData::MeetingCell(cell.id),
                )]
            })
            .chain([vec![keyboards::button(
                t!(lang, "meeting-button-cancel"),
                CallbackData::MeetingDiscard(tag),
            )]]),
    );
    send::with_markup(bot, ctx.chat, t!(lang, "meeting-ask-cell"), keyboard).await?;
    Ok(())
}

async fn ask_kind(bot: &Bot, ctx: &Ctx, cell: &str, tag: u32) -> HandlerResult {
    let lang = ctx.lang;
    let keyboard = InlineKeyboardMarkup::new(
        MeetingKind::ALL
            .into_iter()
            .map(|kind| {
                vec![keyboards::button(
                    meeting_notices::kind_name(lang, kind),
                    CallbackData::MeetingKindChoice(kind),
                )]
            })
            .chain([vec![keyboards::button(
                t!(lang, "meeting-button-cancel"),
                CallbackData::MeetingDiscard(tag),
            )]]),
    );
    send::with_markup(
        bot,
        ctx.chat,
        t!(lang, "meeting-ask-kind", cell = cell),
        keyboard,
    )
    .await?;
    Ok(())
}

/// An example start time for the question: tomorrow at 19:30.
fn example_start(app: &App) -> String {
    let tomorrow = app.today() + chrono::Duration::days(1);
    format!("{} 19:30", tomorrow.format("%d/%m/%Y"))
}

fn ask_start_text(app: &App, lang: Lang) -> String {
    t!(lang, "meeting-ask-start", example = example_start(app))
}

/// Why a typed start time will not do.
fn start_problem(lang: Lang, err: StartError, typed: &str) -> String {
    let typed = crate::bot::render::excerpt(crate::domain::text::trim(typed), 40);
    // Only spaces or invisible characters: nothing to quote.
    if typed.is_empty() {
        return t!(lang, "error-empty-text");
    }
    match err {
        StartError::Format => t!(lang, "meeting-start-format", typed = typed),
        StartError::Impossible => t!(lang, "meeting-start-impossible", typed = typed),
        StartError::Past => t!(lang, "meeting-start-past", typed = typed),
        StartError::TooFar => t!(
            lang,
            "meeting-start-too-far",
            typed = typed,
            days = MAX_DAYS_AHEAD
        ),
    }
}

fn place_problem(lang: Lang, err: TextError) -> String {
    match err {
        TextError::Empty => t!(lang, "meeting-place-empty"),
        TextError::TooLong { max } => t!(
            lang,
            "meeting-place-too-long",
            max = crate::i18n::count(lang, max)
        ),
        err @ (TextError::NotAName | TextError::NotAWorkplace) => super::input::problem(lang, err),
    }
}

fn agenda_problem(lang: Lang, err: TextError) -> String {
    match err {
        TextError::Empty => t!(lang, "meeting-agenda-empty"),
        TextError::TooLong { max } => t!(
            lang,
            "meeting-agenda-too-long",
            max = crate::i18n::count(lang, max)
        ),
        err @ (TextError::NotAName | TextError::NotAWorkplace) => super::input::problem(lang, err),
    }
}

/// The draft's meeting, as the members will read it.
fn draft_details(app: &App, lang: Lang, cell: &str, draft: &MeetingDraft) -> Option<String> {
    Some(meeting_notices::details(
        lang,
        app.tz,
        MeetingKind::parse(draft.kind.as_deref()?)?,
        cell,
        draft.starts_at?,
        draft.place.as_deref()?,
        draft.agenda.as_deref()?,
    ))
}

/// The summary before sending, with Send invitations / Cancel.
async fn show_confirm(bot: &Bot, app: &App, ctx: &Ctx, draft: &MeetingDraft) -> HandlerResult {
    let lang = ctx.lang;
    let cell = cells::get(&app.pool, draft.cell_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let Some(details) = draft_details(app, lang, &cell, draft) else {
        return Ok(());
    };
    let count = meetings::member_languages(&app.pool, draft.cell_id)
        .await?
        .len();
    let text = t!(lang, "meeting-summary-draft", text = details, count = count);
    let tag = State::Meeting(MeetingStep::Confirm, draft.clone()).step_tag();
    let keyboard = InlineKeyboardMarkup::new([[
        keyboards::button(
            t!(lang, "meeting-button-send"),
            CallbackData::MeetingSend(tag),
        ),
        keyboards::button(
            t!(lang, "meeting-button-cancel"),
            CallbackData::MeetingDiscard(tag),
        ),
    ]]);
    send::with_markup(bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

/// A message during the /meeting dialogue.
pub async fn on_message(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (step, mut draft): (MeetingStep, MeetingDraft),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    match step {
        MeetingStep::Cell => {
            send::text(&bot, ctx.chat, t!(lang, "meeting-expect-button")).await?;
            ask_cell(&bot, &app, &ctx, ctx.state.step_tag()).await?;
        }
        MeetingStep::Kind => {
            send::text(&bot, ctx.chat, t!(lang, "meeting-expect-button")).await?;
            let cell = cells::get(&app.pool, draft.cell_id)
                .await?
                .map(|c| c.name)
                .unwrap_or_default();
            ask_kind(&bot, &ctx, &cell, ctx.state.step_tag()).await?;
        }
        MeetingStep::Confirm => {
            send::text(&bot, ctx.chat, t!(lang, "meeting-expect-button")).await?;
            show_confirm(&bot, &app, &ctx, &draft).await?;
        }
        MeetingStep::Start => {
            let Some(typed) = msg.text() else {
                let text = format!(
                    "{}\n\n{}",
                    input::not_text(lang, &msg),
                    ask_start_text(&app, lang)
                );
                send::text(&bot, ctx.chat, text).await?;
                return Ok(());
            };
            match parse_start(typed, app.now(), app.tz) {
                Err(err) => {
                    let text = format!(
                        "{}\n\n{}",
                        start_problem(lang, err, typed),
                        ask_start_text(&app, lang)
                    );
                    send::text(&bot, ctx.chat, text).await?;
                }
                Ok(at) => {
                    draft.starts_at = Some(at);
                    // Asked again from the summary (its time passed while
                    // it waited): the place and agenda given stand, and the
                    // summary comes back with the new time.
                    if draft.place.is_some() && draft.agenda.is_some() {
                        dialogue
                            .update(State::Meeting(MeetingStep::Confirm, draft.clone()))
                            .await?;
                        show_confirm(&bot, &app, &ctx, &draft).await?;
                        return Ok(());
                    }
                    dialogue
                        .update(State::Meeting(MeetingStep::Place, draft))
                        .await?;
                    send::text(
                        &bot,
                        ctx.chat,
                        t!(
                            lang,
                            "meeting-ask-place",
                            max = crate::i18n::count(lang, PLACE_MAX)
                        ),
                    )
                    .await?;
                }
            }
        }
        MeetingStep::Place => {
            let ask = t!(
                lang,
                "meeting-ask-place",
                max = crate::i18n::count(lang, PLACE_MAX)
            );
            if let Some(place) = typed(&bot, &ctx, &msg, PLACE_MAX, place_problem, ask).await? {
                draft.place = Some(place);
                dialogue
                    .update(State::Meeting(MeetingStep::Agenda, draft))
                    .await?;
                let ask = t!(
                    lang,
                    "meeting-ask-agenda",
                    max = crate::i18n::count(lang, AGENDA_MAX)
                );
                send::text(&bot, ctx.chat, ask).await?;
            }
        }
        MeetingStep::Agenda => {
            let ask = t!(
                lang,
                "meeting-ask-agenda",
                max = crate::i18n::count(lang, AGENDA_MAX)
            );
            if let Some(agenda) = typed(&bot, &ctx, &msg, AGENDA_MAX, agenda_problem, ask).await? {
                draft.agenda = Some(agenda);
                dialogue
                    .update(State::Meeting(MeetingStep::Confirm, draft.clone()))
                    .await?;
                show_confirm(&bot, &app, &ctx, &draft).await?;
            }
        }
    }
    Ok(())
}

/// The text typed at a free-text step (place, agenda), cleaned; if it is
/// refused, the member is told why and `ask` is asked again.
async fn typed(
    bot: &Bot,
    ctx: &Ctx,
    msg: &Message,
    max: usize,
    explain: fn(Lang, TextError) -> String,
    ask: String,
) -> anyhow::Result<Option<String>> {
    let clean = |s: &str| clean_text(s, max);
    match input::text_explained(ctx.lang, msg, clean, explain) {
        Ok(text) => Ok(Some(text)),
        Err(why) => {
            send::text(bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            Ok(None)
        }
    }
}

/// A button of the /meeting dialogue. False for a stale one.
pub async fn on_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (step, mut draft): (MeetingStep, MeetingDraft),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    match (data, step) {
        (CallbackData::MeetingDiscard(_), _) => {
            send::ack(bot, q).await?;
            dialogue.exit().await?;
            send::settle_pressed(bot, q, t!(lang, "meeting-discarded")).await;
        }
        (CallbackData::MeetingCell(cell_id), MeetingStep::Cell) => {
            // Re-checked: the cell's secretary or deputy, now.
            let Some(cell) = cells::get(&app.pool, cell_id).await? else {
                send::alert(bot, q, t!(lang, "not-allowed")).await?;
                return Ok(true);
            };
            if !roles::on_committee(app, ctx.user_id(), cell.id).await? {
                send::alert(bot, q, t!(lang, "not-allowed")).await?;
                return Ok(true);
            }
            send::ack(bot, q).await?;
            // Nobody to invite there yet: said at the press; the choice
            // stays open for the other cells.
            if meetings::member_languages(&app.pool, cell.id)
                .await?
                .is_empty()
            {
                let text = format!(
                    "{}\n\n{}",
                    t!(lang, "meeting-no-members-yet", cell = cell.name.as_str()),
                    t!(lang, "meeting-choose-another-cell")
                );
                send::text(bot, ctx.chat, text).await?;
                return Ok(true);
            }
            draft.cell_id = cell.id;
            let state = State::Meeting(MeetingStep::Kind, draft);
            let tag = state.step_tag();
            dialogue.update(state).await?;
            send::settle_pressed(bot, q, cell.name.clone()).await;
            ask_kind(bot, ctx, &cell.name, tag).await?;
        }
        (CallbackData::MeetingKindChoice(kind), MeetingStep::Kind) => {
            send::ack(bot, q).await?;
            draft.kind = Some(kind.as_str().to_string());
            dialogue
                .update(State::Meeting(MeetingStep::Start, draft))
                .await?;
            send::settle_pressed(bot, q, meeting_notices::kind_name(lang, kind)).await;
            send::text(bot, ctx.chat, ask_start_text(app, lang)).await?;
        }
        (CallbackData::MeetingSend(_), MeetingStep::Confirm) => {
            send_invitations(bot, app, ctx, dialogue, q, &draft).await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Send pressed by one no longer on the cell's committee (found before the
/// call, or by the call's own transaction): the draft ends, they are told
/// why, and the summary loses its buttons.
async fn refuse_send(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    dialogue: &Dialogue,
    cell_id: i64,
) -> HandlerResult {
    dialogue.exit().await?;
    let refused = roles::why_refused(app, ctx.lang, ctx.user_id(), cell_id).await?;
    send::alert(bot, q, refused).await?;
    send::remove_buttons(bot, q).await;
    Ok(())
}

/// Send invitations: the meeting and its invitations in one transaction
/// (once per draft, whatever the number of presses), then the summary.
async fn send_invitations(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    draft: &MeetingDraft,
) -> HandlerResult {
    let lang = ctx.lang;
    let (Some(kind), Some(starts_at), Some(place), Some(agenda)) = (
        draft.kind.as_deref().and_then(MeetingKind::parse),
        draft.starts_at,
        draft.place.as_deref(),
        draft.agenda.as_deref(),
    ) else {
        dialogue.exit().await?;
        send::alert(bot, q, t!(lang, "stale-button")).await?;
        return Ok(());
    };
    if !roles::on_committee(app, ctx.user_id(), draft.cell_id).await? {
        return refuse_send(bot, app, ctx, q, dialogue, draft.cell_id).await;
    }
    let now = app.now();
    // The time was checked when typed; the draft may have waited since.
    if let Err(err) = crate::domain::meeting::check_start(starts_at, now) {
        send::ack(bot, q).await?;
        let typed = format_start(starts_at, app.tz);
        dialogue
            .update(State::Meeting(MeetingStep::Start, draft.clone()))
            .await?;
        send::remove_buttons(bot, q).await;
        let text = format!(
            "{}\n\n{}",
            start_problem(lang, err, &typed),
            ask_start_text(app, lang)
        );
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    let languages = meetings::member_languages(&app.pool, draft.cell_id).await?;
    if languages.is_empty() {
        send::ack(bot, q).await?;
        dialogue.exit().await?;
        send::remove_buttons(bot, q).await;
        send::text(bot, ctx.chat, t!(lang, "meeting-no-members")).await?;
        return Ok(());
    }
    let cell_name = cells::get(&app.pool, draft.cell_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let new = NewMeeting {
        token: &draft.token,
        cell_id: draft.cell_id,
        kind,
        starts_at,
        place,
        agenda,
        called_by: ctx.user_id(),
    };
    let tz = app.tz;
    // The dialogue ends with the call, in its transaction.
    let ended = super::state::ending(ctx.chat);
    let called = meetings::create_ending(&app.pool, &new, (now, Some(&ended)), |id, invitees| {
        let meeting = Meeting {
            id,
            cell_id: draft.cell_id,
            cell_name: cell_name.clone(),
            kind: kind.as_str().to_string(),
            starts_at,
            place: place.to_string(),
            agenda: agenda.to_string(),
            status: MeetingStatus::Scheduled.as_str().to_string(),
            called_by: ctx.user_id(),
            created_at: now,
            postponed: 0,
            reminded_at: None,
            summary_chat_id: None,
            summary_message_id: None,
            checkin_code: None,
            closed_at: None,
            closed_by: None,
        };
        let told: Vec<Told> = invitees
            .iter()
            .map(|invitee| Told {
                invitee: *invitee,
                lang: languages.get(&invitee.user_id).copied().unwrap_or_default(),
                checked_in: None,
            })
            .collect();
        meeting_notices::invitations(tz, &meeting, &told)
    })
    .await?;
    if called == Called::NotAllowed {
        return refuse_send(bot, app, ctx, q, dialogue, draft.cell_id).await;
    }
    send::ack(bot, q).await?;
    dialogue.exit().await?;
    app.wake_sender();
    let id = match called {
        Called::New { id, invited } => {
            tracing::info!(meeting = id, by = ctx.user_id(), invited, "meeting called");
            send::remove_buttons(bot, q).await;
            send::text(bot, ctx.chat, t!(lang, "meeting-sent", count = invited)).await?;
            id
        }
        Called::Already { id } => id,
        Called::NotAllowed => return Ok(()),
    };
    let Some(meeting) = meetings::get(&app.pool, id).await? else {
        return Ok(());
    };
    if meeting.summary_message_id.is_none() {
        let invitations = meetings::invitations(&app.pool, id).await?;
        let (text, keyboard) = render_summary(lang, app.tz, &meeting, &invitations);
        let sent = send::with_markup(bot, ctx.chat, text.clone(), keyboard.clone()).await?;
        let shown = fingerprint(&text, &keyboard);
        meetings::set_summary(&app.pool, id, ctx.chat.0, sent.id.0, &shown, app.now()).await?;
    }
    Ok(())
}

/// Send pressed again under a draft already called (the bot killed after
/// the call's commit, before the summary went, so the dialogue is over):
/// the meeting whose draft showed that Send, if it is this user's, is
/// brought up with its summary (sent now if it never went); nothing is
/// stored or queued again. False when no meeting of theirs matches.
pub async fn sent_again(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    tag: u32,
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    let called = meetings::called_by(&app.pool, ctx.user_id(), 20).await?;
    let found = called.into_iter().find(|c| {
        let m = &c.meeting;
        let draft = MeetingDraft {
            token: c.token.clone(),
            cell_id: m.cell_id,
            kind: Some(m.kind.clone()),
            starts_at: Some(m.starts_at),
            place: Some(m.place.clone()),
            agenda: Some(m.agenda.clone()),
        };
        State::Meeting(MeetingStep::Confirm, draft).step_tag() == tag
    });
    let Some(meetings::CalledMeeting { meeting, .. }) = found else {
        return Ok(false);
    };
    if !roles::on_committee(app, ctx.user_id(), meeting.cell_id).await? {
        return Ok(false);
    }
    if meeting.summary_message_id.is_some() {
        // The summary went (an earlier press, tapped twice at once): the
        // chat has it, and the presser is told so.
        send::toast(bot, q, t!(lang, "meeting-summary-shown")).await?;
        send::remove_buttons(bot, q).await;
        return Ok(true);
    }
    send::ack(bot, q).await?;
    send::remove_buttons(bot, q).await;
    let invitations = meetings::invitations(&app.pool, meeting.id).await?;
    let invited = invitations.len();
    send::text(bot, ctx.chat, t!(lang, "meeting-sent", count = invited)).await?;
    let (text, keyboard) = render_summary(lang, app.tz, &meeting, &invitations);
    let sent = send::with_markup(bot, ctx.chat, text.clone(), keyboard.clone()).await?;
    let shown = fingerprint(&text, &keyboard);
    meetings::set_summary(
        &app.pool,
        meeting.id,
        ctx.chat.0,
        sent.id.0,
        &shown,
        app.now(),
    )
    .await?;
    Ok(true)
}

// ------------------------------------------------------------ summary

/// The secretary's summary of a meeting: the meeting, then who attends,
/// who is excused (with the reason) and who has not answered; with the
/// buttons to postpone or cancel it while it is scheduled. Built in one
/// place so that further lines and buttons (check-in, register) join here.
pub fn render_summary(
    lang: Lang,
    tz: chrono_tz::Tz,
    meeting: &Meeting,
    invitations: &[Invitation],
) -> (String, InlineKeyboardMarkup) {
    let status = match meeting.status() {
        MeetingStatus::Cancelled => t!(lang, "meeting-status-cancelled"),
        MeetingStatus::Scheduled if meeting.postponed > 0 => {
            t!(lang, "meeting-status-postponed", count = meeting.postponed)
        }
        MeetingStatus::Scheduled => t!(lang, "meeting-status-scheduled"),
    };
    let name = |i: &Invitation| {
        if i.exempt {
            format!("{} {}", i.full_name, t!(lang, "meeting-exempt-mark"))
        } else {
            i.full_name.clone()
        }
    };
    let names = |answer: Option<&str>| -> Vec<String> {
        invitations
            .iter()
            .filter(|i| i.answer.as_deref() == answer)
            .map(name)
            .collect()
    };
    let attending = names(Some(Answer::Attend.as_str()));
    let unanswered = names(None);
    let excused: Vec<String> = invitations
        .iter()
        .filter(|i| i.answer.as_deref() == Some(Answer::Decline.as_str()))
        .map(|i| {
            let reason = meeting_notices::reason_or_missing(lang, i.reason.as_deref());
            t!(
                lang,
                "meeting-summary-excused-line",
                name = name(i),
                reason = send::clip_to(&reason, SUMMARY_REASON_CHARS)
            )
        })
        .collect();
    let checked_in: Vec<String> = invitations
        .iter()
        .filter(|i| i.checked_in_at.is_some())
        .map(name)
        .collect();
    let mut text = t!(
        lang,
        "meeting-summary-head",
        n = meeting.id,
        status = status,
        total = invitations.len()
    );
    text.push('\n');
    text.push_str(&meeting_notices::meeting_details(lang, tz, meeting));
    text.push_str("\n\n");
    // A large cell's lists share what is left of one message: each shows
    // the names that fit its share and how many more there are.
    let left = SUMMARY_CHARS.saturating_sub(send::units(&text) + SUMMARY_HEADINGS_CHARS);
    let within = |items: &[String], separator: &str, percent: usize| -> String {
        let budget = left * percent / 100;
        let (mut shown, mut used) = (String::new(), 0);
        let more = |count: usize| t!(lang, "meeting-summary-more", count = count);
        for (n, item) in items.iter().enumerate() {
            // Room kept for saying how many the next ones are.
            let after = items.len() - n - 1;
            let room = if after == 0 {
                0
            } else {
                send::units(&more(after))
            };
            let sep = if n == 0 { "" } else { separator };
            let adding = send::units(sep) + send::units(item);
            if used + adding + room > budget {
                shown.push_str(sep);
                shown.push_str(&more(items.len() - n));
                return shown;
            }
            used += adding;
            shown.push_str(sep);
            shown.push_str(item);
        }
        if shown.is_empty() {
            "—".to_string()
        } else {
            shown
        }
    };
    text.push_str(&t!(
        lang,
        "meeting-summary-attending",
        count = attending.len(),
        names = within(&attending, ", ", 25)
    ));
    text.push('\n');
    text.push_str(&t!(lang, "meeting-summary-excused", count = excused.len()));
    // One a line under the heading; nobody: "—" beside it, as the other
    // lists say it.
    text.push(if excused.is_empty() { ' ' } else { '\n' });
    text.push_str(&within(&excused, "\n", 35));
    text.push('\n');
    text.push_str(&t!(
        lang,
        "meeting-summary-unanswered",
        count = unanswered.len(),
        names = within(&unanswered, ", ", 25)
    ));
    if !checked_in.is_empty() {
        text.push('\n');
        text.push_str(&t!(
            lang,
            "meeting-summary-checked-in",
            count = checked_in.len(),
            names = within(&checked_in, ", ", 15)
        ));
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if meeting.status() == MeetingStatus::Scheduled {
        rows.push(vec![keyboards::button(
            t!(lang, "meeting-button-register"),
            CallbackData::RegisterOpen(meeting.id),
        )]);
    }
    if meeting.status() == MeetingStatus::Scheduled && meeting.closed_at.is_none() {
        rows.push(vec![
            keyboards::button(
                t!(lang, "meeting-button-postpone"),
                CallbackData::MeetingPostpone(meeting.id),
            ),
            keyboards::button(
                t!(lang, "meeting-button-cancel-meeting"),
                CallbackData::MeetingCancel(meeting.id),
            ),
        ]);
    }
    (send::clip(&text), InlineKeyboardMarkup::new(rows))
}

/// What a meeting's summary may fill of one message (Telegram's 4,096
/// units, with room to spare).
const SUMMARY_CHARS: usize = send::MAX_MESSAGE_CHARS - 100;

/// The lists' headings in the summary, at most.
const SUMMARY_HEADINGS_CHARS: usize = 300;

/// An excused member's reason in the summary, at most (the register and
/// the comment sheet keep it whole).
const SUMMARY_REASON_CHARS: usize = 150;

/// The most upcoming meetings /meetings offers a summary button for.
const MAX_SUMMARY_BUTTONS: usize = 10;

/// /meetings' summary button: the meeting's summary, with its buttons, sent
/// to whoever on the cell's committee pressed it; from now on the answers
/// update this copy (the caller may have handed over, or the deputy may be
/// the one to postpone it).
pub async fn on_summary(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    if committee_meeting(&bot, &app, &ctx, &q, id).await?.is_none() {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    let _turn = app.summary_turn(id).await;
    // Read again in turn: an answer or a postponement meanwhile shows.
    let Some(meeting) = meetings::get(&app.pool, id).await? else {
        return Ok(());
    };
    let invitations = meetings::invitations(&app.pool, id).await?;
    let (text, keyboard) = render_summary(ctx.lang, app.tz, &meeting, &invitations);
    let sent = send::with_markup(&bot, ctx.chat, text.clone(), keyboard.clone()).await?;
    let shown = fingerprint(&text, &keyboard);
    meetings::set_summary(&app.pool, id, ctx.chat.0, sent.id.0, &shown, app.now()).await?;
    // The copy shown before is no longer kept up to date: its buttons go.
    if let (Some(chat), Some(message)) = (meeting.summary_chat_id, meeting.summary_message_id) {
        send::shown::forget(&bot, (ChatId(chat), MessageId(message)));
        let stale = bot
            .edit_message_reply_markup(ChatId(chat), MessageId(message))
            .send()
            .await;
        if let Err(err) = stale {
            tracing::info!(%err, meeting = id, "could not take the buttons off an older summary");
        }
    }
    Ok(())
}

/// What a summary (or a register) shows, as stored to compare with the
/// next rendering.
pub(super) fn fingerprint(text: &str, keyboard: &InlineKeyboardMarkup) -> String {
    let labels = keyboard
        .inline_keyboard
        .iter()
        .flatten()
        .map(|b| b.text.as_str());
    crate::store::outbox::fingerprint(text, labels)
}

/// The secretary's summary of a meeting shows the answers (and check-ins)
/// now, if that changes what it shows: its edit queued in the outbox (one
/// at a time, replacing an edit still queued, at the sender's pace per
/// chat), so a burst of check-ins at the door neither holds their handlers
/// up on Telegram's limit nor leaves the summary behind. Never fails the
/// caller: the answer is already committed; a failure is logged.
pub async fn refresh_summary(app: &App, meeting_id: i64) {
    if let Err(err) = try_refresh_summary(app, meeting_id).await {
        tracing::warn!(%err, meeting = meeting_id, "could not update the meeting's summary");
    }
}

/// After the cell's members changed (a join or a move approved, a
/// membership ended, an erasure): the summaries of its meetings still to
/// come show who is invited now, and the registers on the committee's
/// screens who is on them. Never fails the caller.
pub async fn refresh_cell_summaries(app: &App, cell_id: i64) {
    match meetings::to_come_with_summary(&app.pool, cell_id, app.now()).await {
        Ok(ids) => {
            for id in ids {
                refresh_summary(app, id).await;
            }
        }
        Err(err) => tracing::warn!(%err, cell = cell_id, "could not read the cell's meetings"),
    }
    let since = app.now() - chrono::Duration::days(crate::domain::meeting::CORRECTION_DAYS);
    match meetings::with_registers_shown(&app.pool, cell_id, since).await {
        Ok(ids) => {
            for id in ids {
                super::attendance::refresh_registers(app, id).await;
            }
        }
        Err(err) => tracing::warn!(%err, cell = cell_id, "could not read the cell's registers"),
    }
}

async fn try_refresh_summary(app: &App, meeting_id: i64) -> anyhow::Result<()> {
    let _turn = app.summary_turn(meeting_id).await;
    let Some(meeting) = meetings::get(&app.pool, meeting_id).await? else {
        return Ok(());
    };
    let (Some(chat), Some(message)) = (meeting.summary_chat_id, meeting.summary_message_id) else {
        return Ok(());
    };
    // Whoever called it and has since left the committee no longer sees
    // the members' answers (/meetings brings the summary to the new one).
    if !roles::on_committee(app, chat, meeting.cell_id).await? {
        return Ok(());
    }
    let lang = users::get(&app.pool, chat)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default();
    let invitations = meetings::invitations(&app.pool, meeting_id).await?;
    let (text, keyboard) = render_summary(lang, app.tz, &meeting, &invitations);
    let shown = fingerprint(&text, &keyboard);
    let notice = Notice {
        chat_id: chat,
        payload: Payload {
            text,
            buttons: super::decisions::stored_buttons(keyboard),
            edit: Some(i64::from(message)),
            ..Payload::default()
        },
    };
    let summary = (chat, i64::from(message));
    if meetings::queue_summary_edit(&app.pool, meeting_id, summary, &shown, &notice, app.now())
        .await?
    {
        app.wake_sender();
    }
    Ok(())
}

// ------------------------------------------------------------ answers

/// Why an answer cannot be taken, as an alert.
fn refusal(lang: Lang, tz: chrono_tz::Tz, answered: Answered) -> Option<String> {
    match answered {
        Answered::Recorded { .. } => None,
        Answered::NotInvited => Some(t!(lang, "meeting-not-invited")),
        Answered::Gone => Some(t!(lang, "meeting-gone")),
        Answered::Cancelled => Some(t!(lang, "meeting-answer-cancelled")),
        Answered::Started => Some(t!(lang, "meeting-answer-closed")),
        Answered::NotDeclining => Some(t!(lang, "meeting-reason-not-declining")),
        Answered::MovedSince(at) => Some(t!(
            lang,
            "meeting-answer-moved",
            when = format_start(at, tz)
        )),
    }
}

/// The invitation's text and buttons with the member's current answer.
async fn invitation_view(
    app: &App,
    lang: Lang,
    meeting_id: i64,
    user_id: i64,
) -> anyhow::Result<Option<(String, InlineKeyboardMarkup)>> {
    let (Some(meeting), Some(invitation)) = (
        meetings::get(&app.pool, meeting_id).await?,
        meetings::invitation_of(&app.pool, meeting_id, user_id).await?,
    ) else {
        return Ok(None);
    };
    let text = meeting_notices::invitation_text(
        lang,
        app.tz,
        &meeting,
        invitation.exempt,
        invitation.answer.as_deref().and_then(Answer::parse),
        invitation.reason.as_deref(),
    );
    let keyboard = InlineKeyboardMarkup::new(
        meeting_notices::answer_buttons(lang, &meeting)
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|(label, data)| InlineKeyboardButton::callback(label, data))
                    .collect::<Vec<_>>()
            }),
    );
    Ok(Some((text, keyboard)))
}

/// I will attend. A reason still asked for after "cannot attend" to this
/// meeting is no longer asked for.
pub async fn on_attend(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    (id, moved): (i64, u32),
) -> HandlerResult {
    let lang = ctx.lang;
    let shown = (id, Some(i64::from(moved)));
    // The reason's question ends with the answer, in its transaction.
    let asked = match ctx.state.clone() {
        State::MeetingDeclineReason {
            meeting_id, resume, ..
        } if meeting_id == id => Some(resume),
        _ => None,
    };
    let then = asked
        .as_ref()
        .map(|resume| coming_back(ctx.chat, resume.as_deref()));
    let now = (app.now(), then.as_ref());
    let answered = meetings::answer(&app.pool, shown, ctx.user_id(), Said::Attend, now).await?;
    if refused(&bot, &app, &ctx, &q, id, answered).await? {
        return Ok(());
    }
    if let Some(resume) = asked
        && !matches!(answered, Answered::Recorded { changed: true, .. })
    {
        come_back(&dialogue, resume).await?;
    }
    tell_recorded(&bot, &q, lang, answered).await?;
    show_answer(&bot, &app, lang, id, ctx.user_id(), &q, answered).await
}

/// An answer pressed and recorded: a toast; an alert where the register
/// was closed before it (the meeting took place): the attendance stays as
/// the committee recorded it, which only the committee corrects.
async fn tell_recorded(
    bot: &Bot,
    q: &CallbackQuery,
    lang: Lang,
    answered: Answered,
) -> Result<(), teloxide::RequestError> {
    if matches!(
        answered,
        Answered::Recorded {
            register_closed: true,
            ..
        }
    ) {
        send::alert(bot, q, t!(lang, "meeting-answer-register-closed")).await
    } else {
        send::toast(bot, q, t!(lang, "meeting-answer-recorded")).await
    }
}

/// A press on an invitation's button that was not taken: said why (true).
/// Pressed on a message from before the meeting was moved, the message then
/// shows the meeting as it now is, with buttons that answer it.
async fn refused(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    id: i64,
    answered: Answered,
) -> anyhow::Result<bool> {
    // No such meeting: one of the meeting's own messages tells the meeting
    // is gone (and loses its buttons); a forged id is not invited.
    let gone = answered == Answered::Gone && gone_here(app, q, id).await?;
    let answered = match answered {
        Answered::Gone if !gone => Answered::NotInvited,
        answered => answered,
    };
    let Some(why) = refusal(ctx.lang, app.tz, answered) else {
        return Ok(false);
    };
    send::alert(bot, q, why).await?;
    if gone {
        send::remove_buttons(bot, q).await;
    }
    if matches!(answered, Answered::MovedSince(_)) {
        show_answer(bot, app, ctx.lang, id, ctx.user_id(), q, answered).await?;
    }
    Ok(true)
}

/// The member's invitation (the pressed message) shows their answer; the
/// caller's summary is brought up to date. Also for an answer pressed
/// again that changed nothing: a process killed after the first press's
/// commit left the summary behind (the press served again is skipped),
/// and an edit is queued only where what it shows changes.
async fn show_answer(
    bot: &Bot,
    app: &App,
    lang: Lang,
    meeting_id: i64,
    user_id: i64,
    q: &CallbackQuery,
    answered: Answered,
) -> HandlerResult {
    if let Some((text, keyboard)) = invitation_view(app, lang, meeting_id, user_id).await? {
        send::edit_pressed(bot, q, text, keyboard).await;
    }
    if matches!(answered, Answered::Recorded { .. }) {
        answer_changed(app, meeting_id).await;
    }
    Ok(())
}

/// A member's answer recorded: the summary shows it, and so do the
/// registers on the committee's screens where it moved the first guess of
/// a register opened early (excused after "cannot attend").
async fn answer_changed(app: &App, meeting_id: i64) {
    refresh_summary(app, meeting_id).await;
    super::attendance::refresh_registers(app, meeting_id).await;
}

/// /meetings: the member's invitation to a meeting still to come, again,
/// with its answer buttons: the invitation, the reminder and a new time may
/// never have reached them (the bot was blocked then).
pub async fn on_invitation(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    id: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let invited = meetings::invitation_of(&app.pool, id, ctx.user_id())
        .await?
        .is_some();
    let why = match meetings::get(&app.pool, id).await? {
        Some(_) if !invited => Some(Answered::NotInvited),
        None if gone_here(&app, &q, id).await? => Some(Answered::Gone),
        None => Some(Answered::NotInvited),
        Some(m) if m.status() != MeetingStatus::Scheduled => Some(Answered::Cancelled),
        Some(m) if !crate::domain::meeting::may_answer(m.starts_at, app.now()) => {
            Some(Answered::Started)
        }
        Some(_) => None,
    };
    if let Some(why) = why.and_then(|answered| refusal(lang, app.tz, answered)) {
        // (Pressed on a list of meetings, whose other buttons still work:
        // they stay.)
        send::alert(&bot, &q, why).await?;
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    if let Some((text, keyboard)) = invitation_view(&app, lang, id, ctx.user_id()).await? {
        send::with_markup(&bot, ctx.chat, text, keyboard).await?;
    }
    Ok(())
}

/// I cannot attend: recorded at once (the secretary sees it), then the
/// reason is asked for.
pub async fn on_decline(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    (id, moved): (i64, u32),
) -> HandlerResult {
    let lang = ctx.lang;
    let shown = (id, Some(i64::from(moved)));
    let now = (app.now(), None);
    let answered = meetings::answer(&app.pool, shown, ctx.user_id(), Said::Decline, now).await?;
    if refused(&bot, &app, &ctx, &q, id, answered).await? {
        return Ok(());
    }
    let asking = State::MeetingDeclineReason {
        meeting_id: id,
        message: send::pressed_message(&q).map(|(_, m)| m.0),
        resume: ctx
            .state
            .clone()
            .interrupted_for(|s| matches!(s, State::MeetingDeclineReason { .. })),
    };
    // Tapped twice: the reason is asked once.
    let asked = ctx.state == asking;
    if !asked {
        // A reason given earlier for it (the same state, asked anew) is
        // of a question that is over.
        app.answers_over(ctx.chat.0, asking.answer_key());
        dialogue.update(asking).await?;
    }
    tell_recorded(&bot, &q, lang, answered).await?;
    if !asked {
        send::text(
            &bot,
            ctx.chat,
            t!(
                lang,
                "meeting-ask-reason",
                max = crate::i18n::count(lang, REASON_MAX)
            ),
        )
        .await?;
    }
    show_answer(&bot, &app, lang, id, ctx.user_id(), &q, answered).await
}

/// The reason for not attending, kept on one line: it is shown on a line
/// of the secretary's summary, the register and the comment sheet, where
/// a line break would start a line that reads as theirs.
pub async fn on_decline_reason(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (meeting_id, message, resume): (i64, Option<i32>, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let reason = match input::text(lang, &msg, |s| clean_line(s, REASON_MAX)) {
        Ok(reason) => reason,
        Err(why) => {
            let ask = t!(
                lang,
                "meeting-ask-reason",
                max = crate::i18n::count(lang, REASON_MAX)
            );
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    // Recorded, the dialogue comes back with it; otherwise now.
    let then = coming_back(ctx.chat, resume.as_deref());
    // Typed before the start, it counts, whenever it reached the bot.
    let answered = meetings::answer_said_at(
        &app.pool,
        (meeting_id, None),
        ctx.user_id(),
        (Said::Reason(&reason), ctx.sent_at),
        (app.now(), Some(&then)),
    )
    .await?;
    let resumed = match answered {
        Answered::Recorded { changed: true, .. } => resume.is_some(),
        _ => come_back(&dialogue, resume).await?,
    };
    let reply = refusal(lang, app.tz, answered).unwrap_or_else(|| match answered {
        Answered::Recorded {
            register_closed: true,
            ..
        } => t!(lang, "meeting-answer-register-closed"),
        _ => t!(lang, "meeting-decline-recorded"),
    });
    send::text(&bot, ctx.chat, with_resumed(lang, reply, resumed)).await?;
    if matches!(answered, Answered::Recorded { changed: true, .. }) {
        if let (Some(message), Some((text, keyboard))) = (
            message,
            invitation_view(&app, lang, meeting_id, ctx.user_id()).await?,
        ) {
            send::edit_with(&bot, ctx.chat, MessageId(message), text, keyboard).await;
        }
        answer_changed(&app, meeting_id).await;
    }
    Ok(())
}

// ------------------------------------------------- postpone and cancel

/// The meeting, if the presser is the secretary or deputy of its cell (in
/// the database, now); otherwise the press is refused.
async fn committee_meeting(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    id: i64,
) -> anyhow::Result<Option<Meeting>> {
    let meeting = meetings::get(&app.pool, id).await?;
    match meeting {
        Some(meeting) if roles::on_committee(app, ctx.user_id(), meeting.cell_id).await? => {
            Ok(Some(meeting))
        }
        None if gone_here(app, q, id).await? => {
            gone(bot, ctx, q).await?;
            Ok(None)
        }
        _ => {
            tracing::warn!(user = ctx.user_id(), meeting = id, "meeting button refused");
            // One who was on the cell's committee is told they no longer
            // are, and the pressed message loses its buttons.
            let data = CallbackData::MeetingSummary(id);
            if !roles::refused_role_gone(bot, app, ctx, q, &data).await? {
                send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
            }
            Ok(None)
        }
    }
}

/// Whether a press naming meeting `id`, which is not in the database, came
/// from a message of it: the message carries the very button pressed and
/// the id was once given out (a meeting called after the backup the bot
/// was restored from), not a forged press.
pub(super) async fn gone_here(app: &App, q: &CallbackQuery, id: i64) -> anyhow::Result<bool> {
    Ok(send::carries_pressed(q) && meetings::ever_given(&app.pool, id).await?)
}

/// A press on a message of a meeting no longer in the system (called after
/// the backup the bot was restored from): said so, and the message loses
/// its buttons, unless it is a list of meetings (whose other buttons still
/// work).
pub(super) async fn gone(bot: &Bot, ctx: &Ctx, q: &CallbackQuery) -> HandlerResult {
    tracing::info!(
        user = ctx.user_id(),
        "a button of a meeting no longer in the system"
    );
    send::alert(bot, q, t!(ctx.lang, "meeting-gone")).await?;
    let listed = q
        .data
        .as_deref()
        .and_then(CallbackData::decode)
        .is_some_and(|d| {
            matches!(
                d,
                CallbackData::MeetingSummary(_) | CallbackData::MeetingInvitation(_)
            )
        });
    if !listed {
        send::remove_buttons(bot, q).await;
    }
    Ok(())
}

/// Whether the meeting can still be changed; if not, the press is told why.
async fn still_changeable(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    meeting: &Meeting,
) -> anyhow::Result<bool> {
    match meeting.may_change(app.now()) {
        Ok(()) => Ok(true),
        Err(why) => {
            send::alert(bot, q, changed_text(ctx.lang, why)).await?;
            // A summary still offering the change (a kill after a
            // cancellation's commit left it behind) is brought up to date.
            refresh_summary(app, meeting.id).await;
            Ok(false)
        }
    }
}

fn changed_text(lang: Lang, changed: Changed) -> String {
    match changed {
        Changed::Done => String::new(),
        Changed::NotScheduled => t!(lang, "meeting-already-cancelled"),
        Changed::Started => t!(lang, "meeting-already-started"),
        Changed::Held => t!(lang, "meeting-already-held"),
        Changed::SameTime => t!(lang, "meeting-postpone-same-time"),
        // Said with the new time by the postponement's handler.
        Changed::MovedSince(_) => t!(lang, "stale-button"),
        // Said with who decides now by the handlers, where it applies.
        Changed::NotAllowed => t!(lang, "not-allowed"),
    }
}

/// Postpone: asks the new date and time.
pub async fn on_postpone(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    id: i64,
) -> HandlerResult {
    let Some(meeting) = committee_meeting(&bot, &app, &ctx, &q, id).await? else {
        return Ok(());
    };
    if !still_changeable(&bot, &app, &ctx, &q, &meeting).await? {
        return Ok(());
    }
    let resume = ctx
        .state
        .clone()
        .interrupted_for(|s| matches!(s, State::MeetingPostpone { .. }));
    let asking = State::MeetingPostpone {
        meeting_id: id,
        shown: Some(meeting.starts_at),
        resume,
    };
    if super::commands::asked_already(&bot, &app, &ctx, &q, &asking).await? {
        return Ok(());
    }
    // (A date typed for an earlier rescheduling of it is of one that is
    // over: `asked_already` marks it so.)
    send::ack(&bot, &q).await?;
    dialogue.update(asking).await?;
    send::text(&bot, ctx.chat, ask_new_start(&app, ctx.lang, &meeting)).await?;
    Ok(())
}

fn ask_new_start(app: &App, lang: Lang, meeting: &Meeting) -> String {
    t!(
        lang,
        "meeting-ask-new-start",
        when = format_start(meeting.starts_at, app.tz),
        example = example_start(app)
    )
}

/// The new date and time of a postponed meeting.
pub async fn on_postpone_time(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (meeting_id, shown, resume): (i64, Option<DateTime<Utc>>, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(meeting) = meetings::get(&app.pool, meeting_id).await? else {
        come_back(&dialogue, resume).await?;
        return Ok(());
    };
    if !roles::on_committee(&app, ctx.user_id(), meeting.cell_id).await? {
        let resumed = come_back(&dialogue, resume).await?;
        let refused = roles::why_refused(&app, lang, ctx.user_id(), meeting.cell_id).await?;
        let text = with_resumed(lang, refused, resumed);
        send::text(&bot, ctx.chat, text).await?;
        return Ok(());
    }
    let typed = msg.text().unwrap_or_default();
    let starts_at = match parse_start(typed, app.now(), app.tz) {
        Ok(at) => at,
        Err(err) => {
            let problem = if msg.text().is_none() {
                input::not_text(lang, &msg)
            } else {
                start_problem(lang, err, typed)
            };
            // Asked again with the start it has now: that is what was shown.
            if shown != Some(meeting.starts_at) {
                dialogue
                    .update(State::MeetingPostpone {
                        meeting_id,
                        shown: Some(meeting.starts_at),
                        resume,
                    })
                    .await?;
            }
            let text = format!("{problem}\n\n{}", ask_new_start(&app, lang, &meeting));
            send::text(&bot, ctx.chat, text).await?;
            return Ok(());
        }
    };
    let (tz, now) = (app.tz, app.now());
    // Moved, the dialogue comes back with it; otherwise below.
    let then = coming_back(ctx.chat, resume.as_deref());
    // How many had checked in for the old time (asked to check in again).
    let mut reset = 0;
    let changed = meetings::postpone(
        &app.pool,
        meeting_id,
        ctx.user_id(),
        (shown, starts_at),
        (now, Some(&then)),
        |m, told| {
            reset = told.iter().filter(|to| to.checked_in.is_some()).count();
            meeting_notices::postponed(tz, now, m, told)
        },
    )
    .await?;
    if let Changed::MovedSince(now_at) = changed {
        // Asked again, showing the time it has now.
        dialogue
            .update(State::MeetingPostpone {
                meeting_id,
                shown: Some(now_at),
                resume,
            })
            .await?;
        let moved = t!(lang, "meeting-moved-since", when = format_start(now_at, tz));
        let ask = ask_new_start(
            &app,
            lang,
            &Meeting {
                starts_at: now_at,
                ..meeting
            },
        );
        send::text(&bot, ctx.chat, format!("{moved}\n\n{ask}")).await?;
        return Ok(());
    }
    let resumed = match changed {
        Changed::Done => resume.is_some(),
        _ => come_back(&dialogue, resume).await?,
    };
    if changed != Changed::Done {
        let why = match changed {
            Changed::NotAllowed => roles::role_gone(&app, lang, ctx.user_id(), meeting.cell_id)
                .await?
                .unwrap_or_else(|| changed_text(lang, changed)),
            _ => changed_text(lang, changed),
        };
        send::text(&bot, ctx.chat, with_resumed(lang, why, resumed)).await?;
        // The time it has, typed again: a kill between the postponement's
        // commit and the edits left the summary and the registers at the
        // old time; they follow it now (queued only where they differ).
        if changed == Changed::SameTime {
            refresh_summary(&app, meeting_id).await;
            super::attendance::refresh_registers(&app, meeting_id).await;
        }
        return Ok(());
    }
    app.wake_sender();
    tracing::info!(
        meeting = meeting_id,
        by = ctx.user_id(),
        "meeting postponed"
    );
    let mut done = t!(
        lang,
        "meeting-postponed-done",
        when = format_start(starts_at, tz)
    );
    if reset > 0 {
        done.push(' ');
        done.push_str(&t!(lang, "meeting-postponed-checkins-reset", count = reset));
    }
    send::text(&bot, ctx.chat, with_resumed(lang, done, resumed)).await?;
    refresh_summary(&app, meeting_id).await;
    // A register on a committee screen shows the new time, marks reset.
    super::attendance::refresh_registers(&app, meeting_id).await;
    Ok(())
}

/// Cancel meeting: asks for confirmation.
pub async fn on_cancel(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    let Some(meeting) = committee_meeting(&bot, &app, &ctx, &q, id).await? else {
        return Ok(());
    };
    if !still_changeable(&bot, &app, &ctx, &q, &meeting).await? {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    let keyboard = InlineKeyboardMarkup::new([[
        keyboards::button(
            t!(lang, "meeting-button-cancel-yes"),
            CallbackData::MeetingCancelYes(id, u32::try_from(meeting.postponed).unwrap_or(0)),
        ),
        keyboards::button(
            t!(lang, "meeting-button-cancel-no"),
            CallbackData::MeetingCancelNo(id),
        ),
    ]]);
    let text = t!(
        lang,
        "meeting-cancel-ask",
        text = meeting_notices::meeting_details(lang, app.tz, &meeting)
    );
    send::with_markup(&bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

/// Yes, cancel the meeting.
pub async fn on_cancel_yes(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (id, moved): (i64, u32),
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(meeting) = committee_meeting(&bot, &app, &ctx, &q, id).await? else {
        return Ok(());
    };
    let tz = app.tz;
    let shown = (id, i64::from(moved));
    let changed = meetings::cancel(&app.pool, shown, ctx.user_id(), app.now(), |m, told| {
        meeting_notices::cancelled(tz, m, told)
    })
    .await?;
    // Postponed since the question was asked: not cancelled; said with the
    // new time, to be asked again.
    if let Changed::MovedSince(at) = changed {
        send::alert(
            &bot,
            &q,
            t!(lang, "meeting-cancel-moved", when = format_start(at, tz)),
        )
        .await?;
        send::remove_buttons(&bot, &q).await;
        return Ok(());
    }
    if changed != Changed::Done {
        let why = match changed {
            Changed::NotAllowed => roles::role_gone(&app, lang, ctx.user_id(), meeting.cell_id)
                .await?
                .unwrap_or_else(|| changed_text(lang, changed)),
            _ => changed_text(lang, changed),
        };
        send::alert(&bot, &q, why).await?;
        send::remove_buttons(&bot, &q).await;
        // Cancelled already: pressed again after a kill that came between
        // the cancellation's commit and the summary's edit, the summary
        // and the registers follow it now (queued only where they differ).
        if changed == Changed::NotScheduled {
            refresh_summary(&app, id).await;
            super::attendance::refresh_registers(&app, id).await;
        }
        return Ok(());
    }
    app.wake_sender();
    tracing::info!(meeting = id, by = ctx.user_id(), "meeting cancelled");
    send::ack(&bot, &q).await?;
    send::settle_pressed(&bot, &q, t!(lang, "meeting-cancelled-done")).await;
    refresh_summary(&app, id).await;
    super::attendance::refresh_registers(&app, id).await;
    Ok(())
}

/// No, keep the meeting.
pub async fn on_cancel_no(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    id: i64,
) -> HandlerResult {
    if committee_meeting(&bot, &app, &ctx, &q, id).await?.is_none() {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    send::settle_pressed(&bot, &q, t!(ctx.lang, "meeting-cancel-kept")).await;
    Ok(())
}

// ------------------------------------------------------------ /meetings

/// The local year of `now` as a UTC range, reaching on to every meeting
/// still to come: one called in December for January is listed as
/// upcoming now, not only once the year has turned; in the review season,
/// last year's after it.
fn year_ranges(app: &App) -> Vec<(i32, DateTime<Utc>, DateTime<Utc>)> {
    let today = app.today();
    let year = today.year();
    let start = |y: i32| {
        let midnight =
            chrono::NaiveDate::from_ymd_opt(y, 1, 1).map(|d| d.and_time(chrono::NaiveTime::MIN));
        midnight.map_or_else(DateTime::<Utc>::default, |at| {
            crate::domain::schedule::instant(app.tz, at)
        })
    };
    // Meetings are called at most 90 days ahead: a year covers them.
    let upcoming_until = app.now() + chrono::Duration::days(366);
    let mut ranges = vec![(year, start(year), start(year + 1).max(upcoming_until))];
    // In the review season (January until last year's window closes) last
    // year's too: its sheets, being written, count its meetings.
    let reviewed = app.review.default_year(today);
    if reviewed < year {
        ranges.push((reviewed, start(reviewed), start(year)));
    }
    ranges
}

/// /meetings: a button per meeting (its start, its kind, what it does),
/// labelled by `label` (the start and the kind as read), at most
/// [`MAX_SUMMARY_BUTTONS`].
fn meeting_rows<'a>(
    meetings: impl Iterator<Item = (DateTime<Utc>, &'a str, CallbackData)>,
    label: impl Fn(String, String) -> String,
    lang: Lang,
    tz: chrono_tz::Tz,
) -> Vec<Vec<InlineKeyboardButton>> {
    meetings
        .take(MAX_SUMMARY_BUTTONS)
        .map(|(starts_at, kind, data)| {
            let text = label(format_start(starts_at, tz), kind_of(lang, kind));
            vec![keyboards::button(text, data)]
        })
        .collect()
}

fn kind_of(lang: Lang, kind: &str) -> String {
    meeting_notices::kind_name(lang, MeetingKind::parse(kind).unwrap_or(MeetingKind::Cell))
}

/// `/meetings`: the cell's meetings of the year for its secretary or
/// deputy; a member's own invitations of the year. In the review season,
/// last year's after them.
pub async fn list(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let this_year = app.today().year();
    let roles = ctx.roles;
    let now = app.now();
    let mut messages = Vec::new();
    for (year, from, until) in year_ranges(app) {
        // A meeting after `year` (this year's list goes on to every one
        // still to come).
        let later = |at: DateTime<Utc>| at.with_timezone(&app.tz).year() > year;
        for cell in committee::committee_cells(&app.pool, ctx.user_id()).await? {
            let listed = meetings::of_cell_between(&app.pool, cell.id, from, until).await?;
            if listed.is_empty() {
                if year != this_year {
                    // Only this year's emptiness is worth saying.
                    continue;
                }
                messages.push((
                    t!(
                        lang,
                        "meeting-list-empty-committee",
                        cell = cell.name.as_str(),
                        year = year
                    ),
                    None,
                ));
                continue;
            }
            // Still to come: not started, and its register not closed (one
            // closed early says the meeting took place: it is listed as
            // held, and can no longer be rescheduled or cancelled).
            let to_come = |m: &meetings::Listed| m.starts_at > now && !m.closed;
            let line = |m: &meetings::Listed| {
                let (when, kind) = (format_start(m.starts_at, app.tz), kind_of(lang, &m.kind));
                let place = crate::bot::render::excerpt(&m.place, 60);
                if m.status == MeetingStatus::Cancelled.as_str() {
                    t!(
                        lang,
                        "meeting-list-cancelled",
                        when = when,
                        kind = kind,
                        place = place
                    )
                } else if to_come(m) {
                    t!(
                        lang,
                        "meeting-list-upcoming-line",
                        when = when,
                        kind = kind,
                        place = place,
                        total = m.invited,
                        count = m.attending,
                        n = m.excused,
                        silent = m.unanswered
                    )
                } else if !m.closed {
                    // Begun, its register never closed: not held on the
                    // cell's record (nor on the sheet, /status, /stats).
                    t!(
                        lang,
                        "meeting-list-open-line",
                        when = when,
                        kind = kind,
                        place = place,
                        total = m.invited,
                        count = m.attending,
                        n = m.excused,
                        silent = m.unanswered
                    )
                } else {
                    t!(
                        lang,
                        "meeting-list-past-line",
                        when = when,
                        kind = kind,
                        place = place,
                        total = m.invited,
                        count = m.attending,
                        n = m.excused,
                        silent = m.unanswered,
                        members = m.present
                    )
                }
            };
            let upcoming: Vec<String> = listed.iter().filter(|m| to_come(m)).map(line).collect();
            // The summary of each upcoming meeting, for whoever is on the
            // committee now (its caller may have handed over).
            let summaries = meeting_rows(
                listed
                    .iter()
                    .filter(|m| to_come(m) && m.status != MeetingStatus::Cancelled.as_str())
                    .map(|m| {
                        (
                            m.starts_at,
                            m.kind.as_str(),
                            CallbackData::MeetingSummary(m.id),
                        )
                    }),
                |when, kind| t!(lang, "meeting-button-summary", when = when, kind = kind),
                lang,
                app.tz,
            );
            let past: Vec<String> = listed.iter().filter(|m| !to_come(m)).map(line).collect();
            // One called for next year (in December, for January) is not
            // of `year`: the heading says the list goes on beyond it.
            let cell_name = cell.name.as_str();
            let mut text = if listed.iter().any(|m| later(m.starts_at)) {
                t!(
                    lang,
                    "meeting-list-committee-head-ahead",
                    cell = cell_name,
                    year = year
                )
            } else {
                t!(
                    lang,
                    "meeting-list-committee-head",
                    cell = cell_name,
                    year = year
                )
            };
            let mut left = 0;
            for (head, lines) in [
                ("meeting-list-upcoming", upcoming),
                ("meeting-list-past", past),
            ] {
                if lines.is_empty() {
                    continue;
                }
                let head = if head == "meeting-list-upcoming" {
                    t!(lang, "meeting-list-upcoming")
                } else {
                    t!(lang, "meeting-list-past")
                };
                text.push_str("\n\n");
                text.push_str(&head);
                left += send::push_lines(&mut text, lines, LIST_MAX_CHARS);
            }
            if left > 0 {
                text.push_str("\n\n");
                text.push_str(&t!(lang, "meeting-list-more", count = left));
            }
            let keyboard = (!summaries.is_empty()).then(|| InlineKeyboardMarkup::new(summaries));
            messages.push((text, keyboard));
        }
        let mine = meetings::of_user_between(&app.pool, ctx.user_id(), from, until).await?;
        if !mine.is_empty() {
            let mut text = if mine.iter().any(|m| later(m.starts_at)) {
                t!(lang, "meeting-list-mine-head-ahead", year = year)
            } else {
                t!(lang, "meeting-list-mine-head", year = year)
            };
            let lines: Vec<String> = mine
                .iter()
                .map(|m| {
                    let status = if m.status == MeetingStatus::Cancelled.as_str() {
                        t!(lang, "meeting-mine-cancelled")
                    } else if let Some(attendance) =
                        m.attendance.as_deref().and_then(Attendance::parse)
                    {
                        match attendance {
                            Attendance::Present => t!(lang, "meeting-mine-present"),
                            Attendance::Excused => t!(lang, "meeting-mine-excused"),
                            Attendance::Absent => t!(lang, "meeting-mine-absent"),
                        }
                    } else {
                        match m.answer.as_deref().and_then(Answer::parse) {
                            Some(Answer::Attend) => t!(lang, "meeting-mine-attend"),
                            Some(Answer::Decline) => t!(
                                lang,
                                "meeting-mine-decline",
                                reason =
                                    meeting_notices::reason_or_missing(lang, m.reason.as_deref())
                            ),
                            None => t!(lang, "meeting-mine-none"),
                        }
                    };
                    t!(
                        lang,
                        "meeting-list-mine-line",
                        when = format_start(m.starts_at, app.tz),
                        kind = kind_of(lang, &m.kind),
                        place = crate::bot::render::excerpt(&m.place, 60),
                        cell = m.cell_name.as_str(),
                        status = status
                    )
                })
                .collect();
            let left = send::push_lines(&mut text, lines, LIST_MAX_CHARS);
            if left > 0 {
                text.push_str("\n\n");
                text.push_str(&t!(lang, "meeting-list-more", count = left));
            }
            // Each invitation still open to an answer, brought again with its
            // buttons (the message that carried them may never have arrived).
            let answerable = meeting_rows(
                mine.iter()
                    .filter(|m| {
                        m.status == MeetingStatus::Scheduled.as_str()
                            && crate::domain::meeting::may_answer(m.starts_at, now)
                    })
                    .map(|m| {
                        let data = CallbackData::MeetingInvitation(m.meeting_id);
                        (m.starts_at, m.kind.as_str(), data)
                    }),
                |when, kind| t!(lang, "meeting-button-answer", when = when, kind = kind),
                lang,
                app.tz,
            );
            let keyboard = (!answerable.is_empty()).then(|| InlineKeyboardMarkup::new(answerable));
            messages.push((text, keyboard));
        } else if roles.member && year == this_year {
            messages.push((t!(lang, "meeting-list-empty-member", year = year), None));
        }
    }
    // A former secretary or deputy, no member: their role ended (which
    // cell, since when), first; not "you have not joined".
    let gone = crate::bot::roles::meetings_role_gone(app, ctx).await?;
    if messages.is_empty() && (gone.is_none() || roles.pending_member) {
        let text = if roles.pending_member {
            t!(lang, "help-pending-member")
        } else if let Some(ended) = crate::bot::report::ended_text(app, ctx).await? {
            ended
        } else {
            crate::bot::roles::not_joined(lang, roles)
        };
        messages.push((text, None));
    }
    if let Some(gone) = gone {
        messages.insert(0, (gone, None));
    }
    for (text, keyboard) in messages {
        match keyboard {
            Some(keyboard) => send::with_markup(bot, ctx.chat, text, keyboard).await?,
            None => send::text(bot, ctx.chat, text).await?,
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_stop_politely_under_the_limit() {
        let mut text = "head".to_string();
        let lines: Vec<String> = (0..500)
            .map(|i| format!("• line {i} {}", "x".repeat(40)))
            .collect();
        let left = send::push_lines(&mut text, lines, LIST_MAX_CHARS);
        assert!(left > 0);
        assert!(send::units(&text) <= LIST_MAX_CHARS);
        assert_eq!(text.lines().count() - 1 + left, 500);
        let mut short = String::new();
        assert_eq!(
            send::push_lines(&mut short, vec!["a".into(), "b".into()], LIST_MAX_CHARS),
            0
        );
    }

    /// A cell of 300 with long names, long reasons and a long agenda: the
    /// summary fits one message, every list is there, and says how many
    /// it does not name.
    #[test]
    fn a_large_cells_summary_fits_one_message_with_every_list() {
        use chrono::TimeZone;
        let at = Utc.with_ymd_and_hms(2026, 12, 20, 12, 0, 0).unwrap();
        let meeting = Meeting {
            id: 7,
            cell_id: 1,
            cell_name: "C".into(),
            kind: MeetingKind::Periodic.as_str().into(),
            starts_at: at,
            place: "P".repeat(200),
            agenda: "A".repeat(1000),
            status: MeetingStatus::Scheduled.as_str().into(),
            called_by: 1,
            created_at: at,
            postponed: 0,
            reminded_at: None,
            summary_chat_id: None,
            summary_message_id: None,
            checkin_code: None,
            closed_at: None,
            closed_by: None,
        };
        let invitations: Vec<Invitation> = (0..300)
            .map(|n| Invitation {
                meeting_id: 7,
                membership_id: n,
                user_id: n,
                full_name: format!("Nguyễn Thị Phương Thảo Hoàng {n}"),
                exempt: false,
                answer: match n % 3 {
                    0 => Some(Answer::Attend.as_str().into()),
                    1 => Some(Answer::Decline.as_str().into()),
                    _ => None,
                },
                reason: Some("lý do ".repeat(80)),
                answered_at: None,
                attendance: None,
                checked_in_at: (n % 3 == 0).then_some(at),
                report_id: None,
                marked_by: None,
            })
            .collect();
        for lang in [Lang::Vi, Lang::En] {
            let (text, _) =
                render_summary(lang, chrono_tz::Asia::Ho_Chi_Minh, &meeting, &invitations);
            assert!(
                send::units(&text) <= SUMMARY_CHARS,
                "{}",
                send::units(&text)
            );
            assert!(!text.ends_with('…'), "not cut: {text}");
            let more = t!(lang, "meeting-summary-more", count = 0);
            let more = more.split('0').next().unwrap();
            // Attending, unanswered and checked in, each cut with a count.
            let lists = text
                .lines()
                .filter(|l| l.starts_with(['✅', '⏳', '📍']) && l.contains("): "))
                .collect::<Vec<_>>();
            assert_eq!(lists.len(), 3, "{text}");
            for line in lists {
                let (_, tail) = line.rsplit_once(", ").unwrap();
                assert!(tail.starts_with(more), "{line}");
            }
            assert!(text.lines().any(|l| l.starts_with(more)), "the excused");
        }
    }
}
