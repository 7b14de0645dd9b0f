//! Key sequences → actions, per context. Keys are written as in helix: `j`, `G`, `ctrl-d`,
//! `shift-tab`, `pagedown`, and sequences separated by spaces (`g g`). The keymap holds no
//! terminal types: the runtime turns terminal key events into `KeyChord`s.

use std::collections::BTreeMap;
use std::fmt;

use super::{Action, Context};

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    /// A printable character (shifted letters are upper case).
    Char(char),
    /// Enter / Return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// A function key F1..F24.
    F(u8),
}

/// A key with its modifiers. Shift is folded into the character for printable keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyChord {
    /// The key.
    pub code: KeyCode,
    /// Control held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
    /// Shift held (only for non-printable keys).
    pub shift: bool,
}

impl KeyChord {
    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> KeyChord {
        KeyChord {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// A printable character without modifiers.
    pub const fn ch(c: char) -> KeyChord {
        KeyChord::plain(KeyCode::Char(c))
    }

    #[cfg(test)]
    /// Control plus a character.
    pub(crate) const fn ctrl(c: char) -> KeyChord {
        KeyChord {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }

    /// The character this key types into a text input, when it types one.
    pub(crate) fn text(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }

    /// Parses one key: `j`, `G`, `ctrl-d`, `alt-x`, `shift-tab`, `space`, `pagedown`, `f5`.
    pub(crate) fn parse(s: &str) -> Result<KeyChord, String> {
        let mut rest = s;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 2 && (lower.starts_with("ctrl-") || lower.starts_with("c-")) {
                ctrl = true;
                rest = &rest[rest.find('-').map_or(0, |i| i + 1)..];
            } else if rest.chars().count() > 2
                && (lower.starts_with("alt-") || lower.starts_with("a-"))
            {
                alt = true;
                rest = &rest[rest.find('-').map_or(0, |i| i + 1)..];
            } else if rest.chars().count() > 2
                && (lower.starts_with("shift-") || lower.starts_with("s-"))
            {
                shift = true;
                rest = &rest[rest.find('-').map_or(0, |i| i + 1)..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(format!("empty key in {s:?}")),
            (Some(c), None) => {
                if shift && c.is_ascii_alphabetic() {
                    shift = false;
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "ret" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if shift => {
                    shift = false;
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "del" | "delete" => KeyCode::Delete,
                "ins" | "insert" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                "minus" => KeyCode::Char('-'),
                other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n @ 1..=24) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {rest:?} in {s:?}")),
                },
            },
        };
        Ok(KeyChord {
            code,
            ctrl,
            alt,
            shift,
        })
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("A-")?;
        }
        if self.shift {
            f.write_str("S-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
        }
    }
}

/// Parses a key sequence: keys separated by spaces (`g g`, `ctrl-w j`).
pub fn parse_sequence(s: &str) -> Result<Vec<KeyChord>, String> {
    if s == " " {
        return Ok(vec![KeyChord::ch(' ')]);
    }
    let keys = s
        .split_whitespace()
        .map(KeyChord::parse)
        .collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err("empty key sequence".into());
    }
    Ok(keys)
}

/// Writes a key sequence as the user would type it in the help.
pub fn format_sequence(keys: &[KeyChord]) -> String {
    keys.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a key press resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// A complete binding.
    Action(Action),
    /// The keys so far begin a longer binding: wait for more.
    Pending,
    /// The keys so far are a complete binding and also begin a longer one (`]` steps versions,
    /// `] a` goes to the next annotation): wait for the next key, and take the action when it
    /// does not continue the sequence or when no key comes for a moment.
    Ambiguous(Action),
    /// No binding.
    Unbound,
}

/// The key bindings, per context.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Vec<KeyChord>, Action>>,
}

impl Keymap {
    /// Binds `keys` to `action` in `context`, replacing an earlier binding of the same keys.
    pub(crate) fn bind(&mut self, context: Context, keys: Vec<KeyChord>, action: Action) {
        self.bindings
            .entry(context)
            .or_default()
            .insert(keys, action);
    }

    /// Removes the binding of `keys` in `context`.
    pub(crate) fn unbind(&mut self, context: Context, keys: &[KeyChord]) {
        if let Some(map) = self.bindings.get_mut(&context) {
            map.remove(keys);
        }
    }

    /// Resolves the key sequence `keys` in the `chain` of contexts, most specific first: the
    /// first context with an exact binding decides the action; when that context or a more
    /// specific one also has a longer binding starting with `keys`, the result is
    /// [`Resolved::Ambiguous`]; a longer binding alone makes it [`Resolved::Pending`].
    pub(crate) fn resolve(&self, chain: &[Context], keys: &[KeyChord]) -> Resolved {
        let mut longer_seen = false;
        for context in chain {
            let Some(map) = self.bindings.get(context) else {
                continue;
            };
            longer_seen |= map
                .range(keys.to_vec()..)
                .find(|(k, _)| k.as_slice() != keys)
                .is_some_and(|(k, _)| k.len() > keys.len() && k.starts_with(keys));
            if let Some(&action) = map.get(keys) {
                return if longer_seen {
                    Resolved::Ambiguous(action)
                } else {
                    Resolved::Action(action)
                };
            }
        }
        if longer_seen {
            Resolved::Pending
        } else {
            Resolved::Unbound
        }
    }

    /// The bindings of one context, as (keys, action), in key order.
    pub(crate) fn bindings(&self, context: Context) -> impl Iterator<Item = (&[KeyChord], Action)> {
        self.bindings
            .get(&context)
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, &a)| (k.as_slice(), a)))
    }

    /// Every key sequence bound to `action` in `context`, best first (single keys, then
    /// letters before named keys).
    pub(crate) fn keys_for(&self, context: Context, action: Action) -> Vec<Vec<KeyChord>> {
        let mut keys: Vec<Vec<KeyChord>> = self
            .bindings(context)
            .filter(|&(_, a)| a == action)
            .map(|(k, _)| k.to_vec())
            .collect();
        keys.sort_by_key(|k| {
            let named = !matches!(k[0].code, KeyCode::Char(_)) as u8;
            (named, k[0].ctrl as u8, k.len())
        });
        keys
    }

    /// The first key sequence that triggers `action` in `chain`, for hints.
    pub(crate) fn first_key(&self, chain: &[Context], action: Action) -> Option<String> {
        for &context in chain {
            if let Some(keys) = self.keys_for(context, action).first() {
                // Only offer keys that really reach the action from this chain.
                if matches!(self.resolve(chain, keys),
                    Resolved::Action(a) | Resolved::Ambiguous(a) if a == action)
                {
                    return Some(format_sequence(keys));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys() {
        assert_eq!(KeyChord::parse("j").unwrap(), KeyChord::ch('j'));
        assert_eq!(KeyChord::parse("G").unwrap(), KeyChord::ch('G'));
        assert_eq!(KeyChord::parse("shift-g").unwrap(), KeyChord::ch('G'));
        assert_eq!(KeyChord::parse("ctrl-d").unwrap(), KeyChord::ctrl('d'));
        assert_eq!(
            KeyChord::parse("shift-tab").unwrap(),
            KeyChord::plain(KeyCode::BackTab)
        );
        assert_eq!(
            KeyChord::parse("PageDown").unwrap(),
            KeyChord::plain(KeyCode::PageDown)
        );
        assert_eq!(KeyChord::parse("space").unwrap(), KeyChord::ch(' '));
        assert_eq!(KeyChord::parse("-").unwrap(), KeyChord::ch('-'));
        assert_eq!(
            KeyChord::parse("f5").unwrap(),
            KeyChord::plain(KeyCode::F(5))
        );
        // "ctrl-" is too short to carry a modifier: it is the two keys' text, not a chord.
        assert!(KeyChord::parse("ctrl-").is_err());
        assert_eq!(KeyChord::parse("c-x").unwrap(), KeyChord::ctrl('x'));
        assert!(KeyChord::parse("ctrl-nosuchkey").is_err());
        assert!(KeyChord::parse("nosuchkey").is_err());
        assert_eq!(
            parse_sequence("g g").unwrap(),
            vec![KeyChord::ch('g'), KeyChord::ch('g')]
        );
    }

    #[test]
    fn resolves_sequences_and_prefixes() {
        let mut km = Keymap::default();
        km.bind(
            Context::Global,
            parse_sequence("g g").unwrap(),
            Action::First,
        );
        km.bind(Context::Global, vec![KeyChord::ch('q')], Action::Quit);
        km.bind(Context::Help, vec![KeyChord::ch('q')], Action::Back);
        let chain = [Context::List, Context::Global];
        assert_eq!(km.resolve(&chain, &[KeyChord::ch('g')]), Resolved::Pending);
        assert_eq!(
            km.resolve(&chain, &[KeyChord::ch('g'), KeyChord::ch('g')]),
            Resolved::Action(Action::First)
        );
        assert_eq!(km.resolve(&chain, &[KeyChord::ch('x')]), Resolved::Unbound);
        assert_eq!(
            km.resolve(&[Context::Help, Context::Global], &[KeyChord::ch('q')]),
            Resolved::Action(Action::Back)
        );
        assert_eq!(km.first_key(&chain, Action::First).as_deref(), Some("g g"));
    }

    #[test]
    fn a_key_can_be_a_command_and_the_start_of_a_sequence() {
        let mut km = Keymap::default();
        km.bind(
            Context::Global,
            vec![KeyChord::ch(']')],
            Action::NextVersion,
        );
        km.bind(
            Context::Reader,
            parse_sequence("] a").unwrap(),
            Action::NextAnnotation,
        );
        km.bind(Context::List, vec![KeyChord::ch(']')], Action::Open);
        let reader = [Context::Reader, Context::Global];
        assert_eq!(
            km.resolve(&reader, &[KeyChord::ch(']')]),
            Resolved::Ambiguous(Action::NextVersion)
        );
        assert_eq!(
            km.resolve(&reader, &parse_sequence("] a").unwrap()),
            Resolved::Action(Action::NextAnnotation)
        );
        assert_eq!(
            km.resolve(&reader, &parse_sequence("] x").unwrap()),
            Resolved::Unbound
        );
        // Where no longer binding exists the key acts at once.
        assert_eq!(
            km.resolve(&[Context::Versions, Context::Global], &[KeyChord::ch(']')]),
            Resolved::Action(Action::NextVersion)
        );
        // A more specific exact binding shadows a less specific sequence.
        km.bind(
            Context::Global,
            parse_sequence("] ]").unwrap(),
            Action::Last,
        );
        assert_eq!(
            km.resolve(&[Context::List, Context::Global], &[KeyChord::ch(']')]),
            Resolved::Action(Action::Open)
        );
        assert_eq!(
            km.first_key(&reader, Action::NextVersion).as_deref(),
            Some("]")
        );
    }
}
