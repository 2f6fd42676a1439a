//! A member's sheet from the database: the evidence, the draft's text, the
//! frozen content that gets signed, the document, and verification.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::docx::{SheetDocument, SheetLabels};
use crate::{
    domain::{
        Lang,
        activity::parse_duties,
        dates::format_dmy,
        meeting::{Attendance, MeetingKind, local_date},
        membership::Exemption,
        request::{ReasonKind, RequestState},
        review_year::Exempted,
        schedule::Period,
        sheet::{
            ApprovedActivity, Criterion, Evidence, Levels, SignerRole, code_candidates, sha256_hex,
            verification_code,
        },
    },
    store::{
        Pool, audit, committee, meetings, requests, sheets,
        sheets::Sheet,
        users,
        yearly::{self, Cited, MemberRow, Scope},
    },
    t,
};

/// "secretary", "deputy secretary" or the ward, in a sentence.
pub fn signer_role_label(lang: Lang, role: SignerRole) -> String {
    match role {
        SignerRole::Secretary => t!(lang, "signer-secretary"),
        SignerRole::Deputy => t!(lang, "signer-deputy"),
        SignerRole::Ward => t!(lang, "signer-ward"),
    }
}

pub fn criterion_label(lang: Lang, c: Criterion) -> String {
    match c {
        Criterion::Example => t!(lang, "criterion-example"),
        Criterion::Civic => t!(lang, "criterion-civic"),
        Criterion::Meetings => t!(lang, "criterion-meetings"),
        Criterion::Contact => t!(lang, "criterion-contact"),
        Criterion::Movements => t!(lang, "criterion-movements"),
        Criterion::Recommendation => t!(lang, "criterion-recommendation"),
    }
}

pub fn level_label(lang: Lang, c: Criterion, level: u8) -> String {
    match (c, level) {
        (Criterion::Example, 0) => t!(lang, "level-example-0"),
        (Criterion::Example, 1) => t!(lang, "level-example-1"),
        (Criterion::Example, _) => t!(lang, "level-example-2"),
        (Criterion::Civic, 0) => t!(lang, "level-civic-0"),
        (Criterion::Civic, 1) => t!(lang, "level-civic-1"),
        (Criterion::Civic, _) => t!(lang, "level-civic-2"),
        (Criterion::Meetings, 0) => t!(lang, "level-meetings-0"),
        (Criterion::Meetings, 1) => t!(lang, "level-meetings-1"),
        (Criterion::Meetings, _) => t!(lang, "level-meetings-2"),
        (Criterion::Contact, 0) => t!(lang, "level-contact-0"),
        (Criterion::Contact, 1) => t!(lang, "level-contact-1"),
        (Criterion::Contact, _) => t!(lang, "level-contact-2"),
        (Criterion::Movements, 0) => t!(lang, "level-movements-0"),
        (Criterion::Movements, 1) => t!(lang, "level-movements-1"),
        (Criterion::Movements, _) => t!(lang, "level-movements-2"),
        (Criterion::Recommendation, 0) => t!(lang, "level-recommendation-0"),
        (Criterion::Recommendation, 1) => t!(lang, "level-recommendation-1"),
        (Criterion::Recommendation, _) => t!(lang, "level-recommendation-2"),
    }
}

// attendance
pub fn kind_label(lang: Lang, kind: MeetingKind) -> String {
    match kind {
        MeetingKind::Periodic => t!(lang, "attendance-kind-periodic"),
        MeetingKind::Cell => t!(lang, "attendance-kind-cell"),
        MeetingKind::Residents => t!(lang, "attendance-kind-residents"),
    }
}

pub fn attendance_label(lang: Lang, a: Attendance) -> String {
    match a {
        Attendance::Present => t!(lang, "attendance-present"),
        Attendance::Excused => t!(lang, "attendance-excused"),
        Attendance::Absent => t!(lang, "attendance-absent"),
    }
}

pub fn exemption_label(lang: Lang, e: Exemption) -> String {
    match e {
        Exemption::Barracks => t!(lang, "exempt-barracks"),
        Exemption::OfficialHousing => t!(lang, "exempt-official-housing"),
        Exemption::FullTimeStudy => t!(lang, "exempt-full-time-study"),
        Exemption::StudentAway => t!(lang, "exempt-student-away"),
    }
}

/// The state of a member's sheet in a list: as [`state_label`], but a
/// sheet signed that reached no workplace (none of its officers uses the
/// bot) is not called sent.
pub fn listed_state_label(lang: Lang, member: &crate::store::yearly::MemberRow) -> String {
    let state =
        crate::domain::sheet::SheetState::parse(member.sheet_state.as_deref().unwrap_or(""));
    delivered_state_label(
        lang,
        state,
        member.sheet_officers,
        member.sheet_answer.as_deref(),
    )
}

/// How a member's sheet of the year is listed (`/sheets`, `/status`): an
/// exempt member has no periodic sheet, unless theirs of the year was
/// signed before the exemption (it stays signed and delivered).
pub fn listed_state_or_exempt(lang: Lang, member: &crate::store::yearly::MemberRow) -> String {
    let signed =
        member.sheet_state.as_deref() == Some(crate::domain::sheet::SheetState::Signed.as_str());
    match member.exempt_reason.as_deref().and_then(Exemption::parse) {
        Some(e) if !signed => t!(lang, "sheets-exempt", reason = exemption_label(lang, e)),
        _ => listed_state_label(lang, member),
    }
}

/// [`state_label`], knowing how many officers a signed sheet was queued to
/// and the member's answer to a draft sent them (accepted or responded:
/// no longer waiting for the member, but for a signature).
pub fn delivered_state_label(
    lang: Lang,
    state: crate::domain::sheet::SheetState,
    officers: Option<i64>,
    answer: Option<&str>,
) -> String {
    use crate::domain::sheet::SheetState::*;
    match (state, officers, answer) {
        (Signed, Some(0), _) => t!(lang, "sheet-state-signed-kept"),
        (WithMember, _, Some("accepted")) => t!(lang, "sheet-state-accepted"),
        (WithMember, _, Some("responded")) => t!(lang, "sheet-state-responded"),
        _ => state_label(lang, state),
    }
}

pub fn state_label(lang: Lang, state: crate::domain::sheet::SheetState) -> String {
    use crate::domain::sheet::SheetState::*;
    match state {
        NotStarted => t!(lang, "sheet-state-not-started"),
        Draft => t!(lang, "sheet-state-draft"),
        WithMember => t!(lang, "sheet-state-with-member"),
        Signed => t!(lang, "sheet-state-signed"),
    }
}

/// Everything a member's sheet is made from.
#[derive(Debug, Clone)]
pub struct Context {
    pub year: i32,
    pub member: MemberRow,
    /// The month the member was introduced to the cell: the evidence
    /// period starts there.
    pub introduced: Period,
    /// The member's exemptions: the months they covered are not judged.
    pub exemptions: Vec<Exempted>,
    pub cited: Vec<Cited>,
    pub evidence: Evidence,
    /// The cell meetings held in the year, with the member's attendance.
    pub meetings: Vec<HeldMeeting>,
    /// A comment on request: the request, whose period the evidence covers
    /// instead of the calendar year (`year` is then the year it ends).
    pub request: Option<RequestFacts>,
}

/// The request a sheet answers, as its context needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    pub id: i64,
    pub officer_id: i64,
    pub reason: ReasonKind,
    pub reason_text: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub due: NaiveDate,
    pub state: RequestState,
}

impl RequestFacts {
    pub fn of(r: &requests::Request) -> Self {
        RequestFacts {
            id: r.id,
            officer_id: r.officer_id,
            reason: r.reason(),
            reason_text: r.reason_text.clone(),
            from: r.period_from,
            to: r.period_to,
            due: r.due_on,
            state: r.state(),
        }
    }
}

/// "appointment", or the typed reason, in a sentence.
pub fn reason_label(lang: Lang, reason: ReasonKind, text: Option<&str>) -> String {
    match (reason, text) {
        (ReasonKind::Appointment, _) => t!(lang, "request-reason-appointment"),
        (ReasonKind::Commendation, _) => t!(lang, "request-reason-commendation"),
        (ReasonKind::Discipline, _) => t!(lang, "request-reason-discipline"),
        (ReasonKind::Transfer, _) => t!(lang, "request-reason-transfer"),
        (ReasonKind::Other, Some(text)) => text.to_string(),
        (ReasonKind::Other, None) => t!(lang, "request-reason-other"),
    }
}

/// A cell meeting held in the year and the member's attendance, as the
/// sheet shows (and a signature freezes) it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldMeeting {
    pub date: NaiveDate,
    /// `periodic` or `cell`.
    pub kind: String,
    /// `present`, `excused` or `absent`.
    pub attendance: String,
    /// The reason of an excused absence, where the member gave one
    /// (absent in sheets signed before it was shown: they keep their hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The evidence's meeting counts from the register.
pub fn count_meetings(evidence: &mut Evidence, meetings: &[HeldMeeting]) {
    evidence.meetings_held = u32::try_from(meetings.len()).unwrap_or(u32::MAX);
    evidence.meetings_attended = u32::try_from(
        meetings
            .iter()
            .filter(|m| m.attendance == Attendance::Present.as_str())
            .count(),
    )
    .unwrap_or(u32::MAX);
}

impl Context {
    pub fn exemption(&self) -> Option<Exemption> {
        self.member
            .exempt_reason
            .as_deref()
            .and_then(Exemption::parse)
    }

    /// The short version, for a member exempt from residence meetings
    /// (guidance 33): the evidence and remarks, no criteria. Decided as the
    /// signed document and the store decide it: an exemption recorded.
    pub fn short(&self) -> bool {
        self.member.exempt_reason.is_some()
    }

    /// The context with the member's details (name, phone, cell, ward,
    /// workplace) as `fresh` gives them: the row the signing transaction
    /// reads (`sheets::sign`), so that what is signed is what the database
    /// held when the signature was committed. A comment on request stays
    /// addressed to the workplace that asked.
    pub fn with_details(&self, fresh: &MemberRow) -> Context {
        let mut ctx = self.clone();
        let member = &mut ctx.member;
        member.full_name = fresh.full_name.clone();
        member.phone = fresh.phone.clone();
        member.cell_id = fresh.cell_id;
        member.cell_name = fresh.cell_name.clone();
        member.ward_id = fresh.ward_id;
        member.ward_name = fresh.ward_name.clone();
        if ctx.request.is_none() {
            member.workplace_id = fresh.workplace_id;
            member.workplace_name = fresh.workplace_name.clone();
        }
        ctx
    }
}

pub async fn load(
    pool: &Pool,
    membership_id: i64,
    year: i32,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Option<Context>> {
    let Some(member) = yearly::members(pool, Scope::Membership(membership_id), year, tz)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    load_member(pool, member, year, today, tz).await
}

/// [`load`] for a member read already.
async fn load_member(
    pool: &Pool,
    member: yearly::MemberRow,
    year: i32,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Option<Context>> {
    let membership_id = member.membership_id;
    let cited = yearly::cited_reports(pool, membership_id, year).await?;
    let introduced = member.introduced(tz);
    let exemptions = member.exemptions(tz);
    let mut evidence = evidence_of(year, today, introduced, &cited).excusing(year, &exemptions);
    // attendance: meetings whose register was closed by the end of
    // `today` (early, before a start after midnight, included).
    let (_, end_of_today) = meetings::utc_bounds(today, today.succ_opt().unwrap_or(today), tz);
    let meetings: Vec<HeldMeeting> =
        meetings::held_for_member(pool, member.user_id, year, end_of_today, tz)
            .await?
            .into_iter()
            .map(|m| HeldMeeting {
                date: local_date(m.starts_at, tz),
                kind: m.kind,
                attendance: m.attendance,
                reason: m.reason,
            })
            .collect();
    count_meetings(&mut evidence, &meetings);
    Ok(Some(Context {
        year,
        member,
        introduced,
        exemptions,
        cited,
        evidence,
        meetings,
        request: None,
    }))
}

/// The context of a sheet: of its year, or of its request's period.
pub async fn for_sheet(
    pool: &Pool,
    sheet: &Sheet,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Option<Context>> {
    let year = sheet.year as i32;
    match sheet.request_id {
        // A signed sheet stays renderable after its membership ended (a
        // move, retirement): what it says is its signed content.
        None if sheet.state() == crate::domain::sheet::SheetState::Signed => {
            match yearly::member_on_record(pool, sheet.membership_id, year).await? {
                Some(member) => load_member(pool, member, year, today, tz).await,
                None => Ok(None),
            }
        }
        None => load(pool, sheet.membership_id, year, today, tz).await,
        Some(id) => match requests::get(pool, id).await? {
            Some(request) => load_request(pool, &request, today, tz).await,
            None => Ok(None),
        },
    }
}

/// The context of a comment on request: the member's approved reports
/// dated in the request's period, and the cell meetings held in it.
pub async fn load_request(
    pool: &Pool,
    request: &requests::Request,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Option<Context>> {
    let (from, to) = (request.period_from, request.period_to);
    let Some(mut member) = yearly::members(
        pool,
        Scope::Membership(request.membership_id),
        to.year(),
        tz,
    )
    .await?
    .into_iter()
    .next() else {
        return Ok(None);
    };
    // A comment on request is short for a member exempt now, whatever the
    // year its period ends in (the yearly rule leaves out an exemption begun
    // after the year).
    member.exempt_reason = crate::store::memberships::get(pool, request.membership_id)
        .await?
        .and_then(|m| m.exempt_reason);
    // Addressed to the workplace that asked, even if the member has changed
    // workplace since.
    if let Some(w) = crate::store::workplaces::get(pool, request.workplace_id).await? {
        member.workplace_id = Some(w.id);
        member.workplace_name = Some(w.name);
    }
    let cited = yearly::cited_reports_between(pool, request.membership_id, from, to).await?;
    let introduced = member.introduced(tz);
    let exemptions = member.exemptions(tz);
    let mut evidence = Evidence::build_period(from, to, today, introduced, &activities(&cited))
        .excusing(to.year(), &exemptions);
    let (_, end_of_today) = meetings::utc_bounds(today, today.succ_opt().unwrap_or(today), tz);
    let mut held = Vec::new();
    for year in from.year()..=to.year() {
        for m in meetings::held_for_member(pool, member.user_id, year, end_of_today, tz).await? {
            let date = local_date(m.starts_at, tz);
            if (from..=to).contains(&date) {
                held.push(HeldMeeting {
                    date,
                    kind: m.kind,
                    attendance: m.attendance,
                    reason: m.reason,
                });
            }
        }
    }
    count_meetings(&mut evidence, &held);
    Ok(Some(Context {
        year: to.year(),
        member,
        introduced,
        exemptions,
        cited,
        evidence,
        meetings: held,
        request: Some(RequestFacts::of(request)),
    }))
}

fn activities(cited: &[Cited]) -> Vec<ApprovedActivity> {
    cited
        .iter()
        .map(|c| ApprovedActivity {
            date: c.activity_date,
            kind_code: c.kind_code.clone(),
            duties: parse_duties(&c.duties),
        })
        .collect()
}

/// The evidence of the sheet's year or request period from the reports
/// cited, as of `today`.
pub fn evidence_for(
    ctx: &Context,
    today: NaiveDate,
    introduced: Period,
    cited: &[Cited],
) -> Evidence {
    match &ctx.request {
        None => evidence_of(ctx.year, today, introduced, cited),
        Some(r) => Evidence::build_period(r.from, r.to, today, introduced, &activities(cited)),
    }
    .excusing(ctx.year, &ctx.exemptions)
}

/// The evidence of `year` from the reports cited, for a member introduced
/// in the month `introduced`.
pub fn evidence_of(year: i32, today: NaiveDate, introduced: Period, cited: &[Cited]) -> Evidence {
    Evidence::build(year, today, introduced, &activities(cited))
}

/// The evidence as lines of text, each report cited by date.
pub fn evidence_lines(lang: Lang, ctx: &Context) -> Vec<String> {
    let e = &ctx.evidence;
    let mut lines = vec![t!(lang, "evidence-total", count = e.total)];
    if !e.by_kind.is_empty() {
        let kinds: Vec<String> =
            e.by_kind
                .iter()
                .map(|(code, n)| {
                    let name = ctx.cited.iter().find(|c| c.kind_code == *code).map_or(
                        code.as_str(),
                        |c| match lang {
                            Lang::Vi => c.kind_vi.as_str(),
                            Lang::En => c.kind_en.as_str(),
                        },
                    );
                    {
                        let count = *n;
                        t!(lang, "evidence-kind", kind = name, count = count)
                    }
                })
                .collect();
        lines.push(t!(lang, "evidence-by-kind", kinds = kinds.join("; ")));
    }
    if !e.by_duty.is_empty() {
        let duties: Vec<String> = e
            .by_duty
            .iter()
            .map(|(d, n)| {
                let (duty, count) = (*d, *n);
                t!(lang, "evidence-duty", duty = duty, count = count)
            })
            .collect();
        lines.push(t!(lang, "evidence-by-duty", duties = duties.join("; ")));
    }
    lines.push(t!(lang, "evidence-meetings", count = e.meetings));
    // attendance: the register of the cell's meetings held in the year.
    if !ctx.meetings.is_empty() {
        let (total, count) = (
            ctx.meetings.len(),
            ctx.meetings
                .iter()
                .filter(|m| m.attendance == Attendance::Present.as_str())
                .count(),
        );
        // A comment on request covers its period, not a year.
        lines.push(match ctx.request {
            Some(_) => t!(
                lang,
                "attendance-evidence-held-period",
                total = total,
                count = count
            ),
            // The sheet's year (one of last year drafted in January is
            // not "this year").
            None => t!(
                lang,
                "attendance-evidence-held",
                year = ctx.year,
                total = total,
                count = count
            ),
        });
        for m in &ctx.meetings {
            let kind = MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Cell);
            let status = Attendance::parse(&m.attendance).unwrap_or(Attendance::Absent);
            let (date, kind, status) = (
                format_dmy(m.date),
                kind_label(lang, kind),
                attendance_label(lang, status),
            );
            // An excused absence with its reason.
            lines.push(match m.reason.as_deref() {
                Some(reason) => t!(
                    lang,
                    "attendance-evidence-meeting-reason",
                    date = date,
                    kind = kind,
                    status = status,
                    reason = reason
                ),
                None => t!(
                    lang,
                    "attendance-evidence-meeting",
                    date = date,
                    kind = kind,
                    status = status
                ),
            });
        }
    }
    // An exempt member owes no monthly contact: no month is "silent".
    let silent = if ctx.short() {
        Vec::new()
    } else {
        lines.push(t!(
            lang,
            "evidence-active-months",
            active = e.period_active(),
            expected = e.expected_months.len()
        ));
        e.silent_months()
    };
    if !silent.is_empty() {
        let months: Vec<String> = silent
            .iter()
            .map(|m| match crate::domain::sheet::month_of_key(*m) {
                // A period's months carry their year.
                Some((year, month)) => format!("{month:02}/{year}"),
                None => format!("{m:02}/{}", ctx.year),
            })
            .collect();
        lines.push(t!(
            lang,
            "evidence-silent-months",
            months = months.join(", ")
        ));
    }
    if e.money_only() {
        lines.push(t!(lang, "evidence-money-only"));
    }
    // Evidence from more than one cell (the member moved): each item names
    // its cell.
    let moved = ctx.cited.iter().any(|c| c.cell_id != ctx.member.cell_id);
    for c in &ctx.cited {
        let kind = match lang {
            Lang::Vi => c.kind_vi.as_str(),
            Lang::En => c.kind_en.as_str(),
        };
        let line = t!(
            lang,
            "evidence-report",
            date = format_dmy(c.activity_date),
            kind = kind,
            id = c.id
        );
        if !moved {
            lines.push(line);
        } else {
            lines.push(t!(
                lang,
                "move-evidence-at",
                line = line,
                cell = c.cell_name.as_str()
            ));
        }
    }
    lines
}

/// A decision a signed sheet cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedDecision {
    pub report_id: i64,
    pub date: NaiveDate,
    pub kind: String,
    /// The audit-log hash of the approval.
    pub approval: Option<String>,
}

/// What is frozen and hashed when the sheet is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedContent {
    pub sheet_id: i64,
    pub year: i32,
    pub membership_id: i64,
    pub member: String,
    pub cell: String,
    pub ward: String,
    pub workplace: Option<String>,
    pub exempt: Option<String>,
    pub criteria: Levels,
    pub remarks: String,
    pub member_answer: Option<String>,
    pub member_response: Option<String>,
    pub signed_by: i64,
    pub signer: String,
    /// Secretary unless the deputy or the ward signed (omitted then, so
    /// sheets signed before it keep their hash).
    #[serde(default, skip_serializing_if = "SignerRole::is_secretary")]
    pub signer_role: SignerRole,
    pub signed_at: DateTime<Utc>,
    pub evidence: Vec<CitedDecision>,
    /// The first day of the month the member was introduced to the cell, as
    /// counted when signed (absent in sheets signed before it was asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<NaiveDate>,
    /// The cell meetings held in the year with the member's attendance, as
    /// when signed (absent where none was held, and in sheets signed before
    /// the register existed: they keep their hash).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<HeldMeeting>,
    /// A comment on request: the request, its reason and period (absent in
    /// yearly sheets, which keep their hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<SignedRequest>,
}

impl SignedContent {
    /// What a signed sheet's stored content says (`None` for a sheet not
    /// signed, or a content that does not read as one).
    pub fn of(sheet: &Sheet) -> Option<SignedContent> {
        serde_json::from_str(sheet.content.as_deref()?).ok()
    }
}

/// The request a signed comment answers, as frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRequest {
    pub id: i64,
    /// `ReasonKind::as_str`.
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_text: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl SignedRequest {
    pub fn label(&self, lang: Lang) -> String {
        reason_label(
            lang,
            ReasonKind::parse(&self.reason).unwrap_or(ReasonKind::Other),
            self.reason_text.as_deref(),
        )
    }
}

async fn cited_decisions(pool: &Pool, cited: &[Cited]) -> sqlx::Result<Vec<CitedDecision>> {
    let mut out = Vec::with_capacity(cited.len());
    for c in cited {
        out.push(CitedDecision {
            report_id: c.id,
            date: c.activity_date,
            kind: c.kind_code.clone(),
            approval: audit::latest_hash(pool, "report", c.id, "approve").await?,
        });
    }
    Ok(out)
}

/// What a signature freezes besides the sheet's own columns: the signer's
/// name and the decisions cited, read before the signing transaction.
pub struct Frozen {
    pub signer: String,
    pub signer_role: SignerRole,
    pub evidence: Vec<CitedDecision>,
}

pub async fn frozen(pool: &Pool, ctx: &Context, signed_by: i64) -> sqlx::Result<Frozen> {
    let signer = users::get(pool, signed_by)
        .await?
        .map(|u| u.display_name().to_string())
        .unwrap_or_default();
    let mut conn = pool.acquire().await?;
    let committee = committee::of_cell(&mut conn, ctx.member.cell_id).await?;
    drop(conn);
    Ok(Frozen {
        signer,
        signer_role: SignerRole::of(signed_by, committee.secretary, committee.deputy),
        evidence: cited_decisions(pool, &ctx.cited).await?,
    })
}

/// The content a signature freezes: the sheet as the signing transaction
/// reads it.
pub fn content(
    ctx: &Context,
    sheet: &Sheet,
    frozen: Frozen,
    signed_by: i64,
    signed_at: DateTime<Utc>,
) -> SignedContent {
    SignedContent {
        sheet_id: sheet.id,
        year: ctx.year,
        membership_id: ctx.member.membership_id,
        member: ctx.member.full_name.clone(),
        cell: ctx.member.cell_name.clone(),
        ward: ctx.member.ward_name.clone(),
        workplace: ctx.member.workplace_name.clone(),
        exempt: ctx.member.exempt_reason.clone(),
        criteria: sheet.levels(),
        remarks: sheet.remarks.clone(),
        member_answer: sheet.member_answer.clone(),
        member_response: sheet.member_response.clone(),
        signed_by,
        signer: frozen.signer,
        signer_role: frozen.signer_role,
        signed_at,
        evidence: frozen.evidence,
        introduced: Some(ctx.introduced.first_day()),
        meetings: ctx.meetings.clone(),
        request: ctx.request.as_ref().map(|r| SignedRequest {
            id: r.id,
            reason: r.reason.as_str().to_string(),
            reason_text: r.reason_text.clone(),
            from: r.from,
            to: r.to,
        }),
    }
}

/// The canonical text, its hash and its code.
pub fn seal(content: &SignedContent) -> (String, String, String) {
    let text = serde_json::to_string(content).expect("plain data serialises");
    let hash = sha256_hex(&text);
    let code = verification_code(&hash);
    (text, hash, code)
}

/// What `/verify` and `lienhe verify` find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    NotFound,
    /// The stored sheet, or what it cites, changed after signing.
    Tampered,
    /// As signed; `corrected` of the activities it cites were taken back
    /// since by a correction of the cell's register (audited), which does
    /// not make the sheet less genuine.
    Valid {
        content: Box<SignedContent>,
        corrected: usize,
    },
}

pub async fn verify(pool: &Pool, typed: &str) -> sqlx::Result<Verification> {
    // The first of the text's codes that a sheet carries.
    let mut found = None;
    for code in code_candidates(typed) {
        if let Some(sheet) = sheets::by_code(pool, &code).await? {
            found = Some((code, sheet));
            break;
        }
    }
    let Some((code, sheet)) = found else {
        return Ok(Verification::NotFound);
    };
    let (Some(text), Some(hash)) = (&sheet.content, &sheet.content_hash) else {
        return Ok(Verification::Tampered);
    };
    if sha256_hex(text) != *hash || verification_code(hash) != code {
        return Ok(Verification::Tampered);
    }
    let Ok(stored) = serde_json::from_str::<SignedContent>(text) else {
        return Ok(Verification::Tampered);
    };
    // The sheet's own columns and the decisions it cites must still say
    // what was signed (reports approved later are not part of it).
    let columns_match = sheet.state() == crate::domain::sheet::SheetState::Signed
        && sheet.signed_by == Some(stored.signed_by)
        && sheet.levels() == stored.criteria
        && sheet.remarks == stored.remarks
        && sheet.member_answer == stored.member_answer
        && sheet.member_response == stored.member_response;
    if !columns_match {
        return Ok(Verification::Tampered);
    }
    let mut corrected = 0;
    for cited in &stored.evidence {
        let report = crate::store::reports::get(pool, cited.report_id).await?;
        let approval = audit::latest_hash(pool, "report", cited.report_id, "approve").await?;
        if approval != cited.approval {
            return Ok(Verification::Tampered);
        }
        match report {
            Some(r)
                if r.status() == crate::domain::report::ReportStatus::Approved
                    && r.activity_date == cited.date => {}
            // A meeting's attendance the register recorded, taken back by
            // the cell's correction: in the audit log, not a change to the
            // sheet.
            None if audit::latest_hash(pool, "report", cited.report_id, "meeting_unrecord")
                .await?
                .is_some() =>
            {
                corrected += 1;
            }
            _ => return Ok(Verification::Tampered),
        }
    }
    Ok(Verification::Valid {
        content: Box::new(stored),
        corrected,
    })
}

/// An evidence line as the document lists it: without the dash it has in
/// the chat (the document's list draws its own).
fn document_line(line: &str) -> String {
    line.trim_start()
        .strip_prefix(['–', '-'])
        .map_or(line, str::trim_start)
        .to_string()
}

/// The form, in Vietnamese, from the signed content.
pub fn document(
    content: &SignedContent,
    evidence: Vec<String>,
    code: &str,
    tz: Tz,
) -> SheetDocument {
    let lang = Lang::Vi;
    let signed = content.signed_at.with_timezone(&tz).date_naive();
    let workplace = content
        .workplace
        .clone()
        .unwrap_or_else(|| t!(lang, "not-given"));
    let ward_place = content.ward.clone();
    let labels = SheetLabels {
        party_header: t!(lang, "doc-party-header", ward = content.ward.to_uppercase()),
        cell_header: content.cell.to_uppercase(),
        party_name: t!(lang, "doc-party-name"),
        place_date: t!(
            lang,
            "doc-place-date",
            place = ward_place,
            day = format!("{:02}", signed.day()),
            month = format!("{:02}", signed.month()),
            year = signed.year()
        ),
        title: t!(lang, "doc-title"),
        subtitle: match &content.request {
            None => t!(lang, "doc-subtitle", year = content.year),
            Some(r) => t!(
                lang,
                "request-doc-subtitle",
                reason = r.label(lang),
                from = format_dmy(r.from),
                to = format_dmy(r.to)
            ),
        },
        addressee: t!(lang, "doc-addressee", workplace = workplace.as_str()),
        opening: match &content.request {
            None => t!(
                lang,
                "doc-opening",
                cell = content.cell.as_str(),
                name = content.member.as_str(),
                year = content.year
            ),
            Some(r) => t!(
                lang,
                "request-doc-opening",
                cell = content.cell.as_str(),
                name = content.member.as_str(),
                from = format_dmy(r.from),
                to = format_dmy(r.to)
            ),
        },
        member_lines: vec![
            t!(lang, "doc-member-name", name = content.member.as_str()),
            t!(lang, "doc-member-workplace", workplace = workplace.as_str()),
            t!(
                lang,
                "doc-member-residence",
                cell = content.cell.as_str(),
                ward = content.ward.as_str()
            ),
        ],
        criteria_heading: t!(lang, "doc-criteria-heading"),
        criterion_column: t!(lang, "doc-criterion-column"),
        level_column: t!(lang, "doc-level-column"),
        // A comment on request: the evidence of its period.
        evidence_heading: match &content.request {
            None => t!(lang, "doc-evidence-heading"),
            Some(_) => t!(lang, "request-doc-evidence-heading"),
        },
        remarks_heading: t!(lang, "doc-remarks-heading"),
        response_heading: t!(lang, "doc-response-heading"),
        sign_left_title: t!(lang, "doc-sign-left"),
        sign_right_title: t!(lang, "doc-sign-right"),
        sign_right_role: match content.signer_role {
            SignerRole::Secretary => t!(lang, "doc-sign-role"),
            SignerRole::Deputy => t!(lang, "doc-sign-role-deputy"),
            SignerRole::Ward => t!(lang, "doc-sign-role-ward"),
        },
        verification: t!(lang, "doc-verification", code = code),
    };
    let criteria = Criterion::ALL
        .iter()
        .map(|c| {
            let level = content.criteria[c.index()]
                .map(|l| level_label(lang, *c, l))
                .unwrap_or_default();
            (criterion_label(lang, *c), level)
        })
        .collect();
    // The document draws its own bullets: the chat's dash goes.
    let mut evidence: Vec<String> = evidence.iter().map(|l| document_line(l)).collect();
    if let Some(e) = content.exempt.as_deref().and_then(Exemption::parse) {
        evidence.insert(
            0,
            t!(lang, "doc-exempt-note", reason = exemption_label(lang, e)),
        );
    }
    SheetDocument {
        labels,
        criteria,
        evidence,
        remarks: content.remarks.clone(),
        response: Some(response_text(lang, content)),
        signer: content.signer.clone(),
        short: content.exempt.is_some(),
    }
}

/// The member's answer to the draft, as the signed sheet states it.
pub fn response_text(lang: Lang, content: &SignedContent) -> String {
    match (
        content.member_answer.as_deref(),
        content.member_response.as_deref(),
    ) {
        (Some("responded"), Some(text)) => text.to_string(),
        (Some("accepted"), _) => t!(lang, "doc-member-accepted"),
        // Responded to a draft that was changed and sent again, and not
        // answered since: the response stays on the sheet.
        (None, Some(text)) => t!(lang, "doc-member-earlier-response", response = text),
        _ => t!(lang, "doc-member-seen"),
    }
}

/// What a signed sheet says, as lines to hold beside a copy: the levels
/// (or the exemption of a short sheet), the remarks and the member's
/// answer, long texts cut to `clip` characters.
pub fn content_lines(lang: Lang, content: &SignedContent, clip: usize) -> Vec<String> {
    let cut = |text: &str| match text.char_indices().nth(clip) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    };
    let mut lines = Vec::new();
    match content.exempt.as_deref().and_then(Exemption::parse) {
        Some(e) => lines.push(t!(
            lang,
            "doc-exempt-note",
            reason = exemption_label(lang, e)
        )),
        None => {
            for c in Criterion::ALL {
                if let Some(level) = content.criteria[c.index()] {
                    lines.push(format!(
                        "{}: {}",
                        criterion_label(lang, c),
                        level_label(lang, c, level)
                    ));
                }
            }
        }
    }
    if !content.remarks.trim().is_empty() {
        lines.push(format!(
            "{} {}",
            t!(lang, "doc-remarks-heading"),
            cut(content.remarks.trim())
        ));
    }
    lines.push(format!(
        "{} {}",
        t!(lang, "doc-response-heading"),
        cut(&response_text(lang, content))
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::{HeldMeeting, SignedContent, document_line, seal};

    fn content() -> SignedContent {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        SignedContent {
            sheet_id: 1,
            year: 2026,
            membership_id: 2,
            member: "Nguyễn Văn An".into(),
            cell: "Chi bộ khối 5".into(),
            ward: "Phường Hưng Dũng".into(),
            workplace: None,
            exempt: None,
            criteria: [Some(0); 6],
            remarks: String::new(),
            member_answer: None,
            member_response: None,
            signed_by: 100,
            signer: "Trần Thị Bình".into(),
            signer_role: Default::default(),
            signed_at: at,
            evidence: Vec::new(),
            introduced: None,
            meetings: Vec::new(),
            request: None,
        }
    }

    #[test]
    fn sheets_signed_without_meetings_keep_their_text_and_hash() {
        let before = content();
        let (text, hash, _) = seal(&before);
        assert!(!text.contains("meetings"), "{text}");
        // A sheet sealed before the field existed reads back the same.
        let read: SignedContent = serde_json::from_str(&text).unwrap();
        assert_eq!(seal(&read).1, hash);
        let mut with = content();
        with.meetings.push(HeldMeeting {
            date: chrono::NaiveDate::from_ymd_opt(2026, 6, 10).unwrap(),
            kind: "periodic".into(),
            attendance: "present".into(),
            reason: None,
        });
        let (text, other, _) = seal(&with);
        assert!(text.contains("\"meetings\""), "{text}");
        assert_ne!(other, hash);
    }

    #[test]
    fn document_lines_lose_the_chat_dash() {
        assert_eq!(
            document_line("– 12/02/2026: Dự họp chi bộ (báo cáo số 3)"),
            "12/02/2026: Dự họp chi bộ (báo cáo số 3)"
        );
        assert_eq!(document_line("Tổng số: 4"), "Tổng số: 4");
        assert_eq!(document_line("- 1"), "1");
    }
}
