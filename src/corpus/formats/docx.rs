//! The text of a Word file (.docx): `word/document.xml` read out of the zip, one line per
//! paragraph (table cells included), tabs and line breaks kept. No office suite needed.

use std::io::Read;

use quick_xml::events::Event;

/// The most text read out of one Word file: a zip bomb stops here.
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 256 << 20;

/// The paragraphs of a .docx file's main document as lines, or why it could not be read.
pub(crate) fn docx_lines(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable Word file (zip): {e}"))?;
    let mut entry = zip
        .by_name("word/document.xml")
        .map_err(|e| format!("not a Word file (no word/document.xml): {e}"))?;
    let mut xml = Vec::new();
    (&mut entry)
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    if xml.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "word/document.xml is over {} MB uncompressed, skipped",
            MAX_DOCUMENT_BYTES >> 20
        ));
    }
    let xml = String::from_utf8_lossy(&xml);
    document_lines(&xml)
}

/// The paragraphs of a WordprocessingML document as lines.
pub(crate) fn document_lines(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut lines = Vec::new();
    let mut line = String::new();
    // Inside <w:t> (text) and inside elements whose text is not shown (field codes, deleted
    // text) or not part of the body (<w:instrText>, <w:delText>).
    let mut in_text = false;
    let mut hidden = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                if lines.is_empty() && line.is_empty() {
                    return Err(format!("invalid XML in word/document.xml: {e}"));
                }
                // Keep what was read before the damage.
                break;
            }
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "instrText" | "delText" => hidden += 1,
                "p" => {}
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "instrText" | "delText" => hidden = hidden.saturating_sub(1),
                "p" => lines.push(std::mem::take(&mut line)),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" if hidden == 0 => line.push('\t'),
                "br" | "cr" if hidden == 0 => lines.push(std::mem::take(&mut line)),
                "p" => lines.push(String::new()),
                _ => {}
            },
            Event::Text(t) if in_text && hidden == 0 => line.push_str(&t),
            Event::CData(t) if in_text && hidden == 0 => {
                line.push_str(&t);
            }
            Event::GeneralRef(r) if in_text && hidden == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    line.push(c);
                } else {
                    line.push_str(match &*r {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_runs_tabs_breaks_and_entities() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t xml:space="preserve">Length:</w:t></w:r><w:r><w:t>&#160;937 words</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t>A &amp; B</w:t><w:tab/><w:t>c</w:t><w:br/><w:t>d</w:t></w:r></w:p>
            <w:p><w:r><w:instrText>HYPERLINK "x"</w:instrText><w:t>shown</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        let lines = document_lines(xml).unwrap();
        assert_eq!(
            lines,
            [
                "Length:\u{a0}937 words",
                "",
                "A & B\tc",
                "d",
                "shown",
                "cell"
            ]
        );
    }

    #[test]
    fn not_a_zip_or_no_document() {
        assert!(docx_lines(b"PK\x03\x04garbage").is_err());
        assert!(docx_lines(b"").is_err());
        let mut buf = Vec::new();
        {
            let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut buf));
            w.start_file("other.xml", zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, b"<a/>").unwrap();
            w.finish().unwrap();
        }
        assert!(docx_lines(&buf).unwrap_err().contains("word/document.xml"));
    }
}
