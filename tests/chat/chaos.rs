//! Chaos: one cell, its secretary and deputy and two dozen members (half
//! Vietnamese, half English) acting at once for a few rounds, driven by a
//! seeded pseudo-random choice: members join with the link (and withdraw a
//! request still waiting, from another cell's link), report (with
//! text and a photo), switch language, answer a meeting, edit and resubmit a
//! rejected report; the secretary and the deputy decide the same items at
//! once; updates are sent twice; the bot is killed at a random point of a
//! round and started again; the clock crosses a month end and New Year.
//! After every step and every round the invariants are checked against the
//! fake Bot API and the database.
//!
//! A failing run prints its seed; `CHAOS_SEED=N cargo test --test chat --
//! chaos::` replays it (`CHAOS_SEEDS=N` runs N seeds from the given one).

use std::collections::{HashMap, VecDeque};

use lienhe::{
    domain::Lang,
    store::audit::{self, ChainCheck},
};

use crate::common::*;

pub(crate) const SECRETARY: i64 = 100;
pub(crate) const DEPUTY: i64 = 200;
const FIRST: i64 = 1000;
const MEMBERS: i64 = 24;

/// splitmix64: small, seeded, the same on every machine.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One update a person sends.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Text(String),
    /// Presses the button whose data is this (or this followed by `:…`) on
    /// the latest message that has one.
    Press(String),
    Photo(String),
}

pub(crate) struct Person {
    pub(crate) user: TgUser,
    /// The language the bot speaks to them.
    pub(crate) lang: Lang,
    pub(crate) ops: VecDeque<Op>,
    /// The description of the report being written, once submitted.
    pub(crate) writing: Option<String>,
    /// The round in which they last switched language.
    pub(crate) switched: Option<usize>,
}

pub(crate) fn matches(data: &str, pattern: &str) -> bool {
    data == pattern
        || data
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with(':'))
}

/// Words only one of the two languages uses.
pub(crate) fn speaks(text: &str, lang: Lang) -> bool {
    const VI: [&str; 8] = [
        "đồng chí",
        "Đồng chí",
        "Đề nghị",
        " của ",
        " được ",
        "Báo cáo",
        "báo cáo",
        "Đã ",
    ];
    const EN: [&str; 7] = [
        " the ", "The ", " your ", "Your ", "Please", " was ", " is ",
    ];
    match lang {
        Lang::Vi => !EN.iter().any(|w| text.contains(w)),
        Lang::En => !VI.iter().any(|w| text.contains(w)),
    }
}

pub(crate) fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    }
}

/// A pushed update and what the test expects of it.
pub(crate) struct Pushed {
    id: i64,
    chat: i64,
    /// The callback query's id, for a press.
    query: Option<String>,
    calls_before: usize,
    op: Op,
}

pub(crate) struct World {
    pub(crate) h: Harness,
    pub(crate) rng: Rng,
    pub(crate) seed: u64,
    pub(crate) people: HashMap<i64, Person>,
    pub(crate) code: String,
    /// The secretary of another cell, and its link: a member whose request
    /// waits opens it and is offered to withdraw the request.
    pub(crate) elsewhere: TgUser,
    pub(crate) code_elsewhere: String,
    /// Descriptions of reports the bot said it received (once each).
    pub(crate) submitted: Vec<String>,
    /// Updates handled in the step before (sent again at random).
    pub(crate) last_step: Vec<i64>,
    pub(crate) counter: u64,
    pub(crate) kills: usize,
    pub(crate) redelivered: usize,
    pub(crate) missed: usize,
}

impl World {
    pub(crate) fn log(&self, what: &str) -> String {
        format!("seed {} (CHAOS_SEED={}): {what}", self.seed, self.seed)
    }

    /// The data of the first button matching `pattern` on the latest
    /// message to `chat` that has one.
    pub(crate) fn find(&self, chat: i64, pattern: &str) -> Option<(i64, String)> {
        self.h.api.sent(chat).into_iter().rev().find_map(|s| {
            let id = s.message_id;
            s.buttons()
                .into_iter()
                .map(|(_, d)| d)
                .find(|d| matches(d, pattern))
                .map(|d| (id, d))
        })
    }

    /// Sends one update of `chat`'s; `None` if the button is not there.
    pub(crate) fn push(&mut self, round: usize, chat: i64, op: Op) -> Option<Pushed> {
        let user = self.people[&chat].user.clone();
        let calls_before = self.h.api.chat_call_count(chat);
        let (id, query) = match &op {
            Op::Text(text) => (self.h.api.text(&user, text), None),
            Op::Photo(file) => (self.h.api.photo(&user, file, None, None), None),
            Op::Press(pattern) => {
                let Some((message, data)) = self.find(chat, pattern) else {
                    self.missed += 1;
                    if std::env::var("CHAOS_TRACE").is_ok() {
                        eprintln!("round {round}: {chat} finds no {pattern}");
                    }
                    let person = self.people.get_mut(&chat).unwrap();
                    // The language is not switched after all (the question
                    // was a reply lost at a kill): they read the one they had.
                    let switch = |op: &Op| matches!(op, Op::Press(p) if p.starts_with("l:"));
                    if pattern.starts_with("l:") || person.ops.iter().any(switch) {
                        person.switched = None;
                    }
                    let ops = &mut person.ops;
                    if chat == SECRETARY || chat == DEPUTY {
                        // The item is not listed (decided already): the
                        // officer goes on with the next, without the
                        // reason of a rejection not asked.
                        if matches!(ops.front(), Some(Op::Text(t)) if !t.starts_with('/')) {
                            ops.pop_front();
                        }
                    } else {
                        // The dialogue went elsewhere (a date asked again
                        // after midnight, a link renewed): the rest of
                        // this person's plan is moot.
                        ops.clear();
                    }
                    return None;
                };
                let id = self.h.api.callback(&user, message, &data);
                let query = self.h.api.update(id).unwrap()["callback_query"]["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                (id, Some(query))
            }
        };
        Some(Pushed {
            id,
            chat,
            query,
            calls_before,
            op,
        })
    }

    /// One step: every person with something to do sends their next update
    /// at once; some earlier updates are sent again; maybe the bot is killed
    /// while it handles them. Then the answers are checked.
    pub(crate) async fn step(&mut self, round: usize, kill: bool) {
        let mut pushed = Vec::new();
        let mut ids: Vec<i64> = self.people.keys().copied().collect();
        ids.sort();
        // Shuffled: who pushes first changes with the seed.
        for i in (1..ids.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            ids.swap(i, j);
        }
        // What each chat showed before (a message edited counts as said).
        let mut before: HashMap<i64, HashMap<i64, Option<String>>> = HashMap::new();
        for chat in &ids {
            let shown = self.h.api.sent(*chat).into_iter();
            before.insert(*chat, shown.map(|s| (s.message_id, s.text)).collect());
        }
        for chat in ids {
            // An officer presses Approve on up to three items in a step.
            let mut presses = 0;
            while let Some(op) = self.people.get_mut(&chat).unwrap().ops.pop_front() {
                let officer = chat == SECRETARY || chat == DEPUTY;
                let approve =
                    matches!(&op, Op::Press(p) if p.starts_with("ra:") || p.starts_with("ja:"));
                if let Some(p) = self.push(round, chat, op) {
                    pushed.push(p);
                }
                presses += 1;
                let next_approves = self.people[&chat].ops.front().is_some_and(
                    |op| matches!(op, Op::Press(p) if p.starts_with("ra:") || p.starts_with("ja:")),
                );
                if !(officer && approve && next_approves && presses < 3) {
                    break;
                }
            }
        }
        // Telegram sends some updates twice.
        let earlier = std::mem::take(&mut self.last_step);
        for id in earlier {
            if self.rng.chance(15) {
                self.h.api.redeliver(id);
                self.redelivered += 1;
            }
        }
        // Updates in hand when the bot was killed: their direct reply may be
        // lost (README, "What may be lost"); the person's next update shows
        // them where they are.
        let mut in_hand: Vec<i64> = Vec::new();
        if kill && !pushed.is_empty() {
            // Killed once `handled` of this step's updates are done.
            let handled = self.rng.below(pushed.len() as u64) as usize;
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
            while pushed
                .iter()
                .filter(|p| self.h.api.is_confirmed(p.id))
                .count()
                < handled
            {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "{}",
                    self.log("updates not handled before the kill")
                );
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
            // The sender is held across the kill (it may send a row twice
            // when killed between the send and the mark, as documented).
            self.h.stop_sender().await;
            in_hand = pushed
                .iter()
                .filter(|p| !self.h.api.is_confirmed(p.id))
                .map(|p| p.id)
                .collect();
            self.h.kill_bot().await;
            self.h.start_bot().await;
            self.kills += 1;
        }
        // Each waits its turn for the write lock (a minute at most), then
        // the updates sent twice and the notices they queued.
        for p in &pushed {
            self.h.handled(p.id).await;
        }
        self.h.quiet().await;
        // Every update got an answer.
        let answered: Vec<String> = self
            .h
            .api
            .answered_callbacks()
            .into_iter()
            .filter_map(|c| c.str_param("callback_query_id").map(str::to_owned))
            .collect();
        for p in pushed.iter().filter(|p| !in_hand.contains(&p.id)) {
            match &p.query {
                Some(query) => assert!(
                    answered.contains(query),
                    "{}",
                    self.log(&format!(
                        "round {round}: the press {:?} by {} (update {}) was not answered",
                        p.op, p.chat, p.id
                    ))
                ),
                None => assert!(
                    self.h.api.chat_call_count(p.chat) > p.calls_before,
                    "{}",
                    self.log(&format!(
                        "round {round}: {:?} by {} (update {}) got no answer; the chat: {:#?}",
                        p.op,
                        p.chat,
                        p.id,
                        self.h
                            .api
                            .sent(p.chat)
                            .into_iter()
                            .map(|s| (s.buttons(), s.text))
                            .collect::<Vec<_>>()
                    ))
                ),
            }
        }
        // Each answered in their language, and the reports they sent
        // recorded.
        for (chat, shown) in before {
            let (lang, switched) = (self.people[&chat].lang, self.people[&chat].switched);
            let new: Vec<Sent> = self
                .h
                .api
                .sent(chat)
                .into_iter()
                .filter(|s| shown.get(&s.message_id) != Some(&s.text))
                .collect();
            let settled = switched.is_none_or(|r| r < round);
            for sent in &new {
                let Some(text) = sent.text.as_deref() else {
                    continue;
                };
                if settled {
                    assert!(
                        speaks(text, lang),
                        "{}",
                        self.log(&format!(
                            "round {round}: {chat} reads {lang:?} and got {text:?}"
                        ))
                    );
                }
            }
        }
        // The reports the bot said it received (its summary, edited).
        for (chat, person) in self.people.iter_mut() {
            let Some(description) = person.writing.clone() else {
                continue;
            };
            let received = self.h.api.sent(*chat).into_iter().any(|s| {
                s.text.as_deref().is_some_and(|t| {
                    t.contains(&description)
                        && [Lang::Vi, Lang::En]
                            .into_iter()
                            .any(|l| says(Some(t), l, "report-submitted"))
                })
            });
            if received {
                person.writing = None;
                self.submitted.push(description);
            }
        }
        self.last_step = pushed.iter().map(|p| p.id).collect();
    }

    pub(crate) fn description(&mut self, round: usize, chat: i64) -> String {
        self.counter += 1;
        format!(
            "Dọn vệ sinh khu phố lần {} (v{round} m{chat})",
            self.counter
        )
    }

    /// What each person does this round.
    async fn plan(&mut self, round: usize) {
        let h = &self.h;
        let status: HashMap<i64, String> =
            sqlx::query_as::<_, (i64, String)>("SELECT user_id, status FROM memberships")
                .fetch_all(&h.pool)
                .await
                .unwrap()
                .into_iter()
                .filter(|(_, s)| s == "approved" || s == "pending")
                .collect();
        let rejected: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
            "SELECT user_id, MAX(id) FROM reports r WHERE status = 'rejected'
               AND NOT EXISTS (SELECT 1 FROM reports n WHERE n.previous_id = r.id)
             GROUP BY user_id",
        )
        .fetch_all(&h.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
        let meeting: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM meetings")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let pending_reports: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM reports WHERE status = 'pending' ORDER BY id")
                .fetch_all(&h.pool)
                .await
                .unwrap();
        let pending_joins: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM memberships WHERE status = 'pending' ORDER BY id")
                .fetch_all(&h.pool)
                .await
                .unwrap();

        for chat in FIRST..FIRST + MEMBERS {
            let lang = self.people[&chat].lang;
            let t = |id: &str| text_of(lang, id);
            let roll = self.rng.below(100);
            let mut ops = VecDeque::new();
            let mut writing = None;
            match status.get(&chat).map(String::as_str) {
                None if roll < 70 => {
                    ops.extend([
                        Op::Text(format!("/start {}", self.code)),
                        Op::Text(numbered_name("Nguyễn Văn", chat as u64)),
                        Op::Text(t("button-skip")),
                        Op::Press("w".into()),
                        Op::Press("ym".into()),
                        Op::Press("jc".into()),
                    ]);
                }
                Some("pending") if roll < 40 => {
                    // Withdrawn while the officers may be approving it.
                    ops.extend([
                        Op::Text(format!("/start {}", self.code_elsewhere)),
                        Op::Press("jw".into()),
                    ]);
                }
                Some("approved") if roll < 40 => {
                    let description = self.description(round, chat);
                    ops.extend([
                        Op::Text("/report".into()),
                        Op::Press("k".into()),
                        Op::Press("dt".into()),
                        Op::Text(description.clone()),
                    ]);
                    if self.rng.chance(50) {
                        ops.push_back(Op::Photo(format!("PHOTO-{round}-{chat}")));
                    }
                    ops.extend([Op::Press("pd".into()), Op::Press("rs".into())]);
                    writing = Some(description);
                }
                Some("approved") if roll < 55 => {
                    ops.extend([
                        Op::Text("/language".into()),
                        Op::Press(format!("l:{}", other(lang).code())),
                    ]);
                }
                Some("approved") if roll < 75 && meeting.is_some() => {
                    let meeting = meeting.unwrap();
                    if self.rng.chance(50) {
                        ops.push_back(Op::Press(format!("ga:{meeting}")));
                    } else {
                        ops.extend([
                            Op::Press(format!("gd:{meeting}")),
                            Op::Text(format!("Bận việc riêng v{round}")),
                        ]);
                    }
                }
                Some("approved") if roll < 90 && rejected.contains_key(&chat) => {
                    let description = self.description(round, chat);
                    ops.extend([
                        Op::Press(format!("ur:{}", rejected[&chat])),
                        Op::Press("ut".into()),
                        Op::Text(description.clone()),
                        Op::Press("rs".into()),
                    ]);
                    writing = Some(description);
                }
                _ => {}
            }
            let person = self.people.get_mut(&chat).unwrap();
            person.ops = ops;
            person.writing = writing;
        }

        // The officers decide the same items at once.
        let mut secretary = VecDeque::new();
        let mut deputy = VecDeque::new();
        for id in pending_joins {
            if self.rng.chance(80) {
                secretary.push_back(Op::Press(format!("ja:{id}")));
            }
            if self.rng.chance(80) {
                deputy.push_back(Op::Press(format!("ja:{id}")));
            }
        }
        for id in pending_reports {
            let reason = |who: &str| Op::Text(format!("Thiếu ảnh minh chứng {who}{id}"));
            match self.rng.below(5) {
                0 => {
                    secretary.push_back(Op::Press(format!("ra:{id}")));
                    deputy.push_back(Op::Press(format!("ra:{id}")));
                }
                1 => {
                    secretary.push_back(Op::Press(format!("ra:{id}")));
                    deputy.push_back(Op::Press(format!("rr:{id}")));
                    deputy.push_back(reason("d"));
                }
                2 => {
                    secretary.push_back(Op::Press(format!("rr:{id}")));
                    secretary.push_back(reason("s"));
                    deputy.push_back(Op::Press(format!("ra:{id}")));
                }
                3 => {
                    secretary.push_back(Op::Press(format!("rr:{id}")));
                    secretary.push_back(reason("s"));
                    deputy.push_back(Op::Press(format!("rr:{id}")));
                    deputy.push_back(reason("d"));
                }
                _ => {}
            }
        }
        // The secretary calls a meeting in some rounds instead.
        if round % 3 == 1 && self.rng.chance(70) {
            let now = lienhe::clock::Clock::now(self.h.clock.as_ref()).with_timezone(&TZ)
                + chrono::Duration::days(5);
            secretary = VecDeque::from([
                Op::Text("/meeting".into()),
                Op::Press("gk:c".into()),
                Op::Text(format!("{} 19:30", now.format("%d/%m/%Y"))),
                Op::Text("Nhà văn hóa khối 5".into()),
                Op::Text("Triển khai nhiệm vụ".into()),
                Op::Press("gs".into()),
            ]);
        }
        // The deputy gets no card of an item the secretary is there for:
        // they decide from /pending (and so does the secretary at times).
        if !deputy.is_empty() {
            deputy.push_front(Op::Text("/pending".into()));
        }
        if !secretary.is_empty() && self.rng.chance(30) {
            secretary.push_front(Op::Text("/pending".into()));
        }
        self.people.get_mut(&SECRETARY).unwrap().ops = secretary;
        self.people.get_mut(&DEPUTY).unwrap().ops = deputy;
    }

    pub(crate) fn busy(&self) -> bool {
        self.people.values().any(|p| !p.ops.is_empty())
    }

    /// The invariants of the database after a round.
    async fn check(&self, round: usize) {
        let h = &self.h;
        let pool = &h.pool;
        let at = |what: String| self.log(&format!("round {round}: {what}"));
        assert_eq!(
            h.count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
                .await,
            0,
            "{}",
            at("outbox rows not sent".into())
        );
        let chain = audit::verify(pool).await.unwrap();
        assert!(
            matches!(chain, ChainCheck::Intact { .. }),
            "{}",
            at(format!("{chain:?}"))
        );
        // One report per submission, nothing lost.
        for description in &self.submitted {
            let rows: Vec<String> =
                sqlx::query_scalar("SELECT status FROM reports WHERE description = ?")
                    .bind(description)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            assert_eq!(rows.len(), 1, "{}", at(format!("{description}: {rows:?}")));
        }
        let doubles: Vec<(String, i64)> = sqlx::query_as(
            "SELECT description, COUNT(*) FROM reports GROUP BY description HAVING COUNT(*) > 1",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert!(doubles.is_empty(), "{}", at(format!("{doubles:?}")));
        // One decision per report, one audit entry per submission and per
        // decision, one notice per decision.
        let reports: Vec<(i64, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT r.id, r.user_id, r.status,
                    (SELECT COUNT(*) FROM audit_log a WHERE a.subject = 'report'
                       AND a.subject_id = r.id AND a.action IN ('approve', 'reject')),
                    (SELECT COUNT(*) FROM audit_log a WHERE a.subject = 'report'
                       AND a.subject_id = r.id AND a.action IN ('submit', 'resubmit'))
             FROM reports r WHERE r.recorded_by_cell = 0",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        for (id, user, status, decisions, submissions) in reports {
            let decided = i64::from(status != "pending");
            assert_eq!(
                (decisions, submissions),
                (decided, 1),
                "{}",
                at(format!("report {id} ({status})"))
            );
            let notices = h
                .api
                .sent(user)
                .into_iter()
                .filter_map(|s| s.text)
                .filter(|t| {
                    [Lang::Vi, Lang::En].into_iter().any(|l| {
                        says(Some(t), l, "report-approved") || says(Some(t), l, "report-rejected")
                    }) && t.contains(&format!(" {id} ("))
                })
                .count() as i64;
            assert_eq!(
                notices,
                decided,
                "{}",
                at(format!("notices of report {id} ({status})"))
            );
        }
        // Nobody reported a day still to come (the clock crossed midnight
        // under the date question).
        let dates: Vec<(i64, chrono::NaiveDate, chrono::DateTime<chrono::Utc>)> =
            sqlx::query_as("SELECT id, activity_date, created_at FROM reports")
                .fetch_all(pool)
                .await
                .unwrap();
        for (id, date, created) in dates {
            assert!(
                date <= created.with_timezone(&TZ).date_naive(),
                "{}",
                at(format!("report {id} of {date} made {created}"))
            );
        }
        // One membership per person, each join request audited once.
        let doubles: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id, COUNT(*) FROM memberships WHERE status IN ('pending', 'approved')
             GROUP BY user_id HAVING COUNT(*) > 1",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert!(doubles.is_empty(), "{}", at(format!("{doubles:?}")));
        let requests: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT m.id, (SELECT COUNT(*) FROM audit_log a WHERE a.subject = 'membership'
                             AND a.subject_id = m.id AND a.action = 'join_request')
             FROM memberships m",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        for (id, entries) in requests {
            assert_eq!(entries, 1, "{}", at(format!("membership {id}")));
        }
        // A request withdrawn once, and gone.
        let withdrawn: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT subject_id, COUNT(*) FROM audit_log WHERE action = 'withdraw_join'
             GROUP BY subject_id
             HAVING COUNT(*) > 1 OR subject_id IN (SELECT id FROM memberships)",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert!(withdrawn.is_empty(), "{}", at(format!("{withdrawn:?}")));
        // Each sent row is a message the chat has.
        let rows: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT chat_id, message_id FROM outbox WHERE status = 'sent'")
                .fetch_all(pool)
                .await
                .unwrap();
        for (chat, message) in rows {
            let message = message.unwrap_or_else(|| panic!("{}", at(format!("{chat}: no id"))));
            assert!(
                h.api.message(chat, message).is_some(),
                "{}",
                at(format!("outbox row to {chat} as {message} not at the fake"))
            );
        }
    }
}

/// A local date and time (Hanoi): year, month, day, hour, minute.
pub(crate) type Local = (i32, u32, u32, u32, u32);

/// The clock of each round, and where it moves in the middle.
const CLOCK: [(Local, Option<Local>); 6] = [
    ((2026, 11, 27, 9, 0), None),
    ((2026, 11, 30, 23, 55), Some((2026, 12, 1, 0, 5))),
    ((2026, 12, 25, 8, 0), None),
    ((2026, 12, 31, 23, 50), Some((2027, 1, 1, 0, 10))),
    ((2027, 1, 2, 10, 0), None),
    ((2027, 1, 31, 23, 58), Some((2027, 2, 1, 0, 2))),
];

async fn run(seed: u64) {
    let begun = std::time::Instant::now();
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(SECRETARY, "Bình");
    let deputy = en_user(DEPUTY, "Dũng");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    crate::committee::make_deputy(&h, &secretary, &deputy, "Phạm Văn Dũng").await;
    let code = h.invite_code(&secretary).await;
    let ward = h.ward("Phường Lê Mao").await;
    let cell = h.cell(ward, "Chi bộ khối 6").await;
    let elsewhere = vi_user(150, "Hà");
    h.make_secretary(&elsewhere, cell, "Lê Thị Hà").await;
    let code_elsewhere = h.invite_code(&elsewhere).await;
    let mut people = HashMap::new();
    for (user, lang) in [(secretary, Lang::Vi), (deputy, Lang::En)] {
        people.insert(
            user.id,
            Person {
                user,
                lang,
                ops: VecDeque::new(),
                writing: None,
                switched: None,
            },
        );
    }
    for chat in FIRST..FIRST + MEMBERS {
        let lang = if chat % 2 == 0 { Lang::Vi } else { Lang::En };
        people.insert(
            chat,
            Person {
                user: user_in(lang, chat, &format!("dv{chat}")),
                lang,
                ops: VecDeque::new(),
                writing: None,
                switched: None,
            },
        );
    }
    eprintln!("chaos seed {seed}: set up in {:?}", begun.elapsed());
    let mut w = World {
        h,
        rng: Rng(seed),
        seed,
        people,
        code,
        elsewhere,
        code_elsewhere,
        submitted: Vec::new(),
        last_step: Vec::new(),
        counter: 0,
        kills: 0,
        redelivered: 0,
        missed: 0,
    };
    for (round, (start, then)) in CLOCK.into_iter().enumerate() {
        let (y, m, d, hh, mm) = start;
        w.h.set_local(y, m, d, hh, mm);
        w.h.tick().await;
        w.h.drain().await;
        if round > 0 {
            // A new link (the one before lasts 30 days): those still filling
            // in the old one are refused at Confirm.
            let secretary = w.people[&SECRETARY].user.clone();
            w.code = w.h.invite_code(&secretary).await;
            let elsewhere = w.elsewhere.clone();
            w.code_elsewhere = w.h.invite_code(&elsewhere).await;
        }
        w.plan(round).await;
        // Who switches language this round.
        for person in w.people.values_mut() {
            if person
                .ops
                .iter()
                .any(|op| matches!(op, Op::Press(p) if p.starts_with("l:")))
            {
                person.switched = Some(round);
            }
        }
        let kill_at = w.rng.chance(70).then(|| w.rng.below(5) as usize);
        let move_at = 1 + w.rng.below(7) as usize;
        let mut step = 0;
        while w.busy() {
            if step == move_at
                && let Some((y, m, d, hh, mm)) = then
            {
                w.h.set_local(y, m, d, hh, mm);
                w.h.tick().await;
            }
            w.step(round, kill_at == Some(step)).await;
            step += 1;
        }
        // Duplicates of the last step too.
        w.step(round, false).await;
        w.h.drain().await;
        for person in w.people.values_mut() {
            if person.switched == Some(round) {
                person.lang = other(person.lang);
            }
        }
        w.check(round).await;
        eprintln!(
            "chaos seed {seed}: round {round} done at {:?}, {step} steps",
            begun.elapsed()
        );
    }
    if std::env::var("CHAOS_TRACE").is_ok() {
        for chat in std::env::var("CHAOS_TRACE")
            .unwrap()
            .split(",")
            .filter_map(|c| c.parse::<i64>().ok())
        {
            for sent in w.h.api.sent(chat) {
                eprintln!("{chat} <- {:?} {:?}", sent.text, sent.buttons());
            }
        }
    }
    let decided =
        w.h.count("SELECT COUNT(*) FROM reports WHERE status <> 'pending'")
            .await;
    eprintln!(
        "chaos seed {seed}: {} reports submitted, {decided} decided, {} members, {} withdrawn, \
         {} kills, {} updates sent twice, {} presses with nothing to press",
        w.submitted.len(),
        w.h.count("SELECT COUNT(*) FROM memberships WHERE status = 'approved'")
            .await,
        w.h.count("SELECT COUNT(*) FROM audit_log WHERE action = 'withdraw_join'")
            .await,
        w.kills,
        w.redelivered,
        w.missed,
    );
}

/// The seeds the test of seed `fixed` runs: its own, or the ones
/// `CHAOS_SEED` (and `CHAOS_SEEDS`) ask for, run once, by the test of seed 1.
pub(crate) fn seeds(fixed: u64) -> Vec<u64> {
    let asked = |name: &str| std::env::var(name).ok().and_then(|s| s.parse::<u64>().ok());
    match asked("CHAOS_SEED") {
        Some(first) if fixed == 1 => (first..first + asked("CHAOS_SEEDS").unwrap_or(1)).collect(),
        Some(_) => Vec::new(),
        None => vec![fixed],
    }
}

/// A seed's harness, dropped when the seed ends, stops its bot and outbox
/// sender: before, both went on running (holding the app, its clock and
/// its pool) until the whole test ended, the sender reading a database
/// whose directory was gone. Now nothing but the test holds the clock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_finished_seeds_bot_and_sender_stop_with_its_harness() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    h.make_secretary(&vi_user(SECRETARY, "Bình"), cell, "Trần Thị Bình")
        .await;
    let clock = h.clock.clone();
    assert!(std::sync::Arc::strong_count(&clock) > 2, "bot and sender");
    drop(h);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::sync::Arc::strong_count(&clock) > 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "still held {} times: the bot or the sender runs on",
            std::sync::Arc::strong_count(&clock) - 1
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

async fn chaos(fixed: u64) {
    for seed in seeds(fixed) {
        eprintln!("chaos seed {seed} (replay with CHAOS_SEED={seed})");
        run(seed).await;
    }
}

// Three seeds, each a test of its own (run side by side). Seeds 1 to 20
// were run when this was written: joins, reports with and without a photo,
// resubmissions, decisions raced by the two officers, requests withdrawn
// while they were decided, meeting answers and language switches, three to
// six kills and 57 to 80 updates sent twice each.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cell_under_chaos_keeps_its_invariants_seed_1() {
    chaos(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cell_under_chaos_keeps_its_invariants_seed_2() {
    chaos(2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cell_under_chaos_keeps_its_invariants_seed_3() {
    chaos(3).await;
}
