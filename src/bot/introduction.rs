//! The month a member was introduced to the cell: the texts of the join
//! step that asks for it, and the secretary's correction (a button on the
//! member's sheet, and for the member's card: [`correction_button`]).

use teloxide::{
    prelude::*,
    types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message},
};

use super::{
    App, Dialogue, HandlerResult,
    context::Ctx,
    input,
    keyboards::button,
    state::{State, come_back, coming_back, with_resumed},
};
use crate::telegram::callback_data::CallbackData;
use crate::telegram::send;
use crate::{
    domain::{
        Lang,
        membership::TextError,
        review_year::{INTRO_MAX_YEARS_BACK, IntroProblem, parse_intro_month},
        schedule::Period,
    },
    store::memberships,
    t,
};

/// An example of the `MM/YYYY` input: the current month.
pub fn example(app: &App) -> String {
    Period::of(app.today()).display()
}

/// The month introduced, `mm/yyyy`, or "not recorded".
fn month_text(lang: Lang, introduced_on: Option<chrono::NaiveDate>) -> String {
    introduced_on
        .map(|d| Period::of(d).display())
        .unwrap_or_else(|| t!(lang, "intro-unknown"))
}

/// "Month introduced to the cell: mm/yyyy" (or "not recorded").
pub fn line(lang: Lang, introduced_on: Option<chrono::NaiveDate>) -> String {
    t!(lang, "intro-line", month = month_text(lang, introduced_on))
}

/// Why a typed month is refused, and how to type it. The month is quoted
/// as it reads, short: without the invisible characters pasted with it
/// (thousands of them cut the question off the answer).
pub fn problem_text(app: &App, lang: Lang, problem: IntroProblem, typed: &str) -> String {
    let month = super::render::excerpt(&crate::domain::text::visible(typed), 40);
    match problem {
        IntroProblem::Unreadable => t!(lang, "intro-unreadable", example = example(app)),
        IntroProblem::Future => t!(lang, "intro-future", month = month.as_str()),
        IntroProblem::TooOld => t!(
            lang,
            "intro-too-old",
            month = month.as_str(),
            years = INTRO_MAX_YEARS_BACK
        ),
    }
}

/// The join step's question with its "This month" button. The button
/// carries the month it names: pressed after that month ended (the
/// question left open over the month's end), it still means that month.
pub fn ask_text(app: &App, lang: Lang) -> (String, InlineKeyboardMarkup) {
    let month = Period::of(app.today());
    let text = t!(lang, "intro-ask", example = month.display());
    let keyboard = InlineKeyboardMarkup::new(vec![vec![button(
        t!(lang, "intro-button-this-month", month = month.display()),
        CallbackData::IntroThisMonth(Some(month)),
    )]]);
    (text, keyboard)
}

/// "Correct the month of introduction", for a member's card or sheet.
pub fn correction_button(lang: Lang, membership_id: i64) -> InlineKeyboardButton {
    button(
        t!(lang, "intro-button-correct"),
        CallbackData::IntroCorrect(membership_id),
    )
}

/// The membership if `ctx` decides its items (and is not the member),
/// read now.
async fn corrigible(
    app: &App,
    ctx: &Ctx,
    membership_id: i64,
) -> anyhow::Result<Result<memberships::Membership, String>> {
    let Some(m) = memberships::get(&app.pool, membership_id).await? else {
        return Ok(Err(t!(ctx.lang, "not-allowed")));
    };
    // Who decides the member's items, read now: the cell's secretary or
    // deputy; for the committee's own, the other of them or the ward's
    // supervisors; never the member.
    let decides = super::roles::may_decide_item(app, ctx.user_id(), m.cell_id, m.user_id)
        .await?
        .is_ok();
    let active = matches!(m.status.as_str(), "pending" | "approved");
    if !decides {
        tracing::warn!(user = ctx.user_id(), membership_id, "introduction refused");
        return Ok(Err(t!(ctx.lang, "not-allowed")));
    }
    // Ended (left, moved) since the card was shown: said so, not that the
    // one who decides the cell's members may not.
    if !active {
        return Ok(Err(t!(ctx.lang, "end-not-active")));
    }
    Ok(Ok(m))
}

fn ask_correction(app: &App, lang: Lang, m: &memberships::Membership) -> String {
    t!(
        lang,
        "intro-correct-ask",
        name = m.full_name.as_str(),
        month = month_text(lang, m.introduced_on),
        example = example(app)
    )
}

/// The secretary presses "Correct the month of introduction".
pub async fn on_correct_press(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    q: CallbackQuery,
    membership_id: i64,
) -> HandlerResult {
    let m = match corrigible(&app, &ctx, membership_id).await? {
        Ok(m) => m,
        Err(why) => return Ok(send::alert(&bot, &q, why).await?),
    };
    let resume = ctx
        .state
        .clone()
        .interrupted_for(|s| matches!(s, State::IntroCorrect { .. }));
    let asking = State::IntroCorrect {
        membership_id,
        resume,
    };
    if super::commands::asked_already(&bot, &app, &ctx, &q, &asking).await? {
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    dialogue.update(asking).await?;
    send::text(&bot, ctx.chat, ask_correction(&app, ctx.lang, &m)).await?;
    Ok(())
}

/// The corrected month, typed by the secretary.
pub async fn on_correct_text(
    bot: Bot,
    app: App,
    ctx: Ctx,
    dialogue: Dialogue,
    (membership_id, resume): (i64, Option<Box<State>>),
    msg: Message,
) -> HandlerResult {
    let lang = ctx.lang;
    let m = match corrigible(&app, &ctx, membership_id).await? {
        Ok(m) => m,
        Err(why) => {
            let resumed = come_back(&dialogue, resume).await?;
            send::text(&bot, ctx.chat, with_resumed(lang, why, resumed)).await?;
            return Ok(());
        }
    };
    let typed = match input::text(lang, &msg, |t| Ok::<_, TextError>(t.to_string())) {
        Ok(text) => text,
        Err(why) => {
            let ask = ask_correction(&app, lang, &m);
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    let written = ctx.sent_at.with_timezone(&app.tz).date_naive();
    let month = match parse_intro_month(&typed, written) {
        Ok(month) => month,
        Err(problem) => {
            let why = problem_text(&app, lang, problem, &typed);
            let ask = ask_correction(&app, lang, &m);
            send::text(&bot, ctx.chat, format!("{why}\n\n{ask}")).await?;
            return Ok(());
        }
    };
    // Corrected, the dialogue comes back with it; otherwise now.
    let then = coming_back(ctx.chat, resume.as_deref());
    let done = memberships::set_introduced(
        &app.pool,
        membership_id,
        month.first_day(),
        ctx.user_id(),
        (app.now(), &then),
    )
    .await?;
    let resumed = match done {
        true => resume.is_some(),
        false => come_back(&dialogue, resume).await?,
    };
    let text = if done {
        t!(
            lang,
            "intro-corrected",
            name = m.full_name.as_str(),
            month = month.display()
        )
    } else if corrigible(&app, &ctx, membership_id).await?.is_err() {
        // No longer theirs to correct (their seat went after the month
        // was checked): said so, with who decides now where it applies.
        super::roles::why_refused(&app, lang, ctx.user_id(), m.cell_id).await?
    } else {
        t!(lang, "stale-button")
    };
    send::text(&bot, ctx.chat, with_resumed(lang, text, resumed)).await?;
    Ok(())
}
