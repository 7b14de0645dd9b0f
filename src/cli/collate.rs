//! `stet collate STORY`: all versions of a story aligned into one table of readings. Plain
//! output prints one line per reading with one mark per version; `--json` the whole table with
//! each version's provenance figures.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use serde::Serialize;

use super::output::display_width_truncate;
use crate::compare::collate::{self, CellState, Collation, Disagreement, VersionInput};
use crate::corpus::group::{self, GroupSettings};
use crate::corpus::{Corpus, Story};
use crate::text::sanitize_for_terminal;

/// Runs `stet collate`: the story is found by grouping the corpus as `stet stories` does
/// (thresholds from the config file's `[group]` table; `config` when given with `--config`).
pub(crate) fn run(args: &super::CollateArgs, config: Option<&std::path::Path>) -> Result<ExitCode> {
    let (config, problems) = crate::config::Config::load(config, false);
    for p in &problems {
        crate::say!("{p}");
    }
    let mut corpus = super::load_corpus(&args.corpus, &args.load)?;
    if corpus.articles.is_empty() {
        crate::say!("stet: the corpus {} is empty", corpus.name);
        return Ok(ExitCode::from(2));
    }
    let settings: &GroupSettings = &config.group;
    let mut stories = group::group(&corpus.articles, settings, &|_| {});
    crate::corpus::dateline_date::date_from_datelines(&mut corpus, &mut stories);
    let Some(story) = find_story(&stories, &corpus, &args.story) else {
        bail!(
            "{}: no story or article with this id in {} (see `stet stories`)",
            args.story,
            corpus.name
        );
    };
    let table = collate_story(&corpus, story);
    // Which columns' dates were taken from their datelines (inputs are the story's versions).
    let inferred: Vec<bool> = table
        .versions
        .iter()
        .map(|v| {
            story
                .versions
                .get(v.input)
                .and_then(|sv| corpus.articles.get(sv.article))
                .is_some_and(|a| a.date_inferred)
        })
        .collect();

    let stdout = std::io::stdout();
    let is_tty = stdout.is_terminal();
    let mut out = super::output::stdout();
    if args.json {
        crate::text::json::write_json(&mut out, &CollateJson::new(story, &table), false)?;
        writeln!(out)?;
    } else {
        let width = if is_tty {
            crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w))
        } else {
            usize::MAX
        };
        write_plain(&mut out, story, &table, width, &inferred)?;
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The story with id `key`, else the story holding the article with id (or path) `key`.
fn find_story<'s>(stories: &'s [Story], corpus: &Corpus, key: &str) -> Option<&'s Story> {
    if let Some(s) = stories.iter().find(|s| s.id == key) {
        return Some(s);
    }
    let article = corpus.find(key)?;
    stories
        .iter()
        .find(|s| s.versions.iter().any(|v| v.article == article))
}

/// The mark of a cell in the plain table.
fn mark(state: CellState, moved: bool) -> char {
    match (state, moved) {
        (CellState::Same, false) => '=',
        (CellState::Same, true) => 'm',
        (CellState::Changed, false) => '~',
        (CellState::Changed, true) => 'M',
        (CellState::Absent, _) => '.',
    }
}

/// An ISO 8601 time as the versions' column shows it, its zone always said: `2026-03-03 18:40
/// UTC`, `2026-03-03 18:40 +03:00`, `2026-03-03 14:05 no zone` (a time the source gave without
/// one, ordered as if UTC); a bare day, or anything else, as written.
fn shown_time(iso: &str) -> String {
    let (Some(day), Some(rest)) = (iso.get(..10), iso.get(10..)) else {
        return iso.to_string();
    };
    let Some(rest) = rest.strip_prefix(['T', ' ']) else {
        return iso.to_string();
    };
    let Some(hm) = rest
        .get(..5)
        .filter(|hm| hm.as_bytes().get(2) == Some(&b':'))
    else {
        return iso.to_string();
    };
    let zone_at = rest.find(['Z', 'z', '+']).or_else(|| {
        // A '-' after the time is an offset (the day's dashes are before it).
        rest.get(5..).and_then(|r| r.find('-')).map(|k| k + 5)
    });
    let zone = match zone_at.and_then(|k| rest.get(k..)) {
        Some("Z" | "z" | "+00:00" | "-00:00") => "UTC".to_string(),
        Some(offset) => offset.to_string(),
        None => "no zone".to_string(),
    };
    format!("{day} {hm} {zone}")
}

/// Writes the table as text: the versions as numbered columns, then one line per reading.
/// `inferred` says which versions' dates were taken from their datelines (`(dateline)`).
fn write_plain(
    out: &mut impl Write,
    story: &Story,
    c: &Collation,
    width: usize,
    inferred: &[bool],
) -> Result<()> {
    let clean = |s: &str| sanitize_for_terminal(s, false).into_owned();
    writeln!(out, "story {}: {}", clean(&story.id), clean(&story.title))?;
    writeln!(
        out,
        "{} by date (undated last), {}",
        crate::text::plural(c.width(), "version", "versions"),
        crate::text::plural(c.readings.len(), "reading", "readings")
    )?;
    for (k, v) in c.versions.iter().enumerate() {
        let date = match (&v.date, v.undated) {
            (Some(d), false) if inferred.get(k).copied().unwrap_or(false) => {
                format!("{} (dateline)", clean(&shown_time(d)))
            }
            (Some(d), false) => clean(&shown_time(d)),
            (Some(d), true) => format!("undated ({})", clean(d)),
            (None, _) => "undated".to_string(),
        };
        let reuse = if k == 0 {
            "   -".to_string()
        } else {
            format!("{:3.0}%", v.reuse * 100.0)
        };
        let line = format!(
            "{:>3}  {:<25} {:<20} reuse {}  +{} -{} ~{}  {}",
            k + 1,
            display_width_truncate(&date, 25),
            display_width_truncate(&clean(&v.source), 20),
            reuse,
            v.added.len(),
            v.cut.len(),
            v.changed.len(),
            clean(&v.id),
        );
        writeln!(out, "{}", display_width_truncate(line.trim_end(), width))?;
    }
    writeln!(
        out,
        "readings (= same as the reading's first version, ~ changed, m/M moved, . absent):"
    )?;
    for (i, r) in c.readings.iter().enumerate() {
        let marks: String = r.cells.iter().map(|x| mark(x.state, x.moved)).collect();
        let line = format!("{:>4}  {}  {}", i + 1, marks, clean(r.base_text()));
        writeln!(out, "{}", display_width_truncate(&line, width))?;
    }
    if !c.disagreements.is_empty() {
        writeln!(
            out,
            "{} could not be shown in one row (see `stet diff`)",
            crate::text::plural(c.disagreements.len(), "pairwise link", "pairwise links")
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct VersionJson<'a> {
    id: &'a str,
    source: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    undated: bool,
    words: usize,
    reuse: f64,
    added: &'a [usize],
    cut: &'a [usize],
    changed: &'a [usize],
    origins: &'a [usize],
}

#[derive(Serialize)]
struct CellJson<'a> {
    version: &'a str,
    state: CellState,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    moved: bool,
    text: &'a str,
}

#[derive(Serialize)]
struct ReadingJson<'a> {
    base: usize,
    cells: Vec<CellJson<'a>>,
}

#[derive(Serialize)]
struct CollateJson<'a> {
    story: &'a str,
    title: &'a str,
    versions: Vec<VersionJson<'a>>,
    readings: Vec<ReadingJson<'a>>,
    #[serde(skip_serializing_if = "<[Disagreement]>::is_empty")]
    disagreements: &'a [Disagreement],
}

impl<'a> CollateJson<'a> {
    fn new(story: &'a Story, c: &'a Collation) -> Self {
        CollateJson {
            story: &story.id,
            title: &story.title,
            versions: c
                .versions
                .iter()
                .map(|v| VersionJson {
                    id: &v.id,
                    source: &v.source,
                    title: &v.title,
                    date: v.date.as_deref(),
                    undated: v.undated,
                    words: v.words,
                    reuse: (v.reuse * 1000.0).round() / 1000.0,
                    added: &v.added,
                    cut: &v.cut,
                    changed: &v.changed,
                    origins: &v.origins,
                })
                .collect(),
            readings: c
                .readings
                .iter()
                .map(|r| ReadingJson {
                    base: r.base,
                    cells: r
                        .cells
                        .iter()
                        .zip(&c.versions)
                        .map(|(x, v)| CellJson {
                            version: &v.id,
                            state: x.state,
                            moved: x.moved,
                            text: &x.text,
                        })
                        .collect(),
                })
                .collect(),
            disagreements: &c.disagreements,
        }
    }
}

/// The collation of every version of `story`.
fn collate_story(corpus: &Corpus, story: &Story) -> Collation {
    let inputs: Vec<VersionInput<'_>> = story
        .versions
        .iter()
        .filter_map(|v| corpus.articles.get(v.article))
        .map(VersionInput::from_article)
        .collect();
    collate::collate(&inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_say_their_zone() {
        assert_eq!(shown_time("2026-03-03T18:40:00Z"), "2026-03-03 18:40 UTC");
        assert_eq!(
            shown_time("2026-03-03T14:05:00"),
            "2026-03-03 14:05 no zone"
        );
        assert_eq!(
            shown_time("2026-03-03T14:05:00+03:00"),
            "2026-03-03 14:05 +03:00"
        );
        assert_eq!(
            shown_time("2026-03-03T14:05:00.25-05:00"),
            "2026-03-03 14:05 -05:00"
        );
        assert_eq!(shown_time("2026-03-04"), "2026-03-04");
        assert_eq!(shown_time("March 3"), "March 3");
        assert_eq!(shown_time("2026-03-04Té"), "2026-03-04Té");
    }

    fn story_of(corpus: &Corpus, keys: &[&str]) -> Story {
        let versions = keys
            .iter()
            .map(|k| crate::corpus::StoryVersion {
                article: corpus.find(k).expect("article"),
                similarity: 1.0,
            })
            .collect();
        Story {
            id: "A".into(),
            title: "Ferry".into(),
            versions,
            sources: Vec::new(),
            first_date: None,
            last_date: None,
            related: Vec::new(),
        }
    }

    fn sample_story_a() -> (Corpus, Story) {
        let corpus = crate::corpus::sample::load_sample(&Default::default());
        let keys: Vec<String> = [
            "norda-wire/0303",
            "news-please-2026-03.jsonl:2",
            "lakeshore-news/",
            "valmere-courier/2026-03-04",
        ]
        .iter()
        .map(|k| {
            corpus
                .find(k)
                .map(|i| &corpus.articles[i])
                .or_else(|| {
                    corpus
                        .articles
                        .iter()
                        .find(|a| a.id.contains(k) || a.path.contains(k))
                })
                .map(|a| a.id.to_string())
                .expect("sample article")
        })
        .collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let story = story_of(&corpus, &refs);
        (corpus, story)
    }

    #[test]
    fn plain_table_has_a_mark_per_version_and_a_line_per_reading() {
        let (corpus, story) = sample_story_a();
        let c = collate_story(&corpus, &story);
        let mut buf = Vec::new();
        write_plain(&mut buf, &story, &c, usize::MAX, &[]).expect("write");
        let text = String::from_utf8(buf).expect("utf8");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("story A: Ferry"));
        assert!(lines[1].starts_with("4 versions"));
        // The wire original has no year: undated, last column.
        assert!(lines[5].contains("undated"), "{}", lines[5]);
        assert!(lines[5].ends_with("norda-wire/0303-ferry-capsizes-lake-orsen.txt"));
        let rows: Vec<&str> = lines[7..].to_vec();
        assert_eq!(rows.len(), c.readings.len());
        for row in &rows {
            let marks = row.split_whitespace().nth(1).expect("marks");
            assert_eq!(marks.chars().count(), 4, "{row}");
            assert!(marks.chars().all(|m| "=~mM.".contains(m)), "{row}");
        }
        // The Varn quote was added by the update (column 1), moved up in print (column 3),
        // not in the undated wire original (column 4).
        let varn = rows
            .iter()
            .find(|r| r.contains("We owe these families"))
            .expect("Varn row");
        assert!(varn.contains(" ==m. "), "{varn}");
    }

    #[test]
    fn json_has_the_documented_shape() {
        let (corpus, story) = sample_story_a();
        let c = collate_story(&corpus, &story);
        let v = serde_json::to_value(CollateJson::new(&story, &c)).expect("json");
        assert_eq!(v["story"], "A");
        let versions = v["versions"].as_array().expect("versions");
        assert_eq!(versions.len(), 4);
        for ver in versions {
            for k in ["id", "source", "date", "reuse"] {
                assert!(ver.get(k).is_some(), "{k}");
            }
        }
        assert_eq!(versions[3]["undated"], true);
        let readings = v["readings"].as_array().expect("readings");
        assert_eq!(readings.len(), c.readings.len());
        for r in readings {
            let cells = r["cells"].as_array().expect("cells");
            assert_eq!(cells.len(), 4);
            for (cell, ver) in cells.iter().zip(versions) {
                assert_eq!(cell["version"], ver["id"]);
                let state = cell["state"].as_str().expect("state");
                assert!(["same", "changed", "absent"].contains(&state));
                assert_eq!(state == "absent", cell["text"] == "");
            }
        }
        assert!(v.get("disagreements").is_none());
    }

    #[test]
    fn marks_are_distinct_without_colour() {
        let all: Vec<char> = [
            (CellState::Same, false),
            (CellState::Same, true),
            (CellState::Changed, false),
            (CellState::Changed, true),
            (CellState::Absent, false),
        ]
        .iter()
        .map(|&(s, m)| mark(s, m))
        .collect();
        assert_eq!(all, ['=', 'm', '~', 'M', '.']);
    }
}
