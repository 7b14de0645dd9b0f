//! The corpus store: reopening the user database (10,000 annotations, 100,000 read marks),
//! one durable annotation write, one read mark, and a fingerprint scan of 2,000 unchanged
//! files (issue 16).

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use stet::annotate::{Annotation, AnnotationLog, Granularity, LogRecord, Target, Timestamp};
use stet::store::derived::DerivedStore;
use stet::store::{Reading, UserStore};

fn annotation(i: usize) -> Annotation {
    let text = "The minister said the plan would go ahead, officials confirmed on Monday.";
    let t = Target::from_char_span(&format!("a{i}"), "s", text, 4..12, Granularity::Word).unwrap();
    Annotation::new(
        vec![t],
        "reworded".into(),
        Some(format!("note {i}")),
        "bench",
        Timestamp::from_unix(1_750_000_000),
    )
    .unwrap()
}

fn bench_store(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("user");
    {
        let mut o = UserStore::open(&dir).unwrap();
        let records: Vec<LogRecord> = (0..10_000).map(|i| LogRecord::Put(annotation(i))).collect();
        o.store.put_records(&records).unwrap();
        let reading = Reading {
            read: (0..100_000).map(|i| format!("s{i:012x}")).collect(),
            ..Reading::default()
        };
        o.store.save_reading(&reading, &|_| true).unwrap();
    }
    c.bench_function("store/reopen_user_10k_annotations_100k_marks", |b| {
        b.iter(|| {
            let o = UserStore::open(black_box(&dir)).unwrap();
            black_box(o.set.len())
        })
    });
    let mut o = UserStore::open(&dir).unwrap();
    let mut i = 20_000;
    c.bench_function("store/annotation_write_fsync", |b| {
        b.iter(|| {
            i += 1;
            o.store.append(&LogRecord::Put(annotation(i))).unwrap();
        })
    });
    let mut read = vec!["x".to_string()];
    c.bench_function("store/read_mark_fsync", |b| {
        b.iter(|| {
            read.push(format!("m{}", read.len()));
            let r = Reading {
                read: read.clone(),
                ..Reading::default()
            };
            o.store.save_reading(&r, &|_| true).unwrap();
        })
    });
    let files_dir = tmp.path().join("files");
    std::fs::create_dir_all(&files_dir).unwrap();
    let files: Vec<_> = (0..2000)
        .map(|i| {
            let p = files_dir.join(format!("{i}.txt"));
            std::fs::write(&p, format!("Article {i} text.")).unwrap();
            p
        })
        .collect();
    let (mut d, _) = DerivedStore::open(&tmp.path().join("cache")).unwrap();
    d.scan(&files).unwrap();
    c.bench_function("store/scan_2000_unchanged_files", |b| {
        b.iter(|| black_box(d.scan(&files).unwrap().unchanged.len()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_store
}
criterion_main!(benches);
