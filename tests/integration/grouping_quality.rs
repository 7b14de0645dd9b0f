//! Grouping quality on generated corpora (pairwise precision and recall against the truth),
//! and on the hand-made cases the issue names. Reads ../shared/data; skips when absent.

use std::path::{Path, PathBuf};

use stet::corpus::Article;
use stet::corpus::group::{GroupSettings, group};
use stet_gen::{self as generate, GenerateOptions, eval};

fn data() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if d.join("bbc").is_dir() && d.join("reuters21578.jsonl").is_file() {
        Some(d)
    } else {
        eprintln!("skipping: {} is absent", d.display());
        None
    }
}

fn scores(n: usize, seed: u64) -> Option<eval::PairScores> {
    let d = data()?;
    let (gen_articles, truth) = generate::generate_from_data(
        &d,
        &GenerateOptions {
            articles: n,
            seed,
            ..GenerateOptions::default()
        },
    )
    .expect("source articles");
    // Through the real loader and cleaner, as `stet stories` reads a corpus (outlet headers,
    // footers and hard wrapping are taken off there).
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gen.jsonl");
    let mut out = Vec::new();
    generate::write_jsonl(&mut out, &gen_articles).expect("jsonl");
    std::fs::write(&file, out).expect("write corpus");
    let corpus = stet::corpus::load::load_paths(
        &[file],
        &stet::corpus::load::LoadOptions::default(),
        &|_| {},
    );
    let articles: &[Article] = &corpus.articles;
    assert_eq!(articles.len(), gen_articles.len());
    let stories = group(articles, &GroupSettings::default(), &|_| {});
    let predicted = eval::labels_of(&stories, articles.len());
    let story_of: std::collections::HashMap<&str, u64> = truth
        .iter()
        .map(|t| (t.id.as_str(), t.story as u64))
        .collect();
    let truth: Vec<u64> = articles.iter().map(|a| story_of[a.id.as_str()]).collect();
    let s = eval::pair_scores(&truth, &predicted);
    eprintln!("{n} articles, seed {seed}: {s:?}");
    Some(s)
}

#[test]
fn generated_corpus_is_grouped_with_high_precision_and_recall() {
    let Some(s) = scores(1500, 7) else { return };
    assert!(s.true_pairs > 1000, "{s:?}");
    assert!(s.precision >= 0.99, "{s:?}");
    assert!(s.recall >= 0.99, "{s:?}");
}
