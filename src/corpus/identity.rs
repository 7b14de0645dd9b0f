//! Stable article identity. An article's id must not change when other files or records are
//! added, removed or reordered, and two articles must never share one: ids made unique by a
//! counter in corpus order (`X`, `X#2`) or by a line number (`file.jsonl:7`) did both.
//!
//! - The base of an id is the record's own id; for a file without records its path relative
//!   to the folder given (as before); for a record without an id (a JSONL, JSON or CSV record)
//!   its file and a hash of the record (`file.jsonl#3f9a2c1b7d5e`), not its line.
//! - A base no other article has is the id (so ordinary corpora keep the ids they had).
//! - A base several articles share is qualified by the file (`X@a.jsonl`), and when it recurs
//!   within one file by the record's hash too (`X@a.jsonl#3f9a2c1b7d5e`); records identical in
//!   all of that are numbered among themselves only (`~2`): they are indistinguishable.
//! - What is left ambiguous after that (a record whose own id reads `X@a.jsonl`) gets `~N`
//!   in corpus order, so no two articles ever share an id.
//!
//! Every article also carries its [`ArticleKey`] (file, record, hash): annotations keep it and
//! follow it ([`holds`]); when it no longer resolves they are orphaned, never moved.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Article, ArticleKey, Corpus};

/// Hex digits of the record hash used in ids (48 bits: a collision among a million records
/// of one file is about 1 in 500, and then told apart by `~N`).
const ID_HASH_DIGITS: usize = 12;

/// A hash of a record: its raw text and the fields read from it.
pub(crate) fn record_hash(a: &Article, raw: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        a.title.as_str(),
        raw,
        a.date.as_deref().unwrap_or(""),
        a.url.as_deref().unwrap_or(""),
        a.source.as_str(),
        a.byline.as_deref().unwrap_or(""),
        a.dateline.as_deref().unwrap_or(""),
        a.deck.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update(&[0xff]);
    }
    format!("{:016x}", h.digest())
}

/// Sets `a`'s key from the file it came from and its content (`raw`: the text as loaded, before
/// a lean load drops it). `own_id`: whether `a.id` is the record's own id. A record without an
/// id gets its base id here (`file#hash`), unless `positional` is false (a file that is one
/// article keeps its path).
pub(crate) fn identify(a: &mut Article, file: &str, raw: &str, own_id: bool, positional: bool) {
    let hash = record_hash(a, raw);
    if !own_id && positional {
        a.id = compact_str::format_compact!("{file}#{}", &hash[..ID_HASH_DIGITS]);
    }
    a.key = ArticleKey {
        file: file.into(),
        record: a.id.clone(),
        hash: hash.into(),
        nth: 0,
    };
}

/// Whether the key is of a record without an id of its own (named `file#hash`).
fn is_unnamed(k: &ArticleKey) -> bool {
    k.record.len() == k.file.len() + 1 + ID_HASH_DIGITS
        && k.record.starts_with(k.file.as_str())
        && k.record.as_bytes().get(k.file.len()) == Some(&b'#')
}

fn h128(parts: &[&str]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(&[0xff]);
    }
    h.digest128()
}

/// Records identical in file, record and hash: how many, and what naming them takes.
#[derive(Debug, Clone, Copy)]
struct Exact {
    count: u32,
    base: u128,
    in_file: u128,
    /// Characters of the id in each form: the record, `record@file`, `record@file#hash`.
    chars: [u32; 3],
}

/// Gives articles their shown ids: count every article first ([`IdAssigner::count`]), then
/// [`IdAssigner::assign`] each in corpus order. Holds a few 128-bit hashes per article, not
/// the ids, so a streamed corpus can be counted in one pass and named in the next.
#[derive(Debug, Default)]
pub(crate) struct IdAssigner {
    base: FxHashMap<u128, u32>,
    in_file: FxHashMap<u128, u32>,
    with_hash: FxHashMap<u128, Exact>,
    exact_seen: FxHashMap<u128, u32>,
    shown: FxHashSet<u128>,
}

impl IdAssigner {
    /// An empty assigner expecting about `n` articles.
    pub(crate) fn with_capacity(n: usize) -> Self {
        // Every table sized at once: grown by doubling from empty, three of them were each
        // rehashed about twenty times on the way to 1M articles.
        IdAssigner {
            base: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            in_file: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            with_hash: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            exact_seen: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            shown: FxHashSet::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// Counts `a` (before any article is assigned).
    pub(crate) fn count(&mut self, a: &Article) {
        self.count_hashed(a, &KeyHashes::of(a));
    }

    /// [`IdAssigner::count`] with `a`'s [`KeyHashes`] already taken (on several cores).
    pub(crate) fn count_hashed(&mut self, a: &Article, h: &KeyHashes) {
        let k = &a.key;
        let (base, in_file) = (h.base, h.in_file);
        *self.base.entry(base).or_insert(0) += 1;
        *self.in_file.entry(in_file).or_insert(0) += 1;
        self.with_hash
            .entry(h.exact)
            .or_insert_with(|| {
                let r = crate::num::u32_of(k.record.chars().count());
                let f = crate::num::u32_of(k.file.chars().count());
                let chars = if is_unnamed(k) {
                    [r; 3]
                } else {
                    [r, r + 1 + f, r + 2 + f + crate::num::u32_of(ID_HASH_DIGITS)]
                };
                Exact {
                    count: 0,
                    base,
                    in_file,
                    chars,
                }
            })
            .count += 1;
    }

    /// The widest shown id, in characters, once every article is counted (numbers given to
    /// identical records not included).
    pub(crate) fn widest(&self) -> usize {
        self.with_hash
            .values()
            .map(|e| {
                let form = if self.base.get(&e.base).copied().unwrap_or(0) <= 1 {
                    0
                } else if self.in_file.get(&e.in_file).copied().unwrap_or(0) <= 1 {
                    1
                } else {
                    2
                };
                e.chars[form] as usize
            })
            .max()
            .unwrap_or(0)
    }

    /// Sets `a`'s shown id (and its key's `nth`); articles go in corpus order.
    pub(crate) fn assign(&mut self, a: &mut Article) {
        let h = KeyHashes::of(a);
        self.assign_hashed(a, &h);
    }

    /// [`IdAssigner::assign`] with `a`'s [`KeyHashes`] already taken (on several cores).
    pub(crate) fn assign_hashed(&mut self, a: &mut Article, h: &KeyHashes) {
        let k = &a.key;
        let count = |m: &FxHashMap<u128, u32>, hash: u128| m.get(&hash).copied();
        // None: the record's id itself (most articles; no new string made).
        let mut id = if is_unnamed(k) || count(&self.base, h.base).unwrap_or(0) <= 1 {
            // Unique, or a record without an id: its base already names the file and hash.
            None
        } else if count(&self.in_file, h.in_file).unwrap_or(0) <= 1 {
            Some(format!("{}@{}", k.record, k.file))
        } else {
            Some(format!(
                "{}@{}#{}",
                k.record,
                k.file,
                &k.hash[..ID_HASH_DIGITS]
            ))
        };
        let seen = self.exact_seen.entry(h.exact).or_insert(0);
        let nth = *seen;
        *seen += 1;
        if nth > 0 {
            let id = id.get_or_insert_with(|| k.record.to_string());
            id.push('~');
            id.push_str(&(nth + 1).to_string());
        }
        // Last resort: an id that reads like another's qualified one.
        let mut n = 1u32;
        let base_len = id.as_ref().map_or(k.record.len(), String::len);
        // The record's id hashes as the key's base does.
        let mut hash = id.as_ref().map_or(h.base, |id| h128(&[id]));
        while !self.shown.insert(hash) {
            n += 1;
            let id = id.get_or_insert_with(|| k.record.to_string());
            id.truncate(base_len);
            id.push_str(&format!("~x{n}"));
            hash = h128(&[id]);
        }
        a.key.nth = nth;
        match id {
            Some(id) => a.id = id.into(),
            None => {
                if a.id != a.key.record {
                    a.id.clone_from(&a.key.record);
                }
            }
        }
    }
}

/// The hashes of an article's key that [`IdAssigner`] counts and looks up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyHashes {
    /// The record's id.
    base: u128,
    /// The record's id and file.
    in_file: u128,
    /// The record's id, file and hash.
    exact: u128,
}

impl KeyHashes {
    /// The hashes of `a`'s key.
    pub(crate) fn of(a: &Article) -> Self {
        let k = &a.key;
        KeyHashes {
            base: h128(&[&k.record]),
            in_file: h128(&[&k.record, &k.file]),
            exact: h128(&[&k.record, &k.file, &k.hash]),
        }
    }
}

/// Gives every article of `articles` its shown id.
pub(crate) fn assign_ids(articles: &mut [Article]) {
    use rayon::prelude::*;
    let hashes: Vec<KeyHashes> = articles.par_iter().map(KeyHashes::of).collect();
    let mut ids = IdAssigner::with_capacity(articles.len());
    for (a, h) in articles.iter().zip(&hashes) {
        ids.count_hashed(a, h);
    }
    for (a, h) in articles.iter_mut().zip(&hashes) {
        ids.assign_hashed(a, h);
    }
}

/// The ids the articles had before stable identity (stet up to 0.1 of this change): the
/// record's own id, else the path relative to the folder (`:LINE` for a JSONL or CSV record),
/// the second article with an id `ID#2`, the third `ID#3`, in corpus order. Only for mapping
/// annotations made then onto today's articles. Records of a JSON array without an id are
/// not known by their index any more (they map by text hash only).
pub(crate) fn legacy_ids(articles: &[Article]) -> Vec<String> {
    let mut seen: FxHashMap<String, u32> = FxHashMap::default();
    articles
        .iter()
        .map(|a| {
            let k = &a.key;
            let mut id = match (is_unnamed(k), a.line) {
                (true, Some(line)) => format!("{}:{line}", k.file),
                (true, None) => String::new(),
                (false, _) => k.record.to_string(),
            };
            if id.is_empty() {
                return id;
            }
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                id.push('#');
                id.push_str(&n.to_string());
            }
            id
        })
        .collect()
}

/// The ids `stories` had before stable article identity (a story's id is made from its
/// earliest version's id), one per story, for finding read marks saved then.
pub(crate) fn legacy_story_ids(corpus: &Corpus, stories: &[super::Story]) -> Vec<String> {
    if !stories.iter().any(|s| {
        s.versions
            .first()
            .and_then(|v| corpus.articles.get(v.article))
            .is_some_and(|a| a.id != a.key.record)
    }) && !corpus.articles.iter().any(|a| is_unnamed(&a.key))
    {
        // Every id is as it was: nothing to map.
        return Vec::new();
    }
    let legacy = legacy_ids(&corpus.articles);
    stories
        .iter()
        .map(|s| {
            s.versions
                .first()
                .and_then(|v| legacy.get(v.article))
                .map_or_else(String::new, |id| super::group::story_id(id).to_string())
        })
        .collect()
}

/// Whether an annotation target made on the article shown as `shown_id` with key `key` (None
/// for targets made before keys were kept) belongs to `a`. Never true of another record:
/// - the same key: yes;
/// - the same shown id: yes when the target has no key (as before), or when its key names
///   the same file and record (the record was edited: its hash changed);
/// - else, a record whose own id is unique in its file, in the same file: yes (edited, and its
///   shown id changed because another file gained the same id).
pub(crate) fn holds(a: &Article, shown_id: &str, key: Option<&ArticleKey>) -> bool {
    match key {
        None => a.id == shown_id,
        Some(k) if k.record.is_empty() && k.file.is_empty() => a.id == shown_id,
        Some(k) if *k == a.key => true,
        Some(k) => {
            if k.file != a.key.file || k.record != a.key.record {
                return false;
            }
            if a.id == shown_id {
                return true;
            }
            // Unique in its file: shown as the record or the record at the file.
            !is_unnamed(k)
                && (a.id == a.key.record || a.id == format!("{}@{}", a.key.record, a.key.file))
        }
    }
}

/// The article of `corpus` a target made on `shown_id` with `key` belongs to: the one with the
/// same key first, then [`holds`]; None when none does (the target is orphaned).
pub(crate) fn resolve(corpus: &Corpus, shown_id: &str, key: Option<&ArticleKey>) -> Option<usize> {
    if let Some(k) = key
        && !(k.record.is_empty() && k.file.is_empty())
        && let Some(i) = corpus.articles.iter().position(|a| a.key == *k)
    {
        return Some(i);
    }
    let found = corpus.articles.iter().position(|a| holds(a, shown_id, key));
    if found.is_none() && key.is_none() {
        // As before keys: a path names the article of a one-article file.
        return corpus.articles.iter().position(|a| *a.path == *shown_id);
    }
    found
}

/// Maps a target made before keys were kept (on `old_id`, an id of [`legacy_ids`]) to today's
/// article: the article that had that id, when only one did and (when several articles are
/// candidates) its text hash tells which; None when it cannot be told (the target stays
/// orphaned rather than guessed). `body_hash(i)` gives the text hash of article `i` as
/// annotations store it.
pub(crate) fn migrate_legacy(
    corpus: &Corpus,
    legacy: &[String],
    old_id: &str,
    text_hash: &str,
    body_hash: &dyn Fn(usize) -> String,
) -> Option<usize> {
    let mut candidates: Vec<usize> = legacy
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_str() == old_id)
        .map(|(i, _)| i)
        .collect();
    if let Some(i) = corpus.articles.iter().position(|a| a.id == old_id)
        && !candidates.contains(&i)
    {
        candidates.push(i);
    }
    match candidates.len() {
        0 => None,
        1 => Some(candidates[0]),
        _ => {
            let same: Vec<usize> = candidates
                .into_iter()
                .filter(|&i| body_hash(i) == text_hash)
                .collect();
            (same.len() == 1).then(|| same[0])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(file: &str, id: Option<&str>, text: &str) -> Article {
        let mut a = Article {
            id: id.unwrap_or("").into(),
            title: format!("T {text}"),
            path: file.into(),
            ..Article::default()
        };
        identify(&mut a, file, text, id.is_some(), true);
        a
    }

    fn ids(articles: &[Article]) -> Vec<String> {
        let mut v = articles.to_vec();
        assign_ids(&mut v);
        v.into_iter().map(|a| a.id.to_string()).collect()
    }

    #[test]
    fn unique_ids_stay_as_they_are() {
        let v = vec![
            rec("a.jsonl", Some("X"), "1"),
            rec("a.jsonl", Some("Y"), "2"),
        ];
        assert_eq!(ids(&v), ["X", "Y"]);
    }

    #[test]
    fn shared_ids_are_qualified_by_file_and_never_shift() {
        let a = rec("a.jsonl", Some("X"), "one");
        let b = rec("b.jsonl", Some("X"), "two");
        let c = rec("c.jsonl", Some("X"), "three");
        let two = ids(&[a.clone(), b.clone()]);
        assert_eq!(two, ["X@a.jsonl", "X@b.jsonl"]);
        // A third file with the same id, read first or last: the others keep theirs.
        let three = ids(&[c.clone(), a.clone(), b.clone()]);
        assert_eq!(three, ["X@c.jsonl", "X@a.jsonl", "X@b.jsonl"]);
    }

    #[test]
    fn dup_dup_dup2_never_share_an_id() {
        let v = vec![
            rec("f.jsonl", Some("dup"), "first"),
            rec("f.jsonl", Some("dup"), "second"),
            rec("f.jsonl", Some("dup#2"), "third"),
        ];
        let got = ids(&v);
        let set: FxHashSet<&String> = got.iter().collect();
        assert_eq!(set.len(), 3, "{got:?}");
        assert_eq!(got[2], "dup#2");
        assert!(got[0].starts_with("dup@f.jsonl#"), "{got:?}");
        // Identical records are numbered among themselves only.
        let same = vec![
            rec("f.jsonl", Some("dup"), "x"),
            rec("f.jsonl", Some("dup"), "x"),
        ];
        let got = ids(&same);
        assert_eq!(got[1], format!("{}~2", got[0]));
    }

    #[test]
    fn an_id_that_reads_like_a_qualified_one_still_differs() {
        let v = vec![
            rec("a.jsonl", Some("X"), "1"),
            rec("b.jsonl", Some("X"), "2"),
            rec("c.jsonl", Some("X@a.jsonl"), "3"),
        ];
        let got = ids(&v);
        let set: FxHashSet<&String> = got.iter().collect();
        assert_eq!(set.len(), 3, "{got:?}");
    }

    #[test]
    fn records_without_id_are_named_by_content_not_line() {
        let a = rec("f.jsonl", None, "alpha");
        let b = rec("f.jsonl", None, "beta");
        let first = ids(&[a.clone(), b.clone()]);
        let reordered = ids(&[rec("f.jsonl", None, "new"), b.clone(), a.clone()]);
        assert_eq!(first[0], reordered[2]);
        assert_eq!(first[1], reordered[1]);
        assert!(first[0].starts_with("f.jsonl#"));
    }

    #[test]
    fn a_target_never_moves_to_another_record() {
        let mut v = vec![
            rec("a.jsonl", Some("X"), "one"),
            rec("b.jsonl", Some("X"), "two"),
        ];
        assign_ids(&mut v);
        // Annotated X@b.jsonl; a third file with X added first.
        let key_b = v[1].key.clone();
        let mut w = vec![
            rec("c.jsonl", Some("X"), "three"),
            v[0].clone(),
            v[1].clone(),
        ];
        assign_ids(&mut w);
        let corpus = Corpus {
            articles: w.clone(),
            ..Corpus::default()
        };
        assert_eq!(resolve(&corpus, "X@b.jsonl", Some(&key_b)), Some(2));
        // b's record removed: the annotation is orphaned, not moved to a or c.
        let corpus = Corpus {
            articles: w[..2].to_vec(),
            ..Corpus::default()
        };
        assert_eq!(resolve(&corpus, "X@b.jsonl", Some(&key_b)), None);
        // Only a's X left, shown as plain X: a target made on b's X (shown X then) is
        // not a's.
        let mut only_a = vec![rec("a.jsonl", Some("X"), "one")];
        assign_ids(&mut only_a);
        let corpus = Corpus {
            articles: only_a,
            ..Corpus::default()
        };
        assert_eq!(resolve(&corpus, "X", Some(&key_b)), None);
    }

    #[test]
    fn an_edited_record_keeps_its_annotations() {
        let mut v = vec![rec("a.jsonl", Some("X"), "one")];
        assign_ids(&mut v);
        let key = v[0].key.clone();
        // The record edited, and another file with X added: shown as X@a.jsonl now.
        let mut w = vec![
            rec("a.jsonl", Some("X"), "one, corrected"),
            rec("b.jsonl", Some("X"), "two"),
        ];
        assign_ids(&mut w);
        let corpus = Corpus {
            articles: w,
            ..Corpus::default()
        };
        assert_eq!(resolve(&corpus, "X", Some(&key)), Some(0));
    }

    #[test]
    fn legacy_ids_are_the_old_counter_ids() {
        let mut v = vec![
            rec("a.jsonl", Some("X"), "one"),
            rec("b.jsonl", Some("X"), "two"),
        ];
        let mut line = rec("c.jsonl", None, "three");
        line.line = std::num::NonZeroU32::new(4);
        v.push(line);
        assign_ids(&mut v);
        assert_eq!(legacy_ids(&v), ["X", "X#2", "c.jsonl:4"]);
        let corpus = Corpus {
            articles: v,
            ..Corpus::default()
        };
        let legacy = legacy_ids(&corpus.articles);
        let none = |_: usize| String::new();
        assert_eq!(migrate_legacy(&corpus, &legacy, "X#2", "h", &none), Some(1));
        assert_eq!(
            migrate_legacy(&corpus, &legacy, "c.jsonl:4", "h", &none),
            Some(2)
        );
        assert_eq!(
            migrate_legacy(&corpus, &legacy, "nothing", "h", &none),
            None
        );
    }
}
