//! The review year: when the comment sheets of a year can be written, which
//! year a command works on by default, and the period a member is judged on.

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate};

use super::schedule::Period;

/// When the sheets of year Y can be drafted and signed: from `from` (month,
/// day) of Y until `until` (month, day) of Y+1, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewWindow {
    pub from: (u32, u32),
    pub until: (u32, u32),
}

impl Default for ReviewWindow {
    fn default() -> Self {
        ReviewWindow {
            from: (11, 1),
            until: (3, 31),
        }
    }
}

/// Whether the sheets of a year can be worked on today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearOpen {
    Open,
    /// Not yet: the window opens on that day.
    NotYet(NaiveDate),
    /// Over: the window closed on that day (included).
    Closed(NaiveDate),
}

impl ReviewWindow {
    /// The first day the sheets of `year` may be drafted.
    pub fn opens(self, year: i32) -> NaiveDate {
        day_of(year, self.from)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 11, 1).expect("1 November exists"))
    }

    /// The last day the sheets of `year` may be drafted and signed (in Y+1).
    pub fn closes(self, year: i32) -> NaiveDate {
        day_of(year + 1, self.until)
            // 29 February in a common year: the day before 1 March.
            .or_else(|| day_of(year + 1, (self.until.0 + 1, 1)).map(|d| d.pred_opt().expect("day")))
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(year + 1, 3, 31).expect("31 March exists"))
    }

    pub fn state(self, year: i32, today: NaiveDate) -> YearOpen {
        if today < self.opens(year) {
            YearOpen::NotYet(self.opens(year))
        } else if today > self.closes(year) {
            YearOpen::Closed(self.closes(year))
        } else {
            YearOpen::Open
        }
    }

    pub fn is_open(self, year: i32, today: NaiveDate) -> bool {
        self.state(year, today) == YearOpen::Open
    }

    /// The earliest date a report made on `today` may carry: 12 months
    /// back, or 1 January of last year while its comment sheets can still
    /// be written (the evidence of a year is what happened in it, whenever
    /// it is reported).
    pub fn earliest_report_date(self, today: NaiveDate) -> NaiveDate {
        let back = super::dates::earliest_report_date(today);
        let last_year = today.year() - 1;
        match NaiveDate::from_ymd_opt(last_year, 1, 1) {
            Some(first) if first < back && self.is_open(last_year, today) => first,
            _ => back,
        }
    }

    /// The year whose sheets are being written on `today` (November to
    /// March by default: this year's from the opening day, last year's
    /// until the closing day), if any.
    pub fn open_year(self, today: NaiveDate) -> Option<i32> {
        let year = self.default_year(today);
        self.is_open(year, today).then_some(year)
    }

    /// The year commands work on when none is given: from 1 January until
    /// the closing day, the previous year; otherwise the current one.
    pub fn default_year(self, today: NaiveDate) -> i32 {
        if today <= self.closes(today.year() - 1) {
            today.year() - 1
        } else {
            today.year()
        }
    }
}

fn day_of(year: i32, (month, day): (u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The years the program works with (typed as four digits).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// A year outside [`YEARS`] (an operator's typo: `--year 999999`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("there is no year {0} here: years run from 1900 to 9999")]
pub struct NoSuchYear(pub i32);

/// The first day of `year` and of the next, for a year in [`YEARS`].
pub fn year_span(year: i32) -> Result<(NaiveDate, NaiveDate), NoSuchYear> {
    if !YEARS.contains(&year) {
        return Err(NoSuchYear(year));
    }
    let first = |y| NaiveDate::from_ymd_opt(y, 1, 1);
    match (first(year), first(year + 1)) {
        (Some(from), Some(until)) => Ok((from, until)),
        _ => Err(NoSuchYear(year)),
    }
}

/// A typed year (`2026`), or `None` for anything but four digits (a year
/// of [`YEARS`]).
pub fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| YEARS.contains(y))
}

/// The months of `year` (1 to 12) a member is judged on: the calendar year,
/// starting later only from the month the member was `introduced` to the
/// cell, and ending with the current month while the year runs.
pub fn evidence_months(year: i32, introduced: Period, today: NaiveDate) -> Vec<u32> {
    let first = match introduced.year.cmp(&year) {
        std::cmp::Ordering::Less => 1,
        std::cmp::Ordering::Equal => introduced.month,
        std::cmp::Ordering::Greater => return Vec::new(),
    };
    let last = match today.year().cmp(&year) {
        std::cmp::Ordering::Greater => 12,
        std::cmp::Ordering::Equal => today.month(),
        std::cmp::Ordering::Less => return Vec::new(),
    };
    (first..=last).collect()
}

/// The month a member was introduced to the cell: as recorded, or for
/// members from before it was asked, the month they were accepted.
pub fn introduced_period(
    introduced_on: Option<NaiveDate>,
    accepted_local: NaiveDate,
    exemptions: &[Exempted],
) -> Period {
    let mut start = Period::of(introduced_on.unwrap_or(accepted_local));
    // Exemptions held since the introduction and lifted since: judged
    // from the month after the last of them ended (the months before owed
    // no residence contact).
    while exemptions
        .iter()
        .any(|e| e.until.is_some() && e.covers(start))
    {
        start = Period::of(start.end());
    }
    start
}

/// Whether `month` is one an exemption excused (owes no residence
/// contact): from the month it began (or any month before, when that was
/// not recorded) to the month it was lifted in, both included, or on
/// while it holds.
pub fn excused(month: Period, exemptions: &[Exempted]) -> bool {
    exemptions.iter().any(|e| e.covers(month))
}

/// Whether a member is judged on `month` (owes residence contact in it):
/// from the start of their period (`introduced`, [`introduced_period`])
/// on, except the months an exemption excused ([`excused`]).
pub fn judged_on(month: Period, introduced: Period, exemptions: &[Exempted]) -> bool {
    introduced <= month && !excused(month, exemptions)
}

/// Whether an exemption the member holds now (`exemptions`, see
/// [`excused`]) makes them exempt for `year`: not one that began after the
/// year ended (a year of study begun in January leaves the year before
/// owed in full, and its comment sheet the full one).
pub fn exempt_for_year(year: i32, exemptions: &[Exempted]) -> bool {
    exemptions
        .iter()
        .any(|e| e.until.is_none() && e.held_at_end_of(year))
}

impl Exempted {
    /// Whether it was held when `year` ended (begun by then, lifted only
    /// after it): the member was exempt for that year, also once it was
    /// lifted (a year of study from February to the next January leaves
    /// no periodic sheet of the year).
    pub fn held_at_end_of(self, year: i32) -> bool {
        self.since.is_none_or(|since| since.year() <= year)
            && self.until.is_none_or(|until| until.year() > year)
    }
}

/// One exemption of a member: when it began and when it was lifted
/// (local dates), as far as recorded: `since` unknown for exemptions set
/// before it was kept, `until` none while it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exempted {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Exempted {
    pub fn local(
        since: Option<chrono::DateTime<chrono::Utc>>,
        until: Option<chrono::DateTime<chrono::Utc>>,
        tz: chrono_tz::Tz,
    ) -> Self {
        let day = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&tz).date_naive();
        Exempted {
            since: since.map(day),
            until: until.map(day),
        }
    }

    fn covers(self, month: Period) -> bool {
        self.since.is_none_or(|since| Period::of(since) <= month)
            && self.until.is_none_or(|until| month <= Period::of(until))
    }
}

/// Months of the period, counted back from its last month, without activity.
pub fn trailing_silent(period: &[u32], active: &BTreeSet<u32>) -> u32 {
    period
        .iter()
        .rev()
        .take_while(|m| !active.contains(m))
        .count() as u32
}

/// Whether the year is at risk: from September, fewer than two months
/// with activity in the period, when the period already has three months.
pub fn year_at_risk(month: u32, period: &[u32], active: &BTreeSet<u32>) -> bool {
    let active_in_period = period.iter().filter(|m| active.contains(m)).count();
    month >= 9 && period.len() >= 3 && active_in_period < 2
}

/// Why a typed month of introduction is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntroProblem {
    Unreadable,
    Future,
    TooOld,
}

/// How far back a month of introduction may go.
pub const INTRO_MAX_YEARS_BACK: u32 = 10;

/// Parses the month a member was introduced to the cell, as a newcomer
/// writes it: `MM/YYYY` or `M/YYYY`, with `-`, `.` or a space instead of
/// the slash, `YYYY-MM` (as a spreadsheet writes it), after "tháng", "T"
/// or "month" (`tháng 11/2026`, `T11/2026`, `tháng 11 năm 2026`); or the
/// words of the question's button, "tháng này" / "this month" (accents
/// and case optional), alone (the month of `today`, the day they were
/// typed) or with the month the button names in brackets (its label
/// typed). Not in the future, not more than ten years back.
pub fn parse_intro_month(s: &str, today: NaiveDate) -> Result<Period, IntroProblem> {
    // Marks nobody sees, copied along with a month: read as it reads.
    let s = super::text::visible(s);
    let period = read_intro_month(&s, today).ok_or(IntroProblem::Unreadable)?;
    check_intro_month(period, today)?;
    Ok(period)
}

/// The month `s` names (see [`parse_intro_month`]), unchecked.
fn read_intro_month(s: &str, today: NaiveDate) -> Option<Period> {
    // Lower case, no accents ("đ" is "d"), spaces collapsed.
    let folded = super::membership::name_fold(s);
    let folded = folded.trim().trim_end_matches('.').trim_end();
    for words in ["thang nay", "this month"] {
        if let Some(rest) = folded.strip_prefix(words) {
            let rest = rest.trim();
            if rest.is_empty() {
                return Some(Period::of(today));
            }
            let named = rest.strip_prefix('(')?.strip_suffix(')')?;
            return numeric_month(named);
        }
    }
    let rest = ["thang", "month"]
        .into_iter()
        .find_map(|word| folded.strip_prefix(word))
        .or_else(|| {
            folded
                .strip_prefix('t')
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .unwrap_or(folded);
    numeric_month(rest)
}

/// `MM/YYYY` (or `-`, `.`, a space, "năm" between) or `YYYY-MM`.
fn numeric_month(s: &str) -> Option<Period> {
    let parts: Vec<&str> = s
        .split(['/', '-', '.', ' '])
        .filter(|p| !p.is_empty() && *p != "nam")
        .collect();
    let [a, b] = parts.as_slice() else {
        return None;
    };
    let digits = |t: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    let (month, year) = if digits(a, 1..=2) && digits(b, 4..=4) {
        (a, b)
    } else if digits(a, 4..=4) && digits(b, 1..=2) {
        (b, a)
    } else {
        return None;
    };
    Period::new(year.parse().ok()?, month.parse().ok()?)
}

pub fn check_intro_month(period: Period, today: NaiveDate) -> Result<(), IntroProblem> {
    if period > Period::of(today) {
        return Err(IntroProblem::Future);
    }
    let oldest = Period::of(today - Months::new(12 * INTRO_MAX_YEARS_BACK));
    if period < oldest {
        return Err(IntroProblem::TooOld);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn last_years_evidence_can_be_reported_while_its_sheets_are_open() {
        let w = ReviewWindow::default();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // In March: all of last year (more than 12 months back).
        assert_eq!(w.earliest_report_date(d(2027, 3, 20)), d(2026, 1, 1));
        assert_eq!(w.earliest_report_date(d(2027, 3, 31)), d(2026, 1, 1));
        // From April: the last 12 months.
        assert_eq!(w.earliest_report_date(d(2027, 4, 1)), d(2026, 4, 1));
        assert_eq!(w.earliest_report_date(d(2026, 11, 20)), d(2025, 11, 20));
        // In January: 12 months back is later than 1 January of last year.
        assert_eq!(w.earliest_report_date(d(2027, 1, 10)), d(2026, 1, 1));
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn p(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap()
    }

    #[test]
    fn an_exemption_lifted_moves_the_start_to_the_month_after() {
        let introduced = Some(d(2024, 3, 10));
        assert_eq!(
            introduced_period(introduced, d(2024, 3, 1), &[]),
            p(2024, 3)
        );
        let lifted = |since: Option<NaiveDate>, until: NaiveDate| Exempted {
            since,
            until: Some(until),
        };
        // Exempt since the introduction, lifted 15/07/2026: from August.
        let held = lifted(Some(d(2024, 3, 20)), d(2026, 7, 15));
        assert_eq!(
            introduced_period(introduced, d(2024, 3, 1), &[held]),
            p(2026, 8)
        );
        // Since unknown (set before it was kept): the same.
        let held = lifted(None, d(2026, 12, 31));
        assert_eq!(introduced_period(None, d(2024, 3, 1), &[held]), p(2027, 1));
        // Exempt only from October 2026: the months before stay owed.
        let later = lifted(Some(d(2026, 10, 2)), d(2026, 10, 20));
        assert_eq!(
            introduced_period(introduced, d(2024, 3, 1), &[later]),
            p(2024, 3)
        );
        // Introduced after it was lifted (a new membership): the introduction.
        let old = lifted(None, d(2020, 1, 31));
        assert_eq!(
            introduced_period(introduced, d(2024, 3, 1), &[old]),
            p(2024, 3)
        );
        // Exempt from the introduction to March, again from April to May:
        // from June.
        let first = lifted(Some(d(2024, 3, 10)), d(2024, 3, 30));
        let again = lifted(Some(d(2024, 4, 2)), d(2024, 5, 10));
        assert_eq!(
            introduced_period(introduced, d(2024, 3, 1), &[first, again]),
            p(2024, 6)
        );
        // Months of 2026 judged: August to the end.
        let months = evidence_months(2026, p(2026, 8), d(2026, 12, 31));
        assert_eq!(months, vec![8, 9, 10, 11, 12]);
    }

    #[test]
    fn the_months_an_exemption_covered_are_not_judged() {
        let introduced = p(2026, 1);
        // Not exempt: every month from the introduction.
        assert!(!judged_on(p(2025, 12), introduced, &[]));
        assert!(judged_on(p(2026, 1), introduced, &[]));
        assert!(judged_on(p(2026, 12), introduced, &[]));
        // Exempt since 3 November: January to October owed, not November.
        let held = Exempted {
            since: Some(d(2026, 11, 3)),
            until: None,
        };
        assert!(judged_on(p(2026, 6), introduced, &[held]));
        assert!(judged_on(p(2026, 10), introduced, &[held]));
        assert!(!judged_on(p(2026, 11), introduced, &[held]));
        // Exempt since before the introduction, or since a date not
        // recorded: no month.
        for since in [Some(d(2025, 5, 1)), None] {
            let held = Exempted { since, until: None };
            assert!(!judged_on(p(2026, 1), introduced, &[held]), "{since:?}");
        }
        // Exempt from March to June, lifted on 10 June, exempted again on 10
        // September: March to June and from September on are not owed.
        let lifted = Exempted {
            since: Some(d(2026, 3, 5)),
            until: Some(d(2026, 6, 10)),
        };
        let again = Exempted {
            since: Some(d(2026, 9, 10)),
            until: None,
        };
        let judged: Vec<u32> = (1..=12)
            .filter(|m| judged_on(p(2026, *m), introduced, &[lifted, again]))
            .collect();
        assert_eq!(judged, vec![1, 2, 7, 8]);
    }

    #[test]
    fn an_exemption_begun_after_the_year_leaves_it_owed() {
        let held = |since| Exempted { since, until: None };
        // Exempt since 10/01/2027: not for 2026, for 2027.
        let january = [held(Some(d(2027, 1, 10)))];
        assert!(!exempt_for_year(2026, &january));
        assert!(exempt_for_year(2027, &january));
        // Since 31/12/2026, or since a day not recorded: for 2026.
        assert!(exempt_for_year(2026, &[held(Some(d(2026, 12, 31)))]));
        assert!(exempt_for_year(2026, &[held(None)]));
        // One lifted is not held.
        let lifted = Exempted {
            since: Some(d(2026, 3, 1)),
            until: Some(d(2026, 6, 1)),
        };
        assert!(!exempt_for_year(2026, &[lifted]));
        // Held when the year ended, lifted in January: exempt for it.
        let over_new_year = Exempted {
            since: Some(d(2026, 2, 10)),
            until: Some(d(2027, 1, 15)),
        };
        assert!(over_new_year.held_at_end_of(2026));
        assert!(!over_new_year.held_at_end_of(2027));
        assert!(!lifted.held_at_end_of(2026));
    }

    #[test]
    fn a_year_out_of_range_has_no_span() {
        assert_eq!(year_span(2026), Ok((d(2026, 1, 1), d(2027, 1, 1))));
        assert_eq!(year_span(9999), Ok((d(9999, 1, 1), d(10000, 1, 1))));
        for year in [999_999, 10_000, 1899, 0, -5, i32::MAX, i32::MIN] {
            assert_eq!(year_span(year), Err(NoSuchYear(year)), "{year}");
        }
        assert_eq!(parse_year("2026"), Some(2026));
        assert_eq!(parse_year("1899"), None);
        assert_eq!(parse_year("999999"), None);
    }

    #[test]
    fn window_of_a_year() {
        let w = ReviewWindow::default();
        assert_eq!(
            w.state(2026, d(2026, 10, 31)),
            YearOpen::NotYet(d(2026, 11, 1))
        );
        assert!(w.is_open(2026, d(2026, 11, 1)));
        assert!(w.is_open(2026, d(2027, 1, 5)));
        assert!(w.is_open(2026, d(2027, 3, 31)));
        assert_eq!(
            w.state(2026, d(2027, 4, 1)),
            YearOpen::Closed(d(2027, 3, 31))
        );
        let leap = ReviewWindow {
            from: (11, 1),
            until: (2, 29),
        };
        assert_eq!(leap.closes(2026), d(2027, 2, 28));
        assert_eq!(leap.closes(2027), d(2028, 2, 29));
    }

    #[test]
    fn the_year_under_review_is_the_one_whose_season_runs() {
        let w = ReviewWindow::default();
        assert_eq!(w.open_year(d(2026, 10, 31)), None);
        assert_eq!(w.open_year(d(2026, 11, 1)), Some(2026));
        assert_eq!(w.open_year(d(2026, 12, 31)), Some(2026));
        assert_eq!(w.open_year(d(2027, 1, 1)), Some(2026));
        assert_eq!(w.open_year(d(2027, 3, 31)), Some(2026));
        assert_eq!(w.open_year(d(2027, 4, 1)), None);
        let december = ReviewWindow {
            from: (12, 1),
            until: (1, 31),
        };
        assert_eq!(december.open_year(d(2026, 11, 25)), None);
        assert_eq!(december.open_year(d(2027, 1, 25)), Some(2026));
    }

    #[test]
    fn default_year_is_the_previous_until_the_window_closes() {
        let w = ReviewWindow::default();
        assert_eq!(w.default_year(d(2027, 1, 1)), 2026);
        assert_eq!(w.default_year(d(2027, 3, 31)), 2026);
        assert_eq!(w.default_year(d(2027, 4, 1)), 2027);
        assert_eq!(w.default_year(d(2026, 12, 31)), 2026);
        assert_eq!(w.default_year(d(2026, 6, 15)), 2026);
    }

    #[test]
    fn years_typed() {
        assert_eq!(parse_year(" 2026 "), Some(2026));
        assert_eq!(parse_year("abc"), None);
        assert_eq!(parse_year("26"), None);
        assert_eq!(parse_year("20266"), None);
        assert_eq!(parse_year("+202"), None);
    }

    #[test]
    fn period_introduced_mid_year() {
        assert_eq!(
            evidence_months(2026, p(2026, 11), d(2027, 1, 5)),
            vec![11, 12]
        );
        assert_eq!(
            evidence_months(2026, p(2026, 5), d(2026, 8, 20)),
            vec![5, 6, 7, 8]
        );
    }

    #[test]
    fn period_introduced_in_a_previous_year() {
        assert_eq!(
            evidence_months(2026, p(2019, 7), d(2027, 2, 1)),
            (1..=12).collect::<Vec<_>>()
        );
    }

    #[test]
    fn period_of_the_current_year_is_partial() {
        assert_eq!(
            evidence_months(2026, p(2020, 1), d(2026, 3, 10)),
            vec![1, 2, 3]
        );
        // A year not begun, or the member introduced later: nothing.
        assert!(evidence_months(2027, p(2020, 1), d(2026, 3, 10)).is_empty());
        assert!(evidence_months(2025, p(2026, 1), d(2026, 3, 10)).is_empty());
    }

    #[test]
    fn period_across_december_and_january() {
        // Introduced in December: one month of the old year, then all of
        // January in the new one.
        assert_eq!(evidence_months(2026, p(2026, 12), d(2027, 1, 3)), vec![12]);
        assert_eq!(evidence_months(2027, p(2026, 12), d(2027, 1, 3)), vec![1]);
    }

    #[test]
    fn silence_and_risk_count_only_the_period() {
        let period = evidence_months(2026, p(2026, 11), d(2026, 12, 20));
        // Reports back to February: months before the introduction are
        // not silent, and do not fill the period.
        let active: BTreeSet<u32> = [2, 5].into_iter().collect();
        assert_eq!(trailing_silent(&period, &active), 2);
        let full: Vec<u32> = (1..=12).collect();
        assert_eq!(trailing_silent(&full, &active), 7);
        assert!(!year_at_risk(9, &full, &active));
        assert!(year_at_risk(9, &full, &[5].into_iter().collect()));
        assert!(!year_at_risk(8, &full, &BTreeSet::new()));
        assert!(!year_at_risk(9, &[8, 9], &BTreeSet::new()));
    }

    #[test]
    fn months_of_introduction() {
        let today = d(2026, 12, 1);
        assert_eq!(parse_intro_month("11/2026", today), Ok(p(2026, 11)));
        assert_eq!(parse_intro_month("3/2020", today), Ok(p(2020, 3)));
        assert_eq!(parse_intro_month("03-2020", today), Ok(p(2020, 3)));
        assert_eq!(
            parse_intro_month("01/2027", today),
            Err(IntroProblem::Future)
        );
        assert_eq!(
            parse_intro_month("11/2016", today),
            Err(IntroProblem::TooOld)
        );
        assert_eq!(parse_intro_month("12/2016", today), Ok(p(2016, 12)));
        // As a newcomer writes it.
        for (typed, month) in [
            ("11.2026", p(2026, 11)),
            ("11 2026", p(2026, 11)),
            ("2026-11", p(2026, 11)),
            ("tháng 11/2026", p(2026, 11)),
            ("Tháng 3 năm 2020", p(2020, 3)),
            ("thang 3-2020", p(2020, 3)),
            ("T11/2026", p(2026, 11)),
            ("t3/2020.", p(2020, 3)),
            ("Month 11/2026", p(2026, 11)),
            ("tháng này", p(2026, 12)),
            ("THANG NAY", p(2026, 12)),
            ("This month", p(2026, 12)),
            ("this month.", p(2026, 12)),
            ("Tháng này (11/2026)", p(2026, 11)),
            ("This month (11/2026)", p(2026, 11)),
        ] {
            assert_eq!(parse_intro_month(typed, today), Ok(month), "{typed}");
        }
        assert_eq!(
            parse_intro_month("tháng 1/2027", today),
            Err(IntroProblem::Future)
        );
        for bad in [
            "",
            "13/2026",
            "0/2026",
            "11/26",
            "tháng 11",
            "11/2026/1",
            "a/2026",
            "tháng này năm ngoái",
            "this month (soon)",
            "tháng sau",
            "T/2026",
            "ten/2026",
            "2026",
            "11 11 2026",
        ] {
            assert_eq!(
                parse_intro_month(bad, today),
                Err(IntroProblem::Unreadable),
                "{bad}"
            );
        }
    }
}
