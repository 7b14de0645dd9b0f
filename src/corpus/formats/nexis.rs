//! Nexis Uni exports (Word files, one line per paragraph): a cover page, then each article as
//! headline, publication, date line, `Section:`/`Length:`/`Byline:` fields (the colon followed
//! by U+00A0), `Body`, the text, trailing sections (`Classification`, `Graphic`, `Correction`),
//! `Load-Date:` and `End of Document`.

use super::{ExportArticle, ExportKeywords, Role, export_date, is_copyright};
use crate::corpus::RemovalReason;

/// Whether the lines look like a Nexis Uni export: an end marker on a line of its own.
pub(crate) fn looks_like(lines: &[String], kw: &ExportKeywords) -> bool {
    lines.iter().any(|l| ExportKeywords::is(&kw.end, l))
}

/// A Nexis field line: `Name:` then U+00A0 (or a space, for the names the keywords know),
/// then the value. Gives the name and the value.
fn field<'l>(line: &'l str, kw: &ExportKeywords) -> Option<(&'l str, &'l str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 || name.contains(['.', ';']) {
        return None;
    }
    if let Some(v) = value.strip_prefix('\u{a0}') {
        return Some((name, v.trim()));
    }
    let known = [
        &kw.byline,
        &kw.dateline,
        &kw.section,
        &kw.length,
        &kw.highlight,
        &kw.after_text,
        &kw.version,
    ]
    .iter()
    .any(|list| ExportKeywords::names(list, name));
    (known && value.starts_with(' ')).then(|| (name, value.trim()))
}

/// Splits the lines of a Nexis Uni export into articles; the second value counts the parts
/// between end markers where no article was found.
pub(crate) fn parse(lines: &[String], kw: &ExportKeywords) -> (Vec<ExportArticle>, usize) {
    let mut out = Vec::new();
    let mut unreadable = 0;
    let mut start = 0;
    let mut ends: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| ExportKeywords::is(&kw.end, l))
        .map(|(i, _)| i)
        .collect();
    // Text after the last marker is an article only if it has fields and a body.
    ends.push(lines.len());
    for end in ends {
        let part = &lines[start..end];
        let closed = end < lines.len();
        start = end + 1;
        if part.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        match article(
            part,
            kw,
            closed.then(|| lines[end].as_str()),
            out.is_empty() && unreadable == 0,
        ) {
            Some(a) => out.push(a),
            None if closed => unreadable += 1,
            None => {}
        }
    }
    (out, unreadable)
}

/// One part between end markers as an article (`None` when it has no fields).
fn article(
    part: &[String],
    kw: &ExportKeywords,
    end_marker: Option<&str>,
    first: bool,
) -> Option<ExportArticle> {
    let is_field = |l: &str| field(l, kw).is_some();
    // The text starts after "Body"; the fields before it start at the first field line.
    let body_at = part.iter().position(|l| ExportKeywords::is(&kw.body, l));
    let first_field = part[..body_at.unwrap_or(part.len())]
        .iter()
        .position(|l| is_field(l))?;
    // The header: the lines above the fields back to two blank lines in a row (the cover
    // page, or the previous article's end, lies above them).
    let mut top = first_field;
    let mut blanks = 0;
    let mut seen_text = false;
    // After an end marker the next article starts at once; only the first part has a cover.
    if !first {
        top = 0;
    }
    while top > 0 {
        let l = part[top - 1].trim();
        if l.is_empty() {
            blanks += 1;
            if blanks >= 2 && seen_text {
                break;
            }
        } else {
            blanks = 0;
            // Copyright and correction notes sit between the date and the fields.
            seen_text |= !is_copyright(l);
        }
        top -= 1;
    }
    let mut a = ExportArticle::default();
    for l in &part[..top] {
        a.furniture(l.as_str());
    }
    // Header lines: headline, publication, date line (then edition words), copyright.
    let header: Vec<usize> = (top..first_field)
        .filter(|&i| {
            let t = part[i].trim();
            !t.is_empty() && !is_copyright(t) && !t.eq_ignore_ascii_case("Correction Appended")
        })
        .collect();
    // A headline broken after "SECTION;" goes on on the next line.
    let title_lines = header
        .iter()
        .take_while(|&&i| part[i].trim_end().ends_with(';'))
        .count()
        + 1;
    let header: Vec<usize> = if header.len() > title_lines {
        std::iter::once(header[title_lines - 1])
            .chain(header[title_lines..].iter().copied())
            .collect()
    } else {
        header
    };
    let title_first =
        (top..first_field).find(|&i| !part[i].trim().is_empty() && !is_copyright(&part[i]));
    let date_at = header
        .iter()
        .skip(1)
        .position(|&i| export_date(&part[i]).is_some())
        .map(|p| p + 1);
    let title_at = header.first().copied();
    let source_at = match date_at {
        Some(d) if d >= 2 => Some(header[1]),
        None if header.len() >= 2 => Some(header[1]),
        _ => None,
    };
    if let (Some(t), Some(f)) = (title_at, title_first) {
        a.title = Some(
            part[f..=t]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if let Some(s) = source_at {
        a.source = Some(part[s].trim().to_string());
    }
    if let Some(d) = date_at {
        a.date = export_date(&part[header[d]]);
    }
    #[allow(clippy::needless_range_loop)]
    for i in top..first_field {
        let role = if title_first.is_some_and(|f| f <= i) && title_at.is_some_and(|t| i <= t) {
            RemovalReason::Headline
        } else if is_copyright(&part[i]) {
            RemovalReason::Copyright
        } else {
            RemovalReason::ExportMetadata
        };
        a.push(part[i].as_str(), Role::Removed(role));
    }
    // Fields up to "Body" (lines without a name continue the field above).
    let fields_end = body_at.unwrap_or_else(|| {
        (first_field..part.len())
            .find(|&i| !part[i].trim().is_empty() && !is_field(&part[i]))
            .unwrap_or(part.len())
    });
    let mut version = None;
    for l in &part[first_field..fields_end] {
        let mut reason = RemovalReason::ExportMetadata;
        if let Some((name, value)) = field(l, kw) {
            if ExportKeywords::names(&kw.byline, name) && !value.is_empty() {
                a.byline = Some(value.to_string());
                reason = RemovalReason::Byline;
            } else if ExportKeywords::names(&kw.dateline, name) && !value.is_empty() {
                a.dateline = Some(value.to_string());
                reason = RemovalReason::Dateline;
            } else if ExportKeywords::names(&kw.highlight, name) && !value.is_empty() {
                a.deck = Some(value.to_string());
                reason = RemovalReason::Deck;
            }
            // "Section: POLITICS; Version:28" holds the version too.
            for piece in std::iter::once((name, value)).chain(
                value
                    .split(';')
                    .filter_map(|p| p.split_once(':'))
                    .map(|(n, v)| (n.trim(), v.trim())),
            ) {
                if ExportKeywords::names(&kw.version, piece.0) && !piece.1.is_empty() {
                    version = Some(piece.1.to_string());
                }
            }
        }
        a.push(l.as_str(), Role::Removed(reason));
    }
    if let Some(v) = version {
        a.version = Some(v);
    }
    // The text: after "Body" up to a trailing section, a field line or the end.
    let text_start = body_at.map_or(fields_end, |b| {
        a.furniture(part[b].as_str());
        b + 1
    });
    let text_end = (text_start..part.len())
        .find(|&i| ExportKeywords::is(&kw.trailer, &part[i]) || is_field(&part[i]))
        .unwrap_or(part.len());
    // A bare address at the text's end is the article's URL.
    let mut body_end = text_end;
    while body_end > text_start {
        let l = part[body_end - 1].trim();
        if l.is_empty() {
            body_end -= 1;
        } else if (l.starts_with("http://") || l.starts_with("https://")) && !l.contains(' ') {
            if a.url.is_none() && l.len() > "https://x.y".len() {
                a.url = Some(l.to_string());
            }
            body_end -= 1;
        } else {
            break;
        }
    }
    for l in &part[text_start..body_end] {
        a.push(l.as_str(), Role::Body);
    }
    for l in &part[body_end..] {
        a.furniture(l.as_str());
    }
    if let Some(m) = end_marker {
        a.furniture(m);
    }
    // No date line in the header (some old records): the date the database loaded it.
    if a.date.is_none() {
        a.date = part[body_end..].iter().find_map(|l| {
            let (name, value) = field(l, kw)?;
            let lower = name.to_lowercase();
            (lower.contains("load") || lower.contains("lade") || lower.contains("chargement"))
                .then(|| export_date(value))?
        });
    }
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    const EXPORT: &str = "User Name: A Reader\n\
Date and Time: Monday, March 2, 2026 9:00:00 AM CET\n\
Documents (2)\n\
1. Harbour reopens after storm\n\
Client/Matter: -None-\n\
Sources: The Coast Herald; Content Type: News\n\
\n\
\n\
\n\
Harbour reopens after storm\n\
The Coast Herald\n\
March 1, 2026 Sunday 10:36 EST\n\
\n\
Copyright 2026 The Coast Herald All Rights Reserved\n\
Section:\u{a0}NEWS; Version:3\n\
Length:\u{a0}120 words\n\
Byline:\u{a0}Ann Lee\n\
Dateline:\u{a0}PORTHAVEN\n\
Body\n\
\n\
The harbour reopened on Sunday after the storm.\n\
Boats left at dawn.\n\
https://coastherald.example/harbour\n\
Classification\n\
\n\
Language:\u{a0}ENGLISH\n\
Load-Date:\u{a0}March 2, 2026\n\
\n\
End of Document\n\
\n\
\n\
Second story\n\
The Coast Herald\n\
2. März 2026\n\
Länge:\u{a0}5 Wörter\n\
Body\n\
Kurzer Text.\n\
Load-Date:\u{a0}March 3, 2026\n\
End of Document\n";

    #[test]
    fn splits_and_takes_fields() {
        let kw = ExportKeywords::default();
        let (arts, bad) = parse(&lines(EXPORT), &kw);
        assert_eq!((arts.len(), bad), (2, 0));
        let a = &arts[0];
        assert_eq!(a.title.as_deref(), Some("Harbour reopens after storm"));
        assert_eq!(a.source.as_deref(), Some("The Coast Herald"));
        assert_eq!(a.date.as_deref(), Some("March 1, 2026 Sunday 10:36 EST"));
        assert_eq!(a.byline.as_deref(), Some("Ann Lee"));
        assert_eq!(a.dateline.as_deref(), Some("PORTHAVEN"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://coastherald.example/harbour")
        );
        assert_eq!(a.version.as_deref(), Some("3"));
        let body: Vec<&str> = a
            .lines
            .iter()
            .filter(|(_, r)| *r == Role::Body)
            .map(|(l, _)| l.as_str())
            .collect();
        assert_eq!(
            body,
            [
                "",
                "The harbour reopened on Sunday after the storm.",
                "Boats left at dawn."
            ]
        );
        let b = &arts[1];
        assert_eq!(b.title.as_deref(), Some("Second story"));
        assert_eq!(b.date.as_deref(), Some("2. March 2026"));
        assert!(b.has_body());
    }

    #[test]
    fn a_part_without_fields_is_counted() {
        let kw = ExportKeywords::default();
        let (arts, bad) = parse(
            &lines("just words\nEnd of Document\nmore\nEnd of Document\n"),
            &kw,
        );
        assert_eq!((arts.len(), bad), (0, 2));
    }
}
