//! `into_pages`/`into_items` and `impl Paginated` for list operations, one
//! emitter per paging style.

use crate::emit::docs::doc_attrs;
use crate::emit::paths::Paths;
use crate::emit::types::{doc_type, ident, rust_type};
use crate::ir::{IntField, Operation, Pagination, ParamType, StartIndexPaging, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The paging items of `op`, if it pages.
pub(super) fn paging(op: &Operation, paths: &Paths) -> TokenStream {
    match &op.pagination {
        Some(Pagination::StartIndex(pg)) => start_index(op, pg, paths),
        None => TokenStream::new(),
    }
}

fn start_index(op: &Operation, pg: &StartIndexPaging, paths: &Paths) -> TokenStream {
    let builder = ident(&op.builder_name);
    let runtime = &paths.runtime;
    let start = ident(&pg.start_param);
    let (widen, narrow) = match pg.start_type {
        ParamType::I32 => (
            quote!(self.#start.map(i64::from)),
            quote!(i32::try_from(start_index).unwrap_or(i32::MAX)),
        ),
        _ => (quote!(self.#start), quote!(start_index)),
    };
    let iterators = iterators(&builder, pg, paths);
    let item = rust_type(&pg.item_type, &paths.models);
    let items = ident(&pg.items_field);
    let total = option_i64(&pg.total_field);
    let echoed_start = pg
        .echoed_start_field
        .as_ref()
        .map_or_else(|| quote!(None), option_i64);
    quote! {
        #iterators

        impl #runtime::Paginated for #builder {
            type Item = #item;

            fn start_index(&self) -> Option<i64> {
                #widen
            }

            fn with_start_index(mut self, start_index: i64) -> Self {
                self.#start = Some(#narrow);
                self
            }

            fn into_page(page: Self::Output) -> #runtime::Page<Self::Item> {
                #runtime::Page::new(page.#items.unwrap_or_default(), #total, #echoed_start)
            }
        }
    }
}

/// `into_pages` and `into_items` on the builder.
fn iterators(builder: &proc_macro2::Ident, pg: &StartIndexPaging, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let pages_doc = doc_attrs(&format!(
        "Iterates over the pages of the list, starting at `{}` (default 1) and \
         asking for `count` items per page, until `totalResults` is reached. \
         Each page is one request.",
        pg.start_param
    ));
    let items_doc = doc_attrs(&format!(
        "Iterates over every `{}` of the list across pages, fetching the next page when needed. \
         An error ends the iteration after it is yielded.",
        doc_type(&pg.item_type)
    ));
    quote! {
        impl #builder {
            #pages_doc
            pub fn into_pages(self) -> #runtime::Pages<Self> {
                #runtime::Pages::new(self)
            }

            #items_doc
            pub fn into_items(self) -> #runtime::Items<Self> {
                #runtime::Items::new(self)
            }
        }
    }
}

/// `page.field` as an `Option<i64>`.
fn option_i64(field: &IntField) -> TokenStream {
    let name = ident(&field.rust_name);
    if field.ty == TypeRef::I64 {
        quote!(page.#name)
    } else {
        quote!(page.#name.map(i64::from))
    }
}
