//! Selecting in the reading pane: extending by word, sentence or paragraph, annotating the
//! selection or the cursor's sentence, stepping through the article's annotations.

use super::*;

impl App {
    /// Performs an annotating action in the reading pane; false when it is not one.
    pub(in crate::app) fn ann_update(&mut self, action: Action, fx: &mut Vec<Effect>) {
        self.refresh_ann_map();
        let nw = self.ann.map.words.len();
        let ns = self.ann.map.sentences.len();
        if nw == 0 && !matches!(action, Action::AnnUndo | Action::AnnRedo) {
            self.info("No text to annotate here (raw view or empty article)");
            return;
        }
        match action {
            Action::SelectStart => {
                if let Some(s) = self.ann.map.sentences.get(self.ann.cursor) {
                    // One word: the clicked one when it is in the cursor's sentence, else
                    // the sentence's first.
                    let word = self
                        .ann
                        .cursor_word
                        .filter(|w| s.contains(w))
                        .unwrap_or(s.start);
                    self.set_selection(Some(Selection::at(word)));
                    self.info("Selecting: w/e/b word, f/t char, * this word, (/) sentence, {/} paragraph, o other end, a annotate");
                }
            }
            Action::SentenceNext | Action::SentencePrev => {
                let fwd = action == Action::SentenceNext;
                match crate::app::view::selection_mut(&mut self.layers) {
                    Some(sel) => {
                        // To the end (start) of the head's sentence, else of the next
                        // (previous) one.
                        let map = &self.ann.map;
                        let s = map.words[sel.head].sentence;
                        let r = map.sentences[s].clone();
                        sel.head = if fwd {
                            if sel.head + 1 < r.end {
                                r.end - 1
                            } else {
                                map.sentences.get(s + 1).map_or(nw - 1, |r| r.end - 1)
                            }
                        } else if sel.head > r.start {
                            r.start
                        } else if s > 0 {
                            map.sentences[s - 1].start
                        } else {
                            0
                        };
                    }
                    None => {
                        self.ann.cursor = if fwd {
                            (self.ann.cursor + 1).min(ns.saturating_sub(1))
                        } else {
                            self.ann.cursor.saturating_sub(1)
                        };
                    }
                }
            }
            Action::ParagraphNext | Action::ParagraphPrev => {
                let fwd = action == Action::ParagraphNext;
                let map = &self.ann.map;
                let at = match self.selection() {
                    Some(sel) => sel.head,
                    None => map.sentences.get(self.ann.cursor).map_or(0, |r| r.start),
                };
                let p = map.words[at].paragraph;
                let target = if fwd {
                    map.words
                        .iter()
                        .rposition(|w| w.paragraph == p + 1)
                        .or_else(|| map.words.iter().rposition(|w| w.paragraph == p))
                        .unwrap_or(nw - 1)
                } else {
                    map.words
                        .iter()
                        .position(|w| w.paragraph + 1 == p)
                        .unwrap_or(0)
                };
                match crate::app::view::selection_mut(&mut self.layers) {
                    Some(sel) => sel.head = target,
                    None => {
                        // To the first sentence of the paragraph.
                        let tp = map.words[target].paragraph;
                        let first = map.words.iter().position(|w| w.paragraph == tp);
                        self.ann.cursor = first.map_or(0, |f| map.words[f].sentence);
                    }
                }
            }
            Action::WordNext
            | Action::WordPrev
            | Action::WordEnd
            | Action::WordEndPrev
            | Action::SelectWord => {
                if let Some(sel) = crate::app::view::selection_mut(&mut self.layers) {
                    word_motion(sel, action, nw);
                }
            }
            Action::SelectSwap => {
                if let Some(sel) = crate::app::view::selection_mut(&mut self.layers) {
                    std::mem::swap(&mut sel.anchor, &mut sel.head);
                }
            }
            Action::SelectCancel => {
                self.set_selection(None);
                self.info("Selection cancelled");
            }
            Action::Annotate => {
                if let Some(reason) = &self.ann.read_only {
                    let msg = format!("Annotations are read-only: {reason}");
                    self.error(&msg);
                    return;
                }
                let words = match self.selection() {
                    Some(sel) => sel.words(),
                    None => match self.ann.map.sentences.get(self.ann.cursor) {
                        Some(r) => r.clone(),
                        None => return,
                    },
                };
                let map = &self.ann.map;
                let (Some(first), Some(last)) =
                    (map.words.get(words.start), map.words.get(words.end - 1))
                else {
                    return;
                };
                let granularity = match self.selection() {
                    None => Granularity::Sentence,
                    Some(_) => Granularity::Span,
                };
                let span = first.chars.start..last.chars.end;
                match Target::from_char_span(&map.article, &map.story, &map.body, span, granularity)
                    .map(|t| t.keyed(&map.article_key))
                {
                    Ok(t) => match self.ann.reattach {
                        Some(id) => self.finish_reattach(id, t, fx),
                        None => {
                            self.ann.target = Some(vec![t]);
                            self.layers.push(View::LabelPick);
                        }
                    },
                    Err(e) => self.error(&format!("Cannot annotate this: {e}")),
                }
            }
            Action::AnnUndo | Action::AnnRedo => return self.ann_undo_redo(action, fx),
            Action::NextAnnotation | Action::PrevAnnotation => {
                let map = &self.ann.map;
                let here = map
                    .sentences
                    .get(self.ann.cursor)
                    .and_then(|r| map.words.get(r.start))
                    .map_or(0, |w| w.chars.start);
                let sentence_of = |start: usize| {
                    map.words
                        .iter()
                        .find(|w| w.chars.end > start)
                        .map(|w| w.sentence)
                };
                let n = map.placed.len();
                let found = if action == Action::NextAnnotation {
                    map.placed.iter().enumerate().find(|(_, p)| {
                        sentence_of(p.0.start).is_some_and(|s| s > self.ann.cursor)
                            || (p.0.start > here && sentence_of(p.0.start) != Some(self.ann.cursor))
                    })
                } else {
                    map.placed
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|(_, p)| sentence_of(p.0.start).is_some_and(|s| s < self.ann.cursor))
                };
                match found {
                    Some((k, (span, label, status))) => {
                        let s = sentence_of(span.start).unwrap_or(0);
                        let msg = format!(
                            "Annotation {} of {n}: {} ({})",
                            k + 1,
                            self.ann.labels.display_name(label),
                            status.as_str()
                        );
                        self.ann.cursor = s;
                        self.info(&msg);
                    }
                    None => self.info(if n == 0 {
                        "No annotation in this article"
                    } else if action == Action::NextAnnotation {
                        "No annotation below"
                    } else {
                        "No annotation above"
                    }),
                }
            }
            _ => {}
        }
        self.show_cursor();
    }

    /// A find motion (`f`/`t`/`F`/`T` then `c`, `count` times) on the selection of the
    /// reading pane or the diff view.
    pub(in crate::app) fn find_motion(&mut self, action: Action, c: char, count: usize) {
        if self.diff_find(action, c, count) {
            return;
        }
        let Some(sel) = self.selection() else {
            return;
        };
        let map = &self.ann.map;
        let text: Vec<char> = map.body.chars().collect();
        let words: Vec<Range<usize>> = map.words.iter().map(|w| w.chars.clone()).collect();
        match find_head(&text, &words, sel.head, action, c, count) {
            Some(head) => {
                if let Some(sel) = crate::app::view::selection_mut(&mut self.layers) {
                    sel.head = head;
                }
                self.show_cursor();
            }
            None => self.info(&format!("No {c:?} further in the article")),
        }
    }
}
