//! Percent-encoding for path segments and query components.
//!
//! Kept in one place so that every operation encodes ids and filter values the
//! same way. Only RFC 3986 "unreserved" bytes pass through unchanged; all other
//! bytes, including `/`, `?`, `#`, `%`, `&`, `+`, `=` and space, are escaped.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986 "unreserved" (`A-Z a-z 0-9 - . _ ~`) is escaped.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment may also keep `:` and `@` (RFC 3986 `pchar`): SCIM schema
/// ids are URNs, and they stay readable.
const SEGMENT: &AsciiSet = &QUERY.remove(b':').remove(b'@');

/// Appends `value` to `out` with every byte outside the unreserved set escaped.
pub(crate) fn encode_into(out: &mut String, value: &str) {
    out.extend(utf8_percent_encode(value, QUERY));
}

/// Encodes one path segment.
///
/// Everything that could end or split the segment is escaped. A segment made
/// only of dots is escaped as well: `.` and `..` would otherwise be collapsed
/// by URL normalisation and address a different resource.
pub(crate) fn encode_path_segment(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(|b| b == b'.') {
        return "%2E".repeat(value.len());
    }
    utf8_percent_encode(value, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(
            encode_path_segment("../groups/x?y#z"),
            "..%2Fgroups%2Fx%3Fy%23z"
        );
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("a b%"), "a%20b%25");
        assert_eq!(
            encode_path_segment("urn:ietf:params:scim:schemas:core:2.0:User"),
            "urn:ietf:params:scim:schemas:core:2.0:User"
        );
        assert_eq!(encode_path_segment("é~"), "%C3%A9~");
    }

    #[test]
    fn query_values_are_fully_escaped() {
        let mut s = String::new();
        encode_into(&mut s, "userName eq \"a+b@x.org\" & x=1 é,:");
        assert_eq!(
            s,
            "userName%20eq%20%22a%2Bb%40x.org%22%20%26%20x%3D1%20%C3%A9%2C%3A"
        );
    }
}
