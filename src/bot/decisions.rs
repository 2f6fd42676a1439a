//! Secretaries' decisions on join requests and reports. Every press is
//! re-checked against the database: who the presser is, and whether the
//! item is still pending.

use std::collections::BTreeMap;

use teloxide::{
    RequestError,
    prelude::*,
    types::{
        CallbackQuery, ChatId, InlineKeyboardButtonKind, InlineKeyboardMarkup, Message, MessageId,
    },
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    input, keyboards, menus, render, roles,
    roles::may_decide_item,
    state::{State, come_back, coming_back, with_resumed},
};
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        membership::MembershipStatus,
        permissions::{Denied, may_decide},
        report::{Decision, ReportStatus, clean_reject_reason},
    },
    store::{
        committee::{self, Decided},
        decision_messages::{self, Subject},
        memberships::{self, Membership},
        outbox::{self, Card, Notice, Payload, Recipient},
        reports::{self, Report},
        users,
    },
    t,
};

/// The language of a user we are about to write to.
async fn lang_of(app: &App, user_id: i64) -> anyhow::Result<Lang> {
    Ok(users::get(&app.pool, user_id)
        .await?
        .map(|u| u.lang())
        .unwrap_or_default())
}

/// Logs a send that failed because the user cannot be reached; other
/// errors are returned.
fn tolerate_unreachable<T>(
    result: Result<T, RequestError>,
    user_id: i64,
) -> Result<Option<T>, RequestError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(err) if send::is_unreachable(&err) => {
            tracing::warn!(user = user_id, %err, "user cannot be reached");
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

// ------------------------------------------------------------------ cards

pub async fn send_join_card(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    lang: Lang,
    m: &Membership,
) -> anyhow::Result<Option<Message>> {
    let (text, markup) = (
        render::join_card(m, lang),
        keyboards::join_decision(m.id, lang),
    );
    let sent = send::with_markup(bot, chat, text, markup).await;
    let sent = tolerate_unreachable(sent, chat.0)?;
    if let Some(msg) = &sent {
        decision_messages::add(
            &app.pool,
            Subject::Membership,
            m.id,
            chat.0,
            msg.id.0 as i64,
        )
        .await?;
        // Decided (or withdrawn) since the request was read for this card,
        // its decision looking for the cards to settle before this one was
        // recorded: settled now.
        match memberships::get(&app.pool, m.id).await? {
            Some(now) if now.status() == MembershipStatus::Pending => {}
            Some(now) => settle_join(bot, app, &now).await?,
            None => settle_all(bot, app, Subject::Membership, m.id, Settled::ButtonsOff).await?,
        }
    }
    Ok(sent)
}

pub async fn send_report_card(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    lang: Lang,
    r: &Report,
) -> anyhow::Result<Option<Message>> {
    let r = &with_duplicates(app, r).await?;
    let text = render::report_card(r, lang);
    let markup = keyboards::report_decision(r.id, r.photo_count, lang);
    let sent = send::with_markup(bot, chat, text, markup).await;
    let sent = tolerate_unreachable(sent, chat.0)?;
    if let Some(msg) = &sent {
        decision_messages::add(&app.pool, Subject::Report, r.id, chat.0, msg.id.0 as i64).await?;
        // Decided (or withdrawn) since the report was read for this card:
        // settled now, as `send_join_card` does.
        match reports::get(&app.pool, r.id).await? {
            Some(now) if now.status() == ReportStatus::Pending => {}
            Some(now) => settle_report(bot, app, &now).await?,
            None => settle_all(bot, app, Subject::Report, r.id, Settled::ButtonsOff).await?,
        }
    }
    Ok(sent)
}

/// The report with its duplicate-photo lines read, for its card.
async fn with_duplicates(app: &App, r: &Report) -> anyhow::Result<Report> {
    let mut r = r.clone();
    // Without photos of its own, a report can carry nobody's photo.
    if r.photo_count > 0 {
        r.duplicates = reports::duplicates(&app.pool, r.id).await?;
    }
    Ok(r)
}

/// The buttons of a keyboard as the outbox stores them.
pub(super) fn stored_buttons(markup: InlineKeyboardMarkup) -> Vec<Vec<(String, String)>> {
    markup
        .inline_keyboard
        .into_iter()
        .map(|row| {
            row.into_iter()
                .filter_map(|b| match b.kind {
                    InlineKeyboardButtonKind::CallbackData(data) => Some((b.text, data)),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// The cards as the scheduler offers items pending too long to the deputy.
pub const CARDS: crate::jobs::escalation::Cards = crate::jobs::escalation::Cards {
    join: join_card_notices,
    report: report_card_notices,
    request: super::requests::secretary_notices,
};

/// Cards given to one person at one change of a cell's committee, at most
/// (as /pending sends ten of each kind): a big cell's backlog beyond them
/// is counted in one note pointing to /pending, not a card each.
pub const CARDS_AT_ONCE: usize = 10;

/// A new join request, for the cell's secretary: the card with its buttons.
/// After a change of a cell's committee (`before`: as it was): every item
/// waiting in the cell is carded to whoever decides it now and did not
/// before, unless they have its card already (a member who became
/// secretary: their own reports go to the deputy or the ward's
/// supervisors; a secretary gone: to the deputy). `except` is who just took
/// a role and is told instead what waits for them (/pending), but carded
/// the workplaces' requests for a comment (not in /pending). Returns how
/// many items were carded.
pub async fn card_waiting_items(
    conn: &mut sqlx::SqliteConnection,
    cell_id: i64,
    before: crate::domain::permissions::Committee,
    except: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<usize> {
    let after = committee::of_cell(conn, cell_id).await?;
    let mut notices = Vec::new();
    let mut carded = 0;
    // Per recipient: the cards given, and the joins and reports beyond
    // CARDS_AT_ONCE (with the reports' ids), told in one note.
    let mut given: BTreeMap<i64, (usize, usize, Vec<i64>)> = BTreeMap::new();
    for (subject, id, owner) in committee::waiting_in(conn, cell_id).await? {
        let earlier = committee::recipients_given(conn, before, cell_id, owner).await?;
        for to in committee::recipients_given(conn, after, cell_id, owner).await? {
            // One who just took a role is told what waits in /pending;
            // a workplace's request is not listed there, so it is carded.
            let told = Some(to) == except && subject != Subject::Request;
            if earlier.contains(&to)
                || told
                || outbox::has_card(conn, Card { subject, id }, to).await?
            {
                continue;
            }
            let (cards_given, more, reports) = given.entry(to).or_default();
            if *cards_given >= CARDS_AT_ONCE && subject != Subject::Request {
                *more += 1;
                if subject == Subject::Report {
                    reports.push(id);
                }
                continue;
            }
            let to = Recipient::load(conn, to).await?;
            let cards = CARDS.of_item(conn, subject, id, to).await?;
            *cards_given += usize::from(!cards.is_empty());
            carded += usize::from(!cards.is_empty());
            notices.extend(cards);
        }
    }
    let cell = crate::store::cells::get(&mut *conn, cell_id).await?;
    let cell = cell.map(|c| c.name).unwrap_or_default();
    for (to, (_, more, reports)) in given {
        if more == 0 {
            continue;
        }
        let to = Recipient::load(conn, to).await?;
        notices.push(Notice {
            chat_id: to.user_id,
            payload: Payload {
                text: t!(to.lang, "cards-more", cell = cell.as_str(), count = more),
                // Not sent once none of its reports waits for the reader.
                waiting: reports,
                ..Payload::default()
            },
        });
    }
    outbox::enqueue_notices(conn, &notices, now).await?;
    Ok(carded)
}

pub fn join_card_notices(m: &Membership, to: Recipient) -> Vec<Notice> {
    vec![Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: render::join_card(m, to.lang),
            buttons: stored_buttons(keyboards::join_decision(m.id, to.lang)),
            card: Some(Card {
                subject: Subject::Membership,
                id: m.id,
            }),
            ..Payload::default()
        },
    }]
}

/// A new report, for the cell's secretary: its photos first, then the card.
pub fn report_card_notices(r: &Report, photos: &[String], to: Recipient) -> Vec<Notice> {
    let mut notices = Vec::new();
    if !photos.is_empty() {
        notices.push(Notice {
            chat_id: to.user_id,
            payload: Payload {
                text: t!(to.lang, "photos-caption", id = r.id),
                photos: photos.to_vec(),
                ..Payload::default()
            },
        });
    }
    notices.push(Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: render::report_card(r, to.lang),
            buttons: stored_buttons(keyboards::report_decision(r.id, r.photo_count, to.lang)),
            card: Some(Card {
                subject: Subject::Report,
                id: r.id,
            }),
            ..Payload::default()
        },
    });
    notices
}

/// The decision on a join request, for the member.
fn join_decided_notices(m: &Membership, member: Recipient) -> Vec<Notice> {
    let cell = m.cell_name.as_str();
    let approved = match m.status() {
        MembershipStatus::Approved => true,
        MembershipStatus::Rejected => false,
        _ => return Vec::new(),
    };
    // In every language: it goes in the one the member has when it is sent
    // (a /language switched while it was queued).
    let payload = Payload::in_every_lang(member.lang, |lang| {
        let text = match approved {
            true => t!(lang, "join-approved", cell = cell),
            false => t!(lang, "join-rejected", cell = cell),
        };
        (text, Vec::new())
    });
    vec![Notice {
        chat_id: member.user_id,
        payload,
    }]
}

/// The decision on a join request made through an introduction, for the
/// officer who made it.
fn introducer_notices(m: &Membership, officer: Recipient) -> Vec<Notice> {
    let (cell, name) = (m.cell_name.as_str(), m.full_name.as_str());
    let text = match m.status() {
        MembershipStatus::Approved => {
            t!(officer.lang, "introduce-approved", cell = cell, name = name)
        }
        MembershipStatus::Rejected => {
            t!(officer.lang, "introduce-rejected", cell = cell, name = name)
        }
        _ => return Vec::new(),
    };
    vec![Notice {
        chat_id: officer.user_id,
        payload: Payload {
            text,
            ..Payload::default()
        },
    }]
}

/// The decision on a report, for the member.
/// What a meeting's register queues: a decision's notice to a member whose
/// pending report it approved, a card of the closer's own activity.
pub(super) const REGISTER_NOTICES: crate::store::meetings::RegisterNotices =
    crate::store::meetings::RegisterNotices {
        decided: report_decided_notices,
        card: report_card_notices,
    };

pub(super) fn report_decided_notices(r: &Report, member: Recipient) -> Vec<Notice> {
    if r.status() == ReportStatus::Pending {
        return Vec::new();
    }
    // In every language: it goes in the one the member has when it is sent.
    let payload = Payload::in_every_lang(member.lang, |lang| report_decided_text(r, lang));
    vec![Notice {
        chat_id: member.user_id,
        payload,
    }]
}

/// A report's decision as its member is told it, in `lang`, with Edit and
/// resubmit under a rejection the member can still resubmit.
fn report_decided_text(r: &Report, lang: Lang) -> (String, Vec<Vec<(String, String)>>) {
    let date = crate::domain::dates::format_dmy(r.activity_date);
    let text = match r.status() {
        ReportStatus::Approved => t!(
            lang,
            "report-approved",
            id = r.id,
            kind = r.kind_name(lang),
            date = date
        ),
        ReportStatus::Rejected => t!(
            lang,
            "report-rejected",
            id = r.id,
            kind = r.kind_name(lang),
            date = date,
            reason = r.reject_reason.clone().unwrap_or_default()
        ),
        ReportStatus::Pending => String::new(),
    };
    // A rejected report can come back, edited: not once the member's
    // membership ended (a move excepted), when the button could not work.
    let buttons = if r.status() == ReportStatus::Rejected && r.still_member {
        stored_buttons(keyboards::resubmit(r.id, lang))
    } else {
        Vec::new()
    };
    (text, buttons)
}

/// A move approved in the new cell, for the secretary of the old one.
fn moved_away_notices(old: &Membership, new: &Membership, to: Recipient) -> Vec<Notice> {
    vec![Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: t!(
                to.lang,
                "move-old-secretary-told",
                name = old.full_name.as_str(),
                cell = old.cell_name.as_str(),
                new_cell = new.cell_name.as_str()
            ),
            ..Payload::default()
        },
    }]
}

// -------------------------------------------------------------- decisions

fn denied_text(lang: Lang, denied: Denied) -> String {
    match denied {
        Denied::NotDecider => t!(lang, "not-allowed"),
        Denied::OwnItem => t!(lang, "not-allowed-own"),
    }
}

/// What to tell one refused an item of `cell_id`: [`denied_text`], or, to
/// one who was on the cell's committee and no longer is, that (and who
/// decides now); then whether it was that.
async fn refusal(
    app: &App,
    ctx: &Ctx,
    (cell_id, owner): (i64, i64),
    denied: Denied,
) -> anyhow::Result<(String, bool)> {
    let gone = match denied {
        Denied::NotDecider => {
            match roles::role_gone_for(app, ctx.lang, ctx.user_id(), cell_id, Some(owner)).await? {
                Some(text) => Some(text),
                None => {
                    roles::supervisor_stood_down(app, ctx.lang, ctx.user_id(), cell_id, owner)
                        .await?
                }
            }
        }
        Denied::OwnItem => None,
    };
    Ok(match gone {
        Some(text) => (text, true),
        None => (denied_text(ctx.lang, denied), false),
    })
}

/// A press refused (`denied`) on the card of item `card` of `cell_id`:
/// said; one no longer on the cell's committee loses the card's buttons.
async fn refuse_press(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    (cell_id, owner, card): (i64, i64, (Subject, i64)),
    denied: Denied,
) -> HandlerResult {
    let (text, gone) = refusal(app, ctx, (cell_id, owner), denied).await?;
    send::alert(bot, q, text).await?;
    if gone {
        roles::settle_pressed(bot, app, q, Some(card)).await?;
    }
    Ok(())
}

/// What a settled card shows.
pub(super) enum Settled<'a> {
    /// This text (in the card's reader's language), without buttons.
    Text(&'a (dyn Fn(Lang) -> String + Sync)),
    /// Its text as it was, without buttons.
    ButtonsOff,
}

impl<'a> Settled<'a> {
    /// The text a settled card shows instead of its own, if any.
    fn text_for(&self) -> Option<&'a (dyn Fn(Lang) -> String + Sync)> {
        match self {
            Settled::Text(text_for) => Some(*text_for),
            Settled::ButtonsOff => None,
        }
    }
}

/// Rewrites every message that shows the item to show its outcome, once,
/// each in the language of the one who reads it: a card that shows it
/// already is left alone (Telegram refuses an edit that changes nothing).
/// A card whose edit failed on the way (network, 5xx, 429) stays unsettled
/// and is tried again at the next press. A card still queued in the outbox
/// is settled there first, so that it goes out showing the outcome.
pub(super) async fn settle_all(
    bot: &Bot,
    app: &App,
    subject: Subject,
    id: i64,
    settled: Settled<'_>,
) -> anyhow::Result<()> {
    settle_all_with(bot, app, (subject, id), settled, None).await
}

/// The card a decider pressed, and the language they read: see
/// [`settle_all_with`].
type Pressed = Option<(ChatId, MessageId, Lang)>;

/// Records a pressed message (`shown`: chat, message) as a card of the item
/// if it is not known as one (a copy sent twice: see [`settle_all_with`]).
/// Whether it was unknown.
async fn record_unknown_copy(
    app: &App,
    subject: Subject,
    id: i64,
    shown: (i64, i64),
) -> anyhow::Result<bool> {
    if decision_messages::is_card(&app.pool, subject, id, shown).await? {
        return Ok(false);
    }
    tracing::info!(
        chat = shown.0,
        ?subject,
        id,
        "a copy of a card not known as one recorded"
    );
    decision_messages::add(&app.pool, subject, id, shown.0, shown.1).await?;
    Ok(true)
}

/// The card pressed by one who may decide the item (`q`), as [`Pressed`].
fn pressed_by(q: &CallbackQuery, lang: Lang) -> Pressed {
    send::pressed_message(q).map(|(chat, message)| (chat, message, lang))
}

/// [`settle_all`], and the card a decider pressed (`pressed`) with them
/// if it is not known as one of the item's cards: a copy the outbox sent
/// twice (Telegram took the first but its answer was lost on the way, the
/// connection broken or the answer later than the client's timeout, so it
/// was sent again and only the second recorded), or a card sent directly
/// whose answer was lost. It is recorded as a card and settled with the
/// others, rather than keeping its buttons on a decided item.
async fn settle_all_with(
    bot: &Bot,
    app: &App,
    (subject, id): (Subject, i64),
    settled: Settled<'_>,
    pressed: Pressed,
) -> anyhow::Result<()> {
    let text_for = settled.text_for();
    let queued = outbox::settle_queued_cards(&app.pool, Card { subject, id }, text_for).await?;
    if queued > 0 {
        tracing::debug!(?subject, id, queued, "queued cards settled before sending");
    }
    let mut cards = decision_messages::unsettled(&app.pool, subject, id).await?;
    if let Some((chat, message, lang)) = pressed {
        let shown = (chat.0, i64::from(message.0));
        if !cards.iter().any(|c| (c.chat_id, c.message_id) == shown)
            && record_unknown_copy(app, subject, id, shown).await?
        {
            cards.push(decision_messages::Shown {
                chat_id: shown.0,
                message_id: shown.1,
                lang,
                current: true,
            });
        }
    }
    for card in cards {
        let (chat, message) = (ChatId(card.chat_id), MessageId(card.message_id as i32));
        send::shown::forget(bot, (chat, message));
        // One no longer on the committee (or the ward) loses the buttons
        // and is not shown the outcome.
        let edited = match text_for.filter(|_| card.current) {
            Some(text_for) => bot
                .edit_message_text(chat, message, send::clip(&text_for(card.lang)))
                .await
                .map(drop),
            None => bot.edit_message_reply_markup(chat, message).await.map(drop),
        };
        send::shown::forget(bot, (chat, message));
        // Refused for good (not modified, deleted, too old to edit, chat
        // gone): nothing more to do. A 5xx comes as an unknown description.
        let for_good = edited.as_ref().err().is_none_or(|e| !send::is_transient(e));
        match edited {
            Err(err) if !for_good => {
                tracing::warn!(%err, chat = card.chat_id, "could not settle a card");
            }
            edited => {
                if let Err(err) = edited {
                    tracing::debug!(%err, chat = card.chat_id, "card left as it is");
                }
                let shown = (card.chat_id, card.message_id);
                decision_messages::mark_settled(&app.pool, subject, id, shown, app.now()).await?;
            }
        }
    }
    Ok(())
}

async fn settle_join(bot: &Bot, app: &App, m: &Membership) -> anyhow::Result<()> {
    settle_join_with(bot, app, m, None).await
}

/// [`settle_join`], the card pressed with the others ([`settle_all_with`]).
async fn settle_join_with(
    bot: &Bot,
    app: &App,
    m: &Membership,
    pressed: Pressed,
) -> anyhow::Result<()> {
    let tz = app.tz;
    let text = |l| {
        render::with_outcome(
            &render::join_card(m, l),
            &render::join_decided_line(m, l, tz),
        )
    };
    let card = (Subject::Membership, m.id);
    settle_all_with(bot, app, card, Settled::Text(&text), pressed).await
}

/// The cards of a join request its sender withdrew: the request, and that
/// it was withdrawn.
pub(super) async fn settle_withdrawn_join(
    bot: &Bot,
    app: &App,
    m: &Membership,
) -> anyhow::Result<()> {
    settle_join_card(bot, app, m, &|l| t!(l, "join-withdrawn-card")).await
}

/// Every card of join request `m` shows the request and, under it, `line`.
async fn settle_join_card(
    bot: &Bot,
    app: &App,
    m: &Membership,
    line: &(dyn Fn(Lang) -> String + Sync),
) -> anyhow::Result<()> {
    let text = |l| render::with_outcome(&render::join_card(m, l), &line(l));
    settle_all(bot, app, Subject::Membership, m.id, Settled::Text(&text)).await
}

async fn settle_report(bot: &Bot, app: &App, r: &Report) -> anyhow::Result<()> {
    settle_report_with(bot, app, r, None).await
}

/// [`settle_report`], the card pressed with the others ([`settle_all_with`]).
async fn settle_report_with(
    bot: &Bot,
    app: &App,
    r: &Report,
    pressed: Pressed,
) -> anyhow::Result<()> {
    let tz = app.tz;
    // The settled card keeps the duplicate-photo lines it showed.
    let r = &with_duplicates(app, r).await?;
    let text = |l| render::settled_report_card(r, l, &render::report_decided_line(r, l, tz));
    let card = (Subject::Report, r.id);
    settle_all_with(bot, app, card, Settled::Text(&text), pressed).await
}

/// Approve or Reject on a join request.
pub async fn on_join(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    id: i64,
    decision: Decision,
) -> HandlerResult {
    let lang = ctx.lang;
    let Some(m) = memberships::get(&app.pool, id).await? else {
        // Withdrawn by its sender (or erased) since this card was sent, its
        // cards left with their buttons (a process stopped before it
        // settled them, or /forgetme, which marks them settled without
        // editing them): said so, and every card loses its buttons, the
        // pressed one too.
        let pressed =
            send::pressed_message(q).map(|(chat, message)| (chat.0, i64::from(message.0)));
        if let Some(pressed) = pressed
            && decision_messages::is_card(&app.pool, Subject::Membership, id, pressed).await?
        {
            send::alert(bot, q, t!(lang, "decision-join-withdrawn")).await?;
            send::remove_buttons(bot, q).await;
            return settle_all(bot, app, Subject::Membership, id, Settled::ButtonsOff).await;
        }
        // Its card not recorded (sent after the backup the database was
        // restored from, or pruned): pressed on a message that carries
        // this very button, naming an id once given out, it is an old
        // card's, said so, and its buttons go; before, "not allowed".
        if send::carries_pressed(q) && memberships::ever_given(&app.pool, id).await? {
            tracing::info!(user = ctx.user_id(), id, "button for a join request gone");
            send::alert(bot, q, t!(lang, "decision-join-gone")).await?;
            send::remove_buttons(bot, q).await;
            return Ok(());
        }
        tracing::warn!(
            user = ctx.user_id(),
            id,
            "button for an unknown join request"
        );
        return Ok(send::alert(bot, q, t!(lang, "not-allowed")).await?);
    };
    if let Err(denied) = may_decide_item(app, ctx.user_id(), m.cell_id, m.user_id).await? {
        tracing::warn!(user = ctx.user_id(), id, ?denied, "join decision refused");
        let card = (m.cell_id, m.user_id, (Subject::Membership, id));
        return refuse_press(bot, app, ctx, q, card, denied).await;
    }
    let to = match decision {
        Decision::Approve => MembershipStatus::Approved,
        Decision::Reject => MembershipStatus::Rejected,
    };
    let decided = match m.status() {
        MembershipStatus::Pending => {
            memberships::decide_with(
                &app.pool,
                id,
                to,
                ctx.user_id(),
                app.now(),
                join_decided_notices,
                moved_away_notices,
                introducer_notices,
                &super::requests::secretary_notices,
            )
            .await?
        }
        _ => Decided::NotPending,
    };
    if let Decided::Refused(denied) = decided {
        tracing::warn!(user = ctx.user_id(), id, ?denied, "join decision refused");
        let card = (m.cell_id, m.user_id, (Subject::Membership, id));
        return refuse_press(bot, app, ctx, q, card, denied).await;
    }
    if let Decided::NotPending = decided {
        let Some(m) = memberships::get(&app.pool, id).await? else {
            return withdrawn_meanwhile(bot, app, q, lang, Subject::Membership, id).await;
        };
        send::alert(
            bot,
            q,
            already_decided(lang, m.decided_by_name.as_deref(), m.decided_at, app),
        )
        .await?;
        return settle_join_with(bot, app, &m, pressed_by(q, lang)).await;
    }
    let Some(m) = memberships::get(&app.pool, id).await? else {
        return Ok(());
    };
    // The notices queued with the decision go out at once; the answer to
    // the press, the cards and the member's menu beside each other.
    app.wake_sender();
    tracing::info!(by = ctx.user_id(), id, ?decision, "join request decided");
    let menu = async {
        if decision == Decision::Approve {
            let member_lang = lang_of(app, m.user_id).await?;
            if let Err(err) = menus::refresh_for_user(bot, app, m.user_id, member_lang).await {
                tracing::warn!(%err, "could not set the member's menu");
            }
        }
        anyhow::Ok(())
    };
    let (toast, settled, menu) = tokio::join!(
        send::toast(bot, q, t!(lang, "decision-recorded")),
        settle_join_with(bot, app, &m, pressed_by(q, lang)),
        menu
    );
    toast?;
    settled?;
    menu?;
    if decision == Decision::Approve {
        // Invited to the cell's meetings to come (and, moving, no longer to
        // the old cell's): their summaries show it.
        super::meetings::refresh_cell_summaries(app, m.cell_id).await;
        if let Some(old) = m.moved_from
            && let Some(old) = memberships::get(&app.pool, old).await?
        {
            super::meetings::refresh_cell_summaries(app, old.cell_id).await;
        }
    }
    Ok(())
}

/// The item was withdrawn (a join request by its sender, or anything by a
/// member who left with /forgetme) between the press and its decision:
/// said so, and the buttons go from its cards.
async fn withdrawn_meanwhile(
    bot: &Bot,
    app: &App,
    q: &CallbackQuery,
    lang: Lang,
    subject: Subject,
    id: i64,
) -> HandlerResult {
    let said = match subject {
        Subject::Membership => t!(lang, "decision-join-withdrawn"),
        _ => t!(lang, "decision-item-withdrawn"),
    };
    send::alert(bot, q, said).await?;
    settle_all(bot, app, subject, id, Settled::ButtonsOff).await
}

fn already_decided(
    lang: Lang,
    by: Option<&str>,
    at: Option<chrono::DateTime<chrono::Utc>>,
    app: &App,
) -> String {
    t!(
        lang,
        "already-decided",
        who = by
            .map(str::to_string)
            .unwrap_or_else(|| t!(lang, "not-given")),
        when = at.map(|at| render::dmy_hm(at, app.tz)).unwrap_or_default()
    )
}

/// Checks that the presser may decide the report now (`pressed`: the
/// press of Approve or Reject; none for a rejection's reason typed after
/// it). On refusal, what to tell them: a report decided meanwhile has had
/// its cards settled.
async fn decidable_report(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    pressed: Option<&CallbackQuery>,
    id: i64,
) -> anyhow::Result<Result<Report, String>> {
    let lang = ctx.lang;
    let Some((r, actor, committee)) = reports::get_for(&app.pool, id, ctx.user_id()).await? else {
        // Withdrawn by its member (/forgetme) since it was carded, its
        // cards left with their buttons: said so, and the buttons go. A
        // reason typed was asked for by a press on the report, checked
        // then; a press is on a card of it, or forged.
        let card = match pressed.and_then(send::pressed_message) {
            Some((chat, message)) => {
                let shown = (chat.0, i64::from(message.0));
                decision_messages::is_card(&app.pool, Subject::Report, id, shown).await?
            }
            None => pressed.is_none(),
        };
        if card {
            // Its cards may have been marked settled with the withdrawal,
            // unedited: the pressed one loses its buttons all the same.
            if let Some(q) = pressed {
                send::remove_buttons(bot, q).await;
            }
            settle_all(bot, app, Subject::Report, id, Settled::ButtonsOff).await?;
            // Or the register's record of its closer, taken back by a
            // correction: nobody withdrew anything.
            if reports::unrecorded(&app.pool, id).await? {
                return Ok(Err(t!(lang, "decision-item-unrecorded")));
            }
            return Ok(Err(t!(lang, "decision-item-withdrawn")));
        }
        // Its card not recorded (sent after the backup the database was
        // restored from, or pruned): see `on_join`.
        if pressed.is_some_and(send::carries_pressed) && reports::ever_given(&app.pool, id).await? {
            tracing::info!(user = ctx.user_id(), id, "button for a report gone");
            if let Some(q) = pressed {
                send::remove_buttons(bot, q).await;
            }
            return Ok(Err(t!(lang, "decision-report-gone")));
        }
        tracing::warn!(user = ctx.user_id(), id, "button for an unknown report");
        return Ok(Err(t!(lang, "not-allowed")));
    };
    if let Err(denied) = may_decide(actor, committee, r.user_id) {
        tracing::warn!(user = ctx.user_id(), id, ?denied, "report decision refused");
        let (text, gone) = refusal(app, ctx, (r.cell_id, r.user_id), denied).await?;
        // One no longer on the committee: the pressed card's buttons go.
        if let (true, Some(q)) = (gone, pressed) {
            roles::settle_pressed(bot, app, q, Some((Subject::Report, id))).await?;
        }
        return Ok(Err(text));
    }
    if r.status() != ReportStatus::Pending {
        let pressed = pressed.and_then(|q| pressed_by(q, lang));
        settle_report_with(bot, app, &r, pressed).await?;
        return Ok(Err(already_decided(
            lang,
            r.decided_by_name.as_deref(),
            r.decided_at,
            app,
        )));
    }
    Ok(Ok(r))
}

/// Approve or Reject on a report. Reject asks for the reason first.
pub async fn on_report(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    id: i64,
    decision: Decision,
) -> HandlerResult {
    let lang = ctx.lang;
    let r = match decidable_report(bot, app, ctx, Some(q), id).await? {
        Ok(r) => r,
        Err(refused) => return Ok(send::alert(bot, q, refused).await?),
    };
    match decision {
        Decision::Approve => {
            let decided = match reports::decide(
                &app.pool,
                &r,
                ReportStatus::Approved,
                ctx.user_id(),
                None,
                app.now(),
                report_decided_notices,
            )
            .await?
            {
                Decided::Recorded(decided) => decided,
                Decided::Refused(denied) => {
                    tracing::warn!(user = ctx.user_id(), id, ?denied, "report decision refused");
                    let card = (r.cell_id, r.user_id, (Subject::Report, id));
                    return refuse_press(bot, app, ctx, q, card, denied).await;
                }
                Decided::NotPending => {
                    let Some(r) = reports::get(&app.pool, id).await? else {
                        return withdrawn_meanwhile(bot, app, q, lang, Subject::Report, id).await;
                    };
                    send::alert(
                        bot,
                        q,
                        already_decided(lang, r.decided_by_name.as_deref(), r.decided_at, app),
                    )
                    .await?;
                    return settle_report_with(bot, app, &r, pressed_by(q, lang)).await;
                }
            };
            let (_, finished) = tokio::join!(
                send::toast(bot, q, t!(lang, "decision-recorded")),
                finish_report(bot, app, &decided, pressed_by(q, lang))
            );
            finished
        }
        Decision::Reject => {
            // The reason comes as a text, without the press: a copy of the
            // card not known as one is recorded now, settled with the
            // others by the decision ([`settle_all_with`]).
            if let Some((chat, message)) = send::pressed_message(q) {
                let shown = (chat.0, i64::from(message.0));
                record_unknown_copy(app, Subject::Report, id, shown).await?;
            }
            // Pressing Reject again keeps the first interrupted dialogue.
            let resume = ctx
                .state
                .clone()
                .interrupted_for(|s| matches!(s, State::RejectReason { .. }));
            let asking = State::RejectReason {
                report_id: r.id,
                resume,
            };
            if super::commands::asked_already(bot, app, ctx, q, &asking).await? {
                return Ok(());
            }
            send::ack(bot, q).await?;
            dialogue.update(asking).await?;
            send::text(
                bot,
                ctx.chat,
                t!(
                    lang,
                    "ask-reject-reason",
                    id = r.id,
                    member = r.member_name.as_str()
                ),
            )
            .await?;
            Ok(())
        }
    }
}

/// The reason for a rejection, typed by the secretary.
pub async fn on_reject_reason(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (report_id, resume): (i64, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let reason = match input::text(lang, &msg, clean_reject_reason) {
        Ok(reason) => reason,
        Err(why) => {
            let ask = t!(lang, "ask-reject-reason-again", id = report_id);
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    let pending = match decidable_report(&bot, &app, &ctx, None, report_id).await? {
        Ok(pending) => pending,
        Err(refused) => {
            let resumed = come_back(&dialogue, resume).await?;
            send::text(&bot, ctx.chat, with_resumed(lang, refused, resumed)).await?;
            return Ok(());
        }
    };
    let then = coming_back(ctx.chat, resume.as_deref());
    let typed = reports::Reason {
        text: &reason,
        then: &then,
    };
    let decided = match reports::decide(
        &app.pool,
        &pending,
        ReportStatus::Rejected,
        ctx.user_id(),
        Some(typed),
        app.now(),
        report_decided_notices,
    )
    .await?
    {
        Decided::Recorded(decided) => decided,
        Decided::Refused(denied) => {
            tracing::warn!(
                user = ctx.user_id(),
                report_id,
                ?denied,
                "report decision refused"
            );
            let resumed = come_back(&dialogue, resume).await?;
            let owner = (pending.cell_id, pending.user_id);
            let (refused, _) = refusal(&app, &ctx, owner, denied).await?;
            let text = with_resumed(lang, refused, resumed);
            send::text(&bot, ctx.chat, text).await?;
            return Ok(());
        }
        Decided::NotPending => {
            let resumed = come_back(&dialogue, resume).await?;
            let Some(r) = reports::get(&app.pool, report_id).await? else {
                // Withdrawn by its member (/forgetme) meanwhile.
                let text = with_resumed(lang, t!(lang, "decision-item-withdrawn"), resumed);
                send::text(&bot, ctx.chat, text).await?;
                return settle_all(&bot, &app, Subject::Report, report_id, Settled::ButtonsOff)
                    .await;
            };
            // Decided by the other decider since the reason's checks: who
            // and when, as a press after the decision is told.
            let first = already_decided(lang, r.decided_by_name.as_deref(), r.decided_at, &app);
            let text = with_resumed(lang, first, resumed);
            send::text(&bot, ctx.chat, text).await?;
            return settle_report(&bot, &app, &r).await;
        }
    };
    // The dialogue came back with the decision.
    let resumed = resume.is_some();
    let reply = t!(lang, "report-rejected-done", id = report_id);
    send::text(&bot, ctx.chat, with_resumed(lang, reply, resumed)).await?;
    finish_report(&bot, &app, &decided, None).await
}

/// After a report was decided (the member's notice is queued with the
/// decision): update the cards.
async fn finish_report(bot: &Bot, app: &App, r: &Report, pressed: Pressed) -> HandlerResult {
    app.wake_sender();
    tracing::info!(id = r.id, status = r.status, "report decided");
    settle_report_with(bot, app, r, pressed).await
}

/// The cards of an activity a meeting's register recorded pending for its
/// closer, taken back by a correction (marked excused or absent) before
/// anyone decided it: each shows the report and that the register no
/// longer counts it, without buttons, in its reader's language.
pub(super) async fn settle_unrecorded(bot: &Bot, app: &App, r: &Report) -> HandlerResult {
    let text = |l| render::settled_report_card(r, l, &t!(l, "report-card-unrecorded"));
    settle_all(bot, app, Subject::Report, r.id, Settled::Text(&text)).await?;
    Ok(())
}

/// Reports decided elsewhere than on their card (approved by a meeting's
/// register): their members' notices are queued; the cards show it.
pub(super) async fn finish_reports(bot: &Bot, app: &App, ids: &[i64]) -> HandlerResult {
    for &id in ids {
        if let Some(r) = reports::get(&app.pool, id).await? {
            finish_report(bot, app, &r, None).await?;
        }
    }
    Ok(())
}

/// "Show photos" on a report card: whoever may decide it, or the reporter.
pub async fn show_photos(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    id: i64,
) -> HandlerResult {
    let Some(r) = reports::get(&app.pool, id).await? else {
        return Ok(send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?);
    };
    let decider = may_decide_item(app, ctx.user_id(), r.cell_id, r.user_id)
        .await?
        .is_ok();
    if !decider && r.user_id != ctx.user_id() {
        tracing::warn!(user = ctx.user_id(), id, "photos refused");
        return Ok(send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?);
    }
    send::ack(bot, q).await?;
    let photos = reports::photos(&app.pool, id).await?;
    let caption = t!(ctx.lang, "photos-caption", id = id);
    send::photos(bot, ctx.chat, &photos, Some(caption)).await?;
    Ok(())
}
