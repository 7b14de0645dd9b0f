//! The diff view: two header rows (the versions, the stats), the aligned rows side by side or
//! unified with a gutter mark per row (`~` changed, `+` added, `-` removed, `↕` moved, readable
//! without colour) and the cursor, and a change map of the whole article on the right edge.

use crate::num::u16_of;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::style;
use crate::app::App;
use crate::app::diff::{DiffSeg, DiffState, RowKind, SegKind, Side, side_width};
use crate::app::reader::{display_date, safe_line, text_width, truncate};
use crate::config::Theme;

/// Draws the diff view into `area`.
pub(crate) fn draw(frame: &mut Frame, app: &App, d: &DiffState, area: Rect) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let t = &app.theme;
    let header = style(t, "diff.header");
    let width = area.width as usize;
    let buf = frame.buffer_mut();

    // Row 0: the two versions, each with its headline where there is room; parts are
    // shortened (headline, then time, source, the word "version") before a side is cut.
    let la = |level: usize| side_label(app, d, d.a, level);
    let lb = |level: usize| side_label(app, d, d.b, level);
    // The side `v` selects on is marked ▸ (and styled as focused).
    let (ma, mb) = match d.side {
        Side::A => ("▸", " "),
        Side::B => (" ", "▸"),
    };
    let side_style = |side: Side| {
        if d.side == side {
            header.patch(style(t, "title.focused"))
        } else {
            header
        }
    };
    if d.unified {
        let line = (2..LABEL_LEVELS)
            .map(|level| format!("{ma}− A: {}  ⇄ {mb}+ B: {}", la(level), lb(level)))
            .find(|l| text_width(l) <= width)
            .unwrap_or_else(|| format!("{ma}− A: {}  ⇄ {mb}+ B: {}", la(5), lb(5)));
        // The headline after both sides, cut first.
        let room = width.saturating_sub(text_width(&line) + 3);
        let line = match headline(app, d) {
            Some(h) if room >= 8 => format!("{line} · {}", truncate(&h, room)),
            _ => line,
        };
        buf.set_line(
            area.x,
            area.y,
            &Line::from(Span::styled(truncate(&line, width), header)),
            area.width,
        );
    } else {
        let col = side_width(app.diff_text_width());
        let fit = |mark: &str, letter: &str, v: usize| {
            let at = |level: usize| format!("{mark}{letter}: {}", side_label(app, d, v, level));
            let full = at(0);
            if text_width(&full) <= col {
                return full;
            }
            // The headline is cut rather than dropped while a good part of it shows.
            let short = at(1);
            let headline = version_title(app, d.story, v);
            let prefix = text_width(&short).saturating_sub(text_width(&headline));
            if !headline.is_empty() && prefix + HEADLINE_MIN <= col {
                return truncate(&short, col);
            }
            (2..LABEL_LEVELS)
                .map(at)
                .find(|l| text_width(l) <= col)
                .unwrap_or_else(|| truncate(&at(5), col))
        };
        buf.set_line(
            area.x + 3,
            area.y,
            &Line::from(Span::styled(fit(ma, "A", d.a), side_style(Side::A))),
            u16_of(col),
        );
        let x = area.x + 3 + u16_of(col) + 3;
        buf.set_line(
            x,
            area.y,
            &Line::from(Span::styled(fit(mb, "B", d.b), side_style(Side::B))),
            area.width.saturating_sub(x - area.x),
        );
    }

    // Row 1: the stats and the switches, shortened before the position is cut; the change
    // map's label over its column.
    let s = &d.cmp.stats;
    let h = (area.height as usize).saturating_sub(2);
    let total = d.rows.len();
    let pos = if total <= h {
        "all".to_string()
    } else {
        format!("line {}/{total}", d.scroll + 1)
    };
    let mode = format!(
        "{}{}",
        if d.unified { "unified" } else { "side by side" },
        if d.show_minor { " · minor shown" } else { "" },
    );
    let similar = format!("{:.0}% similar", s.similarity * 100.0);
    let long = format!(
        "{} equal · {} changed · {} moved · {} added · {} removed",
        s.equal, s.changed, s.moved, s.added, s.removed
    );
    let short = format!(
        "={} ~{} ↕{} +{} −{}",
        s.equal, s.changed, s.moved, s.added, s.removed
    );
    let room = width.saturating_sub(MAP_LABEL.len() + 1);
    let stats = [
        format!("{long} · {similar} · {mode} · {pos}"),
        format!("{short} · {similar} · {mode} · {pos}"),
        format!("{short} · {similar} · {pos}"),
        format!("{short} · {pos}"),
    ]
    .into_iter()
    .find(|l| text_width(l) <= room)
    .unwrap_or_else(|| truncate(&format!("{short} · {pos}"), room));
    buf.set_line(
        area.x,
        area.y + 1,
        &Line::from(Span::styled(stats, style(t, "title"))),
        u16_of(room),
    );
    if width > MAP_LABEL.len() + 1 {
        buf.set_line(
            area.x + area.width - u16_of(MAP_LABEL.len()),
            area.y + 1,
            &Line::from(Span::styled(MAP_LABEL, style(t, "diff.gutter"))),
            u16_of(MAP_LABEL.len()),
        );
    }

    // The body.
    let body = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
    let text_w = app.diff_text_width();
    let col = side_width(text_w);
    let cursor_rows = d.item_rows(d.cursor);
    let gutter = style(t, "diff.gutter");
    let end = (d.scroll + h).min(total);
    let annotated = app.diff_annotation_marks();
    for (i, r) in (d.scroll..end).enumerate() {
        let row = &d.rows[r];
        let y = body.y + u16_of(i);
        let on_cursor = cursor_rows.contains(&r) && row.kind != RowKind::Blank;
        // An annotated sentence: its label's key (readable without colour).
        let mark = annotated
            .iter()
            .find(|(item, _)| *item == row.item && row.kind != RowKind::Blank)
            .and_then(|(_, label)| app.ann.labels.get(label))
            .map(|l| l.key.to_string());
        let cur = match (&mark, on_cursor) {
            (_, true) => "▶".to_string(),
            (Some(k), false) => k.clone(),
            (None, false) => " ".to_string(),
        };
        buf.set_line(
            body.x,
            y,
            &Line::from(vec![
                Span::styled(
                    cur,
                    if on_cursor {
                        style(t, "diff.cursor")
                    } else if mark.is_some() {
                        style(t, "diff.note")
                    } else {
                        gutter
                    },
                ),
                Span::styled(row.kind.mark().to_string(), kind_style(t, row.kind)),
            ]),
            2,
        );
        if d.unified {
            buf.set_line(body.x + 3, y, &segs_line(app, &row.left), u16_of(text_w));
        } else {
            buf.set_line(body.x + 3, y, &segs_line(app, &row.left), u16_of(col));
            let sep_x = body.x + 3 + u16_of(col);
            buf.set_line(sep_x, y, &Line::from(Span::styled(" │ ", gutter)), 3);
            buf.set_line(
                sep_x + 3,
                y,
                &segs_line(app, &row.right),
                u16_of(text_w.saturating_sub(col + 3)),
            );
        }
    }
    // The change map, framed by a rule on its left.
    let rule_x = area.x + area.width - 2;
    for y in body.y..body.y + body.height {
        buf[(rule_x, y)].set_symbol("▕").set_style(gutter);
    }
    draw_change_map(
        frame,
        app,
        d,
        Rect::new(area.x + area.width - 1, body.y, 1, body.height),
    );
}

/// How many ways a side's label can be written, longest first (see [`side_label`]).
const LABEL_LEVELS: usize = 6;

/// Columns of a headline worth showing cut in a side's header.
const HEADLINE_MIN: usize = 16;

/// The label over the change map's column (the map is framed by a rule on its left).
const MAP_LABEL: &str = "map";

/// Version `v`'s label in the header at `level`: 0 `version 2 · Wire · 2015-12-16 08:30 UTC ·
/// Headline`, 1 `v2 · Wire · 2015-12-16 · Headline`, 2 as 0 without the headline, 3 `v2 ·
/// Wire · 2015-12-16` (source cut to 14), 4 `v2 · Wire` (cut to 10), 5 `v2`.
fn side_label(app: &App, d: &DiffState, v: usize, level: usize) -> String {
    let Some(a) = app.lib.article(d.story, v) else {
        return format!("version {}", v + 1);
    };
    let date = a.date.as_deref().filter(|d| !d.is_empty());
    let inferred = if a.date_inferred { "~" } else { "" };
    let day = |date: &str| format!("{}{inferred}", date.get(..10).unwrap_or(date));
    let mut parts: Vec<String> = Vec::new();
    match level {
        0 | 2 => {
            parts.push(format!("version {}", v + 1));
            parts.push(a.source.to_string());
            if let Some(date) = date {
                parts.push(format!("{}{inferred}", display_date(date)));
            }
            if level == 0 {
                parts.push(version_title(app, d.story, v));
            }
        }
        1 => {
            parts.push(format!("v{}", v + 1));
            parts.push(a.source.to_string());
            if let Some(date) = date {
                parts.push(day(date));
            }
            parts.push(version_title(app, d.story, v));
        }
        3 => {
            parts.push(format!("v{}", v + 1));
            parts.push(truncate(&a.source, 14));
            if let Some(date) = date {
                parts.push(day(date));
            }
        }
        4 => {
            parts.push(format!("v{}", v + 1));
            parts.push(truncate(&a.source, 10));
        }
        _ => parts.push(format!("v{}", v + 1)),
    }
    parts.retain(|p| !p.is_empty());
    safe_line(&parts.join(" · "))
}

/// Version `v`'s headline, else its story's marked as such.
fn version_title(app: &App, story: usize, v: usize) -> String {
    let Some(a) = app.lib.article(story, v) else {
        return String::new();
    };
    if !a.title.trim().is_empty() {
        return safe_line(a.title.trim());
    }
    match app.lib.stories.get(story).map(|s| s.title.trim()) {
        Some(t) if !t.is_empty() => format!("{t} {}", crate::app::reader::STORY_HEADLINE_MARK),
        _ => String::new(),
    }
}

/// The headline shown after a unified header: the story's.
fn headline(app: &App, d: &DiffState) -> Option<String> {
    let t = app.lib.stories.get(d.story)?.title.trim();
    (!t.is_empty()).then(|| safe_line(t))
}

/// A row's runs; annotated runs underlined in their label's colour. A changed run keeps its
/// change colour (red, green, yellow) and takes the label's colour as its underline's only, so
/// annotating a change never hides what changed.
fn segs_line<'a>(app: &App, segs: &'a [DiffSeg]) -> Line<'a> {
    Line::from(
        segs.iter()
            .map(|s| {
                let mut st = seg_style(&app.theme, s.kind);
                if let Some(label) = &s.label {
                    let mark = super::annotations::label_style(app, label);
                    st = if is_change(s.kind) {
                        let st = st.add_modifier(Modifier::UNDERLINED);
                        match mark.fg {
                            Some(c) => st.underline_color(c),
                            None => st,
                        }
                    } else {
                        st.patch(mark)
                    };
                }
                Span::styled(s.text.as_str(), st)
            })
            .collect::<Vec<_>>(),
    )
}

/// Whether a run of `kind` shows a change by its colour.
fn is_change(kind: SegKind) -> bool {
    matches!(
        kind,
        SegKind::Delete | SegKind::Insert | SegKind::Minor | SegKind::Removed | SegKind::Added
    )
}

fn seg_style(t: &Theme, kind: SegKind) -> Style {
    style(
        t,
        match kind {
            SegKind::Same => "diff.same",
            SegKind::Plain => "reader.body",
            SegKind::Delete => "diff.delete",
            SegKind::Insert => "diff.insert",
            SegKind::Minor => "diff.minor",
            SegKind::Removed => "diff.removed",
            SegKind::Added => "diff.added",
            SegKind::Note => "diff.note",
            SegKind::Selected => "reader.selection",
            SegKind::Found => "reader.match",
            SegKind::FoundCurrent => "reader.match.current",
        },
    )
}

fn kind_style(t: &Theme, kind: RowKind) -> Style {
    style(
        t,
        match kind {
            RowKind::Equal | RowKind::Blank => "diff.gutter",
            RowKind::Changed => "diff.minor",
            RowKind::Added => "diff.added",
            RowKind::Removed => "diff.removed",
            RowKind::Moved => "diff.moved",
        },
    )
}

/// Where the changes are in the whole article, one cell per slice of rows; the rows on screen
/// are reversed.
fn draw_change_map(frame: &mut Frame, app: &App, d: &DiffState, area: Rect) {
    let t = &app.theme;
    let total = d.rows.len();
    let h = area.height as usize;
    if total == 0 || h == 0 {
        return;
    }
    let rank = |k: RowKind| match k {
        RowKind::Moved => 4,
        RowKind::Changed => 3,
        RowKind::Removed => 2,
        RowKind::Added => 1,
        RowKind::Equal | RowKind::Blank => 0,
    };
    let buf = frame.buffer_mut();
    for y in 0..h {
        let (r0, r1) = if total <= h {
            (y, (y + 1).min(total))
        } else {
            let r0 = y * total / h;
            (r0, ((y + 1) * total / h).max(r0 + 1))
        };
        let strongest = (r0..r1)
            .map(|r| d.rows[r].kind)
            .max_by_key(|&k| rank(k))
            .unwrap_or(RowKind::Blank);
        let in_view = r0 < r1 && r1 > d.scroll && r0 < d.scroll + h;
        let (sym, mut st) = if rank(strongest) > 0 {
            (strongest.mark().to_string(), kind_style(t, strongest))
        } else if r0 < r1 {
            ("│".to_string(), style(t, "diff.gutter"))
        } else {
            (" ".to_string(), Style::default())
        };
        if in_view {
            st = st
                .patch(style(t, "scrollbar"))
                .add_modifier(Modifier::REVERSED);
        }
        let cell = &mut buf[(area.x, area.y + u16_of(y))];
        cell.set_symbol(&sym);
        cell.set_style(st);
    }
}
