//! The full-text index of a corpus: built once from the loaded, grouped corpus, kept in the
//! corpus's cache dir, opened in milliseconds afterwards, answered with stories.
//!
//! A build writes into a fresh folder beside the index, ends with a manifest (the
//! [`Fingerprint`] and every index file's size) and is renamed into place, so an index folder
//! with a manifest is complete. Opening checks the manifest, the fingerprint and the file
//! sizes; a search that meets damaged data (an error or a panic inside tantivy) reports
//! [`SearchError::Damaged`], and the caller rebuilds.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::indexer::UserOperation;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{
    DocAddress, DocId, IndexReader, ReloadPolicy, Score, SegmentOrdinal, TantivyDocument, Term,
};

use super::SearchError;
use super::analyzer::{ANALYZER_NAME, analyzer};
use super::fingerprint::{FORMAT, Fingerprint};
use super::query::{self, QueryError, QueryFields};
use super::snippet::Snippet;
use crate::corpus::{Corpus, Story};

/// Name of the manifest file inside an index folder.
const MANIFEST: &str = "stet-search.json";
/// Most stories one search returns.
pub const MAX_LIMIT: usize = 10_000;
/// Most matching versions gathered for the stories of one answer.
const MAX_VERSIONS: usize = 100_000;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;
/// Indexing memory per thread.
const MEMORY_PER_THREAD: usize = 128 << 20;
/// Articles a producer of the build takes at a time, handed to tantivy as one batch (one
/// indexing thread indexes them all).
const CHUNK: usize = 64;
/// Most documents made and not yet indexed: producers wait past this (at most
/// [`QUEUE_PATIENCE`]), so the documents waiting take tens of MB, not the whole corpus.
const MAX_QUEUED: usize = 4096;
/// Longest a producer waits for the queue to shrink before it sends anyway (the indexing
/// threads died: the send then fails and says why).
const QUEUE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);
/// Articles between two progress reports.
const PROGRESS_EVERY: usize = 512;

/// Where a corpus's index lives and what it must have been built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexLocation {
    /// The index folder (`<corpus cache dir>/search`).
    pub dir: PathBuf,
    /// What the corpus is now.
    pub fingerprint: Fingerprint,
}

impl IndexLocation {
    /// The index of the corpus with cache dir `corpus_cache_dir` and fingerprint `fingerprint`.
    pub fn new(corpus_cache_dir: &Path, fingerprint: Fingerprint) -> IndexLocation {
        IndexLocation {
            dir: corpus_cache_dir.join("search"),
            fingerprint,
        }
    }
}

/// How far a build is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildProgress {
    /// Articles handed to the indexer.
    pub done: usize,
    /// Articles in the corpus.
    pub total: usize,
}

/// Why an existing index cannot be used (each means: build it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// There is no index yet.
    #[error("no search index yet")]
    Missing,
    /// The corpus, the options or stet changed since it was built.
    #[error("the corpus changed since the search index was built")]
    Stale,
    /// The index is damaged or half-written.
    #[error("the search index is damaged ({0})")]
    Damaged(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    fingerprint: Fingerprint,
    /// Every file of the index with its size.
    files: Vec<(String, u64)>,
    articles: u64,
    stories: u64,
    /// How to open the texts the bodies are read from for snippets
    /// ([`crate::corpus::texts::TextSource::locator`]), when they are not stored.
    #[serde(default)]
    texts: Option<serde_json::Value>,
}

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
struct Fields {
    article: Field,
    article_index: Field,
    path: Field,
    story: Field,
    story_ord: Field,
    story_title: Field,
    story_versions: Field,
    title: Field,
    body: Field,
    /// The body, stored, when the texts' source cannot read it again ([`Fields::text_at`]).
    body_text: Field,
    /// Where the source of texts keeps the body (file number << 32 | place in the file).
    text_at: Field,
    /// The record id and hash the text at [`Fields::text_at`] must have.
    text_record: Field,
    text_hash: Field,
    source: Field,
    date: Field,
    date_text: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let indexed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let text = indexed.clone().set_stored();
        let fields = Fields {
            // Read back, never searched: stored only (no term per article to index).
            article: b.add_text_field("article", STORED),
            article_index: b.add_u64_field("article_index", STORED | FAST),
            path: b.add_text_field("path", STORED),
            story: b.add_text_field("story", STORED),
            story_ord: b.add_u64_field("story_ord", INDEXED | FAST),
            story_title: b.add_text_field("story_title", STORED),
            story_versions: b.add_u64_field("story_versions", STORED),
            title: b.add_text_field("title", text.clone()),
            body: b.add_text_field("body", indexed),
            body_text: b.add_text_field("body_text", STORED),
            text_at: b.add_u64_field("text_at", STORED),
            text_record: b.add_text_field("text_record", STORED),
            text_hash: b.add_text_field("text_hash", STORED),
            source: b.add_text_field("source", text),
            // Searched by range only, which tantivy answers from the fast field: no term per
            // article to index.
            date: b.add_i64_field("date", FAST),
            date_text: b.add_text_field("date_text", STORED),
        };
        (b.build(), fields)
    }

    fn query_fields(&self) -> QueryFields {
        QueryFields {
            title: self.title,
            body: self.body,
            source: self.source,
            date: self.date,
        }
    }
}

/// An opened full-text index, ready to answer searches (cheap to share between threads).
pub struct Index {
    reader: IndexReader,
    fields: Fields,
    articles: u64,
    /// How to open the texts of the bodies not stored ([`Index::texts_locator`]).
    texts: Option<serde_json::Value>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("articles", &self.articles)
            .finish()
    }
}

/// One story that matches a search, with the versions that match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryHit {
    /// Story id (as `stet stories` prints it).
    pub story: String,
    /// The story's headline.
    pub title: String,
    /// Number of versions of the story (matching or not).
    pub versions: usize,
    /// The best score of its versions.
    pub score: f32,
    /// The matching versions, best first.
    pub matches: Vec<VersionHit>,
}

/// One story that matches a search, as the reader's list needs it ([`Index::search_stories`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryMatch {
    /// The story's place in the stories the index was built from.
    pub story_ord: usize,
    /// The best matching version: its index in the corpus the index was built from.
    pub article_index: usize,
    /// Its relevance.
    pub score: f32,
}

/// One matching version of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionHit {
    /// Article id.
    pub article: String,
    /// Index of the article in the corpus the index was built from.
    pub article_index: usize,
    /// The file it came from.
    pub path: String,
    /// Outlet.
    pub source: String,
    /// Headline.
    pub title: String,
    /// Date as loaded.
    pub date: Option<String>,
    /// Relevance (BM25; a headline match weighs double).
    pub score: f32,
    /// A passage of the body (or the headline) with the matched words marked.
    pub snippet: Snippet,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Builds the index of `corpus` grouped into `stories` at `location` (replacing what is
/// there), reporting progress and giving up with [`SearchError::Cancelled`] when `cancel` is
/// set. Safe against a crash at any point: the old index (if any) stays until the new one is
/// complete.
pub fn build_index(
    location: &IndexLocation,
    corpus: &Corpus,
    stories: &[Story],
    progress: &(dyn Fn(BuildProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<Index, SearchError> {
    build_index_with(location, corpus, stories, None, progress, cancel)
}

/// [`build_index`] for a corpus whose articles may hold no text (reopened from the derived
/// store): the text of each such article is read from `texts` as it is indexed, one at a
/// time, so the whole text is never in memory.
pub fn build_index_with(
    location: &IndexLocation,
    corpus: &Corpus,
    stories: &[Story],
    texts: Option<&dyn crate::corpus::texts::TextSource>,
    progress: &(dyn Fn(BuildProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<Index, SearchError> {
    let parent = location
        .dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    remove_leftovers(&parent);
    let tmp = parent.join(format!(
        "search.building-{}-{}",
        std::process::id(),
        nanos()
    ));
    std::fs::create_dir_all(&tmp).map_err(io_error(&tmp))?;
    let built = write_index(&tmp, location, corpus, stories, texts, progress, cancel);
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    // Into place: the old index aside, the new one in, the old one removed.
    let old = parent.join(format!("search.old-{}-{}", std::process::id(), nanos()));
    if location.dir.exists() {
        std::fs::rename(&location.dir, &old).map_err(io_error(&location.dir))?;
    }
    if let Err(e) = std::fs::rename(&tmp, &location.dir) {
        // Another stet put its own index in place meanwhile: use it when it is current.
        let _ = std::fs::remove_dir_all(&tmp);
        let _ = std::fs::remove_dir_all(&old);
        return Index::open(location).map_err(|_| SearchError::Io {
            path: location.dir.clone(),
            source: e,
        });
    }
    let _ = std::fs::remove_dir_all(&old);
    Index::open(location).map_err(|e| SearchError::Damaged(e.to_string()))
}

/// Removes the folders of builds that died (a crash, a kill) more than an hour ago.
fn remove_leftovers(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !(name.starts_with("search.building-") || name.starts_with("search.old-")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old || name.starts_with("search.old-") {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn write_index(
    dir: &Path,
    location: &IndexLocation,
    corpus: &Corpus,
    stories: &[Story],
    texts: Option<&dyn crate::corpus::texts::TextSource>,
    progress: &(dyn Fn(BuildProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<(), SearchError> {
    let (schema, f) = Fields::schema();
    let index = tantivy::Index::create_in_dir(dir, schema)?;
    index.tokenizers().register(ANALYZER_NAME, analyzer());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let mut writer =
        index.writer_with_num_threads::<Queued>(threads, threads * MEMORY_PER_THREAD)?;
    // Each article's story: its ordinal, id, headline and size.
    let mut story_of: Vec<Option<usize>> = vec![None; corpus.articles.len()];
    for (s, story) in stories.iter().enumerate() {
        for v in &story.versions {
            if let Some(slot) = story_of.get_mut(v.article) {
                *slot = Some(s);
            }
        }
    }
    let total = corpus.articles.len();
    let order = indexing_order(total, stories);
    // Producers: each takes the next run of articles, reads their texts (a query and an
    // inflate each when they come from the store) and hands the documents to tantivy's own
    // indexing threads as one batch, so reading and indexing overlap.
    let next = AtomicUsize::new(0);
    let queued = std::sync::Arc::new(AtomicUsize::new(0));
    let done = AtomicUsize::new(0);
    let reported = std::sync::Mutex::new(0usize);
    // Texts the source could not give (a damaged cache): the index would lack their words.
    let unreadable = AtomicUsize::new(0);
    let failed: std::sync::Mutex<Option<SearchError>> = std::sync::Mutex::new(None);
    let produce = || {
        let mut body = String::new();
        loop {
            if cancel.load(Ordering::Relaxed) || failed.lock().map_or(true, |f| f.is_some()) {
                return;
            }
            let from = next.fetch_add(CHUNK, Ordering::Relaxed);
            if from >= total {
                return;
            }
            let to = (from + CHUNK).min(total);
            let waiting = std::time::Instant::now();
            while queued.load(Ordering::Relaxed) > MAX_QUEUED
                && waiting.elapsed() < QUEUE_PATIENCE
                && !cancel.load(Ordering::Relaxed)
            {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            let mut batch = Vec::with_capacity(to - from);
            for &i in &order[from..to] {
                let doc = document(&f, corpus, stories, &story_of, texts, i, &mut body);
                let Some(doc) = doc else {
                    unreadable.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                batch.push(UserOperation::Add(Queued::new(doc, &queued)));
            }
            if let Err(e) = writer.run(batch) {
                if let Ok(mut f) = failed.lock() {
                    f.get_or_insert(e.into());
                }
                return;
            }
            let now = done.fetch_add(to - from, Ordering::Relaxed) + (to - from);
            if let Ok(mut last) = reported.lock()
                && now > *last
                && (now - *last >= PROGRESS_EVERY || now == total)
            {
                *last = now;
                progress(BuildProgress { done: now, total });
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(produce);
        }
        produce();
    });
    if let Some(e) = failed.into_inner().ok().flatten() {
        return Err(e);
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(SearchError::Cancelled);
    }
    let unreadable = unreadable.into_inner();
    if unreadable > 0 {
        return Err(SearchError::TextsUnreadable(unreadable));
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    progress(BuildProgress { done: total, total });
    drop(index);
    // The manifest, written last: its presence says the index is complete.
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io_error(dir))?.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name == MANIFEST {
            continue;
        }
        let len = e.metadata().map_err(io_error(&e.path()))?.len();
        files.push((name, len));
    }
    files.sort();
    let manifest = Manifest {
        format: FORMAT,
        fingerprint: location.fingerprint.clone(),
        files,
        articles: total as u64,
        stories: stories.len() as u64,
        texts: texts.and_then(|t| t.locator()),
    };
    let path = dir.join(MANIFEST);
    let mut out = std::fs::File::create(&path).map_err(io_error(&path))?;
    let json = serde_json::to_vec(&manifest).map_err(|e| SearchError::Damaged(e.to_string()))?;
    out.write_all(&json).map_err(io_error(&path))?;
    out.sync_all().map_err(io_error(&path))?;
    Ok(())
}

/// The articles in the order they are indexed: story by story, the versions of a story
/// together, then any article in no story. The versions of a story share most of their words,
/// and in corpus order they lie far apart (at 10k generated articles, half the stories span
/// more than half the corpus): indexed one after the other, in one batch, by one thread, their
/// rarer words find their postings still in the cache. tantivy's indexing is bound by cache
/// misses (its term table and the tails of the posting lists: `subscribe` is 58% of a 100k
/// build's samples, most of it waiting on loads); in this order, in batches, a 100k build took
/// 13.3-15.8 s user against 17.3-24.5 s (interleaved runs, load 7-9; in story order but one
/// document per batch, so the two indexing threads split a story's versions: 15.0-15.3 s), and
/// cachegrind (a 2 MB cache standing for the L2) counted 30% fewer misses at 10k (23% with one
/// document per batch). Answers do not depend on the order: scores use index-wide statistics
/// and equal scores are ordered by story and article ([`Ranked`]).
fn indexing_order(total: usize, stories: &[Story]) -> Vec<usize> {
    let mut placed = vec![false; total];
    let mut order = Vec::with_capacity(total);
    for story in stories {
        for v in &story.versions {
            if let Some(p) = placed.get_mut(v.article)
                && !*p
            {
                *p = true;
                order.push(v.article);
            }
        }
    }
    order.extend((0..total).filter(|&i| !placed[i]));
    order
}

/// A document handed to tantivy, counted in `queued` until tantivy has indexed it (and drops
/// it), so that producers wait for the indexing threads: tantivy's channel holds 10,000
/// batches, which with [`CHUNK`] documents a batch is 640,000 documents, texts and all (a 100k
/// build in batches, uncounted, peaked at 616 MB against 430 MB one document a batch; counted,
/// at most [`MAX_QUEUED`], it peaks at 376-379 MB).
struct Queued {
    doc: TantivyDocument,
    queued: std::sync::Arc<AtomicUsize>,
}

impl Queued {
    fn new(doc: TantivyDocument, queued: &std::sync::Arc<AtomicUsize>) -> Queued {
        queued.fetch_add(1, Ordering::Relaxed);
        Queued {
            doc,
            queued: std::sync::Arc::clone(queued),
        }
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.queued.fetch_sub(1, Ordering::Relaxed);
    }
}

impl tantivy::Document for Queued {
    type Value<'a> = <TantivyDocument as tantivy::Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as tantivy::Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

/// The document of article `i`; `None` when its text cannot be read. `body` is scratch.
fn document(
    f: &Fields,
    corpus: &Corpus,
    stories: &[Story],
    story_of: &[Option<usize>],
    texts: Option<&dyn crate::corpus::texts::TextSource>,
    i: usize,
    body: &mut String,
) -> Option<TantivyDocument> {
    let a = &corpus.articles[i];
    // An article reopened without its text: read it now (and let it go after).
    let fetched = match texts {
        Some(t) if crate::corpus::texts::is_lazy(a) => Some(t.indexed(i, a)?),
        _ => None,
    };
    // A reader's lean rows hold no title: it comes with the text.
    let title = fetched
        .as_ref()
        .and_then(|t| t.title.as_deref())
        .unwrap_or(&a.title);
    let mut doc = TantivyDocument::new();
    doc.add_text(f.article, &a.id);
    doc.add_u64(f.article_index, i as u64);
    doc.add_text(f.path, &a.path);
    match story_of[i] {
        Some(s) => {
            let story = &stories[s];
            doc.add_text(f.story, &story.id);
            doc.add_u64(f.story_ord, s as u64);
            doc.add_text(f.story_title, &story.title);
            doc.add_u64(f.story_versions, story.versions.len() as u64);
        }
        None => {
            // Not in any story (grouping puts every article in one): a story of its own.
            doc.add_text(f.story, &a.id);
            doc.add_u64(f.story_ord, (stories.len() + i) as u64);
            doc.add_text(f.story_title, title);
            doc.add_u64(f.story_versions, 1);
        }
    }
    doc.add_text(f.title, title);
    let paragraphs = fetched.as_ref().map_or(&a.paragraphs, |t| &t.paragraphs);
    body.clear();
    for (n, p) in paragraphs.iter().enumerate() {
        if n > 0 {
            body.push_str("\n\n");
        }
        body.push_str(p);
    }
    doc.add_text(f.body, body.as_str());
    // The body is not stored when the source can read it again for the snippets.
    match texts.and_then(|t| t.place(i, a)) {
        Some(place) => {
            doc.add_u64(f.text_at, u64::from(place.file) << 32 | u64::from(place.n));
            doc.add_text(f.text_record, &place.record);
            doc.add_text(f.text_hash, &place.hash);
        }
        None => doc.add_text(f.body_text, body.as_str()),
    }
    doc.add_text(f.source, &a.source);
    if let Some(ts) = a.timestamp {
        doc.add_i64(f.date, ts);
    }
    if let Some(d) = &a.date {
        doc.add_text(f.date_text, d);
    }
    Some(doc)
}

impl Index {
    /// Opens the index at `location` when it is complete, undamaged as far as a quick look
    /// tells (manifest, file sizes, tantivy's own checks) and built from the corpus as it is.
    pub(crate) fn open(location: &IndexLocation) -> Result<Index, OpenError> {
        let dir = &location.dir;
        let bytes = match std::fs::read(dir.join(MANIFEST)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dir.exists() => {
                return Err(OpenError::Missing);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OpenError::Damaged(
                    "no manifest: a build did not finish".into(),
                ));
            }
            Err(e) => return Err(OpenError::Damaged(format!("manifest unreadable: {e}"))),
        };
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| OpenError::Damaged(format!("manifest unreadable: {e}")))?;
        if manifest.format != FORMAT || manifest.fingerprint != location.fingerprint {
            return Err(OpenError::Stale);
        }
        for (name, len) in &manifest.files {
            match std::fs::metadata(dir.join(name)) {
                Ok(m) if m.len() == *len => {}
                Ok(m) => {
                    return Err(OpenError::Damaged(format!(
                        "{name} has {} bytes, {len} expected",
                        m.len()
                    )));
                }
                Err(e) => return Err(OpenError::Damaged(format!("{name}: {e}"))),
            }
        }
        let opened = quietly(|| -> Result<Index, String> {
            let index = tantivy::Index::open_in_dir(dir).map_err(|e| e.to_string())?;
            index.tokenizers().register(ANALYZER_NAME, analyzer());
            let (schema, fields) = Fields::schema();
            if index.schema() != schema {
                return Err("another schema".into());
            }
            let reader: IndexReader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e: tantivy::TantivyError| e.to_string())?;
            let docs = reader.searcher().num_docs();
            if docs != manifest.articles {
                return Err(format!("{docs} articles, {} expected", manifest.articles));
            }
            Ok(Index {
                reader,
                fields,
                articles: docs,
                texts: manifest.texts.clone(),
            })
        });
        match opened {
            Some(Ok(index)) => Ok(index),
            Some(Err(e)) => Err(OpenError::Damaged(e)),
            None => Err(OpenError::Damaged("reading it crashed".into())),
        }
    }

    /// Number of articles indexed.
    pub fn articles(&self) -> u64 {
        self.articles
    }

    /// How to open the source of the texts whose bodies the index does not store (the
    /// derived store's texts), for [`Index::search_with_texts`]; `None` when every body is
    /// stored.
    pub fn texts_locator(&self) -> Option<&serde_json::Value> {
        self.texts.as_ref()
    }

    /// Parses `query`, then runs it with `run` (at most `limit`, 1..=[`MAX_LIMIT`]); a crash
    /// while reading the index is reported as damage.
    fn answer<T>(
        &self,
        query: &str,
        limit: usize,
        run: impl Fn(&Index, &dyn tantivy::query::Query, usize) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let expr = query::parse(query)?;
        let mut analyzer = analyzer();
        let q = query::to_query(&expr, &self.fields.query_fields(), &mut analyzer).ok_or_else(
            || {
                SearchError::Query(QueryError {
                    message: "nothing to search for: the query has no letters or digits to \
                              look for"
                        .into(),
                    at: 1,
                })
            },
        )?;
        let limit = limit.clamp(1, MAX_LIMIT);
        match quietly(|| run(self, &*q, limit)) {
            Some(result) => result,
            None => Err(SearchError::Damaged(
                "reading the index crashed: it is damaged".into(),
            )),
        }
    }

    /// The stories that match `query` (the language of [`super::query`]), best first, at most
    /// `limit` (1..=[`MAX_LIMIT`]), each with its matching versions and a snippet for each.
    /// Snippets of bodies not stored in the index are left out (the headline's, or none):
    /// [`Index::search_with_texts`] reads them.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<StoryHit>, SearchError> {
        self.search_with_texts(query, limit, None)
    }

    /// [`Index::search`], the bodies the index does not store read from `texts` (opened from
    /// [`Index::texts_locator`]) for the snippets.
    pub fn search_with_texts(
        &self,
        query: &str,
        limit: usize,
        texts: Option<&dyn crate::corpus::texts::TextSource>,
    ) -> Result<Vec<StoryHit>, SearchError> {
        self.answer(query, limit, |index, q, limit| index.run(q, limit, texts))
    }

    /// The stories that match `query`, best first, at most `limit`, each with its best
    /// version: no stored fields and no snippets are read, so this answers in milliseconds
    /// even for thousands of stories (the reader's filtered list).
    pub fn search_stories(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<StoryMatch>, SearchError> {
        self.answer(query, limit, Index::run_stories)
    }

    fn run_stories(&self, q: &dyn Query, limit: usize) -> Result<Vec<StoryMatch>, SearchError> {
        let searcher = self.reader.searcher();
        let total = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        if total == 0 {
            return Ok(Vec::new());
        }
        let mut k = (limit * 4).max(64).min(total);
        loop {
            let top = top_docs(&searcher, q, k)?;
            let mut seen = std::collections::HashSet::new();
            let mut out = Vec::new();
            for &(Ranked(score, Reverse(ord), Reverse(article)), _) in &top {
                if ord == u64::MAX || article == u64::MAX {
                    return Err(SearchError::Damaged("an article without its story".into()));
                }
                if seen.insert(ord) {
                    out.push(StoryMatch {
                        story_ord: usize::try_from(ord).unwrap_or(usize::MAX),
                        article_index: usize::try_from(article).unwrap_or(usize::MAX),
                        score,
                    });
                }
            }
            if out.len() >= limit || top.len() < k || k >= total {
                // Equal scores in story order: the same answer whatever order the build's
                // threads added the documents in.
                out.sort_by(|a, b| {
                    b.score
                        .total_cmp(&a.score)
                        .then(a.story_ord.cmp(&b.story_ord))
                });
                out.truncate(limit);
                return Ok(out);
            }
            k = (k * 4).min(total);
        }
    }

    fn run(
        &self,
        q: &dyn Query,
        limit: usize,
        texts: Option<&dyn crate::corpus::texts::TextSource>,
    ) -> Result<Vec<StoryHit>, SearchError> {
        let searcher = self.reader.searcher();
        let total = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        if total == 0 {
            return Ok(Vec::new());
        }
        let mut columns: HashMap<SegmentOrdinal, Column<u64>> = HashMap::new();
        let mut story_ord = |addr: DocAddress| -> Result<u64, SearchError> {
            let column = match columns.get(&addr.segment_ord) {
                Some(c) => c,
                None => {
                    let c = searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .u64("story_ord")?;
                    columns.entry(addr.segment_ord).or_insert(c)
                }
            };
            column
                .first(addr.doc_id)
                .ok_or_else(|| SearchError::Damaged("an article without its story".into()))
        };
        // 1. The best stories: the top articles, widened until `limit` stories are found.
        let mut k = (limit * 4).max(64).min(total);
        let ranked: Vec<(u64, Score)> = loop {
            let top = top_docs(&searcher, q, k)?;
            let mut seen = std::collections::HashSet::new();
            let mut order = Vec::new();
            for &(Ranked(score, Reverse(ord), _), _) in &top {
                if ord == u64::MAX {
                    return Err(SearchError::Damaged("an article without its story".into()));
                }
                if seen.insert(ord) {
                    order.push((ord, score));
                }
            }
            if order.len() >= limit || top.len() < k || k >= total {
                // Equal scores in story order (see `run_stories`).
                order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                order.truncate(limit);
                break order;
            }
            k = (k * 4).min(total);
        };
        if ranked.is_empty() {
            return Ok(Vec::new());
        }
        // 2. Every matching version of those stories.
        let in_stories: Vec<(Occur, Box<dyn Query>)> = ranked
            .iter()
            .map(|(ord, _)| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_u64(self.fields.story_ord, *ord),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        let restricted = BooleanQuery::new(vec![
            (Occur::Must, q.box_clone()),
            (Occur::Must, Box::new(BooleanQuery::new(in_stories))),
        ]);
        let versions = searcher.search(&restricted, &AllScored { cap: MAX_VERSIONS })?;
        let mut by_story: HashMap<u64, Vec<(Score, DocAddress)>> = HashMap::new();
        for (score, addr) in versions {
            by_story
                .entry(story_ord(addr)?)
                .or_default()
                .push((score, addr));
        }
        // 3. Their stored fields and snippets.
        let mut body_snippets =
            tantivy::snippet::SnippetGenerator::create(&searcher, q, self.fields.body)?;
        body_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut title_snippets =
            tantivy::snippet::SnippetGenerator::create(&searcher, q, self.fields.title)?;
        title_snippets.set_max_num_chars(SNIPPET_CHARS);
        let f = self.fields;
        let mut hits = Vec::with_capacity(ranked.len());
        for (ord, best) in ranked {
            let mut docs = by_story.remove(&ord).unwrap_or_default();
            docs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut hit = StoryHit {
                story: String::new(),
                title: String::new(),
                versions: 0,
                score: best,
                matches: Vec::with_capacity(docs.len()),
            };
            for (score, addr) in docs {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let text = |field: Field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string()
                };
                if hit.matches.is_empty() {
                    hit.story = text(f.story);
                    hit.title = text(f.story_title);
                    hit.versions = doc
                        .get_first(f.story_versions)
                        .and_then(|v| v.as_u64())
                        .and_then(|v| usize::try_from(v).ok())
                        .unwrap_or(1);
                }
                let body = match doc.get_first(f.text_at).and_then(|v| v.as_u64()) {
                    // Read from the texts' source; a body it cannot give has no snippet.
                    Some(at) => texts
                        .and_then(|t| {
                            t.cleaned_at(&crate::corpus::texts::TextPlace {
                                file: u32::try_from(at >> 32).unwrap_or(u32::MAX),
                                n: u32::try_from(at & 0xffff_ffff).unwrap_or(u32::MAX),
                                record: text(f.text_record),
                                hash: text(f.text_hash),
                            })
                        })
                        .map(|t| t.paragraphs.join("\n\n"))
                        .unwrap_or_default(),
                    None => text(f.body_text),
                };
                let title = text(f.title);
                let snippet = Snippet::best(&body_snippets, &title_snippets, &body, &title);
                let date = text(f.date_text);
                hit.matches.push(VersionHit {
                    article: text(f.article),
                    article_index: doc
                        .get_first(f.article_index)
                        .and_then(|v| v.as_u64())
                        .and_then(|v| usize::try_from(v).ok())
                        .unwrap_or(0),
                    path: text(f.path),
                    source: text(f.source),
                    title,
                    date: (!date.is_empty()).then_some(date),
                    score,
                    snippet,
                });
            }
            if !hit.matches.is_empty() {
                // Equal scores in corpus order, whatever the documents' order in the index.
                hit.matches.sort_by(|a, b| {
                    b.score
                        .total_cmp(&a.score)
                        .then(a.article_index.cmp(&b.article_index))
                });
                hits.push(hit);
            }
        }
        Ok(hits)
    }
}

/// The rank of a document among those matching: its score, then (the higher first) its
/// story's ordinal and its article's index reversed, so that equal scores come in story and
/// corpus order. Which documents make the first `k` then never depends on the order the
/// build's threads added them in (with scores alone, many equal scores made the stories of
/// `NOT minister` or `source:x` differ from one build to the next).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Ranked(Score, Reverse<u64>, Reverse<u64>);

/// The first `k` documents matching `q`, by [`Ranked`] (an article without its story or
/// index ranks as `u64::MAX`: the caller reports the index damaged).
fn top_docs(
    searcher: &tantivy::Searcher,
    q: &dyn Query,
    k: usize,
) -> Result<Vec<(Ranked, DocAddress)>, SearchError> {
    let collector = TopDocs::with_limit(k).tweak_score(|segment: &tantivy::SegmentReader| {
        let fast = segment.fast_fields();
        let (story, article) = (fast.u64("story_ord").ok(), fast.u64("article_index").ok());
        move |doc: DocId, score: Score| {
            let get = |c: &Option<Column<u64>>| c.as_ref().and_then(|c| c.first(doc));
            Ranked(
                score,
                Reverse(get(&story).unwrap_or(u64::MAX)),
                Reverse(get(&article).unwrap_or(u64::MAX)),
            )
        }
    });
    Ok(searcher.search(q, &collector)?)
}

/// Runs `f`, turning a panic into `None` without the panic message reaching stderr (it could
/// carry index bytes, and a damaged index is reported by the caller).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::thread_local! {
        static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.ok()
}

/// Collects every matching document with its score (up to `cap`).
struct AllScored {
    cap: usize,
}

struct AllScoredSegment {
    segment: SegmentOrdinal,
    cap: usize,
    docs: Vec<(Score, DocAddress)>,
}

impl Collector for AllScored {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = AllScoredSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<AllScoredSegment> {
        Ok(AllScoredSegment {
            segment,
            cap: self.cap,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(Score, DocAddress)>>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut all: Vec<_> = fruits.into_iter().flatten().collect();
        all.truncate(self.cap);
        Ok(all)
    }
}

impl SegmentCollector for AllScoredSegment {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.docs.len() < self.cap {
            self.docs.push((score, DocAddress::new(self.segment, doc)));
        }
    }

    fn harvest(self) -> Vec<(Score, DocAddress)> {
        self.docs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Article;

    fn article(id: &str, title: &str, body: &str, source: &str, ts: i64) -> Article {
        Article {
            id: id.into(),
            path: format!("{id}.txt").into(),
            source: source.into(),
            title: title.into(),
            date: Some(format!("t{ts}").into()),
            timestamp: Some(ts),
            more: crate::corpus::ArticleMore {
                paragraphs: body.split("\n\n").map(str::to_string).collect(),
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        }
    }

    fn story(id: &str, versions: &[usize]) -> Story {
        Story::of_members(id, &format!("story {id}"), versions.iter().copied())
    }

    #[test]
    fn articles_are_indexed_story_by_story_then_the_rest() {
        let stories = [
            story("s1", &[4, 0, 2]),
            story("s2", &[1, 9]),
            story("s3", &[4]),
        ];
        assert_eq!(indexing_order(6, &stories), [4, 0, 2, 1, 3, 5]);
    }

    fn fixture() -> (Corpus, Vec<Story>) {
        let corpus = Corpus {
            name: "t".into(),
            articles: vec![
                article(
                    "a1",
                    "Ferry sinks",
                    "Many feared lost.\n\nThe captain spoke.",
                    "wire",
                    100,
                ),
                article(
                    "a2",
                    "Ferry sinks, 14 dead",
                    "Jonas Pell saw it.",
                    "paper",
                    200,
                ),
                article(
                    "b1",
                    "Tram vote",
                    "The council voted for the tram.",
                    "wire",
                    300,
                ),
            ],
            problems: Vec::new(),
        };
        let stories = vec![story("A", &[0, 1]), story("B", &[2])];
        (corpus, stories)
    }

    #[test]
    fn equal_scores_come_in_story_and_corpus_order_not_index_order() {
        // Articles 0 and 1 (story 1) come first in the index, story 0's two after them;
        // every text is the same, so every score is equal.
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, ""));
        let same = |id: &str| article(id, "Ferry sinks", "The ferry sank.", "wire", 100);
        let corpus = Corpus {
            name: "t".into(),
            articles: vec![same("x1"), same("x2"), same("y1"), same("y2")],
            problems: Vec::new(),
        };
        let stories = vec![story("S0", &[3, 2]), story("S1", &[1, 0])];
        let index = build_index(&loc, &corpus, &stories, &|_| {}, &AtomicBool::new(false)).unwrap();
        let hits = index.search("ferry", 10).unwrap();
        let order: Vec<&str> = hits.iter().map(|h| h.story.as_str()).collect();
        assert_eq!(order, ["S0", "S1"]);
        let versions: Vec<usize> = hits[0].matches.iter().map(|m| m.article_index).collect();
        assert_eq!(versions, [2, 3]);
        let listed: Vec<usize> = index
            .search_stories("ferry", 10)
            .unwrap()
            .iter()
            .map(|m| m.story_ord)
            .collect();
        assert_eq!(listed, [0, 1]);
    }

    #[test]
    fn a_limit_among_equal_scores_keeps_the_first_stories_whatever_the_index_order() {
        // 300 one-version stories of the same text, indexed last story first: a limit of 3
        // cuts among equal scores, and keeps stories 0, 1 and 2 (a cut by score alone took
        // the first documents of the index, the last stories).
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, ""));
        let n = 300;
        let corpus = Corpus {
            name: "t".into(),
            articles: (0..n)
                .map(|i| {
                    article(
                        &format!("a{i}"),
                        "Ferry sinks",
                        "The ferry sank.",
                        "wire",
                        100,
                    )
                })
                .collect(),
            problems: Vec::new(),
        };
        let stories: Vec<Story> = (0..n)
            .map(|s| story(&format!("S{s}"), &[n - 1 - s]))
            .collect();
        let index = build_index(&loc, &corpus, &stories, &|_| {}, &AtomicBool::new(false)).unwrap();
        for query in ["ferry", "source:wire", "NOT minister"] {
            let hits = index.search(query, 3).unwrap();
            let order: Vec<&str> = hits.iter().map(|h| h.story.as_str()).collect();
            assert_eq!(order, ["S0", "S1", "S2"], "{query}");
            let listed: Vec<(usize, usize)> = index
                .search_stories(query, 3)
                .unwrap()
                .iter()
                .map(|m| (m.story_ord, m.article_index))
                .collect();
            assert_eq!(listed, [(0, n - 1), (1, n - 2), (2, n - 3)], "{query}");
        }
    }

    #[test]
    fn builds_searches_and_groups_by_story() {
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, ""));
        let (corpus, stories) = fixture();
        let seen = std::sync::Mutex::new(Vec::new());
        let progress = |p: BuildProgress| seen.lock().unwrap().push(p);
        let index =
            build_index(&loc, &corpus, &stories, &progress, &AtomicBool::new(false)).unwrap();
        assert_eq!(index.articles(), 3);
        assert_eq!(
            seen.lock().unwrap().last(),
            Some(&BuildProgress { done: 3, total: 3 })
        );
        let hits = index.search("ferry", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].story, "A");
        assert_eq!(hits[0].versions, 2);
        assert_eq!(hits[0].matches.len(), 2);
        let hits = index.search("pell", 10).unwrap();
        assert_eq!(hits[0].matches.len(), 1);
        assert_eq!(hits[0].matches[0].article, "a2");
        assert_eq!(hits[0].matches[0].article_index, 1);
        let marked: Vec<&str> = hits[0].matches[0]
            .snippet
            .parts()
            .into_iter()
            .filter(|p| p.0)
            .map(|p| p.1)
            .collect();
        assert_eq!(marked, ["Pell"]);
        // A title-only match: the snippet comes from the headline.
        let hits = index.search("dead", 10).unwrap();
        assert!(hits[0].matches[0].snippet.text.contains("14 dead"));
        // Source and date filters, and a query for nothing but a date.
        assert_eq!(
            index.search("source:paper", 10).unwrap()[0].matches.len(),
            1
        );
        assert_eq!(index.search("wire -tram", 10).unwrap().len(), 0);
        assert_eq!(index.search("source:wire -tram", 10).unwrap().len(), 1);
        assert_eq!(index.search("NOT ferry", 10).unwrap()[0].story, "B");
        // Limit: the best story only.
        assert_eq!(index.search("ferry OR tram", 1).unwrap().len(), 1);
        assert!(matches!(
            index.search("\"open", 10),
            Err(SearchError::Query(_))
        ));
        assert!(matches!(
            index.search("...", 10),
            Err(SearchError::Query(_))
        ));
        // The reader's form: stories with their best version, no snippets.
        let lite = index.search_stories("pell OR tram", 10).unwrap();
        assert_eq!(lite.len(), 2);
        let pell = lite.iter().find(|m| m.story_ord == 0).unwrap();
        assert_eq!(pell.article_index, 1);
        assert!(
            lite.iter()
                .any(|m| m.story_ord == 1 && m.article_index == 2)
        );
        assert_eq!(index.search_stories("ferry", 1).unwrap().len(), 1);
        assert!(index.search_stories("nothingsuch", 10).unwrap().is_empty());
        assert!(matches!(
            index.search_stories("(open", 10),
            Err(SearchError::Query(_))
        ));
        // Reopened from disk.
        drop(index);
        let again = Index::open(&loc).unwrap();
        assert_eq!(again.search("captain", 10).unwrap()[0].story, "A");
        let other = IndexLocation::new(dir.path(), Fingerprint::of_content(2, ""));
        assert_eq!(Index::open(&other).unwrap_err(), OpenError::Stale);
    }

    #[test]
    fn a_text_the_cache_cannot_give_fails_the_build_and_keeps_the_old_index() {
        #[derive(Debug)]
        struct Texts;
        impl crate::corpus::texts::TextSource for Texts {
            fn text(
                &self,
                index: usize,
                _article: &crate::corpus::Article,
            ) -> Option<crate::corpus::texts::ArticleText> {
                (index != 1).then(|| crate::corpus::texts::ArticleText {
                    paragraphs: vec![format!("stored text {index}")],
                    ..Default::default()
                })
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, ""));
        let (mut corpus, stories) = fixture();
        let none = |_: BuildProgress| {};
        build_index(&loc, &corpus, &stories, &none, &AtomicBool::new(false)).unwrap();
        for a in &mut corpus.articles {
            a.paragraphs = Vec::new();
            a.counts = Some(crate::corpus::BodyCounts::default());
        }
        let built = build_index_with(
            &loc,
            &corpus,
            &stories,
            Some(&Texts),
            &none,
            &AtomicBool::new(false),
        );
        assert!(
            matches!(built, Err(SearchError::TextsUnreadable(1))),
            "{built:?}"
        );
        let old = Index::open(&loc).unwrap();
        assert_eq!(old.search("captain", 10).unwrap()[0].story, "A");
        // Every text readable: the words come from the source.
        corpus.articles.truncate(1);
        let one = vec![story("A", &[0])];
        let index = build_index_with(
            &loc,
            &corpus,
            &one,
            Some(&Texts),
            &none,
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(index.search("stored", 10).unwrap().len(), 1);
    }

    /// Texts kept elsewhere, read again by place: article `i` at (0, i).
    #[derive(Debug)]
    struct Kept {
        bodies: Vec<String>,
    }

    impl crate::corpus::texts::TextSource for Kept {
        fn text(
            &self,
            index: usize,
            _article: &crate::corpus::Article,
        ) -> Option<crate::corpus::texts::ArticleText> {
            Some(crate::corpus::texts::ArticleText {
                paragraphs: vec![self.bodies.get(index)?.clone()],
                ..Default::default()
            })
        }

        fn place(
            &self,
            index: usize,
            article: &crate::corpus::Article,
        ) -> Option<crate::corpus::texts::TextPlace> {
            Some(crate::corpus::texts::TextPlace {
                file: 0,
                n: u32::try_from(index).ok()?,
                record: article.id.to_string(),
                hash: "h".into(),
            })
        }

        fn cleaned_at(
            &self,
            place: &crate::corpus::texts::TextPlace,
        ) -> Option<crate::corpus::texts::ArticleText> {
            Some(crate::corpus::texts::ArticleText {
                paragraphs: vec![self.bodies.get(place.n as usize)?.clone()],
                ..Default::default()
            })
        }

        fn locator(&self) -> Option<serde_json::Value> {
            Some(serde_json::json!({"kept": self.bodies.len()}))
        }
    }

    #[test]
    fn bodies_the_texts_can_give_again_are_not_stored_and_snippets_read_them() {
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, ""));
        let (mut corpus, stories) = fixture();
        for a in &mut corpus.articles {
            a.paragraphs = Vec::new();
            a.counts = Some(crate::corpus::BodyCounts::default());
        }
        let kept = Kept {
            bodies: vec![
                "Many feared lost in the harbour.".into(),
                "Jonas Pell saw it from the pier.".into(),
                "The council voted for the tram.".into(),
            ],
        };
        let none = |_: BuildProgress| {};
        build_index_with(
            &loc,
            &corpus,
            &stories,
            Some(&kept),
            &none,
            &AtomicBool::new(false),
        )
        .unwrap();
        let index = Index::open(&loc).unwrap();
        assert_eq!(index.texts_locator(), Some(&serde_json::json!({"kept": 3})));
        // Nothing of the bodies is stored: the index holds their words only.
        let searcher = index.reader.searcher();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for d in 0..segment.max_doc() {
                let addr = DocAddress::new(u32::try_from(ord).unwrap(), d);
                let doc: TantivyDocument = searcher.doc(addr).unwrap();
                assert!(doc.get_first(index.fields.body_text).is_none());
                assert!(doc.get_first(index.fields.text_at).is_some());
            }
        }
        // The snippet comes from the texts, marked as a stored body's was.
        let hits = index.search_with_texts("pell", 10, Some(&kept)).unwrap();
        let snippet = &hits[0].matches[0].snippet;
        assert_eq!(snippet.text, "Jonas Pell saw it from the pier…");
        assert_eq!(snippet.marks.len(), 1);
        assert_eq!(snippet.marks[0], 6..10);
        // A phrase across the words of a body read from the texts.
        let hits = index
            .search_with_texts("\"from the pier\"", 10, Some(&kept))
            .unwrap();
        assert_eq!(hits[0].matches[0].article, "a2");
        // Without the texts (or a text they cannot give), the match stands, with no snippet.
        let hits = index.search("pell", 10).unwrap();
        assert_eq!(hits[0].matches[0].article, "a2");
        assert_eq!(hits[0].matches[0].snippet.text, "");
        let lost = Kept { bodies: Vec::new() };
        let hits = index.search_with_texts("harbour", 10, Some(&lost)).unwrap();
        assert_eq!(hits[0].matches[0].article, "a1");
        assert_eq!(hits[0].matches[0].snippet.text, "");
    }

    #[test]
    fn an_index_of_the_previous_format_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, ""));
        let (corpus, stories) = fixture();
        let none = |_: BuildProgress| {};
        build_index(&loc, &corpus, &stories, &none, &AtomicBool::new(false)).unwrap();
        assert!(Index::open(&loc).is_ok());
        // The manifest of a format-4 index (its snippets read from JSON rows of the derived
        // store) or a format-3 one (dates indexed as terms): built again.
        let path = loc.dir.join(MANIFEST);
        let mut manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(manifest["format"], 5);
        for old in [4, 3] {
            manifest["format"] = old.into();
            std::fs::write(&path, serde_json::to_vec(&manifest).unwrap()).unwrap();
            assert_eq!(Index::open(&loc).unwrap_err(), OpenError::Stale);
        }
    }

    #[test]
    fn a_cancelled_build_leaves_the_old_index() {
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, ""));
        let (corpus, stories) = fixture();
        let none = |_: BuildProgress| {};
        assert_eq!(Index::open(&loc).unwrap_err(), OpenError::Missing);
        build_index(&loc, &corpus, &stories, &none, &AtomicBool::new(false)).unwrap();
        let cancelled = build_index(&loc, &corpus, &stories, &none, &AtomicBool::new(true));
        assert!(matches!(cancelled, Err(SearchError::Cancelled)));
        assert!(Index::open(&loc).is_ok());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["search"], "no leftover build folders");
    }
}
