//! Laying text out in terminal columns: one line-breaker for plain text and for styled cells
//! (the reading pane, the diff view, `stet show`, the generator's hard wrapping), and one
//! truncator.

use unicode_width::UnicodeWidthChar;

/// Display width of `s` in terminal columns (wide characters count two).
pub fn text_width(s: &str) -> usize {
    if s.is_ascii() {
        // Printable ASCII is one column, control characters none (as `width` says).
        return s.bytes().filter(|b| (0x20..0x7f).contains(b)).count();
    }
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Cuts `s` to at most `width` columns, ending with `…` when cut (nothing at width 0).
pub fn truncate(s: &str, width: usize) -> String {
    if text_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// What happens to a word wider than the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongWords {
    /// Broken between cells over as many lines as it takes (a screen column).
    Break,
    /// Left whole on a line of its own, wider than the others (printed text, where a URL
    /// must stay one piece).
    Overflow,
    /// Cut to the line's width on a line of its own, the rest left out (a table cell).
    Cut,
}

/// Wraps `text` into lines of at most `width` columns, breaking at spaces; words wider than
/// the line are broken between characters. Wide characters count two columns. Always at
/// least one (maybe empty) line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_text(text, width, LongWords::Break, |c| c.width().unwrap_or(0))
}

/// Wraps `text` at spaces into lines of at most `width` columns, a word wider than that
/// standing alone on its line. No line for empty text.
pub(crate) fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let lines = wrap_text(text, width, LongWords::Overflow, |c| c.width().unwrap_or(0));
    if lines.len() == 1 && lines[0].is_empty() {
        return Vec::new();
    }
    lines
}

/// Wraps the words of `text` (split at whitespace, rejoined by one space) with `cell_width`
/// giving each character's width.
pub fn wrap_text(
    text: &str,
    width: usize,
    long: LongWords,
    cell_width: impl Fn(&char) -> usize,
) -> Vec<String> {
    let mut cells: Vec<char> = Vec::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !cells.is_empty() {
            cells.push(' ');
        }
        cells.extend(word.chars());
    }
    wrap_cells_with(&cells, width, long, |c| *c == ' ', cell_width)
        .into_iter()
        .map(|l| l.into_iter().collect())
        .collect()
}

/// Lays cells (characters, or characters with a style) out in lines of at most `width`
/// columns, breaking at space cells: a space between two words on a line is the one from the
/// text, a word wider than a line is broken between cells. Runs of spaces must already be one
/// space, with none at the ends. A space cell of width 0 is a break without a space (two
/// marked pieces written together, `[-a-]{+b+}`). Always at least one (maybe empty) line.
pub fn wrap_cells<C: Copy>(
    cells: &[C],
    width: usize,
    is_space: impl Fn(&C) -> bool,
    cell_width: impl Fn(&C) -> usize,
) -> Vec<Vec<C>> {
    wrap_cells_with(cells, width, LongWords::Break, is_space, cell_width)
}

/// [`wrap_cells`] with a choice of what happens to words wider than a line.
pub(crate) fn wrap_cells_with<C: Copy>(
    cells: &[C],
    width: usize,
    long: LongWords,
    is_space: impl Fn(&C) -> bool,
    cell_width: impl Fn(&C) -> usize,
) -> Vec<Vec<C>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<C>> = Vec::new();
    let mut line: Vec<C> = Vec::new();
    let mut line_w = 0usize;
    let mut i = 0;
    while i < cells.len() {
        if is_space(&cells[i]) {
            i += 1;
            continue;
        }
        let (s, space) = (i, i.checked_sub(1).map(|k| cells[k]));
        while i < cells.len() && !is_space(&cells[i]) {
            i += 1;
        }
        let word = &cells[s..i];
        let word_w: usize = word.iter().map(&cell_width).sum();
        let needed = if line.is_empty() {
            word_w
        } else {
            word_w + space.as_ref().map_or(1, &cell_width)
        };
        if line_w + needed <= width {
            if !line.is_empty()
                && let Some(sp) = space
            {
                line.push(sp);
            }
            line.extend_from_slice(word);
            line_w += needed;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_w = 0;
        }
        if long == LongWords::Overflow {
            line.extend_from_slice(word);
            line_w = word_w;
            continue;
        }
        if long == LongWords::Cut {
            // As many cells as fit (at least one), on a line of their own so far.
            let mut end = 0;
            for &c in word {
                let w = cell_width(&c);
                if line_w + w > width && end > 0 {
                    break;
                }
                line_w += w;
                end += 1;
            }
            line.extend_from_slice(&word[..end]);
            continue;
        }
        for &c in word {
            let w = cell_width(&c);
            if line_w + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            line.push(c);
            line_w += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_width_is_the_width_char_by_char() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for s in [all.as_str(), "Plain title", "tab\there", "", "\u{7f}x"] {
            let slow: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
            assert_eq!(text_width(s), slow, "{s:?}");
        }
        assert_eq!(text_width("日本 ab"), 7);
    }

    #[test]
    fn wraps_at_spaces_and_breaks_long_words() {
        assert_eq!(
            wrap("the quick brown fox", 9),
            vec!["the quick", "brown fox"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), vec![""]);
        // Wide characters take two columns each.
        let w = wrap("東京都 東京都", 6);
        assert_eq!(w, vec!["東京都", "東京都"]);
        for l in wrap("東京都東京都東京都", 5) {
            assert!(text_width(&l) <= 5, "{l}");
        }
    }

    #[test]
    fn long_words_can_stand_alone() {
        assert_eq!(
            wrap_words("see https://example.com/a/long/path now", 10),
            vec!["see", "https://example.com/a/long/path", "now"]
        );
        assert_eq!(wrap_words("  one   two  ", 3), vec!["one", "two"]);
        assert!(wrap_words(" ", 10).is_empty());
        assert_eq!(wrap_words("東京 東京", 4), vec!["東京", "東京"]);
        // Widths by bytes, as the generator hard-wraps: "£5" is three bytes.
        let by_bytes = wrap_text("a £5 b", 4, LongWords::Overflow, |c| c.len_utf8());
        assert_eq!(by_bytes, vec!["a", "£5", "b"]);
    }

    #[test]
    fn long_words_can_be_cut_and_zero_width_spaces_break_without_a_gap() {
        let cells: Vec<char> = "ab cdefghij kl".chars().collect();
        let cut = wrap_cells_with(&cells, 5, LongWords::Cut, |c| *c == ' ', |_| 1);
        let text: Vec<String> = cut.iter().map(|l| l.iter().collect()).collect();
        assert_eq!(text, vec!["ab", "cdefg", "kl"]);
        // `|` stands for a break of width 0: "ab|cd" is "abcd" on one line when it fits.
        let cells: Vec<char> = "ab|cd ef".chars().collect();
        let width = |c: &char| usize::from(*c != '|');
        let lines = wrap_cells_with(&cells, 4, LongWords::Break, |c| " |".contains(*c), width);
        let text: Vec<String> = lines.iter().map(|l| l.iter().collect()).collect();
        assert_eq!(text, vec!["ab|cd", "ef"]);
        let lines = wrap_cells_with(&cells, 3, LongWords::Break, |c| " |".contains(*c), width);
        let text: Vec<String> = lines.iter().map(|l| l.iter().collect()).collect();
        assert_eq!(text, vec!["ab", "cd", "ef"]);
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("東京都庁", 5), "東京…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("short", 0), "");
    }
}
