//! Comments on request: a workplace asks the residence cell for a comment
//! on a member "when needed" (Regulation 213, Art. 4; guidance 33 for
//! exempt members): the reason, the period the evidence is counted over,
//! the day it is due, and what the officer is shown of its progress.

use chrono::{Days, Months, NaiveDate};

use super::dates::{DateError, parse_dmy};

/// How many days ahead a comment may be asked for, at most.
pub const MAX_DUE_DAYS: u64 = 180;
/// A typed reason, at most this many characters.
pub const MAX_REASON_CHARS: usize = 500;
/// The longest period a comment may cover, in months.
pub const MAX_PERIOD_MONTHS: u32 = 60;

/// Why the workplace asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonKind {
    Appointment,
    Commendation,
    Discipline,
    Transfer,
    Other,
}

impl ReasonKind {
    pub const ALL: [ReasonKind; 5] = [
        ReasonKind::Appointment,
        ReasonKind::Commendation,
        ReasonKind::Discipline,
        ReasonKind::Transfer,
        ReasonKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::Appointment => "appointment",
            ReasonKind::Commendation => "commendation",
            ReasonKind::Discipline => "discipline",
            ReasonKind::Transfer => "transfer",
            ReasonKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ReasonKind> {
        ReasonKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a request stands, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    /// Sent to the cell; nobody has opened the draft yet.
    Requested,
    /// The secretary opened the draft (it may be with the member).
    Drafting,
    Signed,
    Cancelled,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Requested => "requested",
            RequestState::Drafting => "drafting",
            RequestState::Signed => "signed",
            RequestState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        Some(match s {
            "requested" => RequestState::Requested,
            "drafting" => RequestState::Drafting,
            "signed" => RequestState::Signed,
            "cancelled" => RequestState::Cancelled,
            _ => return None,
        })
    }

    /// Still waiting for a signature.
    pub fn is_open(self) -> bool {
        matches!(self, RequestState::Requested | RequestState::Drafting)
    }
}

/// What the officer's `/requests` shows for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Nobody opened it yet.
    Waiting,
    /// The cell is drafting it.
    Drafting,
    /// The draft is with the member.
    WithMember,
    /// Signed on that local date.
    Signed(NaiveDate),
    /// Not signed and the due day has passed.
    Overdue,
    /// Withdrawn by the workplace on that local date.
    Withdrawn(NaiveDate),
    /// Cancelled otherwise (the member's data was erased).
    Cancelled,
}

/// The progress of a request on `today`: `sheet_with_member` tells whether
/// its sheet is with the member, `signed_on` the local day it was signed,
/// `cancelled_on` the local day the workplace withdrew it.
pub fn progress(
    state: RequestState,
    sheet_with_member: bool,
    (signed_on, cancelled_on): (Option<NaiveDate>, Option<NaiveDate>),
    due: NaiveDate,
    today: NaiveDate,
) -> Progress {
    match state {
        RequestState::Signed => signed_on.map_or(Progress::Drafting, Progress::Signed),
        RequestState::Cancelled => cancelled_on.map_or(Progress::Cancelled, Progress::Withdrawn),
        _ if today > due => Progress::Overdue,
        RequestState::Requested => Progress::Waiting,
        RequestState::Drafting if sheet_with_member => Progress::WithMember,
        RequestState::Drafting => Progress::Drafting,
    }
}

/// Whether the workplace may still withdraw a request in this state: not
/// once signed or cancelled.
pub fn may_withdraw(state: RequestState) -> bool {
    state.is_open()
}

/// Whether an open request is past its due day on `today`.
pub fn is_overdue(state: RequestState, due: NaiveDate, today: NaiveDate) -> bool {
    state.is_open() && today > due
}

/// A wrong due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueError {
    Date(DateError),
    /// Today or earlier: the earliest day allowed.
    TooSoon {
        earliest: NaiveDate,
    },
    /// More than [`MAX_DUE_DAYS`] ahead: the latest day allowed.
    TooLate {
        latest: NaiveDate,
    },
}

/// The earliest and latest due day that may be asked for on `today`.
pub fn due_bounds(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        today.checked_add_days(Days::new(1)).unwrap_or(today),
        today
            .checked_add_days(Days::new(MAX_DUE_DAYS))
            .unwrap_or(today),
    )
}

/// A typed due date: `dd/mm/yyyy`, from tomorrow to [`MAX_DUE_DAYS`] ahead.
pub fn parse_due(input: &str, today: NaiveDate) -> Result<NaiveDate, DueError> {
    // Marks nobody sees, copied along with a date (a direction mark, a
    // zero-width space): the date is read as it reads.
    let input = super::text::visible(input);
    let input = input.as_str();
    let date = parse_dmy(input).map_err(DueError::Date)?;
    let (earliest, latest) = due_bounds(today);
    if date < earliest {
        return Err(DueError::TooSoon { earliest });
    }
    if date > latest {
        return Err(DueError::TooLate { latest });
    }
    Ok(date)
}

/// The default period: the last 12 months, ending today.
pub fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = today
        .checked_sub_months(Months::new(12))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(today);
    (from, today)
}

/// A wrong period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    /// Not two dates `dd/mm/yyyy - dd/mm/yyyy`.
    Format,
    /// Well formed, but a day that does not exist.
    Impossible,
    /// The first date is after the second.
    Reversed,
    /// It ends after today.
    Future,
    /// Longer than [`MAX_PERIOD_MONTHS`].
    TooLong,
}

/// A typed period `dd/mm/yyyy - dd/mm/yyyy` (any of `/ . -` inside a date,
/// a dash or en dash between the two), ending today at the latest.
pub fn parse_period(input: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), PeriodError> {
    // Marks nobody sees, copied along with a date (a direction mark, a
    // zero-width space): the date is read as it reads.
    let input = super::text::visible(input);
    let input = input.as_str();
    let parts: Vec<&str> = input
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '.' | '-' | '–' | '—'))
        .filter(|p| !p.is_empty())
        .collect();
    let [d1, m1, y1, d2, m2, y2] = parts.as_slice() else {
        return Err(PeriodError::Format);
    };
    let date = |d: &str, m: &str, y: &str| match parse_dmy(&format!("{d}/{m}/{y}")) {
        Ok(date) => Ok(date),
        Err(DateError::Impossible) => Err(PeriodError::Impossible),
        Err(_) => Err(PeriodError::Format),
    };
    let from = date(d1, m1, y1)?;
    let to = date(d2, m2, y2)?;
    if from > to {
        return Err(PeriodError::Reversed);
    }
    if to > today {
        return Err(PeriodError::Future);
    }
    if to
        .checked_sub_months(Months::new(MAX_PERIOD_MONTHS))
        .is_some_and(|limit| from <= limit)
    {
        return Err(PeriodError::TooLong);
    }
    Ok((from, to))
}

/// A typed reason for "Other": 1 to [`MAX_REASON_CHARS`] characters,
/// spacing tidied.
pub fn clean_reason(input: &str) -> Option<String> {
    let text = super::text::trim(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let count = text.chars().count();
    (1..=MAX_REASON_CHARS).contains(&count).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn due_dates_run_from_tomorrow_to_180_days() {
        let today = d(2027, 2, 10);
        assert_eq!(parse_due("11/02/2027", today), Ok(d(2027, 2, 11)));
        assert_eq!(parse_due("9/8/2027", today), Ok(d(2027, 8, 9)));
        assert_eq!(
            parse_due("10/02/2027", today),
            Err(DueError::TooSoon {
                earliest: d(2027, 2, 11)
            })
        );
        assert_eq!(
            parse_due("10/08/2027", today),
            Err(DueError::TooLate {
                latest: d(2027, 8, 9)
            })
        );
        assert_eq!(
            parse_due("30/02/2027", today),
            Err(DueError::Date(DateError::Impossible))
        );
        assert_eq!(
            parse_due("tomorrow", today),
            Err(DueError::Date(DateError::Format))
        );
    }

    #[test]
    fn periods_are_two_dates_ending_today_at_the_latest() {
        let today = d(2027, 2, 10);
        assert_eq!(default_period(today), (d(2026, 2, 11), today));
        assert_eq!(
            default_period(d(2028, 2, 29)),
            (d(2027, 3, 1), d(2028, 2, 29))
        );
        for typed in [
            "01/01/2026 - 31/12/2026",
            "1/1/2026-31/12/2026",
            "01.01.2026 – 31.12.2026",
            " 01-01-2026   31-12-2026 ",
        ] {
            assert_eq!(
                parse_period(typed, today),
                Ok((d(2026, 1, 1), d(2026, 12, 31))),
                "{typed}"
            );
        }
        assert_eq!(
            parse_period("31/12/2026 - 01/01/2026", today),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            parse_period("01/01/2027 - 11/02/2027", today),
            Err(PeriodError::Future)
        );
        assert_eq!(
            parse_period("31/02/2026 - 01/03/2026", today),
            Err(PeriodError::Impossible)
        );
        assert_eq!(parse_period("01/01/2026", today), Err(PeriodError::Format));
        assert_eq!(
            parse_period("01/01/26 - 01/02/26", today),
            Err(PeriodError::Format)
        );
        assert_eq!(
            parse_period("01/01/2020 - 01/01/2026", today),
            Err(PeriodError::TooLong)
        );
        assert_eq!(
            parse_period("02/01/2021 - 01/01/2026", today),
            Ok((d(2021, 1, 2), d(2026, 1, 1)))
        );
    }

    #[test]
    fn progress_names_overdue_until_signed() {
        let due = d(2027, 3, 1);
        use RequestState::*;
        assert_eq!(
            progress(Requested, false, (None, None), due, d(2027, 3, 1)),
            Progress::Waiting
        );
        assert_eq!(
            progress(Drafting, false, (None, None), due, d(2027, 2, 1)),
            Progress::Drafting
        );
        assert_eq!(
            progress(Drafting, true, (None, None), due, d(2027, 2, 1)),
            Progress::WithMember
        );
        assert_eq!(
            progress(Drafting, true, (None, None), due, d(2027, 3, 2)),
            Progress::Overdue
        );
        assert_eq!(
            progress(
                Signed,
                false,
                (Some(d(2027, 3, 5)), None),
                due,
                d(2027, 4, 1)
            ),
            Progress::Signed(d(2027, 3, 5))
        );
        // Withdrawn: never overdue, whatever the day.
        assert_eq!(
            progress(
                Cancelled,
                true,
                (None, Some(d(2027, 2, 3))),
                due,
                d(2027, 4, 1)
            ),
            Progress::Withdrawn(d(2027, 2, 3))
        );
        assert_eq!(
            progress(Cancelled, false, (None, None), due, d(2027, 4, 1)),
            Progress::Cancelled
        );
        assert!(may_withdraw(Requested) && may_withdraw(Drafting));
        assert!(!may_withdraw(Signed) && !may_withdraw(Cancelled));
        assert!(!is_overdue(Cancelled, due, d(2027, 3, 2)));
        assert!(is_overdue(Requested, due, d(2027, 3, 2)));
        assert!(!is_overdue(Signed, due, d(2027, 3, 2)));
        assert!(!is_overdue(Requested, due, due));
    }

    #[test]
    fn reasons_are_one_to_500_characters() {
        assert_eq!(
            clean_reason("  Bổ nhiệm   lại "),
            Some("Bổ nhiệm lại".into())
        );
        assert_eq!(clean_reason("   "), None);
        assert!(clean_reason(&"ê".repeat(500)).is_some());
        assert!(clean_reason(&"ê".repeat(501)).is_none());
        for k in ReasonKind::ALL {
            assert_eq!(ReasonKind::parse(k.as_str()), Some(k));
        }
        for s in [
            RequestState::Requested,
            RequestState::Drafting,
            RequestState::Signed,
            RequestState::Cancelled,
        ] {
            assert_eq!(RequestState::parse(s.as_str()), Some(s));
        }
    }
}
