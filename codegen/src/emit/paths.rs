//! How generated code names things outside itself: the runtime crate, the
//! client type that carries the operation methods, and the models module.
//! Derived once from [`Settings`](crate::Settings) so no emitter spells a
//! crate name.

use crate::settings::{Runtime, Settings};

/// Paths as seen from an operations file.
pub(crate) struct Paths {
    /// The runtime crate in code: `crate` or `::scim_sdk`.
    pub(crate) runtime: String,
    /// The runtime crate in rustdoc links and examples: `crate` or `scim_sdk`.
    pub(crate) runtime_doc: String,
    /// The type whose inherent methods start each operation.
    pub(crate) client: String,
    /// The same type in rustdoc links.
    pub(crate) client_doc: String,
    /// Prefix for model types in operation code, e.g. `models::`.
    pub(crate) models: String,
    /// Whether generated code lives in the runtime crate itself.
    pub(crate) in_runtime: bool,
}

impl Paths {
    pub(crate) fn new(settings: &Settings) -> Self {
        match &settings.runtime {
            Runtime::ThisCrate => Self {
                runtime: "crate".into(),
                runtime_doc: "crate".into(),
                client: "crate::Client".into(),
                client_doc: "crate::Client".into(),
                models: "models::".into(),
                in_runtime: true,
            },
            Runtime::Crate(name) => Self {
                runtime: format!("::{name}"),
                runtime_doc: name.clone(),
                client: "super::super::Client".into(),
                client_doc: "super::super::Client".into(),
                models: "models::".into(),
                in_runtime: false,
            },
        }
    }
}
