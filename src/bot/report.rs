//! The report dialogue: kind → date → description → photos → submit.

use chrono::Duration;
use teloxide::{
    prelude::*,
    types::{CallbackQuery, Message, MessageId},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    decisions, input, keyboards,
    state::{AlbumLeft, ReportDraft, ReportStep, State, new_token},
};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        dates::{DateError, check_report_date_from, format_dmy, parse_report_date_asked},
        membership::{MembershipStatus, TextError},
        report::{MAX_PHOTOS, clean_description},
    },
    store::{
        memberships,
        reports::{self, SubmitOutcome},
    },
    t,
};

fn date_problem(lang: Lang, err: DateError) -> String {
    match err {
        DateError::Format => t!(lang, "error-date-format"),
        DateError::Impossible => t!(lang, "error-date-impossible"),
        DateError::Future => t!(lang, "error-date-future"),
        DateError::TooOld { earliest } => {
            t!(lang, "error-date-too-old", earliest = format_dmy(earliest))
        }
        DateError::AskedOn { asked, today } => t!(
            lang,
            "error-date-asked-another-day",
            asked = format_dmy(asked),
            today = format_dmy(today)
        ),
    }
}

fn description_problem(lang: Lang, err: TextError) -> String {
    match err {
        TextError::Empty => t!(lang, "error-description-empty"),
        TextError::TooLong { max } => t!(
            lang,
            "error-description-too-long",
            max = crate::i18n::count(lang, max)
        ),
        err @ (TextError::NotAName | TextError::NotAWorkplace) => super::input::problem(lang, err),
    }
}

/// `/report`: only approved members may report.
pub async fn start(bot: &Bot, app: &App, ctx: &Ctx, dialogue: &Dialogue) -> HandlerResult {
    let membership = memberships::active_for_user(&app.pool, ctx.user_id()).await?;
    let waiting = membership
        .as_ref()
        .is_some_and(|m| m.status() != MembershipStatus::Approved);
    // Joining, moving to another cell or taking a role right now: a report
    // would end that dialogue (finish it first; it is kept). A join that
    // already waits is said instead.
    if !waiting && ctx.state.unfinished_join().is_some() {
        let text = super::commands::finish_first(ctx.lang, &ctx.state);
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    let membership = match reporting_membership(app, ctx, membership).await? {
        Ok(membership) => membership,
        Err(why) => {
            send::text(bot, ctx.chat, why).await?;
            return Ok(());
        }
    };
    // A report (or another dialogue) half written: kept, not begun anew
    // unasked.
    if super::commands::kept_under_way(bot, ctx, "/report").await? {
        return Ok(());
    }
    let draft = ReportDraft::new(membership.id, membership.cell_id);
    advance(bot, app, ctx, dialogue, ReportStep::Kind, draft, None).await
}

/// The membership a user reports in (their active one, approved), or why
/// they cannot report: their join waits for the secretary, their
/// membership ended, or they never joined.
pub(super) async fn reporting_membership(
    app: &App,
    ctx: &Ctx,
    membership: Option<memberships::Membership>,
) -> anyhow::Result<Result<memberships::Membership, String>> {
    Ok(match membership {
        Some(m) if m.status() == MembershipStatus::Approved => Ok(m),
        Some(m) => Err(t!(
            ctx.lang,
            "report-wait-approval",
            cell = m.cell_name.as_str()
        )),
        None => Err(not_member_text(app, ctx).await?),
    })
}

/// Why someone without an approved membership cannot report: theirs
/// ended (in which cell, when), or they never joined.
pub(super) async fn not_member_text(app: &App, ctx: &Ctx) -> anyhow::Result<String> {
    let lang = ctx.lang;
    let Some(ended) = super::roles::membership_ended(app, ctx.user_id()).await? else {
        return Ok(super::roles::not_joined(lang, ctx.roles));
    };
    Ok(t!(
        lang,
        "end-no-report",
        cell = ended.cell.as_str(),
        date = ended.date.as_str()
    ))
}

/// To one whose membership ended and who holds no other: in which cell
/// and since when (`None` for one who never joined). They did join: "you
/// have not joined a cell yet" misled them.
pub(super) async fn ended_text(app: &App, ctx: &Ctx) -> anyhow::Result<Option<String>> {
    let Some(ended) = super::roles::membership_ended(app, ctx.user_id()).await? else {
        return Ok(None);
    };
    Ok(Some(t!(
        ctx.lang,
        "membership-ended",
        cell = ended.cell.as_str(),
        date = ended.date.as_str()
    )))
}

/// The step after `step`: a resubmission returns to its summary after
/// each change.
fn next_step(step: ReportStep, draft: &ReportDraft) -> ReportStep {
    if draft.previous_id.is_some() {
        return ReportStep::Confirm;
    }
    match step {
        ReportStep::Kind => ReportStep::Date,
        // Asked again at Submit (see `submit`): back to the summary.
        ReportStep::Date if draft.description.is_some() => ReportStep::Confirm,
        ReportStep::Date => ReportStep::Description,
        ReportStep::Description => ReportStep::Photos,
        ReportStep::Photos | ReportStep::Confirm => ReportStep::Confirm,
    }
}

/// "Edit and resubmit" on a rejection notice: the report dialogue opens at
/// the summary, pre-filled from the rejected report.
pub async fn resubmit(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    id: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let report = reports::get(&app.pool, id).await?;
    let Some(report) = report.filter(|r| r.user_id == ctx.user_id()) else {
        tracing::warn!(user = ctx.user_id(), id, "resubmission refused");
        return Ok(send::alert(&bot, &q, t!(lang, "not-allowed")).await?);
    };
    if !reports::may_resubmit(&app.pool, id, ctx.user_id()).await? {
        let ended = match report.resubmitted_as {
            Some(_) => None,
            // Of the report's own membership: one who joined another
            // cell afresh since is told too.
            None => super::roles::report_membership_ended(&app, id).await?,
        };
        let text = match (report.resubmitted_as, ended) {
            (Some(again), _) => t!(lang, "resubmit-already", id = again),
            // The membership ended (not by a move): said, and the notice
            // loses a button that cannot work any more.
            (None, Some(ended)) => {
                send::remove_buttons(&bot, &q).await;
                t!(
                    lang,
                    "resubmit-membership-ended",
                    cell = ended.cell.as_str(),
                    date = ended.date.as_str()
                )
            }
            (None, None) => t!(lang, "resubmit-not-possible"),
        };
        return Ok(send::alert(&bot, &q, text).await?);
    }
    let Some(membership) = memberships::active_for_user(&app.pool, ctx.user_id()).await? else {
        return Ok(send::alert(&bot, &q, t!(lang, "not-joined")).await?);
    };
    send::ack(&bot, &q).await?;
    // Another report (or dialogue) half written: kept; this one can be
    // opened once it is sent or cancelled.
    let button = format!("«{}»", t!(lang, "resubmit-button"));
    if super::commands::kept_under_way(&bot, &ctx, &button).await? {
        return Ok(());
    }
    let (photos, photo_uids) = reports::photos_with_uids(&app.pool, id)
        .await?
        .into_iter()
        .map(|(file, uid)| (file, uid.unwrap_or_default()))
        .unzip();
    let draft = ReportDraft {
        token: new_token(),
        membership_id: membership.id,
        cell_id: membership.cell_id,
        kind_id: Some(report.kind_id),
        date: Some(report.activity_date),
        description: Some(report.description.clone()),
        photos,
        photo_uids,
        media_group: None,
        album_ack: None,
        album_left: Default::default(),
        previous_id: Some(id),
        date_asked: None,
        photos_before: None,
    };
    let intro = t!(
        lang,
        "resubmit-intro",
        id = id,
        reason = report.reject_reason.clone().unwrap_or_default()
    );
    advance(
        &bot,
        &app,
        &ctx,
        &dialogue,
        ReportStep::Confirm,
        draft,
        Some(intro),
    )
    .await
}

/// Asks for the step's input, after `prefix` (an error, usually).
pub async fn ask(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    step: ReportStep,
    draft: &ReportDraft,
    prefix: Option<String>,
) -> HandlerResult {
    let lang = ctx.lang;
    let with_prefix = |text: String| match &prefix {
        Some(p) => format!("{p}\n\n{text}"),
        None => text,
    };
    match step {
        ReportStep::Kind => {
            let kinds = app.kinds().await?;
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(t!(lang, "ask-kind")),
                keyboards::kinds(kinds, lang),
            )
            .await?;
        }
        ReportStep::Date => {
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(t!(lang, "ask-date")),
                keyboards::dates(lang),
            )
            .await?;
        }
        ReportStep::Description => {
            send::text(bot, ctx.chat, with_prefix(t!(lang, "ask-description"))).await?;
        }
        ReportStep::Photos => {
            let before = draft.photos_before.as_ref().map_or(0, |(p, _)| p.len());
            let text = match (draft.photos.len(), before) {
                (0, 0) => t!(lang, "ask-photos"),
                (0, before) => t!(lang, "ask-photos-change", count = before),
                (count, _) => t!(lang, "photos-received", count = count),
            };
            send::with_markup(
                bot,
                ctx.chat,
                with_prefix(text),
                keyboards::photos(lang, !draft.photos.is_empty(), before > 0),
            )
            .await?;
        }
        ReportStep::Confirm => {
            let kind = match draft.kind_id {
                Some(id) => app.kind(id).await?.map(|k| k.name(lang).to_string()),
                None => None,
            };
            let summary = t!(
                lang,
                "report-summary",
                kind = kind.unwrap_or_default(),
                date = draft.date.map(format_dmy).unwrap_or_default(),
                description = draft.description.clone().unwrap_or_default(),
                photos = draft.photos.len()
            );
            let tag = State::Report(ReportStep::Confirm, draft.clone()).step_tag();
            let markup = if draft.previous_id.is_some() {
                keyboards::resubmit_confirm(lang, tag)
            } else {
                keyboards::report_confirm(lang, tag)
            };
            send::with_markup(bot, ctx.chat, with_prefix(summary), markup).await?;
        }
    }
    Ok(())
}

async fn advance(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    step: ReportStep,
    mut draft: ReportDraft,
    prefix: Option<String>,
) -> HandlerResult {
    if step == ReportStep::Date {
        // Today and Yesterday are this day's, whenever the answer comes.
        draft.date_asked = Some(app.today());
    }
    dialogue.update(State::Report(step, draft.clone())).await?;
    ask(bot, app, ctx, step, &draft, prefix).await
}

/// A message while reporting.
pub async fn on_message(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (step, mut draft): (ReportStep, ReportDraft),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    match step {
        ReportStep::Kind | ReportStep::Confirm => {
            ask(
                &bot,
                &app,
                &ctx,
                step,
                &draft,
                Some(t!(lang, "error-expect-button")),
            )
            .await
        }
        // Asked again (after a problem) through `advance`: the question
        // shown anew is today's.
        ReportStep::Date => {
            let Some(text) = msg.text() else {
                let problem = Some(t!(lang, "error-expect-date"));
                return advance(&bot, &app, &ctx, &dialogue, step, draft, problem).await;
            };
            let today = app.today();
            let earliest = app.review.earliest_report_date(today);
            // Typed words count from the day the member wrote them, as
            // Telegram stamped the message (typed at 23:59:50, handled at
            // 00:00:10, "today" is the day before).
            let written = ctx.sent_at.with_timezone(&app.tz).date_naive();
            let asked = draft.date_asked.unwrap_or(written);
            match parse_report_date_asked(text, asked, written, earliest) {
                Ok(date) => {
                    draft.date = Some(date);
                    let next = next_step(step, &draft);
                    advance(&bot, &app, &ctx, &dialogue, next, draft, None).await
                }
                Err(err) => {
                    let problem = Some(date_problem(lang, err));
                    advance(&bot, &app, &ctx, &dialogue, step, draft, problem).await
                }
            }
        }
        // A photo sent with its description as the caption (or before
        // it): the photo is kept, the caption taken as the description.
        ReportStep::Description if msg.photo().is_some() => {
            let group = msg.media_group_id().map(|g| g.0.clone());
            let same_album = group.is_some() && group == draft.media_group;
            if !same_album {
                draft.album_ack = None;
                draft.album_left = AlbumLeft::default();
            }
            let kept = keep_photo(&mut draft, &msg);
            let left_before = draft.album_left;
            // Photos over ten (two albums sent at once, ten and more): said
            // in the album's answer, not dropped without a word.
            if kept == Err(NotKept::Full) {
                draft.album_left.over += 1;
            }
            // A link behind the caption's words keeps its address, as in a
            // typed description.
            match super::input::caption_with_links(&msg)
                .as_deref()
                .map(clean_description)
            {
                Some(Ok(text)) => {
                    draft.description = Some(text);
                    // On to the photos: acknowledged as that step does, the
                    // album's further photos counted in the same message;
                    // its Done leads to the summary. (A resubmission too:
                    // its summary shown at once, the Done under this
                    // acknowledgement was stale and the album's further
                    // photos were refused at the summary.)
                    let next = ReportStep::Photos;
                    draft.media_group = group.clone();
                    dialogue.update(State::Report(next, draft.clone())).await?;
                    let received = photos_told(lang, &draft);
                    let markup = keyboards::photos(lang, true, false);
                    let sent = send::with_markup(&bot, ctx.chat, received, markup).await?;
                    if group.is_some() {
                        draft.album_ack = Some(sent.id.0);
                        dialogue.update(State::Report(next, draft)).await?;
                    }
                    Ok(())
                }
                caption => {
                    draft.media_group = group.clone();
                    dialogue.update(State::Report(step, draft.clone())).await?;
                    let kept_ask = |draft: &ReportDraft| {
                        let mut parts = left_told(lang, draft.album_left);
                        parts.push(t!(
                            lang,
                            "photo-kept-ask-description",
                            count = draft.photos.len()
                        ));
                        parts.push(t!(lang, "ask-description"));
                        parts.join("\n\n")
                    };
                    let why = match (caption, kept) {
                        (Some(Err(err)), _) => description_problem(lang, err),
                        // A further photo of an album answered already: the
                        // answer's count follows the album's photos.
                        (_, kept) if same_album => {
                            let changed = kept.is_ok() || draft.album_left != left_before;
                            if let (true, Some(ack)) = (changed, draft.album_ack) {
                                send::settle(&bot, ctx.chat, MessageId(ack), kept_ask(&draft))
                                    .await;
                            }
                            return Ok(());
                        }
                        (_, Err(NotKept::Again)) => t!(lang, "photo-already-in-report"),
                        (_, _) => {
                            let sent = send::text(&bot, ctx.chat, kept_ask(&draft)).await?;
                            if group.is_some() {
                                draft.album_ack = Some(sent.id.0);
                                dialogue.update(State::Report(step, draft)).await?;
                            }
                            return Ok(());
                        }
                    };
                    ask(&bot, &app, &ctx, step, &draft, Some(why)).await
                }
            }
        }
        // A picture sent "as a file" (or a video) with the description as
        // its caption: the caption is the description, as a photo's is;
        // the file is not kept (a report keeps photos), and the member is
        // told so. It was answered "Please send text.", the text typed in
        // the caption lost.
        ReportStep::Description if msg.text().is_none() && msg.caption().is_some() => {
            match super::input::caption_with_links(&msg)
                .as_deref()
                .map(clean_description)
            {
                Some(Ok(text)) => {
                    draft.description = Some(text);
                    draft.media_group = None;
                    draft.album_ack = None;
                    let next = next_step(step, &draft);
                    let note = Some(t!(lang, "file-not-kept-caption-taken"));
                    advance(&bot, &app, &ctx, &dialogue, next, draft, note).await
                }
                Some(Err(err)) => {
                    let why = Some(description_problem(lang, err));
                    ask(&bot, &app, &ctx, step, &draft, why).await
                }
                None => {
                    let why = Some(t!(lang, "error-expect-text"));
                    ask(&bot, &app, &ctx, step, &draft, why).await
                }
            }
        }
        ReportStep::Description => {
            match input::text_explained(lang, &msg, clean_description, description_problem) {
                Ok(text) => {
                    draft.description = Some(text);
                    // An album sent before it was answered here: the next
                    // photos are another message's.
                    draft.media_group = None;
                    draft.album_ack = None;
                    let next = next_step(step, &draft);
                    advance(&bot, &app, &ctx, &dialogue, next, draft, None).await
                }
                // A video or a file (or an album of them, answered once)
                // without a caption: said not kept, not only "send text".
                Err(_) if is_file(&msg) => {
                    let why = t!(lang, "file-not-kept-ask-description");
                    ask(&bot, &app, &ctx, step, &draft, Some(why)).await
                }
                Err(why) => ask(&bot, &app, &ctx, step, &draft, Some(why)).await,
            }
        }
        ReportStep::Photos => {
            let group = msg.media_group_id().map(|g| g.0.clone());
            let is_photo = msg.photo().is_some_and(|sizes| !sizes.is_empty());
            if !is_photo && group.is_none() {
                // A text here (the description's second half, or a
                // correction) is not taken: said so, and how to change the
                // description, not only "send a photo (not as a file)".
                let why = if msg.text().is_some() && draft.previous_id.is_none() {
                    t!(lang, "photos-text-not-kept")
                } else {
                    t!(lang, "error-expect-photo")
                };
                return ask(&bot, &app, &ctx, step, &draft, Some(why)).await;
            }
            // An album arrives as one message per item: acknowledged once,
            // the message following the album's photos, and saying what of
            // it was not kept (photos over ten, videos or files, a
            // caption): the rest of an album over ten was dropped without a
            // word, and a video beside photos got an answer of its own.
            let same_album = group.is_some() && group == draft.media_group;
            if !same_album {
                draft.album_ack = None;
                draft.album_left = AlbumLeft::default();
            }
            let kept = keep_photo(&mut draft, &msg);
            let left_before = draft.album_left;
            match kept {
                Err(NotKept::NoPhoto) => draft.album_left.not_photos += 1,
                Err(NotKept::Full) => draft.album_left.over += 1,
                Ok(()) | Err(NotKept::Again) => {}
            }
            if is_photo && has_caption(&msg) {
                draft.album_left.caption = true;
            }
            draft.media_group = group.clone();
            dialogue.update(State::Report(step, draft.clone())).await?;
            let told = photos_told(lang, &draft);
            let before = draft.photos_before.is_some();
            let markup = keyboards::photos(lang, !draft.photos.is_empty(), before);
            match (same_album, draft.album_ack) {
                (true, Some(ack)) => {
                    if kept.is_ok() || draft.album_left != left_before {
                        send::edit_with(&bot, ctx.chat, MessageId(ack), told, markup).await;
                    }
                }
                (true, None) => {}
                (false, _) => {
                    // The same picture sent again: not counted twice, and
                    // said so.
                    let told = if kept == Err(NotKept::Again) {
                        let again = t!(lang, "photo-already-in-report");
                        format!("{again}\n\n{told}")
                    } else {
                        told
                    };
                    let sent = send::with_markup(&bot, ctx.chat, told, markup).await?;
                    if group.is_some() {
                        draft.album_ack = Some(sent.id.0);
                        dialogue.update(State::Report(step, draft)).await?;
                    }
                }
            }
            Ok(())
        }
    }
}

/// Whether the message has a caption someone could read.
fn has_caption(msg: &Message) -> bool {
    msg.caption()
        .is_some_and(|c| !crate::domain::text::visible(c).trim().is_empty())
}

/// Whether a message is a video, an animation or a file (a picture sent
/// "as a file" among them): what a report does not keep.
fn is_file(msg: &Message) -> bool {
    msg.video().is_some() || msg.document().is_some() || msg.animation().is_some()
}

/// What the photos step says of the photos (and the album) received: what
/// was not kept, then how many are kept and what to do next.
fn photos_told(lang: Lang, draft: &ReportDraft) -> String {
    let left = draft.album_left;
    let count = draft.photos.len();
    let mut parts = left_told(lang, left);
    if left.caption {
        parts.push(t!(lang, "photo-caption-not-kept"));
    }
    parts.push(if count == 0 && left.not_photos > 0 {
        t!(lang, "error-expect-photo")
    } else if count == 0 {
        t!(lang, "ask-photos")
    } else if count >= MAX_PHOTOS && left.over > 0 {
        t!(lang, "photos-received-full", count = count)
    } else {
        t!(lang, "photos-received", count = count)
    });
    parts.join("\n\n")
}

/// What of an album was not kept: photos over the limit, items that are no
/// photos.
fn left_told(lang: Lang, left: AlbumLeft) -> Vec<String> {
    let mut parts = Vec::new();
    if left.over > 0 {
        parts.push(t!(
            lang,
            "photos-over-not-kept",
            count = left.over,
            max = MAX_PHOTOS
        ));
    }
    if left.not_photos > 0 {
        parts.push(t!(
            lang,
            "album-not-photos-not-kept",
            count = left.not_photos
        ));
    }
    parts
}

/// Why a photo was not added to a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotKept {
    /// The message has no photo.
    NoPhoto,
    /// The draft has this picture already: the same message's photo again,
    /// or the same picture sent again (forwarded, or chosen again in the
    /// gallery to send it with a caption), which Telegram gives the bot
    /// under another `file_id` with the same `file_unique_id`.
    Again,
    /// The draft has [`MAX_PHOTOS`] photos.
    Full,
}

/// Adds the message's photo (its largest size) to the draft, once and up
/// to [`MAX_PHOTOS`].
fn keep_photo(draft: &mut ReportDraft, msg: &Message) -> Result<(), NotKept> {
    let Some(largest) = msg
        .photo()
        .and_then(|sizes| sizes.iter().max_by_key(|s| s.width * s.height))
    else {
        return Err(NotKept::NoPhoto);
    };
    let file_id = largest.file.id.0.clone();
    let uid = largest.file.unique_id.0.clone();
    if draft.photos.contains(&file_id) || (!uid.is_empty() && draft.photo_uids.contains(&uid)) {
        return Err(NotKept::Again);
    }
    if draft.photos.len() >= MAX_PHOTOS {
        return Err(NotKept::Full);
    }
    // Kept in step with the photos (older drafts have none).
    draft.photo_uids.resize(draft.photos.len(), String::new());
    draft.photos.push(file_id);
    draft.photo_uids.push(uid);
    Ok(())
}

/// A dialogue button while reporting. Returns false for a stale button.
pub async fn on_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (step, mut draft): (ReportStep, ReportDraft),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    let pressed = send::pressed_message(q);
    match (step, data) {
        (ReportStep::Kind, CallbackData::Kind(id)) => {
            let Some(kind) = app.kind(id).await? else {
                return Ok(false);
            };
            let chosen = t!(lang, "kind-chosen", kind = kind.name(lang));
            draft.kind_id = Some(kind.id);
            let next = next_step(step, &draft);
            let ((), advanced) = tokio::join!(
                answer(bot, q, chosen),
                advance(bot, app, ctx, dialogue, next, draft, None)
            );
            advanced?;
        }
        (ReportStep::Date, CallbackData::DateToday | CallbackData::DateYesterday) => {
            // Pressed on a question of another day (seen at 23:58 and
            // pressed after midnight, or left open for days): which day is
            // meant cannot be told, so the question is asked anew; else
            // checked as a typed date is.
            let today = app.today();
            let date = if data == CallbackData::DateToday {
                today
            } else {
                today - Duration::days(1)
            };
            let earliest = app.review.earliest_report_date(today);
            let checked = match draft.date_asked {
                Some(asked) if asked != today => Err(DateError::AskedOn { asked, today }),
                _ => check_report_date_from(date, today, earliest),
            };
            let date = match checked {
                Ok(date) => date,
                Err(err) => {
                    send::ack(bot, q).await?;
                    send::remove_buttons(bot, q).await;
                    let problem = Some(date_problem(lang, err));
                    advance(bot, app, ctx, dialogue, step, draft, problem).await?;
                    return Ok(true);
                }
            };
            let chosen = t!(lang, "date-chosen", date = format_dmy(date));
            draft.date = Some(date);
            let next = next_step(step, &draft);
            let ((), advanced) = tokio::join!(
                answer(bot, q, chosen),
                advance(bot, app, ctx, dialogue, next, draft, None)
            );
            advanced?;
        }
        (ReportStep::Photos, CallbackData::PhotosDone) => {
            // Skipped: no "0 photos received… press Done". Skipped at a
            // resubmission's Change photos: the report keeps its photos.
            let before = draft.photos_before.take();
            let settled = match before {
                Some((photos, uids)) if draft.photos.is_empty() => {
                    draft.photos = photos;
                    draft.photo_uids = uids;
                    t!(lang, "photos-kept", count = draft.photos.len())
                }
                _ if draft.photos.is_empty() => t!(lang, "year-photos-skipped"),
                _ => t!(lang, "photos-received", count = draft.photos.len()),
            };
            draft.media_group = None;
            let ((), advanced) = tokio::join!(
                answer(bot, q, settled),
                advance(bot, app, ctx, dialogue, ReportStep::Confirm, draft, None)
            );
            advanced?;
        }
        (ReportStep::Photos, CallbackData::PhotosRemove) if draft.photos_before.is_some() => {
            // Change photos, then Remove photos: none sent with the report.
            draft.photos_before = None;
            draft.photos.clear();
            draft.photo_uids.clear();
            draft.media_group = None;
            let settled = t!(lang, "photos-removed");
            let ((), advanced) = tokio::join!(
                answer(bot, q, settled),
                advance(bot, app, ctx, dialogue, ReportStep::Confirm, draft, None)
            );
            advanced?;
        }
        (ReportStep::Confirm, CallbackData::ReportCancel(_)) => {
            send::ack(bot, q).await?;
            dialogue.exit().await?;
            if let Some((chat, message)) = pressed {
                send::settle(bot, chat, message, t!(lang, "report-cancelled")).await;
            }
        }
        (
            ReportStep::Confirm,
            CallbackData::EditKind
            | CallbackData::EditDate
            | CallbackData::EditText
            | CallbackData::EditPhotos,
        ) if draft.previous_id.is_some() => {
            send::ack(bot, q).await?;
            send::remove_buttons(bot, q).await;
            let step = match data {
                CallbackData::EditKind => ReportStep::Kind,
                CallbackData::EditDate => ReportStep::Date,
                CallbackData::EditText => ReportStep::Description,
                _ => {
                    // New photos replace the old ones; Skip keeps them.
                    let photos = std::mem::take(&mut draft.photos);
                    let uids = std::mem::take(&mut draft.photo_uids);
                    draft.photos_before = (!photos.is_empty()).then_some((photos, uids));
                    draft.media_group = None;
                    ReportStep::Photos
                }
            };
            advance(bot, app, ctx, dialogue, step, draft, None).await?;
        }
        (ReportStep::Confirm, CallbackData::ReportSubmit(_)) => {
            let (_, submitted) =
                tokio::join!(send::ack(bot, q), submit(bot, app, ctx, dialogue, q, draft));
            submitted?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Answers the press and shows on the pressed prompt what was chosen (its
/// buttons gone), both at once: the next question does not wait for them.
async fn answer(bot: &Bot, q: &CallbackQuery, chosen: String) {
    let _ = tokio::join!(send::ack(bot, q), send::settle_pressed(bot, q, chosen));
}

async fn submit(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    draft: ReportDraft,
) -> HandlerResult {
    let lang = ctx.lang;
    let (Some(kind_id), Some(date), Some(description)) =
        (draft.kind_id, draft.date, draft.description.as_deref())
    else {
        return advance(
            bot,
            app,
            ctx,
            dialogue,
            ReportStep::Kind,
            draft.clone(),
            None,
        )
        .await;
    };
    // The date is checked again: a draft (or a rejected report sent back)
    // kept for long may now lie outside the last 12 months.
    let today = app.today();
    if let Err(err) = check_report_date_from(date, today, app.review.earliest_report_date(today)) {
        send::remove_buttons(bot, q).await;
        let problem = Some(date_problem(lang, err));
        return advance(bot, app, ctx, dialogue, ReportStep::Date, draft, problem).await;
    }
    let (mut membership_id, mut cell_id) = (draft.membership_id, draft.cell_id);
    let submitted = loop {
        let outcome = reports::submit(
            &app.pool,
            reports::NewReport {
                token: &draft.token,
                membership_id,
                user_id: ctx.user_id(),
                cell_id,
                kind_id,
                activity_date: date,
                description,
                photos: &draft.photos,
                photo_uids: &draft.photo_uids,
                previous_id: draft.previous_id,
                submit_tag: ctx.state.step_tag(),
            },
            app.now(),
            decisions::report_card_notices,
        )
        .await?;
        // The member's move was approved while they wrote: the report goes
        // to the cell they are a member of now.
        if let SubmitOutcome::Moved {
            membership_id: now_in,
            cell_id: its_cell,
        } = outcome
        {
            (membership_id, cell_id) = (now_in, its_cell);
            continue;
        }
        break outcome;
    };
    // The dialogue ended in the submission's transaction.
    let submitted = match submitted {
        SubmitOutcome::Stored(submitted) => submitted,
        // (A move is followed above.)
        SubmitOutcome::NotMember | SubmitOutcome::Moved { .. } => {
            // The membership ended while the dialogue was open.
            let text = not_member_text(app, ctx).await?;
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
        SubmitOutcome::NotResubmittable => {
            // The rejected report was resubmitted meanwhile (another draft).
            send::remove_buttons(bot, q).await;
            send::text(bot, ctx.chat, t!(lang, "resubmit-not-possible")).await?;
            return Ok(());
        }
        SubmitOutcome::AlreadyRecorded { id } => {
            send::remove_buttons(bot, q).await;
            let text = t!(
                lang,
                "report-already-recorded",
                date = format_dmy(date),
                id = id
            );
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
    };
    app.wake_sender();
    let id = submitted.id;
    let reply = match (submitted.own, submitted.secretary_told) {
        // Nobody decides their own report: it went to the deputy or the
        // ward's supervisors.
        (true, true) => t!(lang, "role-own-report-sent", id = id),
        (true, false) => t!(lang, "role-own-report-waits", id = id),
        (false, true) => t!(lang, "report-submitted", id = id),
        (false, false) => t!(lang, "report-submitted-no-secretary", id = id),
    };
    if send::pressed_message(q).is_some() {
        send::close_pressed(bot, q, &reply).await;
    } else {
        send::text(bot, ctx.chat, reply).await?;
    }
    Ok(())
}
