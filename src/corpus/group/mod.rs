//! Grouping articles into stories: the versions of one report.
//!
//! Stages: features of each article (word 5-gram hashes, numbers, dateline day) → candidate
//! pairs from an inverted index of sampled shingle hashes → verification of each candidate
//! (containment of the shorter text, agreement of figures, closeness in time, same dateline
//! day) → clustering that needs links to a cluster's members, not one weak link. Records that
//! carry their own story id are grouped by it.

pub(crate) mod candidates;
pub(crate) mod cluster;
pub mod features;
pub mod incremental;
pub mod subject;
pub mod verify;

use crate::num;
use std::collections::HashMap;

use compact_str::CompactString;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Article, Progress, Story, StoryVersion};
use cluster::Link;
use features::{Features, hash_bytes};

/// Grouping thresholds (the `[group]` table of the config file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupSettings {
    /// Minimum share of the shorter text's word 5-grams found in the longer one.
    pub min_containment: f32,
    /// Maximum distance in days between two dated versions (0: no limit). The evidence asked
    /// for grows with the time between two versions within it.
    pub max_days: f32,
    /// Minimum share of the figures (of the article with fewer) found in the other, when both
    /// state at least two.
    pub min_number_agreement: f32,
    /// One in how many 5-grams of a long text is indexed for candidate search (a power of two;
    /// short texts index four times as many).
    pub sample: u32,
    /// Indexed 5-grams held by more articles than this are skipped as stock phrases.
    pub max_shared_by: usize,
    /// Share of the smaller sample two articles must have in common to be compared.
    pub candidate_fraction: f32,
    /// Two clusters merge when the links between them number at least this share of all the
    /// pairs across them.
    pub link_fraction: f32,
}

impl Default for GroupSettings {
    fn default() -> Self {
        GroupSettings {
            min_containment: 0.2,
            max_days: 7.0,
            min_number_agreement: 0.5,
            sample: 16,
            max_shared_by: 200,
            candidate_fraction: 0.1,
            link_fraction: 0.6,
        }
    }
}

/// Groups `articles` into stories; every article is in exactly one story. Stories are ordered
/// by their first date (undated last), then id.
pub fn group(
    articles: &[Article],
    settings: &GroupSettings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Story> {
    group_indexed(articles, settings, progress).0
}

/// A verified pair that is not apart: the articles (`a < b`), the verdict, and how much of
/// each the other covers (versions only; else `(1, 1)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Checked {
    /// One article.
    pub a: u32,
    /// The other (`a < b`).
    pub b: u32,
    /// Version or related, with its score.
    pub verdict: verify::Verdict,
    /// Share of `a` and of `b` the other covers.
    pub cover: (f32, f32),
    /// Versions that are copies of one text (the same words and 5-grams).
    pub copy: bool,
}

/// What grouping keeps to group added articles later without reading the others' texts
/// ([`incremental::regroup`]): each article's sampled 5-gram hashes (the candidate index)
/// and headline-and-lead names (the common-name counts), and every verified pair that is
/// not apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupIndex {
    /// Each article's sampled 5-gram hashes (sorted).
    pub sampled: Vec<Vec<u64>>,
    /// Each article's headline-and-lead names (sorted).
    pub names: Vec<Vec<u32>>,
    /// The verified pairs that are not apart, in `(a, b)` order.
    pub verdicts: Vec<Checked>,
}

/// [`group`], also giving what a later [`incremental::regroup`] needs.
pub fn group_indexed(
    articles: &[Article],
    settings: &GroupSettings,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Vec<Story>, GroupIndex) {
    let total = articles.len();
    progress(Progress::Grouping { done: 0, total });
    let sample = u64::from(settings.sample.max(1));
    let feats: Vec<Features> = articles
        .par_iter()
        .map_init(features::Scratch::default, |scratch, a| {
            features_of(a, sample, scratch)
        })
        .collect();
    // Nothing is read again when every text is in memory: no error can come.
    group_features(articles, feats, settings, progress, None).unwrap_or_default()
}

/// Articles whose features are taken at once by [`group_indexed_dropping`]: the texts
/// `fill` puts back are held for so many articles only.
pub(crate) const FEATURE_CHUNK: usize = 4096;

/// Puts back the texts of a run of articles that do not hold them (the run's first index,
/// the articles); `Err` when one does not read.
pub(crate) type FillFn<'a> =
    dyn FnMut(usize, &mut [Article]) -> Result<(), incremental::Unreadable> + 'a;

/// [`group_indexed`] holding no more text than it must: the articles' features are taken
/// [`FEATURE_CHUNK`] articles at a time, `fill` first putting back the texts of the run that
/// are not in memory; each article's text is handed to `done` once its features are taken
/// (which may drop it), and the few texts verification reads of the whole body are read
/// again through `text` (when the article's paragraphs are empty). The stories and index
/// are those [`group_indexed`] gives, unless a text does not read again
/// ([`incremental::Unreadable`]).
pub(crate) fn group_indexed_dropping(
    articles: &mut [Article],
    settings: &GroupSettings,
    progress: &(dyn Fn(Progress) + Sync),
    (fill, done): (&mut FillFn<'_>, &(dyn Fn(&mut Article) + Sync)),
    text: &verify::TextFn<'_>,
) -> Result<(Vec<Story>, GroupIndex), incremental::Unreadable> {
    let total = articles.len();
    progress(Progress::Grouping { done: 0, total });
    let sample = u64::from(settings.sample.max(1));
    let mut feats: Vec<Features> = Vec::with_capacity(total);
    for start in (0..total).step_by(FEATURE_CHUNK) {
        let end = (start + FEATURE_CHUNK).min(total);
        if start > 0 {
            // Taking the features is the first third of grouping.
            progress(Progress::Grouping {
                done: start / 3,
                total,
            });
        }
        let run = &mut articles[start..end];
        fill(start, run)?;
        feats.par_extend(
            run.par_iter_mut()
                .map_init(features::Scratch::default, |scratch, a| {
                    let f = features_of(a, sample, scratch);
                    done(a);
                    f
                }),
        );
    }
    crate::trace::mark("features taken");
    group_features(articles, feats, settings, progress, Some(text))
}

/// An article's features (none for a record grouped by its story key).
fn features_of(a: &Article, sample: u64, scratch: &mut features::Scratch) -> Features {
    if a.story_key.is_some() {
        Features::default()
    } else {
        features::features_with(a, sample, scratch)
    }
}

/// Grouping once every article's features are taken.
fn group_features(
    articles: &[Article],
    mut feats: Vec<Features>,
    settings: &GroupSettings,
    progress: &(dyn Fn(Progress) + Sync),
    text: Option<&verify::TextFn<'_>>,
) -> Result<(Vec<Story>, GroupIndex), incremental::Unreadable> {
    let total = articles.len();
    progress(Progress::Grouping {
        done: total / 3,
        total,
    });

    // The serial pass over the articles runs beside the candidate search (whose sort and
    // scans keep the other core busy).
    let (cands, common) = rayon::join(
        || {
            candidates::candidates(
                &feats,
                (settings.max_shared_by, settings.candidate_fraction),
                &|part| tell_step(progress, total, (total / 3, total / 2), part),
            )
        },
        || common_names(feats.iter().map(|f| f.subject.names.as_slice()), total),
    );
    progress(Progress::Grouping {
        done: total / 2,
        total,
    });

    crate::trace::mark(format_args!("{} candidates found", cands.len()));
    let pairs: Vec<(u32, u32)> = cands.iter().map(|c| (c.a, c.b)).collect();
    drop(cands);
    let refs: Vec<&Features> = feats.iter().collect();
    let verdicts = check_pairs(
        articles,
        (&refs, &pairs),
        settings,
        &common,
        text,
        &|part| tell_step(progress, total, (total / 2, total * 3 / 4), part),
    )?;
    drop(refs);
    drop(pairs);
    // What only verification reads goes before the stories are built: the figures and all of
    // the subject but its names (kept in the index). At 1M generated articles the peak of a
    // first open is there: 3.92 → 3.88 GB (the clusters' arrays are fresh allocations).
    feats.par_iter_mut().for_each(|f| {
        f.numbers = Vec::new();
        f.title_numbers = Vec::new();
        f.subject = subject::Subject {
            names: std::mem::take(&mut f.subject.names),
            ..Default::default()
        };
    });
    progress(Progress::Grouping {
        done: total * 3 / 4,
        total,
    });
    crate::trace::mark("pairs verified");
    let (clusters, related) = clusters_of(articles, &verdicts, settings);
    let stories = stories_of(articles, &clusters, &related, &|order: &[u32]| {
        similarities(order, &|i| Some(&feats[i]))
    });
    crate::trace::mark("clustered, stories built");
    progress(Progress::Grouping { done: total, total });
    let index = GroupIndex {
        sampled: feats
            .iter_mut()
            .map(|f| std::mem::take(&mut f.sampled))
            .collect(),
        names: feats
            .iter_mut()
            .map(|f| std::mem::take(&mut f.subject.names))
            .collect(),
        verdicts,
    };
    Ok((stories, index))
}

/// Verifies the candidate `pairs` (`a < b`, sorted) of `articles` with their features;
/// returns those not apart. `common`: the sorted names too common to tell parties apart.
/// `text`: where to read the text of an article whose paragraphs are not in memory, when a
/// pair needs its whole body (`None`: every text is in memory); a text that does not read
/// is an error. `progress` is told the share of the pairs verified now and then.
pub(crate) fn check_pairs(
    articles: &[Article],
    (feats, pairs): (&[&Features], &[(u32, u32)]),
    settings: &GroupSettings,
    common: &[u32],
    text: Option<&verify::TextFn<'_>>,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Vec<Checked>, incremental::Unreadable> {
    let is_common = |h: u32| common.binary_search(&h).is_ok();
    let failed = std::sync::atomic::AtomicBool::new(false);
    // Each article's whole-text words, read once when a pair first needs them.
    let wholes: Vec<verify::Whole<'_>> = (0..articles.len())
        .map(|i| match text {
            Some(t) => verify::Whole::read_through(i, t, &failed),
            None => verify::Whole::new(),
        })
        .collect();
    let ticker = Ticker::new(pairs.len(), progress);
    let checked = pairs
        .par_chunks(PAIRS_A_TICK)
        .flat_map_iter(|chunk| {
            ticker.add(chunk.len());
            chunk.iter()
        })
        .filter_map(|&(a32, b32)| {
            let (a, b) = (a32 as usize, b32 as usize);
            let (v, shared) = verify::verify_cached(
                (&articles[a], feats[a], &wholes[a]),
                (&articles[b], feats[b], &wholes[b]),
                settings,
                &is_common,
            );
            // Only versions take part in finding digests: their cover alone is needed.
            let cover = match v {
                verify::Verdict::Version(_) => cover(shared, feats[a], feats[b]),
                _ => (1.0, 1.0),
            };
            let copy = matches!(v, verify::Verdict::Version(_)) && same_text(feats[a], feats[b]);
            (v != verify::Verdict::Apart).then_some(Checked {
                a: a32,
                b: b32,
                verdict: v,
                cover,
                copy,
            })
        })
        .collect();
    if failed.into_inner() {
        // Which one is not known here: the caller reads everything again.
        return Err(incremental::Unreadable(usize::MAX));
    }
    Ok(checked)
}

/// Tells `progress` the share of the grouping of `total` articles done when `part` of the step
/// that takes it from `from` to `to` is done.
pub(crate) fn tell_step(
    progress: &(dyn Fn(Progress) + Sync),
    total: usize,
    (from, to): (usize, usize),
    part: f64,
) {
    let span = num::f64_of(to.saturating_sub(from)) * part.clamp(0.0, 1.0);
    progress(Progress::Grouping {
        done: from + num::usize_of(span.floor()),
        total,
    });
}

/// Pairs verified between two looks at the progress of [`check_pairs`].
const PAIRS_A_TICK: usize = 1024;

/// The progress of a step done on both cores, told from whichever thread finishes a part of
/// it, in increasing order, about a hundred times in all: `report` is given the share done.
pub(crate) struct Ticker<'a> {
    done: std::sync::atomic::AtomicUsize,
    total: usize,
    /// Items between two reports.
    every: usize,
    /// The last share reported (items done), under which reports are made one at a time.
    last: std::sync::Mutex<usize>,
    report: &'a (dyn Fn(f64) + Sync),
}

impl<'a> Ticker<'a> {
    /// A ticker of `total` items.
    pub(crate) fn new(total: usize, report: &'a (dyn Fn(f64) + Sync)) -> Ticker<'a> {
        Ticker {
            done: std::sync::atomic::AtomicUsize::new(0),
            total,
            every: (total / 100).max(1),
            last: std::sync::Mutex::new(0),
            report,
        }
    }

    /// `n` more items are done.
    pub(crate) fn add(&self, n: usize) {
        let before = self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        let now = before + n;
        if now / self.every == before / self.every {
            return;
        }
        if let Ok(mut last) = self.last.lock()
            && now > *last
        {
            *last = now;
            (self.report)(num::f64_of(now) / num::f64_of(self.total.max(1)));
        }
    }
}

/// The clusters of `articles` given every verified pair (digests found and kept apart, the
/// records of one page joined, records with a story id grouped by it), and the links between
/// articles of other reports (for the related lists).
pub(crate) fn clusters_of(
    articles: &[Article],
    verdicts: &[Checked],
    settings: &GroupSettings,
) -> (Vec<Vec<u32>>, Vec<Link>) {
    let total = articles.len();
    let mut links: Vec<Link> = Vec::new();
    let mut related: Vec<Link> = Vec::new();
    for c in verdicts {
        let (a, b) = (c.a, c.b);
        match c.verdict {
            verify::Verdict::Version(score) => links.push(Link { a, b, score }),
            verify::Verdict::Related(score) => related.push(Link { a, b, score }),
            verify::Verdict::Apart => {}
        }
    }
    let digests = digests(total, verdicts);
    if !digests.is_empty() {
        links.retain(|l| {
            let apart = digests.binary_search(&l.a).is_ok() || digests.binary_search(&l.b).is_ok();
            if apart {
                related.push(*l);
            }
            !apart
        });
    }
    // Records of one page are versions whatever their dates or text.
    let forced = same_pages(articles);
    // Articles with an external story id: grouped by it, linked in a chain of full strength.
    let mut keyed: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(k) = &a.story_key {
            keyed.entry(k.as_str()).or_default().push(num::u32_of(i));
        }
    }
    let copy_pairs: Vec<(u32, u32)> = verdicts
        .iter()
        .filter(|c| {
            c.copy && digests.binary_search(&c.a).is_err() && digests.binary_search(&c.b).is_err()
        })
        .map(|c| (c.a, c.b))
        .collect();
    let mut clusters =
        cluster::cluster(total, &links, &forced, &copy_pairs, settings.link_fraction);
    if !keyed.is_empty() {
        clusters.retain(|m| articles[m[0] as usize].story_key.is_none());
        clusters.extend(keyed.into_values());
    }
    (clusters, related)
}

/// The stories of `clusters`: versions in order (each with the similarity `similarity`
/// gives for the ordered members), ids made unique, related lists, ordered by first date.
pub(crate) fn stories_of(
    articles: &[Article],
    clusters: &[Vec<u32>],
    related: &[Link],
    similarity: &(dyn Fn(&[u32]) -> Vec<f32> + Sync),
) -> Vec<Story> {
    let mut stories: Vec<Story> = clusters
        .par_iter()
        .map(|members| build_story(articles, members, similarity))
        .collect();
    make_ids_unique(&mut stories);
    attach_related(&mut stories, articles.len(), related);
    sort_stories(&mut stories);
    stories
}

/// Orders stories by their first date (undated last), then id.
pub(crate) fn sort_stories(stories: &mut [Story]) {
    stories.sort_by(|x, y| {
        (x.first_date.is_none(), &x.first_date, &x.id).cmp(&(
            y.first_date.is_none(),
            &y.first_date,
            &y.id,
        ))
    });
}

/// Each of the ordered members' similarity to the first (1 for the first itself), from their
/// features (0 where `feats` has none).
pub(crate) fn similarities<'f>(
    order: &[u32],
    feats: &dyn Fn(usize) -> Option<&'f Features>,
) -> Vec<f32> {
    let first = order[0] as usize;
    let f0 = feats(first);
    order
        .iter()
        .map(|&i| {
            if i as usize == first {
                1.0
            } else {
                match (f0, feats(i as usize)) {
                    (Some(f0), Some(fi)) if !f0.shingles.is_empty() => verify::containment(f0, fi),
                    _ => 0.0,
                }
            }
        })
        .collect()
}

/// Whether two articles are copies of one text: the same words and 5-grams.
fn same_text(a: &Features, b: &Features) -> bool {
    a.words == b.words && !a.shingles.is_empty() && a.shingles == b.shingles
}

/// Names held by more than this share of the corpus's articles (and more than
/// `COMMON_NAMES_MIN` of them) are too common to tell parties apart ("Treasury", "Reuters").
const COMMON_NAMES_SHARE: usize = 200;
const COMMON_NAMES_MIN: usize = 30;

/// The sorted names of headlines and leads (each article's `names`) that too many of the
/// `total` articles name.
pub(crate) fn common_names<'n>(names: impl Iterator<Item = &'n [u32]>, total: usize) -> Vec<u32> {
    let limit = (total / COMMON_NAMES_SHARE).max(COMMON_NAMES_MIN);
    let mut all: Vec<u32> = names.flat_map(|n| n.iter().copied()).collect();
    all.par_sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() && all[j] == all[i] {
            j += 1;
        }
        if j - i > limit {
            out.push(all[i]);
        }
        i = j;
    }
    out
}

/// How much of each text the other covers, given the 5-grams they share: (shared / a's
/// 5-grams, shared / b's).
fn cover(shared: usize, a: &Features, b: &Features) -> (f32, f32) {
    (
        (num::f32_of(shared) / num::f32_of(a.size())).min(1.0),
        (num::f32_of(shared) / num::f32_of(b.size())).min(1.0),
    )
}

/// Below this share of itself covered by another report, a text carries only a part of it.
const PART: f32 = 0.4;
/// A digest carries parts of at least this many reports that are not versions of each other.
const DIGEST_PARTS: usize = 3;

/// Digests and round-ups: articles that carry a part of each of several reports that are not
/// versions of each other. Returns their indices, sorted.
fn digests(total: usize, verdicts: &[Checked]) -> Vec<u32> {
    // For each article, the reports that cover only a part of it.
    let mut parts: Vec<Vec<u32>> = vec![Vec::new(); total];
    let mut linked: rustc_hash::FxHashSet<(u32, u32)> = rustc_hash::FxHashSet::default();
    for &Checked {
        a,
        b,
        verdict: v,
        cover: (cover_a, cover_b),
        ..
    } in verdicts
    {
        linked.insert((a.min(b), a.max(b)));
        if v.version().is_some() {
            if cover_a < PART {
                parts[a as usize].push(b);
            }
            if cover_b < PART {
                parts[b as usize].push(a);
            }
        }
    }
    let mut out = Vec::new();
    for (d, ps) in parts.iter().enumerate() {
        if ps.len() < DIGEST_PARTS {
            continue;
        }
        // Reports that are not versions of each other, taken greedily.
        let mut apart: Vec<u32> = Vec::new();
        for &p in ps {
            if apart
                .iter()
                .all(|&q| !linked.contains(&(p.min(q), p.max(q))))
            {
                apart.push(p);
            }
        }
        if apart.len() >= DIGEST_PARTS {
            out.push(num::u32_of(d));
        }
    }
    out
}

/// Forced links between the records of one page (same address): records of one page are
/// versions whatever their dates or text.
fn same_pages(articles: &[Article]) -> Vec<(u32, u32)> {
    // Each article's page found on both cores, then the first article of each page in a
    // table sized at once (at 1M articles this took a second on one core).
    let pages: Vec<Option<&str>> = articles
        .par_iter()
        .map(|a| match a.story_key {
            Some(_) => None,
            None => a.url.as_deref().and_then(verify::page_key),
        })
        .collect();
    // std's hasher, not Fx: the addresses come from the corpus, and keys made to collide
    // must not make this quadratic.
    let mut by_page: HashMap<&str, u32> = HashMap::with_capacity(pages.iter().flatten().count());
    let mut out = Vec::new();
    for (i, page) in pages.into_iter().enumerate() {
        if let Some(k) = page {
            match by_page.get(k) {
                Some(&first) => out.push((first, num::u32_of(i))),
                None => {
                    by_page.insert(k, num::u32_of(i));
                }
            }
        }
    }
    out
}

/// Most related stories listed for one story.
const MAX_RELATED: usize = 8;

/// Fills each story's `related` with the ids of the other stories its versions share real
/// text with, strongest first.
fn attach_related(stories: &mut [Story], total: usize, related: &[Link]) {
    if related.is_empty() {
        return;
    }
    let mut story_of = vec![u32::MAX; total];
    for (k, s) in stories.iter().enumerate() {
        for v in &s.versions {
            story_of[v.article] = num::u32_of(k);
        }
    }
    let mut pairs: Vec<(u32, u32, f32)> = Vec::new();
    for l in related {
        let (x, y) = (story_of[l.a as usize], story_of[l.b as usize]);
        if x != y && x != u32::MAX && y != u32::MAX {
            pairs.push((x, y, l.score));
            pairs.push((y, x, l.score));
        }
    }
    pairs.sort_by(|p, q| p.0.cmp(&q.0).then(q.2.total_cmp(&p.2)).then(p.1.cmp(&q.1)));
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); stories.len()];
    for (x, y, _) in pairs {
        let list = &mut lists[x as usize];
        if list.len() < MAX_RELATED && !list.contains(&y) {
            list.push(y);
        }
    }
    let ids: Vec<CompactString> = stories.iter().map(|s| s.id.clone()).collect();
    for (s, list) in stories.iter_mut().zip(lists) {
        s.related = list.into_iter().map(|k| ids[k as usize].clone()).collect();
    }
}

/// Orders versions by date (undated last), then source, then id.
pub(crate) fn version_order(articles: &[Article], x: u32, y: u32) -> std::cmp::Ordering {
    let (a, b) = (&articles[x as usize], &articles[y as usize]);
    (a.timestamp.is_none(), a.timestamp, &a.source, &a.id, x).cmp(&(
        b.timestamp.is_none(),
        b.timestamp,
        &b.source,
        &b.id,
        y,
    ))
}

/// The stable id of a story whose earliest version has id `first_id`.
pub(crate) fn story_id(first_id: &str) -> CompactString {
    compact_str::format_compact!("s{:012x}", hash_bytes(first_id.as_bytes()) >> 16)
}

fn build_story(
    articles: &[Article],
    members: &[u32],
    similarity: &(dyn Fn(&[u32]) -> Vec<f32> + Sync),
) -> Story {
    let mut order = members.to_vec();
    order.sort_by(|&x, &y| version_order(articles, x, y));
    let first = order[0] as usize;
    let versions: Vec<StoryVersion> = order
        .iter()
        .zip(similarity(&order))
        .map(|(&i, similarity)| StoryVersion {
            article: i as usize,
            similarity,
        })
        .collect();
    let mut sources: Vec<compact_str::CompactString> = Vec::new();
    for v in &versions {
        let s = &articles[v.article].source;
        if !sources.contains(s) {
            sources.push(s.clone());
        }
    }
    let dates: Vec<&compact_str::CompactString> = versions
        .iter()
        .filter_map(|v| articles[v.article].date.as_ref())
        .collect();
    let dated: Vec<(i64, &compact_str::CompactString)> = versions
        .iter()
        .filter_map(|v| {
            let a = &articles[v.article];
            Some((a.timestamp?, a.date.as_ref()?))
        })
        .collect();
    let (first_date, last_date) = if dated.is_empty() {
        (
            dates.first().cloned().cloned(),
            dates.last().cloned().cloned(),
        )
    } else {
        let lo = dated.iter().min_by_key(|d| d.0).map(|d| d.1.clone());
        let hi = dated.iter().max_by_key(|d| d.0).map(|d| d.1.clone());
        (lo, hi)
    };
    Story {
        id: story_id(&articles[first].id),
        title: representative_title(articles, &order),
        versions,
        sources,
        first_date,
        last_date,
        related: Vec::new(),
    }
}

/// The headline most versions share (compared in normalised form); ties go to the earliest.
fn representative_title(articles: &[Article], order: &[u32]) -> String {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        let t = articles[i as usize].title.trim();
        if t.is_empty() {
            continue;
        }
        let norm = crate::text::normalize_for_matching(t);
        match counts.iter_mut().find(|c| c.0 == norm) {
            Some(c) => c.1 += 1,
            None => counts.push((norm, 1, pos)),
        }
    }
    counts
        .iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.2.cmp(&x.2)))
        .map(|c| articles[order[c.2] as usize].title.trim().to_string())
        .unwrap_or_default()
}

fn make_ids_unique(stories: &mut [Story]) {
    let mut seen: HashMap<CompactString, usize> = HashMap::new();
    for s in stories.iter_mut() {
        let n = seen.entry(s.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            s.id = compact_str::format_compact!("{}-{}", s.id, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticker_tells_the_share_done_in_order_about_a_hundred_times() {
        let told = std::sync::Mutex::new(Vec::new());
        let report = |share: f64| told.lock().unwrap().push(share);
        let ticker = Ticker::new(10_000, &report);
        (0..10_000).into_par_iter().for_each(|_| ticker.add(1));
        let told = told.into_inner().unwrap();
        assert!(told.windows(2).all(|w| w[0] < w[1]), "{told:?}");
        assert_eq!(told.last(), Some(&1.0));
        assert!((90..=100).contains(&told.len()), "{}", told.len());
        // Fewer items than reports: one a item; none at all: none.
        let few = std::sync::Mutex::new(0);
        let count = |_: f64| *few.lock().unwrap() += 1;
        let t = Ticker::new(3, &count);
        (0..3).for_each(|_| t.add(1));
        assert_eq!(*few.lock().unwrap(), 3);
        let _ = Ticker::new(0, &count);
    }

    fn art(id: &str, source: &str, ts: Option<i64>, body: &str) -> Article {
        Article {
            id: id.into(),
            source: source.into(),
            title: format!("Title of {id}"),
            timestamp: ts,
            date: ts.map(|t| format!("t{t:08}").into()),
            more: crate::corpus::ArticleMore {
                paragraphs: body.split("\n\n").map(str::to_string).collect(),
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        }
    }

    const A: &str = "The central bank raised its main interest rate by half a point on Tuesday, \
        the first increase in four years, saying inflation had become entrenched in services.\n\n\
        Governor Maria Lopez told reporters the board had voted seven to two for the move and \
        that further tightening could not be ruled out if wages kept rising.\n\n\
        Markets had expected a quarter point, and the currency jumped against the dollar.";
    const B: &str = "A spokesman for the ministry of transport said the new rail line between \
        the two northern cities would open in the spring after years of delays and cost \
        overruns.\n\nThe line was first proposed a decade ago and has been the subject of \
        repeated legal challenges from landowners along its route.";

    const C_REPORT: &str = "Firefighters battled a blaze at a chemical plant on the edge of \
        the port city for most of the night, and residents of nearby streets were told to keep \
        their windows closed.\n\nThe plant's owner said no one had been hurt and that the cause \
        of the fire was not yet known, while inspectors from the environment agency took \
        samples of the air around the site.";

    #[test]
    fn versions_group_and_unrelated_articles_stay_apart() {
        let trimmed: String = A.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n");
        let articles = vec![
            art("a1", "wire", Some(100), A),
            art("b1", "paper", Some(50), B),
            art("a2", "paper", Some(3700), &trimmed),
            art(
                "a3",
                "blog",
                None,
                &A.replace("told reporters", "told journalists"),
            ),
        ];
        let stories = group(&articles, &GroupSettings::default(), &|_| {});
        assert_eq!(stories.len(), 2);
        let a = stories.iter().find(|s| s.versions.len() == 3).unwrap();
        let order: Vec<usize> = a.versions.iter().map(|v| v.article).collect();
        assert_eq!(order, vec![0, 2, 3]);
        assert_eq!(a.id, story_id("a1"));
        assert_eq!(a.sources, vec!["wire", "paper", "blog"]);
        assert_eq!(a.first_date.as_deref(), Some("t00000100"));
        assert_eq!(a.last_date.as_deref(), Some("t00003700"));
        assert_eq!(a.versions[0].similarity, 1.0);
        assert!(a.versions[1].similarity > 0.9);
        // Stories ordered by first date.
        assert_eq!(stories[0].versions[0].article, 1);
    }

    #[test]
    fn grouping_that_drops_texts_reads_back_only_what_it_needs_and_groups_alike() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let sample = crate::corpus::sample::load_sample(&Default::default());
        let kept = sample.articles;
        let settings = GroupSettings::default();
        let (want, want_index) = group_indexed(&kept, &settings, &|_| {});
        let reads = AtomicUsize::new(0);
        let text = |i: usize, a: &Article| {
            assert_eq!(a.id, kept[i].id, "asked for the article it reads");
            reads.fetch_add(1, Ordering::Relaxed);
            Some(kept[i].clone())
        };
        let done = |a: &mut Article| a.paragraphs = Vec::new();
        let mut articles = kept.clone();
        let (got, got_index) = group_indexed_dropping(
            &mut articles,
            &settings,
            &|_| {},
            (&mut |_, _| Ok(()), &done),
            &text,
        )
        .unwrap();
        assert_eq!(got, want);
        assert_eq!(got_index, want_index);
        assert!(
            articles.iter().all(|a| a.paragraphs.is_empty()),
            "texts dropped"
        );
        // Only the whole bodies a pair needs are read back, each once.
        let n = reads.load(Ordering::Relaxed);
        assert!(n > 0 && n < kept.len(), "{n} of {}", kept.len());
        // A text that does not read back fails the grouping (never an empty text).
        let mut articles = kept.clone();
        let unreadable = |_: usize, _: &Article| None;
        assert!(
            group_indexed_dropping(
                &mut articles,
                &settings,
                &|_| {},
                (&mut |_, _| Ok(()), &done),
                &unreadable
            )
            .is_err()
        );
    }

    #[test]
    fn records_with_a_story_key_are_grouped_by_it() {
        let mut x = art("x", "s", None, A);
        let mut y = art("y", "s", None, B);
        let z = art("z", "s", None, A);
        x.story_key = Some("k1".into());
        y.story_key = Some("k1".into());
        let stories = group(&[x, y, z], &GroupSettings::default(), &|_| {});
        assert_eq!(stories.len(), 2);
        let mut sizes: Vec<usize> = stories.iter().map(|s| s.versions.len()).collect();
        sizes.sort();
        assert_eq!(sizes, vec![1, 2]);
    }

    #[test]
    fn every_article_is_in_exactly_one_story_and_ids_are_stable() {
        let articles: Vec<Article> = (0..20)
            .map(|i| {
                art(
                    &format!("n{i}"),
                    "s",
                    Some(i * 10),
                    if i % 2 == 0 { A } else { B },
                )
            })
            .collect();
        let s1 = group(&articles, &GroupSettings::default(), &|_| {});
        let s2 = group(&articles, &GroupSettings::default(), &|_| {});
        assert_eq!(s1, s2);
        let mut seen: Vec<usize> = s1
            .iter()
            .flat_map(|s| s.versions.iter().map(|v| v.article))
            .collect();
        seen.sort();
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
        assert_eq!(s1.len(), 2);
    }

    /// Eurobond items of one template, as a wire sends them on one day.
    fn eurobond(company: &str, manager: &str, amount: u32, due: &str, coupon: &str) -> String {
        format!(
            "{company} is issuing a {amount} mln dlr equity warrant eurobond due {due}, 1992 \
             paying an indicated coupon of {coupon} pct and priced at par, lead manager \
             {manager} said.\n\nThe issue is guaranteed by {company}'s main bank and is \
             available in denominations of 5,000 dlrs. It will be listed in Luxembourg. \
             Fees comprise 1-1/2 pct selling concession and 1/2 pct combined management and \
             underwriting. The payment date is set for later this month, and the warrants \
             are exercisable from the start of next month."
        )
    }

    #[test]
    fn a_template_family_on_one_day_is_five_stories() {
        let items = [
            (
                "Sankei Building Co Ltd",
                "Nomura International Ltd",
                60,
                "May 7",
                "2-1/8",
            ),
            (
                "Sekisui Chemical Co Ltd",
                "Yamaichi International Ltd",
                200,
                "May 7",
                "2",
            ),
            (
                "Tokyo Optical Co Ltd",
                "Daiwa Europe Ltd",
                50,
                "May 7",
                "2-1/4",
            ),
            (
                "Keihanshin Real Estate Co",
                "Nikko Securities Co Ltd",
                40,
                "May 7",
                "2-3/8",
            ),
            (
                "Canon Sales Co Inc",
                "Yamaichi International Ltd",
                100,
                "May 7",
                "1-5/8",
            ),
        ];
        let mut articles: Vec<Article> = items
            .iter()
            .enumerate()
            .map(|(i, (c, m, amount, due, coupon))| {
                let mut a = art(
                    &format!("e{i}"),
                    "wire",
                    Some(i64::try_from(i).unwrap() * 1800),
                    &eurobond(c, m, *amount, due, coupon),
                );
                let short: Vec<&str> = c.split_whitespace().take(2).collect();
                a.title =
                    format!("{} ISSUES EQUITY WARRANT EUROBOND", short.join(" ")).to_uppercase();
                a
            })
            .collect();
        // And one real re-send of the first item, an hour later with a corrected fee.
        let mut resend = articles[0].clone();
        resend.id = "e0-resend".into();
        resend.timestamp = Some(3600);
        resend.paragraphs[1] = resend.paragraphs[1].replace("1-1/2 pct", "1-7/8 pct");
        articles.push(resend);
        let stories = group(&articles, &GroupSettings::default(), &|_| {});
        assert_eq!(stories.len(), 5, "{stories:#?}");
        let first = stories
            .iter()
            .find(|s| s.versions.len() == 2)
            .expect("the re-send");
        let ids: Vec<&str> = first
            .versions
            .iter()
            .map(|v| articles[v.article].id.as_str())
            .collect();
        assert_eq!(ids, ["e0", "e0-resend"]);
    }

    #[test]
    fn a_follow_up_the_next_day_is_related_not_joined() {
        let original = A;
        let follow_up = format!(
            "Governor Maria Lopez said on Wednesday that the central bank would watch wage talks \
             closely before deciding on further moves, a day after it surprised markets.\n\n{}",
            A.split("\n\n").skip(1).collect::<Vec<_>>().join("\n\n")
        );
        let articles = vec![
            art("orig", "wire", Some(0), original),
            art("next", "wire", Some(30 * 3600), &follow_up),
        ];
        let stories = group(&articles, &GroupSettings::default(), &|_| {});
        assert_eq!(stories.len(), 2);
        assert_eq!(stories[0].related, vec![stories[1].id.clone()]);
        assert_eq!(stories[1].related, vec![stories[0].id.clone()]);
    }

    #[test]
    fn a_digest_joins_none_of_the_reports_it_carries() {
        let reports = [A, B, C_REPORT];
        let mut articles: Vec<Article> = reports
            .iter()
            .enumerate()
            .map(|(i, r)| {
                art(
                    &format!("r{i}"),
                    "wire",
                    Some(i64::try_from(i).unwrap() * 600),
                    r,
                )
            })
            .collect();
        let digest: Vec<&str> = reports
            .iter()
            .map(|r| r.split("\n\n").next().unwrap())
            .collect();
        articles.push(art("digest", "wire", Some(4000), &digest.join("\n\n")));
        let stories = group(&articles, &GroupSettings::default(), &|_| {});
        assert_eq!(stories.len(), 4, "{stories:#?}");
    }

    #[test]
    fn records_of_one_page_are_versions_whatever_their_dates_and_text() {
        let mut x = art("x", "site", Some(0), A);
        let mut y = art("y", "site", Some(40 * 86_400), B);
        x.url = Some("https://news.example.com/2024/rates-rise".into());
        y.url = Some("http://www.news.example.com/2024/rates-rise/".into());
        let mut z = art("z", "site", Some(0), B);
        z.url = Some("https://news.example.com/".into());
        let stories = group(&[x, y, z], &GroupSettings::default(), &|_| {});
        let mut sizes: Vec<usize> = stories.iter().map(|s| s.versions.len()).collect();
        sizes.sort();
        assert_eq!(sizes, vec![1, 2]);
    }

    #[test]
    fn representative_title_is_the_most_common() {
        let mut v: Vec<Article> = (0..3).map(|i| art(&format!("{i}"), "s", None, A)).collect();
        v[0].title = "Rates rise".into();
        v[1].title = "Bank raises rates".into();
        v[2].title = "BANK RAISES RATES".into();
        assert_eq!(representative_title(&v, &[0, 1, 2]), "Bank raises rates");
    }

    #[test]
    fn settings_deserialize_with_defaults_and_reject_unknown_keys() {
        let s: GroupSettings = toml::from_str("min_containment = 0.3").unwrap();
        assert_eq!(s.min_containment, 0.3);
        assert_eq!(s.max_days, GroupSettings::default().max_days);
        assert!(toml::from_str::<GroupSettings>("bogus = 1").is_err());
    }
}
