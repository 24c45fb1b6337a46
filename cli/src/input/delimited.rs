//! Delimited text: comma, semicolon, tab or pipe, declared or detected from
//! the header line, with each record's line as an editor shows it.

use super::lines::LineIndex;
use super::{Problem, RawRow};

/// The delimiters detection chooses from.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter a `--delimiter` value names: one character, or `tab`.
pub fn delimiter(value: &str) -> Result<u8, String> {
    match value {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        v if v.len() == 1 && v.is_ascii() && v != "\"" && v != "\n" && v != "\r" => {
            Ok(v.as_bytes()[0])
        }
        _ => Err(format!(
            "`{value}` is not a delimiter: give one character, such as `,`, `;`, `|` or `tab`"
        )),
    }
}

/// The records of `text`, each with the line it starts on. `header_line`
/// is where detection looks for the delimiter.
pub fn read(text: &str, declared: Option<u8>, header_line: u64) -> Result<Vec<RawRow>, Problem> {
    let index = LineIndex::new(text);
    let delimiter = declared.unwrap_or_else(|| detect(index.line(text, header_line)));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(rows),
            Ok(true) => {
                // The csv crate starts a record at the end of the line
                // before it (the `\n` of a CRLF, blank lines): skip those.
                let at = record.position().map_or(0, |p| p.byte() as usize);
                let offset =
                    at + text[at..].len() - text[at..].trim_start_matches(['\r', '\n']).len();
                rows.push(RawRow {
                    line: index.line_of(offset),
                    cells: record.iter().map(super::Cell::text).collect(),
                });
            }
            Err(e) => {
                let line = e.position().map(|p| index.line_of(p.byte() as usize));
                return Err(Problem::at(line, format!("malformed CSV: {e}")));
            }
        }
    }
}

/// The candidate found most often outside quotes on the header line; a
/// comma when there is none.
fn detect(header: &str) -> u8 {
    let mut counts = [0usize; CANDIDATES.len()];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
            counts[i] += 1;
        }
    }
    let (best, count) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    if *count == 0 { b',' } else { CANDIDATES[best] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_the_header_uses_most() {
        assert_eq!(detect("a,b,c"), b',');
        assert_eq!(detect("Name;\"Smith, Jr.\";Work Email"), b';');
        assert_eq!(detect("a\tb\tc,d"), b'\t');
        assert_eq!(detect("a|b"), b'|');
        assert_eq!(detect("single"), b',');
    }

    #[test]
    fn records_carry_the_line_they_start_on() {
        let rows = read("h1,h2\r\n1,\"a\r\nb\"\r\n\r\n2,c\r\n", None, 1).unwrap();
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 5]);
        assert_eq!(rows[1].cells[1].text, "a\r\nb");
    }
}
