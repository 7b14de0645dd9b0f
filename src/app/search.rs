//! The search: case-insensitive matching shared by the list filter, the search and the
//! highlights, and the search's part of the app (typing it, stepping through its matches).
//! Folding maps each character to one character, so positions in the folded text are
//! positions in the original.

use super::{Action, App, Context, Pane, SearchOutcome, SearchState, View};

/// The folded (lower-case) form of one character.
pub(crate) fn fold_char(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The folded form of `s`, with the same number of characters.
pub(crate) fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Byte ranges in `text` where the folded `needle` occurs (case-insensitively), not overlapping.
pub(crate) fn find_matches(text: &str, needle: &str) -> Vec<std::ops::Range<usize>> {
    let needle: Vec<char> = needle.chars().map(fold_char).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        if chars[i..i + needle.len()]
            .iter()
            .zip(&needle)
            .all(|(&(_, c), &n)| fold_char(c) == n)
        {
            let start = chars[i].0;
            let end = chars.get(i + needle.len()).map_or(text.len(), |&(b, _)| b);
            out.push(start..end);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

impl App {
    // ----- search -----

    pub(super) fn search_target_is_reader(&self) -> bool {
        let focus = self.search.origin.map_or(self.focus, |o| o.0);
        focus == Pane::Reader
    }

    /// An action while typing a search, the search input taken off the stack: it goes back
    /// unless the search is accepted or cancelled.
    pub(super) fn search_input(&mut self, action: Action) {
        match self.search.update(action) {
            SearchOutcome::Submit => {
                if self.search.query.is_empty() {
                    self.clear_search();
                } else {
                    self.report_search();
                }
            }
            SearchOutcome::Cancel => {
                if let Some((focus, row, scroll)) = self.search.origin {
                    self.focus = focus;
                    self.select_row(row.min(self.view.len().saturating_sub(1)));
                    self.reader.scroll = scroll.min(self.reader_max_scroll());
                }
                self.clear_search();
            }
            outcome => {
                self.layers.push(View::Search);
                match outcome {
                    SearchOutcome::Changed => self.search_changed(),
                    SearchOutcome::Step(forward) => self.search_step(forward, false),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn clear_search(&mut self) {
        self.search = SearchState::default();
    }

    /// The query changed while typing: recount and jump to the first match from the origin.
    pub(super) fn search_changed(&mut self) {
        if !self.is_ready() {
            return;
        }
        let (focus, row, scroll) =
            self.search
                .origin
                .unwrap_or((self.focus, self.list.selected, self.reader.scroll));
        self.count_list_matches();
        if self.search.query.is_empty() {
            self.search.reader_matches.clear();
            self.search.current = None;
            if focus == Pane::Reader {
                self.reader.scroll = scroll.min(self.reader_max_scroll());
            } else {
                self.select_row(row.min(self.view.len().saturating_sub(1)));
            }
            return;
        }
        if focus == Pane::Reader {
            self.find_reader_matches();
            let first = self
                .search
                .reader_matches
                .iter()
                .position(|(l, _)| *l >= scroll)
                .or(if self.search.reader_matches.is_empty() {
                    None
                } else {
                    Some(0)
                });
            self.search.current = first;
            self.scroll_to_current_match();
        } else {
            match self.next_list_match(row, true, true) {
                Some(r) => self.select_row(r),
                None => self.select_row(row.min(self.view.len().saturating_sub(1))),
            }
            // The article beside the list highlights the query too.
            self.find_reader_matches();
        }
    }

    pub(super) fn count_list_matches(&mut self) {
        let q = fold(&self.search.query);
        self.search.list_matches = if q.is_empty() {
            0
        } else {
            self.view
                .iter()
                .filter(|&&i| self.lib.folded_titles[i].contains(&q))
                .count()
        };
    }

    /// The next list row (from `from`, wrapping) whose title matches the query.
    pub(super) fn next_list_match(
        &self,
        from: usize,
        forward: bool,
        inclusive: bool,
    ) -> Option<usize> {
        let n = self.view.len();
        let q = fold(&self.search.query);
        if n == 0 || q.is_empty() {
            return None;
        }
        let start = if inclusive { 0 } else { 1 };
        (start..n + start)
            .map(|k| {
                if forward {
                    (from + k) % n
                } else {
                    (from + n * 2 - k) % n
                }
            })
            .find(|&r| self.lib.folded_titles[self.view[r]].contains(&q))
    }

    pub(super) fn find_reader_matches(&mut self) {
        self.search.reader_matches.clear();
        self.search.current = None;
        if self.search.query.is_empty() {
            return;
        }
        for (i, line) in self.reader.lines.iter().enumerate() {
            for m in find_matches(&line.text, &self.search.query) {
                self.search.reader_matches.push((i, m));
            }
        }
    }

    pub(super) fn scroll_to_current_match(&mut self) {
        if let Some(c) = self.search.current
            && let Some((line, _)) = self.search.reader_matches.get(c)
        {
            let h = self.reader_height();
            if *line < self.reader.scroll || *line >= self.reader.scroll + h {
                self.reader.scroll = line.saturating_sub(h / 3);
            }
            self.reader.scroll = self.reader.scroll.min(self.reader_max_scroll());
        }
    }

    /// The next (previous) match; `report` shows it in the status bar (not while typing,
    /// where the input shows).
    pub(super) fn search_step(&mut self, forward: bool, report: bool) {
        if self.search.query.is_empty() {
            let key = self
                .keymap
                .first_key(&[Context::Global], Action::Search)
                .unwrap_or_else(|| "search".into());
            self.info(&format!("No search: press {key} to search"));
            return;
        }
        if self.search_target_is_reader() || self.focus == Pane::Reader {
            let n = self.search.reader_matches.len();
            if n == 0 {
                self.error(&format!(
                    "No match for {:?} in this article",
                    self.search.query
                ));
                return;
            }
            self.search.current = Some(match self.search.current {
                Some(c) if forward => (c + 1) % n,
                Some(c) => (c + n - 1) % n,
                None => {
                    let scroll = self.reader.scroll;
                    let after = self
                        .search
                        .reader_matches
                        .iter()
                        .position(|(l, _)| *l >= scroll);
                    if forward { after.unwrap_or(0) } else { n - 1 }
                }
            });
            self.scroll_to_current_match();
        } else {
            match self.next_list_match(self.list.selected, forward, false) {
                Some(r) => self.select_row(r),
                None => {
                    self.error(&format!("No story title matches {:?}", self.search.query));
                    return;
                }
            }
        }
        if report {
            self.report_search();
        }
    }

    pub(super) fn report_search(&mut self) {
        let msg = if self.search_target_is_reader() || self.focus == Pane::Reader {
            let n = self.search.reader_matches.len();
            match self.search.current {
                Some(c) if n > 0 => format!("/{}: match {} of {n}", self.search.query, c + 1),
                _ => format!("/{}: no match in this article", self.search.query),
            }
        } else {
            let n = self.search.list_matches;
            format!(
                "/{}: {n} matching {}",
                self.search.query,
                if n == 1 { "story" } else { "stories" }
            )
        };
        self.info(&msg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitive_matches_with_byte_ranges() {
        let t = "Öl price: öl and ÖL";
        let m = find_matches(t, "öl");
        assert_eq!(m.len(), 3);
        assert_eq!(&t[m[0].clone()], "Öl");
        assert_eq!(&t[m[2].clone()], "ÖL");
        assert!(find_matches(t, "").is_empty());
        assert_eq!(find_matches("aaaa", "aa").len(), 2);
        assert_eq!(fold("東京 ABC").chars().count(), "東京 ABC".chars().count());
    }
}
