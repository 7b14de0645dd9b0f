//! Parquet files (Hugging Face datasets such as cc_news, pandas, polars, Spark and DuckDB
//! exports): each row is a record whose column names go through the same field mapping as
//! JSON names and CSV headers. Read with the `parquet` crate's column readers, without arrow:
//! only the columns the field map wants are decoded, a row group a block of [`BATCH_ROWS`]
//! rows at a time (each column holds one page in memory), so a file of any size loads in
//! bounded memory. A struct column's leaves are named by their path (`source.name`); a list
//! column (`authors`) is one field whose values are joined. Dates stored as Parquet dates or
//! timestamps are read as such.
//!
//! Codecs: uncompressed, Snappy (what pyarrow, Hugging Face and Spark write by default), gzip
//! and LZ4; zstd (polars' default) with the cargo feature `parquet-zstd` (a C library: it
//! doubles the crate's build cost). A file using a codec this build lacks is reported once,
//! saying how to get it.

use std::borrow::Cow;
use std::fmt::Display;

use ::parquet::basic::{
    Compression as Codec, ConvertedType, LogicalType, TimeUnit, Type as PhysicalType,
};
use ::parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use ::parquet::data_type::{
    ByteArray, ByteArrayType, DataType, FixedLenByteArray, FixedLenByteArrayType, Int32Type,
    Int64Type, Int96, Int96Type,
};
use ::parquet::file::reader::{ChunkReader, FileReader, RowGroupReader, SerializedFileReader};
use ::parquet::schema::types::{ColumnDescriptor, Type as SchemaType};
use rayon::prelude::*;
use serde_json::Value;

use crate::corpus::LoadProblem;
use crate::corpus::fields::{FieldKey, FieldMap};
use crate::corpus::load::{FileContext, FileLoad, problem, record_article};
use crate::corpus::record::Members;

/// Rows decoded and cleaned together.
const BATCH_ROWS: usize = 2048;

/// The magic bytes a Parquet file starts and ends with.
pub(crate) const MAGIC: &[u8; 4] = b"PAR1";

/// Whether these bytes are a whole Parquet file by their magic (start and end) and binary
/// content after it (a text that starts and ends with "PAR1" is no table).
pub(crate) fn is_parquet(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && bytes.starts_with(MAGIC)
        && bytes.ends_with(MAGIC)
        && bytes[4..bytes.len().min(64 << 10)].iter().any(|&b| b < 9)
}

/// Loads a Parquet file from disk, reading only what it needs (the footer, then the wanted
/// columns page by page).
pub(crate) fn load_file(
    file: std::fs::File,
    ctx: &FileContext<'_>,
    sink: &mut dyn FnMut(FileLoad),
) {
    load_guarded(file, ctx, sink);
}

/// Loads a Parquet file held in memory (decompressed from a `.parquet.gz`, or handed over as
/// bytes).
pub(crate) fn load_bytes(bytes: &[u8], ctx: &FileContext<'_>, sink: &mut dyn FnMut(FileLoad)) {
    load_guarded(bytes::Bytes::copy_from_slice(bytes), ctx, sink);
}

/// [`load`], with a panic inside the Parquet decoder caught (and kept off the terminal): it
/// becomes a problem line, the rows already handed on stay.
fn load_guarded<R: ChunkReader + 'static>(
    reader: R,
    ctx: &FileContext<'_>,
    sink: &mut dyn FnMut(FileLoad),
) {
    let caught = crate::corpus::quiet_panic::catch(std::panic::AssertUnwindSafe(|| {
        load(reader, ctx, sink);
    }));
    if caught.is_err() {
        sink(fail(
            ctx,
            "the Parquet decoder failed on this file (damaged?); the rest of it is skipped",
        ));
    }
}

fn fail(ctx: &FileContext<'_>, reason: impl Into<String>) -> FileLoad {
    FileLoad {
        articles: Vec::new(),
        problems: vec![problem(ctx.shown, None, reason)],
    }
}

/// A decoder's error as a short single line (it can quote bytes of the file).
fn short(e: impl Display) -> String {
    let text = e.to_string();
    let text = text.strip_prefix("Parquet error: ").unwrap_or(&text);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    if text.chars().count() > 160 {
        out.push('…');
    }
    out
}

/// What a column's values are, for turning them into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    /// Bytes read as UTF-8 (lossily when they are not).
    Text,
    /// A whole number, signed or not.
    Int { signed: bool },
    /// Days since 1970-01-01.
    Date,
    /// A timestamp in units per second, UTC or local.
    Timestamp { per_second: i64, utc: bool },
    /// The legacy INT96 timestamp (Impala, Spark, old pandas).
    Int96,
    /// A 16-byte UUID.
    Uuid,
}

/// A column read into a record member.
#[derive(Debug, Clone)]
struct Column {
    /// Its leaf index in the file's schema.
    index: usize,
    /// The member name it fills.
    name: String,
    kind: ValueKind,
    max_def: i16,
    max_rep: i16,
    /// Whether the field map reads the text from it.
    text: bool,
}

/// The member name of a leaf column: its path with list wrappers left out (`authors` for
/// `authors.list.element`, `source.name` for a struct's leaf), whether it is inside a list,
/// and the name of the outermost list it is in. `None` for a map's leaves.
fn leaf_name(root: &SchemaType, parts: &[String]) -> Option<(String, Option<String>)> {
    let mut names = vec![root.name().to_string()];
    let mut list: Option<String> = None;
    let mut t = root;
    let mut i = 1;
    if repeated(t) {
        list = Some(names.join("."));
    }
    loop {
        let info = t.get_basic_info();
        let logical = info.logical_type_ref();
        if matches!(
            info.converted_type(),
            ConvertedType::MAP | ConvertedType::MAP_KEY_VALUE
        ) || logical == Some(&LogicalType::Map)
        {
            return None;
        }
        if t.is_group()
            && (info.converted_type() == ConvertedType::LIST || logical == Some(&LogicalType::List))
        {
            list.get_or_insert_with(|| names.join("."));
            let rep = child(t, parts.get(i)?)?;
            i += 1;
            // Three levels (`list.element`), or two (the repeated field is the element).
            t = if rep.is_group() && rep.get_fields().len() == 1 && i < parts.len() {
                i += 1;
                child(rep, &parts[i - 1])?
            } else {
                rep
            };
            continue;
        }
        let Some(part) = parts.get(i) else { break };
        t = child(t, part)?;
        i += 1;
        names.push(t.name().to_string());
        if repeated(t) {
            list.get_or_insert_with(|| names.join("."));
        }
    }
    Some((names.join("."), list))
}

fn repeated(t: &SchemaType) -> bool {
    let info = t.get_basic_info();
    info.has_repetition() && info.repetition() == ::parquet::basic::Repetition::REPEATED
}

fn child<'a>(t: &'a SchemaType, name: &str) -> Option<&'a SchemaType> {
    if !t.is_group() {
        return None;
    }
    t.get_fields()
        .iter()
        .find(|f| f.name() == name)
        .map(AsRef::as_ref)
}

/// How a leaf's values become text; `None` for values that fill no field (booleans,
/// floating point, decimals, times of day).
fn value_kind(col: &ColumnDescriptor) -> Option<ValueKind> {
    let logical = col.logical_type_ref();
    let converted = col.converted_type();
    Some(match col.physical_type() {
        PhysicalType::BYTE_ARRAY if converted == ConvertedType::DECIMAL => return None,
        PhysicalType::BYTE_ARRAY => ValueKind::Text,
        PhysicalType::INT32 => match (logical, converted) {
            (Some(LogicalType::Date), _) | (_, ConvertedType::DATE) => ValueKind::Date,
            (Some(LogicalType::Integer(i)), _) => ValueKind::Int {
                signed: i.is_signed,
            },
            (_, ConvertedType::DECIMAL | ConvertedType::TIME_MILLIS) => return None,
            (_, c) => ValueKind::Int {
                signed: !matches!(
                    c,
                    ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32
                ),
            },
        },
        PhysicalType::INT64 => match (logical, converted) {
            (Some(LogicalType::Timestamp(ts)), _) => ValueKind::Timestamp {
                per_second: match ts.unit {
                    TimeUnit::MILLIS => 1_000,
                    TimeUnit::MICROS => 1_000_000,
                    TimeUnit::NANOS => 1_000_000_000,
                },
                utc: ts.is_adjusted_to_u_t_c,
            },
            (_, ConvertedType::TIMESTAMP_MILLIS) => ValueKind::Timestamp {
                per_second: 1_000,
                utc: true,
            },
            (_, ConvertedType::TIMESTAMP_MICROS) => ValueKind::Timestamp {
                per_second: 1_000_000,
                utc: true,
            },
            (Some(LogicalType::Integer(i)), _) => ValueKind::Int {
                signed: i.is_signed,
            },
            (_, ConvertedType::DECIMAL | ConvertedType::TIME_MICROS) => return None,
            (Some(LogicalType::Time(_)), _) => return None,
            (_, c) => ValueKind::Int {
                signed: c != ConvertedType::UINT_64,
            },
        },
        PhysicalType::INT96 => ValueKind::Int96,
        PhysicalType::FIXED_LEN_BYTE_ARRAY => match (logical, converted) {
            (Some(LogicalType::Uuid), _) => ValueKind::Uuid,
            (_, ConvertedType::NONE | ConvertedType::UTF8) if logical.is_none() => ValueKind::Text,
            _ => return None,
        },
        PhysicalType::BOOLEAN | PhysicalType::FLOAT | PhysicalType::DOUBLE => return None,
    })
}

/// The columns of a file the field map reads, in schema order.
fn plan(schema: &::parquet::schema::types::SchemaDescriptor, fields: &FieldMap) -> Vec<Column> {
    let text_names: Vec<&str> = {
        let mut v = Vec::new();
        fields.lookup::<()>(FieldKey::Text, |n| {
            v.push(n);
            None
        });
        v
    };
    let mut out: Vec<Column> = Vec::new();
    for (index, col) in schema.columns().iter().enumerate() {
        let Some(kind) = value_kind(col) else {
            continue;
        };
        let Some((name, list)) = leaf_name(schema.get_column_root(index), col.path().parts())
        else {
            continue;
        };
        let wanted = |n: &str| -> Option<String> {
            if fields.wants(n) {
                return Some(n.to_string());
            }
            let lower = n.to_lowercase();
            fields.wants(&lower).then_some(lower)
        };
        // The path itself (`source.name`), else, for a list of structs (`authors` holding
        // `{name, …}`), the list's name, filled by its first text leaf.
        let name = match wanted(&name) {
            Some(n) => n,
            None => match list.as_deref().and_then(wanted) {
                Some(n) if kind == ValueKind::Text && !out.iter().any(|c| c.name == n) => n,
                _ => continue,
            },
        };
        out.push(Column {
            index,
            text: text_names.contains(&name.as_str()),
            name,
            kind,
            max_def: col.max_def_level(),
            max_rep: col.max_rep_level(),
        });
    }
    out
}

/// The codec of a wanted column this build cannot read, as a message.
fn unreadable_codec(codec: Codec) -> Option<String> {
    match codec {
        Codec::UNCOMPRESSED | Codec::SNAPPY | Codec::GZIP(_) | Codec::LZ4 | Codec::LZ4_RAW => None,
        #[cfg(feature = "parquet-zstd")]
        Codec::ZSTD(_) => None,
        #[cfg(not(feature = "parquet-zstd"))]
        Codec::ZSTD(_) => Some(
            "Parquet file compressed with zstd: this stet was built without zstd support for \
             Parquet; rebuild with `cargo build --release --features parquet-zstd`"
                .to_string(),
        ),
        Codec::BROTLI(_) | Codec::LZO => Some(format!(
            "Parquet file compressed with {}, which stet does not read (it reads uncompressed, \
             Snappy, gzip, LZ4{} Parquet); rewrite it with Snappy (pyarrow: \
             pq.write_table(pq.read_table(IN), OUT))",
            if matches!(codec, Codec::LZO) {
                "LZO"
            } else {
                "Brotli"
            },
            if cfg!(feature = "parquet-zstd") {
                " and zstd"
            } else {
                " and, built with the parquet-zstd feature, zstd"
            }
        )),
    }
}

/// What went wrong across a file, each kind reported once at its end.
#[derive(Debug, Default)]
struct Tally {
    rows: usize,
    /// Rows with neither a title nor a text: (first row, count).
    empty: Option<(usize, usize)>,
    /// Rows with a title and no text.
    untexted: Option<(usize, usize)>,
    /// Rows with invalid UTF-8 in a wanted cell.
    lossy: Option<(usize, usize)>,
    /// Row groups that could not be read (whole or in part): (first, count, first error).
    broken: Option<(usize, usize, String)>,
}

fn note(slot: &mut Option<(usize, usize)>, row: usize) {
    slot.get_or_insert((row, 0)).1 += 1;
}

fn load<R: ChunkReader + 'static>(
    reader: R,
    ctx: &FileContext<'_>,
    sink: &mut dyn FnMut(FileLoad),
) {
    let len = reader.len();
    if len < 12 {
        return sink(fail(ctx, "not a Parquet file: too short to hold one"));
    }
    // The magic, and binary bytes after it: a text that happens to start with "PAR1" is
    // not taken for a cut table.
    let head = reader
        .get_bytes(0, usize::try_from(len.min(4096)).unwrap_or(4096))
        .map(|b| b.starts_with(MAGIC) && b[4..].iter().any(|&x| x < 9));
    let tail = reader.get_bytes(len - 4, 4).map(|b| b.as_ref() == MAGIC);
    match (head, tail) {
        (Ok(true), Ok(true)) => {}
        (Ok(true), Ok(false)) => {
            return sink(fail(
                ctx,
                "truncated Parquet file: it does not end with PAR1 (an unfinished download or copy?)",
            ));
        }
        (Ok(false), _) => {
            return sink(fail(
                ctx,
                "not a Parquet file: no PAR1 magic followed by binary data",
            ));
        }
        (Err(e), _) | (_, Err(e)) => return sink(fail(ctx, format!("cannot read: {}", short(e)))),
    }
    let file = match SerializedFileReader::new(reader) {
        Ok(f) => f,
        Err(e) => {
            return sink(fail(
                ctx,
                format!(
                    "cannot read the Parquet file's footer (damaged?): {}",
                    short(e)
                ),
            ));
        }
    };
    let meta = file.metadata();
    let schema = meta.file_metadata().schema_descr();
    let columns = plan(schema, &ctx.opts.fields);
    if columns.is_empty() {
        let mut names: Vec<&str> = schema
            .root_schema()
            .get_fields()
            .iter()
            .map(|f| f.name())
            .take(12)
            .collect();
        if schema.root_schema().get_fields().len() > 12 {
            names.push("…");
        }
        return sink(fail(
            ctx,
            format!(
                "Parquet columns name no article field (title, text, …): {}; see --field",
                short(names.join(", "))
            ),
        ));
    }
    for rg in meta.row_groups() {
        for c in &columns {
            let codec = rg.columns().get(c.index).map(|m| m.compression());
            if let Some(reason) = codec.and_then(unreadable_codec) {
                return sink(fail(ctx, reason));
            }
        }
    }
    let has_text = columns.iter().any(|c| c.text);
    if !has_text {
        sink(fail(
            ctx,
            "Parquet file has no text column (text, maintext, content, article, body…): \
             loaded headline-only; see --field text=NAME",
        ));
    }
    let mut tally = Tally::default();
    for g in 0..file.num_row_groups() {
        let read = file
            .get_row_group(g)
            .map_err(short)
            .and_then(|rg| row_group(&*rg, &columns, ctx, has_text, &mut tally, sink));
        if let Err(e) = read {
            tally.broken.get_or_insert((g + 1, 0, e)).1 += 1;
        }
    }
    sink(FileLoad {
        articles: Vec::new(),
        problems: tally_problems(ctx, &tally, file.num_row_groups()),
    });
}

fn tally_problems(ctx: &FileContext<'_>, t: &Tally, groups: usize) -> Vec<LoadProblem> {
    let plural = crate::text::plural;
    let mut out = Vec::new();
    if t.rows == 0 && t.broken.is_none() {
        out.push(problem(ctx.shown, None, "Parquet file has no rows"));
    }
    if let Some((first, n, e)) = &t.broken {
        out.push(problem(
            ctx.shown,
            None,
            format!(
                "{} of {groups} could not be read (the first: row group {first}: {e}); {}",
                plural(*n, "row group", "row groups"),
                if t.rows > 0 {
                    "the rows before the damage are loaded"
                } else {
                    "no row was loaded"
                }
            ),
        ));
    }
    // The first row of each kind as the problem's line (a row is a Parquet file's line, as
    // for articles: `FILE:ROW` finds one), so that reasons group as CSV's do.
    if let Some((first, n)) = t.empty {
        out.push(problem(
            ctx.shown,
            Some(first),
            if n == 1 {
                "row has neither a title nor a text".to_string()
            } else {
                format!("{n} rows have neither a title nor a text (the first here)")
            },
        ));
    }
    if let Some((first, n)) = t.untexted {
        out.push(problem(
            ctx.shown,
            Some(first),
            if n == 1 {
                "row has no text (loaded headline-only)".to_string()
            } else {
                format!("{n} rows have no text (the first here; loaded headline-only)")
            },
        ));
    }
    if let Some((first, n)) = t.lossy {
        out.push(problem(
            ctx.shown,
            Some(first),
            format!(
                "invalid UTF-8 in {} (the first here), decoded lossily",
                plural(n, "row", "rows")
            ),
        ));
    }
    out
}

/// A column's reader, typed by what it holds.
enum Reader {
    Bytes(ColumnReaderImpl<ByteArrayType>),
    Int32(ColumnReaderImpl<Int32Type>),
    Int64(ColumnReaderImpl<Int64Type>),
    Int96(ColumnReaderImpl<Int96Type>),
    Fixed(ColumnReaderImpl<FixedLenByteArrayType>),
}

/// One column's cells for a block of rows: a value (a string, or an array of strings for a
/// list) or nothing, per row; and the rows (from 0) with invalid UTF-8.
struct Cells {
    cells: Vec<Option<Value>>,
    lossy: Vec<usize>,
}

/// Reads one row group a block of rows at a time, handing each block's articles to `sink`.
fn row_group(
    rg: &dyn RowGroupReader,
    columns: &[Column],
    ctx: &FileContext<'_>,
    has_text: bool,
    tally: &mut Tally,
    sink: &mut dyn FnMut(FileLoad),
) -> Result<(), String> {
    if columns.iter().any(|c| c.index >= rg.num_columns()) {
        return Err("fewer columns than the schema".into());
    }
    let mut readers = Vec::with_capacity(columns.len());
    for c in columns {
        let r = match rg.get_column_reader(c.index).map_err(short)? {
            ColumnReader::ByteArrayColumnReader(r) => Reader::Bytes(r),
            ColumnReader::Int32ColumnReader(r) => Reader::Int32(r),
            ColumnReader::Int64ColumnReader(r) => Reader::Int64(r),
            ColumnReader::Int96ColumnReader(r) => Reader::Int96(r),
            ColumnReader::FixedLenByteArrayColumnReader(r) => Reader::Fixed(r),
            _ => return Err("a column of an unexpected type".into()),
        };
        readers.push(r);
    }
    let expected = usize::try_from(rg.metadata().num_rows()).unwrap_or(0);
    let mut done = 0usize;
    loop {
        let mut block: Vec<Cells> = Vec::with_capacity(columns.len());
        for (c, r) in columns.iter().zip(&mut readers) {
            block.push(read_cells(r, c).map_err(short)?);
        }
        let n = block.first().map_or(0, |b| b.cells.len());
        if block.iter().any(|b| b.cells.len() != n) {
            return Err("its columns hold different numbers of rows".into());
        }
        if n == 0 {
            if done < expected {
                return Err(format!("{done} rows of the {expected} it declares"));
            }
            return Ok(());
        }
        let first_row = tally.rows + 1;
        tally.rows += n;
        done += n;
        emit_block(block, columns, ctx, has_text, first_row, tally, sink);
    }
}

/// Makes the articles of one block of rows (on both cores) and notes its problems.
fn emit_block(
    block: Vec<Cells>,
    columns: &[Column],
    ctx: &FileContext<'_>,
    has_text: bool,
    first_row: usize,
    tally: &mut Tally,
    sink: &mut dyn FnMut(FileLoad),
) {
    let n = block.first().map_or(0, |b| b.cells.len());
    let mut lossy_rows: Vec<usize> = block.iter().flat_map(|b| b.lossy.iter().copied()).collect();
    lossy_rows.sort_unstable();
    lossy_rows.dedup();
    for r in lossy_rows {
        note(&mut tally.lossy, first_row + r);
    }
    let mut rows: Vec<(Members<'_>, bool)> = (0..n).map(|_| (Vec::new(), false)).collect();
    for (b, c) in block.into_iter().zip(columns) {
        for (row, cell) in rows.iter_mut().zip(b.cells) {
            if let Some(v) = cell {
                if c.text && has_value(&v) {
                    row.1 = true;
                }
                row.0.push((Cow::Borrowed(c.name.as_str()), v));
            }
        }
    }
    let results: Vec<(usize, bool, Result<crate::corpus::Article, String>)> = rows
        .into_par_iter()
        .enumerate()
        .map(|(i, (members, texted))| {
            let row = first_row + i;
            let a = record_article(
                ctx,
                Some(members),
                || format!("{}:{row}", ctx.rel),
                Some(row),
            );
            (row, texted, a)
        })
        .collect();
    let mut out = FileLoad {
        articles: Vec::with_capacity(results.len()),
        problems: Vec::new(),
    };
    for (row, texted, r) in results {
        match r {
            Ok(a) => {
                if has_text && !texted {
                    note(&mut tally.untexted, row);
                }
                out.articles.push(a);
            }
            Err(_) => note(&mut tally.empty, row),
        }
    }
    sink(out);
}

fn has_value(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => items.iter().any(has_value),
        _ => false,
    }
}

/// Reads up to [`BATCH_ROWS`] rows of one column.
fn read_cells(r: &mut Reader, c: &Column) -> ::parquet::errors::Result<Cells> {
    match r {
        Reader::Bytes(r) => read_typed(r, c, |v: &ByteArray| text(v.data())),
        Reader::Int32(r) => read_typed(r, c, |v: &i32| {
            // An unsigned one read back from its 32 bits.
            let wide = match c.kind {
                ValueKind::Int { signed: false } => i64::from(v.cast_unsigned()),
                _ => i64::from(*v),
            };
            (int_text(c.kind, wide), false)
        }),
        Reader::Int64(r) => read_typed(r, c, |v: &i64| (int_text(c.kind, *v), false)),
        Reader::Int96(r) => read_typed(r, c, |v: &Int96| {
            (Some(crate::corpus::date::iso_utc(v.to_seconds())), false)
        }),
        Reader::Fixed(r) => read_typed(r, c, |v: &FixedLenByteArray| match c.kind {
            ValueKind::Uuid => (uuid_text(v.data()), false),
            _ => text(v.data()),
        }),
    }
}

/// Bytes as text (lossily, saying so), `None` when empty.
fn text(bytes: &[u8]) -> (Option<String>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => ((!s.is_empty()).then(|| s.to_string()), false),
        Err(_) => (Some(String::from_utf8_lossy(bytes).into_owned()), true),
    }
}

fn int_text(kind: ValueKind, v: i64) -> Option<String> {
    Some(match kind {
        ValueKind::Date => crate::corpus::date::day_of(v.saturating_mul(86_400)),
        ValueKind::Timestamp { per_second, utc } => {
            let iso = crate::corpus::date::iso_utc(v.div_euclid(per_second));
            if utc {
                iso
            } else {
                iso.trim_end_matches('Z').to_string()
            }
        }
        ValueKind::Int { signed: false } => v.cast_unsigned().to_string(),
        _ => v.to_string(),
    })
}

fn uuid_text(b: &[u8]) -> Option<String> {
    if b.len() != 16 {
        return None;
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// Reads up to [`BATCH_ROWS`] whole rows of a column and turns each row's values into a cell:
/// a string, an array of strings for a list, or nothing (null, empty).
fn read_typed<T: DataType>(
    r: &mut ColumnReaderImpl<T>,
    c: &Column,
    conv: impl Fn(&T::T) -> (Option<String>, bool),
) -> ::parquet::errors::Result<Cells> {
    let mut def: Vec<i16> = Vec::new();
    let mut rep: Vec<i16> = Vec::new();
    let mut values: Vec<T::T> = Vec::new();
    let (records, _, levels) =
        r.read_records(BATCH_ROWS, Some(&mut def), Some(&mut rep), &mut values)?;
    let mut out = Cells {
        cells: Vec::with_capacity(records),
        lossy: Vec::new(),
    };
    let mut next = values.iter();
    let mut take = |out: &mut Cells, row: usize| -> Option<String> {
        let (s, lossy) = conv(next.next()?);
        if lossy {
            out.lossy.push(row);
        }
        s
    };
    if c.max_rep == 0 {
        if c.max_def == 0 {
            for row in 0..records {
                let v = take(&mut out, row).map(Value::String);
                out.cells.push(v);
            }
        } else {
            for &d in def.iter().take(levels) {
                let row = out.cells.len();
                let v = if d == c.max_def {
                    take(&mut out, row).map(Value::String)
                } else {
                    None
                };
                out.cells.push(v);
            }
        }
        return Ok(out);
    }
    // A list: a new row where the repetition level is 0; a value where the definition level
    // is full.
    let mut current: Option<Vec<Value>> = None;
    for (i, &r) in rep.iter().take(levels).enumerate() {
        if r == 0 {
            if let Some(items) = current.take() {
                out.cells.push(list_cell(items));
            }
            current = Some(Vec::new());
        }
        let full = if c.max_def == 0 {
            true
        } else {
            def.get(i) == Some(&c.max_def)
        };
        if full {
            let row = out.cells.len();
            if let Some(s) = take(&mut out, row) {
                current.get_or_insert_with(Vec::new).push(Value::String(s));
            }
        }
    }
    if let Some(items) = current {
        out.cells.push(list_cell(items));
    }
    Ok(out)
}

fn list_cell(items: Vec<Value>) -> Option<Value> {
    (!items.is_empty()).then_some(Value::Array(items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load::LoadOptions;

    /// The fixtures, written by pyarrow (scripts/make-parquet-fixtures.py).
    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/parquet/{name}.parquet",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn load_with(bytes: &[u8], opts: &LoadOptions) -> FileLoad {
        let ctx = FileContext {
            shown: "t.parquet",
            path: &"t.parquet".into(),
            rel: "t.parquet",
            folder: "f",
            opts,
        };
        let mut out = FileLoad::default();
        load_bytes(bytes, &ctx, &mut |b| out.append(b));
        out
    }

    fn load(bytes: &[u8]) -> FileLoad {
        load_with(bytes, &LoadOptions::default())
    }

    fn reasons(out: &FileLoad) -> Vec<&str> {
        out.problems.iter().map(|p| p.reason.as_str()).collect()
    }

    #[test]
    fn cc_news_columns_titles_dates_sources_texts() {
        let out = load(&fixture("cc_news"));
        assert_eq!(out.articles.len(), 3, "{:?}", reasons(&out));
        let a = &out.articles[0];
        assert_eq!(a.title, "Harbour reopens after storm");
        assert_eq!(a.source, "coastherald.example");
        assert_eq!(a.date.as_deref(), Some("2017-12-01T19:39:40"));
        assert_eq!(a.deck.as_deref(), Some("Repairs finished a day early."));
        assert_eq!(
            a.url.as_deref(),
            Some("https://coastherald.example/harbour-reopens")
        );
        assert_eq!(
            a.paragraphs,
            [
                "The harbour at Port Allan reopened on Monday after a week of repairs.",
                "Fishing boats left before dawn, the harbour master said."
            ]
        );
        assert_eq!(a.line.map(std::num::NonZeroU32::get), Some(1));
        assert_eq!(out.articles[1].source, "millvale-news.example");
        assert_eq!(out.articles[1].date.as_deref(), Some("2017-12-02T08:05:00"));
        let headline_only = &out.articles[2];
        assert_eq!(headline_only.title, "Headline only: bridge closed");
        assert!(headline_only.paragraphs.is_empty());
        assert_eq!(headline_only.line.map(std::num::NonZeroU32::get), Some(3));
        assert_eq!(
            reasons(&out),
            [
                "row has neither a title nor a text",
                "row has no text (loaded headline-only)"
            ]
        );
        let lines: Vec<_> = out.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(4), Some(3)], "the rows, as lines");
    }

    #[test]
    fn struct_leaves_lists_timestamps_and_row_groups() {
        let out = load(&fixture("nested"));
        assert_eq!(out.articles.len(), 3, "{:?}", reasons(&out));
        assert!(out.problems.is_empty(), "{:?}", reasons(&out));
        let a = &out.articles[0];
        assert_eq!(a.key.record, "101");
        assert_eq!(a.title, "Dam inspection finds cracks");
        assert_eq!(a.source, "Daily Valley", "source.name");
        assert_eq!(a.byline.as_deref(), Some("Ann Lee, Bo Wu"), "a list joined");
        assert_eq!(a.date.as_deref(), Some("2021-05-07T14:30:00Z"));
        assert_eq!(a.paragraphs.len(), 2);
        let b = &out.articles[1];
        assert_eq!(b.byline, None, "an empty list is no byline");
        assert_eq!(b.date.as_deref(), Some("2021-05-10T09:00:00Z"));
        // The second row group: nulls everywhere but the title and text.
        let c = &out.articles[2];
        assert_eq!(c.title, "Valley fair opens");
        assert_eq!(c.source, "t", "no source: the file's name");
        assert_eq!(c.date, None);
        assert_eq!(c.line.map(std::num::NonZeroU32::get), Some(3));
        // A list of structs read through --field by its leaf's path.
        let mut opts = LoadOptions::default();
        opts.fields.set("byline", "byline_parts.name").unwrap();
        let out = load_with(&fixture("nested"), &opts);
        assert_eq!(out.articles[0].byline.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn date_and_local_timestamp_types_and_lz4() {
        let out = load(&fixture("dates"));
        assert_eq!(out.articles.len(), 1, "{:?}", reasons(&out));
        let a = &out.articles[0];
        assert_eq!(a.title, "Ferry timetable changes");
        assert_eq!(a.date.as_deref(), Some("2019-11-03"), "date32 pubdate");
        assert_eq!(
            a.paragraphs,
            ["The winter ferry timetable starts on Sunday."]
        );
        let mut opts = LoadOptions::default();
        opts.fields.set("date", "seen").unwrap();
        let out = load_with(&fixture("dates"), &opts);
        assert_eq!(
            out.articles[0].date.as_deref(),
            Some("2019-11-03T06:15:00"),
            "a timestamp not adjusted to UTC keeps no Z"
        );
    }

    #[test]
    fn no_text_column_and_no_usable_column() {
        let out = load(&fixture("title_only"));
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].title, "Storm warning for the coast");
        assert_eq!(out.articles[0].source, "coastherald.example");
        assert_eq!(out.problems.len(), 1, "one problem, not one per row");
        assert!(
            reasons(&out)[0].contains("no text column"),
            "{:?}",
            reasons(&out)
        );
        let out = load(&fixture("no_fields"));
        assert!(out.articles.is_empty());
        assert_eq!(
            reasons(&out),
            ["Parquet columns name no article field (title, text, …): a, b; see --field"]
        );
    }

    #[test]
    fn codecs_this_build_lacks_are_named_once() {
        let out = load(&fixture("brotli"));
        assert!(out.articles.is_empty());
        assert_eq!(out.problems.len(), 1);
        assert!(reasons(&out)[0].contains("Brotli"), "{:?}", reasons(&out));
        let out = load(&fixture("zstd"));
        if cfg!(feature = "parquet-zstd") {
            assert_eq!(out.articles.len(), 2, "{:?}", reasons(&out));
            assert_eq!(out.articles[1].title, "Council approves new library");
        } else {
            assert!(out.articles.is_empty());
            assert_eq!(out.problems.len(), 1);
            assert!(
                reasons(&out)[0].contains("cargo build --release --features parquet-zstd"),
                "{:?}",
                reasons(&out)
            );
        }
    }

    #[test]
    fn truncated_files_say_so() {
        let whole = fixture("cc_news");
        for cut in [0, 3, 4, 11, 12, 100, whole.len() / 2, whole.len() - 1] {
            let out = load(&whole[..cut]);
            assert!(out.articles.is_empty(), "cut at {cut}");
            assert_eq!(out.problems.len(), 1, "cut at {cut}: {:?}", reasons(&out));
            let r = reasons(&out)[0];
            assert!(
                r.contains("truncated") || r.contains("too short") || r.contains("PAR1"),
                "cut at {cut}: {r}"
            );
        }
        // Cut, then given its end magic back: the footer is what is missing.
        let mut patched = whole[..whole.len() - 40].to_vec();
        patched.extend_from_slice(MAGIC);
        let out = load(&patched);
        assert!(out.articles.is_empty());
        assert!(reasons(&out)[0].contains("footer"), "{:?}", reasons(&out));
    }

    #[test]
    fn corrupt_bytes_never_panic_and_are_reported() {
        let whole = fixture("nested");
        let mut reported = 0;
        for at in (4..whole.len() - 4).step_by(7) {
            for x in [0xff_u8, 0x01, 0x80] {
                let mut bytes = whole.clone();
                bytes[at] ^= x;
                let out = load(&bytes);
                assert!(out.articles.len() <= 3, "flip at {at}");
                if !out.problems.is_empty() {
                    reported += 1;
                }
                for p in &out.problems {
                    assert!(!p.reason.is_empty() && p.reason.chars().count() < 400);
                    assert!(!p.reason.chars().any(char::is_control), "{}", p.reason);
                }
            }
        }
        assert!(reported > 0, "some flip must be noticed");
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_and_reported() {
        let out = load(&fixture("binary"));
        assert_eq!(out.articles.len(), 2, "{:?}", reasons(&out));
        assert_eq!(
            out.articles[0].title, "Tide tables",
            "binary columns read as text"
        );
        assert_eq!(out.articles[1].title, "Bad \u{fffd} byte");
        assert_eq!(
            reasons(&out),
            ["invalid UTF-8 in 1 row (the first here), decoded lossily"]
        );
        assert_eq!(out.problems[0].line, Some(2));
    }

    #[test]
    fn magic_and_names() {
        assert!(is_parquet(&fixture("cc_news")));
        assert!(!is_parquet(b"PAR1 not really PAR1"));
        assert_eq!(
            uuid_text(&[0x12; 16]).as_deref(),
            Some("12121212-1212-1212-1212-121212121212")
        );
        assert_eq!(int_text(ValueKind::Date, 0).as_deref(), Some("1970-01-01"));
        assert_eq!(
            int_text(ValueKind::Int { signed: false }, -1).as_deref(),
            Some("18446744073709551615")
        );
        assert!(short("Parquet error: a\nb").starts_with("a b"));
    }
}
