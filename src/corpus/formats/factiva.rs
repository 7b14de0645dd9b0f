//! Factiva pages saved as HTML ("Article Format", up to 100 articles a page): one `div` of class
//! `article` (with a language class such as `enArticle`) per article. With field codes the
//! article is a table of codes (`HD` headline, `BY`, `WC`, `PD` + `ET` date, `SN` source, `SE`
//! section, `LA`, `CY` copyright, `LP` + `TD` text, `AN` id); without them, unlabelled blocks
//! (section, headline, author, word count, date, source, source code, edition, page, language,
//! copyright), the paragraphs of class `articleParagraph`, then the publisher and `Document ID`.
//! The interface language does not matter: blocks are told apart by their form and place.

use dom_query::{Document, NodeRef};

use super::html_blocks::Lines;
use super::{ExportArticle, Role, export_date, is_copyright};
use crate::corpus::RemovalReason;

/// Whether a page looks like a Factiva export.
pub(crate) fn looks_like(html: &str) -> bool {
    let head = &html[..floor_boundary(html, 1 << 20)];
    (head.contains("articleParagraph") || head.contains("class=\"index\""))
        && (head.contains("Factiva") || head.contains("factiva") || head.contains("Dow Jones"))
        && head.contains("class=\"article")
}

fn floor_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The text of a node as one line, whitespace collapsed.
fn line_of(n: &NodeRef<'_>) -> String {
    let mut l = Lines::default();
    l.walk(n);
    l.finish()
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The articles of a Factiva page.
pub(crate) fn parse(html: &str) -> Vec<ExportArticle> {
    let doc = Document::from(html);
    // The innermost article divs: an outer `class="article"` wrapper may hold the real one.
    let all = doc.select("div.article");
    let mut out = Vec::new();
    for node in all.nodes() {
        let nested = node.descendants_it().any(|d| {
            d.is_element() && d.node_name().is_some_and(|n| &*n == "div") && d.has_class("article")
        });
        if nested {
            continue;
        }
        let has_codes = node
            .descendants_it()
            .any(|d| d.is_element() && d.has_class("index"));
        out.push(if has_codes {
            coded(node)
        } else {
            uncoded(node)
        });
    }
    out
}

/// An article with field codes: a table whose rows are a code cell (`td.index`) and a value.
fn coded(article: &NodeRef<'_>) -> ExportArticle {
    let mut a = ExportArticle::default();
    let mut time = None;
    let mut date = None;
    for row in article
        .descendants_it()
        .filter(|d| d.is_element() && d.node_name().is_some_and(|n| &*n == "tr"))
    {
        let cells: Vec<NodeRef<'_>> = row
            .element_children()
            .into_iter()
            .filter(|c| c.node_name().is_some_and(|n| &*n == "td"))
            .collect();
        if cells.len() < 2 || !cells[0].has_class("index") {
            continue;
        }
        let code = line_of(&cells[0]).trim().to_string();
        let value = &cells[1];
        let header = format!("{code} ");
        match code.as_str() {
            "LP" | "TD" => {
                let paragraphs: Vec<String> = value
                    .descendants_it()
                    .filter(|d| d.is_element() && d.node_name().is_some_and(|n| &*n == "p"))
                    .map(|p| line_of(&p))
                    .filter(|t| !t.is_empty())
                    .collect();
                let paragraphs = if paragraphs.is_empty() {
                    vec![line_of(value)]
                } else {
                    paragraphs
                };
                a.furniture(code.clone());
                for p in paragraphs {
                    if is_copyright(&p) {
                        a.push(p, Role::Removed(RemovalReason::Copyright));
                    } else {
                        a.push(p, Role::Body);
                        a.push("", Role::Body);
                    }
                }
            }
            _ => {
                let v = line_of(value);
                let reason = match code.as_str() {
                    "HD" => {
                        a.title = Some(v.clone());
                        RemovalReason::Headline
                    }
                    "BY" => {
                        a.byline = Some(v.clone());
                        RemovalReason::Byline
                    }
                    "PD" => {
                        date = Some(v.clone());
                        RemovalReason::ExportMetadata
                    }
                    "ET" => {
                        time = Some(v.clone());
                        RemovalReason::ExportMetadata
                    }
                    "SN" => {
                        a.source = Some(v.clone());
                        RemovalReason::ExportMetadata
                    }
                    "AN" => {
                        let id = v.split_whitespace().last().unwrap_or_default().to_string();
                        if !id.is_empty() {
                            a.id = Some(id);
                        }
                        RemovalReason::ExportMetadata
                    }
                    "CY" => RemovalReason::Copyright,
                    "CX" => RemovalReason::ExportMetadata,
                    _ => RemovalReason::ExportMetadata,
                };
                a.push(format!("{header}{v}"), Role::Removed(reason));
            }
        }
    }
    if let Some(d) = date {
        let with_time = time.map(|t| format!("{d} {t}"));
        a.date = with_time
            .as_deref()
            .and_then(export_date)
            .or_else(|| export_date(&d))
            .or(Some(d));
    }
    a
}

/// A word count block: "877 words", "1.285 Wörter", "295 mots", "1341 words".
fn is_word_count(t: &str) -> bool {
    let mut w = t.split_whitespace();
    let (Some(n), Some(unit), None) = (w.next(), w.next(), w.next()) else {
        return false;
    };
    n.chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && n.chars().any(|c| c.is_ascii_digit())
        && unit.chars().all(char::is_alphabetic)
}

/// An article without field codes.
fn uncoded(article: &NodeRef<'_>) -> ExportArticle {
    let mut a = ExportArticle::default();
    // The blocks before the text, in order, with the node each came from.
    let mut head: Vec<(String, bool, bool)> = Vec::new(); // (text, is headline, is author)
    let mut body: Vec<String> = Vec::new();
    let mut tail: Vec<String> = Vec::new();
    for child in article.element_children() {
        let name = child.node_name().map(|n| n.to_string()).unwrap_or_default();
        let text = line_of(&child);
        if name == "p" && child.has_class("articleParagraph") {
            if !text.is_empty() {
                body.push(text);
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        if !body.is_empty() || name == "p" {
            tail.push(text);
            continue;
        }
        let headline = child.id_attr().is_some_and(|i| &*i == "hd")
            || child
                .descendants_it()
                .any(|d| d.is_element() && d.class().is_some_and(|c| c.contains("Headline")));
        head.push((text, headline, child.has_class("author")));
    }
    // Paragraphs nested deeper (some pages wrap them): take them in order.
    if body.is_empty() {
        for p in article
            .descendants_it()
            .filter(|d| d.is_element() && d.has_class("articleParagraph"))
        {
            let t = line_of(&p);
            if !t.is_empty() {
                body.push(t);
            }
        }
    }
    let title_at = head.iter().position(|h| h.1);
    let count_at = head.iter().position(|h| is_word_count(&h.0));
    let date_at = count_at.map_or(0, |c| c + 1).min(head.len());
    let date_at = (date_at..head.len()).find(|&i| export_date(&head[i].0).is_some());
    // After the date: an optional time, then the source.
    let mut source_at = date_at.map(|d| d + 1);
    if let Some(s) = source_at
        && head.get(s).is_some_and(|h| is_time(&h.0))
    {
        source_at = Some(s + 1);
    }
    let source_at = source_at.filter(|&s| s < head.len() && !is_copyright(&head[s].0));
    for (i, (text, headline, author)) in head.iter().enumerate() {
        let reason = if Some(i) == title_at {
            a.title = Some(text.clone());
            RemovalReason::Headline
        } else if *author {
            a.byline = Some(text.clone());
            RemovalReason::Byline
        } else if Some(i) == date_at {
            let with_time = head
                .get(i + 1)
                .filter(|h| is_time(&h.0))
                .map(|h| format!("{} {}", text, h.0));
            a.date = with_time
                .as_deref()
                .and_then(export_date)
                .or_else(|| export_date(text));
            RemovalReason::ExportMetadata
        } else if Some(i) == source_at {
            a.source = Some(text.clone());
            RemovalReason::ExportMetadata
        } else if is_copyright(text) {
            RemovalReason::Copyright
        } else {
            let _ = headline;
            RemovalReason::ExportMetadata
        };
        a.push(text.clone(), Role::Removed(reason));
    }
    if a.title.is_none()
        && let Some(first) = head.iter().position(|h| !is_word_count(&h.0))
    {
        a.title = Some(head[first].0.clone());
    }
    for p in body {
        a.push(p, Role::Body);
        a.push("", Role::Body);
    }
    for t in tail {
        if let Some(id) = t
            .strip_prefix("Document ")
            .or_else(|| t.strip_prefix("Dokument "))
            .or_else(|| t.strip_prefix("Documento "))
            .filter(|id| !id.contains(' ') && !id.is_empty())
        {
            a.id = Some(id.to_string());
        }
        a.furniture(t);
    }
    a
}

/// A time block: "15:32", "11:21 AM".
fn is_time(t: &str) -> bool {
    let t = t.trim();
    let (h, rest) = t.split_once(':').unwrap_or(("", ""));
    !h.is_empty()
        && h.len() <= 2
        && h.bytes().all(|b| b.is_ascii_digit())
        && rest.len() >= 2
        && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        && t.len() <= 12
}

/// A Factiva document id: "NYTF000020050403d11300001", "COAST00020111229e7ct0001r" (the
/// source code, zeros, the date, a code); letters and digits only, with the eight digits of
/// a date in it.
fn is_document_id(t: &str) -> bool {
    (16..=48).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
        && t.as_bytes()
            .windows(8)
            .any(|w| w.iter().all(u8::is_ascii_digit))
}

/// The id on a line that ends an article of a Factiva download: "Document NYTF0000…" in any
/// interface language ("Dokument …", "Documento …"), or the `AN` field code's line.
fn end_line_id(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t
        .strip_prefix("AN")
        .filter(|r| r.starts_with([' ', '\t', '\u{a0}']))
        .map_or(t, str::trim_start);
    let (word, id) = t.rsplit_once([' ', '\t', '\u{a0}'])?;
    let word = word.trim();
    (!word.is_empty()
        && word.chars().count() <= 16
        && word.chars().all(char::is_alphabetic)
        && is_document_id(id))
    .then_some(id)
}

/// The field codes of Factiva's "Full Article/Report plus Indexing" format.
const CODES: [&str; 32] = [
    "SE", "HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD", "CT",
    "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "CX", "ART", "VOL", "NGC", "CLM",
    "RST", "GC",
];

/// A field code line: the code, then a tab or spaces and its value (or nothing: the value on
/// the next lines).
fn code_line(line: &str) -> Option<(&'static str, &str)> {
    let t = line.trim_start();
    CODES.iter().find_map(|&c| {
        let rest = t.strip_prefix(c)?;
        if rest.is_empty() {
            Some((c, ""))
        } else if rest.starts_with([' ', '\t', '\u{a0}']) {
            Some((c, rest.trim()))
        } else {
            None
        }
    })
}

/// Whether lines (of an RTF or text download) look like Factiva articles: each ends with
/// its document id.
pub(crate) fn looks_like_text(lines: &[String]) -> bool {
    lines.iter().any(|l| end_line_id(l).is_some())
}

/// The articles of a Factiva download read as lines (RTF, text): each ends with its
/// "Document ID" line; the text after the last one (a search summary) is not an article.
pub(crate) fn parse_text(lines: &[String]) -> Vec<ExportArticle> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, l) in lines.iter().enumerate() {
        if let Some(id) = end_line_id(l) {
            let part = &lines[start..i];
            let coded = part.iter().filter(|l| code_line(l).is_some()).count() >= 3
                && part
                    .iter()
                    .any(|l| code_line(l).is_some_and(|(c, _)| c == "HD"));
            let mut a = if coded {
                coded_text(part)
            } else {
                uncoded_text(part)
            };
            a.furniture(l.as_str());
            a.id = Some(id.to_string());
            out.push(a);
            start = i + 1;
        }
    }
    out
}

/// An article of field code lines ("HD<tab>Headline", or the code alone on its line).
fn coded_text(part: &[String]) -> ExportArticle {
    let mut a = ExportArticle::default();
    let (mut date, mut time) = (None, None);
    let mut code: Option<&str> = None;
    // The value of the current code so far (the lines of a multi-line field joined).
    let mut value = String::new();
    let mut finish = |a: &mut ExportArticle, code: Option<&str>, value: &str| {
        let v = value.trim().to_string();
        match code {
            Some("HD") if !v.is_empty() => a.title = Some(v),
            Some("BY") if !v.is_empty() => a.byline = Some(v),
            Some("SN") if !v.is_empty() => a.source = Some(v),
            Some("PD") if !v.is_empty() => date = Some(v),
            Some("ET") if !v.is_empty() => time = Some(v),
            _ => {}
        }
    };
    for l in part {
        if let Some((c, rest)) = code_line(l) {
            finish(&mut a, code, &value);
            code = Some(c);
            value = rest.to_string();
            let reason = match c {
                "HD" => RemovalReason::Headline,
                "BY" => RemovalReason::Byline,
                "CY" => RemovalReason::Copyright,
                _ => RemovalReason::ExportMetadata,
            };
            if matches!(c, "LP" | "TD") && !rest.is_empty() {
                a.furniture(c);
                text_line(&mut a, rest);
            } else {
                a.push(l.as_str(), Role::Removed(reason));
            }
            continue;
        }
        match code {
            Some("LP" | "TD") => text_line(&mut a, l),
            Some(c) => {
                if !l.trim().is_empty() {
                    value.push(' ');
                    value.push_str(l.trim());
                }
                let reason = match c {
                    "HD" => RemovalReason::Headline,
                    "BY" => RemovalReason::Byline,
                    "CY" => RemovalReason::Copyright,
                    _ => RemovalReason::ExportMetadata,
                };
                a.push(l.as_str(), Role::Removed(reason));
            }
            None => a.furniture(l.as_str()),
        }
    }
    finish(&mut a, code, &value);
    if let Some(d) = date {
        let with_time = time.map(|t| format!("{d} {t}"));
        a.date = with_time
            .as_deref()
            .and_then(export_date)
            .or_else(|| export_date(&d))
            .or(Some(d));
    }
    a
}

/// A line of an article's text: a copyright line or a reprint notice taken out.
fn text_line(a: &mut ExportArticle, l: &str) {
    if is_copyright(l) {
        a.push(l, Role::Removed(RemovalReason::Copyright));
    } else if is_reprint_notice(l) {
        a.furniture(l);
    } else {
        a.push(l, Role::Body);
        a.push("", Role::Body);
    }
}

/// "License this article from Dow Jones Reprint Service" and its translations.
fn is_reprint_notice(l: &str) -> bool {
    let t = l.trim();
    t.len() < 100 && (t.contains("Dow Jones Reprint") || t.starts_with("License this article"))
}

/// Whether a header line looks like an author: "By Ann Lee", or two to five capitalised
/// words without digits.
fn is_author(t: &str) -> bool {
    let t = t.trim();
    let lower = t.to_lowercase();
    if ["by ", "von ", "par ", "por ", "di "]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && !t.chars().any(|c| c.is_ascii_digit())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !t.ends_with(['.', '?', '!', ':'])
}

/// An article without field codes: (section,) headline, (author,) word count, date, (time,)
/// source, source code, edition, page, language, copyright, each on its line; then the text.
fn uncoded_text(part: &[String]) -> ExportArticle {
    let mut a = ExportArticle::default();
    let filled: Vec<usize> = (0..part.len())
        .filter(|&i| !part[i].trim().is_empty())
        .collect();
    let t = |k: usize| part[filled[k]].trim();
    let count_at = (0..filled.len().min(8)).find(|&k| is_word_count(t(k)));
    // The header's lines, by place in `filled`, each with what it is.
    let mut roles: Vec<(usize, RemovalReason)> = Vec::new();
    let mut header_end = 0;
    if let Some(w) = count_at {
        let before: Vec<usize> = (0..w).collect();
        let (title, author) = match before.len() {
            0 => (None, None),
            1 => (Some(0), None),
            2 if is_author(t(1)) => (Some(0), Some(1)),
            2 => (Some(1), None),
            n if is_author(t(n - 1)) => (Some(n - 2), Some(n - 1)),
            n => (Some(n - 1), None),
        };
        for k in before {
            let reason = if Some(k) == title {
                a.title = Some(t(k).to_string());
                RemovalReason::Headline
            } else if Some(k) == author {
                a.byline = Some(t(k).to_string());
                RemovalReason::Byline
            } else {
                RemovalReason::ExportMetadata
            };
            roles.push((k, reason));
        }
        roles.push((w, RemovalReason::ExportMetadata));
        let mut k = w + 1;
        if k < filled.len() && export_date(t(k)).is_some() {
            let with_time = (k + 1 < filled.len() && is_time(t(k + 1)))
                .then(|| format!("{} {}", t(k), t(k + 1)));
            a.date = with_time
                .as_deref()
                .and_then(export_date)
                .or_else(|| export_date(t(k)));
            roles.push((k, RemovalReason::ExportMetadata));
            k += 1;
            if k < filled.len() && is_time(t(k)) {
                roles.push((k, RemovalReason::ExportMetadata));
                k += 1;
            }
            if k < filled.len() && !is_copyright(t(k)) {
                a.source = Some(t(k).to_string());
                roles.push((k, RemovalReason::ExportMetadata));
                k += 1;
            }
        }
        // Up to the copyright line, when one comes soon; else the short lines (source code,
        // edition, page, language).
        let copyright = (k..filled.len().min(k + 8)).find(|&j| is_copyright(t(j)));
        let end = match copyright {
            Some(c) => c + 1,
            None => {
                let mut j = k;
                while j < filled.len().min(k + 6) && is_header_word(t(j)) {
                    j += 1;
                }
                j
            }
        };
        for j in k..end {
            let reason = if is_copyright(t(j)) {
                RemovalReason::Copyright
            } else {
                RemovalReason::ExportMetadata
            };
            roles.push((j, reason));
        }
        header_end = end;
    } else if !filled.is_empty() {
        a.title = Some(t(0).to_string());
        roles.push((0, RemovalReason::Headline));
        header_end = 1;
    }
    let header_line_end = filled.get(header_end).copied().unwrap_or(part.len());
    for (i, l) in part.iter().enumerate() {
        if i < header_line_end {
            let reason = filled
                .iter()
                .position(|&f| f == i)
                .and_then(|k| roles.iter().find(|(r, _)| *r == k))
                .map_or(RemovalReason::ExportMetadata, |(_, r)| *r);
            a.push(l.as_str(), Role::Removed(reason));
        } else if l.trim().is_empty() {
            a.push("", Role::Body);
        } else {
            text_line(&mut a, l);
        }
    }
    a
}

/// A short header line: a source code, an edition, a page, a language (no sentence).
fn is_header_word(t: &str) -> bool {
    t.chars().count() <= 40 && !t.ends_with(['.', '?', '!', '"', '”', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODED: &str = r#"<html><body><h1>Factiva</h1><div class="article enArticle"><table>
<tr><td class="index"><b>SE</b>&nbsp;</td><td>Business</td></tr>
<tr><td class="index"><b>HD</b>&nbsp;</td><td><b class='enHeadline'>Harbour reopens</b></td></tr>
<tr><td class="index"><b>BY</b>&nbsp;</td><td>Ann Lee</td></tr>
<tr><td class="index"><b>WC</b>&nbsp;</td><td>120 words</td></tr>
<tr><td class="index"><b>PD</b>&nbsp;</td><td>29 December 2011</td></tr>
<tr><td class="index"><b>ET</b>&nbsp;</td><td>15:32</td></tr>
<tr><td class="index"><b>SN</b>&nbsp;</td><td>The Coast Herald</td></tr>
<tr><td class="index"><b>CY</b>&nbsp;</td><td>(c) Coast Herald Ltd.</td></tr>
<tr><td class="index"><p><b>LP</b>&nbsp;</p></td><td><p class="articleParagraph enarticleParagraph">First paragraph.</p></td></tr>
<tr><td class="index"><p><b>TD</b>&nbsp;</p></td><td><p class="articleParagraph enarticleParagraph">Second paragraph.</p></td></tr>
<tr><td class="index"><b>AN</b>&nbsp;</td><td>Document COAST00020111229e7ct0001r</td></tr>
</table></div></body></html>"#;

    #[test]
    fn coded_article() {
        assert!(looks_like(CODED));
        let arts = parse(CODED);
        assert_eq!(arts.len(), 1);
        let a = &arts[0];
        assert_eq!(a.title.as_deref(), Some("Harbour reopens"));
        assert_eq!(a.byline.as_deref(), Some("Ann Lee"));
        assert_eq!(a.source.as_deref(), Some("The Coast Herald"));
        assert_eq!(a.date.as_deref(), Some("29 December 2011 15:32"));
        assert_eq!(a.id.as_deref(), Some("COAST00020111229e7ct0001r"));
        let body: Vec<&str> = a
            .lines
            .iter()
            .filter(|(l, r)| *r == Role::Body && !l.is_empty())
            .map(|(l, _)| l.as_str())
            .collect();
        assert_eq!(body, ["First paragraph.", "Second paragraph."]);
    }

    const UNCODED: &str = r#"<html><body><div id="navcontainer"><h1>Factiva</h1></div>
<div id="article-X1" class="article"><div class="article deArticle"><p></p><div>Wirtschaft</div>
<div id="hd"><span class="deHeadline">Hafen wieder offen</span></div><div class="author">Anna Lee</div>
<div>1.285 Wörter</div><div>1 April 2017</div><div>Der Küstenbote</div><div>KUEST</div><div>Deutsch</div>
<div>Copyright 2017 Küstenbote GmbH</div><p></p>
<p class="articleParagraph dearticleParagraph">Der Hafen ist wieder offen.</p>
<p class="articleParagraph dearticleParagraph">Boote fuhren aus.</p>
<p>Küstenbote Verlag</p><p>Dokument KUEST00020170401ed4100001</p></div></div>
<div class="article deArticle"><div id="hd"><span class="deHeadline">Zweiter Text</span></div>
<div>10 Wörter</div><div>2 Mai 2017</div><div>Der Küstenbote</div>
<p class="articleParagraph dearticleParagraph">Kurz.</p></div></body></html>"#;

    #[test]
    fn uncoded_articles() {
        assert!(looks_like(UNCODED));
        let arts = parse(UNCODED);
        assert_eq!(arts.len(), 2);
        let a = &arts[0];
        assert_eq!(a.title.as_deref(), Some("Hafen wieder offen"));
        assert_eq!(a.byline.as_deref(), Some("Anna Lee"));
        assert_eq!(a.source.as_deref(), Some("Der Küstenbote"));
        assert_eq!(a.date.as_deref(), Some("1 April 2017"));
        assert_eq!(a.id.as_deref(), Some("KUEST00020170401ed4100001"));
        let body: Vec<&str> = a
            .lines
            .iter()
            .filter(|(l, r)| *r == Role::Body && !l.is_empty())
            .map(|(l, _)| l.as_str())
            .collect();
        assert_eq!(body, ["Der Hafen ist wieder offen.", "Boote fuhren aus."]);
        assert_eq!(arts[1].date.as_deref(), Some("2 May 2017"));
    }
}
