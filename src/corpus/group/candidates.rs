//! Candidate pairs from an inverted index of sampled shingle hashes: two articles are
//! candidates when they share enough sampled shingles. Hashes shared by too many articles
//! (stock phrases, boilerplate) are skipped, so no all-pairs comparison is ever made.

use crate::num;
use rayon::prelude::*;

use super::features::Features;

/// A candidate pair `a < b` and the number of sampled shingles they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
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
pub(crate) fn candidates(features: &[Features], max_df: usize, fraction: f32) -> Vec<Candidate> {
    let mut postings: Vec<(u64, u32)> = features
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, f)| f.sampled.iter().map(move |&h| (h, num::u32_of(i))))
        .collect();
    postings.par_sort_unstable();

    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < postings.len() {
        let h = postings[start].0;
        let mut end = start + 1;
        while end < postings.len() && postings[end].0 == h {
            end += 1;
        }
        let len = end - start;
        if len >= 2 && len <= max_df.max(2) {
            runs.push((start, end));
        }
        start = end;
    }

    let mut pairs: Vec<u64> = runs
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            let docs = &postings[s..e];
            (0..docs.len()).flat_map(move |i| {
                (i + 1..docs.len()).map(move |j| ((docs[i].1 as u64) << 32) | docs[j].1 as u64)
            })
        })
        .collect();
    drop(postings);
    pairs.par_sort_unstable();

    let mut out = Vec::new();
    let mut i = 0;
    while i < pairs.len() {
        let key = pairs[i];
        let mut j = i + 1;
        while j < pairs.len() && pairs[j] == key {
            j += 1;
        }
        let (a, b) = (num::low_u32(key >> 32), num::low_u32(key));
        let smaller = features[a as usize]
            .sampled
            .len()
            .min(features[b as usize].sampled.len());
        let need = num::usize_of(f64::from((num::f32_of(smaller) * fraction).ceil())).max(1);
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
