//! Loading: paths → articles. The only file access of the corpus core. Directories are walked
//! recursively (hidden entries skipped); `.txt`/`.text`/`.md` are one article each, `.json` one
//! object or an array, `.jsonl`/`.ndjson` one object per line, `.html`/`.htm` saved pages; any
//! of them compressed (`.gz`, `.zst`, `.bz2`, `.xz`, found by their magic bytes too); the
//! export formats of [`super::formats`], Parquet tables among them.
//! Problems are collected with path and line, never fatal.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use super::formats::compressed::{Compression, sniff_reader};
use super::record::{self, Members};

use super::ArticleMore;
use super::clean::{KnownMeta, clean, remove_source_boilerplate};
use super::date::parse_date;
use super::fields::{FieldKey, FieldMap};
use super::{Article, Corpus, LoadProblem, Progress};

/// How to load: field-name overrides.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// JSON field names.
    pub fields: FieldMap,
    /// Keep only what grouping or a listing needs: each article's raw text and the text of
    /// its removed lines are dropped once it is cleaned (their number is kept). `stet
    /// articles` and `stet stories` set it; the reader and every view of the text never do.
    pub lean: bool,
    /// Keep only what a listing needs: with `lean`, the paragraphs of a titled article are
    /// dropped too, their counts kept ([`Article::counts`]). `stet articles` sets it.
    pub counts_only: bool,
    /// Size limits that keep hostile input from taking unbounded memory.
    pub limits: Limits,
    /// The marker words of database exports (Nexis, LexisNexis).
    pub keywords: super::formats::ExportKeywords,
}

/// How much one input may hold: what is over a limit is skipped with a problem line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one article (a text or HTML file) or one record (a JSONL line).
    pub record_bytes: u64,
    /// Bytes of one JSON file (an array of records is read whole).
    pub json_file_bytes: u64,
    /// A compressed file expands to at most this many times its size...
    pub gzip_ratio: u64,
    /// ...and at most this many bytes.
    pub gzip_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            record_bytes: 64 << 20,
            json_file_bytes: 1 << 30,
            gzip_ratio: 200,
            gzip_bytes: 64 << 30,
        }
    }
}

/// Reads at most `limit` bytes of `inner`, then fails with `what` (never reads past it).
struct Capped<R> {
    inner: R,
    left: u64,
    what: String,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more than allowed means over the limit.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    self.what.clone(),
                )),
            };
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..n])?;
        self.left -= got as u64;
        Ok(got)
    }
}

/// Megabytes, for messages.
fn mb(bytes: u64) -> String {
    format!("{} MB", bytes >> 20)
}

/// The formats stet reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Plain text, one article.
    Text,
    /// One JSON object or an array of objects.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// A saved web page.
    Html,
    /// A Word file (Nexis Uni exports).
    Docx,
    /// A table with a header row, comma-separated.
    Csv,
    /// A table with a header row, tab-separated.
    Tsv,
    /// A web archive (WARC).
    Warc,
    /// Rich Text (`.rtf`, and `.doc` files that are RTF, as old LexisNexis and Factiva
    /// downloads are).
    Rtf,
    /// A Parquet table (Hugging Face datasets, pandas and polars exports).
    Parquet,
    /// A file without a known extension: its kind is found by its content when it is read.
    Sniff,
}

impl FileKind {
    /// The kind of a file by its name (a compression extension looked through), and its
    /// compression by name.
    pub fn of(name: &str) -> Option<(FileKind, Compression)> {
        let lower = name.to_ascii_lowercase();
        let (comp, stem) = Compression::of_name(&lower);
        let ext = stem.rsplit_once('.')?.1;
        let kind = match ext {
            "txt" | "text" | "md" => FileKind::Text,
            "json" => FileKind::Json,
            "jsonl" | "ndjson" => FileKind::JsonLines,
            "html" | "htm" => FileKind::Html,
            "docx" => FileKind::Docx,
            "csv" => FileKind::Csv,
            "tsv" | "tab" => FileKind::Tsv,
            "warc" => FileKind::Warc,
            "rtf" | "doc" => FileKind::Rtf,
            "parquet" => FileKind::Parquet,
            _ => return None,
        };
        Some((kind, comp))
    }

    /// The kind of a file found walking a folder: by extension, else (a name without any
    /// extension, or only a compression one: `dump`, `dump.zst`) by content, loaded only when
    /// the content is a structured format ([`FileKind::Sniff`]).
    fn of_walked(name: &str) -> Option<(FileKind, Compression)> {
        if let Some(k) = FileKind::of(name) {
            return Some(k);
        }
        let lower = name.to_ascii_lowercase();
        let (comp, stem) = Compression::of_name(&lower);
        (!stem.contains('.')).then_some((FileKind::Sniff, comp))
    }

    /// Whether files of this kind are read as a stream of records, a block at a time (not
    /// held whole).
    pub(crate) fn streams(self) -> bool {
        matches!(
            self,
            FileKind::JsonLines
                | FileKind::Csv
                | FileKind::Tsv
                | FileKind::Warc
                | FileKind::Parquet
        )
    }
}

/// One file to load, as found by walking the paths given.
#[derive(Debug, Clone)]
struct SourceFile {
    path: PathBuf,
    /// Path relative to the folder given (the file name for a file given directly).
    rel: String,
    kind: FileKind,
    /// The compression its name says (its magic bytes decide when it is read).
    comp: Compression,
    /// Found walking a folder by content alone: skipped without a word unless its content
    /// is a structured format.
    quiet: bool,
}

/// What loading one file produced.
#[derive(Debug, Default)]
pub struct FileLoad {
    /// Articles, in file order.
    pub articles: Vec<Article>,
    /// Problems, in file order.
    pub problems: Vec<LoadProblem>,
}

impl FileLoad {
    /// Adds `other`'s articles and problems after these.
    pub(crate) fn append(&mut self, other: FileLoad) {
        if self.articles.is_empty() {
            self.articles = other.articles;
        } else {
            self.articles.extend(other.articles);
        }
        self.problems.extend(other.problems);
    }
}

/// Loads every article under `paths`, using both cores; `progress` is called as files finish.
pub fn load_paths(
    paths: &[PathBuf],
    opts: &LoadOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Corpus {
    load_found(paths, Discovered::walk(paths), opts, progress)
}

/// [`load_paths`] on the files already found under `paths`.
pub(crate) fn load_found(
    paths: &[PathBuf],
    found: Discovered,
    opts: &LoadOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Corpus {
    let Discovered { files, problems } = found;
    let total = files.len();
    progress(Progress::Loading { done: 0, total });
    if total == 1 && !files[0].kind.streams() {
        // One article (or one JSON file): no worker thread to start.
        let load = load_file(&files[0], opts);
        progress(Progress::Loading { done: 1, total });
        return finish_corpus(corpus_name(paths), vec![load], problems);
    }
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    // The files are read on a worker (rayon inside); this thread reports progress as they finish.
    let loads: Vec<FileLoad> = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            files
                .par_iter()
                .map_with(tx, |tx, f| {
                    let load = load_file(f, opts);
                    let _ = tx.send(());
                    load
                })
                .collect::<Vec<_>>()
        });
        for (done, ()) in rx.iter().enumerate() {
            progress(Progress::Loading {
                done: done + 1,
                total,
            });
        }
        worker.join().unwrap_or_default()
    });
    finish_corpus(corpus_name(paths), loads, problems)
}

/// The corpus's name: its paths.
fn corpus_name(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds a corpus from the per-file loads: order kept, ids made unique and stable
/// ([`super::identity`]), source boilerplate
/// learned and removed.
pub(crate) fn finish_corpus(
    name: String,
    loads: Vec<FileLoad>,
    mut problems: Vec<LoadProblem>,
) -> Corpus {
    // A single file's vector is reused: one big file costs no second copy.
    let mut loads = loads;
    let mut articles = if loads.len() == 1 {
        std::mem::take(&mut loads[0].articles)
    } else {
        Vec::with_capacity(loads.iter().map(|l| l.articles.len()).sum())
    };
    for load in loads {
        articles.extend(load.articles);
        problems.extend(load.problems);
    }
    super::identity::assign_ids(&mut articles);
    let _ = remove_source_boilerplate(&mut articles);
    for a in articles.iter_mut().filter(|a| a.counts.is_some()) {
        // A listed article's keys have served: what is left out of line goes.
        if let Some(m) = a.more.as_deref_mut() {
            m.edge_keys = None;
            m.source_key = None;
        }
        a.compact();
    }
    Corpus {
        name,
        articles,
        problems,
    }
}

pub(crate) fn problem(path: &str, line: Option<usize>, reason: impl Into<String>) -> LoadProblem {
    LoadProblem {
        path: path.to_string(),
        line,
        reason: reason.into(),
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// What identifies a folder whatever the path it is reached by (device and inode), so a
/// symlink loop is walked once.
#[cfg(unix)]
fn folder_identity(meta: &std::fs::Metadata, _path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn folder_identity(_meta: &std::fs::Metadata, path: &Path) -> Option<(u64, u64)> {
    let canonical = path.canonicalize().ok()?;
    Some((
        0,
        xxhash_rust::xxh3::xxh3_64(canonical.to_string_lossy().as_bytes()),
    ))
}

/// The problem reported for a FIFO, socket or device where a file was expected: reading
/// one could block forever or never end.
const NOT_REGULAR: &str = "not a regular file (a FIFO, socket or device), skipped";

fn discover(root: &Path, files: &mut Vec<SourceFile>, problems: &mut Vec<LoadProblem>) {
    let shown = root.display().to_string();
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => {
            problems.push(problem(&shown, None, format!("cannot read: {e}")));
            return;
        }
    };
    if !meta.is_dir() {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !meta.is_file() {
            problems.push(problem(&shown, None, NOT_REGULAR));
            return;
        }
        // A file given by name is read whatever it is called: its content decides.
        let (kind, comp) = FileKind::of(&name).unwrap_or_else(|| {
            let lower = name.to_ascii_lowercase();
            (FileKind::Sniff, Compression::of_name(&lower).0)
        });
        files.push(SourceFile {
            path: root.to_path_buf(),
            rel: name,
            kind,
            comp,
            quiet: false,
        });
        return;
    }
    // Folders already walked, by identity: a symlink back to one of them is a loop.
    let mut visited = rustc_hash::FxHashSet::default();
    visited.extend(folder_identity(&meta, root));
    let mut stack = vec![root.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                problems.push(problem(
                    &dir.display().to_string(),
                    None,
                    format!("cannot read folder: {e}"),
                ));
                continue;
            }
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        // Walked in name order: which of two links to one folder is reported is stable.
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            if is_hidden(&path) {
                continue;
            }
            let Ok(ft) = entry.file_type() else { continue };
            let kind = FileKind::of_walked(&entry.file_name().to_string_lossy());
            // A symlink is looked through (a dangling one is skipped unless it looks like a
            // corpus file, then reported when opened).
            let meta = if ft.is_symlink() {
                std::fs::metadata(&path).ok()
            } else {
                entry.metadata().ok()
            };
            let is_dir = meta.as_ref().is_some_and(std::fs::Metadata::is_dir);
            if is_dir {
                let Some(meta) = meta else { continue };
                match folder_identity(&meta, &path) {
                    Some(id) if !visited.insert(id) => problems.push(problem(
                        &path.display().to_string(),
                        None,
                        "a link to a folder already walked (a symlink loop or a second link), skipped",
                    )),
                    _ => stack.push(path),
                }
            } else if let Some((kind, comp)) = kind {
                if meta.as_ref().is_some_and(|m| !m.is_file()) {
                    if kind != FileKind::Sniff {
                        problems.push(problem(&path.display().to_string(), None, NOT_REGULAR));
                    }
                    continue;
                }
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace(std::path::MAIN_SEPARATOR, "/");
                found.push(SourceFile {
                    path,
                    rel,
                    kind,
                    comp,
                    quiet: kind == FileKind::Sniff,
                });
            }
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.extend(found);
}

fn load_file(f: &SourceFile, opts: &LoadOptions) -> FileLoad {
    let mut out = FileLoad::default();
    load_file_each(f, opts, None, &mut |batch| out.append(batch));
    out
}

/// Sees the bytes a load reads from a file, in order from its start: the derived store takes
/// a new file's content hash as the file is read, instead of reading it once more before.
pub(crate) trait ReadTap: Send + Sync {
    /// The next bytes read.
    fn read(&self, bytes: &[u8]);
    /// The file is not read in order from its start (a seek, a read where it lies): what was
    /// seen is not the file.
    fn spoil(&self);
}

/// A file whose reads a [`ReadTap`] sees.
struct Tapped {
    file: File,
    tap: Option<std::sync::Arc<dyn ReadTap>>,
}

impl Tapped {
    /// Tells the tap the file is read otherwise than in order from here on.
    fn spoil(&self) {
        if let Some(t) = &self.tap {
            t.spoil();
        }
    }

    /// The file, to read otherwise than in order: the tap is told.
    fn untapped(self) -> File {
        self.spoil();
        self.file
    }
}

impl Read for Tapped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        if let (Some(t), Some(read)) = (&self.tap, buf.get(..n)) {
            t.read(read);
        }
        Ok(n)
    }
}

/// Loads one file, handing `sink` its articles a batch at a time (a JSONL file block by block,
/// any other file at once).
fn load_file_each(
    f: &SourceFile,
    opts: &LoadOptions,
    tap: Option<std::sync::Arc<dyn ReadTap>>,
    sink: &mut dyn FnMut(FileLoad),
) {
    let shown = f.path.display().to_string();
    let shared: std::sync::Arc<str> = shown.as_str().into();
    let cannot_read = |e: std::io::Error| FileLoad {
        articles: vec![],
        problems: vec![problem(&shown, None, format!("cannot read: {e}"))],
    };
    let file = match open_regular(&f.path) {
        Ok(Some(file)) => file,
        // Replaced by a FIFO or a device since the walk: never read it.
        Ok(None) => {
            return sink(FileLoad {
                articles: vec![],
                problems: vec![problem(&shown, None, NOT_REGULAR)],
            });
        }
        Err(e) => return sink(cannot_read(e)),
    };
    let limits = opts.limits;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut buffered = BufReader::with_capacity(64 << 10, Tapped { file, tap });
    // The magic bytes decide, whatever the name says.
    let comp = match sniff_reader(&mut buffered) {
        Ok(c) => c,
        Err(e) => return sink(cannot_read(e)),
    };
    // A Parquet file is read where it lies (its footer first, then the columns wanted), not
    // as a stream: by name, or by its magic at both ends.
    if comp == Compression::None
        && (f.kind == FileKind::Parquet
            || (matches!(f.kind, FileKind::Sniff | FileKind::Json)
                && buffered
                    .fill_buf()
                    .is_ok_and(|head| sniff_kind(head, false) == Some(FileKind::Parquet))
                && {
                    // Looked at where it lies: the tap no longer sees the file in order.
                    buffered.get_ref().spoil();
                    ends_with_parquet_magic(&buffered.get_ref().file)
                }))
    {
        let folder = folder_name(&f.path);
        let ctx = FileContext {
            shown: &shown,
            path: &shared,
            rel: &f.rel,
            folder: &folder,
            opts,
        };
        return super::formats::parquet::load_file(buffered.into_inner().untapped(), &ctx, sink);
    }
    let mut early = Vec::new();
    if f.comp != Compression::None && comp != f.comp {
        early.push(problem(
            &shown,
            None,
            format!(
                "named as {} but {}: read as it is",
                f.comp.name(),
                match comp {
                    Compression::None => "not compressed".to_string(),
                    other => format!("{}-compressed", other.name()),
                }
            ),
        ));
    }
    let reader: Box<dyn Read + Send> = if comp == Compression::None {
        Box::new(buffered)
    } else {
        let cap = size
            .saturating_mul(limits.gzip_ratio)
            .clamp(1 << 20, limits.gzip_bytes.max(1 << 20));
        Box::new(Capped {
            inner: comp.reader(buffered),
            left: cap,
            what: format!(
                "decompresses to more than {} ({}× its size or {} at most): a compression bomb? the rest is skipped",
                mb(cap),
                limits.gzip_ratio,
                mb(limits.gzip_bytes)
            ),
        })
    };
    // The kind: by name, else by the first bytes of the (decompressed) content.
    // A `.json` file is looked at too: JSON lines under that name (as dataset tools write
    // them, often larger than a JSON file may be) are streamed.
    let (kind, reader) = if matches!(f.kind, FileKind::Sniff | FileKind::Json) {
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        let mut reader = reader;
        if let Err(e) = (&mut reader)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
        {
            early.push(problem(&shown, None, format!("cannot read: {e}")));
            return sink(FileLoad {
                articles: Vec::new(),
                problems: early,
            });
        }
        // Plain text only for a file given by a name without an extension (`README`): a
        // `data.xml` or `page.pdf` is no article.
        let bare = {
            let lower = f
                .rel
                .rsplit('/')
                .next()
                .unwrap_or(&f.rel)
                .to_ascii_lowercase();
            !Compression::of_name(&lower).1.contains('.')
        };
        let utf16 = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
        let kind = match sniff_kind(&head, !f.quiet && bare) {
            // Streamed as bytes: UTF-16 lines are decoded whole instead (as JSON, then read
            // as lines).
            Some(FileKind::JsonLines) if utf16 => Some(FileKind::Json),
            Some(FileKind::JsonLines) => Some(FileKind::JsonLines),
            _ if f.kind == FileKind::Json => Some(FileKind::Json),
            other => other,
        };
        let reader: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(head).chain(reader));
        match kind {
            Some(k) => (k, reader),
            None if f.quiet => return,
            None => {
                early.push(problem(
                    &shown,
                    None,
                    "unsupported file type: neither its name nor its content is a format stet reads",
                ));
                return sink(FileLoad {
                    articles: Vec::new(),
                    problems: early,
                });
            }
        }
    } else {
        (f.kind, reader)
    };
    if !early.is_empty() {
        sink(FileLoad {
            articles: Vec::new(),
            problems: early,
        });
    }
    let folder = folder_name(&f.path);
    let ctx = FileContext {
        shown: &shown,
        path: &shared,
        rel: &f.rel,
        folder: &folder,
        opts,
    };
    match kind {
        FileKind::JsonLines => {
            return json_lines_each(BufReader::with_capacity(1 << 20, reader), &ctx, sink);
        }
        FileKind::Csv | FileKind::Tsv => {
            let delimiter = if kind == FileKind::Tsv { b'\t' } else { b',' };
            return super::formats::csv::load_each(reader, delimiter, &ctx, sink);
        }
        FileKind::Warc => return super::formats::warc::load_each(reader, &ctx, sink),
        _ => {}
    }
    let (cap, what) = match kind {
        FileKind::Json => (limits.json_file_bytes, "one JSON file"),
        // Compressed: decompressed into memory (Parquet needs its footer first).
        FileKind::Parquet => (limits.json_file_bytes, "one compressed Parquet file"),
        _ => (limits.record_bytes, "one article"),
    };
    let mut bytes = Vec::new();
    let mut reader = Capped {
        inner: reader,
        left: cap,
        what: format!("larger than the {} limit for {what}, skipped", mb(cap)),
    };
    if let Err(e) = reader.read_to_end(&mut bytes) {
        drop(bytes);
        return sink(FileLoad {
            articles: vec![],
            problems: vec![problem(&shown, None, e.to_string())],
        });
    }
    if kind == FileKind::Parquet {
        return super::formats::parquet::load_bytes(&bytes, &ctx, sink);
    }
    sink(load_bytes(&ctx, kind, &bytes));
}

/// Whether a file ends with the Parquet magic (`PAR1`).
fn ends_with_parquet_magic(mut file: &File) -> bool {
    use std::io::{Seek, SeekFrom};
    let mut tail = [0u8; 4];
    file.seek(SeekFrom::End(-4)).is_ok()
        && file.read_exact(&mut tail).is_ok()
        && &tail == super::formats::parquet::MAGIC
}

/// How many bytes of a file without a known extension are looked at to tell its kind.
const SNIFF_BYTES: usize = 64 << 10;

/// The kind of a file told by its first bytes (decompressed): a Word file, a web archive, RTF,
/// JSON or JSON lines, a web page; plain text only when `text_too` (a file given by name; a
/// file without an extension met walking a folder is loaded only when it is a structured
/// format).
pub(crate) fn sniff_kind(head: &[u8], text_too: bool) -> Option<FileKind> {
    if head.starts_with(b"PK\x03\x04") {
        return Some(FileKind::Docx);
    }
    // "PAR1" then binary (a text that starts with those letters is no table).
    if head.starts_with(super::formats::parquet::MAGIC) && head[4..].iter().any(|&b| b < 9) {
        return Some(FileKind::Parquet);
    }
    if head.starts_with(b"WARC/") {
        return Some(FileKind::Warc);
    }
    let text = super::formats::text::decode_utf16(head);
    let bytes = text.as_deref().map_or(head, str::as_bytes);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return None;
    }
    let start = bytes.trim_ascii_start();
    if start.starts_with(b"{\\rtf") {
        return Some(FileKind::Rtf);
    }
    let array = start.strip_prefix(b"[").map(<[u8]>::trim_ascii_start);
    if start.starts_with(b"{")
        || array.is_some_and(|a| a.is_empty() || matches!(a[0], b'{' | b'[' | b']' | b'"'))
    {
        // One object per line (the first line a whole object, another after it) or one JSON
        // text.
        if let Some(end) = memchr::memchr(b'\n', start) {
            let first = &start[..end];
            let next = start[end..].trim_ascii_start();
            if first.trim_ascii().ends_with(b"}")
                && next.starts_with(b"{")
                && serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok()
            {
                return Some(FileKind::JsonLines);
            }
        }
        return Some(FileKind::Json);
    }
    let lower: Vec<u8> = start[..start.len().min(4096)].to_ascii_lowercase();
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && memchr::memmem::find(&lower, b"<html").is_some())
    {
        return Some(FileKind::Html);
    }
    text_too.then_some(FileKind::Text)
}

/// The files under some paths (the walk every load makes once), and the problems met walking.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    files: Vec<SourceFile>,
    problems: Vec<LoadProblem>,
}

impl Discovered {
    /// Walks `paths`: folders recursively (hidden entries skipped), files by extension.
    pub(crate) fn walk(paths: &[PathBuf]) -> Discovered {
        let mut d = Discovered::default();
        for p in paths {
            discover(p, &mut d.files, &mut d.problems);
        }
        d
    }

    /// The files found, in corpus order.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// The problems met finding the files (unreadable folders, unsupported files…).
    pub(crate) fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// Whether the `i`th file found is read as a stream of records (a block at a time).
    pub(crate) fn streams(&self, i: usize) -> bool {
        self.files.get(i).is_some_and(|f| f.kind.streams())
    }

    /// Loads the `i`th file found, handing its articles to `sink` as they come: a block at a
    /// time for a file read as a stream of records, else the whole file at once, with `tap`
    /// seeing the bytes read from the file (told when they are not the file read in order
    /// from its start). Ids are not made unique nor source boilerplate removed
    /// ([`finish_corpus`] does both).
    pub(crate) fn load_each(
        &self,
        i: usize,
        opts: &LoadOptions,
        tap: std::sync::Arc<dyn ReadTap>,
        sink: &mut dyn FnMut(FileLoad),
    ) {
        match self.files.get(i) {
            Some(f) => load_file_each(f, opts, Some(tap), sink),
            None => tap.spoil(),
        }
    }

    /// The bytes of input, a gzip file by its decompressed size (the size its trailer gives,
    /// at least four times the compressed size), any other compressed file as five times its
    /// size.
    pub(crate) fn bytes(&self) -> u64 {
        self.files
            .iter()
            .map(|f| {
                let len = std::fs::metadata(&f.path).map_or(0, |m| m.len());
                if f.comp == Compression::Gzip {
                    len.saturating_mul(4).max(gzip_trailer_size(&f.path))
                } else if f.comp != Compression::None {
                    len.saturating_mul(5)
                } else {
                    len
                }
            })
            .sum()
    }
}

/// Opens `path` for reading when it is a regular file; `None` when it is something else (a
/// FIFO, socket or device, perhaps swapped in since the walk). The open itself does not block
/// on a FIFO (`O_NONBLOCK`, which reads of a regular file ignore); the kind is checked on the
/// opened file, so no swap after the check can matter.
pub(crate) fn open_regular(path: &Path) -> std::io::Result<Option<File>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    Ok(file.metadata()?.is_file().then_some(file))
}

/// The decompressed size a gzip file's last member states (modulo 4 GiB), or 0.
fn gzip_trailer_size(path: &Path) -> u64 {
    use std::io::{Seek, SeekFrom};
    let mut tail = [0u8; 4];
    open_regular(path)
        .and_then(|f| f.ok_or_else(|| std::io::Error::other(NOT_REGULAR)))
        .and_then(|mut f| {
            f.seek(SeekFrom::End(-4))?;
            f.read_exact(&mut tail)
        })
        .map_or(0, |()| u64::from(u32::from_le_bytes(tail)))
}

/// Loads every article of the files found a batch at a time, in corpus order, without keeping them:
/// `sink` gets the problems met finding the files, then each JSONL block and each other file.
/// Memory stays bounded by a few blocks (and 64 other files) whatever the corpus's size. Ids
/// are not made unique and source boilerplate is not removed: see [`super::stream`].
pub(crate) fn stream_files(found: &Discovered, opts: &LoadOptions, sink: &mut dyn FnMut(FileLoad)) {
    let files = &found.files;
    if !found.problems.is_empty() {
        sink(FileLoad {
            articles: Vec::new(),
            problems: found.problems.clone(),
        });
    }
    let mut i = 0;
    while i < files.len() {
        if files[i].kind.streams() {
            load_file_each(&files[i], opts, None, sink);
            i += 1;
            continue;
        }
        // A run of other files, 64 at a time on both cores.
        let end = (i..files.len().min(i + 64))
            .find(|&j| files[j].kind.streams())
            .unwrap_or(files.len().min(i + 64));
        let loads: Vec<FileLoad> = files[i..end]
            .par_iter()
            .map(|f| load_file(f, opts))
            .collect();
        for load in loads {
            sink(load);
        }
        i = end;
    }
}

/// The name of the folder a file is in: the source of last resort for plain text.
fn folder_name(path: &Path) -> String {
    path.canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(path)
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where a file's records come from, for ids, sources and problem reports.
#[derive(Debug, Clone, Copy)]
pub struct FileContext<'a> {
    /// The path as shown in problems.
    pub shown: &'a str,
    /// The same, shared by the file's articles (their [`Article::path`](super::Article::path)).
    pub path: &'a std::sync::Arc<str>,
    /// The path relative to the folder given: the base of ids.
    pub rel: &'a str,
    /// The name of the folder holding the file.
    pub folder: &'a str,
    /// Field names.
    pub opts: &'a LoadOptions,
}

impl FileContext<'_> {
    /// The file's name without its extensions: the source of last resort for records.
    pub(crate) fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(self.rel);
        name.split_once('.').map_or(name, |(s, _)| s)
    }
}

/// Loads one file's bytes (already decompressed) of the given kind.
pub fn load_bytes(ctx: &FileContext<'_>, kind: FileKind, bytes: &[u8]) -> FileLoad {
    let mut out = FileLoad::default();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        out.problems.push(problem(ctx.shown, None, "empty file"));
        return out;
    }
    // Detected by content whatever the name: a Word file, a web archive, a Parquet table,
    // UTF-16 text.
    if kind == FileKind::Parquet || super::formats::parquet::is_parquet(bytes) {
        let mut load = FileLoad::default();
        super::formats::parquet::load_bytes(bytes, ctx, &mut |b| load.append(b));
        return load;
    }
    if kind == FileKind::Docx || bytes.starts_with(b"PK\x03\x04") {
        return super::formats::docx_load(ctx, bytes);
    }
    if bytes.starts_with(b"WARC/") && !kind.streams() {
        return super::formats::warc::load(ctx, bytes);
    }
    if kind == FileKind::Rtf || bytes.trim_ascii_start().starts_with(b"{\\rtf") {
        return super::formats::rtf_load(ctx, bytes);
    }
    if kind == FileKind::Sniff {
        return match sniff_kind(&bytes[..bytes.len().min(SNIFF_BYTES)], true) {
            Some(FileKind::Sniff) | None => FileLoad {
                articles: Vec::new(),
                problems: vec![problem(
                    ctx.shown,
                    None,
                    "unsupported file type: neither its name nor its content is a format stet reads",
                )],
            },
            Some(k) => load_bytes(ctx, k, bytes),
        };
    }
    if let Some(text) = super::formats::text::decode_utf16(bytes) {
        return load_bytes(ctx, kind, text.as_bytes());
    }
    if kind != FileKind::JsonLines && bytes[..bytes.len().min(8192)].contains(&0) {
        out.problems
            .push(problem(ctx.shown, None, "binary file (NUL bytes), skipped"));
        return out;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            out.problems.push(problem(
                ctx.shown,
                Some(line),
                "invalid UTF-8, decoded lossily",
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = &*super::formats::text::normalize_line_ends(text);
    match kind {
        FileKind::Text if looks_like_json(text) => {
            let mut load = json_file(ctx, text);
            load.problems.splice(0..0, out.problems);
            return load;
        }
        FileKind::Text => match super::formats::text::export_text(ctx, text) {
            Some(mut export) => {
                export.problems.splice(0..0, out.problems);
                return export;
            }
            None => out.articles.push(text_article(ctx, text)),
        },
        FileKind::Html => {
            if let Some(mut export) = super::formats::html_export(ctx, text) {
                export.problems.splice(0..0, out.problems);
                return export;
            }
            match html_article(ctx, text) {
                Ok(a) => out.articles.push(a),
                Err(reason) => out.problems.push(problem(ctx.shown, None, reason)),
            }
        }
        FileKind::Json => {
            let mut load = json_file(ctx, text);
            load.problems.splice(0..0, out.problems);
            return load;
        }
        FileKind::JsonLines => {
            return load_json_lines(std::io::Cursor::new(text.as_bytes()), ctx);
        }
        FileKind::Csv | FileKind::Tsv => {
            let delimiter = if kind == FileKind::Tsv { b'\t' } else { b',' };
            let mut load = FileLoad::default();
            super::formats::csv::load_each(text.as_bytes(), delimiter, ctx, &mut |b| {
                load.append(b)
            });
            load.problems.splice(0..0, out.problems);
            return load;
        }
        FileKind::Warc | FileKind::Docx | FileKind::Rtf | FileKind::Sniff | FileKind::Parquet => {
            // Handled by content above (a WARC file not starting "WARC/" has no records).
            out.problems.push(problem(
                ctx.shown,
                None,
                "not a WARC file (no \"WARC/\" header)",
            ));
        }
    }
    out
}

/// Whether a text file (`.txt`) holds JSON instead (an API response saved under another
/// name): it is a JSON array or object whole, or JSON lines.
fn looks_like_json(text: &str) -> bool {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return false;
    }
    match sniff_kind(t.as_bytes(), false) {
        Some(FileKind::JsonLines) => true,
        Some(FileKind::Json) => serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok(),
        _ => false,
    }
}

/// A JSON file: an array of records, an API envelope, or one record; a file of JSON lines
/// (named `.json`, as some dataset tools write them) read as JSON lines.
fn json_file(ctx: &FileContext<'_>, text: &str) -> FileLoad {
    let mut out = FileLoad::default();
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => records_load(ctx, items, None, &mut out),
        Ok(Value::Object(map)) if super::formats::json_api::is_envelope(&map) => {
            let items = super::formats::json_api::envelope_items(map);
            if items.is_empty() {
                out.problems
                    .push(problem(ctx.shown, None, "API envelope holds no articles"));
            }
            records_load(ctx, items, None, &mut out);
        }
        Ok(value) => match record_article(
            ctx,
            super::record::members_of(value, &ctx.opts.fields),
            || ctx.rel.to_string(),
            None,
        ) {
            Ok(a) => out.articles.push(a),
            Err(reason) => out.problems.push(problem(ctx.shown, None, reason)),
        },
        Err(_) if sniff_kind(text.as_bytes(), false) == Some(FileKind::JsonLines) => {
            return load_json_lines(std::io::Cursor::new(text.as_bytes()), ctx);
        }
        Err(e) => out.problems.push(problem(
            ctx.shown,
            Some(e.line()),
            format!("invalid JSON: {e}"),
        )),
    }
    out
}

/// The records of a JSON array or an API envelope (of a file, or of the JSON line `line`),
/// each an article: ids `FILE:N` (`FILE:LINE:N`) for records without their own.
fn records_load(ctx: &FileContext<'_>, items: Vec<Value>, line: Option<usize>, out: &mut FileLoad) {
    for (i, item) in items.into_iter().enumerate() {
        let id = || match line {
            Some(l) => format!("{}:{l}:{}", ctx.rel, i + 1),
            None => format!("{}:{}", ctx.rel, i + 1),
        };
        let members = super::record::members_of(item, &ctx.opts.fields);
        match record_article(ctx, members, id, line) {
            Ok(a) => out.articles.push(a),
            Err(reason) => out.problems.push(problem(
                ctx.shown,
                line,
                format!("record {}: {reason}", i + 1),
            )),
        }
    }
}

/// JSONL, streamed: a reader thread reads blocks of whole lines while the lines of the previous
/// block are parsed and cleaned on both cores. Memory stays bounded by two blocks plus the
/// articles kept.
fn load_json_lines(reader: impl BufRead + Send, ctx: &FileContext<'_>) -> FileLoad {
    let mut out = FileLoad::default();
    json_lines_each(reader, ctx, &mut |batch| out.append(batch));
    out
}

/// JSONL, streamed: hands `sink` the articles and problems of each block as it is done.
fn json_lines_each(
    mut reader: impl BufRead + Send,
    ctx: &FileContext<'_>,
    sink: &mut dyn FnMut(FileLoad),
) {
    const BLOCK: usize = 512 << 10;
    let record_cap = usize::try_from(ctx.opts.limits.record_bytes).unwrap_or(usize::MAX);
    // Ok(None): a line over the record limit, skipped.
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Option<Vec<u8>>>>(2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut carry: Vec<u8> = Vec::new();
            loop {
                let mut block = std::mem::take(&mut carry);
                block.reserve(BLOCK);
                let mut eof = false;
                while block.len() < BLOCK {
                    let buf = match reader.fill_buf() {
                        Ok(b) => b,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    };
                    if buf.is_empty() {
                        eof = true;
                        break;
                    }
                    let n = buf.len();
                    block.extend_from_slice(buf);
                    reader.consume(n);
                }
                if !eof {
                    // Keep the partial last line for the next block.
                    match memchr::memrchr(b'\n', &block) {
                        Some(cut) => carry = block.split_off(cut + 1),
                        None => match continue_reading_line(&mut reader, &mut block, record_cap) {
                            Ok(true) => {}
                            Ok(false) => {
                                // Over the limit: the rest of the line was read past.
                                if tx.send(Ok(None)).is_err() {
                                    return;
                                }
                                continue;
                            }
                            Err(e) => {
                                let _ = tx.send(Err(e));
                                return;
                            }
                        },
                    }
                }
                if !block.is_empty() && tx.send(Ok(Some(block))).is_err() {
                    return;
                }
                if eof {
                    return;
                }
            }
        });
        let mut line_no = 0usize;
        let mut saw_any = false;
        // Lines with invalid UTF-8: the first one and how many, reported once per file.
        let mut lossy: Option<(usize, usize)> = None;
        let mut saw_problem = false;
        for block in rx {
            let block = match block {
                Ok(Some(b)) => b,
                Ok(None) => {
                    line_no += 1;
                    saw_problem = true;
                    sink(FileLoad {
                        articles: Vec::new(),
                        problems: vec![problem(
                            ctx.shown,
                            Some(line_no),
                            format!(
                                "line longer than the {} limit for one record, skipped",
                                mb(ctx.opts.limits.record_bytes)
                            ),
                        )],
                    });
                    continue;
                }
                Err(e) => {
                    saw_problem = true;
                    sink(FileLoad {
                        articles: Vec::new(),
                        problems: vec![problem(
                            ctx.shown,
                            Some(line_no + 1),
                            format!("cannot read: {e}"),
                        )],
                    });
                    break;
                }
            };
            let mut lines: Vec<(usize, &[u8])> = Vec::new();
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', &block).chain(std::iter::once(block.len())) {
                if end < start {
                    continue;
                }
                let line = &block[start..end];
                if end < block.len() || !line.is_empty() {
                    line_no += 1;
                    if !line.iter().all(u8::is_ascii_whitespace) {
                        lines.push((line_no, line));
                    }
                }
                start = end + 1;
            }
            saw_any |= !lines.is_empty();
            let results: Vec<(usize, bool, Line)> = lines
                .into_par_iter()
                .map(|(n, bytes)| {
                    let (bad_utf8, r) = json_line(ctx, n, bytes);
                    (n, bad_utf8, r)
                })
                .collect();
            let mut batch = FileLoad {
                articles: Vec::with_capacity(results.len()),
                problems: Vec::new(),
            };
            for (n, bad_utf8, r) in results {
                if bad_utf8 {
                    let (_, count) = lossy.get_or_insert((n, 0));
                    *count += 1;
                }
                match r {
                    Line::One(a) => batch.articles.push(a),
                    Line::Many(load) => batch.append(load),
                    Line::Bad(p) => batch.problems.push(p),
                }
            }
            saw_problem |= !batch.problems.is_empty();
            sink(batch);
        }
        let mut last = Vec::new();
        if let Some((first, count)) = lossy {
            let reason = if count == 1 {
                "invalid UTF-8, decoded lossily".to_string()
            } else {
                format!("invalid UTF-8 on {count} lines (the first here), decoded lossily")
            };
            last.push(problem(ctx.shown, Some(first), reason));
        }
        if !saw_any && !saw_problem && last.is_empty() {
            last.push(problem(ctx.shown, None, "empty file"));
        }
        if !last.is_empty() {
            sink(FileLoad {
                articles: Vec::new(),
                problems: last,
            });
        }
    });
}

/// Reads to the end of the current line (a line longer than a whole block), keeping at most
/// `cap` bytes: false (and `block` emptied) when the line is longer, its rest read past.
fn continue_reading_line(
    reader: &mut impl BufRead,
    block: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<bool> {
    let mut over = block.len() > cap;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let (n, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !over && block.len() + n > cap + 1 {
            over = true;
            *block = Vec::new();
        }
        if !over {
            block.extend_from_slice(&buf[..n]);
        }
        reader.consume(n);
        if done {
            break;
        }
    }
    if over {
        *block = Vec::new();
    }
    Ok(!over)
}

/// What one JSON line gave.
// Nearly every line is `One`: boxing it would cost an allocation per line (as the `Result`
// this replaces did not).
#[allow(clippy::large_enum_variant)]
enum Line {
    /// An article.
    One(Article),
    /// An API envelope's articles (and its records' problems).
    Many(FileLoad),
    /// A problem.
    Bad(LoadProblem),
}

/// One JSONL line as an article (or an API envelope's articles); the flag tells whether the
/// line was invalid UTF-8 (decoded lossily).
fn json_line(ctx: &FileContext<'_>, line: usize, bytes: &[u8]) -> (bool, Line) {
    let (bad_utf8, text) = match std::str::from_utf8(bytes) {
        Ok(t) => (false, std::borrow::Cow::Borrowed(t)),
        Err(_) => (true, String::from_utf8_lossy(bytes)),
    };
    let members = match super::record::parse_record(text.trim_end(), &ctx.opts.fields) {
        Ok(m) => m,
        Err(e) => {
            let p = problem(ctx.shown, Some(line), format!("invalid JSON: {e}"));
            return (bad_utf8, Line::Bad(p));
        }
    };
    let r = match record_article(ctx, members, || format!("{}:{}", ctx.rel, line), Some(line)) {
        Ok(a) => Line::One(a),
        // An API response per line: its articles (looked for only when the line is no
        // article: the record parser keeps article fields alone).
        Err(reason) => match serde_json::from_str::<Value>(text.trim_end()) {
            Ok(Value::Object(map)) if super::formats::json_api::is_envelope(&map) => {
                let items = super::formats::json_api::envelope_items(map);
                let mut load = FileLoad::default();
                if items.is_empty() {
                    load.problems.push(problem(
                        ctx.shown,
                        Some(line),
                        "API envelope holds no articles",
                    ));
                }
                records_load(ctx, items, Some(line), &mut load);
                Line::Many(load)
            }
            _ => Line::Bad(problem(ctx.shown, Some(line), reason)),
        },
    };
    (bad_utf8, r)
}

/// A piece of text in a JSON value.
enum Piece<'v> {
    Str(&'v str),
    Num(&'v serde_json::Number),
}

/// Calls `f` with the pieces of text in `v`: a string trimmed (when not empty), a number, and
/// in an array each item's pieces (an object item by its `name`). Stops, returning false, when
/// `f` returns false.
fn each_piece<'v>(v: &'v Value, f: &mut dyn FnMut(Piece<'v>) -> bool) -> bool {
    match v {
        Value::String(s) => {
            let t = s.trim();
            t.is_empty() || f(Piece::Str(t))
        }
        Value::Number(n) => f(Piece::Num(n)),
        Value::Array(items) => items.iter().all(|i| match i {
            Value::Object(o) => o.get("name").is_none_or(|n| each_piece(n, f)),
            other => each_piece(other, f),
        }),
        _ => true,
    }
}

/// A JSON value as text: strings as they are, numbers printed, arrays of strings or of
/// `{"name": …}` objects joined with ", ".
fn value_text(v: &Value) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    each_piece(v, &mut |p| {
        parts.push(match p {
            Piece::Str(s) => s.to_string(),
            Piece::Num(n) => n.to_string(),
        });
        true
    });
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(parts.join(", ")),
    }
}

/// Whether [`value_text`] would give some text (without making it).
fn has_text(v: &Value) -> bool {
    !each_piece(v, &mut |_| false)
}

/// [`value_text`] of an owned value: a string that needs no trimming is moved, not copied.
fn value_into_text(v: Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() && s.trim().len() == s.len() => Some(s),
        other => value_text(&other),
    }
}

/// The host of a URL, without "www.".
pub(crate) fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.')).then(|| host.to_ascii_lowercase())
}

pub(crate) fn set_date(a: &mut Article, written: Option<String>) {
    if let Some(w) = written {
        match parse_date(&w) {
            Some(d) => {
                a.date = Some(d.iso.into());
                a.timestamp = Some(d.timestamp);
            }
            None => a.date = Some(w.into()),
        }
    }
}

pub(crate) fn record_article(
    ctx: &FileContext<'_>,
    members: Option<Members>,
    fallback_id: impl FnOnce() -> String,
    line: Option<usize>,
) -> Result<Article, String> {
    let Some(mut obj) = members else {
        return Err("record is not a JSON object".into());
    };
    super::formats::json_api::flatten_nested(&mut obj, &ctx.opts.fields);
    let f = &ctx.opts.fields;
    // Where each field's value is: the last member called by the first of the key's names
    // whose value has text.
    let at: Vec<Option<usize>> = FieldKey::ALL
        .iter()
        .map(|&key| {
            f.lookup(key, |name| {
                record::position(&obj, name).filter(|&i| has_text(&obj[i].1))
            })
        })
        .collect();
    // A value read by one key only is moved out of the record, not copied.
    let mut take = |key: FieldKey| -> Option<String> {
        let k = FieldKey::ALL.iter().position(|&x| x == key)?;
        let i = at[k]?;
        if at.iter().filter(|&&j| j == Some(i)).count() == 1 {
            value_into_text(std::mem::take(&mut obj[i].1))
        } else {
            value_text(&obj[i].1)
        }
    };
    let title = take(FieldKey::Title);
    let url = take(FieldKey::Url);
    let (byline, dateline, deck, story_key, date) = (
        take(FieldKey::Byline),
        take(FieldKey::Dateline),
        take(FieldKey::Deck),
        take(FieldKey::Story),
        take(FieldKey::Date),
    );
    let (id, source) = (take(FieldKey::Id), take(FieldKey::Source));
    let text = take(FieldKey::Text);
    if text.is_none() && title.is_none() {
        return Err("record has neither a title nor a text field".into());
    }
    let has_title = title.is_some();
    let own_id = id.is_some();
    let fallback = if own_id { String::new() } else { fallback_id() };
    // A file that is one record keeps its path as id; a record among others without an id
    // is named by its content, not its place.
    let positional = !own_id && fallback != ctx.rel;
    let mut a = Article {
        id: id.unwrap_or(fallback).into(),
        path: ctx.path.clone(),
        // Past 4 billion lines (never held in memory anyway) the line is not kept.
        line: line
            .and_then(|l| u32::try_from(l).ok())
            .and_then(std::num::NonZeroU32::new),
        source: source
            .or_else(|| url.as_deref().and_then(url_host))
            .unwrap_or_else(|| ctx.stem().to_string())
            .into(),
        title: title.unwrap_or_default(),
        url,
        more: ArticleMore {
            byline,
            dateline,
            deck,
            story_key,
            raw: text.unwrap_or_default(),
            ..ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    };
    set_date(&mut a, date);
    let raw = std::mem::take(&mut a.raw);
    super::identity::identify(&mut a, ctx.rel, &raw, own_id, positional);
    a.raw = raw;
    let cleaned = clean(
        &a.raw,
        &KnownMeta {
            title: has_title.then_some(a.title.as_str()),
            dateline: a.dateline.as_deref(),
        },
    );
    apply_cleaned(&mut a, cleaned);
    lean(&mut a, ctx.opts);
    Ok(a)
}

/// Drops what a lean load does not keep.
pub(crate) fn lean(a: &mut Article, opts: &LoadOptions) {
    // An untitled article keeps its paragraphs: its listing shows its opening words.
    if opts.lean && opts.counts_only && !a.title.trim().is_empty() {
        let mut counts = super::clean::body_counts(&a.paragraphs);
        counts.removed = crate::num::u32_of(a.removed.len());
        a.counts = Some(counts);
        a.paragraphs = Vec::new();
        a.removed = Vec::new();
    } else {
        // Kept for the article's life: no spare capacity.
        a.paragraphs.shrink_to_fit();
    }
    a.removed.shrink_to_fit();
    if opts.lean {
        a.raw = String::new();
        for r in &mut a.removed {
            r.text = String::new();
        }
    }
}

pub(crate) fn apply_cleaned(a: &mut Article, c: super::clean::Cleaned) {
    if a.title.is_empty() {
        a.title = c.title.unwrap_or_default();
    }
    if a.date.is_none() {
        set_date(a, c.date);
    }
    a.dateline = a.dateline.take().or(c.dateline);
    a.deck = a.deck.take().or(c.deck);
    a.byline = a.byline.take().or(c.byline);
    a.paragraphs = c.paragraphs;
    // Here, on the core that cleaned it, while the text is in cache.
    a.edge_keys = Some(super::clean::compute_edge_keys(&a.paragraphs));
    a.source_key = Some(super::clean::hash_source(&a.source));
    a.removed = c.removed;
}

fn text_article(ctx: &FileContext<'_>, text: &str) -> Article {
    let mut a = Article {
        id: ctx.rel.into(),
        path: ctx.path.clone(),
        source: ctx.folder.into(),
        more: ArticleMore {
            raw: if ctx.opts.lean {
                String::new()
            } else {
                text.to_string()
            },
            ..ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    };
    super::identity::identify(&mut a, ctx.rel, text, false, false);
    let cleaned = clean(text, &KnownMeta::default());
    apply_cleaned(&mut a, cleaned);
    lean(&mut a, ctx.opts);
    a
}

pub(crate) fn html_article(ctx: &FileContext<'_>, html: &str) -> Result<Article, String> {
    let extracted = super::html::extract(html)?;
    let mut a = Article {
        id: ctx.rel.into(),
        path: ctx.path.clone(),
        source: extracted
            .source
            .or_else(|| extracted.url.as_deref().and_then(url_host))
            .unwrap_or_else(|| ctx.folder.to_string())
            .into(),
        title: extracted.title.clone().unwrap_or_default(),
        url: extracted.url,
        more: ArticleMore {
            byline: extracted.author,
            deck: extracted.description,
            raw: if ctx.opts.lean {
                String::new()
            } else {
                html.to_string()
            },
            ..ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    };
    set_date(&mut a, extracted.date);
    super::identity::identify(&mut a, ctx.rel, html, false, false);
    let cleaned = clean(
        &extracted.text,
        &KnownMeta {
            title: extracted.title.as_deref(),
            dateline: None,
        },
    );
    apply_cleaned(&mut a, cleaned);
    lean(&mut a, ctx.opts);
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn opening_a_fifo_never_blocks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("x.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(open_regular(&path).map(|f| f.is_some()).ok());
        });
        let got = rx.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(got, Ok(Some(false)), "a FIFO opens at once and is refused");
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "text").expect("write");
        let mut opened = open_regular(&file).expect("open").expect("regular");
        let mut text = String::new();
        opened.read_to_string(&mut text).expect("read");
        assert_eq!(text, "text");
    }

    #[test]
    fn value_text_flattens_and_has_text_agrees() {
        let cases = [
            (serde_json::json!("  Kerry  "), Some("Kerry")),
            (serde_json::json!(12), Some("12")),
            (
                serde_json::json!(["Ann Lee", {"name": "Bo Wu"}, "  ", [" C D ", 7]]),
                Some("Ann Lee, Bo Wu, C D, 7"),
            ),
            (serde_json::json!(["", {"id": 3}]), None),
            (
                serde_json::json!({"name": "top-level objects have no text"}),
                None,
            ),
            (serde_json::json!(null), None),
        ];
        for (v, want) in cases {
            assert_eq!(value_text(&v).as_deref(), want, "{v}");
            assert_eq!(has_text(&v), want.is_some(), "{v}");
        }
    }
}
