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
    /// Grouping stage: how far it is, on a scale of the number of articles weighted by the
    /// time each of its steps takes (shown as [`Progress::percent`], not as a count).
    Grouping {
        /// How far it is.
        done: usize,
        /// The end of the scale (the number of articles).
        total: usize,
    },
}

impl Progress {
    /// Grouping's share done in whole percent (at most 100), as the CLI's line and the
    /// reader's gauge both show it; `None` for the other stages.
    pub fn percent(&self) -> Option<usize> {
        match *self {
            Progress::Grouping { done, total } => {
                let total = total.max(1);
                let done = done.min(total);
                // Past `usize::MAX / 100` the total is divided first (no overflow).
                Some(
                    done.checked_mul(100)
                        .map_or_else(|| done / (total / 100).max(1), |x| x / total),
                )
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_is_told_in_whole_percent() {
        let g = |done, total| Progress::Grouping { done, total }.percent();
        assert_eq!(g(41_000, 100_000), Some(41));
        // Whole numbers, not a float floored (0.29 * 100 is 28.999…).
        assert_eq!(g(29, 100), Some(29));
        assert_eq!(g(0, 0), Some(0));
        assert_eq!(g(7, 3), Some(100));
        assert_eq!(g(usize::MAX, usize::MAX), Some(100));
        assert_eq!(Progress::Saving.percent(), None);
        assert_eq!(Progress::Loading { done: 1, total: 2 }.percent(), None);
    }
}
