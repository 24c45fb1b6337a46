//! Reading the files an operator hands the CLI (people files, mappings,
//! saved plans, exclude files, token and secret files) up to a bound: at
//! most the bound and one byte more are read, whatever the file is, so a
//! huge file, a device such as `/dev/zero` or a pipe that never ends is
//! refused instead of filling the memory or hanging.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Saved plans and exclude files: a plan of 100,000 changes is far less.
pub const DATA_LIMIT: u64 = 64 << 20;
/// Token and secret files: a token is a few kilobytes at most.
pub const SECRET_LIMIT: u64 = 64 << 10;

/// Why a bounded read failed.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    TooLarge { limit: u64 },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read it: {e}"),
            ReadError::TooLarge { limit } => {
                write!(
                    f,
                    "larger than {}, the most genesys-scim reads from such a file",
                    size(*limit)
                )
            }
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// The bytes of the file at `path`, if it holds at most `limit` of them.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_file(File::open(path)?, limit)
}

/// [`read`] of a file already open (to look at its metadata first).
pub fn read_file(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    // A regular file tells its size: one too large is refused unread.
    let metadata = file.metadata()?;
    if metadata.is_file() && metadata.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    read_stream(file, limit)
}

/// The bytes `input` gives before its end, if at most `limit`.
pub fn read_stream(input: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// `64 MiB`, `64 KiB`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_the_bound_and_one_byte_are_read() {
        let endless = io::repeat(b'x');
        assert!(matches!(
            read_stream(endless, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_stream(&b"0123456789"[..], 10).unwrap().len(), 10);
        assert_eq!(
            ReadError::TooLarge { limit: DATA_LIMIT }.to_string(),
            "larger than 64 MiB, the most genesys-scim reads from such a file"
        );
        assert_eq!(size(SECRET_LIMIT), "64 KiB");
    }
}
