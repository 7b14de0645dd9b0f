//! Boilerplate lines known by their words: comment prompts, share bars, counters,
//! copyright lines, "Back to top" and the like.

use super::*;

/// First words that can open a boilerplate line; anything else is body text.
pub(super) const BOILERPLATE_STARTS: &[&str] = &[
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
pub(super) const SHARE_WORDS: &[&str] = &[
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

pub(super) fn boilerplate_reason(p: &str) -> Option<RemovalReason> {
    if p.len() > 1600 || (p.len() > 400 && p.chars().count() > 400) {
        return None;
    }
    // Cheap gate before normalising: the first word, or a counter ("1,965 views").
    if !ascii_gate(p).unwrap_or_else(|| general_gate(p)) {
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

/// Whether `p` can be boilerplate at all: its first word can open a boilerplate line, or it is
/// a counter (fewer than four words, one with a digit).
fn general_gate(p: &str) -> bool {
    let first = p
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches(['|', '•', '·']);
    let counter = p.split_whitespace().nth(3).is_none() && p.bytes().any(|b| b.is_ascii_digit());
    counter || first.starts_with('©') || opens_boilerplate(first.as_bytes())
}

/// Whether `word` is one of the first words of boilerplate lines, in any case.
fn opens_boilerplate(word: &[u8]) -> bool {
    /// The words of both lists by their length in bytes.
    static BY_LEN: std::sync::LazyLock<Vec<Vec<&'static [u8]>>> = std::sync::LazyLock::new(|| {
        let mut by_len: Vec<Vec<&[u8]>> = Vec::new();
        for w in BOILERPLATE_STARTS.iter().chain(SHARE_WORDS) {
            let n = w.len();
            if by_len.len() <= n {
                by_len.resize(n + 1, Vec::new());
            }
            by_len[n].push(w.as_bytes());
        }
        by_len
    });
    BY_LEN
        .get(word.len())
        .is_some_and(|ws| ws.iter().any(|w| w.eq_ignore_ascii_case(word)))
}

/// [`general_gate`] by a byte loop when the first four words (or the whole line, when it has
/// fewer) are ASCII; `None` when a non-ASCII byte comes first (white space or a mark that
/// the general test must judge).
fn ascii_gate(p: &str) -> Option<bool> {
    // White space as `char::is_whitespace` sees it among ASCII bytes.
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let b = p.as_bytes();
    let (mut i, mut words) = (0, 0);
    let mut first: &[u8] = &[];
    while words < 4 {
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !space(b[i]) {
            if !b[i].is_ascii() {
                return None;
            }
            i += 1;
        }
        if words == 0 {
            first = &b[start..i];
        }
        words += 1;
    }
    let counter = words < 4 && b.iter().any(u8::is_ascii_digit);
    while let [b'|', rest @ ..] = first {
        first = rest;
    }
    Some(counter || opens_boilerplate(first))
}

/// "Share | Print | Email", "Facebook Twitter WhatsApp".
pub(super) fn is_share_bar(n: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_gate_answers_as_the_general_one() {
        let alphabet: Vec<char> = "aZ9 |\t\n\u{b}\u{c}-,.ShareprintCOMMENTS\u{a0}\u{2022}\u{a9}é"
            .chars()
            .collect();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state = crate::corpus::group::features::mix(state.wrapping_add(1));
            state
        };
        let mut fast = 0;
        for _ in 0..20_000 {
            let len = usize::try_from(next() % 24).unwrap_or(0);
            let mut text: String = (0..len)
                .map(|_| alphabet[usize::try_from(next()).unwrap_or(0) % alphabet.len()])
                .collect();
            if next() % 3 == 0 {
                let w = [
                    "Share", "PRINT", "comments", "top", "|Email", "x", "1,965", "views",
                ];
                text.insert_str(0, w[usize::try_from(next()).unwrap_or(0) % w.len()]);
            }
            if let Some(v) = ascii_gate(&text) {
                fast += 1;
                assert_eq!(v, general_gate(&text), "{text:?}");
            }
        }
        assert!(fast > 5_000, "the byte loop answered only {fast} times");
        for (line, open) in [
            ("Share | Print | Email", true),
            ("  |Share this", true),
            ("1,965 views", true),
            ("Tokyo stocks fell 2 pct on Monday", false),
            ("The minister said", false),
            ("Advertisement", true),
        ] {
            assert_eq!(ascii_gate(line), Some(open), "{line}");
        }
    }
}
