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
    let max_df = max_df.max(2);
    // The postings (hash, article) are gathered and sorted a part of the hash space at a time
    // (by its top bits): each hash is in one part, so the pairs are those of one pass, but
    // only a part's postings are held at once (at 1M generated articles all of them, with
    // the copy their collection makes, were 2.4 GB of a first open's peak).
    let mut pairs: Vec<u64> = Vec::new();
    for part in 0..POSTING_PARTS {
        let mut postings: Vec<(u64, u32)> = features
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, f)| {
                f.sampled
                    .iter()
                    .filter(move |&&h| h >> POSTING_SHIFT == part)
                    .map(move |&h| (h, num::u32_of(i)))
            })
            .collect();
        postings.par_sort_unstable();

        // Both passes below work on shards cut where a run of equal keys starts, one shard
        // after another on each core; the shards' results come out in order.
        let shards = run_shards(&postings, |p| p.0);
        pairs.par_extend(shards.par_iter().flat_map_iter(|&(s, e)| {
            let postings = &postings[s..e];
            runs(postings, |p| p.0)
                .filter(move |&(s, e)| e - s >= 2 && e - s <= max_df)
                .flat_map(move |(s, e)| {
                    let docs = &postings[s..e];
                    (0..docs.len()).flat_map(move |i| {
                        (i + 1..docs.len())
                            .map(move |j| ((docs[i].1 as u64) << 32) | docs[j].1 as u64)
                    })
                })
        }));
    }
    pairs.par_sort_unstable();

    let shards = run_shards(&pairs, |&p| p);
    let pairs = &pairs;
    shards
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            runs(&pairs[s..e], |&p| p).filter_map(move |(i, j)| {
                let key = pairs[s + i];
                let (a, b) = (num::low_u32(key >> 32), num::low_u32(key));
                let smaller = features[a as usize]
                    .sampled
                    .len()
                    .min(features[b as usize].sampled.len());
                let need =
                    num::usize_of(f64::from((num::f32_of(smaller) * fraction).ceil())).max(1);
                (j - i >= need).then(|| Candidate {
                    a,
                    b,
                    shared: num::u32_of(j - i),
                })
            })
        })
        .collect()
}

/// The parts of the hash space the postings are gathered in, one after another (a power of
/// two: the top bits of a hash name its part).
const POSTING_PARTS: u64 = 8;
/// The shift that leaves a hash's part.
const POSTING_SHIFT: u32 = 64 - POSTING_PARTS.trailing_zeros();

/// The runs of equal keys in sorted `items`, as (start, end) ranges.
fn runs<'a, T, K: PartialEq>(
    items: &'a [T],
    key: impl Fn(&T) -> K + 'a,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= items.len() {
            return None;
        }
        let k = key(&items[start]);
        let mut end = start + 1;
        while end < items.len() && key(&items[end]) == k {
            end += 1;
        }
        let run = (start, end);
        start = end;
        Some(run)
    })
}

/// Items per shard of [`run_shards`] (at least).
const SHARD: usize = 1 << 16;

/// Cuts sorted `items` into shards of about [`SHARD`] items, each cut moved on to where a
/// run of equal keys starts, so that no run is split.
fn run_shards<T, K: PartialEq>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(items.len() / SHARD + 1);
    let mut start = 0;
    while start < items.len() {
        let mut end = (start + SHARD).min(items.len());
        while end < items.len() && key(&items[end]) == key(&items[end - 1]) {
            end += 1;
        }
        out.push((start, end));
        start = end;
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
    fn shards_never_split_a_run() {
        let items: Vec<u32> = (0..300_000u32).map(|i| i / 7).collect();
        let shards = run_shards(&items, |&x| x);
        assert!(shards.len() > 2);
        assert_eq!(shards[0].0, 0);
        assert_eq!(shards.last().map(|s| s.1), Some(items.len()));
        for w in shards.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert_ne!(items[w[1].0], items[w[1].0 - 1]);
        }
        let lens: Vec<usize> = runs(&items[..20], |&x| x).map(|(s, e)| e - s).collect();
        assert_eq!(lens, [7, 7, 6]);
    }

    #[test]
    fn pairs_are_counted_across_shards_as_in_one() {
        // Enough articles sharing hashes that both passes cut several shards.
        let feats: Vec<Features> = (0..3000u64)
            .map(|i| f(&(0..60).map(|k| (i / 3) * 1000 + k).collect::<Vec<_>>()))
            .collect();
        let c = candidates(&feats, 10, 0.5);
        assert_eq!(c.len(), 3000);
        assert!(
            c.iter()
                .all(|c| c.shared == 60 && c.a / 3 == c.b / 3 && c.a < c.b)
        );
        assert!(c.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)));
    }

    #[test]
    fn pairs_are_counted_across_the_parts_of_the_hash_space() {
        // Each pair shares one hash in every part (and a hash past `max_df` in each).
        let spread = |base: u64| -> Vec<u64> {
            let mut v: Vec<u64> = (0..POSTING_PARTS)
                .flat_map(|p| [(p << POSTING_SHIFT) | base, (p << POSTING_SHIFT) | 7])
                .collect();
            v.sort_unstable();
            v
        };
        let feats: Vec<Features> = (0..40u64).map(|i| f(&spread(100 + i / 2))).collect();
        let c = candidates(&feats, 3, 0.5);
        assert_eq!(c.len(), 20);
        let parts = u32::try_from(POSTING_PARTS).unwrap();
        assert!(c.iter().all(|c| c.shared == parts && c.a / 2 == c.b / 2));
        // Half of each sample: the pairs need 8 of the 16, and have them only summed over
        // the parts.
        assert!(c.iter().all(|c| c.b == c.a + 1));
    }

    #[test]
    fn hashes_held_by_too_many_articles_are_skipped() {
        let feats = vec![f(&[1, 5]), f(&[1, 6]), f(&[1, 7])];
        assert!(candidates(&feats, 2, 0.1).is_empty());
        assert_eq!(candidates(&feats, 3, 0.1).len(), 3);
    }
}
