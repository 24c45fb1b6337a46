//! Asking the person at the terminal before a write.

use crate::error::Error;
use std::io::{self, BufRead, Write};

/// Shows the question already written to `err` and reads the answer:
/// anything but yes cancels, and nothing is sent.
pub fn yes_or_cancel(err: &mut impl Write) -> Result<(), Error> {
    err.flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Error::Usage("cancelled; nothing was sent".into())),
    }
}
