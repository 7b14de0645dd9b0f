//! Annotations made before stet kept article keys: their targets name articles by the ids of
//! that time (`X#2`, `file.jsonl:7`), which shift when files are added. Once, on the corpus as
//! it is when first opened by this version, each such target is mapped to its article
//! ([`crate::corpus::identity::migrate_legacy`]) and given the article's id and key, as a new
//! revision; a target that cannot be told for sure is left as it was (and shows orphaned when
//! its old id no longer names an article), never guessed.

use super::model::{Annotation, TextHash, Timestamp, next_revision};
use super::set::AnnotationSet;
use crate::corpus::Corpus;
use crate::corpus::identity::{legacy_ids, migrate_legacy};

/// New revisions of the annotations of `set` that have targets without a key, with those
/// targets mapped to today's articles of `corpus`. Annotations at the last revision, and
/// those whose targets all fail to map, are left out.
pub(crate) fn migrate_ids(corpus: &Corpus, set: &AnnotationSet, now: Timestamp) -> Vec<Annotation> {
    migrate_ids_with(corpus, set, now, &|i| corpus.articles[i].body())
}

/// [`migrate_ids`] with the body of article `i` given by `body` (the reader's, whose rows
/// hold no text: it reads the copies filled with it).
pub(crate) fn migrate_ids_with(
    corpus: &Corpus,
    set: &AnnotationSet,
    now: Timestamp,
    body: &dyn Fn(usize) -> String,
) -> Vec<Annotation> {
    let old: Vec<&Annotation> = set
        .iter()
        .filter(|a| a.targets.iter().any(|t| t.key.is_none()))
        .collect();
    if old.is_empty() || corpus.articles.is_empty() {
        return Vec::new();
    }
    let legacy = legacy_ids(&corpus.articles);
    let body_hash = |i: usize| TextHash::of(&body(i)).0;
    let mut out = Vec::new();
    for a in old {
        let mut new = a.clone();
        let mut changed = false;
        for t in new.targets.iter_mut().filter(|t| t.key.is_none()) {
            if let Some(i) = migrate_legacy(corpus, &legacy, &t.article, &t.text_hash.0, &body_hash)
            {
                let article = &corpus.articles[i];
                t.article = article.id.to_string();
                t.key = Some(article.key.clone());
                changed = true;
            }
        }
        let Ok(revision) = next_revision(a.revision) else {
            continue;
        };
        if changed {
            new.revision = revision;
            new.modified = now;
            out.push(new);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::model::{Granularity, Target};
    use crate::annotate::set::LogRecord;
    use crate::corpus::Article;
    use crate::corpus::identity::{assign_ids, identify};

    fn rec(file: &str, id: &str, text: &str) -> Article {
        let mut a = Article {
            id: id.into(),
            title: "T".into(),
            more: crate::corpus::ArticleMore {
                paragraphs: vec![text.into()],
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        };
        identify(&mut a, file, text, true, true);
        a
    }

    #[test]
    fn old_counter_ids_map_to_their_articles_and_keep_them() {
        // Made when the corpus was a.jsonl and b.jsonl, both with record id X: `X#2` was b's.
        let mut articles = vec![
            rec("a.jsonl", "X", "first text here"),
            rec("b.jsonl", "X", "second text here"),
        ];
        assign_ids(&mut articles);
        let corpus = Corpus {
            articles,
            ..Corpus::default()
        };
        let t = Target::from_char_span("X#2", "s", "second text here", 0..6, Granularity::Word)
            .unwrap();
        let a = Annotation::new(
            vec![t],
            "reworded".into(),
            None,
            "me",
            Timestamp::from_unix(0),
        )
        .unwrap();
        let mut set = AnnotationSet::new();
        set.apply(LogRecord::Put(a.clone()));
        let migrated = migrate_ids(&corpus, &set, Timestamp::from_unix(0));
        assert_eq!(migrated.len(), 1);
        let t = &migrated[0].targets[0];
        assert_eq!(t.article, "X@b.jsonl");
        assert_eq!(t.key.as_ref().unwrap().file, "b.jsonl");
        assert_eq!(migrated[0].revision, a.revision + 1);
        // A third file with X read first no longer moves it.
        let mut more = vec![rec("0.jsonl", "X", "third text")];
        more.extend(corpus.articles.iter().cloned());
        assign_ids(&mut more);
        let corpus = Corpus {
            articles: more,
            ..Corpus::default()
        };
        assert_eq!(crate::annotate::anchor::resolve_target(&corpus, t), Some(2));
    }
}
