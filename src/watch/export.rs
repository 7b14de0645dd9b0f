//! The versions out of the archive: JSONL (one version a line), the NewsEdits table
//! (`entry_id, version, title, url, created, summary`), and the corpus file that `watch:`
//! opens (the JSONL of the current versions, rewritten only when it changed).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::db::{Version, WatchDbError, WatchStore};
use super::format_time;

/// One version as a JSONL export line (also the corpus records behind `watch:`).
#[derive(Debug, serde::Serialize)]
struct Line<'a> {
    /// The article id in the corpus: `wURLvN`.
    id: String,
    /// The story key: every version of one URL is one story.
    story: String,
    url: &'a str,
    version: i64,
    fetched: String,
    /// The fetch time again, under the name the corpus loader reads as the date.
    date: String,
    source: String,
    title: Option<&'a str>,
    text: &'a str,
    status: i64,
    final_url: Option<&'a str>,
    minor: bool,
    suspect: bool,
}

/// The short id of each watched URL (its row order), for article ids such as `w3v2`.
fn url_numbers(
    store: &WatchStore,
) -> Result<std::collections::HashMap<String, usize>, WatchDbError> {
    Ok(store
        .list()?
        .into_iter()
        .enumerate()
        .map(|(i, w)| (w.url, i + 1))
        .collect())
}

fn line<'a>(v: &'a Version, n: usize) -> Line<'a> {
    Line {
        id: format!("w{n}v{}", v.number),
        story: format!("watch:{}", v.url),
        url: &v.url,
        version: v.number,
        fetched: format_time(v.fetched_at),
        date: format_time(v.fetched_at),
        source: super::http::host_of(&v.url).unwrap_or_default(),
        title: v.title.as_deref(),
        text: &v.text,
        status: v.status,
        final_url: v.final_url.as_deref(),
        minor: v.minor,
        suspect: v.suspect,
    }
}

/// The URLs that `names` (URLs, or story ids `watch:URL`) pick; all when empty. An error names
/// what matched nothing.
pub(crate) fn select_urls(store: &WatchStore, names: &[String]) -> Result<Vec<String>, String> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> = store
        .list()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|w| w.url)
        .collect();
    let numbers: Vec<(String, usize)> = known.iter().cloned().zip(1..).collect();
    let mut out = Vec::new();
    for name in names {
        let bare = name.strip_prefix(super::CORPUS_SPEC).unwrap_or(name);
        let by_short = bare
            .strip_prefix('w')
            .and_then(|r| r.split('v').next())
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| {
                numbers
                    .iter()
                    .find(|(_, k)| *k == n)
                    .map(|(u, _)| u.clone())
            });
        match known.iter().find(|u| *u == bare).cloned().or(by_short) {
            Some(u) => out.push(u),
            None => {
                return Err(format!(
                    "not watched: {name} (`stet watch list` shows the URLs)"
                ));
            }
        }
    }
    Ok(out)
}

/// Writes every version of `urls` (all when empty) as JSONL, one version a line.
pub(crate) fn write_jsonl(
    store: &WatchStore,
    urls: &[String],
    out: &mut dyn Write,
) -> Result<usize, String> {
    let numbers = url_numbers(store).map_err(|e| e.to_string())?;
    let versions = store.versions(urls).map_err(|e| e.to_string())?;
    for v in &versions {
        let n = numbers.get(&v.url).copied().unwrap_or(0);
        crate::text::json::write_json(&mut *out, &line(v, n), false).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    Ok(versions.len())
}

/// The NewsEdits table's columns.
pub(crate) const NEWSEDITS_COLUMNS: [&str; 6] =
    ["entry_id", "version", "title", "url", "created", "summary"];

/// Writes the versions as the NewsEdits table (CSV): `entry_id` the URL's number, `version`
/// from 0 as NewsEdits counts, `created` `YYYY-MM-DD HH:MM:SS` (UTC), `summary` the text.
/// Suspect versions are left out (they are not versions of the article).
pub(crate) fn write_newsedits(
    store: &WatchStore,
    urls: &[String],
    out: &mut dyn Write,
) -> Result<usize, String> {
    let numbers = url_numbers(store).map_err(|e| e.to_string())?;
    let versions = store.versions(urls).map_err(|e| e.to_string())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(NEWSEDITS_COLUMNS)
        .map_err(|e| e.to_string())?;
    let mut n = 0;
    let mut per_url: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for v in versions.iter().filter(|v| !v.suspect) {
        let k = per_url.entry(v.url.as_str()).or_insert(0);
        let created = format_time(v.fetched_at)
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_string();
        w.write_record([
            numbers.get(&v.url).copied().unwrap_or(0).to_string(),
            k.to_string(),
            v.title.clone().unwrap_or_default(),
            v.url.clone(),
            created,
            v.text.clone(),
        ])
        .map_err(|e| e.to_string())?;
        *k += 1;
        n += 1;
    }
    w.flush().map_err(|e| e.to_string())?;
    Ok(n)
}

/// The corpus file behind `watch:` in the cache directory `cache`.
pub(crate) fn corpus_file(cache: &Path) -> PathBuf {
    cache.join("watch").join("archive.jsonl")
}

/// Writes the corpus file of the archive in `data_dir` (its versions but the suspect ones) into
/// `cache`, replacing it only when its content changed (so caches keyed on it stay valid);
/// the file's path.
pub(crate) fn refresh_corpus(store: &WatchStore, cache: &Path) -> Result<PathBuf, String> {
    let numbers = url_numbers(store).map_err(|e| e.to_string())?;
    let versions = store.versions(&[]).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    for v in versions.iter().filter(|v| !v.suspect) {
        let n = numbers.get(&v.url).copied().unwrap_or(0);
        crate::text::json::write_json(&mut bytes, &line(v, n), false).map_err(|e| e.to_string())?;
        bytes.push(b'\n');
    }
    let path = corpus_file(cache);
    if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
        crate::atomic_file::write_bytes(&path, &bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(path)
}
