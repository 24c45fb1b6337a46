//! A progress bar on stderr, shown only to a person at a terminal.

use crate::render::{escape_for_terminal, escape_lines};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Counts items as they arrive. Invisible unless stderr is a terminal and
/// the work is longer than `visible_above` items, so pipes, logs and short
/// lists stay clean.
pub struct Progress {
    bar: ProgressBar,
    visible_above: u64,
    interactive: bool,
}

impl Progress {
    pub fn new(what: &'static str, visible_above: u64) -> Progress {
        let bar = ProgressBar::hidden();
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what);
        Progress {
            bar,
            visible_above,
            interactive: std::io::stderr().is_terminal(),
        }
    }

    /// Adds to the expected total (one listing may run several queries).
    pub fn grow(&self, more: u64) {
        let total = self.bar.length().unwrap_or(0) + more;
        self.bar.set_length(total);
        if self.interactive && total > self.visible_above && self.bar.is_hidden() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Reports each item of a sync apply as it finishes: a bar on a terminal,
/// one plain line per item otherwise (for logs and CI), on stderr.
#[derive(Clone)]
pub struct ApplyProgress {
    bar: Option<ProgressBar>,
    started: std::time::Instant,
    /// The least an item takes at the pace set (`--rate-limit`).
    per_item: Option<std::time::Duration>,
}

impl ApplyProgress {
    pub fn new(total: usize, per_item: Option<std::time::Duration>) -> ApplyProgress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let style =
                ProgressStyle::with_template("applying [{bar:30}] {pos}/{len} (~{eta} left) {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            ProgressBar::new(total as u64).with_style(style)
        });
        ApplyProgress {
            bar,
            started: std::time::Instant::now(),
            per_item,
        }
    }

    /// Called from the worker threads after each item.
    /// Names and errors come from the org: they are shown escaped.
    pub fn item(&self, p: &scim_sync::Progress) {
        use scim_sync::ItemStatus;
        let what = escape_for_terminal(&describe(p)).into_owned();
        let problem = match &p.status {
            ItemStatus::Done(_) => None,
            ItemStatus::Failed(e) => Some(format!("FAILED {what}: {e}")),
            ItemStatus::Deferred(e) => Some(format!("will retry {what}: {e}")),
            ItemStatus::Drifted => Some(format!("DRIFTED {what}: changed since the plan was made")),
            _ => Some(format!("{what}: {:?}", p.status)),
        }
        .map(|line| escape_lines(&line));
        match (&self.bar, problem) {
            (Some(bar), problem) => {
                if let Some(line) = problem {
                    bar.println(line);
                }
                // A manager cycle adds a link to the plan's items.
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
                bar.set_message(what);
            }
            (None, Some(line)) => eprintln!("{} {}{line}{}", now(), counter(p), self.left(p)),
            (None, None) => eprintln!("{} {}{what}{}", now(), counter(p), self.left(p)),
        }
    }

    /// ` (~12 s left)` at the pace so far, or the pace set when that is
    /// slower; nothing after the last item, nor when less than a second is
    /// left (a run of milliseconds).
    fn left(&self, p: &scim_sync::Progress) -> String {
        if p.done == 0 || p.done >= p.total {
            return String::new();
        }
        let so_far = self.started.elapsed().as_secs_f64() / p.done as f64;
        let per_item = so_far.max(self.per_item.map_or(0.0, |d| d.as_secs_f64()));
        let seconds = (per_item * (p.total - p.done) as f64).round() as u64;
        if seconds == 0 {
            return String::new();
        }
        format!(" (~{} left)", duration(seconds))
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The time of a progress line, for a log read later: RFC 3339, UTC.
fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

fn counter(p: &scim_sync::Progress) -> String {
    let width = p.total.to_string().len();
    format!("[{:>width$}/{}] ", p.done, p.total)
}

/// `created jane@example.com`, `changed the members of Support`, …, with
/// the id when the engine gives one.
pub fn describe(p: &scim_sync::Progress) -> String {
    use scim_sync::{ItemKind, ItemRef, ItemStatus, Outcome};
    let id =
        p.id.as_deref()
            .map(|id| format!(" (id {id})"))
            .unwrap_or_default();
    if let ItemRef::Group(group) = &p.item {
        return match p.status {
            ItemStatus::Done(Outcome::Unchanged) => {
                format!("members of {group} already as planned")
            }
            ItemStatus::Done(_) => format!("changed the members of {group}"),
            _ => format!("change the members of {group}{id}"),
        };
    }
    let verb = match (&p.status, p.kind) {
        (ItemStatus::Done(Outcome::Created), _) => "created",
        (ItemStatus::Done(Outcome::Updated), _) => "updated",
        (ItemStatus::Done(Outcome::Reactivated), _) => "reactivated",
        (ItemStatus::Done(Outcome::Deactivated), _) => "deactivated",
        (ItemStatus::Done(Outcome::Deleted), _) => "deleted",
        (ItemStatus::Done(_), _) => "already as planned:",
        (_, ItemKind::Create) => "create",
        (_, ItemKind::Reactivate) => "reactivate",
        (_, ItemKind::Deactivate) => "deactivate",
        (_, ItemKind::Delete) => "delete",
        _ => "update",
    };
    match (&p.status, p.kind) {
        (ItemStatus::Done(Outcome::Created), _) | (_, ItemKind::Delete) => {
            format!("{verb} {}{id}", p.item)
        }
        _ => format!("{verb} {}", p.item),
    }
}

/// An item that ended but is not in the audit log, with what the log
/// would have said: `jane@example.com: updated (id 8f2b…, HTTP 200,
/// correlation id 1ddf…)`.
pub fn unrecorded(p: &scim_sync::Progress) -> String {
    let mut facts = Vec::new();
    facts.extend(p.id.as_deref().map(|id| format!("id {id}")));
    facts.extend(p.http_status.map(|s| format!("HTTP {s}")));
    facts.extend(
        p.correlation_id
            .as_deref()
            .map(|c| format!("correlation id {c}")),
    );
    let status = match &p.status {
        scim_sync::ItemStatus::Failed(e) => format!(" failed: {e}"),
        _ => String::new(),
    };
    escape_for_terminal(&format!("{}{status} ({})", describe(p), facts.join(", "))).into_owned()
}

/// `1 item`, `3 items`.
pub fn items(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// `45 s`, `17 min`, `2 h 5 min`: a time for a person, rounded.
pub fn duration(seconds: u64) -> String {
    match seconds {
        0..90 => format!("{} s", seconds.max(1)),
        90..5400 => format!("{} min", seconds.div_ceil(60)),
        _ => {
            let minutes = seconds.div_ceil(60);
            format!("{} h {} min", minutes / 60, minutes % 60)
        }
    }
}
