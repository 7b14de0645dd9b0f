//! Hand-built corpora and helpers shared by the reader's tests.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use stet::app::{App, Effect, Library, Msg};
use stet::command::parse_sequence;
use stet::config::{Config, KeyChord};
use stet::corpus::{Article, Corpus, RemovalReason, RemovedLine, Story, StoryVersion};

/// Seconds since the epoch of an ISO `YYYY-MM-DDTHH:MM:SSZ`.
fn timestamp(iso: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| iso[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    // Days from civil (H. Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + n(11..13) * 3600 + n(14..16) * 60
}

fn article(id: &str, source: &str, date: &str, title: &str, paragraphs: &[&str]) -> Article {
    Article {
        id: id.into(),
        path: format!("test/{id}.txt").into(),
        source: source.into(),
        title: title.into(),
        date: Some(date.into()),
        timestamp: Some(timestamp(date)),
        more: stet::corpus::ArticleMore {
            raw: format!("{title}\n\n{}", paragraphs.join("\n\n")),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..stet::corpus::ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    }
}

fn story(id: &str, title: &str, articles: &[usize], all: &[Article]) -> Story {
    let mut sources: Vec<compact_str::CompactString> = Vec::new();
    for &a in articles {
        if !sources.contains(&all[a].source) {
            sources.push(all[a].source.clone());
        }
    }
    Story {
        id: id.into(),
        title: title.into(),
        versions: articles
            .iter()
            .enumerate()
            .map(|(i, &a)| StoryVersion {
                article: a,
                similarity: if i == 0 { 1.0 } else { 0.8 },
            })
            .collect(),
        sources,
        first_date: all[articles[0]].date.clone(),
        last_date: all[*articles.last().unwrap()].date.clone(),
        related: Vec::new(),
    }
}

const GAS: &str = "Russia's state gas company said on Tuesday it would cut supplies to the region from the first of next month, citing unpaid bills that it put at more than two billion dollars.";
const GAS2: &str = "The company's spokesman said talks would continue, but that the deadline would not be moved. Officials in the capital called the move political pressure ahead of the winter.";
const GAS3: &str = "Analysts said the dispute could affect transit flows to Europe if it dragged on into January, when demand for heating peaks.";

/// A small corpus: a three-version story, a two-version story with escape sequences in its
/// text, a story with wide characters, and `filler` one-version stories.
pub fn library(filler: usize) -> Library {
    let mut a = vec![
        article(
            "gas-1",
            "Reuters",
            "2015-12-15T09:00:00Z",
            "Russia to cut gas supply over unpaid bills",
            &[GAS, GAS2],
        ),
        article(
            "gas-2",
            "Taipei Times",
            "2015-12-16T01:00:00Z",
            "Russia cuts gas supply to region",
            &[GAS, GAS2, GAS3],
        ),
        article(
            "gas-3",
            "BBC News",
            "2015-12-16T08:30:00Z",
            "Russia gas cut: talks to continue",
            &[
                GAS2,
                GAS,
                GAS3,
                "A BBC correspondent said the mood in the capital was calm.",
            ],
        ),
        article(
            "esc-1",
            "Evil Wire",
            "2015-12-14T10:00:00Z",
            "Markets \u{1b}[31mred\u{1b}[0m alert",
            &[
                "Prices fell\u{1b}]52;c;aGVsbG8=\u{7} sharply as traders \u{1b}[2Jcleared the screen.",
                "Second paragraph with a bell\u{7} and a CSI \u{9b}31m.",
            ],
        ),
        article(
            "esc-2",
            "Evil Wire",
            "2015-12-14T12:00:00Z",
            "Markets red alert (updated)",
            &[
                "Prices fell sharply as traders cleared positions.",
                "Second paragraph.",
            ],
        ),
        article(
            "jp-1",
            "東京新聞",
            "2015-12-13T00:00:00Z",
            "東京の天気：雪 Tokyo snow 🌨",
            &[
                "東京では初雪が観測されました。 Snow fell in Tokyo for the first time this winter, the weather agency said.",
            ],
        ),
    ];
    a[0].url = Some("https://example.com/gas-1".into());
    a[0].byline = Some("By Jane Doe".into());
    a[0].dateline = Some("MOSCOW".into());
    a[1].deck = Some("Supplies halted from next month".into());
    a[1].raw = format!(
        "Post a Comment\n{}\n\n{GAS}\n\n{GAS2}\n\n{GAS3}\nThis story has been viewed 1965 times.",
        a[1].title
    );
    a[1].removed = vec![
        RemovedLine {
            text: "Post a Comment".into(),
            reason: RemovalReason::Comments,
            lines: Some((1, 1)),
        },
        RemovedLine {
            text: "This story has been viewed 1965 times.".into(),
            reason: RemovalReason::ViewCounter,
            lines: None,
        },
    ];
    let mut stories = vec![
        story("s-gas", "Russia cuts gas supply to region", &[0, 1, 2], &a),
        story("s-esc", "Markets \u{1b}[31mred\u{1b}[0m alert", &[3, 4], &a),
        story("s-jp", "東京の天気：雪 Tokyo snow 🌨", &[5], &a),
    ];
    for i in 0..filler {
        let idx = a.len();
        a.push(article(
            &format!("f-{i}"),
            if i % 2 == 0 { "Reuters" } else { "AP" },
            &format!("2015-11-{:02}T00:00:00Z", 1 + i % 28),
            &format!("Filler report number {i}"),
            &[
                "A short filler paragraph that says little.",
                "Another sentence.",
            ],
        ));
        stories.push(story(
            &format!("s-f{i}"),
            &format!("Filler report number {i}"),
            &[idx],
            &a,
        ));
    }
    let corpus = Corpus {
        name: "test".into(),
        articles: a,
        problems: vec![],
    };
    Library::new(corpus, stories)
}

/// A ready app over `library(filler)` at `w`×`h` with the default config.
pub fn app(filler: usize, w: u16, h: u16) -> App {
    App::with_library(&Config::default(), library(filler), w, h)
}

/// A ready app at `w`×`h` over `articles` as one story `id` (versions in the given order).
pub fn one_story_app(
    config: &Config,
    id: &str,
    title: &str,
    articles: Vec<Article>,
    w: u16,
    h: u16,
) -> App {
    let mut sources: Vec<compact_str::CompactString> = Vec::new();
    for a in &articles {
        if !sources.contains(&a.source) {
            sources.push(a.source.clone());
        }
    }
    let story = Story {
        id: id.into(),
        title: title.into(),
        versions: (0..articles.len())
            .map(|article| StoryVersion {
                article,
                similarity: 1.0,
            })
            .collect(),
        sources,
        first_date: articles.first().and_then(|a| a.date.clone()),
        last_date: articles.last().and_then(|a| a.date.clone()),
        related: Vec::new(),
    };
    let corpus = Corpus {
        name: id.into(),
        articles,
        problems: vec![],
    };
    App::with_library(config, Library::new(corpus, vec![story]), w, h)
}

/// The collation a key sent to the worker (panics when none was).
pub fn collate_job(effects: Vec<Effect>) -> Box<stet::app::collate::CollateJob> {
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Collate(job) => Some(job),
            _ => None,
        })
        .expect("a collation sent to the worker")
}

/// The comparison a key sent to the worker (panics when none was).
pub fn compare_job(effects: Vec<Effect>) -> Box<stet::app::diff::CompareJob> {
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Compare(job) => Some(job),
            _ => None,
        })
        .expect("a comparison sent to the worker")
}

/// Feeds a key script (space-separated keys as in config.toml; `<sp>` for a literal space) and
/// returns every effect. A collation or comparison sent to a worker is run at once and its
/// result fed back, as the runtime would.
pub fn keys(app: &mut App, script: &str) -> Vec<Effect> {
    let effects = keys_async(app, script);
    for e in &effects {
        match e {
            Effect::Collate(job) => {
                app.handle(Msg::Collated(Box::new((**job).clone().run())));
            }
            Effect::Compare(job) => {
                app.handle(Msg::Compared(job.key, Box::new(job.run())));
            }
            _ => {}
        }
    }
    effects
}

/// [`keys`] without running the workers' jobs.
pub fn keys_async(app: &mut App, script: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for word in script.split(' ').filter(|w| !w.is_empty()) {
        let chords: Vec<KeyChord> = if word == "<sp>" {
            vec![KeyChord::ch(' ')]
        } else {
            parse_sequence(word).unwrap_or_else(|e| panic!("bad key {word:?}: {e}"))
        };
        for c in chords {
            effects.extend(app.handle(Msg::Key(c)));
        }
    }
    effects
}

/// Types `text` character by character.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle(Msg::Key(KeyChord::ch(c)));
    }
}

/// The title of the selected story.
pub fn selected_title(app: &App) -> String {
    app.selected_story()
        .map(|s| app.lib.stories[s].title.clone())
        .unwrap_or_default()
}

/// Draws `app` on a `w`×`h` test terminal and returns the buffer.
pub fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| stet::ui::draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

/// The screen's text, one line per row, trailing spaces kept off.
pub fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn color_name(c: Color) -> String {
    match c {
        Color::Reset => String::new(),
        Color::Indexed(i) => format!("{i}"),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// The screen's text followed, per row, by its runs of styled cells:
/// `  cols 3-20 fg=cyan bg= +BOLD|REVERSED`, for snapshots of colour and monochrome themes.
pub fn screen_styles(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut runs: Vec<(u16, u16, String)> = Vec::new();
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            let mods = c.modifier - Modifier::empty();
            let desc = if c.fg == Color::Reset && c.bg == Color::Reset && mods.is_empty() {
                String::new()
            } else {
                format!("fg={} bg={} {:?}", color_name(c.fg), color_name(c.bg), mods)
            };
            match runs.last_mut() {
                Some((_, end, d)) if *d == desc && *end + 1 == x => *end = x,
                _ => runs.push((x, x, desc)),
            }
        }
        let styled: Vec<String> = runs
            .into_iter()
            .filter(|(_, _, d)| !d.is_empty())
            .map(|(a, b, d)| format!("{a}-{b} {d}"))
            .collect();
        if !styled.is_empty() {
            out.push_str(&format!("row {y:>2}: {}\n", styled.join("; ")));
        }
    }
    out
}

/// The default config made monochrome, as with NO_COLOR.
pub fn mono_config() -> Config {
    let mut c = Config::default();
    c.theme = c.theme.monochrome();
    c
}
