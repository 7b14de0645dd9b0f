//! Rendering tests: ratatui's TestBackend at 80×24 and 120×40, colour and monochrome, with
//! insta snapshots and assertions on content.

use crate::tui_support;

use ratatui::style::{Color, Modifier};
use stet::app::{App, Msg};
use stet::corpus::Progress;
use tui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, app: &mut App, w: u16, h: u16) -> String {
    app.handle(Msg::Resize(w, h));
    let text = screen_text(&render(app, w, h));
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    text
}

#[test]
fn story_list_and_reader() {
    for (w, h) in SIZES {
        let mut app = app(12, w, h);
        let text = snap("list", &mut app, w, h);
        assert!(text.contains("Russia cuts gas supply to"));
        assert!(text.contains("Filler report number 0"));
        assert!(text.contains("open"), "hints show in the status bar");
        if w >= 100 {
            assert!(text.contains("Versions (3)"));
            // The reader beside the list, on the story's first version (Reuters).
            assert!(
                text.contains("Russia's state gas company said"),
                "reader beside the list"
            );
        }
        keys(&mut app, "enter");
        // The story opens on its first (earliest) version.
        let text = snap("reader", &mut app, w, h);
        assert!(text.contains("Russia to cut gas supply over unpaid bills"));
        assert!(text.contains("version 1 of 3"));
    }
}

#[test]
fn raw_view_marks_removed_lines() {
    let mut app = app(0, 120, 40);
    // Version 2 (the Taipei Times') has removed lines; the story opens on version 1.
    keys(&mut app, "] r");
    let text = snap("raw", &mut app, 120, 40);
    assert!(text.contains("− Post a Comment [comments]"));
    assert!(text.contains("[view_counter]"));
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let mut app = app(3, w, h);
        keys(&mut app, "?");
        let text = snap("help", &mut app, w, h);
        assert!(text.contains("Down one row or line"));
        assert!(text.contains("j, ↓"));
    }
}

#[test]
fn search_while_typing_and_picker() {
    let mut app = app(12, 120, 40);
    keys(&mut app, "/");
    type_text(&mut app, "gas");
    let text = snap("search", &mut app, 120, 40);
    assert!(text.contains("/gas"));
    keys(&mut app, "esc f");
    let text = snap("picker", &mut app, 120, 40);
    assert!(text.contains("All sources"));
    assert!(text.contains("Evil Wire"));
}

#[test]
fn loading_gauge() {
    for (w, h) in SIZES {
        let mut app = App::new(&stet::config::Config::default(), "big corpus");
        app.handle(Msg::Progress(Progress::Loading {
            done: 250,
            total: 1000,
        }));
        let text = snap("loading", &mut app, w, h);
        assert!(text.contains("Loading 250 / 1000"));
        assert!(text.contains("quit"));
    }
}

#[test]
fn the_gauge_tells_bytes_read_and_the_share_grouped() {
    let mut app = App::new(&stet::config::Config::default(), "big corpus");
    app.handle(Msg::Progress(Progress::Reading {
        done: 1_234_000_000,
        total: 4_798_000_000,
    }));
    let text = snap("reading", &mut app, 80, 24);
    assert!(text.contains("Reading 1.2 GB / 4.8 GB"), "{text}");
    app.handle(Msg::Progress(Progress::Grouping {
        done: 41_000,
        total: 100_000,
    }));
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("Grouping 41%"), "{text}");
    app.handle(Msg::Progress(Progress::Saving));
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("Saving the stories"), "{text}");
}

#[test]
fn colour_and_monochrome_styles() {
    for (w, h) in SIZES {
        for mono in [false, true] {
            let config = if mono {
                mono_config()
            } else {
                stet::config::Config::default()
            };
            let mut app = App::with_library(&config, library(6), w, h);
            keys(&mut app, "/");
            type_text(&mut app, "gas");
            keys(&mut app, "enter");
            let buf = render(&app, w, h);
            let name = format!("styles_{}_{w}x{h}", if mono { "mono" } else { "colour" });
            insta::assert_snapshot!(
                name,
                format!("{}\n{}", screen_text(&buf), screen_styles(&buf))
            );
            let list = app.screen().list.unwrap().inner();
            let sel = &buf[(list.x + 1, list.y)];
            assert!(
                sel.modifier.contains(Modifier::REVERSED),
                "selection readable without colour"
            );
            if mono {
                for cell in buf.content() {
                    assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
                }
            }
        }
    }
}

#[test]
fn escape_sequences_in_articles_never_reach_the_screen() {
    let mut app = app(0, 120, 40);
    // Select the story with escape sequences in its title and text, then its raw text.
    keys(&mut app, "/");
    type_text(&mut app, "markets");
    keys(&mut app, "enter [ enter");
    for raw in [false, true] {
        if raw {
            keys(&mut app, "r");
        }
        let buf = render(&app, 120, 40);
        let text = screen_text(&buf);
        assert!(text.contains("Prices fell"), "{text}");
        assert!(
            text.contains('\u{241B}'),
            "ESC shown as a visible placeholder"
        );
        for cell in buf.content() {
            for c in cell.symbol().chars() {
                assert!(!c.is_control(), "control character {c:?} on screen");
                assert!(!('\u{80}'..='\u{9f}').contains(&c));
            }
        }
    }
}

#[test]
fn wide_characters_keep_columns_aligned() {
    let mut app = app(3, 120, 40);
    keys(&mut app, "/");
    type_text(&mut app, "tokyo");
    keys(&mut app, "enter");
    let buf = render(&app, 120, 40);
    let text = screen_text(&buf);
    assert!(text.contains("東京の天気"));
    // Every row of the screen is exactly as wide as the terminal.
    for line in text.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 120, "{line}");
    }
    // The reader's right border stays in its column on every row.
    let reader = app.screen().reader.unwrap();
    let right = reader.x + reader.width - 1;
    for y in reader.y + 1..reader.y + reader.height - 1 {
        assert_eq!(buf[(right, y)].symbol(), "│", "row {y}");
    }
    // In the list the date column starts at the same x on the CJK row as on the others.
    let list = app.screen().list.unwrap().inner();
    for y in list.y..list.y + 4 {
        assert_eq!(buf[(list.x + 9, y)].symbol(), "-", "date column on row {y}");
    }
}

#[test]
fn long_lists_and_articles_show_a_scrollbar() {
    let mut app = app(60, 80, 24);
    keys(&mut app, "G");
    let buf = render(&app, 80, 24);
    let list = app.screen().list.unwrap();
    let right = list.x + list.width - 1;
    let thumb: Vec<u16> = (list.y + 1..list.y + list.height - 1)
        .filter(|&y| buf[(right, y)].symbol() == "█")
        .collect();
    assert!(!thumb.is_empty(), "{}", screen_text(&buf));
    assert_eq!(
        *thumb.last().unwrap(),
        list.y + list.height - 2,
        "at the end of the list the thumb is at the bottom"
    );
    let text = snap("scrolled", &mut app, 80, 24);
    assert!(text.contains("63/63"));
}

#[test]
fn problems_overlay_lists_every_problem_safely() {
    let mut app = app(2, 80, 24);
    app.problems
        .push("config: my.toml:3: unknown key `reader.colour`; expected width".into());
    app.problems
        .push("feed.jsonl:7: not JSON: \u{1b}[31mexpected value".into());
    keys(&mut app, "!");
    let buf = render(&app, 80, 24);
    let text = screen_text(&buf);
    assert!(text.contains("2 problems"), "{text}");
    assert!(text.contains("my.toml:3: unknown key"));
    assert!(text.contains("feed.jsonl:7: not JSON: ␛[31m"));
    keys(&mut app, "esc");
    assert!(!screen_text(&render(&app, 80, 24)).contains("my.toml:3"));
}

#[test]
fn exact_duplicates_say_which_version_they_repeat() {
    let article = |id: &str, source: &str, text: &str| stet::corpus::Article {
        id: id.into(),
        path: format!("test/{id}.txt").into(),
        source: source.into(),
        title: "Harbour reopens".into(),
        more: stet::corpus::ArticleMore {
            paragraphs: vec![text.into()],
            ..stet::corpus::ArticleMore::default()
        }
        .boxed(),
        ..stet::corpus::Article::default()
    };
    let wire = "The harbour reopened on Monday after storm repairs, the port authority said.";
    let articles = vec![
        article("a", "Wire", wire),
        article(
            "b",
            "Paper",
            "The harbour reopened on Monday, officials said.",
        ),
        article("c", "Repost", wire),
    ];
    let app = one_story_app(
        &stet::config::Config::default(),
        "harbour",
        "Harbour reopens",
        articles,
        120,
        40,
    );
    let text = screen_text(&render(&app, 120, 40));
    let row = |source: &str| {
        text.lines()
            .find(|l| l.contains(source) && l.contains("Harbour reope") && l.contains("w││"))
            .unwrap_or_else(|| panic!("no row for {source}:\n{text}"))
            .to_string()
    };
    assert!(row("Repost").contains("  =1 "), "{}", row("Repost"));
    assert!(row("Paper").contains("100%"), "{}", row("Paper"));
    assert!(!row("Paper").contains("=1"), "{}", row("Paper"));
}
