//! Dialogue state, stored per chat in SQLite so a restart resumes the step.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    domain::membership::{EndReason, WorkplaceChoice},
    store::dialogues::Next,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum State {
    #[default]
    Idle,
    /// A secretary (or deputy secretary) code was opened; waiting for the
    /// full name. `resume`: the dialogue the code's link interrupted (a
    /// report, say), come back to once the role is taken or refused.
    /// `opened_at`: when the code was opened (a code that expires while the
    /// name is typed is honoured, as a member link is; none in a state
    /// stored before it was kept).
    SecretaryName {
        invite_id: i64,
        #[serde(default)]
        opened_at: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// A member joining a cell.
    Join(JoinStep, JoinDraft),
    /// A member reporting an activity.
    Report(ReportStep, ReportDraft),
    /// A secretary rejecting a report; waiting for the reason. `resume` is
    /// the dialogue the secretary was in when pressing Reject.
    RejectReason {
        report_id: i64,
        resume: Option<Box<State>>,
    },
    /// A secretary writing an announcement to the members of their cell
    /// (of all their cells, for a secretary of several who chose so).
    AnnounceText,
    /// A secretary of several cells writing an announcement to the members
    /// of the one they chose.
    AnnounceCellText { cell: i64 },
    /// The announcement's preview is shown with Send and Cancel.
    AnnounceConfirm {
        token: String,
        text: String,
        cell: Option<i64>,
    },
    /// A secretary typing a sheet's "other remarks". `resume`, here and
    /// below, is the dialogue the user was in when pressing the button that
    /// asked (come back to once answered or cancelled).
    SheetRemarks {
        sheet_id: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// A member typing a response to the draft sheet.
    SheetResponse {
        sheet_id: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
        /// When the draft answered was sent (`None` in states stored before
        /// it was kept): a draft sent again meanwhile is not answered.
        #[serde(default)]
        seen: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// A member of another cell opened this cell's invite link: moving?
    /// `resume`: the dialogue the link interrupted, come back to on Cancel.
    MoveConfirm {
        invite_id: i64,
        cell_id: i64,
        from: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// A secretary ending a membership: waiting for the reason.
    EndNote {
        membership_id: i64,
        reason: EndReason,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// The end of a membership is shown with Confirm and Cancel.
    EndConfirm {
        membership_id: i64,
        reason: EndReason,
        note: String,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// /profile: waiting for the new phone. `resume`: the dialogue the
    /// member was in when pressing Change phone (a report, say).
    ProfilePhone {
        membership_id: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// /profile: choosing the new workplace (the join dialogue's picker).
    ProfileWorkplace {
        membership_id: i64,
        page: u32,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// /profile: typing the name of an unregistered workplace.
    ProfileWorkplaceOther {
        membership_id: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// A secretary typing the corrected month a member was introduced.
    IntroCorrect {
        membership_id: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    // meetings
    /// /meeting: a secretary or deputy calling a meeting, step by step.
    Meeting(MeetingStep, MeetingDraft),
    /// A member who cannot attend: waiting for the reason. `message` is the
    /// invitation the button was pressed on, edited once the answer is in;
    /// `resume` the dialogue the member was in when pressing it.
    MeetingDeclineReason {
        meeting_id: i64,
        message: Option<i32>,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// A secretary or deputy postponing a meeting: waiting for the new
    /// date and time.
    MeetingPostpone {
        meeting_id: i64,
        /// The start the question showed: moved since (by another member
        /// of the committee), the typed time is not taken for it.
        #[serde(default)]
        shown: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    // roster
    /// /roster: an officer is asked for the workplace's roster file.
    RosterFile { workplace_id: i64 },
    // introductions
    /// An introduction's link was opened: choosing the ward. `resume`: the
    /// dialogue the link interrupted, carried into the join and come back
    /// to once the request is sent or the join cancelled.
    IntroWard {
        introduction_id: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    /// Then the residence cell in that ward.
    IntroCell {
        introduction_id: i64,
        ward_id: i64,
        #[serde(default)]
        resume: Option<Box<State>>,
    },
    // ward administrators
    /// /cells, Add cell: the new cell's name in this ward.
    CellAdd { ward_id: i64 },
    /// /cells, Rename: the cell's new name.
    CellRename { cell_id: i64 },
    /// /cells import: the file of cell names for this ward.
    CellImportFile { ward_id: i64 },
    // comments on request
    /// /request: an officer asking a member's cell for a comment.
    Request(RequestStep, RequestForm),
}

impl State {
    /// Writing an announcement to the cell chosen, or (`None`) to all the
    /// secretary's cells.
    pub fn announce_text(cell: Option<i64>) -> State {
        match cell {
            Some(cell) => State::AnnounceCellText { cell },
            None => State::AnnounceText,
        }
    }

    /// The dialogue to come back to after a question (a reason, remarks…)
    /// asked after a button in this state: none when idle; when this state
    /// is that same question (`same`: the button pressed again), what it
    /// came back to; otherwise this state, another question included (it is
    /// asked again once the new one is answered).
    pub fn interrupted_for(self, same: fn(&State) -> bool) -> Option<Box<State>> {
        match self {
            State::Idle => None,
            asked if same(&asked) => asked.cancelled(),
            other => Some(Box::new(other)),
        }
    }

    /// Which dialogue this is (hashed), whatever its step: a report, a join, a
    /// meeting or a request by its draft's token, an announcement or the
    /// end of a membership through its preview; any other (a question
    /// answered at once: a reason, remarks, a phone…) as it is. An answer
    /// read in a dialogue whose key is no longer the chat's was part of
    /// something over.
    pub fn answer_key(&self) -> u32 {
        let key = match self {
            State::Report(_, draft) => format!("report:{}", draft.token),
            State::Join(_, draft) => format!("join:{}", draft.token),
            State::Meeting(_, draft) => format!("meeting:{}", draft.token),
            State::Request(_, form) => format!("request:{}", form.token),
            // The text, then its preview; the note, then its confirmation.
            State::AnnounceText
            | State::AnnounceCellText { .. }
            | State::AnnounceConfirm { .. } => "announce".into(),
            // Whatever start it shows (asked again once moved meanwhile).
            State::MeetingPostpone { meeting_id, .. } => format!("postpone:{meeting_id}"),
            State::EndNote { membership_id, .. } | State::EndConfirm { membership_id, .. } => {
                format!("end:{membership_id}")
            }
            other => serde_json::to_string(other).unwrap_or_default(),
        };
        fnv(&key)
    }

    /// The step still to finish of a join or of taking a role, which `/start`
    /// alone or `/report` should point to instead of "you have not joined".
    pub fn unfinished_join(&self) -> Option<Unfinished> {
        match self {
            State::MoveConfirm { .. } => Some(Unfinished::Move),
            State::Join(_, draft) if draft.moved_from.is_some() => Some(Unfinished::Move),
            State::Join(..) | State::IntroWard { .. } | State::IntroCell { .. } => {
                Some(Unfinished::Join)
            }
            State::SecretaryName { .. } => Some(Unfinished::RoleName),
            _ => None,
        }
    }

    /// What `/cancel` comes back to: for a question asked after a button
    /// (a reason, remarks, a response, a new date, a month) or a link (a
    /// role's code, another cell's), the dialogue it interrupted; otherwise
    /// none (out of dialogues).
    pub fn cancelled(self) -> Option<Box<State>> {
        match self {
            State::RejectReason { resume, .. }
            | State::MeetingDeclineReason { resume, .. }
            | State::SheetRemarks { resume, .. }
            | State::SheetResponse { resume, .. }
            | State::EndNote { resume, .. }
            | State::EndConfirm { resume, .. }
            | State::IntroCorrect { resume, .. }
            | State::MeetingPostpone { resume, .. }
            | State::ProfilePhone { resume, .. }
            | State::ProfileWorkplace { resume, .. }
            | State::ProfileWorkplaceOther { resume, .. }
            | State::SecretaryName { resume, .. }
            | State::MoveConfirm { resume, .. }
            | State::IntroWard { resume, .. }
            | State::IntroCell { resume, .. } => resume,
            State::Join(_, draft) => draft.resume,
            _ => None,
        }
    }
}

/// A dialogue holding what the user gave (a choice made, a text typed), which
/// another dialogue begun now would drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnderWay {
    Report,
    Meeting,
    Announcement,
    Request,
    MembershipEnd,
}

impl State {
    /// What this dialogue holds that the user gave, if anything: a report
    /// with a kind chosen (or opened to be resubmitted), a meeting with its
    /// kind, an announcement typed, a request with its reason, the note on
    /// a membership's end. A step nothing was given at yet holds nothing.
    pub fn under_way(&self) -> Option<UnderWay> {
        match self {
            State::Report(_, d)
                if d.kind_id.is_some()
                    || d.previous_id.is_some()
                    || d.description.is_some()
                    || !d.photos.is_empty() =>
            {
                Some(UnderWay::Report)
            }
            State::Meeting(_, d) if d.kind.is_some() => Some(UnderWay::Meeting),
            State::AnnounceConfirm { .. } => Some(UnderWay::Announcement),
            State::Request(_, f) if f.reason.is_some() => Some(UnderWay::Request),
            State::EndConfirm { .. } => Some(UnderWay::MembershipEnd),
            _ => None,
        }
    }

    /// What a new dialogue would drop: this dialogue's own (`false`), or
    /// the one a question asked after a button interrupted (`true`: the
    /// question waits in front of it).
    pub fn work_kept(&self) -> Option<(UnderWay, bool)> {
        if let Some(what) = self.under_way() {
            return Some((what, false));
        }
        let behind = self.clone().cancelled()?;
        behind.work_kept().map(|(what, _)| (what, true))
    }
}

/// A join, or the taking of a role, under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfinished {
    Join,
    /// A member's move to another cell (their membership still active).
    Move,
    /// A secretary's or deputy's code used, their full name still to come.
    RoleName,
}

/// Ends an interrupting question: back to the dialogue it interrupted, or
/// out of dialogues. Whether a dialogue was resumed.
pub async fn come_back(
    dialogue: &super::Dialogue,
    resume: Option<Box<State>>,
) -> anyhow::Result<bool> {
    match resume {
        Some(state) => {
            dialogue.update(*state).await?;
            Ok(true)
        }
        None => {
            dialogue.exit().await?;
            Ok(false)
        }
    }
}

/// [`come_back`]'s dialogue, to write in the transaction of the effect
/// that ends the question (see [`crate::store::dialogues::Next`]).
pub fn coming_back(chat: teloxide::types::ChatId, resume: Option<&State>) -> Next {
    Next {
        chat_id: chat.0,
        state: resume.and_then(|state| serde_json::to_string(state).ok()),
    }
}

/// The dialogue ended, with the effect that ends it.
pub fn ending(chat: teloxide::types::ChatId) -> Next {
    coming_back(chat, None)
}

/// `text`, and when a dialogue was resumed, that the user can go on with it.
pub fn with_resumed(lang: crate::domain::Lang, text: String, resumed: bool) -> String {
    if resumed {
        format!("{text}\n{}", crate::t!(lang, "dialogue-resumed"))
    } else {
        text
    }
}

// comments on request
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStep {
    /// Choosing among several members whose name matched.
    Member,
    Reason,
    /// "Other": typing the reason.
    ReasonText,
    Due,
    Period,
    Confirm,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestForm {
    /// Makes "Send" idempotent.
    pub token: String,
    /// The memberships offered at the member step.
    #[serde(default)]
    pub candidates: Vec<i64>,
    pub membership_id: Option<i64>,
    /// `ReasonKind::as_str`.
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    pub due: Option<NaiveDate>,
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The day the period question was last shown: its "last 12 months"
    /// button ends on that day, pressed after midnight or days later (the
    /// dates it showed). `None` in forms stored before it was kept (not
    /// written then: a summary shown before keeps its tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_asked: Option<NaiveDate>,
}

// meetings
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingStep {
    /// Which cell (for the secretary or deputy of more than one).
    Cell,
    Kind,
    Start,
    Place,
    Agenda,
    Confirm,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingDraft {
    /// Makes "Send invitations" idempotent.
    pub token: String,
    pub cell_id: i64,
    /// `MeetingKind::as_str`.
    pub kind: Option<String>,
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    pub place: Option<String>,
    pub agenda: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinStep {
    Name,
    Phone,
    Workplace,
    WorkplaceOther,
    Confirm,
    /// The month the member was introduced to the cell.
    Introduced,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinDraft {
    /// Makes the confirmed request idempotent.
    pub token: String,
    pub cell_id: i64,
    /// The cell's member link opened (none through an introduction).
    #[serde(default)]
    pub invite_id: Option<i64>,
    /// When the link was opened (a join begun while it was valid is
    /// honoured for a while after it expires).
    #[serde(default)]
    pub opened_at: Option<chrono::DateTime<chrono::Utc>>,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub workplace: Option<WorkplaceChoice>,
    /// The page of workplaces shown.
    #[serde(default)]
    pub page: u32,
    /// A move: the approved membership in another cell it moves from.
    #[serde(default)]
    pub moved_from: Option<i64>,
    /// The first day of the month the member was introduced to the cell.
    #[serde(default)]
    pub introduced: Option<NaiveDate>,
    /// Through a workplace's introduction (`introductions.id`): the
    /// workplace is filled in and not asked.
    #[serde(default)]
    pub introduction_id: Option<i64>,
    /// The dialogue the link interrupted (a report under way, say), come
    /// back to once the request is sent or the join cancelled.
    #[serde(default)]
    pub resume: Option<Box<State>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportStep {
    Kind,
    Date,
    Description,
    Photos,
    Confirm,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDraft {
    /// Makes the submission idempotent.
    pub token: String,
    pub membership_id: i64,
    pub cell_id: i64,
    pub kind_id: Option<i64>,
    pub date: Option<NaiveDate>,
    pub description: Option<String>,
    pub photos: Vec<String>,
    /// Telegram's `file_unique_id` of each photo ("" where unknown).
    #[serde(default)]
    pub photo_uids: Vec<String>,
    /// The album the last photo belonged to, so an album is acknowledged once.
    pub media_group: Option<String>,
    /// The message acknowledging that album, edited as its photos arrive.
    #[serde(default)]
    pub album_ack: Option<i32>,
    /// What of that album was not kept, said in its acknowledgement.
    #[serde(default, skip_serializing_if = "AlbumLeft::is_none")]
    pub album_left: AlbumLeft,
    /// A resubmission: the rejected report it replaces. Each changed field
    /// returns to the summary.
    #[serde(default)]
    pub previous_id: Option<i64>,
    /// The day the date question was last shown: its Today and Yesterday
    /// (pressed or typed) count from that day, not from when the answer is
    /// read (a question seen at 23:58 and answered after midnight, or a bot
    /// catching up after an outage). `None` in drafts stored before it was
    /// kept: the day the answer was written. Not written while `None`: a
    /// summary shown before it was kept keeps its tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_asked: Option<NaiveDate>,
    /// At a resubmission's Change photos: the photos (and their unique
    /// ids) the report had, kept by Skip; new photos replace them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photos_before: Option<(Vec<String>, Vec<String>)>,
}

impl ReportDraft {
    /// A new report of `membership_id` in `cell_id`, nothing filled in yet.
    pub fn new(membership_id: i64, cell_id: i64) -> Self {
        ReportDraft {
            token: new_token(),
            membership_id,
            cell_id,
            kind_id: None,
            date: None,
            description: None,
            photos: Vec::new(),
            photo_uids: Vec::new(),
            media_group: None,
            album_ack: None,
            album_left: AlbumLeft::default(),
            previous_id: None,
            date_asked: None,
            photos_before: None,
        }
    }
}

/// What of an album (or a photo) sent while reporting was not kept: the
/// member is told, in the message that acknowledges it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlbumLeft {
    /// Photos over the report's [`crate::domain::report::MAX_PHOTOS`].
    #[serde(default)]
    pub over: u32,
    /// Items that are no photos (videos, pictures sent as files).
    #[serde(default)]
    pub not_photos: u32,
    /// A caption sent with photos once the description was given.
    #[serde(default)]
    pub caption: bool,
}

impl AlbumLeft {
    pub fn is_none(&self) -> bool {
        *self == AlbumLeft::default()
    }
}

impl RequestForm {
    /// The key its Cancel buttons carry (never 0, a button from before
    /// keys): a Cancel left on a question of another request (given up,
    /// another begun since) does not discard this one.
    pub fn cancel_key(&self) -> u32 {
        fnv(&self.token).max(1)
    }
}

/// FNV-1a of `text` (a state's tag, a dialogue's key).
fn fnv(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// A random token for drafts.
pub fn new_token() -> String {
    crate::domain::invite::new_code()
}

impl State {
    /// The tag a summary's confirming button carries: this state (the step
    /// and everything the summary shows) hashed (FNV-1a over its JSON, as
    /// stored; never 0, which is a button from before tags). A button left
    /// under an older summary of the dialogue (another draft, another
    /// member, another text) no longer matches the state and is refused as
    /// stale instead of confirming what the chat shows now.
    pub fn step_tag(&self) -> u32 {
        fnv(&serde_json::to_string(self).unwrap_or_default()).max(1)
    }

    /// Whether a pressed button's tag is this state's (0: a button from
    /// before tags, taken as it always was).
    pub fn shown_for(&self, pressed: u32) -> bool {
        pressed == 0 || pressed == self.step_tag()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Announcement states stored before a secretary of several cells could
    /// choose the cell still read as they were (an upgrade keeps a dialogue
    /// half-way).
    #[test]
    fn announcement_states_stored_before_the_cell_choice_still_read() {
        let text: State = serde_json::from_str(r#""AnnounceText""#).unwrap();
        assert_eq!(text, State::AnnounceText);
        let confirm: State =
            serde_json::from_str(r#"{"AnnounceConfirm":{"token":"t","text":"Họp"}}"#).unwrap();
        assert_eq!(
            confirm,
            State::AnnounceConfirm {
                token: "t".into(),
                text: "Họp".into(),
                cell: None
            }
        );
        let inside: State =
            serde_json::from_str(r#"{"SheetRemarks":{"sheet_id":1,"resume":"AnnounceText"}}"#)
                .unwrap();
        assert!(matches!(inside, State::SheetRemarks { .. }), "{inside:?}");
        for cell in [None, Some(7)] {
            let state = State::announce_text(cell);
            let back: State =
                serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
            assert_eq!(back, state);
        }
    }

    #[test]
    fn state_survives_json() {
        let state = State::RejectReason {
            report_id: 4,
            resume: Some(Box::new(State::Report(
                ReportStep::Photos,
                ReportDraft {
                    token: "t".into(),
                    membership_id: 1,
                    cell_id: 2,
                    kind_id: Some(3),
                    date: NaiveDate::from_ymd_opt(2026, 11, 5),
                    description: Some("Dọn vệ sinh".into()),
                    photos: vec!["f1".into()],
                    photo_uids: vec!["u1".into()],
                    media_group: None,
                    album_ack: None,
                    album_left: AlbumLeft::default(),
                    previous_id: Some(2),
                    date_asked: NaiveDate::from_ymd_opt(2026, 11, 5),
                    photos_before: Some((vec!["f0".into()], vec!["u0".into()])),
                },
            ))),
        };
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
    }

    #[test]
    fn a_step_s_tag_survives_storage_and_tells_summaries_apart() {
        let meeting = |agenda: &str| {
            State::Meeting(
                MeetingStep::Confirm,
                MeetingDraft {
                    token: "t".into(),
                    cell_id: 1,
                    kind: Some("periodic".into()),
                    starts_at: Some(chrono::Utc::now()),
                    place: Some("Nhà văn hóa".into()),
                    agenda: Some(agenda.into()),
                },
            )
        };
        let state = meeting("Sinh hoạt định kỳ");
        let stored = serde_json::to_string(&state).unwrap();
        let read = serde_json::from_str::<State>(&stored).unwrap();
        assert_eq!(read.step_tag(), state.step_tag());
        assert_ne!(state.step_tag(), 0);
        assert!(read.shown_for(state.step_tag()));
        assert!(read.shown_for(0), "a button from before tags");
        // Another summary of the same draft (one field changed): not it.
        assert!(!read.shown_for(meeting("Bầu tổ trưởng").step_tag()));
        let end = |membership_id| State::EndConfirm {
            membership_id,
            reason: EndReason::Retired,
            note: "Về quê".into(),
            resume: None,
        };
        assert_ne!(end(1).step_tag(), end(2).step_tag());
    }

    #[test]
    fn a_question_after_a_button_comes_back_to_the_dialogue_it_interrupted() {
        // Stored before questions carried the dialogue they interrupted.
        let old: State = serde_json::from_str(r#"{"SheetResponse":{"sheet_id":4}}"#).unwrap();
        assert_eq!(
            old,
            State::SheetResponse {
                sheet_id: 4,
                resume: None,
                seen: None
            }
        );
        let draft = ReportDraft {
            kind_id: Some(2),
            ..ReportDraft::new(1, 1)
        };
        let report = State::Report(ReportStep::Description, draft);
        let response = |s: &State| matches!(s, State::SheetResponse { .. });
        let asked = State::SheetResponse {
            sheet_id: 4,
            resume: report.clone().interrupted_for(response),
            seen: None,
        };
        // The same button again keeps the first dialogue; /cancel comes back
        // to it; a dialogue that is no question is just left.
        assert_eq!(
            asked.clone().interrupted_for(response),
            Some(Box::new(report.clone()))
        );
        assert_eq!(asked.clone().cancelled(), Some(Box::new(report.clone())));
        assert_eq!(report.clone().cancelled(), None);
        assert_eq!(State::Idle.interrupted_for(response), None);
        // Another question (a rejection's reason) comes back to this one,
        // which comes back to the report: nothing typed is lost.
        let reason = |s: &State| matches!(s, State::RejectReason { .. });
        assert_eq!(
            asked.clone().interrupted_for(reason),
            Some(Box::new(asked.clone()))
        );
    }

    /// A report's or a request's summary shown before the day its date
    /// or period question was shown was kept: stored and read back, the
    /// state is the same text, so its Submit or Send keeps its tag.
    #[test]
    fn a_summary_stored_before_the_day_asked_was_kept_keeps_its_tag() {
        let report = r#"{"Report":["Confirm",{"token":"t","membership_id":1,"cell_id":2,"kind_id":3,"date":"2026-11-05","description":"Dọn vệ sinh","photos":[],"photo_uids":[],"media_group":null,"album_ack":null,"previous_id":null}]}"#;
        let request = r#"{"Request":["Confirm",{"token":"t","candidates":[3],"membership_id":3,"reason":"other","reason_text":"Xét","due":"2027-03-01","period":["2025-11-21","2026-11-20"]}]}"#;
        for old in [report, request] {
            let read: State = serde_json::from_str(old).unwrap();
            assert_eq!(serde_json::to_string(&read).unwrap(), old);
        }
    }

    #[test]
    fn a_join_draft_stored_before_introductions_still_reads() {
        let old = r#"{"Join":["Phone",{"token":"t","cell_id":1,"invite_id":5,
            "full_name":"An","phone":null,"workplace":null}]}"#;
        let State::Join(JoinStep::Phone, draft) = serde_json::from_str::<State>(old).unwrap()
        else {
            panic!("a join step");
        };
        assert_eq!(draft.invite_id, Some(5));
        assert_eq!(draft.introduction_id, None);
    }

    #[test]
    fn request_form_survives_json() {
        let state = State::Request(
            RequestStep::Period,
            RequestForm {
                token: "t".into(),
                candidates: vec![3, 4],
                membership_id: Some(3),
                reason: Some("other".into()),
                reason_text: Some("Xét kết nạp lại".into()),
                due: NaiveDate::from_ymd_opt(2027, 3, 1),
                period: None,
                period_asked: NaiveDate::from_ymd_opt(2026, 11, 20),
            },
        );
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
    }

    #[test]
    fn meeting_draft_survives_json() {
        let state = State::Meeting(
            MeetingStep::Agenda,
            MeetingDraft {
                token: "t".into(),
                cell_id: 3,
                kind: Some("periodic".into()),
                starts_at: Some(chrono::Utc::now()),
                place: Some("Nhà văn hóa khối 5".into()),
                agenda: None,
            },
        );
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
    }
}
