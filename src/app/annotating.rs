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
    LabelSet, LogRecord, Target, Timestamp, default_author, place_in_article,
};

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
}

impl Selection {
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
    /// The selection being made.
    pub selection: Option<Selection>,
    /// What the label picker and the note input annotate (two targets for a change in the
    /// diff view).
    pub target: Option<Vec<Target>>,
    /// Bumped on every change of `set` (so the map is rebuilt).
    pub generation: u64,
    /// The shown article, mapped.
    pub map: ArticleMap,
    /// The last change handed to the runtime, until it is stored.
    pub unstored: Option<Edit>,
    /// The annotation whose note the note input edits.
    pub editing: Option<crate::annotate::AnnotationId>,
    /// The annotation the label picker relabels.
    pub relabel: Option<crate::annotate::AnnotationId>,
    /// The view to return to when the label picker or the note input closes (the collation
    /// view); the panes when None.
    pub resume: Option<Box<Mode>>,
    /// The note input as it was when its save was handed to the runtime, until stored: a
    /// failed store (disk full) reopens it with the typed text.
    pub unsaved_note: Option<Box<UnsavedNote>>,
}

/// A note whose save is not stored yet: what reopens the note input if the store fails.
#[derive(Debug, Clone)]
pub struct UnsavedNote {
    /// The note input's mode (label and typed text).
    pub mode: Mode,
    /// What it annotated (a new annotation).
    pub target: Option<Vec<Target>>,
    /// The annotation whose note it edited.
    pub editing: Option<crate::annotate::AnnotationId>,
    /// The view it returns to.
    pub resume: Option<Box<Mode>>,
}

/// The whitespace-separated words of `text` as code-point ranges, `base` added (the offset of
/// `text` in the canonical body): the unit a selection grows by.
pub(super) fn word_chars(text: &str, base: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut n = 0usize;
    for (ci, c) in text.chars().enumerate() {
        n = ci + 1;
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(base + s..base + ci);
            }
        } else if start.is_none() {
            start = Some(ci);
        }
    }
    if let Some(s) = start {
        out.push(base + s..base + n);
    }
    out
}

/// Builds the map of `article` for the document `lines` laid out `width` wide.
fn build_map(
    app_lines: &[DocLine],
    article: &crate::corpus::Article,
    story_id: &str,
    width: usize,
    set: &AnnotationSet,
) -> ArticleMap {
    let seg = crate::compare::segment::segment(&article.paragraphs);
    let body = article.body();
    let mut words = Vec::new();
    let mut base = 0usize;
    let mut search_from = 0usize;
    for (pi, p) in article.paragraphs.iter().enumerate() {
        // Words of the paragraph as written, in code points of the body.
        let pw: Vec<Range<usize>> = word_chars(p, base);
        // The paragraph's wrapped lines in the document.
        let wrapped = wrap(&safe_line(p), width);
        let first = (search_from..app_lines.len())
            .find(|&i| app_lines[i].kind == LineKind::Body && app_lines[i].text == wrapped[0]);
        let mut cells: Vec<(usize, Range<usize>)> = Vec::new();
        if let Some(first) = first {
            for (li, l) in wrapped.iter().enumerate() {
                let mut col = 0usize;
                for (k, w) in l.split(' ').enumerate() {
                    if k > 0 {
                        col += 1;
                    }
                    let ww = w.width();
                    cells.push((first + li, col..col + ww));
                    col += ww;
                }
            }
            search_from = first + wrapped.len();
        }
        let found = cells.len() == pw.len();
        for (k, r) in pw.into_iter().enumerate() {
            let (line, cols) = if found {
                (Some(cells[k].0), cells[k].1.clone())
            } else {
                (None, 0..0)
            };
            words.push(WordPos {
                chars: r,
                sentence: 0,
                paragraph: pi,
                line,
                cols,
            });
        }
        base += p.chars().count() + 2;
    }
    // Sentences: the words starting inside each.
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let mut wi = 0usize;
    for s in &seg.sentences {
        let start = wi;
        while wi < words.len() && words[wi].chars.start < s.chars.end {
            wi += 1;
        }
        if wi > start {
            for w in &mut words[start..wi] {
                w.sentence = sentences.len();
            }
            sentences.push(start..wi);
        }
    }
    if wi < words.len() {
        for w in &mut words[wi..] {
            w.sentence = sentences.len();
        }
        sentences.push(wi..words.len());
    }
    let anns: Vec<&Annotation> = set.for_article(article).collect();
    let placed = place_in_article(anns.iter().copied(), article, &AnchorText::new(&body));
    let mut marks = Vec::new();
    let mut orphans = 0;
    let mut placed_spans = Vec::new();
    for p in &placed {
        let Some(span) = p
            .anchoring
            .span
            .clone()
            .filter(|_| p.anchoring.status != AnchorStatus::Orphaned)
        else {
            orphans += 1;
            continue;
        };
        placed_spans.push((span.clone(), p.label.clone(), p.anchoring.status));
        for w in &words {
            if w.chars.start < span.end
                && w.chars.end > span.start
                && let Some(line) = w.line
            {
                // Join with the previous word's mark on the same line.
                match marks.last_mut() {
                    Some(MarkPos {
                        line: l,
                        cols,
                        label,
                    }) if *l == line && *label == p.label && cols.end + 1 == w.cols.start => {
                        cols.end = w.cols.end;
                    }
                    _ => marks.push(MarkPos {
                        line,
                        cols: w.cols.clone(),
                        label: p.label.clone(),
                    }),
                }
            }
        }
    }
    ArticleMap {
        key: None,
        article: article.id.clone(),
        article_key: article.key.clone(),
        story: story_id.to_string(),
        body,
        words,
        sentences,
        marks,
        counts: (anns.len(), orphans),
        placed: placed_spans,
    }
}

impl App {
    /// Rebuilds the article map when the reader's document or the annotations changed.
    pub(super) fn refresh_ann_map(&mut self) {
        let Some(rkey) = self.reader.key else {
            self.ann.map = ArticleMap::default();
            return;
        };
        let key = Some((rkey, self.ann.generation));
        if self.ann.map.key == key {
            return;
        }
        let same_article = self
            .ann
            .map
            .key
            .is_some_and(|(k, _)| k.0 == rkey.0 && k.1 == rkey.1);
        let width = self.reader_text_width();
        let map = match self.lib.article(rkey.0, rkey.1) {
            Some(article) if !rkey.3 => build_map(
                &self.reader.lines,
                article,
                &self.lib.stories[rkey.0].id,
                width,
                &self.ann.set,
            ),
            _ => ArticleMap::default(),
        };
        self.ann.map = ArticleMap { key, ..map };
        if !same_article {
            self.ann.cursor = 0;
            self.ann.selection = None;
        }
        self.ann.cursor = self
            .ann
            .cursor
            .min(self.ann.map.sentences.len().saturating_sub(1));
    }

    /// Lines of the document the cursor's sentence covers.
    pub fn cursor_lines(&self) -> Option<Range<usize>> {
        let s = self.ann.map.sentences.get(self.ann.cursor)?;
        self.word_lines(s.clone())
    }

    fn word_lines(&self, words: Range<usize>) -> Option<Range<usize>> {
        let ws = self.ann.map.words.get(words)?;
        let first = ws.iter().find_map(|w| w.line)?;
        let last = ws.iter().rev().find_map(|w| w.line)?;
        Some(first..last + 1)
    }

    /// Keeps the cursor's sentence (or the selection's moving end) in view.
    fn show_cursor(&mut self) {
        let lines = match self.ann.selection {
            Some(sel) => self.word_lines(sel.head..sel.head + 1),
            None => self.cursor_lines(),
        };
        let Some(lines) = lines else {
            return;
        };
        let h = self.reader_height();
        if lines.start < self.reader.scroll {
            self.reader.scroll = lines.start;
        } else if lines.end > self.reader.scroll + h {
            self.reader.scroll = lines.end.saturating_sub(h).min(lines.start);
        }
    }

    /// After scrolling: the cursor moves onto the screen when it left it.
    pub(super) fn cursor_follow_scroll(&mut self) {
        if self.ann.selection.is_some() {
            return;
        }
        let h = self.reader_height();
        let (top, bottom) = (self.reader.scroll, self.reader.scroll + h);
        if let Some(l) = self.cursor_lines()
            && l.start >= top
            && l.start < bottom
        {
            return;
        }
        let map = &self.ann.map;
        if let Some(s) = map.sentences.iter().position(|r| {
            map.words
                .get(r.start)
                .and_then(|w| w.line)
                .is_some_and(|l| l >= top && l < bottom)
        }) {
            self.ann.cursor = s;
        }
    }

    /// Performs an annotating action in the reading pane; false when it is not one.
    pub(super) fn ann_update(&mut self, action: Action) -> Vec<Effect> {
        self.refresh_ann_map();
        let nw = self.ann.map.words.len();
        let ns = self.ann.map.sentences.len();
        if nw == 0 && !matches!(action, Action::AnnUndo | Action::AnnRedo) {
            self.info("No text to annotate here (raw view or empty article)");
            return Vec::new();
        }
        match action {
            Action::SelectStart => {
                if let Some(s) = self.ann.map.sentences.get(self.ann.cursor) {
                    self.ann.selection = Some(Selection {
                        anchor: s.start,
                        head: s.end - 1,
                    });
                    self.info("Selecting: w/b word, (/) sentence, {/} paragraph, o other end, a annotate, Esc cancel");
                }
            }
            Action::SentenceNext | Action::SentencePrev => {
                let fwd = action == Action::SentenceNext;
                match self.ann.selection.as_mut() {
                    Some(sel) => {
                        // To the end (start) of the head's sentence, else of the next
                        // (previous) one.
                        let map = &self.ann.map;
                        let s = map.words[sel.head].sentence;
                        let r = map.sentences[s].clone();
                        sel.head = if fwd {
                            if sel.head + 1 < r.end {
                                r.end - 1
                            } else {
                                map.sentences.get(s + 1).map_or(nw - 1, |r| r.end - 1)
                            }
                        } else if sel.head > r.start {
                            r.start
                        } else if s > 0 {
                            map.sentences[s - 1].start
                        } else {
                            0
                        };
                    }
                    None => {
                        self.ann.cursor = if fwd {
                            (self.ann.cursor + 1).min(ns.saturating_sub(1))
                        } else {
                            self.ann.cursor.saturating_sub(1)
                        };
                    }
                }
            }
            Action::ParagraphNext | Action::ParagraphPrev => {
                let fwd = action == Action::ParagraphNext;
                let map = &self.ann.map;
                let at = match self.ann.selection {
                    Some(sel) => sel.head,
                    None => map.sentences.get(self.ann.cursor).map_or(0, |r| r.start),
                };
                let p = map.words[at].paragraph;
                let target = if fwd {
                    map.words
                        .iter()
                        .rposition(|w| w.paragraph == p + 1)
                        .or_else(|| map.words.iter().rposition(|w| w.paragraph == p))
                        .unwrap_or(nw - 1)
                } else {
                    map.words
                        .iter()
                        .position(|w| w.paragraph + 1 == p)
                        .unwrap_or(0)
                };
                match self.ann.selection.as_mut() {
                    Some(sel) => sel.head = target,
                    None => {
                        // To the first sentence of the paragraph.
                        let tp = map.words[target].paragraph;
                        let first = map.words.iter().position(|w| w.paragraph == tp);
                        self.ann.cursor = first.map_or(0, |f| map.words[f].sentence);
                    }
                }
            }
            Action::WordNext | Action::WordPrev => {
                if let Some(sel) = self.ann.selection.as_mut() {
                    sel.head = if action == Action::WordNext {
                        (sel.head + 1).min(nw - 1)
                    } else {
                        sel.head.saturating_sub(1)
                    };
                }
            }
            Action::SelectSwap => {
                if let Some(sel) = self.ann.selection.as_mut() {
                    std::mem::swap(&mut sel.anchor, &mut sel.head);
                }
            }
            Action::SelectCancel => {
                self.ann.selection = None;
                self.info("Selection cancelled");
            }
            Action::Annotate => {
                if let Some(reason) = &self.ann.read_only {
                    let msg = format!("Annotations are read-only: {reason}");
                    self.error(&msg);
                    return Vec::new();
                }
                let words = match self.ann.selection {
                    Some(sel) => sel.words(),
                    None => match self.ann.map.sentences.get(self.ann.cursor) {
                        Some(r) => r.clone(),
                        None => return Vec::new(),
                    },
                };
                let map = &self.ann.map;
                let (Some(first), Some(last)) =
                    (map.words.get(words.start), map.words.get(words.end - 1))
                else {
                    return Vec::new();
                };
                let granularity = match self.ann.selection {
                    None => Granularity::Sentence,
                    Some(_) => Granularity::Span,
                };
                let span = first.chars.start..last.chars.end;
                match Target::from_char_span(&map.article, &map.story, &map.body, span, granularity)
                    .map(|t| t.keyed(&map.article_key))
                {
                    Ok(t) => {
                        self.ann.target = Some(vec![t]);
                        self.mode = Mode::LabelPick;
                    }
                    Err(e) => self.error(&format!("Cannot annotate this: {e}")),
                }
            }
            Action::AnnUndo | Action::AnnRedo => return self.ann_undo_redo(action),
            Action::NextAnnotation | Action::PrevAnnotation => {
                let map = &self.ann.map;
                let here = map
                    .sentences
                    .get(self.ann.cursor)
                    .and_then(|r| map.words.get(r.start))
                    .map_or(0, |w| w.chars.start);
                let sentence_of = |start: usize| {
                    map.words
                        .iter()
                        .find(|w| w.chars.end > start)
                        .map(|w| w.sentence)
                };
                let n = map.placed.len();
                let found = if action == Action::NextAnnotation {
                    map.placed.iter().enumerate().find(|(_, p)| {
                        sentence_of(p.0.start).is_some_and(|s| s > self.ann.cursor)
                            || (p.0.start > here && sentence_of(p.0.start) != Some(self.ann.cursor))
                    })
                } else {
                    map.placed
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|(_, p)| sentence_of(p.0.start).is_some_and(|s| s < self.ann.cursor))
                };
                match found {
                    Some((k, (span, label, status))) => {
                        let s = sentence_of(span.start).unwrap_or(0);
                        let msg = format!(
                            "Annotation {} of {n}: {} ({})",
                            k + 1,
                            self.ann.labels.display_name(label),
                            status.as_str()
                        );
                        self.ann.cursor = s;
                        self.info(&msg);
                    }
                    None => self.info(if n == 0 {
                        "No annotation in this article"
                    } else if action == Action::NextAnnotation {
                        "No annotation below"
                    } else {
                        "No annotation above"
                    }),
                }
            }
            _ => {}
        }
        self.show_cursor();
        Vec::new()
    }

    pub(super) fn ann_undo_redo(&mut self, action: Action) -> Vec<Effect> {
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            self.error(&msg);
            return Vec::new();
        }
        let undo = action == Action::AnnUndo;
        let now = Timestamp::now();
        let r = if undo {
            self.ann.history.undo(&mut self.ann.set, now)
        } else {
            self.ann.history.redo(&mut self.ann.set, now)
        };
        match r {
            Ok(Some(edit)) => {
                let label = edit
                    .after
                    .as_ref()
                    .or(edit.before.as_ref())
                    .map_or_else(|| LabelId::from("?"), |a| a.label.clone());
                let what = format!(
                    "{} the {} annotation {}",
                    if undo { "Undone:" } else { "Redone:" },
                    self.ann.labels.display_name(&label),
                    edit.kind()
                );
                self.info(&what);
                self.stage(edit)
            }
            Ok(None) => {
                self.info(if undo {
                    "No annotation change to undo"
                } else {
                    "No annotation change to redo"
                });
                Vec::new()
            }
            Err(e) => {
                self.error(&format!("Cannot undo: {e}"));
                Vec::new()
            }
        }
    }

    /// Hands `edit` to the runtime to store and shows it.
    pub(super) fn stage(&mut self, edit: Edit) -> Vec<Effect> {
        let record: LogRecord = edit.record.clone();
        self.ann.unstored = Some(edit);
        self.ann.unsaved_note = None;
        self.ann.generation += 1;
        self.refresh_ann_map();
        vec![Effect::AppendAnnotation(Box::new(record))]
    }

    /// A key in the label picker: a label's key picks it, Esc cancels.
    pub(super) fn label_pick(&mut self, action: Option<Action>, key: Option<char>) -> Vec<Effect> {
        if matches!(action, Some(Action::InputCancel | Action::Back)) {
            self.mode = self.ann.resume.take().map_or(Mode::Normal, |m| *m);
            self.ann.target = None;
            self.ann.relabel = None;
            self.info("Cancelled");
            return Vec::new();
        }
        if let Some(c) = key {
            match self.ann.labels.by_key(c) {
                Some(l) => {
                    let label = l.id.clone();
                    if let Some(id) = self.ann.relabel.take() {
                        self.mode = self.ann.resume.take().map_or(Mode::Normal, |m| *m);
                        return match self.ann.set.relabel(&id, label, Timestamp::now()) {
                            Ok(edit) => {
                                self.ann.history.push(edit.clone());
                                self.info("Relabelled");
                                self.stage(edit)
                            }
                            Err(e) => {
                                self.error(&format!("Cannot relabel: {e}"));
                                Vec::new()
                            }
                        };
                    }
                    self.mode = Mode::Note {
                        label,
                        text: String::new(),
                    };
                }
                None => self.error(&format!("No label on {c}; Esc cancels")),
            }
        }
        Vec::new()
    }

    /// An action in the note input.
    pub(super) fn note_input(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Note { label, mut text } = self.mode.clone() else {
            return Vec::new();
        };
        match action {
            Action::InputCancel => {
                self.mode = self.ann.resume.take().map_or(Mode::Normal, |m| *m);
                self.ann.target = None;
                self.ann.editing = None;
                self.info("Cancelled");
                return Vec::new();
            }
            Action::NoteNewline => text.push('\n'),
            Action::InputBackspace => {
                text.pop();
            }
            Action::InputDeleteWord => {
                let t = text.trim_end();
                let cut = t.rfind([' ', '\n']).map_or(0, |i| i + 1);
                text.truncate(cut);
            }
            Action::InputClear => text.clear(),
            Action::NoteSave => {
                let unsaved = UnsavedNote {
                    mode: Mode::Note {
                        label: label.clone(),
                        text: text.clone(),
                    },
                    target: self.ann.target.clone(),
                    editing: self.ann.editing,
                    resume: self.ann.resume.clone(),
                };
                self.mode = self.ann.resume.take().map_or(Mode::Normal, |m| *m);
                let effects = if let Some(id) = self.ann.editing.take() {
                    match self.ann.set.edit_note(&id, Some(text), Timestamp::now()) {
                        Ok(edit) => {
                            self.ann.history.push(edit.clone());
                            self.info("Note saved");
                            self.stage(edit)
                        }
                        Err(e) => {
                            self.error(&format!("Cannot edit the note: {e}"));
                            Vec::new()
                        }
                    }
                } else {
                    self.create_annotation(label, text)
                };
                if !effects.is_empty() {
                    self.ann.unsaved_note = Some(Box::new(unsaved));
                }
                return effects;
            }
            _ => {}
        }
        self.mode = Mode::Note { label, text };
        Vec::new()
    }

    /// Types a character into the note.
    pub(super) fn note_type(&mut self, c: char) {
        if let Mode::Note { text, .. } = &mut self.mode {
            text.push(c);
        }
    }

    fn create_annotation(&mut self, label: LabelId, note: String) -> Vec<Effect> {
        let Some(targets) = self.ann.target.take() else {
            return Vec::new();
        };
        let sides = targets.len();
        let made = Annotation::new(
            targets,
            label.clone(),
            Some(note),
            &default_author(),
            Timestamp::now(),
        )
        .and_then(|a| self.ann.set.create(a));
        match made {
            Ok(edit) => {
                self.ann.history.push(edit.clone());
                self.ann.selection = None;
                let undo_context = if let Some(d) = self.diff.as_mut() {
                    let old = d.selection.take();
                    let width = d.width;
                    d.relayout_selection(old.as_ref(), width);
                    Context::Diff
                } else {
                    Context::Reader
                };
                let name = self.ann.labels.display_name(&label).to_string();
                let undo = self
                    .keymap
                    .first_key(&[undo_context], Action::AnnUndo)
                    .unwrap_or_else(|| "undo".into());
                let both = if sides > 1 { " on both sides" } else { "" };
                self.info(&format!("Annotated{both}: {name} ({undo} undoes)"));
                self.stage(edit)
            }
            Err(e) => {
                self.error(&format!("Cannot annotate: {e}"));
                Vec::new()
            }
        }
    }

    /// `a` in the diff view: the change under the cursor, both sides at once.
    pub(super) fn diff_annotate(&mut self) {
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            self.error(&msg);
            return;
        }
        let Some(d) = &self.diff else {
            return;
        };
        let op = match d.items.get(d.cursor) {
            Some(diff::DiffItem::Op(i)) => &d.cmp.ops[*i],
            _ => {
                self.info("Move to a sentence (not a moved sentence's old place) to annotate");
                return;
            }
        };
        let story = &self.lib.stories[d.story].id;
        let mut targets = Vec::new();
        for (version, sentences, range) in [
            (d.a, &d.cmp.a, op.a_sentences()),
            (d.b, &d.cmp.b, op.b_sentences()),
        ] {
            if range.is_empty() {
                continue;
            }
            let Some(article) = self.lib.article(d.story, version) else {
                continue;
            };
            let span = sentences[range.start].chars.start..sentences[range.end - 1].chars.end;
            let granularity = if op.kind == crate::compare::OpKind::Equal {
                Granularity::Sentence
            } else {
                Granularity::Span
            };
            targets.push(
                Target::from_char_span(&article.id, story, &article.body(), span, granularity)
                    .map(|t| t.keyed(&article.key)),
            );
        }
        let targets: Result<Vec<Target>, _> = targets.into_iter().collect();
        let targets = match targets {
            Ok(t) if !t.is_empty() => t,
            Ok(_) => return,
            Err(e) => {
                self.error(&format!("Cannot annotate this: {e}"));
                return;
            }
        };
        self.ann.target = Some(targets);
        self.mode = Mode::LabelPick;
    }

    /// `a` in the collation view: the selected reading in the selected version, and in the
    /// base version (column 0) too when it carries the reading, like a change in the diff view.
    pub(super) fn collate_annotate(&mut self) {
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            self.error(&msg);
            return;
        }
        let Mode::Collate(view) = &self.mode else {
            return;
        };
        let (row, col) = (view.row.selected, view.column);
        let spans = view.table.reading_spans(row);
        let Some(own) = spans.iter().find(|(c, _)| *c == col) else {
            self.info("This version does not carry the reading: choose one that does (h/l)");
            return;
        };
        let mut chosen = Vec::new();
        if col != 0
            && let Some(base) = spans.iter().find(|(c, _)| *c == 0)
        {
            chosen.push(base.clone());
        }
        chosen.push(own.clone());
        let story = &self.lib.stories[view.story].id;
        let targets: Result<Vec<Target>, _> = chosen
            .into_iter()
            .filter_map(|(c, span)| {
                let input = view.table.versions.get(c)?.input;
                let article = self.lib.corpus.articles.get(*view.articles.get(input)?)?;
                Some(
                    Target::from_char_span(
                        &article.id,
                        story,
                        &article.body(),
                        span,
                        Granularity::Sentence,
                    )
                    .map(|t| t.keyed(&article.key)),
                )
            })
            .collect();
        match targets {
            Ok(t) if !t.is_empty() => {
                self.ann.target = Some(t);
                let view = std::mem::replace(&mut self.mode, Mode::LabelPick);
                self.ann.resume = Some(Box::new(view));
            }
            Ok(_) => {}
            Err(e) => self.error(&format!("Cannot annotate this: {e}")),
        }
    }

    /// Gives annotations made before article keys their article's id and key (once, on the
    /// corpus as first loaded by this version): new revisions to store, or kept in memory
    /// only when the store is read-only.
    pub(super) fn migrate_annotation_ids(&mut self) -> Vec<Effect> {
        let now = Timestamp::now();
        let migrated = crate::annotate::migrate::migrate_ids(&self.lib.corpus, &self.ann.set, now);
        if migrated.is_empty() {
            return Vec::new();
        }
        let mut effects = Vec::new();
        for a in migrated {
            let record = LogRecord::Put(a);
            self.ann.set.apply(record.clone());
            if self.ann.read_only.is_none() {
                effects.push(Effect::AppendAnnotation(Box::new(record)));
            }
        }
        self.ann.generation += 1;
        self.refresh_ann_map();
        effects
    }

    /// Where the annotations of `article` stand in its canonical text now, with their labels
    /// (orphans left out).
    pub(super) fn placed_spans(
        &self,
        article: &crate::corpus::Article,
    ) -> Vec<(Range<usize>, LabelId)> {
        if self.ann.set.for_article(article).next().is_none() {
            return Vec::new();
        }
        let body = article.body();
        place_in_article(
            self.ann.set.for_article(article),
            article,
            &AnchorText::new(&body),
        )
        .into_iter()
        .filter(|p| p.anchoring.status != AnchorStatus::Orphaned)
        .filter_map(|p| Some((p.anchoring.span?, p.label)))
        .collect()
    }

    /// For each reading of the collation, the label of the first annotation found on it in any
    /// version, for the matrix's margin.
    fn collate_marks(&self, view: &collate::CollateView) -> Vec<Option<LabelId>> {
        type Spans = Vec<(Range<usize>, LabelId)>;
        let mut placed: Vec<(usize, Spans)> = Vec::new();
        for (col, v) in view.table.versions.iter().enumerate() {
            let Some(article) = view
                .articles
                .get(v.input)
                .and_then(|&a| self.lib.corpus.articles.get(a))
            else {
                continue;
            };
            let spans = self.placed_spans(article);
            if !spans.is_empty() {
                placed.push((col, spans));
            }
        }
        let rows = view.table.readings.len();
        if placed.is_empty() {
            return vec![None; rows];
        }
        (0..rows)
            .map(|row| {
                view.table
                    .reading_spans(row)
                    .into_iter()
                    .find_map(|(col, r)| {
                        placed
                            .iter()
                            .find(|(c, _)| *c == col)?
                            .1
                            .iter()
                            .find(|(s, _)| s.start < r.end && s.end > r.start)
                            .map(|(_, l)| l.clone())
                    })
            })
            .collect()
    }

    /// Marks the collation's annotated readings again when the annotations changed (not on
    /// every frame).
    pub(super) fn refresh_collate_marks(&mut self) {
        let generation = self.ann.generation;
        let marks = match &self.mode {
            Mode::Collate(view) if view.marks_at != Some(generation) => self.collate_marks(view),
            _ => return,
        };
        if let Mode::Collate(view) = &mut self.mode {
            view.marks = marks;
            view.marks_at = Some(generation);
        }
    }

    /// The runtime could not store the last change: it is taken back and reported.
    pub(super) fn store_failed(&mut self, error: String) {
        if let Some(edit) = self.ann.unstored.take() {
            self.ann.set.revert(&edit);
            self.ann.generation += 1;
        }
        self.ann.read_only = Some(format!("the last change could not be saved: {error}"));
        self.problems.push(format!("annotations: {error}"));
        // A note typed and saved: back in its input with the text, never thrown away.
        if let Some(note) = self.ann.unsaved_note.take() {
            let UnsavedNote {
                mode,
                target,
                editing,
                resume,
            } = *note;
            self.ann.target = target;
            self.ann.editing = editing;
            self.ann.resume = resume;
            self.mode = mode;
            self.error(&format!(
                "Note NOT saved: {error}. Your text is still here: free space and press Ctrl-s again, or copy it"
            ));
            return;
        }
        self.error(&format!("Annotation NOT saved: {error}"));
    }
}
