//! The real `lienhe run` process against the fake Bot API: it answers,
//! sets its menus, and stops cleanly on SIGTERM; it waits for a Telegram it
//! cannot reach, stops on a refused token, and outlives failing polls.

use std::{
    process::{ExitStatus, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncRead, BufReader},
    process::Child,
};

use crate::common::*;

const TOKEN: &str = "123456:SECRET-TOKEN";

/// A running `lienhe run` and everything it has logged so far.
struct Process {
    child: Child,
    log: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Process {
    /// Starts `lienhe run` with this Bot API address and token, on a fresh
    /// database; stdout and stderr are both collected.
    fn start(api_url: &str, token: &str) -> Process {
        Process::start_with(api_url, token, &[])
    }

    /// `start` with more environment variables.
    fn start_with(api_url: &str, token: &str, env: &[(&str, &str)]) -> Process {
        Process::start_on(tempfile::tempdir().unwrap(), api_url, token, env)
    }

    /// The database `lienhe run` uses in `dir`.
    fn database(dir: &std::path::Path) -> String {
        format!("sqlite://{}", dir.join("run.db").display())
    }

    /// `start_with` on the database in `dir` (made beforehand, or new).
    fn start_on(
        dir: tempfile::TempDir,
        api_url: &str,
        token: &str,
        env: &[(&str, &str)],
    ) -> Process {
        let db = Process::database(dir.path());
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lienhe"))
            .arg("run")
            // Outside the checkout: never an operator's `.env` kept in it.
            .current_dir(std::env::temp_dir())
            .envs(env.iter().copied())
            // The notice at join has its own tests (tests/chat/consent.rs).
            .env("LIENHE_CONSENT_NOTICE", "off")
            .env("TELOXIDE_TOKEN", token)
            .env("TELOXIDE_API_URL", api_url)
            .env("DATABASE_URL", &db)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the binary starts");
        let log = Arc::new(Mutex::new(String::new()));
        collect(child.stdout.take().unwrap(), log.clone());
        collect(child.stderr.take().unwrap(), log.clone());
        Process {
            child,
            log,
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until a logged line contains `needle`.
    async fn wait_log(&self, needle: &str, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while !self.log().contains(needle) {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        true
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends SIGTERM (releasing a pending long poll, if any) and waits for
    /// the exit.
    async fn terminate(&mut self, api: Option<&FakeApi>) -> ExitStatus {
        sigterm(self.child.id().expect("running"));
        if let Some(api) = api {
            api.close_getupdates();
        }
        self.exit(Duration::from_secs(20)).await
    }

    async fn exit(&mut self, timeout: Duration) -> ExitStatus {
        let status = tokio::time::timeout(timeout, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("no exit in {timeout:?}:\n{}", self.log()))
            .unwrap();
        // Let the readers take the last lines.
        tokio::time::sleep(Duration::from_millis(100)).await;
        status
    }
}

fn collect(stream: impl AsyncRead + Unpin + Send + 'static, log: Arc<Mutex<String>>) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let mut log = log.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
}

#[tokio::test]
async fn lienhe_run_answers_and_stops_cleanly_on_sigterm() {
    let api = FakeApi::start().await;
    let mut run = Process::start(api.url().as_str(), TOKEN);

    let user = vi_user(4242, "Người mới");
    api.text(&user, "/start");
    let replies = api.wait_sent(4242, 1, Duration::from_secs(20)).await;
    assert!(
        replies[0].text.clone().unwrap().contains("Kính chào"),
        "{replies:?}"
    );
    assert!(
        api.calls_of("setMyCommands").len() >= 3,
        "default menus per language"
    );

    let exit = run.terminate(Some(&api)).await;
    assert!(exit.success(), "{exit:?}");
    let log = run.log();
    assert!(log.contains("lienhe stopped"), "{log}");
    assert!(!log.contains("SECRET-TOKEN"), "the token is never logged");
}

#[tokio::test]
async fn lienhe_run_waits_for_a_telegram_it_cannot_reach() {
    // A port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let mut run = Process::start(&url, TOKEN);
    assert!(
        run.wait_log("Telegram unreachable at", Duration::from_secs(10))
            .await,
        "{}",
        run.log()
    );
    // It keeps trying (every 1 s, 2 s, 4 s, …) instead of giving up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(run.running(), "{}", run.log());
    let log = run.log();
    assert!(log.contains(&format!("127.0.0.1:{port}")), "{log}");
    assert!(log.contains("trying again in"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(!log.contains("SECRET-TOKEN"), "the token is never logged");

    // SIGTERM while waiting is a clean stop.
    let exit = run.terminate(None).await;
    assert!(exit.success(), "{exit:?}\n{}", run.log());
}

#[tokio::test]
async fn lienhe_run_stops_when_telegram_refuses_the_token() {
    let api = FakeApi::start().await;
    api.refuse_token("123456:REVOKED-TOKEN");
    let mut run = Process::start(api.url().as_str(), "123456:REVOKED-TOKEN");
    let exit = run.exit(Duration::from_secs(20)).await;
    let log = run.log();
    assert!(!exit.success(), "{exit:?}\n{log}");
    assert!(log.contains("Telegram refused the bot token"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(!log.contains("REVOKED-TOKEN"), "the token is never logged");
    assert_eq!(
        api.calls_of("getMe").len(),
        1,
        "no retry: a refusal is final"
    );
}

/// Variables left blank in an env file (as the example file's optional
/// ones may be) are taken as not set: the bot starts.
#[tokio::test]
async fn lienhe_run_takes_blank_variables_as_unset() {
    let api = FakeApi::start().await;
    let blank = [
        ("LIENHE_OPERATOR_CHAT", ""),
        ("LIENHE_BACKUP_DIR", ""),
        ("LIENHE_METRICS_ADDR", " "),
        ("LIENHE_RETENTION_DAYS", ""),
        ("LIENHE_BACKUP_KEEP", ""),
    ];
    let mut run = Process::start_with(api.url().as_str(), TOKEN, &blank);
    assert!(
        run.wait_log("connected to Telegram", Duration::from_secs(20))
            .await,
        "{}",
        run.log()
    );
    assert!(run.log().contains("no scheduled backups"), "{}", run.log());
    let exit = run.terminate(Some(&api)).await;
    assert!(exit.success(), "{exit:?}\n{}", run.log());
}

/// A token refused at start-up leaves the queued messages queued (they are
/// not the recipients' failures), and one revoked while the bot runs stops
/// it as at start-up, with a failure status for the supervisor.
#[tokio::test]
async fn a_refused_token_keeps_the_queue_and_stops_the_bot_while_running() {
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = Process::database(dir.path());
    {
        let pool = lienhe::store::open(&db).await.unwrap();
        let notice = lienhe::store::outbox::Notice {
            chat_id: 700,
            payload: lienhe::store::outbox::Payload {
                text: "Thông báo".into(),
                ..Default::default()
            },
        };
        let mut conn = pool.acquire().await.unwrap();
        lienhe::store::outbox::enqueue_notices(&mut conn, &[notice], chrono::Utc::now())
            .await
            .unwrap();
        drop(conn);
        pool.close().await;
    }
    api.refuse_token(TOKEN);
    let mut run = Process::start_on(dir, api.url().as_str(), TOKEN, &[]);
    let exit = run.exit(Duration::from_secs(20)).await;
    assert!(!exit.success(), "{exit:?}\n{}", run.log());
    let pool = lienhe::store::open(&db).await.unwrap();
    let (status, attempts): (String, i64) =
        sqlx::query_as("SELECT status, attempts FROM outbox WHERE chat_id = 700")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("queued", 0), "{}", run.log());
    pool.close().await;

    // Revoked while running: the next poll is refused, the bot stops.
    let api = FakeApi::start().await;
    let mut run = Process::start(api.url().as_str(), TOKEN);
    assert!(
        run.wait_log("connected to Telegram", Duration::from_secs(20))
            .await,
        "{}",
        run.log()
    );
    api.refuse_token(TOKEN);
    api.close_getupdates();
    let exit = run.exit(Duration::from_secs(20)).await;
    let log = run.log();
    assert!(!exit.success(), "{exit:?}\n{log}");
    assert!(log.contains("Telegram refused the bot token"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(!log.contains("SECRET-TOKEN"), "the token is never logged");
}

/// A Bot API address or a proxy teloxide cannot use (it would panic on
/// them) stops `lienhe run` at once with one line naming the variable.
#[tokio::test]
async fn lienhe_run_names_a_bad_api_url_or_proxy() {
    let api = FakeApi::start().await;
    for (url, env, variable) in [
        ("not a url", vec![], "TELOXIDE_API_URL"),
        (
            api.url().as_str(),
            vec![("TELOXIDE_PROXY", "not a proxy")],
            "TELOXIDE_PROXY",
        ),
    ] {
        let mut run = Process::start_with(url, "123456:TOKEN", &env);
        let exit = run.exit(Duration::from_secs(20)).await;
        let log = run.log();
        assert!(!exit.success(), "{exit:?}\n{log}");
        assert!(log.contains(variable), "{log}");
        assert!(!log.contains("panicked"), "{log}");
    }
    assert_eq!(api.calls_of("getMe").len(), 0);
}

#[tokio::test]
async fn lienhe_run_outlives_failing_polls() {
    let api = FakeApi::start().await;
    let mut run = Process::start(api.url().as_str(), TOKEN);
    let user = vi_user(4343, "Người dùng");
    api.text(&user, "/start");
    api.wait_sent(4343, 1, Duration::from_secs(20)).await;

    // Telegram breaks down for a while: a dropped connection, then a 502
    // (teloxide waits 10 s before reading any 5xx answer).
    api.fail_next("getUpdates", None, Fault::Disconnect, 1);
    api.fail_next("getUpdates", None, Fault::ServerError(502), 1);
    api.close_getupdates();
    api.text(&user, "/help");
    assert!(
        run.wait_log("getUpdates failed", Duration::from_secs(10))
            .await,
        "{}",
        run.log()
    );
    assert!(run.running(), "{}", run.log());
    let replies = api.wait_sent(4343, 2, Duration::from_secs(40)).await;
    assert_eq!(replies.len(), 2, "/help answered\n{}", run.log());
    assert!(run.running());

    let exit = run.terminate(Some(&api)).await;
    assert!(exit.success(), "{exit:?}");
    let log = run.log();
    assert_eq!(log.matches("getUpdates failed").count(), 2, "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

/// `GET /metrics` over plain HTTP/1.0: the body.
async fn scrape(addr: &str) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: lienhe\r\n\r\n")
        .await
        .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.0 200").then(|| body.to_string())
}

#[tokio::test]
async fn lienhe_run_serves_metrics_when_asked() {
    let api = FakeApi::start().await;
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let mut run = Process::start_with(
        api.url().as_str(),
        TOKEN,
        &[("LIENHE_METRICS_ADDR", addr.as_str())],
    );
    let user = vi_user(4343, "Người xem");
    api.text(&user, "/start");
    api.wait_sent(4343, 1, Duration::from_secs(20)).await;
    // The update is counted once its handler has finished.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let body = loop {
        if let Some(body) = scrape(&addr).await
            && body.contains("lienhe_updates_handled_total 1")
        {
            break body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no metrics at {addr}:\n{}",
            run.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(body.contains("lienhe_up 1"), "{body}");
    assert!(body.contains("lienhe_handler_seconds"), "{body}");
    // The outbox's gauge and the scheduler's first tick may be behind the
    // update's handler (a machine busy with other work): wait for them
    // rather than read them once.
    metrics_with(&addr, "lienhe_outbox_queued 0", &run).await;
    metrics_with(&addr, "lienhe_scheduler_runs_total{outcome=\"ok\"}", &run).await;
    assert!(run.log().contains("serving metrics at /metrics"));
    let exit = run.terminate(Some(&api)).await;
    assert!(exit.success(), "{exit:?}");
}

/// Scrapes `addr` until the metrics hold `needle` (30 s at most).
async fn metrics_with(addr: &str, needle: &str, run: &Process) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(body) = scrape(addr).await
            && body.contains(needle)
        {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {needle:?} in the metrics at {addr}:\n{}",
            run.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The line of the metric `name` (without labels), if it is served.
fn metric_line(body: &str, name: &str) -> Option<String> {
    body.lines()
        .find(|l| l.split_once(' ').is_some_and(|(n, _)| n == name))
        .map(str::to_owned)
}

/// README (Metrics): `lienhe_backup_last_success_timestamp_seconds` says
/// when the last daily backup was written, for an alert on its age. The
/// bot is restarted (a deployment, a crash) after the day's backup was
/// written: the gauge still says when it was, read from the backup
/// directory; the counter of backups is this process's (none yet).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_backups_time_is_served_again_after_a_restart() {
    const GAUGE: &str = "lienhe_backup_last_success_timestamp_seconds";
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups").display().to_string();
    let free = || {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let env = |addr| {
        [
            ("LIENHE_BACKUP_DIR", backups.as_str()),
            ("LIENHE_BACKUP_HOUR", "0"),
            ("LIENHE_METRICS_ADDR", addr),
        ]
    };

    // The first run writes the day's backup.
    let addr = free();
    let mut first = Process::start_on(dir, api.url().as_str(), TOKEN, &env(&addr));
    let body = metrics_with(&addr, &format!("{GAUGE} "), &first).await;
    let written = metric_line(&body, GAUGE).unwrap();
    assert!(
        body.contains("lienhe_backups_total{outcome=\"written\"} 1"),
        "{body}"
    );
    assert!(first.terminate(Some(&api)).await.success());
    let dir = first._dir;

    // The same day, after a restart: once the scheduler has looked, the
    // gauge says when the backup was written.
    let addr = free();
    let mut second = Process::start_on(dir, api.url().as_str(), TOKEN, &env(&addr));
    let body = metrics_with(&addr, "lienhe_scheduler_runs_total", &second).await;
    assert_eq!(
        metric_line(&body, GAUGE),
        Some(written),
        "{body}\n{}",
        second.log()
    );
    assert!(!body.contains("lienhe_backups_total{"), "{body}");
    assert!(second.terminate(Some(&api)).await.success());
}

/// The database's lock file deleted while the bot runs (a clean-up of the
/// directory, an operator tidying by hand) is made again and held at once:
/// a second `lienhe run` on the same database is still refused, never a
/// second bot polling beside the first.
#[tokio::test]
async fn a_lock_file_deleted_while_the_bot_runs_still_refuses_a_second_bot() {
    let api = FakeApi::start().await;
    let mut run = Process::start(api.url().as_str(), TOKEN);
    let user = vi_user(4242, "Người mới");
    api.text(&user, "/start");
    api.wait_sent(4242, 1, Duration::from_secs(20)).await;
    let lock = run._dir.path().join("run.db.lock");
    std::fs::remove_file(&lock).expect("the running bot's lock file");

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !lock.exists() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the lock file is not made again:\n{}",
            run.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let second = tokio::process::Command::new(env!("CARGO_BIN_EXE_lienhe"))
        .arg("run")
        .current_dir(std::env::temp_dir())
        .env("LIENHE_CONSENT_NOTICE", "off")
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url().as_str())
        .env("DATABASE_URL", Process::database(run._dir.path()))
        .output();
    let second = tokio::time::timeout(Duration::from_secs(20), second)
        .await
        .expect("the second bot stops at once")
        .unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        !second.status.success() && err.contains("a bot is already running"),
        "{err}"
    );
    assert!(run.running(), "the first bot goes on:\n{}", run.log());
    let exit = run.terminate(Some(&api)).await;
    assert!(exit.success(), "{exit:?}");
}
