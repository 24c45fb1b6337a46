//! A sync plan and an apply report as text for a person: scim-sync's own
//! (`Display for Plan`, `Display for Report`). Both quote org data, so
//! control characters in it are shown escaped.

use crate::render::{escape_for_terminal, escape_lines, shell_word};
use scim_sync::{Decision, Plan, Report};
use std::io::{self, Write};

/// Writes every section of the plan that has something in it, the
/// warnings, and a closing summary line: the plan's own text; then the
/// command that settles each of its decisions.
pub fn write_plan(out: &mut impl Write, plan: &Plan) -> io::Result<()> {
    write!(out, "{}", escape_lines(&plan.to_string()))?;
    if !plan.decisions.is_empty() {
        writeln!(
            out,
            "\nTo settle a decision whose account is the row's person:"
        )?;
        for d in &plan.decisions {
            writeln!(out, "  {}", settling(d))?;
        }
    }
    Ok(())
}

/// The command that gives a decision's account the row's externalId, as
/// a shell runs it, escaped for the terminal.
pub fn settling(d: &Decision) -> String {
    let command = format!(
        "genesys-scim users set-external-id {} {}",
        shell_word(&d.user_name),
        shell_word(&d.row_external_id)
    );
    escape_for_terminal(&command).into_owned()
}

/// What an apply did: the report's own text.
pub fn write_report(out: &mut impl Write, report: &Report) -> io::Result<()> {
    writeln!(out, "{}", escape_lines(&report.to_string()))
}
