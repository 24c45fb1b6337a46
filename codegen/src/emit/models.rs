//! Emits the models: one serde struct per object schema, one
//! forward-compatible enum per string enum.

use super::docs::{doc, doc_lines};
use super::paths::Paths;
use super::types::{ident, rust_type};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::{CATCH_ALL_FIELD, CATCH_ALL_VARIANT};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// One models file: its types, importing the models they refer to from
/// the sibling files.
pub(crate) fn emit_file(types: &[&TypeDef], paths: &Paths) -> TokenStream {
    let imports = sibling_imports(types);
    let items = types.iter().map(|def| match &def.kind {
        TypeKind::Struct {
            fields,
            scim_schema,
        } => emit_struct(def, fields, scim_schema.as_deref(), paths),
        TypeKind::Enum { variants } => emit_enum(def, variants),
    });
    quote! {
        use serde::{Deserialize, Serialize};
        #imports
        #(#items)*
    }
}

/// `use super::{A, B};` for the named types the fields of `types` use and
/// that the file does not define.
fn sibling_imports(types: &[&TypeDef]) -> Option<TokenStream> {
    let mut used = BTreeSet::new();
    for def in types {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            used.extend(fields.iter().filter_map(|f| named(&f.ty)));
        }
    }
    for def in types {
        used.remove(def.name.as_str());
    }
    if used.is_empty() {
        return None;
    }
    let names = used.into_iter().map(ident);
    Some(quote!(use super::{#(#names),*};))
}

/// The named type inside `ty`, if any.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::List(inner) => named(inner),
        _ => None,
    }
}

fn field_doc(field: &Field) -> TokenStream {
    let mut extra = Vec::new();
    if !field.constraints.is_empty() {
        extra.push(format!("Allowed: {}.", field.constraints.join("; ")));
    }
    if field.required {
        extra.push(
            "Required in requests (the constructor takes it). An `Option` all the same, because a \
             response may leave it out when the caller narrows `attributes`."
                .to_owned(),
        );
    }
    if field.read_only {
        extra.push("Set by the server; left out of request bodies.".to_owned());
    }
    if field.sensitive {
        extra.push("Sensitive: shown as `<redacted>` in `Debug` output.".to_owned());
    }
    extra.push(format!("JSON key: `{}`.", field.wire_name));
    doc(&[field.description.as_deref()], &extra)
}

fn emit_struct(
    def: &TypeDef,
    fields: &[Field],
    scim_schema: Option<&str>,
    paths: &Paths,
) -> TokenStream {
    let name = ident(&def.name);
    let has_sensitive = fields.iter().any(|f| f.sensitive);
    let mut derives = vec![
        quote!(Clone),
        quote!(PartialEq),
        quote!(Serialize),
        quote!(Deserialize),
    ];
    if !has_sensitive {
        derives.insert(0, quote!(Debug));
    }
    if !fields.iter().any(|f| f.required) {
        derives.push(quote!(Default));
    }
    let field_defs = fields.iter().map(field_def);
    let constructor = constructor(def, fields);
    let setters = fields.iter().filter(|f| !f.read_only).map(setter);
    let debug_impl = has_sensitive.then(|| redacting_debug(&name, fields));
    let mut extra = vec![format!("Schema `{}`.", def.origin)];
    extra.extend(request_body_doc(fields, scim_schema));
    let docs = doc(&[def.description.as_deref()], &extra);
    let model_impl = model_impl(def, fields, scim_schema, paths);
    let catch_all = ident(CATCH_ALL_FIELD);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_defs)*
            /// Attributes the API document does not describe, kept as received
            /// so that sending this value back loses nothing.
            #[serde(flatten)]
            pub #catch_all: ::serde_json::Map<String, ::serde_json::Value>,
        }

        impl #name {
            #constructor

            #(#setters)*
        }

        #debug_impl

        #model_impl
    }
}

/// `impl Model`: the facts the runtime uses when the struct is a request
/// body, as data.
fn model_impl(
    def: &TypeDef,
    fields: &[Field],
    scim_schema: Option<&str>,
    paths: &Paths,
) -> TokenStream {
    let name = ident(&def.name);
    let runtime = &paths.runtime;
    let label = &def.name;
    let schema = scim_schema.map(|urn| quote!(.schema(#urn)));
    let extensions: Vec<&str> = fields
        .iter()
        .filter(|f| f.extension)
        .map(|f| f.wire_name.as_str())
        .collect();
    let extensions = (!extensions.is_empty()).then(|| quote!(.extensions(&[#(#extensions),*])));
    let read_only: Vec<&str> = fields
        .iter()
        .filter(|f| f.read_only)
        .map(|f| f.wire_name.as_str())
        .collect();
    let read_only = (!read_only.is_empty()).then(|| quote!(.read_only(&[#(#read_only),*])));
    quote! {
        impl #runtime::Model for #name {
            const INFO: #runtime::ModelInfo = #runtime::ModelInfo::new(#label)
                #schema
                #extensions
                #read_only;
        }
    }
}

/// What happens to the struct when it is sent, when that is more than
/// serialising it.
fn request_body_doc(fields: &[Field], scim_schema: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(urn) = scim_schema {
        out.push(format!(
            "Sent as a request body, `schemas` lists `{urn}` and the URN of every extension \
             present, unless the value already lists them."
        ));
    }
    let read_only: Vec<String> = fields
        .iter()
        .filter(|f| f.read_only)
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    if !read_only.is_empty() {
        out.push(format!(
            "Read-only attributes ({}) are left out of request bodies: the server sets them.",
            read_only.join(", ")
        ));
    }
    out
}

fn field_def(f: &Field) -> TokenStream {
    let fname = ident(&f.rust_name);
    let wire = &f.wire_name;
    let ty = rust_type(&f.ty, &TokenStream::new());
    let docs = field_doc(f);
    quote! {
        #docs
        #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
        pub #fname: Option<#ty>,
    }
}

/// `new(required…)`: every required attribute is an argument.
fn constructor(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let fname = ident(&f.rust_name);
        match f.ty {
            TypeRef::String | TypeRef::DateTime => quote!(#fname: impl Into<String>),
            _ => {
                let ty = rust_type(&f.ty, &TokenStream::new());
                quote!(#fname: #ty)
            }
        }
    });
    let inits = fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        match (f.required, &f.ty) {
            (true, TypeRef::String | TypeRef::DateTime) => quote!(#fname: Some(#fname.into())),
            (true, _) => quote!(#fname: Some(#fname)),
            (false, _) => quote!(#fname: None),
        }
    });
    let text = if required.is_empty() {
        format!(
            "Creates an empty `{}`; set the attributes you need on the result.",
            def.name
        )
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.wire_name))
            .collect();
        format!(
            "Creates a `{}` from its required attributes ({}); every optional attribute starts unset.",
            def.name,
            names.join(", ")
        )
    };
    let docs = doc_lines(&text);
    let catch_all = ident(CATCH_ALL_FIELD);
    quote! {
        #docs
        pub fn new(#(#params),*) -> Self {
            Self {
                #(#inits,)*
                #catch_all: ::serde_json::Map::new(),
            }
        }
    }
}

/// `with_x(value)`, for building values in one expression.
fn setter(f: &Field) -> TokenStream {
    let fname = ident(&f.rust_name);
    let setter = ident(&format!("with_{}", f.rust_name.trim_end_matches('_')));
    let docs = doc_lines(&format!(
        "Sets `{}` and returns `self`, for building values in one expression.",
        f.wire_name
    ));
    let (arg, conv) = match f.ty {
        TypeRef::String | TypeRef::DateTime => (quote!(impl Into<String>), quote!(value.into())),
        _ => (rust_type(&f.ty, &TokenStream::new()), quote!(value)),
    };
    quote! {
        #docs
        pub fn #setter(mut self, value: #arg) -> Self {
            self.#fname = Some(#conv);
            self
        }
    }
}

/// A `Debug` that shows sensitive fields as `<redacted>`.
fn redacting_debug(name: &Ident, fields: &[Field]) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let label = &f.rust_name;
        if f.sensitive {
            quote!(.field(#label, &self.#fname.as_ref().map(|_| "<redacted>")))
        } else {
            quote!(.field(#label, &self.#fname))
        }
    });
    let catch_all = ident(CATCH_ALL_FIELD);
    let catch_all_label = CATCH_ALL_FIELD;
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!(#name))
                    #(#entries)*
                    .field(#catch_all_label, &self.#catch_all)
                    .finish()
            }
        }
    }
}

fn emit_enum(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = ident(&def.name);
    let variant_defs = variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let vdoc = doc_lines(&format!("`{}`", v.wire_value));
        quote!(#vdoc #vname,)
    });
    let to_str = variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(Self::#vname => #wire,)
    });
    let from_str = variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(#wire => Self::#vname,)
    });
    let values = variants.iter().map(|v| &v.wire_value);
    let docs = doc(
        &[def.description.as_deref()],
        &[format!(
            "Values of `{}`. A value not listed here is kept in `{CATCH_ALL_VARIANT}` and sent back unchanged.",
            def.origin
        )],
    );
    let unknown = ident(CATCH_ALL_VARIANT);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_defs)*
            /// A value this version of the SDK does not know, kept verbatim.
            #unknown(String),
        }

        impl #name {
            /// Every value the API document lists, in document order.
            pub const KNOWN_VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#unknown(other) => other,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            // Not `Self::Err`: a variant named `Err` would make that ambiguous.
            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}
