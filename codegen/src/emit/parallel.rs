//! Rendering files on several threads: the files are independent, so each
//! thread takes the next file to render until none is left.

use super::writer::WriterStats;
use crate::Error;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `render` on every job, on as many threads as the machine has cores
/// (files are independent), and adds up what they report. The first error
/// stops every thread.
pub(super) fn in_parallel<J: Sync>(
    jobs: &[J],
    render: impl Fn(usize, &J) -> Result<WriterStats, Error> + Sync,
) -> Result<(WriterStats, usize), Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || -> Result<WriterStats, (usize, Error)> {
        let mut total = WriterStats::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                return Ok(total);
            };
            match render(i, job) {
                Ok(stats) => total.add(&stats),
                Err(e) => {
                    // Leave nothing for the other threads.
                    next.store(jobs.len(), Ordering::Relaxed);
                    return Err((i, e));
                }
            }
        }
    };
    let results = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut results = vec![work()];
        for helper in helpers {
            results.push(helper.join().unwrap_or_else(|_| {
                Err((
                    0,
                    Error::Emit {
                        file: "(all)".into(),
                        message: "a rendering thread panicked".into(),
                    },
                ))
            }));
        }
        results
    });
    let mut total = WriterStats::default();
    let mut first_error: Option<(usize, Error)> = None;
    for result in results {
        match result {
            Ok(stats) => total.add(&stats),
            Err((i, e)) if first_error.as_ref().is_none_or(|(j, _)| i < *j) => {
                first_error = Some((i, e));
            }
            Err(_) => {}
        }
    }
    match first_error {
        Some((_, e)) => Err(e),
        None => Ok((total, threads)),
    }
}
