//! The collation view: key scripts of `update` and TestBackend snapshots at 80×24 and 120×40,
//! on the sample corpus's four-version ferry story (built by hand from the sample's ground
//! truth, whatever the grouping makes of it) and on the test corpus's three-version story.

use crate::tui_support;

use stet::app::{App, Library, Msg, View};
use stet::compare::collate::CellState;
use stet::config::Config;
use stet::corpus::{Story, StoryVersion};
use tui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The sample corpus as one story: the four versions of the ferry report.
fn ferry_app(w: u16, h: u16, config: &Config) -> App {
    let corpus = stet::corpus::sample::load_sample(&Default::default());
    let find = |k: &str| {
        corpus
            .find(k)
            .or_else(|| {
                corpus
                    .articles
                    .iter()
                    .position(|a| a.id.contains(k) || a.path.contains(k))
            })
            .unwrap_or_else(|| panic!("{k} in the sample"))
    };
    let articles = [
        find("news-please-2026-03.jsonl:2"),
        find("lakeshore-news/"),
        find("valmere-courier/2026-03-04"),
        find("norda-wire/0303"),
    ];
    let story = Story {
        id: "ferry".into(),
        title: "Ferry toll rises to 14".into(),
        versions: articles
            .iter()
            .map(|&a| StoryVersion {
                article: a,
                similarity: 1.0,
            })
            .collect(),
        sources: articles
            .iter()
            .map(|&a| corpus.articles[a].source.clone())
            .collect(),
        first_date: None,
        last_date: None,
        related: Vec::new(),
    };
    App::with_library(config, Library::new(corpus, vec![story]), w, h)
}

fn view(app: &App) -> &stet::app::collate::CollateView {
    match app.top() {
        Some(View::Collate(v)) => v,
        other => panic!("not in the collation view: {other:?}"),
    }
}

fn snap(name: &str, app: &mut App, w: u16, h: u16) -> String {
    app.handle(Msg::Resize(w, h));
    let text = screen_text(&render(app, w, h));
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    text
}

#[test]
fn c_opens_the_matrix_and_the_selected_reading_in_every_version() {
    for (w, h) in SIZES {
        let mut app = ferry_app(w, h, &Config::default());
        keys(&mut app, "c");
        let v = view(&app);
        assert_eq!(v.table.width(), 4);
        assert!(v.table.disagreements.is_empty());
        // The wire original, dated from its dateline, is the base version (first); the lead
        // is changed (12 → 14) in the three updates.
        let text = snap("collate_ferry", &mut app, w, h);
        assert!(text.contains("Collation: Ferry toll rises to 14 · 4 versions"));
        assert!(
            text.contains("2 ██ ▒▒ ▒▒ ▒▒  At least 12 people died"),
            "{text}"
        );
        assert!(!text.contains("undated"), "{text}");
        assert!(text.contains("reading 1 of 19"));
        assert!(text.contains("▶ 1 NW 2026-03-03~"), "{text}");
        assert!(text.contains("(absent)"));
        // Down to the Varn quote: added by the update, moved up in print, not in the wire copy
        // (now the first column, so the print is the fourth).
        let varn = view(&app)
            .table
            .readings
            .iter()
            .position(|r| r.base_text().contains("We owe these families"))
            .expect("Varn quote");
        for _ in 0..varn {
            keys(&mut app, "j");
        }
        keys(&mut app, "l l l");
        let v = view(&app);
        assert_eq!(v.row.selected, varn);
        assert_eq!(v.column, 3);
        assert!(v.table.readings[varn].cells[3].moved);
        let text = snap("collate_ferry_varn", &mut app, w, h);
        assert!(text.contains("·· ██ ██ █»"), "{text}");
        assert!(text.contains("▶ 4 VC"), "{text}");
    }
}

#[test]
fn enter_opens_the_pairwise_diff_against_the_base_and_esc_closes_it() {
    for (w, h) in SIZES {
        let mut app = ferry_app(w, h, &Config::default());
        keys(&mut app, "c l l l enter");
        let v = view(&app);
        let d = v.diff.as_ref().expect("diff open");
        assert_eq!(d.column, 3);
        // From the wire original (the base) to the print: what the updates added is added.
        assert!(d.comparison.stats.added > 0);
        let text = snap("collate_ferry_diff", &mut app, w, h);
        assert!(text.contains("diff: version 1 → version 4"));
        // The lead's figure goes from the wire's 12 to the print's 14 (old, then new).
        assert!(text.contains("~ At least 12 14 people died"), "{text}");
        // Moving to another version follows it with the diff.
        keys(&mut app, "h");
        assert_eq!(view(&app).diff.as_ref().map(|d| d.column), Some(2));
        keys(&mut app, "esc");
        assert!(view(&app).diff.is_none());
        keys(&mut app, "esc");
        assert!(app.on_base());
    }
}

#[test]
fn readable_without_colour() {
    let mut app = ferry_app(80, 24, &mono_config());
    keys(&mut app, "c j");
    let buf = render(&app, 80, 24);
    let text = screen_text(&buf);
    // Distinct glyphs carry the states.
    assert!(text.contains("██"));
    assert!(text.contains("▒▒"));
    assert!(text.contains("··"));
    let styles = screen_styles(&buf);
    assert!(!styles.contains("fg=green"), "no colour in mono: {styles}");
    // The selected cell is reversed, and inserted words are bold/underlined.
    assert!(styles.contains("REVERSED"));
}

#[test]
fn keys_move_within_bounds_and_c_closes() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "c");
    let n = view(&app).table.readings.len();
    let cols = view(&app).table.width();
    assert_eq!(cols, 3, "the gas story has three versions");
    keys(&mut app, "G l l l l l");
    let v = view(&app);
    assert_eq!(v.row.selected, n - 1);
    assert_eq!(v.column, cols - 1);
    keys(&mut app, "g g h h h h");
    let v = view(&app);
    assert_eq!((v.row.selected, v.column), (0, 0));
    // The BBC version moved the second paragraph up: a moved cell.
    assert!(
        v.table
            .readings
            .iter()
            .any(|r| r.cells[2].moved && r.cells[2].state == CellState::Same)
    );
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("Collation"));
    assert!(text.contains("move"), "hints: {text}");
    keys(&mut app, "c");
    assert!(app.on_base());
    // Help lists the collation's keys.
    keys(&mut app, "?");
    let help = screen_text(&render(&app, 120, 40));
    assert!(help.contains("Collation: every version of the story in one table"));
}

#[test]
fn a_tiny_terminal_does_not_panic() {
    for (w, h) in [(1, 1), (10, 5), (20, 8), (30, 10)] {
        let mut app = ferry_app(w, h, &Config::default());
        keys(&mut app, "c j l enter");
        let _ = render(&app, w, h);
    }
}

#[test]
fn thirty_versions_window_the_columns_around_the_selection() {
    use stet::corpus::Article;
    let base: Vec<String> = (0..12)
        .map(|k| {
            format!(
                "Sentence number {k} tells of harbour {k} and the boats that sailed from pier {k} at dawn."
            )
        })
        .collect();
    let articles: Vec<Article> = (0..30)
        .map(|i| {
            let mut paragraphs = base.clone();
            // Each version rewords one sentence and adds its own.
            paragraphs[i % 12] = format!("{} Reworded in version {i}.", paragraphs[i % 12]);
            paragraphs.push(format!(
                "Version {i} adds a closing line about the weather {i}."
            ));
            Article {
                id: format!("v{i:02}").into(),
                path: format!("test/v{i:02}.txt").into(),
                source: format!(
                    "Outlet {}",
                    char::from(b'A' + u8::try_from(i % 26).unwrap())
                )
                .into(),
                title: "Harbour".into(),
                date: Some(format!("2026-03-{:02}", i % 28 + 1).into()),
                timestamp: Some(1_772_323_200 + i64::try_from(i).unwrap() * 86_400),
                more: stet::corpus::ArticleMore {
                    paragraphs,
                    ..stet::corpus::ArticleMore::default()
                }
                .boxed(),
                ..Article::default()
            }
        })
        .collect();
    let mut app = one_story_app(&Config::default(), "harbour", "Harbour", articles, 80, 24);
    keys(&mut app, "c");
    assert_eq!(view(&app).table.width(), 30);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("30 versions"));
    for _ in 0..29 {
        keys(&mut app, "l");
    }
    assert_eq!(view(&app).column, 29);
    let text = screen_text(&render(&app, 80, 24));
    // The window of columns moved with the selection: the last column's day is shown.
    assert!(text.contains("▶30 OD 2026-03-30"), "{text}");
    assert!(text.contains(" 29 30"), "{text}");
    // Every version's closing line is one reading: the last version's variant shows the base's
    // words it replaced (struck through) before its own.
    keys(&mut app, "G");
    let text = screen_text(&render(&app, 80, 24));
    assert!(
        text.contains("▶30 OD 2026-03-30 Version 0 29 adds a closing line about the weather 0 29."),
        "{text}"
    );
}

#[test]
fn a_annotates_the_selected_reading_in_the_version_and_the_base_then_returns_to_the_view() {
    let mut app = ferry_app(120, 40, &Config::default());
    keys(&mut app, "c");
    // A reading carried by the base and by version 2, changed there.
    let (row, text) = {
        let v = view(&app);
        let row = v
            .table
            .readings
            .iter()
            .position(|r| {
                r.cells[0].state != CellState::Absent && r.cells[1].state == CellState::Changed
            })
            .expect("a changed reading in version 2");
        (row, v.table.readings[row].cells[1].text.clone())
    };
    keys(&mut app, "g g");
    for _ in 0..row {
        keys(&mut app, "j");
    }
    keys(&mut app, "l a");
    assert_eq!(app.top(), Some(&View::LabelPick));
    // The view stays behind the label picker.
    let screen = screen_text(&render(&app, 120, 40));
    assert!(screen.contains("Collation"), "{screen}");
    let effects = keys(&mut app, "1 ctrl-s");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, stet::app::Effect::AppendAnnotation(_)))
    );
    assert!(
        matches!(app.top(), Some(View::Collate(_))),
        "back in the view"
    );
    assert_eq!(view(&app).row.selected, row, "at the same reading");
    let ann = app.ann.set.iter().next().expect("an annotation");
    assert_eq!(ann.targets.len(), 2, "the base and the version");
    let v = view(&app);
    let article = |col: usize| &app.lib.corpus.articles[v.articles[v.table.versions[col].input]];
    assert_eq!(ann.targets[0].article, article(0).id);
    assert_eq!(ann.targets[1].article, article(1).id);
    assert_eq!(ann.targets[1].quote.exact, text);
    // The matrix marks the reading with the label's key when the cursor is elsewhere.
    keys(&mut app, "j");
    let screen = screen_text(&render(&app, 120, 40));
    let line = screen
        .lines()
        .find(|l| l.contains(&format!("{:>4} ", row + 1)) && l.contains('█'))
        .expect("the reading's row");
    assert!(line.contains(&format!("1{:>4} ", row + 1)), "{line}");
    // u undoes it here; a reading a version does not carry cannot be annotated there.
    keys(&mut app, "u");
    assert_eq!(app.ann.set.iter().count(), 0);
    let absent = view(&app)
        .table
        .readings
        .iter()
        .enumerate()
        .find_map(|(r, x)| {
            x.cells
                .iter()
                .position(|c| c.state == CellState::Absent)
                .map(|c| (r, c))
        });
    if let Some((r, c)) = absent {
        keys(&mut app, "g g h h h h");
        for _ in 0..r {
            keys(&mut app, "j");
        }
        for _ in 0..c {
            keys(&mut app, "l");
        }
        keys(&mut app, "a");
        assert!(matches!(app.top(), Some(View::Collate(_))));
        assert!(app.status.as_ref().unwrap().text.contains("does not carry"));
    }
    // Esc in the label picker returns to the view too (reading 2: the base version, the
    // wire original, does not carry reading 1, the correction).
    keys(&mut app, "g g j h h h h a");
    assert_eq!(app.top(), Some(&View::LabelPick));
    keys(&mut app, "esc");
    assert!(matches!(app.top(), Some(View::Collate(_))));
}

#[test]
fn a_big_story_is_collated_on_a_worker_and_opens_when_ready() {
    use stet::corpus::Article;
    // Ten versions of a 40-paragraph report: too big to collate between two keys.
    let para = |v: usize, p: usize| {
        format!(
            "Paragraph {p} of the long report says the council met on day {p} and voted {} to {} \
             on the plan for the harbour, the bridge and the library, version {v}.",
            p + 3,
            p % 5
        )
        .repeat(4)
    };
    let articles: Vec<Article> = (0..10)
        .map(|v| Article {
            id: format!("long-{v}").into(),
            path: format!("long/{v}.txt").into(),
            source: format!("Outlet {v}").into(),
            title: "A long report".into(),
            more: stet::corpus::ArticleMore {
                paragraphs: (0..40).map(|p| para(v % 3, p)).collect(),
                ..stet::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        })
        .collect();
    let mut app = one_story_app(
        &Config::default(),
        "long",
        "A long report",
        articles,
        120,
        40,
    );
    let job = collate_job(keys_async(&mut app, "c"));
    assert!(app.on_base(), "the reader stays usable meanwhile");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Collating 10 versions")
    );
    // c again while it runs does not start a second one.
    assert!(keys_async(&mut app, "c").is_empty());
    // The worker's result opens the view.
    app.handle(Msg::Collated(Box::new(job.clone().run())));
    assert_eq!(view(&app).table.width(), 10);
    assert_eq!(view(&app).story, 0);
    // A result arriving while the help is shown waits for c.
    keys(&mut app, "esc");
    let job = collate_job(keys_async(&mut app, "c"));
    keys(&mut app, "?");
    app.handle(Msg::Collated(Box::new(job.run())));
    assert!(matches!(app.top(), Some(View::Help { .. })));
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Collation ready"),
        "{:?}",
        app.status
    );
    keys(&mut app, "esc");
    assert!(keys_async(&mut app, "c").is_empty(), "no second run");
    assert_eq!(view(&app).table.width(), 10);
}

/// Asking for another story's collation while one is computed cancels the first job (its
/// result would be dropped), and a result that comes anyway does not open.
#[test]
fn collating_another_story_cancels_the_first_job() {
    use stet::app::{Effect, JobKind};
    use stet::corpus::{Article, Corpus};
    let para = |s: usize, p: usize| {
        format!(
            "Paragraph {p} of report {s} says the council met on day {p} and voted on the plan \
             for the harbour, the bridge and the library."
        )
        .repeat(4)
    };
    let articles: Vec<Article> = (0..20)
        .map(|i| Article {
            id: format!("long-{i}").into(),
            path: format!("long/{i}.txt").into(),
            source: format!("Outlet {}", i % 10).into(),
            title: format!("Report {}", i / 10),
            more: stet::corpus::ArticleMore {
                paragraphs: (0..40).map(|p| para(i / 10, p)).collect(),
                ..stet::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        })
        .collect();
    let story = |s: usize| Story {
        id: format!("story-{s}").into(),
        title: format!("Report {s}"),
        versions: (s * 10..s * 10 + 10)
            .map(|article| StoryVersion {
                article,
                similarity: 1.0,
            })
            .collect(),
        sources: (0..10).map(|o| format!("Outlet {o}").into()).collect(),
        first_date: None,
        last_date: None,
        related: Vec::new(),
    };
    let corpus = Corpus {
        name: "two".into(),
        articles,
        problems: vec![],
    };
    let lib = Library::new(corpus, vec![story(0), story(1)]);
    let mut app = App::with_library(&Config::default(), lib, 120, 40);
    let first = collate_job(keys_async(&mut app, "c"));
    keys(&mut app, "j");
    let effects = keys_async(&mut app, "c");
    assert_eq!(
        effects.first(),
        Some(&Effect::Cancel(JobKind::Collate)),
        "{effects:?}"
    );
    let second = collate_job(effects);
    assert_ne!(first.story, second.story);
    app.handle(Msg::Collated(Box::new(first.run())));
    assert!(app.on_base(), "the first story's collation does not open");
    app.handle(Msg::Collated(Box::new(second.clone().run())));
    assert_eq!(view(&app).story, second.story);
}

#[test]
fn c_on_a_one_version_story_says_there_is_nothing_to_collate() {
    let article = stet::corpus::Article {
        id: "solo".into(),
        path: "test/solo.txt".into(),
        source: "Outlet A".into(),
        title: "Solo".into(),
        more: stet::corpus::ArticleMore {
            paragraphs: vec!["Only one version of this report exists.".into()],
            ..stet::corpus::ArticleMore::default()
        }
        .boxed(),
        ..stet::corpus::Article::default()
    };
    let mut app = one_story_app(&Config::default(), "solo", "Solo", vec![article], 80, 24);
    let effects = keys(&mut app, "c");
    assert!(app.on_base(), "no collation opens: {:?}", app.top());
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "This story has one version: nothing to collate"
    );
}

#[test]
fn bracket_steps_versions_at_once_in_the_collation_and_waits_only_in_the_reader() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "c");
    let before = view(&app).column;
    keys(&mut app, "]");
    assert!(
        !app.awaits_key_timeout(),
        "no ] a in the collation: no wait"
    );
    assert_eq!(view(&app).column, before + 1, "stepped at once");
    keys(&mut app, "[");
    assert!(!app.awaits_key_timeout());
    assert_eq!(view(&app).column, before);
    // In the reading pane ] a exists, so ] waits for a possible a.
    keys(&mut app, "esc enter ]");
    assert!(app.awaits_key_timeout());
}
