//! The grouping cache: the stories of a corpus with the metadata of its articles, stored in
//! the corpus's cache dir (`paths::StetDirs::corpus_cache_dir`) so that reopening an unchanged corpus skips loading and grouping.
//!
//! Keyed by every file's path, size and modification time, the load options and the grouping
//! settings: a changed, added or removed file is noticed. A cache that cannot be read or does
//! not hold together is discarded, never trusted. This module does its own file I/O.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::GroupSettings;
use super::features::hash_bytes;
use crate::corpus::{Corpus, Story, StoryVersion};

/// Format version of the cache file; bump when its layout or the grouping changes.
const FORMAT: u32 = 4;

/// Errors of the cache (never fatal to the caller: a failed cache is a cache miss).
#[derive(Debug, Error)]
pub enum CacheError {
    /// Reading or writing failed.
    #[error("cache {path}: {source}")]
    Io {
        /// The file or dir concerned.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Encoding failed.
    #[error("cache encoding: {0}")]
    Encode(#[from] serde_json::Error),
}

/// One file of the corpus as the key sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Path of the file.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds since the epoch.
    pub mtime_secs: i64,
    /// Modification time: nanoseconds within the second.
    pub mtime_nanos: u32,
    /// Status-change time (ctime, nanoseconds since the epoch; 0 where unknown): an edit that
    /// puts the old mtime back still changes it, so a same-length edit is never missed.
    #[serde(default)]
    pub ctime_ns: i64,
}

/// Everything the cached result depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheKey {
    /// Cache format version.
    pub format: u32,
    /// The stet version that wrote it (loading, cleaning and grouping change with it).
    pub stet: String,
    /// The corpus paths as given (made absolute).
    pub roots: Vec<String>,
    /// Every file under the roots, sorted by path.
    pub files: Vec<FileStamp>,
    /// A description of the load options (field overrides).
    pub load: String,
    /// The grouping settings.
    pub settings: GroupSettings,
}

impl CacheKey {
    /// Builds the key of the corpus at `paths`: walks every file under them (names starting
    /// with '.' skipped) and stats it. `load` describes the load options.
    pub fn new(paths: &[PathBuf], load: &str, settings: &GroupSettings) -> CacheKey {
        let mut roots = Vec::new();
        let mut files = Vec::new();
        for p in paths {
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            roots.push(abs.display().to_string());
            walk(&abs, &mut files);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        CacheKey {
            format: FORMAT,
            stet: env!("CARGO_PKG_VERSION").to_string(),
            roots,
            files,
            load: load.to_string(),
            settings: settings.clone(),
        }
    }

    /// The cache file name for this key (by roots and load options; settings and files are
    /// checked inside).
    fn file_name(&self) -> String {
        let mut s = self.roots.join("\n");
        s.push('\0');
        s.push_str(&self.load);
        format!("stories-{:016x}.json", hash_bytes(s.as_bytes()))
    }
}

#[cfg(unix)]
fn ctime_ns(meta: &fs::Metadata) -> i64 {
    use std::os::unix::fs::MetadataExt;
    meta.ctime().saturating_mul(1_000_000_000) + meta.ctime_nsec()
}

#[cfg(not(unix))]
fn ctime_ns(_meta: &fs::Metadata) -> i64 {
    0
}

fn walk(path: &Path, out: &mut Vec<FileStamp>) {
    let Ok(meta) = fs::metadata(path) else {
        // A missing root is part of the key too.
        out.push(FileStamp {
            path: path.display().to_string(),
            size: u64::MAX,
            mtime_secs: 0,
            mtime_nanos: 0,
            ctime_ns: 0,
        });
        return;
    };
    if meta.is_dir() {
        let Ok(entries) = fs::read_dir(path) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            walk(&e.path(), out);
        }
    } else {
        let (secs, nanos) = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
            .map(|d| (d.as_secs() as i64, d.subsec_nanos()))
            .unwrap_or((0, 0));
        out.push(FileStamp {
            path: path.display().to_string(),
            size: meta.len(),
            mtime_secs: secs,
            mtime_nanos: nanos,
            ctime_ns: ctime_ns(&meta),
        });
    }
}

/// What is kept of an article: enough to list stories without loading the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// Article id.
    pub id: String,
    /// File it came from.
    pub path: String,
    /// Outlet.
    pub source: String,
    /// Headline.
    pub title: String,
    /// Date (ISO 8601 when parsed).
    pub date: Option<String>,
    /// The date is the day the dateline names (the record gave none).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub date_inferred: bool,
}

/// A story as cached: its versions are (article index, similarity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedStory {
    /// Story id.
    pub id: String,
    /// Representative headline.
    pub title: String,
    /// Versions: index into the cached articles and similarity to the first version.
    pub versions: Vec<(usize, f32)>,
    /// Distinct sources.
    pub sources: Vec<String>,
    /// First date.
    pub first_date: Option<String>,
    /// Last date.
    pub last_date: Option<String>,
    /// Related stories' ids.
    #[serde(default)]
    pub related: Vec<String>,
}

/// A grouped corpus as stored in the cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupedCorpus {
    /// What the result depends on.
    pub key: CacheKey,
    /// Metadata of every article, in corpus order.
    pub articles: Vec<ArticleMeta>,
    /// The load problems, as printed (`path:line: reason`).
    pub problems: Vec<String>,
    /// The stories.
    pub stories: Vec<CachedStory>,
}

impl GroupedCorpus {
    /// Captures the grouping of `corpus` under `key`.
    pub fn new(key: CacheKey, corpus: &Corpus, stories: &[Story]) -> GroupedCorpus {
        GroupedCorpus {
            key,
            articles: corpus
                .articles
                .iter()
                .map(|a| ArticleMeta {
                    id: a.id.clone(),
                    path: a.path.clone(),
                    source: a.source.clone(),
                    title: a.title.clone(),
                    date: a.date.clone(),
                    date_inferred: a.date_inferred,
                })
                .collect(),
            problems: corpus.problems.iter().map(|p| p.to_string()).collect(),
            stories: stories
                .iter()
                .map(|s| CachedStory {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    versions: s
                        .versions
                        .iter()
                        .map(|v| (v.article, v.similarity))
                        .collect(),
                    sources: s.sources.clone(),
                    first_date: s.first_date.clone(),
                    last_date: s.last_date.clone(),
                    related: s.related.clone(),
                })
                .collect(),
        }
    }

    /// The stories in the model's form (version indices into the corpus's articles).
    pub(crate) fn to_stories(&self) -> Vec<Story> {
        self.stories
            .iter()
            .map(|s| Story {
                id: s.id.clone(),
                title: s.title.clone(),
                versions: s
                    .versions
                    .iter()
                    .map(|&(article, similarity)| StoryVersion {
                        article,
                        similarity,
                    })
                    .collect(),
                sources: s.sources.clone(),
                first_date: s.first_date.clone(),
                last_date: s.last_date.clone(),
                related: s.related.clone(),
            })
            .collect()
    }

    /// Whether every article is in exactly one story and every index is in range.
    fn is_consistent(&self) -> bool {
        let mut seen = vec![false; self.articles.len()];
        for s in &self.stories {
            if s.versions.is_empty() {
                return false;
            }
            for &(i, sim) in &s.versions {
                if i >= seen.len() || seen[i] || !(0.0..=1.0).contains(&sim) {
                    return false;
                }
                seen[i] = true;
            }
        }
        seen.iter().all(|&x| x)
    }
}

/// Reads the cached grouping for `key` from `dir`: `None` when absent, stale (any file, the
/// settings or the load options differ) or corrupt (a corrupt file is removed).
pub fn load(dir: &Path, key: &CacheKey) -> Option<GroupedCorpus> {
    let path = dir.join(key.file_name());
    let bytes = fs::read(&path).ok()?;
    match serde_json::from_slice::<GroupedCorpus>(&bytes) {
        Ok(g) if g.is_consistent() => (g.key == *key).then_some(g),
        _ => {
            let _ = fs::remove_file(&path);
            None
        }
    }
}

/// Writes `grouped` to `dir` (atomically: see [`crate::atomic_file`]).
pub fn store(dir: &Path, grouped: &GroupedCorpus) -> Result<(), CacheError> {
    let path = dir.join(grouped.key.file_name());
    crate::atomic_file::write(&path, |w| Ok(serde_json::to_writer(w, grouped)?))
        .map_err(|source| CacheError::Io { path, source })
}

/// The stories of `corpus`, loaded from `paths` with the field options `fields`: from the
/// grouping cache in `dir` when the files, options and settings are unchanged, else grouped
/// now and cached there (no `dir`: grouped, not cached). A cache that could not be written
/// comes back as the error beside the stories: it only costs time on the next start.
pub(crate) fn group_cached(
    dir: Option<&Path>,
    paths: &[PathBuf],
    fields: &str,
    corpus: &Corpus,
    settings: &GroupSettings,
    progress: &dyn Fn(crate::corpus::Progress),
) -> (Vec<Story>, Option<CacheError>) {
    let Some(dir) = dir else {
        return (super::group(&corpus.articles, settings, progress), None);
    };
    let key = CacheKey::new(paths, fields, settings);
    if let Some(hit) = load(dir, &key)
        && hit.articles.len() == corpus.articles.len()
        && hit
            .articles
            .iter()
            .zip(&corpus.articles)
            .all(|(m, a)| m.id == a.id)
    {
        return (hit.to_stories(), None);
    }
    let stories = super::group(&corpus.articles, settings, progress);
    let error = store(dir, &GroupedCorpus::new(key, corpus, &stories)).err();
    (stories, error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Article;

    fn corpus() -> Corpus {
        Corpus {
            name: "t".into(),
            articles: (0..3)
                .map(|i| Article {
                    id: format!("a{i}"),
                    path: "f.jsonl".into(),
                    title: format!("T{i}"),
                    ..Article::default()
                })
                .collect(),
            problems: vec![],
        }
    }

    fn stories() -> Vec<Story> {
        vec![
            Story {
                id: "s1".into(),
                title: "T0".into(),
                versions: vec![
                    StoryVersion {
                        article: 0,
                        similarity: 1.0,
                    },
                    StoryVersion {
                        article: 2,
                        similarity: 0.5,
                    },
                ],
                sources: vec![String::new()],
                first_date: None,
                last_date: None,
                related: Vec::new(),
            },
            Story {
                id: "s2".into(),
                title: "T1".into(),
                versions: vec![StoryVersion {
                    article: 1,
                    similarity: 1.0,
                }],
                sources: vec![String::new()],
                first_date: None,
                last_date: None,
                related: Vec::new(),
            },
        ]
    }

    #[test]
    fn round_trip_then_changed_file_and_corrupt_cache_miss() {
        let data = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let file = data.path().join("f.jsonl");
        fs::write(&file, "{}\n").unwrap();
        let settings = GroupSettings::default();
        let key = CacheKey::new(&[data.path().to_path_buf()], "", &settings);
        assert_eq!(key.files.len(), 1);
        let g = GroupedCorpus::new(key.clone(), &corpus(), &stories());
        store(cache.path(), &g).unwrap();
        let back = load(cache.path(), &key).expect("a hit");
        assert_eq!(back.to_stories(), stories());

        // Other settings: a miss.
        let other = GroupSettings {
            min_containment: 0.9,
            ..GroupSettings::default()
        };
        let key2 = CacheKey::new(&[data.path().to_path_buf()], "", &other);
        assert!(load(cache.path(), &key2).is_none());

        // A changed file: a miss.
        fs::write(&file, "{}\n{}\n").unwrap();
        let key3 = CacheKey::new(&[data.path().to_path_buf()], "", &settings);
        assert!(load(cache.path(), &key3).is_none());

        // A removed file: a miss.
        fs::remove_file(&file).unwrap();
        let key4 = CacheKey::new(&[data.path().to_path_buf()], "", &settings);
        assert!(key4.files.is_empty());
        assert!(load(cache.path(), &key4).is_none());

        // A corrupt cache: discarded.
        let path = cache.path().join(key.file_name());
        fs::write(&path, b"{\"key\": garbage").unwrap();
        assert!(load(cache.path(), &key).is_none());
        assert!(!path.exists());
    }

    #[test]
    fn inconsistent_cache_is_discarded() {
        let data = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let key = CacheKey::new(&[data.path().to_path_buf()], "", &GroupSettings::default());
        let mut g = GroupedCorpus::new(key.clone(), &corpus(), &stories());
        g.stories[1].versions[0].0 = 0; // article 0 twice, article 1 nowhere
        store(cache.path(), &g).unwrap();
        assert!(load(cache.path(), &key).is_none());
    }
}
