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
/// at least `fraction` of the smaller sample (and at least one hash). The pairs come sorted.
/// `progress` is told the share of the work done now and then.
pub(crate) fn candidates(
    features: &[Features],
    (max_df, fraction): (usize, f32),
    progress: &(dyn Fn(f64) + Sync),
) -> Vec<Candidate> {
    let index = SharedIndex::of(features, max_df.max(2));
    // The index takes about a third of the time (at 1M generated articles).
    progress(INDEX_SHARE);
    let searched = |part: f64| progress(INDEX_SHARE + (1.0 - INDEX_SHARE) * part);
    let ticker = super::Ticker::new(features.len(), &searched);
    // Each article's partners after it, counted from the postings of its own hashes: no list
    // of every (pair, hash) met is ever held (at 1M generated articles it was over a
    // gigabyte of a first open's peak).
    features
        .par_iter()
        .enumerate()
        .map_init(Lookups::default, |scratch: &mut Lookups, (a, f)| {
            ticker.add(1);
            let a = num::u32_of(a);
            let partners = index.partners(a, &f.sampled, scratch);
            partners.sort_unstable();
            runs(partners, |&b| b)
                .filter_map(|(i, j)| {
                    let b = partners[i];
                    let smaller = f.sampled.len().min(features[b as usize].sampled.len());
                    let need =
                        num::usize_of(f64::from((num::f32_of(smaller) * fraction).ceil())).max(1);
                    (j - i >= need).then(|| Candidate {
                        a,
                        b,
                        shared: num::u32_of(j - i),
                    })
                })
                .collect::<Vec<_>>()
        })
        .flatten_iter()
        .collect()
}

/// The share of [`candidates`]' time its shared index takes.
const INDEX_SHARE: f64 = 0.3;

/// The sampled hashes held by at least two articles and at most `max_df`, each with the
/// articles holding it (ascending): the inverted index candidates are counted from, one
/// [`SharedPart`] per part of the hash space.
struct SharedIndex {
    parts: Vec<SharedPart>,
}

/// The hashes of one part of the hash space (those whose top bits name it) in a
/// [`SharedIndex`], each list allocated at its size.
struct SharedPart {
    /// The hashes, sorted.
    hashes: Vec<u64>,
    /// Where each hash's articles start in `docs` (one more entry: the end).
    starts: Vec<u32>,
    /// The articles of each hash in turn.
    docs: Vec<u32>,
    /// Where the hashes of each bucket start in `hashes` (one more entry: the end); a
    /// bucket is the next [`SharedPart::bits`] bits of a hash after its part's. The hashes
    /// are uniform, so a bucket holds a few: a lookup reads the directory and a cache line
    /// instead of binary-searching the whole part (which, a cache miss per step, was
    /// a seventh of a 100k first open).
    buckets: Vec<u32>,
    /// The bits of a bucket number (four to eight hashes a bucket: a byte or less of
    /// directory per hash).
    bits: u32,
}

impl SharedPart {
    /// The bucket of `h` in a directory of `bits` bits.
    fn bucket(h: u64, bits: u32) -> usize {
        if bits == 0 {
            return 0;
        }
        usize::try_from((h << POSTING_PARTS.trailing_zeros()) >> (64 - bits)).unwrap_or(0)
    }

    /// Fills the bucket directory of the hashes (sorted) held.
    fn index_buckets(&mut self) {
        let n = self.hashes.len();
        self.bits = (usize::BITS - n.leading_zeros()).saturating_sub(3).min(28);
        let count = 1usize << self.bits;
        self.buckets = Vec::with_capacity(count + 1);
        let mut i = 0;
        for b in 0..count {
            while i < n && Self::bucket(self.hashes[i], self.bits) < b {
                i += 1;
            }
            self.buckets.push(num::u32_of(i));
        }
        self.buckets.push(num::u32_of(n));
    }

    /// The stretch of `hashes` that holds `h` if anything does: its bucket's (`None` when
    /// the bucket is empty).
    fn span(&self, h: u64) -> Option<(u32, u32)> {
        let b = Self::bucket(h, self.bits);
        let (&s, &e) = (self.buckets.get(b)?, self.buckets.get(b + 1)?);
        (s < e).then_some((s, e))
    }

    /// Where `h` is in `hashes`, if there, given its bucket's stretch ([`SharedPart::span`]).
    fn find_in(&self, h: u64, (s, e): (u32, u32)) -> Option<usize> {
        let (s, e) = (num::usize_from_u32(s), num::usize_from_u32(e));
        let k = self.hashes.get(s..e)?.binary_search(&h).ok()?;
        Some(s + k)
    }

    /// Where `h` is in `hashes`, if there.
    #[cfg(test)]
    fn find(&self, h: u64) -> Option<usize> {
        self.find_in(h, self.span(h)?)
    }
}

impl SharedIndex {
    /// The index of `features`' sampled hashes. The postings (hash, article) are gathered
    /// and sorted a part of the hash space at a time, two parts at once (so that one part's
    /// serial scans overlap the other's gathering and sorting), so only two parts' postings
    /// are held at once; most hashes are one article's and are not kept.
    fn of(features: &[Features], max_df: usize) -> SharedIndex {
        let build = |part: u64| {
            let mut postings: Vec<(u64, u32)> = features
                .par_iter()
                .enumerate()
                .flat_map_iter(|(i, f)| {
                    // The hashes are sorted: the part's are one stretch, found by halving.
                    let lo = f.sampled.partition_point(|&h| h >> POSTING_SHIFT < part);
                    let hi = f.sampled.partition_point(|&h| h >> POSTING_SHIFT <= part);
                    f.sampled[lo..hi.max(lo)]
                        .iter()
                        .map(move |&h| (h, num::u32_of(i)))
                })
                .collect();
            postings.par_sort_unstable();
            let kept = || runs(&postings, |p| p.0).filter(|(s, e)| (2..=max_df).contains(&(e - s)));
            let (n, held) = kept().fold((0, 0), |(n, held), (s, e)| (n + 1, held + e - s));
            let mut out = SharedPart {
                hashes: Vec::with_capacity(n),
                starts: Vec::with_capacity(n + 1),
                docs: Vec::with_capacity(held),
                buckets: Vec::new(),
                bits: 0,
            };
            out.starts.push(0);
            for (s, e) in kept() {
                out.hashes.push(postings[s].0);
                out.docs.extend(postings[s..e].iter().map(|p| p.1));
                out.starts.push(num::u32_of(out.docs.len()));
            }
            out.index_buckets();
            out
        };
        let mut parts = Vec::with_capacity(usize::try_from(POSTING_PARTS).unwrap_or(16));
        for part in (0..POSTING_PARTS).step_by(2) {
            let (one, two) = rayon::join(|| build(part), || build(part + 1));
            parts.push(one);
            parts.push(two);
        }
        SharedIndex { parts }
    }

    /// The part that holds `h` (every part is there: [`POSTING_PARTS`] of them).
    fn part(&self, h: u64) -> &SharedPart {
        &self.parts[usize::try_from(h >> POSTING_SHIFT).unwrap_or(0)]
    }

    /// The articles after `a` holding any of `hashes` (`a`'s), each once per hash held, in
    /// `scratch`. The lookups go in stages, each over every hash: the directory, then the
    /// bucket, then the articles. A lookup is a chain of cache misses (the index is far larger
    /// than the cache); in stages, the misses of one stage are independent of each other
    /// and wait together, instead of one after another.
    fn partners<'s>(&self, a: u32, hashes: &[u64], scratch: &'s mut Lookups) -> &'s mut Vec<u32> {
        let Lookups {
            spans,
            lists,
            partners,
        } = scratch;
        spans.clear();
        for &h in hashes {
            let Some(part) = usize::try_from(h >> POSTING_SHIFT)
                .ok()
                .and_then(|p| self.parts.get(p))
            else {
                continue;
            };
            if let Some(span) = part.span(h) {
                spans.push((h, span));
            }
        }
        lists.clear();
        for &(h, span) in spans.iter() {
            let part = self.part(h);
            if let Some(k) = part.find_in(h, span)
                && let (Some(&from), Some(&to)) = (part.starts.get(k), part.starts.get(k + 1))
            {
                lists.push((h, from, to));
            }
        }
        partners.clear();
        for &(h, from, to) in lists.iter() {
            let docs = self
                .part(h)
                .docs
                .get(num::usize_from_u32(from)..num::usize_from_u32(to))
                .unwrap_or(&[]);
            partners.extend_from_slice(&docs[docs.partition_point(|&d| d <= a)..]);
        }
        partners
    }
}

/// Scratch of [`SharedIndex::partners`], one per thread.
#[derive(Default)]
struct Lookups {
    /// Each hash with its bucket's stretch of its part's hashes.
    spans: Vec<(u64, (u32, u32))>,
    /// Each hash found with its stretch of its part's articles.
    lists: Vec<(u64, u32, u32)>,
    /// The articles met.
    partners: Vec<u32>,
}

/// The parts of the hash space the postings are gathered in, one after another (a power of
/// two: the top bits of a hash name its part).
const POSTING_PARTS: u64 = 16;
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
        let c = candidates(&feats, (10, 0.5), &|_| {});
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
    fn runs_are_the_stretches_of_equal_keys() {
        let items: Vec<u32> = (0..20u32).map(|i| i / 7).collect();
        let lens: Vec<usize> = runs(&items, |&x| x).map(|(s, e)| e - s).collect();
        assert_eq!(lens, [7, 7, 6]);
        assert_eq!(runs(&[] as &[u32], |&x| x).count(), 0);
    }

    #[test]
    fn pairs_are_counted_across_shards_as_in_one() {
        // Enough articles sharing hashes that both passes cut several shards.
        let feats: Vec<Features> = (0..3000u64)
            .map(|i| f(&(0..60).map(|k| (i / 3) * 1000 + k).collect::<Vec<_>>()))
            .collect();
        let c = candidates(&feats, (10, 0.5), &|_| {});
        assert_eq!(c.len(), 3000);
        assert!(
            c.iter()
                .all(|c| c.shared == 60 && c.a / 3 == c.b / 3 && c.a < c.b)
        );
        assert!(c.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)));
    }

    #[test]
    fn the_bucket_directory_finds_every_hash_held_and_no_other() {
        for n in [0usize, 1, 2, 7, 8, 9, 100, 5000] {
            // Hashes of one part, bunched at the ends of the space as well as spread.
            let mut hashes: Vec<u64> = (0..n as u64)
                .map(|i| match i % 3 {
                    0 => crate::corpus::group::features::mix(i + 1),
                    1 => i,
                    _ => u64::MAX - i,
                } >> POSTING_PARTS.trailing_zeros())
                .collect();
            hashes.sort_unstable();
            hashes.dedup();
            let mut part = SharedPart {
                hashes: hashes.clone(),
                starts: Vec::new(),
                docs: Vec::new(),
                buckets: Vec::new(),
                bits: 0,
            };
            part.index_buckets();
            for (k, &h) in hashes.iter().enumerate() {
                assert_eq!(part.find(h), Some(k), "n {n}, hash {h:#x}");
                let near = [h.wrapping_add(1), h.wrapping_sub(1)];
                for m in near
                    .into_iter()
                    .filter(|m| hashes.binary_search(m).is_err())
                {
                    assert_eq!(part.find(m), None, "n {n}, hash {m:#x}");
                }
            }
        }
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
        let c = candidates(&feats, (3, 0.5), &|_| {});
        assert_eq!(c.len(), 20);
        let parts = u32::try_from(POSTING_PARTS).unwrap();
        assert!(c.iter().all(|c| c.shared == parts && c.a / 2 == c.b / 2));
        // Half of each sample: the pairs need one hash per part, and have them only summed
        // over the parts.
        assert!(c.iter().all(|c| c.b == c.a + 1));
    }

    /// Every pair counted the slow way: the hashes (held by 2..=`max_df` articles) two
    /// samples share.
    fn all_pairs(feats: &[Features], max_df: usize, fraction: f32) -> Vec<Candidate> {
        let mut held: std::collections::HashMap<u64, usize> = Default::default();
        for f in feats {
            for &h in &f.sampled {
                *held.entry(h).or_default() += 1;
            }
        }
        let mut out = Vec::new();
        for a in 0..feats.len() {
            for b in a + 1..feats.len() {
                let shared = feats[a]
                    .sampled
                    .iter()
                    .filter(|h| feats[b].sampled.contains(h) && held[h] <= max_df.max(2))
                    .count();
                let smaller = feats[a].sampled.len().min(feats[b].sampled.len());
                let need =
                    num::usize_of(f64::from((num::f32_of(smaller) * fraction).ceil())).max(1);
                if shared > 0 && shared >= need {
                    out.push(Candidate {
                        a: num::u32_of(a),
                        b: num::u32_of(b),
                        shared: num::u32_of(shared),
                    });
                }
            }
        }
        out
    }

    #[test]
    fn the_pairs_are_those_counted_pair_by_pair() {
        // Samples drawn from a small pool spread over the hash space: many shared hashes,
        // some held by more articles than `max_df`.
        let mut x = 7u64;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x >> 33
        };
        let feats: Vec<Features> = (0..150)
            .map(|_| {
                let n = next() % 30;
                let mut v: Vec<u64> = (0..n)
                    .map(|_| super::super::features::mix(next() % 700))
                    .collect();
                v.sort_unstable();
                v.dedup();
                f(&v)
            })
            .collect();
        for (max_df, fraction) in [(3, 0.1), (5, 0.05), (12, 0.3), (200, 0.01)] {
            let c = candidates(&feats, (max_df, fraction), &|_| {});
            assert!(!c.is_empty());
            assert_eq!(
                c,
                all_pairs(&feats, max_df, fraction),
                "{max_df} {fraction}"
            );
        }
    }

    #[test]
    fn hashes_held_by_too_many_articles_are_skipped() {
        let feats = vec![f(&[1, 5]), f(&[1, 6]), f(&[1, 7])];
        assert!(candidates(&feats, (2, 0.1), &|_| {}).is_empty());
        assert_eq!(candidates(&feats, (3, 0.1), &|_| {}).len(), 3);
    }
}
