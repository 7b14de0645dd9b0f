//! Key contexts (the `[keys.NAME]` tables of `config.toml`) and hint bars (the status bar's
//! command lists). Each view of the app names the contexts its keys are looked up in and the
//! hint bar it shows.

/// A set of key bindings; the keymap is looked up in a chain of contexts, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere in normal mode (after the pane's own context).
    Global,
    /// The story list.
    List,
    /// The versions pane.
    Versions,
    /// The reading pane.
    Reader,
    /// The diff view of two versions.
    Diff,
    /// Making a selection in the reading pane.
    Select,
    /// The label picker of a new annotation.
    Label,
    /// Typing an annotation's note.
    Note,
    /// The annotation list.
    AnnList,
    /// Typing a search.
    Search,
    /// The help and problems overlays.
    Help,
    /// A picker popup.
    Picker,
    /// The collation view.
    Collate,
}

impl Context {
    /// Every context, in the order of the help overlay.
    pub(crate) const ALL: [Context; 13] = [
        Context::Global,
        Context::List,
        Context::Versions,
        Context::Reader,
        Context::Diff,
        Context::Select,
        Context::Label,
        Context::Note,
        Context::AnnList,
        Context::Search,
        Context::Picker,
        Context::Help,
        Context::Collate,
    ];

    /// The table name in `config.toml` (`[keys.NAME]`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Versions => "versions",
            Context::Reader => "reader",
            Context::Diff => "diff",
            Context::Select => "select",
            Context::Label => "label",
            Context::Note => "note",
            Context::AnnList => "annotations",
            Context::Search => "search",
            Context::Help => "help",
            Context::Picker => "picker",
            Context::Collate => "collate",
        }
    }

    /// The heading in the help overlay.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Story list",
            Context::Versions => "Versions",
            Context::Reader => "Reading pane",
            Context::Diff => "Diff of two versions",
            Context::Select => "Selecting text to annotate",
            Context::Label => "Choosing a label (its key)",
            Context::Note => "Typing a note",
            Context::AnnList => "The annotation list",
            Context::Search => "Typing a search",
            Context::Help => "Help and problems",
            Context::Picker => "Choosing from a list",
            Context::Collate => "Collation",
        }
    }

    /// The context called `name` in `config.toml`.
    pub(crate) fn from_name(name: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether keys not bound in this context are typed as text.
    pub(crate) fn takes_text(self) -> bool {
        matches!(
            self,
            Context::Search | Context::Picker | Context::Label | Context::Note
        )
    }
}

/// A list of commands the status bar offers; each view shows one. Which commands a bar holds,
/// and in what order, is written in the command table ([`super::Action::hint_bar`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HintBar {
    /// The corpus is still loading.
    Loading,
    /// Typing a search.
    Search,
    /// The help or problems overlay.
    Overlay,
    /// The label picker.
    LabelPick,
    /// The annotation list.
    AnnList,
    /// The note input.
    Note,
    /// A selection is being made (reading pane or diff view).
    Selecting,
    /// The diff view.
    Diff,
    /// A picker popup.
    Picker,
    /// The collation view.
    Collate,
    /// The story list.
    List,
    /// The versions pane.
    Versions,
    /// The reading pane.
    Reader,
}

impl HintBar {
    /// Every hint bar.
    #[cfg(test)]
    pub(crate) const ALL: [HintBar; 13] = [
        HintBar::Loading,
        HintBar::Search,
        HintBar::Overlay,
        HintBar::LabelPick,
        HintBar::AnnList,
        HintBar::Note,
        HintBar::Selecting,
        HintBar::Diff,
        HintBar::Picker,
        HintBar::Collate,
        HintBar::List,
        HintBar::Versions,
        HintBar::Reader,
    ];
}
