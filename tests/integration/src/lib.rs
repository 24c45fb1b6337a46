//! A small scripted HTTP server on loopback for wire-level tests of
//! `scim-sdk`: it records every request exactly as received and answers
//! with responses queued by the test.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query exactly as sent (still percent-encoded).
    pub url: String,
    /// Header names (lower case) and values, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The path part of the URL.
    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or_default()
    }

    /// The raw query string (after `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.url.split_once('?').map(|(_, q)| q)
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (panics if it is not: this is test code).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A queued answer.
#[derive(Debug, Clone)]
pub struct Canned {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// What the server does with the next request.
enum Scripted {
    /// Answer at once.
    Answer(Canned),
    /// Answer after a pause, without holding up other connections.
    Delayed(Duration, Canned),
    /// Read the request, then send nothing for this long (the connection
    /// stays open); tiny_http answers 500 when the time is up.
    Stall(Duration),
}

#[derive(Default)]
struct Shared {
    recorded: Mutex<Vec<Recorded>>,
    queue: Mutex<VecDeque<Scripted>>,
    fallback: Mutex<Option<Canned>>,
}

fn to_canned(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Canned {
    Canned {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.into(),
    }
}

fn send(request: tiny_http::Request, canned: Canned) {
    let mut response = tiny_http::Response::from_data(canned.body).with_status_code(canned.status);
    for (k, v) in &canned.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

/// The scripted server. Stops when dropped.
pub struct MockServer {
    server: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
    port: u16,
    worker: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts on an ephemeral loopback port.
    pub fn start() -> MockServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .expect("ip listener");
        let shared = Arc::new(Shared::default());
        let worker = {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = Vec::new();
                    let _ = std::io::Read::read_to_end(request.as_reader(), &mut body);
                    shared
                        .recorded
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(Recorded {
                            method: request.method().as_str().to_owned(),
                            url: request.url().to_owned(),
                            headers: request
                                .headers()
                                .iter()
                                .map(|h| {
                                    (
                                        h.field.as_str().as_str().to_ascii_lowercase(),
                                        h.value.as_str().to_owned(),
                                    )
                                })
                                .collect(),
                            body,
                        });
                    let next = shared
                        .queue
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .pop_front();
                    let next = next.unwrap_or_else(|| {
                        Scripted::Answer(
                            shared
                                .fallback
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .clone()
                                .unwrap_or(Canned {
                                    status: 599,
                                    headers: Vec::new(),
                                    body: b"no canned response queued".to_vec(),
                                }),
                        )
                    });
                    match next {
                        Scripted::Answer(canned) => send(request, canned),
                        Scripted::Delayed(pause, canned) => {
                            std::thread::spawn(move || {
                                std::thread::sleep(pause);
                                send(request, canned);
                            });
                        }
                        Scripted::Stall(pause) => {
                            std::thread::spawn(move || {
                                std::thread::sleep(pause);
                                drop(request);
                            });
                        }
                    }
                }
            })
        };
        MockServer {
            server,
            shared,
            port,
            worker: Some(worker),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Queues a response.
    pub fn respond(
        &self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> &Self {
        self.enqueue(Scripted::Answer(to_canned(status, headers, body)))
    }

    /// Queues a response sent after `pause`. Other connections are served
    /// meanwhile, so concurrent clients can pile up behind it.
    pub fn respond_after(
        &self,
        pause: Duration,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> &Self {
        self.enqueue(Scripted::Delayed(pause, to_canned(status, headers, body)))
    }

    /// Queues a stall: the server reads the request and then sends nothing
    /// for `pause`, keeping the connection open (after that it answers 500).
    pub fn stall(&self, pause: Duration) -> &Self {
        self.enqueue(Scripted::Stall(pause))
    }

    fn enqueue(&self, step: Scripted) -> &Self {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(step);
        self
    }

    /// Sets the answer given whenever the queue is empty (instead of 599).
    pub fn respond_by_default(
        &self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> &Self {
        *self
            .shared
            .fallback
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(to_canned(status, headers, body));
        self
    }

    /// How many requests arrived so far.
    pub fn request_count(&self) -> usize {
        self.shared
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Queues a SCIM JSON response.
    pub fn respond_json(&self, status: u16, body: &serde_json::Value) -> &Self {
        self.respond(
            status,
            &[("Content-Type", "application/scim+json")],
            body.to_string(),
        )
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The most recent request (panics if there was none: this is test code).
    pub fn last(&self) -> Recorded {
        self.requests()
            .pop()
            .expect("the server received a request")
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
