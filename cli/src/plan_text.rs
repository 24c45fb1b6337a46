//! A sync plan and an apply report as text for a person. The plan's text
//! is scim-sync's own (`Display for Plan`); the report adds the time taken.
//! Both quote org data, so control characters in it are shown escaped.

use crate::render::{escape_for_terminal, escape_lines};
use scim_sync::{Plan, Report};
use std::io::{self, Write};
use std::time::Duration;

/// Writes every section of the plan that has something in it, the
/// warnings, and a closing summary line: the plan's own text.
pub fn write_plan(out: &mut impl Write, plan: &Plan) -> io::Result<()> {
    write!(out, "{}", escape_lines(&plan.to_string()))
}

/// What an apply did, e.g. `4 created, …, 0 failed`, followed by the
/// failures one per line.
pub fn write_report(out: &mut impl Write, report: &Report, elapsed: Duration) -> io::Result<()> {
    writeln!(
        out,
        "Applied: {} created, {} updated, {} reactivated, {} deactivated, {} unchanged, \
         {}, {} failed ({} requests in {}).",
        report.summary.created,
        report.summary.updated,
        report.summary.reactivated,
        report.summary.deactivated,
        report.summary.unchanged,
        membership_changes(report.summary.memberships_changed),
        report.failed,
        report.requests,
        took(elapsed),
    )?;
    for f in &report.failures {
        let line = format!("{}: {}", f.item, f.error);
        writeln!(out, "  failed: {}", escape_for_terminal(&line))?;
    }
    if !report.not_started.is_empty() {
        writeln!(
            out,
            "  interrupted: {} not started",
            items(report.not_started.len())
        )?;
    }
    for item in &report.drifted {
        writeln!(
            out,
            "  drifted: {}: changed since the plan was made; not written (plan again)",
            escape_for_terminal(&item.to_string())
        )?;
    }
    Ok(())
}

fn membership_changes(n: usize) -> String {
    if n == 1 {
        "1 membership change".into()
    } else {
        format!("{n} membership changes")
    }
}

/// `45 ms` or `7.5 s`.
fn took(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.1} s", elapsed.as_secs_f64())
    }
}

/// `1 item`, `3 items`.
pub fn items(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}
