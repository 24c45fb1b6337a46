//! The audit lines of a sync apply: each item the engine reports, with the
//! changes its plan gave it.

use crate::audit::{AuditLog, Change as LogChange, Entry, change};
use scim_sync::{Change, ItemKind, ItemRef, ItemStatus, Outcome, Plan, Progress};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The plan's items, by userName (as the engine reports them) or group,
/// each with the changes it makes.
pub struct ApplyAudit {
    log: AuditLog,
    users: HashMap<String, Vec<LogChange>>,
    groups: HashMap<String, Vec<LogChange>>,
}

fn changes(changes: &[Change]) -> Vec<LogChange> {
    changes
        .iter()
        .map(|c| {
            let v = serde_json::to_value(c).unwrap_or_default();
            let path = v["path"].as_str().unwrap_or_default().to_owned();
            change(&path, v["before"].clone(), v["after"].clone())
        })
        .collect()
}

impl ApplyAudit {
    pub fn new(log: AuditLog, plan: &Plan) -> ApplyAudit {
        let mut users = HashMap::new();
        for c in &plan.creates {
            let made = scim_sync::user_changes(&Default::default(), &c.user);
            users.insert(c.user_name.clone(), changes(&made));
        }
        for u in plan.updates.iter().chain(&plan.reactivations) {
            users.insert(u.user_name.clone(), changes(&u.changes));
        }
        for d in &plan.deactivations {
            let off = vec![change("active", json!(true), json!(false))];
            users.insert(d.user_name.clone(), off);
        }
        let groups = plan
            .memberships
            .iter()
            .map(|m| {
                let added = m
                    .add
                    .iter()
                    .map(|x| change("members", Value::Null, json!(x.user_name)));
                let removed = m
                    .remove
                    .iter()
                    .map(|x| change("members", json!(x.user_name), Value::Null));
                (m.group.clone(), added.chain(removed).collect())
            })
            .collect();
        ApplyAudit { log, users, groups }
    }

    pub fn log(&self) -> &AuditLog {
        &self.log
    }

    /// Writes the line of an item that has ended.
    pub fn record(&self, p: &Progress) -> std::io::Result<()> {
        let entry = match &p.item {
            ItemRef::User(name) => Entry {
                action: action(p),
                changes: self.users.get(name).cloned().unwrap_or_default(),
            },
            ItemRef::Group(group) => Entry {
                action: "membership",
                changes: self.groups.get(group).cloned().unwrap_or_default(),
            },
            _ => Entry {
                action: "unknown",
                changes: Vec::new(),
            },
        };
        self.log.item(entry, p)
    }
}

/// What was done to a user: a create found taken over is an update or a
/// reactivation.
fn action(p: &Progress) -> &'static str {
    match (p.kind, &p.status) {
        (ItemKind::Create, ItemStatus::Done(Outcome::Updated)) => "update",
        (ItemKind::Create, ItemStatus::Done(Outcome::Reactivated)) => "reactivate",
        (ItemKind::Create, _) => "create",
        (ItemKind::Reactivate, _) => "reactivate",
        (ItemKind::Deactivate, _) => "deactivate",
        (ItemKind::Delete, _) => "delete",
        _ => "update",
    }
}
