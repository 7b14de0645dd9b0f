//! The reading pane's document: an article laid out as lines wrapped to the column width,
//! every piece of article text made terminal-safe on the way in.

use crate::corpus::Article;
use crate::text::sanitize_for_terminal;
pub use crate::text::wrap::{text_width, truncate, wrap, wrap_cells};

/// What a line of the document shows, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The headline.
    Title,
    /// Source, date, dateline, byline, version.
    Meta,
    /// The deck under the headline.
    Deck,
    /// The article's address.
    Url,
    /// The rule between header and body.
    Rule,
    /// Body text.
    Body,
    /// An empty line.
    Blank,
    /// A line the cleaner removed (raw view).
    Removed,
    /// A note from stet itself ("raw text", "no text").
    Notice,
}

/// One wrapped line of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine {
    /// Terminal-safe text, at most the column width wide.
    pub text: String,
    /// What the line shows.
    pub kind: LineKind,
}

/// Makes one line of article text safe to show: tabs become spaces, every control character
/// and escape sequence a visible placeholder.
pub(crate) fn safe_line(text: &str) -> String {
    let detabbed = text.replace('\t', "    ");
    sanitize_for_terminal(&detabbed, false).into_owned()
}

/// An ISO 8601 date as a reader wants it: `2015-12-16 08:30 UTC`, or `2015-12-16` when it
/// has no time; anything else as written.
pub(crate) fn display_date(iso: &str) -> String {
    let b = iso.as_bytes();
    let is_day = b.len() >= 10 && b[4] == b'-' && b[7] == b'-';
    if !is_day {
        return iso.to_string();
    }
    if b.len() == 10 {
        return iso.to_string();
    }
    if b.len() >= 16 && b[10] == b'T' && b[13] == b':' {
        let zone = &iso[16..];
        let zone = zone.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit() || c == '.');
        let zone = match zone {
            "Z" | "+00:00" => " UTC".to_string(),
            "" => String::new(),
            z => format!(" {z}"),
        };
        if &iso[11..16] == "00:00" && zone == " UTC" {
            return iso[..10].to_string();
        }
        return format!("{} {}{zone}", &iso[..10], &iso[11..16]);
    }
    iso.to_string()
}

/// What follows the story's headline where a version has none of its own.
pub(crate) const STORY_HEADLINE_MARK: &str = "(the story's headline)";

/// What the reading pane shows in place of a text that could not be read from the corpus
/// cache (the header stays).
pub(crate) const UNREADABLE_TEXT: &str = "This article's text could not be read from the corpus \
     cache: its stored row is missing or damaged. Removing the corpus's folder in stet's cache \
     directory (stet/corpora) rebuilds the cache at the next start.";

/// Replaces the body of `lines` (everything after the rule) with [`UNREADABLE_TEXT`].
pub(crate) fn mark_unreadable(lines: &mut Vec<DocLine>, width: usize) {
    if let Some(rule) = lines.iter().position(|l| l.kind == LineKind::Rule) {
        lines.truncate(rule + 1);
    }
    blank(lines);
    push_wrapped(lines, UNREADABLE_TEXT, width.max(1), LineKind::Notice);
}

fn push_wrapped(out: &mut Vec<DocLine>, text: &str, width: usize, kind: LineKind) {
    for l in wrap(&safe_line(text), width) {
        out.push(DocLine { text: l, kind });
    }
}

fn blank(out: &mut Vec<DocLine>) {
    out.push(DocLine {
        text: String::new(),
        kind: LineKind::Blank,
    });
}

/// Lays out `article` for a column `width` wide: header, rule, then the cleaned paragraphs, or
/// with `raw` the text as loaded with every removed line marked `−` and its reason.
/// `version_note` ("version 2 of 4") goes in the header; `story_title` (the story's
/// headline) stands for a headline the article lacks, marked as the story's.
pub(crate) fn build_document(
    article: &Article,
    width: usize,
    raw: bool,
    version_note: Option<&str>,
    story_title: Option<&str>,
) -> Vec<DocLine> {
    let width = width.max(1);
    let mut out = Vec::new();
    let title = match story_title.map(str::trim).filter(|t| !t.is_empty()) {
        _ if !article.title.trim().is_empty() => article.title.clone(),
        Some(story) => format!("{story} {}", STORY_HEADLINE_MARK),
        None => "(untitled)".to_string(),
    };
    push_wrapped(&mut out, &title, width, LineKind::Title);
    let mut meta: Vec<&str> = Vec::new();
    if !article.source.is_empty() {
        meta.push(&article.source);
    }
    let date = article.date.as_deref().map(|d| {
        if article.date_inferred {
            format!("{} (from the dateline)", display_date(d))
        } else {
            display_date(d)
        }
    });
    if let Some(d) = &date {
        meta.push(d);
    }
    if let Some(d) = &article.dateline {
        meta.push(d);
    }
    if !meta.is_empty() {
        push_wrapped(&mut out, &meta.join(" · "), width, LineKind::Meta);
    }
    if let Some(b) = &article.byline {
        push_wrapped(&mut out, b, width, LineKind::Meta);
    }
    if let Some(d) = &article.deck {
        push_wrapped(&mut out, d, width, LineKind::Deck);
    }
    if let Some(u) = &article.url {
        push_wrapped(&mut out, u, width, LineKind::Url);
    }
    let mut facts = format!("{} words", article.word_count());
    if !raw && !article.removed.is_empty() {
        let n = article.removed.len();
        facts.push_str(&format!(
            " · {n} {} removed",
            if n == 1 { "piece" } else { "pieces" }
        ));
    }
    if let Some(v) = version_note {
        facts = format!("{v} · {facts}");
    }
    push_wrapped(&mut out, &facts, width, LineKind::Meta);
    out.push(DocLine {
        text: "─".repeat(width.min(100)),
        kind: LineKind::Rule,
    });
    if raw {
        push_wrapped(
            &mut out,
            "Raw text as loaded; lines the cleaner removed are marked − with the reason.",
            width,
            LineKind::Notice,
        );
        blank(&mut out);
        // Removed lines by their raw line numbers when the cleaner knows them, else by text.
        let mut by_line: std::collections::HashMap<usize, &str> = Default::default();
        let mut by_text: std::collections::HashMap<&str, &str> = Default::default();
        for r in &article.removed {
            match r.lines {
                Some((first, last)) => {
                    for n in first..=last.min(first + 10_000) {
                        by_line.insert(n, r.reason.as_str());
                    }
                }
                None => {
                    for l in r.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                        by_text.insert(l, r.reason.as_str());
                    }
                }
            }
        }
        for (i, line) in article.raw.lines().enumerate() {
            let t = line.trim();
            let reason = by_line.get(&(i + 1)).or_else(|| by_text.get(t));
            if t.is_empty() {
                blank(&mut out);
            } else if let Some(reason) = reason {
                push_wrapped(
                    &mut out,
                    &format!("− {t}  [{reason}]"),
                    width,
                    LineKind::Removed,
                );
            } else {
                push_wrapped(&mut out, line, width, LineKind::Body);
            }
        }
    } else if article.paragraphs.is_empty() {
        blank(&mut out);
        push_wrapped(&mut out, "(no text)", width, LineKind::Notice);
    } else {
        for p in &article.paragraphs {
            blank(&mut out);
            push_wrapped(&mut out, p, width, LineKind::Body);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{RemovalReason, RemovedLine};

    #[test]
    fn dates_read_naturally() {
        assert_eq!(display_date("2015-12-16T08:30:00Z"), "2015-12-16 08:30 UTC");
        assert_eq!(display_date("2015-12-16T00:00:00Z"), "2015-12-16");
        assert_eq!(
            display_date("2015-12-16T08:30:00+02:00"),
            "2015-12-16 08:30 +02:00"
        );
        assert_eq!(display_date("2015-12-16"), "2015-12-16");
        assert_eq!(display_date("26-FEB-1987"), "26-FEB-1987");
    }

    #[test]
    fn an_untitled_version_shows_the_story_headline_marked_and_inferred_dates_say_so() {
        let a = Article {
            source: "Norda Wire".into(),
            date: Some("2026-03-03".into()),
            date_inferred: true,
            more: crate::corpus::ArticleMore {
                dateline: Some("VALMERE, March 3".into()),
                paragraphs: vec!["A ferry capsized.".into()],
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        };
        let doc = build_document(&a, 80, false, None, Some("Ferry capsizes on Lake Orsen"));
        assert_eq!(
            doc[0].text,
            "Ferry capsizes on Lake Orsen (the story's headline)"
        );
        assert_eq!(doc[0].kind, LineKind::Title);
        assert_eq!(
            doc[1].text,
            "Norda Wire · 2026-03-03 (from the dateline) · VALMERE, March 3"
        );
        // Its own headline wins; with no story headline either it says so.
        let titled = Article {
            title: "Own".into(),
            ..a.clone()
        };
        assert_eq!(
            build_document(&titled, 80, false, None, Some("Story"))[0].text,
            "Own"
        );
        assert_eq!(
            build_document(&a, 80, false, None, None)[0].text,
            "(untitled)"
        );
    }

    #[test]
    fn documents_are_terminal_safe_and_mark_removed_lines() {
        let a = Article {
            title: "Bad\u{1b}[31m title".into(),
            source: "wire".into(),
            more: crate::corpus::ArticleMore {
                raw: "Post a Comment\nBody line one.\n".into(),
                paragraphs: vec!["Body line one with \u{1b}]52;c;x\u{7} junk.".into()],
                removed: vec![RemovedLine {
                    text: "Post a Comment".into(),
                    reason: RemovalReason::Comments,
                    lines: None,
                }],
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        };
        let doc = build_document(&a, 40, false, Some("version 1 of 2"), None);
        assert!(
            doc.iter()
                .all(|l| !l.text.contains('\u{1b}') && !l.text.contains('\u{7}'))
        );
        assert!(doc[0].text.contains('\u{241B}'));
        assert!(doc.iter().any(|l| l.text.contains("version 1 of 2")));
        let raw = build_document(&a, 40, true, None, None);
        let removed: Vec<&DocLine> = raw.iter().filter(|l| l.kind == LineKind::Removed).collect();
        assert_eq!(removed.len(), 1);
        assert!(removed[0].text.starts_with("− Post a Comment"));
        assert!(removed[0].text.contains("[comments]"));
    }
}
