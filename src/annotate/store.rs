//! Durable storage of a corpus's annotations: an append-only JSONL log of full snapshots
//! ([`LogRecord`]) in the corpus's data directory.
//!
//! - Every record is written as one line and flushed to disk (`fsync`) before `append`
//!   returns, so a change the UI shows is never lost.
//! - Loading replays the log: the highest revision of each id wins. A torn last line (a crash
//!   mid-write) is skipped and reported; it can only be the one unacknowledged change.
//! - Compaction rewrites the log through a temporary file, `fsync` and `rename`.
//! - An advisory lock (`annotations.lock`) lets one process write; a second one opens the
//!   store read-only and is told so.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::set::{AnnotationSet, LogRecord};

/// Name of the log file in a corpus's data directory.
pub const LOG_FILE: &str = "annotations.jsonl";
/// Name of the lock file beside it.
pub(crate) const LOCK_FILE: &str = "annotations.lock";

/// Errors of the annotation store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A write to a store opened read-only.
    #[error("{0}: the annotations are open read-only ({1})")]
    ReadOnly(PathBuf, String),
    /// A record that could not be serialised.
    #[error("cannot serialise an annotation: {0}")]
    Serialise(#[from] serde_json::Error),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A problem met while loading the log; loading goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreProblem {
    /// The last line was cut short by a crash mid-write: skipped (and cut off when writable).
    TornLastLine {
        /// The log file.
        path: PathBuf,
        /// Its line number (1-based).
        line: usize,
    },
    /// A complete line that is not a valid record: skipped.
    BadLine {
        /// The log file.
        path: PathBuf,
        /// Its line number (1-based).
        line: usize,
        /// Why it was refused.
        reason: String,
    },
    /// The lock could not be taken for a reason other than another holder.
    LockFailed {
        /// The lock file.
        path: PathBuf,
        /// The error.
        reason: String,
    },
}

impl std::fmt::Display for StoreProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreProblem::TornLastLine { path, line } => write!(
                f,
                "{}:{line}: last line cut short by an interrupted write; skipped (at most one change lost)",
                path.display()
            ),
            StoreProblem::BadLine { path, line, reason } => {
                write!(
                    f,
                    "{}:{line}: not an annotation record, skipped: {reason}",
                    path.display()
                )
            }
            StoreProblem::LockFailed { path, reason } => write!(
                f,
                "{}: could not take the lock ({reason}); another stet could write at the same time",
                path.display()
            ),
        }
    }
}

/// Where annotation changes go: the file store, or memory in tests of the app.
pub trait AnnotationLog {
    /// Makes `record` durable before returning.
    fn append(&mut self, record: &LogRecord) -> Result<(), StoreError>;
}

/// An in-memory log, for tests.
#[derive(Debug, Clone, Default)]
pub struct MemoryLog {
    /// The records appended, in order.
    pub records: Vec<LogRecord>,
}

impl AnnotationLog for MemoryLog {
    fn append(&mut self, record: &LogRecord) -> Result<(), StoreError> {
        self.records.push(record.clone());
        Ok(())
    }
}

/// The log file of one corpus, open for appending (or read-only).
#[derive(Debug)]
pub struct AnnotationStore {
    log_path: PathBuf,
    writer: Option<File>,
    read_only_reason: Option<String>,
    _lock: Option<File>,
}

/// A store just opened: the store, the annotations loaded, and the problems met.
#[derive(Debug)]
pub struct Opened {
    /// The store, for further appends.
    pub store: AnnotationStore,
    /// The annotations as the log leaves them.
    pub set: AnnotationSet,
    /// Skipped lines and lock trouble, to report.
    pub problems: Vec<StoreProblem>,
    /// Records read from the log (superseded ones included).
    pub log_records: usize,
}

impl Opened {
    #[cfg(test)]
    /// Whether the log holds many superseded snapshots, so [`AnnotationStore::compact`] is
    /// worth running (more than twice the records needed, plus some slack).
    pub(crate) fn worth_compacting(&self) -> bool {
        let needed = self.set.len() + self.set.deleted().count();
        !self.store.is_read_only() && self.log_records > 2 * needed + 64
    }
}

impl AnnotationStore {
    /// Opens (creating if needed) the store in `dir` for writing; read-only when another
    /// process holds the lock ([`AnnotationStore::read_only_reason`] says so).
    pub fn open(dir: &Path) -> Result<Opened, StoreError> {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        let mut problems = Vec::new();
        match fs4::FileExt::try_lock(&lock) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let mut opened = AnnotationStore::open_read_only(dir)?;
                opened.store.read_only_reason =
                    Some("another stet has these annotations open".to_string());
                return Ok(opened);
            }
            Err(fs4::TryLockError::Error(e)) => problems.push(StoreProblem::LockFailed {
                path: lock_path.clone(),
                reason: e.to_string(),
            }),
        }
        let log_path = dir.join(LOG_FILE);
        let existed = log_path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&log_path)
            .map_err(io_err(&log_path))?;
        if !existed {
            sync_dir(dir)?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_err(&log_path))?;
        let loaded = parse_log(&log_path, &bytes);
        problems.extend(loaded.problems);
        if loaded.complete_len < bytes.len() {
            // A torn or unterminated tail: end the log at its last complete line, so the next
            // record starts on a line of its own.
            if loaded.tail_is_record {
                file.write_all(b"\n").map_err(io_err(&log_path))?;
            } else {
                file.set_len(loaded.complete_len as u64)
                    .map_err(io_err(&log_path))?;
                file.seek(SeekFrom::End(0)).map_err(io_err(&log_path))?;
            }
            file.sync_data().map_err(io_err(&log_path))?;
        }
        Ok(Opened {
            store: AnnotationStore {
                log_path,
                writer: Some(file),
                read_only_reason: None,
                _lock: Some(lock),
            },
            set: loaded.set,
            problems,
            log_records: loaded.records,
        })
    }

    /// Opens the store in `dir` for reading only: takes no lock, writes nothing, creates
    /// nothing (a missing store is an empty one).
    pub fn open_read_only(dir: &Path) -> Result<Opened, StoreError> {
        let log_path = dir.join(LOG_FILE);
        let bytes = match std::fs::read(&log_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io_err(&log_path)(e)),
        };
        let mut loaded = parse_log(&log_path, &bytes);
        if writer_active(dir) {
            // An unfinished last line is a write in progress, not a crash.
            loaded
                .problems
                .retain(|p| !matches!(p, StoreProblem::TornLastLine { .. }));
        }
        Ok(Opened {
            store: AnnotationStore {
                log_path,
                writer: None,
                read_only_reason: Some("opened for reading".to_string()),
                _lock: None,
            },
            set: loaded.set,
            problems: loaded.problems,
            log_records: loaded.records,
        })
    }

    #[cfg(test)]
    /// Why this store cannot be written, if it cannot.
    pub(crate) fn read_only_reason(&self) -> Option<&str> {
        self.read_only_reason.as_deref()
    }

    #[cfg(test)]
    /// Whether appends are refused.
    pub(crate) fn is_read_only(&self) -> bool {
        self.writer.is_none()
    }

    fn writer(&mut self) -> Result<&mut File, StoreError> {
        let reason = self.read_only_reason.clone().unwrap_or_default();
        match self.writer.as_mut() {
            Some(w) => Ok(w),
            None => Err(StoreError::ReadOnly(self.log_path.clone(), reason)),
        }
    }

    #[cfg(test)]
    /// Appends many records with one flush to disk at the end (an import): all of them are
    /// durable when this returns; a crash midway keeps a prefix of them.
    pub(crate) fn append_batch(&mut self, records: &[LogRecord]) -> Result<(), StoreError> {
        let mut bytes = Vec::new();
        for r in records {
            serde_json::to_writer(&mut bytes, r)?;
            bytes.push(b'\n');
        }
        let path = self.log_path.clone();
        let w = self.writer()?;
        w.write_all(&bytes).map_err(io_err(&path))?;
        w.sync_data().map_err(io_err(&path))
    }

    #[cfg(test)]
    /// Rewrites the log as the minimal set of records for `set` (temp file, fsync, rename).
    pub(crate) fn compact(&mut self, set: &AnnotationSet) -> Result<(), StoreError> {
        self.writer()?;
        let mut out = Vec::new();
        for r in set.records() {
            serde_json::to_writer(&mut out, &r)?;
            out.push(b'\n');
        }
        crate::atomic_file::write_bytes(&self.log_path, &out).map_err(io_err(&self.log_path))?;
        let file = OpenOptions::new()
            .append(true)
            .open(&self.log_path)
            .map_err(io_err(&self.log_path))?;
        self.writer = Some(file);
        Ok(())
    }
}

impl AnnotationLog for AnnotationStore {
    fn append(&mut self, record: &LogRecord) -> Result<(), StoreError> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        let path = self.log_path.clone();
        let w = self.writer()?;
        w.write_all(&line).map_err(io_err(&path))?;
        w.sync_data().map_err(io_err(&path))
    }
}

/// Whether another process holds the store's lock (is writing to it).
fn writer_active(dir: &Path) -> bool {
    let Ok(lock) = File::open(dir.join(LOCK_FILE)) else {
        return false;
    };
    matches!(
        fs4::FileExt::try_lock_shared(&lock),
        Err(fs4::TryLockError::WouldBlock)
    )
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

struct Loaded {
    set: AnnotationSet,
    records: usize,
    problems: Vec<StoreProblem>,
    /// Length of the log up to and including its last newline.
    complete_len: usize,
    /// Whether the unterminated tail (if any) is a valid record (kept).
    tail_is_record: bool,
}

/// Replays a log's bytes.
/// Reads a log's bytes (`path` for the problems): the annotations (highest revision of each
/// id) and the lines skipped. For importing a log into the database.
pub(crate) fn parse_log_bytes(path: &Path, bytes: &[u8]) -> (AnnotationSet, Vec<StoreProblem>) {
    let loaded = parse_log(path, bytes);
    (loaded.set, loaded.problems)
}

fn parse_log(path: &Path, bytes: &[u8]) -> Loaded {
    let mut set = AnnotationSet::new();
    let mut problems = Vec::new();
    let complete_len = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut tail_is_record = false;
    let mut records = 0;
    let mut segments: Vec<&[u8]> = bytes[..complete_len].split(|&b| b == b'\n').collect();
    segments.pop(); // the empty piece after the last newline
    let tail = &bytes[complete_len..];
    let n_complete = segments.len();
    for (i, seg) in segments.into_iter().enumerate() {
        if seg.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_record(seg) {
            Ok(r) => {
                set.apply(r);
                records += 1;
            }
            Err(reason) => problems.push(StoreProblem::BadLine {
                path: path.to_path_buf(),
                line: i + 1,
                reason,
            }),
        }
    }
    if !tail.iter().all(u8::is_ascii_whitespace) {
        match parse_record(tail) {
            Ok(r) => {
                set.apply(r);
                records += 1;
                tail_is_record = true;
            }
            Err(_) => problems.push(StoreProblem::TornLastLine {
                path: path.to_path_buf(),
                line: n_complete + 1,
            }),
        }
    } else if !tail.is_empty() {
        tail_is_record = true;
    }
    Loaded {
        set,
        records,
        problems,
        complete_len,
        tail_is_record,
    }
}

fn parse_record(line: &[u8]) -> Result<LogRecord, String> {
    let r: LogRecord = serde_json::from_slice(line).map_err(|e| e.to_string())?;
    r.annotation().validate().map_err(|e| e.to_string())?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::model::{Annotation, Granularity, Target, Timestamp};

    fn sample(i: usize) -> Annotation {
        let text = format!("sentence number {i} of the text");
        let t = Target::from_char_span("a", "s", &text, 0..8, Granularity::Word).unwrap();
        Annotation::new(
            vec![t],
            "reworded".into(),
            Some(format!("note {i}")),
            "ana",
            Timestamp::from_unix(i64::try_from(i).unwrap()),
        )
        .unwrap()
    }

    #[test]
    fn appended_changes_survive_reopening() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("corpus");
        let mut opened = AnnotationStore::open(&dir).unwrap();
        assert!(opened.problems.is_empty());
        let a = sample(1);
        let id = a.id;
        let e = opened.set.create(a).unwrap();
        opened.store.append(&e.record).unwrap();
        let e = opened
            .set
            .edit_note(&id, Some("changed".into()), Timestamp::from_unix(9))
            .unwrap();
        opened.store.append(&e.record).unwrap();
        let b = sample(2);
        let idb = b.id;
        let c = sample(3);
        let batch = vec![
            opened.set.create(b).unwrap().record,
            opened.set.create(c.clone()).unwrap().record,
        ];
        opened.store.append_batch(&batch).unwrap();
        let e = opened.set.delete(&c.id, Timestamp::from_unix(10)).unwrap();
        opened.store.append(&e.record).unwrap();
        let e = opened.set.delete(&idb, Timestamp::from_unix(10)).unwrap();
        opened.store.append(&e.record).unwrap();
        drop(opened);

        let again = AnnotationStore::open(&dir).unwrap();
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert_eq!(again.set.len(), 1);
        let got = again.set.get(&id).unwrap();
        assert_eq!((got.note.as_deref(), got.revision), (Some("changed"), 2));
        assert!(again.set.get(&idb).is_none());
        let log = std::fs::read_to_string(dir.join(LOG_FILE)).unwrap();
        assert_eq!(log.lines().count(), 6);
        assert!(log.lines().next().unwrap().starts_with("{\"op\":\"put\""));
    }

    #[test]
    fn a_torn_last_line_is_skipped_reported_and_cut_off() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let a = sample(1);
        let b = sample(2);
        let line_a = serde_json::to_string(&LogRecord::Put(a.clone())).unwrap();
        let line_b = serde_json::to_string(&LogRecord::Put(b.clone())).unwrap();
        let torn = &line_b[..line_b.len() / 2];
        std::fs::write(dir.join(LOG_FILE), format!("{line_a}\n{torn}")).unwrap();

        let mut opened = AnnotationStore::open(dir).unwrap();
        assert_eq!(
            opened.problems,
            vec![StoreProblem::TornLastLine {
                path: dir.join(LOG_FILE),
                line: 2
            }]
        );
        assert!(
            opened.problems[0]
                .to_string()
                .contains("annotations.jsonl:2:")
        );
        assert_eq!(opened.set.len(), 1);
        assert!(opened.set.get(&a.id).is_some());
        // The next append starts on a fresh line; nothing is glued to the torn bytes.
        let c = sample(3);
        opened
            .store
            .append(&opened.set.create(c.clone()).unwrap().record)
            .unwrap();
        drop(opened);
        let again = AnnotationStore::open(dir).unwrap();
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert_eq!(again.set.len(), 2);
        assert!(again.set.get(&c.id).is_some());
    }

    #[test]
    fn a_reader_beside_a_live_writer_does_not_call_its_unfinished_line_torn() {
        let tmp = tempfile::tempdir().unwrap();
        let writer = AnnotationStore::open(tmp.path()).unwrap();
        let line = serde_json::to_string(&LogRecord::Put(sample(1))).unwrap();
        std::fs::write(tmp.path().join(LOG_FILE), &line[..10]).unwrap();
        let reader = AnnotationStore::open_read_only(tmp.path()).unwrap();
        assert!(reader.problems.is_empty(), "{:?}", reader.problems);
        drop(writer);
        let reader = AnnotationStore::open_read_only(tmp.path()).unwrap();
        assert_eq!(reader.problems.len(), 1);
    }

    #[test]
    fn a_complete_unterminated_last_line_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let a = sample(1);
        let line = serde_json::to_string(&LogRecord::Put(a.clone())).unwrap();
        std::fs::write(tmp.path().join(LOG_FILE), &line).unwrap();
        let mut opened = AnnotationStore::open(tmp.path()).unwrap();
        assert!(opened.problems.is_empty());
        let b = sample(2);
        opened
            .store
            .append(&opened.set.create(b).unwrap().record)
            .unwrap();
        drop(opened);
        let again = AnnotationStore::open(tmp.path()).unwrap();
        assert_eq!((again.set.len(), again.problems.len()), (2, 0));
    }

    #[test]
    fn a_corrupt_middle_line_is_skipped_and_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let a = sample(1);
        let line = serde_json::to_string(&LogRecord::Put(a.clone())).unwrap();
        let bad_record = line.replace("\"revision\":1", "\"revision\":\"x\"");
        std::fs::write(
            tmp.path().join(LOG_FILE),
            format!("not json\n{bad_record}\n\n{line}\n"),
        )
        .unwrap();
        let opened = AnnotationStore::open_read_only(tmp.path()).unwrap();
        let lines: Vec<usize> = opened
            .problems
            .iter()
            .map(|p| match p {
                StoreProblem::BadLine { line, .. } => *line,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(lines, vec![1, 2]);
        assert_eq!(opened.set.len(), 1);
    }

    #[test]
    fn a_second_opener_is_read_only_and_told_so() {
        let tmp = tempfile::tempdir().unwrap();
        let first = AnnotationStore::open(tmp.path()).unwrap();
        assert!(!first.store.is_read_only());
        let mut second = AnnotationStore::open(tmp.path()).unwrap();
        assert!(second.store.is_read_only());
        assert!(
            second
                .store
                .read_only_reason()
                .unwrap()
                .contains("another stet")
        );
        let rec = second.set.create(sample(1)).unwrap().record;
        let err = second.store.append(&rec).unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly(..)), "{err}");
        drop(first);
        let third = AnnotationStore::open(tmp.path()).unwrap();
        assert!(!third.store.is_read_only());
    }

    /// A store holding one annotation whose note was then edited `edits` times.
    fn store_with_note_edits(
        edits: i64,
    ) -> (
        tempfile::TempDir,
        Opened,
        crate::annotate::model::AnnotationId,
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut opened = AnnotationStore::open(tmp.path()).unwrap();
        let a = sample(1);
        let id = a.id;
        let rec = opened.set.create(a).unwrap().record;
        opened.store.append(&rec).unwrap();
        for i in 0..edits {
            let rec = opened
                .set
                .edit_note(&id, Some(format!("v{i}")), Timestamp::from_unix(i))
                .unwrap()
                .record;
            opened.store.append(&rec).unwrap();
        }
        (tmp, opened, id)
    }

    #[test]
    fn compaction_keeps_the_state_in_fewer_lines() {
        let (tmp, mut opened, id) = store_with_note_edits(5);
        let b = sample(2);
        let idb = b.id;
        let rec = opened.set.create(b).unwrap().record;
        opened.store.append(&rec).unwrap();
        let rec = opened
            .set
            .delete(&idb, Timestamp::from_unix(7))
            .unwrap()
            .record;
        opened.store.append(&rec).unwrap();
        let before = opened.set.clone();
        drop(opened);
        let mut opened = AnnotationStore::open(tmp.path()).unwrap();
        assert_eq!(opened.log_records, 8);
        assert!(
            !opened.worth_compacting(),
            "8 records for 2 is not worth it"
        );
        opened.store.compact(&opened.set).unwrap();
        let log = std::fs::read_to_string(tmp.path().join(LOG_FILE)).unwrap();
        assert_eq!(log.lines().count(), 2);
        let names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains(".tmp")), "{names:?}");
        // Appends after compaction go to the new file.
        let rec = opened
            .set
            .edit_note(&id, None, Timestamp::from_unix(8))
            .unwrap()
            .record;
        opened.store.append(&rec).unwrap();
        drop(opened);
        let again = AnnotationStore::open(tmp.path()).unwrap();
        assert_eq!(again.set.get(&id).unwrap().note, None);
        assert_eq!(again.set.get(&id).unwrap().revision, 7);
        assert_eq!(
            again.set.deleted().count(),
            before.deleted().count(),
            "deletions survive compaction"
        );
    }

    #[test]
    fn many_superseded_snapshots_make_compaction_worth_it() {
        let (tmp, opened, id) = store_with_note_edits(80);
        drop(opened);
        let mut opened = AnnotationStore::open(tmp.path()).unwrap();
        assert!(opened.worth_compacting());
        opened.store.compact(&opened.set).unwrap();
        drop(opened);
        let opened = AnnotationStore::open(tmp.path()).unwrap();
        assert_eq!(opened.log_records, 1);
        assert_eq!(opened.set.get(&id).unwrap().note.as_deref(), Some("v79"));
    }

    #[test]
    fn read_only_open_of_a_missing_store_is_empty_and_creates_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("none");
        let opened = AnnotationStore::open_read_only(&dir).unwrap();
        assert!(opened.set.is_empty() && opened.store.is_read_only());
        assert!(!dir.exists());
    }
}
