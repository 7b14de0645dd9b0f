//! The imperative shell of the reader: terminal events → keymap → `App::handle` → effects, with
//! the corpus loaded and grouped on a worker thread that reports back as messages. The loop
//! blocks on one channel (no polling), so an idle reader uses no CPU.

pub mod state_file;
pub(crate) mod terminal;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, Event, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use crate::annotate::Timestamp;
use crate::app::diff::CompareJob;
use crate::app::{App, Effect, JobKind, JobProgress, Library, MouseInput, MouseKind, Msg, Status};
use crate::config::{Config, KeyChord, KeyCode};
use crate::corpus::{self, Progress};
use crate::jobs::{JobContext, JobEvent, SingleJob};

/// Runs the reader on the corpus at `paths` (the built-in sample when empty), with the config
/// file `config_path` when given.
pub(crate) fn run(paths: &[PathBuf], config_path: Option<&Path>) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the reader needs a terminal; `stet stories` and `stet articles` print lists instead"
        );
    }
    let (config, config_problems) = Config::load(config_path, crate::config::no_color_requested());
    let label = crate::paths::corpus_display_name(paths);
    let mut app = App::new(&config, label);
    app.author = crate::annotate::default_author();
    for p in &config_problems {
        app.problems.push(format!("config: {p}"));
    }
    for p in config.label_key_clashes() {
        app.problems.push(format!("config: {p}"));
    }
    // The corpus and the user data (annotations, read marks, position: the corpus's
    // database, issue 16) open on threads of their own, so the first frame never waits for
    // either; the loaded corpus is shown only once the user data is in, with the saved
    // position restored.
    let (tx, rx) = mpsc::channel::<Msg>();
    spawn_loader(
        paths.to_vec(),
        config.group.clone(),
        config.keywords.clone(),
        tx.clone(),
    )?;
    let user = spawn_user_store(paths, &tx);
    if !app.problems.is_empty() {
        app.status = Some(Status {
            text: format!(
                "{} with the config; press ! to see them",
                crate::text::plural(app.problems.len(), "problem", "problems")
            ),
            error: true,
        });
    }

    let watch_go = spawn_watch_poller(paths, &config, tx.clone())?;
    let guard = terminal::TerminalGuard::enter(config.mouse).context("setting up the terminal")?;
    let worker_tx = tx.clone();
    spawn_input(tx)?;
    let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("setting up the terminal")?;
    let size = term.size().context("reading the terminal size")?;
    app.handle(Msg::Resize(size.width, size.height));
    let place = IndexPlace::for_corpus(paths, &config.group, &config.keywords);
    let result = event_loop(
        &mut term,
        &mut app,
        (&worker_tx, &rx),
        user,
        watch_go,
        &place,
    );
    drop(term);
    drop(guard);
    if place.scratch {
        let _ = std::fs::remove_dir_all(&place.dir);
    }
    result.map(|()| ExitCode::SUCCESS)
}

/// Where the reader keeps the corpus's full-text index, and what it is built with: the same
/// folder and description `stet search` uses, so the two share one index.
#[derive(Debug, Clone)]
pub(crate) struct IndexPlace {
    /// The corpus's cache folder (the index is its `search` folder).
    pub dir: PathBuf,
    /// The corpus paths (empty: the built-in sample).
    pub paths: Vec<PathBuf>,
    /// The load and grouping options, described.
    pub options: String,
    /// A scratch folder (no cache dir): removed when the reader quits.
    pub scratch: bool,
}

impl IndexPlace {
    /// The index place of the corpus at `paths` grouped with `group`.
    /// `keywords` are the export keywords of the config file (`stet search` describes them
    /// the same way, so the two share one index).
    pub(crate) fn for_corpus(
        paths: &[PathBuf],
        group: &crate::corpus::group::GroupSettings,
        keywords: &crate::corpus::formats::ExportKeywords,
    ) -> Self {
        let options = crate::search::fingerprint::options_description(
            &[],
            &[format!("{keywords:?}")],
            None,
            &serde_json::to_string(group).unwrap_or_default(),
        );
        match crate::paths::StetDirs::discover() {
            Ok(d) => IndexPlace {
                dir: d.corpus_cache_dir(&crate::paths::CorpusKey::for_paths(paths)),
                paths: paths.to_vec(),
                options,
                scratch: false,
            },
            Err(_) => IndexPlace {
                dir: std::env::temp_dir().join(format!("stet-index-{}", std::process::id())),
                paths: paths.to_vec(),
                options,
                scratch: true,
            },
        }
    }
}

/// The index job: opens the corpus's index when it is current, else builds it (reporting
/// progress, stopping when cancelled); a damaged index is rebuilt.
fn open_or_build_index(
    place: &IndexPlace,
    job: &crate::app::search::IndexJob,
    ctx: &JobContext<crate::search::BuildProgress>,
) -> Result<crate::search::Index, String> {
    use crate::search::{Fingerprint, Index, IndexLocation};
    let fingerprint = if place.paths.is_empty() {
        Fingerprint::of_content(
            crate::search::corpus_content_hash(&job.corpus),
            &place.options,
        )
    } else {
        Fingerprint::of_paths(&place.paths, &place.options)
    };
    let location = IndexLocation::new(&place.dir, fingerprint);
    if !job.rebuild
        && let Ok(index) = Index::open(&location)
    {
        return Ok(index);
    }
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let progress = |p: crate::search::BuildProgress| {
        if ctx.is_cancelled() {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        ctx.progress(p);
    };
    // A corpus reopened from the derived store holds no text: it is read as it is indexed.
    crate::search::build_index_with(
        &location,
        &job.corpus,
        &job.stories,
        job.texts.as_deref(),
        &progress,
        &cancel,
    )
    .map_err(|e| e.to_string())
}

/// The opened index, shared by the index job (which fills it) and the search job.
type IndexSlot = Arc<Mutex<Option<Arc<crate::search::Index>>>>;

/// The background jobs of the reader, one runner per kind of work.
struct Jobs {
    compare: SingleJob<CompareJob, Compared, JobProgress>,
    collate:
        SingleJob<crate::app::collate::CollateJob, crate::app::collate::CollateView, JobProgress>,
    index: SingleJob<crate::app::search::IndexJob, (), crate::search::BuildProgress>,
    search: SingleJob<String, ()>,
}

/// A comparison computed on a worker: its diff-cache key and the result.
type Compared = ((usize, usize, usize), crate::compare::Comparison);

/// The compare job's work: the comparison, or None once it is cancelled (checked between its
/// steps, so a cancelled comparison stops within one step and nothing of it is kept).
fn compare_work(job: CompareJob, ctx: &JobContext<JobProgress>) -> Option<Compared> {
    let key = job.key;
    let ctl = crate::compare::Control {
        stop: &|| ctx.is_cancelled(),
        progress: &|step| ctx.progress(JobProgress::Compare(key, step)),
    };
    let cmp = job.run_with(&ctl)?;
    Some((key, cmp))
}

/// The collate job's work: the collation, or None once it is cancelled (checked before each
/// pair of versions is aligned and between the steps of each alignment).
fn collate_work(
    job: crate::app::collate::CollateJob,
    ctx: &JobContext<JobProgress>,
) -> Option<crate::app::collate::CollateView> {
    let story = job.story;
    job.run_with(&|| ctx.is_cancelled(), &|done, total| {
        ctx.progress(JobProgress::Collate { story, done, total });
    })
}

/// How often a job's progress within one step reaches the app (each new step always does).
const JOB_PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Sends a job's progress to the app as messages: a new step at once, the counts within a step
/// at most every [`JOB_PROGRESS_EVERY`] (a frame is drawn per burst of messages).
fn progress_sender(tx: &Sender<Msg>) -> impl Fn(JobProgress) + Send + Sync + 'static {
    // The channel, and when the last report was sent and what it said.
    let last = std::sync::Mutex::new((tx.clone(), None::<(Instant, JobProgress)>));
    move |p: JobProgress| {
        let Ok(mut last) = last.lock() else {
            return;
        };
        let same_step = |q: &JobProgress| match (q, &p) {
            (JobProgress::Compare(k, s), JobProgress::Compare(l, t)) => {
                k == l && std::mem::discriminant(s) == std::mem::discriminant(t)
            }
            (JobProgress::Collate { story: a, .. }, JobProgress::Collate { story: b, .. }) => {
                a == b
            }
            _ => false,
        };
        let due = match &last.1 {
            Some((at, q)) => !same_step(q) || at.elapsed() >= JOB_PROGRESS_EVERY,
            None => true,
        };
        if due {
            last.1 = Some((Instant::now(), p));
            let _ = last.0.send(Msg::JobProgress(p));
        }
    }
}

impl Jobs {
    /// Runners that send their results to the app over `tx`.
    fn new(tx: &Sender<Msg>, place: &IndexPlace) -> Jobs {
        let report = |tx: &Sender<Msg>, what: &'static str| {
            let tx = std::sync::Mutex::new(tx.clone());
            move |msg: Option<Msg>, failure: Option<String>| {
                let msg =
                    msg.or_else(|| failure.map(|e| Msg::Problem(format!("cannot {what}: {e}"))));
                if let (Some(msg), Ok(tx)) = (msg, tx.lock()) {
                    let _ = tx.send(msg);
                }
            }
        };
        let compared = report(tx, "compare");
        let collated = report(tx, "collate");
        let slot: IndexSlot = Arc::new(Mutex::new(None));
        Jobs {
            index: index_job(tx, place, slot.clone()),
            search: search_job(tx, slot),
            compare: SingleJob::new(
                "stet-compare",
                compare_work,
                progress_sender(tx),
                move |event| match event {
                    JobEvent::Done((key, cmp)) => {
                        compared(Some(Msg::Compared(key, Box::new(cmp))), None)
                    }
                    JobEvent::Failed(e) => compared(None, Some(e)),
                    JobEvent::Stopped => {}
                },
            ),
            collate: SingleJob::new(
                "stet-collate",
                collate_work,
                progress_sender(tx),
                move |event| match event {
                    JobEvent::Done(view) => collated(Some(Msg::Collated(Box::new(view))), None),
                    JobEvent::Failed(e) => collated(None, Some(e)),
                    JobEvent::Stopped => {}
                },
            ),
        }
    }
}

/// The runner that opens or builds the index into `slot`, reporting progress at most every
/// 100 ms.
fn index_job(
    tx: &Sender<Msg>,
    place: &IndexPlace,
    slot: IndexSlot,
) -> SingleJob<crate::app::search::IndexJob, (), crate::search::BuildProgress> {
    let place = place.clone();
    let done_tx = Mutex::new(tx.clone());
    let failed_tx = Mutex::new(tx.clone());
    let progress_tx = Mutex::new(tx.clone());
    let last = Mutex::new(Instant::now() - Duration::from_secs(1));
    SingleJob::new(
        "stet-index",
        move |job: crate::app::search::IndexJob, ctx: &JobContext<crate::search::BuildProgress>| {
            let msg = match open_or_build_index(&place, &job, ctx) {
                Ok(index) => {
                    let articles = index.articles();
                    if let Ok(mut s) = slot.lock() {
                        *s = Some(Arc::new(index));
                    }
                    Msg::IndexReady { articles }
                }
                Err(_) if ctx.is_cancelled() => return None,
                Err(e) => Msg::IndexFailed(e),
            };
            if let Ok(tx) = done_tx.lock() {
                let _ = tx.send(msg);
            }
            Some(())
        },
        move |p: crate::search::BuildProgress| {
            let due = last.lock().is_ok_and(|mut last| {
                let due = last.elapsed() >= Duration::from_millis(100) || p.done == p.total;
                if due {
                    *last = Instant::now();
                }
                due
            });
            if due && let Ok(tx) = progress_tx.lock() {
                let _ = tx.send(Msg::IndexProgress {
                    done: p.done,
                    total: p.total,
                });
            }
        },
        move |event| {
            if let (JobEvent::Failed(e), Ok(tx)) = (event, failed_tx.lock()) {
                let _ = tx.send(Msg::IndexFailed(e));
            }
        },
    )
}

/// The runner that answers every-word queries from the index in `slot` (a newer query
/// replaces one still waiting).
fn search_job(tx: &Sender<Msg>, slot: IndexSlot) -> SingleJob<String, ()> {
    let failed_tx = Mutex::new(tx.clone());
    let tx = Mutex::new(tx.clone());
    SingleJob::new(
        "stet-search",
        move |query: String, ctx: &JobContext<()>| {
            let index = slot.lock().ok().and_then(|s| s.clone());
            let msg = match index.map(|i| i.search_stories(&query, crate::app::search::MAX_HITS)) {
                Some(Ok(found)) => Msg::Searched {
                    query,
                    result: Ok(found),
                },
                Some(Err(crate::search::SearchError::Query(q))) => Msg::Searched {
                    query,
                    result: Err(format!("query: {q}")),
                },
                Some(Err(e)) if e.calls_for_rebuild() => {
                    // Not searched again until it is rebuilt.
                    if let Ok(mut s) = slot.lock() {
                        *s = None;
                    }
                    Msg::IndexDamaged(e.to_string())
                }
                Some(Err(e)) => Msg::Searched {
                    query,
                    result: Err(e.to_string()),
                },
                None => Msg::Searched {
                    query,
                    result: Err("the search index is not open".to_string()),
                },
            };
            if !ctx.is_cancelled()
                && let Ok(tx) = tx.lock()
            {
                let _ = tx.send(msg);
            }
            Some(())
        },
        |()| {},
        move |event| {
            if let (JobEvent::Failed(e), Ok(tx)) = (event, failed_tx.lock()) {
                let _ = tx.send(Msg::Problem(format!("cannot search: {e}")));
            }
        },
    )
}

fn event_loop(
    term: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    app: &mut App,
    (tx, rx): (&mpsc::Sender<Msg>, &Receiver<Msg>),
    user: Receiver<Option<crate::store::UserStore>>,
    mut watch_go: Option<Sender<()>>,
    place: &IndexPlace,
) -> Result<()> {
    let jobs = Jobs::new(tx, place);
    // The user data's store, once its thread has opened it (`user` until then).
    let mut user = Some(user);
    let mut store: Option<crate::store::UserStore> = None;
    // The loaded corpus, held back while the user data is still opening.
    let mut held: Option<Msg> = None;
    let test_panic_key = test_panic_key();
    term.draw(|f| crate::ui::draw(f, app))?;
    // When a key that is both a command and the start of a sequence waits for the next key.
    let mut key_wait_since: Option<Instant> = None;
    // When the store is next asked whether another stet changed it.
    let mut next_poll = Instant::now() + STORE_POLL;
    let mut poll_failed = false;
    loop {
        // Another stet's annotations and read marks: asked at most every second, arriving
        // as a message like any other.
        if store.is_some() && Instant::now() >= next_poll {
            next_poll = Instant::now() + STORE_POLL;
            if let Some(msg) = poll_store(store.as_mut(), &mut poll_failed) {
                let _ = tx.send(msg);
            }
        }
        // Block for the next message, then take whatever else is already waiting before
        // drawing once: key repeat and progress bursts never queue up frames. A key waiting
        // for its sequence's next key wakes the loop when its time is up, and so does the
        // next look at the store.
        let key_due = key_wait_since.map(|since| since + app.key_timeout);
        let due = [store.is_some().then_some(next_poll), key_due]
            .into_iter()
            .flatten()
            .min();
        let first = match due {
            Some(due) => match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(msg) => msg,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if key_due.is_some_and(|k| Instant::now() >= k) {
                        Msg::KeyTimeout
                    } else {
                        continue;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            },
            None => match rx.recv() {
                Ok(msg) => msg,
                Err(_) => return Ok(()),
            },
        };
        let mut quit = false;
        let mut next = Some(first);
        let mut handled = 0;
        while let Some(msg) = next.take() {
            if let (Some(k), Msg::Key(chord)) = (&test_panic_key, &msg)
                && k == chord
            {
                panic!("test panic: {k:?} pressed with STET_TEST_PANIC_KEY set");
            }
            // The corpus is shown with the saved position: it waits for the user data.
            if matches!(msg, Msg::Loaded(_)) && user.is_some() {
                held = Some(msg);
                next = rx.try_recv().ok();
                continue;
            }
            // The user data's thread hands its store over before saying it opened.
            let mut release = None;
            if matches!(msg, Msg::AnnotationsOpened { .. })
                && let Some(opening) = user.take()
            {
                store = opening.recv().ok().flatten();
                release = held.take();
            }
            // The watch poller starts once the archive is shown (its first versions then
            // arrive as updates of what the user sees).
            if matches!(msg, Msg::Loaded(_))
                && let Some(go) = watch_go.take()
            {
                let _ = go.send(());
            }
            let mut effects = Vec::new();
            app.handle_at(msg, Timestamp::now(), &mut effects);
            // Effects run in order; one may bring a message whose effects run after the rest.
            let mut queue = std::collections::VecDeque::from(effects);
            while let Some(effect) = queue.pop_front() {
                let mut more = Vec::new();
                match effect {
                    Effect::AppendAnnotation(record) => {
                        use crate::annotate::AnnotationLog as _;
                        let result = match store.as_mut() {
                            Some(s) => s.append(&record).map_err(|e| e.to_string()),
                            None => Err("no annotation store for this corpus".to_string()),
                        };
                        if let Err(e) = result {
                            app.handle_at(
                                Msg::AnnotationStoreFailed(e),
                                Timestamp::now(),
                                &mut more,
                            );
                        }
                    }
                    Effect::SaveState(state) => {
                        // One committed transaction before the next frame shows the marks.
                        if let Some(s) = store.as_mut()
                            && s.read_only_reason().is_none()
                        {
                            let reading = crate::store::Reading {
                                read: state.read,
                                selected: state.selected,
                                sort: state.sort,
                                source_filter: state.source_filter,
                            };
                            let stories = &app.lib.stories;
                            let shown = |id: &str| stories.iter().any(|s| s.id == id);
                            if let Err(e) = s.save_reading(&reading, &shown) {
                                app.handle_at(
                                    Msg::Problem(format!("cannot save the read marks: {e}")),
                                    Timestamp::now(),
                                    &mut more,
                                );
                            }
                        }
                    }
                    Effect::Compare(job) => jobs.compare.request(*job),
                    Effect::Collate(job) => jobs.collate.request(*job),
                    Effect::Cancel(JobKind::Compare) => jobs.compare.cancel(),
                    Effect::Cancel(JobKind::Collate) => jobs.collate.cancel(),
                    Effect::BuildIndex(job) => jobs.index.request(*job),
                    Effect::SearchIndex(query) => jobs.search.request(query),
                    Effect::ResolveReadMarks(job) => resolve_read_marks(*job, tx),
                    Effect::Cancel(JobKind::Index) => jobs.index.cancel(),
                    Effect::Cancel(JobKind::Search) => jobs.search.cancel(),
                    Effect::Quit => quit = true,
                }
                queue.extend(more);
            }
            handled += 1;
            if quit || handled >= 256 {
                if let Some(m) = release {
                    let _ = tx.send(m);
                }
                break;
            }
            next = release.or_else(|| rx.try_recv().ok());
        }
        if quit {
            return Ok(());
        }
        key_wait_since = match (app.awaits_key_timeout(), key_wait_since) {
            (false, _) => None,
            (true, Some(since)) => Some(since),
            (true, None) => Some(Instant::now()),
        };
        term.draw(|f| crate::ui::draw(f, app))?;
    }
}

/// Finds the stories saved as read on a thread of its own and sends them back
/// ([`Msg::ReadMarksFound`]); found here when no thread can be started.
fn resolve_read_marks(job: crate::app::ReadMarksJob, tx: &Sender<Msg>) {
    let send = tx.clone();
    spawn_or_run("stet-read-marks", move || {
        let found = job.run();
        let _ = send.send(Msg::ReadMarksFound {
            stories: job.stories,
            found,
        });
    });
}

/// How often the reader asks its store whether another stet changed it.
const STORE_POLL: Duration = Duration::from_secs(1);

/// Another process's changes to the user data as a message (None when nothing changed); a
/// failure is reported once.
fn poll_store(store: Option<&mut crate::store::UserStore>, failed: &mut bool) -> Option<Msg> {
    match store?.changes() {
        Ok(Some(c)) => {
            *failed = false;
            Some(Msg::OthersChanged {
                annotations: c.annotations,
                read_added: c.read_added,
                read_removed: c.read_removed,
            })
        }
        Ok(None) => None,
        Err(e) if !*failed => {
            *failed = true;
            Some(Msg::Problem(format!(
                "cannot read what another stet changed: {e}"
            )))
        }
        Err(_) => None,
    }
}

/// The key that panics the UI thread, for the test that the terminal is restored on a panic:
/// `STET_TEST_PANIC_KEY` (a key as written in config.toml). Unset in normal use.
fn test_panic_key() -> Option<KeyChord> {
    let key = std::env::var("STET_TEST_PANIC_KEY").ok()?;
    KeyChord::parse(&key).ok()
}

/// Opens the corpus's user data on a thread of its own: the store goes down the returned
/// channel (None when there is none), then [`Msg::AnnotationsOpened`] says so on `tx`. Opened
/// here when no thread can be started.
fn spawn_user_store(
    paths: &[PathBuf],
    tx: &Sender<Msg>,
) -> Receiver<Option<crate::store::UserStore>> {
    let (store_tx, store_rx) = mpsc::sync_channel(1);
    let paths = paths.to_vec();
    let send = tx.clone();
    spawn_or_run("stet-user-data", move || {
        // A panic must still say the user data is done with: the list waits for it.
        let opened =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open_user_store(&paths)));
        let (store, msg) = opened.unwrap_or_else(|_| {
            let why = "cannot open the store: it crashed opening".to_string();
            (None, refused(why.clone(), why))
        });
        let _ = store_tx.send(store);
        let _ = send.send(msg);
    });
    store_rx
}

/// Runs `work` on a thread of its own named `name`, or here when no thread can be started.
fn spawn_or_run(name: &str, work: impl FnOnce() + Send + 'static) {
    let slot = Arc::new(Mutex::new(Some(work)));
    let spawned = {
        let slot = slot.clone();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                if let Some(work) = slot.lock().ok().and_then(|mut w| w.take()) {
                    work();
                }
            })
    };
    if spawned.is_err()
        && let Some(work) = slot.lock().ok().and_then(|mut w| w.take())
    {
        work();
    }
}

/// The message for user data that could not be opened: no annotations, read-only.
fn refused(problem: String, read_only: String) -> Msg {
    Msg::AnnotationsOpened {
        set: Box::default(),
        read_only: Some(read_only),
        problems: vec![problem],
        restore: None,
    }
}

/// Opens the corpus's user data (annotations, read marks, position; read-only when the data
/// directory cannot be written): the store (None when there is no data directory or the
/// database cannot be opened) and the message that gives the app what it holds.
fn open_user_store(paths: &[PathBuf]) -> (Option<crate::store::UserStore>, Msg) {
    let dir = match crate::paths::StetDirs::discover() {
        Ok(dirs) => dirs.corpus_data_dir(&crate::paths::CorpusKey::for_paths(paths)),
        Err(e) => {
            let msg = refused(
                format!("no data directory ({e}); annotating is off"),
                "no data directory".into(),
            );
            return (None, msg);
        }
    };
    match crate::store::UserStore::open(&dir) {
        Ok(opened) => {
            let read_only = opened.store.read_only_reason().map(str::to_string);
            let restore = opened.reading.map(|r| crate::app::SavedState {
                version: crate::app::effect::SAVED_STATE_VERSION,
                read: r.read,
                selected: r.selected,
                sort: r.sort,
                source_filter: r.source_filter,
            });
            let mut problems = opened.problems;
            if let Some(r) = &read_only {
                problems.push(format!("read-only, and so are the read marks: {r}"));
            }
            let msg = Msg::AnnotationsOpened {
                set: Box::new(opened.set),
                read_only,
                problems,
                restore,
            };
            (Some(opened.store), msg)
        }
        Err(e) => {
            let msg = refused(
                format!("cannot open the store: {e}"),
                format!("cannot open the store: {e}"),
            );
            (None, msg)
        }
    }
}

/// When the reader shows the watch archive (`stet watch:`) and `[watch] poll_in_reader` is on,
/// polls on a thread of its own: each round that keeps new versions rewrites the corpus file,
/// reloads it and sends the library to the app ([`Msg::WatchUpdated`]); the UI never waits.
/// Returns the sender that starts it (sent when the corpus is shown).
fn spawn_watch_poller(
    paths: &[PathBuf],
    config: &Config,
    tx: Sender<Msg>,
) -> Result<Option<Sender<()>>> {
    let Ok(dirs) = crate::paths::StetDirs::discover() else {
        return Ok(None);
    };
    let file = crate::watch::export::corpus_file(&dirs.cache);
    if !config.watch.poll_in_reader || paths != [file] {
        return Ok(None);
    }
    let (go, go_rx) = mpsc::channel::<()>();
    let settings = config.watch.clone();
    let group = config.group.clone();
    let keywords = config.keywords.clone();
    let paths = paths.to_vec();
    std::thread::Builder::new()
        .name("stet-watch".into())
        .spawn(move || {
            if go_rx.recv().is_err() {
                return;
            }
            let dir = crate::watch::WatchStore::dir_in(&dirs.data);
            let mut store = match crate::watch::WatchStore::open(&dir) {
                Ok((s, _)) => s,
                Err(e) => {
                    let _ = tx.send(Msg::Problem(format!("watch: cannot poll: {e}")));
                    return;
                }
            };
            let mut fetcher = crate::watch::http::Fetcher::new(&settings);
            loop {
                let mut problems: Vec<String> = Vec::new();
                let round = crate::watch::poll::run_round(
                    &mut store,
                    &mut fetcher,
                    &settings,
                    false,
                    &|| false,
                    &mut |e| {
                        if let crate::watch::poll::Event::Problem { url, message } = e {
                            problems.push(format!("{url}: {message}"));
                        }
                    },
                );
                // One line (status bar and the `!` list) for a round that met problems.
                if let Some(first) = problems.first() {
                    let _ = tx.send(Msg::Problem(format!(
                        "watch: {} in the last poll ({}); first: {first}",
                        crate::text::plural(problems.len(), "problem", "problems"),
                        "`stet watch list` shows each URL's last one"
                    )));
                }
                match round {
                    Ok(summary) if summary.new_versions > 0 => {
                        if let Err(e) = crate::watch::export::refresh_corpus(&store, &dirs.cache) {
                            let _ = tx.send(Msg::Problem(format!("watch: {e}")));
                        }
                        let work = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            open_library(&paths, &group, &keywords, &|_: Progress| {})
                        }));
                        if let Ok(lib) = work
                            && tx
                                .send(Msg::WatchUpdated(Box::new(lib), summary.to_string()))
                                .is_err()
                        {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let _ = tx.send(Msg::Problem(format!("watch: {e}")));
                        return;
                    }
                }
                let now = crate::watch::db::now();
                let next = store.next_due().ok().flatten().unwrap_or(now + 3600);
                // At least every 30 s: URLs added meanwhile (`stet watch add` elsewhere) are
                // due at once.
                let wait = (next - now).clamp(1, 30).unsigned_abs();
                std::thread::sleep(Duration::from_secs(wait));
            }
        })
        .context("starting the watch thread")?;
    Ok(Some(go))
}

/// Loads and groups the corpus on a worker thread, reporting progress at most every 50 ms.
fn spawn_loader(
    paths: Vec<PathBuf>,
    group: crate::corpus::group::GroupSettings,
    keywords: crate::corpus::formats::ExportKeywords,
    tx: Sender<Msg>,
) -> Result<()> {
    std::thread::Builder::new()
        .name("stet-loader".into())
        .spawn(move || {
            let progress_tx = tx.clone();
            let last = std::sync::Mutex::new(Instant::now() - Duration::from_secs(1));
            let progress = move |p: Progress| {
                if let Ok(mut last) = last.lock()
                    && last.elapsed() >= Duration::from_millis(50)
                {
                    *last = Instant::now();
                    let _ = progress_tx.send(Msg::Progress(p));
                }
            };
            let work = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                open_library(&paths, &group, &keywords, &progress)
            }));
            let msg = match work {
                Ok(lib) => Msg::Loaded(Box::new(lib)),
                Err(panic) => Msg::LoadFailed(
                    panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "the loader crashed".into()),
                ),
            };
            let _ = tx.send(msg);
        })
        .context("starting the loader thread")?;
    Ok(())
}

/// The corpus at `paths` (the sample when empty) with its stories: through the corpus's
/// derived store (an unchanged corpus reopens from it, its text read on demand), else loaded
/// and grouped whole. What the store had to say (rebuilt, unusable) joins the load problems.
fn open_library(
    paths: &[PathBuf],
    group: &crate::corpus::group::GroupSettings,
    keywords: &crate::corpus::formats::ExportKeywords,
    progress: &(dyn Fn(Progress) + Sync),
) -> Library {
    let opts = corpus::load::LoadOptions {
        keywords: keywords.clone(),
        ..corpus::load::LoadOptions::default()
    };
    if paths.is_empty() {
        let corpus = corpus::sample::load_sample(&opts);
        let stories = corpus::group::group(&corpus.articles, group, progress);
        return Library::new(corpus, stories);
    }
    let desc = crate::store::derived::config_desc(keywords);
    let o = crate::store::derived::OpenOptions {
        load: &opts,
        load_desc: &desc,
        settings: group,
        full_text: false,
        regroup: Default::default(),
        // The list shows no URL: read with the text of the article shown.
        lean_rows: true,
        shed_above: crate::store::derived::shed_above(),
    };
    let dir = crate::paths::cache_dir_for(paths);
    let mut opened = match &dir {
        Some(d) => crate::store::derived::open_corpus(d, paths, &o, progress).unwrap_or_else(|e| {
            let mut op = crate::store::derived::load_and_group(paths, &o, progress);
            op.notes.push(format!(
                "the corpus cache cannot be used ({e}); loaded without it"
            ));
            op
        }),
        None => crate::store::derived::load_and_group(paths, &o, progress),
    };
    let shown = dir.map_or_else(|| "cache".to_string(), |d| d.display().to_string());
    for note in std::mem::take(&mut opened.notes) {
        opened.corpus.problems.push(corpus::LoadProblem {
            path: shown.clone(),
            line: None,
            reason: note,
        });
    }
    let lib = Library::new(opened.corpus, opened.stories);
    match opened.texts {
        Some(t) => lib.with_texts(t),
        None => lib,
    }
}

/// Reads terminal events on their own thread (blocking reads, no polling) and forwards them.
fn spawn_input(tx: Sender<Msg>) -> Result<()> {
    std::thread::Builder::new()
        .name("stet-input".into())
        .spawn(move || {
            loop {
                let msg = match event::read() {
                    Ok(Event::Key(key)) => key_chord(key).map(Msg::Key),
                    Ok(Event::Resize(w, h)) => Some(Msg::Resize(w, h)),
                    Ok(Event::Mouse(m)) => {
                        let kind = match m.kind {
                            MouseEventKind::Down(MouseButton::Left) => Some(MouseKind::Click),
                            MouseEventKind::Drag(MouseButton::Left) => Some(MouseKind::Drag),
                            MouseEventKind::ScrollUp => Some(MouseKind::ScrollUp),
                            MouseEventKind::ScrollDown => Some(MouseKind::ScrollDown),
                            _ => None,
                        };
                        kind.map(|kind| {
                            Msg::Mouse(MouseInput {
                                kind,
                                x: m.column,
                                y: m.row,
                            })
                        })
                    }
                    Ok(_) => None,
                    Err(_) => {
                        // The terminal is gone (hang-up): quit cleanly so the state is saved.
                        let _ = tx.send(Msg::Action(crate::app::Action::Quit));
                        return;
                    }
                };
                if let Some(msg) = msg
                    && tx.send(msg).is_err()
                {
                    return;
                }
            }
        })
        .context("starting the input thread")?;
    Ok(())
}

/// The keymap's form of a terminal key press (None for releases and unknown keys).
pub(crate) fn key_chord(key: KeyEvent) -> Option<KeyChord> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    use ratatui::crossterm::event::KeyCode as C;
    let m = key.modifiers;
    let code = match key.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Insert => KeyCode::Insert,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let printable = matches!(code, KeyCode::Char(_));
    let shift = m.contains(KeyModifiers::SHIFT) && !printable && code != KeyCode::BackTab;
    Some(KeyChord {
        code,
        ctrl: m.contains(KeyModifiers::CONTROL),
        alt: m.contains(KeyModifiers::ALT),
        shift,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode as C, KeyEventState};

    fn ev(code: C, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    /// The next message from the jobs that is not a progress report, and the progress
    /// reports before it.
    fn next_result(rx: &Receiver<Msg>) -> (Option<Msg>, Vec<JobProgress>) {
        let mut progress = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(20)) {
                Ok(Msg::JobProgress(p)) => progress.push(p),
                Ok(msg) => return (Some(msg), progress),
                Err(_) => return (None, progress),
            }
        }
    }

    /// A scratch index place in a fresh temporary folder (kept alive by the returned guard).
    fn scratch_place() -> (tempfile::TempDir, IndexPlace) {
        let dir = tempfile::tempdir().unwrap();
        let place = IndexPlace {
            dir: dir.path().to_path_buf(),
            paths: Vec::new(),
            options: "test".into(),
            scratch: true,
        };
        (dir, place)
    }

    #[test]
    fn jobs_send_their_results_back_as_messages() {
        let (tx, rx) = mpsc::channel();
        let dir = tempfile::tempdir().unwrap();
        let place = IndexPlace {
            dir: dir.path().to_path_buf(),
            paths: Vec::new(),
            options: String::new(),
            scratch: true,
        };
        let jobs = Jobs::new(&tx, &place);
        let paragraphs = |s: &str| vec![s.to_string()];
        jobs.compare.request(crate::app::diff::CompareJob {
            key: (3, 0, 1),
            a: paragraphs("The council met on Monday. It voted to close the harbour."),
            b: paragraphs("The council met on Monday. It voted to reopen the harbour."),
        });
        let (result, progress) = next_result(&rx);
        // Each step is reported as it begins (the first always, a new step always).
        assert_eq!(
            progress,
            vec![
                JobProgress::Compare((3, 0, 1), crate::compare::Step::Segmenting),
                JobProgress::Compare((3, 0, 1), crate::compare::Step::Aligning),
                JobProgress::Compare((3, 0, 1), crate::compare::Step::Words { done: 0, total: 2 }),
            ]
        );
        match result {
            Some(Msg::Compared(key, cmp)) => {
                assert_eq!(key, (3, 0, 1));
                assert_eq!((cmp.stats.equal, cmp.stats.changed), (1, 1));
            }
            other => panic!("expected a comparison, got {other:?}"),
        }
        let article = |id: &str, text: &str| crate::corpus::Article {
            id: id.into(),
            more: crate::corpus::ArticleMore {
                paragraphs: paragraphs(text),
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..crate::corpus::Article::default()
        };
        jobs.collate.request(crate::app::collate::CollateJob {
            story: 7,
            title: "Harbour".into(),
            articles: vec![0, 1],
            versions: vec![
                article(
                    "a",
                    "The council met on Monday. It voted to close the harbour.",
                ),
                article(
                    "b",
                    "The council met on Monday. It voted to reopen the harbour.",
                ),
            ],
        });
        let (result, progress) = next_result(&rx);
        match result {
            Some(Msg::Collated(view)) => {
                assert_eq!((view.story, view.title.as_str()), (7, "Harbour"));
                assert_eq!(view.table.width(), 2);
            }
            other => panic!("expected a collation, got {other:?}"),
        }
        // Per pair of versions: none aligned yet, then the one pair (a new count within the
        // step may be held back by the throttle, never the first report).
        assert_eq!(
            progress.first(),
            Some(&JobProgress::Collate {
                story: 7,
                done: 0,
                total: 1
            })
        );
    }

    /// Long versions: 600 paragraphs of two sentences each, every tenth one reworded.
    fn long_job() -> CompareJob {
        let para = |v: usize, p: usize| {
            format!(
                "Paragraph {p} says the council met and voted {} to {} on the harbour plan. \
                 Officials said it would cost {} million crowns over {} years.",
                p + 3,
                if p.is_multiple_of(10) { v + 1 } else { 1 },
                p * 7,
                p % 9 + 1
            )
        };
        CompareJob {
            key: (1, 0, 1),
            a: (0..600).map(|p| para(0, p)).collect(),
            b: (0..600).map(|p| para(1, p)).collect(),
        }
    }

    #[test]
    fn a_cancelled_comparison_stops_at_its_next_step_and_sends_nothing() {
        // The work is held at its first progress report until the test has cancelled it: the
        // next step's check must then stop it (no timing involved).
        let (events_tx, events) = mpsc::channel();
        let (steps_tx, steps) = mpsc::channel();
        let (go_tx, go) = mpsc::channel::<()>();
        let go = std::sync::Mutex::new(go);
        let steps_tx = std::sync::Mutex::new(steps_tx);
        let events_tx = std::sync::Mutex::new(events_tx);
        let job = SingleJob::new(
            "test-compare",
            compare_work,
            move |p: JobProgress| {
                let _ = steps_tx.lock().unwrap().send(p);
                if matches!(p, JobProgress::Compare(_, crate::compare::Step::Segmenting)) {
                    let _ = go.lock().unwrap().recv();
                }
            },
            move |e: JobEvent<Compared>| {
                let _ = events_tx.lock().unwrap().send(e);
            },
        );
        job.request(long_job());
        assert_eq!(
            steps.recv_timeout(Duration::from_secs(20)),
            Ok(JobProgress::Compare(
                (1, 0, 1),
                crate::compare::Step::Segmenting
            ))
        );
        job.cancel();
        go_tx.send(()).unwrap();
        assert_eq!(
            events.recv_timeout(Duration::from_secs(60)),
            Ok(JobEvent::Stopped)
        );
        let later: Vec<JobProgress> = steps.try_iter().collect();
        assert!(later.is_empty(), "no step after the cancel: {later:?}");

        // The same comparison uncancelled goes through every step to a result.
        let seen = std::sync::Mutex::new(Vec::new());
        let ctl = crate::compare::Control {
            stop: &|| false,
            progress: &|s| seen.lock().unwrap().push(s),
        };
        let cmp = long_job().run_with(&ctl).expect("not stopped");
        assert_eq!(cmp.stats.changed, 60, "{:?}", cmp.stats);
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 2 + 1200usize.div_ceil(64), "{seen:?}");
        assert_eq!(
            seen.last(),
            Some(&crate::compare::Step::Words {
                done: 1152,
                total: 1200
            })
        );
    }

    /// A corpus reopened from the derived store holds no text: the index job reads each
    /// article's text from the store as it indexes it, so body words are found.
    #[test]
    fn the_index_job_reads_the_text_of_a_reopened_corpus() {
        #[derive(Debug)]
        struct Texts(Vec<crate::corpus::Article>);
        impl crate::corpus::texts::TextSource for Texts {
            fn text(
                &self,
                index: usize,
                _article: &crate::corpus::Article,
            ) -> Option<crate::corpus::texts::ArticleText> {
                let a = self.0.get(index)?;
                Some(crate::corpus::texts::ArticleText {
                    paragraphs: a.paragraphs.clone(),
                    removed: a.removed.clone(),
                    raw: a.raw.clone(),
                    url: None,
                    title: None,
                })
            }
        }
        let (tx, rx) = mpsc::channel();
        let (_dir, place) = scratch_place();
        let full = crate::corpus::sample::load_sample(&corpus::load::LoadOptions::default());
        let stories = crate::corpus::group::group(&full.articles, &Default::default(), &|_| {});
        let mut lazy = full.clone();
        for a in &mut lazy.articles {
            a.counts = Some(crate::corpus::BodyCounts::default());
            a.paragraphs.clear();
            a.raw.clear();
        }
        let job = crate::app::search::IndexJob {
            corpus: Arc::new(lazy),
            stories: Arc::new(stories),
            rebuild: false,
            texts: Some(Arc::new(Texts(full.articles.clone()))),
        };
        let jobs = Jobs::new(&tx, &place);
        jobs.index.request(job);
        let wait = |what: &str| loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(Msg::IndexProgress { .. }) => {}
                Ok(msg) => return msg,
                Err(e) => panic!("no {what}: {e}"),
            }
        };
        assert!(matches!(wait("index"), Msg::IndexReady { .. }));
        jobs.search.request("Pell".into());
        match wait("answer") {
            Msg::Searched { result, .. } => {
                let found = result.unwrap();
                assert!(!found.is_empty(), "a body-only word is found");
                assert!(
                    full.articles[found[0].article_index]
                        .paragraphs
                        .iter()
                        .any(|p| p.contains("Pell"))
                );
            }
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    #[test]
    fn the_index_job_builds_then_reopens_and_the_search_job_answers() {
        let (tx, rx) = mpsc::channel();
        let (_dir, place) = scratch_place();
        let lib = crate::app::Library::new(
            crate::corpus::sample::load_sample(&corpus::load::LoadOptions::default()),
            Vec::new(),
        );
        let stories =
            crate::corpus::group::group(&lib.corpus.articles, &Default::default(), &|_| {});
        let job = crate::app::search::IndexJob {
            corpus: lib.corpus.clone(),
            stories: Arc::new(stories.clone()),
            rebuild: false,
            texts: None,
        };
        let wait = |what: &str| loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(Msg::IndexProgress { .. }) => {}
                Ok(msg) => return msg,
                Err(e) => panic!("no {what}: {e}"),
            }
        };
        for round in 0..2 {
            let jobs = Jobs::new(&tx, &place);
            jobs.index.request(job.clone());
            match wait("index") {
                Msg::IndexReady { articles } => {
                    assert_eq!(
                        usize::try_from(articles).unwrap(),
                        lib.corpus.articles.len(),
                        "round {round}"
                    );
                }
                other => panic!("expected the index, got {other:?}"),
            }
            // A body-only word of the sample corpus.
            jobs.search.request("Pell".into());
            match wait("answer") {
                Msg::Searched { query, result } => {
                    assert_eq!(query, "Pell");
                    let found = result.unwrap();
                    assert!(!found.is_empty());
                    let m = found[0];
                    let story = &stories[m.story_ord];
                    assert!(story.versions.iter().any(|v| v.article == m.article_index));
                    assert!(
                        lib.corpus.articles[m.article_index]
                            .paragraphs
                            .iter()
                            .any(|p| p.contains("Pell"))
                    );
                }
                other => panic!("expected an answer, got {other:?}"),
            }
            jobs.search.request("\"open".into());
            match wait("error") {
                Msg::Searched { result, .. } => assert!(result.unwrap_err().starts_with("query:")),
                other => panic!("expected an error, got {other:?}"),
            }
        }
    }

    #[test]
    fn terminal_keys_become_keymap_chords() {
        assert_eq!(
            key_chord(ev(C::Char('G'), KeyModifiers::SHIFT)),
            Some(KeyChord::ch('G'))
        );
        assert_eq!(
            key_chord(ev(C::BackTab, KeyModifiers::SHIFT)),
            Some(KeyChord::plain(KeyCode::BackTab))
        );
        assert_eq!(
            key_chord(ev(C::Char('d'), KeyModifiers::CONTROL)),
            Some(KeyChord::ctrl('d'))
        );
        let shift_down = key_chord(ev(C::Down, KeyModifiers::SHIFT)).unwrap();
        assert!(shift_down.shift);
        let mut release = ev(C::Char('j'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(key_chord(release), None);
    }
}
