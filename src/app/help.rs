//! The help overlay and the status-bar hints, generated from the keymap and the actions'
//! descriptions so they always show the user's real keys.

use super::*;
use crate::config::keymap::format_sequence;

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A context heading.
    Heading(&'static str),
    /// An action with its keys.
    Binding {
        /// The keys, comma-separated.
        keys: String,
        /// What the action does.
        description: &'static str,
        /// The action's name in `config.toml`.
        name: &'static str,
    },
    /// Space between sections.
    Blank,
}

/// The hints while a selection is made (reading pane or diff view).
const SELECTING: &[Action] = &[
    Action::Annotate,
    Action::WordNext,
    Action::SentenceNext,
    Action::ParagraphNext,
    Action::SelectSwap,
    Action::SelectCancel,
    Action::Help,
];

impl App {
    /// The help overlay's lines: each context's bound actions with their keys.
    pub fn help_lines(&self) -> Vec<HelpLine> {
        let mut out = Vec::new();
        for context in Context::ALL {
            let mut section = Vec::new();
            for &action in Action::ALL {
                let keys = self.keymap.keys_for(context, action);
                if keys.is_empty() {
                    continue;
                }
                section.push(HelpLine::Binding {
                    keys: keys
                        .iter()
                        .map(|k| format_sequence(k))
                        .collect::<Vec<_>>()
                        .join(", "),
                    description: action.description(),
                    name: action.name(),
                });
            }
            if !section.is_empty() {
                if !out.is_empty() {
                    out.push(HelpLine::Blank);
                }
                out.push(HelpLine::Heading(context.title()));
                out.extend(section);
            }
        }
        out
    }

    /// The hints of the status bar for the current mode and pane: (keys, label), most
    /// important first.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        let actions: &[Action] = match (&self.mode, self.focus) {
            _ if !self.is_ready() => &[Action::Help, Action::Quit],
            (Mode::Search, _) => &[Action::InputSubmit, Action::InputCancel, Action::SearchNext],
            (Mode::Help { .. } | Mode::Problems { .. }, _) => {
                &[Action::Back, Action::MoveDown, Action::Quit]
            }
            (Mode::LabelPick, _) => &[Action::InputCancel],
            (Mode::AnnList(_), _) => &[
                Action::Open,
                Action::CycleLabelFilter,
                Action::AnnEdit,
                Action::AnnRelabel,
                Action::AnnDelete,
                Action::Back,
            ],
            (Mode::Note { .. }, _) => &[Action::NoteSave, Action::NoteNewline, Action::InputCancel],
            (Mode::Normal, _) if self.diff.as_ref().is_some_and(|d| d.selection.is_some()) => {
                SELECTING
            }
            (Mode::Normal, _) if self.diff.is_some() => &[
                Action::NextChange,
                Action::PrevChange,
                Action::ToggleUnified,
                Action::SwapSides,
                Action::ToggleMinor,
                Action::JumpPartner,
                Action::Annotate,
                Action::SelectStart,
                Action::Back,
                Action::Help,
            ],
            (Mode::Normal, Pane::Reader) if self.ann.selection.is_some() => SELECTING,
            (Mode::Picker(_), _) => &[
                Action::InputSubmit,
                Action::InputCancel,
                Action::MoveDown,
                Action::InputBackspace,
            ],
            (Mode::Collate(_), _) => &[
                Action::MoveDown,
                Action::NextVersion,
                Action::Open,
                Action::Annotate,
                Action::Back,
                Action::Help,
                Action::Quit,
            ],
            (Mode::Normal, Pane::List) => &[
                Action::Open,
                Action::Search,
                Action::FilterSource,
                Action::CycleSort,
                Action::ToggleRead,
                Action::MarkAllRead,
                Action::Undo,
                Action::FocusNext,
                Action::Help,
                Action::Quit,
            ],
            (Mode::Normal, Pane::Versions) => &[
                Action::Open,
                Action::MoveDown,
                Action::ToggleRaw,
                Action::FocusNext,
                Action::Help,
                Action::Quit,
            ],
            (Mode::Normal, Pane::Reader) => &[
                Action::Back,
                Action::PageDown,
                Action::SelectStart,
                Action::Annotate,
                Action::OpenDiff,
                Action::NextVersion,
                Action::PrevVersion,
                Action::ToggleRaw,
                Action::Search,
                Action::SearchNext,
                Action::ToggleRead,
                Action::Help,
                Action::Quit,
            ],
        };
        let chain = self.key_chain();
        actions
            .iter()
            .filter_map(|&a| {
                let key = self.keymap.first_key(&chain, a)?;
                // Movement shows both directions on one hint.
                let key = match a {
                    Action::MoveDown => match self.keymap.first_key(&chain, Action::MoveUp) {
                        Some(up) => format!("{key}/{up}"),
                        None => key,
                    },
                    _ => key,
                };
                Some((key, a.hint()))
            })
            .collect()
    }
}
