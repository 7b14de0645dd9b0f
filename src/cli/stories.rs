//! `stet stories`: group the corpus into stories and list them, one line each or as JSON.
//! An unchanged corpus is listed from its derived store without reading its files.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::{GroupArgs, StoriesArgs};
use crate::corpus::group::GroupSettings;
use crate::corpus::{Corpus, Story};
use crate::text::sanitize_for_terminal;

/// The grouping settings: defaults overlaid with the flags given.
pub(crate) fn settings_from_args(base: &GroupSettings, args: &GroupArgs) -> GroupSettings {
    let mut s = base.clone();
    if let Some(c) = args.min_containment {
        s.min_containment = c.clamp(0.0, 1.0);
    }
    if let Some(d) = args.max_days {
        s.max_days = d.max(0.0);
    }
    s
}

#[derive(Serialize)]
struct JsonArticle<'a> {
    id: &'a str,
    path: &'a str,
    source: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    /// The date is the day the dateline names (the record gave none).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    date_inferred: bool,
    similarity: f32,
}

#[derive(Serialize)]
struct JsonStory<'a> {
    id: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    articles: Vec<JsonArticle<'a>>,
    /// Other stories that share real text with this one but are other reports.
    related: &'a [compact_str::CompactString],
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    stories: Vec<JsonStory<'a>>,
}

/// Runs `stet stories`: thresholds from the config file's `[group]` table (`config` when
/// given with `--config`), overridden by the flags.
pub(crate) fn run(args: &StoriesArgs, config: Option<&std::path::Path>) -> Result<ExitCode> {
    let (config, problems) = crate::config::Config::load(config, false);
    for p in &problems {
        crate::say!("{p}");
    }
    let settings = settings_from_args(&config.group, &args.group);
    let opened = super::corpus_store::open_grouped(
        &args.paths,
        &args.load,
        &settings,
        args.group.no_cache,
        false,
        args.group.regroup,
    )?;
    let (corpus, stories) = (&opened.corpus, &opened.stories);
    let mut out = super::output::stdout_with(1 << 20, false);
    if args.json {
        write_json(&mut out, corpus, stories)?;
    } else {
        write_plain(&mut out, stories)?;
    }
    out.flush()?;
    let code = if corpus.articles.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    };
    // The command ends after printing: freeing 100k articles one allocation at a time would
    // only delay the exit (~0.3 s), so the corpus is left to the process's end.
    std::mem::forget(opened);
    Ok(code)
}

fn write_json(out: &mut impl Write, corpus: &Corpus, stories: &[Story]) -> Result<()> {
    let doc = JsonOutput {
        stories: stories
            .iter()
            .map(|s| JsonStory {
                id: &s.id,
                title: &s.title,
                date: s.first_date.as_deref(),
                articles: s
                    .versions
                    .iter()
                    .filter_map(|v| {
                        let a = corpus.articles.get(v.article)?;
                        Some(JsonArticle {
                            id: &a.id,
                            path: &a.path,
                            source: &a.source,
                            title: &a.title,
                            date: a.date.as_deref(),
                            date_inferred: a.date_inferred,
                            similarity: (v.similarity * 1000.0).round() / 1000.0,
                        })
                    })
                    .collect(),
                related: &s.related,
            })
            .collect(),
    };
    crate::text::json::write_json(&mut *out, &doc, false)?;
    writeln!(out)?;
    Ok(())
}

fn write_plain(out: &mut impl Write, stories: &[Story]) -> Result<()> {
    for s in stories {
        let n = s.versions.len();
        let versions = if n == 1 {
            "1 version ".to_string()
        } else {
            format!("{n} versions")
        };
        let date = s.first_date.as_deref().unwrap_or("-");
        let date = date.get(..10).unwrap_or(date);
        writeln!(
            out,
            "{}  {:>11}  {:<10}  {}  {}",
            s.id,
            versions,
            sanitize_for_terminal(date, false),
            sanitize_for_terminal(&s.sources.join(", "), false),
            sanitize_for_terminal(&s.title, false),
        )?;
    }
    Ok(())
}
