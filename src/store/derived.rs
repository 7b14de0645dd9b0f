//! Derived data of a corpus in SQLite (`derived.db` in the corpus's cache dir): rebuildable,
//! so a damaged database is replaced, never repaired. So far it holds each file's
//! fingerprint, which tells which files changed since the last look, so that only they need
//! to be read and cleaned again, and the cleaned text of articles by key (deflated when it
//! pays), for reading text on demand.
//!
//! A fingerprint is the path, size, modification time, status-change time (ctime), inode and
//! a content hash (xxh3-128). When the size and the three times and inode are as stored the
//! file is unchanged (an edit that restores the old mtime still changes the ctime, which no
//! user call can set back); when any of them differs the content hash decides, so a file
//! only touched, or copied back unchanged, is not read again.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

/// The database file in a corpus's cache directory.
pub const DERIVED_DB_FILE: &str = "derived.db";
/// The schema this stet writes.
pub const DERIVED_SCHEMA: i64 = 2;

/// The error maker for SQLite failures on the database at `path`.
fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> DerivedError + Copy + '_ {
    move |source| DerivedError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// Errors of the derived store (a caller treats any as "rebuild").
#[derive(Debug, thiserror::Error)]
pub enum DerivedError {
    /// SQLite failed.
    #[error("{path}: {source}")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// What failed.
        source: rusqlite::Error,
    },
    /// A file could not be read or the directory created.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// What a scan found, against the last one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileChanges {
    /// Files as they were (by stat, or by content when only the stat changed).
    pub unchanged: Vec<PathBuf>,
    /// Files whose content changed.
    pub changed: Vec<PathBuf>,
    /// Files not seen before.
    pub added: Vec<PathBuf>,
    /// Files seen before and gone now.
    pub removed: Vec<String>,
    /// Files whose stat changed but not their content (hashed to decide).
    pub hashed_unchanged: usize,
}

/// The derived data of one corpus, open.
#[derive(Debug)]
pub struct DerivedStore {
    conn: Connection,
    path: PathBuf,
}

/// A file's stat as the fingerprint keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    size: i64,
    mtime_ns: i64,
    ctime_ns: i64,
    inode: i64,
}

fn stat(path: &Path) -> std::io::Result<Stat> {
    let m = std::fs::metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(Stat {
            size: m.size() as i64,
            mtime_ns: m.mtime().saturating_mul(1_000_000_000) + m.mtime_nsec(),
            ctime_ns: m.ctime().saturating_mul(1_000_000_000) + m.ctime_nsec(),
            inode: m.ino() as i64,
        })
    }
    #[cfg(not(unix))]
    {
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        Ok(Stat {
            size: m.len() as i64,
            mtime_ns: mtime,
            ctime_ns: 0,
            inode: 0,
        })
    }
}

/// The content hash of a file (xxh3-128, hex), read in blocks.
fn content_hash(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("{:032x}", h.digest128()))
}

impl DerivedStore {
    /// Opens (creating) the derived data in `dir`; a damaged or foreign database is removed
    /// and started again (everything in it can be rebuilt). The second value says so.
    pub fn open(dir: &Path) -> Result<(DerivedStore, Option<String>), DerivedError> {
        std::fs::create_dir_all(dir).map_err(|source| DerivedError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DERIVED_DB_FILE);
        let mut note = None;
        let opened = Self::open_at(&path);
        let store = match opened {
            Ok(s) => s,
            Err(e) => {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
                note = Some(format!(
                    "{}: the cache database was unusable ({e}); rebuilt",
                    path.display()
                ));
                Self::open_at(&path)?
            }
        };
        Ok((store, note))
    }

    fn open_at(path: &Path) -> Result<DerivedStore, DerivedError> {
        let err = sqlite_error(path);
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        let ok: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(err)?;
        if ok != "ok" {
            return Err(err(rusqlite::Error::InvalidQuery));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        // Rebuildable: a crash may lose the last commits, never corrupt the file.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version != DERIVED_SCHEMA {
            conn.execute_batch(
                "DROP TABLE IF EXISTS files;
                 DROP TABLE IF EXISTS texts;
                 CREATE TABLE texts (
                     file TEXT NOT NULL,
                     record TEXT NOT NULL,
                     hash TEXT NOT NULL,
                     nth INTEGER NOT NULL,
                     deflated INTEGER NOT NULL,
                     body BLOB NOT NULL,
                     PRIMARY KEY (file, record, hash, nth)
                 );
                 CREATE TABLE files (
                     path TEXT PRIMARY KEY,
                     size INTEGER NOT NULL,
                     mtime_ns INTEGER NOT NULL,
                     ctime_ns INTEGER NOT NULL,
                     inode INTEGER NOT NULL,
                     hash TEXT NOT NULL
                 );",
            )
            .map_err(err)?;
            conn.pragma_update(None, "user_version", DERIVED_SCHEMA)
                .map_err(err)?;
        }
        Ok(DerivedStore {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Compares `files` (every file of the corpus) with their fingerprints of the last scan,
    /// hashing only files whose stat changed, and stores the new fingerprints.
    pub fn scan(&mut self, files: &[PathBuf]) -> Result<FileChanges, DerivedError> {
        let path = self.path.clone();
        let err = sqlite_error(&path);
        let mut out = FileChanges::default();
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut get = tx
                .prepare_cached(
                    "SELECT size, mtime_ns, ctime_ns, inode, hash FROM files WHERE path = ?1",
                )
                .map_err(err)?;
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO files(path, size, mtime_ns, ctime_ns, inode, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err)?;
            for f in files {
                let key = f.display().to_string();
                let io = |source| DerivedError::Io {
                    path: f.clone(),
                    source,
                };
                let now = stat(f).map_err(io)?;
                let old = get
                    .query_row([&key], |r| {
                        Ok((
                            Stat {
                                size: r.get(0)?,
                                mtime_ns: r.get(1)?,
                                ctime_ns: r.get(2)?,
                                inode: r.get(3)?,
                            },
                            r.get::<_, String>(4)?,
                        ))
                    })
                    .optional()
                    .map_err(err)?;
                match old {
                    Some((s, _)) if s == now => {
                        out.unchanged.push(f.clone());
                        continue;
                    }
                    Some((_, hash)) => {
                        let h = content_hash(f).map_err(io)?;
                        if h == hash {
                            out.unchanged.push(f.clone());
                            out.hashed_unchanged += 1;
                        } else {
                            out.changed.push(f.clone());
                        }
                        put.execute(params![
                            key,
                            now.size,
                            now.mtime_ns,
                            now.ctime_ns,
                            now.inode,
                            h
                        ])
                        .map_err(err)?;
                    }
                    None => {
                        let h = content_hash(f).map_err(io)?;
                        out.added.push(f.clone());
                        put.execute(params![
                            key,
                            now.size,
                            now.mtime_ns,
                            now.ctime_ns,
                            now.inode,
                            h
                        ])
                        .map_err(err)?;
                    }
                }
            }
            let present: HashSet<String> = files.iter().map(|f| f.display().to_string()).collect();
            let mut all = tx.prepare_cached("SELECT path FROM files").map_err(err)?;
            let known: Vec<String> = all
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(err)?
                .collect::<Result<_, _>>()
                .map_err(err)?;
            let mut del = tx
                .prepare_cached("DELETE FROM files WHERE path = ?1")
                .map_err(err)?;
            for k in known {
                if !present.contains(&k) {
                    del.execute([&k]).map_err(err)?;
                    out.removed.push(k);
                }
            }
        }
        tx.commit().map_err(err)?;
        out.removed.sort();
        Ok(out)
    }
}

/// What storing texts took: bytes as written, bytes stored, how many were deflated.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TextStats {
    /// Texts stored.
    pub texts: usize,
    /// Bytes of the cleaned texts.
    pub raw_bytes: usize,
    /// Bytes stored (deflated where that saved at least a fifth).
    pub stored_bytes: usize,
    /// Texts stored deflated.
    pub deflated: usize,
}

/// Paragraphs as stored: a JSON array (any character in a paragraph survives).
fn encode_paragraphs(paragraphs: &[String]) -> Vec<u8> {
    serde_json::to_vec(paragraphs).unwrap_or_default()
}

impl DerivedStore {
    /// Stores the cleaned text of each article under its key (the text the reader asks for on
    /// demand, [`DerivedStore::text`]), deflated when that saves at least a fifth; one
    /// transaction.
    pub fn put_texts(
        &mut self,
        articles: &[crate::corpus::Article],
    ) -> Result<TextStats, DerivedError> {
        use std::io::Write;
        let path = self.path.clone();
        let err = sqlite_error(&path);
        let mut stats = TextStats::default();
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO texts(file, record, hash, nth, deflated, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err)?;
            for a in articles {
                let raw = encode_paragraphs(&a.paragraphs);
                let mut z = flate2::write::DeflateEncoder::new(
                    Vec::with_capacity(raw.len() / 2),
                    flate2::Compression::fast(),
                );
                let deflated = z.write_all(&raw).and_then(|()| z.finish()).ok();
                let (flag, body) = match deflated {
                    Some(d) if d.len() * 5 <= raw.len() * 4 => (1, d),
                    _ => (0i64, raw.clone()),
                };
                stats.texts += 1;
                stats.raw_bytes += raw.len();
                stats.stored_bytes += body.len();
                stats.deflated += flag as usize;
                let k = &a.key;
                put.execute(params![k.file, k.record, k.hash, k.nth, flag, body])
                    .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(stats)
    }

    /// The cleaned paragraphs of the article with `key`, when stored.
    pub fn text(
        &self,
        key: &crate::corpus::ArticleKey,
    ) -> Result<Option<Vec<String>>, DerivedError> {
        use std::io::Read as _;
        let row: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT deflated, body FROM texts
                 WHERE file = ?1 AND record = ?2 AND hash = ?3 AND nth = ?4",
                params![key.file, key.record, key.hash, key.nth],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(sqlite_error(&self.path))?;
        let Some((flag, body)) = row else {
            return Ok(None);
        };
        let bytes = if flag != 0 {
            let mut out = Vec::new();
            if flate2::read::DeflateDecoder::new(&body[..])
                .take(1 << 30)
                .read_to_end(&mut out)
                .is_err()
            {
                return Ok(None);
            }
            out
        } else {
            body
        };
        // A row that does not decode is a cache miss, never an error shown as text.
        Ok(serde_json::from_slice(&bytes).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_added_removed_and_touched_files_are_told_apart() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let a = tmp.path().join("a.txt");
        let b = tmp.path().join("b.txt");
        let c = tmp.path().join("c.txt");
        std::fs::write(&a, "Alpha text.").unwrap();
        std::fs::write(&b, "Beta text.").unwrap();
        let (mut s, note) = DerivedStore::open(&cache).unwrap();
        assert!(note.is_none());
        let first = s.scan(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(first.added, [a.clone(), b.clone()]);
        let again = s.scan(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(again.unchanged.len(), 2);
        assert_eq!(again.hashed_unchanged, 0);
        // Same length, old mtime put back: still noticed (ctime and content hash).
        let mtime = std::fs::metadata(&a).unwrap().modified().unwrap();
        std::fs::write(&a, "Alpha TEXT.").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        // Touched only: hashed, not changed.
        std::fs::File::options()
            .write(true)
            .open(&b)
            .unwrap()
            .set_modified(std::time::SystemTime::now())
            .unwrap();
        std::fs::write(&c, "Gamma.").unwrap();
        let next = s.scan(&[a.clone(), b.clone(), c.clone()]).unwrap();
        assert_eq!(next.changed, std::slice::from_ref(&a));
        assert_eq!(next.unchanged, std::slice::from_ref(&b));
        assert_eq!(next.hashed_unchanged, 1);
        assert_eq!(next.added, std::slice::from_ref(&c));
        let gone = s.scan(&[a.clone(), c.clone()]).unwrap();
        assert_eq!(gone.removed, [b.display().to_string()]);
    }

    #[test]
    fn texts_are_stored_deflated_when_it_pays_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut s, _) = DerivedStore::open(tmp.path()).unwrap();
        let sample = crate::corpus::sample::load_sample(&Default::default());
        let stats = s.put_texts(&sample.articles).unwrap();
        assert_eq!(stats.texts, sample.articles.len());
        assert!(stats.stored_bytes < stats.raw_bytes, "{stats:?}");
        for a in &sample.articles {
            assert_eq!(s.text(&a.key).unwrap().as_ref(), Some(&a.paragraphs));
        }
        let mut other = sample.articles[0].key.clone();
        other.hash = "0".repeat(16);
        assert_eq!(s.text(&other).unwrap(), None);
        eprintln!("sample corpus texts: {stats:?}");
    }

    /// Measures the deflate saving on real data (`../shared/data`), when present.
    #[test]
    fn text_compression_on_real_data() {
        let path = std::path::Path::new("../shared/data/reuters21578.jsonl");
        if !path.exists() {
            eprintln!("skipped: {} absent", path.display());
            return;
        }
        let corpus =
            crate::corpus::load::load_paths(&[path.to_path_buf()], &Default::default(), &|_| {});
        let tmp = tempfile::tempdir().unwrap();
        let (mut s, _) = DerivedStore::open(tmp.path()).unwrap();
        let stats = s.put_texts(&corpus.articles).unwrap();
        assert_eq!(stats.texts, corpus.articles.len());
        eprintln!("reuters21578 texts: {stats:?}");
    }

    #[test]
    fn a_damaged_cache_database_is_rebuilt() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(DERIVED_DB_FILE), b"garbage, not sqlite").unwrap();
        let (mut s, note) = DerivedStore::open(tmp.path()).unwrap();
        assert!(note.unwrap().contains("rebuilt"));
        let f = tmp.path().join("x.txt");
        std::fs::write(&f, "x").unwrap();
        assert_eq!(s.scan(std::slice::from_ref(&f)).unwrap().added, [f]);
    }
}
