//! Text helpers shared by the SCIM modules: case-insensitive names and
//! percent-coding of path segments.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters is escaped in a segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `s` so that it is safe as a single path segment.
pub(crate) fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Decodes `%XX` escapes of one path segment (`+` stays a plus sign).
pub(crate) fn decode_segment(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Case-insensitive lookup of a key in a JSON object; returns the stored spelling.
pub(crate) fn ci_key(
    map: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_string());
    }
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

/// Strips `prefix` from `s` ignoring ASCII case.
pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip() {
        assert_eq!(encode_segment("a/b c~"), "a%2Fb%20c~");
        assert_eq!(decode_segment("a%2Fb+c%zz"), "a/b+c%zz");
    }
}
