//! Reading annotations back: stet's JSONL export, its annotation log, or its W3C export.

use serde_json::Value;

use super::ExportError;
use super::w3c;
use crate::annotate::model::Annotation;
use crate::annotate::set::LogRecord;

/// Reads annotations back from stet's JSONL export, its annotation log, or its W3C export
/// (detected from the content). Returns one snapshot per annotation, to merge by id.
pub(crate) fn import(text: &str) -> Result<Vec<LogRecord>, ExportError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{')
        && let Ok(doc) = serde_json::from_str::<Value>(trimmed)
        && doc.get("type").is_some()
    {
        return w3c::import_document(&doc);
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

pub(super) fn bad(location: &str, reason: impl Into<String>) -> ExportError {
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
        return w3c::import_annotation(v, location).map(LogRecord::Put);
    }
    let a: Annotation =
        serde_json::from_value(v.clone()).map_err(|e| bad(location, e.to_string()))?;
    a.validate().map_err(|e| bad(location, e.to_string()))?;
    Ok(LogRecord::Put(a))
}
