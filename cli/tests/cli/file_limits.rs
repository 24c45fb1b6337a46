//! Files the CLI is handed (saved plans, exclude files, token and secret
//! files) are read up to a bound, whatever they are: a huge file, a device
//! or a pipe that never ends is refused, naming the bound, before anything
//! is sent.

use crate::common::{org, run_within, scim, temp_file};
use scim_fake::FakeServer;
use std::path::Path;

const MIB: u64 = 1 << 20;

/// A file of `len` bytes that takes no disk space and no time to make:
/// a hole, which reads as zeros.
fn sparse(name: &str, len: u64) -> std::path::PathBuf {
    let path = temp_file(name);
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    path
}

fn against(server: &FakeServer) -> std::process::Command {
    let mut cmd = scim();
    cmd.args(["--base-url", &server.base_url(), "--token", &server.token()]);
    cmd
}

#[test]
fn a_saved_plan_over_64_mib_is_refused_at_once_naming_the_bound() {
    let org = org();
    let plan = sparse("huge-plan.json", 1024 * MIB);
    let r = run_within(
        against(&org.server)
            .args(["sync", "apply", "--yes", "--plan"])
            .arg(&plan),
        20,
    );
    std::fs::remove_file(&plan).unwrap();
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("64 MiB"), "{}", r.stderr);
    assert!(r.stderr.contains("huge-plan.json"), "{}", r.stderr);
    assert!(org.server.journal().is_empty(), "nothing sent");
}

#[cfg(unix)]
#[test]
fn an_endless_exclude_file_or_saved_plan_is_read_no_further_than_the_bound() {
    let org = org();
    let people = temp_file("endless.csv");
    std::fs::write(
        &people,
        "userName,displayName,externalId\njane@example.com,Jane Doe,E-1\n",
    )
    .unwrap();
    let zero = Path::new("/dev/zero");
    let runs = [
        against(&org.server)
            .args(["sync", "plan", "--from"])
            .arg(&people)
            .arg("--exclude-file")
            .arg(zero),
        against(&org.server)
            .args(["sync", "apply", "--yes", "--plan"])
            .arg(zero),
    ]
    .map(|cmd| run_within(cmd, 20));
    for r in runs {
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("/dev/zero"), "{}", r.stderr);
        assert!(r.stderr.contains("64 MiB"), "{}", r.stderr);
    }
    assert!(org.server.journal().is_empty(), "nothing sent");
}

#[cfg(unix)]
#[test]
fn a_token_or_secret_file_over_64_kib_is_refused_even_an_endless_one() {
    let server = FakeServer::builder()
        .client_credentials("the-id", "the-SECRET")
        .start()
        .unwrap();
    let big = temp_file("big-token.txt");
    std::fs::write(&big, "t".repeat(64 * 1024 + 1)).unwrap();
    let base = [
        "--base-url".to_owned(),
        server.base_url(),
        "--token-url".into(),
        server.token_url(),
    ];
    let mut runs = Vec::new();
    for token_file in [Path::new("/dev/zero"), &big] {
        runs.push(run_within(
            scim()
                .args(&base)
                .arg("--token-file")
                .arg(token_file)
                .args(["users", "list"]),
            20,
        ));
    }
    runs.push(run_within(
        scim()
            .env("GENESYS_CLIENT_ID", "the-id")
            .env("GENESYS_CLIENT_SECRET_FILE", "/dev/zero")
            .args(&base)
            .args(["users", "list"]),
        20,
    ));
    for r in &runs {
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("64 KiB"), "{}", r.stderr);
    }
    assert!(runs[0].stderr.contains("/dev/zero"), "{}", runs[0].stderr);
    assert!(
        runs[1].stderr.contains("big-token.txt"),
        "{}",
        runs[1].stderr
    );
    assert!(server.journal().is_empty());
    assert_eq!(server.token_requests(), 0);
}

#[cfg(unix)]
#[test]
fn a_token_on_an_endless_stdin_is_refused_at_the_bound() {
    let server = FakeServer::start().unwrap();
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let mut cmd = against_stdin(&server);
    let r = run_within(cmd.stdin(zero), 20);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("64 KiB"), "{}", r.stderr);
    assert!(server.journal().is_empty());
}

fn against_stdin(server: &FakeServer) -> std::process::Command {
    let mut cmd = scim();
    cmd.args([
        "--base-url",
        &server.base_url(),
        "--token-file",
        "-",
        "users",
        "list",
    ]);
    cmd
}
