//! `stet watch`: follow feeds and pages, keep every version, export them (issue 19).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use crate::paths::StetDirs;
use crate::watch::db::{Added, WatchStore};
use crate::watch::poll::{Event, run_round};
use crate::watch::{WatchSettings, export, format_time};

/// `stet watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: WatchAction,
}

/// What `stet watch` does.
#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Watch feeds (RSS, Atom, JSON Feed: their entries are watched) or article pages.
    Add {
        /// http(s) URLs.
        #[arg(required = true)]
        urls: Vec<String>,
    },
    /// List the watched URLs: kind, versions, last answer, when due, title.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Stop polling URLs (their versions are kept; `add` resumes).
    Remove {
        /// URLs as listed.
        #[arg(required = true)]
        urls: Vec<String>,
    },
    /// Poll the due URLs until interrupted (Ctrl-C), a summary line per round.
    Run {
        /// One round, then exit.
        #[arg(long)]
        once: bool,
        /// Fetch every watched URL now, whatever the schedule.
        #[arg(long)]
        all: bool,
    },
    /// Write the versions (all, or of the URLs or stories named) as JSONL or the NewsEdits table.
    Export {
        /// URLs, story ids (`watch:URL`) or article ids (`w3v1`); none: all.
        names: Vec<String>,
        /// jsonl (one version a line) or newsedits (CSV: entry_id, version, title, url,
        /// created, summary).
        #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "newsedits"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}

/// The watch folder of the user data directory.
fn watch_dir() -> Result<std::path::PathBuf> {
    Ok(WatchStore::dir_in(&StetDirs::discover()?.data))
}

/// Opens the archive for writing, printing what was met on the way.
fn open_rw() -> Result<WatchStore> {
    let (store, problems) = WatchStore::open(&watch_dir()?)?;
    for p in problems {
        crate::say!("stet watch: {p}");
    }
    Ok(store)
}

/// Runs `stet watch`.
pub(crate) fn run(args: &WatchArgs, config: Option<&std::path::Path>) -> Result<ExitCode> {
    let (cfg, _) = crate::config::Config::load(config, true);
    match &args.action {
        WatchAction::Add { urls } => add(urls),
        WatchAction::List { json } => list(*json),
        WatchAction::Remove { urls } => remove(urls),
        WatchAction::Run { once, all } => poll(&cfg.watch, *once, *all),
        WatchAction::Export {
            names,
            format,
            output,
        } => export_cmd(names, format, output.as_deref()),
    }
}

/// Whether `url` is an absolute http(s) URL with a host; else why not.
fn check_url(url: &str) -> Result<(), String> {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("contains spaces or control characters".into());
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err("not an http:// or https:// URL".into());
    }
    if crate::watch::http::host_of(url).is_none() {
        return Err("no host".into());
    }
    Ok(())
}

fn add(urls: &[String]) -> Result<ExitCode> {
    let mut store = open_rw()?;
    let now = crate::watch::db::now();
    let mut bad = 0;
    let mut out = super::output::stdout();
    for url in urls {
        if let Err(why) = check_url(url) {
            crate::say!("stet watch add: {url}: {why}; not added");
            bad += 1;
            continue;
        }
        let what = match store.add(url, None, now)? {
            Added::New => "watching",
            Added::Resumed => "watching again",
            Added::Already => "already watched",
        };
        writeln!(out, "{what}: {url}")?;
    }
    out.flush()?;
    if bad == 0 {
        writeln!(
            out,
            "`stet watch run` fetches them (feeds and pages are told apart by content)"
        )?;
    }
    Ok(if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn list(json: bool) -> Result<ExitCode> {
    let store = WatchStore::open_read_only(&watch_dir()?)?;
    let items = store.list()?;
    let mut out = super::output::stdout();
    if json {
        writeln!(out, "{}", crate::text::json::json_string(&items, true)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if items.is_empty() {
        crate::say!("nothing watched yet: `stet watch add URL...`");
        return Ok(ExitCode::SUCCESS);
    }
    for w in &items {
        let status = match (w.last_status, &w.gone_since) {
            (_, Some(since)) => format!("gone since {}", format_time(*since)),
            (Some(s), None) => format!("HTTP {s}"),
            (None, None) if w.last_fetch.is_none() => "not fetched yet".into(),
            (None, None) => "no answer".into(),
        };
        let due = if w.active {
            format!("due {}", format_time(w.next_due))
        } else {
            "removed".into()
        };
        let versions = match w.kind {
            "feed" => "feed".to_string(),
            _ if w.suspect > 0 => format!("{} versions ({} suspect)", w.versions, w.suspect),
            _ => crate::text::plural(
                usize::try_from(w.versions).unwrap_or(0),
                "version",
                "versions",
            ),
        };
        writeln!(
            out,
            "{:<22} {:<18} {:<26} {}  {}",
            versions,
            status,
            due,
            w.url,
            w.title.as_deref().unwrap_or("")
        )?;
        if let Some(e) = &w.last_error {
            writeln!(out, "    last problem: {e}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn remove(urls: &[String]) -> Result<ExitCode> {
    let mut store = open_rw()?;
    let mut missing = 0;
    let mut out = super::output::stdout();
    for url in urls {
        if store.remove(url)? {
            writeln!(out, "no longer polled (versions kept): {url}")?;
        } else {
            crate::say!("stet watch remove: not watched: {url}");
            missing += 1;
        }
    }
    Ok(if missing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Ctrl-C: the first stops after the current fetch; a second ends at once.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        for sig in [SIGINT, SIGTERM] {
            let _ = signal_hook::flag::register_conditional_shutdown(sig, 130, flag.clone());
            let _ = signal_hook::flag::register(sig, flag.clone());
        }
    }
    flag
}

fn poll(settings: &WatchSettings, once: bool, all: bool) -> Result<ExitCode> {
    if WatchStore::open_read_only(&watch_dir()?)?
        .list()?
        .iter()
        .all(|w| !w.active)
    {
        bail!("nothing to poll: `stet watch add URL...` first");
    }
    let mut store = open_rw()?;
    let stop = interrupt_flag();
    let cancel = {
        let stop = stop.clone();
        move || stop.load(Ordering::Relaxed)
    };
    let mut fetcher = crate::watch::http::Fetcher::new(settings);
    let tty = std::io::stderr().is_terminal();
    let mut round = 0;
    let mut had_problems = false;
    loop {
        round += 1;
        let mut on_event = |e: Event| match e {
            Event::Fetching { url, done, total } => {
                if tty {
                    let mut err = super::output::stderr();
                    let _ = err.write_control("\r\x1b[2K");
                    let _ = write!(
                        err,
                        "[{}/{}] {}",
                        done + 1,
                        total,
                        super::output::display_width_truncate(&url, 70)
                    );
                    let _ = err.flush();
                }
            }
            Event::NewVersion {
                url,
                number,
                title,
                minor,
                suspect,
            } => {
                clear(tty);
                let flag = match (minor, suspect) {
                    (_, true) => " [suspect]",
                    (true, _) => " [minor]",
                    _ => "",
                };
                crate::say!(
                    "new: {url} v{number}{flag} {}",
                    title.as_deref().unwrap_or("")
                );
            }
            Event::NewEntries { feed, count } => {
                clear(tty);
                crate::say!(
                    "feed: {feed}: {}",
                    crate::text::plural(count, "new entry", "new entries")
                );
            }
            Event::Problem { url, message } => {
                clear(tty);
                crate::say!("problem: {url}: {message}");
            }
        };
        let summary = run_round(
            &mut store,
            &mut fetcher,
            settings,
            all && round == 1,
            &cancel,
            &mut on_event,
        )?;
        clear(tty);
        had_problems |= summary.problems > 0;
        let mut out = super::output::stdout();
        writeln!(
            out,
            "round {round} ({}): {summary}",
            format_time(crate::watch::db::now())
        )?;
        out.flush()?;
        refresh_corpus_file(&store);
        if once || summary.interrupted || cancel() {
            break;
        }
        let next = store.next_due()?.unwrap_or(crate::watch::db::now() + 3600);
        let wait = (next - crate::watch::db::now()).clamp(1, 24 * 3600);
        crate::say!(
            "next round at {} (Ctrl-C stops)",
            format_time(crate::watch::db::now() + wait)
        );
        let until = std::time::Instant::now() + Duration::from_secs(wait.unsigned_abs());
        while std::time::Instant::now() < until && !cancel() {
            std::thread::sleep(Duration::from_millis(200));
        }
        if cancel() {
            break;
        }
    }
    Ok(if had_problems && once {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn clear(tty: bool) {
    if tty {
        super::output::clear_progress_line();
    }
}

/// Rewrites the corpus file behind `watch:` (a failure is said, never fatal).
fn refresh_corpus_file(store: &WatchStore) {
    if let Ok(dirs) = StetDirs::discover()
        && let Err(e) = export::refresh_corpus(store, &dirs.cache)
    {
        crate::say!("stet watch: cannot write the corpus file: {e}");
    }
}

fn export_cmd(
    names: &[String],
    format: &str,
    output: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let store = WatchStore::open_read_only(&watch_dir()?)?;
    let urls = export::select_urls(&store, names).map_err(anyhow::Error::msg)?;
    let mut bytes = Vec::new();
    let n = match format {
        "newsedits" => export::write_newsedits(&store, &urls, &mut bytes),
        _ => export::write_jsonl(&store, &urls, &mut bytes),
    }
    .map_err(anyhow::Error::msg)?;
    match output {
        Some(path) => crate::atomic_file::write_bytes(path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None if std::io::stdout().is_terminal() => {
            let mut out = super::output::stdout();
            out.write_all(&bytes)?;
        }
        None => {
            let mut lock = std::io::stdout().lock();
            match lock.write_all(&bytes).and_then(|()| lock.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write to standard output")?,
            }
        }
    }
    crate::say!("{} exported", crate::text::plural(n, "version", "versions"));
    Ok(ExitCode::SUCCESS)
}

/// Replaces each `watch:` among `paths` by the corpus file of the watch archive (rewritten
/// first from the archive when it changed).
pub(crate) fn resolve_spec(paths: &mut [std::path::PathBuf]) -> Result<()> {
    if !paths
        .iter()
        .any(|p| p.as_os_str() == crate::watch::CORPUS_SPEC)
    {
        return Ok(());
    }
    let dirs = StetDirs::discover()?;
    let store = WatchStore::open_read_only(&WatchStore::dir_in(&dirs.data))?;
    let file = export::refresh_corpus(&store, &dirs.cache).map_err(anyhow::Error::msg)?;
    if store.versions(&[])?.is_empty() {
        crate::say!(
            "stet: the watch archive holds no versions yet (`stet watch add URL...`, then `stet watch run`)"
        );
    }
    for p in paths.iter_mut() {
        if p.as_os_str() == crate::watch::CORPUS_SPEC {
            p.clone_from(&file);
        }
    }
    Ok(())
}
