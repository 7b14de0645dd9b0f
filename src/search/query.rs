//! The search language, parsed into a small tree and turned into a tantivy query.
//!
//! `word`, `"a phrase"`, `AND` (also implied between terms), `OR`, `NOT` / `-word`,
//! parentheses, `title:WORD`, `source:NAME` (`source:"BBC News"`), and
//! `date:2026-03-01..2026-03-05` (whole days, UTC, both ends included; `date:2026-03-01..`,
//! `date:..2026-03-05`, a single `date:2026-03-01`, a month `date:2026-03` or a year
//! `date:2026`). Operators are written in capitals; `and`/`or`/`not` are words. Every
//! mistake is a [`QueryError`] saying what and where, never a panic; length, terms and
//! nesting are bounded.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::analyzer;

/// Longest query accepted, in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 2000;
/// Most terms (words, phrases, fields) in one query.
pub(crate) const MAX_TERMS: usize = 64;
/// Deepest nesting of parentheses and NOTs.
pub(crate) const MAX_DEPTH: usize = 32;
/// How much more a match in the headline weighs than one in the body.
const TITLE_BOOST: f32 = 2.0;

/// A query that cannot be understood: what is wrong, and where (a character column, from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {at})")]
pub struct QueryError {
    /// What is wrong, in words.
    pub message: String,
    /// Character column (1-based) of the mistake.
    pub at: usize,
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError {
        message: message.into(),
        at: at + 1,
    })
}

/// Where a text term is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Headline or body.
    Any,
    /// Headline only (`title:`).
    Title,
    /// The outlet (`source:`).
    Source,
}

/// A range of instants, in seconds since the Unix epoch: `start` included, `end` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateRange {
    /// First second included, when bounded.
    pub start: Option<i64>,
    /// First second no longer included, when bounded.
    pub end: Option<i64>,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// All of these.
    And(Vec<Expr>),
    /// Any of these.
    Or(Vec<Expr>),
    /// Not this.
    Not(Box<Expr>),
    /// A word or phrase (a word of several parts, `U.S.` or `Jean-Pierre`, is a phrase).
    Text {
        /// Where it is looked for.
        scope: Scope,
        /// As typed (analysed later).
        text: String,
    },
    /// Articles dated in this range.
    Date(DateRange),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    /// A term; `negated` when written `-term`.
    Term {
        expr: Expr,
        negated: bool,
    },
}

/// Parses `input` into a query tree.
pub(crate) fn parse(input: &str) -> Result<Expr, QueryError> {
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        return err(
            MAX_QUERY_CHARS,
            format!("the query is too long ({chars} characters; at most {MAX_QUERY_CHARS})"),
        );
    }
    let toks = lex(input)?;
    let terms = toks
        .iter()
        .filter(|(t, _)| matches!(t, Tok::Term { .. }))
        .count();
    if terms > MAX_TERMS {
        return err(0, format!("too many terms ({terms}; at most {MAX_TERMS})"));
    }
    if terms == 0 {
        return err(
            0,
            "nothing to search for: type a word, a \"phrase\", source: or date:",
        );
    }
    let mut p = Parser { toks, pos: 0 };
    let expr = p.or(0)?;
    if let Some((tok, at)) = p.toks.get(p.pos) {
        return match tok {
            Tok::Close => err(*at, "a closing parenthesis without an opening one"),
            _ => err(*at, "unexpected text"),
        };
    }
    Ok(expr)
}

fn lex(input: &str) -> Result<Vec<(Tok, usize)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' => {
                out.push((Tok::Open, i));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, i));
                i += 1;
            }
            _ => {
                let negated = c == '-'
                    && chars
                        .get(i + 1)
                        .is_some_and(|n| !n.is_whitespace() && *n != ')');
                if negated {
                    i += 1;
                }
                let (word, next) = read_term(&chars, i)?;
                i = next;
                let tok = match word {
                    Raw::Bare(w) if !negated && w == "AND" => Tok::And,
                    Raw::Bare(w) if !negated && w == "OR" => Tok::Or,
                    Raw::Bare(w) if !negated && w == "NOT" => Tok::Not,
                    raw => Tok::Term {
                        expr: term_expr(raw, start)?,
                        negated,
                    },
                };
                out.push((tok, start));
            }
        }
    }
    Ok(out)
}

/// A term as written.
enum Raw {
    Bare(String),
    Quoted(String),
    Field { name: String, value: String },
}

/// Reads a word, a quoted phrase or `field:value` starting at `i`; returns it and where the
/// next token starts.
fn read_term(chars: &[char], mut i: usize) -> Result<(Raw, usize), QueryError> {
    if chars.get(i) == Some(&'"') {
        let (text, next) = read_quoted(chars, i)?;
        return Ok((Raw::Quoted(text), next));
    }
    let start = i;
    let mut word = String::new();
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
            break;
        }
        if c == ':' {
            let name = word.to_ascii_lowercase();
            if matches!(name.as_str(), "source" | "date" | "title") {
                i += 1;
                let value = if chars.get(i) == Some(&'"') {
                    let (text, next) = read_quoted(chars, i)?;
                    i = next;
                    text
                } else {
                    let mut v = String::new();
                    while let Some(&c) = chars.get(i) {
                        if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                            break;
                        }
                        v.push(c);
                        i += 1;
                    }
                    v
                };
                if value.trim().is_empty() {
                    return err(
                        start,
                        format!(
                            "{name}: needs a value right after the colon ({})",
                            example(&name)
                        ),
                    );
                }
                return Ok((Raw::Field { name, value }, i));
            }
        }
        word.push(c);
        i += 1;
    }
    Ok((Raw::Bare(word), i))
}

fn example(field: &str) -> &'static str {
    match field {
        "source" => "source:reuters or source:\"BBC News\"",
        "date" => "date:2026-03-01..2026-03-05, date:2026-03-01.. or date:2026-03",
        _ => "title:merger or title:\"rate cut\"",
    }
}

fn read_quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let mut i = open + 1;
    let mut text = String::new();
    while let Some(&c) = chars.get(i) {
        if c == '"' {
            return Ok((text, i + 1));
        }
        text.push(c);
        i += 1;
    }
    err(open, "a quote is opened here and never closed")
}

fn term_expr(raw: Raw, at: usize) -> Result<Expr, QueryError> {
    Ok(match raw {
        Raw::Bare(text) | Raw::Quoted(text) => Expr::Text {
            scope: Scope::Any,
            text,
        },
        Raw::Field { name, value } => match name.as_str() {
            "source" => Expr::Text {
                scope: Scope::Source,
                text: value,
            },
            "title" => Expr::Text {
                scope: Scope::Title,
                text: value,
            },
            _ => Expr::Date(parse_date_range(&value).map_err(|m| QueryError {
                message: m,
                at: at + 1,
            })?),
        },
    })
}

/// Parses the value of `date:`.
fn parse_date_range(value: &str) -> Result<DateRange, String> {
    let bad = |what: &str| {
        format!(
            "date:{value}: {what}; write {}",
            example("date").trim_start_matches("date:")
        )
    };
    let (lo, hi) = match value.split_once("..") {
        Some((lo, hi)) => (lo.trim(), hi.trim()),
        None => (value.trim(), value.trim()),
    };
    if lo.is_empty() && hi.is_empty() {
        return Err(bad("a range needs at least one end"));
    }
    let start = if lo.is_empty() {
        None
    } else {
        Some(
            period(lo)
                .ok_or_else(|| bad(&format!("{lo} is not a date")))?
                .0,
        )
    };
    let end = if hi.is_empty() {
        None
    } else {
        Some(
            period(hi)
                .ok_or_else(|| bad(&format!("{hi} is not a date")))?
                .1,
        )
    };
    if let (Some(s), Some(e)) = (start, end)
        && s >= e
    {
        return Err(bad("the range ends before it starts"));
    }
    Ok(DateRange { start, end })
}

/// The instants of a day (`2026-03-01`), a month (`2026-03`) or a year (`2026`): the first
/// second and the first second after.
fn period(s: &str) -> Option<(i64, i64)> {
    use time::{Date, Month};
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<i32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4)?;
    let day_start = |d: Date| d.midnight().assume_utc().unix_timestamp();
    match parts.len() {
        1 => {
            let a = Date::from_calendar_date(year, Month::January, 1).ok()?;
            let b = Date::from_calendar_date(year + 1, Month::January, 1).ok()?;
            Some((day_start(a), day_start(b)))
        }
        2 => {
            let m = Month::try_from(u8::try_from(num(parts[1], 2)?).ok()?).ok()?;
            let a = Date::from_calendar_date(year, m, 1).ok()?;
            let (ny, nm) = if m == Month::December {
                (year + 1, Month::January)
            } else {
                (year, m.next())
            };
            let b = Date::from_calendar_date(ny, nm, 1).ok()?;
            Some((day_start(a), day_start(b)))
        }
        3 => {
            let m = Month::try_from(u8::try_from(num(parts[1], 2)?).ok()?).ok()?;
            let d =
                Date::from_calendar_date(year, m, u8::try_from(num(parts[2], 2)?).ok()?).ok()?;
            let next = d.next_day()?;
            Some((day_start(d), day_start(next)))
        }
        _ => None,
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.toks
            .get(self.pos)
            .or(self.toks.last())
            .map_or(0, |(_, a)| *a)
    }

    fn or(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and(depth)?];
        while self.peek() == Some(&Tok::Or) {
            let at = self.at();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                return err(at, "OR needs something to search for on both sides");
            }
            parts.push(self.and(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close | Tok::Or) => break,
                Some(Tok::And) => {
                    let at = self.at();
                    self.pos += 1;
                    if parts.is_empty()
                        || matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And))
                    {
                        return err(at, "AND needs something to search for on both sides");
                    }
                }
                Some(_) => parts.push(self.unary(depth)?),
            }
        }
        match parts.len() {
            0 => {
                let at = self.at();
                match self.peek() {
                    Some(Tok::Or) => err(at, "OR needs something to search for on both sides"),
                    Some(Tok::Close) => err(at, "empty parentheses or a stray closing one"),
                    _ => err(at, "nothing to search for"),
                }
            }
            1 => Ok(parts.remove(0)),
            _ => Ok(Expr::And(parts)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if depth >= MAX_DEPTH {
            return err(
                self.at(),
                format!("the query is nested too deeply (at most {MAX_DEPTH} levels)"),
            );
        }
        let at = self.at();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return err(at, "the query ends too early");
        };
        self.pos += 1;
        match tok {
            Tok::Not => {
                if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                    return err(at, "NOT needs something after it");
                }
                Ok(Expr::Not(Box::new(self.unary(depth + 1)?)))
            }
            Tok::Open => {
                let inner = self.or(depth + 1)?;
                if self.peek() != Some(&Tok::Close) {
                    return err(at, "a parenthesis is opened here and never closed");
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::Term { expr, negated } => Ok(if negated {
                Expr::Not(Box::new(expr))
            } else {
                expr
            }),
            Tok::Close => err(at, "a closing parenthesis without an opening one"),
            Tok::And | Tok::Or => err(at, "an operator needs something to search for before it"),
        }
    }
}

/// The index fields a query is turned into terms of.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueryFields {
    /// Headline.
    pub title: Field,
    /// Cleaned body.
    pub body: Field,
    /// Outlet.
    pub source: Field,
    /// Seconds since the epoch.
    pub date: Field,
}

/// Turns a parsed query into a tantivy query; `None` when nothing searchable is left (the
/// words were all punctuation).
pub(crate) fn to_query(
    expr: &Expr,
    fields: &QueryFields,
    analyzer: &mut TextAnalyzer,
) -> Option<Box<dyn Query>> {
    match expr {
        Expr::Text { scope, text } => text_query(*scope, text, fields, analyzer),
        Expr::Date(range) => {
            let bound = |v: Option<i64>, incl: bool| match v {
                None => Bound::Unbounded,
                Some(v) if incl => Bound::Included(Term::from_field_i64(fields.date, v)),
                Some(v) => Bound::Excluded(Term::from_field_i64(fields.date, v)),
            };
            if range.start.is_none() && range.end.is_none() {
                return None;
            }
            Some(Box::new(RangeQuery::new(
                bound(range.start, true),
                bound(range.end, false),
            )))
        }
        Expr::Not(inner) => {
            let inner = to_query(inner, fields, analyzer)?;
            Some(Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, inner),
            ])))
        }
        Expr::And(parts) => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for p in parts {
                let (occur, q) = match p {
                    Expr::Not(inner) => (Occur::MustNot, to_query(inner, fields, analyzer)),
                    other => (Occur::Must, to_query(other, fields, analyzer)),
                };
                if let Some(q) = q {
                    clauses.push((occur, q));
                }
            }
            if clauses.is_empty() {
                return None;
            }
            if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Some(Box::new(BooleanQuery::new(clauses)))
        }
        Expr::Or(parts) => {
            let clauses: Vec<(Occur, Box<dyn Query>)> = parts
                .iter()
                .filter_map(|p| to_query(p, fields, analyzer))
                .map(|q| (Occur::Should, q))
                .collect();
            (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
        }
    }
}

fn text_query(
    scope: Scope,
    text: &str,
    fields: &QueryFields,
    analyzer: &mut TextAnalyzer,
) -> Option<Box<dyn Query>> {
    let terms = analyzer::terms(analyzer, text);
    if terms.is_empty() {
        return None;
    }
    let on = |field: Field| -> Box<dyn Query> {
        if terms.len() == 1 {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &terms[0]),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(
                terms
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            ))
        }
    };
    Some(match scope {
        Scope::Source => on(fields.source),
        Scope::Title => on(fields.title),
        Scope::Any => Box::new(BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(on(fields.title), TITLE_BOOST)) as Box<dyn Query>,
            ),
            (Occur::Should, on(fields.body)),
        ])),
    })
}

/// The words and phrases the query asks to find (not those it excludes, nor `source:` and
/// `date:`), each as its folded words: what a text search highlights.
pub(crate) fn wanted_texts(expr: &Expr, analyzer: &mut TextAnalyzer) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    collect_wanted(expr, analyzer, &mut out);
    out
}

fn collect_wanted(expr: &Expr, analyzer: &mut TextAnalyzer, out: &mut Vec<Vec<String>>) {
    match expr {
        Expr::Text {
            scope: Scope::Any | Scope::Title,
            text,
        } => {
            let terms = analyzer::terms(analyzer, text);
            if !terms.is_empty() && !out.contains(&terms) {
                out.push(terms);
            }
        }
        Expr::And(parts) | Expr::Or(parts) => {
            for p in parts {
                collect_wanted(p, analyzer, out);
            }
        }
        Expr::Not(_) | Expr::Text { .. } | Expr::Date(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Expr {
        Expr::Text {
            scope: Scope::Any,
            text: t.into(),
        }
    }

    #[test]
    fn words_phrases_operators_and_fields() {
        assert_eq!(parse("pell").unwrap(), text("pell"));
        assert_eq!(parse("a b").unwrap(), Expr::And(vec![text("a"), text("b")]));
        assert_eq!(
            parse("a AND b OR c").unwrap(),
            Expr::Or(vec![Expr::And(vec![text("a"), text("b")]), text("c")])
        );
        assert_eq!(
            parse("\"rate cut\" -bank NOT (x OR y)").unwrap(),
            Expr::And(vec![
                text("rate cut"),
                Expr::Not(Box::new(text("bank"))),
                Expr::Not(Box::new(Expr::Or(vec![text("x"), text("y")]))),
            ])
        );
        assert_eq!(
            parse("source:\"BBC News\"").unwrap(),
            Expr::Text {
                scope: Scope::Source,
                text: "BBC News".into()
            }
        );
        // Lower-case operators are words; an unknown field is text.
        assert_eq!(
            parse("or not").unwrap(),
            Expr::And(vec![text("or"), text("not")])
        );
        assert_eq!(
            parse("at 10:30").unwrap(),
            Expr::And(vec![text("at"), text("10:30")])
        );
    }

    #[test]
    fn dates_are_whole_days_months_years() {
        let day = 86_400;
        let mar1 = 1_772_323_200; // 2026-03-01T00:00:00Z
        assert_eq!(
            parse("date:2026-03-01..2026-03-05").unwrap(),
            Expr::Date(DateRange {
                start: Some(mar1),
                end: Some(mar1 + 5 * day)
            })
        );
        assert_eq!(
            parse("date:2026-03-01..").unwrap(),
            Expr::Date(DateRange {
                start: Some(mar1),
                end: None
            })
        );
        assert_eq!(
            parse("date:..2026-03-01").unwrap(),
            Expr::Date(DateRange {
                start: None,
                end: Some(mar1 + day)
            })
        );
        assert_eq!(
            parse("date:2026-03").unwrap(),
            Expr::Date(DateRange {
                start: Some(mar1),
                end: Some(mar1 + 31 * day)
            })
        );
        assert!(parse("date:2026-12").is_ok());
        assert!(parse("date:2026").is_ok());
    }

    #[test]
    fn mistakes_are_explained_with_a_place() {
        for (q, says) in [
            ("", "nothing to search for"),
            ("   ", "nothing to search for"),
            ("\"open", "never closed"),
            ("(a b", "never closed"),
            ("a)", "closing parenthesis"),
            ("a OR", "OR needs"),
            ("OR a", "OR needs"),
            ("a AND AND b", "AND needs"),
            ("NOT", "nothing to search for"),
            ("a NOT", "NOT needs"),
            ("()", "nothing to search for"),
            ("(x) ()", "empty parentheses"),
            ("date:tomorrow", "not a date"),
            ("date:2026-02-30", "not a date"),
            ("date:2026-03-05..2026-03-01", "ends before it starts"),
            ("date:..", "at least one end"),
            ("source:", "needs a value"),
            ("source: reuters", "needs a value"),
        ] {
            let e = parse(q).expect_err(q);
            assert!(e.to_string().contains(says), "{q:?}: {e}");
            assert!(e.at >= 1, "{q:?}");
        }
        let long = "a ".repeat(MAX_QUERY_CHARS);
        assert!(parse(&long).unwrap_err().message.contains("too long"));
        let many = "a ".repeat(MAX_TERMS + 1);
        assert!(parse(&many).unwrap_err().message.contains("too many terms"));
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(
            parse(&deep)
                .unwrap_err()
                .message
                .contains("nested too deeply")
        );
        let nots = format!("{}a", "NOT ".repeat(60));
        assert!(
            parse(&nots)
                .unwrap_err()
                .message
                .contains("nested too deeply")
        );
    }
}
