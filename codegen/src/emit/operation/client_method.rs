//! The client method that starts an operation: required parameters (and a
//! required body) are positional, everything optional starts unset.

use super::params::{OpParams, converts, example_arg, param_arg, param_doc};
use crate::emit::docs::{doc, doc_attrs, escape_markdown};
use crate::emit::paths::Paths;
use crate::emit::types::{doc_type, ident, rust_type};
use crate::ir::{Operation, ParamLocation};
use proc_macro2::TokenStream;
use quote::quote;

/// `pub fn get_x(&self, …) -> GetX { … }`, with its docs. The caller wraps
/// it in an `impl` block of the client type.
pub(super) fn client_method(op: &Operation, params: &OpParams<'_>, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &params.required {
        let name = ident(&p.rust_name);
        let (ty, conv) = param_arg(p, paths);
        args.push(quote!(#name: #ty));
        // Field init shorthand when the argument is stored as given.
        inits.push(if converts(p.ty) {
            quote!(#name: #conv)
        } else {
            quote!(#name)
        });
    }
    inits.extend(params.optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote!(#name: None)
    }));
    if let Some(body) = &op.body {
        if body.required {
            let ty = rust_type(&body.ty, &paths.models);
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }
    let docs = doc_attrs(&method_doc(op, params));
    let (method, builder) = (ident(&op.method_name), ident(&op.builder_name));
    // `Client::clone` spelled out so that it also compiles on the wrapper
    // `Client` that code for another crate gets, through `Deref`.
    quote! {
        #docs
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: #runtime::Client::clone(self),
                #(#inits,)*
            }
        }
    }
}

fn method_doc(op: &Operation, params: &OpParams<'_>) -> String {
    let statuses: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
    let mut extra = vec![format!(
        "`{} {}` (operation `{}`). Documented statuses: {}.",
        op.http_method.as_str(),
        op.path,
        op.id,
        statuses.join(", ")
    )];
    let args = arguments_doc(op, params);
    if !args.is_empty() {
        extra.push(format!("# Arguments\n\n{}", args.join("\n")));
    }
    let mut success = match op.success_type() {
        Some(ty) => format!("On success, `send()` returns `{}`.", doc_type(ty)),
        None => "On success (204 No Content), `send()` returns `()`.".into(),
    };
    if let Some(get) = &op.read_back {
        success.push_str(&format!(
            " When the server answers 204 No Content instead, `send()` reads the \
             resource back with a GET of the same path ([`{get}`]) and returns that."
        ));
    }
    extra.push(format!(
        "Optional parameters are methods of the returned [`{}`]; finish with [`send`]({}::send). {success}",
        op.builder_name, op.builder_name
    ));
    extra.push(example(op, params));
    doc(&[op.summary.as_deref(), op.description.as_deref()], &extra)
}

/// One list item per positional argument.
fn arguments_doc(op: &Operation, params: &OpParams<'_>) -> Vec<String> {
    let mut lines: Vec<String> = params
        .required
        .iter()
        .map(|p| format!("- `{}`: {}", p.rust_name, param_doc(p).replace("\n\n", " ")))
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let text = body
            .description
            .as_deref()
            .map(escape_markdown)
            .unwrap_or_default();
        lines.push(format!(
            "- `body`: the `{}` to send. {text}",
            doc_type(&body.ty)
        ));
    }
    lines
}

/// A `no_run` example calling the operation with placeholder arguments and
/// the first optional query parameter.
fn example(op: &Operation, params: &OpParams<'_>) -> String {
    let mut args: Vec<String> = params.required.iter().map(|p| example_arg(p)).collect();
    let mut setup = String::new();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        setup = format!(
            "# let body: scim_sdk::models::{} = unimplemented!();\n",
            doc_type(&body.ty)
        );
        args.push("body".into());
    }
    let optional = params
        .optional
        .iter()
        .find(|p| p.location == ParamLocation::Query)
        .map(|p| format!("\n    .{}({})", p.rust_name, example_arg(p)))
        .unwrap_or_default();
    format!(
        "# Example\n\n```no_run\n# fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {{\n{setup}let result = client\n    .{}({}){optional}\n    .send()?;\n# let _ = result;\n# Ok(())\n# }}\n```",
        op.method_name,
        args.join(", ")
    )
}
