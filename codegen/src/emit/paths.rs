//! How generated code names things outside itself: the runtime crate, the
//! client type that carries the operation methods, and the models module.
//! Derived once from [`Settings`](crate::Settings) so no emitter spells a
//! crate name.

use super::types::ident;
use crate::settings::{Runtime, Settings};
use proc_macro2::TokenStream;
use quote::quote;

/// Paths as seen from an operations file.
pub(crate) struct Paths {
    /// The runtime crate in code: `crate` or `::scim_sdk`.
    pub(crate) runtime: TokenStream,
    /// The runtime crate in rustdoc links and examples: `crate` or `scim_sdk`.
    pub(crate) runtime_doc: String,
    /// The type whose inherent methods start each operation.
    pub(crate) client: TokenStream,
    /// The same type in rustdoc links.
    pub(crate) client_doc: String,
    /// Prefix for model types in operation code: `models::`.
    pub(crate) models: TokenStream,
    /// Whether generated code lives in the runtime crate itself.
    pub(crate) in_runtime: bool,
}

impl Paths {
    pub(crate) fn new(settings: &Settings) -> Self {
        match &settings.runtime {
            Runtime::ThisCrate => Self {
                runtime: quote!(crate),
                runtime_doc: "crate".into(),
                client: quote!(crate::Client),
                client_doc: "crate::Client".into(),
                models: quote!(models::),
                in_runtime: true,
            },
            Runtime::Crate(name) => {
                // `runtime_crate` checked that the name is an identifier.
                let name_ident = ident(name);
                Self {
                    runtime: quote!(::#name_ident),
                    runtime_doc: name.clone(),
                    client: quote!(super::super::Client),
                    client_doc: "super::super::Client".into(),
                    models: quote!(models::),
                    in_runtime: false,
                }
            }
        }
    }
}
