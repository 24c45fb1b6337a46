//! `Operation::into_parts`: how a builder becomes a runtime `Request`.

use super::builder::output_type;
use super::params::OpParams;
use crate::emit::paths::Paths;
use crate::emit::types::ident;
use crate::ir::{BodyEncoding, Operation, Param, ParamLocation, ParamType};
use proc_macro2::TokenStream;
use quote::quote;

/// `impl Operation for Builder`.
pub(super) fn operation_impl(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let builder = ident(&op.builder_name);
    let output = output_type(op, paths);
    let path_pairs = params
        .stored
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| path_pair(p));
    let adds: Vec<TokenStream> = params
        .stored
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| add_param(p))
        .collect();
    // Only a request that something is added to needs to be mutable.
    let binding = if adds.is_empty() && op.body.is_none() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    let body = op.body.as_ref().map(|b| {
        let encode = ident(match b.encoding {
            BodyEncoding::Model => "model_body",
            BodyEncoding::Json => "json_body",
        });
        if b.required {
            quote!(request.#encode(&self.body)?;)
        } else {
            quote! {
                if let Some(body) = &self.body {
                    request.#encode(body)?;
                }
            }
        }
    });
    quote! {
        impl #runtime::Operation for #builder {
            type Output = #output;

            fn into_parts(self) -> Result<(#runtime::Client, #runtime::Request), #runtime::Error> {
                let #binding = #runtime::Request::new(&Self::INFO, &[#(#path_pairs),*])?;
                #(#adds)*
                #body
                Ok((self.client, request))
            }
        }
    }
}

/// `("userId", value)` for the path template.
fn path_pair(p: &Param) -> TokenStream {
    let (wire, name) = (&p.wire_name, ident(&p.rust_name));
    match p.ty {
        ParamType::String => quote!((#wire, self.#name.as_str())),
        _ => quote!((#wire, self.#name.to_string().as_str())),
    }
}

/// The statement adding one query parameter or header.
fn add_param(p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    let wire = &p.wire_name;
    let value = match (p.required, p.ty) {
        (true, ParamType::String | ParamType::ETag) => quote!(Some(self.#name.as_str())),
        (false, ParamType::String | ParamType::ETag) => quote!(self.#name.as_deref()),
        (true, ParamType::CsvList) => quote!(Some(self.#name.as_slice())),
        (false, ParamType::CsvList) => quote!(self.#name.as_deref()),
        (true, _) => quote!(Some(&self.#name)),
        (false, _) => quote!(self.#name.as_ref()),
    };
    match (p.location, p.ty) {
        (ParamLocation::Query, ParamType::CsvList) => quote!(request.query_csv(#wire, #value);),
        (ParamLocation::Query, ParamType::String) => quote!(request.query(#wire, #value);),
        (ParamLocation::Query, _) => quote!(request.query_display(#wire, #value);),
        (_, ParamType::String | ParamType::ETag) => quote!(request.header(#wire, #value);),
        _ => quote!(request.header(#wire, #value.map(ToString::to_string).as_deref());),
    }
}
