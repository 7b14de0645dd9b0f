//! Cleaning: header metadata taken out of the body, hard-wrapped lines reflowed into
//! paragraphs, boilerplate removed (each removal recorded with its reason), a teaser copy of a
//! paragraph collapsed. The original characters are kept; the raw text is never altered.

mod boilerplate;
mod header;
mod reflow;
mod source_boilerplate;
mod teaser;

use rustc_hash::{FxHashMap, FxHashSet};

use super::article::{Article, RemovalReason, RemovedLine};
use super::date::parse_date;
use crate::text::{matching_hash, normalize_for_matching};

/// What the record already says about itself (JSON fields), so the cleaner only looks for
/// what is missing.
#[derive(Debug, Clone, Default)]
pub struct KnownMeta<'a> {
    /// Headline from the record, if any.
    pub title: Option<&'a str>,
    /// Dateline from the record, if any.
    pub dateline: Option<&'a str>,
}

/// The result of cleaning one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// The body's paragraphs, reflowed, original characters kept.
    pub paragraphs: Vec<String>,
    /// Lines taken out, each with its reason (header lines included).
    pub removed: Vec<RemovedLine>,
    /// Headline found in the text's header.
    pub title: Option<String>,
    /// Date found in a page header (ISO form when parsed).
    pub date: Option<String>,
    /// Dateline or agency line.
    pub dateline: Option<String>,
    /// Deck or kicker.
    pub deck: Option<String>,
    /// Byline.
    pub byline: Option<String>,
}

/// Cleans `raw`: header metadata, reflow, boilerplate, duplicate teaser.
pub fn clean(raw: &str, known: &KnownMeta<'_>) -> Cleaned {
    let mut out = Cleaned::default();
    // Sized once (a count of newlines is a fast scan), not grown line by line.
    let mut lines: Vec<&str> =
        Vec::with_capacity(memchr::memchr_iter(b'\n', raw.as_bytes()).count() + 1);
    // The lines of `str::lines` (a final line end ends no empty line), found with memchr.
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', raw.as_bytes()) {
        lines.push(trim_line_end(&raw[start..nl]));
        start = nl + 1;
    }
    if start < raw.len() {
        lines.push(trim_line_end(&raw[start..]));
    }
    let body_start = take_header(&lines, known, &mut out);
    let mut paragraphs = reflow_numbered(&lines[body_start..], body_start + 1);

    // Boilerplate by built-in patterns.
    paragraphs.retain(|p| match boilerplate_reason(&p.text) {
        Some(reason) => {
            out.removed.push(RemovedLine {
                text: p.text.clone(),
                reason,
                lines: Some(p.lines),
            });
            false
        }
        None => true,
    });

    // A headline repeated as the first paragraph of a record that has a title field.
    if let (Some(title), Some(first)) = (known.title, paragraphs.first())
        && !title.trim().is_empty()
        && first.text.len() <= title.len() * 2 + 8
        && same_matching_form(&first.text, title)
    {
        let p = paragraphs.remove(0);
        out.removed.push(RemovedLine {
            text: p.text,
            reason: RemovalReason::Headline,
            lines: Some(p.lines),
        });
    }

    // An inline dateline at the start of the first paragraph: "MOSCOW (Reuters) - ...".
    if out.dateline.is_none()
        && known.dateline.is_none()
        && let Some(first) = paragraphs.first_mut()
        && let Some(split) = inline_dateline_end(&first.text)
    {
        let text = &first.text;
        let dateline = text[..split]
            .trim()
            .trim_end_matches(['-', '–', '—'])
            .trim();
        out.removed.push(RemovedLine {
            text: text[..split].trim_end().to_string(),
            reason: RemovalReason::Dateline,
            lines: Some((first.lines.0, first.lines.0)),
        });
        out.dateline = Some(dateline.to_string());
        first.text = text[split..].trim_start().to_string();
    }

    collapse_duplicates(&mut paragraphs, &mut out.removed);
    out.paragraphs = paragraphs.into_iter().map(|p| p.text).collect();
    out
}

/// `line` without trailing carriage returns, spaces and tabs (bytes, not chars: they are
/// ASCII).
fn trim_line_end(line: &str) -> &str {
    let b = line.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\r' | b' ' | b'\t') {
        end -= 1;
    }
    &line[..end]
}

/// Whether a line holds nothing but whitespace (ASCII checked bytewise first).
fn is_blank_line(line: &str) -> bool {
    match line
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c))
    {
        None => true,
        Some(b) if b.is_ascii() => false,
        Some(_) => line.trim().is_empty(),
    }
}

/// A paragraph of the body with the raw lines it came from.
#[derive(Debug, Clone)]
struct Para {
    text: String,
    /// First and last line, 1-based, inclusive.
    lines: (usize, usize),
}

use boilerplate::*;
use header::*;
use reflow::*;
use teaser::*;

pub(crate) use source_boilerplate::{
    Boilerplate, BoilerplateCounts, EdgeCounts, EdgeKeys, body_counts, compute_edge_keys,
    edge_keys, hash_source, remove_source_boilerplate, source_key,
};

#[cfg(test)]
mod tests;
