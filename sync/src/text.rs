//! A plan as text for a person: one section per kind of change, attributes
//! by their labels, the warnings, and a closing summary line. The CLI
//! prints exactly this.

use crate::diff::Change;
use crate::plan::{Plan, PlannedUpdate};
use serde_json::Value;
use std::fmt::{self, Display, Formatter};

impl Display for Plan {
    /// ```
    /// let plan = scim_sync::Plan::default();
    /// assert_eq!(plan.to_string(), "Nothing to do: the org already matches the feed (0 unchanged).\n");
    /// ```
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.creates.is_empty() {
            writeln!(f, "Create {}:", self.creates.len())?;
            for c in &self.creates {
                let mut about = Vec::new();
                about.extend(c.user.display_name.clone());
                about.extend(c.user.title.clone().filter(|t| !t.is_empty()));
                writeln!(f, "  + {}  {}", c.user_name, about.join(", "))?;
            }
            writeln!(f)?;
        }
        write_updates(f, "Reactivate", &self.reactivations)?;
        write_updates(f, "Update", &self.updates)?;
        if !self.deactivations.is_empty() {
            writeln!(f, "Deactivate {}:", self.deactivations.len())?;
            for d in &self.deactivations {
                writeln!(f, "  - {}  ({})", d.user_name, d.reason)?;
            }
            writeln!(f)?;
        }
        if !self.memberships.is_empty() {
            writeln!(f, "Group memberships:")?;
            for m in &self.memberships {
                writeln!(f, "  {}", m.group)?;
                for member in &m.add {
                    writeln!(f, "      + {}", member.user_name)?;
                }
                for member in &m.remove {
                    writeln!(f, "      - {}", member.user_name)?;
                }
            }
            writeln!(f)?;
        }
        if !self.warnings.is_empty() {
            writeln!(f, "Warnings {}:", self.warnings.len())?;
            for w in &self.warnings {
                writeln!(f, "  ! {w}")?;
            }
            writeln!(f)?;
        }
        if !self.decisions.is_empty() {
            writeln!(f, "Needs a decision {}:", self.decisions.len())?;
            for d in &self.decisions {
                writeln!(f, "  ? {d}")?;
            }
            writeln!(f)?;
        }
        if self.is_empty() && self.decisions.is_empty() {
            write_nothing_to_do(f, self)
        } else {
            writeln!(f, "Plan: {}.", self.summary())
        }
    }
}

/// The closing line of a plan without changes. An incremental plan read
/// only the changed people: it cannot say the whole org matches.
fn write_nothing_to_do(f: &mut Formatter<'_>, plan: &Plan) -> fmt::Result {
    match plan.since().filter(|s| !s.is_full()) {
        Some(s) if s.changed() + s.gone() == 0 => writeln!(
            f,
            "Nothing to do: no row changed since the last recorded run."
        ),
        Some(_) => writeln!(
            f,
            "Nothing to do: the people whose rows changed already match the feed \
             ({} unchanged).",
            plan.unchanged
        ),
        None => writeln!(
            f,
            "Nothing to do: the org already matches the feed ({} unchanged).",
            plan.unchanged
        ),
    }
}

fn write_updates(f: &mut Formatter<'_>, title: &str, updates: &[PlannedUpdate]) -> fmt::Result {
    if updates.is_empty() {
        return Ok(());
    }
    writeln!(f, "{title} {}:", updates.len())?;
    for u in updates {
        match &u.relink {
            Some(r) => {
                let by = r.line.as_deref().map(|l| format!(", linked by {l}"));
                writeln!(
                    f,
                    "  ~ {}  (a rehire{})",
                    u.user_name,
                    by.unwrap_or_default()
                )?;
            }
            None => writeln!(f, "  ~ {}", u.user_name)?,
        }
        for c in &u.changes {
            writeln!(f, "      {}: {}", c.attribute, BeforeAfter(c))?;
        }
        if let Some(manager) = &u.manager {
            writeln!(f, "      manager: -> {manager} (created by this plan)")?;
        }
    }
    writeln!(f)
}

/// A change's values: `"Agent" -> "Senior Agent"`, or its note.
struct BeforeAfter<'a>(&'a Change);

impl Display for BeforeAfter<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let c = self.0;
        if let Some(note) = &c.note {
            return f.write_str(note);
        }
        let show = |v: &Option<Value>, missing: &str| match v {
            None => missing.to_owned(),
            Some(v) => shown(v),
        };
        write!(
            f,
            "{} -> {}",
            show(&c.before, "(none)"),
            show(&c.after, "(cleared)")
        )
    }
}

/// A value compactly: strings quoted, an element by its `value`.
fn shown(value: &Value) -> String {
    match value.get("value") {
        Some(inner) if value.is_object() => inner.to_string(),
        _ => value.to_string(),
    }
}
