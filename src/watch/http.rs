//! Fetching pages politely: conditional GET, redirects (a loop is reported as one), gzip and
//! brotli, a size cap, timeouts, stet's User-Agent, robots.txt, at most one request at a time
//! per host with a minimum interval, and backoff on 429/5xx honouring `Retry-After`.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use ureq::ResponseExt as _;

use super::robots::Robots;
use super::settings::WatchSettings;

/// What a fetch gave.
#[derive(Debug, Clone)]
pub(crate) enum Fetched {
    /// A 2xx answer with its body.
    Page(Page),
    /// 304: unchanged since the validators sent.
    NotModified,
    /// 404 or 410: gone (perhaps for a while).
    Gone(u16),
    /// 429 or 5xx: the host is to be left alone until the time given.
    Throttled {
        /// The status.
        status: u16,
        /// How long to wait (from `Retry-After`, else doubling backoff).
        wait: Duration,
    },
    /// robots.txt forbids this URL.
    Disallowed,
    /// Anything else: another status, a timeout, a redirect loop, a page too big…
    Failed(String),
}

/// A page received.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// The status (2xx).
    pub status: u16,
    /// The URL after redirects.
    pub final_url: String,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// `ETag`, as received.
    pub etag: Option<String>,
    /// `Last-Modified`, as received.
    pub last_modified: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
}

#[derive(Debug, Default)]
struct Host {
    /// When the last request to this host ended.
    last: Option<Instant>,
    /// Not before this (backoff after 429/5xx).
    blocked_until: Option<Instant>,
    /// 429/5xx answers in a row.
    failures: u32,
    /// The robots.txt rules, with when they were fetched.
    robots: Option<(Robots, Instant)>,
}

/// How long fetched robots.txt rules are trusted.
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

/// An HTTP client that remembers, per host, when it last asked and what robots.txt said.
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    settings: WatchSettings,
    hosts: HashMap<String, Host>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").finish_non_exhaustive()
    }
}

/// The host (with port when not the default) of `url`, lower case; None for a URL that is not
/// http(s).
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .or_else(|| {
            let lower = url.get(..8)?.to_ascii_lowercase();
            if lower.starts_with("https://") {
                url.get(8..)
            } else if lower.starts_with("http://") {
                url.get(7..)
            } else {
                None
            }
        })?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    let host = host.rsplit('@').next().unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The path and query of `url` (`/` when none).
fn path_of(url: &str) -> String {
    let after = url.find("://").map_or(url, |i| &url[i + 3..]);
    let path = after.find(['/', '?']).map_or("/", |i| &after[i..]);
    let path = path.split('#').next().unwrap_or(path);
    if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_string()
    }
}

/// Parses `Retry-After`: seconds, or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let now = time::OffsetDateTime::from(now);
    let wait = when - now;
    Some(Duration::from_secs(
        u64::try_from(wait.whole_seconds()).unwrap_or(0),
    ))
}

impl Fetcher {
    /// A client with `settings` (timeouts, size cap, User-Agent, politeness).
    pub(crate) fn new(settings: &WatchSettings) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .max_redirects(settings.max_redirects)
            .max_redirects_will_error(false)
            .save_redirect_history(true)
            .user_agent(settings.user_agent.as_str())
            .build();
        Fetcher {
            agent: config.into(),
            settings: settings.clone(),
            hosts: HashMap::new(),
        }
    }

    /// When a request to `host` may be made (now or later).
    pub(crate) fn ready_at(&self, host: &str) -> Instant {
        let now = Instant::now();
        let Some(h) = self.hosts.get(host) else {
            return now;
        };
        let polite = h
            .last
            .map_or(now, |t| (t + self.settings.host_interval).max(now));
        h.blocked_until.map_or(polite, |b| b.max(polite))
    }

    /// Whether `host` is backing off (429/5xx) for longer than `within`.
    pub(crate) fn blocked_beyond(&self, host: &str, within: Duration) -> Option<Duration> {
        let b = self.hosts.get(host)?.blocked_until?;
        let left = b.saturating_duration_since(Instant::now());
        (left > within).then_some(left)
    }

    /// Records a backoff for `host` read from the archive (a previous run's 429).
    pub(crate) fn block_until(&mut self, host: &str, wait: Duration) {
        let h = self.hosts.entry(host.to_string()).or_default();
        h.blocked_until = Some(Instant::now() + wait);
    }

    /// Fetches `url` (sending the validators given), waiting first until the host may be
    /// asked. `cancel` is checked while waiting.
    pub(crate) fn fetch(
        &mut self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        cancel: &dyn Fn() -> bool,
    ) -> Fetched {
        let Some(host) = host_of(url) else {
            return Fetched::Failed("not an http or https URL".into());
        };
        if self.settings.respect_robots {
            let robots = self.robots_for(url, &host, cancel);
            if !robots.allows(&path_of(url)) {
                return Fetched::Disallowed;
            }
        }
        if !self.wait_for(&host, cancel) {
            return Fetched::Failed("interrupted".into());
        }
        let mut req = self.agent.get(url);
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(m) = last_modified {
            req = req.header("If-Modified-Since", m);
        }
        let result = req.call();
        let h = self.hosts.entry(host.clone()).or_default();
        h.last = Some(Instant::now());
        let mut resp = match result {
            Ok(r) => r,
            Err(e) => return Fetched::Failed(describe(&e, &self.settings)),
        };
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if (300..400).contains(&status) && status != 304 {
            let history: Vec<String> = resp
                .get_redirect_history()
                .unwrap_or(&[])
                .iter()
                .map(ToString::to_string)
                .collect();
            let looped = history
                .iter()
                .enumerate()
                .any(|(i, u)| history[..i].contains(u));
            return Fetched::Failed(if looped {
                format!("redirect loop: {}", history.join(" -> "))
            } else {
                format!(
                    "more than {} redirects: {}",
                    self.settings.max_redirects,
                    history.join(" -> ")
                )
            });
        }
        if status == 429 || (500..600).contains(&status) {
            let h = self.hosts.entry(host).or_default();
            h.failures = h.failures.saturating_add(1);
            let doubling = self
                .settings
                .host_interval
                .max(Duration::from_secs(30))
                .saturating_mul(1u32 << h.failures.min(16));
            let wait = header("retry-after")
                .and_then(|v| parse_retry_after(&v, SystemTime::now()))
                .unwrap_or(doubling)
                .min(self.settings.max_backoff);
            h.blocked_until = Some(Instant::now() + wait);
            return Fetched::Throttled { status, wait };
        }
        self.hosts.entry(host).or_default().failures = 0;
        match status {
            304 => Fetched::NotModified,
            404 | 410 => Fetched::Gone(status),
            200..=299 => {
                let etag = header("etag");
                let last_modified = header("last-modified");
                let content_type = header("content-type");
                let final_url = resp.get_uri().to_string();
                match resp
                    .body_mut()
                    .with_config()
                    .limit(self.settings.max_page_bytes)
                    .read_to_vec()
                {
                    Ok(body) => Fetched::Page(Page {
                        status,
                        final_url,
                        content_type,
                        etag,
                        last_modified,
                        body,
                    }),
                    Err(e) => Fetched::Failed(describe(&e, &self.settings)),
                }
            }
            other => Fetched::Failed(format!("HTTP {other}")),
        }
    }

    /// Sleeps until `host` may be asked again; false when cancelled meanwhile.
    fn wait_for(&self, host: &str, cancel: &dyn Fn() -> bool) -> bool {
        let at = self.ready_at(host);
        while Instant::now() < at {
            if cancel() {
                return false;
            }
            let left = at.saturating_duration_since(Instant::now());
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
        !cancel()
    }

    /// The robots.txt rules of `url`'s site, fetched once a day.
    fn robots_for(&mut self, url: &str, host: &str, cancel: &dyn Fn() -> bool) -> Robots {
        if let Some((r, at)) = self.hosts.get(host).and_then(|h| h.robots.as_ref())
            && at.elapsed() < ROBOTS_TTL
        {
            return r.clone();
        }
        let scheme = if url
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("https"))
        {
            "https"
        } else {
            "http"
        };
        let robots_url = format!("{scheme}://{host}/robots.txt");
        if !self.wait_for(host, cancel) {
            return Robots::deny_all();
        }
        let result = self.agent.get(&robots_url).call();
        let h = self.hosts.entry(host.to_string()).or_default();
        h.last = Some(Instant::now());
        let rules = match result {
            Ok(mut r) => {
                let status = r.status().as_u16();
                if (200..300).contains(&status) {
                    let body = r
                        .body_mut()
                        .with_config()
                        .limit(512 << 10)
                        .read_to_vec()
                        .unwrap_or_default();
                    Robots::parse(&String::from_utf8_lossy(&body), "stet")
                } else if (400..500).contains(&status) {
                    Robots::allow_all()
                } else {
                    Robots::deny_all()
                }
            }
            // Unreachable: RFC 9309 says assume everything is disallowed (tried again next
            // round, not cached).
            Err(_) => return Robots::deny_all(),
        };
        h.robots = Some((rules.clone(), Instant::now()));
        rules
    }
}

/// A readable reason for a failed request.
fn describe(e: &ureq::Error, settings: &WatchSettings) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "timed out after {:.1} s (watch.timeout_seconds)",
            settings.timeout.as_secs_f64()
        ),
        ureq::Error::BodyExceedsLimit(_) => format!(
            "page larger than {} KB (watch.max_page_kb); not read",
            settings.max_page_bytes >> 10
        ),
        ureq::Error::TooManyRedirects => {
            format!("more than {} redirects", settings.max_redirects)
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_paths() {
        assert_eq!(
            host_of("https://Example.com:8080/a?b").as_deref(),
            Some("example.com:8080")
        );
        assert_eq!(host_of("HTTP://x.org").as_deref(), Some("x.org"));
        assert_eq!(host_of("ftp://x.org/"), None);
        assert_eq!(host_of("https:///nohost"), None);
        assert_eq!(path_of("https://x.org"), "/");
        assert_eq!(path_of("https://x.org/a/b?c=1#frag"), "/a/b?c=1");
        assert_eq!(path_of("https://x.org?q"), "/?q");
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
