//! Cleaning: header metadata taken out of the body, hard-wrapped lines reflowed into
//! paragraphs, boilerplate removed (each removal recorded with its reason), a teaser copy of a
//! paragraph collapsed. The original characters are kept; the raw text is never altered.

use rustc_hash::{FxHashMap, FxHashSet};

use super::article::{Article, RemovalReason, RemovedLine};
use super::date::parse_date;
use crate::text::{matching_hash, normalize_for_matching};

/// What the record already says about itself (JSON fields), so the cleaner only looks for
/// what is missing.
#[derive(Debug, Clone, Default)]
pub struct KnownMeta<'a> {
    /// Headline from the record, if any.
    pub title: Option<&'a str>,
    /// Dateline from the record, if any.
    pub dateline: Option<&'a str>,
}

/// The result of cleaning one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// The body's paragraphs, reflowed, original characters kept.
    pub paragraphs: Vec<String>,
    /// Lines taken out, each with its reason (header lines included).
    pub removed: Vec<RemovedLine>,
    /// Headline found in the text's header.
    pub title: Option<String>,
    /// Date found in a page header (ISO form when parsed).
    pub date: Option<String>,
    /// Dateline or agency line.
    pub dateline: Option<String>,
    /// Deck or kicker.
    pub deck: Option<String>,
    /// Byline.
    pub byline: Option<String>,
}

/// Cleans `raw`: header metadata, reflow, boilerplate, duplicate teaser.
pub fn clean(raw: &str, known: &KnownMeta<'_>) -> Cleaned {
    let mut out = Cleaned::default();
    // Sized once (a count of newlines is a fast scan), not grown line by line.
    let mut lines: Vec<&str> =
        Vec::with_capacity(memchr::memchr_iter(b'\n', raw.as_bytes()).count() + 1);
    lines.extend(raw.lines().map(trim_line_end));
    let body_start = take_header(&lines, known, &mut out);
    let mut paragraphs = reflow_numbered(&lines[body_start..], body_start + 1);

    // Boilerplate by built-in patterns.
    paragraphs.retain(|p| match boilerplate_reason(&p.text) {
        Some(reason) => {
            out.removed.push(RemovedLine {
                text: p.text.clone(),
                reason,
                lines: Some(p.lines),
            });
            false
        }
        None => true,
    });

    // A headline repeated as the first paragraph of a record that has a title field.
    if let (Some(title), Some(first)) = (known.title, paragraphs.first())
        && !title.trim().is_empty()
        && first.text.len() <= title.len() * 2 + 8
        && same_matching_form(&first.text, title)
    {
        let p = paragraphs.remove(0);
        out.removed.push(RemovedLine {
            text: p.text,
            reason: RemovalReason::Headline,
            lines: Some(p.lines),
        });
    }

    // An inline dateline at the start of the first paragraph: "MOSCOW (Reuters) - ...".
    if out.dateline.is_none()
        && known.dateline.is_none()
        && let Some(first) = paragraphs.first_mut()
        && let Some(split) = inline_dateline_end(&first.text)
    {
        let text = &first.text;
        let dateline = text[..split]
            .trim()
            .trim_end_matches(['-', '–', '—'])
            .trim();
        out.removed.push(RemovedLine {
            text: text[..split].trim_end().to_string(),
            reason: RemovalReason::Dateline,
            lines: Some((first.lines.0, first.lines.0)),
        });
        out.dateline = Some(dateline.to_string());
        first.text = text[split..].trim_start().to_string();
    }

    collapse_duplicates(&mut paragraphs, &mut out.removed);
    out.paragraphs = paragraphs.into_iter().map(|p| p.text).collect();
    out
}

/// `line` without trailing carriage returns, spaces and tabs (bytes, not chars: they are
/// ASCII).
fn trim_line_end(line: &str) -> &str {
    let b = line.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\r' | b' ' | b'\t') {
        end -= 1;
    }
    &line[..end]
}

/// Whether a line holds nothing but whitespace (ASCII checked bytewise first).
fn is_blank_line(line: &str) -> bool {
    match line
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c))
    {
        None => true,
        Some(b) if b.is_ascii() => false,
        Some(_) => line.trim().is_empty(),
    }
}

/// A paragraph of the body with the raw lines it came from.
#[derive(Debug, Clone)]
struct Para {
    text: String,
    /// First and last line, 1-based, inclusive.
    lines: (usize, usize),
}

/// Scans the first lines for a page header, headline, deck, dateline and byline; returns the
/// index of the first body line.
fn take_header(lines: &[&str], known: &KnownMeta<'_>, out: &mut Cleaned) -> usize {
    let is_blank = |i: usize| lines.get(i).is_none_or(|l| is_blank_line(l));
    let next_non_blank = |from: usize| (from..lines.len()).find(|&j| !is_blank(j));
    // The last line of the block (lines up to a blank one) starting at `i`.
    let block_end = |i: usize| {
        (i..lines.len())
            .take_while(|&j| !is_blank(j))
            .last()
            .unwrap_or(i)
    };
    let mut have_headline = known.title.is_some();
    let mut body_start = 0;
    let mut k = 0;
    let mut cursor = next_non_blank(0);
    while let Some(i) = cursor {
        if k >= 8 {
            break;
        }
        let line = lines[i].trim();
        let followed_by_blank = is_blank(i + 1);
        let next = next_non_blank(i + 1).map(|j| lines[j].trim());
        let next_is_meta = next.is_some_and(|n| is_dateline(n) || is_byline(n));
        let mut last = i;
        let reason = if k == 0 && is_page_header(line) {
            if let Some(d) = find_date(line) {
                out.date = Some(d);
            }
            RemovalReason::PageHeader
        } else if !have_headline
            && is_headline(line)
            && !is_byline(line)
            && !is_dateline(line)
            && (followed_by_blank || is_all_caps(line) || next_is_meta)
        {
            have_headline = true;
            out.title = Some(line.to_string());
            RemovalReason::Headline
        } else if known
            .title
            .is_some_and(|t| k == 0 && same_matching_form(t, line))
        {
            RemovalReason::Headline
        } else if have_headline
            && out.deck.is_none()
            && out.dateline.is_none()
            && (is_kicker(line)
                || (next_is_meta && followed_by_blank && line.chars().count() <= 400))
        {
            // A deck may be hard-wrapped: it runs to the next blank line.
            last = block_end(i);
            let text = lines[i..=last]
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            out.deck = Some(text);
            RemovalReason::Deck
        } else if out.dateline.is_none() && known.dateline.is_none() && is_dateline(line) {
            out.dateline = Some(line.trim_end_matches(['-', '–', '—']).trim().to_string());
            RemovalReason::Dateline
        } else if known.dateline.is_some_and(|d| d.trim() == line) {
            RemovalReason::Dateline
        } else if out.byline.is_none() && is_byline(line) {
            out.byline = Some(line.to_string());
            RemovalReason::Byline
        } else {
            break;
        };
        let text = lines[i..=last]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        out.removed.push(RemovedLine {
            text,
            reason,
            lines: Some((i + 1, last + 1)),
        });
        body_start = last + 1;
        cursor = next_non_blank(last + 1);
        k += 1;
    }
    body_start
}

fn find_date(line: &str) -> Option<String> {
    if let Some(d) = parse_date(line) {
        return Some(d.iso);
    }
    // "Wed, Dec 16, 2015 - Page 7": try the part before " - " or " | ".
    line.split([' ', '|'])
        .next()
        .and(line.split(" - ").next())
        .and_then(parse_date)
        .map(|d| d.iso)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn is_page_header(line: &str) -> bool {
    // The cheap tests first: most first lines are not headers, and parsing a date is not cheap.
    let words = word_count(line);
    line.len() <= 400
        && line.chars().count() <= 100
        && words <= 14
        && !line.ends_with('.')
        && (words <= 6
            || line.contains(" - ")
            || line.contains(" | ")
            || contains_ignore_ascii_case(line, "page"))
        && find_date(line).is_some()
}

/// Whether two lines have the same matching form (quotes, dashes, case and spacing unified):
/// their first letters and digits are compared before anything is hashed.
fn same_matching_form(a: &str, b: &str) -> bool {
    fn lead(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .take(8)
            .map(|c| c.to_ascii_lowercase())
    }
    // Only ASCII letters and digits are the same in both forms; a line starting otherwise is
    // left to the hash.
    if a.is_ascii() && b.is_ascii() && !lead(a).eq(lead(b)) {
        return false;
    }
    matching_hash(a, false) == matching_hash(b, false)
}

/// Whether `haystack` contains `needle` (ASCII) in any letter case, without allocating.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

fn is_headline(line: &str) -> bool {
    let n = line.chars().count();
    (3..=160).contains(&n)
        && word_count(line) <= 22
        && !line.ends_with(['.', ',', ';', ':'])
        && line.chars().next().is_some_and(|c| {
            c.is_uppercase() || c.is_numeric() || c == '\'' || c == '"' || c == '‘' || c == '“'
        })
}

fn is_all_caps(line: &str) -> bool {
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && line
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| !c.is_lowercase())
}

/// "DIVISIVE:The US needs…", "ANALYSIS: …".
fn is_kicker(line: &str) -> bool {
    let Some((head, rest)) = line.split_once(':') else {
        return false;
    };
    let head = head.trim();
    !head.is_empty()
        && head.chars().count() <= 30
        && is_all_caps(head)
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '\'' || c == '-' || c == '&')
        && !rest.trim().is_empty()
}

/// "Reuters, MOSCOW", "WASHINGTON, March 31 -", "MOSCOW (Reuters) -", "Norda Wire, VALMERE".
fn is_dateline(line: &str) -> bool {
    let n = line.chars().count();
    if !(3..=60).contains(&n) || line.ends_with('.') {
        return false;
    }
    let trimmed = line.trim_end_matches(['-', '–', '—', ' ']);
    if let Some((a, b)) = trimmed.split_once(',') {
        let (a, b) = (a.trim(), b.trim());
        // PLACE, Month Day
        if is_place(a) && is_month_day(b) {
            return true;
        }
        // Agency, PLACE
        if is_place(b) && word_count(a) <= 4 && a.chars().next().is_some_and(char::is_uppercase) {
            return true;
        }
        // PLACE, Country
        return false;
    }
    // "MOSCOW (Reuters)"
    if let Some((place, agency)) = trimmed.split_once('(') {
        return is_place(place.trim()) && agency.ends_with(')') && word_count(agency) <= 3;
    }
    false
}

fn is_place(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 30
        && word_count(s) <= 4
        && is_all_caps(s)
        && s.chars().all(|c| c.is_alphabetic() || " .'-/".contains(c))
}

fn is_month_day(s: &str) -> bool {
    let mut words = s.split_whitespace();
    let (Some(m), Some(d), None) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let m = m.trim_end_matches('.').to_ascii_lowercase();
    m.len() >= 3
        && super::date::MONTHS.iter().any(|x| m.starts_with(x))
        && d.len() <= 2
        && d.bytes().all(|b| b.is_ascii_digit())
}

/// End (byte index) of an inline dateline at the start of a paragraph:
/// "MOSCOW (Reuters) - ", "WASHINGTON, March 31 - ", "VALMERE, March 3 (Norda Wire) — ".
fn inline_dateline_end(p: &str) -> Option<usize> {
    let window: String = p.chars().take(70).collect();
    for dash in [" - ", " – ", " — ", " -- "] {
        if let Some(pos) = window.find(dash) {
            let head = &window[..pos];
            if is_dateline(head) || is_dateline(&format!("{head} -")) {
                return Some(pos + dash.len());
            }
        }
    }
    None
}

fn is_byline(line: &str) -> bool {
    let Some(rest) = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
    else {
        return false;
    };
    line.chars().count() <= 80
        && word_count(rest) <= 8
        && rest.chars().next().is_some_and(char::is_uppercase)
        && !rest.ends_with('.')
}

/// First words that can open a boilerplate line; anything else is body text.
const BOILERPLATE_STARTS: &[&str] = &[
    "this",
    "post",
    "comments",
    "comment",
    "leave",
    "add",
    "join",
    "show",
    "view",
    "read",
    "remarks",
    "please",
    "commenting",
    "©",
    "(c)",
    "copyright",
    "all",
    "top",
    "back",
    "skip",
    "menu",
    "home",
    "advertisement",
    "advertising",
    "related",
    "more",
    "continue",
    "share:",
    "follow",
    "subscribe",
    "sign",
    "click",
];

/// Words of a share bar ("Share | Print | Email"); each can also open a boilerplate line.
const SHARE_WORDS: &[&str] = &[
    "share",
    "print",
    "email",
    "e-mail",
    "tweet",
    "facebook",
    "twitter",
    "whatsapp",
    "linkedin",
    "pinterest",
    "reddit",
    "x",
    "copy",
    "link",
    "messenger",
];

fn boilerplate_reason(p: &str) -> Option<RemovalReason> {
    if p.len() > 1600 || (p.len() > 400 && p.chars().count() > 400) {
        return None;
    }
    // Cheap gate before normalising: the first word, or a counter ("1,965 views").
    let first = p
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches(['|', '•', '·']);
    let counter = p.split_whitespace().nth(3).is_none() && p.bytes().any(|b| b.is_ascii_digit());
    if !counter
        && !first.starts_with('©')
        && !BOILERPLATE_STARTS
            .iter()
            .chain(SHARE_WORDS)
            .any(|w| w.eq_ignore_ascii_case(first))
    {
        return None;
    }
    let n = normalize_for_matching(p);
    let n = n.trim_matches(|c: char| c.is_whitespace() || c == '|' || c == '•' || c == '·');
    let starts = |prefixes: &[&str]| prefixes.iter().any(|x| n.starts_with(x));
    let short = n.chars().count() <= 60;
    if n.starts_with("this story has been viewed")
        || n.starts_with("this article has been viewed")
        || n.starts_with("this article has been read")
        || (short && (n.ends_with(" views") || n.ends_with(" reads")) && n.split(' ').count() <= 3)
    {
        return Some(RemovalReason::ViewCounter);
    }
    if n == "post a comment"
        || starts(&[
            "comments will be moderated",
            "leave a comment",
            "add a comment",
            "add your comment",
            "join the conversation",
            "join the discussion",
            "comments are closed",
            "show comments",
            "view comments",
            "read comments",
            "remarks containing abusive",
            "please keep comments",
            "commenting has been disabled",
        ])
        || (short
            && (n.ends_with(" comments") || n.ends_with(" comment"))
            && n.split(' ').count() <= 2)
    {
        return Some(RemovalReason::Comments);
    }
    if starts(&["©", "(c) ", "copyright ", "all rights reserved"]) && n.chars().count() <= 200 {
        return Some(RemovalReason::Copyright);
    }
    if short
        && (matches!(
            n,
            "top"
                | "top top"
                | "back to top"
                | "skip to content"
                | "skip to main content"
                | "menu"
                | "home"
                | "advertisement"
                | "advertising"
                | "related"
                | "related articles"
                | "related stories"
                | "related content"
                | "more on this story"
                | "read more"
                | "continue reading"
        ))
    {
        return Some(RemovalReason::Navigation);
    }
    if short
        && (starts(&[
            "share this",
            "share on ",
            "share:",
            "follow us",
            "subscribe",
            "sign up for",
            "click here to",
            "email this",
            "print this",
        ]) || is_share_bar(n))
    {
        return Some(RemovalReason::Share);
    }
    None
}

/// "Share | Print | Email", "Facebook Twitter WhatsApp".
fn is_share_bar(n: &str) -> bool {
    let mut parts = n
        .split(['|', '/', '•', '·', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut count = 0;
    let all_share_words = parts.all(|p| {
        count += 1;
        SHARE_WORDS.contains(&p)
    });
    all_share_words && count >= 2
}

/// Joins hard-wrapped lines into paragraphs. Blank lines always separate paragraphs; inside a
/// block, a paragraph ends at an indented line (Reuters), around an unwrapped long line, and
/// after a line that ends a sentence when the next line's first word would have fit on it.
pub fn reflow(lines: &[&str]) -> Vec<String> {
    reflow_numbered(lines, 1)
        .into_iter()
        .map(|p| p.text)
        .collect()
}

fn reflow_numbered(lines: &[&str], first_line: usize) -> Vec<Para> {
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
/// when there are too few lines to tell.
fn wrap_width(lines: &[&str], line_lens: &[usize]) -> Option<usize> {
    let mut lens: Vec<usize> = Vec::with_capacity(lines.len());
    lens.extend(
        lines
            .windows(2)
            .zip(line_lens)
            .filter(|(w, _)| !is_blank_line(w[0]) && !is_blank_line(w[1]))
            .map(|(_, &n)| n),
    );
    if lens.len() < 3 {
        return None;
    }
    let unwrapped = Some(usize::MAX);
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

fn indent(line: &str) -> usize {
    line.bytes()
        .take_while(|&c| c == b' ' || c == b'\t')
        .map(|c| if c == b'\t' { 4 } else { 1 })
        .sum()
}

fn ends_sentence(line: &str) -> bool {
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

fn reflow_block(
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

/// Length in characters, cheaply for ASCII.
fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Appends `text` with runs of spaces and tabs collapsed to one space.
fn push_collapsed(buf: &mut String, text: &str) {
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

fn push_paragraph(current: &mut String, lines: (usize, usize), out: &mut Vec<Para>) {
    let p = current.trim();
    if !p.is_empty() {
        out.push(Para {
            text: p.to_string(),
            lines,
        });
    }
    current.clear();
}

/// Removes a paragraph that occurs twice: a teaser copy near the top gives way to the copy in
/// the body; otherwise the later copy goes.
fn collapse_duplicates(paragraphs: &mut Vec<Para>, removed: &mut Vec<RemovedLine>) {
    if paragraphs.len() < 2 {
        return;
    }
    // Most bodies have a few dozen paragraphs: their keys are searched in a list, not hashed
    // into a map made for each article.
    let many = paragraphs.len() > 64;
    let mut first_at: FxHashMap<u64, usize> = FxHashMap::default();
    let mut firsts: Vec<(u64, usize)> = Vec::with_capacity(if many { 0 } else { paragraphs.len() });
    let mut drop = vec![false; paragraphs.len()];
    for (i, p) in paragraphs.iter().enumerate() {
        if p.text.split_whitespace().nth(3).is_none() {
            continue;
        }
        // Paragraphs are whitespace-collapsed already; a teaser is a verbatim copy.
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            p.text.hash(&mut h);
            h.finish()
        };
        let first = if many {
            first_at.get(&key).copied()
        } else {
            firsts.iter().find(|(k, _)| *k == key).map(|&(_, j)| j)
        };
        match first {
            Some(j) if j < 2 && i > j + 1 => drop[j] = true,
            Some(_) => drop[i] = true,
            None if many => {
                first_at.insert(key, i);
            }
            None => firsts.push((key, i)),
        }
    }
    if !drop.contains(&true) {
        return;
    }
    let mut i = 0;
    paragraphs.retain(|p| {
        let d = drop[i];
        i += 1;
        if d {
            removed.push(RemovedLine {
                text: p.text.clone(),
                reason: RemovalReason::DuplicateParagraph,
                lines: Some(p.lines),
            });
        }
        !d
    });
}

/// Paragraphs at each end of an article where source boilerplate is looked for.
const EDGE: usize = 2;

/// The key a paragraph is counted under when it is short enough to be boilerplate. 32 bits of
/// the hash are plenty to count recurring lines, and halve the memory.
fn boilerplate_key(p: &str) -> Option<u32> {
    let short = p.len() <= 200 || (p.len() <= 800 && p.chars().count() <= 200);
    short.then(|| (matching_hash(p, true) as u32).max(1)) // 0 marks an empty slot
}

/// The keys of an article's edge paragraphs by position: slot `k` holds the key of paragraph
/// `edge_index(k, n)` (0 when it is not short, or when the body has fewer paragraphs).
pub type EdgeKeys = [u32; 2 * EDGE];

/// The paragraph in edge slot `k` of a body of `n` paragraphs: the first EDGE, then the last
/// EDGE (a body of at most 2 × EDGE paragraphs is all edges, in order).
fn edge_index(k: usize, n: usize) -> Option<usize> {
    if n <= 1 {
        return None;
    }
    if n <= 2 * EDGE {
        return (k < n).then_some(k);
    }
    Some(if k < EDGE { k } else { n - 2 * EDGE + k })
}

/// Counts of words by edge slot (as [`EdgeKeys`]: slot `k` is paragraph `edge_index(k, n)`).
pub type EdgeCounts = [usize; 2 * EDGE];

/// The counts a lean load keeps of a body.
pub fn body_counts(paragraphs: &[String]) -> crate::corpus::BodyCounts {
    use crate::corpus::article::count_words;
    let n = paragraphs.len();
    let mut edge_words = [0; 2 * EDGE];
    let mut words = 0;
    for (i, p) in paragraphs.iter().enumerate() {
        let w = count_words(p);
        words += w;
        for (k, slot) in edge_words.iter_mut().enumerate() {
            if edge_index(k, n) == Some(i) {
                *slot = w;
            }
        }
    }
    crate::corpus::BodyCounts {
        paragraphs: n,
        words,
        edge_words,
        removed: 0,
    }
}

/// The key boilerplate is learned under for a source name.
pub fn hash_source(source: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(source.as_bytes())
}

/// The source key of `a` (stored when it was loaded, else computed now).
pub fn source_key(a: &Article) -> u64 {
    a.source_key.unwrap_or_else(|| hash_source(&a.source))
}

/// The edge keys of `a` (those stored when it was loaded, else computed now).
pub fn edge_keys(a: &Article) -> EdgeKeys {
    a.edge_keys
        .unwrap_or_else(|| compute_edge_keys(&a.paragraphs))
}

/// The edge keys of a body.
pub fn compute_edge_keys(paragraphs: &[String]) -> EdgeKeys {
    let n = paragraphs.len();
    let mut ks = [0u32; 2 * EDGE];
    for (k, slot) in ks.iter_mut().enumerate() {
        if let Some(i) = edge_index(k, n)
            && let Some(h) = boilerplate_key(&paragraphs[i])
        {
            *slot = h;
        }
    }
    ks
}

/// Counts of edge paragraphs per source, fed one article at a time (so a corpus too big to
/// hold can be learned from as it streams past).
#[derive(Debug, Default)]
pub struct BoilerplateCounts {
    per_source: FxHashMap<u64, (usize, FxHashMap<u32, u32>)>,
}

impl BoilerplateCounts {
    /// Counts the edge keys `keys` of an article whose source key ([`source_key`]) is `source`.
    pub fn add(&mut self, source: u64, keys: &EdgeKeys) {
        let entry = self.per_source.entry(source).or_default();
        entry.0 += 1;
        for (i, &k) in keys.iter().enumerate() {
            // Each distinct key once per article.
            if k != 0 && !keys[..i].contains(&k) {
                *entry.1.entry(k).or_default() += 1;
            }
        }
    }

    /// The counts of `self` and `other` together.
    pub fn merge(mut self, other: BoilerplateCounts) -> BoilerplateCounts {
        for (source, (n, counts)) in other.per_source {
            let entry = self.per_source.entry(source).or_default();
            entry.0 += n;
            for (k, c) in counts {
                *entry.1.entry(k).or_default() += c;
            }
        }
        self
    }

    /// The boilerplate learned: per source, the keys that recur in at least 4 articles and in
    /// at least one in 50.
    pub fn learn(self) -> Boilerplate {
        let learned = self
            .per_source
            .into_iter()
            .filter_map(|(source, (count, counts))| {
                let threshold = u32::try_from((count / 50).max(4)).unwrap_or(u32::MAX);
                let set: FxHashSet<u32> = counts
                    .into_iter()
                    .filter(|(_, n)| *n >= threshold)
                    .map(|(k, _)| k)
                    .collect();
                (!set.is_empty()).then_some((source, set))
            })
            .collect();
        Boilerplate { learned }
    }
}

/// Source boilerplate learned from a corpus.
#[derive(Debug, Default)]
pub struct Boilerplate {
    learned: FxHashMap<u64, FxHashSet<u32>>,
}

impl Boilerplate {
    /// Whether nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.learned.is_empty()
    }

    /// Removes the learned boilerplate from `a`, whose edge keys are `keys`. An article never
    /// loses its last paragraph this way.
    pub fn apply(&self, a: &mut Article, keys: &EdgeKeys) {
        let Some(set) = self.learned.get(&source_key(a)) else {
            return;
        };
        // The keys say whether anything is to be removed: no second hashing pass.
        if !keys.iter().any(|k| *k != 0 && set.contains(k)) {
            return;
        }
        let n = a.paragraph_count();
        let mut drop = [usize::MAX; 2 * EDGE];
        for (k, key) in keys.iter().enumerate() {
            if *key != 0
                && set.contains(key)
                && let Some(i) = edge_index(k, n)
            {
                drop[k] = i;
            }
        }
        if let Some(c) = &mut a.counts {
            // A lean article: only the counts change.
            let dropped = drop.iter().filter(|&&i| i != usize::MAX).count();
            if dropped < c.paragraphs {
                for k in (0..2 * EDGE).filter(|&k| drop[k] != usize::MAX) {
                    c.words -= c.edge_words[k];
                    c.edge_words[k] = 0;
                }
                c.paragraphs -= dropped;
                c.removed += dropped;
            }
            a.edge_keys = None;
            return;
        }
        let mut keep = Vec::with_capacity(n);
        let mut removed = Vec::new();
        for (i, p) in std::mem::take(&mut a.paragraphs).into_iter().enumerate() {
            if drop.contains(&i) {
                removed.push(p);
            } else {
                keep.push(p);
            }
        }
        if keep.is_empty() {
            // Never empty an article: the recurring lines are its content.
            keep = removed;
        } else {
            a.removed
                .extend(removed.into_iter().map(|text| RemovedLine {
                    text,
                    reason: RemovalReason::SourceBoilerplate,
                    lines: None,
                }));
        }
        a.paragraphs = keep;
        a.edge_keys = None;
    }
}

/// Learns boilerplate from the corpus: a short paragraph at the top or bottom of an article that
/// recurs verbatim (whitespace and digits normalised) in several articles of one source is removed
/// from all of them. An article never loses its last paragraph this way.
pub fn remove_source_boilerplate(articles: &mut [Article]) {
    use rayon::prelude::*;
    // The keys are computed on both cores.
    let keys: Vec<EdgeKeys> = articles.par_iter().map(edge_keys).collect();
    let counts = articles
        .par_iter()
        .zip(keys.par_iter())
        // One count per thread: merging counts costs as much as counting.
        .with_min_len(articles.len() / rayon::current_num_threads().max(1) + 1)
        .fold(BoilerplateCounts::default, |mut c, (a, ks)| {
            c.add(source_key(a), ks);
            c
        })
        .reduce(BoilerplateCounts::default, BoilerplateCounts::merge);
    let learned = counts.learn();
    if learned.is_empty() {
        return;
    }
    articles
        .par_iter_mut()
        .zip(keys.par_iter())
        .for_each(|(a, ks)| learned.apply(a, ks));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(raw: &str) -> Vec<String> {
        clean(raw, &KnownMeta::default()).paragraphs
    }

    fn reasons(c: &Cleaned) -> Vec<RemovalReason> {
        c.removed.iter().map(|r| r.reason).collect()
    }

    const WRAPPED: &str = "The council met on Tuesday to discuss the budget for the coming\n\
        year, and members argued for several hours about the new tram line.\n\
        It was not clear when a vote would be held on the plan.\n\
        Opposition members said the cost estimate of 410 million crowns was\n\
        far too optimistic and asked for an independent review of it.\n";

    #[test]
    fn hard_wrapped_lines_are_joined_and_sentence_final_short_lines_end_paragraphs() {
        let p = paras(WRAPPED);
        assert_eq!(p.len(), 2, "{p:#?}");
        assert!(p[0].starts_with("The council met") && p[0].ends_with("held on the plan."));
        assert!(p[1].starts_with("Opposition members"));
    }

    #[test]
    fn reuters_indent_starts_a_paragraph() {
        let raw = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects.\n    The dry period means the temporao will be late this year.\n    Arrivals for the week ended February 22 were 155,221 bags\nof 60 kilos making a cumulative total for the season.\n";
        let p = paras(raw);
        assert_eq!(p.len(), 3, "{p:#?}");
        assert_eq!(
            p[1],
            "The dry period means the temporao will be late this year."
        );
    }

    #[test]
    fn first_word_alone_on_a_line_starts_a_paragraph() {
        let raw = "Kerry said the talks would go on through the night, officials said in a statement issued on Tuesday afternoon in the capital.\nKerry\nwill seek to prepare the ground for a third round of talks of world\npowers on Syria amid doubts over whether a meeting pencilled in for\nFriday in New York will go ahead and whether it would be useful.\nThe opposition was not invited to the meeting that took place on\nTuesday, officials said, an approach likely to anger Moscow again.\nAhead\nof the talks, the Russian Foreign Ministry issued a statement in the\nmorning that complained about the pace of the preparations for it.\n";
        let p = paras(raw);
        assert_eq!(p.len(), 4, "{p:#?}");
        assert!(p[1].starts_with("Kerry will seek"), "{}", p[1]);
        assert!(p[3].starts_with("Ahead of the talks"), "{}", p[3]);
    }

    #[test]
    fn hyphen_at_line_end_joins_the_word() {
        let p = paras("The long-\nterm plan was agreed.");
        assert_eq!(p, vec!["The long-term plan was agreed."]);
    }

    #[test]
    fn blank_line_paragraphs_stay_and_single_newline_paragraphs_split_when_unwrapped() {
        assert_eq!(paras("One.\n\nTwo words here.\n\nThree.").len(), 3);
        let unwrapped = "First paragraph is a long one that goes on and on without a hard wrap because it came from a JSON field.\nSecond one, shorter.\nThird paragraph is again quite long and it also runs on for a good while before it ends here now.\nFourth is short\n";
        assert_eq!(paras(unwrapped).len(), 4);
    }

    #[test]
    fn builtin_boilerplate_is_removed_with_reasons() {
        let raw = "Body text that is the article itself and says something.\n\nThis story has been viewed 1965 times.\n\nComments will be moderated. Keep comments relevant.\n\nTOP top\n\nPost a Comment\n\nShare | Print | Email\n\n© 2026 Norda Wire. All rights reserved.\n\nFollow us on Twitter";
        let c = clean(raw, &KnownMeta::default());
        assert_eq!(
            c.paragraphs,
            vec!["Body text that is the article itself and says something."]
        );
        assert_eq!(
            reasons(&c),
            vec![
                RemovalReason::ViewCounter,
                RemovalReason::Comments,
                RemovalReason::Navigation,
                RemovalReason::Comments,
                RemovalReason::Share,
                RemovalReason::Copyright,
                RemovalReason::Share,
            ]
        );
    }

    #[test]
    fn body_sentences_that_merely_start_like_boilerplate_stay() {
        let p = paras(
            "This story began in 1987 when the dam was built.\n\nShare prices fell 3 percent on the news, traders said.",
        );
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn teaser_copy_at_the_top_gives_way_to_the_body_copy() {
        let raw = "Kerry's meeting follows a meeting in Riyadh last week.\n\nThe lead paragraph of the story.\n\nA middle paragraph.\n\nKerry's meeting follows a meeting in Riyadh last week.\n\nThe end.";
        let c = clean(raw, &KnownMeta::default());
        assert_eq!(c.paragraphs[0], "The lead paragraph of the story.");
        assert_eq!(
            c.paragraphs[2],
            "Kerry's meeting follows a meeting in Riyadh last week."
        );
        assert_eq!(reasons(&c), vec![RemovalReason::DuplicateParagraph]);
        assert_eq!(c.removed[0].lines, Some((1, 1)));
    }

    #[test]
    fn print_header_gives_date_headline_deck_dateline() {
        let raw = "Wed, Dec 16, 2015 - Page 7 News List\n\nKerry seeks Syria progress in Moscow\n\nDIVISIVE:The US needs to rethink its policy\n\nReuters, MOSCOW\n\nUS Secretary of State John Kerry said he wanted progress.\n\nSecond paragraph.";
        let c = clean(raw, &KnownMeta::default());
        assert_eq!(c.date.as_deref(), Some("2015-12-16"));
        assert_eq!(
            c.title.as_deref(),
            Some("Kerry seeks Syria progress in Moscow")
        );
        assert_eq!(
            c.deck.as_deref(),
            Some("DIVISIVE:The US needs to rethink its policy")
        );
        assert_eq!(c.dateline.as_deref(), Some("Reuters, MOSCOW"));
        assert_eq!(c.paragraphs.len(), 2);
        assert_eq!(
            reasons(&c),
            vec![
                RemovalReason::PageHeader,
                RemovalReason::Headline,
                RemovalReason::Deck,
                RemovalReason::Dateline
            ]
        );
    }

    #[test]
    fn reuters_caps_headline_and_dateline_line() {
        let raw = "TREASURY'S BAKER PURSUING S. ASIAN REVALUATIONS\nWASHINGTON, March 31 -\nTreasury Secretary James Baker told\nthe House Appropriations Committee the United States is still\npressing newly industrialized nations.\n";
        let c = clean(raw, &KnownMeta::default());
        assert_eq!(
            c.title.as_deref(),
            Some("TREASURY'S BAKER PURSUING S. ASIAN REVALUATIONS")
        );
        assert_eq!(c.dateline.as_deref(), Some("WASHINGTON, March 31"));
        assert_eq!(c.paragraphs.len(), 1);
        assert!(c.paragraphs[0].starts_with("Treasury Secretary James Baker told the House"));
    }

    #[test]
    fn inline_dateline_and_byline() {
        let c = clean(
            "By Anna Berg\n\nMOSCOW (Reuters) - Kerry arrived on Tuesday.",
            &KnownMeta::default(),
        );
        assert_eq!(c.byline.as_deref(), Some("By Anna Berg"));
        assert_eq!(c.dateline.as_deref(), Some("MOSCOW (Reuters)"));
        assert_eq!(c.paragraphs, vec!["Kerry arrived on Tuesday."]);
    }

    #[test]
    fn a_body_opening_is_not_mistaken_for_a_headline() {
        // Wrapped first line, no blank after it: body text, not a headline.
        let p = paras(WRAPPED);
        assert!(p[0].starts_with("The council met"));
        let c = clean(WRAPPED, &KnownMeta::default());
        assert_eq!(c.title, None);
    }

    #[test]
    fn known_title_repeated_in_the_body_is_removed() {
        let c = clean(
            "Ferry capsizes\n\nThe ferry capsized.",
            &KnownMeta {
                title: Some("Ferry capsizes"),
                dateline: None,
            },
        );
        assert_eq!(c.paragraphs, vec!["The ferry capsized."]);
        assert_eq!(reasons(&c), vec![RemovalReason::Headline]);
    }

    #[test]
    fn curly_quotes_are_kept() {
        let p = paras("\u{201C}We will,\u{201D} she said.");
        assert_eq!(p, vec!["\u{201C}We will,\u{201D} she said."]);
    }

    #[test]
    fn empty_and_whitespace_texts_give_no_paragraphs() {
        assert!(paras("").is_empty());
        assert!(paras("  \n\n \t\n").is_empty());
    }

    fn article(id: &str, source: &str, paragraphs: &[&str]) -> Article {
        Article {
            id: id.into(),
            source: source.into(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn lines_recurring_across_a_source_are_learned_as_boilerplate() {
        let mut arts: Vec<Article> = (0..6)
            .map(|i| {
                article(
                    &format!("a{i}"),
                    "courier",
                    &[
                        &format!(
                            "Story {} begins here.",
                            ["one", "two", "three", "four", "five", "six"][i]
                        ),
                        "Middle.",
                        "Read the Courier every day, since 1887.",
                    ],
                )
            })
            .collect();
        arts.push(article(
            "other",
            "herald",
            &["Body.", "More.", "Read the Courier every day, since 1887."],
        ));
        remove_source_boilerplate(&mut arts);
        // "Middle." recurs too: both recurring edge lines go, the story's own line stays.
        assert_eq!(arts[0].paragraphs, vec!["Story one begins here."]);
        assert_eq!(arts[0].removed[0].reason, RemovalReason::SourceBoilerplate);
        // Another source keeps it.
        assert_eq!(arts[6].paragraphs.len(), 3);
    }

    #[test]
    fn learned_boilerplate_never_empties_an_article() {
        let mut arts: Vec<Article> = (0..6)
            .map(|i| {
                article(
                    &format!("a{i}"),
                    "wire",
                    &["Treasury balances rose 3.1 billion dlrs.", "Reuter"],
                )
            })
            .collect();
        remove_source_boilerplate(&mut arts);
        assert!(arts.iter().all(|a| !a.paragraphs.is_empty()));
    }

    #[test]
    fn counts_of_a_listing_match_the_full_articles_after_learned_boilerplate() {
        let make = |counts_only: bool| {
            let mut arts: Vec<Article> = (0..8)
                .map(|i| {
                    let mut a = article(
                        &format!("a{i}"),
                        "courier",
                        &[
                            "Read the Courier every day.",
                            &format!("Story {i} begins here with words."),
                            &"more words here ".repeat(i + 1),
                            "Share this story on social media",
                            "Copyright 2026 The Courier, all rights kept.",
                        ][..if i % 3 == 0 { 2 } else { 5 }],
                    );
                    a.title = format!("Title {i}");
                    a.edge_keys = Some(compute_edge_keys(&a.paragraphs));
                    if counts_only {
                        a.counts = Some(body_counts(&a.paragraphs));
                        a.paragraphs = Vec::new();
                    }
                    a
                })
                .collect();
            remove_source_boilerplate(&mut arts);
            arts.iter()
                .map(|a| (a.word_count(), a.paragraph_count(), a.removed_count()))
                .collect::<Vec<_>>()
        };
        let full = make(false);
        assert_eq!(make(true), full);
        // Something was learned and removed, and a two-paragraph body kept its text.
        assert!(full.iter().any(|&(_, _, removed)| removed >= 2), "{full:?}");
        assert!(full.iter().all(|&(words, paras, _)| words > 0 && paras > 0));
    }

    #[test]
    fn removed_lines_point_at_raw_lines() {
        let c = clean("Body line one.\n\nPost a Comment", &KnownMeta::default());
        assert_eq!(c.removed[0].lines, Some((3, 3)));
    }
}
