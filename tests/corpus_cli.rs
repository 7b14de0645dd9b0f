//! CLI tests of loading and cleaning: `stet articles` and `stet show` on the seeds (skipped
//! where ../shared is absent), the built-in sample corpus, and a folder of bad inputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn stet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stet"))
        .args(args)
        .env("STET_DATA_DIR", std::env::temp_dir().join("stet-test-data"))
        .env(
            "STET_CACHE_DIR",
            std::env::temp_dir().join("stet-test-cache"),
        )
        .output()
        .expect("run stet")
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stet failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

fn seed_file(dir: &Path, prefix: &str) -> String {
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .expect("seed file");
    entry.path().display().to_string()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn seed_repost_reflows_to_eleven_paragraphs() {
    let Some(dir) = seeds() else { return };
    let v = json(&stet(&["show", &seed_file(&dir, "000_"), "--json"]));
    let paragraphs = strings(&v["paragraphs"]);
    assert_eq!(paragraphs.len(), 11, "{paragraphs:#?}");
    assert!(
        paragraphs[0]
            .starts_with("U.S. Secretary of State John Kerry arrived in Moscow on Tuesday")
    );
    assert!(
        paragraphs
            .iter()
            .any(|p| p.contains("on Sept. 30. It says only the Syrian people"))
    );
    assert!(paragraphs[1].starts_with("Kerry will seek to prepare the ground"));
    assert!(paragraphs.iter().all(|p| !p.contains("Post a Comment")));
    let removed: Vec<(String, String)> = v["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["text"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        removed.contains(&("Post a Comment".into(), "comments".into())),
        "{removed:?}"
    );
    assert!(
        removed.iter().any(|(t, r)| r == "duplicate_paragraph" && t.starts_with("Kerry's meeting with Putin")),
        "{removed:?}"
    );
    // The teaser went, the body copy stayed (7th paragraph).
    assert!(paragraphs[7].starts_with("Kerry's meeting with Putin follows"));
}

#[test]
fn seed_print_version_loses_header_and_footer() {
    let Some(dir) = seeds() else { return };
    let v = json(&stet(&["show", &seed_file(&dir, "003_"), "--json"]));
    let paragraphs = strings(&v["paragraphs"]);
    assert_eq!(paragraphs.len(), 19, "{paragraphs:#?}");
    assert!(paragraphs[0].starts_with("US Secretary of State John Kerry said he wanted"));
    assert_eq!(v["title"], "Kerry seeks Syria progress in Moscow");
    assert_eq!(v["date"], "2015-12-16");
    assert_eq!(v["dateline"], "Reuters, MOSCOW");
    assert!(
        v["deck"]
            .as_str()
            .unwrap()
            .starts_with("DIVISIVE:The US needs to rethink")
    );
    for junk in [
        "Page 7",
        "viewed 1965",
        "Comments will be moderated",
        "TOP top",
        "Reuters, MOSCOW",
    ] {
        assert!(
            paragraphs.iter().all(|p| !p.contains(junk)),
            "{junk} left in the body"
        );
    }
    // Curly quotes are kept in the cleaned text.
    assert!(paragraphs[3].starts_with('\u{201C}'));
}

#[test]
fn seed_raw_view_marks_removed_lines() {
    let Some(dir) = seeds() else { return };
    let out = stet(&["show", &seed_file(&dir, "003_"), "--raw"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("- Wed, Dec 16, 2015 - Page 7 News List    [page_header]"),
        "{text}"
    );
    assert!(text.contains("- TOP top    [navigation]"));
    assert!(text.contains("  US Secretary of State John Kerry said"));
}

#[test]
fn sample_corpus_lists_every_article() {
    let v = json(&stet(&["articles", "--json"]));
    let arts = v.as_array().unwrap();
    assert_eq!(arts.len(), 13);
    let ids: Vec<&str> = arts.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"feeds/news-please-2026-03.jsonl:2"),
        "{ids:?}"
    );
    let html = arts
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with(".html"))
        .unwrap();
    assert_eq!(html["title"], "Ferry death toll rises to 14 on Lake Orsen");
    assert_eq!(html["date"], "2026-03-03T18:40:00Z");
    let wire = arts
        .iter()
        .find(|a| a["id"] == "norda-wire/0303-ferry-capsizes-lake-orsen.txt")
        .unwrap();
    assert_eq!(
        wire["title"],
        "FERRY CAPSIZES ON LAKE ORSEN, AT LEAST 12 DEAD"
    );
    assert_eq!(wire["dateline"], "VALMERE, March 3");
    for a in arts {
        assert!(a["words"].as_u64().unwrap() > 150, "{a}");
        assert!(
            a.get("text").is_none() && a.get("raw").is_none(),
            "texts must not be listed"
        );
    }
    // Plain output: one line per article.
    let plain = stet(&["articles"]);
    assert_eq!(String::from_utf8(plain.stdout).unwrap().lines().count(), 13);
}

#[test]
fn show_finds_sample_articles_by_id_and_reports_unknown_ids() {
    let v = json(&stet(&[
        "show",
        "feeds/news-please-2026-03.jsonl:2",
        "--json",
    ]));
    assert_eq!(v["source"], "nordawire.example");
    assert!(
        v["paragraphs"][0]
            .as_str()
            .unwrap()
            .starts_with("(Corrects year")
    );
    let out = stet(&["show", "no-such-article"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-article"));
}

#[test]
fn field_override_reads_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.jsonl");
    std::fs::write(&f, "{\"headline_text\":\"Odd names\",\"story_text\":\"The body is here.\",\"text\":\"wrong\"}\n").unwrap();
    let v = json(&stet(&[
        "articles",
        f.to_str().unwrap(),
        "--json",
        "--field",
        "text=story_text",
        "--field",
        "title=headline_text",
    ]));
    assert_eq!(v[0]["title"], "Odd names");
    assert_eq!(v[0]["words"], 4);
    let bad = stet(&["articles", f.to_str().unwrap(), "--field", "bodyy=x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown field key"));
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn bad_inputs_are_reported_once_each_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let w = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).unwrap();
    w("good.txt", b"A good article.\n\nIt has two paragraphs.");
    w("binary.txt", b"\x7fELF\x00\x00\x01garbage\x00");
    w(
        "latin1.txt",
        b"Caf\xe9 society opens in Valmere.\n\nMore text here.",
    );
    w("empty.txt", b"");
    w(
        "records.jsonl",
        b"{\"title\":\"Fine\",\"text\":\"Fine body.\"}\n{not json\n[1,2]\n{\"title\":\"Headline only\"}\n{\"url\":\"x\"}\n",
    );
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    w("nested.json", nested.as_bytes());
    let huge = "word ".repeat(10_000_000); // 50 MB on one line
    w("huge.txt", huge.as_bytes());
    w(
        "escapes.txt",
        b"Evil \x1b]52;c;aGVsbG8=\x07 text \x1b[2J with \x1b]0;title\x07 escapes.\n\nSecond.",
    );
    w("page.html", b"<html><head><title>Saved page</title></head><body><nav>Home | News</nav><article><h1>Saved page</h1><p>The first paragraph of the saved page has enough words to count as text.</p><p>The second paragraph of the saved page also has enough words in it.</p></article><footer>Copyright</footer></body></html>");
    w(
        "gz.jsonl.gz",
        &gzip(b"{\"id\":\"gz1\",\"title\":\"Zipped\",\"maintext\":\"Compressed body text.\"}\n"),
    );
    w(".hidden.txt", b"Never loaded.");
    w("notes.csv", b"ignored,in,folders");
    std::os::unix::fs::symlink(d.join("missing-target.txt"), d.join("dangling.txt")).unwrap();

    let out = stet(&["articles", d.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "exit {:?}", out.status);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    for id in [
        "good.txt",
        "latin1.txt",
        "huge.txt",
        "escapes.txt",
        "page.html",
        "gz1",
        "records.jsonl:1",
        "records.jsonl:4",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(
        !ids.iter()
            .any(|i| i.contains("hidden") || i.contains("binary") || i.contains("notes"))
    );
    let expect = [
        ("binary.txt", "binary file"),
        ("latin1.txt:1", "invalid UTF-8"),
        ("empty.txt", "empty file"),
        ("records.jsonl:2", "invalid JSON"),
        ("records.jsonl:3", "not a JSON object"),
        ("records.jsonl:5", "neither a title nor a text"),
        ("nested.json", "invalid JSON"),
        ("dangling.txt", "cannot read"),
    ];
    for (place, reason) in expect {
        let hits: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(place) && l.contains(reason))
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "{place}: {reason} reported {} times in:\n{stderr}",
            hits.len()
        );
    }
    assert_eq!(stderr.lines().count(), expect.len(), "{stderr}");
    let headline_only = v
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "records.jsonl:4")
        .unwrap();
    assert_eq!(headline_only["words"], 0);
    assert_eq!(headline_only["title"], "Headline only");
    // Escape sequences never reach stdout, plain or JSON.
    let plain = stet(&["show", d.join("escapes.txt").to_str().unwrap()]);
    assert!(!plain.stdout.contains(&0x1b) && !plain.stdout.contains(&0x07));
}

#[test]
fn nothing_loadable_exits_2() {
    let out = stet(&["articles", "/nonexistent/stet/path"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/stet/path: cannot read"));
}

#[test]
fn every_command_has_help() {
    for cmd in [
        "articles",
        "show",
        "stories",
        "diff",
        "collate",
        "annotations",
        "config",
    ] {
        let out = stet(&[cmd, "--help"]);
        assert!(out.status.success(), "{cmd} --help");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{cmd}"
        );
    }
}
