//! The configuration: the embedded, commented `config/default.toml` overlaid by the user's
//! `config.toml`. Every mistake in the user's file is reported with file, line and what was
//! expected; the setting concerned keeps its default and stet still starts.

pub(crate) mod theme;
mod watch;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::command::{self as keymap, Action, Context};
pub use crate::command::{KeyChord, KeyCode, Keymap};
use crate::corpus::group::GroupSettings;
pub(crate) use theme::{Theme, ThemeColor, ThemeStyle};

/// The commented default configuration, as printed by `stet config --print-default`.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// Everything configurable.
#[derive(Debug, Clone)]
pub struct Config {
    /// Key bindings.
    pub keymap: Keymap,
    /// Named styles (already monochrome when NO_COLOR is set).
    pub theme: Theme,
    /// Widest the reading column grows, in columns.
    pub reading_width: u16,
    /// Whether to capture the mouse.
    pub mouse: bool,
    /// How long a key that is both a command and the start of a sequence (`]` before `]a`)
    /// waits for the sequence's next key.
    pub key_timeout: std::time::Duration,
    /// Grouping thresholds.
    pub group: GroupSettings,
    /// Annotation labels (`[[labels]]`).
    pub labels: crate::annotate::LabelSet,
    /// `stet watch`: fetching and polling (`[watch]`).
    pub watch: crate::watch::WatchSettings,
    /// The marker words of database exports: the built-in ones and `[formats.keywords]`.
    pub keywords: crate::corpus::formats::ExportKeywords,
}

/// A mistake found in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The file.
    pub file: String,
    /// The line (1-based), when known.
    pub line: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl Default for Config {
    /// The built-in defaults, in colour.
    fn default() -> Config {
        let mut config = Config {
            keymap: Keymap::default(),
            theme: Theme::default(),
            reading_width: 100,
            mouse: false,
            key_timeout: crate::app::KEY_SEQUENCE_TIMEOUT,
            group: GroupSettings::default(),
            labels: crate::annotate::LabelSet::default(),
            watch: crate::watch::WatchSettings::default(),
            keywords: crate::corpus::formats::ExportKeywords::default(),
        };
        let mut problems = Vec::new();
        config.apply(DEFAULT_TOML, "<default config>", &mut problems);
        debug_assert!(problems.is_empty(), "default config: {problems:?}");
        config
    }
}

impl Config {
    /// The defaults overlaid by `text` (the contents of `file`), with every problem found.
    pub fn from_toml(text: &str, file: &str) -> (Config, Vec<ConfigProblem>) {
        let mut config = Config::default();
        let mut problems = Vec::new();
        config.apply(text, file, &mut problems);
        problems.sort_by_key(|p| p.line);
        (config, problems)
    }

    /// Loads the configuration: `explicit` (from `--config`) when given, else `config.toml` in
    /// the user config directory when it exists, else the defaults. `no_color` drops colours.
    /// A missing `--config` file is a problem; a missing default file is not.
    pub(crate) fn load(explicit: Option<&Path>, no_color: bool) -> (Config, Vec<ConfigProblem>) {
        let (path, required) = match explicit {
            Some(p) => (Some(p.to_path_buf()), true),
            None => (user_config_path(), false),
        };
        let (mut config, problems) = match path {
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(text) => Config::from_toml(&text, &path.display().to_string()),
                Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                    (Config::default(), Vec::new())
                }
                Err(e) => (
                    Config::default(),
                    vec![ConfigProblem {
                        file: path.display().to_string(),
                        line: None,
                        message: format!("cannot read the config file: {e}; using the defaults"),
                    }],
                ),
            },
            None => (Config::default(), Vec::new()),
        };
        if no_color {
            config.theme = config.theme.monochrome();
        }
        (config, problems)
    }

    fn apply(&mut self, text: &str, file: &str, problems: &mut Vec<ConfigProblem>) {
        let mut report = |span: Option<std::ops::Range<usize>>, message: String| {
            problems.push(ConfigProblem {
                file: file.to_string(),
                line: span.map(|s| line_of(text, s.start)),
                message,
            });
        };
        let (root, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            // A half-parsed file could mean anything: keep every default.
            for e in errors {
                report(
                    e.span(),
                    format!(
                        "TOML syntax: {}; the whole file is ignored",
                        e.message().trim()
                    ),
                );
            }
            return;
        }
        for (key, value) in root.get_ref().iter() {
            match key.get_ref().ref_str() {
                "reader" => self.apply_reader(value, &mut report),
                "ui" => self.apply_ui(value, &mut report),
                "keys" => self.apply_keys(value, &mut report),
                "theme" => self.apply_theme(value, &mut report),
                "group" => self.apply_group(value, text, &mut report),
                "labels" => self.apply_labels(text, &mut report),
                "watch" => self.apply_watch(value, &mut report),
                "formats" => self.apply_formats(value, &mut report),
                other => report(
                    Some(key.span()),
                    format!(
                        "unknown key `{other}`; expected one of reader, ui, group, formats, keys, theme, labels, watch"
                    ),
                ),
            }
        }
    }

    fn apply_reader(&mut self, value: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) {
        let Some(table) = expect_table(value, "reader", report) else {
            return;
        };
        for (key, value) in table.iter() {
            match key.get_ref().ref_str() {
                "width" => match integer(value).and_then(|w| u16::try_from(w).ok()) {
                    Some(w @ 20..=1000) => self.reading_width = w,
                    _ => report(
                        Some(value.span()),
                        "reader.width: expected a whole number of columns from 20 to 1000".into(),
                    ),
                },
                other => report(
                    Some(key.span()),
                    format!("unknown key `reader.{other}`; expected width"),
                ),
            }
        }
    }

    fn apply_ui(&mut self, value: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) {
        let Some(table) = expect_table(value, "ui", report) else {
            return;
        };
        for (key, value) in table.iter() {
            match key.get_ref().ref_str() {
                "mouse" => match value.get_ref() {
                    DeValue::Boolean(b) => self.mouse = *b,
                    _ => report(
                        Some(value.span()),
                        "ui.mouse: expected true or false".into(),
                    ),
                },
                "key_timeout_ms" => match integer(value) {
                    Some(ms @ 0..=5000) => {
                        self.key_timeout = std::time::Duration::from_millis(ms.unsigned_abs());
                    }
                    _ => report(
                        Some(value.span()),
                        "ui.key_timeout_ms: expected a whole number of milliseconds from 0 to 5000"
                            .into(),
                    ),
                },
                other => report(
                    Some(key.span()),
                    format!("unknown key `ui.{other}`; expected mouse or key_timeout_ms"),
                ),
            }
        }
    }

    /// `[formats.keywords]`: `KIND = "WORD"` or `KIND = ["WORD", …]`, added to the built-in
    /// marker words of that kind. A mistaken entry is reported and left out; the others count.
    fn apply_formats(&mut self, value: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) {
        use crate::corpus::formats::ExportKeywords;
        let Some(table) = expect_table(value, "formats", report) else {
            return;
        };
        for (key, value) in table.iter() {
            if key.get_ref().ref_str() != "keywords" {
                report(
                    Some(key.span()),
                    format!(
                        "unknown key `formats.{}`; expected keywords",
                        key.get_ref().ref_str()
                    ),
                );
                continue;
            }
            let Some(kinds) = expect_table(value, "formats.keywords", report) else {
                continue;
            };
            for (kind, words) in kinds.iter() {
                let kind_name = kind.get_ref().ref_str();
                if !ExportKeywords::KINDS.contains(&kind_name) {
                    report(
                        Some(kind.span()),
                        format!(
                            "unknown keyword kind `formats.keywords.{kind_name}`; expected one of {}",
                            ExportKeywords::KINDS.join(", ")
                        ),
                    );
                    continue;
                }
                let list: Vec<&Spanned<DeValue<'_>>> = match words.get_ref() {
                    DeValue::Array(items) => items.iter().collect(),
                    _ => vec![words],
                };
                for w in list {
                    let added = match w.get_ref() {
                        DeValue::String(word) => self.keywords.add(kind_name, word),
                        _ => Err("expected a string or an array of strings".to_string()),
                    };
                    if let Err(e) = added {
                        report(
                            Some(w.span()),
                            format!("formats.keywords.{kind_name}: {e}; this word is left out"),
                        );
                    }
                }
            }
        }
    }

    fn apply_labels(&mut self, text: &str, report: &mut Reporter<'_>) {
        #[derive(Deserialize)]
        struct LabelsOnly {
            labels: Option<Vec<crate::annotate::Label>>,
        }
        match toml::from_str::<LabelsOnly>(text) {
            Ok(LabelsOnly { labels: Some(l) }) => {
                let (set, problems) = crate::annotate::LabelSet::new(l);
                for p in problems {
                    report(None, format!("[[labels]]: {p}"));
                }
                if set.labels().is_empty() {
                    report(
                        None,
                        "[[labels]]: no label left; the default labels are used".into(),
                    );
                } else {
                    self.labels = set;
                }
            }
            Ok(LabelsOnly { labels: None }) => {}
            Err(e) => report(
                e.span(),
                format!(
                    "[[labels]]: {} (each label needs id, name, key and colour); the default labels are used",
                    e.message().trim()
                ),
            ),
        }
    }

    /// Label keys that are also commands where labels are picked, to report at start.
    pub fn label_key_clashes(&self) -> Vec<String> {
        let commands: Vec<(char, &str)> = self
            .keymap
            .bindings(Context::Label)
            .filter_map(|(keys, action)| match keys {
                [k] => k.text().map(|c| (c, action.name())),
                _ => None,
            })
            .collect();
        self.labels
            .key_clashes(commands)
            .into_iter()
            .map(|p| format!("[[labels]]: {p}"))
            .collect()
    }

    fn apply_group(&mut self, value: &Spanned<DeValue<'_>>, text: &str, report: &mut Reporter<'_>) {
        // Ranges first: serde takes nan, inf, negatives and 1.7 as numbers like any other.
        if let DeValue::Table(table) = value.get_ref() {
            let mut bad = false;
            for (key, v) in table.iter() {
                let name = key.get_ref().ref_str();
                let Some(range) = group_range(name) else {
                    continue;
                };
                if let Err(expected) = range.check(v) {
                    bad = true;
                    report(
                        Some(v.span()),
                        format!(
                            "[group] {name}: expected {expected}; the grouping defaults are used"
                        ),
                    );
                }
            }
            if bad {
                return;
            }
        }
        #[derive(Deserialize)]
        struct GroupOnly {
            group: Option<GroupSettings>,
        }
        match toml::from_str::<GroupOnly>(text) {
            Ok(GroupOnly { group: Some(g) }) => self.group = g,
            Ok(GroupOnly { group: None }) => {}
            Err(e) => report(
                e.span(),
                format!(
                    "[group]: {}; the grouping defaults are used",
                    e.message().trim()
                ),
            ),
        }
    }

    fn apply_keys(&mut self, value: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) {
        let Some(table) = expect_table(value, "keys", report) else {
            return;
        };
        for (ctx_key, ctx_value) in table.iter() {
            let ctx_name = ctx_key.get_ref().ref_str();
            let Some(context) = Context::from_name(ctx_name) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                report(
                    Some(ctx_key.span()),
                    format!(
                        "unknown key table `keys.{ctx_name}`; expected one of {}",
                        names.join(", ")
                    ),
                );
                continue;
            };
            let Some(bindings) = expect_table(ctx_value, &format!("keys.{ctx_name}"), report)
            else {
                continue;
            };
            for (keys, action) in bindings.iter() {
                let seq = match keymap::parse_sequence(keys.get_ref()) {
                    Ok(seq) => seq,
                    Err(e) => {
                        report(Some(keys.span()), format!("keys.{ctx_name}: {e}"));
                        continue;
                    }
                };
                let Some(name) = action.get_ref().as_str() else {
                    report(
                        Some(action.span()),
                        format!("keys.{ctx_name}: expected an action name in quotes"),
                    );
                    continue;
                };
                if name == "none" {
                    self.keymap.unbind(context, &seq);
                } else if let Some(a) = Action::from_name(name) {
                    self.keymap.bind(context, seq, a);
                } else {
                    report(
                        Some(action.span()),
                        format!(
                            "keys.{ctx_name}: unknown action {name:?}; the help (?) lists every action's name, or use \"none\""
                        ),
                    );
                }
            }
        }
    }

    fn apply_theme(&mut self, value: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) {
        let Some(table) = expect_table(value, "theme", report) else {
            return;
        };
        for (name, spec) in table.iter() {
            let name = name.get_ref().ref_str();
            if !theme::STYLE_NAMES.contains(&name) {
                report(
                    Some(spec.span()),
                    format!(
                        "unknown style `theme.\"{name}\"`; expected one of {}",
                        theme::STYLE_NAMES.join(", ")
                    ),
                );
                continue;
            }
            let Some(fields) = expect_table(spec, &format!("theme.\"{name}\""), report) else {
                continue;
            };
            let mut style = ThemeStyle::default();
            let mut ok = true;
            for (field, v) in fields.iter() {
                match field.get_ref().ref_str() {
                    "fg" | "bg" => {
                        let parsed = match v.get_ref() {
                            DeValue::String(s) => ThemeColor::parse(s),
                            DeValue::Integer(_) => {
                                match integer(v).and_then(|i| u8::try_from(i).ok()) {
                                    Some(i) => Ok(ThemeColor::Indexed(i)),
                                    _ => Err("a palette index 0-255".into()),
                                }
                            }
                            _ => Err("a colour name, \"#rrggbb\" or 0-255".into()),
                        };
                        match parsed {
                            Ok(c) if field.get_ref() == "fg" => style.fg = Some(c),
                            Ok(c) => style.bg = Some(c),
                            Err(e) => {
                                ok = false;
                                report(
                                    Some(v.span()),
                                    format!("theme.\"{name}\".{}: expected {e}", field.get_ref()),
                                );
                            }
                        }
                    }
                    "modifiers" => {
                        let DeValue::Array(items) = v.get_ref() else {
                            ok = false;
                            report(
                                Some(v.span()),
                                format!(
                                    "theme.\"{name}\".modifiers: expected a list like [\"bold\"]"
                                ),
                            );
                            continue;
                        };
                        for item in items.iter() {
                            let r = match item.get_ref().as_str() {
                                Some(m) => style.modifiers.set(m),
                                None => Err("a modifier name in quotes".into()),
                            };
                            if let Err(e) = r {
                                ok = false;
                                report(
                                    Some(item.span()),
                                    format!("theme.\"{name}\".modifiers: expected {e}"),
                                );
                            }
                        }
                    }
                    other => {
                        ok = false;
                        report(
                            Some(field.span()),
                            format!(
                                "unknown key `{other}` in theme.\"{name}\"; expected fg, bg, modifiers"
                            ),
                        );
                    }
                }
            }
            if ok {
                self.theme.set(name, style);
            }
        }
    }
}

/// The values a numeric setting accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ValueRange {
    /// A finite number from `min` to `max`.
    Number {
        /// The smallest accepted.
        min: f64,
        /// The largest accepted.
        max: f64,
    },
    /// A whole number from `min` to `max`.
    Whole {
        /// The smallest accepted.
        min: i64,
        /// The largest accepted.
        max: i64,
    },
    /// A power of two from 1 to `max`.
    PowerOfTwo {
        /// The largest accepted.
        max: i64,
    },
}

impl ValueRange {
    /// What the range accepts, for messages ("a number from 0 to 1").
    pub(crate) fn expected(self) -> String {
        match self {
            ValueRange::Number { min, max } => format!("a number from {min} to {max}"),
            ValueRange::Whole { min, max } => format!("a whole number from {min} to {max}"),
            ValueRange::PowerOfTwo { max } => format!("a power of two from 1 to {max}"),
        }
    }

    /// Whether `x` is in the range (NaN and infinities never are).
    pub(crate) fn accepts(self, x: f64) -> bool {
        match self {
            ValueRange::Number { min, max } => x.is_finite() && (min..=max).contains(&x),
            ValueRange::Whole { min, max } => {
                x.fract() == 0.0 && (float(min)..=float(max)).contains(&x)
            }
            ValueRange::PowerOfTwo { max } => {
                x.fract() == 0.0
                    && (1.0..=float(max)).contains(&x)
                    && crate::num::usize_of(x).is_power_of_two()
            }
        }
    }

    fn check(self, v: &Spanned<DeValue<'_>>) -> Result<(), String> {
        let x = match (v.get_ref(), self) {
            (DeValue::Integer(_), _) => integer(v).map(float),
            (DeValue::Float(f), ValueRange::Number { .. }) => {
                f.as_str().replace('_', "").parse::<f64>().ok()
            }
            _ => None,
        };
        match x {
            Some(x) if self.accepts(x) => Ok(()),
            _ => Err(self.expected()),
        }
    }

    /// Parses a command-line value in the range (for clap's `value_parser`).
    #[allow(
        clippy::cast_possible_truncation,
        reason = "a value in the range, kept as precisely as the f32 option it sets"
    )]
    pub(crate) fn parse_arg(self, arg: &str) -> Result<f32, String> {
        match arg.trim().parse::<f64>() {
            Ok(x) if self.accepts(x) => Ok(x as f32),
            _ => Err(format!("expected {}", self.expected())),
        }
    }
}

/// The range of each numeric `[group]` setting.
pub(crate) fn group_range(key: &str) -> Option<ValueRange> {
    Some(match key {
        "min_containment" | "min_number_agreement" | "candidate_fraction" | "link_fraction" => {
            ValueRange::Number { min: 0.0, max: 1.0 }
        }
        "max_days" => ValueRange::Number {
            min: 0.0,
            max: 36500.0,
        },
        "sample" => ValueRange::PowerOfTwo { max: 1 << 20 },
        "max_shared_by" => ValueRange::Whole {
            min: 1,
            max: 1 << 40,
        },
        _ => return None,
    })
}

/// Reports one problem at a byte span of the file being read.
type Reporter<'a> = dyn FnMut(Option<std::ops::Range<usize>>, String) + 'a;

/// Gives `as ref_str()` on TOML keys (a `Cow<str>`), for readable matches.
trait RefStr {
    fn ref_str(&self) -> &str;
}

impl RefStr for std::borrow::Cow<'_, str> {
    fn ref_str(&self) -> &str {
        self.as_ref()
    }
}

fn expect_table<'a, 'i>(
    value: &'a Spanned<DeValue<'i>>,
    what: &str,
    report: &mut Reporter<'_>,
) -> Option<&'a DeTable<'i>> {
    match value.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => {
            report(Some(value.span()), format!("{what}: expected a table"));
            None
        }
    }
}

/// A config integer as a number to check against a range.
pub(crate) fn float(i: i64) -> f64 {
    crate::num::f64_of_i64(i)
}

fn integer(value: &Spanned<DeValue<'_>>) -> Option<i64> {
    match value.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
        _ => None,
    }
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The user's `config.toml`: `$STET_CONFIG_DIR`, else `$XDG_CONFIG_HOME/stet`, else the
/// platform's config directory.
pub(crate) fn user_config_path() -> Option<PathBuf> {
    crate::paths::StetDirs::discover()
        .ok()
        .map(|d| d.config_file())
}

/// Whether the NO_COLOR convention asks for no colour (set and not empty).
pub(crate) fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Resolved;

    #[test]
    fn default_config_has_no_problems() {
        let (config, problems) = Config::from_toml(DEFAULT_TOML, "default.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.reading_width, 100);
        assert!(!config.mouse);
        assert_eq!(
            config
                .keymap
                .resolve(&[Context::List, Context::Global], &[KeyChord::ch('j')]),
            Resolved::Action(Action::MoveDown)
        );
        assert!(config.theme.get("list.selected").modifiers.reversed);
    }

    #[test]
    fn key_timeout_is_set_in_milliseconds_and_checked() {
        let (config, problems) = Config::from_toml("[ui]\nkey_timeout_ms = 150\n", "k.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.key_timeout, std::time::Duration::from_millis(150));
        let (config, problems) = Config::from_toml("[ui]\nkey_timeout_ms = -3\n", "k.toml");
        assert_eq!(config.key_timeout, crate::app::KEY_SEQUENCE_TIMEOUT);
        assert!(problems[0].message.contains("0 to 5000"), "{problems:?}");
        assert_eq!(Config::default().key_timeout.as_millis(), 600);
    }

    #[test]
    fn user_file_overrides_and_reports_mistakes_with_lines() {
        let text = "[reader]\nwidth = 72\ncolour = 3\n\n[ui]\nmouse = \"yes\"\n\n[keys.list]\n\"x\" = \"quit\"\n\"j\" = \"none\"\n\"y\" = \"fly\"\n\n[keys.nowhere]\n\n[theme]\n\"list.selected\" = { fg = \"purpleish\" }\n\"reader.title\" = { fg = \"red\", modifiers = [\"bold\"] }\n\n[frobnicate]\n";
        let (config, problems) = Config::from_toml(text, "my.toml");
        assert_eq!(config.reading_width, 72);
        assert!(!config.mouse, "bad value keeps the default");
        let chain = [Context::List, Context::Global];
        assert_eq!(
            config.keymap.resolve(&chain, &[KeyChord::ch('x')]),
            Resolved::Action(Action::Quit)
        );
        // "j" unbound in the list falls through to the global binding.
        assert_eq!(
            config.keymap.resolve(&chain, &[KeyChord::ch('j')]),
            Resolved::Action(Action::MoveDown)
        );
        assert_eq!(
            config.theme.get("reader.title").fg,
            Some(ThemeColor::Ansi(1))
        );
        // The bad style keeps its default.
        assert!(config.theme.get("list.selected").modifiers.reversed);
        let lines: Vec<(Option<usize>, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        let has = |line: usize, needle: &str| {
            lines
                .iter()
                .any(|(l, m)| *l == Some(line) && m.contains(needle))
        };
        assert!(has(3, "unknown key `reader.colour`"), "{lines:?}");
        assert!(has(6, "true or false"), "{lines:?}");
        assert!(has(11, "unknown action \"fly\""), "{lines:?}");
        assert!(has(13, "keys.nowhere"), "{lines:?}");
        assert!(has(16, "purpleish"), "{lines:?}");
        assert!(has(19, "frobnicate"), "{lines:?}");
        assert!(problems.iter().all(|p| p.file == "my.toml"));
        assert!(problems[0].to_string().starts_with("my.toml:3: "));
    }

    #[test]
    fn syntax_errors_are_reported_and_defaults_kept() {
        let (config, problems) = Config::from_toml("[reader]\nwidth = = 3\n", "bad.toml");
        assert_eq!(config.reading_width, 100);
        assert!(!problems.is_empty());
        assert!(
            problems
                .iter()
                .all(|p| p.line == Some(2) && p.message.contains("TOML syntax")),
            "{problems:?}"
        );
    }

    #[test]
    fn group_values_out_of_range_are_rejected_with_their_line() {
        for bad in ["nan", "inf", "-inf", "-0.1", "1.7", "\"0.5\"", "1e400"] {
            let text = format!("[ui]\nmouse = true\n[group]\nmin_containment = {bad}\n");
            let (config, problems) = Config::from_toml(&text, "c.toml");
            assert_eq!(config.group, GroupSettings::default(), "{bad}");
            assert!(config.mouse, "the rest still applies");
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert_eq!(problems[0].line, Some(4), "{bad}");
            assert!(
                problems[0].to_string().starts_with(
                    "c.toml:4: [group] min_containment: expected a number from 0 to 1"
                ),
                "{}",
                problems[0]
            );
        }
        for (key, bad) in [
            ("max_days", "-1"),
            ("max_days", "nan"),
            ("sample", "3"),
            ("max_shared_by", "0"),
        ] {
            let (_, problems) = Config::from_toml(&format!("[group]\n{key} = {bad}\n"), "c.toml");
            assert_eq!(problems.len(), 1, "{key} = {bad}: {problems:?}");
        }
        let (config, problems) = Config::from_toml(
            "[group]\nmin_containment = 0.35\nmax_days = 2\nsample = 8\n",
            "c.toml",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.group.min_containment, 0.35);
        assert_eq!(config.group.max_days, 2.0);
    }

    #[test]
    fn format_keywords_are_added_and_mistakes_reported_with_lines() {
        let text = "[formats.keywords]\nend = [\"Fine del documento\", 3]\ndocuments = \"Documento\"\nending = \"x\"\nbody = \"  \"\n[formats.other]\n";
        let (c, problems) = Config::from_toml(text, "c.toml");
        let kw = &c.keywords;
        assert!(crate::corpus::formats::ExportKeywords::is(
            &kw.end,
            "fine del documento"
        ));
        assert!(crate::corpus::formats::ExportKeywords::is(
            &kw.end,
            "End of Document"
        ));
        assert!(kw.documents.iter().any(|w| w == "Documento"));
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(shown[0].starts_with("c.toml:2: formats.keywords.end: expected a string"));
        assert!(shown[1].starts_with("c.toml:4: unknown keyword kind `formats.keywords.ending`"));
        assert!(shown[2].starts_with("c.toml:5: formats.keywords.body: empty keyword"));
        assert!(shown[3].starts_with("c.toml:6: unknown key `formats.other`"));
    }

    #[test]
    fn bad_group_value_is_reported() {
        let (_config, problems) =
            Config::from_toml("# grouping\ngroup = 5\n[ui]\nmouse = true\n", "g.toml");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.starts_with("[group]"));
    }
}
