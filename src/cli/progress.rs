//! The dry run's progress bar on standard error (indicatif). Terminal code
//! stays here, in the binary: the library only calls back with counts.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over `len` message files (a counter of messages when
/// there is one input, which may be an mbox), or nothing when it should
/// not be drawn (`show` false: not a terminal, `--quiet`, `--format json`,
/// or the messages themselves go to the terminal).
pub struct RunProgress(Option<ProgressBar>);

impl RunProgress {
    pub fn new(len: usize, show: bool) -> RunProgress {
        if !show {
            return RunProgress(None);
        }
        if len < 2 {
            // One input may be an mbox of a million messages, whose count
            // is known only once it is read: a counter that starts at once
            // (ticking before the first message is done), not a bar.
            let style =
                ProgressStyle::with_template("{spinner} {human_pos} messages  {elapsed_precise}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let counter =
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10))
                    .with_style(style);
            counter.enable_steady_tick(std::time::Duration::from_millis(100));
            return RunProgress(Some(counter));
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
