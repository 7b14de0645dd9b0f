//! The status bar: the search input, messages, the hints of the current pane, and counts.

use crate::num::u16_of;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::style;
use crate::app::reader::{safe_line, text_width, truncate};
use crate::app::{App, View};
use crate::command::format_sequence;

/// Draws the status bar into `area`.
pub(crate) fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let bar = style(t, "status.bar");
    let key = style(t, "status.key");
    let buf = frame.buffer_mut();
    buf.set_style(area, bar);
    let width = area.width as usize;

    // Right: counts and problems.
    let mut right = String::new();
    if !app.pending.is_empty() {
        right.push_str(&format!("{}… ", format_sequence(&app.pending)));
    }
    // A slow job under way (the reader stays usable meanwhile; Esc cancels it).
    if let Some(progress) = app.waiting.progress_text() {
        right.push_str(&format!("{progress} · "));
    }
    if app.ann.read_only.is_some() {
        right.push_str("annotations read-only · ");
    }
    if let crate::app::IndexState::Building { done, total } = &app.index
        && app.is_ready()
    {
        right.push_str(&format!(
            "indexing {} / {} · ",
            crate::app::search::thousands(*done),
            crate::app::search::thousands(*total)
        ));
    }
    if app.is_ready() {
        right.push_str(&format!("{} unread ", app.unread_shown()));
    }
    if !app.problems.is_empty() {
        right.push_str(&format!(
            "· {} ",
            crate::text::plural(app.problems.len(), "problem", "problems")
        ));
    }
    let right_w = text_width(&right).min(width / 2);
    let left_w = width.saturating_sub(right_w + 1);

    let mut spans: Vec<Span> = Vec::new();
    if matches!(app.top(), Some(View::Search)) {
        let count = format!("  {}", app.search_note());
        spans.push(Span::styled("/", key));
        spans.push(Span::styled(
            truncate(&safe_line(&app.search.query), left_w.saturating_sub(20)),
            style(t, "status.input").patch(bar),
        ));
        spans.push(Span::styled("▏", key));
        spans.push(Span::styled(count, bar));
    } else if let Some(status) = &app.status {
        let s = if status.error {
            style(t, "status.error")
        } else {
            style(t, "status.info")
        };
        spans.push(Span::styled(
            truncate(&safe_line(&status.text), left_w),
            bar.patch(s),
        ));
    } else {
        // The help hint is always shown, last: it leads to every other key.
        let mut hints = app.hints();
        let help = hints
            .iter()
            .position(|(_, l)| *l == "help")
            .map(|i| hints.remove(i));
        let hint_w = |(k, l): &(String, &str)| text_width(k) + 1 + text_width(l) + 2;
        let reserve = help.as_ref().map_or(0, hint_w);
        let mut used = 0;
        for h in &hints {
            let w = hint_w(h);
            if used + w + reserve > left_w {
                break;
            }
            spans.push(Span::styled(h.0.clone(), bar.patch(key)));
            spans.push(Span::styled(format!(" {}  ", h.1), bar));
            used += w;
        }
        if let Some(h) = help
            && used + hint_w(&h) <= left_w
        {
            spans.push(Span::styled(h.0, bar.patch(key)));
            spans.push(Span::styled(format!(" {}  ", h.1), bar));
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), u16_of(left_w));
    if right_w > 0 {
        let x = area.x + u16_of(width - right_w);
        buf.set_line(
            x,
            area.y,
            &Line::from(Span::styled(truncate(&right, right_w), bar)),
            u16_of(right_w),
        );
    }
}
