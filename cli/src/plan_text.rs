//! A sync plan and an apply report as text for a person: scim-sync's own
//! (`Display for Plan`, `Display for Report`). Both quote org data, so
//! control characters in it are shown escaped.

use crate::render::escape_lines;
use scim_sync::{Plan, Report};
use std::io::{self, Write};

/// Writes every section of the plan that has something in it, the
/// warnings, and a closing summary line: the plan's own text.
pub fn write_plan(out: &mut impl Write, plan: &Plan) -> io::Result<()> {
    write!(out, "{}", escape_lines(&plan.to_string()))
}

/// What an apply did: the report's own text.
pub fn write_report(out: &mut impl Write, report: &Report) -> io::Result<()> {
    writeln!(out, "{}", escape_lines(&report.to_string()))
}
