//! `--audit-log FILE`: who changed which user, when, and how it ended, one
//! JSON object a line. The file is opened for appending and each line is
//! written whole as soon as its write has ended, so a run that is killed
//! keeps the lines of what it did.
//!
//! The HTTP status and correlation id of a write come from the SDK's own
//! `SCIM request finished` events: [`WriteAnswers`] keeps the last one of
//! each thread, which is the thread that made the write and then reports
//! it.

use crate::error::Error;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;
use tracing::field::{Field, Visit};

/// An open audit log and what every line of this run repeats.
pub struct AuditLog {
    file: Mutex<File>,
    run: String,
    actor: String,
}

/// One write, as the log records it.
pub struct Entry {
    pub action: &'static str,
    pub target: Value,
    pub changes: Vec<Value>,
    pub outcome: &'static str,
    pub error: Option<String>,
}

impl AuditLog {
    pub fn open(path: &Path, actor: &str) -> Result<AuditLog, Error> {
        let file = OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| {
                Error::Usage(format!(
                    "cannot open the audit log {}: {e}; nothing was sent",
                    path.display()
                ))
            })?;
        Ok(AuditLog {
            file: Mutex::new(file),
            run: run_id(),
            actor: actor.to_owned(),
        })
    }

    /// Appends the line of `entry`, with the status and correlation id of
    /// the last write this thread made (taken, so the next entry starts
    /// afresh).
    pub fn record(&self, entry: Entry) {
        self.record_answered(entry, take_last_answer());
    }

    /// Appends the line of `entry` with the answer given.
    pub fn record_answered(&self, entry: Entry, answer: Answered) {
        let (status, correlation_id) = answer;
        let mut line = json!({
            "time": humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
            "run": self.run,
            "actor": self.actor,
            "action": entry.action,
            "target": entry.target,
            "changes": entry.changes,
            "outcome": entry.outcome,
            "status": status,
            "correlation_id": correlation_id,
        });
        if let Some(error) = entry.error {
            line["error"] = Value::String(error);
        }
        let mut text = line.to_string();
        text.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // One write call a line: a reader never sees half a line from us.
        if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.flush()) {
            eprintln!("warning: cannot write to the audit log: {e}");
        }
    }

    /// Takes the answer to the last write of this thread.
    pub fn take_answer(&self) -> Answered {
        take_last_answer()
    }
}

/// A change as the log shows it: path, before, after; a password's values
/// are never written.
pub fn change(path: &str, before: Value, after: Value) -> Value {
    let hide = |v: Value| match v {
        Value::Null => Value::Null,
        _ if path.to_ascii_lowercase().contains("password") => Value::String("[redacted]".into()),
        v => v,
    };
    json!({"path": path, "before": hide(before), "after": hide(after)})
}

/// Unique enough to tell runs apart: the start time and the process id.
fn run_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}-{:x}", nanos, std::process::id())
}

/// `token:` and a short fingerprint of a token, which does not reveal it.
pub fn token_actor(token: &str) -> String {
    // FNV-1a: a stable fingerprint, not a protection of the secret (which
    // 48 bits of a hash cannot give back).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in token.trim().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("token:{:012x}", hash >> 16)
}

thread_local! {
    static LAST_ANSWER: RefCell<(Option<u64>, Option<String>)> = const { RefCell::new((None, None)) };
}

/// The HTTP status and correlation id of a write, when known.
pub type Answered = (Option<u64>, Option<String>);

fn take_last_answer() -> Answered {
    LAST_ANSWER.with(|last| last.take())
}

/// A tracing layer keeping, per thread, the status and correlation id of
/// the last write request the SDK finished.
pub struct WriteAnswers;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for WriteAnswers {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut seen = Answer::default();
        event.record(&mut seen);
        let write = seen.method.as_deref().is_some_and(|m| m != "GET");
        if write && seen.status.is_some() {
            LAST_ANSWER.with(|last| *last.borrow_mut() = (seen.status, seen.correlation_id));
        }
    }
}

#[derive(Default)]
struct Answer {
    method: Option<String>,
    status: Option<u64>,
    correlation_id: Option<String>,
}

impl Visit for Answer {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "status" {
            self.status = Some(value);
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == "status" {
            self.status = u64::try_from(value).ok();
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "method" => self.method = Some(value.to_owned()),
            "correlation_id" => self.correlation_id = Some(value.to_owned()),
            _ => {}
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}
