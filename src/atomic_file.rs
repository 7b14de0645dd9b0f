//! Replacing a file so that a crash or a full disk leaves the old file or the new one, never
//! half of one: the one way stet writes the reading state, the annotation log's compaction,
//! the stories cache and annotation exports.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes the file at `path` through `write`: into a temporary file in the same folder
/// (`NAME.tmp-PID`), flushed and fsync'd, renamed over `path`, then the folder fsync'd so
/// the rename survives a crash. On an error the temporary file is removed and `path` is as
/// it was. The folder is created when missing.
pub(crate) fn write(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map_or_else(
        || std::borrow::Cow::Borrowed("file"),
        |n| n.to_string_lossy(),
    );
    let tmp = dir.join(format!("{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut w = BufWriter::new(File::create(&tmp)?);
        write(&mut w)?;
        let f = w
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    sync_dir(dir)
}

/// [`write`] of `bytes`.
pub(crate) fn write_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write(path, |w| w.write_all(bytes))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir).and_then(|d| d.sync_all())
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("state.json");
        write_bytes(&path, b"one").unwrap();
        write_bytes(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.json"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_bytes(&path, b"old").unwrap();
        let err = write(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writing_to_dev_full_fails_and_keeps_the_old_file() {
        // A folder that cannot take the temporary file: the old file stays.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-parent-is-a-file").join("x");
        std::fs::write(dir.path().join("missing-parent-is-a-file"), b"f").unwrap();
        assert!(write_bytes(&path, b"new").is_err());
        assert_eq!(
            std::fs::read(dir.path().join("missing-parent-is-a-file")).unwrap(),
            b"f"
        );
    }
}
