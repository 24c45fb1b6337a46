//! One request through the fake, after it was read off the wire: journal,
//! token endpoint, service time, faults, authentication, rate limit, and
//! finally the SCIM API.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::api::{self, ApiRequest};
use crate::auth::{self, Tokens};
use crate::config::Config;
use crate::fault::{self, Fault};
use crate::http::{Outcome, Reply, Request};
use crate::journal::{Journal, RecordedRequest};
use crate::ratelimit::{RateLimiter, Verdict};
use crate::request_match::Match;
use crate::store::{ScimError, Store};

/// Locks a mutex, taking the data even if a panicking thread poisoned it:
/// the fake must keep answering the rest of a test run.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A fault waiting for the requests it matches.
#[derive(Debug)]
pub(crate) struct Queued {
    pub on: Match,
    pub fault: Fault,
    /// Requests it still applies to (at least 1 while queued).
    pub left: usize,
}

/// Everything the request handlers share.
#[derive(Debug)]
pub(crate) struct State {
    pub cfg: Config,
    pub base_url: String,
    /// When the server started, for the discovery documents.
    pub started: String,
    pub store: Mutex<Store>,
    pub journal: Mutex<Journal>,
    pub faults: Mutex<VecDeque<Queued>>,
    pub tokens: Mutex<Tokens>,
    pub token_requests: AtomicUsize,
    limiter: Option<RateLimiter>,
    stopping: Mutex<bool>,
    stopped: Condvar,
}

impl State {
    pub(crate) fn new(cfg: Config, base_url: String, started: String, store: Store) -> State {
        let limiter = cfg.rate_limit.map(|n| RateLimiter::new(n, cfg.rate_window));
        State {
            journal: Mutex::new(Journal::new(cfg.journal_entries, cfg.journal_bytes)),
            cfg,
            base_url,
            started,
            store: Mutex::new(store),
            faults: Mutex::default(),
            tokens: Mutex::default(),
            token_requests: AtomicUsize::new(0),
            limiter,
            stopping: Mutex::new(false),
            stopped: Condvar::new(),
        }
    }

    /// Tells every waiting handler that the server is stopping.
    pub(crate) fn stop(&self) {
        *lock(&self.stopping) = true;
        self.stopped.notify_all();
    }

    pub(crate) fn is_stopping(&self) -> bool {
        *lock(&self.stopping)
    }

    /// Waits for `d`, or less if the server stops meanwhile.
    pub(crate) fn pause(&self, d: Duration) {
        let end = Instant::now() + d;
        let mut stopping = lock(&self.stopping);
        while !*stopping {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            stopping = match self.stopped.wait_timeout(stopping, left) {
                Ok((guard, _)) => guard,
                Err(e) => e.into_inner().0,
            };
        }
    }

    /// Waits until the server stops.
    pub(crate) fn wait_for_stop(&self) {
        let mut stopping = lock(&self.stopping);
        while !*stopping {
            stopping = self
                .stopped
                .wait(stopping)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The first queued fault that matches the request, used up once.
    fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut q = lock(&self.faults);
        let at = q.iter().position(|f| f.on.matches(method, path))?;
        let queued = &mut q[at];
        let fault = queued.fault.clone();
        queued.left -= 1;
        if queued.left == 0 {
            q.remove(at);
        }
        Some(fault)
    }
}

/// Handles one request: records it, then answers it or applies a fault.
pub(crate) fn handle(state: &State, request: Request) -> Outcome {
    let (path, query) = match request.target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (request.target, None),
    };
    let recorded = RecordedRequest {
        method: request.method,
        path,
        query,
        headers: request.headers,
        body: request.body,
    };
    lock(&state.journal).push(recorded.clone());
    let correlation = uuid::Uuid::new_v4().to_string();
    match route(state, &recorded, &correlation) {
        Outcome::Reply(reply) => Outcome::Reply(reply.header("ININ-Correlation-Id", correlation)),
        Outcome::Padded {
            reply,
            prefix,
            fill,
            suffix,
        } => Outcome::Padded {
            reply: reply.header("ININ-Correlation-Id", correlation),
            prefix,
            fill,
            suffix,
        },
        other => other,
    }
}

fn route(state: &State, rec: &RecordedRequest, correlation: &str) -> Outcome {
    if rec.path == "/oauth/token" {
        state.token_requests.fetch_add(1, Ordering::SeqCst);
        let mut tokens = lock(&state.tokens);
        let reply = auth::token_endpoint(
            &state.cfg,
            &mut tokens,
            &rec.method,
            &rec.headers,
            &rec.body,
        );
        return Outcome::Reply(reply);
    }
    if !state.cfg.service_time.is_zero() {
        state.pause(state.cfg.service_time);
    }
    let fault = state.take_fault(&rec.method, &rec.path);
    if let Some(outcome) = fault.as_ref().and_then(|f| fault::outcome(f, correlation)) {
        return outcome;
    }
    if let Some(Fault::Latency { delay, .. }) = fault {
        state.pause(delay);
    }
    let reply = api_reply(state, rec);
    match fault {
        // Applied, and the answer lost on the way back.
        Some(Fault::DropAnswer { .. }) => Outcome::Close,
        _ => Outcome::Reply(reply),
    }
}

/// Authentication, the rate limit, then the SCIM API.
fn api_reply(state: &State, rec: &RecordedRequest) -> Reply {
    let token = match auth::authorize(&state.cfg, &lock(&state.tokens), &rec.headers) {
        Ok(token) => token,
        Err(e) => return e.reply().header("WWW-Authenticate", "Bearer"),
    };
    let verdict = state
        .limiter
        .as_ref()
        .map(|l| l.check(&token, Instant::now()));
    let reply = match &verdict {
        Some(v) if !v.allowed => too_many(v, state.cfg.rate_window),
        _ => {
            let query = rec.query_pairs();
            let req = ApiRequest {
                method: &rec.method,
                path: &rec.path,
                query: &query,
                headers: &rec.headers,
                body: &rec.body,
                base_url: &state.base_url,
                started: &state.started,
                page_cost: state.cfg.page_cost,
            };
            api::handle(&state.store, &req)
        }
    };
    match verdict {
        Some(v) if state.cfg.rate_headers => v
            .headers()
            .into_iter()
            .fold(reply, |r, (k, v)| r.header(k, v)),
        _ => reply,
    }
}

fn too_many(v: &Verdict, window: Duration) -> Reply {
    let detail = format!(
        "rate limit exceeded: {} requests per {} ms for this token",
        v.limit,
        window.as_millis()
    );
    ScimError::new(429, None, detail)
        .reply()
        .header("Retry-After", v.reset_secs.to_string())
}
