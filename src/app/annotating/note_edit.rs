//! The note input's text editing: a cursor (a code-point index into the text, `None` at its
//! end) moved by character, word, line start and end, and line up and down; typing, Backspace,
//! Delete and Ctrl-w work at the cursor. Pure and small: a text-area widget would hold its
//! state in the UI layer, which `app` may not import.

use crate::command::Action;

/// The byte offset of code point `ci` in `text` (its length past the end).
fn byte_at(text: &str, ci: usize) -> usize {
    text.char_indices().nth(ci).map_or(text.len(), |(b, _)| b)
}

/// Start (code points) of the line holding `at`, and its end.
fn line_bounds(chars: &[char], at: usize) -> (usize, usize) {
    let start = chars[..at]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |i| i + 1);
    let end = chars[at..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |i| at + i);
    (start, end)
}

/// Applies `action` to the note `text` with its `cursor`; false when it is not an editing
/// action.
pub(in crate::app) fn edit(text: &mut String, cursor: &mut Option<usize>, action: Action) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let at = cursor.unwrap_or(n).min(n);
    let word_start = |mut i: usize| {
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    };
    let new = match action {
        Action::InputLeft => at.saturating_sub(1),
        Action::InputRight => (at + 1).min(n),
        Action::InputHome => line_bounds(&chars, at).0,
        Action::InputEnd => line_bounds(&chars, at).1,
        Action::InputWordLeft => word_start(at),
        Action::InputWordRight => {
            let mut i = at;
            while i < n && !chars[i].is_whitespace() {
                i += 1;
            }
            while i < n && chars[i].is_whitespace() {
                i += 1;
            }
            i
        }
        Action::MoveUp | Action::MoveDown => {
            let (start, end) = line_bounds(&chars, at);
            let col = at - start;
            if action == Action::MoveUp {
                if start == 0 {
                    0
                } else {
                    let (ps, pe) = line_bounds(&chars, start - 1);
                    (ps + col).min(pe)
                }
            } else if end == n {
                n
            } else {
                let (ns, ne) = line_bounds(&chars, end + 1);
                (ns + col).min(ne)
            }
        }
        Action::InputBackspace if at > 0 => {
            let (a, b) = (byte_at(text, at - 1), byte_at(text, at));
            text.replace_range(a..b, "");
            at - 1
        }
        Action::InputBackspace => at,
        Action::InputDelete if at < n => {
            let (a, b) = (byte_at(text, at), byte_at(text, at + 1));
            text.replace_range(a..b, "");
            at
        }
        Action::InputDelete => at,
        Action::InputDeleteWord => {
            let from = word_start(at);
            let (a, b) = (byte_at(text, from), byte_at(text, at));
            text.replace_range(a..b, "");
            from
        }
        Action::InputClear => {
            text.clear();
            0
        }
        Action::NoteNewline => return insert(text, cursor, '\n'),
        _ => return false,
    };
    *cursor = (new < text.chars().count()).then_some(new);
    true
}

/// What the note input asks of the app after an action ([`update`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteOutcome {
    /// Keep typing.
    Stay,
    /// Save the note (and make the annotation).
    Save,
    /// Give the note up.
    Cancel,
}

/// Applies an action of the note input to the note `text` with its `cursor`, and says what
/// the app is to do.
pub(in crate::app) fn update(
    text: &mut String,
    cursor: &mut Option<usize>,
    action: Action,
) -> NoteOutcome {
    match action {
        Action::InputCancel => NoteOutcome::Cancel,
        Action::NoteSave => NoteOutcome::Save,
        _ => {
            edit(text, cursor, action);
            NoteOutcome::Stay
        }
    }
}

/// Types `c` at the cursor.
pub(in crate::app) fn insert(text: &mut String, cursor: &mut Option<usize>, c: char) -> bool {
    match *cursor {
        None => text.push(c),
        Some(at) => {
            let b = byte_at(text, at);
            text.insert(b, c);
            *cursor = Some(at + 1);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_input_edits_saves_and_cancels() {
        let (mut text, mut cursor) = ("Check the".to_string(), None);
        let mut step = |a| update(&mut text, &mut cursor, a);
        assert_eq!(step(Action::InputDeleteWord), NoteOutcome::Stay);
        assert_eq!(step(Action::NoteSave), NoteOutcome::Save);
        assert_eq!(step(Action::InputCancel), NoteOutcome::Cancel);
        assert_eq!(text, "Check ");
    }

    #[test]
    fn the_search_input_edits_the_query_and_says_what_to_do() {
        use crate::app::{SearchOutcome, SearchState};
        let mut s = SearchState {
            query: "harbour plan ".into(),
            ..SearchState::default()
        };
        assert_eq!(s.update(Action::InputDeleteWord), SearchOutcome::Changed);
        assert_eq!(s.query, "harbour ");
        assert_eq!(s.update(Action::InputBackspace), SearchOutcome::Changed);
        assert_eq!(s.query, "harbour");
        assert_eq!(s.update(Action::SearchPrev), SearchOutcome::Step(false));
        assert_eq!(s.update(Action::InputSubmit), SearchOutcome::Submit);
        assert_eq!(s.update(Action::InputCancel), SearchOutcome::Cancel);
        assert_eq!(s.update(Action::MoveDown), SearchOutcome::Stay);
        assert_eq!(s.update(Action::InputClear), SearchOutcome::Changed);
        assert!(s.query.is_empty());
    }

    fn run(text: &str, actions: &[Action]) -> (String, Option<usize>) {
        let mut t = text.to_string();
        let mut c = None;
        for &a in actions {
            edit(&mut t, &mut c, a);
        }
        (t, c)
    }

    #[test]
    fn moves_and_edits_at_the_cursor() {
        use Action::*;
        let (t, c) = run("was 12 people", &[InputLeft, InputLeft, InputBackspace]);
        assert_eq!((t.as_str(), c), ("was 12 peole", Some(10)));
        let (t, c) = run("was 12", &[InputWordLeft, InputWordLeft, InputDeleteWord]);
        assert_eq!((t.as_str(), c), ("was 12", Some(0)));
        let (t, _) = run("was 12", &[InputHome, InputDelete]);
        assert_eq!(t, "as 12");
        let (t, c) = run("ab\ncdef", &[MoveUp]);
        assert_eq!((t.as_str(), c), ("ab\ncdef", Some(2)));
        let (_, c) = run("abcd\nxy", &[InputHome, MoveUp, InputEnd, MoveDown]);
        assert_eq!(c, None, "end of the text");
        let mut t = "é€x".to_string();
        let mut c = Some(1);
        insert(&mut t, &mut c, 'ü');
        assert_eq!((t.as_str(), c), ("éü€x", Some(2)));
    }
}
