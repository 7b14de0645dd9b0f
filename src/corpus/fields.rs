//! Field names of JSON records: recognised without configuration for news-please,
//! trafilatura, generic datasets and Reuters-21578; overridable with `--field key=name`.

/// The article fields a JSON record can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FieldKey {
    /// The record's own id.
    Id,
    /// Headline.
    Title,
    /// Body text.
    Text,
    /// Summary shown under the headline.
    Deck,
    /// Publication date.
    Date,
    /// Outlet.
    Source,
    /// Address.
    Url,
    /// Author(s).
    Byline,
    /// Dateline ("WASHINGTON, March 31 -").
    Dateline,
    /// A story id given by an external pipeline.
    Story,
}

impl FieldKey {
    /// Every key, in the order they are looked up.
    pub(crate) const ALL: [FieldKey; 10] = [
        FieldKey::Id,
        FieldKey::Title,
        FieldKey::Text,
        FieldKey::Deck,
        FieldKey::Date,
        FieldKey::Source,
        FieldKey::Url,
        FieldKey::Byline,
        FieldKey::Dateline,
        FieldKey::Story,
    ];

    /// The name used on the command line (`--field text=maintext`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            FieldKey::Id => "id",
            FieldKey::Title => "title",
            FieldKey::Text => "text",
            FieldKey::Deck => "deck",
            FieldKey::Date => "date",
            FieldKey::Source => "source",
            FieldKey::Url => "url",
            FieldKey::Byline => "byline",
            FieldKey::Dateline => "dateline",
            FieldKey::Story => "story",
        }
    }

    fn defaults(self) -> &'static [&'static str] {
        match self {
            FieldKey::Id => &[
                "id",
                "_id",
                "uuid",
                "article_id",
                "newid",
                "stories_id",
                "uri",
            ],
            FieldKey::Title => &["title", "headline", "head", "name"],
            FieldKey::Text => &[
                "maintext",
                "text",
                "body",
                "content",
                "article",
                "raw_text",
                "full_text",
            ],
            FieldKey::Deck => &["description", "deck", "summary", "excerpt", "subtitle"],
            FieldKey::Date => &[
                "date_publish",
                "publishedAt",
                "dateTimePub",
                "date",
                "published",
                "published_at",
                "publish_date",
                "pubdate",
                "datetime",
                "date_modify",
                "seendate",
                "dateTime",
            ],
            FieldKey::Source => &[
                "source_domain",
                "source",
                "outlet",
                "publisher",
                "hostname",
                "sitename",
                "site_name",
                "media_name",
                "source.name",
                "source.title",
                "publication",
                "domain",
            ],
            FieldKey::Url => &["url", "link", "source_url", "canonical_url"],
            FieldKey::Byline => &["authors", "author", "byline", "by"],
            FieldKey::Dateline => &["dateline"],
            FieldKey::Story => &[
                "story_id",
                "story",
                "cluster_id",
                "cluster",
                "event_id",
                "eventUri",
                "storyUri",
            ],
        }
    }

    /// Parses a key name as given to `--field`.
    pub(crate) fn parse(name: &str) -> Option<FieldKey> {
        FieldKey::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The JSON field names looked up for each article field, first match wins. A name with a dot
/// (`source.name`) is a member of an object member.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    overrides: Vec<(FieldKey, String)>,
}

impl FieldMap {
    /// Sets the JSON field name for `key` (replacing the defaults for that key).
    pub(crate) fn set(&mut self, key: &str, name: &str) -> Result<(), String> {
        let key = FieldKey::parse(key).ok_or_else(|| {
            let names: Vec<_> = FieldKey::ALL.iter().map(|k| k.name()).collect();
            format!(
                "unknown field key {key:?}; expected one of {}",
                names.join(", ")
            )
        })?;
        if name.is_empty() {
            return Err("empty field name".into());
        }
        self.overrides.retain(|(k, _)| *k != key);
        self.overrides.push((key, name.to_string()));
        Ok(())
    }

    /// Whether a record member called `name` can fill any field (so it is worth parsing).
    pub(crate) fn wants(&self, name: &str) -> bool {
        use std::sync::OnceLock;
        static DEFAULTS: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
        if self.overrides.is_empty() {
            let set = DEFAULTS.get_or_init(|| {
                FieldKey::ALL
                    .iter()
                    .flat_map(|k| k.defaults().iter().copied())
                    // "source.name": the object "source" is wanted too.
                    .flat_map(|n| [n, n.split('.').next().unwrap_or(n)])
                    .collect()
            });
            return set.contains(name);
        }
        FieldKey::ALL.iter().any(|&k| {
            let mut hit = false;
            self.lookup::<()>(k, |n| {
                hit |= n == name || n.split_once('.').is_some_and(|(p, _)| p == name);
                None
            });
            hit
        })
    }

    /// Calls `f` with each candidate name for `key`, in order, until it returns `Some`.
    pub(crate) fn lookup<'a, T>(
        &'a self,
        key: FieldKey,
        mut f: impl FnMut(&'a str) -> Option<T>,
    ) -> Option<T> {
        if let Some((_, name)) = self.overrides.iter().find(|(k, _)| *k == key) {
            return f(name);
        }
        key.defaults().iter().find_map(|name| f(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_replaces_defaults() {
        let mut map = FieldMap::default();
        map.set("text", "story_text").unwrap();
        let mut seen = Vec::new();
        map.lookup::<()>(FieldKey::Text, |n| {
            seen.push(n.to_string());
            None
        });
        assert_eq!(seen, vec!["story_text"]);
    }

    #[test]
    fn unknown_key_is_an_error_naming_the_choices() {
        let err = FieldMap::default().set("bodyy", "x").unwrap_err();
        assert!(err.contains("bodyy") && err.contains("text"), "{err}");
    }

    #[test]
    fn defaults_prefer_news_please_maintext() {
        let map = FieldMap::default();
        let first = map.lookup(FieldKey::Text, Some).unwrap();
        assert_eq!(first, "maintext");
    }
}
