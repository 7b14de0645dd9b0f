//! The shown article's words and sentences mapped to the reading pane's lines, the cursor on
//! sentences, and the annotated spans on screen.

use super::*;
use crate::num::u16_of;

/// The whitespace-separated words of `text` as code-point ranges, `base` added (the offset of
/// `text` in the canonical body): the unit a selection grows by.
pub(in crate::app) fn word_chars(text: &str, base: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut n = 0usize;
    for (ci, c) in text.chars().enumerate() {
        n = ci + 1;
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(base + s..base + ci);
            }
        } else if start.is_none() {
            start = Some(ci);
        }
    }
    if let Some(s) = start {
        out.push(base + s..base + n);
    }
    out
}

/// Builds the map of `article` for the document `lines` laid out `width` wide.
pub(in crate::app) fn build_map(
    app_lines: &[DocLine],
    article: &crate::corpus::Article,
    story_id: &str,
    width: usize,
    set: &AnnotationSet,
) -> ArticleMap {
    let seg = crate::compare::segment::segment(&article.paragraphs);
    let body = article.body();
    let mut words = Vec::new();
    let mut base = 0usize;
    let mut search_from = 0usize;
    for (pi, p) in article.paragraphs.iter().enumerate() {
        // Words of the paragraph as written, in code points of the body.
        let pw: Vec<Range<usize>> = word_chars(p, base);
        // The paragraph's wrapped lines in the document.
        let wrapped = wrap(&safe_line(p), width);
        let first = (search_from..app_lines.len())
            .find(|&i| app_lines[i].kind == LineKind::Body && app_lines[i].text == wrapped[0]);
        let mut cells: Vec<(usize, Range<usize>)> = Vec::new();
        if let Some(first) = first {
            for (li, l) in wrapped.iter().enumerate() {
                let mut col = 0usize;
                for (k, w) in l.split(' ').enumerate() {
                    if k > 0 {
                        col += 1;
                    }
                    let ww = w.width();
                    cells.push((first + li, col..col + ww));
                    col += ww;
                }
            }
            search_from = first + wrapped.len();
        }
        let found = cells.len() == pw.len();
        for (k, r) in pw.into_iter().enumerate() {
            let (line, cols) = if found {
                (Some(cells[k].0), cells[k].1.clone())
            } else {
                (None, 0..0)
            };
            words.push(WordPos {
                chars: r,
                sentence: 0,
                paragraph: pi,
                line,
                cols,
            });
        }
        base += p.chars().count() + 2;
    }
    // Sentences: the words starting inside each.
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let mut wi = 0usize;
    for s in &seg.sentences {
        let start = wi;
        while wi < words.len() && words[wi].chars.start < s.chars.end {
            wi += 1;
        }
        if wi > start {
            for w in &mut words[start..wi] {
                w.sentence = sentences.len();
            }
            sentences.push(start..wi);
        }
    }
    if wi < words.len() {
        for w in &mut words[wi..] {
            w.sentence = sentences.len();
        }
        sentences.push(wi..words.len());
    }
    let anns: Vec<&Annotation> = set.for_article(article).collect();
    let placed = place_in_article(anns.iter().copied(), article, &AnchorText::new(&body));
    let mut marks = Vec::new();
    let mut orphans = 0;
    let mut placed_spans = Vec::new();
    for p in &placed {
        let Some(span) = p
            .anchoring
            .span
            .clone()
            .filter(|_| p.anchoring.status != AnchorStatus::Orphaned)
        else {
            orphans += 1;
            continue;
        };
        placed_spans.push((span.clone(), p.label.clone(), p.anchoring.status));
        for w in &words {
            if w.chars.start < span.end
                && w.chars.end > span.start
                && let Some(line) = w.line
            {
                // Join with the previous word's mark on the same line.
                match marks.last_mut() {
                    Some(MarkPos {
                        line: l,
                        cols,
                        label,
                    }) if *l == line && *label == p.label && cols.end + 1 == w.cols.start => {
                        cols.end = w.cols.end;
                    }
                    _ => marks.push(MarkPos {
                        line,
                        cols: w.cols.clone(),
                        label: p.label.clone(),
                    }),
                }
            }
        }
    }
    ArticleMap {
        key: None,
        article: article.id.to_string(),
        article_key: article.key.clone(),
        story: story_id.to_string(),
        body,
        words,
        sentences,
        marks,
        counts: (anns.len(), orphans),
        placed: placed_spans,
    }
}

impl App {
    /// Rebuilds the article map when the reader's document or the annotations changed.
    pub(in crate::app) fn refresh_ann_map(&mut self) {
        let Some(rkey) = self.reader.key else {
            self.ann.map = ArticleMap::default();
            return;
        };
        let key = Some((rkey, self.ann.generation));
        if self.ann.map.key == key {
            return;
        }
        let same_article = self
            .ann
            .map
            .key
            .is_some_and(|(k, _)| k.0 == rkey.0 && k.1 == rkey.1);
        let width = self.reader_text_width();
        let map = match self.lib.article(rkey.0, rkey.1) {
            Some(article) if !rkey.3 => build_map(
                &self.reader.lines,
                article,
                &self.lib.stories[rkey.0].id,
                width,
                &self.ann.set,
            ),
            _ => ArticleMap::default(),
        };
        self.ann.map = ArticleMap { key, ..map };
        if !same_article {
            self.ann.cursor = 0;
            self.ann.cursor_word = None;
            self.set_selection(None);
        } else if self.ann.map.words.is_empty() {
            // The raw text has no words to select: a selection made in the cleaned text ends.
            self.set_selection(None);
        }
        self.ann.cursor = self
            .ann
            .cursor
            .min(self.ann.map.sentences.len().saturating_sub(1));
    }

    /// Lines of the document the cursor's sentence covers.
    pub fn cursor_lines(&self) -> Option<Range<usize>> {
        let s = self.ann.map.sentences.get(self.ann.cursor)?;
        self.word_lines(s.clone())
    }

    pub(in crate::app) fn word_lines(&self, words: Range<usize>) -> Option<Range<usize>> {
        let ws = self.ann.map.words.get(words)?;
        let first = ws.iter().find_map(|w| w.line)?;
        let last = ws.iter().rev().find_map(|w| w.line)?;
        Some(first..last + 1)
    }

    /// Screen rows of what is being annotated: the diff cursor's item, else the reading
    /// pane's selection (or cursor sentence), clipped to the screen; `None` elsewhere (the
    /// collation). Popups (the label picker, the note) are placed away from them.
    pub fn annotated_rows(&self) -> Option<Range<u16>> {
        if let Some(d) = self.diff() {
            // The diff's body starts two rows down (header and column titles).
            let r = d.item_rows(d.cursor);
            let h = self.diff_height();
            let top = r.start.saturating_sub(d.scroll).min(h) + 2;
            let bottom = r.end.saturating_sub(d.scroll).min(h) + 2;
            return Some(u16_of(top)..u16_of(bottom.max(top)));
        }
        if self.layers.iter().any(|v| matches!(v, View::Collate(_))) {
            return None;
        }
        let lines = match self.selection() {
            Some(sel) => self.word_lines(sel.words()),
            None => self.cursor_lines(),
        }?;
        let inner = self.screen().reader?.inner();
        let h = inner.height as usize;
        let top = lines.start.saturating_sub(self.reader.scroll).min(h);
        let bottom = lines.end.saturating_sub(self.reader.scroll).min(h);
        Some(inner.y + u16_of(top)..inner.y + u16_of(bottom.max(top)))
    }

    /// Keeps the cursor's sentence (or the selection's moving end) in view.
    pub(in crate::app) fn show_cursor(&mut self) {
        let lines = match self.selection() {
            Some(sel) => self.word_lines(sel.head..sel.head + 1),
            None => self.cursor_lines(),
        };
        let Some(lines) = lines else {
            return;
        };
        let h = self.reader_height();
        if lines.start < self.reader.scroll {
            self.reader.scroll = lines.start;
        } else if lines.end > self.reader.scroll + h {
            self.reader.scroll = lines.end.saturating_sub(h).min(lines.start);
        }
    }

    /// After scrolling: the cursor moves onto the screen when it left it.
    pub(in crate::app) fn cursor_follow_scroll(&mut self) {
        if self.selection().is_some() {
            return;
        }
        let h = self.reader_height();
        let (top, bottom) = (self.reader.scroll, self.reader.scroll + h);
        if let Some(l) = self.cursor_lines()
            && l.start >= top
            && l.start < bottom
        {
            return;
        }
        let map = &self.ann.map;
        if let Some(s) = map.sentences.iter().position(|r| {
            map.words
                .get(r.start)
                .and_then(|w| w.line)
                .is_some_and(|l| l >= top && l < bottom)
        }) {
            self.ann.cursor = s;
        }
    }
}
