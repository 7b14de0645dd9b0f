//! Shared plain-text output helpers of the CLI.

use std::io::Write;

use crate::corpus::Progress;
use crate::text::SafeWriter;

/// Standard output through the one sanitising writer, buffered (flushed when dropped). With
/// `styles`, stet's SGR colour sequences pass.
pub(crate) fn stdout_with(
    capacity: usize,
    styles: bool,
) -> std::io::BufWriter<SafeWriter<std::io::StdoutLock<'static>>> {
    std::io::BufWriter::with_capacity(
        capacity,
        SafeWriter::new(std::io::stdout().lock()).with_styles(styles),
    )
}

/// [`stdout_with`] a 64 KB buffer, no colour.
pub(crate) fn stdout() -> std::io::BufWriter<SafeWriter<std::io::StdoutLock<'static>>> {
    stdout_with(1 << 16, false)
}

/// Standard error through the one sanitising writer (buffered; flushed when dropped).
pub fn stderr() -> SafeWriter<std::io::BufWriter<std::io::StderrLock<'static>>> {
    SafeWriter::new(std::io::BufWriter::new(std::io::stderr().lock()))
}

/// `eprintln!` through the sanitising writer: every message stet prints on stderr.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut err = $crate::cli::output::stderr();
        let _ = writeln!(err, $($arg)*);
        let _ = err.flush();
    }};
}

/// When the progress line was last drawn, and for which stage.
static LAST_PROGRESS: std::sync::Mutex<Option<(std::time::Instant, &str)>> =
    std::sync::Mutex::new(None);

/// How often the progress line is redrawn at most: a load reports every file and grouping
/// every batch, far more often than anyone can read.
const PROGRESS_INTERVAL: std::time::Duration = std::time::Duration::from_millis(100);

/// Draws a progress line on stderr (only called when stderr is a terminal): at the start and
/// end of each stage and at most every 100 ms between.
pub(crate) fn progress_line(p: Progress) {
    match p {
        Progress::Reading { done, total } => {
            show_line("reading", done == 0 || done >= total, || {
                format!("reading {}", crate::text::plural::bytes_of(done, total))
            });
        }
        Progress::Saving => show_line("saving", true, || "saving the stories".to_string()),
        Progress::Loading { done, total } => stage_line("loading", done, total),
        Progress::Cleaning { done, total } => stage_line("cleaning", done, total),
        Progress::Grouping { done, total } => {
            let pct = p.percent().unwrap_or(0);
            show_line("grouping", done == 0 || done >= total, || {
                format!("grouping {pct}%")
            });
        }
    }
}

/// Shows `what done/total` on the progress line, as [`progress_line`] does for loading, for
/// any other stage (indexing…): redrawn at most every [`PROGRESS_INTERVAL`], and at a stage's
/// start and end.
pub(crate) fn stage_line(what: &'static str, done: usize, total: usize) {
    show_line(what, done == 0 || (total > 0 && done >= total), || {
        if total > 0 {
            format!("{what} {done}/{total}")
        } else {
            format!("{what} {done}")
        }
    });
}

/// Shows `text()` on the progress line for the stage `what`: at the stage's first line,
/// when `edge` (its start or end), and otherwise at most every [`PROGRESS_INTERVAL`].
fn show_line(what: &'static str, edge: bool, text: impl FnOnce() -> String) {
    {
        let now = std::time::Instant::now();
        let mut last = LAST_PROGRESS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let due = match *last {
            Some((at, stage)) => stage != what || edge || now - at >= PROGRESS_INTERVAL,
            None => true,
        };
        if !due {
            return;
        }
        *last = Some((now, what));
    }
    let mut err = stderr();
    let _ = err.write_control("\r\x1b[2K");
    let _ = write!(err, "{}", text());
    let _ = err.flush();
}

/// Clears the progress line.
pub(crate) fn clear_progress_line() {
    *LAST_PROGRESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    let mut err = stderr();
    let _ = err.write_control("\r\x1b[2K");
    let _ = err.flush();
}

/// Article text made safe for a terminal or a pipe (control characters and escape sequences
/// shown as placeholders; newlines kept).
pub(crate) fn plain(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::sanitize_for_terminal(text, true)
}

/// Cuts `text` to at most `width` terminal columns, ending with "…" when cut.
pub(crate) fn display_width_truncate(text: &str, width: usize) -> String {
    crate::text::truncate(text, width)
}

/// Wraps `text` to `width` columns (by words; a word longer than the width stands alone).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    crate::text::wrap::wrap_words(text, width)
}
