//! Dates from datelines. A version that carries no date but whose dateline names a day
//! ("VALMERE, March 3 -", a wire original) takes that day, with the year from the story's
//! dated versions (the year that puts the day nearest to them), else from its path
//! (`2026-03-05-p5.txt`, `archive/2026/…`), else from the corpus (the year most of its dated
//! articles have). Such a date is marked inferred (`Article::date_inferred`); the story's
//! versions are put back in date order and its first and last dates follow.

use super::date::{MONTH_NAMES, MONTHS, parse_date};
use super::{Article, Corpus, Story};

/// The month (1–12), day and, when written, year a dateline names: "VALMERE, March 3",
/// "MOSCOW, Dec. 16 (Reuters)", "3 March 2026".
pub(crate) fn dateline_day(dateline: &str) -> Option<(u32, u32, Option<i32>)> {
    let tokens: Vec<&str> = dateline
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '/' | '—' | '–'))
        .map(|t| t.trim_matches(|c: char| c == '.' || c == '-'))
        .filter(|t| !t.is_empty())
        .take(24)
        .collect();
    let number = |i: usize, digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        let t = tokens.get(i)?;
        let t = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (digits.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let day = |i: usize| number(i, 1..=2).filter(|d| (1..=31).contains(d));
    let year = |i: usize| number(i, 4..=4).and_then(|y| i32::try_from(y).ok());
    for (i, t) in tokens.iter().enumerate() {
        let Some(month) = month_of(t) else {
            continue;
        };
        if let Some(d) = day(i + 1) {
            return Some((month, d, year(i + 2)));
        }
        if let Some(d) = i.checked_sub(1).and_then(day) {
            return Some((month, d, year(i + 1)));
        }
    }
    None
}

/// The month a word names ("March", "Mar", "Sept."), 1–12.
fn month_of(word: &str) -> Option<u32> {
    if !(3..=9).contains(&word.len()) || !word.is_ascii() {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let i = MONTHS.iter().position(|m| lower.starts_with(m))?;
    (lower.len() == 3 || MONTH_NAMES[i].starts_with(&lower) || lower == "sept")
        .then_some(u32::try_from(i).ok()? + 1)
}

/// The first year (1900–2099) written in `path` as a number of its own, file name first.
fn year_in_path(path: &str) -> Option<i32> {
    for part in path.rsplit(['/', '\\']) {
        let mut digits = 0usize;
        let bytes = part.as_bytes();
        for (i, &b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
            if b.is_ascii_digit() {
                digits += 1;
                continue;
            }
            if digits == 4
                && let Ok(y) = part[i - 4..i].parse::<i32>()
                && (1900..=2099).contains(&y)
            {
                return Some(y);
            }
            digits = 0;
        }
    }
    None
}

/// The year most dated articles of the corpus have (the later one on a tie).
fn corpus_year(articles: &[Article]) -> Option<i32> {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for a in articles {
        if !a.date_inferred
            && let Some(y) = a.timestamp.and_then(year_of)
        {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(x.0.cmp(&y.0)))
        .map(|(y, _)| y)
}

fn year_of(timestamp: i64) -> Option<i32> {
    time::OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()
        .map(|t| t.year())
}

/// The date `month`/`day` of `year`, parsed as any other date.
fn dated(month: u32, day: u32, year: i32) -> Option<(String, i64)> {
    let name = MONTH_NAMES.get(month as usize - 1)?;
    let p = parse_date(&format!("{name} {day}, {year}"))?;
    Some((p.iso, p.timestamp))
}

/// Gives the undated versions of each story the day their dateline names (see the module's
/// documentation), and puts the versions of the stories changed back in date order (undated
/// last, then source and id, as grouping orders them). Story ids are kept as they are.
pub(crate) fn date_from_datelines(corpus: &mut Corpus, stories: &mut [Story]) {
    let year_of_corpus = std::cell::OnceCell::new();
    for story in stories.iter_mut() {
        let articles = &corpus.articles;
        let undated: Vec<usize> = story
            .versions
            .iter()
            .map(|v| v.article)
            .filter(|&i| {
                articles
                    .get(i)
                    .is_some_and(|a| a.timestamp.is_none() && a.dateline.is_some())
            })
            .collect();
        if undated.is_empty() {
            continue;
        }
        let known: Vec<i64> = story
            .versions
            .iter()
            .filter_map(|v| articles.get(v.article)?.timestamp)
            .collect();
        let mut changed = false;
        for i in undated {
            let a = &corpus.articles[i];
            let Some((month, day, written)) = a.dateline.as_deref().and_then(dateline_day) else {
                continue;
            };
            let found = match written {
                Some(y) => dated(month, day, y),
                None if !known.is_empty() => nearest(month, day, &known),
                None => year_in_path(&a.path)
                    .or_else(|| *year_of_corpus.get_or_init(|| corpus_year(&corpus.articles)))
                    .and_then(|y| dated(month, day, y)),
            };
            if let Some((iso, ts)) = found {
                let a = &mut corpus.articles[i];
                // A date written but not understood is kept, for the commands that show the
                // articles as loaded.
                if let Some(written) = a.date.take() {
                    a.date_written = Some(written.to_string());
                }
                a.date = Some(iso.into());
                a.timestamp = Some(ts);
                a.date_inferred = true;
                changed = true;
            }
        }
        if changed {
            reorder(&corpus.articles, story);
        }
    }
}

/// The date of `month`/`day` in the year (around the known dates') nearest to the known dates.
fn nearest(month: u32, day: u32, known: &[i64]) -> Option<(String, i64)> {
    let first = *known.iter().min()?;
    let y = year_of(first)?;
    (y - 1..=y + 1)
        .filter_map(|y| dated(month, day, y))
        .min_by_key(|(_, ts)| {
            known
                .iter()
                .map(|k| (k - ts).abs())
                .min()
                .unwrap_or(i64::MAX)
        })
}

/// Puts `story`'s versions in date order again and sets its first and last dates.
fn reorder(articles: &[Article], story: &mut Story) {
    let first_before = story.versions.first().map(|v| v.article);
    story.versions.sort_by(|x, y| {
        let (a, b) = (&articles[x.article], &articles[y.article]);
        (
            a.timestamp.is_none(),
            a.timestamp,
            &a.source,
            &a.id,
            x.article,
        )
            .cmp(&(
                b.timestamp.is_none(),
                b.timestamp,
                &b.source,
                &b.id,
                y.article,
            ))
    });
    let dated: Vec<(i64, &compact_str::CompactString)> = story
        .versions
        .iter()
        .filter_map(|v| {
            let a = &articles[v.article];
            Some((a.timestamp?, a.date.as_ref()?))
        })
        .collect();
    story.first_date = dated.iter().min_by_key(|d| d.0).map(|d| d.1.clone());
    story.last_date = dated.iter().max_by_key(|d| d.0).map(|d| d.1.clone());
    let mut sources: Vec<compact_str::CompactString> = Vec::new();
    for v in &story.versions {
        let s = &articles[v.article].source;
        if !sources.contains(s) {
            sources.push(s.clone());
        }
    }
    story.sources = sources;
    if story.versions.first().map(|v| v.article) != first_before {
        similarity_to_first(articles, story);
    }
}

/// Each version's similarity to the story's (new) first version, as grouping measures it.
fn similarity_to_first(articles: &[Article], story: &mut Story) {
    use super::group::{GroupSettings, features, verify};
    let sample = u64::from(GroupSettings::default().sample.max(1));
    let mut scratch = features::Scratch::default();
    let Some(first) = story.versions.first().map(|v| v.article) else {
        return;
    };
    if articles[first].paragraphs.is_empty() {
        // A lean load keeps no text: the figures stay those grouping gave.
        return;
    }
    let f0 = features::features_with(&articles[first], sample, &mut scratch);
    for v in &mut story.versions {
        v.similarity = if v.article == first {
            1.0
        } else if f0.shingles.is_empty() {
            0.0
        } else {
            let f = features::features_with(&articles[v.article], sample, &mut scratch);
            verify::containment(&f0, &f)
        };
    }
}

/// [`date_from_datelines`] without stories (each article on its own: the year from its path,
/// else the corpus), for commands that do not group.
pub(crate) fn date_from_datelines_alone(corpus: &mut Corpus) {
    let mut singles: Vec<Story> = (0..corpus.articles.len())
        .filter(|&i| {
            corpus.articles[i].timestamp.is_none() && corpus.articles[i].dateline.is_some()
        })
        .map(|i| Story {
            id: compact_str::CompactString::default(),
            title: String::new(),
            versions: vec![super::StoryVersion {
                article: i,
                similarity: 1.0,
            }],
            sources: Vec::new(),
            first_date: None,
            last_date: None,
            related: Vec::new(),
        })
        .collect();
    date_from_datelines(corpus, &mut singles);
}

/// Whether the order of `story`'s versions is known: every version is dated (from its record
/// or its dateline). Where it is not, comparisons are made against the base (first) version.
pub(crate) fn order_known(articles: &[Article], story: &Story) -> bool {
    story.versions.iter().all(|v| {
        articles
            .get(v.article)
            .is_some_and(|a| a.timestamp.is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_name_days() {
        assert_eq!(dateline_day("VALMERE, March 3"), Some((3, 3, None)));
        assert_eq!(dateline_day("VALMERE, March 3 -"), Some((3, 3, None)));
        assert_eq!(
            dateline_day("MOSCOW, Dec. 16 (Reuters) -"),
            Some((12, 16, None))
        );
        assert_eq!(
            dateline_day("LONDON, 3 Sept 2025"),
            Some((9, 3, Some(2025)))
        );
        assert_eq!(
            dateline_day("WASHINGTON, March 31, 2015"),
            Some((3, 31, Some(2015)))
        );
        assert_eq!(dateline_day("Norda Wire, VALMERE"), None);
        assert_eq!(dateline_day("MARSEILLE, 12 dead"), None);
        assert_eq!(dateline_day("DECATUR, Ga."), None);
        assert_eq!(dateline_day("March 40"), None);
        assert_eq!(dateline_day(""), None);
        assert_eq!(
            dateline_day("\u{1b}[31mMarch\u{7} 3"),
            None,
            "no escape is a month"
        );
        assert_eq!(
            dateline_day(&"OSLO, ".repeat(10_000)),
            None,
            "long lines end early"
        );
        // A day the month does not have gives no date at all.
        assert_eq!(dateline_day("ROME, February 30"), Some((2, 30, None)));
        assert_eq!(dated(2, 30, 2026), None);
        assert_eq!(dated(2, 29, 2024).map(|d| d.0), Some("2024-02-29".into()));
    }

    #[test]
    fn years_in_paths() {
        assert_eq!(year_in_path("c/2026-03-05-p5-library.txt"), Some(2026));
        assert_eq!(year_in_path("archive/1987/reut-00.txt"), Some(1987));
        assert_eq!(year_in_path("wire/0303-ferry.txt"), None);
        assert_eq!(year_in_path("x/12345/a.txt"), None);
    }

    fn art(id: &str, date: Option<&str>, dateline: Option<&str>, path: &str) -> Article {
        let parsed = date.and_then(parse_date);
        Article {
            id: id.into(),
            path: path.into(),
            source: id.into(),
            date: parsed.as_ref().map(|p| p.iso.as_str().into()),
            timestamp: parsed.map(|p| p.timestamp),
            more: crate::corpus::ArticleMore {
                dateline: dateline.map(String::from),
                paragraphs: vec![format!("Text of {id} with some words in it.")],
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        }
    }

    fn story_of(n: usize) -> Story {
        Story::of_members("s", "", 0..n)
    }

    #[test]
    fn the_wire_original_takes_its_dateline_day_and_leads_the_story() {
        let mut corpus = Corpus {
            articles: vec![
                art("b-update", Some("2026-03-04"), None, "b/x.txt"),
                art("c-late", Some("2027-01-02"), None, "c/y.txt"),
                art("a-wire", None, Some("VALMERE, March 3"), "a/0303.txt"),
            ],
            ..Corpus::default()
        };
        let mut stories = vec![story_of(3)];
        date_from_datelines(&mut corpus, &mut stories);
        let wire = &corpus.articles[2];
        assert_eq!(
            wire.date.as_deref(),
            Some("2026-03-03"),
            "year from the story"
        );
        assert!(wire.date_inferred);
        assert!(!corpus.articles[0].date_inferred);
        let order: Vec<usize> = stories[0].versions.iter().map(|v| v.article).collect();
        assert_eq!(order, vec![2, 0, 1]);
        assert_eq!(stories[0].first_date.as_deref(), Some("2026-03-03"));
        assert_eq!(stories[0].last_date.as_deref(), Some("2027-01-02"));
        assert_eq!(stories[0].versions[0].similarity, 1.0);
        assert!(order_known(&corpus.articles, &stories[0]));
    }

    #[test]
    fn the_year_comes_from_the_path_then_the_corpus_and_unknown_stays_unknown() {
        let mut corpus = Corpus {
            articles: vec![
                art("p", None, Some("OSLO, Jan 5"), "w/2019/p.txt"),
                art("q", None, Some("OSLO, Jan 6"), "w/q.txt"),
                art("r", None, Some("OSLO"), "w/r.txt"),
                art("d1", Some("2024-05-01"), None, "d/1.txt"),
                art("d2", Some("2024-06-01"), None, "d/2.txt"),
                art("d3", Some("2023-06-01"), None, "d/3.txt"),
            ],
            ..Corpus::default()
        };
        let mut stories: Vec<Story> = (0..3)
            .map(|i| {
                let mut s = story_of(1);
                s.versions[0].article = i;
                s
            })
            .collect();
        date_from_datelines(&mut corpus, &mut stories);
        assert_eq!(corpus.articles[0].date.as_deref(), Some("2019-01-05"));
        assert_eq!(corpus.articles[1].date.as_deref(), Some("2024-01-06"));
        assert_eq!(corpus.articles[2].date, None, "no day in the dateline");
        assert!(!corpus.articles[2].date_inferred);
        assert!(!order_known(&corpus.articles, &stories[2]));
    }
}
