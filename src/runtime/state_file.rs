//! The per-corpus reading state on disk: written atomically, a corrupt file kept aside.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Writes `state` to `path` atomically: a temporary file in the same folder, synced, renamed.
pub fn save(path: &Path, state: &SavedState) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        serde_json::to_writer(&mut f, state)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
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
