//! Whoever writes a comment sheet is told once when its member let the
//! time to answer the draft pass (a week, or less when the sheet's last day
//! comes first): the sheet can be signed now. Decided from the clock and
//! the database at every look of the scheduler (and at start-up); each
//! sending of a draft is told of once (`sheets.silence_told_for`), in the
//! transaction that queues the notices.

use chrono::{Datelike, Duration, NaiveTime};

use crate::{
    app::App,
    domain::{
        Lang,
        review_year::YearOpen,
        schedule::instant,
        sheet::{ANSWER_DAYS, answer_until},
    },
    store::{
        outbox::{Notice, Payload, Recipient},
        sheets::{self, Silent},
    },
    t,
    telegram::{
        named::{Named, label},
        send,
    },
};

/// Drafts looked at in one look (the rest at the next).
const BATCH: i64 = 500;

/// Room the names may take in one message (the rest are counted).
const NAMES_CHARS: usize = 3000;

/// Tells the writers of drafts whose time to answer passed with no answer;
/// how many notices were queued.
pub async fn tell_unanswered(app: &App) -> anyhow::Result<usize> {
    let now = app.now();
    let today = app.today();
    let last_day = |day: chrono::NaiveDate| instant(app.tz, day.and_time(NaiveTime::MIN));
    let open: Vec<i32> = [today.year() - 1, today.year()]
        .into_iter()
        .filter(|&y| app.review.state(y, today) == YearOpen::Open)
        .collect();
    let last_day_came: Vec<i32> = open
        .iter()
        .copied()
        .filter(|&y| last_day(app.review.closes(y)) <= now)
        .collect();
    let week_ago = now - Duration::days(ANSWER_DAYS);
    let found =
        sheets::unanswered_untold(&app.pool, week_ago, (&open, &last_day_came), today, BATCH)
            .await?;
    let due: Vec<(i64, chrono::DateTime<chrono::Utc>)> = found
        .iter()
        .filter(|s| {
            let day = match s.request_due {
                Some(due) => due,
                None => app.review.closes(i32::try_from(s.year).unwrap_or(0)),
            };
            answer_until(s.sent_to_member_at, Some(last_day(day))) <= now
        })
        .map(|s| (s.id, s.sent_to_member_at))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let tz = app.tz;
    let queued =
        sheets::tell_unanswered(&app.pool, &due, now, |to, list| notice(tz, to, list)).await?;
    if queued > 0 {
        tracing::info!(
            sheets = due.len(),
            queued,
            "writers told of drafts left unanswered"
        );
        app.wake_sender();
    }
    Ok(queued)
}

/// The notice to `to`: the members listed, namesakes of a cell told apart,
/// each with their cell where they are of several, cut to fit one message.
fn notice(tz: chrono_tz::Tz, to: Recipient, list: &[Silent]) -> Notice {
    let payload = Payload::in_every_lang(to.lang, |lang| (text(tz, lang, list), Vec::new()));
    Notice {
        chat_id: to.user_id,
        payload,
    }
}

fn text(tz: chrono_tz::Tz, lang: Lang, list: &[Silent]) -> String {
    let cells = list.iter().map(|s| s.cell_id);
    let several = cells
        .clone()
        .any(|c| Some(c) != list.first().map(|s| s.cell_id));
    let names: Vec<String> = list
        .iter()
        .map(|s| {
            let shown = (
                s.full_name.as_str(),
                s.cell_name.as_str(),
                s.phone.as_deref(),
            );
            let named = Named::new(shown, s.introduced_on, s.active_since, tz);
            let namesakes = usize::try_from(s.namesakes).unwrap_or(0);
            let mut name = label(lang, &named, namesakes);
            if s.on_request {
                name = t!(lang, "sheet-silence-on-request", name = name);
            }
            if several {
                name = t!(
                    lang,
                    "sheet-silence-in-cell",
                    name = name,
                    cell = s.cell_name.as_str()
                );
            }
            name
        })
        .collect();
    let mut shown = Vec::new();
    let mut used = 0;
    for name in &names {
        let len = name.chars().count() + 2;
        if used + len > NAMES_CHARS && !shown.is_empty() {
            break;
        }
        used += len;
        shown.push(name.clone());
    }
    let more = names.len() - shown.len();
    let mut joined = shown.join(", ");
    if more > 0 {
        joined.push(' ');
        joined.push_str(&t!(lang, "sheet-silence-more", count = more));
    }
    let text = t!(
        lang,
        "sheet-silence-told",
        count = list.len(),
        names = joined
    );
    send::clip(&text)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn silent(id: i64, cell: i64, name: &str, phone: Option<&str>) -> Silent {
        Silent {
            sheet_id: id,
            user_id: id,
            cell_id: cell,
            cell_name: format!("Chi bộ {cell}"),
            full_name: name.into(),
            phone: phone.map(Into::into),
            introduced_on: None,
            active_since: chrono::Utc.with_ymd_and_hms(2026, 1, 5, 3, 0, 0).unwrap(),
            namesakes: 1,
            on_request: false,
        }
    }

    #[test]
    fn many_names_are_cut_to_one_message_and_counted() {
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let list: Vec<Silent> = (0..400)
            .map(|i| silent(i, 1, &format!("Nguyễn Thị Thanh Hương {i}"), None))
            .collect();
        for lang in [Lang::Vi, Lang::En] {
            let text = text(tz, lang, &list);
            assert!(text.chars().count() <= send::MAX_MESSAGE_CHARS, "{text}");
            assert!(text.contains("Nguyễn Thị Thanh Hương 0"), "{text}");
            assert!(!text.contains("Hương 399"), "{text}");
            assert!(text.contains("/sheets"), "{text}");
            let more = if lang == Lang::En { "and " } else { "và " };
            assert!(text.contains(more), "{text}");
            assert!(text.contains("(400)"), "{text}");
        }
    }

    #[test]
    fn namesakes_are_told_apart_and_cells_named_when_several() {
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let mut a = silent(1, 1, "Nguyễn Văn An", Some("0912345678"));
        a.namesakes = 2;
        let b = silent(2, 2, "Lê Văn Bảo", None);
        let text = text(tz, Lang::En, &[a, b]);
        assert!(text.contains("0912345678"), "{text}");
        assert!(text.contains("Chi bộ 2"), "{text}");
    }
}
