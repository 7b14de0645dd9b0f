//! The bytes of an article's text row (before [`super::codec::pack`] compresses them): a
//! hand-written binary form, in place of the JSON rows of schema 4 and before, whose string
//! escaping and parsing (and a string made for every field read) a first open paid for on
//! every article when storing it and again when reading its text back.
//!
//! A format byte ([`FORMAT`]), a byte of flags (which optional fields follow), then the
//! fields in this order; a string is a varint byte length then its UTF-8, an integer a varint
//! (LEB128; the timestamp zigzagged):
//! - the key: file, record, hash, nth;
//! - source, title, URL (when flagged);
//! - the paragraphs: their count, then each;
//! - the removed lines: their count, then each: its text, a reason byte (the top bit set when
//!   the first and last line follow, as two varints);
//! - id, path, line, date, timestamp, byline, dateline, deck, story key (each when flagged).
//!
//! What a search index and the read-back of a first open need comes first (up to the
//! paragraphs, or the removed lines): [`text`] reads that far and no further, and the title and
//! URL are borrowed, never made into strings unless asked for. Lengths and counts are checked
//! against the bytes left before anything is allocated: damaged or hostile bytes give `None`,
//! never a panic, never more memory than the row's size allows.

use compact_str::CompactString;

use super::bytes::{In, put_bytes, put_varint, unzigzag, zigzag};
use crate::corpus::{Article, ArticleKey, ArticleMore, RemovalReason, RemovedLine};

/// The first byte of a row in this form. JSON rows (schema 4 and before) begin with `{`.
pub(super) const FORMAT: u8 = 1;

/// The flags of the optional fields.
const LINE: u8 = 1;
const DATE: u8 = 1 << 1;
const TIMESTAMP: u8 = 1 << 2;
const URL: u8 = 1 << 3;
const BYLINE: u8 = 1 << 4;
const DATELINE: u8 = 1 << 5;
const DECK: u8 = 1 << 6;
const STORY_KEY: u8 = 1 << 7;

/// The bit of a removed line's reason byte telling that its line numbers follow.
const HAS_LINES: u8 = 0x80;

/// `a` (without its raw text) appended to `out` in the row form.
pub(super) fn encode(a: &Article, out: &mut Vec<u8>) {
    let flags = [
        (a.line.is_some(), LINE),
        (a.date.is_some(), DATE),
        (a.timestamp.is_some(), TIMESTAMP),
        (a.url.is_some(), URL),
        (a.byline.is_some(), BYLINE),
        (a.dateline.is_some(), DATELINE),
        (a.deck.is_some(), DECK),
        (a.story_key.is_some(), STORY_KEY),
    ]
    .iter()
    .filter(|(set, _)| *set)
    .fold(0, |f, (_, bit)| f | bit);
    out.extend_from_slice(&[FORMAT, flags]);
    for s in [&a.key.file, &a.key.record, &a.key.hash] {
        put_str(out, s);
    }
    put_varint(out, u64::from(a.key.nth));
    put_str(out, &a.source);
    put_str(out, &a.title);
    put_opt(out, a.url.as_deref());
    put_count(out, a.paragraphs.len());
    for p in &a.paragraphs {
        put_str(out, p);
    }
    put_count(out, a.removed.len());
    for r in &a.removed {
        put_str(out, &r.text);
        let reason = reason_byte(r.reason);
        match r.lines {
            Some((first, last)) => {
                out.push(reason | HAS_LINES);
                put_count(out, first);
                put_count(out, last);
            }
            None => out.push(reason),
        }
    }
    put_str(out, &a.id);
    put_str(out, &a.path);
    if let Some(l) = a.line {
        put_varint(out, u64::from(l.get()));
    }
    put_opt(out, a.date.as_deref());
    if let Some(t) = a.timestamp {
        // Zigzag: a date before 1970 takes as few bytes as one after.
        put_varint(out, zigzag(t));
    }
    for s in [&a.byline, &a.dateline, &a.deck, &a.story_key] {
        put_opt(out, s.as_deref());
    }
}

/// About the bytes [`encode`] writes for `a` (a little more), to size its buffer once.
pub(super) fn size_hint(a: &Article) -> usize {
    let strings = |v: &[String]| v.iter().map(|s| s.len() + 3).sum::<usize>();
    64 + a.id.len()
        + a.key.file.len()
        + a.key.record.len()
        + a.key.hash.len()
        + a.path.len()
        + a.source.len()
        + a.title.len()
        + [&a.url, &a.byline, &a.dateline, &a.deck, &a.story_key]
            .iter()
            .map(|s| s.as_ref().map_or(0, |s| s.len() + 3))
            .sum::<usize>()
        + a.date.as_ref().map_or(0, |d| d.len() + 3)
        + strings(&a.paragraphs)
        + a.removed.iter().map(|r| r.text.len() + 24).sum::<usize>()
}

fn put_count(out: &mut Vec<u8>, n: usize) {
    put_varint(out, u64::try_from(n).unwrap_or(u64::MAX));
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

/// An optional string: written only when present (its flag tells).
fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    if let Some(s) = s {
        put_str(out, s);
    }
}

/// The byte of a removal reason: fixed here, whatever the enum's order.
fn reason_byte(r: RemovalReason) -> u8 {
    match r {
        RemovalReason::Comments => 0,
        RemovalReason::ViewCounter => 1,
        RemovalReason::Share => 2,
        RemovalReason::Copyright => 3,
        RemovalReason::Navigation => 4,
        RemovalReason::PageHeader => 5,
        RemovalReason::Headline => 6,
        RemovalReason::Deck => 7,
        RemovalReason::Dateline => 8,
        RemovalReason::Byline => 9,
        RemovalReason::DuplicateParagraph => 10,
        RemovalReason::SourceBoilerplate => 11,
        RemovalReason::ExportMetadata => 12,
    }
}

/// The reason of [`reason_byte`] `b`.
fn reason_of(b: u8) -> Option<RemovalReason> {
    Some(match b {
        0 => RemovalReason::Comments,
        1 => RemovalReason::ViewCounter,
        2 => RemovalReason::Share,
        3 => RemovalReason::Copyright,
        4 => RemovalReason::Navigation,
        5 => RemovalReason::PageHeader,
        6 => RemovalReason::Headline,
        7 => RemovalReason::Deck,
        8 => RemovalReason::Dateline,
        9 => RemovalReason::Byline,
        10 => RemovalReason::DuplicateParagraph,
        11 => RemovalReason::SourceBoilerplate,
        12 => RemovalReason::ExportMetadata,
        _ => return None,
    })
}

/// Reads a row front to back; every read is `None` past the end or on bytes that are not
/// what they should be.
#[derive(Debug, Clone)]
struct Reader<'a> {
    rest: In<'a>,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        self.rest.byte()
    }

    fn varint(&mut self) -> Option<u64> {
        self.rest.varint()
    }

    /// A length or a count, at most the bytes left: each byte or item takes one at least,
    /// so nothing is allocated for more than the row holds.
    fn count(&mut self) -> Option<usize> {
        self.rest.count()
    }

    fn str(&mut self) -> Option<&'a str> {
        self.rest.str()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    /// An optional string, present when `flag` is set in `flags`.
    fn opt(&mut self, flags: u8, flag: u8) -> Option<Option<&'a str>> {
        if flags & flag == 0 {
            return Some(None);
        }
        self.str().map(Some)
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.string()?);
        }
        Some(v)
    }

    fn removed(&mut self) -> Option<Vec<RemovedLine>> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            let text = self.string()?;
            let b = self.byte()?;
            let lines = if b & HAS_LINES != 0 {
                Some((self.count_any()?, self.count_any()?))
            } else {
                None
            };
            v.push(RemovedLine {
                text,
                reason: reason_of(b & !HAS_LINES)?,
                lines,
            });
        }
        Some(v)
    }

    /// A number that is no length (a line number).
    fn count_any(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }
}

/// What comes first in a row: the key and the fields the texts read, the paragraphs made
/// into strings, the title and URL borrowed from the row.
#[derive(Debug)]
pub(super) struct Text<'a> {
    pub(super) source: &'a str,
    pub(super) title: &'a str,
    pub(super) url: Option<&'a str>,
    pub(super) paragraphs: Vec<String>,
    /// The rest of the row, from the removed lines on.
    rest: Reader<'a>,
}

impl Text<'_> {
    /// The removed lines, which follow the paragraphs; `None` when they do not decode.
    pub(super) fn removed(&mut self) -> Option<Vec<RemovedLine>> {
        self.rest.removed()
    }
}

/// The start of the row `row` when it is in this form and is the text of the record `record`
/// with hash `hash` (another record's row: `None`, its paragraphs not read).
pub(super) fn text<'a>(row: &'a [u8], record: &str, hash: &str) -> Option<Text<'a>> {
    let mut r = Reader { rest: In(row) };
    if r.byte()? != FORMAT {
        return None;
    }
    let flags = r.byte()?;
    r.str()?;
    if r.str()? != record || r.str()? != hash {
        return None;
    }
    r.varint()?;
    let source = r.str()?;
    let title = r.str()?;
    let url = r.opt(flags, URL)?;
    let paragraphs = r.strings()?;
    Some(Text {
        source,
        title,
        url,
        paragraphs,
        rest: r,
    })
}

/// The article of the row `row` (without its raw text, the keys the loader computes not set);
/// `None` when the row is not one in this form, whole and nothing after.
pub(super) fn decode(row: &[u8]) -> Option<Article> {
    let mut r = Reader { rest: In(row) };
    if r.byte()? != FORMAT {
        return None;
    }
    let flags = r.byte()?;
    let key = ArticleKey {
        file: r.str()?.into(),
        record: r.str()?.into(),
        hash: r.str()?.into(),
        nth: u32::try_from(r.varint()?).ok()?,
    };
    let source: CompactString = r.str()?.into();
    let title = r.string()?;
    let url = r.opt(flags, URL)?.map(str::to_owned);
    let paragraphs = r.strings()?;
    let removed = r.removed()?;
    let id: CompactString = r.str()?.into();
    let path: std::sync::Arc<str> = r.str()?.into();
    let line = if flags & LINE != 0 {
        Some(std::num::NonZeroU32::new(u32::try_from(r.varint()?).ok()?)?)
    } else {
        None
    };
    let date = r.opt(flags, DATE)?.map(CompactString::from);
    let timestamp = if flags & TIMESTAMP != 0 {
        Some(unzigzag(r.varint()?))
    } else {
        None
    };
    let mut owned = |flag| r.opt(flags, flag).map(|s| s.map(str::to_owned));
    let (byline, dateline, deck, story_key) = (
        owned(BYLINE)?,
        owned(DATELINE)?,
        owned(DECK)?,
        owned(STORY_KEY)?,
    );
    // Nothing after the last field.
    r.rest.end()?;
    Some(Article {
        more: Some(Box::new(ArticleMore {
            byline,
            dateline,
            deck,
            story_key,
            paragraphs,
            removed,
            ..ArticleMore::default()
        })),
        id,
        key,
        path,
        line,
        source,
        title,
        date,
        timestamp,
        url,
        counts: None,
        date_inferred: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An article with every optional field set (`full`) or none.
    fn article(full: bool) -> Article {
        let sample = crate::corpus::sample::load_sample(&Default::default());
        let mut a = sample.articles[0].clone();
        a.raw = String::new();
        a.more.get_or_insert_default();
        if full {
            a.key.nth = 300;
            a.line = std::num::NonZeroU32::new(u32::MAX);
            a.date = Some("1969-07-20".into());
            a.timestamp = Some(-14_182_940);
            a.url = Some("https://example.org/\"quoted\"\n".into());
            a.byline = Some("By A. Writer".into());
            a.dateline = Some("LONDON, March 15 -".into());
            a.deck = Some("A deck, é and 日本".into());
            a.story_key = Some("story-1".into());
            a.removed = vec![
                RemovedLine {
                    text: "Share this".into(),
                    reason: RemovalReason::Share,
                    lines: Some((1, usize::MAX)),
                },
                RemovedLine {
                    text: String::new(),
                    reason: RemovalReason::ExportMetadata,
                    lines: None,
                },
            ];
            a.paragraphs.push(String::new());
        } else {
            a.key.nth = 0;
            a.line = None;
            a.date = None;
            a.timestamp = None;
            a.url = None;
            a.byline = None;
            a.dateline = None;
            a.deck = None;
            a.story_key = None;
            a.removed = Vec::new();
            a.paragraphs = Vec::new();
            a.title = String::new();
        }
        a
    }

    fn row(a: &Article) -> Vec<u8> {
        let mut out = Vec::new();
        encode(a, &mut out);
        assert!(
            out.len() <= size_hint(a),
            "{} > {}",
            out.len(),
            size_hint(a)
        );
        out
    }

    /// The fields of `a` a row keeps, to compare.
    fn fields(a: &Article) -> String {
        format!(
            "{:?}",
            (
                (&a.id, &a.key, &a.path, a.line, &a.source, &a.title),
                (&a.date, a.timestamp, &a.url, &a.byline, &a.dateline),
                (&a.deck, &a.story_key, &a.paragraphs, &a.removed),
            )
        )
    }

    #[test]
    fn every_field_round_trips_present_or_absent() {
        let sample = crate::corpus::sample::load_sample(&Default::default());
        let mut all = vec![article(true), article(false)];
        all.extend(sample.articles.iter().cloned());
        for (k, flag) in [
            LINE, DATE, TIMESTAMP, URL, BYLINE, DATELINE, DECK, STORY_KEY,
        ]
        .into_iter()
        .enumerate()
        {
            // One optional field absent at a time, then one present at a time.
            let mut a = article(true);
            let mut b = article(false);
            match flag {
                LINE => (a.line, b.line) = (None, std::num::NonZeroU32::new(1)),
                DATE => (a.date, b.date) = (None, Some(String::new().into())),
                TIMESTAMP => (a.timestamp, b.timestamp) = (None, Some(i64::MIN)),
                URL => (a.url, b.url) = (None, Some(String::new())),
                BYLINE => (a.byline, b.byline) = (None, Some("b".into())),
                DATELINE => (a.dateline, b.dateline) = (None, Some("d".into())),
                DECK => (a.deck, b.deck) = (None, Some("k".into())),
                _ => (a.story_key, b.story_key) = (None, Some(format!("s{k}"))),
            }
            all.extend([a, b]);
        }
        let mut extremes = article(true);
        extremes.timestamp = Some(i64::MAX);
        all.push(extremes);
        for a in &all {
            let bytes = row(a);
            assert_eq!(bytes[0], FORMAT);
            let back = decode(&bytes).unwrap();
            assert_eq!(fields(&back), fields(a));
            let mut t = text(&bytes, &a.key.record, &a.key.hash).unwrap();
            assert_eq!(
                (t.source, t.title, t.url, &t.paragraphs),
                (&*a.source, &*a.title, a.url.as_deref(), &a.paragraphs)
            );
            assert_eq!(t.removed().unwrap(), a.removed);
            // Another record's row, or another version of the record: not read.
            assert!(text(&bytes, "other", &a.key.hash).is_none());
            assert!(text(&bytes, &a.key.record, "other").is_none());
        }
    }

    #[test]
    fn every_reason_has_its_own_byte() {
        for b in 0..=u8::MAX {
            if let Some(r) = reason_of(b) {
                assert_eq!(reason_byte(r), b);
            }
        }
        assert_eq!((0..=u8::MAX).filter_map(reason_of).count(), 13);
    }

    #[test]
    fn damaged_rows_are_refused_without_a_panic() {
        let a = article(true);
        let bytes = row(&a);
        // Cut at every byte: refused (the full decode), or a start that stops short of the
        // cut.
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
            if let Some(mut t) = text(&bytes[..cut], &a.key.record, &a.key.hash) {
                let _ = t.removed();
            }
        }
        // A byte after the row, another format, a JSON row of schema 4.
        assert!(decode(&[&bytes[..], &[0]].concat()).is_none());
        assert!(decode(&[&[FORMAT + 1], &bytes[1..]].concat()).is_none());
        assert!(decode(b"{\"id\":\"a\"}").is_none());
        assert!(text(b"{\"id\":\"a\"}", "a", "b").is_none());
        // Lengths and counts past the row, a varint past 64 bits, a line 0, a reason unknown.
        let mut huge = vec![FORMAT, 0];
        put_varint(&mut huge, u64::MAX);
        assert!(decode(&huge).is_none());
        let mut r = Reader {
            rest: In(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]),
        };
        assert_eq!(r.varint(), None);
        let mut r = Reader {
            rest: In(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        };
        assert_eq!(r.varint(), Some(u64::MAX));
        let mut many = Vec::new();
        put_varint(&mut many, 1 << 40);
        many.extend_from_slice(&[0; 8]);
        assert!(Reader { rest: In(&many) }.strings().is_none());
        assert!(Reader { rest: In(&many) }.removed().is_none());
        let mut b = article(false);
        b.line = std::num::NonZeroU32::new(1);
        let mut zero = row(&b);
        let at = zero.len() - 1;
        assert_eq!(zero[at], 1, "the line is last");
        zero[at] = 0;
        assert!(decode(&zero).is_none());
        let mut bad_reason = article(false);
        bad_reason.removed = vec![RemovedLine {
            text: "MARK".into(),
            reason: RemovalReason::ExportMetadata,
            lines: None,
        }];
        let mut bytes = row(&bad_reason);
        let at = bytes.windows(4).position(|w| w == b"MARK").unwrap() + 4;
        assert_eq!(bytes[at], reason_byte(RemovalReason::ExportMetadata));
        bytes[at] = 13;
        assert!(decode(&bytes).is_none());
        // Not UTF-8.
        let mut c = article(false);
        c.title = "ab".into();
        let mut bytes = row(&c);
        let at = bytes.windows(2).position(|w| w == b"ab").unwrap();
        bytes[at] = 0xff;
        assert!(decode(&bytes).is_none());
        assert!(text(&bytes, &c.key.record, &c.key.hash).is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// Random bytes, and rows with a byte changed, never panic.
        #[test]
        fn random_bytes_never_panic(
            noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512),
            at in 0usize..4096,
            byte in proptest::prelude::any::<u8>(),
        ) {
            let _ = decode(&noise);
            let _ = text(&noise, "", "").map(|mut t| t.removed());
            let with_format = [&[FORMAT], &noise[..]].concat();
            let _ = decode(&with_format);
            let a = article(at % 2 == 0);
            let mut bytes = row(&a);
            let i = at % bytes.len();
            bytes[i] ^= byte | 1;
            let _ = decode(&bytes);
            let _ = text(&bytes, &a.key.record, &a.key.hash).map(|mut t| t.removed());
        }
    }
}
