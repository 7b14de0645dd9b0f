//! Labels: the kinds of change a user marks. Each has a stable id (stored in annotations), a
//! display name, a picker key and a colour name. The config embeds them as `[[labels]]`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The stable id of a label (`softened`), stored in annotations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelId(pub String);

impl LabelId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for LabelId {
    fn from(s: &str) -> Self {
        LabelId(s.to_string())
    }
}

impl fmt::Display for LabelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One label as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Stable id; renaming a label changes `name`, never this.
    pub id: LabelId,
    /// Display name.
    pub name: String,
    /// The key that picks it in the label picker (`1`–`9` by default).
    pub key: char,
    /// A colour name the theme understands (`yellow`, `light_red`…).
    #[serde(alias = "color")]
    pub colour: String,
}

/// The default labels, suited to versions of news reports.
pub fn default_labels() -> Vec<Label> {
    [
        ("reworded", "Reworded", '1', "blue"),
        ("softened", "Softened", '2', "cyan"),
        ("strengthened", "Strengthened", '3', "magenta"),
        ("attribution_changed", "Attribution changed", '4', "yellow"),
        ("quote_added", "Quote added", '5', "green"),
        ("quote_removed", "Quote removed", '6', "red"),
        ("figure_changed", "Figure changed", '7', "light_magenta"),
        ("correction", "Correction", '8', "light_red"),
        ("context_removed", "Context removed", '9', "light_yellow"),
    ]
    .into_iter()
    .map(|(id, name, key, colour)| Label {
        id: LabelId::from(id),
        name: name.to_string(),
        key,
        colour: colour.to_string(),
    })
    .collect()
}

/// A problem in a configured label set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelProblem {
    /// Two labels with one id.
    #[error("label id {0:?} is used twice")]
    DuplicateId(String),
    /// Two labels with one key.
    #[error("labels {first:?} and {second:?} both use the key {key:?}")]
    DuplicateKey {
        /// The key.
        key: char,
        /// The first label with it.
        first: String,
        /// The second one.
        second: String,
    },
    /// An empty id.
    #[error("a label has an empty id")]
    EmptyId,
    /// A key or text a terminal would act on (ESC, BEL, other controls) or a key that is
    /// whitespace.
    #[error("label {label:?}: its {field} holds a control character or is not a printable key")]
    Unprintable {
        /// The label's id (sanitised for display).
        label: String,
        /// Which field: key, id, name or colour.
        field: &'static str,
    },
    /// A label key that a command also uses where labels are picked.
    #[error("label {label:?} uses the key {key:?}, which is also the command {command:?}")]
    KeyClash {
        /// The key.
        key: char,
        /// The label's id.
        label: String,
        /// The command's name.
        command: String,
    },
}

/// The labels in use, looked up by id or key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSet {
    labels: Vec<Label>,
}

impl Default for LabelSet {
    fn default() -> Self {
        LabelSet {
            labels: default_labels(),
        }
    }
}

impl LabelSet {
    /// A set of the given labels, with the problems found (duplicates: the first one wins;
    /// labels with an empty id are dropped).
    pub(crate) fn new(labels: Vec<Label>) -> (LabelSet, Vec<LabelProblem>) {
        let mut problems = Vec::new();
        let mut kept: Vec<Label> = Vec::new();
        for label in labels {
            if label.id.as_str().trim().is_empty() {
                problems.push(LabelProblem::EmptyId);
                continue;
            }
            let control = |t: &str| t.chars().any(char::is_control);
            let bad_field = if label.key.is_control() || label.key.is_whitespace() {
                Some("key")
            } else if control(label.id.as_str()) {
                Some("id")
            } else if control(&label.name) {
                Some("name")
            } else if control(&label.colour) {
                Some("colour")
            } else {
                None
            };
            if let Some(field) = bad_field {
                problems.push(LabelProblem::Unprintable {
                    label: crate::text::sanitize_for_terminal(label.id.as_str(), false)
                        .into_owned(),
                    field,
                });
                continue;
            }
            if kept.iter().any(|k| k.id == label.id) {
                problems.push(LabelProblem::DuplicateId(label.id.0.clone()));
                continue;
            }
            if let Some(first) = kept.iter().find(|k| k.key == label.key) {
                problems.push(LabelProblem::DuplicateKey {
                    key: label.key,
                    first: first.id.0.clone(),
                    second: label.id.0.clone(),
                });
            }
            kept.push(label);
        }
        (LabelSet { labels: kept }, problems)
    }

    /// The label keys that clash with `command_keys` (single-key commands active where labels
    /// are picked, with their names), to report at start.
    pub(crate) fn key_clashes<'k>(
        &self,
        command_keys: impl IntoIterator<Item = (char, &'k str)>,
    ) -> Vec<LabelProblem> {
        let commands: Vec<(char, &str)> = command_keys.into_iter().collect();
        self.labels
            .iter()
            .flat_map(|l| {
                commands
                    .iter()
                    .filter(move |(k, _)| *k == l.key)
                    .map(move |(k, c)| LabelProblem::KeyClash {
                        key: *k,
                        label: l.id.0.clone(),
                        command: c.to_string(),
                    })
            })
            .collect()
    }

    /// Every label in configured order.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// The label with this id.
    pub(crate) fn get(&self, id: &LabelId) -> Option<&Label> {
        self.labels.iter().find(|l| &l.id == id)
    }

    /// The first label picked by this key.
    pub(crate) fn by_key(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.key == key)
    }

    /// The display name of `id`: its label's name, else the id itself (a label removed from
    /// the config still shows).
    pub(crate) fn display_name<'a>(&'a self, id: &'a LabelId) -> &'a str {
        self.get(id).map_or(id.as_str(), |l| l.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_unique_ids_and_keys_one_to_nine() {
        let (set, problems) = LabelSet::new(default_labels());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(set.labels().len(), 9);
        assert_eq!(set.by_key('2').unwrap().id.as_str(), "softened");
        assert_eq!(
            set.display_name(&"attribution_changed".into()),
            "Attribution changed"
        );
        assert_eq!(set.display_name(&"gone".into()), "gone");
    }

    #[test]
    fn key_clashes_with_commands_are_reported() {
        let set = LabelSet::default();
        let clashes = set.key_clashes([('q', "quit"), ('3', "jump_three"), ('j', "down")]);
        assert_eq!(
            clashes,
            vec![LabelProblem::KeyClash {
                key: '3',
                label: "strengthened".into(),
                command: "jump_three".into()
            }]
        );
        assert!(clashes[0].to_string().contains("strengthened"));
    }

    #[test]
    fn labels_with_control_keys_or_escapes_are_rejected() {
        let mk = |id: &str, key: char, colour: &str| Label {
            id: LabelId(id.into()),
            name: id.into(),
            key,
            colour: colour.into(),
        };
        let (set, problems) = LabelSet::new(vec![
            mk("esc", '\u{1b}', "red"),
            mk("bel", '\u{7}', "red"),
            mk("space", ' ', "red"),
            mk("paint", 'p', "red\u{1b}]52;c;SGVsbG8=\u{7}"),
            mk("id\u{1b}[2J", 'i', "red"),
            mk("fine", 'f', "green"),
        ]);
        assert_eq!(set.labels().len(), 1, "{problems:?}");
        assert_eq!(set.labels()[0].id.as_str(), "fine");
        assert_eq!(problems.len(), 5);
        assert!(problems.iter().all(|p| !p.to_string().contains('\u{1b}')));
        // Through the config file too.
        let (config, problems) = crate::config::Config::from_toml(
            "[[labels]]\nid = \"x\"\nname = \"X\"\nkey = \"\\u001b\"\ncolour = \"red\"\n\
             [[labels]]\nid = \"y\"\nname = \"Y\"\nkey = \"y\"\ncolour = \"red\\u001b[5m\"\n",
            "l.toml",
        );
        assert!(config.labels.by_key('y').is_none());
        assert!(problems.len() >= 2, "{problems:?}");
    }

    #[test]
    fn config_toml_labels_parse_with_either_spelling_of_colour() {
        #[derive(Deserialize)]
        struct Config {
            labels: Vec<Label>,
        }
        let cfg: Config = toml::from_str(
            "[[labels]]\nid = \"spin\"\nname = \"Spin\"\nkey = \"s\"\ncolour = \"red\"\n\
             [[labels]]\nid = \"dup\"\nname = \"Dup\"\nkey = \"s\"\ncolor = \"blue\"\n",
        )
        .unwrap();
        assert_eq!(cfg.labels[1].colour, "blue");
        let (set, problems) = LabelSet::new(cfg.labels);
        assert_eq!(set.labels().len(), 2);
        assert_eq!(
            problems,
            vec![LabelProblem::DuplicateKey {
                key: 's',
                first: "spin".into(),
                second: "dup".into()
            }]
        );
    }
}
