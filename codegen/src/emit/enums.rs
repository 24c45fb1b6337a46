//! Emits a forward-compatible string enum: the known values as variants and
//! a catch-all that keeps any other value. The runtime's `open_enum!` adds
//! the conversions serde and callers use, from the list of variants and
//! wire values.

use super::docs::{doc, doc_attrs};
use super::paths::Paths;
use super::types::ident;
use crate::ir::{TypeDef, Variant};
use crate::naming::CATCH_ALL_VARIANT;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit_enum(def: &TypeDef, variants: &[Variant], paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let name = ident(&def.name);
    let unknown = ident(CATCH_ALL_VARIANT);
    let docs = doc_attrs(&doc(
        &[def.description.as_deref()],
        &[format!(
            "Values of `{}`. A value not listed here is kept in `{CATCH_ALL_VARIANT}` and sent back unchanged.",
            def.origin
        )],
    ));
    let names: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    let variant_docs = variants
        .iter()
        .map(|v| doc_attrs(&format!("`{}`", v.wire_value)));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #names,)*
            /// A value this version of the SDK does not know, kept verbatim.
            #unknown(String),
        }

        #runtime::open_enum!(#name { #(#names(#wires)),* });
    }
}
