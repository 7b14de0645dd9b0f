//! Shared plain-text output helpers of the CLI.

use std::io::Write;

use crate::corpus::Progress;

/// Draws a progress line on stderr (only called when stderr is a terminal).
pub fn progress_line(p: Progress) {
    let (what, done, total) = match p {
        Progress::Loading { done, total } => ("loading", done, total),
        Progress::Cleaning { done, total } => ("cleaning", done, total),
        Progress::Grouping { done, total } => ("grouping", done, total),
    };
    let mut err = std::io::stderr().lock();
    if total > 0 {
        let _ = write!(err, "\r\x1b[2K{what} {done}/{total}");
    } else {
        let _ = write!(err, "\r\x1b[2K{what} {done}");
    }
    let _ = err.flush();
}

/// Clears the progress line.
pub fn clear_progress_line() {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K");
    let _ = err.flush();
}
