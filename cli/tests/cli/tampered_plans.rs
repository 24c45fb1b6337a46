//! `sync apply --plan` treats the file as reviewed data: the command line
//! (`--scope`, `--exclude`, `--exclude-file`, `--no-deactivate`) and the
//! org as read decide each write. A plan edited by hand cannot write to
//! another account than the one it names, to an excluded or out-of-scope
//! account, or past the guard.

use crate::common::{Org, on, org, people, seed, sync, temp_file, user, writes};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Jane is promoted; Bob stays as he is.
const PROMOTION: &str = "\
jane@example.com,Jane Doe,E-1,,Senior Agent,+15550100,bob@example.com,Support
bob@example.com,Bob Boss,E-2,,Manager,,,
";

/// The org plus Okta's account, and a plan made with `args`, saved.
fn saved(org: &Org, name: &str, args: &[&str]) -> (PathBuf, String) {
    let okta = seed(
        &org.server,
        json!({"userName": "okta.svc@example.com", "displayName": "Okta", "externalId": "OKTA-1"}),
    );
    let out = temp_file(name);
    let path = people(&format!("{name}.csv"), PROMOTION);
    let mut all = vec!["plan", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let r = sync(&org.server, &all, &path);
    assert_eq!(r.code, 0, "{r:?}");
    org.server.clear_journal();
    (out, okta)
}

fn edit(path: &Path, change: impl FnOnce(&mut Value)) {
    let mut saved: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut saved["plan"]);
    std::fs::write(path, serde_json::to_string_pretty(&saved).unwrap()).unwrap();
}

fn apply(org: &Org, plan: &Path, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["sync", "apply", "--yes", "--rate-limit", "0"];
    args.extend_from_slice(&["--plan", plan.to_str().unwrap()]);
    args.extend_from_slice(extra);
    on(&org.server, &args)
}

#[test]
fn an_item_aimed_at_another_account_writes_nothing_and_exits_1() {
    let org = org();
    let exclude = ["--scope", "all", "--exclude", "okta.svc@example.com"];
    let (plan, _) = saved(&org, "foreign-id.json", &exclude);
    let version = user(&org.server, &org.admin)["meta"]["version"].clone();
    let admin = org.admin.clone();
    edit(&plan, |p| {
        // Jane's change aimed at the admin, and a deactivation named Bob's.
        p["updates"][0]["id"] = json!(admin);
        p["deactivations"] = json!([{"userName": "bob@example.com", "id": admin,
            "version": version, "reason": "absent_from_feed"}]);
    });

    let mut args = exclude.to_vec();
    args.push("--allow-mass-deactivation");
    let r = apply(&org, &plan, &args);

    assert_eq!(r.code, 1, "{r:?}");
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
    let admin = user(&org.server, &org.admin);
    assert_eq!(
        (&admin["active"], &admin["title"]),
        (&json!(true), &Value::Null)
    );
    assert!(
        r.stdout.contains("failed: bob@example.com: the plan's id")
            && r.stdout.contains("names admin@example.com"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_plan_wider_than_the_command_line_is_refused_with_exit_2() {
    let org = org();
    let (plan, okta) = saved(&org, "wider.json", &["--exclude", "okta.svc@example.com"]);
    // Applied without the exclusion in force: the plan is narrower, fine.
    // The file's exclusion dropped, and the command line keeping it: wider.
    edit(&plan, |p| p["scope"] = json!("external-id"));
    let r = apply(&org, &plan, &["--exclude", "okta.svc@example.com"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("wider"), "{}", r.stderr);
    let r = apply(&org, &plan, &["--scope", "division:EMEA"]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = apply(&org, &plan, &["--no-deactivate"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
    assert_eq!(user(&org.server, &okta)["active"], true);

    // An exclusion given on the command line is enforced at write time.
    edit(&plan, |p| {
        p["updates"][0]["userName"] = json!("jane@example.com")
    });
    let r = apply(&org, &plan, &["--exclude", "jane@example.com"]);
    assert_eq!(r.code, 2, "the plan lacks Jane's exclusion: {r:?}");
}

#[test]
fn a_rename_or_active_inside_an_update_refuses_the_plan_with_exit_2() {
    let org = org();
    let (plan, _) = saved(&org, "odd-paths.json", &[]);
    let original = std::fs::read_to_string(&plan).unwrap();
    let edits: [Value; 2] = [
        json!({"op": "replace", "path": "userName", "before": "jane@example.com", "after": "pwned@example.com"}),
        json!({"op": "replace", "path": "active", "before": true, "after": false}),
    ];
    for change in edits {
        std::fs::write(&plan, &original).unwrap();
        edit(&plan, |p| {
            p["updates"][0]["changes"]
                .as_array_mut()
                .unwrap()
                .push(change.clone())
        });
        let r = apply(&org, &plan, &[]);
        assert_eq!(r.code, 2, "{change}: {r:?}");
        assert!(r.stderr.contains("never writes"), "{}", r.stderr);
        assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
    }
    assert_eq!(user(&org.server, &org.jane)["userName"], "jane@example.com");
}

#[test]
fn a_forged_count_in_scope_is_not_believed_exit_4() {
    let org = org();
    // A file nobody is in: every agent would be deactivated.
    let path = temp_file("nobody-but-bob.csv");
    std::fs::write(
        &path,
        "userName,displayName,externalId\nbob@example.com,Bob Boss,E-2\n",
    )
    .unwrap();
    let plan = temp_file("forged-count.json");
    let r = sync(
        &org.server,
        &["plan", "--out", plan.to_str().unwrap()],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    edit(&plan, |p| p["in_scope"] = json!(1000));

    let r = apply(&org, &plan, &[]);

    assert_eq!(r.code, 4, "{r:?}");
    assert!(
        r.stderr.contains("1 of 2 active in-scope users"),
        "{}",
        r.stderr
    );
    assert!(writes(&org.server).is_empty());
    assert_eq!(user(&org.server, &org.jane)["active"], true);
}
