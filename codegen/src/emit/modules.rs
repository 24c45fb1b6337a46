//! The `mod.rs` files: the generated root, and the `models` and
//! `operations` modules that re-export their files' items, so that public
//! paths stay `models::X` and `operations::X` whatever file holds `X`.

use super::docs::doc_lines;
use super::files::{ModelFile, OperationFile};
use super::paths::Paths;
use super::types::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `mod.rs` of the generated root. Outside the runtime crate it also
/// defines the `Client` that carries the operation methods.
pub(crate) fn root_module(paths: &Paths) -> TokenStream {
    let client = (!paths.in_runtime).then(|| client_wrapper(paths));
    quote! {
        //! Code generated from the OpenAPI document. See the `xtask` crate.
        pub mod models;
        pub mod operations;
        #client
    }
}

/// Rust allows inherent methods only on a type of the same crate, so code
/// generated for another crate wraps the runtime's client.
fn client_wrapper(paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let docs = doc_lines(&format!(
        "The runtime's [`Client`]({}::Client) with one method per operation of this API. \
         It dereferences to the runtime's client.",
        paths.runtime_doc
    ));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct Client(pub #runtime::Client);

        impl From<#runtime::Client> for Client {
            fn from(client: #runtime::Client) -> Self {
                Self(client)
            }
        }

        impl std::ops::Deref for Client {
            type Target = #runtime::Client;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    }
}

/// `models/mod.rs`.
pub(crate) fn models_module(files: &[ModelFile<'_>]) -> TokenStream {
    let files = files.iter().map(|f| {
        let names: Vec<&str> = f.types.iter().map(|t| t.name.as_str()).collect();
        (f.module.as_str(), names)
    });
    let items = reexports(files);
    quote! {
        //! Data types of the API, one file per schema of the OpenAPI document.
        //!
        //! Every struct keeps unknown attributes in `additional_properties` and
        //! every enum keeps unknown values in `Unknown`, so data this SDK does not
        //! know survives a read-modify-write cycle.
        #items
    }
}

/// `operations/mod.rs`.
pub(crate) fn operations_module(files: &[OperationFile<'_>]) -> TokenStream {
    let files = files.iter().map(|f| {
        let names: Vec<&str> = f
            .operations
            .iter()
            .map(|o| o.builder_name.as_str())
            .collect();
        (f.module.as_str(), names)
    });
    let items = reexports(files);
    quote! {
        //! Request builders, one per API operation, and the client methods
        //! that create them; one file per tag of the OpenAPI document.
        #items
    }
}

/// `mod a; mod b;` then `pub use a::{A1, A2}; pub use b::B;`: private file
/// modules whose items are public one level up.
fn reexports<'a>(files: impl Iterator<Item = (&'a str, Vec<&'a str>)> + Clone) -> TokenStream {
    let mods = files.clone().map(|(module, _)| ident(module));
    let uses = files.map(|(module, names)| {
        let module = ident(module);
        let names: Vec<_> = names.into_iter().map(ident).collect();
        if let [one] = names.as_slice() {
            quote!(pub use #module::#one;)
        } else {
            quote!(pub use #module::{#(#names),*};)
        }
    });
    quote! {
        #(mod #mods;)*
        #(#uses)*
    }
}
