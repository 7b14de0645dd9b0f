//! Word-level diff of one aligned pair of sentences (or sentence groups).
//!
//! Tokens are words and punctuation without whitespace (re-wrapped text is no change), compared
//! by their matching form; the engine is imara-diff's Histogram algorithm, the fastest measured
//! on this machine (see `/work/shared/design/MEASURED.md`). Differences of quote style or
//! punctuation only are marked minor.

use std::ops::Range;

use serde::Serialize;

use super::hashing::IdMap;
use super::segment::Word;

/// What a run of words does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordOp {
    /// In both sides.
    Equal,
    /// Only in A.
    Delete,
    /// Only in B.
    Insert,
}

/// A run of consecutive tokens with the same fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordChange {
    /// Equal, delete or insert.
    pub op: WordOp,
    /// The run as written, from its first token to its last (surrounding whitespace excluded;
    /// B's text for equal runs).
    pub text: std::sync::Arc<str>,
    /// A punctuation-only or quote-style-only difference.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub minor: bool,
    /// Byte range of the run in A's text (equal and delete runs).
    #[serde(skip)]
    pub a: Option<Range<usize>>,
    /// Byte range of the run in B's text (equal and insert runs).
    #[serde(skip)]
    pub b: Option<Range<usize>>,
}

/// The word diff of a pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WordDiff {
    /// The runs, in reading order (deletes before the inserts that replace them).
    pub changes: Vec<WordChange>,
    /// Words (tokens with a letter or digit) carried over from A to B.
    pub carried: usize,
}

impl WordDiff {
    /// The diff of two identical texts (`words` their tokens): one equal run sharing `text`.
    pub(crate) fn same(text: &std::sync::Arc<str>, words: &[Word]) -> Self {
        WordDiff {
            changes: if text.is_empty() {
                Vec::new()
            } else {
                vec![WordChange {
                    op: WordOp::Equal,
                    text: text.clone(),
                    minor: false,
                    a: Some(0..text.len()),
                    b: Some(0..text.len()),
                }]
            },
            carried: words.iter().filter(|w| w.is_word()).count(),
        }
    }

    /// True when every non-equal run is minor (and there is at least one).
    pub(crate) fn only_minor(&self) -> bool {
        self.changes.iter().any(|c| c.op != WordOp::Equal)
            && self
                .changes
                .iter()
                .all(|c| c.op == WordOp::Equal || c.minor)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Equal,
    /// A real insertion or deletion; minor when all its tokens are punctuation.
    Edit(WordOp),
    /// Same matching form, different characters (quote style): always minor.
    Style(WordOp),
}

struct Run {
    kind: RunKind,
    a: Option<(usize, usize)>,
    b: Option<(usize, usize)>,
}

/// Diffs the tokens of `a_text` and `b_text` (as produced by [`super::segment::words`]).
pub(crate) fn diff_words(
    a_text: &str,
    a_words: &[Word],
    b_text: &str,
    b_words: &[Word],
) -> WordDiff {
    if a_text == b_text {
        return WordDiff::same(&b_text.into(), a_words);
    }
    let mut interner: IdMap<u32> = IdMap::default();
    // Distinct words of two sentences (each capped at MAX_SENTENCE_WORDS): far below 2^32.
    #[allow(clippy::cast_possible_truncation)]
    let mut intern = |k: u64| {
        let n = interner.len() as u32;
        imara_diff::intern::Token(*interner.entry(k).or_insert(n))
    };
    let before: Vec<_> = a_words.iter().map(|w| intern(w.key)).collect();
    let after: Vec<_> = b_words.iter().map(|w| intern(w.key)).collect();
    let mut hunks: Vec<(Range<u32>, Range<u32>)> = Vec::new();
    imara_diff::diff_with_tokens(
        imara_diff::Algorithm::Histogram,
        &before,
        &after,
        u32::try_from(interner.len()).unwrap_or(u32::MAX),
        |x: Range<u32>, y: Range<u32>| hunks.push((x, y)),
    );
    hunks.sort_by_key(|h| (h.0.start, h.1.start));

    let mut runs: Vec<Run> = Vec::new();
    let mut carried = 0usize;
    let (mut ai, mut bi) = (0usize, 0usize);
    let mut equal_until = |runs: &mut Vec<Run>, ai: &mut usize, bi: &mut usize, a_end: usize| {
        while *ai < a_end {
            let (wa, wb) = (&a_words[*ai], &b_words[*bi]);
            if wa.is_word() {
                carried += 1;
            }
            if a_text[wa.range()] == b_text[wb.range()] {
                push(runs, RunKind::Equal, Some(*ai), Some(*bi));
            } else {
                push(runs, RunKind::Style(WordOp::Delete), Some(*ai), None);
                push(runs, RunKind::Style(WordOp::Insert), None, Some(*bi));
            }
            *ai += 1;
            *bi += 1;
        }
    };
    for (x, y) in hunks {
        equal_until(&mut runs, &mut ai, &mut bi, x.start as usize);
        for i in x.clone() {
            push(
                &mut runs,
                RunKind::Edit(WordOp::Delete),
                Some(i as usize),
                None,
            );
        }
        for j in y.clone() {
            push(
                &mut runs,
                RunKind::Edit(WordOp::Insert),
                None,
                Some(j as usize),
            );
        }
        ai = x.end as usize;
        bi = y.end as usize;
    }
    equal_until(&mut runs, &mut ai, &mut bi, a_words.len());

    let changes = runs
        .into_iter()
        .map(|r| {
            let a =
                r.a.map(|(f, l)| a_words[f].start as usize..a_words[l].end() as usize);
            let b =
                r.b.map(|(f, l)| b_words[f].start as usize..b_words[l].end() as usize);
            let (op, minor) = match r.kind {
                RunKind::Equal => (WordOp::Equal, false),
                RunKind::Style(op) => (op, true),
                RunKind::Edit(WordOp::Delete) => (
                    WordOp::Delete,
                    r.a.is_some_and(|(f, l)| a_words[f..=l].iter().all(|w| !w.is_word())),
                ),
                RunKind::Edit(op) => (
                    op,
                    r.b.is_some_and(|(f, l)| b_words[f..=l].iter().all(|w| !w.is_word())),
                ),
            };
            let text = match (&b, &a) {
                (Some(b), _) => b_text[b.clone()].to_string(),
                (None, Some(a)) => a_text[a.clone()].to_string(),
                (None, None) => String::new(),
            };
            WordChange {
                op,
                text: text.into(),
                minor,
                a,
                b,
            }
        })
        .collect();
    WordDiff { changes, carried }
}

/// Appends a token to the last run when it continues it, else opens a new run.
fn push(runs: &mut Vec<Run>, kind: RunKind, a: Option<usize>, b: Option<usize>) {
    if let Some(last) = runs.last_mut()
        && last.kind == kind
    {
        if let (Some(r), Some(i)) = (last.a.as_mut(), a) {
            r.1 = i;
        }
        if let (Some(r), Some(j)) = (last.b.as_mut(), b) {
            r.1 = j;
        }
        return;
    }
    // A style run of deletes and the matching inserts alternate token by token; keep the
    // inserts after the deletes by merging into the run before the last when it fits.
    if runs.len() >= 2 && matches!(kind, RunKind::Style(_)) {
        let n = runs.len();
        if runs[n - 2].kind == kind && matches!(runs[n - 1].kind, RunKind::Style(_)) {
            let r = &mut runs[n - 2];
            if let (Some(r), Some(i)) = (r.a.as_mut(), a) {
                r.1 = i;
            }
            if let (Some(r), Some(j)) = (runs[n - 2].b.as_mut(), b) {
                r.1 = j;
            }
            return;
        }
    }
    runs.push(Run {
        kind,
        a: a.map(|i| (i, i)),
        b: b.map(|j| (j, j)),
    });
}

#[cfg(test)]
mod tests {
    use super::super::segment::words;
    use super::*;

    fn diff(a: &str, b: &str) -> WordDiff {
        diff_words(a, &words(a), b, &words(b))
    }

    fn render(d: &WordDiff) -> String {
        d.changes
            .iter()
            .map(|c| match (c.op, c.minor) {
                (WordOp::Equal, _) => c.text.to_string(),
                (WordOp::Delete, false) => format!("[-{}-]", c.text),
                (WordOp::Insert, false) => format!("{{+{}+}}", c.text),
                (WordOp::Delete, true) => format!("[~{}~]", c.text),
                (WordOp::Insert, true) => format!("{{~{}~}}", c.text),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn reworded_words_are_marked() {
        let d = diff(
            "Kerry will seek to prepare the ground",
            "Kerry is seeking to prepare the ground",
        );
        assert_eq!(
            render(&d),
            "Kerry [-will seek-] {+is seeking+} to prepare the ground"
        );
        assert_eq!(d.carried, 5);
        assert!(!d.only_minor());
    }

    #[test]
    fn quote_style_and_punctuation_are_minor() {
        let d = diff(
            "He said \u{201C}kinks\u{201D} remain",
            "He said \"kinks\" remain,",
        );
        assert!(d.only_minor(), "{}", render(&d));
        assert_eq!(d.carried, 4);
        assert_eq!(
            render(&d),
            "He said [~\u{201C}~] {~\"~} kinks [~\u{201D}~] {~\"~} remain {~,~}"
        );
    }

    #[test]
    fn rewrapped_text_is_equal() {
        let d = diff("a  b\nc", "a b c");
        assert!(d.changes.iter().all(|c| c.op == WordOp::Equal));
        assert_eq!(d.carried, 3);
    }

    #[test]
    fn ranges_point_into_each_side() {
        let (a, b) = ("one two three", "one 2 three");
        let d = diff(a, b);
        let del = d.changes.iter().find(|c| c.op == WordOp::Delete).unwrap();
        assert_eq!(&a[del.a.clone().unwrap()], "two");
        let ins = d.changes.iter().find(|c| c.op == WordOp::Insert).unwrap();
        assert_eq!(&b[ins.b.clone().unwrap()], "2");
    }
}
