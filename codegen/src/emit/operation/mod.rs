//! Emits the operations: for each one, a method on the client taking the
//! required parameters, and a request builder with one method per optional
//! parameter and `send()`. All behaviour lives in the runtime.

mod builder;
mod client_method;
mod paging;
mod params;
mod request;

use super::docs::escape_markdown;
use super::files::OperationFile;
use super::layout::Container;
use super::paths::Paths;
use super::writer::Writer;
use crate::ir::{Operation, TypeRef};
use params::OpParams;

/// One operations file: the operations of one tag, in document order.
pub(crate) fn emit_file(w: &mut Writer, file: &OperationFile<'_>, paths: &Paths) {
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
    for line in docs.lines() {
        w.doc_line("//!", line);
    }
    if file.operations.iter().any(|op| refers_to_models(op)) {
        w.line("use super::super::models;");
    }
    for op in &file.operations {
        emit_operation(w, op, paths);
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

fn emit_operation(w: &mut Writer, op: &Operation, paths: &Paths) {
    let params = OpParams::new(op);
    w.block_item(format_args!("impl {} {{", paths.client), |w| {
        w.unit(Container::Impl, |w| {
            client_method::client_method(w, op, &params, paths);
        });
    });
    w.unit(Container::File, |w| {
        builder::builder_struct(w, op, &params, paths);
    });
    w.unit(Container::File, |w| {
        builder::builder_impl(w, op, &params, paths);
    });
    w.unit(Container::File, |w| {
        request::operation_impl(w, op, &params, paths);
    });
    paging::paging(w, op, paths);
}
