//! Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), read by calamine: the first
//! sheet, or the one named. A number is its value (`1042`, not `1042.0`),
//! a date cell is `YYYY-MM-DD` (with the time when it has one), and each
//! row is numbered as the spreadsheet numbers it.

use super::{Cell, Problem, RawRow};
use calamine::{Data, Reader, Sheets};
use std::io::Cursor;
use std::path::Path;

/// The sheet's name, its rows, and a warning for each formula error
/// (`#N/A`, `#REF!`), which is read as an empty cell rather than a value.
pub fn read(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(String, Vec<RawRow>, Vec<Problem>), Problem> {
    let mut book = open(path, Cursor::new(bytes))
        .map_err(|e| Problem::at(None, format!("cannot read the workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                Problem::at(
                    None,
                    format!("no sheet `{wanted}`; the sheets are {}", names.join(", ")),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Problem::at(None, "the workbook has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Problem::at(None, format!("cannot read sheet `{name}`: {e}")))?;
    let first = range.start().map_or(0, |(row, _)| u64::from(row));
    let skipped_columns = range.start().map_or(0, |(_, col)| col as usize);
    let mut warnings = Vec::new();
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let line = first + i as u64 + 1;
            let mut out = vec![Cell::text(""); skipped_columns];
            for data in cells {
                if let Data::Error(e) = data {
                    warnings.push(Problem::at(
                        Some(line),
                        format!(
                            "column {} holds the formula error {e}: read as an empty cell",
                            column_letters(out.len())
                        ),
                    ));
                }
                out.push(cell(data));
            }
            RawRow { line, cells: out }
        })
        .collect();
    Ok((name, rows, warnings))
}

/// The workbook in `data`, read as its extension says.
fn open(path: &Path, data: Cursor<Vec<u8>>) -> Result<Sheets<Cursor<Vec<u8>>>, String> {
    use calamine::open_workbook_from_rs as open;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let text = |e: &dyn std::fmt::Display| e.to_string();
    match ext.to_ascii_lowercase().as_str() {
        "xls" => open(data).map(Sheets::Xls).map_err(|e| text(&e)),
        "xlsb" => open(data).map(Sheets::Xlsb).map_err(|e| text(&e)),
        "ods" => open(data).map(Sheets::Ods).map_err(|e| text(&e)),
        _ => open(data).map(Sheets::Xlsx).map_err(|e| text(&e)),
    }
}

/// The spreadsheet's name of the column at `index` (0 is `A`, 26 is `AA`).
fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::text(""),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::text(s),
        Data::Int(i) => Cell::text(&i.to_string()),
        Data::Float(f) => Cell::text(&number(*f)),
        Data::Bool(b) => Cell::text(if *b { "TRUE" } else { "FALSE" }),
        Data::Error(_) => Cell::text(""),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            let text = if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
            };
            Cell { text, date: true }
        }
        Data::DateTime(d) => Cell::text(&number(d.as_f64())),
    }
}

/// A whole number without `.0` (ids, phone numbers), others as Rust prints them.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let names: Vec<String> = [0, 25, 26, 51, 701, 702].map(super::column_letters).into();
        assert_eq!(names, ["A", "Z", "AA", "AZ", "ZZ", "AAA"]);
    }
}
