//! Opening a corpus for a command through its derived store (`crate::store::derived`): an
//! unchanged corpus answers from the store without reading its files; `--no-cache` and the
//! sample corpus load and group in memory.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;

use super::{LoadArgs, output};
use crate::corpus::group::GroupSettings;
use crate::store::derived::{OpenOptions, Opened, grouped_in_memory, load_and_group, open_corpus};

/// What the stored rows depend on among the load flags: field overrides, marker words and the
/// record size limit, and the config file's marker words (as the reader describes them).
pub(crate) fn load_desc(args: &LoadArgs) -> String {
    let mut d = args.fields.join("\n");
    if !args.keywords.is_empty() {
        d.push_str("\nkeywords ");
        d.push_str(&args.keywords.join("\n"));
    }
    if let Some(mb) = args.max_record_mb {
        d.push_str(&format!("\nmax_record_mb {mb}"));
    }
    d.push_str(&crate::store::derived::config_desc(
        &super::config_keywords(),
    ));
    d
}

/// Opens the corpus at `paths` (the sample when empty) with its stories, printing its load
/// problems and what the cache had to say; through the store unless `no_cache`. With
/// `full_text` every article's text is in memory, else only what a listing needs. With
/// `regroup`, files changed since the store was made regroup the whole corpus.
pub(crate) fn open_grouped(
    paths: &[PathBuf],
    args: &LoadArgs,
    settings: &GroupSettings,
    no_cache: bool,
    full_text: bool,
    regroup: bool,
) -> Result<Opened> {
    let load = super::load_options(args)?;
    let desc = load_desc(args);
    let o = OpenOptions {
        load: &load,
        load_desc: &desc,
        settings,
        full_text,
        regroup: if regroup {
            crate::store::derived::Regroup::All
        } else {
            crate::store::derived::Regroup::default()
        },
        lean_rows: false,
        shed_above: crate::store::derived::shed_above(),
    };
    let show_progress = std::io::stderr().is_terminal();
    let progress = move |p| {
        if show_progress {
            output::progress_line(p);
        }
    };
    let dir = (!no_cache && !paths.is_empty())
        .then(|| crate::paths::cache_dir_for(paths))
        .flatten();
    let opened = if paths.is_empty() {
        grouped_in_memory(
            crate::corpus::sample::load_sample(&load),
            settings,
            &progress,
        )
    } else {
        match &dir {
            Some(d) => open_corpus(d, paths, &o, &progress).unwrap_or_else(|e| {
                let mut op = load_and_group(paths, &o, &progress);
                op.notes.push(format!(
                    "the corpus cache cannot be used ({e}); loaded without it"
                ));
                op
            }),
            None => load_and_group(paths, &o, &progress),
        }
    };
    if show_progress {
        output::clear_progress_line();
    }
    super::report_problems(&opened.corpus.problems);
    for note in &opened.notes {
        crate::say!("stet: cache: {note}");
    }
    Ok(opened)
}

/// A corpus for a command that reads the text of a few articles (`stet show`, `stet diff`):
/// from a current derived store (no file read, the text of the articles asked for read from
/// the store), else loaded as without a store.
pub(crate) struct TextCorpus {
    /// The articles (without their text when from the store).
    pub corpus: crate::corpus::Corpus,
    texts: Option<crate::corpus::texts::LazyTexts>,
}

impl TextCorpus {
    /// Article `i` with its text.
    pub(crate) fn article(&mut self, i: usize) -> Option<crate::corpus::Article> {
        if let Some(t) = &mut self.texts {
            t.ensure(&self.corpus.articles, &[i]);
            if let Some(a) = t.filled(i) {
                return Some(a.clone());
            }
        }
        self.corpus.articles.get(i).cloned()
    }
}

/// The corpus at `paths` (the sample when empty) for reading a few articles' text: from its
/// derived store when that is current, else loaded (printing its load problems either way).
pub(crate) fn text_corpus(paths: &[PathBuf], args: &LoadArgs) -> Result<TextCorpus> {
    if let Some(dir) = crate::paths::cache_dir_for(paths) {
        let load = super::load_options(args)?;
        let desc = load_desc(args);
        let settings = GroupSettings::default();
        let o = OpenOptions {
            load: &load,
            load_desc: &desc,
            settings: &settings,
            full_text: false,
            regroup: Default::default(),
            lean_rows: false,
            shed_above: crate::store::derived::shed_above(),
        };
        // A store that cannot be used is a miss: the files are read as without it.
        if let Ok(Some(mut opened)) = crate::store::derived::reopen_if_current(&dir, paths, &o) {
            super::report_problems(&opened.corpus.problems);
            undo_inferred_dates(&mut opened.corpus);
            return Ok(TextCorpus {
                corpus: opened.corpus,
                texts: opened
                    .texts
                    .map(|t| crate::corpus::texts::LazyTexts::new(t, 16)),
            });
        }
    }
    Ok(TextCorpus {
        corpus: super::load_corpus(paths, args)?,
        texts: None,
    })
}

/// Takes back the dates the store's grouping took from datelines (`date_inferred`): a command
/// that lists or shows articles without grouping them gives the dates a load gives.
pub(crate) fn undo_inferred_dates(corpus: &mut crate::corpus::Corpus) {
    for a in &mut corpus.articles {
        a.undo_inferred_date();
    }
}
