//! The reader's command vocabulary, in one table: every command a key can be bound to, with
//! its name (used in `config.toml` and the help), its help text, its status-bar hint, the hint
//! bars that offer it and the old names it still answers to. The `Action` enum, `Action::ALL`,
//! the names, descriptions, hints and every view's hint list are generated from
//! `static_commands!`'s table below, so they cannot drift apart.
//!
//! The key types ([`KeyChord`], [`KeyCode`]), the key contexts ([`Context`]) and key resolution
//! ([`Keymap`]) live here too. This is a leaf module: it imports nothing of stet, so `config`
//! (which parses `[keys.*]` tables into a [`Keymap`]) and `app` (which resolves keys) both use
//! it without importing each other.
//!
//! Adding a command: one entry in the table (its `///` doc says what it is for), a default key
//! in `config/default.toml`, and its handling in the view that uses it (`app/`).

mod context;
pub mod keymap;

pub use context::{Context, HintBar};
pub use keymap::{KeyChord, KeyCode, Keymap, Resolved, format_sequence, parse_sequence};

/// Generates [`Action`] and its tables from one list of commands:
///
/// ```text
/// /// What the command is for.
/// Variant = "config_name" {
///     help: "the help overlay's line",
///     hint: "hint",                   // the status bar's one- or two-word label
///     bars: [List 3, Reader 1],       // hint bars that show it, at that place
///     aliases: [],          // names it had before (config files keep loading)
/// }
/// ```
///
/// The order of the table is the order of the help overlay.
macro_rules! static_commands {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $name:literal {
            help: $help:expr,
            hint: $hint:literal,
            bars: [$($bar:ident $pos:literal),* $(,)?],
            aliases: [$($alias:literal),* $(,)?] $(,)?
        }
    )*) => {
        /// A bindable command of the reader.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Action {
            /// Every action, in the order the help overlay lists them.
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The name used for this action in `config.toml` and the help overlay.
            pub(crate) const fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// What the action does, for the help overlay.
            pub(crate) const fn description(self) -> &'static str {
                match self {
                    $(Action::$variant => $help,)*
                }
            }

            /// A one- or two-word label for the status-bar hints.
            pub(crate) const fn hint(self) -> &'static str {
                match self {
                    $(Action::$variant => $hint,)*
                }
            }

            /// Older names of the action, still accepted in `config.toml`.
            pub(crate) const fn aliases(self) -> &'static [&'static str] {
                match self {
                    $(Action::$variant => &[$($alias),*],)*
                }
            }

            /// The hint bars that offer the action, with its place in each.
            const fn bars(self) -> &'static [(HintBar, u8)] {
                match self {
                    $(Action::$variant => &[$((HintBar::$bar, $pos)),*],)*
                }
            }
        }
    };
}

impl Action {
    /// The action called `name` in `config.toml` (its name, or an older name of it).
    pub(crate) fn from_name(name: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.name() == name)
            .or_else(|| {
                Action::ALL
                    .iter()
                    .copied()
                    .find(|a| a.aliases().contains(&name))
            })
    }

    /// The actions the hint bar `bar` offers, most important first.
    pub(crate) fn hint_bar(bar: HintBar) -> Vec<Action> {
        let mut out: Vec<(u8, Action)> = Action::ALL
            .iter()
            .filter_map(|&a| {
                a.bars()
                    .iter()
                    .find(|(b, _)| *b == bar)
                    .map(|&(_, pos)| (pos, a))
            })
            .collect();
        out.sort_by_key(|&(pos, _)| pos);
        out.into_iter().map(|(_, a)| a).collect()
    }
}

static_commands! {
    /// One row (or line) down.
    MoveDown = "move_down" {
        help: "Down one row or line",
        hint: "move",
        bars: [Overlay 2, Picker 3, Collate 1, Versions 2],
        aliases: [],
    }
    /// One row (or line) up.
    MoveUp = "move_up" {
        help: "Up one row or line",
        hint: "move",
        bars: [],
        aliases: [],
    }
    /// Half a page down.
    HalfPageDown = "half_page_down" {
        help: "Down half a page",
        hint: "half page",
        bars: [],
        aliases: [],
    }
    /// Half a page up.
    HalfPageUp = "half_page_up" {
        help: "Up half a page",
        hint: "half_page_up",
        bars: [],
        aliases: [],
    }
    /// One page down.
    PageDown = "page_down" {
        help: "Down one page",
        hint: "page",
        bars: [Reader 2],
        aliases: [],
    }
    /// One page up.
    PageUp = "page_up" {
        help: "Up one page",
        hint: "page_up",
        bars: [],
        aliases: [],
    }
    /// To the first row or the top.
    First = "first" {
        help: "To the top",
        hint: "first",
        bars: [],
        aliases: [],
    }
    /// To the last row or the bottom.
    Last = "last" {
        help: "To the bottom",
        hint: "last",
        bars: [],
        aliases: [],
    }
    /// Open the selected story (or version) in the reading pane.
    Open = "open" {
        help: "Open the story in the reading pane",
        hint: "open",
        bars: [AnnList 1, Collate 3, List 1, Versions 1],
        aliases: [],
    }
    /// Close, clear the search, or go back to the list.
    Back = "back" {
        help: "Back: close, clear the search, or return to the list",
        hint: "back",
        bars: [Overlay 1, AnnList 7, Diff 9, Collate 5, Reader 1],
        aliases: [],
    }
    /// Focus the next pane.
    FocusNext = "focus_next" {
        help: "Next pane",
        hint: "pane",
        bars: [List 8, Versions 4],
        aliases: [],
    }
    /// Focus the previous pane.
    FocusPrev = "focus_prev" {
        help: "Previous pane",
        hint: "focus_prev",
        bars: [],
        aliases: [],
    }
    /// Focus the pane to the left.
    FocusLeft = "focus_left" {
        help: "Pane to the left",
        hint: "focus_left",
        bars: [],
        aliases: [],
    }
    /// Focus the pane to the right.
    FocusRight = "focus_right" {
        help: "Pane to the right (opens the story)",
        hint: "focus_right",
        bars: [],
        aliases: [],
    }
    /// Show the next version of the story.
    NextVersion = "next_version" {
        help: "Next version of the story",
        hint: "next version",
        bars: [Collate 2, Reader 6],
        aliases: [],
    }
    /// Show the previous version of the story.
    PrevVersion = "prev_version" {
        help: "Previous version of the story",
        hint: "prev version",
        bars: [Reader 7],
        aliases: [],
    }
    /// Open the collation of every version of the selected story.
    Collate = "collate" {
        help: "Collation: every version of the story in one table",
        hint: "collate",
        bars: [],
        aliases: [],
    }
    /// Jump to the next story related to the selected one (shares text, another report).
    NextRelated = "next_related" {
        help: "Next related story: another report sharing text",
        hint: "related",
        bars: [],
        aliases: [],
    }
    /// Show the raw text with removed lines marked, or the cleaned text.
    ToggleRaw = "toggle_raw" {
        help: "Raw text with removed lines marked, or cleaned text",
        hint: "raw",
        bars: [Versions 3, Reader 8],
        aliases: [],
    }
    /// Start an incremental search.
    Search = "search" {
        help: "Search titles (Tab: all words), article or diff",
        hint: "search",
        bars: [List 2, Reader 9],
        aliases: [],
    }
    /// Jump to the next search match.
    SearchNext = "search_next" {
        help: "Next match",
        hint: "next match",
        bars: [Search 3, Reader 10],
        aliases: [],
    }
    /// While typing a search: switch between searching story titles and every word of every
    /// version (headlines and bodies, through the full-text index).
    SearchScope = "search_scope" {
        help: "Search titles only, or every word (while typing a search)",
        hint: "titles/all words",
        bars: [Search 4],
        aliases: [],
    }
    /// Jump to the previous search match.
    SearchPrev = "search_prev" {
        help: "Previous match",
        hint: "search_prev",
        bars: [],
        aliases: [],
    }
    /// Show only stories with a version from one source.
    FilterSource = "filter_source" {
        help: "Filter the list by source",
        hint: "filter",
        bars: [List 3],
        aliases: [],
    }
    /// Cycle the sort order of the story list.
    CycleSort = "cycle_sort" {
        help: "Sort: newest, most versions, title, source",
        hint: "sort",
        bars: [List 4],
        aliases: [],
    }
    /// Mark the selected story read or unread.
    ToggleRead = "toggle_read" {
        help: "Mark the story read or unread",
        hint: "mark",
        bars: [List 5, Reader 11],
        aliases: [],
    }
    /// Mark every story shown read (undoable).
    MarkAllRead = "mark_all_read" {
        help: "Mark every story shown read (undo with u)",
        hint: "all read",
        bars: [List 6],
        aliases: [],
    }
    /// Undo the last change of read marks.
    Undo = "undo" {
        help: "Undo the last marking",
        hint: "undo",
        bars: [List 7],
        aliases: [],
    }
    /// Compare two versions.
    OpenDiff = "open_diff" {
        help: "Compare two versions of the story (the marked ones, else the earliest and the latest)",
        hint: "diff",
        bars: [Reader 5],
        aliases: [],
    }
    /// Mark a version for the diff.
    MarkVersion = "mark_version" {
        help: "Mark the version for the diff (two at most)",
        hint: "mark",
        bars: [],
        aliases: [],
    }
    /// Next change.
    NextChange = "next_change" {
        help: "Next change",
        hint: "next change",
        bars: [Diff 1],
        aliases: [],
    }
    /// Previous change.
    PrevChange = "prev_change" {
        help: "Previous change",
        hint: "prev change",
        bars: [Diff 2],
        aliases: [],
    }
    /// Show the diff unified or side by side.
    ToggleUnified = "toggle_unified" {
        help: "Unified or side by side",
        hint: "unified",
        bars: [Diff 3],
        aliases: [],
    }
    /// Swap the two versions.
    SwapSides = "swap_sides" {
        help: "Swap the two versions",
        hint: "swap",
        bars: [Diff 4],
        aliases: [],
    }
    /// Show or hide punctuation and quote-style changes.
    ToggleMinor = "toggle_minor" {
        help: "Show or hide punctuation and quote-style changes",
        hint: "minor",
        bars: [Diff 5],
        aliases: [],
    }
    /// Jump to the other place of a moved sentence.
    JumpPartner = "jump_partner" {
        help: "Go to the other place of a moved sentence (↕)",
        hint: "partner",
        bars: [Diff 6],
        aliases: [],
    }
    /// Start a selection at the cursor's sentence.
    SelectStart = "select_start" {
        help: "Start a selection at the cursor's sentence",
        hint: "select",
        bars: [Diff 8, Reader 3],
        aliases: [],
    }
    /// Next sentence.
    SentenceNext = "sentence_next" {
        help: "Next sentence (extends a selection)",
        hint: "sentence",
        bars: [Selecting 5],
        aliases: [],
    }
    /// Previous sentence.
    SentencePrev = "sentence_prev" {
        help: "Previous sentence (extends a selection)",
        hint: "sentence",
        bars: [],
        aliases: [],
    }
    /// Next paragraph.
    ParagraphNext = "paragraph_next" {
        help: "Next paragraph (extends a selection)",
        hint: "paragraph",
        bars: [Selecting 6],
        aliases: [],
    }
    /// Previous paragraph.
    ParagraphPrev = "paragraph_prev" {
        help: "Previous paragraph (extends a selection)",
        hint: "paragraph",
        bars: [],
        aliases: [],
    }
    /// Extend the selection by a word.
    WordNext = "word_next" {
        help: "Extend the selection by a word",
        hint: "word",
        bars: [Selecting 2],
        aliases: [],
    }
    /// Move the selection's end back a word.
    WordPrev = "word_prev" {
        help: "Take a word off the selection's end (or extend backwards)",
        hint: "word back",
        bars: [],
        aliases: [],
    }
    /// Move the selection's end to the end of the next word.
    WordEnd = "word_end" {
        help: "Extend the selection to the end of the next word (a count repeats: 3e)",
        hint: "word end",
        bars: [],
        aliases: [],
    }
    /// Move the selection's end back to the end of the previous word.
    WordEndPrev = "word_end_prev" {
        help: "Move the selection's end back to the end of the previous word",
        hint: "word end back",
        bars: [],
        aliases: [],
    }
    /// Move the selection's end to the next word holding a character (typed next).
    FindChar = "find_char" {
        help: "Extend the selection to the next word with the character typed next (2f, counts)",
        hint: "find char",
        bars: [Selecting 3],
        aliases: [],
    }
    /// Move the selection's end to the word before the next word holding a character.
    TillChar = "till_char" {
        help: "Extend the selection up to the word before the next one with the character typed next",
        hint: "till char",
        bars: [],
        aliases: [],
    }
    /// Move the selection's end back to the previous word holding a character.
    FindCharBack = "find_char_back" {
        help: "Move the selection's end back to the previous word with the character typed next",
        hint: "find back",
        bars: [],
        aliases: [],
    }
    /// Move the selection's end back to the word after the previous word holding a character.
    TillCharBack = "till_char_back" {
        help: "Move the selection's end back to the word after the previous one with the character typed next",
        hint: "till back",
        bars: [],
        aliases: [],
    }
    /// Select only the word at the selection's moving end.
    SelectWord = "select_word" {
        help: "Select just this word (the moving end's): start a selection over again here",
        hint: "this word",
        bars: [Selecting 4],
        aliases: [],
    }
    /// cursor one character left.
    InputLeft = "input_left" {
        help: "Note: cursor one character left",
        hint: "left",
        bars: [],
        aliases: [],
    }
    /// cursor one character right.
    InputRight = "input_right" {
        help: "Note: cursor one character right",
        hint: "right",
        bars: [],
        aliases: [],
    }
    /// cursor to the start of the line.
    InputHome = "input_home" {
        help: "Note: cursor to the start of the line",
        hint: "home",
        bars: [],
        aliases: [],
    }
    /// cursor to the end of the line.
    InputEnd = "input_end" {
        help: "Note: cursor to the end of the line",
        hint: "end",
        bars: [],
        aliases: [],
    }
    /// cursor to the start of the word (or the previous one).
    InputWordLeft = "input_word_left" {
        help: "Note: cursor to the start of the word (or the previous one)",
        hint: "word left",
        bars: [],
        aliases: [],
    }
    /// cursor to the next word.
    InputWordRight = "input_word_right" {
        help: "Note: cursor to the next word",
        hint: "word right",
        bars: [],
        aliases: [],
    }
    /// delete the character at the cursor.
    InputDelete = "input_delete" {
        help: "Note: delete the character at the cursor",
        hint: "delete",
        bars: [],
        aliases: [],
    }
    /// Swap the selection's ends.
    SelectSwap = "select_swap" {
        help: "Swap the ends of the selection",
        hint: "other end",
        bars: [Selecting 7],
        aliases: [],
    }
    /// Cancel the selection.
    SelectCancel = "select_cancel" {
        help: "Cancel the selection",
        hint: "cancel",
        bars: [Selecting 8],
        aliases: [],
    }
    /// Annotate.
    Annotate = "annotate" {
        help: "Annotate the selection (or the cursor's sentence): label, then note",
        hint: "annotate",
        bars: [Selecting 1, Diff 7, Collate 4, Reader 4],
        aliases: [],
    }
    /// Undo the last annotation change.
    AnnUndo = "ann_undo" {
        help: "Undo the last annotation change (in the list, u undoes read marks)",
        hint: "undo",
        bars: [],
        aliases: [],
    }
    /// Redo an annotation change.
    AnnRedo = "ann_redo" {
        help: "Redo the annotation change undone",
        hint: "redo",
        bars: [],
        aliases: [],
    }
    /// New line in the note.
    NoteNewline = "note_newline" {
        help: "New line in the note",
        hint: "new line",
        bars: [Note 2],
        aliases: [],
    }
    /// Save the annotation.
    NoteSave = "note_save" {
        help: "Save the annotation",
        hint: "save",
        bars: [Note 1],
        aliases: [],
    }
    /// Open the annotation list.
    AnnotationList = "annotation_list" {
        help: "The annotations of the corpus (filter, jump, edit, delete)",
        hint: "annotations",
        bars: [],
        aliases: [],
    }
    /// Open the list of orphaned annotations.
    Orphans = "orphans" {
        help: "Annotations whose text cannot be found any more",
        hint: "orphans",
        bars: [],
        aliases: [],
    }
    /// Cycle the label filter.
    FilterLabel = "filter_label" {
        help: "Show one label only (cycles through the labels)",
        hint: "label filter",
        bars: [AnnList 2],
        aliases: [],
    }
    /// Delete an annotation.
    DeleteAnnotation = "delete_annotation" {
        help: "Delete the annotation (asks first)",
        hint: "delete",
        bars: [AnnList 5],
        aliases: [],
    }
    /// Accept a fuzzy anchor where it was found now.
    ConfirmAnchor = "confirm_anchor" {
        help: "Accept a fuzzily re-anchored annotation where it stands now (it becomes exact)",
        hint: "confirm anchor",
        bars: [],
        aliases: [],
    }
    /// Re-attach an annotation (an orphan) to a span chosen by hand in the reading pane.
    Reattach = "reattach" {
        help: "Re-attach the annotation: select its new span in the reading pane, then a",
        hint: "re-attach",
        bars: [AnnList 6],
        aliases: [],
    }
    /// Confirm what was asked.
    Confirm = "confirm" {
        help: "Confirm",
        hint: "confirm",
        bars: [],
        aliases: [],
    }
    /// Edit the note.
    EditNote = "edit_note" {
        help: "Edit the annotation's note",
        hint: "edit",
        bars: [AnnList 3],
        aliases: [],
    }
    /// Change the label.
    Relabel = "relabel" {
        help: "Change the annotation's label",
        hint: "relabel",
        bars: [AnnList 4],
        aliases: [],
    }
    /// Go to the next annotation.
    NextAnnotation = "next_annotation" {
        help: "Next annotation in the article",
        hint: "next ann.",
        bars: [],
        aliases: [],
    }
    /// Go to the previous annotation.
    PrevAnnotation = "prev_annotation" {
        help: "Previous annotation in the article",
        hint: "prev ann.",
        bars: [],
        aliases: [],
    }
    /// List the problems met loading the corpus, the config and the state.
    ShowProblems = "show_problems" {
        help: "Problems met loading the corpus, config and state",
        hint: "show_problems",
        bars: [],
        aliases: [],
    }
    /// Open or close the help overlay.
    Help = "help" {
        help: "Show or hide this help",
        hint: "help",
        bars: [Loading 1, Selecting 9, Diff 10, Collate 6, List 9, Versions 5, Reader 12],
        aliases: [],
    }
    /// Leave stet (reading state is saved).
    Quit = "quit" {
        help: "Quit (reading state is saved)",
        hint: "quit",
        bars: [Loading 2, Overlay 3, Collate 7, List 10, Versions 6, Reader 13],
        aliases: [],
    }
    /// Accept the input or the choice.
    InputSubmit = "input_submit" {
        help: "Accept",
        hint: "accept",
        bars: [Search 1, Picker 1],
        aliases: [],
    }
    /// Cancel the input or the choice.
    InputCancel = "input_cancel" {
        help: "Cancel",
        hint: "cancel",
        bars: [Search 2, LabelPick 1, Note 3, Picker 2],
        aliases: [],
    }
    /// Delete the character before the cursor.
    InputBackspace = "input_backspace" {
        help: "Delete the character before the cursor",
        hint: "delete",
        bars: [Picker 4],
        aliases: [],
    }
    /// Delete the word before the cursor.
    InputDeleteWord = "input_delete_word" {
        help: "Delete the word before the cursor",
        hint: "input_delete_word",
        bars: [],
        aliases: [],
    }
    /// Clear the input.
    InputClear = "input_clear" {
        help: "Clear the input",
        hint: "input_clear",
        bars: [],
        aliases: [],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `DeleteAnnotation` → `delete_annotation`.
    fn snake(variant: &str) -> String {
        let mut out = String::new();
        for (i, c) in variant.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

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

    #[test]
    fn config_names_are_the_command_names() {
        for &a in Action::ALL {
            assert_eq!(snake(&format!("{a:?}")), a.name(), "{a:?}");
        }
    }

    #[test]
    fn old_names_clash_with_no_name() {
        let names: std::collections::HashSet<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        let mut aliases = std::collections::HashSet::new();
        for &a in Action::ALL {
            for alias in a.aliases() {
                assert!(!names.contains(alias), "alias {alias} is a name");
                assert!(aliases.insert(*alias), "alias {alias} twice");
            }
        }
    }

    #[test]
    fn hint_bars_keep_their_order() {
        assert_eq!(
            Action::hint_bar(HintBar::Note),
            vec![Action::NoteSave, Action::NoteNewline, Action::InputCancel]
        );
        assert_eq!(
            Action::hint_bar(HintBar::Loading),
            vec![Action::Help, Action::Quit]
        );
        // Every bar's places are distinct.
        for bar in HintBar::ALL {
            let mut seen = std::collections::HashSet::new();
            for &a in Action::ALL {
                for (b, pos) in a.bars() {
                    if *b == bar {
                        assert!(seen.insert(*pos), "{bar:?} place {pos} twice");
                    }
                }
            }
        }
    }
}
