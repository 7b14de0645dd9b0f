//! The transitions: messages → actions → new state and effects. Pure: no I/O, no clock (the
//! time comes with the message), and every update appends its effects to one `&mut Vec<Effect>`.

use super::*;
use crate::command::Resolved;
use crate::num::isize_of;

impl App {
    /// Handles one message stamped with the current time; returns the effects for the runtime
    /// to perform. (The runtime calls [`App::handle_at`]; tests and benches call this.)
    pub fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = Vec::new();
        self.handle_at(msg, Timestamp::now(), &mut effects);
        effects
    }

    /// Handles one message that came at `now`, appending the effects for the runtime to
    /// perform to `effects`.
    pub(crate) fn handle_at(&mut self, msg: Msg, now: Timestamp, effects: &mut Vec<Effect>) {
        self.now = now;
        self.handle_msg(msg, effects);
        // A watch update that came while a view was open, once the panes are back.
        if self.watch.pending.is_some() {
            self.apply_pending_watch(effects);
        }
        // A selection belongs to the reading pane: it ends when the focus leaves the pane.
        if self.focus != Pane::Reader {
            self.set_selection(None);
        }
        // Annotations made, undone or loaded show in an open diff or collation.
        self.refresh_diff_annotations();
        self.refresh_collate_marks();
    }

    fn handle_msg(&mut self, msg: Msg, fx: &mut Vec<Effect>) {
        match msg {
            Msg::Key(key) => self.handle_key(key, fx),
            Msg::Mouse(m) => self.handle_mouse(m, fx),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.after_move();
                self.relayout_diff();
            }
            Msg::Progress(p) => {
                if !self.is_ready() {
                    self.load = LoadState::Loading(Some(p));
                }
            }
            Msg::Loaded(lib) => {
                self.loaded(*lib, fx);
                self.migrate_annotation_ids(fx);
                self.request_index(fx);
            }
            Msg::IndexProgress { done, total } => {
                if matches!(
                    self.index,
                    IndexState::Opening | IndexState::Building { .. }
                ) {
                    self.index = IndexState::Building { done, total };
                }
            }
            Msg::IndexReady { .. } => self.index_ready(fx),
            Msg::OthersChanged {
                annotations,
                read_added,
                read_removed,
            } => self.others_changed(annotations, &read_added, &read_removed),
            Msg::IndexFailed(e) => {
                self.problems
                    .push(format!("search index: {e}; every-word search is off"));
                self.index = IndexState::Failed(e);
            }
            Msg::Searched { query, result } => self.searched(query, result),
            Msg::IndexDamaged(why) => self.index_damaged(why, fx),
            Msg::LoadFailed(e) => {
                self.problems.push(format!("loading failed: {e}"));
                self.load = LoadState::Failed(e);
            }
            Msg::Problem(text) => {
                self.problems.push(text.clone());
                self.error(&text);
            }
            Msg::Action(a) => self.act(a, fx),
            Msg::AnnotationsOpened {
                set,
                read_only,
                problems,
                restore,
            } => {
                self.ann.set = *set;
                self.ann.generation += 1;
                if restore.is_some() {
                    self.restore = restore;
                }
                for p in &problems {
                    self.problems.push(format!("annotations: {p}"));
                }
                if let Some(r) = &read_only {
                    self.error(&format!("Annotations read-only: {r}"));
                } else if !problems.is_empty() {
                    self.error(&format!(
                        "{} with the saved state; press ! to see them",
                        crate::text::plural(problems.len(), "problem", "problems")
                    ));
                }
                self.ann.read_only = read_only;
                self.refresh_ann_map();
            }
            Msg::AnnotationStoreFailed(e) => self.store_failed(e),
            Msg::KeyTimeout => self.key_timeout(fx),
            Msg::Collated(view) => self.collated(*view),
            Msg::Compared(key, cmp) => self.compared(key, *cmp, fx),
            Msg::WatchUpdated(lib, summary) => self.watch_updated(*lib, summary, fx),
            Msg::JobProgress(p) => self.waiting.progress = Some(p),
            Msg::ReadMarksFound { stories, found } => self.read_marks_found(&stories, &found, fx),
        }
    }

    fn handle_key(&mut self, key: KeyChord, fx: &mut Vec<Effect>) {
        // Terminals send Esc then a key typed quickly after it as Alt+key: when Alt+key means
        // nothing, take it as the two keys.
        if key.alt && self.pending.is_empty() {
            let chain = self.key_chain();
            if self.keymap.resolve(&chain, &[key]) == Resolved::Unbound {
                self.handle_key(KeyChord::plain(crate::command::KeyCode::Esc), fx);
                if !fx.contains(&Effect::Quit) {
                    self.handle_key(KeyChord { alt: false, ..key }, fx);
                }
                return;
            }
        }
        self.status = None;
        let chain = self.key_chain();
        // A find motion (`f`) takes the next key as its character; anything else cancels it.
        if let Some((action, count)) = self.find_pending.take() {
            match key.text() {
                Some(c) if !key.ctrl && !key.alt => self.find_motion(action, c, count),
                _ => self.info("Find cancelled"),
            }
            return;
        }
        // A count before a selection motion (`3w`): digits no key of the chain binds.
        if chain[0] == Context::Select
            && self.pending.is_empty()
            && !key.ctrl
            && !key.alt
            && let Some(d) = key.text().and_then(|c| c.to_digit(10))
            && (d > 0 || self.count > 0)
            && self.keymap.resolve(&chain, &[key]) == Resolved::Unbound
        {
            self.count = (self.count * 10 + d as usize).min(9999);
            self.info(&format!("Count {}", self.count));
            return;
        }
        // A key that was both a command and the start of a sequence waits for this one.
        let fallback = self.pending_fallback.take();
        self.pending.push(key);
        match self.keymap.resolve(&chain, &self.pending) {
            Resolved::Action(a) => {
                self.pending.clear();
                let count = std::mem::take(&mut self.count);
                if annotating::is_find(a) {
                    self.find_pending = Some((a, count.max(1)));
                    self.info("Find: type the character");
                } else if annotating::counts(a) {
                    for _ in 0..count.max(1) {
                        self.act(a, fx);
                    }
                } else {
                    self.act(a, fx);
                }
            }
            Resolved::Ambiguous(a) => self.pending_fallback = Some(a),
            Resolved::Pending => {}
            Resolved::Unbound => {
                self.count = 0;
                let was_sequence = self.pending.len() > 1;
                self.pending.clear();
                if let Some(a) = fallback {
                    // The sequence broke off after a complete command: do it, then this key.
                    self.act(a, fx);
                    if !fx.contains(&Effect::Quit) {
                        self.handle_key(key, fx);
                    }
                    return;
                }
                if was_sequence {
                    // The sequence broke off: try the last key on its own.
                    match self.keymap.resolve(&chain, &[key]) {
                        Resolved::Action(a) => return self.act(a, fx),
                        Resolved::Ambiguous(a) => {
                            self.pending.push(key);
                            self.pending_fallback = Some(a);
                            return;
                        }
                        Resolved::Pending => {
                            self.pending.push(key);
                            return;
                        }
                        Resolved::Unbound => {}
                    }
                }
                if chain[0].takes_text()
                    && let Some(c) = key.text()
                {
                    self.type_char(c, fx);
                }
            }
        }
    }

    /// No key came for a moment after a key that is both a command and the start of a
    /// sequence: take the command.
    fn key_timeout(&mut self, fx: &mut Vec<Effect>) {
        if let Some(a) = self.pending_fallback.take() {
            self.pending.clear();
            self.act(a, fx);
        }
    }

    /// Whether a key waits for the next one or a timeout (the runtime then sends
    /// [`Msg::KeyTimeout`] after [`KEY_SEQUENCE_TIMEOUT`]).
    pub fn awaits_key_timeout(&self) -> bool {
        self.pending_fallback.is_some()
    }

    /// Performs one action; returns the effects for the runtime to perform.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        self.act(action, &mut effects);
        effects
    }

    /// Performs one action: the top view handles it (the panes when there is none).
    pub(super) fn act(&mut self, action: Action, fx: &mut Vec<Effect>) {
        if matches!(action, Action::Back | Action::InputCancel)
            && (self.waiting.compare.is_some() || self.waiting.collate.is_some())
        {
            // Esc gives up waiting for a view being computed: the job is cancelled (it stops
            // at its next step; nothing of it is kept).
            if self.waiting.compare.take().is_some() {
                fx.push(Effect::Cancel(JobKind::Compare));
            }
            if self.waiting.collate.take().is_some() {
                fx.push(Effect::Cancel(JobKind::Collate));
            }
            self.info("Cancelled");
            return;
        }
        if action == Action::Quit {
            if self.is_ready() {
                fx.push(Effect::SaveState(self.saved_state()));
            }
            fx.push(Effect::Quit);
            return;
        }
        match self.layers.last() {
            None | Some(View::Diff(_) | View::Select(_)) => return self.base_update(action, fx),
            Some(View::Collate(_)) => return self.collate_update(action, fx),
            Some(_) => {}
        }
        // The other views are small: taken off the stack, they go back unless they close.
        let Some(top) = self.layers.pop() else {
            return;
        };
        match top {
            View::Help { scroll } => {
                let len = self.help_lines().len();
                self.overlay(action, scroll, len, false);
            }
            View::Problems { scroll } => {
                let len = self.problems.len();
                self.overlay(action, scroll, len, true);
            }
            View::Picker(picker) => self.picker(action, picker),
            View::LabelPick => {
                let outcome = self.ann.label_picker.update(action);
                self.label_pick(outcome, fx);
            }
            View::AnnList(list) => self.ann_list(action, list, fx),
            View::Note { label, text } => self.note_input(action, label, text, fx),
            View::Search => self.search_input(action, fx),
            view @ (View::Diff(_) | View::Collate(_) | View::Select(_)) => self.layers.push(view),
        }
    }

    /// An action in the collation view.
    fn collate_update(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::Annotate => return self.collate_annotate(),
            Action::AnnUndo | Action::AnnRedo => return self.ann_undo_redo(action, fx),
            Action::Help => {
                // The help overlay replaces the view; `c` reopens it.
                self.layers.pop();
                self.layers.push(View::Help { scroll: 0 });
                return;
            }
            _ => {}
        }
        let Some(View::Collate(view)) = self.layers.last_mut() else {
            return;
        };
        let page =
            collate::layout_rows(collate::inner_height(self.size.1), view.table.width()).matrix;
        if view.update(action, page, &self.lib) == collate::CollateOutcome::Close {
            self.layers.pop();
        }
    }

    /// An action in the help or problems overlay, taken off the stack.
    fn overlay(&mut self, action: Action, scroll: usize, len: usize, problems: bool) {
        let page = (self.size.1 as usize).saturating_sub(6).max(1);
        if let Some(scroll) = view::overlay_scroll(scroll, action, page, len) {
            self.layers.push(if problems {
                View::Problems { scroll }
            } else {
                View::Help { scroll }
            });
        }
    }

    /// An action in a picker, taken off the stack.
    fn picker(&mut self, action: Action, mut picker: Picker) {
        match picker.update(action) {
            PickerOutcome::Stay => self.layers.push(View::Picker(picker)),
            PickerOutcome::Close => {}
            PickerOutcome::NothingMatches => {
                self.error("Nothing matches; Esc cancels");
                self.layers.push(View::Picker(picker));
            }
            PickerOutcome::Chosen(item) => match picker.kind {
                PickerKind::Source => {
                    let chosen = (item > 0).then(|| picker.items[item].0.clone());
                    self.set_source_filter(chosen);
                }
            },
        }
    }

    /// A character typed into the active text input (search, picker, label picker, note).
    fn type_char(&mut self, c: char, fx: &mut Vec<Effect>) {
        match self.layers.last_mut() {
            Some(View::Picker(p)) => p.type_char(c),
            Some(View::LabelPick) => {
                self.layers.pop();
                let outcome = self.ann.label_picker.type_char(c, &self.ann.labels);
                self.label_pick(outcome, fx);
            }
            Some(View::Note { .. }) => self.note_type(c),
            _ => {
                self.search.query.push(c);
                self.search_changed(fx);
            }
        }
    }

    /// An action for the panes, or the diff view when it is on top.
    fn base_update(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::Help => return self.layers.push(View::Help { scroll: 0 }),
            Action::ShowProblems => {
                if self.problems.is_empty() {
                    self.info("No problems loading the config, the state or the corpus");
                } else {
                    self.layers.push(View::Problems { scroll: 0 });
                }
                return;
            }
            _ => {}
        }
        if !self.is_ready() {
            return;
        }
        if self.diff().is_some() {
            if self.diff_select_update(action, fx) {
                return;
            }
            match action {
                Action::Annotate => {
                    if !self.diff_annotate_selection() {
                        self.diff_annotate();
                    }
                    return;
                }
                Action::AnnUndo | Action::AnnRedo => return self.ann_update(action, fx),
                Action::SearchNext | Action::SearchPrev
                    if self.diff_search_step(action == Action::SearchNext) =>
                {
                    return;
                }
                Action::Back if self.diff().is_some_and(|d| !d.search.found.is_empty()) => {
                    let width = self.diff_text_width();
                    if let Some(d) = self.diff_mut() {
                        d.clear_found(width);
                    }
                    return self.info("Search marks cleared");
                }
                _ => {}
            }
            if self.diff_update(action, fx) {
                return;
            }
        } else if self.focus == Pane::Reader
            && matches!(
                action,
                Action::SelectStart
                    | Action::SentenceNext
                    | Action::SentencePrev
                    | Action::ParagraphNext
                    | Action::ParagraphPrev
                    | Action::WordNext
                    | Action::WordPrev
                    | Action::WordEnd
                    | Action::WordEndPrev
                    | Action::SelectWord
                    | Action::SelectSwap
                    | Action::SelectCancel
                    | Action::Annotate
                    | Action::AnnUndo
                    | Action::AnnRedo
                    | Action::NextAnnotation
                    | Action::PrevAnnotation
            )
        {
            return self.ann_update(action, fx);
        }
        if action == Action::Back && self.ann.reattach.take().is_some() {
            return self.info("Re-attach cancelled: the annotation stays where it was");
        }
        match action {
            Action::AnnotationList => self.open_ann_list(false),
            Action::Orphans => self.open_ann_list(true),
            Action::OpenDiff => self.open_diff(fx),
            Action::MarkVersion => self.toggle_version_mark(),
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::PageDown => self.move_by(isize_of(self.page())),
            Action::PageUp => self.move_by(-isize_of(self.page())),
            Action::HalfPageDown => self.move_by(isize_of((self.page() / 2).max(1))),
            Action::HalfPageUp => self.move_by(-isize_of((self.page() / 2).max(1))),
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
                    self.clear_search(fx);
                } else if self.source_filter.is_some() {
                    self.set_source_filter(None);
                }
            }
            Action::Search => self.start_search(fx),
            Action::SearchNext => self.search_step(true, true),
            Action::SearchPrev => self.search_step(false, true),
            Action::FilterSource => {
                let mut items = vec![("All sources".to_string(), self.lib.stories.len())];
                items.extend(self.lib.sources.iter().cloned());
                let selected = self
                    .source_filter
                    .as_ref()
                    .and_then(|f| items.iter().position(|(s, _)| s == f))
                    .unwrap_or(0);
                self.layers.push(View::Picker(Picker::new(
                    PickerKind::Source,
                    "Show stories from",
                    items,
                    selected,
                )));
            }
            Action::CycleSort if self.search.hits.is_some() => {
                self.info("An every-word search shows the best match first; Esc shows every story")
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.rebuild_view(self.selected_story());
                self.info(&format!("Sorted by {}", self.sort.label()));
            }
            Action::ToggleRead => self.toggle_read(fx),
            Action::MarkAllRead => self.mark_all_read(fx),
            Action::Undo => self.undo(fx),
            Action::ToggleRaw => {
                self.reader.raw = !self.reader.raw;
                self.refresh_reader();
                // The raw text has no words to select: a selection ends.
                self.refresh_ann_map();
                self.info(if self.reader.raw {
                    "Raw text: removed lines marked −"
                } else {
                    "Cleaned text"
                });
            }
            Action::NextVersion => self.step_version(1),
            Action::PrevVersion => self.step_version(-1),
            Action::Collate => self.open_collate(fx),
            Action::NextRelated => self.next_related(),
            _ => {}
        }
    }
}
