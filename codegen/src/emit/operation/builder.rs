//! The request builder: its struct, one setter per optional parameter, the
//! operation's static description and `send`.

use super::params::{OpParams, param_arg, param_doc, param_type};
use crate::emit::docs::{doc, doc_lines};
use crate::emit::paths::Paths;
use crate::emit::types::{ident, rust_type};
use crate::ir::{HttpMethod, Operation, ParamType};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The builder struct with its docs.
pub(super) fn builder_struct(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> TokenStream {
    let builder = ident(&op.builder_name);
    let runtime = &paths.runtime;
    let mut fields: Vec<TokenStream> = params
        .stored
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = param_type(p.ty);
            if p.required {
                quote!(#name: #ty)
            } else {
                quote!(#name: Option<#ty>)
            }
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, &paths.models);
        fields.push(if body.required {
            quote!(body: #ty)
        } else {
            quote!(body: Option<#ty>)
        });
    }
    let docs = doc_lines(&format!(
        "Request builder for [`Client::{m}`]({c}::{m}): set optional parameters, then call [`send`](Self::send).",
        m = op.method_name,
        c = paths.client_doc,
    ));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is called"]
        pub struct #builder {
            client: #runtime::Client,
            #(#fields,)*
        }
    }
}

/// `impl Builder { INFO, setters, send, send_with_response }`.
pub(super) fn builder_impl(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> TokenStream {
    let builder = ident(&op.builder_name);
    let runtime = &paths.runtime;
    let info = operation_info(op, paths);
    let setters = setters(op, params, paths);
    let output = output_type(op, paths);
    let rt = &paths.runtime_doc;
    let read_back = op.read_back.as_ref().map_or_else(String::new, |get| {
        format!(
            "\n\nOn 204 No Content the resource is read back with a GET of the same path \
             ([`{get}`]); an error of that GET names its operation, and the change has \
             been applied by then."
        )
    });
    let send_doc = doc_lines(&format!(
        "Sends the request and decodes the answer.{read_back}\n\n# Errors\n[`Error::Http`]({rt}::Error::Http) for an error status, and the other\n[`Error`]({rt}::Error) variants for transport, time-out and decoding failures."
    ));
    quote! {
        impl #builder {
            #info

            #(#setters)*

            #send_doc
            pub fn send(self) -> Result<#output, #runtime::Error> {
                <Self as #runtime::Operation>::send(self)
            }

            /// Like [`send`](Self::send), also returning the status and headers
            /// (`ETag`, `ININ-Correlation-Id`).
            ///
            /// # Errors
            /// As for [`send`](Self::send).
            pub fn send_with_response(self) -> Result<#runtime::Response<#output>, #runtime::Error> {
                <Self as #runtime::Operation>::send_with_response(self)
            }
        }
    }
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
fn method_variant(method: HttpMethod) -> Ident {
    ident(match method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
    })
}

fn operation_info(op: &Operation, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let id = &op.id;
    let path = &op.path;
    let method = method_variant(op.http_method);
    let content_type = match &op.body {
        Some(b) => {
            let ct = &b.content_type;
            quote!(Some(#ct))
        }
        None => quote!(None),
    };
    let docs = doc_lines(&format!("Static description of the `{id}` operation."));
    let read_back = op.read_back.as_ref().map(|get| {
        let get = ident(get);
        quote!(.read_back_on_no_content(&super::#get::INFO))
    });
    quote! {
        #docs
        pub const INFO: #runtime::OperationInfo =
            #runtime::OperationInfo::new(#id, #runtime::Method::#method, #path, #content_type)
                #read_back;
    }
}

fn setters(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> Vec<TokenStream> {
    let mut setters: Vec<TokenStream> = params
        .optional
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let (ty, conv) = param_arg(p, paths);
            // An entity tag converts to an `Option` itself: `None` unsets it.
            let value = match p.ty {
                ParamType::ETag => conv,
                _ => quote!(Some(#conv)),
            };
            let docs = doc_lines(&param_doc(p));
            quote! {
                #docs
                pub fn #name(mut self, #name: #ty) -> Self {
                    self.#name = #value;
                    self
                }
            }
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let ty = rust_type(&body.ty, &paths.models);
        let docs = doc(
            &[body.description.as_deref()],
            &["The request body.".into()],
        );
        setters.push(quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.body = Some(body);
                self
            }
        });
    }
    if op.is_conditional() {
        setters.push(if_none_match(op, paths));
    }
    setters
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
    let docs = doc_lines(&text);
    quote! {
        #docs
        pub fn #name(self, etag: impl #runtime::IntoETag) -> #runtime::IfNoneMatch<Self> {
            #runtime::IfNoneMatch::new(self, etag)
        }
    }
}
