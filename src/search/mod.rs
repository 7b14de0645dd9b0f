//! Full-text search over every article of a corpus (headlines and cleaned bodies), answered
//! with stories; and a small search over the two texts of a comparison. No terminal types.
//!
//! The index is tantivy's, kept per corpus in the user cache dir and rebuilt when the
//! corpus's [`Fingerprint`] changes or the index is found damaged. The query language is in
//! [`query`].
//!
//! For a job runner: [`build_index`] (progress callback, cancel flag) makes an [`Index`];
//! [`Index::open`] reopens a current one; [`Index::search`] answers a query.

pub(crate) mod analyzer;
pub(crate) mod fingerprint;
pub(crate) mod index;
pub(crate) mod query;
pub(crate) mod snippet;
pub(crate) mod text_match;

use std::path::PathBuf;

pub use fingerprint::{Fingerprint, corpus_content_hash};
pub use index::{
    BuildProgress, Index, IndexLocation, MAX_LIMIT, OpenError, StoryHit, StoryMatch, VersionHit,
    build_index, build_index_with,
};
pub(crate) use query::QueryError;
pub(crate) use text_match::{Side, find_in_texts};

/// Why a search or an index build failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query cannot be understood.
    #[error("query: {0}")]
    Query(#[from] QueryError),
    /// The index cannot be read as it should: rebuild it.
    #[error("the search index is damaged: {0}")]
    Damaged(String),
    /// The index files could not be written or read.
    #[error("search index {}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Texts of the corpus could not be read from the corpus cache (it is damaged): the
    /// index would lack their words, so none is built.
    #[error("{0} article texts could not be read from the corpus cache")]
    TextsUnreadable(usize),
    /// The build was cancelled.
    #[error("the search index build was cancelled")]
    Cancelled,
    /// Tantivy reported an error.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// Whether rebuilding the index may cure it (damage, or an error reading the index).
    pub(crate) fn calls_for_rebuild(&self) -> bool {
        matches!(self, SearchError::Damaged(_) | SearchError::Index(_))
    }
}
