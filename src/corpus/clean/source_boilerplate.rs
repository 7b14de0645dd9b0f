//! Boilerplate learned per source: short paragraphs at the top or bottom of articles that
//! recur across one source's articles.

use super::*;

/// Paragraphs at each end of an article where source boilerplate is looked for.
pub(super) const EDGE: usize = 2;

/// The key a paragraph is counted under when it is short enough to be boilerplate. 32 bits of
/// the hash are plenty to count recurring lines, and halve the memory.
pub(super) fn boilerplate_key(p: &str) -> Option<u32> {
    let short = p.len() <= 200 || (p.len() <= 800 && p.chars().count() <= 200);
    short.then(|| crate::num::low_u32(matching_hash(p, true)).max(1)) // 0 marks an empty slot
}

/// The keys of an article's edge paragraphs by position: slot `k` holds the key of paragraph
/// `edge_index(k, n)` (0 when it is not short, or when the body has fewer paragraphs).
pub(crate) type EdgeKeys = [u32; 2 * EDGE];

/// The paragraph in edge slot `k` of a body of `n` paragraphs: the first EDGE, then the last
/// EDGE (a body of at most 2 × EDGE paragraphs is all edges, in order).
pub(super) fn edge_index(k: usize, n: usize) -> Option<usize> {
    if n <= 1 {
        return None;
    }
    if n <= 2 * EDGE {
        return (k < n).then_some(k);
    }
    Some(if k < EDGE { k } else { n - 2 * EDGE + k })
}

/// Counts of words by edge slot (as [`EdgeKeys`]: slot `k` is paragraph `edge_index(k, n)`).
pub(crate) type EdgeCounts = [u32; 2 * EDGE];

/// The counts a lean load keeps of a body.
pub(crate) fn body_counts(paragraphs: &[String]) -> crate::corpus::BodyCounts {
    use crate::corpus::article::count_words;
    let n = paragraphs.len();
    let mut edge_words = [0; 2 * EDGE];
    let mut words = 0u32;
    for (i, p) in paragraphs.iter().enumerate() {
        let w = crate::num::u32_of(count_words(p));
        words = words.saturating_add(w);
        for (k, slot) in edge_words.iter_mut().enumerate() {
            if edge_index(k, n) == Some(i) {
                *slot = w;
            }
        }
    }
    crate::corpus::BodyCounts {
        paragraphs: crate::num::u32_of(n),
        words,
        edge_words,
        removed: 0,
    }
}

/// The key boilerplate is learned under for a source name.
pub(crate) fn hash_source(source: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(source.as_bytes())
}

/// The source key of `a` (stored when it was loaded, else computed now).
pub(crate) fn source_key(a: &Article) -> u64 {
    a.source_key.unwrap_or_else(|| hash_source(&a.source))
}

/// The edge keys of `a` (those stored when it was loaded, else computed now).
pub(crate) fn edge_keys(a: &Article) -> EdgeKeys {
    a.edge_keys
        .unwrap_or_else(|| compute_edge_keys(&a.paragraphs))
}

/// The edge keys of a body.
pub(crate) fn compute_edge_keys(paragraphs: &[String]) -> EdgeKeys {
    let n = paragraphs.len();
    let mut ks = [0u32; 2 * EDGE];
    for (k, slot) in ks.iter_mut().enumerate() {
        if let Some(i) = edge_index(k, n)
            && let Some(h) = boilerplate_key(&paragraphs[i])
        {
            *slot = h;
        }
    }
    ks
}

/// The paragraphs of a body of `n` paragraphs with edge keys `keys` that the learned keys
/// `set` of its source remove (by edge slot; `usize::MAX` for none); `None` when none is.
/// The keys say whether anything is to be removed: no second hashing pass.
fn to_drop(set: &FxHashSet<u32>, keys: &EdgeKeys, n: usize) -> Option<[usize; 2 * EDGE]> {
    if !keys.iter().any(|k| *k != 0 && set.contains(k)) {
        return None;
    }
    let mut drop = [usize::MAX; 2 * EDGE];
    for (k, key) in keys.iter().enumerate() {
        if *key != 0
            && set.contains(key)
            && let Some(i) = edge_index(k, n)
        {
            drop[k] = i;
        }
    }
    Some(drop)
}

/// `paragraphs` parted into those kept and those removed (the paragraphs `drop` names, by
/// edge slot as [`to_drop`] gives them); none is removed when all would be: an article is
/// never emptied, its recurring lines are then its content.
fn part_dropped(paragraphs: Vec<String>, drop: &[usize; 2 * EDGE]) -> (Vec<String>, Vec<String>) {
    let mut keep = Vec::with_capacity(paragraphs.len());
    let mut removed = Vec::new();
    for (i, p) in paragraphs.into_iter().enumerate() {
        if drop.contains(&i) {
            removed.push(p);
        } else {
            keep.push(p);
        }
    }
    if keep.is_empty() {
        (removed, Vec::new())
    } else {
        (keep, removed)
    }
}

/// The paragraphs the source boilerplate took off, as the removed lines an article lists.
fn removed_lines(dropped: Vec<String>) -> impl Iterator<Item = RemovedLine> {
    dropped.into_iter().map(|text| RemovedLine {
        text,
        reason: RemovalReason::SourceBoilerplate,
        lines: None,
    })
}

/// Counts of edge paragraphs per source, fed one article at a time (so a corpus too big to
/// hold can be learned from as it streams past).
#[derive(Debug, Default)]
pub(crate) struct BoilerplateCounts {
    per_source: FxHashMap<u64, (usize, FxHashMap<u32, u32>)>,
}

impl BoilerplateCounts {
    /// Counts the edge keys `keys` of an article whose source key ([`source_key`]) is `source`.
    pub(crate) fn add(&mut self, source: u64, keys: &EdgeKeys) {
        let entry = self.per_source.entry(source).or_default();
        entry.0 += 1;
        for (i, &k) in keys.iter().enumerate() {
            // Each distinct key once per article.
            if k != 0 && !keys[..i].contains(&k) {
                *entry.1.entry(k).or_default() += 1;
            }
        }
    }

    /// The counts of `self` and `other` together.
    pub(crate) fn merge(mut self, other: BoilerplateCounts) -> BoilerplateCounts {
        for (source, (n, counts)) in other.per_source {
            let entry = self.per_source.entry(source).or_default();
            entry.0 += n;
            for (k, c) in counts {
                *entry.1.entry(k).or_default() += c;
            }
        }
        self
    }

    /// The boilerplate learned: per source, the keys that recur in at least 4 articles and in
    /// at least one in 50.
    pub(crate) fn learn(self) -> Boilerplate {
        let learned = self
            .per_source
            .into_iter()
            .filter_map(|(source, (count, counts))| {
                let threshold = u32::try_from((count / 50).max(4)).unwrap_or(u32::MAX);
                let set: FxHashSet<u32> = counts
                    .into_iter()
                    .filter(|(_, n)| *n >= threshold)
                    .map(|(k, _)| k)
                    .collect();
                (!set.is_empty()).then_some((source, set))
            })
            .collect();
        Boilerplate { learned }
    }
}

/// Source boilerplate learned from a corpus.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Boilerplate {
    learned: FxHashMap<u64, FxHashSet<u32>>,
}

impl Boilerplate {
    /// Whether nothing was learned.
    pub(crate) fn is_empty(&self) -> bool {
        self.learned.is_empty()
    }

    /// Removes the learned boilerplate from an article read back from the store, with the
    /// edge keys stored beside its text (none stored: nothing to remove).
    pub(crate) fn apply_stored(&self, a: &mut Article) {
        if let Some(keys) = a.edge_keys {
            self.apply(a, &keys);
        }
    }

    /// Removes the learned boilerplate from `a`, whose edge keys are `keys`. An article never
    /// loses its last paragraph this way.
    pub(crate) fn apply(&self, a: &mut Article, keys: &EdgeKeys) {
        let Some(set) = self.learned.get(&source_key(a)) else {
            return;
        };
        let n = a.paragraph_count();
        let Some(drop) = to_drop(set, keys, n) else {
            return;
        };
        if let Some(c) = &mut a.counts {
            // A lean article: only the counts change.
            let dropped = crate::num::u32_of(drop.iter().filter(|&&i| i != usize::MAX).count());
            if dropped < c.paragraphs {
                for k in (0..2 * EDGE).filter(|&k| drop[k] != usize::MAX) {
                    c.words = c.words.saturating_sub(c.edge_words[k]);
                    c.edge_words[k] = 0;
                }
                c.paragraphs -= dropped;
                c.removed = c.removed.saturating_add(dropped);
            }
            a.edge_keys = None;
            return;
        }
        let (keep, removed) = part_dropped(std::mem::take(&mut a.paragraphs), &drop);
        a.removed.extend(removed_lines(removed));
        a.paragraphs = keep;
        a.edge_keys = None;
    }
}

impl Boilerplate {
    /// `paragraphs`, the text of an article of the source with key `source` ([`hash_source`])
    /// read back from the store, without the learned boilerplate: the paragraphs
    /// [`Boilerplate::apply`] keeps, for a reader of the text alone (the lines removed are not
    /// kept). The edge keys are computed only for a source with boilerplate learned.
    pub(crate) fn strip(&self, source: u64, paragraphs: Vec<String>) -> Vec<String> {
        self.strip_parted(source, paragraphs).0
    }

    /// [`Boilerplate::strip`], the paragraphs taken off added to `removed` as
    /// [`Boilerplate::apply`] adds them: what `apply` does to an article read back from the
    /// store, without the article.
    pub(crate) fn strip_into(
        &self,
        source: u64,
        paragraphs: Vec<String>,
        removed: &mut Vec<RemovedLine>,
    ) -> Vec<String> {
        let (keep, dropped) = self.strip_parted(source, paragraphs);
        removed.extend(removed_lines(dropped));
        keep
    }

    /// The paragraphs [`Boilerplate::strip`] keeps, and those it takes off.
    fn strip_parted(&self, source: u64, paragraphs: Vec<String>) -> (Vec<String>, Vec<String>) {
        let Some(set) = self.learned.get(&source) else {
            return (paragraphs, Vec::new());
        };
        let keys = compute_edge_keys(&paragraphs);
        match to_drop(set, &keys, paragraphs.len()) {
            Some(drop) => part_dropped(paragraphs, &drop),
            None => (paragraphs, Vec::new()),
        }
    }

    /// Cleans the articles added to a corpus whose boilerplate was learned before (those of
    /// `articles` marked in `fresh`), keeping what was learned: a source learned before keeps
    /// its lines, whatever the added articles hold (learning again from the whole corpus
    /// would read every text); a source none of the other articles has (`known` holds theirs)
    /// is learned from the added articles, as a first load would learn it. Returns how many
    /// sources were learned.
    pub fn extend_and_apply(
        &mut self,
        articles: &mut [Article],
        fresh: &[bool],
        known: &FxHashSet<u64>,
    ) -> usize {
        use rayon::prelude::*;
        let keys: Vec<Option<EdgeKeys>> = articles
            .par_iter()
            .zip(fresh.par_iter())
            .map(|(a, &f)| f.then(|| edge_keys(a)))
            .collect();
        let mut counts = BoilerplateCounts::default();
        for (a, ks) in articles.iter().zip(&keys) {
            let s = source_key(a);
            if let Some(ks) = ks
                && !known.contains(&s)
                && !self.learned.contains_key(&s)
            {
                counts.add(s, ks);
            }
        }
        let learned = counts.learn();
        let n = learned.learned.len();
        self.learned.extend(learned.learned);
        if !self.is_empty() {
            articles
                .par_iter_mut()
                .zip(keys.par_iter())
                .for_each(|(a, ks)| {
                    if let Some(ks) = ks {
                        self.apply(a, ks);
                    }
                });
        }
        n
    }
}

/// Learns boilerplate from the corpus: a short paragraph at the top or bottom of an article that
/// recurs verbatim (whitespace and digits normalised) in several articles of one source is removed
/// from all of them. An article never loses its last paragraph this way. Returns what was
/// learned (the derived store keeps it, to clean texts it reads back the same way).
pub(crate) fn remove_source_boilerplate(articles: &mut [Article]) -> Boilerplate {
    use rayon::prelude::*;
    // The keys are computed on both cores.
    let keys: Vec<EdgeKeys> = articles.par_iter().map(edge_keys).collect();
    let counts = articles
        .par_iter()
        .zip(keys.par_iter())
        // One count per thread: merging counts costs as much as counting.
        .with_min_len(articles.len() / rayon::current_num_threads().max(1) + 1)
        .fold(BoilerplateCounts::default, |mut c, (a, ks)| {
            c.add(source_key(a), ks);
            c
        })
        .reduce(BoilerplateCounts::default, BoilerplateCounts::merge);
    let learned = counts.learn();
    if learned.is_empty() {
        return learned;
    }
    articles
        .par_iter_mut()
        .zip(keys.par_iter())
        .for_each(|(a, ks)| learned.apply(a, ks));
    learned
}
