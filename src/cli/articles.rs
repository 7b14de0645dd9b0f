//! `stet articles`: one line per article, or a JSON array of their metadata.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::output::{display_width_truncate, plain};
use crate::corpus::Article;

/// An article's metadata as `stet articles --json` prints it (no texts).
#[derive(Debug, Serialize)]
pub struct ArticleSummary<'a> {
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
    pub fn new(a: &'a Article, words: usize) -> Self {
        ArticleSummary {
            id: &a.id,
            path: &a.path,
            line: a.line,
            source: &a.source,
            title: &a.title,
            date: a.date.as_deref(),
            url: a.url.as_deref(),
            byline: a.byline.as_deref(),
            dateline: a.dateline.as_deref(),
            deck: a.deck.as_deref(),
            words,
            paragraphs: a.paragraphs.len(),
            removed: a.removed.len(),
        }
    }
}

/// Runs `stet articles`.
pub fn run(args: &super::ArticlesArgs) -> Result<ExitCode> {
    let corpus = super::load_corpus(&args.paths, &args.load)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let words: Vec<usize> = {
        use rayon::prelude::*;
        corpus
            .articles
            .par_iter()
            .map(Article::word_count)
            .collect()
    };
    if args.json {
        // Streamed one record at a time: no second copy of the metadata in memory.
        out.write_all(b"[")?;
        for (i, a) in corpus.articles.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            crate::text::json::write_json(&mut out, &ArticleSummary::new(a, words[i]), false)?;
        }
        out.write_all(b"]")?;
        writeln!(out)?;
    } else {
        let id_w = corpus
            .articles
            .iter()
            .map(|a| a.id.chars().count())
            .max()
            .unwrap_or(2)
            .clamp(2, 40);
        let src_w = corpus
            .articles
            .iter()
            .map(|a| a.source.chars().count())
            .max()
            .unwrap_or(6)
            .clamp(6, 24);
        for (a, words) in corpus.articles.iter().zip(&words) {
            let date = a
                .date
                .as_deref()
                .map(|d| d.get(..10).unwrap_or(d))
                .unwrap_or("-");
            writeln!(
                out,
                "{:<id_w$}  {:<src_w$}  {:<10}  {:>6}  {}",
                display_width_truncate(&plain(&a.id), id_w),
                display_width_truncate(&plain(&a.source), src_w),
                plain(date),
                words,
                plain(&a.display_title()),
            )?;
        }
    }
    out.flush()?;
    let code = super::loaded_exit_code(&corpus);
    // The process ends right after this: freeing tens of thousands of strings one by one only
    // costs time.
    std::mem::forget(corpus);
    Ok(code)
}
