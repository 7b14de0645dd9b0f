//! The reader's state machine: `App::handle_at(Msg, now, &mut effects)` changes the state and
//! appends the effects for the runtime to perform (`handle` and `update` are the forms tests
//! use); nothing here does I/O, reads the clock or knows the terminal. The UI draws `&App`; the
//! runtime feeds messages and performs effects.
//!
//! What is on screen is the panes (the story list, the versions, the reading pane) with a
//! stack of [`View`]s above them (`App::layers`): the diff, the collation, overlays, pickers and
//! inputs. The top view takes the keys (`key_chain`, `hints`, `update`, `handle_mouse` and
//! `ui::draw` all ask it). `ARCHITECTURE.md` at the repository root walks through adding a
//! view, a command or a background job.

pub(crate) mod ann_list;
pub(crate) mod annotating;
pub mod collate;
pub mod diff;
pub(crate) mod diff_select;
pub(crate) mod effect;
pub mod help;
pub(crate) mod layout;
pub(crate) mod library;
mod mouse;
mod panes;
mod read_marks;
pub mod reader;
pub mod search;
mod update;
pub mod view;
pub mod watch;

pub use crate::command::{Action, Context, HintBar};
pub use ann_list::{AnnList, AnnListOutcome, AnnRow};
pub use annotating::{AnnState, LabelOutcome, LabelPicker};
pub use diff::{DiffCache, DiffState};
pub use effect::{Effect, JobKind, JobProgress, SavedState};
pub use help::HelpLine;
pub use layout::{Area, ScreenLayout};
pub use library::Library;
pub use read_marks::ReadMarksJob;
pub use reader::{DocLine, LineKind};
pub use view::{Pane, Picker, PickerKind, PickerOutcome, View};

use crate::annotate::Timestamp;
use crate::command::{KeyChord, Keymap};
use crate::config::{Config, Theme};
use crate::corpus::Progress;

/// Everything that can happen to the app: keys, mouse, resizes and the worker's reports.
#[derive(Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyChord),
    /// A mouse event (only when the mouse is enabled).
    Mouse(MouseInput),
    /// The terminal was resized to columns × rows.
    Resize(u16, u16),
    /// Loading progress from the worker.
    Progress(Progress),
    /// The worker finished loading and grouping.
    Loaded(Box<Library>),
    /// The worker failed.
    LoadFailed(String),
    /// A background task met a problem (a state file that cannot be written…).
    Problem(String),
    /// A command, as if its key was pressed.
    Action(Action),
    /// The corpus's user data was opened (on a thread of its own, beside the corpus load):
    /// its annotations, and the reading position to restore once the corpus is shown;
    /// `read_only` says why they cannot be changed.
    AnnotationsOpened {
        /// The annotations.
        set: Box<crate::annotate::AnnotationSet>,
        /// Why changes cannot be stored, if so.
        read_only: Option<String>,
        /// Lines skipped and other trouble.
        problems: Vec<String>,
        /// The read marks, selection, sort and filter saved last, to restore.
        restore: Option<SavedState>,
    },
    /// The last annotation change could not be stored.
    AnnotationStoreFailed(String),
    /// No key came within [`KEY_SEQUENCE_TIMEOUT`] after a key that is both a command and the
    /// start of a longer sequence.
    KeyTimeout,
    /// A collation computed on a worker ([`Effect::Collate`]).
    Collated(Box<collate::CollateView>),
    /// A comparison computed on a worker ([`Effect::Compare`]): its cache key and result.
    Compared((usize, usize, usize), Box<crate::compare::Comparison>),
    /// The watch poller kept new versions: the archive reloaded, and the round's summary.
    WatchUpdated(Box<Library>, String),
    /// The stories saved as read, found among `stories` ([`Effect::ResolveReadMarks`]).
    ReadMarksFound {
        /// The stories they were looked for in.
        stories: std::sync::Arc<Vec<crate::corpus::Story>>,
        /// The stories read, each with the id saved that names it.
        found: Vec<(usize, String)>,
    },
    /// How a background job is going.
    JobProgress(JobProgress),
    /// Another stet on the same corpus changed the user data (seen by polling the store):
    /// its annotations and read marks show here without a restart.
    OthersChanged {
        /// Every annotation stored: those newer than the ones shown replace them.
        annotations: Vec<crate::annotate::LogRecord>,
        /// Stories marked read meanwhile.
        read_added: Vec<String>,
        /// Stories marked unread meanwhile.
        read_removed: Vec<String>,
    },
    /// The full-text index build ([`Effect::BuildIndex`]) has handed `done` of `total`
    /// articles to the indexer.
    IndexProgress {
        /// Articles indexed so far.
        done: usize,
        /// Articles in the corpus.
        total: usize,
    },
    /// The full-text index is open (built now or found current): every-word search works.
    IndexReady {
        /// Articles in it.
        articles: u64,
    },
    /// The full-text index could not be built or opened; every-word search is off.
    IndexFailed(String),
    /// A search found the full-text index damaged: it is to be built again.
    IndexDamaged(String),
    /// The answer to [`Effect::SearchIndex`]: the stories matching `query`, best first, or
    /// why the query cannot be answered.
    Searched {
        /// The query as asked.
        query: String,
        /// The matching stories, or the message.
        result: Result<Vec<crate::search::StoryMatch>, String>,
    },
}

/// How long a key that is both a command and the start of a sequence (`]`, then `] a`) waits
/// for the next key before it acts alone.
pub(crate) const KEY_SEQUENCE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(600);

/// A mouse event in terminal cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MouseInput {
    /// What happened.
    pub kind: MouseKind,
    /// Column.
    pub x: u16,
    /// Row.
    pub y: u16,
}

/// Kinds of mouse event the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    /// Left button pressed.
    Click,
    /// Moved with the left button held.
    Drag,
    /// Wheel up.
    ScrollUp,
    /// Wheel down.
    ScrollDown,
}

/// Whether the corpus is there yet.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    /// The worker is loading; its latest progress report.
    Loading(Option<Progress>),
    /// Loaded.
    Ready,
    /// The worker failed with this message.
    Failed(String),
}

/// Sort orders of the story list, in the order `cycle_sort` goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Latest version first.
    Newest,
    /// Most versions first.
    MostVersions,
    /// By title.
    Title,
    /// By first source.
    Source,
}

impl Sort {
    /// The next order of the cycle.
    pub(crate) fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::MostVersions,
            Sort::MostVersions => Sort::Title,
            Sort::Title => Sort::Source,
            Sort::Source => Sort::Newest,
        }
    }

    /// Name in the state file.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::MostVersions => "versions",
            Sort::Title => "title",
            Sort::Source => "source",
        }
    }

    /// Label in the interface.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::MostVersions => "most versions",
            Sort::Title => "title",
            Sort::Source => "source",
        }
    }

    /// The order called `name` in the state file.
    pub(crate) fn from_name(name: &str) -> Option<Sort> {
        [Sort::Newest, Sort::MostVersions, Sort::Title, Sort::Source]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// A selection in a list and the first row shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    /// Index of the selected row.
    pub selected: usize,
    /// Index of the first row shown.
    pub offset: usize,
}

impl Cursor {
    /// Moves the window so the selection is shown in `height` rows, keeping a margin.
    pub(crate) fn scroll_into_view(&mut self, height: usize, len: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        let height = height.max(1);
        let margin = if height > 8 { 2 } else { 0 };
        if self.selected < self.offset + margin {
            self.offset = self.selected.saturating_sub(margin);
        } else if self.selected + margin >= self.offset + height {
            self.offset = (self.selected + margin + 1).saturating_sub(height);
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// A message in the status bar until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
}

/// One undoable change of read marks: each story's mark before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UndoEntry {
    /// What was done ("marked 12 stories read").
    pub label: String,
    /// (story index, read before).
    pub changes: Vec<(usize, bool)>,
}

/// What a search looks through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchScope {
    /// Story titles, incrementally, jumping to the next matching title.
    #[default]
    Titles,
    /// Every word of every version (the full-text index): the list shows only the stories
    /// that match, best first.
    Everything,
}

/// The full-text index as the app knows it (the runtime builds and opens it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IndexState {
    /// Not asked for yet (the corpus is loading).
    #[default]
    NotStarted,
    /// Asked for: being opened, or a build not yet heard from.
    Opening,
    /// Being built or opened: articles indexed of all.
    Building {
        /// Articles indexed so far.
        done: usize,
        /// Articles in the corpus.
        total: usize,
    },
    /// Open: every-word search works.
    Ready,
    /// It could not be built; why.
    Failed(String),
}

/// The stories an every-word search found: the list shows only these, best first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchHits {
    /// The query they answer.
    pub query: String,
    /// Each matching story (index in `lib.stories`) with its best version (index in the
    /// story's versions), best first.
    pub stories: Vec<(usize, usize)>,
}

/// The search: the query, where it started, and its matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchState {
    /// Titles or every word (kept from one search to the next).
    pub scope: SearchScope,
    /// The every-word search's stories, when it has answered (filters the list).
    pub hits: Option<SearchHits>,
    /// An every-word query sent to the index and not answered yet.
    pub asked: Option<String>,
    /// Why the every-word query cannot be answered (a bad query, a failing index).
    pub error: Option<String>,
    /// The query as typed.
    pub query: String,
    /// Focus, list selection and reader scroll when the search began (restored on cancel).
    pub origin: Option<(Pane, usize, usize)>,
    /// Stories of the list that match.
    pub list_matches: usize,
    /// Matches in the reading pane's document: line and byte range.
    pub reader_matches: Vec<(usize, std::ops::Range<usize>)>,
    /// Index of the current match in `reader_matches`.
    pub current: Option<usize>,
}

/// What the search input asks of the app after an action ([`SearchState::update`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchOutcome {
    /// The query changed: look for it again.
    Changed,
    /// Step to the next (true) or the previous match.
    Step(bool),
    /// Accept the search (the input closes, the matches stay).
    Submit,
    /// Give the search up: back to where it began.
    Cancel,
    /// Nothing to do.
    Stay,
}

impl SearchState {
    /// Applies an action of the search input to the query and says what the app is to do.
    pub(crate) fn update(&mut self, action: Action) -> SearchOutcome {
        match action {
            Action::InputSubmit => SearchOutcome::Submit,
            Action::InputCancel => SearchOutcome::Cancel,
            Action::InputBackspace => {
                self.query.pop();
                SearchOutcome::Changed
            }
            Action::InputDeleteWord => {
                let q = self.query.trim_end();
                let cut = q.rfind(' ').map_or(0, |i| i + 1);
                self.query.truncate(cut);
                SearchOutcome::Changed
            }
            Action::InputClear => {
                self.query.clear();
                SearchOutcome::Changed
            }
            Action::SearchNext => SearchOutcome::Step(true),
            Action::SearchPrev => SearchOutcome::Step(false),
            _ => SearchOutcome::Stay,
        }
    }
}

/// The reading pane: the laid-out document and its scroll position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReaderState {
    /// The document's lines.
    pub lines: Vec<DocLine>,
    /// What the lines were built for: story, version, width, raw.
    pub key: Option<(usize, usize, usize, bool)>,
    /// First line shown.
    pub scroll: usize,
    /// Showing the raw text.
    pub raw: bool,
}

/// The whole state of the reader.
#[derive(Debug, Clone)]
pub struct App {
    /// Key bindings.
    pub(crate) keymap: Keymap,
    /// Styles.
    pub(crate) theme: Theme,
    /// Widest reading column.
    pub(crate) reading_width: u16,
    /// How long a key that also starts a sequence waits for the next key (`ui.key_timeout_ms`).
    pub(crate) key_timeout: std::time::Duration,
    /// Name of the corpus for the title bar.
    pub(crate) corpus_label: String,
    /// Loading state.
    pub load: LoadState,
    /// The corpus and stories (empty while loading).
    pub lib: Library,
    /// Story indices shown in the list: filtered and sorted.
    pub view: Vec<usize>,
    /// Selection in `view`.
    pub list: Cursor,
    /// Selected version of the selected story.
    pub version: Cursor,
    /// The reading pane.
    pub reader: ReaderState,
    /// The focused pane.
    pub focus: Pane,
    /// The views stacked above the panes, bottom first; the last one takes the keys.
    pub layers: Vec<View>,
    /// The search.
    pub search: SearchState,
    /// Only stories with a version from this source are shown.
    pub source_filter: Option<String>,
    /// Sort order of the list.
    pub sort: Sort,
    /// Read mark of each story.
    pub read: Vec<bool>,
    /// Undo stack of read-mark changes.
    pub(crate) undo: Vec<UndoEntry>,
    /// Message for the status bar.
    pub status: Option<Status>,
    /// Problems met loading the config, the state and the corpus.
    pub problems: Vec<String>,
    /// Terminal size: columns, rows.
    pub size: (u16, u16),
    /// Keys typed so far of an unfinished sequence.
    pub pending: Vec<KeyChord>,
    /// The command of the keys in `pending` when they are complete but may go on (`]` before
    /// `] a`): taken on a key that does not continue them, or on [`Msg::KeyTimeout`].
    pub(crate) pending_fallback: Option<Action>,
    /// A count typed before a selection motion (`3` of `3w`), 0 when none.
    pub(crate) count: usize,
    /// A find motion (`f`, `t`, `F`, `T`) waiting for its character, with its count.
    pub(crate) find_pending: Option<(Action, usize)>,
    /// State to restore once the corpus is loaded.
    pub restore: Option<SavedState>,
    /// Story ids saved as read, being looked for among the stories off the UI thread
    /// ([`Effect::ResolveReadMarks`]): kept in the state saved meanwhile.
    pub(crate) pending_reads: Option<Vec<String>>,
    /// Comparisons computed so far.
    pub diff_cache: DiffCache,
    /// Versions marked for the diff (of the story `marks_story`).
    pub version_marks: Vec<usize>,
    /// The story the version marks belong to.
    pub(crate) marks_story: Option<usize>,
    /// The story whose related stories `R` is stepping through, and the one it showed last.
    pub(crate) related_trail: Option<(usize, usize)>,
    /// The annotations and the annotating flow.
    pub ann: AnnState,
    /// Background work the app waits for.
    pub waiting: Waiting,
    /// The full-text index (every-word search).
    pub index: IndexState,
    /// The author recorded on new annotations (the OS user, given by the runtime).
    pub(crate) author: String,
    /// The time of the message being handled (given with it; stamps annotation changes).
    pub(crate) now: Timestamp,
    /// The watch archive's live updates (`stet watch:`).
    pub watch: watch::WatchLive,
}

/// Background work (`crate::jobs`) the app asked for and waits for.
#[derive(Debug, Clone, Default)]
pub struct Waiting {
    /// The diff being compared: story, A, B, unified.
    pub compare: Option<(usize, usize, usize, bool)>,
    /// The story being collated.
    pub collate: Option<usize>,
    /// A collation that finished while something else had the screen.
    pub collate_ready: Option<Box<collate::CollateView>>,
    /// The latest progress report of a job (shown only while it is the job waited for).
    pub progress: Option<JobProgress>,
}

impl Waiting {
    /// The progress of the job waited for, as the status bar says it (None when no job is
    /// waited for or it has not reported yet).
    pub(crate) fn progress_text(&self) -> Option<String> {
        let p = self.progress?;
        let current = match p {
            JobProgress::Compare(key, _) => self
                .compare
                .is_some_and(|(story, a, b, _)| (story, a, b) == key),
            JobProgress::Collate { story, .. } => self.collate == Some(story),
        };
        current.then(|| p.text())
    }
}

impl App {
    /// A new app with `config`, waiting for the corpus called `corpus_label`.
    pub fn new(config: &Config, corpus_label: impl Into<String>) -> App {
        App {
            keymap: config.keymap.clone(),
            theme: config.theme.clone(),
            reading_width: config.reading_width,
            key_timeout: config.key_timeout,
            corpus_label: corpus_label.into(),
            load: LoadState::Loading(None),
            lib: Library::default(),
            view: Vec::new(),
            list: Cursor::default(),
            version: Cursor::default(),
            reader: ReaderState::default(),
            focus: Pane::List,
            layers: Vec::new(),
            search: SearchState::default(),
            source_filter: None,
            sort: Sort::Newest,
            read: Vec::new(),
            undo: Vec::new(),
            status: None,
            problems: Vec::new(),
            size: (80, 24),
            pending: Vec::new(),
            pending_fallback: None,
            count: 0,
            find_pending: None,
            restore: None,
            pending_reads: None,
            diff_cache: DiffCache::default(),
            version_marks: Vec::new(),
            marks_story: None,
            related_trail: None,
            ann: AnnState {
                labels: config.labels.clone(),
                ..AnnState::default()
            },
            waiting: Waiting::default(),
            index: IndexState::default(),
            author: "unknown".to_string(),
            now: Timestamp::from_unix(0),
            watch: watch::WatchLive::default(),
        }
    }

    /// A ready app holding `lib`, sized `width`×`height` (for tests and benchmarks).
    pub fn with_library(config: &Config, lib: Library, width: u16, height: u16) -> App {
        let mut app = App::new(config, lib.corpus.name.clone());
        app.handle(Msg::Resize(width, height));
        app.handle(Msg::Loaded(Box::new(lib)));
        app
    }

    /// Index (in `lib.stories`) of the selected story.
    pub fn selected_story(&self) -> Option<usize> {
        self.view.get(self.list.selected).copied()
    }

    /// Whether the corpus is loaded.
    pub(crate) fn is_ready(&self) -> bool {
        self.load == LoadState::Ready
    }

    /// The panes' geometry for the current size and focus.
    pub fn screen(&self) -> ScreenLayout {
        self.layout_for(self.focus)
    }

    /// The panes' geometry for the current size with `focus` focused.
    fn layout_for(&self, focus: Pane) -> ScreenLayout {
        layout::layout(
            self.size.0,
            self.size.1,
            focus,
            self.versions_rows(),
            self.list_want(self.size.0),
        )
    }

    /// Columns the story list asks for on a screen `width` wide: its longest title whole
    /// beside the count, date and source columns, or all the room the reading column's cap
    /// leaves.
    pub(crate) fn list_want(&self, width: u16) -> u16 {
        let titles = 2 + 5 + self.lib.date_column() + self.lib.source_column() + 1;
        let titles = crate::num::u16_of(titles + self.lib.widest_title.min(100));
        let spare = width.saturating_sub(self.reading_width.saturating_add(4));
        titles.max(spare)
    }

    /// Number of versions of the selected story.
    pub(crate) fn versions_len(&self) -> usize {
        self.selected_story()
            .map_or(0, |s| self.lib.stories[s].versions.len())
    }

    /// Rows the versions pane asks for: the versions, and a heading and up to three related
    /// stories when the story has any.
    pub(crate) fn versions_rows(&self) -> usize {
        let related = self
            .selected_story()
            .map_or(0, |s| self.lib.stories[s].related.len());
        self.versions_len() + if related > 0 { 1 + related.min(3) } else { 0 }
    }

    /// Rows of the story list (whether or not it is on screen now).
    pub(crate) fn list_height(&self) -> usize {
        self.layout_for(Pane::List)
            .list
            .map_or(1, |a| a.inner().height as usize)
    }

    /// Rows of the versions pane.
    pub(crate) fn versions_height(&self) -> usize {
        self.layout_for(Pane::List)
            .versions
            .map_or(1, |a| a.inner().height as usize)
    }

    /// Inner area of the reading pane (whether or not it is on screen now).
    pub(crate) fn reader_inner(&self) -> Area {
        self.layout_for(Pane::Reader)
            .reader
            .map(Area::inner)
            .unwrap_or_default()
    }

    /// Width of the reading column: the pane less a margin, capped by the configured width.
    pub fn reader_text_width(&self) -> usize {
        let inner = self.reader_inner().width as usize;
        inner
            .saturating_sub(2)
            .min(self.reading_width as usize)
            .max(10)
    }

    /// Lines of the reading pane shown at once.
    pub fn reader_height(&self) -> usize {
        (self.reader_inner().height as usize).max(1)
    }

    /// The key contexts looked up for the next key, most specific first: the top view's, or
    /// the focused pane's.
    pub fn key_chain(&self) -> Vec<Context> {
        match self.layers.last() {
            Some(view) => view.contexts(),
            None => vec![self.focus.context(), Context::Global],
        }
    }

    /// The view on top of the stack (None: the panes have the keys).
    pub fn top(&self) -> Option<&View> {
        self.layers.last()
    }

    /// The diff view, when one is open.
    pub fn diff(&self) -> Option<&DiffState> {
        self.layers.iter().rev().find_map(|v| match v {
            View::Diff(d) => Some(&**d),
            _ => None,
        })
    }

    /// The open diff view, to change.
    pub(crate) fn diff_mut(&mut self) -> Option<&mut DiffState> {
        self.layers.iter_mut().rev().find_map(|v| match v {
            View::Diff(d) => Some(&mut **d),
            _ => None,
        })
    }

    /// The reading pane's selection, when one is being made.
    pub fn selection(&self) -> Option<annotating::Selection> {
        self.layers.iter().rev().find_map(|v| match v {
            View::Select(s) => Some(*s),
            _ => None,
        })
    }

    /// Starts the reading pane's selection (or moves the one being made), or ends it (None).
    /// The colours the reader draws with.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub(crate) fn set_selection(&mut self, selection: Option<annotating::Selection>) {
        match (selection, view::selection_mut(&mut self.layers)) {
            (Some(s), Some(open)) => *open = s,
            (Some(s), None) => self.layers.push(View::Select(s)),
            (None, _) => self.layers.retain(|v| !matches!(v, View::Select(_))),
        }
    }

    /// The collation view, when it is on top.
    pub(crate) fn collate_view(&self) -> Option<&collate::CollateView> {
        match self.layers.last() {
            Some(View::Collate(v)) => Some(v),
            _ => None,
        }
    }

    /// Whether the panes or the diff view have the keys (no overlay, input or collation on
    /// top; a selection in the reading pane is the panes').
    pub fn on_base(&self) -> bool {
        matches!(
            self.layers.last(),
            None | Some(View::Diff(_) | View::Select(_))
        )
    }

    /// Number of unread stories among those shown.
    pub fn unread_shown(&self) -> usize {
        self.view.iter().filter(|&&i| !self.read[i]).count()
    }

    /// The reading state to save.
    pub(crate) fn saved_state(&self) -> SavedState {
        SavedState {
            version: effect::SAVED_STATE_VERSION,
            read: {
                let mut read: Vec<String> = self.marked_read().map(str::to_string).collect();
                // Marks saved but not found yet are not lost by a save meanwhile.
                if let Some(pending) = &self.pending_reads {
                    let have: std::collections::HashSet<String> = read.iter().cloned().collect();
                    read.extend(pending.iter().filter(|id| !have.contains(*id)).cloned());
                }
                read
            },
            selected: self
                .selected_story()
                .map(|i| self.lib.stories[i].id.to_string()),
            sort: Some(self.sort.name().to_string()),
            source_filter: self.source_filter.clone(),
        }
    }
}
