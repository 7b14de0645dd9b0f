//! Load problems on stderr, grouped by reason: one line per reason with its count and first
//! few places (`-v` lists every problem, `-q` none). The reader's `!` view lists them all.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::text::plural;

/// How many problems stderr gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verbosity {
    /// None (`-q`).
    Quiet,
    /// One line per reason (the default).
    Grouped,
    /// Every problem on its own line (`-v`).
    All,
}

static VERBOSITY: AtomicU8 = AtomicU8::new(1);

/// Sets how problems are printed for the rest of the process.
pub(crate) fn set_verbosity(v: Verbosity) {
    VERBOSITY.store(v as u8, Ordering::Relaxed);
}

/// How problems are printed.
pub(crate) fn verbosity() -> Verbosity {
    match VERBOSITY.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        2 => Verbosity::All,
        _ => Verbosity::Grouped,
    }
}

/// Places listed per reason before "…".
const PLACES: usize = 3;

/// A problem line `path:line: reason` or `path: reason` cut into its place and reason (a line
/// of another shape is all reason).
fn split(line: &str) -> (&str, &str) {
    // `path:LINE: reason`: the first `:DIGITS: `.
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(off) = line[i..].find(':') {
        let colon = i + off;
        let digits = bytes[colon + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = colon + 1 + digits;
        if digits > 0 && line[after..].starts_with(": ") {
            return (&line[..after], &line[after + 2..]);
        }
        i = colon + 1;
    }
    match line.split_once(": ") {
        Some((place, reason)) => (place, reason),
        None => ("", line),
    }
}

/// What problems are grouped by: the reason up to its first ": " (the detail after it, such
/// as a parser's message, differs from line to line), digits counted as one.
fn kind(reason: &str) -> String {
    let head = reason.split_once(": ").map_or(reason, |(h, _)| h);
    let mut out = String::with_capacity(head.len());
    for c in head.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The lines stderr gets for `problems` at `verbosity`.
pub(crate) fn problem_lines(problems: &[String], verbosity: Verbosity) -> Vec<String> {
    match verbosity {
        Verbosity::Quiet => Vec::new(),
        Verbosity::All => problems.to_vec(),
        Verbosity::Grouped => grouped(problems),
    }
}

/// One line per kind of reason, in the order the kinds first appear.
fn grouped(problems: &[String]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: rustc_hash::FxHashMap<String, Vec<&str>> = Default::default();
    for p in problems {
        let k = kind(split(p).1);
        let group = groups.entry(k.clone()).or_default();
        if group.is_empty() {
            order.push(k);
        }
        group.push(p);
    }
    let mut lines = Vec::with_capacity(order.len());
    for k in &order {
        let members = &groups[k];
        if let [only] = members.as_slice() {
            lines.push((*only).to_string());
            continue;
        }
        let reasons_differ = members.iter().any(|m| split(m).1 != split(members[0]).1);
        let reason = if reasons_differ {
            split(members[0])
                .1
                .split_once(": ")
                .map_or(split(members[0]).1, |(h, _)| h)
        } else {
            split(members[0]).1
        };
        let mut line = format!("{reason}: {}, at ", plural(members.len(), "time", "times"));
        let mut last_path = "";
        for (n, m) in members.iter().take(PLACES).enumerate() {
            let place = split(m).0;
            if n > 0 {
                line.push_str(", ");
            }
            // A place in the same file as the one before: its line only.
            match place.rsplit_once(':') {
                Some((path, l)) if n > 0 && path == last_path && !l.is_empty() => {
                    let _ = write!(line, ":{l}");
                }
                _ => line.push_str(place),
            }
            last_path = place.rsplit_once(':').map_or(place, |(p, _)| p);
        }
        if members.len() > PLACES {
            line.push_str(", … (-v lists them all)");
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_reason_with_count_and_first_places() {
        let mut problems: Vec<String> = (1..=737)
            .map(|n| {
                format!(
                    "r.jsonl:{}: record has neither a title nor a text field",
                    n * 3
                )
            })
            .collect();
        problems.insert(
            5,
            "r.jsonl:17: invalid JSON: expected value at line 1 column 1".into(),
        );
        problems.push("r.jsonl:900: invalid JSON: EOF while parsing".into());
        problems.push("b.txt: empty file".into());
        let lines = problem_lines(&problems, Verbosity::Grouped);
        assert_eq!(
            lines,
            [
                "record has neither a title nor a text field: 737 times, at r.jsonl:3, :6, :9, … \
                 (-v lists them all)",
                "invalid JSON: 2 times, at r.jsonl:17, :900",
                "b.txt: empty file",
            ]
        );
        assert_eq!(problem_lines(&problems, Verbosity::All).len(), 740);
        assert!(problem_lines(&problems, Verbosity::Quiet).is_empty());
    }

    #[test]
    fn places_are_cut_where_the_line_number_is() {
        assert_eq!(split("a: b:12: c: d"), ("a: b:12", "c: d"));
        assert_eq!(split("dir/x.txt: empty file"), ("dir/x.txt", "empty file"));
        assert_eq!(split("odd"), ("", "odd"));
        assert_eq!(kind("line 12 longer than 64 MB"), "line # longer than # MB");
    }
}
