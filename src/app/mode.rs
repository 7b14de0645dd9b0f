//! Panes, modes and key contexts. A new view (diff, collation) adds a `Pane`/`Mode` variant and
//! a `Context`; the keymap, the help overlay and the hints pick it up from `Context::ALL`.

/// A pane that can hold the keyboard focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// The story list.
    List,
    /// The versions of the selected story.
    Versions,
    /// The reading pane.
    Reader,
}

impl Pane {
    /// The focus cycle used by `focus_next` / `focus_prev`.
    pub const CYCLE: [Pane; 3] = [Pane::List, Pane::Versions, Pane::Reader];

    /// The key context of the pane.
    pub fn context(self) -> Context {
        match self {
            Pane::List => Context::List,
            Pane::Versions => Context::Versions,
            Pane::Reader => Context::Reader,
        }
    }
}

/// What the keyboard currently drives, above the panes.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Keys go to the focused pane.
    Normal,
    /// Typing a search query.
    Search,
    /// The help overlay, scrolled by `scroll` lines.
    Help {
        /// First line shown.
        scroll: usize,
    },
    /// The problems overlay, scrolled by `scroll` lines.
    Problems {
        /// First line shown.
        scroll: usize,
    },
    /// Choosing one item of a list in a popup.
    Picker(Picker),
    /// The collation of every version of a story.
    Collate(Box<super::collate::CollateView>),
}

/// What a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// The source filter of the story list.
    Source,
}

/// A popup list to choose one item from.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// What the choice is for.
    pub kind: PickerKind,
    /// Heading of the popup.
    pub title: String,
    /// The items: label and a count shown beside it.
    pub items: Vec<(String, usize)>,
    /// Index of the highlighted item.
    pub selected: usize,
}

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
    pub const ALL: [Context; 8] = [
        Context::Global,
        Context::List,
        Context::Versions,
        Context::Reader,
        Context::Search,
        Context::Picker,
        Context::Help,
        Context::Collate,
    ];

    /// The table name in `config.toml` (`[keys.NAME]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Versions => "versions",
            Context::Reader => "reader",
            Context::Search => "search",
            Context::Help => "help",
            Context::Picker => "picker",
            Context::Collate => "collate",
        }
    }

    /// The heading in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Story list",
            Context::Versions => "Versions",
            Context::Reader => "Reading pane",
            Context::Search => "Typing a search",
            Context::Help => "Help and problems",
            Context::Picker => "Choosing from a list",
            Context::Collate => "Collation",
        }
    }

    /// The context called `name` in `config.toml`.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether keys not bound in this context are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Search)
    }
}
