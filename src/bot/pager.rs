//! Long lists in one message: a list longer than a page is shown as ONE
//! message with ◀ Previous / Next ▶ buttons that edit it in place, and a
//! button that sends the whole list as an XLSX. The buttons carry the view,
//! its scope (workplace or cell), its year and the page; every press builds
//! the list again from the database with the presser's rights of now (the
//! same checks as the command), so nothing in the button is trusted.

use chrono::Datelike;
use teloxide::{
    prelude::*,
    types::{CallbackQuery, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile},
};

use super::{App, HandlerResult, context::Ctx, keyboards::button};
use crate::{
    domain::Lang,
    export::{Table, Value},
    t,
    telegram::{
        callback_data::{CallbackData, View},
        send,
    },
};

/// Lines of a list per page, at most (buttons under a page are one per line
/// when the view has them, so those views use fewer).
pub const LINES_PER_PAGE: usize = 40;

/// Length of a page's body, at most, in UTF-16 units as Telegram counts
/// (an emoji or a letter of a fancy font is two): the title, the page line
/// and the lines together stay well under Telegram's 4096.
const PAGE_CHARS: usize = 3600;

/// A list to show: built by a view from the database for one scope.
pub struct Listing {
    pub view: View,
    /// The workplace's or cell's id.
    pub scope: i64,
    /// The year shown, 0 when the view has none.
    pub year: i32,
    /// The lines on top of every page.
    pub title: String,
    pub lines: Vec<String>,
    /// A button per line (the member's card, the member's sheet), if any.
    pub buttons: Vec<Option<InlineKeyboardButton>>,
    /// Lines per page for this view.
    pub per_page: usize,
    /// The whole list for the XLSX, and the file's name.
    pub table: Table,
    pub file_name: String,
    /// Buttons under every page (one per row), after the page buttons.
    pub footer: Vec<InlineKeyboardButton>,
}

impl Listing {
    /// The pages as ranges of `lines`: at most `per_page` lines and
    /// `PAGE_CHARS` units each, at least one line: a page cut to fit a
    /// message would lose lines no other page shows.
    fn pages(&self) -> Vec<std::ops::Range<usize>> {
        let budget = PAGE_CHARS.saturating_sub(send::units(&self.title));
        let mut pages = Vec::new();
        let (mut start, mut chars) = (0, 0);
        for (i, line) in self.lines.iter().enumerate() {
            let len = send::units(line).min(budget) + 1;
            if i > start && (i - start >= self.per_page.max(1) || chars + len > budget) {
                pages.push(start..i);
                start = i;
                chars = 0;
            }
            chars += len;
        }
        pages.push(start..self.lines.len());
        pages
    }

    /// Whether the list needs more than one page.
    pub fn is_long(&self) -> bool {
        self.pages().len() > 1
    }

    /// Page `page` (from 0): its text and buttons; `None` beyond the last.
    pub fn page(&self, lang: Lang, page: u32) -> Option<(String, InlineKeyboardMarkup)> {
        let pages = self.pages();
        let count = pages.len();
        let index = usize::try_from(page).ok().filter(|p| *p < count)?;
        let range = pages[index].clone();
        let mut text = self.title.clone();
        for line in &self.lines[range.clone()] {
            text.push('\n');
            text.push_str(line);
        }
        let mut rows: Vec<Vec<InlineKeyboardButton>> = self
            .buttons
            .get(range)
            .unwrap_or_default()
            .iter()
            .flatten()
            .map(|b| vec![b.clone()])
            .collect();
        if count > 1 {
            text.push_str("\n\n");
            let (shown, pages) = (index + 1, count);
            text.push_str(&t!(lang, "page-of", page = shown, pages = pages));
            let mut nav = Vec::new();
            if index > 0 {
                nav.push(self.page_button(t!(lang, "page-prev"), page - 1));
            }
            if index + 1 < count {
                nav.push(self.page_button(t!(lang, "page-next"), page + 1));
            }
            rows.push(nav);
            rows.push(vec![button(
                t!(lang, "page-xlsx"),
                CallbackData::ViewXlsx(self.view, self.scope, self.year),
            )]);
        }
        rows.extend(self.footer.iter().map(|b| vec![b.clone()]));
        Some((send::clip(&text), InlineKeyboardMarkup::new(rows)))
    }

    fn page_button(&self, label: String, page: u32) -> InlineKeyboardButton {
        button(
            label,
            CallbackData::ViewPage(self.view, self.scope, self.year, page),
        )
    }
}

/// A table whose cells are all text.
pub fn text_table(headers: &[String], rows: Vec<Vec<String>>) -> Table {
    Table {
        headers: headers.to_vec(),
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Value::Text).collect())
            .collect(),
    }
}

/// Sends a list's first page (the whole list when it fits in one).
pub async fn send_first(bot: &Bot, chat: ChatId, lang: Lang, listing: &Listing) -> HandlerResult {
    if let Some((text, markup)) = listing.page(lang, 0) {
        if markup.inline_keyboard.is_empty() {
            send::text(bot, chat, text).await?;
        } else {
            send::with_markup(bot, chat, text, markup).await?;
        }
    }
    Ok(())
}

/// Builds a view's list for the presser, or `None` when they may not see it
/// (any more).
async fn build(
    app: &App,
    ctx: &Ctx,
    view: View,
    scope: i64,
    year: i32,
) -> anyhow::Result<Option<Listing>> {
    // A year no command could have chosen is forged.
    let this_year = app.today().year();
    let year_ok = |year: i32| (2000..=this_year).contains(&year);
    match view {
        View::Status if year_ok(year) => {
            super::overview::status_listing(app, ctx, scope, year).await
        }
        // A supervisor no longer standing in (the cell has someone to
        // decide its committee's own items now): not their list, rather
        // than an empty one saying nothing waits.
        View::Sheets | View::Pending
            if stood_down(app, ctx.lang, ctx.user_id(), scope)
                .await?
                .is_some() =>
        {
            Ok(None)
        }
        View::Sheets if year_ok(year) => super::sheets::list_listing(app, ctx, scope, year).await,
        View::Members if year == 0 => super::views::members_listing(app, ctx, scope).await,
        View::Pending if year == 0 => super::views::pending_listing(app, ctx, scope).await,
        View::Cells if year == 0 => super::cells::listing(app, ctx, scope).await,
        _ => Ok(None),
    }
}

/// A page or a download the presser may not have: one whose role over the
/// list's scope was taken away since is told so, naming the workplace,
/// ward or cell, as the role's other buttons say it (a committee's list
/// then loses its buttons, as its cards do; an officer's, a supervisor's or
/// an administrator's keeps them: given the role back, they work again);
/// anyone else (another scope's list, forged data) is not allowed.
async fn refuse(
    bot: &Bot,
    app: &App,
    ctx: &Ctx,
    q: &CallbackQuery,
    view: View,
    scope: i64,
    what: &str,
) -> HandlerResult {
    use crate::store::committee::office_lost;
    let (lang, user, pool) = (ctx.lang, ctx.user_id(), &app.pool);
    let office = |role: &'static str, place: i64| office_lost(pool, user, role, Some(place));
    let gone = match view {
        View::Status => office("officer", scope).await?.map(|place| {
            (
                t!(lang, "officer-role-gone", workplace = place.as_str()),
                false,
            )
        }),
        View::Cells => office("ward_admin", scope).await?.map(|place| {
            (
                t!(lang, "ward-admin-role-gone", ward = place.as_str()),
                false,
            )
        }),
        View::Members | View::Pending | View::Sheets => {
            match super::roles::role_gone(app, lang, user, scope).await? {
                Some(text) => Some((text, true)),
                None if view != View::Members => stand_in_gone(app, lang, user, scope).await?,
                None => None,
            }
        }
    };
    let Some((text, settle)) = gone else {
        tracing::warn!(user, ?view, scope, what, "list refused");
        return Ok(send::alert(bot, q, t!(lang, "not-allowed")).await?);
    };
    tracing::info!(
        user,
        ?view,
        scope,
        what,
        "list pressed by one whose role went"
    );
    send::alert(bot, q, text).await?;
    if settle {
        send::remove_buttons(bot, q).await;
    }
    Ok(())
}

/// A supervisor standing in for the committee of `cell` (its `/pending`
/// and `/sheets` of the secretary's or deputy's own items) who no longer
/// does: no longer a supervisor of its ward (the list keeps its buttons:
/// given the role back, they work again), or the cell has someone on its
/// committee to decide those items now (the list loses them).
async fn stand_in_gone(
    app: &App,
    lang: Lang,
    user: i64,
    cell: i64,
) -> anyhow::Result<Option<(String, bool)>> {
    let Some(cell) = crate::store::cells::get(&app.pool, cell).await? else {
        return Ok(None);
    };
    let ward =
        crate::store::committee::office_lost(&app.pool, user, "supervisor", Some(cell.ward_id));
    if let Some(place) = ward.await? {
        let text = t!(lang, "supervisor-role-gone", ward = place.as_str());
        return Ok(Some((text, false)));
    }
    Ok(stood_down(app, lang, user, cell.id)
        .await?
        .map(|t| (t, true)))
}

/// Why a supervisor of the cell's ward no longer decides its committee's
/// own items (someone on the committee decides them now, named), if so.
async fn stood_down(app: &App, lang: Lang, user: i64, cell: i64) -> anyhow::Result<Option<String>> {
    let (_, committee) = crate::store::committee::facts(&app.pool, user, cell).await?;
    if committee.includes(user) {
        return Ok(None);
    }
    for owner in [committee.secretary, committee.deputy]
        .into_iter()
        .flatten()
    {
        if let Some(text) =
            super::roles::supervisor_stood_down(app, lang, user, cell, owner).await?
        {
            return Ok(Some(text));
        }
    }
    Ok(None)
}

/// ◀ Previous / Next ▶: the page asked, in place of the one shown.
pub async fn on_page(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (view, scope, year, page): (View, i64, i32, u32),
) -> HandlerResult {
    let Some(listing) = build(&app, &ctx, view, scope, year).await? else {
        return refuse(&bot, &app, &ctx, &q, view, scope, "page").await;
    };
    let (text, markup) = match listing.page(ctx.lang, page) {
        Some(shown) => {
            send::ack(&bot, &q).await?;
            shown
        }
        None => {
            // The list shrank under the reader (items decided, members
            // gone): its last page as it is now takes the stale one's place.
            let last = u32::try_from(listing.pages().len().saturating_sub(1)).unwrap_or(0);
            let Some(shown) = listing.page(ctx.lang, last) else {
                return Ok(send::alert(&bot, &q, t!(ctx.lang, "page-gone")).await?);
            };
            send::alert(&bot, &q, t!(ctx.lang, "page-gone")).await?;
            shown
        }
    };
    // Never the same text again: Telegram refuses an edit changing nothing.
    send::edit_pressed(&bot, &q, text, markup).await;
    Ok(())
}

/// 📄 Download the list (XLSX): the whole list as a document.
pub async fn on_xlsx(
    bot: Bot,
    app: App,
    ctx: Ctx,
    q: CallbackQuery,
    (view, scope, year): (View, i64, i32),
) -> HandlerResult {
    let Some(listing) = build(&app, &ctx, view, scope, year).await? else {
        return refuse(&bot, &app, &ctx, &q, view, scope, "list download").await;
    };
    // Tapped twice: one workbook (a ward's or a workplace's thousands of
    // rows are not written and sent twice).
    if !send::pressed_once::first(&bot, &q) {
        send::toast(&bot, &q, t!(ctx.lang, "page-xlsx-above")).await?;
        return Ok(());
    }
    send::ack(&bot, &q).await?;
    let count = listing.table.rows.len();
    let Listing {
        table, file_name, ..
    } = listing;
    let sheet = match year {
        0 => "lienhe".to_string(),
        year => year.to_string(),
    };
    // Writing the workbook is CPU work: off the async runtime.
    let bytes =
        tokio::task::spawn_blocking(move || crate::export::to_xlsx(&table, &sheet)).await??;
    let file = InputFile::memory(bytes).file_name(format!("{file_name}.xlsx"));
    let rows = crate::i18n::count(ctx.lang, count);
    let caption = t!(ctx.lang, "page-xlsx-caption", count = count, rows = rows);
    send::patiently(|| {
        bot.send_document(ctx.chat, file.clone())
            .caption(caption.clone())
            .send()
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(lines: usize, width: usize) -> Listing {
        Listing {
            view: View::Status,
            scope: 1,
            year: 2026,
            title: "Title".into(),
            lines: (0..lines).map(|i| format!("{i:0width$}")).collect(),
            buttons: Vec::new(),
            per_page: LINES_PER_PAGE,
            table: text_table(&[], Vec::new()),
            file_name: "x".into(),
            footer: Vec::new(),
        }
    }

    #[test]
    fn pages_hold_forty_lines_and_fit_a_message() {
        let l = listing(120, 10);
        assert_eq!(l.pages().len(), 3);
        assert!(l.page(Lang::En, 2).is_some());
        assert!(l.page(Lang::En, 3).is_none());
        let wide = listing(120, 200);
        for p in 0..wide.pages().len() as u32 {
            let (text, _) = wide.page(Lang::En, p).unwrap();
            assert!(text.chars().count() < 4096);
        }
        // Lines of emoji (two units each): every line on some page, whole.
        let mut emoji = listing(45, 10);
        emoji.lines = (0..45)
            .map(|i| format!("{i:02} {}", "🎉".repeat(60)))
            .collect();
        let mut shown = Vec::new();
        for p in 0..emoji.pages().len() as u32 {
            let (text, _) = emoji.page(Lang::En, p).unwrap();
            assert!(send::units(&text) <= 4096 && !text.ends_with('…'), "{p}");
            shown.extend(
                emoji
                    .lines
                    .iter()
                    .filter(|l| text.contains(l.as_str()))
                    .cloned(),
            );
        }
        assert_eq!(shown, emoji.lines);
        assert!(!listing(40, 10).is_long());
        assert!(listing(41, 10).is_long());
        assert!(!listing(0, 10).is_long());
    }
}
