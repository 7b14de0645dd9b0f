//! Annotations: what users mark in articles and why. The model, re-anchoring in changed
//! texts, the undo-able operations, the durable store and the exports. No terminal code.
//!
//! How the TUI uses it: build a [`Target`] from a selection ([`Target::from_char_span`]),
//! make an [`Annotation`] ([`Annotation::new`]), apply it with [`AnnotationSet::create`]
//! (or `edit_note`, `relabel`, `retarget`, `delete`), append the returned [`Edit`]'s record
//! to the [`AnnotationStore`] before showing the change, and push the edit on the
//! [`History`] for undo and redo. [`AnchorText::anchor`] places each target in the text shown.

pub mod anchor;
pub mod export;
pub mod labels;
pub mod model;
pub mod set;
pub mod store;

pub use anchor::{
    AnchorStatus, AnchorText, Anchoring, PlacedTarget, anchor_corpus, anchor_in, place_in_article,
};
pub use labels::{Label, LabelId, LabelProblem, LabelSet, default_labels};
pub use model::{
    Annotation, AnnotationId, Granularity, ModelError, Target, TextHash, TextPositionSelector,
    TextQuoteSelector, Timestamp, default_author,
};
pub use set::{AnnotationSet, Edit, History, LogRecord, MergeReport};
pub use store::{AnnotationLog, AnnotationStore, MemoryLog, Opened, StoreError, StoreProblem};
