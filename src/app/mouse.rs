//! The mouse: the top view takes it, else the pane under it.

use super::*;

impl App {
    // ----- mouse -----

    /// A mouse event: the top view takes it (the wheel scrolls the diff and the overlays;
    /// other views ignore the mouse), else the pane under it.
    pub(super) fn handle_mouse(&mut self, m: MouseInput, fx: &mut Vec<Effect>) {
        match (self.layers.last(), m.kind) {
            (None, _) => {}
            (Some(View::Diff(_)), kind) => {
                match kind {
                    MouseKind::ScrollDown => self.diff_scroll(3),
                    MouseKind::ScrollUp => self.diff_scroll(-3),
                    MouseKind::Click => {}
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
                    Pane::Reader => self.focus_pane(Pane::Reader),
                }
            }
        }
    }
}
