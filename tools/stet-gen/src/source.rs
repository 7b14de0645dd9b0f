//! Reading the real articles the generator starts from: the BBC folder (first line the
//! headline, paragraphs between blank lines) and Reuters-21578 JSONL (`title`, `body`
//! hard-wrapped with indented paragraphs).

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use stet::text::normalize_for_matching;

/// One real article: headline and paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDoc {
    /// Headline.
    pub title: String,
    /// Body paragraphs, each on one line.
    pub paragraphs: Vec<String>,
}

impl SourceDoc {
    /// Number of words of the body.
    pub fn words(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum()
    }
}

/// Reads every `.txt` file under the BBC folder `dir` (sorted by path), skipping file names in
/// `skip` (e.g. the second article of each known re-publication pair).
pub fn read_bbc(dir: &Path, skip: &HashSet<String>) -> std::io::Result<Vec<SourceDoc>> {
    let mut files = Vec::new();
    for topic in fs::read_dir(dir)? {
        let topic = topic?.path();
        if !topic.is_dir() {
            continue;
        }
        for f in fs::read_dir(&topic)? {
            let f = f?.path();
            if f.extension().is_some_and(|e| e == "txt") {
                files.push(f);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(dir)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if skip.contains(&rel) {
            continue;
        }
        let Ok(bytes) = fs::read(&f) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        if let Some(doc) = parse_bbc(&text) {
            out.push(doc);
        }
    }
    Ok(out)
}

/// Parses one BBC file: headline line, then paragraphs separated by blank lines.
pub fn parse_bbc(text: &str) -> Option<SourceDoc> {
    let mut blocks = text
        .split("\n\n")
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "));
    let title = blocks.next()?.trim().to_string();
    let paragraphs: Vec<String> = blocks.filter(|p| !p.is_empty()).collect();
    (!title.is_empty() && !paragraphs.is_empty()).then_some(SourceDoc { title, paragraphs })
}

/// Reads the Reuters JSONL file; records without a body are skipped.
pub fn read_reuters(path: &Path) -> std::io::Result<Vec<SourceDoc>> {
    let text = fs::read_to_string(path)?;
    let mut out = Vec::new();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let title = v.get("title").and_then(|t| t.as_str()).unwrap_or("").trim();
        let body = v.get("body").and_then(|t| t.as_str()).unwrap_or("");
        let paragraphs = parse_reuters_body(body);
        if !title.is_empty() && !paragraphs.is_empty() {
            out.push(SourceDoc {
                title: title.to_string(),
                paragraphs,
            });
        }
    }
    Ok(out)
}

/// Reflows a Reuters body: a line starting with spaces opens a paragraph; the "REUTER" sign-off
/// is dropped.
pub fn parse_reuters_body(body: &str) -> Vec<String> {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in body.lines() {
        if line.starts_with(char::is_whitespace) && !cur.is_empty() {
            paras.push(std::mem::take(&mut cur));
        }
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(t);
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    for p in &mut paras {
        for tail in [" REUTER", " Reuter"] {
            if let Some(s) = p.strip_suffix(tail) {
                *p = s.trim_end().to_string();
            }
        }
    }
    paras.retain(|p| {
        let t = p.trim();
        !t.is_empty() && t != "REUTER" && t != "Reuter"
    });
    paras
}

/// Drops documents that repeat an earlier one's headline or opening words (wire re-sends and
/// re-publications), so the generator's stories are distinct reports.
pub fn dedupe(docs: Vec<SourceDoc>) -> Vec<SourceDoc> {
    let mut titles = HashSet::new();
    let mut openings = HashSet::new();
    let mut out = Vec::new();
    for d in docs {
        let t = normalize_for_matching(&d.title)
            .chars()
            .filter(|c| c.is_alphabetic() || *c == ' ')
            .collect::<String>();
        let first = normalize_for_matching(&d.paragraphs[0]);
        let opening: String = first.split(' ').take(10).collect::<Vec<_>>().join(" ");
        if titles.insert(t) & openings.insert(opening) {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuters_body_is_reflowed_into_paragraphs() {
        let body = "Showers continued in\nthe Bahia zone.\n    The dry period means\nlate crops.\n REUTER\n";
        assert_eq!(
            parse_reuters_body(body),
            vec![
                "Showers continued in the Bahia zone.",
                "The dry period means late crops."
            ]
        );
    }

    #[test]
    fn bbc_file_has_title_then_paragraphs() {
        let d = parse_bbc("Ad sales boost\n\nProfits jumped.\n\nSales rose\nagain.\n").unwrap();
        assert_eq!(d.title, "Ad sales boost");
        assert_eq!(d.paragraphs, vec!["Profits jumped.", "Sales rose again."]);
    }

    #[test]
    fn repeated_headlines_and_openings_are_dropped() {
        let d = |t: &str, p: &str| SourceDoc {
            title: t.into(),
            paragraphs: vec![p.into()],
        };
        let out = dedupe(vec![
            d("FED ADDS RESERVES", "The Fed added reserves."),
            d("FED ADDS RESERVES", "Other text."),
            d("Other", "The Fed added reserves."),
            d("New", "New text."),
        ]);
        assert_eq!(out.len(), 2);
    }
}
