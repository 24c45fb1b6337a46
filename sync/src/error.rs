//! The one error type of the sync engine.

use std::fmt;

/// Everything that can stop a sync step: a refusal by the engine itself
/// (nothing was sent for it), or a failed API call.
///
/// ```
/// # fn demo(result: Result<scim_sync::Report, scim_sync::Error>) {
/// match result {
///     Ok(report) => println!("{report:?}"),
///     Err(e) if e.is_mass_deactivation() => eprintln!("{e} (pass allow_mass_deactivation to go ahead)"),
///     Err(scim_sync::Error::Refused(r)) => eprintln!("refused {:?}: {}", r.records, r.message),
///     Err(e) => eprintln!("failed: {e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The engine refused to act; see [`Refusal::kind`].
    Refused(Box<Refusal>),
    /// An API call failed: the SDK's error, shown as it is
    /// ([`api`](Error::api) gives it).
    Api(scim_sdk::Error),
    /// An apply stopped because the server stopped answering: what was
    /// done and what was not. [`is_connection`](Error::is_connection) is true.
    Interrupted(Box<crate::report::Interrupted>),
    /// An apply stopped because an item could not be recorded
    /// ([`ApplyOptions::record`](crate::ApplyOptions::record) failed): no
    /// write was started after it.
    Unrecorded(Box<crate::report::Unrecorded>),
}

/// Why the engine refused to act, and about which records.
///
/// ```
/// use scim_sync::{Error, RefusalKind};
/// # fn demo(e: &Error) {
/// if let Error::Refused(r) = e && r.kind == RefusalKind::InvalidFeed {
///     eprintln!("fix the feed at {}: {}", r.records.join(", "), r.message);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refusal {
    /// The kind of refusal.
    pub kind: RefusalKind,
    /// What was wrong, in words fit for an operator.
    pub message: String,
    /// The records concerned: feed positions with their userName such as
    /// `#3 (jane@example.com)`, or userNames. Empty when there is none.
    pub records: Vec<String>,
}

/// The kinds of [`Refusal`].
///
/// ```
/// assert_eq!(scim_sync::RefusalKind::MassDeactivation.as_str(), "mass_deactivation");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RefusalKind {
    /// The desired state cannot be planned (a user without `userName`, a
    /// duplicate `userName` or `externalId`); nothing was sent.
    ///
    /// As a string ([`as_str`](Self::as_str)): `invalid_feed`.
    InvalidFeed,
    /// Applying the plan would deactivate more users than the guard allows;
    /// nothing was sent.
    ///
    /// As a string ([`as_str`](Self::as_str)): `mass_deactivation`.
    MassDeactivation,
    /// The `userName` belongs to a user the sync may not take over (its
    /// `externalId` differs from ours).
    ///
    /// As a string ([`as_str`](Self::as_str)): `sync_conflict`.
    Conflict,
    /// The user the write was for is outside the sync's scope.
    ///
    /// As a string ([`as_str`](Self::as_str)): `out_of_scope`.
    OutOfScope,
    /// An argument cannot be used (a desired user without the attribute to
    /// match on, say).
    ///
    /// As a string ([`as_str`](Self::as_str)): `invalid_input`.
    InvalidInput,
    /// The item names a user the same apply was to create, and that
    /// create failed: the item was done without it, or not at all.
    ///
    /// As a string ([`as_str`](Self::as_str)): `not_created`.
    NotCreated,
    /// Under [`ApplyOptions::exact`](crate::ApplyOptions::exact), the
    /// target changed since the plan read it (or is gone): the item was
    /// not written.
    ///
    /// As a string ([`as_str`](Self::as_str)): `drifted`.
    Drifted,
    /// The account the item's id names is not the one the item names (a
    /// saved plan edited, or an id reused): nothing was written to it.
    ///
    /// As a string ([`as_str`](Self::as_str)): `wrong_account`.
    WrongAccount,
    /// The plan holds what the planner never writes (a password, `active`
    /// inside an update, a rename its row does not ask for): it was edited,
    /// and nothing of it was sent.
    ///
    /// As a string ([`as_str`](Self::as_str)): `invalid_plan`.
    InvalidPlan,
}

impl RefusalKind {
    /// A stable machine-readable name, e.g. for metrics.
    ///
    /// ```
    /// assert_eq!(scim_sync::RefusalKind::InvalidFeed.as_str(), "invalid_feed");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalKind::InvalidFeed => "invalid_feed",
            RefusalKind::MassDeactivation => "mass_deactivation",
            RefusalKind::Conflict => "sync_conflict",
            RefusalKind::OutOfScope => "out_of_scope",
            RefusalKind::InvalidInput => "invalid_input",
            RefusalKind::NotCreated => "not_created",
            RefusalKind::Drifted => "drifted",
            RefusalKind::WrongAccount => "wrong_account",
            RefusalKind::InvalidPlan => "invalid_plan",
        }
    }

    /// The kind of this [`as_str`](Self::as_str) name, if it is one.
    ///
    /// ```
    /// use scim_sync::RefusalKind;
    /// assert_eq!(RefusalKind::parse("out_of_scope"), Some(RefusalKind::OutOfScope));
    /// assert_eq!(RefusalKind::parse("http_403"), None);
    /// ```
    pub fn parse(name: &str) -> Option<RefusalKind> {
        const ALL: [RefusalKind; 9] = [
            RefusalKind::InvalidFeed,
            RefusalKind::MassDeactivation,
            RefusalKind::Conflict,
            RefusalKind::OutOfScope,
            RefusalKind::InvalidInput,
            RefusalKind::NotCreated,
            RefusalKind::Drifted,
            RefusalKind::WrongAccount,
            RefusalKind::InvalidPlan,
        ];
        ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl Error {
    pub(crate) fn refused(
        kind: RefusalKind,
        records: Vec<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Refused(Box::new(Refusal {
            kind,
            message: message.into(),
            records,
        }))
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Self::refused(RefusalKind::InvalidInput, Vec::new(), message)
    }

    /// The most useful message for an operator, without the prefix
    /// `Display` adds: the refusal's message, or the SDK's
    /// [`message`](scim_sdk::Error::message).
    ///
    /// ```
    /// let e = "nonsense".parse::<scim_sync::Scope>().unwrap_err();
    /// assert!(e.message().starts_with("unknown scope"));
    /// ```
    pub fn message(&self) -> String {
        match self {
            Error::Refused(r) => r.message.clone(),
            Error::Api(e) => e.message(),
            Error::Interrupted(stopped) => stopped.to_string(),
            Error::Unrecorded(lost) => lost.to_string(),
        }
    }

    /// The refusal, when the engine refused.
    ///
    /// ```
    /// let e = scim_sync::Error::from(scim_sdk::Client::builder().build().unwrap_err());
    /// assert!(e.refusal().is_none());
    /// ```
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Error::Refused(r) => Some(r),
            Error::Api(_) | Error::Interrupted(_) | Error::Unrecorded(_) => None,
        }
    }

    /// The SDK's error, when an API call failed (for an
    /// [`Interrupted`](Error::Interrupted) apply: the connection failure
    /// that stopped it).
    ///
    /// ```
    /// let e = scim_sync::Error::from(scim_sdk::Client::builder().build().unwrap_err());
    /// assert!(e.api().is_some());
    /// ```
    pub fn api(&self) -> Option<&scim_sdk::Error> {
        match self {
            Error::Api(e) => Some(e),
            Error::Interrupted(stopped) => Some(&stopped.error),
            Error::Refused(_) | Error::Unrecorded(_) => None,
        }
    }

    /// Whether the server could not be reached (refused, reset, timed out),
    /// for one call or for long enough that an apply stopped
    /// ([`Error::Interrupted`]): check the network, then run again.
    ///
    /// ```
    /// let e = scim_sync::Error::from(scim_sdk::Client::builder().build().unwrap_err());
    /// assert!(!e.is_connection());
    /// ```
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Interrupted(_))
            || matches!(
                self.api(),
                Some(scim_sdk::Error::Transport(_) | scim_sdk::Error::Timeout(_))
            )
    }

    /// Whether the mass-deactivation guard refused the plan, beside the
    /// SDK's [`is_conflict`](scim_sdk::Error::is_conflict).
    ///
    /// ```
    /// # fn demo(e: &scim_sync::Error) {
    /// if e.is_mass_deactivation() {
    ///     eprintln!("check the feed: it would deactivate too many people");
    /// }
    /// # }
    /// ```
    pub fn is_mass_deactivation(&self) -> bool {
        self.refusal()
            .is_some_and(|r| r.kind == RefusalKind::MassDeactivation)
    }

    /// Whether trying again later may succeed: an API failure the SDK
    /// deems retryable (`429`, `500`, `502`–`504`, time-outs). A refusal never is.
    ///
    /// ```
    /// let e = scim_sync::Error::from(scim_sdk::Client::builder().build().unwrap_err());
    /// assert!(!e.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.api().is_some_and(scim_sdk::Error::is_retryable)
    }

    /// A stable machine-readable name: the refusal's kind, or the SDK's
    /// [`code`](scim_sdk::Error::code).
    ///
    /// ```
    /// let e = scim_sync::Error::from(scim_sdk::Client::builder().build().unwrap_err());
    /// assert_eq!(e.code(), "invalid_input");
    /// ```
    pub fn code(&self) -> String {
        match self {
            Error::Refused(r) => r.kind.as_str().into(),
            Error::Api(e) => e.code().into(),
            Error::Interrupted(_) => "interrupted".into(),
            Error::Unrecorded(_) => "unrecorded".into(),
        }
    }
}

impl From<scim_sdk::Error> for Error {
    fn from(e: scim_sdk::Error) -> Self {
        Error::Api(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Refused(r) if r.records.is_empty() => write!(f, "sync refused: {}", r.message),
            Error::Refused(r) => {
                write!(f, "sync refused ({}): {}", r.records.join(", "), r.message)
            }
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::Interrupted(stopped) => fmt::Display::fmt(stopped, f),
            Error::Unrecorded(lost) => fmt::Display::fmt(lost, f),
        }
    }
}

/// Each cause is told once: an API failure shows as the SDK's error itself
/// (its own causes follow), and an interrupted or unrecorded apply names
/// its cause in its text.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => e.source(),
            Error::Interrupted(_) | Error::Refused(_) | Error::Unrecorded(_) => None,
        }
    }
}
