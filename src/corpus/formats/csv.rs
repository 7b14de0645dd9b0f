//! CSV and TSV tables with a header row (Media Cloud, GDELT with fetched text, Kaggle "All the
//! News"): each row is a record whose column names go through the same field mapping as JSON
//! names. Streamed a block of rows at a time (cleaned on both cores), so a file of any size
//! loads in bounded memory; one row may not grow past [`MAX_ROW_BYTES`] (an unclosed quote
//! would otherwise swallow the rest of the file).

use std::borrow::Cow;
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

use rayon::prelude::*;
use serde_json::Value;

use crate::corpus::load::{FileContext, FileLoad, problem, record_article};
use crate::corpus::record::Members;

/// The most bytes one row may take.
pub(crate) const MAX_ROW_BYTES: u64 = 64 << 20;

/// Rows parsed and cleaned together.
const BATCH_ROWS: usize = 2048;

/// A reader that fails once more than [`MAX_ROW_BYTES`] were read since the end of the last
/// row (which the parser notes in `row_end`).
struct RowCapped<R> {
    inner: R,
    read: u64,
    row_end: Rc<Cell<u64>>,
}

impl<R: Read> Read for RowCapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.row_end.get()) > MAX_ROW_BYTES {
            return Err(std::io::Error::other(format!(
                "a row longer than {} MB (an unclosed quote?)",
                MAX_ROW_BYTES >> 20
            )));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Loads a table, handing `sink` the articles and problems of each block of rows.
pub(crate) fn load_each(
    reader: impl Read,
    delimiter: u8,
    ctx: &FileContext<'_>,
    sink: &mut dyn FnMut(FileLoad),
) {
    let row_end = Rc::new(Cell::new(0u64));
    let capped = RowCapped {
        inner: reader,
        read: 0,
        row_end: row_end.clone(),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(1 << 20)
        .from_reader(capped);
    let fail = |reason: String, line: Option<usize>| FileLoad {
        articles: Vec::new(),
        problems: vec![problem(ctx.shown, line, reason)],
    };
    let mut header = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return sink(fail("empty file".into(), None)),
        Err(e) => return sink(fail(format!("cannot read: {e}"), Some(1))),
    }
    row_end.set(header.position().map_or(0, |p| p.byte()));
    // Each column's name as the field map knows it (exact, else lower-case), or None.
    let fields = &ctx.opts.fields;
    let names: Vec<Option<String>> = header
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let h = String::from_utf8_lossy(raw);
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                &h
            };
            let h = h.trim();
            if fields.wants(h) {
                Some(h.to_string())
            } else {
                let lower = h.to_lowercase();
                fields.wants(&lower).then_some(lower)
            }
        })
        .collect();
    let mut names = names;
    let newsedits = newsedits_columns(&header, &names, fields);
    if let Some(ne) = &newsedits {
        // NewsEdits (and `stet watch export --format newsedits`): the summary is the text,
        // the entry one story, each version dated by its `created`.
        names[ne.summary] = Some("text".into());
        names[ne.entry] = Some("story_id".into());
        if let Some(c) = ne.created {
            names[c] = Some("date".into());
        }
    }
    if names.iter().all(Option::is_none) {
        return sink(fail(
            "table header names no article field (title, text, …): see --field".into(),
            Some(1),
        ));
    }
    let mut empty_rows: Option<(usize, usize)> = None;
    let mut bad_utf8: Option<(usize, usize)> = None;
    let mut rows = 0usize;
    let mut batch: Vec<(usize, csv::ByteRecord)> = Vec::with_capacity(BATCH_ROWS);
    let mut done = false;
    let mut failed = false;
    while !done {
        let mut rec = csv::ByteRecord::new();
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                let pos = rec.position().map_or(0, |p| p.byte());
                row_end.set(pos + rec.as_slice().len() as u64 + rec.len() as u64 + 2);
                let line = rec
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
                batch.push((line, rec));
            }
            Ok(false) => done = true,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX));
                sink(fail(format!("cannot read the table further: {e}"), line));
                done = true;
                failed = true;
            }
        }
        if batch.len() >= BATCH_ROWS || (done && !batch.is_empty()) {
            rows += batch.len();
            let results: Vec<(usize, bool, Result<crate::corpus::Article, String>)> = batch
                .par_drain(..)
                .map(|(line, rec)| {
                    let (lossy, mut members) = row_members(&names, &rec);
                    if let Some(ne) = &newsedits {
                        newsedits_row(ne, &rec, &mut members);
                    }
                    let r = record_article(
                        ctx,
                        Some(members),
                        || format!("{}:{line}", ctx.rel),
                        Some(line),
                    );
                    (line, lossy, r)
                })
                .collect();
            let mut out = FileLoad {
                articles: Vec::with_capacity(results.len()),
                problems: Vec::new(),
            };
            for (line, lossy, r) in results {
                if lossy {
                    bad_utf8.get_or_insert((line, 0)).1 += 1;
                }
                match r {
                    Ok(a) => out.articles.push(a),
                    Err(_) => empty_rows.get_or_insert((line, 0)).1 += 1,
                }
            }
            sink(out);
        }
    }
    let mut last = Vec::new();
    if rows == 0 && !failed {
        last.push(problem(ctx.shown, None, "table has a header and no rows"));
    }
    if let Some((first, n)) = empty_rows {
        last.push(problem(
            ctx.shown,
            Some(first),
            if n == 1 {
                "row has neither a title nor a text".to_string()
            } else {
                format!("{n} rows have neither a title nor a text (the first here)")
            },
        ));
    }
    if let Some((first, n)) = bad_utf8 {
        last.push(problem(
            ctx.shown,
            Some(first),
            format!(
                "invalid UTF-8 in {} (the first here), decoded lossily",
                crate::text::plural(n, "row", "rows")
            ),
        ));
    }
    if !last.is_empty() {
        sink(FileLoad {
            articles: Vec::new(),
            problems: last,
        });
    }
}

/// The places of a NewsEdits table's columns (`entry_id, version, title, url, created,
/// summary`), found when the header has `entry_id`, `version` and `summary` and no column the
/// text is otherwise read from.
#[derive(Debug, Clone, Copy)]
struct NewsEditsColumns {
    entry: usize,
    version: usize,
    summary: usize,
    created: Option<usize>,
}

fn newsedits_columns(
    header: &csv::ByteRecord,
    names: &[Option<String>],
    fields: &crate::corpus::fields::FieldMap,
) -> Option<NewsEditsColumns> {
    let lower: Vec<String> = header
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_lowercase()
        })
        .collect();
    let at = |name: &str| lower.iter().position(|h| h == name);
    let has_text = fields
        .lookup(crate::corpus::fields::FieldKey::Text, |n| {
            names.iter().flatten().any(|x| x == n).then_some(())
        })
        .is_some();
    if has_text {
        return None;
    }
    Some(NewsEditsColumns {
        entry: at("entry_id")?,
        version: at("version")?,
        summary: at("summary")?,
        created: at("created"),
    })
}

/// A NewsEdits row's id (`ENTRY.vVERSION`) and its summary's `<p>` markup as paragraphs.
fn newsedits_row(ne: &NewsEditsColumns, rec: &csv::ByteRecord, members: &mut Members<'static>) {
    let cell = |i: usize| {
        String::from_utf8_lossy(rec.get(i).unwrap_or_default())
            .trim()
            .to_string()
    };
    members.push((
        Cow::Borrowed("id"),
        Value::String(format!("{}.v{}", cell(ne.entry), cell(ne.version))),
    ));
    for (name, value) in members.iter_mut() {
        if name == "text"
            && let Value::String(t) = value
            && t.contains("<p>")
        {
            *t = t
                .replace("</p><p>", "\n\n")
                .replace("</p>", "\n\n")
                .replace("<p>", "");
        }
    }
}

/// A row's wanted cells as record members; the flag tells whether a cell was invalid UTF-8.
fn row_members(names: &[Option<String>], rec: &csv::ByteRecord) -> (bool, Members<'static>) {
    let mut lossy = false;
    let mut members: Members<'static> = Vec::with_capacity(8);
    for (name, cell) in names.iter().zip(rec.iter()) {
        let Some(name) = name else { continue };
        let text = match std::str::from_utf8(cell) {
            Ok(t) => t.to_string(),
            Err(_) => {
                lossy = true;
                String::from_utf8_lossy(cell).into_owned()
            }
        };
        members.push((Cow::Owned(name.clone()), Value::String(text)));
    }
    (lossy, members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load::LoadOptions;

    fn load(text: &str, delimiter: u8) -> FileLoad {
        let opts = LoadOptions::default();
        let ctx = FileContext {
            shown: "t.csv",
            path: &"t.csv".into(),
            rel: "t.csv",
            folder: "f",
            opts: &opts,
        };
        let mut out = FileLoad::default();
        load_each(text.as_bytes(), delimiter, &ctx, &mut |b| out.append(b));
        out
    }

    #[test]
    fn media_cloud_and_all_the_news_columns() {
        let out = load(
            "stories_id,publish_date,title,url,ap_syndicated,media_name,text\n\
             11,2020-03-01 10:00:00,Harbour reopens,https://h.example/a,False,Coast Herald,\"The harbour reopened.\n\nBoats left.\"\n\
             12,2020-03-02,,https://h.example/b,False,Coast Herald,\n",
            b',',
        );
        assert_eq!(out.articles.len(), 1);
        let a = &out.articles[0];
        assert_eq!(a.id, "11");
        assert_eq!(a.source, "Coast Herald");
        assert_eq!(a.date.as_deref(), Some("2020-03-01T10:00:00"));
        assert_eq!(a.paragraphs, ["The harbour reopened.", "Boats left."]);
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert!(out.problems[0].reason.contains("neither"));
        let out = load(
            "\tid\ttitle\tpublication\tauthor\tdate\tcontent\n0\t7\tT\tBreitbart\tA B\t2016-06-01\tBody text.\n",
            b'\t',
        );
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].source, "Breitbart");
        assert_eq!(out.articles[0].byline.as_deref(), Some("A B"));
    }

    #[test]
    fn newsedits_table_is_one_story_per_entry() {
        let out = load(
            "entry_id,version,title,url,created,summary\n\
             7,0,Fire,https://h/a,2026-03-01 10:00:00,<p>It burns.</p><p>Crews came.</p>\n\
             7,1,Fire out,https://h/a,2026-03-01 12:00:00,\"It burned.\n\nCrews left.\"\n",
            b',',
        );
        assert_eq!(out.articles.len(), 2, "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.id, "7.v0");
        assert_eq!(a.paragraphs, ["It burns.", "Crews came."]);
        assert_eq!(a.date.as_deref(), Some("2026-03-01T10:00:00"));
        assert_eq!(a.story_key, out.articles[1].story_key);
        assert!(a.story_key.is_some());
        assert_eq!(out.articles[1].paragraphs, ["It burned.", "Crews left."]);
    }

    #[test]
    fn header_without_fields_and_empty() {
        assert!(
            load("a,b\n1,2\n", b',').problems[0]
                .reason
                .contains("header")
        );
        assert!(load("", b',').problems[0].reason.contains("empty"));
    }
}
