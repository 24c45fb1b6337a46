use super::load::from_text;
use super::*;
use crate::people::Desired;

fn mapped(map: &str, csv: &str) -> Result<PeopleFile, InputError> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("scim-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let path = dir.join(format!("{n}.csv"));
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
    // A key in no row (an executive of the parent company) means none.
    assert_eq!(c.rows[0].person.manager, Desired::Keep);
    assert_eq!(c.rows[2].person.manager, Desired::Clear);
    assert_eq!(c.warnings.len(), 1);
    let warning = c.place().render(&c.warnings[0]);
    assert!(
        warning.contains(":4: manager `99` is no row's `Id`: no manager"),
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
            "map.toml:2: key `columns.userName`: give exactly one of `from`, `template`, `constant` and `expr`",
        ),
        (
            "[columns]\nuserName = \"E\"\ndateHire = { from = \"H\", date = \"MM/YYYY\" }\n",
            "map.toml:3: key `columns.dateHire`: date layout `MM/YYYY` must hold",
        ),
        (
            "[columns]\nuserName = \"E\"\nphone = { from = \"P\", phone = \"Atlantis\" }\n",
            "map.toml:3: key `columns.phone`: `Atlantis` is not a country",
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
            "map.toml:3: key `skip`: give `column` with `equals",
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

fn warnings(file: &PeopleFile) -> Vec<String> {
    file.warnings
        .iter()
        .map(|w| file.place().render(w))
        .collect()
}

#[test]
fn phones_take_the_country_of_their_row_and_keep_their_own_when_international() {
    let map = r#"
[columns]
userName = "Email"
phone = { from = "Phone", phone = "US", country = "Country" }
"phone.mobile" = { from = "Mobile", phone = "US", country = { from = "City", values = { Dublin = "IE", "Ciudad de México" = "MX" }, default = "US" } }
"#;
    let csv = "Email,Country,City,Phone,Mobile\n\
               a@example.com,GBR,Dublin,020 7946 0123,01 234 5678\n\
               b@example.com,DE,Ciudad de México,0151/12345678,55 5418 1034\n\
               c@example.com,USA,Chicago,+44 (0)20 7946 0123,0049 30 12345678\n\
               d@example.com,,Chicago,(312) 555-0100,1-312-555-0101\n\
               e@example.com,JPN,Chicago,03-1234-5678,\n";
    let c = mapped(map, csv).unwrap();
    let phones: Vec<(Desired<String>, Desired<String>)> = (0..5)
        .map(|i| (cell(&c, i, "phone"), cell(&c, i, "phone.mobile")))
        .collect();
    let set = |v: &str| Desired::Set(v.to_owned());
    assert_eq!(
        phones,
        [
            (set("+442079460123"), set("+35312345678")),
            (set("+4915112345678"), set("+525554181034")),
            (set("+442079460123"), set("+493012345678")),
            (set("+13125550100"), set("+13125550101")),
            (set("+81312345678"), Desired::Keep),
        ]
    );
    assert!(c.warnings.is_empty(), "{:?}", warnings(&c));
}

#[test]
fn extensions_come_from_the_cell_or_from_another_column() {
    let map = r#"
[columns]
userName = "Email"
phone = { from = "Phone", phone = "US", extension = "Ext" }
"#;
    let csv = "Email,Phone,Ext\n\
               a@example.com,(312) 555-0100 x123,\n\
               b@example.com,312.555.0100 ext. 45,\n\
               c@example.com,+1 312 555 0100;ext=7,\n\
               d@example.com,+44 20 7946 0123,456\n";
    let c = mapped(map, csv).unwrap();
    let phones: Vec<Desired<String>> = (0..4).map(|i| cell(&c, i, "phone")).collect();
    let set = |v: &str| Desired::Set(v.to_owned());
    assert_eq!(
        phones,
        [
            set("+13125550100;ext=123"),
            set("+13125550100;ext=45"),
            set("+13125550100;ext=7"),
            set("+442079460123;ext=456"),
        ]
    );
}

#[test]
fn an_invalid_phone_is_a_warning_naming_the_line_and_the_row_still_syncs() {
    let map = r#"
[columns]
userName = "Email"
title = "Title"
phone = { from = "Phone", phone = "GB" }
"#;
    let csv = "Email,Title,Phone\n\
               a@example.com,Agent,TBC\n\
               b@example.com,Lead,020 7946 012\n\
               c@example.com,Chief,(312) 555-0100\n\
               d@example.com,Clerk,n/a\n";
    let c = mapped(map, csv).unwrap();
    assert_eq!(c.rows.len(), 4);
    for i in 0..4 {
        assert_eq!(cell(&c, i, "phone"), Desired::Keep, "row {i}");
    }
    assert_eq!(cell(&c, 0, "title"), Desired::Set("Agent".into()));
    let w = warnings(&c);
    assert_eq!(w.len(), 4, "{w:?}");
    for (line, value) in [
        (2, "TBC"),
        (3, "020 7946 012"),
        (4, "(312) 555-0100"),
        (5, "n/a"),
    ] {
        assert!(
            w.iter()
                .any(|w| w.contains(&format!(":{line}: column `phone`: `{value}`"))),
            "{line} {value}: {w:?}"
        );
    }
}

#[test]
fn dates_come_as_layouts_strftime_iso_odata_and_epoch_milliseconds() {
    let map = r#"
[columns]
userName = "Email"
dateHire = { from = "Hired", date = "MM/DD/YYYY" }
"#;
    let c = mapped(map, "Email,Hired\na@example.com,3/7/2021\n").unwrap();
    assert_eq!(cell(&c, 0, "dateHire"), Desired::Set("2021-03-07".into()));
    for (layout, value, date) in [
        ("%d/%m/%Y", "14/03/2019", "2019-03-14"),
        ("%d.%m.%Y", "7.3.2021", "2021-03-07"),
        ("iso", "2021-06-01T23:00:00Z", "2021-06-01"),
        ("iso", "2021-06-01T08:00:00Z", "2021-06-01"),
        ("iso", "2021-06-01T01:00:00+02:00", "2021-05-31"),
        ("iso", "2021-06-01", "2021-06-01"),
        ("odata", "/Date(1552521600000)/", "2019-03-14"),
        ("odata", "/Date(1552521600000+0000)/", "2019-03-14"),
        ("epoch-ms", "1552521600000", "2019-03-14"),
    ] {
        let map = format!(
            "[columns]\nuserName = \"Email\"\ndateHire = {{ from = \"Hired\", date = \"{layout}\" }}\n"
        );
        let c = mapped(&map, &format!("Email,Hired\na@example.com,{value}\n"))
            .unwrap_or_else(|e| panic!("{layout} {value}: {e}"));
        assert_eq!(
            cell(&c, 0, "dateHire"),
            Desired::Set(date.into()),
            "{layout} {value}"
        );
    }
    // A date-time is taken in the time zone the mapping declares.
    let map = "[columns]\nuserName = \"Email\"\ndateHire = { from = \"Hired\", date = \"odata\", time_zone = \"America/Chicago\" }\n";
    let c = mapped(map, "Email,Hired\na@example.com,/Date(1552521600000)/\n").unwrap();
    assert_eq!(cell(&c, 0, "dateHire"), Desired::Set("2019-03-13".into()));
    let map =
        "[columns]\nuserName = \"Email\"\ndateHire = { from = \"Hired\", date = \"odata\" }\n";
    let err = mapped(map, "Email,Hired\na@example.com,2019-03-14\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(":2: column `dateHire`: `2019-03-14` is not"),
        "{err}"
    );
}

#[test]
fn expressions_choose_by_condition_and_transform_text() {
    let map = r#"
[columns]
userName = { expr = "row['Mail'] | trim | lower" }
displayName = { expr = "givenName ~ ' ' ~ surname if displayName == surname ~ ', ' ~ givenName else displayName" }
title = { expr = "'Contractor' if Type in ['C', 'Agency'] else (Title or 'Employee')" }
department = { expr = "(Dept | split('/'))[0] | trim | title" }
division = { expr = "OU | capture('OU=([^,]+)') or none" }
employeeNumber = { expr = "Id | replace('E-', '') if Id is matching('^E-') else Id" }
"#;
    let csv = "Mail,displayName,surname,givenName,Type,Title,Dept,OU,Id\n\
               \" Ann@Example.com \",\"Smith, Jr., Robert\",\"Smith, Jr.\",Robert,E,,care / tier 1,\"CN=x,OU=EMEA,DC=c\",E-7\n\
               ken@example.com,佐藤健,佐藤,健,Agency,,sales,,K9\n";
    let c = mapped(map, csv).unwrap();
    assert_eq!(c.rows[0].person.user_name, "ann@example.com");
    assert_eq!(
        cell(&c, 0, "displayName"),
        Desired::Set("Robert Smith, Jr.".into())
    );
    assert_eq!(cell(&c, 1, "displayName"), Desired::Set("佐藤健".into()));
    assert_eq!(cell(&c, 0, "title"), Desired::Set("Employee".into()));
    assert_eq!(cell(&c, 1, "title"), Desired::Set("Contractor".into()));
    assert_eq!(cell(&c, 0, "department"), Desired::Set("Care".into()));
    assert_eq!(cell(&c, 0, "division"), Desired::Set("EMEA".into()));
    assert_eq!(cell(&c, 1, "division"), Desired::Keep);
    assert_eq!(cell(&c, 0, "employeeNumber"), Desired::Set("7".into()));
    assert_eq!(cell(&c, 1, "employeeNumber"), Desired::Set("K9".into()));
    // A column the export lacks is named, at the mapping's line.
    let err = mapped(
        "[columns]\nuserName = \"Mail\"\n\ntitle = { expr = \"row['Titel'] or 'x'\" }\n",
        csv,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("map.toml:4: key `columns.title`: "), "{err}");
    assert!(err.contains("no column `Titel`"), "{err}");
    let err = from_text("map.toml", "[columns]\nuserName = { expr = \"a ~\" }\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("map.toml:2: key `columns.userName`: "),
        "{err}"
    );
}

#[test]
fn a_manager_is_found_by_upn_or_dn_and_none_means_no_manager() {
    let map = r#"
[columns]
userName = { from = "UPN", lower = true }
manager = { from = "Manager", key = ["UPN", "DN"], none = ["NO_MANAGER"] }
"#;
    let csv = "UPN,DN,Manager\n\
               Boss@Example.com,\"CN=Boss\\, Big,OU=Corp,DC=c\",NO_MANAGER\n\
               ann@example.com,,boss@example.com\n\
               bo@example.com,\"CN=Bo,OU=Corp,DC=c\",\"CN=Boss\\, Big,OU=Corp,DC=c\"\n\
               cy@example.com,,\"CN=Board\\, Chair,OU=Exec,DC=c\"\n";
    let c = mapped(map, csv).unwrap();
    let managers: Vec<&Desired<String>> = c.rows.iter().map(|r| &r.person.manager).collect();
    let boss = Desired::Set("boss@example.com".to_owned());
    assert_eq!(managers, [&Desired::Clear, &boss, &boss, &Desired::Clear]);
    let w = warnings(&c);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains(":5: manager `CN=Board\\, Chair"), "{w:?}");
}

#[test]
fn two_kept_rows_with_one_manager_key_are_refused_naming_both_lines() {
    let map = r#"
[columns]
userName = "Email"
manager = { from = "Boss Badge", key = "Badge" }

[[skip]]
column = "Status"
equals = ["T"]
"#;
    // The left-out row (line 3) may share its badge.
    let csv = "Email,Badge,Boss Badge,Status\n\
               a@example.com,B1,,A\n\
               old@example.com,B1,,T\n\
               b@example.com,B2,B1,A\n\
               c@example.com,B2,B1,A\n";
    let err = mapped(map, csv).unwrap_err().to_string();
    assert!(err.contains(":4: column `manager`: "), "{err}");
    assert!(err.contains(":5: column `manager`: "), "{err}");
    assert!(
        err.contains("`B2`") && err.contains("line 4") && err.contains("line 5"),
        "{err}"
    );
    assert!(!err.contains(":3:"), "{err}");
}

#[test]
fn rows_are_skipped_by_an_expression() {
    let map = r#"
[columns]
userName = "Email"

[[skip]]
when = "userType == 'Guest' or not employeeId"
"#;
    let csv = "Email,userType,employeeId\na@example.com,Member,1\nb@example.com,Guest,2\nc@example.com,Member,\n";
    let c = mapped(map, csv).unwrap();
    let names: Vec<&str> = c.rows.iter().map(|r| r.person.user_name.as_str()).collect();
    assert_eq!(names, ["a@example.com"]);
}

#[test]
fn an_expression_looks_up_another_kept_row_by_any_column() {
    let map = r#"
[columns]
userName = "Email"
# The buddy is named by full name; their email is the login.
manager = { expr = "(lookup('Name', row['Reports To']) or {})['Email']" }
title = { expr = "lookup('Email', Email)['Title'] | upper" }

[[skip]]
column = "Status"
equals = ["T"]
"#;
    let csv = "Email,Name,Reports To,Title,Status\n\
               boss@example.com,Ada Boss,,Chief,A\n\
               old@example.com,Ann Lee,,Old,T\n\
               ann@example.com,Ann Lee,Ada Boss,Agent,A\n\
               bo@example.com,Bo Kim,Nobody,Agent,A\n";
    let c = mapped(map, csv).unwrap();
    assert_eq!(
        c.rows[1].person.manager,
        Desired::Set("boss@example.com".into())
    );
    assert_eq!(c.rows[2].person.manager, Desired::Keep);
    assert_eq!(cell(&c, 0, "title"), Desired::Set("CHIEF".into()));
    // Two kept rows with the value: refused, naming both lines.
    let csv = "Email,Name,Reports To,Title,Status\n\
               boss@example.com,Ada Boss,,Chief,A\n\
               boss2@example.com,Ada Boss,,Chief,A\n\
               ann@example.com,Ann Lee,Ada Boss,Agent,A\n";
    let err = mapped(map, csv).unwrap_err().to_string();
    assert!(err.contains(":4: column `manager`: "), "{err}");
    assert!(err.contains("lines 2 and 3"), "{err}");
}

#[test]
fn a_column_the_header_names_twice_is_refused_when_the_mapping_reads_it() {
    let csv = "Email,Name,email\na@example.com,Ann,ann@example.com\n";
    let err = mapped("[columns]\nuserName = \"Email\"\n", csv)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("map.toml:2: key `columns.userName`: "),
        "{err}"
    );
    assert!(err.contains("`Email` twice (columns 1 and 3)"), "{err}");
    // A repeated column nobody reads is no problem.
    let csv = "Email,Note,Note\na@example.com,x,y\n";
    assert!(mapped("[columns]\nuserName = \"Email\"\n", csv).is_ok());
}

/// The README's mapping reference: the rows of the table that starts at
/// the line `head`, as their cells.
fn readme_table(head: &str) -> Vec<Vec<String>> {
    let readme = include_str!("../../../README.md");
    let start = readme.find(head).expect("the README has the table");
    readme[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let l = l.replace("\\|", "\u{1}");
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace('\u{1}', "|"))
                .collect()
        })
        .collect()
}

/// The text between backticks in a README cell.
fn code(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_readme_lists_every_option_and_its_expressions_run() {
    let options: Vec<String> = readme_table("| option | meaning | example |")
        .iter()
        .flat_map(|row| code(&row[0]))
        .collect();
    for option in super::load::OPTIONS.split(", ").map(str::trim) {
        assert!(
            options.iter().any(|o| o == option),
            "`{option}` in the README"
        );
    }
    let constructs = readme_table("| construct | example |");
    assert!(constructs.len() >= 10, "{constructs:?}");
    for ours in ["capture", "pad", "matching", "lookup", "cjk"] {
        let documented = constructs.iter().any(|row| row[0].contains(ours));
        assert!(documented, "`{ours}` in the README");
    }
    let csv = "userName,displayName,surname,givenName,Type,Preferred Name,First Name,\
               Last Name,lastName,firstName,Mail,Dept,Id,DN,manager,Full Name,Reports To,\
               Work Email,upn\n\
               a@example.com,\"Smith, Jo\",Smith,Jo,C,,Ann,Lee,Lee,Ann, X@Y.com ,Eng/QA,E-42,\
               \"CN=x,OU=Sales,DC=y\",CN=z,Ann Lee,Bob Roe,a@example.com,u@contoso.com\n\
               b@example.com,Bob Roe,Roe,Bob,E,,Bob,Roe,Roe,Bob,b@y.com,Ops,7,,,Bob Roe,,\
               b@example.com,v@x.com\n";
    for row in &constructs {
        for example in code(&row[1]) {
            let expr = example.replace('…', "'x'");
            let map = format!(
                "[columns]\nuserName = \"userName\"\ntitle = {{ expr = {} }}\n",
                serde_json::Value::from(expr.as_str())
            );
            let file = mapped(&map, csv).unwrap_or_else(|e| panic!("`{expr}`: {e}"));
            assert!(
                matches!(cell(&file, 0, "title"), Desired::Set(_)),
                "`{expr}` gives a value"
            );
        }
    }
}
