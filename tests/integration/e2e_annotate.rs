//! End to end: the real `stet` in a tmux pane annotates a sentence of the sample corpus, quits,
//! starts again and finds the annotation on screen, then `stet annotations export --format
//! jsonl` prints it. A second stet on the same corpus opens the annotations read-only. Skips
//! when tmux is missing.

use crate::tmux_support;

use std::process::Command;

use tmux_support::Tmux;

/// Starts stet on the sample corpus in the pane `target` and waits for the list.
fn start_stet(t: &Tmux, target: &str) {
    t.run_stet_in(target, "");
    t.wait_for_in(target, "the story list", |s| {
        s.contains("stories") && s.contains("unread")
    });
}

#[test]
fn annotate_quit_restart_find_and_export() {
    let Some(t) = Tmux::start("ann-flow") else {
        return;
    };
    start_stet(&t, "e2e");
    // Open the cranes story, select its second sentence, label it 4 with a note.
    t.keys_to("e2e", &["/"]);
    t.type_to("e2e", "crane");
    t.keys_to("e2e", &["Enter", "Enter"]);
    t.wait_for_in("e2e", "the reader", |s| s.contains("▶ Version"));
    t.keys_to("e2e", &[")", "v", ")", "a"]);
    t.wait_for_in("e2e", "the label picker", |s| {
        s.contains("Attribution changed")
    });
    t.keys_to("e2e", &["4"]);
    t.wait_for_in("e2e", "the note input", |s| s.contains("Ctrl-s saves"));
    t.type_to("e2e", "e2e note 42");
    t.keys_to("e2e", &["C-s"]);
    let s = t.wait_for_in("e2e", "the annotation", |s| {
        s.contains("Annotated: Attribution changed")
    });
    assert!(
        s.lines().any(|l| l.contains("4The birds stop")),
        "the label key marks the sentence:\n{s}"
    );
    // A second stet on the same corpus (issue 16: both write, WAL): it sees the annotation
    // the first one stored, and is not read-only.
    t.new_window("two");
    start_stet(&t, "e2e:two");
    t.keys_to("e2e:two", &["/"]);
    t.type_to("e2e:two", "crane");
    t.keys_to("e2e:two", &["Enter", "Enter"]);
    let s = t.wait_for_in("e2e:two", "the annotation in the second stet", |s| {
        s.lines().any(|l| l.contains("4The birds stop"))
    });
    assert!(!s.contains("read-only"), "{s}");
    t.keys_to("e2e:two", &["q"]);
    t.wait_for_in("e2e:two", "the second stet to exit", |s| {
        s.contains("STET-EXIT=0")
    });
    t.tmux(&["kill-window", "-t", "e2e:two"]);

    // Quit, start again: the annotation is there.
    t.keys_to("e2e", &["q"]);
    t.wait_for_in("e2e", "stet to exit", |s| s.contains("STET-EXIT=0"));
    t.line_to("e2e", "clear");
    start_stet(&t, "e2e");
    t.keys_to("e2e", &["/"]);
    t.type_to("e2e", "crane");
    t.keys_to("e2e", &["Enter", "Enter"]);
    let s = t.wait_for_in("e2e", "the annotation after a restart", |s| {
        s.lines().any(|l| l.contains("4The birds stop"))
    });
    assert!(!s.contains("read-only"), "{s}");
    t.keys_to("e2e", &["q"]);
    t.wait_for_in("e2e", "stet to exit", |s| {
        s.matches("STET-EXIT=0").count() >= 1
    });

    // The export has it.
    let d = t.dir.path();
    let out = Command::new(d.join("stet"))
        .args(["annotations", "export", "--format", "jsonl"])
        .env("STET_DATA_DIR", d.join("data"))
        .env("STET_CONFIG_DIR", d.join("config"))
        .env("STET_CACHE_DIR", d.join("cache"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["label"], "attribution_changed");
    assert_eq!(v["note"], "e2e note 42");
    let quote = v["targets"][0]["quote"]["exact"].as_str().unwrap();
    assert!(
        quote.starts_with("The birds stop at the shallow lagoons"),
        "{quote}"
    );
    assert_eq!(v["targets"][0]["anchor"]["status"], "exact");
}

/// `stet annotations export --format jsonl` in the test's directories, one JSON value a line.
fn export_jsonl(t: &Tmux) -> Vec<serde_json::Value> {
    let d = t.dir.path();
    let out = Command::new(d.join("stet"))
        .args(["annotations", "export", "--format", "jsonl"])
        .env("STET_DATA_DIR", d.join("data"))
        .env("STET_CONFIG_DIR", d.join("config"))
        .env("STET_CACHE_DIR", d.join("cache"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn part_of_a_sentence_selected_with_word_motions_is_the_exported_quote() {
    let Some(t) = Tmux::start("ann-motion") else {
        return;
    };
    start_stet(&t, "e2e");
    t.keys_to("e2e", &["/"]);
    t.type_to("e2e", "crane");
    t.keys_to("e2e", &["Enter", "Enter"]);
    t.wait_for_in("e2e", "the reader", |s| s.contains("▶ Version"));
    // "6,850 birds" in the 31-word first sentence: v, f 6 (to the word with a 6), * (just
    // that word), e (to the next word's end), then a and the label.
    t.keys_to("e2e", &["v", "f", "6", "*", "e"]);
    t.keys_to("e2e", &["a"]);
    t.wait_for_in("e2e", "the label picker", |s| {
        s.contains("Attribution changed")
    });
    t.keys_to("e2e", &["2"]);
    t.wait_for_in("e2e", "the note input", |s| s.contains("Ctrl-s saves"));
    t.keys_to("e2e", &["C-s"]);
    t.wait_for_in("e2e", "the annotation", |s| s.contains("Annotated:"));
    t.keys_to("e2e", &["q"]);
    t.wait_for_in("e2e", "stet to exit", |s| s.contains("STET-EXIT=0"));
    let v = export_jsonl(&t);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["targets"][0]["quote"]["exact"], "6,850 birds");
    assert_eq!(v[0]["targets"][0]["anchor"]["status"], "exact");
}

#[test]
fn the_diff_view_in_a_real_terminal() {
    let Some(t) = Tmux::start("ann-diff") else {
        return;
    };
    start_stet(&t, "e2e");
    // The ferry story has four versions.
    t.keys_to("e2e", &["/"]);
    t.type_to("e2e", "ferry");
    t.keys_to("e2e", &["Enter", "d"]);
    let s = t.wait_for_in("e2e", "the diff", |s| s.contains("% similar"));
    // Version 1 is the wire original, dated from its dateline (`~`); the header shortens its
    // parts (v1, the day) so the headlines show.
    assert!(s.contains("A: v1 · norda-wire · 2026-03-03~"), "{s}");
    assert!(s.contains("B: v4 · valmere-courier · 2026-03-04"), "{s}");
    assert!(s.contains("side by side"), "{s}");
    assert!(s.contains(" │ "), "two columns:\n{s}");
    t.keys_to("e2e", &["u"]);
    t.wait_for_in("e2e", "unified", |s| s.contains("· unified"));
    t.keys_to("e2e", &["]", "c"]);
    // The cursor starts on the first change (a removed correction line): ]c goes to the second.
    t.wait_for_in("e2e", "the next change", |s| s.contains("Change 2 of"));
    // At 80 columns the diff is laid out again.
    t.tmux(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    t.wait_for_in("e2e", "the narrow layout", |s| {
        s.lines().all(|l| l.chars().count() <= 80) && s.contains("similar")
    });
    t.keys_to("e2e", &["Escape"]);
    t.wait_for_in("e2e", "the list", |s| s.contains("Diff closed"));
    t.keys_to("e2e", &["q"]);
    t.wait_for_in("e2e", "stet to exit", |s| s.contains("STET-EXIT=0"));
}
