//! Annotations: model, anchoring, store, export.
