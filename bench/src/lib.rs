//! Shared measuring helpers for the benchmark binaries in `src/bin/`.
//!
//! The machines these run on are noisy, so a benchmark never reports one
//! absolute time on its own: it interleaves the contenders round by round and
//! prints the ratio of their medians, which survives a busy neighbour.
#![forbid(unsafe_code)]

pub mod canned;

use std::time::{Duration, Instant};

/// Medians of `rounds` interleaved runs of each contender, in the order given.
///
/// Each round runs every contender once, so a slow spell on the machine hits
/// them all alike. The order changes from round to round (a fixed
/// pseudo-random shuffle): with a fixed order, the same code measured 10–20 %
/// apart depending on what ran just before it.
pub fn interleaved(rounds: usize, contenders: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    let n = contenders.len();
    let mut samples = vec![Vec::with_capacity(rounds); n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..rounds {
        for i in (1..n).rev() {
            // xorshift64: cheap, deterministic, good enough to shuffle.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
            order.swap(i, j);
        }
        for &i in &order {
            let started = Instant::now();
            contenders[i]();
            samples[i].push(started.elapsed());
        }
    }
    samples.into_iter().map(median).collect()
}

/// The median of some durations (zero for none).
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// `ours / peer` as a float, for printing as `1.23×`.
pub fn ratio(ours: Duration, peer: Duration) -> f64 {
    ours.as_secs_f64() / peer.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// A duration in milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A duration in microseconds, for printing.
pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// `n` things done in `d`, per second.
pub fn per_second(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// Whether the binary was asked for a quick smoke run (`--smoke`, as CI does):
/// fewer rounds, same code paths.
pub fn smoke() -> bool {
    std::env::args().any(|a| a == "--smoke")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_picks_the_middle_sample() {
        let ms = Duration::from_millis;
        assert_eq!(median(vec![ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(median(Vec::new()), Duration::ZERO);
    }

    #[test]
    fn interleaved_runs_every_contender_each_round() {
        let (mut a, mut b) = (0, 0);
        let times = interleaved(4, &mut [&mut || a += 1, &mut || b += 1]);
        assert_eq!((a, b, times.len()), (4, 4, 2));
    }
}
