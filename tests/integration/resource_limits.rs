//! Resource limits: thousands of files with bad encodings load with one report line each; a
//! multi-megabyte single paragraph is compared with its work cut off and a note saying so.
//! (Whole-process figures for 10 MB paragraphs and a 1 GB JSONL corpus are in README.)

use std::path::Path;

use crate::cli_support;

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
                    .map(|c| u8::try_from(c).unwrap())
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
    // -v: every problem on its own line (the default groups them by reason).
    let out = stet(&["articles", "-v", dir.to_str().unwrap()], tmp.path());
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

use crate::tmux_support;

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

/// Runs `stet ARGS` under `/usr/bin/time -f %M` (when present) and a 60 s watchdog: the
/// output and the peak RSS in KB (0 when unmeasured). A hang fails the test.
fn stet_measured(args: &[&str], home: &Path) -> (std::process::Output, u64) {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = std::process::Command::new(time);
        c.args(["-f", "peak-rss-kb %M", env!("CARGO_BIN_EXE_stet")]);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_stet"))
    };
    cmd.args(args)
        .env("STET_DATA_DIR", home.join("data"))
        .env("STET_CONFIG_DIR", home.join("config"))
        .env("STET_CACHE_DIR", home.join("cache"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let watchdog = std::thread::spawn(move || {
        if done_rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .is_err()
        {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!("stet {args:?} hung", args = "(see below)");
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = done_tx.send(());
    assert!(
        watchdog.join().is_ok(),
        "stet {args:?} hung (killed after 60 s)"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kb "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    (out, rss)
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_symlink_loops_never_block_or_repeat() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.txt"), "Alpha\n\nThe first article.\n").unwrap();
    std::fs::write(dir.join("sub/b.txt"), "Beta\n\nThe second article.\n").unwrap();
    let fifo = dir.join("x.txt");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.txt")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("x")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("y")).unwrap();
    let (out, rss) = stet_measured(
        &["articles", "-v", "--json", dir.to_str().unwrap()],
        tmp.path(),
    );
    assert!(out.status.success(), "{out:?}");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "each article once");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let count = |needle: &str| stderr.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(count("not a regular file"), 2, "{stderr}");
    assert_eq!(count("already walked"), 4, "each loop once: {stderr}");
    // A device or FIFO given directly.
    for path in [fifo.to_str().unwrap(), "/dev/zero"] {
        let (out, _) = stet_measured(&["articles", path], tmp.path());
        assert_eq!(out.status.code(), Some(2), "{path}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    }
    if rss > 0 {
        assert!(rss < 200_000, "peak RSS {rss} KB");
    }
}

/// `n` copies of one gzip member of `member` bytes of `fill`: a small file that decompresses
/// to `n * member` bytes.
fn gzip_bomb(path: &Path, prefix: &[u8], fill: u8, member: usize, n: usize) {
    use std::io::Write;
    let mut one = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    one.write_all(&vec![fill; member]).unwrap();
    let one = one.finish().unwrap();
    let mut first = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    first.write_all(prefix).unwrap();
    let mut bytes = first.finish().unwrap();
    for _ in 0..n {
        bytes.extend_from_slice(&one);
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn decompression_bombs_and_endless_lines_stay_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    std::fs::create_dir_all(&dir).unwrap();
    // 10 MB members of one letter: ~10 KB each; 300 of them: 3 GB of text.
    gzip_bomb(&dir.join("bomb.txt.gz"), b"Title\n\n", b'a', 10 << 20, 300);
    // One JSONL line that never ends.
    gzip_bomb(
        &dir.join("line.jsonl.gz"),
        b"{\"title\":\"t\",\"text\":\"",
        b'b',
        10 << 20,
        300,
    );
    std::fs::write(dir.join("ok.txt"), "Fine\n\nA normal article.\n").unwrap();
    let (out, rss) = stet_measured(
        &["articles", "-v", "--json", dir.to_str().unwrap()],
        tmp.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{stderr}");
    assert!(
        stderr.contains("bomb.txt.gz: larger than the 64 MB limit for one article"),
        "{stderr}"
    );
    // The line is over the record limit; reading past it meets the decompression limit.
    assert!(
        stderr.contains("line.jsonl.gz:1: line longer than the 64 MB limit")
            || stderr.contains("line.jsonl.gz:1: cannot read: decompresses to more than"),
        "{stderr}"
    );
    if rss > 0 {
        assert!(rss < 600_000, "peak RSS {rss} KB: {stderr}");
    }
}
