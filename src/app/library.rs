//! The loaded corpus with its stories, and what the list needs precomputed to filter, sort and
//! search 100k stories within a frame. Only what the first frame needs is computed before
//! it (a reopened 1M corpus shows its list in under a second): the title and source orders
//! are made when the list is first sorted by them, and titles are matched without a folded
//! copy of them all.

use crate::corpus::texts::{LazyTexts, TextSource};
use crate::corpus::{Corpus, Story};

use super::search::{contains_folded, fold};

/// The corpus, its stories and the list's precomputed keys. Built on the worker thread.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The articles and load problems (shared with the background index build).
    pub corpus: std::sync::Arc<Corpus>,
    /// The stories (versions of one report), shared with the background index build.
    pub stories: std::sync::Arc<Vec<Story>>,
    /// Each source with the number of stories that have a version from it, most first.
    pub sources: Vec<(String, usize)>,
    /// Each story's earliest version time (seconds since the epoch), when any version is
    /// dated: a story's date everywhere (list, sort, `stet stories`) is its first publication.
    pub first_published: Vec<Option<i64>>,
    /// The title shown of each untitled story ("(untitled)" and its opening words), by story;
    /// every other story shows its headline ([`Library::display_title`]).
    untitled: std::collections::HashMap<usize, String>,
    /// Each story's rank in title order, made the first time the list is sorted by title
    /// (then sorting 1M stories again takes no time).
    title_rank: std::sync::OnceLock<Vec<u32>>,
    /// Each story's rank in the order of its first source, made when first sorted by source.
    source_rank: std::sync::OnceLock<Vec<u32>>,
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
        // The titles on one side, dates and sources on the other (both cores: this is on the
        // way to the first frame of a reopened corpus).
        let ((untitled, widest_title), dates_and_sources) = rayon::join(
            || title_keys(&stories, &corpus),
            || dates_and_sources(&stories, &corpus),
        );
        let DatesAndSources {
            first_published,
            first_inferred,
            widest_source,
            sources,
        } = dates_and_sources;
        let any_inferred = first_inferred.iter().any(|&b| b);
        let any_dated = stories.iter().any(|s| s.first_date.is_some());
        Library {
            corpus: std::sync::Arc::new(corpus),
            stories: std::sync::Arc::new(stories),
            sources,
            first_published,
            untitled,
            title_rank: Default::default(),
            source_rank: Default::default(),
            first_inferred,
            any_dated,
            any_inferred,
            widest_title,
            widest_source,
            texts: None,
        }
    }

    /// The title the list shows for story `story`: its headline, else "(untitled)" and its
    /// opening words ("" past the last story).
    pub(crate) fn display_title(&self, story: usize) -> &str {
        match self.untitled.get(&story) {
            Some(t) => t,
            None => self.stories.get(story).map_or("", |s| s.title.trim()),
        }
    }

    /// Whether story `story`'s title shown holds `folded` (a query folded by
    /// [`fold`]), whatever the case: as `fold(title).contains(folded)`, without folding an
    /// ASCII title.
    pub(crate) fn title_matches(&self, story: usize, folded: &str) -> bool {
        contains_folded(self.display_title(story), folded)
    }

    /// Each story's rank in title order (folded titles compared), made at the first call.
    pub(crate) fn title_rank(&self) -> &[u32] {
        self.title_rank.get_or_init(|| {
            use rayon::prelude::*;
            let folded: Vec<String> = (0..self.stories.len())
                .into_par_iter()
                .map(|i| fold(self.display_title(i)))
                .collect();
            ranks(folded.len(), |a, b| folded[a].cmp(&folded[b]))
        })
    }

    /// Each story's rank in the order of its first source, made at the first call.
    pub(crate) fn source_rank(&self) -> &[u32] {
        self.source_rank.get_or_init(|| {
            let stories = &self.stories;
            ranks(stories.len(), |a, b| {
                stories[a].sources.first().cmp(&stories[b].sources.first())
            })
        })
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

    /// Reads the text of the articles `wanted` into memory, when it is not there: into
    /// filled copies beside the corpus's rows ([`Library::article_at`]), which are never
    /// changed (the index job may hold them meanwhile: a million rows are never copied).
    pub(crate) fn ensure_articles(&mut self, wanted: &[usize]) {
        if let Some(t) = &mut self.texts {
            t.ensure(&self.corpus.articles, wanted);
        }
    }

    /// Article `i` as the views read it: with its text when [`Library::ensure_articles`]
    /// read it (a corpus reopened from its store), else its row.
    pub(crate) fn article_at(&self, i: usize) -> Option<&crate::corpus::Article> {
        self.texts
            .as_ref()
            .and_then(|t| t.filled(i))
            .or_else(|| self.corpus.articles.get(i))
    }

    /// The body of article `i` as [`Library::article_at`] reads it ("" past the last).
    pub(crate) fn body_of(&self, i: usize) -> String {
        self.article_at(i).map(|a| a.body()).unwrap_or_default()
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
        self.article_at(v.article)
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

/// The titles shown of the untitled stories (by story), and the widest title shown.
fn title_keys(
    stories: &[Story],
    corpus: &Corpus,
) -> (std::collections::HashMap<usize, String>, usize) {
    let mut untitled = std::collections::HashMap::new();
    let mut widest_title = 0;
    for (i, s) in stories.iter().enumerate() {
        let title = s.title.trim();
        let width = if title.is_empty() {
            let shown = untitled_title(s, corpus);
            let width = crate::text::wrap::text_width(&shown);
            untitled.insert(i, shown);
            width
        } else {
            crate::text::wrap::text_width(title)
        };
        widest_title = widest_title.max(width);
    }
    (untitled, widest_title)
}

/// What [`Library::new`] takes from the stories' dates and sources.
struct DatesAndSources {
    first_published: Vec<Option<i64>>,
    first_inferred: Vec<bool>,
    widest_source: usize,
    sources: Vec<(String, usize)>,
}

fn dates_and_sources(stories: &[Story], corpus: &Corpus) -> DatesAndSources {
    use rayon::prelude::*;
    // A read of every version's row, scattered over the corpus: on both cores.
    let first: Vec<Option<(i64, bool)>> = stories
        .par_iter()
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
    DatesAndSources {
        first_published,
        first_inferred,
        widest_source,
        sources,
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

/// "(untitled)" and the opening words of the first version of `story` (which has no
/// headline).
fn untitled_title(story: &Story, corpus: &Corpus) -> String {
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

    /// Two stories of two articles each, every text held out of memory (`OneUnreadable`).
    fn lazy_library() -> Library {
        use crate::corpus::BodyCounts;
        let articles: Vec<crate::corpus::Article> = (0..4)
            .map(|i| crate::corpus::Article {
                id: format!("a{i}").into(),
                title: ["Zebra crossing", "apple harvest", "", "Mango"][i].into(),
                source: ["wire", "post", "post", "wire"][i].into(),
                counts: Some(BodyCounts::default()),
                ..Default::default()
            })
            .collect();
        let stories = (0..4)
            .map(|i| Story {
                sources: vec![articles[i].source.clone()],
                ..Story::of_members(&format!("s{i}"), &articles[i].title, [i])
            })
            .collect();
        let corpus = Corpus {
            name: "c".into(),
            articles,
            problems: Vec::new(),
        };
        Library::new(corpus, stories).with_texts(std::sync::Arc::new(OneUnreadable))
    }

    #[test]
    fn reading_a_text_never_copies_the_rows_the_index_job_holds() {
        let mut lib = lazy_library();
        // The index job holds the corpus while it builds.
        let held = lib.corpus.clone();
        lib.ensure_story(1);
        assert!(
            std::sync::Arc::ptr_eq(&lib.corpus, &held),
            "the corpus's rows were copied"
        );
        // The text is read beside the rows, the rows are left without it.
        let a = lib.article(1, 0).unwrap();
        assert_eq!(a.paragraphs, ["Body of article 1."]);
        assert_eq!(a.title, "apple harvest");
        assert!(held.articles[1].paragraphs.is_empty());
        assert_eq!(lib.body_of(1), "Body of article 1.");
        // More texts than are kept: the oldest goes, its row is still there.
        let many: Vec<usize> = (0..4).collect();
        lib.texts = Some(LazyTexts::new(std::sync::Arc::new(OneUnreadable), 1));
        lib.ensure_articles(&many[1..2]);
        lib.ensure_articles(&many[3..4]);
        assert!(lib.article_at(1).unwrap().paragraphs.is_empty());
        assert_eq!(
            lib.article_at(3).unwrap().paragraphs,
            ["Body of article 3."]
        );
        assert!(std::sync::Arc::ptr_eq(&lib.corpus, &held));
    }

    #[test]
    fn titles_shown_matched_and_ranked_without_folded_copies() {
        let lib = lazy_library();
        assert_eq!(lib.display_title(0), "Zebra crossing");
        assert_eq!(lib.display_title(2), "(untitled)");
        assert_eq!(lib.display_title(9), "");
        assert!(lib.title_matches(0, "zebra"));
        assert!(lib.title_matches(1, "ple ha"));
        assert!(!lib.title_matches(1, "zebra"));
        // Title order ignores case: apple, Mango, Zebra ("(untitled)" sorts first).
        assert_eq!(lib.title_rank(), [3, 1, 0, 2]);
        // Source order: post, post, wire, wire.
        assert_eq!(lib.source_rank(), [2, 0, 0, 2]);
        assert_eq!(lib.widest_title, "Zebra crossing".len());
    }

    #[test]
    fn folded_matching_is_fold_then_contains() {
        let texts = [
            "Prime Minister RESIGNS",
            "Ölpreis steigt",
            "",
            "a",
            "İstanbul talks",
            "ΣΟΦΙΑ",
            "straße",
        ];
        let queries = [
            "",
            "prime",
            "minister r",
            "ölp",
            "steigt",
            "x",
            "i̇st",
            "σοφ",
            "a",
            "ss",
        ];
        for t in texts {
            for q in queries {
                let q = fold(q);
                assert_eq!(contains_folded(t, &q), fold(t).contains(&q), "{t:?} {q:?}");
            }
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
                sources: vec!["wire".into()],
                ..Story::of_members(&format!("s{i}"), &format!("Headline number {i}"), [i])
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
