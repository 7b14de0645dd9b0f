//! Rendering only: `draw(frame, &App)` turns the state into cells. No state changes, no files.
//! One module per pane or overlay; each draws only what is visible.

mod annotations;
mod collate_view;
mod diff_view;
mod help;
mod picker;
mod reader;
mod status;
mod story_list;
mod versions;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use crate::app::{App, Area, View};
use crate::config::{Theme, ThemeColor};

/// Draws the whole screen for `app`.
pub fn draw(frame: &mut Frame, app: &App) {
    let full = frame.area();
    let screen = crate::app::layout::layout(
        full.width,
        full.height,
        app.focus,
        app.versions_rows(),
        app.list_want(full.width),
    );
    // The panes, unless a full-screen view (the diff) covers them; then every view of the
    // stack, bottom first.
    if let Some(d) = app.diff() {
        let body = Rect::new(
            full.x,
            full.y,
            full.width,
            screen.status.y.saturating_sub(full.y),
        );
        diff_view::draw(frame, app, d, body);
    } else {
        if let Some(a) = screen.list {
            story_list::draw(frame, app, rect(a));
        }
        if let Some(a) = screen.versions {
            versions::draw(frame, app, rect(a));
        }
        if let Some(a) = screen.reader {
            reader::draw(frame, app, rect(a));
        }
    }
    status::draw(frame, app, rect(screen.status));
    for view in &app.layers {
        match view {
            View::Help { scroll } => help::draw_help(frame, app, *scroll),
            View::Problems { scroll } => help::draw_problems(frame, app, *scroll),
            View::Picker(p) => picker::draw(frame, app, p),
            View::Note { label, text } => annotations::draw_note(frame, app, label, text),
            View::LabelPick => annotations::draw_label_picker(frame, app),
            View::AnnList(list) => annotations::draw_list(frame, app, list),
            View::Collate(v) => collate_view::draw(frame, app, v),
            // Drawn above; the search input is in the status bar.
            // The reading pane draws its own selection.
            View::Diff(_) | View::Search | View::Select(_) => {}
        }
    }
}

/// A scrollbar on the right border of the pane `area` when `len` rows do not fit in `shown`.
fn scrollbar(frame: &mut Frame, app: &App, area: Rect, len: usize, offset: usize, shown: usize) {
    use ratatui::layout::Margin;
    use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};
    if len <= shown || area.height < 4 {
        return;
    }
    let max = len - shown;
    let mut state = ScrollbarState::new(max + 1)
        .viewport_content_length(shown)
        .position(offset.min(max));
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(None)
            .thumb_style(style(&app.theme, "scrollbar")),
        area.inner(Margin {
            vertical: 1,
            horizontal: 0,
        }),
        &mut state,
    );
}

/// The terminal rectangle of a layout area.
fn rect(a: Area) -> Rect {
    Rect::new(a.x, a.y, a.width, a.height)
}

/// The terminal style of the theme's style called `name`.
pub fn style(theme: &Theme, name: &str) -> Style {
    let s = theme.get(name);
    let mut out = Style::default();
    if let Some(c) = s.fg {
        out = out.fg(color(c));
    }
    if let Some(c) = s.bg {
        out = out.bg(color(c));
    }
    let m = s.modifiers;
    for (on, modifier) in [
        (m.bold, Modifier::BOLD),
        (m.dim, Modifier::DIM),
        (m.italic, Modifier::ITALIC),
        (m.underline, Modifier::UNDERLINED),
        (m.reversed, Modifier::REVERSED),
        (m.crossed_out, Modifier::CROSSED_OUT),
    ] {
        if on {
            out = out.add_modifier(modifier);
        }
    }
    out
}

fn color(c: ThemeColor) -> Color {
    match c {
        ThemeColor::Reset => Color::Reset,
        ThemeColor::Ansi(i) => [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ][usize::from(i.min(15))],
        ThemeColor::Indexed(i) => Color::Indexed(i),
        ThemeColor::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// A pane's frame: thick and bold when focused, so focus shows without colour.
fn pane_block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let t = &app.theme;
    let (border, title_style, kind, marker) = if focused {
        (
            style(t, "border.focused"),
            style(t, "title.focused"),
            BorderType::Thick,
            "▶ ",
        )
    } else {
        (style(t, "border"), style(t, "title"), BorderType::Plain, "")
    };
    Block::bordered()
        .border_type(kind)
        .border_style(border)
        .title(Line::from(Span::styled(
            format!(" {marker}{title} "),
            title_style,
        )))
}

/// Splits `text` into spans, `base` style with `hit` style over the search matches of `query`.
fn highlighted<'a>(
    text: &'a str,
    query: &str,
    base: Style,
    hit: Style,
    current: Option<std::ops::Range<usize>>,
    current_style: Style,
) -> Vec<Span<'a>> {
    let matches = if query.is_empty() {
        Vec::new()
    } else {
        crate::app::search::find_matches(text, query)
    };
    marked(text, matches, base, hit, current, current_style)
}

/// `text` with the byte ranges `matches` (in order, not overlapping) in `hit`, the one equal
/// to `current` in `current_style`.
fn marked<'a>(
    text: &'a str,
    matches: Vec<std::ops::Range<usize>>,
    base: Style,
    hit: Style,
    current: Option<std::ops::Range<usize>>,
    current_style: Style,
) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for m in matches {
        if m.start < at
            || m.end > text.len()
            || !text.is_char_boundary(m.start)
            || !text.is_char_boundary(m.end)
        {
            continue;
        }
        if m.start > at {
            spans.push(Span::styled(&text[at..m.start], base));
        }
        let s = if current.as_ref() == Some(&m) {
            current_style
        } else {
            hit
        };
        spans.push(Span::styled(&text[m.clone()], s));
        at = m.end;
    }
    if at < text.len() || spans.is_empty() {
        spans.push(Span::styled(&text[at..], base));
    }
    spans
}

/// A rectangle of `width`×`height` centred across `area`, placed above or below the rows
/// `keep` (what is being annotated) so they stay visible: below them when it fits, else
/// above, else on the side with more room; centred when there is nothing to keep.
fn away_from(area: Rect, width: u16, height: u16, keep: Option<std::ops::Range<u16>>) -> Rect {
    let mut r = centered(area, width, height);
    let Some(keep) = keep else {
        return r;
    };
    // The last row is the status bar.
    let bottom = area.y + area.height.saturating_sub(1);
    let below = bottom.saturating_sub(keep.end);
    let above = keep.start.saturating_sub(area.y);
    r.y = if below >= r.height {
        keep.end
    } else if above >= r.height {
        keep.start - r.height
    } else if below >= above {
        bottom.saturating_sub(r.height).max(area.y)
    } else {
        area.y
    };
    r
}

/// A rectangle of `width`×`height` centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
