//! `--map`: the shipped HR examples run through `convert`, `check`, `sync
//! plan` and `sync apply` against scim-fake, and a second apply changes
//! nothing.

use crate::common::{on, run, scim, temp_file, user_named};
use scim_fake::FakeServer;
use serde_json::{Value, json};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");

fn example(hr: &str) -> (String, String) {
    (
        format!("{EXAMPLES}/hr/{hr}.csv"),
        format!("{EXAMPLES}/mappings/{hr}.toml"),
    )
}

fn sync_json(server: &FakeServer, command: &str, file: &str, map: &str) -> Value {
    let mut args = vec!["sync", command, "-o", "json", "--from", file, "--map", map];
    if command == "apply" {
        args.extend(["--yes", "--rate-limit", "0"]);
    }
    let r = on(server, &args);
    assert_eq!(r.code, 0, "{r:?}");
    r.json()
}

#[test]
fn the_workday_example_converts_checks_plans_and_applies_once() {
    let (file, map) = example("workday");
    let r = run(scim().args(["convert", &file, "--map", &map]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .starts_with("userName,displayName,externalId,active,"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "priya.natarajan@example.com,Priya Natarajan,100003,true,Quality Analyst,Customer Support,"
        ),
        "{}",
        r.stdout
    );
    let r = run(scim().args(["check", &file, "--map", &map]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("8 people (1 inactive, 8 with an externalId)"),
        "{}",
        r.stdout
    );

    let server = FakeServer::start().expect("fake starts");
    let plan = sync_json(&server, "plan", &file, &map);
    // The terminated worker is not created.
    assert_eq!(plan["summary"]["created"], json!(7), "{plan}");
    let report = sync_json(&server, "apply", &file, &map);
    assert_eq!(report["failed"], json!(0), "{report}");

    let maggie = user_named(&server, "maggie.okafor@example.com");
    let daniel = user_named(&server, "daniel.reyes@example.com");
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert_eq!(maggie["displayName"], "Maggie Okafor");
    assert_eq!(maggie["phoneNumbers"][0]["value"], "+13125550100");
    assert_eq!(maggie[enterprise]["dateHire"], "2015-01-15");
    assert_eq!(daniel["title"], "Support Team Lead");
    assert_eq!(daniel[enterprise]["manager"]["value"], maggie["id"]);

    let again = sync_json(&server, "plan", &file, &map);
    let s = &again["summary"];
    assert_eq!(
        [
            &s["created"],
            &s["updated"],
            &s["deactivated"],
            &s["memberships_changed"]
        ],
        [&json!(0), &json!(0), &json!(0), &json!(0)],
        "{again}"
    );
}

#[test]
fn the_bamboohr_example_converts_checks_plans_and_applies_once() {
    let (file, map) = example("bamboohr");
    let r = run(scim().args(["convert", &file, "--map", &map, "-o", "jsonl"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 4, "the contractor is skipped");
    assert!(!r.stdout.contains("noah.evans"), "{}", r.stdout);
    let r = run(scim().args(["check", &file, "--map", &map]));
    assert_eq!(r.code, 0, "{r:?}");

    let server = FakeServer::start().expect("fake starts");
    let report = sync_json(&server, "apply", &file, &map);
    assert_eq!(report["failed"], json!(0), "{report}");
    let ollie = user_named(&server, "ollie.patel@example.co.uk");
    let olivia = user_named(&server, "olivia.hughes@example.co.uk");
    let phones = ollie["phoneNumbers"].as_array().unwrap();
    assert!(
        phones
            .iter()
            .any(|p| p["type"] == "mobile" && p["value"] == "+447400123101"),
        "{ollie}"
    );
    assert_eq!(ollie["roles"], json!([{"value": "employee"}]));
    assert_eq!(
        ollie["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"],
        olivia["id"]
    );
    let again = sync_json(&server, "plan", &file, &map);
    assert_eq!(again["summary"]["updated"], json!(0), "{again}");
    assert_eq!(again["summary"]["created"], json!(0), "{again}");
}

#[test]
fn problems_name_the_export_line_or_the_mapping_line_and_key_and_exit_2() {
    let (file, _) = example("workday");
    let map = temp_file("bad-map.toml");
    std::fs::write(
        &map,
        "[columns]\nuserName = \"Work Email\"\ndateHire = { from = \"Hire Date\", date = \"DD.MM.YYYY\" }\n",
    )
    .unwrap();
    let r = run(scim().args(["check", &file, "--map", map.to_str().unwrap()]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{file}:2: column `dateHire`: `01/15/2015` is not a date as DD.MM.YYYY"
        )),
        "{}",
        r.stderr
    );
    std::fs::write(
        &map,
        "[columns]\nuserName = \"Work Email\"\nmanagr = \"X\"\n",
    )
    .unwrap();
    let r = run(scim().args(["convert", &file, "--map", map.to_str().unwrap()]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains(&format!(
            "{}:3: key `columns.managr`: no such people-file column; did you mean `manager`?",
            map.display()
        )),
        "{}",
        r.stderr
    );
}
