//! Emits the operations: for each one, a method on the client taking the
//! required parameters, and a request builder with one method per optional
//! parameter and `send()`. All behaviour lives in the runtime.

mod builder;
mod client_method;
mod paging;
mod params;
mod request;

use super::paths::Paths;
use crate::ir::Operation;
use params::OpParams;
use proc_macro2::TokenStream;
use quote::quote;

/// The items of a list of operations, in order.
pub(crate) fn emit(operations: &[Operation], paths: &Paths) -> TokenStream {
    let items = operations.iter().map(|op| emit_operation(op, paths));
    quote!(#(#items)*)
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
