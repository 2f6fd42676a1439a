//! How a meeting reads in the members' chats: the invitation, the
//! postponement, the cancellation and the day-before reminder; and in the
//! committee's, a register left open. Shared by
//! the chat handlers (calling, postponing, cancelling, answering) and the
//! scheduler (reminders), which must not reach into `bot`.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{callback_data::CallbackData, send};
use crate::{
    domain::{
        Lang,
        dates::format_dmy_hm,
        meeting::{Answer, CHECKIN_BEFORE_MIN, MeetingKind, correctable_until, format_start},
    },
    store::{
        Pool,
        meetings::{Meeting, Told},
        outbox::{Holds, Notice, Payload, Recipient},
    },
    t,
};

/// The kind's name.
pub fn kind_name(lang: Lang, kind: MeetingKind) -> String {
    match kind {
        MeetingKind::Periodic => t!(lang, "meeting-kind-periodic"),
        MeetingKind::Cell => t!(lang, "meeting-kind-cell"),
        MeetingKind::Residents => t!(lang, "meeting-kind-residents"),
    }
}

/// Kind, cell, time, place and agenda.
pub fn details(
    lang: Lang,
    tz: Tz,
    kind: MeetingKind,
    cell: &str,
    starts_at: chrono::DateTime<chrono::Utc>,
    place: &str,
    agenda: &str,
) -> String {
    t!(
        lang,
        "meeting-details",
        kind = kind_name(lang, kind),
        cell = cell,
        when = format_start(starts_at, tz),
        place = place,
        text = agenda
    )
}

pub fn meeting_details(lang: Lang, tz: Tz, meeting: &Meeting) -> String {
    details(
        lang,
        tz,
        meeting.kind(),
        &meeting.cell_name,
        meeting.starts_at,
        &meeting.place,
        &meeting.agenda,
    )
}

/// I will attend / I cannot attend, to the meeting as it now is (its
/// postponements counted: a press on a message from before a move is not
/// taken for the new time).
pub fn answer_buttons(lang: Lang, meeting: &Meeting) -> Vec<Vec<(String, String)>> {
    let moved = u32::try_from(meeting.postponed).unwrap_or(0);
    vec![vec![
        (
            t!(lang, "meeting-button-attend"),
            CallbackData::MeetingAttend(meeting.id, moved).encode(),
        ),
        (
            t!(lang, "meeting-button-decline"),
            CallbackData::MeetingDecline(meeting.id, moved).encode(),
        ),
    ]]
}

/// The member's current answer, as the invitation shows it.
pub fn answer_line(lang: Lang, answer: Option<Answer>, reason: Option<&str>) -> Option<String> {
    match answer? {
        Answer::Attend => Some(t!(lang, "meeting-your-answer-attend")),
        Answer::Decline => Some(t!(
            lang,
            "meeting-your-answer-decline",
            reason = reason_or_missing(lang, reason)
        )),
    }
}

/// The reason given for not attending, or a word that none was given yet.
pub fn reason_or_missing(lang: Lang, reason: Option<&str>) -> String {
    match reason {
        Some(reason) => reason.to_string(),
        None => t!(lang, "meeting-reason-missing"),
    }
}

/// The invitation's text: the meeting, a word for exempt members and the
/// member's answer so far.
pub fn invitation_text(
    lang: Lang,
    tz: Tz,
    meeting: &Meeting,
    exempt: bool,
    answer: Option<Answer>,
    reason: Option<&str>,
) -> String {
    let mut text = t!(
        lang,
        "meeting-invitation",
        text = meeting_details(lang, tz, meeting)
    );
    if exempt {
        text.push_str("\n\n");
        text.push_str(&t!(lang, "meeting-invitation-exempt"));
    }
    if let Some(line) = answer_line(lang, answer, reason) {
        text.push_str("\n\n");
        text.push_str(&line);
    }
    send::clip(&text)
}

fn notice(
    told: &Told,
    text: String,
    buttons: Vec<Vec<(String, String)>>,
    holds: Option<Holds>,
) -> Notice {
    Notice {
        chat_id: told.invitee.user_id,
        payload: Payload {
            text: send::clip(&text),
            buttons,
            // Only while they are still invited (not once they left).
            holds: holds.map(|holds| Holds {
                invitee: Some(told.invitee.membership_id),
                ..holds
            }),
            ..Payload::default()
        },
    }
}

/// About the meeting at its time: not sent once moved, cancelled or begun.
fn ahead(meeting: &Meeting) -> Holds {
    Holds {
        meeting: meeting.id,
        at: Some(meeting.starts_at),
        moved: Some(meeting.postponed),
        ..Holds::default()
    }
}

/// One invitation per invited member, in their language: in every
/// language, as it goes in the one they read when it is sent (a member
/// approved while the call waited to be stored, whose language the caller
/// did not know, or one who switched `/language` since).
pub fn invitations(tz: Tz, meeting: &Meeting, told: &[Told]) -> Vec<Notice> {
    told.iter()
        .map(|to| {
            in_every_lang(to, Some(ahead(meeting)), |lang| {
                let text = invitation_text(lang, tz, meeting, to.invitee.exempt, None, None);
                (text, answer_buttons(lang, meeting))
            })
        })
        .collect()
}

/// A notice to an exempt member says they are informed, not required.
fn exempt_told(to: &Told, lang: Lang, mut text: String) -> String {
    if to.invitee.exempt {
        text.push_str("\n\n");
        text.push_str(&t!(lang, "meeting-invitation-exempt"));
    }
    text
}

/// A notice to an invitee `render`ed in every language, as it goes in the
/// one they read when it is sent (`/language` switched while it waited in
/// the outbox: the bot down, or its messages held back).
fn in_every_lang(
    to: &Told,
    holds: Option<Holds>,
    mut render: impl FnMut(Lang) -> (String, Vec<Vec<(String, String)>>),
) -> Notice {
    let mut told = notice(to, String::new(), Vec::new(), holds);
    let payload = Payload::in_every_lang(to.lang, |lang| {
        let (text, buttons) = render(lang);
        (send::clip(&text), buttons)
    });
    told.payload = Payload {
        holds: told.payload.holds.take(),
        ..payload
    };
    told
}

/// The new time, with fresh answer buttons (the answers were reset). A
/// member who had checked in for the old time is told that it no longer
/// counts, and to check in again: now if the new time's check-in is open
/// already (`now`), else from when it opens. Whether it says attendance is
/// not required is decided as it goes out ([`Payload::if_exempt`],
/// [`exempt_now`]): the member may be exempted, or their exemption lifted,
/// while it waits.
pub fn postponed(tz: Tz, now: DateTime<Utc>, meeting: &Meeting, told: &[Told]) -> Vec<Notice> {
    let opens = meeting.starts_at - chrono::Duration::minutes(CHECKIN_BEFORE_MIN);
    let text = |to: &Told, lang: Lang| {
        let mut text = t!(
            lang,
            "meeting-notice-postponed",
            text = meeting_details(lang, tz, meeting)
        );
        if let Some(at) = to.checked_in {
            let at = format_dmy_hm(at, tz);
            text.push_str("\n\n");
            text.push_str(&if opens <= now {
                t!(lang, "meeting-notice-checkin-again", at = at)
            } else {
                t!(
                    lang,
                    "meeting-notice-checkin-again-later",
                    at = at,
                    from = format_dmy_hm(opens, tz)
                )
            });
        }
        text
    };
    let exempt = |to: &Told, lang: Lang| {
        let mut exempt = text(to, lang);
        exempt.push_str("\n\n");
        exempt.push_str(&t!(lang, "meeting-invitation-exempt"));
        send::clip(&exempt)
    };
    told.iter()
        .map(|to| {
            let mut notice = in_every_lang(to, Some(ahead(meeting)), |lang| {
                (text(to, lang), answer_buttons(lang, meeting))
            });
            notice.payload.if_exempt = Some(exempt(to, to.lang));
            for other in &mut notice.payload.in_langs {
                if let Some(lang) = Lang::from_code(&other.lang) {
                    other.if_exempt = Some(exempt(to, lang));
                }
            }
            notice
        })
        .collect()
}

/// A notice that says whether attendance is required as it is when it
/// goes out ([`Payload::if_exempt`]): its text for an invitee exempt now
/// (read from the invitation, which follows the membership's exemption),
/// else its text as written for one who is not. Any other payload as it
/// is.
pub async fn exempt_now(pool: &Pool, mut payload: Payload) -> sqlx::Result<Payload> {
    let (Some(if_exempt), Some(holds)) = (payload.if_exempt.take(), payload.holds) else {
        return Ok(payload);
    };
    let Some(membership) = holds.invitee else {
        return Ok(payload);
    };
    let exempt: Option<bool> = sqlx::query_scalar(
        "SELECT exempt FROM meeting_invitations WHERE meeting_id = ? AND membership_id = ?",
    )
    .bind(holds.meeting)
    .bind(membership)
    .fetch_optional(pool)
    .await?;
    if exempt == Some(true) {
        payload.text = if_exempt;
    }
    Ok(payload)
}

/// The meeting will not take place.
pub fn cancelled(tz: Tz, meeting: &Meeting, told: &[Told]) -> Vec<Notice> {
    told.iter()
        .map(|to| {
            in_every_lang(to, None, |lang| {
                let text = t!(
                    lang,
                    "meeting-notice-cancelled",
                    text = meeting_details(lang, tz, meeting)
                );
                (text, Vec::new())
            })
        })
        .collect()
}

/// The day-before reminder, with the answer buttons (an answer can still
/// be given or changed). It says "today" when it goes out on the meeting's
/// own day (a meeting called that day, or a bot down the day before, or
/// one queued the day before and still waiting at midnight). In every
/// language, as it goes in the one its reader has when it is sent.
pub fn reminders(tz: Tz, now: DateTime<Utc>, meeting: &Meeting, told: &[Told]) -> Vec<Notice> {
    let day = meeting.starts_at.with_timezone(&tz).date_naive();
    let today = now.with_timezone(&tz).date_naive() >= day;
    // "Tomorrow" holds until the day begins; to those who will attend or
    // have not answered, as long as they do not decline meanwhile.
    let holds = Holds {
        until: (!today).then(|| crate::domain::schedule::instant(tz, day.and_time(NaiveTime::MIN))),
        not_declined: true,
        ..ahead(meeting)
    };
    told.iter()
        .map(|to| {
            let on_the_day = |lang: Lang| {
                let details = meeting_details(lang, tz, meeting);
                exempt_told(
                    to,
                    lang,
                    t!(lang, "meeting-reminder-today", text = details.as_str()),
                )
            };
            let text = |lang: Lang| {
                if today {
                    return on_the_day(lang);
                }
                let details = meeting_details(lang, tz, meeting);
                exempt_told(to, lang, t!(lang, "meeting-reminder", text = details))
            };
            // Says whether attendance is required: only while that holds.
            let holds = Holds {
                exempt: Some(to.invitee.exempt),
                ..holds
            };
            let mut reminder = in_every_lang(to, Some(holds), |lang| {
                (text(lang), answer_buttons(lang, meeting))
            });
            if !today {
                reminder.payload.on_the_day = Some(send::clip(&on_the_day(to.lang)));
                for other in &mut reminder.payload.in_langs {
                    if let Some(lang) = Lang::from_code(&other.lang) {
                        other.on_the_day = Some(send::clip(&on_the_day(lang)));
                    }
                }
            }
            reminder
        })
        .collect()
}

/// To the committee: the register is still open after the check-in ended;
/// until it is closed nobody's presence counts.
pub fn register_open(tz: Tz, meeting: &Meeting, checked_in: i64, to: &[Recipient]) -> Vec<Notice> {
    to.iter()
        .map(|r| {
            let text = t!(
                r.lang,
                "meeting-register-open",
                kind = kind_name(r.lang, meeting.kind()),
                cell = meeting.cell_name.as_str(),
                when = format_dmy_hm(meeting.starts_at, tz),
                count = checked_in,
                until = format_dmy_hm(correctable_until(meeting.starts_at), tz)
            );
            Notice {
                chat_id: r.user_id,
                payload: Payload {
                    text: send::clip(&text),
                    // Not sent once the register can no longer be closed
                    // (a reminder queued before an outage, say).
                    holds: Some(Holds {
                        meeting: meeting.id,
                        register_open: true,
                        until: Some(correctable_until(meeting.starts_at)),
                        ..Holds::default()
                    }),
                    ..Payload::default()
                },
            }
        })
        .collect()
}
