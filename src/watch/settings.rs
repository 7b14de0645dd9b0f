//! The `[watch]` settings: how politely and how often watched pages are fetched.

use std::time::Duration;

/// One step of the re-poll schedule: pages younger than `until` are fetched every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleStep {
    /// The age (since the page was first fetched) up to which this step holds; `None`: for ever.
    pub until: Option<Duration>,
    /// How often a page of that age is fetched again.
    pub every: Duration,
}

/// Everything `[watch]` in `config.toml` sets.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchSettings {
    /// Whether the reader polls while the watch archive is open.
    pub poll_in_reader: bool,
    /// Whether robots.txt is obeyed.
    pub respect_robots: bool,
    /// The whole time one request may take (connect, headers, body).
    pub timeout: Duration,
    /// The largest page read (decompressed bytes); a bigger one is a problem line.
    pub max_page_bytes: u64,
    /// The least time between two requests to one host.
    pub host_interval: Duration,
    /// The most redirects followed.
    pub max_redirects: u32,
    /// How often a feed is fetched again.
    pub feed_interval: Duration,
    /// The longest wait after repeated 429/5xx answers (doubling from `host_interval`) when the
    /// server gives no `Retry-After`, and the longest `Retry-After` honoured.
    pub max_backoff: Duration,
    /// The User-Agent header.
    pub user_agent: String,
    /// The re-poll schedule, by age, youngest first; the last step has `until: None`.
    pub schedule: Vec<ScheduleStep>,
    /// Per-site CSS selectors of the article text (host, selector), tried before the
    /// extractor; a host matches itself and its subdomains.
    pub selectors: Vec<(String, String)>,
}

/// The User-Agent stet sends unless configured otherwise: `stet/VERSION (+REPOSITORY)`, the
/// repository being `package.repository` of Cargo.toml (a description until it is set).
pub(crate) fn default_user_agent() -> String {
    let about = match env!("CARGO_PKG_REPOSITORY") {
        "" => "terminal news-version reader".to_string(),
        repo => format!("+{repo}"),
    };
    format!("stet/{} ({about})", env!("CARGO_PKG_VERSION"))
}

const MIN: u64 = 60;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;

/// NewsDiffs' schedule: every 15 min in the first 3 h, 30 min until a day, 2 h until a week,
/// daily until 30 days, then weekly.
pub(crate) fn default_schedule() -> Vec<ScheduleStep> {
    let step = |until: Option<u64>, every: u64| ScheduleStep {
        until: until.map(Duration::from_secs),
        every: Duration::from_secs(every),
    };
    vec![
        step(Some(3 * HOUR), 15 * MIN),
        step(Some(DAY), 30 * MIN),
        step(Some(7 * DAY), 2 * HOUR),
        step(Some(30 * DAY), DAY),
        step(None, 7 * DAY),
    ]
}

impl Default for WatchSettings {
    fn default() -> WatchSettings {
        WatchSettings {
            poll_in_reader: true,
            respect_robots: true,
            timeout: Duration::from_secs(30),
            max_page_bytes: 10 << 20,
            host_interval: Duration::from_secs(5),
            max_redirects: 5,
            feed_interval: Duration::from_secs(15 * MIN),
            max_backoff: Duration::from_secs(6 * HOUR),
            user_agent: default_user_agent(),
            schedule: default_schedule(),
            selectors: Vec::new(),
        }
    }
}

impl WatchSettings {
    /// How long after a fetch a page first fetched `age` ago is due again.
    pub(crate) fn interval_for_age(&self, age: Duration) -> Duration {
        self.schedule
            .iter()
            .find(|s| s.until.is_none_or(|u| age < u))
            .or(self.schedule.last())
            .map_or(Duration::from_secs(7 * DAY), |s| s.every)
    }

    /// The CSS selector configured for `host` (or a parent domain of it).
    pub(crate) fn selector_for(&self, host: &str) -> Option<&str> {
        let host = host.trim_start_matches("www.");
        self.selectors
            .iter()
            .filter(|(h, _)| {
                let h = h.trim_start_matches("www.");
                host == h || host.ends_with(&format!(".{h}"))
            })
            .max_by_key(|(h, _)| h.len())
            .map(|(_, s)| s.as_str())
    }
}

/// Parses a duration written `90s`, `15m`, `2h`, `1d`, `1w` (a whole number and a unit).
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (num, unit) = text.split_at(split);
    let n: u64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "s" => 1,
        "m" | "min" => MIN,
        "h" => HOUR,
        "d" => DAY,
        "w" => 7 * DAY,
        _ => return None,
    };
    n.checked_mul(secs).map(Duration::from_secs)
}

/// Parses the schedule: a list of `"AGE:EVERY"` steps with growing ages, the last `"*:EVERY"`
/// (`["3h:15m", "1d:30m", "7d:2h", "30d:1d", "*:7d"]`). The error says which step and why.
pub(crate) fn parse_schedule(steps: &[String]) -> Result<Vec<ScheduleStep>, String> {
    let mut out: Vec<ScheduleStep> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let (age, every) = step
            .split_once(':')
            .ok_or_else(|| format!("step {step:?}: expected \"AGE:EVERY\" such as \"3h:15m\""))?;
        let every = parse_duration(every)
            .filter(|d| *d >= Duration::from_secs(1))
            .ok_or_else(|| {
                format!("step {step:?}: the interval must be at least 1s, written like 15m, 2h, 1d")
            })?;
        let until = if age.trim() == "*" {
            if i + 1 != steps.len() {
                return Err(format!("step {step:?}: \"*\" must be the last step"));
            }
            None
        } else {
            let d = parse_duration(age).ok_or_else(|| {
                format!("step {step:?}: the age must be written like 3h, 1d, 30d")
            })?;
            if out
                .last()
                .and_then(|s| s.until)
                .is_some_and(|prev| d <= prev)
            {
                return Err(format!(
                    "step {step:?}: the ages must grow from step to step"
                ));
            }
            Some(d)
        };
        out.push(ScheduleStep { until, every });
    }
    if out.last().is_none_or(|s| s.until.is_some()) {
        return Err("the last step must be \"*:EVERY\" (how often old pages are fetched)".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schedule_is_newsdiffs() {
        let s = WatchSettings::default();
        let at = |h: u64| s.interval_for_age(Duration::from_secs(h * HOUR)).as_secs() / MIN;
        assert_eq!(at(0), 15);
        assert_eq!(at(2), 15);
        assert_eq!(at(3), 30);
        assert_eq!(at(23), 30);
        assert_eq!(at(24), 120);
        assert_eq!(at(24 * 8), 24 * 60);
        assert_eq!(at(24 * 31), 7 * 24 * 60);
        let written: Vec<String> = ["3h:15m", "1d:30m", "7d:2h", "30d:1d", "*:7d"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(parse_schedule(&written).unwrap(), default_schedule());
    }

    #[test]
    fn bad_schedules_say_why() {
        let p = |v: &[&str]| parse_schedule(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert!(p(&["3h:15m"]).unwrap_err().contains("last step"));
        assert!(
            p(&["3h:15m", "1h:1h", "*:1d"])
                .unwrap_err()
                .contains("grow")
        );
        assert!(p(&["3h:0s", "*:1d"]).unwrap_err().contains("at least 1s"));
        assert!(p(&["*:1d", "3h:1h"]).unwrap_err().contains("last"));
        assert!(p(&["soon:1d"]).unwrap_err().contains("AGE") || p(&["soon:1d"]).is_err());
    }

    #[test]
    fn selectors_match_subdomains() {
        let s = WatchSettings {
            selectors: vec![
                ("example.com".into(), "article".into()),
                ("news.example.com".into(), ".story".into()),
            ],
            ..WatchSettings::default()
        };
        assert_eq!(s.selector_for("www.example.com"), Some("article"));
        assert_eq!(s.selector_for("news.example.com"), Some(".story"));
        assert_eq!(s.selector_for("badexample.com"), None);
    }
}
