//! Dates as members type them (dd/mm/yyyy) and the window a report may fall in.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Tz;

/// How far back an activity may be reported.
pub const REPORT_WINDOW_MONTHS: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form dd/mm/yyyy.
    Format,
    /// Well formed but no such day (31/02/2026).
    Impossible,
    /// After today.
    Future,
    /// Earlier than the reporting window allows.
    TooOld { earliest: NaiveDate },
    /// Today or Yesterday (pressed or typed) in answer to a question shown
    /// on `asked`, another day than `today`: which day is meant cannot be
    /// told (a question seen at 23:58 and answered after midnight, or left
    /// open for days), so the question is asked anew.
    AskedOn { asked: NaiveDate, today: NaiveDate },
}

/// Parses `dd/mm/yyyy` (also `d/m/yyyy`, with `/`, `.` or `-` between parts).
pub fn parse_dmy(input: &str) -> Result<NaiveDate, DateError> {
    let parts: Vec<&str> = input.trim().split(['/', '.', '-']).collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(DateError::Format);
    };
    let digits = |s: &str, max_len: usize| {
        !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(d, 2) || !digits(m, 2) || y.len() != 4 || !digits(y, 4) {
        return Err(DateError::Format);
    }
    let (d, m, y): (u32, u32, i32) = (
        d.parse().map_err(|_| DateError::Format)?,
        m.parse().map_err(|_| DateError::Format)?,
        y.parse().map_err(|_| DateError::Format)?,
    );
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::Impossible)
}

/// The earliest date a report made on `today` may carry.
pub fn earliest_report_date(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(REPORT_WINDOW_MONTHS))
        .unwrap_or(NaiveDate::MIN)
}

/// Checks that an activity date lies in the reporting window ending today.
pub fn check_report_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DateError> {
    check_report_date_from(date, today, earliest_report_date(today))
}

/// [`check_report_date`] with the window starting on `earliest` (earlier
/// than 12 months back while last year's comment sheets are still open:
/// `ReviewWindow::earliest_report_date`).
pub fn check_report_date_from(
    date: NaiveDate,
    today: NaiveDate,
    earliest: NaiveDate,
) -> Result<NaiveDate, DateError> {
    if date > today {
        return Err(DateError::Future);
    }
    if date < earliest {
        return Err(DateError::TooOld { earliest });
    }
    Ok(date)
}

/// Parses and checks a typed activity date: dd/mm/yyyy; dd/mm, the last
/// such day up to today; or the words of the Today and Yesterday buttons,
/// typed instead of pressed (either language, accents optional).
pub fn parse_report_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    parse_report_date_from(input, today, earliest_report_date(today))
}

/// [`parse_report_date`] with the window starting on `earliest`.
pub fn parse_report_date_from(
    input: &str,
    today: NaiveDate,
    earliest: NaiveDate,
) -> Result<NaiveDate, DateError> {
    parse_report_date_asked(input, today, today, earliest)
}

/// [`parse_report_date_from`] for an answer to a question shown on
/// `asked`: "today" and "yesterday" are refused with
/// [`DateError::AskedOn`] when that was another day; dates, and the
/// window, count from `today`.
pub fn parse_report_date_asked(
    input: &str,
    asked: NaiveDate,
    today: NaiveDate,
    earliest: NaiveDate,
) -> Result<NaiveDate, DateError> {
    // Marks nobody sees, copied along with a date (a direction mark, a
    // zero-width space): the date is read as it reads.
    let input = super::text::visible(input);
    let input = input.as_str();
    let date = match days_back(input) {
        Some(_) if asked != today => return Err(DateError::AskedOn { asked, today }),
        Some(back) => today - chrono::Days::new(back),
        None => match recent_day_month(input, today) {
            Some(date) => date?,
            None => parse_dmy(input)?,
        },
    };
    check_report_date_from(date, today, earliest)
}

/// "hôm nay" / "today" is 0 days back, "hôm qua" / "yesterday" one.
fn days_back(input: &str) -> Option<u64> {
    match super::membership::name_fold(input).as_str() {
        "hom nay" | "today" => Some(0),
        "hom qua" | "yesterday" => Some(1),
        _ => None,
    }
}

/// The day and month of `dd/mm` (`d/m`, or with `.` or `-`) typed without
/// a year; `None` if the input is not of that form (the day and month are
/// not checked against the calendar: the year is the caller's choice).
pub fn day_month(input: &str) -> Option<(u32, u32)> {
    let parts: Vec<&str> = input.trim().split(['/', '.', '-']).collect();
    let [d, m] = parts.as_slice() else {
        return None;
    };
    let small = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !small(d) || !small(m) {
        return None;
    }
    Some((d.parse().ok()?, m.parse().ok()?))
}

/// `dd/mm` without a year: that day this year, or last year if it is still
/// to come. `None` if the input is not of that form.
fn recent_day_month(input: &str, today: NaiveDate) -> Option<Result<NaiveDate, DateError>> {
    let (d, m) = day_month(input)?;
    let on = |year: i32| NaiveDate::from_ymd_opt(year, m, d);
    Some(match (on(today.year()), on(today.year() - 1)) {
        (Some(date), _) if date <= today => Ok(date),
        (_, Some(date)) => Ok(date),
        // 29/02 typed before this leap year's: last year had none.
        (Some(_), None) => Err(DateError::Future),
        (None, None) => Err(DateError::Impossible),
    })
}

/// dd/mm/yyyy, the way dates are written in Vietnam.
pub fn format_dmy(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// dd/mm/yyyy HH:MM in the time zone `tz`.
pub fn format_dmy_hm(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string()
}

/// The first day of the year that contains `date`.
pub fn year_start(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("1 January exists")
}

/// The first day of the month that contains `date`.
pub fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("day 1 exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_dates_without_a_year_or_in_words() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 3).unwrap();
        let day = |y, m, d| Ok(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(parse_report_date("hôm nay", today), day(2026, 1, 3));
        assert_eq!(parse_report_date(" Hôm Qua ", today), day(2026, 1, 2));
        assert_eq!(parse_report_date("hom qua", today), day(2026, 1, 2));
        assert_eq!(parse_report_date("Yesterday", today), day(2026, 1, 2));
        assert_eq!(parse_report_date("TODAY", today), day(2026, 1, 3));
        // This year's day if it has come, else last year's (across January).
        assert_eq!(parse_report_date("2/1", today), day(2026, 1, 2));
        assert_eq!(parse_report_date("03/01", today), day(2026, 1, 3));
        assert_eq!(parse_report_date("4/1", today), day(2025, 1, 4));
        assert_eq!(parse_report_date("31.12", today), day(2025, 12, 31));
        assert_eq!(parse_report_date("15-11", today), day(2025, 11, 15));
        assert_eq!(
            parse_report_date("31/02", today),
            Err(DateError::Impossible)
        );
        // 29 February: this year's has not come, last year had none.
        let leap = NaiveDate::from_ymd_opt(2028, 2, 28).unwrap();
        assert_eq!(parse_report_date("29/02", leap), Err(DateError::Future));
        let after = NaiveDate::from_ymd_opt(2028, 3, 1).unwrap();
        assert_eq!(parse_report_date("29/2", after), day(2028, 2, 29));
        // Asked on 31/12/2025, answered on 03/01/2026: Today and Yesterday
        // cannot be told, dates can.
        let asked = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let words = |input| parse_report_date_asked(input, asked, today, d(2025, 1, 1));
        let another_day = Err(DateError::AskedOn { asked, today });
        assert_eq!(words("hôm nay"), another_day);
        assert_eq!(words("Yesterday"), another_day);
        assert_eq!(words("31/12"), day(2025, 12, 31));
        let same_day = |input| parse_report_date_asked(input, today, today, d(2025, 1, 1));
        assert_eq!(same_day("hôm qua"), day(2026, 1, 2));
        for bad in ["1/1/26", "hôm kia", "1/", "/1", "123/1", "ngày 1/1"] {
            assert_eq!(
                parse_report_date(bad, today),
                Err(DateError::Format),
                "{bad}"
            );
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(parse_dmy("05/11/2026"), Ok(d(2026, 11, 5)));
        assert_eq!(parse_dmy(" 5/1/2026 "), Ok(d(2026, 1, 5)));
        assert_eq!(parse_dmy("05.11.2026"), Ok(d(2026, 11, 5)));
        assert_eq!(parse_dmy("05-11-2026"), Ok(d(2026, 11, 5)));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "hôm qua",
            "2026-11-05x",
            "5/11/26",
            "05/11",
            "a/b/cccc",
            "1/1/1/2026",
            "123/1/2026",
        ] {
            assert_eq!(parse_dmy(bad), Err(DateError::Format), "{bad}");
        }
    }

    #[test]
    fn rejects_impossible_days() {
        assert_eq!(parse_dmy("31/02/2026"), Err(DateError::Impossible));
        assert_eq!(parse_dmy("29/02/2026"), Err(DateError::Impossible));
        assert_eq!(parse_dmy("29/02/2028"), Ok(d(2028, 2, 29)));
        assert_eq!(parse_dmy("00/01/2026"), Err(DateError::Impossible));
        assert_eq!(parse_dmy("10/13/2026"), Err(DateError::Impossible));
    }

    #[test]
    fn window_is_twelve_months_back_to_today() {
        let today = d(2026, 11, 28);
        assert_eq!(parse_report_date("28/11/2026", today), Ok(today));
        assert_eq!(
            parse_report_date("29/11/2026", today),
            Err(DateError::Future)
        );
        assert_eq!(parse_report_date("28/11/2025", today), Ok(d(2025, 11, 28)));
        assert_eq!(
            parse_report_date("27/11/2025", today),
            Err(DateError::TooOld {
                earliest: d(2025, 11, 28)
            })
        );
    }

    #[test]
    fn formats_day_first() {
        assert_eq!(format_dmy(d(2026, 3, 7)), "07/03/2026");
        assert_eq!(year_start(d(2026, 3, 7)), d(2026, 1, 1));
        assert_eq!(month_start(d(2026, 3, 7)), d(2026, 3, 1));
    }
}
