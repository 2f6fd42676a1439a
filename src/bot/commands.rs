//! Slash commands: parsing, help, /start, /cancel, /language, /invite.

use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, Me, ReplyMarkup},
    utils::command::BotCommands,
};

use super::{
    App, Dialogue, HandlerResult, attendance,
    context::Ctx,
    join::{self, invite_problem_text},
    keyboards, render,
    roles::{help_for, help_text},
    state::{JoinStep, State, UnderWay},
};
use crate::telegram::{callback_data::CallbackData, send};
use crate::{
    domain::invite::{InviteKind, InviteProblem, check_invite, looks_like_code},
    domain::text::{self, visible},
    store::{cells, committee, invites, users},
    t,
};

#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Report,
    MyReports,
    Pending,
    Members,
    Invite(String),
    Announce,
    Sheets(String),
    Status(String),
    Sheet(String),
    Stats(String),
    Export(String),
    Verify(String),
    Cancel,
    Help,
    Language,
    Profile,
    // meetings
    Meeting,
    Meetings,
    // roster
    Roster(String),
    // attendance
    Checkin,
    Attendance,
    // personal data
    MyData,
    ForgetMe,
    // ward administrators
    Cells(String),
    // comments on request
    Request(String),
    Requests,
}

/// `/start`, with or without a code ([`code_typed`]: the whole link pasted
/// after `/start` is read as its code).
pub async fn on_start(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    arg: String,
) -> HandlerResult {
    start(&bot, &app, &ctx, &dialogue, &code_typed(&arg)).await
}

/// `/invite`, `/invite deputy`: see [`invite`].
pub async fn on_invite(bot: Bot, app: App, ctx: Ctx, me: Me, what: String) -> HandlerResult {
    invite(&bot, &app, &ctx, &me, text::trim(&what)).await
}

/// `/help`: what this user can do.
pub async fn on_help(bot: Bot, app: App, ctx: Ctx) -> HandlerResult {
    help(&bot, &app, &ctx).await
}

/// `/cancel`: see [`cancel`].
pub async fn on_cancel(bot: Bot, ctx: Ctx, dialogue: Dialogue) -> HandlerResult {
    cancel(&bot, &ctx, &dialogue).await
}

/// `/language`: the languages to choose from.
pub async fn on_language(bot: Bot, ctx: Ctx) -> HandlerResult {
    send::with_markup(
        &bot,
        ctx.chat,
        t!(ctx.lang, "language-choose"),
        keyboards::languages(ctx.lang),
    )
    .await?;
    Ok(())
}

/// An edited message: what it said first was read (and acted on); the edit
/// is not. Said once per edit; in a dialogue, the step is kept. A text
/// edited in a dialogue was most often an answer the dialogue has moved on
/// from (sent again, it would be taken for the next question): how to
/// change it is said instead. An answer in a dialogue that is over since
/// (a rejection's reason, a report's description or photo once submitted)
/// is said to stand as sent: neither /cancel nor sending it again would
/// change it.
pub async fn edited(bot: Bot, app: App, ctx: Ctx, msg: Message) -> HandlerResult {
    let idle = ctx.state == State::Idle;
    let over = app
        .answered(ctx.chat.0, msg.id.0)
        .is_some_and(|key| key != ctx.state.answer_key());
    let text = match (msg.text().is_some(), idle) {
        _ if over => {
            let text = t!(ctx.lang, "edited-answer-over");
            super::state::with_resumed(ctx.lang, text, !idle)
        }
        (true, true) => t!(ctx.lang, "edited-not-read"),
        (true, false) => t!(ctx.lang, "edited-not-read-in-dialogue"),
        (false, _) => t!(ctx.lang, "edited-media-not-read"),
    };
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

/// The rest of a text longer than Telegram allows, which arrived in parts
/// (the first refused as too long): not taken; the step is kept.
pub async fn rest_of_long_text(bot: Bot, ctx: Ctx, dialogue: Dialogue) -> HandlerResult {
    let mut text = t!(ctx.lang, "error-text-in-parts");
    // An announcement's first part was taken (it fits): its preview would
    // send half a text. Back to the text (the preview's Send is stale).
    if let State::AnnounceConfirm { cell, .. } = ctx.state {
        dialogue.update(State::announce_text(cell)).await?;
        text = format!("{text}\n\n{}", t!(ctx.lang, "ask-announcement"));
    }
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

/// A message that looks like a command but is none of ours, and the help
/// (what this user can do); in the middle of a dialogue, how to go on
/// instead (the step is kept).
pub async fn unknown(bot: Bot, app: App, ctx: Ctx) -> HandlerResult {
    let mut text = t!(ctx.lang, "unknown-command");
    text.push_str("\n\n");
    if ctx.state == State::Idle {
        // What this user can do instead, as /help says it.
        text.push_str(&help_for(&app, &ctx).await?);
    } else {
        text.push_str(&t!(ctx.lang, "unknown-command-in-dialogue"));
    }
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

/// The command a message gives, if any: as teloxide's `filter_command`
/// reads it (the text, or a caption; `@` and this bot's name allowed), but
/// with the command's name in any case (`/Report`, typed on a phone that
/// capitalises the first letter, is `/report`) and its argument after any
/// whitespace; the argument is kept as typed (an invite code is
/// case-sensitive).
pub fn parse(msg: Message, me: Me) -> Option<Command> {
    let text = msg.text().or_else(|| msg.caption())?;
    let name_end = text.find(char::is_whitespace).unwrap_or(text.len());
    let (name, rest) = text.split_at(name_end);
    let username = me.username.as_deref().unwrap_or_default();
    Command::parse(text, username).ok().or_else(|| {
        // teloxide parts the name from the argument at a space only: an
        // argument after a newline or a tab ("/sheet⏎Nguyễn Văn An") is
        // read as well.
        let rest = rest.trim_start();
        let name = name.to_lowercase();
        let again = if rest.is_empty() {
            name
        } else {
            format!("{name} {rest}")
        };
        (again != text)
            .then(|| Command::parse(&again, username).ok())
            .flatten()
    })
}

/// A text Telegram would mark as a command: "/" then a letter or digit
/// ("/ họp tổ", a description that starts with a slash, is text).
pub fn looks_like_command(msg: &Message) -> bool {
    msg.text()
        .and_then(|t| t.strip_prefix('/'))
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
}

async fn help(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    // Joining (or moving, or taking a role) right now: how to go on, not
    // "you have not joined" (the dialogue is kept).
    let text = match ctx.state.unfinished_join() {
        // Nothing else to do yet for someone with no role.
        Some(_) if ctx.has_no_role() => finish_first(ctx.lang, &ctx.state),
        Some(_) => format!(
            "{}\n\n{}",
            finish_first(ctx.lang, &ctx.state),
            help_text(ctx.lang, ctx.roles)
        ),
        None => help_for(app, ctx).await?,
    };
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

async fn cancel(bot: &Bot, ctx: &Ctx, dialogue: &Dialogue) -> HandlerResult {
    if ctx.state == State::Idle {
        send::with_markup(
            bot,
            ctx.chat,
            t!(ctx.lang, "nothing-to-cancel"),
            ReplyMarkup::kb_remove(),
        )
        .await?;
    } else {
        // A question that interrupted a dialogue (a rejection's reason, a
        // decline's reason, remarks…) is what is cancelled: back to that
        // dialogue.
        let resume = ctx.state.clone().cancelled();
        // The step gone back to keeps its reply keyboard (the phone's).
        let markup = match resume.as_deref() {
            Some(State::Join(JoinStep::Phone, _)) => keyboards::phone(ctx.lang).into(),
            Some(State::ProfilePhone { .. }) => keyboards::profile_phone(ctx.lang).into(),
            _ => ReplyMarkup::kb_remove(),
        };
        let resumed = super::state::come_back(dialogue, resume).await?;
        let text = super::state::with_resumed(ctx.lang, t!(ctx.lang, "cancelled"), resumed);
        send::with_markup(bot, ctx.chat, text, markup).await?;
    }
    Ok(())
}

pub async fn start(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    code: &str,
) -> HandlerResult {
    // /start alone while joining or taking a role: that goes on (it is
    // kept).
    if code.is_empty() && ctx.state.unfinished_join().is_some() {
        send::text(bot, ctx.chat, finish_first(ctx.lang, &ctx.state)).await?;
        return Ok(());
    }
    if code.is_empty() {
        let text = format!(
            "{}\n\n{}",
            t!(ctx.lang, "welcome"),
            help_for(app, ctx).await?
        );
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    // introductions: a workplace's personal link.
    if crate::store::introductions::is_code(code) {
        // A join too: the personal-data notice comes first (the link is
        // bound to its opener only after the agreement).
        if super::consent::must_agree(app, ctx).await? {
            return super::consent::ask(bot, app, ctx, code).await;
        }
        return super::introduce::on_link(bot, app, ctx, dialogue, code).await;
    }
    // One cut short or damaged is a wrong introduction link too (invite
    // codes have no `in_`), not a wrong invitation.
    if code.starts_with(crate::store::introductions::PREFIX) {
        send::text(bot, ctx.chat, t!(ctx.lang, "introduce-unknown")).await?;
        return Ok(());
    }
    // attendance: a meeting's check-in link; one cut short or damaged is
    // a wrong check-in code too (invite codes have no `ck_`), not a wrong
    // invitation.
    if code.starts_with(crate::store::meetings::CHECKIN_PREFIX) {
        return attendance::on_checkin_code(bot, app, ctx, code).await;
    }
    let invite = if looks_like_code(code) {
        invites::find(&app.pool, code).await?
    } else {
        None
    };
    // A comment sheet's verification code given to /start (typed after
    // it, as one would after /verify): what /verify says of it, not that
    // an invitation is wrong (no invite code has its shape).
    if invite.is_none() && crate::domain::sheet::normalise_code(code).is_some() {
        let checked = crate::sheet::build::verify(&app.pool, code).await?;
        let text = super::sheets::verify_answer(ctx.lang, &checked, app.tz);
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    if let Err(problem) = check_invite(invite.as_ref().map(|i| i.facts()).as_ref(), app.now()) {
        // A code opened again by whoever used it (a second tap on the link).
        if let Some(invites::Invite {
            used_by: Some(by),
            used_at: Some(at),
            ..
        }) = &invite
            && problem == InviteProblem::Used
            && *by == ctx.user_id()
        {
            let text = t!(
                ctx.lang,
                "invite-used-by-you",
                when = render::dmy_hm(*at, app.tz)
            );
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
        // An old link of the member's own cell (expired, or replaced by a
        // new one): nothing to ask the secretary for.
        if let Some(old) = &invite
            && old.kind() == InviteKind::Member
            && let Some(cell) = old.cell_id
            && matches!(problem, InviteProblem::Expired | InviteProblem::Revoked)
            && let Some(text) = super::join::already_in(app, ctx, cell).await?
        {
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
        let kind = invite.as_ref().map(|i| i.kind());
        let text = while_joining(ctx, invite_problem_text(ctx.lang, problem, kind));
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    let invite = invite.expect("checked above");
    // A code whose maker has since lost the right to make it.
    if !invites::issuer_may_still(&app.pool, invite.id).await? {
        let text = invite_problem_text(ctx.lang, InviteProblem::Revoked, Some(invite.kind()));
        send::text(bot, ctx.chat, while_joining(ctx, text)).await?;
        return Ok(());
    }
    // The personal-data notice comes first: nothing is stored before the
    // agreement (the code waits in memory).
    if super::consent::must_agree(app, ctx).await? {
        return super::consent::ask(bot, app, ctx, code).await;
    }
    match (
        invite.kind(),
        invite.cell_id,
        invite.workplace_id,
        invite.ward_id,
    ) {
        (kind @ (InviteKind::Secretary | InviteKind::Deputy), Some(cell), _, _) => {
            let Some(cell) = cells::get(&app.pool, cell).await? else {
                return unknown_invite(bot, ctx).await;
            };
            let (name, me) = (cell.name.as_str(), Some(ctx.user_id()));
            let deputy = kind == InviteKind::Deputy;
            let already = if deputy && committee::deputy_of(&app.pool, cell.id).await? == me {
                Some(t!(ctx.lang, "deputy-already", cell = name))
            } else if cells::secretary_of(&app.pool, cell.id).await? == me {
                Some(if deputy {
                    t!(ctx.lang, "deputy-is-secretary", cell = name)
                } else {
                    t!(ctx.lang, "secretary-already", cell = name)
                })
            } else {
                None
            };
            if let Some(text) = already {
                send::text(bot, ctx.chat, text).await?;
                return Ok(());
            }
            // A report (or any dialogue) under way is kept, and comes back
            // once the role is taken or refused.
            let resume = ctx
                .state
                .clone()
                .interrupted_for(|s| matches!(s, State::SecretaryName { .. }));
            dialogue
                .update(State::SecretaryName {
                    invite_id: invite.id,
                    opened_at: Some(app.now()),
                    resume,
                })
                .await?;
            let accepted = if deputy {
                t!(ctx.lang, "deputy-invite-accepted", cell = name)
            } else {
                t!(ctx.lang, "secretary-invite-accepted", cell = name)
            };
            let text = format!("{accepted}\n\n{}", t!(ctx.lang, "ask-full-name"));
            send::with_markup(bot, ctx.chat, text, ReplyMarkup::kb_remove()).await?;
        }
        (InviteKind::Member, Some(cell), _, _) => {
            let Some(cell) = cells::get(&app.pool, cell).await? else {
                return unknown_invite(bot, ctx).await;
            };
            join::start(bot, app, ctx, dialogue, &invite, &cell).await?
        }
        (InviteKind::Officer, _, Some(_), _)
        | (InviteKind::Supervisor | InviteKind::WardAdmin, _, _, Some(_)) => {
            join::take_role(bot, app, ctx, &invite).await?
        }
        _ => return unknown_invite(bot, ctx).await,
    }
    Ok(())
}

async fn unknown_invite(bot: &Bot, ctx: &Ctx) -> HandlerResult {
    let text = invite_problem_text(ctx.lang, InviteProblem::Unknown, None);
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

/// /invite: a fresh member link for the secretary's cell;
/// `/invite deputy`: a single-use code for the cell's deputy secretary. A
/// secretary of several cells chooses the cell first (a new link revokes
/// the cell's earlier ones: never another cell's).
async fn invite(bot: &Bot, app: &App, ctx: &Ctx, me: &Me, what: &str) -> HandlerResult {
    // Who may first: the usage is no lesson for someone who may not.
    let cells = cells::secretary_cells(&app.pool, ctx.user_id()).await?;
    if cells.is_empty() {
        match deputy_not_inviting(app, ctx).await? {
            Some(text) => {
                // A former secretary: also which cell's role ended.
                let text = super::roles::with_secretary_role_gone(app, ctx, text).await?;
                send::text(bot, ctx.chat, text).await?;
            }
            None => {
                ctx.refuse(bot, app, t!(ctx.lang, "secretaries-only"))
                    .await?
            }
        }
        return Ok(());
    }
    // As each language says it: "deputy", or "phó" / "phó bí thư" (with
    // or without accents), as the Vietnamese help writes it.
    let deputy = match crate::domain::membership::name_fold(what).as_str() {
        "" => false,
        "deputy" | "pho" | "pho bi thu" => true,
        _ => {
            send::text(bot, ctx.chat, t!(ctx.lang, "deputy-invite-usage")).await?;
            return Ok(());
        }
    };
    match cells.as_slice() {
        [cell] => send_invite(bot, app, ctx, me, cell, deputy).await,
        many => {
            let rows = many.iter().map(|cell| {
                [keyboards::button(
                    cell.name.clone(),
                    CallbackData::InviteCell(cell.id, deputy),
                )]
            });
            let markup = InlineKeyboardMarkup::new(rows);
            send::with_markup(bot, ctx.chat, t!(ctx.lang, "invite-choose-cell"), markup).await?;
            Ok(())
        }
    }
}

/// For a deputy secretary (of no cell as secretary) typing `/invite`: whom
/// to ask, cell by cell — its secretary by name, or, where the cell has
/// none, that the ward party committee appoints one (who then makes the
/// links). `None` for anyone else.
async fn deputy_not_inviting(app: &App, ctx: &Ctx) -> anyhow::Result<Option<String>> {
    if !ctx.roles.deputy {
        return Ok(None);
    }
    let mut lines = Vec::new();
    for cell in committee::committee_cells(&app.pool, ctx.user_id()).await? {
        let secretary = match cells::secretary_of(&app.pool, cell.id).await? {
            Some(id) => users::get(&app.pool, id).await?,
            None => None,
        };
        lines.push(match secretary {
            Some(s) => t!(
                ctx.lang,
                "invite-deputy-ask-secretary",
                cell = cell.name.as_str(),
                name = s.display_name()
            ),
            None => t!(
                ctx.lang,
                "invite-deputy-no-secretary",
                cell = cell.name.as_str()
            ),
        });
    }
    Ok((!lines.is_empty()).then(|| lines.join("\n")))
}

/// The cell a secretary of several chose for /invite: re-checked (still
/// their cell), then its link or deputy code.
pub async fn on_invite_cell(
    bot: Bot,
    app: App,
    ctx: Ctx,
    me: Me,
    q: CallbackQuery,
    (cell_id, deputy): (i64, bool),
) -> HandlerResult {
    // One who handed the cell over is told so, and who has it now.
    let refused = async || -> HandlerResult {
        let why = super::roles::why_refused(&app, ctx.lang, ctx.user_id(), cell_id).await?;
        send::alert(&bot, &q, why).await?;
        Ok(())
    };
    let cells = cells::secretary_cells(&app.pool, ctx.user_id()).await?;
    let Some(cell) = cells.iter().find(|c| c.id == cell_id) else {
        return refused().await;
    };
    // Tapped twice: one code, the one just sent (a second revoked the
    // first, and said so).
    if !send::pressed_once::first(&bot, &q) {
        send::toast(&bot, &q, t!(ctx.lang, "invite-link-above")).await?;
        return Ok(());
    }
    // Pressed again after a restart forgot the first press (or its link
    // never went out): the code made seconds ago, shown again, not a
    // second one revoking it.
    let Some(created) = invites::create_pressed(
        &app.pool,
        invite_kind(deputy),
        invites::Target::Cell(cell.id),
        ctx.user_id(),
        app.now(),
    )
    .await?
    .code() else {
        // No longer the cell's secretary (read again in the transaction).
        return refused().await;
    };
    send::ack(&bot, &q).await?;
    show_invite(&bot, &app, &ctx, &me, cell, deputy, created).await
}

fn invite_kind(deputy: bool) -> InviteKind {
    if deputy {
        InviteKind::Deputy
    } else {
        InviteKind::Member
    }
}

/// Makes the cell's new member link (or deputy code: `deputy`) and sends
/// it to the secretary.
async fn send_invite(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    me: &Me,
    cell: &cells::Cell,
    deputy: bool,
) -> HandlerResult {
    let Some(created) = invites::create_by(
        &app.pool,
        invite_kind(deputy),
        invites::Target::Cell(cell.id),
        ctx.user_id(),
        app.now(),
    )
    .await?
    .code() else {
        // No longer the cell's secretary (read again in the transaction:
        // the role revoked or handed over, or the cell removed, as the
        // command came).
        let refusal = match super::roles::role_gone(app, ctx.lang, ctx.user_id(), cell.id).await? {
            Some(gone) => gone,
            None => t!(ctx.lang, "secretaries-only"),
        };
        send::text(bot, ctx.chat, refusal).await?;
        return Ok(());
    };
    show_invite(bot, app, ctx, me, cell, deputy, created).await
}

/// Sends the cell's member link (or deputy code: `deputy`) to the
/// secretary, with the earlier ones it revoked.
async fn show_invite(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    me: &Me,
    cell: &cells::Cell,
    deputy: bool,
    invites::Created { invite, replaced }: invites::Created,
) -> HandlerResult {
    let username = me.user.username.clone().unwrap_or_default();
    let link = format!("https://t.me/{username}?start={}", invite.code);
    let in_office = match committee::deputy_of(&app.pool, cell.id).await? {
        Some(id) if deputy => users::get(&app.pool, id).await?,
        _ => None,
    };
    let (cell, until) = (
        cell.name.as_str(),
        render::dmy_hm(invite.expires_at, app.tz),
    );
    let text = if deputy {
        let text = t!(
            ctx.lang,
            "deputy-invite-link",
            cell = cell,
            link = link,
            until = until
        );
        let text = match replaced {
            0 => text,
            _ => format!("{text}\n\n{}", t!(ctx.lang, "invite-earlier-code-revoked")),
        };
        // The deputy in office is replaced by whoever uses the code.
        match in_office {
            Some(d) => {
                let name = d.display_name();
                let note = t!(ctx.lang, "deputy-invite-replaces", cell = cell, name = name);
                format!("{text}\n\n{note}")
            }
            None => text,
        }
    } else {
        let text = t!(
            ctx.lang,
            "invite-link",
            cell = cell,
            link = link,
            until = until
        );
        // Only when there were earlier links: a new secretary's first
        // link revokes nothing.
        match replaced {
            0 => text,
            _ => format!("{text}\n{}", t!(ctx.lang, "invite-earlier-links-revoked")),
        }
    };
    send::text(bot, ctx.chat, text).await?;
    Ok(())
}

/// Any message in no dialogue that is not a command: a code pasted alone
/// (the operator's bare code, or the link's code) is taken as `/start
/// CODE`; anything else gets a hint by role (only members can /report).
pub async fn idle_message(
    bot: Bot,
    app: App,
    ctx: Ctx,
    me: Me,
    dialogue: Dialogue,
    msg: Message,
) -> HandlerResult {
    // A link behind words (forwarded from a chat where it was one) counts:
    // its address is written after them. So does a photo's caption (the
    // check-in QR code forwarded, its link under it).
    let text = super::input::with_links(&msg)
        .or_else(|| super::input::caption_with_links(&msg))
        .unwrap_or_default();
    let username = me.user.username.as_deref().unwrap_or_default();
    if let Some(code) = pasted_code(&app, &text, username).await? {
        return start(&bot, &app, &ctx, &dialogue, &code).await;
    }
    // A sheet's verification code typed alone (after /verify without one),
    // or pasted with its line: answered as /verify.
    if let Some(answer) = pasted_verification(&app, ctx.lang, msg.text()).await? {
        send::text(&bot, ctx.chat, answer).await?;
        return Ok(());
    }
    // Read with the user when the message arrived.
    let roles = ctx.roles;
    // What this user can do next: /report only for a member of a cell.
    let text = if roles.member && msg.photo().is_some() {
        // A photo sent after Submit (or with no report begun): it joins no
        // report, which the bare hint to use /report did not say.
        t!(ctx.lang, "photo-outside-report")
    } else if roles.member {
        t!(ctx.lang, "idle-hint")
    } else if roles.pending_member {
        t!(ctx.lang, "help-pending-member")
    } else if roles.committee() {
        t!(ctx.lang, "committee-idle")
    } else if roles.officer {
        t!(ctx.lang, "year-idle-officer")
    } else if roles.ward_admin {
        t!(ctx.lang, "ward-admin-idle")
    } else if roles.supervisor {
        t!(ctx.lang, "year-idle-supervisor")
    } else if let Some(ended) = super::report::ended_text(&app, &ctx).await? {
        ended
    } else {
        t!(ctx.lang, "not-joined")
    };
    send::text(&bot, ctx.chat, text).await?;
    Ok(())
}

/// What /verify answers for a text that is a verification code, or that
/// carries the code of a signed sheet; `None` for any other text.
async fn pasted_verification(
    app: &App,
    lang: crate::domain::Lang,
    text: Option<&str>,
) -> anyhow::Result<Option<String>> {
    use crate::{domain::sheet, sheet::build};
    let Some(text) = text.filter(|t| !sheet::code_candidates(t).is_empty()) else {
        return Ok(None);
    };
    let checked = build::verify(&app.pool, text).await?;
    // A code of no sheet is answered as such only when typed as codes are
    // printed, four groups of four (not a long number sent for another
    // reason).
    let groups: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "-–—.".contains(c))
        .filter(|g| !g.is_empty())
        .collect();
    let code_shaped = groups.len() == 4 && groups.iter().all(|g| g.chars().count() == 4);
    if matches!(checked, build::Verification::NotFound) && !code_shaped {
        return Ok(None);
    }
    Ok(Some(super::sheets::verify_answer(lang, &checked, app.tz)))
}

/// `text` (why a code given to /start is refused) to one in the middle of
/// joining or taking a role: with how that goes on (the question above
/// still waits; the wrong code changed nothing of it).
fn while_joining(ctx: &Ctx, text: String) -> String {
    match ctx.state.unfinished_join() {
        Some(_) => format!("{text}\n\n{}", finish_first(ctx.lang, &ctx.state)),
        None => text,
    }
}

/// What to finish first, while joining or taking a role.
pub fn finish_first(lang: crate::domain::Lang, state: &State) -> String {
    match state.unfinished_join() {
        Some(super::state::Unfinished::RoleName) => t!(lang, "role-name-finish-first"),
        Some(super::state::Unfinished::Move) => t!(lang, "move-finish-first"),
        _ => t!(lang, "join-finish-first"),
    }
}

/// A dialogue command (`command`, as typed) or button that would begin a
/// dialogue while another holds what the user gave (a join's answers, a
/// report's kind and text, a meeting's, an announcement typed…): that one
/// is kept, and the user told how to go on with it or to start anew
/// knowingly (`/cancel`, then the command). Whether they were told (the new
/// dialogue is then not begun).
pub async fn kept_under_way(bot: &Bot, ctx: &Ctx, command: &str) -> anyhow::Result<bool> {
    let text = if ctx.state.unfinished_join().is_some() {
        finish_first(ctx.lang, &ctx.state)
    } else if let Some((what, behind)) = ctx.state.work_kept() {
        let lang = ctx.lang;
        let what = match what {
            UnderWay::Report => t!(lang, "under-way-report"),
            UnderWay::Meeting => t!(lang, "under-way-meeting"),
            UnderWay::Announcement => t!(lang, "under-way-announcement"),
            UnderWay::Request => t!(lang, "under-way-request"),
            UnderWay::MembershipEnd => t!(lang, "under-way-end"),
        };
        let (state, command) = (what.as_str(), command);
        if behind {
            t!(
                lang,
                "dialogue-question-under-way",
                state = state,
                command = command
            )
        } else {
            t!(lang, "dialogue-under-way", state = state, command = command)
        }
    } else {
        return Ok(false);
    };
    send::text(bot, ctx.chat, text).await?;
    Ok(true)
}

/// The code `typed` gives: without the invisible characters some apps copy
/// along (a direction mark, a zero-width space: codes have none), the one
/// the whole link pasted carries, or the code followed by other words.
pub fn code_typed(typed: &str) -> String {
    let typed = visible(typed);
    let typed = typed.trim();
    if let Some(code) = code_in_link(typed) {
        return code.to_string();
    }
    // "/start CODE cảm ơn": the code is the first word, unless the words
    // are a comment sheet's verification code typed in groups.
    match typed.split_once(char::is_whitespace) {
        Some((first, _))
            if looks_like_code(first) && crate::domain::sheet::normalise_code(typed).is_none() =>
        {
            first.to_string()
        }
        _ => typed.to_string(),
    }
}

/// The code a `?start=` link in `word` carries: up to the first character
/// no code has (a link ending a sentence, "…?start=CODE.", in brackets or
/// followed by a comma is the same link); `None` without such a link.
pub fn code_in_link(word: &str) -> Option<&str> {
    let (_, rest) = word.rsplit_once("?start=")?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The code of an invite, a personal introduction link or a check-in, when
/// that is all the text is (or the link that carries it), or of the one
/// link in a longer text (a whole invitation copied from another app). A
/// link to this bot (`t.me/<username>?start=…`) is taken whatever its code
/// (cut short or garbled in the copying, made up): `/start` says what is
/// wrong with it and whom to ask, not that the user has no link.
async fn pasted_code(app: &App, text: &str, username: &str) -> anyhow::Result<Option<String>> {
    // Invisible characters copied along are dropped: codes have none.
    let text = visible(text);
    let text = text.trim();
    let mut links = text.split_whitespace().filter_map(code_in_link);
    let (code, linked) = match links.next() {
        Some(code) if links.all(|other| other == code) => (code, true),
        _ if text.contains(char::is_whitespace) => return Ok(None),
        _ => (text, false),
    };
    let to_me = linked && !code.is_empty() && links_to(text, username);
    if !looks_like_code(code) {
        return Ok(to_me.then(|| code.to_string()));
    }
    let known = crate::store::introductions::is_code(code)
        || crate::store::meetings::is_checkin_code(code)
        || invites::find(&app.pool, code).await?.is_some();
    Ok((known || to_me).then(|| code.to_string()))
}

/// Whether `text` holds a `?start=` link to the bot `username`
/// (`t.me/<username>?start=`, or `telegram.me/…`; any case, as Telegram
/// reads usernames).
fn links_to(text: &str, username: &str) -> bool {
    if username.is_empty() {
        return false;
    }
    let (text, username) = (text.to_lowercase(), username.to_lowercase());
    ["t.me", "telegram.me"]
        .iter()
        .any(|host| text.contains(&format!("{host}/{username}?start=")))
}

/// A message where only the buttons of the last message are expected.
pub async fn expect_button(bot: Bot, ctx: Ctx) -> HandlerResult {
    send::text(&bot, ctx.chat, t!(ctx.lang, "error-expect-button")).await?;
    Ok(())
}

/// A button that asks a question pressed while that very question is the
/// one open (`asking`, the state the press would set, is the chat's
/// already): the button tapped twice (a slow phone sends both presses) or
/// pressed again under it. The question is not sent a second time; the
/// press says it waits just above. Whether it was so (the press then
/// answered). A question whose message never reached Telegram (the press
/// that asked it failed after storing the question) is asked again: the
/// person sees no question above. So is one asked before the bot restarted
/// (it may have died between storing the question and sending it): shown
/// twice at worst, rather than pointed to over nothing. Asked anew, the
/// answers given to it before (the same question, answered and asked again
/// later: a sheet's remarks, a member's note) are of a question that is
/// over: an edit of them is said to stand as given.
pub async fn asked_already(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    asking: &State,
) -> anyhow::Result<bool> {
    if ctx.state != *asking {
        app.answers_over(ctx.chat.0, asking.answer_key());
        return Ok(false);
    }
    if app.unfinished(ctx.user_id()) {
        return Ok(false);
    }
    send::toast(bot, q, t!(ctx.lang, "question-asked-above")).await?;
    Ok(true)
}
