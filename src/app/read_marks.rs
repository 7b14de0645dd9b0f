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
