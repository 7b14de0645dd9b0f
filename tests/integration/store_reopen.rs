//! Reopening through the derived store (issue 16): `stet stories --json` says the same
//! without the store, on the first open and on a reopen that reads no file; two processes
//! opening one corpus at once both answer; a damaged store is rebuilt with a message.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::cli_support::stet_in;

fn stories(home: &Path, extra: &[&str], path: &Path) -> Output {
    let mut args = vec!["stories", "--json"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    stet_in(home, &args).output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stet failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The derived store's database under `home`'s cache dir.
fn derived_db(home: &Path) -> PathBuf {
    let mut stack = vec![home.join("cache")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "derived.db") {
                return p;
            }
        }
    }
    panic!("no derived.db under {}", home.display());
}

fn cold_and_warm_agree(corpus: &Path) {
    let home = tempfile::tempdir().unwrap();
    let without = ok(&stories(home.path(), &["--no-cache"], corpus));
    let first = ok(&stories(home.path(), &[], corpus));
    let again = ok(&stories(home.path(), &[], corpus));
    assert!(without.contains("\"stories\""));
    assert_eq!(first, without, "first open through the store");
    assert_eq!(again, without, "reopen from the store");
}

#[test]
fn stories_json_is_the_same_cold_and_warm_on_the_sample() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample");
    cold_and_warm_agree(&sample);
}

#[test]
fn stories_json_is_the_same_cold_and_warm_on_reuters() {
    let reuters = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/reuters21578.jsonl");
    if !reuters.exists() {
        eprintln!("skipped: {} absent", reuters.display());
        return;
    }
    cold_and_warm_agree(&reuters);
}

#[test]
fn two_processes_opening_one_corpus_at_once_both_answer() {
    let home = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample");
    let without = ok(&stories(home.path(), &["--no-cache"], &sample));
    let spawn = || {
        stet_in(
            home.path(),
            &["stories", "--json", sample.to_str().unwrap()],
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    assert_eq!(ok(&a.wait_with_output().unwrap()), without);
    assert_eq!(ok(&b.wait_with_output().unwrap()), without);
}

#[test]
fn a_damaged_store_is_rebuilt_with_a_message() {
    let home = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample");
    let first = ok(&stories(home.path(), &[], &sample));
    let db = derived_db(home.path());
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    std::fs::write(&db, b"not a database, only some bytes written over it").unwrap();
    let out = stories(home.path(), &[], &sample);
    assert_eq!(ok(&out), first);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rebuilt"), "{err}");
    // And it is whole again: the next open is quiet.
    let out = stories(home.path(), &[], &sample);
    assert_eq!(ok(&out), first);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("rebuilt"));
}

/// `stet articles`, `show` and `diff` answer the same from a current store as from the files,
/// and read the files again once one changed.
#[test]
fn articles_show_and_diff_answer_the_same_from_the_store() {
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_copy(tmp.path());
    let c = corpus.to_str().unwrap();
    let run = |args: &[&str]| ok(&stet_in(home.path(), args).output().unwrap());
    let articles = run(&["articles", "--json", c]);
    let list: serde_json::Value = serde_json::from_str(&articles).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let (a, b) = (ids[0], ids[1]);
    let show = run(&["show", "--json", "--raw", a, "--corpus", c]);
    let diff = run(&["diff", "--json", a, b, "--corpus", c]);
    // The store is built by `stet stories`; the same answers come from it.
    run(&["stories", c]);
    assert_eq!(run(&["articles", "--json", c]), articles);
    assert_eq!(run(&["show", "--json", "--raw", a, "--corpus", c]), show);
    assert_eq!(run(&["diff", "--json", a, b, "--corpus", c]), diff);
    // A new file: the store is not current, the files are read.
    std::fs::write(
        corpus.join("late.txt"),
        "Late headline\n\nA late article arrived.\n",
    )
    .unwrap();
    assert!(run(&["articles", c]).contains("Late headline"));
}

/// A copy of the sample corpus in `dir/corpus`, for tests that change its files.
fn sample_copy(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample"),
        &corpus,
    );
    corpus
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Each story of a `stories --json` output as the sorted ids of its articles, sorted.
fn members(json: &str) -> Vec<Vec<String>> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut out: Vec<Vec<String>> = v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut m: Vec<String> = s["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_string())
                .collect();
            m.sort();
            m
        })
        .collect();
    out.sort();
    out
}

/// A file added to a stored corpus is grouped against the stored stories: a re-send of a
/// stored article joins its story, which keeps its id; the stories are those a full
/// grouping finds, and `--regroup` (everything grouped again) says the same.
#[test]
fn an_added_file_joins_the_stored_stories_and_regroup_agrees() {
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_copy(tmp.path());
    let first = ok(&stories(home.path(), &[], &corpus));
    // A second cache, to group everything again after the same change.
    let home2 = tempfile::tempdir().unwrap();
    assert_eq!(ok(&stories(home2.path(), &[], &corpus)), first);
    let ferry =
        std::fs::read_to_string(corpus.join("norda-wire/0303-ferry-capsizes-lake-orsen.txt"))
            .unwrap();
    std::fs::create_dir_all(corpus.join("resends")).unwrap();
    std::fs::write(corpus.join("resends/ferry-again.txt"), &ferry).unwrap();
    let now = ok(&stories(home.path(), &[], &corpus));
    let cold = ok(&stories(home.path(), &["--no-cache"], &corpus));
    assert_eq!(members(&now), members(&cold));
    let regroup = ok(&stories(home2.path(), &["--regroup"], &corpus));
    assert_eq!(regroup, now, "--regroup keeps the ids too");
    // The re-send is in the ferry story, whose id did not change.
    let story_of = |json: &str, article: &str| -> (String, usize) {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["stories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["articles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["id"] == article)
            })
            .map(|s| {
                (
                    s["id"].as_str().unwrap().to_string(),
                    s["articles"].as_array().unwrap().len(),
                )
            })
            .unwrap()
    };
    let (id_before, n_before) = story_of(&first, "norda-wire/0303-ferry-capsizes-lake-orsen.txt");
    let (id_after, n_after) = story_of(&now, "resends/ferry-again.txt");
    assert_eq!(id_after, id_before);
    assert_eq!(n_after, n_before + 1);
    // `--regroup` with `--no-cache` is refused: there is nothing to regroup.
    let out = stories(home.path(), &["--regroup", "--no-cache"], &corpus);
    assert!(!out.status.success());
}

/// A date written but not understood, replaced in the stories by the day its dateline names,
/// is shown as written again by `stet articles` once the grouping is stored (it showed
/// `null`), and after files are added and the stories grouped again.
#[test]
fn a_date_as_written_survives_the_dateline_date_in_the_store() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let body = "A subsidiary of the construction group is seeking to float its shares on the \
                stock exchange, merchant banking sources said on Tuesday.\n\nThey said it has \
                appointed three banks as arrangers for the flotation but declined to give any \
                further details of the listing or its timing.";
    let rec = |id: &str, date: &str, dateline: &str| {
        serde_json::json!({"id": id, "title": "Builder's unit seeks listing", "date": date,
            "dateline": dateline, "source": id, "text": body})
        .to_string()
    };
    std::fs::write(
        dir.join("a.jsonl"),
        format!(
            "{}\n{}\n",
            rec("wire", "31-MAR-1987 605:12:19.12", "HONG KONG, March 31 -"),
            rec("paper", "1987-04-01", "")
        ),
    )
    .unwrap();
    let articles = |home: &Path| {
        ok(
            &stet_in(home, &["articles", "--json", dir.to_str().unwrap()])
                .output()
                .unwrap(),
        )
    };
    let before = articles(home.path());
    assert!(
        before.contains("\"date\":\"31-MAR-1987 605:12:19.12\""),
        "{before}"
    );
    let grouped = ok(&stories(home.path(), &[], &dir));
    assert!(
        grouped.contains("1987-03-31"),
        "the dateline's day: {grouped}"
    );
    assert_eq!(
        articles(home.path()),
        before,
        "after the grouping is stored"
    );
    // A file added: grouped against the stored stories, the written date still kept.
    std::fs::write(dir.join("b.jsonl"), rec("other", "1987-04-02", "") + "\n").unwrap();
    let grouped = ok(&stories(home.path(), &[], &dir));
    assert!(grouped.contains("1987-03-31"), "{grouped}");
    let after = articles(home.path());
    assert!(
        after.contains("\"date\":\"31-MAR-1987 605:12:19.12\""),
        "{after}"
    );
}
