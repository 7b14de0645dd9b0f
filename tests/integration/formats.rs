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

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn nexis_word_file_written_here() {
    let dir = tempfile::tempdir().unwrap();
    let para = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let mut xml = String::from("<w:document xmlns:w=\"x\"><w:body>");
    for l in [
        "Documents (2)",
        "1. Harbour reopens",
        "Sources: The Coast Herald; Content Type: News",
        "",
        "",
        "Harbour reopens",
        "The Coast Herald",
        "March 1, 2026 Sunday",
        "Copyright 2026 The Coast Herald",
        "Length:\u{a0}12 words",
        "Byline:\u{a0}Ann Lee",
        "Body",
        "The harbour reopened on Sunday after the storm &amp; the flood.",
        "Load-Date:\u{a0}March 2, 2026",
        "End of Document",
        "Hafen offen",
        "Der Küstenbote",
        "2. März 2026",
        "Länge:\u{a0}3 Wörter",
        "Body",
        "Der Hafen ist offen.",
        "Ende des Dokuments",
    ] {
        xml.push_str(&para(l));
    }
    xml.push_str("</w:body></w:document>");
    let mut buf = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut buf));
        w.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut w, xml.as_bytes()).unwrap();
        w.finish().unwrap();
    }
    let c = load(&write(dir.path(), "export.docx", &buf));
    assert_eq!(c.articles.len(), 2, "{:?}", c.problems);
    let a = &c.articles[0];
    assert_eq!(
        (a.title.as_str(), a.source.as_str(), a.date.as_deref()),
        ("Harbour reopens", "The Coast Herald", Some("2026-03-01"))
    );
    assert_eq!(a.byline.as_deref(), Some("Ann Lee"));
    assert_eq!(
        a.paragraphs,
        ["The harbour reopened on Sunday after the storm & the flood."]
    );
    assert!(a.removed.iter().any(|r| r.text.starts_with("Load-Date")));
    assert_eq!(c.articles[1].date.as_deref(), Some("2026-03-02"));
    // A zip that is not a Word file: one problem, nothing loaded.
    let c = load(&write(dir.path(), "broken.docx", b"PK\x03\x04broken"));
    assert_eq!((c.articles.len(), c.problems.len()), (0, 1));
}

#[test]
fn csv_tsv_json_envelopes_written_here() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "mc.csv",
        b"stories_id,publish_date,title,url,ap_syndicated,media_name,text\n\
          1,2020-03-01 10:00:00,Harbour reopens,https://h.example/a,False,Coast Herald,\"The harbour reopened, officials said.\"\n\
          2,2020-03-01,,https://h.example/b,False,Coast Herald,\n",
    );
    write(
        dir.path(),
        "atn.tsv",
        b"\tid\ttitle\tpublication\tauthor\tdate\tcontent\n0\t17283\tHouse votes\tNew York Times\tCarl Hulse\t2016-12-31\tThe House voted.\n",
    );
    write(
        dir.path(),
        "newsapi.json",
        br#"{"status":"ok","totalResults":1,"articles":[{"source":{"id":null,"name":"CNN"},"author":"A B","title":"Storm","url":"https://cnn.example/s","publishedAt":"2024-01-01T12:00:00Z","content":"Rain fell."}]}"#,
    );
    write(
        dir.path(),
        "er.json",
        br#"{"articles":{"results":[{"uri":"8","title":"Quake","body":"The ground shook.","dateTimePub":"2024-02-02T08:00:00Z","source":{"uri":"x.example","title":"X News"},"eventUri":"eng-1"}],"page":1}}"#,
    );
    let c = load(dir.path());
    let by = |t: &str| c.articles.iter().find(|a| a.title == t).unwrap();
    assert_eq!(c.articles.len(), 4, "{:?}", c.problems);
    assert_eq!(by("Harbour reopens").source, "Coast Herald");
    assert_eq!(by("Harbour reopens").id, "1");
    assert_eq!(by("House votes").source, "New York Times");
    assert_eq!(by("Storm").source, "CNN");
    assert_eq!(by("Storm").date.as_deref(), Some("2024-01-01T12:00:00Z"));
    assert_eq!(by("Quake").source, "X News");
    assert_eq!(by("Quake").story_key.as_deref(), Some("eng-1"));
    // The empty CSV row is reported once.
    assert_eq!(
        c.problems
            .iter()
            .filter(|p| p.path.ends_with("mc.csv"))
            .count(),
        1
    );
}

#[test]
fn warc_gz_utf16_and_cr_only_written_here() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let record = |uri: &str, http: &str| {
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-03-01T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        )
    };
    let page = "<html><head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1><p>The harbour reopened on Sunday after a storm that had closed it for a week, the port authority said in a statement.</p><p>Boats left at dawn and the ferries ran to time for the first time since the storm.</p></article></body></html>";
    let chunked = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{page}\r\n0\r\n\r\n",
        page.len()
    );
    let warcinfo = "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n";
    // One gzip member per record, as crawlers write them.
    let mut gz = Vec::new();
    for r in [
        warcinfo.to_string(),
        record("https://coast.example/a", &chunked),
    ] {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(r.as_bytes()).unwrap();
        gz.extend(e.finish().unwrap());
    }
    let c = load(&write(dir.path(), "crawl.warc.gz", &gz));
    assert_eq!(c.articles.len(), 1, "{:?}", c.problems);
    let a = &c.articles[0];
    assert_eq!(a.url.as_deref(), Some("https://coast.example/a"));
    assert_eq!(a.source, "coast.example");
    assert!(a.date.is_some());
    assert!(
        a.paragraphs
            .iter()
            .any(|p| p.contains("Boats left at dawn"))
    );
    // UTF-16 with a BOM, and CR-only line ends.
    let mut u16 = vec![0xFF, 0xFE];
    for u in "Hafen offen\n\nDer Hafen ist wieder offen.\n".encode_utf16() {
        u16.extend_from_slice(&u.to_le_bytes());
    }
    let c = load(&write(dir.path(), "utf16.txt", &u16));
    assert_eq!(c.articles.len(), 1, "{:?}", c.problems);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert!(
        c.articles[0]
            .paragraphs
            .iter()
            .any(|p| p.contains("wieder offen"))
    );
    let c = load(&write(
        dir.path(),
        "mac.txt",
        b"Headline here\r\rFirst paragraph.\r\rSecond paragraph.\r",
    ));
    assert_eq!(
        c.articles[0].paragraphs.len(),
        2,
        "{:?}",
        c.articles[0].paragraphs
    );
}
