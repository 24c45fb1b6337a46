//! Rust spelling of IR types.

use crate::ir::TypeRef;
use std::fmt;

/// The Rust type of an IR type, for writing into code. `models` is the path
/// prefix of named types (empty inside the models module).
pub(crate) struct RustType<'a> {
    pub(crate) ty: &'a TypeRef,
    pub(crate) models: &'a str,
}

/// The Rust type of `ty`, with `models` before a named type.
pub(crate) fn rust_type<'a>(ty: &'a TypeRef, models: &'a str) -> RustType<'a> {
    RustType { ty, models }
}

impl fmt::Display for RustType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ty {
            TypeRef::String | TypeRef::DateTime => f.write_str("String"),
            TypeRef::I32 => f.write_str("i32"),
            TypeRef::I64 => f.write_str("i64"),
            TypeRef::F64 => f.write_str("f64"),
            TypeRef::Bool => f.write_str("bool"),
            TypeRef::Any => f.write_str("::serde_json::Value"),
            TypeRef::Named(name) => write!(f, "{}{name}", self.models),
            TypeRef::List(inner) => write!(f, "Vec<{}>", rust_type(inner, self.models)),
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
