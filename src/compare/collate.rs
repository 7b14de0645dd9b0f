//! Collation: many versions of one report aligned at once into a table of readings.
//!
//! Rows are readings (a sentence and its variants across versions, in a consensus order);
//! columns are versions ordered by date, undated versions after the dated ones. Each cell is
//! the row's base reading (the text of the earliest version carrying it), a variant, or absent.
//!
//! The table is built from the pairwise sentence alignments of every pair of versions (the same
//! alignment [`super::Comparison::new`] uses), merged through shared sentences: two cells sit in
//! one row only when the pairwise alignment of their versions pairs exactly those sentences, so
//! the pairwise alignment read from the table ([`Collation::pairwise`]) equals the pairwise
//! comparison. Where pairwise alignments are not transitive (A≈B and B≈C, but A and C too far
//! apart to pair), the stronger links are kept and the pairwise links the table cannot show are
//! listed in [`Collation::disagreements`].
//!
//! ```
//! use stet::compare::collate::{collate, CellState, VersionInput};
//! let v1 = vec!["The ferry sank on Monday night. At least twelve people died in the storm."
//!     .to_string()];
//! let v2 = vec!["The ferry sank on Monday night. At least fourteen people died in the storm. \
//!     Divers searched the lake."
//!     .to_string()];
//! let c = collate(&[VersionInput::new("v1", &v1), VersionInput::new("v2", &v2)]);
//! assert_eq!(c.readings.len(), 3);
//! assert_eq!(c.readings[0].cells[1].state, CellState::Same);
//! assert_eq!(c.readings[1].cells[1].state, CellState::Changed);
//! assert_eq!(c.readings[2].cells[0].state, CellState::Absent);
//! assert!(c.disagreements.is_empty());
//! ```
//!
//! Pure: no terminal code.

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::align::{self, Group, Prepared, SentenceAlignment};
use super::segment::{self, Sentence};
use super::words::{self, WordDiff};

/// One version given to [`collate`]: its identity, date and cleaned paragraphs.
#[derive(Debug, Clone, Copy)]
pub struct VersionInput<'a> {
    /// The article id.
    pub id: &'a str,
    /// The outlet.
    pub source: &'a str,
    /// The headline.
    pub title: &'a str,
    /// The date as shown (ISO 8601 when parsed), if any.
    pub date: Option<&'a str>,
    /// Seconds since the Unix epoch, when the date could be parsed: what versions are ordered by.
    pub timestamp: Option<i64>,
    /// The cleaned body.
    pub paragraphs: &'a [String],
}

impl<'a> VersionInput<'a> {
    /// An undated version with only an id and a body.
    pub fn new(id: &'a str, paragraphs: &'a [String]) -> Self {
        VersionInput {
            id,
            source: "",
            title: "",
            date: None,
            timestamp: None,
            paragraphs,
        }
    }

    /// The version of a loaded article.
    pub(crate) fn from_article(article: &'a crate::corpus::Article) -> Self {
        VersionInput {
            id: &article.id,
            source: &article.source,
            title: &article.title,
            date: article.date.as_deref(),
            timestamp: article.timestamp,
            paragraphs: &article.paragraphs,
        }
    }

    /// The same version with a date.
    pub fn dated(mut self, date: &'a str, timestamp: i64) -> Self {
        self.date = Some(date);
        self.timestamp = Some(timestamp);
        self
    }
}

/// How a cell stands to its row's base reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellState {
    /// Identical to the base reading (after normalising quotes, dashes, whitespace and case).
    Same,
    /// A variant of the base reading (reworded, split or merged).
    Changed,
    /// The version does not carry this reading.
    Absent,
}

/// One version's part of a reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Same, changed or absent.
    pub state: CellState,
    /// Out of order relative to the base reading's version (as the pairwise diff marks moves).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub moved: bool,
    /// The version's sentences in this reading (indices into [`Collation::sentences`]); empty
    /// when absent, two for a split.
    #[serde(skip)]
    pub sentences: Range<usize>,
    /// The version's text of the reading (sentences joined by a space); empty when absent.
    pub text: String,
}

/// One row: a sentence and its variants across the versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// Column of the earliest version carrying it: its text is the base reading.
    pub base: usize,
    /// One cell per version, in column order.
    pub cells: Vec<Cell>,
    /// Pairs of columns (`p < q`) whose cells here the pairwise diff does not pair: the
    /// reading links them through other versions' variants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unlinked: Vec<(usize, usize)>,
}

impl Reading {
    /// The base reading's text.
    pub fn base_text(&self) -> &str {
        self.cells.get(self.base).map_or("", |c| c.text.as_str())
    }

    #[cfg(test)]
    /// Number of versions carrying this reading.
    pub(crate) fn present(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| c.state != CellState::Absent)
            .count()
    }
}

/// One version (column) of the collation, with its provenance figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionInfo {
    /// The article id.
    pub id: String,
    /// The outlet.
    pub source: String,
    /// The headline.
    pub title: String,
    /// The date, if any.
    pub date: Option<String>,
    /// Ordered after the dated versions because it has no (parsable) date.
    pub undated: bool,
    /// Seconds since the Unix epoch, when dated.
    #[serde(skip)]
    pub timestamp: Option<i64>,
    /// Position of the version in the input given to [`collate`].
    #[serde(skip)]
    pub input: usize,
    /// Words (tokens with a letter or digit) in the version.
    pub words: usize,
    /// Words carried over from earlier versions (identical or in changed sentences).
    pub carried: usize,
    /// Share of its words carried over from earlier versions (0 for the first version).
    pub reuse: f64,
    /// Readings it is the first to carry (indices into [`Collation::readings`]).
    pub added: Vec<usize>,
    /// Readings an earlier version carries that it does not.
    pub cut: Vec<usize>,
    /// Readings it carries worded differently from every earlier version carrying them.
    pub changed: Vec<usize>,
    /// For each of its sentences, the column of the earliest version carrying it (identical or
    /// changed); its own column for sentences it added.
    pub origins: Vec<usize>,
    /// For each of its sentences, the reading showing it.
    #[serde(skip)]
    pub reading_of: Vec<usize>,
}

#[cfg(test)]
/// An aligned group of a pair read from the table: sentences of each side (empty for a
/// sentence only one side has) and whether they are identical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PairGroup {
    /// Sentences of the first version.
    pub a: Range<usize>,
    /// Sentences of the second version.
    pub b: Range<usize>,
    /// Identical after normalising.
    pub equal: bool,
}

#[cfg(test)]
impl PairGroup {
    /// Orders groups by their first side's sentences, then the second's.
    pub(crate) fn sort_key(&self) -> (usize, usize, usize, usize) {
        (self.a.start, self.a.end, self.b.start, self.b.end)
    }
}

/// A link of a pairwise alignment that the table does not show (the pairwise alignments were
/// not transitive there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// Column of the first version.
    pub a_version: usize,
    /// Column of the second version.
    pub b_version: usize,
    /// Its sentences in the first version.
    pub a: Range<usize>,
    /// Its sentences in the second version.
    pub b: Range<usize>,
}

/// The collation of a story's versions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collation {
    /// The versions, in column order (by date, undated last).
    pub versions: Vec<VersionInfo>,
    /// The readings, in consensus order.
    pub readings: Vec<Reading>,
    /// Pairwise links the table cannot show (empty when the alignments are transitive).
    pub disagreements: Vec<Disagreement>,
    /// Each version's sentences, in column order.
    pub sentences: Vec<Vec<Sentence>>,
    /// Pairwise alignments, `pairs[i][j - i - 1]` for columns `i < j`.
    pairs: Vec<Vec<SentenceAlignment>>,
}

/// Orders versions by date, undated ones after the dated ones, keeping the input order among
/// equals: returns input indices in column order.
pub(crate) fn version_order(inputs: &[VersionInput<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| (inputs[i].timestamp.is_none(), inputs[i].timestamp));
    order
}

/// Collates the versions of one story.
pub fn collate(inputs: &[VersionInput<'_>]) -> Collation {
    // Never stopped, so always a collation.
    collate_until(inputs, &|| false).unwrap_or_default()
}

/// [`collate`], giving up (None) as soon as `stop` says so: it is asked while the versions
/// are segmented (after every [`segment::CHECK_EVERY_BYTES`] of text) and before each pairwise
/// alignment, so a background collation that is no longer wanted stops within one pair.
pub(crate) fn collate_until(
    inputs: &[VersionInput<'_>],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Collation> {
    collate_with(inputs, stop, &|_, _| {})
}

/// [`collate_until`], telling `progress` (pairs aligned, pairs) after each pair of versions is
/// aligned (the pairs are aligned in parallel: the calls come from several threads, each with
/// a count one higher).
pub(crate) fn collate_with(
    inputs: &[VersionInput<'_>],
    stop: &(dyn Fn() -> bool + Sync),
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Option<Collation> {
    let order = version_order(inputs);
    let n = order.len();
    let mut sentences: Vec<Vec<Sentence>> = Vec::with_capacity(n);
    let mut prepared: Vec<Vec<Prepared>> = Vec::with_capacity(n);
    // One check for every version: a story of many long versions is given up within
    // [`segment::CHECK_EVERY_BYTES`] of text.
    let mut check = segment::Check::new(stop);
    for &i in &order {
        let (seg, prep) = super::segment_and_prepare(inputs[i].paragraphs, &mut check)?;
        prepared.push(prep);
        sentences.push(seg.sentences);
    }
    let refs: Vec<Vec<&Prepared>> = prepared.iter().map(|p| p.iter().collect()).collect();
    let total = n * n.saturating_sub(1) / 2;
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress(0, total);
    // The pairwise alignments are independent: computed in parallel.
    let pairs: Vec<Vec<SentenceAlignment>> = (0..n)
        .into_par_iter()
        .map(|i| {
            (i + 1..n)
                .map(|j| {
                    if stop() {
                        return None;
                    }
                    let al = align::align_until(&refs[i], &refs[j], stop)?;
                    let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress(d, total);
                    Some(al)
                })
                .collect::<Option<Vec<_>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    let lens: Vec<usize> = sentences.iter().map(Vec::len).collect();
    let table = Table {
        lens: &lens,
        pairs: &pairs,
    };
    let (clusters, unlinked) = table.cluster();
    let rows = table.order_rows(&clusters);

    let mut c = Collation {
        versions: Vec::with_capacity(n),
        readings: Vec::with_capacity(rows.len()),
        disagreements: Vec::new(),
        sentences,
        pairs,
    };
    c.fill(inputs, &order, &clusters, &unlinked, &rows, &prepared);
    Some(c)
}

/// A cell holds at most this many sentences (a sentence split in two, or two merged).
const MAX_CELL_SENTENCES: usize = 2;

/// The cells of one row while clustering: (column, sentence range), sorted by column.
type Cells = Vec<(usize, Range<usize>)>;

struct Table<'a> {
    lens: &'a [usize],
    pairs: &'a [Vec<SentenceAlignment>],
}

impl Table<'_> {
    fn pair(&self, i: usize, j: usize) -> &SentenceAlignment {
        &self.pairs[i][j - i - 1]
    }

    /// True when the pairwise alignment of columns `p < q` has exactly the group (`rp`, `rq`).
    fn is_group(&self, p: usize, rp: &Range<usize>, q: usize, rq: &Range<usize>) -> bool {
        let al = self.pair(p, q);
        al.a_group
            .get(rp.start)
            .copied()
            .flatten()
            .is_some_and(|g| al.groups[g].a == *rp && al.groups[g].b == *rq)
    }

    /// True when the cells `rp` of column `p` and `rq` of column `q` (`p < q`) are what their
    /// pairwise alignment has: one group, or for two sentences on each side two groups in order
    /// (a sentence split or merged the same way in both).
    fn is_consistent(&self, p: usize, rp: &Range<usize>, q: usize, rq: &Range<usize>) -> bool {
        if rp.len() == 2 && rq.len() == 2 {
            (0..2).all(|k| {
                self.is_group(
                    p,
                    &(rp.start + k..rp.start + k + 1),
                    q,
                    &(rq.start + k..rq.start + k + 1),
                )
            })
        } else {
            self.is_group(p, rp, q, rq)
        }
    }

    /// True when none of the sentences `rp` of column `p` and `rq` of column `q` (`p < q`) is
    /// paired with anything in their pairwise alignment: they can share a row (through other
    /// versions) with the pair read as one sentence removed and one added.
    fn is_unpaired(&self, p: usize, rp: &Range<usize>, q: usize, rq: &Range<usize>) -> bool {
        let al = self.pair(p, q);
        rp.clone()
            .all(|s| al.a_group.get(s).is_some_and(Option::is_none))
            && rq
                .clone()
                .all(|s| al.b_group.get(s).is_some_and(Option::is_none))
    }

    /// Groups sentences into rows: pairwise groups merged strongest first, a merge kept only
    /// when every pair of versions in the merged row is a group of their pairwise alignment.
    fn cluster(&self) -> (Vec<Cells>, Vec<Vec<(usize, usize)>>) {
        let n = self.lens.len();
        let mut offset = vec![0usize; n + 1];
        for v in 0..n {
            offset[v + 1] = offset[v] + self.lens[v];
        }
        let total = offset[n];
        let mut cluster_of: Vec<usize> = (0..total).collect();
        let mut clusters: Vec<Cells> = Vec::with_capacity(total);
        // For each row, the pairs of its columns that the pairwise alignment leaves unpaired.
        let mut unlinked: Vec<Vec<(usize, usize)>> = vec![Vec::new(); total];
        let mut new_unlinked: Vec<(usize, usize)> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::with_capacity(total);
        for (v, &len) in self.lens.iter().enumerate() {
            for s in 0..len {
                clusters.push(vec![(v, s..s + 1)]);
                members.push(vec![offset[v] + s]);
            }
        }

        struct Edge<'g> {
            i: usize,
            j: usize,
            g: &'g Group,
        }
        let mut edges: Vec<Edge<'_>> = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                for g in &self.pair(i, j).groups {
                    edges.push(Edge { i, j, g });
                }
            }
        }
        edges.sort_by(|x, y| {
            y.g.equal
                .cmp(&x.g.equal)
                .then(y.g.similarity.total_cmp(&x.g.similarity))
                .then((x.j - x.i).cmp(&(y.j - y.i)))
                .then(x.i.cmp(&y.i))
                .then(x.j.cmp(&y.j))
                .then(x.g.a.start.cmp(&y.g.a.start))
        });

        let mut roots: Vec<usize> = Vec::new();
        let mut merged: Vec<(usize, Range<usize>, Option<usize>)> = Vec::new();
        for e in &edges {
            roots.clear();
            for s in e.g.a.clone() {
                roots.push(cluster_of[offset[e.i] + s]);
            }
            for s in e.g.b.clone() {
                roots.push(cluster_of[offset[e.j] + s]);
            }
            roots.sort_unstable();
            roots.dedup();
            if roots.len() < 2 {
                continue;
            }
            // The merged cells, each with the cluster it comes from whole (None when combined).
            merged.clear();
            for &r in &roots {
                for (v, range) in &clusters[r] {
                    merged.push((*v, range.clone(), Some(r)));
                }
            }
            merged.sort_by_key(|(v, r, _)| (*v, r.start));
            let mut ok = true;
            let mut k = 0;
            while k + 1 < merged.len() {
                if merged[k].0 == merged[k + 1].0 {
                    if merged[k].1.end != merged[k + 1].1.start {
                        ok = false;
                        break;
                    }
                    let end = merged[k + 1].1.end;
                    merged[k].1.end = end;
                    merged[k].2 = None;
                    merged.remove(k + 1);
                } else {
                    k += 1;
                }
            }
            if !ok {
                continue;
            }
            // Pairs within one merged cluster keep their status; the others are checked.
            new_unlinked.clear();
            for &r in &roots {
                for &(p, q) in &unlinked[r] {
                    let whole = |v: usize| {
                        merged
                            .iter()
                            .find(|(w, _, _)| *w == v)
                            .is_some_and(|(_, _, o)| *o == Some(r))
                    };
                    if whole(p) && whole(q) {
                        new_unlinked.push((p, q));
                    }
                }
            }
            'check: for x in 0..merged.len() {
                for y in x + 1..merged.len() {
                    let (p, rp, op) = &merged[x];
                    let (q, rq, oq) = &merged[y];
                    if op.is_some() && op == oq {
                        continue;
                    }
                    if rp.len() > MAX_CELL_SENTENCES || rq.len() > MAX_CELL_SENTENCES {
                        ok = false;
                        break 'check;
                    }
                    if self.is_consistent(*p, rp, *q, rq) {
                        continue;
                    }
                    if self.is_unpaired(*p, rp, *q, rq) {
                        new_unlinked.push((*p, *q));
                        continue;
                    }
                    ok = false;
                    break 'check;
                }
            }
            if !ok {
                continue;
            }
            let target = roots
                .iter()
                .copied()
                .max_by_key(|&r| (members[r].len(), std::cmp::Reverse(r)))
                .unwrap_or(roots[0]);
            for &r in &roots {
                if r == target {
                    continue;
                }
                let moved = std::mem::take(&mut members[r]);
                for &node in &moved {
                    cluster_of[node] = target;
                }
                members[target].extend(moved);
                clusters[r].clear();
                unlinked[r].clear();
            }
            clusters[target] = merged.iter().map(|(v, r, _)| (*v, r.clone())).collect();
            new_unlinked.sort_unstable();
            unlinked[target].clone_from(&new_unlinked);
        }
        let mut rows = Vec::with_capacity(clusters.len());
        let mut row_unlinked = Vec::with_capacity(clusters.len());
        for (c, u) in clusters.into_iter().zip(unlinked) {
            if !c.is_empty() {
                rows.push(c);
                row_unlinked.push(u);
            }
        }
        (rows, row_unlinked)
    }

    /// The consensus order of the rows: the first version's order, then each later version's
    /// new rows inserted after the row of its previous sentence.
    fn order_rows(&self, clusters: &[Cells]) -> Vec<usize> {
        let n = self.lens.len();
        // For each column, its sentences' rows in reading order.
        let mut row_of: Vec<Vec<usize>> = self.lens.iter().map(|&l| vec![0; l]).collect();
        for (r, cells) in clusters.iter().enumerate() {
            for (v, range) in cells {
                for s in range.clone() {
                    row_of[*v][s] = r;
                }
            }
        }
        // The column that placed each row (usize::MAX: not yet placed).
        let mut placed = vec![usize::MAX; clusters.len()];
        let mut order: Vec<usize> = Vec::with_capacity(clusters.len());
        // before[r]: rows to insert just before row r; before[len]: rows to put at the end.
        // New rows go before the next row the version shares with earlier ones (so after the
        // rows it cut there, as the pairwise diff shows removed sentences before added ones).
        let end = clusters.len();
        let mut before: Vec<Vec<usize>> = vec![Vec::new(); end + 1];
        for (v, rows) in row_of.iter().enumerate().take(n) {
            let mut anchor = end;
            let mut any_new = false;
            for &r in rows.iter().rev() {
                if placed[r] == usize::MAX {
                    placed[r] = v;
                    before[anchor].push(r);
                    any_new = true;
                } else if placed[r] != v {
                    anchor = r;
                }
            }
            if !any_new {
                continue;
            }
            let mut next = Vec::with_capacity(order.len() + 8);
            for &r in &order {
                next.extend(before[r].drain(..).rev());
                next.push(r);
            }
            next.extend(before[end].drain(..).rev());
            order = next;
        }
        order
    }
}

fn joined(sents: &[Sentence], r: Range<usize>) -> String {
    let mut s = String::new();
    for x in &sents[r] {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&x.text);
    }
    s
}

#[cfg(test)]
/// Hash of a text's matching form (as the pairwise alignment pairs identical sentences).
fn text_key(text: &str) -> u64 {
    align::prepare(segment::words(text)).key
}

fn word_count(p: &[Prepared], r: Range<usize>) -> usize {
    p[r].iter()
        .map(|s| s.words.iter().filter(|w| w.is_word()).count())
        .sum()
}

/// How two cells of a reading pair in their versions' pairwise alignment.
struct Relation {
    equal: bool,
    similarity: f32,
    moved: bool,
}

impl Collation {
    /// Number of versions (columns).
    pub fn width(&self) -> usize {
        self.versions.len()
    }

    /// The pairwise group of columns `p` and `q` (any order) holding sentence `s` of `p`.
    fn group_of(&self, p: usize, s: usize, q: usize) -> Option<(&Group, bool)> {
        if p < q {
            let al = &self.pairs[p][q - p - 1];
            let g = al.a_group.get(s).copied().flatten()?;
            Some((&al.groups[g], false))
        } else {
            let al = &self.pairs[q][p - q - 1];
            let g = al.b_group.get(s).copied().flatten()?;
            Some((&al.groups[g], true))
        }
    }

    /// How the cells `rp` of column `p` and `rq` of column `q` pair in their pairwise
    /// alignment (cells of two sentences each pair sentence by sentence).
    fn relation(
        &self,
        p: usize,
        rp: &Range<usize>,
        q: usize,
        rq: &Range<usize>,
    ) -> Option<Relation> {
        let (g, _) = self.group_of(p, rp.start, q)?;
        let mut rel = Relation {
            equal: g.equal,
            similarity: g.similarity,
            moved: g.moved,
        };
        if rp.len() == 2 && rq.len() == 2 {
            let (g2, _) = self.group_of(p, rp.start + 1, q)?;
            rel.equal &= g2.equal;
            rel.similarity = rel.similarity.min(g2.similarity);
        }
        Some(rel)
    }

    fn fill(
        &mut self,
        inputs: &[VersionInput<'_>],
        order: &[usize],
        clusters: &[Cells],
        unlinked: &[Vec<(usize, usize)>],
        rows: &[usize],
        prepared: &[Vec<Prepared>],
    ) {
        let n = order.len();
        for (col, &i) in order.iter().enumerate() {
            let inp = &inputs[i];
            self.versions.push(VersionInfo {
                id: inp.id.to_string(),
                source: inp.source.to_string(),
                title: inp.title.to_string(),
                date: inp.date.map(str::to_string),
                undated: inp.timestamp.is_none(),
                timestamp: inp.timestamp,
                input: i,
                words: word_count(&prepared[col], 0..prepared[col].len()),
                carried: 0,
                reuse: 0.0,
                added: Vec::new(),
                cut: Vec::new(),
                changed: Vec::new(),
                origins: vec![col; self.sentences[col].len()],
                reading_of: vec![0; self.sentences[col].len()],
            });
        }
        for (ri, &r) in rows.iter().enumerate() {
            let cells = &clusters[r];
            let base = cells.first().map_or(0, |(v, _)| *v);
            let base_range = cells.first().map_or(0..0, |(_, rg)| rg.clone());
            let mut out: Vec<Cell> = (0..n)
                .map(|_| Cell {
                    state: CellState::Absent,
                    moved: false,
                    sentences: 0..0,
                    text: String::new(),
                })
                .collect();
            for (v, range) in cells {
                let (state, moved) = if *v == base {
                    (CellState::Same, false)
                } else {
                    match self.relation(base, &base_range, *v, range) {
                        Some(rel) if rel.equal => (CellState::Same, rel.moved),
                        Some(rel) => (CellState::Changed, rel.moved),
                        None => (CellState::Changed, false),
                    }
                };
                out[*v] = Cell {
                    state,
                    moved,
                    sentences: range.clone(),
                    text: joined(&self.sentences[*v], range.clone()),
                };
                for s in range.clone() {
                    self.versions[*v].origins[s] = base;
                    self.versions[*v].reading_of[s] = ri;
                }
            }
            // Provenance: added, cut, changed, carried words.
            let mut seen_before = false;
            for (v, cell) in out.iter().enumerate() {
                if cell.state == CellState::Absent {
                    if seen_before {
                        self.versions[v].cut.push(ri);
                    }
                    continue;
                }
                if !seen_before {
                    self.versions[v].added.push(ri);
                    seen_before = true;
                    continue;
                }
                // The best earlier cell: identical if any, else the most similar.
                let mut best: Option<(bool, f32, usize)> = None;
                for (u, earlier) in out.iter().enumerate().take(v) {
                    if earlier.state == CellState::Absent {
                        continue;
                    }
                    if let Some(rel) = self.relation(u, &earlier.sentences, v, &cell.sentences) {
                        let key = (rel.equal, rel.similarity, u);
                        if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                            best = Some(key);
                        }
                    }
                }
                let carried = match best {
                    Some((true, _, _)) => word_count(&prepared[v], cell.sentences.clone()),
                    Some((false, _, u)) => {
                        self.versions[v].changed.push(ri);
                        let ta = &out[u].text;
                        let tb = &cell.text;
                        words::diff_words(ta, &segment::words(ta), tb, &segment::words(tb)).carried
                    }
                    None => {
                        // Linked to earlier versions only through later ones' variants.
                        self.versions[v].changed.push(ri);
                        0
                    }
                };
                self.versions[v].carried += carried;
            }
            self.readings.push(Reading {
                base,
                cells: out,
                unlinked: unlinked[r].clone(),
            });
        }
        // Counts of words, far below 2^52.
        #[allow(clippy::cast_precision_loss)]
        for v in &mut self.versions {
            v.reuse = if v.words == 0 {
                0.0
            } else {
                v.carried as f64 / v.words as f64
            };
        }
        // Pairwise links the table does not show.
        for p in 0..n {
            for q in p + 1..n {
                for g in &self.pairs[p][q - p - 1].groups {
                    let r = self.versions[p].reading_of[g.a.start];
                    let cells = &self.readings[r].cells;
                    let (cp, cq) = (&cells[p].sentences, &cells[q].sentences);
                    let whole = *cp == g.a && *cq == g.b;
                    let part = cp.len() == 2
                        && cq.len() == 2
                        && g.a.len() == 1
                        && g.b.len() == 1
                        && g.a.start >= cp.start
                        && g.a.start - cp.start == g.b.start.wrapping_sub(cq.start);
                    if !whole && !part {
                        self.disagreements.push(Disagreement {
                            a_version: p,
                            b_version: q,
                            a: g.a.clone(),
                            b: g.b.clone(),
                        });
                    }
                }
            }
        }
    }

    #[cfg(test)]
    /// The pairwise alignment of columns `a` and `b` read from the table: a group for each
    /// aligned pair (two for a reading whose cells hold two sentences each), one per sentence
    /// only one side has; sorted by [`PairGroup::sort_key`]. Empty when either column is out
    /// of range.
    pub(crate) fn pairwise(&self, a: usize, b: usize) -> Vec<PairGroup> {
        let mut out: Vec<PairGroup> = Vec::new();
        if a >= self.width() || b >= self.width() {
            return out;
        }
        for r in &self.readings {
            let (ca, cb) = (&r.cells[a], &r.cells[b]);
            if ca.state == CellState::Absent && cb.state == CellState::Absent {
                continue;
            }
            let key = (a.min(b), a.max(b));
            let one_sided = ca.state == CellState::Absent
                || cb.state == CellState::Absent
                || r.unlinked.binary_search(&key).is_ok();
            if one_sided {
                // Each sentence on its own: removed from `a`, added in `b`.
                for s in ca.sentences.clone() {
                    out.push(PairGroup {
                        a: s..s + 1,
                        b: 0..0,
                        equal: false,
                    });
                }
                for s in cb.sentences.clone() {
                    out.push(PairGroup {
                        a: 0..0,
                        b: s..s + 1,
                        equal: false,
                    });
                }
                continue;
            }
            if ca.sentences.len() == 2 && cb.sentences.len() == 2 {
                for k in 0..2 {
                    let (sa, sb) = (ca.sentences.start + k, cb.sentences.start + k);
                    out.push(PairGroup {
                        a: sa..sa + 1,
                        b: sb..sb + 1,
                        equal: text_key(&self.sentences[a][sa].text)
                            == text_key(&self.sentences[b][sb].text),
                    });
                }
                continue;
            }
            let equal = ca.sentences.len() == 1
                && cb.sentences.len() == 1
                && text_key(&ca.text) == text_key(&cb.text);
            out.push(PairGroup {
                a: ca.sentences.clone(),
                b: cb.sentences.clone(),
                equal,
            });
        }
        out.sort_by_key(PairGroup::sort_key);
        out
    }

    /// Where each version stands on the story's timeline, from 0 (the first dated version) to
    /// 1 (the last); `None` for undated versions. All dated versions at one time stand at 0.
    // Seconds between versions: far below 2^52 (142 million years).
    #[allow(clippy::cast_precision_loss)]
    pub(crate) fn timeline(&self) -> Vec<Option<f64>> {
        let times = self.versions.iter().filter_map(|v| v.timestamp);
        let (Some(first), Some(last)) = (times.clone().min(), times.max()) else {
            return vec![None; self.versions.len()];
        };
        let span = last.saturating_sub(first);
        self.versions
            .iter()
            .map(|v| {
                v.timestamp.map(|t| {
                    if span == 0 {
                        0.0
                    } else {
                        t.saturating_sub(first) as f64 / span as f64
                    }
                })
            })
            .collect()
    }

    /// Where a reading stands in each version carrying it: (column, char range in the
    /// version's canonical body `paragraphs.join("\n\n")`), the span an annotation of the
    /// reading targets in each version.
    pub(crate) fn reading_spans(&self, reading: usize) -> Vec<(usize, Range<usize>)> {
        let Some(r) = self.readings.get(reading) else {
            return Vec::new();
        };
        r.cells
            .iter()
            .enumerate()
            .filter_map(|(col, cell)| {
                let sents = self.sentences.get(col)?;
                let first = sents.get(cell.sentences.start)?;
                let last = sents.get(cell.sentences.end.checked_sub(1)?)?;
                Some((col, first.chars.start..last.chars.end))
            })
            .collect()
    }

    /// The word diff of a cell against its row's base reading (for highlighting changed words).
    pub(crate) fn cell_diff(&self, reading: usize, column: usize) -> Option<WordDiff> {
        let r = self.readings.get(reading)?;
        let cell = r.cells.get(column)?;
        if cell.state == CellState::Absent {
            return None;
        }
        let base = r.base_text();
        Some(words::diff_words(
            base,
            &segment::words(base),
            &cell.text,
            &segment::words(&cell.text),
        ))
    }
}

#[cfg(test)]
mod tests;
