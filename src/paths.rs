//! Where stet keeps its per-user files: the data, config and cache directories, and a stable
//! key per corpus under which other modules keep that corpus's state, annotations and caches.
//!
//! Lookup order for each directory: the environment override (`STET_DATA_DIR`,
//! `STET_CONFIG_DIR`, `STET_CACHE_DIR`, used by tests), then for config `$XDG_CONFIG_HOME/stet`
//! (honoured on every platform), then the platform's directory from `directories::ProjectDirs`.

use std::path::{Path, PathBuf};

/// Environment variable that overrides the data directory.
pub(crate) const DATA_DIR_ENV: &str = "STET_DATA_DIR";
/// Environment variable that overrides the config directory.
pub(crate) const CONFIG_DIR_ENV: &str = "STET_CONFIG_DIR";
/// Environment variable that overrides the cache directory.
pub(crate) const CACHE_DIR_ENV: &str = "STET_CACHE_DIR";

/// The corpus key of the built-in sample corpus.
pub(crate) const SAMPLE_CORPUS_KEY: &str = "sample";

/// Why the per-user directories could not be found.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PathsError {
    /// No home directory, and no override set.
    #[error(
        "no home directory to keep stet's files in; set {DATA_DIR_ENV}, {CONFIG_DIR_ENV} and {CACHE_DIR_ENV}"
    )]
    NoHome,
}

/// The three per-user directories of stet. Nothing is created until a caller writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StetDirs {
    /// Annotations and reading state: what the user made and must never lose.
    pub data: PathBuf,
    /// `config.toml` and other settings the user edits.
    pub config: PathBuf,
    /// Derived files that can be rebuilt (the derived store, search indexes…).
    pub cache: PathBuf,
}

impl StetDirs {
    /// Finds the directories from the process environment.
    pub(crate) fn discover() -> Result<StetDirs, PathsError> {
        StetDirs::from_lookup(|name| std::env::var_os(name))
    }

    /// Finds the directories with `env` standing for the environment (for tests).
    pub(crate) fn from_lookup(
        env: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Result<StetDirs, PathsError> {
        let non_empty = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let project = directories::ProjectDirs::from("", "", "stet");
        let data = non_empty(DATA_DIR_ENV)
            .or_else(|| project.as_ref().map(|p| p.data_dir().to_path_buf()))
            .ok_or(PathsError::NoHome)?;
        let config = non_empty(CONFIG_DIR_ENV)
            .or_else(|| {
                // Only an absolute XDG path is valid (XDG Base Directory specification).
                non_empty("XDG_CONFIG_HOME")
                    .filter(|p| p.is_absolute())
                    .map(|p| p.join("stet"))
            })
            .or_else(|| project.as_ref().map(|p| p.config_dir().to_path_buf()))
            .ok_or(PathsError::NoHome)?;
        let cache = non_empty(CACHE_DIR_ENV)
            .or_else(|| project.as_ref().map(|p| p.cache_dir().to_path_buf()))
            .ok_or(PathsError::NoHome)?;
        Ok(StetDirs {
            data,
            config,
            cache,
        })
    }

    /// The user's config file.
    pub(crate) fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }

    /// The data directory of one corpus (annotations, reading state).
    pub fn corpus_data_dir(&self, key: &CorpusKey) -> PathBuf {
        self.data.join("corpora").join(key.as_str())
    }

    /// The cache directory of one corpus.
    pub(crate) fn corpus_cache_dir(&self, key: &CorpusKey) -> PathBuf {
        self.cache.join("corpora").join(key.as_str())
    }
}

/// The corpus's name as the reader shows it: the last part of each path (`bbc` for
/// `../shared/data/bbc`, the folder's own name for `.`), joined by ` + `; `sample` with none.
pub(crate) fn corpus_display_name(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "sample".into();
    }
    paths
        .iter()
        .map(|p| {
            let named = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .filter(|n| !n.is_empty());
            named
                .or_else(|| {
                    std::fs::canonicalize(p)
                        .or_else(|_| std::path::absolute(p))
                        .ok()?
                        .components()
                        .filter_map(|c| match c {
                            std::path::Component::Normal(n) => {
                                Some(n.to_string_lossy().into_owned())
                            }
                            _ => None,
                        })
                        .next_back()
                })
                .unwrap_or_else(|| p.display().to_string())
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The cache directory of the corpus read from `paths`; `None` for the built-in sample (no
/// paths) or when no cache directory can be found.
pub(crate) fn cache_dir_for(paths: &[PathBuf]) -> Option<PathBuf> {
    if paths.is_empty() {
        return None;
    }
    let dirs = StetDirs::discover().ok()?;
    Some(dirs.corpus_cache_dir(&CorpusKey::for_paths(paths)))
}

/// A stable name for a corpus, safe as a directory name: `sample` for the built-in corpus,
/// else a readable stem of the first path and a hash of all paths, canonicalised, sorted and
/// deduplicated (`bbc-3f9a0c1d2e4b5a69`). The same set of paths gives the same key whatever
/// their order or spelling (`./x` and `x`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CorpusKey(String);

impl CorpusKey {
    /// The key of the corpus made of `paths`; the sample corpus when `paths` is empty.
    pub fn for_paths(paths: &[PathBuf]) -> CorpusKey {
        if paths.is_empty() {
            return CorpusKey(SAMPLE_CORPUS_KEY.to_string());
        }
        let mut canonical: Vec<PathBuf> = paths.iter().map(|p| canonical_path(p)).collect();
        canonical.sort();
        canonical.dedup();
        let mut bytes = Vec::new();
        for p in &canonical {
            bytes.extend_from_slice(p.as_os_str().as_encoded_bytes());
            bytes.push(0);
        }
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let stem = canonical
            .first()
            .and_then(|p| p.file_stem())
            .map(|s| readable_stem(&s.to_string_lossy()))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "corpus".to_string());
        CorpusKey(format!("{stem}-{hash:016x}"))
    }

    /// The key as a string (a single path component).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CorpusKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The canonical form of `path`, or its absolute form when it does not exist (yet).
fn canonical_path(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Lower-case ASCII letters, digits, `-` and `_` of `stem`, at most 24 of them.
fn readable_stem(stem: &str) -> String {
    stem.chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(24)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::ffi::OsString;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn corpora_are_named_by_their_folders() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(corpus_display_name(&[]), "sample");
        assert_eq!(corpus_display_name(&[p("../shared/data/bbc")]), "bbc");
        assert_eq!(
            corpus_display_name(&[p("/x/news.jsonl"), p("y/")]),
            "news.jsonl + y"
        );
        let here = std::env::current_dir().unwrap();
        let own = here.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(corpus_display_name(&[p(".")]), own);
    }

    #[test]
    fn overrides_win() {
        let dirs = StetDirs::from_lookup(env_of(&[
            ("STET_DATA_DIR", "/d"),
            ("STET_CONFIG_DIR", "/c"),
            ("STET_CACHE_DIR", "/k"),
            ("XDG_CONFIG_HOME", "/xdg"),
        ]))
        .unwrap();
        assert_eq!(dirs.data, PathBuf::from("/d"));
        assert_eq!(dirs.config, PathBuf::from("/c"));
        assert_eq!(dirs.cache, PathBuf::from("/k"));
        assert_eq!(dirs.config_file(), PathBuf::from("/c/config.toml"));
    }

    #[test]
    fn xdg_config_home_is_honoured_when_absolute() {
        let dirs = StetDirs::from_lookup(env_of(&[
            ("STET_DATA_DIR", "/d"),
            ("STET_CACHE_DIR", "/k"),
            ("XDG_CONFIG_HOME", "/xdg"),
        ]))
        .unwrap();
        assert_eq!(dirs.config, PathBuf::from("/xdg/stet"));
        let relative = StetDirs::from_lookup(env_of(&[
            ("STET_DATA_DIR", "/d"),
            ("STET_CACHE_DIR", "/k"),
            ("XDG_CONFIG_HOME", "rel"),
        ]));
        if let Ok(dirs) = relative {
            assert_ne!(dirs.config, PathBuf::from("rel/stet"));
        }
    }

    #[test]
    fn corpus_key_is_sample_without_paths() {
        assert_eq!(CorpusKey::for_paths(&[]).as_str(), "sample");
        let dirs = StetDirs {
            data: "/d".into(),
            config: "/c".into(),
            cache: "/k".into(),
        };
        assert_eq!(
            dirs.corpus_data_dir(&CorpusKey::for_paths(&[])),
            PathBuf::from("/d/corpora/sample")
        );
    }

    #[test]
    fn corpus_key_ignores_order_and_spelling() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("BBC News");
        let b = tmp.path().join("reuters.jsonl");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(&b, "").unwrap();
        let k1 = CorpusKey::for_paths(&[a.clone(), b.clone()]);
        let k2 = CorpusKey::for_paths(&[b.clone(), a.join("."), a.clone()]);
        assert_eq!(k1, k2);
        assert!(k1.as_str().starts_with("bbc-news-"), "{k1}");
        assert_eq!(k1.as_str().len(), "bbc-news-".len() + 16);
        let k3 = CorpusKey::for_paths(std::slice::from_ref(&b));
        assert_ne!(k1, k3);
        assert!(k3.as_str().starts_with("reuters-"), "{k3}");
    }
}
