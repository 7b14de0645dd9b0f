//! The collation view's state: the table of a story's versions, the selected reading and
//! version, and the pairwise diff opened from it; opening it (at once, or as a background job).
//! Pure: `update` changes the state only.

use super::{Action, App, Context, Cursor, Effect, JobKind, Library, View};
use crate::compare::collate::{Collation, VersionInput, collate, collate_with};
use crate::compare::{Comparison, compare};
use crate::num::isize_of;

/// Most versions the view collates (every pair is aligned: 60 versions are 1,770 pairs).
pub(crate) const MAX_VERSIONS: usize = 60;

/// The collation of one story as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CollateView {
    /// Index of the story in `Library::stories`.
    pub story: usize,
    /// The story's title as shown.
    pub title: String,
    /// The table.
    pub table: Collation,
    /// Index in `Corpus::articles` of each input version (`VersionInfo::input` indexes this).
    pub articles: Vec<usize>,
    /// The selected reading (row) and the first row shown.
    pub row: Cursor,
    /// The selected version (column).
    pub column: usize,
    /// The pairwise diff of the selected version against the base, when opened.
    pub diff: Option<PairDiff>,
    /// For each reading, the label of an annotation on it in any version (the margin mark).
    pub marks: Vec<Option<crate::annotate::LabelId>>,
    /// The annotations' generation `marks` were computed at (None: not yet).
    pub marks_at: Option<u64>,
}

/// The pairwise diff of one version against the first (base) version.
#[derive(Debug, Clone, PartialEq)]
pub struct PairDiff {
    /// Column of the version compared with column 0.
    pub column: usize,
    /// The comparison (A: the base version, B: this version).
    pub comparison: Comparison,
}

/// What the view asks of the app after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CollateOutcome {
    /// Stay in the view.
    Stay,
    /// Close the view.
    Close,
}

impl CollateView {
    /// Applies `action`; `page` is the number of matrix rows shown; `lib` holds the story's
    /// articles (for the pairwise diff).
    pub(crate) fn update(&mut self, action: Action, page: usize, lib: &Library) -> CollateOutcome {
        let rows = self.table.readings.len();
        let cols = self.table.width();
        let page = page.max(1);
        let move_row = |row: &mut Cursor, delta: isize| {
            if rows > 0 {
                row.selected = row.selected.saturating_add_signed(delta).min(rows - 1);
            }
        };
        match action {
            Action::MoveDown => move_row(&mut self.row, 1),
            Action::MoveUp => move_row(&mut self.row, -1),
            Action::PageDown => move_row(&mut self.row, isize_of(page)),
            Action::PageUp => move_row(&mut self.row, -isize_of(page)),
            Action::HalfPageDown => move_row(&mut self.row, isize_of((page / 2).max(1))),
            Action::HalfPageUp => move_row(&mut self.row, -isize_of((page / 2).max(1))),
            Action::First => self.row.selected = 0,
            Action::Last => self.row.selected = rows.saturating_sub(1),
            Action::FocusRight | Action::NextVersion => {
                self.column = (self.column + 1).min(cols.saturating_sub(1));
                self.refresh_diff(lib);
            }
            Action::FocusLeft | Action::PrevVersion => {
                self.column = self.column.saturating_sub(1);
                self.refresh_diff(lib);
            }
            Action::Open => {
                if self.diff.is_some() {
                    self.diff = None;
                } else {
                    self.diff = Some(self.pair_diff(lib));
                }
            }
            Action::Back | Action::Collate => {
                if self.diff.is_some() && action == Action::Back {
                    self.diff = None;
                } else {
                    return CollateOutcome::Close;
                }
            }
            _ => {}
        }
        self.row.scroll_into_view(page, rows);
        CollateOutcome::Stay
    }

    /// Follows the selected column with the open diff.
    fn refresh_diff(&mut self, lib: &Library) {
        if self.diff.as_ref().is_some_and(|d| d.column != self.column) {
            self.diff = Some(self.pair_diff(lib));
        }
    }

    /// The comparison of the selected version against the base (column 0).
    fn pair_diff(&self, lib: &Library) -> PairDiff {
        let body = |col: usize| -> &[String] {
            self.table
                .versions
                .get(col)
                .and_then(|v| self.articles.get(v.input))
                .and_then(|&a| lib.article_at(a))
                .map_or(&[][..], |a| a.paragraphs.as_slice())
        };
        PairDiff {
            column: self.column,
            comparison: compare(body(0), body(self.column)),
        }
    }

    /// Index of the op of the open diff that shows the selected reading, if any.
    pub(crate) fn diff_op(&self) -> Option<usize> {
        let d = self.diff.as_ref()?;
        let r = self.table.readings.get(self.row.selected)?;
        let cmp = &d.comparison;
        if let Some(cell) = r.cells.get(d.column).filter(|c| !c.sentences.is_empty()) {
            return cmp.b_op.get(cell.sentences.start).copied();
        }
        let cell = r.cells.first().filter(|c| !c.sentences.is_empty())?;
        cmp.a_op.get(cell.sentences.start).copied()
    }
}

/// A collation to compute, with its own copy of the versions, so it can run on a worker
/// thread while the reader stays responsive.
#[derive(Debug, Clone)]
pub struct CollateJob {
    /// Index of the story.
    pub story: usize,
    /// The view's title.
    pub title: String,
    /// Index in `Corpus::articles` of each version.
    pub articles: Vec<usize>,
    /// The versions (copies of the articles).
    pub versions: Vec<crate::corpus::Article>,
}

impl PartialEq for CollateJob {
    fn eq(&self, other: &Self) -> bool {
        (self.story, &self.title, &self.articles) == (other.story, &other.title, &other.articles)
    }
}

/// Stories at most this big (versions × bytes) are collated at once; bigger ones on a worker.
pub(crate) const COLLATE_INLINE_BYTES: usize = 400_000;

impl CollateJob {
    /// The collation of story `story` of `lib` to compute (None for an unknown story).
    pub(crate) fn new(lib: &Library, story: usize, title: String) -> Option<CollateJob> {
        let s = lib.stories.get(story)?;
        // Collation aligns every pair of versions: a story of hundreds of versions would stall
        // the reader, so the view takes the first ones (by date, as the story orders them).
        let mut title = title;
        let total = s.versions.len();
        if total > MAX_VERSIONS {
            title = format!("{title} (first {MAX_VERSIONS} of {total} versions)");
        }
        let articles: Vec<usize> = s
            .versions
            .iter()
            .map(|v| v.article)
            .filter(|&a| a < lib.corpus.articles.len())
            .take(MAX_VERSIONS)
            .collect();
        let versions = articles
            .iter()
            .filter_map(|&a| lib.article_at(a).cloned())
            .collect();
        Some(CollateJob {
            story,
            title,
            articles,
            versions,
        })
    }

    /// The work it takes: versions × bytes of text (every pair of versions is aligned).
    pub(crate) fn size(&self) -> usize {
        let bytes: usize = self
            .versions
            .iter()
            .flat_map(|a| &a.paragraphs)
            .map(String::len)
            .sum();
        bytes.saturating_mul(self.versions.len())
    }

    /// Computes the collation.
    pub fn run(self) -> CollateView {
        let table = collate(&self.inputs());
        self.into_view(table)
    }

    #[cfg(test)]
    /// Computes the collation, giving up (None) as soon as `stop` says so (a background job
    /// that was cancelled).
    pub(crate) fn run_until(self, stop: &(dyn Fn() -> bool + Sync)) -> Option<CollateView> {
        let table = crate::compare::collate::collate_until(&self.inputs(), stop)?;
        Some(self.into_view(table))
    }

    /// [`CollateJob::run_until`], telling `progress` (pairs aligned, pairs) as the pairs of
    /// versions are aligned.
    pub(crate) fn run_with(
        self,
        stop: &(dyn Fn() -> bool + Sync),
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Option<CollateView> {
        let table = collate_with(&self.inputs(), stop, progress)?;
        Some(self.into_view(table))
    }

    fn inputs(&self) -> Vec<VersionInput<'_>> {
        self.versions
            .iter()
            .map(VersionInput::from_article)
            .collect()
    }

    fn into_view(self, table: Collation) -> CollateView {
        CollateView {
            story: self.story,
            title: self.title,
            table,
            articles: self.articles,
            row: Cursor::default(),
            column: 0,
            diff: None,
            marks: Vec::new(),
            marks_at: None,
        }
    }
}

/// How the view's inner height is shared: the matrix rows and the detail panel's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CollateRows {
    /// Rows of the matrix.
    pub matrix: usize,
    /// Lines below it (the selected reading, or the diff), their rule included.
    pub detail: usize,
}

/// Lines above the matrix: the timeline, the source, day and reuse headers.
pub(crate) const HEADER_LINES: u16 = 4;

/// The rows of the matrix and of the detail panel in a view of `inner_height` lines showing
/// `versions` versions: the detail panel gets a rule and two lines per version, at most 45% of
/// the height (the matrix at least one row).
pub(crate) fn layout_rows(inner_height: u16, versions: usize) -> CollateRows {
    let rest = usize::from(inner_height.saturating_sub(HEADER_LINES));
    let wanted = 1 + 2 * versions.max(1);
    let detail = wanted.min(rest * 9 / 20).min(rest.saturating_sub(1));
    CollateRows {
        matrix: rest - detail,
        detail,
    }
}

/// The inner height of the view on a terminal `rows` high (a status bar and a border).
pub(crate) fn inner_height(rows: u16) -> u16 {
    rows.saturating_sub(3)
}

impl App {
    /// Opens the collation of the selected story: at once when it is small, else as a
    /// background job (the reader stays usable; the view opens when it is ready, if that story
    /// is still selected).
    pub(super) fn open_collate(&mut self, fx: &mut Vec<Effect>) {
        let Some(story) = self.selected_story() else {
            return;
        };
        self.lib.ensure_story(story);
        if self.lib.stories[story].versions.len() < 2 {
            // As the diff says: one version has nothing to line up against.
            self.error("This story has one version: nothing to collate");
            return;
        }
        if self.waiting.collate == Some(story) {
            self.info("Still collating this story…");
            return;
        }
        if let Some(view) = self.waiting.collate_ready.take()
            && view.story == story
        {
            self.layers.push(View::Collate(view));
            return;
        }
        let title = self.lib.display_title(story).to_string();
        let Some(job) = CollateJob::new(&self.lib, story, title) else {
            self.info("No story selected");
            return;
        };
        if job.size() <= COLLATE_INLINE_BYTES {
            self.layers.push(View::Collate(Box::new(job.run())));
            return;
        }
        self.waiting.progress = None;
        if self.waiting.collate.replace(story).is_some() {
            // Another story's collation is under way: its result would be dropped.
            fx.push(Effect::Cancel(JobKind::Collate));
        }
        self.info(&format!(
            "Collating {} versions… (keys keep working; the view opens when it is ready)",
            job.versions.len()
        ));
        fx.push(Effect::Collate(Box::new(job)));
    }

    /// A collation from the worker: shown if its story is still selected and nothing else
    /// took the screen.
    pub(super) fn collated(&mut self, view: CollateView) {
        if self.waiting.collate != Some(view.story) {
            return;
        }
        self.waiting.collate = None;
        let panes = self.layers.iter().all(|v| matches!(v, View::Select(_)));
        if panes && self.selected_story() == Some(view.story) {
            self.layers.push(View::Collate(Box::new(view)));
        } else {
            let key = self
                .keymap
                .first_key(&[Context::Global], Action::Collate)
                .unwrap_or_else(|| "collate".into());
            self.waiting.collate_ready = Some(Box::new(view));
            self.info(&format!("Collation ready: {key} opens it"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> CollateJob {
        let article = |id: &str, text: &str| crate::corpus::Article {
            id: id.into(),
            more: crate::corpus::ArticleMore {
                paragraphs: vec![text.to_string()],
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..crate::corpus::Article::default()
        };
        CollateJob {
            story: 0,
            title: "Harbour".into(),
            articles: vec![0, 1, 2],
            versions: vec![
                article("a", "The council met. It voted to close the harbour."),
                article("b", "The council met. It voted to reopen the harbour."),
                article(
                    "c",
                    "The council met on Monday. It voted to reopen the harbour.",
                ),
            ],
        }
    }

    #[test]
    fn a_stopped_collation_gives_up_and_an_unstopped_one_is_the_full_one() {
        assert_eq!(job().run_until(&|| true), None);
        // Stopped after the first pair of versions is aligned.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 1;
        assert_eq!(job().run_until(&stop), None);
        let full = job().run();
        assert_eq!(full.table.width(), 3);
        assert_eq!(job().run_until(&|| false), Some(full));
    }
}
