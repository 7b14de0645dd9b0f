//! Candidate pairs from an inverted index of sampled shingle hashes: two articles are
//! candidates when they share enough sampled shingles. Hashes shared by too many articles
//! (stock phrases, boilerplate) are skipped, so no all-pairs comparison is ever made.

use crate::num;
use rayon::prelude::*;

use super::features::Features;

/// A candidate pair `a < b` and the number of sampled shingles they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the first article.
    pub a: u32,
    /// Index of the second article (`a < b`).
    pub b: u32,
    /// Sampled shingles shared.
    pub shared: u32,
}

/// Finds candidate pairs among `features` (entries with no sampled shingles take no part).
///
/// `max_df` skips hashes held by more articles than that; a pair is a candidate when it shares
/// at least `fraction` of the smaller sample (and at least one hash).
pub fn candidates(features: &[Features], max_df: usize, fraction: f32) -> Vec<Candidate> {
    let mut postings: Vec<(u64, u32)> = features
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, f)| f.sampled.iter().map(move |&h| (h, num::u32_of(i))))
        .collect();
    postings.par_sort_unstable();

    // Each hash's run of postings (its articles, in order), kept when it is neither unique
    // nor a stock phrase; `run_of` finds the run of a hash by binary search.
    let mut runs: Vec<(u64, usize, usize)> = Vec::new();
    let mut start = 0;
    while start < postings.len() {
        let h = postings[start].0;
        let mut end = start + 1;
        while end < postings.len() && postings[end].0 == h {
            end += 1;
        }
        let len = end - start;
        if len >= 2 && len <= max_df.max(2) {
            runs.push((h, start, end));
        }
        start = end;
    }
    let run_of = |h: u64| {
        runs.binary_search_by_key(&h, |r| r.0)
            .ok()
            .map(|k| &postings[runs[k].1..runs[k].2])
    };

    // For each article `a`, the later articles sharing its kept hashes, counted: each pair is
    // met from its first article only, and sorted within that article's list (small and
    // local) rather than in one sort of every pair of the corpus.
    let per_article: Vec<Vec<Candidate>> = features
        .par_iter()
        .enumerate()
        .map_init(Vec::new, |others: &mut Vec<u32>, (a, f)| {
            others.clear();
            let a = num::u32_of(a);
            for &h in &f.sampled {
                if let Some(docs) = run_of(h) {
                    // Postings of one hash are sorted by article: the later ones are a suffix.
                    let from = docs.partition_point(|d| d.1 <= a);
                    others.extend(docs[from..].iter().map(|d| d.1));
                }
            }
            if others.is_empty() {
                return Vec::new();
            }
            others.sort_unstable();
            let mut out = Vec::new();
            let mut i = 0;
            while i < others.len() {
                let b = others[i];
                let mut j = i + 1;
                while j < others.len() && others[j] == b {
                    j += 1;
                }
                let smaller = f.sampled.len().min(features[b as usize].sampled.len());
                let need =
                    num::usize_of(f64::from((num::f32_of(smaller) * fraction).ceil())).max(1);
                if j - i >= need {
                    out.push(Candidate {
                        a,
                        b,
                        shared: num::u32_of(j - i),
                    });
                }
                i = j;
            }
            out
        })
        .collect();
    per_article.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(sampled: &[u64]) -> Features {
        Features {
            sampled: sampled.to_vec(),
            ..Features::default()
        }
    }

    #[test]
    fn pairs_sharing_enough_samples_are_candidates() {
        let feats = vec![
            f(&[1, 2, 3, 4]),
            f(&[1, 2, 3, 9]),
            f(&[7, 12]),
            f(&[4, 8, 10, 11]),
        ];
        let c = candidates(&feats, 10, 0.5);
        assert_eq!(
            c,
            vec![Candidate {
                a: 0,
                b: 1,
                shared: 3
            }]
        );
    }

    #[test]
    fn hashes_held_by_too_many_articles_are_skipped() {
        let feats = vec![f(&[1, 5]), f(&[1, 6]), f(&[1, 7])];
        assert!(candidates(&feats, 2, 0.1).is_empty());
        assert_eq!(candidates(&feats, 3, 0.1).len(), 3);
    }
}
