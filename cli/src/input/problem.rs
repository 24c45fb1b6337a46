//! What is wrong with an input file, and where: `FILE:LINE` as an editor
//! shows it, or `FILE:SHEET!ROW` in a workbook.

use std::fmt;

/// One thing wrong with (or worth a warning about) an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    /// A problem of a line (or of the file, without one), of no column.
    pub fn at(line: Option<u64>, message: impl Into<String>) -> Problem {
        Problem {
            line,
            column: None,
            message: message.into(),
        }
    }
}

/// Why an input file was refused: every problem found, in file order.
#[derive(Debug, Clone)]
pub struct InputError {
    /// The file name, as given.
    pub source: String,
    /// The sheet read, in a workbook: rows are then named `SHEET!ROW`.
    pub sheet: Option<String>,
    pub problems: Vec<Problem>,
}

/// Where a file's rows are: the file, and the sheet of a workbook.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub source: &'a str,
    pub sheet: Option<&'a str>,
}

impl Place<'_> {
    /// `FILE:LINE`, `FILE:SHEET!ROW`, or the file (and sheet) alone.
    pub fn at(&self, line: Option<u64>) -> String {
        match (self.sheet, line) {
            (Some(sheet), Some(row)) => format!("{}:{sheet}!{row}", self.source),
            (Some(sheet), None) => format!("{}:{sheet}", self.source),
            (None, Some(line)) => format!("{}:{line}", self.source),
            (None, None) => self.source.to_owned(),
        }
    }

    /// One problem as a person reads it: ``PLACE: column `NAME`: message``.
    pub fn render(&self, problem: &Problem) -> String {
        let mut out = self.at(problem.line);
        if let Some(column) = &problem.column {
            out.push_str(&format!(": column `{column}`"));
        }
        out.push_str(": ");
        out.push_str(&problem.message);
        out
    }
}

/// At most this many problems are listed; a file shifted by one column
/// would otherwise print one per row.
const MAX_LISTED: usize = 20;

impl InputError {
    /// The error of a file (not of a sheet) with these problems.
    pub fn new(source: &str, problems: Vec<Problem>) -> InputError {
        InputError {
            source: source.to_owned(),
            sheet: None,
            problems,
        }
    }

    /// The error of one problem of a file.
    pub fn one(source: &str, line: Option<u64>, message: impl Into<String>) -> InputError {
        InputError::new(source, vec![Problem::at(line, message)])
    }

    pub fn place(&self) -> Place<'_> {
        Place {
            source: &self.source,
            sheet: self.sheet.as_deref(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self.place();
        for (i, p) in self.problems.iter().take(MAX_LISTED).enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&place.render(p))?;
        }
        if self.problems.len() > MAX_LISTED {
            write!(
                f,
                "\n{}: … and {} more problems",
                place.at(None),
                self.problems.len() - MAX_LISTED
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}
