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
pub use format::GeneratedFile;
use format::format_file;
use paths::Paths;
use proc_macro2::TokenStream;
use std::time::{Duration, Instant};

/// Renders the generated modules for `api`: the root `mod.rs`, then the
/// models and the operations, each a `mod.rs` and one file per group (see
/// the `files` module for which file holds what).
///
/// # Errors
/// [`Error::Emit`] if the generator produced tokens that do not parse.
pub fn render(api: &Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    render_timed(api, settings, &mut StageTimes::default())
}

/// [`render`], adding the time spent building tokens to `times.emit` and
/// the time spent formatting them to `times.format`.
///
/// # Errors
/// As for [`render`].
pub fn render_timed(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
) -> Result<Vec<GeneratedFile>, Error> {
    let source = settings.source.as_str();
    let paths = Paths::new(settings);
    let started = Instant::now();
    let model_files = files::model_files(api);
    let operation_files = files::operation_files(api);
    times.emit += started.elapsed();
    let mut out = Vec::new();
    // Each file is formatted as soon as its tokens exist, so only one
    // file's tokens are alive at a time.
    let mut file = |path: String, emit: &dyn Fn() -> TokenStream| -> Result<(), Error> {
        let started = Instant::now();
        let tokens = emit();
        let emitted = Instant::now();
        out.push(format_file(&path, tokens, source)?);
        times.emit += emitted - started;
        times.format += emitted.elapsed();
        Ok(())
    };
    file("mod.rs".into(), &|| modules::root_module(&paths))?;
    file("models/mod.rs".into(), &|| {
        modules::models_module(&model_files)
    })?;
    for f in &model_files {
        file(format!("models/{}.rs", f.module), &|| {
            models::emit_file(&f.types, &paths)
        })?;
    }
    file("operations/mod.rs".into(), &|| {
        modules::operations_module(&operation_files)
    })?;
    for f in &operation_files {
        file(format!("operations/{}.rs", f.module), &|| {
            operation::emit_file(f, &paths)
        })?;
    }
    Ok(out)
}

/// Where [`generate_timed`](crate::generate_timed) spent its time, stage by
/// stage, to guide performance work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// JSON text → OpenAPI document.
    pub parse: Duration,
    /// Document → IR.
    pub lower: Duration,
    /// IR → token streams.
    pub emit: Duration,
    /// Token streams → formatted text (syn parse, prettyplease, spacing).
    pub format: Duration,
}
