//! Files that hold many articles, as research databases and APIs export them: Nexis Uni Word
//! files, old LexisNexis text and HTML exports, Factiva pages, CSV/TSV tables, JSON API
//! envelopes, WARC archives and Parquet files. Each parser turns a file into [`ExportArticle`]s (lines with
//! their roles) or records; [`super::load`] makes articles of them the way it makes them of
//! JSON records, so cleaning, ids and problems work alike for every format.

pub(crate) mod compressed;
pub(crate) mod csv;
pub(crate) mod docx;
pub(crate) mod factiva;
pub(crate) mod html_blocks;
pub(crate) mod json_api;
pub(crate) mod keywords;
pub(crate) mod lexisnexis;
pub(crate) mod nexis;
pub(crate) mod parquet;
pub(crate) mod rtf;
pub(crate) mod text;
pub(crate) mod warc;

pub(crate) use keywords::ExportKeywords;

use super::clean::{KnownMeta, clean};
use super::load::{FileContext, FileLoad, apply_cleaned, lean, problem, set_date, url_host};
use super::{Article, RemovalReason, RemovedLine};

/// What a line of an exported article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Part of the article's text.
    Body,
    /// Export furniture or a field, taken out of the text for this reason.
    Removed(RemovalReason),
}

/// One article found in an export: its fields and its lines, each with its role. The lines
/// joined are the article's raw text; the body lines joined are what gets cleaned.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExportArticle {
    /// Headline.
    pub title: Option<String>,
    /// Publication.
    pub source: Option<String>,
    /// Date as written (or already in ISO form).
    pub date: Option<String>,
    /// Author line.
    pub byline: Option<String>,
    /// Dateline.
    pub dateline: Option<String>,
    /// Deck, highlight or lead summary.
    pub deck: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// The database's own id (Factiva's `AN`).
    pub id: Option<String>,
    /// The version of a live story (Nexis `Version:`), kept in the id.
    pub version: Option<String>,
    /// The lines as exported, in order.
    pub lines: Vec<(String, Role)>,
}

impl ExportArticle {
    /// Adds a line with its role.
    pub(crate) fn push(&mut self, line: impl Into<String>, role: Role) {
        self.lines.push((line.into(), role));
    }

    /// Adds a line taken out as export furniture or a field.
    pub(crate) fn furniture(&mut self, line: impl Into<String>) {
        self.push(line, Role::Removed(RemovalReason::ExportMetadata));
    }

    /// Whether any body line has text.
    pub(crate) fn has_body(&self) -> bool {
        self.lines
            .iter()
            .any(|(l, r)| *r == Role::Body && !l.trim().is_empty())
    }
}

/// A Word file: a Nexis Uni (or LexisNexis) export split into its articles; any other Word
/// file is one article.
pub(crate) fn docx_load(ctx: &FileContext<'_>, bytes: &[u8]) -> FileLoad {
    let lines = match docx::docx_lines(bytes) {
        Ok(l) => l,
        Err(reason) => {
            return FileLoad {
                articles: Vec::new(),
                problems: vec![problem(ctx.shown, None, reason)],
            };
        }
    };
    if let Some(load) = text::lines_export(ctx, &lines) {
        return load;
    }
    one_article(ctx, lines, "Word file")
}

/// A file that is one article: its lines as its text.
fn one_article(ctx: &FileContext<'_>, lines: Vec<String>, what: &str) -> FileLoad {
    if lines.iter().all(|l| l.trim().is_empty()) {
        return FileLoad {
            articles: Vec::new(),
            problems: vec![problem(ctx.shown, None, format!("{what}: no text found"))],
        };
    }
    let mut one = ExportArticle::default();
    for l in lines {
        one.push(l, Role::Body);
    }
    let mut a = export_article(ctx, one, 1);
    a.id = ctx.rel.into();
    a.key.record = a.id.clone();
    FileLoad {
        articles: vec![a],
        problems: Vec::new(),
    }
}

/// An RTF file (or a `.doc` file, which old database downloads made as RTF, HTML or text):
/// an old LexisNexis or Nexis export split into its articles, a Factiva download into its
/// articles, any other RTF file one article.
pub(crate) fn rtf_load(ctx: &FileContext<'_>, bytes: &[u8]) -> FileLoad {
    use crate::corpus::load::{FileKind, load_bytes, sniff_kind};
    let fail = |reason: String| FileLoad {
        articles: Vec::new(),
        problems: vec![problem(ctx.shown, None, reason)],
    };
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return fail(
            "an old binary Word file (.doc): not read; save it as .docx or RTF".to_string(),
        );
    }
    if !bytes.trim_ascii_start().starts_with(b"{\\rtf") {
        // A download named .doc that is a web page or text.
        return match sniff_kind(&bytes[..bytes.len().min(64 << 10)], true) {
            Some(k @ (FileKind::Html | FileKind::Text | FileKind::Json | FileKind::JsonLines)) => {
                load_bytes(ctx, k, bytes)
            }
            _ => fail("neither RTF nor text: not read".to_string()),
        };
    }
    let text = match rtf::to_text(bytes) {
        Ok(t) => t,
        Err(reason) => return fail(reason),
    };
    let lines: Vec<String> = text::normalize_line_ends(&text)
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect();
    if let Some(load) = text::lines_export(ctx, &lines) {
        return load;
    }
    if factiva::looks_like_text(&lines) {
        return export_load(ctx, "Factiva file", factiva::parse_text(&lines), 0);
    }
    one_article(ctx, lines, "RTF file")
}

/// A saved page read as a Factiva page or an old LexisNexis HTML export when it is one;
/// `None` for any other page.
pub(crate) fn html_export(ctx: &FileContext<'_>, html: &str) -> Option<FileLoad> {
    if factiva::looks_like(html) {
        return Some(export_load(ctx, "Factiva page", factiva::parse(html), 0));
    }
    let kw = &ctx.opts.keywords;
    if kw.documents.iter().any(|w| html.contains(w.as_str())) {
        let lines = html_blocks::html_lines(html);
        if lexisnexis::looks_like(&lines, kw) {
            let (arts, bad) = lexisnexis::parse(&lines, kw);
            return Some(export_load(ctx, "LexisNexis export", arts, bad));
        }
    }
    None
}

/// Makes an article of one exported article (`n`: its place in the file, from 1).
pub(crate) fn export_article(ctx: &FileContext<'_>, ex: ExportArticle, n: usize) -> Article {
    let mut raw = String::new();
    let mut body = String::new();
    // The raw line (from 1) of each body line.
    let mut body_lines: Vec<usize> = Vec::new();
    let mut removed: Vec<RemovedLine> = Vec::new();
    for (i, (line, role)) in ex.lines.iter().enumerate() {
        if i > 0 {
            raw.push('\n');
        }
        raw.push_str(line);
        match role {
            Role::Body => {
                if !body_lines.is_empty() {
                    body.push('\n');
                }
                body.push_str(line);
                body_lines.push(i + 1);
            }
            Role::Removed(reason) if !line.trim().is_empty() => removed.push(RemovedLine {
                text: line.clone(),
                reason: *reason,
                lines: Some((i + 1, i + 1)),
            }),
            Role::Removed(_) => {}
        }
    }
    let mut id = ex.id.unwrap_or_else(|| format!("{}:{n}", ctx.rel));
    if let Some(v) = &ex.version {
        id.push_str(":v");
        id.push_str(v);
    }
    let mut a = Article {
        id: id.into(),
        path: ctx.path.clone(),
        source: ex
            .source
            .filter(|s| !s.trim().is_empty())
            .or_else(|| ex.url.as_deref().and_then(url_host))
            .unwrap_or_else(|| ctx.stem().to_string())
            .into(),
        title: ex.title.clone().unwrap_or_default(),
        url: ex.url,
        more: crate::corpus::ArticleMore {
            byline: ex.byline,
            dateline: ex.dateline,
            deck: ex.deck,
            ..crate::corpus::ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    };
    set_date(&mut a, ex.date);
    let mut cleaned = clean(
        &body,
        &KnownMeta {
            title: ex.title.as_deref(),
            dateline: a.dateline.as_deref(),
        },
    );
    let at = |l: usize| body_lines.get(l.saturating_sub(1)).copied().unwrap_or(l);
    for r in &mut cleaned.removed {
        r.lines = r.lines.map(|(f, l)| (at(f), at(l)));
    }
    removed.append(&mut cleaned.removed);
    removed.sort_by_key(|r| r.lines.map_or(usize::MAX, |(f, _)| f));
    cleaned.removed = removed;
    // An export's articles keep their place in the file as id (`file.docx:3`), as before.
    crate::corpus::identity::identify(&mut a, ctx.rel, &raw, true, false);
    if !ctx.opts.lean {
        a.raw = raw;
    }
    apply_cleaned(&mut a, cleaned);
    lean(&mut a, ctx.opts);
    a
}

/// Makes the articles of one export file, with its problems: none found, articles that could
/// not be read, articles without text (each kind reported once for the file).
pub(crate) fn export_load(
    ctx: &FileContext<'_>,
    format: &str,
    articles: Vec<ExportArticle>,
    unreadable: usize,
) -> FileLoad {
    use rayon::prelude::*;
    let mut out = FileLoad::default();
    if articles.is_empty() {
        out.problems.push(problem(
            ctx.shown,
            None,
            format!("{format}: no article found"),
        ));
        return out;
    }
    if unreadable > 0 {
        out.problems.push(problem(
            ctx.shown,
            None,
            format!(
                "{format}: {} between article markers could not be read as articles",
                crate::text::plural(unreadable, "part", "parts")
            ),
        ));
    }
    let untexted: Vec<usize> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.has_body())
        .map(|(i, _)| i + 1)
        .collect();
    if let Some(first) = untexted.first() {
        out.problems.push(problem(
            ctx.shown,
            None,
            if untexted.len() == 1 {
                format!("{format}: article {first} has no text (loaded headline-only)")
            } else {
                format!(
                    "{format}: {} articles have no text (the first: article {first}; loaded headline-only)",
                    untexted.len()
                )
            },
        ));
    }
    out.articles = articles
        .into_par_iter()
        .enumerate()
        .map(|(i, ex)| export_article(ctx, ex, i + 1))
        .collect();
    out
}

/// A line that is a copyright notice ("Copyright 2018 …", "© 2018 …", "(c) Test company.").
pub(crate) fn is_copyright(line: &str) -> bool {
    let t = line.trim_start();
    let lower_start: String = t.chars().take(12).collect::<String>().to_lowercase();
    lower_start.starts_with("copyright")
        || t.starts_with('©')
        || lower_start.starts_with("(c) ")
        || lower_start.starts_with("all rights reserved")
        || lower_start.starts_with("alle rechte")
        || lower_start.starts_with("tous droits")
}

/// German and French month names (and common abbreviations) with their English names, for
/// dates in the interface languages of the databases.
const FOREIGN_MONTHS: [(&str, &str); 26] = [
    ("januar", "January"),
    ("jänner", "January"),
    ("janvier", "January"),
    ("februar", "February"),
    ("février", "February"),
    ("fevrier", "February"),
    ("märz", "March"),
    ("maerz", "March"),
    ("mars", "March"),
    ("avril", "April"),
    ("mai", "May"),
    ("juni", "June"),
    ("juin", "June"),
    ("juli", "July"),
    ("juillet", "July"),
    ("août", "August"),
    ("aout", "August"),
    ("oktober", "October"),
    ("octobre", "October"),
    ("dezember", "December"),
    ("décembre", "December"),
    ("decembre", "December"),
    ("septembre", "September"),
    ("novembre", "November"),
    ("okt.", "October"),
    ("dez.", "December"),
];

/// A date line of an export, with German and French month names put in English so that
/// [`super::date::parse_date`] reads it; `None` when the line holds no date it can read.
pub(crate) fn export_date(line: &str) -> Option<String> {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 120 {
        return None;
    }
    let words: Vec<String> = t
        .split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let bare = lower.trim_end_matches([',', '.']);
            FOREIGN_MONTHS
                .iter()
                .find(|(f, _)| *f == bare || *f == lower)
                .map_or_else(|| w.to_string(), |(_, en)| en.to_string())
        })
        .collect();
    // Up to the first eight words: a date with its weekday and time, not the edition after.
    let mut best = None;
    for n in (2..=words.len().min(8)).rev() {
        let candidate = words[..n].join(" ");
        if super::date::parse_date(&candidate).is_some() {
            best = Some(candidate);
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_dates_in_three_languages() {
        let iso = |s: &str| export_date(s).and_then(|d| super::super::date::parse_date(&d));
        assert_eq!(
            iso("January 10, 2018 Wednesday 10:36 EST").unwrap().iso,
            "2018-01-10T10:36:00"
        );
        assert_eq!(
            iso("May 2, 2002, Thursday,, FINAL EDITION").unwrap().iso,
            "2002-05-02"
        );
        assert_eq!(iso("9 Januar 1993").unwrap().iso, "1993-01-09");
        assert_eq!(iso("29 décembre 2011").unwrap().iso, "2011-12-29");
        assert_eq!(iso("1. März 2017").unwrap().iso, "2017-03-01");
        assert!(export_date("The New York Times").is_none());
        assert!(export_date("877 words").is_none());
    }

    #[test]
    fn copyright_lines() {
        assert!(is_copyright("Copyright 2018 The New York Times Company"));
        assert!(is_copyright("  © 2011 Factiva"));
        assert!(is_copyright("(c) Test company."));
        assert!(!is_copyright("Cops said"));
    }
}
