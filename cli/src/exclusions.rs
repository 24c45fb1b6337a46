//! `--exclude` and `--exclude-file`: the accounts a sync must never touch,
//! by userName or, as `externalId:VALUE`, by externalId.
//!
//! In an exclude file, one entry a line; `#` starts a comment at the start
//! of a line or after a space or tab only, so `svc#okta@example.com` is a
//! userName, not `svc` and a comment.

use crate::bounded_read;
use crate::error::Error;
use scim_sync::Scope;
use std::path::Path;

/// Written before an externalId, as in `externalId:OKTA-1`.
const EXTERNAL_ID: &str = "externalid:";

/// The accounts excluded, as given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Exclusions {
    pub user_names: Vec<String>,
    pub external_ids: Vec<String>,
}

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

    /// `scope` without the excluded accounts.
    pub fn narrow(self, scope: Scope) -> Result<Scope, Error> {
        if let Some(id) = self.external_ids.first() {
            // The engine's scope excludes by userName only, so far.
            return Err(Error::Usage(format!(
                "--exclude externalId:{id}: excluding by externalId is not supported by this \
                 build yet; exclude the account by its userName. Nothing was sent"
            )));
        }
        if self.user_names.is_empty() {
            return Ok(scope);
        }
        Ok(scope.excluding(&self.user_names))
    }

    fn add_file(&mut self, path: &Path) -> Result<(), Error> {
        let name = path.display();
        let refuse = |why: String| Error::Usage(format!("--exclude-file {name}: {why}"));
        let bytes = bounded_read::read(path, bounded_read::DATA_LIMIT)
            .map_err(|e| refuse(e.to_string()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| refuse("not UTF-8 text; save it as UTF-8".into()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
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
        let prefix = entry.get(..EXTERNAL_ID.len());
        if prefix.is_some_and(|p| p.eq_ignore_ascii_case(EXTERNAL_ID)) {
            let value = entry[EXTERNAL_ID.len()..].trim();
            if value.is_empty() {
                return Err("`externalId:` needs the externalId after it".into());
            }
            self.external_ids.push(value.to_owned());
            return Ok(());
        }
        if entry.is_empty() {
            return Err("empty: give a userName, or externalId:VALUE".into());
        }
        if entry.contains(char::is_whitespace) {
            return Err(format!(
                "`{entry}` holds a space, which no userName does: one userName a line \
                 (a `#` after a space starts a comment)"
            ));
        }
        self.user_names.push(entry.to_owned());
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
        assert_eq!(read.user_names, ["okta.svc@example.com"]);
        assert_eq!(read.external_ids, ["OKTA-1", "OKTA 2"]);
        for bad in ["externalId:", "a@b.c d@e.f", ""] {
            let e = Exclusions::read(&[bad.to_owned()], None).unwrap_err();
            assert!(e.to_string().starts_with("--exclude `"), "{e}");
        }
    }
}
