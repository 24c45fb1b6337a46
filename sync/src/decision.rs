//! What a sync cannot settle on its own: a row whose `userName` an account
//! with another `externalId` holds, and nothing in the feed links the two.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A row the plan leaves for a person to decide: the org account holding
/// its `userName` carries another `externalId`, and the feed does not link
/// the two (no old record of the same `userName` carries the account's
/// id). It may be a rehire under a new HR id, or another person given a
/// former colleague's address. Nothing is written for the row, and
/// [`Plan::summary`](crate::Plan::summary) counts it under
/// `needs_decision` until it is settled: if the account is the row's
/// person, give it the row's id ([`set_external_id`](crate::set_external_id)
/// with `holder_id` and `row_external_id`; the CLI's `genesys-scim users
/// set-external-id USER ID`), and the next plan reactivates or updates it
/// as any match; if not, correct the row. Its text says so without naming
/// a tool: a program shows it as it is and adds how its users settle it.
///
/// ```
/// let json = serde_json::json!({"userName": "emma@x.test", "line": "hr.csv:7", "holder_id": "u-1",
///     "holder_external_id": "10011", "row_external_id": "10021"});
/// let d: scim_sync::Decision = serde_json::from_value(json.clone()).unwrap();
/// assert_eq!(serde_json::to_value(&d).unwrap(), json);
/// assert!(d.to_string().ends_with("give it externalId 10021, then sync again; if not, correct the row"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Decision {
    /// The row's `userName`, which the account holds.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// Where the row is in the feed (`FILE:LINE`), when the feed says.
    pub line: Option<String>,
    /// The id of the account holding the `userName`.
    pub holder_id: String,
    /// The `externalId` that account holds.
    pub holder_external_id: String,
    /// The `externalId` the row gives.
    pub row_external_id: String,
    /// Whether the account is active (an inactive one is most likely a
    /// rehire's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub holder_active: bool,
}

impl fmt::Display for Decision {
    /// `emma@x.test (hr.csv:7): the org's inactive account … holds …; if
    /// the account is this person's (a rehire), give it externalId …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self
            .line
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        let (state, likely) = if self.holder_active {
            ("active", "")
        } else {
            ("inactive", " (a rehire)")
        };
        write!(
            f,
            "{}{at}: the org's {state} account {} holds externalId {}, the row gives {}, and \
             nothing in the feed links them; nothing is written for this row. If the account \
             is this person's{likely}, give it externalId {}, then sync again; if not, correct \
             the row",
            self.user_name,
            self.holder_id,
            self.holder_external_id,
            self.row_external_id,
            self.row_external_id
        )
    }
}
