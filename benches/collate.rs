//! Collation speed: 30 versions of a 1,500-word report (the issue asks for under 100 ms).
//!
//! Run: `cargo bench --bench collate`.

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stet::compare::collate::{VersionInput, collate};
use stet_gen::versions::synthetic_versions;

fn bench(c: &mut Criterion) {
    for (count, words) in [(30usize, 1_500usize), (10, 1_500)] {
        let bodies = synthetic_versions(count, words, 11);
        let ids: Vec<String> = (0..count).map(|i| format!("v{i:02}")).collect();
        let inputs: Vec<VersionInput<'_>> = (0..count)
            .map(|i| {
                VersionInput::new(&ids[i], &bodies[i])
                    .dated("2026-03-03", i64::try_from(i).unwrap())
            })
            .collect();
        let probe = collate(&inputs);
        eprintln!(
            "{count} versions of {words} words: {} readings, {} disagreements, {} unlinked pairs",
            probe.readings.len(),
            probe.disagreements.len(),
            probe
                .readings
                .iter()
                .map(|r| r.unlinked.len())
                .sum::<usize>()
        );
        c.bench_function(&format!("collate {count} versions x {words} words"), |b| {
            b.iter(|| collate(black_box(&inputs)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
