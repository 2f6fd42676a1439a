//! The annual comment sheet: its six criteria, what the evidence suggests,
//! who may sign when, and the verification code.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::schedule::Period;

/// The six criteria of the sheet, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Criterion {
    /// Sets an example (nêu gương).
    Example,
    /// Exemplary civic conduct (gương mẫu).
    Civic,
    /// Attends meetings (tham gia sinh hoạt).
    Meetings,
    /// Keeps contact (giữ mối liên hệ).
    Contact,
    /// Takes part in local movements (tham gia phong trào).
    Movements,
    /// Recommendation (đề nghị).
    Recommendation,
}

impl Criterion {
    pub const ALL: [Criterion; 6] = [
        Criterion::Example,
        Criterion::Civic,
        Criterion::Meetings,
        Criterion::Contact,
        Criterion::Movements,
        Criterion::Recommendation,
    ];

    pub fn index(self) -> usize {
        Criterion::ALL
            .iter()
            .position(|c| *c == self)
            .expect("listed")
    }
}

/// Each criterion has three levels: 0 is the best, 2 the worst
/// (for the recommendation: commend / none / consider discipline).
pub const LEVELS: usize = 3;

/// The chosen level of each criterion, `None` where nothing is chosen yet.
pub type Levels = [Option<u8>; 6];

/// A month of a period spanning years, as the evidence of a comment on
/// request keys it: `yyyymm` (a yearly sheet keys its months 1 to 12).
pub fn month_key(year: i32, month: u32) -> u32 {
    u32::try_from(year).unwrap_or(0) * 100 + month
}

/// The year and month of a [`month_key`]; `None` for a plain month 1–12.
pub fn month_of_key(key: u32) -> Option<(u32, u32)> {
    (key > 12).then_some((key / 100, key % 100))
}

/// Evidence of a year, from the approved reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Approved reports by activity kind code.
    pub by_kind: BTreeMap<String, u32>,
    /// Approved reports by duty of Regulation 213 (1 to 7).
    pub by_duty: BTreeMap<u8, u32>,
    /// Residence cell meetings attended (approved reports of that kind).
    pub meetings: u32,
    /// Months (1 to 12) with at least one approved report of contact
    /// (contributions of money fill no month: money alone is not contact).
    pub active_months: BTreeSet<u32>,
    /// Months of the year the member was expected to be active.
    pub expected_months: BTreeSet<u32>,
    /// Every approved report counted.
    pub total: u32,
    /// Approved contributions of money (counted apart: money alone is not contact).
    pub contributions: u32,
    /// Approved community movement reports.
    pub movements: u32,
    /// The cell's meetings held in the year that invited the member (not
    /// as exempt), and those the register has them present at.
    #[serde(default)]
    pub meetings_held: u32,
    #[serde(default)]
    pub meetings_attended: u32,
}

/// One approved report, as the evidence needs it.
#[derive(Debug, Clone)]
pub struct ApprovedActivity {
    pub date: NaiveDate,
    pub kind_code: String,
    pub duties: Vec<u8>,
}

impl ApprovedActivity {
    /// Whether it is contact with the residence: anything but a
    /// contribution of money, which is counted apart and fills no month.
    pub fn is_contact(&self) -> bool {
        is_contact_kind(&self.kind_code)
    }
}

/// See [`ApprovedActivity::is_contact`].
pub fn is_contact_kind(kind_code: &str) -> bool {
    kind_code != CONTRIBUTION_KIND
}

pub const MEETING_KIND: &str = "cell_meeting";
pub const CONTRIBUTION_KIND: &str = "contribution";
pub const MOVEMENT_KIND: &str = "community";

impl Evidence {
    /// Builds the evidence of `year` as of `today`, for a member introduced
    /// to the cell in the month `introduced` (see
    /// [`evidence_months`](super::review_year::evidence_months)).
    pub fn build(
        year: i32,
        today: NaiveDate,
        introduced: Period,
        activities: &[ApprovedActivity],
    ) -> Evidence {
        let mut e = Evidence {
            expected_months: super::review_year::evidence_months(year, introduced, today)
                .into_iter()
                .collect(),
            ..Evidence::default()
        };
        for a in activities.iter().filter(|a| a.date.year() == year) {
            e.count(a);
            if a.is_contact() {
                e.active_months.insert(a.date.month());
            }
        }
        // The month in progress is judged only once it has activity: three
        // days into December are not a month without contact.
        if today.year() == year && !e.active_months.contains(&today.month()) {
            e.expected_months.remove(&today.month());
        }
        e
    }

    /// The evidence of a comment on request: the approved reports dated
    /// from `from` to `to` (both included), as of `today`. Its months are
    /// keys `yyyymm` (see [`month_key`]), the period spanning years; the
    /// months judged run from the later of `from` and the month the member
    /// was `introduced`, to the earlier of `to` and `today`.
    pub fn build_period(
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        introduced: Period,
        activities: &[ApprovedActivity],
    ) -> Evidence {
        let start = from.max(introduced.first_day());
        let end = to.min(today);
        let mut expected = BTreeSet::new();
        if start <= end {
            let mut month = Period::of(start);
            let last = Period::of(end);
            while month <= last {
                expected.insert(month_key(month.year, month.month));
                month = Period::of(month.end());
            }
        }
        let mut e = Evidence {
            expected_months: expected,
            ..Evidence::default()
        };
        for a in activities.iter().filter(|a| (from..=to).contains(&a.date)) {
            e.count(a);
            if a.is_contact() {
                e.active_months
                    .insert(month_key(a.date.year(), a.date.month()));
            }
        }
        // The period cut short by today: its month in progress is judged
        // only once it has activity.
        let current = month_key(today.year(), today.month());
        if today <= to && !e.active_months.contains(&current) {
            e.expected_months.remove(&current);
        }
        e
    }

    /// Leaves out of the months judged those an exemption excused (see
    /// [`excused`](super::review_year::excused)); `year`: the year of
    /// plain months 1–12 (keys `yyyymm` carry theirs).
    pub fn excusing(mut self, year: i32, exemptions: &[super::review_year::Exempted]) -> Self {
        self.expected_months.retain(|&key| {
            let (y, m) = month_of_key(key).map_or((year, key), |(y, m)| (y as i32, m));
            Period::new(y, m).is_none_or(|month| !super::review_year::excused(month, exemptions))
        });
        self
    }

    fn count(&mut self, a: &ApprovedActivity) {
        self.total += 1;
        *self.by_kind.entry(a.kind_code.clone()).or_default() += 1;
        for d in &a.duties {
            *self.by_duty.entry(*d).or_default() += 1;
        }
        match a.kind_code.as_str() {
            MEETING_KIND => self.meetings += 1,
            CONTRIBUTION_KIND => self.contributions += 1,
            MOVEMENT_KIND => self.movements += 1,
            _ => {}
        }
    }

    /// Months of the period with approved activity (reports dated before
    /// the period still count as evidence, but fill no month of it).
    pub fn period_active(&self) -> usize {
        self.expected_months
            .intersection(&self.active_months)
            .count()
    }

    /// Expected months with no approved activity.
    pub fn silent_months(&self) -> Vec<u32> {
        self.expected_months
            .difference(&self.active_months)
            .copied()
            .collect()
    }

    /// Only contributions of money, nothing done in person.
    pub fn money_only(&self) -> bool {
        self.total > 0 && self.contributions == self.total
    }

    /// Levels a rule can suggest; the secretary can change every one.
    pub fn suggest(&self) -> Levels {
        let mut levels: Levels = [None; 6];
        // The cell's register where it held meetings; otherwise the
        // reports of meetings (the cell meets at least every six months).
        levels[Criterion::Meetings.index()] = Some(
            super::meeting::suggest_meetings_level(self.meetings_attended, self.meetings_held)
                .unwrap_or(match self.meetings {
                    0 => 2,
                    1 => 1,
                    _ => 0,
                }),
        );
        // Contact: the share of expected months with activity (money fills
        // none); no suggestion when no month is judged yet (nothing to go on).
        let expected = self.expected_months.len() as f64;
        let active = self.period_active() as f64;
        levels[Criterion::Contact.index()] = (expected > 0.0).then(|| {
            let share = active / expected;
            if share >= 0.75 {
                0
            } else if share >= 0.4 {
                1
            } else {
                2
            }
        });
        levels[Criterion::Movements.index()] = Some(match self.movements {
            0 => 2,
            1 | 2 => 1,
            _ => 0,
        });
        levels
    }
}

/// Where a sheet stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetState {
    NotStarted,
    Draft,
    WithMember,
    Signed,
}

impl SheetState {
    pub fn parse(s: &str) -> SheetState {
        match s {
            "draft" => SheetState::Draft,
            "with_member" => SheetState::WithMember,
            "signed" => SheetState::Signed,
            _ => SheetState::NotStarted,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SheetState::NotStarted => "not_started",
            SheetState::Draft => "draft",
            SheetState::WithMember => "with_member",
            SheetState::Signed => "signed",
        }
    }
}

/// How long a member has to answer a draft; silence then counts as seen.
pub const ANSWER_DAYS: i64 = 7;

/// Until when a member sent the draft at `sent_at` may answer before
/// silence counts as seen (see [`may_sign`]).
pub fn answer_until(sent_at: DateTime<Utc>, last_day: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let week = sent_at + Duration::days(ANSWER_DAYS);
    last_day.map_or(week, |last| week.min(last.max(sent_at)))
}

/// Which draft a member's Accept or Respond button was sent with: a tag of
/// the moment the draft was sent (never 0, which old buttons carry). A
/// draft sent again after a change has another, so a press on the older
/// message is not taken for an answer to the newer one.
pub fn sent_tag(sent_at: DateTime<Utc>) -> u32 {
    let tag = sent_at.timestamp_millis().rem_euclid(4_000_000_000) + 1;
    u32::try_from(tag).unwrap_or(1)
}

/// May the secretary sign now? The member has [`ANSWER_DAYS`] to answer,
/// but never past `last_day` (the start of the sheet's last day: its
/// year's window closing, or a request's due date): a draft sent in the
/// window's last week can still be signed before it closes. `levels` is
/// `None` for the short version (an exempt member's): it has no criteria.
pub fn may_sign(
    state: SheetState,
    levels: Option<&Levels>,
    sent_at: Option<DateTime<Utc>>,
    answered: bool,
    now: DateTime<Utc>,
    last_day: Option<DateTime<Utc>>,
) -> Result<(), SignBlock> {
    if state != SheetState::WithMember {
        return Err(SignBlock::NotSentToMember);
    }
    if levels.is_some_and(|levels| levels.iter().any(Option::is_none)) {
        return Err(SignBlock::CriteriaMissing);
    }
    let until = sent_at.map(|at| answer_until(at, last_day));
    if !answered && until.is_none_or(|until| now < until) {
        return Err(SignBlock::WaitingForMember { until });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignBlock {
    NotSentToMember,
    CriteriaMissing,
    WaitingForMember { until: Option<DateTime<Utc>> },
}

/// The first day sheets of `year` may be drafted, from a `MM-DD` setting.
pub fn sheets_open_on(year: i32, month_day: (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month_day.0, month_day.1)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 11, 1).expect("1 November exists"))
}

/// Parses a `MM-DD` setting.
pub fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.trim().split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

/// SHA-256 of a text, in hex.
/// In what capacity a sheet was signed: the secretary's own sheet is
/// signed by the deputy, or by the ward where the cell has no deputy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignerRole {
    #[default]
    Secretary,
    Deputy,
    Ward,
}

impl SignerRole {
    /// Who signs, from the cell's committee as it is at signing.
    pub fn of(signer: i64, secretary: Option<i64>, deputy: Option<i64>) -> SignerRole {
        if secretary == Some(signer) {
            SignerRole::Secretary
        } else if deputy == Some(signer) {
            SignerRole::Deputy
        } else {
            SignerRole::Ward
        }
    }

    pub fn is_secretary(&self) -> bool {
        *self == SignerRole::Secretary
    }
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The verification code of a signed sheet: the first 64 bits of its
/// content hash, as four groups of four.
pub fn verification_code(content_hash: &str) -> String {
    let upper = content_hash.to_ascii_uppercase();
    let head: Vec<&str> = (0..4).map(|i| &upper[i * 4..i * 4 + 4]).collect();
    head.join("-")
}

/// Normalises a typed code: case, spaces, missing or other dashes, dots
/// between groups, the punctuation around it where a text quoted it
/// ("(1A2B-…)."), and the letters O, I and L read for the digits 0 and 1
/// (none of them is a letter of a code).
pub fn normalise_code(input: &str) -> Option<String> {
    let quoted = |c: char| c.is_whitespace() || "()[].,;:!?\"'«»“”‘’".contains(c);
    let mut hex = String::new();
    for c in input.trim_matches(quoted).chars() {
        match c {
            c if c.is_ascii_hexdigit() => hex.push(c.to_ascii_uppercase()),
            'O' | 'o' => hex.push('0'),
            'I' | 'i' | 'L' | 'l' => hex.push('1'),
            '-' | '–' | '—' | '.' => {}
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    (hex.len() == 16).then(|| verification_code(&hex))
}

/// The codes a typed text may carry, the likeliest first: the whole text
/// as [`normalise_code`] reads it, or else the code-shaped runs of its
/// words (one word before two, …, four: a code typed in groups), as pasted
/// with the line that carries it ("Mã xác thực: 1A2B-…", the document's
/// whole footer line). At most [`MAX_CODES_TRIED`], none twice.
pub fn code_candidates(input: &str) -> Vec<String> {
    if let Some(code) = normalise_code(input) {
        return vec![code];
    }
    let words: Vec<&str> = input.split_whitespace().collect();
    let mut found: Vec<String> = Vec::new();
    for len in 1..=4 {
        for run in words.windows(len) {
            if let Some(code) = normalise_code(&run.join(" "))
                && !found.contains(&code)
            {
                found.push(code);
            }
        }
    }
    found.truncate(MAX_CODES_TRIED);
    found
}

/// How many codes of one typed text are looked up.
pub const MAX_CODES_TRIED: usize = 4;

#[cfg(test)]
mod sent_tag_tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn drafts_sent_at_other_moments_have_other_tags_and_none_is_zero() {
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        assert_ne!(sent_tag(at), sent_tag(at + Duration::seconds(90)));
        assert_eq!(sent_tag(at), sent_tag(at));
        assert_ne!(
            sent_tag(Utc.timestamp_millis_opt(3_999_999_999).unwrap()),
            0
        );
        assert_ne!(sent_tag(Utc.timestamp_millis_opt(0).unwrap()), 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn act(date: NaiveDate, kind: &str, duties: &[u8]) -> ApprovedActivity {
        ApprovedActivity {
            date,
            kind_code: kind.into(),
            duties: duties.to_vec(),
        }
    }

    #[test]
    fn evidence_counts_kinds_duties_months() {
        let acts = [
            act(d(2026, 3, 5), MEETING_KIND, &[3]),
            act(d(2026, 9, 5), MEETING_KIND, &[3]),
            act(d(2026, 9, 20), "propaganda", &[2, 5]),
            act(d(2026, 10, 1), CONTRIBUTION_KIND, &[1]),
            act(d(2025, 12, 1), MEETING_KIND, &[3]),
        ];
        let e = Evidence::build(2026, d(2026, 12, 10), Period::new(2020, 1).unwrap(), &acts);
        assert_eq!(e.total, 4);
        assert_eq!(e.meetings, 2);
        assert_eq!(e.by_duty.get(&3), Some(&2));
        assert_eq!(e.by_duty.get(&5), Some(&1));
        assert_eq!(e.by_kind.get("propaganda"), Some(&1));
        assert_eq!(
            e.active_months.iter().copied().collect::<Vec<_>>(),
            vec![3, 9],
            "October's money fills no month"
        );
        assert_eq!(e.contributions, 1);
        // December, in progress and without activity yet, is not judged.
        assert_eq!(e.silent_months(), vec![1, 2, 4, 5, 6, 7, 8, 10, 11]);
        let s = e.suggest();
        assert_eq!(s[Criterion::Meetings.index()], Some(0));
        assert_eq!(s[Criterion::Contact.index()], Some(2), "2 of 11 months");
        assert_eq!(s[Criterion::Movements.index()], Some(2));
        assert_eq!(s[Criterion::Example.index()], None);
        assert_eq!(s[Criterion::Recommendation.index()], None);
    }

    #[test]
    fn the_register_decides_the_meetings_suggestion_where_meetings_were_held() {
        // Two reports of meetings would say "full"; the register says one
        // of three held was attended.
        let acts = [
            act(d(2026, 3, 5), MEETING_KIND, &[3]),
            act(d(2026, 9, 5), MEETING_KIND, &[3]),
        ];
        let mut e = Evidence::build(2026, d(2026, 12, 10), Period::new(2020, 1).unwrap(), &acts);
        assert_eq!(e.suggest()[Criterion::Meetings.index()], Some(0));
        (e.meetings_held, e.meetings_attended) = (3, 1);
        assert_eq!(e.suggest()[Criterion::Meetings.index()], Some(1));
        (e.meetings_held, e.meetings_attended) = (2, 2);
        assert_eq!(e.suggest()[Criterion::Meetings.index()], Some(0));
        (e.meetings_held, e.meetings_attended) = (2, 0);
        assert_eq!(e.suggest()[Criterion::Meetings.index()], Some(2));
    }

    #[test]
    fn money_alone_is_not_contact() {
        let acts: Vec<_> = (1..=12)
            .map(|m| act(d(2026, m, 2), CONTRIBUTION_KIND, &[1]))
            .collect();
        let e = Evidence::build(2026, d(2026, 12, 20), Period::new(2020, 1).unwrap(), &acts);
        assert!(e.money_only());
        assert_eq!(e.period_active(), 0);
        assert_eq!(e.suggest()[Criterion::Contact.index()], Some(2));
        // Money beside contact: only the months of contact are filled.
        let mut acts = acts;
        acts.push(act(d(2026, 3, 9), "liaison", &[4]));
        let e = Evidence::build(2026, d(2026, 12, 20), Period::new(2020, 1).unwrap(), &acts);
        assert!(!e.money_only());
        assert_eq!((e.total, e.contributions), (13, 12));
        assert_eq!(e.active_months, BTreeSet::from([3]));
        assert_eq!(e.silent_months().len(), 10, "December is in progress");
        assert_eq!(e.suggest()[Criterion::Contact.index()], Some(2));
        // A period (a comment on request) likewise.
        let e = Evidence::build_period(
            d(2026, 1, 1),
            d(2026, 6, 30),
            d(2026, 12, 20),
            Period::new(2020, 1).unwrap(),
            &acts,
        );
        assert_eq!(e.period_active(), 1);
        assert_eq!(e.expected_months.len(), 6);
    }

    #[test]
    fn expected_months_start_when_the_member_joined() {
        let acts = [
            act(d(2026, 10, 3), "liaison", &[4]),
            act(d(2026, 11, 3), "liaison", &[4]),
        ];
        let e = Evidence::build(2026, d(2026, 11, 20), Period::new(2026, 10).unwrap(), &acts);
        assert_eq!(e.expected_months.len(), 2);
        assert_eq!(e.suggest()[Criterion::Contact.index()], Some(0));
    }

    #[test]
    fn reports_before_the_introduction_count_but_fill_no_month() {
        let acts: Vec<_> = [2, 3, 5, 6, 7, 8, 9, 10, 11]
            .into_iter()
            .map(|m| act(d(2026, m, 10), "liaison", &[4]))
            .collect();
        let e = Evidence::build(2026, d(2026, 12, 5), Period::new(2026, 11).unwrap(), &acts);
        assert_eq!(e.total, 9, "every report is evidence");
        assert_eq!(e.period_active(), 1);
        assert_eq!(
            e.expected_months.len(),
            1,
            "November (December in progress)"
        );
        assert!(e.silent_months().is_empty());
        // Once December has activity, it is judged.
        let mut acts = acts;
        acts.push(act(d(2026, 12, 2), "liaison", &[4]));
        let e = Evidence::build(2026, d(2026, 12, 5), Period::new(2026, 11).unwrap(), &acts);
        assert_eq!(e.expected_months.len(), 2, "November and December");
        assert_eq!(e.period_active(), 2);
        // A request's period cut short by today: the same.
        let e = Evidence::build_period(
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2026, 12, 5),
            Period::new(2026, 11).unwrap(),
            &acts[..acts.len() - 1],
        );
        assert_eq!(e.expected_months.len(), 1);
        // A period that ended before today keeps its last month.
        let e = Evidence::build_period(
            d(2026, 1, 1),
            d(2026, 12, 3),
            d(2026, 12, 5),
            Period::new(2026, 11).unwrap(),
            &acts[..acts.len() - 1],
        );
        assert_eq!(e.expected_months.len(), 2);
        // No month judged yet (introduced this month, nothing reported):
        // no Contact suggestion rather than the worst.
        let e = Evidence::build(2026, d(2026, 12, 5), Period::new(2026, 12).unwrap(), &[]);
        assert!(e.expected_months.is_empty());
        assert_eq!(e.suggest()[Criterion::Contact.index()], None);
    }

    #[test]
    fn signing_waits_for_the_member_or_seven_days() {
        let now = Utc::now();
        let full: Levels = [Some(0); 6];
        assert_eq!(
            may_sign(SheetState::Draft, Some(&full), None, false, now, None),
            Err(SignBlock::NotSentToMember)
        );
        let mut partial = full;
        partial[0] = None;
        assert_eq!(
            may_sign(
                SheetState::WithMember,
                Some(&partial),
                Some(now),
                true,
                now,
                None
            ),
            Err(SignBlock::CriteriaMissing)
        );
        // The short version has no criteria to set.
        assert_eq!(
            may_sign(SheetState::WithMember, None, Some(now), true, now, None),
            Ok(())
        );
        assert!(matches!(
            may_sign(
                SheetState::WithMember,
                Some(&full),
                Some(now),
                false,
                now,
                None
            ),
            Err(SignBlock::WaitingForMember { .. })
        ));
        assert_eq!(
            may_sign(
                SheetState::WithMember,
                Some(&full),
                Some(now),
                true,
                now,
                None
            ),
            Ok(())
        );
        assert_eq!(
            may_sign(
                SheetState::WithMember,
                Some(&full),
                Some(now - Duration::days(7)),
                false,
                now,
                None
            ),
            Ok(())
        );
        // Sent three days before the window's last day: silence counts as
        // seen from the start of that day, not a week later.
        let sent = now - Duration::days(1);
        let last_day = now + Duration::days(2);
        assert_eq!(
            may_sign(
                SheetState::WithMember,
                Some(&full),
                Some(sent),
                false,
                now,
                Some(last_day)
            ),
            Err(SignBlock::WaitingForMember {
                until: Some(last_day)
            })
        );
        assert_eq!(
            may_sign(
                SheetState::WithMember,
                Some(&full),
                Some(sent),
                false,
                last_day,
                Some(last_day)
            ),
            Ok(())
        );
        // Sent on the last day itself: signable at once.
        assert_eq!(
            may_sign(
                SheetState::WithMember,
                Some(&full),
                Some(now),
                false,
                now,
                Some(now - Duration::hours(5))
            ),
            Ok(())
        );
        // A far last day changes nothing.
        assert!(matches!(
            may_sign(SheetState::WithMember, Some(&full), Some(now), false, now, Some(now + Duration::days(60))),
            Err(SignBlock::WaitingForMember { until: Some(u) }) if u == now + Duration::days(7)
        ));
    }

    #[test]
    fn codes() {
        let hash = sha256_hex("nội dung");
        let code = verification_code(&hash);
        assert_eq!(code.len(), 19);
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            Some(code.clone())
        );
        // As a text quoted it, or read off paper.
        for typed in [
            "(1A2B-3C4D-5E6F-7A80).",
            "1a2b–3c4d–5e6f–7a8o",
            "IA2B 3C4D 5E6F 7A80",
            "lA2B.3C4D.5E6F.7A80",
            "«1A2B-3C4D-5E6F-7A80»",
        ] {
            assert_eq!(
                normalise_code(typed).as_deref(),
                Some("1A2B-3C4D-5E6F-7A80"),
                "{typed}"
            );
        }
        assert_eq!(normalise_code("1A2B-3C4D-5E6F-7A8X"), None);
        assert_eq!(normalise_code("1A2B-3C4D-5E6F-7A80-1"), None);
        assert_eq!(normalise_code("xyz"), None);
        assert_eq!(normalise_code("1234-5678"), None);
    }

    #[test]
    fn a_code_pasted_with_its_line_is_found() {
        for typed in [
            "Mã xác thực: 1A2B-3C4D-5E6F-7A80",
            "mã 1a2b 3c4d 5e6f 7a80",
            "Verification code: 1A2B-3C4D-5E6F-7A80 (check it with /verify).",
            "Mã xác thực: 1A2B-3C4D-5E6F-7A80 — kiểm tra bằng lệnh /verify 1A2B-3C4D-5E6F-7A80 trên bot lienhe.",
        ] {
            assert_eq!(
                code_candidates(typed),
                vec!["1A2B-3C4D-5E6F-7A80"],
                "{typed}"
            );
        }
        assert_eq!(
            code_candidates("code 1A2B-3C4D-5E6F-7A80"),
            vec!["1A2B-3C4D-5E6F-7A80"]
        );
        // "code" reads as hex: with a code typed in groups, both are tried
        // (the lookup tells which is a sheet's).
        assert_eq!(
            code_candidates("code 1A2B 3C4D 5E6F 7A80"),
            vec!["C0DE-1A2B-3C4D-5E6F", "1A2B-3C4D-5E6F-7A80"]
        );
        assert!(code_candidates("mã 1A2B-3C4D-5E6F").is_empty());
        assert!(code_candidates("Xin chào đồng chí").is_empty());
    }

    #[test]
    fn settings_and_risk() {
        assert_eq!(parse_month_day("11-01"), Some((11, 1)));
        assert_eq!(parse_month_day("02-30"), None);
        assert_eq!(sheets_open_on(2026, (11, 1)), d(2026, 11, 1));
        // The risk rule moved to `review_year::year_at_risk` (tested there).
    }
}
