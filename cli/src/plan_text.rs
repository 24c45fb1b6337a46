//! A sync plan and an apply report as text for a person: one section per
//! kind of change, attributes named as in the people file, and a summary.

use scim_sync::{Change, Plan, PlannedUpdate, Report, Summary};
use serde_json::Value;
use std::io::{self, Write};
use std::time::Duration;

/// Writes every section of the plan that has something in it, the
/// warnings, and a closing summary line.
pub fn write_plan(out: &mut impl Write, plan: &Plan) -> io::Result<()> {
    if !plan.creates.is_empty() {
        writeln!(out, "Create {}:", plan.creates.len())?;
        for c in &plan.creates {
            let mut about = Vec::new();
            about.extend(c.user.display_name.clone());
            about.extend(c.user.title.clone().filter(|t| !t.is_empty()));
            writeln!(out, "  + {}  {}", c.user_name, about.join(", "))?;
        }
        writeln!(out)?;
    }
    write_updates(out, "Reactivate", &plan.reactivations)?;
    write_updates(out, "Update", &plan.updates)?;
    if !plan.deactivations.is_empty() {
        writeln!(out, "Deactivate {}:", plan.deactivations.len())?;
        for d in &plan.deactivations {
            writeln!(out, "  - {}  ({})", d.user_name, d.reason)?;
        }
        writeln!(out)?;
    }
    if !plan.memberships.is_empty() {
        writeln!(out, "Group memberships:")?;
        for m in &plan.memberships {
            writeln!(out, "  {}", m.group)?;
            for member in &m.add {
                writeln!(out, "      + {}", member.user_name)?;
            }
            for member in &m.remove {
                writeln!(out, "      - {}", member.user_name)?;
            }
        }
        writeln!(out)?;
    }
    if !plan.warnings.is_empty() {
        writeln!(out, "Warnings {}:", plan.warnings.len())?;
        for w in &plan.warnings {
            match &w.user_name {
                Some(name) => writeln!(out, "  ! {name}: {}", w.message)?,
                None => writeln!(out, "  ! {}", w.message)?,
            }
        }
        writeln!(out)?;
    }
    if plan.is_empty() {
        writeln!(
            out,
            "Nothing to do: the org already matches the file ({} unchanged).",
            plan.summary.unchanged
        )
    } else {
        writeln!(out, "Plan: {}.", planned(&plan.summary))
    }
}

fn write_updates(out: &mut impl Write, title: &str, updates: &[PlannedUpdate]) -> io::Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    writeln!(out, "{title} {}:", updates.len())?;
    for u in updates {
        writeln!(out, "  ~ {}", u.user_name)?;
        for c in &u.changes {
            writeln!(out, "      {}: {}", label(&c.path), before_after(c))?;
        }
        if let Some(manager) = &u.manager {
            writeln!(out, "      manager: -> {manager} (created by this plan)")?;
        }
    }
    writeln!(out)
}

/// The plan's counts, e.g. `4 to create, 6 to update, …`.
fn planned(s: &Summary) -> String {
    let parts = [
        (s.created, "to create"),
        (s.updated, "to update"),
        (s.reactivated, "to reactivate"),
        (s.deactivated, "to deactivate"),
        (s.unchanged, "unchanged"),
    ];
    let mut text: Vec<String> = parts
        .iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    text.push(membership_changes(s.memberships_changed));
    text.join(", ")
}

fn membership_changes(n: usize) -> String {
    if n == 1 {
        "1 membership change".into()
    } else {
        format!("{n} membership changes")
    }
}

/// What an apply did, e.g. `4 created, …, 0 failed`, followed by the
/// failures one per line.
pub fn write_report(out: &mut impl Write, report: &Report, elapsed: Duration) -> io::Result<()> {
    writeln!(
        out,
        "Applied: {} created, {} updated, {} reactivated, {} deactivated, {} unchanged, \
         {}, {} failed ({} requests in {}).",
        report.created,
        report.updated,
        report.reactivated,
        report.deactivated,
        report.unchanged,
        membership_changes(report.memberships_changed),
        report.failed,
        report.requests,
        took(elapsed),
    )?;
    for f in &report.failures {
        writeln!(out, "  failed: {}: {}", f.user_name, f.error)?;
    }
    Ok(())
}

/// `45 ms` or `7.5 s`.
fn took(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.1} s", elapsed.as_secs_f64())
    }
}

/// An attribute path in the people file's words where it has one.
fn label(path: &str) -> String {
    if path.starts_with("emails[type eq \"work\"]") {
        return "email".into();
    }
    if path.starts_with("phoneNumbers[type eq \"work\"]") {
        return "phone".into();
    }
    path.strip_prefix(scim_sdk::schemas::ENTERPRISE_USER)
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(path)
        .to_owned()
}

fn before_after(c: &Change) -> String {
    if let Some(note) = &c.note {
        return note.clone();
    }
    let show = |v: &Option<Value>, missing: &str| match v {
        None => missing.to_owned(),
        Some(v) => shown(v),
    };
    format!(
        "{} -> {}",
        show(&c.before, "(none)"),
        show(&c.after, "(cleared)")
    )
}

/// A value compactly: strings quoted, an element by its `value`.
fn shown(value: &Value) -> String {
    match value.get("value") {
        Some(inner) if value.is_object() => inner.to_string(),
        _ => value.to_string(),
    }
}
