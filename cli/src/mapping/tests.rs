use super::load::from_text;
use super::*;
use crate::people::Desired;

fn mapped(map: &str, csv: &str) -> Result<PeopleFile, InputError> {
    let dir = std::env::temp_dir().join(format!("scim-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:x}.csv", csv.len() * 31 + map.len()));
    std::fs::write(&path, csv).unwrap();
    let mapping = from_text("map.toml", map)?;
    read(&path, &mapping, &ReadOptions::default())
}

fn cell(file: &PeopleFile, row: usize, column: &str) -> Desired<String> {
    let column = Column::parse(column).unwrap();
    file.rows[row].person.text(column).cloned().unwrap()
}

#[test]
fn columns_are_renamed_built_from_templates_and_set_to_constants() {
    let map = r#"
[columns]
userName = { from = "Work Email", lower = true }
displayName = { template = ["{Preferred} {Last}", "{First} {Last}"] }
department = { constant = "Care" }
title = "Job"
division = { from = "Region", upper = true }
"#;
    let csv = "Work Email,First,Preferred,Last,Job,Region\n\
               Ana@Example.com,Ana,Annie,Lee, Agent ,emea\n\
               bo@example.com,Bo,,Kim,,\n";
    let c = mapped(map, csv).unwrap();
    assert_eq!(c.rows[0].person.user_name, "ana@example.com");
    assert_eq!(cell(&c, 0, "displayName"), Desired::Set("Annie Lee".into()));
    assert_eq!(cell(&c, 1, "displayName"), Desired::Set("Bo Kim".into()));
    assert_eq!(cell(&c, 0, "department"), Desired::Set("Care".into()));
    assert_eq!(cell(&c, 0, "title"), Desired::Set("Agent".into()));
    assert_eq!(cell(&c, 1, "title"), Desired::Keep);
    assert_eq!(cell(&c, 0, "division"), Desired::Set("EMEA".into()));
}

#[test]
fn value_tables_dates_and_phones_convert_cells_and_name_the_line_when_they_cannot() {
    let map = r#"
[columns]
userName = "Email"
active = { from = "Status", values = { Active = true, "On Leave" = true, Terminated = false } }
dateHire = { from = "Hired", date = "MM/DD/YYYY" }
phone = { from = "Phone", phone = "US" }
groups = { from = "Dept", values = { Support = "Support;Tier 1" }, default = "" }
"#;
    let csv = "Email,Status,Hired,Phone,Dept\n\
               a@example.com,on leave,3/7/2021,(312) 555-0101,Support\n\
               b@example.com,Terminated,12/31/2020,,Finance\n";
    let c = mapped(map, csv).unwrap();
    let a = &c.rows[0].person;
    assert!(a.active);
    assert_eq!(cell(&c, 0, "dateHire"), Desired::Set("2021-03-07".into()));
    assert_eq!(cell(&c, 0, "phone"), Desired::Set("+13125550101".into()));
    assert_eq!(
        a.groups,
        Desired::Set(vec!["Support".into(), "Tier 1".into()])
    );
    assert!(!c.rows[1].person.active);
    assert_eq!(c.rows[1].person.groups, Desired::Keep);

    let bad = "Email,Status,Hired,Phone,Dept\n\
               a@example.com,Retired,2021-03-07,555-0101,\n";
    let err = mapped(map, bad).err().unwrap().to_string();
    for expected in [
        ":2: column `active`: `Retired` is not in the values table",
        ":2: column `dateHire`: `2021-03-07` is not a date as MM/DD/YYYY",
        ":2: column `phone`: `555-0101` is not a phone number: a North American number has 10 digits",
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
}

#[test]
fn a_manager_is_found_by_any_key_of_the_file() {
    let map = r#"
[columns]
userName = "Email"
externalId = "Id"
manager = { from = "Manager Id", key = "Id" }
"#;
    let csv =
        "Id,Email,Manager Id\n1,boss@example.com,\n2,ana@example.com,1\n3,bo@example.com,99\n";
    let c = mapped(map, csv).unwrap();
    assert_eq!(
        c.rows[1].person.manager,
        Desired::Set("boss@example.com".into())
    );
    assert_eq!(c.rows[2].person.manager, Desired::Keep);
    assert_eq!(c.warnings.len(), 1);
    let warning = c.place().render(&c.warnings[0]);
    assert!(
        warning.contains(":4: manager `99` is no row's `Id`"),
        "{warning}"
    );
}

#[test]
fn rows_are_skipped_by_condition() {
    let map = r#"
[columns]
userName = "Email"

[[skip]]
column = "Type"
equals = ["Contractor"]

[[skip]]
column = "Email"
empty = true
"#;
    let csv = "Email,Type\na@example.com,Employee\nb@example.com,contractor\n,Employee\n";
    let c = mapped(map, csv).unwrap();
    let names: Vec<&str> = c.rows.iter().map(|r| r.person.user_name.as_str()).collect();
    assert_eq!(names, ["a@example.com"]);
}

#[test]
fn mapping_errors_name_the_mapping_line_and_key() {
    let cases = [
        (
            "[columns]\nuserName = \"E\"\ntitel = \"T\"\n",
            "map.toml:3: key `columns.titel`: no such people-file column; did you mean `title`?",
        ),
        (
            "[columns]\nuserName = { from = \"E\", shout = true }\n",
            "map.toml:2: key `columns.userName`: unknown option `shout`",
        ),
        (
            "[columns]\nuserName = { from = \"E\", constant = \"x\" }\n",
            "map.toml:2: key `columns.userName`: give exactly one of `from`, `template` and `constant`",
        ),
        (
            "[columns]\nuserName = \"E\"\ndateHire = { from = \"H\", date = \"MM/YYYY\" }\n",
            "map.toml:3: key `columns.dateHire`: date layout `MM/YYYY` must hold",
        ),
        (
            "[columns]\nuserName = \"E\"\nphone = { from = \"P\", phone = \"Atlantis\" }\n",
            "map.toml:3: key `columns.phone`: unknown country `ATLANTIS`",
        ),
        (
            "[columns]\nuserName = \"E\"\ntitle = { from = \"T\", key = \"Id\" }\n",
            "map.toml:3: key `columns.title`: `key` is for `manager` only",
        ),
        (
            "[columns]\ntitle = \"T\"\n",
            "map.toml: the mapping must give `columns.userName`",
        ),
        (
            "[columns]\nuserName = \"E\"\n[[skip]]\ncolumn = \"E\"\n",
            "map.toml:3: key `skip`: give `equals",
        ),
        ("[columns\n", "map.toml:1: "),
        ("[colums]\n", "map.toml:1: unknown field `colums`"),
    ];
    for (text, expected) in cases {
        let err = from_text("map.toml", text)
            .err()
            .unwrap_or_else(|| panic!("{text}"))
            .to_string();
        assert!(err.starts_with(expected), "{expected}\n  got: {err}");
    }
    // A column the export lacks is named at the mapping's line.
    let err = mapped(
        "[columns]\nuserName = \"Email\"\n\ntitle = \"Titel\"\n",
        "Email,Title\na@example.com,A\n",
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        err.starts_with("map.toml:4: key `columns.title`: "),
        "{err}"
    );
    assert!(err.contains("has no column `Titel`"), "{err}");
}

#[test]
fn a_mapping_may_name_the_managed_groups() {
    let m = from_text(
        "map.toml",
        "managed_groups = [\"Support\"]\n[columns]\nuserName = \"E\"\n",
    )
    .unwrap();
    assert_eq!(m.managed_groups, ["Support"]);
}
