//! Choices about the generated code that the OpenAPI document does not make:
//! where the runtime lives and what the do-not-edit header names.

use crate::Error;

/// Where generated code finds the hand-written runtime (`Client`, `Request`,
/// `Operation`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Runtime {
    /// The code is compiled into the runtime crate itself (`scim-sdk`), as
    /// `crate::generated`: client methods are inherent methods of
    /// `crate::Client`.
    ThisCrate,
    /// The code is compiled into another crate that depends on the runtime
    /// under this name. Rust forbids inherent methods on a foreign type, so
    /// the generated root module also gets a `Client` wrapper that
    /// dereferences to the runtime's client and carries the methods.
    Crate(String),
}

/// Generator settings.
///
/// ```
/// use scim_codegen::{Runtime, Settings};
/// let sdk = Settings::new("spec/genesys-scim.openapi.json");
/// assert_eq!(sdk.runtime, Runtime::ThisCrate);
/// let other = Settings::new("fixtures/pets.json").runtime_crate("scim_sdk")?;
/// assert_eq!(other.runtime, Runtime::Crate("scim_sdk".into()));
/// # Ok::<(), scim_codegen::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// The spec's path as named in the do-not-edit header.
    pub source: String,
    /// Where the runtime lives.
    pub runtime: Runtime,
}

impl Settings {
    /// Settings for code compiled into the runtime crate, generated from the
    /// spec at `source`.
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            runtime: Runtime::ThisCrate,
        }
    }

    /// Generates for another crate that depends on the runtime as `name`
    /// (for example `scim_sdk`).
    ///
    /// # Errors
    /// [`Error::Settings`] when `name` is not a plain Rust identifier.
    pub fn runtime_crate(mut self, name: &str) -> Result<Self, Error> {
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name != "crate"
            && name != "_";
        if !valid {
            return Err(Error::Settings {
                message: format!("runtime crate name `{name}` is not a Rust identifier"),
            });
        }
        self.runtime = Runtime::Crate(name.to_owned());
        Ok(self)
    }
}
