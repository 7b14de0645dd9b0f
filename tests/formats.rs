//! Database and dataset exports: the real samples in `../shared/data/formats/` (skipped, saying
//! so, where absent) and fixtures written here in the same layouts.

use std::path::{Path, PathBuf};

use stet::corpus::load::{LoadOptions, load_paths};
use stet::corpus::{Article, Corpus};

fn load(path: &Path) -> Corpus {
    load_paths(&[path.to_path_buf()], &LoadOptions::default(), &|_| {})
}

fn shared_formats() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/formats");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

/// Export furniture that must never be left in a body.
fn furniture_in(a: &Article) -> Option<String> {
    for p in &a.paragraphs {
        let t = p.trim();
        let lower = t.to_lowercase();
        let bad = lower.contains("end of document")
            || lower.starts_with("load-date")
            || lower.starts_with("copyright")
            || t.starts_with("LENGTH:")
            || t.starts_with("LANGUAGE:")
            || t.starts_with("Length:\u{a0}")
            || t.starts_with("Section:\u{a0}")
            || t == "Body"
            || t == "Classification"
            || lower.contains(" of 74 documents")
            || ["HD ", "SN ", "PD ", "LP", "TD", "AN ", "WC ", "CY "]
                .iter()
                .any(|c| t == c.trim() || (t.starts_with(c) && t.len() < 40 && c.ends_with(' ')))
            || lower.starts_with("document ") && !t.contains(' ')
            || (t.starts_with("Dokument ") && t.split_whitespace().count() == 2);
        if bad {
            return Some(t.chars().take(80).collect());
        }
    }
    None
}

#[test]
fn every_shared_sample_loads_as_its_articles() {
    let Some(dir) = shared_formats() else { return };
    let expected = [
        ("factiva/chosun_ilbo_1_2018-05-28.html", 59),
        ("factiva/factiva_test.html", 2),
        ("factiva/german-ui.html", 100),
        ("factiva/nyt_1_1993-01-03.html", 27),
        ("lexisnexis-txt/sample.TXT", 10),
        ("nexis/afp_2013-03-12_0501.html", 74),
        ("nexis/guardian_1986-01-01_0001.html", 262),
        ("nexis/guardian1.docx", 2),
        ("nexis/lexisnexistools-sample.docx", 10),
        ("nexis/nyt1.docx", 50),
        ("nexis/usa-today.docx", 7),
    ];
    for (file, n) in expected {
        let c = load(&dir.join(file));
        assert_eq!(c.articles.len(), n, "{file}: {:?}", c.problems);
        for a in &c.articles {
            assert!(!a.title.trim().is_empty(), "{file} {}: no headline", a.id);
            assert!(a.date.is_some(), "{file} {} ({}): no date", a.id, a.title);
            assert!(
                a.timestamp.is_some(),
                "{file} {} ({}): date not parsed: {:?}",
                a.id,
                a.title,
                a.date
            );
            assert!(!a.source.trim().is_empty(), "{file} {}: no source", a.id);
            assert!(
                !a.paragraphs.is_empty(),
                "{file} {} ({}): no text",
                a.id,
                a.title
            );
            if let Some(f) = furniture_in(a) {
                panic!(
                    "{file} {} ({}): furniture left in the body: {f:?}",
                    a.id, a.title
                );
            }
        }
    }
    // The whole folder at once: 188 + 10 + 336 + 69.
    assert_eq!(load(&dir).articles.len(), 603);
}
