//! CLI tests of `stet collate` on the built-in sample corpus and on the seeds (skipped where
//! ../shared is absent). They hold whatever the grouping makes of the corpus: a story of one
//! version, or every version of the story.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::cli_support;
use cli_support::json;

fn stet(args: &[&str]) -> Output {
    cli_support::stet_shared_cmd(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run stet")
}

/// The table's invariants: a cell per version naming it, known states, text only where
/// present, each reading's base present and nothing before it; versions dated first.
fn check_table(v: &Value) {
    let versions = v["versions"].as_array().expect("versions");
    assert!(!versions.is_empty());
    let ids: Vec<&str> = versions
        .iter()
        .map(|x| x["id"].as_str().expect("id"))
        .collect();
    let undated: Vec<bool> = versions
        .iter()
        .map(|x| x["undated"].as_bool().expect("undated"))
        .collect();
    assert!(undated.windows(2).all(|w| w[0] <= w[1]), "{undated:?}");
    for (k, x) in versions.iter().enumerate() {
        let reuse = x["reuse"].as_f64().expect("reuse");
        assert!((0.0..=1.0).contains(&reuse));
        if k == 0 {
            assert_eq!(reuse, 0.0);
        }
        assert!(x.get("source").is_some() && x.get("date").is_some());
    }
    let readings = v["readings"].as_array().expect("readings");
    assert!(!readings.is_empty());
    for r in readings {
        let base = usize::try_from(r["base"].as_u64().expect("base")).unwrap();
        let cells = r["cells"].as_array().expect("cells");
        assert_eq!(cells.len(), versions.len());
        for (k, cell) in cells.iter().enumerate() {
            assert_eq!(cell["version"], ids[k]);
            let state = cell["state"].as_str().expect("state");
            assert!(["same", "changed", "absent"].contains(&state), "{state}");
            assert_eq!(state == "absent", cell["text"] == "", "{cell}");
            if k < base {
                assert_eq!(state, "absent");
            }
            if k == base {
                assert_eq!(state, "same");
            }
        }
    }
}

#[test]
fn collate_an_article_id_as_json() {
    let key = "feeds/news-please-2026-03.jsonl:2";
    let v = json(&stet(&["collate", key, "--json"]));
    check_table(&v);
    let versions = v["versions"].as_array().expect("versions");
    // `FILE:LINE` finds the record; its id is stable (named by content).
    let corpus = stet::corpus::sample::load_sample(&Default::default());
    let id = &corpus.articles[corpus.find(key).expect("the record")].id;
    assert!(versions.iter().any(|x| x["id"] == id.as_str()));
    let texts: Vec<&str> = v["readings"]
        .as_array()
        .expect("readings")
        .iter()
        .flat_map(|r| r["cells"].as_array().expect("cells"))
        .filter_map(|c| c["text"].as_str())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Divers recovered two more bodies"))
    );
}

#[test]
fn plain_output_is_one_line_per_reading_with_one_mark_per_version() {
    let key = "feeds/news-please-2026-03.jsonl:3";
    let v = json(&stet(&["collate", key, "--json"]));
    let n = v["versions"].as_array().expect("versions").len();
    let readings = v["readings"].as_array().expect("readings").len();
    let out = stet(&["collate", key]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("story "));
    let header = lines
        .iter()
        .position(|l| l.starts_with("readings ("))
        .expect("readings header");
    assert_eq!(header, 2 + n);
    let rows = &lines[header + 1..header + 1 + readings];
    for row in rows {
        let marks = row.split_whitespace().nth(1).expect("marks");
        assert_eq!(marks.chars().count(), n, "{row}");
        assert!(marks.chars().all(|m| "=~mM.".contains(m)), "{row}");
    }
    assert!(
        rows.iter()
            .any(|r| r.contains("Councillors voted 31 to 18 in favour"))
    );
    assert!(!text.contains('\x1b'));
}

#[test]
fn a_story_id_from_stet_stories_collates_every_version() {
    let out = stet(&["stories", "--json"]);
    let stories: Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) if out.status.success() => v,
        _ => {
            eprintln!(
                "skipped: `stet stories --json` is not available yet: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
    };
    let list = stories["stories"].as_array().expect("stories");
    let story = list
        .iter()
        .max_by_key(|s| s["articles"].as_array().map_or(0, Vec::len))
        .expect("a story");
    let id = story["id"].as_str().expect("story id");
    let v = json(&stet(&["collate", id, "--json"]));
    check_table(&v);
    assert_eq!(v["story"], id);
    let mut want: Vec<&str> = story["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    let mut got: Vec<&str> = v["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|x| x["id"].as_str().expect("id"))
        .collect();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
}

#[test]
fn unknown_story_fails_with_a_message() {
    let out = stet(&["collate", "no-such-story"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-story: no story or article"), "{err}");
}

#[test]
fn seeds_collate_from_a_corpus_path() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    let Some(first) = files.iter().find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("000_"))
    }) else {
        eprintln!("skipped: no seed 000 in {}", dir.display());
        return;
    };
    let v = json(&stet(&[
        "collate",
        &first.display().to_string(),
        "--corpus",
        &dir.display().to_string(),
        "--json",
    ]));
    check_table(&v);
    let n = v["versions"].as_array().expect("versions").len();
    let text = serde_json::to_string(&v["readings"]).expect("json");
    assert!(text.contains("Kerry"), "the seeds are about Kerry's visit");
    if n == 2 {
        // Grouped: the two versions share readings.
        let shared = v["readings"]
            .as_array()
            .expect("readings")
            .iter()
            .filter(|r| {
                r["cells"]
                    .as_array()
                    .is_some_and(|c| c.iter().all(|x| x["state"] != "absent"))
            })
            .count();
        assert!(shared >= 5, "{shared}");
    }
}
