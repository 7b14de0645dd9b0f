//! One polling round: every due URL fetched once (politely: one host at a time, at its
//! interval), feeds read for new entries, pages kept as a new version when their fingerprint
//! changed, everything else a problem line; the round goes on past any one failure.

use std::collections::HashSet;
use std::time::Duration;

use super::db::{Kind, NewVersion, WatchDbError, WatchStore, Watched};
use super::http::{Fetched, Fetcher, Page, host_of};
use super::page;
use super::settings::WatchSettings;

/// What happened to one URL, as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// About to fetch the `done`-th of `total` URLs.
    Fetching {
        /// The URL.
        url: String,
        /// How many were fetched before it.
        done: usize,
        /// How many are due (so far: feeds add more).
        total: usize,
    },
    /// A new version was kept.
    NewVersion {
        /// The URL.
        url: String,
        /// Its number.
        number: i64,
        /// Its headline.
        title: Option<String>,
        /// Only dates, times or counters changed.
        minor: bool,
        /// The extraction lost more than half the text: kept, flagged, not current.
        suspect: bool,
    },
    /// A feed named URLs not watched before.
    NewEntries {
        /// The feed.
        feed: String,
        /// How many.
        count: usize,
    },
    /// A problem with one URL (the round goes on).
    Problem {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
}

/// The counts of one round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    /// URLs fetched (or tried).
    pub fetched: usize,
    /// New versions kept (minor and suspect ones included).
    pub new_versions: usize,
    /// Of which minor.
    pub minor: usize,
    /// Of which suspect.
    pub suspect: usize,
    /// Pages unchanged (same fingerprint, or 304).
    pub unchanged: usize,
    /// URLs added from feeds.
    pub new_urls: usize,
    /// Pages answering 404/410.
    pub gone: usize,
    /// Problems.
    pub problems: usize,
    /// URLs put off because their host is backing off.
    pub deferred: usize,
    /// Whether the round was interrupted.
    pub interrupted: bool,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} fetched: {} new {} ({} minor, {} suspect), {} unchanged, {} new from feeds, {} gone, {} {}",
            self.fetched,
            self.new_versions,
            crate::text::noun(self.new_versions, "version", "versions"),
            self.minor,
            self.suspect,
            self.unchanged,
            self.new_urls,
            self.gone,
            self.problems,
            crate::text::noun(self.problems, "problem", "problems"),
        )?;
        if self.deferred > 0 {
            write!(f, ", {} put off (host backing off)", self.deferred)?;
        }
        if self.interrupted {
            write!(f, "; interrupted")?;
        }
        Ok(())
    }
}

/// Runs one round over the URLs due now (every active one with `all`). `cancel` is checked
/// between fetches and while waiting for a host; `on_event` hears each step.
pub(crate) fn run_round(
    store: &mut WatchStore,
    fetcher: &mut Fetcher,
    settings: &WatchSettings,
    all: bool,
    cancel: &dyn Fn() -> bool,
    on_event: &mut dyn FnMut(Event),
) -> Result<Summary, WatchDbError> {
    let mut summary = Summary::default();
    let now = super::db::now();
    for (host, until) in store.blocked_hosts(now)? {
        fetcher.block_until(
            &host,
            Duration::from_secs((until - now).max(0).unsigned_abs()),
        );
    }
    let mut attempted: HashSet<i64> = HashSet::new();
    let mut queue: Vec<Watched> = Vec::new();
    loop {
        if queue.is_empty() {
            queue = store
                .due(super::db::now(), all)?
                .into_iter()
                .filter(|w| !attempted.contains(&w.id))
                .collect();
            if queue.is_empty() {
                break;
            }
        }
        if cancel() {
            summary.interrupted = true;
            break;
        }
        // The first URL (most overdue) whose host may be asked soonest.
        let pick = (0..queue.len())
            .min_by_key(|&i| host_of(&queue[i].url).map(|h| fetcher.ready_at(&h)))
            .unwrap_or(0);
        let item = queue.remove(pick);
        attempted.insert(item.id);
        let host = host_of(&item.url).unwrap_or_default();
        let now = super::db::now();
        if let Some(left) = fetcher.blocked_beyond(&host, Duration::ZERO) {
            summary.deferred += 1;
            let due = now + i64::try_from(left.as_secs()).unwrap_or(i64::MAX / 2);
            store.record_fetch(
                item.id,
                item.last_fetch.unwrap_or(now),
                None,
                item.last_error.as_deref(),
                due,
                None,
                None,
            )?;
            continue;
        }
        on_event(Event::Fetching {
            url: item.url.clone(),
            done: summary.fetched,
            total: summary.fetched + queue.len() + 1,
        });
        let fetched = fetcher.fetch(
            &item.url,
            item.etag.as_deref(),
            item.last_modified.as_deref(),
            cancel,
        );
        if matches!(&fetched, Fetched::Failed(m) if m == "interrupted") {
            summary.interrupted = true;
            break;
        }
        summary.fetched += 1;
        let now = super::db::now();
        handle(
            store,
            settings,
            &item,
            fetched,
            now,
            &host,
            &mut summary,
            on_event,
        )?;
    }
    Ok(summary)
}

/// When `item` is due again after a fetch at `now`.
fn due_after(settings: &WatchSettings, item: &Watched, kind: Kind, now: i64) -> i64 {
    let every = if kind == Kind::Feed {
        settings.feed_interval
    } else {
        let age = now - item.first_fetched.unwrap_or(now);
        settings.interval_for_age(Duration::from_secs(age.max(0).unsigned_abs()))
    };
    now + i64::try_from(every.as_secs()).unwrap_or(i64::MAX / 2)
}

#[allow(clippy::too_many_arguments)]
fn handle(
    store: &mut WatchStore,
    settings: &WatchSettings,
    item: &Watched,
    fetched: Fetched,
    now: i64,
    host: &str,
    summary: &mut Summary,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), WatchDbError> {
    let mut problem = |summary: &mut Summary, message: String| {
        summary.problems += 1;
        on_event(Event::Problem {
            url: item.url.clone(),
            message,
        });
    };
    let kind = item.kind();
    match fetched {
        Fetched::Page(p) => {
            return handle_page(store, settings, item, &p, now, host, summary, on_event);
        }
        Fetched::NotModified => {
            summary.unchanged += 1;
            let due = due_after(settings, item, kind, now);
            store.record_fetch(item.id, now, Some(304), None, due, None, None)?;
        }
        Fetched::Gone(status) => {
            summary.gone += 1;
            let since = item.gone_since.unwrap_or(now);
            let message = format!(
                "HTTP {status}: gone since {} (still watched; a page that comes back continues its versions)",
                crate::watch::format_time(since)
            );
            problem(summary, message.clone());
            let due = due_after(settings, item, kind, now);
            store.record_fetch(item.id, now, Some(status), Some(&message), due, None, None)?;
        }
        Fetched::Throttled { status, wait } => {
            let secs = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX / 2);
            let message = format!(
                "HTTP {status}: the host asks to wait; backing off {} s",
                secs
            );
            problem(summary, message.clone());
            store.block_host(host, now + secs)?;
            store.record_fetch(
                item.id,
                now,
                Some(status),
                Some(&message),
                now + secs.max(1),
                None,
                None,
            )?;
        }
        Fetched::Disallowed => {
            let message = "robots.txt disallows this URL for stet; not fetched (set watch.respect_robots = false to fetch anyway)".to_string();
            problem(summary, message.clone());
            let due = due_after(settings, item, kind, now);
            store.record_fetch(item.id, now, None, Some(&message), due, None, None)?;
        }
        Fetched::Failed(message) => {
            problem(summary, message.clone());
            let due = due_after(settings, item, kind, now);
            store.record_fetch(item.id, now, None, Some(&message), due, None, None)?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn handle_page(
    store: &mut WatchStore,
    settings: &WatchSettings,
    item: &Watched,
    p: &Page,
    now: i64,
    host: &str,
    summary: &mut Summary,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), WatchDbError> {
    let validators = Some((p.etag.as_deref(), p.last_modified.as_deref()));
    let status = Some(p.status);
    if page::looks_like_feed(&p.body) {
        let due = due_after(settings, item, Kind::Feed, now);
        match page::parse_feed(&p.body, &p.final_url) {
            Ok(entries) => {
                let mut added = 0;
                for (link, _) in &entries.links {
                    if store.add(link, Some(item.id), now)? == super::db::Added::New {
                        added += 1;
                    }
                }
                summary.new_urls += added;
                summary.unchanged += 1;
                if added > 0 {
                    on_event(Event::NewEntries {
                        feed: item.url.clone(),
                        count: added,
                    });
                }
                let note = (entries.without_link > 0).then(|| {
                    format!(
                        "{} without a link skipped",
                        crate::text::plural(entries.without_link, "entry", "entries")
                    )
                });
                store.set_title(item.id, entries.title.as_deref())?;
                store.record_fetch(
                    item.id,
                    now,
                    status,
                    note.as_deref(),
                    due,
                    Some(Kind::Feed),
                    validators,
                )?;
            }
            Err(message) => {
                summary.problems += 1;
                on_event(Event::Problem {
                    url: item.url.clone(),
                    message: message.clone(),
                });
                // Validators not kept: the next fetch gets the whole feed again.
                store.record_fetch(
                    item.id,
                    now,
                    status,
                    Some(&message),
                    due,
                    Some(Kind::Feed),
                    Some((None, None)),
                )?;
            }
        }
        return Ok(());
    }
    let html = page::decode(p.content_type.as_deref(), &p.body);
    let extracted = page::extract(&html, settings.selector_for(host));
    let current = store.current(item.id)?;
    let latest = store.latest(item.id)?;
    let (title, text, failure) = match extracted {
        Ok(t) => (t.title, t.text, None),
        Err(e) => (None, String::new(), Some(e)),
    };
    let first = item.first_fetched.is_none();
    let mut item_for_due = item.clone();
    if first {
        item_for_due.first_fetched = Some(now);
    }
    let due = due_after(settings, &item_for_due, Kind::Page, now);
    if let Some(message) = &failure
        && current.is_none()
    {
        // Not an article (or nothing found): said, nothing kept.
        summary.problems += 1;
        on_event(Event::Problem {
            url: item.url.clone(),
            message: message.clone(),
        });
        store.record_fetch(
            item.id,
            now,
            status,
            Some(message),
            due,
            Some(Kind::Page),
            validators,
        )?;
        return Ok(());
    }
    let fp = page::fingerprint(title.as_deref(), &text);
    let same = latest.as_ref().is_some_and(|v| v.fingerprint == fp)
        || current.as_ref().is_some_and(|v| v.fingerprint == fp);
    if same {
        summary.unchanged += 1;
        store.record_fetch(
            item.id,
            now,
            status,
            None,
            due,
            Some(Kind::Page),
            validators,
        )?;
        return Ok(());
    }
    let suspect = current
        .as_ref()
        .is_some_and(|c| failure.is_some() || page::is_suspect(&c.text, &text));
    let minor = !suspect
        && current.as_ref().is_some_and(|c| {
            page::is_minor((c.title.as_deref(), &c.text), (title.as_deref(), &text))
        });
    let number = store.add_version(
        item.id,
        &NewVersion {
            fetched_at: now,
            status: p.status,
            final_url: &p.final_url,
            content_type: p.content_type.as_deref(),
            title: title.as_deref(),
            text: &text,
            fingerprint: &fp,
            minor,
            suspect,
            etag: p.etag.as_deref(),
            last_modified: p.last_modified.as_deref(),
            raw: &p.body,
        },
    )?;
    summary.new_versions += 1;
    summary.minor += usize::from(minor);
    summary.suspect += usize::from(suspect);
    on_event(Event::NewVersion {
        url: item.url.clone(),
        number,
        title: title.clone(),
        minor,
        suspect,
    });
    let note = suspect.then(|| {
        format!(
            "version {number} flagged suspect: the extraction lost more than half the text; version {} stays current",
            current.as_ref().map_or(0, |c| c.number)
        )
    });
    if let Some(n) = &note {
        summary.problems += 1;
        on_event(Event::Problem {
            url: item.url.clone(),
            message: n.clone(),
        });
    }
    store.record_fetch(
        item.id,
        now,
        status,
        note.as_deref(),
        due,
        Some(Kind::Page),
        validators,
    )?;
    Ok(())
}
