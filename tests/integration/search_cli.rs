//! CLI tests of `stet search`: content of the answers on the built-in sample corpus (a word
//! found only in bodies, phrases, NOT, source:, date ranges, one line per story with its
//! matching versions), German and French text, a damaged or stale index rebuilt, hostile
//! query strings, and terminal safety of snippets.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::cli_support;
use cli_support::stet_in;

fn run(home: &Path, args: &[&str]) -> Output {
    stet_in(home, args).output().expect("run stet")
}

fn search_json(home: &Path, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let out = run(home, &all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "stet search {args:?} failed: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn stories(doc: &Value) -> &Vec<Value> {
    doc["stories"].as_array().expect("stories")
}

/// The ids of the matching versions of each story, sorted.
fn match_ids(story: &Value) -> Vec<String> {
    let mut ids: Vec<String> = story["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn all_titles(doc: &Value) -> Vec<String> {
    stories(doc)
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_name_only_in_bodies_finds_its_story_once_with_every_version() {
    let home = tempfile::tempdir().unwrap();
    let doc = search_json(home.path(), &["Pell"]);
    let s = stories(&doc);
    assert_eq!(s.len(), 1, "{doc}");
    let story = &s[0];
    assert!(
        story["title"].as_str().unwrap().contains("Lake Orsen"),
        "{story}"
    );
    assert_eq!(story["versions"], 4);
    let matches = story["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 4, "{story}");
    for m in matches {
        assert!(!m["title"].as_str().unwrap().contains("Pell"));
        let snippet = m["snippet"].as_str().unwrap();
        let h = m["highlights"].as_array().unwrap();
        assert!(!h.is_empty(), "{m}");
        let chars: Vec<char> = snippet.chars().collect();
        let (a, b) = (
            usize::try_from(h[0][0].as_u64().unwrap()).unwrap(),
            usize::try_from(h[0][1].as_u64().unwrap()).unwrap(),
        );
        let marked: String = chars[a..b].iter().collect();
        assert_eq!(marked, "Pell", "{snippet}");
        assert!(snippet.contains("Jonas Pell"), "{snippet}");
    }
    // Case and accents do not matter; the second search uses the saved index.
    let again = search_json(home.path(), &["pÉll"]);
    assert_eq!(stories(&again).len(), 1);
    assert!(
        home.path()
            .join("cache/corpora/sample/search/stet-search.json")
            .exists()
    );
}

#[test]
fn phrases_not_source_and_dates() {
    let home = tempfile::tempdir().unwrap();
    // A phrase: the paragraph added in the update stands in three of the four versions.
    let doc = search_json(home.path(), &["\"divers recovered two more bodies\""]);
    assert_eq!(stories(&doc).len(), 1, "{doc}");
    let ids = match_ids(&stories(&doc)[0]);
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.iter().all(|id| !id.contains("norda-wire")), "{ids:?}");
    // The same words out of order are not the phrase.
    let doc = search_json(home.path(), &["\"bodies two more divers\""]);
    assert!(stories(&doc).is_empty(), "{doc}");

    // NOT and -word: the tram story's versions without the added Brask quote.
    let with = search_json(home.path(), &["tram Brask"]);
    assert_eq!(match_ids(&stories(&with)[0]).len(), 1);
    for q in ["tram -Brask", "tram NOT brask"] {
        let doc = search_json(home.path(), &[q]);
        let s = stories(&doc);
        assert_eq!(s.len(), 1, "{q}: {doc}");
        assert_eq!(s[0]["versions"], 3);
        assert_eq!(match_ids(&s[0]).len(), 2, "{q}: {doc}");
    }
    // OR joins.
    let doc = search_json(home.path(), &["Brask OR Oddsen"]);
    assert_eq!(stories(&doc).len(), 2, "{doc}");

    // source:
    let doc = search_json(home.path(), &["boat source:kestrelfm.example"]);
    let s = stories(&doc);
    assert_eq!(s.len(), 1, "{doc}");
    let m = s[0]["matches"].as_array().unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["source"], "kestrelfm.example");
    let doc = search_json(home.path(), &["source:kestrelfm.example"]);
    assert_eq!(
        stories(&doc).len(),
        2,
        "the log boat and the watermill: {doc}"
    );

    // date: single days, closed and open ranges.
    let doc = search_json(home.path(), &["date:2026-03-02"]);
    assert_eq!(
        all_titles(&doc),
        ["Valmere teenager wins national junior chess title"]
    );
    let doc = search_json(home.path(), &["date:2026-03-06.."]);
    assert_eq!(all_titles(&doc), ["Record crane count at Hollin marshes"]);
    let doc = search_json(home.path(), &["date:..2026-03-02"]);
    assert_eq!(stories(&doc).len(), 1, "{doc}");
    let doc = search_json(home.path(), &["boat date:2026-03-05..2026-03-05"]);
    let s = stories(&doc);
    assert_eq!(s.len(), 1, "{doc}");
    assert_eq!(
        match_ids(&s[0]).len(),
        1,
        "only the Herald's 5 March version: {doc}"
    );
    let doc = search_json(home.path(), &["date:2026-03-02..2026-03-06"]);
    assert_eq!(stories(&doc).len(), 7, "every story: {doc}");
    let doc = search_json(home.path(), &["date:2025"]);
    assert!(stories(&doc).is_empty());
}

#[test]
fn plain_output_is_one_line_per_story_with_a_marked_snippet() {
    let home = tempfile::tempdir().unwrap();
    let out = run(home.path(), &["search", "ferry OR tram", "--limit", "1"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let out = run(home.path(), &["search", "Pell"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let line = text.lines().next().unwrap();
    assert!(line.contains("4/4"), "{line}");
    assert!(line.contains("Jonas **Pell**"), "{line}");
    // Nothing found: exit 1 and a word on stderr.
    let out = run(home.path(), &["search", "zeppelin"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no story matches zeppelin"));
}

fn write_corpus(dir: &Path, records: &[Value]) -> std::path::PathBuf {
    let path = dir.join("corpus.jsonl");
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn german_and_french_queries_ignore_case_and_accents() {
    let home = tempfile::tempdir().unwrap();
    let corpus = write_corpus(
        home.path(),
        &[
            serde_json::json!({"id": "de1", "title": "Sperrung in München", "source": "sz.example",
                "date": "2026-03-02", "text": "Die Hauptstraße bleibt bis Freitag gesperrt, sagte Bürgermeisterin Jördis Krüger."}),
            serde_json::json!({"id": "fr1", "title": "Le budget adopté", "source": "lemonde.example",
                "date": "2026-03-03", "text": "L'Assemblée a adopté le budget ; « l'économie française résiste », a déclaré la ministre Hélène Dubœuf."}),
            serde_json::json!({"id": "en1", "title": "Weather", "source": "x.example",
                "date": "2026-03-04", "text": "Rain is expected on Friday across the region."}),
        ],
    );
    let c = corpus.to_str().unwrap();
    for (q, id) in [
        ("hauptstrasse", "de1"),
        ("MUNCHEN", "de1"),
        ("Jördis Krüger", "de1"),
        ("\"jordis kruger\"", "de1"),
        ("economie", "fr1"),
        ("\"l'économie française\"", "fr1"),
        ("assemblee", "fr1"),
        ("duboeuf", "fr1"),
        ("Dubœuf", "fr1"),
    ] {
        let doc = search_json(home.path(), &[q, c]);
        let s = stories(&doc);
        assert_eq!(s.len(), 1, "{q}: {doc}");
        assert_eq!(match_ids(&s[0]), [id], "{q}");
    }
}

/// A way to damage an index folder.
type Damage = Box<dyn Fn(&Path)>;

/// The snippet of the only match of the only story of `doc`, with its marked words.
fn only_snippet(doc: &Value) -> (String, Vec<String>) {
    let s = stories(doc);
    assert_eq!(s.len(), 1, "{doc}");
    let m = &s[0]["matches"][0];
    let snippet = m["snippet"].as_str().unwrap().to_string();
    let chars: Vec<char> = snippet.chars().collect();
    let marked = m["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let at = |i: usize| usize::try_from(h[i].as_u64().unwrap()).unwrap();
            chars[at(0)..at(1)].iter().collect()
        })
        .collect();
    (snippet, marked)
}

#[test]
fn snippets_of_a_saved_index_are_read_from_the_corpus_store() {
    let home = tempfile::tempdir().unwrap();
    let corpus = write_corpus(
        home.path(),
        &[
            serde_json::json!({"id": "a", "title": "Harbour fire", "text":
                "Smoke rose over the docks.\n\nThe keeper Jonas Pell saw it first."}),
            serde_json::json!({"id": "b", "title": "Tram vote", "text": "The council voted."}),
        ],
    );
    let c = corpus.to_str().unwrap();
    // Built now, then answered from the saved index: the same snippet, from the body.
    let built = search_json(home.path(), &["pell", c]);
    let saved = search_json(home.path(), &["pell", c]);
    assert_eq!(built, saved);
    let (snippet, marked) = only_snippet(&saved);
    assert!(snippet.contains("keeper Jonas Pell saw it"), "{snippet}");
    assert_eq!(marked, ["Pell"]);
    // The index keeps no body: it says where the texts are instead.
    let cache = home.path().join("cache/corpora");
    let dir = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.join("search").exists())
        .expect("an index folder");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("search/stet-search.json")).unwrap())
            .unwrap();
    assert!(manifest["texts"]["db"].is_string(), "{manifest}");
    // The store's database gone (a cleared cache): the story is still found, from the
    // headline's words or without a snippet, never an error.
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with("derived.db") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let (snippet, marked) = only_snippet(&search_json(home.path(), &["pell", c]));
    assert_eq!((snippet.as_str(), marked.len()), ("", 0));
    let (snippet, marked) = only_snippet(&search_json(home.path(), &["harbour", c]));
    assert_eq!(
        (snippet.as_str(), marked),
        ("Harbour fire", vec!["Harbour".to_string()])
    );
}

#[test]
fn a_changed_damaged_or_half_written_index_is_rebuilt() {
    let home = tempfile::tempdir().unwrap();
    let corpus = write_corpus(
        home.path(),
        &[serde_json::json!({"id": "a", "title": "One", "text": "Alpha bravo charlie."})],
    );
    let c = corpus.to_str().unwrap();
    assert_eq!(stories(&search_json(home.path(), &["alpha", c])).len(), 1);
    let cache = home.path().join("cache/corpora");
    let index_dir = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path().join("search"))
        .find(|p| p.exists())
        .expect("an index folder");

    // The corpus changed: the new text is found, the old one not.
    write_corpus(
        home.path(),
        &[serde_json::json!({"id": "a", "title": "One", "text": "Delta echo foxtrot."})],
    );
    assert!(stories(&search_json(home.path(), &["alpha", c])).is_empty());
    assert_eq!(stories(&search_json(home.path(), &["echo", c])).len(), 1);

    let damages: Vec<(&str, Damage)> = vec![
        (
            "every file zeroed, sizes kept",
            Box::new(|dir: &Path| {
                for e in std::fs::read_dir(dir).unwrap().flatten() {
                    let len = usize::try_from(e.metadata().unwrap().len()).unwrap();
                    std::fs::write(e.path(), vec![0u8; len]).unwrap();
                }
            }),
        ),
        (
            "segment files truncated",
            Box::new(|dir: &Path| {
                for e in std::fs::read_dir(dir).unwrap().flatten() {
                    let name = e.file_name().to_string_lossy().to_string();
                    if name.contains('.') && !name.ends_with(".json") {
                        std::fs::write(e.path(), b"xx").unwrap();
                    }
                }
            }),
        ),
        (
            "manifest missing (a build that died)",
            Box::new(|dir: &Path| std::fs::remove_file(dir.join("stet-search.json")).unwrap()),
        ),
        (
            "garbage manifest",
            Box::new(|dir: &Path| {
                std::fs::write(dir.join("stet-search.json"), b"{\"format\":").unwrap()
            }),
        ),
        (
            "folder emptied",
            Box::new(|dir: &Path| {
                std::fs::remove_dir_all(dir).unwrap();
                std::fs::create_dir(dir).unwrap();
            }),
        ),
    ];
    for (what, damage) in damages {
        damage(&index_dir);
        let out = run(home.path(), &["search", "--json", "echo", c]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{what}: {stderr}");
        assert!(
            stderr.contains("damaged") && stderr.contains("rebuilding"),
            "{what}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(stories(&doc).len(), 1, "{what}");
        // And the rebuilt index is used quietly next time.
        let out = run(home.path(), &["search", "echo", c]);
        assert!(
            out.stderr.is_empty(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn hostile_queries_get_a_message_never_a_panic() {
    let home = tempfile::tempdir().unwrap();
    let deep = format!("{}a{}", "(".repeat(500), ")".repeat(500));
    let long = "word ".repeat(5000);
    let nots = "NOT ".repeat(100) + "x";
    for (q, says) in [
        ("", "nothing to search for"),
        ("\"unclosed", "never closed"),
        ("(a OR b", "never closed"),
        ("a OR", "OR needs"),
        ("AND", "nothing to search for"),
        ("a AND", "AND needs"),
        ("date:yesterday", "not a date"),
        ("date:2026-13-01", "not a date"),
        ("date:2026-03-09..2026-03-01", "ends before"),
        ("source:", "needs a value"),
        (deep.as_str(), "nested too deeply"),
        (long.as_str(), "too long"),
        (nots.as_str(), "nested too deeply"),
        ("!!! ???", "no letters or digits"),
    ] {
        let out = run(home.path(), &["search", "--", q]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{q:.40}: {stderr}");
        assert!(stderr.contains(says), "{q:.40}: {stderr}");
        assert!(!stderr.contains("panicked"), "{q:.40}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    // Text that merely looks odd is searched: no error.
    for q in [
        "-",
        "- a",
        "\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}",
        "\u{202e}evil",
        "a\u{1}b",
        "*",
        "ferry:",
        "title:",
        "10:30",
        "\"\"",
        "東京",
        "ÿ\u{9b}31m",
    ] {
        let out = run(home.path(), &["search", "--", q]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0..=2)), "{q:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{q:?}: {stderr}");
        for bytes in [&out.stdout, &out.stderr] {
            let s = String::from_utf8_lossy(bytes);
            assert!(
                !s.contains('\u{1b}') && !s.contains('\u{9b}') && !s.contains('\u{7}'),
                "{q:?}: {s:?}"
            );
            assert!(!s.contains('\u{202e}'), "{q:?}: {s:?}");
        }
    }
}

#[test]
fn snippets_are_safe_for_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let payload = "\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J\u{9b}31m\u{202e}";
    let corpus = write_corpus(
        home.path(),
        &[
            serde_json::json!({"id": format!("x{payload}"), "title": format!("Head{payload}line"),
            "source": format!("src{payload}"), "date": "2026-03-01",
            "text": format!("Before {payload}zebra{payload} after the zebra crossing.")}),
        ],
    );
    let c = corpus.to_str().unwrap();
    let out = run(home.path(), &["search", "zebra", c]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("**zebra**"), "{text}");
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} in {text:?}");
    }
    let out = run(home.path(), &["search", "--json", "zebra", c]);
    let raw = String::from_utf8(out.stdout).unwrap();
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!raw.contains(bad), "{bad:?} in {raw:?}");
    }
    let doc: Value = serde_json::from_str(&raw).unwrap();
    let snippet = doc["stories"][0]["matches"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains(payload),
        "JSON keeps the text, escaped: {snippet:?}"
    );
}
