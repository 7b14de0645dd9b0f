//! The annotation list of the corpus (`A`) and its orphans (`O`): filter by label, jump to one,
//! edit its note, relabel it, delete it after a confirmation.

use super::*;
use crate::annotate::{AnchorStatus, AnnotationId, LabelId, LabelSet, Target, anchor_corpus_with};

/// One annotation in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnRow {
    /// Its id.
    pub id: AnnotationId,
    /// Its label.
    pub label: LabelId,
    /// The quote of its first target (as stored).
    pub quote: String,
    /// Its note.
    pub note: Option<String>,
    /// Title of the article of its first target.
    pub title: String,
    /// (story, version) of its first target's article, when it is in the corpus.
    pub place: Option<(usize, usize)>,
    /// Where its first target stands in the text now.
    pub status: AnchorStatus,
    /// Code point where its first target starts now.
    pub start: Option<usize>,
    /// Number of targets.
    pub targets: usize,
}

/// The list popup's state.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnList {
    /// Only annotations that cannot be placed any more.
    pub orphans_only: bool,
    /// Only this label.
    pub filter: Option<LabelId>,
    /// Every annotation (of the kind listed).
    pub rows: Vec<AnnRow>,
    /// Indices of `rows` shown.
    pub shown: Vec<usize>,
    /// Index in `shown` of the highlighted row.
    pub selected: usize,
    /// A delete waits for its confirmation.
    pub confirm_delete: bool,
}

/// What the annotation list asks of the app after an action ([`AnnList::update`]).
#[derive(Debug, Clone, PartialEq)]
pub enum AnnListOutcome {
    /// Stay open (the highlight may have moved).
    Stay,
    /// Stay open: the label filter changed.
    Filtered,
    /// Stay open: a delete waits for its confirmation (`y`).
    AskDelete,
    /// Stay open: a change was asked for, but the annotations are read-only.
    ReadOnly,
    /// Stay open: the delete that waited for its confirmation is given up.
    Kept,
    /// Close.
    Close,
    /// Close, showing this annotation in the reading pane.
    Jump(AnnRow),
    /// Delete this annotation (confirmed); the list stays open while rows are left.
    Delete(AnnRow),
    /// Accept this annotation's anchor where it stands now; the list stays open (`kept`: a
    /// delete that waited for its confirmation is given up too).
    ConfirmAnchor {
        /// The annotation.
        row: AnnRow,
        /// A delete waited for its confirmation and is given up.
        kept: bool,
    },
    /// Close, the reading pane waiting for this annotation's new span.
    Reattach(AnnRow),
    /// Edit this annotation's note (the list stays under the note input).
    EditNote(AnnRow),
    /// Relabel this annotation (the list stays under the label picker).
    Relabel(AnnRow),
}

impl AnnList {
    /// A list of `rows`, the first one highlighted, every label shown.
    pub(crate) fn new(orphans_only: bool, rows: Vec<AnnRow>) -> AnnList {
        let mut list = AnnList {
            orphans_only,
            filter: None,
            rows,
            shown: Vec::new(),
            selected: 0,
            confirm_delete: false,
        };
        list.refilter();
        list
    }

    fn refilter(&mut self) {
        self.shown = (0..self.rows.len())
            .filter(|&i| {
                self.filter
                    .as_ref()
                    .is_none_or(|f| self.rows[i].label == *f)
            })
            .collect();
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// The highlighted annotation.
    pub fn current(&self) -> Option<&AnnRow> {
        self.shown.get(self.selected).map(|&i| &self.rows[i])
    }

    /// Takes the highlighted row out of the list (its annotation was deleted).
    fn remove_current(&mut self) {
        if let Some(&pos) = self.shown.get(self.selected) {
            self.rows.remove(pos);
            self.refilter();
        }
    }

    /// Shows the next label only (of `labels`, in order), then every label again.
    fn next_filter(&mut self, labels: &LabelSet) {
        let labels = labels.labels();
        self.filter = match &self.filter {
            None => labels.first().map(|l| l.id.clone()),
            Some(f) => labels
                .iter()
                .position(|l| l.id == *f)
                .and_then(|i| labels.get(i + 1))
                .map(|l| l.id.clone()),
        };
        self.refilter();
    }

    /// Applies `action` (`labels`: the labels the filter steps through; `read_only`: the
    /// annotations cannot be changed) and says what the app is to do. A delete waiting for
    /// its confirmation is done by [`Action::Confirm`] and given up by any other action.
    pub(crate) fn update(
        &mut self,
        action: Action,
        labels: &LabelSet,
        read_only: bool,
    ) -> AnnListOutcome {
        let confirming = std::mem::take(&mut self.confirm_delete);
        let last = self.shown.len().saturating_sub(1);
        // The highlighted row, cloned only for the actions that hand it to the app.
        let row = |list: &AnnList| list.current().cloned();
        let outcome = match action {
            Action::MoveDown => {
                self.selected = (self.selected + 1).min(last);
                AnnListOutcome::Stay
            }
            Action::MoveUp => {
                self.selected = self.selected.saturating_sub(1);
                AnnListOutcome::Stay
            }
            Action::First => {
                self.selected = 0;
                AnnListOutcome::Stay
            }
            Action::Last => {
                self.selected = last;
                AnnListOutcome::Stay
            }
            Action::PageDown | Action::HalfPageDown => {
                self.selected = (self.selected + 10).min(last);
                AnnListOutcome::Stay
            }
            Action::PageUp | Action::HalfPageUp => {
                self.selected = self.selected.saturating_sub(10);
                AnnListOutcome::Stay
            }
            Action::Back | Action::InputCancel => return AnnListOutcome::Close,
            Action::FilterLabel => {
                self.next_filter(labels);
                AnnListOutcome::Filtered
            }
            Action::InputSubmit | Action::Open => match row(self) {
                Some(row) => return AnnListOutcome::Jump(row),
                None => AnnListOutcome::Stay,
            },
            Action::DeleteAnnotation if read_only => AnnListOutcome::ReadOnly,
            Action::DeleteAnnotation if self.current().is_some() => {
                self.confirm_delete = true;
                AnnListOutcome::AskDelete
            }
            Action::Confirm if confirming => {
                return row(self).map_or(AnnListOutcome::Stay, AnnListOutcome::Delete);
            }
            Action::ConfirmAnchor => match row(self) {
                Some(row) => AnnListOutcome::ConfirmAnchor {
                    row,
                    kept: confirming,
                },
                None => AnnListOutcome::Stay,
            },
            Action::Reattach | Action::EditNote | Action::Relabel => match row(self) {
                Some(_) if read_only => AnnListOutcome::ReadOnly,
                Some(row) => {
                    return match action {
                        Action::Reattach => AnnListOutcome::Reattach(row),
                        Action::EditNote => AnnListOutcome::EditNote(row),
                        _ => AnnListOutcome::Relabel(row),
                    };
                }
                None => AnnListOutcome::Stay,
            },
            _ => AnnListOutcome::Stay,
        };
        match outcome {
            // Any action but `y` gives a waiting delete up (and says so, last).
            AnnListOutcome::ConfirmAnchor { .. } => outcome,
            _ if confirming && action != Action::Confirm => AnnListOutcome::Kept,
            _ => outcome,
        }
    }
}

impl App {
    /// Reads into memory the text of every article an annotation is on (a corpus reopened
    /// from its derived store holds the text of the articles shown only).
    pub(in crate::app) fn ensure_annotated_texts(&mut self) {
        if self.lib.texts.is_none() {
            return;
        }
        let wanted: Vec<usize> = self
            .ann
            .set
            .iter()
            .flat_map(|a| &a.targets)
            .filter_map(|t| crate::annotate::anchor::resolve_target(&self.lib.corpus, t))
            .collect();
        self.lib.ensure_articles(&wanted);
    }

    fn ann_rows(&mut self, orphans_only: bool) -> Vec<AnnRow> {
        self.ensure_annotated_texts();
        let anns: Vec<&crate::annotate::Annotation> = self.ann.set.iter().collect();
        let anchors = anchor_corpus_with(&self.lib.corpus, &anns, &|i| self.lib.body_of(i));
        let mut place: std::collections::HashMap<usize, (usize, usize)> =
            std::collections::HashMap::new();
        for (si, s) in self.lib.stories.iter().enumerate() {
            for (vi, v) in s.versions.iter().enumerate() {
                place.insert(v.article, (si, vi));
            }
        }
        let mut rows: Vec<AnnRow> = anns
            .iter()
            .zip(anchors)
            .filter_map(|(a, anch)| {
                let t = a.targets.first()?;
                let first = anch.first()?;
                let orphan = anch.iter().all(|x| x.status == AnchorStatus::Orphaned);
                if orphans_only && !orphan {
                    return None;
                }
                let idx = crate::annotate::anchor::resolve_target(&self.lib.corpus, t);
                Some(AnnRow {
                    id: a.id,
                    label: a.label.clone(),
                    quote: t.quote.exact.clone(),
                    note: a.note.clone(),
                    title: idx
                        .map(|i| {
                            self.lib
                                .article_at(i)
                                .map(|a| a.title.clone())
                                .unwrap_or_default()
                        })
                        .unwrap_or_else(|| format!("{} (not in this corpus)", t.article)),
                    place: idx.and_then(|i| place.get(&i).copied()),
                    status: first.status,
                    start: first.span.as_ref().map(|s| s.start),
                    targets: a.targets.len(),
                })
            })
            .collect();
        rows.sort_by(|x, y| x.title.cmp(&y.title).then(x.start.cmp(&y.start)));
        rows
    }

    /// Opens the annotation list (`orphans_only`: the orphans).
    pub(super) fn open_ann_list(&mut self, orphans_only: bool) {
        let rows = self.ann_rows(orphans_only);
        if rows.is_empty() {
            self.info(if orphans_only {
                "No orphaned annotation: every one is found in its text"
            } else {
                "No annotation in this corpus yet: v selects, a annotates"
            });
            return;
        }
        self.layers
            .push(View::AnnList(AnnList::new(orphans_only, rows)));
    }

    /// An action in the annotation list, taken off the stack: the app does what the list
    /// asks, and the list goes back unless it closes.
    pub(super) fn ann_list(&mut self, action: Action, mut list: AnnList, fx: &mut Vec<Effect>) {
        let read_only = self.ann.read_only.is_some();
        match list.update(action, &self.ann.labels, read_only) {
            AnnListOutcome::Stay => {}
            AnnListOutcome::Close => return,
            AnnListOutcome::Kept => self.info("Kept"),
            AnnListOutcome::Filtered => {
                let msg = match &list.filter {
                    Some(f) => format!(
                        "Showing {} only ({})",
                        self.ann.labels.display_name(f),
                        list.shown.len()
                    ),
                    None => "Showing every label".to_string(),
                };
                self.info(&msg);
            }
            AnnListOutcome::AskDelete => {
                self.error("Delete this annotation? y deletes, any other key keeps it");
            }
            AnnListOutcome::ReadOnly => {
                let reason = self.ann.read_only.clone().unwrap_or_default();
                self.error(&format!("Annotations are read-only: {reason}"));
            }
            AnnListOutcome::Jump(row) => return self.jump_to_annotation(&row),
            AnnListOutcome::Delete(row) => match self.ann.set.delete(&row.id, self.now) {
                Ok(edit) => {
                    self.ann.history.push(edit.clone());
                    list.remove_current();
                    self.info("Annotation deleted (u in the reading pane undoes)");
                    self.stage(edit, fx);
                    if !list.rows.is_empty() {
                        self.layers.push(View::AnnList(list));
                    }
                    return;
                }
                Err(e) => self.error(&format!("Cannot delete: {e}")),
            },
            AnnListOutcome::ConfirmAnchor { row, kept } => {
                self.confirm_anchor(&row, fx);
                list.rows = self.ann_rows(list.orphans_only);
                list.refilter();
                if kept {
                    self.info("Kept");
                }
            }
            AnnListOutcome::Reattach(row) => return self.start_reattach(&row),
            AnnListOutcome::EditNote(row) => {
                self.ann.editing = Some(row.id);
                self.ann.note_cursor = None;
                // The list stays under the note: it shows again when the note closes.
                self.layers.push(View::AnnList(list));
                self.layers.push(View::Note {
                    label: row.label,
                    text: row.note.unwrap_or_default(),
                });
                return;
            }
            AnnListOutcome::Relabel(row) => {
                self.ann.label_picker = LabelPicker::relabelling(row.id);
                self.layers.push(View::AnnList(list));
                self.layers.push(View::LabelPick);
                return;
            }
        }
        self.layers.push(View::AnnList(list));
    }

    /// `c` on a row: a fuzzy (or moved) anchor is accepted where it stands now: the
    /// annotation's targets are made again from the spans found, so it anchors exactly.
    fn confirm_anchor(&mut self, row: &AnnRow, fx: &mut Vec<Effect>) {
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            return self.error(&msg);
        }
        match row.status {
            AnchorStatus::Exact => return self.info("Already exact: nothing to confirm"),
            AnchorStatus::Orphaned => {
                return self.error("Not found in its text: nothing to confirm");
            }
            _ => {}
        }
        let Some(ann) = self.ann.set.get(&row.id).cloned() else {
            return;
        };
        let wanted: Vec<usize> = ann
            .targets
            .iter()
            .filter_map(|t| crate::annotate::anchor::resolve_target(&self.lib.corpus, t))
            .collect();
        self.lib.ensure_articles(&wanted);
        let anchors = anchor_corpus_with(&self.lib.corpus, &[&ann], &|i| self.lib.body_of(i));
        let Some(anch) = anchors.first() else {
            return;
        };
        let mut targets = Vec::new();
        for (t, a) in ann.targets.iter().zip(anch) {
            let (Some(span), Some(i)) = (a.span.clone(), self.lib.corpus.find(&t.article)) else {
                return self.error("A target is not found in its text: nothing confirmed");
            };
            let body = self.lib.body_of(i);
            match Target::from_char_span(&t.article, &t.story, &body, span, t.granularity) {
                Ok(nt) => targets.push(nt),
                Err(e) => return self.error(&format!("Cannot confirm: {e}")),
            }
        }
        match self.ann.set.retarget(&row.id, targets, self.now) {
            Ok(edit) => {
                self.ann.history.push(edit.clone());
                self.info("Anchor confirmed: the annotation now quotes the text as it stands");
                self.stage(edit, fx);
            }
            Err(e) => self.error(&format!("Cannot confirm: {e}")),
        }
    }

    /// Reads the rows of the annotation lists on the stack again (after a note edit or a
    /// relabelling made over them), keeping each one's filter and highlighted annotation.
    pub(super) fn refresh_ann_lists(&mut self) {
        for i in 0..self.layers.len() {
            let View::AnnList(list) = &self.layers[i] else {
                continue;
            };
            let rows = self.ann_rows(list.orphans_only);
            let View::AnnList(list) = &mut self.layers[i] else {
                continue;
            };
            let current = list.current().map(|r| r.id);
            list.rows = rows;
            list.refilter();
            if let Some(k) =
                current.and_then(|id| list.shown.iter().position(|&r| list.rows[r].id == id))
            {
                list.selected = k;
            }
        }
    }

    /// `a` on a row: the list closes and the reading pane waits for the annotation's new span
    /// (at its article when it is in the corpus, else where the reader was).
    fn start_reattach(&mut self, row: &AnnRow) {
        self.layers.clear();
        self.set_selection(None);
        if let Some((story, version)) = row.place {
            if !self.view.contains(&story) {
                self.source_filter = None;
                self.search = SearchState::default();
                self.rebuild_view(Some(story));
            }
            if let Some(r) = self.view.iter().position(|&s| s == story) {
                self.list.selected = r;
            }
            self.version.selected = version;
        }
        self.focus_pane(Pane::Reader);
        self.refresh_ann_map();
        self.ann.reattach = Some(row.id);
        let quote: String = row.quote.split_whitespace().collect::<Vec<_>>().join(" ");
        let quote = crate::text::wrap::truncate(&quote, 40);
        self.info(&format!(
            "Re-attaching \"{quote}\": select its new span (v, w/e/b…; Tab to other stories), then a; Esc cancels"
        ));
    }

    /// The re-attached annotation moves to `target` (it keeps its id, label and note; the
    /// store keeps the revision before): its first orphaned target is replaced (else its
    /// first), so a diff annotation keeps its other side.
    pub(super) fn finish_reattach(
        &mut self,
        id: AnnotationId,
        target: Target,
        fx: &mut Vec<Effect>,
    ) {
        self.ann.reattach = None;
        self.set_selection(None);
        let Some(ann) = self.ann.set.get(&id).cloned() else {
            return self.error("That annotation is gone: nothing re-attached");
        };
        let anchors = anchor_corpus_with(&self.lib.corpus, &[&ann], &|i| self.lib.body_of(i));
        let slot = anchors
            .first()
            .and_then(|a| a.iter().position(|x| x.status == AnchorStatus::Orphaned))
            .unwrap_or(0);
        let mut targets = ann.targets.clone();
        if let Some(t) = targets.get_mut(slot) {
            *t = target;
        }
        match self.ann.set.retarget(&id, targets, self.now) {
            Ok(edit) => {
                self.ann.history.push(edit.clone());
                self.info("Re-attached here: the annotation keeps its id and label (u undoes)");
                self.stage(edit, fx);
                self.refresh_ann_map();
            }
            Err(e) => self.error(&format!("Cannot re-attach: {e}")),
        }
    }

    /// Shows the annotation's article in the reading pane with the cursor on it.
    fn jump_to_annotation(&mut self, row: &AnnRow) {
        let Some((story, version)) = row.place else {
            self.error("Its article is not in this corpus");
            return;
        };
        if !self.view.contains(&story) {
            self.source_filter = None;
            self.search = SearchState::default();
            self.rebuild_view(Some(story));
        }
        if let Some(r) = self.view.iter().position(|&s| s == story) {
            self.list.selected = r;
        }
        self.version.selected = version;
        // The annotation shows in the reading pane: every view above it closes.
        self.layers.clear();
        self.focus_pane(Pane::Reader);
        self.refresh_ann_map();
        if let Some(start) = row.start
            && let Some(w) = self.ann.map.words.iter().find(|w| w.chars.end > start)
        {
            self.ann.cursor = w.sentence;
            if let Some(lines) = self.cursor_lines() {
                let h = self.reader_height();
                self.reader.scroll = lines.start.saturating_sub(h / 3);
                self.after_move();
            }
        }
        let name = self.ann.labels.display_name(&row.label).to_string();
        self.info(&format!("{name}: {}", row.status.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str) -> AnnRow {
        AnnRow {
            id: AnnotationId::new_v7(),
            label: LabelId::from(label),
            quote: "the quote".into(),
            note: None,
            title: "A title".into(),
            place: Some((0, 0)),
            status: AnchorStatus::Exact,
            start: Some(0),
            targets: 1,
        }
    }

    #[test]
    fn the_list_asks_before_deleting_and_any_other_key_keeps() {
        let labels = LabelSet::default();
        let first = labels.labels()[0].id.clone();
        let rows = vec![row(first.as_str()), row("other")];
        let mut list = AnnList::new(false, rows.clone());
        assert_eq!(
            list.update(Action::MoveDown, &labels, false),
            AnnListOutcome::Stay
        );
        assert_eq!(list.current(), Some(&rows[1]));
        assert_eq!(
            list.update(Action::DeleteAnnotation, &labels, false),
            AnnListOutcome::AskDelete
        );
        assert_eq!(
            list.update(Action::Confirm, &labels, false),
            AnnListOutcome::Delete(rows[1].clone())
        );
        list.update(Action::DeleteAnnotation, &labels, false);
        assert_eq!(
            list.update(Action::MoveUp, &labels, false),
            AnnListOutcome::Kept
        );
        assert_eq!(
            list.update(Action::Confirm, &labels, false),
            AnnListOutcome::Stay
        );
        assert_eq!(
            list.update(Action::Relabel, &labels, true),
            AnnListOutcome::ReadOnly
        );
        assert_eq!(
            list.update(Action::FilterLabel, &labels, false),
            AnnListOutcome::Filtered
        );
        assert_eq!((list.filter.as_ref(), list.shown.len()), (Some(&first), 1));
        assert_eq!(
            list.update(Action::Open, &labels, false),
            AnnListOutcome::Jump(rows[0].clone())
        );
        assert_eq!(
            list.update(Action::Back, &labels, false),
            AnnListOutcome::Close
        );
    }
}
