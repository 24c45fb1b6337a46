//! Checks made on the people file before anything is sent: creates that
//! cannot succeed, suspicious userNames, padded values, misspelt headers
//! and a JSON Lines byte-order mark.

use crate::common::{on, org, run, scim, temp_file};
use serde_json::json;

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let path = temp_file(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_create_without_a_display_name_is_refused_naming_the_row() {
    let org = org();
    let path = write(
        "no-display-name.csv",
        "userName,externalId,displayName\n\
         jane@example.com,E-1,\n\
         new@example.com,E-77,\n",
    );
    let file = path.to_str().unwrap();
    for command in [&["sync", "plan"][..], &["sync", "apply", "--yes"][..]] {
        let mut args = command.to_vec();
        args.extend(["--from", file]);
        let r = on(&org.server, &args);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains(&format!("{file}:3"))
                && r.stderr.contains("new@example.com")
                && r.stderr.contains("displayName"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains(":2"), "{}", r.stderr);
    }
    assert!(
        crate::common::requests(&org.server)
            .iter()
            .all(|r| r.starts_with("GET ")),
        "nothing is written"
    );
    // `check` cannot know which rows are new, so it warns naming the row.
    let r = run(scim().arg("check").arg(&path));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "warning: {file}:3: new@example.com has no displayName"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn a_user_name_that_is_not_an_email_address_is_a_warning() {
    let path = write(
        "odd-names.csv",
        "userName,displayName,externalId\n\
         not-an-email,A,E-1\n\
         a b@c.com,B,E-2\n\
         fine@example.com,C,E-3\n",
    );
    let file = path.to_str().unwrap();
    let r = run(scim().arg("check").arg(&path));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "warning: {file}:2: userName `not-an-email` is not an email address"
        )) && r.stderr.contains(&format!(
            "warning: {file}:3: userName `a b@c.com` is not an email address"
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("fine@example.com"), "{}", r.stderr);
    assert!(r.stdout.contains("2 warnings"), "{}", r.stdout);
}

#[test]
fn values_are_trimmed_on_read_so_padding_plans_nothing() {
    let org = org();
    let path = write(
        "padded.csv",
        "userName,displayName,externalId,title,department\n\
         jane@example.com,  Jane Doe ,E-1,\"Agent   \n\",\" Support\"\n\
         bob@example.com,Bob Boss,E-2,Manager ,\n\
         admin@example.com,Admin,,,\n",
    );
    let r = on(
        &org.server,
        &[
            "sync",
            "plan",
            "-o",
            "json",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["summary"]["updated"], json!(0), "{}", r.stdout);
}

#[test]
fn an_unknown_column_suggests_the_nearest_known_name() {
    let path = write(
        "misspelt.csv",
        "userName,Display Name,titel,favouriteColour\na@example.com,A,B,teal\n",
    );
    let r = run(scim().arg("check").arg(&path));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("column `Display Name`: unknown column; did you mean `displayName`?")
            && r.stderr
                .contains("column `titel`: unknown column; did you mean `title`?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("column `favouriteColour`: unknown column; pass --ignore-unknown-columns"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("the columns are"), "{}", r.stderr);
}

#[test]
fn json_lines_with_a_byte_order_mark_read_like_csv_with_one() {
    let path = write(
        "bom.jsonl",
        "\u{feff}{\"userName\":\"a@example.com\",\"displayName\":\"A\",\"externalId\":\"E-1\"}\n",
    );
    let r = run(scim().arg("check").arg(&path));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("1 people"), "{}", r.stdout);
}
