//! Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), read by calamine (xlsx and
//! xlsb cell by cell, keeping only the cells that hold something): the first
//! sheet, or the one named. A number is its value (`1042`, not `1042.0`),
//! a date cell is `YYYY-MM-DD` (with the time when it has one), and each
//! row is numbered as the spreadsheet numbers it.

use super::{Cell, Problem, RawRow};
use calamine::{Data, DataRef, Reader, Sheets};
use std::io::Cursor;
use std::path::Path;

/// The most cells read from a sheet, counting from column A of each row:
/// 100,000 people of 160 columns. calamine would make a cell of every
/// position between the first used cell and the last, so one stray cell
/// at XFD1048576 asked for seventeen billion.
const MAX_CELLS: usize = 1 << 24;

/// The sheet's name, its rows, and a warning for each formula error
/// (`#N/A`, `#REF!`), which is read as an empty cell rather than a value.
pub fn read(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(String, Vec<RawRow>, Vec<Problem>), Problem> {
    let bytes = checked(path, bytes).map_err(|e| Problem::at(None, e))?;
    let (name, cells) = guarded(|| {
        let mut book = open(path, Cursor::new(bytes))
            .map_err(|e| Problem::at(None, format!("cannot read the workbook: {e}")))?;
        let name = sheet_name(&book.sheet_names(), sheet)?;
        let cells = used_cells(&mut book, &name)
            .map_err(|e| Problem::at(None, format!("cannot read sheet `{name}`: {e}")))?;
        Ok((name, cells))
    })?;
    let (rows, warnings) = rows(cells)?;
    Ok((name, rows, warnings))
}

/// The workbook's bytes once what calamine would trust in them is checked:
/// an .xls is taken out of its compound file and packed anew, a zipped
/// workbook is looked at as it is.
fn checked(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if extension(path) == "xls" {
        return super::xls::repack(&bytes);
    }
    super::packed::check(&bytes, MAX_CELLS as u64)?;
    Ok(bytes)
}

/// Runs `read` (calamine on the workbook), a panic turned into an error:
/// calamine panics on some damaged files that the checks before it do not
/// catch. The panic's own report is held back for that while.
fn guarded<T>(read: impl FnOnce() -> Result<T, Problem>) -> Result<T, Problem> {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    std::panic::set_hook(report);
    outcome.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Problem::at(
            None,
            format!(
                "cannot read the workbook: it is damaged (calamine failed: {what}): open it in \
                 the spreadsheet and save it again, or save the sheet as CSV"
            ),
        ))
    })
}

/// The sheet named (ignoring case), or the first.
fn sheet_name(names: &[String], wanted: Option<&str>) -> Result<String, Problem> {
    match wanted {
        Some(wanted) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                Problem::at(
                    None,
                    format!("no sheet `{wanted}`; the sheets are {}", names.join(", ")),
                )
            }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Problem::at(None, "the workbook has no sheet")),
    }
}

/// A sheet's cells that hold something, by row and column (from 0).
type Cells = Vec<((u32, u32), Data)>;

/// The cells of a sheet that hold something. Xlsx and xlsb sheets are read
/// cell by cell; calamine gives xls and ods sheets whole (capped by it).
fn used_cells(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Result<Cells, String> {
    let mut cells = Vec::new();
    let mut keep = |cell: calamine::Cell<DataRef<'_>>| -> Result<(), String> {
        let data = owned(cell.get_value());
        if data != Data::Empty {
            if cells.len() == MAX_CELLS {
                return Err(format!("more than {MAX_CELLS} cells hold something"));
            }
            cells.push((cell.get_position(), data));
        }
        Ok(())
    };
    match book {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                keep(cell)?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                keep(cell)?;
            }
        }
        book => {
            let range = book.worksheet_range(name).map_err(|e| e.to_string())?;
            let (top, left) = range.start().unwrap_or_default();
            return Ok(range
                .used_cells()
                .filter(|(_, _, d)| **d != Data::Empty)
                .map(|(r, c, d)| ((top + r as u32, left + c as u32), d.clone()))
                .collect());
        }
    }
    Ok(cells)
}

/// A streamed cell's value, owned.
fn owned(data: &DataRef<'_>) -> Data {
    match data {
        DataRef::Int(i) => Data::Int(*i),
        DataRef::Float(f) => Data::Float(*f),
        DataRef::String(s) => Data::String(s.clone()),
        DataRef::SharedString(s) => Data::String((*s).to_owned()),
        DataRef::Bool(b) => Data::Bool(*b),
        DataRef::DateTime(d) => Data::DateTime(*d),
        DataRef::DateTimeIso(s) => Data::DateTimeIso(s.clone()),
        DataRef::DurationIso(s) => Data::DurationIso(s.clone()),
        DataRef::Error(e) => Data::Error(e.clone()),
        DataRef::Empty => Data::Empty,
    }
}

/// The rows the cells make, each numbered as the spreadsheet numbers it and
/// holding its cells from column A to its last used one, and a warning
/// for each formula error. Refused when that is more than [`MAX_CELLS`].
fn rows(mut cells: Cells) -> Result<(Vec<RawRow>, Vec<Problem>), Problem> {
    cells.sort_by_key(|(at, _)| *at);
    let mut rows: Vec<RawRow> = Vec::new();
    let mut warnings = Vec::new();
    let mut total = 0usize;
    for ((row, col), data) in cells {
        let line = u64::from(row) + 1;
        if rows.last().is_none_or(|r| r.line != line) {
            rows.push(RawRow {
                line,
                cells: Vec::new(),
            });
        }
        let Some(out) = rows.last_mut().map(|r| &mut r.cells) else {
            continue;
        };
        let col = col as usize;
        total += col + 1 - out.len().min(col + 1);
        if total > MAX_CELLS {
            return Err(Problem::at(
                Some(line),
                format!(
                    "the sheet's rows reach more than {MAX_CELLS} cells (this one to column \
                     {}): delete what is not the table, or save the sheet as CSV",
                    column_letters(col)
                ),
            ));
        }
        if let Data::Error(e) = &data {
            warnings.push(Problem::at(
                Some(line),
                format!(
                    "column {} holds the formula error {e}: read as an empty cell",
                    column_letters(col)
                ),
            ));
        }
        out.resize(col, Cell::text(""));
        out.push(cell(&data));
    }
    Ok((rows, warnings))
}

/// The workbook in `data`, read as its extension says.
fn open(path: &Path, data: Cursor<Vec<u8>>) -> Result<Sheets<Cursor<Vec<u8>>>, String> {
    use calamine::open_workbook_from_rs as open;
    let text = |e: &dyn std::fmt::Display| e.to_string();
    match extension(path).as_str() {
        "xls" => open(data).map(Sheets::Xls).map_err(|e| text(&e)),
        "xlsb" => open(data).map(Sheets::Xlsb).map_err(|e| text(&e)),
        "ods" => open(data).map(Sheets::Ods).map_err(|e| text(&e)),
        _ => open(data).map(Sheets::Xlsx).map_err(|e| text(&e)),
    }
}

/// The file's extension, in lower case.
fn extension(path: &Path) -> String {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    ext.to_ascii_lowercase()
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
        Data::DateTimeIso(s) => iso_date(s).unwrap_or_else(|| Cell::text(s)),
        Data::String(s) | Data::DurationIso(s) => Cell::text(s),
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

/// An ods date cell (`2019-03-14`, `2019-03-14T08:00:00`) as an xlsx one
/// reads: the date, with the time when it has one.
fn iso_date(text: &str) -> Option<Cell> {
    let at = text
        .parse::<jiff::civil::DateTime>()
        .or_else(|_| {
            text.parse::<jiff::civil::Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })
        .ok()?;
    let text = if at.time() == jiff::civil::Time::midnight() {
        at.date().to_string()
    } else {
        at.strftime("%Y-%m-%dT%H:%M:%S").to_string()
    };
    Some(Cell { text, date: true })
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
    use super::*;

    #[test]
    fn rows_hold_their_cells_from_column_a_up_to_a_bound() {
        let x = || Data::String("x".into());
        let cells = vec![((2, 1), x()), ((0, 0), Data::Int(7)), ((2, 3), x())];
        let (read, _) = rows(cells).unwrap();
        let lines: Vec<u64> = read.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 3]);
        let texts: Vec<&str> = read[1].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["", "x", "", "x"]);
        // A thousand rows of one cell at the last column make more cells
        // than a sheet of people has: refused, naming the row.
        let wide = (0..1100).map(|r| ((r, 16383), x())).collect();
        let err = rows(wide).unwrap_err();
        assert_eq!(err.line, Some(1025), "{err:?}");
        assert!(err.message.contains("column XFD"), "{err:?}");
    }

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let names: Vec<String> = [0, 25, 26, 51, 701, 702].map(column_letters).into();
        assert_eq!(names, ["A", "Z", "AA", "AZ", "ZZ", "AAA"]);
    }
}
