//! `--map`: the shipped HR examples run through `convert`, `check`, `sync
//! plan` and `sync apply` against scim-fake, and a second apply changes
//! nothing.

use crate::common::{on, run, scim, temp_file, user_named};
use scim_fake::FakeServer;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");

fn example(export: &str, mapping: &str) -> (String, String) {
    (
        format!("{EXAMPLES}/hr/{export}"),
        format!("{EXAMPLES}/mappings/{mapping}.toml"),
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
    let (file, map) = example("workday.csv", "workday");
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

/// The people an example converts to, by userName, and what `convert`
/// said on stderr. The old records that link a rehire's ids (inactive
/// rows of a userName and externalId alone, after the people) are checked
/// against `old`, as `[userName, externalId]`.
fn converted(file: &str, map: &str, old: &[[&str; 2]]) -> (BTreeMap<String, Value>, String) {
    let r = run(scim().args(["convert", file, "--map", map, "-o", "jsonl"]));
    assert_eq!(r.code, 0, "{r:?}");
    let rows: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .collect();
    let (people, records) = rows.split_at(rows.len() - old.len());
    let records: Vec<[&str; 2]> = records
        .iter()
        .map(|v| {
            assert_eq!(v.as_object().map(|o| o.len()), Some(3), "{v}");
            assert_eq!(v["active"], json!(false), "{v}");
            [v["userName"].as_str(), v["externalId"].as_str()].map(Option::unwrap_or_default)
        })
        .collect();
    assert_eq!(records, old, "{}", r.stdout);
    let people = people
        .iter()
        .map(|v| {
            (
                v["userName"].as_str().unwrap_or_default().to_owned(),
                v.clone(),
            )
        })
        .collect();
    (people, r.stderr)
}

/// Checks each expected person's keys, and that nobody else is in the
/// file. An expected `null` is a key the person lacks (the attribute is
/// left as it is), `"<clear>"` a `null` in the file (it is removed).
fn assert_people(people: &BTreeMap<String, Value>, expected: &[Value]) {
    let names: Vec<&str> = expected
        .iter()
        .map(|e| e["userName"].as_str().unwrap())
        .collect();
    assert_eq!(
        people.keys().map(String::as_str).collect::<Vec<_>>(),
        {
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted
        },
        "the people of the file"
    );
    for e in expected {
        let got = &people[e["userName"].as_str().unwrap()];
        for (key, want) in e.as_object().unwrap() {
            let want = match want {
                Value::Null => None,
                v if v == "<clear>" => Some(&Value::Null),
                v => Some(v),
            };
            assert_eq!(got.get(key), want, "{key} of {got}");
        }
    }
}

/// `check`, `sync plan` and `sync apply` on a fresh fake org, then a plan
/// and an apply that change nothing. The org is returned for more checks.
fn syncs_once(file: &str, map: &str, people: usize) -> FakeServer {
    let r = run(scim().args(["check", file, "--map", map]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(&format!(": {people} people")),
        "{}",
        r.stdout
    );
    let server = FakeServer::start().expect("fake starts");
    let plan = sync_json(&server, "plan", file, map);
    assert_eq!(plan["summary"]["created"], json!(people), "{plan}");
    let report = sync_json(&server, "apply", file, map);
    assert_eq!(report["failed"], json!(0), "{report}");
    assert_eq!(report["created"], json!(people), "{report}");
    let again = sync_json(&server, "plan", file, map);
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
    let report = sync_json(&server, "apply", file, map);
    assert_eq!(
        [
            &report["created"],
            &report["updated"],
            &report["deactivated"],
            &report["memberships_changed"]
        ],
        [&json!(0), &json!(0), &json!(0), &json!(0)],
        "{report}"
    );
    server
}

fn members(server: &FakeServer, group: &str) -> Vec<String> {
    let r = on(server, &["groups", "members", group, "-o", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    let mut names: Vec<String> = r
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|u| u["userName"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[test]
fn the_successfactors_example_reads_as_exported_and_syncs_once() {
    let (file, map) = example("successfactors.csv", "successfactors");
    // The rehire's old record (10011) follows, linking its id.
    let (people, stderr) = converted(&file, &map, &[["emma.brown@example.com", "10011"]]);
    let grace = "grace.hopper@example.com";
    let wei = "wei.wang@example.com";
    let juergen = "juergen.weiss@example.com";
    assert_people(
        &people,
        &[
            // An empty displayName: first and last name; NO_MANAGER: none.
            json!({"userName": grace, "email": grace, "displayName": "Grace Hopper", "externalId": "10001", "employeeNumber": "10001", "title": "Director of Customer Care", "division": "Americas", "phone": "+13125550100", "phone.mobile": "+13125550199", "dateHire": "2008-06-02", "manager": "<clear>", "groups": ["Support"]}),
            json!({"userName": wei, "displayName": "王伟", "phone": "+861012345678", "phone.mobile": "+8613800138000", "manager": grace, "groups": ["Engineering"], "dateHire": "2016-09-12"}),
            json!({"userName": juergen, "displayName": "Jürgen Weiß", "phone": "+493012345678", "phone.mobile": "+4915112345678", "groups": ["Sales"]}),
            // A nickname is the preferred name; a title is trimmed.
            json!({"userName": "siobhan.oneill@example.com", "displayName": "Shiv O’Neill", "title": "Support Team Lead", "phone": "+35312345678", "phone.mobile": "+353871234567"}),
            // On unpaid leave: still active; `TBC` is no phone.
            json!({"userName": "marta.kowalska@example.com", "active": true, "phone": null, "phone.mobile": "+48512345678", "manager": "siobhan.oneill@example.com"}),
            json!({"userName": "pierre.dubois@example.com", "phone": "+33123456789", "manager": juergen}),
            json!({"userName": "ana.garcia@example.com", "displayName": "Ana García", "phone": "+34912345678"}),
            // A manager id in no row: no manager.
            json!({"userName": "priya.sharma@example.com", "phone": "+912223456789", "phone.mobile": "+919876543210", "manager": "<clear>"}),
            json!({"userName": "luis.hernandez@example.com", "phone": "+525554181034", "phone.mobile": "+525512345678"}),
            // Finance is in none of the managed groups; no mobile: none.
            json!({"userName": "oliver.smith@example.com", "displayName": "Ollie Smith", "phone": "+442079460123", "phone.mobile": "<clear>", "groups": null}),
            json!({"userName": "jun.chen@example.com", "displayName": "陈军", "phone": null, "phone.mobile": null}),
            // The rehire: the active record, with the latest hire.
            json!({"userName": "emma.brown@example.com", "externalId": "10021", "dateHire": "2024-01-15"}),
        ],
    );
    for expected in [
        ":10: the same row as line 9",
        ":7: column `phone`: `TBC`",
        ":17: column `phone`: `n/a`",
        ":17: column `phone.mobile`: `138 0013 800`",
        ":11: manager `99999`",
    ] {
        assert!(stderr.contains(expected), "{expected} in {stderr}");
    }
    let server = syncs_once(&file, &map, 12);
    assert_eq!(
        members(&server, "Engineering"),
        ["ana.garcia@example.com", "jun.chen@example.com", wei]
    );
}

#[test]
fn the_adp_example_reads_as_exported_and_syncs_once() {
    let (file, map) = example("adp.csv", "adp");
    let (people, stderr) = converted(&file, &map, &[]);
    let maggie = "margaret.obrien@initech.example";
    let bob = "bob.smith@initech.example";
    assert_people(
        &people,
        &[
            json!({"userName": maggie, "displayName": "Maggie O’Brien", "externalId": "001001", "employeeNumber": "100101", "title": "Director, Customer Care", "division": "Initech Americas", "phone": "+13125550100;ext=123", "phone.mobile": "+13125550150", "dateHire": "2012-03-15", "manager": "<clear>", "groups": ["Support"]}),
            json!({"userName": bob, "displayName": "Bob Smith, Jr.", "title": "Account Executive – East", "phone": "+12125550112;ext=45", "phone.mobile": "<clear>", "manager": maggie, "dateHire": "2016-07-01", "groups": ["Sales"]}),
            json!({"userName": "simon.novak@initech.example", "displayName": "Šimon Novák", "phone": "+14165550102", "phone.mobile": "+14165550150", "division": "Initech Canada"}),
            // On leave: active.
            json!({"userName": "amelie.tremblay@initech.example", "displayName": "Amélie Tremblay", "active": true, "title": "Support Agent; Tier 2", "phone": "+15145550103"}),
            json!({"userName": "jose.hernandez@initech.example", "displayName": "Pepe Hernández", "phone": "+525554181034", "phone.mobile": "+525512345678", "manager": bob, "division": "Initech México"}),
            // The rehire: the current position, hired again in 2021.
            json!({"userName": "dana.whitfield@initech.example", "title": "Senior Support Agent", "dateHire": "2021-09-01", "phone": "+13035550111"}),
            json!({"userName": "samir.n@initech.example", "phone": null, "phone.mobile": null}),
            json!({"userName": "joanna.quinn@initech.example", "title": "Financial Analyst", "phone": "+16175550104", "groups": null}),
            json!({"userName": "michael.bolton@initech.example", "title": "Agent \"Tier 1\"", "dateHire": "2024-06-03"}),
        ],
    );
    for expected in [
        ":4: the same row as line 3",
        ":12: column `phone`: `TBC`",
        ":12: column `phone.mobile`: `(415) 555-011`",
        ":2: manager `000900`",
    ] {
        assert!(stderr.contains(expected), "{expected} in {stderr}");
    }
    syncs_once(&file, &map, 9);
}

#[test]
fn the_entra_id_example_reads_as_exported_and_syncs_once() {
    let (file, map) = example("entra-id.txt", "entra-id");
    let (people, stderr) = converted(&file, &map, &[]);
    let jane = "jane.smith@contoso.com";
    let ken = "ken.sato@contoso.com";
    assert_people(
        &people,
        &[
            // "Smith, Jane" from AD; a manager DN in no row: none.
            json!({"userName": jane, "displayName": "Jane Smith", "externalId": "3f2b1c4d-0001-4a5b-9c8d-000000000001", "employeeNumber": "E1001", "phone": "+13125550100", "phone.mobile": "+13125550170", "dateHire": "2015-03-01", "manager": "<clear>", "division": null, "groups": ["Support"]}),
            // A UPN in mixed case with spaces; a surname with a comma; a manager by DN.
            json!({"userName": "robert.smith@contoso.com", "displayName": "Robert Smith, Jr.", "dateHire": "2021-06-01", "manager": jane, "groups": ["Sales"], "phone.mobile": "<clear>"}),
            // CJK names stay; T23:00:00Z is still that UTC date; a manager by UPN in capitals.
            json!({"userName": ken, "displayName": "佐藤健", "phone": "+81312345678", "phone.mobile": "+819012345678", "dateHire": "2020-04-01", "manager": jane}),
            json!({"userName": "alfie.clarke@contoso.com", "displayName": "Alfie Clarke", "title": "Support Agent", "phone": "+442079460123", "phone.mobile": "+447400123456", "manager": jane}),
            // No mailbox: no email, still provisioned.
            json!({"userName": "priya.patel@contoso.com", "email": "<clear>", "phone": "<clear>", "phone.mobile": "+919876543210", "manager": ken}),
            // The rehire's new account.
            json!({"userName": "maria.lopez@contoso.com", "displayName": "María López", "externalId": "3f2b1c4d-0018-4a5b-9c8d-000000000018"}),
            // A cell holding a comma and quotes, quoted.
            json!({"userName": "siobhan.murphy@contoso.com", "title": "Account Executive, \"Key Accounts\"", "phone": null, "phone.mobile": null, "manager": "robert.smith@contoso.com"}),
            json!({"userName": "liam.oconnor@contoso.com", "phone": "+61293744000", "phone.mobile": "+61412345678"}),
            json!({"userName": "juergen.gross@contoso.com", "displayName": "Jürgen Groß", "phone": "+493012345678", "manager": ken}),
        ],
    );
    for expected in [
        ":12: column `phone`: `n/a`",
        ":12: column `phone.mobile`: `087 123 456`",
        ":2: manager `CN=Board\\, Chair",
    ] {
        assert!(stderr.contains(expected), "{expected} in {stderr}");
    }
    syncs_once(&file, &map, 9);
}

#[test]
fn the_bamboohr_example_reads_as_exported_and_syncs_once() {
    let (file, map) = example("bamboohr.csv", "bamboohr");
    // The converted contractor's old row (C-031) follows, linking its id.
    let (people, stderr) = converted(&file, &map, &[["emily.clarke@example.co.uk", "C-031"]]);
    let olivia = "olivia.hughes@example.co.uk";
    let ollie = "ollie.patel@example.co.uk";
    assert_people(
        &people,
        &[
            // No supervisor: no manager.
            json!({"userName": olivia, "externalId": "1001", "employeeNumber": "1001", "phone": "+442079460100;ext=200", "phone.mobile": "+447400123100", "dateHire": "2016-04-03", "groups": ["Support"], "division": "EMEA", "manager": "<clear>"}),
            json!({"userName": ollie, "displayName": "Ollie Patel", "manager": olivia, "dateHire": "2019-09-19"}),
            // Both names in CJK script: family name first, no space.
            json!({"userName": "wei.wang@example.co.uk", "displayName": "王伟", "phone": "+441614960102", "groups": ["Engineering"]}),
            json!({"userName": "sophie.dubois@example.fr", "phone": "+33123456789", "phone.mobile": "+33612345678"}),
            json!({"userName": "lukas.schmidt@example.de", "phone": "+493012345678", "manager": "wei.wang@example.co.uk"}),
            json!({"userName": "saoirse.kelly@example.ie", "phone": "+35312345678", "phone.mobile": "+353871234567"}),
            json!({"userName": "daan.devries@example.nl", "phone": "+31201234567"}),
            json!({"userName": "lucia.fernandez@example.es", "displayName": "Lucía Fernández", "phone": "+34912345678"}),
            json!({"userName": "james.carter@example.com", "displayName": "Jim Carter", "phone": "+13125550109", "manager": "<clear>", "division": "Americas"}),
            json!({"userName": "ruth.ellis@example.co.uk", "phone": null, "phone.mobile": null}),
            // The employee row of a converted contractor.
            json!({"userName": "emily.clarke@example.co.uk", "externalId": "1013", "phone": "+442079460113;ext=213", "dateHire": "2025-09-01"}),
            // On leave: active; Finance is in no managed group.
            json!({"userName": "fatima.zahra@example.co.uk", "active": true, "phone": "+33472103117", "groups": null}),
            // Contractors: their start date, their agency's domain.
            json!({"userName": "mateo.rossi@staffco.example", "externalId": "C-045", "dateHire": "2024-01-08", "manager": ollie}),
            json!({"userName": "kenji.watanabe@staffco.example", "displayName": "渡辺健二", "phone": "+49891234567", "manager": "lukas.schmidt@example.de"}),
        ],
    );
    for expected in [
        ":7: the same row as line 6",
        ":14: column `phone`: `Teams only`",
        ":11: manager `9999`",
    ] {
        assert!(stderr.contains(expected), "{expected} in {stderr}");
    }
    let server = syncs_once(&file, &map, 14);
    assert_eq!(
        members(&server, "Sales"),
        [
            "daan.devries@example.nl",
            "james.carter@example.com",
            "lucia.fernandez@example.es",
            "sophie.dubois@example.fr"
        ]
    );
}

#[test]
fn problems_name_the_export_line_or_the_mapping_line_and_key_and_exit_2() {
    let (file, _) = example("workday.csv", "workday");
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

/// What a plan lists under `key`, by userName, sorted.
fn listed(plan: &Value, key: &str) -> Vec<String> {
    let mut names: Vec<String> = plan[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} in {plan}"))
        .iter()
        .map(|i| i["userName"].as_str().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    names
}

/// Syncs an example on a fresh org, then the next day's export (the
/// example's text through `edit`, written back in its encoding): the plan
/// holds exactly the day's hires, changes and leavers, with membership
/// changes for them alone; after the apply a new plan is empty. The org
/// is returned for more checks.
fn next_day(
    export: &str,
    mapping: &str,
    edit: impl Fn(String) -> String,
    [created, updated, deactivated]: [&[&str]; 3],
) -> FakeServer {
    let (file, map) = example(export, mapping);
    let server = FakeServer::start().expect("fake starts");
    sync_json(&server, "apply", &file, &map);
    let bytes = std::fs::read(&file).unwrap();
    let day2 = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((encoding, 2)) if encoding == encoding_rs::UTF_16LE => {
            let (text, _, _) = encoding_rs::UTF_16LE.decode(&bytes);
            let mut out = vec![0xFF, 0xFE];
            out.extend(
                edit(text.into_owned())
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            );
            out
        }
        Some(_) => edit(String::from_utf8(bytes).unwrap()).into_bytes(),
        None if std::str::from_utf8(&bytes).is_ok() => {
            edit(String::from_utf8(bytes).unwrap()).into_bytes()
        }
        None => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            let text = edit(text.into_owned());
            let (out, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
            assert!(!unmappable);
            out.into_owned()
        }
    };
    let day2_file = temp_file(&format!("day2-{export}"));
    std::fs::write(&day2_file, &day2).unwrap();
    let day2_file = day2_file.to_str().unwrap();
    let plan = sync_json(&server, "plan", day2_file, &map);
    assert_eq!(listed(&plan, "creates"), created, "{plan}");
    assert_eq!(listed(&plan, "updates"), updated, "{plan}");
    assert_eq!(listed(&plan, "deactivations"), deactivated, "{plan}");
    assert!(listed(&plan, "reactivations").is_empty(), "{plan}");
    let day: Vec<&str> = [created, updated, deactivated].concat();
    for group in plan["memberships"].as_array().unwrap() {
        for who in ["add", "remove"]
            .iter()
            .flat_map(|k| group[k].as_array().unwrap())
        {
            let name = who["userName"].as_str().unwrap_or_default();
            assert!(day.contains(&name), "{name} moved: {plan}");
        }
    }
    // One leaver in nine or fourteen is above the guard's default 10%.
    let r = on(
        &server,
        &[
            "sync",
            "apply",
            "-o",
            "json",
            "--from",
            day2_file,
            "--map",
            &map,
            "--yes",
            "--rate-limit",
            "0",
            "--max-deactivate",
            "20",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["failed"], json!(0), "{r:?}");
    let again = sync_json(&server, "plan", day2_file, &map);
    let s = &again["summary"];
    assert_eq!(
        [
            &s["created"],
            &s["updated"],
            &s["reactivated"],
            &s["deactivated"],
            &s["memberships_changed"]
        ],
        [&json!(0), &json!(0), &json!(0), &json!(0), &json!(0)],
        "{again}"
    );
    server
}

#[test]
fn the_next_days_adp_export_plans_exactly_the_days_changes() {
    // A hire, a promotion, a new phone number, a mobile given up, a
    // manager no more, and a leaver.
    let server = next_day(
        "adp.csv",
        "adp",
        |text| {
            text.replace(
                "Šimon;Novák;;Software Engineer",
                "Šimon;Novák;;Senior Software Engineer",
            )
            .replace("514-555-0103", "514-555-0199")
            .replace(
                "(312) 555-0100 x123;(312) 555-0150;",
                "(312) 555-0100 x123;;",
            )
            .replace(
                "(212) 555-0112 ext. 45;;001001;",
                "(212) 555-0112 ext. 45;;;",
            )
            .replace("6/3/2024;;;A;", "6/3/2024;;12/01/2026;T;")
                + "001012;100112;Nina;Sørensen;;Support Agent;Customer Support;Initech Americas;\
                   Chicago;nina.sorensen@initech.example;(312) 555-0114;;001001;O’Brien, \
                   Margaret;12/01/2026;;;A;Full Time;\r\n"
        },
        [
            &["nina.sorensen@initech.example"],
            &[
                "amelie.tremblay@initech.example",
                "bob.smith@initech.example",
                "margaret.obrien@initech.example",
                "simon.novak@initech.example",
            ],
            &["michael.bolton@initech.example"],
        ],
    );
    let maggie = user_named(&server, "margaret.obrien@initech.example");
    let phones: Vec<&Value> = maggie["phoneNumbers"].as_array().unwrap().iter().collect();
    assert_eq!(
        phones,
        [&json!({"type": "work", "value": "+13125550100;ext=123"})],
        "{maggie}"
    );
    let bob = user_named(&server, "bob.smith@initech.example");
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert!(bob[enterprise].get("manager").is_none(), "{bob}");
}

#[test]
fn the_next_days_entra_id_export_plans_exactly_the_days_changes() {
    // A promotion, a rename after marriage (a new UPN, the same object
    // id), a disabled account and a hire.
    let server = next_day(
        "entra-id.txt",
        "entra-id",
        |text| {
            text.replace("\tEngineering Manager\t", "\tDirector of Engineering\t")
                .replace(
                    "priya.patel@contoso.com\tPriya Patel\tPatel\t",
                    "priya.sharma@contoso.com\tPriya Sharma\tSharma\t",
                )
                .replace("\tAustralia\tAU\tTRUE\t", "\tAustralia\tAU\tFALSE\t")
                + "\r\nnora.berg@contoso.com\t\"Berg, Nora\"\tBerg\tNora\t\
                   3f2b1c4d-0019-4a5b-9c8d-000000000019\tMember\tSupport Agent\tCustomer Support\t\
                   Contoso\tLondon\tLondon\tUnited Kingdom\tGB\tTRUE\tnora.berg@contoso.com\t\t\
                   020 7946 0199\tE1019\t2026-12-01T00:00:00Z\t\"CN=Smith\\, Jane,OU=Support,\
                   OU=Corp Users,DC=corp,DC=contoso,DC=com\"\t\t\t\t2026-11-20T10:00:00Z"
        },
        [
            &["nora.berg@contoso.com"],
            // The renamed account, by the name the org has until the apply.
            &["ken.sato@contoso.com", "priya.patel@contoso.com"],
            &["liam.oconnor@contoso.com"],
        ],
    );
    let nora = user_named(&server, "nora.berg@contoso.com");
    assert_eq!(nora["displayName"], "Nora Berg");
    let priya = user_named(&server, "priya.sharma@contoso.com");
    assert_eq!(priya["externalId"], "3f2b1c4d-0005-4a5b-9c8d-000000000005");
}

#[test]
fn the_next_days_bamboohr_export_plans_exactly_the_days_changes() {
    // A contractor taken on as an employee (their row goes Inactive, a new
    // row of the same email comes), a new manager, a leaver and a hire.
    let server = next_day(
        "bamboohr.csv",
        "bamboohr",
        |text| {
            let hire = "1015,Nina,Berg,,nina.berg@example.co.uk,Support Agent,Customer Support,\
                        EMEA,London,020 7946 0115,,,\"Patel, Oliver\",1002,01/12/2026,Full-Time,\
                        Active,\r\n\
                        1016,Mateo,Rossi,,mateo.rossi@staffco.example,Support Agent,\
                        Customer Support,EMEA,London,020 7946 0145,,,\"Patel, Oliver\",1002,\
                        01/12/2026,Full-Time,Active,\r\n";
            let blank = text.find(",,,,,,,,,,,,,,,,,\r\n").unwrap();
            let (employees, contractors) = text.split_at(blank);
            (employees.to_owned() + hire + contractors)
                .replace(
                    "020 7946 0145,,,\"Patel, Oliver\",1002,08/01/2024,Contractor,Active",
                    "020 7946 0145,,,\"Patel, Oliver\",1002,08/01/2024,Contractor,Inactive",
                )
                .replace(
                    "\"Patel, Oliver\",1002,07/03/2022",
                    "\"Hughes, Olivia\",1001,07/03/2022",
                )
                .replace(
                    "02/05/2023,Full-Time,Active",
                    "02/05/2023,Full-Time,Inactive",
                )
        },
        [
            &["nina.berg@example.co.uk"],
            &["mateo.rossi@staffco.example", "saoirse.kelly@example.ie"],
            &["lucia.fernandez@example.es"],
        ],
    );
    // The contractor's account is the employee's now, not a second one.
    let mateo = user_named(&server, "mateo.rossi@staffco.example");
    assert_eq!(mateo["externalId"], "1016");
    assert_eq!(mateo["title"], "Support Agent");
}
