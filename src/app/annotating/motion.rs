//! Selection motions shared by the reading pane and the diff view: word ends, finding a
//! character (`f`/`t`/`F`/`T`) and "just this word" (`*`). The selection's units are the
//! whitespace-separated words of the text, so a motion moves the selection's head to a word.

use super::*;

/// Whether `word` holds `c`: a lower-case letter matches either case (smart case), anything
/// else only itself.
fn holds(word: &[char], c: char) -> bool {
    if c.is_lowercase() {
        word.iter().any(|w| w.to_lowercase().eq(c.to_lowercase()))
    } else {
        word.contains(&c)
    }
}

/// The head after the find motion `action` (`FindChar`, `TillChar`, `FindCharBack`,
/// `TillCharBack`) for `c`, repeated `count` times over `words` (code-point ranges of
/// `text`); `None` when the character is not found that many times.
pub(in crate::app) fn find_head(
    text: &[char],
    words: &[Range<usize>],
    head: usize,
    action: Action,
    c: char,
    count: usize,
) -> Option<usize> {
    let word = |i: usize| {
        words
            .get(i)
            .and_then(|r| text.get(r.start..r.end.min(text.len())))
            .unwrap_or(&[])
    };
    let fwd = matches!(action, Action::FindChar | Action::TillChar);
    let till = matches!(action, Action::TillChar | Action::TillCharBack);
    let mut at = head;
    for k in 0..count.max(1) {
        // A repeated `t` steps past the word it stopped before.
        let from = if till && k > 0 {
            if fwd { at + 1 } else { at.checked_sub(1)? }
        } else {
            at
        };
        let found = if fwd {
            (from + 1..words.len()).find(|&i| holds(word(i), c))?
        } else {
            (0..from).rev().find(|&i| holds(word(i), c))?
        };
        at = match (till, fwd) {
            (false, _) => found,
            (true, true) => found.saturating_sub(1).max(head.min(found)),
            (true, false) => (found + 1).min(head.max(found)),
        };
    }
    Some(at)
}

/// Moves `sel`'s head for a word motion (`WordNext`, `WordPrev`, `WordEnd`, `WordEndPrev`)
/// or makes the head's word the selection (`SelectWord`), among `nw` words. True when it
/// was one of them.
pub(in crate::app) fn word_motion(sel: &mut Selection, action: Action, nw: usize) -> bool {
    if nw == 0 {
        return false;
    }
    match action {
        Action::WordNext | Action::WordEnd => sel.head = (sel.head + 1).min(nw - 1),
        Action::WordPrev | Action::WordEndPrev => sel.head = sel.head.saturating_sub(1),
        Action::SelectWord => sel.anchor = sel.head,
        _ => return false,
    }
    true
}

/// Whether `action` is a find motion waiting for a character.
pub(in crate::app) fn is_find(action: Action) -> bool {
    matches!(
        action,
        Action::FindChar | Action::TillChar | Action::FindCharBack | Action::TillCharBack
    )
}

/// Whether a count before `action` repeats it.
pub(in crate::app) fn counts(action: Action) -> bool {
    matches!(
        action,
        Action::WordNext
            | Action::WordPrev
            | Action::WordEnd
            | Action::WordEndPrev
            | Action::SentenceNext
            | Action::SentencePrev
            | Action::ParagraphNext
            | Action::ParagraphPrev
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(s: &str) -> (Vec<char>, Vec<Range<usize>>) {
        (s.chars().collect(), word_chars(s, 0))
    }

    #[test]
    fn find_and_till_land_on_words() {
        let (t, w) = setup("Police said 12 people were hurt, 3 badly, in Valmere.");
        assert_eq!(find_head(&t, &w, 0, Action::FindChar, '1', 1), Some(2));
        assert_eq!(find_head(&t, &w, 0, Action::TillChar, '1', 1), Some(1));
        assert_eq!(find_head(&t, &w, 0, Action::FindChar, 'v', 1), Some(9));
        assert_eq!(find_head(&t, &w, 0, Action::FindChar, 'e', 2), Some(4));
        assert_eq!(find_head(&t, &w, 0, Action::FindChar, 'V', 1), Some(9));
        assert_eq!(find_head(&t, &w, 0, Action::FindChar, 'P', 1), None);
        assert_eq!(find_head(&t, &w, 9, Action::FindCharBack, 'p', 1), Some(3));
        assert_eq!(find_head(&t, &w, 9, Action::TillCharBack, 'p', 1), Some(4));
        assert_eq!(find_head(&t, &w, 0, Action::FindChar, 'z', 1), None);
        // A word right after the head: t stays.
        assert_eq!(find_head(&t, &w, 1, Action::TillChar, '1', 1), Some(1));
    }
}
