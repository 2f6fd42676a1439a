//! Who a user is to the bot (roles read from the database, never from the
//! chat) and the help that follows from it.

use teloxide::{prelude::*, types::CallbackQuery};

use super::{App, commands::Command, context::Ctx};
use crate::{
    domain::{
        Lang,
        dates::format_dmy,
        permissions::{Denied, Roles, first_decider, goes_to_supervisors, may_decide},
    },
    store::{
        cells,
        committee::{self, Item},
        decision_messages::{self, Subject},
        memberships, users,
    },
    t,
    telegram::{callback_data::CallbackData, send},
};

/// The user's roles, read from the database.
pub async fn roles(app: &App, user_id: i64) -> anyhow::Result<Roles> {
    Ok(users::roles(&app.pool, user_id).await?)
}

pub fn help_text(lang: Lang, roles: Roles) -> String {
    help_with(lang, roles, None)
}

/// The help of the user of `ctx`: [`help_text`], where one whose
/// membership ended (and who holds no role now) is told in which cell and
/// since when, not "you have not joined a cell yet".
pub async fn help_for(app: &App, ctx: &Ctx) -> anyhow::Result<String> {
    let ended = match ctx.has_no_role() {
        true => super::report::ended_text(app, ctx).await?,
        false => None,
    };
    Ok(help_with(ctx.lang, ctx.roles, ended))
}

/// [`help_text`], with what to say instead of "you have not joined" to one
/// whose membership `ended`.
fn help_with(lang: Lang, roles: Roles, ended: Option<String>) -> String {
    let mut parts = Vec::new();
    if roles.secretary {
        parts.push(t!(lang, "help-secretary"));
    }
    if roles.deputy {
        parts.push(t!(lang, "role-help-deputy"));
    }
    // attendance
    if roles.committee() {
        parts.push(t!(lang, "attendance-help"));
    }
    if roles.officer {
        parts.push(t!(lang, "help-officer"));
        // roster
        parts.push(t!(lang, "roster-help"));
        // comments on request
        parts.push(t!(lang, "request-help"));
    }
    if roles.supervisor {
        parts.push(format!(
            "{}\n{}",
            t!(lang, "help-supervisor"),
            t!(lang, "role-help-supervisor-decides")
        ));
    }
    // ward administrators
    if roles.ward_admin {
        parts.push(t!(lang, "ward-admin-help"));
    }
    // The commands about a year, as far as this user may use them.
    let mut years: Vec<String> = Vec::new();
    // A supervisor writes the sheets of secretaries whose cell has no
    // deputy.
    if roles.committee() || roles.supervisor {
        years.push("/sheets".into());
    }
    if roles.officer {
        years.push("/status".into());
    }
    if roles.secretary || roles.supervisor || roles.ward_admin {
        years.push("/stats".into());
    }
    if roles.secretary || roles.officer || roles.supervisor || roles.ward_admin {
        years.push("/export".into());
    }
    if roles.officer {
        years.push(t!(lang, "year-help-sheet-command"));
    }
    if let Some(example) = years.first() {
        let example = format!("{example} 2025");
        let commands = years.join(", ");
        parts.push(t!(
            lang,
            "year-help-years",
            commands = commands,
            example = example
        ));
    }
    // meetings
    if roles.committee() {
        parts.push(t!(lang, "meeting-help-committee"));
    }
    if roles.member {
        parts.push(t!(lang, "help-member"));
        // meetings
        parts.push(t!(lang, "meeting-help-member"));
    } else if roles.pending_member {
        parts.push(t!(lang, "help-pending-member"));
    } else if !(roles.committee() || roles.officer || roles.supervisor || roles.ward_admin) {
        parts.push(ended.unwrap_or_else(|| t!(lang, "not-joined")));
    }
    parts.push(t!(lang, "help-common"));
    once_each(parts).join("\n\n")
}

/// The parts of a help without the command lines an earlier part listed
/// already (a secretary who is also a deputy, an officer or a supervisor
/// was shown /pending, /export or /stats twice): a command line is kept in
/// the first part naming it; a part left with its heading only goes.
fn once_each(parts: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for part in parts {
        let mut lines = Vec::new();
        let (mut commands, mut kept) = (0, 0);
        for line in part.lines() {
            let Some((command, _)) = line.split_once(" — ").filter(|_| line.starts_with('/'))
            else {
                lines.push(line);
                continue;
            };
            commands += 1;
            if seen.iter().any(|c| c == command) {
                continue;
            }
            seen.push(command.to_string());
            kept += 1;
            lines.push(line);
        }
        if commands == 0 || kept > 0 {
            out.push(lines.join("\n"));
        }
    }
    out
}

/// Why this user cannot act as a member: they have not joined a cell. A
/// secretary or deputy is told how to join as a member themselves (the
/// usual answer points them to their secretary's link, that is, to
/// themselves); an officer, supervisor or ward administrator also where
/// their own commands are.
pub fn not_joined(lang: Lang, roles: Roles) -> String {
    if roles.committee() {
        t!(lang, "not-joined-committee")
    } else if roles.officer || roles.supervisor || roles.ward_admin {
        // A member's command from one who came for another role: how to
        // join as a member, and where their own commands are.
        format!(
            "{}\n\n{}",
            t!(lang, "not-joined"),
            t!(lang, "refusal-see-help")
        )
    } else {
        t!(lang, "not-joined")
    }
}

// Filters on the roles read when the update arrived (in the same statement
// as the user, at this very press); each handler checks the item itself
// (whose cell, whose report, which workplace or ward) in the database.

/// Filter: the presser may act as a decider somewhere (secretary or deputy
/// of a cell, supervisor of a ward). Each handler checks the item with
/// [`may_decide_item`].
pub fn decides_somewhere(ctx: Ctx) -> bool {
    ctx.roles.committee() || ctx.roles.supervisor
}

/// Filter: the presser is an officer of some workplace.
pub fn is_officer(ctx: Ctx) -> bool {
    ctx.roles.officer
}

/// Filter: the presser administers some ward.
pub fn is_ward_admin(ctx: Ctx) -> bool {
    ctx.roles.ward_admin
}

/// Filter: the presser has an approved membership.
pub fn is_member(ctx: Ctx) -> bool {
    ctx.roles.member
}

/// May `user_id` decide (or write the comment sheet of) an item of
/// `owner` in `cell_id`? Read from the database at every press and decided
/// by [`may_decide`].
pub async fn may_decide_item(
    app: &App,
    user_id: i64,
    cell_id: i64,
    owner: i64,
) -> anyhow::Result<Result<(), Denied>> {
    let (actor, committee) = committee::facts(&app.pool, user_id, cell_id).await?;
    Ok(may_decide(actor, committee, owner))
}

/// Whether the user is the secretary or the deputy of the cell (whose own
/// items go to the other one, or to the ward's supervisors).
pub async fn on_committee(app: &App, user_id: i64, cell_id: i64) -> anyhow::Result<bool> {
    let (_, committee) = committee::facts(&app.pool, user_id, cell_id).await?;
    Ok(committee.includes(user_id))
}

/// Why `user_id` may not decide an item of the cell, where they were its
/// secretary or deputy and no longer are (a handover, a deputy replaced or
/// removed): said so, with who decides its items now. `None` otherwise
/// (the usual "not allowed" stands).
pub async fn role_gone(
    app: &App,
    lang: Lang,
    user_id: i64,
    cell_id: i64,
) -> anyhow::Result<Option<String>> {
    role_gone_for(app, lang, user_id, cell_id, None).await
}

/// [`role_gone`] for an item of `owner` (`None`: the cell's, a meeting):
/// who decides it now is named, not the cell's secretary where the item
/// is theirs (a deputy who took over, whose own report waits: the ward's
/// supervisors decide it where the cell has no deputy now).
pub async fn role_gone_for(
    app: &App,
    lang: Lang,
    user_id: i64,
    cell_id: i64,
    owner: Option<i64>,
) -> anyhow::Result<Option<String>> {
    let (_, now) = committee::facts(&app.pool, user_id, cell_id).await?;
    if now.includes(user_id) {
        return Ok(None);
    }
    let Some(role) = committee::role_lost_in(&app.pool, user_id, cell_id).await? else {
        return Ok(None);
    };
    let Some(cell) = cells::get(&app.pool, cell_id).await? else {
        return Ok(None);
    };
    let (role, cell) = (role.as_str(), cell.name.as_str());
    let decider = match owner {
        Some(owner) if goes_to_supervisors(now, owner) => {
            return Ok(Some(t!(
                lang,
                "committee-role-gone-supervisors",
                role = role,
                cell = cell
            )));
        }
        Some(owner) => first_decider(now, owner),
        None => now.secretary.or(now.deputy),
    };
    let deciding = match decider {
        Some(id) => users::get(&app.pool, id).await?,
        None => None,
    };
    Ok(Some(match deciding {
        Some(who) => t!(
            lang,
            "committee-role-gone-now",
            role = role,
            cell = cell,
            who = who.display_name()
        ),
        None => t!(lang, "committee-role-gone", role = role, cell = cell),
    }))
}

/// Why a supervisor of the cell's ward may not decide the item of
/// `owner` (the secretary's or deputy's own) they were given: the cell has
/// someone on its committee to decide it now (a deputy took their seat),
/// named. `None` otherwise (the usual "not allowed" stands).
pub async fn supervisor_stood_down(
    app: &App,
    lang: Lang,
    user_id: i64,
    cell_id: i64,
    owner: i64,
) -> anyhow::Result<Option<String>> {
    let (actor, now) = committee::facts(&app.pool, user_id, cell_id).await?;
    if !actor.supervises_ward || !now.includes(owner) || goes_to_supervisors(now, owner) {
        return Ok(None);
    }
    let Some(decider) = first_decider(now, owner) else {
        return Ok(None);
    };
    let (Some(cell), Some(who)) = (
        cells::get(&app.pool, cell_id).await?,
        users::get(&app.pool, decider).await?,
    ) else {
        return Ok(None);
    };
    Ok(Some(t!(
        lang,
        "supervisor-item-taken",
        cell = cell.name.as_str(),
        who = who.display_name()
    )))
}

/// The item (and the card's subject, for a decision card) of a button
/// that decides on something of a cell.
fn item_of(data: &CallbackData) -> Option<(Item, i64, Option<Subject>)> {
    use CallbackData as D;
    Some(match *data {
        D::JoinApprove(id) | D::JoinReject(id) => (Item::Membership, id, Some(Subject::Membership)),
        D::ReportApprove(id) | D::ReportReject(id) => (Item::Report, id, Some(Subject::Report)),
        D::SheetOpen(id) | D::SheetOpenYear(id, _) | D::MemberCard(id) | D::EndStart(id, _) => {
            (Item::Membership, id, None)
        }
        D::SheetLevel(id, _, _)
        | D::SheetRemarks(id)
        | D::SheetSend(id)
        | D::SheetReopen(id)
        | D::SheetSign(id) => (Item::Sheet, id, None),
        D::MeetingPostpone(id)
        | D::MeetingCancel(id)
        | D::MeetingCancelYes(id, _)
        | D::MeetingCancelNo(id)
        | D::MeetingSummary(id)
        | D::RegisterOpen(id)
        | D::AttendanceSet(id, _, _)
        | D::RegisterClose(id)
        | D::RegisterPage(id, _) => (Item::Meeting, id, None),
        D::RequestDraft(id) => (Item::Request, id, Some(Subject::Request)),
        D::InviteCell(id, _) | D::AnnounceCell(id) => (Item::Cell, id, None),
        _ => return None,
    })
}

/// Why `user_id` is refused an action of the cell's committee: their seat
/// gone, with who decides now ([`role_gone`]), or else "not allowed".
pub async fn why_refused(
    app: &App,
    lang: Lang,
    user_id: i64,
    cell_id: i64,
) -> anyhow::Result<String> {
    Ok(role_gone(app, lang, user_id, cell_id)
        .await?
        .unwrap_or_else(|| t!(lang, "not-allowed")))
}

/// A press on a button of a cell's committee by one who is on it no
/// longer: told so (and who decides now), and the pressed message loses
/// its buttons (a decision card is marked settled). Returns whether it was
/// that; otherwise nothing was said.
pub async fn refused_role_gone(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    data: &CallbackData,
) -> anyhow::Result<bool> {
    let Some((item, id, card)) = item_of(data) else {
        return Ok(false);
    };
    let Some((cell, owner)) = committee::cell_and_owner_of(&app.pool, item, id).await? else {
        return Ok(false);
    };
    let Some(text) = role_gone_for(app, ctx.lang, ctx.user_id(), cell, owner).await? else {
        return Ok(false);
    };
    tracing::info!(
        user = ctx.user_id(),
        cell,
        ?data,
        "press by a former committee member"
    );
    send::alert(bot, q, text).await?;
    settle_pressed(bot, app, q, card.map(|subject| (subject, id))).await?;
    Ok(true)
}

/// What a committee command answers to one who no longer holds the role
/// it was for: see [`command_role_gone`].
#[derive(Debug, Clone)]
pub struct CommandRoleGone {
    pub text: String,
    /// The request to join that waits, of one who holds no other role: its
    /// Withdraw button goes with the text.
    pub withdraw: Option<i64>,
}

/// The committee roles whose holder may use `command` and that `roles`
/// (the user's now) do not hold, when nothing else the user is serves it:
/// the roles whose loss explains its refusal. `None` for a command that is
/// not a committee's, or that the user's roles serve.
fn lost_roles_of(command: &Command, roles: Roles) -> Option<&'static [&'static str]> {
    use Command as C;
    const SECRETARY: &[&str] = &["secretary"];
    const COMMITTEE: &[&str] = &["secretary", "deputy"];
    if roles.committee() {
        return None;
    }
    let (lost, served) = match command {
        C::Invite(_) | C::Announce => (SECRETARY, false),
        C::Pending | C::Sheets(_) => (COMMITTEE, roles.supervisor),
        C::Members | C::Meeting | C::Checkin | C::Attendance => (COMMITTEE, false),
        C::Requests => (COMMITTEE, roles.officer),
        C::Stats(_) => (SECRETARY, roles.supervisor || roles.ward_admin),
        C::Export(_) => (
            SECRETARY,
            roles.officer || roles.supervisor || roles.ward_admin,
        ),
        _ => return None,
    };
    (!served).then_some(lost)
}

/// Filter for the committee's commands (/invite, /pending, /members,
/// /sheets, /meeting, /announce, /checkin, /attendance, /requests, /stats,
/// /export; /meetings, a member's command too, says it in
/// [`super::meetings::list`]) typed by one whose secretary's or deputy's
/// role was taken away
/// (or handed over) and who holds no committee role now: which role of
/// which cell ended and since when, and what they can still do, instead
/// of "for cell secretaries only" and "you have not joined". `None` (the
/// command answers as it does) for anyone else.
pub async fn command_role_gone(app: App, ctx: Ctx, command: Command) -> Option<CommandRoleGone> {
    let lost = lost_roles_of(&command, ctx.roles)?;
    let gone = async {
        // Their request to join waits, and nothing else is theirs: that it
        // waits since its day, not "/help lists your commands".
        let waiting = match ctx.roles.pending_member && ctx.has_no_role_but_a_join() {
            true => memberships::pending_for_user(&app.pool, ctx.user_id()).await?,
            false => None,
        };
        let still = waiting
            .as_ref()
            .map(|w| join_waiting_text(&app, ctx.lang, w));
        let text = role_gone_text(&app, &ctx, lost, false, still).await?;
        Ok::<_, anyhow::Error>(text.map(|text| CommandRoleGone {
            text,
            withdraw: waiting.map(|w| w.id),
        }))
    };
    match gone.await {
        Ok(gone) => gone,
        Err(err) => {
            tracing::warn!(%err, user = ctx.user_id(), "cannot read the roles lost");
            None
        }
    }
}

/// What a committee command answers to one whose request to join a cell
/// waits (see [`command_join_waiting`]), and the request's id (for its
/// Withdraw button).
#[derive(Debug, Clone)]
pub struct CommandJoinWaiting {
    pub text: String,
    pub request: i64,
}

/// Filter for the committee's commands (those [`lost_roles_of`] names)
/// typed by one whose request to join a cell waits and who is no member
/// (a member's waiting move is told as a member's refusal): the command is
/// for a cell's committee, and their own request waits since its day, to
/// be decided or withdrawn, instead of "/help lists your commands" as to
/// anybody. `None` (the command answers as it does) for anyone else; one
/// whose committee role was taken away is told that first
/// ([`command_role_gone`]).
pub async fn command_join_waiting(
    app: App,
    ctx: Ctx,
    command: Command,
) -> Option<CommandJoinWaiting> {
    if !ctx.roles.pending_member || ctx.roles.member {
        return None;
    }
    lost_roles_of(&command, ctx.roles)?;
    let waiting = match memberships::pending_for_user(&app.pool, ctx.user_id()).await {
        Ok(waiting) => waiting?,
        Err(err) => {
            tracing::warn!(%err, user = ctx.user_id(), "cannot read the request waiting");
            return None;
        }
    };
    let mut text = format!(
        "{}\n\n{}",
        t!(ctx.lang, "committee-command-only"),
        join_waiting_text(&app, ctx.lang, &waiting)
    );
    // Another role of theirs (an officer, a supervisor): where its
    // commands are.
    if !ctx.has_no_role_but_a_join() {
        text = format!("{text}\n\n{}", t!(ctx.lang, "refusal-see-help"));
    }
    Some(CommandJoinWaiting {
        text,
        request: waiting.id,
    })
}

/// "Your request to join CELL waits for confirmation since DATE; you will
/// be told; it can be withdrawn with the button below."
fn join_waiting_text(app: &App, lang: Lang, waiting: &memberships::Membership) -> String {
    let date = format_dmy(waiting.requested_at.with_timezone(&app.tz).date_naive());
    t!(
        lang,
        "join-waiting-since",
        cell = waiting.cell_name.as_str(),
        date = date.as_str()
    )
}

/// `/meetings` typed by one whose secretary's or deputy's role was taken
/// away, who holds no committee role now and is no member either (a
/// member's `/meetings` is their own list, as anyone's): which role of
/// which cell ended and since when, as [`command_role_gone`] says it.
/// `None` for anyone else.
pub async fn meetings_role_gone(app: &App, ctx: &Ctx) -> anyhow::Result<Option<String>> {
    if ctx.roles.committee() || ctx.roles.member {
        return Ok(None);
    }
    role_gone_text(app, ctx, &["secretary", "deputy"], true, None).await
}

/// A secretary's command (/invite, /announce, /stats, /export) typed by a
/// deputy secretary who is secretary of no cell now and whose secretary's
/// role of one cell or more was taken away (or handed over): a line for
/// each, saying which cell's and since when, in the order they ended,
/// added to what the command answers a deputy (the role still held is
/// what [`command_role_gone`] leaves it to). `None` for anyone else.
pub async fn secretary_role_gone_line(app: &App, ctx: &Ctx) -> anyhow::Result<Option<String>> {
    if ctx.roles.secretary || !ctx.roles.deputy {
        return Ok(None);
    }
    let lost = committee::committee_roles_lost(&app.pool, ctx.user_id(), &["secretary"]).await?;
    let lines: Vec<String> = lost
        .into_iter()
        .map(|(_, cell, at)| {
            let date = format_dmy(at.with_timezone(&app.tz).date_naive());
            t!(
                ctx.lang,
                "secretary-role-gone-line",
                cell = cell.as_str(),
                date = date.as_str()
            )
        })
        .collect();
    Ok((!lines.is_empty()).then(|| lines.join("\n")))
}

/// `text` (what a secretary's command answers a deputy), with
/// [`secretary_role_gone_line`] after it where there is one.
pub async fn with_secretary_role_gone(
    app: &App,
    ctx: &Ctx,
    text: String,
) -> anyhow::Result<String> {
    Ok(match secretary_role_gone_line(app, ctx).await? {
        Some(line) => format!("{text}\n{line}"),
        None => text,
    })
}

/// Which of the `lost` roles ended, where and since when (of a command no
/// longer theirs; of the cell's meetings no longer shown, for
/// `meetings`), then what the user can still do (`still`, where the
/// caller knows it).
async fn role_gone_text(
    app: &App,
    ctx: &Ctx,
    lost: &[&str],
    meetings: bool,
    still: Option<String>,
) -> anyhow::Result<Option<String>> {
    let Some((role, cell, at)) =
        committee::committee_role_lost(&app.pool, ctx.user_id(), lost).await?
    else {
        return Ok(None);
    };
    let date = format_dmy(at.with_timezone(&app.tz).date_naive());
    let (role, cell, date) = (role.as_str(), cell.as_str(), date.as_str());
    let gone = if meetings {
        t!(
            ctx.lang,
            "meetings-role-gone",
            role = role,
            cell = cell,
            date = date
        )
    } else {
        t!(
            ctx.lang,
            "command-role-gone",
            role = role,
            cell = cell,
            date = date
        )
    };
    let still = if let Some(still) = still {
        still
    } else if !ctx.has_no_role() {
        t!(ctx.lang, "refusal-see-help")
    } else {
        match super::report::ended_text(app, ctx).await? {
            Some(ended) => ended,
            None => t!(ctx.lang, "command-role-gone-join"),
        }
    };
    Ok(Some(format!("{gone}\n\n{still}")))
}

/// The cell and the day (dd/mm/yyyy, local) of a user's latest ended
/// membership, when they hold no other: what every "your membership of
/// CELL ended on DATE" says.
pub struct Ended {
    pub cell: String,
    pub date: String,
}

/// `user_id`'s latest ended membership as [`Ended`] says it, if they hold
/// no other (`None` for one who never joined, or holds one now).
pub async fn membership_ended(app: &App, user_id: i64) -> anyhow::Result<Option<Ended>> {
    Ok(memberships::latest_ended(&app.pool, user_id)
        .await?
        .map(|m| ended(app, m)))
}

/// The membership a report was made in (or moved on to from it) as
/// [`Ended`] says it, when it ended other than by a move, whatever the
/// user holds now (a cell joined afresh since).
pub async fn report_membership_ended(app: &App, report_id: i64) -> anyhow::Result<Option<Ended>> {
    Ok(memberships::ended_after_report(&app.pool, report_id)
        .await?
        .map(|m| ended(app, m)))
}

fn ended(app: &App, m: memberships::Membership) -> Ended {
    Ended {
        date: m
            .ended_at
            .map(|at| format_dmy(at.with_timezone(&app.tz).date_naive()))
            .unwrap_or_default(),
        cell: m.cell_name,
    }
}

/// A member's button (a meeting invitation's answers, a comment sheet's
/// Accept and Respond) pressed by one whose membership ended since, with
/// no other: said so (of which cell, on which day) instead of "not
/// allowed", and the pressed message loses its buttons (they cannot answer
/// for them again). Returns whether it was that; otherwise nothing was
/// said.
pub async fn refused_membership_ended(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    data: &CallbackData,
) -> anyhow::Result<bool> {
    use CallbackData as D;
    let meeting = match data {
        D::MeetingAttend(..) | D::MeetingDecline(..) | D::MeetingInvitation(_) => true,
        D::SheetAccept(..) | D::SheetRespond(..) => false,
        _ => return Ok(false),
    };
    let Some(ended) = membership_ended(app, ctx.user_id()).await? else {
        return Ok(false);
    };
    let (cell, date) = (ended.cell.as_str(), ended.date.as_str());
    let text = if meeting {
        t!(
            ctx.lang,
            "meeting-membership-ended",
            cell = cell,
            date = date
        )
    } else {
        t!(ctx.lang, "sheet-membership-ended", cell = cell, date = date)
    };
    send::alert(bot, q, text).await?;
    send::remove_buttons(bot, q).await;
    Ok(true)
}

/// A workplace officer's, a ward administrator's or a ward supervisor's
/// button pressed by one whose role was taken away since (and who holds no other such role):
/// said so (of which workplace or ward) instead of "not allowed". The
/// buttons stay: given the role back, they work again. Returns whether it
/// was that; otherwise nothing was said.
pub async fn refused_office_gone(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    data: &CallbackData,
) -> anyhow::Result<bool> {
    use CallbackData as D;
    let officer = matches!(
        data,
        D::RosterImport(_)
            | D::RosterCancel(_)
            | D::Introduce(_)
            | D::IntroRevoke(_)
            | D::OfficerSheet(..)
            | D::RequestWithdraw(_)
            | D::RequestWithdrawYes(_)
            | D::RequestWithdrawNo(_)
            | D::RequestDocuments(_)
    ) || data.is_request_step();
    let ward_admin = matches!(
        data,
        D::WardCells(_)
            | D::WardImport(_)
            | D::CellAdd(_)
            | D::CellOpen(_)
            | D::CellInvite(_)
            | D::CellRename(_)
            | D::CellRemove(_)
            | D::CellRemoveYes(_)
            | D::CellRemoveNo(_)
            | D::CellsImport(_)
            | D::CellsCancel(_)
    );
    // The office the press needed, if its holder lost it since.
    let role = if officer && !ctx.roles.officer {
        "officer"
    } else if ward_admin && !ctx.roles.ward_admin {
        "ward_admin"
    } else if item_of(data).is_some() && !ctx.roles.supervisor {
        // A card of a committee's own item, sent to the ward's supervisors.
        "supervisor"
    } else {
        return Ok(false);
    };
    let Some(place) = committee::office_lost(&app.pool, ctx.user_id(), role, None).await? else {
        return Ok(false);
    };
    let place = place.as_str();
    let text = match role {
        "officer" => t!(ctx.lang, "officer-role-gone", workplace = place),
        "ward_admin" => t!(ctx.lang, "ward-admin-role-gone", ward = place),
        _ => t!(ctx.lang, "supervisor-role-gone", ward = place),
    };
    tracing::info!(
        user = ctx.user_id(),
        ?data,
        "press by a former officer or administrator"
    );
    send::alert(bot, q, text).await?;
    Ok(true)
}

/// The answer to a workplace officer's button its presser may not use (the
/// store refused it): one who was that workplace's officer and is no
/// longer, though an officer still (moved to workplace B), is told they
/// are no longer its officer, naming it, and the pressed message loses its
/// buttons (they belong to it); anyone else is told it is not allowed.
pub async fn refuse_officer_press(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    (item, id): (committee::OfficerItem, i64),
) -> anyhow::Result<()> {
    let Some(place) = committee::officer_left(&app.pool, ctx.user_id(), item, id).await? else {
        tracing::warn!(user = ctx.user_id(), ?item, id, "officer's press refused");
        send::alert(bot, q, t!(ctx.lang, "not-allowed")).await?;
        return Ok(());
    };
    tracing::info!(
        user = ctx.user_id(),
        ?item,
        id,
        "press by an officer of another workplace now"
    );
    // What a former officer is told: no longer its officer.
    let text = t!(ctx.lang, "officer-role-gone", workplace = place.as_str());
    send::alert(bot, q, text).await?;
    send::remove_buttons(bot, q).await;
    Ok(())
}

/// The pressed message loses its buttons; a decision card of `card` is
/// marked settled (its buttons are gone: not to be edited again).
pub async fn settle_pressed(
    bot: &Bot,
    app: &App,
    q: &CallbackQuery,
    card: Option<(Subject, i64)>,
) -> anyhow::Result<()> {
    send::remove_buttons(bot, q).await;
    if let (Some((subject, id)), Some((chat, message))) = (card, send::pressed_message(q)) {
        let shown = (chat.0, i64::from(message.0));
        if decision_messages::is_card(&app.pool, subject, id, shown).await? {
            decision_messages::mark_settled(&app.pool, subject, id, shown, app.now()).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line about years names only the commands the role may use (an
    /// officer was told of /stats and /sheets, which refuse officers).
    #[test]
    fn the_year_line_names_only_each_role_s_commands() {
        let role = |set: fn(&mut Roles)| {
            let mut roles = Roles::default();
            set(&mut roles);
            roles
        };
        for (roles, named, not_named) in [
            (
                role(|r| r.officer = true),
                &["/status", "/export", "/sheet full name"][..],
                &["/stats", "/sheets"][..],
            ),
            (
                role(|r| r.supervisor = true),
                &["/sheets", "/stats", "/export"],
                &["/status", "/sheet full name"],
            ),
            (
                role(|r| r.deputy = true),
                &["/sheets"],
                &["/status", "/stats", "/export"],
            ),
            (
                role(|r| r.secretary = true),
                &["/sheets", "/stats", "/export"],
                &["/status", "/sheet full name"],
            ),
        ] {
            let help = help_text(Lang::En, roles);
            let line = help
                .lines()
                .find(|l| l.contains("year under review"))
                .unwrap_or_else(|| panic!("{roles:?}: {help}"));
            for command in named {
                assert!(line.contains(command), "{roles:?}: {line}");
            }
            for command in not_named {
                let named_here = line.split([' ', ',']).any(|word| {
                    word == *command || (command.contains(' ') && line.contains(command))
                });
                assert!(!named_here, "{roles:?} {command}: {line}");
            }
        }
        let member = role(|r| r.member = true);
        assert!(!help_text(Lang::En, member).contains("year under review"));
    }
}
