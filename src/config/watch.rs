//! `[watch]`: fetching and polling settings of `stet watch` (and `[watch.selectors]`, per-site
//! CSS selectors of the article text). Every key checked, a mistake reported with its line.

use std::time::Duration;

use toml::Spanned;
use toml::de::DeValue;

use super::{Config, RefStr as _, Reporter, expect_table, integer};

/// The keys of `[watch]`, for the "expected one of" message.
const KEYS: &str = "poll_in_reader, respect_robots, timeout_seconds, max_page_kb, \
    host_interval_seconds, max_redirects, feed_interval_minutes, max_backoff_minutes, \
    user_agent, schedule, selectors";

/// A number (integer or float) in `range`.
fn number(value: &Spanned<DeValue<'_>>) -> Option<f64> {
    match value.get_ref() {
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        _ => integer(value).map(super::float),
    }
}

impl Config {
    pub(super) fn apply_watch(&mut self, value: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) {
        let Some(table) = expect_table(value, "watch", report) else {
            return;
        };
        let w = &mut self.watch;
        for (key, value) in table.iter() {
            let name = key.get_ref().ref_str();
            let mut bad = |expected: &str| {
                report(
                    Some(value.span()),
                    format!("watch.{name}: expected {expected}; the default is kept"),
                );
            };
            match name {
                "poll_in_reader" | "respect_robots" => match value.get_ref() {
                    DeValue::Boolean(b) => {
                        if name == "poll_in_reader" {
                            w.poll_in_reader = *b;
                        } else {
                            w.respect_robots = *b;
                        }
                    }
                    _ => bad("true or false"),
                },
                "timeout_seconds" => match number(value) {
                    Some(s) if (0.05..=600.0).contains(&s) => {
                        w.timeout = Duration::from_secs_f64(s)
                    }
                    _ => bad("a number of seconds from 0.05 to 600"),
                },
                "host_interval_seconds" => match number(value) {
                    Some(s) if (0.0..=3600.0).contains(&s) => {
                        w.host_interval = Duration::from_secs_f64(s);
                    }
                    _ => bad("a number of seconds from 0 to 3600"),
                },
                "max_page_kb" => match integer(value) {
                    Some(kb @ 1..=1_048_576) => w.max_page_bytes = kb.unsigned_abs() << 10,
                    _ => bad("a whole number of KB from 1 to 1048576"),
                },
                "max_redirects" => match integer(value).and_then(|n| u32::try_from(n).ok()) {
                    Some(n @ 0..=30) => w.max_redirects = n,
                    _ => bad("a whole number from 0 to 30"),
                },
                "feed_interval_minutes" => match integer(value) {
                    Some(m @ 1..=10080) => {
                        w.feed_interval = Duration::from_secs(m.unsigned_abs() * 60)
                    }
                    _ => bad("a whole number of minutes from 1 to 10080"),
                },
                "max_backoff_minutes" => match integer(value) {
                    Some(m @ 1..=10080) => {
                        w.max_backoff = Duration::from_secs(m.unsigned_abs() * 60)
                    }
                    _ => bad("a whole number of minutes from 1 to 10080"),
                },
                "user_agent" => match value.get_ref() {
                    DeValue::String(s)
                        if !s.trim().is_empty() && !s.chars().any(char::is_control) =>
                    {
                        w.user_agent = s.trim().to_string();
                    }
                    _ => bad("a non-empty string without control characters"),
                },
                "schedule" => {
                    let steps: Option<Vec<String>> = match value.get_ref() {
                        DeValue::Array(a) => a
                            .iter()
                            .map(|v| match v.get_ref() {
                                DeValue::String(s) => Some(s.to_string()),
                                _ => None,
                            })
                            .collect(),
                        _ => None,
                    };
                    match steps.map(|s| crate::watch::settings::parse_schedule(&s)) {
                        Some(Ok(s)) => w.schedule = s,
                        Some(Err(e)) => bad(&format!(
                            "a list of \"AGE:EVERY\" steps ending with \"*:EVERY\" ({e})"
                        )),
                        None => bad("a list of strings such as [\"3h:15m\", \"1d:30m\", \"*:7d\"]"),
                    }
                }
                "selectors" => {
                    let Some(t) = expect_table(value, "watch.selectors", report) else {
                        continue;
                    };
                    for (host, sel) in t.iter() {
                        let host = host.get_ref().ref_str().to_ascii_lowercase();
                        match sel.get_ref() {
                            DeValue::String(s) if valid_selector(s) => {
                                w.selectors.retain(|(h, _)| *h != host);
                                w.selectors.push((host, s.to_string()));
                            }
                            _ => report(
                                Some(sel.span()),
                                format!(
                                    "watch.selectors.{host}: expected a CSS selector (such as \"article .story-body p\"); ignored"
                                ),
                            ),
                        }
                    }
                }
                other => report(
                    Some(key.span()),
                    format!("unknown key `watch.{other}`; expected one of {KEYS}"),
                ),
            }
        }
    }
}

/// Whether `s` parses as a CSS selector.
fn valid_selector(s: &str) -> bool {
    !s.trim().is_empty() && dom_query::Matcher::new(s).is_ok()
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::time::Duration;

    #[test]
    fn watch_settings_are_read_and_checked_with_lines() {
        let text = "[watch]\npoll_in_reader = false\ntimeout_seconds = 0.5\nmax_page_kb = 64\nhost_interval_seconds = 0\nschedule = [\"1h:5m\", \"*:1d\"]\n[watch.selectors]\n\"example.com\" = \"article p\"\n";
        let (c, problems) = Config::from_toml(text, "c.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!c.watch.poll_in_reader);
        assert_eq!(c.watch.timeout, Duration::from_millis(500));
        assert_eq!(c.watch.max_page_bytes, 64 << 10);
        assert_eq!(c.watch.host_interval, Duration::ZERO);
        assert_eq!(c.watch.schedule.len(), 2);
        assert_eq!(c.watch.selector_for("example.com"), Some("article p"));
        let bad = "[watch]\ntimeout_seconds = -1\nmax_page_kb = \"big\"\nschedule = [\"1h:5m\"]\nrobots = true\n";
        let (c, problems) = Config::from_toml(bad, "c.toml");
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(
            lines[0].starts_with("c.toml:2: watch.timeout_seconds"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("c.toml:3: watch.max_page_kb"),
            "{lines:?}"
        );
        assert!(
            lines[2].starts_with("c.toml:4: watch.schedule") && lines[2].contains("last step"),
            "{lines:?}"
        );
        assert!(
            lines[3].starts_with("c.toml:5: unknown key `watch.robots`"),
            "{lines:?}"
        );
        assert_eq!(c.watch, crate::watch::WatchSettings::default());
    }
}
