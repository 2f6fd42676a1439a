//! The real `lienhe run` process against the fake Bot API: it answers,
//! sets its menus, and stops cleanly on SIGTERM.

use std::{process::Stdio, time::Duration};

use crate::common::*;

#[tokio::test]
async fn lienhe_run_answers_and_stops_cleanly_on_sigterm() {
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("run.db").display());
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lienhe"))
        .arg("run")
        .env("TELOXIDE_TOKEN", "123456:SECRET-TOKEN")
        .env("TELOXIDE_API_URL", api.url().as_str())
        .env("DATABASE_URL", &db)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");

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

    let pid = child.id().expect("running").to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    api.close_getupdates();
    let exit = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("stops in time")
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    let mut stderr = String::new();
    use tokio::io::AsyncReadExt;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    assert!(stderr.contains("lienhe stopped"), "{stderr}");
    assert!(
        !stderr.contains("SECRET-TOKEN"),
        "the token is never logged"
    );
}
