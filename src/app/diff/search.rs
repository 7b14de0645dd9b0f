//! `/` in the diff view: the query's words and phrases found in the two versions shown
//! (`search::find_in_texts`: case and accents ignored, as the corpus search), marked on both
//! sides, and stepped through in reading order with `n` and `N`.

use super::*;

/// One place the diff search matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The side it is on.
    pub side: Side,
    /// The op (index in the comparison's ops).
    pub op: usize,
    /// Bytes of the op's text on that side.
    pub range: std::ops::Range<usize>,
}

/// The diff view's search: its matches, the current one, and where the search began.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffSearch {
    /// The matches in reading order (the item of their op, A before B, position).
    pub found: Vec<Found>,
    /// Index of the current match in `found`.
    pub at: Option<usize>,
    /// Cursor and scroll when the search began (restored when it is cancelled).
    pub origin: Option<(usize, usize)>,
}

impl DiffState {
    /// Finds `query` in the two versions and marks the matches, `width` columns wide; the
    /// number found, or why the query cannot be looked for (the marks are then cleared).
    pub(crate) fn find(&mut self, query: &str, width: usize) -> Result<usize, String> {
        let texts = |a_side: bool| -> Vec<String> {
            self.cmp
                .ops
                .iter()
                .map(|o| {
                    let t = if a_side { &o.a } else { &o.b };
                    t.as_deref().unwrap_or("").to_string()
                })
                .collect()
        };
        let result = if query.trim().is_empty() {
            Ok(Vec::new())
        } else {
            crate::search::find_in_texts(query, &texts(true), &texts(false))
                .map_err(|e| e.to_string())
        };
        let mut item_of = vec![usize::MAX; self.cmp.ops.len()];
        for (k, item) in self.items.iter().enumerate() {
            if let DiffItem::Op(i) = item
                && let Some(slot) = item_of.get_mut(*i)
            {
                *slot = k;
            }
        }
        let (found, outcome) = match result {
            Ok(found) => {
                let n = found.len();
                (found, Ok(n))
            }
            Err(e) => (Vec::new(), Err(e)),
        };
        let mut found: Vec<Found> = found
            .into_iter()
            .map(|m| Found {
                side: match m.side {
                    crate::search::Side::A => Side::A,
                    crate::search::Side::B => Side::B,
                },
                op: m.paragraph,
                range: m.range,
            })
            .collect();
        found.sort_by_key(|f| {
            (
                item_of.get(f.op).copied().unwrap_or(usize::MAX),
                f.side as u8,
                f.range.start,
            )
        });
        self.search.found = found;
        self.search.at = None;
        let cursor = self.cursor;
        self.layout(width);
        self.cursor = cursor;
        outcome
    }

    /// Clears the marks (and the origin), `width` columns wide.
    pub(crate) fn clear_found(&mut self, width: usize) {
        if self.search == DiffSearch::default() {
            return;
        }
        self.search = DiffSearch::default();
        let cursor = self.cursor;
        self.layout(width);
        self.cursor = cursor;
    }

    /// The item showing match `m`.
    fn item_of_found(&self, m: usize) -> Option<usize> {
        let op = self.search.found.get(m)?.op;
        self.items.iter().position(|&x| x == DiffItem::Op(op))
    }

    /// Moves to the next (previous) match, `h` rows shown: from the current one, or from the
    /// cursor (its own item included when `inclusive`). "Match 2 of 5 (new)", or None when
    /// nothing matched.
    pub(crate) fn step_found(
        &mut self,
        forward: bool,
        inclusive: bool,
        h: usize,
        width: usize,
    ) -> Option<String> {
        let n = self.search.found.len();
        if n == 0 {
            return None;
        }
        let next = match self.search.at {
            Some(c) if forward => (c + 1) % n,
            Some(c) => (c + n - 1) % n,
            None => {
                let cursor = self.cursor;
                let items: Vec<usize> = (0..n)
                    .map(|m| self.item_of_found(m).unwrap_or(usize::MAX))
                    .collect();
                if forward {
                    (0..n)
                        .find(|&m| items[m] > cursor || (inclusive && items[m] == cursor))
                        .unwrap_or(0)
                } else {
                    (0..n)
                        .rev()
                        .find(|&m| items[m] < cursor || (inclusive && items[m] == cursor))
                        .unwrap_or(n - 1)
                }
            }
        };
        self.search.at = Some(next);
        if let Some(item) = self.item_of_found(next) {
            self.cursor = item;
        }
        self.side = self.search.found[next].side;
        let cursor = self.cursor;
        self.layout(width);
        self.cursor = cursor;
        self.center_on_cursor(h);
        let side = match self.side {
            Side::A => "old",
            Side::B => "new",
        };
        Some(format!("Match {} of {n} ({side} version)", next + 1))
    }

    /// Matches found on side A and on side B.
    pub fn found_per_side(&self) -> (usize, usize) {
        let a = self
            .search
            .found
            .iter()
            .filter(|f| f.side == Side::A)
            .count();
        (a, self.search.found.len() - a)
    }

    /// The marks of op `i` on `side`: byte ranges, and whether each is the current match.
    pub(super) fn found_in(&self, i: usize, side: Side) -> Vec<(std::ops::Range<usize>, bool)> {
        self.search
            .found
            .iter()
            .enumerate()
            .filter(|(_, f)| f.op == i && f.side == side)
            .map(|(k, f)| (f.range.clone(), self.search.at == Some(k)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(a: &str, b: &str) -> DiffState {
        let cmp = Comparison::new(&[a.to_string()], &[b.to_string()]);
        let mut d = DiffState {
            story: 0,
            a: 0,
            b: 1,
            cmp: Arc::new(cmp),
            unified: false,
            show_minor: false,
            markers: false,
            items: Vec::new(),
            item_row: Vec::new(),
            rows: Vec::new(),
            width: 0,
            cursor: 0,
            scroll: 0,
            side: Side::B,
            selection: None,
            annotated: Default::default(),
            search: DiffSearch::default(),
        };
        d.layout(80);
        d
    }

    #[test]
    fn finds_on_both_sides_marks_and_steps_in_reading_order() {
        let mut d = state(
            "The mayor spoke. Rain fell on the city. Pell left early.",
            "The mayor spoke at noon. Rain fell on the city. Jonas Pell stayed.",
        );
        assert_eq!(d.find("pell", 80), Ok(2));
        assert_eq!(d.found_per_side(), (1, 1));
        // Marked in the rows: a segment of kind Found reads "Pell" on each side.
        let marked: Vec<&str> = d
            .rows
            .iter()
            .flat_map(|r| r.left.iter().chain(&r.right))
            .filter(|s| matches!(s.kind, SegKind::Found | SegKind::FoundCurrent))
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ["Pell", "Pell"]);
        let first = d.step_found(true, true, 20, 80).unwrap();
        assert!(first.starts_with("Match 1 of 2"), "{first}");
        let second = d.step_found(true, false, 20, 80).unwrap();
        assert!(second.starts_with("Match 2 of 2"), "{second}");
        assert_ne!(d.search.found[0].side, d.search.found[1].side);
        assert!(
            d.step_found(true, false, 20, 80)
                .unwrap()
                .starts_with("Match 1 of 2")
        );
        assert!(
            d.step_found(false, false, 20, 80)
                .unwrap()
                .starts_with("Match 2 of 2")
        );
        // Case and accents ignored; a phrase; nothing found; a bad query says why.
        assert_eq!(d.find("RAIN FELL", 80), Ok(4), "two words, each side");
        assert_eq!(d.find("\"rain fell\"", 80), Ok(2));
        assert_eq!(d.find("snow", 80), Ok(0));
        assert_eq!(d.step_found(true, true, 20, 80), None);
        assert!(d.find("\"rain", 80).is_err());
        assert!(d.search.found.is_empty());
        d.clear_found(80);
        assert_eq!(d.search, DiffSearch::default());
    }
}
