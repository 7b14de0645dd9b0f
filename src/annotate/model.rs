//! The annotation model: what a user marked, where, with which label and note.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::labels::LabelId;

/// Characters of context kept on each side of a quote (in code points).
pub(crate) const CONTEXT_CHARS: usize = 32;

/// Errors of the annotation model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// An annotation needs one target, or two (old and new side of a change).
    #[error("an annotation has one or two targets, not {0}")]
    TargetCount(usize),
    /// A span outside its text, or reversed.
    #[error("span {start}..{end} is not inside a text of {len} characters")]
    BadSpan {
        /// Start (code points).
        start: usize,
        /// End (code points).
        end: usize,
        /// Length of the text (code points).
        len: usize,
    },
    /// An empty selection.
    #[error("an annotation needs a non-empty quote")]
    EmptyQuote,
    /// An empty label id.
    #[error("an annotation needs a label")]
    NoLabel,
    /// No annotation with that id.
    #[error("no annotation {0}")]
    NotFound(AnnotationId),
    /// A create for an id that already exists.
    #[error("annotation {0} already exists")]
    Exists(AnnotationId),
    /// A timestamp that is not RFC 3339.
    #[error("not an RFC 3339 time: {0:?}")]
    BadTime(String),
    /// An id that is not a UUID.
    #[error("not an annotation id: {0:?}")]
    BadId(String),
    /// A revision of 0, or past the largest a JSON number holds exactly.
    #[error("revision {0} is outside 1..={MAX_REVISION}")]
    Revision(u64),
}

/// The largest revision: 2^53 - 1, the largest whole number every JSON reader holds exactly.
/// An annotation at it can no longer change (its next revision would not be newer).
pub(crate) const MAX_REVISION: u64 = (1 << 53) - 1;

/// The revision after `revision`, or an error at the limit (never wraps).
pub(crate) fn next_revision(revision: u64) -> Result<u64, ModelError> {
    match revision.checked_add(1) {
        Some(r) if r <= MAX_REVISION => Ok(r),
        _ => Err(ModelError::Revision(revision)),
    }
}

/// The id of an annotation: a UUIDv7 (time-ordered, so ids sort by creation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub uuid::Uuid);

impl AnnotationId {
    /// A new id from the current time and randomness.
    pub(crate) fn new_v7() -> AnnotationId {
        AnnotationId(uuid::Uuid::now_v7())
    }

    /// The last 8 hex digits: random (the first 12 of a UUIDv7 are its creation time, so two
    /// annotations made in one session share them). Where a set is shown, use
    /// [`AnnotationId::tail`] with [`short_width`] of the set, unique in it.
    pub fn short(&self) -> String {
        self.tail(SHORT_MIN)
    }

    /// The last `len` hex digits (at most 32).
    pub(crate) fn tail(&self, len: usize) -> String {
        let hex = self.0.simple().to_string();
        hex[hex.len() - len.min(hex.len())..].to_string()
    }

    #[cfg(test)]
    /// This id written as a whole id (hyphens or not, `urn:uuid:` or not), or as a hex
    /// prefix (the short ids stet showed before) or suffix (the short ids it shows) of at least
    /// 4 digits that no other id of `ids` has.
    pub(crate) fn matches(&self, written: &str) -> bool {
        let w = written.trim();
        let w = w.strip_prefix("urn:uuid:").unwrap_or(w);
        let w: String = w
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        let hex = self.0.simple().to_string();
        w.len() >= 4
            && w.chars().all(|c| c.is_ascii_hexdigit())
            && (hex.starts_with(&w) || hex.ends_with(&w))
    }

    #[cfg(test)]
    /// The one id of `ids` that `written` names ([`AnnotationId::matches`]); an error says
    /// none or how many do.
    pub(crate) fn resolve<'a>(
        written: &str,
        ids: impl IntoIterator<Item = &'a AnnotationId>,
    ) -> Result<AnnotationId, String> {
        let found: Vec<AnnotationId> = ids
            .into_iter()
            .filter(|id| id.matches(written))
            .copied()
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!("no annotation has the id {written}")),
            many => Err(format!(
                "{written} names {}; give more digits",
                crate::text::plural(many.len(), "annotation", "annotations")
            )),
        }
    }
}

/// The fewest hex digits shown of an annotation id.
const SHORT_MIN: usize = 8;

/// How many trailing hex digits tell every id of `ids` apart (at least 8): the longest tail two
/// ids share, plus one.
pub(crate) fn short_width<'a>(ids: impl IntoIterator<Item = &'a AnnotationId>) -> usize {
    let mut reversed: Vec<Vec<u8>> = ids
        .into_iter()
        .map(|id| id.0.simple().to_string().bytes().rev().collect())
        .collect();
    reversed.sort_unstable();
    reversed.dedup();
    let shared = reversed
        .windows(2)
        .map(|w| w[0].iter().zip(&w[1]).take_while(|(a, b)| a == b).count())
        .max()
        .unwrap_or(0);
    (shared + 1).clamp(SHORT_MIN, 32)
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for AnnotationId {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let s = s.strip_prefix("urn:uuid:").unwrap_or(s);
        uuid::Uuid::parse_str(s)
            .map(AnnotationId)
            .map_err(|_| ModelError::BadId(s.to_string()))
    }
}

/// A point in time, serialised as RFC 3339 in UTC with milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// The current time, to the millisecond.
    pub fn now() -> Timestamp {
        let now = OffsetDateTime::now_utc();
        let millis = now.millisecond();
        Timestamp(now.replace_millisecond(millis).unwrap_or(now))
    }

    /// The time `secs` seconds after the Unix epoch (for tests and imports).
    pub fn from_unix(secs: i64) -> Timestamp {
        Timestamp(OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH))
    }

    /// RFC 3339 text (`2026-11-22T00:38:00.123Z`).
    pub(crate) fn to_rfc3339(self) -> String {
        self.0
            .format(&Rfc3339)
            .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
    }

    /// Parses RFC 3339 text.
    pub(crate) fn parse(s: &str) -> Result<Timestamp, ModelError> {
        OffsetDateTime::parse(s.trim(), &Rfc3339)
            .map(|t| Timestamp(t.to_offset(time::UtcOffset::UTC)))
            .map_err(|_| ModelError::BadTime(s.to_string()))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A stable hash of an article's canonical text (`xxh3-64:<16 hex digits>` of its UTF-8
/// bytes): equal hashes mean the text did not change since the annotation was made.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TextHash(pub String);

impl TextHash {
    /// The hash of `text`.
    pub(crate) fn of(text: &str) -> TextHash {
        TextHash(format!(
            "xxh3-64:{:016x}",
            xxhash_rust::xxh3::xxh3_64(text.as_bytes())
        ))
    }
}

/// The quoted text with some context on each side (W3C TextQuoteSelector).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuoteSelector {
    /// The selected text exactly as it stood.
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] characters before it.
    #[serde(default)]
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters after it.
    #[serde(default)]
    pub suffix: String,
}

/// Where the selection stood, in Unicode code points of the canonical text (W3C
/// TextPositionSelector): `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPositionSelector {
    /// First code point of the selection.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// What unit the user selected in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// Whole words.
    Word,
    /// Whole sentences.
    #[default]
    Sentence,
    /// Whole paragraphs.
    Paragraph,
    /// Any span of characters (a change seen in the diff view, an import).
    Span,
}

impl Granularity {
    /// The name used in exports.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Granularity::Word => "word",
            Granularity::Sentence => "sentence",
            Granularity::Paragraph => "paragraph",
            Granularity::Span => "span",
        }
    }
}

/// One annotated span of one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The article's id in the corpus.
    pub article: String,
    /// The story the article was in when annotated.
    #[serde(default)]
    pub story: String,
    /// Hash of the article's canonical text when annotated.
    pub text_hash: TextHash,
    /// The quote and its context.
    pub quote: TextQuoteSelector,
    /// The position in the canonical text.
    pub position: TextPositionSelector,
    /// The unit selected.
    #[serde(default)]
    pub granularity: Granularity,
    /// What identifies the article whatever else the corpus holds (file, record, hash):
    /// the target follows it and is orphaned when it is gone, never moved to another article.
    /// None for targets made before stet kept it (they go by `article`).
    #[serde(
        default,
        rename = "article_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub key: Option<crate::corpus::ArticleKey>,
}

impl Target {
    /// A target for the code points `span` of `text`, the canonical text of `article`
    /// (`Article::body()`), with its quote, context and hash taken from the text.
    pub fn from_char_span(
        article: &str,
        story: &str,
        text: &str,
        span: Range<usize>,
        granularity: Granularity,
    ) -> Result<Target, ModelError> {
        let len = text.chars().count();
        if span.start > span.end || span.end > len {
            return Err(ModelError::BadSpan {
                start: span.start,
                end: span.end,
                len,
            });
        }
        if span.start == span.end {
            return Err(ModelError::EmptyQuote);
        }
        let prefix_start = span.start.saturating_sub(CONTEXT_CHARS);
        let suffix_end = (span.end + CONTEXT_CHARS).min(len);
        let mut prefix = String::new();
        let mut exact = String::new();
        let mut suffix = String::new();
        for (i, c) in text.chars().enumerate().take(suffix_end) {
            if i >= span.end {
                suffix.push(c);
            } else if i >= span.start {
                exact.push(c);
            } else if i >= prefix_start {
                prefix.push(c);
            }
        }
        Ok(Target {
            article: article.to_string(),
            story: story.to_string(),
            text_hash: TextHash::of(text),
            quote: TextQuoteSelector {
                exact,
                prefix,
                suffix,
            },
            position: TextPositionSelector {
                start: span.start,
                end: span.end,
            },
            granularity,
            key: None,
        })
    }

    /// This target with the article's key (see [`crate::corpus::identity`]); an empty key
    /// (an article made without one, in tests) is not kept.
    pub fn keyed(mut self, key: &crate::corpus::ArticleKey) -> Target {
        if !key.record.is_empty() || !key.file.is_empty() {
            self.key = Some(key.clone());
        }
        self
    }

    /// Whether this target is in `article` ([`crate::corpus::identity::holds`]).
    pub(crate) fn is_in(&self, article: &crate::corpus::Article) -> bool {
        crate::corpus::identity::holds(article, &self.article, self.key.as_ref())
    }

    /// Like [`Target::from_char_span`] with a span in bytes of `text` (an offset inside a
    /// character counts as the end of that character).
    pub fn from_byte_span(
        article: &str,
        story: &str,
        text: &str,
        span: Range<usize>,
        granularity: Granularity,
    ) -> Result<Target, ModelError> {
        let to_char = |b: usize| text.char_indices().take_while(|(i, _)| *i < b).count();
        if span.start > span.end || span.end > text.len() {
            return Err(ModelError::BadSpan {
                start: span.start,
                end: span.end,
                len: text.len(),
            });
        }
        Target::from_char_span(
            article,
            story,
            text,
            to_char(span.start)..to_char(span.end),
            granularity,
        )
    }

    fn validate(&self) -> Result<(), ModelError> {
        if self.quote.exact.is_empty() {
            return Err(ModelError::EmptyQuote);
        }
        if self.position.start > self.position.end {
            return Err(ModelError::BadSpan {
                start: self.position.start,
                end: self.position.end,
                len: self.position.end,
            });
        }
        Ok(())
    }
}

/// A user's mark on one or two spans: a label, an optional note, who and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Stable id (UUIDv7).
    pub id: AnnotationId,
    /// One target, or two for a change seen in the diff view: the old side, then the new.
    pub targets: Vec<Target>,
    /// The label's stable id (its display name can change without touching annotations).
    pub label: LabelId,
    /// The user's note, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who made it.
    pub author: String,
    /// When it was made.
    pub created: Timestamp,
    /// When it last changed.
    pub modified: Timestamp,
    /// 1 when created; every change (edit, relabel, delete, undo, redo) adds one.
    pub revision: u64,
}

impl Annotation {
    /// A new annotation at revision 1 with a fresh UUIDv7.
    pub fn new(
        targets: Vec<Target>,
        label: LabelId,
        note: Option<String>,
        author: &str,
        now: Timestamp,
    ) -> Result<Annotation, ModelError> {
        let a = Annotation {
            id: AnnotationId::new_v7(),
            targets,
            label,
            note: note.filter(|n| !n.trim().is_empty()),
            author: author.to_string(),
            created: now,
            modified: now,
            revision: 1,
        };
        a.validate()?;
        Ok(a)
    }

    /// Checks what every annotation must satisfy (after loading or importing one).
    /// Whether `other` says the same (targets, label, note, author and creation time),
    /// revisions and modification times aside.
    pub(crate) fn same_content(&self, other: &Annotation) -> bool {
        self.targets == other.targets
            && self.label == other.label
            && self.note == other.note
            && self.author == other.author
            && self.created == other.created
    }

    /// Whether the annotation can be stored: one or two valid targets, a label, a revision
    /// from 1 to 2^53 − 1; an import refuses one that is not.
    pub(crate) fn validate(&self) -> Result<(), ModelError> {
        if !(1..=2).contains(&self.targets.len()) {
            return Err(ModelError::TargetCount(self.targets.len()));
        }
        if self.label.as_str().is_empty() {
            return Err(ModelError::NoLabel);
        }
        if !(1..=MAX_REVISION).contains(&self.revision) {
            return Err(ModelError::Revision(self.revision));
        }
        self.targets.iter().try_for_each(Target::validate)
    }
}

/// The author to record when the config names none: the OS user (`$USER`, `$USERNAME`),
/// else "unknown".
pub fn default_author() -> String {
    author_from(|name| std::env::var(name).ok())
}

/// [`default_author`] with `env` standing for the environment.
fn author_from(env: impl Fn(&str) -> Option<String>) -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| env(v))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_takes_quote_and_context_in_code_points() {
        let text = "東京 😀 said Robin Smith on Tuesday.";
        let start = text.chars().position(|c| c == 'R').unwrap();
        let t =
            Target::from_char_span("a1", "s1", text, start..start + 11, Granularity::Word).unwrap();
        assert_eq!(t.quote.exact, "Robin Smith");
        assert_eq!(t.quote.prefix, "東京 😀 said ");
        assert_eq!(t.quote.suffix, " on Tuesday.");
        assert_eq!(t.position.start, 10);
        assert_eq!(t.text_hash, TextHash::of(text));
        let b = text.find("Robin").unwrap();
        let tb = Target::from_byte_span("a1", "s1", text, b..b + 11, Granularity::Word).unwrap();
        assert_eq!(tb, t);
    }

    #[test]
    fn bad_spans_are_errors() {
        assert!(matches!(
            Target::from_char_span("a", "s", "abc", 2..5, Granularity::Span),
            Err(ModelError::BadSpan { .. })
        ));
        assert_eq!(
            Target::from_char_span("a", "s", "abc", 1..1, Granularity::Span),
            Err(ModelError::EmptyQuote)
        );
    }

    #[test]
    fn annotation_json_round_trips_with_rfc3339_times() {
        let t = Target::from_char_span("a", "s", "hello world", 0..5, Granularity::Word).unwrap();
        let a = Annotation::new(
            vec![t],
            LabelId::from("reworded"),
            Some("a note".into()),
            "ana",
            Timestamp::from_unix(1_700_000_000),
        )
        .unwrap();
        assert_eq!(a.id.0.get_version_num(), 7);
        let json = serde_json::to_string(&a).unwrap();
        assert!(
            json.contains("\"created\":\"2023-11-14T22:13:20Z\""),
            "{json}"
        );
        let back: Annotation = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn three_targets_or_no_label_are_refused() {
        let t = Target::from_char_span("a", "s", "hello", 0..5, Granularity::Word).unwrap();
        let now = Timestamp::from_unix(0);
        assert_eq!(
            Annotation::new(vec![t.clone(); 3], "x".into(), None, "u", now),
            Err(ModelError::TargetCount(3))
        );
        assert_eq!(
            Annotation::new(vec![t], "".into(), None, "u", now),
            Err(ModelError::NoLabel)
        );
    }

    #[test]
    fn the_author_is_the_os_user_else_unknown() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            author_from(env(&[("USER", "ana"), ("USERNAME", "bo")])),
            "ana"
        );
        assert_eq!(author_from(env(&[("USER", " "), ("USERNAME", "bo")])), "bo");
        assert_eq!(author_from(env(&[])), "unknown");
    }

    #[test]
    fn ids_parse_with_or_without_urn() {
        let id = AnnotationId::new_v7();
        assert_eq!(id.to_string().parse::<AnnotationId>().unwrap(), id);
        assert_eq!(
            format!("urn:uuid:{id}").parse::<AnnotationId>().unwrap(),
            id
        );
        assert!("nope".parse::<AnnotationId>().is_err());
    }
}

#[cfg(test)]
mod short_id_tests {
    use super::*;

    fn id(hex: &str) -> AnnotationId {
        hex.parse().unwrap()
    }

    #[test]
    fn short_ids_are_the_random_tail_and_unique_in_the_set() {
        // Made in the same millisecond: the first 12 digits agree.
        let a = id("0190f1e2-3a4b-7c5d-8e6f-00000000abcd");
        let b = id("0190f1e2-3a4b-7c5d-8e6f-ffff0000abcd");
        let c = id("0190f1e2-3a4b-7aaa-9bbb-123456789012");
        assert_eq!(a.short(), "0000abcd");
        assert_eq!(short_width([&a, &c]), 8);
        // a and b share their last 8 digits: 9 tell them apart.
        assert_eq!(short_width([&a, &b, &c]), 9);
        assert_eq!(
            (a.tail(9), b.tail(9)),
            ("00000abcd".into(), "f0000abcd".into())
        );
        // Accepted: the whole id, the shown tail, an old unambiguous prefix.
        assert_eq!(AnnotationId::resolve("f0000abcd", [&a, &b, &c]), Ok(b));
        assert_eq!(AnnotationId::resolve(&a.to_string(), [&a, &b, &c]), Ok(a));
        assert_eq!(
            AnnotationId::resolve("0190f1e23a4b7aaa", [&a, &b, &c]),
            Ok(c)
        );
        let err = AnnotationId::resolve("0000abcd", [&a, &b, &c]).unwrap_err();
        assert_eq!(err, "0000abcd names 2 annotations; give more digits");
        assert!(AnnotationId::resolve("0190f1e2", [&a, &b, &c]).is_err());
        assert!(AnnotationId::resolve("zz", [&a]).is_err());
    }
}
