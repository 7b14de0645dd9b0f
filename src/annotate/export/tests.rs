use serde_json::{Value, json};

use super::csv_table::{CSV_HEADER, spreadsheet_safe};
use super::w3c::{ARTICLE_IRI, W3C_CONTEXT, iri_escape, iri_unescape};
use super::*;
use crate::annotate::anchor::anchor_in;
use crate::annotate::model::{Annotation, Granularity, Target, Timestamp};
use crate::annotate::set::LogRecord;

const TEXT: &str = "The minister said \"no\", then left.\n\nA second paragraph, with a comma.";

fn annotations() -> Vec<Annotation> {
    let t1 =
        Target::from_char_span("art/1.txt", "story-1", TEXT, 18..22, Granularity::Word).unwrap();
    let t2 = Target::from_char_span("art/2.txt", "story-1", TEXT, 36..54, Granularity::Sentence)
        .unwrap();
    let mut a = Annotation::new(
        vec![t1.clone()],
        "quote_added".into(),
        Some("Line one,\nline \"two\"".into()),
        "ana",
        Timestamp::from_unix(1_700_000_000),
    )
    .unwrap();
    a.revision = 3;
    let b = Annotation::new(
        vec![t1, t2],
        "reworded".into(),
        None,
        "bo",
        Timestamp::from_unix(1_700_000_100),
    )
    .unwrap();
    vec![a, b]
}

fn items(list: &[Annotation]) -> Vec<ExportItem<'_>> {
    list.iter()
        .map(|a| ExportItem {
            annotation: a,
            label_name: format!("Name of {}", a.label),
            anchors: a.targets.iter().map(|t| anchor_in(t, TEXT)).collect(),
            titles: vec![Some("A title".into()); a.targets.len()],
            urls: vec![None; a.targets.len()],
            story_title: None,
            ordered: true,
        })
        .collect()
}

#[test]
fn w3c_has_every_required_field_and_round_trips() {
    let list = annotations();
    let doc = serde_json::to_value(to_w3c(&items(&list), "sample")).unwrap();
    assert_eq!(doc["@context"][0], W3C_CONTEXT);
    assert_eq!(doc["type"], "AnnotationCollection");
    assert_eq!(doc["total"], 2);
    let page = &doc["first"];
    assert_eq!(page["type"], "AnnotationPage");
    let anns = page["items"].as_array().unwrap();
    assert_eq!(anns.len(), 2);
    for (ann, model) in anns.iter().zip(&list) {
        assert_eq!(ann["type"], "Annotation");
        assert_eq!(ann["id"], format!("urn:uuid:{}", model.id));
        assert!(ann["created"].as_str().unwrap().ends_with('Z'));
        let bodies = ann["body"].as_array().unwrap();
        assert!(bodies.iter().all(|b| b["type"] == "TextualBody"));
        let tag = bodies.iter().find(|b| b["purpose"] == "tagging").unwrap();
        assert_eq!(tag["value"], format!("Name of {}", model.label));
        assert_eq!(
            bodies.iter().any(|b| b["purpose"] == "commenting"),
            model.note.is_some()
        );
        let targets = ann["target"].as_array().unwrap();
        assert_eq!(targets.len(), model.targets.len());
        for (t, mt) in targets.iter().zip(&model.targets) {
            assert!(t["source"].as_str().unwrap().starts_with(ARTICLE_IRI));
            let sel = t["selector"].as_array().unwrap();
            let q = sel
                .iter()
                .find(|s| s["type"] == "TextQuoteSelector")
                .unwrap();
            assert_eq!(q["exact"], mt.quote.exact);
            assert_eq!(q["prefix"], mt.quote.prefix);
            assert_eq!(q["suffix"], mt.quote.suffix);
            let p = sel
                .iter()
                .find(|s| s["type"] == "TextPositionSelector")
                .unwrap();
            let (s, e) = (p["start"].as_u64().unwrap(), p["end"].as_u64().unwrap());
            assert!(s <= e);
            assert_eq!(
                (usize::try_from(s).unwrap(), usize::try_from(e).unwrap()),
                (mt.position.start, mt.position.end)
            );
            assert_eq!(t["stet:anchor"]["status"], "exact");
        }
    }
    assert_eq!(anns[0]["body"][1]["value"], "Line one,\nline \"two\"");
    assert!(
        doc["first"]["items"][0]["target"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("art%2F1.txt")
    );
    let text = export(&items(&list), ExportFormat::W3c, "sample").unwrap();
    assert!(
        text.starts_with("{\n  \"@context\": [")
            && text.contains(
                "\"id\": \"urn:stet:collection:sample\",\n  \"type\": \"AnnotationCollection\""
            ),
        "{text}"
    );
    let reparsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(reparsed, doc);
    let back = import(&text).unwrap();
    let back: Vec<Annotation> = back.iter().map(|r| r.annotation().clone()).collect();
    assert_eq!(back, list);
}

#[test]
fn jsonl_has_one_line_per_annotation_with_quote_and_anchor_and_round_trips() {
    let list = annotations();
    let text = to_jsonl(&items(&list)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    let v: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(v["label"], "reworded");
    assert_eq!(v["label_name"], "Name of reworded");
    assert_eq!(v["targets"][0]["quote"]["exact"], "\"no\"");
    assert_eq!(v["targets"][1]["quote"]["exact"], "A second paragraph");
    assert_eq!(v["targets"][1]["anchor"]["status"], "exact");
    assert_eq!(v["targets"][1]["anchor"]["start"], 36);
    let back: Vec<Annotation> = import(&text)
        .unwrap()
        .into_iter()
        .map(|r| r.annotation().clone())
        .collect();
    assert_eq!(back, list);
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let mut list = annotations();
    list[0].note = Some("=HYPERLINK(\"http://evil.example\",\"click\")".into());
    list[0].author = "@SUM(1+1)".into();
    list[0].targets[0].quote.exact = "+1 and -2".into();
    list[0].targets[0].quote.prefix = "-cmd|' /C calc'!A0".into();
    let text = to_csv(&items(&list)).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    for cell in rows.iter().flat_map(|r| r.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?} would run in a spreadsheet"
        );
    }
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains("'@SUM(1+1)"), "{text}");
    assert!(text.contains("'+1 and -2"), "{text}");
    // Only the first character matters: text with = inside is left alone.
    assert_eq!(spreadsheet_safe("a = b"), "a = b");
}

#[test]
fn csv_quotes_properly_and_has_one_row_per_annotation() {
    let list = annotations();
    let text = to_csv(&items(&list)).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, CSV_HEADER);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| CSV_HEADER.iter().position(|h| *h == name).unwrap();
    assert_eq!(&rows[0][col("note")], "Line one,\nline \"two\"");
    assert_eq!(&rows[0][col("quote")], "\"no\"");
    assert_eq!(&rows[0][col("prefix")], "The minister said ");
    assert_eq!(
        &rows[0][col("suffix")],
        ", then left.\n\nA second paragraph"
    );
    assert_eq!(&rows[0][col("start")], "18");
    assert_eq!(&rows[0][col("anchor_status")], "exact");
    assert_eq!(&rows[0][col("quote_2")], "");
    assert_eq!(&rows[0][col("revision")], "3");
    assert_eq!(&rows[1][col("quote_2")], "A second paragraph");
    assert_eq!(&rows[1][col("article_2")], "art/2.txt");
    assert_eq!(&rows[1][col("author")], "bo");
    assert_eq!(&rows[1][col("created")], "2023-11-14T22:15:00Z");
    assert!(rows.iter().all(|r| r.len() == CSV_HEADER.len()));
}

#[test]
fn markdown_groups_by_story_and_quotes_the_text() {
    let list = annotations();
    let md = to_markdown(&items(&list), "sample");
    assert!(md.starts_with("# Annotations: sample\n"), "{md}");
    assert_eq!(md.matches("## Story story-1").count(), 1);
    assert!(md.contains("### Name of quote\\_added · exact · "), "{md}");
    assert!(md.contains("> \"no\"\n"), "{md}");
    assert!(md.contains("Old: article art/1.txt — A title, characters 18–22 (exact)"));
    assert!(md.contains("New: article art/2.txt"));
    assert!(md.contains("Note: Line one,  \nline \"two\""));
    assert!(md.contains("*bo, created 2023-11-14T22:15:00Z"));
}

#[test]
fn orphaned_targets_export_without_offsets_but_with_the_quote() {
    let list = annotations();
    let item = ExportItem {
        annotation: &list[0],
        label_name: "x".into(),
        anchors: vec![Anchoring::orphaned()],
        titles: vec![],
        urls: vec![],
        story_title: None,
        ordered: true,
    };
    let v = to_json_value(&item).unwrap();
    assert_eq!(v["targets"][0]["anchor"], json!({"status": "orphaned"}));
    assert_eq!(v["targets"][0]["quote"]["exact"], "\"no\"");
    let csv_text = to_csv(std::slice::from_ref(&item)).unwrap();
    assert!(csv_text.contains(",orphaned,,,"), "{csv_text}");
}

#[test]
fn import_reads_the_store_log_and_reports_bad_lines() {
    let list = annotations();
    let log: String = list
        .iter()
        .map(|a| serde_json::to_string(&LogRecord::Delete(a.clone())).unwrap() + "\n")
        .collect();
    let back = import(&log).unwrap();
    assert!(matches!(back[0], LogRecord::Delete(_)));
    let err = import("{\"id\": 3}\n").unwrap_err();
    assert!(err.to_string().starts_with("line 1:"), "{err}");
    let err = import("{\"type\": \"Thing\"}").unwrap_err();
    assert!(err.to_string().contains("not a W3C"), "{err}");
}

#[test]
fn format_names_parse() {
    assert_eq!("W3C".parse::<ExportFormat>().unwrap(), ExportFormat::W3c);
    assert_eq!(
        "md".parse::<ExportFormat>().unwrap(),
        ExportFormat::Markdown
    );
    assert!("xml".parse::<ExportFormat>().is_err());
}

#[test]
fn iri_escaping_round_trips() {
    let id = "bbc/politics/001 ü:x.txt";
    assert_eq!(iri_unescape(&iri_escape(id)), id);
}

#[test]
fn w3c_import_takes_other_tools_shapes_and_ignores_odd_fields() {
    // One body and one selector as objects, the creator as a string, a revision and a
    // granularity of other types, an unknown body: read as the old Value walker read them.
    let doc = r#"{
      "type": "Annotation",
      "id": "urn:uuid:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      "creator": "ana",
      "body": {"type": "TextualBody", "purpose": "tagging", "value": "reworded"},
      "target": {
        "source": "urn:stet:article:art%2F1.txt",
        "selector": {"type": "TextQuoteSelector", "exact": "said", "prefix": 7},
        "stet:granularity": 3
      },
      "stet:revision": "3"
    }"#;
    let back = import(doc).unwrap();
    let a = back[0].annotation();
    assert_eq!(a.author, "ana");
    assert_eq!(a.label.as_str(), "reworded");
    assert_eq!(a.revision, 1);
    assert_eq!(a.targets[0].article, "art/1.txt");
    assert_eq!(a.targets[0].quote.exact, "said");
    assert_eq!(a.targets[0].quote.prefix, "");
    assert_eq!(
        (a.targets[0].position.start, a.targets[0].position.end),
        (0, 4)
    );
    assert_eq!(a.targets[0].granularity, Granularity::Span);
    // A target that is not an object, and a collection without items, say so.
    let bad_target = doc.replace(r#""target": {"#, r#""target": "urn:x", "unused": {"#);
    let err = import(&bad_target).unwrap_err().to_string();
    assert!(err.contains("a target without source"), "{err}");
    let err = import(r#"{"type": "AnnotationCollection", "first": {"items": 5}}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("without items"), "{err}");
}

#[test]
fn exports_carry_urls_sides_and_the_story_headline() {
    let list = annotations();
    let mut its = items(&list);
    for it in &mut its {
        it.story_title = Some("Ferry capsizes on Lake Orsen".into());
    }
    its[1].urls = vec![Some("https://example.org/wire/1".into()), None];
    // W3C: the URL where the article has one, stet's IRI otherwise; each side named.
    let doc = serde_json::to_value(to_w3c(&its, "sample")).unwrap();
    let targets = &doc["first"]["items"][1]["target"];
    assert_eq!(targets[0]["source"], "https://example.org/wire/1");
    assert!(
        targets[1]["source"]
            .as_str()
            .unwrap()
            .starts_with(ARTICLE_IRI)
    );
    assert_eq!(targets[0]["stet:side"], "old");
    assert_eq!(targets[1]["stet:side"], "new");
    assert!(
        doc["first"]["items"][0]["target"][0]
            .get("stet:side")
            .is_none()
    );
    // The round trip still finds the article by stet:article.
    let text = serde_json::to_string(&to_w3c(&its, "sample")).unwrap();
    let back = import(&text).unwrap();
    let LogRecord::Put(b) = &back[1] else {
        panic!("{back:?}")
    };
    assert_eq!(b.targets[0].article, list[1].targets[0].article);
    // Markdown: the story's headline as the heading, its id under it.
    let md = to_markdown(&its, "sample");
    assert!(
        md.contains("## Ferry capsizes on Lake Orsen\n\nStory story-1\n"),
        "{md}"
    );
    assert!(md.contains("Old: article art/1.txt"), "{md}");
    // JSONL: the headline and the sides.
    let v = to_json_value(&its[1]).unwrap();
    assert_eq!(v["story_title"], "Ferry capsizes on Lake Orsen");
    assert_eq!(v["targets"][1]["side"], "new");
    // Order unknown: no "Old:", the base version and the other.
    its[1].ordered = false;
    let md = to_markdown(&its, "sample");
    assert!(!md.contains("Old:") && !md.contains("New:"), "{md}");
    assert!(md.contains("Base version: article art/1.txt"), "{md}");
    assert!(md.contains("Compared version (order unknown): article art/2.txt"));
    let doc = serde_json::to_value(to_w3c(&its, "sample")).unwrap();
    assert_eq!(doc["first"]["items"][1]["target"][0]["stet:side"], "base");
    assert_eq!(doc["first"]["items"][1]["target"][1]["stet:side"], "other");
}
