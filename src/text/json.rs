//! JSON for standard output that is safe to print on a terminal: serde_json escapes C0
//! controls but writes C1 controls, DEL and bidi overrides raw, and a terminal acts on those.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Characters written as `\uXXXX` escapes besides those serde_json escapes itself.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{61c}'
            // Zero-width characters: two ids differing only by one would print alike.
            | '\u{200b}'..='\u{200d}'
            | '\u{2060}'
            | '\u{feff}'
    )
}

/// Wraps a serde_json formatter, escaping what a terminal could act on inside strings.
struct TerminalSafe<F>(F);

impl<F: Formatter> Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        // Only characters starting with these bytes can need escaping (DEL; C1 controls,
        // U+0080–U+009F; the Arabic letter mark U+061C and U+180E; bidi controls and zero-width
        // characters U+200B–U+2069; the byte-order mark U+FEFF, lead byte 0xEF), and none
        // of them is a UTF-8 continuation byte: find them with memchr, not char by char.
        let b = s.as_bytes();
        // Most fragments are plain ASCII: nothing below DEL needs escaping here (serde_json
        // escapes the C0 controls itself).
        if b.iter().all(|&c| c < 0x7f) {
            return w.write_all(b);
        }
        let mut start = 0;
        let mut from = 0;
        let mut next_del = memchr::memchr2(0x7f, 0xef, b);
        while from < b.len() {
            let lead = memchr::memchr3(0xc2, 0xd8, 0xe2, &b[from..]).map(|k| from + k);
            let at = match (lead, next_del) {
                (Some(x), Some(y)) => x.min(y),
                (Some(x), None) | (None, Some(x)) => x,
                (None, None) => break,
            };
            let Some(c) = s[at..].chars().next() else {
                break;
            };
            if needs_escape(c) {
                w.write_all(&b[start..at])?;
                write!(w, "\\u{:04x}", c as u32)?;
                start = at + c.len_utf8();
            }
            from = at + c.len_utf8();
            if next_del.is_some_and(|d| d < from) {
                next_del = memchr::memchr2(0x7f, 0xef, &b[from..]).map(|k| from + k);
            }
        }
        w.write_all(&b[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as JSON (indented when `pretty`) with C1 controls, DEL and bidi controls
/// escaped, so the output is safe on a terminal and parses to the same value.
pub(crate) fn write_json<W: Write, T: ?Sized + Serialize>(
    w: W,
    value: &T,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        let mut ser =
            serde_json::Serializer::with_formatter(w, TerminalSafe(PrettyFormatter::new()));
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(w, TerminalSafe(CompactFormatter));
        value.serialize(&mut ser)
    }
}

/// [`write_json`] into a string.
pub(crate) fn json_string<T: ?Sized + Serialize>(
    value: &T,
    pretty: bool,
) -> serde_json::Result<String> {
    let mut out = Vec::new();
    write_json(&mut out, value, pretty)?;
    // The serializer writes only valid UTF-8 (str fragments and ASCII escapes).
    String::from_utf8(out).map_err(|e| serde_json::Error::io(io::Error::other(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped_and_the_value_survives() {
        let v =
            serde_json::json!({"t": "a\u{9b}31m b\u{202e}c \u{1b}[0m d\u{7f} é 日本", "n": [1, 2]});
        for pretty in [false, true] {
            let s = json_string(&v, pretty).unwrap();
            assert!(s.contains("\\u009b") && s.contains("\\u202e") && s.contains("\\u007f"));
            assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{s:?}");
            assert!(s.contains("é 日本"));
            let back: serde_json::Value = serde_json::from_str(&s).unwrap();
            assert_eq!(back, v);
        }
        // Every character that needs it, next to each other, at the ends, beside look-alikes
        // sharing their lead byte (é = C3, ’ = E2 80 99, ، = D8 8C).
        let all = "\u{7f}\u{80}\u{9f}\u{61c}\u{200e}\u{200f}\u{202a}\u{202e}\u{2066}\u{2069}\
                   \u{200b}\u{200c}\u{200d}\u{2060}\u{feff}";
        let tricky = format!("{all}x’é،\u{a0}\u{2014}，{all}ok{all}");
        let s = json_string(&tricky, false).unwrap();
        assert!(!s.chars().any(needs_escape), "{s:?}");
        assert!(s.contains("x’é،\u{a0}\u{2014}，"), "{s:?}");
        assert_eq!(serde_json::from_str::<String>(&s).unwrap(), tricky);
        assert_eq!(
            json_string(&v, false).unwrap(),
            serde_json::to_string(&v)
                .unwrap()
                .replace('\u{9b}', "\\u009b")
                .replace('\u{202e}', "\\u202e")
                .replace('\u{7f}', "\\u007f")
        );
    }
}
