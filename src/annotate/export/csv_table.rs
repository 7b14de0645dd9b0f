//! CSV, one row per annotation, safe to open in a spreadsheet.

use super::{ExportError, ExportItem};

/// The CSV header.
pub(crate) const CSV_HEADER: [&str; 29] = [
    "id",
    "label",
    "label_name",
    "note",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_status",
    "anchored_start",
    "anchored_end",
    "article",
    "story",
    "granularity",
    "quote_2",
    "prefix_2",
    "suffix_2",
    "start_2",
    "end_2",
    "anchor_status_2",
    "anchored_start_2",
    "anchored_end_2",
    "article_2",
    "story_2",
    "author",
    "created",
    "modified",
    "revision",
];

/// A CSV cell a spreadsheet will not run as a formula (the OWASP CSV-injection rule): a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
pub(super) fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// CSV, one row per annotation (cells a spreadsheet would run as a formula start with `'`): the first target in `quote`…`granularity`, the second (the new
/// side of a change) in the `_2` columns. Offsets are code points; `anchored_*` are where the
/// quote stands in the current corpus (empty when orphaned).
pub(crate) fn to_csv(items: &[ExportItem<'_>]) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for item in items {
        let a = item.annotation;
        let mut row: Vec<String> = vec![
            a.id.to_string(),
            a.label.to_string(),
            item.label_name.clone(),
            a.note.clone().unwrap_or_default(),
        ];
        for i in 0..2 {
            let anchor = item.anchor(i);
            match a.targets.get(i) {
                Some(t) => {
                    let (s, e) = anchor.span.map_or((String::new(), String::new()), |r| {
                        (r.start.to_string(), r.end.to_string())
                    });
                    row.extend([
                        t.quote.exact.clone(),
                        t.quote.prefix.clone(),
                        t.quote.suffix.clone(),
                        t.position.start.to_string(),
                        t.position.end.to_string(),
                        anchor.status.as_str().to_string(),
                        s,
                        e,
                        t.article.clone(),
                        t.story.clone(),
                    ]);
                    if i == 0 {
                        row.push(t.granularity.as_str().to_string());
                    }
                }
                None => row.extend(std::iter::repeat_n(String::new(), 10 + usize::from(i == 0))),
            }
        }
        row.extend([
            a.author.clone(),
            a.created.to_rfc3339(),
            a.modified.to_rfc3339(),
            a.revision.to_string(),
        ]);
        w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
