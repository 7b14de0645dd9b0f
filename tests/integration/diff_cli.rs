//! `stet diff` as a whole process: plain output with markers (not a terminal), JSON shape,
//! ids in the sample corpus, the seeds pair, bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn stet(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stet"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("stet runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const OLD: &str = "Council budget talks\n\n\
The council met on Monday to discuss the budget for next year. Kerry will seek to prepare the \
ground for a vote in the spring.\n\n\
Protesters gathered outside the town hall in the rain on Monday evening.\n\n\
The mayor said cuts were unavoidable this year, blaming the national government.\n\n\
A spokesman declined to comment on the dispute with the unions.\n\n\
The meeting ended shortly before midnight without a vote.\n";

const NEW: &str = "Council budget talks\n\n\
The council met on Monday to discuss the budget for next year. Kerry is seeking to prepare the \
ground for a vote in the spring.\n\n\
The mayor said cuts were unavoidable this year, blaming the national government.\n\n\
A spokesman declined to comment on the dispute with the unions.\n\n\
Protesters gathered outside the town hall in the rain on Monday evening.\n\n\
Union leaders promised a strike \u{201C}within weeks\u{201D} if the plan goes ahead.\n";

fn write_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let a = dir.join("old.txt");
    let b = dir.join("new.txt");
    std::fs::write(&a, OLD).unwrap();
    std::fs::write(&b, NEW).unwrap();
    (a, b)
}

#[test]
fn plain_output_uses_markers_when_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = write_pair(dir.path());
    let (code, out, err) = stet(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains('\u{1b}'), "no colour when piped: {out}");
    assert!(out.contains("--- a: old.txt"), "{out}");
    assert!(out.contains("+++ b: new.txt"), "{out}");
    assert!(
        out.contains("Kerry [-will seek-]{+is seeking+} to prepare the ground"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("-  [-The meeting ended")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("+  {+Union leaders")),
        "{out}"
    );
    let moved: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("\u{2195}\u{A0}moved"))
        .collect();
    assert_eq!(moved.len(), 1, "{out}");
    assert!(moved[0].contains("Protesters gathered"), "{out}");
    assert!(out.contains("1 moved"), "{out}");
}

#[test]
fn unified_flag_gives_the_same_plain_output_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = write_pair(dir.path());
    let (_, plain, _) = stet(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, unified, _) = stet(&[
        "diff",
        "--unified",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(plain, unified);
}

#[test]
fn json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = write_pair(dir.path());
    let (code, out, err) = stet(&["diff", "--json", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    for side in ["a", "b"] {
        assert_eq!(v[side]["title"], "Council budget talks");
        assert!(v[side]["id"].is_string() && v[side]["source"].is_string());
    }
    let stats = &v["stats"];
    assert_eq!(stats["changed"], 1);
    assert_eq!(stats["moved"], 1);
    assert_eq!(stats["added"], 1);
    assert_eq!(stats["removed"], 1);
    assert_eq!(stats["equal"], 4);
    assert!(stats["similarity"].as_f64().unwrap() > 0.7);
    let ops = v["ops"].as_array().unwrap();
    for op in ops {
        for k in ["kind", "moved", "a", "b", "a_index", "b_index", "words"] {
            assert!(op.get(k).is_some(), "{k} missing in {op}");
        }
    }
    let changed = ops.iter().find(|o| o["kind"] == "changed").unwrap();
    let words: Vec<(String, String)> = changed["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["op"].as_str().unwrap().to_string(),
                w["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        words.contains(&("delete".into(), "will seek".into())),
        "{words:?}"
    );
    assert!(
        words.contains(&("insert".into(), "is seeking".into())),
        "{words:?}"
    );
    // Reading order of B, the removed sentence where it stood in A (after the spokesman).
    let kinds: Vec<&str> = ops.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "equal", "changed", "equal", "equal", "removed", "equal", "added"
        ]
    );
    let moved: Vec<&Value> = ops.iter().filter(|o| o["moved"] == true).collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["b_index"], 4);
    assert_eq!(moved[0]["a_index"], 2);
    // It stood in A before the mayor's sentence, the third op.
    assert_eq!(moved[0]["moved_from"], 2);
}

#[test]
fn article_ids_are_looked_up_in_the_sample_corpus() {
    let (code, out, err) = stet(&[
        "diff",
        "--json",
        "norda-wire/0303-ferry-capsizes-lake-orsen.txt",
        "lakeshore-news/ferry-death-toll-rises-to-14.html",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["a"]["id"],
        "norda-wire/0303-ferry-capsizes-lake-orsen.txt"
    );
    assert!(v["ops"].as_array().is_some_and(|o| !o.is_empty()));
}

#[test]
fn unknown_id_is_an_error() {
    let (code, _, err) = stet(&["diff", "no-such-article", "nor-this"]);
    assert_ne!(code, 0);
    assert!(err.contains("no-such-article"), "{err}");
}

#[test]
fn control_characters_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "Title\n\nThe plan was approved on Monday.\n").unwrap();
    std::fs::write(
        &b,
        "Title\n\nThe plan was \u{1b}[31mrejected\u{1b}[0m on Monday.\n",
    )
    .unwrap();
    let (code, out, _) = stet(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

#[test]
fn seeds_pair_through_the_cli() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    let (code, out, err) = stet(&[
        "diff",
        "--json",
        files[0].to_str().unwrap(),
        files[1].to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["stats"]["changed"], 8);
    assert_eq!(v["stats"]["moved"], 1);
    assert_eq!(v["stats"]["removed"], 4);
    let moved: Vec<&Value> = v["ops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["moved"] == true)
        .collect();
    assert_eq!(moved.len(), 1);
    assert!(
        moved[0]["a"]
            .as_str()
            .unwrap()
            .starts_with("U.S. Secretary of State John Kerry arrived in Moscow")
    );
    assert!(
        moved[0]["b"]
            .as_str()
            .unwrap()
            .starts_with("Russia and the US have not reached an agreement")
    );
}
