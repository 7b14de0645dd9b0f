//! Grouping speed on generated corpora (criterion). Needs ../shared/data; prints a message and
//! measures nothing without it.

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use stet::corpus::Article;
use stet::corpus::group::{GroupSettings, group};
use stet_gen::{self as generate, GenerateOptions};

/// Generated articles turned into cleaned `Article`s directly (body paragraphs, no boilerplate),
/// so the bench measures grouping alone.
fn articles(n: usize) -> Option<Vec<Article>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let (arts, _) = generate::generate_from_data(
        &data,
        &GenerateOptions {
            articles: n,
            ..GenerateOptions::default()
        },
    )?;
    Some(
        arts.into_iter()
            .map(|g| Article {
                id: g.id.into(),
                source: g.source.into(),
                title: g.title,
                date: Some(g.date.into()),
                more: stet::corpus::ArticleMore {
                    paragraphs: g
                        .text
                        .split("\n\n")
                        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                        .collect(),
                    ..stet::corpus::ArticleMore::default()
                }
                .boxed(),
                ..Article::default()
            })
            .collect(),
    )
}

fn bench(c: &mut Criterion) {
    let settings = GroupSettings::default();
    for n in [1_000, 10_000] {
        let Some(arts) = articles(n) else { return };
        let mut g = c.benchmark_group("group");
        g.sample_size(10);
        g.bench_function(format!("{n} articles"), |b| {
            b.iter(|| group(&arts, &settings, &|_| {}))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
