//! Changing the annotations: undo and redo, the label picker, the note input, creating an
//! annotation, and taking a change back when the runtime could not store it.

use super::*;

impl App {
    pub(in crate::app) fn ann_undo_redo(&mut self, action: Action, fx: &mut Vec<Effect>) {
        if let Some(reason) = &self.ann.read_only {
            let msg = format!("Annotations are read-only: {reason}");
            self.error(&msg);
            return;
        }
        let undo = action == Action::AnnUndo;
        let now = self.now;
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
                // The edit returned is what was done now: say that, not what was undone.
                let did = match edit.kind() {
                    "created" => "brought back",
                    "deleted" => "removed",
                    "relabelled" => "changed the label of",
                    "re-attached" => "moved back",
                    _ => "changed the note of",
                };
                let what = format!(
                    "{} {did} the {} annotation",
                    if undo { "Undo" } else { "Redo" },
                    self.ann.labels.display_name(&label),
                );
                self.info(&what);
                self.stage(edit, fx);
            }
            Ok(None) => {
                self.info(if undo {
                    "No annotation change to undo"
                } else {
                    "No annotation change to redo"
                });
            }
            Err(e) => self.error(&format!("Cannot undo: {e}")),
        }
    }

    /// Hands `edit` to the runtime to store and shows it.
    pub(in crate::app) fn stage(&mut self, edit: Edit, fx: &mut Vec<Effect>) {
        let record: LogRecord = edit.record.clone();
        self.ann.unstored = Some(edit);
        self.ann.unsaved_note = None;
        self.ann.generation += 1;
        self.refresh_ann_map();
        self.refresh_ann_lists();
        fx.push(Effect::AppendAnnotation(Box::new(record)));
    }

    /// Does what the label picker, taken off the stack, asks after a key: it goes back
    /// unless it closes (a label chosen makes the relabelling, or opens the note input).
    pub(in crate::app) fn label_pick(&mut self, outcome: LabelOutcome, fx: &mut Vec<Effect>) {
        match outcome {
            LabelOutcome::Stay => {}
            LabelOutcome::NoLabel(c) => self.error(&format!("No label on {c}; Esc cancels")),
            LabelOutcome::Cancel => {
                self.ann.target = None;
                self.info("Cancelled");
                return;
            }
            LabelOutcome::Relabel(id, label) => {
                match self.ann.set.relabel(&id, label, self.now) {
                    Ok(edit) => {
                        self.ann.history.push(edit.clone());
                        self.info("Relabelled");
                        self.stage(edit, fx);
                    }
                    Err(e) => self.error(&format!("Cannot relabel: {e}")),
                }
                return;
            }
            LabelOutcome::Note(label) => {
                self.ann.note_cursor = None;
                self.layers.push(View::Note {
                    label,
                    text: String::new(),
                });
                return;
            }
        }
        self.layers.push(View::LabelPick);
    }

    /// An action in the note input, taken off the stack: it goes back unless it closes.
    pub(in crate::app) fn note_input(
        &mut self,
        action: Action,
        label: LabelId,
        mut text: String,
        fx: &mut Vec<Effect>,
    ) {
        match note_edit::update(&mut text, &mut self.ann.note_cursor, action) {
            note_edit::NoteOutcome::Cancel => {
                self.ann.target = None;
                self.ann.editing = None;
                self.info("Cancelled");
                return;
            }
            note_edit::NoteOutcome::Save => {
                let unsaved = UnsavedNote {
                    view: View::Note {
                        label: label.clone(),
                        text: text.clone(),
                    },
                    target: self.ann.target.clone(),
                    editing: self.ann.editing,
                };
                let before = fx.len();
                if let Some(id) = self.ann.editing.take() {
                    match self.ann.set.edit_note(&id, Some(text), self.now) {
                        Ok(edit) => {
                            self.ann.history.push(edit.clone());
                            self.info("Note saved");
                            self.stage(edit, fx);
                        }
                        Err(e) => self.error(&format!("Cannot edit the note: {e}")),
                    }
                } else {
                    self.create_annotation(label, text, fx);
                }
                if fx.len() > before {
                    self.ann.unsaved_note = Some(Box::new(unsaved));
                }
                return;
            }
            note_edit::NoteOutcome::Stay => {}
        }
        self.layers.push(View::Note { label, text });
    }

    /// Types a character into the note.
    pub(in crate::app) fn note_type(&mut self, c: char) {
        if let Some(View::Note { text, .. }) = self.layers.last_mut() {
            note_edit::insert(text, &mut self.ann.note_cursor, c);
        }
    }

    pub(in crate::app) fn create_annotation(
        &mut self,
        label: LabelId,
        note: String,
        fx: &mut Vec<Effect>,
    ) {
        let Some(targets) = self.ann.target.take() else {
            return;
        };
        let sides = targets.len();
        let made = Annotation::new(targets, label.clone(), Some(note), &self.author, self.now)
            .and_then(|a| self.ann.set.create(a));
        match made {
            Ok(edit) => {
                self.ann.history.push(edit.clone());
                self.set_selection(None);
                let undo_context = if let Some(d) = self.diff_mut() {
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
                self.stage(edit, fx);
            }
            Err(e) => self.error(&format!("Cannot annotate: {e}")),
        }
    }

    /// The runtime could not store the last change: it is taken back and reported.
    pub(in crate::app) fn store_failed(&mut self, error: String) {
        if let Some(edit) = self.ann.unstored.take() {
            self.ann.set.revert(&edit);
            self.ann.generation += 1;
        }
        self.ann.read_only = Some(format!("the last change could not be saved: {error}"));
        self.problems.push(format!("annotations: {error}"));
        // A note typed and saved: back in its input with the text, never thrown away.
        if let Some(note) = self.ann.unsaved_note.take() {
            self.ann.note_cursor = None;
            let UnsavedNote {
                view,
                target,
                editing,
            } = *note;
            self.ann.target = target;
            self.ann.editing = editing;
            // Saving took the note input off the stack, uncovering the view it came from.
            self.layers.push(view);
            self.error(&format!(
                "Note NOT saved: {error}. Your text is still here: free space and press Ctrl-s again, or copy it"
            ));
            return;
        }
        self.error(&format!("Annotation NOT saved: {error}"));
    }
}
