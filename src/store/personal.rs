//! A user's personal data: everything stored about them (`/mydata`) and its
//! erasure (`/forgetme`).
//!
//! What is read is the asker's own rows only: of other people, only the
//! name of whoever decided on their items (a join, a report, a sheet's
//! signature) is shown.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{
    Pool,
    decision_messages::Subject,
    outbox::{self, Card, Notice, Recipient},
};

/// The user row.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Profile {
    pub telegram_id: i64,
    pub full_name: Option<String>,
    pub telegram_name: String,
    pub telegram_username: Option<String>,
    pub phone: Option<String>,
    pub language: Option<String>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub unreachable_since: Option<DateTime<Utc>>,
    pub forgotten_at: Option<DateTime<Utc>>,
}

/// A role held, with where.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Role {
    /// `secretary`, `deputy`, `officer`, `supervisor`, `ward_admin`.
    pub role: String,
    /// The cell, workplace or ward.
    pub place: String,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: i64,
    pub cell: String,
    pub ward: String,
    pub workplace: Option<String>,
    pub full_name: String,
    pub phone: Option<String>,
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided (the only other person named).
    pub decided_by: Option<String>,
    pub introduced_on: Option<NaiveDate>,
    pub exempt_reason: Option<String>,
    /// When the exemption began, and when it was lifted.
    pub exempt_since: Option<DateTime<Utc>>,
    pub exempt_until: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub end_note: Option<String>,
}

/// An exemption from residence meetings a membership held, one period
/// each (`since` not recorded for one set before periods were kept;
/// `until` empty while it holds).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ExemptionRow {
    pub membership_id: i64,
    pub cell: String,
    pub reason: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub cell: String,
    pub kind_vi: String,
    pub kind_en: String,
    pub activity_date: NaiveDate,
    pub description: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub reject_reason: Option<String>,
    pub previous_id: Option<i64>,
    pub recorded_by_cell: bool,
    /// Telegram file ids of the photos.
    #[sqlx(skip)]
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SheetRow {
    pub id: i64,
    /// `yearly` (the year's comment) or `request` (a comment a workplace
    /// asked for): two sheets of one year are told apart.
    pub kind: String,
    /// For a comment on request: the request and when the workplace made it.
    pub request_id: Option<i64>,
    pub requested_at: Option<DateTime<Utc>>,
    pub year: i32,
    pub cell: String,
    pub state: String,
    /// Level per criterion (0 best … 2 worst); only once sent to the member
    /// (a draft is the secretary's work in progress).
    pub criteria: Option<String>,
    pub remarks: Option<String>,
    pub sent_to_member_at: Option<DateTime<Utc>>,
    pub member_answer: Option<String>,
    pub member_response: Option<String>,
    pub member_answered_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct InvitationRow {
    pub meeting_id: i64,
    pub cell: String,
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub meeting_status: String,
    pub exempt: bool,
    pub answer: Option<String>,
    pub reason: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub attendance: Option<String>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// A check-in for the meeting's earlier time, which a reschedule made
    /// no longer count (until they check in again).
    pub checked_in_earlier: Option<DateTime<Utc>>,
}

/// A version of the personal-data notice shown to the user, and the answer.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ConsentRow {
    pub version: i64,
    pub shown_at: DateTime<Utc>,
    pub agreed_at: Option<DateTime<Utc>>,
    pub refused_at: Option<DateTime<Utc>>,
    /// Withdrawn by erasing their data (`/forgetme`).
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A workplace's request for a comment on the user.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub workplace: String,
    /// Who asked (the only other person named).
    pub asked_by: Option<String>,
    pub reason_kind: String,
    pub reason_text: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub due_on: NaiveDate,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub signed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Its sheet's draft is with the member (sent, not yet signed).
    pub with_member: bool,
}

/// A change of workplace the user made (names as typed when the
/// workplace was not registered).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WorkplaceChangeRow {
    pub membership_id: i64,
    pub from_workplace: Option<String>,
    pub to_workplace: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// A workplace's introduction the user opened: what the workplace wrote
/// about them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct IntroductionRow {
    pub id: i64,
    pub workplace: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub used_at: Option<DateTime<Utc>>,
}

/// A message the bot holds for the user in its outbox: waiting to be sent
/// (a decision, its reason, a reminder…), or sent (or given up) and kept
/// for its retention days. Only what is about them: not the cards, notes
/// and sheets about other people's items their roles bring them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub status: String,
    pub queued_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub text: String,
}

/// The outbox rows of chat `?1` that are about its user (see
/// [`MessageRow`]), as an SQL condition on the row `o`.
macro_rules! own_messages_sql {
    () => {
        "o.chat_id = ?1
         AND json_extract(o.payload, '$.card') IS NULL
         AND json_extract(o.payload, '$.sheet') IS NULL
         AND json_extract(o.payload, '$.reroute') IS NULL
         AND COALESCE(json_array_length(o.payload, '$.waiting'), 0) = 0
         AND COALESCE(json_array_length(o.payload, '$.waiting_joins'), 0) = 0
         AND (o.broadcast_id IS NULL OR o.broadcast_id IN
              (SELECT id FROM broadcasts WHERE kind IN ('reminder', 'announcement')))"
    };
}

/// Everything stored about one user.
#[derive(Debug, Clone, Serialize)]
pub struct MyData {
    pub profile: Option<Profile>,
    pub roles: Vec<Role>,
    pub consents: Vec<ConsentRow>,
    pub memberships: Vec<MembershipRow>,
    pub exemptions: Vec<ExemptionRow>,
    pub workplace_changes: Vec<WorkplaceChangeRow>,
    pub introductions: Vec<IntroductionRow>,
    pub reports: Vec<ReportRow>,
    pub sheets: Vec<SheetRow>,
    pub comment_requests: Vec<RequestRow>,
    pub meetings: Vec<InvitationRow>,
    pub messages: Vec<MessageRow>,
}

/// The introductions `user_id` opened that were meant for them: the phone
/// the workplace gave is one they gave too (at join or in /profile), or
/// the link led to their own join request under the name it was made for.
/// A link forwarded to, or opened by, somebody else carries another
/// person's phone: neither shown to the opener (`/mydata`) nor erased
/// with their data (`/forgetme`).
async fn own_introductions(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
) -> sqlx::Result<Vec<i64>> {
    let opened: Vec<(i64, String, bool, Option<String>)> = sqlx::query_as(
        "SELECT i.id, i.name_key,
                i.phone IN (SELECT phone FROM users WHERE id = ?1 AND phone IS NOT NULL
                            UNION
                            SELECT phone FROM memberships WHERE user_id = ?1 AND phone IS NOT NULL),
                m.full_name
         FROM introductions i
         LEFT JOIN memberships m ON m.id = i.membership_id AND m.user_id = ?1
         WHERE i.claimed_by = ?1 AND i.phone IS NOT NULL",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(opened
        .into_iter()
        .filter(|(_, key, same_phone, joined_as)| {
            *same_phone
                || joined_as
                    .as_deref()
                    .is_some_and(|name| crate::domain::roster::match_key(name) == *key)
        })
        .map(|(id, ..)| id)
        .collect())
}

/// Reads everything stored about `user_id`.
pub async fn my_data(pool: &Pool, user_id: i64) -> sqlx::Result<MyData> {
    let profile = sqlx::query_as(
        "SELECT id AS telegram_id, full_name, tg_name AS telegram_name,
                tg_username AS telegram_username, phone, language, first_seen_at,
                last_seen_at, unreachable_since, forgotten_at
         FROM users WHERE id = ?",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    let roles = sqlx::query_as(
        "SELECT 'secretary' AS role, c.name AS place, s.since FROM cell_secretaries s
             JOIN cells c ON c.id = s.cell_id WHERE s.user_id = ?1
         UNION ALL
         SELECT 'deputy', c.name, s.since FROM cell_deputies s
             JOIN cells c ON c.id = s.cell_id WHERE s.user_id = ?1
         UNION ALL
         SELECT 'officer', w.name, o.since FROM workplace_officers o
             JOIN workplaces w ON w.id = o.workplace_id WHERE o.user_id = ?1
         UNION ALL
         SELECT 'supervisor', w.name, s.since FROM ward_supervisors s
             JOIN wards w ON w.id = s.ward_id WHERE s.user_id = ?1
         UNION ALL
         SELECT 'ward_admin', w.name, a.since FROM ward_admins a
             JOIN wards w ON w.id = a.ward_id WHERE a.user_id = ?1",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let consents = sqlx::query_as(
        "SELECT version, shown_at, agreed_at, refused_at, withdrawn_at FROM consents
         WHERE user_id = ? ORDER BY version",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let memberships = sqlx::query_as(
        "SELECT m.id, c.name AS cell, wd.name AS ward,
                COALESCE(w.name, m.workplace_name) AS workplace, m.full_name, m.phone, m.status,
                m.requested_at, m.decided_at,
                COALESCE(d.full_name, NULLIF(d.tg_name, '')) AS decided_by,
                m.introduced_on, m.exempt_reason, m.exempt_since, m.exempt_until,
                m.ended_at, m.end_reason, m.end_note
         FROM memberships m
         JOIN cells c ON c.id = m.cell_id
         JOIN wards wd ON wd.id = c.ward_id
         LEFT JOIN workplaces w ON w.id = m.workplace_id
         LEFT JOIN users d ON d.id = m.decided_by
         WHERE m.user_id = ? ORDER BY m.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let exemptions = sqlx::query_as(
        "SELECT e.membership_id, c.name AS cell, e.reason, e.since, e.until
         FROM exemptions e
         JOIN memberships m ON m.id = e.membership_id
         JOIN cells c ON c.id = m.cell_id
         WHERE m.user_id = ? ORDER BY e.membership_id, e.since IS NOT NULL, e.since, e.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let mut reports: Vec<ReportRow> = sqlx::query_as(
        "SELECT r.id, c.name AS cell, k.name_vi AS kind_vi, k.name_en AS kind_en,
                r.activity_date, r.description, r.status, r.created_at, r.decided_at,
                COALESCE(d.full_name, NULLIF(d.tg_name, '')) AS decided_by, r.reject_reason,
                r.previous_id, r.recorded_by_cell
         FROM reports r
         JOIN cells c ON c.id = r.cell_id
         JOIN activity_kinds k ON k.id = r.kind_id
         LEFT JOIN users d ON d.id = r.decided_by
         WHERE r.user_id = ? ORDER BY r.activity_date, r.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let photos: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.report_id, p.file_id FROM report_photos p
         JOIN reports r ON r.id = p.report_id
         WHERE r.user_id = ? ORDER BY p.report_id, p.position",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    for (report, file) in photos {
        if let Some(r) = reports.iter_mut().find(|r| r.id == report) {
            r.photos.push(file);
        }
    }
    let sheets = sqlx::query_as(
        "SELECT s.id, CASE WHEN s.request_id IS NULL THEN 'yearly' ELSE 'request' END AS kind,
                s.request_id, q.created_at AS requested_at, s.year, c.name AS cell, s.state,
                CASE WHEN s.state <> 'draft' THEN s.criteria END AS criteria,
                CASE WHEN s.state <> 'draft' THEN s.remarks END AS remarks,
                s.sent_to_member_at, s.member_answer, s.member_response, s.member_answered_at,
                s.signed_at, COALESCE(g.full_name, NULLIF(g.tg_name, '')) AS signed_by, s.code
         FROM sheets s
         JOIN memberships m ON m.id = s.membership_id
         JOIN cells c ON c.id = m.cell_id
         LEFT JOIN users g ON g.id = s.signed_by
         LEFT JOIN comment_requests q ON q.id = s.request_id
         WHERE m.user_id = ? ORDER BY s.year, s.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let meetings = sqlx::query_as(
        "SELECT mt.id AS meeting_id, c.name AS cell, mt.kind, mt.starts_at, mt.place,
                mt.status AS meeting_status, i.exempt, i.answer, i.reason, i.answered_at,
                i.attendance, i.checked_in_at, i.checked_in_earlier
         FROM meeting_invitations i
         JOIN meetings mt ON mt.id = i.meeting_id
         JOIN cells c ON c.id = mt.cell_id
         WHERE i.user_id = ? ORDER BY mt.starts_at, mt.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let workplace_changes = sqlx::query_as(
        "SELECT x.membership_id,
                COALESCE(fw.name, x.from_workplace_name) AS from_workplace,
                COALESCE(tw.name, x.to_workplace_name) AS to_workplace, x.changed_at
         FROM workplace_changes x
         JOIN memberships m ON m.id = x.membership_id
         LEFT JOIN workplaces fw ON fw.id = x.from_workplace_id
         LEFT JOIN workplaces tw ON tw.id = x.to_workplace_id
         WHERE m.user_id = ? ORDER BY x.changed_at, x.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    // The phone the workplace gave for the person a link was meant for is
    // shown only where it is the opener's own (`own_introductions`): a link
    // forwarded to, or opened by, somebody else must not hand them that
    // person's number.
    let mut introductions: Vec<IntroductionRow> = sqlx::query_as(
        "SELECT i.id, w.name AS workplace, i.full_name, i.phone, i.created_at, i.claimed_at,
                i.used_at
         FROM introductions i
         JOIN workplaces w ON w.id = i.workplace_id
         WHERE i.claimed_by = ? ORDER BY i.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let own = own_introductions(&mut *pool.acquire().await?, user_id).await?;
    for i in introductions.iter_mut().filter(|i| !own.contains(&i.id)) {
        i.phone = None;
    }
    let comment_requests = sqlx::query_as(
        "SELECT r.id, w.name AS workplace,
                COALESCE(o.full_name, NULLIF(o.tg_name, '')) AS asked_by,
                r.reason_kind, r.reason_text, r.period_from, r.period_to, r.due_on, r.state,
                r.created_at, r.signed_at, r.cancelled_at,
                EXISTS (SELECT 1 FROM sheets s
                        WHERE s.id = r.sheet_id AND s.state = 'with_member') AS with_member
         FROM comment_requests r
         JOIN memberships m ON m.id = r.membership_id
         JOIN workplaces w ON w.id = r.workplace_id
         LEFT JOIN users o ON o.id = r.officer_id
         WHERE m.user_id = ? ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let messages = sqlx::query_as(concat!(
        "SELECT o.id, o.status, o.not_before AS queued_at, o.sent_at,
                COALESCE(json_extract(o.payload, '$.text'), '') AS text
         FROM outbox o WHERE ",
        own_messages_sql!(),
        " ORDER BY o.id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(MyData {
        profile,
        roles,
        consents,
        memberships,
        exemptions,
        workplace_changes,
        introductions,
        reports,
        sheets,
        comment_requests,
        meetings,
        messages,
    })
}

/// A cell whose committee (`secretary`: the one who decides the member's
/// items) is told that the member left the system.
#[derive(Debug, Clone)]
pub struct Told {
    pub cell_name: String,
    /// The name the member joined under.
    pub member_name: String,
    pub secretary: Recipient,
    /// Their approved membership there ended.
    pub ended: bool,
    /// Their join request there was withdrawn.
    pub join_withdrawn: bool,
    /// Their pending reports there were withdrawn.
    pub reports_withdrawn: u64,
}

/// A message in a committee member's chat that showed what the member
/// erased: a card of their join request (their phone, workplace and
/// introduction), of a report withdrawn with the erasure, or of a
/// workplace's request for a comment on them cancelled with it (the reason
/// asked). It is edited (through the outbox) to say that the member erased
/// their data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erased {
    Join {
        cell: String,
    },
    Report {
        id: i64,
    },
    Request {
        workplace: String,
    },
    /// The photos of one of their reports (its caption is edited).
    Photos {
        id: i64,
    },
}

/// A card shown in a chat: (chat, message, its reader's language, the
/// subject, the cell of a join request or the workplace of a request, the
/// item's id).
type ShownCard = (i64, i64, Option<String>, String, String, i64);

/// What an erasure did and what it kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Anything was erased or ended (false: a second confirmation).
    pub changed: bool,
    pub membership_ended: bool,
    pub join_withdrawn: bool,
    /// Someone was told of the ended membership (its cell's committee, or
    /// the ward standing in); of the withdrawn join request.
    pub ended_told: bool,
    pub withdrawn_told: bool,
    pub reports_withdrawn: u64,
    pub sheets_withdrawn: u64,
    /// Photos of their decided reports erased (the withdrawn reports'
    /// went with them).
    pub photos_erased: u64,
    pub messages_dropped: u64,
    /// Kept: signed comment sheets, decided reports, memberships (past and
    /// ended), meeting invitations of meetings held, roles.
    pub kept_signed_sheets: i64,
    pub kept_reports: i64,
    pub kept_memberships: i64,
    pub kept_meetings: i64,
    pub kept_roles: i64,
    /// The outbox row of the user's answer, queued with the erasure.
    pub answer_row: Option<i64>,
}

/// Erases what is not part of a signed record or kept by the cell, ends
/// the active membership, withdraws pending items and tells the cells'
/// secretaries, in one audited transaction. A second call erases nothing
/// more and writes nothing.
pub async fn forget(
    pool: &Pool,
    user_id: i64,
    now: DateTime<Utc>,
    notify: impl Fn(&Told) -> Option<Notice>,
    notify_officer: impl Fn(&super::requests::Request, &str, Recipient) -> Vec<Notice>,
    erased_card: impl Fn(&Erased, crate::domain::Lang) -> Option<String>,
    answer: impl Fn(&Forgotten) -> Option<Notice>,
) -> sqlx::Result<Forgotten> {
    let mut tx = super::tx::begin(pool).await?;
    let mut done = Forgotten::default();
    let mut changed = 0u64;
    // The links they opened that were meant for them, read before their
    // join request and phones go.
    let own_intros = own_introductions(&mut tx, user_id).await?;

    // The cards already sent about them, read before anything is deleted:
    // every card of their join requests (each shows the phone), and those
    // of the reports withdrawn and the workplaces' requests cancelled now.
    let shown: Vec<ShownCard> = sqlx::query_as(
        "SELECT d.chat_id, d.message_id, u.language, d.subject, c.name, d.subject_id
         FROM decision_messages d
         JOIN memberships m ON m.id = d.subject_id AND m.user_id = ?1
         JOIN cells c ON c.id = m.cell_id
         LEFT JOIN users u ON u.id = d.chat_id
         WHERE d.subject = 'membership'
         UNION ALL
         SELECT d.chat_id, d.message_id, u.language, d.subject, '', d.subject_id
         FROM decision_messages d
         JOIN reports r ON r.id = d.subject_id AND r.user_id = ?1 AND r.status = 'pending'
         LEFT JOIN users u ON u.id = d.chat_id
         WHERE d.subject = 'report'
         UNION ALL
         SELECT d.chat_id, d.message_id, u.language, d.subject, w.name, d.subject_id
         FROM decision_messages d
         JOIN comment_requests r ON r.id = d.subject_id AND r.state IN ('requested', 'drafting')
         JOIN memberships m ON m.id = r.membership_id AND m.user_id = ?1
         JOIN workplaces w ON w.id = r.workplace_id
         LEFT JOIN users u ON u.id = d.chat_id
         WHERE d.subject = 'request'
         ORDER BY 1, 2",
    )
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut edits: Vec<Notice> = shown
        .into_iter()
        .filter(|(chat_id, ..)| *chat_id != user_id)
        .filter_map(|(chat_id, message_id, language, subject, name, id)| {
            let erased = match subject.as_str() {
                "report" => Erased::Report { id },
                "request" => Erased::Request { workplace: name },
                _ => Erased::Join { cell: name },
            };
            let text = erased_card(&erased, crate::domain::Lang::stored(language.as_deref()))?;
            Some(Notice {
                chat_id,
                payload: outbox::Payload {
                    text,
                    edit: Some(message_id),
                    ..Default::default()
                },
            })
        })
        .collect();

    // The cells to tell, read before anything changes: an approved
    // membership (ended now) and a pending request (withdrawn now).
    let open: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT m.id, m.cell_id, c.name, m.full_name, m.status FROM memberships m
         JOIN cells c ON c.id = m.cell_id
         WHERE m.user_id = ? AND m.status IN ('approved', 'pending') ORDER BY m.id",
    )
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut told: Vec<Told> = Vec::new();

    // The file ids of every photo of their reports, read before the
    // withdrawn ones go (erased below, with the outbox's copies), and the
    // photo messages sent with them to the committee: their caption is
    // edited to say that the member erased their data.
    let files: Vec<String> = sqlx::query_scalar(
        "SELECT p.file_id FROM report_photos p JOIN reports r ON r.id = p.report_id
         WHERE r.user_id = ?",
    )
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    let files_json = serde_json::to_string(&files).unwrap_or_else(|_| "[]".into());
    // The outbox rows that carried them, found in one pass over the outbox
    // (only messages with photos are parsed): a large outbox is read once
    // however many photos the member sent, not once per photo.
    let carriers: Vec<i64> = if files.is_empty() {
        Vec::new()
    } else {
        sqlx::query_scalar(
            "SELECT DISTINCT o.id FROM outbox o JOIN json_each(o.payload, '$.photos') j
             WHERE instr(o.payload, '\"photos\"') > 0
               AND j.value IN (SELECT value FROM json_each(?))",
        )
        .bind(&files_json)
        .fetch_all(&mut *tx)
        .await?
    };
    let carriers = super::id_list(&carriers);
    let photos_shown: Vec<(i64, i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT o.chat_id, o.message_id, u.language, MIN(p.report_id) FROM outbox o
         JOIN json_each(o.payload, '$.photos') j
         JOIN report_photos p ON p.file_id = j.value
         JOIN reports r ON r.id = p.report_id AND r.user_id = ?1
         LEFT JOIN users u ON u.id = o.chat_id
         WHERE o.id IN (SELECT value FROM json_each(?2))
           AND o.status = 'sent' AND o.message_id IS NOT NULL AND o.chat_id <> ?1
         GROUP BY o.id ORDER BY o.id",
    )
    .bind(user_id)
    .bind(&carriers)
    .fetch_all(&mut *tx)
    .await?;
    edits.extend(
        photos_shown
            .into_iter()
            .filter_map(|(chat_id, message_id, language, id)| {
                let lang = crate::domain::Lang::stored(language.as_deref());
                Some(Notice {
                    chat_id,
                    payload: outbox::Payload {
                        text: erased_card(&Erased::Photos { id }, lang)?,
                        edit: Some(message_id),
                        caption: true,
                        ..Default::default()
                    },
                })
            }),
    );

    // Pending reports: withdrawn (deleted with their photos), per cell.
    let pending: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, cell_id FROM reports WHERE user_id = ? AND status = 'pending'")
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
    for (id, _) in &pending {
        super::reports::drop_pending(&mut tx, *id, now).await?;
    }
    done.reports_withdrawn = pending.len() as u64;
    changed += done.reports_withdrawn;

    for (membership, cell_id, cell_name, member_name, status) in open {
        let approved = status == "approved";
        if approved {
            sqlx::query(
                "UPDATE memberships SET status = 'left', ended_at = ?, ended_by = ?
                 WHERE id = ? AND status = 'approved'",
            )
            .bind(now)
            .bind(user_id)
            .bind(membership)
            .execute(&mut *tx)
            .await?;
            // Invitations to meetings still to come go with the membership.
            sqlx::query(
                "DELETE FROM meeting_invitations WHERE membership_id = ? AND meeting_id IN (
                     SELECT id FROM meetings WHERE starts_at > ? AND closed_at IS NULL)",
            )
            .bind(membership)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            done.membership_ended = true;
        } else {
            super::decision_messages::settle_all(&mut tx, Subject::Membership, membership, now)
                .await?;
            super::outbox::drop_queued_cards(
                &mut tx,
                Card {
                    subject: Subject::Membership,
                    id: membership,
                },
            )
            .await?;
            super::memberships::drop_pending(&mut tx, membership).await?;
            done.join_withdrawn = true;
        }
        changed += 1;
        let reports_withdrawn = pending.iter().filter(|(_, c)| *c == cell_id).count() as u64;
        // Whoever would decide the member's items is told: the secretary,
        // or the deputy (the ward's supervisors for the committee's own).
        for reader in super::committee::first_recipients(&mut tx, cell_id, user_id).await? {
            let secretary = Recipient::load(&mut tx, reader).await?;
            if approved {
                done.ended_told = true;
            } else {
                done.withdrawn_told = true;
            }
            told.push(Told {
                cell_name: cell_name.clone(),
                member_name: member_name.clone(),
                secretary,
                ended: approved,
                join_withdrawn: !approved,
                reports_withdrawn,
            });
        }
    }

    // Comments on request not signed are cancelled, with their drafts, and
    // whoever asked is told; the cell's cards of them are settled.
    let asked: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT m.id, m.full_name FROM comment_requests r
         JOIN memberships m ON m.id = r.membership_id
         WHERE m.user_id = ? AND r.state IN ('requested', 'drafting')",
    )
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut officer_notices = Vec::new();
    for (membership, name) in asked {
        for r in super::requests::cancel_for_leaver(&mut tx, membership, user_id, now).await? {
            super::decision_messages::settle_all(&mut tx, Subject::Request, r.id, now).await?;
            for officer in
                super::sheets::asking_officers(&mut tx, user_id, r.officer_id, r.workplace_id)
                    .await?
            {
                let to = Recipient::load(&mut tx, officer).await?;
                officer_notices.extend(notify_officer(&r, &name, to));
            }
            changed += 1;
        }
    }
    outbox::enqueue_notices(&mut tx, &officer_notices, now).await?;
    // Comment sheets not signed: the cell's drafts about a member who left
    // (documents are made at signing; none should hang on a draft).
    sqlx::query(
        "DELETE FROM documents WHERE sheet_id IN (
             SELECT s.id FROM sheets s JOIN memberships m ON m.id = s.membership_id
             WHERE m.user_id = ? AND s.state <> 'signed')",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let sheets = sqlx::query(
        "DELETE FROM sheets WHERE state <> 'signed'
         AND membership_id IN (SELECT id FROM memberships WHERE user_id = ?)",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    done.sheets_withdrawn = sheets.rows_affected();
    changed += done.sheets_withdrawn;

    // The photos of their reports kept (decided): neither a comment sheet
    // nor its verification uses them. Their Telegram file ids go, with the
    // outbox's copies (those of the withdrawn reports too): a message still
    // queued with them is not sent, one sent keeps no trace of them.
    sqlx::query(
        "DELETE FROM outbox
         WHERE id IN (SELECT value FROM json_each(?))
           AND status = 'queued' AND broadcast_id IS NULL",
    )
    .bind(&carriers)
    .execute(&mut *tx)
    .await?;
    for file in &files {
        sqlx::query(
            "UPDATE outbox SET payload = replace(payload, ?1, '***')
             WHERE id IN (SELECT value FROM json_each(?2))
               AND status <> 'queued' AND instr(payload, ?1) > 0",
        )
        .bind(file)
        .bind(&carriers)
        .execute(&mut *tx)
        .await?;
    }
    done.photos_erased = sqlx::query(
        "DELETE FROM report_photos WHERE report_id IN (SELECT id FROM reports WHERE user_id = ?)",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    changed += done.photos_erased;

    // Their phone as the cards sent about them carried it (a join or move
    // card to the committee, kept in the outbox for its retention days).
    // (Of the links they opened, only those meant for them: another
    // person's number is not theirs to erase.)
    let phones: Vec<String> = sqlx::query_scalar(
        "SELECT phone FROM users WHERE id = ?1 AND phone IS NOT NULL
         UNION SELECT phone FROM memberships WHERE user_id = ?1 AND phone IS NOT NULL
         UNION SELECT phone FROM introductions
               WHERE id IN (SELECT value FROM json_each(?2)) AND phone IS NOT NULL",
    )
    .bind(user_id)
    .bind(super::id_list(&own_intros))
    .fetch_all(&mut *tx)
    .await?;
    let mut scrubbed: Vec<i64> = Vec::new();
    for phone in phones
        .iter()
        .filter(|p| p.chars().filter(char::is_ascii_digit).count() >= 6)
    {
        scrubbed.extend(
            sqlx::query_scalar::<_, i64>(
                "UPDATE outbox SET payload = replace(payload, ?1, '***')
                 WHERE instr(payload, ?1) > 0 RETURNING id",
            )
            .bind(phone)
            .fetch_all(&mut *tx)
            .await?,
        );
    }
    // Other texts sent with it (a digest telling namesakes apart by their
    // phone): edited to read as scrubbed, buttons kept.
    let sent: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT chat_id, message_id, payload FROM outbox
         WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'sent'
           AND message_id IS NOT NULL AND chat_id <> ?2
         ORDER BY id",
    )
    .bind(super::id_list(&scrubbed))
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    for (chat_id, message_id, json) in sent {
        let Ok(payload) = serde_json::from_str::<outbox::Payload>(&json) else {
            continue;
        };
        let edited = |n: &Notice| n.chat_id == chat_id && n.payload.edit == Some(message_id);
        if payload.card.is_some()
            || !payload.photos.is_empty()
            || payload.document.is_some()
            || payload.edit.is_some()
            || edits.iter().any(edited)
        {
            continue;
        }
        edits.push(Notice {
            chat_id,
            payload: outbox::Payload {
                text: payload.text,
                buttons: payload.buttons,
                edit: Some(message_id),
                ..Default::default()
            },
        });
    }
    // The phone a workplace's introduction carried for them.
    changed += sqlx::query(
        "UPDATE introductions SET phone = NULL
         WHERE id IN (SELECT value FROM json_each(?)) AND phone IS NOT NULL",
    )
    .bind(super::id_list(&own_intros))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // Contact details on every membership.
    changed +=
        sqlx::query("UPDATE memberships SET phone = NULL WHERE user_id = ? AND phone IS NOT NULL")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    // The user row: phone, Telegram name and username, unreachable flag.
    changed += sqlx::query(
        "UPDATE users SET phone = NULL, tg_name = '', tg_username = NULL,
                unreachable_since = NULL, forgotten_at = COALESCE(forgotten_at, ?)
         WHERE id = ? AND (phone IS NOT NULL OR tg_name <> '' OR tg_username IS NOT NULL
                           OR unreachable_since IS NOT NULL OR forgotten_at IS NULL)",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // The agreement to the personal-data notice is withdrawn (kept, with
    // when): a join after this shows the notice again.
    changed += sqlx::query(
        "UPDATE consents SET withdrawn_at = ? WHERE user_id = ?
         AND agreed_at IS NOT NULL AND withdrawn_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // Dialogue state (and the drafts in it).
    changed += sqlx::query("DELETE FROM dialogues WHERE chat_id = ?")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    // The reasons they gave for not attending (their own words): the
    // answer and the attendance stay, the cell's record of its meetings.
    changed += sqlx::query(
        "UPDATE meeting_invitations SET reason = NULL WHERE user_id = ? AND reason IS NOT NULL",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // The meetings' registers shown in their chat (its id, kept to edit
    // them as check-ins come).
    changed += sqlx::query("DELETE FROM meeting_registers WHERE chat_id = ?")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    // What the messages edited in their chat were last seen to show.
    sqlx::query("DELETE FROM edited_messages WHERE chat_id = ?")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    // What they sent that waits, set aside, to be handled (a copy kept for
    // a crash; the update in hand is handled all the same).
    sqlx::query(
        "DELETE FROM updates_set_aside WHERE ?1 IN (
             json_extract(body, '$.message.from.id'),
             json_extract(body, '$.edited_message.from.id'),
             json_extract(body, '$.callback_query.from.id'),
             json_extract(body, '$.my_chat_member.from.id'))",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    // Messages still waiting to be sent to them. A signed sheet's copy to
    // them as a workplace officer (or a notice about a request) is left to
    // the sender, which gives it up as one that did not reach them
    // (`Payload::erased`): it goes to the workplace's other officers (a
    // sheet on request, a notice), and a sheet is no longer counted as
    // delivered to them.
    done.messages_dropped = sqlx::query(
        "UPDATE outbox SET payload = json_set(payload, '$.erased', json('true'))
         WHERE chat_id = ? AND status = 'queued'
           AND (json_extract(payload, '$.sheet') IS NOT NULL
                OR json_extract(payload, '$.reroute') IS NOT NULL)
           AND json_extract(payload, '$.erased') IS NULL",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    done.messages_dropped += sqlx::query(
        "DELETE FROM outbox WHERE chat_id = ? AND status = 'queued'
         AND json_extract(payload, '$.sheet') IS NULL
         AND json_extract(payload, '$.reroute') IS NULL
         AND json_extract(payload, '$.erasure') IS NULL",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    changed += done.messages_dropped;
    // The texts of the messages about them sent (or given up) and kept for
    // their retention days, in every language they were written in:
    // blanked, the rows kept (a message is not sent twice).
    changed += sqlx::query(concat!(
        "UPDATE outbox AS o
         SET payload = json_remove(json_set(payload, '$.text', ''),
                                   '$.in_langs', '$.on_the_day', '$.parts')
         WHERE ",
        own_messages_sql!(),
        " AND o.status <> 'queued'
          AND json_extract(o.payload, '$.erasure') IS NULL
          AND (json_extract(o.payload, '$.text') <> ''
               OR json_extract(o.payload, '$.in_langs') IS NOT NULL
               OR json_extract(o.payload, '$.on_the_day') IS NOT NULL
               OR json_extract(o.payload, '$.parts') IS NOT NULL)"
    ))
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    // What stays, and why (told to the user).
    let (signed, reports, memberships, meetings, roles): (i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM sheets s JOIN memberships m ON m.id = s.membership_id
                     WHERE m.user_id = ?1 AND s.state = 'signed'),
                    (SELECT COUNT(*) FROM reports WHERE user_id = ?1),
                    (SELECT COUNT(*) FROM memberships WHERE user_id = ?1),
                    (SELECT COUNT(*) FROM meeting_invitations WHERE user_id = ?1),
                    (SELECT COUNT(*) FROM cell_secretaries WHERE user_id = ?1)
                  + (SELECT COUNT(*) FROM cell_deputies WHERE user_id = ?1)
                  + (SELECT COUNT(*) FROM workplace_officers WHERE user_id = ?1)
                  + (SELECT COUNT(*) FROM ward_supervisors WHERE user_id = ?1)
                  + (SELECT COUNT(*) FROM ward_admins WHERE user_id = ?1)",
        )
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    done.kept_signed_sheets = signed;
    done.kept_reports = reports;
    done.kept_memberships = memberships;
    done.kept_meetings = meetings;
    done.kept_roles = roles;

    if changed == 0 {
        // A second confirmation: nothing left to erase, nothing written.
        tx.rollback().await?;
        return Ok(done);
    }
    done.changed = true;
    let entry = super::audit::Entry {
        actor: Some(user_id),
        action: "forget",
        subject: "user",
        subject_id: user_id,
        details: serde_json::json!({
            "membership_ended": done.membership_ended,
            "join_withdrawn": done.join_withdrawn,
            "reports_withdrawn": done.reports_withdrawn,
            "sheets_withdrawn": done.sheets_withdrawn,
            "photos_erased": done.photos_erased,
            "messages_dropped": done.messages_dropped,
        }),
    };
    super::audit::append(&mut tx, entry, now).await?;
    let notices: Vec<Notice> = told.iter().filter_map(&notify).collect();
    outbox::enqueue_notices(&mut tx, &notices, now).await?;
    outbox::enqueue_notices(&mut tx, &edits, now).await?;
    // The user's answer (what went, what stays) is queued with the
    // erasure, the handler sending it at once and taking the row off: a
    // kill after the commit, before the handler answered, leaves it to the
    // sender (the press served again is skipped as handled).
    if let Some(answer) = answer(&done) {
        done.answer_row = Some(outbox::enqueue_notice(&mut tx, &answer, now).await?);
    }
    tx.commit().await?;
    Ok(done)
}
