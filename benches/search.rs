//! Full-text search speed (criterion): building the index of 100,000 generated articles and
//! answering queries on it. Needs ../shared/data for the generator's text pool; prints a
//! message and measures nothing without it. `STET_BENCH_SEARCH_ARTICLES` changes the size.
//!
//! Stories are taken from the generator's truth (no grouping), so the build is the index alone.

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use stet::corpus::{Corpus, Story, StoryVersion};
use stet::search::{Fingerprint, IndexLocation, build_index};
use stet_gen::{self as generate, GenerateOptions};

fn corpus(n: usize) -> Option<(Corpus, Vec<Story>)> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let (arts, truth) = generate::generate_from_data(
        &data,
        &GenerateOptions {
            articles: n,
            seed: 7,
            ..GenerateOptions::default()
        },
    )?;
    let articles: Vec<_> = arts.iter().map(|g| g.to_article()).collect();
    let index_of: std::collections::HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut by_story: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for t in &truth {
        if let Some(&i) = index_of.get(t.id.as_str()) {
            by_story.entry(t.story).or_default().push(i);
        }
    }
    let stories = by_story
        .into_iter()
        .map(|(s, versions)| Story {
            id: format!("s{s}").into(),
            title: articles[versions[0]].title.clone(),
            versions: versions
                .into_iter()
                .map(|article| StoryVersion {
                    article,
                    similarity: 1.0,
                })
                .collect(),
            sources: Vec::new(),
            first_date: None,
            last_date: None,
            related: Vec::new(),
        })
        .collect();
    Some((
        Corpus {
            name: "generated".into(),
            articles,
            problems: Vec::new(),
        },
        stories,
    ))
}

fn bench(c: &mut Criterion) {
    let n = std::env::var("STET_BENCH_SEARCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let Some((corpus, stories)) = corpus(n) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let location = IndexLocation::new(dir.path(), Fingerprint::of_content(1, "bench"));
    let cancel = AtomicBool::new(false);
    let mut g = c.benchmark_group("search");
    g.sample_size(10);
    g.bench_function(format!("build {n} articles"), |b| {
        b.iter(|| build_index(&location, &corpus, &stories, &|_| {}, &cancel).expect("built"))
    });
    g.finish();
    let index = build_index(&location, &corpus, &stories, &|_| {}, &cancel).expect("built");
    let mut g = c.benchmark_group("search query");
    for q in [
        "minister",
        "\"prime minister\"",
        "oil AND prices -opec",
        "bank OR rates",
        "source:\"northern times\" shares",
        "date:2020-12-01..2020-12-31 government",
        "zzzzunfound",
    ] {
        g.bench_function(q, |b| b.iter(|| index.search(q, 20).expect("searched")));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
