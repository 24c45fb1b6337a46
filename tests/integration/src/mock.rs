//! A scripted HTTP server on loopback: it records every request exactly as
//! received and answers with responses queued by the test.
//!
//! It is for calls one after another: tiny_http hands each connection to a
//! thread of its pool, and a race in that pool can leave a new connection
//! queued while the pool's threads wait on connections the SDK keeps alive,
//! so a call among many concurrent ones waits out its time limit (16 at
//! once lost 2 for 5 s). Tests of concurrent calls use scim-fake, which
//! serves every connection on its own thread.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use scim_fake::RecordedRequest;
use scim_sdk::{Client, RetryPolicy};

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
    recorded: Mutex<Vec<RecordedRequest>>,
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

/// The request in the journal type `scim-fake` uses, so one set of
/// accessors serves tests of both servers.
fn record(request: &mut tiny_http::Request) -> RecordedRequest {
    let mut body = Vec::new();
    let _ = std::io::Read::read_to_end(request.as_reader(), &mut body);
    let (path, query) = match request.url().split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (request.url().to_owned(), None),
    };
    RecordedRequest {
        method: request.method().as_str().to_owned(),
        path,
        query,
        headers: request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_owned(),
                    h.value.as_str().to_owned(),
                )
            })
            .collect(),
        body,
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
                    shared
                        .recorded
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(record(&mut request));
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

    /// A client for this server with bearer token `t` and retries off, so
    /// each queued answer reaches the test as the server sent it.
    pub fn client(&self) -> Client {
        Client::builder()
            .base_url(self.url())
            .bearer("t")
            .retry(RetryPolicy::disabled())
            .build()
            .expect("build the client")
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
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The most recent request (panics if there was none: this is test code).
    pub fn last(&self) -> RecordedRequest {
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
