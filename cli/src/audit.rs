//! `--audit-log FILE`: who changed which user, when, and how it ended, one
//! JSON object a line. The file is opened for appending; a `run_started`
//! line is written before the first write, and each item's line as soon as
//! it has ended, from what the engine reports of it
//! ([`scim_sync::Progress`]). Every line is written whole and flushed: a
//! line that cannot be is an error, and no further write starts.

use crate::error::Error;
use scim_sync::{Attempt, ItemStatus, MemberStatus, Outcome, Progress};
use serde_json::{Value, json};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

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

    /// The line that opens a run, before its first write: if it cannot be
    /// written, nothing is sent.
    pub fn run_started(&self, command: &str, items: usize) -> Result<(), Error> {
        let line = json!({
            "time": now(),
            "run": self.run,
            "actor": self.actor,
            "action": "run_started",
            "command": command,
            "items": items,
        });
        self.write(&line).map_err(|e| Error::Unrecorded {
            error: e,
            written: Vec::new(),
        })
    }

    /// Appends the line of an item that has ended: `entry` (what the plan
    /// said of it) with what the engine reports of it.
    pub fn item(&self, entry: Entry, p: &Progress) -> io::Result<()> {
        let (outcome, error) = outcome(&p.status);
        let mut line = json!({
            "time": now(),
            "run": self.run,
            "actor": self.actor,
            "action": entry.action,
            "target": entry.target,
            "id": p.id,
            "changes": entry.changes,
            "outcome": outcome,
            "status": p.http_status,
            "correlation_id": p.correlation_id,
            "attempts": p.attempts.iter().map(attempt).collect::<Vec<_>>(),
        });
        if !p.members.is_empty() {
            line["members"] = p
                .members
                .iter()
                .map(|m| {
                    let mut member = json!({
                        "userName": m.user_name,
                        "id": m.id,
                        "change": m.change,
                        "outcome": m.status.as_str(),
                    });
                    if let MemberStatus::Failed(e) = &m.status {
                        member["error"] = Value::String(e.to_string());
                    }
                    member
                })
                .collect();
        }
        if let Some(error) = error {
            line["error"] = Value::String(error);
        }
        self.write(&line)
    }

    /// One write call a line, flushed: a reader never sees half a line
    /// from us, and a line is on disk before the next write starts.
    fn write(&self, line: &Value) -> io::Result<()> {
        let mut text = line.to_string();
        text.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(text.as_bytes())?;
        file.flush()
    }
}

/// `done`, `skipped` (found already as planned), `failed` (with why) or
/// `drifted`.
fn outcome(status: &ItemStatus) -> (&'static str, Option<String>) {
    match status {
        ItemStatus::Done(Outcome::Unchanged) => ("skipped", None),
        ItemStatus::Done(_) => ("done", None),
        ItemStatus::Drifted => ("drifted", None),
        ItemStatus::Failed(e) | ItemStatus::Deferred(e) => ("failed", Some(e.to_string())),
        other => ("failed", Some(format!("{other:?}"))),
    }
}

fn attempt(a: &Attempt) -> Value {
    json!({"method": a.method, "status": a.status, "correlation_id": a.correlation_id})
}

fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
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
