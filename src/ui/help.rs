//! The help overlay (generated from the keymap) and the problems overlay.

use crate::num::u16_of;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use super::{centered, pane_block, style};
use crate::app::App;
use crate::app::help::HelpLine;
use crate::app::reader::{safe_line, text_width, truncate, wrap};

/// Draws the help overlay scrolled by `scroll` lines.
pub(crate) fn draw_help(frame: &mut Frame, app: &App, scroll: usize) {
    let t = &app.theme;
    let area = centered(frame.area(), 96, frame.area().height.saturating_sub(2));
    let lines = app.help_lines();
    let block = pane_block(app, "Help: your keys".into(), true).title_bottom(
        Line::from(Span::styled(
            format!(
                " {}-{} of {} · action names are for config.toml ",
                scroll + 1,
                (scroll + frame.area().height.saturating_sub(4) as usize).min(lines.len()),
                lines.len()
            ),
            style(t, "title"),
        ))
        .right_aligned(),
    );
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let key_w = 18.min(width / 3);
    let buf = frame.buffer_mut();
    for (row, line) in lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let spans = match line {
            HelpLine::Heading(h) => vec![Span::styled(*h, style(t, "popup.heading"))],
            HelpLine::Blank => vec![],
            HelpLine::Binding {
                keys,
                description,
                name,
            } => {
                let k = truncate(keys, key_w);
                let pad = key_w.saturating_sub(text_width(&k));
                let room = width.saturating_sub(key_w + 2);
                // The action names get a column of their own when there is room for it.
                let desc_w = if room >= 52 + 18 { 52 } else { room };
                let desc = truncate(description, desc_w);
                let desc_pad = desc_w.saturating_sub(text_width(&desc));
                let mut spans = vec![
                    Span::styled(format!("  {k}{}", " ".repeat(pad)), style(t, "popup.key")),
                    Span::styled(format!("{desc}{}", " ".repeat(desc_pad)), style(t, "popup")),
                ];
                if desc_w < room {
                    spans.push(Span::styled(format!(" {name}"), style(t, "list.meta")));
                }
                spans
            }
        };
        buf.set_line(
            inner.x,
            inner.y + u16_of(row),
            &Line::from(spans),
            inner.width,
        );
    }
}

/// Draws the problems overlay scrolled by `scroll` problems.
pub(crate) fn draw_problems(frame: &mut Frame, app: &App, scroll: usize) {
    let t = &app.theme;
    let area = centered(frame.area(), 110, frame.area().height.saturating_sub(2));
    let block = pane_block(
        app,
        format!(
            "{} (Esc closes)",
            crate::text::plural(app.problems.len(), "problem", "problems")
        ),
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let width = (inner.width as usize).max(1);
    let buf = frame.buffer_mut();
    let mut y = 0u16;
    'outer: for p in app.problems.iter().skip(scroll) {
        for (i, l) in wrap(&safe_line(p), width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            if y >= inner.height {
                break 'outer;
            }
            let text = if i == 0 {
                format!("• {l}")
            } else {
                format!("  {l}")
            };
            buf.set_line(
                inner.x,
                inner.y + y,
                &Line::from(Span::styled(text, style(t, "popup"))),
                inner.width,
            );
            y += 1;
        }
    }
}
