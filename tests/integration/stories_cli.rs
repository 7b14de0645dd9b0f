//! CLI tests of `stet stories`: the built-in sample corpus, the seeds and the labelled pairs
//! (skipped where ../shared is absent), and the grouping cache.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use stet::num::f64_of;

use crate::cli_support;
use cli_support::json;

fn stet_with_cache(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stet"))
        .args(args)
        .env("STET_DATA_DIR", std::env::temp_dir().join("stet-test-data"))
        .env("STET_CACHE_DIR", cache)
        .output()
        .expect("run stet")
}

fn stories(args: &[&str]) -> Value {
    let cache = tempfile::tempdir().expect("temp dir");
    let out = stet_with_cache(args, cache.path());
    json(&out)
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

/// File name → story id, from `stet stories --json`.
fn story_of_file(doc: &Value) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for s in doc["stories"].as_array().expect("stories") {
        for a in s["articles"].as_array().expect("articles") {
            let path = a["path"].as_str().expect("path");
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            out.insert(name.into_owned(), s["id"].as_str().unwrap().to_string());
        }
    }
    out
}

/// Pairs of file names by their three-digit pair number.
fn pairs_in(dir: &Path) -> Vec<(String, String, String)> {
    let mut by_pair: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for kind in std::fs::read_dir(dir).unwrap().flatten() {
        if !kind.path().is_dir() {
            continue;
        }
        let kind_name = kind.file_name().to_string_lossy().into_owned();
        for f in std::fs::read_dir(kind.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            by_pair
                .entry(name[..3].to_string())
                .or_default()
                .push((name, kind_name.clone()));
        }
    }
    if by_pair.is_empty() {
        // A flat folder (pairs/bbc): NNNa_… and NNNb_… side by side.
        for f in std::fs::read_dir(dir).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.ends_with(".txt") {
                by_pair
                    .entry(name[..3].to_string())
                    .or_default()
                    .push((name, "pair".into()));
            }
        }
    }
    let mut out: Vec<(String, String, String)> = by_pair
        .into_values()
        .filter(|v| v.len() == 2)
        .map(|v| (v[0].0.clone(), v[1].0.clone(), v[0].1.clone()))
        .collect();
    out.sort();
    out
}

#[test]
fn sample_corpus_has_its_three_stories_and_four_singletons() {
    let doc = stories(&["stories", "--json"]);
    let list = doc["stories"].as_array().expect("stories");
    let mut sizes: Vec<usize> = list
        .iter()
        .map(|s| s["articles"].as_array().unwrap().len())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, vec![1, 1, 1, 1, 2, 3, 4]);
    let ferry = list
        .iter()
        .find(|s| s["articles"].as_array().unwrap().len() == 4)
        .unwrap();
    assert!(ferry["title"].as_str().unwrap().contains("ferry"));
    let arts = ferry["articles"].as_array().unwrap();
    assert_eq!(arts[0]["similarity"].as_f64(), Some(1.0));
    for a in arts {
        for key in ["id", "path", "source", "title", "date", "similarity"] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
    }
}

#[test]
fn plain_output_is_one_line_per_story() {
    let cache = tempfile::tempdir().unwrap();
    let out = stet_with_cache(&["stories"], cache.path());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 7);
    assert!(text.contains("4 versions"), "{text}");
    assert!(text.contains("Death toll in Lake Orsen ferry"), "{text}");
}

#[test]
fn the_seeds_are_one_story_of_two_versions() {
    let Some(dir) = shared("seeds") else { return };
    let doc = stories(&["stories", "--json", dir.to_str().unwrap()]);
    let list = doc["stories"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{doc}");
    assert_eq!(list[0]["articles"].as_array().unwrap().len(), 2);
    assert!(list[0]["title"].as_str().unwrap().contains("Kerry"));
}

#[test]
fn reuters_pairs_versions_join_and_lookalikes_stay_apart() {
    let Some(dir) = shared("pairs/reuters") else {
        return;
    };
    let doc = stories(&["stories", "--json", dir.to_str().unwrap()]);
    let story = story_of_file(&doc);
    let mut joined_versions = Vec::new();
    let mut missed_versions = Vec::new();
    for (a, b, kind) in pairs_in(&dir) {
        let same = story[&a] == story[&b];
        match kind.as_str() {
            "cross_day_lookalike" => assert!(!same, "look-alikes {a} and {b} grouped"),
            _ if same => joined_versions.push(a),
            _ => missed_versions.push(a),
        }
    }
    // Pair 017 is text-identical in shape to look-alike pair 020 (a next-day re-run whose
    // dateline names another day) and the text files carry no send time: a known miss. Pair
    // 003 is labelled a version but is two template items about two companies (Pride Refining
    // and Puerto Rico Sun Oil, each awarded its own jet fuel contract): related, not joined.
    // Every other version pair must be grouped.
    assert!(
        missed_versions
            .iter()
            .all(|a| a.starts_with("017") || a.starts_with("003")),
        "missed: {missed_versions:?}"
    );
    assert!(joined_versions.len() >= 18, "{joined_versions:?}");
    assert_related(&doc, &story, "003");
}

/// The same labelled pairs as the Reuters wire records they came from (found by id in
/// reuters21578.jsonl through the pairs' MANIFEST), send times included: every version pair
/// joins, pair 017 too, and no look-alike does.
#[test]
fn reuters_pairs_with_their_send_times_are_all_right() {
    let (Some(manifest), Some(corpus)) = (
        shared("pairs/reuters/MANIFEST.jsonl"),
        shared("reuters21578.jsonl"),
    ) else {
        return;
    };
    let pairs: Vec<Value> = std::fs::read_to_string(&manifest)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let id = |p: &Value, side: &str| p[format!("reuters_newid_{side}")].as_u64().unwrap();
    let wanted: std::collections::HashSet<u64> = pairs
        .iter()
        .flat_map(|p| [id(p, "a"), id(p, "b")])
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.jsonl");
    let text = std::fs::read_to_string(&corpus).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            serde_json::from_str::<Value>(l)
                .ok()
                .and_then(|r| r["id"].as_u64())
                .is_some_and(|i| wanted.contains(&i))
        })
        .collect();
    assert_eq!(
        lines.len(),
        wanted.len(),
        "every paired record is in the corpus"
    );
    std::fs::write(&file, lines.join("\n")).unwrap();
    let doc = stories(&["stories", "--json", file.to_str().unwrap()]);
    let mut story = HashMap::new();
    for s in doc["stories"].as_array().expect("stories") {
        for a in s["articles"].as_array().expect("articles") {
            story.insert(a["id"].as_str().unwrap().to_string(), s["id"].clone());
        }
    }
    let (mut versions, mut lookalikes) = (0, 0);
    let related = related_of(&doc);
    for p in &pairs {
        let (sa, sb) = (
            &story[&id(p, "a").to_string()],
            &story[&id(p, "b").to_string()],
        );
        let same = sa == sb;
        if p["pair"] == 3 {
            // Two companies' jet fuel contracts (see the test above): related, not joined.
            assert!(!same, "pair 003 joined");
            assert!(related[sa.as_str().unwrap()].contains(sb), "{p}");
            versions += 1;
        } else if p["kind"] == "same_story_version" {
            assert!(same, "version pair not joined: {p}");
            versions += 1;
        } else {
            assert!(!same, "look-alike pair joined: {p}");
            lookalikes += 1;
        }
    }
    assert_eq!((versions, lookalikes), (20, 10));
}

#[test]
fn bbc_pairs_are_all_grouped() {
    let Some(dir) = shared("pairs/bbc") else {
        return;
    };
    let doc = stories(&["stories", "--json", dir.to_str().unwrap()]);
    let story = story_of_file(&doc);
    let pairs = pairs_in(&dir);
    assert_eq!(pairs.len(), 44);
    for (a, b, _) in pairs {
        // Pair 036: the preview of an auction (Elvis recordings) and its result (Beatles suits
        // sold) under other headlines naming other parties: a follow-up, listed as related.
        if a.starts_with("036") {
            continue;
        }
        assert_eq!(story[&a], story[&b], "{a} and {b} not grouped");
    }
    assert_related(&doc, &story, "036");
}

/// Story id → the ids of its related stories.
fn related_of(doc: &Value) -> HashMap<String, Vec<Value>> {
    doc["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["related"].as_array().expect("related").clone(),
            )
        })
        .collect()
}

/// The two files of pair `prefix` are in different stories that list each other as related.
fn assert_related(doc: &Value, story: &HashMap<String, String>, prefix: &str) {
    let related = related_of(doc);
    let files: Vec<&String> = story.keys().filter(|f| f.starts_with(prefix)).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let (x, y) = (&story[files[0]], &story[files[1]]);
    assert_ne!(x, y, "pair {prefix} joined");
    assert!(
        related[x].iter().any(|r| r == y.as_str()) && related[y].iter().any(|r| r == x.as_str()),
        "pair {prefix} not listed as related"
    );
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn cache_is_used_when_unchanged_and_refreshed_when_a_file_changes() {
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let body = "The central bank raised its main interest rate by half a point on Tuesday, the \
                first increase in four years, saying inflation had become entrenched in \
                services and wages. Governor Maria Lopez told reporters the board had voted \
                seven to two for the move and that further tightening could not be ruled out.";
    std::fs::write(
        data.path().join("a.txt"),
        format!("Bank raises rates\n\n{body}\n"),
    )
    .unwrap();
    std::fs::write(
        data.path().join("b.txt"),
        format!("Central bank lifts rates\n\n{body} Markets had expected less.\n"),
    )
    .unwrap();
    let path = data.path().to_str().unwrap();
    let first = json(&stet_with_cache(&["stories", "--json", path], cache.path()));
    assert_eq!(first["stories"].as_array().unwrap().len(), 1);
    // The derived store (its database and the lock file two processes take turns with).
    let files = files_under(cache.path());
    assert!(
        files.iter().any(|f| f.ends_with("derived.db"))
            && files.iter().all(|f| {
                let name = f.file_name().unwrap().to_string_lossy();
                name.starts_with("derived.")
            }),
        "the derived store written: {files:?}"
    );
    let second = json(&stet_with_cache(&["stories", "--json", path], cache.path()));
    assert_eq!(first, second);

    // A new, unrelated file is noticed.
    std::fs::write(
        data.path().join("c.txt"),
        "Rail line opens\n\nA spokesman for the ministry of transport said the new rail line \
         would open in the spring after years of delays and cost overruns along the route.\n",
    )
    .unwrap();
    let third = json(&stet_with_cache(&["stories", "--json", path], cache.path()));
    assert_eq!(third["stories"].as_array().unwrap().len(), 2);

    // A removed file is noticed.
    std::fs::remove_file(data.path().join("b.txt")).unwrap();
    let fourth = json(&stet_with_cache(&["stories", "--json", path], cache.path()));
    let n: usize = fourth["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["articles"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, 2);

    // A corrupt cache is discarded, and the answer is still right.
    for f in files_under(cache.path()) {
        std::fs::write(f, b"{ not json").unwrap();
    }
    let fifth = json(&stet_with_cache(&["stories", "--json", path], cache.path()));
    assert_eq!(fourth, fifth);
}

/// The hand-labelled sample of joined Reuters pairs (tests/fixtures/reuters-joined-sample.tsv,
/// drawn as its header says): of the labelled pairs `stet stories` still joins, at least 97%
/// are versions of one report, and nearly every labelled version is still joined.
#[test]
fn reuters_joined_pairs_read_by_a_person_are_versions() {
    let Some(corpus) = shared("reuters21578.jsonl") else {
        return;
    };
    let labels = include_str!("../fixtures/reuters-joined-sample.tsv");
    let doc = stories(&["stories", "--json", corpus.to_str().unwrap()]);
    let mut story = HashMap::new();
    for s in doc["stories"].as_array().expect("stories") {
        for a in s["articles"].as_array().expect("articles") {
            story.insert(a["id"].as_str().unwrap().to_string(), s["id"].clone());
        }
    }
    let (mut joined, mut versions_joined, mut versions, mut labelled) = (0, 0, 0, 0);
    for line in labels.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let (a, b, label) = (f[1], f[2], f[3]);
        labelled += 1;
        let same = story[a] == story[b];
        if label == "version" {
            versions += 1;
        }
        if same {
            joined += 1;
            if label == "version" {
                versions_joined += 1;
            }
        }
    }
    assert!(labelled >= 450, "{labelled}");
    let precision = f64_of(versions_joined) / f64_of(joined);
    let kept = f64_of(versions_joined) / f64_of(versions);
    assert!(
        precision >= 0.97,
        "precision {precision:.3} ({versions_joined}/{joined})"
    );
    assert!(kept >= 0.98, "labelled versions still joined {kept:.3}");
}
