//! The CLI's error type and the one place that turns errors into exit codes.

use crate::people::InputError;
use scim_sdk::models::ScimErrorScimType;
use scim_sync::RefusalKind;
use std::fmt;
use std::io;

/// What scripts see in `$?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Success = 0,
    /// Some items failed; the others went through.
    Failed = 1,
    /// Bad arguments or a bad input file; nothing was sent.
    Usage = 2,
    /// The API refused the credentials or could not be reached.
    Connection = 3,
    /// The mass-deactivation guard refused the plan; nothing was sent.
    Guard = 4,
    /// The audit log could not be written: no write was started after it.
    Unrecorded = 5,
    /// Interrupted by Ctrl-C (SIGINT), as shells report it.
    Interrupted = 130,
}

impl Exit {
    /// Every exit code, with what it means as `--help` and the man page
    /// tell it (`` `…` `` marks a command or an option).
    pub const ALL: [(Exit, &'static str); 7] = [
        (Exit::Success, "Success."),
        (
            Exit::Failed,
            "Some items failed, the others were done; or rows of the plan need a decision (a \
             rehire nothing in the file links: `users set-external-id` settles it); or `sync plan \
             --exit-code` found changes or decisions.",
        ),
        (
            Exit::Usage,
            "Bad arguments or a bad input file, or an apply nobody confirmed; nothing was written.",
        ),
        (
            Exit::Connection,
            "The credentials were refused or the API could not be reached; or it stopped \
             answering during an apply (run it again to finish).",
        ),
        (
            Exit::Guard,
            "The mass-deactivation guard refused the plan (too many deactivations, or too many \
             members leaving one group); nothing was written.",
        ),
        (
            Exit::Unrecorded,
            "A line of the audit log could not be written: no write was started after it, and \
             the writes made but not logged are listed on stderr.",
        ),
        (
            Exit::Interrupted,
            "`sync apply` was interrupted by Ctrl-C: no item was started after it.",
        ),
    ];

    /// The exit codes as the end of `--help` lists them.
    pub fn help() -> String {
        let mut text = String::from("Exit status:");
        for (code, meaning) in Exit::ALL {
            let code = code as u8;
            text.push_str(&format!("\n  {code:<3}  {}", meaning.replace('`', "")));
        }
        text
    }
}

/// Everything a command can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The arguments or environment do not make a valid command.
    Usage(String),
    /// A people file failed its checks.
    Input(InputError),
    /// A call to the API failed.
    Api(scim_sdk::Error),
    /// A list of users or groups answered 404: there is no SCIM API at
    /// this base URL (a wrong path or host), and nothing was attempted.
    NoApi {
        base_url: String,
        source: scim_sdk::Error,
    },
    /// The sync engine refused to act (a call of its own that failed is
    /// an [`Error::Api`]).
    Refused(Box<scim_sync::Refusal>),
    /// A named resource does not exist.
    NotFound(String),
    /// A write the engine made for a command failed.
    Write(Box<scim_sync::ItemError>),
    /// The embedded fake server did not start.
    Fake(io::Error),
    /// Writing to stdout failed.
    Output(io::Error),
    /// Some items of a batch failed (each was reported as it happened).
    Partial { failed: usize, total: usize },
    /// Every item of a batch that failed did because the org refused the
    /// credentials.
    CredentialsRefused { failed: usize, total: usize },
    /// Ctrl-C stopped an apply; what was done was reported.
    Cancelled { not_started: usize },
    /// `sync plan --exit-code` found work to do: exit 1, with no message.
    ChangesPending,
    /// The plan left rows for a person to decide (their commands): work
    /// is left that the sync could not do.
    DecisionsPending(Vec<String>),
    /// An apply stopped because the server stopped answering.
    Interrupted(Box<scim_sync::Interrupted>),
    /// A line of the audit log could not be written: no write started
    /// after it. `written` lists the writes that were made (or may have
    /// been) and are not in the log.
    Unrecorded {
        error: io::Error,
        written: Vec<String>,
    },
}

impl Error {
    /// The exit code for this error.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) | Error::Input(_) => Exit::Usage,
            Error::Api(e) => api_exit(e),
            Error::Fake(_)
            | Error::NoApi { .. }
            | Error::Interrupted(_)
            | Error::CredentialsRefused { .. } => Exit::Connection,
            Error::Refused(r) => match r.kind {
                RefusalKind::MassDeactivation => Exit::Guard,
                RefusalKind::InvalidFeed | RefusalKind::InvalidInput | RefusalKind::InvalidPlan => {
                    Exit::Usage
                }
                _ => Exit::Failed,
            },
            Error::NotFound(_)
            | Error::Output(_)
            | Error::Partial { .. }
            | Error::ChangesPending
            | Error::DecisionsPending(_) => Exit::Failed,
            Error::Cancelled { .. } => Exit::Interrupted,
            Error::Unrecorded { .. } => Exit::Unrecorded,
            Error::Write(e) if matches!(e.status, Some(401 | 403)) => Exit::Connection,
            Error::Write(_) => Exit::Failed,
        }
    }

    /// Names the base URL in an error that shows it is wrong.
    pub fn at_base_url(self, base_url: &str) -> Error {
        match self {
            Error::Api(e) if is_missing_list(&e) => Error::NoApi {
                base_url: base_url.to_owned(),
                source: e,
            },
            other => other,
        }
    }

    /// A closed pipe (`genesys-scim users list | head`) is the reader's choice, not
    /// a failure worth reporting.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// A 404 on a collection: users and groups always exist, so the request
/// went to the wrong place.
fn is_missing_list(e: &scim_sdk::Error) -> bool {
    const LISTS: [&str; 4] = [
        "getScimUsers",
        "getScimV2Users",
        "getScimGroups",
        "getScimV2Groups",
    ];
    matches!(e, scim_sdk::Error::Http(h) if h.status == 404 && LISTS.contains(&h.operation))
}

const GUARD_HINT: &str = "\nhint: check that the file is complete; if these deactivations are intended, \
     pass --allow-mass-deactivation or raise --max-deactivate";

fn api_exit(e: &scim_sdk::Error) -> Exit {
    use scim_sdk::Error as Sdk;
    match e {
        Sdk::Auth(_) | Sdk::Transport(_) | Sdk::Timeout(_) => Exit::Connection,
        Sdk::Http(_) if matches!(e.status(), Some(401 | 403)) => Exit::Connection,
        _ if is_missing_list(e) => Exit::Connection,
        // Refused before sending: a bad URL, region or argument.
        Sdk::InvalidInput { .. } => Exit::Usage,
        // The user's --filter, refused by the server: still a usage error.
        Sdk::Http(_) if e.scim_type() == Some(&ScimErrorScimType::InvalidFilter) => Exit::Usage,
        _ => Exit::Failed,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) | Error::NotFound(m) => f.write_str(m),
            Error::Write(e) => write!(f, "{e}"),
            Error::Input(e) => write!(f, "{e}"),
            Error::Refused(r) => {
                write!(f, "{}", scim_sync::Error::Refused(r.clone()))?;
                if r.kind == RefusalKind::MassDeactivation {
                    f.write_str(GUARD_HINT)?;
                }
                Ok(())
            }
            Error::Api(e) => {
                write!(f, "{e}")?;
                match api_exit(e) {
                    Exit::Connection => f.write_str(
                        "\nhint: check the connection options (--region, --base-url) and the credentials",
                    ),
                    _ => Ok(()),
                }
            }
            Error::NoApi { base_url, source } => write!(
                f,
                "no SCIM API at {base_url}: {source}\n\
                 hint: check --base-url (the API's root, without /api/v2/scim) or --region"
            ),
            Error::Fake(e) => write!(f, "cannot start the embedded fake server: {e}"),
            Error::Output(e) => write!(f, "cannot write the output: {e}"),
            Error::Partial { failed, total } => write!(f, "{failed} of {total} items failed"),
            Error::CredentialsRefused { failed, total } => write!(
                f,
                "{failed} of {total} items failed: the org refused the credentials; check the \
                 token or the OAuth client, then run the same command again"
            ),
            Error::ChangesPending => f.write_str("the plan has changes"),
            Error::DecisionsPending(commands) => {
                let (rows, them) = match commands.len() {
                    1 => ("1 row waits".to_owned(), "it"),
                    n => (format!("{n} rows wait"), "them"),
                };
                write!(
                    f,
                    "{rows} for a decision; nothing was written for {them}. If an account is the \
                     row's person (a rehire), give it the row's externalId, then sync again:"
                )?;
                for c in commands {
                    write!(f, "\n  {c}")?;
                }
                Ok(())
            }
            Error::Cancelled { not_started } => write!(
                f,
                "interrupted: {} not started; plan and apply again to finish",
                crate::progress::items(*not_started)
            ),
            Error::Interrupted(stopped) => write!(
                f,
                "{stopped}\nhint: check the connection to the org, then run the same `sync apply` again"
            ),
            Error::Unrecorded { error, written } => {
                write!(
                    f,
                    "cannot write the audit log: {error}; no write was started after that"
                )?;
                for w in written {
                    write!(f, "\n  not in the audit log: {w}")?;
                }
                if !written.is_empty() {
                    f.write_str("\nhint: add these to the audit trail by hand; plan again to see where the org stands")?;
                }
                Ok(())
            }
        }
    }
}

/// Each cause is told once, in the text `Display` gives: `source` goes on
/// from below what the text already says.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) | Error::NoApi { source: e, .. } => e.source(),
            Error::Fake(e) | Error::Output(e) | Error::Unrecorded { error: e, .. } => e.source(),
            _ => None,
        }
    }
}

impl From<scim_sdk::Error> for Error {
    fn from(e: scim_sdk::Error) -> Self {
        Error::Api(e)
    }
}

impl From<scim_sync::Error> for Error {
    fn from(e: scim_sync::Error) -> Self {
        match e {
            scim_sync::Error::Refused(r) => Error::Refused(r),
            scim_sync::Error::Api(e) => Error::Api(e),
            scim_sync::Error::Interrupted(stopped) => Error::Interrupted(stopped),
            scim_sync::Error::Unrecorded(lost) => Error::Unrecorded {
                written: lost
                    .unrecorded
                    .iter()
                    .map(crate::progress::unrecorded)
                    .collect(),
                error: lost.error,
            },
            // A kind this CLI does not know yet: report it as a refusal.
            other => Error::Usage(other.to_string()),
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Output(e)
    }
}
