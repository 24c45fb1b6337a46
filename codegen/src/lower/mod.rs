//! Lowering: OpenAPI document → [`ir::Api`](crate::ir::Api).
//!
//! Resolves references, chooses Rust names (through [`crate::naming`]) and
//! refuses, with a JSON pointer, anything the emitters could not express.
//! Each step lives in its own module; they share only a [`context::Context`].

mod context;
mod operations;
mod paging;
mod params;
mod read_back;
mod schemas;
mod types;

pub use schemas::{RUST_NAMES_EXTENSION, SCIM_SCHEMA_EXTENSION};

use crate::error::Error;
use crate::ir::{Api, Operation, Tag};
use openapiv3::OpenAPI;
use std::collections::HashSet;

/// Lowers a parsed document into the IR.
///
/// # Errors
/// [`Error::Unsupported`] naming the JSON pointer of the first construct
/// that cannot be generated.
pub fn lower(doc: &OpenAPI) -> Result<Api, Error> {
    let mut cx = context::Context::new(doc);
    schemas::lower_schemas(&mut cx)?;
    let mut operations = operations::lower_operations(&mut cx)?;
    read_back::link_read_backs(&mut operations)?;
    for op in &mut operations {
        op.pagination = paging::pagination(op, &cx.types);
    }
    Ok(Api {
        title: doc.info.title.clone(),
        tags: tags(doc, &operations),
        operations,
        types: cx.types.into_values().collect(),
    })
}

/// Declared tags in document order, then tags operations use undeclared.
fn tags(doc: &OpenAPI, operations: &[Operation]) -> Vec<Tag> {
    let mut tags: Vec<Tag> = doc
        .tags
        .iter()
        .map(|t| Tag {
            name: t.name.clone(),
            description: context::non_empty(&t.description),
        })
        .collect();
    let mut known: HashSet<String> = tags.iter().map(|t| t.name.clone()).collect();
    for name in operations.iter().filter_map(|op| op.tag.as_ref()) {
        if known.insert(name.clone()) {
            tags.push(Tag {
                name: name.clone(),
                description: None,
            });
        }
    }
    tags
}
