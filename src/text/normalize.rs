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

#[cfg(test)]
mod tests {
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
