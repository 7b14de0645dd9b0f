//! Shared plain-text output helpers of the CLI.

use std::io::Write;

use crate::corpus::Progress;
use crate::text::SafeWriter;

/// Standard output through the one sanitising writer, buffered (flushed when dropped). With
/// `styles`, stet's SGR colour sequences pass.
pub fn stdout_with(
    capacity: usize,
    styles: bool,
) -> std::io::BufWriter<SafeWriter<std::io::StdoutLock<'static>>> {
    std::io::BufWriter::with_capacity(
        capacity,
        SafeWriter::new(std::io::stdout().lock()).with_styles(styles),
    )
}

/// [`stdout_with`] a 64 KB buffer, no colour.
pub fn stdout() -> std::io::BufWriter<SafeWriter<std::io::StdoutLock<'static>>> {
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

/// Draws a progress line on stderr (only called when stderr is a terminal).
pub fn progress_line(p: Progress) {
    let (what, done, total) = match p {
        Progress::Loading { done, total } => ("loading", done, total),
        Progress::Cleaning { done, total } => ("cleaning", done, total),
        Progress::Grouping { done, total } => ("grouping", done, total),
    };
    let mut err = stderr();
    let _ = err.write_control("\r\x1b[2K");
    if total > 0 {
        let _ = write!(err, "{what} {done}/{total}");
    } else {
        let _ = write!(err, "{what} {done}");
    }
    let _ = err.flush();
}

/// Clears the progress line.
pub fn clear_progress_line() {
    let mut err = stderr();
    let _ = err.write_control("\r\x1b[2K");
    let _ = err.flush();
}

/// Article text made safe for a terminal or a pipe (control characters and escape sequences
/// shown as placeholders; newlines kept).
pub fn plain(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::sanitize_for_terminal(text, true)
}

/// Cuts `text` to at most `width` terminal columns, ending with "…" when cut.
pub fn display_width_truncate(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Wraps `text` to `width` columns (by words; a word longer than the width stands alone).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = word.width();
        if used > 0 && used + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
