//! What a search index was built from, so that a changed corpus is noticed: every file under
//! the corpus's paths with its size, modification time, change time and inode (the change time
//! moves on every write, even when the modification time is put back by hand), the load and
//! grouping options, and for the built-in sample a hash of its text.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Format version of the index and its manifest; bump when either changes, or the rows of
/// the derived store an index reads its snippets from (through its locator, without the
/// store's schema check): 5 when the rows became binary (derived schema 5), so that no index
/// reads rows of a form its stet does not know.
pub(crate) const FORMAT: u32 = 5;

/// Most files stamped: past this the rest are summarised by their count (a corpus that big
/// is checked on its first files and its file count).
const MAX_FILES: usize = 2_000_000;

/// One file as the fingerprint sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Path as found under the corpus path given.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: i128,
    /// Status change time, nanoseconds since the epoch (0 where the platform has none).
    pub ctime: i128,
    /// Inode number (0 where the platform has none).
    pub inode: u64,
}

/// Everything a search index depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Index format version.
    pub format: u32,
    /// The stet version that built it (loading, cleaning and grouping change with it).
    pub stet: String,
    /// The corpus paths as given, made absolute (empty for the sample corpus).
    pub roots: Vec<String>,
    /// Every file under the roots (hidden ones skipped), sorted by path.
    pub files: Vec<FileStamp>,
    /// Files found past [`MAX_FILES`].
    pub more_files: usize,
    /// The load and grouping options, described.
    pub options: String,
    /// A hash of the corpus text where there are no files to stamp (the built-in sample).
    pub content: u64,
}

/// Everything an index depends on besides the files: the load options (`--field`,
/// `--keyword`, `--max-record-mb`) and the grouping settings (as JSON). The reader and
/// `stet search` describe the same settings the same way, so they share one index.
pub(crate) fn options_description(
    fields: &[String],
    keywords: &[String],
    max_record_mb: Option<u64>,
    group_json: &str,
) -> String {
    format!(
        "fields={fields:?} keywords={keywords:?} max_record_mb={max_record_mb:?} group={group_json}"
    )
}

impl Fingerprint {
    /// The fingerprint of the corpus at `paths` loaded with `options` (a description of the
    /// load and grouping settings). Walks and stats the files; reads none.
    pub(crate) fn of_paths(paths: &[PathBuf], options: &str) -> Fingerprint {
        let mut roots = Vec::new();
        let mut files = Vec::new();
        let mut more_files = 0;
        let mut seen_dirs = HashSet::new();
        for p in paths {
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            roots.push(abs.display().to_string());
            walk(&abs, &mut files, &mut more_files, &mut seen_dirs, 0);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Fingerprint {
            format: FORMAT,
            stet: env!("CARGO_PKG_VERSION").to_string(),
            roots,
            files,
            more_files,
            options: options.to_string(),
            content: 0,
        }
    }

    /// The fingerprint of a corpus without files (the built-in sample): `content` is a hash
    /// of its text.
    pub fn of_content(content: u64, options: &str) -> Fingerprint {
        Fingerprint {
            format: FORMAT,
            stet: env!("CARGO_PKG_VERSION").to_string(),
            roots: Vec::new(),
            files: Vec::new(),
            more_files: 0,
            options: options.to_string(),
            content,
        }
    }
}

/// A hash of a corpus's articles (ids, metadata and cleaned text).
pub fn corpus_content_hash(corpus: &crate::corpus::Corpus) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for a in &corpus.articles {
        for part in [a.id.as_str(), &a.path, &a.source, &a.title] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        h.update(a.date.as_deref().unwrap_or("").as_bytes());
        h.update(&[0]);
        for p in &a.paragraphs {
            h.update(p.as_bytes());
            h.update(&[1]);
        }
        h.update(&[2]);
    }
    h.digest()
}

fn walk(
    path: &Path,
    out: &mut Vec<FileStamp>,
    more: &mut usize,
    seen_dirs: &mut HashSet<(u64, u64)>,
    depth: usize,
) {
    let Ok(meta) = std::fs::metadata(path) else {
        // A missing root or a broken link is part of the fingerprint too.
        push(out, more, path.display().to_string(), None);
        return;
    };
    if meta.is_dir() {
        // Each folder once (symlink loops), and not deeper than any real corpus goes.
        if depth > 64 || !seen_dirs.insert(dev_inode(&meta)) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            walk(&e.path(), out, more, seen_dirs, depth + 1);
        }
    } else {
        push(out, more, path.display().to_string(), Some(&meta));
    }
}

fn push(
    out: &mut Vec<FileStamp>,
    more: &mut usize,
    path: String,
    meta: Option<&std::fs::Metadata>,
) {
    if out.len() >= MAX_FILES {
        *more += 1;
        return;
    }
    let Some(meta) = meta else {
        out.push(FileStamp {
            path,
            size: u64::MAX,
            mtime: 0,
            ctime: 0,
            inode: 0,
        });
        return;
    };
    let mtime = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
    let (ctime, inode) = change_time_inode(meta);
    out.push(FileStamp {
        path,
        size: meta.len(),
        mtime,
        ctime,
        inode,
    });
}

#[cfg(unix)]
fn change_time_inode(meta: &std::fs::Metadata) -> (i128, u64) {
    use std::os::unix::fs::MetadataExt;
    (
        i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
        meta.ino(),
    )
}

#[cfg(not(unix))]
fn change_time_inode(_meta: &std::fs::Metadata) -> (i128, u64) {
    (0, 0)
}

#[cfg(unix)]
fn dev_inode(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn dev_inode(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_same_size_edit_with_the_old_mtime_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.txt");
        std::fs::write(&f, "Jonas Pell spoke.").unwrap();
        let before = Fingerprint::of_paths(&[dir.path().to_path_buf()], "");
        let mtime = std::fs::metadata(&f).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&f, "Jonas Bell spoke.").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let after = Fingerprint::of_paths(&[dir.path().to_path_buf()], "");
        assert_eq!(before.files[0].size, after.files[0].size);
        assert_eq!(before.files[0].mtime, after.files[0].mtime);
        if cfg!(unix) {
            assert_ne!(before, after);
        }
        assert_eq!(
            after,
            Fingerprint::of_paths(&[dir.path().to_path_buf()], "")
        );
        assert_ne!(
            after,
            Fingerprint::of_paths(&[dir.path().to_path_buf()], "x")
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
        std::os::unix::fs::symlink(".", dir.path().join("again")).unwrap();
        let fp = Fingerprint::of_paths(&[dir.path().to_path_buf()], "");
        assert_eq!(fp.files.len(), 1, "{:?}", fp.files);
    }
}
