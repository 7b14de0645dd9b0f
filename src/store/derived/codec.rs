//! How an article is kept in the derived store, and [`StoreTexts`], which reads the text of
//! one article back when the reader shows it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::corpus::Article;
use crate::corpus::clean::{Boilerplate, compute_edge_keys, hash_source};
use crate::corpus::texts::{ArticleText, TextPlace, TextSource};

/// `bytes` compressed (an LZ4 block after its length) when that saves at least a fifth,
/// after a flag byte (3 LZ4, 0 not). Rows of an older stet may be deflated (flag 1): they
/// still read. LZ4 rather than deflate: at the fast level deflate took a sixth of a first
/// open's CPU (100k generated articles); LZ4 takes a fraction of that for rows about a
/// third larger.
pub(super) fn pack(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() >= 64
        && let Some(d) = lz4_with_flag(bytes)
        && (d.len() - 1) * 5 <= bytes.len() * 4
    {
        return d;
    }
    let mut out = Vec::with_capacity(bytes.len() + 1);
    out.push(0);
    out.extend_from_slice(bytes);
    out
}

/// The flag of an LZ4 block: `[3] + length (u32, little-endian) + block`.
const LZ4: u8 = 3;

/// `[3] + len + lz4(bytes)`, sized exactly (compressed into a per-thread buffer, then
/// copied: rows held until stored are not left with the worst case's capacity).
fn lz4_with_flag(bytes: &[u8]) -> Option<Vec<u8>> {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let len = u32::try_from(bytes.len()).ok()?;
    SCRATCH.with(|b| {
        let mut b = b.try_borrow_mut().ok()?;
        let need = lz4_flex::block::get_maximum_output_size(bytes.len());
        if b.len() < need {
            b.resize(need, 0);
        }
        let n = lz4_flex::block::compress_into(bytes, &mut b[..]).ok()?;
        Some(framed(LZ4, len, b.get(..n)?))
    })
}

/// `[flag] + len (u32, little-endian) + block`: an LZ4 block as a row keeps it, with the
/// length it unpacks to.
fn framed(flag: u8, len: u32, block: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 5);
    out.push(flag);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(block);
    out
}

/// The length an LZ4 block kept by [`framed`] unpacks to and the block (`body`: after the
/// flag); `None` when cut short or longer than `max`.
fn unframed(body: &[u8], max: usize) -> Option<(usize, &[u8])> {
    let (len, block) = body.split_first_chunk::<4>()?;
    let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
    (len <= max).then_some((len, block))
}

/// The bytes of an LZ4 row (after its flag), `None` when they do not decode or would be
/// longer than `max`.
fn unlz4(body: &[u8], max: usize) -> Option<Vec<u8>> {
    let (len, block) = unframed(body, max)?;
    let mut out = vec![0; len];
    let n = lz4_flex::block::decompress_into(block, &mut out).ok()?;
    (n == len).then_some(out)
}

/// Most bytes [`unpack`] gives back.
const MAX_UNPACKED: usize = 1 << 30;

/// The bytes [`pack`] packed; `None` when they do not unpack (at most 1 GB).
pub(super) fn unpack(packed: &[u8]) -> Option<Vec<u8>> {
    let (&flag, body) = packed.split_first()?;
    match flag {
        0 => Some(body.to_vec()),
        1 => inflate(body, MAX_UNPACKED),
        LZ4 => unlz4(body, MAX_UNPACKED),
        _ => None,
    }
}

/// Rows up to this size are unpacked into a buffer kept per thread ([`with_unpacked`]).
const SCRATCH_MAX: usize = 1 << 20;

/// `read` of the bytes [`pack`] packed: read where they are when they were stored as they
/// are, else (LZ4, up to a MB) decompressed into a buffer kept per thread, not a fresh one
/// zeroed for each row as [`unpack`] gives (its allocation and zeroing were a third of
/// unpacking a row's cost as a first open reads every text back, at 230k generated
/// articles); `None` when they do not unpack.
fn with_unpacked<R>(packed: &[u8], read: impl FnOnce(&[u8]) -> Option<R>) -> Option<R> {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    match packed.split_first()? {
        (&0, body) => read(body),
        (&LZ4, body) => {
            let (len, block) = unframed(body, MAX_UNPACKED)?;
            if len > SCRATCH_MAX {
                return read(&unlz4(body, MAX_UNPACKED)?);
            }
            BUF.with(|b| {
                let Ok(mut b) = b.try_borrow_mut() else {
                    return read(&unlz4(body, MAX_UNPACKED)?);
                };
                if b.len() < len {
                    b.resize(len, 0);
                }
                let out = b.get_mut(..len)?;
                let n = lz4_flex::block::decompress_into(block, out).ok()?;
                if n != len {
                    return None;
                }
                read(out)
            })
        }
        _ => read(&unpack(packed)?),
    }
}

/// `body` inflated (raw deflate), `None` when it is not deflate or inflates past `max`.
/// The decompressor is kept per thread and reset: a fresh one is allocated and zeroed for
/// each article otherwise, which cost as much as inflating the text when a search index
/// reads every article.
fn inflate(body: &[u8], max: usize) -> Option<Vec<u8>> {
    use flate2::{Decompress, FlushDecompress, Status};
    thread_local! {
        static DECOMPRESSOR: std::cell::RefCell<Decompress> =
            std::cell::RefCell::new(Decompress::new(false));
    }
    DECOMPRESSOR.with(|d| {
        let mut d = d.try_borrow_mut().ok()?;
        d.reset(false);
        let mut out = Vec::with_capacity(body.len().saturating_mul(4).clamp(64, max.max(1)));
        loop {
            let read = usize::try_from(d.total_in()).ok()?;
            let before = (read, out.len());
            let status = d
                .decompress_vec(body.get(read..)?, &mut out, FlushDecompress::Finish)
                .ok()?;
            if status == Status::StreamEnd {
                return Some(out);
            }
            if out.len() == out.capacity() {
                if out.len() >= max {
                    return None;
                }
                let grown = out.len().saturating_mul(2).min(max);
                out.reserve_exact(grown - out.len());
            } else if (usize::try_from(d.total_in()).ok()?, out.len()) == before {
                // No progress with room to write: the input is cut short.
                return None;
            }
        }
    })
}

/// The two blobs of an article as its loader gave it: the article without its raw text, and
/// the raw text.
pub(super) fn encode(a: &Article) -> (Vec<u8>, Vec<u8>) {
    let mut text = Vec::with_capacity(super::row::size_hint(a));
    super::row::encode(a, &mut text);
    // A raw text that is its paragraphs as they stand (many JSON records) is not kept twice;
    // else what it shares with them (most of it: the raw text is the paragraphs with their
    // line breaks and the lines cleaning took off) is not kept twice either.
    let raw = if raw_is_text(&a.raw, &a.paragraphs) {
        vec![SAME_AS_TEXT]
    } else {
        let text = a.paragraphs.join("\n\n");
        match super::delta::encode(a.raw.as_bytes(), text.as_bytes()) {
            Some(edits) => {
                let mut out = Vec::with_capacity(edits.len() + 1);
                out.push(EDITS_OF_TEXT);
                out.extend_from_slice(&edits);
                out
            }
            None => pack_against(a.raw.as_bytes(), &text).unwrap_or_else(|| pack(a.raw.as_bytes())),
        }
    };
    (pack(&text), raw)
}

/// The flag of a raw text that is the paragraphs joined by blank lines.
const SAME_AS_TEXT: u8 = 2;

/// The flag of a raw text kept as the edits that make it from its paragraphs (joined by
/// blank lines): `[5] + edits` ([`super::delta`]).
const EDITS_OF_TEXT: u8 = 5;

/// The flag of a raw text compressed with its paragraphs (joined by blank lines) as the
/// dictionary: `[4] + length (u32, little-endian) + LZ4 block`.
const AGAINST_TEXT: u8 = 4;

/// `raw` as an LZ4 block against the dictionary `text` (the paragraphs it was cleaned into),
/// when that saves at least a fifth.
fn pack_against(raw: &[u8], text: &str) -> Option<Vec<u8>> {
    let len = u32::try_from(raw.len()).ok()?;
    let mut block = vec![0; lz4_flex::block::get_maximum_output_size(raw.len())];
    let n = lz4_flex::block::compress_into_with_dict(raw, &mut block, text.as_bytes()).ok()?;
    if n * 5 > raw.len() * 4 {
        return None;
    }
    Some(framed(AGAINST_TEXT, len, block.get(..n)?))
}

/// The raw text [`pack_against`] packed against `text`.
fn unpack_against(body: &[u8], text: &str) -> Option<Vec<u8>> {
    let (len, block) = unframed(body, MAX_UNPACKED)?;
    let mut out = vec![0; len];
    let n = lz4_flex::block::decompress_into_with_dict(block, &mut out, text.as_bytes()).ok()?;
    (n == len).then_some(out)
}

/// Whether `raw` is `paragraphs` joined by blank lines (checked without joining).
fn raw_is_text(raw: &str, paragraphs: &[String]) -> bool {
    let mut rest = raw;
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            let Some(r) = rest.strip_prefix("\n\n") else {
                return false;
            };
            rest = r;
        }
        let Some(r) = rest.strip_prefix(p.as_str()) else {
            return false;
        };
        rest = r;
    }
    rest.is_empty() && !paragraphs.is_empty()
}

/// The article [`encode`] encoded, as its loader gave it (raw text when `raw` is given), with
/// the keys the loader computes; `None` when it does not decode.
pub(super) fn decode(text: &[u8], raw: Option<&[u8]>) -> Option<Article> {
    let mut a = with_unpacked(text, super::row::decode)?;
    // The paragraphs as the raw texts kept against them were packed against.
    let text = || a.paragraphs.join("\n\n");
    let raw = match raw {
        Some([SAME_AS_TEXT]) => text(),
        Some([AGAINST_TEXT, body @ ..]) => {
            String::from_utf8(unpack_against(body, &text())?).ok()?
        }
        Some([EDITS_OF_TEXT, edits @ ..]) => String::from_utf8(super::delta::decode(
            edits,
            text().as_bytes(),
            MAX_UNPACKED,
        )?)
        .ok()?,
        Some(r) => String::from_utf8(unpack(r)?).ok()?,
        None => String::new(),
    };
    a.raw = raw;
    a.edge_keys = Some(compute_edge_keys(&a.paragraphs));
    a.source_key = Some(hash_source(&a.source));
    Some(a)
}

/// The cleaned text of the row `text` (its paragraphs and removed lines, and its title and
/// URL when `titled`) with the source `boilerplate` taken off, when it is the text of the
/// record `record` with hash `hash`: what a first open reads back to take each article's
/// features, and a search index or a listing reads. Only the start of the row is read, and
/// the edge keys are computed only for a source with boilerplate learned.
pub(super) fn cleaned(
    text: &[u8],
    (record, hash): (&str, &str),
    boilerplate: &Boilerplate,
    titled: bool,
) -> Option<ArticleText> {
    with_unpacked(text, |row| {
        let mut t = super::row::text(row, record, hash)?;
        let mut removed = t.removed()?;
        let paragraphs = boilerplate.strip_into(
            hash_source(t.source),
            std::mem::take(&mut t.paragraphs),
            &mut removed,
        );
        Some(ArticleText {
            paragraphs,
            removed,
            raw: String::new(),
            url: t.url.filter(|_| titled).map(str::to_owned),
            title: titled.then(|| t.title.to_owned()),
        })
    })
}

/// Reads the text of a corpus's articles from its derived store, one article at a time (the
/// reader's text on demand). Cleans it as the corpus was: the source boilerplate learned is
/// taken off again.
#[derive(Debug)]
pub(crate) struct StoreTexts {
    conn: Mutex<Connection>,
    /// The database.
    db: PathBuf,
    /// Each file's key, by file number.
    files: Vec<String>,
    /// Each article's (file number, place in its file), by article index.
    places: Vec<(u32, u32)>,
    boilerplate: Boilerplate,
    /// Whether the corpus's rows were read without their titles and URLs, which then come
    /// with the text.
    pub(super) lean: bool,
}

/// A connection to the database at `db` that only reads (one thread's at a time: the texts'
/// reads, or the rows a first open reads back ahead of grouping).
pub(super) fn open_read_only(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

impl StoreTexts {
    /// Opens the database at `db` read-only for the corpus whose articles are at `places`.
    pub(super) fn open(
        db: &Path,
        files: Vec<String>,
        places: Vec<(u32, u32)>,
        boilerplate: Boilerplate,
    ) -> rusqlite::Result<StoreTexts> {
        Ok(StoreTexts {
            conn: Mutex::new(open_read_only(db)?),
            db: db.to_path_buf(),
            files,
            places,
            boilerplate,
            lean: false,
        })
    }

    /// Opens the texts described by `locator` ([`TextSource::locator`]) again, without the
    /// corpus: only [`TextSource::cleaned_at`] answers. `None` when the description is not one
    /// or the database cannot be opened.
    fn reopen(locator: &serde_json::Value) -> Option<StoreTexts> {
        let l = Locator::deserialize(locator).ok()?;
        StoreTexts::open(&l.db, l.files, Vec::new(), l.boilerplate).ok()
    }

    /// The packed row of the article kept at `n` in file number `f`: its text and, when
    /// `with_raw`, its raw text (else empty).
    fn row(&self, f: u32, n: u32, with_raw: bool) -> Option<(Vec<u8>, Vec<u8>)> {
        let file = self.files.get(f as usize)?;
        let conn = self.conn.lock().ok()?;
        let sql = if with_raw {
            "SELECT text, raw FROM articles WHERE path = ?1 AND n = ?2"
        } else {
            "SELECT text, x'' FROM articles WHERE path = ?1 AND n = ?2"
        };
        // Prepared once per connection: an index build reads every article this way.
        let row: Option<(Vec<u8>, Vec<u8>)> = conn
            .prepare_cached(sql)
            .ok()?
            .query_row(params![file, n], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .ok()?;
        drop(conn);
        row
    }

    /// The article kept at `n` in file number `f` as its loader gave it, with its raw text
    /// when `with_raw`.
    fn stored(&self, f: u32, n: u32, with_raw: bool) -> Option<Article> {
        let (text, raw) = self.row(f, n, with_raw)?;
        decode(&text, with_raw.then_some(&raw[..]))
    }

    /// The cleaned paragraphs kept at `n` in file number `f` (and the title and URL when the
    /// corpus's rows lack them), when they are still the text of the record `record` with
    /// hash `hash`: [`StoreTexts::text_at`] without the removed lines and the raw text, the
    /// rest of the row not decoded.
    fn paragraphs_at(&self, f: u32, n: u32, record: &str, hash: &str) -> Option<ArticleText> {
        let (text, _) = self.row(f, n, false)?;
        with_unpacked(&text, |row| {
            let t = super::row::text(row, record, hash)?;
            Some(ArticleText {
                url: t.url.filter(|_| self.lean).map(str::to_owned),
                title: self.lean.then(|| t.title.to_owned()),
                paragraphs: self.boilerplate.strip(hash_source(t.source), t.paragraphs),
                ..ArticleText::default()
            })
        })
    }

    fn text_of(&self, index: usize, article: &Article, with_raw: bool) -> Option<ArticleText> {
        let &(f, n) = self.places.get(index)?;
        self.text_at(f, n, &article.key.record, &article.key.hash, with_raw)
    }

    /// The text kept at `n` in file number `f`, when it is still the text of the record
    /// `record` with hash `hash`.
    fn text_at(
        &self,
        f: u32,
        n: u32,
        record: &str,
        hash: &str,
        with_raw: bool,
    ) -> Option<ArticleText> {
        if !with_raw {
            let (text, _) = self.row(f, n, false)?;
            return cleaned(&text, (record, hash), &self.boilerplate, self.lean);
        }
        let mut a = self.stored(f, n, with_raw)?;
        // Rewritten since (another stet re-read a changed file): not this article's text.
        if a.key.record != record || a.key.hash != hash {
            return None;
        }
        self.boilerplate.apply_stored(&mut a);
        let more = a.more.take().map(|m| *m).unwrap_or_default();
        Some(ArticleText {
            paragraphs: more.paragraphs,
            removed: more.removed,
            raw: more.raw,
            url: a.url.take().filter(|_| self.lean),
            title: Some(std::mem::take(&mut a.title)).filter(|_| self.lean),
        })
    }
}

impl TextSource for StoreTexts {
    fn gives_titles_and_urls(&self) -> bool {
        self.lean
    }

    fn text(&self, index: usize, article: &Article) -> Option<ArticleText> {
        self.text_of(index, article, true)
    }

    /// Without the raw text (not read, not inflated): what a search index or a listing reads.
    fn cleaned(&self, index: usize, article: &Article) -> Option<ArticleText> {
        self.text_of(index, article, false)
    }

    /// The paragraphs alone (and the title of a lean row), the rest of the row not decoded.
    fn indexed(&self, index: usize, article: &Article) -> Option<ArticleText> {
        let &(f, n) = self.places.get(index)?;
        self.paragraphs_at(f, n, &article.key.record, &article.key.hash)
    }

    fn place(&self, index: usize, article: &Article) -> Option<TextPlace> {
        let &(file, n) = self.places.get(index)?;
        Some(TextPlace {
            file,
            n,
            record: article.key.record.to_string(),
            hash: article.key.hash.to_string(),
        })
    }

    fn cleaned_at(&self, place: &TextPlace) -> Option<ArticleText> {
        self.paragraphs_at(place.file, place.n, &place.record, &place.hash)
    }

    fn locator(&self) -> Option<serde_json::Value> {
        serde_json::to_value(Locator {
            db: self.db.clone(),
            files: self.files.clone(),
            boilerplate: self.boilerplate.clone(),
        })
        .ok()
    }
}

/// [`StoreTexts`] opened again from a [`Locator`] when a text is first asked for.
#[derive(Debug)]
pub(crate) struct ReopenedTexts {
    locator: serde_json::Value,
    opened: std::sync::OnceLock<Option<StoreTexts>>,
}

impl ReopenedTexts {
    pub(super) fn new(locator: serde_json::Value) -> ReopenedTexts {
        ReopenedTexts {
            locator,
            opened: std::sync::OnceLock::new(),
        }
    }
}

impl TextSource for ReopenedTexts {
    /// Only [`TextSource::cleaned_at`] answers: opened without the corpus, these texts know no
    /// article by its index.
    fn text(&self, _index: usize, _article: &Article) -> Option<ArticleText> {
        None
    }

    fn cleaned_at(&self, place: &TextPlace) -> Option<ArticleText> {
        self.opened
            .get_or_init(|| StoreTexts::reopen(&self.locator))
            .as_ref()?
            .cleaned_at(place)
    }
}

/// What [`StoreTexts::reopen`] needs: the database, the files' keys by number, the source
/// boilerplate learned.
#[derive(Debug, Serialize, Deserialize)]
struct Locator {
    db: PathBuf,
    files: Vec<String>,
    boilerplate: Boilerplate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_compresses_only_when_it_pays_and_round_trips() {
        let long = "the same words again and again ".repeat(40);
        let p = pack(long.as_bytes());
        assert_eq!(p[0], LZ4);
        assert!(p.len() < long.len() / 2);
        assert_eq!(unpack(&p).unwrap(), long.as_bytes());
        // Sized exactly: no worst-case capacity held while rows wait to be stored.
        assert_eq!(p.capacity(), p.len());
        assert_eq!(unpack(&p).unwrap(), long.as_bytes());
        let short = b"tiny";
        assert_eq!(pack(short), [&[0u8][..], short].concat());
        assert_eq!(unpack(&pack(short)).unwrap(), short);
        assert_eq!(unpack(&[7, 1, 2]), None, "unknown flag");
        assert_eq!(unpack(&[1, 0xff, 0xff]), None, "not deflate");
        assert_eq!(unpack(&[LZ4, 0xff, 0xff]), None, "no length");
        assert_eq!(unpack(&[]), None);
        // Cut short, a length past the cap or a garbled block: refused.
        assert_eq!(unpack(&p[..p.len() / 2]), None);
        assert_eq!(unlz4(&p[1..], 100), None);
        assert_eq!(unlz4(&p[1..], long.len()).unwrap(), long.as_bytes());
        let mut huge = p.clone();
        huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(unpack(&huge), None);
        let mut garbled = p.clone();
        for b in &mut garbled[5..] {
            *b = 0xf0;
        }
        assert_eq!(unpack(&garbled), None);
        let other = "another text, longer than the first one was ".repeat(500);
        assert_eq!(unpack(&pack(other.as_bytes())).unwrap(), other.as_bytes());
        assert_eq!(unpack(&p).unwrap(), long.as_bytes());
        // Read in place or through the buffer kept per thread, as unpacked: a row longer
        // than the one before, then a shorter one (the buffer's tail not read), a row past
        // the buffer's size, rows refused.
        let huge_row = "a row past the buffer kept per thread ".repeat(40_000);
        for row in [&other, &long, &huge_row, &"tiny".to_string()] {
            let packed = pack(row.as_bytes());
            assert_eq!(
                with_unpacked(&packed, |b| Some(b.to_vec())).unwrap(),
                row.as_bytes()
            );
        }
        assert!(huge_row.len() > SCRATCH_MAX);
        for bad in [&p[..p.len() / 2], &huge, &garbled, &[7, 1, 2], &[]] {
            assert_eq!(with_unpacked(bad, |b| Some(b.to_vec())), None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Any bytes, and stored rows with bytes changed or cut, are refused or read: never a
        /// panic, never more than the length cap.
        #[test]
        fn damaged_rows_never_panic(
            noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256),
            at in 0usize..4096,
            byte in proptest::prelude::any::<u8>(),
            cut in 0usize..4096,
        ) {
            let _ = unpack(&noise);
            let _ = decode(&noise, Some(&noise));
            let sample = crate::corpus::sample::load_sample(&Default::default());
            let mut a = sample.articles[at % sample.articles.len()].clone();
            a.raw = format!("HEADER\n{}", a.paragraphs.join("\n"));
            let (text, raw) = encode(&a);
            for row in [&text, &raw] {
                let mut bad = row.clone();
                let i = at % bad.len();
                bad[i] ^= byte | 1;
                let _ = unpack(&bad);
                bad.truncate(cut % (bad.len() + 1));
                let _ = unpack(&bad);
            }
            let mut bad_raw = raw.clone();
            let i = at % bad_raw.len();
            bad_raw[i] ^= byte | 1;
            let _ = decode(&text, Some(&bad_raw));
            let mut bad_text = text.clone();
            let i = at % bad_text.len();
            bad_text[i] ^= byte | 1;
            let _ = decode(&bad_text, Some(&raw));
        }
    }

    #[test]
    fn rows_deflated_by_an_older_stet_still_read() {
        use std::io::Write;
        let long = "the same words again and again ".repeat(40);
        let mut z = flate2::write::DeflateEncoder::new(vec![1u8], flate2::Compression::fast());
        z.write_all(long.as_bytes()).unwrap();
        let p = z.finish().unwrap();
        assert_eq!(unpack(&p).unwrap(), long.as_bytes());
        // Cut short, or inflating past the cap: refused.
        assert_eq!(unpack(&p[..p.len() / 2]), None);
        assert_eq!(inflate(&p[1..], 100), None);
        assert_eq!(inflate(&p[1..], long.len()).unwrap(), long.as_bytes());
    }

    #[test]
    fn an_article_round_trips_with_what_the_loader_computes() {
        let sample = crate::corpus::sample::load_sample(&Default::default());
        for a in &sample.articles {
            let (text, raw) = encode(a);
            let back = decode(&text, Some(&raw)).unwrap();
            assert_eq!(back.id, a.id);
            assert_eq!(back.key, a.key);
            assert_eq!(back.title, a.title);
            assert_eq!(back.timestamp, a.timestamp);
            assert_eq!(back.paragraphs, a.paragraphs);
            assert_eq!(back.removed, a.removed);
            assert_eq!(back.raw, a.raw);
            assert_eq!(back.source_key, Some(hash_source(&a.source)));
            assert_eq!(back.edge_keys, Some(compute_edge_keys(&a.paragraphs)));
        }
        assert!(decode(b"\x00{not json", None).is_none());
        // A raw text that is its paragraphs is kept once.
        let mut a = sample.articles[0].clone();
        a.raw = a.paragraphs.join("\n\n");
        let (text, raw) = encode(&a);
        assert_eq!(raw, [SAME_AS_TEXT]);
        assert_eq!(decode(&text, Some(&raw)).unwrap().raw, a.raw);
        // A raw text that is its paragraphs with their line breaks and a masthead is kept as
        // what differs from them.
        let mut a = sample.articles[0].clone();
        // Words that do not repeat: the raw text compresses little on its own.
        a.paragraphs = (0..6)
            .map(|k| {
                let words: Vec<String> = (0..90)
                    .map(|w| format!("w{}", (w * 7919 + k * 104_729) % 100_003))
                    .collect();
                words.join(" ")
            })
            .collect();
        a.raw = format!(
            "MASTHEAD\nSign in\n\n{}",
            a.paragraphs.join("\n\n").replace("1 ", "1\n")
        );
        let (text, raw) = encode(&a);
        assert_eq!(raw[0], EDITS_OF_TEXT);
        assert!(
            raw.len() < a.raw.len() / 5,
            "{} of {}",
            raw.len(),
            a.raw.len()
        );
        assert!(
            pack(a.raw.as_bytes()).len() > a.raw.len() / 2,
            "not compressible alone"
        );
        assert_eq!(decode(&text, Some(&raw)).unwrap().raw, a.raw);
        let mut cut = raw.clone();
        cut.truncate(raw.len() / 2);
        assert!(decode(&text, Some(&cut)).is_none());
        assert!(!raw_is_text("a\n\nb", &["a".into()]));
        assert!(!raw_is_text("", &[]));
    }
}
