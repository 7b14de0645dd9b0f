//! `stet show`: one article, cleaned (or raw with removed lines marked), plain or JSON.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use serde::Serialize;

use super::output::{plain, wrap};
use crate::corpus::{Article, RemovedLine};

/// The JSON form of `stet show`.
#[derive(Debug, Serialize)]
struct ShowJson<'a> {
    id: &'a str,
    path: &'a str,
    source: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    /// The date is the day the dateline names (the record gave none).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    date_inferred: bool,
    dateline: Option<&'a str>,
    byline: Option<&'a str>,
    deck: Option<&'a str>,
    url: Option<&'a str>,
    paragraphs: &'a [String],
    removed: &'a [RemovedLine],
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<&'a str>,
}

/// Finds an article given as a file path (loaded alone) or an id in the corpus paths.
pub(crate) fn find_article(
    key: &str,
    corpus_paths: &[PathBuf],
    load: &super::LoadArgs,
) -> Result<Article> {
    let as_path = Path::new(key);
    if as_path.is_file() {
        let mut corpus = super::load_corpus(&[as_path.to_path_buf()], load)?;
        crate::corpus::dateline_date::date_from_datelines_alone(&mut corpus);
        if let Some(a) = corpus.articles.into_iter().next() {
            return Ok(a);
        }
        bail!("{key}: no article could be loaded from this file");
    }
    let mut corpus = super::corpus_store::text_corpus(corpus_paths, load)?;
    crate::corpus::dateline_date::date_from_datelines_alone(&mut corpus.corpus);
    match corpus.corpus.find(key).and_then(|i| corpus.article(i)) {
        Some(a) => Ok(a),
        None => {
            let where_ = if corpus_paths.is_empty() {
                "the sample corpus".to_string()
            } else {
                corpus.corpus.name.clone()
            };
            bail!("no article with id or path {key:?} in {where_} (see `stet articles`)")
        }
    }
}

/// Runs `stet show`.
pub(crate) fn run(args: &super::ShowArgs) -> Result<ExitCode> {
    let a = find_article(&args.article, &args.corpus, &args.load)?;
    let mut out = super::output::stdout();
    if args.json {
        let json = ShowJson {
            id: &a.id,
            path: &a.path,
            source: &a.source,
            title: &a.title,
            date: a.date.as_deref(),
            date_inferred: a.date_inferred,
            dateline: a.dateline.as_deref(),
            byline: a.byline.as_deref(),
            deck: a.deck.as_deref(),
            url: a.url.as_deref(),
            paragraphs: &a.paragraphs,
            removed: &a.removed,
            raw: args.raw.then_some(a.raw.as_str()),
        };
        crate::text::json::write_json(&mut out, &json, true)?;
        writeln!(out)?;
    } else if args.raw {
        write_raw(&mut out, &a)?;
    } else {
        write_clean(&mut out, &a)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_clean(out: &mut impl Write, a: &Article) -> std::io::Result<()> {
    const WIDTH: usize = 78;
    for line in wrap(&plain(&a.display_title()), WIDTH) {
        writeln!(out, "{line}")?;
    }
    let mut meta = vec![plain(&a.source).into_owned()];
    if let Some(d) = &a.date {
        let from = if a.date_inferred {
            " (from the dateline)"
        } else {
            ""
        };
        meta.push(format!("{}{from}", plain(d)));
    }
    if let Some(d) = &a.dateline {
        meta.push(plain(d).into_owned());
    }
    if let Some(b) = &a.byline {
        meta.push(plain(b).into_owned());
    }
    writeln!(out, "{}", meta.join(" · "))?;
    if let Some(deck) = &a.deck {
        for line in wrap(&plain(deck), WIDTH) {
            writeln!(out, "  {line}")?;
        }
    }
    if let Some(url) = &a.url {
        writeln!(out, "{}", plain(url))?;
    }
    writeln!(out, "{}", "─".repeat(WIDTH.min(40)))?;
    for p in &a.paragraphs {
        writeln!(out)?;
        for line in wrap(&plain(p), WIDTH) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// The raw text, each line prefixed: "  " kept, "- " removed (with its reason at the end).
fn write_raw(out: &mut impl Write, a: &Article) -> std::io::Result<()> {
    let lines: Vec<&str> = a.raw.lines().collect();
    let mut reason_at = vec![None; lines.len() + 1];
    for r in &a.removed {
        if let Some((first, last)) = r.lines {
            for slot in reason_at
                .iter_mut()
                .take(last.min(lines.len()) + 1)
                .skip(first)
            {
                *slot = Some(r.reason);
            }
        }
    }
    for (i, line) in lines.iter().enumerate() {
        match reason_at[i + 1] {
            Some(reason) => writeln!(out, "- {}    [{}]", plain(line), reason.as_str())?,
            None => writeln!(out, "  {}", plain(line))?,
        }
    }
    let unplaced: Vec<&RemovedLine> = a.removed.iter().filter(|r| r.lines.is_none()).collect();
    if !unplaced.is_empty() {
        writeln!(out, "\nAlso removed:")?;
        for r in unplaced {
            writeln!(out, "- {}    [{}]", plain(&r.text), r.reason.as_str())?;
        }
    }
    Ok(())
}
