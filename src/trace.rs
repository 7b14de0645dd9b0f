//! Phase timings for performance work: with `STET_TRACE` set in the environment, [`mark`]
//! prints on stderr the seconds since the first mark, the process's CPU seconds (user +
//! system), its peak memory and its minor page faults so far, with the phase's name (for
//! timing CLI runs: the reader's screen is not kept clear of it). Unset (always, in use):
//! one load of a once-initialised flag per mark, nothing formatted or printed. The lines
//! hold only the labels given here and numbers, never article text, so they are written to
//! stderr as they are (the core does not go through the CLI's sanitising writer).

use std::sync::OnceLock;
use std::time::Instant;

/// When tracing started (the first mark), or `None` when `STET_TRACE` is unset.
fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("STET_TRACE").map(|_| Instant::now()))
}

/// Prints `what` with the wall seconds since the first mark, the CPU seconds, the peak
/// resident memory and the minor page faults (in thousands) so far (from
/// `/proc/self/status` and `/proc/self/stat`, where there are such files), when
/// `STET_TRACE` is set. `what` is formatted only then (`format_args!` for a label with
/// figures).
pub fn mark(what: impl std::fmt::Display) {
    let Some(t0) = start() else { return };
    let wall = t0.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map_or_else(String::new, |v| v.trim().to_string());
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let (cpu, faults) = cpu_and_faults(&stat);
    let faults = faults / 1000.0;
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "trace {wall:8.2}s wall {cpu:8.2}s cpu  peak {peak:>12}  {faults:7.0}k faults  {what}"
    );
}

/// The CPU seconds (user + system) and the minor page faults a `/proc/PID/stat` line gives
/// (zero for what it lacks). Each minor fault is a page the process touched first (zeroed or
/// mapped): on a virtual machine, a cost of its own.
fn cpu_and_faults(stat: &str) -> (f64, f64) {
    // The name, field 2, is in parentheses and may hold spaces and parentheses: the fields
    // are counted from after its last one.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // Field 3 (the state) is the first; minflt is field 10, utime and stime fields 14 and
    // 15, in clock ticks (100 per second on Linux).
    let field = |n: usize| {
        fields
            .get(n - 3)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    ((field(14) + field(15)) / 100.0, field(10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_faults_are_read_past_a_name_with_spaces_and_parentheses() {
        let stat = "4242 (st et) (x)) R 1 4242 4242 0 -1 4194304 12345 0 7 0 250 75 0 0 20 0 3";
        assert_eq!(cpu_and_faults(stat), (3.25, 12345.0));
        assert_eq!(cpu_and_faults(""), (0.0, 0.0));
        assert_eq!(cpu_and_faults("1 (short) R 1"), (0.0, 0.0));
    }
}
