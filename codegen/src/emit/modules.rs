//! The `mod.rs` files: the generated root, and the `models` and
//! `operations` modules that re-export their files' items, so that public
//! paths stay `models::X` and `operations::X` whatever file holds `X`.

use super::docs::{doc_attrs, inner_doc_attrs};
use super::files::{ModelFile, OperationFile};
use super::paths::Paths;
use super::types::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `mod.rs` of the generated root. Outside the runtime crate it also
/// defines the `Client` that carries the operation methods.
pub(crate) fn root_module(paths: &Paths) -> TokenStream {
    let docs = inner_doc_attrs("Code generated from the OpenAPI document. See the `xtask` crate.");
    let client = (!paths.in_runtime).then(|| client_wrapper(paths));
    quote! {
        #docs
        pub mod models;
        pub mod operations;
        #client
    }
}

/// Rust allows inherent methods only on a type of the same crate, so code
/// generated for another crate wraps the runtime's client.
fn client_wrapper(paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let docs = doc_attrs(&format!(
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
    let docs = inner_doc_attrs(
        "Data types of the API, one file per schema of the OpenAPI document.\n\n\
         Every struct keeps unknown attributes in `additional_properties` and\n\
         every enum keeps unknown values in `Unknown`, so data this SDK does not\n\
         know survives a read-modify-write cycle.",
    );
    let files = files.iter().map(|f| {
        let names = f.types.iter().map(|t| t.name.as_str()).collect();
        (f.module.as_str(), names)
    });
    let reexports = reexports(files);
    quote!(#docs #reexports)
}

/// `operations/mod.rs`.
pub(crate) fn operations_module(files: &[OperationFile<'_>]) -> TokenStream {
    let docs = inner_doc_attrs(
        "Request builders, one per API operation, and the client methods\n\
         that create them; one file per tag of the OpenAPI document.",
    );
    let files = files.iter().map(|f| {
        let names = f.operations.iter().map(|o| o.builder_name.as_str());
        (f.module.as_str(), names.collect())
    });
    let reexports = reexports(files);
    quote!(#docs #reexports)
}

/// `mod a; mod b;` then `pub use a::{A1, A2}; pub use b::B;`: private file
/// modules whose items are public one level up.
fn reexports<'a>(files: impl Iterator<Item = (&'a str, Vec<&'a str>)>) -> TokenStream {
    let (modules, uses): (Vec<_>, Vec<_>) = files
        .map(|(module, names)| {
            let module = ident(module);
            let uses = use_list(&quote!(pub use #module::), &names);
            (module, uses)
        })
        .unzip();
    quote! {
        #(mod #modules;)*
        #(#uses)*
    }
}

/// `{prefix}{A, B};`, or `{prefix}A;` for one name, nothing for none.
pub(crate) fn use_list(prefix: &TokenStream, names: &[&str]) -> TokenStream {
    let idents = names.iter().map(|n| ident(n));
    match names {
        [] => TokenStream::new(),
        [_] => quote!(#prefix #(#idents)*;),
        _ => quote!(#prefix {#(#idents),*};),
    }
}
