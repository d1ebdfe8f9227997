//! The dry run's progress bar on standard error (indicatif). Terminal code
//! stays here, in the binary: the library only calls back with counts.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over `len` messages, or nothing when it should not be
/// drawn (`show` false: not a terminal, `--quiet`, `--format json`, or a
/// single message).
pub struct RunProgress(Option<ProgressBar>);

impl RunProgress {
    pub fn new(len: usize, show: bool) -> RunProgress {
        if !show || len < 2 {
            return RunProgress(None);
        }
        let style = ProgressStyle::with_template(
            // At most 70 columns: "█…▏ 1,234/5,000 messages  00:00:01  eta 3s".
            "{bar:30} {human_pos}/{human_len} messages  {elapsed_precise}  eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("█▉▊▋▌▍▎▏ ");
        // At most 10 redraws a second: drawing is the bar's only real cost.
        let bar =
            ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr_with_hz(10))
                .with_style(style);
        RunProgress(Some(bar))
    }

    /// Adds finished messages; cheap and thread-safe (an atomic add, a
    /// redraw at most every 100 ms).
    pub fn inc(&self, n: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(n as u64);
        }
    }

    /// Erases the bar, before the report is written.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
