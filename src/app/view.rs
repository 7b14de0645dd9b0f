//! The panes and the views stacked above them.

use crate::command::{Action, Context, HintBar};

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
    pub(crate) const CYCLE: [Pane; 3] = [Pane::List, Pane::Versions, Pane::Reader];

    /// The key context of the pane.
    pub(crate) fn context(self) -> Context {
        match self {
            Pane::List => Context::List,
            Pane::Versions => Context::Versions,
            Pane::Reader => Context::Reader,
        }
    }
}

/// A view stacked above the panes (`App::layers`, like helix's compositor layers and gitui's
/// popup stack): the top one takes the keys, names its key contexts and hint bar, and is
/// drawn last. With no layer, keys go to the focused pane. A view closes by leaving the stack,
/// which uncovers the one beneath (the collation under the label picker it opened).
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// Two versions compared; takes the screen above the status bar.
    Diff(Box<super::diff::DiffState>),
    /// The collation of every version of a story.
    Collate(Box<super::collate::CollateView>),
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
    /// Choosing the label of a new annotation (by its key).
    LabelPick,
    /// The annotation list of the corpus (or its orphans).
    AnnList(super::ann_list::AnnList),
    /// A selection of words in the reading pane (`v`), grown by the motions. It belongs to
    /// the reading pane: it ends when the article changes or the pane loses the focus.
    Select(super::annotating::Selection),
    /// Typing the note of a new annotation.
    Note {
        /// The label chosen.
        label: crate::annotate::LabelId,
        /// The note so far.
        text: String,
    },
}

impl View {
    /// The key contexts looked up for the next key while this view is on top, most specific
    /// first.
    pub(crate) fn contexts(&self) -> Vec<Context> {
        match self {
            View::Diff(d) if d.selection.is_some() => {
                vec![Context::Select, Context::Diff, Context::Global]
            }
            View::Diff(_) => vec![Context::Diff, Context::Global],
            View::Collate(_) => vec![Context::Collate, Context::Global],
            View::Select(_) => vec![Context::Select, Context::Reader, Context::Global],
            View::Search => vec![Context::Search],
            View::Help { .. } | View::Problems { .. } => vec![Context::Help],
            View::Picker(_) => vec![Context::Picker],
            View::LabelPick => vec![Context::Label],
            View::AnnList(_) => vec![Context::AnnList],
            View::Note { .. } => vec![Context::Note],
        }
    }

    /// The status bar's hints while this view is on top.
    pub(crate) fn hint_bar(&self) -> HintBar {
        match self {
            View::Diff(d) if d.selection.is_some() => HintBar::Selecting,
            View::Diff(_) => HintBar::Diff,
            View::Collate(_) => HintBar::Collate,
            View::Select(_) => HintBar::Selecting,
            View::Search => HintBar::Search,
            View::Help { .. } | View::Problems { .. } => HintBar::Overlay,
            View::Picker(_) => HintBar::Picker,
            View::LabelPick => HintBar::LabelPick,
            View::AnnList(_) => HintBar::AnnList,
            View::Note { .. } => HintBar::Note,
        }
    }
}

/// The reading pane's selection on the stack `layers`, to change (a function of the stack
/// alone, so the article's map can be read beside it).
pub(crate) fn selection_mut(layers: &mut [View]) -> Option<&mut super::annotating::Selection> {
    layers.iter_mut().rev().find_map(|v| match v {
        View::Select(s) => Some(s),
        _ => None,
    })
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
    pub(crate) fn new(
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
    pub(crate) fn refilter(&mut self) {
        let current = self.chosen();
        let q = super::search::fold(&self.query);
        self.shown = (0..self.items.len())
            .filter(|&i| super::search::contains_folded(&self.items[i].0, &q))
            .collect();
        self.selected = current
            .and_then(|c| self.shown.iter().position(|&i| i == c))
            .unwrap_or(0);
    }

    /// Index in `items` of the highlighted item, when any item is shown.
    pub fn chosen(&self) -> Option<usize> {
        self.shown.get(self.selected).copied()
    }

    /// Applies `action`: moves the highlight, edits the query, or says the picker is done.
    pub(crate) fn update(&mut self, action: Action) -> PickerOutcome {
        let last = self.shown.len().saturating_sub(1);
        match action {
            Action::MoveDown => self.selected = (self.selected + 1).min(last),
            Action::MoveUp => self.selected = self.selected.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => {
                self.selected = (self.selected + 10).min(last)
            }
            Action::PageUp | Action::HalfPageUp => self.selected = self.selected.saturating_sub(10),
            Action::First => self.selected = 0,
            Action::Last => self.selected = last,
            Action::InputBackspace => {
                self.query.pop();
                self.refilter();
            }
            Action::InputDeleteWord | Action::InputClear => {
                self.query.clear();
                self.refilter();
            }
            Action::InputCancel | Action::Back => return PickerOutcome::Close,
            Action::InputSubmit | Action::Open => {
                return match self.chosen() {
                    Some(item) => PickerOutcome::Chosen(item),
                    None => PickerOutcome::NothingMatches,
                };
            }
            _ => {}
        }
        PickerOutcome::Stay
    }

    /// Types `c` into the query.
    pub(crate) fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.refilter();
    }
}

/// What a picker asks of the app after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerOutcome {
    /// Stay open.
    Stay,
    /// Close without a choice.
    Close,
    /// Close: the item of `items` at this index was chosen.
    Chosen(usize),
    /// A choice was asked for, but no item is shown.
    NothingMatches,
}

/// The scroll of the help or problems overlay after `action`, `page` lines shown of `len`
/// (None: the overlay closes).
pub(crate) fn overlay_scroll(
    scroll: usize,
    action: Action,
    page: usize,
    len: usize,
) -> Option<usize> {
    let max = len.saturating_sub(page);
    let scroll = match action {
        Action::MoveDown => scroll + 1,
        Action::MoveUp => scroll.saturating_sub(1),
        Action::PageDown => scroll + page,
        Action::PageUp => scroll.saturating_sub(page),
        Action::HalfPageDown => scroll + page / 2,
        Action::HalfPageUp => scroll.saturating_sub(page / 2),
        Action::First => 0,
        Action::Last => max,
        Action::Back | Action::Help | Action::ShowProblems | Action::InputCancel => return None,
        _ => scroll,
    };
    Some(scroll.min(max))
}
