//! How long an apply will take: the plan says it at the pace chosen, and
//! progress lines say how long is left.

use crate::common::{on, org, people, sync};

const PROMOTIONS: &str = "\
jane@example.com,Jane Doe,E-1,,Senior Agent,+15550100,bob@example.com,Support
bob@example.com,Bob Boss,E-2,,Director,,,
";

#[test]
fn the_plan_says_how_long_the_apply_takes_at_the_pace_and_progress_shows_the_time_left() {
    let org = org();
    let path = people("estimates.csv", PROMOTIONS);
    let r = sync(&org.server, &["plan"], &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("at the default pace of 300 requests a minute (faster if the org announces a higher limit): about 1 s"),
        "{}",
        r.stdout
    );

    let r = on(
        &org.server,
        &[
            "sync",
            "apply",
            "--yes",
            "--rate-limit",
            "60",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("at 60 requests a minute: about 2 s"),
        "{}",
        r.stdout
    );
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains("[1/2]") && first.contains(" left)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_run_of_milliseconds_claims_no_second_left() {
    let org = org();
    let path = people("estimates-fast.csv", PROMOTIONS);
    let r = on(
        &org.server,
        &[
            "sync",
            "apply",
            "--yes",
            "--rate-limit",
            "0",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("[1/2]"), "{}", r.stderr);
    assert!(!r.stderr.contains(" left)"), "{}", r.stderr);
}
