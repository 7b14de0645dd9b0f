//! Every command a key can be bound to. Each has a stable name (used in `config.toml`) and a
//! description (shown in the help overlay and the status-bar hints), so both always show the
//! user's real keys.

/// A bindable command of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Leave stet (reading state is saved).
    Quit,
    /// Open or close the help overlay.
    Help,
    /// One row (or line) down.
    MoveDown,
    /// One row (or line) up.
    MoveUp,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// To the first row or the top.
    First,
    /// To the last row or the bottom.
    Last,
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Focus the pane to the left.
    FocusLeft,
    /// Focus the pane to the right.
    FocusRight,
    /// Open the selected story (or version) in the reading pane.
    Open,
    /// Close, clear the search, or go back to the list.
    Back,
    /// Start an incremental search.
    Search,
    /// Jump to the next search match.
    SearchNext,
    /// Jump to the previous search match.
    SearchPrev,
    /// Show only stories with a version from one source.
    FilterSource,
    /// Cycle the sort order of the story list.
    CycleSort,
    /// Mark the selected story read or unread.
    ToggleRead,
    /// Mark every story shown read (undoable).
    MarkAllRead,
    /// Undo the last change of read marks.
    Undo,
    /// Show the raw text with removed lines marked, or the cleaned text.
    ToggleRaw,
    /// Show the next version of the story.
    NextVersion,
    /// Show the previous version of the story.
    PrevVersion,
    /// List the problems met loading the corpus, the config and the state.
    ShowProblems,
    /// Accept the input or the choice.
    InputSubmit,
    /// Cancel the input or the choice.
    InputCancel,
    /// Delete the character before the cursor.
    InputBackspace,
    /// Delete the word before the cursor.
    InputDeleteWord,
    /// Clear the input.
    InputClear,
}

impl Action {
    /// Every action, in the order the help overlay lists them.
    pub const ALL: &'static [Action] = &[
        Action::MoveDown,
        Action::MoveUp,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::PageDown,
        Action::PageUp,
        Action::First,
        Action::Last,
        Action::Open,
        Action::Back,
        Action::FocusNext,
        Action::FocusPrev,
        Action::FocusLeft,
        Action::FocusRight,
        Action::NextVersion,
        Action::PrevVersion,
        Action::ToggleRaw,
        Action::Search,
        Action::SearchNext,
        Action::SearchPrev,
        Action::FilterSource,
        Action::CycleSort,
        Action::ToggleRead,
        Action::MarkAllRead,
        Action::Undo,
        Action::ShowProblems,
        Action::Help,
        Action::Quit,
        Action::InputSubmit,
        Action::InputCancel,
        Action::InputBackspace,
        Action::InputDeleteWord,
        Action::InputClear,
    ];

    /// The name used for this action in `config.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::MoveDown => "move_down",
            Action::MoveUp => "move_up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::First => "first",
            Action::Last => "last",
            Action::FocusNext => "focus_next",
            Action::FocusPrev => "focus_prev",
            Action::FocusLeft => "focus_left",
            Action::FocusRight => "focus_right",
            Action::Open => "open",
            Action::Back => "back",
            Action::Search => "search",
            Action::SearchNext => "search_next",
            Action::SearchPrev => "search_prev",
            Action::FilterSource => "filter_source",
            Action::CycleSort => "cycle_sort",
            Action::ToggleRead => "toggle_read",
            Action::MarkAllRead => "mark_all_read",
            Action::Undo => "undo",
            Action::ToggleRaw => "toggle_raw",
            Action::NextVersion => "next_version",
            Action::PrevVersion => "prev_version",
            Action::ShowProblems => "show_problems",
            Action::InputSubmit => "input_submit",
            Action::InputCancel => "input_cancel",
            Action::InputBackspace => "input_backspace",
            Action::InputDeleteWord => "input_delete_word",
            Action::InputClear => "input_clear",
        }
    }

    /// What the action does, for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "Quit (reading state is saved)",
            Action::Help => "Show or hide this help",
            Action::MoveDown => "Down one row or line",
            Action::MoveUp => "Up one row or line",
            Action::PageDown => "Down one page",
            Action::PageUp => "Up one page",
            Action::HalfPageDown => "Down half a page",
            Action::HalfPageUp => "Up half a page",
            Action::First => "To the top",
            Action::Last => "To the bottom",
            Action::FocusNext => "Next pane",
            Action::FocusPrev => "Previous pane",
            Action::FocusLeft => "Pane to the left",
            Action::FocusRight => "Pane to the right (opens the story)",
            Action::Open => "Open the story in the reading pane",
            Action::Back => "Back: close, clear the search, or return to the list",
            Action::Search => "Search (incremental; in the list or the article)",
            Action::SearchNext => "Next match",
            Action::SearchPrev => "Previous match",
            Action::FilterSource => "Filter the list by source",
            Action::CycleSort => "Sort: newest, most versions, title, source",
            Action::ToggleRead => "Mark the story read or unread",
            Action::MarkAllRead => "Mark every story shown read (undo with u)",
            Action::Undo => "Undo the last marking",
            Action::ToggleRaw => "Raw text with removed lines marked, or cleaned text",
            Action::NextVersion => "Next version of the story",
            Action::PrevVersion => "Previous version of the story",
            Action::ShowProblems => "Problems met loading the corpus, config and state",
            Action::InputSubmit => "Accept",
            Action::InputCancel => "Cancel",
            Action::InputBackspace => "Delete the character before the cursor",
            Action::InputDeleteWord => "Delete the word before the cursor",
            Action::InputClear => "Clear the input",
        }
    }

    /// A one- or two-word label for the status-bar hints.
    pub fn hint(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::MoveDown | Action::MoveUp => "move",
            Action::Open => "open",
            Action::Back => "back",
            Action::Search => "search",
            Action::SearchNext => "next match",
            Action::FilterSource => "filter",
            Action::CycleSort => "sort",
            Action::ToggleRead => "mark",
            Action::MarkAllRead => "all read",
            Action::Undo => "undo",
            Action::ToggleRaw => "raw",
            Action::NextVersion => "next version",
            Action::PrevVersion => "prev version",
            Action::FocusNext => "pane",
            Action::PageDown => "page",
            Action::HalfPageDown => "half page",
            Action::InputSubmit => "accept",
            Action::InputCancel => "cancel",
            Action::InputBackspace => "delete",
            _ => self.name(),
        }
    }

    /// The action called `name` in `config.toml`.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names = std::collections::HashSet::new();
        for &a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
            assert!(names.insert(a.name()), "duplicate name {}", a.name());
            assert!(!a.description().is_empty());
        }
        assert_eq!(Action::from_name("no_such_action"), None);
    }
}
