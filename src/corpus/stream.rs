//! A corpus too big to hold, streamed: the articles come out cleaned exactly as
//! [`super::load::load_paths`] would give them (unique ids, source boilerplate removed), a batch
//! at a time, and are dropped once handed on. Learning a source's boilerplate needs every
//! article of the source, so the files are read twice: a first pass counts the short edge
//! paragraphs of each source (a few bytes per article), the second cleans, removes what was
//! learned and hands the articles on. Memory stays bounded by a few blocks of input and the
//! counts, whatever the size of the corpus.

use rayon::prelude::*;

use super::clean::{Boilerplate, BoilerplateCounts, edge_keys, source_key};
use super::identity::IdAssigner;
use super::load::{Discovered, FileLoad, LoadOptions, stream_files};
use super::{Article, LoadProblem};

/// What the first pass over a streamed corpus learned.
#[derive(Debug, Default)]
pub(crate) struct FirstPass {
    /// The source boilerplate.
    pub boilerplate: Boilerplate,
    /// Widest id and source, in characters (for aligned plain output).
    pub widest: (usize, usize),
    /// The ids counted, to name the articles in the second pass.
    pub ids: IdAssigner,
}

/// What the second pass handed on.
#[derive(Debug, Default)]
pub(crate) struct StreamSummary {
    /// Articles handed on.
    pub articles: usize,
    /// Problems met (path, line, reason), in corpus order.
    pub problems: Vec<LoadProblem>,
}

/// Pass 1: counts the edge paragraphs of each source and learns its boilerplate.
pub(crate) fn first_pass(found: &Discovered, opts: &LoadOptions) -> FirstPass {
    let mut counts = BoilerplateCounts::default();
    let mut widest = (0usize, 0usize);
    let mut ids = IdAssigner::default();
    stream_files(found, opts, &mut |batch: FileLoad| {
        let keys: Vec<_> = batch.articles.par_iter().map(edge_keys).collect();
        for (a, k) in batch.articles.iter().zip(&keys) {
            counts.add(source_key(a), k);
            ids.count(a);
            widest.1 = widest.1.max(a.source.chars().count());
        }
    });
    widest.0 = ids.widest();
    FirstPass {
        boilerplate: counts.learn(),
        widest,
        ids,
    }
}

/// Pass 2: loads and cleans again, makes ids unique, removes the boilerplate learned, and
/// hands each batch of articles to `emit` in corpus order.
pub(crate) fn second_pass(
    found: &Discovered,
    opts: &LoadOptions,
    first: &mut FirstPass,
    emit: &mut dyn FnMut(&[Article]),
) -> StreamSummary {
    let ids = &mut first.ids;
    let mut summary = StreamSummary::default();
    stream_files(found, opts, &mut |mut batch: FileLoad| {
        summary.problems.append(&mut batch.problems);
        for a in &mut batch.articles {
            ids.assign(a);
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
