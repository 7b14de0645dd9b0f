//! The search: case-insensitive matching shared by the list filter, the search and the
//! highlights, and the search's part of the app (typing it, stepping through its matches).
//! Folding maps each character to one character, so positions in the folded text are
//! positions in the original.
//!
//! A search looks through story titles (incremental, jumping to the next matching title) or
//! every word of every version (`Tab` while typing): the query goes to the full-text index
//! off the UI thread ([`Effect::SearchIndex`]), and its answer ([`super::Msg::Searched`])
//! filters the list to the matching stories, best first, each showing its best version with
//! the query's words highlighted. The index is built by a background job after the corpus
//! loads ([`Effect::BuildIndex`]); until it is ready, titles are searched and the prompt says
//! so.

use std::sync::Arc;

use super::{
    Action, App, Context, Effect, IndexState, JobKind, Pane, SearchHits, SearchOutcome,
    SearchScope, SearchState, View,
};
use crate::corpus::{Corpus, Story};

/// Most stories an every-word search shows.
pub const MAX_HITS: usize = 10_000;

/// What the index job needs: the corpus and its stories as the list has them.
#[derive(Debug, Clone)]
pub struct IndexJob {
    /// The corpus (shared with the app, not copied).
    pub corpus: Arc<Corpus>,
    /// Its stories (shared with the app, not copied).
    pub stories: Arc<Vec<Story>>,
    /// Build it anew even when the index on disk looks current (it was found damaged).
    pub rebuild: bool,
    /// Where the text of articles reopened without it is read (the derived store).
    pub texts: Option<Arc<dyn crate::corpus::texts::TextSource>>,
}

impl PartialEq for IndexJob {
    fn eq(&self, other: &IndexJob) -> bool {
        Arc::ptr_eq(&self.corpus, &other.corpus)
            && (Arc::ptr_eq(&self.stories, &other.stories) || self.stories == other.stories)
            && self.rebuild == other.rebuild
    }
}

/// `12,345`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether `text` folded ([`fold`]) holds `folded` (itself folded): an ASCII `text` is
/// compared byte by byte ignoring case, any other folded first.
pub(crate) fn contains_folded(text: &str, folded: &str) -> bool {
    if !text.is_ascii() {
        return fold(text).contains(folded);
    }
    let (t, q) = (text.as_bytes(), folded.as_bytes());
    match q.first() {
        None => true,
        // A folded query is lower case: an ASCII text holds it where its bytes lowered do.
        Some(&first) => t
            .windows(q.len())
            .any(|w| w[0].to_ascii_lowercase() == first && w.eq_ignore_ascii_case(q)),
    }
}

/// The folded (lower-case) form of one character.
pub(crate) fn fold_char(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The folded form of `s`, with the same number of characters.
pub(crate) fn fold(s: &str) -> String {
    if s.is_ascii() {
        // The same as below for ASCII, without going char by char.
        return s.to_ascii_lowercase();
    }
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
    pub(super) fn search_input(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::InputSubmit => {
                if self.search.query.is_empty() {
                    self.clear_search(fx);
                } else {
                    self.report_search();
                }
            }
            Action::InputCancel => {
                let origin = self.search.origin;
                self.clear_search(fx);
                let width = self.diff_text_width();
                if let Some(d) = self.diff_mut() {
                    if let Some((cursor, scroll)) = d.search.origin {
                        d.cursor = cursor.min(d.items.len().saturating_sub(1));
                        d.scroll = scroll.min(d.rows.len().saturating_sub(1));
                    }
                    d.clear_found(width);
                    return;
                }
                if let Some((focus, row, scroll)) = origin {
                    self.focus = focus;
                    self.select_row(row.min(self.view.len().saturating_sub(1)));
                    self.reader.scroll = scroll.min(self.reader_max_scroll());
                }
            }
            _ => {
                self.layers.push(View::Search);
                self.search_edit(action, fx);
            }
        }
    }

    /// Edits the query or steps through the matches while the search is typed.
    pub(super) fn search_edit(&mut self, action: Action, fx: &mut Vec<Effect>) {
        if action == Action::SearchScope {
            self.search.scope = match self.search.scope {
                SearchScope::Titles => SearchScope::Everything,
                SearchScope::Everything => SearchScope::Titles,
            };
            self.search.error = None;
            self.drop_hits(fx);
            self.search_changed(fx);
            return;
        }
        match self.search.update(action) {
            SearchOutcome::Changed => self.search_changed(fx),
            SearchOutcome::Step(forward) => self.search_step(forward, false),
            SearchOutcome::Submit | SearchOutcome::Cancel | SearchOutcome::Stay => {}
        }
    }

    /// Whether queries go to the full-text index now (every word asked for, index ready).
    pub(crate) fn searches_everything(&self) -> bool {
        self.search.scope == SearchScope::Everything && self.index == IndexState::Ready
    }

    /// Drops the every-word search's stories (the list shows every story again, keeping the
    /// selected one) and any query still waiting for the index.
    fn drop_hits(&mut self, fx: &mut Vec<Effect>) {
        if self.search.asked.take().is_some() {
            fx.push(Effect::Cancel(JobKind::Search));
        }
        if self.search.hits.take().is_some() {
            self.rebuild_view(self.selected_story());
        }
    }

    pub(super) fn clear_search(&mut self, fx: &mut Vec<Effect>) {
        self.drop_hits(fx);
        self.search = SearchState {
            scope: self.search.scope,
            ..SearchState::default()
        };
    }

    /// Starts a new search (`/`), in the scope of the last one.
    pub(super) fn start_search(&mut self, fx: &mut Vec<Effect>) {
        self.clear_search(fx);
        let width = self.diff_text_width();
        if let Some(d) = self.diff_mut() {
            d.clear_found(width);
            d.search.origin = Some((d.cursor, d.scroll));
        }
        self.search.origin = Some((self.focus, self.list.selected, self.reader.scroll));
        self.layers.push(View::Search);
    }

    /// The query changed while typing: recount and jump to the first match from the origin
    /// (titles), or ask the index (every word).
    pub(super) fn search_changed(&mut self, fx: &mut Vec<Effect>) {
        if !self.is_ready() {
            return;
        }
        if self.diff().is_some() {
            return self.diff_search_changed();
        }
        if self.searches_everything() {
            self.search.error = None;
            if self.search.query.trim().is_empty() {
                self.drop_hits(fx);
                self.count_list_matches();
                self.search.reader_matches.clear();
                self.search.current = None;
                return;
            }
            self.search.asked = Some(self.search.query.clone());
            fx.push(Effect::SearchIndex(self.search.query.clone()));
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

    /// The query changed while the diff view is below the input: find it in the two
    /// versions and go to the first match from where the search began.
    fn diff_search_changed(&mut self) {
        let (width, h) = (self.diff_text_width(), self.diff_height());
        let query = self.search.query.clone();
        let Some(d) = self.diff_mut() else {
            return;
        };
        if let Some((cursor, scroll)) = d.search.origin {
            d.cursor = cursor.min(d.items.len().saturating_sub(1));
            d.scroll = scroll.min(d.rows.len().saturating_sub(1));
        }
        let origin = d.search.origin;
        let found = d.find(&query, width);
        d.search.origin = origin;
        match found {
            Ok(n) => {
                self.search.error = None;
                self.search.list_matches = n;
                if let Some(d) = self.diff_mut() {
                    d.step_found(true, true, h, width);
                }
            }
            Err(e) if query.trim().is_empty() => {
                let _ = e;
                self.search.error = None;
            }
            Err(e) => {
                self.search.list_matches = 0;
                self.search.error = Some(e);
            }
        }
    }

    /// `n`/`N` in the diff view after a search: the next (previous) match, on either side.
    /// False when the diff has no search marks (the keys then step through changes).
    pub(super) fn diff_search_step(&mut self, forward: bool) -> bool {
        let (width, h) = (self.diff_text_width(), self.diff_height());
        let Some(d) = self.diff_mut() else {
            return false;
        };
        match d.step_found(forward, false, h, width) {
            Some(msg) => {
                let msg = format!("/{}: {msg}", self.search.query);
                self.info(&msg);
                true
            }
            None => false,
        }
    }

    /// The index answered an every-word query: when it is still the query typed, the list
    /// shows the matching stories, best first, the first selected at its best version.
    pub(super) fn searched(
        &mut self,
        query: String,
        result: Result<Vec<crate::search::StoryMatch>, String>,
    ) {
        if self.search.asked.as_deref() == Some(query.as_str()) {
            self.search.asked = None;
        }
        if query != self.search.query || !self.searches_everything() {
            return;
        }
        let found = match result {
            Ok(found) => found,
            Err(e) => {
                // A half-typed query ("jonas p): the last answer stays, the prompt says why.
                self.search.error = Some(e);
                return;
            }
        };
        let stories = &self.lib.stories;
        let hits: Vec<(usize, usize)> = found
            .iter()
            .filter_map(|m| {
                let story = stories.get(m.story_ord)?;
                let version = story
                    .versions
                    .iter()
                    .position(|v| v.article == m.article_index)?;
                Some((m.story_ord, version))
            })
            .collect();
        self.search.error = (hits.len() < found.len()).then(|| {
            "the search index does not match the corpus shown; restart stet to rebuild it"
                .to_string()
        });
        self.search.hits = Some(SearchHits {
            query,
            stories: hits,
        });
        if self.focus != Pane::List {
            self.focus = Pane::List;
        }
        self.rebuild_view(None);
        self.find_reader_matches();
        self.show_first_mark();
    }

    /// An every-word search: the reading pane scrolls to the first word it marks (the
    /// match may be far down the article).
    pub(super) fn show_first_mark(&mut self) {
        if self.search.hits.is_none() || self.search.reader_matches.is_empty() {
            return;
        }
        self.search.current = Some(0);
        self.scroll_to_current_match();
    }

    /// The version to show first for `story`: the best match of an every-word search.
    pub(super) fn hit_version(&self, story: usize) -> Option<usize> {
        let hits = self.search.hits.as_ref()?;
        hits.stories
            .iter()
            .find(|(s, _)| *s == story)
            .map(|&(_, v)| v)
    }

    /// A search found the index damaged: it is built anew (titles are searched meanwhile,
    /// and the query typed is asked again when it is ready).
    pub(super) fn index_damaged(&mut self, why: String, fx: &mut Vec<Effect>) {
        if self.index == IndexState::Opening || matches!(self.index, IndexState::Building { .. }) {
            return;
        }
        self.problems
            .push(format!("search index: {why}; building it again"));
        // Titles are searched meanwhile: the list shows every story again.
        self.drop_hits(fx);
        self.request_index(fx);
        if let Some(Effect::BuildIndex(job)) = fx.last_mut() {
            job.rebuild = true;
        }
        self.search.error = None;
        self.search.asked = None;
        self.info("The search index is damaged: building it again; titles are searched meanwhile");
    }

    /// The corpus loaded: the index job is asked for.
    pub(super) fn request_index(&mut self, fx: &mut Vec<Effect>) {
        if self.lib.corpus.articles.is_empty() {
            self.index = IndexState::Failed("no article loaded".into());
            return;
        }
        self.index = IndexState::Opening;
        fx.push(Effect::BuildIndex(Box::new(IndexJob {
            corpus: self.lib.corpus.clone(),
            stories: self.lib.stories.clone(),
            rebuild: false,
            texts: self.lib.texts.as_ref().map(|t| t.source()),
        })));
    }

    /// The index is open: a search typed meanwhile in every-word scope is asked again.
    pub(super) fn index_ready(&mut self, fx: &mut Vec<Effect>) {
        self.index = IndexState::Ready;
        if self.search.scope == SearchScope::Everything && !self.search.query.is_empty() {
            if matches!(self.top(), Some(View::Search)) {
                self.search_changed(fx);
            } else {
                self.info("The search index is ready: / then Tab searches every word");
            }
        }
    }

    /// The prompt's note after the query: counts, scope, and the index's state.
    pub fn search_note(&self) -> String {
        let tab = self
            .keymap
            .first_key(&[Context::Search], Action::SearchScope)
            .unwrap_or_else(|| "search_scope".into());
        if let Some(d) = self.diff() {
            let (a, b) = d.found_per_side();
            return match &self.search.error {
                Some(e) => format!("{e} · in these versions"),
                None => format!(
                    "{} in these versions (old {a}, new {b})",
                    crate::text::plural(a + b, "match", "matches")
                ),
            };
        }
        if self.focus == Pane::Reader && self.search.hits.is_none() {
            return format!(
                "{} in article · {tab}: {}",
                self.search.reader_matches.len(),
                match self.search.scope {
                    SearchScope::Titles => "all words",
                    SearchScope::Everything => "titles",
                }
            );
        }
        let titles = crate::text::plural(self.search.list_matches, "story", "stories");
        match self.search.scope {
            SearchScope::Titles => format!("{titles} · titles ({tab}: all words)"),
            SearchScope::Everything => match &self.index {
                IndexState::Ready => {
                    let count = match &self.search.hits {
                        Some(h) if h.query == self.search.query => {
                            crate::text::plural(self.view.len(), "story", "stories")
                        }
                        _ if self.search.query.is_empty() => String::new(),
                        _ => "searching…".into(),
                    };
                    match &self.search.error {
                        Some(e) => format!("{e} · all words ({tab}: titles)"),
                        None => format!("{count} · all words ({tab}: titles)"),
                    }
                }
                IndexState::Building { done, total } => format!(
                    "{titles} · all words: index not ready (indexing {} / {}), titles \
                     searched meanwhile ({tab}: titles)",
                    thousands(*done),
                    thousands(*total)
                ),
                IndexState::NotStarted | IndexState::Opening => {
                    format!("{titles} · all words: index not ready ({tab}: titles)")
                }
                IndexState::Failed(e) => {
                    format!("{titles} · all words: no index ({e}); titles searched ({tab}: titles)")
                }
            },
        }
    }

    pub(super) fn count_list_matches(&mut self) {
        if self.search.hits.is_some() {
            self.search.list_matches = self.view.len();
            return;
        }
        let q = fold(&self.search.query);
        self.search.list_matches = if q.is_empty() {
            0
        } else {
            self.view
                .iter()
                .filter(|&&i| self.lib.title_matches(i, &q))
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
        if self.search.hits.is_some() {
            // Every story shown matches.
            return Some(if forward {
                (from + start) % n
            } else {
                (from + n - start) % n
            });
        }
        (start..n + start)
            .map(|k| {
                if forward {
                    (from + k) % n
                } else {
                    (from + n * 2 - k) % n
                }
            })
            .find(|&r| self.lib.title_matches(self.view[r], &q))
    }

    pub(super) fn find_reader_matches(&mut self) {
        self.search.reader_matches.clear();
        self.search.current = None;
        if self.search.query.is_empty() {
            return;
        }
        if self.search.hits.is_some() {
            // The query's words and phrases, as the index matched them (case and accents
            // ignored); a phrase broken across two lines is not marked.
            let lines: Vec<String> = self.reader.lines.iter().map(|l| l.text.clone()).collect();
            if let Ok(found) = crate::search::find_in_texts(&self.search.query, &lines, &[]) {
                self.search.reader_matches =
                    found.into_iter().map(|m| (m.paragraph, m.range)).collect();
            }
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
        if self.diff().is_some() {
            let (width, h) = (self.diff_text_width(), self.diff_height());
            let query = self.search.query.clone();
            if let Some(d) = self.diff_mut() {
                match d.step_found(forward, false, h, width) {
                    Some(msg) if report => self.info(&format!("/{query}: {msg}")),
                    Some(_) => {}
                    None => self.error(&format!("No match for {query:?} in these versions")),
                }
            }
            return;
        }
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
        if let Some(d) = self.diff() {
            let (a, b) = d.found_per_side();
            let msg = match &self.search.error {
                Some(e) => format!("/{}: {e}", self.search.query),
                None if a + b == 0 => format!("/{}: no match in these versions", self.search.query),
                None => format!(
                    "/{}: {} (old {a}, new {b}); n and N step through them, Esc clears",
                    self.search.query,
                    crate::text::plural(a + b, "match", "matches")
                ),
            };
            return self.info(&msg);
        }
        let msg = if self.search_target_is_reader() || self.focus == Pane::Reader {
            let n = self.search.reader_matches.len();
            match self.search.current {
                Some(c) if n > 0 => format!("/{}: match {} of {n}", self.search.query, c + 1),
                _ => format!("/{}: no match in this article", self.search.query),
            }
        } else if self.search.hits.is_some() {
            let back = self
                .keymap
                .first_key(&[Context::List, Context::Global], Action::Back)
                .unwrap_or_else(|| "back".into());
            format!(
                "/{}: {} (every word; {back} shows all)",
                self.search.query,
                crate::text::plural(self.view.len(), "matching story", "matching stories")
            )
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
    fn ascii_folds_as_char_by_char() {
        let all: String = (0u8..0x80).map(char::from).collect();
        let slow: String = all.chars().map(fold_char).collect();
        assert_eq!(fold(&all), slow);
        assert_eq!(fold("ÖL Price"), "öl price");
    }

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

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(41_000), "41,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
