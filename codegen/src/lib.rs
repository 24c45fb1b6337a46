//! The scim-sdk code generator.
//!
//! The pipeline has three stages, each in its own module:
//! 1. [`parse`]: JSON text → `openapiv3::OpenAPI`;
//! 2. [`lower()`]: document → [`ir::Api`] (references resolved, Rust names
//!    chosen by [`naming`], unsupported constructs refused with a JSON pointer);
//! 3. [`emit::render`]: IR → formatted Rust files with a do-not-edit header.
//!
//! [`generate`] runs all three; [`generate_each`] hands each file out as
//! soon as it is rendered (files are rendered on several threads). Output is
//! deterministic: the same document always yields byte-identical files.
#![forbid(unsafe_code)]

mod duplicate_keys;
pub mod emit;
mod error;
pub mod ir;
mod lower;
pub mod naming;
mod settings;
mod surface;

pub use emit::{GeneratedFile, StageTimes};
pub use error::Error;
pub use lower::{RUST_NAMES_EXTENSION, SCIM_SCHEMA_EXTENSION, lower};
pub use settings::{Runtime, Settings};
pub use surface::surface;

/// Parses an OpenAPI 3.0 document from JSON text.
///
/// # Errors
/// [`Error::Parse`] when the text is not a valid OpenAPI 3.0 document.
pub fn parse(json: &str) -> Result<openapiv3::OpenAPI, Error> {
    duplicate_keys::check(json).map_err(|e| Error::Parse {
        message: e.to_string(),
    })?;
    let doc: openapiv3::OpenAPI = serde_json::from_str(json).map_err(|e| Error::Parse {
        message: e.to_string(),
    })?;
    if !doc.openapi.starts_with("3.0") {
        return Err(Error::Parse {
            message: format!(
                "expected an OpenAPI 3.0.x document, found version `{}`",
                doc.openapi
            ),
        });
    }
    Ok(doc)
}

/// Parses, lowers and renders a document.
///
/// # Errors
/// Any [`Error`] of the three stages.
pub fn generate(json: &str, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    generate_timed(json, settings).map(|(files, _)| files)
}

/// [`generate`], also telling how long each stage took.
///
/// # Errors
/// As for [`generate`].
pub fn generate_timed(
    json: &str,
    settings: &Settings,
) -> Result<(Vec<GeneratedFile>, StageTimes), Error> {
    let mut times = StageTimes::default();
    let (doc, api) = parse_and_lower(json, &mut times)?;
    let files = emit::render_timed(&api, settings, &mut times)?;
    drop(doc);
    Ok((files, times))
}

/// Parses, lowers and renders a document, handing each file to `each` as
/// soon as it is rendered, on the thread that rendered it (in no particular
/// order), so that writing overlaps rendering and no file is kept longer
/// than needed. Returns how long each stage took.
///
/// ```
/// use std::sync::Mutex;
/// let json = std::fs::read_to_string("../spec/genesys-scim.openapi.json").unwrap();
/// let settings = scim_codegen::Settings::new("spec/genesys-scim.openapi.json");
/// let paths = Mutex::new(Vec::new());
/// scim_codegen::generate_each(&json, &settings, &|file| {
///     paths.lock().unwrap().push(file.path); // or write file.contents
///     Ok(())
/// })?;
/// assert!(paths.lock().unwrap().contains(&"models/scim_v2_user.rs".to_owned()));
/// # Ok::<(), scim_codegen::Error>(())
/// ```
///
/// # Errors
/// As for [`generate`]; [`Error::Output`] when `each` fails, which stops
/// the rendering.
pub fn generate_each(
    json: &str,
    settings: &Settings,
    each: &(dyn Fn(GeneratedFile) -> Result<(), String> + Sync),
) -> Result<StageTimes, Error> {
    let mut times = StageTimes::default();
    let (doc, api) = parse_and_lower(json, &mut times)?;
    emit::render_each(&api, settings, &mut times, each)?;
    drop(doc);
    Ok(times)
}

/// The document and its IR. The caller frees the document only after
/// rendering: freeing its many small allocations first leaves the
/// allocator's heap fragmented under the rendering, which then runs about a
/// third slower on a large spec (N=200 of the `codegen` bench).
fn parse_and_lower(
    json: &str,
    times: &mut StageTimes,
) -> Result<(openapiv3::OpenAPI, ir::Api), Error> {
    let started = std::time::Instant::now();
    let doc = parse(json)?;
    let parsed = std::time::Instant::now();
    let api = lower(&doc)?;
    times.parse = parsed - started;
    times.lower = parsed.elapsed();
    Ok((doc, api))
}
