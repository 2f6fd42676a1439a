//! Months, due times and silence: the rules behind reminders and digests.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How fast the outbox is sent: messages per second for what people wait
/// for and digests (`rate`), and for bulk rows, reminders and
/// announcements (`bulk_rate`: the same, or the paid broadcast rate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub rate: f64,
    pub bulk_rate: f64,
}

impl Pace {
    pub fn even(rate: f64) -> Self {
        Pace {
            rate,
            bulk_rate: rate,
        }
    }
}

/// When the sender is expected to send the last queued row of a broadcast,
/// starting `now`, with `urgent` rows of priority 0 and 1 and `bulk` rows
/// of priority 2 to send up to it (it included): the outbox is sent in
/// order of priority, then of queuing.
pub fn expected_finish(now: DateTime<Utc>, pace: Pace, urgent: i64, bulk: i64) -> DateTime<Utc> {
    let secs =
        urgent.max(0) as f64 / pace.rate.max(1e-9) + bulk.max(0) as f64 / pace.bulk_rate.max(1e-9);
    // A century is as good as never (and keeps the sum in range).
    now + Duration::milliseconds((secs.min(3.2e9) * 1000.0) as i64)
}

/// The instant the wall clocks of `tz` show `local`: the earlier of two
/// when clocks go back; when clocks go forward past it, the first quarter
/// hour after the gap (02:30 skipped → 03:00), never a day early or late.
pub fn instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    // Gaps are at most a few hours wide (most are one hour, some 30 min).
    (0..=16)
        .map(|quarters| local + Duration::minutes(15 * quarters))
        .find_map(|at| tz.from_local_datetime(&at).earliest())
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

/// The end of the local day `day` (the next midnight) in `tz`.
pub fn end_of_day(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let next = day
        .succ_opt()
        .unwrap_or(day)
        .and_hms_opt(0, 0, 0)
        .expect("midnight");
    instant(tz, next)
}

/// Whether a broadcast due on the local day `due` is expected to be sent
/// completely that day.
pub fn done_on_due_day(finish: DateTime<Utc>, due: NaiveDate, tz: Tz) -> bool {
    finish < end_of_day(due, tz)
}

/// A calendar month, the period reminders and digests are sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1..=12).contains(&month) && super::review_year::YEARS.contains(&year))
            .then_some(Period { year, month })
    }

    pub fn of(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Period> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        Period::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid period")
    }

    /// The first day of the next month (the exclusive end of this one).
    pub fn end(self) -> NaiveDate {
        self.first_day() + Months::new(1)
    }

    pub fn previous(self) -> Period {
        Period::of(self.first_day() - Months::new(1))
    }

    pub fn days(self) -> u32 {
        (self.end() - self.first_day()).num_days() as u32
    }

    /// mm/yyyy, as shown to users.
    pub fn display(self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }
}

impl fmt::Display for Period {
    /// `YYYY-MM`, as stored and typed by operators.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// When a month's reminders fall due: `day` (clamped to the month's last
/// day) at `hour`:00 local time.
pub fn due_at(period: Period, day: u32, hour: u32, tz: Tz) -> DateTime<Utc> {
    let day = day.clamp(1, period.days());
    let date = NaiveDate::from_ymd_opt(period.year, period.month, day).expect("clamped day");
    let local = date.and_hms_opt(hour.min(23), 0, 0).expect("valid hour");
    // Vietnam has no daylight saving; elsewhere see `instant`.
    instant(tz, local)
}

/// Consecutive silent months from which the digests name a member.
pub const LONG_SILENCE_MONTHS: u32 = 3;

/// Consecutive months, ending with `current`, in which a member had no
/// activity, counting only months since the member was `active_since` and
/// not `excused` (by an exemption).
pub fn silent_months(
    last_activity: Option<NaiveDate>,
    active_since: NaiveDate,
    current: Period,
    excused: impl Fn(Period) -> bool,
) -> u32 {
    let mut month = match last_activity {
        Some(last) if Period::of(last) >= Period::of(active_since) => Period::of(last).next_month(),
        _ => Period::of(active_since),
    };
    let mut months = 0;
    while month <= current {
        months += u32::from(!excused(month));
        month = month.next_month();
    }
    months
}

impl Period {
    fn next_month(self) -> Period {
        Period::of(self.end())
    }
}

/// How long a report may wait for a decision before the secretary is
/// reminded of it.
pub const STALE_AFTER_DAYS: i64 = 7;

pub fn is_stale(created_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - created_at > Duration::days(STALE_AFTER_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_due_hour_skipped_by_a_clock_change_falls_due_just_after_it_not_a_day_early() {
        let tz: Tz = "America/New_York".parse().unwrap();
        // 8 March 2026: 02:00–03:00 does not exist; 03:00 EDT is 07:00 UTC.
        let due = due_at(Period::new(2026, 3).unwrap(), 8, 2, tz);
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap());
        // Clocks going back: the earlier of the two 01:00s (EDT, 05:00 UTC).
        let due = due_at(Period::new(2026, 11).unwrap(), 1, 1, tz);
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 11, 1, 5, 0, 0).unwrap());
        // Half past two on the skipped night: three o'clock.
        let at = d(2026, 3, 8).and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            instant(tz, at),
            Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap()
        );
        // Vietnam: the plain offset.
        let vn: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        assert_eq!(
            instant(vn, at),
            Utc.with_ymd_and_hms(2026, 3, 7, 19, 30, 0).unwrap()
        );
    }

    #[test]
    fn a_round_s_expected_finish_counts_what_goes_first_at_its_own_pace() {
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        // 25 November, 08:00 in Vietnam (01:00 UTC).
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0).unwrap();
        let due = d(2026, 11, 25);
        // 50,000 digests and 600,000 reminders at 25/s: 26,000 s, 15:13.
        let finish = expected_finish(now, Pace::even(25.0), 50_000, 600_000);
        assert_eq!(finish, now + Duration::seconds(26_000));
        assert!(done_on_due_day(finish, due, tz));
        // A million reminders at 25/s: 42,000 s, 19:40 the same day; two
        // million: 82,000 s, the next morning.
        let million = expected_finish(now, Pace::even(25.0), 50_000, 1_000_000);
        assert!(done_on_due_day(million, due, tz));
        let late = expected_finish(now, Pace::even(25.0), 50_000, 2_000_000);
        assert!(!done_on_due_day(late, due, tz));
        // Paid broadcasts at 100/s take the bulk: 2,000 + 20,000 s.
        let paid = Pace {
            rate: 25.0,
            bulk_rate: 100.0,
        };
        let finish = expected_finish(now, paid, 50_000, 2_000_000);
        assert_eq!(finish, now + Duration::seconds(22_000));
        assert!(done_on_due_day(finish, due, tz));
        // The day ends at local midnight, 17:00 UTC.
        assert_eq!(
            end_of_day(due, tz),
            Utc.with_ymd_and_hms(2026, 11, 25, 17, 0, 0).unwrap()
        );
        assert!(!done_on_due_day(end_of_day(due, tz), due, tz));
        // Nothing left: now.
        assert_eq!(expected_finish(now, paid, 0, 0), now);
    }

    #[test]
    fn periods_parse_and_print() {
        let p = Period::parse("2026-11").unwrap();
        assert_eq!(p.to_string(), "2026-11");
        assert_eq!(p.display(), "11/2026");
        assert_eq!(p.first_day(), d(2026, 11, 1));
        assert_eq!(p.end(), d(2026, 12, 1));
        assert_eq!(p.previous(), Period::parse("2026-10").unwrap());
        assert_eq!(
            Period::parse("2026-01").unwrap().previous().to_string(),
            "2025-12"
        );
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "", "2026-00"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn due_time_is_local_and_clamped() {
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let p = Period::parse("2026-11").unwrap();
        assert_eq!(
            due_at(p, 25, 8, tz).to_rfc3339(),
            "2026-11-25T01:00:00+00:00"
        );
        let feb = Period::parse("2026-02").unwrap();
        assert_eq!(
            due_at(feb, 31, 8, tz).to_rfc3339(),
            "2026-02-28T01:00:00+00:00"
        );
    }

    #[test]
    fn silence_counts_whole_months_since_last_activity() {
        let nov = Period::parse("2026-11").unwrap();
        let long_ago = d(2025, 1, 1);
        assert_eq!(
            silent_months(Some(d(2026, 11, 3)), long_ago, nov, |_| false),
            0
        );
        assert_eq!(
            silent_months(Some(d(2026, 10, 30)), long_ago, nov, |_| false),
            1
        );
        assert_eq!(
            silent_months(Some(d(2026, 8, 1)), long_ago, nov, |_| false),
            3
        );
        assert_eq!(silent_months(None, d(2026, 9, 15), nov, |_| false), 3);
        assert_eq!(silent_months(None, d(2026, 11, 15), nov, |_| false), 1);
        // Activity before joining does not shorten the count.
        assert_eq!(
            silent_months(Some(d(2026, 1, 1)), d(2026, 10, 1), nov, |_| false),
            2
        );
        // Months an exemption excused are not silence.
        let excused = |m: Period| m == Period::parse("2026-10").unwrap();
        assert_eq!(
            silent_months(Some(d(2026, 8, 1)), long_ago, nov, excused),
            2
        );
    }

    #[test]
    fn stale_after_a_week() {
        let now = Utc::now();
        assert!(!is_stale(now - Duration::days(7), now));
        assert!(is_stale(
            now - Duration::days(7) - Duration::minutes(1),
            now
        ));
    }
}
