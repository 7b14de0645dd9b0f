//! The mouse: the top view takes it, else the pane under it.

use super::*;

impl App {
    // ----- mouse -----

    /// A mouse event: the top view takes it (the wheel scrolls the diff and the overlays;
    /// other views ignore the mouse), else the pane under it.
    pub(super) fn handle_mouse(&mut self, m: MouseInput, fx: &mut Vec<Effect>) {
        match (self.layers.last(), m.kind) {
            (None | Some(View::Select(_)), _) => {}
            (Some(View::Diff(_)), kind) => {
                match kind {
                    MouseKind::ScrollDown => self.diff_scroll(3),
                    MouseKind::ScrollUp => self.diff_scroll(-3),
                    MouseKind::Click | MouseKind::Drag => {}
                }
                return;
            }
            (Some(View::Help { .. } | View::Problems { .. }), MouseKind::ScrollDown) => {
                return self.act(Action::MoveDown, fx);
            }
            (Some(View::Help { .. } | View::Problems { .. }), MouseKind::ScrollUp) => {
                return self.act(Action::MoveUp, fx);
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
                    Pane::Reader => {
                        let word = self.word_at(inner(screen.reader), m.x, m.y);
                        self.focus_pane(Pane::Reader);
                        self.click_word(word);
                    }
                }
            }
            MouseKind::Drag => {
                if pane == Pane::Reader && self.focus == Pane::Reader {
                    let word =
                        self.word_at(screen.reader.map(Area::inner).unwrap_or_default(), m.x, m.y);
                    self.drag_to(word);
                }
            }
        }
    }

    /// The word of the reading pane at column `x`, row `y` (the pane's inner area `inner`).
    fn word_at(&mut self, inner: Area, x: u16, y: u16) -> Option<usize> {
        if !inner.contains(x, y) {
            return None;
        }
        self.refresh_ann_map();
        let width = crate::num::u16_of(self.reader_text_width().min(inner.width as usize));
        let left = inner.x + (inner.width - width) / 2;
        let col = x.checked_sub(left)? as usize;
        let line = self.reader.scroll + (y - inner.y) as usize;
        let words = &self.ann.map.words;
        // The word under the pointer, else the nearest one before it on the line.
        words
            .iter()
            .rposition(|w| w.line == Some(line) && w.cols.start <= col)
            .or_else(|| words.iter().position(|w| w.line == Some(line)))
    }

    /// A click on `word` in the reading pane: the cursor goes to its sentence and `v` starts
    /// there; a selection ends.
    fn click_word(&mut self, word: Option<usize>) {
        let Some(w) = word else {
            return;
        };
        self.set_selection(None);
        self.ann.cursor = self.ann.map.words[w].sentence;
        self.ann.cursor_word = Some(w);
    }

    /// The pointer dragged to `word` with the button held: a selection from the clicked word.
    fn drag_to(&mut self, word: Option<usize>) {
        let Some(w) = word else {
            return;
        };
        match view::selection_mut(&mut self.layers) {
            Some(sel) => sel.head = w,
            None => {
                let anchor = self.ann.cursor_word.unwrap_or(w);
                self.set_selection(Some(annotating::Selection {
                    anchor,
                    head: w,
                    end_of: None,
                }));
                self.info("Selecting: a annotates, Esc cancels (the keys w/e/b, f/t, * go on)");
            }
        }
        self.show_cursor();
    }
}
