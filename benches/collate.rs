//! Collation speed: 30 versions of a 1,500-word report (the issue asks for under 100 ms).
//!
//! Run: `cargo bench --bench collate`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stet::compare::collate::{VersionInput, collate};

/// A deterministic generator of a story's versions: each version edits the previous one
/// (a sentence reworded, one dropped, one added, one moved).
fn synthetic_versions(count: usize, words: usize, seed: u64) -> Vec<Vec<String>> {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m.max(1)
    };
    const SYL: &[&str] = &[
        "ka", "lo", "mer", "tan", "vi", "sol", "de", "ron", "bel", "ust", "ar", "en", "pol", "gri",
        "fa", "mo", "ter", "lin",
    ];
    let word = |next: &mut dyn FnMut(usize) -> usize| {
        let n = 1 + next(3);
        (0..n).map(|_| SYL[next(SYL.len())]).collect::<String>()
    };
    let sentence = |next: &mut dyn FnMut(usize) -> usize| {
        let n = 12 + next(14);
        let mut s = String::new();
        for k in 0..n {
            if k > 0 {
                s.push(' ');
            }
            let w = word(next);
            if k == 0 {
                let mut cs = w.chars();
                if let Some(f) = cs.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(cs.as_str());
                }
            } else {
                s.push_str(&w);
            }
        }
        s.push('.');
        s
    };
    let mut sents: Vec<String> = Vec::new();
    let mut total = 0;
    while total < words {
        let s = sentence(&mut next);
        total += s.split(' ').count();
        sents.push(s);
    }
    let to_paras =
        |sents: &[String]| -> Vec<String> { sents.chunks(3).map(|c| c.join(" ")).collect() };
    let mut out = vec![to_paras(&sents)];
    for _ in 1..count {
        // Reword: replace two words of a sentence.
        let k = next(sents.len());
        let mut ws: Vec<String> = sents[k].split(' ').map(str::to_string).collect();
        for _ in 0..2 {
            let at = 1 + next(ws.len() - 2);
            ws[at] = word(&mut next);
        }
        sents[k] = ws.join(" ");
        // Drop one, add one, move one.
        if sents.len() > 4 {
            let d = next(sents.len());
            sents.remove(d);
        }
        let at = next(sents.len() + 1);
        let s = sentence(&mut next);
        sents.insert(at, s);
        let from = next(sents.len());
        let s = sents.remove(from);
        let to = next(sents.len() + 1);
        sents.insert(to, s);
        out.push(to_paras(&sents));
    }
    out
}

fn bench(c: &mut Criterion) {
    for (count, words) in [(30usize, 1_500usize), (10, 1_500)] {
        let bodies = synthetic_versions(count, words, 11);
        let ids: Vec<String> = (0..count).map(|i| format!("v{i:02}")).collect();
        let inputs: Vec<VersionInput<'_>> = (0..count)
            .map(|i| VersionInput::new(&ids[i], &bodies[i]).dated("2026-03-03", i as i64))
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
