//! `sync plan|apply --state FILE [--full]`: incremental runs. The state
//! (scim-sync's `SyncState`, in its locked `StateFile`) is bound to the
//! org, the command line's scope and the feed's layout (the mapping, the
//! file's columns and the managed groups); the engine decides what to read
//! and records what was applied.

use crate::error::Error;
use crate::render::escape_for_terminal;
use scim_sdk::Client;
use scim_sync::{ApplyOptions, Feed, Plan, Report, Scope, StateFile, SyncState};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A state in use by this run, locked until the run ends.
pub struct StateRun {
    file: StateFile,
    state: SyncState,
    /// Why this run is a full reconcile, when it is known before planning.
    full_because: Option<&'static str>,
}

/// What the feed's rows mean: a change of any of these makes the next run
/// a full reconcile.
/// `mapping` is the mapping's text as this run read it, not read again.
pub fn layout(columns: &[&str], mapping: Option<&str>, managed: &[String]) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("columns {columns:?}\nmanaged {managed:?}\n"));
    if let Some(text) = mapping {
        hash.update(text);
    }
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl StateRun {
    /// Locks the state at `path` and reads it back for this org, scope and
    /// layout; `full` (`--full`) starts it anew.
    pub fn open(
        path: &Path,
        full: bool,
        org: &str,
        scope: &Scope,
        layout: &str,
    ) -> Result<StateRun, Error> {
        let file = StateFile::open(path)?;
        let (state, full_because) = match file.load()? {
            _ if full => (SyncState::new(org, scope, layout), Some("--full")),
            None => (SyncState::new(org, scope, layout), Some("no state yet")),
            Some(saved) => {
                let state = saved.resume(org, scope, layout)?;
                let why = state
                    .needs_full_reconcile()
                    .then_some("the mapping, the file's columns or the managed groups changed");
                (state, why)
            }
        };
        Ok(StateRun {
            file,
            state,
            full_because,
        })
    }

    /// The plan since the state's runs.
    pub fn plan(&self, client: &Client, feed: &Feed, scope: &Scope) -> Result<Plan, Error> {
        let plan = scim_sync::plan_since(client, feed, scope, &self.state)?;
        self.announce(&plan, feed.users.len());
        Ok(plan)
    }

    /// Says on stderr what kind of run this is.
    fn announce(&self, plan: &Plan, people: usize) {
        let path = self.file.path().display().to_string();
        let path = escape_for_terminal(&path);
        match plan.since() {
            Some(since) if !since.is_full() => eprintln!(
                "state {path}: incremental run: read {} of {people} people (changed or new) and {} \
                 gone from the file; Genesys-side changes are seen by a full reconcile (--full)",
                since.changed(),
                since.gone()
            ),
            _ => eprintln!(
                "state {path}: full reconcile ({}); the state is rewritten after the apply",
                self.full_because
                    .unwrap_or("reading the changed people would cost more than listing the org")
            ),
        }
    }

    /// Applies `plan`, records what was applied, and saves the state, even
    /// when the apply stopped short.
    pub fn apply(
        &mut self,
        client: &Client,
        plan: &Plan,
        options: &ApplyOptions,
    ) -> Result<Report, scim_sync::Error> {
        let applied = self.state.apply_and_record(client, plan, options);
        if let Err(e) = self.file.save(&self.state) {
            eprintln!(
                "warning: {}; the next run reads again what this one did",
                escape_for_terminal(&e.to_string())
            );
        }
        applied
    }
}
