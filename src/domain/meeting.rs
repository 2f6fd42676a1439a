//! Residence meetings: kinds, when they may be called, the check-in window,
//! the register's correction period, attendance and the twice-yearly rule.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How far ahead a meeting may be called.
pub const MAX_DAYS_AHEAD: i64 = 90;
/// The agenda's length, in characters.
pub const AGENDA_MAX: usize = 1000;
/// The place's length, in characters.
pub const PLACE_MAX: usize = 200;
/// Check-in opens this long before the start…
pub const CHECKIN_BEFORE_MIN: i64 = 60;
/// …and closes this long after it.
pub const CHECKIN_AFTER_HOURS: i64 = 4;
/// The register can be corrected for this many days after the meeting.
pub const CORRECTION_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    /// The six-monthly meeting of the cell with its working members.
    Periodic,
    /// Another meeting called by the cell.
    Cell,
    /// The residents' meeting of the street group.
    Residents,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 3] = [
        MeetingKind::Periodic,
        MeetingKind::Cell,
        MeetingKind::Residents,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Periodic => "periodic",
            MeetingKind::Cell => "cell",
            MeetingKind::Residents => "residents",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The activity kind (its code in `activity_kinds`) recorded for those
    /// present: duty 3 for the cell's meetings, duty 4 for residents'.
    pub fn activity_code(self) -> &'static str {
        match self {
            MeetingKind::Periodic | MeetingKind::Cell => "cell_meeting",
            MeetingKind::Residents => "residents_meeting",
        }
    }

    /// Counts towards the "tham gia sinh hoạt" criterion of the sheet.
    pub fn is_cell_meeting(self) -> bool {
        !matches!(self, MeetingKind::Residents)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStatus {
    Scheduled,
    Cancelled,
}

impl MeetingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingStatus> {
        match s {
            "scheduled" => Some(MeetingStatus::Scheduled),
            "cancelled" => Some(MeetingStatus::Cancelled),
            _ => None,
        }
    }
}

/// A member's answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Attend,
    Decline,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Attend => "attend",
            Answer::Decline => "decline",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "attend" => Some(Answer::Attend),
            "decline" => Some(Answer::Decline),
            _ => None,
        }
    }
}

/// A member's attendance in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    Present,
    Excused,
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::Present, Attendance::Excused, Attendance::Absent];

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Excused => "excused",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(s: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The next state when the secretary presses a member's toggle.
    pub fn next(self) -> Attendance {
        match self {
            Attendance::Present => Attendance::Excused,
            Attendance::Excused => Attendance::Absent,
            Attendance::Absent => Attendance::Present,
        }
    }

    /// The register's first guess: excused for those who said they cannot
    /// come, or who are exempt (informed, not required), present for those
    /// who checked in, absent otherwise.
    pub fn prefill(answer: Option<Answer>, checked_in: bool, exempt: bool) -> Attendance {
        if checked_in {
            Attendance::Present
        } else if exempt || answer == Some(Answer::Decline) {
            Attendance::Excused
        } else {
            Attendance::Absent
        }
    }
}

/// Why a typed start time is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartError {
    /// Not `dd/mm/yyyy hh:mm`.
    Format,
    /// No such day or time (31/02, 25:00), or a local time that does not exist.
    Impossible,
    /// Not in the future.
    Past,
    /// More than [`MAX_DAYS_AHEAD`] days ahead.
    TooFar,
}

/// Parses a start typed as `dd/mm/yyyy hh:mm` (local time in `tz`) and
/// checks that it is in the future and within [`MAX_DAYS_AHEAD`] days of
/// `now`. Also as people write it: the time first ("19h30 ngày
/// 25/11/2026"), "lúc"/"ngày"/"at"/"on" between, `19h`, `19h30`, `19g30`, `19.30`,
/// and `dd/mm` without the year (the next such day from today on).
pub fn parse_start(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, StartError> {
    // Marks nobody sees, copied along with a date (a direction mark, a
    // zero-width space): the date is read as it reads.
    let input = super::text::visible(input);
    let input = input.as_str();
    let words: Vec<&str> = input
        .split_whitespace()
        .filter(|w| {
            !matches!(
                super::membership::name_fold(w).trim_end_matches(','),
                "luc" | "ngay" | "at" | "on"
            )
        })
        .map(|w| w.trim_end_matches(','))
        .collect();
    let [first, second] = words.as_slice() else {
        return Err(StartError::Format);
    };
    let today = now.with_timezone(&tz).date_naive();
    let read = |date: &str, time: &str| -> Result<DateTime<Utc>, StartError> {
        let date = parse_meeting_day(date, today)?;
        let time = parse_hm(time)?;
        let local = tz
            .from_local_datetime(&NaiveDateTime::new(date, time))
            .earliest()
            .ok_or(StartError::Impossible)?;
        let at = local.with_timezone(&Utc);
        check_start(at, now)?;
        Ok(at)
    };
    // The date is the word with a '/' or a year ("05.12.2026"), the time the
    // one with ':' or 'h'; failing both ("20.01 05.12"), whichever order
    // reads, and when both do, it is not clear which is meant: asked again.
    let date_like = |w: &str| w.contains('/') || w.matches(['.', '-']).count() == 2;
    let time_like = |w: &str| w.contains(':') || w.contains(['h', 'H', 'g', 'G']);
    let date_first =
        (date_like(first) && !date_like(second)) || (time_like(second) && !time_like(first));
    let time_first =
        (date_like(second) && !date_like(first)) || (time_like(first) && !time_like(second));
    match (date_first, time_first) {
        (true, false) => read(first, second),
        (false, true) => read(second, first),
        _ => match (read(first, second), read(second, first)) {
            (Ok(a), Ok(b)) if a != b => Err(StartError::Format),
            (Ok(at), _) | (_, Ok(at)) => Ok(at),
            (Err(err), _) => Err(err),
        },
    }
}

/// `dd/mm/yyyy`, or `dd/mm`: that day this year if it is not past, else
/// next year's if a meeting can be called that far ahead (02/01 typed on
/// 31/12); a day of this year gone by is past, not "too far ahead" (29/02
/// typed on 01/03 of a leap year, yesterday's date).
fn parse_meeting_day(input: &str, today: NaiveDate) -> Result<NaiveDate, StartError> {
    if let Some((d, m)) = super::dates::day_month(input) {
        let on = |year: i32| NaiveDate::from_ymd_opt(year, m, d);
        let horizon = today + Duration::days(MAX_DAYS_AHEAD);
        return match (on(today.year()), on(today.year() + 1)) {
            (Some(date), _) if date >= today => Ok(date),
            (_, Some(date)) if date <= horizon => Ok(date),
            (Some(_), _) => Err(StartError::Past),
            // 29/02 typed in a year without one: next year's, if it is a
            // leap year (checked against the horizon by the caller).
            (None, Some(date)) => Ok(date),
            (None, None) => Err(StartError::Impossible),
        };
    }
    super::dates::parse_dmy(input).map_err(|e| match e {
        super::dates::DateError::Impossible => StartError::Impossible,
        _ => StartError::Format,
    })
}

/// A start time must be in the future and within [`MAX_DAYS_AHEAD`] days.
pub fn check_start(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), StartError> {
    if at <= now {
        Err(StartError::Past)
    } else if at > now + Duration::days(MAX_DAYS_AHEAD) {
        Err(StartError::TooFar)
    } else {
        Ok(())
    }
}

/// `hh:mm`, `hh.mm`, `hhhmm` (19h30) or `hhh` (19h).
fn parse_hm(s: &str) -> Result<NaiveTime, StartError> {
    // "19g30": g for giờ, as official notices write the hour.
    let (h, m) = s
        .split_once([':', 'h', 'H', 'g', 'G', '.'])
        .ok_or(StartError::Format)?;
    let m = match m {
        "" if s.ends_with(['h', 'H', 'g', 'G']) => "0",
        m => m,
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(StartError::Format);
    }
    let (h, m): (u32, u32) = (
        h.parse().map_err(|_| StartError::Format)?,
        m.parse().map_err(|_| StartError::Format)?,
    );
    NaiveTime::from_hms_opt(h, m, 0).ok_or(StartError::Impossible)
}

/// `dd/mm/yyyy hh:mm` in `tz`.
pub fn format_start(at: DateTime<Utc>, tz: Tz) -> String {
    super::dates::format_dmy_hm(at, tz)
}

/// The local date of the meeting.
pub fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// Where `now` stands against the check-in window of a meeting starting at
/// `starts_at`: from [`CHECKIN_BEFORE_MIN`] minutes before to
/// [`CHECKIN_AFTER_HOURS`] hours after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Before,
    Open,
    After,
}

pub fn checkin_window(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Window {
    if now < starts_at - Duration::minutes(CHECKIN_BEFORE_MIN) {
        Window::Before
    } else if now <= checkin_closes(starts_at) {
        Window::Open
    } else {
        Window::After
    }
}

/// When the check-in of a meeting starting at `starts_at` closes: members
/// approved into the cell until then belong in its register.
pub fn checkin_closes(starts_at: DateTime<Utc>) -> DateTime<Utc> {
    starts_at + Duration::hours(CHECKIN_AFTER_HOURS)
}

/// Until when the register may be corrected: [`CORRECTION_DAYS`] days after
/// the meeting's start.
pub fn correctable_until(starts_at: DateTime<Utc>) -> DateTime<Utc> {
    starts_at + Duration::days(CORRECTION_DAYS)
}

/// Answers can be given or changed until the meeting starts.
pub fn may_answer(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < starts_at
}

/// The register can be opened once check-in opens (members may come
/// without scanning) and corrected until [`correctable_until`].
pub fn may_keep_register(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    checkin_window(starts_at, now) != Window::Before && now <= correctable_until(starts_at)
}

/// The day-before reminder is due from `hour` o'clock local time of the day
/// before the meeting (or at once for a meeting called later than that),
/// and only while the meeting has not started.
pub fn reminder_due(starts_at: DateTime<Utc>, hour: u32, tz: Tz, now: DateTime<Utc>) -> bool {
    if now >= starts_at {
        return false;
    }
    let day_before = local_date(starts_at, tz) - Duration::days(1);
    let at = NaiveDateTime::new(
        day_before,
        NaiveTime::from_hms_opt(hour.min(23), 0, 0).expect("valid hour"),
    );
    now >= super::schedule::instant(tz, at)
}

/// From this local hour until the morning's reminder hour it is night: a
/// reminder to the committee that falls due then waits for the morning.
pub const NIGHT_FROM_HOUR: u32 = 21;

/// When the committee is reminded of a register left open: when the
/// check-in ends ([`checkin_closes`]), or, if that is at night (from
/// [`NIGHT_FROM_HOUR`] to `hour` local time), at `hour` the morning after
/// (a meeting on the evening of 31 December: 08:00 on 1 January).
pub fn register_reminder_at(starts_at: DateTime<Utc>, hour: u32, tz: Tz) -> DateTime<Utc> {
    use chrono::Timelike;
    let closes = checkin_closes(starts_at);
    let morning = hour.min(23);
    // A reminder hour in the evening leaves no night.
    if morning >= NIGHT_FROM_HOUR {
        return closes;
    }
    let local = closes.with_timezone(&tz);
    let day = if local.hour() >= NIGHT_FROM_HOUR {
        local.date_naive() + Duration::days(1)
    } else if local.hour() < morning {
        local.date_naive()
    } else {
        return closes;
    };
    let at = NaiveDateTime::new(
        day,
        NaiveTime::from_hms_opt(morning, 0, 0).expect("valid hour"),
    );
    super::schedule::instant(tz, at).max(closes)
}

/// A half of the year: January–June (1) or July–December (2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Half {
    pub year: i32,
    pub half: u8,
}

impl Half {
    pub fn of(date: NaiveDate) -> Half {
        Half {
            year: date.year(),
            half: if date.month() <= 6 { 1 } else { 2 },
        }
    }

    pub fn first_day(self) -> NaiveDate {
        let month = if self.half == 1 { 1 } else { 7 };
        NaiveDate::from_ymd_opt(self.year, month, 1).expect("valid date")
    }

    /// The first day after the half.
    pub fn end(self) -> NaiveDate {
        if self.half == 1 {
            NaiveDate::from_ymd_opt(self.year, 7, 1).expect("valid date")
        } else {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1).expect("valid date")
        }
    }

    /// From its fifth month (May, November), a half without a periodic
    /// meeting held or scheduled is worth a word to the secretary.
    pub fn late(today: NaiveDate) -> bool {
        matches!(today.month(), 5 | 6 | 11 | 12)
    }
}

/// The level of the "tham gia sinh hoạt" criterion (0 best … 2 worst)
/// suggested from the cell's meetings of the year: all attended → 0, some →
/// 1, none of at least one → 2. No meeting held: no suggestion from
/// attendance.
pub fn suggest_meetings_level(attended: u32, held: u32) -> Option<u8> {
    if held == 0 {
        None
    } else if attended >= held {
        Some(0)
    } else if attended > 0 {
        Some(1)
    } else {
        Some(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    const TZ: Tz = chrono_tz::Asia::Ho_Chi_Minh;

    #[test]
    fn start_is_parsed_in_local_time_and_checked() {
        let now = utc(2026, 12, 1, 1, 0); // 08:00 in Hà Nội
        assert_eq!(
            parse_start("05/12/2026 19:30", now, TZ),
            Ok(utc(2026, 12, 5, 12, 30))
        );
        assert_eq!(
            parse_start("5/12/2026 7h30", now, TZ),
            Ok(utc(2026, 12, 5, 0, 30))
        );
        assert_eq!(parse_start("05/12/2026", now, TZ), Err(StartError::Format));
        assert_eq!(
            parse_start("tomorrow 19:30", now, TZ),
            Err(StartError::Format)
        );
        assert_eq!(
            parse_start("31/02/2027 19:30", now, TZ),
            Err(StartError::Impossible)
        );
        assert_eq!(
            parse_start("05/12/2026 25:00", now, TZ),
            Err(StartError::Impossible)
        );
        assert_eq!(
            parse_start("01/12/2026 07:59", now, TZ),
            Err(StartError::Past)
        );
        assert_eq!(
            parse_start("01/12/2026 08:00", now, TZ),
            Err(StartError::Past)
        );
        assert!(parse_start("01/03/2027 08:00", now, TZ).is_ok(), "90 days");
        assert_eq!(
            parse_start("01/03/2027 08:01", now, TZ),
            Err(StartError::TooFar)
        );
        // As people write it.
        for typed in [
            "19h30 ngày 05/12/2026",
            "19:30, 5/12/2026",
            "05/12 19h30",
            "lúc 19h30 ngày 5/12",
            "at 19.30 on 05/12",
            "5-12 19:30",
            // The time first, with a date of dots or dashes.
            "19.30 05.12.2026",
            "19h30 ngày 05-12-2026",
            "19:30 05.12",
            "05.12.2026 19.30",
            "19.30 05-12-2026",
        ] {
            assert_eq!(
                parse_start(typed, now, TZ),
                Ok(utc(2026, 12, 5, 12, 30)),
                "{typed}"
            );
        }
        assert_eq!(
            parse_start("05/12/2026 19h", now, TZ),
            Ok(utc(2026, 12, 5, 12, 0))
        );
        // Which is the date and which the time is not clear: asked again
        // (20/01 at 05:12, or 05/12 at 20:01?).
        assert_eq!(parse_start("20.01 05.12", now, TZ), Err(StartError::Format));
        for bad in [
            "05/12/2026 h",
            "19h30",
            "05/12 19h30 thứ bảy",
            "5/12/2026 5/12",
            "ngày 19h30",
        ] {
            assert_eq!(parse_start(bad, now, TZ), Err(StartError::Format), "{bad}");
        }
        // dd/mm: today's is this year's; a day gone by is next year's.
        assert_eq!(
            parse_start("01/12 20:00", now, TZ),
            Ok(utc(2026, 12, 1, 13, 0))
        );
        assert_eq!(parse_start("01/12 07:00", now, TZ), Err(StartError::Past));
        assert_eq!(
            parse_start("02/01 08:00", utc(2026, 12, 31, 16, 0), TZ),
            Ok(utc(2027, 1, 2, 1, 0))
        );
        // A day gone by this year is past, not next year's, too far ahead.
        assert_eq!(parse_start("30/11 19:00", now, TZ), Err(StartError::Past));
        let leap_day_after = utc(2028, 3, 1, 3, 0);
        assert_eq!(
            parse_start("29/02 19:00", leap_day_after, TZ),
            Err(StartError::Past)
        );
        assert_eq!(
            parse_start("28/02 19:00", leap_day_after, TZ),
            Err(StartError::Past)
        );
        assert_eq!(
            parse_start("29/02 19:00", utc(2028, 2, 20, 3, 0), TZ),
            Ok(utc(2028, 2, 29, 12, 0))
        );
        assert_eq!(
            parse_start("31/02 19:00", now, TZ),
            Err(StartError::Impossible)
        );
        // Across the new year.
        assert_eq!(
            parse_start("02/01/2027 08:00", utc(2026, 12, 31, 16, 0), TZ),
            Ok(utc(2027, 1, 2, 1, 0))
        );
    }

    #[test]
    fn checkin_window_and_register() {
        let start = utc(2026, 12, 5, 12, 0);
        assert_eq!(
            checkin_window(start, utc(2026, 12, 5, 10, 59)),
            Window::Before
        );
        assert_eq!(checkin_window(start, utc(2026, 12, 5, 11, 0)), Window::Open);
        assert_eq!(checkin_window(start, utc(2026, 12, 5, 16, 0)), Window::Open);
        assert_eq!(
            checkin_window(start, utc(2026, 12, 5, 16, 1)),
            Window::After
        );
        assert!(!may_keep_register(start, utc(2026, 12, 5, 10, 0)));
        assert!(may_keep_register(start, utc(2026, 12, 12, 12, 0)));
        assert!(!may_keep_register(start, utc(2026, 12, 12, 12, 1)));
        assert!(may_answer(start, utc(2026, 12, 5, 11, 59)));
        assert!(!may_answer(start, start));
    }

    #[test]
    fn reminder_the_day_before_at_the_hour() {
        // 05/12 19:00 local; reminders at 08:00 local on 04/12 (01:00 UTC).
        let start = utc(2026, 12, 5, 12, 0);
        assert!(!reminder_due(start, 8, TZ, utc(2026, 12, 4, 0, 59)));
        assert!(reminder_due(start, 8, TZ, utc(2026, 12, 4, 1, 0)));
        assert!(reminder_due(start, 8, TZ, utc(2026, 12, 5, 11, 0)));
        assert!(!reminder_due(start, 8, TZ, start), "too late once started");
        // On 1 January: the day before is 31 December.
        let start = utc(2027, 1, 1, 2, 0);
        assert!(reminder_due(start, 8, TZ, utc(2026, 12, 31, 1, 0)));
        assert!(!reminder_due(start, 8, TZ, utc(2026, 12, 30, 23, 0)));
    }

    #[test]
    fn a_register_left_open_at_night_is_reminded_in_the_morning() {
        // 31/12 19:30 local: the check-in ends at 23:30; reminded at 08:00
        // on 01/01 (01:00 UTC).
        let start = utc(2026, 12, 31, 12, 30);
        assert_eq!(register_reminder_at(start, 8, TZ), utc(2027, 1, 1, 1, 0));
        // 31/12 23:30 local: the check-in ends at 03:30 on 01/01.
        let start = utc(2026, 12, 31, 16, 30);
        assert_eq!(register_reminder_at(start, 8, TZ), utc(2027, 1, 1, 1, 0));
        // 09:30 local: at 13:30, when the check-in ends.
        let start = utc(2026, 12, 2, 2, 30);
        assert_eq!(register_reminder_at(start, 8, TZ), checkin_closes(start));
        // 16:59 local: at 20:59, still evening.
        let start = utc(2026, 12, 2, 9, 59);
        assert_eq!(register_reminder_at(start, 8, TZ), checkin_closes(start));
        // 04:30 local (ends 08:30, after the hour): at once.
        let start = utc(2026, 12, 1, 21, 30);
        assert_eq!(register_reminder_at(start, 8, TZ), checkin_closes(start));
        // A reminder hour of 22: no night.
        let start = utc(2026, 12, 31, 12, 30);
        assert_eq!(register_reminder_at(start, 22, TZ), checkin_closes(start));
    }

    #[test]
    fn halves() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            Half::of(d(2026, 6, 30)),
            Half {
                year: 2026,
                half: 1
            }
        );
        assert_eq!(
            Half::of(d(2026, 7, 1)),
            Half {
                year: 2026,
                half: 2
            }
        );
        assert_eq!(Half::of(d(2026, 12, 31)).end(), d(2027, 1, 1));
        assert_eq!(Half::of(d(2026, 2, 1)).first_day(), d(2026, 1, 1));
        assert!(!Half::late(d(2026, 4, 30)));
        assert!(Half::late(d(2026, 5, 1)));
        assert!(Half::late(d(2026, 11, 25)));
        assert!(!Half::late(d(2027, 1, 25)));
    }

    #[test]
    fn attendance() {
        assert_eq!(suggest_meetings_level(0, 0), None);
        assert_eq!(suggest_meetings_level(2, 2), Some(0));
        assert_eq!(suggest_meetings_level(1, 2), Some(1));
        assert_eq!(suggest_meetings_level(0, 1), Some(2));
        assert_eq!(
            Attendance::prefill(Some(Answer::Decline), false, false),
            Attendance::Excused
        );
        assert_eq!(
            Attendance::prefill(Some(Answer::Decline), true, false),
            Attendance::Present
        );
        assert_eq!(Attendance::prefill(None, false, false), Attendance::Absent);
        // An exempt member who did not come is not "absent".
        assert_eq!(Attendance::prefill(None, false, true), Attendance::Excused);
        assert_eq!(Attendance::prefill(None, true, true), Attendance::Present);
        let mut a = Attendance::Present;
        for _ in 0..3 {
            a = a.next();
        }
        assert_eq!(a, Attendance::Present);
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MeetingKind::parse("x"), None);
    }
}
