//! The callback codec: every inline button carries a short typed code.
//! Nothing decoded here is trusted; handlers re-check it in the database.

use crate::domain::{
    Lang,
    meeting::{Attendance, MeetingKind},
    membership::EndReason,
    request::ReasonKind,
    schedule::Period,
};

/// A long list shown one page at a time (see `bot::pager`), with what its
/// scope id means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// /status: a workplace's members of a year.
    Status,
    /// /members: a cell's members this month.
    Members,
    /// /pending: a cell's pending joins and reports.
    Pending,
    /// /sheets: a cell's sheets of a year.
    Sheets,
    /// /cells: a ward's cells (for its administrators).
    Cells,
}

impl View {
    fn code(self) -> char {
        match self {
            View::Status => 's',
            View::Members => 'm',
            View::Pending => 'p',
            View::Sheets => 'h',
            View::Cells => 'w',
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "s" => View::Status,
            "m" => View::Members,
            "p" => View::Pending,
            "h" => View::Sheets,
            "w" => View::Cells,
            _ => return None,
        })
    }
}

/// A join link's code carried by a button (an invite, a role's or an
/// introduction's): what a code may be, short enough for the 64 bytes of
/// callback data after its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkCode {
    len: u8,
    bytes: [u8; LinkCode::MAX],
}

impl LinkCode {
    pub const MAX: usize = 61;

    pub fn new(code: &str) -> Option<LinkCode> {
        if code.len() > Self::MAX || !crate::domain::invite::looks_like_code(code) {
            return None;
        }
        let mut bytes = [0; Self::MAX];
        bytes[..code.len()].copy_from_slice(code.as_bytes());
        Some(LinkCode {
            len: code.len() as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters, digits, '_' and '-' are ever put in.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackData {
    /// A secretary approves / rejects a join request.
    JoinApprove(i64),
    JoinReject(i64),
    /// A secretary approves / rejects a report.
    ReportApprove(i64),
    ReportReject(i64),
    /// Show a report's photos.
    ReportPhotos(i64),
    /// Join dialogue: a registered workplace, "Other", another page.
    Workplace(i64),
    WorkplaceOther,
    WorkplacePage(u32),
    JoinConfirm(u32),
    JoinCancel(u32),
    /// Report dialogue.
    Kind(i64),
    DateToday,
    DateYesterday,
    PhotosDone,
    /// At a resubmission's Change photos: the report goes without photos.
    PhotosRemove,
    ReportSubmit(u32),
    ReportCancel(u32),
    Language(Lang),
    /// In a monthly reminder: start /report.
    ReportNow,
    /// In a digest: open /pending.
    OpenPending,
    /// Announcement preview.
    AnnounceSend(u32),
    AnnounceCancel(u32),
    /// Comment sheets: open a member's sheet (by membership id).
    SheetOpen(i64),
    /// Set criterion `1` of sheet `0` to level `2`.
    SheetLevel(i64, u8, u8),
    SheetRemarks(i64),
    SheetSend(i64),
    SheetReopen(i64),
    SheetSign(i64),
    /// The member accepts / responds to draft `0` as sent with tag `1`
    /// (`domain::sheet::sent_tag`; 0 on buttons from before tags).
    SheetAccept(i64, u32),
    SheetRespond(i64, u32),
    /// The user withdraws their own waiting request to join (or move to)
    /// a cell, by membership id.
    JoinWithdraw(i64),
    /// A member of another cell opening this cell's link: moving, or not.
    MoveConfirm(u32),
    MoveCancel(u32),
    /// /members: a page of cell `0`'s member buttons (page `1`).
    MembersPage(i64, u32),
    /// /members: a member's card (by membership id).
    MemberCard(i64),
    /// On a member's card: end the membership for this reason.
    EndStart(i64, EndReason),
    /// Ending a membership: confirm / cancel (the dialogue holds which).
    EndConfirm(u32),
    EndCancel(u32),
    /// /profile: change the phone / the workplace.
    ProfilePhone,
    ProfileWorkplace,
    /// On a rejection notice: edit and resubmit the report.
    Resubmit(i64),
    /// At a resubmission's summary: change the kind / date / text / photos.
    EditKind,
    EditDate,
    EditText,
    EditPhotos,
    /// /invite by a secretary of several cells: the cell chosen; whether
    /// for a deputy code (else the member link).
    InviteCell(i64, bool),
    /// /announce by a secretary of several cells: the cell it goes to.
    AnnounceCell(i64),
    /// /announce by a secretary of several cells: to all of them.
    AnnounceAllCells,
    /// Comment sheets: open a member's sheet of a year (membership id, year).
    SheetOpenYear(i64, i32),
    /// /sheet: an officer picks one of members of the same name (membership
    /// id; the year asked for, 0 for the latest sheet signed).
    OfficerSheet(i64, i32),
    /// The secretary corrects a member's month of introduction.
    IntroCorrect(i64),
    /// Join dialogue: introduced to the cell "this month", the month the
    /// button showed when it was sent (`None` on buttons from before the
    /// month rode on them: which month they showed is not known).
    IntroThisMonth(Option<Period>),
    /// A long list: page `3` of view `0` of scope `1` (year `2`, 0 when the
    /// view has none).
    ViewPage(View, i64, i32, u32),
    /// A long list: the whole of it as an XLSX.
    ViewXlsx(View, i64, i32),
    // meetings
    /// /meeting dialogue: the cell (for someone on several committees).
    MeetingCell(i64),
    /// /meeting dialogue: the kind of meeting.
    MeetingKindChoice(MeetingKind),
    /// /meeting dialogue: send the invitations / drop the draft.
    MeetingSend(u32),
    MeetingDiscard(u32),
    /// On an invitation: I will attend / I cannot attend meeting `0`, as
    /// postponed `1` times on the message pressed (0 on buttons from before
    /// the count).
    MeetingAttend(i64, u32),
    MeetingDecline(i64, u32),
    /// On the secretary's summary: postpone / cancel the meeting.
    MeetingPostpone(i64),
    MeetingCancel(i64),
    /// Cancelling a meeting: confirmed / not after all.
    /// Cancel meeting `0`, postponed `1` times when the confirmation was
    /// shown (a meeting moved since is not cancelled unseen).
    MeetingCancelYes(i64, u32),
    MeetingCancelNo(i64),
    /// /meetings: the summary of meeting `0` (with its buttons), brought to
    /// whoever is on the committee now.
    MeetingSummary(i64),
    /// /meetings: the member's invitation to meeting `0` again, with its
    /// answer buttons (the message that carried them may never have
    /// arrived: the bot was blocked then).
    MeetingInvitation(i64),
    // roster
    /// A roster preview: import / cancel upload `0`.
    RosterImport(i64),
    RosterCancel(i64),
    // introductions
    /// /status: the officer introduces roster entry `0` (a personal link).
    Introduce(i64),
    /// Opening an introduction: the ward / the residence cell chosen.
    IntroWard(i64),
    IntroCell(i64),
    /// While choosing the cell: back to the list of wards.
    IntroBack,
    /// The officer withdraws introduction link `0`.
    IntroRevoke(i64),
    // attendance
    /// The register of meeting `0`.
    RegisterOpen(i64),
    /// In the register of meeting `0`: set member `1` (membership id) to
    /// `2` (the state the button shows next, so a press counts once).
    AttendanceSet(i64, i64, Attendance),
    /// Close the register of meeting `0`.
    RegisterClose(i64),
    /// Page `1` of the register of meeting `0` (a large cell's register
    /// is paged: Telegram refuses keyboards of over 100 buttons).
    RegisterPage(i64, u32),
    // personal data
    /// /forgetme: erase my data / do not.
    ForgetConfirm,
    ForgetCancel,
    /// The personal-data notice: agree / do not agree.
    ConsentAgree,
    ConsentRefuse,
    /// Agree to the notice shown before a join by the link with code `0`:
    /// the code rides on the button (nothing is stored before the
    /// agreement, and a restart between notice and press loses nothing).
    ConsentAgreeJoin(LinkCode),
    // ward administrators
    /// /cells: the cells of ward `0` (for an administrator of several).
    WardCells(i64),
    /// /cells import: the file is for ward `0`.
    WardImport(i64),
    /// /cells: add a cell to ward `0`.
    CellAdd(i64),
    /// /cells: cell `0`'s card, its secretary invite, its new name.
    CellOpen(i64),
    CellInvite(i64),
    CellRename(i64),
    /// Remove cell `0` (asks first) / confirmed / kept.
    CellRemove(i64),
    CellRemoveYes(i64),
    CellRemoveNo(i64),
    /// A cell-name file's preview: import / cancel upload `0`.
    CellsImport(i64),
    CellsCancel(i64),
    // comments on request (tags start with `x`)
    /// /request: the member chosen among several matches (membership id).
    RequestMember(i64),
    /// /request: the reason (Other asks for it typed).
    RequestReason(ReasonKind),
    /// /request: the default period, the last 12 months.
    RequestPeriodDefault,
    /// /request: send the request / drop the draft.
    RequestSend(u32),
    RequestCancel(u32),
    /// The secretary opens (drafts) the comment for request `0`.
    RequestDraft(i64),
    /// /requests: the officer withdraws request `0` (asks to confirm).
    RequestWithdraw(i64),
    /// Withdrawing request `0`: confirmed / keep it after all.
    RequestWithdrawYes(i64),
    RequestWithdrawNo(i64),
    /// /requests: the signed comment of request `0`, its DOCX and PDF sent
    /// again to an officer of the workplace that asked.
    RequestDocuments(i64),
}

impl CallbackData {
    /// A button of a dialogue (join, report, announcement): it means
    /// something only at the step it was shown for.
    pub fn is_dialogue_step(self) -> bool {
        use CallbackData::*;
        matches!(
            self,
            Workplace(_)
                | WorkplaceOther
                | WorkplacePage(_)
                | JoinConfirm(_)
                | JoinCancel(_)
                | Kind(_)
                | DateToday
                | DateYesterday
                | PhotosDone
                | PhotosRemove
                | ReportSubmit(_)
                | ReportCancel(_)
                | AnnounceSend(_)
                | AnnounceCancel(_)
                | MoveConfirm(_)
                | MoveCancel(_)
                | EndConfirm(_)
                | EndCancel(_)
                | EditKind
                | EditDate
                | EditText
                | EditPhotos
                | IntroThisMonth(_)
                | MeetingCell(_)
                | MeetingKindChoice(_)
                | MeetingSend(_)
                | MeetingDiscard(_)
                | IntroWard(_)
                | IntroCell(_)
                | IntroBack
        )
    }

    /// A button of the officer's /request dialogue: it means something only
    /// at the step it was shown for, to an officer.
    /// The tag of the dialogue state a summary's confirming (or, for a
    /// report or an announcement, cancelling) button was
    /// shown for (see [`with_step`]); none for every other button.
    pub fn step(self) -> Option<u32> {
        use CallbackData::*;
        match self {
            JoinConfirm(step) | JoinCancel(step) | ReportSubmit(step) | ReportCancel(step)
            | AnnounceSend(step) | AnnounceCancel(step) | MoveConfirm(step) | MoveCancel(step)
            | EndConfirm(step) | EndCancel(step) | MeetingSend(step) | MeetingDiscard(step)
            | RequestSend(step) => Some(step),
            _ => None,
        }
    }

    pub fn is_request_step(self) -> bool {
        use CallbackData::*;
        matches!(
            self,
            RequestMember(_)
                | RequestReason(_)
                | RequestPeriodDefault
                | RequestSend(_)
                | RequestCancel(_)
        )
    }

    pub fn encode(self) -> String {
        use CallbackData::*;
        match self {
            JoinApprove(id) => format!("ja:{id}"),
            JoinReject(id) => format!("jr:{id}"),
            ReportApprove(id) => format!("ra:{id}"),
            ReportReject(id) => format!("rr:{id}"),
            ReportPhotos(id) => format!("rp:{id}"),
            Workplace(id) => format!("w:{id}"),
            WorkplaceOther => "wo".into(),
            WorkplacePage(page) => format!("wp:{page}"),
            JoinConfirm(step) => with_step("jc", step),
            JoinCancel(step) => with_step("jx", step),
            Kind(id) => format!("k:{id}"),
            DateToday => "dt".into(),
            DateYesterday => "dy".into(),
            PhotosDone => "pd".into(),
            PhotosRemove => "pz".into(),
            ReportSubmit(step) => with_step("rs", step),
            ReportCancel(step) => with_step("rx", step),
            Language(lang) => format!("l:{}", lang.code()),
            ReportNow => "rn".into(),
            OpenPending => "op".into(),
            AnnounceSend(step) => with_step("as", step),
            AnnounceCancel(step) => with_step("ax", step),
            SheetOpen(id) => format!("so:{id}"),
            SheetLevel(id, c, l) => format!("sl:{id}:{c}:{l}"),
            SheetRemarks(id) => format!("sr:{id}"),
            SheetSend(id) => format!("ss:{id}"),
            SheetReopen(id) => format!("sx:{id}"),
            SheetSign(id) => format!("sg:{id}"),
            SheetAccept(id, 0) => format!("ma:{id}"),
            SheetAccept(id, tag) => format!("ma:{id}:{tag}"),
            SheetRespond(id, 0) => format!("mr:{id}"),
            SheetRespond(id, tag) => format!("mr:{id}:{tag}"),
            JoinWithdraw(id) => format!("jw:{id}"),
            MoveConfirm(step) => with_step("vc", step),
            MoveCancel(step) => with_step("vx", step),
            MembersPage(cell, page) => format!("bp:{cell}:{page}"),
            MemberCard(id) => format!("bo:{id}"),
            EndStart(id, EndReason::LeftArea) => format!("el:{id}"),
            EndStart(id, EndReason::Retired) => format!("er:{id}"),
            EndStart(id, EndReason::Transferred) => format!("et:{id}"),
            // Never offered (a move ends on approval); no button carries it.
            EndStart(id, EndReason::Moved) => format!("em:{id}"),
            EndConfirm(step) => with_step("ec", step),
            EndCancel(step) => with_step("ex", step),
            ProfilePhone => "pp".into(),
            ProfileWorkplace => "pw".into(),
            Resubmit(id) => format!("ur:{id}"),
            EditKind => "uk".into(),
            EditDate => "ud".into(),
            EditText => "ut".into(),
            EditPhotos => "up".into(),
            SheetOpenYear(id, year) => format!("yo:{id}:{year}"),
            OfficerSheet(id, year) => format!("yw:{id}:{year}"),
            InviteCell(cell, false) => format!("im:{cell}"),
            InviteCell(cell, true) => format!("id:{cell}"),
            AnnounceCell(cell) => format!("ac:{cell}"),
            AnnounceAllCells => "aa".into(),
            IntroCorrect(id) => format!("yi:{id}"),
            IntroThisMonth(None) => "ym".into(),
            IntroThisMonth(Some(month)) => format!("ym:{month}"),
            ViewPage(view, scope, year, page) => {
                format!("qs:{}:{scope}:{year}:{page}", view.code())
            }
            ViewXlsx(view, scope, year) => format!("qx:{}:{scope}:{year}", view.code()),
            // meetings
            MeetingCell(id) => format!("gl:{id}"),
            MeetingKindChoice(kind) => format!("gk:{}", meeting_kind_code(kind)),
            MeetingSend(step) => with_step("gs", step),
            MeetingDiscard(step) => with_step("gx", step),
            MeetingAttend(id, 0) => format!("ga:{id}"),
            MeetingAttend(id, moved) => format!("ga:{id}:{moved}"),
            MeetingDecline(id, 0) => format!("gd:{id}"),
            MeetingDecline(id, moved) => format!("gd:{id}:{moved}"),
            MeetingPostpone(id) => format!("gp:{id}"),
            MeetingCancel(id) => format!("gc:{id}"),
            MeetingCancelYes(id, 0) => format!("gy:{id}"),
            MeetingCancelYes(id, moved) => format!("gy:{id}:{moved}"),
            MeetingCancelNo(id) => format!("gn:{id}"),
            MeetingSummary(id) => format!("gv:{id}"),
            MeetingInvitation(id) => format!("gi:{id}"),
            // roster
            RosterImport(id) => format!("oi:{id}"),
            RosterCancel(id) => format!("oc:{id}"),
            // introductions
            Introduce(id) => format!("ni:{id}"),
            IntroWard(id) => format!("nw:{id}"),
            IntroCell(id) => format!("nc:{id}"),
            IntroBack => "nb".into(),
            IntroRevoke(id) => format!("nx:{id}"),
            // attendance
            RegisterOpen(id) => format!("to:{id}"),
            AttendanceSet(meeting, member, to) => {
                format!("tt:{meeting}:{member}:{}", attendance_code(to))
            }
            RegisterClose(id) => format!("tc:{id}"),
            RegisterPage(id, page) => format!("tp:{id}:{page}"),
            // personal data
            ForgetConfirm => "fy".into(),
            ForgetCancel => "fn".into(),
            ConsentAgree => "ca".into(),
            ConsentAgreeJoin(code) => format!("ca:{}", code.as_str()),
            ConsentRefuse => "cr".into(),
            // ward administrators
            WardCells(id) => format!("hw:{id}"),
            WardImport(id) => format!("hm:{id}"),
            CellAdd(id) => format!("ha:{id}"),
            CellOpen(id) => format!("ho:{id}"),
            CellInvite(id) => format!("hi:{id}"),
            CellRename(id) => format!("hr:{id}"),
            CellRemove(id) => format!("hd:{id}"),
            CellRemoveYes(id) => format!("hk:{id}"),
            CellRemoveNo(id) => format!("hn:{id}"),
            CellsImport(id) => format!("hy:{id}"),
            CellsCancel(id) => format!("hx:{id}"),
            // comments on request
            RequestMember(id) => format!("xm:{id}"),
            RequestReason(kind) => format!("xk:{}", reason_code(kind)),
            RequestPeriodDefault => "xp".into(),
            RequestSend(step) => with_step("xs", step),
            RequestCancel(key) => with_step("xx", key),
            RequestDraft(id) => format!("xd:{id}"),
            RequestWithdraw(id) => format!("xw:{id}"),
            RequestWithdrawYes(id) => format!("xy:{id}"),
            RequestWithdrawNo(id) => format!("xn:{id}"),
            RequestDocuments(id) => format!("xf:{id}"),
        }
    }

    /// Decodes button data; anything malformed is `None`.
    pub fn decode(data: &str) -> Option<Self> {
        use CallbackData::*;
        if let Some((rest, answer)) = data
            .strip_prefix("ma:")
            .map(|rest| (rest, SheetAccept as fn(i64, u32) -> Self))
            .or_else(|| {
                data.strip_prefix("mr:")
                    .map(|rest| (rest, SheetRespond as _))
            })
            .or_else(|| {
                data.strip_prefix("gy:")
                    .map(|rest| (rest, MeetingCancelYes as _))
            })
            .or_else(|| {
                data.strip_prefix("ga:")
                    .map(|rest| (rest, MeetingAttend as _))
            })
            .or_else(|| {
                data.strip_prefix("gd:")
                    .map(|rest| (rest, MeetingDecline as _))
            })
        {
            let (id, tag) = match rest.split_once(':') {
                // A tag (a count of postponements) is never 0: "0" is how
                // buttons without one are read.
                Some((_, "0")) => return None,
                Some(parts) => parts,
                None => (rest, "0"),
            };
            let digits = |s: &str, max: usize| {
                !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
            };
            if !digits(id, 19) || !digits(tag, 10) {
                return None;
            }
            return Some(answer(id.parse().ok()?, tag.parse().ok()?));
        }
        if let Some((rest, paged)) = data
            .strip_prefix("bp:")
            .map(|rest| (rest, MembersPage as fn(i64, u32) -> Self))
            .or_else(|| {
                data.strip_prefix("tp:")
                    .map(|rest| (rest, RegisterPage as _))
            })
        {
            let (cell, page) = rest.split_once(':')?;
            let number = |s: &str| {
                (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse::<i64>().ok())
                    .flatten()
            };
            return Some(paged(number(cell)?, u32::try_from(number(page)?).ok()?));
        }
        if let Some(rest) = data
            .strip_prefix("qs:")
            .or_else(|| data.strip_prefix("qx:"))
        {
            let parts: Vec<&str> = rest.split(':').collect();
            let digits = |s: &str, max: usize| {
                !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
            };
            let page = data.starts_with("qs:");
            let (view, scope, year) = match (page, parts.as_slice()) {
                (true, [v, s, y, p]) if digits(p, 10) => (*v, *s, *y),
                (false, [v, s, y]) => (*v, *s, *y),
                _ => return None,
            };
            if !digits(scope, 19) || !digits(year, 4) {
                return None;
            }
            let (view, scope, year) = (
                View::from_code(view)?,
                scope.parse().ok()?,
                year.parse().ok()?,
            );
            return Some(if page {
                ViewPage(view, scope, year, parts[3].parse().ok()?)
            } else {
                ViewXlsx(view, scope, year)
            });
        }
        // attendance
        if let Some(rest) = data.strip_prefix("tt:") {
            let mut parts = rest.split(':');
            let (Some(meeting), Some(member), Some(to), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return None;
            };
            let number = |s: &str| {
                (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse::<i64>().ok())
                    .flatten()
            };
            let to = match to {
                "p" => Attendance::Present,
                "e" => Attendance::Excused,
                "a" => Attendance::Absent,
                _ => return None,
            };
            return Some(AttendanceSet(number(meeting)?, number(member)?, to));
        }
        if let Some(rest) = data.strip_prefix("sl:") {
            let mut parts = rest.split(':');
            let (Some(id), Some(c), Some(l), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return None;
            };
            let number = |s: &str, max: usize| {
                (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse::<i64>().ok())
                    .flatten()
            };
            let (id, c, l) = (number(id, 19)?, number(c, 1)?, number(l, 1)?);
            if c >= 6 || l >= 3 {
                return None;
            }
            return Some(SheetLevel(id, c as u8, l as u8));
        }
        if let Some((rest, latest_allowed)) = data
            .strip_prefix("yo:")
            .map(|rest| (rest, false))
            .or_else(|| data.strip_prefix("yw:").map(|rest| (rest, true)))
        {
            let (id, year) = rest.split_once(':')?;
            let digits = |s: &str, max: usize| {
                !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
            };
            let latest = latest_allowed && year == "0";
            if !digits(id, 19) || !(latest || year.len() == 4 && digits(year, 4)) {
                return None;
            }
            let (id, year) = (id.parse().ok()?, year.parse().ok()?);
            return Some(if latest_allowed {
                OfficerSheet(id, year)
            } else {
                SheetOpenYear(id, year)
            });
        }
        let (tag, arg) = match data.split_once(':') {
            Some((tag, arg)) => (tag, Some(arg)),
            None => (data, None),
        };
        let id = || -> Option<i64> {
            let arg = arg?;
            if arg.is_empty() || arg.len() > 19 || !arg.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            arg.parse().ok()
        };
        Some(match (tag, arg) {
            ("im", _) => InviteCell(id()?, false),
            ("id", _) => InviteCell(id()?, true),
            ("ac", _) => AnnounceCell(id()?),
            ("aa", None) => AnnounceAllCells,
            ("ja", _) => JoinApprove(id()?),
            ("jr", _) => JoinReject(id()?),
            ("jw", _) => JoinWithdraw(id()?),
            ("ra", _) => ReportApprove(id()?),
            ("rr", _) => ReportReject(id()?),
            ("rp", _) => ReportPhotos(id()?),
            ("w", _) => Workplace(id()?),
            ("wp", _) => WorkplacePage(u32::try_from(id()?).ok()?),
            ("k", _) => Kind(id()?),
            ("l", Some(code)) => Language(Lang::from_code(code)?),
            ("so", _) => SheetOpen(id()?),
            ("sr", _) => SheetRemarks(id()?),
            ("ss", _) => SheetSend(id()?),
            ("sx", _) => SheetReopen(id()?),
            ("sg", _) => SheetSign(id()?),

            ("bo", _) => MemberCard(id()?),
            ("el", _) => EndStart(id()?, EndReason::LeftArea),
            ("er", _) => EndStart(id()?, EndReason::Retired),
            ("et", _) => EndStart(id()?, EndReason::Transferred),
            ("ur", _) => Resubmit(id()?),
            ("yi", _) => IntroCorrect(id()?),
            ("to", _) => RegisterOpen(id()?),
            ("tc", _) => RegisterClose(id()?),
            ("ym", None) => IntroThisMonth(None),
            ("ym", Some(month)) => IntroThisMonth(Some(intro_month(month)?)),
            ("wo", None) => WorkplaceOther,
            ("jc", _) => JoinConfirm(step(arg)?),
            ("jx", _) => JoinCancel(step(arg)?),
            ("dt", None) => DateToday,
            ("dy", None) => DateYesterday,
            ("pd", None) => PhotosDone,
            ("pz", None) => PhotosRemove,
            ("rs", _) => ReportSubmit(step(arg)?),
            ("rx", _) => ReportCancel(step(arg)?),
            ("rn", None) => ReportNow,
            ("op", None) => OpenPending,
            ("as", _) => AnnounceSend(step(arg)?),
            ("ax", _) => AnnounceCancel(step(arg)?),
            ("vc", _) => MoveConfirm(step(arg)?),
            ("vx", _) => MoveCancel(step(arg)?),
            ("ec", _) => EndConfirm(step(arg)?),
            ("ex", _) => EndCancel(step(arg)?),
            ("pp", None) => ProfilePhone,
            ("pw", None) => ProfileWorkplace,
            ("uk", None) => EditKind,
            ("ud", None) => EditDate,
            ("ut", None) => EditText,
            ("up", None) => EditPhotos,
            // meetings
            ("gk", Some("p")) => MeetingKindChoice(MeetingKind::Periodic),
            ("gk", Some("c")) => MeetingKindChoice(MeetingKind::Cell),
            ("gk", Some("r")) => MeetingKindChoice(MeetingKind::Residents),
            ("gl", _) => MeetingCell(id()?),
            ("gs", _) => MeetingSend(step(arg)?),
            ("gx", _) => MeetingDiscard(step(arg)?),
            ("gp", _) => MeetingPostpone(id()?),
            ("gc", _) => MeetingCancel(id()?),
            ("gn", _) => MeetingCancelNo(id()?),
            ("gv", _) => MeetingSummary(id()?),
            ("gi", _) => MeetingInvitation(id()?),
            // personal data
            ("fy", None) => ForgetConfirm,
            ("fn", None) => ForgetCancel,
            ("ca", None) => ConsentAgree,
            ("ca", Some(code)) => ConsentAgreeJoin(LinkCode::new(code)?),
            ("cr", None) => ConsentRefuse,
            // roster
            ("oi", _) => RosterImport(id()?),
            ("oc", _) => RosterCancel(id()?),
            // introductions
            ("ni", _) => Introduce(id()?),
            ("nw", _) => IntroWard(id()?),
            ("nc", _) => IntroCell(id()?),
            ("nb", None) => IntroBack,
            ("nx", _) => IntroRevoke(id()?),
            // ward administrators
            ("hw", _) => WardCells(id()?),
            ("hm", _) => WardImport(id()?),
            ("ha", _) => CellAdd(id()?),
            ("ho", _) => CellOpen(id()?),
            ("hi", _) => CellInvite(id()?),
            ("hr", _) => CellRename(id()?),
            ("hd", _) => CellRemove(id()?),
            ("hk", _) => CellRemoveYes(id()?),
            ("hn", _) => CellRemoveNo(id()?),
            ("hy", _) => CellsImport(id()?),
            ("hx", _) => CellsCancel(id()?),
            // comments on request
            ("xm", _) => RequestMember(id()?),
            ("xk", Some("a")) => RequestReason(ReasonKind::Appointment),
            ("xk", Some("c")) => RequestReason(ReasonKind::Commendation),
            ("xk", Some("d")) => RequestReason(ReasonKind::Discipline),
            ("xk", Some("t")) => RequestReason(ReasonKind::Transfer),
            ("xk", Some("o")) => RequestReason(ReasonKind::Other),
            ("xp", None) => RequestPeriodDefault,
            ("xs", _) => RequestSend(step(arg)?),
            ("xx", _) => RequestCancel(step(arg)?),
            ("xd", _) => RequestDraft(id()?),
            ("xw", _) => RequestWithdraw(id()?),
            ("xy", _) => RequestWithdrawYes(id()?),
            ("xn", _) => RequestWithdrawNo(id()?),
            ("xf", _) => RequestDocuments(id()?),
            _ => return None,
        })
    }
}

/// A summary's confirming button with the tag of the dialogue state it
/// was shown for: a button left under an older summary of the same
/// dialogue is told apart from the current one. 0 (buttons from before
/// tags) is written and read without one.
fn with_step(code: &str, step: u32) -> String {
    match step {
        0 => code.to_string(),
        step => format!("{code}:{step}"),
    }
}

/// A step's tag read back: none is 0; digits only, a u32, not 0.
fn step(arg: Option<&str>) -> Option<u32> {
    let Some(arg) = arg else { return Some(0) };
    if arg.is_empty() || arg.len() > 10 || !arg.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    arg.parse().ok().filter(|&n: &u32| n != 0)
}

/// A month as `YYYY-MM` (`Period`'s display), read strictly: four digits,
/// a hyphen, two digits, a month that exists.
fn intro_month(arg: &str) -> Option<Period> {
    let (year, month) = arg.split_once('-')?;
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return None;
    }
    Period::new(year.parse().ok()?, month.parse().ok()?)
}

/// A meeting kind in one letter (button data).
fn meeting_kind_code(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::Periodic => "p",
        MeetingKind::Cell => "c",
        MeetingKind::Residents => "r",
    }
}

/// A request's reason in one letter (button data).
fn reason_code(kind: ReasonKind) -> &'static str {
    match kind {
        ReasonKind::Appointment => "a",
        ReasonKind::Commendation => "c",
        ReasonKind::Discipline => "d",
        ReasonKind::Transfer => "t",
        ReasonKind::Other => "o",
    }
}

fn attendance_code(a: Attendance) -> char {
    match a {
        Attendance::Present => 'p',
        Attendance::Excused => 'e',
        Attendance::Absent => 'a',
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CallbackData::*;

    #[test]
    fn round_trips_and_fits_telegram_limit() {
        let all = [
            JoinApprove(1),
            JoinReject(i64::MAX),
            ReportApprove(42),
            ReportReject(7),
            ReportPhotos(9),
            Workplace(3),
            WorkplaceOther,
            WorkplacePage(2),
            JoinConfirm(0),
            JoinConfirm(u32::MAX),
            JoinCancel(0),
            JoinCancel(u32::MAX),
            Kind(5),
            DateToday,
            DateYesterday,
            PhotosDone,
            PhotosRemove,
            ReportSubmit(0),
            ReportSubmit(u32::MAX),
            ReportCancel(0),
            ReportCancel(u32::MAX),
            Language(Lang::En),
            Language(Lang::Vi),
            ReportNow,
            OpenPending,
            AnnounceSend(0),
            AnnounceSend(u32::MAX),
            AnnounceCancel(0),
            AnnounceCancel(u32::MAX),
            SheetOpen(4),
            SheetLevel(12, 5, 2),
            SheetLevel(1, 0, 0),
            SheetRemarks(3),
            SheetSend(3),
            SheetReopen(3),
            SheetSign(3),
            SheetAccept(3, 0),
            SheetRespond(3, 0),
            SheetAccept(i64::MAX, u32::MAX),
            SheetRespond(1, 4_000_000_000),
            JoinWithdraw(i64::MAX),
            JoinWithdraw(1),
            MoveConfirm(0),
            MoveConfirm(u32::MAX),
            MoveCancel(0),
            MoveCancel(u32::MAX),
            MembersPage(i64::MAX, u32::MAX),
            MembersPage(2, 0),
            MemberCard(i64::MAX),
            EndStart(5, EndReason::LeftArea),
            EndStart(5, EndReason::Retired),
            EndStart(i64::MAX, EndReason::Transferred),
            EndConfirm(0),
            EndConfirm(u32::MAX),
            EndCancel(0),
            EndCancel(u32::MAX),
            ProfilePhone,
            ProfileWorkplace,
            Resubmit(i64::MAX),
            EditKind,
            EditDate,
            EditText,
            EditPhotos,
            SheetOpenYear(i64::MAX, 2026),
            SheetOpenYear(1, 1999),
            OfficerSheet(i64::MAX, 2026),
            OfficerSheet(1, 0),
            InviteCell(i64::MAX, false),
            InviteCell(1, true),
            AnnounceCell(1),
            AnnounceCell(i64::MAX),
            AnnounceAllCells,
            IntroCorrect(8),
            IntroThisMonth(None),
            IntroThisMonth(Period::new(2026, 11)),
            IntroThisMonth(Period::new(2027, 1)),
            IntroThisMonth(Period::new(9999, 12)),
            IntroThisMonth(Period::new(1900, 1)),
            ViewPage(View::Status, i64::MAX, 2026, u32::MAX),
            ViewPage(View::Members, 1, 0, 0),
            ViewPage(View::Pending, 3, 0, 7),
            ViewPage(View::Sheets, 4, 2025, 2),
            ViewXlsx(View::Status, i64::MAX, 2026),
            ViewXlsx(View::Members, 2, 0),
            ViewXlsx(View::Pending, 2, 0),
            ViewXlsx(View::Sheets, 2, 1999),
            MeetingKindChoice(MeetingKind::Periodic),
            MeetingKindChoice(MeetingKind::Cell),
            MeetingKindChoice(MeetingKind::Residents),
            MeetingSend(0),
            MeetingSend(u32::MAX),
            MeetingDiscard(0),
            MeetingDiscard(u32::MAX),
            MeetingCell(7),
            MeetingAttend(i64::MAX, 0),
            MeetingAttend(1, 2),
            MeetingDecline(1, 0),
            MeetingDecline(i64::MAX, u32::MAX),
            MeetingPostpone(2),
            MeetingCancel(3),
            MeetingCancelYes(i64::MAX, 0),
            MeetingCancelYes(3, u32::MAX),
            MeetingCancelNo(4),
            MeetingSummary(i64::MAX),
            MeetingInvitation(i64::MAX),
            MeetingInvitation(1),
            RosterImport(1),
            RosterImport(i64::MAX),
            RosterCancel(7),
            Introduce(1),
            Introduce(i64::MAX),
            IntroWard(3),
            IntroCell(i64::MAX),
            IntroBack,
            IntroRevoke(1),
            IntroRevoke(i64::MAX),
            RegisterOpen(i64::MAX),
            RegisterClose(3),
            RegisterPage(i64::MAX, u32::MAX),
            RegisterPage(3, 0),
            AttendanceSet(i64::MAX, i64::MAX, Attendance::Present),
            AttendanceSet(1, 2, Attendance::Excused),
            AttendanceSet(1, 2, Attendance::Absent),
            ForgetConfirm,
            ForgetCancel,
            ConsentAgree,
            ConsentRefuse,
            ConsentAgreeJoin(LinkCode::new("in_AbCdEfGhIjKlMnOpQrStUv").unwrap()),
            ConsentAgreeJoin(LinkCode::new(&"x".repeat(61)).unwrap()),
            WardCells(1),
            WardCells(i64::MAX),
            WardImport(2),
            CellAdd(i64::MAX),
            CellOpen(3),
            CellInvite(i64::MAX),
            CellRename(4),
            CellRemove(5),
            CellRemoveYes(i64::MAX),
            CellRemoveNo(6),
            CellsImport(i64::MAX),
            CellsCancel(5),
            ViewPage(View::Cells, i64::MAX, 0, u32::MAX),
            ViewXlsx(View::Cells, 7, 0),
            RequestMember(1),
            RequestMember(i64::MAX),
            RequestReason(ReasonKind::Appointment),
            RequestReason(ReasonKind::Commendation),
            RequestReason(ReasonKind::Discipline),
            RequestReason(ReasonKind::Transfer),
            RequestReason(ReasonKind::Other),
            RequestPeriodDefault,
            RequestSend(0),
            RequestSend(u32::MAX),
            RequestCancel(0),
            RequestCancel(u32::MAX),
            RequestDraft(3),
            RequestDraft(i64::MAX),
            RequestWithdraw(1),
            RequestWithdraw(i64::MAX),
            RequestWithdrawYes(2),
            RequestWithdrawYes(i64::MAX),
            RequestWithdrawNo(3),
            RequestWithdrawNo(i64::MAX),
            RequestDocuments(4),
            RequestDocuments(i64::MAX),
        ];
        for data in all {
            let code = data.encode();
            assert!(code.len() <= 64, "{code}");
            assert_eq!(CallbackData::decode(&code), Some(data), "{code}");
        }
    }

    #[test]
    fn forged_data_is_rejected() {
        for bad in [
            "sl:1:6:0",
            "ma:",
            "ma:1:",
            "ma:1:0",
            "ma:1:x",
            "ma:1:2:3",
            "mr:1:99999999999",
            "mr:-1:2",
            "sl:1:0:3",
            "sl:1:0",
            "sl:1:0:0:0",
            "sl:x:0:0",
            "",
            "ra",
            "ra:",
            "ra:-1",
            "ra:1x",
            "ra:99999999999999999999",
            "zz:1",
            "jc:0",
            "jc:",
            "jc:1:2",
            "jc:-1",
            "jc:4294967296",
            "rs:x",
            "as:00000000000",
            "nb:1",
            "l:fr",
            "ra:1:2",
            "wp:99999999999",
            "em:1",
            "bp:1",
            "bp:1:",
            "bp::1",
            "bp:1:2:3",
            "bp:1:99999999999",
            "bp:-1:0",
            "tp:1",
            "tp:1:",
            "tp:1:2:3",
            "tp:1:99999999999",
            "tp:x:0",
            "bo:",
            "bo:x",
            "el:-3",
            "et",
            "ur:1x",
            "ur",
            "vc:0",
            "ec:9x",
            "pp:1",
            "uk:2",
            "yo:1",
            "yo:1:",
            "yo:1:202",
            "yo:1:20266",
            "yo:1:2026:1",
            "yo:x:2026",
            "yo::2026",
            "yo:1:-202",
            "yo:1:0",
            "yw:1",
            "im",
            "im:",
            "id:x",
            "id:-1",
            "yw:1:00",
            "yw:1:202",
            "yw:x:0",
            "yw::2026",
            "yw:1:2026:0",
            "yi:",
            "yi:-3",
            "ym:1",
            "ym:",
            "ym:2026",
            "ym:2026-",
            "ym:-11",
            "ym:2026-1",
            "ym:2026-011",
            "ym:2026-00",
            "ym:2026-13",
            "ym:2026-99",
            "ym:0001-01",
            "ym:1899-12",
            "ym:20261-1",
            "ym:202611",
            "ym:11/2026",
            "ym:11-2026",
            "ym:2026-+1",
            "ym:+026-11",
            "ym:2026--1",
            "ym:2026-11-01",
            "ym:2026-11:1",
            "ym: 2026-11",
            "ym:2026-11 ",
            "ym:２０２６-11",
            "ym:2026_11",
            "YM:2026-11",
            "qs:s:1:2026",
            "qs:s:1:2026:",
            "qs:s:1:2026:1:2",
            "qs:z:1:2026:1",
            "qs:s:-1:2026:1",
            "qs:s:1:20266:1",
            "qs:s:1:2026:99999999999",
            "qs:s:1:2026:x",
            "qs::1:2026:1",
            "qx:s:1",
            "qx:s:1:2026:0",
            "qx:h:x:2026",
            "qx:m:1:",
            "qs",
            "qx",
            "gk",
            "gk:",
            "gk:x",
            "gk:pp",
            "gk:1",
            "gs:01x",
            "gx:",
            "ga",
            "ga:",
            "ga:-1",
            "ga:1x",
            "ga:99999999999999999999",
            "gd:1:0",
            "gd:1:2:3",
            "ga:1:-2",
            "gy:1:0",
            "gp:x",
            "gc:",
            "gy:-5",
            "gn",
            "gz:1",
            "gv",
            "gv:",
            "gv:-1",
            "gv:1:2",
            "gi",
            "gi:",
            "gi:-1",
            "gi:1:2",
            "gl",
            "gl:",
            "gl:-2",
            "oi",
            "oi:",
            "oi:-1",
            "oi:1x",
            "oi:1:2",
            "oi:99999999999999999999",
            "oc",
            "oc:x",
            "oc: 1",
            "oc:+1",
            "ox:1",
            "ni",
            "ni:",
            "ni:-1",
            "ni:1x",
            "ni:1:2",
            "ni:99999999999999999999",
            "ni: 1",
            "nw",
            "nw:",
            "nw:+3",
            "nw:x",
            "nc",
            "nc:",
            "nc:1:2",
            "nc:-7",
            "nx",
            "nx:",
            "nx:-1",
            "nx:1:2",
            "nx: 2",
            "nz:1",
            "n",
            "n:1",
            "tt",
            "tt:1",
            "tt:1:2",
            "tt:1:2:x",
            "tt:1:2:p:3",
            "tt:-1:2:p",
            "tt:1::p",
            "tt:1:2:",
            "tt:99999999999999999999:2:p",
            "to",
            "to:",
            "to:x",
            "tc:-1",
            "tc",
            "tc:1:2",
            "fy:",
            "fy:1",
            "fn:1",
            "fn:",
            "f",
            "fx",
            "FY",
            "fy ",
            "ca:",
            "ca:1",
            "cr:x",
            "c",
            "cx",
            // ward administrators
            "h",
            "h:1",
            "hw",
            "hw:",
            "hw:-1",
            "hw:1x",
            "hw:1:2",
            "hw:99999999999999999999",
            "hm",
            "hm: 1",
            "ha:",
            "ha:+1",
            "ho:x",
            "ho",
            "hi:-2",
            "hi:1:1",
            "hr:",
            "hr:1.0",
            "hy",
            "hy:-1",
            "hy:99999999999999999999",
            "hx:",
            "hx:x",
            "hd",
            "hd:-1",
            "hk:",
            "hk:1:2",
            "hn:x",
            "hz:1",
            "HW:1",
            "qs:W:1:0:0",
            "qs:w:1:0",
            "qx:w:-1:0",
            "x",
            "x:1",
            "xm",
            "xm:",
            "xm:-1",
            "xm:1x",
            "xm:1:2",
            "xm:99999999999999999999",
            "xk",
            "xk:",
            "xk:x",
            "xk:aa",
            "xk:1",
            "xk:A",
            "xp:1",
            "xp:",
            "xs:0",
            "xx:",
            "xd",
            "xd:",
            "xd:+1",
            "xd: 1",
            "xd:x",
            "xd:1:2",
            "xz:1",
            "XS",
            "xw",
            "xw:",
            "xw:-1",
            "xw:+1",
            "xw: 1",
            "xw:1x",
            "xw:1:2",
            "xw:99999999999999999999",
            "XW:1",
            "xy",
            "xy:",
            "xy:x",
            "xy:-2",
            "xy:1:1",
            "xy:99999999999999999999",
            "xn",
            "xn:",
            "xn:0x1",
            "xn:1 ",
            "xn:1:2",
            "xv:1",
        ] {
            assert_eq!(CallbackData::decode(bad), None, "{bad}");
        }
    }
}
