//! [`Match`]: which requests a queued fault waits for.

/// The SCIM roots the fake serves; a path pattern is matched below them.
const ROOTS: [&str; 2] = ["/api/v2/scim/v2", "/api/v2/scim"];

/// Which API requests a fault queued with
/// [`FakeServer::inject_on`](crate::FakeServer::inject_on) applies to: a
/// method, a path pattern, or both.
///
/// - The method is compared ignoring case.
/// - The path pattern is matched against the request's path without its
///   query string, still percent-encoded, and below the SCIM root: `/users/*`
///   matches `/api/v2/scim/v2/users/ID` and `/api/v2/scim/users/ID` alike.
///   A pattern that starts with `/api/` is matched against the whole path
///   instead. Letters match ignoring case, as the fake matches resource
///   names (`/Users/…` is `/users/…`).
/// - In a pattern, `*` matches any run of characters within one path
///   segment (no `/`), and `**` any run at all. Everything else matches
///   itself: `/users/*` matches a user (`/users/8f2b`) but not the list
///   (`/users`) nor anything below a user; `/users` is the list and its
///   filters; `/users/**` is everything under `/users/`.
///
/// ```
/// use scim_fake::Match;
/// let patch_user = Match::method("PATCH").path("/users/*");
/// assert!(patch_user.matches("PATCH", "/api/v2/scim/v2/users/8f2b"));
/// assert!(!patch_user.matches("GET", "/api/v2/scim/v2/users/8f2b"));
/// assert!(!patch_user.matches("PATCH", "/api/v2/scim/v2/groups/8f2b"));
/// assert!(Match::any().path("/groups/**").matches("PUT", "/api/v2/scim/groups/g1"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Match {
    /// Upper case; `None` for any method.
    method: Option<String>,
    /// `None` for any path.
    path: Option<String>,
}

impl Match {
    /// Every request: what [`FakeServer::inject`](crate::FakeServer::inject) uses.
    ///
    /// ```
    /// assert!(scim_fake::Match::any().matches("GET", "/api/v2/scim/v2/users"));
    /// ```
    pub fn any() -> Match {
        Match::default()
    }

    /// Requests with this method, on any path unless [`path`](Match::path) narrows it.
    ///
    /// ```
    /// let posts = scim_fake::Match::method("POST");
    /// assert!(posts.matches("POST", "/api/v2/scim/v2/users"));
    /// assert!(!posts.matches("GET", "/api/v2/scim/v2/users"));
    /// ```
    pub fn method(method: &str) -> Match {
        Match {
            method: Some(method.to_ascii_uppercase()),
            path: None,
        }
    }

    /// Narrows to the paths `pattern` matches (see [`Match`]).
    ///
    /// ```
    /// let lists = scim_fake::Match::method("GET").path("/users");
    /// assert!(lists.matches("GET", "/api/v2/scim/v2/users"));
    /// assert!(!lists.matches("GET", "/api/v2/scim/v2/users/8f2b"));
    /// ```
    #[must_use]
    pub fn path(mut self, pattern: impl Into<String>) -> Match {
        self.path = Some(pattern.into());
        self
    }

    /// Whether a request with `method` on `path` (without its query
    /// string) is one this matches.
    ///
    /// ```
    /// let m = scim_fake::Match::any().path("/users/*");
    /// assert!(m.matches("DELETE", "/api/v2/scim/Users/8f2b"));
    /// ```
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method));
        method_ok && self.path.as_deref().is_none_or(|p| path_matches(p, path))
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern.starts_with("/api/") {
        return glob(pattern.as_bytes(), path.as_bytes());
    }
    let below = ROOTS
        .iter()
        .find_map(|root| {
            crate::text::strip_prefix_ci(path, root).filter(|rest| rest.starts_with('/'))
        })
        .unwrap_or(path);
    glob(pattern.as_bytes(), below.as_bytes())
}

#[derive(Clone, Copy)]
enum Token {
    Byte(u8),
    /// `*`: any run without `/`.
    Star,
    /// `**`: any run.
    Stars,
}

/// Whether `text` matches `pattern`; ASCII letters ignore case. Dynamic
/// programming over (pattern token, text byte), so a pattern full of stars
/// cannot make matching slow.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let mut tokens = Vec::with_capacity(pattern.len());
    let mut i = 0;
    while i < pattern.len() {
        let token = match pattern[i..] {
            [b'*', b'*', ..] => {
                i += 1;
                Token::Stars
            }
            [b'*', ..] => Token::Star,
            _ => Token::Byte(pattern[i]),
        };
        tokens.push(token);
        i += 1;
    }
    // row[j]: the tokens so far match text[..j].
    let mut row = vec![false; text.len() + 1];
    row[0] = true;
    for token in tokens {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match token {
                Token::Byte(p) => j > 0 && row[j - 1] && p.eq_ignore_ascii_case(&text[j - 1]),
                Token::Star => row[j] || (j > 0 && next[j - 1] && text[j - 1] != b'/'),
                Token::Stars => row[j] || (j > 0 && next[j - 1]),
            };
        }
        row = next;
    }
    row[text.len()]
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn stars_match_within_a_segment_and_double_stars_across() {
        let g = |p: &str, t: &str| glob(p.as_bytes(), t.as_bytes());
        assert!(g("/users/*", "/users/"));
        assert!(g("/users/*", "/users/a"));
        assert!(!g("/users/*", "/users/a/b"));
        assert!(g("/users/*/x", "/users/a/x"));
        assert!(g("**", ""));
        assert!(g("/**/x", "/a/b/x"));
        assert!(g("/a*c", "/abbc"));
        assert!(!g("/a*c", "/ab/c"));
        assert!(g("/USERS", "/users"));
        assert!(!g("/users", "/users2"));
        let stars = format!("{}b", "*a".repeat(100));
        assert!(!g(&stars, &"a".repeat(10_000)), "quick, whatever the stars");
    }
}
