//! HTTP/1.1 on a blocking socket: reading one request under size and time
//! limits, and writing one response with a single write. Nothing here knows
//! about SCIM.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime};

/// Content type of every SCIM answer with a body.
pub(crate) const SCIM_JSON: &str = "application/scim+json";

/// Most header lines a request may carry.
const MAX_HEADERS: usize = 100;
/// Longest request head (request line and headers) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Longest chunk-size or trailer line accepted in a chunked body.
const MAX_LINE: usize = 4 * 1024;

/// How much and how long the server reads for one request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Largest body accepted, checked before the body is read.
    pub max_body: usize,
    /// How long a connection may wait for the first byte of a request.
    pub idle: Duration,
    /// How long reading one request may take once its first byte arrived.
    pub request: Duration,
}

/// One request as read from the wire.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    /// The request target: path and query, still percent-encoded.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The client asked to close after this request (or spoke HTTP/1.0).
    pub close: bool,
}

/// Why no request could be read.
#[derive(Debug, PartialEq)]
pub(crate) enum ReadError {
    /// The peer closed, went quiet between requests, or broke the socket:
    /// close without a word.
    Gone,
    /// Answer with this status and detail, then close.
    Reject(u16, &'static str),
}

/// A response before it is written.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Body bytes and their content type.
    pub body: Option<(Vec<u8>, &'static str)>,
}

impl Reply {
    pub(crate) fn json_as(status: u16, v: &serde_json::Value, content_type: &'static str) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Some((v.to_string().into_bytes(), content_type)),
        }
    }
    pub(crate) fn scim(status: u16, v: &serde_json::Value) -> Reply {
        Reply::json_as(status, v, SCIM_JSON)
    }
    pub(crate) fn bytes(status: u16, body: Vec<u8>, content_type: &'static str) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Some((body, content_type)),
        }
    }
    pub(crate) fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: None,
        }
    }
    pub(crate) fn header(mut self, k: &str, v: impl Into<String>) -> Reply {
        self.headers.push((k.to_string(), v.into()));
        self
    }
}

/// What to do with the connection after a request was handled.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Write this response.
    Reply(Reply),
    /// Write this response's head, then `prefix`, `fill` bytes of `x` and
    /// `suffix` as its body, streamed rather than built in memory.
    Padded {
        reply: Reply,
        prefix: Vec<u8>,
        fill: usize,
        suffix: Vec<u8>,
    },
    /// Write these bytes as they are, then close.
    RawThenClose(Vec<u8>),
    /// Close without writing anything.
    Close,
    /// Never answer; hold the connection until the server stops.
    Stall,
}

/// What the request reader needs from a connection besides its bytes. A
/// socket is one; a byte slice is another, so that the fuzz target can feed
/// the reader exactly as a socket would.
pub(crate) trait Wire: Read {
    /// Bounds how long the next read may block.
    fn set_read_timeout(&self, timeout: Duration) -> io::Result<()>;
    /// Sends an interim answer (`100 Continue`) before the body is read.
    fn send_interim(&self, bytes: &[u8]) -> io::Result<()>;
}

impl Wire for &TcpStream {
    fn set_read_timeout(&self, timeout: Duration) -> io::Result<()> {
        TcpStream::set_read_timeout(self, Some(timeout))
    }
    fn send_interim(&self, bytes: &[u8]) -> io::Result<()> {
        let mut stream = *self;
        stream.write_all(bytes)
    }
}

impl Wire for &[u8] {
    fn set_read_timeout(&self, _: Duration) -> io::Result<()> {
        Ok(())
    }
    fn send_interim(&self, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

/// Reads the next request from a keep-alive connection. `idle` is set while
/// the connection waits for a request's first byte, so that an idle
/// connection can be told from a busy one.
pub(crate) fn read_request<W: Wire>(
    reader: &mut BufReader<W>,
    limits: &Limits,
    idle: &dyn Fn(bool),
) -> Result<Request, ReadError> {
    idle(true);
    let first = set_timeout(reader.get_ref(), limits.idle).and_then(|()| reader.fill_buf());
    match first {
        Ok([]) | Err(_) => return Err(ReadError::Gone),
        Ok(_) => idle(false),
    }
    let deadline = Instant::now() + limits.request;
    let head = read_head(reader, deadline)?;
    let mut request = parse_head(&head)?;
    let body = match framing(&request.headers, limits.max_body)? {
        Framing::Length(0) => Vec::new(),
        framing => {
            if expects_continue(&request.headers) {
                reader
                    .get_ref()
                    .send_interim(b"HTTP/1.1 100 Continue\r\n\r\n")
                    .map_err(|_| ReadError::Gone)?;
            }
            match framing {
                Framing::Length(n) => read_exact(reader, n, deadline)?,
                Framing::Chunked => read_chunked(reader, limits.max_body, deadline)?,
            }
        }
    };
    request.body = body;
    Ok(request)
}

fn set_timeout(wire: &impl Wire, timeout: Duration) -> io::Result<()> {
    wire.set_read_timeout(timeout.max(Duration::from_millis(1)))
}

/// Arms the socket's read timeout with what is left until `deadline`.
fn arm<W: Wire>(reader: &BufReader<W>, deadline: Instant) -> Result<(), ReadError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(ReadError::Reject(
            408,
            "the request took too long to arrive",
        ));
    }
    set_timeout(reader.get_ref(), left).map_err(|_| ReadError::Gone)
}

fn io_error(e: &io::Error) -> ReadError {
    match e.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
            ReadError::Reject(408, "the request took too long to arrive")
        }
        _ => ReadError::Gone,
    }
}

/// Bytes up to and including the blank line that ends the head.
fn read_head<W: Wire>(reader: &mut BufReader<W>, deadline: Instant) -> Result<Vec<u8>, ReadError> {
    let mut head = Vec::with_capacity(1024);
    loop {
        arm(reader, deadline)?;
        let buf = reader.fill_buf().map_err(|e| io_error(&e))?;
        if buf.is_empty() {
            return Err(ReadError::Gone);
        }
        let old = head.len();
        head.extend_from_slice(buf);
        let from = old.saturating_sub(3);
        if let Some(p) = head[from..].windows(4).position(|w| w == b"\r\n\r\n") {
            let end = from + p + 4;
            reader.consume(end - old);
            head.truncate(end);
            return Ok(head);
        }
        let n = head.len() - old;
        reader.consume(n);
        if head.len() > MAX_HEAD {
            return Err(ReadError::Reject(431, "the request head is too large"));
        }
    }
}

fn parse_head(head: &[u8]) -> Result<Request, ReadError> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(ReadError::Reject(400, "incomplete head")),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::Reject(431, "the request has too many headers"));
        }
        Err(_) => {
            return Err(ReadError::Reject(
                400,
                "the request head is not valid HTTP/1.1",
            ));
        }
    }
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            let value = String::from_utf8_lossy(h.value).into_owned();
            (h.name.to_string(), value)
        })
        .collect();
    let connection = header(&headers, "Connection").unwrap_or_default();
    let close = parsed.version == Some(0) || has_token(connection, "close");
    Ok(Request {
        method: parsed.method.unwrap_or_default().to_string(),
        target: parsed.path.unwrap_or_default().to_string(),
        headers,
        body: Vec::new(),
        close,
    })
}

/// The first header called `name`, ignoring ASCII case.
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn has_token(list: &str, token: &str) -> bool {
    list.split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

fn expects_continue(headers: &[(String, String)]) -> bool {
    header(headers, "Expect").is_some_and(|v| v.trim().eq_ignore_ascii_case("100-continue"))
}

enum Framing {
    Length(usize),
    Chunked,
}

/// How the body is delimited, refusing a body over `max_body` before any
/// of it is read.
fn framing(headers: &[(String, String)], max_body: usize) -> Result<Framing, ReadError> {
    let lengths: Vec<&str> = headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .map(|(_, v)| v.trim())
        .collect();
    if let Some(te) = header(headers, "Transfer-Encoding") {
        if !lengths.is_empty() {
            return Err(ReadError::Reject(
                400,
                "Content-Length and Transfer-Encoding together",
            ));
        }
        let last = te.rsplit(',').next().unwrap_or_default().trim();
        if !last.eq_ignore_ascii_case("chunked") {
            return Err(ReadError::Reject(
                501,
                "only chunked transfer coding is supported",
            ));
        }
        return Ok(Framing::Chunked);
    }
    let Some(first) = lengths.first() else {
        return Ok(Framing::Length(0));
    };
    if lengths.iter().any(|l| l != first) {
        return Err(ReadError::Reject(400, "conflicting Content-Length headers"));
    }
    let n: usize = first
        .parse()
        .map_err(|_| ReadError::Reject(400, "Content-Length is not a number"))?;
    if n > max_body {
        return Err(ReadError::Reject(413, "the request body is too large"));
    }
    Ok(Framing::Length(n))
}

fn read_exact<W: Wire>(
    reader: &mut BufReader<W>,
    n: usize,
    deadline: Instant,
) -> Result<Vec<u8>, ReadError> {
    let mut body = vec![0; n];
    let mut got = 0;
    while got < n {
        arm(reader, deadline)?;
        match reader.read(&mut body[got..]) {
            Ok(0) => return Err(ReadError::Gone),
            Ok(k) => got += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(&e)),
        }
    }
    Ok(body)
}

/// One CRLF-terminated line of a chunked body, at most `MAX_LINE` bytes.
fn read_line<W: Wire>(reader: &mut BufReader<W>, deadline: Instant) -> Result<Vec<u8>, ReadError> {
    let mut line = Vec::new();
    loop {
        arm(reader, deadline)?;
        let buf = reader.fill_buf().map_err(|e| io_error(&e))?;
        if buf.is_empty() {
            return Err(ReadError::Gone);
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if line.len() > MAX_LINE {
            return Err(ReadError::Reject(400, "a chunk line is too long"));
        }
        if done {
            return Ok(line);
        }
    }
}

fn read_chunked<W: Wire>(
    reader: &mut BufReader<W>,
    max_body: usize,
    deadline: Instant,
) -> Result<Vec<u8>, ReadError> {
    let bad = ReadError::Reject(400, "the chunked body is malformed");
    let mut body = Vec::new();
    loop {
        let line = read_line(reader, deadline)?;
        let size = match httparse::parse_chunk_size(&line) {
            Ok(httparse::Status::Complete((_, size))) => size,
            _ => return Err(bad),
        };
        if size == 0 {
            // Trailers, ignored, up to the closing blank line.
            while read_line(reader, deadline)? != b"\r\n" {}
            return Ok(body);
        }
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if size > max_body.saturating_sub(body.len()) {
            return Err(ReadError::Reject(413, "the request body is too large"));
        }
        body.extend(read_exact(reader, size, deadline)?);
        if read_exact(reader, 2, deadline)? != b"\r\n" {
            return Err(bad);
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// The status line and headers of `reply`, with the framing headers for a
/// body of `body_len` bytes.
fn head(reply: &Reply, body_len: usize, close: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + body_len);
    let status = reply.status;
    out.extend_from_slice(format!("HTTP/1.1 {status} {}\r\n", reason(status)).as_bytes());
    let mut line = |k: &str, v: &str| {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.as_bytes());
        out.extend_from_slice(b"\r\n");
    };
    line("Date", &httpdate::fmt_http_date(SystemTime::now()));
    line("Server", "scim-fake");
    if let Some((_, content_type)) = &reply.body {
        line("Content-Type", content_type);
    }
    for (k, v) in &reply.headers {
        line(k, v);
    }
    // A 204 has no body and so no length (RFC 9110 §8.6).
    if status != 204 {
        line("Content-Length", &body_len.to_string());
    }
    if close {
        line("Connection", "close");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// Writes `reply` with one write call. A `HEAD` request gets the head only.
pub(crate) fn write_reply(
    mut out: impl Write,
    reply: &Reply,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let body: &[u8] = reply.body.as_ref().map_or(&[], |(b, _)| b);
    let mut bytes = head(reply, body.len(), close);
    if !head_only {
        bytes.extend_from_slice(body);
    }
    out.write_all(&bytes)?;
    out.flush()
}

/// Writes `reply`'s head and a body of `prefix`, `fill` bytes of `x` and
/// `suffix`, without holding the whole body in memory.
pub(crate) fn write_padded(
    mut out: impl Write,
    reply: &Reply,
    parts: (&[u8], usize, &[u8]),
    close: bool,
) -> io::Result<()> {
    let (prefix, fill, suffix) = parts;
    let mut bytes = head(reply, prefix.len() + fill + suffix.len(), close);
    bytes.extend_from_slice(prefix);
    out.write_all(&bytes)?;
    let block = [b'x'; 64 * 1024];
    let mut left = fill;
    while left > 0 {
        let n = left.min(block.len());
        out.write_all(&block[..n])?;
        left -= n;
    }
    out.write_all(suffix)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn framing_refuses_large_and_ambiguous_bodies_before_reading() {
        let f = |h: &[(&str, &str)]| framing(&headers(h), 10).map(|_| ());
        assert_eq!(f(&[("Content-Length", "10")]), Ok(()));
        assert_eq!(
            f(&[("content-length", "11")]),
            Err(ReadError::Reject(413, "the request body is too large"))
        );
        assert!(matches!(
            f(&[("Content-Length", "1"), ("Transfer-Encoding", "chunked")]),
            Err(ReadError::Reject(400, _))
        ));
        assert!(matches!(
            f(&[("Content-Length", "1"), ("Content-Length", "2")]),
            Err(ReadError::Reject(400, _))
        ));
        assert!(matches!(
            f(&[("Transfer-Encoding", "gzip")]),
            Err(ReadError::Reject(501, _))
        ));
    }

    #[test]
    fn a_reply_is_framed_once() {
        let mut out = Vec::new();
        let reply = Reply::bytes(200, b"{}".to_vec(), SCIM_JSON).header("ETag", "\"1\"");
        write_reply(&mut out, &reply, false, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("\r\nContent-Length: 2\r\n"), "{text}");
        assert!(text.contains("\r\nConnection: close\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n{}"), "{text}");
    }
}
