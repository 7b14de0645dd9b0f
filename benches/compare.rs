//! Speed of `compare::compare`: the seeds pair, and 10,000- and 50,000-word pairs built from
//! real BBC articles (`../shared/data/bbc/`) concatenated, then edited as versions are edited
//! (paragraphs moved, sentences reworded, added and trimmed). Skips what is absent. Also the
//! word diff engines (imara-diff Histogram and Myers, similar Myers and Patience) on the
//! tokens of every changed pair of the 50,000-word pair: the measurement behind using
//! imara-diff Histogram in `compare::words`.
//!
//! `STET_BENCH_WRITE_PAIR=DIR cargo bench --bench compare` also writes the 50,000-word pair to
//! `DIR/a.txt` and `DIR/b.txt` (paragraphs separated by blank lines) for whole-process timing.

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

/// The seeds' cleaned paragraphs, through the corpus loader.
fn seeds() -> Option<(Vec<String>, Vec<String>)> {
    let dir = shared().join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let load = |p: &PathBuf| {
        let corpus = stet::corpus::load::load_paths(
            std::slice::from_ref(p),
            &stet::corpus::load::LoadOptions::default(),
            &|_| {},
        );
        corpus
            .articles
            .into_iter()
            .next()
            .map(|mut a| std::mem::take(&mut a.paragraphs))
    };
    Some((load(files.first()?)?, load(files.get(1)?)?))
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap()).unwrap()
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Paragraphs of BBC articles (headline first), interleaving the topic folders, until
/// `words` words; plus spare paragraphs from later articles for additions.
fn bbc_paragraphs(words: usize) -> Option<(Vec<String>, Vec<String>)> {
    let root = shared().join("bbc");
    let topics = ["business", "entertainment", "politics", "sport", "tech"];
    let mut out = Vec::new();
    let mut spare = Vec::new();
    let mut count = 0usize;
    'outer: for n in 1..=400 {
        for t in topics {
            let path = root.join(t).join(format!("{n:03}.txt"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let paras = text
                .split("\n\n")
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty());
            if count >= words {
                spare.extend(paras);
                if spare.len() > 400 {
                    break 'outer;
                }
                continue;
            }
            for p in paras {
                count += p.split_whitespace().count();
                out.push(p);
            }
        }
    }
    (count >= words).then_some((out, spare))
}

/// Version B of `a`: reworded sentences, trimmed and added paragraphs, moved paragraphs.
fn edit(a: &[String], spare: &[String], seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    let mut b: Vec<String> = Vec::with_capacity(a.len() + 16);
    for p in a {
        if rng.chance(6) {
            continue; // trimmed
        }
        let mut p = p.clone();
        if rng.chance(20) {
            // Reword: replace, drop or swap a few words.
            let mut w: Vec<String> = p.split(' ').map(str::to_string).collect();
            for _ in 0..3 {
                let i = rng.below(w.len());
                match rng.below(3) {
                    0 => w[i] = "reportedly".to_string(),
                    1 if w.len() > 3 => {
                        w.remove(i);
                    }
                    _ => {
                        let j = rng.below(w.len());
                        w.swap(i, j);
                    }
                }
            }
            p = w.join(" ");
        }
        if rng.chance(5) {
            p = p.replace('"', "\u{201C}"); // quote style
        }
        b.push(p);
        if rng.chance(5) {
            b.push(spare[rng.below(spare.len())].clone()); // added
        }
    }
    // Moves: a few paragraphs taken out and put back elsewhere.
    for _ in 0..(b.len() / 40).max(1) {
        let from = rng.below(b.len());
        let p = b.remove(from);
        let to = rng.below(b.len());
        b.insert(to, p);
    }
    b
}

fn word_pair(words: usize) -> Option<(Vec<String>, Vec<String>)> {
    let (a, spare) = bbc_paragraphs(words)?;
    let b = edit(&a, &spare, 0x5EED_0000 + words as u64);
    Some((a, b))
}

fn bench(c: &mut Criterion) {
    match seeds() {
        Some((a, b)) => {
            c.bench_function("compare seeds pair", |x| {
                x.iter(|| stet::compare::compare(black_box(&a), black_box(&b)))
            });
        }
        None => eprintln!("skipped the seeds pair: ../shared/data/seeds is absent"),
    }
    for words in [10_000usize, 50_000] {
        let Some((a, b)) = word_pair(words) else {
            eprintln!("skipped the {words}-word pair: ../shared/data/bbc is absent");
            continue;
        };
        if words == 50_000
            && let Some(dir) = std::env::var_os("STET_BENCH_WRITE_PAIR")
        {
            let dir = PathBuf::from(dir);
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join("a.txt"), a.join("\n\n") + "\n");
            let _ = std::fs::write(dir.join("b.txt"), b.join("\n\n") + "\n");
        }
        let cmp = stet::compare::compare(&a, &b);
        eprintln!("{words}-word pair: {:?}", cmp.stats);
        if words == 50_000 {
            bench_word_engines(c, &cmp);
        }
        c.bench_function(&format!("compare {words}-word pair"), |x| {
            x.iter(|| stet::compare::compare(black_box(&a), black_box(&b)))
        });
    }
}

/// The word diff engines on the tokens of every changed pair of a comparison: imara-diff
/// Histogram (what `compare` uses) against similar's Myers and Patience.
fn bench_word_engines(c: &mut Criterion, cmp: &stet::compare::Comparison) {
    use stet::compare::OpKind;
    let pairs: Vec<(Vec<u64>, Vec<u64>)> = cmp
        .ops
        .iter()
        .filter(|o| o.kind == OpKind::Changed)
        .filter_map(|o| Some((o.a.as_deref()?, o.b.as_deref()?)))
        .map(|(x, y)| {
            let keys = |t: &str| -> Vec<u64> {
                stet::compare::segment::words(t)
                    .iter()
                    .map(|w| w.key)
                    .collect()
            };
            (keys(x), keys(y))
        })
        .collect();
    eprintln!("{} changed pairs for the word diff engines", pairs.len());
    // Interned once, outside the timing (compare interns with an identity-hash map).
    let interned: Vec<(
        Vec<imara_diff::intern::Token>,
        Vec<imara_diff::intern::Token>,
        u32,
    )> = pairs
        .iter()
        .map(|(ka, kb)| {
            let mut ids: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
            let mut intern = |k: &u64| {
                let n = u32::try_from(ids.len()).unwrap();
                imara_diff::intern::Token(*ids.entry(*k).or_insert(n))
            };
            let before: Vec<_> = ka.iter().map(&mut intern).collect();
            let after: Vec<_> = kb.iter().map(&mut intern).collect();
            (before, after, u32::try_from(ids.len()).unwrap())
        })
        .collect();
    for (name, alg) in [
        ("Histogram", imara_diff::Algorithm::Histogram),
        ("Myers", imara_diff::Algorithm::Myers),
    ] {
        c.bench_function(&format!("word diff: imara-diff {name}"), |x| {
            x.iter(|| {
                let mut changes = 0usize;
                for (before, after, n) in &interned {
                    imara_diff::diff_with_tokens(
                        alg,
                        before,
                        after,
                        *n,
                        |_: std::ops::Range<u32>, _: std::ops::Range<u32>| changes += 1,
                    );
                }
                black_box(changes)
            })
        });
    }
    for (name, alg) in [
        ("Myers", similar::Algorithm::Myers),
        ("Patience", similar::Algorithm::Patience),
    ] {
        c.bench_function(&format!("word diff: similar {name}"), |x| {
            x.iter(|| {
                let mut changes = 0usize;
                for (ka, kb) in &pairs {
                    changes += similar::capture_diff_slices(alg, ka, kb).len();
                }
                black_box(changes)
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
