//! Which parameters an operation's builder stores, and how each one is
//! typed, passed and described.

use crate::emit::docs::escape_markdown;
use crate::emit::paths::Paths;
use crate::emit::types::ident;
use crate::ir::{Operation, Param, ParamLocation, ParamType};
use proc_macro2::TokenStream;
use quote::quote;

/// The parameters of one operation, split the way the emitters use them.
pub(super) struct OpParams<'a> {
    /// Everything the builder stores: all parameters but the
    /// `If-None-Match` header of a conditional operation, which
    /// `IfNoneMatch` carries instead.
    pub(super) stored: Vec<&'a Param>,
    /// Positional arguments of the client method.
    pub(super) required: Vec<&'a Param>,
    /// Builder methods.
    pub(super) optional: Vec<&'a Param>,
}

impl<'a> OpParams<'a> {
    pub(super) fn new(op: &'a Operation) -> Self {
        let conditional = op.is_conditional();
        let stored: Vec<&Param> = op
            .params
            .iter()
            .filter(|p| !(conditional && p.is_if_none_match()))
            .collect();
        let required = stored.iter().copied().filter(|p| p.required).collect();
        let optional = stored.iter().copied().filter(|p| !p.required).collect();
        Self {
            stored,
            required,
            optional,
        }
    }
}

/// The stored Rust type of a parameter value.
pub(super) fn param_type(ty: ParamType) -> TokenStream {
    match ty {
        ParamType::String | ParamType::ETag => quote!(String),
        ParamType::I32 => quote!(i32),
        ParamType::I64 => quote!(i64),
        ParamType::F64 => quote!(f64),
        ParamType::Bool => quote!(bool),
        ParamType::CsvList => quote!(Vec<String>),
    }
}

/// Whether a caller's argument is converted before it is stored (see
/// [`param_arg`]); other types are stored as given.
pub(super) fn converts(ty: ParamType) -> bool {
    matches!(ty, ParamType::String | ParamType::CsvList | ParamType::ETag)
}

/// The argument type a caller passes, and the expression turning it into the
/// stored value (for an entity tag, already an `Option`).
pub(super) fn param_arg(p: &Param, paths: &Paths) -> (TokenStream, TokenStream) {
    let name = ident(&p.rust_name);
    let runtime = &paths.runtime;
    match p.ty {
        ParamType::String => (quote!(impl Into<String>), quote!(#name.into())),
        ParamType::ETag => (
            quote!(impl #runtime::IntoETag),
            quote!(#runtime::IntoETag::into_etag(#name)),
        ),
        ParamType::CsvList => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(#name.into_iter().map(Into::into).collect()),
        ),
        other => (param_type(other), quote!(#name)),
    }
}

/// Markdown describing a parameter: the spec's text, where it is sent, its
/// default and documented values.
pub(super) fn param_doc(p: &Param) -> String {
    let mut text = p
        .description
        .as_deref()
        .map(escape_markdown)
        .unwrap_or_else(|| format!("The `{}` parameter.", p.wire_name));
    let place = match p.location {
        ParamLocation::Path => "path segment",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
    };
    text.push_str(&format!("\n\nSent as the `{}` {place}", p.wire_name));
    if p.ty == ParamType::CsvList {
        text.push_str(", comma-separated");
    }
    text.push('.');
    if p.ty == ParamType::ETag {
        text.push_str(
            " Takes the tag as a string (quotes are added when missing), an `Option` of one, \
             or the resource itself (`&user`, whose `meta.version` is used). \
             `None`, or a resource without a version, sends no header.",
        );
    }
    if let Some(default) = &p.default {
        text.push_str(&format!(" The server uses `{default}` when it is not set."));
    }
    if !p.known_values.is_empty() {
        let shown: Vec<String> = p
            .known_values
            .iter()
            .take(12)
            .map(|v| format!("`{v}`"))
            .collect();
        let more = p.known_values.len().saturating_sub(12);
        text.push_str(&format!("\n\nDocumented values: {}", shown.join(", ")));
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text.push('.');
    }
    text
}

/// A placeholder argument for the generated usage example.
pub(super) fn example_arg(p: &Param) -> String {
    match p.ty {
        ParamType::ETag => format!("{:?}", "\"1\""),
        ParamType::String => match p.known_values.first() {
            Some(v) => format!("{v:?}"),
            None if p.location == ParamLocation::Path => {
                format!("{:?}", format!("{}-value", p.rust_name.replace('_', "-")))
            }
            None => format!("{:?}", "value"),
        },
        ParamType::I32 | ParamType::I64 => "1".into(),
        ParamType::F64 => "1.0".into(),
        ParamType::Bool => "true".into(),
        ParamType::CsvList => "[\"id\"]".into(),
    }
}
