//! One JSON record read for its article fields only: the names a [`FieldMap`] can look up are
//! kept (their values parsed), every other member is skipped without being built (no strings
//! or arrays allocated for `topics`, `places`, HTML copies and the like), and keys are borrowed
//! from the line when they have no escapes.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::fields::FieldMap;

/// The members of a record a [`FieldMap`] can use, in record order (a repeated name appears
/// twice; the last one counts, as in a JSON object). Names are borrowed from the line when
/// they have no escapes.
pub(crate) type Members<'a> = Vec<(Cow<'a, str>, Value)>;

/// Parses one JSON text as a record: `Ok(Some(members))` for an object, `Ok(None)` for any
/// other JSON value, `Err` for invalid JSON (with serde_json's line and column).
pub(crate) fn parse_record<'a>(
    text: &'a str,
    fields: &FieldMap,
) -> serde_json::Result<Option<Members<'a>>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let record = RecordSeed(fields).deserialize(&mut de)?;
    de.end()?;
    Ok(record)
}

/// The members of an already parsed value (a `.json` file's records), filtered the same way.
pub(crate) fn members_of(value: Value, fields: &FieldMap) -> Option<Members<'static>> {
    match value {
        Value::Object(map) => Some(
            map.into_iter()
                .filter(|(k, _)| fields.wants(k))
                .map(|(k, v)| (Cow::Owned(k), v))
                .collect(),
        ),
        _ => None,
    }
}

/// Where the member called `name` is (its last occurrence, as in a JSON object).
pub(crate) fn position(members: &Members<'_>, name: &str) -> Option<usize> {
    members.iter().rposition(|(k, _)| k == name)
}

#[cfg(test)]
/// The last value of the member called `name`.
pub(crate) fn get<'m>(members: &'m Members<'_>, name: &str) -> Option<&'m Value> {
    position(members, name).map(|i| &members[i].1)
}

struct RecordSeed<'a>(&'a FieldMap);

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Option<Members<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(RecordVisitor(self.0))
    }
}

struct RecordVisitor<'a>(&'a FieldMap);

impl<'de> Visitor<'de> for RecordVisitor<'_> {
    type Value = Option<Members<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(8);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if self.0.wants(&key) {
                let value: Value = map.next_value()?;
                out.push((key, value));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Some(out))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A member name, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_wanted_members_and_skips_the_rest() {
        let f = FieldMap::default();
        let text = r#"{"id": 7, "topics": ["a", {"b": [1, 2]}], "title": "T", "ti\u0074le": "U",
            "body": "B", "html": "<p>x</p>", "nested": {"title": "no"}}"#;
        let m = parse_record(text, &f).unwrap().unwrap();
        let names: Vec<&str> = m.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(names, ["id", "title", "title", "body"]);
        assert_eq!(
            get(&m, "title"),
            Some(&Value::from("U")),
            "the last one counts"
        );
        assert_eq!(get(&m, "topics"), None);
    }

    #[test]
    fn other_values_and_bad_json() {
        let f = FieldMap::default();
        for other in ["[1, {\"title\": 2}]", "3", "\"s\"", "null", "true", "-1.5"] {
            assert_eq!(parse_record(other, &f).unwrap(), None, "{other}");
        }
        for bad in ["{", "{\"a\": }", "{} x", "[1,", "{\"a\": [1, 2}"] {
            assert!(parse_record(bad, &f).is_err(), "{bad}");
        }
        // The same verdicts as parsing to a Value first.
        for text in [
            "{\"title\": \"x\"}",
            "{\"a\":1} {}",
            "{\"title\": \"\\ud800\"}",
        ] {
            assert_eq!(
                parse_record(text, &f).is_ok(),
                serde_json::from_str::<Value>(text).is_ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn overrides_are_wanted_too() {
        let mut f = FieldMap::default();
        f.set("text", "story_text").unwrap();
        let m = parse_record(r#"{"story_text": "S", "text": "no", "title": "T"}"#, &f)
            .unwrap()
            .unwrap();
        assert!(get(&m, "story_text").is_some());
        assert!(get(&m, "text").is_none(), "text's defaults are replaced");
        assert!(get(&m, "title").is_some());
    }
}
