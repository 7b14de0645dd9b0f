//! The story model: the articles that are versions of one report.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// One version of a story: an article and its similarity to the story's first version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryVersion {
    /// Index of the article in `Corpus::articles`.
    pub article: usize,
    /// Similarity (0..=1) to the story's first version; 1 for the first version itself.
    pub similarity: f32,
}

/// The set of articles that are versions of one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Stable across runs for the same corpus.
    pub id: CompactString,
    /// The most representative headline.
    pub title: String,
    /// Versions ordered by date (undated last), then source.
    pub versions: Vec<StoryVersion>,
    /// Distinct sources in version order.
    pub sources: Vec<CompactString>,
    /// Earliest date of a version (ISO 8601), when any is dated.
    pub first_date: Option<CompactString>,
    /// Latest date of a version (ISO 8601), when any is dated.
    pub last_date: Option<CompactString>,
    /// Ids of other stories that share real text with this one but are other reports (a
    /// follow-up, a digest, the same event from another party), strongest first.
    pub related: Vec<CompactString>,
}

#[cfg(test)]
impl Story {
    /// A story `id` titled `title` of the articles `members` (each of similarity 1, nothing
    /// else set), for tests.
    pub(crate) fn of_members(
        id: &str,
        title: &str,
        members: impl IntoIterator<Item = usize>,
    ) -> Story {
        Story {
            id: id.into(),
            title: title.into(),
            versions: members
                .into_iter()
                .map(|article| StoryVersion {
                    article,
                    similarity: 1.0,
                })
                .collect(),
            sources: Vec::new(),
            first_date: None,
            last_date: None,
            related: Vec::new(),
        }
    }
}

/// Progress of slow work, reported to the CLI's stderr line or the TUI's gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Files or records read so far, of how many (0 when unknown).
    Loading {
        /// How many are done.
        done: usize,
        /// Of how many.
        total: usize,
    },
    /// Bytes of the files being read (those new or changed since the store was built) read
    /// so far, of how many: one large file shows its own progress.
    Reading {
        /// Bytes read.
        done: u64,
        /// Of how many.
        total: u64,
    },
    /// The stories found are being stored (the state a reopen reads); no count.
    Saving,
    /// Articles cleaned so far, of how many.
    Cleaning {
        /// How many are done.
        done: usize,
        /// Of how many.
        total: usize,
    },
    /// Grouping stage: articles processed so far, of how many.
    Grouping {
        /// How many are done.
        done: usize,
        /// Of how many.
        total: usize,
    },
}
