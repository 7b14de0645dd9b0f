//! The diff's rows: the comparison laid out side by side or unified for a width, with moved
//! sentences' notes, the annotated spans and the selection marked.

use super::*;

impl DiffState {
    /// Whether the item is a change the change keys stop at.
    pub fn is_change(&self, item: usize) -> bool {
        match self.items.get(item) {
            Some(DiffItem::Op(i)) => {
                let op = &self.cmp.ops[*i];
                op.is_change() && (self.show_minor || !op.minor || op.moved)
            }
            _ => false,
        }
    }

    /// The item of the partner of a moved sentence (its old place, or back).
    pub fn partner(&self, item: usize) -> Option<usize> {
        match *self.items.get(item)? {
            DiffItem::Op(i) if self.cmp.ops[i].moved => {
                self.items.iter().position(|&x| x == DiffItem::Ghost(i))
            }
            DiffItem::Ghost(i) => self.items.iter().position(|&x| x == DiffItem::Op(i)),
            _ => None,
        }
    }

    /// Rows of the item `item`.
    pub fn item_rows(&self, item: usize) -> std::ops::Range<usize> {
        let start = self.item_row.get(item).copied().unwrap_or(self.rows.len());
        let end = self
            .item_row
            .get(item + 1)
            .copied()
            .unwrap_or(self.rows.len());
        start..end
    }

    /// Number of changes the change keys stop at.
    pub fn change_count(&self) -> usize {
        (0..self.items.len()).filter(|&i| self.is_change(i)).count()
    }

    /// The item shown on row `row`.
    pub(crate) fn item_at_row(&self, row: usize) -> usize {
        self.rows
            .get(row)
            .map_or(self.items.len().saturating_sub(1), |r| r.item)
    }

    /// Lays the rows out for a screen `width` columns wide (less the gutter and change map).
    pub fn layout(&mut self, width: usize) {
        self.width = width;
        self.items = items_of(&self.cmp);
        let mut rows: Vec<DiffRow> = Vec::new();
        let mut item_row = Vec::with_capacity(self.items.len());
        let (col, unified) = if self.unified {
            (width.max(10), true)
        } else {
            (side_width(width), false)
        };
        let mut last_para: Option<usize> = None;
        for (k, item) in self.items.iter().enumerate() {
            // A blank row where B (or A, for removed sentences) starts a new paragraph.
            let para = match *item {
                DiffItem::Op(i) => {
                    let op = &self.cmp.ops[i];
                    op.b_index
                        .map(|j| self.cmp.b[j].paragraph)
                        .or_else(|| op.a_index.map(|j| self.cmp.a[j].paragraph + 1_000_000))
                }
                DiffItem::Ghost(_) => None,
            };
            if let (Some(p), Some(l)) = (para, last_para)
                && p != l
            {
                rows.push(DiffRow {
                    item: k.saturating_sub(1),
                    kind: RowKind::Blank,
                    left: Vec::new(),
                    right: Vec::new(),
                });
            }
            if para.is_some() {
                last_para = para;
            }
            item_row.push(rows.len());
            match *item {
                DiffItem::Ghost(_) => rows.push(DiffRow {
                    item: k,
                    kind: RowKind::Moved,
                    left: Vec::new(),
                    right: Vec::new(),
                }),
                DiffItem::Op(i) => rows.extend(self.op_rows(k, i, col)),
            }
        }
        // The notes of moved sentences name their partner's line.
        for (k, item) in self.items.iter().enumerate() {
            let (text, partner) = match *item {
                DiffItem::Ghost(i) => {
                    let to = self.items.iter().position(|&x| x == DiffItem::Op(i));
                    ("↕ moved from here to line", to)
                }
                DiffItem::Op(i) if self.cmp.ops[i].moved => {
                    let from = self.items.iter().position(|&x| x == DiffItem::Ghost(i));
                    ("↕ moved here from line", from)
                }
                _ => continue,
            };
            let line = partner.and_then(|p| item_row.get(p)).map_or(0, |r| r + 1);
            let seg = vec![DiffSeg {
                text: format!("{text} {line} (Enter jumps)"),
                kind: SegKind::Note,
                label: None,
            }];
            let r = &mut rows[item_row[k]];
            match (*item, unified) {
                (DiffItem::Ghost(_), false) => r.left = seg,
                (_, false) => r.right = seg,
                (_, true) => r.left = seg,
            }
        }
        self.rows = rows;
        self.item_row = item_row;
        self.cursor = self.cursor.min(self.items.len().saturating_sub(1));
    }

    /// The rows of the op `i` (item `k`) with `col`-wide columns: the note row of a moved
    /// sentence (filled in by `layout`), then its text side by side or A over B.
    fn op_rows(&self, k: usize, i: usize, col: usize) -> Vec<DiffRow> {
        let op = &self.cmp.ops[i];
        let kind = row_kind(op, self.show_minor);
        let mut rows = Vec::new();
        if op.moved {
            rows.push(DiffRow {
                item: k,
                kind: RowKind::Moved,
                left: Vec::new(),
                right: Vec::new(),
            });
        }
        let a = self.side_lines(i, Side::A, col);
        let b = self.side_lines(i, Side::B, col);
        if self.unified {
            let mut push = |lines: Vec<Vec<DiffSeg>>, kind: RowKind| {
                for line in lines {
                    rows.push(DiffRow {
                        item: k,
                        kind,
                        left: line,
                        right: Vec::new(),
                    });
                }
            };
            match kind {
                RowKind::Changed => {
                    push(a, RowKind::Removed);
                    push(b, RowKind::Added);
                }
                RowKind::Removed => push(a, kind),
                _ => push(b, kind),
            }
        } else {
            let n = a.len().max(b.len()).max(1);
            let mut la = a.into_iter();
            let mut lb = b.into_iter();
            for _ in 0..n {
                rows.push(DiffRow {
                    item: k,
                    kind,
                    left: la.next().unwrap_or_default(),
                    right: lb.next().unwrap_or_default(),
                });
            }
        }
        rows
    }

    /// One side of the op `i` wrapped `col` wide (the selection marked); no lines when the
    /// op has no text on that side.
    fn side_lines(&self, i: usize, side: Side, col: usize) -> Vec<Vec<DiffSeg>> {
        let op = &self.cmp.ops[i];
        let has = match side {
            Side::A => op.a.is_some(),
            Side::B => op.b.is_some(),
        };
        if !has {
            return Vec::new();
        }
        let mut pieces = side_pieces(op, side == Side::A, self.show_minor, self.markers);
        let sentences = match side {
            Side::A => &self.cmp.a,
            Side::B => &self.cmp.b,
        };
        let sents = match side {
            Side::A => op.a_sentences(),
            Side::B => op.b_sentences(),
        };
        let (first, last) = match (sentences.get(sents.start), sents.end.checked_sub(1)) {
            (Some(f), Some(l)) => (f.chars.start, sentences.get(l).map_or(0, |s| s.chars.end)),
            _ => (0, 0),
        };
        // Annotated spans, then the selection over them.
        let spans = &self.annotated.0[side as usize];
        let mut labels: Vec<crate::annotate::LabelId> = Vec::new();
        for (span, label) in spans {
            if span.start >= last || span.end <= first {
                continue;
            }
            let slot = match labels.iter().position(|l| l == label) {
                Some(i) => i + 1,
                None => {
                    labels.push(label.clone());
                    labels.len()
                }
            };
            let Ok(slot) = u8::try_from(slot) else {
                continue;
            };
            if let Some(bytes) = super::diff_select::op_bytes_of_span(op, side, sentences, span) {
                pieces = super::diff_select::split_pieces(pieces, &bytes, |p| p.label = slot);
            }
        }
        if let Some(sel) = self.selection.as_ref().filter(|s| s.side == side)
            && let Some(bytes) =
                super::diff_select::op_bytes_of_span(op, side, sentences, &sel.chars())
        {
            pieces =
                super::diff_select::split_pieces(pieces, &bytes, |p| p.kind = SegKind::Selected);
        }
        for (bytes, current) in self.found_in(i, side) {
            let kind = if current {
                SegKind::FoundCurrent
            } else {
                SegKind::Found
            };
            pieces = super::diff_select::split_pieces(pieces, &bytes, |p| p.kind = kind);
        }
        wrap_marked(&pieces, &labels, col)
    }

    /// Lays out again the rows of op `i` in place (their number does not change: wrapping
    /// depends on the text alone); the whole view when it would.
    pub(in crate::app) fn relayout_op(&mut self, i: usize, width: usize) {
        let Some(k) = self.items.iter().position(|&x| x == DiffItem::Op(i)) else {
            return;
        };
        let col = if self.unified {
            width.max(10)
        } else {
            side_width(width)
        };
        let fresh = self.op_rows(k, i, col);
        let range = self.item_rows(k);
        // The op's own rows are the last of its item (a blank row may precede the next item).
        let own: Vec<usize> = range.filter(|&r| self.rows[r].item == k).collect();
        if own.len() != fresh.len() {
            let cur = self.cursor;
            self.layout(width);
            self.cursor = cur;
            return;
        }
        let skip = usize::from(self.cmp.ops[i].moved);
        for (r, row) in own.into_iter().zip(fresh).skip(skip) {
            self.rows[r].left = row.left;
            self.rows[r].right = row.right;
        }
    }
}

/// Width of each column side by side in `width` columns (two columns and a 3-column rule).
pub(crate) fn side_width(width: usize) -> usize {
    (width.saturating_sub(3) / 2).max(8)
}

fn row_kind(op: &Op, show_minor: bool) -> RowKind {
    match op.kind {
        OpKind::Equal => RowKind::Equal,
        OpKind::Changed if op.minor && !show_minor => RowKind::Equal,
        OpKind::Changed => RowKind::Changed,
        OpKind::Added => RowKind::Added,
        OpKind::Removed => RowKind::Removed,
    }
}

/// The items in reading order: every op, with a ghost before the op a moved one stood before.
fn items_of(cmp: &Comparison) -> Vec<DiffItem> {
    let n = cmp.ops.len();
    let mut before: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    for (i, op) in cmp.ops.iter().enumerate() {
        if op.moved
            && let Some(at) = op.moved_from
        {
            before[at.min(n)].push(i);
        }
    }
    let mut items = Vec::with_capacity(n + 4);
    for (at, ghosts) in before.iter().enumerate() {
        items.extend(ghosts.iter().map(|&g| DiffItem::Ghost(g)));
        if at < n {
            items.push(DiffItem::Op(at));
        }
    }
    items
}

/// One side of an op as styled pieces (with the gaps between runs as written).
/// Each piece carries the byte range of the op's side text it shows.
fn side_pieces(op: &Op, a_side: bool, show_minor: bool, markers: bool) -> Vec<Piece> {
    let text = if a_side {
        op.a.as_deref()
    } else {
        op.b.as_deref()
    };
    let Some(text) = text else {
        return Vec::new();
    };
    let whole = match op.kind {
        OpKind::Equal => Some(SegKind::Same),
        OpKind::Added => Some(SegKind::Added),
        OpKind::Removed => Some(SegKind::Removed),
        OpKind::Changed if op.minor && !show_minor => Some(SegKind::Same),
        OpKind::Changed => None,
    };
    if let Some(kind) = whole {
        return vec![piece(text.to_string(), kind, 0..text.len())];
    }
    let mut out = Vec::new();
    let mut at = 0usize;
    for w in &op.words {
        let (range, kind) = match (w.op, a_side) {
            (WordOp::Insert, true) | (WordOp::Delete, false) => continue,
            (WordOp::Equal, true) => (w.a.clone(), SegKind::Plain),
            (WordOp::Equal, false) => (w.b.clone(), SegKind::Plain),
            (WordOp::Delete, true) => (w.a.clone(), SegKind::Delete),
            (WordOp::Insert, false) => (w.b.clone(), SegKind::Insert),
        };
        let kind = if w.minor && kind != SegKind::Plain {
            if show_minor {
                SegKind::Minor
            } else {
                SegKind::Plain
            }
        } else {
            kind
        };
        let Some(r) = range.filter(|r| r.start >= at && r.end <= text.len()) else {
            continue;
        };
        let (Some(gap), Some(run)) = (text.get(at..r.start), text.get(r.clone())) else {
            continue;
        };
        if !gap.is_empty() {
            out.push(piece(gap.to_string(), SegKind::Plain, at..r.start));
        }
        let run = if markers && matches!(kind, SegKind::Delete | SegKind::Insert | SegKind::Minor) {
            let (open, close) = match kind {
                SegKind::Delete => ("[-", "-]"),
                SegKind::Insert => ("{+", "+}"),
                _ => ("{~", "~}"),
            };
            format!("{open}{run}{close}")
        } else {
            run.to_string()
        };
        out.push(piece(run, kind, r.clone()));
        at = r.end;
    }
    if let Some(rest) = text.get(at..)
        && !rest.is_empty()
    {
        out.push(piece(rest.to_string(), SegKind::Plain, at..text.len()));
    }
    out
}

fn piece(text: String, kind: SegKind, src: std::ops::Range<usize>) -> Piece {
    Piece {
        text,
        kind,
        src,
        label: 0,
    }
}

/// Wraps styled pieces into lines of at most `width` columns, breaking at spaces; words wider
/// than a line are broken between characters. Every piece is made terminal-safe first.
#[cfg(test)]
fn wrap_pieces(pieces: &[(String, SegKind)], width: usize) -> Vec<Vec<DiffSeg>> {
    let pieces: Vec<Piece> = pieces
        .iter()
        .map(|(t, k)| piece(t.clone(), *k, 0..0))
        .collect();
    wrap_marked(&pieces, &[], width)
}

/// Wraps styled pieces (as `wrap_pieces` in the tests) that may carry an annotation's label (slot `i + 1` of `labels`).
pub(crate) fn wrap_marked(
    pieces: &[Piece],
    labels: &[crate::annotate::LabelId],
    width: usize,
) -> Vec<Vec<DiffSeg>> {
    let width = width.max(1);
    // Characters with their kind and label slot; runs of whitespace become one space.
    type Styled = (SegKind, u8);
    let mut chars: Vec<(char, Styled)> = Vec::new();
    for p in pieces {
        let st = (p.kind, p.label);
        for c in safe_line(&p.text).chars() {
            if c.is_whitespace() {
                if chars.last().is_some_and(|l| l.0 != ' ') {
                    chars.push((' ', st));
                }
            } else {
                chars.push((c, st));
            }
        }
    }
    while chars.last().is_some_and(|l| l.0 == ' ') {
        chars.pop();
    }
    let lines =
        super::reader::wrap_cells(&chars, width, |c| c.0 == ' ', |c| c.0.width().unwrap_or(0));
    lines
        .into_iter()
        .map(|l| {
            let mut segs: Vec<DiffSeg> = Vec::new();
            let mut last: Option<Styled> = None;
            for (c, st) in l {
                match segs.last_mut() {
                    Some(s) if last == Some(st) => s.text.push(c),
                    _ => {
                        segs.push(DiffSeg {
                            text: c.to_string(),
                            kind: st.0,
                            label: (st.1 > 0)
                                .then(|| labels.get(usize::from(st.1) - 1).cloned())
                                .flatten(),
                        });
                        last = Some(st);
                    }
                }
            }
            segs
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_styled_pieces_keeping_kinds() {
        let pieces = vec![
            ("Kerry".to_string(), SegKind::Plain),
            (" ".to_string(), SegKind::Plain),
            ("will seek".to_string(), SegKind::Delete),
            (" to prepare the ground".to_string(), SegKind::Plain),
        ];
        let lines = wrap_pieces(&pieces, 16);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect();
        assert_eq!(text, vec!["Kerry will seek", "to prepare the", "ground"]);
        assert_eq!(lines[0][1].kind, SegKind::Delete);
        assert_eq!(lines[0][1].text, "will seek");
    }

    #[test]
    fn wrap_sanitizes_escapes() {
        let lines = wrap_pieces(&[("red \u{1b}[31malert".to_string(), SegKind::Plain)], 80);
        assert!(!lines[0][0].text.contains('\u{1b}'));
    }

    #[test]
    fn moved_ops_get_a_ghost_before_their_old_place() {
        let a = vec!["Alpha one here. Beta two here. Gamma three here.".to_string()];
        let b = vec!["Gamma three here. Alpha one here. Beta two here.".to_string()];
        let cmp = Comparison::new(&a, &b);
        let items = items_of(&cmp);
        let ghosts = items
            .iter()
            .filter(|i| matches!(i, DiffItem::Ghost(_)))
            .count();
        assert_eq!(ghosts, cmp.stats.moved);
        assert!(ghosts >= 1);
    }
}
