//! Printing resources: tables that fit the terminal, CSV, and JSON.

use console::{Alignment, measure_text_width, pad_str, truncate_str};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};

/// Gap between table columns.
const GAP: &str = "  ";
/// No column is squeezed below this width (an ellipsis needs room).
const MIN_COLUMN: usize = 5;
/// Columns narrowed last: a cut id or login cannot be copied into the next command.
const SPARED: [&str; 2] = ["id", "userName"];

/// The width tables must fit: `COLUMNS` when set, else the terminal's
/// width when stdout is one; `None` (no limit) when writing to a pipe.
pub fn table_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(n);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols))
}

/// Text from the org (or a file) made safe to show a person: control
/// characters (C0, DEL and C1) and the bidirectional controls that reorder
/// text are written as escapes (`\n`, `\x1b`, `\u{9b}`, `\u{202e}`), so a
/// value can neither move the cursor, clear lines, nor pass for another.
/// Everything else is kept. For tables, progress, prompts and messages;
/// JSON and CSV output keep values as they are.
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape_for_terminal`] for a message of several lines: its own line
/// breaks are kept, everything else is escaped.
pub fn escape_lines(text: &str) -> String {
    text.split('\n')
        .map(escape_for_terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

/// JSON text with the characters [`escape_for_terminal`] escapes written
/// as `\u` escapes: the same JSON value, safe on a terminal. Outside
/// strings JSON text holds only ASCII punctuation, spaces and line breaks,
/// so every other such character is inside a string, where `\u00XX`
/// means the character itself.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c != '\n' && needs_escape(c);
    if !json.chars().any(unsafe_char) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            // Each of them is in the Basic Multilingual Plane: one escape.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes `value` as JSON (indented when `pretty`), escaped by
/// [`json_for_terminal`].
pub fn write_json(
    out: &mut impl Write,
    value: &impl serde::Serialize,
    pretty: bool,
) -> io::Result<()> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }?;
    out.write_all(json_for_terminal(&text).as_bytes())
}

/// The writer of the logs (`-v`, and warnings): each event is escaped as a
/// whole, since a log line quotes requests, answers and their bodies.
pub struct EscapedStderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for EscapedStderr {
    type Writer = EscapedEvent;

    fn make_writer(&'a self) -> EscapedEvent {
        EscapedEvent(Vec::new())
    }
}

/// One log event, gathered whole (so that no character is cut between two
/// writes) and written escaped to stderr when dropped.
pub struct EscapedEvent(Vec<u8>);

impl Write for EscapedEvent {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for EscapedEvent {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.0);
        // A log line that cannot be written is not worth failing for.
        let _ = io::stderr().write_all(escape_lines(&text).as_bytes());
    }
}

/// `text` as one word for a POSIX shell, for a command printed to be
/// pasted: quoted when it holds anything but letters, digits and
/// `/._-+:@,=`.
pub fn shell_word(text: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+:@,=".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("'{}'", text.replace('\'', r"'\''")))
    }
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes aligned columns, truncating the widest ones with `…` until the
/// table fits `width`. Cells are escaped with [`escape_for_terminal`].
pub fn write_table(
    out: &mut impl Write,
    headers: &[&str],
    rows: &[Vec<String>],
    width: Option<usize>,
) -> io::Result<()> {
    let headers: Vec<Cow<'_, str>> = headers.iter().map(|h| escape_for_terminal(h)).collect();
    let headers: Vec<&str> = headers.iter().map(|h| h.as_ref()).collect();
    let escaped: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| escape_for_terminal(c).into_owned())
                .collect()
        })
        .collect();
    let (headers, rows) = (&headers[..], &escaped[..]);
    let mut widths: Vec<usize> = headers.iter().map(|h| measure_text_width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(measure_text_width(cell));
        }
    }
    if let Some(limit) = width {
        fit(&mut widths, headers, limit);
    }
    let mut line = |cells: &mut dyn Iterator<Item = &str>| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str(GAP);
            }
            let cut = truncate_str(cell, *w, "…");
            text.push_str(&pad_str(&cut, *w, Alignment::Left, None));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(&mut headers.iter().copied())?;
    for row in rows {
        line(&mut row.iter().map(String::as_str))?;
    }
    Ok(())
}

/// Narrows the widest column one step at a time, sparing identifiers
/// (which are useless cut) until nothing else is left to narrow.
fn fit(widths: &mut [usize], headers: &[&str], limit: usize) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP.len() * w.len().saturating_sub(1);
    let spared: Vec<bool> = headers.iter().map(|h| SPARED.contains(h)).collect();
    while total(widths) > limit {
        let widest = |spare: bool| {
            (0..widths.len())
                .filter(|&i| widths[i] > MIN_COLUMN && !(spare && spared[i]))
                .max_by_key(|&i| widths[i])
        };
        let Some(i) = widest(true).or_else(|| widest(false)) else {
            return;
        };
        widths[i] -= 1;
    }
}

/// Finds an attribute in a resource by the name a user types: `title`,
/// `meta.version`, a URN-qualified name, or the bare name of an extension
/// attribute (`department`, `manager`).
pub fn attribute<'a>(resource: &'a Value, path: &str) -> Option<&'a Value> {
    let object = resource.as_object()?;
    if let Some((urn, rest)) = object
        .keys()
        .filter(|k| k.starts_with("urn:"))
        .find_map(|k| path.strip_prefix(k.as_str()).map(|r| (k, r)))
    {
        return match rest.strip_prefix(':') {
            Some(sub) => walk(&object[urn], sub),
            None if rest.is_empty() => Some(&object[urn]),
            None => None,
        };
    }
    let core = path
        .strip_prefix(scim_sdk::schemas::USER)
        .or_else(|| path.strip_prefix(scim_sdk::schemas::GROUP))
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or(path);
    walk(resource, core).or_else(|| {
        object
            .iter()
            .filter(|(k, _)| k.starts_with("urn:"))
            .find_map(|(_, ext)| walk(ext, core))
    })
}

fn walk<'a>(mut value: &'a Value, dotted: &str) -> Option<&'a Value> {
    for part in dotted.split('.') {
        let object = value.as_object()?;
        value = object.get(part).or_else(|| {
            object
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(part))
                .map(|(_, v)| v)
        })?;
    }
    Some(value)
}

/// One table or CSV row: each column's attribute as text, empty where the
/// resource lacks it.
pub fn row(resource: &Value, columns: &[impl AsRef<str>]) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            attribute(resource, c.as_ref())
                .map(display)
                .unwrap_or_default()
        })
        .collect()
}

/// A value as one line of text: multi-valued attributes list their
/// `value`s separated by `;`, references show their `value`.
pub fn display(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(";"),
        Value::Object(o) => match o.get("value") {
            Some(v) => display(v),
            None => value.to_string(),
        },
    }
}

/// Streams a JSON array, one resource at a time, so that long lists need
/// no buffering.
pub struct JsonArray<W: Write> {
    out: W,
    count: usize,
}

impl<W: Write> JsonArray<W> {
    pub fn new(out: W) -> JsonArray<W> {
        JsonArray { out, count: 0 }
    }

    pub fn push(&mut self, item: &Value) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        write_json(&mut self.out, item, true)?;
        self.count += 1;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// One resource as `attribute  value` lines, nested objects flattened to
/// dotted names and extension attributes shown by their own names.
pub fn record_rows(resource: &Value) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    if let Some(object) = resource.as_object() {
        for (key, value) in object {
            let prefix = if key.starts_with("urn:") { "" } else { key };
            flatten(prefix, value, &mut rows);
        }
    }
    rows
}

fn flatten(name: &str, value: &Value, rows: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(o) if !o.contains_key("value") || name.is_empty() => {
            for (k, v) in o {
                let child = if name.is_empty() {
                    k.clone()
                } else {
                    format!("{name}.{k}")
                };
                flatten(&child, v, rows);
            }
        }
        _ => rows.push(vec![name.to_owned(), display(value)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_everything_else_kept() {
        for (text, shown) in [
            ("\u{1b}[2A\u{1b}[Jzoë", r"\x1b[2A\x1b[Jzoë"),
            ("a\nb\tc\rd\u{7}\u{0}\u{7f}", r"a\nb\tc\rd\x07\x00\x7f"),
            ("\u{9b}6n", r"\u{9b}6n"),
            ("abc\u{202e}gpj.exe", r"abc\u{202e}gpj.exe"),
            (
                r"DOMAIN\user O'Brien 名前 😀",
                r"DOMAIN\user O'Brien 名前 😀",
            ),
        ] {
            assert_eq!(escape_for_terminal(text), shown, "{text:?}");
        }
        assert!(matches!(escape_for_terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(escape_lines("one \u{1b}\ntwo"), "one \\x1b\ntwo");
    }

    #[test]
    fn json_keeps_its_value_and_loses_its_control_and_bidi_characters() {
        let value = serde_json::json!({"a\u{85}": ["\u{9b}2J\u{202e}x\u{2069}\u{7f}\u{1b}\n", 1]});
        for pretty in [false, true] {
            let mut out = Vec::new();
            write_json(&mut out, &value, pretty).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(
                !text.chars().any(|c| c != '\n' && needs_escape(c)),
                "{text}"
            );
            assert!(
                text.contains(r"\u009b2J\u202ex\u2069\u007f\u001b\n"),
                "{text}"
            );
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
        }
    }
}
