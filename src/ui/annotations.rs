//! Annotations on screen: the cursor's sentence, the selection and annotated spans in the
//! reading pane (label colour plus a gutter mark, so they read without colour), the label
//! picker and the note input.

use crate::num::u16_of;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use super::{away_from, centered, color, pane_block, style};
use crate::annotate::LabelId;
use crate::app::ann_list::AnnList;
use crate::app::reader::{safe_line, truncate};
use crate::app::{App, Cursor};
use crate::config::ThemeColor;

/// The style of a label: its colour (when the theme has colours) and an underline.
pub(super) fn label_style(app: &App, label: &LabelId) -> Style {
    let mut s = Style::default().add_modifier(Modifier::UNDERLINED);
    let mono = app.theme == app.theme.monochrome();
    if !mono
        && let Some(l) = app.ann.labels.get(label)
        && let Ok(c) = ThemeColor::parse(&l.colour.replace('_', ""))
    {
        s = s.fg(color(c));
    }
    s
}

/// Draws the cursor, the selection and the annotated spans over the reading pane's text,
/// which starts at column `x` of `inner` and is `width` wide.
pub(crate) fn draw_reader_marks(frame: &mut Frame, app: &App, inner: Rect, x: u16, width: u16) {
    let map = &app.ann.map;
    if map.words.is_empty() || app.reader.raw {
        return;
    }
    let top = app.reader.scroll;
    let h = inner.height as usize;
    let visible = |line: usize| line >= top && line < top + h;
    let buf = frame.buffer_mut();
    let cell = |line: usize, cols: &std::ops::Range<usize>| {
        let y = inner.y + u16_of(line - top);
        let x0 = x + u16_of(cols.start.min(width as usize));
        let w = u16_of(cols.end.min(width as usize) - cols.start.min(width as usize));
        Rect::new(x0, y, w, 1)
    };
    // Annotated spans: label colour, underlined, and a mark in the left margin.
    for m in &map.marks {
        if !visible(m.line) {
            continue;
        }
        let r = cell(m.line, &m.cols);
        buf.set_style(r, label_style(app, &m.label));
        if x > inner.x {
            let key = app.ann.labels.get(&m.label).map_or('▌', |l| l.key);
            let g = &mut buf[(x - 1, r.y)];
            g.set_symbol(&key.to_string());
            g.set_style(label_style(app, &m.label).add_modifier(Modifier::BOLD));
        }
    }
    // How many annotations this article has and how many cannot be placed.
    let (n, orphans) = map.counts;
    if n > 0 && inner.height > 0 {
        let mut summary = format!(" {n} annotation{} ", if n == 1 { "" } else { "s" });
        if orphans > 0 {
            summary = format!("{}· {orphans} orphaned (O) ", &summary);
        }
        let y = inner.y + inner.height;
        buf.set_line(
            inner.x + 1,
            y,
            &Line::from(Span::styled(summary, style(&app.theme, "title"))),
            inner.width.saturating_sub(2) / 2,
        );
    }
    let focused = app.focus == crate::app::Pane::Reader;
    if !focused {
        return;
    }
    // The selection, reversed; else the cursor's sentence, bold with a margin mark.
    let t = &app.theme;
    let (words, st) = match app.selection() {
        Some(sel) => (sel.words(), style(t, "reader.selection")),
        None => match map.sentences.get(app.ann.cursor) {
            Some(r) => (r.clone(), style(t, "reader.cursor")),
            None => return,
        },
    };
    let mut first_line = None;
    for w in map.words.get(words).unwrap_or_default() {
        if let Some(line) = w.line.filter(|&l| visible(l)) {
            first_line.get_or_insert(line);
            let mut cols = w.cols.clone();
            // Cover the space after the word too, unless it ends the line.
            cols.end += 1;
            let r = cell(line, &cols);
            let r = Rect::new(r.x, r.y, r.width.min(x + width - r.x), 1);
            buf.set_style(r, st);
        }
    }
    if let Some(line) = first_line
        && x > inner.x
        && app.selection().is_none()
    {
        let y = inner.y + u16_of(line - top);
        let g = &mut buf[(x - 1, y)];
        if g.symbol() == " " {
            g.set_symbol("›");
            g.set_style(style(t, "reader.cursor"));
        }
    }
}

/// The label picker: each label with its key.
pub(crate) fn draw_label_picker(frame: &mut Frame, app: &App) {
    let t = &app.theme;
    let labels = app.ann.labels.labels();
    let height = u16_of(labels.len())
        .saturating_add(3)
        .min(frame.area().height.saturating_sub(2));
    let area = away_from(frame.area(), 44, height, app.annotated_rows());
    let block = pane_block(app, "Label (press its key; Esc cancels)".into(), true);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let buf = frame.buffer_mut();
    for (i, l) in labels.iter().enumerate().take(inner.height as usize) {
        let line = Line::from(vec![
            Span::styled(format!(" {} ", l.key), style(t, "popup.key")),
            Span::styled(
                truncate(&safe_line(&l.name), inner.width as usize - 4),
                label_style(app, &l.id),
            ),
        ]);
        buf.set_line(inner.x, inner.y + u16_of(i), &line, inner.width);
    }
}

/// The note input: the label chosen and the note typed so far (several lines).
pub(crate) fn draw_note(frame: &mut Frame, app: &App, label: &LabelId, text: &str) {
    let t = &app.theme;
    let area = away_from(frame.area(), 64, 10, app.annotated_rows());
    let name = app.ann.labels.display_name(label);
    let block = pane_block(
        app,
        format!(
            "{} · note (optional) · Ctrl-s saves, Esc cancels",
            safe_line(name)
        ),
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    // The cursor is drawn as a bar in the text where it stands (the end when `None`).
    const BAR: char = '▏';
    let chars: Vec<char> = text.chars().collect();
    let at = app.ann.note_cursor.unwrap_or(chars.len()).min(chars.len());
    let shown: String = chars[..at]
        .iter()
        .chain(std::iter::once(&BAR))
        .chain(chars[at..].iter())
        .map(|&c| if c == BAR { '|' } else { c })
        .collect();
    // Lines of the wrapped text, and the line below the one with the cursor.
    let mut lines: Vec<String> = Vec::new();
    let mut seen = 0usize;
    let mut cursor_line = 0usize;
    for para in shown.split('\n') {
        let n = para.chars().count();
        let mut para: String = para.to_string();
        let here = (seen..seen + n).contains(&at);
        if here {
            // The bar back at its place (a typed bar shows as `|`).
            let k = at - seen;
            para = para
                .chars()
                .enumerate()
                .map(|(i, c)| if i == k { BAR } else { c })
                .collect();
        }
        let wrapped = crate::app::reader::wrap(&safe_line(&para), w.saturating_sub(1));
        if here {
            cursor_line =
                lines.len() + wrapped.iter().position(|l| l.contains(BAR)).unwrap_or(0) + 1;
        }
        lines.extend(wrapped);
        seen += n + 1;
    }
    let h = inner.height as usize;
    let skip = cursor_line.saturating_sub(h);
    let buf = frame.buffer_mut();
    for (i, l) in lines.iter().skip(skip).take(h).enumerate() {
        let mut spans = Vec::new();
        for (k, part) in l.split(BAR).enumerate() {
            if k > 0 {
                spans.push(Span::styled(BAR.to_string(), style(t, "status.key")));
            }
            spans.push(Span::styled(part.to_string(), style(t, "status.input")));
        }
        buf.set_line(
            inner.x,
            inner.y + u16_of(i),
            &Line::from(spans),
            inner.width,
        );
    }
}

/// The annotation list: label, status, article and quote of each, the selected one's note.
pub(crate) fn draw_list(frame: &mut Frame, app: &App, list: &AnnList) {
    let t = &app.theme;
    let full = frame.area();
    let area = centered(
        full,
        full.width.saturating_sub(8).max(40),
        full.height.saturating_sub(4),
    );
    let what = if list.orphans_only {
        "Orphaned annotations"
    } else {
        "Annotations"
    };
    let filter = list
        .filter
        .as_ref()
        .map(|f| format!(" · {} only", app.ann.labels.display_name(f)))
        .unwrap_or_default();
    let title = format!("{what} ({}){filter}", list.shown.len());
    let block = pane_block(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    if inner.height < 3 {
        return;
    }
    // Two rows per annotation: label, status and article; then the quote.
    let per = 2usize;
    let rows = (inner.height as usize - 1) / per;
    let mut cursor = Cursor {
        selected: list.selected,
        offset: 0,
    };
    cursor.scroll_into_view(rows, list.shown.len());
    let w = inner.width as usize;
    let buf = frame.buffer_mut();
    let end = (cursor.offset + rows).min(list.shown.len());
    for (k, i) in (cursor.offset..end).enumerate() {
        let row = &list.rows[list.shown[i]];
        let y = inner.y + u16_of(k * per);
        let selected = i == list.selected;
        let sel = if selected {
            style(t, "popup.selected")
        } else {
            style(t, "popup")
        };
        let key = app.ann.labels.get(&row.label).map_or('?', |l| l.key);
        let name = app.ann.labels.display_name(&row.label);
        let sides = if row.targets > 1 {
            " · both sides"
        } else {
            ""
        };
        let head = format!(
            "{}{key} {} · {}{sides} · {}",
            if selected { "▸" } else { " " },
            safe_line(name),
            row.status.as_str(),
            safe_line(&row.title)
        );
        if selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), sel);
        }
        buf.set_line(
            inner.x,
            y,
            &Line::from(Span::styled(
                truncate(&head, w),
                sel.patch(label_style(app, &row.label)).patch(sel),
            )),
            inner.width,
        );
        let quote = format!("   “{}”", safe_line(&row.quote));
        buf.set_line(
            inner.x,
            y + 1,
            &Line::from(Span::styled(truncate(&quote, w), style(t, "list.meta"))),
            inner.width,
        );
    }
    if let Some(row) = list.current() {
        let note = row
            .note
            .as_deref()
            .map(|n| format!("Note: {}", safe_line(&n.replace('\n', " / "))))
            .unwrap_or_else(|| "No note".into());
        buf.set_line(
            inner.x,
            inner.y + inner.height - 1,
            &Line::from(Span::styled(truncate(&note, w), style(t, "popup.heading"))),
            inner.width,
        );
    }
}
