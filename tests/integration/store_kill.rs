//! The user database under SIGKILL (issue 16): writers killed at random points, hundreds of
//! times, during annotation edits and read marks; after every kill the database opens, passes
//! its integrity check (no "damaged" report), and holds everything that was acknowledged.
//! `STET_KILL_ITERATIONS` sets the number of kills of each test (200 and 100 by default).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use stet::annotate::{Annotation, AnnotationLog, Granularity, Target, Timestamp};
use stet::store::{Reading, UserStore};

fn iterations(default: usize) -> usize {
    std::env::var("STET_KILL_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A pseudo-random number from `seed` (no rand crate needed).
fn rnd(seed: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&seed.to_le_bytes())
}

fn annotation(note: &str) -> Annotation {
    let text = "The minister said the plan would go ahead.";
    let t = Target::from_char_span("a1", "s1", text, 4..12, Granularity::Word).unwrap();
    Annotation::new(
        vec![t],
        "reworded".into(),
        Some(note.into()),
        "tester",
        Timestamp::from_unix(1_750_000_000),
    )
    .unwrap()
}

/// The child of `annotations_and_read_marks_survive_sigkill`: in the store at
/// `STET_TEST_KILL_STORE`, creates annotations, edits them, and marks stories read, printing
/// `ack a ID REVISION` or `ack r STORY` once each write has returned. Does nothing when run
/// normally.
#[test]
#[ignore = "run by annotations_and_read_marks_survive_sigkill as a child process"]
fn store_kill_child() {
    use std::io::Write;
    let Some(dir) = std::env::var_os("STET_TEST_KILL_STORE") else {
        return;
    };
    let round: u64 = std::env::var("STET_TEST_KILL_ROUND")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut o = UserStore::open(Path::new(&dir)).unwrap();
    let mut read = o.reading.clone().map(|r| r.read).unwrap_or_default();
    let stdout = std::io::stdout();
    for i in 0..100_000u64 {
        let mut out = stdout.lock();
        match i % 3 {
            0 => {
                let e = o.set.create(annotation(&format!("r{round} n{i}"))).unwrap();
                o.store.append(&e.record).unwrap();
                let a = e.record.annotation();
                writeln!(out, "ack a {} {}", a.id, a.revision).unwrap();
            }
            1 => {
                // Edit the newest annotation's note.
                let Some(id) = o.set.iter().last().map(|a| a.id) else {
                    continue;
                };
                let e = o
                    .set
                    .edit_note(&id, Some(format!("edited r{round} n{i}")), Timestamp::now())
                    .unwrap();
                o.store.append(&e.record).unwrap();
                let a = e.record.annotation();
                writeln!(out, "ack a {} {}", a.id, a.revision).unwrap();
            }
            _ => {
                let story = format!("s{round}-{i}");
                read.push(story.clone());
                let r = Reading {
                    read: read.clone(),
                    selected: Some(story.clone()),
                    ..Reading::default()
                };
                o.store.save_reading(&r, &|_| true).unwrap();
                writeln!(out, "ack r {story}").unwrap();
            }
        }
        out.flush().unwrap();
    }
}

#[test]
fn annotations_and_read_marks_survive_sigkill() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let exe = std::env::current_exe().unwrap();
    let mut acked_anns: Vec<(String, u64)> = Vec::new();
    let mut acked_marks: Vec<String> = Vec::new();
    let n = iterations(200);
    for round in 0..n as u64 {
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "store_kill::store_kill_child",
                "--nocapture",
            ])
            .env("STET_TEST_KILL_STORE", &dir)
            .env("STET_TEST_KILL_ROUND", round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Kill after a random number of acknowledgements (0..40), or mid-open.
        let want = rnd(round) % 40;
        let mut reader = BufReader::new(stdout);
        let mut got = 0;
        let mut line = String::new();
        while got < want {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if record(&line, &mut acked_anns, &mut acked_marks) {
                got += 1;
            }
        }
        if rnd(round + 1_000_000).is_multiple_of(2) {
            std::thread::sleep(Duration::from_micros(rnd(round + 7) % 3000));
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no flush.
        child.wait().unwrap();
        // Acknowledgements already in the pipe were made before the kill.
        for l in reader.lines() {
            record(&l.unwrap(), &mut acked_anns, &mut acked_marks);
        }
        let o = UserStore::open(&dir).unwrap();
        assert!(
            !o.problems.iter().any(|p| p.contains("damaged")),
            "round {round}: {:?}",
            o.problems
        );
        for (id, rev) in &acked_anns {
            let a = o
                .set
                .get(&id.parse().unwrap())
                .unwrap_or_else(|| panic!("round {round}: acknowledged {id} lost"));
            assert!(a.revision >= *rev, "round {round}: {id} went back");
        }
        let read = o.reading.map(|r| r.read).unwrap_or_default();
        for m in &acked_marks {
            assert!(read.contains(m), "round {round}: read mark {m} lost");
        }
    }
    assert!(
        acked_anns.len() > n && acked_marks.len() > n / 4,
        "too few writes acknowledged: {} annotations, {} marks",
        acked_anns.len(),
        acked_marks.len()
    );
    eprintln!(
        "{n} kills: {} annotation writes and {} read marks acknowledged, none lost",
        acked_anns.len(),
        acked_marks.len()
    );
}

fn record(line: &str, anns: &mut Vec<(String, u64)>, marks: &mut Vec<String>) -> bool {
    let parts: Vec<&str> = line.split_whitespace().collect();
    match parts.as_slice() {
        ["ack", "a", id, rev] => {
            anns.push((id.to_string(), rev.parse().unwrap()));
            true
        }
        ["ack", "r", story] => {
            marks.push(story.to_string());
            true
        }
        _ => false,
    }
}

/// The real binary: `stet annotations import` killed at random points; an import that exited
/// 0 is all there, one that was killed is all there or not at all (one transaction).
#[test]
fn the_real_binary_killed_mid_import_loses_nothing_acknowledged() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut acked: Vec<Vec<String>> = Vec::new();
    let mut killed = 0;
    let n = iterations(100);
    for round in 0..n as u64 {
        // Each import: 50 new annotations in one file.
        let anns: Vec<Annotation> = (0..50)
            .map(|i| annotation(&format!("import {round} {i}")))
            .collect();
        let file = tmp.path().join(format!("in-{round}.jsonl"));
        let text: String = anns
            .iter()
            .map(|a| serde_json::to_string(a).unwrap() + "\n")
            .collect();
        std::fs::write(&file, text).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_stet"))
            .args(["annotations", "import", file.to_str().unwrap()])
            .env("STET_DATA_DIR", &data)
            .env("STET_CONFIG_DIR", tmp.path().join("config"))
            .env("STET_CACHE_DIR", tmp.path().join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A debug build imports in some tens of milliseconds: kill before, during or after.
        std::thread::sleep(Duration::from_micros(rnd(round) % 80_000));
        let ids: Vec<String> = anns.iter().map(|a| a.id.to_string()).collect();
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "round {round}: {status}");
                acked.push(ids.clone());
            }
            None => {
                child.kill().unwrap();
                killed += 1;
                if child.wait().unwrap().success() {
                    acked.push(ids.clone());
                }
            }
        }
        let dir = data.join("corpora").join("sample");
        let o = UserStore::open_read_only(&dir).unwrap();
        assert!(!o.problems.iter().any(|p| p.contains("damaged")));
        for batch in &acked {
            for id in batch {
                assert!(
                    o.set.get(&id.parse().unwrap()).is_some(),
                    "round {round}: acknowledged {id} lost"
                );
            }
        }
        // All of this import or none of it.
        let here = ids
            .iter()
            .filter(|id| o.set.get(&id.parse().unwrap()).is_some())
            .count();
        assert!(
            here == 0 || here == ids.len(),
            "round {round}: {here} of 50"
        );
    }
    assert!(
        n < 20 || (killed > 0 && !acked.is_empty()),
        "{killed} killed, {} done",
        acked.len()
    );
    eprintln!(
        "{n} imports, {killed} killed midway, {} acknowledged, none lost",
        acked.len()
    );
}
