//! The watch archive open in the reader (`stet watch:`): a poller in the runtime brings a new
//! library when versions arrive; it replaces the shown one (when no view is open over the panes,
//! else once they close), keeping the selection, the read marks and the position, and marking
//! the stories that gained versions: a badge in the list, unread again.

use std::collections::{BTreeSet, HashMap};

use super::library::Library;
use super::{App, Effect, Status};

/// The live state of a watched corpus.
#[derive(Debug, Clone, Default)]
pub struct WatchLive {
    /// Ids of the stories that gained versions while the reader was open.
    pub new_stories: BTreeSet<String>,
    /// A library that arrived while a view was open, applied when the panes are back.
    pub pending: Option<Box<Library>>,
    /// The last poll's summary.
    pub last_round: Option<String>,
}

impl App {
    /// A poll brought `lib` (the archive with its new versions).
    pub(super) fn watch_updated(&mut self, lib: Library, summary: String, fx: &mut Vec<Effect>) {
        self.watch.last_round = Some(summary);
        self.watch.pending = Some(Box::new(lib));
        self.apply_pending_watch(fx);
    }

    /// Puts a waiting library in place once nothing above the panes refers to the old one.
    pub(super) fn apply_pending_watch(&mut self, fx: &mut Vec<Effect>) {
        if !self.layers.is_empty() || !self.is_ready() || self.watch.pending.is_none() {
            return;
        }
        let Some(lib) = self.watch.pending.take() else {
            return;
        };
        let lib = *lib;
        // What the user had, by story id.
        let old_versions: HashMap<String, usize> = self
            .lib
            .stories
            .iter()
            .map(|s| (s.id.to_string(), s.versions.len()))
            .collect();
        let read: BTreeSet<String> = self.marked_read().map(str::to_string).collect();
        let selected = self
            .selected_story()
            .map(|i| self.lib.stories[i].id.to_string());
        let version = self.version.selected;
        let mut gained = 0usize;
        for s in lib.stories.iter() {
            let before = old_versions.get(s.id.as_str()).copied().unwrap_or(0);
            if s.versions.len() > before {
                gained += s.versions.len() - before;
                self.watch.new_stories.insert(s.id.to_string());
            }
        }
        self.read = lib
            .stories
            .iter()
            .map(|s| {
                read.contains(s.id.as_str()) && !self.watch.new_stories.contains(s.id.as_str())
            })
            .collect();
        let keep = selected
            .as_deref()
            .and_then(|id| lib.stories.iter().position(|s| s.id == id));
        self.lib = lib;
        // Everything that held story or version indices of the old library.
        self.diff_cache = super::DiffCache::default();
        self.version_marks.clear();
        self.marks_story = None;
        self.related_trail = None;
        self.undo.clear();
        self.waiting.compare = None;
        self.waiting.collate = None;
        self.waiting.collate_ready = None;
        self.reader.key = None;
        // An every-word search's stories are the old library's; its index is built again
        // when versions arrived (opened, when current, otherwise).
        if self.search.hits.take().is_some() || self.search.asked.take().is_some() {
            self.search = super::SearchState {
                scope: self.search.scope,
                ..super::SearchState::default()
            };
        }
        self.request_index(fx);
        if let Some(Effect::BuildIndex(job)) = fx.last_mut() {
            job.rebuild = gained > 0;
        }
        self.rebuild_view(keep);
        if keep.is_some() {
            let n = self
                .selected_story()
                .map_or(0, |i| self.lib.stories[i].versions.len());
            self.version.selected = version.min(n.saturating_sub(1));
        }
        self.refresh_ann_map();
        if gained > 0 {
            self.status = Some(Status {
                text: format!(
                    "watch: {} arrived (stories marked +)",
                    crate::text::plural(gained, "new version", "new versions")
                ),
                error: false,
            });
            fx.push(Effect::SaveState(self.saved_state()));
        }
    }

    /// Whether story `si` gained versions while the reader was open.
    pub fn watch_new(&self, si: usize) -> bool {
        !self.watch.new_stories.is_empty()
            && self
                .lib
                .stories
                .get(si)
                .is_some_and(|s| self.watch.new_stories.contains(s.id.as_str()))
    }
}
