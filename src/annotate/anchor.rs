//! Re-anchoring: finding an annotation's span again in an article's current text, which may
//! have changed since the annotation was made.
//!
//! The order: the same text hash → the stored position; the text at the stored position still
//! equals the quote → there; the quote found exactly elsewhere (context, then distance to the
//! stored position, break ties) → there, as *moved*; a fuzzy match with a minimum acceptance →
//! there, as *fuzzy* for the user to confirm; otherwise *orphaned*. Quotes are compared in the
//! matching form of [`crate::text::normalize_char`] (quote styles, dashes, case and runs of
//! whitespace do not count as changes).
//!
//! Minimum acceptance of a match found away from the stored position: quote similarity ≥ 0.85
//! (≥ 0.9 under 16 characters), and for quotes under 32 characters (or matches under 0.95)
//! the context on both sides within the paragraph must agree at least half way, so a short
//! quote never jumps to a look-alike elsewhere ("Robin" corrected to "Elisa" does not move to
//! another "Robin").
//!
//! The fuzzy search is bounded: candidate windows come from votes of shared character n-grams
//! (linear in the text), and only a few windows of about the quote's length are aligned.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::labels::LabelId;
use super::model::{Annotation, AnnotationId, CONTEXT_CHARS, Target, TextHash};
use crate::corpus::Corpus;
use crate::num;
use crate::text::{normalize_char, normalize_for_matching};

/// Minimum quote similarity of a fuzzy match.
pub(crate) const MIN_SIMILARITY: f32 = 0.85;
/// Minimum quote similarity of a fuzzy match for a quote under [`SHORT_QUOTE`] characters.
pub(crate) const MIN_SIMILARITY_SHORT: f32 = 0.9;
/// Quotes under this many characters (matching form) are held to the stricter minimum.
pub(crate) const SHORT_QUOTE: usize = 16;
/// Quotes under this many characters need matching context wherever they are found.
pub(crate) const CONTEXT_NEEDED_UNDER: usize = 32;
/// Minimum context similarity where context is needed.
pub(crate) const MIN_CONTEXT: f32 = 0.5;
/// Quotes longer than this (matching form) are only found exactly, never fuzzily.
pub(crate) const MAX_FUZZY_QUOTE: usize = 5000;
/// Number of candidate windows aligned in the fuzzy search (besides the stored position).
const CANDIDATE_WINDOWS: usize = 4;
/// A q-gram occurring more often in the quote only votes from its first occurrences.
const MAX_GRAM_OFFSETS: usize = 4;

/// How an annotation's span was found in the current text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorStatus {
    /// At the stored position, with the same text.
    Exact,
    /// The same text, found elsewhere.
    Moved,
    /// Similar text, found near enough: the user should confirm.
    Fuzzy,
    /// Not found: kept, listed, re-attachable by hand.
    Orphaned,
}

impl AnchorStatus {
    /// The name shown in the UI and the exports.
    pub fn as_str(self) -> &'static str {
        match self {
            AnchorStatus::Exact => "exact",
            AnchorStatus::Moved => "moved",
            AnchorStatus::Fuzzy => "fuzzy",
            AnchorStatus::Orphaned => "orphaned",
        }
    }
}

/// Where a target is in the current text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anchoring {
    /// How it was found.
    pub status: AnchorStatus,
    /// The span in code points of the current text; `None` when orphaned.
    pub span: Option<Range<usize>>,
    /// Similarity (0..=1) of the text found to the stored quote.
    pub similarity: f32,
}

impl Anchoring {
    /// Not found.
    pub(crate) fn orphaned() -> Anchoring {
        Anchoring {
            status: AnchorStatus::Orphaned,
            span: None,
            similarity: 0.0,
        }
    }
}

/// An article's current text prepared for anchoring many targets into it.
#[derive(Debug, Clone)]
pub struct AnchorText<'a> {
    text: &'a str,
    hash: TextHash,
    /// Byte offset of every code point, and the text's length at the end.
    char_bytes: Vec<usize>,
    /// The matching form (see the module doc), one char per kept code point.
    norm: String,
    /// Byte offset in `norm` of every char of it, and its length at the end.
    norm_bytes: Vec<usize>,
    /// The chars of `norm`.
    norm_chars: Vec<char>,
    /// For every char of `norm`, the code point of `text` it stands for.
    norm_to_char: Vec<usize>,
}

fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
    )
}

impl<'a> AnchorText<'a> {
    /// Prepares `text` (an article's canonical text, `Article::body()`).
    pub fn new(text: &'a str) -> AnchorText<'a> {
        let mut char_bytes = Vec::with_capacity(text.len() + 1);
        let mut norm = String::with_capacity(text.len());
        let mut norm_bytes = Vec::with_capacity(text.len() + 1);
        let mut norm_chars = Vec::with_capacity(text.len());
        let mut norm_to_char = Vec::with_capacity(text.len());
        let mut pending_space: Option<usize> = None;
        let mut push = |c: char, at: usize, norm: &mut String| {
            norm_bytes.push(norm.len());
            norm.push(c);
            norm_chars.push(c);
            norm_to_char.push(at);
        };
        for (ci, (b, c)) in text.char_indices().enumerate() {
            char_bytes.push(b);
            if is_dropped(c) {
                continue;
            }
            let n = normalize_char(c);
            if n.is_whitespace() {
                if pending_space.is_none() && !norm.is_empty() {
                    pending_space = Some(ci);
                }
                continue;
            }
            if let Some(at) = pending_space.take() {
                push(' ', at, &mut norm);
            }
            push(n, ci, &mut norm);
        }
        char_bytes.push(text.len());
        norm_bytes.push(norm.len());
        AnchorText {
            text,
            hash: TextHash::of(text),
            char_bytes,
            norm,
            norm_bytes,
            norm_chars,
            norm_to_char,
        }
    }

    /// Length in code points.
    pub(crate) fn char_len(&self) -> usize {
        self.char_bytes.len() - 1
    }

    /// The byte range of a code-point span (clamped to the text).
    pub(crate) fn byte_range(&self, span: Range<usize>) -> Range<usize> {
        let n = self.char_len();
        let s = span.start.min(n);
        let e = span.end.clamp(s, n);
        self.char_bytes[s]..self.char_bytes[e]
    }

    /// The text of a code-point span (clamped to the text).
    pub fn slice(&self, span: Range<usize>) -> &'a str {
        &self.text[self.byte_range(span)]
    }

    /// Finds `target` in this text.
    pub fn anchor(&self, target: &Target) -> Anchoring {
        let stored = target.position.start..target.position.end;
        let stored_ok = stored.start < stored.end && stored.end <= self.char_len();
        // 1. The same text: the stored position stands (whatever the quote holds, even only
        // characters the matching form drops, such as whitespace).
        if stored_ok && target.text_hash == self.hash {
            return found(AnchorStatus::Exact, stored, 1.0);
        }
        let quote = normalize_for_matching(&target.quote.exact);
        if quote.is_empty() {
            return Anchoring::orphaned();
        }
        // 2. The text at the stored position still reads the same.
        if stored_ok && normalize_for_matching(self.slice(stored.clone())) == quote {
            return found(AnchorStatus::Exact, stored, 1.0);
        }
        let q: Vec<char> = quote.chars().collect();
        // 3. The quote found exactly elsewhere.
        if let Some((span, _)) = self.best_exact(target, &quote, q.len()) {
            let status = if span.start == stored.start {
                AnchorStatus::Exact
            } else {
                AnchorStatus::Moved
            };
            return found(status, span, 1.0);
        }
        // 4. A fuzzy match good enough to propose.
        if let Some((span, sim)) = self.best_fuzzy(target, &q) {
            return found(AnchorStatus::Fuzzy, span, sim);
        }
        Anchoring::orphaned()
    }

    /// The best exact (matching-form) occurrence of the quote that passes the acceptance.
    fn best_exact(&self, target: &Target, quote: &str, m: usize) -> Option<(Range<usize>, f32)> {
        let mut best: Option<(Range<usize>, f32, usize)> = None;
        for (b, _) in self.norm.match_indices(quote) {
            let ns = self.norm_bytes.partition_point(|&x| x < b);
            let span = self.norm_span_to_chars(ns..ns + m);
            let ctx = self.context_similarity(target, &span);
            if !accept(1.0, ctx, m) {
                continue;
            }
            let dist = span.start.abs_diff(target.position.start);
            let better = match &best {
                None => true,
                Some((_, bctx, bdist)) => ctx > *bctx || (ctx == *bctx && dist < *bdist),
            };
            if better {
                best = Some((span, ctx, dist));
            }
        }
        best.map(|(s, c, _)| (s, c))
    }

    /// The best fuzzy match that passes the acceptance, with its quote similarity.
    fn best_fuzzy(&self, target: &Target, q: &[char]) -> Option<(Range<usize>, f32)> {
        let m = q.len();
        let min_len = num::usize_of(f64::from((1.0 / (1.0 - MIN_SIMILARITY_SHORT)).ceil()));
        if m < min_len || m > MAX_FUZZY_QUOTE || self.norm_chars.is_empty() {
            return None;
        }
        let stored_norm = self
            .norm_to_char
            .partition_point(|&c| c < target.position.start);
        let mut best: Option<(Range<usize>, f32, f32, usize)> = None;
        for window in self.candidate_windows(q, stored_norm) {
            let w = &self.norm_chars[window.clone()];
            let Some((dist, s, e)) = best_substring(q, w) else {
                continue;
            };
            if s == e {
                continue;
            }
            let (s, e) = (window.start + s, window.start + e);
            let (s, e, dist) = self.bound_match(target, q, s, e, dist);
            let sim = 1.0 - num::f32_of(dist) / num::f32_of(m.max(e - s));
            let span = self.norm_span_to_chars(s..e);
            let ctx = self.context_similarity(target, &span);
            if !accept(sim, ctx, m) {
                continue;
            }
            let score = 0.8 * sim + 0.2 * ctx;
            let d = span.start.abs_diff(target.position.start);
            let better = match &best {
                None => true,
                Some((_, _, bscore, bd)) => score > *bscore || (score == *bscore && d < *bd),
            };
            if better {
                best = Some((span, sim, score, d));
            }
        }
        best.map(|(span, sim, _, _)| (span, sim))
    }

    /// Sets the bounds of a fuzzy match `s..e` (matching form): where the stored context is
    /// found right next to the match, the span runs up to it (an edit at the edge of the
    /// quote is taken whole, and counts in the similarity); elsewhere the span is widened to
    /// whole words where the quote began or ended on a word boundary ("in April", not "in
    /// A"). Returns the new bounds and edit distance.
    fn bound_match(
        &self,
        target: &Target,
        q: &[char],
        s: usize,
        e: usize,
        dist: usize,
    ) -> (usize, usize, usize) {
        let chars = &self.norm_chars;
        let reach = q.len() / 3 + 4;
        let key_len = 12;
        let mut start_fixed = false;
        let mut end_fixed = false;
        let (mut ns, mut ne) = (s, e);
        let prefix: Vec<char> = normalize_for_matching(after_paragraph_break(&target.quote.prefix))
            .chars()
            .collect();
        let prefix_key = &prefix[prefix.len().saturating_sub(key_len)..];
        if prefix_key.len() >= 3 || (!prefix_key.is_empty() && prefix_key.len() == prefix.len()) {
            let lo = s.saturating_sub(reach + prefix_key.len());
            let hi = (s + reach).min(e);
            if let Some(end_of_key) = find_nearest(&chars[lo..hi], prefix_key, s - lo, true) {
                let mut at = lo + end_of_key;
                while at < e && chars[at] == ' ' {
                    at += 1;
                }
                if at < e {
                    ns = at;
                    start_fixed = true;
                }
            }
        }
        let suffix: Vec<char> =
            normalize_for_matching(before_paragraph_break(&target.quote.suffix))
                .chars()
                .collect();
        let suffix_key = &suffix[..suffix.len().min(key_len)];
        if suffix_key.len() >= 3 || (!suffix_key.is_empty() && suffix_key.len() == suffix.len()) {
            let lo = e.saturating_sub(reach).max(ns + 1);
            let hi = (e + reach + suffix_key.len()).min(chars.len());
            if lo < hi
                && let Some(start_of_key) = find_nearest(&chars[lo..hi], suffix_key, e - lo, false)
            {
                let mut at = lo + start_of_key;
                while at > ns + 1 && chars[at - 1] == ' ' {
                    at -= 1;
                }
                ne = at;
                end_fixed = true;
            }
        }
        let word = |c: char| c.is_alphanumeric();
        let starts_word = !start_fixed
            && q.first().is_some_and(|&c| word(c))
            && !target.quote.prefix.chars().next_back().is_some_and(word);
        let ends_word = !end_fixed
            && q.last().is_some_and(|&c| word(c))
            && !target.quote.suffix.chars().next().is_some_and(word);
        let (s, e) = (ns, ne);
        while starts_word
            && ns > 0
            && s - ns < CONTEXT_CHARS
            && word(chars[ns])
            && word(chars[ns - 1])
        {
            ns -= 1;
        }
        while ends_word
            && ne < chars.len()
            && ne - e < CONTEXT_CHARS
            && word(chars[ne - 1])
            && word(chars[ne])
        {
            ne += 1;
        }
        // The matching form of a quote never starts or ends with a space.
        while ne > ns + 1 && chars[ns] == ' ' {
            ns += 1;
        }
        while ne > ns + 1 && chars[ne - 1] == ' ' {
            ne -= 1;
        }
        if !start_fixed && !end_fixed && (ns, ne) == (s, e) {
            return (s, e, dist);
        }
        (ns, ne, levenshtein(q, &chars[ns..ne]))
    }

    /// Windows of the matching form worth aligning the quote against: around the stored
    /// position, and where many of the quote's character n-grams line up on one diagonal.
    fn candidate_windows(&self, q: &[char], stored_norm: usize) -> Vec<Range<usize>> {
        let m = q.len();
        let n_text = self.norm_chars.len();
        let n = if m >= 64 {
            5
        } else if m >= 24 {
            4
        } else {
            3
        };
        let slack = m / 4 + 8;
        let bin_len = (m / 4).max(8);
        let bin = num::i64_from(bin_len);
        let mut windows = vec![window_at(num::i64_from(stored_norm), m, slack, n_text)];
        if m >= n && n_text >= n {
            let mut grams: HashMap<u64, Vec<usize>, GramHasher> = HashMap::default();
            for (j, g) in q.windows(n).enumerate() {
                let offsets = grams.entry(gram_hash(g)).or_default();
                if offsets.len() < MAX_GRAM_OFFSETS {
                    offsets.push(j);
                }
            }
            let mut votes: HashMap<i64, u32> = HashMap::new();
            for (i, g) in self.norm_chars.windows(n).enumerate() {
                if let Some(offsets) = grams.get(&gram_hash(g)) {
                    for &j in offsets {
                        *votes
                            .entry((num::i64_from(i) - num::i64_from(j)).div_euclid(bin))
                            .or_default() += 1;
                    }
                }
            }
            let min_votes = num::u32_of(((m + 1 - n) / 5).max(2));
            let mut ranked: Vec<(i64, u32)> =
                votes.into_iter().filter(|&(_, v)| v >= min_votes).collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for (b, _) in ranked.into_iter().take(CANDIDATE_WINDOWS) {
                let w = window_at(b * bin, m + bin_len, slack, n_text);
                windows.push(w);
            }
        }
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        merged.retain(|w| !w.is_empty());
        merged
    }

    /// Code-point span of a span of the matching form.
    fn norm_span_to_chars(&self, span: Range<usize>) -> Range<usize> {
        let start = self.norm_to_char[span.start];
        let end = self.norm_to_char[span.end - 1] + 1;
        start..end
    }

    /// How well the context around `span` agrees with the target's prefix and suffix, within
    /// the paragraph (0..=1; two paragraph starts, or two paragraph ends, agree fully).
    fn context_similarity(&self, target: &Target, span: &Range<usize>) -> f32 {
        let len = self.char_len();
        let before = self.slice(span.start.saturating_sub(CONTEXT_CHARS)..span.start);
        let after = self.slice(span.end..(span.end + CONTEXT_CHARS).min(len));
        let prefix_sim = side_similarity(
            after_paragraph_break(&target.quote.prefix),
            after_paragraph_break(before),
            true,
        );
        let suffix_sim = side_similarity(
            before_paragraph_break(&target.quote.suffix),
            before_paragraph_break(after),
            false,
        );
        (prefix_sim + suffix_sim) / 2.0
    }
}

/// Finds `target` in `text` (prepare an [`AnchorText`] to anchor many targets in one text).
pub fn anchor_in(target: &Target, text: &str) -> Anchoring {
    AnchorText::new(text).anchor(target)
}

/// Re-anchors every target of `annotations` in the corpus as loaded: one `Vec` per
/// annotation, one [`Anchoring`] per target (orphaned where the article is not in the
/// corpus). Each article's text is prepared once.
pub fn anchor_corpus(corpus: &Corpus, annotations: &[&Annotation]) -> Vec<Vec<Anchoring>> {
    anchor_corpus_with(corpus, annotations, &|i| corpus.articles[i].body())
}

/// [`anchor_corpus`] with the body of article `i` given by `body` (the reader's, whose rows
/// hold no text: it reads the copies filled with it).
pub fn anchor_corpus_with(
    corpus: &Corpus,
    annotations: &[&Annotation],
    body: &dyn Fn(usize) -> String,
) -> Vec<Vec<Anchoring>> {
    let mut bodies: HashMap<usize, String> = HashMap::new();
    for a in annotations {
        for t in &a.targets {
            if let Some(i) = resolve_target(corpus, t) {
                bodies.entry(i).or_insert_with(|| body(i));
            }
        }
    }
    let texts: HashMap<usize, AnchorText<'_>> = bodies
        .iter()
        .map(|(&i, body)| (i, AnchorText::new(body)))
        .collect();
    annotations
        .iter()
        .map(|a| {
            a.targets
                .iter()
                .map(|t| {
                    resolve_target(corpus, t)
                        .and_then(|i| texts.get(&i))
                        .map_or_else(Anchoring::orphaned, |text| text.anchor(t))
                })
                .collect()
        })
        .collect()
}

/// The article of `corpus` that `target` belongs to, None when it is orphaned
/// ([`crate::corpus::identity::resolve`]).
pub fn resolve_target(corpus: &Corpus, target: &Target) -> Option<usize> {
    crate::corpus::identity::resolve(corpus, &target.article, target.key.as_ref())
}

/// One target of an annotation placed in the text shown: what the reader highlights and
/// what `]a` / `[a` step through.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedTarget {
    /// The annotation.
    pub id: AnnotationId,
    /// Which of its targets (0, or 1 for the new side of a change).
    pub target: usize,
    /// Its label (for the colour).
    pub label: LabelId,
    /// Where it stands.
    pub anchoring: Anchoring,
}

/// Places every target of `annotations` that belongs to `article` in `text` (its current
/// canonical text), ordered by position; orphans come last, in creation order.
pub fn place_in_article<'a>(
    annotations: impl IntoIterator<Item = &'a Annotation>,
    article: &crate::corpus::Article,
    text: &AnchorText<'_>,
) -> Vec<PlacedTarget> {
    let mut placed: Vec<PlacedTarget> = annotations
        .into_iter()
        .flat_map(|a| {
            a.targets
                .iter()
                .enumerate()
                .filter(|(_, t)| t.is_in(article))
                .map(|(i, t)| PlacedTarget {
                    id: a.id,
                    target: i,
                    label: a.label.clone(),
                    anchoring: text.anchor(t),
                })
        })
        .collect();
    placed.sort_by_key(|p| {
        p.anchoring
            .span
            .as_ref()
            .map_or((1, 0, 0, p.id), |s| (0, s.start, s.end, p.id))
    });
    placed
}

fn found(status: AnchorStatus, span: Range<usize>, similarity: f32) -> Anchoring {
    Anchoring {
        status,
        span: Some(span),
        similarity,
    }
}

/// The minimum acceptance of a match away from the stored position.
fn accept(sim: f32, ctx: f32, m: usize) -> bool {
    let min_sim = if m < SHORT_QUOTE {
        MIN_SIMILARITY_SHORT
    } else {
        MIN_SIMILARITY
    };
    if sim < min_sim {
        return false;
    }
    if m < CONTEXT_NEEDED_UNDER || sim < 0.95 {
        ctx >= MIN_CONTEXT
    } else {
        true
    }
}

/// The occurrence of `key` in `hay` nearest to `at`: measured from the occurrence's end when
/// `by_end` (returns that end), else from its start (returns that start).
fn find_nearest(hay: &[char], key: &[char], at: usize, by_end: bool) -> Option<usize> {
    if key.is_empty() || hay.len() < key.len() {
        return None;
    }
    hay.windows(key.len())
        .enumerate()
        .filter(|(_, w)| *w == key)
        .map(|(i, _)| if by_end { i + key.len() } else { i })
        .min_by_key(|&p| p.abs_diff(at))
}

fn window_at(start: i64, len: usize, slack: usize, n_text: usize) -> Range<usize> {
    // Clamped to 0..=n_text, so back in usize without loss.
    let n = num::i64_from(n_text);
    let at = |x: i64| usize::try_from(x.clamp(0, n)).unwrap_or(0);
    let s = at(start.saturating_sub(num::i64_from(slack)));
    let e = at(start.saturating_add(num::i64_from(len + slack)));
    s..e.max(s)
}

/// Hashes keys that are already hashes ([`gram_hash`]) with one multiplication: the n-gram
/// lookup runs once per character of the text.
#[derive(Default)]
struct PremixedHasher(u64);

impl Hasher for PremixedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type GramHasher = BuildHasherDefault<PremixedHasher>;

fn gram_hash(g: &[char]) -> u64 {
    g.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &c| {
        (h ^ c as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn after_paragraph_break(s: &str) -> &str {
    s.rfind("\n\n").map_or(s, |i| &s[i + 2..])
}

fn before_paragraph_break(s: &str) -> &str {
    s.find("\n\n").map_or(s, |i| &s[..i])
}

/// Similarity of two context strings; `from_end` compares their ends (a prefix), else their
/// starts (a suffix). The shorter is compared with as much of the longer.
fn side_similarity(stored: &str, found: &str, from_end: bool) -> f32 {
    let a: Vec<char> = normalize_for_matching(stored).chars().collect();
    let b: Vec<char> = normalize_for_matching(found).chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let longest = a.len().max(b.len());
    let dist = levenshtein(
        if from_end {
            &a[a.len().saturating_sub(longest)..]
        } else {
            &a[..]
        },
        &b,
    );
    1.0 - num::f32_of(dist) / num::f32_of(longest)
}

/// Edit distance between two char sequences (small: context strings).
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The substring of `w` closest to `q` by edit distance: (distance, start, end).
fn best_substring(q: &[char], w: &[char]) -> Option<(usize, usize, usize)> {
    if w.is_empty() || q.is_empty() {
        return None;
    }
    let width = w.len() + 1;
    let mut prev: Vec<usize> = vec![0; width];
    let mut prev_start: Vec<usize> = (0..width).collect();
    let mut cur = vec![0; width];
    let mut cur_start = vec![0; width];
    for (j, &qc) in q.iter().enumerate() {
        cur[0] = j + 1;
        cur_start[0] = 0;
        for t in 1..width {
            let mut best = prev[t - 1] + usize::from(qc != w[t - 1]);
            let mut start = prev_start[t - 1];
            if prev[t] + 1 < best {
                best = prev[t] + 1;
                start = prev_start[t];
            }
            if cur[t - 1] + 1 < best {
                best = cur[t - 1] + 1;
                start = cur_start[t - 1];
            }
            cur[t] = best;
            cur_start[t] = start;
        }
        std::mem::swap(&mut prev, &mut cur);
        std::mem::swap(&mut prev_start, &mut cur_start);
    }
    let (end, dist) = prev
        .iter()
        .enumerate()
        .skip(1)
        .min_by_key(|&(t, &d)| (d, t))
        .map(|(t, &d)| (t, d))?;
    Some((dist, prev_start[end], end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::model::Granularity;

    const P1: &str = "The minister, Robin Smith, said the plan to cut rail subsidies would go ahead in March despite protests.";
    const P2: &str =
        "Unions called the decision \"a betrayal\" and promised strikes across the network.";
    const P3: &str = "Later, Robin Jones of the opposition said the figures did not add up.";

    fn text(paras: &[&str]) -> String {
        paras.join("\n\n")
    }

    /// A target on the `nth` occurrence of `quote` in `text`.
    fn target_nth(text: &str, quote: &str, nth: usize) -> Target {
        let b = text.match_indices(quote).nth(nth).unwrap().0;
        Target::from_byte_span("a", "s", text, b..b + quote.len(), Granularity::Span).unwrap()
    }

    fn target_on(text: &str, quote: &str) -> Target {
        target_nth(text, quote, 0)
    }

    fn found_text(new: &str, a: &Anchoring) -> String {
        AnchorText::new(new)
            .slice(a.span.clone().expect("anchored"))
            .to_string()
    }

    #[test]
    fn unchanged_text_is_exact_by_hash() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "said the plan");
        let a = anchor_in(&t, &old);
        assert_eq!(a.status, AnchorStatus::Exact);
        assert_eq!(found_text(&old, &a), "said the plan");
    }

    #[test]
    fn edit_after_the_span_keeps_it_exact() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "said the plan");
        let new = text(&[P1, P2, "Later, a spokesman declined to comment."]);
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Exact);
        assert_eq!(a.span, Some(t.position.start..t.position.end));
    }

    #[test]
    fn edit_before_the_span_moves_it() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "promised strikes across the network");
        let new = text(&[
            &P1.replace("The minister", "The transport minister"),
            P2,
            P3,
        ]);
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Moved);
        assert_eq!(found_text(&new, &a), "promised strikes across the network");
    }

    #[test]
    fn a_short_quote_follows_an_edit_right_before_it() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "Robin Smith");
        let new = text(&[
            &P1.replace("The minister,", "The transport minister,"),
            P2,
            P3,
        ]);
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Moved);
        assert_eq!(found_text(&new, &a), "Robin Smith");
        // Both sides of its context rewritten: a short quote is not trusted any more.
        let new = text(&[
            "Robin Smith resigned on Friday over the rail subsidies row.",
            P2,
            P3,
        ]);
        assert_eq!(anchor_in(&t, &new).status, AnchorStatus::Orphaned);
    }

    #[test]
    fn edit_inside_the_span_is_fuzzy_at_the_same_place() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(
            &old,
            "the plan to cut rail subsidies would go ahead in March",
        );
        let new = text(&[&P1.replace("in March", "in April"), P2, P3]);
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Fuzzy);
        assert!(a.similarity >= 0.85 && a.similarity < 1.0, "{a:?}");
        assert_eq!(
            found_text(&new, &a),
            "the plan to cut rail subsidies would go ahead in April"
        );
    }

    #[test]
    fn a_fuzzy_match_runs_up_to_the_context_and_is_judged_whole() {
        let old = "Rescuers pulled thirty survivors from the cold water, and the search for the missing went on overnight. Officials said.";
        let t = target_on(old, "the search for the missing went on overnight");
        // A word replaced by a longer phrase at the edge: the whole phrase counts, too much.
        let new = old.replace("overnight", "through the night");
        assert_eq!(anchor_in(&t, &new).status, AnchorStatus::Orphaned);
        // A small change at the edge is taken whole.
        let new = old.replace("overnight", "all night");
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Fuzzy);
        assert_eq!(
            found_text(&new, &a),
            "the search for the missing went on all night"
        );
        let new = old.replace("the search for", "a search for");
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Fuzzy);
        assert_eq!(
            found_text(&new, &a),
            "a search for the missing went on overnight"
        );
    }

    #[test]
    fn deleting_the_span_orphans_it() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "promised strikes across the network");
        let new = text(&[P1, "Unions called the decision \"a betrayal\".", P3]);
        assert_eq!(anchor_in(&t, &new), Anchoring::orphaned());
        let gone = text(&[P1, P3]);
        assert_eq!(anchor_in(&t, &gone).status, AnchorStatus::Orphaned);
    }

    #[test]
    fn moving_its_paragraph_moves_it() {
        let old = text(&[P1, P2, P3]);
        let whole = target_on(&old, P2);
        let part = target_on(&old, "a betrayal");
        let new = text(&[P2, P3, P1]);
        let a = anchor_in(&whole, &new);
        assert_eq!(a.status, AnchorStatus::Moved);
        assert_eq!(a.span, Some(0..P2.chars().count()));
        let b = anchor_in(&part, &new);
        assert_eq!(b.status, AnchorStatus::Moved);
        assert_eq!(found_text(&new, &b), "a betrayal");
    }

    const LA1: &str = "Treasury balances at the Federal Reserve rose to 3.5 billion dlrs on March 30, the Treasury said.";
    const LA2: &str = "Treasury balances at the Federal Reserve rose to 4.1 billion dlrs on March 31, the Treasury said.";

    #[test]
    fn look_alike_paragraphs_keep_the_right_one() {
        let old = text(&[P1, LA1, LA2]);
        // A quote present in both look-alikes: context picks the first after an edit before.
        let t = target_on(&old, "Treasury balances at the Federal Reserve rose to 3.5");
        let new = text(&[&P1.replace("minister", "transport minister"), LA1, LA2]);
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Moved);
        let expected = new.find(LA1).unwrap();
        assert_eq!(
            AnchorText::new(&new)
                .byte_range(a.span.clone().unwrap())
                .start,
            expected
        );
        // The second one's annotation stays on it when the first is edited.
        let second = target_nth(&old, "the Treasury said.", 1);
        let new2 = text(&[P1, &LA1.replace("the Treasury said", "officials said"), LA2]);
        let b = anchor_in(&second, &new2);
        assert_eq!(
            AnchorText::new(&new2).byte_range(b.span.unwrap()).start,
            new2.rfind("the Treasury said.").unwrap()
        );
    }

    #[test]
    fn a_deleted_paragraph_never_silently_jumps_to_its_look_alike() {
        let old = text(&[P1, LA1, LA2]);
        let t = target_on(&old, "3.5 billion dlrs on March 30");
        let new = text(&[P1, LA2]);
        let a = anchor_in(&t, &new);
        assert!(
            matches!(a.status, AnchorStatus::Orphaned | AnchorStatus::Fuzzy),
            "{a:?}"
        );
        let short = target_on(&old, "March 30");
        assert_eq!(anchor_in(&short, &new).status, AnchorStatus::Orphaned);
    }

    #[test]
    fn a_corrected_name_does_not_jump_to_another_robin() {
        let old = text(&[P1, P2, P3]);
        let new = text(&[&P1.replace("Robin Smith", "Elisa Smith"), P2, P3]);
        let name = target_on(&old, "Robin");
        assert_eq!(anchor_in(&name, &new), Anchoring::orphaned());
        let full = target_on(&old, "Robin Smith");
        assert_eq!(anchor_in(&full, &new).status, AnchorStatus::Orphaned);
        // With an edit before it too, so the stored position no longer holds.
        let new2 = text(&[
            &P1.replace("The minister, Robin", "The new minister, Elisa"),
            P2,
            P3,
        ]);
        assert_eq!(anchor_in(&name, &new2).status, AnchorStatus::Orphaned);
        // A longer quote around the name is proposed where it was, never on the other Robin.
        let long = target_on(&old, "Robin Smith, said the plan to cut rail subsidies");
        let a = anchor_in(&long, &new2);
        assert_eq!(a.status, AnchorStatus::Fuzzy);
        assert_eq!(
            found_text(&new2, &a),
            "Elisa Smith, said the plan to cut rail subsidies"
        );
    }

    #[test]
    fn emoji_and_cjk_before_the_span_count_as_code_points() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "promised strikes");
        let new = text(&[&format!("😀🇬🇧 東京で {P1}"), P2, P3]);
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Moved);
        let span = a.span.clone().unwrap();
        assert_eq!(
            span.start,
            t.position.start + "😀🇬🇧 東京で ".chars().count()
        );
        let by_chars: String = new
            .chars()
            .skip(span.start)
            .take(span.end - span.start)
            .collect();
        assert_eq!(by_chars, "promised strikes");
    }

    #[test]
    fn quote_style_only_changes_do_not_count() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "called the decision \"a betrayal\" and");
        let curly = text(&[
            P1,
            &P2.replace("\"a betrayal\"", "\u{201C}a betrayal\u{201D}"),
            P3,
        ]);
        let a = anchor_in(&t, &curly);
        assert_eq!(a.status, AnchorStatus::Exact);
        let shifted = format!("Updated:\n\n{curly}");
        let b = anchor_in(&t, &shifted);
        assert_eq!(b.status, AnchorStatus::Moved);
        assert_eq!(
            found_text(&shifted, &b),
            "called the decision \u{201C}a betrayal\u{201D} and"
        );
    }

    #[test]
    fn reflowed_whitespace_is_not_a_change() {
        let old = text(&[P1, P2, P3]);
        let t = target_on(&old, "would go ahead in March");
        let new = text(&[&P1.replace("go ahead", "go\u{00A0} ahead"), P2, P3]);
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Exact);
        assert_eq!(found_text(&new, &a), "would go\u{00A0} ahead in March");
    }

    #[test]
    fn fuzzy_search_finds_an_edited_quote_far_away_in_a_long_text() {
        let filler: Vec<String> = (0..400)
            .map(|i| format!("Paragraph {i} says nothing of note about item {i}."))
            .collect();
        let mut paras: Vec<&str> = filler.iter().map(String::as_str).collect();
        paras.insert(10, P2);
        let old = paras.join("\n\n");
        let t = target_on(&old, P2);
        paras.remove(10);
        let edited = P2.replace("promised strikes", "promised more strikes");
        paras.insert(300, &edited);
        let new = paras.join("\n\n");
        let a = anchor_in(&t, &new);
        assert_eq!(a.status, AnchorStatus::Fuzzy);
        assert_eq!(found_text(&new, &a), edited);
    }

    #[test]
    fn garbage_positions_never_panic() {
        let old = text(&[P1]);
        let mut t = target_on(&old, "Robin Smith");
        t.position.start = 10_000;
        t.position.end = 9_000;
        let a = anchor_in(&t, &old);
        assert_eq!(a.status, AnchorStatus::Moved);
        assert_eq!(anchor_in(&t, "").status, AnchorStatus::Orphaned);
        t.quote.exact = " \u{200B} ".into();
        assert_eq!(anchor_in(&t, &old).status, AnchorStatus::Orphaned);
    }

    #[test]
    fn targets_are_placed_in_text_order_with_orphans_last() {
        use crate::annotate::model::Timestamp;
        let old = text(&[P1, P2, P3]);
        let new = text(&[P1, P3]);
        let make = |quote: &str, article: &str| {
            let b = old.find(quote).unwrap();
            let t =
                Target::from_byte_span(article, "s", &old, b..b + quote.len(), Granularity::Span)
                    .unwrap();
            Annotation::new(
                vec![t],
                "reworded".into(),
                None,
                "u",
                Timestamp::from_unix(0),
            )
            .unwrap()
        };
        let later = make("Robin Jones", "a");
        let gone = make("promised strikes", "a");
        let first = make("The minister", "a");
        let elsewhere = make("Robin Smith", "b");
        let all = [later.clone(), gone.clone(), first.clone(), elsewhere];
        let article = crate::corpus::Article {
            id: "a".into(),
            ..Default::default()
        };
        let placed = place_in_article(&all, &article, &AnchorText::new(&new));
        let ids: Vec<AnnotationId> = placed.iter().map(|p| p.id).collect();
        assert_eq!(ids, vec![first.id, later.id, gone.id]);
        assert_eq!(placed[2].anchoring.status, AnchorStatus::Orphaned);
    }

    #[test]
    fn random_edits_never_panic_and_what_is_found_is_sound() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % u64::try_from(n.max(1)).unwrap()).unwrap()
        };
        let pieces = [
            "Robin", " said", " the", " plan", ".", "\n\n", " 東京", "😀", "e\u{301}", "\u{201C}",
            "\u{201D}", " ", "\u{00A0}", "\u{200B}", "12", " March", ",", "\u{202E}",
        ];
        for _ in 0..400 {
            let old: String = (0..next(60) + 1)
                .map(|_| pieces[next(pieces.len())])
                .collect();
            let len = old.chars().count();
            let start = next(len);
            let end = start + 1 + next(len - start);
            let t = Target::from_char_span("a", "s", &old, start..end, Granularity::Span).unwrap();
            let mut new: Vec<char> = old.chars().collect();
            for _ in 0..next(4) {
                let at = next(new.len() + 1);
                match next(3) {
                    0 if at < new.len() => {
                        new.remove(at);
                    }
                    1 => new
                        .splice(at..at, pieces[next(pieces.len())].chars())
                        .for_each(drop),
                    _ => {}
                }
            }
            let new: String = new.into_iter().collect();
            let text = AnchorText::new(&new);
            let a = text.anchor(&t);
            let qn = normalize_for_matching(&t.quote.exact);
            match (a.status, a.span.clone()) {
                (AnchorStatus::Exact | AnchorStatus::Moved, Some(span)) => {
                    assert!(span.end <= text.char_len());
                    assert_eq!(
                        normalize_for_matching(text.slice(span)),
                        qn,
                        "{old:?} -> {new:?}"
                    );
                }
                (AnchorStatus::Fuzzy, Some(span)) => {
                    assert!(span.start < span.end && span.end <= text.char_len());
                    assert!(a.similarity >= MIN_SIMILARITY);
                }
                (AnchorStatus::Orphaned, None) => {}
                other => panic!("inconsistent {other:?}"),
            }
        }
    }

    #[test]
    fn best_substring_finds_the_closest_window() {
        let q: Vec<char> = "abcdef".chars().collect();
        let w: Vec<char> = "xxabcXefyy".chars().collect();
        assert_eq!(best_substring(&q, &w), Some((1, 2, 8)));
    }
}
