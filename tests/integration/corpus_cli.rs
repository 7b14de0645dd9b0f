//! CLI tests of loading and cleaning: `stet articles` and `stet show` on the seeds (skipped
//! where ../shared is absent), the built-in sample corpus, and a folder of bad inputs.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::cli_support;
use cli_support::json;

fn stet(args: &[&str]) -> Output {
    cli_support::stet_shared(args)
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
    // Records without an id are named by their content (stable identity), not their line.
    assert_eq!(
        ids.iter()
            .filter(|i| i.starts_with("feeds/news-please-2026-03.jsonl#"))
            .count(),
        arts.iter()
            .filter(|a| a["path"]
                .as_str()
                .unwrap()
                .ends_with("news-please-2026-03.jsonl"))
            .count(),
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
    // One name read by two keys reaches both (the value is copied, not moved out).
    let both = json(&stet(&[
        "show",
        "x.jsonl:1",
        "--corpus",
        f.to_str().unwrap(),
        "--json",
        "--field",
        "title=story_text",
        "--field",
        "deck=story_text",
    ]));
    assert_eq!(both["title"], "The body is here.");
    assert_eq!(both["deck"], "The body is here.");
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
    // A table whose columns name no article field: reported once, nothing loaded.
    w("notes.csv", b"ignored,in,folders");
    std::os::unix::fs::symlink(d.join("missing-target.txt"), d.join("dangling.txt")).unwrap();

    // -v: every problem on its own line (the default groups them by reason).
    let out = stet(&["articles", "-v", d.to_str().unwrap(), "--json"]);
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
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    // Lines 1 and 4 of records.jsonl (no ids: named by content, not line).
    let lines: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"].as_str().unwrap().starts_with("records.jsonl#"))
        .filter_map(|a| a["line"].as_u64())
        .collect();
    assert_eq!(lines, [1, 4], "{ids:?}");
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
        ("notes.csv", "names no article field"),
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
        .find(|a| a["id"].as_str().unwrap().starts_with("records.jsonl#") && a["line"] == 4)
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

/// Runs `stet articles ARGS` with inputs over `stream_bytes` streamed.
fn articles_with_threshold(args: &[&str], stream_bytes: u64) -> Output {
    // -v: every problem on its own line, compared one by one.
    let args: Vec<&str> = ["articles", "-v"]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    cli_support::stet_shared_cmd(&args)
        .env("STET_STREAM_BYTES", stream_bytes.to_string())
        .output()
        .expect("run stet")
}

#[test]
fn a_streamed_corpus_prints_what_the_in_memory_load_prints() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A source whose articles end with the same footer (learned boilerplate), duplicate ids,
    // a malformed line, a gzipped JSONL, a JSON array and plain-text files beside them.
    let mut lines = String::new();
    for i in 0..12 {
        let id = if i % 5 == 0 {
            "dup".to_string()
        } else {
            format!("r{i}")
        };
        let rec = serde_json::json!({
            "id": id,
            "title": format!("Report number {i}"),
            "source": "Valmere Courier",
            "date": format!("2026-03-{:02}", i + 1),
            "text": format!(
                "The {topic} debate went on for hours in the council chamber.\n\n\
                 Members said the {topic} plan would be put to a vote soon.\n\n\
                 Follow the Valmere Courier on social media for more news.",
                topic = ["tram", "budget", "school", "harbour", "library", "bridge"][i % 6]
                    .repeat(1 + i / 6)
            ),
        });
        lines.push_str(&rec.to_string());
        lines.push('\n');
        if i == 6 {
            lines.push_str("{not json\n");
        }
    }
    std::fs::write(d.join("a.jsonl"), &lines).unwrap();
    std::fs::write(d.join("b.jsonl.gz"), gzip(lines.as_bytes())).unwrap();
    std::fs::write(
        d.join("c.json"),
        r#"[{"title":"One","text":"First body."},{"title":"Two","text":"Second body."}]"#,
    )
    .unwrap();
    std::fs::create_dir(d.join("wire")).unwrap();
    for i in 0..3 {
        std::fs::write(
            d.join("wire").join(format!("{i}.txt")),
            format!("Headline {i}\n\nText of wire story {i} goes here.\n"),
        )
        .unwrap();
    }
    std::fs::write(d.join("empty.txt"), "").unwrap();
    let path = d.to_str().unwrap();
    for json in [true, false] {
        let args: Vec<&str> = if json {
            vec![path, "--json"]
        } else {
            vec![path]
        };
        let held = articles_with_threshold(&args, u64::MAX);
        let streamed = articles_with_threshold(&args, 0);
        assert!(held.status.success() && streamed.status.success());
        assert_eq!(
            String::from_utf8_lossy(&held.stdout),
            String::from_utf8_lossy(&streamed.stdout),
            "json={json}"
        );
        let problems = |o: &Output| {
            let mut p: Vec<String> = String::from_utf8_lossy(&o.stderr)
                .lines()
                .map(str::to_string)
                .collect();
            p.sort();
            p
        };
        assert_eq!(problems(&held), problems(&streamed));
        assert_eq!(problems(&held).len(), 3, "{:?}", problems(&held));
    }
    let v: Value =
        serde_json::from_slice(&articles_with_threshold(&[path, "--json"], 0).stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 12 * 2 + 2 + 3);
    let ids: Vec<&str> = arr.iter().map(|a| a["id"].as_str().unwrap()).collect();
    // Ids made unique and stable: a shared id qualified by its file (and record), no counter.
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids made unique: {ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("dup@a.jsonl")), "{ids:?}");
    assert!(!ids.iter().any(|i| i.ends_with("#6")), "{ids:?}");
    // The footer was learned and removed: each report keeps two paragraphs.
    let report = arr.iter().find(|a| a["id"] == "r1@a.jsonl").unwrap();
    assert_eq!(report["paragraphs"], 2, "{report}");
    assert_eq!(report["removed"], 1, "{report}");
    // Nothing loadable still exits 2.
    let out = articles_with_threshold(&[d.join("empty.txt").to_str().unwrap()], 0);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reuters_streamed_equals_held() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/reuters21578.jsonl");
    if !file.exists() {
        eprintln!("skipped: {} not found (../shared absent)", file.display());
        return;
    }
    let f = file.to_str().unwrap();
    let held = articles_with_threshold(&[f, "--json"], u64::MAX);
    let streamed = articles_with_threshold(&[f, "--json"], 0);
    assert!(held.stdout.len() > 1_000_000);
    assert!(
        held.stdout == streamed.stdout,
        "the streamed Reuters listing differs from the held one"
    );
}
