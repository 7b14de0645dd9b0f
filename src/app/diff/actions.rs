//! The diff view's part of the app: opening a diff (at once, or as a background job), its keys,
//! scrolling, the version marks, and the annotated spans it shows.

use super::*;

impl App {
    /// Columns of the diff body less the gutter (3) and the change map with a space before it.
    pub(crate) fn diff_text_width(&self) -> usize {
        (self.size.0 as usize).saturating_sub(5).max(20)
    }

    /// Rows of the diff body (the screen less two header rows and the status bar).
    pub fn diff_height(&self) -> usize {
        (self.size.1 as usize).saturating_sub(3).max(1)
    }

    /// Opens the diff of two versions of the selected story: the two marked in the versions
    /// pane, else the marked one and the shown one, else the earliest and the latest. When the
    /// versions' order is not known (one is undated), the shown version is compared with the
    /// base version (the first) instead of by a guessed order.
    pub(in crate::app) fn open_diff(&mut self, fx: &mut Vec<Effect>) {
        let Some(story) = self.selected_story() else {
            return;
        };
        let n = self.lib.stories[story].versions.len();
        if n < 2 {
            self.error("This story has one version: nothing to compare");
            return;
        }
        let marks: Vec<usize> = if self.marks_story == Some(story) {
            self.version_marks
                .iter()
                .copied()
                .filter(|&v| v < n)
                .collect()
        } else {
            Vec::new()
        };
        let (a, b) = match marks.as_slice() {
            [x, y, ..] => (*x.min(y), *x.max(y)),
            [x] if *x != self.version.selected => (
                (*x).min(self.version.selected),
                (*x).max(self.version.selected),
            ),
            _ if !self.order_known(story) => {
                let shown = self.version.selected.min(n - 1);
                (0, if shown == 0 { n - 1 } else { shown })
            }
            _ => (0, n - 1),
        };
        self.show_diff(
            story,
            a,
            b,
            (self.size.0 as usize) < layout::WIDE_MIN_WIDTH as usize,
            fx,
        );
    }

    fn show_diff(&mut self, story: usize, a: usize, b: usize, unified: bool, fx: &mut Vec<Effect>) {
        self.lib.ensure_story(story);
        let (Some(art_a), Some(art_b)) = (self.lib.article(story, a), self.lib.article(story, b))
        else {
            return;
        };
        let bytes: usize = art_a
            .paragraphs
            .iter()
            .chain(&art_b.paragraphs)
            .map(String::len)
            .sum();
        if bytes > MAX_DIFF_BYTES {
            self.error(&format!(
                "These versions are too long to compare here ({} MB); use stet diff",
                bytes / 1_000_000
            ));
            return;
        }
        if bytes > COMPARE_INLINE_BYTES && !self.diff_cache.contains((story, a, b)) {
            // Long versions are compared on a worker; the view opens when it is done.
            let job = CompareJob {
                key: (story, a, b),
                a: art_a.paragraphs.clone(),
                b: art_b.paragraphs.clone(),
            };
            self.waiting.compare = Some((story, a, b, unified));
            self.waiting.progress = None;
            self.info("Comparing the two versions…");
            fx.push(Effect::Compare(Box::new(job)));
            return;
        }
        let cmp = self.diff_cache.get_or_insert((story, a, b), || {
            Comparison::new(&art_a.paragraphs, &art_b.paragraphs)
        });
        let markers = self.theme == self.theme.monochrome();
        let show_minor = self.diff().is_some_and(|d| d.show_minor);
        let mut d = DiffState {
            story,
            a,
            b,
            cmp,
            unified,
            show_minor,
            markers,
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
        d.annotated = self.diff_annotated_spans(&d);
        d.layout(self.diff_text_width());
        let changes = d.change_count();
        self.set_diff(d);
        let unknown = if self.order_known(story) {
            ""
        } else {
            " (order unknown: an undated version; compared with the base version)"
        };
        self.info(&format!(
            "Comparing version {} with version {}: {changes} change{}{unknown}",
            a + 1,
            b + 1,
            if changes == 1 { "" } else { "s" }
        ));
    }

    /// A comparison from the worker: kept, and shown if it is still the one asked for.
    pub(in crate::app) fn compared(
        &mut self,
        key: (usize, usize, usize),
        cmp: Comparison,
        fx: &mut Vec<Effect>,
    ) {
        self.diff_cache.insert(key, cmp);
        let Some((story, a, b, unified)) = self.waiting.compare else {
            return;
        };
        if (story, a, b) != key {
            return;
        }
        self.waiting.compare = None;
        if self.on_base() && self.selected_story() == Some(story) {
            self.show_diff(story, a, b, unified, fx);
        }
    }

    /// Whether the versions of `story` are in a known order (every one dated).
    pub(in crate::app) fn order_known(&self, story: usize) -> bool {
        self.lib
            .stories
            .get(story)
            .is_none_or(|s| crate::corpus::dateline_date::order_known(&self.lib.corpus.articles, s))
    }

    /// Shows `d`: in place of the open diff view, else above the panes.
    fn set_diff(&mut self, d: DiffState) {
        match self.diff_mut() {
            Some(open) => *open = d,
            None => self.layers.push(View::Diff(Box::new(d))),
        }
    }

    /// Closes the diff view.
    fn close_diff(&mut self) {
        self.layers.retain(|v| !matches!(v, View::Diff(_)));
    }

    /// Lays the diff out again when the width changed.
    pub(in crate::app) fn relayout_diff(&mut self) {
        let width = self.diff_text_width();
        let h = self.diff_height();
        if let Some(d) = self.diff_mut() {
            if d.width != width {
                let top = d.item_at_row(d.scroll);
                d.layout(width);
                d.scroll = d.item_row.get(top).copied().unwrap_or(0);
            }
            d.scroll = d.scroll.min(d.rows.len().saturating_sub(h));
        }
    }

    /// Performs `action` in the diff view; false when the diff view does not use it.
    pub(in crate::app) fn diff_update(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        let h = self.diff_height();
        let width = self.diff_text_width();
        let Some(d) = self.diff_mut() else {
            return false;
        };
        let swap = (d.story, d.b, d.a, d.unified);
        match d.update(action, h, width) {
            DiffOutcome::Ignored => return false,
            DiffOutcome::Done => {}
            DiffOutcome::Said(msg) => self.info(&msg),
            DiffOutcome::Close => {
                self.close_diff();
                self.info("Diff closed");
            }
            DiffOutcome::Swap => {
                let (story, a, b, unified) = swap;
                self.show_diff(story, a, b, unified, fx);
            }
        }
        true
    }

    /// Scrolls the diff so the cursor's item is in view.
    pub(in crate::app) fn diff_keep_cursor_visible(&mut self) {
        let h = self.diff_height();
        if let Some(d) = self.diff_mut() {
            d.keep_cursor_visible(h);
        }
    }

    /// The annotated spans of the two versions of `d` (orphans left out), read now.
    fn diff_annotated_spans(&self, d: &DiffState) -> AnnotatedSpans {
        let mut out: [Vec<_>; 2] = Default::default();
        for (k, version) in [d.a, d.b].into_iter().enumerate() {
            if let Some(article) = self.lib.article(d.story, version) {
                out[k] = self.placed_spans(article);
            }
        }
        (out, self.ann.generation)
    }

    /// Reads the annotated spans again and lays the diff out when the annotations changed.
    pub(in crate::app) fn refresh_diff_annotations(&mut self) {
        let Some(d) = self.diff() else {
            return;
        };
        if d.annotated.1 == self.ann.generation {
            return;
        }
        let spans = self.diff_annotated_spans(d);
        if let Some(d) = self.diff_mut() {
            let changed = spans.0 != d.annotated.0;
            d.annotated = spans;
            if changed {
                let (cur, scroll, width) = (d.cursor, d.scroll, d.width);
                d.layout(width);
                d.cursor = cur;
                d.scroll = scroll.min(d.rows.len().saturating_sub(1));
            }
        }
    }

    /// The diff items holding an annotated sentence (either side), with the label of the first
    /// annotation found, for the gutter.
    pub fn diff_annotation_marks(&self) -> Vec<(usize, crate::annotate::LabelId)> {
        let Some(d) = self.diff() else {
            return Vec::new();
        };
        let mut out: Vec<(usize, crate::annotate::LabelId)> = Vec::new();
        for (k, (sentences, sentence_op)) in [(&d.cmp.a, &d.cmp.a_op), (&d.cmp.b, &d.cmp.b_op)]
            .into_iter()
            .enumerate()
        {
            for (span, label) in &d.annotated.0[k] {
                for (si, s) in sentences.iter().enumerate() {
                    if s.chars.start < span.end
                        && s.chars.end > span.start
                        && let Some(&op) = sentence_op.get(si)
                        && let Some(item) = d.items.iter().position(|&x| x == DiffItem::Op(op))
                        && !out.iter().any(|(i, _)| *i == item)
                    {
                        out.push((item, label.clone()));
                    }
                }
            }
        }
        out
    }

    /// Scrolls the diff by `delta` rows (the mouse wheel), the cursor following.
    pub(in crate::app) fn diff_scroll(&mut self, delta: isize) {
        let h = self.diff_height();
        if let Some(d) = self.diff_mut() {
            let max = d.rows.len().saturating_sub(h);
            d.scroll = d.scroll.saturating_add_signed(delta).min(max);
            let rows = d.item_rows(d.cursor);
            if rows.end <= d.scroll || rows.start >= d.scroll + h {
                d.cursor = d.item_at_row(d.scroll);
            }
        }
    }

    /// Marks or unmarks the selected version for the diff (two at most; the oldest mark goes).
    pub(in crate::app) fn toggle_version_mark(&mut self) {
        let v = self.version.selected;
        if self.versions_len() == 0 {
            return;
        }
        if self.marks_story != self.selected_story() {
            self.version_marks.clear();
            self.marks_story = self.selected_story();
        }
        if let Some(pos) = self.version_marks.iter().position(|&m| m == v) {
            self.version_marks.remove(pos);
        } else {
            if self.version_marks.len() >= 2 {
                self.version_marks.remove(0);
            }
            self.version_marks.push(v);
        }
        let key = self
            .keymap
            .first_key(&[Context::Versions, Context::Global], Action::OpenDiff)
            .unwrap_or_else(|| "open_diff".into());
        let marks: Vec<String> = self
            .version_marks
            .iter()
            .map(|m| (m + 1).to_string())
            .collect();
        let msg = match marks.len() {
            0 => "No version marked: the diff compares the earliest and the latest".to_string(),
            1 => format!("Marked version {}; mark another, then {key}", marks[0]),
            _ => format!(
                "Marked versions {}; {key} compares them",
                marks.join(" and ")
            ),
        };
        self.info(&msg);
    }
}
