//! An .xls workbook taken out of its compound file by the cfb crate before
//! calamine reads it. calamine's own compound-file reader panics on a file
//! cut short, and calamine reserves room for as many cells as a sheet's
//! DIMENSIONS record claims, so one damaged record aborts the process.
//! Here the Workbook stream is read, each sheet's DIMENSIONS record is
//! checked as calamine would read it, and the stream is packed into a
//! fresh compound file: calamine then reads exactly the stream checked.

use std::io::{Cursor, Read, Write};

/// An .xls sheet's most rows and columns (Excel 97-2003).
const MAX_ROWS: i64 = 65_536;
const MAX_COLUMNS: i64 = 256;

/// The BIFF record types read here.
const DIMENSIONS: u16 = 0x0200;
const BOUND_SHEET: u16 = 0x0085;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;

/// The workbook in `bytes`, its Workbook stream checked and packed anew.
pub fn repack(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let stream = workbook_stream(bytes).map_err(|e| unreadable(bytes, &e))?;
    check_sheets(&stream)?;
    // Version 3 (512-byte sectors), as Excel writes .xls: calamine does not
    // read the crate's default, version 4.
    let pack = || -> std::io::Result<Vec<u8>> {
        let mut file =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
        file.create_stream("Workbook")?.write_all(&stream)?;
        file.flush()?;
        Ok(file.into_inner().into_inner())
    };
    pack().map_err(|e| format!("cannot read the workbook: {e}"))
}

/// Why the compound file in `bytes` does not read, said so that a person
/// can act: other formats often come named .xls.
fn unreadable(bytes: &[u8], e: &std::io::Error) -> String {
    let start = bytes.trim_ascii_start();
    let why = if bytes.starts_with(b"PK\x03\x04") {
        "it is a zipped workbook (.xlsx) named .xls: rename it .xlsx".to_owned()
    } else if start.starts_with(b"<") || start.starts_with("\u{feff}<".as_bytes()) {
        "it is a web page or XML named .xls, not an Excel 97-2003 workbook: save it from the \
         spreadsheet as .xlsx or CSV"
            .to_owned()
    } else if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "it ends before its contents do: the file was cut short".to_owned()
    } else {
        e.to_string()
    };
    format!("cannot read the workbook: {why}")
}

/// The Workbook stream (`Book` in BIFF5 files), as calamine looks for it.
/// A stream cannot hold more than the file, whatever its entry claims.
fn workbook_stream(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))?;
    let mut stream = match file.open_stream("/Workbook") {
        Ok(stream) => stream,
        Err(_) => file.open_stream("/Book")?,
    };
    let mut out = Vec::new();
    let bound = bytes.len() as u64;
    (&mut stream).take(bound + 1).read_to_end(&mut out)?;
    if out.len() as u64 > bound {
        return Err(std::io::Error::other(
            "its Workbook stream is longer than the file",
        ));
    }
    Ok(out)
}

/// Refuses a sheet whose DIMENSIONS record claims more cells than an .xls
/// sheet holds. calamine reads the sheets the workbook's BoundSheet
/// records point to, each from its offset to its EOF record, skipping
/// nested substreams (charts), and so does this.
fn check_sheets(stream: &[u8]) -> Result<(), String> {
    let offsets = records(stream)
        .take_while(|(typ, _)| *typ != EOF)
        .filter(|(typ, data)| *typ == BOUND_SHEET && data.len() >= 4)
        .map(|(_, data)| u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize);
    for (n, offset) in offsets.enumerate() {
        let Some(sheet) = stream.get(offset..) else {
            continue;
        };
        if let Some((rows, columns)) = oversized(sheet) {
            let claim = if rows < 1 || columns < 1 {
                "a last row or column before its first".to_owned()
            } else {
                format!("{rows} rows and {columns} columns")
            };
            return Err(format!(
                "the workbook is damaged: its sheet {} claims {claim}, more than an .xls sheet \
                 holds ({MAX_ROWS} rows, {MAX_COLUMNS} columns): open it in the spreadsheet and \
                 save it again, or save the sheet as CSV",
                n + 1
            ));
        }
    }
    Ok(())
}

/// The rows and columns of the sheet's first DIMENSIONS record beyond an
/// .xls sheet's, if one is.
fn oversized(sheet: &[u8]) -> Option<(i64, i64)> {
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (typ, data) in records(sheet) {
        if depth > 0 {
            match typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            DIMENSIONS => {
                let (rows, columns) = dimensions(data)?;
                let inside = (1..=MAX_ROWS).contains(&rows) && (1..=MAX_COLUMNS).contains(&columns);
                return (!inside).then_some((rows, columns));
            }
            EOF => return None,
            _ => {}
        }
    }
    None
}

/// The rows and columns a DIMENSIONS record makes calamine reserve room
/// for, worked out as calamine does (MS-XLS 2.4.90), or `None` for a
/// record it refuses.
fn dimensions(data: &[u8]) -> Option<(i64, i64)> {
    let u16_at = |i: usize| i64::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| {
        i64::from(u32::from_le_bytes([
            data[i],
            data[i + 1],
            data[i + 2],
            data[i + 3],
        ]))
    };
    let (first_row, rows_end, mut first_col, cols_end) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return None,
    };
    if first_col > 0xFF || cols_end < first_col {
        first_col = 0;
    }
    if rows_end >= 1 && cols_end >= 1 {
        Some((rows_end - first_row, cols_end - first_col))
    } else {
        Some((1, 1))
    }
}

/// A BIFF stream's records, as (type, data), up to the first cut short.
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let header = stream.get(..4)?;
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let (record, rest) = stream.split_at_checked(4 + len)?;
        stream = rest;
        Some((typ, &record[4..]))
    })
}
