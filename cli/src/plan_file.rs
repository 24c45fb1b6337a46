//! Saved plans: `sync plan --out PLAN.json` writes one, `sync apply --plan
//! PLAN.json` applies exactly it. The file is versioned and names the org
//! it was made for, so it cannot be applied elsewhere or misread by a
//! later release.

use crate::bounded_read;
use crate::error::Error;
use scim_sync::Plan;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

/// What the file says it is.
const FORMAT: &str = "genesys-scim-plan";
/// The one version of the format this release reads and writes.
const VERSION: u64 = 1;

/// A plan with what applying it needs to trust it.
#[derive(Debug, Serialize, Deserialize)]
pub struct SavedPlan {
    format: String,
    version: u64,
    /// When the plan was made (RFC 3339, UTC).
    pub created: String,
    /// The org the plan read.
    pub org: Org,
    /// The people file it was made from.
    pub source: String,
    /// The items, the scope and each item's read version.
    pub plan: Plan,
}

/// The org a plan was made for.
#[derive(Debug, Serialize, Deserialize)]
pub struct Org {
    pub base_url: String,
}

impl SavedPlan {
    pub fn new(plan: Plan, base_url: &str, source: &str) -> SavedPlan {
        SavedPlan {
            format: FORMAT.into(),
            version: VERSION,
            created: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            org: Org {
                base_url: base_url.trim_end_matches('/').to_owned(),
            },
            source: source.to_owned(),
            plan,
        }
    }

    /// Writes the plan whole or not at all: into a new file beside the
    /// target, then renamed over it.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let failed = |e: std::io::Error| {
            Error::Usage(format!("cannot write the plan to {}: {e}", path.display()))
        };
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let mut file = std::fs::File::create(&partial).map_err(failed)?;
        serde_json::to_writer_pretty(&mut file, self).map_err(|e| failed(e.into()))?;
        writeln!(file)
            .and_then(|()| file.sync_all())
            .map_err(failed)?;
        std::fs::rename(&partial, path).map_err(failed)
    }

    /// Reads a saved plan, refusing a file of another format or version.
    pub fn read(path: &Path) -> Result<SavedPlan, Error> {
        let refuse =
            |why: String| Error::Usage(format!("{}: {why}; nothing was sent", path.display()));
        let bytes = bounded_read::read(path, bounded_read::DATA_LIMIT)
            .map_err(|e| refuse(e.to_string()))?;
        // What the file says it is, read first (without building the rest),
        // so that another format or version is named as such.
        #[derive(Deserialize)]
        struct Header {
            format: Option<Value>,
            version: Option<Value>,
        }
        let header = match serde_json::from_slice(&bytes) {
            Ok(header) => header,
            // JSON, but not an object: no format, said below.
            Err(e) if e.is_data() => Header {
                format: None,
                version: None,
            },
            Err(e) => return Err(refuse(format!("not a saved plan (not JSON: {e})"))),
        };
        if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
            return Err(refuse(format!(
                "not a saved plan (no \"format\": \"{FORMAT}\"); write one with `sync plan --out`"
            )));
        }
        match header.version.as_ref().and_then(Value::as_u64) {
            Some(VERSION) => {}
            other => {
                let shown = other.map_or_else(|| "none".to_owned(), |v| v.to_string());
                return Err(refuse(format!(
                    "plan format version {shown} is not one this genesys-scim reads (version {VERSION}): make the plan again"
                )));
            }
        }
        serde_json::from_slice(&bytes).map_err(|e| refuse(format!("not a valid saved plan: {e}")))
    }

    /// Refuses to apply the plan to an org it was not made for.
    pub fn check_org(&self, base_url: &str) -> Result<(), Error> {
        if self.org.base_url == base_url.trim_end_matches('/') {
            return Ok(());
        }
        Err(Error::Usage(format!(
            "this plan was made for {}, not {}: plan again against this org; nothing was sent",
            self.org.base_url,
            base_url.trim_end_matches('/')
        )))
    }
}
