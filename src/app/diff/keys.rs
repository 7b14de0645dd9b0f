//! The diff view's keys: the cursor, paging, the change and partner jumps and the view
//! switches, on the view's own state. The app shows the message and performs what the view
//! cannot do itself (closing, comparing the swapped pair).

use super::*;

/// What the diff view asks of the app after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DiffOutcome {
    /// The view does not use the action.
    Ignored,
    /// Done.
    Done,
    /// Done; show this message.
    Said(String),
    /// Close the view.
    Close,
    /// Compare the two versions the other way round.
    Swap,
}

impl DiffState {
    /// Applies `action` with `h` rows shown, `width` columns wide.
    pub(crate) fn update(&mut self, action: Action, h: usize, width: usize) -> DiffOutcome {
        let max_scroll = self.rows.len().saturating_sub(h);
        let last = self.items.len().saturating_sub(1);
        match action {
            Action::Back => return DiffOutcome::Close,
            Action::MoveDown => self.cursor = (self.cursor + 1).min(last),
            Action::MoveUp => self.cursor = self.cursor.saturating_sub(1),
            Action::PageDown | Action::PageUp | Action::HalfPageDown | Action::HalfPageUp => {
                let step = match action {
                    Action::PageDown | Action::PageUp => h.saturating_sub(2).max(1),
                    _ => (h / 2).max(1),
                };
                self.scroll = if matches!(action, Action::PageDown | Action::HalfPageDown) {
                    (self.scroll + step).min(max_scroll)
                } else {
                    self.scroll.saturating_sub(step)
                };
                let top = self.item_at_row(self.scroll);
                // The cursor stays on screen: the first item starting in the window.
                self.cursor = (top..self.items.len())
                    .find(|&i| self.item_row[i] >= self.scroll)
                    .filter(|&i| self.item_row[i] < self.scroll + h)
                    .unwrap_or(top);
                return DiffOutcome::Done;
            }
            Action::First => self.cursor = 0,
            Action::Last => self.cursor = last,
            Action::NextChange | Action::PrevChange | Action::SearchNext | Action::SearchPrev => {
                let forward = matches!(action, Action::NextChange | Action::SearchNext);
                let found = if forward {
                    (self.cursor + 1..self.items.len()).find(|&i| self.is_change(i))
                } else {
                    (0..self.cursor).rev().find(|&i| self.is_change(i))
                };
                return DiffOutcome::Said(match found {
                    Some(i) => {
                        self.cursor = i;
                        let k = (0..=i).filter(|&j| self.is_change(j)).count();
                        let n = self.change_count();
                        self.center_on_cursor(h);
                        format!("Change {k} of {n}")
                    }
                    None if forward => "No change below".into(),
                    None => "No change above".into(),
                });
            }
            Action::JumpPartner | Action::Open => {
                return DiffOutcome::Said(match self.partner(self.cursor) {
                    Some(p) => {
                        self.cursor = p;
                        let line = self.item_row[p] + 1;
                        self.center_on_cursor(h);
                        format!("Moved sentence: line {line}")
                    }
                    None => "Not a moved sentence (↕): nothing to jump to".into(),
                });
            }
            Action::ToggleUnified => {
                self.unified = !self.unified;
                let cur = self.cursor;
                self.layout(width);
                self.cursor = cur;
                self.center_on_cursor(h);
                let msg = if self.unified {
                    "Unified"
                } else {
                    "Side by side"
                };
                return DiffOutcome::Said(msg.into());
            }
            Action::ToggleMinor => {
                self.show_minor = !self.show_minor;
                let cur = self.cursor;
                self.layout(width);
                self.cursor = cur;
                let msg = if self.show_minor {
                    "Showing punctuation and quote-style changes"
                } else {
                    "Hiding punctuation and quote-style changes"
                };
                return DiffOutcome::Said(msg.into());
            }
            Action::SwapSides => return DiffOutcome::Swap,
            _ => return DiffOutcome::Ignored,
        }
        self.keep_cursor_visible(h);
        DiffOutcome::Done
    }

    /// Scrolls so the cursor's item is in view, `h` rows shown.
    pub(crate) fn keep_cursor_visible(&mut self, h: usize) {
        let max_scroll = self.rows.len().saturating_sub(h);
        let rows = self.item_rows(self.cursor);
        if rows.start < self.scroll {
            self.scroll = rows.start;
        } else if rows.end > self.scroll + h {
            self.scroll = rows.end.saturating_sub(h).min(rows.start);
        }
        self.scroll = self.scroll.min(max_scroll);
    }

    /// Scrolls so the cursor's item starts a third of the way down (when it is not in view).
    pub(super) fn center_on_cursor(&mut self, h: usize) {
        let rows = self.item_rows(self.cursor);
        if rows.start < self.scroll || rows.end > self.scroll + h {
            self.scroll = rows.start.saturating_sub(h / 3);
        }
        self.scroll = self.scroll.min(self.rows.len().saturating_sub(h));
    }
}
