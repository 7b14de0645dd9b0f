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
pub const SAVED_STATE_VERSION: u32 = 1;
