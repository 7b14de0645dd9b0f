//! The user's data for one corpus in SQLite (`stet.db` in the corpus's data directory):
//! annotations, read marks and the reading position. Never rebuilt, never silently dropped.
//!
//! - WAL journal, `synchronous = FULL`: every write is one transaction, committed and on disk
//!   before the call returns, so whatever the UI shows survives a crash or a SIGKILL.
//! - Two stet processes on one corpus both write (SQLite's locks, a busy timeout): an
//!   annotation's highest revision wins; read marks are written as the changes this process
//!   made (marked, unmarked), so neither process overwrites the other's marks.
//! - Versioned migrations (`PRAGMA user_version`). On first open the JSONL annotation log and
//!   the reading-state file of earlier versions are imported in the same transaction, read
//!   back and compared, and only then renamed (`.imported`), never deleted.
//! - A database that fails `PRAGMA integrity_check` (or is not a database) is moved aside
//!   (`stet.db.corrupt-SECONDS`, with its `-wal` and `-shm`), reported, and a fresh one
//!   started, into which the imported files still kept are imported again.
//! - A data directory that cannot be written is opened read-only, and says so: annotations
//!   and marks are shown, changes refused.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::annotate::model::MAX_REVISION;
use crate::annotate::set::{AnnotationSet, LogRecord};
use crate::annotate::store::{AnnotationLog, StoreError};

/// The database file in a corpus's data directory.
pub const DB_FILE: &str = "stet.db";
/// The reading-state file of earlier versions (imported on first open).
pub(crate) const LEGACY_STATE_FILE: &str = "reading-state.json";
/// The annotation log of earlier versions (imported on first open).
pub(crate) const LEGACY_LOG_FILE: &str = crate::annotate::store::LOG_FILE;
/// What an imported file is renamed to: its name with this added.
pub(crate) const IMPORTED_SUFFIX: &str = ".imported";
/// The schema this stet writes.
pub(crate) const SCHEMA_VERSION: i64 = 1;

/// Errors of the user store.
#[derive(Debug, thiserror::Error)]
pub enum UserStoreError {
    /// SQLite failed.
    #[error("{path}: {source}")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// What failed.
        source: rusqlite::Error,
    },
    /// A file operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A write to a store opened read-only.
    #[error("{0}: the user data is open read-only ({1})")]
    ReadOnly(PathBuf, String),
    /// An annotation that cannot be serialised.
    #[error("cannot serialise an annotation: {0}")]
    Serialise(#[from] serde_json::Error),
    /// A revision past the largest stored exactly (never wrapped).
    #[error("revision {0} is past the largest ({MAX_REVISION}); refused")]
    Revision(u64),
}

fn sql_err(path: &Path) -> impl FnOnce(rusqlite::Error) -> UserStoreError + '_ {
    move |source| UserStoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> UserStoreError + '_ {
    move |source| UserStoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The reading state: read marks (story ids) and where the reader was.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Reading {
    /// Ids of the stories marked read.
    #[serde(default)]
    pub read: Vec<String>,
    /// The story selected when stet was left.
    #[serde(default)]
    pub selected: Option<String>,
    /// The sort order's name.
    #[serde(default)]
    pub sort: Option<String>,
    /// The source the list was filtered by.
    #[serde(default)]
    pub source_filter: Option<String>,
}

/// The user data of one corpus, open.
#[derive(Debug)]
pub struct UserStore {
    conn: Connection,
    path: PathBuf,
    read_only: Option<String>,
    /// The read marks as this process last knew them (loaded, then as saved).
    known_read: BTreeSet<String>,
    /// `PRAGMA data_version` when this process last looked: it changes when another
    /// connection commits.
    data_version: Option<i64>,
}

/// What another stet changed in the store since this one last looked ([`UserStore::changes`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Every annotation stored (the caller keeps those newer than its own).
    pub annotations: Vec<LogRecord>,
    /// Stories marked read meanwhile.
    pub read_added: Vec<String>,
    /// Stories marked unread meanwhile.
    pub read_removed: Vec<String>,
    /// Rows that could not be read.
    pub problems: Vec<String>,
}

/// A store just opened, with what it holds and what was met on the way.
#[derive(Debug)]
pub struct OpenedUser {
    /// The store, for further writes.
    pub store: UserStore,
    /// The annotations.
    pub set: AnnotationSet,
    /// The reading state, when one was saved.
    pub reading: Option<Reading>,
    /// What to tell the user (imports, a corrupt database moved aside, skipped rows).
    pub problems: Vec<String>,
}

const SCHEMA_V1: &str = "
CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE annotation_revisions (
    id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (id, revision)
);
CREATE TABLE read_marks (
    story TEXT PRIMARY KEY,
    marked_at INTEGER NOT NULL
);
CREATE TABLE reading_state (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE imports (
    file TEXT NOT NULL,
    at INTEGER NOT NULL,
    annotations INTEGER NOT NULL,
    read_marks INTEGER NOT NULL
);
";

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Whether files can be created in `dir` (it exists and is writable by us).
pub(crate) fn dir_writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".stet-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => true,
        Err(_) => false,
    }
}

/// What the earlier versions' files held.
#[derive(Debug, Default)]
struct Legacy {
    records: Vec<LogRecord>,
    reading: Option<Reading>,
    files: Vec<PathBuf>,
    problems: Vec<String>,
}

/// Reads the annotation log and reading state of earlier versions in `dir`, by the names
/// they have (`suffix`: "" for files not imported yet, [`IMPORTED_SUFFIX`] for kept ones).
fn read_legacy(dir: &Path, suffix: &str) -> Legacy {
    let mut out = Legacy::default();
    let log = dir.join(format!("{LEGACY_LOG_FILE}{suffix}"));
    if log.exists() {
        // The log parser of earlier versions: torn and bad lines reported, never fatal.
        let parsed =
            std::fs::read(&log).map(|bytes| crate::annotate::store::parse_log_bytes(&log, &bytes));
        match parsed {
            Ok((set, problems)) => {
                out.records = set.records();
                out.problems
                    .extend(problems.iter().map(|p| format!("import: {p}")));
                out.files.push(log);
            }
            Err(e) => out
                .problems
                .push(format!("{}: cannot import: {e}", log.display())),
        }
    }
    let state = dir.join(format!("{LEGACY_STATE_FILE}{suffix}"));
    match std::fs::read_to_string(&state) {
        Ok(text) => match serde_json::from_str::<Reading>(&text) {
            Ok(r) => {
                out.reading = Some(r);
                out.files.push(state);
            }
            Err(e) => {
                // As before: kept aside under another name, never deleted.
                let aside = PathBuf::from(format!("{}.corrupt-{}", state.display(), now_secs()));
                let kept = match std::fs::rename(&state, &aside) {
                    Ok(()) => format!("kept as {}", aside.display()),
                    Err(re) => format!("could not move it aside ({re}); left in place"),
                };
                out.problems.push(format!(
                    "{}: the reading state is corrupt ({e}); {kept}; not imported",
                    state.display()
                ));
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => out
            .problems
            .push(format!("{}: cannot read: {e}", state.display())),
    }
    out
}

impl UserStore {
    /// Opens (creating, migrating and importing as needed) the user data in `dir`. A `dir`
    /// that cannot be written opens read-only ([`UserStore::read_only_reason`]).
    pub fn open(dir: &Path) -> Result<OpenedUser, UserStoreError> {
        let _ = std::fs::create_dir_all(dir);
        if !dir_writable(dir) {
            let mut opened = UserStore::open_read_only(dir)?;
            opened.store.read_only = Some(format!(
                "the data directory {} cannot be written",
                dir.display()
            ));
            return Ok(opened);
        }
        let path = dir.join(DB_FILE);
        let mut problems = Vec::new();
        let existed = path.exists();
        let mut conn = open_rw(&path)?;
        let mut recovered = false;
        if existed && let Some(why) = integrity_problem(&conn) {
            drop(conn);
            let aside = move_aside(&path)?;
            problems.push(format!(
                "{}: the database is damaged ({why}); kept as {}; a new one is started{}",
                path.display(),
                aside.display(),
                if dir
                    .join(format!("{LEGACY_LOG_FILE}{IMPORTED_SUFFIX}"))
                    .exists()
                {
                    ", with the annotations imported earlier imported again"
                } else {
                    ""
                }
            ));
            conn = open_rw(&path)?;
            recovered = true;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql_err(&path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql_err(&path))?;
        let mut read_only = None;
        match migrate(&mut conn, &path, dir, recovered) {
            Ok(mut p) => problems.append(&mut p),
            Err(Migration::Newer(v)) => {
                read_only = Some(format!(
                    "the database was written by a newer stet (schema {v}; this one knows {SCHEMA_VERSION})"
                ));
            }
            Err(Migration::Failed(e)) => return Err(e),
        }
        let mut store = UserStore {
            conn,
            path,
            read_only,
            known_read: BTreeSet::new(),
            data_version: None,
        };
        let (set, reading, mut p) = store.load()?;
        problems.append(&mut p);
        Ok(OpenedUser {
            store,
            set,
            reading,
            problems,
        })
    }

    /// Opens the user data in `dir` for reading only: creates, migrates and imports nothing.
    /// Without a database, the files of earlier versions are read (a missing store is empty).
    pub fn open_read_only(dir: &Path) -> Result<OpenedUser, UserStoreError> {
        let path = dir.join(DB_FILE);
        if !path.exists() {
            return UserStore::legacy_only(dir);
        }
        UserStore::open_db_read_only(dir)
    }

    /// The files of earlier versions, read into memory (no database yet).
    fn legacy_only(dir: &Path) -> Result<OpenedUser, UserStoreError> {
        let path = dir.join(DB_FILE);
        let legacy = read_legacy(dir, "");
        let mut set = AnnotationSet::new();
        for r in legacy.records {
            set.apply(r);
        }
        let conn = Connection::open_in_memory().map_err(sql_err(&path))?;
        let known_read = legacy
            .reading
            .as_ref()
            .map(|r| r.read.iter().cloned().collect())
            .unwrap_or_default();
        Ok(OpenedUser {
            store: UserStore {
                conn,
                path,
                read_only: Some("opened for reading".into()),
                known_read,
                data_version: None,
            },
            set,
            reading: legacy.reading,
            problems: legacy.problems,
        })
    }

    fn open_db_read_only(dir: &Path) -> Result<OpenedUser, UserStoreError> {
        let path = dir.join(DB_FILE);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut problems = Vec::new();
        let version =
            |c: &Connection| c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0));
        let conn = match Connection::open_with_flags(&path, flags)
            .and_then(|c| version(&c).map(|_| c))
        {
            Ok(c) => c,
            Err(_) => {
                // A WAL database in a folder we cannot write: read it as it stands on disk.
                let uri = format!("file:{}?immutable=1", path.display());
                let c = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(sql_err(&path))?;
                problems.push(format!(
                    "{}: read as it stands on disk (the folder cannot be written); changes not yet checkpointed by another stet may be missing",
                    path.display()
                ));
                c
            }
        };
        let _ = conn.busy_timeout(std::time::Duration::from_secs(10));
        match version(&conn) {
            // Created but never migrated (a stet killed while creating it): nothing in it yet.
            Ok(0) => return UserStore::legacy_only(dir),
            Ok(v) if v > SCHEMA_VERSION => problems.push(format!(
                "{}: written by a newer stet (schema {v}); read as far as this one knows it",
                path.display()
            )),
            Ok(_) => {}
            Err(e) => return Err(sql_err(&path)(e)),
        }
        let mut store = UserStore {
            conn,
            path,
            read_only: Some("opened for reading".into()),
            known_read: BTreeSet::new(),
            data_version: None,
        };
        let (mut set, mut reading, mut p) = store.load()?;
        problems.append(&mut p);
        // Files of an older stet not imported yet: shown too.
        let legacy = read_legacy(dir, "");
        for r in legacy.records {
            set.apply(r);
        }
        if reading.is_none() {
            reading = legacy.reading;
        }
        problems.extend(legacy.problems);
        Ok(OpenedUser {
            store,
            set,
            reading,
            problems,
        })
    }

    /// Why this store cannot be written, if it cannot.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    fn writable(&self) -> Result<(), UserStoreError> {
        match &self.read_only {
            Some(r) => Err(UserStoreError::ReadOnly(self.path.clone(), r.clone())),
            None => Ok(()),
        }
    }

    /// What another process committed since this one last looked (None when nothing: one
    /// cheap `PRAGMA data_version`, fit to call every second): the read marks it added and
    /// removed, and the annotations as stored. Local marks not yet saved are not touched:
    /// the caller applies these differences to what it shows.
    pub fn changes(&mut self) -> Result<Option<Changes>, UserStoreError> {
        let path = self.path.clone();
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(sql_err(&path))?;
        if self.data_version.replace(version) == Some(version) {
            return Ok(None);
        }
        let (set, reading, problems) = self.read_all()?;
        let now: BTreeSet<String> = reading.read.into_iter().collect();
        let read_added: Vec<String> = now.difference(&self.known_read).cloned().collect();
        let read_removed: Vec<String> = self.known_read.difference(&now).cloned().collect();
        self.known_read = now;
        let annotations = set.records();
        if annotations.is_empty() && read_added.is_empty() && read_removed.is_empty() {
            return Ok(None);
        }
        Ok(Some(Changes {
            annotations,
            read_added,
            read_removed,
            problems,
        }))
    }

    /// Everything stored: annotations, reading state, and rows that could not be read.
    fn load(&mut self) -> Result<(AnnotationSet, Option<Reading>, Vec<String>), UserStoreError> {
        let version = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .ok();
        let (set, reading, problems) = self.read_all()?;
        self.data_version = version;
        self.known_read = reading.read.iter().cloned().collect();
        let any = !reading.read.is_empty()
            || reading.selected.is_some()
            || reading.sort.is_some()
            || reading.source_filter.is_some();
        Ok((set, any.then_some(reading), problems))
    }

    /// Reads the annotations and the reading state, in one read transaction.
    fn read_all(&mut self) -> Result<(AnnotationSet, Reading, Vec<String>), UserStoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sql_err(&path))?;
        let conn: &Connection = &tx;
        let mut problems = Vec::new();
        let mut set = AnnotationSet::new();
        {
            let mut stmt = conn
                .prepare("SELECT id, deleted, body FROM annotations")
                .map_err(sql_err(&path))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .map_err(sql_err(&path))?;
            for row in rows {
                let (id, deleted, body) = row.map_err(sql_err(&path))?;
                match serde_json::from_str::<crate::annotate::Annotation>(&body) {
                    Ok(a) => {
                        set.apply(if deleted != 0 {
                            LogRecord::Delete(a)
                        } else {
                            LogRecord::Put(a)
                        });
                    }
                    Err(e) => problems.push(format!(
                        "{}: annotation {id} cannot be read ({e}); kept in the database, not shown",
                        path.display()
                    )),
                }
            }
        }
        let read: Vec<String> = {
            let mut stmt = conn
                .prepare("SELECT story FROM read_marks ORDER BY story")
                .map_err(sql_err(&path))?;
            stmt.query_map([], |r| r.get::<_, String>(0))
                .map_err(sql_err(&path))?
                .collect::<Result<_, _>>()
                .map_err(sql_err(&path))?
        };
        let get = |k: &str| -> Result<Option<String>, UserStoreError> {
            conn.query_row("SELECT value FROM reading_state WHERE key = ?1", [k], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(sql_err(&path))
        };
        let reading = Reading {
            read,
            selected: get("selected")?,
            sort: get("sort")?,
            source_filter: get("source_filter")?,
        };
        tx.commit().map_err(sql_err(&path))?;
        Ok((set, reading, problems))
    }

    /// Stores `records` in one transaction (durable when this returns): per id the highest
    /// revision wins, as in the log; every revision is kept in the history.
    pub fn put_records(&mut self, records: &[LogRecord]) -> Result<(), UserStoreError> {
        self.writable()?;
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sql_err(&path))?;
        put_all(&tx, records, true).map_err(|e| match e {
            PutError::Sql(s) => UserStoreError::Sqlite {
                path: path.clone(),
                source: s,
            },
            PutError::Other(o) => o,
        })?;
        tx.commit().map_err(sql_err(&path))
    }

    /// Stores the reading state in one transaction: the read marks this process added or
    /// removed since it last loaded or saved them (among `known`, the stories it shows), and
    /// the position. Marks made by another stet meanwhile are kept.
    pub fn save_reading(
        &mut self,
        reading: &Reading,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<(), UserStoreError> {
        self.writable()?;
        let path = self.path.clone();
        let now: BTreeSet<String> = reading.read.iter().cloned().collect();
        let added: Vec<&String> = now.difference(&self.known_read).collect();
        let removed: Vec<&String> = self
            .known_read
            .difference(&now)
            .filter(|s| known(s))
            .collect();
        let tx = self.conn.transaction().map_err(sql_err(&path))?;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO read_marks(story, marked_at) VALUES (?1, ?2)
                     ON CONFLICT(story) DO NOTHING",
                )
                .map_err(sql_err(&path))?;
            for s in &added {
                ins.execute(params![s, now_secs()])
                    .map_err(sql_err(&path))?;
            }
            let mut del = tx
                .prepare_cached("DELETE FROM read_marks WHERE story = ?1")
                .map_err(sql_err(&path))?;
            for s in &removed {
                del.execute([s]).map_err(sql_err(&path))?;
            }
            let mut set = tx
                .prepare_cached(
                    "INSERT INTO reading_state(key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                )
                .map_err(sql_err(&path))?;
            for (k, v) in [
                ("selected", &reading.selected),
                ("sort", &reading.sort),
                ("source_filter", &reading.source_filter),
            ] {
                set.execute(params![k, v]).map_err(sql_err(&path))?;
            }
        }
        tx.commit().map_err(sql_err(&path))?;
        let added: Vec<String> = added.into_iter().cloned().collect();
        let removed: Vec<String> = removed.into_iter().cloned().collect();
        self.known_read.extend(added);
        for r in removed {
            self.known_read.remove(&r);
        }
        Ok(())
    }
}

impl AnnotationLog for UserStore {
    fn append(&mut self, record: &LogRecord) -> Result<(), StoreError> {
        self.put_records(std::slice::from_ref(record))
            .map_err(|e| StoreError::Io {
                path: self.path.clone(),
                source: std::io::Error::other(e.to_string()),
            })
    }
}

enum PutError {
    Sql(rusqlite::Error),
    Other(UserStoreError),
}

impl From<rusqlite::Error> for PutError {
    fn from(e: rusqlite::Error) -> Self {
        PutError::Sql(e)
    }
}

/// Stores `records`: per id the highest revision wins; an equal one replaces what is stored
/// when `equal_wins` (a change made here, as in the log), never for an import.
fn put_all(conn: &Connection, records: &[LogRecord], equal_wins: bool) -> Result<(), PutError> {
    let mut latest = conn.prepare_cached(if equal_wins {
        "INSERT INTO annotations(id, revision, deleted, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET revision = excluded.revision,
             deleted = excluded.deleted, body = excluded.body
         WHERE excluded.revision >= annotations.revision"
    } else {
        "INSERT INTO annotations(id, revision, deleted, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET revision = excluded.revision,
             deleted = excluded.deleted, body = excluded.body
         WHERE excluded.revision > annotations.revision"
    })?;
    let mut history = conn.prepare_cached(if equal_wins {
        "INSERT OR REPLACE INTO annotation_revisions(id, revision, deleted, body)
         VALUES (?1, ?2, ?3, ?4)"
    } else {
        "INSERT OR IGNORE INTO annotation_revisions(id, revision, deleted, body)
         VALUES (?1, ?2, ?3, ?4)"
    })?;
    for r in records {
        let a = r.annotation();
        if a.revision > MAX_REVISION {
            return Err(PutError::Other(UserStoreError::Revision(a.revision)));
        }
        let body = serde_json::to_string(a).map_err(|e| PutError::Other(e.into()))?;
        let deleted = matches!(r, LogRecord::Delete(_)) as i64;
        let id = a.id.to_string();
        let rev = i64::try_from(a.revision).unwrap_or(i64::MAX);
        latest.execute(params![id, rev, deleted, body])?;
        history.execute(params![id, rev, deleted, body])?;
    }
    Ok(())
}

pub(crate) fn open_rw(path: &Path) -> Result<Connection, UserStoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err(path))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(sql_err(path))?;
    Ok(conn)
}

/// Why the database is damaged, or None when `PRAGMA integrity_check` says ok.
pub(crate) fn integrity_problem(conn: &Connection) -> Option<String> {
    let result: Result<Vec<String>, rusqlite::Error> = (|| {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    })();
    match result {
        Ok(lines) if lines.len() == 1 && lines[0] == "ok" => None,
        Ok(lines) => Some(lines.into_iter().take(3).collect::<Vec<_>>().join("; ")),
        Err(e) => Some(e.to_string()),
    }
}

/// Moves the database and its WAL files aside (never deletes them); the new name.
pub(crate) fn move_aside(path: &Path) -> Result<PathBuf, UserStoreError> {
    let stamp = now_secs();
    let aside = PathBuf::from(format!("{}.corrupt-{stamp}", path.display()));
    std::fs::rename(path, &aside).map_err(io_err(path))?;
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", path.display()));
        if side.exists() {
            let to = PathBuf::from(format!("{}{ext}", aside.display()));
            std::fs::rename(&side, &to).map_err(io_err(&side))?;
        }
    }
    Ok(aside)
}

enum Migration {
    Newer(i64),
    Failed(UserStoreError),
}

/// Brings the schema to [`SCHEMA_VERSION`]; on the first migration imports the files of
/// earlier versions (`recovered`: also those imported before, into a fresh database that
/// replaced a damaged one), then verifies and renames them.
fn migrate(
    conn: &mut Connection,
    path: &Path,
    dir: &Path,
    recovered: bool,
) -> Result<Vec<String>, Migration> {
    let fail = |e: rusqlite::Error| {
        Migration::Failed(UserStoreError::Sqlite {
            path: path.to_path_buf(),
            source: e,
        })
    };
    let mut problems = Vec::new();
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(fail)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(fail)?;
    if version > SCHEMA_VERSION {
        return Err(Migration::Newer(version));
    }
    if version < 1 {
        tx.execute_batch(SCHEMA_V1).map_err(fail)?;
    }
    // Files of earlier versions: on the first migration, and whenever one appears later (an
    // older stet run on the same corpus): merged in, never left out.
    let mut legacy = read_legacy(dir, "");
    if version == SCHEMA_VERSION && legacy.files.is_empty() {
        return Ok(problems);
    }
    if recovered && legacy.files.is_empty() {
        legacy = read_legacy(dir, IMPORTED_SUFFIX);
        // Kept under their imported names: nothing to rename.
        legacy.files.clear();
    }
    problems.append(&mut legacy.problems);
    put_all(&tx, &legacy.records, false).map_err(|e| match e {
        PutError::Sql(s) => fail(s),
        PutError::Other(o) => Migration::Failed(o),
    })?;
    let marks = legacy.reading.as_ref().map_or(0, |r| r.read.len());
    if let Some(r) = &legacy.reading {
        for s in &r.read {
            tx.execute(
                "INSERT OR IGNORE INTO read_marks(story, marked_at) VALUES (?1, ?2)",
                params![s, now_secs()],
            )
            .map_err(fail)?;
        }
        for (k, v) in [
            ("selected", &r.selected),
            ("sort", &r.sort),
            ("source_filter", &r.source_filter),
        ] {
            tx.execute(
                "INSERT OR IGNORE INTO reading_state(key, value) VALUES (?1, ?2)",
                params![k, v],
            )
            .map_err(fail)?;
        }
    }
    for f in &legacy.files {
        tx.execute(
            "INSERT INTO imports(file, at, annotations, read_marks) VALUES (?1, ?2, ?3, ?4)",
            params![
                f.display().to_string(),
                now_secs(),
                crate::num::i64_from(legacy.records.len()),
                crate::num::i64_from(marks)
            ],
        )
        .map_err(fail)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(fail)?;
    tx.commit().map_err(fail)?;
    // Verified (read back from the committed database) before the files are renamed.
    if !legacy.files.is_empty() {
        match verify_import(conn, &legacy) {
            Ok(()) => {
                for f in &legacy.files {
                    let mut to = PathBuf::from(format!("{}{IMPORTED_SUFFIX}", f.display()));
                    if to.exists() {
                        // Imported once before: keep both copies.
                        to = PathBuf::from(format!(
                            "{}{IMPORTED_SUFFIX}-{}",
                            f.display(),
                            now_secs()
                        ));
                    }
                    match std::fs::rename(f, &to) {
                        Ok(()) => problems.push(format!(
                            "imported {} into {}; the file is kept as {}",
                            f.display(),
                            path.display(),
                            to.display()
                        )),
                        Err(e) => problems.push(format!(
                            "imported {} but could not rename it ({e}); it is left as it is",
                            f.display()
                        )),
                    }
                }
            }
            Err(why) => problems.push(format!(
                "the import of {} could not be verified ({why}); the files are left as they are",
                legacy
                    .files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    Ok(problems)
}

/// Whether every imported annotation and read mark is in the database at least as new.
fn verify_import(conn: &Connection, legacy: &Legacy) -> Result<(), String> {
    for r in &legacy.records {
        let a = r.annotation();
        let rev: Option<i64> = conn
            .query_row(
                "SELECT revision FROM annotations WHERE id = ?1",
                [a.id.to_string()],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        if rev.is_none_or(|v| u64::try_from(v).is_ok_and(|v| v < a.revision)) {
            return Err(format!("annotation {} missing", a.id));
        }
    }
    if let Some(r) = &legacy.reading {
        for s in &r.read {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM read_marks WHERE story = ?1",
                    [s],
                    |row| row.get(0),
                )
                .map_err(|e| e.to_string())?;
            if n != 1 {
                return Err(format!("read mark {s} missing"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
