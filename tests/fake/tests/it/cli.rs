//! The `scim-fake` binary: flags, errors and a served request.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_scim-fake");

#[test]
fn bad_flags_exit_2_with_usage() {
    for args in [&["--port", "x"][..], &["--rate-limit"], &["--bogus"]] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("usage: scim-fake"), "{args:?}: {err}");
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("usage: scim-fake"));
}

/// Kills the server however the test ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_server_prints_its_url_and_applies_the_rate_limit() {
    let mut child = Running(
        Command::new(BIN)
            .args(["--rate-limit", "1", "--service-time-ms", "1"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // Kept open while the server runs, as a terminal would be.
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first
        .trim()
        .strip_prefix("base_url")
        .unwrap()
        .trim()
        .to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let get = || {
        agent
            .get(format!("{base}/api/v2/scim/v2/users"))
            .header("Authorization", "Bearer fake-token")
            .call()
            .map(|r| r.status().as_u16())
    };
    assert_eq!(get().unwrap(), 200);
    assert_eq!(get().unwrap(), 429);
}
