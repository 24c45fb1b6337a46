//! `--exclude` and `--exclude-file`: the accounts a sync must never touch,
//! by userName or, as `externalId:VALUE`, by externalId.
//!
//! In an exclude file, one entry a line; `#` starts a comment at the start
//! of a line or after a space or tab only, so `svc#okta@example.com` is a
//! userName, not `svc` and a comment.

use crate::bounded_read;
use crate::error::Error;
use scim_sync::{Exclusion, Scope};
use std::path::Path;

/// The accounts excluded, as given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Exclusions(pub Vec<Exclusion>);

impl Exclusions {
    /// The exclusions of `--exclude` (each value) and of `--exclude-file`.
    pub fn read(values: &[String], file: Option<&Path>) -> Result<Exclusions, Error> {
        let mut out = Exclusions::default();
        for value in values {
            out.add(value.trim())
                .map_err(|why| Error::Usage(format!("--exclude `{value}`: {why}")))?;
        }
        if let Some(path) = file {
            out.add_file(path)?;
        }
        Ok(out)
    }

    /// `scope` without the excluded accounts: the engine keeps them out
    /// at plan time and checks again before each write.
    pub fn narrow(self, scope: Scope) -> Scope {
        scope.excluding_people(self.0)
    }

    fn add_file(&mut self, path: &Path) -> Result<(), Error> {
        let name = path.display();
        let refuse = |why: String| Error::Usage(format!("--exclude-file {name}: {why}"));
        let bytes = bounded_read::read(path, bounded_read::DATA_LIMIT)
            .map_err(|e| refuse(e.to_string()))?;
        // Decoded as people files are: a byte-order mark decides (Notepad
        // writes UTF-16 with one), else the bytes must be UTF-8.
        let text = crate::input::decode(&bytes, Some(encoding_rs::UTF_8))
            .map_err(|(line, _)| {
                Error::Usage(format!(
                    "{name}:{line}: bytes that are not UTF-8: save it as UTF-8 \
                     (or as UTF-16 with a byte-order mark, Notepad's \"Unicode\")"
                ))
            })?
            .text;
        // Lines are numbered as an editor shows them.
        for (n, line) in text.lines().enumerate() {
            let entry = without_comment(line).trim();
            if entry.is_empty() {
                continue;
            }
            self.add(entry)
                .map_err(|why| Error::Usage(format!("{name}:{}: {why}", n + 1)))?;
        }
        Ok(())
    }

    /// One entry, trimmed: a userName, or `externalId:` and a value.
    fn add(&mut self, entry: &str) -> Result<(), String> {
        let exclusion: Exclusion = entry.parse().map_err(|e: scim_sync::Error| e.message())?;
        if exclusion.external_id().is_none() && entry.contains(char::is_whitespace) {
            return Err(format!(
                "`{entry}` holds a space, which no userName does: one userName a line \
                 (a `#` after a space starts a comment)"
            ));
        }
        self.0.push(exclusion);
        Ok(())
    }
}

/// The line up to its comment: a `#` at its start or after whitespace.
fn without_comment(line: &str) -> &str {
    let mut previous = None;
    for (i, c) in line.char_indices() {
        if c == '#' && previous.is_none_or(char::is_whitespace) {
            return &line[..i];
        }
        previous = Some(c);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_starts_a_comment_only_at_a_line_start_or_after_whitespace() {
        for (line, entry) in [
            ("svc#okta@example.com", "svc#okta@example.com"),
            ("svc#okta@example.com # Okta", "svc#okta@example.com "),
            ("a@b.c\t#tab", "a@b.c\t"),
            ("# all comment", ""),
            ("  # indented", "  "),
            ("#", ""),
            ("ünï#cødé@x.test", "ünï#cødé@x.test"),
        ] {
            assert_eq!(without_comment(line), entry, "{line:?}");
        }
    }

    #[test]
    fn entries_are_user_names_or_external_ids() {
        let values = [
            " okta.svc@example.com ".to_owned(),
            "externalId:OKTA-1".into(),
            "EXTERNALID: OKTA 2 ".into(),
        ];
        let read = Exclusions::read(&values, None).unwrap();
        let shown: Vec<String> = read.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "okta.svc@example.com",
                "externalId OKTA-1",
                "externalId OKTA 2"
            ]
        );
        for bad in ["externalId:", "a@b.c d@e.f", ""] {
            let e = Exclusions::read(&[bad.to_owned()], None).unwrap_err();
            assert!(e.to_string().starts_with("--exclude `"), "{e}");
        }
    }
}
