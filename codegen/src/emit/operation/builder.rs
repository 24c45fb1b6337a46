//! The request builder: its struct, one setter per optional parameter, the
//! operation's static description and `send`.

use super::params::{OpParams, param_arg, param_doc, param_type};
use crate::emit::docs::{doc, doc_attrs};
use crate::emit::paths::Paths;
use crate::emit::types::{ident, rust_type};
use crate::ir::{HttpMethod, Operation, ParamType};
use proc_macro2::TokenStream;
use quote::quote;

/// The builder struct with its docs: the client, then one field per stored
/// parameter (an `Option` unless it is required), then the body.
pub(super) fn builder_struct(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> TokenStream {
    let docs = doc_attrs(&format!(
        "Request builder for [`Client::{m}`]({c}::{m}): set optional parameters, then call [`send`](Self::send).",
        m = op.method_name,
        c = paths.client_doc,
    ));
    let runtime = &paths.runtime;
    let builder = ident(&op.builder_name);
    let param_names = params.stored.iter().map(|p| ident(&p.rust_name));
    let param_types = params.stored.iter().map(|p| {
        let ty = param_type(p.ty);
        if p.required { ty } else { quote!(Option<#ty>) }
    });
    let body = op.body.as_ref().map(|body| {
        let ty = rust_type(&body.ty, &paths.models);
        if body.required {
            quote!(body: #ty,)
        } else {
            quote!(body: Option<#ty>,)
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is called"]
        pub struct #builder {
            client: #runtime::Client,
            #(#param_names: #param_types,)*
            #body
        }
    }
}

/// `impl Builder { INFO, setters, send, send_with_response }`.
pub(super) fn builder_impl(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let builder = ident(&op.builder_name);
    let output = output_type(op, paths);
    let info = operation_info(op, paths);
    let setters = setters(op, params, paths);
    let send = send_fn("send", &send_doc(op, paths), &output, paths);
    let doc = "Like [`send`](Self::send), also returning the status and headers\n\
               (`ETag`, `ININ-Correlation-Id`).\n\n\
               # Errors\n\
               As for [`send`](Self::send).";
    let ok = quote!(#runtime::Response<#output>);
    let send_with_response = send_fn("send_with_response", doc, &ok, paths);
    quote! {
        impl #builder {
            #info
            #setters
            #send
            #send_with_response
        }
    }
}

/// `pub fn {name}(self) -> Result<{ok}, Error>`, calling the runtime's
/// `Operation` method of the same name.
fn send_fn(name: &str, doc: &str, ok: &TokenStream, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let docs = doc_attrs(doc);
    let name = ident(name);
    quote! {
        #docs
        pub fn #name(self) -> Result<#ok, #runtime::Error> {
            <Self as #runtime::Operation>::#name(self)
        }
    }
}

fn send_doc(op: &Operation, paths: &Paths) -> String {
    let rt = &paths.runtime_doc;
    let read_back = op.read_back.as_ref().map_or_else(String::new, |get| {
        format!(
            "\n\nOn 204 No Content the resource is read back with a GET of the same path \
             ([`{get}`]); an error of that GET names its operation, and the change has \
             been applied by then."
        )
    });
    format!(
        "Sends the request and decodes the answer.{read_back}\n\n# Errors\n[`Error::Http`]({rt}::Error::Http) for an error status, and the other\n[`Error`]({rt}::Error) variants for transport, time-out and decoding failures."
    )
}

/// The decoded success type: the success body, or `()`.
pub(super) fn output_type(op: &Operation, paths: &Paths) -> TokenStream {
    match op.success_type() {
        Some(ty) => rust_type(ty, &paths.models),
        None => quote!(()),
    }
}

/// The runtime's `Method` variant for an IR method. Exhaustive on purpose: a
/// method added to the IR must be mapped here before anything compiles.
fn method_variant(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
    }
}

fn operation_info(op: &Operation, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let content_type = match &op.body {
        Some(b) => {
            let ct = &b.content_type;
            quote!(Some(#ct))
        }
        None => quote!(None),
    };
    let (id, path) = (&op.id, &op.path);
    let method = ident(method_variant(op.http_method));
    let mut info = quote! {
        #runtime::OperationInfo::new(#id, #runtime::Method::#method, #path, #content_type)
    };
    if let Some(get) = &op.read_back {
        let get = ident(get);
        info = quote!(#info.read_back_on_no_content(&super::#get::INFO));
    }
    let docs = doc_attrs(&format!("Static description of the `{}` operation.", op.id));
    quote! {
        #docs
        pub const INFO: #runtime::OperationInfo = #info;
    }
}

/// One method per optional parameter, the body's setter when the body is
/// optional, and `if_none_match` for a conditional operation.
fn setters(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let param_setters = params.optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        let (ty, conv) = param_arg(p, paths);
        let docs = doc_attrs(&param_doc(p));
        // An entity tag converts to an `Option` itself: `None` unsets it.
        let set = match p.ty {
            ParamType::ETag => quote!(self.#name = #runtime::IntoETag::into_etag(#name);),
            _ => quote!(self.#name = Some(#conv);),
        };
        quote! {
            #docs
            pub fn #name(mut self, #name: #ty) -> Self {
                #set
                self
            }
        }
    });
    let body = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let ty = rust_type(&body.ty, &paths.models);
        let docs = doc_attrs(&doc(
            &[body.description.as_deref()],
            &["The request body.".into()],
        ));
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });
    let conditional = op.is_conditional().then(|| if_none_match(op, paths));
    quote! {
        #(#param_setters)*
        #body
        #conditional
    }
}

/// The setter that turns the builder into a conditional request.
fn if_none_match(op: &Operation, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let rt = &paths.runtime_doc;
    let p = op.params.iter().find(|p| p.is_if_none_match());
    // Named after the header parameter, whose name lowering kept distinct.
    let name = ident(p.map_or("if_none_match", |p| p.rust_name.as_str()));
    let mut text = p.map(param_doc).unwrap_or_default();
    text.push_str(&format!(
        "\n\nReturns an [`IfNoneMatch`]({rt}::IfNoneMatch) whose `send()` yields \
         [`Conditional::NotModified`]({rt}::Conditional::NotModified) on 304 instead of a body. \
         Set the other options first."
    ));
    let docs = doc_attrs(&text);
    quote! {
        #docs
        pub fn #name(self, etag: impl #runtime::IntoETag) -> #runtime::IfNoneMatch<Self> {
            #runtime::IfNoneMatch::new(self, etag)
        }
    }
}
