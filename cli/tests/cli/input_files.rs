//! Files as HR systems and Excel write them: encodings, delimiters,
//! spreadsheets, CRLF and multi-line cells, blank and repeated rows, and
//! characters lost before the file reached us. Every message names the line
//! as an editor shows it.
//!
//! `cli/tests/fixtures/staff.xlsx` was made with openpyxl: sheet
//! `Employees` (an id as a number, a hire date as a date cell, a phone as
//! a number, a blank row 3) and sheet `Contractors`; `staff.xls` (xlwt)
//! and `staff.ods` (odfpy) hold the same. `far-cell.xlsx` is `staff.xlsx`
//! with one more cell, `x` at XFD1048576, the sheet's last.

use crate::common::{run, run_within, scim, temp_file};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A people file's text with one person whose name needs more than ASCII.
const PEOPLE: &str =
    "userName,displayName,externalId\r\nzoe@example.com,Zoë O’Brien-Straße,E-1\r\n";

fn write(name: &str, bytes: &[u8]) -> String {
    let path = temp_file(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let bytes = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        out.extend(bytes);
    }
    out
}

/// Windows-1252 for the few letters these tests use.
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'ë' => 0xEB,
            '’' => 0x92,
            'ß' => 0xDF,
            '–' => 0x96,
            'Š' => 0x8A,
            c if c.is_ascii() => c as u8,
            c => panic!("{c} is not in this test's table"),
        })
        .collect()
}

/// The people file `convert` prints for a file read with `args`, through a
/// mapping that copies the people columns.
fn converted(file: &str, args: &[&str]) -> String {
    let name = std::path::Path::new(file)
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let map = write(
        &format!("{name}.copy.toml"),
        b"[columns]\nuserName = \"userName\"\ndisplayName = \"displayName\"\nexternalId = \"externalId\"\n",
    );
    let r = run(scim().args(["convert", file, "--map", &map]).args(args));
    assert_eq!(r.code, 0, "{r:?}");
    r.stdout
}

const ZOE: &str = "zoe@example.com,Zoë O’Brien-Straße,E-1";

#[test]
fn utf8_with_and_without_a_bom_and_utf16_with_a_bom_are_detected() {
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(PEOPLE.as_bytes());
    let files = [
        write("plain.csv", PEOPLE.as_bytes()),
        write("bom.csv", &bom),
        write("le.txt", &utf16(PEOPLE, false)),
        write("be.csv", &utf16(PEOPLE, true)),
    ];
    for file in files {
        let out = converted(&file, &[]);
        assert!(out.contains(ZOE), "{file}: {out}");
        let r = run(scim().args(["check", &file]));
        assert_eq!(r.code, 0, "{file}: {r:?}");
        assert!(r.stdout.contains(": 1 people"), "{r:?}");
    }
}

#[test]
fn windows_1252_is_detected_or_declared_and_wrong_bytes_name_their_line() {
    let file = write("cp1252.csv", &cp1252(PEOPLE));
    assert!(converted(&file, &[]).contains(ZOE));
    assert!(converted(&file, &["--encoding", "windows-1252"]).contains(ZOE));
    let map = write(
        "cp1252.toml",
        b"[input]\nencoding = \"windows-1252\"\n[columns]\nuserName = \"userName\"\ndisplayName = \"displayName\"\n",
    );
    let r = run(scim().args(["convert", &file, "--map", &map]));
    assert!(
        r.stdout.contains("zoe@example.com,Zoë O’Brien-Straße"),
        "{r:?}"
    );
    // Declared UTF-8, the same bytes are refused at the line that holds them.
    let r = run(scim().args(["check", &file, "--encoding", "utf-8"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!("{file}:2: ")) && r.stderr.contains("UTF-8"),
        "{}",
        r.stderr
    );
    let r = run(scim().args(["check", &file, "--encoding", "klingon"]));
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn semicolons_tabs_and_pipes_are_detected_or_declared() {
    for (name, delimiter) in [
        ("semi.csv", ";"),
        ("tabs.tsv", "\t"),
        ("tabs.txt", "\t"),
        ("pipes.csv", "|"),
    ] {
        let text = PEOPLE.replace(',', delimiter);
        let file = write(name, text.as_bytes());
        assert!(converted(&file, &[]).contains(ZOE), "{name}");
        let declared = if delimiter == "\t" { "tab" } else { delimiter };
        assert!(
            converted(&file, &["--delimiter", declared]).contains(ZOE),
            "{name}"
        );
    }
    // Declared wrong, the header is one column, and the error says so.
    let file = write("semi2.csv", PEOPLE.replace(',', ";").as_bytes());
    let r = run(scim().args(["check", &file, "--delimiter", ","]));
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn line_numbers_are_the_editors_in_crlf_files_and_after_multi_line_cells() {
    let text = "userName,displayName,dateHire\r\n\
                a@example.com,\"Ann\r\nMarie\",2024-01-02\r\n\
                b@example.com,Bo,2024-13-01\r\n\
                \r\n\
                c@example.com,Cy,tomorrow\r\n";
    let file = write("crlf.csv", text.as_bytes());
    let r = run(scim().args(["check", &file]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!("{file}:4: column `dateHire`")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("{file}:6: column `dateHire`")),
        "{}",
        r.stderr
    );
}

#[test]
fn a_workbook_is_read_from_its_first_sheet_or_the_one_named() {
    for name in ["staff.xlsx", "staff.xls", "staff.ods"] {
        workbook_is_read(&format!("{FIXTURES}/{name}"));
    }
}

fn workbook_is_read(file: &str) {
    let file = file.to_owned();
    let map = write(
        "staff.toml",
        br#"[columns]
userName = { from = "Email", lower = true }
displayName = "Name"
externalId = { from = "Employee ID", pad = 6 }
dateHire = { from = "Hired", date = "MM/DD/YYYY" }
phone = { from = "Phone", phone = "US" }
"#,
    );
    let r = run(scim().args(["convert", &file, "--map", &map, "-o", "jsonl"]));
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "the blank row is no person: {}", r.stdout);
    for expected in [
        r#""userName":"zoe.brandt@example.com""#,
        r#""externalId":"001042""#,
        r#""dateHire":"2019-03-14""#,
        r#""phone":"+13125550100""#,
    ] {
        assert!(lines[0].contains(expected), "{expected} in {}", lines[0]);
    }
    assert!(
        lines[1].contains(r#""externalId":"000007""#),
        "{}",
        lines[1]
    );
    let r = run(scim().args(["convert", &file, "--map", &map, "--sheet", "Contractors"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("ana.ruiz@agency.example"), "{}", r.stdout);
    let r = run(scim().args(["convert", &file, "--map", &map, "--sheet", "Interns"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("Employees, Contractors"), "{}", r.stderr);
    // A row's problem names the sheet and the row.
    let bad = write(
        "staff-bad.toml",
        b"[columns]\nuserName = \"Name\"\nemail = \"Name\"\n",
    );
    let r = run(scim().args(["check", &file, "--map", &bad]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains(&format!("{file}:Employees!2: column `email`")),
        "{}",
        r.stderr
    );
}

#[test]
fn blank_rows_are_skipped_and_identical_rows_collapse_with_a_warning() {
    let text = "userName,displayName\n\
                a@example.com,Ann\n\
                ,\n\
                b@example.com,Bo\n\
                a@example.com,Ann\n\
                \n";
    let file = write("dups.csv", text.as_bytes());
    let check = run(scim().args(["check", &file]));
    let plan = run(scim().args([
        "--fake",
        "sync",
        "plan",
        "--from",
        &file,
        "--skip-invalid-rows",
    ]));
    for r in [check, plan] {
        assert_eq!(r.code, 0, "{r:?}");
        // On stderr as `check` reads; in the plan of `sync plan`.
        let said = r.all_output();
        assert!(
            said.contains(&format!("{file}:5: ")) && said.contains("line 2"),
            "{said}"
        );
    }
    let r = run(scim().args(["check", &file]));
    assert!(r.stdout.contains(": 2 people"), "{}", r.stdout);
    // Rows that differ in one cell are two rows for one person: refused.
    let text = "userName,displayName\na@example.com,Ann\na@example.com,Anne\n";
    let r = run(scim().args(["check", &write("twins.csv", text.as_bytes())]));
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn label_rows_and_title_rows_are_declared_in_the_mapping() {
    let text = "Staff report 2026-12-01\r\n\
                id,mail,name\r\n\
                Id,Work email,Full name\r\n\
                1,a@example.com,Ann\r\n";
    let file = write("labels.csv", text.as_bytes());
    let map = write(
        "labels.toml",
        b"[input]\nheader_row = 2\nlabel_rows = 1\n[columns]\nuserName = \"mail\"\nexternalId = \"id\"\ndisplayName = \"name\"\n",
    );
    let r = run(scim().args(["convert", &file, "--map", &map]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("a@example.com,Ann,1,"), "{}", r.stdout);
    assert!(r.stderr.contains("converted 1 people"), "{}", r.stderr);
}

#[test]
fn characters_lost_before_the_file_reached_us_are_warned_about() {
    let text = "userName,displayName,externalId\n\
                a@example.com,Jos? Garc?a,1\n\
                b@example.com,Bj\u{FFFD}rn,2\n\
                c@example.com,Who? Me,3\n";
    let file = write("lost.csv", text.as_bytes());
    let r = run(scim().args(["check", &file]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains(&format!("{file}:2: ")), "{}", r.stderr);
    assert!(r.stderr.contains("Jos? Garc?a"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{file}:3: ")), "{}", r.stderr);
    assert!(!r.stderr.contains(&format!("{file}:4: ")), "{}", r.stderr);
}

/// A file of `len` bytes that takes no disk space and no time to make: a
/// hole, which reads as zeros.
fn sparse(name: &str, len: u64) -> String {
    let path = temp_file(name);
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn people_files_exports_and_mappings_are_read_up_to_a_bound() {
    let map = write("bound.toml", b"[columns]\nuserName = \"userName\"\n");
    // Too large a file is refused unread, naming the file and the bound.
    for (name, mapped) in [
        ("huge.csv", false),
        ("huge.jsonl", false),
        ("huge.xlsx", true),
    ] {
        let file = sparse(name, 300 << 20);
        let mut cmd = scim();
        cmd.args(["check", &file]);
        if mapped {
            cmd.args(["--map", &map]);
        }
        let r = run_within(&mut cmd, 20);
        std::fs::remove_file(&file).unwrap();
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains(&format!("{file}: larger than 256 MiB")),
            "{}",
            r.stderr
        );
    }
    // A device (or a pipe that never ends) is read no further than the bound.
    #[cfg(unix)]
    {
        let zero = temp_file("zero.csv");
        let _ = std::fs::remove_file(&zero);
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let zero = zero.to_str().unwrap();
        let r = run_within(scim().args(["check", zero]), 20);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("larger than 256 MiB"), "{}", r.stderr);
        let people = write("bound.csv", b"userName\na@example.com\n");
        let r = run_within(scim().args(["check", &people, "--map", "/dev/zero"]), 20);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains("/dev/zero: larger than 1 MiB"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn a_stray_cell_far_from_the_table_is_a_problem_of_its_row_not_a_crash() {
    let file = format!("{FIXTURES}/far-cell.xlsx");
    let map = write(
        "far-cell.toml",
        b"[columns]\nuserName = { from = \"Email\", lower = true }\n",
    );
    let r = run_within(scim().args(["check", &file, "--map", &map]), 20);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{file}:Employees!1048576: this row has 16384 cells but the header has 5"
        )),
        "{}",
        r.stderr
    );
}
