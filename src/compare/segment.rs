//! Segmentation: an article's cleaned paragraphs → sentences → words.
//!
//! Sentences keep the original characters and carry their paragraph index and their byte and
//! char (code point) offsets into the canonical text `paragraphs.join("\n\n")`, the text that
//! annotations anchor into. Words carry a hash of their matching form
//! ([`crate::text::normalize_char`]); the displayed text is never altered.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::text::normalize::ASCII_MATCHING;
use crate::text::normalize_char;

/// A sentence longer than this many words is cut into pieces (bounds the work on pathological
/// input such as a 10 MB paragraph without sentence ends).
pub(crate) const MAX_SENTENCE_WORDS: usize = 300;

/// A sentence longer than this many bytes is cut into pieces (for text without spaces).
pub(crate) const MAX_SENTENCE_BYTES: usize = 8_000;

/// Pieces of an over-long sentence are cut at content-defined word boundaries once they hold at
/// least this many words, so that an edit early in the text does not shift every later cut.
const MIN_PIECE_WORDS: usize = 100;

/// One sentence of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence as written (original characters, surrounding whitespace trimmed).
    pub text: std::sync::Arc<str>,
    /// Index of its paragraph in the article's paragraph list.
    pub paragraph: usize,
    /// Byte range in the canonical text `paragraphs.join("\n\n")`.
    pub bytes: Range<usize>,
    /// Char (code point) range in the canonical text; what annotations anchor to.
    pub chars: Range<usize>,
    /// True when this is a piece of an over-long sentence cut by the segmenter.
    pub cut: bool,
}

/// A word or punctuation token of a sentence (whitespace is never a token). 16 bytes: a long
/// text has tens of thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Hash of the token's matching form (quotes, dashes and case unified).
    pub key: u64,
    /// Byte offset of the token's start in the sentence text.
    pub start: u32,
    /// Byte offset just past the token's end (low 31 bits), and whether the token holds a
    /// letter or digit (top bit).
    end_word: u32,
}

impl Word {
    const WORD_BIT: u32 = 1 << 31;

    /// A token at `start..end` of its text (offsets under 2 GiB).
    pub(crate) fn new(start: u32, end: u32, key: u64, is_word: bool) -> Self {
        Word {
            key,
            start,
            end_word: (end & !Self::WORD_BIT) | if is_word { Self::WORD_BIT } else { 0 },
        }
    }

    /// Byte offset just past the token's end in the sentence text.
    pub(crate) fn end(&self) -> u32 {
        self.end_word & !Self::WORD_BIT
    }

    /// True when the token holds a letter or digit (false for punctuation).
    pub(crate) fn is_word(&self) -> bool {
        self.end_word & Self::WORD_BIT != 0
    }

    /// The token's byte range in its sentence text.
    pub(crate) fn range(&self) -> Range<usize> {
        self.start as usize..self.end() as usize
    }
}

/// The sentences of an article and what the segmenter had to do to bound its work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// Every sentence, in reading order.
    pub sentences: Vec<Sentence>,
    /// How many pieces over-long sentences were cut into (sentences with `cut` set).
    pub cut_sentences: usize,
}

/// Text walked (bytes) between two questions to the stop flag while segmenting and preparing
/// ([`segment_until`]): a multi-MB text is given up within this much work.
pub(crate) const CHECK_EVERY_BYTES: usize = 64 * 1024;

/// Asks a stop flag after every [`CHECK_EVERY_BYTES`] of text walked, and remembers a stop.
pub(crate) struct Check<'a> {
    stop: &'a (dyn Fn() -> bool + Sync),
    since: usize,
    stopped: bool,
}

impl<'a> Check<'a> {
    /// A check asking `stop`.
    pub(crate) fn new(stop: &'a (dyn Fn() -> bool + Sync)) -> Self {
        Check {
            stop,
            since: 0,
            stopped: false,
        }
    }

    /// Counts `bytes` more of text walked, asking the flag once [`CHECK_EVERY_BYTES`] have
    /// gone by since it was last asked; true once the work is to stop.
    pub(crate) fn tick(&mut self, bytes: usize) -> bool {
        if !self.stopped {
            self.since += bytes;
            if self.since >= CHECK_EVERY_BYTES {
                self.since = 0;
                self.stopped = (self.stop)();
            }
        }
        self.stopped
    }

    /// Whether the flag said stop.
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }
}

/// Splits `paragraphs` into sentences with offsets into `paragraphs.join("\n\n")`.
pub fn segment(paragraphs: &[String]) -> Segmentation {
    // Never stopped, so always a segmentation.
    segment_until(paragraphs, &|| false).unwrap_or_default()
}

/// [`segment`], giving up (None) as soon as `stop` says so: it is asked after every
/// [`CHECK_EVERY_BYTES`] of text walked (inside one long sentence too), so a background job
/// segmenting a multi-MB text stops within that much work of being cancelled.
pub(crate) fn segment_until(
    paragraphs: &[String],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Segmentation> {
    segment_checked(paragraphs, &mut Check::new(stop))
}

/// [`segment_until`] with a check shared with the work around it.
pub(crate) fn segment_checked(
    paragraphs: &[String],
    check: &mut Check<'_>,
) -> Option<Segmentation> {
    let mut out = Segmentation::default();
    let mut para_byte = 0usize;
    let mut para_char = 0usize;
    for (pi, para) in paragraphs.iter().enumerate() {
        if pi > 0 {
            para_byte += 2;
            para_char += 2;
        }
        // Chars counted incrementally: `pos`/`chars_at_pos` walk forward through the paragraph.
        let mut pos = 0usize;
        let mut chars_at_pos = 0usize;
        for span in sentence_spans_checked(para, check)? {
            if check.tick(span.len()) {
                return None;
            }
            // A text of n bytes holds at most (n + 1) / 2 words: most sentences need no look.
            let whole = 0..span.len();
            let long;
            let pieces: &[Range<usize>] = if span.len() < 2 * MAX_SENTENCE_WORDS {
                std::slice::from_ref(&whole)
            } else {
                long = cut_long(&para[span.clone()], check);
                if check.stopped() {
                    return None;
                }
                &long
            };
            let cut = pieces.len() > 1;
            if cut {
                out.cut_sentences += pieces.len();
            }
            for piece in pieces {
                let start = span.start + piece.start;
                let end = span.start + piece.end;
                chars_at_pos += para[pos..start].chars().count();
                let start_char = chars_at_pos;
                let len_chars = para[start..end].chars().count();
                chars_at_pos += len_chars;
                pos = end;
                out.sentences.push(Sentence {
                    text: para[start..end].into(),
                    paragraph: pi,
                    bytes: para_byte + start..para_byte + end,
                    chars: para_char + start_char..para_char + start_char + len_chars,
                    cut,
                });
            }
        }
        para_byte += para.len();
        chars_at_pos += para[pos..].chars().count();
        para_char += chars_at_pos;
    }
    Some(out)
}

/// Abbreviations that never end a sentence (titles before a name).
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "maj", "capt", "sgt",
    "adm", "cmdr", "cpl", "pte", "st", "rev", "hon", "pres", "supt", "insp", "det", "messrs",
    "mme", "mlle", "fr", "sr", "jr", "vs", "cf", "approx", "dept", "univ", "mt", "ft", "ave",
];

/// Abbreviations that do not end a sentence when a number follows ("Sept. 30", "No. 5").
const BEFORE_NUMBER: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
    "nos", "art", "fig", "vol", "p", "pp", "ch", "sec",
];

/// Abbreviations that end a sentence only before a common sentence opener ("… the U.S. The").
const BEFORE_OPENER: &[&str] = &[
    "inc", "corp", "co", "ltd", "plc", "llc", "etc", "bros", "assn", "est", "al",
];

/// Words that commonly open a sentence: after an ambiguous abbreviation they mark a boundary.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "but",
    "and",
    "in",
    "on",
    "at",
    "his",
    "her",
    "their",
    "our",
    "if",
    "when",
    "while",
    "as",
    "after",
    "before",
    "however",
    "meanwhile",
    "earlier",
    "later",
    "some",
    "many",
    "most",
    "no",
    "not",
    "what",
    "why",
    "how",
    "who",
    "one",
    "mr",
    "mrs",
    "ms",
    "dr",
];

/// Byte ranges of the sentences of one paragraph (whitespace around them excluded).
///
/// A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets after it) when
/// whitespace and then an upper-case letter, a digit or an opening quote follow; or at a CJK
/// full stop. Abbreviations ("Gen.", "Sept. 30", "U.S. Secretary", initials) and decimals do not
/// end a sentence; the paragraph's end always does.
pub fn sentence_spans(para: &str) -> Vec<Range<usize>> {
    // Never stopped, so always the spans.
    sentence_spans_checked(para, &mut Check::new(&|| false)).unwrap_or_default()
}

/// [`sentence_spans`], giving up (None) when `check` says stop: it is told of every
/// [`CHECK_EVERY_BYTES`] window scanned, so a paragraph of many MB without a sentence end is
/// not one uninterruptible scan.
pub(crate) fn sentence_spans_checked(
    para: &str,
    check: &mut Check<'_>,
) -> Option<Vec<Range<usize>>> {
    let bytes = para.as_bytes();
    let mut spans = Vec::new();
    let mut start = skip_ws(para, 0);
    let mut i = start;
    // Candidate terminators are found with memchr: `.`, `!`, `?`, and in non-ASCII text the
    // lead bytes of `…` and the CJK stops.
    let ascii = para.is_ascii();
    // The next candidate at or after `from` within one window: `Err(window end)` when the
    // window holds none.
    let next_candidate = |from: usize| -> Result<usize, usize> {
        let end = bytes.len().min(from.saturating_add(CHECK_EVERY_BYTES));
        let rest = &bytes[from..end];
        let punct = memchr::memchr3(b'.', b'!', b'?', rest);
        let wide = if ascii {
            None
        } else {
            memchr::memchr3(0xE2, 0xE3, 0xEF, rest)
        };
        match (punct, wide) {
            (Some(x), Some(y)) => Ok(from + x.min(y)),
            (Some(x), None) | (None, Some(x)) => Ok(from + x),
            (None, None) => Err(end),
        }
    };
    // Where the flag was last told of the bytes scanned.
    let mut told = i;
    while i < bytes.len() {
        let found = next_candidate(i);
        i = found.unwrap_or_else(|end| end);
        if i - told >= CHECK_EVERY_BYTES {
            if check.tick(i - told) {
                return None;
            }
            told = i;
        }
        if found.is_err() {
            continue;
        }
        let Some((term_len, cjk)) = terminator_at(para, i) else {
            i += 1;
            continue;
        };
        let term_start = i;
        let mut j = i + term_len;
        let mut single_period = bytes[term_start] == b'.';
        // A run of terminators ("?!", "...").
        while let Some((l, _)) = terminator_at(para, j) {
            j += l;
            single_period = false;
        }
        j = skip_closers(para, j);
        if j >= bytes.len() {
            break;
        }
        if cjk {
            let k = skip_ws(para, j);
            push_span(para, &mut spans, start, j);
            start = k;
            i = k;
            continue;
        }
        let k = skip_ws(para, j);
        if k == j || k >= bytes.len() {
            // No whitespace after it ("3.5", "U.S.-led"), or only trailing whitespace.
            i = j.max(i + 1);
            continue;
        }
        let next = para[k..].chars().next().unwrap_or(' ');
        let opens = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(
                next,
                '"' | '\'' | '\u{201C}' | '\u{2018}' | '(' | '[' | '\u{AB}'
            )
            || (next.is_alphabetic() && !next.is_lowercase());
        let ends = opens && (!single_period || !is_abbreviation(para, start, term_start, k));
        if ends {
            push_span(para, &mut spans, start, j);
            start = k;
            i = k;
        } else {
            i = j.max(i + 1);
        }
    }
    push_span(para, &mut spans, start, bytes.len());
    Some(spans)
}

fn push_span(para: &str, spans: &mut Vec<Range<usize>>, start: usize, end: usize) {
    let text = &para[start..end];
    let trimmed = text.trim_end();
    if !trimmed.trim_start().is_empty() {
        let lead = trimmed.len() - trimmed.trim_start().len();
        spans.push(start + lead..start + trimmed.len());
    }
}

fn skip_ws(s: &str, mut i: usize) -> usize {
    while let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
        if c.is_whitespace() {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// The length of a sentence terminator at byte `i`, and whether it is a CJK full stop.
fn terminator_at(s: &str, i: usize) -> Option<(usize, bool)> {
    let b = *s.as_bytes().get(i)?;
    match b {
        b'.' | b'!' | b'?' => Some((1, false)),
        0xE2 | 0xE3 | 0xEF => {
            let c = s.get(i..)?.chars().next()?;
            match c {
                '\u{2026}' => Some((3, false)),
                '\u{3002}' | '\u{FF01}' | '\u{FF1F}' => Some((3, true)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn skip_closers(s: &str, mut i: usize) -> usize {
    while let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
        if matches!(
            c,
            '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{BB}' | '\u{300D}' | '\u{300F}'
        ) {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Whether the period at `dot` (with the next sentence candidate at `next`) ends an
/// abbreviation rather than a sentence.
fn is_abbreviation(para: &str, sent_start: usize, dot: usize, next: usize) -> bool {
    let before = &para[sent_start..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201C}' | '\u{2018}'))
        .map(|p| p + before[p..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let next_word_len = para[next..]
        .char_indices()
        .skip_while(|(_, c)| !c.is_alphanumeric())
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(para.len() - next, |(i, _)| i);
    let next_word =
        para[next..next + next_word_len].trim_start_matches(|c: char| !c.is_alphanumeric());
    let in_list = |list: &[&str], w: &str| list.iter().any(|x| x.eq_ignore_ascii_case(w));
    let next_is_number = para[next..].starts_with(|c: char| c.is_ascii_digit());
    let next_is_opener = in_list(OPENERS, next_word);
    if in_list(TITLES, word) {
        return true;
    }
    if in_list(BEFORE_NUMBER, word) {
        return next_is_number;
    }
    if in_list(BEFORE_OPENER, word) {
        return !next_is_opener;
    }
    let mut chars = word.chars();
    // A single capital letter: an initial ("John F. Kennedy").
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return true;
    }
    // Dotted initialisms: "U.S", "U.N", "a.m", "e.g".
    if word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic))
    {
        return !next_is_opener;
    }
    false
}

/// Cuts an over-long sentence into pieces of at most [`MAX_SENTENCE_WORDS`] words and
/// [`MAX_SENTENCE_BYTES`] bytes, preferring content-defined cut points; returns byte ranges of
/// `text` (one range covering all of it when it is short enough).
fn cut_long(text: &str, check: &mut Check<'_>) -> Vec<Range<usize>> {
    if text.len() <= MAX_SENTENCE_BYTES && text.split_whitespace().nth(MAX_SENTENCE_WORDS).is_none()
    {
        return std::iter::once(0..text.len()).collect();
    }
    let mut pieces = Vec::new();
    let mut piece_start = 0usize;
    let mut words = 0usize;
    let mut iter = text.split_whitespace().peekable();
    let base = text.as_ptr() as usize;
    while let Some(w) = iter.next() {
        // The pieces made so far are thrown away by the caller when this stops.
        if check.tick(w.len() + 1) {
            break;
        }
        let w_start = w.as_ptr() as usize - base;
        let w_end = w_start + w.len();
        if w_end - piece_start > MAX_SENTENCE_BYTES {
            // A piece without spaces: cut it at char boundaries.
            let mut s = if words > 0 { w_start } else { piece_start };
            if words > 0 {
                pieces.push(piece_start..trim_end_at(text, piece_start, w_start));
            }
            while w_end - s > MAX_SENTENCE_BYTES {
                let mut e = s + MAX_SENTENCE_BYTES;
                while !text.is_char_boundary(e) {
                    e -= 1;
                }
                pieces.push(s..e);
                s = e;
            }
            piece_start = s;
            words = 1;
            continue;
        }
        words += 1;
        let content_cut = words >= MIN_PIECE_WORDS && raw_hash(w).is_multiple_of(32);
        if (content_cut || words >= MAX_SENTENCE_WORDS) && iter.peek().is_some() {
            pieces.push(piece_start..w_end);
            piece_start = iter
                .peek()
                .map_or(text.len(), |n| n.as_ptr() as usize - base);
            words = 0;
        }
    }
    if piece_start < text.len() {
        pieces.push(piece_start..text.len());
    }
    pieces.retain(|r| !text[r.clone()].trim().is_empty());
    pieces
}

fn trim_end_at(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

fn raw_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Mixes one value into a running hash (FxHash-style).
#[inline]
pub(crate) fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// Hash of a token's matching form: each char through [`normalize_char`], zero-width and
/// soft-hyphen characters skipped. A token holds no whitespace (as [`words`] gives them).
pub(crate) fn word_key(token: &str) -> u64 {
    let mut h = WORD_SEED;
    if token.is_ascii() {
        return ascii_word_key(token.as_bytes());
    }
    for c in token.chars() {
        if matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
        ) {
            continue;
        }
        h = mix(h, u64::from(u32::from(normalize_char(c))));
    }
    h
}

/// Where every word key's hash starts.
const WORD_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// [`word_key`] of an ASCII token (no whitespace inside a token).
#[inline]
fn ascii_word_key(token: &[u8]) -> u64 {
    token.iter().fold(WORD_SEED, |h, &b| {
        mix(h, u64::from(ASCII_MATCHING[usize::from(b & 0x7f)]))
    })
}

/// The word and punctuation tokens of `text` (Unicode word boundaries, UAX #29; whitespace
/// dropped).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    if text.is_ascii() {
        ascii_words(text.as_bytes(), &mut out);
    } else {
        for (start, tok) in text.split_word_bound_indices() {
            if tok.chars().all(char::is_whitespace) {
                continue;
            }
            // Offsets past 4 GiB (no loaded text is that long) saturate.
            out.push(Word::new(
                u32::try_from(start).unwrap_or(u32::MAX),
                u32::try_from(start + tok.len()).unwrap_or(u32::MAX),
                word_key(tok),
                tok.chars().any(char::is_alphanumeric),
            ));
        }
    }
    out
}

/// Byte classes of ASCII for the tokenizer.
const WORDC: u8 = 1; // letter, digit or `_`: joins a word
const ALNUM: u8 = 2; // letter or digit: makes a token a word
const LETTER: u8 = 4;
const DIGIT: u8 = 8;
const SPACE: u8 = 16;

const CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        // c < 128.
        #[allow(clippy::cast_possible_truncation)]
        let b = c as u8;
        t[c] = if b.is_ascii_alphabetic() {
            WORDC | ALNUM | LETTER
        } else if b.is_ascii_digit() {
            WORDC | ALNUM | DIGIT
        } else if b == b'_' {
            WORDC
        } else if b.is_ascii_whitespace() {
            SPACE
        } else {
            0
        };
        c += 1;
    }
    t
};

/// The tokens of ASCII text with their keys, in one pass: the UAX #29 word boundaries (the
/// same tokens `split_word_bound_indices` gives, whitespace dropped), several times faster:
/// letters, digits and `_` join; a `.`, `'` or `:` between two letters and a `.`, `'`, `,` or
/// `;` between two digits join; any other character is a token of its own. Keys equal
/// [`word_key`] of each token.
fn ascii_words(b: &[u8], out: &mut Vec<Word>) {
    let class = |c: u8| CLASS[usize::from(c & 0x7f)];
    let norm = |c: u8| u64::from(ASCII_MATCHING[usize::from(c & 0x7f)]);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let cls = class(c);
        if cls & SPACE != 0 {
            i += 1;
            continue;
        }
        if cls & WORDC == 0 {
            let at = u32::try_from(i).unwrap_or(u32::MAX);
            out.push(Word::new(
                at,
                at.saturating_add(1),
                mix(WORD_SEED, norm(c)),
                false,
            ));
            i += 1;
            continue;
        }
        let start = i;
        let mut h = mix(WORD_SEED, norm(c));
        let mut alnum = cls & ALNUM;
        i += 1;
        loop {
            if i < b.len() {
                let cls = class(b[i]);
                if cls & WORDC != 0 {
                    h = mix(h, norm(b[i]));
                    alnum |= cls & ALNUM;
                    i += 1;
                    continue;
                }
            }
            if i + 1 < b.len() && class(b[i + 1]) & WORDC != 0 {
                let (prev, mid, next) = (class(b[i - 1]), b[i], class(b[i + 1]));
                let letters = prev & next & LETTER != 0 && matches!(mid, b'.' | b'\'' | b':');
                let digits = prev & next & DIGIT != 0 && matches!(mid, b'.' | b'\'' | b',' | b';');
                if letters || digits {
                    h = mix(mix(h, norm(mid)), norm(b[i + 1]));
                    alnum |= ALNUM;
                    i += 2;
                    continue;
                }
            }
            break;
        }
        let (start, end) = (
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(i).unwrap_or(u32::MAX),
        );
        out.push(Word::new(start, end, h, alnum != 0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(p: &str) -> Vec<&str> {
        sentence_spans(p).into_iter().map(|r| &p[r]).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let p = "U.S. Secretary of State John Kerry arrived. Gen. Smith spoke on Sept. 30. It says \
                 only Jan. 1 counts. John F. Kennedy said so at 3.5 p.m. on Monday. Mr. Putin agreed.";
        assert_eq!(
            sents(p),
            vec![
                "U.S. Secretary of State John Kerry arrived.",
                "Gen. Smith spoke on Sept. 30.",
                "It says only Jan. 1 counts.",
                "John F. Kennedy said so at 3.5 p.m. on Monday.",
                "Mr. Putin agreed."
            ]
        );
    }

    #[test]
    fn initialism_before_an_opener_ends_a_sentence() {
        assert_eq!(
            sents("Sanctions hit the U.S. The move was expected."),
            vec!["Sanctions hit the U.S.", "The move was expected."]
        );
    }

    #[test]
    fn quotes_ending_a_sentence_stay_with_it() {
        let p = "He said: \u{201C}We will go.\u{201D} Then he left. \"Why?\" she asked. \
                 \u{201C}No,\u{201D} he said. It ended!";
        assert_eq!(
            sents(p),
            vec![
                "He said: \u{201C}We will go.\u{201D}",
                "Then he left.",
                "\"Why?\" she asked.",
                "\u{201C}No,\u{201D} he said.",
                "It ended!"
            ]
        );
    }

    #[test]
    fn lower_case_after_a_period_continues_the_sentence() {
        assert_eq!(
            sents("A transition... in the hopes of peace, e.g. talks. Done"),
            vec!["A transition... in the hopes of peace, e.g. talks.", "Done"]
        );
    }

    #[test]
    fn offsets_point_into_the_canonical_text() {
        let paras = vec![
            "\u{201C}Caf\u{E9} open.\u{201D} Yes.".to_string(),
            "Second one. Third".to_string(),
        ];
        let canonical = paras.join("\n\n");
        let seg = segment(&paras);
        assert_eq!(seg.sentences.len(), 4);
        for s in &seg.sentences {
            assert_eq!(&canonical[s.bytes.clone()], &*s.text);
            let by_chars: String = canonical
                .chars()
                .skip(s.chars.start)
                .take(s.chars.len())
                .collect();
            assert_eq!(by_chars, &*s.text);
        }
        assert_eq!(seg.sentences[2].paragraph, 1);
        assert_eq!(seg.sentences[2].chars.start, 19);
    }

    #[test]
    fn text_without_sentence_ends_is_one_sentence() {
        let seg = segment(&["no end here at all".to_string(), String::new()]);
        assert_eq!(seg.sentences.len(), 1);
        assert_eq!(&*seg.sentences[0].text, "no end here at all");
    }

    #[test]
    fn a_long_paragraph_is_cut_into_bounded_pieces() {
        let para: String = (0..250_000).map(|i| format!("w{} ", i % 977)).collect();
        assert!(para.len() > 1_000_000);
        let seg = segment(std::slice::from_ref(&para));
        assert_eq!(seg.cut_sentences, seg.sentences.len());
        assert!(seg.sentences.len() > 600);
        let total: usize = seg
            .sentences
            .iter()
            .map(|s| {
                let n = s.text.split_whitespace().count();
                assert!(n <= MAX_SENTENCE_WORDS && s.text.len() <= MAX_SENTENCE_BYTES);
                n
            })
            .sum();
        assert_eq!(total, 250_000);
        let spaceless = "x".repeat(20_000);
        let seg = segment(&[spaceless]);
        assert_eq!(seg.sentences.len(), 3);
    }

    #[test]
    fn ascii_fast_path_matches_unicode_word_bounds() {
        let samples = [
            "U.S. Secretary's plan: 3.5% of $1,000,000 (a.m.) -- e.g. x_y 2b b2 a.1 1.a 'quoted' \"q\"",
            "Kerry's ... 10:30 a:b 1;2 a;b 1'2 it's rock'n'roll ;; ,, __init__ http://x.com/a?b=c#d",
            "  leading and trailing  \t\n spaces . . !? (x) [y] {z} <w> ~ ` ^ | \\ @ & * + = -",
        ];
        for s in samples {
            let mut fast = Vec::new();
            ascii_words(s.as_bytes(), &mut fast);
            let slow: Vec<Word> = s
                .split_word_bound_indices()
                .filter(|(_, t)| !t.chars().all(char::is_whitespace))
                .map(|(i, t)| {
                    Word::new(
                        u32::try_from(i).unwrap(),
                        u32::try_from(i + t.len()).unwrap(),
                        word_key(t),
                        t.chars().any(char::is_alphanumeric),
                    )
                })
                .collect();
            assert_eq!(fast, slow, "{s}");
        }
    }

    #[test]
    fn ascii_word_keys_equal_the_char_path() {
        for t in ["Kerry's", "`quoted'", "ABC-def_9", "x"] {
            let slow = t.chars().fold(0x9E37_79B9_7F4A_7C15u64, |h, c| {
                mix(h, u64::from(u32::from(normalize_char(c))))
            });
            assert_eq!(word_key(t), slow, "{t}");
        }
        assert_eq!(word_key("Assad\u{2019}s"), word_key("assad's"));
    }

    #[test]
    fn words_drop_whitespace_and_unify_quotes() {
        let a = words("Assad\u{2019}s \u{201C}kinks\u{201D}, U.S.");
        let b = words("assad's \"kinks\", U.S.");
        let ka: Vec<u64> = a.iter().map(|w| w.key).collect();
        let kb: Vec<u64> = b.iter().map(|w| w.key).collect();
        assert_eq!(ka, kb);
        assert!(a[0].is_word() && !a[1].is_word());
    }

    /// A text of about `mb` MB in one paragraph, with sentence ends.
    fn long_text(mb: usize) -> String {
        let sentence =
            "The council voted 12 to 3 on the harbour plan, which costs 40 million crowns. ";
        sentence.repeat(mb * 1_000_000 / sentence.len() + 1)
    }

    #[test]
    fn a_multi_mb_segmentation_held_at_its_first_check_stops_when_cancelled() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use std::sync::mpsc;
        let text = vec![long_text(4)];
        let cancelled = AtomicBool::new(false);
        let calls = AtomicUsize::new(0);
        let (reached_tx, reached_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let go_rx = std::sync::Mutex::new(go_rx);
        let out = std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                let stop = || {
                    if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                        // Held here, inside the segmentation, until the test has cancelled.
                        reached_tx.send(()).unwrap();
                        go_rx.lock().unwrap().recv().unwrap();
                    }
                    cancelled.load(Ordering::SeqCst)
                };
                segment_until(&text, &stop)
            });
            reached_rx.recv().unwrap();
            cancelled.store(true, Ordering::SeqCst);
            go_tx.send(()).unwrap();
            worker.join().unwrap()
        });
        assert_eq!(out, None, "a cancelled segmentation gives nothing");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "it stopped at the check that saw the cancel"
        );
    }

    #[test]
    fn segmentation_asks_the_stop_flag_every_check_bytes_and_stops_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // One paragraph with sentence ends, and one long sentence without any (cut in pieces).
        let spaced: String = (0..200_000).map(|i| format!("w{} ", i % 977)).collect();
        let text = vec![long_text(1), spaced];
        let bytes: usize = text.iter().map(String::len).sum();
        let calls = AtomicUsize::new(0);
        let counted = segment_until(&text, &|| {
            calls.fetch_add(1, Ordering::Relaxed);
            false
        });
        assert_eq!(
            counted.as_ref(),
            Some(&segment(&text)),
            "never stopped: the same result"
        );
        let asked = calls.load(Ordering::Relaxed);
        assert!(
            asked >= bytes / CHECK_EVERY_BYTES,
            "{asked} checks for {bytes} bytes: one every {CHECK_EVERY_BYTES} at least"
        );
        // Stopped at the third check: no more checks, no segmentation.
        for at in [3, asked / 2 + 1, asked] {
            let calls = AtomicUsize::new(0);
            let out = segment_until(&text, &|| calls.fetch_add(1, Ordering::Relaxed) + 1 >= at);
            assert_eq!(out, None, "stopped at check {at}");
            assert_eq!(calls.load(Ordering::Relaxed), at);
        }
    }

    #[test]
    fn scanning_a_paragraph_without_sentence_ends_asks_the_flag_every_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // 4 MB, no `.`, `!` or `?`: one memchr scan of it all before.
        let para = "word and more words ".repeat(200_000);
        let calls = AtomicUsize::new(0);
        let stop = || {
            calls.fetch_add(1, Ordering::Relaxed);
            false
        };
        let spans = sentence_spans_checked(&para, &mut Check::new(&stop));
        assert_eq!(spans, Some(sentence_spans(&para)));
        let asked = calls.load(Ordering::Relaxed);
        assert!(
            asked >= para.len() / CHECK_EVERY_BYTES,
            "{asked} checks while scanning {} bytes",
            para.len()
        );
        let calls = AtomicUsize::new(0);
        let stop = || calls.fetch_add(1, Ordering::Relaxed) >= 1;
        assert_eq!(sentence_spans_checked(&para, &mut Check::new(&stop)), None);
        assert_eq!(
            calls.load(Ordering::Relaxed),
            2,
            "stopped at the second window"
        );
    }
}
