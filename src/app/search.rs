//! Case-insensitive matching shared by the list filter, the search and the highlights.
//! Folding maps each character to one character, so positions in the folded text are
//! positions in the original.

/// The folded (lower-case) form of one character.
pub fn fold_char(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The folded form of `s`, with the same number of characters.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Byte ranges in `text` where the folded `needle` occurs (case-insensitively), not overlapping.
pub fn find_matches(text: &str, needle: &str) -> Vec<std::ops::Range<usize>> {
    let needle: Vec<char> = needle.chars().map(fold_char).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        if chars[i..i + needle.len()]
            .iter()
            .zip(&needle)
            .all(|(&(_, c), &n)| fold_char(c) == n)
        {
            let start = chars[i].0;
            let end = chars.get(i + needle.len()).map_or(text.len(), |&(b, _)| b);
            out.push(start..end);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitive_matches_with_byte_ranges() {
        let t = "Öl price: öl and ÖL";
        let m = find_matches(t, "öl");
        assert_eq!(m.len(), 3);
        assert_eq!(&t[m[0].clone()], "Öl");
        assert_eq!(&t[m[2].clone()], "ÖL");
        assert!(find_matches(t, "").is_empty());
        assert_eq!(find_matches("aaaa", "aa").len(), 2);
        assert_eq!(fold("東京 ABC").chars().count(), "東京 ABC".chars().count());
    }
}
