//! `stet annotations`: list, export and import the annotations of a corpus. Each
//! annotation's anchor status is computed by re-anchoring it in the corpus as loaded now.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::{AnnotationsAction, AnnotationsArgs, LoadArgs};
use crate::annotate::anchor::anchor_corpus;
use crate::annotate::export::{self, ExportFormat, ExportItem};
use crate::annotate::model::short_width;
use crate::annotate::{Anchoring, Annotation, LabelSet};
use crate::corpus::Corpus;
use crate::paths::{CorpusKey, StetDirs};
use crate::store::{OpenedUser, UserStore};
use crate::text::sanitize_for_terminal;

/// Runs `stet annotations`.
pub(crate) fn run(args: &AnnotationsArgs) -> Result<ExitCode> {
    let dirs = StetDirs::discover()?;
    let key = CorpusKey::for_paths(&args.corpus);
    let dir = dirs.corpus_data_dir(&key);
    match &args.action {
        AnnotationsAction::List { json } => {
            let mut opened = open_for_reading(&dir)?;
            let mut corpus = super::load_corpus(&args.corpus, &LoadArgs::default())?;
            crate::corpus::dateline_date::date_from_datelines_alone(&mut corpus);
            migrate_in_memory(&corpus, &mut opened);
            let labels = LabelSet::default();
            let anns: Vec<&Annotation> = opened.set.iter().collect();
            let anchors = anchor_corpus(&corpus, &anns);
            let items = export_items(&corpus, &labels, &anns, anchors);
            if anns.is_empty() {
                crate::say!(
                    "no annotations for corpus {} (kept in {})",
                    corpus_name(&corpus, &key),
                    dir.display()
                );
            }
            if *json {
                let values = items
                    .iter()
                    .map(export::to_json_value)
                    .collect::<Result<Vec<_>, _>>()?;
                print_out(&(crate::text::json::json_string(&values, true)? + "\n"))?;
            } else {
                let mut out = String::new();
                let width = short_width(items.iter().map(|i| &i.annotation.id));
                for item in &items {
                    out.push_str(&list_line(item, width));
                    out.push('\n');
                }
                print_out(&out)?;
                if !items.is_empty() {
                    crate::say!(
                        "{}: {}",
                        crate::text::plural(items.len(), "annotation", "annotations"),
                        export::status_summary(items.iter().flat_map(|i| i.anchors.iter()))
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AnnotationsAction::Export { format, output } => {
            let format: ExportFormat = format.parse()?;
            let mut opened = open_for_reading(&dir)?;
            let mut corpus = super::load_corpus(&args.corpus, &LoadArgs::default())?;
            crate::corpus::dateline_date::date_from_datelines_alone(&mut corpus);
            migrate_in_memory(&corpus, &mut opened);
            let labels = LabelSet::default();
            let anns: Vec<&Annotation> = opened.set.iter().collect();
            let anchors = anchor_corpus(&corpus, &anns);
            let items = export_items(&corpus, &labels, &anns, anchors);
            let text = export::export(&items, format, &corpus_name(&corpus, &key))?;
            match output {
                Some(path) => {
                    write_file(path, &text)?;
                    crate::say!(
                        "exported {} to {}",
                        crate::text::plural(items.len(), "annotation", "annotations"),
                        path.display()
                    );
                }
                None => print_data(&text)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        AnnotationsAction::Import { file } => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let records = export::import(&text).with_context(|| format!("{}", file.display()))?;
            let mut opened = UserStore::open(&dir)?;
            report_problems(&opened);
            if let Some(reason) = opened.store.read_only_reason() {
                bail!("cannot import into {}: {reason}", dir.display());
            }
            let total = records.len();
            let file_ids: Vec<crate::annotate::AnnotationId> = records
                .iter()
                .filter(|r| matches!(r, crate::annotate::LogRecord::Put(_)))
                .map(|r| r.annotation().id)
                .collect();
            let report = opened.set.merge(records);
            // One transaction: all of them are stored when this returns, or none.
            opened.store.put_records(&report.applied)?;
            for (local, copy) in &report.conflicts {
                crate::say!(
                    "conflict: annotation {local} was edited here and differently in {}: yours is kept, theirs added as {copy}",
                    file.display()
                );
            }
            crate::say!(
                "imported {} of {} from {} ({} already as new or newer)",
                report.applied.len(),
                crate::text::plural(total, "annotation", "annotations"),
                file.display(),
                report.ignored
            );
            // Where the file's annotations stand in this corpus: all orphaned means the file
            // was most likely made on another corpus.
            let live: Vec<&Annotation> = file_ids
                .iter()
                .filter_map(|id| opened.set.get(id))
                .collect();
            if !live.is_empty() {
                let corpus = super::load_corpus(&args.corpus, &LoadArgs::default())?;
                let anchors = anchor_corpus(&corpus, &live);
                let anchored = anchors
                    .iter()
                    .filter(|a| {
                        a.iter()
                            .all(|x| x.status != crate::annotate::anchor::AnchorStatus::Orphaned)
                    })
                    .count();
                let orphaned = live.len() - anchored;
                crate::say!(
                    "{anchored} of {} anchor in {}",
                    crate::text::plural(live.len(), "annotation", "annotations"),
                    corpus_name(&corpus, &key)
                );
                if orphaned > 0 {
                    crate::say!(
                        "warning: {} found in this corpus (kept, listed as orphaned){}",
                        crate::text::plural(orphaned, "annotation is not", "annotations are not"),
                        if anchored == 0 {
                            "; was the file made on another corpus? Give that corpus with --corpus"
                        } else {
                            ""
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn corpus_name(corpus: &Corpus, key: &CorpusKey) -> String {
    if corpus.name.is_empty() {
        key.to_string()
    } else {
        corpus.name.clone()
    }
}

/// Opens the store without creating anything; reports skipped lines.
fn open_for_reading(dir: &Path) -> Result<OpenedUser> {
    let opened = UserStore::open_read_only(dir)?;
    report_problems(&opened);
    Ok(opened)
}

/// Maps annotations made before article keys to today's articles, for this listing only (the
/// reader stores the mapping the first time it opens the corpus).
fn migrate_in_memory(corpus: &Corpus, opened: &mut OpenedUser) {
    let now = crate::annotate::Timestamp::now();
    for a in crate::annotate::migrate::migrate_ids(corpus, &opened.set, now) {
        opened.set.apply(crate::annotate::LogRecord::Put(a));
    }
}

fn report_problems(opened: &OpenedUser) {
    for p in &opened.problems {
        crate::say!("stet: {p}");
    }
}

fn export_items<'a>(
    corpus: &Corpus,
    labels: &LabelSet,
    anns: &[&'a Annotation],
    anchors: Vec<Vec<Anchoring>>,
) -> Vec<ExportItem<'a>> {
    anns.iter()
        .zip(anchors)
        .map(|(a, anchors)| ExportItem {
            annotation: a,
            label_name: labels.display_name(&a.label).to_string(),
            anchors,
            titles: a
                .targets
                .iter()
                .map(|t| {
                    corpus
                        .find(&t.article)
                        .map(|i| corpus.articles[i].title.clone())
                })
                .collect(),
            urls: a
                .targets
                .iter()
                .map(|t| {
                    corpus
                        .find(&t.article)
                        .and_then(|i| corpus.articles[i].url.clone())
                })
                .collect(),
            story_title: story_title(corpus, a),
            ordered: a.targets.iter().all(|t| {
                corpus
                    .find(&t.article)
                    .is_some_and(|i| corpus.articles[i].timestamp.is_some())
            }),
        })
        .collect()
}

/// The headline of an annotation's story: the first headline among the versions its targets
/// are on (the command does not group the corpus).
fn story_title(corpus: &Corpus, a: &Annotation) -> Option<String> {
    a.targets
        .iter()
        .filter_map(|t| corpus.find(&t.article))
        .map(|i| corpus.articles[i].title.trim())
        .find(|t| !t.is_empty())
        .map(String::from)
}

/// One line of `stet annotations list`: id (its last `id_width` hex digits), label, status,
/// article, quote, note.
fn list_line(item: &ExportItem<'_>, id_width: usize) -> String {
    let a = item.annotation;
    let status: Vec<&str> = item.anchors.iter().map(|x| x.status.as_str()).collect();
    let articles: Vec<&str> = a.targets.iter().map(|t| t.article.as_str()).collect();
    let quote = a
        .targets
        .last()
        .map(|t| one_line(&t.quote.exact, 60))
        .unwrap_or_default();
    let mut line = format!(
        "{}  {:<20}  {:<8}  {}  \"{}\"",
        a.id.tail(id_width),
        item.label_name,
        status.join("/"),
        articles.join(" -> "),
        quote
    );
    if let Some(note) = &a.note {
        line.push_str("  — ");
        line.push_str(&one_line(note, 60));
    }
    sanitize_for_terminal(&line, false).into_owned()
}

/// `s` on one line, cut to `max` characters with an ellipsis.
fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Writes stet's own output to stdout through the sanitising writer.
fn print_out(text: &str) -> Result<()> {
    let mut out = super::output::stdout();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Writes an export (a data format, written exactly as the annotations hold it) to stdout;
/// on a terminal it goes through the sanitising writer.
fn print_data(text: &str) -> Result<()> {
    if std::io::stdout().is_terminal() {
        return print_out(text);
    }
    let mut lock = std::io::stdout().lock();
    match lock.write_all(text.as_bytes()).and_then(|()| lock.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Writes `text` to `path` through a temporary file beside it, so a failed export never
/// leaves half a file.
fn write_file(path: &Path, text: &str) -> Result<()> {
    crate::atomic_file::write_bytes(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
