//! A passage of a matching article with the matched words marked. The text is the article's
//! own (whitespace runs shown as one space, `…` where it was cut), not yet made safe for a
//! terminal: [`Snippet::render`] does that, JSON writers escape it.

use std::ops::Range;

use serde::Serialize;
use tantivy::snippet::{SnippetGenerator, collapse_overlapped_ranges};

use crate::text::sanitize_for_terminal;

/// Characters of body shown when the match is elsewhere (the source or the date).
const LEAD_CHARS: usize = 200;

/// A passage with marks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of `text` that matched, in order, not overlapping.
    pub marks: Vec<Range<usize>>,
}

impl Snippet {
    /// The best passage of `body` for the query, else of `title`, else the body's opening.
    pub(crate) fn best(
        body_gen: &SnippetGenerator,
        title_gen: &SnippetGenerator,
        body: &str,
        title: &str,
    ) -> Snippet {
        let s = body_gen.snippet(body);
        if !s.highlighted().is_empty() {
            return Snippet::from_tantivy(&s, body.len());
        }
        let s = title_gen.snippet(title);
        if !s.highlighted().is_empty() {
            return Snippet::from_tantivy(&s, title.len());
        }
        Snippet::opening(body)
    }

    fn from_tantivy(s: &tantivy::snippet::Snippet, text_len: usize) -> Snippet {
        let range = s.fragment_range();
        let marks = collapse_overlapped_ranges(s.highlighted());
        Snippet::collapsed(s.fragment(), &marks, range.start > 0, range.end < text_len)
    }

    /// The first [`LEAD_CHARS`] characters of `body`, cut at a word.
    fn opening(body: &str) -> Snippet {
        let trimmed = body.trim_start();
        let cut = trimmed
            .char_indices()
            .nth(LEAD_CHARS)
            .map_or(trimmed.len(), |(i, _)| i);
        let mut end = cut;
        if cut < trimmed.len()
            && let Some(space) = trimmed[..cut].rfind(char::is_whitespace)
            && space > cut / 2
        {
            end = space;
        }
        Snippet::collapsed(&trimmed[..end], &[], false, end < trimmed.len())
    }

    /// `fragment` with whitespace runs as one space and `…` on the cut ends, `marks` moved
    /// along.
    fn collapsed(fragment: &str, marks: &[Range<usize>], before: bool, after: bool) -> Snippet {
        let mut text = String::with_capacity(fragment.len() + 8);
        let mut out_marks = Vec::with_capacity(marks.len());
        if before {
            text.push('…');
        }
        let mut space = before;
        let mut mark = 0;
        let mut open: Option<usize> = None;
        for (i, c) in fragment.char_indices() {
            if open.is_none()
                && let Some(m) = marks.get(mark)
                && m.start == i
            {
                open = Some(text.len());
            }
            if c.is_whitespace() {
                if !space && !text.is_empty() {
                    text.push(' ');
                }
                space = true;
            } else {
                text.push(c);
                space = false;
            }
            if let (Some(start), Some(m)) = (open, marks.get(mark))
                && i + c.len_utf8() >= m.end
            {
                out_marks.push(start..text.len());
                open = None;
                mark += 1;
            }
        }
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        for m in &mut out_marks {
            m.end = m.end.min(trimmed);
            m.start = m.start.min(m.end);
        }
        out_marks.retain(|m| m.start < m.end);
        if after {
            text.push('…');
        }
        Snippet {
            text,
            marks: out_marks,
        }
    }

    /// The passage as (marked, text) pieces in order.
    pub(crate) fn parts(&self) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut at = 0;
        for m in &self.marks {
            let (Some(before), Some(inside)) =
                (self.text.get(at..m.start), self.text.get(m.clone()))
            else {
                continue;
            };
            if !before.is_empty() {
                out.push((false, before));
            }
            out.push((true, inside));
            at = m.end;
        }
        if let Some(rest) = self.text.get(at..)
            && !rest.is_empty()
        {
            out.push((false, rest));
        }
        out
    }

    /// The passage made safe for a terminal (control characters and escape sequences shown as
    /// placeholders) with each marked piece between `open` and `close`.
    pub(crate) fn render(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        for (marked, piece) in self.parts() {
            let safe = sanitize_for_terminal(piece, false);
            if marked {
                out.push_str(open);
                out.push_str(&safe);
                out.push_str(close);
            } else {
                out.push_str(&safe);
            }
        }
        out
    }

    /// The marks as [start, end) offsets in Unicode code points (for JSON readers).
    pub(crate) fn char_marks(&self) -> Vec<[usize; 2]> {
        let chars = |b: usize| self.text.get(..b).map_or(0, |s| s.chars().count());
        self.marks
            .iter()
            .map(|m| [chars(m.start), chars(m.end)])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_and_marks_follow() {
        let frag = "Jonas  Pell\n\nsaid \u{1b}[2J that";
        // "Pell" at 7..11, "that" at 23..27.
        let s = Snippet::collapsed(frag, &[7..11, 23..27], true, true);
        assert_eq!(s.text, "…Jonas Pell said \u{1b}[2J that…");
        let marked: Vec<&str> = s.parts().iter().filter(|p| p.0).map(|p| p.1).collect();
        assert_eq!(marked, ["Pell", "that"]);
        let shown = s.render("[", "]");
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert!(
            shown.contains("[Pell]") && shown.contains("[that]"),
            "{shown}"
        );
        assert_eq!(s.char_marks()[0], [7, 11]);
    }

    #[test]
    fn opening_is_cut_at_a_word() {
        let body = "word ".repeat(100);
        let s = Snippet::opening(&body);
        assert!(s.text.ends_with('…'));
        assert!(s.text.chars().count() <= LEAD_CHARS + 1);
        assert!(s.marks.is_empty());
        assert_eq!(Snippet::opening("short").text, "short");
    }
}
