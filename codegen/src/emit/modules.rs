//! The `mod.rs` files: the generated root, and the `models` and
//! `operations` modules that re-export their files' items, so that public
//! paths stay `models::X` and `operations::X` whatever file holds `X`.

use super::files::{ModelFile, OperationFile};
use super::layout::Container;
use super::paths::Paths;
use super::writer::Writer;

/// `mod.rs` of the generated root. Outside the runtime crate it also
/// defines the `Client` that carries the operation methods.
pub(crate) fn root_module(w: &mut Writer, paths: &Paths) {
    w.inner_doc("Code generated from the OpenAPI document. See the `xtask` crate.");
    w.line("pub mod models;");
    w.line("pub mod operations;");
    if !paths.in_runtime {
        client_wrapper(w, paths);
    }
}

/// Rust allows inherent methods only on a type of the same crate, so code
/// generated for another crate wraps the runtime's client.
fn client_wrapper(w: &mut Writer, paths: &Paths) {
    let runtime = &paths.runtime;
    w.unit(Container::File, |w| {
        w.doc(&format!(
            "The runtime's [`Client`]({}::Client) with one method per operation of this API. \
             It dereferences to the runtime's client.",
            paths.runtime_doc
        ));
        w.line("#[derive(Debug, Clone)]");
        w.line_fmt(format_args!("pub struct Client(pub {runtime}::Client);"));
    });
    w.block_item(
        format_args!("impl From<{runtime}::Client> for Client {{"),
        |w| {
            w.simple_fn(
                format_args!("fn from(client: {runtime}::Client) -> Self {{"),
                &["Self(client)"],
            );
        },
    );
    w.block_item(format_args!("impl std::ops::Deref for Client {{"), |w| {
        w.line_fmt(format_args!("type Target = {runtime}::Client;"));
        w.simple_fn(
            format_args!("fn deref(&self) -> &Self::Target {{"),
            &["&self.0"],
        );
    });
}

/// `models/mod.rs`.
pub(crate) fn models_module(w: &mut Writer, files: &[ModelFile<'_>]) {
    w.inner_doc(
        "Data types of the API, one file per schema of the OpenAPI document.\n\n\
         Every struct keeps unknown attributes in `additional_properties` and\n\
         every enum keeps unknown values in `Unknown`, so data this SDK does not\n\
         know survives a read-modify-write cycle.",
    );
    let files: Vec<(&str, Vec<&str>)> = files
        .iter()
        .map(|f| {
            let names = f.types.iter().map(|t| t.name.as_str()).collect();
            (f.module.as_str(), names)
        })
        .collect();
    reexports(w, &files);
}

/// `operations/mod.rs`.
pub(crate) fn operations_module(w: &mut Writer, files: &[OperationFile<'_>]) {
    w.inner_doc(
        "Request builders, one per API operation, and the client methods\n\
         that create them; one file per tag of the OpenAPI document.",
    );
    let files: Vec<(&str, Vec<&str>)> = files
        .iter()
        .map(|f| {
            let names = f.operations.iter().map(|o| o.builder_name.as_str());
            (f.module.as_str(), names.collect())
        })
        .collect();
    reexports(w, &files);
}

/// `mod a; mod b;` then `pub use a::{A1, A2}; pub use b::B;`: private file
/// modules whose items are public one level up.
fn reexports(w: &mut Writer, files: &[(&str, Vec<&str>)]) {
    for (module, _) in files {
        w.unbreakable_line(format_args!("mod {module};"));
    }
    for (module, names) in files {
        use_list(w, &format!("pub use {module}::"), names);
    }
}

/// `{prefix}{A, B};` (or `{prefix}A;` for one name, nothing for none), laid
/// out as prettyplease lays out a `use` group: on one line if it fits, else
/// the names filling lines between the braces.
pub(crate) fn use_list(w: &mut Writer, prefix: &str, names: &[&str]) {
    match names {
        [] => {}
        [one] => w.unbreakable_line(format_args!("{prefix}{one};")),
        _ => w.unit(Container::File, |w| w.fill(prefix, names)),
    }
}
