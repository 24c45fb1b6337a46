//! Writes generated Rust as text, already laid out the way prettyplease lays
//! it out, so that the bulk of the generated code (fixed-shape fields,
//! setters, enums, builders) never goes through a token stream, a parser and
//! a pretty-printer.
//!
//! The emitters write each item (and each member of an impl, struct or enum)
//! as a *unit*. Lines are written in the layout prettyplease prints when a
//! line fits its width; the shapes whose line breaks depend on width
//! (parameter, argument and attribute lists, method chains, `use` groups,
//! struct literals) have helpers in `breaks` that break them as prettyplease
//! does. Any other line that is too wide marks its unit, and the unit is
//! then laid out again by prettyplease (see the `layout` module): exact,
//! just slower, and rare.

use super::layout::{self, Container};
use std::fmt::{self, Write as _};
use std::time::{Duration, Instant};

/// prettyplease's line width, indentation step and least width it keeps for
/// a deeply indented line.
const MARGIN: usize = 89;
const INDENT: usize = 4;
const MIN_SPACE: usize = 60;

/// Generated Rust being written, with its layout bookkeeping.
pub(crate) struct Writer {
    pub(super) out: String,
    pub(super) depth: usize,
    units: Vec<Unit>,
    error: Option<String>,
    stats: WriterStats,
}

/// What a [`Writer`] spent on units it could not lay out itself.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WriterStats {
    /// Units laid out again by prettyplease.
    pub(crate) relayouts: usize,
    /// Time spent doing so.
    pub(crate) relayout_time: Duration,
    /// Time spent handing the file out.
    pub(crate) output_time: Duration,
}

impl WriterStats {
    pub(crate) fn add(&mut self, other: &Self) {
        self.relayouts += other.relayouts;
        self.relayout_time += other.relayout_time;
        self.output_time += other.output_time;
    }
}

struct Unit {
    start: usize,
    depth: usize,
    container: Container,
    /// A line of the unit was wider than prettyplease prints it.
    too_wide: bool,
}

impl Writer {
    /// A writer for one file; with `reference`, prettyplease lays out
    /// everything.
    pub(crate) fn new(reference: bool) -> Self {
        let mut writer = Self {
            out: String::with_capacity(16 * 1024),
            depth: 0,
            units: Vec::new(),
            error: None,
            stats: WriterStats::default(),
        };
        // The file itself is the outermost unit: a too-wide line outside
        // any item has the whole file laid out again (and the reference
        // has every file laid out by prettyplease).
        writer.units.push(Unit {
            start: 0,
            depth: 0,
            container: Container::File,
            too_wide: reference,
        });
        writer
    }

    /// The text written, with any relayout applied.
    ///
    /// # Errors
    /// A message when a unit did not parse as Rust (a generator bug).
    pub(crate) fn finish(mut self) -> Result<(String, WriterStats), String> {
        self.end_unit();
        match self.error {
            Some(e) => Err(e),
            None => Ok((self.out, self.stats)),
        }
    }

    /// Writes one line at the current indentation.
    pub(crate) fn line(&mut self, text: &str) {
        let start = self.begin_line();
        self.out.push_str(text);
        self.end_line(start);
    }

    /// Writes one formatted line at the current indentation.
    pub(crate) fn line_fmt(&mut self, args: fmt::Arguments<'_>) {
        let start = self.begin_line();
        // Writing to a `String` cannot fail.
        let _ = self.out.write_fmt(args);
        self.end_line(start);
    }

    /// Writes one line that prettyplease has no place to break (`mod a;`,
    /// `use a::B;`): it is printed as it is, however wide.
    pub(crate) fn unbreakable_line(&mut self, args: fmt::Arguments<'_>) {
        self.indent();
        // Writing to a `String` cannot fail.
        let _ = self.out.write_fmt(args);
        self.out.push('\n');
    }

    /// Writes `header` and indents what follows.
    pub(crate) fn open(&mut self, header: fmt::Arguments<'_>) {
        self.line_fmt(header);
        self.depth += 1;
    }

    /// Ends an indented block with `footer`.
    pub(crate) fn close(&mut self, footer: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(footer);
    }

    /// `{header}` … `}` as one item of the file, `body` writing what is
    /// inside (an `impl` block, usually).
    pub(crate) fn block_item(&mut self, header: fmt::Arguments<'_>, body: impl FnOnce(&mut Self)) {
        self.unit(Container::File, |w| {
            w.open(header);
            body(w);
            w.close("}");
        });
    }

    /// A function of a few fixed statements whose signature fits a line.
    pub(crate) fn simple_fn(&mut self, signature: fmt::Arguments<'_>, statements: &[&str]) {
        self.open(signature);
        for statement in statements {
            self.line(statement);
        }
        self.close("}");
    }

    /// `///` lines for already-formatted markdown.
    pub(crate) fn doc(&mut self, markdown: &str) {
        self.doc_lines("///", markdown);
    }

    /// `//!` lines for already-formatted markdown.
    pub(crate) fn inner_doc(&mut self, markdown: &str) {
        self.doc_lines("//!", markdown);
    }

    fn doc_lines(&mut self, marker: &str, markdown: &str) {
        for line in markdown.trim_end().lines() {
            self.doc_line(marker, line);
        }
    }

    /// One doc comment line: prettyplease prints a `#[doc]` attribute as a
    /// comment of its text, with trailing spaces trimmed, and never breaks
    /// it.
    ///
    /// A carriage return not followed by a line feed becomes a space: Rust
    /// does not allow one in a doc comment.
    pub(crate) fn doc_line(&mut self, marker: &str, line: &str) {
        self.indent();
        self.out.push_str(marker);
        if !line.is_empty() {
            self.out.push(' ');
            let start = self.out.len();
            self.out.push_str(line);
            if line.contains('\r') {
                let cleaned = self.out[start..].replace('\r', " ");
                self.out.truncate(start);
                self.out.push_str(&cleaned);
            }
            let kept = self.out.trim_end_matches(' ').len();
            self.out.truncate(kept);
        }
        self.out.push('\n');
    }

    /// Writes what `write` writes as one unit, a member of `container` (or
    /// an item of the file). A unit with a line too wide for the fast layout
    /// is laid out again by prettyplease.
    pub(crate) fn unit(&mut self, container: Container, write: impl FnOnce(&mut Self)) {
        self.units.push(Unit {
            start: self.out.len(),
            depth: self.depth,
            container,
            too_wide: false,
        });
        write(self);
        self.end_unit();
    }

    fn end_unit(&mut self) {
        let Some(unit) = self.units.pop() else {
            return;
        };
        if !unit.too_wide {
            return;
        }
        let started = Instant::now();
        match layout::relayout(&self.out[unit.start..], unit.container, unit.depth) {
            Ok(text) => {
                self.out.truncate(unit.start);
                self.out.push_str(&text);
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self.stats.relayouts += 1;
        self.stats.relayout_time += started.elapsed();
    }

    /// The width prettyplease allows a line at the current indentation.
    pub(super) fn space(&self) -> usize {
        MARGIN.saturating_sub(self.depth * INDENT).max(MIN_SPACE)
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
    }

    pub(super) fn begin_line(&mut self) -> usize {
        self.indent();
        self.out.len()
    }

    pub(super) fn end_line(&mut self, start: usize) {
        self.end_line_but(start, 0);
    }

    /// Ends a line whose last `uncounted` bytes prettyplease does not count
    /// against the width (a trailing comma it adds only when it breaks).
    pub(super) fn end_line_but(&mut self, start: usize, uncounted: usize) {
        if self.out.len() - start - uncounted > self.space()
            && let Some(unit) = self.units.last_mut()
        {
            unit.too_wide = true;
        }
        self.out.push('\n');
    }
}

/// `text` as a Rust string literal, escaped as `proc_macro2` (and so
/// prettyplease) prints it.
pub(crate) struct Lit<'a>(pub(crate) &'a str);

impl fmt::Display for Lit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        let mut chars = self.0.chars();
        while let Some(c) = chars.next() {
            match c {
                ' '..='~' if c != '"' && c != '\\' => f.write_char(c)?,
                '\'' => f.write_char(c)?,
                // `\0` followed by an octal digit would read as one escape.
                '\0' if chars
                    .as_str()
                    .starts_with(|n: char| ('0'..='7').contains(&n)) =>
                {
                    f.write_str("\\x00")?
                }
                '\0' => f.write_str("\\0")?,
                _ => write!(f, "{}", c.escape_debug())?,
            }
        }
        f.write_char('"')
    }
}

#[cfg(test)]
mod tests {
    use super::Lit;

    #[test]
    fn string_literals_are_escaped_like_proc_macro2() {
        for text in [
            "plain",
            "quote \" and backslash \\",
            "tab\tnew\nline\rcr",
            "nul\0 and nul\x007",
            "apostrophe ' é ü 日本 \u{301} \u{200b} \u{7f} \u{1f600}",
            "",
        ] {
            let expected = proc_macro2::Literal::string(text).to_string();
            assert_eq!(Lit(text).to_string(), expected, "{text:?}");
        }
    }
}
