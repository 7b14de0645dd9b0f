//! The panes: loading the corpus into the list, sorting and filtering it, moving through the
//! list, the versions and the reading pane, and the status line.

use super::reader::build_document;
use super::*;

impl App {
    // ----- loading -----

    /// Shows the loaded corpus: the saved sort, filter and selection at once; the read marks
    /// saved are found among the stories off the UI thread (a million stories' ids are not
    /// looked through before the first frame) and fill in when they arrive
    /// ([`App::read_marks_found`]).
    pub(super) fn loaded(&mut self, lib: Library, fx: &mut Vec<Effect>) {
        self.read = vec![false; lib.stories.len()];
        for p in &lib.corpus.problems {
            self.problems.push(p.to_string());
        }
        self.lib = lib;
        self.load = LoadState::Ready;
        let mut keep = None;
        if let Some(state) = self.restore.take() {
            keep = state.selected.as_deref().and_then(|id| {
                self.lib
                    .stories
                    .iter()
                    .position(|s| s.id == id)
                    .or_else(|| {
                        // A story id saved before stable article identity.
                        crate::corpus::identity::legacy_story_ids(
                            &self.lib.corpus,
                            &self.lib.stories,
                        )
                        .iter()
                        .position(|old| old == id)
                    })
            });
            self.resolve_read_marks(state.read, fx);
            if let Some(sort) = state.sort.as_deref().and_then(Sort::from_name) {
                self.sort = sort;
            }
            self.source_filter = state
                .source_filter
                .filter(|f| self.lib.sources.iter().any(|(s, _)| s == f));
        }
        self.rebuild_view(keep);
        if !self.lib.corpus.problems.is_empty() {
            self.status = Some(Status {
                text: format!(
                    "{} loading the corpus; {} lists them",
                    crate::text::plural(self.lib.corpus.problems.len(), "problem", "problems"),
                    self.keymap
                        .first_key(&[Context::Global], Action::ShowProblems)
                        .unwrap_or_else(|| "show_problems".into())
                ),
                error: true,
            });
        }
    }

    /// Recomputes the shown stories (filter, sort) and selects `keep` when it is still shown.
    pub(super) fn rebuild_view(&mut self, keep: Option<usize>) {
        let before = self.selected_story();
        let stories = &self.lib.stories;
        let hits = self.search.hits.as_ref().map(|h| {
            h.stories
                .iter()
                .map(|&(s, _)| s)
                .filter(|&s| match &self.source_filter {
                    Some(src) => stories[s].sources.iter().any(|x| x == src),
                    None => true,
                })
                .collect::<Vec<usize>>()
        });
        let mut view: Vec<usize> = match &self.source_filter {
            _ if hits.is_some() => Vec::new(),
            Some(src) => (0..stories.len())
                .filter(|&i| stories[i].sources.iter().any(|s| s == src))
                .collect(),
            None => (0..stories.len()).collect(),
        };
        let first = &self.lib.first_published;
        // Dated stories first, the most recently first published first.
        let newest = |a: usize, b: usize| match (first[a], first[b]) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => stories[b].first_date.cmp(&stories[a].first_date),
        };
        match self.sort {
            // An every-word search's stories stay best first.
            _ if hits.is_some() => view = hits.unwrap_or_default(),
            Sort::Newest => view.sort_unstable_by(|&a, &b| newest(a, b).then(a.cmp(&b))),
            Sort::MostVersions => view.sort_unstable_by(|&a, &b| {
                stories[b]
                    .versions
                    .len()
                    .cmp(&stories[a].versions.len())
                    .then_with(|| newest(a, b))
                    .then(a.cmp(&b))
            }),
            Sort::Title => {
                let r = self.lib.title_rank();
                view.sort_unstable_by(|&a, &b| r[a].cmp(&r[b]).then(a.cmp(&b)))
            }
            Sort::Source => {
                let r = self.lib.source_rank();
                view.sort_unstable_by(|&a, &b| {
                    r[a].cmp(&r[b]).then_with(|| newest(a, b)).then(a.cmp(&b))
                })
            }
        }
        self.view = view;
        self.list.selected = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(0);
        if self.selected_story() != before || keep.is_none() {
            self.select_default_version();
        }
        self.after_move();
        if !self.search.query.is_empty() {
            self.count_list_matches();
        }
    }

    pub(super) fn set_source_filter(&mut self, filter: Option<String>) {
        self.source_filter = filter;
        self.rebuild_view(self.selected_story());
        match &self.source_filter {
            Some(s) => {
                let msg = format!(
                    "Showing {} from {s}",
                    crate::text::plural(self.view.len(), "story", "stories")
                );
                self.info(&msg)
            }
            None => self.info("Showing all sources"),
        }
    }

    // ----- movement -----

    pub(super) fn page(&self) -> usize {
        match self.focus {
            Pane::List => self.list_height(),
            Pane::Versions => self.versions_height(),
            Pane::Reader => self.reader_height().saturating_sub(1).max(1),
        }
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::List => {
                if self.view.is_empty() {
                    return;
                }
                let to = clamp_add(self.list.selected, delta, self.view.len() - 1);
                self.select_row(to);
            }
            Pane::Versions => {
                let n = self.versions_len();
                if n == 0 {
                    return;
                }
                self.version.selected = clamp_add(self.version.selected, delta, n - 1);
                self.reader.scroll = 0;
                self.after_move();
            }
            Pane::Reader => {
                let max = self.reader_max_scroll();
                self.reader.scroll = clamp_add(self.reader.scroll, delta, max);
                self.cursor_follow_scroll();
            }
        }
    }

    /// Selects row `row` of the list.
    pub(super) fn select_row(&mut self, row: usize) {
        if row != self.list.selected {
            self.list.selected = row;
            self.select_default_version();
        }
        self.after_move();
    }

    /// Shows the selected story's base version: its earliest dated one (versions are in date
    /// order, undated last), the first when none is dated.
    pub(super) fn select_default_version(&mut self) {
        let hit = self.selected_story().and_then(|s| self.hit_version(s));
        self.version = Cursor {
            selected: hit.unwrap_or(0),
            offset: 0,
        };
        self.reader.scroll = 0;
    }

    /// Jumps to the next story related to the one selected; pressed again on the story it
    /// jumped to, goes on through the first story's related list and back to it.
    pub(super) fn next_related(&mut self) {
        let Some(current) = self.selected_story() else {
            return;
        };
        let index_of = |app: &App, id: &str| app.lib.stories.iter().position(|s| s.id == id);
        let (origin, pos) = match self.related_trail {
            Some((origin, pos))
                if self.lib.stories[origin]
                    .related
                    .get(pos)
                    .and_then(|id| index_of(self, id))
                    == Some(current) =>
            {
                (origin, pos + 1)
            }
            _ => (current, 0),
        };
        let related = &self.lib.stories[origin].related;
        if related.is_empty() {
            self.info("No related stories: none shares text with this one");
            return;
        }
        let (target, trail) = match related.get(pos).and_then(|id| index_of(self, id)) {
            Some(t) => (t, Some((origin, pos))),
            None => (origin, None),
        };
        let count = related.len();
        if !self.view.contains(&target) {
            self.source_filter = None;
            self.search = SearchState::default();
            self.rebuild_view(Some(target));
        }
        if let Some(r) = self.view.iter().position(|&s| s == target) {
            self.select_row(r);
        }
        self.related_trail = trail;
        let msg = match trail {
            Some((_, p)) => format!("Related story {} of {count}", p + 1),
            None => "Back to the story the related ones came from".to_string(),
        };
        self.info(&msg);
    }

    pub(super) fn step_version(&mut self, delta: isize) {
        let n = self.versions_len();
        if n == 0 {
            return;
        }
        let to = clamp_add(self.version.selected, delta, n - 1);
        if to != self.version.selected {
            self.version.selected = to;
            self.reader.scroll = 0;
            self.after_move();
        }
        let msg = format!("Version {} of {n}", self.version.selected + 1);
        self.info(&msg);
    }

    pub(super) fn reader_max_scroll(&self) -> usize {
        self.reader.lines.len().saturating_sub(self.reader_height())
    }

    /// Keeps cursors in view and the reading pane's document current.
    pub(super) fn after_move(&mut self) {
        let (h, n) = (self.list_height(), self.view.len());
        self.list.scroll_into_view(h, n);
        let (h, n) = (self.versions_height(), self.versions_len());
        self.version.scroll_into_view(h, n);
        self.refresh_reader();
        self.refresh_ann_map();
    }

    pub(super) fn focus_pane(&mut self, pane: Pane) {
        self.focus = pane;
        if pane == Pane::Reader
            && let Some(s) = self.selected_story()
        {
            self.read[s] = true;
        }
        self.after_move();
    }

    /// Rebuilds the document when the story, version, width or raw flag changed.
    pub(super) fn refresh_reader(&mut self) {
        let Some(story) = self.selected_story() else {
            self.reader.lines.clear();
            self.reader.key = None;
            return;
        };
        // A corpus reopened from its store reads the text of the story shown now.
        self.lib.ensure_story(story);
        let width = self.reader_text_width();
        let key = (story, self.version.selected, width, self.reader.raw);
        if self.reader.key != Some(key) {
            let same_article = self
                .reader
                .key
                .is_some_and(|k| k.0 == story && k.1 == self.version.selected && k.3 == key.3);
            let n = self.lib.stories[story].versions.len();
            let note = format!("version {} of {n}", self.version.selected + 1);
            let headline = self.lib.stories[story].title.as_str();
            self.reader.lines = match self.lib.article(story, self.version.selected) {
                Some(article) => {
                    build_document(article, width, self.reader.raw, Some(&note), Some(headline))
                }
                None => Vec::new(),
            };
            if self.lib.text_unreadable(story, self.version.selected) {
                super::reader::mark_unreadable(&mut self.reader.lines, width);
                let id = self
                    .lib
                    .article(story, self.version.selected)
                    .map_or("", |a| a.id.as_str());
                let problem = format!(
                    "{}: the text could not be read from the corpus cache",
                    super::reader::safe_line(id)
                );
                if !self.problems.contains(&problem) {
                    self.problems.push(problem.clone());
                    self.error(&problem);
                }
            }
            if !same_article {
                self.reader.scroll = 0;
            }
            self.reader.key = Some(key);
            self.find_reader_matches();
            if !same_article {
                self.show_first_mark();
            }
        }
        self.reader.scroll = self.reader.scroll.min(self.reader_max_scroll());
    }

    // ----- status -----

    pub(super) fn info(&mut self, text: &str) {
        self.status = Some(Status {
            text: text.to_string(),
            error: false,
        });
    }

    pub(super) fn error(&mut self, text: &str) {
        self.status = Some(Status {
            text: text.to_string(),
            error: true,
        });
    }
}

/// `base + delta`, kept within `0..=max`.
fn clamp_add(base: usize, delta: isize, max: usize) -> usize {
    base.saturating_add_signed(delta).min(max)
}
