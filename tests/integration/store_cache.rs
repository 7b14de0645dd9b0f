//! The derived store notices a same-length edit that puts the old mtime back (issue 16: it
//! trusted size and mtime and showed stale titles).

use std::process::{Command, Stdio};

#[test]
fn a_same_length_edit_with_the_old_mtime_is_not_served_stale() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let f = corpus.join("a.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"a1\",\"title\":\"Old headline here\",\"text\":\"The council met on Monday and voted.\"}\n",
    )
    .unwrap();
    let stories = || {
        let out = Command::new(env!("CARGO_BIN_EXE_stet"))
            .args(["stories", "--json", corpus.to_str().unwrap()])
            .env("STET_DATA_DIR", tmp.path().join("data"))
            .env("STET_CONFIG_DIR", tmp.path().join("config"))
            .env("STET_CACHE_DIR", tmp.path().join("cache"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(stories().contains("Old headline here"));
    assert!(stories().contains("Old headline here")); // from the cache
    let mtime = std::fs::metadata(&f).unwrap().modified().unwrap();
    std::fs::write(
        &f,
        "{\"id\":\"a1\",\"title\":\"New headline here\",\"text\":\"The council met on Monday and voted.\"}\n",
    )
    .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&f)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let now = stories();
    assert!(now.contains("New headline here"), "{now}");
}
