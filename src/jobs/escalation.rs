//! Items left pending: after [`DEPUTY_AFTER_DAYS`] a join request or report
//! is also offered to the cell's deputy secretary (the same card, recorded
//! with the others so that it is settled when decided); after
//! [`SUPERVISORS_AFTER_DAYS`] the ward's supervisors are told which cells
//! have items waiting, with counts. Decided from the database and the clock
//! at every look of the scheduler; each step is taken once per item
//! (`escalations`), across restarts.
//!
//! The secretary's own reminder of reports pending over a week is the daily
//! stale note (`reminders::queue_stale_notes`), at the same threshold.

use std::collections::BTreeMap;

use chrono::Duration;

use crate::{
    app::App,
    domain::{
        Lang,
        permissions::{Committee, first_decider},
        schedule::STALE_AFTER_DAYS,
    },
    store::{
        cells, committee,
        decision_messages::Subject,
        escalations::{self, Step},
        memberships::{self, Membership},
        outbox::{self, Notice, Part, Payload, Recipient},
        reports::{self, Report},
        requests::{self, CardFacts, Request},
    },
    t,
    telegram::send::units,
};

/// The deputy is offered an item pending this long (the stale threshold).
pub const DEPUTY_AFTER_DAYS: i64 = STALE_AFTER_DAYS;
/// The ward's supervisors are told of items pending this long.
pub const SUPERVISORS_AFTER_DAYS: i64 = 14;

/// How the bot shows a decision card (the card's text and buttons belong
/// to the chat layer, which hands them in).
#[derive(Debug, Clone, Copy)]
pub struct Cards {
    pub join: fn(&Membership, Recipient) -> Vec<Notice>,
    pub report: fn(&Report, &[String], Recipient) -> Vec<Notice>,
    pub request: fn(&Request, &CardFacts, Recipient) -> Vec<Notice>,
}

impl Cards {
    /// The card of waiting item `id` for `to`, read in the caller's
    /// transaction: none for an item gone (or a request no longer open).
    pub async fn of_item(
        &self,
        conn: &mut sqlx::SqliteConnection,
        subject: Subject,
        id: i64,
        to: Recipient,
    ) -> sqlx::Result<Vec<Notice>> {
        Ok(match subject {
            Subject::Membership => match memberships::get(&mut *conn, id).await? {
                Some(m) => (self.join)(&m, to),
                None => Vec::new(),
            },
            Subject::Report => match reports::get(&mut *conn, id).await? {
                Some(mut r) => {
                    let photos = reports::photos(&mut *conn, id).await?;
                    // The same card as the first: with its photos seen
                    // before in the cell.
                    if r.photo_count > 0 {
                        r.duplicates = reports::duplicates(&mut *conn, id).await?;
                    }
                    (self.report)(&r, &photos, to)
                }
                None => Vec::new(),
            },
            Subject::Request => requests::card_of(conn, id, to, self.request).await?,
        })
    }
}

/// What one run queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Escalated {
    /// Items offered to a deputy.
    pub offered: usize,
    /// Supervisors told.
    pub supervisors: usize,
}

/// Takes the steps that have fallen due. Without `cards` only the
/// supervisors are told.
pub async fn run(app: &App, cards: Option<&Cards>) -> anyhow::Result<Escalated> {
    let mut done = Escalated::default();
    if let Some(cards) = cards {
        done.offered = offer_to_deputies(app, cards).await?;
    }
    done.supervisors = tell_supervisors(app).await?;
    if done.offered + done.supervisors > 0 {
        app.wake_sender();
    }
    Ok(done)
}

/// Whether the deputy should be offered an item of `owner`: there is one,
/// it is not their own item, and the card did not go to them first.
fn deputy_to_offer(committee: Committee, owner: i64) -> Option<i64> {
    let deputy = committee.deputy?;
    (deputy != owner && first_decider(committee, owner) != Some(deputy)).then_some(deputy)
}

/// Cards offered to one deputy at one look, at most (as /pending sends ten
/// of each kind): what else has waited as long (a week's backlog of a big
/// cell) is counted in one note pointing to /pending, not a card each.
pub const OFFERED_CARDS: usize = 10;

/// The deputy to offer `item` to, its step taken in the caller's
/// transaction; `None` when it was decided meanwhile, its step was taken,
/// or there is nobody (else) to offer it to.
async fn deputy_for(
    tx: &mut sqlx::SqliteConnection,
    item: &escalations::Due,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Option<i64>> {
    // Decided since it was listed (the secretary pressed meanwhile):
    // nothing to offer.
    if !escalations::take(&mut *tx, item.subject(), item.id, Step::Deputy, now).await?
        || !escalations::still_pending(&mut *tx, item.subject(), item.id).await?
    {
        return Ok(None);
    }
    let cell_committee = committee::of_cell(&mut *tx, item.cell_id).await?;
    let card = outbox::Card {
        subject: item.subject(),
        id: item.id,
    };
    Ok(match deputy_to_offer(cell_committee, item.owner) {
        // A deputy who has its card already (carded to them when the
        // committee changed) is not sent a second one.
        Some(deputy) if !outbox::has_card(&mut *tx, card, deputy).await? => Some(deputy),
        _ => None,
    })
}

/// Items of cells without a deputy (whose steps are only taken, nothing
/// offered) per transaction.
const STEPS_PER_TRANSACTION: usize = 200;

/// Offers the items due to the deputies: each deputy's in one transaction
/// (the oldest [`OFFERED_CARDS`] as cards, the rest counted in one note per
/// cell, every step taken with them), so that a kill between them never
/// leaves a deputy with the cards and without the note, and the next look
/// never offers ten more cards in its place (what was offered is decided by
/// what the database holds: all of a deputy's, or none).
async fn offer_to_deputies(app: &App, cards: &Cards) -> anyhow::Result<usize> {
    let now = app.now();
    let due = escalations::due(
        &app.pool,
        Step::Deputy,
        now - Duration::days(DEPUTY_AFTER_DAYS),
    )
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    // The items by the deputy they would go to now, oldest first within
    // each (read again, with the step, in each transaction below).
    let mut by_deputy: BTreeMap<i64, Vec<escalations::Due>> = BTreeMap::new();
    let mut nobody = Vec::new();
    {
        let mut conn = app.pool.acquire().await?;
        for item in due {
            let cell_committee = committee::of_cell(&mut conn, item.cell_id).await?;
            match deputy_to_offer(cell_committee, item.owner) {
                Some(deputy) => by_deputy.entry(deputy).or_default().push(item),
                None => nobody.push(item),
            }
        }
    }
    let mut offered = 0;
    let groups = by_deputy
        .into_values()
        .chain(nobody.chunks(STEPS_PER_TRANSACTION).map(<[_]>::to_vec));
    for items in groups {
        let mut tx = crate::store::tx::begin(&app.pool).await?;
        offered += offer_in(&mut tx, cards, &items, now).await?;
        tx.commit().await?;
    }
    if offered > 0 {
        tracing::info!(offered, "items pending too long offered to deputies");
    }
    Ok(offered)
}

/// Takes the deputy step of `items` in the caller's transaction: the first
/// [`OFFERED_CARDS`] of each deputy carded to them, the rest counted in one
/// note per deputy and cell. Returns how many were offered.
async fn offer_in(
    tx: &mut sqlx::SqliteConnection,
    cards: &Cards,
    items: &[escalations::Due],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<usize> {
    let mut offered = 0;
    let mut carded: BTreeMap<i64, usize> = BTreeMap::new();
    // (deputy, cell) → the items beyond the cards: how many, the reports
    // and the join requests among them.
    type Rest = (usize, Vec<i64>, Vec<i64>);
    let mut rest: BTreeMap<(i64, i64), Rest> = BTreeMap::new();
    for item in items {
        let Some(deputy) = deputy_for(&mut *tx, item, now).await? else {
            continue;
        };
        let count = carded.entry(deputy).or_default();
        if *count >= OFFERED_CARDS {
            // Counted in the note below.
            let (count, reports, joins) = rest.entry((deputy, item.cell_id)).or_default();
            *count += 1;
            match item.subject() {
                Subject::Report => reports.push(item.id),
                Subject::Membership => joins.push(item.id),
                Subject::Request => {}
            }
            continue;
        }
        *count += 1;
        let card = outbox::Card {
            subject: item.subject(),
            id: item.id,
        };
        let to = Recipient::load(&mut *tx, deputy).await?;
        // Requests are not escalated (`escalations::Due::subject`).
        let mut notices = cards.of_item(&mut *tx, card.subject, card.id, to).await?;
        let note = t!(to.lang, "escalation-offered", days = DEPUTY_AFTER_DAYS);
        for notice in notices.iter_mut().filter(|n| n.payload.card.is_some()) {
            notice.payload.text = format!("{note}\n\n{}", notice.payload.text);
        }
        outbox::enqueue_notices(&mut *tx, &notices, now).await?;
        offered += 1;
    }
    let mut notices = Vec::new();
    for ((deputy, cell), (count, reports, joins)) in rest {
        let to = Recipient::load(&mut *tx, deputy).await?;
        let cell = cells::get(&mut *tx, cell)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        notices.push(Notice {
            chat_id: deputy,
            payload: Payload {
                text: t!(
                    to.lang,
                    "escalation-offered-more",
                    count = count,
                    days = DEPUTY_AFTER_DAYS,
                    cell = cell.name.as_str()
                ),
                // Not sent once none of its items waits for the reader.
                waiting: reports,
                waiting_joins: joins,
                ..Payload::default()
            },
        });
        offered += count;
    }
    outbox::enqueue_notices(&mut *tx, &notices, now).await?;
    Ok(offered)
}

/// Joins and reports waiting, per cell (their ids).
#[derive(Debug, Default, Clone)]
struct Waiting {
    joins: Vec<i64>,
    reports: Vec<i64>,
}

/// A ward's cells in a supervisors' note: each cell's items and line.
type WardLines<'a> = (i64, Vec<(&'a Waiting, String)>);

/// The longest supervisors' note, in UTF-16 units as Telegram counts them.
const MAX_NOTE_UNITS: usize = crate::telegram::send::MAX_MESSAGE_CHARS;

/// A supervisors' note: the heading and the cells' lines; of several wards,
/// a part each (taken out if the supervisor loses that ward while the note
/// waits). Returns its text and parts.
fn supervisors_note(head: &str, wards: &[WardLines]) -> (String, Vec<Part>) {
    let lines = |lines: &[(&Waiting, String)]| {
        lines
            .iter()
            .map(|(_, line)| line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    match wards {
        [(_, only)] => (format!("{head}\n{}", lines(only)), Vec::new()),
        _ => {
            let parts: Vec<Part> = wards
                .iter()
                .map(|(ward, of)| Part {
                    cell: None,
                    workplace: None,
                    ward: Some(*ward),
                    text: lines(of),
                    pending: false,
                })
                .collect();
            let texts: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
            (format!("{head}\n\n{}", texts.join("\n\n")), parts)
        }
    }
}

async fn tell_supervisors(app: &App) -> anyhow::Result<usize> {
    let now = app.now();
    let due = escalations::due(
        &app.pool,
        Step::Supervisors,
        now - Duration::days(SUPERVISORS_AFTER_DAYS),
    )
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let mut tx = crate::store::tx::begin(&app.pool).await?;
    // Supervisor → cell → what waits there (cells by id): the note is not
    // sent once none of its items waits any more (decided while it was
    // queued).
    let mut told: BTreeMap<i64, BTreeMap<i64, Waiting>> = BTreeMap::new();
    for item in &due {
        if !escalations::take(&mut tx, item.subject(), item.id, Step::Supervisors, now).await?
            || !escalations::still_pending(&mut tx, item.subject(), item.id).await?
        {
            continue;
        }
        // Not told of their own item (their join request or report in a
        // cell of the ward they supervise).
        let supervisors = committee::ward_supervisors(&mut tx, item.cell_id).await?;
        for supervisor in supervisors.into_iter().filter(|&s| s != item.owner) {
            let waiting = told
                .entry(supervisor)
                .or_default()
                .entry(item.cell_id)
                .or_default();
            match item.subject() {
                Subject::Membership => waiting.joins.push(item.id),
                Subject::Report => waiting.reports.push(item.id),
                Subject::Request => {}
            }
        }
    }
    let mut notices = Vec::new();
    for (supervisor, cells) in &told {
        let to = Recipient::load(&mut tx, *supervisor).await?;
        let head = t!(
            to.lang,
            "escalation-supervisors",
            days = SUPERVISORS_AFTER_DAYS
        );
        // The cells' lines by ward.
        let mut by_ward: Vec<WardLines> = Vec::new();
        for (cell, waiting) in cells {
            let (line, ward) = cell_line(&mut tx, to.lang, *cell, waiting).await?;
            match by_ward.iter_mut().find(|(w, _)| *w == ward) {
                Some((_, lines)) => lines.push((waiting, line)),
                None => by_ward.push((ward, vec![(waiting, line)])),
            }
        }
        // A ward of many cells (items piled up while the bot was stopped)
        // does not fit one message: as many notes as it takes, each of
        // whole lines under the heading, every cell in one of them.
        let mut notes: Vec<Vec<WardLines>> = vec![Vec::new()];
        for (ward, lines) in by_ward {
            for line in lines {
                let note = notes.last_mut().expect("a note");
                let mut tried = note.clone();
                match tried.last_mut() {
                    Some((w, lines)) if *w == ward => lines.push(line.clone()),
                    _ => tried.push((ward, vec![line.clone()])),
                }
                if note.is_empty() || units(&supervisors_note(&head, &tried).0) <= MAX_NOTE_UNITS {
                    *note = tried;
                } else {
                    notes.push(vec![(ward, vec![line])]);
                }
            }
        }
        for note in &notes {
            let (text, parts) = supervisors_note(&head, note);
            let waiting = || {
                note.iter()
                    .flat_map(|(_, lines)| lines.iter().map(|(w, _)| *w))
            };
            notices.push(Notice {
                chat_id: *supervisor,
                payload: Payload {
                    text: crate::telegram::send::clip(&text),
                    // Not sent to one no longer the ward's supervisor, nor
                    // once every item it counts was decided.
                    supervisor_of: note.iter().map(|(ward, _)| *ward).collect(),
                    waiting: waiting().flat_map(|w| w.reports.iter().copied()).collect(),
                    waiting_joins: waiting().flat_map(|w| w.joins.iter().copied()).collect(),
                    parts,
                    ..Payload::default()
                },
            });
        }
    }
    outbox::enqueue_notices(&mut tx, &notices, now).await?;
    tx.commit().await?;
    if !notices.is_empty() {
        tracing::info!(
            supervisors = told.len(),
            notes = notices.len(),
            "supervisors told of items pending too long"
        );
    }
    Ok(told.len())
}

/// The line of a cell in the supervisors' note, and the cell's ward.
async fn cell_line(
    conn: &mut sqlx::SqliteConnection,
    lang: Lang,
    cell_id: i64,
    waiting: &Waiting,
) -> sqlx::Result<(String, i64)> {
    let cell = cells::get(conn, cell_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let line = t!(
        lang,
        "escalation-supervisors-cell",
        cell = cell.name.as_str(),
        joins = waiting.joins.len(),
        reports = waiting.reports.len()
    );
    Ok((line, cell.ward_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supervisors_line_counts_in_both_languages() {
        let line = |lang, joins: usize, reports: usize| {
            t!(
                lang,
                "escalation-supervisors-cell",
                cell = "Chi bộ khối 5",
                joins = joins,
                reports = reports
            )
        };
        assert_eq!(
            line(Lang::En, 1, 2),
            "• Chi bộ khối 5: 1 join request, 2 reports"
        );
        assert_eq!(
            line(Lang::En, 0, 1),
            "• Chi bộ khối 5: 0 join requests, 1 report"
        );
        assert_eq!(
            line(Lang::Vi, 0, 1),
            "• Chi bộ khối 5: 0 yêu cầu tham gia, 1 báo cáo"
        );
    }

    #[test]
    fn the_deputy_is_offered_what_did_not_go_to_them_first() {
        let full = Committee {
            secretary: Some(1),
            deputy: Some(2),
        };
        assert_eq!(deputy_to_offer(full, 3), Some(2));
        // The secretary's own item went to the deputy already.
        assert_eq!(deputy_to_offer(full, 1), None);
        // Nobody is offered their own item.
        assert_eq!(deputy_to_offer(full, 2), None);
        let no_deputy = Committee {
            secretary: Some(1),
            deputy: None,
        };
        assert_eq!(deputy_to_offer(no_deputy, 3), None);
    }
}
