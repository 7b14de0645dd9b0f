//! W3C Web Annotation JSON-LD: the export (typed structs whose field order is the document's
//! reading order) and the import (typed, lenient structs: a field of another shape than
//! stet writes is ignored, as other tools' documents may use other shapes).

use std::fmt::Write as _;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::import::bad;
use super::{AnchorJson, ExportError, ExportItem};
use crate::annotate::labels::LabelId;
use crate::annotate::model::{
    Annotation, AnnotationId, Granularity, ModelError, Target, TextHash, TextPositionSelector,
    TextQuoteSelector, Timestamp,
};
use crate::annotate::set::LogRecord;

/// The W3C Web Annotation JSON-LD context.
pub(crate) const W3C_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The prefix of stet's own properties in the W3C export (`stet:revision`…).
pub(crate) const STET_VOCAB: &str = "urn:stet:vocab:";
/// The prefix of an article's IRI in the W3C export.
pub(crate) const ARTICLE_IRI: &str = "urn:stet:article:";

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(super) fn iri_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

pub(super) fn iri_unescape(s: &str) -> String {
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

/// The W3C export: an AnnotationCollection whose first page holds every annotation.
#[derive(Debug, Serialize)]
pub(crate) struct W3cCollection<'a> {
    #[serde(rename = "@context")]
    context: (&'static str, Vocabulary),
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    first: Page<'a>,
}

#[derive(Debug, Serialize)]
struct Vocabulary {
    stet: &'static str,
}

#[derive(Debug, Serialize)]
struct Page<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<W3cAnnotation<'a>>,
}

#[derive(Debug, Serialize)]
struct W3cAnnotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    creator: Creator<'a>,
    created: String,
    modified: String,
    body: Vec<Body<'a>>,
    target: Vec<W3cTarget<'a>>,
    #[serde(rename = "stet:revision")]
    revision: u64,
}

#[derive(Debug, Serialize)]
struct Creator<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

/// A TextualBody: the label (`tagging`, with stet's label id) or the note (`commenting`).
#[derive(Debug, Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(rename = "stet:labelId", skip_serializing_if = "Option::is_none")]
    label_id: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct W3cTarget<'a> {
    /// The article's URL when it has one, else its `urn:stet:article:` IRI.
    source: String,
    /// A diff annotation's side: `old`/`new`, or `base`/`other` when the order is unknown.
    #[serde(rename = "stet:side", skip_serializing_if = "Option::is_none")]
    side: Option<&'static str>,
    selector: (QuoteSelector<'a>, PositionSelector),
    #[serde(rename = "stet:anchor")]
    anchor: AnchorJson,
    #[serde(rename = "stet:article")]
    article: &'a str,
    #[serde(rename = "stet:granularity")]
    granularity: &'static str,
    #[serde(rename = "stet:story")]
    story: &'a str,
    #[serde(rename = "stet:textHash")]
    text_hash: &'a str,
}

#[derive(Debug, Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Debug, Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

/// The W3C Web Annotation JSON-LD document: an AnnotationCollection whose first page holds
/// every annotation. Bodies are TextualBody with purpose `tagging` (the label) and
/// `commenting` (the note); each target has a `source` and both a TextQuoteSelector and a
/// TextPositionSelector (code points). stet's own fields use the `stet:` prefix.
pub(crate) fn to_w3c<'a>(items: &'a [ExportItem<'a>], collection: &str) -> W3cCollection<'a> {
    let annotations: Vec<W3cAnnotation<'a>> = items.iter().map(w3c_annotation).collect();
    W3cCollection {
        context: (W3C_CONTEXT, Vocabulary { stet: STET_VOCAB }),
        id: format!("urn:stet:collection:{}", iri_escape(collection)),
        kind: "AnnotationCollection",
        label: format!("stet annotations: {collection}"),
        total: annotations.len(),
        first: Page {
            kind: "AnnotationPage",
            start_index: 0,
            items: annotations,
        },
    }
}

fn w3c_annotation<'a>(item: &'a ExportItem<'a>) -> W3cAnnotation<'a> {
    let a = item.annotation;
    let mut body = vec![Body {
        kind: "TextualBody",
        purpose: "tagging",
        value: &item.label_name,
        format: None,
        label_id: Some(a.label.as_str()),
    }];
    if let Some(note) = &a.note {
        body.push(Body {
            kind: "TextualBody",
            purpose: "commenting",
            value: note,
            format: Some("text/plain"),
            label_id: None,
        });
    }
    let target = a
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| W3cTarget {
            source: match item.urls.get(i).and_then(|u| u.as_deref()) {
                Some(url) if !url.trim().is_empty() => url.trim().to_string(),
                _ => format!("{ARTICLE_IRI}{}", iri_escape(&t.article)),
            },
            side: item.side(i),
            selector: (
                QuoteSelector {
                    kind: "TextQuoteSelector",
                    exact: &t.quote.exact,
                    prefix: &t.quote.prefix,
                    suffix: &t.quote.suffix,
                },
                PositionSelector {
                    kind: "TextPositionSelector",
                    start: t.position.start,
                    end: t.position.end,
                },
            ),
            anchor: AnchorJson::of(&item.anchor(i)),
            article: &t.article,
            granularity: t.granularity.as_str(),
            story: &t.story,
            text_hash: &t.text_hash.0,
        })
        .collect();
    W3cAnnotation {
        id: format!("urn:uuid:{}", a.id),
        kind: "Annotation",
        motivation: if a.note.is_some() {
            "commenting"
        } else {
            "tagging"
        },
        creator: Creator {
            kind: "Person",
            name: &a.author,
        },
        created: a.created.to_rfc3339(),
        modified: a.modified.to_rfc3339(),
        body,
        target,
        revision: a.revision,
    }
}

/// A value of the expected shape, or anything else (then ignored).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Loose<T> {
    Is(T),
    Other(IgnoredAny),
}

impl<T> Loose<T> {
    fn get(self) -> Option<T> {
        match self {
            Loose::Is(v) => Some(v),
            Loose::Other(_) => None,
        }
    }
}

/// One item or an array of them (JSON-LD allows both).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

/// The items of an optional one-or-many field, each of the expected shape or `None`.
fn items<T>(v: Option<OneOrMany<Loose<T>>>) -> Vec<Option<T>> {
    match v {
        None => Vec::new(),
        Some(OneOrMany::One(x)) => vec![x.get()],
        Some(OneOrMany::Many(xs)) => xs.into_iter().map(Loose::get).collect(),
    }
}

/// A string field read loosely.
type Text = Option<Loose<String>>;

fn text(t: Text) -> Option<String> {
    t.and_then(Loose::get)
}

#[derive(Debug, Default, Deserialize)]
struct DocumentIn {
    #[serde(rename = "type", default)]
    kind: Text,
    #[serde(default)]
    first: Option<Loose<PageIn>>,
    #[serde(default)]
    items: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct PageIn {
    #[serde(default)]
    items: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
struct AnnotationIn {
    #[serde(default)]
    id: Text,
    #[serde(default)]
    body: Option<OneOrMany<Loose<BodyIn>>>,
    #[serde(default)]
    creator: Option<Loose<CreatorIn>>,
    #[serde(default)]
    created: Text,
    #[serde(default)]
    modified: Text,
    #[serde(rename = "stet:revision", default)]
    revision: Option<Loose<u64>>,
    #[serde(default)]
    target: Option<OneOrMany<Loose<TargetIn>>>,
}

#[derive(Debug, Deserialize)]
struct BodyIn {
    #[serde(default)]
    purpose: Text,
    #[serde(default)]
    value: Text,
    #[serde(rename = "stet:labelId", default)]
    label_id: Text,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CreatorIn {
    Name(String),
    Agent {
        #[serde(default)]
        name: Text,
    },
}

#[derive(Debug, Default, Deserialize)]
struct TargetIn {
    #[serde(default)]
    source: Text,
    #[serde(default)]
    selector: Option<OneOrMany<Loose<SelectorIn>>>,
    #[serde(rename = "stet:article", default)]
    article: Text,
    #[serde(rename = "stet:story", default)]
    story: Text,
    #[serde(rename = "stet:textHash", default)]
    text_hash: Text,
    #[serde(rename = "stet:granularity", default)]
    granularity: Text,
}

#[derive(Debug, Deserialize)]
struct SelectorIn {
    #[serde(rename = "type", default)]
    kind: Text,
    #[serde(default)]
    exact: Text,
    #[serde(default)]
    prefix: Text,
    #[serde(default)]
    suffix: Text,
    #[serde(default)]
    start: Option<Loose<u64>>,
    #[serde(default)]
    end: Option<Loose<u64>>,
}

/// A W3C document: one Annotation, or an AnnotationCollection or AnnotationPage of them.
pub(super) fn import_document(value: &Value) -> Result<Vec<LogRecord>, ExportError> {
    let doc = Loose::<DocumentIn>::deserialize(value)
        .ok()
        .and_then(Loose::get)
        .unwrap_or_default();
    match text(doc.kind).as_deref() {
        Some("Annotation") => Ok(vec![LogRecord::Put(import_annotation(value, "item 1")?)]),
        Some("AnnotationCollection" | "AnnotationPage") => {
            let items = doc
                .first
                .and_then(Loose::get)
                .and_then(|p| p.items)
                .or(doc.items);
            let Some(Value::Array(items)) = items else {
                return Err(bad("document", "an AnnotationCollection without items"));
            };
            items
                .iter()
                .enumerate()
                .map(|(i, v)| import_annotation(v, &format!("item {}", i + 1)).map(LogRecord::Put))
                .collect()
        }
        other => Err(bad(
            "document",
            format!("not a W3C annotation document (type {other:?})"),
        )),
    }
}

/// One W3C Annotation.
pub(super) fn import_annotation(v: &Value, location: &str) -> Result<Annotation, ExportError> {
    let a = Loose::<AnnotationIn>::deserialize(v)
        .ok()
        .and_then(Loose::get)
        .unwrap_or_default();
    let id: AnnotationId = text(a.id)
        .ok_or_else(|| bad(location, "no id"))?
        .parse()
        .map_err(|e: ModelError| bad(location, e.to_string()))?;
    let mut label = None;
    let mut note = None;
    for b in items(a.body).into_iter().flatten() {
        match text(b.purpose).as_deref() {
            Some("tagging") => {
                let (id, value) = (text(b.label_id), text(b.value));
                label = id.or(value).map(|l| LabelId::from(l.as_str()));
            }
            Some("commenting") => note = text(b.value),
            _ => {}
        }
    }
    let label = label.ok_or_else(|| bad(location, "no tagging body (label)"))?;
    let author = match a.creator {
        Some(Loose::Is(CreatorIn::Name(s))) => s,
        Some(Loose::Is(CreatorIn::Agent { name })) => {
            text(name).unwrap_or_else(|| "unknown".into())
        }
        Some(Loose::Other(_)) | None => "unknown".to_string(),
    };
    let time = |t: Text| -> Result<Option<Timestamp>, ExportError> {
        text(t)
            .map(|s| Timestamp::parse(&s).map_err(|e| bad(location, e.to_string())))
            .transpose()
    };
    let created = time(a.created)?.unwrap_or_else(|| Timestamp::from_unix(0));
    let modified = time(a.modified)?.unwrap_or(created);
    let revision = a.revision.and_then(Loose::get).unwrap_or(1);
    let mut targets = Vec::new();
    for t in items(a.target) {
        targets.push(import_target(t.unwrap_or_default(), location)?);
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

fn import_target(t: TargetIn, location: &str) -> Result<Target, ExportError> {
    let source = text(t.source).ok_or_else(|| bad(location, "a target without source"))?;
    let article = text(t.article).unwrap_or_else(|| {
        source
            .strip_prefix(ARTICLE_IRI)
            .map_or_else(|| source.clone(), iri_unescape)
    });
    let mut quote = None;
    let mut position = None;
    for s in items(t.selector).into_iter().flatten() {
        match text(s.kind).as_deref() {
            Some("TextQuoteSelector") => {
                quote = Some(TextQuoteSelector {
                    exact: text(s.exact).unwrap_or_default(),
                    prefix: text(s.prefix).unwrap_or_default(),
                    suffix: text(s.suffix).unwrap_or_default(),
                });
            }
            Some("TextPositionSelector") => {
                let n = |v: Option<Loose<u64>>| {
                    v.and_then(Loose::get).and_then(|n| usize::try_from(n).ok())
                };
                if let (Some(start), Some(end)) = (n(s.start), n(s.end)) {
                    position = Some(TextPositionSelector { start, end });
                }
            }
            _ => {}
        }
    }
    let quote = quote.ok_or_else(|| bad(location, "a target without a TextQuoteSelector"))?;
    let len = quote.exact.chars().count();
    let position = position.unwrap_or(TextPositionSelector { start: 0, end: len });
    let granularity = match text(t.granularity).as_deref() {
        Some("word") => Granularity::Word,
        Some("sentence") => Granularity::Sentence,
        Some("paragraph") => Granularity::Paragraph,
        _ => Granularity::Span,
    };
    Ok(Target {
        article,
        story: text(t.story).unwrap_or_default(),
        text_hash: TextHash(text(t.text_hash).unwrap_or_default()),
        quote,
        position,
        granularity,
        key: None,
    })
}
