//! A progress bar on stderr, shown only to a person at a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Counts items as they arrive. Invisible unless stderr is a terminal and
/// the work is longer than `visible_above` items, so pipes, logs and short
/// lists stay clean.
pub struct Progress {
    bar: ProgressBar,
    visible_above: u64,
    interactive: bool,
}

impl Progress {
    pub fn new(what: &'static str, visible_above: u64) -> Progress {
        let bar = ProgressBar::hidden();
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what);
        Progress {
            bar,
            visible_above,
            interactive: std::io::stderr().is_terminal(),
        }
    }

    /// Adds to the expected total (one listing may run several queries).
    pub fn grow(&self, more: u64) {
        let total = self.bar.length().unwrap_or(0) + more;
        self.bar.set_length(total);
        if self.interactive && total > self.visible_above && self.bar.is_hidden() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
