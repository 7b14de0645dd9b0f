//! Key-script tests of the reader's state machine: feed keys, assert the state.

use crate::tui_support;

use stet::app::{
    Action, Effect, LoadState, MouseInput, MouseKind, Msg, Pane, SavedState, Sort, View,
};
use stet::config::Config;
use stet::corpus::Progress;
use tui_support::*;

#[test]
fn moves_through_the_list_with_vim_keys_and_arrows() {
    let mut app = app(40, 120, 40);
    assert_eq!(app.view.len(), 43);
    // Newest first: the BBC version of the gas story is the latest.
    assert_eq!(selected_title(&app), "Russia cuts gas supply to region");
    keys(&mut app, "j");
    assert_eq!(app.list.selected, 1);
    keys(&mut app, "down down k");
    assert_eq!(app.list.selected, 2);
    keys(&mut app, "G");
    assert_eq!(app.list.selected, 42);
    assert!(app.list.offset > 0, "the window follows the selection");
    keys(&mut app, "g g");
    assert_eq!((app.list.selected, app.list.offset), (0, 0));
    keys(&mut app, "ctrl-d");
    let half = app.list.selected;
    assert!(half >= 10, "half a page of a ~30-row list, got {half}");
    keys(&mut app, "pagedown");
    assert!(app.list.selected > half);
    keys(&mut app, "home");
    assert_eq!(app.list.selected, 0);
}

#[test]
fn a_broken_sequence_falls_back_to_the_last_key() {
    let mut app = app(5, 120, 40);
    keys(&mut app, "g j");
    assert_eq!(app.list.selected, 1);
    assert!(app.pending.is_empty());
}

#[test]
fn enter_opens_the_reader_marks_read_and_esc_returns() {
    let mut app = app(5, 120, 14);
    let s = app.selected_story().unwrap();
    assert!(!app.read[s]);
    keys(&mut app, "enter");
    assert_eq!(app.focus, Pane::Reader);
    assert!(app.read[s]);
    // The story opens on its first version (Reuters), whose text is the gas cut's.
    assert!(
        app.reader
            .lines
            .iter()
            .any(|l| l.text.contains("unpaid bills"))
    );
    keys(&mut app, "j j");
    assert_eq!(app.reader.scroll, 2);
    keys(&mut app, "esc");
    assert_eq!(app.focus, Pane::List);
}

#[test]
fn versions_switch_with_brackets_and_in_their_pane() {
    let mut app = app(0, 120, 40);
    assert_eq!(
        app.version.selected, 0,
        "the earliest dated version is shown first"
    );
    assert!(
        app.reader
            .lines
            .iter()
            .any(|l| l.text.contains("By Jane Doe"))
    );
    keys(&mut app, "]");
    assert_eq!(app.version.selected, 1);
    assert!(
        app.reader
            .lines
            .iter()
            .any(|l| l.text.contains("Supplies halted"))
    );
    assert!(
        app.reader
            .lines
            .iter()
            .any(|l| l.text.contains("2 pieces removed"))
    );
    keys(&mut app, "tab");
    assert_eq!(app.focus, Pane::Versions);
    keys(&mut app, "k");
    assert_eq!(app.version.selected, 0);
    assert!(
        app.reader
            .lines
            .iter()
            .any(|l| l.text.contains("By Jane Doe"))
    );
    keys(&mut app, "]");
    assert_eq!(app.version.selected, 1);
    keys(&mut app, "tab");
    assert_eq!(app.focus, Pane::Reader);
    keys(&mut app, "shift-tab shift-tab");
    assert_eq!(app.focus, Pane::List);
}

#[test]
fn incremental_search_jumps_in_the_list_and_n_moves_on() {
    let mut app = app(30, 120, 40);
    keys(&mut app, "/");
    assert_eq!(app.top(), Some(&View::Search));
    type_text(&mut app, "filler report number 2");
    assert!(selected_title(&app).starts_with("Filler report number 2"));
    // "number 2", "number 20".."29": 11 matches.
    assert_eq!(app.search.list_matches, 11);
    keys(&mut app, "enter");
    assert!(app.on_base());
    let first = selected_title(&app);
    keys(&mut app, "n");
    assert_ne!(selected_title(&app), first);
    assert!(selected_title(&app).starts_with("Filler report number 2"));
    keys(&mut app, "N");
    assert_eq!(selected_title(&app), first);
    // Esc clears the search highlight.
    keys(&mut app, "esc");
    assert!(app.search.query.is_empty());
}

#[test]
fn search_is_case_insensitive_and_cancel_restores_the_selection() {
    let mut app = app(10, 120, 40);
    keys(&mut app, "j j");
    let before = app.list.selected;
    keys(&mut app, "/");
    type_text(&mut app, "TOKYO");
    assert!(selected_title(&app).contains("Tokyo"));
    keys(
        &mut app,
        "backspace backspace backspace backspace backspace",
    );
    assert!(app.search.query.is_empty());
    type_text(&mut app, "markets");
    assert!(selected_title(&app).contains("Markets"));
    keys(&mut app, "esc");
    assert_eq!(app.list.selected, before);
    assert!(app.search.query.is_empty());
    assert!(app.on_base());
}

#[test]
fn search_in_the_reader_finds_matches_in_the_article() {
    let mut app = app(0, 80, 24);
    // The BBC version (the last) says "capital" twice.
    keys(&mut app, "tab G enter /");
    type_text(&mut app, "capital");
    assert_eq!(app.search.reader_matches.len(), 2);
    assert_eq!(app.search.current, Some(0));
    keys(&mut app, "enter n");
    assert_eq!(app.search.current, Some(1));
    let (line, _) = app.search.reader_matches[1].clone();
    assert!(line >= app.reader.scroll && line < app.reader.scroll + app.reader_height());
    keys(&mut app, "n");
    assert_eq!(app.search.current, Some(0), "wraps around");
}

#[test]
fn filter_by_source_then_clear() {
    let mut app = app(6, 120, 40);
    keys(&mut app, "f");
    let Some(View::Picker(p)) = app.top() else {
        panic!("picker expected, got {:?}", app.top())
    };
    assert_eq!(p.items[0].0, "All sources");
    assert_eq!(p.shown.len(), p.items.len());
    // Typing narrows the list to the matching sources.
    type_text(&mut app, "evil w");
    let Some(View::Picker(p)) = app.top() else {
        panic!("picker expected")
    };
    assert_eq!(p.shown.len(), 1);
    assert_eq!(p.items[p.chosen().unwrap()].0, "Evil Wire");
    keys(&mut app, "enter");
    assert_eq!(app.source_filter.as_deref(), Some("Evil Wire"));
    assert_eq!(app.view.len(), 1);
    assert!(selected_title(&app).starts_with("Markets"));
    keys(&mut app, "esc");
    assert_eq!(app.source_filter, None);
    assert_eq!(app.view.len(), 9);
}

#[test]
fn sort_cycles_and_keeps_the_selected_story() {
    let mut app = app(5, 120, 40);
    keys(&mut app, "j");
    let chosen = app.selected_story();
    keys(&mut app, "s");
    assert_eq!(app.sort, Sort::MostVersions);
    assert_eq!(app.selected_story(), chosen);
    assert_eq!(app.lib.stories[app.view[0]].versions.len(), 3);
    keys(&mut app, "s");
    assert_eq!(app.sort, Sort::Title);
    assert_eq!(app.lib.stories[app.view[0]].title, "Filler report number 0");
    keys(&mut app, "s s");
    assert_eq!(app.sort, Sort::Newest);
}

#[test]
fn mark_all_read_is_undoable() {
    let mut app = app(5, 120, 40);
    let effects = keys(&mut app, "m");
    assert!(matches!(effects.as_slice(), [Effect::SaveState(_)]));
    let s0 = app.view[0];
    assert!(app.read[s0]);
    keys(&mut app, "M");
    assert!(app.read.iter().all(|&r| r));
    assert_eq!(app.unread_shown(), 0);
    assert!(app.status.as_ref().unwrap().text.contains("u undoes"));
    keys(&mut app, "u");
    assert_eq!(
        app.read.iter().filter(|&&r| r).count(),
        1,
        "back to the one marked by m"
    );
    keys(&mut app, "u");
    assert!(app.read.iter().all(|&r| !r));
    keys(&mut app, "u");
    assert_eq!(app.status.as_ref().unwrap().text, "Nothing to undo");
}

#[test]
fn help_is_generated_from_the_keymap_and_closes_without_quitting() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "?");
    assert!(matches!(app.top(), Some(View::Help { .. })));
    let lines = app.help_lines();
    let has = |keys: &str, name: &str| {
        lines.iter().any(|l| {
            matches!(l, stet::app::help::HelpLine::Binding { keys: k, name: n, .. } if k == keys && *n == name)
        })
    };
    assert!(has("j, ↓", "move_down"), "{lines:?}");
    assert!(has("g g, Home", "first"));
    assert!(has("M", "mark_all_read"));
    let effects = keys(&mut app, "j q");
    assert!(effects.is_empty());
    assert!(app.on_base());
}

#[test]
fn remapped_keys_work_and_show_in_help_and_hints() {
    let (config, problems) = Config::from_toml(
        "[keys.global]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n",
        "t.toml",
    );
    assert!(problems.is_empty());
    let mut app = stet::app::App::with_library(&config, library(0), 120, 40);
    assert!(keys(&mut app, "q").is_empty());
    let hints = app.hints();
    assert!(
        hints.iter().any(|(k, l)| k == "x" && *l == "quit"),
        "{hints:?}"
    );
    let effects = keys(&mut app, "x");
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert!(matches!(effects.first(), Some(Effect::SaveState(_))));
}

/// The state the reader saves when `q` is pressed.
fn saved_on_quit(app: &mut stet::app::App) -> SavedState {
    match keys(app, "q").first() {
        Some(Effect::SaveState(state)) => state.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn quit_saves_and_state_is_restored_on_the_next_load() {
    let mut app = app(5, 120, 40);
    keys(&mut app, "j enter esc s");
    let effects = keys(&mut app, "q");
    let Some(Effect::SaveState(state)) = effects.first().cloned() else {
        panic!("{effects:?}")
    };
    assert_eq!(state.read.len(), 1);
    assert_eq!(state.sort.as_deref(), Some("versions"));

    let mut next = stet::app::App::new(&Config::default(), "test");
    next.restore = Some(state.clone());
    next.handle(Msg::Resize(120, 40));
    let effects = next.handle(Msg::Loaded(Box::new(library(5))));
    // The sort and the selection show with the list.
    assert_eq!(next.sort, Sort::MostVersions);
    assert_eq!(
        next.selected_story()
            .map(|s| next.lib.stories[s].id.to_string()),
        state.selected
    );
    // The read marks are looked for off the UI thread: none shown yet, and a save meanwhile
    // keeps the ones not found yet.
    assert_eq!(next.read.iter().filter(|&&r| r).count(), 0);
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::ResolveReadMarks(job) => Some(job.clone()),
            _ => None,
        })
        .expect("the read marks are looked for");
    assert_eq!(saved_on_quit(&mut next).read, state.read);
    let found = job.run();
    next.handle(Msg::ReadMarksFound {
        stories: job.stories.clone(),
        found,
    });
    assert_eq!(next.read.iter().filter(|&&r| r).count(), 1);
    let marked = next.read.iter().position(|&r| r).unwrap();
    assert_eq!(vec![next.lib.stories[marked].id.clone()], state.read);
    assert_eq!(saved_on_quit(&mut next).read, state.read);

    // Marks found in a list since replaced are looked for again in the new one.
    let mut again = stet::app::App::new(&Config::default(), "test");
    again.restore = Some(state.clone());
    let effects = again.handle(Msg::Loaded(Box::new(library(5))));
    let Some(Effect::ResolveReadMarks(old_job)) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::ResolveReadMarks(_)))
    else {
        panic!("no read marks job")
    };
    again.lib.stories = std::sync::Arc::new((*again.lib.stories).clone());
    let effects = again.handle(Msg::ReadMarksFound {
        stories: old_job.stories.clone(),
        found: old_job.run(),
    });
    assert_eq!(again.read.iter().filter(|&&r| r).count(), 0);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ResolveReadMarks(_))),
        "{effects:?}"
    );

    // Unknown ids in a saved state are ignored.
    let mut other = stet::app::App::new(&Config::default(), "test");
    other.restore = Some(SavedState {
        read: vec!["gone".into()],
        selected: Some("gone".into()),
        ..SavedState::default()
    });
    other.handle(Msg::Loaded(Box::new(library(1))));
    assert_eq!(other.list.selected, 0);
}

#[test]
fn narrow_terminals_switch_between_list_and_reader() {
    let mut app = app(3, 80, 24);
    let s = app.screen();
    assert!(s.list.is_some() && s.reader.is_none());
    keys(&mut app, "enter");
    let s = app.screen();
    assert!(s.list.is_none() && s.reader.is_some());
    keys(&mut app, "h");
    assert!(app.screen().list.is_some());
}

#[test]
fn resize_rewraps_the_reader_to_the_new_width() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "enter");
    let wide = app.reader.lines.len();
    // At 120 columns the reading column is 54 (the list takes 62 for its titles).
    app.handle(Msg::Resize(40, 30));
    let w = app.reader_text_width();
    assert!(app.reader.lines.len() > wide);
    assert!(
        app.reader
            .lines
            .iter()
            .all(|l| stet::app::reader::text_width(&l.text) <= w)
    );
    // A very wide terminal caps the column at the configured width.
    app.handle(Msg::Resize(300, 50));
    assert_eq!(app.reader_text_width(), 100);
}

#[test]
fn while_loading_only_quit_help_and_problems_respond() {
    let mut app = stet::app::App::new(&Config::default(), "big");
    app.handle(Msg::Resize(80, 24));
    app.handle(Msg::Progress(Progress::Loading {
        done: 10,
        total: 100,
    }));
    assert_eq!(
        app.load,
        LoadState::Loading(Some(Progress::Loading {
            done: 10,
            total: 100
        }))
    );
    for k in ["j", "enter", "/", "f", "s", "m", "M", "u", "G"] {
        keys(&mut app, k);
        if app.top() == Some(&View::Search) {
            keys(&mut app, "esc");
        }
    }
    assert!(app.view.is_empty());
    let effects = keys(&mut app, "q");
    assert_eq!(
        effects,
        vec![Effect::Quit],
        "nothing to save before the corpus is there"
    );
}

#[test]
fn mouse_clicks_select_and_the_wheel_scrolls() {
    let mut app = app(20, 120, 40);
    let list = app.screen().list.unwrap().inner();
    app.handle(Msg::Mouse(MouseInput {
        kind: MouseKind::Click,
        x: list.x + 3,
        y: list.y + 4,
    }));
    assert_eq!(app.list.selected, 4);
    app.handle(Msg::Mouse(MouseInput {
        kind: MouseKind::ScrollDown,
        x: list.x + 3,
        y: list.y,
    }));
    assert_eq!(app.list.selected, 7);
    let reader = app.screen().reader.unwrap().inner();
    app.handle(Msg::Mouse(MouseInput {
        kind: MouseKind::Click,
        x: reader.x + 2,
        y: reader.y + 2,
    }));
    assert_eq!(app.focus, Pane::Reader);
}

#[test]
fn every_action_is_safe_on_an_empty_corpus_and_a_tiny_screen() {
    for (w, h) in [(120, 40), (3, 2), (0, 0)] {
        let mut app =
            stet::app::App::with_library(&Config::default(), stet::app::Library::default(), w, h);
        for &a in Action::ALL {
            if a == Action::Quit {
                continue;
            }
            app.update(a);
            app.update(Action::InputCancel);
            app.update(Action::Back);
            let _ = render(&app, w.max(1), h.max(1));
        }
    }
}

#[test]
fn random_keys_resizes_and_clicks_never_panic() {
    let mut app = app(25, 120, 40);
    let keys_pool = [
        "j",
        "k",
        "G",
        "g",
        "ctrl-d",
        "ctrl-u",
        "pagedown",
        "pageup",
        "enter",
        "esc",
        "tab",
        "shift-tab",
        "h",
        "l",
        "/",
        "a",
        "e",
        "backspace",
        "n",
        "N",
        "f",
        "s",
        "m",
        "M",
        "u",
        "r",
        "]",
        "[",
        "?",
        "!",
        "space",
        "ctrl-w",
        "x",
        "東",
    ];
    let mut seed: u64 = 0x5eed;
    let cell = |n: usize| u16::try_from(n).unwrap();
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(seed >> 33).unwrap() % n
    };
    for step in 0..4000 {
        match next(20) {
            0 => {
                let (w, h) = (cell(next(200)), cell(next(70)));
                app.handle(Msg::Resize(w, h));
            }
            1 => {
                let kind = [MouseKind::Click, MouseKind::ScrollUp, MouseKind::ScrollDown][next(3)];
                app.handle(Msg::Mouse(MouseInput {
                    kind,
                    x: cell(next(200)),
                    y: cell(next(70)),
                }));
            }
            _ => {
                let k = keys_pool[next(keys_pool.len())];
                let k = if k == "東" {
                    "東".to_string()
                } else {
                    k.to_string()
                };
                let effects = keys(&mut app, &k);
                assert!(!effects.contains(&Effect::Quit), "step {step}");
            }
        }
        if step % 50 == 0 {
            let (w, h) = (app.size.0.max(1), app.size.1.max(1));
            let _ = render(&app, w, h);
        }
        assert!(app.list.selected < app.view.len().max(1));
        assert!(app.reader.scroll <= app.reader.lines.len());
    }
}

#[test]
fn an_unbound_alt_key_is_escape_then_the_key() {
    let mut app = app(3, 120, 40);
    keys(&mut app, "?");
    assert!(matches!(app.top(), Some(View::Help { .. })));
    // Esc typed quickly before j arrives as alt-j.
    keys(&mut app, "alt-j");
    assert!(app.on_base());
    assert_eq!(app.list.selected, 1);
}

#[test]
fn background_problems_are_listed_and_shown() {
    let mut app = app(1, 120, 40);
    app.handle(Msg::Problem(
        "state.json: cannot save the reading state: disk full".into(),
    ));
    assert_eq!(app.problems.len(), 1);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("disk full"))
    );
    keys(&mut app, "!");
    assert!(matches!(app.top(), Some(View::Problems { .. })));
}

#[test]
fn r_steps_through_related_stories_and_the_versions_pane_lists_them() {
    let mut lib = tui_support::library(3);
    let ids: Vec<compact_str::CompactString> = lib.stories.iter().map(|s| s.id.clone()).collect();
    // The first story shares text with two others (a follow-up, a digest).
    let first = 0;
    let stories = std::sync::Arc::make_mut(&mut lib.stories);
    stories[first].related = vec![ids[1].clone(), ids[2].clone()];
    stories[1].related = vec![ids[first].clone()];
    stories[2].related = vec![ids[first].clone()];
    let mut app = stet::app::App::with_library(&Config::default(), lib, 120, 40);
    let row = app.view.iter().position(|&s| s == first).unwrap();
    while app.list.selected != row {
        let key = if app.list.selected < row { "j" } else { "k" };
        keys(&mut app, key);
    }
    let screen = screen_text(&render(&app, 120, 40));
    assert!(
        screen.contains("Related: 2 other reports sharing text (R jumps)"),
        "{screen}"
    );
    // Titles as the pane shows them (escape sequences made visible).
    assert!(screen.contains("~ Markets"), "{screen}");
    assert!(screen.contains("~ 東京の天気"), "{screen}");
    keys(&mut app, "R");
    assert_eq!(app.selected_story(), Some(1));
    keys(&mut app, "R");
    assert_eq!(app.selected_story(), Some(2));
    keys(&mut app, "R");
    assert_eq!(
        app.selected_story(),
        Some(first),
        "back to where it started"
    );
    // A story with nothing related says so and stays.
    let lonely = app.view.iter().position(|&s| s == 3).unwrap();
    while app.list.selected != lonely {
        let key = if app.list.selected < lonely { "j" } else { "k" };
        keys(&mut app, key);
    }
    keys(&mut app, "R");
    assert_eq!(app.selected_story(), Some(3));
}

/// The kinds of the views on the stack, bottom first.
fn names(app: &stet::app::App) -> Vec<&'static str> {
    app.layers
        .iter()
        .map(|v| match v {
            View::Diff(_) => "diff",
            View::Collate(_) => "collate",
            View::Search => "search",
            View::Help { .. } => "help",
            View::Problems { .. } => "problems",
            View::Picker(_) => "picker",
            View::LabelPick => "label",
            View::AnnList(_) => "annotations",
            View::Note { .. } => "note",
            View::Select(_) => "select",
        })
        .collect()
}

/// Thousands of keys chosen at random among the ones that open, close and drive views: the
/// stack of views stays shallow (each view closes before another of its kind opens, the diff
/// is replaced rather than stacked), and Esc always unwinds it back to the panes.
#[test]
fn the_view_stack_stays_shallow_and_esc_unwinds_it() {
    const KEYS: &[&str] = &[
        "?",
        "!",
        "/",
        "A",
        "O",
        "a",
        "c",
        "d",
        "e",
        "f",
        "r",
        "space",
        "v",
        "y",
        "w",
        "b",
        "j",
        "k",
        "l",
        "h",
        "tab",
        "enter",
        "esc",
        "esc",
        "] a",
        "x",
        "u",
        "U",
        "1",
        "2",
        "G",
        "ctrl-s",
        "backspace",
        "n",
    ];
    let mut app = app(5, 120, 40);
    let mut seed: u64 = 0x5eed;
    let mut deepest = 0;
    for step in 0..4000 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let key = KEYS[usize::try_from(seed >> 33).unwrap() % KEYS.len()];
        keys(&mut app, key);
        let diffs = app
            .layers
            .iter()
            .filter(|v| matches!(v, View::Diff(_)))
            .count();
        assert!(diffs <= 1, "step {step} ({key}): {diffs} diff views");
        assert!(
            app.layers.len() <= 3,
            "step {step} ({key}): {:?}",
            names(&app)
        );
        deepest = deepest.max(app.layers.len());
        if step % 500 == 499 {
            for _ in 0..8 {
                keys(&mut app, "esc");
            }
            assert!(
                app.layers.is_empty(),
                "step {step}: Esc leaves {:?}",
                names(&app)
            );
        }
    }
    assert!(deepest >= 2, "the walk opened a view above another");
}
