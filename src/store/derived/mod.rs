//! Derived data of a corpus in SQLite (`derived.db` in the corpus's cache dir): rebuildable,
//! so a damaged or old-schema database is replaced, never repaired, and the user is told.
//!
//! It holds each file's fingerprint, each file's articles as its loader gave them (cleaned,
//! text and raw text compressed (LZ4) when it pays), the problems met reading it, and the state of the
//! whole corpus (every article's metadata and counts, the stories, the source boilerplate
//! learned): [`open_corpus`] reopens an unchanged corpus from the state alone, without reading
//! a source file or holding any article text ([`StoreTexts`] reads it when shown), and after a
//! change re-reads and re-cleans only the files whose fingerprint changed.
//!
//! A fingerprint is the path, size, modification time, status-change time (ctime), inode and
//! a content hash (xxh3-128). When the size and the three times and inode are as stored the
//! file is unchanged (an edit that restores the old mtime still changes the ctime, which no
//! user call can set back); when any of them differs the content hash decides, so a file
//! only touched, or copied back unchanged, is not read again.

mod bytes;
mod codec;
mod delta;
mod grouping;
mod open;
mod row;
mod state;
#[cfg(test)]
mod tests_open;

pub(crate) use open::{
    OpenOptions, Opened, Regroup, config_desc, grouped_in_memory, load_and_group, open_corpus,
    reopen_if_current, shed_above,
};

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

/// The texts of a corpus's derived store opened again from their description
/// ([`crate::corpus::texts::TextSource::locator`], kept by a search index), without the corpus:
/// they answer [`crate::corpus::texts::TextSource::cleaned_at`] only (`None` when the
/// description is not one or the database cannot be opened). The database is opened on the
/// first text asked for: a search that shows no snippet does not open it.
pub(crate) fn reopen_texts(
    locator: &serde_json::Value,
) -> std::sync::Arc<dyn crate::corpus::texts::TextSource> {
    std::sync::Arc::new(codec::ReopenedTexts::new(locator.clone()))
}

/// The database file in a corpus's cache directory.
pub(crate) const DERIVED_DB_FILE: &str = "derived.db";
/// The file a store is built in from nothing, beside [`DERIVED_DB_FILE`], without a journal:
/// renamed into place when whole ([`DerivedStore::seal`]); one left by a crash is removed by
/// the next build.
const BUILDING_FILE: &str = "derived.db.building";
/// The schema this stet writes: 5 since the article rows are binary ([`row`]; JSON before).
pub(crate) const DERIVED_SCHEMA: i64 = 5;

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
    /// The database has another schema (another stet's): it is rebuilt.
    #[error("{path}: schema {found}, this stet writes schema {wants}", wants = DERIVED_SCHEMA)]
    Schema {
        /// The database.
        path: PathBuf,
        /// Its schema.
        found: i64,
    },
    /// A stored row does not decode.
    #[error("{path}: a stored row does not decode ({what})")]
    Decode {
        /// The database.
        path: PathBuf,
        /// What did not decode.
        what: String,
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

/// How long opening the derived database waits for another process holding it.
const OPEN_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl DerivedError {
    /// Whether the database is held by another process (busy or locked): not damage.
    fn is_busy(&self) -> bool {
        matches!(
            self,
            DerivedError::Sqlite { source, .. }
                if matches!(
                    source.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                )
        )
    }

    /// Whether the database is damaged or another program's or stet's (so it may be
    /// removed and built again); a busy, locked, unreadable or full database is not.
    fn is_damage(&self) -> bool {
        match self {
            DerivedError::Schema { .. } | DerivedError::Decode { .. } => true,
            DerivedError::Sqlite { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
            ),
            DerivedError::Io { .. } => false,
        }
    }
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
    /// The database (while it is built from nothing, the file it is built in).
    path: PathBuf,
    /// While the store is built from nothing ([`DerivedStore::open_or_build`]): where it goes
    /// when whole.
    building: Option<PathBuf>,
}

/// A file's stat as the fingerprint keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stat {
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
            size: i64::try_from(m.size()).unwrap_or(i64::MAX),
            mtime_ns: m.mtime().saturating_mul(1_000_000_000) + m.mtime_nsec(),
            ctime_ns: m.ctime().saturating_mul(1_000_000_000) + m.ctime_nsec(),
            // The inode's bits as SQLite's integer (what was stored before).
            inode: m.ino().cast_signed(),
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

/// A new file's content hash ([`content_hash`]) taken as the loader reads it, so that a first
/// open reads each file once (at 1M generated articles, hashing the 4.8 GB file before
/// reading it took 3-6 s on one core).
pub(super) struct ReadHash {
    /// The hash so far; `None` once the file was not read in order.
    state: std::sync::Mutex<Option<xxhash_rust::xxh3::Xxh3>>,
    /// Bytes seen, for the progress.
    bytes: std::sync::atomic::AtomicU64,
}

impl ReadHash {
    pub(super) fn new() -> ReadHash {
        ReadHash {
            state: std::sync::Mutex::new(Some(xxhash_rust::xxh3::Xxh3::new())),
            bytes: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Bytes read so far (in order or not).
    pub(super) fn bytes(&self) -> u64 {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The content hash of the bytes read, when they were read in order from the file's
    /// start: the hash of what was loaded, even when the file grew or shrank while it was
    /// read (then it is not the hash of the file as it is now, and the next open sees the
    /// file changed and reads it again; hashing the file after reading it could take in
    /// records appended since, never loaded, and call them unchanged ever after).
    fn of_read(&self) -> Option<String> {
        let state = self.state.lock().ok()?;
        Some(format!("{:032x}", state.as_ref()?.digest128()))
    }
}

impl crate::corpus::load::ReadTap for ReadHash {
    fn read(&self, bytes: &[u8]) {
        self.bytes.fetch_add(
            u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            std::sync::atomic::Ordering::Relaxed,
        );
        if let Ok(mut state) = self.state.lock()
            && let Some(h) = state.as_mut()
        {
            h.update(bytes);
        }
    }

    fn spoil(&self) {
        if let Ok(mut state) = self.state.lock() {
            *state = None;
        }
    }
}

impl DerivedStore {
    /// Opens (creating) the derived data in `dir`; a damaged or foreign database is removed
    /// and started again (everything in it can be rebuilt). The second value says so.
    pub fn open(dir: &Path) -> Result<(DerivedStore, Option<String>), DerivedError> {
        Self::open_waiting(dir, OPEN_WAIT, false)
    }

    /// [`DerivedStore::open`] for a caller that holds the store's lock and will store a
    /// whole corpus state: when there is no database (or only a damaged one), it is built
    /// from nothing in a file of its own beside its place, without a journal (every page is
    /// written once, not to the write-ahead log and then again to the database), and put in
    /// place when its state is stored ([`DerivedStore::seal`]). A crash midway leaves only
    /// that file, which the next build removes: the database in place is always whole.
    pub(crate) fn open_or_build(
        dir: &Path,
    ) -> Result<(DerivedStore, Option<String>), DerivedError> {
        Self::open_waiting(dir, OPEN_WAIT, true)
    }

    /// [`DerivedStore::open`], waiting at most about `wait` for another process that holds
    /// the database. Only damage (not a database, a corrupt page, another stet's schema)
    /// removes it: a database another process holds (busy or locked past the wait, or while
    /// its last connection closes and checkpoints) is an error and stays as it is, for
    /// the caller to load without it this time.
    /// With `build` (the caller holds the store's lock), a missing or damaged database is
    /// built from nothing ([`DerivedStore::open_or_build`]).
    fn open_waiting(
        dir: &Path,
        wait: std::time::Duration,
        build: bool,
    ) -> Result<(DerivedStore, Option<String>), DerivedError> {
        std::fs::create_dir_all(dir).map_err(|source| DerivedError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DERIVED_DB_FILE);
        if build && !path.exists() {
            return Ok((Self::start_building(dir, &path)?, None));
        }
        let mut note = None;
        // SQLite answers "busy" without waiting in a few moments of WAL bookkeeping (another
        // process's last connection closing): asked again a few times before giving up.
        let mut opened = Self::open_at(&path, wait);
        for _ in 0..20 {
            match &opened {
                Err(e) if e.is_busy() => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    opened = Self::open_at(&path, wait);
                }
                _ => break,
            }
        }
        let store = match opened {
            Ok(s) => s,
            Err(e) if e.is_damage() => {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
                note = Some(format!("the cache database was unusable ({e}); rebuilt"));
                if build {
                    Self::start_building(dir, &path)?
                } else {
                    Self::open_at(&path, wait)?
                }
            }
            Err(e) => return Err(e),
        };
        Ok((store, note))
    }

    fn open_at(path: &Path, wait: std::time::Duration) -> Result<DerivedStore, DerivedError> {
        let err = sqlite_error(path);
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(wait).map_err(err)?;
        // Not `quick_check`: it reads the whole file (a second on a 100k corpus). A file that is
        // not a database fails here; a damaged page fails where it is read, and every row
        // read is checked as it decodes.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        // Rebuildable: a crash may lose the last commits, never corrupt the file.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version != DERIVED_SCHEMA {
            if version != 0 {
                // An older (or newer) stet's cache: rebuilt, said so.
                return Err(DerivedError::Schema {
                    path: path.to_path_buf(),
                    found: version,
                });
            }
            create_schema(&conn).map_err(err)?;
        }
        Ok(DerivedStore {
            conn,
            path: path.to_path_buf(),
            building: None,
        })
    }

    /// A store built from nothing in [`BUILDING_FILE`] beside `place` (any left there by a
    /// crash removed first), without a journal and without waiting for the disk: until
    /// [`DerivedStore::seal`] puts it at `place`, no other process reads it, and a crash
    /// leaves it to be removed.
    fn start_building(dir: &Path, place: &Path) -> Result<DerivedStore, DerivedError> {
        let path = dir.join(BUILDING_FILE);
        remove_database_files(&path).map_err(|source| DerivedError::Io {
            path: path.clone(),
            source,
        })?;
        let err = sqlite_error(&path);
        let conn = Connection::open(&path).map_err(err)?;
        conn.busy_timeout(OPEN_WAIT).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "OFF")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "OFF")
            .map_err(err)?;
        create_schema(&conn).map_err(err)?;
        Ok(DerivedStore {
            conn,
            path,
            building: Some(place.to_path_buf()),
        })
    }

    /// Puts a store built from nothing in its place, whole, and opens it there as every store
    /// is opened (write-ahead log); does nothing to a store opened in place. Its pages reach
    /// the disk before its name does, so a crash at any moment leaves either no database in
    /// place or this one whole.
    pub(crate) fn seal(&mut self) -> Result<(), DerivedError> {
        let Some(place) = self.building.take() else {
            return Ok(());
        };
        let built = self.path.clone();
        let err = sqlite_error(&built);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| DerivedError::Io { path, source }
        };
        // Nothing is in a journal: the change is only the header's, and the log is made when
        // the store is next written.
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory().map_err(err)?);
        conn.close().map_err(|(_, e)| err(e))?;
        std::fs::File::open(&built)
            .and_then(|f| f.sync_all())
            .map_err(io(&built))?;
        // A log or index left beside the place by a store gone (removed as damaged) is not
        // this store's.
        for ext in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{ext}", place.display()));
            match std::fs::remove_file(&side) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io(&side)(e));
                }
                _ => {}
            }
        }
        std::fs::rename(&built, &place).map_err(io(&place))?;
        if let Some(dir) = place.parent() {
            // The rename on disk too (best effort: not every system syncs a directory).
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        *self = Self::open_at(&place, OPEN_WAIT)?;
        Ok(())
    }

    /// Compares `files` (every file of the corpus) with their fingerprints of the last scan,
    /// hashing only files whose stat changed (a new file is hashed as it is read:
    /// [`FileStatus::New`]); writes nothing.
    pub(crate) fn check(&self, files: &[PathBuf]) -> Result<Vec<FileStatus>, DerivedError> {
        let err = sqlite_error(&self.path);
        let mut get = self
            .conn
            .prepare_cached(
                "SELECT size, mtime_ns, ctime_ns, inode, hash FROM files WHERE path = ?1",
            )
            .map_err(err)?;
        let mut out = Vec::with_capacity(files.len());
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
            out.push(match old {
                Some((s, _)) if s == now => FileStatus::Unchanged,
                Some((_, hash)) => {
                    let h = content_hash(f).map_err(io)?;
                    let print = Fingerprint { stat: now, hash: h };
                    if print.hash == hash {
                        FileStatus::Touched(print)
                    } else {
                        FileStatus::Changed(print)
                    }
                }
                None => FileStatus::New(now),
            });
        }
        Ok(out)
    }

    /// The files with a fingerprint that are not among `present`.
    pub(crate) fn gone(&self, present: &HashSet<String>) -> Result<Vec<String>, DerivedError> {
        let err = sqlite_error(&self.path);
        let mut all = self
            .conn
            .prepare_cached("SELECT path FROM files UNION SELECT path FROM loads")
            .map_err(err)?;
        let known: Vec<String> = all
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let mut gone: Vec<String> = known.into_iter().filter(|k| !present.contains(k)).collect();
        gone.sort();
        Ok(gone)
    }

    /// Stores `print` as the fingerprint of `file` (inside the caller's transaction).
    fn put_fingerprint(
        tx: &rusqlite::Transaction<'_>,
        file: &str,
        print: &Fingerprint,
    ) -> rusqlite::Result<()> {
        let s = &print.stat;
        tx.prepare_cached(
            "INSERT OR REPLACE INTO files(path, size, mtime_ns, ctime_ns, inode, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            file, s.size, s.mtime_ns, s.ctime_ns, s.inode, print.hash
        ])?;
        Ok(())
    }

    /// Forgets everything about `file`: its fingerprint, articles and problems.
    fn forget(tx: &rusqlite::Transaction<'_>, file: &str) -> rusqlite::Result<()> {
        for sql in [
            "DELETE FROM files WHERE path = ?1",
            "DELETE FROM loads WHERE path = ?1",
            "DELETE FROM articles WHERE path = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([file])?;
        }
        Ok(())
    }

    /// Compares `files` with their fingerprints of the last scan, hashing only files whose
    /// stat changed, and stores the new fingerprints (forgetting the files gone).
    pub fn scan(&mut self, files: &[PathBuf]) -> Result<FileChanges, DerivedError> {
        let statuses = self.check(files)?;
        let present: HashSet<String> = files.iter().map(|f| f.display().to_string()).collect();
        let gone = self.gone(&present)?;
        let path = self.path.clone();
        let err = sqlite_error(&path);
        let tx = self.conn.transaction().map_err(err)?;
        let mut out = FileChanges::default();
        for (f, status) in files.iter().zip(statuses) {
            let key = f.display().to_string();
            match status {
                FileStatus::Unchanged => out.unchanged.push(f.clone()),
                FileStatus::Touched(p) => {
                    Self::put_fingerprint(&tx, &key, &p).map_err(err)?;
                    out.unchanged.push(f.clone());
                    out.hashed_unchanged += 1;
                }
                FileStatus::Changed(p) => {
                    Self::put_fingerprint(&tx, &key, &p).map_err(err)?;
                    out.changed.push(f.clone());
                }
                FileStatus::Added(p) => {
                    Self::put_fingerprint(&tx, &key, &p).map_err(err)?;
                    out.added.push(f.clone());
                }
                FileStatus::New(stat) => {
                    let hash = content_hash(f).map_err(|source| DerivedError::Io {
                        path: f.clone(),
                        source,
                    })?;
                    Self::put_fingerprint(&tx, &key, &Fingerprint { stat, hash }).map_err(err)?;
                    out.added.push(f.clone());
                }
            }
        }
        for g in gone {
            Self::forget(&tx, &g).map_err(err)?;
            out.removed.push(g);
        }
        tx.commit().map_err(err)?;
        Ok(out)
    }

    /// A value of the `meta` table.
    fn meta(&self, name: &str) -> Result<Option<Vec<u8>>, DerivedError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sqlite_error(&self.path))
    }

    /// Sets (or with `None` removes) a value of the `meta` table.
    fn set_meta(&mut self, name: &str, value: Option<&[u8]>) -> Result<(), DerivedError> {
        let err = sqlite_error(&self.path);
        match value {
            Some(v) => self
                .conn
                .execute(
                    "INSERT OR REPLACE INTO meta(name, value) VALUES (?1, ?2)",
                    params![name, v],
                )
                .map_err(err)?,
            None => self
                .conn
                .execute("DELETE FROM meta WHERE name = ?1", [name])
                .map_err(err)?,
        };
        Ok(())
    }

    /// Forgets every file, article and the corpus state (the load options changed).
    fn wipe(&mut self) -> Result<(), DerivedError> {
        self.conn
            .execute_batch(
                "DELETE FROM files; DELETE FROM loads; DELETE FROM articles; DELETE FROM meta;",
            )
            .map_err(sqlite_error(&self.path))
    }
}

/// Creates the derived store's tables (dropping any there) and sets its schema version.
fn create_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS files;
                 DROP TABLE IF EXISTS texts;
                 DROP TABLE IF EXISTS loads;
                 DROP TABLE IF EXISTS articles;
                 DROP TABLE IF EXISTS meta;
                 CREATE TABLE files (
                     path TEXT PRIMARY KEY,
                     size INTEGER NOT NULL,
                     mtime_ns INTEGER NOT NULL,
                     ctime_ns INTEGER NOT NULL,
                     inode INTEGER NOT NULL,
                     hash TEXT NOT NULL
                 );
                 CREATE TABLE loads (
                     path TEXT PRIMARY KEY,
                     articles INTEGER NOT NULL,
                     problems BLOB NOT NULL
                 );
                 CREATE TABLE articles (
                     path TEXT NOT NULL,
                     n INTEGER NOT NULL,
                     text BLOB NOT NULL,
                     raw BLOB NOT NULL,
                     PRIMARY KEY (path, n)
                 );
                 CREATE TABLE meta (
                     name TEXT PRIMARY KEY,
                     value BLOB NOT NULL
                 );",
    )?;
    conn.pragma_update(None, "user_version", DERIVED_SCHEMA)
}

/// Removes the database at `path` and its journal, log and index, those that are there.
fn remove_database_files(path: &Path) -> std::io::Result<()> {
    for ext in ["", "-journal", "-wal", "-shm"] {
        match std::fs::remove_file(format!("{}{ext}", path.display())) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// A file's fingerprint: its stat and content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    stat: Stat,
    hash: String,
}

impl Fingerprint {
    /// A fingerprint no file has.
    fn none() -> Fingerprint {
        Fingerprint {
            stat: Stat {
                size: -1,
                mtime_ns: 0,
                ctime_ns: 0,
                inode: 0,
            },
            hash: String::new(),
        }
    }
}

/// How a file compares with its last fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileStatus {
    /// Size, times and inode as stored.
    Unchanged,
    /// The stat changed, the content did not (its new fingerprint).
    Touched(Fingerprint),
    /// The content changed.
    Changed(Fingerprint),
    /// Not seen before (its fingerprint given).
    Added(Fingerprint),
    /// Not seen before: its stat, its content hash to be taken as it is read ([`ReadHash`]).
    New(Stat),
}

impl FileStatus {
    /// The file's size as its stat was taken when it was compared, when that stat is here
    /// (every status but [`FileStatus::Unchanged`]).
    pub(crate) fn size(&self) -> Option<u64> {
        let stat = match self {
            FileStatus::Unchanged => return None,
            FileStatus::Touched(p) | FileStatus::Changed(p) | FileStatus::Added(p) => &p.stat,
            FileStatus::New(stat) => stat,
        };
        u64::try_from(stat.size).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_another_process_holds_is_reported_and_kept_not_rebuilt() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let (mut s, _) = DerivedStore::open(&cache).unwrap();
        s.set_meta("kept", Some(b"yes")).unwrap();
        drop(s);
        // Another process holding the database for writing, in a way that stops readers
        // too: an exclusive lock on a rollback journal.
        let db = cache.join(DERIVED_DB_FILE);
        let other = Connection::open(&db).unwrap();
        other
            .execute_batch(
                "PRAGMA journal_mode=DELETE; PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;",
            )
            .unwrap();
        let held = DerivedStore::open_waiting(&cache, std::time::Duration::from_millis(20), false);
        let e = held.expect_err("a held database does not open");
        assert!(e.is_busy(), "{e}");
        assert!(!e.is_damage());
        drop(other);
        // Still there, with what it held.
        let (s, note) = DerivedStore::open(&cache).unwrap();
        assert!(note.is_none(), "{note:?}");
        assert_eq!(s.meta("kept").unwrap().as_deref(), Some(&b"yes"[..]));
        // A file that is not a database is damage: removed, started again, said so.
        drop(s);
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        std::fs::write(&db, vec![b'x'; 8192]).unwrap();
        let (s, note) = DerivedStore::open(&cache).unwrap();
        assert!(note.unwrap().contains("rebuilt"));
        assert_eq!(s.meta("kept").unwrap(), None);
    }

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
    fn a_store_built_from_nothing_is_in_place_only_when_sealed() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let place = cache.join(DERIVED_DB_FILE);
        let building = cache.join(BUILDING_FILE);
        // A build that crashed before its state was stored: nothing in place.
        let (mut s, note) = DerivedStore::open_or_build(&cache).unwrap();
        assert!(note.is_none());
        assert_eq!(s.path, building);
        s.set_meta("half", Some(b"built")).unwrap();
        drop(s);
        assert!(!place.exists());
        assert!(building.exists());
        // A reader finds no store; the next build starts again from nothing.
        let (mut s, _) = DerivedStore::open_or_build(&cache).unwrap();
        assert_eq!(s.meta("half").unwrap(), None);
        s.set_meta("whole", Some(b"yes")).unwrap();
        // A log left beside the place by a store gone is not this store's.
        std::fs::write(format!("{}-wal", place.display()), b"stale log").unwrap();
        s.seal().unwrap();
        assert_eq!(s.path, place);
        assert!(!building.exists());
        let log = std::fs::read(format!("{}-wal", place.display())).unwrap_or_default();
        assert_ne!(log, b"stale log");
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        s.set_meta("after", Some(b"sealed")).unwrap();
        drop(s);
        let (s, note) = DerivedStore::open_or_build(&cache).unwrap();
        assert!(note.is_none(), "{note:?}");
        assert_eq!(s.path, place);
        assert_eq!(s.meta("whole").unwrap().as_deref(), Some(&b"yes"[..]));
        assert_eq!(s.meta("after").unwrap().as_deref(), Some(&b"sealed"[..]));
        // A damaged store in place is built again from nothing, said so.
        drop(s);
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", place.display()));
        }
        std::fs::write(&place, vec![b'x'; 8192]).unwrap();
        let (mut s, note) = DerivedStore::open_or_build(&cache).unwrap();
        assert!(note.unwrap().contains("rebuilt"));
        assert_eq!(s.path, building);
        assert!(!place.exists());
        s.seal().unwrap();
        assert_eq!(s.meta("whole").unwrap(), None);
        // Sealing a store opened in place does nothing.
        s.seal().unwrap();
        assert_eq!(s.path, place);
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
