//! Hard-wrapped lines joined back into paragraphs.

use super::*;

pub(super) fn reflow_numbered(lines: &[&str], first_line: usize) -> Vec<Para> {
    let lens: Vec<usize> = lines.iter().map(|l| char_len(l)).collect();
    let width = wrap_width(lines, &lens);
    let mut paragraphs = Vec::with_capacity(lines.len() / 4 + 4);
    // Blocks are runs of non-blank lines: slices of `lines`.
    let mut start: Option<usize> = None;
    for i in 0..=lines.len() {
        let blank = lines.get(i).is_none_or(|l| is_blank_line(l));
        match (blank, start) {
            (true, Some(s)) => {
                reflow_block(
                    &lines[s..i],
                    &lens[s..i],
                    first_line + s,
                    width,
                    &mut paragraphs,
                );
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    paragraphs
}

/// The width text was hard-wrapped at, when it was: the longest of the lines followed by
/// another line of the same block, ignoring unwrapped long lines. `Some(usize::MAX)` when there
/// is enough evidence that the text is not hard-wrapped (every line is a paragraph), `None`
/// when there are too few lines to tell, or when the lines do not come close enough to one
/// width but most of them stop mid-sentence (a short wrapped item, a table's notes): wrapped,
/// at a width not known.
pub(super) fn wrap_width(lines: &[&str], line_lens: &[usize]) -> Option<usize> {
    let mut lens: Vec<usize> = Vec::with_capacity(lines.len());
    // Lines followed by another that stop mid-sentence.
    let mut open = 0;
    lens.extend(
        lines
            .windows(2)
            .zip(line_lens)
            .filter(|(w, _)| !is_blank_line(w[0]) && !is_blank_line(w[1]))
            .map(|(w, &n)| {
                open += usize::from(!ends_sentence(w[0].trim_end()));
                n
            }),
    );
    if lens.len() < 3 {
        return None;
    }
    // Single-newline paragraphs end their sentences; most wrapped lines do not.
    let unwrapped = if open * 2 > lens.len() {
        None
    } else {
        Some(usize::MAX)
    };
    lens.sort_unstable();
    let median = lens[lens.len() / 2];
    if median < 20 {
        return None;
    }
    let cap = median + median / 3;
    let Some(width) = lens.iter().copied().filter(|&l| l <= cap).max() else {
        return unwrapped;
    };
    // Hard wrapping is at most ~120 columns and most wrapped lines come close to the width;
    // single-newline paragraphs (JSON bodies) vary far more.
    // Paragraph-final lines and lead-word fragments are short, so look for a strong cluster
    // just under the width rather than a majority.
    let near = lens
        .iter()
        .filter(|&&l| l * 10 >= width * 7 && l <= width)
        .count();
    let tight = lens
        .iter()
        .filter(|&&l| l * 100 >= width * 85 && l <= width)
        .count();
    if width <= 120 && tight >= 3 && tight * 100 >= lens.len() * 35 && near * 100 >= lens.len() * 45
    {
        Some(width)
    } else {
        unwrapped
    }
}

pub(super) fn indent(line: &str) -> usize {
    line.bytes()
        .take_while(|&c| c == b' ' || c == b'\t')
        .map(|c| if c == b'\t' { 4 } else { 1 })
        .sum()
}

pub(super) fn ends_sentence(line: &str) -> bool {
    // Most lines end in an ASCII letter or digit: no closers to strip, no sentence end.
    if line
        .as_bytes()
        .last()
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b',' || *b == b' ')
    {
        return false;
    }
    let t = line.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    t.ends_with(['.', '!', '?', ':']) || t.ends_with("...") || t.ends_with('…')
}

pub(super) fn reflow_block(
    block: &[&str],
    lens: &[usize],
    block_start: usize,
    width: Option<usize>,
    out: &mut Vec<Para>,
) {
    let base_indent = block.iter().map(|l| indent(l)).min().unwrap_or(0);
    let is_long = |i: usize| width.is_some_and(|w| lens[i] > w.saturating_add(w / 5));
    let mut current = String::with_capacity(block.iter().map(|l| l.len() + 1).sum());
    let mut start = block_start;
    for (i, line) in block.iter().enumerate() {
        let text = line.trim();
        if i > 0 {
            let prev = block[i - 1];
            let brk = match width {
                Some(usize::MAX) => true,
                Some(w) => {
                    let next_exists = i + 1 < block.len();
                    // The scraped-repost shape: a paragraph's first word alone on a line.
                    let lead_fragment = next_exists
                        && ends_sentence(prev)
                        && !ends_sentence(text)
                        && lens[i] * 3 < w
                        && word_count(text) <= 3;
                    indent(line) > base_indent
                        || lead_fragment
                        || is_long(i - 1)
                        || is_long(i)
                        || (ends_sentence(prev)
                            && lens[i - 1]
                                + 1
                                + text
                                    .split_whitespace()
                                    .next()
                                    .map_or(0, |f| f.chars().count())
                                <= w)
                }
                None => indent(line) > base_indent || ends_sentence(prev),
            };
            // A line that goes on with the sentence the line before left open ("... a loss
            // of 17 cts per" / "share from discontinued operations.") is never a paragraph of
            // its own, whatever the width says: a short item's few lines, or notes wrapped
            // under a table of figures (whose short rows set the width), tell the width
            // wrong.
            let brk = brk && (indent(line) > base_indent || !continues(prev, text));
            if brk {
                push_paragraph(&mut current, (start, block_start + i - 1), out);
                start = block_start + i;
            } else if !current.is_empty() {
                let joins_hyphen = current.ends_with('-')
                    && current
                        .chars()
                        .rev()
                        .nth(1)
                        .is_some_and(char::is_alphabetic)
                    && text.chars().next().is_some_and(char::is_lowercase);
                if !joins_hyphen {
                    current.push(' ');
                }
            }
        }
        push_collapsed(&mut current, text);
    }
    push_paragraph(&mut current, (start, block_start + block.len() - 1), out);
}

/// Whether `next` reads as the rest of the sentence `prev` left open: `prev` does not end a
/// sentence, and `next` starts with a lower-case letter or a digit or `prev` ends with a
/// word no sentence or heading ends with ("... credit figures on" / "Friday.").
fn continues(prev: &str, next: &str) -> bool {
    let prev = prev.trim_end();
    if ends_sentence(prev) {
        return false;
    }
    next.chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
        || prev
            .rsplit(' ')
            .next()
            .is_some_and(|w| OPEN_ENDS.contains(&w))
}

/// Words that leave a sentence open: a line that ends with one goes on on the next.
const OPEN_ENDS: [&str; 16] = [
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "than", "the", "to",
    "with",
];

/// Length in characters, cheaply for ASCII.
pub(super) fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Appends `text` with runs of spaces and tabs collapsed to one space.
pub(super) fn push_collapsed(buf: &mut String, text: &str) {
    let needs_collapsing =
        text.contains("  ") || text.contains('\t') || (buf.ends_with(' ') && text.starts_with(' '));
    if !needs_collapsing {
        buf.push_str(text);
        return;
    }
    let mut last_space = buf.ends_with(' ');
    for c in text.chars() {
        if c == ' ' || c == '\t' {
            if !last_space {
                buf.push(' ');
            }
            last_space = true;
        } else {
            buf.push(c);
            last_space = false;
        }
    }
}

pub(super) fn push_paragraph(current: &mut String, lines: (usize, usize), out: &mut Vec<Para>) {
    let p = current.trim();
    if !p.is_empty() {
        out.push(Para {
            text: p.to_string(),
            lines,
        });
    }
    current.clear();
}
