//! Connection options, exit codes 2 and 3, and secrets kept out of output.

use crate::common::{on, org, run, scim};
use scim_fake::FakeServer;

#[test]
fn without_an_org_to_talk_to_the_exit_code_is_2() {
    let r = run(scim().args(["users", "list"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("--region"), "{}", r.stderr);
    assert!(r.stderr.contains("--fake"), "{}", r.stderr);
}

#[test]
fn an_unknown_region_or_missing_credentials_is_a_usage_error() {
    let r = run(scim().args(["--region", "atlantis-1", "users", "list"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("unknown Genesys Cloud region `atlantis-1`"),
        "{}",
        r.stderr
    );

    let r = run(scim()
        .env("GENESYS_REGION", "eu-west-1")
        .args(["users", "list"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("no credentials"), "{}", r.stderr);
    assert!(r.stderr.contains("GENESYS_CLIENT_ID"), "{}", r.stderr);
}

#[test]
fn a_base_url_the_sdk_refuses_is_a_usage_error() {
    // Plain HTTP is for loopback only: a token must not cross a network in clear.
    let r = run(scim().args([
        "--base-url",
        "http://scim.example.com",
        "--token",
        "t",
        "users",
        "list",
    ]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("http://scim.example.com"), "{}", r.stderr);
}

#[test]
fn conflicting_or_missing_arguments_are_usage_errors() {
    for args in [
        &["--fake", "--region", "us-east-1", "users", "list"][..],
        &[
            "--fake",
            "--base-url",
            "http://127.0.0.1:1",
            "users",
            "list",
        ],
        &["users"],
        &["users", "get"],
        &["users", "list", "--output", "xml"],
    ] {
        let r = run(scim().args(args));
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn options_may_follow_the_command() {
    let org = org();
    let r = run(scim().args([
        "users",
        "list",
        "--output",
        "json",
        "--base-url",
        &org.server.base_url(),
        "--token",
        &org.server.token(),
    ]));
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json().as_array().map(Vec::len), Some(3));
}

#[test]
fn the_token_can_come_from_the_environment() {
    let org = org();
    let r = run(scim().env("GENESYS_TOKEN", org.server.token()).args([
        "--base-url",
        &org.server.base_url(),
        "users",
        "list",
    ]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("jane@example.com"));
}

#[test]
fn a_refused_token_exits_3() {
    let server = FakeServer::builder()
        .token("the-right-one")
        .start()
        .unwrap();
    let r = run(scim().args([
        "--base-url",
        &server.base_url(),
        "--token",
        "the-wrong-one",
        "users",
        "list",
    ]));
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("HTTP 401"), "{}", r.stderr);
}

#[test]
fn refused_client_credentials_exit_3() {
    let server = FakeServer::builder()
        .client_credentials("the-id", "the-secret")
        .start()
        .unwrap();
    let r = run(scim()
        .env("GENESYS_CLIENT_ID", "the-id")
        .env("GENESYS_CLIENT_SECRET", "not-the-secret")
        .args([
            "--base-url",
            &server.base_url(),
            "--token-url",
            &server.token_url(),
        ])
        .args(["users", "list"]));
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("authentication failed"), "{}", r.stderr);
}

#[test]
fn an_unreachable_server_exits_3() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let r = run(scim().args(["--base-url", &url, "--token", "t", "groups", "list"]));
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("connection failed"), "{}", r.stderr);
}

#[test]
fn secrets_never_appear_in_output_errors_or_verbose_logs() {
    let server = FakeServer::builder()
        .token("static-TOKEN-7f3a")
        .client_credentials("client-4d2c", "client-SECRET-9b1e")
        .start()
        .unwrap();
    server
        .seed_user(serde_json::json!({"userName": "jane@example.com", "password": "pw-SECRET-55"}));
    let base = server.base_url();
    let token_url = server.token_url();
    let with_credentials = |secret: &str, args: &[&str]| {
        run(scim()
            .env("GENESYS_CLIENT_ID", "client-4d2c")
            .env("GENESYS_CLIENT_SECRET", secret)
            .args(["-vv", "--base-url", &base, "--token-url", &token_url])
            .args(args))
    };
    let runs = [
        // Client credentials: a token is fetched and used, bodies logged.
        with_credentials("client-SECRET-9b1e", &["users", "list", "--output", "json"]),
        with_credentials("client-SECRET-9b1e", &["export", "users"]),
        // A wrong secret: the error must not quote it.
        with_credentials("wrong-SECRET-0c0c", &["users", "list"]),
        // A bearer token, accepted and refused.
        run(scim()
            .args(["-vv", "--base-url", &base, "--token", "static-TOKEN-7f3a"])
            .args(["groups", "list"])),
        run(scim().args([
            "-vv",
            "--base-url",
            &base,
            "--token",
            "bad-TOKEN-1d1d",
            "users",
            "list",
        ])),
    ];
    assert_eq!(runs[0].code, 0, "{:?}", runs[0]);
    assert!(
        runs[0].stderr.contains("DEBUG"),
        "-vv logs requests: {}",
        runs[0].stderr
    );
    assert_eq!(runs[2].code, 3, "{:?}", runs[2]);
    assert_eq!(runs[4].code, 3, "{:?}", runs[4]);
    // Tokens the fake issued to the CLI, as seen on the wire.
    let issued: Vec<String> = server
        .journal()
        .iter()
        .filter_map(|r| r.header("authorization").map(str::to_owned))
        .filter_map(|h| h.strip_prefix("Bearer ").map(str::to_owned))
        .collect();
    assert!(!issued.is_empty());
    for r in &runs {
        let output = r.all_output();
        for secret in [
            "client-SECRET-9b1e",
            "wrong-SECRET-0c0c",
            "static-TOKEN-7f3a",
            "bad-TOKEN-1d1d",
            "pw-SECRET-55",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(issued.iter().cloned())
        {
            assert!(!output.contains(&secret), "`{secret}` printed in {output}");
        }
    }
}

#[test]
fn verbose_mode_reports_the_request_count() {
    let org = org();
    let r = on(&org.server, &["-v", "groups", "list"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("genesys-scim: API requests sent: 1"),
        "{}",
        r.stderr
    );
}

#[test]
fn verbose_mode_logs_the_sdk_events_not_the_http_library_internals() {
    let org = org();
    let r = on(&org.server, &["-v", "users", "list"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("SCIM request finished"), "{}", r.stderr);
    for internal in ["Call<", "Resolved:", "Connected TcpStream"] {
        assert!(
            !r.stderr.contains(internal),
            "`{internal}` in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn a_404_on_the_first_read_exits_3_naming_the_url() {
    let server = FakeServer::start().unwrap();
    let wrong = format!("{}/wrong/path", server.base_url());
    for args in [
        &["users", "list"][..],
        &["users", "get", "jane@example.com"],
        &["groups", "list"],
        &["groups", "members", "Support"],
        &["export", "users"],
        &[
            "sync",
            "plan",
            "--from",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/people.csv"),
        ],
    ] {
        let r = crate::common::run(
            crate::common::scim()
                .args(["--base-url", &wrong, "--token", &server.token()])
                .args(args),
        );
        assert_eq!(r.code, 3, "{args:?}: {r:?}");
        assert!(r.stderr.contains(&wrong), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("404"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn the_token_can_come_from_a_file_or_stdin() {
    let org = org();
    let path = crate::common::temp_file("token.txt");
    std::fs::write(&path, format!("{}\n", org.server.token())).unwrap();
    let base = ["--base-url".to_owned(), org.server.base_url()];
    let r = run(scim()
        .args(&base)
        .args(["--token-file", path.to_str().unwrap(), "users", "list"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("jane@example.com"));

    let mut child = scim()
        .args(&base)
        .args(["--token-file", "-", "users", "list"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", org.server.token()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("jane@example.com"));
}

#[test]
fn the_client_secret_can_come_from_a_file() {
    let server = FakeServer::builder()
        .client_credentials("the-id", "the-SECRET-5e1d")
        .start()
        .unwrap();
    let path = crate::common::temp_file("secret.txt");
    std::fs::write(&path, "the-SECRET-5e1d\n").unwrap();
    let r = run(scim()
        .env("GENESYS_CLIENT_ID", "the-id")
        .env("GENESYS_CLIENT_SECRET_FILE", &path)
        .args([
            "--base-url",
            &server.base_url(),
            "--token-url",
            &server.token_url(),
        ])
        .args(["users", "list", "-v"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(server.token_requests(), 1);
    assert!(!r.all_output().contains("5e1d"), "{r:?}");
}

#[test]
fn a_missing_or_empty_credentials_file_is_a_usage_error_that_sends_nothing() {
    let server = FakeServer::start().unwrap();
    let empty = crate::common::temp_file("empty-secret.txt");
    std::fs::write(&empty, "\n").unwrap();
    let missing = crate::common::temp_file("no-such-file.txt");
    for (var, flag) in [
        (None, Some(&missing)),
        (None, Some(&empty)),
        (Some(&missing), None),
        (Some(&empty), None),
    ] {
        let mut cmd = scim();
        cmd.args([
            "--base-url",
            &server.base_url(),
            "--token-url",
            &server.token_url(),
        ]);
        if let Some(path) = flag {
            cmd.arg("--token-file").arg(path);
        }
        if let Some(path) = var {
            cmd.env("GENESYS_CLIENT_ID", "the-id")
                .env("GENESYS_CLIENT_SECRET_FILE", path);
        }
        let r = run(cmd.args(["users", "list"]));
        assert_eq!(r.code, 2, "{var:?} {flag:?}: {r:?}");
        let named = var.or(flag).unwrap().display().to_string();
        assert!(r.stderr.contains(&named), "{}", r.stderr);
    }
    assert!(server.journal().is_empty());
    assert_eq!(server.token_requests(), 0);
}

#[test]
fn a_long_wait_is_shown_without_verbose_and_says_why() {
    let org = crate::common::org();
    org.server.inject(scim_fake::Fault::Status {
        status: 503,
        retry_after: Some(3),
        count: 1,
    });
    let r = crate::common::on(&org.server, &["users", "list"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("WARN") && r.stderr.contains("waiting 3 s before retrying"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Retry-After"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_token_or_secret_file_others_can_read_is_warned_about_as_ssh_does() {
    use std::os::unix::fs::PermissionsExt;
    let server = FakeServer::builder()
        .client_credentials("the-id", "the-SECRET-77aa")
        .start()
        .unwrap();
    let token = crate::common::temp_file("shared-token.txt");
    let secret = crate::common::temp_file("shared-secret.txt");
    std::fs::write(&token, server.token()).unwrap();
    std::fs::write(&secret, "the-SECRET-77aa").unwrap();
    let base = [
        "--base-url".to_owned(),
        server.base_url(),
        "--token-url".into(),
        server.token_url(),
    ];
    let with_token = || {
        run(scim()
            .args(&base)
            .arg("--token-file")
            .arg(&token)
            .args(["users", "list"]))
    };
    let with_secret = || {
        run(scim()
            .env("GENESYS_CLIENT_ID", "the-id")
            .env("GENESYS_CLIENT_SECRET_FILE", &secret)
            .args(&base)
            .args(["users", "list"]))
    };
    for mode in [0o644, 0o640, 0o604] {
        for path in [&token, &secret] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        for (path, r) in [(&token, with_token()), (&secret, with_secret())] {
            assert_eq!(r.code, 0, "a warning, not a refusal: {r:?}");
            let name = path.display().to_string();
            assert!(
                r.stderr.contains(&format!(
                    "warning: the secret file {name} is readable by other users"
                )) && r.stderr.contains(&format!("chmod 600 {name}")),
                "{mode:o}: {}",
                r.stderr
            );
            assert!(!r.all_output().contains("77aa"), "{r:?}");
        }
    }
    for path in [&token, &secret] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    for r in [with_token(), with_secret()] {
        assert_eq!(r.code, 0, "{r:?}");
        assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    }
}
