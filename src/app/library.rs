//! The loaded corpus with its stories, and what the list needs precomputed to filter, sort and
//! search 100k stories within a frame.

use crate::corpus::texts::{LazyTexts, TextSource};
use crate::corpus::{Corpus, Story};

use super::search::fold;

/// The corpus, its stories and the list's precomputed keys. Built on the worker thread.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The articles and load problems (shared with the background index build).
    pub corpus: std::sync::Arc<Corpus>,
    /// The stories (versions of one report), shared with the background index build.
    pub stories: std::sync::Arc<Vec<Story>>,
    /// Each story's title, folded for case-insensitive search.
    pub folded_titles: Vec<String>,
    /// Each source with the number of stories that have a version from it, most first.
    pub sources: Vec<(String, usize)>,
    /// Each story's earliest version time (seconds since the epoch), when any version is
    /// dated: a story's date everywhere (list, sort, `stet stories`) is its first publication.
    pub first_published: Vec<Option<i64>>,
    /// Each story's title as the list shows it: the headline, else the opening words.
    pub display_titles: Vec<String>,
    /// Each story's rank in title order (precomputed so sorting 100k stories takes no time).
    pub title_rank: Vec<u32>,
    /// Each story's rank in the order of its first source.
    pub source_rank: Vec<u32>,
    /// Whether each story's date (its earliest version's) was taken from a dateline.
    pub first_inferred: Vec<bool>,
    /// Whether any story is dated (the list drops its date column otherwise).
    pub any_dated: bool,
    /// Whether any story's date was taken from a dateline (the date column then has room for
    /// the `~` that says so).
    pub any_inferred: bool,
    /// The widest title of the list, in columns.
    pub widest_title: usize,
    /// The widest first source of a story with the `+N` of its others, in columns.
    pub widest_source: usize,
    /// Where the text of articles held without it is read (a corpus reopened from its
    /// derived store); `None` when every text is in memory.
    pub texts: Option<LazyTexts>,
}

/// How many articles' texts a reopened corpus keeps in memory at a time.
pub(crate) const RESIDENT_TEXTS: usize = 512;

impl Library {
    /// Precomputes the search keys and the source list.
    pub fn new(mut corpus: Corpus, mut stories: Vec<Story>) -> Library {
        crate::corpus::dateline_date::date_from_datelines(&mut corpus, &mut stories);
        // The titles' keys on one side, dates and sources on the other (both cores: this is
        // on the way to the first frame of a reopened corpus).
        let ((display_titles, folded_titles, widest_title, title_rank), dates_and_sources) =
            rayon::join(
                || title_keys(&stories, &corpus),
                || dates_and_sources(&stories, &corpus),
            );
        let DatesAndSources {
            first_published,
            first_inferred,
            widest_source,
            sources,
            source_rank,
        } = dates_and_sources;
        let any_inferred = first_inferred.iter().any(|&b| b);
        let any_dated = stories.iter().any(|s| s.first_date.is_some());
        Library {
            corpus: std::sync::Arc::new(corpus),
            stories: std::sync::Arc::new(stories),
            folded_titles,
            sources,
            first_published,
            display_titles,
            title_rank,
            source_rank,
            first_inferred,
            any_dated,
            any_inferred,
            widest_title,
            widest_source,
            texts: None,
        }
    }

    /// This library with its articles' text read on demand from `source`.
    pub(crate) fn with_texts(mut self, source: std::sync::Arc<dyn TextSource>) -> Library {
        self.texts = Some(LazyTexts::new(source, RESIDENT_TEXTS));
        self
    }

    /// Reads the text of every version of `story` into memory, when it is not there (the
    /// least recently used texts beyond [`RESIDENT_TEXTS`] are let go).
    pub(crate) fn ensure_story(&mut self, story: usize) {
        let wanted: Vec<usize> = match self.stories.get(story) {
            Some(s) => s.versions.iter().map(|v| v.article).collect(),
            None => return,
        };
        self.ensure_articles(&wanted);
    }

    /// Reads the text of the articles `wanted` into memory, when it is not there.
    pub(crate) fn ensure_articles(&mut self, wanted: &[usize]) {
        if let Some(t) = &mut self.texts {
            // The corpus is shared with the index job while it runs: a reopened corpus holds
            // no text, so the copy made then is of its metadata only.
            let corpus = std::sync::Arc::make_mut(&mut self.corpus);
            t.ensure(&mut corpus.articles, wanted);
        }
    }

    /// Columns of the list's date column with its space (none when no story is dated; one
    /// more for the `~` of a date from a dateline).
    pub(crate) fn date_column(&self) -> usize {
        match (self.any_dated, self.any_inferred) {
            (false, _) => 0,
            (true, false) => 11,
            (true, true) => 12,
        }
    }

    /// Columns of the list's source column with its space: the widest source, 14 at most.
    pub(crate) fn source_column(&self) -> usize {
        self.widest_source.clamp(4, 14) + 1
    }

    /// The article shown for version `version` of story `story`.
    pub(crate) fn article(&self, story: usize, version: usize) -> Option<&crate::corpus::Article> {
        let v = self.stories.get(story)?.versions.get(version)?;
        self.corpus.articles.get(v.article)
    }

    /// Whether the text of version `version` of `story` could not be read from where the
    /// corpus keeps it (a damaged row of the derived store): it is shown without text.
    pub(crate) fn text_unreadable(&self, story: usize, version: usize) -> bool {
        let Some(v) = self
            .stories
            .get(story)
            .and_then(|s| s.versions.get(version))
        else {
            return false;
        };
        self.texts
            .as_ref()
            .is_some_and(|t| t.is_unreadable(v.article))
    }
}

/// Each story's title as shown, folded, the widest, and each story's rank by title.
fn title_keys(stories: &[Story], corpus: &Corpus) -> (Vec<String>, Vec<String>, usize, Vec<u32>) {
    use rayon::prelude::*;
    let display_titles: Vec<String> = stories
        .par_iter()
        .map(|s| display_title(s, corpus))
        .collect();
    let folded: Vec<String> = display_titles.par_iter().map(|t| fold(t)).collect();
    let widest_title = display_titles
        .iter()
        .map(|t| crate::text::wrap::text_width(t))
        .max()
        .unwrap_or(0);
    let title_rank = ranks(stories.len(), |a, b| folded[a].cmp(&folded[b]));
    (display_titles, folded, widest_title, title_rank)
}

/// What [`Library::new`] takes from the stories' dates and sources.
struct DatesAndSources {
    first_published: Vec<Option<i64>>,
    first_inferred: Vec<bool>,
    widest_source: usize,
    sources: Vec<(String, usize)>,
    source_rank: Vec<u32>,
}

fn dates_and_sources(stories: &[Story], corpus: &Corpus) -> DatesAndSources {
    let first: Vec<Option<(i64, bool)>> = stories
        .iter()
        .map(|s| {
            s.versions
                .iter()
                .filter_map(|v| {
                    let a = corpus.articles.get(v.article)?;
                    Some((a.timestamp?, a.date_inferred))
                })
                .min_by_key(|d| d.0)
        })
        .collect();
    let first_published: Vec<Option<i64>> = first.iter().map(|d| d.map(|d| d.0)).collect();
    let first_inferred: Vec<bool> = first.iter().map(|d| d.is_some_and(|d| d.1)).collect();
    let widest_source = stories
        .iter()
        .map(|s| {
            let more = s.sources.len().saturating_sub(1);
            let first = s
                .sources
                .first()
                .map_or(0, |x| crate::text::wrap::text_width(x));
            first + if more > 0 { 3 } else { 0 }
        })
        .max()
        .unwrap_or(0);
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for story in stories {
        let mut seen: Vec<&str> = Vec::new();
        for s in &story.sources {
            if !seen.contains(&s.as_str()) {
                seen.push(s);
                *counts.entry(s).or_default() += 1;
            }
        }
    }
    let mut sources: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
    sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let source_rank = ranks(stories.len(), |a, b| {
        stories[a].sources.first().cmp(&stories[b].sources.first())
    });
    DatesAndSources {
        first_published,
        first_inferred,
        widest_source,
        sources,
        source_rank,
    }
}

/// Each item's position when `n` items are sorted by `cmp` (ties share a rank).
fn ranks(n: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering) -> Vec<u32> {
    let mut order: Vec<usize> = (0..n).collect();
    // Unstable is enough: equal items get one rank whatever their order.
    order.sort_unstable_by(|&a, &b| cmp(a, b));
    let mut rank = vec![0u32; n];
    let mut r = 0u32;
    for (i, &item) in order.iter().enumerate() {
        if i > 0 && cmp(order[i - 1], item) != std::cmp::Ordering::Equal {
            // Ranks of the stories of a corpus: far below 4 Gi.
            r = crate::num::u32_of(i);
        }
        rank[item] = r;
    }
    rank
}

/// The headline of `story`, else "(untitled)" and the opening words of its first version.
fn display_title(story: &Story, corpus: &Corpus) -> String {
    if !story.title.trim().is_empty() {
        return story.title.trim().to_string();
    }
    let opening: String = story
        .versions
        .first()
        .and_then(|v| corpus.articles.get(v.article))
        .and_then(|a| a.paragraphs.first())
        .map(|p| p.split_whitespace().take(12).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if opening.is_empty() {
        "(untitled)".into()
    } else {
        format!("(untitled) {opening}…")
    }
}

pub(crate) use crate::corpus::date::day_of;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_timestamps() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(1_450_224_000), "2015-12-16");
        assert_eq!(day_of(951_782_400), "2000-02-29");
        assert_eq!(day_of(-86_400), "1969-12-31");
    }

    /// Texts read on demand, every one but article 0's (a damaged stored row).
    #[derive(Debug)]
    struct OneUnreadable;
    impl crate::corpus::texts::TextSource for OneUnreadable {
        fn text(
            &self,
            index: usize,
            _article: &crate::corpus::Article,
        ) -> Option<crate::corpus::texts::ArticleText> {
            (index != 0).then(|| crate::corpus::texts::ArticleText {
                paragraphs: vec![format!("Body of article {index}.")],
                ..Default::default()
            })
        }
    }

    #[test]
    fn an_unreadable_text_says_so_in_the_reading_pane_and_the_problems() {
        use crate::corpus::BodyCounts;
        let articles: Vec<crate::corpus::Article> = (0..2)
            .map(|i| crate::corpus::Article {
                id: format!("a{i}").into(),
                title: format!("Headline number {i}"),
                source: "wire".into(),
                counts: Some(BodyCounts::default()),
                ..Default::default()
            })
            .collect();
        let stories = (0..2)
            .map(|i| Story {
                id: format!("s{i}"),
                title: format!("Headline number {i}"),
                versions: vec![crate::corpus::StoryVersion {
                    article: i,
                    similarity: 1.0,
                }],
                sources: vec!["wire".into()],
                first_date: None,
                last_date: None,
                related: Vec::new(),
            })
            .collect();
        let corpus = Corpus {
            name: "c".into(),
            articles,
            problems: Vec::new(),
        };
        let lib = Library::new(corpus, stories).with_texts(std::sync::Arc::new(OneUnreadable));
        let config = crate::config::Config::default();
        let mut app = crate::app::App::with_library(&config, lib, 100, 30);
        let shown = |app: &crate::app::App| {
            app.reader
                .lines
                .iter()
                .map(|l| l.text.clone())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let story_of = |app: &crate::app::App, article: usize| {
            app.view
                .iter()
                .position(|&s| app.lib.stories[s].versions[0].article == article)
                .unwrap()
        };
        // The readable one first: its text, no problem.
        app.list.selected = story_of(&app, 1);
        app.refresh_reader();
        assert!(
            shown(&app).contains("Body of article 1."),
            "{}",
            shown(&app)
        );
        assert!(
            !app.problems.iter().any(|p| p.starts_with("a1")),
            "{:?}",
            app.problems
        );
        // The unreadable one: the header, then the notice instead of "(no text)".
        app.list.selected = story_of(&app, 0);
        app.refresh_reader();
        let text = shown(&app);
        assert!(text.contains("Headline number 0"), "{text}");
        assert!(text.contains("could not be read from the"), "{text}");
        assert!(text.contains("damaged"), "{text}");
        assert!(!text.contains("(no text)"), "{text}");
        assert_eq!(
            app.problems,
            ["a0: the text could not be read from the corpus cache"]
        );
        assert!(app.status.as_ref().is_some_and(|s| s.error));
        // Shown again: one problem line, not two.
        app.reader.key = None;
        app.refresh_reader();
        assert_eq!(app.problems.len(), 1);
    }
}
