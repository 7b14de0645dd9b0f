//! JSON exports of news APIs: the envelopes they wrap articles in (`{"articles": […]}`
//! (NewsAPI), `{"articles": {"results": […]}}` (Event Registry), `{"results": […]}`,
//! `{"data": […]}`), and nested names (`source.name`, `source.title`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::corpus::fields::FieldMap;
use crate::corpus::record::Members;

/// The member names that hold an API's list of articles.
const LISTS: [&str; 5] = ["articles", "results", "data", "items", "stories"];

/// Whether a top-level object is an envelope: it has no text or headline of its own and one
/// of its list members holds objects.
pub(crate) fn is_envelope(map: &Map<String, Value>) -> bool {
    let own = ["title", "text", "body", "content", "maintext", "headline"]
        .iter()
        .any(|k| map.get(*k).is_some_and(Value::is_string));
    !own && LISTS.iter().any(|k| list_of(map.get(*k)).is_some())
}

fn list_of(v: Option<&Value>) -> Option<&Vec<Value>> {
    match v? {
        Value::Array(items) if items.iter().any(Value::is_object) || items.is_empty() => {
            Some(items)
        }
        Value::Object(inner) => LISTS.iter().find_map(|k| match inner.get(*k) {
            Some(Value::Array(items)) => Some(items),
            _ => None,
        }),
        _ => None,
    }
}

/// The records of an envelope (see [`is_envelope`]).
pub(crate) fn envelope_items(mut map: Map<String, Value>) -> Vec<Value> {
    for k in LISTS {
        if list_of(map.get(k)).is_none() {
            continue;
        }
        return match map.remove(k) {
            Some(Value::Array(items)) => items,
            Some(Value::Object(mut inner)) => LISTS
                .iter()
                .find_map(|k| match inner.remove(*k) {
                    Some(Value::Array(items)) => Some(items),
                    _ => None,
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
    }
    Vec::new()
}

/// Adds `name.member` entries for the members of object values that the field map looks up
/// (`source` → `source.name`, `source.title`).
pub(crate) fn flatten_nested(members: &mut Members<'_>, fields: &FieldMap) {
    if !members.iter().any(|(_, v)| v.is_object()) {
        return;
    }
    let mut extra = Vec::new();
    for (k, v) in members.iter() {
        if let Value::Object(inner) = v {
            for (sub, sv) in inner {
                let name = format!("{k}.{sub}");
                if fields.wants(&name) {
                    extra.push((Cow::Owned(name), sv.clone()));
                }
            }
        }
    }
    members.extend(extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes() {
        let v: Value = serde_json::from_str(
            r#"{"status":"ok","totalResults":2,"articles":[{"title":"a"},{"title":"b"}]}"#,
        )
        .unwrap();
        let Value::Object(m) = v else { panic!() };
        assert!(is_envelope(&m));
        assert_eq!(envelope_items(m).len(), 2);
        let v: Value =
            serde_json::from_str(r#"{"articles":{"results":[{"body":"x"}],"page":1}}"#).unwrap();
        let Value::Object(m) = v else { panic!() };
        assert!(is_envelope(&m));
        assert_eq!(envelope_items(m).len(), 1);
        let v: Value = serde_json::from_str(r#"{"title":"t","data":[{"a":1}]}"#).unwrap();
        let Value::Object(m) = v else { panic!() };
        assert!(!is_envelope(&m), "a record with its own title is a record");
    }

    #[test]
    fn nested_names() {
        let f = FieldMap::default();
        let mut m = crate::corpus::record::parse_record(
            r#"{"source":{"id":null,"name":"CNN"},"title":"t"}"#,
            &f,
        )
        .unwrap()
        .unwrap();
        flatten_nested(&mut m, &f);
        assert_eq!(
            crate::corpus::record::get(&m, "source.name"),
            Some(&Value::from("CNN"))
        );
    }
}
