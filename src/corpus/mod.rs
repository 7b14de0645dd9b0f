//! The corpus: loading files and records, cleaning them, grouping versions into stories.
//! Pure data: no terminal code.

pub(crate) mod article;
pub mod clean;
pub mod date;
pub(crate) mod dateline_date;
pub(crate) mod fields;
pub(crate) mod formats;
pub mod group;
pub(crate) mod html;
pub(crate) mod identity;
pub mod load;
pub(crate) mod quiet_panic;
pub(crate) mod record;
pub mod sample;
pub(crate) mod story;
pub(crate) mod stream;
pub mod texts;

pub use article::{
    Article, ArticleKey, ArticleMore, BodyCounts, Corpus, LoadProblem, RemovalReason, RemovedLine,
};
pub use story::{Progress, Story, StoryVersion};
