//! Emitters: IR → formatted Rust source files.
//!
//! The emitters write text through a `Writer` (in `writer`) that knows
//! prettyplease's layout; files are independent, so they are rendered on
//! several threads.

mod breaks;
mod docs;
mod enums;
mod files;
mod layout;
mod models;
mod modules;
mod operation;
mod parallel;
mod paths;
mod types;
mod writer;

pub(crate) use types::doc_type as types_for_surface;

use crate::Error;
use crate::ir::Api;
use crate::settings::Settings;
use files::{ModelFile, OperationFile};
pub use layout::GeneratedFile;
use parallel::in_parallel;
use paths::Paths;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use writer::{Writer, WriterStats};

/// Renders the generated modules for `api`: the root `mod.rs`, then the
/// models and the operations, each a `mod.rs` and one file per group (see
/// the `files` module for which file holds what).
///
/// # Errors
/// [`Error::Emit`] if the generator wrote code that does not parse.
pub fn render(api: &Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    render_timed(api, settings, &mut StageTimes::default())
}

/// [`render`], recording in `times` how long it took and what prettyplease
/// had to lay out.
///
/// # Errors
/// As for [`render`].
pub fn render_timed(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
) -> Result<Vec<GeneratedFile>, Error> {
    render_collected(api, settings, times, false)
}

/// [`render_timed`]; with `reference`, prettyplease lays out every file, as
/// the generator did before it had its own layout (for tests).
pub(crate) fn render_collected(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
    reference: bool,
) -> Result<Vec<GeneratedFile>, Error> {
    let files = Mutex::new(Vec::new());
    render_jobs(api, settings, times, reference, &|index, file| {
        files.lock().map_err(|e| e.to_string())?.push((index, file));
        Ok(())
    })?;
    let mut files = files.into_inner().map_err(|e| Error::Output {
        file: "(all)".into(),
        message: e.to_string(),
    })?;
    files.sort_unstable_by_key(|(index, _)| *index);
    Ok(files.into_iter().map(|(_, file)| file).collect())
}

/// Renders every file of `api` on several threads, handing each to
/// `each` on the thread that rendered it, as soon as it is ready.
///
/// # Errors
/// [`Error::Emit`] for code that does not parse, [`Error::Output`] when
/// `each` fails (the first failure stops the rendering).
pub fn render_each(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
    each: &(dyn Fn(GeneratedFile) -> Result<(), String> + Sync),
) -> Result<(), Error> {
    render_jobs(api, settings, times, false, &|_, file| each(file))
}

/// Where a rendered file goes: with its index in the deterministic order of
/// the files.
type Sink<'a> = &'a (dyn Fn(usize, GeneratedFile) -> Result<(), String> + Sync);

fn render_jobs(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
    reference: bool,
    each: Sink<'_>,
) -> Result<(), Error> {
    let started = Instant::now();
    let model_files = files::model_files(api);
    let operation_files = files::operation_files(api);
    let mut jobs = vec![Job::Root, Job::ModelsModule(&model_files)];
    jobs.extend(model_files.iter().map(Job::Models));
    jobs.push(Job::OperationsModule(&operation_files));
    jobs.extend(operation_files.iter().map(Job::Operations));
    let paths = Paths::new(settings);
    let render = |index: usize, job: &Job<'_>| -> Result<WriterStats, Error> {
        let (file, stats) = render_job(job, &paths, &settings.source, reference)?;
        let started = Instant::now();
        let path = file.path.clone();
        each(index, file).map_err(|message| Error::Output {
            file: path,
            message,
        })?;
        Ok(WriterStats {
            output_time: started.elapsed(),
            ..stats
        })
    };
    let (stats, threads) = in_parallel(&jobs, render)?;
    times.emit += started.elapsed();
    times.relayout += stats.relayout_time;
    times.relayouts += stats.relayouts;
    times.output += stats.output_time;
    times.threads = threads;
    Ok(())
}

/// One file to render.
enum Job<'a> {
    Root,
    ModelsModule(&'a [ModelFile<'a>]),
    Models(&'a ModelFile<'a>),
    OperationsModule(&'a [OperationFile<'a>]),
    Operations(&'a OperationFile<'a>),
}

fn render_job(
    job: &Job<'_>,
    paths: &Paths,
    source: &str,
    reference: bool,
) -> Result<(GeneratedFile, WriterStats), Error> {
    let mut w = Writer::new(reference);
    let path = match job {
        Job::Root => {
            modules::root_module(&mut w, paths);
            "mod.rs".to_owned()
        }
        Job::ModelsModule(files) => {
            modules::models_module(&mut w, files);
            "models/mod.rs".to_owned()
        }
        Job::Models(file) => {
            models::emit_file(&mut w, &file.types, paths);
            format!("models/{}.rs", file.module)
        }
        Job::OperationsModule(files) => {
            modules::operations_module(&mut w, files);
            "operations/mod.rs".to_owned()
        }
        Job::Operations(file) => {
            operation::emit_file(&mut w, file, paths);
            format!("operations/{}.rs", file.module)
        }
    };
    let (code, stats) = w.finish().map_err(|e| layout::emit_error(&path, e))?;
    Ok((layout::finish_file(&path, &code, source), stats))
}

/// Where [`generate_timed`](crate::generate_timed) spent its time, stage by
/// stage, to guide performance work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// JSON text → OpenAPI document.
    pub parse: Duration,
    /// Document → IR.
    pub lower: Duration,
    /// IR → the text of every file (wall time, on several threads).
    pub emit: Duration,
    /// Of which, summed over threads: items too wide for the generator's
    /// own layout, laid out by prettyplease.
    pub relayout: Duration,
    /// How many items prettyplease laid out.
    pub relayouts: usize,
    /// Of the emit time, summed over threads: handing the files out (for
    /// [`generate_each`](crate::generate_each), writing them).
    pub output: Duration,
    /// Threads the files were rendered on.
    pub threads: usize,
}

#[cfg(test)]
mod tests;
