//! Flat JSONL: the annotation as stored, with its label's name and each target's anchoring.

use serde_json::Value;

use super::{AnchorJson, ExportError, ExportItem};

/// One JSON object: the annotation as stored, plus `label_name` and each target's `anchor`.
pub(crate) fn to_json_value(item: &ExportItem<'_>) -> Result<Value, ExportError> {
    let mut v = serde_json::to_value(item.annotation)?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert("label_name".into(), Value::String(item.label_name.clone()));
        if let Some(t) = &item.story_title {
            obj.insert("story_title".into(), Value::String(t.clone()));
        }
        if let Some(Value::Array(targets)) = obj.get_mut("targets") {
            for (i, t) in targets.iter_mut().enumerate() {
                if let Some(t) = t.as_object_mut() {
                    if let Some(side) = item.side(i) {
                        t.insert("side".into(), Value::String(side.into()));
                    }
                    t.insert(
                        "anchor".into(),
                        serde_json::to_value(AnchorJson::of(&item.anchor(i)))?,
                    );
                }
            }
        }
    }
    Ok(v)
}

/// Flat JSONL: one object per annotation (see [`to_json_value`]).
pub(crate) fn to_jsonl(items: &[ExportItem<'_>]) -> Result<String, ExportError> {
    let mut out = String::new();
    for item in items {
        out.push_str(&serde_json::to_string(&to_json_value(item)?)?);
        out.push('\n');
    }
    Ok(out)
}
