//! The loaded corpus with its stories, and what the list needs precomputed to filter, sort and
//! search 100k stories within a frame.

use crate::corpus::{Corpus, Story};

use super::search::fold;

/// The corpus, its stories and the list's precomputed keys. Built on the worker thread.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The articles and load problems.
    pub corpus: Corpus,
    /// The stories (versions of one report).
    pub stories: Vec<Story>,
    /// Each story's title, folded for case-insensitive search.
    pub folded_titles: Vec<String>,
    /// Each source with the number of stories that have a version from it, most first.
    pub sources: Vec<(String, usize)>,
}

impl Library {
    /// Precomputes the search keys and the source list.
    pub fn new(corpus: Corpus, stories: Vec<Story>) -> Library {
        let folded_titles = stories.iter().map(|s| fold(&s.title)).collect();
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        for story in &stories {
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
        Library {
            corpus,
            stories,
            folded_titles,
            sources,
        }
    }

    /// The article shown for version `version` of story `story`.
    pub fn article(&self, story: usize, version: usize) -> Option<&crate::corpus::Article> {
        let v = self.stories.get(story)?.versions.get(version)?;
        self.corpus.articles.get(v.article)
    }
}
