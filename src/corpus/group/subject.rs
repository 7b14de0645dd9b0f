//! What a report is about, and when: the names of its headline and lead, the words of its
//! lead and opening, and the days, weekdays and sessions it names.
//!
//! Template items (the same frame about another company, another day's table, another market
//! session) share most of their words with each other; what differs is exactly this: who the
//! headline and lead name, and which day or session they report. A version names the same
//! parties and the same day, and opens with the same lead.

use super::features::{hash_word, mix};
use crate::num;

/// Words of the body that make its opening (names and bigrams are taken from it).
pub(crate) const HEAD_WORDS: usize = 150;
/// Words of the body's first sentence at most (the lead).
pub(crate) const LEAD_WORDS: usize = 40;
/// Word bigrams of the opening kept for the lead check.
const HEAD_BIGRAMS: usize = 100;

/// Capitalised words that are not names (function words, months, days, units, company
/// suffixes, wire abbreviations).
pub(crate) const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "from",
    "he",
    "her",
    "his",
    "if",
    "in",
    "it",
    "its",
    "mr",
    "mrs",
    "ms",
    "no",
    "not",
    "of",
    "on",
    "or",
    "she",
    "so",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "we",
    "with",
    "year",
    "qtr",
    "shr",
    "net",
    "revs",
    "rev",
    "sales",
    "avg",
    "shrs",
    "qtly",
    "div",
    "pay",
    "record",
    "prior",
    "vs",
    "cts",
    "dlrs",
    "dlr",
    "mln",
    "billion",
    "pct",
    "reuter",
    "reuters",
    "said",
    "jan",
    "feb",
    "march",
    "april",
    "may",
    "june",
    "july",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "u.s",
    "corp",
    "inc",
    "co",
    "ltd",
    "plc",
    "group",
    "company",
    "bank",
    "oper",
    "note",
    "i",
    "after",
    "new",
    "will",
    "has",
    "have",
    "was",
    "is",
    "are",
    "be",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "mthly",
    "corporation",
    "incorporated",
    "limited",
    "international",
    "national",
    "american",
    "british",
    "first",
    "federal",
    "government",
    "minister",
    "president",
    "chairman",
    "update",
    "corrected",
    "correction",
    "urgent",
    "flash",
    "exclusive",
    "analysis",
    "stg",
    "yen",
    "marks",
    "francs",
    "tonnes",
    "when",
    "what",
    "where",
    "who",
    "why",
    "how",
    "all",
    "also",
    "more",
    "most",
    "some",
    "any",
    "our",
    "your",
    "my",
    "us",
    "up",
    "out",
    "over",
    "under",
    "into",
    "than",
    "then",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "week",
    "month",
    "according",
    "officials",
    "official",
    "sources",
    "analysts",
    "dealers",
    "traders",
];

/// Words naming a part of a trading day or a time of day.
const SESSIONS: &[(&str, u8)] = &[
    ("morning", 0),
    ("midmorning", 1),
    ("midday", 2),
    ("noon", 2),
    ("afternoon", 3),
    ("midafternoon", 4),
    ("evening", 5),
    ("night", 5),
    ("overnight", 6),
    ("opening", 7),
    ("open", 7),
    ("opens", 7),
    ("opened", 7),
    ("close", 8),
    ("closes", 8),
    ("closed", 8),
    ("closing", 8),
    ("midsession", 9),
    ("early", 10),
    ("late", 11),
];

const WEEKDAYS: &[&str] = &crate::corpus::date::WEEKDAY_NAMES;

/// The subject and time evidence of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subject {
    /// Names of the headline and the lead (32-bit word hashes, sorted, deduplicated): tickers,
    /// and words written with a capital in the body and never without one.
    pub names: Vec<u32>,
    /// The names of the headline alone (sorted, deduplicated).
    pub title_names: Vec<u32>,
    /// The tickers among the names (sorted, deduplicated): one version may carry a ticker
    /// the other lacks.
    pub tickers: Vec<u32>,
    /// Every word of the headline and the opening (32-bit hashes, sorted, deduplicated).
    pub words: Vec<u32>,
    /// Word bigrams of the lead (sorted, deduplicated).
    pub lead: Vec<u32>,
    /// Word bigrams of the opening (sorted, deduplicated).
    pub head: Vec<u32>,
    /// Days named by the headline and the lead as month * 32 + day (sorted, deduplicated).
    pub days: Vec<u16>,
    /// Weekdays named by the headline and the lead, one bit each (Monday = bit 0).
    pub weekdays: u8,
    /// Sessions named by the headline, one bit each (the index in `SESSIONS`).
    pub sessions: u16,
    /// Clock times the headline names, minutes after midnight.
    pub clock: Vec<u16>,
    /// The headline marks a correction ("CORRECTED - ...", "correction").
    pub correction: bool,
}

impl Subject {
    /// Gives back the spare capacity of its lists.
    pub(crate) fn shrink_to_fit(&mut self) {
        for v in [
            &mut self.names,
            &mut self.title_names,
            &mut self.tickers,
            &mut self.words,
            &mut self.lead,
            &mut self.head,
        ] {
            v.shrink_to_fit();
        }
        self.days.shrink_to_fit();
        self.clock.shrink_to_fit();
    }
}

/// Reusable buffers for [`subject`].
#[derive(Debug, Default)]
pub(crate) struct SubjectScratch {
    lower: String,
    /// (hash, capitalised, in lead) of each word of the opening.
    opening: Vec<(u32, bool, bool)>,
    lowercase_seen: Vec<u32>,
    /// Words seen with a capital inside a sentence (not its first word).
    inner_capital: Vec<u32>,
    title: Vec<(u32, bool)>,
    /// Names of the body (sorted, deduplicated).
    body_names: Vec<u32>,
    /// The words, then the bigrams of the opening, before they are sorted.
    head: Vec<u32>,
    /// The bigrams of the lead, before they are sorted.
    lead: Vec<u32>,
}

/// One word as read for the subject: its lower-cased core (in `lower`), whether it began
/// with a capital, whether it was a ticker (`<ABC>`), and whether it ends a sentence.
struct Word {
    capital: bool,
    ticker: bool,
    ends_sentence: bool,
}

/// The whitespace-separated words of `text`, as `str::split_whitespace` gives them, each with
/// whether it is ASCII: a byte loop for ASCII text (most wire copy), the standard splitter
/// otherwise.
enum RawWords<'a> {
    Ascii { text: &'a str, pos: usize },
    Other(std::str::SplitWhitespace<'a>),
}

fn raw_words(text: &str) -> RawWords<'_> {
    if text.is_ascii() {
        RawWords::Ascii { text, pos: 0 }
    } else {
        RawWords::Other(text.split_whitespace())
    }
}

/// ASCII white space as `char::is_whitespace` sees it (tab to carriage return, space).
fn is_ascii_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

impl<'a> Iterator for RawWords<'a> {
    type Item = (&'a str, bool);

    fn next(&mut self) -> Option<(&'a str, bool)> {
        match self {
            RawWords::Ascii { text, pos } => {
                let bytes = text.as_bytes();
                let mut i = *pos;
                while i < bytes.len() && is_ascii_space(bytes[i]) {
                    i += 1;
                }
                if i == bytes.len() {
                    *pos = i;
                    return None;
                }
                let start = i;
                while i < bytes.len() && !is_ascii_space(bytes[i]) {
                    i += 1;
                }
                *pos = i;
                // ASCII text: every byte is a char boundary.
                text.get(start..i).map(|w| (w, true))
            }
            RawWords::Other(words) => words.next().map(|w| (w, w.is_ascii())),
        }
    }
}

/// [`read_word`] for an ASCII word, without char decoding (the same result): one pass finds
/// the ticker cut, the first and last letter or digit and any dot between them.
fn read_word_ascii(raw: &str, lower: &mut String) -> Option<Word> {
    lower.clear();
    let all = raw.as_bytes();
    let ticker = all.first() == Some(&b'<');
    // "GRUMMAN<GQ>": the name, then the ticker (a `<` opening the word starts a ticker).
    let (mut first, mut last, mut first_dot) = (usize::MAX, 0, usize::MAX);
    let mut cut = all.len();
    for (i, &b) in all.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            if first == usize::MAX {
                first = i;
            }
            last = i;
        } else if b == b'.' {
            if first != usize::MAX && first_dot == usize::MAX {
                first_dot = i;
            }
        } else if b == b'<' && i > 0 && !ticker {
            cut = i;
            break;
        }
    }
    if first == usize::MAX {
        return None;
    }
    let end = last + 1;
    let core = &all[first..end];
    let dot = first_dot < last;
    let capital = core[0].is_ascii_uppercase();
    // ASCII: every byte offset is a char boundary.
    lower.push_str(raw.get(first..end)?);
    lower.make_ascii_lowercase();
    if lower.ends_with("'s") {
        lower.truncate(lower.len() - 2);
    }
    // A ticker's exchange suffix ("<ETRE.O>") is not part of the name.
    if ticker
        && dot
        && let Some(d) = lower.find('.')
    {
        lower.truncate(d);
    }
    let mut tail = &all[end..cut];
    while let [rest @ .., b'"' | b'\'' | b')'] = tail {
        tail = rest;
    }
    // "Corp." and "U.S." do not end a sentence; "said." and "1987." do.
    let ends_sentence =
        matches!(tail.first(), Some(b'.' | b'!' | b'?')) && !dot && (core.len() > 3 || !capital);
    Some(Word {
        capital,
        ticker,
        ends_sentence,
    })
}

/// [`read_word`], or [`read_word_ascii`] when the word is known to be ASCII.
fn read_any(raw: &str, ascii: bool, lower: &mut String) -> Option<Word> {
    if ascii {
        read_word_ascii(raw, lower)
    } else {
        read_word(raw, lower)
    }
}

/// Reads the core of `raw` into `lower` (lower-cased, typographic apostrophes made plain, a
/// possessive `'s` dropped); `None` when nothing is left.
fn read_word(raw: &str, lower: &mut String) -> Option<Word> {
    lower.clear();
    // "GRUMMAN<GQ>": the name, then the ticker.
    let raw = match raw.find('<') {
        Some(i) if i > 0 => &raw[..i],
        _ => raw,
    };
    let ticker = raw.starts_with('<');
    let core = raw.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return None;
    }
    let capital = core.chars().next().is_some_and(char::is_uppercase);
    if core.is_ascii() {
        lower.push_str(core);
        lower.make_ascii_lowercase();
    } else {
        for c in core.chars() {
            let c = crate::text::normalize_char(c);
            if c.is_ascii() {
                lower.push(c.to_ascii_lowercase());
            } else {
                lower.extend(c.to_lowercase());
            }
        }
    }
    if lower.ends_with("'s") {
        lower.truncate(lower.len() - 2);
    }
    // A ticker's exchange suffix ("<ETRE.O>") is not part of the name.
    if ticker && let Some(dot) = lower.find('.') {
        lower.truncate(dot);
    }
    // `core` is a slice of `raw`: what follows it starts at its end.
    let end = core.as_ptr() as usize - raw.as_ptr() as usize + core.len();
    let tail = raw[end..].trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}']);
    // "Corp." and "U.S." do not end a sentence; "said." and "1987." do.
    let ends_sentence = (tail.starts_with('.') || tail.starts_with('!') || tail.starts_with('?'))
        && !core.contains('.')
        && (core.len() > 3 || !capital);
    Some(Word {
        capital,
        ticker,
        ends_sentence,
    })
}

/// A word and the ticker glued to it ("GRUMMAN<GQ>" → "GRUMMAN", "<GQ>").
fn split_ticker(raw: &str) -> impl Iterator<Item = &str> {
    let (a, b) = match raw.find('<') {
        Some(i) if i > 0 => (&raw[..i], Some(&raw[i..])),
        _ => (raw, None),
    };
    // "JOHNSON/JOHNSON" is two words.
    a.split('/').chain(b)
}

fn h32(s: &str) -> u32 {
    let h = mix(hash_word(s.as_bytes()));
    num::low_u32(h)
}

fn bigram(a: u32, b: u32) -> u32 {
    num::low_u32(mix((u64::from(a) << 32) | u64::from(b)))
}

fn index_of(list: &[&str], word: &str) -> Option<usize> {
    list.iter().position(|w| *w == word)
}

fn is_not_name(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| NOT_NAMES.iter().copied().collect());
    word.len() < 2 || word.bytes().all(|b| b.is_ascii_digit()) || SET.contains(word)
}

/// Computes the subject evidence of an article from its headline and body paragraphs.
pub(crate) fn subject(title: &str, paragraphs: &[String], scratch: &mut SubjectScratch) -> Subject {
    let SubjectScratch {
        lower,
        opening,
        lowercase_seen,
        inner_capital,
        title: title_words,
        body_names,
        head,
        lead,
    } = scratch;
    opening.clear();
    lowercase_seen.clear();
    inner_capital.clear();
    let mut sentence_start = true;
    title_words.clear();
    let mut out = Subject::default();
    let mut in_lead = true;
    let mut lead_len = 0;
    let (mut upper_letters, mut lower_letters) = (0usize, 0usize);
    let mut prev_month: Option<u16> = None;
    let note_day =
        |lower: &str, prev_month: &mut Option<u16>, days: &mut Vec<u16>, weekdays: &mut u8| {
            if let Some(m) = prev_month.take()
                && let Ok(d) = lower.parse::<u16>()
                && (1..=31).contains(&d)
            {
                days.push(m * 32 + d);
            }
            if lower.len() >= 3
                && lower.is_char_boundary(3)
                && let Some(m) = crate::corpus::date::MONTHS
                    .iter()
                    .position(|x| *x == &lower[..3])
                && (lower.len() == 3
                    || crate::corpus::date::MONTH_NAMES[m].starts_with(lower)
                    || lower == "sept")
            {
                *prev_month = Some(u16::try_from(m + 1).unwrap_or(u16::MAX));
            }
            if let Some(w) = index_of(WEEKDAYS, lower) {
                *weekdays |= 1 << w;
            }
        };
    'body: for (k, p) in paragraphs.iter().enumerate() {
        for (raw, ascii) in raw_words(p) {
            if opening.len() >= HEAD_WORDS {
                break 'body;
            }
            let Some(w) = read_any(raw, ascii, lower) else {
                continue;
            };
            // The case of the first eight letters (ASCII words counted byte by byte).
            if ascii {
                let mut letters = 0;
                for &b in raw.as_bytes() {
                    if b.is_ascii_uppercase() {
                        upper_letters += 1;
                    } else if b.is_ascii_lowercase() {
                        lower_letters += 1;
                    } else {
                        continue;
                    }
                    letters += 1;
                    if letters == 8 {
                        break;
                    }
                }
            } else {
                for c in raw.chars().filter(|c| c.is_alphabetic()).take(8) {
                    if c.is_uppercase() {
                        upper_letters += 1;
                    } else {
                        lower_letters += 1;
                    }
                }
            }
            let h = h32(lower);
            if in_lead {
                note_day(lower, &mut prev_month, &mut out.days, &mut out.weekdays);
            }
            let name_like = (w.capital || w.ticker) && !is_not_name(lower);
            if !w.capital && !w.ticker {
                lowercase_seen.push(h);
            } else if name_like && !sentence_start {
                inner_capital.push(h);
            }
            sentence_start = w.ends_sentence;
            opening.push((h, name_like, in_lead));
            if in_lead {
                lead_len += 1;
                if w.ends_sentence || lead_len >= LEAD_WORDS {
                    in_lead = false;
                }
            }
        }
        // A lead is one paragraph at most, unless the paragraph stopped mid-sentence (a
        // hard-wrapped line the cleaner could not join).
        let continues = paragraphs
            .get(k + 1)
            .and_then(|next| next.trim_start().chars().next())
            .is_some_and(char::is_lowercase);
        if sentence_start || lead_len >= 8 || !continues {
            in_lead = false;
        }
        sentence_start = true;
    }
    // Text set in capitals throughout names nothing by its case.
    let caps_text = upper_letters > 3 * lower_letters;
    lowercase_seen.sort_unstable();
    lowercase_seen.dedup();
    // Words of the headline back a capital at the start of a sentence ("McDonalds Corp is
    // issuing ..." under "MCDONALDS ISSUES ..."); "Firm oil prices ..." is no name.
    for raw in title.split_whitespace() {
        if read_word(raw, lower).is_some() {
            inner_capital.push(h32(lower));
        }
    }
    inner_capital.sort_unstable();
    inner_capital.dedup();
    let is_name = |h: u32, name_like: bool| {
        name_like
            && !caps_text
            && lowercase_seen.binary_search(&h).is_err()
            && inner_capital.binary_search(&h).is_ok()
    };
    body_names.clear();
    body_names.extend(opening.iter().filter(|w| is_name(w.0, w.1)).map(|w| w.0));
    body_names.sort_unstable();
    body_names.dedup();
    for w in opening.iter() {
        if w.2 && is_name(w.0, w.1) {
            out.names.push(w.0);
        }
    }

    prev_month = None;
    for raw in title.split_whitespace().flat_map(split_ticker) {
        let Some(w) = read_word(raw, lower) else {
            continue;
        };
        let h = h32(lower);
        note_day(lower, &mut prev_month, &mut out.days, &mut out.weekdays);
        if let Some(&(_, bit)) = SESSIONS.iter().find(|(w, _)| *w == lower.as_str()) {
            out.sessions |= 1 << bit;
        }
        // A clock time ("11:00") names the moment of a snapshot.
        if let Some((h, m)) = lower.split_once(':')
            && let (Ok(h), Ok(m)) = (h.parse::<u16>(), m.parse::<u16>())
            && h < 24
            && m < 60
        {
            out.clock.push(h * 60 + m);
        }
        if lower.starts_with("correct") {
            out.correction = true;
        }
        // A headline word is a name when it is a ticker, or a name of the body.
        if (w.ticker && !is_not_name(lower)) || body_names.binary_search(&h).is_ok() {
            out.names.push(h);
            out.title_names.push(h);
            if w.ticker {
                out.tickers.push(h);
            }
        }
        title_words.push((h, w.capital));
    }
    out.names.sort_unstable();
    out.names.dedup();
    out.title_names.sort_unstable();
    out.title_names.dedup();
    out.tickers.sort_unstable();
    out.tickers.dedup();
    out.days.sort_unstable();
    out.days.dedup();

    // The sets are gathered in scratch buffers and copied out once at their size.
    head.clear();
    head.extend(
        opening
            .iter()
            .map(|w| w.0)
            .chain(title_words.iter().map(|w| w.0)),
    );
    out.words = sorted_copy(head);
    head.clear();
    lead.clear();
    for (k, pair) in opening.windows(2).enumerate() {
        let b = bigram(pair[0].0, pair[1].0);
        if k < HEAD_BIGRAMS {
            head.push(b);
        }
        if pair[1].2 {
            lead.push(b);
        }
    }
    out.lead = sorted_copy(lead);
    out.head = sorted_copy(head);
    out
}

/// `set` sorted and deduplicated (in place), copied out at its size.
fn sorted_copy(set: &mut [u32]) -> Vec<u32> {
    set.sort_unstable();
    let n = crate::sorted::dedup_sorted(set);
    set[..n].to_vec()
}

/// The words of an article's whole text (headline and body), its tickers and the word
/// bigrams of its whole body (in `head`), as a `Subject` whose other fields are empty: names
/// and leads missing from an opening are looked for here.
pub(crate) fn whole_text(article: &crate::corpus::Article) -> Subject {
    let mut lower = String::new();
    let mut out = Subject::default();
    let body = article.paragraphs.iter().flat_map(|p| raw_words(p));
    for raw in article.title.split_whitespace().flat_map(split_ticker) {
        if let Some(w) = read_word(raw, &mut lower) {
            let h = h32(&lower);
            out.words.push(h);
            if w.ticker {
                out.tickers.push(h);
            }
        }
    }
    let mut prev: Option<u32> = None;
    for (raw, ascii) in body {
        if let Some(w) = read_any(raw, ascii, &mut lower) {
            let h = h32(&lower);
            out.words.push(h);
            if w.ticker {
                out.tickers.push(h);
            }
            if let Some(p) = prev {
                out.head.push(bigram(p, h));
            }
            prev = Some(h);
        }
    }
    out.head.sort_unstable();
    out.head.dedup();
    out.words.sort_unstable();
    out.words.dedup();
    out.tickers.sort_unstable();
    out.tickers.dedup();
    // Kept while the pairs are verified: no room for the duplicates deduplication dropped.
    out.shrink_to_fit();
    out
}

/// Share of `a`'s lead bigrams found in `b`'s opening (`None` when `a` has no lead).
pub fn lead_found(a: &Subject, b: &Subject) -> Option<f32> {
    if a.lead.len() < 3 {
        return None;
    }
    Some(num::f32_of(crate::sorted::shared_count(&a.lead, &b.head)) / num::f32_of(a.lead.len()))
}

/// Share of `a`'s subject names (less the `common` ones) found among `b`'s words; `None`
/// when `a` names no one.
pub fn names_found(a: &Subject, b: &Subject, common: &dyn Fn(u32) -> bool) -> Option<f32> {
    share_found(&a.names, a, b, common)
}

/// Share of `a`'s headline names (less the `common` ones) found among `b`'s words; `None`
/// when `a`'s headline names no one.
pub(crate) fn title_names_found(
    a: &Subject,
    b: &Subject,
    common: &dyn Fn(u32) -> bool,
) -> Option<f32> {
    share_found(&a.title_names, a, b, common)
}

fn share_found(
    names: &[u32],
    a: &Subject,
    b: &Subject,
    common: &dyn Fn(u32) -> bool,
) -> Option<f32> {
    let mut total = 0;
    let mut found = 0;
    for &n in names {
        // A ticker counts only against a text that gives tickers.
        let ticker = a.tickers.binary_search(&n).is_ok();
        if common(n) || (ticker && b.tickers.is_empty()) {
            continue;
        }
        total += 1;
        if b.words.binary_search(&n).is_ok() {
            found += 1;
        }
    }
    (total > 0).then(|| num::f32_of(found) / num::f32_of(total))
}

/// Whether the two name different days, weekdays or sessions (each only when both name one).
pub fn other_time(a: &Subject, b: &Subject) -> bool {
    let days = !a.days.is_empty()
        && !b.days.is_empty()
        && crate::sorted::shared_count(&a.days, &b.days) == 0;
    let weekdays = a.weekdays != 0 && b.weekdays != 0 && a.weekdays & b.weekdays == 0;
    let sessions = a.sessions != 0 && b.sessions != 0 && a.sessions & b.sessions == 0;
    let clock =
        !a.clock.is_empty() && !b.clock.is_empty() && !a.clock.iter().any(|t| b.clock.contains(t));
    days || weekdays || sessions || clock
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII word reader and splitter give exactly what the general ones give.
    #[test]
    fn ascii_fast_path_matches_the_general_reader() {
        let pieces = [
            "GRUMMAN<GQ>",
            "<ETRE.O>",
            "Corp.",
            "U.S.",
            "said.",
            "1987.",
            "\"Quoted.\"",
            "(Reuters)",
            "company's",
            "IT'S",
            "Mr",
            "a",
            "--",
            "<",
            "<<x",
            "x<",
            "ok!)",
            "why?'",
            "3.5",
            "e.g.",
            "\t",
            "\n",
            "\x0b",
            "\x0c",
            "\r",
            " ",
            "\x1c",
            "...",
            "A.B.C",
            "ZZZ'S",
            "'s",
            "x's.",
        ];
        let mut seed: u64 = 7;
        let (mut a, mut b) = (String::new(), String::new());
        for _ in 0..4000 {
            let mut text = String::new();
            for _ in 0..6 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
                if (seed >> 20).is_multiple_of(3) {
                    text.push(' ');
                }
            }
            let fast: Vec<&str> = raw_words(&text).map(|(w, _)| w).collect();
            let slow: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(fast, slow, "{text:?}");
            for w in slow {
                let x = read_word(w, &mut a);
                let y = read_word_ascii(w, &mut b);
                let key = |r: Option<Word>| r.map(|r| (r.capital, r.ticker, r.ends_sentence));
                assert_eq!(key(x), key(y), "{w:?}");
                assert_eq!(a, b, "{w:?}");
            }
        }
    }

    fn subj(title: &str, body: &str) -> Subject {
        let paras: Vec<String> = body.split("\n\n").map(str::to_string).collect();
        subject(title, &paras, &mut SubjectScratch::default())
    }

    const NONE: &dyn Fn(u32) -> bool = &|_| false;

    #[test]
    fn template_items_about_other_companies_name_other_parties() {
        let a = subj(
            "MCDONALDS ISSUES 75 MLN CANADIAN DLR EUROBOND",
            "McDonalds Corporation is issuing a 75 mln Canadian dlr eurobond due May 14, 1992 \
             paying 8-1/2 pct and priced at 101-5/8 pct, lead manager Morgan Guaranty Ltd said.\n\n\
             The non-callable bond is available in denominations of 1,000 and 10,000 dlrs and \
             will be listed in Luxembourg.",
        );
        let b = subj(
            "HERTZ REALTY ISSUES 75 MLN CANADIAN DLR EUROBOND",
            "Hertz Realty Corp is issuing a 75 mln Canadian dlr bond due April 30, 1993 paying \
             nine pct and priced at 100-3/4 pct, syndicate sources said.\n\n\
             The non-callable bond is guaranteed by Hertz Corp. It is available in \
             denominations of 1,000 dlrs and will be listed in Luxembourg.",
        );
        assert!(a.names.contains(&h32("mcdonalds")));
        assert!(!a.names.contains(&h32("issues")));
        assert!(names_found(&a, &b, NONE).unwrap() < 0.5);
        assert!(names_found(&b, &a, NONE).unwrap() < 0.5);
        // The maturity days of the leads differ too.
        assert!(other_time(&a, &b));
    }

    #[test]
    fn a_rewritten_version_names_the_same_parties() {
        let a = subj(
            "TREASURY'S MULFORD SEES BRAZIL LENDING PROGRESS",
            "Assistant Treasury Secretary David Mulford said rapid progress was being made in \
             talks with commercial banks for loans to Argentina, the Philippines and Brazil.",
        );
        let b = subj(
            "U.S. TREASURY OFFICIAL SEES LATIN DEBT PROGRESS",
            "Assistant U.S. Treasury Secretary David Mulford said rapid progress was being made \
             in talks with commercial banks for loans to Argentina, the Philippines and Brazil.",
        );
        assert!(names_found(&a, &b, NONE).unwrap() >= 0.9);
        assert!(names_found(&b, &a, NONE).unwrap() >= 0.5);
        assert!(lead_found(&a, &b).unwrap() > 0.8);
        assert!(!other_time(&a, &b));
    }

    #[test]
    fn sessions_and_days_of_headlines_are_read() {
        let a = subj(
            "LONDON SUGAR FALLS TO SESSION LOWS BY MIDMORNING",
            "Raw sugar prices fell to session lows by midmorning.",
        );
        let b = subj(
            "LONDON SUGAR DOWN 1.40 TO 2.00 DLRS BY MIDDAY",
            "Raw sugar prices were down 1.40 to 2.00 dlrs by midday.",
        );
        assert!(other_time(&a, &b));
        let c = subj(
            "TREASURY BALANCES AT FED ROSE ON MARCH 30",
            "Balances rose.",
        );
        let d = subj(
            "TREASURY BALANCES AT FED ROSE ON MARCH 31",
            "Balances rose.",
        );
        assert_eq!(c.days, vec![3 * 32 + 30]);
        assert!(other_time(&c, &d));
        let e = subj(
            "Rates rise",
            "The bank raised rates on Tuesday, officials said.",
        );
        let f = subj(
            "Rates rise",
            "The bank raised rates on Wednesday, officials said.",
        );
        assert!(other_time(&e, &f));
        assert!(!other_time(&e, &e.clone()));
    }

    #[test]
    fn text_in_capitals_names_nothing_and_corrections_are_marked() {
        let a = subj(
            "CORRECTED - BANK RAISES RATE",
            "THE BANK SAID IT RAISED ITS RATE TO SEVEN PCT.",
        );
        assert!(a.names.is_empty());
        assert!(a.correction);
    }

    #[test]
    fn tickers_are_names() {
        let a = subj(
            "NMR CENTERS <NMRC> ON NASDAQ NATIONAL SYSTEM",
            "NMR Centers Inc said its common stock has started trading on the NASDAQ National \
             Market System.",
        );
        let b = subj(
            "SOUND ADVICE <SUND> JOINS NASDAQ NATIONAL SYSTEM",
            "Sound Advice Inc said its common stock has started trading on the NASDAQ National \
             Market System.",
        );
        assert!(a.names.contains(&h32("nmrc")));
        assert!(names_found(&a, &b, NONE).unwrap() < 0.6);
    }
}
