//! The diff view: two header rows (the versions, the stats), the aligned rows side by side or
//! unified with a gutter mark per row (`~` changed, `+` added, `-` removed, `↕` moved, readable
//! without colour) and the cursor, and a change map of the whole article on the right edge.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::style;
use crate::app::App;
use crate::app::diff::{DiffSeg, DiffState, RowKind, SegKind, Side, side_width};
use crate::app::reader::{display_date, safe_line, truncate};
use crate::config::Theme;

/// Draws the diff view into `area`.
pub fn draw(frame: &mut Frame, app: &App, d: &DiffState, area: Rect) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let t = &app.theme;
    let header = style(t, "diff.header");
    let width = area.width as usize;
    let buf = frame.buffer_mut();

    // Row 0: the two versions.
    let label = |v: usize| -> String {
        match app.lib.article(d.story, v) {
            Some(a) => {
                let mut label = format!("version {} · {}", v + 1, a.source);
                if let Some(date) = a.date.as_deref().filter(|d| !d.is_empty()) {
                    label.push_str(" · ");
                    label.push_str(&display_date(date));
                }
                safe_line(&label)
            }
            None => format!("version {}", v + 1),
        }
    };
    let (la, lb) = (label(d.a), label(d.b));
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
        let line = format!("{ma}− A: {la}  ⇄ {mb}+ B: {lb}");
        buf.set_line(
            area.x,
            area.y,
            &Line::from(Span::styled(truncate(&line, width), header)),
            area.width,
        );
    } else {
        let col = side_width(app.diff_text_width());
        buf.set_line(
            area.x + 3,
            area.y,
            &Line::from(Span::styled(
                truncate(&format!("{ma}A: {la}"), col),
                side_style(Side::A),
            )),
            col as u16,
        );
        let x = area.x + 3 + col as u16 + 3;
        buf.set_line(
            x,
            area.y,
            &Line::from(Span::styled(
                truncate(&format!("{mb}B: {lb}"), col),
                side_style(Side::B),
            )),
            area.width.saturating_sub(x - area.x),
        );
    }

    // Row 1: the stats and the switches.
    let s = &d.cmp.stats;
    let h = (area.height as usize).saturating_sub(2);
    let total = d.rows.len();
    let pos = if total <= h {
        "all".to_string()
    } else {
        format!("line {}/{total}", d.scroll + 1)
    };
    let stats = format!(
        "{} equal · {} changed · {} moved · {} added · {} removed · {:.0}% similar · {}{} · {pos}",
        s.equal,
        s.changed,
        s.moved,
        s.added,
        s.removed,
        s.similarity * 100.0,
        if d.unified { "unified" } else { "side by side" },
        if d.show_minor { " · minor shown" } else { "" },
    );
    buf.set_line(
        area.x,
        area.y + 1,
        &Line::from(Span::styled(truncate(&stats, width), style(t, "title"))),
        area.width,
    );

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
        let y = body.y + i as u16;
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
            buf.set_line(body.x + 3, y, &segs_line(app, &row.left), text_w as u16);
        } else {
            buf.set_line(body.x + 3, y, &segs_line(app, &row.left), col as u16);
            let sep_x = body.x + 3 + col as u16;
            buf.set_line(sep_x, y, &Line::from(Span::styled(" │ ", gutter)), 3);
            buf.set_line(
                sep_x + 3,
                y,
                &segs_line(app, &row.right),
                (text_w.saturating_sub(col + 3)) as u16,
            );
        }
    }
    draw_change_map(
        frame,
        app,
        d,
        Rect::new(area.x + area.width - 1, body.y, 1, body.height),
    );
}

/// A row's runs; annotated runs underlined in their label's colour.
fn segs_line<'a>(app: &App, segs: &'a [DiffSeg]) -> Line<'a> {
    Line::from(
        segs.iter()
            .map(|s| {
                let mut st = seg_style(&app.theme, s.kind);
                if let Some(label) = &s.label {
                    st = st.patch(super::annotations::label_style(app, label));
                }
                Span::styled(s.text.as_str(), st)
            })
            .collect::<Vec<_>>(),
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
        let cell = &mut buf[(area.x, area.y + y as u16)];
        cell.set_symbol(&sym);
        cell.set_style(st);
    }
}
