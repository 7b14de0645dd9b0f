//! `stet articles`: one line per article, or a JSON array of their metadata.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::output::{display_width_truncate, plain};
use crate::corpus::Article;

/// An article's metadata as `stet articles --json` prints it (no texts).
#[derive(Debug, Serialize)]
pub(crate) struct ArticleSummary<'a> {
    /// Article id.
    pub id: &'a str,
    /// File it came from.
    pub path: &'a str,
    /// Line in a JSONL file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Outlet.
    pub source: &'a str,
    /// Headline.
    pub title: &'a str,
    /// ISO 8601 date, or as written.
    pub date: Option<&'a str>,
    /// Address.
    pub url: Option<&'a str>,
    /// Author line.
    pub byline: Option<&'a str>,
    /// Dateline.
    pub dateline: Option<&'a str>,
    /// Deck.
    pub deck: Option<&'a str>,
    /// Words in the cleaned body.
    pub words: usize,
    /// Paragraphs in the cleaned body.
    pub paragraphs: usize,
    /// Lines removed by the cleaner.
    pub removed: usize,
}

impl<'a> ArticleSummary<'a> {
    /// The summary of `a`, whose body has `words` words.
    pub(crate) fn new(a: &'a Article, words: usize) -> Self {
        ArticleSummary {
            id: &a.id,
            path: &a.path,
            line: a.line.map(|l| l.get() as usize),
            source: &a.source,
            title: &a.title,
            date: a.date.as_deref(),
            url: a.url.as_deref(),
            byline: a.byline.as_deref(),
            dateline: a.dateline.as_deref(),
            deck: a.deck.as_deref(),
            words,
            paragraphs: a.paragraph_count(),
            removed: a.removed_count(),
        }
    }
}

/// The corpus from its derived store when the store is current (`stet stories`, `stet search`
/// or the reader opened it since its files last changed): no file read. Load problems are
/// printed as a load prints them.
fn from_store(args: &super::ArticlesArgs) -> Result<Option<crate::corpus::Corpus>> {
    let Some(dir) = crate::paths::cache_dir_for(&args.paths) else {
        return Ok(None);
    };
    let load = super::load_options(&args.load)?;
    let desc = super::corpus_store::load_desc(&args.load);
    let settings = crate::corpus::group::GroupSettings::default();
    let o = crate::store::derived::OpenOptions {
        load: &load,
        load_desc: &desc,
        settings: &settings,
        full_text: false,
        regroup: Default::default(),
        lean_rows: false,
        shed_above: crate::store::derived::shed_above(),
    };
    // A store that cannot be used is a miss: the files are read as without it.
    let Ok(Some(mut opened)) = crate::store::derived::reopen_if_current(&dir, &args.paths, &o)
    else {
        return Ok(None);
    };
    super::report_problems(&opened.corpus.problems);
    super::corpus_store::undo_inferred_dates(&mut opened.corpus);
    Ok(Some(opened.corpus))
}

/// Inputs larger than this are streamed (read twice, never held): see [`crate::corpus::stream`].
/// `STET_STREAM_BYTES` changes it (tests stream small corpora with it).
pub(crate) const STREAM_BYTES: u64 = 256 << 20;

fn stream_threshold() -> u64 {
    std::env::var("STET_STREAM_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(STREAM_BYTES)
}

/// Runs `stet articles`.
pub(crate) fn run(args: &super::ArticlesArgs) -> Result<ExitCode> {
    let corpus = match from_store(args)? {
        Some(corpus) => corpus,
        None => {
            // The files are found once: their size decides whether the listing streams.
            let found = (!args.paths.is_empty())
                .then(|| crate::corpus::load::Discovered::walk(&args.paths));
            if let Some(found) = &found
                && found.bytes() > stream_threshold()
            {
                return run_streamed(args, found);
            }
            // A listing needs neither the raw texts nor the removed lines' text: dropped as
            // each article is cleaned.
            let mut opts = super::load_options(&args.load)?;
            opts.lean = true;
            opts.counts_only = true;
            super::load_corpus_found(&args.paths, found, opts)?
        }
    };
    let mut out = super::output::stdout_with(1 << 20, false);
    if args.json {
        // Serialized on both cores a slice of records at a time (the slices written in order),
        // word counts alongside.
        use rayon::prelude::*;
        const SLICE: usize = 2048;
        out.write_all(b"[")?;
        let chunks: Vec<(usize, &[Article])> = corpus
            .articles
            .chunks(SLICE)
            .enumerate()
            .map(|(k, c)| (k * SLICE, c))
            .collect();
        // A few slices at a time, so the serialised text held is bounded too.
        let window = 2 * rayon::current_num_threads().max(1);
        for group in chunks.chunks(window) {
            let encoded: Vec<std::io::Result<Vec<u8>>> = group
                .par_iter()
                .map(|&(first, slice)| {
                    let mut buf = Vec::with_capacity(slice.len() * 320);
                    for (k, a) in slice.iter().enumerate() {
                        if first + k > 0 {
                            buf.push(b',');
                        }
                        let summary = ArticleSummary::new(a, a.word_count());
                        crate::text::json::write_json(&mut buf, &summary, false)?;
                    }
                    Ok(buf)
                })
                .collect();
            for buf in encoded {
                out.write_all(&buf?)?;
            }
        }
        out.write_all(b"]")?;
        writeln!(out)?;
    } else {
        let words: Vec<usize> = {
            use rayon::prelude::*;
            corpus
                .articles
                .par_iter()
                .map(Article::word_count)
                .collect()
        };
        let id_w = corpus
            .articles
            .iter()
            .map(|a| a.id.chars().count())
            .max()
            .unwrap_or(2)
            .clamp(ID_W.0, ID_W.1);
        let src_w = corpus
            .articles
            .iter()
            .map(|a| a.source.chars().count())
            .max()
            .unwrap_or(6)
            .clamp(SOURCE_W.0, SOURCE_W.1);
        let columns = Columns::new(id_w, src_w);
        for (a, &words) in corpus.articles.iter().zip(&words) {
            write_plain(&mut out, a, words, columns)?;
        }
    }
    out.flush()?;
    let code = super::loaded_exit_code(&corpus);
    // The process ends right after this: freeing tens of thousands of strings one by one only
    // costs time.
    std::mem::forget(corpus);
    Ok(code)
}

/// Narrowest and widest id column of the plain output.
const ID_W: (usize, usize) = (2, 40);
/// Narrowest and widest source column of the plain output.
const SOURCE_W: (usize, usize) = (6, 24);

/// The columns of the plain output. An id is never cut (it is what `stet show` and `stet
/// diff` take); on a terminal (`width` known) the source is cut to its column and the title to
/// what is left of the line, and nothing is cut in a pipe or a file.
#[derive(Debug, Clone, Copy)]
struct Columns {
    /// Ids are padded to this width (a longer one pushes the rest of its line right).
    id_w: usize,
    /// Sources are padded to this width (and cut to it on a terminal).
    src_w: usize,
    /// The terminal's width, when standard output is one.
    width: Option<usize>,
}

impl Columns {
    /// Columns `id_w` and `src_w` wide, cut to the terminal's width when standard output is one.
    fn new(id_w: usize, src_w: usize) -> Self {
        use std::io::IsTerminal;
        let width = std::io::stdout()
            .is_terminal()
            .then(|| crossterm::terminal::size().ok())
            .flatten()
            .map(|(w, _)| usize::from(w));
        Columns { id_w, src_w, width }
    }
}

/// One line of the plain output: id, source, day, words, title, in `columns`.
fn write_plain(
    out: &mut impl Write,
    a: &Article,
    words: usize,
    columns: Columns,
) -> std::io::Result<()> {
    use crate::text::wrap::text_width;
    let Columns { id_w, src_w, width } = columns;
    let date = a
        .date
        .as_deref()
        .map(|d| d.get(..10).unwrap_or(d))
        .unwrap_or("-");
    let id = plain(&a.id);
    let source = plain(&a.source);
    let title = a.display_title();
    let title = plain(&title);
    let Some(width) = width else {
        return writeln!(
            out,
            "{id:<id_w$}  {source:<src_w$}  {:<10}  {words:>6}  {title}",
            plain(date),
        );
    };
    let source = display_width_truncate(&source, src_w);
    let head = format!(
        "{id:<id_w$}  {source:<src_w$}  {:<10}  {words:>6}  ",
        plain(date)
    );
    // The title takes what is left of the line, at least a few columns.
    let room = width.saturating_sub(text_width(&head)).max(8);
    writeln!(out, "{head}{}", display_width_truncate(&title, room))
}

/// `stet articles` on a corpus too big to hold: read twice (learn the boilerplate, then clean
/// and print a block at a time); the same output as the in-memory path, problems after it.
fn run_streamed(
    args: &super::ArticlesArgs,
    found: &crate::corpus::load::Discovered,
) -> Result<ExitCode> {
    use crate::corpus::stream::{first_pass, second_pass};
    use rayon::prelude::*;
    let mut opts = super::load_options(&args.load)?;
    opts.lean = true;
    opts.counts_only = true;
    let mut first = first_pass(found, &opts);
    let widths = (
        first.widest.0.clamp(ID_W.0, ID_W.1),
        first.widest.1.clamp(SOURCE_W.0, SOURCE_W.1),
    );
    let columns = Columns::new(widths.0, widths.1);
    let mut out = super::output::stdout_with(1 << 20, false);
    let mut written = 0usize;
    let mut failed: Option<std::io::Error> = None;
    if args.json {
        out.write_all(b"[")?;
    }
    let summary = second_pass(found, &opts, &mut first, &mut |batch| {
        if failed.is_some() {
            return;
        }
        let words: Vec<usize> = batch.par_iter().map(Article::word_count).collect();
        for (a, &w) in batch.iter().zip(&words) {
            let r = if args.json {
                let sep = if written > 0 { &b","[..] } else { &b""[..] };
                out.write_all(sep).and_then(|()| {
                    crate::text::json::write_json(&mut out, &ArticleSummary::new(a, w), false)
                        .map_err(std::io::Error::other)
                })
            } else {
                write_plain(&mut out, a, w, columns)
            };
            if let Err(e) = r {
                failed = Some(e);
                return;
            }
            written += 1;
        }
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    if args.json {
        out.write_all(b"]")?;
        writeln!(out)?;
    }
    out.flush()?;
    super::report_problems(&summary.problems);
    Ok(if summary.articles == 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
