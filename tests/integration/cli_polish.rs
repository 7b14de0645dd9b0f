//! The command line as a journalist meets it (issue 18): ids never cut in a pipe, mistyped
//! subcommands, grouped problem lines, plurals, annotation ids, imports into the wrong corpus.

use std::path::Path;

use crate::cli_support::stet_in;
use crate::tmux_support::Tmux;

/// A folder with one article whose id, source and title are all longer than their columns.
fn long_names_corpus(dir: &Path) -> String {
    // 51 columns: over the 40 the id column is padded to.
    let id = "a-very-long-article-identifier-over-forty-columns-1";
    let record = serde_json::json!({
        "id": id,
        "source": "The Extremely Long Name Of A Regional Newspaper Group",
        "title": "A headline long enough that no terminal of eighty or a hundred and twenty columns shows it whole, not even close, as it goes on and on",
        "text": "VALMERE - The council voted on Tuesday to close the old bridge for repairs.",
        "date": "2024-03-03T10:00:00Z",
    });
    std::fs::write(dir.join("one.jsonl"), format!("{record}\n")).unwrap();
    id.to_string()
}

#[test]
fn articles_never_cuts_anything_in_a_pipe() {
    let home = tempfile::tempdir().unwrap();
    let id = long_names_corpus(home.path());
    let out = stet_in(
        home.path(),
        &["articles", home.path().join("one.jsonl").to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('…'), "nothing cut in a pipe:\n{text}");
    let line = text.lines().next().unwrap();
    assert!(line.starts_with(&format!("{id}  ")), "{line}");
    assert!(
        line.contains("The Extremely Long Name Of A Regional Newspaper Group"),
        "{line}"
    );
    assert!(line.ends_with("as it goes on and on"), "{line}");
    // The id printed is one `stet show` takes.
    let first = line.split_whitespace().next().unwrap();
    let shown = stet_in(
        home.path(),
        &[
            "show",
            first,
            "--corpus",
            home.path().join("one.jsonl").to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
}

#[test]
fn articles_on_a_terminal_keeps_the_id_whole_and_cuts_the_title() {
    let Some(t) = Tmux::start("articles-cut") else {
        return;
    };
    let id = long_names_corpus(t.dir.path());
    let path = t.dir.path().join("one.jsonl");
    t.run_stet(&format!("articles '{}'", path.display()));
    let screen = t.wait_for("the listing", |s| s.contains("STET-EXIT=0"));
    let line = screen
        .lines()
        .find(|l| l.starts_with(id.as_str()))
        .unwrap_or_else(|| panic!("the whole id starts a line:\n{screen}"));
    assert!(line.trim_end().ends_with('…'), "the title is cut: {line}");
    assert!(
        line.trim_end().chars().count() <= 120,
        "fits the 120-column terminal: {line}"
    );
}

/// `stet ARGS` in `home`, with stdin closed: (exit code, stdout, stderr).
fn run(home: &Path, args: &[&str]) -> (i32, String, String) {
    let out = stet_in(home, args)
        .current_dir(home)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_mistyped_command_is_refused_with_a_suggestion() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = run(home.path(), &["artcles"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("'artcles' is neither a command nor a file or folder"),
        "{err}"
    );
    assert!(err.contains("did you mean `stet articles`?"), "{err}");
    let (code, _, err) = run(home.path(), &["stries"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `stet stories`?"), "{err}");
    // Nothing close: no suggestion, still refused.
    let (code, _, err) = run(home.path(), &["zzzzqqq"]);
    assert_eq!(code, 2);
    assert!(!err.contains("did you mean"), "{err}");
    assert!(
        err.contains("'zzzzqqq' is neither a command nor a file or folder"),
        "{err}"
    );
    // A path that does not exist.
    let (code, _, err) = run(home.path(), &["gone/corpus.jsonl"]);
    assert_eq!(
        (code, err.trim()),
        (2, "stet: no such file or folder: 'gone/corpus.jsonl'")
    );
    // A command after a path.
    std::fs::create_dir(home.path().join("corpus")).unwrap();
    let (code, _, err) = run(home.path(), &["corpus", "articles"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("'articles' is a command, not a file or folder: the command comes first"),
        "{err}"
    );
    // A hostile word is shown sanitised.
    let (code, _, err) = run(home.path(), &["art\x1b[2Jcles"]);
    assert_eq!(code, 2);
    assert!(!err.contains('\x1b'), "{err:?}");
}

#[test]
fn a_global_option_before_the_command_keeps_the_command() {
    let home = tempfile::tempdir().unwrap();
    let id = long_names_corpus(home.path());
    let config = home.path().join("stet.toml");
    std::fs::write(&config, "").unwrap();
    let (code, out, err) = run(
        home.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "articles",
            "one.jsonl",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&id), "{out}");
}

#[test]
fn problems_are_grouped_by_reason_listed_with_v_and_silenced_with_q() {
    let home = tempfile::tempdir().unwrap();
    let mut lines = String::from("{\"title\":\"Fine\",\"text\":\"A fine body of text.\"}\n");
    for _ in 0..50 {
        lines.push_str("{\"url\":\"x\"}\n");
    }
    lines.push_str("{not json\n");
    std::fs::write(home.path().join("c.jsonl"), lines).unwrap();
    let (code, _, err) = run(home.path(), &["articles", "c.jsonl"]);
    assert_eq!(code, 0);
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "record has neither a title nor a text field: 50 times, at c.jsonl:2, :3, :4, … (-v \
             lists them all)",
            "c.jsonl:52: invalid JSON: key must be a string at line 1 column 2",
        ],
        "{err}"
    );
    let (_, _, err) = run(home.path(), &["articles", "-v", "c.jsonl"]);
    assert_eq!(err.lines().count(), 51, "{err}");
    assert!(err.contains("c.jsonl:51: record has neither a title nor a text field\n"));
    let (code, out, err) = run(home.path(), &["-q", "articles", "c.jsonl"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.contains("Fine"));
    // The same grouping on stories, and from its cache.
    for _ in 0..2 {
        let (_, _, err) = run(home.path(), &["stories", "c.jsonl"]);
        assert_eq!(err.lines().count(), 2, "{err}");
    }
}

#[test]
fn reuters_problems_take_one_line() {
    let path = Path::new("../shared/data/reuters21578.jsonl");
    if !path.exists() {
        eprintln!("skipping: {} is absent", path.display());
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let path = std::fs::canonicalize(path).unwrap();
    let out = stet_in(home.path(), &["articles", path.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("record has neither a title nor a text field: 737 times, at "),
        "{err}"
    );
}

#[test]
fn one_of_a_thing_is_singular() {
    let home = tempfile::tempdir().unwrap();
    let id = long_names_corpus(home.path());
    let (code, out, err) = run(home.path(), &["collate", &id, "--corpus", "one.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\n1 version by date"), "{out}");
    assert!(!out.contains("(s)") && !out.contains("1 versions"), "{out}");
    let mut lines = String::new();
    for _ in 0..2 {
        lines.push_str("{\"url\":\"x\"}\n");
    }
    std::fs::write(home.path().join("config.toml"), "[group]\nmax_days = -3\n").unwrap();
    let config = home.path().join("config.toml");
    let (code, _, err) = run(
        home.path(),
        &["--config", config.to_str().unwrap(), "articles"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("the configuration has 1 problem; fix it"),
        "{err}"
    );
}

#[test]
fn a_storys_date_is_its_first_publication_in_the_list_and_in_stet_stories() {
    // Two versions a day apart: the reader's list (tui_render snapshots) and `stet stories`
    // both show the earlier day.
    let home = tempfile::tempdir().unwrap();
    let body = "VALMERE - The council voted on Tuesday to close the old bridge for repairs after \
                engineers found cracks in two of its piers, the mayor said in a statement.";
    let lines = [
        serde_json::json!({"id": "a", "source": "one", "title": "Bridge closed",
            "text": body, "date": "2024-03-04T09:00:00Z"}),
        serde_json::json!({"id": "b", "source": "two", "title": "Bridge closed",
            "text": body, "date": "2024-03-03T09:00:00Z"}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(home.path().join("c.jsonl"), text).unwrap();
    let (code, out, err) = run(home.path(), &["stories", "--no-cache", "c.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 versions  2024-03-03 "), "{out}");
}

#[test]
fn collate_says_each_versions_zone() {
    // The sample's ferry story: a news-please record without a zone, a page in UTC.
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = run(home.path(), &["collate", "sdd4403558634"]);
    assert_eq!(code, 0, "{err}");
    // Version 1 is the wire original, dated from its dateline (a day, no time).
    assert!(out.contains("  1  2026-03-03 (dateline)     "), "{out}");
    assert!(out.contains("  2  2026-03-03 14:05 no zone  "), "{out}");
    assert!(out.contains("  3  2026-03-03 18:40 UTC      "), "{out}");
    assert!(!out.contains("T18:40"), "{out}");
}

#[test]
fn the_wire_originals_date_comes_from_its_dateline_marked_inferred() {
    let home = tempfile::tempdir().unwrap();
    let out = stet_in(home.path(), &["stories", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let story = doc["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["articles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["path"].as_str().unwrap().contains("norda-wire/0303"))
        })
        .expect("the ferry story");
    let first = &story["articles"][0];
    assert!(
        first["path"].as_str().unwrap().contains("norda-wire/0303"),
        "the wire original leads: {story}"
    );
    assert_eq!(first["date"], "2026-03-03");
    assert_eq!(first["date_inferred"], true);
    assert_eq!(story["date"], "2026-03-03");
    let others = story["articles"].as_array().unwrap();
    assert!(others[1..].iter().all(|a| a.get("date_inferred").is_none()));
    // stet show says where the date came from.
    let id = first["id"].as_str().unwrap();
    let shown = stet_in(home.path(), &["show", id, "--json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(doc["date"], "2026-03-03");
    assert_eq!(doc["date_inferred"], true);
    let plain = stet_in(home.path(), &["show", id]).output().unwrap();
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(text.contains("2026-03-03 (from the dateline)"), "{text}");
}
