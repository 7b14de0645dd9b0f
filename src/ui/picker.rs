//! A popup list to choose one item from (the source filter).

use crate::num::u16_of;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use super::{centered, pane_block, style};
use crate::app::reader::{safe_line, text_width, truncate};
use crate::app::{App, Cursor, Picker};

/// Draws `picker` centred on the screen.
pub(crate) fn draw(frame: &mut Frame, app: &App, picker: &Picker) {
    let t = &app.theme;
    let height = u16_of(picker.shown.len().max(1))
        .saturating_add(2)
        .min(frame.area().height.saturating_sub(2));
    let area = centered(frame.area(), 50, height);
    let title = if picker.query.is_empty() {
        format!("{} (type to narrow)", picker.title)
    } else {
        format!("{}: {}▏", picker.title, safe_line(&picker.query))
    };
    let block = pane_block(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let mut cursor = Cursor {
        selected: picker.selected,
        offset: 0,
    };
    cursor.scroll_into_view(inner.height as usize, picker.shown.len());
    let width = inner.width as usize;
    let buf = frame.buffer_mut();
    let end = (cursor.offset + inner.height as usize).min(picker.shown.len());
    for (row, i) in (cursor.offset..end).enumerate() {
        let (label, count) = &picker.items[picker.shown[i]];
        let count = format!(" {count}");
        let label = truncate(&safe_line(label), width.saturating_sub(count.len() + 2));
        let pad = width.saturating_sub(text_width(&label) + count.len() + 2);
        let selected = i == picker.selected;
        let s = if selected {
            style(t, "popup.selected")
        } else {
            style(t, "popup")
        };
        let marker = if selected { "▸ " } else { "  " };
        let y = inner.y + u16_of(row);
        if selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), s);
        }
        buf.set_line(
            inner.x,
            y,
            &Line::from(vec![
                Span::styled(format!("{marker}{label}{}", " ".repeat(pad)), s),
                Span::styled(count, s.patch(style(t, "list.meta")).patch(s)),
            ]),
            inner.width,
        );
    }
}
