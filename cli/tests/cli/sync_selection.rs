//! Choosing what a sync touches and telling scripts whether it has work:
//! `sync plan --exit-code`, `--no-deactivate`, `--exclude`, `--exclude-file`
//! and `sync apply --only`, against scim-fake.

use crate::common::{Org, on, org, people, seed, sync, temp_file, user, writes};
use serde_json::json;

/// Jane is promoted and joins Sales; Bob is unchanged; the leaver stays
/// out; nobody new.
const SAME: &str = "\
jane@example.com,Jane Doe,E-1,,Agent,+15550100,bob@example.com,Support
bob@example.com,Bob Boss,E-2,,Manager,,,
";

#[test]
fn plan_exit_code_is_1_with_changes_and_0_in_sync() {
    let Org { server, .. } = org();
    let in_sync = people("exit-code-same.csv", SAME);
    let r = sync(&server, &["plan", "--exit-code"], &in_sync);
    assert_eq!(r.code, 0, "nothing to do: {r:?}");
    assert!(r.stdout.contains("Nothing to do"), "{}", r.stdout);

    let promoted = people(
        "exit-code-changes.csv",
        &SAME.replace(",Agent,", ",Senior Agent,"),
    );
    let r = sync(&server, &["plan", "--exit-code"], &promoted);
    assert_eq!(r.code, 1, "changes pending: {r:?}");
    assert!(r.stdout.contains("Senior Agent"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "no error message: {}", r.stderr);
    let r = sync(&server, &["plan", "--exit-code", "-o", "json"], &promoted);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.json()["summary"]["updated"], 1);

    let r = sync(&server, &["plan"], &promoted);
    assert_eq!(r.code, 0, "without --exit-code a plan is a success: {r:?}");
    assert!(writes(&server).is_empty());
}

/// The org plus a second person HR no longer lists and an account another
/// system (Okta) created, both in the default scope.
fn with_strangers(org: &Org) -> (String, String) {
    let gone = seed(
        &org.server,
        json!({"userName": "gone@example.com", "displayName": "Gone", "externalId": "E-9"}),
    );
    let okta = seed(
        &org.server,
        json!({"userName": "okta.svc@example.com", "displayName": "Okta", "externalId": "OKTA-1"}),
    );
    org.server.clear_journal();
    (gone, okta)
}

#[test]
fn no_deactivate_plans_and_applies_no_deactivation() {
    let org = org();
    let (gone, okta) = with_strangers(&org);
    // Bob is marked inactive by the file, Gone and Okta are absent.
    let path = people(
        "no-deactivate.csv",
        &SAME.replace(
            "bob@example.com,Bob Boss,E-2,,",
            "bob@example.com,Bob Boss,E-2,false,",
        ),
    );
    let r = sync(&org.server, &["plan", "-o", "json"], &path);
    assert_eq!(r.json()["summary"]["deactivated"], 3, "{r:?}");

    let r = sync(
        &org.server,
        &["plan", "--no-deactivate", "-o", "json"],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["summary"]["deactivated"], 0, "{}", r.stdout);
    let r = sync(
        &org.server,
        &["apply", "--yes", "--no-deactivate", "-o", "json"],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    for id in [&gone, &okta, &org.bob] {
        assert_eq!(user(&org.server, id)["active"], true);
    }
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
}

#[test]
fn excluded_users_are_never_changed_by_plan_or_apply() {
    let org = org();
    let (gone, okta) = with_strangers(&org);
    let list = temp_file("excluded.txt");
    std::fs::write(&list, "# accounts Okta owns\n\n okta.svc@EXAMPLE.com \n").unwrap();
    // Jane's row wants a change; she is excluded by name.
    let path = people("exclude.csv", &SAME.replace(",Agent,", ",Senior Agent,"));
    let args = [
        "--exclude",
        "jane@example.com",
        "--exclude-file",
        list.to_str().unwrap(),
    ];
    let mut plan = vec!["plan", "-o", "json"];
    plan.extend_from_slice(&args);
    let r = sync(&org.server, &plan, &path);
    assert_eq!(r.code, 0, "{r:?}");
    let p = r.json();
    assert_eq!(p["summary"]["updated"], 0, "{p}");
    assert_eq!(p["summary"]["deactivated"], 1, "only Gone: {p}");
    assert_eq!(p["deactivations"][0]["userName"], "gone@example.com");

    let mut apply = vec!["apply", "--yes", "--allow-mass-deactivation", "-o", "json"];
    apply.extend_from_slice(&args);
    let r = sync(&org.server, &apply, &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(user(&org.server, &okta)["active"], true);
    assert_eq!(user(&org.server, &org.jane)["title"], "Agent");
    assert_eq!(user(&org.server, &gone)["active"], false);

    let missing = sync(
        &org.server,
        &["plan", "--exclude-file", "/nonexistent/excluded.txt"],
        &path,
    );
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing.stderr.contains("/nonexistent/excluded.txt"),
        "{}",
        missing.stderr
    );
}

#[test]
fn in_an_exclude_file_a_hash_starts_a_comment_only_after_a_space_or_at_a_line_start() {
    let org = org();
    // In scope and absent from the file: deactivated unless excluded.
    let svc = seed(
        &org.server,
        json!({"userName": "svc#okta@example.com", "displayName": "Okta sync", "externalId": "OKTA-2"}),
    );
    org.server.clear_journal();
    let list = temp_file("excluded-hash.txt");
    std::fs::write(
        &list,
        "\u{feff}# accounts other systems own\r\nsvc#okta@example.com   # Okta's sync account\r\n\t# an indented comment\r\n",
    )
    .unwrap();
    let path = people("exclude-hash.csv", SAME);
    let file = list.to_str().unwrap();
    let r = sync(&org.server, &["plan", "--exclude-file", file], &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("excluding 1 user"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("svc#okta"),
        "not deactivated: {}",
        r.stdout
    );
    let r = sync(
        &org.server,
        &["apply", "--yes", "--exclude-file", file],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(user(&org.server, &svc)["active"], true);
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));

    // Notepad's "Unicode" is UTF-16 with a byte-order mark: read as text.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "svc#okta@example.com\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(&list, utf16).unwrap();
    let r = sync(&org.server, &["plan", "--exclude-file", file], &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("excluding 1 user"), "{}", r.stdout);

    // Two names on a line are one mistake, named where an editor shows it.
    std::fs::write(&list, "# two\njane@example.com bob@example.com\n").unwrap();
    let r = sync(&org.server, &["plan", "--exclude-file", file], &path);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains(&format!("{file}:2:")), "{}", r.stderr);

    // A Windows-1252 byte is named by its line, with the way out that
    // exists (exclude files take no --encoding).
    std::fs::write(&list, b"# ok\nren\xe9@example.com\n").unwrap();
    let r = sync(&org.server, &["plan", "--exclude-file", file], &path);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains(&format!("{file}:2:")), "{}", r.stderr);
    assert!(r.stderr.contains("save it as UTF-8"), "{}", r.stderr);
    assert!(!r.stderr.contains("--encoding"), "{}", r.stderr);
}

#[test]
fn an_exclusion_by_external_id_keeps_that_account_out_whatever_its_user_name() {
    let org = org();
    let (gone, okta) = with_strangers(&org);
    let list = temp_file("excluded-external-ids.txt");
    std::fs::write(&list, "externalId:E-9   # Gone, kept for the audit\n").unwrap();
    // Jane's row wants a change; she is excluded by her externalId.
    let path = people(
        "exclude-external-id.csv",
        &SAME.replace(",Agent,", ",Senior Agent,"),
    );
    let args = [
        "--exclude",
        "externalId:OKTA-1",
        "--exclude",
        "externalid:E-1",
        "--exclude-file",
        list.to_str().unwrap(),
    ];
    let mut plan = vec!["plan", "-o", "json"];
    plan.extend_from_slice(&args);
    let r = sync(&org.server, &plan, &path);
    assert_eq!(r.code, 0, "{r:?}");
    let p = r.json();
    assert_eq!(p["summary"]["updated"], 0, "{p}");
    assert_eq!(p["summary"]["deactivated"], 0, "{p}");

    let mut apply = vec!["apply", "--yes"];
    apply.extend_from_slice(&args);
    let r = sync(&org.server, &apply, &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("excluding 3 users"), "{}", r.stdout);
    assert_eq!(user(&org.server, &okta)["active"], true);
    assert_eq!(user(&org.server, &gone)["active"], true);
    assert_eq!(user(&org.server, &org.jane)["title"], "Agent");
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
}

#[test]
fn only_applies_the_named_people_and_deactivates_nobody_else() {
    let org = org();
    let (gone, okta) = with_strangers(&org);
    // Jane is promoted and moves from Support to Sales; Bob gets a title;
    // only Jane is applied.
    let rows = SAME
        .replace(
            ",Agent,+15550100,bob@example.com,Support",
            ",Senior Agent,+15550100,bob@example.com,Sales",
        )
        .replace("E-2,,Manager,", "E-2,,Director,");
    let path = people("only.csv", &rows);
    let r = sync(
        &org.server,
        &["apply", "--yes", "--only", "JANE@example.com", "-o", "json"],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    let report = r.json();
    assert_eq!(report["updated"], 1, "{report}");
    assert_eq!(report["deactivated"], 0, "{report}");
    assert_eq!(user(&org.server, &org.jane)["title"], "Senior Agent");
    assert_eq!(user(&org.server, &org.bob)["title"], "Manager");
    for id in [&gone, &okta] {
        assert_eq!(user(&org.server, id)["active"], true);
    }
    let sales = on(&org.server, &["groups", "members", "Sales", "-o", "csv"]);
    assert!(
        sales.stdout.contains("jane@example.com"),
        "{}",
        sales.stdout
    );
    let support = on(&org.server, &["groups", "members", "Support", "-o", "csv"]);
    assert!(
        support.stdout.contains("admin@example.com"),
        "{}",
        support.stdout
    );
    assert!(
        !support.stdout.contains("jane@example.com"),
        "{}",
        support.stdout
    );

    let unknown = sync(
        &org.server,
        &["apply", "--yes", "--only", "nobody@example.com"],
        &path,
    );
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert!(
        unknown.stderr.contains("nobody@example.com"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn an_exclusion_that_matches_no_account_is_a_warning_naming_it() {
    let org = org();
    let (_gone, okta) = with_strangers(&org);
    // A typo: the Okta account is `okta.svc@…`.
    let path = people("exclude-typo.csv", SAME);
    let r = sync(
        &org.server,
        &["plan", "--exclude", "okta.scv@example.com"],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("okta.scv@example.com")
            && r.stdout.contains("matches no account in the org"),
        "{}",
        r.stdout
    );
    let r = sync(
        &org.server,
        &["plan", "-o", "json", "--exclude", "okta.scv@example.com"],
        &path,
    );
    let warnings = r.json()["warnings"].to_string();
    assert!(warnings.contains("okta.scv@example.com"), "{warnings}");
    assert_eq!(user(&org.server, &okta)["active"], true);
}
