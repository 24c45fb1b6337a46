//! Emitters: IR → formatted Rust source files.

mod docs;
mod files;
mod format;
mod models;
mod modules;
mod operation;
mod paths;
mod types;

pub(crate) use types::doc_type as types_for_surface;

use crate::Error;
use crate::ir::Api;
use crate::settings::Settings;
use format::format_file;
use paths::Paths;

/// One output file, with its path relative to the generated module's
/// directory (`scim-sdk/src/generated/` for the SDK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the generated module's directory, with `/`
    /// separators, e.g. `models/scim_v2_user.rs`.
    pub path: String,
    /// Complete file contents, header included.
    pub contents: String,
}

/// Renders the generated modules for `api`: the root `mod.rs`, then the
/// models and the operations, each a `mod.rs` and one file per group (see
/// the `files` module for which file holds what).
///
/// # Errors
/// [`Error::Emit`] if the generator produced tokens that do not parse.
pub fn render(api: &Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let source = settings.source.as_str();
    let paths = Paths::new(settings);
    let model_files = files::model_files(api);
    let operation_files = files::operation_files(api);
    let mut out = vec![
        format_file("mod.rs", modules::root_module(&paths), source)?,
        format_file(
            "models/mod.rs",
            modules::models_module(&model_files),
            source,
        )?,
    ];
    for file in &model_files {
        let path = format!("models/{}.rs", file.module);
        out.push(format_file(&path, models::emit_file(&file.types), source)?);
    }
    out.push(format_file(
        "operations/mod.rs",
        modules::operations_module(&operation_files),
        source,
    )?);
    for file in &operation_files {
        let path = format!("operations/{}.rs", file.module);
        let tokens = operation::emit_file(file, &paths);
        out.push(format_file(&path, tokens, source)?);
    }
    Ok(out)
}
