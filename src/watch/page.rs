//! What a fetched body is (a feed or a page), the page's text, and how two versions differ:
//! the typography-insensitive fingerprint, "minor" (only dates, times or counters changed) and
//! "suspect" (the extraction lost more than half the text).

/// A feed's entries: the pages to watch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FeedEntries {
    /// The feed's title.
    pub title: Option<String>,
    /// (link, title) of each entry with a link.
    pub links: Vec<(String, Option<String>)>,
    /// Entries without a link (skipped).
    pub without_link: usize,
}

/// The text of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageText {
    /// The headline.
    pub title: Option<String>,
    /// The main text, paragraphs separated by a blank line.
    pub text: String,
}

/// Whether `body` looks like a feed (RSS, RDF, Atom or JSON Feed) rather than a page: decided
/// by the content, whatever the `Content-Type` says.
pub(crate) fn looks_like_feed(body: &[u8]) -> bool {
    let head = &body[..body.len().min(2048)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if start.starts_with('{') {
        return text.contains("jsonfeed.org/version");
    }
    // The first element after the declaration, comments and processing instructions.
    let mut rest = start;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |(_, r)| r);
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |(_, r)| r);
        } else if rest.starts_with("<!doctype") {
            rest = rest.split_once('>').map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    ["<rss", "<feed", "<rdf:rdf", "<rdf "]
        .iter()
        .any(|p| rest.starts_with(p))
}

/// The entries of a feed; an error says why it could not be read.
pub(crate) fn parse_feed(body: &[u8], base_url: &str) -> Result<FeedEntries, String> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(base_url))
        .build()
        .parse(body)
        .map_err(|e| format!("malformed feed: {e}"))?;
    let mut out = FeedEntries {
        title: feed.title.map(|t| t.content.trim().to_string()),
        ..FeedEntries::default()
    };
    for entry in feed.entries {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.trim().to_string())
            .filter(|h| h.starts_with("http://") || h.starts_with("https://"));
        match link {
            Some(l) => {
                if !out.links.iter().any(|(x, _)| *x == l) {
                    out.links
                        .push((l, entry.title.map(|t| t.content.trim().to_string())));
                }
            }
            None => out.without_link += 1,
        }
    }
    Ok(out)
}

/// The character set named in a `Content-Type` header or in the page's `<meta>`.
fn charset_of(content_type: Option<&str>, body: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let from_header = content_type.and_then(|ct| {
        ct.split(';').find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim().eq_ignore_ascii_case("charset"))
                .then(|| encoding_rs::Encoding::for_label(v.trim().trim_matches('"').as_bytes()))
                .flatten()
        })
    });
    if from_header.is_some() {
        return from_header;
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")?;
    let value: String = head[at + 8..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(value.as_bytes())
}

/// The page as text: its byte-order mark, else the charset of the header or `<meta>`, else
/// UTF-8 (windows-1252 when it is not valid UTF-8).
pub(crate) fn decode(content_type: Option<&str>, body: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(body) {
        return enc.decode_without_bom_handling(&body[bom..]).0.into_owned();
    }
    if let Some(enc) = charset_of(content_type, body) {
        return enc.decode_without_bom_handling(body).0.into_owned();
    }
    match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(body).0.into_owned(),
    }
}

/// The main text of an HTML page: the configured CSS `selector` when it matches text, else the
/// extractor's (rs-trafilatura, as for saved pages).
pub(crate) fn extract(html: &str, selector: Option<&str>) -> Result<PageText, String> {
    let extracted = crate::corpus::html::extract(html);
    if let Some(sel) = selector {
        let doc = dom_query::Document::from(html);
        let matched = doc.try_select(sel);
        let text = matched
            .map(|m| {
                m.iter()
                    .map(|n| block_text(&n.text()))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n\n")
            })
            .unwrap_or_default();
        if !text.is_empty() {
            let title = extracted.ok().and_then(|p| p.title).or_else(|| {
                let t = doc.select("title").text().trim().to_string();
                (!t.is_empty()).then_some(t)
            });
            return Ok(PageText { title, text });
        }
    }
    let page = extracted?;
    if page.text.trim().is_empty() {
        return Err("no article text found in the page".into());
    }
    Ok(PageText {
        title: page.title,
        text: page.text,
    })
}

/// The text of an element: lines trimmed, empty ones dropped, blank lines between the rest.
fn block_text(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The typography-insensitive fingerprint of a version (title and text): quotes, dashes,
/// spaces, zero-width characters and case do not change it.
pub(crate) fn fingerprint(title: Option<&str>, text: &str) -> String {
    let norm = crate::text::normalize::normalize_for_matching(&format!(
        "{}\n{}",
        title.unwrap_or(""),
        text
    ));
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(norm.as_bytes()))
}

/// Words that name dates and times besides the months and weekdays (`corpus::date`), masked
/// with the numbers when telling a minor change.
const TIME_WORDS: &[&str] = &[
    "sept",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "am",
    "pm",
    "a.m.",
    "p.m.",
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "est",
    "edt",
    "pst",
    "pdt",
    "yesterday",
    "today",
    "tomorrow",
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "ago",
    "just",
    "now",
];

/// Whether `word` (lower case) names a date or a time.
fn is_time_word(word: &str) -> bool {
    use crate::corpus::date::{MONTH_NAMES, MONTHS, WEEKDAY_NAMES};
    MONTH_NAMES.contains(&word)
        || MONTHS.contains(&word)
        || WEEKDAY_NAMES.contains(&word)
        || TIME_WORDS.contains(&word)
}

/// The text with every number and date/time word replaced by `#`.
fn masked(title: Option<&str>, text: &str) -> String {
    let norm = crate::text::normalize::normalize_for_matching(&format!(
        "{}\n{}",
        title.unwrap_or(""),
        text
    ));
    norm.split(' ')
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
            if bare.chars().any(|c| c.is_ascii_digit())
                || is_time_word(bare)
                || is_time_word(bare.trim_end_matches('.'))
            {
                "#"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether going from `old` to `new` changed only dates, times or counters.
pub(crate) fn is_minor(old: (Option<&str>, &str), new: (Option<&str>, &str)) -> bool {
    masked(old.0, old.1) == masked(new.0, new.1)
}

/// Whether `new_text` lost more than half the text of `trusted` (the current version): an
/// extraction that collapsed rather than an edit.
pub(crate) fn is_suspect(trusted: &str, new_text: &str) -> bool {
    let len = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let before = len(trusted);
    before >= 200 && len(new_text) * 2 < before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_found_by_content() {
        assert!(looks_like_feed(
            b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>"
        ));
        assert!(looks_like_feed(
            b"\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
        assert!(looks_like_feed(
            b"<?xml version=\"1.0\"?><!-- c --><rdf:RDF xmlns:rdf=\"x\">"
        ));
        assert!(looks_like_feed(
            br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#
        ));
        assert!(!looks_like_feed(
            b"<!DOCTYPE html><html><body>rss feed</body></html>"
        ));
        assert!(!looks_like_feed(
            b"<?xml version=\"1.0\"?><html xmlns=\"x\"></html>"
        ));
        assert!(!looks_like_feed(br#"{"title": "x"}"#));
    }

    #[test]
    fn rss_atom_and_json_feed_entries() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><title>One</title><link>http://h/1</link></item>
            <item><title>No link</title></item></channel></rss>"#;
        let e = parse_feed(rss, "http://h/feed").unwrap();
        assert_eq!(e.links, vec![("http://h/1".into(), Some("One".into()))]);
        assert_eq!(e.without_link, 1);
        let atom =
            br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
            <entry><title>E</title><id>x</id><updated>2026-01-01T00:00:00Z</updated>
            <link rel="alternate" href="/rel/2"/></entry></feed>"#;
        let e = parse_feed(atom, "http://h/feed").unwrap();
        assert_eq!(e.links[0].0, "http://h/rel/2");
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://h/j"}]}"#;
        assert_eq!(
            parse_feed(json, "http://h/").unwrap().links[0].0,
            "https://h/j"
        );
        let bad = parse_feed(b"<rss><channel><item><title>x</ti", "http://h/").unwrap_err();
        assert!(bad.starts_with("malformed feed"), "{bad}");
    }

    #[test]
    fn charsets_from_header_meta_and_bom() {
        let latin = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode(None, latin).contains("café"));
        assert!(decode(Some("text/html; charset=ISO-8859-1"), b"caf\xe9").contains("café"));
        let meta = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\x93q\x94";
        assert!(decode(None, meta).contains("\u{201c}q\u{201d}"));
        assert_eq!(decode(None, "\u{feff}naïve".as_bytes()), "naïve");
        assert_eq!(decode(None, b"plain \xe9"), "plain é");
    }

    #[test]
    fn fingerprint_ignores_typography_only() {
        let a = fingerprint(
            Some("It\u{2019}s done"),
            "A \u{201c}quote\u{201d} \u{2014} here.",
        );
        let b = fingerprint(Some("It's done"), "A  \"quote\" - here.");
        assert_eq!(a, b);
        assert_ne!(a, fingerprint(Some("It's done"), "A \"quote\" - there."));
    }

    #[test]
    fn minor_means_only_dates_times_and_counters() {
        let old = (
            Some("Fire"),
            "Updated 3 minutes ago. 12 comments. The fire spread on Monday.",
        );
        let new = (
            Some("Fire"),
            "Updated 1 hour ago. 15 comments. The fire spread on Tuesday.",
        );
        assert!(is_minor(old, new));
        let real = (
            Some("Fire"),
            "Updated 1 hour ago. The fire was contained on Tuesday.",
        );
        assert!(!is_minor(old, real));
    }

    #[test]
    fn suspect_when_more_than_half_is_lost() {
        let long = "word ".repeat(100);
        assert!(is_suspect(&long, "word word"));
        assert!(!is_suspect(&long, &"word ".repeat(60)));
        assert!(!is_suspect("short", ""));
    }

    #[test]
    fn selector_overrides_extraction() {
        let html = "<html><head><title>T</title></head><body><nav>Menu</nav><div class=\"story\"><p>First para.</p><p>Second para.</p></div></body></html>";
        let got = extract(html, Some("div.story p")).unwrap();
        assert_eq!(got.text, "First para.\n\nSecond para.");
        assert!(extract(html, Some("div[[[")).is_ok() || extract(html, Some("div[[[")).is_err());
    }
}
