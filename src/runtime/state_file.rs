//! The per-corpus reading state on disk: written atomically, a corrupt file kept aside.

use std::io::Write;
use std::path::Path;

use crate::app::SavedState;

/// The file name of the reading state in a corpus's data directory.
pub const STATE_FILE_NAME: &str = "reading-state.json";

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
}
