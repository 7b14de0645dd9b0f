//! Stable article identity (issue 16): ids survive adding, removing and reordering other files
//! and lines; no two articles share an id; annotations follow their article or are orphaned,
//! never moved to another, never `exact` elsewhere.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use stet::annotate::{Annotation, Granularity, Target, Timestamp};
use stet::corpus::load::{LoadOptions, load_paths};

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let h = Home {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(h.corpus()).unwrap();
        h
    }
    fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }
    fn stet(&self, args: &[&str]) -> Output {
        let p = self.dir.path();
        Command::new(env!("CARGO_BIN_EXE_stet"))
            .args(args)
            .env("STET_DATA_DIR", p.join("data"))
            .env("STET_CONFIG_DIR", p.join("config"))
            .env("STET_CACHE_DIR", p.join("cache"))
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.stet(args);
        assert!(
            out.status.success(),
            "stet {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.corpus().join(name), text).unwrap();
    }
    fn load(&self) -> stet::corpus::Corpus {
        load_paths(&[self.corpus()], &LoadOptions::default(), &|_| {})
    }
    fn ids(&self) -> Vec<String> {
        self.load()
            .articles
            .into_iter()
            .map(|a| a.id.to_string())
            .collect()
    }
    /// `annotations list --json`: (article, status) of each annotation's first target.
    fn listed(&self) -> Vec<(String, String)> {
        let c = self.corpus();
        let out = self.ok(&[
            "annotations",
            "--corpus",
            c.to_str().unwrap(),
            "list",
            "--json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let t = &a["targets"][0];
                (
                    t["article"].as_str().unwrap_or("").to_string(),
                    t["anchor"]["status"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }
    fn import(&self, a: &Annotation) {
        let f = self.dir.path().join("import.jsonl");
        std::fs::write(&f, serde_json::to_string(a).unwrap() + "\n").unwrap();
        let c = self.corpus();
        self.ok(&[
            "annotations",
            "--corpus",
            c.to_str().unwrap(),
            "import",
            f.to_str().unwrap(),
        ]);
    }
}

fn record(id: Option<&str>, title: &str, text: &str) -> String {
    let mut v = serde_json::json!({"title": title, "text": text});
    if let Some(id) = id {
        v["id"] = id.into();
    }
    v.to_string() + "\n"
}

/// An annotation on the first 20 characters of `article` as loaded now; `keyed`: made by this
/// version (with the article's key), else as an older stet made it (id only).
fn annotate(corpus: &stet::corpus::Corpus, id: &str, keyed: bool) -> Annotation {
    let a = corpus.articles.iter().find(|a| a.id == id).unwrap();
    let body = a.body();
    let mut t = Target::from_char_span(&a.id, "", &body, 0..20, Granularity::Span).unwrap();
    if keyed {
        t = t.keyed(&a.key);
    }
    Annotation::new(vec![t], "reworded".into(), None, "t", Timestamp::now()).unwrap()
}

const ONE: &str = "The first version of the report says the minister resigned on Tuesday.";
const TWO: &str = "A second report, from another desk, says the budget vote was postponed.";
const THREE: &str = "A third text about a storm that closed the harbour for two days.";

#[test]
fn the_issue_case_adding_a_file_with_the_same_id_moves_nothing() {
    let home = Home::new();
    home.write("a.jsonl", &record(Some("X"), "A", ONE));
    home.write("b.jsonl", &record(Some("X"), "B", TWO));
    assert_eq!(home.ids(), ["X@a.jsonl", "X@b.jsonl"]);
    let corpus = home.load();
    home.import(&annotate(&corpus, "X@b.jsonl", true));
    assert_eq!(home.listed(), [("X@b.jsonl".into(), "exact".into())]);
    // A third file with id X, read first: b's article keeps its id and its annotation.
    home.write("0.jsonl", &record(Some("X"), "C", THREE));
    assert_eq!(home.ids(), ["X@0.jsonl", "X@a.jsonl", "X@b.jsonl"]);
    assert_eq!(home.listed(), [("X@b.jsonl".into(), "exact".into())]);
    // b removed: orphaned, not moved to a's or 0's X.
    std::fs::remove_file(home.corpus().join("b.jsonl")).unwrap();
    let listed = home.listed();
    assert_eq!(listed[0].1, "orphaned", "{listed:?}");
}

#[test]
fn dup_dup_dup2_give_three_ids() {
    let home = Home::new();
    home.write(
        "f.jsonl",
        &(record(Some("dup"), "A", ONE)
            + &record(Some("dup"), "B", TWO)
            + &record(Some("dup#2"), "C", THREE)),
    );
    let ids = home.ids();
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 3, "{ids:?}");
    assert_eq!(ids[2], "dup#2");
    // The same in `stet articles --json` (lean load) and after reordering the lines.
    let c = home.corpus();
    let out = home.ok(&["articles", "--json", c.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let listed: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids);
    home.write(
        "f.jsonl",
        &(record(Some("dup#2"), "C", THREE)
            + &record(Some("dup"), "B", TWO)
            + &record(Some("dup"), "A", ONE)),
    );
    let again = home.ids();
    assert_eq!(again, [ids[2].clone(), ids[1].clone(), ids[0].clone()]);
}

#[test]
fn lines_without_id_keep_their_ids_when_lines_are_added_before_them() {
    let home = Home::new();
    home.write(
        "f.jsonl",
        &(record(None, "A", ONE) + &record(None, "B", TWO)),
    );
    let before = home.ids();
    assert!(
        before.iter().all(|i| i.starts_with("f.jsonl#")),
        "{before:?}"
    );
    let corpus = home.load();
    home.import(&annotate(&corpus, &before[1], true));
    home.write(
        "f.jsonl",
        &(record(None, "C", THREE) + &record(None, "A", ONE) + &record(None, "B", TWO)),
    );
    let after = home.ids();
    assert_eq!(&after[1..], &before[..]);
    assert_eq!(home.listed(), [(before[1].clone(), "exact".into())]);
}

#[test]
fn text_file_and_unique_record_ids_are_as_before() {
    let home = Home::new();
    home.write("one.txt", ONE);
    home.write(
        "r.jsonl",
        &(record(Some("r1"), "A", TWO) + &record(Some("r2"), "B", THREE)),
    );
    assert_eq!(home.ids(), ["one.txt", "r1", "r2"]);
}

#[test]
fn annotations_of_an_older_stet_are_mapped_to_their_articles() {
    // An older stet called b's X `X#2` and the second line of f.jsonl `f.jsonl:2`.
    let home = Home::new();
    home.write("a.jsonl", &record(Some("X"), "A", ONE));
    home.write("b.jsonl", &record(Some("X"), "B", TWO));
    home.write(
        "f.jsonl",
        &(record(None, "A", ONE) + &record(None, "C", THREE)),
    );
    let corpus = home.load();
    let on_b = annotate(&corpus, "X@b.jsonl", false);
    let mut old_b = on_b.clone();
    old_b.targets[0].article = "X#2".into();
    let line = corpus
        .articles
        .iter()
        .find(|a| a.path.ends_with("f.jsonl") && a.title == "C")
        .unwrap();
    let mut old_line = annotate(&corpus, &line.id, false);
    old_line.targets[0].article = "f.jsonl:2".into();
    home.import(&old_b);
    home.import(&old_line);
    let mut listed = home.listed();
    listed.sort();
    let mut want = vec![
        ("X@b.jsonl".to_string(), "exact".to_string()),
        (line.id.to_string(), "exact".to_string()),
    ];
    want.sort();
    assert_eq!(listed, want);
}
