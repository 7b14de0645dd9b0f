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
}

/// What a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// The source filter of the story list.
    Source,
}

/// A popup list to choose one item from; typing narrows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// What the choice is for.
    pub kind: PickerKind,
    /// Heading of the popup.
    pub title: String,
    /// The items: label and a count shown beside it.
    pub items: Vec<(String, usize)>,
    /// What was typed to narrow the list.
    pub query: String,
    /// Indices of the items whose label contains the query, in order.
    pub shown: Vec<usize>,
    /// Index in `shown` of the highlighted item.
    pub selected: usize,
}

impl Picker {
    /// A picker over `items` with item `selected` highlighted.
    pub fn new(
        kind: PickerKind,
        title: impl Into<String>,
        items: Vec<(String, usize)>,
        selected: usize,
    ) -> Picker {
        let shown = (0..items.len()).collect();
        Picker {
            kind,
            title: title.into(),
            items,
            query: String::new(),
            shown,
            selected,
        }
    }

    /// Shows only the items matching the query (case-insensitively), keeping the highlighted
    /// item when it still matches.
    pub fn refilter(&mut self) {
        let current = self.chosen();
        let q = super::search::fold(&self.query);
        self.shown = (0..self.items.len())
            .filter(|&i| super::search::fold(&self.items[i].0).contains(&q))
            .collect();
        self.selected = current
            .and_then(|c| self.shown.iter().position(|&i| i == c))
            .unwrap_or(0);
    }

    /// Index in `items` of the highlighted item, when any item is shown.
    pub fn chosen(&self) -> Option<usize> {
        self.shown.get(self.selected).copied()
    }
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
}

impl Context {
    /// Every context, in the order of the help overlay.
    pub const ALL: [Context; 7] = [
        Context::Global,
        Context::List,
        Context::Versions,
        Context::Reader,
        Context::Search,
        Context::Picker,
        Context::Help,
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
        }
    }

    /// The context called `name` in `config.toml`.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether keys not bound in this context are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Search | Context::Picker)
    }
}
