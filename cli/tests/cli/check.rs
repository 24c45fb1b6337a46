//! `genesys-scim check FILE`: the people-file checks, without a connection.

use crate::common::{run, scim, temp_file};
use scim_fake::FakeServer;

fn check_file(name: &str, text: &str, extra: &[&str]) -> crate::common::Run {
    let path = temp_file(name);
    std::fs::write(&path, text).unwrap();
    run(scim().arg("check").arg(&path).args(extra))
}

#[test]
fn a_valid_file_is_summarised_on_stdout() {
    let r = run(scim().args([
        "check",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/people.csv"),
    ]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.ends_with(
            "people.csv: 40 people (0 inactive, 40 with an externalId); no problems found\n"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stderr.is_empty());
}

#[test]
fn problems_name_the_file_line_and_column_and_exit_2() {
    let r = check_file(
        "bad.csv",
        "userName,active,manager\na@example.com,true,\nb@example.com,maybe,\nA@example.com,,\n",
        &[],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty());
    let path = temp_file("bad.csv").display().to_string();
    assert_eq!(
        r.stderr,
        format!(
            "error: {path}:3: column `active`: expected true or false, found `maybe`\n\
             {path}:4: column `userName`: `A@example.com` is already on line 2 (userNames compare ignoring case)\n"
        )
    );
}

#[test]
fn unknown_columns_fail_unless_ignored() {
    let text = "userName,favouriteColour\na@example.com,teal\n";
    let r = check_file("extra.csv", text, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains(":1: column `favouriteColour`: unknown column"),
        "{}",
        r.stderr
    );

    let r = check_file("extra.csv", text, &["--ignore-unknown-columns"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("ignored column `favouriteColour`"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("1 people"), "{}", r.stdout);
}

#[test]
fn json_lines_files_are_checked_too() {
    let r = check_file(
        "people.jsonl",
        "{\"userName\":\"a@example.com\",\"active\":false}\n{\"userName\":\"b@example.com\",\"active\":1}\n",
        &[],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("people.jsonl:2: column `active`"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_extension_or_missing_file_exits_2() {
    let r = run(scim().args(["check", "people.pdf"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("name the file .csv, .tsv, .txt, .xlsx"),
        "{}",
        r.stderr
    );
    let r = run(scim().args(["check", "/nonexistent/people.csv"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("cannot open the file"), "{}", r.stderr);
}

#[test]
fn check_sends_nothing_even_with_a_connection_given() {
    let server = FakeServer::start().unwrap();
    let path = temp_file("quiet.csv");
    std::fs::write(&path, "userName\na@example.com\n").unwrap();
    let r = run(scim()
        .args([
            "--base-url",
            &server.base_url(),
            "--token",
            &server.token(),
            "check",
        ])
        .arg(&path));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(server.journal().is_empty());
}

#[test]
fn a_feed_with_nobody_in_it_is_refused_before_connecting() {
    let server = FakeServer::start().unwrap();
    let header = "userName,displayName,externalId\n";
    for (name, text) in [
        ("empty.jsonl", ""),
        ("blank.jsonl", "\n  \n\t\n"),
        ("header-only.csv", header),
    ] {
        let path = temp_file(name);
        std::fs::write(&path, text).unwrap();
        let file = path.to_str().unwrap();
        let r = run(scim().args(["check", file]));
        assert_eq!(r.code, 2, "check {name}: {r:?}");
        assert!(r.stderr.contains("no people"), "{name}: {}", r.stderr);
        for sync in [&["sync", "plan"][..], &["sync", "apply", "--yes"]] {
            let r = crate::common::on(&server, &[sync, &["--from", file]].concat());
            assert_eq!(r.code, 2, "{sync:?} {name}: {r:?}");
            assert!(r.stderr.contains("no people"), "{name}: {}", r.stderr);
        }
    }
    assert!(server.journal().is_empty(), "{:?}", server.journal());
}

#[test]
fn a_row_without_external_id_is_a_warning_about_the_scope() {
    let r = check_file(
        "keyless.csv",
        "userName,externalId,displayName\na@example.com,E-1,A\nb@example.com,,B\n",
        &[],
    );
    assert_eq!(r.code, 0, "a warning, not a problem: {r:?}");
    let path = temp_file("keyless.csv").display().to_string();
    assert!(
        r.stderr.contains(&format!(
            "warning: {path}:3: b@example.com has no externalId: under the default scope (external-id)"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("1 warning"), "{}", r.stdout);
}

#[test]
fn warnings_about_a_workbooks_rows_name_the_sheet_and_row() {
    let map = temp_file("check-staff.toml");
    std::fs::write(
        &map,
        "[columns]\nuserName = { from = \"Email\", lower = true }\ndisplayName = \"Name\"\n",
    )
    .unwrap();
    let workbook = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/staff.xlsx");
    let r = run(scim().args(["check", workbook, "--map", map.to_str().unwrap()]));
    assert_eq!(r.code, 0, "{r:?}");
    let place =
        format!("warning: {workbook}:Employees!2: zoe.brandt@example.com has no externalId");
    assert!(r.stderr.contains(&place), "{place}: {}", r.stderr);
}
