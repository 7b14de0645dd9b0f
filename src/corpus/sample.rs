//! The built-in sample corpus, embedded in the binary.

use super::Corpus;
use super::load::LoadOptions;

/// Loads the built-in sample corpus.
pub fn load_sample(_opts: &LoadOptions) -> Corpus {
    Corpus {
        name: "sample".into(),
        ..Corpus::default()
    }
}
