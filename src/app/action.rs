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
    /// Open the collation of every version of the selected story.
    Collate,
    /// Jump to the next story related to the selected one (shares text, another report).
    NextRelated,
    /// List the problems met loading the corpus, the config and the state.
    ShowProblems,
    /// Compare two versions.
    OpenDiff,
    /// Mark a version for the diff.
    MarkVersion,
    /// Next change.
    NextChange,
    /// Previous change.
    PrevChange,
    /// Show the diff unified or side by side.
    ToggleUnified,
    /// Swap the two versions.
    SwapSides,
    /// Show or hide punctuation and quote-style changes.
    ToggleMinor,
    /// Jump to the other place of a moved sentence.
    JumpPartner,
    /// Start a selection at the cursor's sentence.
    SelectStart,
    /// Next sentence.
    SentenceNext,
    /// Previous sentence.
    SentencePrev,
    /// Next paragraph.
    ParagraphNext,
    /// Previous paragraph.
    ParagraphPrev,
    /// Extend the selection by a word.
    WordNext,
    /// Move the selection's end back a word.
    WordPrev,
    /// Swap the selection's ends.
    SelectSwap,
    /// Cancel the selection.
    SelectCancel,
    /// Annotate.
    Annotate,
    /// Undo the last annotation change.
    AnnUndo,
    /// Redo an annotation change.
    AnnRedo,
    /// New line in the note.
    NoteNewline,
    /// Save the annotation.
    NoteSave,
    /// Open the annotation list.
    OpenAnnList,
    /// Open the list of orphaned annotations.
    OpenOrphans,
    /// Cycle the label filter.
    CycleLabelFilter,
    /// Delete an annotation.
    AnnDelete,
    /// Confirm what was asked.
    Confirm,
    /// Edit the note.
    AnnEdit,
    /// Change the label.
    AnnRelabel,
    /// Go to the next annotation.
    NextAnnotation,
    /// Go to the previous annotation.
    PrevAnnotation,
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
        Action::Collate,
        Action::NextRelated,
        Action::ToggleRaw,
        Action::Search,
        Action::SearchNext,
        Action::SearchPrev,
        Action::FilterSource,
        Action::CycleSort,
        Action::ToggleRead,
        Action::MarkAllRead,
        Action::Undo,
        Action::OpenDiff,
        Action::MarkVersion,
        Action::NextChange,
        Action::PrevChange,
        Action::ToggleUnified,
        Action::SwapSides,
        Action::ToggleMinor,
        Action::JumpPartner,
        Action::SelectStart,
        Action::SentenceNext,
        Action::SentencePrev,
        Action::ParagraphNext,
        Action::ParagraphPrev,
        Action::WordNext,
        Action::WordPrev,
        Action::SelectSwap,
        Action::SelectCancel,
        Action::Annotate,
        Action::AnnUndo,
        Action::AnnRedo,
        Action::NoteNewline,
        Action::NoteSave,
        Action::OpenAnnList,
        Action::OpenOrphans,
        Action::CycleLabelFilter,
        Action::AnnDelete,
        Action::Confirm,
        Action::AnnEdit,
        Action::AnnRelabel,
        Action::NextAnnotation,
        Action::PrevAnnotation,
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
            Action::Collate => "collate",
            Action::NextRelated => "next_related",
            Action::ShowProblems => "show_problems",
            Action::OpenDiff => "open_diff",
            Action::MarkVersion => "mark_version",
            Action::NextChange => "next_change",
            Action::PrevChange => "prev_change",
            Action::ToggleUnified => "toggle_unified",
            Action::SwapSides => "swap_sides",
            Action::ToggleMinor => "toggle_minor",
            Action::JumpPartner => "jump_partner",
            Action::SelectStart => "select_start",
            Action::SentenceNext => "sentence_next",
            Action::SentencePrev => "sentence_prev",
            Action::ParagraphNext => "paragraph_next",
            Action::ParagraphPrev => "paragraph_prev",
            Action::WordNext => "word_next",
            Action::WordPrev => "word_prev",
            Action::SelectSwap => "select_swap",
            Action::SelectCancel => "select_cancel",
            Action::Annotate => "annotate",
            Action::AnnUndo => "ann_undo",
            Action::AnnRedo => "ann_redo",
            Action::NoteNewline => "note_newline",
            Action::NoteSave => "note_save",
            Action::OpenAnnList => "annotation_list",
            Action::OpenOrphans => "orphans",
            Action::CycleLabelFilter => "filter_label",
            Action::AnnDelete => "delete_annotation",
            Action::Confirm => "confirm",
            Action::AnnEdit => "edit_note",
            Action::AnnRelabel => "relabel",
            Action::NextAnnotation => "next_annotation",
            Action::PrevAnnotation => "prev_annotation",
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
            Action::Collate => "Collation: every version of the story in one table",
            Action::NextRelated => "Next related story: another report sharing text",
            Action::ShowProblems => "Problems met loading the corpus, config and state",
            Action::OpenDiff => {
                "Compare two versions of the story (the marked ones, else the earliest and the latest)"
            }
            Action::MarkVersion => "Mark the version for the diff (two at most)",
            Action::NextChange => "Next change",
            Action::PrevChange => "Previous change",
            Action::ToggleUnified => "Unified or side by side",
            Action::SwapSides => "Swap the two versions",
            Action::ToggleMinor => "Show or hide punctuation and quote-style changes",
            Action::JumpPartner => "Go to the other place of a moved sentence (↕)",
            Action::SelectStart => "Start a selection at the cursor's sentence",
            Action::SentenceNext => "Next sentence (extends a selection)",
            Action::SentencePrev => "Previous sentence (extends a selection)",
            Action::ParagraphNext => "Next paragraph (extends a selection)",
            Action::ParagraphPrev => "Previous paragraph (extends a selection)",
            Action::WordNext => "Extend the selection by a word",
            Action::WordPrev => "Take a word off the selection's end (or extend backwards)",
            Action::SelectSwap => "Swap the ends of the selection",
            Action::SelectCancel => "Cancel the selection",
            Action::Annotate => {
                "Annotate the selection (or the cursor's sentence): label, then note"
            }
            Action::AnnUndo => "Undo the last annotation change (in the list, u undoes read marks)",
            Action::AnnRedo => "Redo the annotation change undone",
            Action::NoteNewline => "New line in the note",
            Action::NoteSave => "Save the annotation",
            Action::OpenAnnList => "The annotations of the corpus (filter, jump, edit, delete)",
            Action::OpenOrphans => "Annotations whose text cannot be found any more",
            Action::CycleLabelFilter => "Show one label only (cycles through the labels)",
            Action::AnnDelete => "Delete the annotation (asks first)",
            Action::Confirm => "Confirm",
            Action::AnnEdit => "Edit the annotation's note",
            Action::AnnRelabel => "Change the annotation's label",
            Action::NextAnnotation => "Next annotation in the article",
            Action::PrevAnnotation => "Previous annotation in the article",
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
            Action::NextRelated => "related",
            Action::Collate => "collate",
            Action::FocusNext => "pane",
            Action::PageDown => "page",
            Action::HalfPageDown => "half page",
            Action::OpenDiff => "diff",
            Action::MarkVersion => "mark",
            Action::NextChange => "next change",
            Action::PrevChange => "prev change",
            Action::ToggleUnified => "unified",
            Action::SwapSides => "swap",
            Action::ToggleMinor => "minor",
            Action::JumpPartner => "partner",
            Action::SelectStart => "select",
            Action::SentenceNext => "sentence",
            Action::SentencePrev => "sentence",
            Action::ParagraphNext => "paragraph",
            Action::ParagraphPrev => "paragraph",
            Action::WordNext => "word",
            Action::WordPrev => "word back",
            Action::SelectSwap => "other end",
            Action::SelectCancel => "cancel",
            Action::Annotate => "annotate",
            Action::AnnUndo => "undo",
            Action::AnnRedo => "redo",
            Action::NoteNewline => "new line",
            Action::NoteSave => "save",
            Action::OpenAnnList => "annotations",
            Action::OpenOrphans => "orphans",
            Action::CycleLabelFilter => "label filter",
            Action::AnnDelete => "delete",
            Action::Confirm => "confirm",
            Action::AnnEdit => "edit",
            Action::AnnRelabel => "relabel",
            Action::NextAnnotation => "next ann.",
            Action::PrevAnnotation => "prev ann.",
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
