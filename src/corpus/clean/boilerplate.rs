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
    if !may_open_boilerplate(p) {
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
fn may_open_boilerplate(p: &str) -> bool {
    let first = p
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches(['|', '•', '·']);
    let counter = !crate::corpus::article::has_words(p, 4) && p.bytes().any(|b| b.is_ascii_digit());
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
    fn lines_that_can_open_boilerplate() {
        for (line, open) in [
            ("Share | Print | Email", true),
            ("  |Share this", true),
            ("1,965 views", true),
            ("Tokyo stocks fell 2 pct on Monday", false),
            ("The minister said", false),
            ("Advertisement", true),
            ("\u{a9} 2020 Example News", true),
            ("\u{2022}Share", true),
        ] {
            assert_eq!(may_open_boilerplate(line), open, "{line}");
        }
    }
}
