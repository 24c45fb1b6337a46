//! Saved plans: `sync plan --out PLAN.json` writes one, `sync apply --plan
//! PLAN.json` applies exactly it. The file is versioned and names the org
//! it was made for, so it cannot be applied elsewhere or misread by a
//! later release; its fingerprint (SHA-256 of its bytes) ties the apply to
//! the file reviewed, and its age to the org it read.

use crate::bounded_read;
use crate::error::Error;
use crate::render::{escape_for_terminal, shell_word};
use scim_sync::Plan;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime};

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
    /// The fingerprint of the file read; not a part of it.
    #[serde(skip)]
    pub fingerprint: Option<Fingerprint>,
}

/// `sha256:` and the hex SHA-256 digest of a saved plan's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(String);

impl Fingerprint {
    const PREFIX: &str = "sha256:";

    pub fn of(bytes: &[u8]) -> Fingerprint {
        let hex: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Fingerprint(format!("{}{hex}", Self::PREFIX))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// As `sync plan --out` prints it, or the bare digest `sha256sum` prints.
impl std::str::FromStr for Fingerprint {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let hex = text
            .get(..Self::PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(Self::PREFIX))
            .map_or(text, |_| &text[Self::PREFIX.len()..]);
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Fingerprint(format!(
                "{}{}",
                Self::PREFIX,
                hex.to_ascii_lowercase()
            )))
        } else {
            Err(format!(
                "`{text}` is not a plan fingerprint: give `sha256:` and the 64 hex digits \
                 that `sync plan --out` prints"
            ))
        }
    }
}

/// What `sync apply --plan` holds a saved plan to, besides its format.
pub struct Expected<'a> {
    /// `--expect-fingerprint`: the file must be this one.
    pub fingerprint: Option<&'a Fingerprint>,
    /// `--max-plan-age`: the org may have changed since the plan read it.
    pub max_age: Duration,
}

/// How far ahead of this machine's clock a plan's time may be, for clocks
/// of two machines that disagree a little; further is refused.
const CLOCK_SKEW: Duration = Duration::from_secs(300);

/// The org a plan was made for.
#[derive(Debug, Serialize, Deserialize)]
pub struct Org {
    pub base_url: String,
    /// The org as a state file names it: the base URL, with the OAuth
    /// client's id when there is one (two orgs of one region share a base
    /// URL). Plans written before it was recorded have only the base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Org {
    /// The org as a person reads it: its id, or its base URL.
    pub fn shown(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.base_url)
    }
}

impl SavedPlan {
    /// A plan made now through the client of `base_url`, for the org `org`
    /// (`Connection::org`), from the people file `source`.
    pub fn new(plan: Plan, base_url: &str, org: &str, source: &str) -> SavedPlan {
        SavedPlan {
            format: FORMAT.into(),
            version: VERSION,
            created: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            org: Org {
                base_url: base_url.trim_end_matches('/').to_owned(),
                id: Some(org.to_owned()),
            },
            source: source.to_owned(),
            plan,
            fingerprint: None,
        }
    }

    /// Writes the plan whole or not at all: into a new file beside the
    /// target, then renamed over it. Returns the file's fingerprint.
    pub fn write(&self, path: &Path) -> Result<Fingerprint, Error> {
        let failed = |e: std::io::Error| {
            Error::Usage(format!("cannot write the plan to {}: {e}", path.display()))
        };
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| failed(e.into()))?;
        bytes.push(b'\n');
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        std::fs::write(&partial, &bytes)
            .and_then(|()| std::fs::File::open(&partial)?.sync_all())
            .map_err(failed)?;
        std::fs::rename(&partial, path).map_err(failed)?;
        Ok(Fingerprint::of(&bytes))
    }

    /// Reads a saved plan, refusing a file of another format or version,
    /// another file than the one expected, a plan too old (or dated in the
    /// future), and one carrying a password.
    pub fn read(path: &Path, expected: &Expected<'_>) -> Result<SavedPlan, Error> {
        let refuse = |why: String| refuse(path.display(), &why);
        let bytes = bounded_read::read(path, bounded_read::DATA_LIMIT)
            .map_err(|e| refuse(e.to_string()))?;
        let fingerprint = Fingerprint::of(&bytes);
        if let Some(wanted) = expected.fingerprint.filter(|&f| *f != fingerprint) {
            return Err(refuse(format!(
                "its fingerprint is {fingerprint}, not {wanted} as --expect-fingerprint says: \
                 the file is not the plan reviewed"
            )));
        }
        check_format(path, &bytes)?;
        let mut saved: SavedPlan = serde_json::from_slice(&bytes)
            .map_err(|e| refuse_at(path, &e, "not a valid saved plan"))?;
        saved
            .check_age(expected.max_age, SystemTime::now())
            .map_err(refuse)?;
        if let Some(item) = carrying_password(&saved.plan) {
            return Err(refuse(format!(
                "{item} carries a password, which no saved plan holds (`sync plan --out` \
                 leaves them out): the file was edited"
            )));
        }
        saved.fingerprint = Some(fingerprint);
        Ok(saved)
    }

    /// Refuses a plan older than `max_age`, or dated ahead of `now`.
    fn check_age(&self, max_age: Duration, now: SystemTime) -> Result<(), String> {
        let created = humantime::parse_rfc3339_weak(&self.created).map_err(|_| {
            format!(
                "its creation time `{}` is not an RFC 3339 time (2026-01-31T09:30:00Z)",
                self.created
            )
        })?;
        let shown = |d: Duration| humantime::format_duration(Duration::from_secs(d.as_secs()));
        match now.duration_since(created) {
            Err(ahead) if ahead.duration() > CLOCK_SKEW => Err(format!(
                "it is dated {}, {} in the future by this machine's clock: \
                 check the clocks, or plan again",
                self.created,
                shown(ahead.duration())
            )),
            Ok(age) if age > max_age => Err(format!(
                "it was made {} ago ({}), longer ago than --max-plan-age {}: \
                 the org may have changed since; plan again, or pass a longer --max-plan-age",
                shown(age),
                self.created,
                shown(max_age)
            )),
            _ => Ok(()),
        }
    }

    /// Refuses to apply the plan to an org it was not made for.
    /// `org` is the org applied to as a state file names it (`Connection::org`).
    pub fn check_org(&self, base_url: &str, org: &str) -> Result<(), Error> {
        let base_url = base_url.trim_end_matches('/');
        let (made_for, applied_to) = match &self.org.id {
            Some(id) => (id.as_str(), org),
            None => (self.org.base_url.as_str(), base_url),
        };
        if made_for.eq_ignore_ascii_case(applied_to) {
            return Ok(());
        }
        Err(Error::Usage(format!(
            "this plan was made for {made_for}, not {applied_to}: plan again against this org; \
             nothing was sent"
        )))
    }
}

/// The refusal of a saved plan: `place` is its path, or a place in it.
fn refuse(place: impl fmt::Display, why: &str) -> Error {
    Error::Usage(format!("{place}: {why}; nothing was sent"))
}

/// The refusal of a file that does not read as a saved plan, at the place
/// an editor shows: `PLAN.json:LINE:COLUMN: why (what the parser found)`.
fn refuse_at(path: &Path, e: &serde_json::Error, why: &str) -> Error {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = text.strip_suffix(&suffix).unwrap_or(&text);
    let place = format!("{}:{}:{}", path.display(), e.line(), e.column());
    refuse(place, &format!("{why} ({what})"))
}

/// Tells, on stderr, where the plan was saved, its fingerprint, and how to
/// apply exactly that file.
pub fn announce(path: &Path, fingerprint: &Fingerprint) {
    let shown = escape_for_terminal(&path.display().to_string()).into_owned();
    eprintln!("Plan saved to {shown}, fingerprint {fingerprint}.");
    eprintln!(
        "To apply exactly this plan: genesys-scim sync apply --plan {} --expect-fingerprint {fingerprint}",
        escape_for_terminal(&shell_word(&path.display().to_string()))
    );
}

/// What the file says it is, read first (without building the rest), so
/// that another format or version is named as such; a file that is not
/// JSON gives the parser's error.
fn check_format(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let refuse = |why: String| refuse(path.display(), &why);
    #[derive(Deserialize)]
    struct Header {
        format: Option<Value>,
        version: Option<Value>,
    }
    let header = match serde_json::from_slice(bytes) {
        Ok(header) => header,
        // JSON, but not an object: no format, said below.
        Err(e) if e.is_data() => Header {
            format: None,
            version: None,
        },
        Err(e) => return Err(refuse_at(path, &e, "not JSON, so not a saved plan")),
    };
    if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
        return Err(refuse(format!(
            "not a saved plan (no \"format\": \"{FORMAT}\"); write one with `sync plan --out`"
        )));
    }
    match header.version.as_ref().and_then(Value::as_u64) {
        Some(VERSION) => Ok(()),
        other => {
            let shown = other.map_or_else(|| "none".to_owned(), |v| v.to_string());
            Err(refuse(format!(
                "plan format version {shown} is not one this genesys-scim reads (version {VERSION}): make the plan again"
            )))
        }
    }
}

/// The first item that would set a password, if any: a plan is printed
/// and passed around, so ours never hold one, and one that does was
/// edited and is not shown.
fn carrying_password(plan: &Plan) -> Option<String> {
    let in_path = |path: String| path.to_ascii_lowercase().contains("password");
    let creates = plan
        .creates
        .iter()
        .find(|c| c.user.password.is_some())
        .map(|c| c.user_name.clone());
    creates.or_else(|| {
        plan.updates
            .iter()
            .chain(&plan.reactivations)
            .find(|u| {
                u.desired.password.is_some()
                    || u.changes.iter().any(|c| in_path(c.attribute.path()))
            })
            .map(|u| u.user_name.clone())
    })
}
