//! Ctrl-C during `sync apply`: no new item is started, the ones in flight
//! finish, the summary is printed and the exit code is 130.

use crate::common::{Org, org, people, scim, seed, temp_file, writes};
use serde_json::json;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A paced `sync apply` on one worker, with an audit log, of `agents`
/// title changes (Jane and Bob kept as they are): slow enough to be
/// stopped part way. Its output is piped when `piped`.
pub fn slow_apply(
    org: &Org,
    name: &str,
    agents: usize,
    per_minute: &str,
    piped: bool,
) -> (Child, PathBuf) {
    for i in 0..agents {
        seed(
            &org.server,
            json!({"userName": format!("agent{i:02}@example.com"), "displayName": format!("Agent {i}"),
                   "externalId": format!("E-1{i:02}"), "title": "Agent"}),
        );
    }
    org.server.clear_journal();
    let rows: String = (0..agents)
        .map(|i| format!("agent{i:02}@example.com,Agent {i},E-1{i:02},,Lead,,,\n"))
        .collect();
    let keep = "jane@example.com,Jane Doe,E-1,,Agent,+15550100,bob@example.com,Support\n\
                bob@example.com,Bob Boss,E-2,,Manager,,,\n";
    let path = people(&format!("{name}.csv"), &format!("{keep}{rows}"));
    let log = temp_file(&format!("{name}.jsonl"));
    let output = || if piped { Stdio::piped() } else { Stdio::null() };
    let child = scim()
        .args([
            "--base-url",
            &org.server.base_url(),
            "--token",
            &org.server.token(),
        ])
        .args([
            "sync",
            "apply",
            "--yes",
            "--rate-limit",
            per_minute,
            "--concurrency",
            "1",
        ])
        .args([
            "--audit-log",
            log.to_str().unwrap(),
            "--from",
            path.to_str().unwrap(),
        ])
        .stdout(output())
        .stderr(output())
        .spawn()
        .unwrap();
    (child, log)
}

#[test]
fn ctrl_c_stops_starting_items_prints_the_summary_and_exits_130() {
    let org = org();
    let (mut child, log) = slow_apply(&org, "interrupt", 12, "120", true);
    // The items' lines, after the run's first.
    let logged = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.contains("\"run_started\""))
            .count()
    };
    let started = Instant::now();
    while logged() < 2 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Applied: 0 created, "),
        "the summary: {stdout}"
    );
    let written = writes(&org.server).len();
    assert!(written < 12, "stopped part way: {written} writes");
    assert_eq!(
        logged(),
        written,
        "the write in flight finished and was logged"
    );
    assert!(stderr.contains("not started"), "{stderr}");
}

#[test]
fn a_second_ctrl_c_exits_at_once() {
    let org = org();
    // Six writes a minute: the item after the first waits ten seconds for
    // its turn, in flight.
    let (mut child, log) = slow_apply(&org, "interrupt-twice", 4, "6", false);
    let logged = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let started = Instant::now();
    while logged() < 1 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let interrupted = Instant::now();
    for _ in 0..2 {
        std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(
        interrupted.elapsed() < Duration::from_secs(5),
        "exited without waiting for the item in flight: {:?}",
        interrupted.elapsed()
    );
}
