//! Hostile-input property tests ("fuzz targets") for every parser and every pure stage that
//! meets scraped text: the loaders, the cleaner, the segmenter, the aligner, re-anchoring, the
//! annotation log reader and the config parser.
//!
//! cargo-fuzz needs a nightly toolchain, which cannot be installed on this machine, so these are
//! proptest properties. `cargo test` runs a small number of cases per target (a few seconds in
//! all). Long runs:
//!
//! - `STET_FUZZ_CASES=N` (or `PROPTEST_CASES=N`): cases per batch (default 64).
//! - `STET_FUZZ_SECONDS=S`: keep running batches with fresh seeds for `S` seconds per target.
//! - `STET_FUZZ_SEED=N`: the first seed (default fixed, so plain `cargo test` is deterministic).
//!
//! `scripts/fuzz-long.sh MINUTES` runs every target in turn. A failure prints the target, the
//! seed and the shrunk input; each one found becomes a regression test at the end of this file.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed, TestCaseError, TestRunner};

use stet::annotate::model::{Annotation, Granularity, Target, Timestamp};
use stet::annotate::set::LogRecord;
use stet::annotate::{AnnotationStore, anchor_in};
use stet::compare::segment::{segment, sentence_spans};
use stet::compare::{OpKind, compare};
use stet::config::Config;
use stet::corpus::clean::{KnownMeta, clean};
use stet::corpus::load::{FileContext, FileKind, LoadOptions, load_bytes};

fn env_u64(names: &[&str]) -> Option<u64> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok().and_then(|v| v.trim().parse().ok()))
}

/// Runs `test` on values of `strategy`: one batch by default, batches with new seeds for
/// `STET_FUZZ_SECONDS` when set. Panics (with seed and shrunk input) on the first failure.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let cases = u32::try_from(env_u64(&["STET_FUZZ_CASES", "PROPTEST_CASES"]).unwrap_or(64))
        .unwrap_or(u32::MAX);
    let seconds = env_u64(&["STET_FUZZ_SECONDS"]);
    let first_seed = env_u64(&["STET_FUZZ_SEED"]).unwrap_or(0x5737_2026);
    let start = Instant::now();
    let mut total = 0u64;
    let mut batch = 0u64;
    loop {
        let seed = first_seed.wrapping_add(batch);
        let config = ProptestConfig {
            cases,
            rng_seed: RngSeed::Fixed(seed),
            failure_persistence: None,
            max_shrink_time: 60_000,
            ..ProptestConfig::default()
        };
        let mut runner = TestRunner::new(config);
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("fuzz target {name}: seed {seed} failed after {total} earlier cases: {e}");
        }
        total += u64::from(cases);
        batch += 1;
        match seconds {
            Some(s) if start.elapsed() < Duration::from_secs(s) => {}
            _ => break,
        }
    }
    if seconds.is_some() {
        eprintln!(
            "fuzz target {name}: {total} cases in {:.1} s, clean",
            start.elapsed().as_secs_f64()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Generators of hostile text

/// Pieces that scraped text and attackers put into articles.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z]{1,9}".prop_map(|s| s),
        2 => Just(" ".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\n\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => prop::sample::select(vec![
            ".", ",", "!", "?", "...", "…", "\"", "“", "”", "‘", "’", "'", "-", "—", "–", "(", ")",
            ":", ";", "Mr.", "U.S.", "e.g.", "3.5", "1,000", "Dec. 17", "Reuters", "MOSCOW (Reuters) -",
            "\t", "    ", "\u{a0}", "\u{200b}", "\u{feff}", "\u{00ad}", "é", "ß", "İ", "ﬁ", "Σ", "日本語",
            "👍🏽", "👨‍👩‍👧", "e\u{301}", "\u{0}", "\u{7f}", "\u{1b}", "\u{1b}[31m", "\u{1b}[2J",
            "\u{1b}]52;c;SGVsbG8=\u{7}", "\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\",
            "\u{1b}]0;title\u{7}", "\u{7}", "\u{8}", "\u{85}", "\u{9b}31m", "\u{9d}", "\u{202e}",
            "\u{2066}", "\u{2028}", "\u{2029}", "<p>", "</p>", "<br>", "<script>", "&amp;", "&#0;",
            "&#x1F600;", "{", "}", "[", "]", "\\", "\\u0000", "\\ud800", "Post a Comment",
            "Advertisement", "Share this", "By JOHN SMITH", "Page 3", "Updated 12:01 GMT",
        ])
        .prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

/// Text made of hostile pieces, up to `max` pieces long.
fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_piece(), 0..max).prop_map(|v| v.concat())
}

/// Either hostile prose or any string at all.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![3 => hostile_text(max), 1 => any::<String>()]
}

/// Paragraphs for the comparison: mostly built from a small vocabulary, so the two sides share
/// sentences and the aligner has real work.
fn paragraphs() -> impl Strategy<Value = Vec<String>> {
    let sentence = prop_oneof![
        3 => prop::collection::vec(
            prop::sample::select(vec![
                "the", "minister", "said", "on", "Tuesday", "that", "talks", "would", "resume",
                "police", "Mr.", "Smith", "3.5", "percent", "\"quoted\"", "“curly”", "—", "Moscow",
            ]),
            1..14,
        )
        .prop_map(|w| format!("{}.", w.join(" "))),
        1 => hostile_text(12),
    ];
    prop::collection::vec(
        prop::collection::vec(sentence, 0..5).prop_map(|s| s.join(" ")),
        0..6,
    )
}

static SHOWN: std::sync::LazyLock<std::sync::Arc<str>> =
    std::sync::LazyLock::new(|| "fuzz/input.file".into());

fn ctx(opts: &LoadOptions) -> FileContext<'_> {
    FileContext {
        shown: "fuzz/input.file",
        path: &SHOWN,
        rel: "input.file",
        folder: "fuzz",
        opts,
    }
}

/// Bytes for a loader of `kind`: arbitrary bytes, hostile text, or documents shaped like the
/// format with hostile values.
fn loader_bytes(kind: FileKind) -> BoxedStrategy<Vec<u8>> {
    let raw = prop::collection::vec(any::<u8>(), 0..1500);
    let text = any_text(80).prop_map(String::into_bytes);
    let shaped: BoxedStrategy<Vec<u8>> = match kind {
        FileKind::Json | FileKind::JsonLines => {
            let value = prop_oneof![
                any_text(20).prop_map(serde_json::Value::String),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<f64>().prop_map(|f| serde_json::json!(f)),
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::Bool),
                prop::collection::vec(any_text(5), 0..3).prop_map(|v| serde_json::json!(v)),
            ];
            let key = prop::sample::select(vec![
                "title",
                "body",
                "text",
                "content",
                "date",
                "published",
                "url",
                "source",
                "id",
                "dateline",
                "headline",
                "author",
                "",
                "\u{0}",
                "byline",
            ]);
            let object = prop::collection::btree_map(key, value, 0..7).prop_map(|m| {
                serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            });
            let docs = prop::collection::vec(object, 0..6);
            let cut = any::<prop::sample::Index>();
            let jsonl = kind == FileKind::JsonLines;
            (docs, cut, any::<bool>())
                .prop_map(move |(docs, cut, truncate)| {
                    let mut out = if jsonl {
                        docs.iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join("\n")
                            .into_bytes()
                    } else if docs.len() == 1 {
                        docs[0].to_string().into_bytes()
                    } else {
                        serde_json::Value::Array(docs).to_string().into_bytes()
                    };
                    if truncate && !out.is_empty() {
                        out.truncate(cut.index(out.len()));
                    }
                    out
                })
                .boxed()
        }
        FileKind::Html => {
            let tag = prop::sample::select(vec![
                "<html>",
                "<head>",
                "<title>",
                "</title>",
                "<body>",
                "<article>",
                "</article>",
                "<p>",
                "</p>",
                "<div class=\"content\">",
                "</div>",
                "<script>",
                "</script>",
                "<style>",
                "</style>",
                "<meta property=\"og:title\" content=\"",
                "\">",
                "<h1>",
                "</h1>",
                "<nav>",
                "</nav>",
                "<!--",
                "-->",
                "<![CDATA[",
                "<br/>",
                "<",
                ">",
                "&",
                "&nbsp;",
                "&#x0;",
                "&#99999999;",
                "<time datetime=\"2015-12-17\">",
            ])
            .prop_map(str::to_string);
            prop::collection::vec(prop_oneof![tag, hostile_piece()], 0..120)
                .prop_map(|v| v.concat().into_bytes())
                .boxed()
        }
        FileKind::Text => prop_oneof![
            hostile_text(150).prop_map(String::into_bytes),
            export_lines(NEXIS_LINES, 80, "\n").prop_map(String::into_bytes),
            export_lines(LEXISNEXIS_LINES, 80, "\r\n").prop_map(String::into_bytes),
        ]
        .boxed(),
        FileKind::Docx => (export_lines(NEXIS_LINES, 60, "\n"), any::<bool>())
            .prop_map(|(text, as_xml)| docx_of(&text, as_xml))
            .boxed(),
        FileKind::Csv | FileKind::Tsv => {
            let sep = if kind == FileKind::Tsv { "\t" } else { "," };
            let cell = prop_oneof![
                hostile_text(6),
                prop::sample::select(vec!["\"", "\"\"", "\n", "\r\n", ",", "\t", "title", "text"])
                    .prop_map(str::to_string),
            ];
            let header = prop::sample::select(vec![
                "title",
                "text",
                "content",
                "publish_date",
                "media_name",
                "stories_id",
                "",
                "x",
                "source.name",
                "url",
            ]);
            (
                prop::collection::vec(header, 0..6),
                prop::collection::vec(prop::collection::vec(cell, 0..7), 0..8),
            )
                .prop_map(move |(h, rows)| {
                    let mut out = h.join(sep);
                    for r in rows {
                        out.push('\n');
                        out.push_str(&r.join(sep));
                    }
                    out.into_bytes()
                })
                .boxed()
        }
        FileKind::Warc => prop::collection::vec(warc_record(), 0..5)
            .prop_map(|v| v.concat())
            .boxed(),
        FileKind::Rtf => rtf_document().boxed(),
        FileKind::Parquet => parquet_file().boxed(),
        // Anything a file without an extension may hold: JSON, JSON lines, RTF, WARC, Parquet.
        FileKind::Sniff => prop_oneof![
            loader_bytes(FileKind::Json),
            loader_bytes(FileKind::JsonLines),
            rtf_document(),
            loader_bytes(FileKind::Warc),
            parquet_file(),
        ]
        .boxed(),
    };
    prop_oneof![1 => raw, 1 => text, 2 => shaped].boxed()
}

/// Lines of a Nexis Uni export, for shaped inputs.
const NEXIS_LINES: &[&str] = &[
    "End of Document",
    "Body",
    "Length:\u{a0}120 words",
    "Byline:\u{a0}Ann Lee",
    "Section:\u{a0}NEWS; Version:3",
    "Load-Date:\u{a0}March 2, 2026",
    "Classification",
    "Graphic",
    "March 1, 2026 Sunday 10:36 EST",
    "Copyright 2026 The Coast Herald",
    "Documents (2)",
    "1. Headline",
    "https://h.example/a",
    "",
    "",
];

/// Lines of an old LexisNexis export, for shaped inputs.
const LEXISNEXIS_LINES: &[&str] = &[
    "                1 of 2 DOCUMENTS",
    "Dokument 2 von 2",
    "                 The Coast Herald",
    "           January 11, 2010 Monday",
    "BYLINE: Ann Lee",
    "LENGTH: 355 words",
    "LOAD-DATE: January 11, 2010",
    "LANGUAGE: ENGLISH",
    "           Copyright 2010 The Coast Herald",
    "SECTION:",
    "",
    "",
];

/// Marker lines mixed with hostile text, joined with `eol`.
fn export_lines(
    markers: &'static [&'static str],
    max: usize,
    eol: &'static str,
) -> impl Strategy<Value = String> {
    let line = prop_oneof![
        2 => prop::sample::select(markers).prop_map(str::to_string),
        1 => hostile_text(6),
    ];
    prop::collection::vec(line, 0..max).prop_map(move |v| v.join(eol))
}

/// A Word file holding `text` (each line a paragraph, hostile characters escaped), or a zip
/// whose document.xml is the text as it is (broken XML).
fn docx_of(text: &str, as_xml: bool) -> Vec<u8> {
    let xml = if as_xml {
        let mut x = String::from("<w:document><w:body>");
        for l in text.lines() {
            let esc = l
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace(|c: char| c.is_control() && c != '\t', "");
            x.push_str(&format!("<w:p><w:r><w:t>{esc}</w:t><w:br/></w:r></w:p>"));
        }
        x.push_str("</w:body></w:document>");
        x
    } else {
        text.to_string()
    };
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
    buf
}

/// One WARC record with hostile pieces: right or wrong lengths, chunked or plain bodies.
fn warc_record() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec!["response", "request", "warcinfo", "resource"]),
        hostile_text(30),
        any::<bool>(),
        prop::option::of(0usize..400),
        prop::sample::select(vec!["text/html", "image/png", ""]),
    )
        .prop_map(|(kind, body, chunked, wrong_len, ctype)| {
            let page = format!("<html><body><h1>T</h1><p>{body}</p></body></html>");
            let http = if chunked {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{page}\r\n0\r\n\r\n",
                    page.len()
                )
            } else {
                format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n{page}")
            };
            let len = wrong_len.unwrap_or(http.len());
            format!(
                "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://h.example/a\r\nWARC-Date: 2026-03-01T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {len}\r\n\r\n{http}\r\n\r\n"
            )
            .into_bytes()
        })
}

/// Pieces of RTF: control words and symbols (destinations, code pages, `\u` with fallbacks,
/// `\bin`), braces in any balance, export marker lines, hostile text.
fn rtf_document() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "{", "}", "{\\*\\generator x;}", "{\\fonttbl{\\f0\\fcharset204 A;}{\\f1\\fcharset128 B;}}",
            "\\f0 ", "\\f1 ", "\\f99 ", "{\\info{\\title T}}", "{\\pict 0a0b}", "\\ansicpg932 ",
            "\\ansicpg1251", "\\ansicpg65001", "\\ansicpg-5", "\\uc0", "\\uc2 ", "\\uc99999999999",
            "\\u8364?", "\\u-10179?\\u-8704?", "\\u-10179?", "\\u-8704 ", "\\u99999999999999",
            "\\'e9", "\\'82\\'a0", "\\'8", "\\'zz", "\\", "\\par ", "\\par\\par ", "\\line",
            "\\tab", "\\cell", "\\row", "\\trowd", "\\page", "\\bin4 \u{0}\u{1}{}", "\\bin999999999",
            "\\bin-3", "\\v ", "\\v0 ", "\\plain", "\\~", "\\-", "\\_", "\\{", "\\}", "\\\\",
            "\\ldblquote ", "\\emdash ", "\\abcdefghijklmnopqrstuvwxyzabcdefghijklmnop",
            "\\fldinst", "{\\field{\\*\\fldinst HYPERLINK}{\\fldrslt x}}", "\\header ", "\\footnote ",
            "1 of 2 DOCUMENTS\\par ", "LENGTH: 12 words\\par ", "LOAD-DATE: May 1, 2020\\par ",
            "End of Document\\par ", "HD\\cell Headline\\cell\\row ", "LP\\cell ",
            "120 words\\par ", "29 December 2011\\par ", "Document COAST00020111229e7ct0001r\\par ",
            "AN\\cell Document NYTF000020050403d11300001\\cell\\row ",
        ])
        .prop_map(str::to_string),
        2 => hostile_piece(),
    ];
    (any::<bool>(), prop::collection::vec(piece, 0..120))
        .prop_map(|(header, v)| {
            let body = v.concat();
            if header {
                format!("{{\\rtf1\\ansi\\deff0 {body}}}").into_bytes()
            } else {
                body.into_bytes()
            }
        })
        .boxed()
}

/// A Factiva page with hostile values in its blocks and field codes.
fn factiva_page() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "<div class=\"article enArticle\">",
            "</div>",
            "<div id=\"hd\"><span class=\"enHeadline\">",
            "</span>",
            "<div>877 words</div>",
            "<div>9 Januar 1993</div>",
            "<div class=\"author\">",
            "<p class=\"articleParagraph\">",
            "</p>",
            "<p>Document NYTF0001</p>",
            "<table><tr><td class=\"index\"><b>HD</b></td><td>",
            "<tr><td class=\"index\"><b>LP</b></td><td>",
            "<tr><td class=\"index\"><b>PD</b></td><td>",
            "<tr><td class=\"index\"><b>ET</b></td><td>15:32",
            "</td></tr>",
            "</table>",
        ])
        .prop_map(str::to_string),
        hostile_piece(),
    ];
    prop::collection::vec(piece, 0..100).prop_map(|v| {
        format!("<html><body><h1>Factiva</h1>{}</body></html>", v.concat()).into_bytes()
    })
}

fn check_load(kind: FileKind, bytes: &[u8]) -> Result<(), TestCaseError> {
    let opts = LoadOptions::default();
    let out = load_bytes(&ctx(&opts), kind, bytes);
    for p in &out.problems {
        prop_assert_eq!(&p.path, "fuzz/input.file");
        prop_assert!(!p.reason.is_empty());
    }
    for a in &out.articles {
        prop_assert!(!a.id.is_empty(), "article without id: {a:?}");
    }
    Ok(())
}

#[test]
fn fuzz_load_text() {
    fuzz("load_text", loader_bytes(FileKind::Text), |b| {
        check_load(FileKind::Text, &b)
    });
}

#[test]
fn fuzz_load_json() {
    fuzz("load_json", loader_bytes(FileKind::Json), |b| {
        check_load(FileKind::Json, &b)
    });
}

#[test]
fn fuzz_load_jsonl() {
    fuzz("load_jsonl", loader_bytes(FileKind::JsonLines), |b| {
        check_load(FileKind::JsonLines, &b)
    });
}

#[test]
fn fuzz_load_html() {
    fuzz("load_html", loader_bytes(FileKind::Html), |b| {
        check_load(FileKind::Html, &b)
    });
}

#[test]
fn fuzz_load_docx() {
    fuzz("load_docx", loader_bytes(FileKind::Docx), |b| {
        check_load(FileKind::Docx, &b)
    });
}

#[test]
fn fuzz_load_exports_text() {
    let kind = FileKind::Text;
    fuzz(
        "load_exports_text",
        prop_oneof![
            export_lines(NEXIS_LINES, 120, "\n"),
            export_lines(LEXISNEXIS_LINES, 120, "\r\n"),
            export_lines(LEXISNEXIS_LINES, 120, "\r"),
        ],
        |t| check_load(kind, t.as_bytes()),
    );
}

#[test]
fn fuzz_load_factiva() {
    fuzz("load_factiva", factiva_page(), |b| {
        check_load(FileKind::Html, &b)
    });
}

#[test]
fn fuzz_load_csv() {
    fuzz("load_csv", loader_bytes(FileKind::Csv), |b| {
        check_load(FileKind::Csv, &b)
    });
    fuzz("load_tsv", loader_bytes(FileKind::Tsv), |b| {
        check_load(FileKind::Tsv, &b)
    });
}

#[test]
fn fuzz_load_rtf() {
    fuzz("load_rtf", loader_bytes(FileKind::Rtf), |b| {
        check_load(FileKind::Rtf, &b)?;
        // RTF found by content in a text file.
        check_load(FileKind::Text, &b)
    });
}

#[test]
fn fuzz_load_sniffed() {
    fuzz("load_sniffed", loader_bytes(FileKind::Sniff), |b| {
        check_load(FileKind::Sniff, &b)?;
        // JSON (an API envelope, JSON lines) found by content in a text file.
        check_load(FileKind::Text, &b)
    });
}

#[test]
fn fuzz_load_warc() {
    fuzz("load_warc", loader_bytes(FileKind::Warc), |b| {
        check_load(FileKind::Warc, &b)
    });
}

/// A row of [`parquet_of`]: title, text, date, authors.
type ParquetRow = (Option<String>, Option<String>, Option<String>, Vec<String>);

/// A Parquet file written here (the parquet crate's own writer): `rows` of title, text, date
/// and a list of authors, hostile values included, in row groups of `per_group` rows, with
/// one of the codecs stet reads.
fn parquet_of(rows: &[ParquetRow], per_group: usize, codec: u8) -> Vec<u8> {
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    let schema = std::sync::Arc::new(
        parquet::schema::parser::parse_message_type(
            "message m { optional binary title (UTF8); optional binary text (UTF8); \
             optional binary date (UTF8); optional group authors (LIST) { \
             repeated group list { optional binary element (UTF8); } } }",
        )
        .unwrap(),
    );
    let codec = [
        Compression::UNCOMPRESSED,
        Compression::SNAPPY,
        Compression::GZIP(Default::default()),
        Compression::LZ4_RAW,
    ][usize::from(codec % 4)];
    let props = std::sync::Arc::new(
        WriterProperties::builder()
            .set_compression(codec)
            .set_dictionary_enabled(per_group.is_multiple_of(2))
            .build(),
    );
    let mut w = SerializedFileWriter::new(Vec::new(), schema, props).unwrap();
    for group in rows.chunks(per_group.max(1)) {
        let mut rg = w.next_row_group().unwrap();
        let mut i = 0;
        while let Some(mut col) = rg.next_column().unwrap() {
            let (mut values, mut def, mut rep) = (Vec::new(), Vec::new(), Vec::new());
            for row in group {
                if i < 3 {
                    let cell = [&row.0, &row.1, &row.2][i];
                    match cell {
                        Some(v) => {
                            values.push(ByteArray::from(v.as_str()));
                            def.push(1);
                        }
                        None => def.push(0),
                    }
                } else if row.3.is_empty() {
                    def.push(1);
                    rep.push(0);
                } else {
                    for (k, a) in row.3.iter().enumerate() {
                        values.push(ByteArray::from(a.as_str()));
                        def.push(3);
                        rep.push(i16::from(k > 0));
                    }
                }
            }
            let rep = (i == 3).then_some(&rep[..]);
            col.typed::<ByteArrayType>()
                .write_batch(&values, Some(&def[..]), rep)
                .unwrap();
            col.close().unwrap();
            i += 1;
        }
        rg.close().unwrap();
    }
    w.into_inner().unwrap()
}

/// A Parquet file: written here with hostile values, or a pyarrow fixture; then damaged
/// (bytes flipped, cut, bytes spliced in) or not.
fn parquet_file() -> impl Strategy<Value = Vec<u8>> {
    let row = (
        prop::option::of(hostile_text(40)),
        prop::option::of(hostile_text(40)),
        prop::option::of(prop_oneof![
            Just("2024-01-02".to_string()),
            Just("Tue, 16 Dec 2015 10:05:00 GMT".to_string()),
            hostile_text(10),
        ]),
        prop::collection::vec(hostile_text(8), 0..3),
    );
    let written = (prop::collection::vec(row, 0..12), 1usize..6, any::<u8>())
        .prop_map(|(rows, per, codec): (Vec<ParquetRow>, usize, u8)| parquet_of(&rows, per, codec));
    let fixture = prop::sample::select(vec![
        "cc_news",
        "nested",
        "dates",
        "title_only",
        "no_fields",
        "zstd",
        "brotli",
        "binary",
    ])
    .prop_map(|name| {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/parquet")
                .join(format!("{name}.parquet")),
        )
        .unwrap()
    });
    let damage = (
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        prop::option::of(any::<prop::sample::Index>()),
        prop::option::of((
            any::<prop::sample::Index>(),
            prop::collection::vec(any::<u8>(), 1..40),
        )),
    );
    (prop_oneof![written, fixture], damage).prop_map(|(mut bytes, (flips, cut, splice))| {
        if bytes.is_empty() {
            return bytes;
        }
        for (at, x) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= x;
        }
        if let Some((at, piece)) = splice {
            let i = at.index(bytes.len());
            bytes.splice(i..i, piece);
        }
        if let Some(at) = cut {
            // Cut, keeping the end magic sometimes so the footer parser sees the damage.
            let i = at.index(bytes.len());
            let keep_magic = i.is_multiple_of(2);
            bytes.truncate(i);
            if keep_magic {
                bytes.extend_from_slice(b"PAR1");
            }
        }
        bytes
    })
}

#[test]
fn fuzz_load_parquet() {
    fuzz("load_parquet", parquet_file(), |b| {
        check_load(FileKind::Parquet, &b)?;
        // By content alone too.
        check_load(FileKind::Sniff, &b)
    });
}

#[test]
fn parquet_written_here_loads_every_row() {
    let rows: Vec<_> = (0..7)
        .map(|i| {
            (
                Some(format!("Title {i}")),
                (i != 3).then(|| format!("Text of row {i}.")),
                Some("2024-01-02".to_string()),
                (0..i % 3)
                    .map(|k| format!("Author {k}"))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    for codec in 0..4 {
        let bytes = parquet_of(&rows, 3, codec);
        let opts = LoadOptions::default();
        let out = load_bytes(&ctx(&opts), FileKind::Sniff, &bytes);
        assert_eq!(out.articles.len(), 7, "codec {codec}: {:?}", out.problems);
        assert_eq!(out.articles[5].title, "Title 5");
        assert_eq!(
            out.articles[5].byline.as_deref(),
            Some("Author 0, Author 1")
        );
        assert_eq!(out.articles[4].byline.as_deref(), Some("Author 0"));
        assert_eq!(out.articles[3].byline, None);
        assert_eq!(out.articles[6].date.as_deref(), Some("2024-01-02"));
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert_eq!(out.problems[0].line, Some(4), "row 4 has no text");
    }
}

#[test]
fn fuzz_clean() {
    let known = (prop::option::of(any_text(8)), prop::option::of(any_text(8)));
    fuzz(
        "clean",
        (any_text(200), known),
        |(raw, (title, dateline))| {
            let meta = KnownMeta {
                title: title.as_deref(),
                dateline: dateline.as_deref(),
            };
            let out = clean(&raw, &meta);
            for p in &out.paragraphs {
                prop_assert!(!p.trim().is_empty(), "empty paragraph from {raw:?}");
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_segment() {
    fuzz(
        "segment",
        prop::collection::vec(any_text(60), 0..5),
        |paras| {
            for p in &paras {
                let spans = sentence_spans(p);
                let mut end = 0;
                for s in &spans {
                    prop_assert!(s.start >= end && s.start <= s.end && s.end <= p.len());
                    prop_assert!(p.is_char_boundary(s.start) && p.is_char_boundary(s.end));
                    end = s.end;
                }
            }
            let seg = segment(&paras);
            let canonical = paras.join("\n\n");
            for s in &seg.sentences {
                prop_assert!(s.paragraph < paras.len());
                prop_assert!(s.bytes.start <= s.bytes.end && s.bytes.end <= canonical.len());
                prop_assert!(canonical.is_char_boundary(s.bytes.start));
                prop_assert!(canonical.is_char_boundary(s.bytes.end));
                prop_assert_eq!(canonical[..s.bytes.start].chars().count(), s.chars.start);
                prop_assert_eq!(canonical[..s.bytes.end].chars().count(), s.chars.end);
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_compare() {
    fuzz("compare", (paragraphs(), paragraphs()), |(a, b)| {
        let c = compare(&a, &b);
        // Every sentence of each side is accounted for exactly once.
        let mut seen_a = vec![0u32; c.a.len()];
        let mut seen_b = vec![0u32; c.b.len()];
        for op in &c.ops {
            for i in op.a_sentences() {
                prop_assert!(i < seen_a.len(), "a index {i} out of range");
                seen_a[i] += 1;
            }
            for j in op.b_sentences() {
                prop_assert!(j < seen_b.len(), "b index {j} out of range");
                seen_b[j] += 1;
            }
        }
        prop_assert!(
            seen_a.iter().all(|&n| n == 1),
            "a sentences covered {seen_a:?}"
        );
        prop_assert!(
            seen_b.iter().all(|&n| n == 1),
            "b sentences covered {seen_b:?}"
        );
        // A text compared with itself has no changes.
        let same = compare(&a, &a);
        prop_assert!(
            same.ops.iter().all(|op| op.kind == OpKind::Equal),
            "self-comparison shows changes: {:?}",
            same.ops
        );
        Ok(())
    });
}

/// Edits applied to a text: (position as a fraction, delete length, inserted text).
fn edits() -> impl Strategy<Value = Vec<(prop::sample::Index, usize, String)>> {
    prop::collection::vec(
        (any::<prop::sample::Index>(), 0usize..30, hostile_text(6)),
        0..4,
    )
}

fn apply_edits(text: &str, edits: &[(prop::sample::Index, usize, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, del, ins) in edits {
        let at = at.index(chars.len() + 1);
        let end = (at + del).min(chars.len());
        chars.splice(at..end, ins.chars());
    }
    chars.into_iter().collect()
}

#[test]
fn fuzz_anchor() {
    let input = (
        any_text(120),
        any::<prop::sample::Index>(),
        1usize..80,
        edits(),
    );
    fuzz("anchor", input, |(text, start, len, edits)| {
        let n = text.chars().count();
        if n == 0 {
            return Ok(());
        }
        let start = start.index(n);
        let end = (start + len).min(n);
        let Ok(target) = Target::from_char_span("a", "s", &text, start..end, Granularity::Span)
        else {
            return Ok(()); // e.g. a whitespace-only selection: refused, which is fine
        };
        // Unchanged text: found where it was.
        let same = anchor_in(&target, &text);
        prop_assert_eq!(same.span, Some(target.position.start..target.position.end));
        // Edited text: anywhere inside it, or orphaned.
        let edited = apply_edits(&text, &edits);
        let found = anchor_in(&target, &edited);
        if let Some(span) = found.span {
            prop_assert!(span.start <= span.end && span.end <= edited.chars().count());
            prop_assert!((0.0..=1.0).contains(&found.similarity));
        }
        Ok(())
    });
}

fn sample_record(i: usize, text: &str) -> Option<LogRecord> {
    let n = text.chars().count();
    let t = Target::from_char_span("a", "s", text, 0..n.min(8), Granularity::Word).ok()?;
    let a = Annotation::new(
        vec![t],
        "reworded".into(),
        Some(format!("note {i}")),
        "fuzz",
        Timestamp::from_unix(i64::try_from(i).unwrap()),
    )
    .ok()?;
    Some(if i % 5 == 4 {
        LogRecord::Delete(a)
    } else {
        LogRecord::Put(a)
    })
}

/// Annotation log bytes: valid records with garbage lines between them, a torn tail, or any
/// bytes at all.
fn log_bytes() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        3 => any_text(10).prop_map(|t| {
            let rec = sample_record(t.len(), &format!("quoted text {t}"));
            rec.map(|r| serde_json::to_string(&r).unwrap_or_default()).unwrap_or_default()
        }),
        1 => any_text(20),
        1 => Just("{\"op\":\"put\",\"annotation\":{}}".to_string()),
        1 => Just("{\"op\":\"explode\"}".to_string()),
    ];
    let structured = (
        prop::collection::vec(line, 0..8),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(lines, cut, truncate)| {
            let mut out = lines.join("\n").into_bytes();
            if truncate && !out.is_empty() {
                out.truncate(cut.index(out.len()));
            }
            out
        });
    prop_oneof![3 => structured, 1 => prop::collection::vec(any::<u8>(), 0..800)]
}

#[test]
fn fuzz_annotation_log() {
    let tmp = tempfile::tempdir().expect("tempdir");
    fuzz("annotation_log", log_bytes(), |bytes| {
        let dir = tmp.path().join("store");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join(stet::annotate::store::LOG_FILE), &bytes).expect("write");
        let ro = AnnotationStore::open_read_only(&dir)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Opening for writing repairs a torn tail; opening again sees the same annotations and
        // no torn tail.
        let first = AnnotationStore::open(&dir).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&first.set, &ro.set);
        drop(first);
        let second = AnnotationStore::open(&dir).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&second.set, &ro.set);
        prop_assert!(
            !second
                .problems
                .iter()
                .any(|p| matches!(p, stet::annotate::StoreProblem::TornLastLine { .. })),
            "torn tail survived a repair: {:?}",
            second.problems
        );
        Ok(())
    });
}

/// TOML-shaped config text with hostile keys and values.
fn config_text() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "reading_width",
        "mouse",
        "theme",
        "keys",
        "[keys]",
        "[theme]",
        "[group]",
        "[keys.normal]",
        "quit",
        "down",
        "up",
        "\"ctrl-c\"",
        "\"g g\"",
        "\"alt-\"",
        "\"<F13>\"",
        "\"\"",
        "list.selected",
        "diff.delete",
        "fg",
        "bg",
        "modifiers",
        "threshold",
        "min_containment",
        "=",
        "[[x]]",
        "#",
    ]);
    let value = prop_oneof![
        any_text(6).prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        Just("true".to_string()),
        Just("[\"j\", \"down\", 3]".to_string()),
        Just("{ fg = \"red\", bg = \"#zzzzzz\", modifiers = [\"bold\", \"blink\"] }".to_string()),
        Just("\"#ff00ff\"".to_string()),
        Just("\"quit\"".to_string()),
        Just("\"nonexistent-action\"".to_string()),
    ];
    let line = prop_oneof![
        4 => (key.clone(), value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => key.prop_map(str::to_string),
        1 => any_text(10),
    ];
    prop_oneof![
        4 => prop::collection::vec(line, 0..20).prop_map(|l| l.join("\n")),
        1 => any::<String>(),
    ]
}

#[test]
fn fuzz_config() {
    fuzz("config", config_text(), |text| {
        let (config, problems) = Config::from_toml(&text, "fuzz.toml");
        let lines = text.lines().count().max(1);
        for p in &problems {
            prop_assert_eq!(&p.file, "fuzz.toml");
            if let Some(l) = p.line {
                prop_assert!(l >= 1 && l <= lines + 1, "line {l} of {lines}: {p}");
            }
        }
        prop_assert!(config.reading_width > 0);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Regression tests: every failure the long runs found.

/// fuzz_load_html: rs-trafilatura 0.2.2 panics slicing `"=—By JOHN SMITH"` inside the dash; the
/// loader turns it into one problem (see also tests/resource_limits.rs for stderr staying quiet).
#[test]
fn regression_html_extractor_panic_is_a_problem() {
    let opts = LoadOptions::default();
    let page = "<html><body><article><p>=\u{2014}By JOHN SMITH</p><p>Talks would resume next week.</p></article></body></html>";
    let out = load_bytes(&ctx(&opts), FileKind::Html, page.as_bytes());
    assert!(out.articles.is_empty());
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert!(out.problems[0].reason.contains("extractor crashed"));
}

/// fuzz_anchor: a selection of only whitespace (empty in the matching form) was orphaned even
/// in the unchanged text; the same text now keeps the stored position.
#[test]
fn regression_whitespace_only_quote_stays_put_in_the_same_text() {
    for (text, span) in [(" ", 0..1), ("a \u{200b} b", 1..4), ("x\n\ny", 1..3)] {
        let target =
            Target::from_char_span("a", "s", text, span.clone(), Granularity::Span).unwrap();
        assert_eq!(anchor_in(&target, text).span, Some(span), "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The file walker and decompression: trees of files, folders, symlinks (loops, dangling, to
// devices) and FIFOs; gzip files concatenated, truncated, corrupted, over the limits.

/// One entry of a generated tree: a name (folder path from a small set) and what it is.
#[derive(Debug, Clone)]
enum Entry {
    File(String, Vec<u8>),
    Dir(String),
    /// A symlink at the path pointing to the target text (".", "..", "/dev/zero", a name…).
    Link(String, String),
    Fifo(String),
}

fn tree_name() -> impl Strategy<Value = String> {
    let folder = prop::sample::select(vec!["", "d/", "d/e/", "f/", ".hidden/"]);
    let base = prop::sample::select(vec![
        "a.txt", "b.md", "c.json", "d.jsonl", "e.html", "f.txt.gz", "x", "y", "self", "loop.txt",
    ]);
    (folder, base).prop_map(|(f, b)| format!("{f}{b}"))
}

fn tree() -> impl Strategy<Value = Vec<Entry>> {
    let target = prop::sample::select(vec![
        ".",
        "..",
        "../c",
        "/dev/zero",
        "/dev/null",
        "d",
        "d/e",
        "a.txt",
        "missing",
        "self",
    ])
    .prop_map(str::to_string);
    let entry = prop_oneof![
        3 => (tree_name(), hostile_text(60).prop_map(String::into_bytes))
            .prop_map(|(n, b)| Entry::File(n, b)),
        1 => prop::sample::select(vec!["d", "d/e", "f"]).prop_map(|d| Entry::Dir(d.to_string())),
        3 => (tree_name(), target).prop_map(|(n, t)| Entry::Link(n, t)),
        1 => tree_name().prop_map(Entry::Fifo),
    ];
    prop::collection::vec(entry, 0..14)
}

/// Makes one entry at a path.
#[cfg(unix)]
type MakeEntry<'a> = dyn Fn(&std::path::Path) -> std::io::Result<()> + 'a;

/// Builds `entries` under `root` (entries that cannot be made are left out).
#[cfg(unix)]
fn build_tree(root: &std::path::Path, entries: &[Entry]) {
    for e in entries {
        let (name, make): (&str, Box<MakeEntry<'_>>) = match e {
            Entry::File(n, b) => (n, Box::new(move |p| std::fs::write(p, b))),
            Entry::Dir(n) => (n, Box::new(|p| std::fs::create_dir_all(p))),
            Entry::Link(n, t) => (n, Box::new(move |p| std::os::unix::fs::symlink(t, p))),
            Entry::Fifo(n) => (
                n,
                Box::new(|p| {
                    std::process::Command::new("mkfifo")
                        .arg(p)
                        .status()
                        .map(|_| ())
                }),
            ),
        };
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if std::fs::symlink_metadata(&path).is_err() {
            let _ = make(&path);
        }
    }
}

/// Loads `paths` on a thread; fails when it takes longer than 20 s (a hang).
fn load_within(
    paths: Vec<std::path::PathBuf>,
    opts: LoadOptions,
) -> Result<stet::corpus::Corpus, TestCaseError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let c = stet::corpus::load::load_paths(&paths, &opts, &|_| {});
        let _ = tx.send(c);
    });
    rx.recv_timeout(Duration::from_secs(20))
        .map_err(|_| TestCaseError::fail("the load hung (over 20 s)"))
}

#[cfg(unix)]
#[test]
fn fuzz_walk() {
    fuzz("walk", tree(), |entries| {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("c");
        std::fs::create_dir_all(&root).unwrap();
        build_tree(&root, &entries);
        let corpus = load_within(vec![root.clone()], LoadOptions::default())?;
        // Each folder is walked once: no article comes from a path through a loop twice over.
        let mut paths: Vec<&str> = corpus.articles.iter().map(|a| &*a.path).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        prop_assert!(paths.len() * 2 >= n, "articles repeated: {paths:?}");
        prop_assert!(n <= 200, "{n} articles from {} entries", entries.len());
        for p in &corpus.problems {
            prop_assert!(!p.reason.is_empty());
        }
        // A FIFO with a corpus extension is reported, never opened.
        let made_fifo = |n: &str| {
            use std::os::unix::fs::FileTypeExt;
            let path = root.join(n);
            let real_parents = path
                .ancestors()
                .skip(1)
                .take_while(|p| *p != root)
                .all(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()));
            real_parents && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_fifo())
        };
        let fifos = entries.iter().any(|e| {
            matches!(e, Entry::Fifo(n)
            if !n.starts_with('.') && stet::corpus::load::FileKind::of(n).is_some() && made_fifo(n))
        });
        if fifos {
            prop_assert!(
                corpus
                    .problems
                    .iter()
                    .any(|p| p.reason.contains("not a regular file")),
                "{:?}",
                corpus.problems
            );
        }
        Ok(())
    });
}

/// A gzip file made of `members` copies of one member, cut at `cut` (a share of its length)
/// and with one byte flipped at `flip` when given.
fn gzip_file() -> impl Strategy<Value = (u8, Vec<u8>, usize, usize, Option<usize>)> {
    (
        0u8..3,
        prop_oneof![
            hostile_text(200).prop_map(String::into_bytes),
            (any::<u8>(), 1usize..400_000).prop_map(|(b, n)| vec![b; n]),
            prop::collection::vec(any::<u8>(), 0..300),
        ],
        1usize..40,
        0usize..=100,
        prop::option::of(0usize..2000),
    )
}

#[test]
fn fuzz_gzip() {
    use std::io::Write;
    fuzz(
        "gzip",
        gzip_file(),
        |(kind, content, members, cut, flip)| {
            let tmp = tempfile::tempdir().unwrap();
            let name = ["a.txt.gz", "b.jsonl.gz", "c.json.gz"][usize::from(kind)];
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&content).unwrap();
            let one = enc.finish().unwrap();
            let mut bytes = Vec::new();
            for _ in 0..members {
                bytes.extend_from_slice(&one);
            }
            bytes.truncate(bytes.len() * cut.max(1) / 100);
            if let Some(at) = flip.filter(|&at| at < bytes.len()) {
                bytes[at] ^= 0x5a;
            }
            std::fs::write(tmp.path().join(name), &bytes).unwrap();
            let mut opts = LoadOptions::default();
            opts.limits.record_bytes = 256 << 10;
            opts.limits.json_file_bytes = 1 << 20;
            opts.limits.gzip_ratio = 50;
            opts.limits.gzip_bytes = 4 << 20;
            let corpus = load_within(vec![tmp.path().to_path_buf()], opts)?;
            for a in &corpus.articles {
                let kept: usize = a.raw.len() + a.paragraphs.iter().map(String::len).sum::<usize>();
                prop_assert!(
                    kept <= 3 << 20,
                    "an article of {kept} bytes passed the limits"
                );
            }
            if bytes.len() * 50 < content.len() * members && members > 1 {
                // Over the ratio: something was said.
                prop_assert!(!corpus.problems.is_empty() || !corpus.articles.is_empty());
            }
            Ok(())
        },
    );
}

/// A file compressed as gzip, zstd, bzip2 or xz: `members` copies of one member, cut at
/// `cut` (a share of its length) and with one byte flipped at `flip` when given.
fn compressed_file() -> impl Strategy<Value = (u8, u8, Vec<u8>, usize, usize, Option<usize>)> {
    (
        0u8..4,
        0u8..3,
        prop_oneof![
            hostile_text(200).prop_map(String::into_bytes),
            (any::<u8>(), 1usize..400_000).prop_map(|(b, n)| vec![b; n]),
            prop::collection::vec(any::<u8>(), 0..300),
            rtf_document(),
        ],
        1usize..8,
        0usize..=100,
        prop::option::of(0usize..2000),
    )
}

/// `content` compressed as format `format` (0 gzip, 1 zstd, 2 bzip2, 3 xz).
fn compress(format: u8, content: &[u8]) -> Vec<u8> {
    use std::io::Write;
    match format {
        0 => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(content).unwrap();
            e.finish().unwrap()
        }
        1 => {
            ruzstd::encoding::compress_to_vec(content, ruzstd::encoding::CompressionLevel::Fastest)
        }
        2 => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            e.write_all(content).unwrap();
            e.finish().unwrap()
        }
        _ => {
            let mut w =
                lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(0))
                    .unwrap();
            w.write_all(content).unwrap();
            w.finish().unwrap()
        }
    }
}

#[test]
fn fuzz_compressed() {
    fuzz(
        "compressed",
        compressed_file(),
        |(format, kind, content, members, cut, flip)| {
            let tmp = tempfile::tempdir().unwrap();
            let ext = ["gz", "zst", "bz2", "xz"][usize::from(format)];
            // By name (text, JSON lines) and by content alone (no extension).
            let name = [
                format!("a.txt.{ext}"),
                format!("b.jsonl.{ext}"),
                "c".to_string(),
            ][usize::from(kind)]
            .clone();
            let one = compress(format, &content);
            let mut bytes = Vec::new();
            for _ in 0..members {
                bytes.extend_from_slice(&one);
            }
            bytes.truncate(bytes.len() * cut.max(1) / 100);
            if let Some(at) = flip.filter(|&at| at < bytes.len()) {
                bytes[at] ^= 0x5a;
            }
            let path = tmp.path().join(&name);
            std::fs::write(&path, &bytes).unwrap();
            let mut opts = LoadOptions::default();
            opts.limits.record_bytes = 256 << 10;
            opts.limits.json_file_bytes = 1 << 20;
            opts.limits.gzip_ratio = 50;
            opts.limits.gzip_bytes = 4 << 20;
            // The file given by name, and its folder walked.
            for p in [path, tmp.path().to_path_buf()] {
                let corpus = load_within(vec![p], opts.clone())?;
                for a in &corpus.articles {
                    let kept: usize =
                        a.raw.len() + a.paragraphs.iter().map(String::len).sum::<usize>();
                    prop_assert!(
                        kept <= 3 << 20,
                        "an article of {kept} bytes passed the limits"
                    );
                }
                for p in &corpus.problems {
                    prop_assert!(!p.reason.is_empty());
                }
            }
            Ok(())
        },
    );
}
