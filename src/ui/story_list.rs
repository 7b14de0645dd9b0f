//! The story list: one row per story, drawn for the visible window only.

use crate::num::u16_of;
use crate::num::{f64_of, f64_of_u64};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};

use super::{highlighted, pane_block, style};
use crate::app::reader::{safe_line, text_width, truncate};
use crate::app::{App, LoadState, Pane};
use crate::corpus::Progress;

/// Draws the list pane into `area`.
pub(crate) fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let focused = app.focus == Pane::List;
    let title = match &app.load {
        LoadState::Ready => {
            let mut title = format!(
                "{} · {}",
                truncate(&safe_line(&app.corpus_label), 24),
                crate::text::plural(app.view.len(), "story", "stories")
            );
            if let Some(f) = &app.source_filter {
                title.push_str(&format!(" from {}", truncate(&safe_line(f), 16)));
            }
            title
        }
        _ => truncate(&safe_line(&app.corpus_label), 40),
    };
    let mut block = pane_block(app, title, focused);
    if app.is_ready() {
        block = block.title_bottom(
            Line::from(Span::styled(
                if app.search.hits.is_some() {
                    " best match first ".to_string()
                } else {
                    format!(" sort: {} ", app.sort.label())
                },
                style(t, "title"),
            ))
            .right_aligned(),
        );
        if !app.view.is_empty() {
            block = block.title_bottom(Line::from(Span::styled(
                format!(" {}/{} ", app.list.selected + 1, app.view.len()),
                style(t, "title"),
            )));
        }
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    match &app.load {
        LoadState::Loading(p) => return draw_loading(frame, app, inner, *p),
        LoadState::Failed(e) => {
            let text = format!("Loading failed: {}", safe_line(e));
            frame.render_widget(
                Paragraph::new(text)
                    .style(style(t, "status.error"))
                    .wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
        LoadState::Ready => {}
    }
    if app.view.is_empty() {
        let text = if app.lib.stories.is_empty() {
            "No stories. Give stet files or folders of news: stet PATH…"
        } else {
            "No story matches the filter (Esc clears it)."
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
        return;
    }
    let width = inner.width as usize;
    // No date column when no story is dated.
    let show_date = width >= 44 && app.lib.any_dated;
    // Sources: a column as wide as the widest (14 at most) on wide lists, an abbreviated one
    // on middling ones.
    let widest = app.lib.source_column() - 1;
    let before = 5 + if show_date { app.lib.date_column() } else { 0 };
    let source_cell: usize = match width {
        _ if width >= before + widest + 1 + 24 => widest,
        50.. => widest.min(8),
        _ => 0,
    };
    let show_sources = source_cell > 0;
    let selected_style = style(
        t,
        if focused {
            "list.selected"
        } else {
            "list.selected.inactive"
        },
    );
    let meta = style(t, "list.meta");
    let hit = style(t, "list.match");
    let query = app.search.query.as_str();
    super::scrollbar(
        frame,
        app,
        area,
        app.view.len(),
        app.list.offset,
        inner.height as usize,
    );
    let buf = frame.buffer_mut();
    let end = (app.list.offset + inner.height as usize).min(app.view.len());
    for (row, vi) in (app.list.offset..end).enumerate() {
        let si = app.view[vi];
        let story = &app.lib.stories[si];
        let read = app.read.get(si).copied().unwrap_or(false);
        let selected = vi == app.list.selected;
        let title_style = style(t, if read { "list.read" } else { "list.unread" });
        let mut spans: Vec<Span> = Vec::new();
        if app.watch_new(si) {
            // New versions arrived while open (the watch archive).
            spans.push(Span::styled("+ ", hit));
        } else {
            spans.push(Span::styled(if read { "  " } else { "● " }, title_style));
        }
        spans.push(Span::styled(
            format!("{:>2} ", story.versions.len().min(99)),
            meta,
        ));
        let mut used = 5;
        if show_date {
            // The story's date: the day its earliest version was published, as that version
            // writes it (what `stet stories` prints); `~` when taken from its dateline.
            let date = story
                .first_date
                .as_deref()
                .map(|d| truncate(&safe_line(d.get(..10).unwrap_or(d)), 10))
                .unwrap_or_else(|| "undated".into());
            let inferred = app.lib.first_inferred.get(si).copied().unwrap_or(false);
            let pad = 10usize.saturating_sub(text_width(&date));
            let date = format!("{date}{}", " ".repeat(pad));
            let mark = match (app.lib.any_inferred, inferred) {
                (false, _) => "",
                (true, true) => "~",
                (true, false) => " ",
            };
            spans.push(Span::styled(format!("{date}{mark} "), meta));
            used += app.lib.date_column();
        }
        if show_sources {
            let mut src = story
                .sources
                .first()
                .map(|s| safe_line(s))
                .unwrap_or_default();
            let more = story.sources.len().saturating_sub(1);
            let cell = source_cell;
            if more > 0 {
                let suffix = if cell >= 10 {
                    format!(" +{more}")
                } else {
                    format!("+{more}")
                };
                src = truncate(&src, cell.saturating_sub(suffix.len())) + &suffix;
            } else {
                src = truncate(&src, cell);
            }
            let pad = cell.saturating_sub(text_width(&src));
            spans.push(Span::styled(format!("{src}{} ", " ".repeat(pad)), meta));
            used += cell + 1;
        }
        let title = truncate(
            &safe_line(app.lib.display_title(si)),
            width.saturating_sub(used),
        );
        let y = inner.y + u16_of(row);
        let mut line_spans: Vec<Span> = spans;
        line_spans.extend(
            highlighted(&title, query, title_style, hit, None, hit)
                .into_iter()
                .map(|s| Span::styled(s.content.into_owned(), s.style)),
        );
        if selected {
            let row_rect = Rect::new(inner.x, y, inner.width, 1);
            buf.set_style(row_rect, selected_style);
            for s in &mut line_spans {
                s.style = if s.style == hit {
                    selected_style.patch(hit)
                } else {
                    s.style.patch(selected_style)
                };
            }
        }
        buf.set_line(inner.x, y, &Line::from(line_spans), inner.width);
    }
}

/// What the gauge of a load says, and how full it is.
fn progress_label(p: Option<Progress>) -> (String, f64) {
    let ratio = |done: f64, total: f64| {
        if total > 0.0 {
            (done / total).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let counted = |what: &str, done: usize, total: usize| {
        let label = if total > 0 {
            format!("{what} {done} / {total}")
        } else if done > 0 {
            format!("{what} {done}")
        } else {
            format!("{what}…")
        };
        (label, ratio(f64_of(done), f64_of(total)))
    };
    match p {
        None => counted("Starting", 0, 0),
        Some(Progress::Reading { done, total }) => (
            format!("Reading {}", crate::text::plural::bytes_of(done, total)),
            ratio(f64_of_u64(done), f64_of_u64(total)),
        ),
        Some(Progress::Saving) => ("Saving the stories…".to_string(), 1.0),
        Some(Progress::Loading { done, total }) => counted("Loading", done, total),
        Some(Progress::Cleaning { done, total }) => counted("Cleaning", done, total),
        Some(p @ Progress::Grouping { done, total }) => (
            format!("Grouping {}%", p.percent().unwrap_or(0)),
            ratio(f64_of(done), f64_of(total.max(1))),
        ),
    }
}

fn draw_loading(frame: &mut Frame, app: &App, area: Rect, p: Option<Progress>) {
    let t = &app.theme;
    let (label, ratio) = progress_label(p);
    let gauge_area = Rect::new(
        area.x + 1,
        area.y + area.height / 2,
        area.width.saturating_sub(2),
        1.min(area.height),
    );
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(Span::styled(label, Style::default()))
            .gauge_style(style(t, "gauge"))
            .use_unicode(true),
        gauge_area,
    );
}
