//! From a file's bytes to text: a byte-order mark decides, then what the
//! operator declared, then detection (UTF-8 when the bytes are UTF-8,
//! otherwise chardetng's guess). Decoding is encoding_rs's; bytes it cannot
//! decode are refused, naming their line, never replaced silently.

use encoding_rs::{DecoderResult, Encoding, UTF_8};

/// The encodings the help names; `--encoding` takes any WHATWG label.
pub const NAMED: &str = "utf-8, utf-16le, utf-16be, windows-1252";

/// The text of a file, and how it was read.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Set when the encoding was guessed from legacy bytes, for a note.
    pub guessed: Option<&'static Encoding>,
}

/// The encoding a label names (`utf-8`, `UTF-16LE`, `cp1252`, `latin1`…).
pub fn encoding(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| format!("unknown encoding `{label}` (the usual ones are {NAMED})"))
}

/// Decodes `bytes`; an error is the line of the first undecodable bytes and
/// what to do about them.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, (u64, String)> {
    let (encoding, body, guessed) = match (Encoding::for_bom(bytes), declared) {
        (Some((bom, len)), _) => (bom, &bytes[len..], None),
        (None, Some(declared)) => (declared, bytes, None),
        (None, None) if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes, None),
        (None, None) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
            // UTF-8 with a bad byte stays UTF-8, and the byte is refused.
            (guess, bytes, (guess != UTF_8).then_some(guess))
        }
    };
    let text = strict(encoding, body)?;
    Ok(Decoded { text, guessed })
}

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, (u64, String)> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(rest.len() * 3 + 16),
            DecoderResult::Malformed(_, _) => {
                let line = super::lines::count_breaks(&text) + 1;
                return Err((
                    line,
                    format!(
                        "bytes that are not valid {}: pass --encoding with the file's \
                         encoding ({NAMED}), or save it as UTF-8",
                        encoding.name()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_wins_then_the_declaration_then_utf8_then_a_guess() {
        let le = [0xFF, 0xFE, b'a', 0, 0x19, 0x20];
        assert_eq!(decode(&le, Some(UTF_8)).unwrap().text, "a\u{2019}");
        let cp = b"Fran\xe7ois M\xfcller, \x93quoted\x94";
        let d = decode(cp, None).unwrap();
        assert_eq!(d.text, "François Müller, “quoted”");
        assert_eq!(d.guessed.map(Encoding::name), Some("windows-1252"));
        let err = decode(b"ok\r\nstill ok \xc3\xa9\r\nbad \xe7a\n", Some(UTF_8)).unwrap_err();
        assert_eq!(err.0, 3, "{err:?}");
        assert!(encoding("klingon").is_err());
        assert_eq!(encoding("UTF-16LE").unwrap().name(), "UTF-16LE");
    }
}
