//! The request journal: every request the server read, oldest first, kept
//! within a bound on entries and on bytes so a long run cannot exhaust
//! memory.

use std::collections::VecDeque;

use serde_json::Value;

use crate::http;

/// One request as the server received it, recorded before it was answered.
///
/// ```
/// let server = scim_fake::FakeServer::start()?;
/// // ... run the code under test against server.base_url() ...
/// for request in server.journal() {
///     println!("{} {} {:?}", request.method, request.path, request.query);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Request path without the query string, still percent-encoded.
    pub path: String,
    /// Raw query string (without `?`), still percent-encoded; `None` if absent.
    pub query: Option<String>,
    /// Request headers in arrival order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Request body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header with this name, compared ignoring ASCII case.
    ///
    /// ```
    /// let r = scim_fake::RecordedRequest {
    ///     method: "GET".into(),
    ///     path: "/api/v2/scim/v2/users".into(),
    ///     query: None,
    ///     headers: vec![("ETag".into(), "\"1\"".into())],
    ///     body: Vec::new(),
    /// };
    /// assert_eq!(r.header("etag"), Some("\"1\""));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        http::header(&self.headers, name)
    }

    /// The body parsed as JSON, or `None` if it is empty or not JSON.
    ///
    /// ```
    /// let r = scim_fake::RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/api/v2/scim/v2/users".into(),
    ///     query: None,
    ///     headers: Vec::new(),
    ///     body: br#"{"userName":"a@b.c"}"#.to_vec(),
    /// };
    /// assert_eq!(r.body_json().unwrap()["userName"], "a@b.c");
    /// ```
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Query parameters in order, with percent-escapes and `+` decoded.
    ///
    /// ```
    /// let r = scim_fake::RecordedRequest {
    ///     method: "GET".into(),
    ///     path: "/api/v2/scim/v2/users".into(),
    ///     query: Some("filter=userName+eq+%22a%22&count=5".into()),
    ///     headers: Vec::new(),
    ///     body: Vec::new(),
    /// };
    /// assert_eq!(r.query_pairs()[0], ("filter".into(), "userName eq \"a\"".into()));
    /// ```
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(parse_query).unwrap_or_default()
    }

    fn size(&self) -> usize {
        let headers: usize = self.headers.iter().map(|(k, v)| k.len() + v.len()).sum();
        self.method.len()
            + self.path.len()
            + self.query.as_ref().map_or(0, String::len)
            + headers
            + self.body.len()
    }
}

/// Splits a raw query string into decoded key/value pairs.
pub(crate) fn parse_query(q: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The recorded requests, dropping the oldest beyond either bound.
#[derive(Debug)]
pub(crate) struct Journal {
    entries: VecDeque<RecordedRequest>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl Journal {
    pub(crate) fn new(max_entries: usize, max_bytes: usize) -> Journal {
        Journal {
            entries: VecDeque::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    pub(crate) fn push(&mut self, request: RecordedRequest) {
        self.bytes += request.size();
        self.entries.push_back(request);
        while self.entries.len() > self.max_entries
            || (self.bytes > self.max_bytes && !self.entries.is_empty())
        {
            if let Some(old) = self.entries.pop_front() {
                self.bytes -= old.size();
            }
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: usize) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: "/".into(),
            query: None,
            headers: Vec::new(),
            body: vec![b'x'; body],
        }
    }

    #[test]
    fn the_oldest_entries_go_first_when_a_bound_is_reached() {
        let mut j = Journal::new(2, 1_000);
        for n in [1, 2, 3] {
            j.push(req(n));
        }
        let kept: Vec<usize> = j.snapshot().iter().map(|r| r.body.len()).collect();
        assert_eq!(kept, [2, 3]);

        let mut j = Journal::new(100, 250);
        for _ in 0..3 {
            j.push(req(100));
        }
        assert_eq!(j.snapshot().len(), 2);
        // One entry larger than the byte bound is dropped at once.
        j.push(req(1_000));
        assert!(j.snapshot().is_empty());
    }
}
