//! The whole handler tree, in one place.

use teloxide::{
    dispatching::{UpdateFilterExt, UpdateHandler},
    prelude::*,
    types::{CallbackQuery, Me, Update},
};

use super::{
    App, Dialogue, HandlerResult, announce, attendance, cells,
    commands::{self, Command},
    consent,
    context::{self, Ctx},
    decisions, groups, introduce, introduction, join, meetings, members, menus, overview, pager,
    personal, profile, reach, report, requests, roles, roster, sheets,
    state::State,
    views,
};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{Lang, report::Decision},
    store, t,
};

/// The slash commands, one branch each, parsed once (`commands::parse`:
/// any case, an argument after a newline). Who may use each is read from
/// the database inside, where the command's scope (which cells, which
/// workplaces) is read too; a refusal says whom it is for and, to someone
/// without a role, how to join.
fn commands_tree() -> UpdateHandler<anyhow::Error> {
    use dptree::case;

    dptree::filter_map(commands::parse)
        // A committee's command from one whose secretary's or deputy's role
        // was taken away: which role ended, where, since when (not "for
        // secretaries only", "you have not joined").
        .branch(dptree::filter_map_async(roles::command_role_gone).endpoint(
            |bot: Bot, ctx: Ctx, gone: roles::CommandRoleGone| async move {
                match gone.withdraw {
                    Some(request) => join::tell_waiting(&bot, &ctx, gone.text, request).await,
                    None => Ok(send::text(&bot, ctx.chat, gone.text).await.map(|_| ())?),
                }
            },
        ))
        // A committee's command from one whose request to join waits: for
        // a cell's committee, and their request waits since its day.
        .branch(
            dptree::filter_map_async(roles::command_join_waiting).endpoint(
                |bot: Bot, ctx: Ctx, waiting: roles::CommandJoinWaiting| async move {
                    join::tell_waiting(&bot, &ctx, waiting.text, waiting.request).await
                },
            ),
        )
        // anyone
        .branch(case![Command::Start(arg)].endpoint(commands::on_start))
        .branch(case![Command::Help].endpoint(commands::on_help))
        .branch(case![Command::Cancel].endpoint(commands::on_cancel))
        .branch(case![Command::Language].endpoint(commands::on_language))
        .branch(
            case![Command::Profile].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                profile::show(&bot, &app, &ctx).await
            }),
        )
        .branch(case![Command::Verify(code)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, code: String| async move {
                sheets::verify(&bot, &app, &ctx, &code).await
            },
        ))
        // personal data
        .branch(
            case![Command::MyData].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                personal::my_data(&bot, &app, &ctx).await
            }),
        )
        .branch(
            case![Command::ForgetMe].endpoint(|bot: Bot, ctx: Ctx| async move {
                personal::forget_me(&bot, &ctx).await
            }),
        )
        // members
        .branch(case![Command::Report].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue| async move {
                report::start(&bot, &app, &ctx, &d).await
            },
        ))
        .branch(
            case![Command::MyReports].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                views::my_reports(&bot, &app, &ctx).await
            }),
        )
        .branch(
            case![Command::Meetings].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                meetings::list(&bot, &app, &ctx).await
            }),
        )
        // a cell's secretary and deputies
        .branch(
            case![Command::Pending].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                views::pending(&bot, &app, &ctx).await
            }),
        )
        .branch(
            case![Command::Members].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                views::members(&bot, &app, &ctx).await
            }),
        )
        .branch(case![Command::Invite(what)].endpoint(commands::on_invite))
        .branch(case![Command::Announce].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue| async move {
                announce::start(&bot, &app, &ctx, &d).await
            },
        ))
        .branch(case![Command::Sheets(year)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, year: String| async move {
                sheets::list(&bot, &app, &ctx, &year).await
            },
        ))
        .branch(case![Command::Meeting].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue| async move {
                meetings::start(&bot, &app, &ctx, &d).await
            },
        ))
        .branch(case![Command::Checkin].endpoint(
            |bot: Bot, app: App, ctx: Ctx, me: Me| async move {
                attendance::checkin(&bot, &app, &ctx, &me).await
            },
        ))
        .branch(
            case![Command::Attendance].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                attendance::attendance(&bot, &app, &ctx).await
            }),
        )
        // officers and supervisors (a committee's views too)
        .branch(case![Command::Status(year)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, year: String| async move {
                overview::status(&bot, &app, &ctx, &year).await
            },
        ))
        .branch(case![Command::Sheet(name)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, name: String| async move {
                overview::sheet(&bot, &app, &ctx, &name).await
            },
        ))
        .branch(case![Command::Stats(year)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, year: String| async move {
                overview::stats(&bot, &app, &ctx, &year).await
            },
        ))
        .branch(case![Command::Export(year)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, year: String| async move {
                overview::export(&bot, &app, &ctx, &year).await
            },
        ))
        .branch(case![Command::Roster(arg)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, arg: String| async move {
                roster::start(&bot, &app, &ctx, &d, arg.trim()).await
            },
        ))
        .branch(case![Command::Request(name)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, name: String| async move {
                requests::start(&bot, &app, &ctx, &d, name.trim()).await
            },
        ))
        .branch(
            case![Command::Requests].endpoint(|bot: Bot, app: App, ctx: Ctx| async move {
                requests::list(&bot, &app, &ctx).await
            }),
        )
        // ward administrators
        .branch(case![Command::Cells(arg)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, arg: String| async move {
                cells::command(&bot, &app, &ctx, &d, &arg).await
            },
        ))
}

/// The dptree handler tree of the bot.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    use dptree::case;

    let messages = Update::filter_message()
        .filter_map_async(context::from_message)
        // A new version of the personal-data notice, once, at the next message.
        .inspect_async(consent::new_version)
        // The chat's command menu follows roles changed elsewhere.
        .inspect_async(menus::follow_roles)
        .map(context::dialogue)
        .map(context::state)
        // A message in a dialogue (a text, a photo…): remembered as its
        // answer (see `commands::edited`).
        .inspect(|app: App, ctx: Ctx, msg: Message| {
            if ctx.state != State::Idle && !commands::looks_like_command(&msg) {
                app.note_answer(ctx.chat.0, msg.id.0, ctx.state.answer_key());
            }
        })
        // The rest of a text Telegram split (its first part was refused as
        // too long): not taken as an answer. A command is the user's own
        // (a /cancel tapped just after a long text is a cancel).
        .branch(
            dptree::filter(|app: App, msg: Message| {
                msg.text().is_some_and(|text| {
                    let command = commands::looks_like_command(&msg);
                    app.rest_of_long_text(msg.chat.id.0, (send::units(text), command), msg.date)
                })
            })
            .endpoint(commands::rest_of_long_text),
        )
        .branch(commands_tree())
        .branch(
            dptree::filter(|msg: Message| commands::looks_like_command(&msg))
                .endpoint(commands::unknown),
        )
        // The album's first item was answered: nothing more to say.
        .branch(dptree::filter(context::repeated_album_item).endpoint(|| async { Ok(()) }))
        .branch(
            case![State::SecretaryName {
                invite_id,
                opened_at,
                resume
            }]
            .endpoint(join::secretary_name),
        )
        .branch(case![State::Join(step, draft)].endpoint(join::on_message))
        .branch(case![State::Report(step, draft)].endpoint(report::on_message))
        .branch(
            case![State::RejectReason { report_id, resume }].endpoint(decisions::on_reject_reason),
        )
        .branch(case![State::AnnounceText].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, msg: Message| {
                announce::on_text(bot, app, ctx, d, msg, None)
            },
        ))
        .branch(case![State::AnnounceCellText { cell }].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, msg: Message, cell: i64| {
                announce::on_text(bot, app, ctx, d, msg, Some(cell))
            },
        ))
        // A text typed under the preview is the corrected announcement: a
        // new preview (the older one's Send is stale).
        .branch(
            case![State::AnnounceConfirm { token, text, cell }].endpoint(
                |bot: Bot,
                 app: App,
                 ctx: Ctx,
                 d: Dialogue,
                 msg: Message,
                 (_, _, cell): (String, String, Option<i64>)| {
                    announce::on_text(bot, app, ctx, d, msg, cell)
                },
            ),
        )
        .branch(case![State::SheetRemarks { sheet_id, resume }].endpoint(sheets::on_remarks))
        .branch(
            case![State::SheetResponse {
                sheet_id,
                resume,
                seen
            }]
            .endpoint(sheets::on_response),
        )
        .branch(
            case![State::MoveConfirm {
                invite_id,
                cell_id,
                from,
                resume
            }]
            .endpoint(commands::expect_button),
        )
        .branch(
            case![State::EndNote {
                membership_id,
                reason,
                resume
            }]
            .endpoint(members::on_end_note),
        )
        .branch(
            case![State::EndConfirm {
                membership_id,
                reason,
                note,
                resume
            }]
            .endpoint(commands::expect_button),
        )
        .branch(
            case![State::ProfilePhone {
                membership_id,
                resume
            }]
            .endpoint(profile::on_phone),
        )
        .branch(
            case![State::ProfileWorkplace {
                membership_id,
                page,
                resume
            }]
            .endpoint(profile::on_workplace_search),
        )
        .branch(
            case![State::ProfileWorkplaceOther {
                membership_id,
                resume
            }]
            .endpoint(profile::on_workplace_name),
        )
        .branch(
            case![State::IntroCorrect {
                membership_id,
                resume
            }]
            .endpoint(introduction::on_correct_text),
        )
        // meetings
        .branch(case![State::Meeting(step, draft)].endpoint(meetings::on_message))
        .branch(
            case![State::MeetingDeclineReason {
                meeting_id,
                message,
                resume
            }]
            .endpoint(meetings::on_decline_reason),
        )
        .branch(
            case![State::MeetingPostpone {
                meeting_id,
                shown,
                resume
            }]
            .endpoint(meetings::on_postpone_time),
        )
        // roster
        .branch(case![State::RosterFile { workplace_id }].endpoint(roster::on_message))
        // introductions
        .branch(
            case![State::IntroWard {
                introduction_id,
                resume
            }]
            .endpoint(introduce::on_ward_text),
        )
        .branch(
            case![State::IntroCell {
                introduction_id,
                ward_id,
                resume
            }]
            .endpoint(introduce::on_cell_text),
        )
        // ward administrators
        .branch(case![State::CellAdd { ward_id }].endpoint(cells::on_add_name))
        .branch(case![State::CellRename { cell_id }].endpoint(cells::on_rename_name))
        .branch(case![State::CellImportFile { ward_id }].endpoint(cells::on_import_file))
        // comments on request
        .branch(case![State::Request(step, form)].endpoint(requests::on_message))
        .branch(case![State::Idle].endpoint(commands::idle_message));

    // Button presses: decoded once, then routed by what they ask. Role
    // filters read the database at every press; the handlers re-check the
    // item itself (whose cell, whose report, still pending?).
    let decider_buttons = dptree::filter(roles::decides_somewhere)
        .branch(case![CallbackData::JoinApprove(id)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64| async move {
                decisions::on_join(&bot, &app, &ctx, &q, id, Decision::Approve).await
            },
        ))
        .branch(case![CallbackData::JoinReject(id)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64| async move {
                decisions::on_join(&bot, &app, &ctx, &q, id, Decision::Reject).await
            },
        ))
        .branch(case![CallbackData::ReportApprove(id)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, q: CallbackQuery, id: i64| async move {
                decisions::on_report(&bot, &app, &ctx, &d, &q, id, Decision::Approve).await
            },
        ))
        .branch(case![CallbackData::ReportReject(id)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, q: CallbackQuery, id: i64| async move {
                decisions::on_report(&bot, &app, &ctx, &d, &q, id, Decision::Reject).await
            },
        ))
        .branch(case![CallbackData::OpenPending].endpoint(
            |bot: Bot, app: App, ctx: Ctx, q: CallbackQuery| async move {
                send::ack(&bot, &q).await?;
                views::pending(&bot, &app, &ctx).await
            },
        ))
        // /invite: the cell chosen (re-checked: still its secretary).
        .branch(case![CallbackData::InviteCell(cell, deputy)].endpoint(commands::on_invite_cell))
        // /announce: the cell chosen, or all (re-checked likewise).
        .branch(case![CallbackData::AnnounceCell(cell)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, q: CallbackQuery, cell: i64| async move {
                announce::on_cell(&bot, &app, &ctx, &d, &q, Some(cell)).await
            },
        ))
        .branch(case![CallbackData::AnnounceAllCells].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, q: CallbackQuery| async move {
                announce::on_cell(&bot, &app, &ctx, &d, &q, None).await
            },
        ))
        .branch(case![CallbackData::SheetOpen(id)].endpoint(sheets::open_default))
        .branch(case![CallbackData::SheetOpenYear(id, year)].endpoint(sheets::open))
        .branch(
            case![CallbackData::SheetLevel(sheet, criterion, level)].endpoint(sheets::set_level),
        )
        .branch(case![CallbackData::SheetRemarks(id)].endpoint(sheets::ask_remarks))
        .branch(case![CallbackData::SheetSend(id)].endpoint(sheets::send_to_member))
        .branch(case![CallbackData::SheetReopen(id)].endpoint(sheets::reopen))
        .branch(case![CallbackData::SheetSign(id)].endpoint(sheets::sign))
        .branch(case![CallbackData::MembersPage(cell, page)].endpoint(members::on_page))
        .branch(case![CallbackData::MemberCard(id)].endpoint(members::open_card))
        .branch(case![CallbackData::EndStart(id, reason)].endpoint(members::end_start))
        .branch(case![CallbackData::IntroCorrect(id)].endpoint(introduction::on_correct_press))
        // meetings: the secretary or deputy of the meeting's cell (re-checked inside)
        .branch(case![CallbackData::MeetingPostpone(id)].endpoint(meetings::on_postpone))
        .branch(case![CallbackData::MeetingCancel(id)].endpoint(meetings::on_cancel))
        .branch(case![CallbackData::MeetingCancelYes(id, moved)].endpoint(meetings::on_cancel_yes))
        .branch(case![CallbackData::MeetingCancelNo(id)].endpoint(meetings::on_cancel_no))
        .branch(case![CallbackData::MeetingSummary(id)].endpoint(meetings::on_summary))
        // attendance: the register (re-checked: on the meeting's cell's committee).
        .branch(case![CallbackData::RegisterOpen(id)].endpoint(attendance::on_open))
        .branch(
            case![CallbackData::AttendanceSet(meeting, member, to)].endpoint(attendance::on_set),
        )
        .branch(case![CallbackData::RegisterClose(id)].endpoint(attendance::on_close))
        .branch(case![CallbackData::RegisterPage(id, page)].endpoint(attendance::on_page))
        // comments on request: the deciding secretary (or deputy) of the
        // request's member (re-checked inside).
        .branch(case![CallbackData::RequestDraft(id)].endpoint(requests::on_draft));

    let member_buttons = dptree::filter(roles::is_member)
        // meetings: the invited member (re-checked inside)
        .branch(case![CallbackData::MeetingAttend(id, moved)].endpoint(meetings::on_attend))
        .branch(case![CallbackData::MeetingDecline(id, moved)].endpoint(meetings::on_decline))
        .branch(case![CallbackData::MeetingInvitation(id)].endpoint(meetings::on_invitation))
        .branch(case![CallbackData::SheetAccept(id, tag)].endpoint(sheets::member_accepts))
        .branch(case![CallbackData::SheetRespond(id, tag)].endpoint(sheets::ask_response));

    // roster: an officer of some workplace; the upload's workplace and
    // uploader are re-checked inside, in the import's transaction.
    let officer_buttons = dptree::filter(roles::is_officer)
        .branch(case![CallbackData::RosterImport(id)].endpoint(roster::on_import))
        .branch(case![CallbackData::RosterCancel(id)].endpoint(roster::on_cancel))
        // introductions: the entry's workplace is re-checked inside, in
        // the introduction's transaction.
        .branch(case![CallbackData::Introduce(id)].endpoint(introduce::on_introduce))
        .branch(case![CallbackData::IntroRevoke(id)].endpoint(introduce::on_revoke))
        // /sheet: one of members of the same name (looked up again among
        // the officer's workplaces' members).
        .branch(case![CallbackData::OfficerSheet(id, year)].endpoint(overview::on_sheet_choice))
        // comments on request: the officer's /request dialogue (the step in
        // the dialogue; the member's workplace re-checked inside).
        .branch(
            dptree::filter(|data: CallbackData| data.is_request_step())
                .endpoint(requests::on_callback),
        )
        // /requests: withdraw a request (its workplace re-read at the press
        // and again in the withdrawal's transaction).
        .branch(case![CallbackData::RequestWithdraw(id)].endpoint(requests::on_withdraw))
        .branch(case![CallbackData::RequestWithdrawYes(id)].endpoint(requests::on_withdraw_yes))
        .branch(case![CallbackData::RequestWithdrawNo(id)].endpoint(requests::on_withdraw_no))
        // /requests: a signed comment's documents again (the workplace
        // re-read at the press).
        .branch(case![CallbackData::RequestDocuments(id)].endpoint(requests::on_documents));

    // ward administrators: an administrator of some ward; the button's
    // ward (or the cell's ward, or the upload's) is re-checked inside.
    let ward_admin_buttons = dptree::filter(roles::is_ward_admin)
        .branch(case![CallbackData::WardCells(id)].endpoint(cells::on_ward))
        .branch(case![CallbackData::WardImport(id)].endpoint(cells::on_ward_import))
        .branch(case![CallbackData::CellAdd(id)].endpoint(cells::on_add))
        .branch(case![CallbackData::CellOpen(id)].endpoint(cells::on_open))
        .branch(case![CallbackData::CellInvite(id)].endpoint(cells::on_invite))
        .branch(case![CallbackData::CellRename(id)].endpoint(cells::on_rename))
        .branch(case![CallbackData::CellRemove(id)].endpoint(cells::on_remove))
        .branch(case![CallbackData::CellRemoveYes(id)].endpoint(cells::on_remove_yes))
        .branch(case![CallbackData::CellRemoveNo(id)].endpoint(cells::on_remove_no))
        .branch(case![CallbackData::CellsImport(id)].endpoint(cells::on_import))
        .branch(case![CallbackData::CellsCancel(id)].endpoint(cells::on_cancel));

    let anyone_buttons = dptree::entry()
        // /profile: the membership is read inside; one ended since the
        // buttons were shown is said so, not "not allowed".
        .branch(
            dptree::filter(|data: CallbackData| {
                matches!(
                    data,
                    CallbackData::ProfilePhone | CallbackData::ProfileWorkplace
                )
            })
            .endpoint(profile::on_button),
        )
        // /report explains itself to someone who is not (or no longer) a member.
        .branch(case![CallbackData::ReportNow].endpoint(
            |bot: Bot, app: App, ctx: Ctx, d: Dialogue, q: CallbackQuery| async move {
                send::ack(&bot, &q).await?;
                report::start(&bot, &app, &ctx, &d).await
            },
        ))
        .branch(case![CallbackData::ReportPhotos(id)].endpoint(
            |bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64| async move {
                decisions::show_photos(&bot, &app, &ctx, &q, id).await
            },
        ))
        .branch(case![CallbackData::Language(lang)].endpoint(set_language))
        // personal data: the presser's own (nothing else to check).
        .branch(case![CallbackData::ForgetConfirm].endpoint(personal::on_confirm))
        .branch(case![CallbackData::ForgetCancel].endpoint(personal::on_cancel))
        .branch(case![CallbackData::ConsentAgree].endpoint(consent::on_agree))
        .branch(case![CallbackData::ConsentAgreeJoin(code)].endpoint(consent::on_agree_join))
        .branch(case![CallbackData::ConsentRefuse].endpoint(consent::on_refuse))
        // Re-checked inside: the list is built again with the presser's rights.
        .branch(case![CallbackData::ViewPage(view, scope, year, page)].endpoint(pager::on_page))
        .branch(case![CallbackData::ViewXlsx(view, scope, year)].endpoint(pager::on_xlsx))
        // Re-checked inside: the presser's own rejected report.
        .branch(case![CallbackData::Resubmit(id)].endpoint(report::resubmit))
        // Re-checked in the withdrawal's transaction: the presser's own
        // waiting request to join.
        .branch(case![CallbackData::JoinWithdraw(id)].endpoint(join::on_withdraw))
        .branch(
            dptree::filter(|data: CallbackData| data.is_dialogue_step()).endpoint(dialogue_button),
        );

    let callbacks = Update::filter_callback_query()
        .filter_map_async(context::from_callback)
        .map(context::dialogue)
        .map(context::state)
        .branch(
            dptree::filter_map(|q: CallbackQuery| q.data.as_deref().and_then(CallbackData::decode))
                // A summary's Confirm or Send under an older summary of the
                // dialogue (another draft, member or text): it would confirm
                // what the chat shows now, not what it says.
                .branch(
                    dptree::filter(|data: CallbackData, state: State| {
                        data.step().is_some_and(|tag| !state.shown_for(tag))
                    })
                    .endpoint(stale_summary),
                )
                .branch(decider_buttons)
                .branch(member_buttons)
                .branch(officer_buttons)
                .branch(ward_admin_buttons)
                .branch(anyone_buttons),
        )
        // Forged, outdated or not this user's to press.
        .endpoint(refuse);

    // Redelivered updates are skipped before the tree (see `polling`).
    // An edited text, or a photo or file replaced, is not read again: the
    // user is told to send anew. (Other edits, such as a live location
    // moving, are let be.)
    let edits = Update::filter_edited_message()
        .filter(|msg: Message| {
            msg.text().is_some()
                || msg.caption().is_some()
                || msg.photo().is_some()
                || msg.document().is_some()
        })
        .filter_map_async(context::from_message)
        .endpoint(commands::edited);

    // The bot blocked or unblocked by a user.
    let reach = Update::filter_my_chat_member().endpoint(reach::on_my_chat_member);

    // In a group: private chats only, said once, and the bot leaves.
    let in_groups = dptree::entry()
        .branch(
            Update::filter_message()
                .filter(|msg: Message| !msg.chat.is_private() && commands::looks_like_command(&msg))
                .endpoint(groups::on_message),
        )
        .branch(
            Update::filter_my_chat_member()
                .filter(|u: teloxide::types::ChatMemberUpdated| !u.chat.is_private())
                .endpoint(groups::on_added),
        )
        // A button pressed under a message in a group: nothing done there.
        .branch(
            Update::filter_callback_query()
                .filter(|q: CallbackQuery| {
                    q.message.as_ref().is_some_and(|m| !m.chat().is_private())
                })
                .endpoint(groups::on_press),
        );

    dptree::entry()
        .branch(in_groups)
        .branch(messages)
        .branch(edits)
        .branch(callbacks)
        .branch(reach)
}

/// A button the presser may not use, or data that does not decode. One
/// who was on the item's cell's committee, or an officer or a ward
/// administrator whose role was taken away, is told they no longer are; one
/// whose membership ended, that it did.
async fn refuse(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery) -> HandlerResult {
    if let Some(data) = q.data.as_deref().and_then(CallbackData::decode)
        && (roles::refused_role_gone(&bot, &app, &ctx, &q, &data).await?
            || roles::refused_membership_ended(&bot, &app, &ctx, &q, &data).await?
            || roles::refused_office_gone(&bot, &app, &ctx, &q, &data).await?)
    {
        return Ok(());
    }
    tracing::warn!(user = ctx.user_id(), data = ?q.data, "button refused");
    Ok(send::alert(&bot, &q, t!(ctx.lang, "not-allowed")).await?)
}

/// Tiếng Việt / English.
async fn set_language(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, new: Lang) -> HandlerResult {
    store::users::set_language(&app.pool, ctx.user_id(), new, app.now()).await?;
    send::toast(&bot, &q, t!(new, "language-set")).await?;
    // Switched in the middle of a dialogue (joining, say): the question
    // above, in the language before, still waits for its answer; said so
    // in the new one, as the next questions will be.
    let settled = if ctx.state == State::Idle {
        t!(new, "language-set")
    } else {
        format!(
            "{}\n\n{}",
            t!(new, "language-set"),
            t!(new, "unknown-command-in-dialogue")
        )
    };
    send::settle_pressed(&bot, &q, settled).await;
    if let Err(err) = menus::refresh_for_user(&bot, &app, ctx.user_id(), new).await {
        tracing::warn!(%err, "could not set the menu");
    }
    Ok(())
}

/// A dialogue button: valid only at the step it was shown for.
async fn dialogue_button(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    data: CallbackData,
    state: State,
) -> HandlerResult {
    let handled = match state {
        State::Join(step, draft) => {
            join::on_callback(&bot, &app, &ctx, &dialogue, &q, data, (step, draft)).await?
        }
        State::Report(step, draft) => {
            report::on_callback(&bot, &app, &ctx, &dialogue, &q, data, (step, draft)).await?
        }
        State::AnnounceConfirm { token, text, cell } => {
            announce::on_callback(&bot, &app, &ctx, &dialogue, &q, data, (token, text, cell))
                .await?
        }
        State::MoveConfirm {
            invite_id,
            cell_id,
            from,
            resume,
        } => {
            join::on_move_callback(
                &bot,
                &app,
                &ctx,
                &dialogue,
                &q,
                data,
                (invite_id, cell_id, from, resume),
            )
            .await?
        }
        State::EndConfirm {
            membership_id,
            reason,
            note,
            resume,
        } => {
            members::on_end_callback(
                &bot,
                &app,
                &ctx,
                &dialogue,
                &q,
                data,
                (membership_id, reason, note, resume),
            )
            .await?
        }
        // meetings
        State::Meeting(step, draft) => {
            meetings::on_callback(&bot, &app, &ctx, &dialogue, &q, data, (step, draft)).await?
        }
        // introductions
        State::IntroWard {
            introduction_id,
            resume,
        } => {
            let step = (introduction_id, None, resume);
            introduce::on_callback(&bot, &app, &ctx, &dialogue, &q, data, step).await?
        }
        State::IntroCell {
            introduction_id,
            ward_id,
            resume,
        } => {
            let step = (introduction_id, Some(ward_id), resume);
            introduce::on_callback(&bot, &app, &ctx, &dialogue, &q, data, step).await?
        }
        State::ProfileWorkplace {
            membership_id,
            resume,
            ..
        } => {
            let question = (membership_id, resume);
            profile::on_workplace_callback(&bot, &app, &ctx, &dialogue, &q, data, question).await?
        }
        _ => false,
    };
    if !handled {
        return stale(bot, ctx, q).await;
    }
    Ok(())
}

/// A summary's Confirm or Send whose dialogue is over or elsewhere: a
/// report's Submit pressed again after the report was stored (twice, or
/// after a crash before the answer) says which report it was (its buttons
/// taken away); anything else is stale.
async fn stale_summary(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    data: CallbackData,
) -> HandlerResult {
    if let CallbackData::ReportSubmit(tag) = data
        && tag != 0
        && let Some((id, at)) =
            crate::store::reports::submitted_with_tag(&app.pool, ctx.user_id(), tag).await?
    {
        let text = t!(
            ctx.lang,
            "report-already-submitted",
            id = id,
            at = super::render::dmy_hm(at, app.tz)
        );
        // The first press's answer (if it came) stays as it was.
        send::alert(&bot, &q, text).await?;
        send::remove_buttons(&bot, &q).await;
        return Ok(());
    }
    if let CallbackData::JoinConfirm(tag) = data
        && tag != 0
        && join::already_sent(&bot, &app, &ctx, &q, tag).await?
    {
        return Ok(());
    }
    if let CallbackData::MeetingSend(tag) = data
        && tag != 0
        && meetings::sent_again(&bot, &app, &ctx, &q, tag).await?
    {
        return Ok(());
    }
    stale(bot, ctx, q).await
}

/// A button of a dialogue step that is over: said so, and its buttons
/// taken away.
async fn stale(bot: Bot, ctx: Ctx, q: CallbackQuery) -> HandlerResult {
    // A question asked after a button waits for its answer, and the
    // dialogue it paused with it: that dialogue's buttons work again once
    // the question is answered (or cancelled), so they stay.
    if ctx.state.clone().cancelled().is_some() {
        send::alert(&bot, &q, t!(ctx.lang, "dialogue-question-pending")).await?;
        return Ok(());
    }
    // A replayed (or forged) press changes nothing; it is logged (the
    // presser and the button's tag).
    tracing::info!(
        user = ctx.user_id(),
        tag = q
            .data
            .as_deref()
            .and_then(|d| d.split(':').next())
            .unwrap_or_default(),
        "a button no longer active was pressed"
    );
    send::alert(&bot, &q, t!(ctx.lang, "stale-button")).await?;
    // Take the dead buttons away.
    send::remove_buttons(&bot, &q).await;
    Ok(())
}
