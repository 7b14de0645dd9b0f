//! Load + clean benchmarks: the built-in sample corpus, and all of Reuters-21578 from
//! ../shared/data (skipped where absent).

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use stet::corpus::load::{LoadOptions, load_paths};
use stet::corpus::sample::load_sample;

fn bench_load(c: &mut Criterion) {
    let opts = LoadOptions::default();
    c.bench_function("load_clean/sample", |b| b.iter(|| load_sample(&opts)));
    let reuters =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/reuters21578.jsonl");
    if reuters.exists() {
        let mut group = c.benchmark_group("load_clean");
        group.sample_size(10);
        group.bench_function("reuters21578", |b| {
            b.iter(|| load_paths(std::slice::from_ref(&reuters), &opts, &|_| {}))
        });
        group.finish();
    } else {
        eprintln!(
            "skipped load_clean/reuters21578: {} is absent",
            reuters.display()
        );
    }
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
