//! The per-corpus reading state on disk: written atomically, a corrupt file kept aside.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::app::SavedState;

/// The file name of the reading state in a corpus's data directory.
pub const STATE_FILE_NAME: &str = "reading-state.json";

/// Where the reading state of the corpus at `paths` (the sample when empty) is kept.
pub fn state_path(paths: &[PathBuf]) -> Option<PathBuf> {
    let dirs = crate::paths::StetDirs::discover().ok()?;
    let key = crate::paths::CorpusKey::for_paths(paths);
    Some(dirs.corpus_data_dir(&key).join(STATE_FILE_NAME))
}

/// Reads the state at `path`: `(state, problem)`. A missing file is no problem; a corrupt one is
/// renamed aside (never deleted) and reported.
pub fn load(path: &Path) -> (Option<SavedState>, Option<String>) {
    remove_stale_temps(path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (None, None),
        Err(e) => {
            return (
                None,
                Some(format!(
                    "{}: cannot read the reading state: {e}; starting without read marks (the file is left as it is)",
                    path.display()
                )),
            );
        }
    };
    match serde_json::from_str::<SavedState>(&text) {
        Ok(state) => (Some(state), None),
        Err(e) => {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let aside = path.with_extension(format!("json.corrupt-{stamp}"));
            let kept = match std::fs::rename(path, &aside) {
                Ok(()) => format!("kept as {}", aside.display()),
                Err(re) => format!("could not move it aside ({re}); left in place"),
            };
            (
                None,
                Some(format!(
                    "{}: the reading state is corrupt ({e}); {kept}; starting without read marks",
                    path.display()
                )),
            )
        }
    }
}

/// Removes temporary files next to `path` left by writers that were killed mid-save (their
/// process is gone); a live writer's file is left alone.
fn remove_stale_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    // `save` writes `NAME.tmp-PID` (the extension "json" replaced by "json.tmp-PID").
    let prefix = format!("{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `state` to `path` atomically (see [`crate::atomic_file`]).
pub fn save(path: &Path, state: &SavedState) -> std::io::Result<()> {
    crate::atomic_file::write(path, |w| {
        serde_json::to_writer(&mut *w, state)?;
        w.write_all(b"\n")
    })
}

/// Writes the reading state off the UI thread: saves are queued, only the latest of a burst is
/// written, and `finish` waits for the last one.
#[derive(Debug)]
pub struct StateWriter {
    tx: Option<Sender<SavedState>>,
    handle: Option<JoinHandle<()>>,
    last_error: Arc<Mutex<Option<String>>>,
}

impl StateWriter {
    /// Starts the writer for `path`; `report` is called with each failure's message.
    pub fn spawn(
        path: PathBuf,
        report: impl Fn(String) + Send + 'static,
    ) -> std::io::Result<StateWriter> {
        let (tx, rx): (Sender<SavedState>, Receiver<SavedState>) = mpsc::channel();
        let last_error = Arc::new(Mutex::new(None));
        let errors = Arc::clone(&last_error);
        let handle = std::thread::Builder::new()
            .name("stet-state".into())
            .spawn(move || {
                while let Ok(mut state) = rx.recv() {
                    while let Ok(newer) = rx.try_recv() {
                        state = newer;
                    }
                    let result = save(&path, &state);
                    let message = result
                        .err()
                        .map(|e| format!("{}: cannot save the reading state: {e}", path.display()));
                    if let Some(m) = &message {
                        report(m.clone());
                    }
                    if let Ok(mut last) = errors.lock() {
                        *last = message;
                    }
                }
            })?;
        Ok(StateWriter {
            tx: Some(tx),
            handle: Some(handle),
            last_error,
        })
    }

    /// Queues `state` to be written.
    pub fn save(&self, state: SavedState) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(state);
        }
    }

    /// Waits until everything queued is written; returns the last write's error, if it failed.
    pub fn finish(mut self) -> Option<String> {
        self.stop();
        self.last_error.lock().ok().and_then(|mut e| e.take())
    }

    fn stop(&mut self) {
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for StateWriter {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn temp_files_of_dead_writers_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_FILE_NAME);
        let dead = dir.path().join(format!("{STATE_FILE_NAME}.tmp-4000000000"));
        let live = dir
            .path()
            .join(format!("{STATE_FILE_NAME}.tmp-{}", std::process::id()));
        let other = dir.path().join("notes.tmp-1");
        for f in [&dead, &live, &other] {
            std::fs::write(f, "{").unwrap();
        }
        let _ = load(&path);
        assert!(!dead.exists(), "a killed writer's temp file is removed");
        assert!(
            live.exists() && other.exists(),
            "live writers' and unrelated files stay"
        );
    }

    use super::*;

    #[test]
    fn round_trips_and_keeps_corrupt_files_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("k.json");
        assert_eq!(load(&path), (None, None));
        let state = SavedState {
            version: 1,
            read: vec!["a".into(), "b".into()],
            selected: Some("b".into()),
            sort: Some("title".into()),
            source_filter: None,
        };
        save(&path, &state).unwrap();
        assert_eq!(load(&path), (Some(state), None));

        std::fs::write(&path, "{ not json").unwrap();
        let (loaded, problem) = load(&path);
        assert!(loaded.is_none());
        let problem = problem.unwrap();
        assert!(problem.contains("corrupt"), "{problem}");
        assert!(!path.exists());
        let aside: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            aside.iter().any(|n| n.starts_with("k.json.corrupt-")),
            "{aside:?}"
        );
    }

    #[test]
    fn the_writer_writes_the_latest_state_before_finishing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let writer = StateWriter::spawn(path.clone(), |_| {}).unwrap();
        for i in 0..50 {
            writer.save(SavedState {
                read: vec![format!("story-{i}")],
                ..SavedState::default()
            });
        }
        assert_eq!(writer.finish(), None);
        let (state, problem) = load(&path);
        assert_eq!(problem, None);
        assert_eq!(state.unwrap().read, vec!["story-49".to_string()]);
    }

    #[test]
    fn the_writer_reports_failures() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the folder should be: the write cannot succeed.
        std::fs::write(dir.path().join("blocked"), "").unwrap();
        let path = dir.path().join("blocked").join("s.json");
        let reported = Arc::new(Mutex::new(Vec::new()));
        let r = Arc::clone(&reported);
        let writer = StateWriter::spawn(path, move |m| r.lock().unwrap().push(m)).unwrap();
        writer.save(SavedState::default());
        let err = writer.finish().unwrap();
        assert!(err.contains("cannot save the reading state"), "{err}");
        assert_eq!(reported.lock().unwrap().len(), 1);
    }
}
