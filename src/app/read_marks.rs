//! Read marks of the stories, and their undo.

use super::*;

impl App {
    // ----- read marks -----

    pub(super) fn toggle_read(&mut self, fx: &mut Vec<Effect>) {
        let Some(s) = self.selected_story() else {
            return;
        };
        let before = self.read[s];
        self.read[s] = !before;
        self.undo.push(UndoEntry {
            label: format!("marked a story {}", if before { "unread" } else { "read" }),
            changes: vec![(s, before)],
        });
        fx.push(Effect::SaveState(self.saved_state()));
    }

    pub(super) fn mark_all_read(&mut self, fx: &mut Vec<Effect>) {
        let changes: Vec<(usize, bool)> = self
            .view
            .iter()
            .filter(|&&i| !self.read[i])
            .map(|&i| (i, false))
            .collect();
        if changes.is_empty() {
            self.info("Every story shown is read already");
            return;
        }
        for &(i, _) in &changes {
            self.read[i] = true;
        }
        let n = changes.len();
        let undo_key = self
            .keymap
            .first_key(&[Context::Global], Action::Undo)
            .unwrap_or_else(|| "undo".into());
        self.undo.push(UndoEntry {
            label: format!("marked {} read", crate::text::plural(n, "story", "stories")),
            changes,
        });
        self.info(&format!(
            "Marked {} read; {undo_key} undoes",
            crate::text::plural(n, "story", "stories")
        ));
        fx.push(Effect::SaveState(self.saved_state()));
    }

    pub(super) fn undo(&mut self, fx: &mut Vec<Effect>) {
        let Some(entry) = self.undo.pop() else {
            self.info("Nothing to undo");
            return;
        };
        for &(i, before) in &entry.changes {
            if let Some(r) = self.read.get_mut(i) {
                *r = before;
            }
        }
        self.info(&format!("Undone: {}", entry.label));
        fx.push(Effect::SaveState(self.saved_state()));
    }
}

impl App {
    /// Another stet on the corpus changed the user data: its read marks (the differences it
    /// made) and its newer annotations show here. What this one shows of its own is kept: an
    /// annotation is replaced only by a newer revision, and only the marks the other changed
    /// move.
    pub(super) fn others_changed(
        &mut self,
        annotations: Vec<crate::annotate::LogRecord>,
        read_added: &[String],
        read_removed: &[String],
    ) {
        let mut marks = 0;
        if self.is_ready() {
            let wanted: std::collections::HashMap<&str, bool> = read_added
                .iter()
                .map(|s| (s.as_str(), true))
                .chain(read_removed.iter().map(|s| (s.as_str(), false)))
                .collect();
            for (i, story) in self.lib.stories.iter().enumerate() {
                if let Some(&read) = wanted.get(story.id.as_str())
                    && let Some(r) = self.read.get_mut(i)
                    && *r != read
                {
                    *r = read;
                    marks += 1;
                }
            }
        } else {
            // Still loading: the marks to restore take the changes.
            let restore = self.restore.get_or_insert_with(|| SavedState {
                version: effect::SAVED_STATE_VERSION,
                ..SavedState::default()
            });
            restore.read.retain(|s| !read_removed.contains(s));
            for s in read_added {
                if !restore.read.contains(s) {
                    restore.read.push(s.clone());
                }
            }
        }
        let mut notes = 0;
        for record in annotations {
            let a = record.annotation();
            let newer = self
                .ann
                .set
                .revision_of(&a.id)
                .is_none_or(|known| a.revision > known);
            if newer && self.ann.set.apply(record) {
                notes += 1;
            }
        }
        if notes > 0 {
            self.ann.generation += 1;
            self.refresh_ann_map();
        }
        if notes + marks > 0 {
            let mut parts = Vec::new();
            if notes > 0 {
                parts.push(crate::text::plural(notes, "annotation", "annotations"));
            }
            if marks > 0 {
                parts.push(crate::text::plural(marks, "read mark", "read marks"));
            }
            self.info(&format!("Another stet changed {}", parts.join(" and ")));
        }
    }
}
