//! The article model: one version of a news report as loaded and cleaned.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Why a line was taken out of an article's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// A comment prompt or moderation notice ("Post a Comment").
    Comments,
    /// A view counter ("This story has been viewed 1965 times.").
    ViewCounter,
    /// Share, print, subscribe, follow, navigation lines.
    Share,
    /// A copyright or rights notice.
    Copyright,
    /// "TOP", "Back to top" and other page navigation.
    Navigation,
    /// A page header with a date ("Wed, Dec 16, 2015 - Page 7 News List").
    PageHeader,
    /// The headline, taken into `title`.
    Headline,
    /// The deck or kicker, taken into `deck`.
    Deck,
    /// The dateline or agency line, taken into `dateline`.
    Dateline,
    /// The byline, taken into `byline`.
    Byline,
    /// A teaser copy of a paragraph that stands later in the body.
    DuplicateParagraph,
    /// A line that recurs verbatim in several articles of the same source.
    SourceBoilerplate,
    /// A database export's furniture or field line (`N of M DOCUMENTS`, `Section:`,
    /// `Load-Date:`, `End of Document`, Factiva's field codes), its value taken into a field
    /// where it has one.
    ExportMetadata,
}

impl RemovalReason {
    /// Short human-readable name, as shown in the CLI and the TUI.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RemovalReason::Comments => "comments",
            RemovalReason::ViewCounter => "view_counter",
            RemovalReason::Share => "share",
            RemovalReason::Copyright => "copyright",
            RemovalReason::Navigation => "navigation",
            RemovalReason::PageHeader => "page_header",
            RemovalReason::Headline => "headline",
            RemovalReason::Deck => "deck",
            RemovalReason::Dateline => "dateline",
            RemovalReason::Byline => "byline",
            RemovalReason::DuplicateParagraph => "duplicate_paragraph",
            RemovalReason::SourceBoilerplate => "source_boilerplate",
            RemovalReason::ExportMetadata => "export_metadata",
        }
    }
}

/// Number of whitespace-separated words in `text` (as `split_whitespace().count()`, with a
/// byte loop for ASCII text).
pub(crate) fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // A word starts where a non-space byte follows a space (or the start). Counted 255 pairs
    // of bytes at a time into a byte-wide sum, which the compiler vectorises 32 bytes a step.
    let space = |x: u8| (x == b' ') | (x.wrapping_sub(9) < 5);
    let b = text.as_bytes();
    let Some(&first) = b.first() else {
        return 0;
    };
    let mut count = usize::from(!space(first));
    for (p, c) in b[..b.len() - 1].chunks(255).zip(b[1..].chunks(255)) {
        let starts = p
            .iter()
            .zip(c)
            .fold(0u8, |n, (&p, &c)| n + u8::from(space(p) & !space(c)));
        count += usize::from(starts);
    }
    count
}

/// Whether `text` has at least `n` whitespace-separated words (as
/// `split_whitespace().nth(n - 1).is_some()`), by a byte loop that stops at the `n`th word
/// while the bytes read are ASCII.
pub(crate) fn has_words(text: &str, n: usize) -> bool {
    let space = |x: u8| x == b' ' || (b'\t'..=b'\r').contains(&x);
    let b = text.as_bytes();
    let (mut i, mut words) = (0, 0);
    while words < n {
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        if i == b.len() {
            return false;
        }
        words += 1;
        while i < b.len() && !space(b[i]) {
            if !b[i].is_ascii() {
                // A non-ASCII white space may part words here: count them all the long way.
                return n == 0 || text.split_whitespace().nth(n - 1).is_some();
            }
            i += 1;
        }
    }
    true
}

/// A line (or paragraph) removed from the body, kept with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovedLine {
    /// The text as it stood in the raw article.
    pub text: String,
    /// Why it was removed.
    pub reason: RemovalReason,
    /// First and last line (1-based, inclusive) of the raw text it came from, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<(usize, usize)>,
}

/// One loaded article: metadata, the raw text (never lost), and the cleaned body.
///
/// What few articles have or a listing never reads (byline, dateline, deck, story key, the
/// texts, the keys taken while cleaning) is out of line in [`ArticleMore`], read and written
/// as if it were the article's own fields (`a.byline`, `a.paragraphs`, through `Deref`): a
/// reopened corpus of a million articles holds no such part for most of them (the article
/// itself is 280 bytes instead of 528). Writing one of those fields makes the part;
/// [`Article::compact`] gives it back once it is empty again.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// The article's id as shown, unique in the corpus and stable when other files or
    /// records are added, removed or reordered: the record's own id, else its path relative to
    /// the folder given (`PATH#HASH` for a record without an id); an id several records share
    /// is qualified by the file (`ID@FILE`) and, within one file, by a hash of the record
    /// (`ID@FILE#HASH`). See [`ArticleKey`] and [`super::identity`].
    pub id: CompactString,
    /// What identifies the article whatever the rest of the corpus holds.
    pub key: ArticleKey,
    /// The file it came from, as given on the command line (or `sample/...`).
    pub path: std::sync::Arc<str>,
    /// Line of the record in a JSONL file (1-based), when it came from one.
    pub line: Option<std::num::NonZeroU32>,
    /// Outlet: the record's field, else the URL's host, else the folder name.
    pub source: CompactString,
    /// Headline (may be empty).
    pub title: String,
    /// ISO 8601 when the date could be parsed, else as written.
    pub date: Option<CompactString>,
    /// Seconds since the Unix epoch, when the date could be parsed.
    pub timestamp: Option<i64>,
    /// Whether `date` is the day the dateline names, the record giving none (see
    /// [`super::dateline_date`]): shown as inferred.
    pub date_inferred: bool,
    /// Address of the article, when known.
    pub url: Option<String>,
    /// A lean load (a listing) keeps these counts instead of the paragraphs.
    pub counts: Option<BodyCounts>,
    /// The rest, when any of it is set (see the type's documentation).
    pub more: Option<Box<ArticleMore>>,
}

/// The part of an [`Article`] kept out of line: fields few articles have, and the texts
/// (which a reopened corpus does not hold).
#[derive(Debug, Clone, Default)]
pub struct ArticleMore {
    /// Author line.
    pub byline: Option<String>,
    /// Place and agency line ("Reuters, MOSCOW", "WASHINGTON, March 31 -").
    pub dateline: Option<String>,
    /// Deck or kicker under the headline.
    pub deck: Option<String>,
    /// A story id given by the record itself (`story_id`, `story`, `cluster_id`).
    pub story_key: Option<String>,
    /// The text as loaded (body only for JSON records), never altered.
    pub raw: String,
    /// The cleaned body: reflowed paragraphs with the original characters.
    pub paragraphs: Vec<String>,
    /// Lines removed by the cleaner, each with its reason.
    pub removed: Vec<RemovedLine>,
    /// The keys of the short paragraphs at the body's ends, for learning source boilerplate,
    /// computed where the article is cleaned (on both cores); `None` until then.
    pub edge_keys: Option<super::clean::EdgeKeys>,
    /// A hash of `source`, taken where the article is loaded (on both cores) so that learning
    /// boilerplate over a whole corpus does not chase every article's source string.
    pub source_key: Option<u64>,
    /// The date as the record wrote it, when a date taken from the dateline replaced it
    /// (`date_inferred`): what a command that does not group shows again.
    pub date_written: Option<String>,
}

/// What an article without an out-of-line part reads.
static NO_MORE: ArticleMore = ArticleMore {
    byline: None,
    dateline: None,
    deck: None,
    story_key: None,
    raw: String::new(),
    paragraphs: Vec::new(),
    removed: Vec::new(),
    edge_keys: None,
    source_key: None,
    date_written: None,
};

impl ArticleMore {
    /// The part boxed, or `None` when nothing in it is set.
    pub fn boxed(self) -> Option<Box<ArticleMore>> {
        (!self.is_empty()).then(|| Box::new(self))
    }

    /// Whether nothing is set (the part can go).
    fn is_empty(&self) -> bool {
        self.byline.is_none()
            && self.dateline.is_none()
            && self.deck.is_none()
            && self.story_key.is_none()
            && self.raw.is_empty()
            && self.paragraphs.is_empty()
            && self.removed.is_empty()
            && self.edge_keys.is_none()
            && self.source_key.is_none()
            && self.date_written.is_none()
    }
}

impl std::ops::Deref for Article {
    type Target = ArticleMore;

    fn deref(&self) -> &ArticleMore {
        self.more.as_deref().unwrap_or(&NO_MORE)
    }
}

impl std::ops::DerefMut for Article {
    fn deref_mut(&mut self) -> &mut ArticleMore {
        self.more.get_or_insert_default()
    }
}

/// What identifies an article independently of the rest of the corpus: the file it came from,
/// the record's own id in it, and a hash of the record. Annotations keep it, so they follow
/// their article when ids shown change, and never move to another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ArticleKey {
    /// The file, relative to the folder given (the file name for a file given directly).
    pub file: CompactString,
    /// The record's own id; for a file or a record without one, the id made for it.
    pub record: CompactString,
    /// A hash of the record's content (xxh3-64, 16 hex digits).
    pub hash: CompactString,
    /// Among records identical in all three, which one (0 for the first).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub nth: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What a lean load keeps of a cleaned body: enough to list it and to take learned source
/// boilerplate off its ends, without its text. Counts are `u32` (saturating): every article
/// of a reopened corpus holds one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyCounts {
    /// Paragraphs.
    pub paragraphs: u32,
    /// Words of the whole body.
    pub words: u32,
    /// Words of the paragraph in each edge slot (see [`super::clean::EdgeKeys`]).
    pub edge_words: super::clean::EdgeCounts,
    /// Lines removed by the cleaner (the removed lines themselves are not kept).
    pub removed: u32,
}

impl Article {
    /// Takes back a date taken from the dateline (`date_inferred`): the date as the record
    /// wrote it (or none) again.
    pub(crate) fn undo_inferred_date(&mut self) {
        if self.date_inferred {
            let written = self.more.as_deref_mut().and_then(|m| m.date_written.take());
            self.date = written.map(Into::into);
            self.timestamp = None;
            self.date_inferred = false;
            self.compact();
        }
    }

    /// Gives back the out-of-line part when nothing in it is set any more (after the texts
    /// of a listed article are dropped).
    pub(crate) fn compact(&mut self) {
        if self.more.as_deref().is_some_and(ArticleMore::is_empty) {
            self.more = None;
        }
    }

    /// Number of words in the cleaned body.
    pub(crate) fn word_count(&self) -> usize {
        match self.counts {
            Some(c) => crate::num::usize_from_u32(c.words),
            None => self.paragraphs.iter().map(|p| count_words(p)).sum(),
        }
    }

    /// Number of paragraphs in the cleaned body.
    pub(crate) fn paragraph_count(&self) -> usize {
        self.counts.map_or(self.paragraphs.len(), |c| {
            crate::num::usize_from_u32(c.paragraphs)
        })
    }

    /// Number of lines the cleaner removed.
    pub(crate) fn removed_count(&self) -> usize {
        self.counts.map_or(self.removed.len(), |c| {
            crate::num::usize_from_u32(c.removed)
        })
    }

    /// The headline, or when there is none the opening words of the body.
    pub(crate) fn display_title(&self) -> String {
        if !self.title.trim().is_empty() {
            return self.title.clone();
        }
        let words: Vec<&str> = self
            .paragraphs
            .first()
            .map(|p| p.split_whitespace().take(12).collect())
            .unwrap_or_default();
        if words.is_empty() {
            return format!("({})", self.id);
        }
        let more = self
            .paragraphs
            .first()
            .is_some_and(|p| p.split_whitespace().count() > 12);
        format!("{}{}", words.join(" "), if more { "…" } else { "" })
    }

    /// The cleaned body as one string, paragraphs separated by a blank line.
    /// This is the canonical text that annotations anchor into.
    pub fn body(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// A problem met while loading: reported as `path:line: reason`, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadProblem {
    /// The file concerned.
    pub path: String,
    /// The line (1-based) when the problem is on one line.
    pub line: Option<usize>,
    /// What went wrong.
    pub reason: String,
}

impl std::fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

/// A loaded corpus: all articles that could be read, and what could not.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// A name for the corpus (the paths given, or "sample").
    pub name: String,
    /// Every article loaded, in a stable order (path, then line).
    pub articles: Vec<Article>,
    /// Every problem met, in path order.
    pub problems: Vec<LoadProblem>,
}

impl Corpus {
    /// Finds an article by its id, or by its path when no id matches, or as `FILE:LINE` (a
    /// record's line, as ids read before they were made stable).
    pub fn find(&self, key: &str) -> Option<usize> {
        self.articles
            .iter()
            .position(|a| a.id == key)
            .or_else(|| self.articles.iter().position(|a| *a.path == *key))
            .or_else(|| {
                let (file, line) = key.rsplit_once(':')?;
                let line: std::num::NonZeroU32 = line.parse().ok()?;
                self.articles.iter().position(|a| {
                    a.line == Some(line)
                        && (a.key.file == file
                            || *a.path == *file
                            || a.path.strip_suffix(file).is_some_and(|p| p.ends_with('/')))
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_stays_small() {
        // A reopened corpus holds a million of these: what few articles have is out of line.
        let size = std::mem::size_of::<Article>();
        assert!(size <= 280, "Article is {size} bytes");
        assert_eq!(std::mem::size_of::<Option<BodyCounts>>(), 32);
    }

    #[test]
    fn the_out_of_line_part_is_made_on_write_and_given_back_when_empty() {
        let mut a = Article::default();
        // Read while absent: empty, nothing made.
        assert!(a.paragraphs.is_empty() && a.byline.is_none() && a.raw.is_empty());
        assert!(a.more.is_none());
        a.byline = Some("By A. Writer".into());
        a.paragraphs.push("One.".into());
        assert_eq!(a.byline.as_deref(), Some("By A. Writer"));
        assert_eq!(a.body(), "One.");
        a.compact();
        assert!(a.more.is_some(), "kept while anything is set");
        a.paragraphs = Vec::new();
        a.compact();
        assert!(a.more.is_some(), "the byline is still set");
        a.byline = None;
        a.compact();
        assert!(a.more.is_none());
        assert!(ArticleMore::default().boxed().is_none());
        let m = ArticleMore {
            source_key: Some(7),
            ..ArticleMore::default()
        };
        assert_eq!(m.boxed().and_then(|m| m.source_key), Some(7));
    }

    #[test]
    fn count_words_matches_split_whitespace() {
        for t in [
            "",
            " ",
            "one",
            " two  words ",
            "a\tb\nc\x0bd",
            "caf\u{e9} \u{a0} x",
            "\u{3000}東京 新聞",
        ] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
        // Words and space runs across the 64-byte chunks, every length up to 300.
        let mut seed = 7u64;
        for len in 0..300 {
            let t: String = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    match (seed >> 33) % 7 {
                        0 => ' ',
                        1 => '\n',
                        2 => '\t',
                        _ => 'w',
                    }
                })
                .collect();
            assert_eq!(count_words(&t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn has_words_matches_split_whitespace() {
        let mut seed = 11u64;
        for len in 0..400 {
            let t: String = (0..len % 40)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    [' ', '\n', '\u{b}', 'w', 'x', '\u{a0}', '\u{e9}', '\u{3000}']
                        [(seed >> 33) as usize % 8]
                })
                .collect();
            for n in 0..6 {
                let want = n == 0 || t.split_whitespace().nth(n - 1).is_some();
                assert_eq!(has_words(&t, n), want, "{t:?} {n}");
            }
        }
    }
}
