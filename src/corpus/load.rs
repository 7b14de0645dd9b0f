//! Loading: paths → articles. The only file access of the corpus core.

use std::path::PathBuf;

use super::fields::FieldMap;
use super::{Corpus, Progress};

/// How to load: field-name overrides.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// JSON field names.
    pub fields: FieldMap,
}

/// Loads every article under `paths`.
pub fn load_paths(paths: &[PathBuf], _opts: &LoadOptions, _progress: &dyn Fn(Progress)) -> Corpus {
    Corpus {
        name: paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        ..Corpus::default()
    }
}
