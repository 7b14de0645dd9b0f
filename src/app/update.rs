//! The transitions: keys → actions → new state and effects. Pure: no I/O.

use super::reader::build_document;
use super::search::{find_matches, fold};
use super::*;
use crate::config::keymap::Resolved;

impl App {
    /// Handles one message; returns the effects for the runtime to perform.
    pub fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = self.handle_msg(msg);
        // Work handed to the runtime from deep inside an update (a long comparison).
        effects.append(&mut self.pending_effects);
        // Annotations made, undone or loaded show in an open diff or collation.
        self.refresh_diff_annotations();
        self.refresh_collate_marks();
        effects
    }

    fn handle_msg(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.handle_key(key),
            Msg::Mouse(m) => {
                self.handle_mouse(m);
                Vec::new()
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.after_move();
                self.relayout_diff();
                Vec::new()
            }
            Msg::Progress(p) => {
                if !self.is_ready() {
                    self.load = LoadState::Loading(Some(p));
                }
                Vec::new()
            }
            Msg::Loaded(lib) => {
                self.loaded(*lib);
                self.migrate_annotation_ids()
            }
            Msg::LoadFailed(e) => {
                self.problems.push(format!("loading failed: {e}"));
                self.load = LoadState::Failed(e);
                Vec::new()
            }
            Msg::Problem(text) => {
                self.problems.push(text.clone());
                self.error(&text);
                Vec::new()
            }
            Msg::Action(a) => self.update(a),
            Msg::AnnotationsOpened {
                set,
                read_only,
                problems,
            } => {
                self.ann.set = *set;
                self.ann.generation += 1;
                for p in problems {
                    self.problems.push(format!("annotations: {p}"));
                }
                if let Some(r) = &read_only {
                    self.error(&format!("Annotations read-only: {r}"));
                }
                self.ann.read_only = read_only;
                self.refresh_ann_map();
                Vec::new()
            }
            Msg::AnnotationStoreFailed(e) => {
                self.store_failed(e);
                Vec::new()
            }
            Msg::KeyTimeout => self.key_timeout(),
            Msg::Collated(view) => {
                self.collated(*view);
                Vec::new()
            }
            Msg::Compared(key, cmp) => {
                self.compared(key, *cmp);
                Vec::new()
            }
        }
    }

    fn handle_key(&mut self, key: KeyChord) -> Vec<Effect> {
        // Terminals send Esc then a key typed quickly after it as Alt+key: when Alt+key means
        // nothing, take it as the two keys.
        if key.alt && self.pending.is_empty() {
            let chain = self.key_chain();
            if self.keymap.resolve(&chain, &[key]) == Resolved::Unbound {
                let mut effects = self.handle_key(KeyChord::plain(crate::config::KeyCode::Esc));
                if !effects.contains(&Effect::Quit) {
                    effects.extend(self.handle_key(KeyChord { alt: false, ..key }));
                }
                return effects;
            }
        }
        self.status = None;
        let chain = self.key_chain();
        // A key that was both a command and the start of a sequence waits for this one.
        let fallback = self.pending_fallback.take();
        self.pending.push(key);
        match self.keymap.resolve(&chain, &self.pending) {
            Resolved::Action(a) => {
                self.pending.clear();
                self.update(a)
            }
            Resolved::Ambiguous(a) => {
                self.pending_fallback = Some(a);
                Vec::new()
            }
            Resolved::Pending => Vec::new(),
            Resolved::Unbound => {
                let was_sequence = self.pending.len() > 1;
                self.pending.clear();
                if let Some(a) = fallback {
                    // The sequence broke off after a complete command: do it, then this key.
                    let mut effects = self.update(a);
                    if !effects.contains(&Effect::Quit) {
                        effects.extend(self.handle_key(key));
                    }
                    return effects;
                }
                if was_sequence {
                    // The sequence broke off: try the last key on its own.
                    match self.keymap.resolve(&chain, &[key]) {
                        Resolved::Action(a) => return self.update(a),
                        Resolved::Ambiguous(a) => {
                            self.pending.push(key);
                            self.pending_fallback = Some(a);
                            return Vec::new();
                        }
                        Resolved::Pending => {
                            self.pending.push(key);
                            return Vec::new();
                        }
                        Resolved::Unbound => {}
                    }
                }
                if chain[0].takes_text()
                    && let Some(c) = key.text()
                {
                    // A label picked by its key may change an annotation: its effect is in
                    // `pending_effects`, which `handle` returns.
                    self.type_char(c);
                }
                Vec::new()
            }
        }
    }

    /// No key came for a moment after a key that is both a command and the start of a
    /// sequence: take the command.
    fn key_timeout(&mut self) -> Vec<Effect> {
        match self.pending_fallback.take() {
            Some(a) => {
                self.pending.clear();
                self.update(a)
            }
            None => Vec::new(),
        }
    }

    /// Whether a key waits for the next one or a timeout (the runtime then sends
    /// [`Msg::KeyTimeout`] after [`KEY_SEQUENCE_TIMEOUT`](super::KEY_SEQUENCE_TIMEOUT)).
    pub fn awaits_key_timeout(&self) -> bool {
        self.pending_fallback.is_some()
    }

    /// Performs one action; returns the effects for the runtime to perform.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if matches!(action, Action::Back | Action::InputCancel)
            && (self.comparing.is_some() || self.collating.is_some())
        {
            // Esc gives up waiting for a view being computed (its result is dropped).
            self.comparing = None;
            self.collating = None;
            self.info("Cancelled");
            return Vec::new();
        }
        if action == Action::Quit {
            let mut effects = Vec::new();
            if self.is_ready() {
                effects.push(Effect::SaveState(self.saved_state()));
            }
            effects.push(Effect::Quit);
            return effects;
        }
        if matches!(self.mode, Mode::Collate(_)) {
            match action {
                Action::Annotate => {
                    self.collate_annotate();
                    return Vec::new();
                }
                Action::AnnUndo | Action::AnnRedo => return self.ann_undo_redo(action),
                _ => {}
            }
        }
        if let Mode::Collate(view) = &mut self.mode {
            if action == Action::Help {
                // The help overlay replaces the view; `c` reopens it.
                self.mode = Mode::Help { scroll: 0 };
                return Vec::new();
            }
            let page =
                collate::layout_rows(collate::inner_height(self.size.1), view.table.width()).matrix;
            if view.update(action, page, &self.lib) == collate::CollateOutcome::Close {
                self.mode = Mode::Normal;
            }
            return Vec::new();
        }
        match self.mode.clone() {
            Mode::Help { scroll } => {
                let len = self.help_lines().len();
                self.overlay(action, scroll, len, false);
                Vec::new()
            }
            Mode::Problems { scroll } => {
                let len = self.problems.len();
                self.overlay(action, scroll, len, true);
                Vec::new()
            }
            Mode::Picker(picker) => {
                self.picker(action, picker);
                Vec::new()
            }
            Mode::LabelPick => self.label_pick(Some(action), None),
            Mode::AnnList(list) => self.ann_list(action, list),
            Mode::Note { .. } => self.note_input(action),
            Mode::Search => {
                self.search_input(action);
                Vec::new()
            }
            Mode::Normal => self.normal(action),
            // Handled above.
            Mode::Collate(_) => Vec::new(),
        }
    }

    fn overlay(&mut self, action: Action, scroll: usize, len: usize, problems: bool) {
        let page = (self.size.1 as usize).saturating_sub(6).max(1);
        let max = len.saturating_sub(page);
        let scroll = match action {
            Action::MoveDown => scroll + 1,
            Action::MoveUp => scroll.saturating_sub(1),
            Action::PageDown => scroll + page,
            Action::PageUp => scroll.saturating_sub(page),
            Action::HalfPageDown => scroll + page / 2,
            Action::HalfPageUp => scroll.saturating_sub(page / 2),
            Action::First => 0,
            Action::Last => max,
            Action::Back | Action::Help | Action::ShowProblems | Action::InputCancel => {
                self.mode = Mode::Normal;
                return;
            }
            _ => scroll,
        }
        .min(max);
        self.mode = if problems {
            Mode::Problems { scroll }
        } else {
            Mode::Help { scroll }
        };
    }

    fn picker(&mut self, action: Action, mut picker: Picker) {
        let last = picker.shown.len().saturating_sub(1);
        match action {
            Action::MoveDown => picker.selected = (picker.selected + 1).min(last),
            Action::MoveUp => picker.selected = picker.selected.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => {
                picker.selected = (picker.selected + 10).min(last)
            }
            Action::PageUp | Action::HalfPageUp => {
                picker.selected = picker.selected.saturating_sub(10)
            }
            Action::First => picker.selected = 0,
            Action::Last => picker.selected = last,
            Action::InputBackspace => {
                picker.query.pop();
                picker.refilter();
            }
            Action::InputDeleteWord | Action::InputClear => {
                picker.query.clear();
                picker.refilter();
            }
            Action::InputCancel | Action::Back => {
                self.mode = Mode::Normal;
                return;
            }
            Action::InputSubmit | Action::Open => {
                let Some(item) = picker.chosen() else {
                    self.error("Nothing matches; Esc cancels");
                    self.mode = Mode::Picker(picker);
                    return;
                };
                self.mode = Mode::Normal;
                match picker.kind {
                    PickerKind::Source => {
                        let chosen = (item > 0).then(|| picker.items[item].0.clone());
                        self.set_source_filter(chosen);
                    }
                }
                return;
            }
            _ => {}
        }
        self.mode = Mode::Picker(picker);
    }

    /// A character typed into the active text input (search or picker).
    fn type_char(&mut self, c: char) {
        match &mut self.mode {
            Mode::Picker(p) => {
                p.query.push(c);
                p.refilter();
            }
            Mode::LabelPick => {
                let effects = self.label_pick(None, Some(c));
                self.pending_effects.extend(effects);
            }
            Mode::Note { .. } => self.note_type(c),
            _ => {
                self.search.query.push(c);
                self.search_changed();
            }
        }
    }

    fn normal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Help => {
                self.mode = Mode::Help { scroll: 0 };
                return Vec::new();
            }
            Action::ShowProblems => {
                if self.problems.is_empty() {
                    self.info("No problems loading the config, the state or the corpus");
                } else {
                    self.mode = Mode::Problems { scroll: 0 };
                }
                return Vec::new();
            }
            _ => {}
        }
        if !self.is_ready() {
            return Vec::new();
        }
        if self.diff.is_some() {
            if self.diff_select_update(action) {
                return Vec::new();
            }
            match action {
                Action::Annotate => {
                    if !self.diff_annotate_selection() {
                        self.diff_annotate();
                    }
                    return Vec::new();
                }
                Action::AnnUndo | Action::AnnRedo => return self.ann_update(action),
                _ => {}
            }
        }
        if self.diff.is_some() && self.diff_update(action) {
            return Vec::new();
        }
        if self.diff.is_none()
            && self.focus == Pane::Reader
            && matches!(
                action,
                Action::SelectStart
                    | Action::SentenceNext
                    | Action::SentencePrev
                    | Action::ParagraphNext
                    | Action::ParagraphPrev
                    | Action::WordNext
                    | Action::WordPrev
                    | Action::SelectSwap
                    | Action::SelectCancel
                    | Action::Annotate
                    | Action::AnnUndo
                    | Action::AnnRedo
                    | Action::NextAnnotation
                    | Action::PrevAnnotation
            )
        {
            return self.ann_update(action);
        }
        match action {
            Action::OpenAnnList => self.open_ann_list(false),
            Action::OpenOrphans => self.open_ann_list(true),
            Action::OpenDiff => self.open_diff(),
            Action::MarkVersion => self.toggle_version_mark(),
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::PageDown => self.move_by(self.page() as isize),
            Action::PageUp => self.move_by(-(self.page() as isize)),
            Action::HalfPageDown => self.move_by((self.page() / 2).max(1) as isize),
            Action::HalfPageUp => self.move_by(-((self.page() / 2).max(1) as isize)),
            Action::First => self.move_by(isize::MIN / 2),
            Action::Last => self.move_by(isize::MAX / 2),
            Action::FocusNext | Action::FocusPrev => {
                let i = Pane::CYCLE
                    .iter()
                    .position(|&p| p == self.focus)
                    .unwrap_or(0);
                let n = Pane::CYCLE.len();
                let next = if action == Action::FocusNext {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.focus_pane(Pane::CYCLE[next]);
            }
            Action::FocusLeft if self.focus != Pane::List => self.focus_pane(Pane::List),
            Action::FocusRight | Action::Open if self.focus != Pane::Reader => {
                self.focus_pane(Pane::Reader)
            }
            Action::Back => {
                if self.focus != Pane::List {
                    self.focus_pane(Pane::List);
                } else if !self.search.query.is_empty() {
                    self.clear_search();
                } else if self.source_filter.is_some() {
                    self.set_source_filter(None);
                }
            }
            Action::Search => {
                self.search = SearchState {
                    origin: Some((self.focus, self.list.selected, self.reader.scroll)),
                    ..SearchState::default()
                };
                self.mode = Mode::Search;
            }
            Action::SearchNext => self.search_step(true),
            Action::SearchPrev => self.search_step(false),
            Action::FilterSource => {
                let mut items = vec![("All sources".to_string(), self.lib.stories.len())];
                items.extend(self.lib.sources.iter().cloned());
                let selected = self
                    .source_filter
                    .as_ref()
                    .and_then(|f| items.iter().position(|(s, _)| s == f))
                    .unwrap_or(0);
                self.mode = Mode::Picker(Picker::new(
                    PickerKind::Source,
                    "Show stories from",
                    items,
                    selected,
                ));
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.rebuild_view(self.selected_story());
                self.info(&format!("Sorted by {}", self.sort.label()));
            }
            Action::ToggleRead => return self.toggle_read(),
            Action::MarkAllRead => return self.mark_all_read(),
            Action::Undo => return self.undo(),
            Action::ToggleRaw => {
                self.reader.raw = !self.reader.raw;
                self.refresh_reader();
                self.info(if self.reader.raw {
                    "Raw text: removed lines marked −"
                } else {
                    "Cleaned text"
                });
            }
            Action::NextVersion => self.step_version(1),
            Action::PrevVersion => self.step_version(-1),
            Action::Collate => return self.open_collate(),
            Action::NextRelated => self.next_related(),
            _ => {}
        }
        Vec::new()
    }

    /// Opens the collation view of the selected story.
    /// Opens the collation of the selected story: at once when it is small, else on a worker
    /// (the reader stays usable; the view opens when it is ready, if that story is still
    /// selected).
    fn open_collate(&mut self) -> Vec<Effect> {
        let Some(story) = self.selected_story() else {
            return Vec::new();
        };
        if self.collating == Some(story) {
            self.info("Still collating this story…");
            return Vec::new();
        }
        if let Some(view) = self.collate_ready.take()
            && view.story == story
        {
            self.mode = Mode::Collate(view);
            return Vec::new();
        }
        let title = self
            .lib
            .display_titles
            .get(story)
            .cloned()
            .unwrap_or_default();
        let Some(job) = collate::CollateJob::new(&self.lib, story, title) else {
            self.info("No story selected");
            return Vec::new();
        };
        if job.size() <= collate::COLLATE_INLINE_BYTES {
            self.mode = Mode::Collate(Box::new(job.run()));
            return Vec::new();
        }
        self.collating = Some(story);
        self.info(&format!(
            "Collating {} versions… (keys keep working; the view opens when it is ready)",
            job.versions.len()
        ));
        vec![Effect::Collate(Box::new(job))]
    }

    /// A collation from the worker: shown if its story is still selected and nothing else
    /// took the screen.
    fn collated(&mut self, view: collate::CollateView) {
        if self.collating != Some(view.story) {
            return;
        }
        self.collating = None;
        if self.mode == Mode::Normal
            && self.diff.is_none()
            && self.selected_story() == Some(view.story)
        {
            self.mode = Mode::Collate(Box::new(view));
        } else {
            let key = self
                .keymap
                .first_key(&[Context::Global], Action::Collate)
                .unwrap_or_else(|| "collate".into());
            self.collate_ready = Some(Box::new(view));
            self.info(&format!("Collation ready: {key} opens it"));
        }
    }

    // ----- loading -----

    fn loaded(&mut self, lib: Library) {
        self.read = vec![false; lib.stories.len()];
        for p in &lib.corpus.problems {
            self.problems.push(p.to_string());
        }
        self.lib = lib;
        self.load = LoadState::Ready;
        let mut keep = None;
        if let Some(state) = self.restore.take() {
            let ids: std::collections::HashMap<&str, usize> = self
                .lib
                .stories
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect();
            // Story ids saved before stable article identity, where an article id changed.
            let legacy =
                crate::corpus::identity::legacy_story_ids(&self.lib.corpus, &self.lib.stories);
            let mut ids = ids;
            for (i, old) in legacy.iter().enumerate() {
                ids.entry(old.as_str()).or_insert(i);
            }
            for id in &state.read {
                if let Some(&i) = ids.get(id.as_str()) {
                    self.read[i] = true;
                }
            }
            keep = state
                .selected
                .as_deref()
                .and_then(|id| ids.get(id).copied());
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
                    "{} problem(s) loading the corpus; {} lists them",
                    self.lib.corpus.problems.len(),
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
        let mut view: Vec<usize> = match &self.source_filter {
            Some(src) => (0..stories.len())
                .filter(|&i| stories[i].sources.iter().any(|s| s == src))
                .collect(),
            None => (0..stories.len()).collect(),
        };
        let latest = &self.lib.latest;
        // Dated stories first, newest first.
        let newest = |a: usize, b: usize| match (latest[a], latest[b]) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => stories[b].last_date.cmp(&stories[a].last_date),
        };
        match self.sort {
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
                let r = &self.lib.title_rank;
                view.sort_unstable_by(|&a, &b| r[a].cmp(&r[b]).then(a.cmp(&b)))
            }
            Sort::Source => {
                let r = &self.lib.source_rank;
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

    fn set_source_filter(&mut self, filter: Option<String>) {
        self.source_filter = filter;
        self.rebuild_view(self.selected_story());
        match &self.source_filter {
            Some(s) => {
                let msg = format!("Showing {} stories from {s}", self.view.len());
                self.info(&msg)
            }
            None => self.info("Showing all sources"),
        }
    }

    // ----- movement -----

    fn page(&self) -> usize {
        match self.focus {
            Pane::List => self.list_height(),
            Pane::Versions => self.versions_height(),
            Pane::Reader => self.reader_height().saturating_sub(1).max(1),
        }
    }

    fn move_by(&mut self, delta: isize) {
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
    fn select_row(&mut self, row: usize) {
        if row != self.list.selected {
            self.list.selected = row;
            self.select_default_version();
        }
        self.after_move();
    }

    /// Shows the latest version of the selected story.
    fn select_default_version(&mut self) {
        self.version = Cursor {
            selected: self.versions_len().saturating_sub(1),
            offset: 0,
        };
        self.reader.scroll = 0;
    }

    /// Jumps to the next story related to the one selected; pressed again on the story it
    /// jumped to, goes on through the first story's related list and back to it.
    fn next_related(&mut self) {
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

    fn step_version(&mut self, delta: isize) {
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

    fn reader_max_scroll(&self) -> usize {
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
    fn refresh_reader(&mut self) {
        let Some(story) = self.selected_story() else {
            self.reader.lines.clear();
            self.reader.key = None;
            return;
        };
        let width = self.reader_text_width();
        let key = (story, self.version.selected, width, self.reader.raw);
        if self.reader.key != Some(key) {
            let same_article = self
                .reader
                .key
                .is_some_and(|k| k.0 == story && k.1 == self.version.selected && k.3 == key.3);
            let n = self.lib.stories[story].versions.len();
            let note = format!("version {} of {n}", self.version.selected + 1);
            self.reader.lines = match self.lib.article(story, self.version.selected) {
                Some(article) => build_document(article, width, self.reader.raw, Some(&note)),
                None => Vec::new(),
            };
            if !same_article {
                self.reader.scroll = 0;
            }
            self.reader.key = Some(key);
            self.find_reader_matches();
        }
        self.reader.scroll = self.reader.scroll.min(self.reader_max_scroll());
    }

    // ----- search -----

    fn search_target_is_reader(&self) -> bool {
        let focus = self.search.origin.map_or(self.focus, |o| o.0);
        focus == Pane::Reader
    }

    fn search_input(&mut self, action: Action) {
        match action {
            Action::InputSubmit => {
                self.mode = Mode::Normal;
                if self.search.query.is_empty() {
                    self.clear_search();
                } else {
                    self.report_search();
                }
            }
            Action::InputCancel => {
                self.mode = Mode::Normal;
                if let Some((focus, row, scroll)) = self.search.origin {
                    self.focus = focus;
                    self.select_row(row.min(self.view.len().saturating_sub(1)));
                    self.reader.scroll = scroll.min(self.reader_max_scroll());
                }
                self.clear_search();
            }
            Action::InputBackspace => {
                self.search.query.pop();
                self.search_changed();
            }
            Action::InputDeleteWord => {
                let q = self.search.query.trim_end();
                let cut = q.rfind(' ').map_or(0, |i| i + 1);
                self.search.query.truncate(cut);
                self.search_changed();
            }
            Action::InputClear => {
                self.search.query.clear();
                self.search_changed();
            }
            Action::SearchNext => self.search_step(true),
            Action::SearchPrev => self.search_step(false),
            _ => {}
        }
    }

    fn clear_search(&mut self) {
        self.search = SearchState::default();
    }

    /// The query changed while typing: recount and jump to the first match from the origin.
    fn search_changed(&mut self) {
        if !self.is_ready() {
            return;
        }
        let (focus, row, scroll) =
            self.search
                .origin
                .unwrap_or((self.focus, self.list.selected, self.reader.scroll));
        self.count_list_matches();
        if self.search.query.is_empty() {
            self.search.reader_matches.clear();
            self.search.current = None;
            if focus == Pane::Reader {
                self.reader.scroll = scroll.min(self.reader_max_scroll());
            } else {
                self.select_row(row.min(self.view.len().saturating_sub(1)));
            }
            return;
        }
        if focus == Pane::Reader {
            self.find_reader_matches();
            let first = self
                .search
                .reader_matches
                .iter()
                .position(|(l, _)| *l >= scroll)
                .or(if self.search.reader_matches.is_empty() {
                    None
                } else {
                    Some(0)
                });
            self.search.current = first;
            self.scroll_to_current_match();
        } else {
            match self.next_list_match(row, true, true) {
                Some(r) => self.select_row(r),
                None => self.select_row(row.min(self.view.len().saturating_sub(1))),
            }
            // The article beside the list highlights the query too.
            self.find_reader_matches();
        }
    }

    fn count_list_matches(&mut self) {
        let q = fold(&self.search.query);
        self.search.list_matches = if q.is_empty() {
            0
        } else {
            self.view
                .iter()
                .filter(|&&i| self.lib.folded_titles[i].contains(&q))
                .count()
        };
    }

    /// The next list row (from `from`, wrapping) whose title matches the query.
    fn next_list_match(&self, from: usize, forward: bool, inclusive: bool) -> Option<usize> {
        let n = self.view.len();
        let q = fold(&self.search.query);
        if n == 0 || q.is_empty() {
            return None;
        }
        let start = if inclusive { 0 } else { 1 };
        (start..n + start)
            .map(|k| {
                if forward {
                    (from + k) % n
                } else {
                    (from + n * 2 - k) % n
                }
            })
            .find(|&r| self.lib.folded_titles[self.view[r]].contains(&q))
    }

    fn find_reader_matches(&mut self) {
        self.search.reader_matches.clear();
        self.search.current = None;
        if self.search.query.is_empty() {
            return;
        }
        for (i, line) in self.reader.lines.iter().enumerate() {
            for m in find_matches(&line.text, &self.search.query) {
                self.search.reader_matches.push((i, m));
            }
        }
    }

    fn scroll_to_current_match(&mut self) {
        if let Some(c) = self.search.current
            && let Some((line, _)) = self.search.reader_matches.get(c)
        {
            let h = self.reader_height();
            if *line < self.reader.scroll || *line >= self.reader.scroll + h {
                self.reader.scroll = line.saturating_sub(h / 3);
            }
            self.reader.scroll = self.reader.scroll.min(self.reader_max_scroll());
        }
    }

    fn search_step(&mut self, forward: bool) {
        if self.search.query.is_empty() {
            let key = self
                .keymap
                .first_key(&[Context::Global], Action::Search)
                .unwrap_or_else(|| "search".into());
            self.info(&format!("No search: press {key} to search"));
            return;
        }
        if self.search_target_is_reader() || self.focus == Pane::Reader {
            let n = self.search.reader_matches.len();
            if n == 0 {
                self.error(&format!(
                    "No match for {:?} in this article",
                    self.search.query
                ));
                return;
            }
            self.search.current = Some(match self.search.current {
                Some(c) if forward => (c + 1) % n,
                Some(c) => (c + n - 1) % n,
                None => {
                    let scroll = self.reader.scroll;
                    let after = self
                        .search
                        .reader_matches
                        .iter()
                        .position(|(l, _)| *l >= scroll);
                    if forward { after.unwrap_or(0) } else { n - 1 }
                }
            });
            self.scroll_to_current_match();
        } else {
            match self.next_list_match(self.list.selected, forward, false) {
                Some(r) => self.select_row(r),
                None => {
                    self.error(&format!("No story title matches {:?}", self.search.query));
                    return;
                }
            }
        }
        if self.mode == Mode::Normal {
            self.report_search();
        }
    }

    fn report_search(&mut self) {
        let msg = if self.search_target_is_reader() || self.focus == Pane::Reader {
            let n = self.search.reader_matches.len();
            match self.search.current {
                Some(c) if n > 0 => format!("/{}: match {} of {n}", self.search.query, c + 1),
                _ => format!("/{}: no match in this article", self.search.query),
            }
        } else {
            let n = self.search.list_matches;
            format!(
                "/{}: {n} matching {}",
                self.search.query,
                if n == 1 { "story" } else { "stories" }
            )
        };
        self.info(&msg);
    }

    // ----- read marks -----

    fn toggle_read(&mut self) -> Vec<Effect> {
        let Some(s) = self.selected_story() else {
            return Vec::new();
        };
        let before = self.read[s];
        self.read[s] = !before;
        self.undo.push(UndoEntry {
            label: format!("marked a story {}", if before { "unread" } else { "read" }),
            changes: vec![(s, before)],
        });
        vec![Effect::SaveState(self.saved_state())]
    }

    fn mark_all_read(&mut self) -> Vec<Effect> {
        let changes: Vec<(usize, bool)> = self
            .view
            .iter()
            .filter(|&&i| !self.read[i])
            .map(|&i| (i, false))
            .collect();
        if changes.is_empty() {
            self.info("Every story shown is read already");
            return Vec::new();
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
            label: format!("marked {n} stories read"),
            changes,
        });
        self.info(&format!("Marked {n} stories read; {undo_key} undoes"));
        vec![Effect::SaveState(self.saved_state())]
    }

    fn undo(&mut self) -> Vec<Effect> {
        let Some(entry) = self.undo.pop() else {
            self.info("Nothing to undo");
            return Vec::new();
        };
        for &(i, before) in &entry.changes {
            if let Some(r) = self.read.get_mut(i) {
                *r = before;
            }
        }
        self.info(&format!("Undone: {}", entry.label));
        vec![Effect::SaveState(self.saved_state())]
    }

    // ----- mouse -----

    fn handle_mouse(&mut self, m: MouseInput) {
        if self.mode == Mode::Normal && self.diff.is_some() {
            match m.kind {
                MouseKind::ScrollDown => self.diff_scroll(3),
                MouseKind::ScrollUp => self.diff_scroll(-3),
                MouseKind::Click => {}
            }
            return;
        }
        match (&self.mode, m.kind) {
            (Mode::Normal, _) => {}
            (Mode::Help { .. } | Mode::Problems { .. }, MouseKind::ScrollDown) => {
                self.update(Action::MoveDown);
                return;
            }
            (Mode::Help { .. } | Mode::Problems { .. }, MouseKind::ScrollUp) => {
                self.update(Action::MoveUp);
                return;
            }
            _ => return,
        }
        if !self.is_ready() {
            return;
        }
        let screen = self.screen();
        let over = |a: Option<Area>| a.is_some_and(|a| a.contains(m.x, m.y));
        let pane = if over(screen.list) {
            Pane::List
        } else if over(screen.versions) {
            Pane::Versions
        } else if over(screen.reader) {
            Pane::Reader
        } else {
            return;
        };
        match m.kind {
            MouseKind::ScrollUp | MouseKind::ScrollDown => {
                let delta = if m.kind == MouseKind::ScrollUp { -3 } else { 3 };
                let focus = self.focus;
                self.focus = pane;
                self.move_by(delta);
                self.focus = focus;
            }
            MouseKind::Click => {
                let inner = |a: Option<Area>| a.map(Area::inner).unwrap_or_default();
                match pane {
                    Pane::List => {
                        let area = inner(screen.list);
                        if area.contains(m.x, m.y) {
                            let row = self.list.offset + (m.y - area.y) as usize;
                            if row < self.view.len() {
                                self.select_row(row);
                            }
                        }
                        self.focus_pane(Pane::List);
                    }
                    Pane::Versions => {
                        let area = inner(screen.versions);
                        if area.contains(m.x, m.y) {
                            let row = self.version.offset + (m.y - area.y) as usize;
                            if row < self.versions_len() && row != self.version.selected {
                                self.version.selected = row;
                                self.reader.scroll = 0;
                            }
                        }
                        self.focus_pane(Pane::Versions);
                    }
                    Pane::Reader => self.focus_pane(Pane::Reader),
                }
            }
        }
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
    let v = base as i128 + delta as i128;
    v.clamp(0, max as i128) as usize
}
