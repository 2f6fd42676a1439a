//! How reports, join requests and decisions read in the chat.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    domain::{
        Lang, dates::format_dmy, membership::MembershipStatus, report::ReportStatus,
        roster::match_key,
    },
    store::{memberships::Membership, reports::Report},
    t,
    telegram::send,
};

pub use crate::telegram::named::{Named, told_apart};

/// The labels of members to choose from: "name — cell", namesakes of one
/// cell told apart ([`told_apart`]).
pub fn choice_labels(lang: Lang, members: &[Named<'_>]) -> Vec<String> {
    told_apart(lang, members)
        .into_iter()
        .zip(members)
        .map(|(name, m)| format!("{name} — {}", m.cell))
        .collect()
}

/// dd/mm/yyyy HH:MM in the configured time zone.
pub fn dmy_hm(at: DateTime<Utc>, tz: Tz) -> String {
    crate::domain::dates::format_dmy_hm(at, tz)
}

fn or_dash(lang: Lang, value: Option<&str>) -> String {
    value
        .map(str::to_string)
        .unwrap_or_else(|| t!(lang, "not-given"))
}

/// A report as the secretary sees it: a resubmission says why the
/// previous version was rejected and what it said; a photo sent before
/// with another report of the cell is pointed out.
pub fn report_card(report: &Report, lang: Lang) -> String {
    report_card_within(report, lang, CARD_CHARS)
}

/// What a waiting report's card keeps of a message: the rest is the room
/// of a line set above it (the escalation's to the deputy).
const CARD_CHARS: usize = send::MAX_MESSAGE_CHARS - 300;

/// A decided report's card with `line` (what became of it) under it: the
/// card is made to fit the room the line leaves, so that what gives way
/// (a resubmission's first text, then its reason) says so and where it
/// is whole, rather than the card's end being cut unsaid.
pub fn settled_report_card(report: &Report, lang: Lang, line: &str) -> String {
    let room = send::MAX_MESSAGE_CHARS.saturating_sub(send::units(line) + 2);
    with_outcome(&report_card_within(report, lang, room), line)
}

/// [`report_card`] within `room` units.
fn report_card_within(report: &Report, lang: Lang, room: usize) -> String {
    let mut text = t!(
        lang,
        "report-card",
        id = report.id,
        member = report.member_name.as_str(),
        kind = report.kind_name(lang),
        date = format_dmy(report.activity_date),
        description = report.description.as_str(),
        photos = report.photo_count
    );
    let resubmit = |reason: &str, previous: &str| {
        t!(lang, "resubmit-card", reason = reason, previous = previous)
    };
    let note = report
        .previous_id
        .map(|id| t!(lang, "resubmit-previous-shortened", id = id));
    // What a resubmission's block takes at least: its labels, the note and
    // a "…" each for the reason and the first text.
    let least = note.as_ref().map_or(0, |note| {
        send::units(&resubmit("", "")) + send::units(note) + 5
    });
    let tail = duplicate_lines(
        report,
        lang,
        room.saturating_sub(send::units(&text) + least),
    );
    if let Some(note) = note {
        let reason = report.previous_reason.clone().unwrap_or_default();
        let previous = report.previous_description.clone().unwrap_or_default();
        let whole = resubmit(&reason, &previous);
        let room = room.saturating_sub(send::units(&text) + 2 + send::units(&tail));
        // The texts at their longest, of emoji (two units each), do not
        // fit one message with the line of a decision: the first text is
        // shortened to the room left, then the reason, and the note, read
        // before what was cut, says which report holds both whole.
        let block = if send::units(&whole) <= room {
            whole
        } else {
            let left = room.saturating_sub(send::units(&resubmit("", "")) + send::units(&note) + 1);
            let reason = send::clip_to(&reason, left.saturating_sub(1));
            let cut = send::clip_to(&previous, left.saturating_sub(send::units(&reason)));
            resubmit(&reason, &format!("{note} {cut}"))
        };
        text.push_str("\n\n");
        text.push_str(&block);
    }
    text.push_str(&tail);
    text
}

/// The lines naming the reports that sent the same photo before: the
/// first few, and how many more, in at most `room` units (fewer named, and
/// more counted, where the card's texts are long).
fn duplicate_lines(report: &Report, lang: Lang, room: usize) -> String {
    let named = report.duplicates.len().min(MAX_DUPLICATE_LINES);
    let mut lines = String::new();
    for shown in (0..=named).rev() {
        lines.clear();
        for d in report.duplicates.iter().take(shown) {
            lines.push('\n');
            lines.push_str(&t!(
                lang,
                "dup-photo",
                name = d.member_name.as_str(),
                date = format_dmy(d.activity_date)
            ));
        }
        let more = report.duplicates.len() - shown;
        if more > 0 {
            lines.push('\n');
            lines.push_str(&t!(lang, "dup-photo-more", count = more));
        }
        if send::units(&lines) <= room {
            break;
        }
    }
    lines
}

/// Reports that sent the same photo named on a card, at most.
const MAX_DUPLICATE_LINES: usize = 5;

/// A join request as the secretary sees it (a move names the old cell).
pub fn join_card(m: &Membership, lang: Lang) -> String {
    let mut text = t!(
        lang,
        "join-card",
        name = m.full_name.as_str(),
        cell = m.cell_name.as_str(),
        phone = or_dash(lang, m.phone.as_deref()),
        workplace = or_dash(lang, m.workplace_name.as_deref())
    );
    text.push('\n');
    text.push_str(&super::introduction::line(lang, m.introduced_on));
    if let Some(by) = &m.introduced_by {
        text.push('\n');
        text.push_str(&t!(lang, "introduce-card", by = by.as_str()));
        // The link was made for someone of another name: it may have been
        // passed on, the secretary is to check who this is.
        let made_for = m.introduced_name.as_deref();
        if let Some(made_for) = made_for.filter(|n| match_key(n) != match_key(&m.full_name)) {
            text.push('\n');
            text.push_str(&t!(lang, "introduce-card-other-name", name = made_for));
        }
    }
    if let Some(from) = &m.moved_from_cell {
        text.push('\n');
        text.push_str(&t!(lang, "move-card", cell = from.as_str()));
    }
    text
}

/// A card and, under it, the line of what became of it (who decided, when,
/// why): the card is cut where the two would not fit one message, the line
/// never. Texts are limited in characters, and an emoji is two of
/// Telegram's units: a resubmitted report of long emoji texts (its
/// description, the reason and the first description) is longer than a
/// message, and its settled card was refused as too long, left with its
/// buttons and without its outcome.
pub fn with_outcome(card: &str, line: &str) -> String {
    let room = send::MAX_MESSAGE_CHARS.saturating_sub(send::units(line) + 2);
    format!("{}\n\n{line}", send::clip_to(card, room))
}

/// "Approved by X at …" / "Rejected by X at …: reason".
pub fn decided_line(
    lang: Lang,
    approved: bool,
    by: Option<&str>,
    at: Option<DateTime<Utc>>,
    reason: Option<&str>,
    tz: Tz,
) -> String {
    let when = at.map(|at| dmy_hm(at, tz)).unwrap_or_default();
    // The decider's name erased (/forgetme) or never known: the line
    // without a name, not "comrade (none)".
    let Some(who) = by.filter(|b| !b.trim().is_empty()) else {
        return match (approved, reason) {
            (true, _) => t!(lang, "decided-approved-unnamed", when = when),
            (false, Some(reason)) => t!(
                lang,
                "decided-rejected-reason-unnamed",
                when = when,
                reason = reason
            ),
            (false, None) => t!(lang, "decided-rejected-unnamed", when = when),
        };
    };
    match (approved, reason) {
        (true, _) => t!(lang, "decided-approved", who = who, when = when),
        (false, Some(reason)) => t!(
            lang,
            "decided-rejected-reason",
            who = who,
            when = when,
            reason = reason
        ),
        (false, None) => t!(lang, "decided-rejected", who = who, when = when),
    }
}

pub fn report_decided_line(report: &Report, lang: Lang, tz: Tz) -> String {
    decided_line(
        lang,
        report.status() == ReportStatus::Approved,
        report.decided_by_name.as_deref(),
        report.decided_at,
        report.reject_reason.as_deref(),
        tz,
    )
}

pub fn join_decided_line(m: &Membership, lang: Lang, tz: Tz) -> String {
    decided_line(
        lang,
        m.status() == MembershipStatus::Approved,
        m.decided_by_name.as_deref(),
        m.decided_at,
        None,
        tz,
    )
}

pub fn report_status(status: ReportStatus, lang: Lang) -> String {
    match status {
        ReportStatus::Pending => t!(lang, "status-pending"),
        ReportStatus::Approved => t!(lang, "status-approved"),
        ReportStatus::Rejected => t!(lang, "status-rejected"),
    }
}

/// Shortens a text to `max` characters for listings.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// An uploaded file's preview: a header, then sections of at most `limit`
/// lines each, a cut section followed by the "and N more" line `more`
/// gives; names in it are cut to [`PREVIEW_NAME_CHARS`].
pub struct FilePreview<M: Fn(usize) -> String> {
    out: Vec<String>,
    limit: usize,
    more: M,
    /// The closing paragraph, always shown whole (what Import will do).
    footer: Option<String>,
}

/// How much of a name a preview line shows.
pub const PREVIEW_NAME_CHARS: usize = 60;

/// A name as a preview line shows it.
pub fn preview_name(name: &str) -> String {
    name.chars().take(PREVIEW_NAME_CHARS).collect()
}

impl<M: Fn(usize) -> String> FilePreview<M> {
    pub fn new(header: String, limit: usize, more: M) -> Self {
        FilePreview {
            out: vec![header],
            limit,
            more,
            footer: None,
        }
    }

    /// A blank line, the section's title, its first `limit` items and, if
    /// there are more, how many.
    pub fn section<T>(&mut self, title: String, items: &[T], line: impl Fn(&T) -> String) {
        self.out.push(String::new());
        self.out.push(title);
        self.out.extend(items.iter().take(self.limit).map(line));
        if items.len() > self.limit {
            self.out.push((self.more)(items.len() - self.limit));
        }
    }

    /// A blank line and a closing paragraph.
    pub fn footer(&mut self, text: String) {
        self.footer = Some(text);
    }

    /// The preview as one message: long names in every section can make it
    /// longer than Telegram takes; then the sections are cut, never the
    /// closing paragraph.
    pub fn text(self) -> String {
        let body = self.out.join("\n");
        match self.footer {
            None => send::clip(&body),
            Some(footer) => {
                let room = send::MAX_MESSAGE_CHARS.saturating_sub(send::units(&footer) + 2);
                format!("{}\n\n{footer}", send::clip_to(&body, room))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::reports::Duplicate;

    #[test]
    fn a_long_file_preview_keeps_its_closing_paragraph() {
        let mut preview = FilePreview::new("Header".into(), 15, |n| format!("…{n} more"));
        let long: Vec<String> = (0..15)
            .map(|n| format!("{n} {}", "Tên ".repeat(80)))
            .collect();
        for title in ["A", "B", "C"] {
            preview.section(title.into(), &long, |l| l.clone());
        }
        preview.footer("Import will add 45 rows.".into());
        let text = preview.text();
        assert!(
            send::units(&text) <= send::MAX_MESSAGE_CHARS,
            "{}",
            send::units(&text)
        );
        assert!(text.ends_with("…\n\nImport will add 45 rows."), "{text}");
    }

    #[test]
    fn a_decision_by_someone_whose_name_is_gone_is_told_without_a_name() {
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let at = Some(Utc::now());
        for lang in Lang::ALL {
            for (by, reason) in [(None, None), (Some(" "), Some("Trùng")), (None, Some("x"))] {
                for approved in [true, false] {
                    let line = decided_line(lang, approved, by, at, reason, tz);
                    assert!(!line.contains(&t!(lang, "not-given")), "{line}");
                    assert!(
                        !line.contains("Đồng chí  ") && !line.contains("by  "),
                        "{line}"
                    );
                }
            }
            let named = decided_line(lang, true, Some("Trần Thị Bình"), at, None, tz);
            assert!(named.contains("Trần Thị Bình"), "{named}");
        }
    }

    #[test]
    fn excerpts() {
        assert_eq!(excerpt("a  b\nc", 10), "a b c");
        assert_eq!(excerpt("abcdefghij", 5), "abcd…");
    }

    /// A photo forwarded by the whole cell: the card names five earlier
    /// reports and counts the rest, and stays within a message even with the
    /// longest description and a resubmission's.
    #[test]
    fn a_card_names_a_few_duplicates_and_counts_the_rest() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        let duplicate = |n: i64| Duplicate {
            report_id: n,
            member_name: format!("Nguyễn Văn Thành Công {n}"),
            activity_date: date,
        };
        let report = Report {
            id: 99,
            user_id: 7,
            cell_id: 1,
            member_name: "Trần Thị Bình".into(),
            kind_id: 1,
            kind_vi: "Khác".into(),
            kind_en: "Other".into(),
            activity_date: date,
            description: "ư".repeat(1000),
            status: "pending".into(),
            created_at: Utc::now(),
            decided_at: None,
            decided_by_name: None,
            reject_reason: None,
            photo_count: 1,
            previous_id: Some(98),
            previous_date: Some(date),
            previous_reason: Some("x".repeat(500)),
            previous_description: Some("ư".repeat(1000)),
            resubmitted_as: None,
            recorded_by_cell: false,
            member_language: None,
            still_member: true,
            duplicates: (1..=60).map(duplicate).collect(),
        };
        for lang in [Lang::Vi, Lang::En] {
            let card = report_card(&report, lang);
            assert!(card.contains("Nguyễn Văn Thành Công 5"));
            assert!(!card.contains("Nguyễn Văn Thành Công 6"));
            assert!(card.contains(&t!(lang, "dup-photo-more", count = 55)));
            assert!(crate::telegram::send::units(&card) < 4096, "{}", card.len());
        }
    }

    #[test]
    fn times_are_local_day_first() {
        let at = DateTime::parse_from_rfc3339("2026-11-28T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(dmy_hm(at, chrono_tz::Asia::Ho_Chi_Minh), "29/11/2026 00:30");
    }
}
