//! Annotating in the reading pane: a cursor on sentences, a selection extended by word,
//! sentence or paragraph, the label picker and the note input, undo and redo. Pure: every
//! change to the annotations is applied here and handed to the runtime as
//! [`Effect::AppendAnnotation`], which makes it durable before the screen shows it.
//!
//! The article's words are mapped to the reading pane's wrapped lines ([`ArticleMap`]) so the
//! cursor, the selection and annotated spans can be drawn where the words are.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::reader::{safe_line, wrap};
use super::*;
use crate::annotate::{
    AnchorStatus, AnchorText, Annotation, AnnotationSet, Edit, Granularity, History, LabelId,
    LabelSet, LogRecord, Target, place_in_article,
};

mod edit;
mod label_pick;
mod map;
mod motion;
pub(in crate::app) mod note_edit;
mod select;
mod targets;

pub use label_pick::{LabelOutcome, LabelPicker};
pub(in crate::app) use map::word_chars;
pub(in crate::app) use motion::{counts, find_head, is_find, word_motion};

/// A word of the article and where it is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPos {
    /// Code points in the canonical text (`Article::body()`).
    pub chars: Range<usize>,
    /// Index of its sentence.
    pub sentence: usize,
    /// Index of its paragraph.
    pub paragraph: usize,
    /// Line of the reading pane's document, when found.
    pub line: Option<usize>,
    /// Columns in that line.
    pub cols: Range<usize>,
}

/// An annotated span on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkPos {
    /// Line of the document.
    pub line: usize,
    /// Columns in the line.
    pub cols: Range<usize>,
    /// The annotation's label.
    pub label: LabelId,
}

/// The shown article's words and sentences, mapped to the document's lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleMap {
    /// What the map was built for: the reader's key and the annotations' generation.
    pub key: Option<((usize, usize, usize, bool), u64)>,
    /// Id of the article.
    pub article: String,
    /// Key of the article (kept in the targets made here).
    pub article_key: crate::corpus::ArticleKey,
    /// Id of the story.
    pub story: String,
    /// The canonical text.
    pub body: String,
    /// Every word in order.
    pub words: Vec<WordPos>,
    /// Word range of each sentence.
    pub sentences: Vec<Range<usize>>,
    /// Annotated spans on screen.
    pub marks: Vec<MarkPos>,
    /// Annotations of this article (placed or not) and how many are orphaned.
    pub counts: (usize, usize),
    /// Placed targets in reading order: span (code points), label, anchor status.
    pub placed: Vec<(Range<usize>, LabelId, AnchorStatus)>,
}

/// A selection of words: where it started and where its moving end is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// The fixed end (word index).
    pub anchor: usize,
    /// The moving end (word index).
    pub head: usize,
    /// The word whose end the head was moved to by `e`/`ge`, as vim's cursor stands on a
    /// word's last character: `e` there goes on to the next word, elsewhere it stays on the
    /// head's word (the selection already covers it whole), so `ve` selects one word.
    pub end_of: Option<usize>,
}

impl Selection {
    /// A selection of the one word `word`, its head at the word's start.
    pub(crate) fn at(word: usize) -> Selection {
        Selection {
            anchor: word,
            head: word,
            end_of: None,
        }
    }

    /// The words selected, in order.
    pub fn words(&self) -> Range<usize> {
        self.anchor.min(self.head)..self.anchor.max(self.head) + 1
    }
}

/// The annotations of the corpus and the annotating flow's state.
#[derive(Debug, Clone, Default)]
pub struct AnnState {
    /// The annotations.
    pub set: AnnotationSet,
    /// Undo and redo stacks.
    pub history: History,
    /// The labels.
    pub labels: LabelSet,
    /// Why changes cannot be stored (another stet holds the corpus), if so.
    pub read_only: Option<String>,
    /// Sentence under the cursor in the reading pane.
    pub cursor: usize,
    /// The word clicked last in the cursor's sentence: where `v` starts a selection.
    pub cursor_word: Option<usize>,
    /// What the label picker and the note input annotate (two targets for a change in the
    /// diff view).
    pub target: Option<Vec<Target>>,
    /// Bumped on every change of `set` (so the map is rebuilt).
    pub generation: u64,
    /// The shown article, mapped.
    pub map: ArticleMap,
    /// The last change handed to the runtime, until it is stored.
    pub unstored: Option<Edit>,
    /// The note input's cursor: a code point of its text, `None` at the end.
    pub note_cursor: Option<usize>,
    /// The annotation whose note the note input edits.
    pub editing: Option<crate::annotate::AnnotationId>,
    /// The label picker's state (what its label is for) while it is open.
    pub label_picker: LabelPicker,
    /// The annotation being re-attached by hand: the next `a` in the reading pane moves it
    /// to the selection (or the cursor's sentence) instead of making a new one.
    pub reattach: Option<crate::annotate::AnnotationId>,
    /// The note input as it was when its save was handed to the runtime, until stored: a
    /// failed store (disk full) reopens it with the typed text.
    pub unsaved_note: Option<Box<UnsavedNote>>,
}

/// A note whose save is not stored yet: what reopens the note input if the store fails.
#[derive(Debug, Clone)]
pub struct UnsavedNote {
    /// The note input (label and typed text).
    pub view: View,
    /// What it annotated (a new annotation).
    pub target: Option<Vec<Target>>,
    /// The annotation whose note it edited.
    pub editing: Option<crate::annotate::AnnotationId>,
}
