//! A Markdown report grouped by story.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::ExportItem;

/// Escapes Markdown's inline syntax and breaks no lines.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn md_quote(out: &mut String, text: &str) {
    for line in text.split('\n') {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {}", md_escape(line.trim_end()));
        }
    }
}

/// A Markdown report: one section per story, each annotation with its label, anchor status,
/// quote, note, author and times.
pub(crate) fn to_markdown(items: &[ExportItem<'_>], collection: &str) -> String {
    let mut by_story: BTreeMap<&str, Vec<&ExportItem<'_>>> = BTreeMap::new();
    let mut headlines: BTreeMap<&str, &str> = BTreeMap::new();
    for item in items {
        let story = item
            .annotation
            .targets
            .first()
            .map_or("", |t| t.story.as_str());
        by_story.entry(story).or_default().push(item);
        if let Some(t) = item.story_title.as_deref().filter(|t| !t.trim().is_empty()) {
            headlines.entry(story).or_insert(t);
        }
    }
    let id_width = crate::annotate::model::short_width(items.iter().map(|i| &i.annotation.id));
    let mut out = String::new();
    let _ = writeln!(out, "# Annotations: {}\n", md_escape(collection));
    let _ = writeln!(
        out,
        "{} in {}. Offsets are Unicode code points of the cleaned text.\n",
        crate::text::plural(items.len(), "annotation", "annotations"),
        crate::text::plural(by_story.len(), "story", "stories")
    );
    for (story, mut list) in by_story {
        list.sort_by(|a, b| {
            let key = |i: &ExportItem<'_>| {
                i.annotation
                    .targets
                    .first()
                    .map(|t| (t.article.clone(), t.position.start))
            };
            key(a).cmp(&key(b))
        });
        let name = if story.is_empty() {
            "(no story)".to_string()
        } else {
            md_escape(story)
        };
        match headlines.get(story) {
            Some(h) => {
                let _ = writeln!(out, "## {}\n\nStory {name}\n", md_escape(h.trim()));
            }
            None => {
                let _ = writeln!(out, "## Story {name}\n");
            }
        }
        for item in list {
            let a = item.annotation;
            let status = item.anchor(0).status;
            let _ = writeln!(
                out,
                "### {} · {} · {}\n",
                md_escape(&item.label_name),
                status.as_str(),
                a.id.tail(id_width)
            );
            for (i, t) in a.targets.iter().enumerate() {
                let side = match item.side(i) {
                    None => "",
                    Some("old") => "Old: ",
                    Some("new") => "New: ",
                    Some("base") => "Base version: ",
                    Some(_) => "Compared version (order unknown): ",
                };
                let title = item
                    .titles
                    .get(i)
                    .and_then(|t| t.as_deref())
                    .filter(|t| !t.is_empty())
                    .map(|t| format!(" — {}", md_escape(t)))
                    .unwrap_or_default();
                let anchor = item.anchor(i);
                let _ = writeln!(
                    out,
                    "{side}article {}{title}, characters {}–{} ({})\n",
                    md_escape(&t.article),
                    t.position.start,
                    t.position.end,
                    anchor.status.as_str()
                );
                md_quote(&mut out, &t.quote.exact);
                out.push('\n');
            }
            if let Some(note) = &a.note {
                let _ = writeln!(out, "Note: {}\n", md_escape(note).replace('\n', "  \n"));
            }
            let _ = writeln!(
                out,
                "*{}, created {}, modified {}, revision {}*\n",
                md_escape(&a.author),
                a.created,
                a.modified,
                a.revision
            );
        }
    }
    out
}
