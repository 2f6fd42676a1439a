//! The persistent outbox every broadcast message goes through.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Pool;

/// What one outbox row sends: a text with optional inline buttons, or
/// photos (one, or an album of 2–10) with a caption.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// The message's text; with photos, the caption of the first.
    pub text: String,
    /// Rows of (label, callback data).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Vec<(String, String)>>,
    /// Telegram file ids of photos to send instead of a text message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    /// Once sent, the message shows this item with decision buttons: it is
    /// recorded so that the decision can be written into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// A stored document (`documents.id`) to send, with the text as caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<i64>,
    /// Queued if this message cannot be delivered for good (unreachable,
    /// or failed after its retries): somebody else must know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
    /// What the message says only while it holds: looked at as it is about
    /// to go out (after an outage, say), and one that no longer holds is
    /// not sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holds: Option<Holds>,
    /// What the message says instead once its `holds.until` has passed (a
    /// reminder that says "tomorrow", still waiting on the meeting's day,
    /// says "today").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_the_day: Option<String>,
    /// What the message says instead to an invitee exempt from the meeting
    /// of `holds` (`text`: to one who is not), chosen as it goes out: a
    /// meeting's new time says whether attendance is required as it is
    /// then (the member exempted, or the exemption lifted, while it
    /// waited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_exempt: Option<String>,
    /// The reports waiting for a decision that the message is about (a
    /// note of reports pending too long): not sent once none of them waits
    /// for its reader (decided while it was queued, or the reader is no
    /// longer on the cell's committee nor the ward's supervisor).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<i64>,
    /// The join requests waiting for a decision that the message is about
    /// (with `waiting`: a note of items pending too long): not sent once
    /// none of these nor of `waiting` waits for its reader.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting_joins: Vec<i64>,
    /// Instead of a new message, the text replaces that of this message
    /// sent to the chat before, with this payload's buttons (none: its
    /// buttons go): a card or a text about a member who erased their data.
    /// An edit of a message its reader deleted is dropped (not a
    /// failure); another refusal fails this row alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<i64>,
    /// With `edit`: that message is photos (the first of an album), and the
    /// text replaces their caption.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub caption: bool,
    /// The answer to the user's own erasure (/forgetme), queued with it:
    /// it holds nothing of theirs but counts, and a later erasure (a
    /// second press) neither drops nor blanks it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erasure: bool,
    /// To this membership (an announcement queued before `member_of`): not
    /// sent once it is no longer approved (the member left, moved to
    /// another cell or was removed while it waited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<i64>,
    /// To a member of one of these cells (an announcement to them): not
    /// sent once its reader is an approved member of none of them (left,
    /// or moved to a cell not addressed, while it waited); a move between
    /// two of them keeps it. Checked instead of `member` when set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<i64>,
    /// A digest's parts, each about a cell or a workplace, as `text` has
    /// them (each after a blank line, or the first at its start, before
    /// one: a note of stale reports of several cells): one about a cell
    /// whose committee its reader left (or a workplace they no longer are
    /// an officer of) while it waited is taken out before it goes
    /// ([`kept_parts`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// To an officer of one of these workplaces (a signed sheet): not sent
    /// once they no longer are (the role taken away while it waited); its
    /// fallback tells whoever must know.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officer_of: Vec<i64>,
    /// A signed sheet (`sheets.id`) to an officer of the workplace it is
    /// addressed to: one that does not reach them for good (the role taken
    /// away, the bot blocked) is no longer counted as delivered, and one
    /// on request goes to the workplace's other officers instead
    /// ([`crate::sheet::deliver::not_delivered`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<i64>,
    /// To a supervisor of one of these wards (the note of items pending
    /// too long): not sent once they no longer are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supervisor_of: Vec<i64>,
    /// To an officer of the workplace that asked for a comment, about its
    /// request (it was cancelled): one that does not reach them for good
    /// (the role taken away while it waited, the bot blocked) goes to the
    /// workplace's other officers instead, each once, in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reroute: Option<Reroute>,
    /// Its reader erased their data (/forgetme) while it waited: not sent,
    /// and given up as one that did not reach them (a signed sheet's copy
    /// or a notice about a request goes to the workplace's other officers,
    /// see `sheet` and `reroute`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erased: bool,
    /// The progress message of this announcement (`broadcasts.id`) to its
    /// author: it says the count as it is when it goes out, and the
    /// announcement's later counts are edited into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_of: Option<i64>,
    /// The text and buttons in each language the bot speaks, for a message
    /// rendered from the locales alone (a monthly reminder, a report's
    /// decision): it goes in the language its reader has when it is sent,
    /// not the one they had when it was queued (`/language` switched while
    /// it waited; [`Payload::for_reader`]). Empty: `text` as queued.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_langs: Vec<InLang>,
    /// The text lists the reports of `waiting` (a note of reports pending
    /// too long): rendered again as it goes out when some of them were
    /// decided meanwhile, listing only those still waiting for its reader.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lists_waiting: bool,
}

/// A message's text and buttons in one language ([`Payload::in_langs`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InLang {
    /// The language's code (`Lang::code`).
    pub lang: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Vec<(String, String)>>,
    /// The text for the day itself in this language ([`Payload::on_the_day`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_the_day: Option<String>,
    /// The text to an exempt invitee in this language
    /// ([`Payload::if_exempt`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_exempt: Option<String>,
}

/// Rows of (label, callback data).
pub type Buttons = Vec<Vec<(String, String)>>;

impl Payload {
    /// A message `render`ed in its reader's language `lang` now, and in
    /// every other the bot speaks, so that it goes in the language they
    /// have when it is sent (theirs now is `text`'s, not repeated).
    pub fn in_every_lang(
        lang: crate::domain::Lang,
        mut render: impl FnMut(crate::domain::Lang) -> (String, Buttons),
    ) -> Payload {
        let in_langs = crate::domain::Lang::ALL
            .iter()
            .filter(|&&other| other != lang)
            .map(|&other| {
                let (text, buttons) = render(other);
                InLang {
                    lang: other.code().to_string(),
                    text,
                    buttons,
                    on_the_day: None,
                    if_exempt: None,
                }
            })
            .collect();
        let (text, buttons) = render(lang);
        Payload {
            text,
            buttons,
            in_langs,
            ..Payload::default()
        }
    }

    /// As it goes out to a reader whose language is `language` now: the
    /// text and buttons of that language, when it carries them (else it
    /// is `text`'s, the language it was queued in).
    pub fn for_reader(mut self, language: Option<&str>) -> Payload {
        let code = crate::domain::Lang::stored(language).code();
        if let Some(own) = self.in_langs.iter().find(|l| l.lang == code) {
            self.text = own.text.clone();
            self.buttons = own.buttons.clone();
            if self.if_exempt.is_some() {
                self.if_exempt = own.if_exempt.clone();
            }
        }
        self
    }
}

/// Where a notice to a workplace's officer about its request goes when it
/// does not reach them ([`Payload::reroute`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reroute {
    /// The request (`comment_requests.id`): never to the member it is about.
    pub request: i64,
    pub workplace: i64,
    /// The text in each language the bot speaks, by its code.
    pub texts: Vec<(String, String)>,
}

impl Reroute {
    /// About `request` of `workplace`, in every language (`text`).
    pub fn new(request: i64, workplace: i64, text: impl Fn(crate::domain::Lang) -> String) -> Self {
        Reroute {
            request,
            workplace,
            texts: crate::domain::Lang::ALL
                .iter()
                .map(|&lang| (lang.code().to_string(), text(lang)))
                .collect(),
        }
    }
}

/// A part of a digest's text, read while its reader is on the cell's
/// committee (secretary or deputy), an officer of the workplace or a
/// supervisor of the ward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workplace: Option<i64>,
    /// A ward the reader supervises (the supervisors' note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ward: Option<i64>,
    pub text: String,
    /// Items of the part wait for the reader's decision: the digest's
    /// buttons (Open pending) go once no part left has any.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

impl Payload {
    /// The payload as it is to go out at `now`: past its `holds.until`,
    /// the text for the day itself, if it has one.
    pub fn as_of(mut self, now: DateTime<Utc>) -> Self {
        if let Some(holds) = &mut self.holds
            && holds.until.is_some_and(|until| now >= until)
            && let Some(text) = self.on_the_day.take()
        {
            self.text = text;
            holds.until = None;
            // And in each other language it carries, for its reader.
            for other in &mut self.in_langs {
                if let Some(text) = other.on_the_day.take() {
                    other.text = text;
                }
            }
        }
        self
    }
}

/// What a message shows, as recorded to tell whether an edit changes it:
/// its text (trimmed, as Telegram keeps it) and its buttons' labels.
pub fn fingerprint<'a>(text: &str, labels: impl IntoIterator<Item = &'a str>) -> String {
    let labels: Vec<&str> = labels.into_iter().collect();
    format!("{}\u{1f}{}", text.trim(), labels.join("\u{1e}"))
}

impl Payload {
    /// What the message shows once this payload is sent ([`fingerprint`]).
    pub fn fingerprint(&self) -> String {
        let labels = self
            .buttons
            .iter()
            .flatten()
            .map(|(label, _)| label.as_str());
        fingerprint(&self.text, labels)
    }
}

/// Records that message `message_id` in `chat_id` shows `shown` (a
/// [`fingerprint`], kept as its hash) since `now`: Telegram accepted an
/// edit to it, or the bot showed it anew. In the caller's connection.
pub async fn record_shown(
    conn: &mut sqlx::SqliteConnection,
    (chat_id, message_id): (i64, i64),
    shown: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO edited_messages (chat_id, message_id, shown, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (chat_id, message_id) DO UPDATE SET shown = excluded.shown, at = excluded.at",
    )
    .bind(chat_id)
    .bind(message_id)
    .bind(crate::domain::sheet::sha256_hex(shown))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// [`record_shown`] in a write of its own.
pub async fn record_shown_now(
    pool: &Pool,
    message: (i64, i64),
    shown: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    record_shown(&mut tx, message, shown, now).await?;
    tx.commit().await
}

/// Whether message `message_id` in `chat_id` is known to show `shown` (a
/// [`fingerprint`]) already: an edit to it would change nothing.
pub async fn shows(
    pool: &Pool,
    (chat_id, message_id): (i64, i64),
    shown: &str,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM edited_messages
                        WHERE chat_id = ? AND message_id = ? AND shown = ?)",
    )
    .bind(chat_id)
    .bind(message_id)
    .bind(crate::domain::sheet::sha256_hex(shown))
    .fetch_one(pool)
    .await
}

/// While a message about a meeting still holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holds {
    pub meeting: i64,
    /// About the meeting at this time (an invitation, a reminder, a new
    /// time): not sent once it was moved or cancelled, or has begun.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// With `at`: how many times the meeting had been moved when it was
    /// written (its answer buttons carry it): not sent once it was moved
    /// again, back to the same time included (moved and moved back, it was
    /// told anew, and its reminder went again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved: Option<i64>,
    /// Not sent from then on (a reminder that says "tomorrow": not on the
    /// day itself, unless it has a text for the day, `Payload::on_the_day`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    /// About its register left open: not sent once it was closed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub register_open: bool,
    /// To this membership as invited: not sent once it is no longer (the
    /// member left the cell while it waited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitee: Option<i64>,
    /// To the invitee as one who will attend or has not answered (a
    /// reminder): not sent once they said they cannot attend.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_declined: bool,
    /// Written for the invitee as exempt or not (a reminder says whether
    /// attendance is required): not sent once that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<bool>,
}

/// Whether a message about a meeting still holds at `now` (see [`Holds`]).
async fn still_holds(pool: &Pool, holds: &Holds, now: DateTime<Utc>) -> sqlx::Result<bool> {
    if holds.until.is_some_and(|until| now >= until) {
        return Ok(false);
    }
    let Some(meeting) = super::meetings::get(pool, holds.meeting).await? else {
        return Ok(false);
    };
    let ahead = |at: DateTime<Utc>| {
        meeting.status == "scheduled"
            && meeting.starts_at.timestamp() == at.timestamp()
            && holds.moved.is_none_or(|moved| moved == meeting.postponed)
            && now < meeting.starts_at
    };
    if !(holds.at.is_none_or(ahead) && (!holds.register_open || meeting.closed_at.is_none())) {
        return Ok(false);
    }
    match holds.invitee {
        Some(membership) => {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM meeting_invitations i
                            JOIN memberships m ON m.id = i.membership_id AND m.status = 'approved'
                            WHERE i.meeting_id = ?1 AND i.membership_id = ?2
                              AND (?3 = 0 OR i.answer IS NOT 'decline')
                              AND (?4 IS NULL OR i.exempt = ?4))",
            )
            .bind(holds.meeting)
            .bind(membership)
            .bind(holds.not_declined)
            .bind(holds.exempt)
            .fetch_one(pool)
            .await
        }
        None => Ok(true),
    }
}

/// Whether `chat_id` holds a role in one of `ids` (cells, workplaces,
/// wards), by `sql`, an `EXISTS` whose arguments are the user and the ids
/// as a JSON array.
async fn one_of(pool: &Pool, sql: &'static str, chat_id: i64, ids: &[i64]) -> sqlx::Result<bool> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    sqlx::query_scalar(sql)
        .bind(chat_id)
        .bind(ids)
        .fetch_one(pool)
        .await
}

/// Whether a message to `chat_id` still holds at `now`: what it says of a
/// meeting ([`Holds`]), of reports waiting for a decision
/// (`Payload::waiting`), the cells or membership it was written to
/// (`Payload::member_of`, `Payload::member`), the officer or supervisor
/// it goes to (`Payload::officer_of`, `Payload::supervisor_of`) and whether
/// they erased their data since (`Payload::erased`).
pub async fn payload_holds(
    pool: &Pool,
    chat_id: i64,
    payload: &Payload,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    if payload.erased {
        return Ok(false);
    }
    let officer = "SELECT EXISTS (SELECT 1 FROM workplace_officers
                   WHERE user_id = ? AND workplace_id IN (SELECT value FROM json_each(?)))";
    if !payload.officer_of.is_empty()
        && !one_of(pool, officer, chat_id, &payload.officer_of).await?
    {
        return Ok(false);
    }
    let supervisor = "SELECT EXISTS (SELECT 1 FROM ward_supervisors
                      WHERE user_id = ? AND ward_id IN (SELECT value FROM json_each(?)))";
    if !payload.supervisor_of.is_empty()
        && !one_of(pool, supervisor, chat_id, &payload.supervisor_of).await?
    {
        return Ok(false);
    }
    if let Some(holds) = &payload.holds
        && !still_holds(pool, holds, now).await?
    {
        return Ok(false);
    }
    if !payload.member_of.is_empty() {
        let member = "SELECT EXISTS (SELECT 1 FROM memberships
                      WHERE user_id = ? AND status = 'approved'
                        AND cell_id IN (SELECT value FROM json_each(?)))";
        if !one_of(pool, member, chat_id, &payload.member_of).await? {
            return Ok(false);
        }
    } else if let Some(membership) = payload.member {
        let approved: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM memberships WHERE id = ? AND status = 'approved')",
        )
        .bind(membership)
        .fetch_one(pool)
        .await?;
        if !approved {
            return Ok(false);
        }
    }
    if payload.waiting.is_empty() && payload.waiting_joins.is_empty() {
        return Ok(true);
    }
    Ok(
        any_waiting(pool, WAITING_REPORT, &payload.waiting, chat_id).await?
            || any_waiting(pool, WAITING_JOIN, &payload.waiting_joins, chat_id).await?,
    )
}

/// SQL: whether any of the items of `$table` whose ids are the JSON array
/// `?1` is still pending and decided by user `?2`.
macro_rules! waiting_for {
    ($table:literal) => {
        concat!(
            "SELECT EXISTS (SELECT 1 FROM ",
            $table,
            " x JOIN cells c ON c.id = x.cell_id
                        WHERE x.id IN (SELECT value FROM json_each(?1)) AND x.status = 'pending'
                          AND ",
            decides_for_cell!("c", "?2"),
            ")"
        )
    };
}
const WAITING_REPORT: &str = waiting_for!("reports");
const WAITING_JOIN: &str = waiting_for!("memberships");

/// Whether any of these items (reports with [`WAITING_REPORT`], join
/// requests with [`WAITING_JOIN`]) still waits for a decision by `reader`.
async fn any_waiting(
    pool: &Pool,
    sql: &'static str,
    ids: &[i64],
    reader: i64,
) -> sqlx::Result<bool> {
    if ids.is_empty() {
        return Ok(false);
    }
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    sqlx::query_scalar(sql)
        .bind(ids)
        .bind(reader)
        .fetch_one(pool)
        .await
}

/// Of these reports (ids), those still pending and decided by `reader`
/// ([`WAITING_REPORT`]'s rule), in the order given.
pub async fn reports_waiting(pool: &Pool, ids: &[i64], reader: i64) -> sqlx::Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let waiting: std::collections::HashSet<i64> = sqlx::query_scalar(concat!(
        "SELECT x.id FROM reports x JOIN cells c ON c.id = x.cell_id
         WHERE x.id IN (SELECT value FROM json_each(?1)) AND x.status = 'pending'
           AND ",
        decides_for_cell!("c", "?2")
    ))
    .bind(json)
    .bind(reader)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    Ok(ids
        .iter()
        .copied()
        .filter(|id| waiting.contains(id))
        .collect())
}

/// The payload of queued row `id` as its reader (`chat_id`) may still read
/// it: the parts ([`Part`]) about a cell or workplace no longer theirs are
/// taken out of its text, and the row is rewritten so while still queued
/// (what it says once sent is what went out, as `/forgetme` edits it).
/// A part to take out where the text was cut to fit goes with what is left
/// of it; one wholly after the cut has nothing to take out. `None` when it
/// is not to be sent: no part left, a part to take out not found (whole,
/// cut at the end, or after the cut), or the row no longer queued.
pub async fn kept_parts(
    pool: &Pool,
    id: i64,
    chat_id: i64,
    mut payload: Payload,
) -> sqlx::Result<Option<Payload>> {
    if payload.parts.is_empty() {
        return Ok(Some(payload));
    }
    let all = payload.parts.len();
    let mut kept = Vec::with_capacity(all);
    // The text was cut to fit before the part at hand: nothing of it (nor
    // of those after it) is in the text, so nothing to take out.
    let mut cut = false;
    for (at, part) in std::mem::take(&mut payload.parts).into_iter().enumerate() {
        let theirs: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM cell_secretaries WHERE cell_id = ?1 AND user_id = ?3)
                 OR EXISTS (SELECT 1 FROM cell_deputies WHERE cell_id = ?1 AND user_id = ?3)
                 OR EXISTS (SELECT 1 FROM workplace_officers
                            WHERE workplace_id = ?2 AND user_id = ?3)
                 OR EXISTS (SELECT 1 FROM ward_supervisors WHERE ward_id = ?4 AND user_id = ?3)",
        )
        .bind(part.cell)
        .bind(part.workplace)
        .bind(chat_id)
        .bind(part.ward)
        .fetch_one(pool)
        .await?;
        let whole = format!("\n\n{}", part.text);
        let first = format!("{}\n\n", part.text);
        if cut || theirs {
            // A part kept not found whole in a text cut to fit: the cut is
            // within it (or before it).
            cut = cut
                || (payload.text.ends_with('…')
                    && !payload.text.contains(&whole)
                    && !payload.text.starts_with(&first));
            if theirs {
                kept.push(part);
            }
            continue;
        }
        if payload.text.contains(&whole) {
            payload.text = payload.text.replacen(&whole, "", 1);
        } else if let Some(rest) = payload.text.strip_prefix(&first) {
            payload.text = rest.to_string();
        } else if let Some(kept_end) = clipped_within(&payload.text, &whole) {
            // The text was cut to fit within this part: it goes with what
            // is left of it (the cut shown still if parts come after it).
            let more = at + 1 < all;
            payload.text = format!("{kept_end}{}", if more { "…" } else { "" });
            cut = true;
        } else {
            return Ok(None);
        }
    }
    if kept.is_empty() {
        return Ok(None);
    }
    let changed = kept.len() < all;
    if changed && !kept.iter().any(|p| p.pending) {
        payload.buttons.clear();
    }
    payload.parts = kept;
    if changed {
        let json = stored(&payload)?;
        let done = super::tx::retrying(|| {
            sqlx::query("UPDATE outbox SET payload = ? WHERE id = ? AND status = 'queued'")
                .bind(&json)
                .bind(id)
                .execute(pool)
        })
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
    }
    Ok(Some(payload))
}

/// The text before `part` (a part after its blank line) when `text` was
/// cut to fit ("…" at its end) within it: the text ends with a start of it.
fn clipped_within<'t>(text: &'t str, part: &str) -> Option<&'t str> {
    let body = text.strip_suffix('…')?;
    part.char_indices()
        .map(|(at, c)| at + c.len_utf8())
        .rev()
        .find(|&end| body.ends_with(&part[..end]))
        .map(|end| &body[..body.len() - end])
}

/// Takes a queued row off the outbox once its message was sent outside the
/// sender (an answer queued with the change it announces, as a kill's
/// backstop, the sender leaving it alone meanwhile): whether it was still
/// queued.
pub async fn take_queued(pool: &Pool, id: i64) -> sqlx::Result<bool> {
    let done = super::tx::retrying(|| {
        sqlx::query("DELETE FROM outbox WHERE id = ? AND status = 'queued'")
            .bind(id)
            .execute(pool)
    })
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a queued row that is no longer to be sent (it no longer holds).
pub async fn drop_outdated(pool: &Pool, id: i64) -> sqlx::Result<()> {
    super::tx::retrying(|| {
        sqlx::query("DELETE FROM outbox WHERE id = ? AND status = 'queued'")
            .bind(id)
            .execute(pool)
    })
    .await?;
    Ok(())
}

/// How a queued row is given up for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp<'a> {
    /// Telegram refused it (the bot blocked): the row and its recipient
    /// are marked unreachable, so nothing more is sent until they write.
    Unreachable(&'a str),
    /// Its recipient was unreachable when its batch was read and still is:
    /// marked so without a try (the user's own flag is not touched: they
    /// may have written a moment ago).
    StillUnreachable,
    /// Failed after its retries (or at once).
    Failed(&'a str),
    /// It no longer holds: deleted.
    Outdated,
}

/// Gives up row `id` to `chat_id`, while still queued, in the caller's
/// transaction. Returns whether it was (not if it was deleted, or sent,
/// meanwhile; nor, still unreachable, once its recipient wrote).
pub async fn give_up_in(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    chat_id: i64,
    how: GiveUp<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = match how {
        GiveUp::Unreachable(error) => {
            sqlx::query(
                "UPDATE users SET unreachable_since = COALESCE(unreachable_since, ?) WHERE id = ?",
            )
            .bind(now)
            .bind(chat_id)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "UPDATE outbox SET status = 'unreachable', last_error = ?
                 WHERE id = ? AND chat_id = ? AND status = 'queued'",
            )
            .bind(error)
            .bind(id)
            .bind(chat_id)
            .execute(&mut *conn)
            .await?
        }
        GiveUp::StillUnreachable => {
            sqlx::query(
                "UPDATE outbox SET status = 'unreachable', last_error = 'known unreachable'
                 WHERE id = ?1 AND chat_id = ?2 AND status = 'queued'
                   AND EXISTS (SELECT 1 FROM users WHERE id = ?2 AND unreachable_since IS NOT NULL)",
            )
            .bind(id)
            .bind(chat_id)
            .execute(&mut *conn)
            .await?
        }
        GiveUp::Failed(error) => {
            sqlx::query(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
                 WHERE id = ? AND chat_id = ? AND status = 'queued'",
            )
            .bind(error)
            .bind(id)
            .bind(chat_id)
            .execute(&mut *conn)
            .await?
        }
        GiveUp::Outdated => {
            // An announcement's copy to one no longer a member it was
            // sent to: counted, so its final count says so.
            let dropped: Option<Option<i64>> = sqlx::query_scalar(
                "DELETE FROM outbox WHERE id = ? AND chat_id = ? AND status = 'queued'
                 RETURNING broadcast_id",
            )
            .bind(id)
            .bind(chat_id)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(Some(broadcast)) = dropped {
                sqlx::query(
                    "UPDATE broadcasts SET left_meanwhile = left_meanwhile + 1
                     WHERE id = ? AND kind = 'announcement'",
                )
                .bind(broadcast)
                .execute(&mut *conn)
                .await?;
            }
            return Ok(dropped.is_some());
        }
    };
    Ok(done.rows_affected() == 1)
}

/// The copies of their own signed comment sheets (the DOCX and the PDF)
/// that did not reach `user` (they had blocked the bot), queued again now
/// that they are heard from (they wrote to the bot, or unblocked it), in
/// the caller's transaction. The signer was told they missed it. Returns
/// how many.
pub async fn resend_own_sheets_in(
    conn: &mut sqlx::SqliteConnection,
    user: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'queued', attempts = 0, last_error = NULL, not_before = ?1
         WHERE chat_id = ?2 AND status = 'unreachable'
           AND json_extract(payload, '$.document') IN (
               SELECT d.id FROM documents d JOIN sheets s ON s.id = d.sheet_id
               JOIN memberships m ON m.id = s.membership_id
               WHERE m.user_id = ?2)",
    )
    .bind(now)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// [`resend_own_sheets_in`] in a transaction of its own, set aside from
/// the update being handled (bookkeeping as the user arrives, not what
/// their update came to do).
pub async fn resend_own_sheets(pool: &Pool, user: i64, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let mut tx = super::tx::begin_aside(pool).await?;
    let resent = resend_own_sheets_in(&mut tx, user, now).await?;
    tx.commit().await?;
    Ok(resent)
}

/// Gives up row `id` to `chat_id` ([`give_up_in`]), queues `fallback`
/// (whoever must know is told) and sends it on (`reroute`), in one
/// transaction: a crash loses neither without the other. Returns whether
/// the row was given up.
pub async fn give_up(
    pool: &Pool,
    (id, chat_id): (i64, i64),
    how: GiveUp<'_>,
    fallback: Option<&Fallback>,
    reroute: Option<&Reroute>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = super::tx::begin(pool).await?;
    let given = give_up_in(&mut tx, id, chat_id, how, now).await?;
    if given && let Some(fallback) = fallback {
        enqueue_fallback_of(&mut tx, fallback, now).await?;
    }
    if given && let Some(reroute) = reroute {
        reroute_in(&mut tx, chat_id, reroute, now).await?;
    }
    tx.commit().await?;
    Ok(given)
}

/// A notice about a request that did not reach `missed`, an officer of
/// the workplace, for good: queued to the workplace's other officers (not
/// the member it is about) who have no copy and did not miss one, in the
/// caller's transaction.
async fn reroute_in(
    conn: &mut sqlx::SqliteConnection,
    missed: i64,
    reroute: &Reroute,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    // Not one who erased their data and has not come back since.
    let fresh: Vec<(i64, Option<String>)> = sqlx::query_as(concat!(
        "SELECT w.user_id, u.language FROM workplace_officers w
         LEFT JOIN users u ON u.id = w.user_id
         WHERE w.workplace_id = ?1 AND w.user_id <> ?2
           AND w.user_id NOT IN (SELECT m.user_id FROM comment_requests r
                                 JOIN memberships m ON m.id = r.membership_id
                                 WHERE r.id = ?3)
           AND NOT EXISTS (SELECT 1 FROM outbox o
                           WHERE o.chat_id = w.user_id
                             AND json_extract(o.payload, '$.reroute.request') = ?3)
           AND NOT ",
        erased_and_away!("w.user_id"),
        " ORDER BY w.since, w.user_id"
    ))
    .bind(reroute.workplace)
    .bind(missed)
    .bind(reroute.request)
    .fetch_all(&mut *conn)
    .await?;
    let notices: Vec<Notice> = fresh
        .into_iter()
        .map(|(officer, language)| {
            let lang = crate::domain::Lang::stored(language.as_deref());
            let text = reroute
                .texts
                .iter()
                .find(|(code, _)| code == lang.code())
                .or(reroute.texts.first())
                .map(|(_, text)| text.clone())
                .unwrap_or_default();
            Notice {
                chat_id: officer,
                payload: Payload {
                    text,
                    officer_of: vec![reroute.workplace],
                    reroute: Some(reroute.clone()),
                    ..Payload::default()
                },
            }
        })
        .collect();
    enqueue_notices(conn, &notices, now).await
}

/// A text for another chat when a message cannot be delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fallback {
    pub chat_id: i64,
    pub text: String,
    /// About a member of this cell, to one who decides for it (a signed
    /// sheet's copy not delivered, told to whoever signed it): one who no
    /// longer does when it is given up (a handover meanwhile) is not told;
    /// whoever decides for the cell now is, in their language (`texts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_of: Option<i64>,
    /// With `committee_of`: the text in each language the bot speaks, by
    /// its code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<(String, String)>,
}

/// The item a decision card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub subject: super::decision_messages::Subject,
    pub id: i64,
}

/// A message a person is waiting for, queued with the change it announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub chat_id: i64,
    pub payload: Payload,
}

/// Who a notice goes to: the user and the language they read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: i64,
    pub lang: crate::domain::Lang,
}

impl Recipient {
    /// Loads the user's language inside the caller's transaction.
    pub async fn load(conn: &mut sqlx::SqliteConnection, user_id: i64) -> sqlx::Result<Self> {
        let user = super::users::get(conn, user_id).await?;
        Ok(Recipient {
            user_id,
            lang: user.map(|u| u.lang()).unwrap_or_default(),
        })
    }

    /// The user, reading the language stored for them (`users.language`)
    /// where it was read already.
    pub fn reading(user_id: i64, language: Option<&str>) -> Self {
        Recipient {
            user_id,
            lang: crate::domain::Lang::stored(language),
        }
    }
}

/// Queues messages a person is waiting for (priority 0), inside the
/// caller's transaction.
pub async fn enqueue_notices(
    conn: &mut sqlx::SqliteConnection,
    notices: &[Notice],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut batch = super::tx::Batch::default();
    push_notices(&mut batch, notices, now)?;
    batch.run_on(conn).await?;
    Ok(())
}

/// A notice's row: sent ahead of bulk rows (priority 0).
const INSERT_NOTICE: &str =
    "INSERT INTO outbox (broadcast_id, chat_id, payload, status, priority, not_before)
     VALUES (NULL, ?, ?, 'queued', 0, ?)";

/// Queues one notice in the caller's transaction; its row's id.
pub async fn enqueue_notice(
    conn: &mut sqlx::SqliteConnection,
    notice: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let done = sqlx::query(INSERT_NOTICE)
        .bind(notice.chat_id)
        .bind(stored(&notice.payload)?)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.last_insert_rowid())
}

/// [`enqueue_notices`] as statements of `batch`, sent with it.
pub fn push_notices(
    batch: &mut super::tx::Batch,
    notices: &[Notice],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    for notice in notices {
        batch
            .push(INSERT_NOTICE)
            .bind(notice.chat_id)
            .bind(stored(&notice.payload)?)
            .bind(now);
    }
    Ok(())
}

/// SQL: outbox row `o` is a still-queued card of the item `$subject`,
/// `$id`. Cards are notices (priority 0, no broadcast): the index
/// `outbox_due` keeps a queued broadcast's rows out of the search.
macro_rules! queued_card {
    ($subject:literal, $id:literal) => {
        concat!(
            "o.status = 'queued' AND o.priority = 0 AND o.broadcast_id IS NULL
             AND json_extract(o.payload, '$.card.subject') = ",
            $subject,
            " AND json_extract(o.payload, '$.card.id') = ",
            $id
        )
    };
}

/// Whether `chat_id` has the card of an item: shown (recorded as its card)
/// or still queued.
pub async fn has_card(
    conn: &mut sqlx::SqliteConnection,
    card: Card,
    chat_id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(concat!(
        "SELECT EXISTS (SELECT 1 FROM decision_messages
                        WHERE subject = ?1 AND subject_id = ?2 AND chat_id = ?3)
             OR EXISTS (SELECT 1 FROM outbox o WHERE o.chat_id = ?3 AND ",
        queued_card!("?1", "?2"),
        ")"
    ))
    .bind(card.subject.as_str())
    .bind(card.id)
    .bind(chat_id)
    .fetch_one(conn)
    .await
}

/// Deletes the queued cards of an item erased at its owner's request
/// (/forgetme): what was withdrawn is not delivered afterwards. A row the
/// sender already holds goes out. Returns how many were deleted.
pub async fn drop_queued_cards(conn: &mut sqlx::SqliteConnection, card: Card) -> sqlx::Result<u64> {
    let done = sqlx::query(concat!(
        "DELETE FROM outbox AS o WHERE ",
        queued_card!("?", "?")
    ))
    .bind(card.subject.as_str())
    .bind(card.id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Settles the cards of an item that are still queued (not yet accepted
/// by Telegram), as [`super::decision_messages::unsettled`] cards are
/// settled once sent: each loses its buttons and is no longer recorded as
/// the item's card when it goes out; `text_for` (in its reader's
/// language), if given, replaces its text. Returns how many were changed.
/// A row the sender already holds goes out as it was, and is settled, once
/// recorded, with the sent ones (or at a press on it, which is refused).
pub async fn settle_queued_cards(
    pool: &Pool,
    card: Card,
    text_for: Option<&(dyn Fn(crate::domain::Lang) -> String + Sync)>,
) -> sqlx::Result<usize> {
    // Read outside the write transaction, rewritten below only while still
    // queued.
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(concat!(
        "SELECT o.id, o.payload, u.language FROM outbox o
         LEFT JOIN users u ON u.id = o.chat_id
         WHERE ",
        queued_card!("?", "?")
    ))
    .bind(card.subject.as_str())
    .bind(card.id)
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut tx = super::tx::begin(pool).await?;
    let mut settled = 0;
    for (id, json, language) in rows {
        let Ok(mut payload) = serde_json::from_str::<Payload>(&json) else {
            continue;
        };
        payload.buttons.clear();
        payload.card = None;
        if let Some(text_for) = text_for {
            payload.text = text_for(crate::domain::Lang::stored(language.as_deref()));
        }
        let done = sqlx::query("UPDATE outbox SET payload = ? WHERE id = ? AND status = 'queued'")
            .bind(stored(&payload)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        settled += done.rows_affected() as usize;
    }
    tx.commit().await?;
    Ok(settled)
}

/// Rows waiting to be sent (served by the index `outbox_due`).
pub async fn queued(pool: &super::Pool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
        .fetch_one(pool)
        .await
}

/// A payload as its row stores it.
fn stored(payload: &Payload) -> sqlx::Result<String> {
    serde_json::to_string(payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

pub async fn enqueue(
    conn: &mut sqlx::SqliteConnection,
    broadcast_id: i64,
    chat_id: i64,
    payload: &Payload,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let json = stored(payload)?;
    let done = sqlx::query(
        "INSERT INTO outbox (broadcast_id, chat_id, payload, status, priority, not_before)
         VALUES (?, ?, ?, 'queued',
                 (SELECT CASE kind WHEN 'digest' THEN 1 WHEN 'stale' THEN 1 ELSE 2 END
                  FROM broadcasts WHERE id = ?), ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(broadcast_id)
    .bind(chat_id)
    .bind(json)
    .bind(broadcast_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Queues one message per chat for a broadcast in one statement (the
/// monthly round's batches), skipping chats that already have a row of
/// that broadcast; returns how many rows were added.
pub async fn enqueue_many(
    conn: &mut sqlx::SqliteConnection,
    broadcast_id: i64,
    messages: &[(i64, Payload)],
    now: DateTime<Utc>,
) -> sqlx::Result<usize> {
    if messages.is_empty() {
        return Ok(0);
    }
    let rows = messages
        .iter()
        .map(|(chat, payload)| Ok((chat, stored(payload)?)))
        .collect::<sqlx::Result<Vec<_>>>()?;
    let rows = serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let done = sqlx::query(
        "INSERT INTO outbox (broadcast_id, chat_id, payload, status, priority, not_before)
         SELECT ?1, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), 'queued',
                (SELECT CASE kind WHEN 'digest' THEN 1 WHEN 'stale' THEN 1 ELSE 2 END
                 FROM broadcasts WHERE id = ?1), ?2
         FROM json_each(?3) j WHERE true
         ON CONFLICT DO NOTHING",
    )
    .bind(broadcast_id)
    .bind(now)
    .bind(rows)
    .execute(conn)
    .await?;
    Ok(usize::try_from(done.rows_affected()).unwrap_or(usize::MAX))
}

/// Queues a fallback notice unless the same text to the same chat is
/// already waiting (one undelivered sheet makes three failed rows).
pub async fn enqueue_fallback(
    pool: &Pool,
    notice: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    enqueue_fallback_in(&mut tx, notice, now).await?;
    tx.commit().await
}

/// A payload's `fallback`, to whom it tells now ([`fallback_notice`]),
/// queued once ([`enqueue_fallback_in`]) in the caller's transaction.
pub async fn enqueue_fallback_of(
    conn: &mut sqlx::SqliteConnection,
    fallback: &Fallback,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let notice = fallback_notice(&mut *conn, fallback).await?;
    enqueue_fallback_in(conn, &notice, now).await
}

/// [`enqueue_fallback`] in the caller's transaction.
pub async fn enqueue_fallback_in(
    conn: &mut sqlx::SqliteConnection,
    notice: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let json = stored(&notice.payload)?;
    sqlx::query(
        "INSERT INTO outbox (broadcast_id, chat_id, payload, status, priority, not_before)
         SELECT NULL, ?, ?, 'queued', 0, ?
         WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE chat_id = ? AND payload = ?
                           AND broadcast_id IS NULL)",
    )
    .bind(notice.chat_id)
    .bind(&json)
    .bind(now)
    .bind(notice.chat_id)
    .bind(&json)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whom `fallback` tells, and what: its chat, unless it is about a cell
/// they no longer decide for (`committee_of`) and somebody does: then the
/// cell's secretary, else its deputy, else the ward's first supervisor.
async fn fallback_notice(
    conn: &mut sqlx::SqliteConnection,
    fallback: &Fallback,
) -> sqlx::Result<Notice> {
    let mut notice = Notice {
        chat_id: fallback.chat_id,
        payload: Payload {
            text: fallback.text.clone(),
            ..Payload::default()
        },
    };
    let Some(cell) = fallback.committee_of else {
        return Ok(notice);
    };
    if let Some((user, language)) = deciding_instead(conn, cell, fallback.chat_id).await? {
        let lang = crate::domain::Lang::stored(language.as_deref());
        notice.chat_id = user;
        if let Some((_, text)) = fallback.texts.iter().find(|(code, _)| code == lang.code()) {
            notice.payload.text = text.clone();
        }
    }
    Ok(notice)
}

/// Who decides for `cell` now in place of `was`, who no longer does (a
/// handover, a deputy replaced): its secretary, else its deputy, else the
/// ward's first supervisor, with their language. `None` while `was` still
/// decides for it, or when nobody does.
pub async fn deciding_instead(
    conn: &mut sqlx::SqliteConnection,
    cell: i64,
    was: i64,
) -> sqlx::Result<Option<(i64, Option<String>)>> {
    sqlx::query_as(concat!(
        "SELECT u.id, u.language FROM cells c
         JOIN (SELECT cell_id, user_id, 0 AS rank, 0 AS since FROM cell_secretaries
               UNION ALL SELECT cell_id, user_id, 1, 0 FROM cell_deputies
               UNION ALL SELECT c2.id, s.user_id, 2, s.since
                         FROM ward_supervisors s JOIN cells c2 ON c2.ward_id = s.ward_id) d
           ON d.cell_id = c.id
         JOIN users u ON u.id = d.user_id
         WHERE c.id = ?1 AND NOT ",
        decides_for_cell!("c", "?2"),
        " ORDER BY d.rank, d.since, d.user_id LIMIT 1"
    ))
    .bind(cell)
    .bind(was)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    /// None for a notice that belongs to no broadcast.
    pub broadcast_id: Option<i64>,
    pub chat_id: i64,
    pub payload: String,
    pub attempts: i64,
    /// 0: what a person waits for; 1: digests and notes; 2: reminders and
    /// announcements.
    pub priority: i64,
    /// The recipient is known to be unreachable.
    pub unreachable: bool,
    /// The recipient's language, as they chose it (`users.language`).
    pub language: Option<String>,
}

impl Row {
    pub fn payload(&self) -> Option<Payload> {
        serde_json::from_str(&self.payload).ok()
    }
}

/// That queued row `o` is not held by an earlier row of its chat that
/// failed and is still queued (see [`due`]).
macro_rules! not_held {
    () => {
        "NOT EXISTS (SELECT 1 FROM outbox e
                     WHERE e.chat_id = o.chat_id AND e.id < o.id
                       AND e.status = 'queued' AND e.last_error IS NOT NULL)"
    };
}

const DUE_QUERY: &str = concat!(
    "SELECT o.id, o.broadcast_id, o.chat_id, o.payload, o.attempts, o.priority,
            (u.unreachable_since IS NOT NULL) AS unreachable, u.language
     FROM outbox o LEFT JOIN users u ON u.id = o.chat_id
     WHERE o.status = 'queued'
       AND (o.not_before <= ?1 OR o.last_error IS NULL OR o.not_before > ?3)
       AND ",
    not_held!(),
    "
       AND o.chat_id NOT IN (SELECT value FROM json_each(?4))
     ORDER BY o.priority, o.id LIMIT ?2"
);

/// The longest a retry waits (the longest backoff, 5 minutes, and the
/// longest pause in an outage, a minute, with room): a retry due later
/// than this from now was put off before the clock was set back, and is
/// due now instead of holding its chat for as long as the clock went back.
fn retry_horizon(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::minutes(10)
}

/// Queued rows that may be sent now: what a person waits for first, then
/// digests, then reminders; oldest first within each. A row never tried
/// is due whatever its `not_before` says (the time it was queued): after
/// the clock was set back, what was queued "later" still goes out now;
/// only a retry waits for its time (unless that is further off than any
/// retry waits: the clock was set back), and the later rows of its chat
/// wait until it is sent or given up, whatever their priority (a chat gets
/// its messages in the order they were queued).
/// The index `outbox_due (status, priority, id)` gives the order: no sort,
/// however many rows are queued. The chats in `waiting` (sent to a moment
/// ago, to be sent to again only after Telegram's gap per chat) are left
/// out: one chat with a long queue does not fill every batch and keep the
/// others waiting behind it.
pub async fn due(
    pool: &Pool,
    now: DateTime<Utc>,
    limit: i64,
    waiting: &[i64],
) -> sqlx::Result<Vec<Row>> {
    let waiting = serde_json::to_string(waiting).unwrap_or_else(|_| "[]".into());
    sqlx::query_as(DUE_QUERY)
        .bind(now)
        .bind(limit)
        .bind(retry_horizon(now))
        .bind(waiting)
        .fetch_all(pool)
        .await
}

/// When the next queued row becomes due, if any (a row never tried is due
/// `now`, see [`due`]; a row held by a retry of its chat is left out: the
/// retry's own time counts).
pub async fn next_due(pool: &Pool, now: DateTime<Utc>) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(concat!(
        "SELECT MIN(CASE WHEN (o.last_error IS NULL OR o.not_before > ?2) AND o.not_before > ?1
                         THEN ?1 ELSE o.not_before END)
         FROM outbox o
         WHERE o.status = 'queued' AND ",
        not_held!()
    ))
    .bind(now)
    .bind(retry_horizon(now))
    .fetch_one(pool)
    .await
}

/// Marks the row sent (arguments: when, the message id, the row's id and
/// chat). Only the row the sender read: one deleted while the sender held
/// it (a member erased, a card no longer theirs to decide) may have lent
/// its id to a newer row, which must not pass for sent.
const MARK_SENT: &str =
    "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1
     WHERE id = ? AND chat_id = ? AND status = 'queued'";

pub async fn mark_sent(
    pool: &Pool,
    id: i64,
    chat_id: i64,
    message_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    // One statement, tried again while the database is busy: a row left
    // queued after Telegram took it would be sent again. Not in a script:
    // its count of changed rows takes in BEGIN's, which SQLite reports as
    // the connection's last change, so a row deleted meanwhile (withdrawn
    // while on its way) passed for marked, and was never taken back.
    let marked = super::tx::retrying(|| {
        sqlx::query(MARK_SENT)
            .bind(now)
            .bind(message_id)
            .bind(id)
            .bind(chat_id)
            .execute(pool)
    })
    .await?;
    Ok(marked.rows_affected() == 1)
}

/// The payload of row `id` to `chat_id` while it is still queued, as it
/// reads now (`Some(None)`: unreadable); `None` once it is no longer
/// queued (deleted by whoever withdrew it).
pub async fn queued_payload(
    pool: &Pool,
    id: i64,
    chat_id: i64,
) -> sqlx::Result<Option<Option<Payload>>> {
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE id = ? AND chat_id = ? AND status = 'queued'",
    )
    .bind(id)
    .bind(chat_id)
    .fetch_optional(pool)
    .await?;
    Ok(stored.map(|json| serde_json::from_str(&json).ok()))
}

/// What became of a card's row while it was on its way.
#[derive(Debug, Clone, PartialEq)]
pub enum CardSent {
    /// Sent as it was queued: it stands (or its decision edits it).
    Recorded,
    /// Its item was decided (or withdrawn) meanwhile: the text of the row
    /// as settled then ([`settle_queued_cards`]: no card left in its
    /// payload), for the sender to edit the message into.
    Settled(String),
    /// The row was deleted meanwhile (withdrawn with a member's erasure, or
    /// no longer its reader's to decide): whether its item is gone, and the
    /// language its reader reads.
    Withdrawn {
        item_gone: bool,
        lang: crate::domain::Lang,
    },
}

/// Marks a row sent and records the message as a card of its item, in one
/// transaction: nobody (a restart, a press) sees the row sent without its
/// card.
///
/// The item may have been decided (or withdrawn) while the card was on its
/// way, its decision (or the erasure) looking for the cards to edit before
/// this one was recorded: what to do with it is returned ([`CardSent`]).
pub async fn mark_sent_card(
    pool: &Pool,
    row: &Row,
    message_id: i64,
    card: Card,
    now: DateTime<Utc>,
) -> sqlx::Result<CardSent> {
    let statements = format!("{MARK_SENT}; {}", super::decision_messages::ADD);
    super::tx::script(pool, &statements, |q| {
        q.bind(now)
            .bind(message_id)
            .bind(row.id)
            .bind(row.chat_id)
            .bind(card.subject.as_str())
            .bind(card.id)
            .bind(row.chat_id)
            .bind(message_id)
    })
    .await?;
    // Sent now: nobody rewrites the row any more.
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE id = ? AND chat_id = ? AND status = 'sent'
           AND message_id = ?",
    )
    .bind(row.id)
    .bind(row.chat_id)
    .bind(message_id)
    .fetch_optional(pool)
    .await?;
    let Some(stored) = stored else {
        let (item_gone, language): (bool, Option<String>) = sqlx::query_as(
            "SELECT NOT EXISTS (SELECT 1 FROM memberships WHERE ?1 = 'membership' AND id = ?2
                                UNION ALL SELECT 1 FROM reports WHERE ?1 = 'report' AND id = ?2
                                UNION ALL SELECT 1 FROM comment_requests
                                          WHERE ?1 = 'request' AND id = ?2),
                    (SELECT language FROM users WHERE id = ?3)",
        )
        .bind(card.subject.as_str())
        .bind(card.id)
        .bind(row.chat_id)
        .fetch_one(pool)
        .await?;
        let lang = crate::domain::Lang::stored(language.as_deref());
        return Ok(CardSent::Withdrawn { item_gone, lang });
    };
    Ok(match serde_json::from_str::<Payload>(&stored) {
        Ok(payload) if payload.card.is_none() => CardSent::Settled(payload.text),
        _ => CardSent::Recorded,
    })
}

/// A card that went out with its buttons while its item was decided, whose
/// edit into `text` (without buttons) Telegram could not take at once (a
/// 429, a 5xx, no connection): the edit is queued, as any message, and
/// the card recorded settled, in one transaction; the sender sends it
/// after the wait (a chat's messages in order).
pub async fn queue_settling(
    pool: &Pool,
    card: Card,
    (chat_id, message_id): (i64, i64),
    text: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let mut tx = super::tx::begin(pool).await?;
    let edit = Notice {
        chat_id,
        payload: Payload {
            text: text.to_string(),
            edit: Some(message_id),
            ..Payload::default()
        },
    };
    enqueue_notices(&mut tx, std::slice::from_ref(&edit), now).await?;
    let shown = (chat_id, message_id);
    super::decision_messages::mark_settled(&mut *tx, card.subject, card.id, shown, now).await?;
    tx.commit().await
}

/// Whether row `id`, just sent and no longer queued when it was to be
/// marked ([`mark_sent`] said no, or [`CardSent::Withdrawn`]), was deleted
/// while the sender held it:
/// withdrawn (a card of a report or join erased by `/forgetme`, a card no
/// longer its reader's to decide), so what went out is to be taken back.
/// The card it showed, recorded with the row's mark, is forgotten.
pub async fn withdrawn_while_sent(
    pool: &Pool,
    id: i64,
    (chat_id, message_id): (i64, i64),
) -> sqlx::Result<bool> {
    let kept: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE id = ?)")
        .bind(id)
        .fetch_one(pool)
        .await?;
    if kept {
        return Ok(false);
    }
    super::tx::script(
        pool,
        "DELETE FROM decision_messages WHERE chat_id = ? AND message_id = ?",
        |q| q.bind(chat_id).bind(message_id),
    )
    .await?;
    Ok(true)
}

/// Deletes, among `ids` (a batch the sender read), the monthly reminders
/// and digests no longer needed: the next month's round fell due by `now`
/// (queued before an outage, or a bot stopped for weeks: not sent beside
/// it under a past month's name), or, for a reminder, the member reported
/// activity in person in the round's month since it was queued, or is no
/// longer an approved member who is not exempt; for a digest, its reader
/// is no longer on any cell's committee (a secretary's or deputy's) or a
/// workplace's officer (the officers' digest): it names members they may
/// no longer see. Who gets a reminder is
/// decided when the round is queued; a large round drains for minutes or
/// hours. Returns the rows deleted (not to be sent). Only the sender
/// deletes the rows it holds: a row deleted by another would be sent all
/// the same, and its id might be another row's by the time it is marked.
pub async fn drop_needless_rounds(
    pool: &Pool,
    ids: &[i64],
    now: DateTime<Utc>,
) -> sqlx::Result<std::collections::HashSet<i64>> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    // One statement: it needs no transaction of its own.
    let dropped: Vec<i64> = sqlx::query_scalar(
        "DELETE FROM outbox AS o
         WHERE o.id IN (SELECT value FROM json_each(?1)) AND o.status = 'queued'
           AND EXISTS (
               SELECT 1 FROM broadcasts b
               WHERE b.id = o.broadcast_id AND b.kind IN ('reminder', 'digest')
                 AND (b.expires_at <= ?2
                      OR b.kind = 'reminder'
                         AND (EXISTS (SELECT 1 FROM member_months t
                                      WHERE t.user_id = o.chat_id AND t.month = b.period
                                        AND t.contact_reports > 0)
                              OR NOT EXISTS (SELECT 1 FROM memberships m
                                             WHERE m.user_id = o.chat_id
                                               AND m.status = 'approved'
                                               AND m.exempt_reason IS NULL))
                      OR b.kind = 'digest'
                         AND NOT EXISTS (SELECT 1 FROM cell_secretaries s
                                         WHERE s.user_id = o.chat_id
                                           AND b.period NOT LIKE '%:officers'
                                         UNION ALL
                                         SELECT 1 FROM cell_deputies d
                                         WHERE d.user_id = o.chat_id
                                           AND b.period NOT LIKE '%:officers'
                                         UNION ALL
                                         SELECT 1 FROM workplace_officers w
                                         WHERE w.user_id = o.chat_id
                                           AND b.period LIKE '%:officers')))
         RETURNING id",
    )
    .bind(ids)
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(dropped.into_iter().collect())
}

/// What became of a row for a user found unreachable when its batch was
/// read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StillUnreachable {
    /// They still are: the row is marked so without a try.
    Yes,
    /// They wrote since: the row is sent as any other.
    No,
    /// The row is no longer queued (deleted meanwhile): nothing to do.
    Gone,
}

/// What became of row `id` for a user found unreachable before, once
/// given up as [`GiveUp::StillUnreachable`] (`given`) or not.
pub async fn after_skip(pool: &Pool, id: i64, given: bool) -> sqlx::Result<StillUnreachable> {
    if given {
        return Ok(StillUnreachable::Yes);
    }
    let queued: Option<bool> =
        sqlx::query_scalar("SELECT status = 'queued' FROM outbox WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(match queued {
        Some(true) => StillUnreachable::No,
        _ => StillUnreachable::Gone,
    })
}

/// A failure worth retrying later (429, 5xx, network).
pub async fn retry_later(
    pool: &Pool,
    id: i64,
    count_attempt: bool,
    error: &str,
    not_before: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + ?, last_error = ?, not_before = ? WHERE id = ?",
    )
    .bind(i64::from(count_attempt))
    .bind(error)
    .bind(not_before)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    /// A row for a user unreachable when the batch was read: skipped while
    /// they still are, sent once they wrote, left alone once deleted; the
    /// user's own flag is never set again by it.
    #[tokio::test]
    async fn a_known_unreachable_row_follows_the_user_as_they_are_now() {
        use super::StillUnreachable;
        let (_dir, pool) = crate::store::scratch().await;
        let now = chrono::Utc::now();
        sqlx::query(
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at, unreachable_since)
             VALUES (1, 'a', ?1, ?1, ?1), (2, 'b', ?1, ?1, NULL)",
        )
        .bind(now)
        .execute(&pool)
        .await
        .unwrap();
        for (id, chat) in [(10, 1), (11, 2), (12, 1)] {
            sqlx::query(
                "INSERT INTO outbox (id, chat_id, payload, status, not_before)
                 VALUES (?, ?, '{}', 'queued', ?)",
            )
            .bind(id)
            .bind(chat)
            .bind(now)
            .execute(&pool)
            .await
            .unwrap();
        }
        sqlx::query("DELETE FROM outbox WHERE id = 12")
            .execute(&pool)
            .await
            .unwrap();
        let db = &pool;
        let skip = |id, chat| async move {
            let how = super::GiveUp::StillUnreachable;
            let given = super::give_up(db, (id, chat), how, None, None, now).await?;
            super::after_skip(db, id, given).await
        };
        assert_eq!(skip(10, 1).await.unwrap(), StillUnreachable::Yes);
        assert_eq!(skip(11, 2).await.unwrap(), StillUnreachable::No);
        assert_eq!(skip(12, 1).await.unwrap(), StillUnreachable::Gone);
        let flagged: Option<i64> =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE unreachable_since IS NOT NULL")
                .fetch_optional(&pool)
                .await
                .unwrap();
        assert_eq!(flagged, Some(1));
        let status: String = sqlx::query_scalar("SELECT status FROM outbox WHERE id = 11")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(status, "queued");
    }

    /// A queued row deleted while the sender holds it (a card withdrawn
    /// with its report) was the newest: the next row queued takes a new id,
    /// so the sender's mark of the row it held leaves the new one queued.
    /// SQLite gave the new row the deleted one's id before (migration 73).
    #[tokio::test]
    async fn a_row_deleted_while_held_never_lends_its_id_to_the_next() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = chrono::Utc::now();
        let notice = |text: &str| super::Notice {
            chat_id: 7,
            payload: super::Payload {
                text: text.to_string(),
                ..super::Payload::default()
            },
        };
        let newest = |pool| async move {
            sqlx::query_scalar::<_, i64>("SELECT MAX(id) FROM outbox")
                .fetch_one(pool)
                .await
                .unwrap()
        };
        let mut tx = crate::store::tx::begin(&pool).await.unwrap();
        super::enqueue_notices(&mut tx, &[notice("card")], now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let held = newest(&pool).await;
        sqlx::query("DELETE FROM outbox WHERE id = ?")
            .bind(held)
            .execute(&pool)
            .await
            .unwrap();
        let mut tx = crate::store::tx::begin(&pool).await.unwrap();
        super::enqueue_notices(&mut tx, &[notice("another card")], now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let next = newest(&pool).await;
        assert!(next > held, "a fresh id, not {held} again");
        // The sender marks the row it held (sent before it was deleted).
        super::mark_sent(&pool, held, 7, 1, now).await.unwrap();
        let status: String = sqlx::query_scalar("SELECT status FROM outbox WHERE id = ?")
            .bind(next)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(status, "queued");
    }

    #[tokio::test]
    async fn the_due_batch_is_read_in_index_order_without_sorting() {
        let (_dir, pool) = crate::store::scratch().await;
        // Statistics as with a long queue, so the planner is not misled by
        // an empty table.
        sqlx::query("ANALYZE").execute(&pool).await.unwrap();
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            super::DUE_QUERY
        )))
        .bind(chrono::Utc::now())
        .bind(100)
        .bind(chrono::Utc::now())
        .bind("[1, 2]")
        .fetch_all(&pool)
        .await
        .unwrap();
        let plan: Vec<String> = plan.into_iter().map(|(_, _, _, d)| d).collect();
        assert!(
            plan.iter()
                .any(|d| d.starts_with("SEARCH o USING INDEX outbox_due (status=?)")),
            "{plan:#?}"
        );
        assert!(
            !plan.iter().any(|d| d.contains("TEMP B-TREE")),
            "no sort: {plan:#?}"
        );
        // A retry waiting in the chat is looked up by its index.
        assert!(
            plan.iter()
                .any(|d| d.contains("USING COVERING INDEX outbox_retrying")
                    || d.contains("USING INDEX outbox_retrying")),
            "{plan:#?}"
        );
    }

    /// A row waiting to be tried again holds the later rows of its chat,
    /// not those of others; once its time has come, it goes first (the rows
    /// behind it in the next batch). The sender's next wake-up is the
    /// retry's time, not the held rows'; a retry put off before the clock
    /// was set back is due at once.
    #[tokio::test]
    async fn a_retry_holds_the_later_rows_of_its_chat() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = chrono::Utc::now();
        for chat in [7, 7, 8] {
            sqlx::query(
                "INSERT INTO outbox (chat_id, payload, status, not_before, priority)
                 VALUES (?, '{}', 'queued', ?, 0)",
            )
            .bind(chat)
            .bind(now)
            .execute(&pool)
            .await
            .unwrap();
        }
        super::retry_later(
            &pool,
            1,
            true,
            "502 Bad Gateway",
            now + chrono::Duration::seconds(2),
        )
        .await
        .unwrap();
        let ids = |rows: Vec<super::Row>| rows.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(super::due(&pool, now, 10, &[]).await.unwrap()), [3]);
        // Chat 8 sent to a moment ago: left out.
        assert!(super::due(&pool, now, 10, &[8]).await.unwrap().is_empty());
        let later = now + chrono::Duration::seconds(3);
        assert_eq!(
            ids(super::due(&pool, later, 10, &[]).await.unwrap()),
            [1, 3]
        );

        assert_eq!(super::next_due(&pool, now).await.unwrap(), Some(now));
        super::mark_sent(&pool, 3, 8, 1, now).await.unwrap();
        let retry = now + chrono::Duration::seconds(2);
        assert_eq!(super::next_due(&pool, now).await.unwrap(), Some(retry));

        // Put off a minute before the clock went back a day.
        let back = now - chrono::Duration::days(1);
        assert_eq!(ids(super::due(&pool, back, 10, &[]).await.unwrap()), [1]);
        assert_eq!(super::next_due(&pool, back).await.unwrap(), Some(back));
        super::mark_sent(&pool, 1, 7, 2, back).await.unwrap();
        assert_eq!(ids(super::due(&pool, back, 10, &[]).await.unwrap()), [2]);
    }

    /// A reminder that says "tomorrow", still waiting on the meeting's day,
    /// says "today" in the language its reader has then, not only in the
    /// one it was queued in.
    #[test]
    fn the_text_for_the_day_is_in_the_readers_language_now() {
        use super::{Holds, InLang, Payload};
        let midnight = chrono::Utc::now();
        let payload = Payload {
            text: "ngày mai".into(),
            on_the_day: Some("hôm nay".into()),
            in_langs: vec![InLang {
                lang: "en".into(),
                text: "tomorrow".into(),
                on_the_day: Some("today".into()),
                ..InLang::default()
            }],
            holds: Some(Holds {
                until: Some(midnight),
                ..Holds::default()
            }),
            ..Payload::default()
        };
        let before = midnight - chrono::Duration::minutes(1);
        let sent = |now, lang| payload.clone().as_of(now).for_reader(Some(lang)).text;
        assert_eq!(sent(before, "vi"), "ngày mai");
        assert_eq!(sent(before, "en"), "tomorrow");
        assert_eq!(sent(midnight, "vi"), "hôm nay");
        assert_eq!(sent(midnight, "en"), "today");
    }
}
