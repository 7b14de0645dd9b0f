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
        if let Some(pending) = &mut self.pending_reads {
            // Marks still being looked for: the other's unmarking wins over them.
            pending.retain(|s| !read_removed.contains(s));
        }
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

/// The read marks saved for a corpus, to find among its stories off the UI thread once the
/// list shows ([`Effect::ResolveReadMarks`]): a million stories' ids (and, for marks saved
/// before stable article identity, their former ids) are not looked through before the first
/// frame.
#[derive(Debug, Clone)]
pub struct ReadMarksJob {
    /// The corpus (shared with the app, not copied).
    pub corpus: std::sync::Arc<crate::corpus::Corpus>,
    /// Its stories (shared with the app): the marks found are indices into them.
    pub stories: std::sync::Arc<Vec<crate::corpus::Story>>,
    /// The story ids saved as read.
    pub read: Vec<String>,
}

impl PartialEq for ReadMarksJob {
    fn eq(&self, other: &ReadMarksJob) -> bool {
        std::sync::Arc::ptr_eq(&self.corpus, &other.corpus)
            && std::sync::Arc::ptr_eq(&self.stories, &other.stories)
            && self.read == other.read
    }
}

impl ReadMarksJob {
    /// The stories read, each with the id saved that names it: its own, else (ids saved
    /// before stable article identity) the id it had then.
    pub fn run(&self) -> Vec<(usize, String)> {
        let mut wanted: std::collections::HashSet<&str> =
            self.read.iter().map(String::as_str).collect();
        let mut found = Vec::new();
        for (i, s) in self.stories.iter().enumerate() {
            if wanted.remove(s.id.as_str()) {
                found.push((i, s.id.to_string()));
            }
        }
        if !wanted.is_empty() {
            let legacy = crate::corpus::identity::legacy_story_ids(&self.corpus, &self.stories);
            for (i, old) in legacy.iter().enumerate() {
                if wanted.remove(old.as_str()) {
                    found.push((i, old.clone()));
                }
            }
        }
        found
    }
}

impl App {
    /// The ids of the stories marked read in the list shown (not the marks still being
    /// looked for, [`App::pending_reads`]).
    pub(super) fn marked_read(&self) -> impl Iterator<Item = &str> + '_ {
        self.lib
            .stories
            .iter()
            .zip(&self.read)
            .filter(|(_, r)| **r)
            .map(|(s, _)| s.id.as_str())
    }

    /// The read marks found among the stories ([`ReadMarksJob`]): shown, unless the list
    /// changed meanwhile (then they are looked for again in the new one); a mark another
    /// reader took off meanwhile stays off.
    pub(super) fn read_marks_found(
        &mut self,
        stories: &std::sync::Arc<Vec<crate::corpus::Story>>,
        found: &[(usize, String)],
        fx: &mut Vec<Effect>,
    ) {
        let Some(pending) = self.pending_reads.take() else {
            return;
        };
        if !std::sync::Arc::ptr_eq(stories, &self.lib.stories) {
            self.resolve_read_marks(pending, fx);
            return;
        }
        let still: std::collections::HashSet<&str> = pending.iter().map(String::as_str).collect();
        for (i, id) in found {
            if still.contains(id.as_str())
                && let Some(r) = self.read.get_mut(*i)
            {
                *r = true;
            }
        }
    }

    /// Asks for the stories read among `ids` to be found off the UI thread; until they are,
    /// the ids are kept with the saved state.
    pub(super) fn resolve_read_marks(&mut self, ids: Vec<String>, fx: &mut Vec<Effect>) {
        if ids.is_empty() {
            return;
        }
        self.pending_reads = Some(ids.clone());
        fx.push(Effect::ResolveReadMarks(Box::new(ReadMarksJob {
            corpus: self.lib.corpus.clone(),
            stories: self.lib.stories.clone(),
            read: ids,
        })));
    }
}
