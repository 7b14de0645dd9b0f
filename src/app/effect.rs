//! What the state machine asks the shell to do: `update` stays pure, the runtime performs these.

use serde::{Deserialize, Serialize};

/// A side effect requested by `App::update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the reading state of the corpus (atomically).
    SaveState(SavedState),
    /// Append this change to the corpus's annotation store (durably) before drawing.
    AppendAnnotation(Box<crate::annotate::LogRecord>),
    /// Compare two versions as a background job and send back [`super::Msg::Compared`]
    /// (replacing a comparison still waiting to start).
    Compare(Box<super::diff::CompareJob>),
    /// Collate a story as a background job and send back [`super::Msg::Collated`]
    /// (replacing a collation still waiting to start).
    Collate(Box<super::collate::CollateJob>),
    /// Open the corpus's full-text index, building it when missing or stale, as a background
    /// job reporting [`super::Msg::IndexProgress`] and then [`super::Msg::IndexReady`] or
    /// [`super::Msg::IndexFailed`].
    BuildIndex(Box<super::search::IndexJob>),
    /// Answer an every-word query from the index off the UI thread (replacing a query still
    /// waiting to start) and send back [`super::Msg::Searched`].
    SearchIndex(String),
    /// Find the stories saved as read off the UI thread and send back
    /// [`super::Msg::ReadMarksFound`] (the list shows before its marks).
    ResolveReadMarks(Box<super::read_marks::ReadMarksJob>),
    /// Cancel the job of this kind under way or waiting: its result is no longer wanted.
    Cancel(JobKind),
    /// Leave the program (after the effects before it ran).
    Quit,
}

/// The kinds of background job the app asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Comparing two versions ([`Effect::Compare`]).
    Compare,
    /// Collating a story ([`Effect::Collate`]).
    Collate,
    /// Building the full-text index ([`Effect::BuildIndex`]).
    Index,
    /// An every-word query ([`Effect::SearchIndex`]).
    Search,
}

/// How a background job is going: sent by the runtime as [`super::Msg::JobProgress`], shown in
/// the status bar while the app waits for that job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobProgress {
    /// The comparison with this diff-cache key (story, A, B) is at this step.
    Compare((usize, usize, usize), crate::compare::Step),
    /// The collation of this story has aligned `done` of its `total` pairs of versions.
    Collate {
        /// Index of the story.
        story: usize,
        /// Pairs aligned.
        done: usize,
        /// Pairs to align.
        total: usize,
    },
}

impl JobProgress {
    /// The progress as the status bar says it ("comparing: words 40%").
    pub(crate) fn text(&self) -> String {
        use crate::compare::Step;
        let percent = |done: usize, total: usize| done.saturating_mul(100) / total.max(1);
        match *self {
            JobProgress::Compare(_, Step::Segmenting) => "comparing: splitting".into(),
            JobProgress::Compare(_, Step::Aligning) => "comparing: pairing".into(),
            JobProgress::Compare(_, Step::Words { done, total }) => {
                format!("comparing: words {}%", percent(done, total))
            }
            JobProgress::Collate { done, total, .. } => {
                format!("collating: {done}/{total} pairs")
            }
        }
    }
}

/// The reading state kept per corpus between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedState {
    /// Format version of this file.
    pub version: u32,
    /// Ids of the stories marked read.
    pub read: Vec<String>,
    /// Id of the story selected when stet was left.
    pub selected: Option<String>,
    /// Sort order name (`newest`, `versions`, `title`, `source`).
    pub sort: Option<String>,
    /// The source the list was filtered by.
    pub source_filter: Option<String>,
}

/// The current format version of `SavedState`.
pub(crate) const SAVED_STATE_VERSION: u32 = 1;
