//! Text in the encodings and line ends exports come in: UTF-16 with a byte-order mark,
//! CR-only line ends (old Mac exports); and plain-text exports that hold many articles
//! (Nexis Uni, old LexisNexis), recognised by their markers whatever the file is called.

use std::borrow::Cow;

use super::{export_load, lexisnexis, nexis};
use crate::corpus::load::{FileContext, FileLoad};

/// UTF-16 text with a byte-order mark, decoded (`None` for any other bytes). Unpaired
/// surrogates become U+FFFD.
pub(crate) fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (enc, bom) = encoding_rs::Encoding::for_bom(bytes)?;
    if enc == encoding_rs::UTF_8 {
        return None;
    }
    let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
    Some(text.into_owned())
}

/// Text with CR-only line ends (a `\r` not followed by `\n`) given `\n` ones (CRLF too, in
/// such a text); text without a lone `\r` is returned as it is.
pub(crate) fn normalize_line_ends(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let lone_cr = memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n'));
    if !lone_cr {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() != Some(&'\n') {
                out.push('\n');
            }
            continue;
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// A plain-text file read as a Nexis Uni or old LexisNexis export when it has their
/// markers; `None` for any other text (one article).
pub(crate) fn export_text(ctx: &FileContext<'_>, text: &str) -> Option<FileLoad> {
    let kw = &ctx.opts.keywords;
    // The markers are looked for cheaply before the text is split into lines.
    let maybe = kw
        .documents
        .iter()
        .chain(kw.end.iter())
        .any(|w| contains_caseless(text, w));
    if !maybe {
        return None;
    }
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines_export(ctx, &lines)
}

/// Lines (of a text or HTML file) read as an export when they have its markers.
pub(crate) fn lines_export(ctx: &FileContext<'_>, lines: &[String]) -> Option<FileLoad> {
    let kw = &ctx.opts.keywords;
    if lexisnexis::looks_like(lines, kw) {
        let (arts, bad) = lexisnexis::parse(lines, kw);
        return Some(export_load(ctx, "LexisNexis export", arts, bad));
    }
    if nexis::looks_like(lines, kw) {
        let (arts, bad) = nexis::parse(lines, kw);
        if arts.is_empty() && bad == 0 {
            return None;
        }
        return Some(export_load(ctx, "Nexis export", arts, bad));
    }
    None
}

/// Whether `hay` contains `needle`, ASCII case ignored (non-ASCII compared as is).
fn contains_caseless(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || n.len() > h.len() {
        return false;
    }
    let first = n[0];
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, h).any(|i| {
        h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_line_ends() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Hé\r\nX".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_utf16(&le).as_deref(), Some("Hé\r\nX"));
        let mut be = vec![0xFE, 0xFF];
        for u in "A😀".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode_utf16(&be).as_deref(), Some("A😀"));
        assert_eq!(decode_utf16(b"\xEF\xBB\xBFplain"), None);
        assert_eq!(decode_utf16(b"plain"), None);
        // An odd trailing byte and a lone surrogate do not stop decoding.
        assert!(decode_utf16(&[0xFF, 0xFE, 0x00, 0xD8, 0x41]).is_some());
        assert_eq!(normalize_line_ends("a\rb\r\nc\r"), "a\nb\nc\n");
        assert!(matches!(normalize_line_ends("a\r\nb"), Cow::Borrowed(_)));
        assert!(contains_caseless("xx end of document", "End of Document"));
    }
}
