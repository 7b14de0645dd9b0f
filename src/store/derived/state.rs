//! The stored state of a whole corpus (every article's metadata and counts, the stories, the
//! source boilerplate learned) in a compact binary form read at every reopen.
//!
//! The state of a 100k corpus was 44 MB of JSON decoded whole (0.4 s CPU); this form is about
//! half the size and decodes without a parser: length-prefixed strings, variable-length
//! integers, the strings many articles share (sources, key files) once in a table, and the
//! articles and stories in blocks of their own, decoded one at a time straight from the
//! database's buffer, articles and stories on both cores. The small parts (grouping settings,
//! problems, boilerplate) stay JSON.
//!
//! Layout of the main part: [`MAGIC`], then sections, each a varint length and its bytes: the
//! head (settings and files, enough to tell whether the state is current), the string table,
//! the problems, the boilerplate; then the counts of articles and of blocks. Each block (a
//! varint count and that many records) is a row of its own.

use rayon::prelude::*;

use super::bytes::{In, put_bytes, put_varint, unzigzag, zigzag};

use crate::corpus::clean::Boilerplate;
use crate::corpus::group::GroupSettings;
use crate::corpus::{
    Article, ArticleKey, ArticleMore, BodyCounts, LoadProblem, Story, StoryVersion,
};

/// The first bytes of a state in this form (a JSON state of older stets starts with 0 or 1).
pub(super) const MAGIC: &[u8; 8] = b"stetST\x04\n";

/// Records per block (each block decodes on its own).
const BLOCK: usize = 8192;

/// An article as the state keeps it: the corpus's article without text, and where its stored
/// row is (file number, place in the file).
pub(super) struct StateArticle<'a> {
    /// The article (its text is not kept).
    pub article: &'a Article,
    /// File number.
    pub f: u32,
    /// Place in its file.
    pub n: u32,
    /// Paragraphs, words, removed lines.
    pub counts: (u32, u32, u32),
}

/// The head of a state: what says whether it is current.
#[derive(Debug)]
pub(super) struct Head {
    /// The grouping settings it was made with.
    pub settings: GroupSettings,
    /// Every file's key, in corpus order.
    pub files: Vec<String>,
}

/// A state encoded: the main part (head, string table, problems, boilerplate, block counts),
/// and the article and story blocks, stored as rows of their own so that a reopen never holds
/// the whole state's bytes (each block is decoded straight from the database's buffer).
#[derive(Debug)]
pub(super) struct Encoded {
    /// The head and what every block needs.
    pub main: Vec<u8>,
    /// The article blocks.
    pub articles: Vec<Vec<u8>>,
    /// The story blocks.
    pub stories: Vec<Vec<u8>>,
}

/// Encodes a state. `None` only when a JSON part does not serialise.
pub(super) fn encode(
    head: &Head,
    articles: &[StateArticle<'_>],
    problems: &[LoadProblem],
    stories: &[Story],
    boilerplate: &Boilerplate,
) -> Option<Encoded> {
    // The strings many records share, each once.
    let mut table = Table::default();
    for a in articles {
        table.add(&a.article.source);
        table.add(&a.article.key.file);
    }
    for s in stories {
        for src in &s.sources {
            table.add(src);
        }
    }
    let mut h = Out::default();
    h.bytes(&serde_json::to_vec(&head.settings).ok()?);
    h.varint(head.files.len() as u64);
    for f in &head.files {
        h.str(f);
    }
    let mut t = Out::default();
    t.varint(table.list.len() as u64);
    for s in &table.list {
        t.str(s);
    }
    let ablocks: Vec<Vec<u8>> = articles
        .par_chunks(BLOCK)
        .map(|chunk| {
            let mut o = Out::default();
            o.varint(chunk.len() as u64);
            for a in chunk {
                put_article(&mut o, &table, a);
            }
            o.0
        })
        .collect();
    let sblocks: Vec<Vec<u8>> = stories
        .par_chunks(BLOCK)
        .map(|chunk| {
            let mut o = Out::default();
            o.varint(chunk.len() as u64);
            for s in chunk {
                put_story(&mut o, &table, s);
            }
            o.0
        })
        .collect();
    let mut out = Out(MAGIC.to_vec());
    out.bytes(&h.0);
    out.bytes(&t.0);
    out.bytes(&serde_json::to_vec(problems).ok()?);
    out.bytes(&serde_json::to_vec(boilerplate).ok()?);
    out.varint(articles.len() as u64);
    for blocks in [&ablocks, &sblocks] {
        out.varint(blocks.len() as u64);
        for b in blocks {
            out.0
                .extend_from_slice(&xxhash_rust::xxh3::xxh3_64(b).to_le_bytes());
        }
    }
    Some(Encoded {
        main: out.0,
        articles: ablocks,
        stories: sblocks,
    })
}

/// The head of the state whose main part is `bytes`, and the rest to [`decode_main`]; `None`
/// when it is not a state of this form or does not decode.
pub(super) fn decode_head(bytes: &[u8]) -> Option<(Head, &[u8])> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let mut r = In(rest);
    let mut h = In(r.bytes()?);
    let settings = serde_json::from_slice(h.bytes()?).ok()?;
    let n = h.count()?;
    let mut files = Vec::with_capacity(n);
    for _ in 0..n {
        files.push(h.str()?.to_string());
    }
    h.end()?;
    Some((Head { settings, files }, r.0))
}

/// The main part of a state after its head.
#[derive(Debug)]
pub(super) struct Main<'a> {
    table: Vec<&'a str>,
    /// The problems met reading the files.
    pub problems: Vec<LoadProblem>,
    /// The source boilerplate learned.
    pub boilerplate: Boilerplate,
    /// Articles in all.
    pub articles: usize,
    /// Each article block's hash (xxh3-64): a block from another state, or damaged, is told.
    pub article_blocks: Vec<u64>,
    /// Each story block's hash.
    pub story_blocks: Vec<u64>,
}

/// The main part of a state after its head (see [`decode_head`]); `None` when it does not
/// decode.
pub(super) fn decode_main(rest: &[u8]) -> Option<Main<'_>> {
    let mut r = In(rest);
    let mut t = In(r.bytes()?);
    let n = t.count()?;
    let mut table = Vec::with_capacity(n);
    for _ in 0..n {
        table.push(t.str()?);
    }
    t.end()?;
    let problems = serde_json::from_slice(r.bytes()?).ok()?;
    let boilerplate = serde_json::from_slice(r.bytes()?).ok()?;
    let articles = usize::try_from(r.varint()?).ok()?;
    let mut hashes = || -> Option<Vec<u64>> {
        let n = usize::try_from(r.varint()?).ok()?;
        let mut out = Vec::with_capacity(n.min(r.0.len() / 8));
        for _ in 0..n {
            out.push(u64::from_le_bytes(r.take(8)?.try_into().ok()?));
        }
        Some(out)
    };
    let article_blocks = hashes()?;
    let story_blocks = hashes()?;
    r.end()?;
    if article_blocks.len() != articles.div_ceil(BLOCK) {
        return None;
    }
    Some(Main {
        table,
        problems,
        boilerplate,
        articles,
        article_blocks,
        story_blocks,
    })
}

/// How many articles block `k` of a state of `articles` articles holds.
pub(super) fn block_len(articles: usize, k: usize) -> usize {
    articles.saturating_sub(k * BLOCK).min(BLOCK)
}

/// Records per block.
pub(super) const BLOCK_LEN: usize = BLOCK;

/// Article block `k`, written over `articles` (each without text, `path` from `files`, counts
/// set) and `places` (file number, place in its file), which have room for exactly the
/// block's records ([`block_len`]): decoded straight into the corpus's rows (no copy of a
/// million articles held twice), blocks on both cores. With `lean_rows` the titles and URLs
/// are left out (read with the text, on demand) and the untitled articles (blank title) are
/// appended to `untitled` (by corpus index: the block's first is `k * BLOCK_LEN`). `None`
/// when it does not decode or is not block `k` of this state.
pub(super) fn decode_articles(
    bytes: &[u8],
    k: usize,
    main: &Main<'_>,
    (files, lean_rows, untitled): (&[std::sync::Arc<str>], bool, &mut Vec<usize>),
    (articles, places): (&mut [Article], &mut [(u32, u32)]),
) -> Option<()> {
    if main.article_blocks.get(k) != Some(&xxhash_rust::xxh3::xxh3_64(bytes)) {
        return None;
    }
    let mut slots = articles.iter_mut().zip(places.iter_mut());
    let mut at = k * BLOCK;
    block(bytes, |i| {
        let (a, p, blank) = get_article(i, &main.table, files, lean_rows)?;
        if lean_rows && blank {
            untitled.push(at);
        }
        at += 1;
        let (sa, sp) = slots.next()?;
        *sa = a;
        *sp = p;
        Some(())
    })?;
    // The block filled its rows exactly.
    slots.next().is_none().then_some(())
}

/// Story block `k`, appended to `stories`; `None` when it does not decode or is not block `k`
/// of this state.
pub(super) fn decode_stories(
    bytes: &[u8],
    k: usize,
    main: &Main<'_>,
    stories: &mut Vec<Story>,
) -> Option<()> {
    if main.story_blocks.get(k) != Some(&xxhash_rust::xxh3::xxh3_64(bytes)) {
        return None;
    }
    block(bytes, |i| {
        stories.push(get_story(i, &main.table)?);
        Some(())
    })
}

/// The name of a block's row in the `meta` table (`a` articles, `s` stories).
pub(super) fn block_name(kind: char, k: usize) -> String {
    format!("state/{kind}/{k}")
}

/// The records of one block.
fn block(bytes: &[u8], mut put: impl FnMut(&mut In<'_>) -> Option<()>) -> Option<()> {
    let mut i = In(bytes);
    let n = i.count()?;
    if n > BLOCK {
        return None;
    }
    for _ in 0..n {
        put(&mut i)?;
    }
    i.end()
}

// Which optional fields an article record has.
const HAS_LINE: u16 = 1;
const HAS_DATE: u16 = 1 << 1;
const HAS_TIMESTAMP: u16 = 1 << 2;
const DATE_INFERRED: u16 = 1 << 3;
const HAS_URL: u16 = 1 << 4;
const HAS_BYLINE: u16 = 1 << 5;
const HAS_DATELINE: u16 = 1 << 6;
const HAS_DECK: u16 = 1 << 7;
const HAS_STORY_KEY: u16 = 1 << 8;
const HAS_DATE_WRITTEN: u16 = 1 << 9;

fn put_article(o: &mut Out, table: &Table, s: &StateArticle<'_>) {
    let a = s.article;
    let mut flags = 0;
    for (on, bit) in [
        (a.line.is_some(), HAS_LINE),
        (a.date.is_some(), HAS_DATE),
        (a.timestamp.is_some(), HAS_TIMESTAMP),
        (a.date_inferred, DATE_INFERRED),
        (a.url.is_some(), HAS_URL),
        (a.byline.is_some(), HAS_BYLINE),
        (a.dateline.is_some(), HAS_DATELINE),
        (a.deck.is_some(), HAS_DECK),
        (a.story_key.is_some(), HAS_STORY_KEY),
        (a.date_written.is_some(), HAS_DATE_WRITTEN),
    ] {
        if on {
            flags |= bit;
        }
    }
    o.varint(u64::from(flags));
    o.varint(u64::from(s.f));
    o.varint(u64::from(s.n));
    o.str(&a.id);
    o.varint(table.index(&a.key.file));
    o.str(&a.key.record);
    o.str(&a.key.hash);
    o.varint(u64::from(a.key.nth));
    if let Some(l) = a.line {
        o.varint(u64::from(l.get()));
    }
    o.varint(table.index(&a.source));
    o.str(&a.title);
    for v in [&a.date].into_iter().flatten() {
        o.str(v);
    }
    if let Some(t) = a.timestamp {
        o.varint(zigzag(t));
    }
    for v in [
        &a.url,
        &a.byline,
        &a.dateline,
        &a.deck,
        &a.story_key,
        &a.date_written,
    ]
    .into_iter()
    .flatten()
    {
        o.str(v);
    }
    o.varint(u64::from(s.counts.0));
    o.varint(u64::from(s.counts.1));
    o.varint(u64::from(s.counts.2));
}

fn get_article(
    i: &mut In<'_>,
    table: &[&str],
    files: &[std::sync::Arc<str>],
    lean_rows: bool,
) -> Option<(Article, (u32, u32), bool)> {
    let flags = u16::try_from(i.varint()?).ok()?;
    let has = |bit| flags & bit != 0;
    let f = u32::try_from(i.varint()?).ok()?;
    let n = u32::try_from(i.varint()?).ok()?;
    let path = files.get(f as usize)?.clone();
    let id = i.string()?;
    let key = ArticleKey {
        file: i.shared(table)?,
        record: i.string()?,
        hash: i.string()?,
        nth: u32::try_from(i.varint()?).ok()?,
    };
    let line = if has(HAS_LINE) {
        // Lines count from 1.
        Some(std::num::NonZeroU32::new(u32::try_from(i.varint()?).ok()?)?)
    } else {
        None
    };
    let source = i.shared(table)?;
    // Whether the title is blank (the article is untitled: the list shows its opening words).
    let (title, blank) = if lean_rows {
        // Read with the text when the article is shown (skipped unchecked); an untitled
        // article's (blank) title is kept.
        let b = i.bytes()?;
        let blank = match b.first() {
            None => true,
            Some(c) if c.is_ascii_graphic() => false,
            Some(_) => std::str::from_utf8(b).ok()?.trim().is_empty(),
        };
        if blank {
            (std::str::from_utf8(b).ok()?.to_string(), true)
        } else {
            (String::new(), false)
        }
    } else {
        let t: String = i.string()?;
        let blank = t.trim().is_empty();
        (t, blank)
    };
    let mut opt = |bit| {
        if has(bit) {
            i.string().map(Some)
        } else {
            Some(None)
        }
    };
    let date = opt(HAS_DATE)?;
    let timestamp = if has(HAS_TIMESTAMP) {
        Some(unzigzag(i.varint()?))
    } else {
        None
    };
    let url = if lean_rows && has(HAS_URL) {
        // Read with the text when the article is shown: skipped unchecked.
        i.bytes()?;
        None
    } else if has(HAS_URL) {
        Some(i.string()?)
    } else {
        None
    };
    let mut opt = |bit| {
        if has(bit) {
            i.string().map(Some)
        } else {
            Some(None)
        }
    };
    let byline = opt(HAS_BYLINE)?;
    let dateline = opt(HAS_DATELINE)?;
    let deck = opt(HAS_DECK)?;
    let story_key = opt(HAS_STORY_KEY)?;
    let date_written = opt(HAS_DATE_WRITTEN)?;
    let counts = BodyCounts {
        paragraphs: u32::try_from(i.varint()?).ok()?,
        words: u32::try_from(i.varint()?).ok()?,
        removed: u32::try_from(i.varint()?).ok()?,
        ..BodyCounts::default()
    };
    Some((
        Article {
            id,
            key,
            path,
            line,
            source,
            title,
            date,
            timestamp,
            date_inferred: has(DATE_INFERRED),
            url,
            counts: Some(counts),
            // Out of line only for the articles that have one of these.
            more: ArticleMore {
                byline,
                dateline,
                deck,
                story_key,
                date_written,
                ..ArticleMore::default()
            }
            .boxed(),
        },
        (f, n),
        blank,
    ))
}

fn put_story(o: &mut Out, table: &Table, s: &Story) {
    o.str(&s.id);
    o.str(&s.title);
    o.varint(s.versions.len() as u64);
    for v in &s.versions {
        o.varint(v.article as u64);
        o.0.extend_from_slice(&v.similarity.to_bits().to_le_bytes());
    }
    o.varint(s.sources.len() as u64);
    for src in &s.sources {
        o.varint(table.index(src));
    }
    o.opt_str(s.first_date.as_deref());
    o.opt_str(s.last_date.as_deref());
    o.varint(s.related.len() as u64);
    for r in &s.related {
        o.str(r);
    }
}

fn get_story(i: &mut In<'_>, table: &[&str]) -> Option<Story> {
    let id = i.string()?;
    let title = i.string()?;
    let n = i.count()?;
    let mut versions = Vec::with_capacity(n.min(BLOCK));
    for _ in 0..n {
        let article = usize::try_from(i.varint()?).ok()?;
        let bits = i.take(4)?;
        let similarity = f32::from_bits(u32::from_le_bytes(bits.try_into().ok()?));
        versions.push(StoryVersion {
            article,
            similarity,
        });
    }
    let n = i.count()?;
    let mut sources = Vec::with_capacity(n);
    for _ in 0..n {
        sources.push(i.shared(table)?);
    }
    let first_date = i.opt_string()?;
    let last_date = i.opt_string()?;
    let n = i.count()?;
    let mut related = Vec::with_capacity(n);
    for _ in 0..n {
        related.push(i.string()?);
    }
    Some(Story {
        id,
        title,
        versions,
        sources,
        first_date,
        last_date,
        related,
    })
}

/// Strings shared by many records, by first appearance.
#[derive(Default)]
struct Table {
    list: Vec<String>,
    index: rustc_hash::FxHashMap<String, u64>,
}

impl Table {
    fn add(&mut self, s: &str) {
        if !self.index.contains_key(s) {
            self.index.insert(s.to_string(), self.list.len() as u64);
            self.list.push(s.to_string());
        }
    }

    fn index(&self, s: &str) -> u64 {
        // Every string encoded through the table was added first.
        self.index.get(s).copied().unwrap_or(u64::MAX)
    }
}

/// Bytes written.
#[derive(Default)]
struct Out(Vec<u8>);

impl Out {
    fn varint(&mut self, v: u64) {
        put_varint(&mut self.0, v);
    }

    fn bytes(&mut self, b: &[u8]) {
        put_bytes(&mut self.0, b);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.varint(0),
            Some(s) => {
                self.varint(s.len() as u64 + 1);
                self.0.extend_from_slice(s.as_bytes());
            }
        }
    }
}

/// What the state reads besides the primitives of [`In`].
impl In<'_> {
    /// A string as a `String` or, without a heap allocation when it is short, a
    /// `CompactString`.
    fn string<T: for<'s> From<&'s str>>(&mut self) -> Option<T> {
        self.str().map(T::from)
    }

    fn opt_string<T: for<'s> From<&'s str>>(&mut self) -> Option<Option<T>> {
        match usize::try_from(self.varint()?).ok()? {
            0 => Some(None),
            n => {
                let b = self.take(n - 1)?;
                Some(Some(T::from(std::str::from_utf8(b).ok()?)))
            }
        }
    }

    fn shared<T: for<'s> From<&'s str>>(&mut self, table: &[&str]) -> Option<T> {
        let k = usize::try_from(self.varint()?).ok()?;
        table.get(k).map(|s| T::from(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<Article>, Vec<Story>) {
        let c = crate::corpus::sample::load_sample(&Default::default());
        let stories = crate::corpus::group::group(&c.articles, &GroupSettings::default(), &|_| {});
        (c.articles, stories)
    }

    /// A state decoded whole: head, articles, places, stories, problems.
    type All = (
        Head,
        Vec<Article>,
        Vec<(u32, u32)>,
        Vec<Story>,
        Vec<LoadProblem>,
    );

    /// The files' paths as a reopen shares them.
    fn shared(files: &[String]) -> Vec<std::sync::Arc<str>> {
        files.iter().map(|f| f.as_str().into()).collect()
    }

    /// Every part of an encoded state decoded as a reopen does; `None` when any part fails.
    fn decode_all(enc: &Encoded) -> Option<All> {
        let (head, rest) = decode_head(&enc.main)?;
        let main = decode_main(rest)?;
        let mut articles = vec![Article::default(); main.articles];
        let mut places = vec![(0, 0); main.articles];
        let mut stories = Vec::new();
        for (k, b) in enc.articles.iter().enumerate() {
            let at = k * BLOCK..k * BLOCK + block_len(main.articles, k);
            decode_articles(
                b,
                k,
                &main,
                (&shared(&head.files), false, &mut Vec::new()),
                (&mut articles[at.clone()], &mut places[at]),
            )?;
        }
        for (k, b) in enc.stories.iter().enumerate() {
            decode_stories(b, k, &main, &mut stories)?;
        }
        (articles.len() == main.articles).then_some(())?;
        let problems = main.problems.clone();
        Some((head, articles, places, stories, problems))
    }

    #[test]
    fn a_state_round_trips_every_field() {
        let (mut base, stories) = sample();
        // Every optional field both present and absent somewhere, odd values included, and
        // more articles than one block holds.
        base[0].line = std::num::NonZeroU32::new(7);
        base[0].timestamp = Some(-86_400);
        base[0].date_inferred = true;
        base[0].date_written = Some("31-MAR-1987 605:12:19.12".into());
        base[0].story_key = Some("k1".into());
        base[0].deck = Some("A deck — with ünïcode".into());
        base[1].timestamp = Some(i64::MAX);
        base[1].url = None;
        base[1].key.nth = 3;
        let articles: Vec<Article> = base.iter().cycle().take(BLOCK + 5).cloned().collect();
        let files = vec!["/a/one.jsonl".to_string(), "/a/two.txt".to_string()];
        let list: Vec<StateArticle<'_>> = articles
            .iter()
            .enumerate()
            .map(|(k, a)| StateArticle {
                article: a,
                f: u32::try_from(k % 2).unwrap(),
                n: u32::try_from(k).unwrap(),
                counts: (
                    u32::try_from(k).unwrap(),
                    u32::try_from(k * 10).unwrap(),
                    u32::try_from(k % 3).unwrap(),
                ),
            })
            .collect();
        let problems = vec![LoadProblem {
            path: "/a/one.jsonl".into(),
            line: Some(3),
            reason: "not JSON".into(),
        }];
        let head = Head {
            settings: GroupSettings::default(),
            files: files.clone(),
        };
        let enc = encode(&head, &list, &problems, &stories, &Boilerplate::default()).unwrap();
        assert_eq!(enc.articles.len(), 2, "two blocks");
        let (h, got, places, got_stories, got_problems) = decode_all(&enc).unwrap();
        assert_eq!(h.files, files);
        assert_eq!(h.settings, GroupSettings::default());
        assert_eq!(got_stories, stories);
        assert_eq!(got_problems, problems);
        assert_eq!(got.len(), articles.len());
        for (k, (got, want)) in got.iter().zip(&articles).enumerate() {
            assert_eq!(
                places[k],
                (u32::try_from(k % 2).unwrap(), u32::try_from(k).unwrap())
            );
            assert_eq!(*got.path, *files[k % 2]);
            assert_eq!(
                (&got.id, &got.key, got.line, &got.source, &got.title),
                (&want.id, &want.key, want.line, &want.source, &want.title)
            );
            assert_eq!(
                (&got.date, got.timestamp, got.date_inferred, &got.url),
                (&want.date, want.timestamp, want.date_inferred, &want.url)
            );
            assert_eq!(
                (&got.byline, &got.dateline, &got.deck, &got.story_key),
                (&want.byline, &want.dateline, &want.deck, &want.story_key)
            );
            assert_eq!(got.date_written, want.date_written);
            // The out-of-line part only for an article that has one of those four.
            let rare = want.byline.is_some()
                || want.dateline.is_some()
                || want.deck.is_some()
                || want.story_key.is_some()
                || want.date_written.is_some();
            assert_eq!(got.more.is_some(), rare, "article {k}");
            let c = got.counts.unwrap();
            assert_eq!(
                (c.paragraphs, c.words, c.removed),
                (
                    u32::try_from(k).unwrap(),
                    u32::try_from(k * 10).unwrap(),
                    u32::try_from(k % 3).unwrap()
                )
            );
        }
    }

    #[test]
    fn a_damaged_or_foreign_state_does_not_decode_and_does_not_panic() {
        let (articles, stories) = sample();
        let list: Vec<StateArticle<'_>> = articles
            .iter()
            .map(|a| StateArticle {
                article: a,
                f: 0,
                n: 0,
                counts: (1, 2, 3),
            })
            .collect();
        let head = Head {
            settings: GroupSettings::default(),
            files: vec!["f".into()],
        };
        let enc = encode(&head, &list, &[], &stories, &Boilerplate::default()).unwrap();
        assert!(decode_all(&enc).is_some());
        // Any byte of a block changed: its hash tells (a block of another state too).
        for at in (0..enc.articles[0].len()).step_by(11) {
            let mut bad = Encoded {
                main: enc.main.clone(),
                articles: enc.articles.clone(),
                stories: enc.stories.clone(),
            };
            bad.articles[0][at] ^= 0x55;
            assert!(decode_all(&bad).is_none(), "byte {at}");
        }
        // The main part cut or changed anywhere: no state, never a panic.
        for cut in 0..enc.main.len() {
            let bad = Encoded {
                main: enc.main[..cut].to_vec(),
                articles: enc.articles.clone(),
                stories: enc.stories.clone(),
            };
            assert!(decode_all(&bad).is_none(), "cut at {cut}");
        }
        for at in MAGIC.len()..enc.main.len() {
            let mut main = enc.main.clone();
            main[at] ^= 0xff;
            let bad = Encoded {
                main,
                articles: enc.articles.clone(),
                stories: enc.stories.clone(),
            };
            let _ = decode_all(&bad);
        }
        // An old JSON state (flag byte 0, then JSON) is not one.
        assert!(decode_head(b"\x00{\"settings\":{}}").is_none());
        // A file number out of range does not decode.
        let head = Head {
            settings: GroupSettings::default(),
            files: vec![],
        };
        let enc = encode(&head, &list, &[], &[], &Boilerplate::default()).unwrap();
        assert!(decode_all(&enc).is_none());
    }
}
