//! `--audit-log FILE`: who changed which user, when, and how it ended, one
//! JSON object a line. The file is opened for appending; a `run_started`
//! line is written before the first write, and each item's line as soon as
//! it has ended, from what the engine reports of it
//! ([`scim_sync::Progress`]). Every line is written whole and flushed: a
//! line that cannot be is an error, and no further write starts.

use crate::error::Error;
use scim_sync::{
    Attempt, ItemRef, ItemStatus, MemberChange, MemberResult, MemberStatus, Outcome, Progress,
};
use serde::Serialize;
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

/// One write, as the log records it besides what the engine reports of
/// it: what was done, and the changes the plan gave it.
pub struct Entry {
    pub action: &'static str,
    pub changes: Vec<Change>,
}

/// A change as the log shows it: path, before, after.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    path: String,
    before: Value,
    after: Value,
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
        let rest = json!({"command": command, "items": items});
        self.write("run_started", &rest)
            .map_err(|e| Error::Unrecorded {
                error: e,
                written: Vec::new(),
            })
    }

    /// Appends the line of an item that has ended: `entry` (what the plan
    /// said of it) with what the engine reports of it.
    pub fn item(&self, entry: Entry, p: &Progress) -> io::Result<()> {
        let (outcome, error) = outcome(&p.status);
        let rest = ItemLine {
            target: Target::of(p),
            id: p.id.as_deref(),
            changes: &entry.changes,
            outcome,
            error,
            status: p.http_status,
            correlation_id: p.correlation_id.as_deref(),
            attempts: p.attempts.iter().map(AttemptLine::from).collect(),
            members: p.members.iter().map(MemberLine::from).collect(),
        };
        self.write(entry.action, &rest)
    }

    /// One write call a line, flushed: a reader never sees half a line
    /// from us, and a line is on disk before the next write starts.
    fn write(&self, action: &str, rest: &impl Serialize) -> io::Result<()> {
        let line = Line {
            time: now(),
            run: &self.run,
            actor: &self.actor,
            action,
            rest,
        };
        let mut text = serde_json::to_string(&line)?;
        text.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(text.as_bytes())?;
        file.flush()
    }
}

/// What opens every line, in this order: when, which run, who, what; then
/// the rest of the line.
#[derive(Serialize)]
struct Line<'a, T> {
    time: String,
    run: &'a str,
    actor: &'a str,
    action: &'a str,
    #[serde(flatten)]
    rest: &'a T,
}

/// The rest of an item's line.
#[derive(Serialize)]
struct ItemLine<'a> {
    target: Target<'a>,
    id: Option<&'a str>,
    changes: &'a [Change],
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    status: Option<u16>,
    correlation_id: Option<&'a str>,
    attempts: Vec<AttemptLine<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    members: Vec<MemberLine<'a>>,
}

/// Whom an item wrote to: a user by userName, or a group, with its id.
#[derive(Serialize)]
#[serde(untagged)]
enum Target<'a> {
    User {
        #[serde(rename = "userName")]
        user_name: &'a str,
        id: Option<&'a str>,
    },
    Group {
        group: &'a str,
        id: Option<&'a str>,
    },
    Other {
        item: String,
    },
}

impl<'a> Target<'a> {
    fn of(p: &'a Progress) -> Target<'a> {
        let id = p.id.as_deref();
        match &p.item {
            ItemRef::User(user_name) => Target::User { user_name, id },
            ItemRef::Group(group) => Target::Group { group, id },
            other => Target::Other {
                item: other.to_string(),
            },
        }
    }
}

#[derive(Serialize)]
struct AttemptLine<'a> {
    method: &'a str,
    status: Option<u16>,
    correlation_id: Option<&'a str>,
}

impl<'a> From<&'a Attempt> for AttemptLine<'a> {
    fn from(a: &'a Attempt) -> Self {
        AttemptLine {
            method: a.method,
            status: a.status,
            correlation_id: a.correlation_id.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct MemberLine<'a> {
    #[serde(rename = "userName")]
    user_name: &'a str,
    id: Option<&'a str>,
    change: &'a MemberChange,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl<'a> From<&'a MemberResult> for MemberLine<'a> {
    fn from(m: &'a MemberResult) -> Self {
        MemberLine {
            user_name: &m.user_name,
            id: m.id.as_deref(),
            change: &m.change,
            outcome: m.status.as_str(),
            error: match &m.status {
                MemberStatus::Failed(e) => Some(e.to_string()),
                _ => None,
            },
        }
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

fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// A change as the log shows it: path, before, after; a password's values
/// are never written.
pub fn change(path: &str, before: Value, after: Value) -> Change {
    let hide = |v: Value| match v {
        Value::Null => Value::Null,
        _ if path.to_ascii_lowercase().contains("password") => Value::String("[redacted]".into()),
        v => v,
    };
    Change {
        path: path.to_owned(),
        before: hide(before),
        after: hide(after),
    }
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
