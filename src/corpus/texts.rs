//! Article text kept out of memory: a corpus reopened from the derived store holds each
//! article's metadata and counts ([`super::Article::counts`]) and fetches the text of the
//! articles shown through a [`TextSource`]; [`LazyTexts`] keeps a filled copy of each beside
//! the corpus's rows (which it never changes: they may be shared with a background job) and
//! lets the least recently used go again, so memory stays bounded whatever the size of the
//! corpus.

use std::collections::VecDeque;
use std::sync::Arc;

use super::{Article, RemovedLine};

/// The text of one article, as a full load would hold it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleText {
    /// The cleaned paragraphs.
    pub paragraphs: Vec<String>,
    /// The lines the cleaner removed, with their reasons.
    pub removed: Vec<RemovedLine>,
    /// The text as loaded.
    pub raw: String,
    /// The article's URL, from a source that gives it with the text
    /// ([`TextSource::gives_titles_and_urls`]).
    pub url: Option<String>,
    /// The article's title, from a source that gives it with the text.
    pub title: Option<String>,
}

/// Where the text of a corpus's articles can be read (the derived store). Pure modules call
/// it through [`LazyTexts`]; the implementation does its own I/O.
pub trait TextSource: Send + Sync + std::fmt::Debug {
    /// The text of article `index` of the corpus this source was opened with (`article` is
    /// that article, to check that the text is still its own); `None` when it cannot be read.
    fn text(&self, index: usize, article: &Article) -> Option<ArticleText>;

    /// The cleaned paragraphs of article `index` (the removed lines and the raw text may be
    /// left empty): what a search index reads. [`TextSource::text`] unless the source can
    /// skip the rest.
    fn cleaned(&self, index: usize, article: &Article) -> Option<ArticleText> {
        self.text(index, article)
    }

    /// What a search index reads of article `index`: its cleaned paragraphs (and, from a
    /// source that [gives titles](TextSource::gives_titles_and_urls), its title); the removed
    /// lines, the raw text and the URL may be left empty. [`TextSource::cleaned`] unless the
    /// source can skip more.
    fn indexed(&self, index: usize, article: &Article) -> Option<ArticleText> {
        self.cleaned(index, article)
    }

    /// Where the text of article `index` is kept, when the source can read it again from that
    /// place alone ([`TextSource::cleaned_at`]): what a search index keeps instead of the text.
    fn place(&self, _index: usize, _article: &Article) -> Option<TextPlace> {
        None
    }

    /// The cleaned paragraphs kept at `place` ([`TextSource::place`]); `None` when they cannot
    /// be read or are no longer the text of the article the place was taken from.
    fn cleaned_at(&self, _place: &TextPlace) -> Option<ArticleText> {
        None
    }

    /// How to open this source again without its corpus ([`TextSource::cleaned_at`] only),
    /// as the source describes it; `None` when it cannot be opened again.
    fn locator(&self) -> Option<serde_json::Value> {
        None
    }

    /// Whether the articles of this source were read without their titles and URLs, which
    /// [`ArticleText::title`] and [`ArticleText::url`] then give (filled in with the text,
    /// let go with it).
    fn gives_titles_and_urls(&self) -> bool {
        false
    }
}

/// Where one article's text is kept in a [`TextSource`], and which article's it must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPlace {
    /// The source's number for the file.
    pub file: u32,
    /// The record's place in its file.
    pub n: u32,
    /// The article's record id ([`super::ArticleKey::record`]).
    pub record: String,
    /// The hash of the article's record ([`super::ArticleKey::hash`]).
    pub hash: String,
}

/// Fills in the text of articles on demand and keeps at most a fixed number filled.
#[derive(Debug, Clone)]
pub struct LazyTexts {
    source: Arc<dyn TextSource>,
    /// Filled articles, most recently used last.
    resident: VecDeque<usize>,
    /// The filled copies of the resident articles (their rows with the text), by index.
    filled: std::collections::HashMap<usize, Article>,
    cap: usize,
    /// Articles whose text could not be read.
    pub failed: usize,
    /// The articles whose text could not be read the last time it was asked for.
    unreadable: std::collections::BTreeSet<usize>,
}

/// Whether `a` holds its text (a lazy article holds only its counts).
pub(crate) fn is_lazy(a: &Article) -> bool {
    a.counts.is_some()
}

impl LazyTexts {
    /// Texts from `source`, at most `cap` articles filled at a time (at least 1).
    pub(crate) fn new(source: Arc<dyn TextSource>, cap: usize) -> LazyTexts {
        LazyTexts {
            source,
            resident: VecDeque::new(),
            filled: Default::default(),
            cap: cap.max(1),
            failed: 0,
            unreadable: Default::default(),
        }
    }

    /// Reads the text of `wanted` (indices into `articles`) that is not in memory yet into
    /// filled copies of their rows ([`LazyTexts::filled`]; the rows are not changed), and lets
    /// the least recently used beyond the cap go (never one of `wanted`). Returns how many
    /// were read.
    pub(crate) fn ensure(&mut self, articles: &[Article], wanted: &[usize]) -> usize {
        let mut read = 0;
        for &i in wanted {
            let Some(a) = articles.get(i) else {
                continue;
            };
            if !is_lazy(a) {
                continue;
            }
            if let Some(pos) = self.resident.iter().position(|&r| r == i) {
                self.resident.remove(pos);
                self.resident.push_back(i);
                continue;
            }
            match self.source.text(i, a) {
                Some(t) => {
                    let mut full = a.clone();
                    full.paragraphs = t.paragraphs;
                    full.removed = t.removed;
                    full.raw = t.raw;
                    if self.source.gives_titles_and_urls() {
                        full.url = t.url;
                        full.title = t.title.unwrap_or_default();
                    }
                    self.filled.insert(i, full);
                    read += 1;
                    self.unreadable.remove(&i);
                }
                None => {
                    self.failed += 1;
                    self.unreadable.insert(i);
                }
            }
            self.resident.push_back(i);
        }
        while self.resident.len() > self.cap.max(wanted.len()) {
            let Some(old) = self.resident.pop_front() else {
                break;
            };
            if wanted.contains(&old) {
                self.resident.push_back(old);
                continue;
            }
            self.filled.remove(&old);
        }
        read
    }

    /// The filled copy of article `i` (its row with its text), when it is in memory.
    pub(crate) fn filled(&self, i: usize) -> Option<&Article> {
        self.filled.get(&i)
    }

    /// Whether the text of article `i` could not be read the last time it was asked for (its
    /// stored row is missing or does not decode): it shows no text, and should say so.
    pub(crate) fn is_unreadable(&self, i: usize) -> bool {
        self.unreadable.contains(&i)
    }

    /// Where the texts are read from.
    pub(crate) fn source(&self) -> Arc<dyn TextSource> {
        self.source.clone()
    }

    #[cfg(test)]
    /// How many articles hold their text now.
    pub(crate) fn resident(&self) -> usize {
        self.resident.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::BodyCounts;

    #[derive(Debug)]
    struct Fake;
    impl TextSource for Fake {
        fn text(&self, index: usize, _article: &Article) -> Option<ArticleText> {
            (index != 3).then(|| ArticleText {
                paragraphs: vec![format!("text {index}")],
                ..ArticleText::default()
            })
        }
    }

    #[test]
    fn texts_are_filled_on_demand_and_the_oldest_emptied() {
        let mut arts: Vec<Article> = (0..5)
            .map(|i| Article {
                id: format!("a{i}").into(),
                title: format!("T{i}"),
                counts: Some(BodyCounts::default()),
                ..Article::default()
            })
            .collect();
        arts[4].counts = None;
        arts[4].paragraphs = vec!["kept".into()];
        let mut t = LazyTexts::new(Arc::new(Fake), 2);
        let text = |t: &LazyTexts, i: usize| t.filled(i).map(|a| a.paragraphs.clone());
        assert_eq!(t.ensure(&arts, &[0, 1]), 2);
        assert_eq!(text(&t, 0).unwrap(), ["text 0"]);
        // The filled copy is the row with its text; the row itself is left as it was.
        assert_eq!(t.filled(0).unwrap().title, "T0");
        assert!(arts[0].paragraphs.is_empty());
        assert_eq!(t.ensure(&arts, &[0]), 0, "already in memory");
        assert_eq!(t.ensure(&arts, &[2]), 1);
        // 1 was the least recently used: let go; 0 was used again, kept.
        assert_eq!(text(&t, 1), None);
        assert_eq!(text(&t, 0).unwrap(), ["text 0"]);
        assert_eq!(text(&t, 2).unwrap(), ["text 2"]);
        // A text that cannot be read is counted, an article in memory is left alone.
        t.ensure(&arts, &[3, 4]);
        assert_eq!(t.failed, 1);
        assert_eq!(text(&t, 4), None);
        assert_eq!(arts[4].paragraphs, ["kept"]);
        assert!(t.resident() <= 2);
    }
}
