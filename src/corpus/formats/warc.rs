//! Web archives (WARC 1.0/1.1; `.warc.gz` with one gzip member per record is read through the
//! multi-member gzip reader). `response` records of HTML pages go through the saved-page path
//! with `WARC-Target-URI` as the URL and `WARC-Date` as the date when the page has none;
//! chunked and gzip/deflate bodies are decoded where the archive kept them encoded. Records
//! are read one at a time and cleaned a batch at a time: memory stays bounded by a batch.

use std::io::{BufRead, BufReader, Read};

use rayon::prelude::*;

use crate::corpus::load::{FileContext, FileLoad, html_article, problem, set_date};

/// The largest record body read; bigger records are skipped.
pub(crate) const MAX_RECORD_BYTES: u64 = 64 << 20;
/// The largest header block of a record or an HTTP response.
const MAX_HEADER_BYTES: usize = 256 << 10;
/// Pages cleaned together.
const BATCH_PAGES: usize = 64;

/// One HTML page found in the archive.
struct Page {
    record: usize,
    uri: Option<String>,
    date: Option<String>,
    html: String,
}

/// What went wrong in a file, counted so that each kind is reported once.
#[derive(Default)]
struct Tally {
    no_text: Option<(usize, usize)>,
    too_big: Option<(usize, usize)>,
    bad_body: Option<(usize, usize)>,
}

fn count(slot: &mut Option<(usize, usize)>, record: usize) {
    slot.get_or_insert((record, 0)).1 += 1;
}

/// Loads a whole WARC file held in memory.
pub(crate) fn load(ctx: &FileContext<'_>, bytes: &[u8]) -> FileLoad {
    let mut out = FileLoad::default();
    load_each(bytes, ctx, &mut |b| out.append(b));
    out
}

/// Reads one header line (up to LF), failing past the header limit.
fn header_line(r: &mut impl BufRead, budget: &mut usize) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let n = r
        .by_ref()
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err(std::io::Error::other("record header too long"));
    }
    *budget -= n;
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Loads a WARC stream, handing `sink` the articles of each batch of pages.
pub(crate) fn load_each(reader: impl Read, ctx: &FileContext<'_>, sink: &mut dyn FnMut(FileLoad)) {
    let mut r = BufReader::with_capacity(1 << 20, reader);
    let mut record = 0usize;
    let mut pages: Vec<Page> = Vec::new();
    let mut tally = Tally::default();
    let mut found_pages = 0usize;
    let mut stop: Option<String> = None;
    loop {
        // The version line, after the blank lines that end the previous record.
        let mut budget = MAX_HEADER_BYTES;
        let version = loop {
            match header_line(&mut r, &mut budget) {
                Ok(Some(l)) if l.trim().is_empty() => continue,
                Ok(Some(l)) => break Some(l),
                Ok(None) => break None,
                Err(e) => {
                    stop = Some(format!("cannot read: {e}"));
                    break None;
                }
            }
        };
        let Some(version) = version else { break };
        record += 1;
        if !version.starts_with("WARC/") {
            stop = Some(format!(
                "record {record}: not a WARC record (expected \"WARC/1.0\"); the rest of the file is skipped"
            ));
            break;
        }
        let mut kind = String::new();
        let mut length: Option<u64> = None;
        let mut uri = None;
        let mut date = None;
        let mut content_type = String::new();
        loop {
            match header_line(&mut r, &mut budget) {
                Ok(Some(l)) if l.is_empty() => break,
                Ok(Some(l)) => {
                    let Some((name, value)) = l.split_once(':') else {
                        continue;
                    };
                    let value = value.trim();
                    match name.trim().to_ascii_lowercase().as_str() {
                        "warc-type" => kind = value.to_ascii_lowercase(),
                        "content-length" => length = value.parse().ok(),
                        "warc-target-uri" => uri = Some(value.trim_matches(['<', '>']).to_string()),
                        "warc-date" => date = Some(value.to_string()),
                        "content-type" => content_type = value.to_ascii_lowercase(),
                        _ => {}
                    }
                }
                Ok(None) => {
                    stop = Some(format!("record {record}: the file ends inside its header"));
                    break;
                }
                Err(e) => {
                    stop = Some(format!("record {record}: {e}"));
                    break;
                }
            }
        }
        if stop.is_some() {
            break;
        }
        let Some(length) = length else {
            stop = Some(format!(
                "record {record}: no Content-Length; the rest of the file is skipped"
            ));
            break;
        };
        let wanted = kind == "response"
            && (content_type.contains("application/http") || content_type.is_empty());
        if !wanted || length > MAX_RECORD_BYTES {
            if wanted {
                count(&mut tally.too_big, record);
            }
            match std::io::copy(&mut r.by_ref().take(length), &mut std::io::sink()) {
                Ok(n) if n == length => continue,
                Ok(_) => {
                    stop = Some(format!("record {record}: the file ends inside the record"));
                    break;
                }
                Err(e) => {
                    stop = Some(format!("record {record}: cannot read: {e}"));
                    break;
                }
            }
        }
        let mut block = Vec::with_capacity(usize::try_from(length).unwrap_or(usize::MAX));
        match r.by_ref().take(length).read_to_end(&mut block) {
            Ok(n) if n as u64 == length => {}
            Ok(_) => {
                stop = Some(format!("record {record}: the file ends inside the record"));
                break;
            }
            Err(e) => {
                stop = Some(format!("record {record}: cannot read: {e}"));
                break;
            }
        }
        match http_html(&block) {
            Ok(Some(html)) => {
                found_pages += 1;
                pages.push(Page {
                    record,
                    uri,
                    date,
                    html,
                });
            }
            Ok(None) => {}
            Err(()) => count(&mut tally.bad_body, record),
        }
        if pages.len() >= BATCH_PAGES {
            sink(clean_pages(ctx, std::mem::take(&mut pages), &mut tally));
        }
    }
    if !pages.is_empty() {
        sink(clean_pages(ctx, pages, &mut tally));
    }
    let mut last = Vec::new();
    if let Some(reason) = stop {
        last.push(problem(ctx.shown, None, reason));
    }
    if record == 0 {
        last.push(problem(ctx.shown, None, "empty file"));
    } else if found_pages == 0 {
        last.push(problem(
            ctx.shown,
            None,
            "WARC: no HTML response record found",
        ));
    }
    for (slot, what) in [
        (
            tally.no_text,
            ("HTML page", "HTML pages", "with no article text"),
        ),
        (
            tally.too_big,
            ("response record", "response records", "over 64 MB skipped"),
        ),
        (
            tally.bad_body,
            (
                "response record",
                "response records",
                "whose HTTP body could not be decoded",
            ),
        ),
    ] {
        if let Some((first, n)) = slot {
            let (one, many, rest) = what;
            last.push(problem(
                ctx.shown,
                None,
                format!(
                    "WARC: {} {rest} (the first: record {first})",
                    crate::text::plural(n, one, many)
                ),
            ));
        }
    }
    if !last.is_empty() {
        sink(FileLoad {
            articles: Vec::new(),
            problems: last,
        });
    }
}

fn clean_pages(ctx: &FileContext<'_>, pages: Vec<Page>, tally: &mut Tally) -> FileLoad {
    let results: Vec<(usize, Option<crate::corpus::Article>)> = pages
        .into_par_iter()
        .map(|p| {
            let a = html_article(ctx, &p.html).ok().map(|mut a| {
                a.id = compact_str::format_compact!("{}:{}", ctx.rel, p.record);
                // The record's place in the archive is its id (as before).
                a.key.record = a.id.clone();
                if let Some(u) = p.uri {
                    if a.source == ctx.folder
                        && let Some(h) = crate::corpus::load::url_host(&u)
                    {
                        a.source = h.into();
                    }
                    a.url = Some(u);
                }
                if a.date.is_none() {
                    set_date(&mut a, p.date);
                }
                a
            });
            (p.record, a)
        })
        .collect();
    let mut out = FileLoad::default();
    for (record, a) in results {
        match a {
            Some(a) => out.articles.push(a),
            None => count(&mut tally.no_text, record),
        }
    }
    out
}

/// The HTML page in an HTTP response block: `Ok(None)` when the response is not a 2xx HTML
/// page, `Err` when its body cannot be decoded.
fn http_html(block: &[u8]) -> Result<Option<String>, ()> {
    let Some(head_end) = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|i| (i, i + 2)))
    else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(&block[..head_end.0]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default();
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    if !status.starts_with("HTTP/") || !(200..300).contains(&code) {
        return Ok(None);
    }
    let (mut ctype, mut chunked, mut encoding) = (String::new(), false, String::new());
    for l in lines {
        let Some((n, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim().to_ascii_lowercase();
        match n.trim().to_ascii_lowercase().as_str() {
            "content-type" => ctype = v,
            "transfer-encoding" => chunked = v.contains("chunked"),
            "content-encoding" => encoding = v,
            _ => {}
        }
    }
    let body = &block[head_end.1..];
    let sniff_html = || {
        let start = &body[..body.len().min(1024)];
        let lower = String::from_utf8_lossy(start).to_ascii_lowercase();
        lower.contains("<html") || lower.contains("<!doctype html")
    };
    if !(ctype.contains("html") || (ctype.is_empty() && sniff_html())) {
        return Ok(None);
    }
    let body = if chunked {
        dechunk(body).ok_or(())?
    } else {
        body.to_vec()
    };
    let body = match encoding.as_str() {
        "" | "identity" => body,
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&body[..]))?,
        "deflate" => inflate(flate2::read::ZlibDecoder::new(&body[..]))
            .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&body[..])))?,
        _ => return Err(()),
    };
    Ok(Some(decode_page(&body, &ctype)))
}

/// A decompressed body, at most [`MAX_RECORD_BYTES`].
fn inflate(r: impl Read) -> Result<Vec<u8>, ()> {
    let mut out = Vec::new();
    r.take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| ())?;
    if out.len() as u64 > MAX_RECORD_BYTES {
        return Err(());
    }
    Ok(out)
}

/// A chunked body put back together; `None` when the chunks are malformed.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = memchr::memchr(b'\n', b)?;
        let size_line = std::str::from_utf8(&b[..eol]).ok()?.trim();
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        b = &b[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        if size > b.len() {
            return None;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        // The CRLF after the chunk.
        if b.starts_with(b"\r\n") {
            b = &b[2..];
        } else if b.starts_with(b"\n") {
            b = &b[1..];
        }
    }
}

/// A page's bytes as text: the charset of the Content-Type header or of a `<meta>` tag,
/// UTF-8 otherwise (invalid bytes replaced).
fn decode_page(body: &[u8], ctype: &str) -> String {
    let label = ctype
        .split("charset=")
        .nth(1)
        .map(|c| c.trim_matches(['"', '\'', ' ', ';']).to_string())
        .or_else(|| {
            let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
            let at = head.find("charset=")?;
            let rest = &head[at + 8..];
            let rest = rest.trim_start_matches(['"', '\'']);
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            Some(rest[..end].to_string())
        });
    if let Some(enc) = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        && enc != encoding_rs::UTF_8
    {
        return enc.decode(body).0.into_owned();
    }
    String::from_utf8_lossy(body).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_and_http() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n6;x=1\r\n World\r\n0\r\n\r\n").unwrap(),
            b"Hello World"
        );
        assert!(dechunk(b"ff\r\nshort").is_none());
        assert!(dechunk(b"zz\r\n").is_none());
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<html><body>caf\xe9</body></html>";
        assert!(http_html(page).unwrap().unwrap().contains("caf\u{e9}"));
        assert_eq!(
            http_html(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nx").unwrap(),
            None
        );
        assert_eq!(
            http_html(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nx").unwrap(),
            None
        );
        assert!(http_html(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\nnot gzip").is_err());
    }
}
