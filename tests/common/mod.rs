//! Test harness: the real handler tree against the fake Bot API, on a real
//! SQLite file in a temporary directory, with a clock the test moves.
#![allow(dead_code)]

pub mod fake_api;

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, TimeZone, Utc};
#[allow(unused_imports)]
pub use fake_api::{Call, FakeApi, Fault, Sent, TgUser};
use lienhe::{
    bot::{self, App},
    cli::{self, Admin},
    clock::ManualClock,
    jobs::{
        scheduler::{self, Schedule, Tick},
        sender::{self, SenderConfig},
    },
    store::{self, Pool},
};
use teloxide::Bot;
use tempfile::TempDir;
use tokio::task::JoinHandle;

pub const TZ: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;
const WAIT: Duration = Duration::from_secs(10);
/// For one update among many in flight (each waits its turn for the
/// database's write lock).
const WAIT_BUSY: Duration = Duration::from_secs(60);

/// 20/11/2026 10:00 in Hanoi.
pub fn default_now() -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2026, 11, 20, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

pub struct Harness {
    pub api: FakeApi,
    pub dir: TempDir,
    pub db_url: String,
    pub clock: Arc<ManualClock>,
    pub pool: Pool,
    /// The personal-data notice's version the bot shows at join (`None`:
    /// none, as for every test that is not about it).
    pub consent: Option<i64>,
    /// `LIENHE_RETENTION_DAYS` of the bot started next (`None`: the
    /// default).
    pub keep_days: Option<u32>,
    app: App,
    /// The bot's id in its token, this harness's own.
    bot_id: u64,
    running: Option<(tokio::sync::watch::Sender<bool>, JoinHandle<()>)>,
    sender: Option<(
        tokio::sync::watch::Sender<bool>,
        JoinHandle<()>,
        SenderConfig,
    )>,
}

impl Harness {
    /// A fake Bot API, an empty database and a running bot.
    pub async fn start() -> Harness {
        Harness::start_with_consent(None).await
    }

    /// A running bot that shows the personal-data notice of `version`.
    pub async fn start_with_consent(consent: Option<i64>) -> Harness {
        // RUST_LOG=lienhe=debug shows what the bot did.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let api = FakeApi::start().await;
        let dir = tempfile::tempdir().unwrap();
        let db_url = format!("sqlite://{}", dir.path().join("lienhe.db").display());
        let pool = store::open(&db_url).await.unwrap();
        let clock = Arc::new(ManualClock::new(default_now()));
        let app = App::new(pool.clone(), clock.clone(), TZ);
        let mut h = Harness {
            api,
            dir,
            db_url,
            clock,
            pool,
            consent,
            keep_days: None,
            app,
            bot_id: {
                static NEXT: std::sync::atomic::AtomicU64 =
                    std::sync::atomic::AtomicU64::new(100_000);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            running: None,
            sender: None,
        };
        h.start_bot().await;
        h
    }

    pub fn bot(&self) -> Bot {
        // A bot of its own for each harness (the same across its
        // restarts): the bot remembers its edits per bot and server, and a
        // later test's fake may be given an earlier one's port.
        Bot::new(format!("{}:TEST-TOKEN", self.bot_id)).set_api_url(self.api.url())
    }

    pub fn app(&self) -> App {
        self.app.clone()
    }

    /// Starts a dispatcher as a fresh process would: a new pool on the
    /// same database file.
    pub async fn start_bot(&mut self) {
        assert!(self.running.is_none(), "bot already running");
        self.pool = store::open(&self.db_url).await.unwrap();
        self.app = App::new(self.pool.clone(), self.clock.clone(), TZ).with_consent(self.consent);
        if let Some(days) = self.keep_days {
            self.app = self.app.clone().with_keep_days(days);
        }
        let bot = self.bot();
        let app = self.app();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let handle = tokio::spawn(async move {
            bot::serve(bot, app, Duration::from_secs(1), stopped)
                .await
                .expect("the bot starts");
        });
        self.running = Some((stop, handle));
        if self.sender.is_none() {
            self.start_sender(default_sender()).await;
        }
    }

    /// Stops the bot after the updates in hand.
    pub async fn stop_bot(&mut self) {
        self.stop_sender().await;
        let Some((stop, handle)) = self.running.take() else {
            return;
        };
        let _ = stop.send(true);
        let _ = tokio::time::timeout(WAIT, handle).await;
    }

    pub async fn restart(&mut self) {
        let sender = self.sender.as_ref().map(|(_, _, cfg)| *cfg);
        self.stop_sender().await;
        self.stop_bot().await;
        self.start_bot().await;
        if let Some(cfg) = sender {
            self.start_sender(cfg).await;
        }
    }

    // ------------------------------------------------------------- jobs

    /// Starts the outbox sender on the bot's app (replacing the running one).
    pub async fn start_sender(&mut self, cfg: SenderConfig) {
        self.stop_sender().await;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let handle = sender::spawn(self.bot(), self.app(), cfg, stopped);
        self.sender = Some((stop, handle, cfg));
    }

    pub async fn stop_sender(&mut self) {
        if let Some((stop, handle, _)) = self.sender.take() {
            let _ = stop.send(true);
            let _ = tokio::time::timeout(WAIT, handle).await;
        }
    }

    /// Drops the dispatcher (and the sender) wherever they are, with the
    /// updates in hand: what `kill -9` does to them.
    pub async fn kill_bot(&mut self) {
        self.kill_sender().await;
        if let Some((_, handle)) = self.running.take() {
            handle.abort();
            let _ = handle.await;
        }
    }

    /// Drops the sender task wherever it is, without letting it mark rows:
    /// what `kill -9` does to it.
    pub async fn kill_sender(&mut self) {
        if let Some((_, handle, _)) = self.sender.take() {
            handle.abort();
            let _ = handle.await;
        }
    }

    /// One look of the scheduler at the clock (default schedule: 25th, 08:00),
    /// with the bot's decision cards as `lienhe run` has them.
    pub async fn tick(&self) -> Tick {
        let schedule = Schedule {
            cards: Some(bot::decisions::CARDS),
            ..Schedule::default()
        };
        scheduler::tick(&self.app(), &schedule).await.unwrap()
    }

    /// Moves the clock to a local date and time.
    pub fn set_local(&self, y: i32, m: u32, d: u32, hour: u32, min: u32) {
        self.clock.set(
            TZ.with_ymd_and_hms(y, m, d, hour, min, 0)
                .unwrap()
                .with_timezone(&Utc),
        );
    }

    /// Waits until the outbox has no queued row.
    pub async fn drain(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let queued = self
                .count("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
                .await;
            if queued == 0 {
                // Let the sender finish its progress edits.
                tokio::time::sleep(Duration::from_millis(150)).await;
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{queued} rows still queued"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A kill at the awkward moment: waits until the bot reaches the call
    /// `held` stops (`what` it is, for the failure), kills the bot there,
    /// starts it again and serves `update` again, as Telegram does with an
    /// update whose offset was not confirmed; returns once the bot has
    /// handled it.
    pub async fn killed_at_and_served_again(
        &mut self,
        held: fake_api::Held,
        what: &str,
        update: i64,
    ) {
        assert!(held.reached(WAIT_BUSY).await, "{what}");
        self.kill_bot().await;
        self.start_bot().await;
        self.api.redeliver(update);
        self.quiet().await;
    }

    /// Waits until the bot has handled every update pushed so far: it
    /// confirms an update to Telegram only after its handler finished.
    ///
    /// With the sender running, also waits until the messages a person is
    /// waiting for (join requests and reports to the secretary, decisions to
    /// the member), queued by those updates, have been sent.
    pub async fn quiet(&self) {
        // Three times the usual wait: on a machine busy with other tests a
        // restarted bot's last confirmation can take longer than one (the
        // wait ends as soon as it comes).
        assert!(
            self.api.wait_confirmed(3 * WAIT).await,
            "the bot did not handle its updates: {}",
            self.api.polling_state()
        );
        if self.sender.is_none() {
            return;
        }
        // A 5xx costs teloxide's 10 s pause and a backoff: allow for that.
        let deadline = tokio::time::Instant::now() + 4 * WAIT;
        while self
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND priority = 0")
            .await
            > 0
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "notices still queued"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// An operator's write holding the database (`BEGIN IMMEDIATE` on a
    /// connection of its own), for an update to pass its first checks and
    /// then wait for the write lock ([`Held::revoke`] lets it go on).
    pub async fn hold_database(&self) -> Held {
        let mut conn = self.pool.acquire().await.unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *conn)
            .await
            .unwrap();
        Held {
            conn,
            now: self.app.now(),
        }
    }

    /// Waits until a write of this update waits to begin (the database is
    /// held, by [`Harness::hold_database`] or a connection of the test's):
    /// the update has passed every check it makes before it writes.
    pub async fn waits_to_write(&self, update: i64) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !lienhe::store::tx::waits_to_write(&self.pool, update) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "update {update} never came to write"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until the bot has handled this one update (it confirmed it),
    /// whatever else it is doing. For many users acting at once: `quiet()`
    /// (every update handled) may never hold while others keep pushing.
    pub async fn handled(&self, update: i64) {
        assert!(
            self.api.wait_update_confirmed(update, WAIT_BUSY).await,
            "the bot did not handle update {update}"
        );
    }

    /// Serves the update `push` sends while `role` is taken from `user_id`
    /// between the update's checks and its write (the operator's revoke, or
    /// a handover, landing at that moment), and waits until it is handled.
    pub async fn served_as_role_goes(
        &self,
        user_id: i64,
        role: lienhe::store::committee::Role,
        push: impl FnOnce() -> i64,
    ) {
        let held = self.hold_database().await;
        let update = push();
        self.waits_to_write(update).await;
        held.revoke(user_id, role).await;
        self.handled(update).await;
    }

    /// `by` opens the comment sheet of `membership` (its `so:` button, as
    /// `/sheets` shows it): the sheet's id.
    pub async fn open_sheet(&self, by: &TgUser, membership: i64) -> i64 {
        self.press_data(by, 1, &format!("so:{membership}")).await;
        sqlx::query_scalar("SELECT id FROM sheets WHERE membership_id = ?")
            .bind(membership)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    // ------------------------------------------------------------ talking

    /// Sends a text and returns what the bot sent to the chat in reply.
    pub async fn say(&self, user: &TgUser, text: &str) -> Vec<Sent> {
        let before = self.api.sent_count(user.id);
        self.api.text(user, text);
        // Some handlers work a while before they answer (charts, documents).
        self.api.wait_sent(user.id, before + 1, WAIT).await;
        self.quiet().await;
        self.api.sent(user.id).split_off(before)
    }

    /// Sends a text and returns the last message the bot sent in reply.
    pub async fn ask(&self, user: &TgUser, text: &str) -> Sent {
        let replies = self.say(user, text).await;
        replies
            .last()
            .cloned()
            .unwrap_or_else(|| panic!("no reply to {text:?}"))
    }

    /// `say` for one of many users acting at once: waits for this update
    /// only. Returns what the chat got since (from this update, or from
    /// another user's action that wrote to this chat meanwhile).
    pub async fn say_concurrently(&self, user: &TgUser, text: &str) -> Vec<Sent> {
        let before = self.api.sent_count(user.id);
        let update = self.api.text(user, text);
        self.handled(update).await;
        self.api.sent(user.id).split_off(before)
    }

    /// `ask` for one of many users acting at once.
    pub async fn ask_concurrently(&self, user: &TgUser, text: &str) -> Sent {
        self.say_concurrently(user, text)
            .await
            .pop()
            .unwrap_or_else(|| panic!("no reply to {text:?} in chat {}", user.id))
    }

    /// `press` for one of many users acting at once: waits for this press
    /// only; returns its answer (matched by the callback id) and what the
    /// chat got since.
    pub async fn press_concurrently(
        &self,
        user: &TgUser,
        message: &Sent,
        label: &str,
    ) -> (Call, Vec<Sent>) {
        let data = message.button_data(label).unwrap_or_else(|| {
            panic!(
                "no button {label:?} on {:?}: {:?}",
                message.text,
                message.buttons()
            )
        });
        let before = self.api.sent_count(user.id);
        let update = self.api.callback(user, message.message_id, &data);
        let query = self.api.update(update).expect("pushed")["callback_query"]["id"].clone();
        self.handled(update).await;
        let answer = self
            .api
            .calls_of("answerCallbackQuery")
            .into_iter()
            .find(|c| c.params["callback_query_id"] == query)
            .unwrap_or_else(|| panic!("the press of {label:?} by {} was not answered", user.id));
        (answer, self.api.sent(user.id).split_off(before))
    }

    /// Pushes any update for the user and returns the replies.
    pub async fn send_update(
        &self,
        user: &TgUser,
        push: impl FnOnce(&FakeApi) -> i64,
    ) -> Vec<Sent> {
        let before = self.api.sent_count(user.id);
        push(&self.api);
        self.quiet().await;
        self.api.sent(user.id).split_off(before)
    }

    /// Presses the button with this label on a message; returns the
    /// callback answer and the messages sent to the chat.
    pub async fn press(&self, user: &TgUser, message: &Sent, label: &str) -> (Call, Vec<Sent>) {
        let data = message.button_data(label).unwrap_or_else(|| {
            panic!(
                "no button {label:?} on {:?}: {:?}",
                message.text,
                message.buttons()
            )
        });
        self.press_data(user, message.message_id, &data).await
    }

    /// Presses a button by its raw callback data (also forged ones).
    pub async fn press_data(
        &self,
        user: &TgUser,
        message_id: i64,
        data: &str,
    ) -> (Call, Vec<Sent>) {
        let before_sent = self.api.sent_count(user.id);
        let before_calls = self.api.call_count();
        self.api.callback(user, message_id, data);
        self.quiet().await;
        let answer = self
            .api
            .calls()
            .into_iter()
            .skip(before_calls)
            .find(|c| c.method == "answercallbackquery")
            .expect("the button press was answered");
        (answer, self.api.sent(user.id).split_off(before_sent))
    }

    /// Waits until the bot has sent a document to the chat (at least `count`).
    /// The text (`word/document.xml`) of the first DOCX sent to `chat`.
    pub fn first_docx(&self, chat: i64) -> String {
        let bytes = self
            .api
            .sent(chat)
            .into_iter()
            .find(|s| s.file.as_deref().is_some_and(|f| f.ends_with(".docx")))
            .and_then(|s| s.document_bytes)
            .expect("the DOCX");
        part(&bytes, "word/document.xml")
    }

    pub async fn wait_documents(&self, chat: i64, count: usize) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while self
            .api
            .sent(chat)
            .iter()
            .filter(|s| s.method == "senddocument")
            .count()
            < count
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no document to {chat}"
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        self.quiet().await;
    }

    pub fn last(&self, user: &TgUser) -> Sent {
        self.api.last_sent(user.id).expect("a message to the user")
    }

    pub fn current(&self, sent: &Sent) -> Sent {
        self.api
            .message(sent.chat_id, sent.message_id)
            .expect("message exists")
    }

    // ---------------------------------------------------------- operator

    pub async fn admin(&self, command: Admin) -> String {
        cli::admin(
            &self.pool,
            lienhe::clock::Clock::now(self.clock.as_ref()),
            TZ,
            command,
        )
        .await
        .unwrap()
    }

    /// The operator takes `officer`'s role at `workplace` away
    /// (`lienhe admin role revoke`).
    pub async fn revoke_officer(&self, officer: &TgUser, workplace: i64) {
        self.admin(Admin::Role {
            command: lienhe::cli::RoleCommand::Revoke {
                user: officer.id,
                role: lienhe::cli::RoleName::Officer,
                workplace: Some(workplace),
                ward: None,
                cell: None,
            },
        })
        .await;
    }

    pub async fn ward(&self, name: &str) -> i64 {
        self.admin(Admin::Ward {
            command: cli::NameOnly::Add { name: name.into() },
        })
        .await
        .parse()
        .unwrap()
    }

    pub async fn cell(&self, ward: i64, name: &str) -> i64 {
        self.admin(Admin::Cell {
            command: cli::CellCommand::Add {
                ward,
                name: name.into(),
            },
        })
        .await
        .parse()
        .unwrap()
    }

    pub async fn workplace(&self, name: &str) -> i64 {
        self.admin(Admin::Workplace {
            command: cli::NameOnly::Add { name: name.into() },
        })
        .await
        .parse()
        .unwrap()
    }

    /// The code of a new invite (the last line the command prints).
    async fn invite(&self, command: cli::InviteCommand) -> String {
        let out = self.admin(Admin::Invite { command }).await;
        out.lines().last().unwrap().to_string()
    }

    pub async fn secretary_code(&self, cell: i64) -> String {
        self.invite(cli::InviteCommand::Secretary { cell }).await
    }

    pub async fn officer_code(&self, workplace: i64) -> String {
        self.invite(cli::InviteCommand::Officer { workplace }).await
    }

    pub async fn supervisor_code(&self, ward: i64) -> String {
        self.invite(cli::InviteCommand::Supervisor { ward }).await
    }

    // ----------------------------------------------------------- set-ups

    /// A ward, a cell and two registered workplaces.
    pub async fn cell_setup(&self) -> i64 {
        let ward = self.ward("Phường Hưng Dũng").await;
        self.workplace("Sở Tư pháp tỉnh Nghệ An").await;
        self.workplace("Trường THPT Huỳnh Thúc Kháng").await;
        self.cell(ward, "Chi bộ khối 5").await
    }

    /// Makes `user` secretary of `cell` through the chat.
    pub async fn make_secretary(&self, user: &TgUser, cell: i64, name: &str) {
        let code = self.secretary_code(cell).await;
        self.ask(user, &format!("/start {code}")).await;
        self.ask(user, name).await;
    }

    /// The member invite link the secretary gets from /invite.
    pub async fn invite_code(&self, secretary: &TgUser) -> String {
        deep_link_code(&self.ask(secretary, "/invite").await)
    }

    /// Runs the member's join dialogue to the confirmation (skipping the
    /// phone, choosing the first registered workplace, introduced this month).
    pub async fn request_join(&self, member: &TgUser, code: &str, name: &str) {
        self.ask(member, &format!("/start {code}")).await;
        self.ask(member, name).await;
        let skip = if member.language_code.as_deref() == Some("en") {
            "Skip"
        } else {
            "Bỏ qua"
        };
        self.ask(member, skip).await;
        let workplaces = self.last(member);
        let first = workplaces.buttons()[0].0.clone();
        self.press(member, &workplaces, &first).await;
        // Introduced to the cell this month.
        let introduced = self.last(member);
        let this_month = introduced.buttons()[0].0.clone();
        self.press(member, &introduced, &this_month).await;
        let summary = self.last(member);
        let confirm = if member.language_code.as_deref() == Some("en") {
            "Confirm"
        } else {
            "Xác nhận"
        };
        self.press(member, &summary, confirm).await;
    }

    /// A secretary and an approved member of one cell.
    pub async fn cell_with_member(&self, secretary: &TgUser, member: &TgUser) -> i64 {
        let cell = self.cell_setup().await;
        self.make_secretary(secretary, cell, "Trần Thị Bình").await;
        self.join_approved(secretary, member, "Nguyễn Văn An").await;
        cell
    }

    /// `member` joins the secretary's cell by its invite link, as `name`,
    /// and the secretary approves the request from its card.
    pub async fn join_approved(&self, secretary: &TgUser, member: &TgUser, name: &str) {
        let code = self.invite_code(secretary).await;
        self.request_join(member, &code, name).await;
        let card = self.last(secretary);
        let approve = if secretary.language_code.as_deref() == Some("en") {
            "✅ Approve"
        } else {
            "✅ Duyệt"
        };
        self.press(secretary, &card, approve).await;
    }

    /// Runs /report to the summary: kind by label, date by text or button.
    pub async fn report_until_summary(
        &self,
        member: &TgUser,
        kind: &str,
        date: &str,
        description: &str,
        photos: &[&str],
    ) -> Sent {
        let kinds = self.ask(member, "/report").await;
        self.press(member, &kinds, kind).await;
        let date_prompt = self.last(member);
        if date_prompt.button_data(date).is_some() {
            self.press(member, &date_prompt, date).await;
        } else {
            self.ask(member, date).await;
        }
        let photos_prompt = self.ask(member, description).await;
        for (i, photo) in photos.iter().enumerate() {
            let before = self.api.sent_count(member.id);
            self.api.photo(member, photo, None, None);
            self.quiet().await;
            assert!(
                self.api.sent_count(member.id) > before,
                "photo {i} acknowledged"
            );
        }
        let last = if photos.is_empty() {
            photos_prompt
        } else {
            self.last(member)
        };
        let label = last.buttons()[0].0.clone();
        self.press(member, &last, &label).await;
        self.last(member)
    }

    /// The writer (secretary or deputy) opens the member's yearly sheet of
    /// the review year, chooses the first level of all six criteria and
    /// sends it to the member; returns the sheet's id.
    pub async fn sheet_sent_to_member(&self, writer: &TgUser, membership: i64) -> i64 {
        self.press_data(writer, 1, &format!("so:{membership}"))
            .await;
        let sheet: i64 = sqlx::query_scalar("SELECT id FROM sheets WHERE membership_id = ?")
            .bind(membership)
            .fetch_one(&self.pool)
            .await
            .unwrap();
        for c in 0..6 {
            self.press_data(writer, 1, &format!("sl:{sheet}:{c}:0"))
                .await;
        }
        self.press_data(writer, 1, &format!("ss:{sheet}")).await;
        sheet
    }

    /// The id of the user's approved membership.
    pub async fn membership_of(&self, user: i64) -> i64 {
        sqlx::query_scalar("SELECT id FROM memberships WHERE user_id = ? AND status = 'approved'")
            .bind(user)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }

    /// Ends `user`'s membership of `cell` (they moved away), as `by` does
    /// from `/members`, straight in the store and telling nobody: for
    /// tests of what was queued to them before.
    pub async fn end_quietly(&self, user: i64, cell: i64, by: i64) {
        let ended = lienhe::store::memberships::end(
            &self.pool,
            lienhe::store::memberships::Ending {
                id: self.membership_of(user).await,
                cell_id: cell,
                reason: lienhe::domain::membership::EndReason::LeftArea,
                note: "Chuyển nơi ở",
                by,
                then: None,
            },
            self.app().now(),
            |_, _| Vec::new(),
            |_, _, _| Vec::new(),
        )
        .await
        .unwrap();
        assert!(ended, "membership of {user} not ended");
    }
}

impl Drop for Harness {
    /// A harness dropped before its test ends (one chaos seed of several)
    /// takes its bot and sender with it: left running, they would go on
    /// polling a fake API and reading a database directory that are gone.
    /// Aborted, as `kill_bot` does (a drop cannot wait for a stop).
    fn drop(&mut self) {
        if let Some((stop, handle, _)) = self.sender.take() {
            let _ = stop.send(true);
            handle.abort();
        }
        if let Some((stop, handle)) = self.running.take() {
            let _ = stop.send(true);
            handle.abort();
        }
    }
}

/// Unzips one part of an Office file (DOCX, XLSX).
pub fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut file = zip.by_name(name).expect("the part");
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// The code of the deep link (`?start=CODE`) in a message.
pub fn deep_link_code(sent: &Sent) -> String {
    let text = sent.text.as_deref().expect("a text");
    let start = text.find("?start=").expect("a deep link") + "?start=".len();
    text[start..].split_whitespace().next().unwrap().to_string()
}

/// Sends SIGTERM to a child process (as systemd or Docker stop it), without
/// an external `kill` (not on every machine).
pub fn sigterm(pid: u32) {
    // SAFETY: kill(2) on a pid of our own child; no memory is touched.
    let rc = unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
    assert_eq!(
        rc,
        0,
        "SIGTERM to {pid}: {}",
        std::io::Error::last_os_error()
    );
}

/// The tests' sender: a tenth of a second between two messages to one
/// chat instead of Telegram's second, so that a test waits less for what
/// it checks; the tests of that pace use [`paced_sender`].
pub fn default_sender() -> SenderConfig {
    SenderConfig {
        rate: 1000.0,
        per_chat: Duration::from_millis(100),
        ..SenderConfig::default()
    }
}

/// The tests' sender at the production pace per chat.
pub fn paced_sender() -> SenderConfig {
    SenderConfig {
        per_chat: SenderConfig::default().per_chat,
        ..default_sender()
    }
}

/// The text of message `id` in `lang`, for a message without variables.
pub fn text_of(lang: lienhe::domain::Lang, id: &str) -> String {
    lienhe::i18n::loader(lang).get(id)
}

/// The label of the "other" activity kind, for a report by label.
pub fn other_kind(lang: lienhe::domain::Lang) -> &'static str {
    match lang {
        lienhe::domain::Lang::Vi => "Hoạt động khác",
        lienhe::domain::Lang::En => "Other activity",
    }
}

/// The language a test user writes in (the bot's first guess).
pub fn lang_of(user: &TgUser) -> lienhe::domain::Lang {
    lienhe::domain::Lang::from_telegram(user.language_code.as_deref())
}

/// `user` erases their data (/forgetme, confirmed).
pub async fn erase_data(h: &Harness, user: &TgUser, lang: lienhe::domain::Lang) {
    let ask = h.ask(user, "/forgetme").await;
    let confirm = lienhe::i18n::loader(lang).get("forget-button-confirm");
    let (_, replies) = h.press(user, &ask, &confirm).await;
    let done = replies.last().expect("the result").text.clone();
    assert!(says(done.as_deref(), lang, "forget-done"), "{done:?}");
}

/// The texts sent to `chat` that say the message `id` (a digest's header…).
pub fn digests_to(h: &Harness, chat: i64, lang: lienhe::domain::Lang, id: &str) -> Vec<String> {
    h.api
        .sent(chat)
        .into_iter()
        .filter_map(|s| s.text)
        .filter(|t| says(Some(t), lang, id))
        .collect()
}

/// Whether `text` is the message `id` in `lang`: every fixed part of the
/// message (around its placeholders) appears in it, in order.
pub fn says(text: Option<&str>, lang: lienhe::domain::Lang, id: &str) -> bool {
    const HOLE: &str = "\u{E000}";
    let Some(text) = text else { return false };
    // Every variable the locale files use.
    let args: std::collections::HashMap<&str, &str> = [
        "active",
        "approved",
        "asked",
        "at",
        "attempt",
        "bot",
        "by",
        "cell",
        "cells",
        "code",
        "command",
        "commands",
        "count",
        "date",
        "day",
        "days",
        "delivered",
        "description",
        "due",
        "duties",
        "duty",
        "earliest",
        "error",
        "example",
        "exempt",
        "expected",
        "failed",
        "file",
        "first",
        "flag",
        "from",
        "id",
        "joined",
        "joins",
        "kind",
        "kinds",
        "last",
        "latest",
        "left",
        "line",
        "link",
        "max",
        "member",
        "members",
        "month",
        "months",
        "n",
        "name",
        "names",
        "new_cell",
        "note",
        "of",
        "officers",
        "page",
        "pages",
        "phone",
        "photos",
        "place",
        "previous",
        "read",
        "reason",
        "received",
        "remarks",
        "reports",
        "response",
        "others",
        "people",
        "role",
        "rows",
        "scope",
        "sender",
        "sent",
        "shown",
        "signer",
        "silent",
        "since",
        "state",
        "status",
        "text",
        "to",
        "today",
        "total",
        "typed",
        "unreachable",
        "until",
        "ward",
        "when",
        "who",
        "why",
        "workplace",
        "year",
        "years",
    ]
    .into_iter()
    .map(|name| (name, HOLE))
    .collect();
    let fits = |template: String| {
        let mut rest = text;
        for piece in template.split(HOLE) {
            let piece = piece.trim();
            match rest.find(piece) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        true
    };
    // A count chosen among forms ("once", "1 member", "no month") reads as
    // "other" with a hole: the text may also be the form of 0 or 1, each
    // count of the message on its own.
    const COUNTS: [&str; 10] = [
        "count",
        "months",
        "officers",
        "members",
        "reports",
        "joins",
        "n",
        "delivered",
        "read",
        "photos",
    ];
    let loader = lienhe::i18n::loader(lang);
    let render = |counts: &[(&str, i64)]| {
        let mut values = std::collections::HashMap::new();
        for (name, hole) in &args {
            match counts.iter().find(|(n, _)| n == name) {
                Some((_, n)) => values.insert(*name, (*n).into()),
                None => values.insert(*name, (*hole).into()),
            };
        }
        loader.get_args_concrete(id, values)
    };
    let holes = render(&[]);
    let used: Vec<&str> = COUNTS
        .into_iter()
        .filter(|name| render(&[(name, 1)]) != holes)
        .collect();
    // Every choice of hole, 0 or 1 for each count the message uses.
    (0..3usize.pow(used.len() as u32)).any(|mut choice| {
        let mut counts = Vec::new();
        for name in &used {
            match choice % 3 {
                1 => counts.push((*name, 0)),
                2 => counts.push((*name, 1)),
                _ => {}
            }
            choice /= 3;
        }
        fits(render(&counts))
    })
}

/// The label of the first button whose callback data is `data` (or starts
/// with it, for data ending in ':').
pub fn label_of(message: &Sent, data: &str) -> Option<String> {
    message
        .buttons()
        .into_iter()
        .find(|(_, d)| d == data || (data.ends_with(':') && d.starts_with(data)))
        .map(|(label, _)| label)
}

/// The data of the button on `message` whose data starts with `prefix`.
pub fn data_of(message: &Sent, prefix: &str) -> String {
    message
        .buttons()
        .into_iter()
        .map(|(_, data)| data)
        .find(|data| data.starts_with(prefix))
        .unwrap_or_else(|| panic!("no button {prefix:?} on {:?}", message.text))
}

/// A person's full name told apart by a number, in letters only (a name
/// with digits is refused): `numbered_name("Nguyễn Văn", 12)` is
/// "Nguyễn Văn Một-Hai".
pub fn numbered_name(family: &str, n: u64) -> String {
    const DIGITS: [&str; 10] = [
        "Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín",
    ];
    let spelled: Vec<&str> = n
        .to_string()
        .bytes()
        .map(|b| DIGITS[usize::from(b - b'0')])
        .collect();
    format!("{family} {}", spelled.join("-"))
}

/// A cell's secretary, an approved member, an officer of the member's
/// workplace, and the ids of that workplace and membership ([`cast`]).
pub struct Cast {
    pub secretary: TgUser,
    pub member: TgUser,
    pub officer: TgUser,
    pub workplace: i64,
    pub membership: i64,
}

/// A cell with its secretary and an approved member of the first
/// workplace, and an officer of that workplace; all speaking `lang`.
pub async fn cast(h: &Harness, lang: lienhe::domain::Lang) -> Cast {
    let user = |id, name| user_in(lang, id, name);
    let (secretary, member, officer) = (user(100, "Bình"), user(300, "An"), user(700, "Cán bộ"));
    h.cell_with_member(&secretary, &member).await;
    let (membership, workplace): (i64, i64) =
        sqlx::query_as("SELECT id, workplace_id FROM memberships WHERE user_id = 300")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    h.ask(
        &officer,
        &format!("/start {}", h.officer_code(workplace).await),
    )
    .await;
    Cast {
        secretary,
        member,
        officer,
        workplace,
        membership,
    }
}

/// A user whose Telegram app speaks `lang`.
pub fn user_in(lang: lienhe::domain::Lang, id: i64, name: &str) -> TgUser {
    match lang {
        lienhe::domain::Lang::Vi => vi_user(id, name),
        lienhe::domain::Lang::En => en_user(id, name),
    }
}

pub fn vi_user(id: i64, name: &str) -> TgUser {
    TgUser::new(id, name, Some("vi"))
}

pub fn en_user(id: i64, name: &str) -> TgUser {
    TgUser::new(id, name, Some("en"))
}

/// Members of `cell` inserted straight into the database (user ids from
/// `first`, named "Đảng viên ID"), approved or pending, with a workplace or
/// none. They have not written to the bot (see [`seed_members`]).
pub async fn insert_members(
    h: &Harness,
    cell: i64,
    workplace: Option<i64>,
    first: i64,
    count: i64,
    status: &str,
) {
    let since = default_now() - chrono::Duration::days(200);
    for id in first..first + count {
        sqlx::query(
            "INSERT INTO users (id, full_name, tg_name, language, first_seen_at, last_seen_at)
             VALUES (?, ?, ?, 'vi', ?, ?)",
        )
        .bind(id)
        .bind(format!("Đảng viên {id}"))
        .bind(format!("dv{id}"))
        .bind(default_now())
        .bind(default_now())
        .execute(&h.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                      decided_at, workplace_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(format!("seed-{id}"))
        .bind(id)
        .bind(cell)
        .bind(format!("Đảng viên {id}"))
        .bind(status)
        .bind(since)
        .bind((status == "approved").then_some(since))
        .bind(workplace)
        .execute(&h.pool)
        .await
        .unwrap();
    }
}

/// Approved members inserted straight into the database (ids from `first`),
/// each of whom has written to the bot (so the fake lets the bot write to
/// them).
pub async fn seed_members(h: &Harness, cell: i64, first: i64, count: i64) {
    for id in first..first + count {
        h.api.introduce(&vi_user(id, &format!("dv{id}")));
    }
    insert_members(h, cell, None, first, count, "approved").await;
}

/// The write lock held by [`Harness::hold_database`].
pub struct Held {
    conn: sqlx::pool::PoolConnection<sqlx::Sqlite>,
    now: DateTime<Utc>,
}

impl Held {
    /// Takes `role` from `user_id` in the held write (as the operator's
    /// `revoke-role` does) and commits it, letting the waiting update on.
    pub async fn revoke(mut self, user_id: i64, role: lienhe::store::committee::Role) {
        let change = lienhe::store::committee::Change {
            actor: None,
            invite: None,
        };
        let revoked =
            lienhe::store::committee::revoke_in(&mut self.conn, user_id, role, change, self.now)
                .await
                .unwrap();
        assert!(revoked, "{user_id} held the role");
        sqlx::query("COMMIT")
            .execute(&mut *self.conn)
            .await
            .unwrap();
    }

    /// Runs `sql` (its one parameter bound to `id`, after the held write's
    /// time) in the held write and commits it, letting the waiting update
    /// on: an operator's or another chat's change landing first.
    pub async fn commit_with(self, sql: &'static str, id: i64) {
        let now = self.now;
        self.commit_with_at(sql, now, id).await;
    }

    /// [`Held::commit_with`], its first parameter bound to `at` rather
    /// than the held write's time.
    pub async fn commit_with_at(mut self, sql: &'static str, at: DateTime<Utc>, id: i64) {
        sqlx::query(sql)
            .bind(at)
            .bind(id)
            .execute(&mut *self.conn)
            .await
            .unwrap();
        sqlx::query("COMMIT")
            .execute(&mut *self.conn)
            .await
            .unwrap();
    }

    /// Changes the workplace of membership `id` to the registered workplace
    /// `to` in the held write, as /profile does (the change kept with the
    /// workplace it replaces), and commits it, letting the waiting update
    /// on: the member's change landing first.
    pub async fn change_workplace(mut self, id: i64, to: i64) {
        sqlx::query(
            "INSERT INTO workplace_changes (membership_id, from_workplace_id, from_workplace_name,
                                            to_workplace_id, to_workplace_name, changed_at)
             SELECT id, workplace_id, workplace_name, ?, NULL, ? FROM memberships WHERE id = ?",
        )
        .bind(to)
        .bind(self.now)
        .bind(id)
        .execute(&mut *self.conn)
        .await
        .unwrap();
        sqlx::query("UPDATE memberships SET workplace_id = ?, workplace_name = NULL WHERE id = ?")
            .bind(to)
            .bind(id)
            .execute(&mut *self.conn)
            .await
            .unwrap();
        sqlx::query("COMMIT")
            .execute(&mut *self.conn)
            .await
            .unwrap();
    }

    /// Lets the held write go, having changed nothing.
    pub async fn release(mut self) {
        sqlx::query("ROLLBACK")
            .execute(&mut *self.conn)
            .await
            .unwrap();
    }
}
