//! Annotations: what users mark in articles and why. The model, re-anchoring in changed
//! texts, the undo-able operations, the durable store and the exports. No terminal code.
//!
//! How the TUI uses it: build a [`Target`] from a selection ([`Target::from_char_span`]),
//! make an [`Annotation`] ([`Annotation::new`]), apply it with [`AnnotationSet::create`]
//! (or `edit_note`, `relabel`, `retarget`, `delete`), append the returned [`Edit`]'s record
//! to the [`AnnotationStore`] before showing the change, and push the edit on the
//! [`History`] for undo and redo. [`AnchorText::anchor`] places each target in the text shown.
//!
//! ```
//! use stet::annotate::*;
//!
//! let body = "The minister said the plan would go ahead.\n\nUnions objected.";
//! let mut set = AnnotationSet::new();
//! let mut history = History::default();
//! let mut log = MemoryLog::default(); // the runtime uses the AnnotationStore of the corpus
//!
//! // `v` … `a`, label 2, a note: annotate "the plan would go ahead".
//! let target = Target::from_char_span("art-1", "story-1", body, 18..41, Granularity::Sentence)?;
//! let ann = Annotation::new(vec![target], "softened".into(), Some("was: will".into()),
//!                           &default_author(), Timestamp::now())?;
//! let id = ann.id;
//! let edit = set.create(ann)?;
//! log.append(&edit.record)?; // durable before the UI shows it
//! history.push(edit);
//!
//! // Relabel, then undo it: the undo is a new revision, stored like any change.
//! let edit = set.relabel(&id, "reworded".into(), Timestamp::now())?;
//! log.append(&edit.record)?;
//! history.push(edit);
//! let undo = history.undo(&mut set, Timestamp::now())?.expect("something to undo");
//! log.append(&undo.record)?;
//! assert_eq!(set.get(&id).unwrap().label.as_str(), "softened");
//!
//! // A new version of the article: the annotation follows its sentence.
//! let new_body = format!("Updated.\n\n{body}");
//! let article = stet::corpus::Article { id: "art-1".into(), ..Default::default() };
//! let placed = place_in_article(set.iter(), &article, &AnchorText::new(&new_body));
//! assert_eq!(placed[0].anchoring.status, AnchorStatus::Moved);
//! assert_eq!(placed[0].anchoring.span, Some(28..51));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod anchor;
pub(crate) mod export;
pub(crate) mod labels;
pub(crate) mod migrate;
pub mod model;
pub mod set;
pub mod store;

pub use anchor::{
    AnchorStatus, AnchorText, Anchoring, PlacedTarget, anchor_corpus, anchor_corpus_with,
    anchor_in, place_in_article, resolve_target,
};
pub use labels::{Label, LabelId, LabelProblem, LabelSet, default_labels};
pub use model::{
    Annotation, AnnotationId, Granularity, ModelError, Target, TextHash, TextPositionSelector,
    TextQuoteSelector, Timestamp, default_author,
};
pub use set::{AnnotationSet, Edit, History, LogRecord, MergeReport};
pub use store::{AnnotationLog, AnnotationStore, MemoryLog, Opened, StoreError, StoreProblem};
