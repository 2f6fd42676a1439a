//! Comments on request: the workplace officer's `/request NAME` (member,
//! reason, due date, period, Send) and `/requests`; the secretary's "Draft
//! comment", which opens the sheet workflow over the request's period.

use chrono::NaiveDate;
use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    decisions::{Settled, settle_all},
    keyboards::button,
    render, sheets,
    state::{RequestForm, RequestStep, State, new_token},
};
use crate::telegram::{callback_data::CallbackData, send};
use crate::{
    domain::{
        Lang,
        dates::{DateError, format_dmy},
        meeting::local_date,
        membership::{Exemption, MAX_NAME_CHARS, name_fold, named},
        request::{
            self, DueError, MAX_REASON_CHARS, PeriodError, Progress, ReasonKind, RequestState,
            clean_reason, default_period, parse_due, parse_period,
        },
    },
    sheet::build::{self, exemption_label, reason_label},
    store::{
        committee::OfficerItem,
        decision_messages::Subject,
        introductions,
        outbox::{Card, Fallback, Notice, Payload, Recipient},
        requests::{self, Candidate, CardFacts, Created, Drafting, NewRequest, Told, Withdraw},
        sheets as sheets_store,
    },
    t,
};

/// Members offered as buttons at most; more matches ask for more of the name.
const MAX_CHOICES: usize = 10;
/// Requests `/requests` lists, newest first.
const LIST_LIMIT: i64 = 50;

/// `/request NAME`: an officer starts a request about a member of one of
/// their workplaces.
pub async fn start(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    name: &str,
) -> HandlerResult {
    let lang = ctx.lang;
    if !ctx.roles.officer {
        ctx.refuse(bot, app, t!(lang, "officers-only")).await?;
        return Ok(());
    }
    let wanted = name_fold(name);
    if wanted.is_empty() {
        send::text(bot, ctx.chat, t!(lang, "request-usage")).await?;
        return Ok(());
    }
    if super::commands::kept_under_way(bot, ctx, "/request").await? {
        return Ok(());
    }
    let all = requests::candidates(&app.pool, ctx.user_id()).await?;
    let found = named(&all, name, |c| &c.full_name);
    let mut form = RequestForm {
        token: new_token(),
        candidates: Vec::new(),
        membership_id: None,
        reason: None,
        reason_text: None,
        due: None,
        period: None,
        period_asked: None,
    };
    let key = form.cancel_key();
    match found.as_slice() {
        [] => {
            // Quoted no longer than a name can be (a pasted text, not a name).
            let shown = render::excerpt(name, MAX_NAME_CHARS);
            let nobody = t!(lang, "request-none-found", name = shown.as_str());
            let text = none_askable(app, ctx, name, MAX_CHOICES, nobody).await?;
            send::text(bot, ctx.chat, send::clip(&text)).await?;
        }
        [one] => {
            form.membership_id = Some(one.membership_id);
            dialogue
                .update(State::Request(RequestStep::Reason, form))
                .await?;
            ask_reason(bot, ctx, one, key).await?;
        }
        many if many.len() > MAX_CHOICES => {
            let text = t!(lang, "request-too-many", count = many.len(), name = name);
            send::text(bot, ctx.chat, text).await?;
        }
        many => {
            form.candidates = many.iter().map(|c| c.membership_id).collect();
            dialogue
                .update(State::Request(RequestStep::Member, form))
                .await?;
            ask_member(bot, app, ctx, many, key).await?;
        }
    }
    Ok(())
}

/// The answer to `/request NAME` or `/sheet NAME` that found nobody to
/// ask about: why, for each one the officer's workplaces know by that name
/// ([`not_askable`]); more than `most` of them, to narrow the name;
/// `nobody` where the name is nobody's.
pub(crate) async fn none_askable(
    app: &App,
    ctx: &Ctx,
    name: &str,
    most: usize,
    nobody: String,
) -> anyhow::Result<String> {
    let lang = ctx.lang;
    let why = not_askable(app, ctx, name).await?;
    Ok(match why.len() {
        0 => nobody,
        n if n > most => t!(lang, "request-too-many", count = n, name = name),
        _ => {
            let shown = render::excerpt(name, MAX_NAME_CHARS);
            let header = t!(lang, "request-none-askable", name = shown.as_str());
            format!("{header}\n{}", why.join("\n"))
        }
    })
}

/// Why nobody named `name` can be asked about, though the officer's
/// workplaces know somebody of that name: on a roster but registered with
/// no residence cell, registered with another workplace declared,
/// waiting for a cell to accept them, or no longer in any cell. One line
/// each (the same tiers of names as the members: [`named`]); none when the
/// name is nobody's.
/// `/request NAME` and `/sheet NAME` say so.
async fn not_askable(app: &App, ctx: &Ctx, name: &str) -> anyhow::Result<Vec<String>> {
    let lang = ctx.lang;
    let waiting = requests::waiting_to_join(&app.pool, ctx.user_id()).await?;
    let ended = requests::ended_of_workplaces(&app.pool, ctx.user_id()).await?;
    let mut known: Vec<(String, String)> = Vec::new();
    let now = app.now();
    for place in crate::store::workplaces::officer_of(&app.pool, ctx.user_id()).await? {
        let (nowhere, elsewhere) =
            crate::store::roster::not_registered_here(&app.pool, place.id).await?;
        let links = introductions::links_of_workplace(&app.pool, place.id).await?;
        for person in nowhere {
            // Their join request is on its way, or their membership
            // ended: said below instead.
            let fold = name_fold(&person.full_name);
            if waiting.iter().any(|(w, _)| name_fold(w) == fold)
                || ended.iter().any(|(e, _, _)| name_fold(e) == fold)
            {
                continue;
            }
            let name = person.full_name.as_str();
            // A link that led to a join request (refused or withdrawn
            // since) introduces them no more.
            let link = introductions::last_link(&links, person.phone.as_deref(), &person.name_key)
                .filter(|link| !link.used);
            let day = |at| format_dmy(local_date(at, app.tz));
            // Introduced already: a link waits for them to open it (or
            // expired unopened), or they opened it and have not asked to
            // join a cell yet (or it expired so); not only "introduce
            // them".
            let line = match link {
                Some(link) if link.opened && link.expires_at > now => t!(
                    lang,
                    "request-not-askable-link-opened",
                    name = name,
                    workplace = place.name.as_str(),
                    date = day(link.created_at),
                    when = day(link.opened_at.unwrap_or(link.created_at)),
                    until = day(link.expires_at)
                ),
                // Opened, and its days ran out before a join request: when
                // it was sent, opened and expired; a new link is needed.
                Some(link) if link.opened => t!(
                    lang,
                    "request-not-askable-link-opened-expired",
                    name = name,
                    workplace = place.name.as_str(),
                    date = day(link.created_at),
                    when = day(link.opened_at.unwrap_or(link.created_at)),
                    until = day(link.expires_at)
                ),
                Some(link) if link.expires_at > now => t!(
                    lang,
                    "request-not-askable-link-sent",
                    name = name,
                    workplace = place.name.as_str(),
                    date = day(link.created_at),
                    until = day(link.expires_at)
                ),
                Some(link) => t!(
                    lang,
                    "request-not-askable-link-expired",
                    name = name,
                    workplace = place.name.as_str(),
                    date = day(link.created_at),
                    until = day(link.expires_at)
                ),
                None => t!(
                    lang,
                    "request-not-askable-unregistered",
                    name = name,
                    workplace = place.name.as_str()
                ),
            };
            known.push((person.full_name, line));
        }
        for (person, member) in elsewhere {
            let line = t!(
                lang,
                "request-not-askable-elsewhere",
                name = person.full_name.as_str(),
                cell = member.cell_name.as_str()
            );
            known.push((person.full_name, line));
        }
    }
    for (person, cell, ended) in ended {
        let line = t!(
            lang,
            "request-not-askable-ended",
            name = person.as_str(),
            cell = cell.as_str(),
            date = format_dmy(local_date(ended, app.tz))
        );
        known.push((person, line));
    }
    for (person, cell) in waiting {
        let line = t!(
            lang,
            "request-not-askable-waiting",
            name = person.as_str(),
            cell = cell.as_str()
        );
        known.push((person, line));
    }
    let mut lines: Vec<String> = named(&known, name, |(person, _)| person.as_str())
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    lines.dedup();
    Ok(lines)
}

/// Cancel, for the request whose form has `key` ([`RequestForm::cancel_key`]).
fn cancel_row(lang: Lang, key: u32) -> Vec<teloxide::types::InlineKeyboardButton> {
    vec![button(
        t!(lang, "request-button-cancel"),
        CallbackData::RequestCancel(key),
    )]
}

async fn ask_member(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    found: &[Candidate],
    key: u32,
) -> HandlerResult {
    let lang = ctx.lang;
    // Namesakes of one cell are told apart (their phone, or the month
    // they were introduced).
    let shown: Vec<_> = found
        .iter()
        .map(|c| {
            let named = (
                c.full_name.as_str(),
                c.cell_name.as_str(),
                c.phone.as_deref(),
            );
            super::render::Named::new(named, c.introduced_on, c.accepted_at, app.tz)
        })
        .collect();
    let labels = super::render::choice_labels(lang, &shown);
    let keyboard = InlineKeyboardMarkup::new(
        found
            .iter()
            .zip(labels)
            .map(|(c, label)| vec![button(label, CallbackData::RequestMember(c.membership_id))])
            .chain([cancel_row(lang, key)]),
    );
    let text = t!(lang, "request-ask-member", count = found.len());
    send::with_markup(bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

/// A reason's button: its label with a capital.
fn reason_button(lang: Lang, kind: ReasonKind) -> String {
    match kind {
        ReasonKind::Other => t!(lang, "request-button-other"),
        _ => {
            let label = reason_label(lang, kind, None);
            let mut chars = label.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

async fn ask_reason(bot: &Bot, ctx: &Ctx, member: &Candidate, key: u32) -> HandlerResult {
    let lang = ctx.lang;
    let keyboard = InlineKeyboardMarkup::new(
        ReasonKind::ALL
            .into_iter()
            .map(|k| {
                vec![button(
                    reason_button(lang, k),
                    CallbackData::RequestReason(k),
                )]
            })
            .chain([cancel_row(lang, key)]),
    );
    let mut text = t!(
        lang,
        "request-ask-reason",
        name = member.full_name.as_str(),
        cell = member.cell_name.as_str()
    );
    if let Some(e) = member.exempt_reason.as_deref().and_then(Exemption::parse) {
        text.push_str("\n\n");
        text.push_str(&t!(
            lang,
            "request-exempt-note",
            reason = exemption_label(lang, e)
        ));
    }
    send::with_markup(bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

fn ask_reason_text(lang: Lang) -> String {
    t!(
        lang,
        "request-ask-reason-text",
        max = crate::i18n::count(lang, MAX_REASON_CHARS)
    )
}

fn ask_due_text(app: &App, lang: Lang) -> String {
    let (earliest, latest) = request::due_bounds(app.today());
    t!(
        lang,
        "request-ask-due",
        earliest = format_dmy(earliest),
        latest = format_dmy(latest)
    )
}

/// The period question, shown on `day` (its button's 12 months end then).
async fn ask_period(bot: &Bot, ctx: &Ctx, day: NaiveDate, key: u32) -> HandlerResult {
    let lang = ctx.lang;
    let (from, to) = default_period(day);
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            t!(
                lang,
                "request-button-last-year",
                from = format_dmy(from),
                to = format_dmy(to)
            ),
            CallbackData::RequestPeriodDefault,
        )],
        cancel_row(lang, key),
    ]);
    send::with_markup(bot, ctx.chat, t!(lang, "request-ask-period"), keyboard).await?;
    Ok(())
}

fn due_problem(lang: Lang, err: DueError) -> String {
    match err {
        DueError::Date(DateError::Impossible) => t!(lang, "error-date-impossible"),
        DueError::Date(_) => t!(lang, "error-date-format"),
        DueError::TooSoon { earliest } => {
            t!(
                lang,
                "request-due-too-soon",
                earliest = format_dmy(earliest)
            )
        }
        DueError::TooLate { latest } => {
            t!(lang, "request-due-too-late", latest = format_dmy(latest))
        }
    }
}

fn period_problem(lang: Lang, err: PeriodError) -> String {
    match err {
        PeriodError::Format => t!(lang, "request-period-format"),
        PeriodError::Impossible => t!(lang, "error-date-impossible"),
        PeriodError::Reversed => t!(lang, "request-period-reversed"),
        PeriodError::Future => t!(lang, "request-period-future"),
        PeriodError::TooLong => {
            let years = request::MAX_PERIOD_MONTHS / 12;
            t!(lang, "request-period-too-long", years = years)
        }
    }
}

/// The member chosen, re-read: still an approved member of one of the
/// officer's workplaces.
async fn chosen(app: &App, ctx: &Ctx, form: &RequestForm) -> anyhow::Result<Option<Candidate>> {
    let Some(id) = form.membership_id else {
        return Ok(None);
    };
    Ok(requests::candidate(&app.pool, ctx.user_id(), id).await?)
}

fn summary_text(lang: Lang, member: &Candidate, form: &RequestForm) -> Option<String> {
    let reason = ReasonKind::parse(form.reason.as_deref()?)?;
    let (from, to) = form.period?;
    Some(t!(
        lang,
        "request-summary",
        name = member.full_name.as_str(),
        cell = member.cell_name.as_str(),
        reason = reason_label(lang, reason, form.reason_text.as_deref()),
        from = format_dmy(from),
        to = format_dmy(to),
        due = format_dmy(form.due?)
    ))
}

async fn show_summary(
    bot: &Bot,
    ctx: &Ctx,
    member: &Candidate,
    form: &RequestForm,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(text) = summary_text(lang, member, form) else {
        return Ok(());
    };
    let tag = State::Request(RequestStep::Confirm, form.clone()).step_tag();
    let keyboard = InlineKeyboardMarkup::new([vec![
        button(
            t!(lang, "request-button-send"),
            CallbackData::RequestSend(tag),
        ),
        button(
            t!(lang, "request-button-cancel"),
            CallbackData::RequestCancel(form.cancel_key()),
        ),
    ]]);
    send::with_markup(bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

/// Asks the step again (after a wrong input or a press out of place).
async fn ask_again(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    step: RequestStep,
    form: &RequestForm,
) -> HandlerResult {
    let lang = ctx.lang;
    if step == RequestStep::Member {
        let mut found = Vec::new();
        for id in &form.candidates {
            if let Some(c) = requests::candidate(&app.pool, ctx.user_id(), *id).await? {
                found.push(c);
            }
        }
        return ask_member(bot, app, ctx, &found, form.cancel_key()).await;
    }
    let Some(member) = chosen(app, ctx, form).await? else {
        dialogue.exit().await?;
        send::text(bot, ctx.chat, t!(lang, "request-member-gone")).await?;
        return Ok(());
    };
    match step {
        RequestStep::Member | RequestStep::Reason => {
            ask_reason(bot, ctx, &member, form.cancel_key()).await
        }
        RequestStep::ReasonText => {
            send::text(bot, ctx.chat, ask_reason_text(lang)).await?;
            Ok(())
        }
        RequestStep::Due => {
            send::text(bot, ctx.chat, ask_due_text(app, lang)).await?;
            Ok(())
        }
        RequestStep::Period => {
            let today = app.today();
            let form = RequestForm {
                period_asked: Some(today),
                ..form.clone()
            };
            let key = form.cancel_key();
            dialogue.update(State::Request(step, form)).await?;
            ask_period(bot, ctx, today, key).await
        }
        RequestStep::Confirm => show_summary(bot, ctx, &member, form).await,
    }
}

/// A message at a step of /request.
pub async fn on_message(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (step, mut form): (RequestStep, RequestForm),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    // A link behind words (a reason pasted from a document) keeps its
    // address, as in any typed text.
    let linked = super::input::with_links(&msg).unwrap_or_default();
    let typed: &str = &linked;
    let problem = match step {
        RequestStep::Member | RequestStep::Reason | RequestStep::Confirm => {
            Some(t!(lang, "request-expect-button"))
        }
        _ if msg.text().is_none() => Some(t!(lang, "error-expect-text")),
        RequestStep::ReasonText => match clean_reason(typed) {
            Some(text) => {
                form.reason = Some(ReasonKind::Other.as_str().into());
                form.reason_text = Some(text);
                dialogue
                    .update(State::Request(RequestStep::Due, form))
                    .await?;
                send::text(&bot, ctx.chat, ask_due_text(&app, lang)).await?;
                return Ok(());
            }
            None => Some(t!(
                lang,
                "request-reason-length",
                max = crate::i18n::count(lang, MAX_REASON_CHARS)
            )),
        },
        RequestStep::Due => match parse_due(typed, app.today()) {
            Ok(due) => {
                form.due = Some(due);
                // Asked again from the summary (its due day came while it
                // waited): the period chosen stands, the summary comes back.
                if form.period.is_some() {
                    return to_confirm(&bot, &app, &ctx, &dialogue, form).await;
                }
                let today = app.today();
                form.period_asked = Some(today);
                let key = form.cancel_key();
                dialogue
                    .update(State::Request(RequestStep::Period, form))
                    .await?;
                return ask_period(&bot, &ctx, today, key).await;
            }
            Err(err) => Some(due_problem(lang, err)),
        },
        RequestStep::Period => match parse_period(typed, app.today()) {
            Ok(period) => {
                form.period = Some(period);
                return to_confirm(&bot, &app, &ctx, &dialogue, form).await;
            }
            Err(err) => Some(period_problem(lang, err)),
        },
    };
    if let Some(problem) = problem {
        send::text(&bot, ctx.chat, problem).await?;
    }
    ask_again(&bot, &app, &ctx, &dialogue, step, &form).await
}

async fn to_confirm(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    form: RequestForm,
) -> HandlerResult {
    let Some(member) = chosen(app, ctx, &form).await? else {
        dialogue.exit().await?;
        send::text(bot, ctx.chat, t!(ctx.lang, "request-member-gone")).await?;
        return Ok(());
    };
    dialogue
        .update(State::Request(RequestStep::Confirm, form.clone()))
        .await?;
    show_summary(bot, ctx, &member, &form).await
}

/// A button of the /request dialogue, pressed by an officer (the filter);
/// valid only at the step it was shown for.
pub async fn on_callback(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    data: CallbackData,
    state: State,
) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    let lang = ctx.lang;
    let State::Request(step, mut form) = state else {
        send::alert(bot, q, t!(lang, "stale-button")).await?;
        send::remove_buttons(bot, q).await;
        return Ok(());
    };
    match (data, step) {
        (CallbackData::RequestCancel(key), _) if key == 0 || key == form.cancel_key() => {
            send::ack(bot, q).await?;
            dialogue.exit().await?;
            send::settle_pressed(bot, q, t!(lang, "request-discarded")).await;
        }
        (CallbackData::RequestMember(id), RequestStep::Member) if form.candidates.contains(&id) => {
            // Re-checked: still a member of one of the officer's workplaces.
            let Some(member) = requests::candidate(&app.pool, ctx.user_id(), id).await? else {
                send::alert(bot, q, t!(lang, "request-member-gone")).await?;
                return Ok(());
            };
            send::ack(bot, q).await?;
            form.membership_id = Some(id);
            form.candidates.clear();
            let key = form.cancel_key();
            dialogue
                .update(State::Request(RequestStep::Reason, form))
                .await?;
            send::settle_pressed(bot, q, member.full_name.clone()).await;
            ask_reason(bot, ctx, &member, key).await?;
        }
        (CallbackData::RequestReason(kind), RequestStep::Reason) => {
            send::ack(bot, q).await?;
            send::settle_pressed(bot, q, reason_button(lang, kind)).await;
            if kind == ReasonKind::Other {
                dialogue
                    .update(State::Request(RequestStep::ReasonText, form))
                    .await?;
                send::text(bot, ctx.chat, ask_reason_text(lang)).await?;
            } else {
                form.reason = Some(kind.as_str().into());
                form.reason_text = None;
                dialogue
                    .update(State::Request(RequestStep::Due, form))
                    .await?;
                send::text(bot, ctx.chat, ask_due_text(app, lang)).await?;
            }
        }
        (CallbackData::RequestPeriodDefault, RequestStep::Period) => {
            send::ack(bot, q).await?;
            // The 12 months the button showed, whenever it is pressed.
            let (from, to) = default_period(form.period_asked.unwrap_or_else(|| app.today()));
            form.period = Some((from, to));
            send::settle_pressed(
                bot,
                q,
                t!(
                    lang,
                    "request-button-last-year",
                    from = format_dmy(from),
                    to = format_dmy(to)
                ),
            )
            .await;
            to_confirm(bot, app, ctx, &dialogue, form).await?;
        }
        (CallbackData::RequestSend(_), RequestStep::Confirm) => {
            send_request(bot, app, ctx, &dialogue, q, &form).await?;
        }
        _ => {
            send::alert(bot, q, t!(lang, "stale-button")).await?;
            send::remove_buttons(bot, q).await;
        }
    }
    Ok(())
}

/// The request for the member's secretary (or deputy): who, why, over
/// which period, by when, with "Draft comment"; the officer is told if it
/// cannot be delivered.
pub(super) fn secretary_notices(
    request: &requests::Request,
    facts: &CardFacts,
    to: Recipient,
) -> Vec<Notice> {
    let (member, workplace, officer) = (&facts.member, facts.workplace.as_str(), facts.officer);
    let lang = to.lang;
    let mut text = t!(
        lang,
        "request-to-secretary",
        name = member.full_name.as_str(),
        cell = member.cell_name.as_str(),
        workplace = workplace,
        reason = reason_label(lang, request.reason(), request.reason_text.as_deref()),
        from = format_dmy(request.period_from),
        to = format_dmy(request.period_to),
        due = format_dmy(request.due_on)
    );
    if let Some(e) = member.exempt_reason.as_deref().and_then(Exemption::parse) {
        text.push_str("\n\n");
        text.push_str(&t!(
            lang,
            "request-exempt-note",
            reason = exemption_label(lang, e)
        ));
    }
    vec![Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: send::clip(&text),
            buttons: vec![vec![(
                t!(lang, "request-button-draft"),
                CallbackData::RequestDraft(request.id).encode(),
            )]],
            // Recorded once sent, so that a withdrawal takes the button off.
            card: Some(Card {
                subject: Subject::Request,
                id: request.id,
            }),
            fallback: Some(Fallback {
                chat_id: officer.user_id,
                text: t!(
                    officer.lang,
                    "request-secretary-unreachable",
                    name = member.full_name.as_str()
                ),
                ..Fallback::default()
            }),
            ..Payload::default()
        },
    }]
}

async fn send_request(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    form: &RequestForm,
) -> HandlerResult {
    let lang = ctx.lang;
    let (Some(membership_id), Some(reason), Some(due), Some(period)) = (
        form.membership_id,
        form.reason.as_deref().and_then(ReasonKind::parse),
        form.due,
        form.period,
    ) else {
        dialogue.exit().await?;
        send::alert(bot, q, t!(lang, "stale-button")).await?;
        return Ok(());
    };
    // The member left the officer's workplaces (membership ended, moved,
    // erased their data) since the draft began.
    let Some(member) = chosen(app, ctx, form).await? else {
        dialogue.exit().await?;
        send::alert(bot, q, t!(lang, "request-member-gone")).await?;
        send::remove_buttons(bot, q).await;
        return Ok(());
    };
    // The due date was checked when typed; the draft may have waited since.
    if let Err(err) = request::parse_due(&format_dmy(due), app.today()) {
        send::ack(bot, q).await?;
        send::remove_buttons(bot, q).await;
        dialogue
            .update(State::Request(RequestStep::Due, form.clone()))
            .await?;
        let text = format!("{}\n\n{}", due_problem(lang, err), ask_due_text(app, lang));
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    let new = NewRequest {
        token: &form.token,
        officer_id: ctx.user_id(),
        membership_id,
        reason,
        reason_text: form.reason_text.as_deref(),
        period,
        due_on: due,
    };
    // The dialogue ends with the request, in its transaction.
    let ended = super::state::ending(ctx.chat);
    let sent = (app.now(), Some(&ended));
    let outcome = requests::create_ending(&app.pool, new, sent, secretary_notices).await?;
    dialogue.exit().await?;
    let summary = summary_text(lang, &member, form).unwrap_or_default();
    match outcome {
        Created::New { told, .. } => {
            app.wake_sender();
            send::ack(bot, q).await?;
            let done = if told > 0 {
                t!(lang, "request-sent")
            } else {
                t!(lang, "request-sent-nobody")
            };
            send::settle_pressed(bot, q, format!("{summary}\n\n{done}")).await;
        }
        Created::Again(_) => {
            send::toast(bot, q, t!(lang, "request-already-sent")).await?;
            send::remove_buttons(bot, q).await;
        }
        Created::Open { request, asked_by } => {
            send::ack(bot, q).await?;
            let open = t!(
                lang,
                "request-already-open",
                name = member.full_name.as_str(),
                who = asked_by.as_str(),
                date = format_dmy(local_date(request.created_at, app.tz)),
                reason = reason_label(lang, request.reason(), request.reason_text.as_deref()),
                from = format_dmy(request.period_from),
                to = format_dmy(request.period_to),
                due = format_dmy(request.due_on)
            );
            send::settle_pressed(bot, q, format!("{summary}\n\n{open}")).await;
        }
        // The membership ended (or was erased) after the draft's check,
        // as the press came: told as when it had ended before it.
        Created::MemberGone => {
            send::alert(bot, q, t!(lang, "request-member-gone")).await?;
            send::remove_buttons(bot, q).await;
        }
        Created::Refused => {
            send::alert(bot, q, t!(lang, "not-allowed")).await?;
            send::remove_buttons(bot, q).await;
        }
    }
    Ok(())
}

/// "Draft comment" on a request: the deciding secretary (or deputy) of the
/// member's cell opens the request's sheet over its period.
pub async fn on_draft(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    request_id: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(request) = requests::get(&app.pool, request_id).await? else {
        // The cell's notice of a request made after the backup the bot was
        // restored from (pressed on a message carrying this very button,
        // naming an id once given out): said so, and its buttons go; a
        // forged press is not allowed.
        if send::carries_pressed(&q) && requests::ever_given(&app.pool, request_id).await? {
            tracing::info!(
                user = ctx.user_id(),
                request_id,
                "button of a comment request gone"
            );
            send::alert(&bot, &q, t!(lang, "request-gone")).await?;
            send::remove_buttons(&bot, &q).await;
            return Ok(());
        }
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    };
    let today = app.today();
    let Some(sheet_ctx) = build::load_request(&app.pool, &request, today, app.tz).await? else {
        // The member left the cell (or erased their data): the request was
        // cancelled with them.
        if sheets::member_left(&app, &ctx, request.membership_id).await? {
            let why = match request.state() {
                RequestState::Cancelled => t!(lang, "request-cancelled-left-cell"),
                _ => t!(lang, "request-closed"),
            };
            return super::sheets::refuse_press(&bot, &q, why, true).await;
        }
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    };
    if !sheets::may_write(&app, &ctx, &sheet_ctx, "request draft").await? {
        // The old cell's card of a request that followed its member.
        if let Some(cell) = requests::moved_to(&app.pool, request_id, ctx.user_id()).await? {
            let why = t!(lang, "request-moved-away", cell = cell.as_str());
            return super::sheets::refuse_press(&bot, &q, why, true).await;
        }
        // One who was on the cell's committee is told they no longer are.
        let data = CallbackData::RequestDraft(request_id);
        if super::roles::refused_role_gone(&bot, &app, &ctx, &q, &data).await? {
            return Ok(());
        }
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    }
    let drafting = requests::start_drafting(
        &app.pool,
        request_id,
        ctx.user_id(),
        // The short version (an exempt member's) rates no criteria.
        &if sheet_ctx.short() {
            [None; 6]
        } else {
            sheet_ctx.evidence.suggest()
        },
        app.now(),
    )
    .await?;
    let sheet_id = match drafting {
        Drafting::Sheet(sheet_id) => sheet_id,
        // Signed: the sheet shows where it stands.
        Drafting::Closed => return Ok(send::alert(&bot, &q, t!(lang, "request-closed")).await?),
        Drafting::Withdrawn => {
            let why = t!(lang, "request-withdrawn-sheet");
            return super::sheets::refuse_press(&bot, &q, why, true).await;
        }
        // Their seat went after the press was checked.
        Drafting::NotAllowed => {
            let data = CallbackData::RequestDraft(request_id);
            if !super::roles::refused_role_gone(&bot, &app, &ctx, &q, &data).await? {
                send::alert(&bot, &q, t!(lang, "not-allowed")).await?;
            }
            return Ok(());
        }
    };
    let Some(sheet) = sheets_store::get(&app.pool, sheet_id).await? else {
        return Ok(send::alert(&bot, &q, t!(lang, "stale-button")).await?);
    };
    send::ack(&bot, &q).await?;
    sheets::show(&bot, &app, &ctx, &sheet_ctx, &sheet, None).await
}

/// `/requests`: to a cell's committee, the comments workplaces asked of
/// the cell and wait for, each with its Draft button (the notice that
/// brought it may be long gone, or have gone to a predecessor); to an
/// officer, the requests of their workplaces and where they stand, with a
/// Withdraw button by each one still open.
pub async fn list(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    if !ctx.roles.officer && !ctx.roles.committee() {
        ctx.refuse(bot, app, t!(lang, "officers-only")).await?;
        return Ok(());
    }
    if ctx.roles.committee() {
        committee_list(bot, app, ctx).await?;
    }
    if !ctx.roles.officer {
        return Ok(());
    }
    let Some((parts, keyboard)) = listing(app, lang, ctx.user_id()).await? else {
        send::text(bot, ctx.chat, t!(lang, "request-list-none")).await?;
        return Ok(());
    };
    send_parts(bot, ctx, parts, keyboard).await
}

/// A list split into messages, the buttons on the last one.
async fn send_parts(
    bot: &Bot,
    ctx: &Ctx,
    mut parts: Vec<String>,
    keyboard: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    let last = parts.pop().unwrap_or_default();
    for part in parts {
        send::text(bot, ctx.chat, part).await?;
    }
    match keyboard {
        Some(keyboard) => {
            send::with_markup(bot, ctx.chat, last, keyboard).await?;
        }
        None => {
            send::text(bot, ctx.chat, last).await?;
        }
    }
    Ok(())
}

/// The committee's part of `/requests`: the open requests about members
/// of the user's cells, oldest due first, a Draft button by each.
async fn committee_list(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let lang = ctx.lang;
    let cells: Vec<i64> = crate::store::committee::committee_cells(&app.pool, ctx.user_id())
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    // Not the comments on themselves (written by another of the committee,
    // or the ward's supervisors).
    let open: Vec<_> = requests::open_in_cells(&app.pool, &cells)
        .await?
        .into_iter()
        .filter(|r| r.user_id != ctx.user_id())
        .collect();
    if open.is_empty() {
        send::text(bot, ctx.chat, t!(lang, "request-cell-list-none")).await?;
        return Ok(());
    }
    let today = app.today();
    let mut lines = vec![t!(lang, "request-cell-list-header", count = open.len())];
    let mut buttons = Vec::new();
    for (i, r) in open.iter().take(LIST_LIMIT as usize).enumerate() {
        let n = i + 1;
        let reason = reason_label(
            lang,
            ReasonKind::parse(&r.reason_kind).unwrap_or(ReasonKind::Other),
            r.reason_text.as_deref(),
        );
        let mut line = t!(
            lang,
            "request-cell-list-line",
            n = n,
            name = r.full_name.as_str(),
            cell = r.cell_name.as_str(),
            workplace = r.workplace_name.as_str(),
            reason = reason,
            due = format_dmy(r.due_on)
        );
        if r.due_on < today {
            line.push(' ');
            line.push_str(&t!(lang, "request-state-overdue"));
        }
        lines.push(line);
        buttons.push(vec![button(
            t!(
                lang,
                "request-button-draft-n",
                n = n,
                name = r.full_name.as_str()
            ),
            CallbackData::RequestDraft(r.id),
        )]);
    }
    if open.len() > LIST_LIMIT as usize {
        let more = open.len() - LIST_LIMIT as usize;
        lines.push(t!(lang, "request-cell-list-more", count = more));
    }
    let parts = send::split_message(&lines.join("\n"), send::MAX_MESSAGE_CHARS);
    send_parts(bot, ctx, parts, Some(InlineKeyboardMarkup::new(buttons))).await
}

/// The text of `/requests` for `officer`, split into messages, and the
/// Withdraw buttons of the requests not signed or withdrawn; `None` when
/// there is no request.
async fn listing(
    app: &App,
    lang: Lang,
    officer: i64,
) -> anyhow::Result<Option<(Vec<String>, Option<InlineKeyboardMarkup>)>> {
    // One more than shown: whether older ones are left out.
    let mut listed = requests::of_officer(&app.pool, officer, LIST_LIMIT + 1).await?;
    if listed.is_empty() {
        return Ok(None);
    }
    let older = listed.len() > LIST_LIMIT as usize;
    listed.truncate(LIST_LIMIT as usize);
    let today = app.today();
    let local = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&app.tz).date_naive();
    let mut lines = vec![t!(lang, "request-list-header", count = listed.len())];
    let mut buttons = Vec::new();
    for (i, r) in listed.iter().enumerate() {
        let state = RequestState::parse(&r.state).unwrap_or(RequestState::Cancelled);
        let progress = request::progress(
            state,
            r.sheet_state.as_deref() == Some("with_member"),
            (r.signed_at.map(local), r.cancelled_at.map(local)),
            r.due_on,
            today,
        );
        let reason = reason_label(
            lang,
            ReasonKind::parse(&r.reason_kind).unwrap_or(ReasonKind::Other),
            r.reason_text.as_deref(),
        );
        let n = i + 1;
        lines.push(t!(
            lang,
            "request-list-line",
            n = n,
            name = r.full_name.as_str(),
            cell = r.cell_name.as_str(),
            reason = reason,
            due = format_dmy(r.due_on),
            state = progress_label(lang, progress)
        ));
        if request::may_withdraw(state) {
            buttons.push(vec![button(
                t!(
                    lang,
                    "request-button-withdraw",
                    n = n,
                    name = r.full_name.as_str()
                ),
                CallbackData::RequestWithdraw(r.id),
            )]);
        } else if state == RequestState::Signed {
            // The signed comment may have reached no officer (the one who
            // asked had blocked the bot, none was left, or this one was
            // appointed since): it can be had again here.
            buttons.push(vec![button(
                t!(
                    lang,
                    "request-button-documents",
                    n = n,
                    name = r.full_name.as_str()
                ),
                CallbackData::RequestDocuments(r.id),
            )]);
        }
    }
    if older {
        lines.push(t!(lang, "request-list-older", count = LIST_LIMIT));
    }
    let parts = send::split_message(&lines.join("\n"), send::MAX_MESSAGE_CHARS);
    let keyboard = (!buttons.is_empty()).then(|| InlineKeyboardMarkup::new(buttons));
    Ok(Some((parts, keyboard)))
}

/// Shows the list again on the message pressed (its last part, with the
/// buttons), `note` first where it fits: a part filling the message loses
/// no line for it (the press was answered with the note already).
async fn relist(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    note: Option<String>,
) -> HandlerResult {
    let lang = ctx.lang;
    let (last, keyboard) = match listing(app, lang, ctx.user_id()).await? {
        Some((mut parts, keyboard)) => (parts.pop().unwrap_or_default(), keyboard),
        None => (t!(lang, "request-list-none"), None),
    };
    let text = send::clip(&match note {
        Some(note) if send::units(&note) + 2 + send::units(&last) <= send::MAX_MESSAGE_CHARS => {
            format!("{note}\n\n{last}")
        }
        _ => last,
    });
    match keyboard {
        Some(keyboard) => send::edit_pressed(bot, q, text, keyboard).await,
        None => send::settle_pressed(bot, q, text).await,
    }
    Ok(())
}

/// The request pressed, as the presser's `/requests` lists it; `None`
/// when it is gone or not the presser's workplace's, after saying so (a
/// request of a workplace they no longer follow, moved to another: whose
/// it is, and the pressed message loses its buttons).
async fn pressed_request(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    id: i64,
) -> anyhow::Result<Option<requests::Listed>> {
    let lang = ctx.lang;
    if let Some(listed) = requests::listed(&app.pool, ctx.user_id(), id).await? {
        return Ok(Some(listed));
    }
    match requests::get(&app.pool, id).await? {
        None => send::alert(bot, q, t!(lang, "request-withdraw-gone")).await?,
        Some(_) => {
            let item = (OfficerItem::Request, id);
            super::roles::refuse_officer_press(bot, app, ctx, q, item).await?;
        }
    }
    Ok(None)
}

/// "Withdraw" by a request in `/requests` (an officer: the filter; the
/// request's workplace re-read here): asks to confirm, in place.
pub async fn on_withdraw(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    let lang = ctx.lang;
    let Some(r) = pressed_request(bot, app, ctx, q, id).await? else {
        return Ok(());
    };
    match RequestState::parse(&r.state) {
        Some(RequestState::Signed) => {
            send::alert(bot, q, t!(lang, "request-withdraw-signed")).await?;
            return relist(bot, app, ctx, q, None).await;
        }
        Some(RequestState::Requested | RequestState::Drafting) => {}
        _ => {
            send::toast(bot, q, t!(lang, "request-withdraw-already")).await?;
            return relist(bot, app, ctx, q, None).await;
        }
    }
    send::ack(bot, q).await?;
    let reason = reason_label(
        lang,
        ReasonKind::parse(&r.reason_kind).unwrap_or(ReasonKind::Other),
        r.reason_text.as_deref(),
    );
    let text = t!(
        lang,
        "request-withdraw-ask",
        name = r.full_name.as_str(),
        cell = r.cell_name.as_str(),
        reason = reason,
        due = format_dmy(r.due_on)
    );
    let keyboard = InlineKeyboardMarkup::new([vec![
        button(
            t!(lang, "request-button-withdraw-yes"),
            CallbackData::RequestWithdrawYes(id),
        ),
        button(
            t!(lang, "request-button-withdraw-no"),
            CallbackData::RequestWithdrawNo(id),
        ),
    ]]);
    send::edit_pressed(bot, q, text, keyboard).await;
    Ok(())
}

/// "Documents" by a signed request in `/requests` (an officer of its
/// workplace now, never the member it is about: re-read at the press): the
/// signed comment's DOCX and PDF as stored when it was signed, sent again.
pub async fn on_documents(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    id: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(listed) = pressed_request(&bot, &app, &ctx, &q, id).await? else {
        return Ok(());
    };
    let sheet = match requests::get(&app.pool, id).await? {
        Some(r) if listed.state == RequestState::Signed.as_str() => r.sheet_id,
        _ => None,
    };
    let documents = match sheet {
        Some(sheet) => crate::store::documents::of_sheet(&app.pool, sheet).await?,
        None => Vec::new(),
    };
    if documents.is_empty() {
        // Not signed, or its documents not made yet (the scheduler
        // makes them at its next look after a crash).
        send::alert(&bot, &q, t!(lang, "stale-button")).await?;
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    for document in documents {
        // Under a file name in the officer's language.
        let document = crate::sheet::deliver::document_in(&app.pool, document, lang).await?;
        send::patiently(|| send::stored_document(&bot, &app.pool, ctx.chat, &document, None))
            .await?;
    }
    Ok(())
}

/// "Keep": the list again, nothing changed.
pub async fn on_withdraw_no(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    id: i64,
) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    if pressed_request(bot, app, ctx, q, id).await?.is_none() {
        return Ok(());
    }
    send::ack(bot, q).await?;
    relist(bot, app, ctx, q, None).await
}

/// The notices of a withdrawal: to the cell's secretary (or deputy) who
/// holds the request, and to the member if the draft was sent to them.
fn withdrawal_notices(w: &requests::Withdrawal, told: Told, to: Recipient) -> Vec<Notice> {
    let lang = to.lang;
    let reason = reason_label(lang, w.request.reason(), w.request.reason_text.as_deref());
    let text = match told {
        Told::Cell => t!(
            lang,
            "request-withdrawn-to-cell",
            workplace = w.workplace_name.as_str(),
            name = w.full_name.as_str(),
            cell = w.cell_name.as_str(),
            reason = reason,
            due = format_dmy(w.request.due_on)
        ),
        Told::Member => t!(
            lang,
            "request-withdrawn-to-member",
            workplace = w.workplace_name.as_str(),
            reason = reason
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

/// "Withdraw" confirmed: one audited transaction (`requests::withdraw`)
/// decides; this only says what came of it.
pub async fn on_withdraw_yes(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    id: i64,
) -> HandlerResult {
    let (bot, app, ctx, q) = (&bot, &app, &ctx, &q);
    let lang = ctx.lang;
    let outcome =
        requests::withdraw(&app.pool, id, ctx.user_id(), app.now(), withdrawal_notices).await?;
    match outcome {
        Withdraw::Withdrawn { withdrawal, told } => {
            app.wake_sender();
            tracing::info!(request = id, by = ctx.user_id(), told, "request withdrawn");
            let w = &withdrawal;
            let (name, reason) = (
                w.full_name.as_str(),
                reason_label(lang, w.request.reason(), w.request.reason_text.as_deref()),
            );
            // Nobody in the cell to tell (no secretary or deputy in the bot).
            let done = if told == 0 {
                t!(
                    lang,
                    "request-withdrawn-done-untold",
                    name = name,
                    reason = reason
                )
            } else {
                t!(lang, "request-withdrawn-done", name = name, reason = reason)
            };
            send::toast(bot, q, done.clone()).await?;
            relist(bot, app, ctx, q, Some(done)).await?;
            // The secretary's card of the request loses its Draft button
            // (the notice queued with the withdrawal says why).
            settle_all(bot, app, Subject::Request, id, Settled::ButtonsOff).await?;
        }
        Withdraw::AlreadyWithdrawn => {
            send::toast(bot, q, t!(lang, "request-withdraw-already")).await?;
            relist(bot, app, ctx, q, None).await?;
            settle_all(bot, app, Subject::Request, id, Settled::ButtonsOff).await?;
        }
        Withdraw::AlreadySigned => {
            send::alert(bot, q, t!(lang, "request-withdraw-signed")).await?;
            relist(bot, app, ctx, q, None).await?;
        }
        Withdraw::NotAllowed => {
            let item = (OfficerItem::Request, id);
            super::roles::refuse_officer_press(bot, app, ctx, q, item).await?;
        }
        Withdraw::Gone => {
            send::alert(bot, q, t!(lang, "request-withdraw-gone")).await?;
            relist(bot, app, ctx, q, None).await?;
        }
    }
    Ok(())
}

pub fn progress_label(lang: Lang, progress: Progress) -> String {
    match progress {
        Progress::Waiting => t!(lang, "request-state-waiting"),
        Progress::Drafting => t!(lang, "request-state-drafting"),
        Progress::WithMember => t!(lang, "request-state-with-member"),
        Progress::Signed(on) => t!(lang, "request-state-signed", date = format_dmy(on)),
        Progress::Overdue => t!(lang, "request-state-overdue"),
        Progress::Withdrawn(on) => t!(lang, "request-state-withdrawn", date = format_dmy(on)),
        Progress::Cancelled => t!(lang, "request-state-cancelled"),
    }
}
