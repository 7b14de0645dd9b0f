//! The reading pane: the laid-out document, centred in a width-capped column, with search
//! highlights and the scroll position.

use crate::num::u16_of;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{highlighted, marked, pane_block, style};
use crate::app::{App, LineKind, Pane};

/// Draws the reading pane into `area`.
pub(crate) fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let focused = app.focus == Pane::Reader;
    let title = match app.selected_story() {
        Some(s) => {
            let n = app.lib.stories[s].versions.len();
            let mut title = format!("Version {} of {n}", app.version.selected + 1);
            if app.reader.raw {
                title.push_str(" · raw");
            }
            // While an annotation waits to be re-attached, `a` moves it: said where one looks.
            if app.ann.reattach.is_some() {
                title.push_str(" · re-attaching: select its span, a (Esc cancels)");
            }
            title
        }
        None => "Reading".into(),
    };
    let mut block = pane_block(app, title, focused);
    let total = app.reader.lines.len();
    let inner = block.inner(area);
    if total > 0 {
        let h = inner.height as usize;
        let pos = if total <= h {
            "all".to_string()
        } else if app.reader.scroll == 0 {
            "top".to_string()
        } else if app.reader.scroll + h >= total {
            "end".to_string()
        } else {
            format!("{}%", (app.reader.scroll + h) * 100 / total)
        };
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" line {}/{} · {pos} ", app.reader.scroll + 1, total),
                style(t, "title"),
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    super::scrollbar(
        frame,
        app,
        area,
        total,
        app.reader.scroll,
        inner.height as usize,
    );
    let width = u16_of(app.reader_text_width().min(inner.width as usize));
    let x = inner.x + (inner.width - width) / 2;
    let query = app.search.query.as_str();
    let hit = style(t, "reader.match");
    let current_style = style(t, "reader.match.current");
    let current = app
        .search
        .current
        .and_then(|c| app.search.reader_matches.get(c));
    let buf = frame.buffer_mut();
    let end = (app.reader.scroll + inner.height as usize).min(total);
    for (row, i) in (app.reader.scroll..end).enumerate() {
        let line = &app.reader.lines[i];
        let base = style(
            t,
            match line.kind {
                LineKind::Title => "reader.title",
                LineKind::Meta => "reader.meta",
                LineKind::Deck => "reader.deck",
                LineKind::Url => "reader.url",
                LineKind::Rule => "reader.rule",
                LineKind::Body | LineKind::Blank => "reader.body",
                LineKind::Removed => "reader.removed",
                LineKind::Notice => "reader.deck",
            },
        );
        let cur = current.filter(|(l, _)| *l == i).map(|(_, r)| r.clone());
        let spans = if app.search.hits.is_some() {
            // An every-word search marks the words the index matched, not the query's text.
            let ranges: Vec<std::ops::Range<usize>> = app
                .search
                .reader_matches
                .iter()
                .filter(|(l, _)| *l == i)
                .map(|(_, r)| r.clone())
                .collect();
            marked(&line.text, ranges, base, hit, cur, current_style)
        } else {
            highlighted(&line.text, query, base, hit, cur, current_style)
        };
        buf.set_line(x, inner.y + u16_of(row), &Line::from(spans), width);
    }
    super::annotations::draw_reader_marks(frame, app, inner, x, width);
}
