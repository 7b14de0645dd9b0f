//! The diff view: key scripts of its state machine and snapshots at 80 and 120 columns, in
//! colour and without.

use crate::tui_support;

use stet::app::diff::{DiffItem, RowKind, SegKind};
use stet::app::{App, Msg};
use stet::config::Config;
use stet::corpus::Article;
use tui_support::*;

/// A two-version story with every kind of change: reworded, punctuation-only, removed, added
/// and moved sentences.
fn kerry(config: &Config, w: u16, h: u16) -> App {
    let art = |id: &str, date: &str, paras: &[&str]| Article {
        id: id.into(),
        path: format!("test/{id}.txt").into(),
        source: "Wire".into(),
        title: "Kerry in Moscow".into(),
        date: Some(date.into()),
        // Dated as loading dates them (a date without a timestamp has no known order).
        timestamp: Some(if date.ends_with("15") {
            1_450_137_600
        } else {
            1_450_224_000
        }),
        more: stet::corpus::ArticleMore {
            paragraphs: paras.iter().map(|p| p.to_string()).collect(),
            ..stet::corpus::ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    };
    let a = art(
        "k-1",
        "2015-12-15",
        &[
            "Kerry will seek to prepare the ground for talks in Moscow. The talks were planned for months.",
            "Toner said the talks would be \"hard\". Officials declined to comment on the agenda.",
            "Russia is one of Assad's staunchest allies and has backed him throughout the war.",
        ],
    );
    let b = art(
        "k-2",
        "2015-12-16",
        &[
            "Russia, one of al-Assad's staunchest allies, has backed him throughout the war.",
            "Kerry is seeking to prepare the ground for talks in Moscow. The talks were planned for months.",
            "Toner said the talks as expected would be “hard”. Lavrov said he saw nothing new in the proposals.",
        ],
    );
    one_story_app(config, "s-k", "Kerry in Moscow", vec![a, b], w, h)
}

/// The gas story (three versions) selected, diff opened with `d`.
fn gas_diff(w: u16, h: u16) -> App {
    let mut app = app(0, w, h);
    assert_eq!(selected_title(&app), "Russia cuts gas supply to region");
    keys(&mut app, "d");
    app
}

fn row_text(app: &App, row: usize) -> String {
    let d = app.diff().unwrap();
    let r = &d.rows[row];
    let left: String = r.left.iter().map(|s| s.text.as_str()).collect();
    let right: String = r.right.iter().map(|s| s.text.as_str()).collect();
    format!("{left} | {right}")
}

#[test]
fn d_opens_earliest_against_latest_and_esc_closes() {
    let mut app = gas_diff(120, 40);
    let d = app.diff().expect("diff open");
    assert_eq!((d.a, d.b), (0, 2));
    assert!(!d.unified, "side by side when wide");
    let s = &d.cmp.stats;
    assert_eq!(s.added, 2, "GAS3 and the BBC sentence are new: {s:?}");
    assert!(s.moved >= 1, "the two paragraphs swapped: {s:?}");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("version 1 with version 3"),
        "{:?}",
        app.status
    );
    keys(&mut app, "esc");
    assert!(app.diff().is_none());
}

#[test]
fn narrow_terminals_open_unified_and_u_toggles() {
    let mut app = gas_diff(80, 24);
    assert!(app.diff().unwrap().unified);
    keys(&mut app, "u");
    assert!(!app.diff().unwrap().unified);
    assert!(app.diff().unwrap().rows.iter().any(|r| !r.right.is_empty()));
    keys(&mut app, "u");
    assert!(app.diff().unwrap().rows.iter().all(|r| r.right.is_empty()));
}

#[test]
fn change_keys_step_through_changes_and_enter_jumps_to_the_partner() {
    let mut app = gas_diff(120, 40);
    keys(&mut app, "g g");
    let n = app.diff().unwrap().change_count();
    assert!(n >= 3);
    let mut seen = Vec::new();
    for _ in 0..n {
        keys(&mut app, "] c");
        let d = app.diff().unwrap();
        assert!(d.is_change(d.cursor), "stops on changes only");
        seen.push(d.cursor);
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "forward: {seen:?}");
    keys(&mut app, "] c");
    assert_eq!(app.status.as_ref().unwrap().text, "No change below");
    keys(&mut app, "[ c");
    assert_eq!(
        app.diff().unwrap().cursor,
        seen[n - 2],
        "{seen:?} {:?}",
        app.diff().unwrap().items
    );
    keys(&mut app, "N");
    assert_eq!(app.diff().unwrap().cursor, seen[n - 3]);
    keys(&mut app, "n n");
    assert_eq!(app.diff().unwrap().cursor, seen[n - 1]);

    // A moved sentence: Enter goes to where it stood and back.
    let d = app.diff().unwrap();
    let moved = d
        .items
        .iter()
        .position(|i| matches!(i, DiffItem::Op(o) if d.cmp.ops[*o].moved))
        .expect("a moved op");
    let ghost = d.partner(moved).expect("its old place");
    assert!(matches!(d.items[ghost], DiffItem::Ghost(_)));
    while app.diff().unwrap().cursor != moved {
        let before = app.diff().unwrap().cursor;
        keys(&mut app, if before > moved { "k" } else { "j" });
    }
    keys(&mut app, "enter");
    assert_eq!(app.diff().unwrap().cursor, ghost);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Moved sentence: line")
    );
    keys(&mut app, "enter");
    assert_eq!(app.diff().unwrap().cursor, moved);
    // The note rows name the partner's line.
    let d = app.diff().unwrap();
    let ghost_line = d.item_row[ghost] + 1;
    let note = row_text(&app, d.item_row[moved]);
    assert!(
        note.contains(&format!("moved here from line {ghost_line}")),
        "{note}"
    );
}

#[test]
fn x_swaps_sides_and_marked_versions_choose_the_pair() {
    let mut app = gas_diff(120, 40);
    keys(&mut app, "x");
    let d = app.diff().unwrap();
    assert_eq!((d.a, d.b), (2, 0));
    assert_eq!(
        d.cmp.stats.removed, 2,
        "B's additions are removals the other way"
    );
    keys(&mut app, "esc");
    // Mark versions 2 and 3 in the versions pane (the story opened on version 1).
    keys(&mut app, "tab j <sp> j <sp>");
    assert_eq!(app.version_marks, vec![1, 2]);
    keys(&mut app, "d");
    let d = app.diff().unwrap();
    assert_eq!((d.a, d.b), (1, 2));
    assert_eq!(d.cmp.stats.added, 1, "only the BBC sentence is new");
    // Unmarking goes back to the default pair.
    keys(&mut app, "esc <sp>");
    assert_eq!(app.version_marks, vec![1]);
}

#[test]
fn one_version_stories_say_so() {
    let mut app = app(3, 120, 40);
    keys(&mut app, "G d");
    assert!(app.diff().is_none());
    assert!(app.status.as_ref().unwrap().text.contains("one version"));
}

#[test]
fn w_shows_minor_changes_and_paging_scrolls_both_sides() {
    let mut app = gas_diff(80, 12);
    let d = app.diff().unwrap();
    assert!(!d.show_minor);
    let rows = d.rows.len();
    assert!(rows > app.diff_height(), "needs scrolling at 12 rows");
    keys(&mut app, "w");
    assert!(app.diff().unwrap().show_minor);
    keys(&mut app, "space");
    let d = app.diff().unwrap();
    assert!(d.scroll > 0);
    let rows = d.item_rows(d.cursor);
    assert!(
        rows.start < d.scroll + app.diff_height(),
        "cursor kept on screen"
    );
    keys(&mut app, "G");
    let d = app.diff().unwrap();
    assert_eq!(d.cursor, d.items.len() - 1);
    assert_eq!(d.scroll, d.rows.len() - app.diff_height());
    // Resizing lays the rows out again.
    app.handle(Msg::Resize(120, 40));
    let d = app.diff().unwrap();
    assert!(d.rows.len() < rows.end + 100);
    assert!(
        d.rows
            .iter()
            .all(|r| r.kind != RowKind::Blank || r.left.is_empty())
    );
}

#[test]
fn escapes_in_article_text_never_reach_the_screen() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "j");
    assert!(selected_title(&app).contains("Markets"));
    keys(&mut app, "d");
    let text = screen_text(&render(&app, 120, 40));
    assert!(!text.contains('\u{1b}'));
    assert!(!text.contains('\u{7}'));
    assert!(text.contains("positions"), "{text}");
}

#[test]
fn changed_words_are_marked_on_each_side() {
    let mut app = kerry(&Config::default(), 120, 40);
    keys(&mut app, "d");
    let d = app.diff().unwrap();
    let s = &d.cmp.stats;
    assert_eq!((s.changed, s.added, s.removed), (3, 1, 1), "{s:?}");
    assert_eq!(s.moved, 1);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("Kerry will seek"), "{text}");
    assert!(text.contains("Kerry is seeking"));
    let row = d.item_row[d.items.iter().position(|i| *i == DiffItem::Op(1)).unwrap()];
    let kinds = |side: &Vec<stet::app::diff::DiffSeg>| {
        side.iter()
            .map(|s| (s.text.clone(), s.kind))
            .collect::<Vec<_>>()
    };
    assert!(kinds(&d.rows[row].left).contains(&("will seek".into(), SegKind::Delete)));
    assert!(kinds(&d.rows[row].right).contains(&("is seeking".into(), SegKind::Insert)));
    // Quote-style changes are hidden until w.
    let minor = |app: &App| {
        app.diff().unwrap().rows.iter().any(|r| {
            r.left
                .iter()
                .chain(&r.right)
                .any(|s| s.kind == SegKind::Minor)
        })
    };
    assert!(!minor(&app));
    keys(&mut app, "w");
    assert!(minor(&app));
    keys(&mut app, "w");
    assert!(!minor(&app));
}

#[test]
fn mono_marks_changed_words_with_brackets() {
    let mut app = kerry(&mono_config(), 80, 24);
    keys(&mut app, "d");
    let text = screen_text(&render(&app, 80, 24));
    assert!(
        text.contains("[-will seek-]") || text.contains("[-will-]"),
        "{text}"
    );
    assert!(
        text.contains("{+is seeking+}") || text.contains("{+is+}"),
        "{text}"
    );
}

#[test]
fn snapshots_colour_and_mono() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        for mono in [false, true] {
            let config = if mono {
                mono_config()
            } else {
                Config::default()
            };
            let mut app = kerry(&config, w, h);
            keys(&mut app, "d");
            let buf = render(&app, w, h);
            let text = screen_text(&buf);
            assert!(text.contains("A: version 1"), "{text}");
            // Under 100 columns the stats are written short before the position is cut.
            let stats = if w < 100 {
                "=1 ~3 ↕1 +1 −1 · 73% similar"
            } else {
                "3 changed · 1 moved · 1 added · 1 removed"
            };
            assert!(text.contains(stats), "{text}");
            assert!(text.lines().nth(1).unwrap().trim_end().ends_with("map"));
            assert!(text.contains("↕ moved"), "{text}");
            assert!(text.contains("Lavrov"));
            let name = format!("diff_{}_{w}x{h}", if mono { "mono" } else { "colour" });
            insta::assert_snapshot!(name.clone(), text);
            insta::assert_snapshot!(format!("{name}_styles"), screen_styles(&buf));
        }
    }
    // The gas story, side by side at 120 columns.
    let mut app = gas_diff(120, 40);
    app.handle(Msg::Resize(120, 40));
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("BBC correspondent"));
    insta::assert_snapshot!("diff_gas_120x40", text);
}

#[test]
fn long_versions_are_compared_on_a_worker_and_the_view_opens_when_ready() {
    let para = |v: usize, p: usize| {
        format!(
            "Paragraph {p} reports that the council met and voted {} to {} on the harbour plan, \
             which officials said would cost {} million crowns over {} years.",
            p + 3,
            (p + v) % 5,
            p * 7,
            p % 9 + 1
        )
    };
    let art = |id: &str, v: usize| Article {
        id: id.into(),
        path: format!("long/{id}.txt").into(),
        source: "Wire".into(),
        title: "Long".into(),
        more: stet::corpus::ArticleMore {
            paragraphs: (0..900).map(|p| para(v, p)).collect(),
            ..stet::corpus::ArticleMore::default()
        }
        .boxed(),
        ..Article::default()
    };
    let mut app = one_story_app(
        &Config::default(),
        "long",
        "Long",
        vec![art("l-1", 0), art("l-2", 1)],
        120,
        40,
    );
    let job = compare_job(keys_async(&mut app, "d"));
    assert!(app.diff().is_none(), "not open yet");
    assert!(app.status.as_ref().unwrap().text.contains("Comparing"));
    // The job's progress shows in the status bar while the reader waits for it.
    use stet::compare::Step;
    app.handle(Msg::JobProgress(stet::app::JobProgress::Compare(
        job.key,
        Step::Words {
            done: 300,
            total: 1000,
        },
    )));
    let bar = |app: &App| {
        let text = screen_text(&render(app, 120, 40));
        text.lines().last().unwrap_or_default().to_string()
    };
    assert!(bar(&app).contains("comparing: words 30%"), "{}", bar(&app));
    // Another diff's progress (a job no longer waited for) is not shown.
    app.handle(Msg::JobProgress(stet::app::JobProgress::Compare(
        (5, 0, 1),
        Step::Aligning,
    )));
    assert!(!bar(&app).contains("comparing"), "{}", bar(&app));
    // Keys keep working meanwhile; Esc gives up waiting and cancels the job (it stops at its
    // next step; a result that was already on its way is still kept in the cache).
    let fx = keys_async(&mut app, "j k esc");
    assert_eq!(
        fx,
        vec![stet::app::Effect::Cancel(stet::app::JobKind::Compare)]
    );
    assert!(app.waiting.compare.is_none());
    assert!(!bar(&app).contains("comparing"), "{}", bar(&app));
    app.handle(Msg::Compared(job.key, Box::new(job.run())));
    assert!(app.diff().is_none(), "not opened after Esc");
    assert!(
        keys_async(&mut app, "d").is_empty(),
        "cached: no second run"
    );
    let d = app.diff().expect("open when ready");
    assert_eq!((d.a, d.b), (0, 1));
    assert!(d.cmp.stats.changed > 100, "{:?}", d.cmp.stats);
    // Swapping sides compares again on the worker; the first pair stays cached.
    assert!(app.diff_cache.contains((0, 0, 1)));
    keys(&mut app, "x");
    let d = app.diff().unwrap();
    assert_eq!((d.a, d.b), (1, 0));
}

#[test]
fn help_says_what_h_and_l_do_in_the_diff_view() {
    use stet::app::HelpLine;
    let app = app(0, 120, 40);
    let lines = app.help_lines();
    let diff = lines
        .iter()
        .position(|l| matches!(l, HelpLine::Heading(h) if h.to_lowercase().contains("diff")))
        .expect("a diff section");
    let section: Vec<&HelpLine> = lines[diff + 1..]
        .iter()
        .take_while(|l| !matches!(l, HelpLine::Blank))
        .collect();
    let says = |name: &str| {
        section.iter().find_map(|l| match l {
            HelpLine::Binding {
                name: n,
                description,
                ..
            } if *n == name => Some(description.to_string()),
            _ => None,
        })
    };
    assert_eq!(
        says("focus_left").as_deref(),
        Some("Side A (the old version): v selects there")
    );
    assert_eq!(
        says("focus_right").as_deref(),
        Some("Side B (the new version): v selects there")
    );
    // Elsewhere they still move between panes.
    assert!(
        lines.iter().any(|l| matches!(l,
        HelpLine::Binding { name: "focus_left", description, .. } if description.contains("Pane")))
    );
}
