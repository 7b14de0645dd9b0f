//! Sentence alignment of two versions as a whole: identical sentences, reworded ones (changed),
//! splits and merges, then moves (matched pairs off the heaviest in-order chain).
//!
//! Work is bounded: identical sentences are paired through a hash of their matching form;
//! candidate pairs for the rest come from an inverted index of word and word-pair hashes
//! (features shared by too many sentences are not used), never from all pairs; only the best
//! few candidates of each sentence are scored. The pairing is global: greedy by similarity over
//! all candidates, so a sentence can be paired wherever it moved to.

use std::ops::Range;

use super::hashing::IdMap;
use super::segment::{Word, mix, word_key};

/// Two sentences whose feature similarity (Dice over content words and word pairs, weighted
/// by rarity among the sentences being paired) reaches this are the same sentence reworded.
/// Tested on the seeds (`compare::tests::seeds_alignment`: the most reworded true pair there
/// scores 0.31, and no false pair reaches the threshold) and on BBC re-publications.
pub(crate) const CHANGED_THRESHOLD: f32 = 0.25;

/// A feature shared by more sentences of B than this is not used to find candidates.
pub(crate) const MAX_POSTINGS: usize = 64;

/// At most this many candidates of each sentence of A are scored.
pub(crate) const MAX_CANDIDATES: usize = 8;

/// A part of a split or merge must have this share of its features in the other side.
const PART_CONTAINMENT: f32 = 0.5;

/// Words left out of the single-word features (they pair unrelated sentences).
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "is", "are", "was",
    "were", "be", "been", "has", "have", "had", "it", "its", "that", "this", "with", "as", "by",
    "from", "he", "she", "they", "we", "i", "his", "her", "their", "not", "said", "says", "will",
    "would", "which", "who", "there", "s",
];

/// A sentence prepared for matching.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    /// Its tokens.
    pub words: Vec<Word>,
    /// Hash of its whole matching form (word keys in order).
    pub key: u64,
}

/// Builds the matching data of one sentence from its tokens.
pub(crate) fn prepare(words: Vec<Word>) -> Prepared {
    let key = words
        .iter()
        .fold(0x2545_F491_4F6C_DD1Du64, |h, w| mix(h, w.key));
    Prepared { words, key }
}

/// Calls `f` with each feature hash of a sentence (repeats included, unsorted).
fn each_feature(words: &[Word], stopwords: &[u64], mut f: impl FnMut(u64)) {
    let mut prev: Option<u64> = None;
    for w in words.iter().filter(|w| w.is_word()) {
        if stopwords.binary_search(&w.key).is_err() {
            f(mix(w.key, 1));
        }
        if let Some(p) = prev {
            f(mix(mix(p, 2), w.key));
        }
        prev = Some(w.key);
    }
}

/// The sorted word keys of the stopwords left out of single-word features.
pub(crate) fn stopword_keys() -> Vec<u64> {
    let mut v: Vec<u64> = STOPWORDS.iter().map(|w| word_key(w)).collect();
    v.sort_unstable();
    v
}

/// One aligned group: sentences of A and of B that are the same text (1:1), or reworded (1:1,
/// or 1:2 / 2:1 for a split or a merge).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// Sentence indices in A.
    pub a: Range<usize>,
    /// Sentence indices in B.
    pub b: Range<usize>,
    /// Identical after normalising.
    pub equal: bool,
    /// Feature similarity (1 for equal groups).
    pub similarity: f32,
    /// Off the heaviest in-order chain of groups: the text moved.
    pub moved: bool,
}

/// The alignment of two sentence lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SentenceAlignment {
    /// Aligned groups, in A's order.
    pub groups: Vec<Group>,
    /// For each sentence of A, the index of its group, if any.
    pub a_group: Vec<Option<usize>>,
    /// For each sentence of B, the index of its group, if any.
    pub b_group: Vec<Option<usize>>,
}

/// The features of the sentences being paired, interned: each distinct feature hash gets a
/// dense id, each sentence a sorted list of ids, each id a weight. A feature found in many of
/// the sentences (a name that recurs through both versions) tells less than a rare one:
/// `ln(1 + n / df)`.
struct Interned {
    /// For each sentence of A, its feature ids (sorted; empty for sentences already paired).
    a: Vec<Vec<u32>>,
    /// The same for B.
    b: Vec<Vec<u32>>,
    /// Weight of each id.
    w: Vec<f32>,
}

impl Interned {
    /// The features of the sentences of `a` and `b` not yet paired (`a_group` / `b_group`
    /// none).
    fn new(
        a: (&[&Prepared], &[Option<usize>]),
        b: (&[&Prepared], &[Option<usize>]),
        stopwords: &[u64],
    ) -> Self {
        let mut ids: IdMap<u32> = IdMap::default();
        let mut df: Vec<u32> = Vec::new();
        let mut n = 0usize;
        let mut buf: Vec<u32> = Vec::new();
        let mut side = |(sents, group): (&[&Prepared], &[Option<usize>])| -> Vec<Vec<u32>> {
            sents
                .iter()
                .zip(group)
                .map(|(s, g)| {
                    if g.is_some() {
                        return Vec::new();
                    }
                    buf.clear();
                    each_feature(&s.words, stopwords, |f| {
                        // Distinct features of two texts: a few per word, far below 2^32.
                        #[allow(clippy::cast_possible_truncation)]
                        let next = df.len() as u32;
                        let id = *ids.entry(f).or_insert(next);
                        if id == next {
                            df.push(0);
                        }
                        buf.push(id);
                    });
                    buf.sort_unstable();
                    buf.dedup();
                    if !buf.is_empty() {
                        n += 1;
                    }
                    for &id in &buf {
                        df[id as usize] += 1;
                    }
                    buf.clone()
                })
                .collect()
        };
        let a = side(a);
        let b = side(b);
        // Sentence counts in a weight: past 2^24 the rounding does not matter.
        #[allow(clippy::cast_precision_loss)]
        let n = n as f32;
        #[allow(clippy::cast_precision_loss)]
        let w = df
            .iter()
            .map(|&d| (1.0 + n / d.max(1) as f32).ln())
            .collect();
        Interned { a, b, w }
    }

    fn sum(&self, x: &[u32]) -> f32 {
        x.iter().map(|&f| self.w[f as usize]).sum()
    }

    fn shared(&self, x: &[u32], y: &[u32]) -> f32 {
        let mut w = 0.0f32;
        crate::sorted::for_each_shared(x, y, |&f| w += self.w[f as usize]);
        w
    }

    /// Weighted Dice similarity of two feature sets.
    fn dice(&self, x: &[u32], y: &[u32]) -> f32 {
        let total = self.sum(x) + self.sum(y);
        if total <= 0.0 {
            return 0.0;
        }
        2.0 * self.shared(x, y) / total
    }

    /// Weighted share of `part`'s features found in `whole`.
    fn containment(&self, part: &[u32], whole: &[u32]) -> f32 {
        let total = self.sum(part);
        if total <= 0.0 {
            return 0.0;
        }
        self.shared(part, whole) / total
    }
}

fn union(x: &[u32], y: &[u32]) -> Vec<u32> {
    let mut v = Vec::with_capacity(x.len() + y.len());
    v.extend_from_slice(x);
    v.extend_from_slice(y);
    v.sort_unstable();
    v.dedup();
    v
}

/// A scored candidate pair.
#[derive(Debug, Clone, Copy)]
struct Edge {
    sim: f32,
    /// Distance of relative positions: breaks ties towards pairs in place.
    skew: f32,
    a: usize,
    b: usize,
}

/// Records an identical pair (i, j) as a new group.
type PairFn = fn(usize, usize, &mut Vec<Group>, &mut [Option<usize>], &mut [Option<usize>]);

/// The anchored step for repeated sentences (patience-diff style): the pairs made so far of
/// sentences unique on both sides are the anchors; of them, the longest chain in order on
/// both sides is kept, and in each gap between two chained anchors (and before the first,
/// after the last) the identical sentences that run on from either end are paired by
/// position. Thousands of copies of one short paragraph thereby align in order, in linear
/// time and memory, where pairing each copy by its relative position would not.
fn pair_runs_between_anchors(
    a: &[&Prepared],
    b: &[&Prepared],
    groups: &mut Vec<Group>,
    a_group: &mut [Option<usize>],
    b_group: &mut [Option<usize>],
    pair: PairFn,
) {
    let (na, nb) = (a.len(), b.len());
    // The unique pairs were made in A's order: the longest chain increasing in B.
    let anchors: Vec<(usize, usize)> = groups.iter().map(|g| (g.a.start, g.b.start)).collect();
    let chain = longest_increasing_in_b(&anchors);
    let same = |x: usize, y: usize, a_group: &[Option<usize>], b_group: &[Option<usize>]| {
        a_group[x].is_none()
            && b_group[y].is_none()
            && !a[x].words.is_empty()
            && a[x].key == b[y].key
    };
    let (mut from_a, mut from_b) = (0usize, 0usize);
    let mut budget = 64 * (na + nb);
    for (to_a, to_b) in chain.into_iter().chain(std::iter::once((na, nb))) {
        let (mut x, mut y) = (from_a, from_b);
        while x < to_a && y < to_b && same(x, y, a_group, b_group) {
            pair(x, y, groups, a_group, b_group);
            x += 1;
            y += 1;
        }
        let (mut x2, mut y2) = (to_a, to_b);
        while x2 > x && y2 > y && same(x2 - 1, y2 - 1, a_group, b_group) {
            pair(x2 - 1, y2 - 1, groups, a_group, b_group);
            x2 -= 1;
            y2 -= 1;
        }
        // Inside: a run of RUN identical sentences a few places off the diagonal (an
        // insertion or deletion among copies) takes the walk over to it; the sentences jumped
        // are left to the rest of the alignment. Work is bounded by `budget`.
        let run = |x: usize, y: usize, a_group: &[Option<usize>], b_group: &[Option<usize>]| {
            x + RUN <= x2 && y + RUN <= y2 && (0..RUN).all(|k| same(x + k, y + k, a_group, b_group))
        };
        while x < x2 && y < y2 && budget > 0 {
            if same(x, y, a_group, b_group) {
                pair(x, y, groups, a_group, b_group);
                x += 1;
                y += 1;
                continue;
            }
            let jump = (1..=MAX_SKIP).find_map(|d| {
                budget = budget.saturating_sub(3 * RUN);
                [(d, d), (0, d), (d, 0)]
                    .into_iter()
                    .find(|&(dx, dy)| run(x + dx, y + dy, a_group, b_group))
            });
            match jump {
                Some((dx, dy)) => {
                    x += dx;
                    y += dy;
                }
                None => break,
            }
        }
        (from_a, from_b) = (to_a + 1, to_b + 1);
    }
}

/// Identical sentences in a row that make a run worth jumping to.
const RUN: usize = 8;

/// Farthest off the diagonal a run is looked for.
const MAX_SKIP: usize = 32;

/// The longest subsequence of `pairs` (in increasing first element) whose second elements
/// increase too (patience sorting, O(n log n)).
fn longest_increasing_in_b(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: index in `pairs` of the smallest end of a chain of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < j);
        if at > 0 {
            prev[k] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        out.push(pairs[k]);
        k = prev[k];
    }
    out.reverse();
    out
}

/// The alignment being built: the groups so far and each sentence's group.
struct Pairing {
    groups: Vec<Group>,
    a_group: Vec<Option<usize>>,
    b_group: Vec<Option<usize>>,
}

/// Aligns the prepared sentences of A and B, giving up (None) when `stop` says so: it is
/// asked between the steps.
pub(crate) fn align_until(
    a: &[&Prepared],
    b: &[&Prepared],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<SentenceAlignment> {
    let mut p = Pairing {
        groups: Vec::new(),
        a_group: vec![None; a.len()],
        b_group: vec![None; b.len()],
    };
    pair_identical(a, b, &mut p);
    if stop() {
        return None;
    }
    // Features only for the sentences left.
    let stopwords = stopword_keys();
    let features = Interned::new((a, &p.a_group), (b, &p.b_group), &stopwords);
    let edges = candidate_edges(&features, &p);
    if stop() {
        return None;
    }
    pair_reworded(&edges, &mut p);
    take_in_neighbours(&features, &mut p);
    if stop() {
        return None;
    }
    pair_splits_and_merges(&edges, &features, &mut p);
    Some(finish(a, p))
}

/// Step 1: identical sentences.
fn pair_identical(a: &[&Prepared], b: &[&Prepared], p: &mut Pairing) {
    let (na, nb) = (a.len(), b.len());
    let (groups, a_group, b_group) = (&mut p.groups, &mut p.a_group, &mut p.b_group);
    // 1. Identical sentences. B's sentences with the same key form a list in order (`head` of
    // each key, `next` links). Sentences whose text is unique on both sides pair first; a
    // repeated one then pairs with the copy that continues its neighbour's pair, else with
    // the copy nearest its relative position (the k-th free copy when there are many).
    let mut head: IdMap<(usize, u32)> = IdMap::default();
    head.reserve(nb);
    let mut next = vec![usize::MAX; nb];
    for (j, s) in b.iter().enumerate().rev() {
        let e = head.entry(s.key).or_insert((usize::MAX, 0));
        next[j] = e.0;
        *e = (j, e.1 + 1);
    }
    let mut a_count: IdMap<u32> = IdMap::default();
    a_count.reserve(na);
    for s in a {
        *a_count.entry(s.key).or_insert(0) += 1;
    }
    fn pair(
        i: usize,
        j: usize,
        groups: &mut Vec<Group>,
        a_group: &mut [Option<usize>],
        b_group: &mut [Option<usize>],
    ) {
        a_group[i] = Some(groups.len());
        b_group[j] = Some(groups.len());
        groups.push(Group {
            a: i..i + 1,
            b: j..j + 1,
            equal: true,
            similarity: 1.0,
            moved: false,
        });
    }
    let mut repeated: Vec<usize> = Vec::new();
    for (i, s) in a.iter().enumerate() {
        if s.words.is_empty() {
            continue;
        }
        let Some(&(j, count_b)) = head.get(&s.key) else {
            continue;
        };
        if count_b == 1 && a_count.get(&s.key) == Some(&1) {
            pair(i, j, groups, a_group, b_group);
        } else {
            repeated.push(i);
        }
    }
    pair_runs_between_anchors(a, b, groups, a_group, b_group, pair);
    /// Beyond this many copies a repeated sentence pairs in order.
    const MAX_COPIES: usize = 64;
    // First the copies that continue a neighbour's pair (forward and backward, until nothing
    // changes), then the rest, globally by distance of relative position.
    let copies = |i: usize, b_group: &[Option<usize>]| -> Vec<usize> {
        let mut out = Vec::new();
        let mut j = head.get(&a[i].key).map_or(usize::MAX, |h| h.0);
        while j != usize::MAX && out.len() < MAX_COPIES {
            if b_group[j].is_none() {
                out.push(j);
            }
            j = next[j];
        }
        out
    };
    for _round in 0..8 {
        let mut changed = false;
        for backward in [false, true] {
            let order: Box<dyn Iterator<Item = &usize>> = if backward {
                Box::new(repeated.iter().rev())
            } else {
                Box::new(repeated.iter())
            };
            for &i in order {
                if a_group[i].is_some() {
                    continue;
                }
                let continues = |j: usize| {
                    (i > 0 && j > 0 && a_group[i - 1].is_some() && a_group[i - 1] == b_group[j - 1])
                        || (i + 1 < na
                            && j + 1 < nb
                            && a_group[i + 1].is_some()
                            && a_group[i + 1] == b_group[j + 1])
                };
                if let Some(j) = copies(i, b_group).into_iter().find(|&j| continues(j)) {
                    pair(i, j, groups, a_group, b_group);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut by_distance: Vec<(f64, usize, usize)> = Vec::new();
    for &i in &repeated {
        if a_group[i].is_none() {
            // Sentence positions as shares of the text: indices far below 2^52.
            #[allow(clippy::cast_precision_loss)]
            let rel = i as f64 / na.max(1) as f64;
            for j in copies(i, b_group) {
                #[allow(clippy::cast_precision_loss)]
                by_distance.push(((rel - j as f64 / nb.max(1) as f64).abs(), i, j));
            }
        }
    }
    by_distance.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    for (_, i, j) in by_distance {
        if a_group[i].is_none() && b_group[j].is_none() {
            pair(i, j, groups, a_group, b_group);
        }
    }
}

/// Step 2: candidate pairs among the sentences left, best first.
fn candidate_edges(features: &Interned, p: &Pairing) -> Vec<Edge> {
    let (a_group, b_group) = (&p.a_group, &p.b_group);
    let (na, nb) = (a_group.len(), b_group.len());
    let (fa, fb) = (&features.a, &features.b);
    let weights = features;

    // 2. Candidate pairs among the rest through an inverted index of B's features (postings
    // of each id in one array: `post[start[id]..start[id + 1]]`).
    let mut start = vec![0u32; features.w.len() + 1];
    for (j, f_j) in fb.iter().enumerate() {
        if b_group[j].is_none() {
            for &f in f_j {
                start[f as usize + 1] += 1;
            }
        }
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut post = vec![0u32; start[start.len() - 1] as usize];
    let mut fill = start.clone();
    for (j, f_j) in fb.iter().enumerate() {
        if b_group[j].is_none() {
            for &f in f_j {
                // A sentence index of B: the counts in `start` are u32 too.
                #[allow(clippy::cast_possible_truncation)]
                let j = j as u32;
                post[fill[f as usize] as usize] = j;
                fill[f as usize] += 1;
            }
        }
    }
    drop(fill);
    let sum_b: Vec<f32> = fb.iter().map(|f| weights.sum(f)).collect();
    let mut counts = vec![0u32; nb];
    let mut touched: Vec<u32> = Vec::new();
    let mut edges: Vec<Edge> = Vec::new();
    let mut cands: Vec<(usize, u32, f32)> = Vec::new();
    let mut shared_w = vec![0.0f32; nb];
    let mut skipped: Vec<(u32, f32)> = Vec::new();
    for (i, f_i) in fa.iter().enumerate() {
        if a_group[i].is_some() {
            continue;
        }
        for &f in f_i {
            let postings = &post[start[f as usize] as usize..start[f as usize + 1] as usize];
            if postings.is_empty() {
                continue;
            }
            let w = weights.w[f as usize];
            if postings.len() > MAX_POSTINGS {
                skipped.push((f, w));
                continue;
            }
            for &j in postings {
                if counts[j as usize] == 0 {
                    touched.push(j);
                }
                counts[j as usize] += 1;
                shared_w[j as usize] += w;
            }
        }
        let by_count = |&j: &u32| (std::cmp::Reverse(counts[j as usize]), j);
        if touched.len() > MAX_CANDIDATES {
            touched.select_nth_unstable_by_key(MAX_CANDIDATES, by_count);
        }
        let top = touched.len().min(MAX_CANDIDATES);
        touched[..top].sort_unstable_by_key(by_count);
        cands.clear();
        cands.extend(
            touched[..top]
                .iter()
                .map(|&j| (j as usize, counts[j as usize], shared_w[j as usize])),
        );
        for &j in &touched {
            counts[j as usize] = 0;
            shared_w[j as usize] = 0.0;
        }
        touched.clear();
        let sum_i = weights.sum(f_i);
        for &(j, count, w) in &cands {
            if count < 2 {
                break;
            }
            // Shared weight: counted through the index, plus the frequent features left out of
            // it (looked up directly).
            let shared = w + skipped
                .iter()
                .filter(|(f, _)| fb[j].binary_search(f).is_ok())
                .map(|(_, w)| w)
                .sum::<f32>();
            let sim = if sum_i + sum_b[j] > 0.0 {
                2.0 * shared / (sum_i + sum_b[j])
            } else {
                0.0
            };
            // Sentence positions as shares of the text: a tie-breaker, rounding is harmless.
            #[allow(clippy::cast_precision_loss)]
            let skew = (i as f32 / na.max(1) as f32 - j as f32 / nb.max(1) as f32).abs();
            edges.push(Edge {
                sim,
                skew,
                a: i,
                b: j,
            });
        }
        skipped.clear();
    }
    edges.sort_by(|x, y| {
        y.sim
            .total_cmp(&x.sim)
            .then(x.skew.total_cmp(&y.skew))
            .then(x.a.cmp(&y.a))
    });
    edges
}

/// Step 3: reworded sentences.
fn pair_reworded(edges: &[Edge], p: &mut Pairing) {
    let (groups, a_group, b_group) = (&mut p.groups, &mut p.a_group, &mut p.b_group);
    // 3. Reworded sentences: greedy by similarity over all candidates.
    for e in edges.iter().filter(|e| e.sim >= CHANGED_THRESHOLD) {
        if a_group[e.a].is_none() && b_group[e.b].is_none() {
            a_group[e.a] = Some(groups.len());
            b_group[e.b] = Some(groups.len());
            groups.push(Group {
                a: e.a..e.a + 1,
                b: e.b..e.b + 1,
                equal: false,
                similarity: e.sim,
                moved: false,
            });
        }
    }
}

/// Step 4: splits and merges.
fn take_in_neighbours(features: &Interned, p: &mut Pairing) {
    let (groups, a_group, b_group) = (&mut p.groups, &mut p.a_group, &mut p.b_group);
    let (na, nb) = (a_group.len(), b_group.len());
    let (fa, fb) = (&features.a, &features.b);
    let weights = features;
    // 4. Splits and merges: a reworded pair that takes in a free neighbour whose words it holds.
    #[allow(clippy::needless_range_loop)] // groups[g] is re-borrowed mutably below
    for g in 0..groups.len() {
        if groups[g].equal {
            continue;
        }
        let (i, j) = (groups[g].a.start, groups[g].b.start);
        let base = groups[g].similarity;
        let mut best: Option<(f32, bool, usize)> = None; // (sim, extends B, neighbour)
        for (extend_b, nbr) in [
            (true, j.checked_add(1)),
            (true, j.checked_sub(1)),
            (false, i.checked_add(1)),
            (false, i.checked_sub(1)),
        ] {
            let Some(k) = nbr else { continue };
            let (single, pair_a, pair_b) = if extend_b {
                if k >= nb || b_group[k].is_some() {
                    continue;
                }
                (&fa[i], &fb[j], &fb[k])
            } else {
                if k >= na || a_group[k].is_some() {
                    continue;
                }
                (&fb[j], &fa[i], &fa[k])
            };
            if weights.containment(pair_b, single) < PART_CONTAINMENT {
                continue;
            }
            let sim = weights.dice(single, &union(pair_a, pair_b));
            if sim >= base + 0.05 && best.is_none_or(|(s, _, _)| sim > s) {
                best = Some((sim, extend_b, k));
            }
        }
        if let Some((sim, extend_b, k)) = best {
            let grp = &mut groups[g];
            grp.similarity = sim;
            if extend_b {
                grp.b = grp.b.start.min(k)..grp.b.end.max(k + 1);
                b_group[k] = Some(g);
            } else {
                grp.a = grp.a.start.min(k)..grp.a.end.max(k + 1);
                a_group[k] = Some(g);
            }
        }
    }
}

/// Step 4, continued: a sentence split into two (or two merged).
fn pair_splits_and_merges(edges: &[Edge], features: &Interned, p: &mut Pairing) {
    let (groups, a_group, b_group) = (&mut p.groups, &mut p.a_group, &mut p.b_group);
    let (na, nb) = (a_group.len(), b_group.len());
    let (fa, fb) = (&features.a, &features.b);
    let weights = features;
    // A sentence split into two (or two merged) where neither half alone reached the threshold.
    for e in edges {
        if a_group[e.a].is_some() || b_group[e.b].is_some() {
            continue;
        }
        let (i, j) = (e.a, e.b);
        let mut best: Option<(f32, Range<usize>, Range<usize>)> = None;
        let options = [
            (i..i + 1, j..j + 2),
            (i..i + 1, j.saturating_sub(1)..j + 1),
            (i..i + 2, j..j + 1),
            (i.saturating_sub(1)..i + 1, j..j + 1),
        ];
        for (ra, rb) in options {
            if ra.len() + rb.len() != 3 || ra.end > na || rb.end > nb {
                continue;
            }
            if ra.clone().any(|x| a_group[x].is_some()) || rb.clone().any(|y| b_group[y].is_some())
            {
                continue;
            }
            let (single, parts): (&[u32], [&[u32]; 2]) = if rb.len() == 2 {
                (&fa[i], [&fb[rb.start], &fb[rb.start + 1]])
            } else {
                (&fb[j], [&fa[ra.start], &fa[ra.start + 1]])
            };
            if parts
                .iter()
                .any(|p| weights.containment(p, single) < PART_CONTAINMENT)
            {
                continue;
            }
            let sim = weights.dice(single, &union(parts[0], parts[1]));
            if sim >= CHANGED_THRESHOLD && best.as_ref().is_none_or(|(s, _, _)| sim > *s) {
                best = Some((sim, ra, rb));
            }
        }
        if let Some((sim, ra, rb)) = best {
            for x in ra.clone() {
                a_group[x] = Some(groups.len());
            }
            for y in rb.clone() {
                b_group[y] = Some(groups.len());
            }
            groups.push(Group {
                a: ra,
                b: rb,
                equal: false,
                similarity: sim,
                moved: false,
            });
        }
    }
}

/// Step 5: groups in A's order, moves marked.
fn finish(a: &[&Prepared], p: Pairing) -> SentenceAlignment {
    let Pairing {
        groups,
        mut a_group,
        mut b_group,
    } = p;
    // 5. Order by A, then mark moves.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| groups[g].a.start);
    let mut remap = vec![0usize; groups.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new;
    }
    let mut groups: Vec<Group> = order.into_iter().map(|g| groups[g].clone()).collect();
    for g in a_group.iter_mut().chain(b_group.iter_mut()).flatten() {
        *g = remap[*g];
    }
    // Weights: similarity, a little more for longer text (of two equal pairs that cross, the
    // shorter one is the one that moved).
    // A count of words, far below 2^52.
    #[allow(clippy::cast_precision_loss)]
    let weights: Vec<f64> = groups
        .iter()
        .map(|g| {
            let words = a[g.a.clone()].iter().map(|s| s.words.len()).sum::<usize>();
            f64::from(g.similarity) * (1.0 + 0.01 * (1.0 + words as f64).ln())
        })
        .collect();
    mark_moves(&mut groups, &weights);
    SentenceAlignment {
        groups,
        a_group,
        b_group,
    }
}

/// Marks as moved every group off the heaviest chain that is in order on both sides (`weights`:
/// similarities, so a barely changed pair stays in place rather than a reworded one, slightly
/// raised for longer text).
/// `groups` must be sorted by `a.start`. O(n log n) with a Fenwick tree of prefix maxima.
fn mark_moves(groups: &mut [Group], weights: &[f64]) {
    let n = groups.len();
    if n == 0 {
        return;
    }
    let mut ranks: Vec<usize> = (0..n).collect();
    ranks.sort_by_key(|&g| groups[g].b.start);
    let mut rank_of = vec![0usize; n];
    for (r, &g) in ranks.iter().enumerate() {
        rank_of[g] = r;
    }
    // Fenwick tree over B ranks (1-based) of (best chain weight, group ending it).
    let mut tree: Vec<(f64, Option<usize>)> = vec![(0.0, None); n + 1];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    let mut best_end: (f64, Option<usize>) = (0.0, None);
    for g in 0..n {
        let r = rank_of[g];
        let mut q = (0.0f64, None);
        let mut k = r;
        while k > 0 {
            if tree[k].0 > q.0 {
                q = tree[k];
            }
            k &= k - 1;
        }
        let w = q.0 + weights[g] + 1e-9;
        prev[g] = q.1;
        if w > best_end.0 {
            best_end = (w, Some(g));
        }
        let mut k = r + 1;
        while k <= n {
            if w > tree[k].0 {
                tree[k] = (w, Some(g));
            }
            k += k & k.wrapping_neg();
        }
    }
    let mut in_chain = vec![false; n];
    let mut cur = best_end.1;
    while let Some(g) = cur {
        in_chain[g] = true;
        cur = prev[g];
    }
    for (g, grp) in groups.iter_mut().enumerate() {
        grp.moved = !in_chain[g];
    }
}
