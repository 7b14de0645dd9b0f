//! Phase timings for performance work: with `STET_TRACE` set in the environment, [`mark`]
//! prints on stderr the seconds since the first mark, the process's CPU seconds (user +
//! system) and its peak memory so far, with the phase's name (for timing CLI runs: the
//! reader's screen is not kept clear of it). Unset (always, in use): one load of a
//! once-initialised flag per mark, nothing formatted or printed. The lines hold only the
//! labels given here and numbers, never article text, so they are written to stderr as
//! they are (the core does not go through the CLI's sanitising writer).

use std::sync::OnceLock;
use std::time::Instant;

/// When tracing started (the first mark), or `None` when `STET_TRACE` is unset.
fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("STET_TRACE").map(|_| Instant::now()))
}

/// Prints `what` with the wall seconds since the first mark, the CPU seconds and the peak
/// resident memory so far (from `/proc/self/status` and `/proc/self/stat`, where there are
/// such files), when `STET_TRACE` is set. `what` is formatted only then
/// (`format_args!` for a label with figures).
pub fn mark(what: impl std::fmt::Display) {
    let Some(t0) = start() else { return };
    let wall = t0.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map_or_else(String::new, |v| v.trim().to_string());
    // utime and stime, fields 14 and 15, in clock ticks (100 per second on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let cpu: f64 = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|f| f.parse::<f64>().ok())
                .sum::<f64>()
                / 100.0
        })
        .unwrap_or(0.0);
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "trace {wall:8.2}s wall {cpu:8.2}s cpu  peak {peak:>12}  {what}"
    );
}
