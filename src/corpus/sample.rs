//! The built-in sample corpus, embedded in the binary: invented stories in several versions
//! (hard-wrapped text with headers and footers, news-please JSONL, trafilatura JSON, a saved
//! page, a Reuters-style wire) showing every kind of change stet finds.

use super::Corpus;
use super::load::{FileContext, FileKind, FileLoad, LoadOptions, finish_corpus, load_bytes};

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));

/// Loads the built-in sample corpus (paths shown as `sample/<folder>/<file>`).
pub fn load_sample(opts: &LoadOptions) -> Corpus {
    let loads: Vec<FileLoad> = SAMPLE_FILES
        .iter()
        .filter_map(|(rel, bytes)| {
            let (kind, _gz) = FileKind::of(rel)?;
            let shown = format!("sample/{rel}");
            let shared: std::sync::Arc<str> = shown.as_str().into();
            let folder = rel
                .rsplit_once('/')
                .map_or("sample", |(dir, _)| dir.rsplit('/').next().unwrap_or(dir));
            let ctx = FileContext {
                shown: &shown,
                path: &shared,
                rel,
                folder,
                opts,
            };
            Some(load_bytes(&ctx, kind, bytes))
        })
        .collect();
    finish_corpus("sample".to_string(), loads, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_loads_without_problems_and_has_every_format() {
        let corpus = load_sample(&LoadOptions::default());
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        assert!(corpus.articles.len() >= 12, "{}", corpus.articles.len());
        for ext in [".txt", ".jsonl", ".json", ".html"] {
            assert!(
                corpus.articles.iter().any(|a| a.path.ends_with(ext)),
                "no {ext} article"
            );
        }
        for a in &corpus.articles {
            assert!(!a.paragraphs.is_empty(), "{} has no body", a.id);
            assert!(
                a.word_count() >= 150,
                "{} has {} words",
                a.id,
                a.word_count()
            );
        }
    }
}
