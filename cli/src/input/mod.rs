//! Reading a table from a file as an HR system or Excel wrote it: any of
//! the usual encodings and delimiters, or a workbook; title and label rows
//! around the header; blank rows; rows repeated whole; characters lost
//! before the file reached us. Every row keeps the line an editor shows
//! (`FILE:SHEET!ROW` in a workbook).

mod decode;
mod delimited;
mod lines;
mod packed;
mod problem;
mod workbook;
mod xls;

pub use decode::{decode, encoding};
pub use delimited::delimiter;
pub use problem::{InputError, Place, Problem};

use encoding_rs::Encoding;
use std::collections::HashMap;
use std::path::Path;

/// How to read a file; each `None` is detected.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
    pub sheet: Option<String>,
    /// The line (row) that names the columns; the lines above it are
    /// ignored. 1 when `None`.
    pub header_row: Option<u64>,
    /// Rows right under the header that describe the columns, not people.
    pub label_rows: u64,
}

impl Options {
    /// These options, with the values `other` gives where these give none:
    /// the command line over the mapping.
    pub fn or(self, other: &Options) -> Options {
        Options {
            encoding: self.encoding.or(other.encoding),
            delimiter: self.delimiter.or(other.delimiter),
            sheet: self.sheet.or_else(|| other.sheet.clone()),
            header_row: self.header_row.or(other.header_row),
            label_rows: self.label_rows.max(other.label_rows),
        }
    }
}

/// One cell: its text, and whether a workbook stored it as a date.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cell {
    pub text: String,
    pub date: bool,
}

impl Cell {
    pub fn text(text: &str) -> Cell {
        Cell {
            text: text.to_owned(),
            date: false,
        }
    }
}

/// A row of the file and the line (or sheet row) it starts on.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<Cell>,
}

/// A file's header and rows, and warnings about what was read.
#[derive(Debug)]
pub struct Table {
    pub source: String,
    pub sheet: Option<String>,
    /// The header's names, trimmed.
    pub header: Vec<String>,
    pub header_line: u64,
    /// The rows under the header: label rows, blank rows and repeats left out.
    pub rows: Vec<RawRow>,
    pub warnings: Vec<Problem>,
}

impl Table {
    pub fn place(&self) -> Place<'_> {
        Place {
            source: &self.source,
            sheet: self.sheet.as_deref(),
        }
    }
}

/// The most bytes read from a people file or an HR export: a UTF-16
/// export of 100,000 people is about a quarter of it. A larger file (or a
/// device, or a pipe that never ends) is refused, read no further.
pub const LIMIT: u64 = 256 << 20;

/// The bytes of the file at `path`, up to [`LIMIT`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let source = path.display().to_string();
    crate::bounded_read::read(path, LIMIT).map_err(|e| {
        let message = match e {
            crate::bounded_read::ReadError::Io(e) => format!("cannot open the file: {e}"),
            too_large => too_large.to_string(),
        };
        InputError::one(&source, None, message)
    })
}

/// The kinds of file a table is read from, by extension.
pub const EXTENSIONS: &str = ".csv, .tsv, .txt, .xlsx, .xlsm, .xlsb, .xls or .ods";

/// Whether `path` names a file [`read`] takes.
pub fn is_table(path: &Path) -> bool {
    kind(path).is_some()
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Workbook,
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "tsv" | "txt" => Some(Kind::Text),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(Kind::Workbook),
        _ => None,
    }
}

/// Reads the table at `path`.
pub fn read(path: &Path, options: &Options) -> Result<Table, InputError> {
    let source = path.display().to_string();
    let kind = kind(path).ok_or_else(|| {
        InputError::one(
            &source,
            None,
            format!("cannot tell the format: name the file {EXTENSIONS}"),
        )
    })?;
    let mut warnings = Vec::new();
    let (sheet, rows) = match kind {
        Kind::Workbook => {
            let bytes = read_bytes(path)?;
            let (sheet, rows, errors) = workbook::read(path, bytes, options.sheet.as_deref())
                .map_err(|p| InputError::new(&source, vec![p]))?;
            warnings.extend(errors);
            (Some(sheet), rows)
        }
        Kind::Text => {
            let bytes = read_bytes(path)?;
            let (rows, note) =
                text_rows(&bytes, options).map_err(|p| InputError::new(&source, vec![p]))?;
            warnings.extend(note);
            (None, rows)
        }
    };
    let mut table = Table {
        source,
        sheet,
        header: Vec::new(),
        header_line: 0,
        rows: Vec::new(),
        warnings,
    };
    table.fill(rows, options)?;
    Ok(table)
}

/// The rows of a text file (or text read some other way), and a note
/// when the encoding was guessed.
pub fn text_rows(
    bytes: &[u8],
    options: &Options,
) -> Result<(Vec<RawRow>, Option<Problem>), Problem> {
    let decoded = decode::decode(bytes, options.encoding)
        .map_err(|(line, message)| Problem::at(Some(line), message))?;
    let note = decoded.guessed.map(|e| {
        Problem::at(
            None,
            format!(
                "the file is not UTF-8; it was read as {} (detected); pass --encoding to say otherwise",
                e.name()
            ),
        )
    });
    let rows = delimited::read(
        &decoded.text,
        options.delimiter,
        options.header_row.unwrap_or(1),
    )?;
    Ok((rows, note))
}

/// The text of a file that is not a table (JSON Lines), decoded as a
/// table's is. A guessed encoding is refused rather than noted, since such
/// a file has no warnings to carry the note.
pub fn decode_text(bytes: &[u8], encoding: Option<&'static Encoding>) -> Result<String, Problem> {
    let decoded = decode::decode(bytes, encoding)
        .map_err(|(line, message)| Problem::at(Some(line), message))?;
    match decoded.guessed {
        None => Ok(decoded.text),
        Some(e) => Err(Problem::at(
            None,
            format!(
                "the file is not UTF-8 (it looks like {}): save it as UTF-8, or pass --encoding",
                e.name()
            ),
        )),
    }
}

/// Reads a table from text (a people file given as a stream).
pub fn from_text(source: &str, bytes: &[u8], options: &Options) -> Result<Table, InputError> {
    let (rows, note) = text_rows(bytes, options).map_err(|p| InputError::new(source, vec![p]))?;
    let mut table = Table {
        source: source.to_owned(),
        sheet: None,
        header: Vec::new(),
        header_line: 0,
        rows: Vec::new(),
        warnings: note.into_iter().collect(),
    };
    table.fill(rows, options)?;
    Ok(table)
}

fn is_blank(row: &RawRow) -> bool {
    row.cells.iter().all(|c| c.text.trim().is_empty())
}

impl Table {
    /// Finds the header, drops the label and blank rows, collapses rows
    /// repeated whole, and checks each row's width.
    fn fill(&mut self, rows: Vec<RawRow>, options: &Options) -> Result<(), InputError> {
        let start = options.header_row.unwrap_or(1);
        let mut rows = rows.into_iter().filter(|r| r.line >= start && !is_blank(r));
        let Some(header) = rows.next() else {
            return Err(self.error(vec![Problem::at(
                Some(start),
                "no header row: the first line must name the columns",
            )]));
        };
        self.header_line = header.line;
        self.header = header
            .cells
            .iter()
            .map(|c| c.text.trim().to_owned())
            .collect();
        let width = self.header.len();
        let mut problems = Vec::new();
        let mut seen: HashMap<Vec<Cell>, u64> = HashMap::new();
        for mut row in rows.skip(options.label_rows as usize) {
            if row.cells.len() > width
                && row.cells[width..].iter().any(|c| !c.text.trim().is_empty())
            {
                let fix = if self.sheet.is_some() {
                    "delete the cells right of the table"
                } else {
                    "quote cells that hold the delimiter"
                };
                problems.push(Problem::at(
                    Some(row.line),
                    format!(
                        "this row has {} cells but the header has {width}; {fix}",
                        row.cells.len()
                    ),
                ));
                continue;
            }
            row.cells.resize(width, Cell::text(""));
            if let Some(first) = seen.get(&row.cells) {
                self.warnings.push(Problem::at(
                    Some(row.line),
                    format!("the same row as line {first}, cell for cell: read once"),
                ));
                continue;
            }
            seen.insert(row.cells.clone(), row.line);
            if let Some(lost) = lost_characters(&row) {
                self.warnings.push(Problem::at(Some(row.line), lost));
            }
            self.rows.push(row);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(self.error(problems))
        }
    }

    fn error(&self, problems: Vec<Problem>) -> InputError {
        InputError {
            source: self.source.clone(),
            sheet: self.sheet.clone(),
            problems,
        }
    }
}

/// A warning for a row whose cells hold U+FFFD, or a `?` between two
/// letters (`Garc?a`): letters lost when someone saved the file in an
/// encoding without them, before it reached us.
fn lost_characters(row: &RawRow) -> Option<String> {
    let lost = row.cells.iter().map(|c| c.text.as_str()).find(|text| {
        let chars: Vec<char> = text.chars().collect();
        chars.contains(&'\u{FFFD}')
            || chars
                .windows(3)
                .any(|w| w[1] == '?' && w[0].is_alphabetic() && w[2].is_alphabetic())
    })?;
    Some(format!(
        "`{lost}` looks like it lost letters (`?` or `\u{FFFD}` in place of one) before the \
         file reached us; fix the name at its source"
    ))
}
