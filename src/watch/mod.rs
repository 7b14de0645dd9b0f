//! Watching feeds and pages (issue 19): fetch them politely on a schedule, keep every version
//! of each page's text in the user data (`watch.db`), and make the versions a corpus the other
//! commands and the reader open (`watch:`). No terminal types.
//!
//! - [`http`]: the HTTP client (ureq): conditional GET, redirects, gzip/brotli, a size cap,
//!   timeouts, robots.txt, one request at a time per host at an interval, backoff.
//! - [`page`]: feed or page (by content), the charset, the main text, the fingerprint and the
//!   minor/suspect flags.
//! - [`db`]: the archive. [`poll`]: one round. [`export`]: JSONL, the NewsEdits table, and
//!   the corpus file behind `watch:`.

pub(crate) mod db;
pub(crate) mod export;
pub(crate) mod http;
pub(crate) mod page;
pub(crate) mod poll;
pub(crate) mod robots;
pub(crate) mod settings;

pub(crate) use db::WatchStore;
pub(crate) use settings::WatchSettings;

/// The corpus spec that opens the watch archive (`stet stories watch:`, `stet watch:`).
pub(crate) const CORPUS_SPEC: &str = "watch:";

/// `secs` since the epoch as an RFC 3339 UTC time (`2026-03-01T10:15:00Z`).
pub(crate) fn format_time(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| secs.to_string())
}
