//! Rust spelling of IR types.

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier the IR has already made valid (see `naming`).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of `ty`, with `models` (a path prefix such as `models::`,
/// or nothing inside the models module) before a named type.
pub(crate) fn rust_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::DateTime => quote!(String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
        TypeRef::List(inner) => {
            let inner = rust_type(inner, models);
            quote!(Vec<#inner>)
        }
    }
}

/// How a type reads in docs, e.g. `Vec<ScimEmail>`.
pub(crate) fn doc_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "String (RFC 3339 date-time)".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Any => "serde_json::Value".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::List(inner) => format!("Vec<{}>", doc_type(inner)),
    }
}
