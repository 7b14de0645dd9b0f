//! The corpus: loading files and records, cleaning them, grouping versions into stories.
//! Pure data: no terminal code.

pub mod article;
pub mod clean;
pub mod date;
pub mod dateline_date;
pub mod fields;
pub mod formats;
pub mod group;
pub mod html;
pub mod identity;
pub mod load;
pub(crate) mod quiet_panic;
pub mod record;
pub mod sample;
pub mod story;
pub mod stream;
pub mod texts;

pub use article::{
    Article, ArticleKey, BodyCounts, Corpus, LoadProblem, RemovalReason, RemovedLine,
};
pub use story::{Progress, Story, StoryVersion};
