//! Credentials held in memory: never shown, and wiped when dropped.

use zeroize::{Zeroize, ZeroizeOnDrop};

/// A string that never shows up in `Debug` output and whose bytes are
/// overwritten when it is dropped, so that a client secret or a token does
/// not linger in freed memory (a core dump, a swapped page).
///
/// Copies that other crates make while sending (the `http` header map, the
/// socket buffer) are out of our reach; every copy the SDK itself makes is a
/// `Secret` or lives inside [`zeroize::Zeroizing`].
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl Zeroize for Secret {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Secret {}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_wiped_when_dropped() {
        fn wiped_on_drop<T: ZeroizeOnDrop>() {}
        wiped_on_drop::<Secret>();
        wiped_on_drop::<zeroize::Zeroizing<String>>();
        // What dropping does: the bytes are overwritten, not just released.
        let mut s = Secret::new("hunter2".into());
        s.zeroize();
        assert_eq!(s.expose(), "");
    }

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2".into());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(s.expose(), "hunter2");
    }
}
