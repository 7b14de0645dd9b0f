//! The diff view's state: two versions of a story compared (`crate::compare`) and laid out as
//! aligned rows, side by side or unified, with the cursor, the scroll and the view switches.
//!
//! Rows are plain data (styled text runs with a [`SegKind`]) so the state machine can page and
//! jump with the geometry the UI draws; `ui::diff_view` only paints them. Moved sentences show
//! at their place in B, with a one-row note pointing to where they stood in A ("ghost" rows),
//! and `Enter` jumps between the two.

use std::sync::Arc;

use unicode_width::UnicodeWidthChar;

pub use super::diff_select::{DiffSelection, Side};
use super::reader::safe_line;
use super::*;
use crate::compare::{Comparison, Op, OpKind, WordOp};

/// Versions longer than this (bytes of both together) are compared on a worker thread.
pub const COMPARE_INLINE_BYTES: usize = 200_000;

/// A comparison to compute on a worker: the key of the diff cache and the two bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareJob {
    /// (story, version A, version B).
    pub key: (usize, usize, usize),
    /// A's paragraphs.
    pub a: Vec<String>,
    /// B's paragraphs.
    pub b: Vec<String>,
}

impl CompareJob {
    /// Computes the comparison.
    pub fn run(&self) -> Comparison {
        Comparison::new(&self.a, &self.b)
    }
}

/// Articles longer than this (bytes of both versions together) are not compared in the UI.
pub const MAX_DIFF_BYTES: usize = 4_000_000;

/// Annotated spans of sides A and B, and the annotations' generation they were read at.
pub type AnnotatedSpans = (
    [Vec<(std::ops::Range<usize>, crate::annotate::LabelId)>; 2],
    u64,
);

/// Comparisons kept per pair of versions.
const CACHE_LEN: usize = 8;

/// What a run of text in a diff row is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegKind {
    /// Text of an equal sentence (dimmed).
    Same,
    /// Unchanged words of a changed sentence.
    Plain,
    /// Words only in A (removed).
    Delete,
    /// Words only in B (added).
    Insert,
    /// A punctuation- or quote-style-only change (shown with `w`).
    Minor,
    /// A whole removed sentence.
    Removed,
    /// A whole added sentence.
    Added,
    /// A note of stet's ("↕ moved from line 12").
    Note,
    /// Words selected for an annotation.
    Selected,
}

/// A run of terminal-safe text with one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffSeg {
    /// The text (sanitized).
    pub text: String,
    /// Its kind.
    pub kind: SegKind,
    /// The label of an annotation covering it, if any.
    pub label: Option<crate::annotate::LabelId>,
}

/// A run of one side's text before wrapping: its kind, the bytes of the op's side text it
/// shows, and the annotation covering it (index + 1 into [`DiffState::annotated`]'s labels,
/// 0 for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text as written (sanitized when wrapped).
    pub text: String,
    /// Its kind.
    pub kind: SegKind,
    /// Bytes of the op's side text.
    pub src: std::ops::Range<usize>,
    /// The annotation's label slot (0: none).
    pub label: u8,
}

/// What a row shows, for its gutter mark and the change map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// An equal sentence.
    Equal,
    /// A changed sentence.
    Changed,
    /// An added sentence.
    Added,
    /// A removed sentence.
    Removed,
    /// A moved sentence (or where it stood).
    Moved,
    /// Blank row between paragraphs.
    Blank,
}

impl RowKind {
    /// The gutter mark, readable without colour.
    pub fn mark(self) -> char {
        match self {
            RowKind::Equal | RowKind::Blank => ' ',
            RowKind::Changed => '~',
            RowKind::Added => '+',
            RowKind::Removed => '-',
            RowKind::Moved => '↕',
        }
    }
}

/// One screen row of the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    /// Index of the item (in [`DiffState::items`]) the row belongs to.
    pub item: usize,
    /// What the row shows.
    pub kind: RowKind,
    /// Left column (the only one when unified).
    pub left: Vec<DiffSeg>,
    /// Right column (empty when unified).
    pub right: Vec<DiffSeg>,
}

/// A unit the cursor steps through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffItem {
    /// An op of the comparison.
    Op(usize),
    /// Where the moved op (index) stood in A.
    Ghost(usize),
}

/// The diff view of two versions of a story.
#[derive(Debug, Clone)]
pub struct DiffState {
    /// Index of the story.
    pub story: usize,
    /// Version shown as A (old, left).
    pub a: usize,
    /// Version shown as B (new, right).
    pub b: usize,
    /// The comparison of A with B.
    pub cmp: Arc<Comparison>,
    /// One column instead of two.
    pub unified: bool,
    /// Show punctuation- and quote-only changes.
    pub show_minor: bool,
    /// Bracket changed words (`[-old-]{+new+}`): on when the theme has no colour.
    pub markers: bool,
    /// Cursor units in reading order.
    pub items: Vec<DiffItem>,
    /// First row of each item.
    pub item_row: Vec<usize>,
    /// The rows, for the width in `width`.
    pub rows: Vec<DiffRow>,
    /// Width the rows were laid out for.
    pub width: usize,
    /// The item under the cursor.
    pub cursor: usize,
    /// First row shown.
    pub scroll: usize,
    /// The side `v` selects on (`h`/`l` choose).
    pub side: Side,
    /// The words selected on one side, if any.
    pub selection: Option<DiffSelection>,
    /// Annotated spans of each side (A, B) in code points of its canonical text, with the
    /// label, and the annotations' generation they were read at.
    pub annotated: AnnotatedSpans,
}

/// Comparisons computed so far, per (story, A version, B version).
#[derive(Debug, Clone, Default)]
pub struct DiffCache {
    entries: Vec<((usize, usize, usize), Arc<Comparison>)>,
}

impl DiffCache {
    /// The comparison for `key`, computing it with `make` when it is not kept.
    pub fn get_or_insert(
        &mut self,
        key: (usize, usize, usize),
        make: impl FnOnce() -> Comparison,
    ) -> Arc<Comparison> {
        if let Some(pos) = self.entries.iter().position(|(k, _)| *k == key) {
            let e = self.entries.remove(pos);
            let cmp = e.1.clone();
            self.entries.push(e);
            return cmp;
        }
        let cmp = Arc::new(make());
        if self.entries.len() >= CACHE_LEN {
            self.entries.remove(0);
        }
        self.entries.push((key, cmp.clone()));
        cmp
    }

    /// Whether the comparison for `key` is kept.
    pub fn contains(&self, key: (usize, usize, usize)) -> bool {
        self.entries.iter().any(|(k, _)| *k == key)
    }

    /// Keeps a comparison computed elsewhere (on a worker).
    pub fn insert(&mut self, key: (usize, usize, usize), cmp: Comparison) {
        self.get_or_insert(key, || cmp);
    }

    /// Number of comparisons kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl DiffState {
    /// Whether the item is a change the change keys stop at.
    pub fn is_change(&self, item: usize) -> bool {
        match self.items.get(item) {
            Some(DiffItem::Op(i)) => {
                let op = &self.cmp.ops[*i];
                op.is_change() && (self.show_minor || !op.minor || op.moved)
            }
            _ => false,
        }
    }

    /// The item of the partner of a moved sentence (its old place, or back).
    pub fn partner(&self, item: usize) -> Option<usize> {
        match *self.items.get(item)? {
            DiffItem::Op(i) if self.cmp.ops[i].moved => {
                self.items.iter().position(|&x| x == DiffItem::Ghost(i))
            }
            DiffItem::Ghost(i) => self.items.iter().position(|&x| x == DiffItem::Op(i)),
            _ => None,
        }
    }

    /// Rows of the item `item`.
    pub fn item_rows(&self, item: usize) -> std::ops::Range<usize> {
        let start = self.item_row.get(item).copied().unwrap_or(self.rows.len());
        let end = self
            .item_row
            .get(item + 1)
            .copied()
            .unwrap_or(self.rows.len());
        start..end
    }

    /// Number of changes the change keys stop at.
    pub fn change_count(&self) -> usize {
        (0..self.items.len()).filter(|&i| self.is_change(i)).count()
    }

    /// The item shown on row `row`.
    pub fn item_at_row(&self, row: usize) -> usize {
        self.rows
            .get(row)
            .map_or(self.items.len().saturating_sub(1), |r| r.item)
    }

    /// Lays the rows out for a screen `width` columns wide (less the gutter and change map).
    pub fn layout(&mut self, width: usize) {
        self.width = width;
        self.items = items_of(&self.cmp);
        let mut rows: Vec<DiffRow> = Vec::new();
        let mut item_row = Vec::with_capacity(self.items.len());
        let (col, unified) = if self.unified {
            (width.max(10), true)
        } else {
            (side_width(width), false)
        };
        let mut last_para: Option<usize> = None;
        for (k, item) in self.items.iter().enumerate() {
            // A blank row where B (or A, for removed sentences) starts a new paragraph.
            let para = match *item {
                DiffItem::Op(i) => {
                    let op = &self.cmp.ops[i];
                    op.b_index
                        .map(|j| self.cmp.b[j].paragraph)
                        .or_else(|| op.a_index.map(|j| self.cmp.a[j].paragraph + 1_000_000))
                }
                DiffItem::Ghost(_) => None,
            };
            if let (Some(p), Some(l)) = (para, last_para)
                && p != l
            {
                rows.push(DiffRow {
                    item: k.saturating_sub(1),
                    kind: RowKind::Blank,
                    left: Vec::new(),
                    right: Vec::new(),
                });
            }
            if para.is_some() {
                last_para = para;
            }
            item_row.push(rows.len());
            match *item {
                DiffItem::Ghost(_) => rows.push(DiffRow {
                    item: k,
                    kind: RowKind::Moved,
                    left: Vec::new(),
                    right: Vec::new(),
                }),
                DiffItem::Op(i) => rows.extend(self.op_rows(k, i, col)),
            }
        }
        // The notes of moved sentences name their partner's line.
        for (k, item) in self.items.iter().enumerate() {
            let (text, partner) = match *item {
                DiffItem::Ghost(i) => {
                    let to = self.items.iter().position(|&x| x == DiffItem::Op(i));
                    ("↕ moved from here to line", to)
                }
                DiffItem::Op(i) if self.cmp.ops[i].moved => {
                    let from = self.items.iter().position(|&x| x == DiffItem::Ghost(i));
                    ("↕ moved here from line", from)
                }
                _ => continue,
            };
            let line = partner.and_then(|p| item_row.get(p)).map_or(0, |r| r + 1);
            let seg = vec![DiffSeg {
                text: format!("{text} {line} (Enter jumps)"),
                kind: SegKind::Note,
                label: None,
            }];
            let r = &mut rows[item_row[k]];
            match (*item, unified) {
                (DiffItem::Ghost(_), false) => r.left = seg,
                (_, false) => r.right = seg,
                (_, true) => r.left = seg,
            }
        }
        self.rows = rows;
        self.item_row = item_row;
        self.cursor = self.cursor.min(self.items.len().saturating_sub(1));
    }

    /// The rows of the op `i` (item `k`) with `col`-wide columns: the note row of a moved
    /// sentence (filled in by `layout`), then its text side by side or A over B.
    fn op_rows(&self, k: usize, i: usize, col: usize) -> Vec<DiffRow> {
        let op = &self.cmp.ops[i];
        let kind = row_kind(op, self.show_minor);
        let mut rows = Vec::new();
        if op.moved {
            rows.push(DiffRow {
                item: k,
                kind: RowKind::Moved,
                left: Vec::new(),
                right: Vec::new(),
            });
        }
        let a = self.side_lines(i, Side::A, col);
        let b = self.side_lines(i, Side::B, col);
        if self.unified {
            let mut push = |lines: Vec<Vec<DiffSeg>>, kind: RowKind| {
                for line in lines {
                    rows.push(DiffRow {
                        item: k,
                        kind,
                        left: line,
                        right: Vec::new(),
                    });
                }
            };
            match kind {
                RowKind::Changed => {
                    push(a, RowKind::Removed);
                    push(b, RowKind::Added);
                }
                RowKind::Removed => push(a, kind),
                _ => push(b, kind),
            }
        } else {
            let n = a.len().max(b.len()).max(1);
            let mut la = a.into_iter();
            let mut lb = b.into_iter();
            for _ in 0..n {
                rows.push(DiffRow {
                    item: k,
                    kind,
                    left: la.next().unwrap_or_default(),
                    right: lb.next().unwrap_or_default(),
                });
            }
        }
        rows
    }

    /// One side of the op `i` wrapped `col` wide (the selection marked); no lines when the
    /// op has no text on that side.
    fn side_lines(&self, i: usize, side: Side, col: usize) -> Vec<Vec<DiffSeg>> {
        let op = &self.cmp.ops[i];
        let has = match side {
            Side::A => op.a.is_some(),
            Side::B => op.b.is_some(),
        };
        if !has {
            return Vec::new();
        }
        let mut pieces = side_pieces(op, side == Side::A, self.show_minor, self.markers);
        let sentences = match side {
            Side::A => &self.cmp.a,
            Side::B => &self.cmp.b,
        };
        let sents = match side {
            Side::A => op.a_sentences(),
            Side::B => op.b_sentences(),
        };
        let (first, last) = match (sentences.get(sents.start), sents.end.checked_sub(1)) {
            (Some(f), Some(l)) => (f.chars.start, sentences.get(l).map_or(0, |s| s.chars.end)),
            _ => (0, 0),
        };
        // Annotated spans, then the selection over them.
        let spans = &self.annotated.0[side as usize];
        let mut labels: Vec<crate::annotate::LabelId> = Vec::new();
        for (span, label) in spans {
            if span.start >= last || span.end <= first {
                continue;
            }
            let slot = match labels.iter().position(|l| l == label) {
                Some(i) => i + 1,
                None => {
                    labels.push(label.clone());
                    labels.len()
                }
            };
            let Ok(slot) = u8::try_from(slot) else {
                continue;
            };
            if let Some(bytes) = super::diff_select::op_bytes_of_span(op, side, sentences, span) {
                pieces = super::diff_select::split_pieces(pieces, &bytes, |p| p.label = slot);
            }
        }
        if let Some(sel) = self.selection.as_ref().filter(|s| s.side == side)
            && let Some(bytes) =
                super::diff_select::op_bytes_of_span(op, side, sentences, &sel.chars())
        {
            pieces =
                super::diff_select::split_pieces(pieces, &bytes, |p| p.kind = SegKind::Selected);
        }
        wrap_marked(&pieces, &labels, col)
    }

    /// Lays out again the rows of op `i` in place (their number does not change: wrapping
    /// depends on the text alone); the whole view when it would.
    pub(super) fn relayout_op(&mut self, i: usize, width: usize) {
        let Some(k) = self.items.iter().position(|&x| x == DiffItem::Op(i)) else {
            return;
        };
        let col = if self.unified {
            width.max(10)
        } else {
            side_width(width)
        };
        let fresh = self.op_rows(k, i, col);
        let range = self.item_rows(k);
        // The op's own rows are the last of its item (a blank row may precede the next item).
        let own: Vec<usize> = range.filter(|&r| self.rows[r].item == k).collect();
        if own.len() != fresh.len() {
            let cur = self.cursor;
            self.layout(width);
            self.cursor = cur;
            return;
        }
        let skip = usize::from(self.cmp.ops[i].moved);
        for (r, row) in own.into_iter().zip(fresh).skip(skip) {
            self.rows[r].left = row.left;
            self.rows[r].right = row.right;
        }
    }
}

/// Width of each column side by side in `width` columns (two columns and a 3-column rule).
pub fn side_width(width: usize) -> usize {
    (width.saturating_sub(3) / 2).max(8)
}

fn row_kind(op: &Op, show_minor: bool) -> RowKind {
    match op.kind {
        OpKind::Equal => RowKind::Equal,
        OpKind::Changed if op.minor && !show_minor => RowKind::Equal,
        OpKind::Changed => RowKind::Changed,
        OpKind::Added => RowKind::Added,
        OpKind::Removed => RowKind::Removed,
    }
}

/// The items in reading order: every op, with a ghost before the op a moved one stood before.
fn items_of(cmp: &Comparison) -> Vec<DiffItem> {
    let n = cmp.ops.len();
    let mut before: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    for (i, op) in cmp.ops.iter().enumerate() {
        if op.moved
            && let Some(at) = op.moved_from
        {
            before[at.min(n)].push(i);
        }
    }
    let mut items = Vec::with_capacity(n + 4);
    for (at, ghosts) in before.iter().enumerate() {
        items.extend(ghosts.iter().map(|&g| DiffItem::Ghost(g)));
        if at < n {
            items.push(DiffItem::Op(at));
        }
    }
    items
}

/// One side of an op as styled pieces (with the gaps between runs as written).
/// Each piece carries the byte range of the op's side text it shows.
fn side_pieces(op: &Op, a_side: bool, show_minor: bool, markers: bool) -> Vec<Piece> {
    let text = if a_side {
        op.a.as_deref()
    } else {
        op.b.as_deref()
    };
    let Some(text) = text else {
        return Vec::new();
    };
    let whole = match op.kind {
        OpKind::Equal => Some(SegKind::Same),
        OpKind::Added => Some(SegKind::Added),
        OpKind::Removed => Some(SegKind::Removed),
        OpKind::Changed if op.minor && !show_minor => Some(SegKind::Same),
        OpKind::Changed => None,
    };
    if let Some(kind) = whole {
        return vec![piece(text.to_string(), kind, 0..text.len())];
    }
    let mut out = Vec::new();
    let mut at = 0usize;
    for w in &op.words {
        let (range, kind) = match (w.op, a_side) {
            (WordOp::Insert, true) | (WordOp::Delete, false) => continue,
            (WordOp::Equal, true) => (w.a.clone(), SegKind::Plain),
            (WordOp::Equal, false) => (w.b.clone(), SegKind::Plain),
            (WordOp::Delete, true) => (w.a.clone(), SegKind::Delete),
            (WordOp::Insert, false) => (w.b.clone(), SegKind::Insert),
        };
        let kind = if w.minor && kind != SegKind::Plain {
            if show_minor {
                SegKind::Minor
            } else {
                SegKind::Plain
            }
        } else {
            kind
        };
        let Some(r) = range.filter(|r| r.start >= at && r.end <= text.len()) else {
            continue;
        };
        let (Some(gap), Some(run)) = (text.get(at..r.start), text.get(r.clone())) else {
            continue;
        };
        if !gap.is_empty() {
            out.push(piece(gap.to_string(), SegKind::Plain, at..r.start));
        }
        let run = if markers && matches!(kind, SegKind::Delete | SegKind::Insert | SegKind::Minor) {
            let (open, close) = match kind {
                SegKind::Delete => ("[-", "-]"),
                SegKind::Insert => ("{+", "+}"),
                _ => ("{~", "~}"),
            };
            format!("{open}{run}{close}")
        } else {
            run.to_string()
        };
        out.push(piece(run, kind, r.clone()));
        at = r.end;
    }
    if let Some(rest) = text.get(at..)
        && !rest.is_empty()
    {
        out.push(piece(rest.to_string(), SegKind::Plain, at..text.len()));
    }
    out
}

fn piece(text: String, kind: SegKind, src: std::ops::Range<usize>) -> Piece {
    Piece {
        text,
        kind,
        src,
        label: 0,
    }
}

/// Wraps styled pieces into lines of at most `width` columns, breaking at spaces; words wider
/// than a line are broken between characters. Every piece is made terminal-safe first.
pub fn wrap_pieces(pieces: &[(String, SegKind)], width: usize) -> Vec<Vec<DiffSeg>> {
    let pieces: Vec<Piece> = pieces
        .iter()
        .map(|(t, k)| piece(t.clone(), *k, 0..0))
        .collect();
    wrap_marked(&pieces, &[], width)
}

/// [`wrap_pieces`] of pieces that may carry an annotation's label (slot `i + 1` of `labels`).
pub fn wrap_marked(
    pieces: &[Piece],
    labels: &[crate::annotate::LabelId],
    width: usize,
) -> Vec<Vec<DiffSeg>> {
    let width = width.max(1);
    // Characters with their kind and label slot; runs of whitespace become one space.
    type Styled = (SegKind, u8);
    let mut chars: Vec<(char, Styled)> = Vec::new();
    for p in pieces {
        let st = (p.kind, p.label);
        for c in safe_line(&p.text).chars() {
            if c.is_whitespace() {
                if chars.last().is_some_and(|l| l.0 != ' ') {
                    chars.push((' ', st));
                }
            } else {
                chars.push((c, st));
            }
        }
    }
    while chars.last().is_some_and(|l| l.0 == ' ') {
        chars.pop();
    }
    let lines =
        super::reader::wrap_cells(&chars, width, |c| c.0 == ' ', |c| c.0.width().unwrap_or(0));
    lines
        .into_iter()
        .map(|l| {
            let mut segs: Vec<DiffSeg> = Vec::new();
            let mut last: Option<Styled> = None;
            for (c, st) in l {
                match segs.last_mut() {
                    Some(s) if last == Some(st) => s.text.push(c),
                    _ => {
                        segs.push(DiffSeg {
                            text: c.to_string(),
                            kind: st.0,
                            label: (st.1 > 0)
                                .then(|| labels.get(usize::from(st.1) - 1).cloned())
                                .flatten(),
                        });
                        last = Some(st);
                    }
                }
            }
            segs
        })
        .collect()
}

impl App {
    /// Columns of the diff body less the gutter (3) and the change map with a space before it.
    pub fn diff_text_width(&self) -> usize {
        (self.size.0 as usize).saturating_sub(5).max(20)
    }

    /// Rows of the diff body (the screen less two header rows and the status bar).
    pub fn diff_height(&self) -> usize {
        (self.size.1 as usize).saturating_sub(3).max(1)
    }

    /// Opens the diff of two versions of the selected story: the two marked in the versions
    /// pane, else the marked one and the shown one, else the earliest and the latest.
    pub(super) fn open_diff(&mut self) {
        let Some(story) = self.selected_story() else {
            return;
        };
        let n = self.lib.stories[story].versions.len();
        if n < 2 {
            self.error("This story has one version: nothing to compare");
            return;
        }
        let marks: Vec<usize> = if self.marks_story == Some(story) {
            self.version_marks
                .iter()
                .copied()
                .filter(|&v| v < n)
                .collect()
        } else {
            Vec::new()
        };
        let (a, b) = match marks.as_slice() {
            [x, y, ..] => (*x.min(y), *x.max(y)),
            [x] if *x != self.version.selected => (
                (*x).min(self.version.selected),
                (*x).max(self.version.selected),
            ),
            _ => (0, n - 1),
        };
        self.show_diff(
            story,
            a,
            b,
            (self.size.0 as usize) < layout::WIDE_MIN_WIDTH as usize,
        );
    }

    fn show_diff(&mut self, story: usize, a: usize, b: usize, unified: bool) {
        let (Some(art_a), Some(art_b)) = (self.lib.article(story, a), self.lib.article(story, b))
        else {
            return;
        };
        let bytes: usize = art_a
            .paragraphs
            .iter()
            .chain(&art_b.paragraphs)
            .map(String::len)
            .sum();
        if bytes > MAX_DIFF_BYTES {
            self.error(&format!(
                "These versions are too long to compare here ({} MB); use stet diff",
                bytes / 1_000_000
            ));
            return;
        }
        if bytes > COMPARE_INLINE_BYTES && !self.diff_cache.contains((story, a, b)) {
            // Long versions are compared on a worker; the view opens when it is done.
            let job = CompareJob {
                key: (story, a, b),
                a: art_a.paragraphs.clone(),
                b: art_b.paragraphs.clone(),
            };
            self.comparing = Some((story, a, b, unified));
            self.info("Comparing the two versions…");
            self.pending_effects.push(Effect::Compare(Box::new(job)));
            return;
        }
        let cmp = self.diff_cache.get_or_insert((story, a, b), || {
            Comparison::new(&art_a.paragraphs, &art_b.paragraphs)
        });
        let markers = self.theme == self.theme.monochrome();
        let show_minor = self.diff.as_ref().is_some_and(|d| d.show_minor);
        let mut d = DiffState {
            story,
            a,
            b,
            cmp,
            unified,
            show_minor,
            markers,
            items: Vec::new(),
            item_row: Vec::new(),
            rows: Vec::new(),
            width: 0,
            cursor: 0,
            scroll: 0,
            side: Side::B,
            selection: None,
            annotated: Default::default(),
        };
        d.annotated = self.diff_annotated_spans(&d);
        d.layout(self.diff_text_width());
        let changes = d.change_count();
        self.diff = Some(d);
        self.info(&format!(
            "Comparing version {} with version {}: {changes} change{}",
            a + 1,
            b + 1,
            if changes == 1 { "" } else { "s" }
        ));
    }

    /// A comparison from the worker: kept, and shown if it is still the one asked for.
    pub(super) fn compared(&mut self, key: (usize, usize, usize), cmp: Comparison) {
        self.diff_cache.insert(key, cmp);
        let Some((story, a, b, unified)) = self.comparing else {
            return;
        };
        if (story, a, b) != key {
            return;
        }
        self.comparing = None;
        if self.mode == Mode::Normal && self.selected_story() == Some(story) {
            self.show_diff(story, a, b, unified);
        }
    }

    /// Lays the diff out again when the width changed.
    pub(super) fn relayout_diff(&mut self) {
        let width = self.diff_text_width();
        let h = self.diff_height();
        if let Some(d) = self.diff.as_mut() {
            if d.width != width {
                let top = d.item_at_row(d.scroll);
                d.layout(width);
                d.scroll = d.item_row.get(top).copied().unwrap_or(0);
            }
            d.scroll = d.scroll.min(d.rows.len().saturating_sub(h));
        }
    }

    /// Performs `action` in the diff view; false when the diff view does not use it.
    pub(super) fn diff_update(&mut self, action: Action) -> bool {
        let h = self.diff_height();
        let width = self.diff_text_width();
        let Some(d) = self.diff.as_mut() else {
            return false;
        };
        let max_scroll = d.rows.len().saturating_sub(h);
        let last = d.items.len().saturating_sub(1);
        match action {
            Action::Back => {
                self.diff = None;
                self.info("Diff closed");
                return true;
            }
            Action::MoveDown => d.cursor = (d.cursor + 1).min(last),
            Action::MoveUp => d.cursor = d.cursor.saturating_sub(1),
            Action::PageDown | Action::PageUp | Action::HalfPageDown | Action::HalfPageUp => {
                let step = match action {
                    Action::PageDown | Action::PageUp => h.saturating_sub(2).max(1),
                    _ => (h / 2).max(1),
                };
                d.scroll = if matches!(action, Action::PageDown | Action::HalfPageDown) {
                    (d.scroll + step).min(max_scroll)
                } else {
                    d.scroll.saturating_sub(step)
                };
                let top = d.item_at_row(d.scroll);
                // The cursor stays on screen: the first item starting in the window.
                d.cursor = (top..d.items.len())
                    .find(|&i| d.item_row[i] >= d.scroll)
                    .filter(|&i| d.item_row[i] < d.scroll + h)
                    .unwrap_or(top);
                return true;
            }
            Action::First => d.cursor = 0,
            Action::Last => d.cursor = last,
            Action::NextChange | Action::PrevChange | Action::SearchNext | Action::SearchPrev => {
                let forward = matches!(action, Action::NextChange | Action::SearchNext);
                let found = if forward {
                    (d.cursor + 1..d.items.len()).find(|&i| d.is_change(i))
                } else {
                    (0..d.cursor).rev().find(|&i| d.is_change(i))
                };
                match found {
                    Some(i) => {
                        d.cursor = i;
                        let k = (0..=i).filter(|&j| d.is_change(j)).count();
                        let n = d.change_count();
                        let msg = format!("Change {k} of {n}");
                        center_on_cursor(d, h);
                        self.info(&msg);
                    }
                    None => {
                        let msg = if forward {
                            "No change below"
                        } else {
                            "No change above"
                        };
                        self.info(msg);
                    }
                }
                return true;
            }
            Action::JumpPartner | Action::Open => match d.partner(d.cursor) {
                Some(p) => {
                    d.cursor = p;
                    let line = d.item_row[p] + 1;
                    center_on_cursor(d, h);
                    self.info(&format!("Moved sentence: line {line}"));
                    return true;
                }
                None => {
                    self.info("Not a moved sentence (↕): nothing to jump to");
                    return true;
                }
            },
            Action::ToggleUnified => {
                d.unified = !d.unified;
                let cur = d.cursor;
                d.layout(width);
                d.cursor = cur;
                center_on_cursor(d, h);
                let msg = if d.unified { "Unified" } else { "Side by side" };
                self.info(msg);
                return true;
            }
            Action::ToggleMinor => {
                d.show_minor = !d.show_minor;
                let cur = d.cursor;
                d.layout(width);
                d.cursor = cur;
                let msg = if d.show_minor {
                    "Showing punctuation and quote-style changes"
                } else {
                    "Hiding punctuation and quote-style changes"
                };
                self.info(msg);
                return true;
            }
            Action::SwapSides => {
                let (story, a, b, unified) = (d.story, d.a, d.b, d.unified);
                self.show_diff(story, b, a, unified);
                return true;
            }
            _ => return false,
        }
        self.diff_keep_cursor_visible();
        true
    }

    /// Scrolls the diff so the cursor's item is in view.
    pub(super) fn diff_keep_cursor_visible(&mut self) {
        let h = self.diff_height();
        let Some(d) = self.diff.as_mut() else {
            return;
        };
        let max_scroll = d.rows.len().saturating_sub(h);
        let rows = d.item_rows(d.cursor);
        if rows.start < d.scroll {
            d.scroll = rows.start;
        } else if rows.end > d.scroll + h {
            d.scroll = rows.end.saturating_sub(h).min(rows.start);
        }
        d.scroll = d.scroll.min(max_scroll);
    }

    /// The annotated spans of the two versions of `d` (orphans left out), read now.
    fn diff_annotated_spans(&self, d: &DiffState) -> AnnotatedSpans {
        let mut out: [Vec<_>; 2] = Default::default();
        for (k, version) in [d.a, d.b].into_iter().enumerate() {
            if let Some(article) = self.lib.article(d.story, version) {
                out[k] = self.placed_spans(article);
            }
        }
        (out, self.ann.generation)
    }

    /// Reads the annotated spans again and lays the diff out when the annotations changed.
    pub(super) fn refresh_diff_annotations(&mut self) {
        let Some(d) = &self.diff else {
            return;
        };
        if d.annotated.1 == self.ann.generation {
            return;
        }
        let spans = self.diff_annotated_spans(d);
        if let Some(d) = self.diff.as_mut() {
            let changed = spans.0 != d.annotated.0;
            d.annotated = spans;
            if changed {
                let (cur, scroll, width) = (d.cursor, d.scroll, d.width);
                d.layout(width);
                d.cursor = cur;
                d.scroll = scroll.min(d.rows.len().saturating_sub(1));
            }
        }
    }

    /// The diff items holding an annotated sentence (either side), with the label of the first
    /// annotation found, for the gutter.
    pub fn diff_annotation_marks(&self) -> Vec<(usize, crate::annotate::LabelId)> {
        let Some(d) = &self.diff else {
            return Vec::new();
        };
        let mut out: Vec<(usize, crate::annotate::LabelId)> = Vec::new();
        for (k, (sentences, sentence_op)) in [(&d.cmp.a, &d.cmp.a_op), (&d.cmp.b, &d.cmp.b_op)]
            .into_iter()
            .enumerate()
        {
            for (span, label) in &d.annotated.0[k] {
                for (si, s) in sentences.iter().enumerate() {
                    if s.chars.start < span.end
                        && s.chars.end > span.start
                        && let Some(&op) = sentence_op.get(si)
                        && let Some(item) = d.items.iter().position(|&x| x == DiffItem::Op(op))
                        && !out.iter().any(|(i, _)| *i == item)
                    {
                        out.push((item, label.clone()));
                    }
                }
            }
        }
        out
    }

    /// Scrolls the diff by `delta` rows (the mouse wheel), the cursor following.
    pub(super) fn diff_scroll(&mut self, delta: isize) {
        let h = self.diff_height();
        if let Some(d) = self.diff.as_mut() {
            let max = d.rows.len().saturating_sub(h);
            d.scroll = (d.scroll as isize + delta).clamp(0, max as isize) as usize;
            let rows = d.item_rows(d.cursor);
            if rows.end <= d.scroll || rows.start >= d.scroll + h {
                d.cursor = d.item_at_row(d.scroll);
            }
        }
    }

    /// Marks or unmarks the selected version for the diff (two at most; the oldest mark goes).
    pub(super) fn toggle_version_mark(&mut self) {
        let v = self.version.selected;
        if self.versions_len() == 0 {
            return;
        }
        if self.marks_story != self.selected_story() {
            self.version_marks.clear();
            self.marks_story = self.selected_story();
        }
        if let Some(pos) = self.version_marks.iter().position(|&m| m == v) {
            self.version_marks.remove(pos);
        } else {
            if self.version_marks.len() >= 2 {
                self.version_marks.remove(0);
            }
            self.version_marks.push(v);
        }
        let key = self
            .keymap
            .first_key(&[Context::Versions, Context::Global], Action::OpenDiff)
            .unwrap_or_else(|| "open_diff".into());
        let marks: Vec<String> = self
            .version_marks
            .iter()
            .map(|m| (m + 1).to_string())
            .collect();
        let msg = match marks.len() {
            0 => "No version marked: the diff compares the earliest and the latest".to_string(),
            1 => format!("Marked version {}; mark another, then {key}", marks[0]),
            _ => format!(
                "Marked versions {}; {key} compares them",
                marks.join(" and ")
            ),
        };
        self.info(&msg);
    }
}

/// Scrolls so the cursor's item starts a third of the way down (when it is not in view).
fn center_on_cursor(d: &mut DiffState, h: usize) {
    let rows = d.item_rows(d.cursor);
    if rows.start < d.scroll || rows.end > d.scroll + h {
        d.scroll = rows.start.saturating_sub(h / 3);
    }
    d.scroll = d.scroll.min(d.rows.len().saturating_sub(h));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_styled_pieces_keeping_kinds() {
        let pieces = vec![
            ("Kerry".to_string(), SegKind::Plain),
            (" ".to_string(), SegKind::Plain),
            ("will seek".to_string(), SegKind::Delete),
            (" to prepare the ground".to_string(), SegKind::Plain),
        ];
        let lines = wrap_pieces(&pieces, 16);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect();
        assert_eq!(text, vec!["Kerry will seek", "to prepare the", "ground"]);
        assert_eq!(lines[0][1].kind, SegKind::Delete);
        assert_eq!(lines[0][1].text, "will seek");
    }

    #[test]
    fn wrap_sanitizes_escapes() {
        let lines = wrap_pieces(&[("red \u{1b}[31malert".to_string(), SegKind::Plain)], 80);
        assert!(!lines[0][0].text.contains('\u{1b}'));
    }

    #[test]
    fn moved_ops_get_a_ghost_before_their_old_place() {
        let a = vec!["Alpha one here. Beta two here. Gamma three here.".to_string()];
        let b = vec!["Gamma three here. Alpha one here. Beta two here.".to_string()];
        let cmp = Comparison::new(&a, &b);
        let items = items_of(&cmp);
        let ghosts = items
            .iter()
            .filter(|i| matches!(i, DiffItem::Ghost(_)))
            .count();
        assert_eq!(ghosts, cmp.stats.moved);
        assert!(ghosts >= 1);
    }
}
