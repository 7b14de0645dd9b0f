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
pub fn parse(html: &str) -> Vec<ExportArticle> {
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
