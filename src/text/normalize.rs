//! The normalised form of text used for matching only (never shown): quotes, apostrophes and
//! dashes unified, whitespace collapsed, case folded.

/// Maps one character to its matching form: curly quotes to straight, dashes to `-`,
/// every kind of space to ' ', and letters to lower case (first char of the lowercase mapping).
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' | '\u{200A}' | '\u{2002}'
        | '\u{2003}' | '\t' | '\r' | '\n' => ' ',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The matching form of `text`: characters normalised by [`normalize_char`], runs of
/// whitespace collapsed to one space, zero-width characters dropped, ends trimmed.
pub fn normalize_for_matching(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
        ) {
            continue;
        }
        let n = normalize_char(c);
        if n.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(n);
    }
    out
}

/// The matching form of each ASCII byte, [`SPACE_MARK`] for whitespace (which collapses);
/// digits kept, or all made '0'.
const fn ascii_matching_table(zero_digits: bool) -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut b = 0u8;
    while b < 128 {
        let c = b as usize;
        t[c] = if b.is_ascii_whitespace() || b == 0x0b {
            SPACE_MARK
        } else if b == b'`' {
            b'\''
        } else if zero_digits && b.is_ascii_digit() {
            b'0'
        } else {
            b.to_ascii_lowercase()
        };
        b += 1;
    }
    t
}

/// Not an ASCII byte: marks whitespace in the tables.
const SPACE_MARK: u8 = 0xff;
/// The matching form of each ASCII byte (what [`normalize_char`] gives: lower case, a backtick
/// as an apostrophe), [`SPACE_MARK`] for whitespace. The word tokenizer uses it too.
pub(crate) const ASCII_MATCHING: [u8; 128] = ascii_matching_table(false);
const ASCII_MATCHING_ZEROED: [u8; 128] = ascii_matching_table(true);

/// A 64-bit hash of the matching form of `text` (as [`normalize_for_matching`] would give),
/// computed without allocating; `digits_as_zero` maps every ASCII digit to '0' first.
pub fn matching_hash(text: &str, digits_as_zero: bool) -> u64 {
    let mut h = ByteHasher::default();
    let mut started = false;
    let mut pending_space = false;
    if text.is_ascii() {
        // Byte loop for ASCII text: the same stream of normalised characters, no decoding.
        let table = if digits_as_zero {
            &ASCII_MATCHING_ZEROED
        } else {
            &ASCII_MATCHING
        };
        for &b in text.as_bytes() {
            let n = table[usize::from(b & 0x7f)];
            if n == SPACE_MARK {
                pending_space = started;
                continue;
            }
            if pending_space {
                h.feed(b' ');
                pending_space = false;
            }
            h.feed(n);
            started = true;
        }
        return h.finish();
    }
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        // ASCII fast path: no table lookups, no encoding.
        let n = if c.is_ascii() {
            if c.is_ascii_whitespace() || c == '\u{b}' {
                pending_space = started;
                continue;
            }
            if c == '`' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        } else {
            if matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
            ) {
                continue;
            }
            let n = normalize_char(c);
            if n.is_whitespace() {
                pending_space = started;
                continue;
            }
            n
        };
        let n = if digits_as_zero && n.is_ascii_digit() {
            '0'
        } else {
            n
        };
        if pending_space {
            h.feed(b' ');
            pending_space = false;
        }
        if n.is_ascii() {
            h.feed(u8::try_from(n).unwrap_or(b'?'));
        } else {
            let mut buf = [0u8; 4];
            for &b in n.encode_utf8(&mut buf).as_bytes() {
                h.feed(b);
            }
        }
        started = true;
    }
    h.finish()
}

/// Hashes a stream of bytes eight at a time: the bytes are packed into a word and each word
/// takes one multiply, so the dependency chain is an eighth of a byte-wise FNV's.
#[derive(Debug, Clone, Copy)]
struct ByteHasher {
    h: u64,
    word: u64,
    len: u64,
}

impl Default for ByteHasher {
    fn default() -> Self {
        ByteHasher {
            h: 0xcbf2_9ce4_8422_2325,
            word: 0,
            len: 0,
        }
    }
}

impl ByteHasher {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    #[inline]
    fn feed(&mut self, b: u8) {
        self.word = (self.word << 8) | u64::from(b);
        self.len += 1;
        if self.len.is_multiple_of(8) {
            self.mix(self.word);
            self.word = 0;
        }
    }

    #[inline]
    fn mix(&mut self, w: u64) {
        self.h = (self.h ^ w).wrapping_mul(Self::K).rotate_left(29);
    }

    fn finish(mut self) -> u64 {
        // The tail and the length, so "a" and "a\0" and streams of zeros differ.
        let tail = self.word;
        self.mix(tail ^ (self.len << 56));
        let mut h = self.h;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn matching_hash_agrees_with_the_matching_form() {
        let a = "  \u{201C}Kerry\u{2019}s\u{201D}   talks ";
        let b = "\"kerry's\" talks";
        assert_eq!(matching_hash(a, false), matching_hash(b, false));
        // The ASCII byte path and the general path agree with the matching form.
        for t in [
            "A `quoted`\u{b}\tText 12",
            "caf\u{e9} `x`\u{b} Y 3",
            "  lead and trail  ",
        ] {
            let via_form = matching_hash(&normalize_for_matching(t), false);
            assert_eq!(matching_hash(t, false), via_form, "{t:?}");
        }
        assert_ne!(
            matching_hash("talks 12", false),
            matching_hash("talks 13", false)
        );
        assert_eq!(
            matching_hash("talks 12", true),
            matching_hash("talks 13", true)
        );
    }

    use super::*;

    #[test]
    fn quotes_dashes_and_case_are_unified() {
        assert_eq!(
            normalize_for_matching("\u{201C}Kerry\u{2019}s\u{201D} \u{2014} Talks"),
            "\"kerry's\" - talks"
        );
    }

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        assert_eq!(normalize_for_matching("  a \n\t b\u{00A0}c  "), "a b c");
        assert_eq!(normalize_for_matching(""), "");
    }

    #[test]
    fn soft_hyphen_and_zero_width_are_dropped() {
        assert_eq!(normalize_for_matching("co\u{00AD}op\u{200B}"), "coop");
    }
}
