//! Resource limits: thousands of files with bad encodings load with one report line each; a
//! multi-megabyte single paragraph is compared with its work cut off and a note saying so.
//! (Whole-process figures for 10 MB paragraphs and a 1 GB JSONL corpus are in README.)

use std::path::Path;

mod cli_support;

fn stet(args: &[&str], home: &Path) -> std::process::Output {
    cli_support::stet_in(home, args).output().unwrap()
}

#[test]
fn two_thousand_files_with_bad_encodings_give_one_report_line_each() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let mut expected = Vec::new();
    for i in 0..2000 {
        let (name, bytes): (String, Vec<u8>) = match i % 5 {
            // Latin-1 and Windows-1252 text.
            0 | 1 => (
                format!("latin-{i}.txt"),
                format!("Caf\u{0}headline {i}\n\nNa\u{0}ve text about \u{0}100 and more.\n")
                    .replace('\u{0}', "\u{e9}")
                    .chars()
                    .map(|c| c as u32 as u8)
                    .collect(),
            ),
            // UTF-16 with a byte-order mark: decoded, no report (so not expected below).
            2 => (
                format!("utf16-{i}.txt"),
                std::iter::once(0xfeffu16)
                    .chain(format!("Report {i}\n\nText.").encode_utf16())
                    .flat_map(u16::to_le_bytes)
                    .collect(),
            ),
            // JSONL with bad bytes on several lines: one report for the file.
            3 => (
                format!("feed-{i}.jsonl"),
                format!(
                    "{{\"title\":\"T{i} \u{1}\",\"body\":\"caf\u{1} one\"}}\n{{\"title\":\"ok\",\"body\":\"\u{1}\u{1} two\"}}\n"
                )
                .into_bytes()
                .into_iter()
                .map(|b| if b == 1 { 0xff } else { b })
                .collect(),
            ),
            // A JSON file with a truncated UTF-8 sequence.
            _ => (
                format!("doc-{i}.json"),
                format!("{{\"title\":\"Doc {i}\",\"body\":\"cut \u{1}\u{2} here\"}}")
                    .into_bytes()
                    .into_iter()
                    .map(|b| match b {
                        1 => 0xe2,
                        2 => 0x82,
                        b => b,
                    })
                    .collect(),
            ),
        };
        std::fs::write(dir.join(&name), bytes).unwrap();
        if i % 5 != 2 {
            expected.push(name);
        }
    }
    let out = stet(&["articles", dir.to_str().unwrap()], tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let prefix = format!("{}/", dir.display());
    let reports: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(
        reports.len(),
        1600,
        "one line per file:\n{}",
        &stderr[..stderr.len().min(3000)]
    );
    for name in &expected {
        let n = reports
            .iter()
            .filter(|l| l.starts_with(&format!("{prefix}{name}:")))
            .count();
        assert_eq!(n, 1, "{name}: {n} report lines");
    }
    assert!(
        reports
            .iter()
            .any(|l| l.ends_with("invalid UTF-8, decoded lossily"))
    );
    assert!(
        reports
            .iter()
            .any(|l| l.contains(".jsonl:1: invalid UTF-8 on 2 lines"))
    );
    // Everything was loaded: 1,200 Latin-1 and JSON files, 400 UTF-16 files, 2 per JSONL file.
    let listed = String::from_utf8_lossy(&out.stdout).lines().count();
    assert!(listed >= 2400, "{listed} articles listed");
}

/// One paragraph of `bytes` bytes: sentences of a small vocabulary, no paragraph break.
fn one_paragraph(bytes: usize, change_every: usize) -> String {
    let words = [
        "the", "minister", "said", "on", "Tuesday", "that", "talks", "would", "resume", "next",
        "week", "after", "police", "reported", "unrest", "across", "region",
    ];
    let mut out = String::from("Headline\n\n");
    let mut i = 0usize;
    while out.len() < bytes {
        let w = if change_every > 0 && i.is_multiple_of(change_every) {
            "changed"
        } else {
            words[(i * 7 + i / 13) % words.len()]
        };
        out.push_str(w);
        out.push_str(if i % 17 == 16 { ". " } else { " " });
        i += 1;
    }
    out.push('\n');
    out
}

#[test]
fn a_multi_megabyte_paragraph_is_compared_with_its_work_cut_off_and_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.txt");
    let b = tmp.path().join("b.txt");
    std::fs::write(&a, one_paragraph(3_000_000, 0)).unwrap();
    std::fs::write(&b, one_paragraph(3_000_000, 97)).unwrap();
    let out = stet(
        &["diff", "--json", a.to_str().unwrap(), b.to_str().unwrap()],
        tmp.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = v["notes"].as_array().expect("a note on the limits applied");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap_or("").contains("cut")),
        "{notes:?}"
    );
    assert!(!v["ops"].as_array().unwrap().is_empty());
}

/// Found by `fuzz_load_html`: rs-trafilatura 0.2.2 slices `"=—By JOHN SMITH"` inside the dash
/// (html_processing.rs:630) and panics. The panic is caught; the page gives one problem line,
/// and no panic message (with page text in it) reaches stderr.
#[test]
fn a_page_that_crashes_the_html_extractor_gives_one_quiet_problem_line() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("p.html");
    std::fs::write(
        &page,
        "<html><head><title>T</title></head><body><article><p>=\u{2014}By JOHN SMITH \u{1b}]0;x\u{7}</p><p>The minister said on Tuesday that talks would resume next week.</p></article></body></html>",
    )
    .unwrap();
    let out = stet(&["articles", page.to_str().unwrap()], tmp.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("p.html: HTML extraction failed"),
        "{stderr}"
    );
}

mod tmux_support;

/// The reader stays responsive on a 3 MB single paragraph (two versions of it): the story
/// opens, and paging and jumping to the end each redraw (within the harness's wait).
#[test]
fn the_reader_stays_responsive_on_a_multi_megabyte_paragraph() {
    let Some(t) = tmux_support::Tmux::start("bigpara") else {
        return;
    };
    let dir = t.dir.path().join("big");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), one_paragraph(3_000_000, 0)).unwrap();
    std::fs::write(dir.join("b.txt"), one_paragraph(3_000_000, 97)).unwrap();
    let bin = t.dir.path().join("stet");
    std::fs::copy(env!("CARGO_BIN_EXE_stet"), &bin).unwrap();
    t.line(&format!(
        "'{}' '{}'; echo STET-EXIT=$((0+$?))",
        bin.display(),
        dir.display()
    ));
    t.wait_for("the story list", |s| s.contains("unread"));
    t.keys(&["Enter"]);
    let mut screen = t.wait_for("the reader", |s| s.contains("words"));
    for key in ["Space", "Space", "G", "g", "]"] {
        t.keys(&[key]);
        if key == "g" {
            t.keys(&["g"]);
        }
        let before = screen.clone();
        screen = t.wait_for(&format!("a redraw after {key}"), |s| s != before);
    }
    t.keys(&["q"]);
    t.wait_for("stet to exit", |s| s.contains("STET-EXIT=0"));
}
