//! A corpus too big to hold, streamed: the articles come out cleaned exactly as
//! [`super::load::load_paths`] would give them (unique ids, source boilerplate removed), a batch
//! at a time, and are dropped once handed on. Learning a source's boilerplate needs every
//! article of the source, so the files are read twice: a first pass counts the short edge
//! paragraphs of each source (a few bytes per article), the second cleans, removes what was
//! learned and hands the articles on. Memory stays bounded by a few blocks of input and the
//! counts, whatever the size of the corpus.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::clean::{Boilerplate, BoilerplateCounts, edge_keys};
use super::load::{FileLoad, LoadOptions, stream_paths};
use super::{Article, LoadProblem};
use std::path::PathBuf;

/// Makes article ids unique in corpus order: the second article with an id gets `ID#2`, the
/// third `ID#3`. Holds a 128-bit hash per distinct id, not the ids.
#[derive(Debug, Default)]
pub struct IdDeduper {
    seen: FxHashMap<u128, u32>,
}

impl IdDeduper {
    /// An empty deduper expecting about `n` ids.
    pub fn with_capacity(n: usize) -> Self {
        IdDeduper {
            seen: FxHashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// Renames `id` when an earlier article had it.
    pub fn unique(&mut self, id: &mut String) {
        let n = self
            .seen
            .entry(xxhash_rust::xxh3::xxh3_128(id.as_bytes()))
            .or_insert(0);
        *n += 1;
        if *n > 1 {
            id.push('#');
            id.push_str(&n.to_string());
        }
    }
}

/// What the first pass over a streamed corpus learned.
#[derive(Debug, Default)]
pub struct FirstPass {
    /// The source boilerplate.
    pub boilerplate: Boilerplate,
    /// Articles seen.
    pub articles: usize,
    /// Widest id and source, in characters (for aligned plain output).
    pub widest: (usize, usize),
}

/// What the second pass handed on.
#[derive(Debug, Default)]
pub struct StreamSummary {
    /// Articles handed on.
    pub articles: usize,
    /// Problems met (path, line, reason), in corpus order.
    pub problems: Vec<LoadProblem>,
}

/// Pass 1: counts the edge paragraphs of each source and learns its boilerplate.
pub fn first_pass(paths: &[PathBuf], opts: &LoadOptions) -> FirstPass {
    let mut counts = BoilerplateCounts::default();
    let mut widest = (0usize, 0usize);
    let mut articles = 0usize;
    stream_paths(paths, opts, &mut |batch: FileLoad| {
        let keys: Vec<_> = batch.articles.par_iter().map(edge_keys).collect();
        for (a, k) in batch.articles.iter().zip(&keys) {
            counts.add(&a.source, k);
            widest.0 = widest.0.max(a.id.chars().count());
            widest.1 = widest.1.max(a.source.chars().count());
        }
        articles += batch.articles.len();
    });
    FirstPass {
        boilerplate: counts.learn(),
        articles,
        widest,
    }
}

/// Pass 2: loads and cleans again, makes ids unique, removes the boilerplate learned, and
/// hands each batch of articles to `emit` in corpus order.
pub fn second_pass(
    paths: &[PathBuf],
    opts: &LoadOptions,
    first: &FirstPass,
    emit: &mut dyn FnMut(&[Article]),
) -> StreamSummary {
    let mut ids = IdDeduper::with_capacity(first.articles);
    let mut summary = StreamSummary::default();
    stream_paths(paths, opts, &mut |mut batch: FileLoad| {
        summary.problems.append(&mut batch.problems);
        for a in &mut batch.articles {
            ids.unique(&mut a.id);
        }
        if !first.boilerplate.is_empty() {
            batch.articles.par_iter_mut().for_each(|a| {
                let k = edge_keys(a);
                first.boilerplate.apply(a, &k);
            });
        }
        summary.articles += batch.articles.len();
        emit(&batch.articles);
    });
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_unique_in_order() {
        let mut d = IdDeduper::default();
        let mut ids: Vec<String> = ["a", "b", "a", "a", "c", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for id in &mut ids {
            d.unique(id);
        }
        assert_eq!(ids, ["a", "b", "a#2", "a#3", "c", "b#2"]);
    }
}
