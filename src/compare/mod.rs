//! Comparing two versions of a report: sentences aligned as a whole (equal, changed, added,
//! removed, moved, split and merged), word-level changes inside changed pairs, and stats.
//!
//! ```
//! let a = vec!["Kerry will seek talks with Russia on Syria. The talks end on Friday.".to_string()];
//! let b = vec![
//!     "The talks end on Friday.".to_string(),
//!     "Kerry is seeking talks with Russia on Syria.".to_string(),
//! ];
//! let cmp = stet::compare::compare(&a, &b);
//! assert_eq!(cmp.stats.equal, 1);
//! assert_eq!(cmp.stats.changed, 1);
//! assert_eq!(cmp.stats.moved, 1);
//! ```
//!
//! Pure: no terminal code. The CLI (`stet diff`) and the TUI's diff view render a
//! [`Comparison`]:
//! - one row per [`Op`], in B's reading order (removed sentences where they stood in A);
//!   paragraph breaks from [`Sentence::paragraph`] of `cmp.b[op.b_index]` (else `cmp.a[..]`);
//! - each side's text is `op.a` / `op.b`; [`WordChange::a`] / [`WordChange::b`] are byte ranges
//!   into them to highlight (equal and delete runs on A, equal and insert runs on B);
//!   `minor` runs are quote-style or punctuation-only differences, to hide by default;
//! - a moved op's partner: its A sentence stood before row `op.moved_from` in A's order;
//!   [`Comparison::a_op`] / [`Comparison::b_op`] map any sentence to its row, and
//!   [`Comparison::a_chars`] / [`Comparison::b_chars`] a row to code-point ranges of the
//!   canonical texts (what annotations anchor to);
//! - [`Comparison::next_change`] / [`Comparison::prev_change`] step between changes;
//!   swapping sides is `compare(b, a)`.

// The lossy casts are checked workspace-wide (Cargo.toml); here the lossless ones too, written
// with `From`.
#![warn(clippy::cast_lossless)]

pub(crate) mod align;
pub mod collate;
mod hashing;
pub mod segment;
pub(crate) mod words;

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

pub(crate) use align::SentenceAlignment;
pub(crate) use segment::{Segmentation, Sentence, Word};
pub(crate) use words::{WordChange, WordOp};

/// What happened to a sentence (or aligned group of sentences) between A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// The same sentence (identical after normalising quotes, dashes, whitespace and case).
    Equal,
    /// The same sentence reworded (or split into two, or two merged into one).
    Changed,
    /// Only in B.
    Added,
    /// Only in A.
    Removed,
}

/// One row of the comparison: a sentence of one side, or an aligned pair (or group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Op {
    /// What happened.
    pub kind: OpKind,
    /// The pair is out of order relative to the other pairs: it moved.
    pub moved: bool,
    /// A's text (sentences of a group joined by a space), as written.
    pub a: Option<std::sync::Arc<str>>,
    /// B's text, as written.
    pub b: Option<std::sync::Arc<str>>,
    /// Index of A's (first) sentence in [`Comparison::a`].
    pub a_index: Option<usize>,
    /// Index of B's (first) sentence in [`Comparison::b`].
    pub b_index: Option<usize>,
    /// Number of A's sentences in this op when more than one (a merge).
    #[serde(skip_serializing_if = "at_most_one")]
    pub a_count: usize,
    /// Number of B's sentences in this op when more than one (a split).
    #[serde(skip_serializing_if = "at_most_one")]
    pub b_count: usize,
    /// For a moved op: the index in [`Comparison::ops`] before which its A sentence stood in
    /// A's reading order (`ops.len()` when at the end): where the partner is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<usize>,
    /// A changed pair whose only differences are punctuation or quote style.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub minor: bool,
    /// Feature similarity of the pair (1 for equal, 0 for added/removed).
    #[serde(skip)]
    pub similarity: f32,
    /// The word runs: the whole text as one run for identical pairs, inserts for added,
    /// deletes for removed, the word diff otherwise.
    pub words: Vec<WordChange>,
}

fn at_most_one(n: &usize) -> bool {
    *n <= 1
}

impl Op {
    /// A's sentence indices covered by this op.
    pub fn a_sentences(&self) -> std::ops::Range<usize> {
        self.a_index.map_or(0..0, |i| i..i + self.a_count)
    }

    /// B's sentence indices covered by this op.
    pub fn b_sentences(&self) -> std::ops::Range<usize> {
        self.b_index.map_or(0..0, |i| i..i + self.b_count)
    }

    /// True for everything but unmoved equal ops.
    pub(crate) fn is_change(&self) -> bool {
        self.kind != OpKind::Equal || self.moved
    }
}

/// Counts of each kind and the similarity of the two versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Equal ops.
    pub equal: usize,
    /// Changed ops.
    pub changed: usize,
    /// Ops (equal or changed) flagged moved.
    pub moved: usize,
    /// Added sentences.
    pub added: usize,
    /// Removed sentences.
    pub removed: usize,
    /// Share of words carried over: 2 × words kept / (words of A + words of B); 1 for two
    /// empty texts.
    pub similarity: f64,
}

/// The comparison of two versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// Counts and similarity.
    pub stats: Stats,
    /// One op per sentence or aligned group, in B's reading order, with removed sentences
    /// placed where they stood in A.
    pub ops: Vec<Op>,
    /// Limits applied on pathological input (over-long sentences cut), if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// A's sentences (paragraph index and offsets into A's canonical text).
    #[serde(skip)]
    pub a: Vec<Sentence>,
    /// B's sentences.
    #[serde(skip)]
    pub b: Vec<Sentence>,
    /// For each sentence of A, the index of the op showing it.
    #[serde(skip)]
    pub a_op: Vec<usize>,
    /// For each sentence of B, the index of the op showing it.
    #[serde(skip)]
    pub b_op: Vec<usize>,
}

impl Comparison {
    /// Compares two articles given as their cleaned paragraphs (A old, B new).
    pub(crate) fn new(a: &[String], b: &[String]) -> Self {
        compare(a, b)
    }

    #[cfg(test)]
    /// The char (code point) range in A's canonical text (`paragraphs.join("\n\n")`) covered
    /// by op `op`'s A sentences: what an annotation on that side anchors to.
    pub(crate) fn a_chars(&self, op: usize) -> Option<std::ops::Range<usize>> {
        let r = self.ops.get(op)?.a_sentences();
        let (first, last) = (self.a.get(r.start)?, self.a.get(r.end.checked_sub(1)?)?);
        Some(first.chars.start..last.chars.end)
    }

    #[cfg(test)]
    /// The char range in B's canonical text covered by op `op`'s B sentences.
    pub(crate) fn b_chars(&self, op: usize) -> Option<std::ops::Range<usize>> {
        let r = self.ops.get(op)?.b_sentences();
        let (first, last) = (self.b.get(r.start)?, self.b.get(r.end.checked_sub(1)?)?);
        Some(first.chars.start..last.chars.end)
    }
}

/// Compares two articles given as their cleaned paragraphs (A old, B new).
pub fn compare(a: &[String], b: &[String]) -> Comparison {
    // Never stopped, so always a comparison.
    compare_until(a, b, &Control::NONE).unwrap_or_default()
}

/// Where a comparison is, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Cutting both versions into sentences and words.
    Segmenting,
    /// Pairing A's sentences with B's.
    Aligning,
    /// The word differences of the pairs: `done` of B's `total` sentences.
    Words {
        /// B's sentences done.
        done: usize,
        /// B's sentences.
        total: usize,
    },
}

/// What a long comparison asks between its steps: whether to give up, and whom to tell where
/// it is (a background job's cancel flag and progress line).
#[derive(Clone, Copy)]
pub(crate) struct Control<'a> {
    /// True when the comparison is no longer wanted.
    pub stop: &'a (dyn Fn() -> bool + Sync),
    /// Told each step as it begins, and the word differences' progress.
    pub progress: &'a (dyn Fn(Step) + Sync),
}

impl Control<'_> {
    /// Never stops, tells nobody.
    pub(crate) const NONE: Control<'static> = Control {
        stop: &|| false,
        progress: &|_| {},
    };
}

/// Sentences of B between two checks of [`Control::stop`] while the word differences are made.
const WORDS_CHECK_EVERY: usize = 64;

/// [`compare`], giving up (None) as soon as `ctl.stop` says so: it is asked between the steps
/// (segmenting, the steps of the alignment, every [`WORDS_CHECK_EVERY`] sentences of the word
/// differences) and while segmenting, after every [`segment::CHECK_EVERY_BYTES`] of text, so
/// a background comparison that is no longer wanted stops within one step (or that much
/// text of a multi-MB version).
pub(crate) fn compare_until(a: &[String], b: &[String], ctl: &Control<'_>) -> Option<Comparison> {
    (ctl.progress)(Step::Segmenting);
    let (seg_a, pa) = segment_prepared(a, ctl.stop)?;
    if (ctl.stop)() {
        return None;
    }
    // Versions share most paragraphs: B's paragraphs found verbatim in A reuse A's work.
    let (seg_b, fresh, sources) = segment_reusing(b, a, &seg_a, ctl.stop)?;
    let pb: Vec<&align::Prepared> = sources
        .iter()
        .map(|s| match *s {
            Source::A(i) => &pa[i],
            Source::New(j) => &fresh[j],
        })
        .collect();
    let pa: Vec<&align::Prepared> = pa.iter().collect();
    if (ctl.stop)() {
        return None;
    }
    finish(seg_a, seg_b, &pa, &pb, ctl)
}

/// Paragraphs holding more text than this (bytes) are segmented in halves on the worker pool.
const PARALLEL_BYTES: usize = 48 * 1024;

/// Segments `paras` and prepares each sentence for matching; long texts are split in halves
/// (at a paragraph boundary) done in parallel, then joined with their offsets shifted. None
/// when `stop` said so (asked as [`segment::segment_until`] does).
fn segment_prepared(paras: &[String], stop: &(dyn Fn() -> bool + Sync)) -> Option<Segmented> {
    let total: usize = paras.iter().map(String::len).sum();
    if total < PARALLEL_BYTES || paras.len() < 2 {
        return segment_and_prepare(paras, &mut segment::Check::new(stop));
    }
    let mut mid = 1;
    let mut acc = 0;
    for (i, p) in paras.iter().enumerate() {
        acc += p.len();
        if 2 * acc >= total {
            mid = (i + 1).clamp(1, paras.len() - 1);
            break;
        }
    }
    let (first, second) = rayon::join(
        || segment_and_prepare(&paras[..mid], &mut segment::Check::new(stop)),
        || segment_and_prepare(&paras[mid..], &mut segment::Check::new(stop)),
    );
    let ((mut seg, mut prep), (second, prep2)) = (first?, second?);
    let (bytes, chars) = paras[..mid].iter().fold((0, 0), |(b, c), p| {
        (b + p.len() + 2, c + p.chars().count() + 2)
    });
    seg.cut_sentences += second.cut_sentences;
    seg.sentences
        .extend(second.sentences.into_iter().map(|mut s| {
            s.paragraph += mid;
            s.bytes = s.bytes.start + bytes..s.bytes.end + bytes;
            s.chars = s.chars.start + chars..s.chars.end + chars;
            s
        }));
    prep.extend(prep2);
    Some((seg, prep))
}

/// A segmentation and each of its sentences prepared for matching.
type Segmented = (Segmentation, Vec<align::Prepared>);

/// Segments `paras` and prepares each sentence, on this thread; None when `check` says stop
/// (it counts the text segmented, then the text prepared).
pub(crate) fn segment_and_prepare(
    paras: &[String],
    check: &mut segment::Check<'_>,
) -> Option<Segmented> {
    let seg = segment::segment_checked(paras, check)?;
    let prep = prepare_all(&seg.sentences, check)?;
    Some((seg, prep))
}

fn prepare_all(
    sentences: &[Sentence],
    check: &mut segment::Check<'_>,
) -> Option<Vec<align::Prepared>> {
    sentences
        .iter()
        .map(|s| (!check.tick(s.text.len())).then(|| align::prepare(segment::words(&s.text))))
        .collect()
}

/// Byte and char offsets of each paragraph in `paras.join("\n\n")`.
fn paragraph_starts(paras: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(paras.len());
    let (mut byte, mut chr) = (0usize, 0usize);
    for p in paras {
        out.push((byte, chr));
        byte += p.len() + 2;
        chr += p.chars().count() + 2;
    }
    out
}

/// Where the matching data of one of B's sentences is.
#[derive(Clone, Copy)]
enum Source {
    /// The same as A's sentence with this index (its paragraph stands verbatim in A).
    A(usize),
    /// Newly prepared, at this index.
    New(usize),
}

/// Segments `b`, copying the sentences of paragraphs that stand verbatim in `a`; prepares the
/// others. Returns B's segmentation, the new prepared sentences, and each sentence's source.
fn segment_reusing(
    b: &[String],
    a: &[String],
    seg_a: &Segmentation,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<(Segmentation, Vec<align::Prepared>, Vec<Source>)> {
    let a_starts = paragraph_starts(a);
    let b_starts = paragraph_starts(b);
    let mut a_sentences: Vec<std::ops::Range<usize>> = vec![0..0; a.len()];
    for (i, s) in seg_a.sentences.iter().enumerate() {
        let r = &mut a_sentences[s.paragraph];
        if r.start == r.end {
            *r = i..i + 1;
        } else {
            r.end = i + 1;
        }
    }
    let mut by_text: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    by_text.reserve(a.len());
    for (i, p) in a.iter().enumerate().rev() {
        by_text.insert(p.as_str(), i);
    }
    let mut seg = Segmentation::default();
    let mut prepared = Vec::new();
    let mut sources = Vec::new();
    let shift =
        |s: &Sentence, from: (usize, usize), to: (usize, usize), paragraph: usize| Sentence {
            text: s.text.clone(),
            paragraph,
            bytes: s.bytes.start - from.0 + to.0..s.bytes.end - from.0 + to.0,
            chars: s.chars.start - from.1 + to.1..s.chars.end - from.1 + to.1,
            cut: s.cut,
        };
    // The paragraphs not found in A, segmented and prepared in parallel (None inside: found
    // in A; None outside: stopped). Each run of paragraphs on a worker shares one check.
    let mut fresh: Vec<Option<Segmented>> = b
        .par_iter()
        .with_min_len(16)
        .map_init(
            || segment::Check::new(stop),
            |check, p| {
                if by_text.contains_key(p.as_str()) {
                    Some(None)
                } else {
                    segment_and_prepare(std::slice::from_ref(p), check).map(Some)
                }
            },
        )
        .collect::<Option<Vec<_>>>()?;
    for (pi, p) in b.iter().enumerate() {
        if let Some((one, prep)) = fresh[pi].take() {
            for (k, s) in one.sentences.iter().enumerate() {
                seg.sentences.push(shift(s, (0, 0), b_starts[pi], pi));
                sources.push(Source::New(prepared.len() + k));
            }
            prepared.extend(prep);
        } else if let Some(&ai) = by_text.get(p.as_str()) {
            for si in a_sentences[ai].clone() {
                seg.sentences
                    .push(shift(&seg_a.sentences[si], a_starts[ai], b_starts[pi], pi));
                sources.push(Source::A(si));
            }
        }
    }
    seg.cut_sentences = seg.sentences.iter().filter(|s| s.cut).count();
    Some((seg, prepared, sources))
}

fn finish(
    seg_a: Segmentation,
    seg_b: Segmentation,
    pa: &[&align::Prepared],
    pb: &[&align::Prepared],
    ctl: &Control<'_>,
) -> Option<Comparison> {
    (ctl.progress)(Step::Aligning);
    let al = align::align_until(pa, pb, ctl.stop)?;
    if (ctl.stop)() {
        return None;
    }
    let mut notes = Vec::new();
    let cut = seg_a.cut_sentences + seg_b.cut_sentences;
    if cut > 0 {
        notes.push(format!(
            "over-long sentences were cut into {cut} pieces of at most {} words and {} bytes",
            segment::MAX_SENTENCE_WORDS,
            segment::MAX_SENTENCE_BYTES
        ));
    }
    build(seg_a.sentences, seg_b.sentences, pa, pb, &al, notes, ctl)
}

fn joined(sents: &[Sentence], r: std::ops::Range<usize>) -> String {
    let mut s = String::new();
    for (k, x) in sents[r].iter().enumerate() {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(&x.text);
    }
    s
}

/// The text and tokens of a range of sentences (tokens re-read for groups of several).
fn side<'s>(
    sents: &'s [Sentence],
    prep: &[&'s align::Prepared],
    r: std::ops::Range<usize>,
) -> (Arc<str>, Cow<'s, [Word]>) {
    if r.len() == 1 {
        (
            sents[r.start].text.clone(),
            Cow::Borrowed(prep[r.start].words.as_slice()),
        )
    } else {
        let text = joined(sents, r);
        let w = segment::words(&text);
        (text.into(), Cow::Owned(w))
    }
}

fn word_count(p: &align::Prepared) -> usize {
    p.words.iter().filter(|w| w.is_word()).count()
}

fn build(
    a: Vec<Sentence>,
    b: Vec<Sentence>,
    pa: &[&align::Prepared],
    pb: &[&align::Prepared],
    al: &SentenceAlignment,
    notes: Vec<String>,
    ctl: &Control<'_>,
) -> Option<Comparison> {
    let (na, nb) = (a.len(), b.len());
    let mut ops: Vec<Op> = Vec::with_capacity(na + nb);
    let mut a_op = vec![usize::MAX; na];
    let mut b_op = vec![usize::MAX; nb];
    let mut carried = 0usize;

    // The A start of the next in-place group at or after each B position.
    let mut next_anchor = vec![na; nb + 1];
    for j in (0..nb).rev() {
        next_anchor[j] = next_anchor[j + 1];
        if let Some(g) = al.b_group[j] {
            let grp = &al.groups[g];
            if !grp.moved && grp.b.start == j {
                next_anchor[j] = grp.a.start;
            }
        }
    }

    let mut a_cursor = 0usize;
    let flush = |ops: &mut Vec<Op>, a_op: &mut Vec<usize>, a_cursor: &mut usize, upto: usize| {
        while *a_cursor < upto.min(na) {
            let i = *a_cursor;
            if al.a_group[i].is_none() {
                a_op[i] = ops.len();
                ops.push(Op {
                    kind: OpKind::Removed,
                    moved: false,
                    a: Some(a[i].text.clone()),
                    b: None,
                    a_index: Some(i),
                    b_index: None,
                    a_count: 1,
                    b_count: 0,
                    moved_from: None,
                    minor: false,
                    similarity: 0.0,
                    words: vec![WordChange {
                        op: WordOp::Delete,
                        text: a[i].text.clone(),
                        minor: false,
                        a: Some(0..a[i].text.len()),
                        b: None,
                    }],
                });
            }
            *a_cursor += 1;
        }
    };
    flush(&mut ops, &mut a_op, &mut a_cursor, next_anchor[0]);
    for j in 0..nb {
        if j.is_multiple_of(WORDS_CHECK_EVERY) {
            if (ctl.stop)() {
                return None;
            }
            (ctl.progress)(Step::Words { done: j, total: nb });
        }
        match al.b_group[j] {
            Some(g) => {
                let grp = &al.groups[g];
                if grp.b.start != j {
                    continue;
                }
                let (ta, wa) = side(&a, pa, grp.a.clone());
                let (tb, wb) = side(&b, pb, grp.b.clone());
                let diff = if ta == tb {
                    words::WordDiff::same(&tb, &wa)
                } else {
                    words::diff_words(&ta, &wa, &tb, &wb)
                };
                carried += diff.carried;
                let idx = ops.len();
                for i in grp.a.clone() {
                    a_op[i] = idx;
                }
                for y in grp.b.clone() {
                    b_op[y] = idx;
                }
                ops.push(Op {
                    kind: if grp.equal {
                        OpKind::Equal
                    } else {
                        OpKind::Changed
                    },
                    moved: grp.moved,
                    a: Some(ta),
                    b: Some(tb),
                    a_index: Some(grp.a.start),
                    b_index: Some(grp.b.start),
                    a_count: grp.a.len(),
                    b_count: grp.b.len(),
                    moved_from: None,
                    minor: !grp.equal && diff.only_minor(),
                    similarity: grp.similarity,
                    words: diff.changes,
                });
                if !grp.moved {
                    a_cursor = a_cursor.max(grp.a.end);
                    flush(&mut ops, &mut a_op, &mut a_cursor, next_anchor[j + 1]);
                }
            }
            None => {
                b_op[j] = ops.len();
                ops.push(Op {
                    kind: OpKind::Added,
                    moved: false,
                    a: None,
                    b: Some(b[j].text.clone()),
                    a_index: None,
                    b_index: Some(j),
                    a_count: 0,
                    b_count: 1,
                    moved_from: None,
                    minor: false,
                    similarity: 0.0,
                    words: vec![WordChange {
                        op: WordOp::Insert,
                        text: b[j].text.clone(),
                        minor: false,
                        a: None,
                        b: Some(0..b[j].text.len()),
                    }],
                });
            }
        }
    }
    flush(&mut ops, &mut a_op, &mut a_cursor, na);

    // Where each moved op's A side stood: before the op of the next A sentence not moved (the
    // ops of A sentences not moved are in A's order).
    let mut next_in_place = vec![ops.len(); na + 1];
    for i in (0..na).rev() {
        let moved = al.a_group[i].is_some_and(|g| al.groups[g].moved);
        next_in_place[i] = if moved { next_in_place[i + 1] } else { a_op[i] };
    }
    for op in ops.iter_mut().filter(|o| o.moved) {
        if let Some(i) = op.a_index {
            op.moved_from = Some(next_in_place[(i + op.a_count).min(na)]);
        }
    }

    let words_a: usize = pa.iter().map(|p| word_count(p)).sum();
    let words_b: usize = pb.iter().map(|p| word_count(p)).sum();
    // Counts of words, far below 2^52.
    #[allow(clippy::cast_precision_loss)]
    let mut stats = Stats {
        similarity: if words_a + words_b == 0 {
            1.0
        } else {
            2.0 * carried as f64 / (words_a + words_b) as f64
        },
        ..Stats::default()
    };
    for op in &ops {
        match op.kind {
            OpKind::Equal => stats.equal += 1,
            OpKind::Changed => stats.changed += 1,
            OpKind::Added => stats.added += 1,
            OpKind::Removed => stats.removed += 1,
        }
        if op.moved {
            stats.moved += 1;
        }
    }
    Some(Comparison {
        stats,
        ops,
        notes,
        a,
        b,
        a_op,
        b_op,
    })
}

#[cfg(test)]
mod tests;
