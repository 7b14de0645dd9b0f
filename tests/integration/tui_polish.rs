//! The reader's polish (issue 18's last items): dates from datelines, the version a story opens
//! on, the story's headline for untitled versions, change colours under annotations,
//! re-attaching an orphan by hand, the layout, and `e`/`ge` on whole words.

use crate::tui_support;

use ratatui::style::{Color, Modifier};
use stet::app::diff::DiffItem;
use stet::app::{App, Library, Pane, View};
use stet::config::Config;
use stet::corpus::{Article, Story, StoryVersion};
use tui_support::*;

/// The sample corpus grouped as `stet` groups it, in the reader at `w`×`h`.
fn sample_app(w: u16, h: u16) -> App {
    let corpus = stet::corpus::sample::load_sample(&Default::default());
    let stories = stet::corpus::group::group(&corpus.articles, &Default::default(), &|_| {});
    App::with_library(&Config::default(), Library::new(corpus, stories), w, h)
}

/// Selects the story holding the article whose path contains `path`.
fn select_story_with(app: &mut App, path: &str) {
    let corpus = &app.lib.corpus;
    let article = corpus
        .articles
        .iter()
        .position(|a| a.path.contains(path))
        .unwrap_or_else(|| panic!("{path} in the corpus"));
    let story = app
        .lib
        .stories
        .iter()
        .position(|s| s.versions.iter().any(|v| v.article == article))
        .expect("in a story");
    let row = app.view.iter().position(|&s| s == story).expect("listed");
    while app.list.selected != row {
        let down = app.list.selected < row;
        keys(app, if down { "j" } else { "k" });
    }
}

fn art(id: &str, date: Option<&str>, title: &str, paragraphs: &[&str]) -> Article {
    Article {
        id: id.into(),
        path: format!("t/{id}.txt").into(),
        source: "Wire".into(),
        title: title.into(),
        date: date.map(Into::into),
        timestamp: date.map(|d| {
            // Days of December 2015.
            let day: i64 = d[8..10].parse().unwrap();
            1_448_928_000 + (day - 1) * 86_400
        }),
        more: stet::corpus::ArticleMore {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..stet::corpus::ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    }
}

// ----- 1. dates from datelines, and an unknown order -----

#[test]
fn the_wire_original_is_dated_from_its_dateline_and_leads_its_story() {
    let mut app = sample_app(120, 40);
    select_story_with(&mut app, "norda-wire/0303");
    let story = &app.lib.stories[app.selected_story().unwrap()];
    let first = &app.lib.corpus.articles[story.versions[0].article];
    assert!(first.path.contains("norda-wire/0303"), "{}", first.path);
    assert_eq!(first.date.as_deref(), Some("2026-03-03"));
    assert!(first.date_inferred);
    assert!(
        story.versions[1..]
            .iter()
            .all(|v| !app.lib.corpus.articles[v.article].date_inferred)
    );
    let text = screen_text(&render(&app, 120, 40));
    // The versions pane and the list mark the inferred date with ~.
    assert!(text.contains(" 1 2026-03-03~"), "{text}");
    assert!(text.contains("2026-03-03~ "), "{text}");
    assert!(!text.contains("order unknown"), "{text}");
    // The reading pane says where the date came from.
    keys(&mut app, "enter");
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("2026-03-03 (from the dateline)"), "{text}");
    // d compares the wire original (the earliest) with the latest: the update adds.
    keys(&mut app, "d");
    let d = app.diff().expect("a diff");
    assert_eq!(d.a, 0);
    assert!(d.cmp.stats.added > 0, "{:?}", d.cmp.stats);
}

#[test]
fn an_unknown_order_is_said_and_d_compares_with_the_base_version() {
    let base = art(
        "v1",
        Some("2015-12-15"),
        "Flood closes bridge",
        &["The river rose two metres overnight. The old bridge was closed."],
    );
    let dated = art(
        "v2",
        Some("2015-12-16"),
        "Flood closes bridge",
        &["The river rose three metres overnight. The old bridge was closed."],
    );
    // No date and no day in its dateline: its place in time is unknown.
    let mut undated = art(
        "v3",
        None,
        "",
        &["The river rose three metres overnight. The old bridge was closed. Schools shut."],
    );
    undated.dateline = Some("RIVERTON".into());
    let mut app = one_story_app(
        &Config::default(),
        "s-flood",
        "Flood closes bridge",
        vec![base, dated, undated],
        120,
        40,
    );
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("order unknown: d compares with v1"), "{text}");
    // On the undated version, d compares the base version with it, and says why.
    keys(&mut app, "tab j j");
    assert_eq!(app.version.selected, 2);
    keys(&mut app, "d");
    let d = app.diff().expect("a diff");
    assert_eq!((d.a, d.b), (0, 2));
    let status = &app.status.as_ref().unwrap().text;
    assert!(status.contains("order unknown"), "{status}");
    // On version 2 the pair is (1, 2) of the base and it, not (2, 3) by a guessed order.
    keys(&mut app, "esc k");
    keys(&mut app, "d");
    assert_eq!(
        (app.diff().unwrap().a, app.diff().unwrap().b),
        (0, 1),
        "the base version and the shown one"
    );
}

// ----- 2. a story opens on its earliest dated version -----

#[test]
fn a_story_opens_on_its_earliest_dated_version() {
    let mut app = app(3, 120, 40);
    assert_eq!(selected_title(&app), "Russia cuts gas supply to region");
    assert_eq!(app.version.selected, 0);
    let text = screen_text(&render(&app, 120, 40));
    assert!(
        text.contains("Russia to cut gas supply over unpaid bills"),
        "{text}"
    );
    assert!(text.contains("version 1 of 3"), "{text}");
    // Moving to another story and back opens it on its first version again.
    keys(&mut app, "tab j j shift-tab j k");
    assert_eq!(app.version.selected, 0);
}

// ----- 3. the story's headline where a version has none -----

#[test]
fn an_untitled_version_shows_the_story_headline_marked_everywhere() {
    let a = art(
        "t1",
        Some("2015-12-15"),
        "Kerry arrives in Moscow",
        &["Kerry will seek to prepare the ground for talks in Moscow."],
    );
    let b = art(
        "t2",
        Some("2015-12-16"),
        "",
        &["Kerry is seeking to prepare the ground for talks in Moscow."],
    );
    let mut app = one_story_app(
        &Config::default(),
        "s-k",
        "Kerry arrives in Moscow",
        vec![a, b],
        120,
        40,
    );
    keys(&mut app, "tab j");
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("story: Kerry"), "the versions pane:\n{text}");
    assert!(
        text.contains("Kerry arrives in Moscow (the story's headline)"),
        "the reading pane:\n{text}"
    );
    assert!(!text.contains("(untitled)"), "{text}");
    // The diff's header names each version's headline.
    keys(&mut app, "d");
    let text = screen_text(&render(&app, 120, 40));
    let header = text.lines().next().unwrap();
    // Parts are shortened (v1, the day) for the headline to show; B's is the story's, marked.
    assert!(
        header.contains("A: v1 · Wire · 2015-12-15 · Kerry arrives in Moscow"),
        "{header}"
    );
    assert!(
        header.contains("B: v2 · Wire · 2015-12-16 · Kerry arrives in Moscow (t"),
        "{header}"
    );
}

// ----- 4. an annotated change keeps its colours -----

/// The kerry story (two versions with changed words), diff open at 120×40.
fn kerry_diff() -> App {
    let a = art(
        "k-1",
        Some("2015-12-15"),
        "Kerry in Moscow",
        &[
            "Kerry will seek to prepare the ground for talks in Moscow. The talks were planned for months.",
        ],
    );
    let b = art(
        "k-2",
        Some("2015-12-16"),
        "Kerry in Moscow",
        &[
            "Kerry is seeking to prepare the ground for talks in Moscow. The talks were planned for months.",
        ],
    );
    let mut app = one_story_app(
        &Config::default(),
        "s-k",
        "Kerry in Moscow",
        vec![a, b],
        120,
        40,
    );
    keys(&mut app, "d");
    app
}

/// Where `word` stands on screen at or right of column `from`: (x, y) of its first cell.
fn find_on_screen(buf: &ratatui::buffer::Buffer, word: &str, from: u16) -> Option<(u16, u16)> {
    let n = u16::try_from(word.chars().count()).unwrap();
    for y in 0..buf.area.height {
        for x in from..buf.area.width.saturating_sub(n) {
            let here: String = (0..n).map(|k| buf[(x + k, y)].symbol()).collect();
            if here == word {
                return Some((x, y));
            }
        }
    }
    None
}

#[test]
fn an_annotated_changed_word_keeps_its_change_colour_and_takes_the_label_underline() {
    let mut app = kerry_diff();
    let d = app.diff().unwrap();
    let op = d
        .items
        .iter()
        .position(|i| matches!(i, DiffItem::Op(o) if d.cmp.ops[*o].a.as_deref().is_some_and(|t| t.contains("will seek"))))
        .expect("the reworded sentence");
    while app.diff().unwrap().cursor != op {
        let before = app.diff().unwrap().cursor;
        keys(&mut app, if before > op { "k" } else { "j" });
    }
    // On B (the new side): v starts on "Kerry", w w goes to "seeking", * takes that word.
    keys(&mut app, "v w w *");
    keys(&mut app, "a 1 ctrl-s");
    let ann = app.ann.set.iter().next().expect("an annotation");
    assert_eq!(ann.targets[0].quote.exact, "seeking");
    let buf = render(&app, 120, 40);
    let half = 60;
    let (x, y) = find_on_screen(&buf, "seeking", half).expect("seeking on side B");
    for k in 0..7 {
        let c = &buf[(x + k, y)];
        assert_eq!(c.fg, Color::LightGreen, "still an insertion's green at {k}");
        assert!(c.modifier.contains(Modifier::UNDERLINED));
        assert_eq!(
            c.underline_color,
            Color::Blue,
            "the label's colour underlines it"
        );
    }
    // The changed word beside it, not annotated, keeps its green and no label colour.
    let (x, y) = find_on_screen(&buf, "is", half).expect("is on side B");
    assert_eq!(buf[(x, y)].fg, Color::LightGreen);
    assert_ne!(buf[(x, y)].underline_color, Color::Blue);
    // An annotated unchanged word takes the label's colour as before.
    keys(&mut app, "v w w w w *");
    keys(&mut app, "a 2 ctrl-s");
    let buf = render(&app, 120, 40);
    let (x, y) = find_on_screen(&buf, "prepare", half).expect("prepare on side B");
    assert_eq!(buf[(x, y)].fg, Color::Cyan, "{:?}", buf[(x, y)]);
    // The gutter marks the annotated row with the label's key.
    let line: String = (0..3).map(|x| buf[(x, y)].symbol().to_string()).collect();
    assert!(
        line.contains('▶') || line.contains('1') || line.contains('2'),
        "{line}"
    );
}

// ----- 5. re-attaching an orphan by hand -----

#[test]
fn an_orphan_is_reattached_by_hand_and_keeps_its_id() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "enter");
    keys(&mut app, "a 1 ctrl-s");
    let ann = app.ann.set.iter().next().unwrap().clone();
    // Its text is gone from the corpus: it is an orphan.
    let article = app
        .lib
        .corpus
        .articles
        .iter()
        .position(|a| a.id == ann.targets[0].article)
        .unwrap();
    let mut lib = app.lib.clone();
    let corpus = std::sync::Arc::make_mut(&mut lib.corpus);
    corpus.articles[article].paragraphs =
        vec!["Entirely new text about something else. Nothing of the old one.".into()];
    corpus.articles[article].id = "gone".into();
    corpus.articles[article].key.hash = "other".into();
    let set = app.ann.set.clone();
    let mut app = App::with_library(&Config::default(), lib, 120, 40);
    app.ann.set = set;
    keys(&mut app, "O");
    let Some(View::AnnList(list)) = app.top() else {
        panic!("the orphans: {:?}", app.top())
    };
    assert_eq!(list.shown.len(), 1);
    // a: the list closes, the reading pane waits for the new span.
    keys(&mut app, "a");
    assert!(app.top().is_none());
    assert_eq!(app.focus, Pane::Reader);
    assert!(app.ann.reattach.is_some());
    assert!(
        app.status.as_ref().unwrap().text.contains("Re-attaching"),
        "{:?}",
        app.status
    );
    // The reading pane says so for as long as it lasts, whatever the status line says later.
    keys(&mut app, "j");
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("re-attaching: select its span, a"), "{text}");
    // Choose another story's words: the orphan goes there, with its id, label and a new
    // revision (the store keeps the one before).
    keys(&mut app, "tab tab j");
    keys(&mut app, "enter v e e");
    let effects = keys(&mut app, "a");
    assert!(app.ann.reattach.is_none());
    assert!(app.top().is_none(), "no label picker: {:?}", app.top());
    let moved = app.ann.set.get(&ann.id).expect("the same id");
    assert_eq!(moved.label, ann.label);
    assert_eq!(moved.revision, ann.revision + 1);
    assert_ne!(moved.targets[0].article, ann.targets[0].article);
    assert_eq!(moved.targets[0].quote.exact.split(' ').count(), 2);
    assert_eq!(app.ann.set.iter().count(), 1, "moved, not copied");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, stet::app::Effect::AppendAnnotation(_))),
        "stored"
    );
    keys(&mut app, "O");
    assert!(app.top().is_none(), "no orphan left");
    // u undoes the move.
    keys(&mut app, "u");
    let back = app.ann.set.get(&ann.id).unwrap();
    assert_eq!(back.targets[0].article, ann.targets[0].article);
    // Esc cancels a re-attach before it is done.
    keys(&mut app, "O a esc");
    assert!(app.ann.reattach.is_none());
    assert!(app.status.as_ref().unwrap().text.contains("cancelled"));
}

// ----- 6. layout -----

#[test]
fn at_120_columns_the_list_grows_for_its_titles_and_names_the_corpus() {
    let mut app = app(3, 120, 40);
    let l = app.screen();
    // The list asks for its widest title whole (62 columns here), more than the 54 it had.
    assert_eq!(
        l.list.unwrap().width,
        62,
        "the list takes what its titles need"
    );
    assert_eq!(l.reader.unwrap().width, 58);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("Russia cuts gas supply to region"), "{text}");
    // A wide screen: the list takes the room the reading column's cap leaves.
    app.handle(stet::app::Msg::Resize(200, 40));
    assert!(app.screen().list.unwrap().width > 72);
    assert!(app.reader_text_width() >= 100);
}

#[test]
fn the_date_column_goes_when_no_story_is_dated() {
    let a = art("u1", None, "Undated one", &["Some text here."]);
    let mut b = art("u2", None, "Undated two", &["Other text here."]);
    b.source = "Other".into();
    let stories = vec![
        Story {
            id: "s1".into(),
            title: "Undated one".into(),
            versions: vec![StoryVersion {
                article: 0,
                similarity: 1.0,
            }],
            sources: vec!["Wire".into()],
            first_date: None,
            last_date: None,
            related: Vec::new(),
        },
        Story {
            id: "s2".into(),
            title: "Undated two".into(),
            versions: vec![StoryVersion {
                article: 1,
                similarity: 1.0,
            }],
            sources: vec!["Other".into()],
            first_date: None,
            last_date: None,
            related: Vec::new(),
        },
    ];
    let corpus = stet::corpus::Corpus {
        name: "bbc".into(),
        articles: vec![a, b],
        problems: vec![],
    };
    let app = App::with_library(&Config::default(), Library::new(corpus, stories), 120, 40);
    let text = screen_text(&render(&app, 120, 40));
    let rows: Vec<&str> = text.lines().skip(1).take(2).collect();
    assert!(
        rows.iter().all(|r| !r.contains("undated")),
        "no date column:\n{text}"
    );
    assert!(rows[0].contains("●  1 Wire  Undated one"), "{text}");
    assert!(text.contains("bbc · 2 stories"), "{text}");
}

#[test]
fn the_change_map_is_framed_and_labelled_and_the_80x24_header_fits() {
    let a = art(
        "h1",
        Some("2015-12-15"),
        "Gas talks",
        &["Russia will cut gas supplies. Talks go on."],
    );
    let mut b = art(
        "h2",
        Some("2015-12-16"),
        "Gas talks",
        &["Russia is cutting gas supplies. Talks go on. A third sentence."],
    );
    b.source = "Northern Lakes Broadcasting Corporation".into();
    b.date = Some("2015-12-16T08:30:00+02:00".into());
    let mut app = one_story_app(&Config::default(), "s-h", "Gas talks", vec![a, b], 80, 24);
    keys(&mut app, "d");
    let buf = render(&app, 80, 24);
    let text = screen_text(&buf);
    let header = text.lines().next().unwrap();
    // Both sides' positions whole: parts were shortened, not the version numbers cut.
    assert!(
        header.contains("A: v1") || header.contains("A: version 1"),
        "{header}"
    );
    assert!(
        header.contains("B: v2") || header.contains("B: version 2"),
        "{header}"
    );
    assert!(
        header.contains("2015-12-15") && header.contains("2015-12-16"),
        "{header}"
    );
    // The stats row ends with the position and the map's label.
    let stats = text.lines().nth(1).unwrap();
    assert!(stats.trim_end().ends_with("map"), "{stats}");
    assert!(stats.contains("all"), "{stats}");
    // The map's column is framed by a rule on its left on every body row.
    for y in 2..23 {
        assert_eq!(buf[(78, y)].symbol(), "▕", "row {y}:\n{text}");
    }
}

// ----- 7. e/ge on whole words -----

#[test]
fn ve_selects_one_word_in_the_reading_pane_and_the_diff_view() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "enter");
    keys(&mut app, "v e");
    let sel = app.selection().expect("selecting");
    assert_eq!(sel.words().len(), 1, "ve: the one word");
    keys(&mut app, "e");
    assert_eq!(app.selection().unwrap().words().len(), 2);
    keys(&mut app, "g e");
    assert_eq!(app.selection().unwrap().words().len(), 1);
    keys(&mut app, "esc v w e");
    assert_eq!(
        app.selection().unwrap().words().len(),
        2,
        "w then e: the same word as w"
    );
    // The diff view moves the same way.
    let mut app = kerry_diff();
    keys(&mut app, "v e");
    let d = app.diff().unwrap();
    assert_eq!(d.selection.as_ref().unwrap().sel.words().len(), 1);
    keys(&mut app, "e");
    let d = app.diff().unwrap();
    assert_eq!(d.selection.as_ref().unwrap().sel.words().len(), 2);
}
