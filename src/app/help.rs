//! The help overlay and the status-bar hints, generated from the keymap and the actions'
//! descriptions so they always show the user's real keys.

use super::*;
use crate::command::format_sequence;

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
                    description: description_in(context, action),
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

    /// The hint bar shown now: the top view's, or the focused pane's.
    pub fn hint_bar(&self) -> HintBar {
        if !self.is_ready() {
            return HintBar::Loading;
        }
        match self.layers.last() {
            Some(view) => view.hint_bar(),
            None => match self.focus {
                Pane::List => HintBar::List,
                Pane::Versions => HintBar::Versions,
                Pane::Reader => HintBar::Reader,
            },
        }
    }

    /// The hints of the status bar for the view on top or the focused pane: (keys, label), most
    /// important first.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        let actions = Action::hint_bar(self.hint_bar());
        let chain = self.key_chain();
        actions
            .into_iter()
            .filter_map(|a| {
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

/// What `action` does in `context`: its help line, but where a key means something else in
/// a context (`h`/`l` choose the side in the diff view), that.
fn description_in(context: Context, action: Action) -> &'static str {
    match (context, action) {
        (Context::Diff, Action::FocusLeft) => "Side A (the old version): v selects there",
        (Context::Diff, Action::FocusRight) => "Side B (the new version): v selects there",
        _ => action.description(),
    }
}
