//! Selecting words on one side of the diff view, to annotate part of a version rather than
//! the whole change: `h`/`l` pick the side (A, the old version, or B, the new one), `v` starts
//! a selection at the cursor's sentence on that side, `w`/`b` extend it by word, `(`/`)` by
//! sentence, `{`/`}` by paragraph, `o` swaps its ends, `Esc` cancels and `a` annotates it.
//!
//! The side's words come from the comparison's sentences (their code-point ranges in the
//! article's canonical text), so the selection is a span of that text, the same offsets the
//! reading pane annotates. The diff rows show it by splitting the side's pieces at the
//! selection's ends (`SegKind::Selected`): wrapping does not depend on a piece's kind, so only
//! the rows of the sentences whose selection changed are laid out again.

use std::ops::Range;

use super::annotating::Selection;
use super::diff::{DiffItem, DiffState, Piece};
use super::*;
use crate::annotate::{Granularity, Target};
use crate::compare::{Op, Sentence};

/// A side of the diff view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// The old version (left).
    A,
    /// The new version (right).
    #[default]
    B,
}

impl Side {
    /// The side's letter, for messages.
    pub(crate) fn letter(self) -> char {
        match self {
            Side::A => 'A',
            Side::B => 'B',
        }
    }
}

/// A word of one side: where it is in the canonical text and its sentence and paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideWord {
    /// Code points in the canonical text (`Article::body()`).
    pub chars: Range<usize>,
    /// Index of its sentence in the comparison's sentences of this side.
    pub sentence: usize,
    /// Index of its paragraph.
    pub paragraph: usize,
}

/// A selection on one side of the diff view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffSelection {
    /// The side selected on.
    pub side: Side,
    /// The selected words (indices into `words`).
    pub sel: Selection,
    /// The side's words in order.
    pub words: Vec<SideWord>,
    /// Word range of each sentence of the side (indexed like the comparison's sentences).
    pub sentences: Vec<Range<usize>>,
}

impl DiffSelection {
    /// The selected span in code points of the side's canonical text.
    pub(crate) fn chars(&self) -> Range<usize> {
        let w = self.sel.words();
        self.words[w.start].chars.start..self.words[w.end - 1].chars.end
    }

    /// The sentences the selection touches.
    pub fn sentence_span(&self) -> Range<usize> {
        let w = self.sel.words();
        self.words[w.start].sentence..self.words[w.end - 1].sentence + 1
    }
}

/// The words of a side: whitespace-separated runs of each sentence.
pub(crate) fn side_words(sentences: &[Sentence]) -> (Vec<SideWord>, Vec<Range<usize>>) {
    let mut words = Vec::new();
    let mut ranges = Vec::with_capacity(sentences.len());
    for (si, s) in sentences.iter().enumerate() {
        let first = words.len();
        words.extend(
            super::annotating::word_chars(&s.text, s.chars.start)
                .into_iter()
                .map(|chars| SideWord {
                    chars,
                    sentence: si,
                    paragraph: s.paragraph,
                }),
        );
        ranges.push(first..words.len());
    }
    (words, ranges)
}

/// The bytes of an op's side text (its sentences joined by one space) that the code-point
/// span `span` of the canonical text covers, if any.
pub(crate) fn op_bytes_of_span(
    op: &Op,
    side: Side,
    sentences: &[Sentence],
    span: &Range<usize>,
) -> Option<Range<usize>> {
    let range = match side {
        Side::A => op.a_sentences(),
        Side::B => op.b_sentences(),
    };
    let mut offset = 0usize;
    let mut out: Option<Range<usize>> = None;
    for s in sentences.get(range)? {
        let lo = span.start.max(s.chars.start);
        let hi = span.end.min(s.chars.end);
        if lo < hi {
            let byte = |p: usize| {
                s.text
                    .char_indices()
                    .nth(p - s.chars.start)
                    .map_or(s.text.len(), |(b, _)| b)
            };
            let (b0, b1) = (offset + byte(lo), offset + byte(hi));
            out = Some(match out {
                Some(r) => r.start..b1,
                None => b0..b1,
            });
        }
        offset += s.text.len() + 1;
    }
    out
}

/// Splits a side's pieces (each with the byte range of the op's text it shows) at the ends of
/// the bytes `range`, and applies `mark` to the pieces inside it.
pub(crate) fn split_pieces(
    pieces: Vec<Piece>,
    range: &Range<usize>,
    mark: impl Fn(&mut Piece),
) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len() + 2);
    for mut p in pieces {
        let lo = range.start.max(p.src.start);
        let hi = range.end.min(p.src.end);
        if lo >= hi {
            out.push(p);
            continue;
        }
        // A piece decorated with markers ([-old-]) is not its source byte for byte: marked
        // whole.
        let (a, b) = (lo - p.src.start, hi - p.src.start);
        let parts = (p.text.len() == p.src.len())
            .then(|| Some((p.text.get(..a)?, p.text.get(a..b)?, p.text.get(b..)?)))
            .flatten();
        let Some((before, inside, after)) = parts else {
            mark(&mut p);
            out.push(p);
            continue;
        };
        let part = |text: &str, src: Range<usize>| Piece {
            text: text.to_string(),
            kind: p.kind,
            src,
            label: p.label,
        };
        if !before.is_empty() {
            out.push(part(before, p.src.start..lo));
        }
        let mut mid = part(inside, lo..hi);
        mark(&mut mid);
        out.push(mid);
        if !after.is_empty() {
            out.push(part(after, hi..p.src.end));
        }
    }
    out
}

impl App {
    /// Performs a selection action in the diff view; false when it is not one.
    pub(super) fn diff_select_update(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        let Some(d) = self.diff_mut() else {
            return false;
        };
        let width = d.width;
        let msg: Option<String> = match action {
            Action::FocusLeft | Action::FocusRight if d.selection.is_none() => {
                d.side = if action == Action::FocusLeft {
                    Side::A
                } else {
                    Side::B
                };
                Some(format!(
                    "Side {} ({}): v selects there",
                    d.side.letter(),
                    if d.side == Side::A { "old" } else { "new" }
                ))
            }
            Action::FocusLeft | Action::FocusRight => {
                Some("Esc cancels the selection; then h/l choose the side".into())
            }
            Action::SelectStart => Some(start_selection(d)),
            Action::SelectCancel if d.selection.is_some() => {
                let old = d.selection.take();
                d.relayout_selection(old.as_ref(), width);
                Some("Selection cancelled".into())
            }
            Action::WordNext
            | Action::WordPrev
            | Action::WordEnd
            | Action::WordEndPrev
            | Action::SelectWord
            | Action::SentenceNext
            | Action::SentencePrev
            | Action::ParagraphNext
            | Action::ParagraphPrev
            | Action::SelectSwap
                if d.selection.is_some() =>
            {
                let old = d.selection.clone();
                if let Some(s) = d.selection.as_mut() {
                    extend(s, action);
                }
                d.relayout_selection(old.as_ref(), width);
                d.cursor_to_selection();
                None
            }
            Action::SentenceNext | Action::SentencePrev => {
                // Without a selection the sentence keys step the cursor like j/k.
                let step = if action == Action::SentenceNext {
                    Action::MoveDown
                } else {
                    Action::MoveUp
                };
                return self.diff_update(step, fx);
            }
            _ => return false,
        };
        if let Some(m) = msg {
            self.info(&m);
        }
        self.diff_keep_cursor_visible();
        true
    }

    /// `a` with a selection in the diff view: its side's span, one target.
    pub(super) fn diff_annotate_selection(&mut self) -> bool {
        let Some(d) = self.diff() else {
            return false;
        };
        let Some(sel) = &d.selection else {
            return false;
        };
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            self.error(&msg);
            return true;
        }
        let version = match sel.side {
            Side::A => d.a,
            Side::B => d.b,
        };
        let Some(article) = self.lib.article(d.story, version) else {
            return true;
        };
        let story = &self.lib.stories[d.story].id;
        match Target::from_char_span(
            &article.id,
            story,
            &article.body(),
            sel.chars(),
            Granularity::Span,
        )
        .map(|t| t.keyed(&article.key))
        {
            Ok(t) => {
                self.ann.target = Some(vec![t]);
                self.layers.push(View::LabelPick);
            }
            Err(e) => self.error(&format!("Cannot annotate this: {e}")),
        }
        true
    }
}

/// Starts a selection at the cursor's sentence on the chosen side (the other side when the
/// cursor's sentence has none there); returns the message to show.
fn start_selection(d: &mut DiffState) -> String {
    let op = match d.items.get(d.cursor) {
        Some(DiffItem::Op(i)) => &d.cmp.ops[*i],
        _ => return "Move to a sentence (not a moved sentence's old place) to select".into(),
    };
    let side = match (
        d.side,
        op.a_sentences().is_empty(),
        op.b_sentences().is_empty(),
    ) {
        (Side::A, true, false) => Side::B,
        (Side::B, false, true) => Side::A,
        (s, _, _) => s,
    };
    let range = match side {
        Side::A => op.a_sentences(),
        Side::B => op.b_sentences(),
    };
    let sentences = match side {
        Side::A => &d.cmp.a,
        Side::B => &d.cmp.b,
    };
    let (words, ranges) = side_words(sentences);
    let Some(first) = ranges.get(range.start).map(|r| r.start) else {
        return "No words to select here".into();
    };
    if first >= words.len() {
        return "No words to select here".into();
    }
    // One word, the first of the sentence: the motions take it from there.
    let old = d.selection.take();
    d.side = side;
    d.selection = Some(DiffSelection {
        side,
        sel: Selection::at(first),
        words,
        sentences: ranges,
    });
    let width = d.width;
    d.relayout_selection(old.as_ref(), width);
    format!(
        "Selecting in {}: w/e/b word, f/t char, * this word, (/) sentence, {{/}} paragraph, o other end, a annotate",
        side.letter()
    )
}

/// Moves the selection's head for `action`.
fn extend(s: &mut DiffSelection, action: Action) {
    let nw = s.words.len();
    let sel = &mut s.sel;
    if super::annotating::word_motion(sel, action, nw) {
        return;
    }
    match action {
        Action::SelectSwap => std::mem::swap(&mut sel.anchor, &mut sel.head),
        Action::SentenceNext | Action::SentencePrev => {
            let si = s.words[sel.head].sentence;
            let r = s.sentences[si].clone();
            let next_nonempty = |from: usize, fwd: bool| -> Option<Range<usize>> {
                if fwd {
                    s.sentences[from..].iter().find(|r| !r.is_empty()).cloned()
                } else {
                    s.sentences[..from]
                        .iter()
                        .rev()
                        .find(|r| !r.is_empty())
                        .cloned()
                }
            };
            sel.head = if action == Action::SentenceNext {
                if sel.head + 1 < r.end {
                    r.end - 1
                } else {
                    next_nonempty(si + 1, true).map_or(nw - 1, |r| r.end - 1)
                }
            } else if sel.head > r.start {
                r.start
            } else {
                next_nonempty(si, false).map_or(0, |r| r.start)
            };
        }
        Action::ParagraphNext => {
            let p = s.words[sel.head].paragraph;
            // To the end of this paragraph, else of the next one.
            let end_of = |p: usize| s.words.iter().rposition(|w| w.paragraph == p);
            let here = end_of(p).unwrap_or(nw - 1);
            sel.head = if sel.head < here {
                here
            } else {
                s.words
                    .get(here + 1)
                    .and_then(|w| end_of(w.paragraph))
                    .unwrap_or(nw - 1)
            };
        }
        Action::ParagraphPrev => {
            let p = s.words[sel.head].paragraph;
            let start_of = |p: usize| s.words.iter().position(|w| w.paragraph == p);
            let here = start_of(p).unwrap_or(0);
            sel.head = if sel.head > here {
                here
            } else if here > 0 {
                start_of(s.words[here - 1].paragraph).unwrap_or(0)
            } else {
                0
            };
        }
        _ => {}
    }
}

impl DiffState {
    /// Lays out again the rows of the sentences the selection covered (`old`) or covers now.
    pub(super) fn relayout_selection(&mut self, old: Option<&DiffSelection>, width: usize) {
        let mut ops: Vec<usize> = Vec::new();
        for s in [old, self.selection.as_ref()].into_iter().flatten() {
            let sentence_op = match s.side {
                Side::A => &self.cmp.a_op,
                Side::B => &self.cmp.b_op,
            };
            for si in s.sentence_span() {
                if let Some(&op) = sentence_op.get(si)
                    && !ops.contains(&op)
                {
                    ops.push(op);
                }
            }
        }
        if ops.len() > self.cmp.ops.len() / 2 {
            // Most of the article: lay it all out.
            let cur = self.cursor;
            self.layout(width);
            self.cursor = cur;
            return;
        }
        for op in ops {
            self.relayout_op(op, width);
        }
    }

    /// Moves the cursor to the sentence of the selection's moving end.
    fn cursor_to_selection(&mut self) {
        let Some(s) = &self.selection else {
            return;
        };
        let si = s.words[s.sel.head].sentence;
        let sentence_op = match s.side {
            Side::A => &self.cmp.a_op,
            Side::B => &self.cmp.b_op,
        };
        if let Some(&op) = sentence_op.get(si)
            && let Some(item) = self.items.iter().position(|&x| x == DiffItem::Op(op))
        {
            self.cursor = item;
        }
    }
}

impl App {
    /// A find motion (`f`/`t`/`F`/`T` then `c`) on the diff view's selection; false when there
    /// is none.
    pub(super) fn diff_find(&mut self, action: Action, c: char, count: usize) -> bool {
        let Some(d) = self.diff() else {
            return false;
        };
        let Some(sel) = &d.selection else {
            return false;
        };
        let version = match sel.side {
            Side::A => d.a,
            Side::B => d.b,
        };
        let Some(article) = self.lib.article(d.story, version) else {
            return true;
        };
        let text: Vec<char> = article.body().chars().collect();
        let words: Vec<Range<usize>> = sel.words.iter().map(|w| w.chars.clone()).collect();
        let found = super::annotating::find_head(&text, &words, sel.sel.head, action, c, count);
        let Some(head) = found else {
            self.info(&format!("No {c:?} further on this side"));
            return true;
        };
        let Some(d) = self.diff_mut() else {
            return true;
        };
        let width = d.width;
        let old = d.selection.clone();
        if let Some(s) = d.selection.as_mut() {
            s.sel.head = head;
        }
        d.relayout_selection(old.as_ref(), width);
        d.cursor_to_selection();
        self.diff_keep_cursor_visible();
        true
    }
}
