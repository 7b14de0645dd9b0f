//! Old LexisNexis (Academic) exports, as text or HTML: each article opens with `N of M
//! DOCUMENTS` (`Dokument N von M`, `Document N de M`), then the publication, the date line
//! (and edition), the headline, upper-case fields (`BYLINE:`, `SECTION:`, `LENGTH:`,
//! `DATELINE:`), the text, and trailing fields (`LOAD-DATE:`, `LANGUAGE:` …) and copyright.
//! An HTML export is first turned into text (one block per paragraph), then read the same way.

use super::{ExportArticle, ExportKeywords, Role, export_date, is_copyright};
use crate::corpus::RemovalReason;

/// Whether `line` opens an article: "1 of 74 DOCUMENTS", "Dokument 3 von 10",
/// "Document 2 de 5", "2 von 10 DOKUMENTEN".
pub(crate) fn is_start(line: &str, kw: &ExportKeywords) -> bool {
    let t = line.trim();
    if t.len() > 60 {
        return false;
    }
    let w: Vec<&str> = t.split_whitespace().collect();
    let num = |s: &str| !s.is_empty() && s.len() <= 7 && s.bytes().all(|b| b.is_ascii_digit());
    let word = |s: &str| kw.documents.iter().any(|d| d.eq_ignore_ascii_case(s));
    w.len() == 4
        && ((num(w[0]) && num(w[2]) && word(w[3])) || (word(w[0]) && num(w[1]) && num(w[3])))
}

/// Whether the lines look like an old LexisNexis export.
pub(crate) fn looks_like(lines: &[String], kw: &ExportKeywords) -> bool {
    lines.iter().take(5000).any(|l| is_start(l, kw))
}

/// An upper-case field line at the start of a line: "LENGTH: 355 words". Gives the name and
/// the value.
fn field(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let ok_name = !name.is_empty()
        && name.chars().count() <= 30
        && name.chars().next().is_some_and(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_uppercase() || c == '-' || c == ' ' || c == '_')
        && name.chars().any(char::is_alphabetic);
    (ok_name && (value.is_empty() || value.starts_with([' ', '\u{a0}', '\t'])))
        .then(|| (name.trim(), value.trim()))
}

/// Splits an old LexisNexis export into articles; the second value counts the articles opened
/// where nothing could be read.
pub(crate) fn parse(lines: &[String], kw: &ExportKeywords) -> (Vec<ExportArticle>, usize) {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_start(l, kw))
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    let mut unreadable = 0;
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        match article(&lines[s..end], kw) {
            Some(a) => out.push(a),
            None => unreadable += 1,
        }
    }
    (out, unreadable)
}

/// One article: `part[0]` is its "N of M DOCUMENTS" line.
fn article(part: &[String], kw: &ExportKeywords) -> Option<ExportArticle> {
    let mut a = ExportArticle::default();
    a.furniture(part[0].as_str());
    let rest = &part[1..];
    let first_field = rest.iter().position(|l| field(l).is_some());
    let head_end = first_field.unwrap_or(rest.len());
    // Blocks of the header (lines between blank lines), copyright lines left out.
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    #[allow(clippy::needless_range_loop)]
    for i in 0..head_end {
        if rest[i].trim().is_empty() {
            if !cur.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
        } else if !is_copyright(&rest[i]) && !is_rights(&rest[i]) {
            cur.push(i);
        }
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }
    let date_block = blocks
        .iter()
        .position(|b| export_date(&rest[b[0]]).is_some());
    let mut title_lines: Vec<usize> = Vec::new();
    let mut source_line = None;
    match date_block {
        Some(d) => {
            if d >= 1 {
                source_line = Some(blocks[0][0]);
            }
            a.date = export_date(&rest[blocks[d][0]]);
            if blocks.len() > d + 1 {
                title_lines = blocks[blocks.len() - 1].clone();
            }
        }
        None => {
            if let Some(b) = blocks.first() {
                source_line = Some(b[0]);
            }
            if blocks.len() >= 2 {
                title_lines = blocks[blocks.len() - 1].clone();
            }
        }
    }
    if let Some(s) = source_line {
        a.source = Some(rest[s].trim().to_string());
    }
    if !title_lines.is_empty() {
        a.title = Some(join_trimmed(title_lines.iter().map(|&i| rest[i].as_str())));
    }
    for (i, l) in rest[..head_end].iter().enumerate() {
        let reason = if title_lines.contains(&i) {
            RemovalReason::Headline
        } else if is_copyright(l) || is_rights(l) {
            RemovalReason::Copyright
        } else {
            RemovalReason::ExportMetadata
        };
        a.push(l.as_str(), Role::Removed(reason));
    }
    let Some(first_field) = first_field else {
        // No fields at all: the text cannot be told from the header.
        return None;
    };
    // The fields: field lines and the lines continuing them (no blank line between).
    let mut i = first_field;
    let mut current: Option<RemovalReason> = None;
    let mut last_value: Option<(RemovalReason, String)> = None;
    while i < rest.len() {
        let l = &rest[i];
        if let Some((name, value)) = field(l) {
            if ExportKeywords::names(&kw.after_text, name) {
                break;
            }
            let reason = if ExportKeywords::names(&kw.byline, name) {
                RemovalReason::Byline
            } else if ExportKeywords::names(&kw.dateline, name) {
                RemovalReason::Dateline
            } else if ExportKeywords::names(&kw.title, name) {
                RemovalReason::Headline
            } else if ExportKeywords::names(&kw.highlight, name) {
                RemovalReason::Deck
            } else {
                RemovalReason::ExportMetadata
            };
            flush(&mut a, last_value.take());
            last_value = Some((reason, value.to_string()));
            current = Some(reason);
            a.push(l.as_str(), Role::Removed(reason));
        } else if l.trim().is_empty() {
            current = None;
            a.furniture(l.as_str());
        } else if let Some(reason) = current {
            if let Some((_, v)) = last_value.as_mut() {
                v.push(' ');
                v.push_str(l.trim());
            }
            a.push(l.as_str(), Role::Removed(reason));
        } else {
            break;
        }
        i += 1;
    }
    flush(&mut a, last_value.take());
    // The text, up to the first trailing field.
    let text_end = (i..rest.len())
        .find(|&j| field(&rest[j]).is_some_and(|(n, _)| ExportKeywords::names(&kw.after_text, n)))
        .unwrap_or(rest.len());
    for l in &rest[i..text_end] {
        a.push(l.as_str(), Role::Body);
    }
    for l in &rest[text_end..] {
        let reason = if is_copyright(l) || is_rights(l) {
            RemovalReason::Copyright
        } else {
            RemovalReason::ExportMetadata
        };
        a.push(l.as_str(), Role::Removed(reason));
    }
    Some(a)
}

fn flush(a: &mut ExportArticle, v: Option<(RemovalReason, String)>) {
    let Some((reason, value)) = v else { return };
    let value = value.trim().to_string();
    if value.is_empty() {
        return;
    }
    match reason {
        RemovalReason::Byline => a.byline = Some(value),
        RemovalReason::Dateline => a.dateline = Some(value),
        RemovalReason::Headline => a.title = Some(value),
        RemovalReason::Deck => a.deck = Some(value),
        _ => {}
    }
}

/// "All Rights Reserved", the line under a copyright line.
fn is_rights(line: &str) -> bool {
    let t = line.trim();
    t.eq_ignore_ascii_case("All Rights Reserved")
        || t.eq_ignore_ascii_case("Alle Rechte vorbehalten")
}

fn join_trimmed<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    lines.map(str::trim).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    const EXPORT: &str = "Download Request: Selected Items: 1-2\r\n\
\r\n\
                               1 of 2 DOCUMENTS\r\n\
\r\n\
                                  The Coast Herald\r\n\
\r\n\
                            January 11, 2010 Monday\r\n\
                                   Edition 1;\r\n\
\r\n\
Harbour reopens after the\r\n\
storm\r\n\
\r\n\
BYLINE: Ann Lee\r\n\
\r\n\
SECTION: NEWS; Pg. 3\r\n\
\r\n\
LENGTH: 355 words\r\n\
\r\n\
The harbour reopened on Sunday after the storm that closed it for a week, the\r\n\
port authority said.\r\n\
\r\n\
Boats left at dawn.\r\n\
\r\n\
LOAD-DATE: January 11, 2010\r\n\
\r\n\
LANGUAGE: ENGLISH\r\n\
\r\n\
                       Copyright 2010 The Coast Herald\r\n\
                              All Rights Reserved\r\n\
\r\n\
                             Dokument 2 von 2\r\n\
\r\n\
                                  Der Küstenbote\r\n\
\r\n\
                             12. Januar 2010\r\n\
\r\n\
Hafen wieder offen\r\n\
\r\n\
LÄNGE: 40 Wörter\r\n\
\r\n\
Der Hafen ist wieder offen.\r\n\
\r\n\
SPRACHE: DEUTSCH\r\n";

    #[test]
    fn articles_with_fields_in_two_languages() {
        let kw = ExportKeywords::default();
        let (arts, bad) = parse(&lines(EXPORT), &kw);
        assert_eq!((arts.len(), bad), (2, 0));
        let a = &arts[0];
        assert_eq!(a.title.as_deref(), Some("Harbour reopens after the storm"));
        assert_eq!(a.source.as_deref(), Some("The Coast Herald"));
        assert_eq!(a.date.as_deref(), Some("January 11, 2010 Monday"));
        assert_eq!(a.byline.as_deref(), Some("Ann Lee"));
        let body: String = a
            .lines
            .iter()
            .filter(|(_, r)| *r == Role::Body)
            .map(|(l, _)| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(body.contains("Boats left at dawn."), "{body}");
        assert!(
            !body.contains("LOAD-DATE") && !body.contains("Copyright") && !body.contains("LENGTH")
        );
        let b = &arts[1];
        assert_eq!(b.title.as_deref(), Some("Hafen wieder offen"));
        assert_eq!(b.source.as_deref(), Some("Der Küstenbote"));
        assert_eq!(b.date.as_deref(), Some("12. January 2010"));
        assert!(b.has_body());
    }

    #[test]
    fn start_lines() {
        let kw = ExportKeywords::default();
        assert!(is_start("   1 of 74 DOCUMENTS ", &kw));
        assert!(is_start("Document 3 de 10", &kw));
        assert!(!is_start("1 of the DOCUMENTS", &kw));
        assert!(!is_start("He read 1 of 74 DOCUMENTS today", &kw));
    }
}
