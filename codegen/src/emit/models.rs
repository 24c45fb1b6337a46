//! Emits the models files: one serde struct per object schema, and the
//! string enums it declares (see `enums`).

use super::docs::{doc, doc_attrs};
use super::paths::Paths;
use super::types::{ident, rust_type};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef};
use crate::naming::CATCH_ALL_FIELD;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// One models file: its types, importing the models they refer to from
/// the sibling files.
pub(crate) fn emit_file(types: &[&TypeDef], paths: &Paths) -> TokenStream {
    let imports = sibling_imports(types);
    let items = types
        .iter()
        .map(|def| match (&def.kind, def.list_response_item()) {
            (TypeKind::Struct { .. }, Some(item)) => list_response(def, item, paths),
            (
                TypeKind::Struct {
                    fields,
                    scim_schema,
                },
                None,
            ) => emit_struct(def, fields, scim_schema.as_deref(), paths),
            (TypeKind::Enum { variants }, _) => super::enums::emit_enum(def, variants, paths),
        });
    // Only structs derive serde's traits: `open_enum!` and `ListResponse`
    // name them themselves.
    let serde = types
        .iter()
        .any(|def| {
            matches!(def.kind, TypeKind::Struct { .. }) && def.list_response_item().is_none()
        })
        .then(|| {
            quote!(
                use serde::{Deserialize, Serialize};
            )
        });
    quote! {
        #serde
        #imports
        #(#items)*
    }
}

/// `use super::{A, B};` for the named types the fields of `types` use and
/// that the file does not define.
fn sibling_imports(types: &[&TypeDef]) -> TokenStream {
    let mut used = BTreeSet::new();
    for def in types {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            used.extend(fields.iter().filter_map(|f| named(&f.ty)));
        }
    }
    for def in types {
        used.remove(def.name.as_str());
    }
    let names: Vec<&str> = used.into_iter().collect();
    super::modules::use_list(&quote!(use super::), &names)
}

/// The named type inside `ty`, if any.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::List(inner) => named(inner),
        _ => None,
    }
}

fn field_doc(field: &Field) -> String {
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
    let mut derives = Vec::with_capacity(6);
    if !has_sensitive {
        derives.push("Debug");
    }
    derives.extend(["Clone", "PartialEq", "Serialize", "Deserialize"]);
    if !fields.iter().any(|f| f.required) {
        derives.push("Default");
    }
    let derives = derives.into_iter().map(ident);
    let mut extra = vec![format!("Schema `{}`.", def.origin)];
    extra.extend(request_body_doc(fields, scim_schema));
    let docs = doc_attrs(&doc(&[def.description.as_deref()], &extra));
    let field_defs = fields.iter().map(field_def);
    let constructor = constructor(def, fields);
    let setters = fields.iter().filter(|f| !f.read_only).map(setter);
    let debug = has_sensitive.then(|| redacting_debug(&name, fields));
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

        #debug
        #model_impl
    }
}

/// A list response: the runtime's generic `ListResponse` of its item.
fn list_response(def: &TypeDef, item: &TypeRef, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let name = ident(&def.name);
    let item_type = rust_type(item, &TokenStream::new());
    let extra = [format!(
        "Schema `{}`, a [`ListResponse`]({}::ListResponse) of `{}`.",
        def.origin,
        paths.runtime_doc,
        super::types::doc_type(item)
    )];
    let docs = doc_attrs(&doc(&[def.description.as_deref()], &extra));
    quote! {
        #docs
        pub type #name = #runtime::ListResponse<#item_type>;
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
    let runtime = &paths.runtime;
    let name = ident(&def.name);
    let name_lit = &def.name;
    let mut info = quote!(#runtime::ModelInfo::new(#name_lit));
    if let Some(urn) = scim_schema {
        info = quote!(#info.schema(#urn));
    }
    let keys = |pick: fn(&Field) -> bool| -> Vec<&str> {
        fields
            .iter()
            .filter(|f| pick(f))
            .map(|f| f.wire_name.as_str())
            .collect()
    };
    for (method, keys) in [
        ("extensions", keys(|f| f.extension)),
        ("read_only", keys(|f| f.read_only)),
    ] {
        if !keys.is_empty() {
            let method = ident(method);
            info = quote!(#info.#method(&[#(#keys),*]));
        }
    }
    quote! {
        impl #runtime::Model for #name {
            const INFO: #runtime::ModelInfo = #info;
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
    let docs = doc_attrs(&field_doc(f));
    let wire = &f.wire_name;
    let name = ident(&f.rust_name);
    let ty = rust_type(&f.ty, &TokenStream::new());
    quote! {
        #docs
        #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
        pub #name: Option<#ty>,
    }
}

/// `new(required…)`: every required attribute is an argument.
fn constructor(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let (name, ty) = (ident(&f.rust_name), field_arg(f));
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|f| {
        let name = ident(&f.rust_name);
        match (f.required, takes_into(f)) {
            (true, true) => quote!(#name: Some(#name.into())),
            (true, false) => quote!(#name: Some(#name)),
            (false, _) => quote!(#name: None),
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
    let docs = doc_attrs(&text);
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

/// Whether the constructor and setter take `f` as `impl Into<String>`,
/// converting it with `.into()`.
fn takes_into(f: &Field) -> bool {
    matches!(f.ty, TypeRef::String | TypeRef::DateTime)
}

/// The argument type the constructor and setter take for `f`.
fn field_arg(f: &Field) -> TokenStream {
    if takes_into(f) {
        quote!(impl Into<String>)
    } else {
        rust_type(&f.ty, &TokenStream::new())
    }
}

/// `with_x(value)`, for building values in one expression.
fn setter(f: &Field) -> TokenStream {
    let docs = doc_attrs(&format!(
        "Sets `{}` and returns `self`, for building values in one expression.",
        f.wire_name
    ));
    let name = ident(&f.rust_name);
    let setter = format_ident!("with_{}", f.rust_name.trim_end_matches('_'));
    let conv = if takes_into(f) {
        quote!(value.into())
    } else {
        quote!(value)
    };
    let arg = field_arg(f);
    quote! {
        #docs
        #[must_use]
        pub fn #setter(mut self, value: #arg) -> Self {
            self.#name = Some(#conv);
            self
        }
    }
}

/// A `Debug` that shows sensitive fields as `<redacted>`.
fn redacting_debug(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let calls = fields.iter().map(|f| {
        let (label, field) = (&f.rust_name, ident(&f.rust_name));
        if f.sensitive {
            quote!(.field(#label, &self.#field.as_ref().map(|_| "<redacted>")))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let catch_all = ident(CATCH_ALL_FIELD);
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!(#name))
                    #(#calls)*
                    .field(#CATCH_ALL_FIELD, &self.#catch_all)
                    .finish()
            }
        }
    }
}
