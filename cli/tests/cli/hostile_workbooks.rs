//! Workbooks that are damaged, or made to exhaust memory: parts that
//! inflate a thousandfold, a shared-strings table or a sheet that claims
//! more than any sheet holds, a file cut short. Each is refused, naming
//! the file, before calamine trusts it: exit 2, never a panic or an abort.

use crate::common::{run_within, scim, temp_file};
use std::io::Read;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const STAFF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/staff.xlsx");

/// One part of a zip: its name, how it is stored (0 as is, 8 deflated),
/// its unpacked size and CRC, and its bytes as stored.
struct Part {
    name: String,
    method: u16,
    size: u32,
    crc: u32,
    data: Vec<u8>,
}

fn stored(name: &str, data: Vec<u8>) -> Part {
    Part {
        name: name.to_owned(),
        method: 0,
        size: u32::try_from(data.len()).unwrap(),
        crc: crc32fast::hash(&data),
        data,
    }
}

/// `staff.xlsx`'s parts, stored as they are.
fn staff_parts() -> Vec<Part> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(STAFF).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            stored(&file.name().unwrap(), data)
        })
        .collect()
}

/// A zip of `parts`, written by hand: the zip crate deflates what it is
/// given, and a bomb's part is deflated here, a block at a time.
fn zip_of(parts: &[Part]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let le16 =
        |buf: &mut Vec<u8>, values: &[u16]| values.iter().for_each(|v| buf.extend(v.to_le_bytes()));
    let le32 =
        |buf: &mut Vec<u8>, values: &[u32]| values.iter().for_each(|v| buf.extend(v.to_le_bytes()));
    for p in parts {
        let offset = u32::try_from(out.len()).unwrap();
        let packed = u32::try_from(p.data.len()).unwrap();
        let name_len = u16::try_from(p.name.len()).unwrap();
        // Version needed, flags, method, time, date (1980-01-01), CRC,
        // sizes packed and unpacked, name length, extra length.
        let header = |buf: &mut Vec<u8>| {
            le16(buf, &[20, 0, p.method, 0, 0x21]);
            le32(buf, &[p.crc, packed, p.size]);
            le16(buf, &[name_len, 0]);
        };
        le32(&mut out, &[0x0403_4b50]);
        header(&mut out);
        out.extend(p.name.as_bytes());
        out.extend(&p.data);
        le32(&mut central, &[0x0201_4b50]);
        le16(&mut central, &[20]);
        header(&mut central);
        // Comment length, disk, internal attributes; external ones, offset.
        le16(&mut central, &[0, 0, 0]);
        le32(&mut central, &[0, offset]);
        central.extend(p.name.as_bytes());
    }
    let count = u16::try_from(parts.len()).unwrap();
    let at = u32::try_from(out.len()).unwrap();
    let len = u32::try_from(central.len()).unwrap();
    out.extend(central);
    le32(&mut out, &[0x0605_4b50]);
    le16(&mut out, &[0, 0, count, count]);
    le32(&mut out, &[len, at]);
    le16(&mut out, &[0]);
    out
}

/// `bytes` deflated as blocks that stand alone (none refers back before
/// them, none is marked last), so that copies may follow one another.
fn deflated(bytes: &[u8]) -> Vec<u8> {
    let mut deflate = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(bytes.len() + 1024);
    deflate
        .compress_vec(bytes, &mut out, flate2::FlushCompress::Full)
        .unwrap();
    assert_eq!(deflate.total_in(), bytes.len() as u64);
    out
}

/// `xl/sharedStrings.xml` holding `units` times 65,536 one-letter strings
/// (17 bytes each): a MiB deflated once into a kilobyte or so, repeated.
fn shared_strings_bomb(units: u32) -> Part {
    let head = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let unit = b"<si><t>a</t></si>".repeat(1 << 16);
    let (mut data, mut crc, mut size) = (Vec::new(), crc32fast::Hasher::new(), 0u64);
    for (bytes, times) in [(&head[..], 1), (&unit[..], units), (b"</sst>", 1)] {
        let packed = deflated(bytes);
        let mut part_crc = crc32fast::Hasher::new();
        part_crc.update(bytes);
        for _ in 0..times {
            data.extend(&packed);
            crc.combine(&part_crc);
            size += bytes.len() as u64;
        }
    }
    data.extend([0x03, 0x00]); // the last block, empty
    Part {
        name: "xl/sharedStrings.xml".to_owned(),
        method: 8,
        size: u32::try_from(size).unwrap(),
        crc: crc.finalize(),
        data,
    }
}

/// `genesys-scim check` on a workbook of `parts`, with a mapping of the
/// fixture's columns.
fn check(name: &str, parts: &[Part]) -> (String, crate::common::Run) {
    check_bytes(name, &zip_of(parts))
}

/// `genesys-scim check` on a workbook of `bytes`, with a mapping of the
/// fixture's columns.
fn check_bytes(name: &str, bytes: &[u8]) -> (String, crate::common::Run) {
    let file = temp_file(name);
    std::fs::write(&file, bytes).unwrap();
    let map = temp_file("hostile.toml");
    let columns = r#"[columns]
userName = { from = "Email", lower = true }
displayName = "Name"
externalId = { from = "Employee ID", pad = 6 }
"#;
    std::fs::write(&map, columns).unwrap();
    let r = run_within(scim().arg("check").arg(&file).arg("--map").arg(&map), 30);
    (file.display().to_string(), r)
}

#[test]
fn a_workbook_whose_parts_unpack_to_more_than_a_gib_is_refused_unread() {
    let mut parts = staff_parts();
    parts.push(shared_strings_bomb(1100));
    let packed: usize = parts.iter().map(|p| p.data.len()).sum();
    assert!(packed < 4 << 20, "a few MiB on disk: {packed}");
    let (file, r) = check("bomb.xlsx", &parts);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains(&format!("{file}: the workbook unpacks to 1168 MiB")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("more than 1 GiB"), "{}", r.stderr);
}

#[test]
fn a_shared_strings_table_claiming_more_strings_than_a_sheet_holds_is_refused() {
    let strings = |count: &str| {
        let mut parts = staff_parts();
        parts.push(stored(
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="{count}"><si><t>a</t></si></sst>"#
            )
            .into_bytes(),
        ));
        parts
    };
    // A few KiB asking for twenty-four terabytes.
    let (file, r) = check("count.xlsx", &strings("999999999999"));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{file}: xl/sharedStrings.xml claims 999999999999 strings"
        )),
        "{}",
        r.stderr
    );
    // The same workbook with a true count is read.
    let (_, r) = check("count-1.xlsx", &strings("1"));
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn an_xls_sheet_claiming_more_cells_than_an_xls_sheet_holds_is_refused() {
    // staff.xls (BIFF8, written by xlwt) holds its Workbook stream in
    // order, so its first sheet's DIMENSIONS record (type 0x0200, 14
    // bytes) is found in the file as it is.
    let mut xls = std::fs::read(format!("{FIXTURES}/staff.xls")).unwrap();
    let at = xls
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0e, 0x00])
        .unwrap();
    // Rows 0 to 4,294,967,294 and columns 0 to 65,534.
    xls[at + 4..at + 16].copy_from_slice(&[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff, 0xff]);
    let (file, r) = check_bytes("dimensions.xls", &xls);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{file}: the workbook is damaged: its sheet 1 claims 4294967295 rows and 65535 columns"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn a_workbook_cut_short_anywhere_is_an_error_never_a_crash() {
    for name in ["staff.xls", "staff.xlsx", "staff.ods"] {
        let whole = std::fs::read(format!("{FIXTURES}/{name}")).unwrap();
        for len in (0..whole.len()).step_by(whole.len() / 40) {
            let (file, r) = check_bytes(&format!("cut-{name}"), &whole[..len]);
            assert!(r.code == 2 || r.code == 0, "{file} cut at {len}: {r:?}");
            assert!(
                !r.stderr.contains("panicked"),
                "{file} cut at {len}: {}",
                r.stderr
            );
        }
    }
}

#[test]
fn an_xls_that_is_another_format_says_which() {
    let xlsx = std::fs::read(STAFF).unwrap();
    let (file, r) = check_bytes("renamed.xls", &xlsx);
    assert_eq!(r.code, 2, "{r:?}");
    let expected = format!(
        "{file}: cannot read the workbook: it is a zipped workbook (.xlsx) named .xls: rename it .xlsx"
    );
    assert!(r.stderr.contains(&expected), "{}", r.stderr);
    let (file, r) = check_bytes(
        "page.xls",
        b"<html><table><tr><td>Email</td></tr></table></html>",
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{file}: cannot read the workbook: it is a web page or XML named .xls"
        )),
        "{}",
        r.stderr
    );
    let whole = std::fs::read(format!("{FIXTURES}/staff.xls")).unwrap();
    let (file, r) = check_bytes("cut.xls", &whole[..4620]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{file}: cannot read the workbook: it ends before its contents do"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn a_record_calamine_fails_on_is_an_error_naming_the_file_not_a_panic() {
    // staff.xls's first BoundSheet record (type 0x0085), its length cut
    // to 4: the sheet's offset with nothing after it.
    let mut xls = std::fs::read(format!("{FIXTURES}/staff.xls")).unwrap();
    let at = xls.windows(2).position(|w| w == [0x85, 0x00]).unwrap();
    xls[at + 2..at + 4].copy_from_slice(&[4, 0]);
    let (file, r) = check_bytes("bound-sheet.xls", &xls);
    assert_eq!(r.code, 2, "{r:?}");
    let expected = format!("{file}: cannot read the workbook: it is damaged (calamine failed: ");
    assert!(r.stderr.contains(&expected), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
