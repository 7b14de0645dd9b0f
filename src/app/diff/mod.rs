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

mod actions;
mod cache;
mod keys;
mod rows;
mod search;

pub use cache::{CompareJob, DiffCache};
pub(crate) use keys::DiffOutcome;
pub(crate) use rows::side_width;
pub(crate) use search::DiffSearch;

/// Versions longer than this (bytes of both together) are compared on a worker thread.
pub(crate) const COMPARE_INLINE_BYTES: usize = 200_000;

/// Articles longer than this (bytes of both versions together) are not compared in the UI.
pub(crate) const MAX_DIFF_BYTES: usize = 4_000_000;

/// Annotated spans of sides A and B, and the annotations' generation they were read at.
pub(crate) type AnnotatedSpans = (
    [Vec<(std::ops::Range<usize>, crate::annotate::LabelId)>; 2],
    u64,
);

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
    /// Words the diff search (`/`) found.
    Found,
    /// The diff search's current match.
    FoundCurrent,
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
pub(crate) struct Piece {
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
    pub(crate) fn mark(self) -> char {
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
#[derive(Debug, Clone, PartialEq)]
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
    /// The search in the two versions (`/`): matches marked, the current one.
    pub search: DiffSearch,
}
