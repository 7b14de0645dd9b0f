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

/// Zero-width characters that make two different strings look identical: always replaced in
/// plain output (U+200B zero-width space, U+2060 word joiner, U+FEFF byte-order mark).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Zero-width (non-)joiners: real text needs them between letters of scripts that join
/// (Persian, Devanagari) and inside emoji sequences, never between ASCII characters.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// [`sanitize_for_terminal`] (newlines and tabs kept) for plain command-line output, which
/// must also keep two different ids from looking the same: zero-width spaces, word joiners and
/// byte-order marks become `�`, and so do zero-width joiners and non-joiners unless both their
/// neighbours are non-ASCII, non-space characters (emoji sequences, joining scripts).
pub fn sanitize_for_output(text: &str) -> std::borrow::Cow<'_, str> {
    let suspicious = |c: char| needs_replacing(c, true) || is_invisible(c) || is_joiner(c);
    if !text.chars().any(suspicious) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if needs_replacing(c, true) {
            out.push(placeholder(c));
        } else if is_invisible(c) {
            out.push('\u{FFFD}');
        } else if is_joiner(c) {
            let joins = |n: Option<&char>| n.is_some_and(|n| !n.is_ascii() && !n.is_whitespace());
            if i > 0 && joins(chars.get(i - 1)) && joins(chars.get(i + 1)) {
                out.push(c);
            } else {
                out.push('\u{FFFD}');
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The one writer for everything stet prints on standard output and standard error as plain
/// text: whatever bytes pass through it reach the stream sanitised by
/// [`sanitize_for_output`] (invalid UTF-8 as `�`, a character split across two writes
/// joined first). With [`SafeWriter::with_styles`], stet's own SGR colour sequences
/// (`ESC [ digits ; m`, written in one piece) pass; every other escape is broken.
pub struct SafeWriter<W: std::io::Write> {
    inner: W,
    /// The start of a UTF-8 character whose remaining bytes have not been written yet.
    pending: Vec<u8>,
    styles: bool,
}

impl<W: std::io::Write> SafeWriter<W> {
    /// A sanitising writer over `inner`, no escape sequence allowed.
    pub(crate) fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            pending: Vec::new(),
            styles: false,
        }
    }

    /// Lets SGR colour sequences (`ESC [ 0-9 ; m`) through when `styles`.
    pub(crate) fn with_styles(mut self, styles: bool) -> Self {
        self.styles = styles;
        self
    }

    /// Writes a terminal control stet itself makes (a progress line's carriage return and
    /// line erase), unsanitised. Never give it text from input.
    pub(crate) fn write_control(&mut self, control: &'static str) -> std::io::Result<()> {
        self.inner.write_all(control.as_bytes())
    }

    fn flush_pending(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.pending.clear();
        self.inner.write_all("\u{FFFD}".as_bytes())
    }

    fn emit(&mut self, s: &str) -> std::io::Result<()> {
        // Text without a byte that can start a character to replace passes as it is: C0
        // controls, DEL, and the lead bytes of C1 controls (C2), U+061C (D8), the bidi and
        // zero-width characters (E2) and U+FEFF (EF).
        if !s.bytes().any(|b| {
            (b < 0x20 && b != b'\n' && b != b'\t') || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef)
        }) {
            return self.inner.write_all(s.as_bytes());
        }
        if !self.styles {
            return self.inner.write_all(sanitize_for_output(s).as_bytes());
        }
        let mut rest = s;
        while let Some(at) = rest.find('\u{1b}') {
            self.inner
                .write_all(sanitize_for_output(&rest[..at]).as_bytes())?;
            let seq = sgr_len(&rest[at..]);
            if seq > 0 {
                self.inner.write_all(&rest.as_bytes()[at..at + seq])?;
                rest = &rest[at + seq..];
            } else {
                self.inner.write_all("\u{241B}".as_bytes())?;
                rest = &rest[at + 1..];
            }
        }
        self.inner.write_all(sanitize_for_output(rest).as_bytes())
    }
}

/// The length of the SGR sequence (`ESC [ digits/; m`) at the start of `s`, or 0.
fn sgr_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.len() < 3 || b[0] != 0x1b || b[1] != b'[' {
        return 0;
    }
    for (i, &c) in b.iter().enumerate().skip(2).take(16) {
        match c {
            b'0'..=b'9' | b';' => {}
            b'm' => return i + 1,
            _ => return 0,
        }
    }
    0
}

/// The length of an unfinished SGR sequence (`ESC`, `ESC [`, `ESC [ 3 1 ;`) ending `s`, or 0.
fn sgr_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    let Some(at) = b.iter().rev().take(16).position(|&c| c == 0x1b) else {
        return 0;
    };
    let tail = &b[b.len() - 1 - at..];
    let unfinished = tail.len() == 1
        || (tail[1] == b'[' && tail[2..].iter().all(|c| c.is_ascii_digit() || *c == b';'));
    if unfinished { tail.len() } else { 0 }
}

impl<W: std::io::Write> std::io::Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let joined;
        let mut data: &[u8] = if self.pending.is_empty() {
            buf
        } else {
            let mut v = std::mem::take(&mut self.pending);
            v.extend_from_slice(buf);
            joined = v;
            &joined
        };
        loop {
            match std::str::from_utf8(data) {
                Ok(s) => {
                    // A colour sequence cut by the end of this write waits for the rest.
                    let keep = if self.styles { sgr_prefix_len(s) } else { 0 };
                    let (now, later) = s.split_at(s.len() - keep);
                    self.emit(now)?;
                    self.pending = later.as_bytes().to_vec();
                    break;
                }
                Err(e) => {
                    let (good, bad) = data.split_at(e.valid_up_to());
                    // Valid by construction: from_utf8 said so up to here.
                    self.emit(std::str::from_utf8(good).unwrap_or_default())?;
                    match e.error_len() {
                        Some(n) => {
                            self.inner.write_all("\u{FFFD}".as_bytes())?;
                            data = &bad[n..];
                        }
                        None => {
                            self.pending = bad.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.flush_pending()?;
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
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
    fn output_marks_zero_width_characters_but_keeps_joined_scripts() {
        assert_eq!(sanitize_for_output("a\u{200B}b"), "a\u{FFFD}b");
        assert_eq!(sanitize_for_output("\u{FEFF}id"), "\u{FFFD}id");
        assert_eq!(sanitize_for_output("a\u{200D}b"), "a\u{FFFD}b");
        assert_eq!(sanitize_for_output("x\u{200C}"), "x\u{FFFD}");
        // An emoji family and a Persian word keep their joiners.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(sanitize_for_output(family), family);
        let persian = "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}";
        assert_eq!(sanitize_for_output(persian), persian);
        assert_eq!(
            sanitize_for_output("a\u{1b}]52;c;x\u{7}\nb"),
            "a\u{241B}]52;c;x\u{2407}\nb"
        );
    }

    fn through_writer(chunks: &[&[u8]], styles: bool) -> String {
        use std::io::Write;
        let mut buf = Vec::new();
        {
            let mut w = SafeWriter::new(&mut buf).with_styles(styles);
            for c in chunks {
                w.write_all(c).unwrap();
            }
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn the_writer_sanitises_whatever_passes_and_keeps_split_characters() {
        let osc = "path \u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J\u{9b}31m\u{202E}EVIL\0.txt: binary\n";
        let out = through_writer(&[osc.as_bytes()], false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{9b}'));
        assert!(!out.contains('\u{202E}') && !out.contains('\0'));
        assert!(out.ends_with(": binary\n"));
        // "é" split across two writes, then a lone continuation byte and a torn tail.
        let out = through_writer(&[b"caf\xc3", b"\xa9 \x80!", b"\xe2\x80"], false);
        assert_eq!(out, "café \u{FFFD}!\u{FFFD}");
        // Raw C1 CSI given as its UTF-8 bytes.
        assert_eq!(through_writer(&[b"\xc2\x9b2J"], false), "\u{FFFD}2J");
    }

    #[test]
    fn only_colour_sequences_pass_and_only_when_asked() {
        let text = "\u{1b}[31;9mold\u{1b}[0m \u{1b}[2J \u{1b}]0;t\u{7}";
        let styled = through_writer(&[text.as_bytes()], true);
        assert_eq!(
            styled,
            "\u{1b}[31;9mold\u{1b}[0m \u{241B}[2J \u{241B}]0;t\u{2407}"
        );
        let plain = through_writer(&[text.as_bytes()], false);
        assert!(!plain.contains('\u{1b}'));
        // A colour sequence cut between two writes (a buffer's flush) still passes whole.
        let (x, y) = text.as_bytes().split_at(4);
        assert_eq!(through_writer(&[x, y], true), styled);
        // An ESC left at the very end is broken, not kept.
        assert_eq!(through_writer(&[b"a\x1b["], true), "a\u{FFFD}");
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            sanitize_for_terminal("plain «text» 東京 😀", true),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
