//! The comparisons the diff view has computed, and the job that computes a long one in the
//! background.

use std::sync::Arc;

use crate::compare::Comparison;

/// A comparison to compute on a worker: the key of the diff cache and the two bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareJob {
    /// (story, version A, version B).
    pub key: (usize, usize, usize),
    /// A's paragraphs.
    pub a: Vec<String>,
    /// B's paragraphs.
    pub b: Vec<String>,
}

impl CompareJob {
    /// Computes the comparison.
    pub fn run(&self) -> Comparison {
        Comparison::new(&self.a, &self.b)
    }

    /// Computes the comparison, giving up (None) as soon as `ctl.stop` says so (a background
    /// job that was cancelled) and telling `ctl.progress` each step.
    pub(crate) fn run_with(&self, ctl: &crate::compare::Control<'_>) -> Option<Comparison> {
        crate::compare::compare_until(&self.a, &self.b, ctl)
    }
}

/// Comparisons kept per pair of versions.
const CACHE_LEN: usize = 8;

/// Comparisons computed so far, per (story, A version, B version).
#[derive(Debug, Clone, Default)]
pub struct DiffCache {
    entries: Vec<((usize, usize, usize), Arc<Comparison>)>,
}

impl DiffCache {
    /// The comparison for `key`, computing it with `make` when it is not kept.
    pub(crate) fn get_or_insert(
        &mut self,
        key: (usize, usize, usize),
        make: impl FnOnce() -> Comparison,
    ) -> Arc<Comparison> {
        if let Some(pos) = self.entries.iter().position(|(k, _)| *k == key) {
            let e = self.entries.remove(pos);
            let cmp = e.1.clone();
            self.entries.push(e);
            return cmp;
        }
        let cmp = Arc::new(make());
        if self.entries.len() >= CACHE_LEN {
            self.entries.remove(0);
        }
        self.entries.push((key, cmp.clone()));
        cmp
    }

    /// Whether the comparison for `key` is kept.
    pub fn contains(&self, key: (usize, usize, usize)) -> bool {
        self.entries.iter().any(|(k, _)| *k == key)
    }

    /// Keeps a comparison computed elsewhere (on a worker).
    pub(crate) fn insert(&mut self, key: (usize, usize, usize), cmp: Comparison) {
        self.get_or_insert(key, || cmp);
    }
}
