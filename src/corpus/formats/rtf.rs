//! A small RTF-to-text reader, for the RTF files old LexisNexis and Factiva downloads came in
//! (often named `.doc`). It keeps the text and its paragraph breaks and nothing else: control
//! words and groups are read, `\'hh` bytes decoded in the document's code page (`\ansicpg`, or
//! a font's `\fcharset`) through encoding_rs, `\uN` characters taken (their fallback skipped
//! as `\ucN` says), and the destinations that hold no article text skipped (`{\*…}`, font and
//! colour tables, style sheets, document info, pictures, objects, headers, footers, footnotes,
//! field instructions). Table cells become tabs and rows lines, so a table of field codes
//! reads as `HD<tab>Headline`.

use encoding_rs::Encoding;

/// Deepest group nesting read; deeper input is refused (real files nest a few dozen levels).
const MAX_DEPTH: usize = 1000;

/// What a group's text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// Article text.
    Text,
    /// Skipped (a destination that holds no article text).
    Skip,
    /// The font table: read for the fonts' character sets only.
    Fonts,
}

/// The state a group inherits from its parent and loses at its end.
#[derive(Debug, Clone, Copy)]
struct State {
    dest: Dest,
    /// How many fallback characters follow a `\uN`.
    uc: usize,
    /// The encoding of `\'hh` bytes and 8-bit text here.
    encoding: &'static Encoding,
    /// Hidden text (`\v`).
    hidden: bool,
    /// In the font table: the font being defined.
    font_def: Option<i64>,
}

/// Control words that start a destination whose text is not article text.
const SKIPPED: [&str; 44] = [
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "header",
    "headerl",
    "headerr",
    "headerf",
    "footer",
    "footerl",
    "footerr",
    "footerf",
    "footnote",
    "fldinst",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnstbl",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "pgdsctbl",
    "revtbl",
    "filetbl",
    "mmathPr",
    "shpinst",
    "nonshppict",
    "bkmkstart",
    "bkmkend",
    "xe",
    "tc",
    "annotation",
    "atnid",
    "atnauthor",
    "private",
    "userprops",
    "docvar",
    "template",
    "fchars",
    "lchars",
    "blipuid",
];

/// The encoding of a Windows code page number (`\ansicpg1251`, `\cpg`).
fn code_page(n: i64) -> Option<&'static Encoding> {
    let label = match n {
        874 => "windows-874",
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        1250..=1258 => return Encoding::for_label(format!("windows-{n}").as_bytes()),
        10000 => "macintosh",
        20866 => "koi8-r",
        28591 => "windows-1252",
        28592..=28606 => return Encoding::for_label(format!("iso-8859-{}", n - 28590).as_bytes()),
        65001 => "utf-8",
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The encoding of a font character set (`\fcharset204`).
fn charset(n: i64) -> Option<&'static Encoding> {
    code_page(match n {
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    })
}

/// The text an RTF file holds, one line per paragraph (`\par`, `\line`, a table row).
pub(crate) fn to_text(bytes: &[u8]) -> Result<String, String> {
    let mut r = Reader {
        out: String::with_capacity(bytes.len() / 2),
        pending: Vec::new(),
        pending_encoding: encoding_rs::WINDOWS_1252,
        fonts: Vec::new(),
        doc_encoding: encoding_rs::WINDOWS_1252,
        high_surrogate: None,
        skip_fallback: 0,
    };
    let mut stack: Vec<State> = Vec::new();
    let mut st = State {
        dest: Dest::Text,
        uc: 1,
        encoding: encoding_rs::WINDOWS_1252,
        hidden: false,
        font_def: None,
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        match b {
            b'{' => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("RTF: groups nested deeper than {MAX_DEPTH}"));
                }
                r.flush();
                r.skip_fallback = 0;
                stack.push(st);
                st.font_def = None;
            }
            b'}' => {
                r.flush();
                r.skip_fallback = 0;
                if let Some(parent) = stack.pop() {
                    st = parent;
                }
            }
            b'\r' | b'\n' => {}
            b'\\' => i = r.control(bytes, i, &mut st),
            _ => r.byte(b, &st),
        }
    }
    r.flush();
    Ok(r.out)
}

struct Reader {
    out: String,
    /// 8-bit text not yet decoded (a double-byte character may come as two `\'hh`).
    pending: Vec<u8>,
    pending_encoding: &'static Encoding,
    /// The character set of each font number (`\fN`).
    fonts: Vec<(i64, &'static Encoding)>,
    doc_encoding: &'static Encoding,
    high_surrogate: Option<u16>,
    /// Fallback characters still to skip after a `\uN`.
    skip_fallback: usize,
}

impl Reader {
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let (text, _) = self
            .pending_encoding
            .decode_without_bom_handling(&self.pending);
        self.out.push_str(&text);
        self.pending.clear();
    }

    /// A byte of text (or of a `\'hh`) in the group's encoding.
    fn byte(&mut self, b: u8, st: &State) {
        if self.skip_fallback > 0 {
            self.skip_fallback -= 1;
            return;
        }
        if st.dest != Dest::Text || st.hidden {
            return;
        }
        if self.pending_encoding != st.encoding {
            self.flush();
            self.pending_encoding = st.encoding;
        }
        self.pending.push(b);
    }

    fn push(&mut self, c: char, st: &State) {
        if st.dest != Dest::Text || st.hidden {
            return;
        }
        self.flush();
        self.out.push(c);
    }

    /// Reads the control word or symbol after a backslash at `i`; returns where reading goes on.
    fn control(&mut self, bytes: &[u8], mut i: usize, st: &mut State) -> usize {
        let Some(&c) = bytes.get(i) else {
            return i;
        };
        if !c.is_ascii_alphabetic() {
            i += 1;
            match c {
                b'\'' => {
                    let hex = bytes.get(i..i + 2).and_then(|h| {
                        std::str::from_utf8(h)
                            .ok()
                            .and_then(|h| u8::from_str_radix(h, 16).ok())
                    });
                    if let Some(v) = hex {
                        self.byte(v, st);
                        return i + 2;
                    }
                }
                b'*' => {
                    self.flush();
                    st.dest = Dest::Skip;
                }
                b'\\' | b'{' | b'}' => {
                    self.skip_fallback = 0;
                    self.byte(c, st);
                }
                b'~' => self.push('\u{a0}', st),
                b'_' => self.push('-', st),
                b'\r' | b'\n' => self.push('\n', st),
                _ => {}
            }
            return i;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() && i - start < 32 {
            i += 1;
        }
        let word = std::str::from_utf8(&bytes[start..i]).unwrap_or_default();
        let num_start = i;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        while i < bytes.len() && bytes[i].is_ascii_digit() && i - num_start < 11 {
            i += 1;
        }
        let param: Option<i64> = std::str::from_utf8(&bytes[num_start..i])
            .ok()
            .and_then(|n| n.parse().ok());
        if bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        if word != "u" {
            self.skip_fallback = 0;
        }
        self.word(word, param, st);
        if word == "bin" {
            // Binary data: skipped whole.
            let n = usize::try_from(param.unwrap_or(0).max(0)).unwrap_or(usize::MAX);
            i = i.saturating_add(n).min(bytes.len());
        }
        i
    }

    fn word(&mut self, word: &str, param: Option<i64>, st: &mut State) {
        if st.dest == Dest::Fonts {
            match (word, param) {
                ("f", Some(n)) => st.font_def = Some(n),
                ("fcharset", Some(n)) | ("cpg", Some(n)) => {
                    let enc = if word == "cpg" {
                        code_page(n)
                    } else {
                        charset(n)
                    };
                    if let (Some(f), Some(enc)) = (st.font_def, enc) {
                        self.fonts.push((f, enc));
                    }
                }
                _ => {}
            }
            return;
        }
        match word {
            "fonttbl" => {
                self.flush();
                st.dest = Dest::Fonts;
            }
            w if SKIPPED.contains(&w) => {
                self.flush();
                st.dest = Dest::Skip;
            }
            "ansicpg" => {
                if let Some(enc) = param.and_then(code_page) {
                    self.doc_encoding = enc;
                    st.encoding = enc;
                }
            }
            "mac" => {
                self.doc_encoding = encoding_rs::MACINTOSH;
                st.encoding = encoding_rs::MACINTOSH;
            }
            "f" => {
                st.encoding = param
                    .and_then(|n| self.fonts.iter().rev().find(|(f, _)| *f == n))
                    .map_or(self.doc_encoding, |(_, e)| *e);
            }
            "uc" => st.uc = usize::try_from(param.unwrap_or(1).clamp(0, 16)).unwrap_or(1),
            "u" => {
                if let Some(n) = param {
                    // A signed 16-bit value; negative ones are the upper half.
                    let unit = u16::try_from(n.rem_euclid(65536)).unwrap_or(0xfffd);
                    self.unicode(unit, st);
                    self.skip_fallback = st.uc;
                }
            }
            "par" | "line" | "sect" | "page" | "row" => self.push('\n', st),
            "tab" | "cell" | "nestcell" => self.push('\t', st),
            "emdash" => self.push('—', st),
            "endash" => self.push('–', st),
            "lquote" => self.push('‘', st),
            "rquote" => self.push('’', st),
            "ldblquote" => self.push('“', st),
            "rdblquote" => self.push('”', st),
            "bullet" => self.push('•', st),
            "emspace" | "enspace" | "qmspace" => self.push(' ', st),
            "v" => st.hidden = param != Some(0),
            "plain" => st.hidden = false,
            _ => {}
        }
    }

    fn unicode(&mut self, unit: u16, st: &State) {
        match unit {
            0xd800..=0xdbff => {
                self.flush();
                self.high_surrogate = Some(unit);
            }
            0xdc00..=0xdfff => {
                let c = self
                    .high_surrogate
                    .take()
                    .and_then(|h| {
                        char::from_u32(
                            0x10000 + ((u32::from(h) - 0xd800) << 10) + (u32::from(unit) - 0xdc00),
                        )
                    })
                    .unwrap_or('\u{fffd}');
                self.push(c, st);
            }
            _ => {
                if self.high_surrogate.take().is_some() {
                    self.push('\u{fffd}', st);
                }
                self.push(char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}'), st);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_and_destinations() {
        let rtf =
            br#"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}{\f1\fcharset204 Times;}}
{\colortbl;\red0\green0\blue0;}{\stylesheet{\s0 Normal;}}{\info{\title Secret}{\author X}}
{\*\generator Writer;}\pard\plain Caf\'e9 \ldblquote quoted\rdblquote\par
{\f1 \'cf\'f0\'e8\'e2\'e5\'f2}\par
\uc1\u8364?5 and \u-10179?\u-8704? and \{braces\}\line
{\pict\wmetafile8 0102030405}{\field{\*\fldinst HYPERLINK "x"}{\fldrslt link}}\par
{\header Page 1}{\footnote note}Tab\tab end\par
\trowd HD\cell Harbour reopens\cell\row
{\v hidden}shown\par}"#;
        let t = to_text(rtf).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Café “quoted”");
        assert_eq!(lines[1], "Привет");
        assert_eq!(lines[2], "€5 and 😀 and {braces}");
        assert_eq!(lines[3], "link");
        assert_eq!(lines[4], "Tab\tend");
        assert_eq!(lines[5], "HD\tHarbour reopens\t");
        assert_eq!(lines[6], "shown");
        assert!(!t.contains("Secret") && !t.contains("Arial") && !t.contains("Writer"));
    }

    #[test]
    fn double_byte_code_pages_and_hostile_input() {
        // Shift_JIS: two \'hh escapes make one character.
        let t = to_text(br"{\rtf1\ansi\ansicpg932 \'82\'a0\par}").unwrap();
        assert_eq!(t.trim(), "あ");
        // Unbalanced, truncated and binary input: text or an error, never a panic.
        for bad in [
            &b"{\\rtf1 {{{ text"[..],
            b"{\\rtf1 }}}} text",
            b"{\\rtf1 \\'",
            b"{\\rtf1 \\'zz\\u",
            b"{\\rtf1 \\bin999999999 x}",
            b"{\\rtf1 \\u-99999999999999999999?}",
        ] {
            let _ = to_text(bad);
        }
        let deep = "{".repeat(5000);
        assert!(to_text(format!("{{\\rtf1 {deep}").as_bytes()).is_err());
    }
}
