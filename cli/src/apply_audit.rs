//! The audit lines of a sync apply: each item the engine reports, with the
//! changes its plan gave it.

use crate::audit::{AuditLog, Entry, change};
use scim_sync::{Change, ItemKind, ItemRef, ItemStatus, Outcome, Plan, Progress};
use serde_json::{Value, json};
use std::collections::HashMap;

/// What the plan says of one user item: its id and changes.
struct Planned {
    id: Option<String>,
    changes: Vec<Value>,
}

/// The plan's items, by userName (as the engine reports them) or group.
pub struct ApplyAudit {
    log: AuditLog,
    users: HashMap<String, Planned>,
    groups: HashMap<String, (Vec<String>, Vec<String>)>,
}

fn changes(changes: &[Change]) -> Vec<Value> {
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
            let planned = Planned {
                id: None,
                changes: changes(&made),
            };
            users.insert(c.user_name.clone(), planned);
        }
        for u in plan.updates.iter().chain(&plan.reactivations) {
            let planned = Planned {
                id: Some(u.id.clone()),
                changes: changes(&u.changes),
            };
            users.insert(u.user_name.clone(), planned);
        }
        for d in &plan.deactivations {
            let planned = Planned {
                id: Some(d.id.clone()),
                changes: vec![change("active", json!(true), json!(false))],
            };
            users.insert(d.user_name.clone(), planned);
        }
        let groups = plan
            .memberships
            .iter()
            .map(|m| {
                let names =
                    |ms: &[scim_sync::Member]| ms.iter().map(|x| x.user_name.clone()).collect();
                (m.group.clone(), (names(&m.add), names(&m.remove)))
            })
            .collect();
        ApplyAudit { log, users, groups }
    }

    /// Logs an item that has ended; one still to be retried is logged when
    /// it ends.
    pub fn item(&self, p: &Progress) {
        let (outcome, error) = match &p.status {
            ItemStatus::Done(Outcome::Unchanged) => ("skipped", None),
            ItemStatus::Done(_) => ("done", None),
            ItemStatus::Failed(e) => ("failed", Some(e.clone())),
            ItemStatus::Drifted => ("drifted", None),
            ItemStatus::Deferred(_) => {
                self.log.take_answer();
                return;
            }
            _ => ("failed", Some(format!("{:?}", p.status))),
        };
        match &p.item {
            ItemRef::User(name) => {
                let planned = self.users.get(name);
                let action = match (p.kind, &p.status) {
                    (ItemKind::Create, ItemStatus::Done(Outcome::Updated)) => "update",
                    (ItemKind::Create, ItemStatus::Done(Outcome::Reactivated)) => "reactivate",
                    (ItemKind::Create, _) => "create",
                    (ItemKind::Reactivate, _) => "reactivate",
                    (ItemKind::Deactivate, _) => "deactivate",
                    _ => "update",
                };
                self.log.record(Entry {
                    action,
                    target: json!({
                        "userName": name,
                        "id": planned.and_then(|x| x.id.clone()).or_else(|| p.created_id.clone()),
                    }),
                    changes: planned.map(|p| p.changes.clone()).unwrap_or_default(),
                    outcome,
                    error,
                });
            }
            ItemRef::Group(group) => self.members(group, outcome, error),
            _ => {}
        }
    }

    /// A group's item is one PATCH: a line for each member it adds or
    /// removes, each with the outcome of that PATCH.
    fn members(&self, group: &str, outcome: &'static str, error: Option<String>) {
        let Some((add, remove)) = self.groups.get(group) else {
            return;
        };
        let lines = add
            .iter()
            .map(|n| ("add_member", change("members", Value::Null, json!(n))))
            .chain(
                remove
                    .iter()
                    .map(|n| ("remove_member", change("members", json!(n), Value::Null))),
            );
        let answer = self.log.take_answer();
        for (action, change) in lines {
            let entry = Entry {
                action,
                target: json!({"group": group}),
                changes: vec![change],
                outcome,
                error: error.clone(),
            };
            self.log.record_answered(entry, answer.clone());
        }
    }
}
