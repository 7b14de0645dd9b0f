//! Grouping quality on generated corpora (pairwise precision and recall against the truth),
//! and on the hand-made cases the issue names. Reads ../shared/data; skips when absent.

use std::path::{Path, PathBuf};

use stet::corpus::Article;
use stet::corpus::group::{GroupSettings, group};
use stet::generate::{self, GenerateOptions, eval};

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
    let pool = generate::read_pool(
        Some(&d.join("bbc")),
        Some(&d.join("reuters21578.jsonl")),
        &Default::default(),
    )
    .expect("source articles");
    let (gen_articles, truth) = generate::generate(
        &pool,
        &GenerateOptions {
            articles: n,
            seed,
            ..GenerateOptions::default()
        },
    );
    let articles: Vec<Article> = gen_articles.iter().map(|g| g.to_article()).collect();
    let stories = group(&articles, &GroupSettings::default(), &|_| {});
    let predicted = eval::labels_of(&stories, articles.len());
    let truth: Vec<u64> = truth.iter().map(|t| t.story as u64).collect();
    let s = eval::pair_scores(&truth, &predicted);
    eprintln!("{n} articles, seed {seed}: {s:?}");
    Some(s)
}

#[test]
fn generated_corpus_is_grouped_with_high_precision_and_recall() {
    let Some(s) = scores(1500, 7) else { return };
    assert!(s.true_pairs > 1000, "{s:?}");
    assert!(s.precision >= 0.97, "{s:?}");
    assert!(s.recall >= 0.97, "{s:?}");
}
