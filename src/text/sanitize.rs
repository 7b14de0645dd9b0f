//! Makes article text safe to write to a terminal: control characters, escape sequences and
//! bidirectional overrides never reach it; they are shown as visible placeholders.

/// Returns `text` with every character that could control a terminal replaced by a visible
/// placeholder: C0 controls (but `\n` and `\t` when `keep_newlines`) become the Unicode
/// control pictures (`␛`, `␇`…), C1 controls and DEL become `�`, bidi overrides and isolates
/// become `�`. Escape sequences are thereby broken: their `ESC` byte never survives.
pub fn sanitize_for_terminal(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| needs_replacing(c, keep_newlines)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_replacing(c, keep_newlines) {
            out.push(placeholder(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_replacing(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => true,
        // Bidi embeddings, overrides, isolates and marks that reorder what follows.
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => true,
        _ => false,
    }
}

fn placeholder(c: char) -> char {
    match c {
        // U+2400.. are the "control pictures" for C0 controls.
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_lose_their_escape() {
        let s = "a\u{1b}[31mred\u{1b}]52;c;aGk=\u{7}b";
        let out = sanitize_for_terminal(s, true);
        assert!(!out.contains('\u{1b}'));
        assert!(!out.contains('\u{7}'));
        assert_eq!(out, "a\u{241B}[31mred\u{241B}]52;c;aGk=\u{2407}b");
    }

    #[test]
    fn c1_controls_and_bidi_overrides_are_replaced() {
        let out = sanitize_for_terminal("x\u{9b}y\u{202E}z\u{2066}", true);
        assert_eq!(out, "x\u{FFFD}y\u{FFFD}z\u{FFFD}");
    }

    #[test]
    fn newlines_kept_only_when_asked() {
        assert_eq!(sanitize_for_terminal("a\nb", true), "a\nb");
        assert_eq!(sanitize_for_terminal("a\nb", false), "a\u{240A}b");
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            sanitize_for_terminal("plain «text» 東京 😀", true),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
