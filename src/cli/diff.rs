//! `stet diff A B`: compare two versions (files or article ids). Side by side on a wide
//! terminal, unified otherwise; colour on a terminal, `[-removed-]{+added+}` markers otherwise;
//! `--json` for the whole comparison.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::compare::{self, Comparison, Op, OpKind, WordOp};
use crate::corpus::Article;
use crate::text::sanitize_for_terminal;

/// Narrowest terminal that gets the side-by-side layout.
const SIDE_BY_SIDE_MIN_WIDTH: usize = 100;

/// Runs `stet diff`.
pub(crate) fn run(args: &super::DiffArgs) -> Result<ExitCode> {
    // Two files are loaded side by side; an id needs the corpus, loaded once for both.
    let (a, b) = if Path::new(&args.a).is_file() && Path::new(&args.b).is_file() {
        let (a, b) = rayon::join(
            || load_side(&args.a, args, &mut None),
            || load_side(&args.b, args, &mut None),
        );
        (a?, b?)
    } else {
        let mut corpus: Option<super::corpus_store::TextCorpus> = None;
        let a = load_side(&args.a, args, &mut corpus)?;
        (a, load_side(&args.b, args, &mut corpus)?)
    };
    let cmp = compare::compare(&a.paragraphs, &b.paragraphs);

    let is_tty = std::io::stdout().is_terminal();
    let colour = !args.json && is_tty && std::env::var_os("NO_COLOR").is_none();
    let mut out = super::output::stdout_with(1 << 16, colour);
    let written = if args.json {
        crate::text::json::write_json(&mut out, &DiffJson::new(&a, &b, &cmp), false)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        let width = if is_tty {
            crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w))
        } else {
            80
        };
        let style = Style { colour };
        if !args.unified && is_tty && width >= SIDE_BY_SIDE_MIN_WIDTH {
            write_side_by_side(&mut out, &a, &b, &cmp, style, width)
        } else {
            write_unified(&mut out, &a, &b, &cmp, style)
        }
    };
    let flushed = written.and_then(|()| out.flush());
    // The process ends next: freeing tens of thousands of small allocations would only delay it.
    std::mem::forget((a, b, cmp));
    match flushed {
        // A reader that stopped early (`| head`) is no error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        r => {
            r?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads one side: a file path (loaded alone), else an article id or path in the corpus
/// (`--corpus`, or the sample corpus), loaded once for both sides.
fn load_side(
    key: &str,
    args: &super::DiffArgs,
    corpus: &mut Option<super::corpus_store::TextCorpus>,
) -> Result<Article> {
    let path = Path::new(key);
    if path.is_file() {
        let loaded = super::load_corpus(&[path.to_path_buf()], &args.load)?;
        return match loaded.articles.into_iter().next() {
            Some(article) => Ok(article),
            None => bail!("{key}: no article could be loaded from this file"),
        };
    }
    let c = match corpus {
        Some(c) => c,
        None => corpus.insert(super::corpus_store::text_corpus(&args.corpus, &args.load)?),
    };
    match c.corpus.find(key).and_then(|i| c.article(i)) {
        Some(a) => Ok(a),
        None => {
            let where_ = if args.corpus.is_empty() {
                "the sample corpus".to_string()
            } else {
                c.corpus.name.clone()
            };
            bail!("no article with id or path {key:?} in {where_} (see `stet articles`)")
        }
    }
}

#[derive(Serialize)]
struct ArticleMeta<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct DiffJson<'a> {
    a: ArticleMeta<'a>,
    b: ArticleMeta<'a>,
    stats: &'a compare::Stats,
    ops: &'a [Op],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

impl<'a> DiffJson<'a> {
    fn new(a: &'a Article, b: &'a Article, cmp: &'a Comparison) -> Self {
        let meta = |x: &'a Article| ArticleMeta {
            id: &x.id,
            title: &x.title,
            source: &x.source,
        };
        DiffJson {
            a: meta(a),
            b: meta(b),
            stats: &cmp.stats,
            ops: &cmp.ops,
            notes: &cmp.notes,
        }
    }
}

/// How to mark changes: ANSI colour, or text markers.
#[derive(Clone, Copy)]
struct Style {
    colour: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Plain,
    Dim,
    Del,
    Ins,
    Moved,
}

impl Style {
    fn paint(self, out: &mut String, text: &str, mark: Mark) {
        let text = sanitize_for_terminal(text, false);
        if self.colour {
            let code = match mark {
                Mark::Plain => {
                    out.push_str(&text);
                    return;
                }
                Mark::Dim => "2",
                Mark::Del => "31;9",
                Mark::Ins => "32;1",
                Mark::Moved => "33",
            };
            out.push_str(&format!("\x1b[{code}m{text}\x1b[0m"));
        } else {
            match mark {
                Mark::Del => out.push_str(&format!("[-{text}-]")),
                Mark::Ins => out.push_str(&format!("{{+{text}+}}")),
                _ => out.push_str(&text),
            }
        }
    }
}

fn title_line(side: &str, x: &Article) -> String {
    let mut s = format!("{side} {}", x.id);
    if !x.source.is_empty() {
        s.push_str(&format!(" ({})", x.source));
    }
    if !x.title.is_empty() {
        s.push_str(&format!(" {}", x.title));
    }
    sanitize_for_terminal(&s, false).into_owned()
}

fn stats_line(cmp: &Comparison) -> String {
    let s = &cmp.stats;
    let mut line = format!(
        "{} equal, {} changed, {} moved, {} added, {} removed; {:.0}% of words carried over",
        s.equal,
        s.changed,
        s.moved,
        s.added,
        s.removed,
        s.similarity * 100.0
    );
    for note in &cmp.notes {
        line.push_str(&format!("\nnote: {note}"));
    }
    line
}

/// Whether the text before byte `start` of `text` ends with whitespace.
fn space_before(text: &str, start: usize) -> bool {
    start > 0
        && text
            .get(..start)
            .and_then(|t| t.chars().next_back())
            .is_some_and(char::is_whitespace)
}

/// One piece of a rendered side: text, its mark, and whether a space precedes it.
struct Piece {
    text: String,
    mark: Mark,
    space: bool,
}

/// Which text a rendering shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    A,
    B,
    Unified,
}

/// The pieces of one op for a view; minor changes are shown as B's text.
fn pieces(op: &Op, view: View) -> Vec<Piece> {
    let whole = |t: &Option<std::sync::Arc<str>>, mark| -> Vec<Piece> {
        t.iter()
            .map(|t| Piece {
                text: t.to_string(),
                mark,
                space: false,
            })
            .collect()
    };
    match (op.kind, view) {
        (OpKind::Added, View::A) | (OpKind::Removed, View::B) => Vec::new(),
        (OpKind::Added, _) => whole(&op.b, Mark::Ins),
        (OpKind::Removed, _) => whole(&op.a, Mark::Del),
        (OpKind::Equal, View::A) => whole(&op.a, Mark::Dim),
        (OpKind::Equal, _) => whole(&op.b, Mark::Dim),
        (OpKind::Changed, _) => {
            let ta = op.a.as_deref().unwrap_or("");
            let tb = op.b.as_deref().unwrap_or("");
            let mut v: Vec<Piece> = Vec::new();
            let mut after_delete = false;
            for w in &op.words {
                let (text, range, mark) = match (w.op, view) {
                    (WordOp::Equal, View::A) => (ta, &w.a, Mark::Plain),
                    (WordOp::Equal, _) => (tb, &w.b, Mark::Plain),
                    (WordOp::Delete, View::B) | (WordOp::Insert, View::A) => continue,
                    (WordOp::Delete, _) if w.minor => {
                        if view == View::A {
                            (ta, &w.a, Mark::Plain)
                        } else {
                            continue;
                        }
                    }
                    (WordOp::Delete, _) => (ta, &w.a, Mark::Del),
                    (WordOp::Insert, _) if w.minor => (tb, &w.b, Mark::Plain),
                    (WordOp::Insert, _) => (tb, &w.b, Mark::Ins),
                };
                let Some(r) = range.clone() else { continue };
                let space = match (view, w.op) {
                    (View::Unified, WordOp::Insert) if after_delete => false,
                    // After a deletion, A's spacing counts too ("[-Ahead of the talks,-] The").
                    (View::Unified, WordOp::Equal) => {
                        space_before(text, r.start)
                            || w.a.as_ref().is_some_and(|ra| space_before(ta, ra.start))
                    }
                    _ => space_before(text, r.start),
                };
                after_delete = mark == Mark::Del;
                v.push(Piece {
                    text: text.get(r).unwrap_or("").to_string(),
                    mark,
                    space: space && !v.is_empty(),
                });
            }
            v
        }
    }
}

fn kind_char(op: &Op) -> char {
    match op.kind {
        OpKind::Equal => ' ',
        OpKind::Changed => '~',
        OpKind::Added => '+',
        OpKind::Removed => '-',
    }
}

/// The paragraph an op is shown in (B's, else A's), for blank lines between paragraphs.
fn paragraph_of(cmp: &Comparison, op: &Op) -> Option<(bool, usize)> {
    if let Some(j) = op.b_index {
        return cmp.b.get(j).map(|s| (true, s.paragraph));
    }
    op.a_index
        .and_then(|i| cmp.a.get(i))
        .map(|s| (false, s.paragraph))
}

fn moved_note(cmp: &Comparison, op: &Op) -> String {
    let at = op.moved_from.and_then(|p| cmp.ops.get(p));
    match at.and_then(|o| o.a.as_deref().or(o.b.as_deref())) {
        Some(text) => {
            let words: Vec<&str> = text.split_whitespace().take(6).collect();
            format!(
                "\u{2195}\u{A0}moved: in A it stood before \u{201C}{}\u{2026}\u{201D}",
                words.join(" ")
            )
        }
        None => "\u{2195}\u{A0}moved: in A it stood at the end".to_string(),
    }
}

fn write_unified(
    out: &mut impl Write,
    a: &Article,
    b: &Article,
    cmp: &Comparison,
    style: Style,
) -> std::io::Result<()> {
    writeln!(out, "--- {}", title_line("a:", a))?;
    writeln!(out, "+++ {}", title_line("b:", b))?;
    writeln!(out, "{}", stats_line(cmp))?;
    let mut last_para = None;
    for op in &cmp.ops {
        let para = paragraph_of(cmp, op);
        if para.is_some_and(|p| p.0) && para != last_para {
            writeln!(out)?;
            last_para = para;
        }
        let mut line = String::new();
        line.push(kind_char(op));
        line.push(if op.moved { '\u{2195}' } else { ' ' });
        line.push(' ');
        for p in pieces(op, View::Unified) {
            if p.space {
                line.push(' ');
            }
            style.paint(&mut line, &p.text, p.mark);
        }
        if op.moved {
            line.push_str("  ");
            style.paint(&mut line, &moved_note(cmp, op), Mark::Moved);
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A cell of a side's text being wrapped: a character of a word (its mark and which word), or
/// what stands between two words.
#[derive(Clone, Copy)]
enum Cell {
    /// A character of word number `.2`, marked `.1`.
    Char(char, Mark, usize),
    /// A space.
    Space,
    /// Nothing: two pieces written together, which may still go on two lines.
    Join,
}

/// Wraps pieces into lines of at most `width` columns; returns each line with its width.
/// Without colour, a marked piece is bracketed by its markers as a whole.
fn wrap(pieces: &[Piece], width: usize, style: Style) -> Vec<(String, usize)> {
    let width = width.max(4);
    // The words, each after a space or joined to the one before.
    let mut cells: Vec<Cell> = Vec::new();
    let mut word = 0;
    for p in pieces {
        let clean = sanitize_for_terminal(&p.text, false);
        let words: Vec<&str> = clean.split(' ').filter(|w| !w.is_empty()).collect();
        let (open, close) = match p.mark {
            Mark::Del if !style.colour => ("[-", "-]"),
            Mark::Ins if !style.colour => ("{+", "+}"),
            _ => ("", ""),
        };
        let mark = if style.colour { p.mark } else { Mark::Plain };
        for (k, w) in words.iter().enumerate() {
            if !cells.is_empty() {
                cells.push(if k > 0 || p.space {
                    Cell::Space
                } else {
                    Cell::Join
                });
            }
            let open = if k == 0 { open } else { "" };
            let close = if k + 1 == words.len() { close } else { "" };
            cells.extend(
                open.chars()
                    .chain(w.chars())
                    .chain(close.chars())
                    .map(|c| Cell::Char(c, mark, word)),
            );
            word += 1;
        }
    }
    let lines = crate::text::wrap::wrap_cells_with(
        &cells,
        width,
        crate::text::wrap::LongWords::Break,
        |c| !matches!(c, Cell::Char(..)),
        |c| match c {
            Cell::Char(c, ..) => unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0),
            Cell::Space => 1,
            Cell::Join => 0,
        },
    );
    // Each word (or the part of it on a line) painted on its own.
    let mut out = Vec::with_capacity(lines.len());
    for cells in lines {
        let mut line = String::new();
        let mut used = 0;
        let mut run = String::new();
        let mut run_of: Option<(Mark, usize)> = None;
        for cell in cells {
            let next = match cell {
                Cell::Char(c, mark, w) => Some((c, mark, w)),
                _ => None,
            };
            if let Some((mark, _)) = run_of
                && next.map(|(_, m, w)| (m, w)) != run_of
            {
                style.paint(&mut line, &std::mem::take(&mut run), mark);
                run_of = None;
            }
            match next {
                Some((c, mark, w)) => {
                    used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    run.push(c);
                    run_of = Some((mark, w));
                }
                None if matches!(cell, Cell::Space) => {
                    line.push(' ');
                    used += 1;
                }
                None => {}
            }
        }
        if let Some((mark, _)) = run_of {
            style.paint(&mut line, &run, mark);
        }
        out.push((line, used));
    }
    out
}

fn write_side_by_side(
    out: &mut impl Write,
    a: &Article,
    b: &Article,
    cmp: &Comparison,
    style: Style,
    width: usize,
) -> std::io::Result<()> {
    let col = (width - 5) / 2;
    let text_col = col - 2;
    let head = |s: String| -> String { s.chars().take(col).collect() };
    let ha = head(title_line("a:", a));
    let hb = head(title_line("b:", b));
    let pad = col.saturating_sub(UnicodeWidthStr::width(ha.as_str()));
    writeln!(out, "{ha}{} \u{2502} {hb}", " ".repeat(pad))?;
    writeln!(out, "{}", stats_line(cmp))?;
    let mut last_para = None;
    for op in &cmp.ops {
        let para = paragraph_of(cmp, op);
        if para.is_some_and(|p| p.0) && para != last_para {
            writeln!(out, "{} \u{2502}", " ".repeat(col))?;
            last_para = para;
        }
        let left = wrap(&pieces(op, View::A), text_col, style);
        let mut right_pieces = pieces(op, View::B);
        if op.moved {
            right_pieces.push(Piece {
                text: moved_note(cmp, op),
                mark: Mark::Moved,
                space: true,
            });
        }
        let right = wrap(&right_pieces, text_col, style);
        let marker = kind_char(op);
        for k in 0..left.len().max(right.len()) {
            let (l, lw) = left.get(k).map_or((String::new(), 0), |x| x.clone());
            let r = right.get(k).map_or(String::new(), |x| x.0.clone());
            let (ml, mr) = if k == 0 {
                let m = if op.moved { '\u{2195}' } else { marker };
                (
                    if op.a.is_some() { m } else { ' ' },
                    if op.b.is_some() { m } else { ' ' },
                )
            } else {
                (' ', ' ')
            };
            writeln!(
                out,
                "{ml} {l}{} \u{2502} {mr} {r}",
                " ".repeat(text_col.saturating_sub(lw))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, paragraphs: &[&str]) -> Article {
        Article {
            id: id.into(),
            title: "Budget talks".to_string(),
            more: crate::corpus::ArticleMore {
                paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        }
    }

    fn pair() -> (Article, Article) {
        (
            article(
                "old",
                &[
                    "The council met on Monday. Kerry will seek to prepare the ground for a vote.",
                    "Protesters gathered outside the town hall in the rain on Monday evening.",
                    "The mayor said cuts were unavoidable this year.",
                ],
            ),
            article(
                "new",
                &[
                    "The council met on Monday. Kerry is seeking to prepare the ground for a vote.",
                    "The mayor said cuts were unavoidable this year.",
                    "Protesters gathered outside the town hall in the rain on Monday evening.",
                    "A strike is planned \u{201C}within weeks\u{201D}, unions said.",
                ],
            ),
        )
    }

    #[test]
    fn side_by_side_fits_the_width_and_marks_changes() {
        let (a, b) = pair();
        let cmp = compare::compare(&a.paragraphs, &b.paragraphs);
        for width in [100usize, 120] {
            let mut out = Vec::new();
            write_side_by_side(&mut out, &a, &b, &cmp, Style { colour: false }, width).unwrap();
            let text = String::from_utf8(out).unwrap();
            for line in text.lines().skip(2) {
                assert!(UnicodeWidthStr::width(line) <= width, "{width}: {line:?}");
            }
            assert!(text.contains("[-will seek-]"), "{text}");
            assert!(text.contains("{+is seeking+}"), "{text}");
            assert!(text.contains("\u{2195}\u{A0}moved"), "{text}");
            assert!(
                text.lines().any(|l| l.contains("\u{2502} + {+A strike")),
                "{text}"
            );
        }
    }

    #[test]
    fn colour_output_uses_ansi_and_no_markers() {
        let (a, b) = pair();
        let cmp = compare::compare(&a.paragraphs, &b.paragraphs);
        let mut out = Vec::new();
        write_unified(&mut out, &a, &b, &cmp, Style { colour: true }).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\x1b[31;9mwill seek\x1b[0m"), "{text:?}");
        assert!(!text.contains("[-"), "{text}");
    }

    #[test]
    fn wrapping_keeps_markers_whole_and_breaks_between_joined_pieces() {
        let piece = |text: &str, mark, space| Piece {
            text: text.into(),
            mark,
            space,
        };
        let pieces = [
            piece("The talks", Mark::Plain, false),
            piece("will seek", Mark::Del, true),
            piece("sought", Mark::Ins, false),
            piece("calm.", Mark::Plain, true),
        ];
        let plain = Style { colour: false };
        assert_eq!(
            wrap(&pieces, 40, plain),
            vec![("The talks [-will seek-]{+sought+} calm.".to_string(), 39)]
        );
        // Two pieces written together still break between them when the line is full.
        assert_eq!(
            wrap(&pieces, 20, plain),
            vec![
                ("The talks [-will".to_string(), 16),
                ("seek-]{+sought+}".to_string(), 16),
                ("calm.".to_string(), 5),
            ]
        );
        // A word wider than the line is broken; colour paints each word (and each part).
        let colour = Style { colour: true };
        let long = [
            piece("abcdefghij", Mark::Ins, false),
            piece("k", Mark::Del, true),
        ];
        assert_eq!(
            wrap(&long, 4, colour),
            vec![
                ("\x1b[32;1mabcd\x1b[0m".to_string(), 4),
                ("\x1b[32;1mefgh\x1b[0m".to_string(), 4),
                ("\x1b[32;1mij\x1b[0m \x1b[31;9mk\x1b[0m".to_string(), 4),
            ]
        );
        assert_eq!(wrap(&[], 10, plain), vec![(String::new(), 0)]);
    }
}
