//! Emits the operations: for each one, a method on the client taking the
//! required parameters, and a request builder with one method per optional
//! parameter and `send()`. All behaviour lives in the runtime.

mod builder;
mod client_method;
mod paging;
mod params;
mod request;

use super::docs::{escape_markdown, inner_doc_attrs};
use super::files::OperationFile;
use super::paths::Paths;
use crate::ir::{Operation, TypeRef};
use params::OpParams;
use proc_macro2::TokenStream;
use quote::quote;

/// One operations file: the operations of one tag, in document order.
pub(crate) fn emit_file(file: &OperationFile<'_>, paths: &Paths) -> TokenStream {
    let docs = match file.tag {
        Some(tag) => {
            let about = tag
                .description
                .as_deref()
                .map(|d| format!(": {}", escape_markdown(d)))
                .unwrap_or_default();
            format!("Operations tagged `{}`{about}", tag.name)
        }
        None => "Operations without a tag.".to_owned(),
    };
    let docs = inner_doc_attrs(&docs);
    let models = file
        .operations
        .iter()
        .any(|op| refers_to_models(op))
        .then(|| {
            quote!(
                use super::super::models;
            )
        });
    let operations = file.operations.iter().map(|op| emit_operation(op, paths));
    quote! {
        #docs
        #models
        #(#operations)*
    }
}

/// Whether the operation's code names a model type.
fn refers_to_models(op: &Operation) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::List(inner) => named(inner),
            _ => false,
        }
    }
    op.body.as_ref().is_some_and(|b| named(&b.ty))
        || op.success_type().is_some_and(named)
        || op.pagination.as_ref().is_some_and(|p| named(p.item_type()))
}

fn emit_operation(op: &Operation, paths: &Paths) -> TokenStream {
    let params = OpParams::new(op);
    let client = &paths.client;
    let method = client_method::client_method(op, &params, paths);
    let builder_struct = builder::builder_struct(op, &params, paths);
    let builder_impl = builder::builder_impl(op, &params, paths);
    let operation_impl = request::operation_impl(op, &params, paths);
    let paging = paging::paging(op, paths);
    quote! {
        impl #client {
            #method
        }
        #builder_struct
        #builder_impl
        #operation_impl
        #paging
    }
}
