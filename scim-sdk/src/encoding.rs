//! Percent-encoding for path segments and query components.
//!
//! Kept in one place so that every operation encodes ids and filter values the
//! same way. Only RFC 3986 "unreserved" bytes pass through unchanged; all other
//! bytes, including `/`, `?`, `#`, `%`, `&`, `+`, `=` and space, are escaped.

use std::fmt::Write;

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` to `out` with every byte outside the unreserved set escaped.
pub(crate) fn encode_into(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Encodes one path segment.
///
/// `:` and `@` stay readable (RFC 3986 allows them in a segment, and SCIM
/// schema ids are URNs); everything that could end or split the segment is
/// escaped. A segment made only of dots is escaped as well: `.` and `..`
/// would otherwise be collapsed by URL normalisation and address a
/// different resource.
pub(crate) fn encode_path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    if !value.is_empty() && value.bytes().all(|b| b == b'.') {
        for _ in value.bytes() {
            out.push_str("%2E");
        }
        return out;
    }
    for &b in value.as_bytes() {
        if is_unreserved(b) || b == b':' || b == b'@' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
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
    }

    #[test]
    fn query_values_are_fully_escaped() {
        let mut s = String::new();
        encode_into(&mut s, "userName eq \"a+b@x.org\" & x=1");
        assert_eq!(s, "userName%20eq%20%22a%2Bb%40x.org%22%20%26%20x%3D1");
    }
}
