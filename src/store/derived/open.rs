//! Opening a corpus through its derived store: from the stored state when no file changed
//! (nothing read, no text in memory); else the files whose fingerprint changed are read
//! again, and only their articles are grouped, against the stored stories:
//!
//! - **What is read.** The articles of unchanged files come from the stored state (metadata
//!   and counts, no text); added and changed files are read and stored; the articles of
//!   changed and removed files leave.
//! - **Grouping.** Each full grouping stores its index beside the state (`grouping.rs`: each
//!   article's sampled 5-gram hashes and headline names, every verified pair not apart:
//!   about 60 bytes an article at 100k generated articles). The new articles' candidates are
//!   found among all articles from it, verified with the grouping's rules (the few stored
//!   texts they need are read), and clustered with the stored verdicts over the whole corpus
//!   ([`group::incremental::regroup`]): removed articles leave their stories, a story left
//!   empty goes, and a story whose remaining versions are no longer linked is split as a
//!   full grouping would split it.
//! - **Ids.** Article ids are assigned over the whole corpus as on a first load. Stories keep
//!   their ids by [`group::incremental::keep_ids`]: a story keeps the id of the stored story
//!   whose first version it holds (else of the one most of whose versions it holds), so an
//!   unchanged story keeps its id and so does a story that gained or lost versions; new
//!   stories take the id of their first version. A full regrouping on a store (`--regroup`)
//!   keeps ids by the same rule.
//! - **Boilerplate.** The source boilerplate learned from the whole corpus is kept: articles
//!   added to a source learned before are cleaned with its lines; a source no other article
//!   has is learned from the added articles (as a first load would); removing articles
//!   changes no table. A full regrouping learns everything again.
//! - **When everything is grouped again.** With [`Regroup::All`] (`stet stories --regroup`),
//!   when more than [`LARGE_CHANGE`] of the articles were added or removed, when the stored
//!   state has no grouping index (an older stet) or is for other settings, or when a stored
//!   text the new candidates need does not read: then ids are made unique, source
//!   boilerplate learned and the whole corpus grouped, as a first load would.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rusqlite::{OptionalExtension, params};

use super::codec::{self, StoreTexts};
use super::state::{self, Head, Main, StateArticle};
use super::{DerivedError, DerivedStore, FileStatus, Fingerprint, grouping, sqlite_error};
use crate::corpus::clean::{body_counts, remove_source_boilerplate};
use crate::corpus::group::incremental::OldStory;
use crate::corpus::group::{self, GroupIndex, GroupSettings};
use crate::corpus::load::{Discovered, FileLoad, LoadOptions};
use crate::corpus::texts::{ArticleText, TextSource};
use crate::corpus::{Article, BodyCounts, Corpus, LoadProblem, Progress, Story};
use crate::num;

/// The format of the stored state; part of the load key.
const STATE_FORMAT: u32 = 2;
/// The lock file that keeps two stet processes from building one store at once.
const LOCK_FILE: &str = "derived.lock";
/// How long a stet waits for another's build of the same store before loading without it.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Waits for this process's turn at the store: an exclusive transaction on a small SQLite
/// database beside it, held until the connection returned is dropped (a crashed holder's lock
/// goes with it).
fn take_turn(path: &Path) -> Result<rusqlite::Connection, DerivedError> {
    let err = sqlite_error(path);
    let conn = rusqlite::Connection::open(path).map_err(err)?;
    conn.busy_timeout(LOCK_WAIT).map_err(err)?;
    conn.execute_batch("BEGIN EXCLUSIVE").map_err(err)?;
    Ok(conn)
}

/// Articles read on both cores with their encoded rows and the hash of what was read.
type ReadRun = Vec<(FileLoad, Vec<Row>, std::sync::Arc<super::ReadHash>)>;

/// How to open a corpus.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpenOptions<'a> {
    /// How to load its files.
    pub load: &'a LoadOptions,
    /// A description of the load options (field overrides, keywords, limits): stored rows
    /// read with other options are read again.
    pub load_desc: &'a str,
    /// The grouping settings.
    pub settings: &'a GroupSettings,
    /// Hold every article's text in memory (the search index wants it); else only
    /// metadata and counts, text read on demand through [`Opened::texts`].
    pub full_text: bool,
    /// Group the whole corpus again when files changed, instead of only the articles of the
    /// files added or changed ([`Regroup`]).
    pub regroup: Regroup,
    /// Leave the titles and URLs out of the articles of a corpus reopened from its stored
    /// state (the reader: its list shows the stories' titles; an article's title and URL are
    /// read with its text when it is shown, through [`Opened::texts`]).
    pub lean_rows: bool,
    /// Above this many bytes of corpus files, a first open (or a full regrouping) drops each
    /// titled article's text once its row is stored and reads it back a run at a time for
    /// its features ([`SHED_ABOVE`] in use; 0 always): memory then holds no text, but each
    /// text is decoded twice. Never with `full_text`.
    pub shed_above: u64,
}

/// The corpus size above which a first open drops texts once stored ([`OpenOptions::shed_above`]):
/// a corpus's texts take about its files' size in memory. At 100k generated articles (480
/// MB) holding them costs 0.86 GB at the peak and saves a third of the CPU; at 1M (4.8 GB)
/// dropping them keeps the peak under 4 GB instead of 8.
pub(crate) const SHED_ABOVE: u64 = 1 << 30;

/// [`SHED_ABOVE`], or the number of bytes `STET_SHED_ABOVE` gives (to measure the shedding
/// path on a smaller corpus: `STET_SHED_ABOVE=0`).
pub(crate) fn shed_above() -> u64 {
    std::env::var("STET_SHED_ABOVE")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(SHED_ABOVE)
}

impl OpenOptions<'_> {
    /// Whether a reopened corpus leaves its titles and URLs to be read on demand (never with
    /// `full_text`, which gives no text source).
    fn lean(&self) -> bool {
        self.lean_rows && !self.full_text
    }
}

/// How the stories are found again when files changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Regroup {
    /// Only the articles of added and changed files, against the stored stories, unless the
    /// change is large (more than [`LARGE_CHANGE`] of the articles added or removed).
    #[default]
    Changed,
    /// The whole corpus (`--regroup`).
    All,
    /// Only the changed articles, however many (for tests).
    #[cfg(test)]
    ChangedAlways,
}

/// Past this share of the articles added or removed (of the corpus before or after), the
/// whole corpus is grouped again: the verdicts kept between the other articles would be
/// taken in a corpus too different from theirs.
pub(crate) const LARGE_CHANGE: f64 = 0.2;

/// What reopening did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reopen {
    /// Nothing was read or grouped: the corpus came from the stored state.
    pub from_state: bool,
    /// Files whose articles were taken from the store.
    pub reused: usize,
    /// Files read (new, changed, or unusable in the store).
    pub read: usize,
    /// Files gone since the last open.
    pub removed: usize,
    /// Only the articles of added and changed files were grouped, against the stored
    /// stories: how many.
    pub regrouped: Option<usize>,
}

/// A corpus opened through the store.
#[derive(Debug)]
pub(crate) struct Opened {
    /// The articles (without text when `texts` is given) and load problems.
    pub corpus: Corpus,
    /// The stories.
    pub stories: Vec<Story>,
    /// Where the text of articles without it is read.
    pub texts: Option<Arc<dyn TextSource>>,
    /// What was done (checked by the tests; no command reports it yet).
    #[cfg_attr(not(test), allow(dead_code))]
    pub reopen: Reopen,
    /// Things the user should know about the cache (a damaged store rebuilt).
    pub notes: Vec<String>,
}

/// What the stored rows depend on among the config file's settings: the export marker words
/// (`[formats.keywords]`), described the same way by the reader and the CLI.
pub(crate) fn config_desc(keywords: &crate::corpus::formats::ExportKeywords) -> String {
    format!("\nconfig_keywords {keywords:?}")
}

/// The load key: what every stored row depends on.
fn load_key(paths: &[PathBuf], desc: &str) -> String {
    let roots: Vec<String> = paths
        .iter()
        .map(|p| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        })
        .collect();
    format!(
        "stet {} state {STATE_FORMAT}\nroots {}\nload {desc}",
        env!("CARGO_PKG_VERSION"),
        roots.join("\n")
    )
}

/// Loads and groups the corpus at `paths` without any store (`--no-cache`, or a cache dir
/// that cannot be used), text in memory.
pub(crate) fn load_and_group(
    paths: &[PathBuf],
    o: &OpenOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Opened {
    let mut load = o.load.clone();
    load.lean = true;
    load.counts_only = false;
    let corpus = crate::corpus::load::load_paths(paths, &load, progress);
    grouped_in_memory(corpus, o.settings, progress)
}

/// `corpus`, loaded in memory without a store, grouped into stories (dated from their
/// datelines where the records had no date).
pub(crate) fn grouped_in_memory(
    mut corpus: crate::corpus::Corpus,
    settings: &group::GroupSettings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Opened {
    let mut stories = group::group(&corpus.articles, settings, progress);
    crate::corpus::dateline_date::date_from_datelines(&mut corpus, &mut stories);
    Opened {
        corpus,
        stories,
        texts: None,
        reopen: Reopen::default(),
        notes: Vec::new(),
    }
}

/// Opens the corpus at `paths` through its derived store in `dir`: from the stored state when
/// no file changed, else reading only the files whose fingerprint changed. Two processes
/// opening one corpus take turns (a lock file); a damaged or old store is rebuilt, said in
/// [`Opened::notes`]. An error means the store cannot be used at all (the caller then loads
/// without it, [`load_and_group`]).
pub(crate) fn open_corpus(
    dir: &Path,
    paths: &[PathBuf],
    o: &OpenOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Opened, DerivedError> {
    std::fs::create_dir_all(dir).map_err(|source| DerivedError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let _lock = take_turn(&dir.join(LOCK_FILE))?;
    let (mut store, note) = DerivedStore::open_or_build(dir)?;
    let mut notes: Vec<String> = note.into_iter().collect();
    let found = Discovered::walk(paths);
    let (keys, statuses) = compare(&mut store, paths, &found, o, true)?;
    crate::trace::mark("files compared with the store");
    let present: HashSet<String> = keys.iter().cloned().collect();
    let gone = store.gone(&present)?;
    let unchanged = gone.is_empty() && all_unchanged(&statuses);
    if unchanged {
        match current_state(&store, Some(o.settings), Some(&keys), o.lean())? {
            Ok(state) => {
                touch(&mut store, &keys, &statuses)?;
                match from_state(&store, state, (paths, &found), o, notes.clone()) {
                    Ok(opened) => return Ok(opened),
                    Err(e) => notes.push(format!("{e}; rebuilt")),
                }
            }
            Err(Some(why)) => notes.push(why),
            Err(None) => {}
        }
    }
    // Files changed: the last state, to group only what changed against its stories (and
    // to keep their ids either way).
    let previous = if unchanged {
        None
    } else {
        match current_state(&store, Some(o.settings), None, false)? {
            Ok(d) => Some(d),
            Err(Some(why)) => {
                notes.push(why);
                None
            }
            Err(None) => None,
        }
    };
    let mut statuses = statuses;
    let mut gone = gone;
    let mut old = None;
    if let Some(prev) = previous {
        if o.regroup != Regroup::All {
            match incremental(
                &mut store,
                (paths, &found),
                (&keys, &mut statuses, &mut gone),
                prev,
                o,
                progress,
                &mut notes,
            )? {
                Ok(opened) => return Ok(opened),
                Err(ids) => old = Some(ids),
            }
        } else {
            old = Some(OldIds::of(&prev));
        }
    }
    rebuild(
        &mut store,
        (paths, &found),
        (&keys, statuses, gone),
        o,
        progress,
        (notes, old),
    )
}

/// The corpus at `paths` from its derived store in `dir` when the store is current (no file
/// changed since it was stored, the same load options; its stories are those of the settings
/// it was grouped with): nothing read, nothing written. `None` when
/// it is not current (the caller loads as it would without a store).
pub(crate) fn reopen_if_current(
    dir: &Path,
    paths: &[PathBuf],
    o: &OpenOptions<'_>,
) -> Result<Option<Opened>, DerivedError> {
    if !dir.join(super::DERIVED_DB_FILE).exists() {
        return Ok(None);
    }
    let (mut store, _) = DerivedStore::open(dir)?;
    let found = Discovered::walk(paths);
    let (keys, statuses) = compare(&mut store, paths, &found, o, false)?;
    let present: HashSet<String> = keys.iter().cloned().collect();
    if !store.gone(&present)?.is_empty() || !all_unchanged(&statuses) {
        return Ok(None);
    }
    match current_state(&store, None, Some(&keys), o.lean())? {
        Ok(state) => from_state(&store, state, (paths, &found), o, Vec::new()).map(Some),
        Err(_) => Ok(None),
    }
}

/// The files found and how each compares with its stored fingerprint. A store made with
/// other load options is emptied first when `may_wipe` (else every file reads as added).
fn compare(
    store: &mut DerivedStore,
    paths: &[PathBuf],
    found: &Discovered,
    o: &OpenOptions<'_>,
    may_wipe: bool,
) -> Result<(Vec<String>, Vec<FileStatus>), DerivedError> {
    let files: Vec<PathBuf> = found.paths().map(Path::to_path_buf).collect();
    let keys: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let key = load_key(paths, o.load_desc);
    if store.meta("load")?.as_deref() != Some(key.as_bytes()) {
        if !may_wipe {
            return Ok((
                keys,
                vec![FileStatus::Added(Fingerprint::none()); files.len()],
            ));
        }
        store.wipe()?;
        store.set_meta("load", Some(key.as_bytes()))?;
    }
    let statuses = store.check(&files)?;
    Ok((keys, statuses))
}

/// Whether no file changed.
fn all_unchanged(statuses: &[FileStatus]) -> bool {
    statuses
        .iter()
        .all(|s| matches!(s, FileStatus::Unchanged | FileStatus::Touched(_)))
}

/// The stored state when it is for these files (any files when `keys` is `None`: then its
/// grouping index too, when there is one) and `settings` (when given); else why not (`None`:
/// nothing to say, it was simply not there or is for other settings). Only the head
/// (settings, files) is decoded before the state is known to be current.
fn current_state(
    store: &DerivedStore,
    settings: Option<&GroupSettings>,
    keys: Option<&[String]>,
    lean_rows: bool,
) -> Result<Result<Decoded, Option<String>>, DerivedError> {
    let Some(bytes) = store.meta("state")? else {
        return Ok(Err(None));
    };
    if matches!(bytes.first(), Some(0 | 1)) {
        // The JSON state of an older stet: its stored articles are still good.
        return Ok(Err(Some(
            "the stored corpus state is of an older stet; grouped again from the stored articles"
                .into(),
        )));
    }
    let undecodable = || {
        Ok(Err(Some(
            "the stored corpus state did not decode; rebuilt".into(),
        )))
    };
    let Some((head, rest)) = state::decode_head(&bytes) else {
        return undecodable();
    };
    if settings.is_some_and(|s| head.settings != *s) || keys.is_some_and(|k| head.files != k) {
        return Ok(Err(None));
    }
    let Some(m) = state::decode_main(rest) else {
        return undecodable();
    };
    // One path per file, shared by its articles' rows.
    let files: Vec<std::sync::Arc<str>> = head.files.iter().map(|f| f.as_str().into()).collect();
    let main = &m;
    let db = store.path.as_path();
    // Every row made first, then filled block by block in place: the article blocks are
    // decoded a few at a time on both cores (each run of blocks on its own connection),
    // beside the stories.
    let mut articles = vec![Article::default(); main.articles];
    let mut places = vec![(0u32, 0u32); main.articles];
    let mut stories = Vec::with_capacity(main.story_blocks.len() * state::BLOCK_LEN);
    let per_run = ARTICLE_BLOCKS_PER_RUN * state::BLOCK_LEN;
    let (a, s) = rayon::join(
        || {
            articles
                .par_chunks_mut(per_run)
                .zip(places.par_chunks_mut(per_run))
                .enumerate()
                .map(|(run, (arts, plcs))| {
                    let first = run * ARTICLE_BLOCKS_PER_RUN;
                    let blocks =
                        first..(first + ARTICLE_BLOCKS_PER_RUN).min(main.article_blocks.len());
                    let mut untitled = Vec::new();
                    let done = each_block(db, 'a', blocks, |b, k| {
                        let at = (k - first) * state::BLOCK_LEN;
                        let at = at..at + state::block_len(main.articles, k);
                        let (a, p) = (arts.get_mut(at.clone())?, plcs.get_mut(at)?);
                        let out = (files.as_slice(), lean_rows, &mut untitled);
                        state::decode_articles(b, k, main, out, (a, p))
                    })?;
                    Ok(done.then_some(untitled))
                })
                .collect::<Result<Vec<Option<Vec<usize>>>, DerivedError>>()
                .map(|runs| {
                    runs.into_iter()
                        .collect::<Option<Vec<Vec<usize>>>>()
                        .map(|runs| runs.concat())
                })
        },
        || {
            each_block(db, 's', 0..main.story_blocks.len(), |b, k| {
                state::decode_stories(b, k, main, &mut stories)
            })
        },
    );
    let (Some(untitled), true) = (a?, s?) else {
        return undecodable();
    };
    let Main {
        problems,
        boilerplate,
        ..
    } = m;
    let index = if keys.is_none() {
        let err = sqlite_error(&store.path);
        let mut get = store
            .conn
            .prepare("SELECT value FROM meta WHERE name = ?1")
            .map_err(err)?;
        let mut read = |name: &str| -> Option<Vec<u8>> {
            get.query_row([name], |r| r.get::<_, Vec<u8>>(0))
                .optional()
                .ok()
                .flatten()
        };
        grouping::decode(&bytes, &mut read)
    } else {
        None
    };
    Ok(Ok(Decoded {
        files: head.files,
        articles,
        places,
        problems,
        stories,
        boilerplate,
        index,
        untitled: lean_rows.then_some(untitled),
    }))
}

/// Article blocks decoded in one run (on one connection): 16 runs of 8192 articles at 1M.
const ARTICLE_BLOCKS_PER_RUN: usize = 8;

/// Reads and decodes the `blocks` of one kind of the stored state on a connection of its
/// own (the articles and the stories are read at once), each straight from the database's
/// buffer; false when one is missing or does not decode.
fn each_block(
    db: &Path,
    kind: char,
    blocks: std::ops::Range<usize>,
    mut decode: impl FnMut(&[u8], usize) -> Option<()>,
) -> Result<bool, DerivedError> {
    let err = sqlite_error(db);
    let conn = rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(err)?;
    let mut get = conn
        .prepare("SELECT value FROM meta WHERE name = ?1")
        .map_err(err)?;
    for k in blocks {
        let got = get
            .query_row([state::block_name(kind, k)], |r| {
                Ok(match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Blob(b) => decode(b, k),
                    _ => None,
                })
            })
            .optional()
            .map_err(err)?;
        if got.flatten().is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Stores the encoded state (in place of the last) and the grouping index that goes with it,
/// in one transaction; a store built from nothing is then whole, and put in its place
/// ([`DerivedStore::seal`]).
fn put_state(
    store: &mut DerivedStore,
    enc: &state::Encoded,
    index: GroupIndex,
) -> Result<(), DerivedError> {
    let path = store.path.clone();
    let err = sqlite_error(&path);
    let tx = store.conn.transaction().map_err(err)?;
    tx.execute(
        "DELETE FROM meta WHERE name = 'state' OR name LIKE 'state/%'",
        [],
    )
    .map_err(err)?;
    {
        let mut put = tx
            .prepare("INSERT INTO meta(name, value) VALUES (?1, ?2)")
            .map_err(err)?;
        for (kind, blocks) in [('a', &enc.articles), ('s', &enc.stories)] {
            for (k, b) in blocks.iter().enumerate() {
                put.execute(params![state::block_name(kind, k), b])
                    .map_err(err)?;
            }
        }
        // Each block of the index is encoded, stored and dropped in turn, each article's
        // hashes dropped once encoded: at 1M generated articles the index and its rows were
        // each about half a gigabyte, both held at the end of a first open.
        grouping::encode_each(index, &enc.main, &mut |name, b| {
            put.execute(params![name, b]).map(drop)
        })
        .map_err(err)?;
        put.execute(params!["state", enc.main]).map_err(err)?;
    }
    tx.commit().map_err(err)?;
    store.seal()
}

/// A state read back.
struct Decoded {
    /// Every file's key, in corpus order.
    files: Vec<String>,
    /// Articles without text, `path` set from `files`, counts set.
    articles: Vec<Article>,
    /// Each article's (file number, place in its file).
    places: Vec<(u32, u32)>,
    /// The problems met reading the files.
    problems: Vec<LoadProblem>,
    /// The stories.
    stories: Vec<Story>,
    /// The source boilerplate learned.
    boilerplate: crate::corpus::clean::Boilerplate,
    /// The grouping index stored with it (asked for, and there).
    index: Option<GroupIndex>,
    /// The untitled articles, when decoded with lean rows (titles left out).
    untitled: Option<Vec<usize>>,
}

/// The last grouping's stories by their articles' keys, to give the stories of a new
/// grouping their ids ([`group::incremental::keep_ids`]).
struct OldIds {
    /// Every article's key.
    keys: Vec<crate::corpus::ArticleKey>,
    /// Each story's id and articles (first version first).
    stories: Vec<(String, Vec<u32>)>,
}

impl OldIds {
    fn of(d: &Decoded) -> OldIds {
        OldIds {
            keys: d.articles.iter().map(|a| a.key.clone()).collect(),
            stories: d
                .stories
                .iter()
                .map(|s| {
                    let v = s.versions.iter().map(|v| num::u32_of(v.article)).collect();
                    (s.id.to_string(), v)
                })
                .collect(),
        }
    }

    /// The stories in the numbering of `articles` (matched by key).
    fn map(&self, articles: &[Article]) -> Vec<OldStory> {
        let now: rustc_hash::FxHashMap<&crate::corpus::ArticleKey, u32> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (&a.key, num::u32_of(i)))
            .collect();
        let at = |i: u32| self.keys.get(i as usize).and_then(|k| now.get(k).copied());
        self.stories
            .iter()
            .map(|(id, v)| OldStory {
                id: id.clone(),
                first: v.first().and_then(|&i| at(i)),
                members: v.iter().filter_map(|&i| at(i)).collect(),
            })
            .collect()
    }
}

/// Stores the new fingerprints of files only touched.
fn touch(
    store: &mut DerivedStore,
    keys: &[String],
    statuses: &[FileStatus],
) -> Result<(), DerivedError> {
    if !statuses.iter().any(|s| matches!(s, FileStatus::Touched(_))) {
        return Ok(());
    }
    let path = store.path.clone();
    let err = sqlite_error(&path);
    let tx = store.conn.transaction().map_err(err)?;
    for (k, s) in keys.iter().zip(statuses) {
        if let FileStatus::Touched(p) = s {
            DerivedStore::put_fingerprint(&tx, k, p).map_err(err)?;
        }
    }
    tx.commit().map_err(err)
}

/// The corpus from the stored state: metadata and counts only (untitled articles, whose
/// listing shows their opening words, with their text), or every cleaned text (no raw text)
/// with `full_text`.
fn from_state(
    store: &DerivedStore,
    state: Decoded,
    (paths, found): (&[PathBuf], &Discovered),
    o: &OpenOptions<'_>,
    notes: Vec<String>,
) -> Result<Opened, DerivedError> {
    let Decoded {
        files,
        mut articles,
        places,
        problems,
        stories,
        boilerplate,
        untitled,
        ..
    } = state;
    let mut texts = StoreTexts::open(&store.path, files, places, boilerplate)
        .map_err(sqlite_error(&store.path))?;
    // The titles and URLs were left out of the rows: read with the text.
    texts.lean = untitled.is_some();
    fill_texts(
        &store.path,
        &texts,
        &mut articles,
        (o.full_text, untitled.as_deref()),
    )?;
    let mut all_problems = found.problems().to_vec();
    all_problems.extend(problems);
    let name = corpus_name(paths);
    Ok(Opened {
        corpus: Corpus {
            name,
            articles,
            problems: all_problems,
        },
        stories,
        texts: (!o.full_text).then(|| Arc::new(texts) as Arc<dyn TextSource>),
        reopen: Reopen {
            from_state: true,
            reused: found.paths().count(),
            ..Reopen::default()
        },
        notes,
    })
}

/// Reads the text of the untitled articles without it (whose listing shows their opening
/// words), or with `full_text` of every article without it (then without counts). Lean rows
/// (no titles) come with the list of their `untitled`.
fn fill_texts(
    db: &Path,
    texts: &StoreTexts,
    articles: &mut [Article],
    (full_text, untitled): (bool, Option<&[usize]>),
) -> Result<(), DerivedError> {
    let lacks_text = |a: &Article| a.counts.is_some() && a.paragraphs.is_empty();
    let wanted: Vec<usize> = match untitled {
        Some(u) if !full_text => u
            .iter()
            .copied()
            .filter(|&i| articles.get(i).is_some_and(lacks_text))
            .collect(),
        _ => (0..articles.len())
            .filter(|&i| {
                let a = &articles[i];
                lacks_text(a) && (full_text || a.title.trim().is_empty())
            })
            .collect(),
    };
    let filled: Vec<(usize, Option<crate::corpus::texts::ArticleText>)> = wanted
        .par_iter()
        .map(|&i| (i, texts.cleaned(i, &articles[i])))
        .collect();
    let mut missing = 0;
    for (i, t) in filled {
        match t {
            Some(t) => {
                let a = &mut articles[i];
                a.paragraphs = t.paragraphs;
                a.removed = t.removed;
                if full_text {
                    a.counts = None;
                }
            }
            None => missing += 1,
        }
    }
    if missing > 0 {
        return Err(DerivedError::Decode {
            path: db.to_path_buf(),
            what: format!("{missing} stored texts"),
        });
    }
    Ok(())
}

/// The corpus's name: its paths.
fn corpus_name(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The articles and problems stored for `file`; `None` when they are not all there or do not
/// decode (the file is then read again).
fn stored_load(store: &DerivedStore, file: &str) -> Result<Option<FileLoad>, DerivedError> {
    let err = sqlite_error(&store.path);
    let Some((count, problems)) = store
        .conn
        .query_row(
            "SELECT articles, problems FROM loads WHERE path = ?1",
            [file],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
        )
        .optional()
        .map_err(err)?
    else {
        return Ok(None);
    };
    let Ok(problems) = serde_json::from_slice::<Vec<LoadProblem>>(&problems) else {
        return Ok(None);
    };
    let mut stmt = store
        .conn
        .prepare_cached("SELECT text FROM articles WHERE path = ?1 ORDER BY n")
        .map_err(err)?;
    let mut rows = stmt.query([file]).map_err(err)?;
    let mut articles = Vec::new();
    let mut chunk: Vec<Vec<u8>> = Vec::new();
    let mut bad = false;
    let mut flush = |chunk: &mut Vec<Vec<u8>>, articles: &mut Vec<Article>| {
        let decoded: Vec<Option<Article>> =
            chunk.par_iter().map(|t| codec::decode(t, None)).collect();
        chunk.clear();
        for a in decoded {
            match a {
                Some(mut a) => {
                    // The file's articles share one path.
                    if let Some(last) = articles.last().map(|l: &Article| &l.path)
                        && *last == a.path
                    {
                        a.path = last.clone();
                    }
                    articles.push(a);
                }
                None => bad = true,
            }
        }
    };
    while let Some(row) = rows.next().map_err(err)? {
        chunk.push(row.get(0).map_err(err)?);
        if chunk.len() >= 4096 {
            flush(&mut chunk, &mut articles);
        }
    }
    flush(&mut chunk, &mut articles);
    if bad || i64::try_from(articles.len()).ok() != Some(count) {
        return Ok(None);
    }
    Ok(Some(FileLoad { articles, problems }))
}

/// Writes the rows of `batch` (articles `first..` of `file`) inside `tx`.
fn put_rows(
    tx: &rusqlite::Transaction<'_>,
    file: &str,
    first: usize,
    rows: &[Row],
) -> rusqlite::Result<()> {
    let mut put = tx.prepare_cached(
        "INSERT OR REPLACE INTO articles(path, n, text, raw) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (k, (text, raw)) in rows.iter().enumerate() {
        put.execute(params![file, crate::num::i64_from(first + k), text, raw])?;
    }
    Ok(())
}

/// Records that `file` is stored whole: its fingerprint, article count and problems.
fn put_load(
    tx: &rusqlite::Transaction<'_>,
    file: &str,
    print: &Fingerprint,
    count: usize,
    problems: &[LoadProblem],
) -> rusqlite::Result<()> {
    DerivedStore::put_fingerprint(tx, file, print)?;
    let problems = serde_json::to_vec(problems).unwrap_or_else(|_| b"[]".to_vec());
    tx.prepare_cached(
        "INSERT OR REPLACE INTO loads(path, articles, problems) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![file, crate::num::i64_from(count), problems])?;
    Ok(())
}

/// Encodes a batch on both cores and drops the raw text of its articles once stored (the
/// corpus in memory needs the cleaned text only).
fn encode_batch(articles: &mut [Article]) -> Vec<Row> {
    let rows = articles.par_iter().map(codec::encode).collect();
    for a in articles {
        a.raw = String::new();
        a.raw.shrink_to_fit();
        a.paragraphs.shrink_to_fit();
    }
    rows
}

/// The files of the corpus and how each compares with the store: keys, statuses, files gone.
type Scan<'a> = (&'a [String], Vec<FileStatus>, Vec<String>);

/// Re-reads the files that changed (and any whose rows are unusable), takes the others from
/// the store, then finishes the corpus as a first load does and stores the new state.
fn rebuild(
    store: &mut DerivedStore,
    (paths, found): (&[PathBuf], &Discovered),
    (keys, statuses, gone): Scan<'_>,
    o: &OpenOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
    (notes, old): (Vec<String>, Option<OldIds>),
) -> Result<Opened, DerivedError> {
    let path = store.path.clone();
    let err = sqlite_error(&path);
    // No state until it is whole again: a crash from here on rebuilds it, never trusts it.
    store.set_meta("state", None)?;
    {
        let tx = store.conn.transaction().map_err(err)?;
        for g in &gone {
            DerivedStore::forget(&tx, g).map_err(err)?;
        }
        tx.commit().map_err(err)?;
    }
    touch(store, keys, &statuses)?;
    let total = keys.len();
    let bytes: u64 = found
        .paths()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let shed = !o.full_text && bytes > o.shed_above;
    let mut loads: Vec<Option<FileLoad>> = Vec::with_capacity(total);
    for (k, s) in keys.iter().zip(&statuses) {
        loads.push(match s {
            FileStatus::Unchanged | FileStatus::Touched(_) => {
                stored_load(store, k)?.map(|mut l| {
                    if shed {
                        shed_texts(&mut l.articles);
                    }
                    l
                })
            }
            _ => None,
        });
    }
    let reused = loads.iter().filter(|l| l.is_some()).count();
    progress(Progress::Loading {
        done: reused,
        total,
    });
    let todo: Vec<usize> = (0..total).filter(|&i| loads[i].is_none()).collect();
    read_files(
        store,
        (found, keys, &statuses),
        &todo,
        &mut loads,
        (o, shed),
        (progress, reused),
    )?;
    crate::trace::mark("files read and stored");
    let reopen = Reopen {
        from_state: false,
        reused,
        read: todo.len(),
        removed: gone.len(),
        regrouped: None,
    };
    finish(
        store,
        (paths, found, keys),
        loads,
        o,
        progress,
        (reopen, notes, old),
    )
}

/// Reads the files `todo` (storing their rows and fingerprints), into `loads`, dropping the
/// text of their titled articles once stored when `shed` ([`shed_texts`]); `reused`: the
/// files already there, for the progress (which counts the bytes read).
fn read_files(
    store: &mut DerivedStore,
    (found, keys, statuses): (&Discovered, &[String], &[FileStatus]),
    todo: &[usize],
    loads: &mut [Option<FileLoad>],
    (o, shed): (&OpenOptions<'_>, bool),
    (progress, reused): (&(dyn Fn(Progress) + Sync), usize),
) -> Result<(), DerivedError> {
    let path = store.path.clone();
    let err = sqlite_error(&path);
    let total = keys.len();
    let mut load = o.load.clone();
    load.lean = false;
    load.counts_only = false;
    let files: Vec<&Path> = found.paths().collect();
    // Each file's size as the comparison with the store took it (a stat only where it took
    // none), by its place in `todo`.
    let sizes: Vec<u64> = todo
        .iter()
        .map(|&i| {
            statuses[i]
                .size()
                .unwrap_or_else(|| std::fs::metadata(files[i]).map_or(0, |m| m.len()))
        })
        .collect();
    let bytes: u64 = sizes.iter().sum();
    // About a hundred reports over the whole read.
    let step = (bytes / 100).clamp(64 << 10, 16 << 20);
    let mut read_bytes = 0;
    if !todo.is_empty() {
        progress(Progress::Reading {
            done: 0,
            total: bytes,
        });
    }
    let mut done = reused;
    let mut start = 0;
    while start < todo.len() {
        let i = todo[start];
        if found.streams(i) {
            let told = std::cell::Cell::new(0);
            let seen = |n: u64| {
                if n >= told.get() + step {
                    told.set(n);
                    progress(Progress::Reading {
                        done: (read_bytes + n).min(bytes),
                        total: bytes,
                    });
                }
            };
            loads[i] = Some(read_streamed(
                store,
                found,
                (i, &keys[i]),
                (files[i], &statuses[i]),
                (&load, shed),
                &seen,
            )?);
            read_bytes += sizes[start];
            start += 1;
            done += 1;
        } else {
            // A run of other files, 64 at a time on both cores, stored in one transaction.
            let end = (start..todo.len().min(start + 64))
                .find(|&j| found.streams(todo[j]))
                .unwrap_or(todo.len().min(start + 64));
            let run = &todo[start..end];
            let read: ReadRun = run
                .par_iter()
                .map(|&i| {
                    let mut out = FileLoad::default();
                    let read = std::sync::Arc::new(super::ReadHash::new());
                    found.load_each(i, &load, read.clone(), &mut |batch| out.append(batch));
                    let rows = encode_batch(&mut out.articles);
                    if shed {
                        shed_texts(&mut out.articles);
                    }
                    (out, rows, read)
                })
                .collect();
            let tx = store.conn.transaction().map_err(err)?;
            for (&i, (out, rows, read)) in run.iter().zip(read) {
                let print = fingerprint(files[i], &statuses[i], &read)?;
                DerivedStore::forget(&tx, &keys[i]).map_err(err)?;
                put_rows(&tx, &keys[i], 0, &rows).map_err(err)?;
                put_load(&tx, &keys[i], &print, out.articles.len(), &out.problems).map_err(err)?;
                loads[i] = Some(out);
            }
            tx.commit().map_err(err)?;
            done += run.len();
            read_bytes += sizes[start..end].iter().sum::<u64>();
            start = end;
        }
        progress(Progress::Reading {
            done: read_bytes.min(bytes),
            total: bytes,
        });
    }
    if !todo.is_empty() {
        progress(Progress::Loading { done, total });
    }
    Ok(())
}

/// Groups only the articles of the files added and changed, against the last state's
/// stories (see [`group::incremental`]): the articles of unchanged files come from the state
/// (no text read but the few their new candidates need), their stored grouping index gives
/// the candidates and the verdicts between them. `Err` (with the last stories' ids) when the
/// whole corpus must be grouped instead: no grouping index stored (an older stet), a large
/// change ([`LARGE_CHANGE`]), or a stored text that does not read; the files read are then
/// in the store, and `statuses` says so.
fn incremental(
    store: &mut DerivedStore,
    (paths, found): (&[PathBuf], &Discovered),
    (keys, statuses, gone): (&[String], &mut [FileStatus], &mut Vec<String>),
    prev: Decoded,
    o: &OpenOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
    notes: &mut Vec<String>,
) -> Result<Result<Opened, OldIds>, DerivedError> {
    const NONE: u32 = u32::MAX;
    let ids = OldIds::of(&prev);
    let Decoded {
        files: old_files,
        articles: old_articles,
        places: old_places,
        stories: old_stories,
        boilerplate,
        index,
        ..
    } = prev;
    let Some(old_index) = index.filter(|x| x.sampled.len() == old_articles.len()) else {
        return Ok(Err(ids));
    };
    // The old files that stay (same key, unchanged), by their number now.
    let now: rustc_hash::FxHashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut old_of_file: Vec<Option<usize>> = vec![None; keys.len()];
    for (of, f) in old_files.iter().enumerate() {
        if let Some(&i) = now.get(f.as_str())
            && matches!(statuses[i], FileStatus::Unchanged | FileStatus::Touched(_))
        {
            old_of_file[i] = Some(of);
        }
    }
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); old_files.len()];
    for (k, &(f, _)) in old_places.iter().enumerate() {
        if let Some(v) = by_file.get_mut(f as usize) {
            v.push(k);
        }
    }
    let kept: usize = old_of_file
        .iter()
        .flatten()
        .map(|&of| by_file[of].len())
        .sum();
    let large = |changed: usize, of: usize| {
        o.regroup == Regroup::Changed && num::f64_of(changed) > LARGE_CHANGE * num::f64_of(of)
    };
    if large(old_articles.len() - kept, old_articles.len()) {
        return Ok(Err(ids));
    }
    // As in `rebuild`: no state until it is whole again.
    let db = store.path.clone();
    let err = sqlite_error(&db);
    store.set_meta("state", None)?;
    {
        let tx = store.conn.transaction().map_err(err)?;
        for g in gone.iter() {
            DerivedStore::forget(&tx, g).map_err(err)?;
        }
        tx.commit().map_err(err)?;
    }
    touch(store, keys, statuses)?;
    let todo: Vec<usize> = (0..keys.len())
        .filter(|&i| old_of_file[i].is_none())
        .collect();
    let mut loads: Vec<Option<FileLoad>> = (0..keys.len()).map(|_| None).collect();
    read_files(
        store,
        (found, keys, statuses),
        &todo,
        &mut loads,
        (o, false),
        (progress, keys.len() - todo.len()),
    )?;
    for &i in &todo {
        // Stored now: grouping everything takes them from the store.
        statuses[i] = FileStatus::Unchanged;
    }
    let added: usize = loads.iter().flatten().map(|l| l.articles.len()).sum();
    if large(added, kept + added) {
        return Ok(Err(ids));
    }
    // The corpus in file order: the old articles of the files that stay, the new ones read.
    let mut new_of_old = vec![NONE; old_articles.len()];
    let mut old_articles: Vec<Option<Article>> = old_articles.into_iter().map(Some).collect();
    let mut articles: Vec<Article> = Vec::with_capacity(kept + added);
    let mut places: Vec<(u32, u32)> = Vec::with_capacity(kept + added);
    let mut fresh: Vec<bool> = Vec::with_capacity(kept + added);
    let mut file_problems = Vec::new();
    for (i, l) in loads.into_iter().enumerate() {
        if let Some(of) = old_of_file[i] {
            for &k in &by_file[of] {
                if let Some(a) = old_articles[k].take() {
                    new_of_old[k] = num::u32_of(articles.len());
                    places.push((num::u32_of(i), old_places[k].1));
                    fresh.push(false);
                    articles.push(a);
                }
            }
            file_problems.extend(stored_problems(store, &keys[i])?);
        } else if let Some(l) = l {
            for (n, a) in l.articles.into_iter().enumerate() {
                places.push((num::u32_of(i), num::u32_of(n)));
                fresh.push(true);
                articles.push(a);
            }
            file_problems.extend(l.problems);
        }
    }
    drop(old_articles);
    crate::corpus::identity::assign_ids(&mut articles);
    let known: rustc_hash::FxHashSet<u64> = articles
        .iter()
        .zip(&fresh)
        .filter(|(_, f)| !**f)
        .map(|(a, _)| crate::corpus::clean::source_key(a))
        .collect();
    let mut boilerplate = boilerplate;
    boilerplate.extend_and_apply(&mut articles, &fresh, &known);
    for (a, &f) in articles.iter_mut().zip(&fresh) {
        // Grouping saw no date taken from a dateline: taken again after it.
        if !f {
            a.undo_inferred_date();
        }
    }
    // What the last grouping left, in the numbering now.
    let (previous, old_ids) = carry_over(old_index, &old_stories, &new_of_old, articles.len());
    drop(old_stories);
    let fresh_count = fresh.iter().filter(|f| **f).count();
    let texts = StoreTexts::open(
        &store.path,
        keys.to_vec(),
        places.clone(),
        boilerplate.clone(),
    )
    .map_err(sqlite_error(&store.path))?;
    let text = |i: usize| {
        let a = &articles[i];
        texts.cleaned(i, a).map(|t| {
            let mut a = a.clone();
            a.paragraphs = t.paragraphs;
            a.removed = t.removed;
            a.counts = None;
            a
        })
    };
    let grouped =
        group::incremental::regroup(&articles, &fresh, previous, o.settings, &text, progress);
    drop(texts);
    let group::incremental::Regrouped {
        mut stories,
        index,
        with_text,
    } = match grouped {
        Ok(g) => g,
        Err(e) => {
            notes.push(format!("{e}; grouped again whole"));
            return Ok(Err(ids));
        }
    };
    // Dates from datelines with the text of the stories built again (a version put first
    // has the others' similarity measured again, as a first load measures it).
    let lent: Vec<usize> = with_text.iter().map(|(i, _)| *i).collect();
    for (i, mut a) in with_text {
        articles[i].paragraphs = std::mem::take(&mut a.paragraphs);
    }
    let mut corpus = Corpus {
        name: corpus_name(paths),
        articles,
        problems: Vec::new(),
    };
    crate::corpus::dateline_date::date_from_datelines(&mut corpus, &mut stories);
    for i in lent {
        corpus.articles[i].paragraphs = Vec::new();
    }
    group::incremental::keep_ids(&mut stories, &old_ids);
    let reopen = Reopen {
        from_state: false,
        reused: keys.len() - todo.len(),
        read: todo.len(),
        removed: gone.len(),
        regrouped: Some(fresh_count),
    };
    progress(Progress::Saving);
    store_and_open(
        store,
        (paths, found, keys),
        (corpus.articles, places, file_problems),
        (stories, boilerplate, index),
        o,
        (reopen, std::mem::take(notes)),
    )
    .map(Ok)
}

/// What the last grouping left (its index and stories), in the numbering of the `n`
/// articles now (`new_of_old`: each old article's number now, `u32::MAX` when it left), and
/// its stories for [`group::incremental::keep_ids`].
fn carry_over(
    old_index: GroupIndex,
    old_stories: &[Story],
    new_of_old: &[u32],
    n: usize,
) -> (group::incremental::Previous, Vec<OldStory>) {
    let at = |k: usize| new_of_old.get(k).copied().filter(|&j| j != u32::MAX);
    let mut sampled = vec![Vec::new(); n];
    let mut names = vec![Vec::new(); n];
    let GroupIndex {
        sampled: old_sampled,
        names: old_names,
        verdicts: old_verdicts,
    } = old_index;
    for (k, (s, m)) in old_sampled.into_iter().zip(old_names).enumerate() {
        if let Some(j) = at(k) {
            sampled[j as usize] = s;
            names[j as usize] = m;
        }
    }
    let verdicts: Vec<group::Checked> = old_verdicts
        .into_iter()
        .filter_map(|c| {
            let (a, b) = (at(c.a as usize)?, at(c.b as usize)?);
            Some(if a < b {
                group::Checked { a, b, ..c }
            } else {
                group::Checked {
                    a: b,
                    b: a,
                    cover: (c.cover.1, c.cover.0),
                    ..c
                }
            })
        })
        .collect();
    // A story whose first version left has no similarity worth keeping (they were measured
    // against it): given empty, its versions are measured again.
    let stories: Vec<Vec<(u32, f32)>> = old_stories
        .iter()
        .map(|s| {
            if s.versions.first().and_then(|v| at(v.article)).is_none() {
                return Vec::new();
            }
            s.versions
                .iter()
                .filter_map(|v| Some((at(v.article)?, v.similarity)))
                .collect()
        })
        .collect();
    let ids: Vec<OldStory> = old_stories
        .iter()
        .map(|s| OldStory {
            id: s.id.to_string(),
            first: s.versions.first().and_then(|v| at(v.article)),
            members: s.versions.iter().filter_map(|v| at(v.article)).collect(),
        })
        .collect();
    (
        group::incremental::Previous {
            index: GroupIndex {
                sampled,
                names,
                verdicts,
            },
            stories,
        },
        ids,
    )
}

/// The load problems stored for `file`.
fn stored_problems(store: &DerivedStore, file: &str) -> Result<Vec<LoadProblem>, DerivedError> {
    let got: Option<Vec<u8>> = store
        .conn
        .query_row("SELECT problems FROM loads WHERE path = ?1", [file], |r| {
            r.get(0)
        })
        .optional()
        .map_err(sqlite_error(&store.path))?;
    Ok(got
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default())
}

/// The fingerprint to store for a file just read: the one the check took, else taken now.
/// A new file's hash is the one `read` took as the file was read (the hash of what was
/// loaded), when it saw the file in order; else it is taken now.
pub(super) fn fingerprint(
    file: &Path,
    status: &FileStatus,
    read: &super::ReadHash,
) -> Result<Fingerprint, DerivedError> {
    let io = |source| DerivedError::Io {
        path: file.to_path_buf(),
        source,
    };
    match status {
        FileStatus::Touched(p) | FileStatus::Changed(p) | FileStatus::Added(p) => Ok(p.clone()),
        FileStatus::New(stat) => Ok(Fingerprint {
            stat: *stat,
            hash: match read.of_read() {
                Some(hash) => hash,
                None => super::content_hash(file).map_err(io)?,
            },
        }),
        FileStatus::Unchanged => Ok(Fingerprint {
            stat: super::stat(file).map_err(io)?,
            hash: super::content_hash(file).map_err(io)?,
        }),
    }
}

/// Reads a file that streams (JSONL, CSV, WARC) a block at a time, storing the blocks as they
/// come so that memory holds no raw text. The rows are written on a thread of their own
/// (while the next blocks are read, cleaned and encoded), a transaction per [`WRITE_BATCH`]
/// bytes of rows or so; the file counts as stored only when its last row is in (its `loads`
/// row is written last), so a crash midway leaves it to be read again.
fn read_streamed(
    store: &mut DerivedStore,
    found: &Discovered,
    (i, key): (usize, &str),
    (file, status): (&Path, &FileStatus),
    (load, shed): (&LoadOptions, bool),
    seen: &dyn Fn(u64),
) -> Result<FileLoad, DerivedError> {
    let path = store.path.clone();
    let err = sqlite_error(&path);
    {
        let tx = store.conn.transaction().map_err(err)?;
        DerivedStore::forget(&tx, key).map_err(err)?;
        tx.commit().map_err(err)?;
    }
    let read = std::sync::Arc::new(super::ReadHash::new());
    let conn = &mut store.conn;
    let (out, written) = std::thread::scope(|scope| {
        // At most WRITE_QUEUE blocks of rows in flight (about 26 MB): the reader runs ahead
        // of the writer by that much only.
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Row>)>(WRITE_QUEUE);
        let writer = scope.spawn(move || write_rows(conn, key, rx));
        // The blocks read are encoded on a thread of their own, so that encoding a block (on
        // both cores) overlaps the parsing of the next.
        let (btx, brx) = std::sync::mpsc::sync_channel::<FileLoad>(2);
        let encoder = scope.spawn(move || {
            let mut out = FileLoad::default();
            for mut batch in brx {
                let rows = encode_batch(&mut batch.articles);
                if shed {
                    shed_texts(&mut batch.articles);
                }
                // A writer that failed has hung up: the rest is read (and dropped) unstored.
                let _ = tx.send((out.articles.len(), rows));
                out.append(batch);
            }
            out
        });
        found.load_each(i, load, read.clone(), &mut |batch: FileLoad| {
            let _ = btx.send(batch);
            seen(read.bytes());
        });
        drop(btx);
        // A panic while encoding goes on as it would have on this thread.
        let out = encoder
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(rusqlite::Error::InvalidQuery));
        (out, written)
    });
    written.map_err(err)?;
    let print = fingerprint(file, status, &read)?;
    let tx = store.conn.transaction().map_err(err)?;
    put_load(&tx, key, &print, out.articles.len(), &out.problems).map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(out)
}

/// An article's encoded row: its text and its raw text.
type Row = (Vec<u8>, Vec<u8>);

/// Bytes of rows written in one transaction by [`write_rows`].
const WRITE_BATCH: usize = 16 << 20;

/// Blocks of rows waiting for [`write_rows`]: more than a transaction's worth (a block of JSON
/// lines gives about 0.4 MB of rows), so that the rows encoded while the writer commits one
/// transaction wait in the queue instead of stopping the encoding (with 4, at 1M generated
/// articles, encoding waited 9.3 s for the writer, which was busy only 19.7 s of the 43 s).
const WRITE_QUEUE: usize = 64;

/// Writes the blocks of rows received (each with the number of its first article in `file`),
/// a transaction per [`WRITE_BATCH`] bytes or so. Stops at the first error (hanging up).
fn write_rows(
    conn: &mut rusqlite::Connection,
    file: &str,
    rx: std::sync::mpsc::Receiver<(usize, Vec<Row>)>,
) -> rusqlite::Result<()> {
    // A transaction's pages fit in the page cache (else SQLite spills them to the log midway
    // and reads them back): the default cache is 2 MB.
    conn.pragma_update(None, "cache_size", -WRITE_CACHE_KB)?;
    let written = write_rows_cached(conn, file, rx);
    conn.pragma_update(None, "cache_size", -2000)?;
    written
}

/// SQLite's page cache while rows are written, in KiB (a transaction is [`WRITE_BATCH`]).
const WRITE_CACHE_KB: i64 = 48 << 10;

/// [`write_rows`] with the cache set.
fn write_rows_cached(
    conn: &mut rusqlite::Connection,
    file: &str,
    rx: std::sync::mpsc::Receiver<(usize, Vec<Row>)>,
) -> rusqlite::Result<()> {
    let mut pending: Vec<(usize, Vec<Row>)> = Vec::new();
    let mut bytes = 0;
    let mut flush = |pending: &mut Vec<(usize, Vec<Row>)>| -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        for (first, rows) in pending.drain(..) {
            put_rows(&tx, file, first, &rows)?;
        }
        tx.commit()
    };
    for (first, rows) in rx {
        bytes += rows.iter().map(|(t, r)| t.len() + r.len()).sum::<usize>();
        pending.push((first, rows));
        if bytes >= WRITE_BATCH {
            flush(&mut pending)?;
            bytes = 0;
        }
    }
    flush(&mut pending)
}

/// Makes ids unique, learns and removes source boilerplate, groups, and stores the state;
/// then (unless every text is wanted) keeps only metadata and counts in memory.
fn finish(
    store: &mut DerivedStore,
    (paths, found, keys): (&[PathBuf], &Discovered, &[String]),
    loads: Vec<Option<FileLoad>>,
    o: &OpenOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
    (reopen, notes, old): (Reopen, Vec<String>, Option<OldIds>),
) -> Result<Opened, DerivedError> {
    let total: usize = loads.iter().flatten().map(|l| l.articles.len()).sum();
    let mut places: Vec<(u32, u32)> = Vec::with_capacity(total);
    let mut articles: Vec<Article> = Vec::new();
    let mut file_problems = Vec::new();
    for (f, l) in loads.into_iter().enumerate() {
        let Some(l) = l else { continue };
        let n = l.articles.len();
        places.extend((0..n).map(|n| (crate::num::u32_of(f), crate::num::u32_of(n))));
        if articles.is_empty() {
            // The first file's articles stay where they are (at 1M articles in one file,
            // moving them one by one took 1.1 s).
            articles = l.articles;
            articles.reserve(total - n);
        } else {
            articles.extend(l.articles);
        }
        file_problems.extend(l.problems);
    }
    // Each source's boilerplate is learned from all its articles and taken out of them.
    progress(Progress::Cleaning {
        done: 0,
        total: articles.len(),
    });
    crate::corpus::identity::assign_ids(&mut articles);
    let boilerplate = remove_source_boilerplate(&mut articles);
    progress(Progress::Cleaning {
        done: articles.len(),
        total: articles.len(),
    });
    crate::trace::mark("ids assigned, source boilerplate learned");
    if !o.full_text {
        // Learned: the keys of the articles whose text was dropped go too (their text read
        // back is cleaned with the table), and with them most articles' out-of-line part.
        for a in articles.iter_mut().filter(|a| is_shed(a)) {
            if let Some(m) = a.more.as_deref_mut() {
                m.edge_keys = None;
                m.source_key = None;
            }
            a.compact();
        }
    }
    let (mut stories, index, lent) = if o.full_text {
        let (stories, index) = group::group_indexed(&articles, o.settings, progress);
        (stories, index, Vec::new())
    } else {
        group_dropping_texts(
            store,
            keys,
            &places,
            &boilerplate,
            &mut articles,
            o,
            progress,
        )?
    };
    // Dates from datelines (and the versions put back in date order) while the text is here.
    let mut corpus = Corpus {
        name: corpus_name(paths),
        articles,
        problems: Vec::new(),
    };
    crate::corpus::dateline_date::date_from_datelines(&mut corpus, &mut stories);
    crate::trace::mark("grouped, dates from datelines");
    for i in lent {
        corpus.articles[i].paragraphs = Vec::new();
        corpus.articles[i].compact();
    }
    if let Some(old) = old {
        group::incremental::keep_ids(&mut stories, &old.map(&corpus.articles));
    }
    progress(Progress::Saving);
    store_and_open(
        store,
        (paths, found, keys),
        (corpus.articles, places, file_problems),
        (stories, boilerplate, index),
        o,
        (reopen, notes),
    )
}

/// Groups `articles` (ids made unique, source boilerplate removed; their rows stored) holding
/// no text it need not hold: each article's counts are taken and its text dropped once its
/// features are (but for untitled articles, whose listing shows their opening words, as a
/// reopen keeps them), and the few texts verification reads again come from the store, as do
/// those of the stories whose versions may be put in another order by their datelines
/// (lent: put back in `articles`, to be dropped again after the dates). At 1M generated
/// articles the texts are about half of what a first open held at its peak.
#[allow(
    clippy::type_complexity,
    reason = "the stories, the index and the lent articles"
)]
fn group_dropping_texts(
    store: &DerivedStore,
    keys: &[String],
    places: &[(u32, u32)],
    boilerplate: &crate::corpus::clean::Boilerplate,
    articles: &mut [Article],
    o: &OpenOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(Vec<Story>, GroupIndex, Vec<usize>), DerivedError> {
    let unreadable = || DerivedError::Decode {
        path: store.path.clone(),
        what: "stored texts read back for grouping".into(),
    };
    let texts = StoreTexts::open(
        &store.path,
        keys.to_vec(),
        places.to_vec(),
        boilerplate.clone(),
    )
    .map_err(sqlite_error(&store.path))?;
    let text = |i: usize, a: &Article| {
        texts.cleaned(i, a).map(|t| {
            let mut a = a.clone();
            a.paragraphs = t.paragraphs;
            a.removed = t.removed;
            a
        })
    };
    // The rows of each run of articles are read on a thread of their own, a run or two ahead
    // of the features: reading them (SQLite, one row after another) left a core idle for
    // part of every run.
    let shed: Vec<bool> = articles.iter().map(is_shed).collect();
    let grouped = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Option<RunRows>>(ROWS_AHEAD);
        let (shed, path) = (&shed, &store.path);
        scope.spawn(move || {
            let conn = codec::open_read_only(path);
            for start in (0..shed.len()).step_by(group::FEATURE_CHUNK) {
                let end = (start + group::FEATURE_CHUNK).min(shed.len());
                let want: Vec<usize> = (0..end - start).filter(|&k| shed[start + k]).collect();
                let rows = conn.as_ref().ok().and_then(|c| {
                    read_rows(c, keys, places.get(start..end).unwrap_or(&[]), &want)
                        .ok()
                        .flatten()
                });
                // The grouping gave up (hung up), or a read failed (and grouping will).
                let failed = rows.is_none();
                if tx
                    .send(rows.map(|rows| RunRows { start, want, rows }))
                    .is_err()
                    || failed
                {
                    return;
                }
            }
        });
        let mut fill = |start: usize, run: &mut [Article]| match rx.recv() {
            Ok(Some(r)) if r.start == start => {
                if put_back(run, &r.want, r.rows, boilerplate) {
                    Ok(())
                } else {
                    Err(group::incremental::Unreadable(start))
                }
            }
            _ => Err(group::incremental::Unreadable(start)),
        };
        group::group_indexed_dropping(
            articles,
            o.settings,
            progress,
            (&mut fill, &counts_only),
            &text,
        )
    });
    let (stories, index) = grouped.map_err(|_| unreadable())?;
    // The stories a dateline may put in another order have their versions measured again.
    let wanted: Vec<usize> = stories
        .iter()
        .filter(|s| {
            s.versions.iter().any(|v| {
                let a = &articles[v.article];
                a.timestamp.is_none() && a.dateline.is_some()
            })
        })
        .flat_map(|s| s.versions.iter().map(|v| v.article))
        .filter(|&i| articles[i].paragraphs.is_empty())
        .collect();
    let read: Vec<Option<Vec<String>>> = wanted
        .par_iter()
        .map(|&i| texts.cleaned(i, &articles[i]).map(|t| t.paragraphs))
        .collect();
    for (&i, p) in wanted.iter().zip(read) {
        articles[i].paragraphs = p.ok_or_else(unreadable)?;
    }
    Ok((stories, index, wanted))
}

/// The corpus after grouping: its state stored (with the grouping index), then (unless
/// every text is wanted) only metadata and counts kept in memory.
fn store_and_open(
    store: &mut DerivedStore,
    (paths, found, keys): (&[PathBuf], &Discovered, &[String]),
    (mut articles, places, file_problems): (Vec<Article>, Vec<(u32, u32)>, Vec<LoadProblem>),
    (stories, boilerplate, index): (Vec<Story>, crate::corpus::clean::Boilerplate, GroupIndex),
    o: &OpenOptions<'_>,
    (reopen, notes): (Reopen, Vec<String>),
) -> Result<Opened, DerivedError> {
    let list: Vec<StateArticle<'_>> = articles
        .iter()
        .zip(&places)
        .map(|(a, &(f, n))| {
            // An article taken from the last state has no text, only its counts.
            let c = a.counts.unwrap_or_else(|| counts_of(a));
            StateArticle {
                article: a,
                f,
                n,
                counts: (c.paragraphs, c.words, c.removed),
            }
        })
        .collect();
    let head = Head {
        settings: o.settings.clone(),
        files: keys.to_vec(),
    };
    let enc =
        state::encode(&head, &list, &file_problems, &stories, &boilerplate).ok_or_else(|| {
            DerivedError::Decode {
                path: store.path.clone(),
                what: "the corpus state does not encode".into(),
            }
        })?;
    crate::trace::mark("state encoded");
    drop(list);
    put_state(store, &enc, index)?;
    crate::trace::mark("state stored and sealed");
    drop(enc);
    let lean = articles.iter().any(|a| a.counts.is_some());
    let texts = if o.full_text && !lean {
        None
    } else {
        for a in &mut articles {
            if a.counts.is_some() {
                // Taken from the last state: no text, its counts kept.
                continue;
            }
            counts_only(a);
        }
        let t = StoreTexts::open(&store.path, keys.to_vec(), places, boilerplate)
            .map_err(sqlite_error(&store.path))?;
        // Articles taken from the last state (grouped incrementally) have no text: the
        // untitled ones' (or, with `full_text`, every one's) is read, as a reopen reads it.
        if lean {
            fill_texts(&store.path, &t, &mut articles, (o.full_text, None))?;
        }
        (!o.full_text).then(|| Arc::new(t) as Arc<dyn TextSource>)
    };
    crate::trace::mark("texts dropped, store reopened");
    let mut problems = found.problems().to_vec();
    problems.extend(file_problems);
    Ok(Opened {
        corpus: Corpus {
            name: corpus_name(paths),
            articles,
            problems,
        },
        stories,
        texts,
        reopen,
        notes,
    })
}

/// Drops the text of the titled articles of a file just stored (or read from the store):
/// until their features are taken, they keep only the keys the source boilerplate is
/// learned from (an untitled article keeps its paragraphs: its listing shows
/// its opening words, with the boilerplate removed). [`read_back`] puts the text back.
fn shed_texts(articles: &mut [Article]) {
    for a in articles {
        if !a.title.trim().is_empty() {
            // Marks the text as dropped; the counts are taken from the text read back (the
            // source boilerplate learned meanwhile changes them only through the counts).
            a.counts = Some(BodyCounts::default());
            if let Some(m) = a.more.as_deref_mut() {
                m.paragraphs = Vec::new();
                m.removed = Vec::new();
            }
        }
    }
}

/// Whether `a`'s text was dropped by [`shed_texts`] and is still to be put back.
fn is_shed(a: &Article) -> bool {
    a.counts.is_some() && a.paragraphs.is_empty()
}

/// Rows read ahead for grouping ([`group_dropping_texts`]): those of the articles of the run
/// from `start` whose text was shed (`want`, places in the run), in that order.
struct RunRows {
    start: usize,
    want: Vec<usize>,
    rows: Vec<Option<Vec<u8>>>,
}

/// Runs of rows read ahead of the features (each about 15 MB at 4,096 generated articles).
const ROWS_AHEAD: usize = 2;

/// The stored rows of the articles `want` (places in a run whose articles are at `places`:
/// file number and place in the file), read a file's stretch at a time; `None` when a place
/// is not known.
fn read_rows(
    conn: &rusqlite::Connection,
    keys: &[String],
    places: &[(u32, u32)],
    want: &[usize],
) -> rusqlite::Result<Option<Vec<Option<Vec<u8>>>>> {
    let mut rows: Vec<Option<Vec<u8>>> = vec![None; want.len()];
    let mut stmt = conn
        .prepare_cached("SELECT n, text FROM articles WHERE path = ?1 AND n >= ?2 AND n <= ?3")?;
    let mut s = 0;
    while s < want.len() {
        let Some(&(f, _)) = places.get(want[s]) else {
            return Ok(None);
        };
        // The stretch of wanted articles of file `f`, by place.
        let mut slots: Vec<(u32, usize)> = Vec::new();
        while let Some(&(g, n)) = want.get(s).and_then(|&k| places.get(k))
            && g == f
        {
            slots.push((n, s));
            s += 1;
        }
        slots.sort_unstable();
        let (Some(file), Some(lo), Some(hi)) = (
            keys.get(f as usize),
            slots.first().map(|x| x.0),
            slots.last().map(|x| x.0),
        ) else {
            return Ok(None);
        };
        let mut got = stmt.query(params![file, lo, hi])?;
        while let Some(row) = got.next()? {
            let n: i64 = row.get(0)?;
            let Ok(n) = u32::try_from(n) else { continue };
            if let Ok(at) = slots.binary_search_by_key(&n, |x| x.0) {
                rows[slots[at].1] = Some(row.get(1)?);
            }
        }
    }
    Ok(Some(rows))
}

/// Puts the texts of `rows` (those of the articles `want` of `run`, [`read_rows`]) back in
/// their articles, decoded on both cores. False when a row is missing, does not decode, or
/// is another record's.
fn put_back(
    run: &mut [Article],
    want: &[usize],
    rows: Vec<Option<Vec<u8>>>,
    boilerplate: &crate::corpus::clean::Boilerplate,
) -> bool {
    if want.len() != rows.len() || want.iter().any(|&k| k >= run.len()) {
        return false;
    }
    // Only the start of each row is read (the rest of the article is in memory); a row
    // rewritten since (another stet re-read a changed file) is not this article's text.
    let decoded: Vec<Option<ArticleText>> = want
        .par_iter()
        .zip(rows.par_iter())
        .map(|(&k, row)| {
            let key = &run[k].key;
            codec::cleaned(
                row.as_deref()?,
                (&key.record, &key.hash),
                boilerplate,
                false,
            )
        })
        .collect();
    drop(rows);
    for (&k, d) in want.iter().zip(decoded) {
        let Some(d) = d else { return false };
        let a = &mut run[k];
        a.counts = None;
        a.paragraphs = d.paragraphs;
        a.removed = d.removed;
    }
    true
}

/// Keeps only the counts of an article's body, as a reopen has it: its text and what
/// cleaning computed go (an untitled article keeps its paragraphs: the list shows its opening
/// words), and most articles keep nothing out of line.
fn counts_only(a: &mut Article) {
    a.counts = Some(counts_of(a));
    if let Some(m) = a.more.as_deref_mut() {
        if !a.title.trim().is_empty() {
            m.paragraphs = Vec::new();
        }
        m.removed = Vec::new();
        m.edge_keys = None;
        m.source_key = None;
    }
    a.compact();
}

/// What the state keeps of an article's body.
fn counts_of(a: &Article) -> BodyCounts {
    let mut c = body_counts(&a.paragraphs);
    c.removed = crate::num::u32_of(a.removed.len());
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load::load_paths;

    /// A JSONL file of one source whose records end with the same line (learned as
    /// boilerplate), one of them untitled.
    fn corpus(dir: &Path) -> Vec<PathBuf> {
        let mut f = String::new();
        for i in 0..6 {
            f.push_str(
                &(serde_json::json!({
                    "id": format!("r{i}"),
                    "title": if i == 2 { String::new() } else { format!("Item {i}") },
                    "source": "kestrel",
                    "text": format!(
                        "Paragraph one of item {n} about the ferry.\n\nThe second paragraph \
                         of the {n} item.\n\nKestrel Daily is printed every morning at six.",
                        n = ["north", "south", "east", "west", "island", "river"][i]
                    ),
                })
                .to_string()
                    + "\n"),
            );
        }
        let path = dir.join("wire.jsonl");
        std::fs::write(&path, f).unwrap();
        vec![path]
    }

    /// Puts back the cleaned text of the articles of `run` whose text was shed, as grouping
    /// does a run at a time ([`read_rows`], then [`put_back`]; `places`: each article's file
    /// number and place in it). False when a row is missing, does not decode, or is another
    /// record's.
    fn read_back(
        store: &DerivedStore,
        keys: &[String],
        places: &[(u32, u32)],
        boilerplate: &crate::corpus::clean::Boilerplate,
        run: &mut [Article],
    ) -> Result<bool, DerivedError> {
        let want: Vec<usize> = (0..run.len()).filter(|&k| is_shed(&run[k])).collect();
        if want.is_empty() {
            return Ok(true);
        }
        let rows =
            read_rows(&store.conn, keys, places, &want).map_err(sqlite_error(&store.path))?;
        Ok(rows.is_some_and(|rows| put_back(run, &want, rows, boilerplate)))
    }

    /// The options of a first open that drops texts once stored above `shed_above` bytes.
    fn shedding<'a>(
        load: &'a LoadOptions,
        settings: &'a GroupSettings,
        shed_above: u64,
    ) -> OpenOptions<'a> {
        OpenOptions {
            shed_above,
            load,
            load_desc: "",
            settings,
            full_text: false,
            regroup: Regroup::default(),
            lean_rows: false,
        }
    }

    #[test]
    fn titled_texts_are_dropped_once_stored_and_read_back_cleaned_as_loaded() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = corpus(tmp.path());
        let cache = tmp.path().join("cache");
        let load = LoadOptions::default();
        let settings = GroupSettings::default();
        let o = shedding(&load, &settings, 0);
        open_corpus(&cache, &paths, &o, &|_| {}).unwrap();
        let cold = load_paths(&paths, &load, &|_| {}).articles;
        assert!(
            cold.iter().all(|a| a.removed.len() == 1),
            "the last line is learned as boilerplate"
        );
        let (store, _) = DerivedStore::open(&cache).unwrap();
        let keys = vec![paths[0].display().to_string()];
        let mut articles = stored_load(&store, &keys[0]).unwrap().unwrap().articles;
        shed_texts(&mut articles);
        for a in &articles {
            assert_eq!(a.paragraphs.is_empty(), !a.title.is_empty(), "{}", a.id);
            assert_eq!(is_shed(a), !a.title.is_empty());
        }
        let boilerplate = remove_source_boilerplate(&mut articles);
        assert!(!boilerplate.is_empty());
        let places: Vec<(u32, u32)> = (0..6).map(|n| (0, n)).collect();
        // Put back a run at a time, as grouping asks for them.
        let (first, rest) = articles.split_at_mut(3);
        assert!(read_back(&store, &keys, &places[..3], &boilerplate, first).unwrap());
        assert!(read_back(&store, &keys, &places[3..], &boilerplate, rest).unwrap());
        for (a, c) in articles.iter().zip(&cold) {
            assert!(!is_shed(a));
            assert_eq!(
                (&a.paragraphs, a.removed.len()),
                (&c.paragraphs, 1),
                "{}",
                a.id
            );
            assert_eq!(counts_of(a), counts_of(c));
        }
        // A place that holds another record is not read back as this one's text.
        let mut again = stored_load(&store, &keys[0]).unwrap().unwrap().articles;
        shed_texts(&mut again);
        let swapped = [(0, 1), (0, 0)];
        assert!(!read_back(&store, &keys, &swapped, &boilerplate, &mut again[..2]).unwrap());
    }

    /// Two JSONL files of `reports` reports each, every report in both (the second version
    /// with a paragraph more), in the same order: a report's versions are far apart.
    fn two_files(dir: &Path, reports: usize) -> Vec<PathBuf> {
        let words = [
            "harbour", "ferry", "council", "bridge", "market", "river", "school",
        ];
        let mut paths = Vec::new();
        for (f, name) in ["a.jsonl", "b.jsonl"].iter().enumerate() {
            let mut text = String::new();
            for r in 0..reports {
                let w = |k: usize| words[(r / 7usize.pow(u32::try_from(k).unwrap())) % 7];
                let body = format!(
                    "The {} {} of district {r} met on day {} to talk about the {} and the {}.\n\n\
                     Officials of district {r} said the {} plan for the {} would cost {r}0 \
                     crowns, and a vote on the {} was set for the week after.",
                    w(0),
                    w(1),
                    r % 28,
                    w(2),
                    w(3),
                    w(1),
                    w(0),
                    w(2)
                );
                let body = if f == 1 {
                    format!("{body}\n\nAn update followed.")
                } else {
                    body
                };
                text.push_str(
                    &(serde_json::json!({
                        "id": format!("{f}-{r}"),
                        "title": format!("District {r} meets"),
                        "source": if f == 0 { "kestrel" } else { "plover" },
                        "text": body,
                    })
                    .to_string()
                        + "\n"),
                );
            }
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            paths.push(path);
        }
        paths
    }

    #[test]
    fn a_first_open_tells_the_bytes_read_and_the_grouping_done_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = two_files(tmp.path(), 3000);
        // Files of many blocks each (the reader runs a few megabytes ahead of the parser): a
        // field no article reads makes each record a few kilobytes.
        for p in &paths {
            let padded: String = std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(|l| {
                    let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                    v["extra"] = "x".repeat(3000).into();
                    v.to_string() + "\n"
                })
                .collect();
            std::fs::write(p, padded).unwrap();
        }
        let bytes: u64 = paths
            .iter()
            .map(|p| std::fs::metadata(p).unwrap().len())
            .sum();
        let load = LoadOptions::default();
        let settings = GroupSettings::default();
        let o = shedding(&load, &settings, 0);
        let told = std::sync::Mutex::new(Vec::new());
        open_corpus(&tmp.path().join("cache"), &paths, &o, &|p| {
            told.lock().unwrap().push(p);
        })
        .unwrap();
        let told = told.into_inner().unwrap();
        // The stages in order: reading, the files done, each source's boilerplate, grouping,
        // storing the stories.
        let mut stages: Vec<&str> = told
            .iter()
            .map(|p| match p {
                Progress::Reading { .. } => "reading",
                Progress::Loading { .. } => "loading",
                Progress::Cleaning { .. } => "cleaning",
                Progress::Grouping { .. } => "grouping",
                Progress::Saving => "saving",
            })
            .collect();
        stages.dedup();
        assert_eq!(
            stages,
            [
                "loading", "reading", "loading", "cleaning", "grouping", "saving"
            ]
        );
        let read: Vec<u64> = told
            .iter()
            .filter_map(|p| match *p {
                Progress::Reading { done, total } => {
                    assert_eq!(total, bytes);
                    Some(done)
                }
                _ => None,
            })
            .collect();
        assert!(read.windows(2).all(|w| w[0] <= w[1]), "{read:?}");
        assert_eq!(read.first(), Some(&0));
        assert_eq!(read.last(), Some(&bytes));
        // Each file is told as it is read, not only once it is.
        let file = std::fs::metadata(&paths[0]).unwrap().len();
        assert!(
            read.iter().any(|&d| d > 0 && d < file),
            "{read:?} (the first file has {file} bytes)"
        );
        let (grouped, total): (Vec<usize>, usize) = {
            let g: Vec<(usize, usize)> = told
                .iter()
                .filter_map(|p| match *p {
                    Progress::Grouping { done, total } => Some((done, total)),
                    _ => None,
                })
                .collect();
            (g.iter().map(|x| x.0).collect(), g[0].1)
        };
        assert_eq!(total, 6000);
        assert!(grouped.windows(2).all(|w| w[0] <= w[1]), "{grouped:?}");
        assert_eq!(grouped.last(), Some(&total));
        // The candidate search and the verification each tell how far they are.
        let within = |from: usize, to: usize| grouped.iter().any(|&d| d > from && d < to);
        assert!(within(total / 3, total / 2), "{grouped:?}");
        assert!(within(total / 2, total * 3 / 4), "{grouped:?}");
    }

    #[test]
    fn texts_read_ahead_run_by_run_group_as_texts_kept_in_memory() {
        // More articles than a run of features, in two files (a run takes from both), each
        // report in two versions far apart: grouping reads the texts back a run or two ahead.
        let tmp = tempfile::tempdir().unwrap();
        let reports = group::FEATURE_CHUNK * 3 / 4;
        let paths = two_files(tmp.path(), reports);
        let load = LoadOptions::default();
        let settings = GroupSettings::default();
        let open = |shed_above: u64, dir: &str| {
            let o = shedding(&load, &settings, shed_above);
            let opened = open_corpus(&tmp.path().join(dir), &paths, &o, &|_| {}).unwrap();
            opened
                .stories
                .iter()
                .map(|s| {
                    let mut v: Vec<&str> = s
                        .versions
                        .iter()
                        .map(|v| opened.corpus.articles[v.article].id.as_str())
                        .collect();
                    v.sort_unstable();
                    v.join(" ")
                })
                .collect::<Vec<_>>()
        };
        let (read_back, kept) = (open(0, "shed"), open(u64::MAX, "kept"));
        assert_eq!(read_back, kept);
        let joined = kept.iter().filter(|s| s.contains(' ')).count();
        assert!(
            joined * 10 >= reports * 9,
            "{joined} of {reports} reports joined"
        );
    }

    #[test]
    fn rows_that_do_not_read_back_fail_the_grouping_and_leave_no_reader_waiting() {
        // Four runs: the reader is two runs ahead, waiting to hand over the third, when the
        // grouping gives up on the first.
        let tmp = tempfile::tempdir().unwrap();
        let paths = two_files(tmp.path(), group::FEATURE_CHUNK * 2);
        let (load, settings) = (LoadOptions::default(), GroupSettings::default());
        let o = shedding(&load, &settings, 0);
        let cache = tmp.path().join("cache");
        open_corpus(&cache, &paths, &o, &|_| {}).unwrap();
        let (store, _) = DerivedStore::open(&cache).unwrap();
        let keys: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let (mut articles, mut places) = (Vec::new(), Vec::new());
        for (f, key) in keys.iter().enumerate() {
            let load = stored_load(&store, key).unwrap().unwrap();
            for (n, a) in load.articles.into_iter().enumerate() {
                places.push((num::u32_of(f), num::u32_of(n)));
                articles.push(a);
            }
        }
        shed_texts(&mut articles);
        crate::corpus::identity::assign_ids(&mut articles);
        let boilerplate = remove_source_boilerplate(&mut articles);
        let group = |places: &[(u32, u32)], articles: &mut [Article]| {
            group_dropping_texts(&store, &keys, places, &boilerplate, articles, &o, &|_| {})
        };
        // Places of the first run that hold no row.
        let mut wrong = places.clone();
        for p in wrong.iter_mut().take(10) {
            p.1 += 1_000_000;
        }
        let mut again = articles.clone();
        match group(&wrong, &mut again) {
            Err(DerivedError::Decode { what, .. }) => assert!(what.contains("read back"), "{what}"),
            other => panic!("{:?}", other.map(|r| r.0.len())),
        }
        // The places right, the same articles group.
        let (stories, _, _) = group(&places, &mut articles).unwrap();
        assert!(stories.len() < articles.len());
    }
}
