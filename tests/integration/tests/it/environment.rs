//! `Client::from_env` against the real process environment: each case runs
//! this test binary again, with the variables set as the case says, and
//! reads what the client built there reported.

use std::process::Command;

const VARS: [&str; 4] = [
    "GENESYS_REGION",
    "GENESYS_CLIENT_ID",
    "GENESYS_CLIENT_SECRET",
    "GENESYS_TOKEN",
];

/// Run only as the child of [`from_env_reads_the_process_environment`].
#[test]
#[ignore = "run by from_env_reads_the_process_environment with its own environment"]
fn child_reports_from_env() {
    match scim_sdk::Client::from_env() {
        Ok(client) => println!("<<ok {}>>", client.base_url()),
        Err(e) => println!("<<err {}>>", e.message()),
    }
}

fn from_env_with(vars: &[(&str, &str)]) -> String {
    let mut child = Command::new(std::env::current_exe().expect("test binary"));
    child.args([
        "--exact",
        "environment::child_reports_from_env",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for name in VARS {
        child.env_remove(name);
    }
    child.envs(vars.iter().copied());
    let out = child.output().expect("run the child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let start = stdout.find("<<").expect("the child reported");
    let end = stdout[start..].find(">>").expect("report end") + start;
    stdout[start + 2..end].to_owned()
}

#[test]
fn from_env_reads_the_process_environment() {
    let all = [
        ("GENESYS_REGION", "eu-west-1"),
        ("GENESYS_CLIENT_ID", "id"),
        ("GENESYS_CLIENT_SECRET", "secret-in-env"),
    ];
    assert_eq!(from_env_with(&all), "ok https://api.mypurecloud.ie");
    for missing in [
        "GENESYS_REGION",
        "GENESYS_CLIENT_ID",
        "GENESYS_CLIENT_SECRET",
    ] {
        let some: Vec<(&str, &str)> = all.iter().copied().filter(|(k, _)| *k != missing).collect();
        let report = from_env_with(&some);
        assert!(
            report.starts_with("err ") && report.contains(missing),
            "{missing}: {report}"
        );
        assert!(!report.contains("secret-in-env"), "{report}");
    }
    let token = [("GENESYS_REGION", "us-east-1"), ("GENESYS_TOKEN", "t")];
    assert_eq!(from_env_with(&token), "ok https://api.mypurecloud.com");
}
