//! Grouping articles added to a corpus grouped before, against its stories, without reading
//! the texts of the articles that stayed.
//!
//! A full grouping ([`super::group_indexed`]) keeps a [`GroupIndex`]: each article's sampled
//! 5-gram hashes and headline names, and every verified pair that is not apart. With it,
//! [`regroup`] does what a full grouping would do, but verifies only the pairs that involve
//! a fresh article (an added one, or one of a changed file):
//!
//! 1. the fresh articles' features, from their text;
//! 2. their candidates among *all* articles, from the stored hashes (a hash held by more than
//!    `max_shared_by` articles of the whole corpus is skipped, as in a full grouping);
//! 3. the names too common to tell parties apart, counted over the whole corpus;
//! 4. each new candidate pair verified with the same rules ([`super::verify`]); the texts of
//!    the articles that stayed are read (through `text`) only for those pairs;
//! 5. the stored verdicts between articles that stayed, and the new ones, clustered over the
//!    whole corpus as a full grouping clusters (digests, same pages, story keys, average
//!    linkage); clustering and the related lists cost milliseconds even at 1M articles;
//! 6. stories whose members are those of a story of the last grouping keep its versions'
//!    similarities; a changed story whose first version is still the last story's first
//!    keeps that story's versions' similarities and measures the others against the first;
//!    any other story is measured again (its members' texts read). A story with a version
//!    that may take its date from its dateline has every version's text read, for the
//!    reordering that follows grouping ([`Regrouped::with_text`]).
//!
//! What differs from a full grouping: the verdicts between two articles that stayed are not
//! taken again, although the corpus around them changed. A full grouping could judge such a
//! pair otherwise only when a 5-gram hash they share crossed `max_shared_by` holders (a pair
//! that was a candidate stops being one, or the reverse after a removal), or a headline name
//! became common or stopped being (more than 1 in 200 articles). Both need many articles
//! added or removed; past a share of the corpus the caller groups everything again.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::features::{self, Features};
use super::{
    Checked, GroupIndex, GroupSettings, check_pairs, clusters_of, common_names, similarities,
    stories_of,
};
use crate::corpus::{Article, Progress, Story};
use crate::num;

/// What the last grouping left, in the numbering of the articles now.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// Every article's entries: those of the articles that stayed as stored, empty for the
    /// fresh ones; `verdicts` between articles that stayed, in `(a, b)` order.
    pub index: GroupIndex,
    /// The last grouping's stories: the members that stayed, with their similarity, first
    /// version first (empty for a story whose first version left).
    pub stories: Vec<Vec<(u32, f32)>>,
}

/// The text of an article that stayed could not be read (the caller groups everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the stored text of article {0} could not be read")]
pub struct Unreadable(pub usize);

/// Groups `articles` (the `fresh` ones with their text, the others without) given what the
/// last grouping left: the stories and the index a full grouping of these articles would
/// give, but for the verdicts between articles that stayed (see the module documentation).
/// `text` gives an article that stayed with its cleaned text. Also gives the articles that
/// stayed in the stories built again, with their text (read for their similarities; the
/// caller may want them for what follows grouping, such as dates from datelines).
pub fn regroup(
    articles: &[Article],
    fresh: &[bool],
    prev: Previous,
    settings: &GroupSettings,
    text: &(dyn Fn(usize) -> Option<Article> + Sync),
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Regrouped, Unreadable> {
    let total = articles.len();
    progress(Progress::Grouping { done: 0, total });
    let sample = u64::from(settings.sample.max(1));
    let Previous {
        mut index,
        stories: old_stories,
    } = prev;
    index.sampled.resize(total, Vec::new());
    index.names.resize(total, Vec::new());
    // 1. The fresh articles' features.
    let fresh_list: Vec<usize> = (0..total).filter(|&i| fresh[i]).collect();
    let mut feats: FxHashMap<usize, Features> = fresh_list
        .par_iter()
        .map_init(features::Scratch::default, |scratch, &i| {
            let a = &articles[i];
            let f = if a.story_key.is_some() {
                Features::default()
            } else {
                features::features_with(a, sample, scratch)
            };
            (i, f)
        })
        .collect();
    for (&i, f) in &feats {
        index.sampled[i].clone_from(&f.sampled);
        index.names[i].clone_from(&f.subject.names);
    }
    // 2. Their candidates among all articles; 3. the common names.
    let pairs = fresh_candidates(
        &index.sampled,
        fresh,
        settings.max_shared_by,
        settings.candidate_fraction,
    );
    let common = common_names(index.names.iter().map(Vec::as_slice), total);
    progress(Progress::Grouping {
        done: total / 3,
        total,
    });
    // 4. The new pairs verified, the texts of the articles that stayed read for them.
    let mut texts: FxHashMap<usize, Article> = FxHashMap::default();
    let stayed: Vec<usize> = {
        let mut v: Vec<usize> = pairs
            .iter()
            .flat_map(|&(a, b)| [a as usize, b as usize])
            .filter(|&i| !fresh[i])
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    read_stayed(articles, &stayed, sample, text, (&mut texts, &mut feats))?;
    let mut local: Vec<usize> = fresh_list.clone();
    local.extend(&stayed);
    local.sort_unstable();
    let place: FxHashMap<usize, u32> = local
        .iter()
        .enumerate()
        .map(|(k, &i)| (i, num::u32_of(k)))
        .collect();
    let local_articles: Vec<Article> = local
        .iter()
        .map(|i| texts.get(i).unwrap_or(&articles[*i]).clone())
        .collect();
    let none = Features::default();
    let local_feats: Vec<&Features> = local
        .iter()
        .map(|i| feats.get(i).unwrap_or(&none))
        .collect();
    let local_pairs: Vec<(u32, u32)> = pairs
        .iter()
        .map(|&(a, b)| (place[&(a as usize)], place[&(b as usize)]))
        .collect();
    let checked = check_pairs(
        &local_articles,
        (&local_feats, &local_pairs),
        settings,
        &common,
        None,
        &|part| super::tell_step(progress, total, (total / 3, total * 2 / 3), part),
    )?;
    drop((local_articles, local_feats));
    index.verdicts.extend(checked.into_iter().map(|c| Checked {
        // The local numbering keeps the order: `a < b` still.
        a: num::u32_of(local[c.a as usize]),
        b: num::u32_of(local[c.b as usize]),
        ..c
    }));
    index.verdicts.sort_by_key(|c| (c.a, c.b));
    progress(Progress::Grouping {
        done: total * 2 / 3,
        total,
    });
    // 5. Clusters over the whole corpus.
    let (clusters, related) = clusters_of(articles, &index.verdicts, settings);
    // 6. Stories: unchanged ones keep their similarities, the others are measured again.
    let mut by_members: FxHashMap<Vec<u32>, usize> = FxHashMap::default();
    for (k, s) in old_stories.iter().enumerate() {
        let mut m: Vec<u32> = s.iter().map(|v| v.0).collect();
        if m.is_empty() {
            continue;
        }
        m.sort_unstable();
        by_members.insert(m, k);
    }
    // Each article that stayed: its last story and similarity there.
    let mut old_of: FxHashMap<u32, (usize, f32)> = FxHashMap::default();
    for (k, s) in old_stories.iter().enumerate() {
        for &(i, sim) in s {
            old_of.insert(i, (k, sim));
        }
    }
    // Unchanged stories: every similarity as it was.
    let mut kept_sims: FxHashMap<u32, f32> = FxHashMap::default();
    // Changed stories whose first version is the last story's first: the similarities of
    // that story's versions (to the same first) as they were, the others measured.
    let mut reused: FxHashMap<u32, f32> = FxHashMap::default();
    let mut remeasure: Vec<usize> = Vec::new();
    let mut rebuilt: Vec<usize> = Vec::new();
    for c in &clusters {
        if let Some(&k) = by_members.get(c) {
            kept_sims.extend(old_stories[k].iter().copied());
            continue;
        }
        let first = c
            .iter()
            .copied()
            .min_by(|&x, &y| super::version_order(articles, x, y))
            .unwrap_or(c[0]);
        // A version that may take its date from its dateline may reorder the story after
        // grouping: then every version's text is wanted (see `Regrouped::with_text`).
        let may_reorder = c.iter().any(|&i| {
            let a = &articles[i as usize];
            a.timestamp.is_none() && a.dateline.is_some()
        });
        let same_first = old_of
            .get(&first)
            .map(|&(k, _)| k)
            .filter(|&k| !may_reorder && old_stories[k].first().map(|v| v.0) == Some(first));
        if same_first.is_some() && !feats.contains_key(&(first as usize)) {
            // The others are measured against it.
            remeasure.push(first as usize);
        }
        for &i in c {
            let u = i as usize;
            match (same_first, old_of.get(&i)) {
                (Some(k), Some(&(k2, sim))) if k2 == k => {
                    reused.insert(i, sim);
                }
                _ => {
                    if !fresh[u] {
                        rebuilt.push(u);
                    }
                    if !feats.contains_key(&u) {
                        remeasure.push(u);
                    }
                }
            }
        }
    }
    remeasure.sort_unstable();
    remeasure.dedup();
    read_stayed(articles, &remeasure, sample, text, (&mut texts, &mut feats))?;
    rebuilt.sort_unstable();
    let with_text: Vec<(usize, Article)> = rebuilt
        .into_iter()
        .filter_map(|i| Some((i, texts.remove(&i)?)))
        .collect();
    drop(texts);
    let stories = stories_of(articles, &clusters, &related, &|order: &[u32]| {
        if kept_sims.contains_key(&order[0]) {
            return order
                .iter()
                .map(|i| kept_sims.get(i).copied().unwrap_or(0.0))
                .collect();
        }
        let mut sims = similarities(order, &|i| feats.get(&i));
        for (s, i) in sims.iter_mut().zip(order) {
            if let Some(&r) = reused.get(i) {
                *s = r;
            }
        }
        sims
    });
    progress(Progress::Grouping { done: total, total });
    Ok(Regrouped {
        stories,
        index,
        with_text,
    })
}

/// What [`regroup`] gives.
#[derive(Debug)]
pub struct Regrouped {
    /// The stories, as [`super::group`] orders them.
    pub stories: Vec<Story>,
    /// The index a later regrouping needs.
    pub index: GroupIndex,
    /// The articles that stayed in stories built again, with their text.
    pub with_text: Vec<(usize, Article)>,
}

/// Reads the texts of the articles `which` (that stayed) and their features, into `texts`
/// and `feats`.
fn read_stayed(
    articles: &[Article],
    which: &[usize],
    sample: u64,
    text: &(dyn Fn(usize) -> Option<Article> + Sync),
    (texts, feats): (
        &mut FxHashMap<usize, Article>,
        &mut FxHashMap<usize, Features>,
    ),
) -> Result<(), Unreadable> {
    let read: Vec<(usize, Option<(Article, Features)>)> = which
        .par_iter()
        .map_init(features::Scratch::default, |scratch, &i| {
            if articles[i].story_key.is_some() {
                return (i, Some((articles[i].clone(), Features::default())));
            }
            let got = text(i).map(|a| {
                let f = features::features_with(&a, sample, scratch);
                (a, f)
            });
            (i, got)
        })
        .collect();
    for (i, got) in read {
        let (a, f) = got.ok_or(Unreadable(i))?;
        texts.insert(i, a);
        feats.insert(i, f);
    }
    Ok(())
}

/// The candidate pairs (`a < b`, sorted) that involve a fresh article, found as
/// [`super::candidates::candidates`] finds them among all articles: only the hashes of fresh
/// articles are looked up, each with every article holding it.
fn fresh_candidates(
    sampled: &[Vec<u64>],
    fresh: &[bool],
    max_df: usize,
    fraction: f32,
) -> Vec<(u32, u32)> {
    let mut holders: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, s) in sampled.iter().enumerate() {
        if fresh[i] {
            for &h in s {
                holders.entry(h).or_default();
            }
        }
    }
    // Every holder of those hashes, in article order.
    let wanted: FxHashSet<u64> = holders.keys().copied().collect();
    let found: Vec<(u64, u32)> = sampled
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, s)| {
            let wanted = &wanted;
            s.iter()
                .filter(move |h| wanted.contains(h))
                .map(move |&h| (h, num::u32_of(i)))
        })
        .collect();
    for (h, i) in found {
        if let Some(v) = holders.get_mut(&h) {
            v.push(i);
        }
    }
    let mut pairs: Vec<u64> = holders
        .par_iter()
        .filter(|(_, docs)| docs.len() >= 2 && docs.len() <= max_df.max(2))
        .flat_map_iter(|(_, docs)| {
            (0..docs.len()).flat_map(move |i| {
                (i + 1..docs.len())
                    .filter(move |&j| fresh[docs[i] as usize] || fresh[docs[j] as usize])
                    .map(move |j| (u64::from(docs[i]) << 32) | u64::from(docs[j]))
            })
        })
        .collect();
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
        let smaller = sampled[a as usize].len().min(sampled[b as usize].len());
        let need = num::usize_of(f64::from((num::f32_of(smaller) * fraction).ceil())).max(1);
        if j - i >= need {
            out.push((a, b));
        }
        i = j;
    }
    out
}

/// A story of the last grouping, for [`keep_ids`]: its id, its first version when that
/// stayed, and the members that stayed (in the numbering of the articles now).
#[derive(Debug, Clone, PartialEq)]
pub struct OldStory {
    /// Its id.
    pub id: String,
    /// Its first version, when it stayed.
    pub first: Option<u32>,
    /// Its members that stayed.
    pub members: Vec<u32>,
}

/// Gives the stories of a new grouping the ids of the last grouping's stories where they
/// stay meaningful, so that a story keeps its id across regroupings:
///
/// - an old story's id goes to the new story whose own id (made from its first version) it
///   is, when that story holds one of its versions; else to the new story that holds its
///   first version (the article its id was made from); when that version is gone, to the new
///   story holding most of its remaining versions (ties: the one listed first); a story with
///   no version left takes its id with it;
/// - a new story offered several old ids (stories joined) takes the id of the old story with
///   most versions in it (ties: its own id when offered, else the smaller id);
/// - the other stories keep the id grouping made (from their first version), suffixed
///   (`-2`, `-3`) when an id kept elsewhere already reads so.
///
/// An unchanged story thus keeps its id, and so does a story that gained versions (even an
/// earlier one) or lost some. Related lists follow the new ids; the stories are put back in
/// order.
pub fn keep_ids(stories: &mut [Story], old: &[OldStory]) {
    if old.is_empty() || stories.is_empty() {
        return;
    }
    let total = stories
        .iter()
        .flat_map(|s| s.versions.iter().map(|v| v.article + 1))
        .max()
        .unwrap_or(0);
    let mut story_of = vec![u32::MAX; total];
    for (k, s) in stories.iter().enumerate() {
        for v in &s.versions {
            story_of[v.article] = num::u32_of(k);
        }
    }
    let at = |i: u32| story_of.get(i as usize).copied().filter(|&k| k != u32::MAX);
    let natural: FxHashMap<&str, u32> = stories
        .iter()
        .enumerate()
        .map(|(k, s)| (s.id.as_str(), num::u32_of(k)))
        .collect();
    // For each new story, the old ids offered: (versions of that old story in it, id).
    let mut offers: Vec<Vec<(usize, &str)>> = vec![Vec::new(); stories.len()];
    for o in old {
        let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
        for &m in &o.members {
            if let Some(k) = at(m) {
                *counts.entry(k).or_default() += 1;
            }
        }
        let own = natural
            .get(o.id.as_str())
            .copied()
            .filter(|k| counts.contains_key(k));
        let heir = match own.or_else(|| o.first.and_then(at)) {
            Some(k) => Some(k),
            None => counts
                .iter()
                .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                .map(|(&k, _)| k),
        };
        if let Some(k) = heir {
            let n = counts.get(&k).copied().unwrap_or(0);
            offers[k as usize].push((n, o.id.as_str()));
        }
    }
    let mut renamed: FxHashMap<CompactString, CompactString> = FxHashMap::default();
    let mut taken: FxHashSet<CompactString> = FxHashSet::default();
    let mut chosen: Vec<Option<CompactString>> = vec![None; stories.len()];
    for (k, o) in offers.iter().enumerate() {
        let own = stories[k].id.as_str();
        if let Some(best) = o
            .iter()
            .max_by(|x, y| {
                x.0.cmp(&y.0)
                    .then((x.1 == own).cmp(&(y.1 == own)))
                    .then(y.1.cmp(x.1))
            })
            .map(|x| CompactString::from(x.1))
        {
            taken.insert(best.clone());
            chosen[k] = Some(best);
        }
    }
    for (s, c) in stories.iter_mut().zip(chosen) {
        let id = match c {
            Some(id) => id,
            None if !taken.contains(&s.id) => {
                taken.insert(s.id.clone());
                continue;
            }
            None => {
                // Its own id is another's now: the next free suffix.
                let base =
                    s.id.split_once('-')
                        .map_or(s.id.as_str(), |x| x.0)
                        .to_string();
                let mut n = 2;
                while taken.contains(format!("{base}-{n}").as_str()) {
                    n += 1;
                }
                let id = compact_str::format_compact!("{base}-{n}");
                taken.insert(id.clone());
                id
            }
        };
        if id != s.id {
            renamed.insert(std::mem::replace(&mut s.id, id.clone()), id);
        }
    }
    if !renamed.is_empty() {
        for s in stories.iter_mut() {
            for r in &mut s.related {
                if let Some(n) = renamed.get(r) {
                    r.clone_from(n);
                }
            }
        }
    }
    super::sort_stories(stories);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(id: &str, members: &[usize]) -> Story {
        Story {
            related: vec!["sX".into()],
            ..Story::of_members(id, "", members.iter().copied())
        }
    }

    fn old(id: &str, first: Option<u32>, members: &[u32]) -> OldStory {
        OldStory {
            id: id.into(),
            first,
            members: members.to_vec(),
        }
    }

    fn ids(stories: &[Story]) -> Vec<(&str, Vec<usize>)> {
        let mut v: Vec<(&str, Vec<usize>)> = stories
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.versions.iter().map(|v| v.article).collect(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn stories_keep_the_ids_of_the_stories_they_come_from() {
        // Old: A = {0 (first), 1}, B = {2 (first), 3}, C = {4}, D = {5 (first, removed), 6}.
        let olds = [
            old("sA", Some(0), &[0, 1]),
            old("sB", Some(2), &[2, 3]),
            old("sC", Some(4), &[4]),
            old("sD", None, &[6]),
            old("s-other", Some(7), &[7]),
        ];
        // New: 8 joined A before its first (so its own id is s8); B and C joined, C's
        // version first (own id sC); D's remaining version alone (own id s6); 9 is new.
        let mut stories = vec![
            story("s8", &[8, 0, 1]),
            story("sC", &[4, 2, 3]),
            story("s6", &[6]),
            story("s9", &[9]),
            story("sX", &[7]),
        ];
        keep_ids(&mut stories, &olds);
        assert_eq!(
            ids(&stories),
            vec![
                ("s-other", vec![7]),
                ("s9", vec![9]),
                ("sA", vec![8, 0, 1]),
                ("sB", vec![4, 2, 3]),
                ("sD", vec![6]),
            ]
        );
        // Related lists follow the renamed story (sX is s-other now).
        assert!(
            stories
                .iter()
                .all(|s| s.related == vec!["s-other".to_string()])
        );
    }

    #[test]
    fn a_tie_goes_to_the_storys_own_id() {
        // Old: A = {0 (first)}, B = {9 (first, removed), 1}. New: {0, 1}, own id sA.
        let olds = [old("sA", Some(0), &[0]), old("sB", None, &[1])];
        let mut stories = vec![story("sA", &[0, 1])];
        keep_ids(&mut stories, &olds);
        assert_eq!(stories[0].id, "sA");
        // The other way round, the larger old story wins.
        let olds = [old("sA", Some(0), &[0]), old("sB", Some(1), &[1, 2])];
        let mut stories = vec![story("sA", &[0, 1, 2])];
        keep_ids(&mut stories, &olds);
        assert_eq!(stories[0].id, "sB");
    }
}
