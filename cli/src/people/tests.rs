//! The people-file format: what the reader accepts and refuses, and the
//! export → read round trip.

use super::read::Row;
use super::*;
use scim_sdk::models::ScimV2User;

const HEADER: &str = "userName,displayName,externalId,active,title,department,division,employeeNumber,email,phone,manager,groups";

fn csv(text: &str) -> Result<Vec<Row>, InputError> {
    parse(
        "people.csv",
        text.as_bytes(),
        Format::Csv,
        &ReadOptions::default(),
    )
    .map(|f| f.rows)
}

fn jsonl(text: &str) -> Result<Vec<Row>, InputError> {
    parse(
        "people.jsonl",
        text.as_bytes(),
        Format::Jsonl,
        &ReadOptions::default(),
    )
    .map(|f| f.rows)
}

/// The error text a user sees, one problem per line.
fn csv_error(text: &str) -> String {
    csv(text).unwrap_err().to_string()
}

fn set(v: &str) -> Desired<String> {
    Desired::Set(v.to_owned())
}

#[test]
fn a_full_csv_row_fills_every_attribute() {
    let rows = csv(&format!(
        "{HEADER}\njane@example.com,Jane Doe,E-1,false,Agent,Support,EMEA,1001,jane@work.example,+44207946,boss@example.com,Sales;Support\n"
    ))
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 2);
    let p = &rows[0].person;
    assert_eq!(p.user_name, "jane@example.com");
    assert!(!p.active);
    assert_eq!(*p.text(Column::DISPLAY_NAME).unwrap(), set("Jane Doe"));
    assert_eq!(*p.text(Column::EXTERNAL_ID).unwrap(), set("E-1"));
    assert_eq!(*p.text(Column::TITLE).unwrap(), set("Agent"));
    assert_eq!(*p.text(Column::DEPARTMENT).unwrap(), set("Support"));
    assert_eq!(*p.text(Column::DIVISION).unwrap(), set("EMEA"));
    assert_eq!(*p.text(Column::EMPLOYEE_NUMBER).unwrap(), set("1001"));
    assert_eq!(*p.text(Column::EMAIL).unwrap(), set("jane@work.example"));
    assert_eq!(*p.text(Column::PHONE).unwrap(), set("+44207946"));
    assert_eq!(p.manager, set("boss@example.com"));
    assert_eq!(
        p.groups,
        Desired::Set(vec!["Sales".into(), "Support".into()])
    );
}

#[test]
fn empty_cells_leave_attributes_alone_and_the_marker_clears_them() {
    let rows = csv(&format!(
        "{HEADER}\njane@example.com,,,,<clear>,,<clear>,,,<clear>,<clear>,<clear>\n"
    ))
    .unwrap();
    let p = &rows[0].person;
    assert!(p.active, "an empty active cell means true");
    assert_eq!(*p.text(Column::DISPLAY_NAME).unwrap(), Desired::Keep);
    assert_eq!(*p.text(Column::TITLE).unwrap(), Desired::Clear);
    assert_eq!(*p.text(Column::DEPARTMENT).unwrap(), Desired::Keep);
    assert_eq!(*p.text(Column::DIVISION).unwrap(), Desired::Clear);
    assert_eq!(*p.text(Column::PHONE).unwrap(), Desired::Clear);
    assert_eq!(p.manager, Desired::Clear);
    assert_eq!(p.groups, Desired::Clear);
}

#[test]
fn columns_may_come_in_any_order_any_case_and_be_left_out() {
    let rows = csv("Title, USERNAME ,Active\nAgent,a@example.com,TRUE\nLead,b@example.com,False\n")
        .unwrap();
    assert_eq!(rows[0].person.user_name, "a@example.com");
    assert_eq!(*rows[0].person.text(Column::TITLE).unwrap(), set("Agent"));
    assert!(rows[0].person.active);
    assert!(!rows[1].person.active);
    assert_eq!(
        *rows[1].person.text(Column::EMAIL).unwrap(),
        Desired::Keep,
        "a missing column is left alone"
    );
}

#[test]
fn values_keep_quotes_commas_and_inner_line_breaks_and_lose_padding() {
    let rows = csv(concat!(
        "userName,title,displayName\n",
        "a@example.com,\"Head of Sales, EMEA\",\"Liam \"\"Bill\"\" O'Connor\"\n",
        "b@example.com,\"Two\nlines\", Inès \n",
        "c@example.com,Agent,Zoë\n",
    ))
    .unwrap();
    assert_eq!(
        *rows[0].person.text(Column::TITLE).unwrap(),
        set("Head of Sales, EMEA")
    );
    assert_eq!(
        *rows[0].person.text(Column::DISPLAY_NAME).unwrap(),
        set("Liam \"Bill\" O'Connor")
    );
    assert_eq!(
        *rows[1].person.text(Column::TITLE).unwrap(),
        set("Two\nlines")
    );
    assert_eq!(
        *rows[1].person.text(Column::DISPLAY_NAME).unwrap(),
        set("Inès")
    );
    // Line numbers count the line break inside the quoted cell.
    assert_eq!(rows[2].line, 5);
}

#[test]
fn a_byte_order_mark_from_a_spreadsheet_is_ignored() {
    let rows = csv("\u{feff}userName,title\na@example.com,Agent\n").unwrap();
    assert_eq!(*rows[0].person.text(Column::TITLE).unwrap(), set("Agent"));
}

#[test]
fn unknown_columns_are_refused_unless_ignored() {
    let text = "userName,title,shoeSize\na@example.com,Agent,42\n";
    let err = csv_error(text);
    assert!(
        err.starts_with("people.csv:1: column `shoeSize`: unknown column"),
        "{err}"
    );
    assert!(err.contains("--ignore-unknown-columns"), "{err}");

    let options = ReadOptions {
        ignore_unknown_columns: true,
        ..ReadOptions::default()
    };
    let file = parse("people.csv", text.as_bytes(), Format::Csv, &options).unwrap();
    assert_eq!(file.ignored_columns, ["shoeSize"]);
    assert_eq!(
        *file.rows[0].person.text(Column::TITLE).unwrap(),
        set("Agent")
    );
}

#[test]
fn a_header_without_user_name_or_with_a_repeated_column_is_refused() {
    assert_eq!(
        csv_error("title,email\nAgent,a@example.com\n"),
        "people.csv:1: column `userName`: missing: every file needs a userName column"
    );
    assert_eq!(
        csv_error("userName,title,Title\na@example.com,A,B\n"),
        "people.csv:1: column `Title`: appears twice"
    );
    assert!(csv_error("").contains("no header row"));
    assert!(csv_error("\n\n").contains("no header row"));
}

#[test]
fn a_file_with_nobody_is_refused() {
    let nobody =
        "people.csv: no people: the file has no rows (it is empty, blank, or a header alone)";
    assert_eq!(csv_error(&format!("{HEADER}\n")), nobody);
    for text in ["", "\n \n"] {
        assert_eq!(
            jsonl(text)
                .unwrap_err()
                .to_string()
                .replace(".jsonl", ".csv"),
            nobody
        );
    }
}

#[test]
fn bad_cells_are_reported_with_file_line_and_column() {
    let err = csv_error(concat!(
        "userName,active,email,displayName,manager\n",
        "a@example.com,yes,a@example.com,A,\n",
        ",true,,B,\n",
        "c@example.com,,not-an-email,C,\n",
        "d@example.com,,,<clear>,\n",
        "e@example.com,<clear>,,E,E@example.com\n",
        " f@example.com,,,F,\n",
        "<clear>,,,G,\n",
    ));
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "people.csv:2: column `active`: expected true or false, found `yes`",
            "people.csv:3: column `userName`: a userName is required",
            "people.csv:4: column `email`: `not-an-email` is not an email address",
            "people.csv:5: column `displayName`: displayName cannot be cleared: Genesys Cloud requires one",
            "people.csv:6: column `active`: active cannot be cleared; write true or false",
            "people.csv:6: column `manager`: a person cannot manage themselves",
            "people.csv:7: column `userName`: ` f@example.com` has spaces at the start or end; a userName is a login",
            "people.csv:8: column `userName`: a userName cannot be cleared",
        ]
    );
}

#[test]
fn a_row_with_too_few_or_too_many_cells_names_its_line() {
    let err = csv_error("userName,title\na@example.com,Agent\nb@example.com,Agent,extra\n");
    assert_eq!(
        err,
        "people.csv:3: this row has 3 cells but the header has 2; quote cells that hold the delimiter"
    );
}

#[test]
fn bytes_that_are_not_the_declared_encoding_name_their_line() {
    let mut bytes = b"userName,title\na@example.com,Agent\nb@example.com,Caf".to_vec();
    bytes.extend([0xe9, b'\n']);
    let mut options = ReadOptions::default();
    options.input.encoding = Some(encoding_rs::UTF_8);
    let err = parse("people.csv", &bytes[..], Format::Csv, &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("people.csv:3: bytes that are not valid UTF-8: pass --encoding"),
        "{err}"
    );
    // Undeclared, they are read as the legacy encoding they most likely are.
    let file = parse(
        "people.csv",
        &bytes[..],
        Format::Csv,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        *file.rows[1].person.text(Column::TITLE).unwrap(),
        set("Café")
    );
}

#[test]
fn duplicate_user_names_ignoring_case_and_duplicate_external_ids_are_refused() {
    let err = csv_error(concat!(
        "userName,externalId\n",
        "jane@example.com,E-1\n",
        "bob@example.com,E-2\n",
        "Jane@Example.com,E-3\n",
        "ann@example.com,E-2\n",
        "zed@example.com,e-2\n",
    ));
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "people.csv:4: column `userName`: `Jane@Example.com` is already on line 2 (userNames compare ignoring case)",
            "people.csv:5: column `externalId`: `E-2` is already on line 3",
        ]
    );
}

#[test]
fn group_cells_are_split_trimmed_and_deduplicated() {
    let rows = csv("userName,groups\na@example.com, Sales ; Support;Sales;\n").unwrap();
    assert_eq!(
        rows[0].person.groups,
        Desired::Set(vec!["Sales".into(), "Support".into()])
    );
    assert!(csv_error("userName,groups\na@example.com, ; \n").contains("no group names"));
}

#[test]
fn at_most_twenty_problems_are_listed() {
    let mut text = String::from("userName,active\n");
    for i in 0..30 {
        text.push_str(&format!("u{i}@example.com,maybe\n"));
    }
    let err = csv_error(&text);
    assert_eq!(err.lines().count(), 21);
    assert!(err.ends_with("people.csv: … and 10 more problems"), "{err}");
}

#[test]
fn json_lines_use_the_same_keys_with_null_to_clear() {
    let rows = jsonl(concat!(
        r#"{"userName":"a@example.com","active":false,"title":null,"groups":["Sales","Support"],"phone":""}"#,
        "\n\n",
        r#"{"userName":"b@example.com","active":"TRUE","groups":"Sales; Support","email":"<clear>"}"#,
        "\n",
    ))
    .unwrap();
    assert_eq!(rows[0].line, 1);
    assert!(!rows[0].person.active);
    assert_eq!(*rows[0].person.text(Column::TITLE).unwrap(), Desired::Clear);
    assert_eq!(*rows[0].person.text(Column::PHONE).unwrap(), Desired::Keep);
    assert_eq!(
        rows[0].person.groups,
        Desired::Set(vec!["Sales".into(), "Support".into()])
    );
    assert_eq!(rows[1].line, 3, "blank lines still count");
    assert!(rows[1].person.active);
    assert_eq!(*rows[1].person.text(Column::EMAIL).unwrap(), Desired::Clear);
    assert_eq!(
        rows[1].person.groups,
        Desired::Set(vec!["Sales".into(), "Support".into()])
    );
}

#[test]
fn bad_json_lines_name_the_line_and_key() {
    let err = jsonl(concat!(
        "{\"userName\":\"a@example.com\"}\n",
        "{\"userName\":\"b@example.com\",\n",
        "[1,2]\n",
        "{\"userName\":\"c@example.com\",\"employeeNumber\":1001,\"shoe\":\"x\"}\n",
        "{\"userName\":\"d@example.com\",\"groups\":[\"Sales\",7]}\n",
        "{\"title\":\"Agent\"}\n",
    ))
    .unwrap_err()
    .to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    assert!(
        lines[0].starts_with("people.jsonl:2: invalid JSON at character"),
        "{err}"
    );
    assert_eq!(
        lines[1],
        "people.jsonl:3: each line must be one JSON object"
    );
    assert_eq!(
        lines[2],
        "people.jsonl:4: column `employeeNumber`: expected a string, found 1001"
    );
    assert!(
        lines[3].starts_with("people.jsonl:4: column `shoe`: unknown column"),
        "{err}"
    );
    assert_eq!(
        lines[4],
        "people.jsonl:5: column `groups`: expected a list of strings, found 7"
    );
    assert_eq!(
        lines[5],
        "people.jsonl:6: column `userName`: a userName is required"
    );
}

#[test]
fn the_format_follows_the_extension_and_files_are_named_in_errors() {
    assert_eq!(
        Format::from_path(Path::new("hr/People.CSV")),
        Some(Format::Csv)
    );
    assert_eq!(Format::from_path(Path::new("x.jsonl")), Some(Format::Jsonl));
    assert_eq!(Format::from_path(Path::new("x.json")), None);
    let err = read_path(Path::new("people.pdf"), &ReadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "people.pdf: cannot tell the format: name the file .csv, .tsv, .txt, .xlsx, .xlsm, \
         .xlsb, .xls or .ods, or .jsonl"
    );
    let err = read_path(
        Path::new("/nonexistent/people.csv"),
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("/nonexistent/people.csv: cannot open the file:"),
        "{err}"
    );
}

#[test]
fn the_shipped_example_and_demo_org_are_valid() {
    for (name, text) in [
        (
            "examples/people.csv",
            include_str!("../../../examples/people.csv"),
        ),
        ("demo/org.csv", include_str!("../../demo/org.csv")),
    ] {
        let file = parse(name, text.as_bytes(), Format::Csv, &ReadOptions::default());
        assert!(file.is_ok(), "{}", file.unwrap_err());
    }
}

/// A person using every kind of cell and the characters CSV must quote.
fn tricky_person() -> Person {
    let mut p = Person::new("liam.o'connor@example.com");
    p.active = false;
    p.set(Column::DISPLAY_NAME, set("Liam \"Bill\" O'Connor, Jr."));
    p.set(Column::EXTERNAL_ID, set("HR-0001"));
    p.set(Column::TITLE, set("Head of Sales,\nEMEA"));
    p.set(Column::DEPARTMENT, Desired::Clear);
    p.set(Column::DIVISION, set("Europe"));
    p.set(Column::EMPLOYEE_NUMBER, set("0001"));
    p.set(Column::EMAIL, set("liam@example.com"));
    p.set(Column::PHONE, Desired::Keep);
    p.manager = set("zoë@example.com");
    p.groups = Desired::Set(vec!["Sales".into(), "Tier 2 Support".into()]);
    p
}

fn write_then_read(people: &[Person], format: Format) -> Vec<Person> {
    let mut out = Vec::new();
    let mut writer = PeopleWriter::new(format, &mut out).unwrap();
    for p in people {
        assert_eq!(writer.write(p).unwrap(), [], "{p:?}");
    }
    writer.finish().unwrap();
    parse("export", &out[..], format, &ReadOptions::default())
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.person)
        .collect()
}

#[test]
fn what_is_written_reads_back_the_same_in_both_formats() {
    let people = vec![tricky_person(), Person::new("plain@example.com")];
    for format in [Format::Csv, Format::Jsonl] {
        assert_eq!(write_then_read(&people, format), people, "{format:?}");
    }
}

#[test]
fn values_that_would_read_back_differently_leave_only_their_cell_empty() {
    let mut p = Person::new("a@example.com");
    p.set(Column::TITLE, set(CLEAR));
    p.set(Column::EMAIL, set("not an address"));
    p.manager = set("A@example.com");
    p.set(Column::DEPARTMENT, set("Sales"));
    let mut q = Person::new("b@example.com");
    q.groups = Desired::Set(vec!["R&D; Labs".into(), "Sales".into()]);
    let mut out = Vec::new();
    let mut writer = PeopleWriter::new(Format::Csv, &mut out).unwrap();
    let lossy: Vec<String> = writer
        .write(&p)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lossy,
        [
            "a@example.com: the title cell is left empty: the value is `<clear>`, which would clear it on the way back",
            "a@example.com: the email cell is left empty: `not an address` is not an email address the reader accepts",
            "a@example.com: the manager cell is left empty: the user is their own manager",
        ]
    );
    let lossy = writer.write(&q).unwrap();
    assert_eq!(lossy.len(), 1, "`;` splits groups in CSV: {lossy:?}");
    assert!(!lossy[0].breaks_the_file());
    writer.finish().unwrap();
    let back: Vec<Person> = parse("export", &out[..], Format::Csv, &ReadOptions::default())
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.person)
        .collect();
    let mut expected = Person::new("a@example.com");
    expected.set(Column::DEPARTMENT, set("Sales"));
    assert_eq!(back, [expected, Person::new("b@example.com")]);

    // JSON Lines keeps the group as one list item.
    assert_eq!(write_then_read(&[q.clone()], Format::Jsonl), [q]);
}

#[test]
fn a_user_name_that_cannot_read_back_is_written_and_breaks_the_file() {
    for name in ["", CLEAR, " a@example.com"] {
        let mut out = Vec::new();
        let mut writer = PeopleWriter::new(Format::Jsonl, &mut out).unwrap();
        let lossy = writer.write(&Person::new(name)).unwrap();
        writer.finish().unwrap();
        assert!(
            lossy.len() == 1 && lossy[0].breaks_the_file(),
            "{name:?}: {lossy:?}"
        );
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1);
    }
}

fn org_user() -> ScimV2User {
    serde_json::from_value(serde_json::json!({
        "id": "u-1",
        "userName": "jane@example.com",
        "displayName": "Jane Doe",
        "active": false,
        "title": "Agent",
        "externalId": "HR-7",
        "emails": [
            {"value": "jane.home@example.net", "type": "other"},
            {"value": "jane@example.com", "type": "work", "primary": true}
        ],
        "phoneNumbers": [
            {"value": "+15550100", "type": "mobile"},
            {"value": "+15550199", "type": "work"}
        ],
        "groups": [{"value": "g-2"}, {"value": "g-1"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "Support",
            "division": "EMEA",
            "employeeNumber": "0007",
            "manager": {"value": "u-9"}
        },
        "roles": [{"value": "agent"}]
    }))
    .unwrap()
}

fn directory() -> Directory {
    let mut d = Directory::default();
    d.user_names.insert("u-9".into(), "boss@example.com".into());
    d.group_names.insert("g-1".into(), "Support".into());
    d.group_names.insert("g-2".into(), "Sales".into());
    d
}

#[test]
fn an_exported_user_reads_back_with_the_same_attribute_values() {
    let (person, warnings) = person_from_user(&org_user(), &directory());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(person.user_name, "jane@example.com");
    assert!(!person.active);
    assert_eq!(
        *person.text(Column::EMAIL).unwrap(),
        set("jane@example.com"),
        "the work email"
    );
    assert_eq!(
        *person.text(Column::PHONE).unwrap(),
        set("+15550199"),
        "the work phone"
    );
    assert_eq!(
        person.manager,
        set("boss@example.com"),
        "the manager's userName"
    );
    assert_eq!(
        *person.text(Column::EMPLOYEE_NUMBER).unwrap(),
        set("0007"),
        "leading zeros survive"
    );
    assert_eq!(
        person.groups,
        Desired::Set(vec!["Sales".into(), "Support".into()])
    );
    for format in [Format::Csv, Format::Jsonl] {
        let back = write_then_read(std::slice::from_ref(&person), format);
        assert_eq!(back, std::slice::from_ref(&person));
    }
}

#[test]
fn attributes_a_user_lacks_are_exported_as_leave_alone() {
    let user: ScimV2User = serde_json::from_value(
        serde_json::json!({"id": "u-2", "userName": "bare@example.com", "title": ""}),
    )
    .unwrap();
    let (person, _) = person_from_user(&user, &directory());
    assert_eq!(person, Person::new("bare@example.com"));
}

#[test]
fn unresolved_references_warn_and_leave_the_cell_empty() {
    let (person, warnings) = person_from_user(&org_user(), &Directory::default());
    assert_eq!(person.manager, Desired::Keep);
    assert_eq!(
        person.groups,
        Desired::Keep,
        "a partial list would drop memberships"
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("manager u-9"), "{warnings:?}");
    assert!(warnings[1].contains("g-2, g-1"), "{warnings:?}");
}

#[test]
fn a_user_without_user_name_becomes_a_person_with_an_empty_one() {
    let user: ScimV2User =
        serde_json::from_value(serde_json::json!({"id": "u-3", "title": "Agent"})).unwrap();
    let (person, _) = person_from_user(&user, &directory());
    assert_eq!(person.user_name, "");
    assert_eq!(*person.text(Column::TITLE).unwrap(), set("Agent"));
}

#[test]
fn a_padded_value_is_left_out_of_an_export_since_it_would_read_back_trimmed() {
    let mut p = Person::new("a@example.com");
    p.set(Column::TITLE, set("Quality Analyst   "));
    let mut out = Vec::new();
    let mut writer = PeopleWriter::new(Format::Csv, &mut out).unwrap();
    let lossy = writer.write(&p).unwrap();
    assert_eq!(lossy.len(), 1);
    assert_eq!(
        lossy[0].to_string(),
        "a@example.com: the title cell is left empty: the value has spaces at its ends, \
         which the reader trims"
    );
}

#[test]
fn json_lines_in_utf16_with_a_bom_are_read_and_bad_bytes_name_their_line() {
    let text = "{\"userName\":\"zoë@example.com\"}\r\n{\"userName\":\"b@example.com\"}\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let file = parse(
        "people.jsonl",
        &bytes[..],
        Format::Jsonl,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(file.rows[0].person.user_name, "zoë@example.com");
    assert_eq!(file.rows[1].line, 2);
    let err = parse(
        "people.jsonl",
        &b"{\"userName\":\"a@example.com\"}\n{\"userName\":\"\xe9\"}\n"[..],
        Format::Jsonl,
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("people.jsonl"), "{err}");
    assert!(err.contains("UTF-8"), "{err}");
}
