//! `stet search`: full-text search over every article of a corpus, answered with stories.
//! The index is kept in the corpus's cache dir: built on the first search (after loading and
//! grouping, through the derived store shared with `stet stories` and the reader), reused
//! while the corpus is unchanged, rebuilt when it changed or is found damaged.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::{SearchArgs, output};
use crate::corpus::group::GroupSettings;
use crate::corpus::{self, Corpus};
use crate::search::{self, Fingerprint, Index, IndexLocation, OpenError, SearchError, StoryHit};
use crate::text::sanitize_for_terminal;

/// Runs `stet search`. Exit code: 0 when stories match, 1 when none does, 2 for a query that
/// cannot be understood or a corpus where nothing loaded.
pub(crate) fn run(args: &SearchArgs, config: Option<&std::path::Path>) -> Result<ExitCode> {
    let (config, problems) = crate::config::Config::load(config, false);
    for p in &problems {
        crate::say!("{p}");
    }
    // A query that cannot be understood is said before any corpus is loaded.
    if let Err(e) = search::query::parse(&args.query) {
        crate::say!("stet: query: {e}");
        return Ok(ExitCode::from(2));
    }
    let settings = super::stories::settings_from_args(&config.group, &args.group);
    let options = options_description(args, &settings);
    let mut sample: Option<Corpus> = None;
    let fingerprint = if args.paths.is_empty() {
        let c = corpus::sample::load_sample(&super::load_options(&args.load)?);
        let fp = Fingerprint::of_content(search::corpus_content_hash(&c), &options);
        sample = Some(c);
        fp
    } else {
        Fingerprint::of_paths(&args.paths, &options)
    };
    let (location, scratch) = index_location(args, fingerprint);
    let result = search_with_rebuild(args, &settings, &location, sample);
    if scratch {
        let _ = std::fs::remove_dir_all(location.dir.parent().unwrap_or(&location.dir));
    }
    let hits = match result? {
        Outcome::Hits(h) => h,
        Outcome::NothingLoaded => return Ok(ExitCode::from(2)),
        Outcome::BadQuery(e) => {
            crate::say!("stet: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut out = output::stdout_with(1 << 16, false);
    if args.json {
        write_json(&mut out, &args.query, &hits)?;
    } else {
        let styled = std::io::stdout().is_terminal() && !crate::config::no_color_requested();
        drop(out);
        let mut out = output::stdout_with(1 << 16, styled);
        write_plain(&mut out, &hits, styled)?;
        out.flush()?;
    }
    if hits.is_empty() {
        if !args.json {
            crate::say!(
                "no story matches {}",
                sanitize_for_terminal(&args.query, false)
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

enum Outcome {
    Hits(Vec<StoryHit>),
    NothingLoaded,
    BadQuery(SearchError),
}

/// Everything the index depends on besides the files: load and grouping options.
fn options_description(args: &SearchArgs, settings: &GroupSettings) -> String {
    let mut keywords = args.load.keywords.clone();
    keywords.push(format!("{:?}", super::config_keywords()));
    search::fingerprint::options_description(
        &args.load.fields,
        &keywords,
        args.load.max_record_mb,
        &serde_json::to_string(settings).unwrap_or_default(),
    )
}

/// The corpus's index folder, or a scratch folder (removed after) with `--no-cache` or
/// without a cache dir.
fn index_location(args: &SearchArgs, fingerprint: Fingerprint) -> (IndexLocation, bool) {
    let dirs = crate::paths::StetDirs::discover().ok();
    match dirs {
        Some(d) if !args.group.no_cache => {
            let dir = d.corpus_cache_dir(&crate::paths::CorpusKey::for_paths(&args.paths));
            (IndexLocation::new(&dir, fingerprint), false)
        }
        _ => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir =
                std::env::temp_dir().join(format!("stet-search-{}-{nanos}", std::process::id()));
            (IndexLocation::new(&dir, fingerprint), true)
        }
    }
}

/// Opens the index (building it when missing, stale or damaged) and searches; a search that
/// finds the index damaged rebuilds it once and searches again.
fn search_with_rebuild(
    args: &SearchArgs,
    settings: &GroupSettings,
    location: &IndexLocation,
    mut sample: Option<Corpus>,
) -> Result<Outcome> {
    let limit = usize::try_from(args.limit).unwrap_or(search::MAX_LIMIT);
    let mut built_now = false;
    let mut index = match Index::open(location) {
        Ok(index) => index,
        Err(why) => {
            if let OpenError::Damaged(_) = why {
                crate::say!("stet: {why}; rebuilding it");
            }
            built_now = true;
            match build(args, settings, location, sample.take())? {
                Some(index) => index,
                None => return Ok(Outcome::NothingLoaded),
            }
        }
    };
    loop {
        // The bodies of the snippets, when the index does not store them: read from the
        // derived store's texts (opening them is cheap; the corpus is not loaded).
        let texts = index
            .texts_locator()
            .map(crate::store::derived::reopen_texts);
        match index.search_with_texts(&args.query, limit, texts.as_deref()) {
            Ok(hits) => return Ok(Outcome::Hits(hits)),
            Err(e @ SearchError::Query(_)) => return Ok(Outcome::BadQuery(e)),
            Err(e) if e.calls_for_rebuild() && !built_now => {
                crate::say!("stet: {e}; rebuilding it");
                built_now = true;
                drop(index);
                index = match build(args, settings, location, sample.take())? {
                    Some(index) => index,
                    None => return Ok(Outcome::NothingLoaded),
                };
            }
            Err(e) => return Err(e).context("searching"),
        }
    }
}

/// Loads and groups the corpus and builds its index; `None` when no article loaded.
fn build(
    args: &SearchArgs,
    settings: &GroupSettings,
    location: &IndexLocation,
    sample: Option<Corpus>,
) -> Result<Option<Index>> {
    let (corpus, stories, texts) = match sample {
        // The sample was loaded for its fingerprint; its problems were not printed yet.
        Some(c) => {
            super::report_problems(&c.problems);
            let stories = crate::corpus::group::group(&c.articles, settings, &|_| {});
            (c, stories, None)
        }
        // Through the derived store shared with `stet stories` and the reader: an unchanged
        // corpus is not read again, and each text is read from the store as it is indexed
        // (memory stays bounded whatever the corpus's size).
        None => {
            let opened = super::corpus_store::open_grouped(
                &args.paths,
                &args.load,
                settings,
                args.group.no_cache,
                false,
                args.group.regroup,
            )?;
            (opened.corpus, opened.stories, opened.texts)
        }
    };
    if corpus.articles.is_empty() {
        return Ok(None);
    }
    let show_progress = std::io::stderr().is_terminal();
    let progress = move |p: search::BuildProgress| {
        if show_progress {
            output::stage_line("indexing", p.done, p.total);
        }
    };
    let cancel = AtomicBool::new(false);
    let mut built = search::build_index_with(
        location,
        &corpus,
        &stories,
        texts.as_deref(),
        &progress,
        &cancel,
    );
    // A damaged corpus cache: the corpus is read again from its files, texts in memory.
    if let Err(e @ SearchError::TextsUnreadable(_)) = &built {
        crate::say!("stet: {e}; reading the corpus from its files");
        let opened = super::corpus_store::open_grouped(
            &args.paths,
            &args.load,
            settings,
            true,
            true,
            false,
        )?;
        built = search::build_index_with(
            location,
            &opened.corpus,
            &opened.stories,
            None,
            &progress,
            &cancel,
        );
        std::mem::forget(opened);
    }
    if show_progress {
        output::clear_progress_line();
    }
    // Freeing a big corpus one allocation at a time only delays the answer.
    std::mem::forget(corpus);
    Ok(Some(built.context("building the search index")?))
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    id: &'a str,
    path: &'a str,
    source: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    score: f32,
    snippet: &'a str,
    /// Matched words: [start, end) in Unicode code points of `snippet`.
    highlights: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct JsonStory<'a> {
    id: &'a str,
    title: &'a str,
    versions: usize,
    score: f32,
    matches: Vec<JsonMatch<'a>>,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    query: &'a str,
    stories: Vec<JsonStory<'a>>,
}

fn round(score: f32) -> f32 {
    (score * 1000.0).round() / 1000.0
}

fn write_json(out: &mut impl Write, query: &str, hits: &[StoryHit]) -> Result<()> {
    let doc = JsonOutput {
        query,
        stories: hits
            .iter()
            .map(|h| JsonStory {
                id: &h.story,
                title: &h.title,
                versions: h.versions,
                score: round(h.score),
                matches: h
                    .matches
                    .iter()
                    .map(|m| JsonMatch {
                        id: &m.article,
                        path: &m.path,
                        source: &m.source,
                        title: &m.title,
                        date: m.date.as_deref(),
                        score: round(m.score),
                        snippet: &m.snippet.text,
                        highlights: m.snippet.char_marks(),
                    })
                    .collect(),
            })
            .collect(),
    };
    crate::text::json::write_json(&mut *out, &doc, false)?;
    writeln!(out)?;
    Ok(())
}

/// One line per story: id, matching/all versions, date, sources of the matches, headline,
/// and the best match's snippet with the matched words in bold (`**word**` without colour).
fn write_plain(out: &mut impl Write, hits: &[StoryHit], styled: bool) -> Result<()> {
    let (open, close) = if styled {
        ("\x1b[1m", "\x1b[22m")
    } else {
        ("**", "**")
    };
    for h in hits {
        let Some(best) = h.matches.first() else {
            continue;
        };
        let mut sources: Vec<&str> = Vec::new();
        for m in &h.matches {
            if !sources.contains(&m.source.as_str()) {
                sources.push(&m.source);
            }
        }
        let date = best.date.as_deref().unwrap_or("-");
        let date = date.get(..10).unwrap_or(date);
        writeln!(
            out,
            "{}  {}/{}  {:<10}  {}  {}  {}",
            sanitize_for_terminal(&h.story, false),
            h.matches.len(),
            h.versions,
            sanitize_for_terminal(date, false),
            sanitize_for_terminal(&sources.join(", "), false),
            sanitize_for_terminal(&h.title, false),
            best.snippet.render(open, close),
        )?;
    }
    Ok(())
}
