//! Emitters: IR → Rust source files.
//!
//! Each emitter is a `quote!` template over IR values; each file's tokens
//! are parsed into a `syn::File` and printed by prettyplease (see
//! `output`). Files are independent, so they are rendered on several
//! threads.

mod docs;
mod enums;
mod files;
mod models;
mod modules;
mod operation;
mod output;
mod paths;
mod types;

pub(crate) use types::doc_type as types_for_surface;

use crate::Error;
use crate::ir::Api;
use crate::settings::Settings;
use files::{ModelFile, OperationFile};
pub use output::GeneratedFile;
use paths::Paths;
use proc_macro2::TokenStream;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Renders the generated modules for `api`: the root `mod.rs`, then the
/// models and the operations, each a `mod.rs` and one file per group (see
/// the `files` module for which file holds what).
///
/// # Errors
/// [`Error::Emit`] if the generator wrote code that does not parse.
pub fn render(api: &Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    render_timed(api, settings, &mut StageTimes::default())
}

/// [`render`], recording in `times` how long it took.
///
/// # Errors
/// As for [`render`].
pub fn render_timed(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
) -> Result<Vec<GeneratedFile>, Error> {
    let files = Mutex::new(Vec::new());
    render_jobs(api, settings, times, &|index, file| {
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
    render_jobs(api, settings, times, &|_, file| each(file))
}

/// Where a rendered file goes: with its index in the deterministic order of
/// the files.
type Sink<'a> = &'a (dyn Fn(usize, GeneratedFile) -> Result<(), String> + Sync);

/// One file to render.
enum Job<'a> {
    Root,
    ModelsModule(&'a [ModelFile<'a>]),
    Models(&'a ModelFile<'a>),
    OperationsModule(&'a [OperationFile<'a>]),
    Operations(&'a OperationFile<'a>),
}

fn render_jobs(
    api: &Api,
    settings: &Settings,
    times: &mut StageTimes,
    each: Sink<'_>,
) -> Result<(), Error> {
    let started = Instant::now();
    let model_files = files::model_files(api);
    let operation_files = files::operation_files(api);
    let mut jobs = vec![Job::Root, Job::ModelsModule(&model_files)];
    jobs.extend(model_files.iter().map(Job::Models));
    jobs.push(Job::OperationsModule(&operation_files));
    jobs.extend(operation_files.iter().map(Job::Operations));
    let render = |index: usize, job: &Job<'_>, spent: &mut StageTimes| -> Result<(), Error> {
        let tokens_started = Instant::now();
        // Per file: token streams cannot be shared between threads.
        let paths = Paths::new(settings);
        let (path, tokens) = job_tokens(job, &paths);
        let format_started = Instant::now();
        let file = output::finish_file(&path, tokens, &settings.source)?;
        let output_started = Instant::now();
        each(index, file).map_err(|message| Error::Output {
            file: path,
            message,
        })?;
        spent.tokens += format_started - tokens_started;
        spent.format += output_started - format_started;
        spent.output += output_started.elapsed();
        Ok(())
    };
    let (spent, threads) = in_parallel(&jobs, render)?;
    times.emit += started.elapsed();
    times.tokens += spent.tokens;
    times.format += spent.format;
    times.output += spent.output;
    times.threads = threads;
    Ok(())
}

/// The path and the code of one file.
fn job_tokens(job: &Job<'_>, paths: &Paths) -> (String, TokenStream) {
    match job {
        Job::Root => ("mod.rs".to_owned(), modules::root_module(paths)),
        Job::ModelsModule(files) => ("models/mod.rs".to_owned(), modules::models_module(files)),
        Job::Models(file) => (
            format!("models/{}.rs", file.module),
            models::emit_file(&file.types, paths),
        ),
        Job::OperationsModule(files) => (
            "operations/mod.rs".to_owned(),
            modules::operations_module(files),
        ),
        Job::Operations(file) => (
            format!("operations/{}.rs", file.module),
            operation::emit_file(file, paths),
        ),
    }
}

/// Runs `render` on every job, on up to as many threads as the machine has
/// cores, each thread taking the next job until none is left. Returns the
/// times the threads spent, summed, and how many there were. The first
/// error (in job order) is returned, and stops every thread.
fn in_parallel<J: Sync>(
    jobs: &[J],
    render: impl Fn(usize, &J, &mut StageTimes) -> Result<(), Error> + Sync,
) -> Result<(StageTimes, usize), Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || -> (StageTimes, Option<(usize, Error)>) {
        let mut spent = StageTimes::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                return (spent, None);
            };
            if let Err(e) = render(i, job, &mut spent) {
                // Leave nothing for the other threads.
                next.store(jobs.len(), Ordering::Relaxed);
                return (spent, Some((i, e)));
            }
        }
    };
    let panicked = || {
        let error = Error::Emit {
            file: "(all)".into(),
            message: "a rendering thread panicked".into(),
        };
        (StageTimes::default(), Some((0, error)))
    };
    let results = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut results = vec![work()];
        results.extend(
            helpers
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| panicked())),
        );
        results
    });
    let mut total = StageTimes::default();
    let mut first_error: Option<(usize, Error)> = None;
    for (spent, error) in results {
        total.tokens += spent.tokens;
        total.format += spent.format;
        total.output += spent.output;
        if let Some((i, e)) = error
            && first_error.as_ref().is_none_or(|(j, _)| i < *j)
        {
            first_error = Some((i, e));
        }
    }
    match first_error {
        Some((_, e)) => Err(e),
        None => Ok((total, threads)),
    }
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
    /// Of the emit time, summed over threads: running the `quote!`
    /// templates.
    pub tokens: Duration,
    /// Of the emit time, summed over threads: parsing the tokens into a
    /// `syn::File` and printing it with prettyplease.
    pub format: Duration,
    /// Of the emit time, summed over threads: handing the files out (for
    /// [`generate_each`](crate::generate_each), writing them).
    pub output: Duration,
    /// Threads the files were rendered on.
    pub threads: usize,
}
