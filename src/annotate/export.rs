//! Exports of annotations — W3C Web Annotation JSON-LD, flat JSONL, CSV, a Markdown report
//! per story — and the import of stet's JSONL and W3C exports (and its own log).
//!
//! Every export carries the quoted text, its context, the stored offsets (Unicode code points
//! of the article's cleaned text) and the anchor status in the current corpus.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use serde_json::{Value, json};

use super::anchor::{AnchorStatus, Anchoring};
use super::labels::LabelId;
use super::model::{
    Annotation, AnnotationId, Granularity, Target, TextHash, TextPositionSelector,
    TextQuoteSelector, Timestamp,
};
use super::set::LogRecord;

/// The W3C Web Annotation JSON-LD context.
pub const W3C_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The prefix of stet's own properties in the W3C export (`stet:revision`…).
pub const STET_VOCAB: &str = "urn:stet:vocab:";
/// The prefix of an article's IRI in the W3C export.
pub const ARTICLE_IRI: &str = "urn:stet:article:";

/// Errors of exporting and importing.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An unknown export format name.
    #[error("unknown format {0:?}; expected w3c, jsonl, csv or markdown")]
    UnknownFormat(String),
    /// CSV writing failed.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// An import line or item that is not an annotation.
    #[error("{location}: {reason}")]
    BadItem {
        /// `line N` or `item N`.
        location: String,
        /// What is wrong.
        reason: String,
    },
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// W3C Web Annotation JSON-LD: one AnnotationCollection.
    W3c,
    /// One JSON object per line: the annotation with label name and anchoring.
    Jsonl,
    /// One row per annotation.
    Csv,
    /// A report grouped by story.
    Markdown,
}

impl FromStr for ExportFormat {
    type Err = ExportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "w3c" | "jsonld" | "json-ld" => Ok(ExportFormat::W3c),
            "jsonl" => Ok(ExportFormat::Jsonl),
            "csv" => Ok(ExportFormat::Csv),
            "markdown" | "md" => Ok(ExportFormat::Markdown),
            _ => Err(ExportError::UnknownFormat(s.to_string())),
        }
    }
}

/// One annotation as exported: with its label's display name, and where each target stands
/// in the current corpus.
#[derive(Debug, Clone)]
pub struct ExportItem<'a> {
    /// The annotation.
    pub annotation: &'a Annotation,
    /// The label's display name.
    pub label_name: String,
    /// The anchoring of each target, in target order (orphaned where the article is missing).
    pub anchors: Vec<Anchoring>,
    /// The title of each target's article, where known.
    pub titles: Vec<Option<String>>,
}

impl ExportItem<'_> {
    fn anchor(&self, i: usize) -> Anchoring {
        self.anchors
            .get(i)
            .cloned()
            .unwrap_or_else(Anchoring::orphaned)
    }
}

/// Renders `items` in `format`; `collection` names the corpus (W3C collection label and
/// Markdown title).
pub fn export(
    items: &[ExportItem<'_>],
    format: ExportFormat,
    collection: &str,
) -> Result<String, ExportError> {
    match format {
        ExportFormat::W3c => {
            Ok(serde_json::to_string_pretty(&W3cOrder(&to_w3c(items, collection)))? + "\n")
        }
        ExportFormat::Jsonl => to_jsonl(items),
        ExportFormat::Csv => to_csv(items),
        ExportFormat::Markdown => Ok(to_markdown(items, collection)),
    }
}

fn anchor_json(a: &Anchoring) -> Value {
    match &a.span {
        Some(s) => json!({
            "status": a.status.as_str(),
            "start": s.start,
            "end": s.end,
            "similarity": (a.similarity * 1000.0).round() / 1000.0,
        }),
        None => json!({ "status": a.status.as_str() }),
    }
}

/// One JSON object: the annotation as stored, plus `label_name` and each target's `anchor`.
pub fn to_json_value(item: &ExportItem<'_>) -> Result<Value, ExportError> {
    let mut v = serde_json::to_value(item.annotation)?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert("label_name".into(), Value::String(item.label_name.clone()));
        if let Some(Value::Array(targets)) = obj.get_mut("targets") {
            for (i, t) in targets.iter_mut().enumerate() {
                if let Some(t) = t.as_object_mut() {
                    t.insert("anchor".into(), anchor_json(&item.anchor(i)));
                }
            }
        }
    }
    Ok(v)
}

/// Flat JSONL: one object per annotation (see [`to_json_value`]).
pub fn to_jsonl(items: &[ExportItem<'_>]) -> Result<String, ExportError> {
    let mut out = String::new();
    for item in items {
        out.push_str(&serde_json::to_string(&to_json_value(item)?)?);
        out.push('\n');
    }
    Ok(out)
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn iri_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn iri_unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The W3C Web Annotation JSON-LD document: an AnnotationCollection whose first page holds
/// every annotation. Bodies are TextualBody with purpose `tagging` (the label) and
/// `commenting` (the note); each target has a `source` and both a TextQuoteSelector and a
/// TextPositionSelector (code points). stet's own fields use the `stet:` prefix.
pub fn to_w3c(items: &[ExportItem<'_>], collection: &str) -> Value {
    let annotations: Vec<Value> = items.iter().map(w3c_annotation).collect();
    json!({
        "@context": [W3C_CONTEXT, { "stet": STET_VOCAB }],
        "id": format!("urn:stet:collection:{}", iri_escape(collection)),
        "type": "AnnotationCollection",
        "label": format!("stet annotations: {collection}"),
        "total": annotations.len(),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": annotations,
        },
    })
}

fn w3c_annotation(item: &ExportItem<'_>) -> Value {
    let a = item.annotation;
    let mut body = vec![json!({
        "type": "TextualBody",
        "purpose": "tagging",
        "value": item.label_name,
        "stet:labelId": a.label.as_str(),
    })];
    if let Some(note) = &a.note {
        body.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "value": note,
            "format": "text/plain",
        }));
    }
    let targets: Vec<Value> = a
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "source": format!("{ARTICLE_IRI}{}", iri_escape(&t.article)),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": t.quote.exact,
                        "prefix": t.quote.prefix,
                        "suffix": t.quote.suffix,
                    },
                    {
                        "type": "TextPositionSelector",
                        "start": t.position.start,
                        "end": t.position.end,
                    },
                ],
                "stet:article": t.article,
                "stet:story": t.story,
                "stet:textHash": t.text_hash.0,
                "stet:granularity": t.granularity.as_str(),
                "stet:anchor": anchor_json(&item.anchor(i)),
            })
        })
        .collect();
    json!({
        "id": format!("urn:uuid:{}", a.id),
        "type": "Annotation",
        "motivation": if a.note.is_some() { "commenting" } else { "tagging" },
        "creator": { "type": "Person", "name": a.author },
        "created": a.created.to_rfc3339(),
        "modified": a.modified.to_rfc3339(),
        "body": body,
        "target": targets,
        "stet:revision": a.revision,
    })
}

/// Serialises a W3C document with its keys in reading order (`@context`, `id`, `type`
/// first, then the Web Annotation properties, then stet's), not alphabetically.
struct W3cOrder<'a>(&'a Value);

impl serde::Serialize for W3cOrder<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        const ORDER: [&str; 24] = [
            "@context",
            "id",
            "type",
            "label",
            "total",
            "motivation",
            "purpose",
            "value",
            "format",
            "creator",
            "name",
            "created",
            "modified",
            "body",
            "target",
            "source",
            "selector",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "first",
            "startIndex",
        ];
        let rank = |k: &str| {
            ORDER
                .iter()
                .position(|o| *o == k)
                .unwrap_or(ORDER.len() + usize::from(k.starts_with("stet:")))
        };
        match self.0 {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_by_key(|k| (rank(k), k.as_str()));
                let mut map = s.serialize_map(Some(keys.len()))?;
                for k in keys {
                    map.serialize_entry(k, &W3cOrder(&m[k]))?;
                }
                map.end()
            }
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(&W3cOrder(v))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

/// The CSV header.
pub const CSV_HEADER: [&str; 29] = [
    "id",
    "label",
    "label_name",
    "note",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_status",
    "anchored_start",
    "anchored_end",
    "article",
    "story",
    "granularity",
    "quote_2",
    "prefix_2",
    "suffix_2",
    "start_2",
    "end_2",
    "anchor_status_2",
    "anchored_start_2",
    "anchored_end_2",
    "article_2",
    "story_2",
    "author",
    "created",
    "modified",
    "revision",
];

/// A CSV cell a spreadsheet will not run as a formula (the OWASP CSV-injection rule): a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// CSV, one row per annotation (cells a spreadsheet would run as a formula start with `'`): the first target in `quote`…`granularity`, the second (the new
/// side of a change) in the `_2` columns. Offsets are code points; `anchored_*` are where the
/// quote stands in the current corpus (empty when orphaned).
pub fn to_csv(items: &[ExportItem<'_>]) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for item in items {
        let a = item.annotation;
        let mut row: Vec<String> = vec![
            a.id.to_string(),
            a.label.to_string(),
            item.label_name.clone(),
            a.note.clone().unwrap_or_default(),
        ];
        for i in 0..2 {
            let anchor = item.anchor(i);
            match a.targets.get(i) {
                Some(t) => {
                    let (s, e) = anchor.span.map_or((String::new(), String::new()), |r| {
                        (r.start.to_string(), r.end.to_string())
                    });
                    row.extend([
                        t.quote.exact.clone(),
                        t.quote.prefix.clone(),
                        t.quote.suffix.clone(),
                        t.position.start.to_string(),
                        t.position.end.to_string(),
                        anchor.status.as_str().to_string(),
                        s,
                        e,
                        t.article.clone(),
                        t.story.clone(),
                    ]);
                    if i == 0 {
                        row.push(t.granularity.as_str().to_string());
                    }
                }
                None => row.extend(std::iter::repeat_n(String::new(), 10 + usize::from(i == 0))),
            }
        }
        row.extend([
            a.author.clone(),
            a.created.to_rfc3339(),
            a.modified.to_rfc3339(),
            a.revision.to_string(),
        ]);
        w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Escapes Markdown's inline syntax and breaks no lines.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn md_quote(out: &mut String, text: &str) {
    for line in text.split('\n') {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {}", md_escape(line.trim_end()));
        }
    }
}

/// A Markdown report: one section per story, each annotation with its label, anchor status,
/// quote, note, author and times.
pub fn to_markdown(items: &[ExportItem<'_>], collection: &str) -> String {
    let mut by_story: BTreeMap<&str, Vec<&ExportItem<'_>>> = BTreeMap::new();
    for item in items {
        let story = item
            .annotation
            .targets
            .first()
            .map_or("", |t| t.story.as_str());
        by_story.entry(story).or_default().push(item);
    }
    let mut out = String::new();
    let _ = writeln!(out, "# Annotations: {}\n", md_escape(collection));
    let _ = writeln!(
        out,
        "{} annotation(s) in {} story(ies). Offsets are Unicode code points of the cleaned text.\n",
        items.len(),
        by_story.len()
    );
    for (story, mut list) in by_story {
        list.sort_by(|a, b| {
            let key = |i: &ExportItem<'_>| {
                i.annotation
                    .targets
                    .first()
                    .map(|t| (t.article.clone(), t.position.start))
            };
            key(a).cmp(&key(b))
        });
        let name = if story.is_empty() {
            "(no story)".to_string()
        } else {
            md_escape(story)
        };
        let _ = writeln!(out, "## Story {name}\n");
        for item in list {
            let a = item.annotation;
            let status = item.anchor(0).status;
            let _ = writeln!(
                out,
                "### {} · {} · {}\n",
                md_escape(&item.label_name),
                status.as_str(),
                a.id.short()
            );
            for (i, t) in a.targets.iter().enumerate() {
                let side = match (a.targets.len(), i) {
                    (1, _) => "",
                    (_, 0) => "Old: ",
                    _ => "New: ",
                };
                let title = item
                    .titles
                    .get(i)
                    .and_then(|t| t.as_deref())
                    .filter(|t| !t.is_empty())
                    .map(|t| format!(" — {}", md_escape(t)))
                    .unwrap_or_default();
                let anchor = item.anchor(i);
                let _ = writeln!(
                    out,
                    "{side}article {}{title}, characters {}–{} ({})\n",
                    md_escape(&t.article),
                    t.position.start,
                    t.position.end,
                    anchor.status.as_str()
                );
                md_quote(&mut out, &t.quote.exact);
                out.push('\n');
            }
            if let Some(note) = &a.note {
                let _ = writeln!(out, "Note: {}\n", md_escape(note).replace('\n', "  \n"));
            }
            let _ = writeln!(
                out,
                "*{}, created {}, modified {}, revision {}*\n",
                md_escape(&a.author),
                a.created,
                a.modified,
                a.revision
            );
        }
    }
    out
}

/// Reads annotations back from stet's JSONL export, its annotation log, or its W3C export
/// (detected from the content). Returns one snapshot per annotation, to merge by id.
pub fn import(text: &str) -> Result<Vec<LogRecord>, ExportError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{')
        && let Ok(doc) = serde_json::from_str::<Value>(trimmed)
        && doc.get("type").is_some()
    {
        return import_w3c(&doc);
    }
    if trimmed.starts_with('[')
        && let Ok(Value::Array(items)) = serde_json::from_str::<Value>(trimmed)
    {
        return items
            .iter()
            .enumerate()
            .map(|(i, v)| import_any(v, &format!("item {}", i + 1)))
            .collect();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let location = format!("line {}", i + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| ExportError::BadItem {
            location: location.clone(),
            reason: e.to_string(),
        })?;
        out.push(import_any(&v, &location)?);
    }
    Ok(out)
}

fn bad(location: &str, reason: impl Into<String>) -> ExportError {
    ExportError::BadItem {
        location: location.to_string(),
        reason: reason.into(),
    }
}

/// One JSON value: a log record, a stet annotation (JSONL export), or a W3C annotation.
fn import_any(v: &Value, location: &str) -> Result<LogRecord, ExportError> {
    if v.get("op").is_some() {
        let r: LogRecord =
            serde_json::from_value(v.clone()).map_err(|e| bad(location, e.to_string()))?;
        r.annotation()
            .validate()
            .map_err(|e| bad(location, e.to_string()))?;
        return Ok(r);
    }
    if v.get("type").and_then(Value::as_str) == Some("Annotation") {
        return w3c_to_annotation(v, location).map(LogRecord::Put);
    }
    let a: Annotation =
        serde_json::from_value(v.clone()).map_err(|e| bad(location, e.to_string()))?;
    a.validate().map_err(|e| bad(location, e.to_string()))?;
    Ok(LogRecord::Put(a))
}

fn import_w3c(doc: &Value) -> Result<Vec<LogRecord>, ExportError> {
    match doc.get("type").and_then(Value::as_str) {
        Some("Annotation") => Ok(vec![LogRecord::Put(w3c_to_annotation(doc, "item 1")?)]),
        Some("AnnotationCollection") | Some("AnnotationPage") => {
            let items = doc
                .get("first")
                .and_then(|p| p.get("items"))
                .or_else(|| doc.get("items"))
                .and_then(Value::as_array)
                .ok_or_else(|| bad("document", "an AnnotationCollection without items"))?;
            items
                .iter()
                .enumerate()
                .map(|(i, v)| w3c_to_annotation(v, &format!("item {}", i + 1)).map(LogRecord::Put))
                .collect()
        }
        other => Err(bad(
            "document",
            format!("not a W3C annotation document (type {other:?})"),
        )),
    }
}

/// A value that may be one object or an array of them.
fn one_or_many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn w3c_to_annotation(v: &Value, location: &str) -> Result<Annotation, ExportError> {
    let id: AnnotationId = str_of(v, "id")
        .ok_or_else(|| bad(location, "no id"))?
        .parse()
        .map_err(|e: super::model::ModelError| bad(location, e.to_string()))?;
    let mut label = None;
    let mut note = None;
    for b in one_or_many(v.get("body")) {
        match str_of(b, "purpose") {
            Some("tagging") => {
                label = str_of(b, "stet:labelId")
                    .or_else(|| str_of(b, "value"))
                    .map(LabelId::from);
            }
            Some("commenting") => note = str_of(b, "value").map(str::to_string),
            _ => {}
        }
    }
    let label = label.ok_or_else(|| bad(location, "no tagging body (label)"))?;
    let author = match v.get("creator") {
        Some(Value::String(s)) => s.clone(),
        Some(c) => str_of(c, "name").unwrap_or("unknown").to_string(),
        None => "unknown".to_string(),
    };
    let time = |key: &str| -> Result<Option<Timestamp>, ExportError> {
        str_of(v, key)
            .map(|s| Timestamp::parse(s).map_err(|e| bad(location, e.to_string())))
            .transpose()
    };
    let created = time("created")?.unwrap_or_else(|| Timestamp::from_unix(0));
    let modified = time("modified")?.unwrap_or(created);
    let revision = v.get("stet:revision").and_then(Value::as_u64).unwrap_or(1);
    let mut targets = Vec::new();
    for t in one_or_many(v.get("target")) {
        targets.push(w3c_to_target(t, location)?);
    }
    let a = Annotation {
        id,
        targets,
        label,
        note,
        author,
        created,
        modified,
        revision,
    };
    a.validate().map_err(|e| bad(location, e.to_string()))?;
    Ok(a)
}

fn w3c_to_target(t: &Value, location: &str) -> Result<Target, ExportError> {
    let source = str_of(t, "source").ok_or_else(|| bad(location, "a target without source"))?;
    let article = str_of(t, "stet:article").map_or_else(
        || {
            source
                .strip_prefix(ARTICLE_IRI)
                .map_or_else(|| source.to_string(), iri_unescape)
        },
        str::to_string,
    );
    let mut quote = None;
    let mut position = None;
    for s in one_or_many(t.get("selector")) {
        match str_of(s, "type") {
            Some("TextQuoteSelector") => {
                quote = Some(TextQuoteSelector {
                    exact: str_of(s, "exact").unwrap_or_default().to_string(),
                    prefix: str_of(s, "prefix").unwrap_or_default().to_string(),
                    suffix: str_of(s, "suffix").unwrap_or_default().to_string(),
                });
            }
            Some("TextPositionSelector") => {
                let n = |k: &str| s.get(k).and_then(Value::as_u64).map(|n| n as usize);
                if let (Some(start), Some(end)) = (n("start"), n("end")) {
                    position = Some(TextPositionSelector { start, end });
                }
            }
            _ => {}
        }
    }
    let quote = quote.ok_or_else(|| bad(location, "a target without a TextQuoteSelector"))?;
    let len = quote.exact.chars().count();
    let position = position.unwrap_or(TextPositionSelector { start: 0, end: len });
    let granularity = match str_of(t, "stet:granularity") {
        Some("word") => Granularity::Word,
        Some("sentence") => Granularity::Sentence,
        Some("paragraph") => Granularity::Paragraph,
        _ => Granularity::Span,
    };
    Ok(Target {
        article,
        story: str_of(t, "stet:story").unwrap_or_default().to_string(),
        text_hash: TextHash(str_of(t, "stet:textHash").unwrap_or_default().to_string()),
        quote,
        position,
        granularity,
        key: None,
    })
}

/// Counts of anchor statuses, for summaries (`3 exact, 1 orphaned`).
pub fn status_summary<'a>(anchors: impl IntoIterator<Item = &'a Anchoring>) -> String {
    let mut counts: BTreeMap<AnchorStatus, usize> = BTreeMap::new();
    for a in anchors {
        *counts.entry(a.status).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::anchor::anchor_in;

    const TEXT: &str = "The minister said \"no\", then left.\n\nA second paragraph, with a comma.";

    fn annotations() -> Vec<Annotation> {
        let t1 = Target::from_char_span("art/1.txt", "story-1", TEXT, 18..22, Granularity::Word)
            .unwrap();
        let t2 =
            Target::from_char_span("art/2.txt", "story-1", TEXT, 36..54, Granularity::Sentence)
                .unwrap();
        let mut a = Annotation::new(
            vec![t1.clone()],
            "quote_added".into(),
            Some("Line one,\nline \"two\"".into()),
            "ana",
            Timestamp::from_unix(1_700_000_000),
        )
        .unwrap();
        a.revision = 3;
        let b = Annotation::new(
            vec![t1, t2],
            "reworded".into(),
            None,
            "bo",
            Timestamp::from_unix(1_700_000_100),
        )
        .unwrap();
        vec![a, b]
    }

    fn items(list: &[Annotation]) -> Vec<ExportItem<'_>> {
        list.iter()
            .map(|a| ExportItem {
                annotation: a,
                label_name: format!("Name of {}", a.label),
                anchors: a.targets.iter().map(|t| anchor_in(t, TEXT)).collect(),
                titles: vec![Some("A title".into()); a.targets.len()],
            })
            .collect()
    }

    #[test]
    fn w3c_has_every_required_field_and_round_trips() {
        let list = annotations();
        let doc = to_w3c(&items(&list), "sample");
        assert_eq!(doc["@context"][0], W3C_CONTEXT);
        assert_eq!(doc["type"], "AnnotationCollection");
        assert_eq!(doc["total"], 2);
        let page = &doc["first"];
        assert_eq!(page["type"], "AnnotationPage");
        let anns = page["items"].as_array().unwrap();
        assert_eq!(anns.len(), 2);
        for (ann, model) in anns.iter().zip(&list) {
            assert_eq!(ann["type"], "Annotation");
            assert_eq!(ann["id"], format!("urn:uuid:{}", model.id));
            assert!(ann["created"].as_str().unwrap().ends_with('Z'));
            let bodies = ann["body"].as_array().unwrap();
            assert!(bodies.iter().all(|b| b["type"] == "TextualBody"));
            let tag = bodies.iter().find(|b| b["purpose"] == "tagging").unwrap();
            assert_eq!(tag["value"], format!("Name of {}", model.label));
            assert_eq!(
                bodies.iter().any(|b| b["purpose"] == "commenting"),
                model.note.is_some()
            );
            let targets = ann["target"].as_array().unwrap();
            assert_eq!(targets.len(), model.targets.len());
            for (t, mt) in targets.iter().zip(&model.targets) {
                assert!(t["source"].as_str().unwrap().starts_with(ARTICLE_IRI));
                let sel = t["selector"].as_array().unwrap();
                let q = sel
                    .iter()
                    .find(|s| s["type"] == "TextQuoteSelector")
                    .unwrap();
                assert_eq!(q["exact"], mt.quote.exact);
                assert_eq!(q["prefix"], mt.quote.prefix);
                assert_eq!(q["suffix"], mt.quote.suffix);
                let p = sel
                    .iter()
                    .find(|s| s["type"] == "TextPositionSelector")
                    .unwrap();
                let (s, e) = (p["start"].as_u64().unwrap(), p["end"].as_u64().unwrap());
                assert!(s <= e);
                assert_eq!(
                    (s as usize, e as usize),
                    (mt.position.start, mt.position.end)
                );
                assert_eq!(t["stet:anchor"]["status"], "exact");
            }
        }
        assert_eq!(anns[0]["body"][1]["value"], "Line one,\nline \"two\"");
        assert!(
            doc["first"]["items"][0]["target"][0]["source"]
                .as_str()
                .unwrap()
                .ends_with("art%2F1.txt")
        );
        let text = export(&items(&list), ExportFormat::W3c, "sample").unwrap();
        assert!(
            text.starts_with("{\n  \"@context\": [")
                && text.contains(
                    "\"id\": \"urn:stet:collection:sample\",\n  \"type\": \"AnnotationCollection\""
                ),
            "{text}"
        );
        let reparsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reparsed, doc);
        let back = import(&text).unwrap();
        let back: Vec<Annotation> = back.iter().map(|r| r.annotation().clone()).collect();
        assert_eq!(back, list);
    }

    #[test]
    fn jsonl_has_one_line_per_annotation_with_quote_and_anchor_and_round_trips() {
        let list = annotations();
        let text = to_jsonl(&items(&list)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(v["label"], "reworded");
        assert_eq!(v["label_name"], "Name of reworded");
        assert_eq!(v["targets"][0]["quote"]["exact"], "\"no\"");
        assert_eq!(v["targets"][1]["quote"]["exact"], "A second paragraph");
        assert_eq!(v["targets"][1]["anchor"]["status"], "exact");
        assert_eq!(v["targets"][1]["anchor"]["start"], 36);
        let back: Vec<Annotation> = import(&text)
            .unwrap()
            .into_iter()
            .map(|r| r.annotation().clone())
            .collect();
        assert_eq!(back, list);
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        let mut list = annotations();
        list[0].note = Some("=HYPERLINK(\"http://evil.example\",\"click\")".into());
        list[0].author = "@SUM(1+1)".into();
        list[0].targets[0].quote.exact = "+1 and -2".into();
        list[0].targets[0].quote.prefix = "-cmd|' /C calc'!A0".into();
        let text = to_csv(&items(&list)).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        for cell in rows.iter().flat_map(|r| r.iter()) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} would run in a spreadsheet"
            );
        }
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains("'@SUM(1+1)"), "{text}");
        assert!(text.contains("'+1 and -2"), "{text}");
        // Only the first character matters: text with = inside is left alone.
        assert_eq!(spreadsheet_safe("a = b"), "a = b");
    }

    #[test]
    fn csv_quotes_properly_and_has_one_row_per_annotation() {
        let list = annotations();
        let text = to_csv(&items(&list)).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, CSV_HEADER);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let col = |name: &str| CSV_HEADER.iter().position(|h| *h == name).unwrap();
        assert_eq!(&rows[0][col("note")], "Line one,\nline \"two\"");
        assert_eq!(&rows[0][col("quote")], "\"no\"");
        assert_eq!(&rows[0][col("prefix")], "The minister said ");
        assert_eq!(
            &rows[0][col("suffix")],
            ", then left.\n\nA second paragraph"
        );
        assert_eq!(&rows[0][col("start")], "18");
        assert_eq!(&rows[0][col("anchor_status")], "exact");
        assert_eq!(&rows[0][col("quote_2")], "");
        assert_eq!(&rows[0][col("revision")], "3");
        assert_eq!(&rows[1][col("quote_2")], "A second paragraph");
        assert_eq!(&rows[1][col("article_2")], "art/2.txt");
        assert_eq!(&rows[1][col("author")], "bo");
        assert_eq!(&rows[1][col("created")], "2023-11-14T22:15:00Z");
        assert!(rows.iter().all(|r| r.len() == CSV_HEADER.len()));
    }

    #[test]
    fn markdown_groups_by_story_and_quotes_the_text() {
        let list = annotations();
        let md = to_markdown(&items(&list), "sample");
        assert!(md.starts_with("# Annotations: sample\n"), "{md}");
        assert_eq!(md.matches("## Story story-1").count(), 1);
        assert!(md.contains("### Name of quote\\_added · exact · "), "{md}");
        assert!(md.contains("> \"no\"\n"), "{md}");
        assert!(md.contains("Old: article art/1.txt — A title, characters 18–22 (exact)"));
        assert!(md.contains("New: article art/2.txt"));
        assert!(md.contains("Note: Line one,  \nline \"two\""));
        assert!(md.contains("*bo, created 2023-11-14T22:15:00Z"));
    }

    #[test]
    fn orphaned_targets_export_without_offsets_but_with_the_quote() {
        let list = annotations();
        let item = ExportItem {
            annotation: &list[0],
            label_name: "x".into(),
            anchors: vec![Anchoring::orphaned()],
            titles: vec![],
        };
        let v = to_json_value(&item).unwrap();
        assert_eq!(v["targets"][0]["anchor"], json!({"status": "orphaned"}));
        assert_eq!(v["targets"][0]["quote"]["exact"], "\"no\"");
        let csv_text = to_csv(std::slice::from_ref(&item)).unwrap();
        assert!(csv_text.contains(",orphaned,,,"), "{csv_text}");
    }

    #[test]
    fn import_reads_the_store_log_and_reports_bad_lines() {
        let list = annotations();
        let log: String = list
            .iter()
            .map(|a| serde_json::to_string(&LogRecord::Delete(a.clone())).unwrap() + "\n")
            .collect();
        let back = import(&log).unwrap();
        assert!(matches!(back[0], LogRecord::Delete(_)));
        let err = import("{\"id\": 3}\n").unwrap_err();
        assert!(err.to_string().starts_with("line 1:"), "{err}");
        let err = import("{\"type\": \"Thing\"}").unwrap_err();
        assert!(err.to_string().contains("not a W3C"), "{err}");
    }

    #[test]
    fn format_names_parse() {
        assert_eq!("W3C".parse::<ExportFormat>().unwrap(), ExportFormat::W3c);
        assert_eq!(
            "md".parse::<ExportFormat>().unwrap(),
            ExportFormat::Markdown
        );
        assert!("xml".parse::<ExportFormat>().is_err());
    }

    #[test]
    fn iri_escaping_round_trips() {
        let id = "bbc/politics/001 ü:x.txt";
        assert_eq!(iri_unescape(&iri_escape(id)), id);
    }
}
