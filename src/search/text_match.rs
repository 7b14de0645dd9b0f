//! Searching the two texts of a comparison (the diff view's `/`): where the query's words and
//! phrases stand, as (side, paragraph, byte range). Pure: no index, no files.

use std::ops::Range;

use serde::Serialize;

use super::analyzer::{self, analyzer};
use super::query::{self, QueryError};

/// Which text of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) enum Side {
    /// The old version (left).
    A,
    /// The new version (right).
    B,
}

/// One place where the query matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TextMatch {
    /// Which text.
    pub side: Side,
    /// Paragraph index in that text.
    pub paragraph: usize,
    /// Byte range in the paragraph.
    pub range: Range<usize>,
}

/// Finds the words and phrases of `query` (same language and same word folding as the corpus
/// search: case and accents ignored) in the paragraphs of `a` and `b`. Excluded words,
/// `source:` and `date:` mark nothing; a query with nothing to mark is an error saying so.
/// Matches come in order of side, paragraph and position, never overlapping.
pub(crate) fn find_in_texts(
    query: &str,
    a: &[String],
    b: &[String],
) -> Result<Vec<TextMatch>, QueryError> {
    let expr = query::parse(query)?;
    let mut an = analyzer();
    let wanted = query::wanted_texts(&expr, &mut an);
    if wanted.is_empty() {
        return Err(QueryError {
            message: "nothing to look for in the texts: give a word or a \"phrase\" (source:, \
                      date: and excluded words do not mark text)"
                .into(),
            at: 1,
        });
    }
    let mut out = Vec::new();
    for (side, paragraphs) in [(Side::A, a), (Side::B, b)] {
        for (paragraph, text) in paragraphs.iter().enumerate() {
            let words = analyzer::words(&mut an, text);
            let mut ranges: Vec<Range<usize>> = Vec::new();
            for needle in &wanted {
                let n = needle.len();
                if n == 0 || n > words.len() {
                    continue;
                }
                for i in 0..=words.len() - n {
                    if words[i..i + n]
                        .iter()
                        .zip(needle)
                        .all(|(w, t)| w.text == *t)
                    {
                        ranges.push(words[i].start..words[i + n - 1].end);
                    }
                }
            }
            ranges.sort_by_key(|r| (r.start, r.end));
            let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
            for r in ranges {
                match merged.last_mut() {
                    Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                    _ => merged.push(r),
                }
            }
            out.extend(merged.into_iter().map(|range| TextMatch {
                side,
                paragraph,
                range,
            }));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_and_phrases_on_both_sides() {
        let a = paras(&["Die Straße war gesperrt.", "Kein Treffer hier."]);
        let b = paras(&["Die STRASSE ist offen; die strasse bleibt."]);
        let m = find_in_texts("strasse", &a, &b).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!((m[0].side, m[0].paragraph), (Side::A, 0));
        assert_eq!(&a[0][m[0].range.clone()], "Straße");
        assert_eq!(&b[0][m[1].range.clone()], "STRASSE");
        assert_eq!(&b[0][m[2].range.clone()], "strasse");

        let a = paras(&["Le ministre a démissionné hier.", "Le ministre reste."]);
        let m = find_in_texts("\"ministre a demissionne\"", &a, &[]).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(&a[0][m[0].range.clone()], "ministre a démissionné");
    }

    #[test]
    fn excluded_words_mark_nothing_and_bad_queries_say_why() {
        let a = paras(&["alpha beta"]);
        let m = find_in_texts("alpha -beta", &a, &[]).unwrap();
        assert_eq!(m.len(), 1);
        assert!(find_in_texts("-beta", &a, &[]).is_err());
        assert!(find_in_texts("\"open", &a, &[]).is_err());
        assert!(find_in_texts("source:bbc", &a, &[]).is_err());
        assert!(find_in_texts("", &a, &[]).is_err());
    }
}
