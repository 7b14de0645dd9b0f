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

fn load_with(path: &Path, opts: &LoadOptions) -> Corpus {
    load_paths(&[path.to_path_buf()], opts, &|_| {})
}

/// The same bytes compressed as gzip, zstd, bzip2 and xz (one member each, or `members`).
fn compressed(bytes: &[u8], members: usize) -> [(&'static str, Vec<u8>); 4] {
    use std::io::Write;
    let mut out: [(&'static str, Vec<u8>); 4] = [
        ("gz", Vec::new()),
        ("zst", Vec::new()),
        ("bz2", Vec::new()),
        ("xz", Vec::new()),
    ];
    for _ in 0..members {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        out[0].1.extend(gz.finish().unwrap());
        out[1].1.extend(ruzstd::encoding::compress_to_vec(
            bytes,
            ruzstd::encoding::CompressionLevel::Fastest,
        ));
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(bytes).unwrap();
        out[2].1.extend(bz.finish().unwrap());
        let mut xz =
            lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
        xz.write_all(bytes).unwrap();
        out[3].1.extend(xz.finish().unwrap());
    }
    out
}

#[test]
fn zst_bz2_xz_any_format_inside_found_by_name_and_by_magic() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = (1..=3)
        .map(|i| format!("{{\"id\":\"r{i}\",\"title\":\"Record {i}\",\"text\":\"The harbour reopened on day {i}.\"}}\n"))
        .collect::<String>();
    let text = b"Harbour reopens\n\nThe harbour reopened on Sunday after the storm.\n";
    for (ext, bytes) in compressed(jsonl.as_bytes(), 2) {
        // Two members (frames, streams): both read, six records.
        let c = load(&write(dir.path(), &format!("a.jsonl.{ext}"), &bytes));
        assert_eq!(c.articles.len(), 6, "{ext}: {:?}", c.problems);
        assert!(c.problems.is_empty(), "{ext}: {:?}", c.problems);
        assert_eq!(c.articles[2].title, "Record 3");
        // Named as plain JSON lines: the magic bytes decide.
        let c = load(&write(dir.path(), &format!("misnamed-{ext}.jsonl"), &bytes));
        assert_eq!(c.articles.len(), 6, "{ext} by magic: {:?}", c.problems);
        // No inner extension: the content decides (JSON lines).
        let c = load(&write(dir.path(), &format!("dump.{ext}"), &bytes));
        assert_eq!(c.articles.len(), 6, "{ext} sniffed: {:?}", c.problems);
    }
    for (ext, bytes) in compressed(text, 1) {
        let c = load(&write(dir.path(), &format!("t.txt.{ext}"), &bytes));
        assert_eq!(c.articles.len(), 1, "{ext}: {:?}", c.problems);
        assert_eq!(c.articles[0].title, "Harbour reopens");
        // Cut short: what was read loads or a problem says why; never a panic or a hang.
        let cut = &bytes[..bytes.len() * 2 / 3];
        let c = load(&write(dir.path(), &format!("cut.txt.{ext}"), cut));
        assert!(
            !c.problems.is_empty(),
            "{ext}: a truncated file loads without a word"
        );
    }
    // A file named .zst that is not compressed is read as it is, and said so.
    let c = load(&write(dir.path(), "plain.txt.zst", text));
    assert_eq!(c.articles.len(), 1);
    assert!(
        c.problems[0]
            .reason
            .contains("named as zstd but not compressed"),
        "{:?}",
        c.problems
    );
}

#[test]
fn compression_bombs_are_capped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = LoadOptions::default();
    opts.limits.gzip_ratio = 50;
    opts.limits.gzip_bytes = 4 << 20;
    // 16 MB of one byte: far past 50 times any of these files' sizes.
    let mut big = b"Title\n\n".to_vec();
    big.resize(16 << 20, b'a');
    for (ext, bytes) in compressed(&big, 1) {
        assert!(bytes.len() * 50 < big.len(), "{ext}: {}", bytes.len());
        let c = load_with(
            &write(dir.path(), &format!("bomb.txt.{ext}"), &bytes),
            &opts,
        );
        assert!(c.articles.is_empty(), "{ext}");
        assert!(
            c.problems
                .iter()
                .any(|p| p.reason.contains("decompresses to more than")),
            "{ext}: {:?}",
            c.problems
        );
    }
    // One endless JSON line, streamed: the record cap or the bomb cap stops it.
    let mut line = b"{\"title\":\"".to_vec();
    line.resize(16 << 20, b'a');
    opts.limits.record_bytes = 1 << 20;
    for (ext, bytes) in compressed(&line, 1) {
        let c = load_with(
            &write(dir.path(), &format!("line.jsonl.{ext}"), &bytes),
            &opts,
        );
        assert!(c.articles.is_empty(), "{ext}");
        assert!(
            c.problems
                .iter()
                .any(|p| p.reason.contains("limit")
                    || p.reason.contains("decompresses to more than")),
            "{ext}: {:?}",
            c.problems
        );
    }
}

#[test]
fn api_envelopes_found_by_content_in_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let envelope = |n: usize, at: &str| {
        let items: Vec<String> = (1..=n)
            .map(|i| format!(r#"{{"title":"{at} story {i}","content":"Text of story {i} from {at}.","source":{{"name":"Wire"}}}}"#))
            .collect();
        format!(
            r#"{{"status":"ok","totalResults":{n},"articles":[{}]}}"#,
            items.join(",")
        )
    };
    write(dir.path(), "saved.txt", envelope(2, "txt").as_bytes());
    // Extension-less, found walking the folder.
    write(dir.path(), "page-2", envelope(3, "bare").as_bytes());
    // An API response per line.
    write(
        dir.path(),
        "pages.jsonl",
        format!("{}\n{}\n", envelope(2, "line1"), envelope(1, "line2")).as_bytes(),
    );
    // A .json file that is really JSON lines (as dataset tools write them).
    write(
        dir.path(),
        "lines.json",
        b"{\"title\":\"L1\",\"text\":\"One.\"}\n{\"title\":\"L2\",\"text\":\"Two.\"}\n",
    );
    // Extension-less plain text met walking: not an article, not a problem.
    write(
        dir.path(),
        "LICENSE",
        b"Permission is hereby granted, free of charge.\n",
    );
    let c = load(dir.path());
    let mut titles: Vec<&str> = c.articles.iter().map(|a| a.title.as_str()).collect();
    titles.sort_unstable();
    assert_eq!(
        titles,
        [
            "L1",
            "L2",
            "bare story 1",
            "bare story 2",
            "bare story 3",
            "line1 story 1",
            "line1 story 2",
            "line2 story 1",
            "txt story 1",
            "txt story 2",
        ],
        "{:?}",
        c.problems
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert!(
        c.articles
            .iter()
            .filter(|a| !a.title.starts_with('L'))
            .all(|a| a.source == "Wire")
    );
    // Envelope records without ids are told apart by line and place.
    let line1: Vec<&str> = c
        .articles
        .iter()
        .filter(|a| a.title.starts_with("line1"))
        .map(|a| a.key.record.as_str())
        .collect();
    assert_eq!(line1.len(), 2);
    assert_ne!(line1[0], line1[1]);
    // Given by name, an extension-less text file is an article.
    let c = load(&dir.path().join("LICENSE"));
    assert_eq!(c.articles.len(), 1, "{:?}", c.problems);
    // Given by name with an extension stet does not know, only a structured format is read.
    let c = load(&write(
        dir.path(),
        "data.xml",
        b"<root><item>x</item></root>\n",
    ));
    assert!(c.articles.is_empty());
    assert!(c.problems[0].reason.starts_with("unsupported file type"));
    let c = load(&write(
        dir.path(),
        "api.response",
        envelope(1, "resp").as_bytes(),
    ));
    assert_eq!(c.articles.len(), 1, "{:?}", c.problems);
    // A text file that only starts like JSON stays text.
    let c = load(&write(
        dir.path(),
        "note.txt",
        b"[Updated] Harbour reopens\n\nThe harbour reopened.\n",
    ));
    assert_eq!(c.articles.len(), 1);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
}

/// An old LexisNexis export saved as RTF: Word's furniture, code page escapes, `\u` characters.
const LEXISNEXIS_RTF: &str = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset238 Arial CE;}}
{\colortbl;\red0\green0\blue0;}{\stylesheet{\s0\f0\fs24 Normal;}}
{\info{\title Lexis Download}{\author user}}{\*\generator Microsoft Word 11.0;}
\pard\plain\qc 1 of 2 DOCUMENTS\par\par
\qc The Coast Herald\par\par
January 11, 2010 Monday\par
Edition 1;\par\par
\ql Harbour reopens after the\par
storm\par\par
BYLINE: Ann Lee\par\par
SECTION: NEWS; Pg. 3\par\par
LENGTH: 355 words\par\par
The harbour reopened on Sunday after the storm that closed it for a week, the port\par
authority said. Caf\'e9 owners cheered \ldblquote at last\rdblquote .\par\par
Boats left at dawn; {\f1 \'8aibenik} sent two.\par\par
LOAD-DATE: January 11, 2010\par\par
LANGUAGE: ENGLISH\par\par
\qc Copyright 2010 The Coast Herald\par
All Rights Reserved\par\par
\page
\qc Dokument 2 von 2\par\par
Der K\u252?stenbote\par\par
12. Januar 2010\par\par
\ql Hafen wieder offen\par\par
L\'c4NGE: 40 W\'f6rter\par\par
Der Hafen ist wieder offen.\par\par
SPRACHE: DEUTSCH\par
}";

/// A Factiva download saved as RTF: one article without field codes, one with them (in a table,
/// as Factiva writes them), then the search summary.
const FACTIVA_RTF: &str = r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}
{\pard\sb240 Business\par}
{\pard\b Harbour reopens after the storm\b0\par}
{\pard Ann Lee\par}
{\pard 120 words\par}
{\pard 29 December 2011\par}
{\pard 15:32\par}
{\pard The Coast Herald\par}
{\pard COAST\par}
{\pard English\par}
{\pard (c) 2011 Coast Herald Ltd. All rights reserved.\par}
\par
{\pard The harbour reopened on Sunday after the storm that closed it for a week.\par}
\par
{\pard Boats left at dawn and the ferries ran to time.\par}
\par
{\pard License this article from Dow Jones Reprint Service\par}
{\pard Document COAST00020111229e7ct0001r\par}
\par
\trowd\cellx1000\cellx9000 HD\cell Quake shakes the coast\cell\row
\trowd\cellx1000\cellx9000 BY\cell Bo Wu\cell\row
\trowd\cellx1000\cellx9000 WC\cell 50 words\cell\row
\trowd\cellx1000\cellx9000 PD\cell 30 December 2011\cell\row
\trowd\cellx1000\cellx9000 SN\cell The Coast Herald\cell\row
\trowd\cellx1000\cellx9000 LA\cell English\cell\row
\trowd\cellx1000\cellx9000 CY\cell (c) 2011 Coast Herald Ltd.\cell\row
\trowd\cellx1000\cellx9000 LP\cell The ground shook at noon.\par Nobody was hurt.\cell\row
\trowd\cellx1000\cellx9000 TD\cell Schools reopened the next day.\cell\row
\trowd\cellx1000\cellx9000 AN\cell Document COAST00020111230e7cu0002x\cell\row
\par
{\pard Search Summary\par}
{\pard Text\tab harbour or quake\par}
{\pard Date\tab All Dates\par}
}";

#[test]
fn rtf_exports_written_here() {
    let dir = tempfile::tempdir().unwrap();
    // Old LexisNexis downloads were RTF named .doc.
    let c = load(&write(dir.path(), "lexis.doc", LEXISNEXIS_RTF.as_bytes()));
    assert_eq!(c.articles.len(), 2, "{:?}", c.problems);
    let a = &c.articles[0];
    assert_eq!(
        (a.title.as_str(), a.source.as_str(), a.date.as_deref()),
        (
            "Harbour reopens after the storm",
            "The Coast Herald",
            Some("2010-01-11")
        )
    );
    assert_eq!(a.byline.as_deref(), Some("Ann Lee"));
    let body = a.paragraphs.join("\n");
    assert!(body.contains("Café owners cheered “at last”"), "{body}");
    assert!(body.contains("Šibenik sent two."), "{body}");
    assert!(furniture_in(a).is_none(), "{:?}", a.paragraphs);
    assert!(!body.contains("Times New Roman") && !body.contains("Lexis Download"));
    let b = &c.articles[1];
    assert_eq!(
        (b.title.as_str(), b.source.as_str()),
        ("Hafen wieder offen", "Der Küstenbote")
    );
    assert_eq!(b.paragraphs, ["Der Hafen ist wieder offen."]);

    let c = load(&write(dir.path(), "factiva.rtf", FACTIVA_RTF.as_bytes()));
    assert_eq!(c.articles.len(), 2, "{:?}", c.problems);
    let a = &c.articles[0];
    assert_eq!(a.title, "Harbour reopens after the storm");
    assert_eq!(a.byline.as_deref(), Some("Ann Lee"));
    assert_eq!(a.source, "The Coast Herald");
    assert_eq!(a.date.as_deref(), Some("2011-12-29T15:32:00"));
    assert_eq!(a.id, "COAST00020111229e7ct0001r");
    assert_eq!(
        a.paragraphs,
        [
            "The harbour reopened on Sunday after the storm that closed it for a week.",
            "Boats left at dawn and the ferries ran to time."
        ]
    );
    let b = &c.articles[1];
    assert_eq!(b.title, "Quake shakes the coast");
    assert_eq!(b.byline.as_deref(), Some("Bo Wu"));
    assert_eq!(b.source, "The Coast Herald");
    assert_eq!(b.date.as_deref(), Some("2011-12-30"));
    assert_eq!(b.id, "COAST00020111230e7cu0002x");
    assert_eq!(
        b.paragraphs,
        [
            "The ground shook at noon.",
            "Nobody was hurt.",
            "Schools reopened the next day."
        ]
    );
    for a in &c.articles {
        assert!(furniture_in(a).is_none(), "{:?}", a.paragraphs);
    }
    // Any other RTF file is one article; an old binary .doc is refused with a reason.
    let c = load(&write(
        dir.path(),
        "letter.rtf",
        br"{\rtf1\ansi Harbour reopens\par\par The harbour reopened on Sunday.\par}",
    ));
    assert_eq!(c.articles.len(), 1, "{:?}", c.problems);
    assert_eq!(c.articles[0].title, "Harbour reopens");
    let c = load(&write(
        dir.path(),
        "old.doc",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1binary",
    ));
    assert!(c.articles.is_empty());
    assert!(c.problems[0].reason.contains("old binary Word file"));
    // RTF found by content in a .txt, and compressed.
    let [_, (_, zst), _, _] = compressed(LEXISNEXIS_RTF.as_bytes(), 1);
    let c = load(&write(dir.path(), "lexis.txt.zst", &zst));
    assert_eq!(c.articles.len(), 2, "{:?}", c.problems);
}

#[test]
fn export_keywords_from_the_config_file() {
    let home = tempfile::tempdir().unwrap();
    let export = "1 di 2 DOCUMENTI\n\nIl Corriere\n\n11 gennaio 2010\n\nPorto riaperto\n\nLUNGHEZZA: 40 parole\n\nIl porto ha riaperto domenica.\n\nLINGUA: ITALIANO\n\n2 di 2 DOCUMENTI\n\nIl Corriere\n\n12 gennaio 2010\n\nTraghetti in orario\n\nLUNGHEZZA: 20 parole\n\nI traghetti sono partiti.\n\nLINGUA: ITALIANO\n";
    let file = write(home.path(), "export.txt", export.as_bytes());
    let file = file.to_str().unwrap();
    let articles = |home: &Path| {
        let out = crate::cli_support::stet_in(home, &["articles", "--json", file])
            .output()
            .unwrap();
        (
            out.status.success(),
            crate::cli_support::json(&out).as_array().unwrap().len(),
        )
    };
    // Without the Italian words: one article.
    assert_eq!(articles(home.path()), (true, 1));
    let config = home.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[formats.keywords]\ndocuments = \"DOCUMENTI\"\nafter_text = [\"LINGUA\"]\nlength = \"Lunghezza\"\n",
    )
    .unwrap();
    assert_eq!(articles(home.path()), (true, 2));
    // A mistake is reported with its line, and the command stops.
    std::fs::write(
        config.join("config.toml"),
        "[formats.keywords]\ndocuments = \"DOCUMENTI\"\nending = \"Fine\"\n",
    )
    .unwrap();
    let out = crate::cli_support::stet_in(home.path(), &["articles", file])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("config.toml:3: unknown keyword kind `formats.keywords.ending`"),
        "{stderr}"
    );
}

/// A Parquet fixture (written by pyarrow: scripts/make-parquet-fixtures.py).
fn parquet_fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/parquet")
            .join(format!("{name}.parquet")),
    )
    .unwrap()
}

#[test]
fn parquet_by_name_by_magic_compressed_and_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let cc = parquet_fixture("cc_news");
    write(dir.path(), "cc.parquet", &cc);
    // No extension: found by its magic walking the folder.
    write(dir.path(), "nested", &parquet_fixture("nested"));
    // Compressed whole (read into memory, then as Parquet).
    let [(_, gz), (_, zst), ..] = compressed(&cc, 1);
    write(dir.path(), "cc2.parquet.gz", &gz);
    write(dir.path(), "cc3.zst", &zst);
    // Damaged: cut short, and a text file that only starts like one.
    write(dir.path(), "cut.parquet", &cc[..cc.len() / 2]);
    write(
        dir.path(),
        "fake.parquet",
        b"PAR1 is the start of this note, nothing more",
    );
    let c = load(dir.path());
    let from = |f: &str| c.articles.iter().filter(|a| a.path.ends_with(f)).count();
    assert_eq!(from("cc.parquet"), 3, "{:?}", c.problems);
    assert_eq!(from("nested"), 3, "{:?}", c.problems);
    assert_eq!(from("cc2.parquet.gz"), 3, "{:?}", c.problems);
    assert_eq!(from("cc3.zst"), 3, "{:?}", c.problems);
    assert_eq!(c.articles.len(), 12);
    let said = |f: &str| -> Vec<&str> {
        c.problems
            .iter()
            .filter(|p| p.path.ends_with(f))
            .map(|p| p.reason.as_str())
            .collect()
    };
    assert_eq!(said("cut.parquet").len(), 1);
    assert!(
        said("cut.parquet")[0].contains("truncated"),
        "{:?}",
        said("cut.parquet")
    );
    assert_eq!(said("fake.parquet").len(), 1);
    assert!(said("fake.parquet")[0].contains("not a Parquet file"));
    // The row without text and the row without anything, once each per file.
    assert_eq!(said("cc.parquet").len(), 2, "{:?}", said("cc.parquet"));
    let nested = c
        .articles
        .iter()
        .find(|a| a.title == "Dam inspection finds cracks")
        .unwrap();
    assert_eq!(nested.source, "Daily Valley");
    assert_eq!(nested.byline.as_deref(), Some("Ann Lee, Bo Wu"));
    // A record is found as FILE:ROW, as a CSV record by FILE:LINE.
    let i = c.find("cc.parquet:2").unwrap();
    assert_eq!(c.articles[i].title, "Council approves new library");
}

#[test]
fn parquet_cli_articles_json() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "cc.parquet", &parquet_fixture("cc_news"));
    let out = crate::cli_support::stet_in(dir.path(), &["articles", "--json", f.to_str().unwrap()])
        .output()
        .unwrap();
    let v = crate::cli_support::json(&out);
    let arts = v.as_array().unwrap();
    assert_eq!(arts.len(), 3);
    assert_eq!(arts[0]["title"], "Harbour reopens after storm");
    assert_eq!(arts[0]["source"], "coastherald.example");
    assert_eq!(arts[0]["date"], "2017-12-01T19:39:40");
    assert_eq!(arts[1]["title"], "Council approves new library");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cc.parquet:4: row has neither a title nor a text"),
        "{stderr}"
    );
    // Without the zstd codec built in, a zstd file says how to get it.
    let z = write(dir.path(), "z.parquet", &parquet_fixture("zstd"));
    let out = crate::cli_support::stet_in(dir.path(), &["articles", "--json", z.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if cfg!(feature = "parquet-zstd") {
        assert_eq!(crate::cli_support::json(&out).as_array().unwrap().len(), 2);
    } else {
        assert!(
            stderr.contains("cargo build --release --features parquet-zstd"),
            "{stderr}"
        );
    }
}

/// The rows of a Parquet file, by its footer.
fn parquet_rows(path: &Path) -> usize {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let r = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    usize::try_from(r.metadata().file_metadata().num_rows()).unwrap()
}

#[test]
fn shared_parquet_files_load_one_article_per_row() {
    let Some(dir) = shared_formats() else { return };
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                files.push(p);
            }
        }
    }
    if files.is_empty() {
        eprintln!("skipped: no Parquet file in ../shared/data/formats");
        return;
    }
    for f in files {
        let c = load(&f);
        assert_eq!(
            c.articles.len(),
            parquet_rows(&f),
            "{}: {:?}",
            f.display(),
            c.problems
        );
        for a in &c.articles {
            assert!(
                !a.title.trim().is_empty(),
                "{}: {} has no headline",
                f.display(),
                a.id
            );
            assert!(
                a.timestamp.is_some(),
                "{}: {} has no date",
                f.display(),
                a.id
            );
            assert!(
                !a.source.trim().is_empty(),
                "{}: {} has no source",
                f.display(),
                a.id
            );
        }
    }
}
