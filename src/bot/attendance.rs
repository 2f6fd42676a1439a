//! Attendance at residence meetings: the QR check-in (`/checkin`, and the
//! member's `/start <code>`) and the secretary's register (`/attendance`:
//! toggles edited in place, Close, corrections for seven days).

use chrono::{DateTime, Duration, Utc};
use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, InputFile, Me},
};

use super::{App, HandlerResult, context::Ctx, keyboards::button, render::dmy_hm, roles};
use crate::telegram::{callback_data::CallbackData, send};
use crate::{
    domain::{
        Lang,
        meeting::{
            Answer, Attendance, CHECKIN_AFTER_HOURS, CHECKIN_BEFORE_MIN, MeetingStatus, Window,
            checkin_window, correctable_until,
        },
    },
    sheet::build::{attendance_label, kind_label},
    store::{
        committee,
        meetings::{self, CheckIn, Closed, Marked, Meeting, Register},
        outbox::{Notice, Payload},
        users,
    },
    t,
};

/// Members on one page of the register: a large cell's register is paged,
/// as Telegram refuses keyboards of over 100 buttons and texts of over
/// 4,096 characters.
pub const REGISTER_PER_PAGE: usize = 40;

/// The most of a cell's name, and of a meeting's place, a check-in code's
/// caption shows (UTF-16 units, as Telegram counts): both at this length
/// leave the rest of the caption (its link above all) room within 1,024.
const CAPTION_NAME_UNITS: usize = 250;

fn mark(a: Attendance) -> &'static str {
    match a {
        Attendance::Present => "✅",
        Attendance::Excused => "🟡",
        Attendance::Absent => "❌",
    }
}

/// The deep link's QR code as a PNG: 8 pixels a module, a quiet zone of
/// four modules, black on white.
pub fn qr_png(link: &str) -> anyhow::Result<Vec<u8>> {
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let code = qrcode::QrCode::new(link.as_bytes())?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for y in 0..modules {
        for x in 0..modules {
            if colors[y * modules + x] == qrcode::Color::Dark {
                for dy in 0..SCALE {
                    let row = ((y + QUIET) * SCALE + dy) * side;
                    let start = row + (x + QUIET) * SCALE;
                    pixels[start..start + SCALE].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let side = u32::try_from(side)?;
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
    }
    Ok(out)
}

/// `/checkin`: the QR code of each meeting of the committee's cells in its
/// check-in window (the nearest first; two cells may meet at once), for the
/// secretary or the deputy.
pub async fn checkin(bot: &Bot, app: &App, ctx: &Ctx, me: &Me) -> HandlerResult {
    let lang = ctx.lang;
    let cells = committee::committee_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        ctx.refuse(bot, app, t!(lang, "role-committee-only"))
            .await?;
        return Ok(());
    }
    let ids: Vec<i64> = cells.iter().map(|c| c.id).collect();
    let now = app.now();
    let (open, next) = meetings::checkin_candidates(&app.pool, &ids, now).await?;
    if open.is_empty() {
        let text = match next {
            Some(m) => t!(
                lang,
                "checkin-not-open",
                kind = kind_label(lang, m.kind()),
                when = dmy_hm(m.starts_at, app.tz),
                place = m.place.as_str(),
                until = dmy_hm(m.starts_at - Duration::minutes(CHECKIN_BEFORE_MIN), app.tz)
            ),
            None => t!(lang, "checkin-none"),
        };
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    for meeting in &open {
        send_checkin_code(bot, app, ctx, me, meeting).await?;
    }
    Ok(())
}

/// The QR code and link of one meeting's check-in, with how many are in.
async fn send_checkin_code(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    me: &Me,
    meeting: &meetings::Meeting,
) -> HandlerResult {
    let lang = ctx.lang;
    let code = match meetings::checkin_code_for(&app.pool, meeting.id, ctx.user_id(), app.now())
        .await?
    {
        meetings::Checkin::Code(code) => code,
        meetings::Checkin::Gone => {
            send::text(bot, ctx.chat, t!(lang, "checkin-none")).await?;
            return Ok(());
        }
        // No longer on the cell's committee (read again in the write):
        // no code made, none shown.
        meetings::Checkin::NotAllowed => {
            let text = super::roles::why_refused(app, lang, ctx.user_id(), meeting.cell_id).await?;
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
    };
    let username = me.user.username.clone().unwrap_or_default();
    let link = format!("https://t.me/{username}?start={code}");
    let count = meetings::checkin_count(&app.pool, meeting.id).await?;
    // A caption holds 1,024 units: a cell's name and a place at their
    // longest (in emoji, two units each) are cut, never the link.
    let cell = send::clip_to(&meeting.cell_name, CAPTION_NAME_UNITS);
    let place = send::clip_to(&meeting.place, CAPTION_NAME_UNITS);
    let caption = t!(
        lang,
        "checkin-caption",
        kind = kind_label(lang, meeting.kind()),
        cell = cell.as_str(),
        when = dmy_hm(meeting.starts_at, app.tz),
        place = place.as_str(),
        link = link.as_str(),
        until = dmy_hm(
            meeting.starts_at + Duration::hours(CHECKIN_AFTER_HOURS),
            app.tz
        ),
        count = count
    );
    // Drawing is CPU work: off the async runtime.
    let png = tokio::task::spawn_blocking(move || qr_png(&link)).await??;
    let photo = InputFile::memory(png).file_name("diem-danh.png");
    send::patiently(|| {
        bot.send_photo(ctx.chat, photo.clone())
            .caption(send::clip_to(&caption, send::MAX_CAPTION_CHARS))
            .send()
    })
    .await?;
    Ok(())
}

/// `/start <check-in code>`: the member is marked present, once.
pub async fn on_checkin_code(bot: &Bot, app: &App, ctx: &Ctx, code: &str) -> HandlerResult {
    let lang = ctx.lang;
    let Some(meeting) = meetings::by_checkin_code(&app.pool, code).await? else {
        send::text(bot, ctx.chat, t!(lang, "checkin-unknown")).await?;
        return Ok(());
    };
    let now = app.now();
    let notices = super::decisions::REGISTER_NOTICES;
    // The meeting as the check-in judged it: moved meanwhile, its time
    // now is the one to name.
    let (outcome, meeting) = meetings::check_in(
        &app.pool,
        &meeting,
        ctx.user_id(),
        (ctx.sent_at, now),
        app.tz,
        notices,
    )
    .await?;
    let when = dmy_hm(meeting.starts_at, app.tz);
    // Each answer names the meeting of the code: a code of another one (a
    // QR code of last month's meeting, or of one cancelled, still on the
    // wall) is told for what it is, not taken for tonight's.
    let kind = kind_label(lang, meeting.kind());
    let cell = meeting.cell_name.as_str();
    let text = match outcome {
        CheckIn::Done { .. } => t!(lang, "checkin-done", kind = kind, cell = cell, when = when),
        CheckIn::Already { at } => t!(
            lang,
            "checkin-already",
            kind = kind,
            cell = cell,
            date = when,
            when = dmy_hm(at, app.tz)
        ),
        CheckIn::Cancelled => t!(
            lang,
            "checkin-cancelled",
            kind = kind,
            cell = cell,
            date = when
        ),
        CheckIn::NotYet => t!(
            lang,
            "checkin-not-yet",
            kind = kind,
            cell = cell,
            date = when,
            when = dmy_hm(
                meeting.starts_at - Duration::minutes(CHECKIN_BEFORE_MIN),
                app.tz
            )
        ),
        CheckIn::Closed => t!(
            lang,
            "checkin-closed",
            kind = kind,
            cell = cell,
            date = when,
            when = dmy_hm(
                meeting.starts_at + Duration::hours(CHECKIN_AFTER_HOURS),
                app.tz
            )
        ),
        // The committee marked them away: the register is the record.
        CheckIn::MarkedAway(away) => {
            let until = dmy_hm(correctable_until(meeting.starts_at), app.tz);
            if away == Attendance::Excused {
                t!(
                    lang,
                    "checkin-marked-excused",
                    kind = kind,
                    cell = cell,
                    date = when,
                    until = until
                )
            } else {
                t!(
                    lang,
                    "checkin-marked-absent",
                    kind = kind,
                    cell = cell,
                    date = when,
                    until = until
                )
            }
        }
        CheckIn::NotMember => t!(
            lang,
            "checkin-not-member",
            cell = meeting.cell_name.as_str()
        ),
        CheckIn::NotConfirmed => t!(
            lang,
            "checkin-not-confirmed",
            cell = meeting.cell_name.as_str(),
            until = dmy_hm(
                meeting.starts_at + Duration::hours(CHECKIN_AFTER_HOURS),
                app.tz
            )
        ),
    };
    // The member first: at the door, dozens check in within a minute, and
    // the summary's edits take their turns.
    send::text(bot, ctx.chat, text).await?;
    // A pending report a closed register approved: its cards settled.
    if let CheckIn::Done {
        approved: Some(report_id),
    } = &outcome
    {
        super::decisions::finish_reports(bot, app, &[*report_id]).await?;
    }
    // The secretary's summary counts the check-ins as they come, and so do
    // the registers on the committee's screens. Also for a link opened
    // again: a process killed after the check-in's commit left them
    // behind (an update served again is skipped), and an edit is queued
    // only where what they show changes.
    if matches!(outcome, CheckIn::Done { .. } | CheckIn::Already { .. }) {
        super::meetings::refresh_summary(app, meeting.id).await;
        refresh_registers(app, meeting.id).await;
    }
    Ok(())
}

/// `/attendance`: the register of the cell's latest meeting that can be
/// kept now, or a choice among them.
pub async fn attendance(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let cells = committee::committee_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        ctx.refuse(bot, app, t!(lang, "role-committee-only"))
            .await?;
        return Ok(());
    }
    let ids: Vec<i64> = cells.iter().map(|c| c.id).collect();
    let list = meetings::register_meetings(&app.pool, &ids, app.now()).await?;
    match list.as_slice() {
        [] => {
            send::text(bot, ctx.chat, t!(lang, "attendance-none")).await?;
        }
        [one] => {
            meetings::prefill_register(&app.pool, one).await?;
            let (text, markup) = register(app, lang, one, 0).await?;
            let view = (text.clone(), markup.clone());
            let sent = send::with_markup(bot, ctx.chat, text, markup).await?;
            follow(app, one.id, (ctx.chat.0, sent.id.0), 0, view).await?;
        }
        many => {
            let rows: Vec<_> = many
                .iter()
                .map(|m| {
                    let label = t!(
                        lang,
                        "attendance-meeting-button",
                        kind = kind_label(lang, m.kind()),
                        when = dmy_hm(m.starts_at, app.tz)
                    );
                    let label = if cells.len() > 1 {
                        format!("{label} ({})", m.cell_name)
                    } else {
                        label
                    };
                    vec![button(label, CallbackData::RegisterOpen(m.id))]
                })
                .collect();
            send::with_markup(
                bot,
                ctx.chat,
                t!(lang, "attendance-choose"),
                InlineKeyboardMarkup::new(rows),
            )
            .await?;
        }
    }
    Ok(())
}

/// The register's text and buttons at `page` (the last one if there are
/// fewer now): a toggle per member of the page (while it can be kept),
/// paging, and Close until it is closed.
async fn register(
    app: &App,
    lang: Lang,
    meeting: &Meeting,
    page: usize,
) -> anyhow::Result<(String, InlineKeyboardMarkup)> {
    let invitations = meetings::invitations(&app.pool, meeting.id).await?;
    let pages = invitations.len().div_ceil(REGISTER_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let now = app.now();
    let until = correctable_until(meeting.starts_at);
    // Cancelled, or moved to a time whose register is not open yet (shown
    // so on a screen that had it open before): nothing to press.
    let cancelled = meeting.status() != MeetingStatus::Scheduled;
    let not_yet = checkin_window(meeting.starts_at, now) == Window::Before;
    let open = now <= until && !not_yet && !cancelled;
    let present = invitations
        .iter()
        .filter(|i| i.attendance.as_deref() == Some(Attendance::Present.as_str()))
        .count();
    let mut text = t!(
        lang,
        "attendance-header",
        kind = kind_label(lang, meeting.kind()),
        cell = meeting.cell_name.as_str(),
        when = dmy_hm(meeting.starts_at, app.tz),
        place = meeting.place.as_str(),
        count = present,
        total = invitations.len()
    );
    if invitations.is_empty() {
        text.push_str("\n\n");
        text.push_str(&t!(lang, "attendance-empty"));
    }
    if let Some(at) = meeting.closed_at {
        text.push_str("\n\n");
        text.push_str(&t!(
            lang,
            "attendance-header-closed",
            when = dmy_hm(at, app.tz),
            until = dmy_hm(until, app.tz)
        ));
    } else if cancelled {
        text.push_str("\n\n");
        text.push_str(&t!(lang, "attendance-cancelled"));
    } else if not_yet {
        let opens = meeting.starts_at - chrono::Duration::minutes(CHECKIN_BEFORE_MIN);
        text.push_str("\n\n");
        text.push_str(&t!(
            lang,
            "attendance-not-open",
            when = dmy_hm(opens, app.tz)
        ));
    } else if !open {
        text.push_str("\n\n");
        text.push_str(&t!(
            lang,
            "attendance-too-late",
            until = dmy_hm(until, app.tz)
        ));
    }
    if pages > 1 {
        let first = page * REGISTER_PER_PAGE;
        let last = (first + REGISTER_PER_PAGE).min(invitations.len());
        text.push_str("\n\n");
        text.push_str(&t!(
            lang,
            "attendance-page",
            page = (page + 1),
            pages = pages,
            from = (first + 1),
            to = last
        ));
    }
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for i in invitations
        .iter()
        .skip(page * REGISTER_PER_PAGE)
        .take(REGISTER_PER_PAGE)
    {
        let state = i
            .attendance
            .as_deref()
            .and_then(Attendance::parse)
            .unwrap_or(Attendance::Absent);
        if open {
            let label = format!("{} {}", mark(state), i.full_name);
            rows.push(vec![button(
                label,
                CallbackData::AttendanceSet(meeting.id, i.membership_id, state.next()),
            )]);
        } else {
            lines.push((mark(state), i.full_name.as_str()));
        }
    }
    push_names(&mut text, &lines);
    push_reasons(
        lang,
        &mut text,
        invitations
            .iter()
            .skip(page * REGISTER_PER_PAGE)
            .take(REGISTER_PER_PAGE),
    );
    if pages > 1 {
        let mut nav = Vec::new();
        let to_page = |p: usize| CallbackData::RegisterPage(meeting.id, p as u32);
        if page > 0 {
            nav.push(button("◀", to_page(page - 1)));
        }
        if page + 1 < pages {
            nav.push(button("▶", to_page(page + 1)));
        }
        rows.push(nav);
    }
    if open && meeting.closed_at.is_none() {
        rows.push(vec![button(
            t!(lang, "attendance-close-button"),
            CallbackData::RegisterClose(meeting.id),
        )]);
    }
    Ok((send::clip(&text), InlineKeyboardMarkup::new(rows)))
}

/// The marked names of a register that can no longer be kept, each on a
/// line of its own, all of them within one message: the longest names are
/// shortened (with "…") as far as needed, leaving room for the reasons
/// after them. Cut as a whole, the last names of the page were lost.
fn push_names(text: &mut String, lines: &[(&str, &str)]) {
    if lines.is_empty() {
        return;
    }
    // A quarter of the message kept for the reasons below the names.
    let room = (send::MAX_MESSAGE_CHARS * 3 / 4).saturating_sub(send::units(text));
    // Each line: "\n", the mark, a space, the name.
    let per_line = room / lines.len();
    let longest = lines
        .iter()
        .map(|(m, name)| send::units(m) + 2 + send::units(name))
        .max()
        .unwrap_or(0);
    for (m, name) in lines {
        let name = if longest > per_line {
            let most = per_line
                .saturating_sub(send::units(m) + 2)
                .max(MIN_NAME_UNITS);
            send::clip_to(name, most)
        } else {
            (*name).to_string()
        };
        text.push_str(&format!("\n{m} {name}"));
    }
}

/// The fewest units of a name a register's line shows, however many and
/// long the names are.
const MIN_NAME_UNITS: usize = 16;

/// Why the members of the page who said they cannot attend will not come,
/// each reason whole (the summary shortens them), as far as the message
/// holds them; those present after all are left out.
fn push_reasons<'a>(
    lang: Lang,
    text: &mut String,
    page: impl Iterator<Item = &'a meetings::Invitation>,
) {
    let reasons: Vec<String> = page
        .filter(|i| i.answer.as_deref() == Some(Answer::Decline.as_str()))
        .filter(|i| i.attendance.as_deref() != Some(Attendance::Present.as_str()))
        .filter_map(|i| {
            let reason = i.reason.as_deref()?;
            Some(t!(
                lang,
                "meeting-summary-excused-line",
                name = i.full_name.as_str(),
                reason = reason
            ))
        })
        .collect();
    if reasons.is_empty() {
        return;
    }
    text.push_str("\n\n");
    text.push_str(&t!(lang, "attendance-reasons"));
    // Room kept for saying how many did not fit.
    let room = send::units(&t!(lang, "meeting-summary-more", count = reasons.len())) + 1;
    let left = send::push_lines(text, reasons, send::MAX_MESSAGE_CHARS.saturating_sub(room));
    if left > 0 {
        text.push('\n');
        text.push_str(&t!(lang, "meeting-summary-more", count = left));
    }
}

/// The meeting of a press, if the presser is on its cell's committee now;
/// otherwise the press is refused here.
async fn committee_meeting(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    meeting_id: i64,
) -> anyhow::Result<Option<Meeting>> {
    let meeting = meetings::get(&app.pool, meeting_id).await?;
    let allowed = match &meeting {
        Some(m) => roles::on_committee(app, ctx.user_id(), m.cell_id).await?,
        None if super::meetings::gone_here(app, q, meeting_id).await? => {
            super::meetings::gone(bot, ctx, q).await?;
            return Ok(None);
        }
        None => false,
    };
    if !allowed {
        tracing::warn!(user = ctx.user_id(), meeting_id, "register press refused");
        refuse_stale(bot, app, ctx, q, meeting_id).await?;
        return Ok(None);
    }
    Ok(meeting)
}

/// A press on meeting `meeting_id`'s register by one not on its cell's
/// committee (now): "not allowed", or, to one who was, that they no longer
/// are, and the register loses its buttons.
async fn refuse_stale(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    meeting_id: i64,
) -> HandlerResult {
    let data = CallbackData::RegisterOpen(meeting_id);
    if !roles::refused_role_gone(bot, app, ctx, q, &data).await? {
        send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
    }
    Ok(())
}

/// [`committee_meeting`], if its register can be kept already (from the
/// check-in window's opening); otherwise the press is refused here.
async fn begun_meeting(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    meeting_id: i64,
) -> anyhow::Result<Option<Meeting>> {
    let Some(meeting) = committee_meeting(bot, app, ctx, q, meeting_id).await? else {
        return Ok(None);
    };
    if checkin_window(meeting.starts_at, app.now()) == Window::Before {
        send::alert(bot, q, t!(ctx.lang, "attendance-none")).await?;
        return Ok(None);
    }
    Ok(Some(meeting))
}

/// The pressed register shown again, at `page`.
async fn refresh(
    bot: &Bot,
    app: &App,
    lang: Lang,
    q: &CallbackQuery,
    id: i64,
    page: usize,
) -> HandlerResult {
    if let Some(meeting) = meetings::get(&app.pool, id).await? {
        let page = page.min(pages_of(app, id).await?.saturating_sub(1));
        let (text, markup) = register(app, lang, &meeting, page).await?;
        let view = (text.clone(), markup.clone());
        send::edit_pressed(bot, q, text, markup).await;
        if let Some((chat, message)) = send::pressed_message(q) {
            follow(app, id, (chat.0, message.0), page, view).await?;
        }
    }
    Ok(())
}

/// The pages of meeting `id`'s register.
async fn pages_of(app: &App, id: i64) -> anyhow::Result<usize> {
    let invitations = meetings::invitations(&app.pool, id).await?;
    Ok(invitations.len().div_ceil(REGISTER_PER_PAGE).max(1))
}

/// The register just shown in a chat (`view`: its text and buttons) is the
/// one that chat follows: check-ins arriving later are counted in it. An
/// edit of it the sender may be sending still (read before this showed)
/// is followed by this view again ([`meetings::set_register`]).
async fn follow(
    app: &App,
    id: i64,
    (chat_id, message_id): (i64, i32),
    page: usize,
    (text, markup): (String, InlineKeyboardMarkup),
) -> anyhow::Result<()> {
    let register = Register {
        chat_id,
        message_id: i64::from(message_id),
        page: i64::try_from(page).unwrap_or(i64::MAX),
        shown: super::meetings::fingerprint(&text, &markup),
    };
    let again = Notice {
        chat_id,
        payload: Payload {
            text,
            buttons: super::decisions::stored_buttons(markup),
            edit: Some(i64::from(message_id)),
            ..Payload::default()
        },
    };
    meetings::set_register(&app.pool, id, &register, &again, app.now()).await?;
    app.wake_sender();
    Ok(())
}

/// The registers of the meeting on the screens of its cell's committee
/// show the attendance now, where that changes what they show: each edit
/// queued in the outbox (one per chat at a time, replacing an edit still
/// queued, at the sender's pace per chat), rendered in turn with the
/// summary's edits, so the last shows every check-in committed before it.
/// Never fails the caller: the check-in is committed; a failure is logged.
pub(super) async fn refresh_registers(app: &App, meeting_id: i64) {
    if let Err(err) = try_refresh_registers(app, meeting_id).await {
        tracing::warn!(%err, meeting = meeting_id, "could not update the meeting's registers");
    }
}

async fn try_refresh_registers(app: &App, meeting_id: i64) -> anyhow::Result<()> {
    let _turn = app.summary_turn(meeting_id).await;
    let Some(meeting) = meetings::get(&app.pool, meeting_id).await? else {
        return Ok(());
    };
    let mut queued = false;
    for shown in meetings::registers(&app.pool, meeting_id).await? {
        // One who has left the committee no longer sees the register.
        if !roles::on_committee(app, shown.chat_id, meeting.cell_id).await? {
            continue;
        }
        let lang = users::get(&app.pool, shown.chat_id)
            .await?
            .map(|u| u.lang())
            .unwrap_or_default();
        let page = usize::try_from(shown.page).unwrap_or(0);
        let (text, markup) = register(app, lang, &meeting, page).await?;
        let fingerprint = super::meetings::fingerprint(&text, &markup);
        if fingerprint == shown.shown {
            continue;
        }
        let notice = Notice {
            chat_id: shown.chat_id,
            payload: Payload {
                text,
                buttons: super::decisions::stored_buttons(markup),
                edit: Some(shown.message_id),
                ..Payload::default()
            },
        };
        let now = app.now();
        queued |= meetings::queue_register_edit(
            &app.pool,
            meeting_id,
            &shown,
            &fingerprint,
            &notice,
            now,
        )
        .await?;
    }
    if queued {
        app.wake_sender();
    }
    Ok(())
}

/// ◀ / ▶ in a large cell's register.
pub async fn on_page(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (id, page): (i64, u32),
) -> HandlerResult {
    if committee_meeting(&bot, &app, &ctx, &q, id).await?.is_none() {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    let page = usize::try_from(page).unwrap_or(usize::MAX);
    refresh(&bot, &app, ctx.lang, &q, id, page).await
}

/// Whether the press was on the meeting's summary (the secretary's
/// message about the meeting), not on a register.
fn on_summary(q: &CallbackQuery, meeting: &meetings::Meeting) -> bool {
    let pressed = send::pressed_message(q).map(|(chat, message)| (chat.0, message.0));
    pressed.is_some() && pressed == meeting.summary_chat_id.zip(meeting.summary_message_id)
}

fn too_late(lang: Lang, app: &App, until: DateTime<Utc>) -> String {
    t!(lang, "attendance-too-late", until = dmy_hm(until, app.tz))
}

/// A meeting chosen under `/attendance`.
pub async fn on_open(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let Some(meeting) = committee_meeting(&bot, &app, &ctx, &q, id).await? else {
        return Ok(());
    };
    let now = app.now();
    if now > correctable_until(meeting.starts_at) {
        let text = too_late(ctx.lang, &app, correctable_until(meeting.starts_at));
        send::alert(&bot, &q, text).await?;
        // Pressed on the meeting's summary, the summary stays what it is.
        if on_summary(&q, &meeting) {
            return Ok(());
        }
        return refresh(&bot, &app, ctx.lang, &q, id, 0).await;
    }
    if checkin_window(meeting.starts_at, now) == Window::Before || meeting.status != "scheduled" {
        send::alert(&bot, &q, t!(ctx.lang, "attendance-none")).await?;
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    meetings::prefill_register(&app.pool, &meeting).await?;
    // From the secretary's summary the register comes as a message of its
    // own: the summary stays what it is.
    if on_summary(&q, &meeting) {
        let (text, markup) = register(&app, ctx.lang, &meeting, 0).await?;
        let view = (text.clone(), markup.clone());
        let sent = send::with_markup(&bot, ctx.chat, text, markup).await?;
        follow(&app, id, (ctx.chat.0, sent.id.0), 0, view).await?;
        return Ok(());
    }
    refresh(&bot, &app, ctx.lang, &q, id, 0).await
}

/// A member's toggle in the register (a correction once it is closed).
pub async fn on_set(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (id, membership_id, to): (i64, i64, Attendance),
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(meeting) = begun_meeting(&bot, &app, &ctx, &q, id).await? else {
        return Ok(());
    };
    let now = app.now();
    // A register shown before the member's row moved to the membership
    // they hold again: their row under it (read again by the mark).
    let row = meetings::register_row(&app.pool, &meeting, membership_id).await?;
    let invitations = meetings::invitations(&app.pool, id).await?;
    let Some((index, invitation)) = invitations
        .iter()
        .enumerate()
        .find(|(_, i)| Some(i.membership_id) == row)
    else {
        send::alert(&bot, &q, t!(lang, "attendance-gone")).await?;
        return Ok(());
    };
    // Nobody records their own attendance (as nobody decides their own report).
    if invitation.user_id == ctx.user_id() {
        send::alert(&bot, &q, t!(lang, "attendance-own")).await?;
        return Ok(());
    }
    let notices = super::decisions::REGISTER_NOTICES;
    let by = ctx.user_id();
    match meetings::mark(&app.pool, id, membership_id, to, by, now, app.tz, notices).await? {
        marked @ (Marked::Done { .. } | Marked::Unchanged) => {
            if let Marked::Done {
                approved,
                unrecorded,
            } = &marked
            {
                // A pending report of the member's this correction
                // approved: its cards settled, its member told (queued
                // with the mark).
                super::decisions::finish_reports(&bot, &app, approved.as_slice()).await?;
                // The closer's own activity, waiting for this decider (or
                // another), taken back: its cards no longer offer a
                // decision.
                if let Some(report) = unrecorded {
                    super::decisions::settle_unrecorded(&bot, &app, report).await?;
                }
            }
            let text = t!(
                lang,
                "attendance-marked",
                name = invitation.full_name.as_str(),
                status = attendance_label(lang, to)
            );
            send::toast(&bot, &q, text).await?;
        }
        Marked::TooLate { until } => {
            send::alert(&bot, &q, too_late(lang, &app, until)).await?;
        }
        Marked::Gone => {
            send::alert(&bot, &q, t!(lang, "attendance-gone")).await?;
        }
        Marked::NotAllowed => return refuse_stale(&bot, &app, &ctx, &q, id).await,
    }
    // The register stays at the page of the member marked; another one
    // on the screen (the deputy's, say) follows.
    refresh(&bot, &app, lang, &q, id, index / REGISTER_PER_PAGE).await?;
    refresh_registers(&app, id).await;
    Ok(())
}

/// Close: the register is final; present members' activities recorded.
pub async fn on_close(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    if begun_meeting(&bot, &app, &ctx, &q, id).await?.is_none() {
        return Ok(());
    }
    let now = app.now();
    let notices = super::decisions::REGISTER_NOTICES;
    match meetings::close(&app.pool, id, ctx.user_id(), now, app.tz, notices).await? {
        Closed::Done {
            recorded,
            linked,
            approved,
        } => {
            send::ack(&bot, &q).await?;
            // Pending reports the register approved: their cards settled,
            // their members told (queued with the close).
            super::decisions::finish_reports(&bot, &app, &approved).await?;
            let count = recorded + linked;
            let mut text = t!(lang, "attendance-closed-done", count = count);
            if linked > 0 {
                text.push('\n');
                text.push_str(&t!(
                    lang,
                    "attendance-closed-linked",
                    count = linked,
                    n = approved.len()
                ));
            }
            refresh(&bot, &app, lang, &q, id, 0).await?;
            refresh_registers(&app, id).await;
            // The summary loses Postpone and Cancel: the meeting took place.
            super::meetings::refresh_summary(&app, id).await;
            send::text(&bot, ctx.chat, text).await?;
            return Ok(());
        }
        Closed::Already => {
            send::alert(&bot, &q, t!(lang, "attendance-already-closed")).await?;
            // Pressed again after a kill that came between the close's
            // commit and the edits: the other registers and the summary
            // (which loses Reschedule and Cancel) follow it now, each
            // edit queued only where what it shows changed.
            refresh_registers(&app, id).await;
            super::meetings::refresh_summary(&app, id).await;
        }
        Closed::TooLate { until } => {
            send::alert(&bot, &q, too_late(lang, &app, until)).await?;
        }
        Closed::Gone => {
            send::alert(&bot, &q, t!(lang, "attendance-gone")).await?;
        }
        Closed::NotAllowed => return refuse_stale(&bot, &app, &ctx, &q, id).await,
    }
    refresh(&bot, &app, lang, &q, id, 0).await
}

#[cfg(test)]
mod tests {
    use super::qr_png;

    #[test]
    fn the_qr_png_is_a_square_grayscale_image() {
        let png = qr_png("https://t.me/lienhe_bot?start=ck_abcdefghijklmnopqrstuv").unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!(info.width, info.height);
        assert!(info.width >= 200);
    }
}
