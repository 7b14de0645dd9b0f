//! Re-anchoring speed on a long article (about 230k characters): the cheap paths (same text,
//! moved quote) and the bounded fuzzy search (edited quote, deleted quote).

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use stet::annotate::{AnchorText, Granularity, Target};

const QUOTE: &str =
    "Unions called the decision \"a betrayal\" and promised strikes across the network.";

fn paragraphs(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "Paragraph {i}: officials said the item numbered {} would be reviewed by the \
                 committee, which meets on day {} of the session, according to a statement.",
                i * 7 % 1000,
                i % 31
            )
        })
        .collect()
}

fn bench_anchor(c: &mut Criterion) {
    let mut paras = paragraphs(1500);
    paras.insert(100, QUOTE.to_string());
    let old = paras.join("\n\n");
    let b = old.find(QUOTE).unwrap();
    let target =
        Target::from_byte_span("a", "s", &old, b..b + QUOTE.len(), Granularity::Paragraph).unwrap();

    // The same text.
    let same = AnchorText::new(&old);
    c.bench_function("anchor/same_text", |bench| {
        bench.iter(|| black_box(same.anchor(black_box(&target))))
    });

    // An edit before the quote: found exactly elsewhere.
    let mut moved = paras.clone();
    moved[0].insert_str(0, "Updated: ");
    let moved = moved.join("\n\n");
    let moved_text = AnchorText::new(&moved);
    c.bench_function("anchor/moved", |bench| {
        bench.iter(|| black_box(moved_text.anchor(black_box(&target))))
    });

    // The quote edited and its paragraph moved far down: the fuzzy search.
    let mut fuzzy = paras.clone();
    let p = fuzzy.remove(100);
    fuzzy.insert(1200, p.replace("promised strikes", "promised more strikes"));
    let fuzzy = fuzzy.join("\n\n");
    let fuzzy_text = AnchorText::new(&fuzzy);
    c.bench_function("anchor/fuzzy_far", |bench| {
        bench.iter(|| black_box(fuzzy_text.anchor(black_box(&target))))
    });

    // The quote deleted: every step fails, ending orphaned.
    let mut gone = paras.clone();
    gone.remove(100);
    let gone = gone.join("\n\n");
    let gone_text = AnchorText::new(&gone);
    c.bench_function("anchor/orphaned", |bench| {
        bench.iter(|| black_box(gone_text.anchor(black_box(&target))))
    });

    c.bench_function("anchor/prepare_text", |bench| {
        bench.iter(|| black_box(AnchorText::new(black_box(&fuzzy))))
    });
}

criterion_group!(benches, bench_anchor);
criterion_main!(benches);
