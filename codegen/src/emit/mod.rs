//! Emitters: IR → formatted Rust source files.
//!
//! The emitters write text through a [`Writer`](writer::Writer) that knows
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
mod paths;
mod types;
mod writer;

pub(crate) use types::doc_type as types_for_surface;

use crate::Error;
use crate::ir::Api;
use crate::settings::Settings;
use files::{ModelFile, OperationFile};
pub use layout::GeneratedFile;
use paths::Paths;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    render_with(api, settings, times, false)
}

/// One file to render.
enum Job<'a> {
    Root,
    ModelsModule(&'a [ModelFile<'a>]),
    Models(&'a ModelFile<'a>),
    OperationsModule(&'a [OperationFile<'a>]),
    Operations(&'a OperationFile<'a>),
}

/// [`render_timed`]; with `reference`, prettyplease lays out every item, as
/// the generator did before it had its own layout (for tests).
pub(crate) fn render_with(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
    reference: bool,
) -> Result<Vec<GeneratedFile>, Error> {
    let started = Instant::now();
    let model_files = files::model_files(api);
    let operation_files = files::operation_files(api);
    let mut jobs = vec![Job::Root, Job::ModelsModule(&model_files)];
    jobs.extend(model_files.iter().map(Job::Models));
    jobs.push(Job::OperationsModule(&operation_files));
    jobs.extend(operation_files.iter().map(Job::Operations));
    let paths = Paths::new(settings);
    let render = |job: &Job<'_>| render_job(job, &paths, &settings.source, reference);
    let (files, stats, threads) = in_parallel(&jobs, render)?;
    times.emit += started.elapsed();
    times.relayout += stats.relayout_time;
    times.relayouts += stats.relayouts;
    times.threads = threads;
    Ok(files)
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

/// One rendered file, or why it could not be.
type Rendered = Result<(GeneratedFile, WriterStats), Error>;

/// Renders every job, on as many threads as the machine has cores (files
/// are independent), and returns the files in job order.
fn in_parallel<J: Sync>(
    jobs: &[J],
    render: impl Fn(&J) -> Rendered + Sync,
) -> Result<(Vec<GeneratedFile>, WriterStats, usize), Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                return done;
            };
            done.push((i, render(job)));
        }
    };
    let mut results: Vec<(usize, Rendered)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            // A helper only panics if rendering has a bug; its jobs are
            // then missing and reported below.
            all.extend(helper.join().unwrap_or_default());
        }
        all
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    if results.len() != jobs.len() {
        return Err(Error::Emit {
            file: "(all)".into(),
            message: "a rendering thread panicked".into(),
        });
    }
    let mut files = Vec::with_capacity(results.len());
    let mut stats = WriterStats::default();
    for (_, result) in results {
        let (file, s) = result?;
        stats.relayouts += s.relayouts;
        stats.relayout_time += s.relayout_time;
        files.push(file);
    }
    Ok((files, stats, threads))
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
    /// Threads the files were rendered on.
    pub threads: usize,
}

#[cfg(test)]
mod tests;
