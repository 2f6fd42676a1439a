//! Crash anywhere: the real `lienhe run` is killed with SIGKILL at random
//! moments while twenty members join and report and their secretary
//! decides, and started again on the same database and the same (fake)
//! Telegram, which serves the unconfirmed updates again.
//!
//! Every user acts as a person would: does what the bot last asked and
//! waits for the answer. An update the bot confirmed without answering is
//! one whose effect was committed before the process died (the answer died
//! with it) and which the next process skipped: that is checked in the
//! database every time (recorded as handled, and the dialogue or the data
//! moved on); the user then carries on from where the bot is, asking it to
//! show the step again if needed. At the end every intended action is in
//! the database exactly once, and the audit chain holds.
//!
//! `LIENHE_CRASH_SEED=N` replays the kill moments of a run (the seed is
//! printed); the interleaving of the processes still varies.

mod common;

use std::{
    collections::{HashMap, HashSet},
    fs::OpenOptions,
    path::PathBuf,
    process::Stdio,
    str::FromStr,
    sync::atomic::{AtomicBool, AtomicUsize, Ordering},
    time::{Duration, Instant},
};

use chrono::{Days, Utc};
use common::{
    FakeApi, Sent, TgUser, data_of, en_user, label_of, lang_of, numbered_name, says, vi_user,
};
use futures::future::join_all;
use lienhe::{
    bot::state::{JoinStep, ReportStep, State},
    domain::{Lang, dates::format_dmy},
    i18n::loader,
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use tokio::process::{Child, Command};

const MEMBERS: usize = 20;
const REPORTS: usize = 2;
const KILLS: usize = 10;
const SECRETARY: i64 = 100;
/// How long one step may take: a kill and a restart or two included.
const STEP: Duration = Duration::from_secs(60);
/// A flow that needs more steps than this is going round in circles.
const MAX_STEPS: usize = 60;

fn member(i: usize) -> TgUser {
    let id = 2000 + i as i64;
    if i.is_multiple_of(2) {
        vi_user(id, &format!("Thành viên {i}"))
    } else {
        en_user(id, &format!("Member {i}"))
    }
}

fn full_name(i: usize) -> String {
    numbered_name("Lê Thị", i as u64)
}

/// What member `i` reports the `n`th time.
struct Planned {
    description: String,
    photo: bool,
    /// Rejected by the secretary, with this reason.
    reject: Option<String>,
}

fn planned(i: usize, n: usize) -> Planned {
    Planned {
        description: format!("Hoạt động {n} của thành viên {i}"),
        photo: (i + n).is_multiple_of(3),
        reject: (i + n)
            .is_multiple_of(5)
            .then(|| format!("Chưa rõ nội dung, báo cáo {n} của số {i}")),
    }
}

// ---------------------------------------------------------------- the process

/// The real binary, started and killed at will.
struct Lienhe {
    api: FakeApi,
    db: String,
    dir: PathBuf,
    log: PathBuf,
    child: Option<Child>,
    starts: usize,
}

impl Lienhe {
    fn start(&mut self) {
        assert!(self.child.is_none());
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        self.starts += 1;
        let child = Command::new(env!("CARGO_BIN_EXE_lienhe"))
            .arg("run")
            .current_dir(&self.dir)
            // The notice at join has its own tests (tests/chat/consent.rs).
            .env("LIENHE_CONSENT_NOTICE", "off")
            .env("TELOXIDE_TOKEN", "123456:CRASH-TOKEN")
            .env("TELOXIDE_API_URL", self.api.url().as_str())
            .env("DATABASE_URL", &self.db)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("the binary starts");
        self.child = Some(child);
    }

    /// SIGKILL, wherever it is.
    async fn kill(&mut self) {
        let mut child = self.child.take().expect("running");
        child.kill().await.unwrap();
    }

    /// SIGTERM: finishes the updates in hand and stops.
    async fn stop(&mut self) {
        let mut child = self.child.take().expect("running");
        common::sigterm(child.id().expect("running"));
        self.api.close_getupdates();
        let exit = tokio::time::timeout(Duration::from_secs(20), child.wait())
            .await
            .expect("stops in time")
            .unwrap();
        assert!(exit.success(), "{exit:?}");
    }

    /// `lienhe ARGS` (an operator command) on the same database.
    async fn command(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_lienhe"))
            .args(args)
            .current_dir(&self.dir)
            .env("DATABASE_URL", &self.db)
            .env_remove("TELOXIDE_TOKEN")
            .env("RUST_LOG", "warn")
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "lienhe {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        stdout.lines().last().unwrap_or_default().to_string()
    }
}

/// Kills the bot at random moments until the users are done and it was
/// killed at least `KILLS` times; restarts it after each kill. Returns the
/// number of kills.
async fn chaos(lienhe: &mut Lienhe, rng: &mut StdRng, done: &AtomicBool) -> usize {
    let mut kills = 0;
    loop {
        // A random moment: after a random while, or right after the bot's
        // k-th request to Telegram from now (often between a commit and
        // the answer it was going to send).
        let since = lienhe.api.call_count();
        if rng.random_bool(0.5) {
            let pause = Duration::from_millis(rng.random_range(30..800));
            tokio::time::sleep(pause).await;
        } else {
            let k = rng.random_range(1..30);
            lienhe
                .api
                .wait_call(since + k - 1, Duration::from_secs(3), |_| true)
                .await;
        }
        if kills >= KILLS && done.load(Ordering::Acquire) {
            return kills;
        }
        lienhe.kill().await;
        kills += 1;
        lienhe.start();
    }
}

// ------------------------------------------------------------------ the users

struct World {
    api: FakeApi,
    db: SqlitePool,
    /// Answers that died with a process (their effect was checked).
    lost_answers: AtomicUsize,
    steps: AtomicUsize,
}

/// What a user's action got.
struct Acted {
    update: i64,
    replies: Vec<Sent>,
}

/// What a member's actions can change, to tell that a step took effect.
#[derive(Debug, PartialEq)]
struct Trace {
    dialogue: Option<String>,
    memberships: i64,
    reports: Vec<(String, i64)>,
}

fn with_button(replies: &[Sent], data: &str) -> Option<Sent> {
    replies
        .iter()
        .rev()
        .find(|s| label_of(s, data).is_some())
        .cloned()
}

fn saying(replies: &[Sent], lang: Lang, id: &str) -> Option<Sent> {
    replies
        .iter()
        .rev()
        .find(|s| says(s.text.as_deref(), lang, id))
        .cloned()
}

impl World {
    /// Pushes an update and waits until a bot process handled it (confirmed
    /// it to Telegram), across kills and restarts.
    async fn act(&self, chat: i64, push: impl FnOnce(&FakeApi) -> i64) -> Acted {
        let before = self.api.sent_count(chat);
        let update = push(&self.api);
        self.steps.fetch_add(1, Ordering::Relaxed);
        assert!(
            self.api.wait_update_confirmed(update, STEP).await,
            "update {update} of {chat} was never handled"
        );
        Acted {
            update,
            replies: self.api.sent(chat).split_off(before),
        }
    }

    /// The update was handled without the answer expected: it must have
    /// been recorded as handled (the process died after committing its
    /// effect, before answering, and the next one skipped it).
    async fn answer_lost(&self, chat: i64, update: i64) {
        let recorded: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM processed_updates WHERE update_id = ?)",
        )
        .bind(update)
        .fetch_one(&self.db)
        .await
        .unwrap();
        assert!(
            recorded,
            "update {update} of {chat} was confirmed without its answer, and not recorded as \
             handled: lost\n{:#?}\nlast calls concerning the chat: {:#?}",
            self.api.sent(chat).iter().rev().take(3).collect::<Vec<_>>(),
            self.api
                .chat_call_log(chat)
                .iter()
                .rev()
                .take(6)
                .map(|c| (c.method.clone(), c.params.clone(), c.response_ok))
                .collect::<Vec<_>>()
        );
        self.lost_answers.fetch_add(1, Ordering::Relaxed);
    }

    async fn dialogue(&self, chat: i64) -> Option<State> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
                .bind(chat)
                .fetch_optional(&self.db)
                .await
                .unwrap();
        json.map(|json| serde_json::from_str(&json).unwrap())
    }

    async fn trace(&self, user: i64) -> Trace {
        // No dialogue and an idle one are the same to the user.
        let dialogue: Option<String> =
            sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
                .bind(user)
                .fetch_optional(&self.db)
                .await
                .unwrap();
        let dialogue = dialogue.filter(|state| {
            serde_json::from_str::<State>(state).is_ok_and(|state| state != State::Idle)
        });
        let memberships = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ?")
            .bind(user)
            .fetch_one(&self.db)
            .await
            .unwrap();
        let reports = sqlx::query_as(
            "SELECT description, (SELECT COUNT(*) FROM report_photos p WHERE p.report_id = r.id)
             FROM reports r WHERE user_id = ? ORDER BY id",
        )
        .bind(user)
        .fetch_all(&self.db)
        .await
        .unwrap();
        Trace {
            dialogue,
            memberships,
            reports,
        }
    }

    /// One step of a member: the expected answer, or `None` if it died with
    /// a process (checked: the step was recorded and took effect).
    async fn step(
        &self,
        user: &TgUser,
        push: impl FnOnce(&FakeApi) -> i64,
        expect: impl Fn(&FakeApi, &[Sent]) -> Option<Sent>,
    ) -> Option<Sent> {
        let before = self.trace(user.id).await;
        let acted = self.act(user.id, push).await;
        if let Some(answer) = expect(&self.api, &acted.replies) {
            return Some(answer);
        }
        self.answer_lost(user.id, acted.update).await;
        let after = self.trace(user.id).await;
        assert_ne!(
            before, after,
            "update {} of {} was recorded as handled but changed nothing",
            acted.update, user.id
        );
        None
    }

    async fn query_i64(&self, sql: &'static str, bind: i64) -> Option<i64> {
        sqlx::query_scalar(sql)
            .bind(bind)
            .fetch_optional(&self.db)
            .await
            .unwrap()
    }
}

/// A member: joins through the link, waits for the approval, reports.
async fn member_flow(w: &World, i: usize, code: &str) {
    let user = member(i);
    let lang = lang_of(&user);
    let who = user.id;
    let nudge = "?";

    // Join: do what the bot asked last; if its question was lost, ask it
    // to show the step again.
    let mut prompt: Option<Sent> = None;
    for round in 0.. {
        assert!(round < MAX_STEPS, "{who} is going round in circles joining");
        let membership = w
            .query_i64("SELECT id FROM memberships WHERE user_id = ?", who)
            .await;
        if membership.is_some() {
            break;
        }
        let shown = |data: &str| {
            prompt
                .as_ref()
                .filter(|p| label_of(p, data).is_some())
                .cloned()
        };
        prompt = match w.dialogue(who).await {
            Some(State::Join(JoinStep::Name, _)) => {
                w.step(
                    &user,
                    |api| api.text(&user, &full_name(i)),
                    |_, r| saying(r, lang, "ask-phone"),
                )
                .await
            }
            Some(State::Join(JoinStep::Phone, _)) => {
                w.step(
                    &user,
                    |api| api.text(&user, &loader(lang).get("button-skip")),
                    |_, r| with_button(r, "w:"),
                )
                .await
            }
            Some(State::Join(JoinStep::Workplace, _)) => match shown("w:") {
                Some(list) => {
                    let data = list.button_data(&label_of(&list, "w:").unwrap()).unwrap();
                    w.step(
                        &user,
                        |api| api.callback(&user, list.message_id, &data),
                        |_, r| with_button(r, "ym:"),
                    )
                    .await
                }
                None => {
                    w.step(
                        &user,
                        |api| api.text(&user, nudge),
                        |_, r| with_button(r, "w:"),
                    )
                    .await
                }
            },
            // Introduced to the cell this month (a nudge is not a month:
            // the question comes again with its button).
            Some(State::Join(JoinStep::Introduced, _)) => match shown("ym:") {
                Some(asked) => {
                    // The button names its month (ym:YYYY-MM).
                    let data = asked
                        .button_data(&label_of(&asked, "ym:").unwrap())
                        .unwrap();
                    w.step(
                        &user,
                        |api| api.callback(&user, asked.message_id, &data),
                        |_, r| with_button(r, "jc:"),
                    )
                    .await
                }
                None => {
                    w.step(
                        &user,
                        |api| api.text(&user, nudge),
                        |_, r| with_button(r, "ym:"),
                    )
                    .await
                }
            },
            Some(State::Join(JoinStep::Confirm, _)) => match shown("jc:") {
                Some(summary) => {
                    w.step(
                        &user,
                        |api| api.callback(&user, summary.message_id, &data_of(&summary, "jc:")),
                        |api, _| {
                            api.message(who, summary.message_id)
                                .filter(|m| says(m.text.as_deref(), lang, "join-sent"))
                        },
                    )
                    .await
                }
                None => {
                    w.step(
                        &user,
                        |api| api.text(&user, nudge),
                        |_, r| with_button(r, "jc:"),
                    )
                    .await
                }
            },
            _ => {
                w.step(
                    &user,
                    |api| api.text(&user, &format!("/start {code}")),
                    |_, r| saying(r, lang, "ask-full-name"),
                )
                .await
            }
        };
    }

    // The secretary decides when they get to it.
    let deadline = Instant::now() + Duration::from_secs(120);
    while w
        .query_i64(
            "SELECT id FROM memberships WHERE user_id = ? AND status = 'approved'",
            who,
        )
        .await
        .is_none()
    {
        assert!(Instant::now() < deadline, "{who} was never approved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let yesterday = Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
        - Days::new(1);
    for n in 0..REPORTS {
        let plan = planned(i, n);
        let mut prompt: Option<Sent> = None;
        for round in 0.. {
            assert!(
                round < MAX_STEPS,
                "{who} is going round in circles reporting"
            );
            let stored: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM reports WHERE user_id = ? AND description = ?)",
            )
            .bind(who)
            .bind(&plan.description)
            .fetch_one(&w.db)
            .await
            .unwrap();
            if stored {
                break;
            }
            let shown = |data: &str| {
                prompt
                    .as_ref()
                    .filter(|p| label_of(p, data).is_some())
                    .cloned()
            };
            let nudge_for = |data: &'static str| {
                let user = &user;
                async move {
                    w.step(
                        user,
                        |api| api.text(user, nudge),
                        |_, r| with_button(r, data),
                    )
                    .await
                }
            };
            prompt = match w.dialogue(who).await {
                Some(State::Report(step, draft))
                    if draft
                        .description
                        .as_deref()
                        .is_none_or(|d| d == plan.description) =>
                {
                    match step {
                        ReportStep::Kind => match shown("k:") {
                            Some(kinds) => {
                                let choices = kinds.buttons();
                                let data = choices[(i + n) % choices.len()].1.clone();
                                w.step(
                                    &user,
                                    |api| api.callback(&user, kinds.message_id, &data),
                                    |_, r| with_button(r, "dt"),
                                )
                                .await
                            }
                            None => nudge_for("k:").await,
                        },
                        ReportStep::Date => {
                            w.step(
                                &user,
                                |api| api.text(&user, &format_dmy(yesterday)),
                                |_, r| saying(r, lang, "ask-description"),
                            )
                            .await
                        }
                        ReportStep::Description => {
                            w.step(
                                &user,
                                |api| api.text(&user, &plan.description),
                                |_, r| with_button(r, "pd"),
                            )
                            .await
                        }
                        ReportStep::Photos if plan.photo && draft.photos.is_empty() => {
                            let file = format!("PHOTO-{i}-{n}");
                            w.step(
                                &user,
                                |api| api.photo(&user, &file, None, None),
                                |_, r| with_button(r, "pd"),
                            )
                            .await
                        }
                        ReportStep::Photos => match shown("pd") {
                            Some(photos) => {
                                w.step(
                                    &user,
                                    |api| api.callback(&user, photos.message_id, "pd"),
                                    |_, r| with_button(r, "rs:"),
                                )
                                .await
                            }
                            None => nudge_for("pd").await,
                        },
                        ReportStep::Confirm => match shown("rs:") {
                            Some(summary) => {
                                w.step(
                                    &user,
                                    |api| {
                                        api.callback(
                                            &user,
                                            summary.message_id,
                                            &data_of(&summary, "rs:"),
                                        )
                                    },
                                    |api, _| {
                                        api.message(who, summary.message_id).filter(|m| {
                                            says(m.text.as_deref(), lang, "report-submitted")
                                        })
                                    },
                                )
                                .await
                            }
                            None => nudge_for("rs:").await,
                        },
                    }
                }
                _ => {
                    w.step(
                        &user,
                        |api| api.text(&user, "/report"),
                        |_, r| with_button(r, "k:"),
                    )
                    .await
                }
            };
        }
    }
}

/// The secretary: opens /pending, decides what it shows, again until every
/// member and report is decided.
async fn secretary_flow(w: &World) {
    let secretary = vi_user(SECRETARY, "Bình");
    let reject: HashMap<String, String> = (0..MEMBERS)
        .flat_map(|i| (0..REPORTS).map(move |n| planned(i, n)))
        .filter_map(|p| Some((p.description, p.reject?)))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let (joins, reports): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM memberships WHERE status = 'approved'),
                    (SELECT COUNT(*) FROM reports WHERE status <> 'pending')",
        )
        .fetch_one(&w.db)
        .await
        .unwrap();
        if joins == MEMBERS as i64 && reports == (MEMBERS * REPORTS) as i64 {
            return;
        }
        assert!(Instant::now() < deadline, "the secretary never got through");
        // /pending writes nothing the update is recorded with: never skipped.
        let acted = w
            .act(SECRETARY, |api| api.text(&secretary, "/pending"))
            .await;
        assert!(
            saying(&acted.replies, Lang::Vi, "pending-header").is_some()
                || saying(&acted.replies, Lang::Vi, "pending-none-in-cell").is_some(),
            "/pending unanswered: {:?}",
            acted.replies
        );
        let mut seen = HashSet::new();
        let cards: Vec<(String, i64, Sent)> = acted
            .replies
            .iter()
            .flat_map(|card| {
                card.buttons()
                    .into_iter()
                    .filter_map(|(_, data)| {
                        let (kind, id) = data.split_once(':')?;
                        let id: i64 = id.parse().ok()?;
                        matches!(kind, "ja" | "ra").then(|| (kind.to_string(), id))
                    })
                    .map(|(kind, id)| (kind, id, card.clone()))
                    .collect::<Vec<_>>()
            })
            .filter(|(kind, id, _)| seen.insert((kind.clone(), *id)))
            .collect();
        if cards.is_empty() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        for (kind, id, card) in cards {
            if kind == "ja" {
                let acted = w
                    .act(SECRETARY, |api| {
                        api.callback(&secretary, card.message_id, &format!("ja:{id}"))
                    })
                    .await;
                let status: Option<String> =
                    sqlx::query_scalar("SELECT status FROM memberships WHERE id = ?")
                        .bind(id)
                        .fetch_optional(&w.db)
                        .await
                        .unwrap();
                assert_eq!(
                    status.as_deref(),
                    Some("approved"),
                    "join {id} approved (update {}); answers: {:?}",
                    acted.update,
                    acted.replies
                );
                continue;
            }
            let description: String =
                sqlx::query_scalar("SELECT description FROM reports WHERE id = ?")
                    .bind(id)
                    .fetch_one(&w.db)
                    .await
                    .unwrap();
            match reject.get(&description) {
                None => {
                    let acted = w
                        .act(SECRETARY, |api| {
                            api.callback(&secretary, card.message_id, &format!("ra:{id}"))
                        })
                        .await;
                    let status: Option<String> =
                        sqlx::query_scalar("SELECT status FROM reports WHERE id = ?")
                            .bind(id)
                            .fetch_optional(&w.db)
                            .await
                            .unwrap();
                    assert_eq!(
                        status.as_deref(),
                        Some("approved"),
                        "report {id} approved (update {}); answers: {:?}",
                        acted.update,
                        acted.replies
                    );
                }
                Some(reason) => {
                    let acted = w
                        .act(SECRETARY, |api| {
                            api.callback(&secretary, card.message_id, &format!("rr:{id}"))
                        })
                        .await;
                    let pending = w
                        .query_i64("SELECT status = 'pending' FROM reports WHERE id = ?", id)
                        .await;
                    if pending == Some(0) {
                        // Decided meanwhile through an older card: the bot
                        // answered with the "already decided" alert, which
                        // changes nothing (so nothing is recorded).
                        continue;
                    }
                    if saying(&acted.replies, Lang::Vi, "ask-reject-reason").is_none() {
                        w.answer_lost(SECRETARY, acted.update).await;
                    }
                    let state = w.dialogue(SECRETARY).await;
                    let asking = matches!(
                        state,
                        Some(State::RejectReason { report_id, .. }) if report_id == id
                    );
                    assert!(
                        asking,
                        "report {id}: the reason is asked (update {}); the dialogue is \
                         {state:?}; the answers: {:?}",
                        acted.update, acted.replies
                    );
                    let acted = w.act(SECRETARY, |api| api.text(&secretary, reason)).await;
                    if saying(&acted.replies, Lang::Vi, "report-rejected-done").is_none() {
                        w.answer_lost(SECRETARY, acted.update).await;
                    }
                    let stored: Option<String> = sqlx::query_scalar(
                        "SELECT reject_reason FROM reports WHERE id = ? AND status = 'rejected'",
                    )
                    .bind(id)
                    .fetch_optional(&w.db)
                    .await
                    .unwrap()
                    .flatten();
                    assert_eq!(
                        stored.as_ref(),
                        Some(reason),
                        "report {id} rejected (update {})",
                        acted.update
                    );
                }
            }
        }
    }
}

/// Waits for the answer to a step before the kills begin.
async fn ask(w: &World, user: &TgUser, text: &str) -> Vec<Sent> {
    let acted = w.act(user.id, |api| api.text(user, text)).await;
    assert!(!acted.replies.is_empty(), "no answer to {text:?}");
    acted.replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lienhe_killed_anywhere_loses_and_duplicates_nothing() {
    let started = Instant::now();
    let seed: u64 = std::env::var("LIENHE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    // The database and the bot's log stay for a look after a failure; they
    // are removed after a success.
    let dir = tempfile::Builder::new()
        .prefix(&format!("crash-{seed}-"))
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
        .keep();
    eprintln!(
        "crash seed: {seed} (LIENHE_CRASH_SEED={seed} replays the kill moments); the database and \
         the bot's log: {}",
        dir.display()
    );
    let mut rng = StdRng::seed_from_u64(seed);

    let api = FakeApi::start().await;
    let db = format!("sqlite://{}", dir.join("crash.db").display());
    let mut lienhe = Lienhe {
        api: api.clone(),
        db: db.clone(),
        dir: dir.clone(),
        log: dir.join("lienhe.log"),
        child: None,
        starts: 0,
    };

    // The operator sets up the cell with the binary's own subcommands.
    let ward = lienhe
        .command(&["admin", "ward", "add", "Phường Hưng Dũng"])
        .await;
    lienhe
        .command(&["admin", "workplace", "add", "Sở Tư pháp tỉnh Nghệ An"])
        .await;
    let cell = lienhe
        .command(&["admin", "cell", "add", "--ward", &ward, "Chi bộ khối 5"])
        .await;
    let secretary_code = lienhe
        .command(&["admin", "invite", "secretary", "--cell", &cell])
        .await;
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(
            SqliteConnectOptions::from_str(&db)
                .unwrap()
                .busy_timeout(Duration::from_secs(10)),
        )
        .await
        .unwrap();
    let w = World {
        api: api.clone(),
        db: pool,
        lost_answers: AtomicUsize::new(0),
        steps: AtomicUsize::new(0),
    };

    // The secretary joins and makes the member link, no kills yet.
    lienhe.start();
    let secretary = vi_user(SECRETARY, "Bình");
    ask(&w, &secretary, &format!("/start {secretary_code}")).await;
    ask(&w, &secretary, "Trần Thị Bình").await;
    let link = ask(&w, &secretary, "/invite").await;
    let text = link.last().unwrap().text.clone().unwrap();
    let code = text[text.find("?start=").unwrap() + "?start=".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();

    // Everyone at once, while the bot is killed again and again.
    let done = AtomicBool::new(false);
    let users = async {
        let members = join_all((0..MEMBERS).map(|i| member_flow(&w, i, &code)));
        tokio::join!(members, secretary_flow(&w));
        done.store(true, Ordering::Release);
    };
    let ((), kills) = tokio::join!(users, chaos(&mut lienhe, &mut rng, &done));
    lienhe.stop().await;
    let acted = started.elapsed();

    // Each member joined once and was approved once.
    let db = &w.db;
    let memberships: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT user_id, status, COUNT(*) OVER (PARTITION BY user_id) FROM memberships ORDER BY user_id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(
        memberships,
        (0..MEMBERS)
            .map(|i| (member(i).id, "approved".to_string(), 1))
            .collect::<Vec<_>>()
    );
    // Each report stored once, with its photo, decided as planned.
    let reports: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT user_id, description, status, reject_reason,
                (SELECT COUNT(*) FROM report_photos p WHERE p.report_id = r.id)
         FROM reports r ORDER BY user_id, description",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut expected: Vec<_> = (0..MEMBERS)
        .flat_map(|i| {
            (0..REPORTS).map(move |n| {
                let plan = planned(i, n);
                let status = if plan.reject.is_some() {
                    "rejected"
                } else {
                    "approved"
                };
                (
                    member(i).id,
                    plan.description,
                    status.to_string(),
                    plan.reject,
                    i64::from(plan.photo),
                )
            })
        })
        .collect();
    expected.sort();
    assert_eq!(reports, expected);
    // Each decision applied once: one audit entry per decided item.
    let audited: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT subject, action, COUNT(*), COUNT(DISTINCT subject_id) FROM audit_log
         GROUP BY subject, action ORDER BY 1, 2",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let rejections = expected.iter().filter(|r| r.3.is_some()).count() as i64;
    let total = (MEMBERS * REPORTS) as i64;
    assert_eq!(
        audited,
        [
            // The operator's cell.
            ("cell".into(), "add_cell".into(), 1, 1),
            // The secretary's code and the members' link.
            ("invite".into(), "create_invite".into(), 2, 2),
            (
                "membership".into(),
                "approve".into(),
                MEMBERS as i64,
                MEMBERS as i64
            ),
            // Each join request and report stored once.
            (
                "membership".into(),
                "join_request".into(),
                MEMBERS as i64,
                MEMBERS as i64
            ),
            (
                "report".into(),
                "approve".into(),
                total - rejections,
                total - rejections
            ),
            ("report".into(), "reject".into(), rejections, rejections),
            ("report".into(), "submit".into(), total, total),
            // The secretary taking the role.
            ("user".into(), "grant_role".into(), 1, 1),
            // The operator's ward and workplace.
            ("ward".into(), "add_ward".into(), 1, 1),
            ("workplace".into(), "add_workplace".into(), 1, 1),
        ]
    );
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(
        lienhe.command(&["audit", "verify"]).await,
        entries.to_string()
    );

    // Nobody was told that something was not saved; no process failed.
    for sent in api.all_sent() {
        for lang in Lang::ALL {
            assert!(
                !says(sent.text.as_deref(), lang, "not-saved-try-again"),
                "{sent:?}"
            );
        }
    }
    let log = std::fs::read_to_string(&lienhe.log).unwrap();
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    assert!(errors.is_empty(), "errors logged:\n{}", errors.join("\n"));
    assert!(
        log.contains("lienhe stopped"),
        "the last process stopped cleanly"
    );
    eprintln!(
        "{kills} kills ({} starts), {} steps, {} answers lost with a process and checked; \
         {} skipped redeliveries logged; {:?} in all",
        lienhe.starts,
        w.steps.load(Ordering::Relaxed),
        w.lost_answers.load(Ordering::Relaxed),
        log.matches("skipping a redelivered update").count(),
        acted,
    );
    assert!(kills >= KILLS);
    w.db.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
