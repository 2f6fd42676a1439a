//! Introductions: in /status an officer presses Introduce by a person of
//! the roster who is not registered with a residence cell and gets a
//! personal link (`store::introductions`). The person opens it, chooses
//! their ward and residence cell (buttons; typing part of a name filters,
//! accents ignored) and goes on with the join dialogue, the workplace
//! filled in. The secretary's card says who introduced them; the officer
//! is told the decision (`decisions::introducer_notices`).

use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, Me, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    join,
    keyboards::button,
    render,
    roles::refuse_officer_press,
    state::{JoinDraft, JoinStep, State, come_back, new_token},
};
use crate::{
    domain::{
        Lang, collation::vietnamese, membership::WorkplaceChoice, membership::name_fold,
        schedule::Period,
    },
    store::{
        cells,
        committee::OfficerItem,
        introductions::{self, CreateOutcome, Introduction, OpenOutcome, RevokeOutcome},
        memberships, wards,
    },
    t,
    telegram::{callback_data::CallbackData, send},
};

/// Wards or cells shown as buttons at once, at most.
const CHOICES: usize = 10;

/// Introduce (an officer, in /status): the person's link, as a new message.
pub async fn on_introduce(
    bot: Bot,
    app: App,
    ctx: Ctx,
    me: Me,
    q: CallbackQuery,
    entry: i64,
) -> HandlerResult {
    let lang = ctx.lang;
    let intro = match introductions::create(&app.pool, entry, ctx.user_id(), app.now()).await? {
        CreateOutcome::Created(intro) | CreateOutcome::Existing(intro) => intro,
        CreateOutcome::NotAllowed => {
            let item = (OfficerItem::RosterEntry, entry);
            return refuse_officer_press(&bot, &app, &ctx, &q, item).await;
        }
        CreateOutcome::Gone => {
            return Ok(send::alert(&bot, &q, t!(lang, "introduce-entry-gone")).await?);
        }
        CreateOutcome::Registered => {
            return Ok(send::alert(&bot, &q, t!(lang, "introduce-entry-registered")).await?);
        }
    };
    send::ack(&bot, &q).await?;
    let username = me.user.username.clone().unwrap_or_default();
    let name = link_name(&app, lang, &intro).await?;
    let text = t!(
        lang,
        "introduce-link",
        name = name.as_str(),
        workplace = intro.workplace_name.as_str(),
        link = format!("https://t.me/{username}?start={}", intro.code),
        until = render::dmy_hm(intro.expires_at, app.tz)
    );
    let withdraw = InlineKeyboardMarkup::new([[button(
        t!(lang, "introduce-button-revoke"),
        CallbackData::IntroRevoke(intro.id),
    )]]);
    send::with_markup(&bot, ctx.chat, text, withdraw).await?;
    Ok(())
}

/// The person a link is for, as the officer's message names them: with
/// their phone where the roster holds a namesake, or two links would read
/// the same.
async fn link_name(app: &App, lang: Lang, intro: &Introduction) -> anyhow::Result<String> {
    let namesakes =
        crate::store::roster::count_named(&app.pool, intro.workplace_id, &intro.name_key).await?;
    let name = intro.full_name.as_str();
    Ok(match intro.phone.as_deref() {
        Some(phone) if namesakes > 1 => {
            t!(lang, "roster-namesake-phone", name = name, phone = phone)
        }
        _ => name.to_string(),
    })
}

/// Withdraw (under a link an officer was given): the link can no longer be
/// opened or lead to a join request; the message says so. Whether the
/// presser is an officer of the link's workplace is checked in the store.
pub async fn on_revoke(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery, id: i64) -> HandlerResult {
    let lang = ctx.lang;
    let intro = match introductions::revoke(&app.pool, id, ctx.user_id(), app.now()).await? {
        RevokeOutcome::Revoked(intro) => {
            tracing::info!(
                user = ctx.user_id(),
                introduction = id,
                "introduction withdrawn"
            );
            send::toast(&bot, &q, t!(lang, "introduce-revoke-done")).await?;
            intro
        }
        RevokeOutcome::Already(intro) => {
            send::toast(&bot, &q, t!(lang, "introduce-revoke-already")).await?;
            intro
        }
        RevokeOutcome::Used => {
            return Ok(send::alert(&bot, &q, t!(lang, "introduce-revoke-used")).await?);
        }
        // The officer's message of a link made after the backup the bot
        // was restored from (carrying this very button, naming an id once
        // given out): said so, and its buttons go.
        RevokeOutcome::Gone
            if send::carries_pressed(&q) && introductions::ever_given(&app.pool, id).await? =>
        {
            tracing::info!(
                user = ctx.user_id(),
                introduction = id,
                "button of an introduction link gone"
            );
            send::alert(&bot, &q, t!(lang, "introduce-gone")).await?;
            send::remove_buttons(&bot, &q).await;
            return Ok(());
        }
        RevokeOutcome::NotAllowed | RevokeOutcome::Gone => {
            let item = (OfficerItem::Introduction, id);
            return refuse_officer_press(&bot, &app, &ctx, &q, item).await;
        }
    };
    let at = intro.revoked_at.unwrap_or_else(|| app.now());
    send::settle_pressed(
        &bot,
        &q,
        t!(
            lang,
            "introduce-link-revoked",
            name = intro.full_name.as_str(),
            workplace = intro.workplace_name.as_str(),
            at = render::dmy_hm(at, app.tz)
        ),
    )
    .await;
    Ok(())
}

/// `/start in_…`: the link opened.
pub async fn on_link(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    code: &str,
) -> HandlerResult {
    let lang = ctx.lang;
    // Already in a cell (or asking to be): the link is not for them.
    if let Some(m) = memberships::active_for_user(&app.pool, ctx.user_id()).await? {
        let cell = m.cell_name.as_str();
        let text = match m.status() {
            crate::domain::membership::MembershipStatus::Approved => {
                t!(lang, "join-already-member", cell = cell)
            }
            _ => t!(lang, "join-already-pending", cell = cell),
        };
        send::text(bot, ctx.chat, text).await?;
        return Ok(());
    }
    let intro = match introductions::open(&app.pool, code, ctx.user_id(), app.now()).await? {
        OpenOutcome::Open(intro) => intro,
        refused => {
            let text = match refused {
                OpenOutcome::Expired => t!(lang, "introduce-expired"),
                OpenOutcome::Used => t!(lang, "introduce-used"),
                OpenOutcome::Registered => t!(lang, "introduce-registered"),
                OpenOutcome::Revoked => t!(lang, "introduce-revoked"),
                _ => t!(lang, "introduce-unknown"),
            };
            send::text(bot, ctx.chat, text).await?;
            return Ok(());
        }
    };
    tracing::info!(
        user = ctx.user_id(),
        introduction = intro.id,
        "introduction opened"
    );
    // A dialogue under way (a secretary who is no member writing an
    // announcement) is kept for after the join; another join is replaced.
    let resume = ctx.state.clone().interrupted_for(|s| {
        matches!(
            s,
            State::Join(..) | State::IntroWard { .. } | State::IntroCell { .. }
        )
    });
    dialogue
        .update(State::IntroWard {
            introduction_id: intro.id,
            resume,
        })
        .await?;
    let welcome = t!(
        lang,
        "introduce-welcome",
        name = intro.full_name.as_str(),
        workplace = intro.workplace_name.as_str()
    );
    let (question, markup) = ward_question(app, lang, None).await?;
    send_choice(bot, ctx, format!("{welcome}\n\n{question}"), markup).await
}

async fn send_choice(
    bot: &Bot,
    ctx: &Ctx,
    text: String,
    markup: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    match markup {
        Some(markup) => send::with_markup(bot, ctx.chat, text, markup).await?,
        None => send::text(bot, ctx.chat, text).await?,
    };
    Ok(())
}

/// The items whose folded name holds the typed words in that order (all
/// without typing), the first `CHOICES` of them, and how many matched.
fn choose(items: Vec<(i64, String)>, typed: Option<&str>) -> (Vec<(i64, String)>, usize) {
    let words: Vec<String> = typed
        .map(|t| {
            name_fold(t)
                .split_whitespace()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let matching: Vec<(i64, String)> = items
        .into_iter()
        .filter(|(_, name)| {
            let folded = name_fold(name);
            let mut rest = folded.as_str();
            words.iter().all(|w| match rest.find(w.as_str()) {
                Some(at) => {
                    rest = &rest[at + w.len()..];
                    true
                }
                None => false,
            })
        })
        .collect();
    let total = matching.len();
    (matching.into_iter().take(CHOICES).collect(), total)
}

/// The question and the buttons of a choice among `items`, after typing
/// `typed` (or not).
fn choice(
    lang: Lang,
    question: String,
    items: Vec<(i64, String)>,
    typed: Option<&str>,
    data: fn(i64) -> CallbackData,
) -> (String, Option<InlineKeyboardMarkup>) {
    let (mut shown, total) = choose(items.clone(), typed);
    let mut text = question;
    if total == 0 {
        // Echoed cut short: a long text pasted here would push the
        // question out of the message.
        let typed = render::excerpt(typed.unwrap_or_default(), 40);
        text = format!(
            "{}\n{text}",
            t!(lang, "introduce-search-none", typed = typed.as_str())
        );
        // The list as first shown, to choose from as that answer says.
        shown = choose(items, None).0;
    } else if total > shown.len() {
        let count = shown.len();
        text = format!(
            "{text}\n{}",
            t!(lang, "introduce-search-more", count = total, shown = count)
        );
    }
    if shown.is_empty() {
        return (text, None);
    }
    let rows = shown
        .into_iter()
        .map(|(id, name)| vec![button(name, data(id))]);
    (text, Some(InlineKeyboardMarkup::new(rows)))
}

async fn ward_question(
    app: &App,
    lang: Lang,
    typed: Option<&str>,
) -> anyhow::Result<(String, Option<InlineKeyboardMarkup>)> {
    let mut wards: Vec<(i64, String)> = wards::all(&app.pool)
        .await?
        .into_iter()
        .map(|w| (w.id, w.name))
        .collect();
    if wards.is_empty() {
        return Ok((t!(lang, "introduce-no-wards"), None));
    }
    wards.sort_by(|a, b| vietnamese(&a.1, &b.1).then(a.0.cmp(&b.0)));
    let question = t!(lang, "introduce-ask-ward");
    Ok(choice(
        lang,
        question,
        wards,
        typed,
        CallbackData::IntroWard,
    ))
}

async fn cell_question(
    app: &App,
    lang: Lang,
    ward: &wards::Ward,
    typed: Option<&str>,
) -> anyhow::Result<(String, Option<InlineKeyboardMarkup>)> {
    let cells: Vec<(i64, String)> = cells::in_ward(&app.pool, ward.id)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let question = t!(lang, "introduce-ask-cell", ward = ward.name.as_str());
    let (text, markup) = choice(lang, question, cells, typed, CallbackData::IntroCell);
    // Another ward: always offered while choosing the cell.
    let back = vec![button(
        t!(lang, "introduce-button-other-ward"),
        CallbackData::IntroBack,
    )];
    let mut rows = markup.map(|m| m.inline_keyboard).unwrap_or_default();
    rows.push(back);
    Ok((text, Some(InlineKeyboardMarkup::new(rows))))
}

/// A message while choosing the ward: part of its name.
pub async fn on_ward_text(bot: Bot, app: App, ctx: Ctx, msg: Message) -> HandlerResult {
    let typed = msg.text().unwrap_or_default();
    let typed = typed.chars().any(char::is_alphanumeric).then_some(typed);
    let (text, markup) = ward_question(&app, ctx.lang, typed).await?;
    send_choice(&bot, &ctx, text, markup).await
}

/// A message while choosing the cell: part of its name.
pub async fn on_cell_text(
    bot: Bot,
    app: App,
    ctx: Ctx,
    (_, ward_id, _): (i64, i64, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let typed = msg.text().unwrap_or_default();
    let typed = typed.chars().any(char::is_alphanumeric).then_some(typed);
    let Some(ward) = wards::get(&app.pool, ward_id).await? else {
        return on_ward_text(bot, app, ctx, msg).await;
    };
    let (text, markup) = cell_question(&app, ctx.lang, &ward, typed).await?;
    send_choice(&bot, &ctx, text, markup).await
}

/// A ward or cell button, while choosing. Returns false for a button that
/// does not belong to the step (stale).
pub async fn on_callback(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    dialogue: &Dialogue,
    q: &CallbackQuery,
    data: CallbackData,
    (introduction_id, ward_id, resume): (i64, Option<i64>, Option<Box<State>>),
) -> anyhow::Result<bool> {
    let lang = ctx.lang;
    match data {
        // A ward: at the ward step, or again from the cell step.
        CallbackData::IntroWard(id) => {
            let Some(ward) = wards::get(&app.pool, id).await? else {
                return Ok(false);
            };
            send::ack(bot, q).await?;
            if cells::in_ward(&app.pool, ward.id).await?.is_empty() {
                // ward administrators: told once per introduction and ward.
                if let Some(intro) = introductions::get(&app.pool, introduction_id).await? {
                    let told = introductions::tell_ward_without_cells(
                        &app.pool,
                        intro.id,
                        ward.id,
                        |to| {
                            t!(
                                to,
                                "ward-no-cells-notice",
                                name = intro.full_name.as_str(),
                                workplace = intro.workplace_name.as_str(),
                                ward = ward.name.as_str()
                            )
                        },
                        app.now(),
                    )
                    .await?;
                    if told > 0 {
                        tracing::info!(
                            introduction = intro.id,
                            ward = ward.id,
                            told,
                            "ward without cells told"
                        );
                    }
                }
                let none = t!(lang, "introduce-ward-no-cells", ward = ward.name.as_str());
                let (question, markup) = ward_question(app, lang, None).await?;
                dialogue
                    .update(State::IntroWard {
                        introduction_id,
                        resume,
                    })
                    .await?;
                return send_choice(bot, ctx, format!("{none}\n\n{question}"), markup)
                    .await
                    .map(|()| true);
            }
            send::settle_pressed(
                bot,
                q,
                t!(lang, "introduce-ward-chosen", ward = ward.name.as_str()),
            )
            .await;
            dialogue
                .update(State::IntroCell {
                    introduction_id,
                    ward_id: ward.id,
                    resume,
                })
                .await?;
            let (question, markup) = cell_question(app, lang, &ward, None).await?;
            send_choice(bot, ctx, question, markup).await?;
        }
        // Back to the wards, from the cell step only.
        CallbackData::IntroBack => {
            if ward_id.is_none() {
                return Ok(false);
            }
            send::ack(bot, q).await?;
            send::remove_buttons(bot, q).await;
            dialogue
                .update(State::IntroWard {
                    introduction_id,
                    resume,
                })
                .await?;
            let (question, markup) = ward_question(app, lang, None).await?;
            send_choice(bot, ctx, question, markup).await?;
        }
        CallbackData::IntroCell(id) => {
            let cell = cells::get(&app.pool, id).await?;
            let (Some(cell), Some(ward)) = (cell, ward_id) else {
                return Ok(false);
            };
            if cell.ward_id != ward {
                return Ok(false);
            }
            let Some(intro) = introductions::get(&app.pool, introduction_id).await? else {
                come_back(dialogue, resume).await?;
                return Ok(false);
            };
            send::ack(bot, q).await?;
            send::settle_pressed(
                bot,
                q,
                t!(lang, "introduce-cell-chosen", cell = cell.name.as_str()),
            )
            .await;
            let draft = JoinDraft {
                resume,
                ..draft(app, &intro, cell.id)
            };
            let welcome = t!(lang, "join-welcome", cell = cell.name.as_str());
            join::advance(
                bot,
                app,
                ctx,
                dialogue,
                JoinStep::Name,
                draft,
                Some(welcome),
            )
            .await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The join dialogue's draft for the person introduced, in `cell_id`: the
/// workplace is the introducing one, introduced this month.
fn draft(app: &App, intro: &Introduction, cell_id: i64) -> JoinDraft {
    JoinDraft {
        token: new_token(),
        cell_id,
        invite_id: None,
        opened_at: None,
        full_name: None,
        phone: None,
        workplace: Some(WorkplaceChoice::Registered {
            id: intro.workplace_id,
            name: intro.workplace_name.clone(),
        }),
        page: 0,
        moved_from: None,
        introduced: Some(Period::of(app.today()).first_day()),
        introduction_id: Some(intro.id),
        resume: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<(i64, String)> {
        vec![
            (1, "Phường Hưng Dũng".into()),
            (2, "Phường Bến Thủy".into()),
            (3, "Xã Hưng Đông".into()),
        ]
    }

    #[test]
    fn typing_filters_without_accents_words_in_order() {
        let ids = |typed| -> Vec<i64> {
            choose(items(), typed)
                .0
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(ids(None), vec![1, 2, 3]);
        assert_eq!(ids(Some("hung")), vec![1, 3]);
        assert_eq!(ids(Some("HƯNG  dung")), vec![1]);
        assert_eq!(ids(Some("dong hung")), Vec::<i64>::new());
        assert_eq!(ids(Some("xa dong")), vec![3]);
        assert_eq!(ids(Some("ben thuy")), vec![2]);
    }

    #[test]
    fn at_most_ten_are_shown_with_the_count() {
        let many: Vec<(i64, String)> = (0..25).map(|i| (i, format!("Chi bộ {i}"))).collect();
        let (shown, total) = choose(many, Some("chi bo"));
        assert_eq!((shown.len(), total), (CHOICES, 25));
    }
}
