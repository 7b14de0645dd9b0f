//! The versions pane: the selected story's versions, one row each.

use crate::num::i64_of;
use crate::num::u16_of;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{pane_block, style};
use crate::app::reader::{safe_line, text_width, truncate};
use crate::app::{App, Pane};

/// Draws the versions pane into `area`.
pub(crate) fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let focused = app.focus == Pane::Versions;
    let n = app.versions_len();
    // Versions are in date order; with an undated one the order is not known, and `d`
    // compares with the base version.
    let order_known = app.selected_story().is_none_or(|s| {
        crate::corpus::dateline_date::order_known(&app.lib.corpus.articles, &app.lib.stories[s])
    });
    let title = if order_known || n < 2 {
        format!("Versions ({n})")
    } else {
        format!("Versions ({n}) · order unknown: d compares with v1")
    };
    let block = pane_block(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(story) = app.selected_story() else {
        return;
    };
    let story = &app.lib.stories[story];
    let width = inner.width as usize;
    let meta = style(t, "list.meta");
    let selected_style = style(
        t,
        if focused {
            "list.selected"
        } else {
            "list.selected.inactive"
        },
    );
    let buf = frame.buffer_mut();
    let end = (app.version.offset + inner.height as usize).min(n);
    for (row, vi) in (app.version.offset..end).enumerate() {
        let v = &story.versions[vi];
        let Some(a) = app.lib.article_at(v.article) else {
            continue;
        };
        let shown = vi == app.version.selected;
        let date = match a.timestamp {
            Some(ts) => crate::app::library::day_of(ts),
            None => a
                .date
                .as_deref()
                .map(|d| truncate(&safe_line(d), 10))
                .unwrap_or_else(|| "undated".into()),
        };
        // `~`: the day the dateline names, the record giving none.
        let date = format!(
            "{date}{}{}",
            " ".repeat(10usize.saturating_sub(text_width(&date))),
            if a.date_inferred { "~" } else { "" }
        );
        let date = format!("{date:<11}");
        let src_w = (width / 5).clamp(6, 16);
        let src = truncate(&safe_line(&a.source), src_w);
        let pad = src_w.saturating_sub(text_width(&src));
        let marked = app.marks_story == app.selected_story() && app.version_marks.contains(&vi);
        let left = format!(
            "{}{:>2} {date}{src}{} ",
            match (shown, marked) {
                (_, true) => "◆",
                (true, false) => "▸",
                (false, false) => " ",
            },
            vi + 1,
            " ".repeat(pad)
        );
        // An exact duplicate says which earlier version it repeats ("=1") instead of a share.
        let same_as = story.versions[..vi].iter().position(|earlier| {
            app.lib
                .corpus
                .articles
                .get(earlier.article)
                .is_some_and(|e| !a.paragraphs.is_empty() && e.paragraphs == a.paragraphs)
        });
        let share = match same_as {
            Some(k) => format!("={}", k + 1),
            None => format!("{}%", i64_of(f64::from(v.similarity * 100.0).round())),
        };
        let right = format!("{share:>4} {:>5}w", a.word_count());
        let mut spans = vec![Span::styled(left.clone(), meta)];
        let room = width.saturating_sub(text_width(&left) + right.len() + 1);
        // A version without a headline shows the story's, marked as such.
        if a.title.trim().is_empty() && !story.title.trim().is_empty() {
            let mark = "story: ";
            spans.push(Span::styled(truncate(mark, room), meta));
            spans.push(Span::raw(truncate(
                &safe_line(story.title.trim()),
                room.saturating_sub(mark.len()),
            )));
        } else {
            spans.push(Span::raw(truncate(&safe_line(&a.title), room)));
        }
        let used: usize = spans.iter().map(|s| text_width(&s.content)).sum();
        spans.push(Span::raw(
            " ".repeat(width.saturating_sub(used + right.len())),
        ));
        spans.push(Span::styled(right, meta));
        let y = inner.y + u16_of(row);
        if shown {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), selected_style);
            for s in &mut spans {
                s.style = s.style.patch(selected_style);
            }
        }
        buf.set_line(inner.x, y, &Line::from(spans), inner.width);
    }
    draw_related(frame, app, story, inner, end - app.version.offset);
}

/// Lists the stories related to `story` (other reports sharing text with it) in the rows the
/// versions leave free: `R` jumps to them.
fn draw_related(
    frame: &mut Frame,
    app: &App,
    story: &crate::corpus::Story,
    inner: Rect,
    used: usize,
) {
    let free = (inner.height as usize).saturating_sub(used);
    if story.related.is_empty() || free < 2 {
        return;
    }
    let meta = style(&app.theme, "list.meta");
    let key = app
        .keymap
        .first_key(
            &[crate::app::Context::Global],
            crate::app::Action::NextRelated,
        )
        .unwrap_or_else(|| "next_related".into());
    let n = story.related.len();
    let head = format!(
        "Related: {} sharing text ({key} jumps)",
        crate::text::plural(n, "other report", "other reports")
    );
    let width = inner.width as usize;
    let buf = frame.buffer_mut();
    let y = inner.y + u16_of(used);
    buf.set_line(
        inner.x,
        y,
        &Line::from(Span::styled(truncate(&head, width), meta)),
        inner.width,
    );
    for (k, id) in story.related.iter().take(free - 1).enumerate() {
        let title = app
            .lib
            .stories
            .iter()
            .find(|s| s.id == *id)
            .map_or_else(|| id.to_string(), |s| safe_line(&s.title));
        let line = truncate(&format!("  ~ {title}"), width);
        buf.set_line(
            inner.x,
            y + 1 + u16_of(k),
            &Line::from(Span::raw(line)),
            inner.width,
        );
    }
}
