//! A zipped workbook (xlsx, xlsm, xlsb, ods) looked at before calamine
//! unpacks it. calamine trusts what a file declares: a few MiB of parts
//! can inflate to gigabytes, and a shared-strings table that claims a
//! trillion strings has room reserved for all of them at once, which
//! aborts the process rather than failing. Both are refused here.

use std::io::{BufReader, Cursor, Read};

/// The most a workbook's parts may unpack to, as the zip's directory
/// declares (the zip reader stops each part at its declared size): a sheet
/// of the most cells read, in XML, is about this much.
pub const MAX_UNPACKED: u64 = 1 << 30;

/// Refuses the zipped workbook in `bytes` when its parts unpack to more
/// than [`MAX_UNPACKED`] or a shared-strings table claims more than
/// `max_strings` strings. Bytes that are no zip pass: calamine names what
/// is wrong with them.
pub fn check(bytes: &[u8], max_strings: u64) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut unpacked = 0u64;
    let mut tables = Vec::new();
    for i in 0..zip.len() {
        // A part whose header does not read cannot be unpacked by calamine
        // either.
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        unpacked = unpacked.saturating_add(part.size());
        let name = String::from_utf8_lossy(part.name_raw()).replace('\\', "/");
        if name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            tables.push((i, name));
        }
    }
    if unpacked > MAX_UNPACKED {
        return Err(format!(
            "the workbook unpacks to {} MiB, more than 1 GiB: save the sheet as CSV",
            unpacked >> 20
        ));
    }
    for (i, name) in tables {
        let Ok(part) = zip.by_index(i) else { continue };
        match claimed_strings(part) {
            Some(n) if n > max_strings => {
                return Err(format!(
                    "{name} claims {n} strings, more than the {max_strings} cells read from a \
                     sheet: the workbook is damaged; save it again from the spreadsheet, or \
                     save the sheet as CSV"
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The `uniqueCount` of a shared-strings table's `<sst>` tag, read as
/// calamine reads it (the raw value, leading zeros skipped), or `None`
/// when calamine would not read one.
fn claimed_strings(part: impl Read) -> Option<u64> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(tag) | Event::Empty(tag) if tag.local_name().as_ref() == "sst" => {
                let count = tag.try_get_attribute("uniqueCount").ok()??;
                let digits: &str = &count.value;
                return match digits.trim_start_matches('0') {
                    "" => Some(0),
                    digits => digits.parse().ok(),
                };
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::claimed_strings;

    #[test]
    fn a_tables_count_is_read_as_calamine_reads_it() {
        let sst = |attrs: &str| {
            claimed_strings(
                format!("<?xml version=\"1.0\"?><sst {attrs}><si><t>a</t></si></sst>").as_bytes(),
            )
        };
        assert_eq!(sst(r#"count="3" uniqueCount="2""#), Some(2));
        assert_eq!(sst(r#"uniqueCount="000000000000000000000042""#), Some(42));
        assert_eq!(sst(r#"uniqueCount="0""#), Some(0));
        // No count, or none calamine parses: nothing is reserved.
        assert_eq!(sst(r#"count="3""#), None);
        assert_eq!(sst(r#"uniqueCount="12x""#), None);
        assert_eq!(sst(r#"uniqueCount="99999999999999999999999""#), None);
        // A prefixed tag is the same table.
        let prefixed = br#"<x:sst xmlns:x="s" uniqueCount="7"></x:sst>"#;
        assert_eq!(claimed_strings(&prefixed[..]), Some(7));
    }
}
