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
    // Vim's motions on whole words: `w` and `e` from a word's start both end on a word's
    // end only once the head stands at one (`e`); `b` from a word's end goes to its start.
    let at_end = sel.end_of == Some(sel.head);
    match action {
        Action::WordNext => {
            sel.head = (sel.head + 1).min(nw - 1);
            sel.end_of = None;
        }
        Action::WordEnd => {
            if at_end {
                sel.head = (sel.head + 1).min(nw - 1);
            }
            sel.end_of = Some(sel.head);
        }
        Action::WordPrev => {
            if !at_end {
                sel.head = sel.head.saturating_sub(1);
            }
            sel.end_of = None;
        }
        Action::WordEndPrev => {
            sel.head = sel.head.saturating_sub(1);
            sel.end_of = Some(sel.head);
        }
        // Like vim's `viw`: the word whole, the head at its end.
        Action::SelectWord => {
            sel.anchor = sel.head;
            sel.end_of = Some(sel.head);
        }
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

    /// The words selected after `v` on word 2 and then `motions`, among 6 words.
    fn after(motions: &[Action]) -> std::ops::Range<usize> {
        let mut sel = Selection::at(2);
        for &m in motions {
            assert!(word_motion(&mut sel, m, 6));
        }
        sel.words()
    }

    #[test]
    fn e_and_ge_land_like_w_and_b_on_whole_words() {
        use Action::{WordEnd as E, WordEndPrev as GE, WordNext as W, WordPrev as B};
        // `ve` selects the one word under the cursor, `vee` two, as in vim.
        assert_eq!(after(&[E]), 2..3);
        assert_eq!(after(&[E, E]), 2..4);
        assert_eq!(after(&[E, E, E]), 2..5);
        // `vw` reaches into the next word, `vwe` ends on that word: the same two words.
        assert_eq!(after(&[W]), 2..4);
        assert_eq!(after(&[W, E]), 2..4);
        assert_eq!(after(&[W, E, E]), 2..5);
        // `b` from a word's end goes to its start (the same word), then back a word.
        assert_eq!(after(&[E, E, B]), 2..4);
        assert_eq!(after(&[E, E, B, B]), 2..3);
        assert_eq!(after(&[B]), 1..3);
        // `ge` goes to the end of the word before; `e` then goes on to the next word.
        assert_eq!(after(&[GE]), 1..3);
        assert_eq!(after(&[GE, E]), 2..3);
        assert_eq!(after(&[GE, GE]), 0..3);
        // The ends of the text hold.
        assert_eq!(after(&[E, E, E, E, E, E, E]), 2..6);
        assert_eq!(after(&[GE, GE, GE, GE]), 0..3);
        // `*` takes the head's word whole, its head at the end: `e` goes on to the next.
        assert_eq!(after(&[W, W, Action::SelectWord]), 4..5);
        assert_eq!(after(&[W, W, Action::SelectWord, E]), 4..6);
    }
}
