//! `into_pages`/`into_items` and `impl Paginated` for list operations, one
//! emitter per paging style.

use crate::emit::layout::Container;
use crate::emit::paths::Paths;
use crate::emit::types::{doc_type, rust_type};
use crate::emit::writer::Writer;
use crate::ir::{IntField, Operation, Pagination, ParamType, StartIndexPaging, TypeRef};

/// The paging items of `op`, if it pages.
pub(super) fn paging(w: &mut Writer, op: &Operation, paths: &Paths) {
    match &op.pagination {
        Some(Pagination::StartIndex(pg)) => start_index(w, op, pg, paths),
        None => {}
    }
}

fn start_index(w: &mut Writer, op: &Operation, pg: &StartIndexPaging, paths: &Paths) {
    let builder = &op.builder_name;
    let runtime = &paths.runtime;
    let start = &pg.start_param;
    let (widen, narrow) = match pg.start_type {
        ParamType::I32 => (
            format!("self.{start}.map(i64::from)"),
            "i32::try_from(start_index).unwrap_or(i32::MAX)",
        ),
        _ => (format!("self.{start}"), "start_index"),
    };
    w.unit(Container::File, |w| iterators(w, builder, pg, paths));
    let paginated = format_args!("impl {runtime}::Paginated for {builder} {{");
    w.block_item(paginated, |w| {
        w.unit(Container::Impl, |w| {
            let item = rust_type(&pg.item_type, &paths.models);
            w.line_fmt(format_args!("type Item = {item};"));
        });
        w.unit(Container::Impl, |w| {
            w.simple_fn(
                format_args!("fn start_index(&self) -> Option<i64> {{"),
                &[&widen],
            );
        });
        w.unit(Container::Impl, |w| {
            let set = format!("self.{start} = Some({narrow});");
            w.simple_fn(
                format_args!("fn with_start_index(mut self, start_index: i64) -> Self {{"),
                &[&set, "self"],
            );
        });
        w.unit(Container::Impl, |w| {
            w.open(format_args!(
                "fn into_page(page: Self::Output) -> {runtime}::Page<Self::Item> {{"
            ));
            let args = [
                format!("page.{}.unwrap_or_default()", pg.items_field),
                option_i64(&pg.total_field),
                pg.echoed_start_field
                    .as_ref()
                    .map_or_else(|| "None".to_owned(), option_i64),
            ];
            w.list(&format!("{runtime}::Page::new("), &args, ")", true);
            w.close("}");
        });
    });
}

/// `into_pages` and `into_items` on the builder.
fn iterators(w: &mut Writer, builder: &str, pg: &StartIndexPaging, paths: &Paths) {
    let runtime = &paths.runtime;
    let item_doc = doc_type(&pg.item_type);
    w.open(format_args!("impl {builder} {{"));
    w.unit(Container::Impl, |w| {
        w.doc(&format!(
            "Iterates over the pages of the list, starting at `{}` (default 1) and \
             asking for `count` items per page, until `totalResults` is reached. \
             Each page is one request.",
            pg.start_param
        ));
        w.open(format_args!(
            "pub fn into_pages(self) -> {runtime}::Pages<Self> {{"
        ));
        w.line_fmt(format_args!("{runtime}::Pages::new(self)"));
        w.close("}");
    });
    w.unit(Container::Impl, |w| {
        w.doc(&format!(
            "Iterates over every `{item_doc}` of the list across pages, fetching the next page when needed. \
             An error ends the iteration after it is yielded."
        ));
        w.open(format_args!(
            "pub fn into_items(self) -> {runtime}::Items<Self> {{"
        ));
        w.line_fmt(format_args!("{runtime}::Items::new(self)"));
        w.close("}");
    });
    w.close("}");
}

/// `page.field` as an `Option<i64>`.
fn option_i64(field: &IntField) -> String {
    if field.ty == TypeRef::I64 {
        format!("page.{}", field.rust_name)
    } else {
        format!("page.{}.map(i64::from)", field.rust_name)
    }
}
