//! The user's personal data: `/mydata` (everything stored about them, as an
//! XLSX and a JSON file) and `/forgetme` (erasure, after a confirmation).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use teloxide::{
    payloads::SendDocumentSetters,
    prelude::*,
    types::{CallbackQuery, InlineKeyboardMarkup, InputFile},
};

use super::{App, HandlerResult, context::Ctx, keyboards::button, menus};
use crate::{
    domain::{
        Lang,
        dates::format_dmy,
        meeting::{Attendance, MeetingKind},
        membership::{EndReason, Exemption, MembershipStatus},
        request::{ReasonKind, RequestState},
        sheet::{Criterion, Levels, SheetState},
    },
    export::{Table, Value},
    sheet::build::{
        attendance_label, criterion_label, exemption_label, level_label, reason_label, state_label,
    },
    store::{
        memberships,
        outbox::{self, Notice, Payload, Recipient, Reroute},
        personal::{self, Erased, Forgotten, MyData, Told},
        requests,
    },
    t,
    telegram::{callback_data::CallbackData, send},
};

fn when(at: Option<DateTime<Utc>>, tz: Tz) -> Value {
    Value::Text(
        at.map(|at| super::render::dmy_hm(at, tz))
            .unwrap_or_default(),
    )
}

fn text(s: Option<&str>) -> Value {
    Value::Text(s.unwrap_or_default().to_owned())
}

fn yes_no(lang: Lang, yes: bool) -> Value {
    Value::Text(if yes {
        t!(lang, "mydata-yes")
    } else {
        t!(lang, "mydata-no")
    })
}

fn status_label(lang: Lang, status: &str) -> String {
    match status {
        "pending" => t!(lang, "status-pending"),
        "approved" => t!(lang, "status-approved"),
        "rejected" => t!(lang, "status-rejected"),
        "left" => t!(lang, "mydata-status-left"),
        other => other.to_owned(),
    }
}

fn role_label(lang: Lang, role: &str) -> String {
    match role {
        "secretary" => t!(lang, "mydata-role-secretary"),
        "deputy" => t!(lang, "mydata-role-deputy"),
        "officer" => t!(lang, "mydata-role-officer"),
        "supervisor" => t!(lang, "mydata-role-supervisor"),
        "ward_admin" => t!(lang, "mydata-role-ward-admin"),
        other => other.to_owned(),
    }
}

fn end_label(lang: Lang, reason: Option<&str>, ended: bool) -> String {
    match reason.and_then(EndReason::parse) {
        Some(EndReason::Moved) => t!(lang, "mydata-end-moved"),
        Some(EndReason::LeftArea) => t!(lang, "mydata-end-left-area"),
        Some(EndReason::Retired) => t!(lang, "mydata-end-retired"),
        Some(EndReason::Transferred) => t!(lang, "mydata-end-transferred"),
        None if ended => t!(lang, "mydata-end-forgotten"),
        None => String::new(),
    }
}

/// The workbook's sheets: name and table, in the user's language.
pub fn tables(data: &MyData, lang: Lang, tz: Tz) -> Vec<(String, Table)> {
    let mut profile = Table {
        headers: vec![t!(lang, "mydata-col-field"), t!(lang, "mydata-col-value")],
        rows: Vec::new(),
    };
    if let Some(p) = &data.profile {
        let mut field = |id: String, value: Value| profile.rows.push(vec![Value::Text(id), value]);
        field(
            t!(lang, "mydata-field-telegram-id"),
            Value::Text(p.telegram_id.to_string()),
        );
        field(
            t!(lang, "mydata-field-full-name"),
            text(p.full_name.as_deref()),
        );
        field(
            t!(lang, "mydata-field-telegram-name"),
            Value::Text(p.telegram_name.clone()),
        );
        field(
            t!(lang, "mydata-field-username"),
            text(p.telegram_username.as_deref()),
        );
        field(t!(lang, "mydata-field-phone"), text(p.phone.as_deref()));
        field(
            t!(lang, "mydata-field-language"),
            text(p.language.as_deref()),
        );
        field(
            t!(lang, "mydata-field-first-seen"),
            when(Some(p.first_seen_at), tz),
        );
        field(
            t!(lang, "mydata-field-last-seen"),
            when(Some(p.last_seen_at), tz),
        );
        field(
            t!(lang, "mydata-field-unreachable"),
            when(p.unreachable_since, tz),
        );
        field(t!(lang, "mydata-field-forgotten"), when(p.forgotten_at, tz));
        for c in &data.consents {
            let answer = match (c.agreed_at, c.refused_at, c.withdrawn_at) {
                (Some(at), _, Some(withdrawn)) => t!(
                    lang,
                    "mydata-consent-withdrawn",
                    when = super::render::dmy_hm(at, tz),
                    withdrawn = super::render::dmy_hm(withdrawn, tz)
                ),
                (Some(at), _, None) => t!(
                    lang,
                    "mydata-consent-agreed",
                    when = super::render::dmy_hm(at, tz)
                ),
                (None, Some(at), _) => t!(
                    lang,
                    "mydata-consent-refused",
                    when = super::render::dmy_hm(at, tz)
                ),
                (None, None, _) => t!(
                    lang,
                    "mydata-consent-shown",
                    when = super::render::dmy_hm(c.shown_at, tz)
                ),
            };
            field(
                t!(lang, "mydata-field-consent", n = c.version),
                Value::Text(answer),
            );
        }
        for role in &data.roles {
            field(
                t!(lang, "mydata-field-role"),
                Value::Text(format!(
                    "{} — {} ({})",
                    role_label(lang, &role.role),
                    role.place,
                    super::render::dmy_hm(role.since, tz)
                )),
            );
        }
    }

    let memberships = Table {
        headers: vec![
            t!(lang, "mydata-col-id"),
            t!(lang, "mydata-col-cell"),
            t!(lang, "mydata-col-ward"),
            t!(lang, "mydata-col-workplace"),
            t!(lang, "mydata-field-full-name"),
            t!(lang, "mydata-field-phone"),
            t!(lang, "mydata-col-status"),
            t!(lang, "mydata-col-requested"),
            t!(lang, "mydata-col-decided"),
            t!(lang, "mydata-col-decided-by"),
            t!(lang, "mydata-col-introduced"),
            t!(lang, "mydata-col-exempt"),
            t!(lang, "mydata-col-exempt-since"),
            t!(lang, "mydata-col-exempt-until"),
            t!(lang, "mydata-col-ended"),
            t!(lang, "mydata-col-end-reason"),
            t!(lang, "mydata-col-end-note"),
        ],
        rows: data
            .memberships
            .iter()
            .map(|m| {
                vec![
                    Value::Number(m.id as f64),
                    Value::Text(m.cell.clone()),
                    Value::Text(m.ward.clone()),
                    text(m.workplace.as_deref()),
                    Value::Text(m.full_name.clone()),
                    text(m.phone.as_deref()),
                    Value::Text(status_label(lang, &m.status)),
                    when(Some(m.requested_at), tz),
                    when(m.decided_at, tz),
                    text(m.decided_by.as_deref()),
                    Value::Text(
                        m.introduced_on
                            .map(|d| d.format("%m/%Y").to_string())
                            .unwrap_or_default(),
                    ),
                    Value::Text(
                        m.exempt_reason
                            .as_deref()
                            .and_then(Exemption::parse)
                            .map(|e| exemption_label(lang, e))
                            .unwrap_or_default(),
                    ),
                    when(m.exempt_since, tz),
                    when(m.exempt_until, tz),
                    when(m.ended_at, tz),
                    Value::Text(end_label(
                        lang,
                        m.end_reason.as_deref(),
                        m.ended_at.is_some(),
                    )),
                    text(m.end_note.as_deref()),
                ]
            })
            .collect(),
    };

    let exemptions = Table {
        headers: vec![
            t!(lang, "mydata-col-cell"),
            t!(lang, "mydata-col-exempt"),
            t!(lang, "mydata-col-exempt-since"),
            t!(lang, "mydata-col-exempt-until"),
        ],
        rows: data
            .exemptions
            .iter()
            .map(|e| {
                vec![
                    Value::Text(e.cell.clone()),
                    Value::Text(
                        e.reason
                            .as_deref()
                            .and_then(Exemption::parse)
                            .map(|x| exemption_label(lang, x))
                            .unwrap_or_default(),
                    ),
                    when(e.since, tz),
                    when(e.until, tz),
                ]
            })
            .collect(),
    };

    let reports = Table {
        headers: vec![
            t!(lang, "mydata-col-id"),
            t!(lang, "mydata-col-cell"),
            t!(lang, "mydata-col-kind"),
            t!(lang, "mydata-col-date"),
            t!(lang, "mydata-col-description"),
            t!(lang, "mydata-col-photos"),
            t!(lang, "mydata-col-status"),
            t!(lang, "mydata-col-sent"),
            t!(lang, "mydata-col-decided"),
            t!(lang, "mydata-col-decided-by"),
            t!(lang, "mydata-col-reason"),
            t!(lang, "mydata-col-previous"),
            t!(lang, "mydata-col-by-cell"),
        ],
        rows: data
            .reports
            .iter()
            .map(|r| {
                vec![
                    Value::Number(r.id as f64),
                    Value::Text(r.cell.clone()),
                    Value::Text(match lang {
                        Lang::Vi => r.kind_vi.clone(),
                        Lang::En => r.kind_en.clone(),
                    }),
                    Value::Text(format_dmy(r.activity_date)),
                    Value::Text(r.description.clone()),
                    Value::Number(r.photos.len() as f64),
                    Value::Text(status_label(lang, &r.status)),
                    when(Some(r.created_at), tz),
                    when(r.decided_at, tz),
                    text(r.decided_by.as_deref()),
                    text(r.reject_reason.as_deref()),
                    Value::Text(r.previous_id.map(|p| p.to_string()).unwrap_or_default()),
                    yes_no(lang, r.recorded_by_cell),
                ]
            })
            .collect(),
    };

    let mut sheet_headers = vec![
        t!(lang, "mydata-col-id"),
        t!(lang, "mydata-col-kind"),
        t!(lang, "mydata-col-year"),
        t!(lang, "mydata-col-cell"),
        t!(lang, "mydata-col-status"),
    ];
    sheet_headers.extend(Criterion::ALL.map(|c| criterion_label(lang, c)));
    sheet_headers.extend([
        t!(lang, "mydata-col-remarks"),
        t!(lang, "mydata-col-sent-to-member"),
        t!(lang, "mydata-col-answer"),
        t!(lang, "mydata-col-response"),
        t!(lang, "mydata-col-answered"),
        t!(lang, "mydata-col-signed"),
        t!(lang, "mydata-col-signed-by"),
        t!(lang, "mydata-col-code"),
    ]);
    let sheets = Table {
        headers: sheet_headers,
        rows: data
            .sheets
            .iter()
            .map(|s| {
                // The yearly comment, or one a workplace asked for (of
                // the same year, maybe): told apart.
                let kind = match s.requested_at {
                    Some(at) if s.kind == "request" => t!(
                        lang,
                        "mydata-sheet-kind-request",
                        date = format_dmy(at.with_timezone(&tz).date_naive())
                    ),
                    _ => t!(lang, "mydata-sheet-kind-yearly"),
                };
                let mut row = vec![
                    Value::Number(s.id as f64),
                    Value::Text(kind),
                    Value::Number(f64::from(s.year)),
                    Value::Text(s.cell.clone()),
                    Value::Text(state_label(lang, SheetState::parse(&s.state))),
                ];
                let levels: Levels = s
                    .criteria
                    .as_deref()
                    .and_then(|c| serde_json::from_str(c).ok())
                    .unwrap_or([None; 6]);
                for c in Criterion::ALL {
                    row.push(Value::Text(
                        levels[c.index()]
                            .map(|l| level_label(lang, c, l))
                            .unwrap_or_default(),
                    ));
                }
                let answer = match s.member_answer.as_deref() {
                    Some("accepted") => t!(lang, "mydata-answer-accepted"),
                    Some("responded") => t!(lang, "mydata-answer-responded"),
                    _ => String::new(),
                };
                row.extend([
                    text(s.remarks.as_deref()),
                    when(s.sent_to_member_at, tz),
                    Value::Text(answer),
                    text(s.member_response.as_deref()),
                    when(s.member_answered_at, tz),
                    when(s.signed_at, tz),
                    text(s.signed_by.as_deref()),
                    text(s.code.as_deref()),
                ]);
                row
            })
            .collect(),
    };

    let meetings = Table {
        headers: vec![
            t!(lang, "mydata-col-id"),
            t!(lang, "mydata-col-cell"),
            t!(lang, "mydata-col-kind"),
            t!(lang, "mydata-col-when"),
            t!(lang, "mydata-col-place"),
            t!(lang, "mydata-col-cancelled"),
            t!(lang, "mydata-col-exempt"),
            t!(lang, "mydata-col-answer"),
            t!(lang, "mydata-col-reason"),
            t!(lang, "mydata-col-answered"),
            t!(lang, "mydata-col-attendance"),
            t!(lang, "mydata-col-checked-in"),
            t!(lang, "mydata-col-checked-in-earlier"),
        ],
        rows: data
            .meetings
            .iter()
            .map(|i| {
                vec![
                    Value::Number(i.meeting_id as f64),
                    Value::Text(i.cell.clone()),
                    Value::Text(
                        MeetingKind::parse(&i.kind)
                            .map(|k| crate::sheet::build::kind_label(lang, k))
                            .unwrap_or_default(),
                    ),
                    when(Some(i.starts_at), tz),
                    Value::Text(i.place.clone()),
                    yes_no(lang, i.meeting_status == "cancelled"),
                    yes_no(lang, i.exempt),
                    Value::Text(match i.answer.as_deref() {
                        Some("attend") => t!(lang, "mydata-answer-attend"),
                        Some("decline") => t!(lang, "mydata-answer-decline"),
                        _ => String::new(),
                    }),
                    text(i.reason.as_deref()),
                    when(i.answered_at, tz),
                    Value::Text(
                        i.attendance
                            .as_deref()
                            .and_then(Attendance::parse)
                            .map(|a| attendance_label(lang, a))
                            .unwrap_or_default(),
                    ),
                    when(i.checked_in_at, tz),
                    when(i.checked_in_earlier, tz),
                ]
            })
            .collect(),
    };

    let requests = Table {
        headers: vec![
            t!(lang, "mydata-col-id"),
            t!(lang, "mydata-col-workplace"),
            t!(lang, "mydata-col-asked-by"),
            t!(lang, "mydata-col-reason"),
            t!(lang, "mydata-col-period"),
            t!(lang, "mydata-col-due"),
            t!(lang, "mydata-col-status"),
            t!(lang, "mydata-col-requested"),
            t!(lang, "mydata-col-signed"),
            t!(lang, "mydata-col-cancelled"),
        ],
        rows: data
            .comment_requests
            .iter()
            .map(|r| {
                vec![
                    Value::Number(r.id as f64),
                    Value::Text(r.workplace.clone()),
                    text(r.asked_by.as_deref()),
                    Value::Text(
                        ReasonKind::parse(&r.reason_kind)
                            .map(|k| reason_label(lang, k, r.reason_text.as_deref()))
                            .unwrap_or_default(),
                    ),
                    Value::Text(format!(
                        "{} - {}",
                        format_dmy(r.period_from),
                        format_dmy(r.period_to)
                    )),
                    Value::Text(format_dmy(r.due_on)),
                    // As the workplace's /requests says it: withdrawn (on
                    // a day) apart from cancelled with the membership, a
                    // draft with the member apart from one being drafted.
                    Value::Text(match RequestState::parse(&r.state) {
                        Some(RequestState::Requested) => t!(lang, "request-state-waiting"),
                        Some(RequestState::Drafting) if r.with_member => {
                            t!(lang, "request-state-with-member")
                        }
                        Some(RequestState::Drafting) => t!(lang, "request-state-drafting"),
                        Some(RequestState::Signed) => t!(
                            lang,
                            "request-state-signed",
                            date = r
                                .signed_at
                                .map(|at| format_dmy(at.with_timezone(&tz).date_naive()))
                                .unwrap_or_default()
                        ),
                        Some(RequestState::Cancelled) => match r.cancelled_at {
                            Some(at) => t!(
                                lang,
                                "request-state-withdrawn",
                                date = format_dmy(at.with_timezone(&tz).date_naive())
                            ),
                            None => t!(lang, "request-state-cancelled"),
                        },
                        None => r.state.clone(),
                    }),
                    when(Some(r.created_at), tz),
                    when(r.signed_at, tz),
                    when(r.cancelled_at, tz),
                ]
            })
            .collect(),
    };
    let changes = Table {
        headers: vec![
            t!(lang, "mydata-col-from"),
            t!(lang, "mydata-col-to"),
            t!(lang, "mydata-col-when"),
        ],
        rows: data
            .workplace_changes
            .iter()
            .map(|c| {
                vec![
                    text(c.from_workplace.as_deref()),
                    text(c.to_workplace.as_deref()),
                    when(Some(c.changed_at), tz),
                ]
            })
            .collect(),
    };

    let introductions = Table {
        headers: vec![
            t!(lang, "mydata-col-workplace"),
            t!(lang, "mydata-field-full-name"),
            t!(lang, "mydata-field-phone"),
            t!(lang, "mydata-col-made"),
            t!(lang, "mydata-col-opened"),
            t!(lang, "mydata-col-used"),
        ],
        rows: data
            .introductions
            .iter()
            .map(|i| {
                vec![
                    Value::Text(i.workplace.clone()),
                    Value::Text(i.full_name.clone()),
                    text(i.phone.as_deref()),
                    when(Some(i.created_at), tz),
                    when(i.claimed_at, tz),
                    when(i.used_at, tz),
                ]
            })
            .collect(),
    };

    let messages = Table {
        headers: vec![
            t!(lang, "mydata-col-id"),
            t!(lang, "mydata-col-status"),
            t!(lang, "mydata-col-queued"),
            t!(lang, "mydata-col-sent"),
            t!(lang, "mydata-col-message-text"),
        ],
        rows: data
            .messages
            .iter()
            .map(|m| {
                let status = match m.status.as_str() {
                    "queued" => t!(lang, "mydata-message-queued"),
                    "sent" => t!(lang, "mydata-message-sent"),
                    "unreachable" => t!(lang, "mydata-message-unreachable"),
                    "failed" => t!(lang, "mydata-message-failed"),
                    other => other.to_owned(),
                };
                vec![
                    Value::Number(m.id as f64),
                    Value::Text(status),
                    when(Some(m.queued_at), tz),
                    when(m.sent_at, tz),
                    Value::Text(m.text.clone()),
                ]
            })
            .collect(),
    };

    vec![
        (t!(lang, "mydata-sheet-profile"), profile),
        (t!(lang, "mydata-sheet-memberships"), memberships),
        (t!(lang, "mydata-sheet-exemptions"), exemptions),
        (t!(lang, "mydata-sheet-workplace-changes"), changes),
        (t!(lang, "mydata-sheet-introductions"), introductions),
        (t!(lang, "mydata-sheet-reports"), reports),
        (t!(lang, "mydata-sheet-sheets"), sheets),
        (t!(lang, "mydata-sheet-requests"), requests),
        (t!(lang, "mydata-sheet-meetings"), meetings),
        (t!(lang, "mydata-sheet-messages"), messages),
    ]
}

/// /mydata: everything stored about the asker, as an XLSX and a JSON file.
pub async fn my_data(bot: &Bot, app: &App, ctx: &Ctx) -> HandlerResult {
    let data = personal::my_data(&app.pool, ctx.user_id()).await?;
    let (lang, tz) = (ctx.lang, app.tz);
    let counts = (
        data.memberships.len(),
        data.reports.len(),
        data.sheets.len(),
        data.meetings.len(),
    );
    // Writing the workbook is CPU work: off the async runtime.
    let (xlsx, json) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let xlsx = crate::export::to_workbook(&tables(&data, lang, tz))?;
        let json = serde_json::to_vec_pretty(&data)?;
        Ok((xlsx, json))
    })
    .await??;
    let day = app.today().format("%Y-%m-%d");
    let caption = t!(
        lang,
        "mydata-caption",
        members = counts.0,
        reports = counts.1,
        n = counts.2,
        count = counts.3
    );
    for (bytes, name, caption) in [
        (xlsx, format!("lienhe-mydata-{day}.xlsx"), caption),
        (
            json,
            format!("lienhe-mydata-{day}.json"),
            t!(lang, "mydata-caption-json"),
        ),
    ] {
        let file = InputFile::memory(bytes).file_name(name);
        send::patiently(|| {
            bot.send_document(ctx.chat, file.clone())
                .caption(caption.clone())
                .send()
        })
        .await?;
    }
    Ok(())
}

fn confirm_keyboard(lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(
            t!(lang, "forget-button-confirm"),
            CallbackData::ForgetConfirm,
        ),
        button(t!(lang, "forget-button-cancel"), CallbackData::ForgetCancel),
    ]])
}

/// /forgetme: what would be erased and kept, with Erase / Cancel.
pub async fn forget_me(bot: &Bot, ctx: &Ctx) -> HandlerResult {
    send::with_markup(
        bot,
        ctx.chat,
        t!(ctx.lang, "forget-ask"),
        confirm_keyboard(ctx.lang),
    )
    .await?;
    Ok(())
}

/// The secretary's notice that a member left the system.
fn secretary_notice(told: &Told) -> Notice {
    let lang = told.secretary.lang;
    let mut text = if told.ended {
        t!(
            lang,
            "forget-secretary-left",
            name = told.member_name.as_str(),
            cell = told.cell_name.as_str()
        )
    } else {
        t!(
            lang,
            "forget-secretary-withdrawn",
            name = told.member_name.as_str(),
            cell = told.cell_name.as_str()
        )
    };
    if told.reports_withdrawn > 0 {
        text.push('\n');
        text.push_str(&t!(
            lang,
            "forget-secretary-reports",
            count = told.reports_withdrawn
        ));
    }
    Notice {
        chat_id: told.secretary.user_id,
        payload: Payload {
            text,
            ..Payload::default()
        },
    }
}

/// What the user is told after the erasure: what went, what stays and why.
pub fn result_text(lang: Lang, done: &Forgotten) -> String {
    let mut parts = vec![if done.changed {
        t!(lang, "forget-done")
    } else {
        t!(lang, "forget-nothing-left")
    }];
    match (done.membership_ended, done.ended_told) {
        (true, true) => parts.push(t!(lang, "forget-done-ended")),
        (true, false) => parts.push(t!(lang, "forget-done-ended-untold")),
        _ => {}
    }
    match (done.join_withdrawn, done.withdrawn_told) {
        (true, true) => parts.push(t!(lang, "forget-done-join-withdrawn")),
        (true, false) => parts.push(t!(lang, "forget-done-join-withdrawn-untold")),
        _ => {}
    }
    if done.reports_withdrawn > 0 {
        parts.push(t!(
            lang,
            "forget-done-reports-withdrawn",
            count = done.reports_withdrawn
        ));
    }
    let mut kept = Vec::new();
    if done.kept_signed_sheets > 0 {
        kept.push(t!(
            lang,
            "forget-kept-sheets",
            count = done.kept_signed_sheets
        ));
    }
    if done.kept_reports > 0 {
        kept.push(t!(lang, "forget-kept-reports", count = done.kept_reports));
    }
    if done.kept_memberships > 0 {
        kept.push(t!(
            lang,
            "forget-kept-memberships",
            count = done.kept_memberships
        ));
    }
    if done.kept_meetings > 0 {
        kept.push(t!(lang, "forget-kept-meetings", count = done.kept_meetings));
    }
    if done.kept_roles > 0 {
        kept.push(t!(lang, "forget-kept-roles", count = done.kept_roles));
    }
    kept.push(t!(lang, "forget-kept-audit"));
    parts.push(format!("{}\n{}", t!(lang, "forget-kept"), kept.join("\n")));
    parts.push(t!(lang, "forget-after"));
    parts.join("\n\n")
}

/// To the workplace that asked for a comment on a member who left the bot:
/// the request is cancelled.
fn officer_notice(r: &requests::Request, name: &str, to: Recipient) -> Vec<Notice> {
    let text = |lang| {
        let reason = crate::sheet::build::reason_label(lang, r.reason(), r.reason_text.as_deref());
        t!(
            lang,
            "request-cancelled-member-gone",
            name = name,
            reason = reason
        )
    };
    vec![Notice {
        chat_id: to.user_id,
        payload: Payload {
            text: text(to.lang),
            // Not to one no longer the workplace's officer: to the others.
            officer_of: vec![r.workplace_id],
            reroute: Some(Reroute::new(r.id, r.workplace_id, text)),
            ..Payload::default()
        },
    }]
}

/// What a card already sent about the member shows once they erased their
/// data: neither their phone nor their details, nor a withdrawn report's.
fn erased_card(erased: &Erased, lang: Lang) -> String {
    match erased {
        Erased::Join { cell } => t!(lang, "forget-join-card", cell = cell.as_str()),
        Erased::Request { workplace } => {
            t!(lang, "forget-request-card", workplace = workplace.as_str())
        }
        Erased::Report { id } => {
            let id = *id;
            t!(lang, "forget-report-card", id = id)
        }
        Erased::Photos { id } => {
            let id = *id;
            t!(lang, "forget-photos-caption", id = id)
        }
    }
}

/// Erase: one audited transaction; a second press erases nothing more.
pub async fn on_confirm(bot: Bot, app: App, ctx: Ctx, q: CallbackQuery) -> HandlerResult {
    // The cell whose meetings to come the member leaves (its summaries are
    // shown again after).
    let cell = memberships::active_for_user(&app.pool, ctx.user_id())
        .await?
        .filter(|m| m.status() == MembershipStatus::Approved)
        .map(|m| m.cell_id);
    let answering = app.answer_in_hand(ctx.user_id());
    let done = personal::forget(
        &app.pool,
        ctx.user_id(),
        app.now(),
        |told| Some(secretary_notice(told)),
        officer_notice,
        |erased, lang| Some(erased_card(erased, lang)),
        // What went and what stays, queued with the erasure: told once,
        // also when the bot is killed before it answers.
        |done| {
            Some(Notice {
                chat_id: ctx.user_id(),
                payload: Payload {
                    text: result_text(ctx.lang, done),
                    erasure: true,
                    ..Payload::default()
                },
            })
        },
    )
    .await?;
    send::ack(&bot, &q).await?;
    send::settle_pressed(&bot, &q, t!(ctx.lang, "forget-confirmed")).await;
    // The answer, then its copy queued with the erasure taken off (the
    // sender left it alone meanwhile; a send that failed leaves it to the
    // sender).
    send::long(&bot, ctx.chat, &result_text(ctx.lang, &done)).await?;
    if let Some(row) = done.answer_row {
        outbox::take_queued(&app.pool, row).await?;
    }
    drop(answering);
    if done.changed {
        tracing::info!(user = ctx.user_id(), "personal data erased on request");
        app.wake_sender();
        if let Err(err) = menus::refresh_for_user(&bot, &app, ctx.user_id(), ctx.lang).await {
            tracing::warn!(%err, "could not set the menu");
        }
        if let Some(cell) = cell.filter(|_| done.membership_ended) {
            super::meetings::refresh_cell_summaries(&app, cell).await;
        }
    } else if let Some(cell) = memberships::last_left_cell(&app.pool, ctx.user_id()).await? {
        // Erase pressed again: the first one may have been killed after
        // its commit, before the committee's summaries and registers
        // followed (an edit is queued only where what they show changed).
        super::meetings::refresh_cell_summaries(&app, cell).await;
    }
    Ok(())
}

/// Cancel: nothing is erased.
pub async fn on_cancel(bot: Bot, ctx: Ctx, q: CallbackQuery) -> HandlerResult {
    send::toast(&bot, &q, t!(ctx.lang, "forget-cancelled")).await?;
    send::settle_pressed(&bot, &q, t!(ctx.lang, "forget-cancelled")).await;
    Ok(())
}
