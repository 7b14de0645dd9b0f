//! The collation view: a matrix of readings × versions (one block per cell: same, changed,
//! absent, each with its own glyph so it reads without colour), a timeline strip and a reuse
//! bar per version above it, and below it the selected reading's text in every version with
//! changed words highlighted, or the pairwise diff of the selected version against the base.

use crate::num::{f64_of, usize_of};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use super::{pane_block, style};
use crate::app::App;
use crate::app::collate::{CollateView, layout_rows};
use crate::app::reader::{safe_line, text_width, truncate};
use crate::compare::collate::{CellState, VersionInfo};
use crate::compare::{OpKind, WordChange, WordOp};
use crate::config::Theme;

/// Width of the row-number gutter left of the cells.
const GUTTER: usize = 6;
/// Width of one version's column: two glyphs and a space.
const CELL: usize = 3;

/// Draws the collation view over everything but the status bar.
pub(crate) fn draw(frame: &mut Frame, app: &App, view: &CollateView) {
    let full = frame.area();
    let area = Rect::new(full.x, full.y, full.width, full.height.saturating_sub(1));
    frame.render_widget(Clear, area);
    let t = &app.theme;
    let table = &view.table;
    let title = format!(
        "Collation: {} · {} · {}",
        truncate(&safe_line(&view.title), 40),
        crate::text::plural(table.width(), "version", "versions"),
        crate::text::plural(table.readings.len(), "reading", "readings")
    );
    let block = pane_block(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 20 || inner.height < 6 || table.width() == 0 {
        return;
    }
    let rows = layout_rows(inner.height, table.width());
    let width = inner.width as usize;
    // The window of columns that fits, keeping the selected one in it.
    let fit = ((width.saturating_sub(GUTTER + 12)) / CELL).max(1);
    let first_col = view.column.saturating_sub(fit - 1);
    let cols: Vec<usize> = (first_col..table.width()).take(fit).collect();

    let mut y = inner.y;
    let mut put = |frame: &mut Frame, line: Line<'_>| {
        if y < inner.y + inner.height {
            frame.buffer_mut().set_line(inner.x, y, &line, inner.width);
            y += 1;
        }
    };
    put(frame, timeline_line(t, view, width));
    put(frame, header_line(t, view, &cols, Header::Source));
    put(frame, header_line(t, view, &cols, Header::Day));
    put(frame, header_line(t, view, &cols, Header::Reuse));

    // The matrix, windowed.
    let end = (view.row.offset + rows.matrix).min(table.readings.len());
    for ri in view.row.offset..end {
        // An annotated reading: its label's key in the margin (readable without colour).
        let mark = view
            .marks
            .get(ri)
            .and_then(Option::as_ref)
            .and_then(|label| app.ann.labels.get(label))
            .map(|l| l.key);
        put(frame, matrix_line(t, view, ri, &cols, width, mark));
    }
    for _ in end - view.row.offset.min(end)..rows.matrix {
        put(frame, Line::default());
    }

    // The selected reading in every version, or the pairwise diff.
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut focus_line = 0;
    let rule = style(t, "reader.rule");
    match &view.diff {
        Some(d) => {
            let head = format!(
                " diff: version 1 → version {} ({}) ",
                d.column + 1,
                table
                    .versions
                    .get(d.column)
                    .map_or(String::new(), |v| safe_line(&v.source))
            );
            lines.push(rule_line(&head, width, rule));
            let focus_op = view.diff_op().unwrap_or(0);
            for (k, op) in d.comparison.ops.iter().enumerate() {
                if k == focus_op {
                    focus_line = lines.len();
                }
                let (mark, mark_style) = match op.kind {
                    OpKind::Equal => ("  ", Style::default()),
                    OpKind::Changed => ("~ ", style(t, "collate.changed")),
                    OpKind::Added => ("+ ", style(t, "collate.insert")),
                    OpKind::Removed => ("- ", style(t, "collate.delete")),
                };
                let b_text = op.b.as_deref().unwrap_or("");
                let mut spans = runs(t, &op.words, b_text);
                if op.moved {
                    spans.extend(plain_chars(" (moved)", style(t, "collate.moved")));
                }
                let prefix = if k == focus_op { "▶" } else { " " };
                wrap_spans(
                    &mut lines,
                    vec![
                        (prefix.to_string(), style(t, "collate.selected")),
                        (mark.to_string(), mark_style),
                    ],
                    spans,
                    width,
                );
            }
        }
        None => {
            let head = format!(
                " reading {} of {} ",
                view.row.selected + 1,
                table.readings.len()
            );
            lines.push(rule_line(&head, width, rule));
            if let Some(r) = table.readings.get(view.row.selected) {
                for (k, cell) in r.cells.iter().enumerate() {
                    if k == view.column {
                        focus_line = lines.len();
                    }
                    let v = &table.versions[k];
                    let inferred = |v: &VersionInfo| {
                        view.articles
                            .get(v.input)
                            .and_then(|&a| app.lib.corpus.articles.get(a))
                            .is_some_and(|a| a.date_inferred)
                    };
                    let mark = table.versions.iter().any(inferred).then(|| inferred(v));
                    let prefix = format!(
                        "{}{:>2} {} {}",
                        if k == view.column { "▶" } else { " " },
                        k + 1,
                        initials(&v.source),
                        date_label(v, mark)
                    );
                    let prefix_style = if k == view.column {
                        style(t, "collate.selected")
                    } else {
                        style(t, "list.meta")
                    };
                    let body: Vec<(char, Style)> = match cell.state {
                        CellState::Absent => plain_chars("(absent)", style(t, "collate.absent")),
                        CellState::Same => plain_chars(&cell.text, Style::default()),
                        CellState::Changed => match table.cell_diff(view.row.selected, k) {
                            Some(diff) => runs(t, &diff.changes, &cell.text),
                            None => plain_chars(&cell.text, Style::default()),
                        },
                    };
                    wrap_spans(&mut lines, vec![(prefix, prefix_style)], body, width);
                }
            }
        }
    }
    // Keep the focused entry in view.
    let shown = rows.detail.saturating_sub(1).max(1);
    let offset = if focus_line + 1 > shown && lines.len() > rows.detail {
        (focus_line + 1 - shown).min(lines.len().saturating_sub(rows.detail))
    } else {
        0
    };
    if let Some(first) = lines.first().cloned() {
        put(frame, first);
    }
    for line in lines
        .into_iter()
        .skip(1 + offset)
        .take(rows.detail.saturating_sub(1))
    {
        put(frame, line);
    }
}

/// A horizontal rule with a label.
fn rule_line(label: &str, width: usize, rule: Style) -> Line<'static> {
    let label_w = text_width(label);
    let left = 2usize.min(width);
    let right = width.saturating_sub(left + label_w);
    Line::from(vec![
        Span::styled("─".repeat(left), rule),
        Span::styled(label.to_string(), rule.add_modifier(Modifier::BOLD)),
        Span::styled("─".repeat(right), rule),
    ])
}

/// A source's two-letter initials ("Norda Wire" → "NW", "reuters" → "RE",
/// "nordawire.example" → "NO").
pub(crate) fn initials(source: &str) -> String {
    let mut clean = safe_line(source);
    if !clean.contains(' ')
        && let Some(host) = clean.split('.').find(|p| !p.is_empty() && *p != "www")
    {
        clean = host.to_string();
    }
    let words: Vec<&str> = clean
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: String = if words.len() >= 2 {
        words
            .iter()
            .take(2)
            .filter_map(|w| w.chars().next())
            .collect()
    } else {
        words
            .first()
            .map_or(String::new(), |w| w.chars().take(2).collect())
    };
    out = out.to_uppercase();
    while text_width(&out) < 2 {
        out.push(if out.is_empty() { '?' } else { ' ' });
    }
    truncate(&out, 2)
}

/// A version's date as a day, or "undated", with the space after it; `mark` (when some
/// version's date was taken from its dateline) is whether this one's was: `~` after it.
fn date_label(v: &VersionInfo, mark: Option<bool>) -> String {
    let tail = match mark {
        None => "",
        Some(true) => "~",
        Some(false) => " ",
    };
    match v.timestamp {
        Some(ts) => format!("{}{tail} ", crate::app::library::day_of(ts)),
        None => format!("undated   {tail} "),
    }
}

/// Which header line of the matrix.
#[derive(Clone, Copy)]
enum Header {
    Source,
    Day,
    Reuse,
}

fn header_line(t: &Theme, view: &CollateView, cols: &[usize], which: Header) -> Line<'static> {
    let meta = style(t, "list.meta");
    let label = match which {
        Header::Source => "src",
        Header::Day => "day",
        Header::Reuse => "reuse",
    };
    let mut spans = vec![Span::styled(format!("{label:<GUTTER$}"), meta)];
    for &k in cols {
        let v = &view.table.versions[k];
        let text = match which {
            Header::Source => initials(&v.source),
            Header::Day => match v.timestamp {
                Some(ts) => crate::app::library::day_of(ts)[8..10].to_string(),
                None => "--".to_string(),
            },
            Header::Reuse => {
                if k == 0 {
                    "··".to_string()
                } else {
                    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
                    let i = usize_of((v.reuse.clamp(0.0, 1.0) * 7.0).round());
                    BARS[i.min(7)].to_string().repeat(2)
                }
            }
        };
        let s = match which {
            Header::Reuse => style(t, "collate.reuse"),
            _ if k == view.column => style(t, "collate.selected"),
            _ => meta,
        };
        spans.push(Span::styled(text, s));
        spans.push(Span::raw(" "));
    }
    if let Header::Reuse = which
        && let Some(v) = view.table.versions.get(view.column)
    {
        let note = if view.column == 0 {
            "  base version".to_string()
        } else {
            format!(
                "  version {}: {:.0}% reused",
                view.column + 1,
                v.reuse * 100.0
            )
        };
        spans.push(Span::styled(note, meta));
    }
    Line::from(spans)
}

/// The timeline strip: each dated version at its time between the first and the last; the
/// selected one marked; the undated ones counted after it.
fn timeline_line(t: &Theme, view: &CollateView, width: usize) -> Line<'static> {
    let meta = style(t, "list.meta");
    let table = &view.table;
    let positions = table.timeline();
    let dated: Vec<i64> = table.versions.iter().filter_map(|v| v.timestamp).collect();
    let undated = positions.iter().filter(|p| p.is_none()).count();
    let first = dated
        .iter()
        .min()
        .map(|&ts| crate::app::library::day_of(ts));
    let last = dated
        .iter()
        .max()
        .map(|&ts| crate::app::library::day_of(ts));
    let tail = if undated > 0 {
        format!(" +{undated} undated")
    } else {
        String::new()
    };
    let (Some(first), Some(last)) = (first, last) else {
        return Line::from(vec![
            Span::styled(format!("{:<GUTTER$}", "time"), meta),
            Span::styled(format!("no dates{tail}"), meta),
        ]);
    };
    let fixed = GUTTER + 11 + 11 + text_width(&tail);
    let strip_w = width.saturating_sub(fixed).clamp(1, 60);
    let mut strip: Vec<(char, bool)> = vec![('─', false); strip_w];
    for (k, p) in positions.iter().enumerate() {
        if let Some(p) = p {
            let x = usize_of((p * f64_of(strip_w - 1)).round()).min(strip_w - 1);
            let selected = k == view.column;
            if selected || !strip[x].1 {
                strip[x] = (if selected { '◆' } else { '●' }, selected);
            }
        }
    }
    let mut spans = vec![
        Span::styled(format!("{:<GUTTER$}", "time"), meta),
        Span::styled(format!("{first} "), meta),
    ];
    for (c, selected) in strip {
        let s = if selected {
            style(t, "collate.selected")
        } else if c == '─' {
            style(t, "reader.rule")
        } else {
            style(t, "collate.timeline")
        };
        spans.push(Span::styled(c.to_string(), s));
    }
    spans.push(Span::styled(format!(" {last}"), meta));
    spans.push(Span::styled(tail, meta));
    Line::from(spans)
}

/// The glyphs of a cell: two characters that differ by state without colour.
pub(crate) fn cell_glyphs(state: CellState, moved: bool) -> &'static str {
    match (state, moved) {
        (CellState::Same, false) => "██",
        (CellState::Same, true) => "█»",
        (CellState::Changed, false) => "▒▒",
        (CellState::Changed, true) => "▒»",
        (CellState::Absent, _) => "··",
    }
}

fn matrix_line(
    t: &Theme,
    view: &CollateView,
    ri: usize,
    cols: &[usize],
    width: usize,
    mark: Option<char>,
) -> Line<'static> {
    let r = &view.table.readings[ri];
    let selected_row = ri == view.row.selected;
    let gutter_style = if selected_row {
        style(t, "collate.selected")
    } else {
        style(t, "list.meta")
    };
    let lead = match (selected_row, mark) {
        (true, _) => Span::styled("▶", gutter_style),
        (false, Some(k)) => Span::styled(k.to_string(), style(t, "diff.note")),
        (false, None) => Span::styled(" ", gutter_style),
    };
    let mut spans = vec![lead, Span::styled(format!("{:>4} ", ri + 1), gutter_style)];
    for &k in cols {
        let cell = &r.cells[k];
        let mut s = match cell.state {
            CellState::Same => style(t, "collate.same"),
            CellState::Changed => style(t, "collate.changed"),
            CellState::Absent => style(t, "collate.absent"),
        };
        if selected_row && k == view.column {
            s = s.add_modifier(Modifier::REVERSED);
        }
        spans.push(Span::styled(cell_glyphs(cell.state, cell.moved), s));
        spans.push(Span::raw(" "));
    }
    let used = GUTTER + cols.len() * CELL;
    let text = truncate(&safe_line(r.base_text()), width.saturating_sub(used + 1));
    spans.push(Span::styled(
        format!(" {text}"),
        if selected_row {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        },
    ));
    Line::from(spans)
}

/// A word diff as styled characters of B's text: equal runs plain, inserted words
/// highlighted (quote-style-only changes left plain), deleted words struck through where they
/// stood; the spacing of B's text kept.
fn runs(t: &Theme, changes: &[WordChange], b_text: &str) -> Vec<(char, Style)> {
    let mut out: Vec<(char, Style)> = Vec::new();
    let mut last_b_end: Option<usize> = None;
    let push = |out: &mut Vec<(char, Style)>, text: &str, st: Style| {
        out.extend(safe_line(text).chars().map(|c| (c, st)));
    };
    for c in changes {
        let st = match c.op {
            WordOp::Equal => Style::default(),
            _ if c.minor => Style::default(),
            WordOp::Insert => style(t, "collate.insert"),
            WordOp::Delete => style(t, "collate.delete"),
        };
        match (c.op, &c.b) {
            (WordOp::Delete, _) | (_, None) => {
                if out.last().is_some_and(|(ch, _)| !ch.is_whitespace()) {
                    out.push((' ', Style::default()));
                }
                push(&mut out, &c.text, st);
                if c.op == WordOp::Delete {
                    out.push((' ', Style::default()));
                }
            }
            (_, Some(r)) => {
                if let Some(e) = last_b_end {
                    let gap = b_text.get(e..r.start).unwrap_or(" ");
                    if !gap.is_empty() && out.last().is_some_and(|(ch, _)| !ch.is_whitespace()) {
                        out.push((' ', Style::default()));
                    }
                } else if !out.is_empty() && out.last().is_some_and(|(ch, _)| !ch.is_whitespace()) {
                    out.push((' ', Style::default()));
                }
                push(&mut out, b_text.get(r.clone()).unwrap_or(&c.text), st);
                last_b_end = Some(r.end);
            }
        }
    }
    while out.last().is_some_and(|(ch, _)| ch.is_whitespace()) {
        out.pop();
    }
    out
}

/// Plain text as styled characters.
fn plain_chars(text: &str, st: Style) -> Vec<(char, Style)> {
    safe_line(text).chars().map(|c| (c, st)).collect()
}

/// Wraps styled characters after a prefix into lines of `width` at whitespace, indenting
/// continuation lines under the text; words wider than a line are cut.
fn wrap_spans(
    out: &mut Vec<Line<'static>>,
    prefix: Vec<(String, Style)>,
    body: Vec<(char, Style)>,
    width: usize,
) {
    use crate::text::wrap::{LongWords, wrap_cells_with};
    use unicode_width::UnicodeWidthChar;
    let indent: usize = prefix.iter().map(|(s, _)| text_width(s)).sum();
    let avail = width.saturating_sub(indent).max(8);
    // The words, one unstyled space between them.
    let space = (' ', Style::default());
    let mut cells: Vec<(char, Style)> = Vec::with_capacity(body.len());
    for word in body
        .split(|(c, _)| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !cells.is_empty() {
            cells.push(space);
        }
        cells.extend_from_slice(word);
    }
    let lines = wrap_cells_with(
        &cells,
        avail,
        LongWords::Cut,
        |&(c, _)| c == ' ',
        |&(c, _)| c.width().unwrap_or(0),
    );
    let mut head: Vec<Span<'static>> = prefix
        .into_iter()
        .map(|(s, st)| Span::styled(s, st))
        .collect();
    for (k, cells) in lines.into_iter().enumerate() {
        let mut line = if k == 0 {
            std::mem::take(&mut head)
        } else {
            vec![Span::raw(" ".repeat(indent))]
        };
        // A span per run of one style within a word; the spaces between words unstyled.
        let mut run = String::new();
        let mut run_style = Style::default();
        for (c, st) in cells {
            if (c == ' ' || st != run_style) && !run.is_empty() {
                line.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            if c == ' ' {
                line.push(Span::raw(" "));
                continue;
            }
            run_style = st;
            run.push(c);
        }
        if !run.is_empty() {
            line.push(Span::styled(run, run_style));
        }
        out.push(Line::from(line));
    }
}
