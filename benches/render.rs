//! Reader speed with 100,000 stories: a full frame at 120×40, and a key press through
//! `App::handle` to a finished frame (the budget is 16 ms).

// Measuring code: unwraps on its fixed inputs; criterion_main! makes an undocumented main.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use stet::app::{App, Library, Msg};
use stet::config::{Config, KeyChord, KeyCode};
use stet::corpus::{Article, Corpus, Story, StoryVersion};

const SOURCES: [&str; 7] = [
    "Reuters",
    "BBC News",
    "Taipei Times",
    "AP",
    "東京新聞",
    "Norda Wire",
    "Valmere Courier",
];

fn library(n: usize) -> Library {
    let body = "The council voted on Tuesday to approve the tram line after a debate that lasted \
                into the night, officials said. Opponents said they would appeal the decision.";
    let mut articles = Vec::with_capacity(n);
    let mut stories = Vec::with_capacity(n);
    for i in 0..n {
        let source = SOURCES[i % SOURCES.len()].to_string();
        let date = format!(
            "20{:02}-{:02}-{:02}T12:00:00Z",
            10 + i % 15,
            1 + i % 12,
            1 + i % 28
        );
        let title = format!(
            "Report {i}: council approves tram line in vote number {}",
            i % 977
        );
        articles.push(Article {
            id: format!("a{i}").into(),
            path: format!("bench/{i}.txt").into(),
            source: source.as_str().into(),
            title: title.clone(),
            date: Some(date.as_str().into()),
            timestamp: Some(1_300_000_000 + (i64::try_from(i).unwrap() % 5000) * 86_400),
            more: stet::corpus::ArticleMore {
                paragraphs: vec![body.to_string(); 6],
                ..stet::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        });
        stories.push(Story {
            id: format!("s{i}").into(),
            title,
            versions: vec![StoryVersion {
                article: i,
                similarity: 1.0,
            }],
            sources: vec![source.into()],
            first_date: Some(date.as_str().into()),
            last_date: Some(date.into()),
            related: Vec::new(),
        });
    }
    Library::new(
        Corpus {
            name: "bench".into(),
            articles,
            problems: Vec::new(),
        },
        stories,
    )
}

fn benches(c: &mut Criterion) {
    let config = Config::default();
    let mut app = App::with_library(&config, library(100_000), 120, 40);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();

    c.bench_function("frame_120x40_100k_stories", |b| {
        b.iter(|| {
            term.draw(|f| stet::ui::draw(f, black_box(&app))).unwrap();
        })
    });

    let mut down = true;
    c.bench_function("keypress_to_frame_100k_stories", |b| {
        b.iter(|| {
            let key = KeyChord::ch(if down { 'j' } else { 'k' });
            down = !down;
            app.handle(Msg::Key(key));
            term.draw(|f| stet::ui::draw(f, &app)).unwrap();
        })
    });

    app.handle(Msg::Key(KeyChord::ch('/')));
    app.handle(Msg::Key(KeyChord::ch('v')));
    let mut typed = false;
    c.bench_function("search_keystroke_to_frame_100k_stories", |b| {
        b.iter(|| {
            let key = if typed {
                KeyChord::plain(KeyCode::Backspace)
            } else {
                KeyChord::ch('o')
            };
            typed = !typed;
            app.handle(Msg::Key(key));
            term.draw(|f| stet::ui::draw(f, &app)).unwrap();
        })
    });
    app.handle(Msg::Key(KeyChord::plain(KeyCode::Esc)));

    c.bench_function("cycle_sort_100k_stories", |b| {
        b.iter(|| {
            app.handle(Msg::Key(KeyChord::ch('s')));
        })
    });
}

criterion_group!(render, benches);
criterion_main!(render);
