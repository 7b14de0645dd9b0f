//! Exports of annotations — W3C Web Annotation JSON-LD ([`w3c`]), flat JSONL ([`jsonl`]), CSV
//! ([`csv_table`]), a Markdown report per story ([`markdown`]) — and the import of stet's JSONL
//! and W3C exports and its own log ([`import`]).
//!
//! Every export carries the quoted text, its context, the stored offsets (Unicode code points
//! of the article's cleaned text) and the anchor status in the current corpus.

mod csv_table;
mod import;
mod jsonl;
mod markdown;
mod w3c;

use std::collections::BTreeMap;
use std::str::FromStr;

use super::anchor::{AnchorStatus, Anchoring};
use super::model::Annotation;

pub(crate) use csv_table::to_csv;
pub(crate) use import::import;
pub(crate) use jsonl::{to_json_value, to_jsonl};
pub(crate) use markdown::to_markdown;
pub(crate) use w3c::to_w3c;

/// Errors of exporting and importing.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ExportError {
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
pub(crate) enum ExportFormat {
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
pub(crate) struct ExportItem<'a> {
    /// The annotation.
    pub annotation: &'a Annotation,
    /// The label's display name.
    pub label_name: String,
    /// The anchoring of each target, in target order (orphaned where the article is missing).
    pub anchors: Vec<Anchoring>,
    /// The title of each target's article, where known.
    pub titles: Vec<Option<String>>,
    /// The address (URL) of each target's article, where it has one: the W3C target's
    /// `source` (stet's `urn:stet:article:` IRI otherwise).
    pub urls: Vec<Option<String>>,
    /// The headline of the first target's story, where known (Markdown headings, JSONL).
    pub story_title: Option<String>,
    /// Whether two targets (a diff annotation's sides) are in a known order, both versions
    /// being dated: the first is then the old side and the second the new, else the base
    /// version and the other one.
    pub ordered: bool,
}

impl ExportItem<'_> {
    /// Which side target `i` is, for a diff annotation (two targets): `old`/`new`, or
    /// `base`/`other` when the versions' order is not known; `None` for one target.
    pub(crate) fn side(&self, i: usize) -> Option<&'static str> {
        if self.annotation.targets.len() < 2 {
            return None;
        }
        Some(match (self.ordered, i) {
            (true, 0) => "old",
            (true, _) => "new",
            (false, 0) => "base",
            (false, _) => "other",
        })
    }

    fn anchor(&self, i: usize) -> Anchoring {
        self.anchors
            .get(i)
            .cloned()
            .unwrap_or_else(Anchoring::orphaned)
    }
}
/// Renders `items` in `format`; `collection` names the corpus (W3C collection label and
/// Markdown title).
pub(crate) fn export(
    items: &[ExportItem<'_>],
    format: ExportFormat,
    collection: &str,
) -> Result<String, ExportError> {
    match format {
        ExportFormat::W3c => Ok(serde_json::to_string_pretty(&to_w3c(items, collection))? + "\n"),
        ExportFormat::Jsonl => to_jsonl(items),
        ExportFormat::Csv => to_csv(items),
        ExportFormat::Markdown => Ok(to_markdown(items, collection)),
    }
}

/// Where a target stands in the current corpus, as the exports write it.
#[derive(Debug, serde::Serialize)]
struct AnchorJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f64>,
    status: &'static str,
}

impl AnchorJson {
    fn of(a: &Anchoring) -> AnchorJson {
        let span = a.span.as_ref();
        AnchorJson {
            start: span.map(|s| s.start),
            end: span.map(|s| s.end),
            // Rounded as f32, then written as f64 (as a `serde_json::Value` holds it).
            similarity: span.map(|_| f64::from((a.similarity * 1000.0).round() / 1000.0)),
            status: a.status.as_str(),
        }
    }
}

/// Counts of anchor statuses, for summaries (`3 exact, 1 orphaned`).
pub(crate) fn status_summary<'a>(anchors: impl IntoIterator<Item = &'a Anchoring>) -> String {
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
mod tests;
