//! The reader's search: titles or every word (the full-text index, answered off the UI
//! thread), the filtered list with the matching version, highlights, `n`/`N`, the index not
//! ready yet, and `/` in the diff view. Key scripts with the real index built in a temp dir.

use crate::tui_support;

use std::sync::atomic::AtomicBool;

use stet::app::{App, Effect, IndexState, Msg, Pane, SearchScope, View};
use stet::config::KeyChord;
use stet::search::{Fingerprint, Index, IndexLocation};
use tui_support::*;

/// The app's corpus indexed in a temp dir (kept alive with the index).
struct Indexed {
    index: Index,
    _dir: tempfile::TempDir,
}

fn index_of(app: &App) -> Indexed {
    let dir = tempfile::tempdir().unwrap();
    let loc = IndexLocation::new(dir.path(), Fingerprint::of_content(1, "test"));
    let index = stet::search::build_index(
        &loc,
        &app.lib.corpus,
        &app.lib.stories,
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    Indexed { index, _dir: dir }
}

/// A ready app whose index is open.
fn indexed_app(filler: usize, w: u16, h: u16) -> (App, Indexed) {
    let mut app = app(filler, w, h);
    let idx = index_of(&app);
    app.handle(Msg::IndexReady {
        articles: idx.index.articles(),
    });
    (app, idx)
}

/// Performs the search effects as the runtime would: asks the index, feeds the answer.
fn answer(app: &mut App, idx: &Indexed, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::SearchIndex(query) = e {
            let result = idx
                .index
                .search_stories(&query, stet::app::search::MAX_HITS)
                .map_err(|e| e.to_string());
            let more = app.handle(Msg::Searched { query, result });
            answer(app, idx, more);
        }
    }
}

/// Keys (as in config.toml), each answered by the index.
fn press(app: &mut App, idx: &Indexed, script: &str) {
    let effects = keys(app, script);
    answer(app, idx, effects);
}

/// Text typed character by character, each answered by the index.
fn typed(app: &mut App, idx: &Indexed, text: &str) {
    for c in text.chars() {
        let effects = app.handle(Msg::Key(KeyChord::ch(c)));
        answer(app, idx, effects);
    }
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn marked_words(app: &App) -> Vec<String> {
    app.search
        .reader_matches
        .iter()
        .map(|(l, r)| app.reader.lines[*l].text[r.clone()].to_string())
        .collect()
}

#[test]
fn a_word_only_in_a_body_finds_its_story_at_the_matching_version() {
    let (mut app, idx) = indexed_app(20, 120, 40);
    assert_eq!(app.view.len(), 23);
    press(&mut app, &idx, "/ tab");
    assert_eq!(app.search.scope, SearchScope::Everything);
    // "correspondent" is in no title: only in the BBC version's last paragraph.
    typed(&mut app, &idx, "Correspondent");
    assert_eq!(
        app.view.len(),
        1,
        "the list shows the matching stories only"
    );
    assert_eq!(selected_title(&app), "Russia cuts gas supply to region");
    let story = app.selected_story().unwrap();
    let article = app.lib.stories[story].versions[app.version.selected].article;
    assert_eq!(app.lib.corpus.articles[article].id, "gas-3");
    assert_eq!(marked_words(&app), ["correspondent"]);
    let screen = screen_text(&render(&app, 120, 40));
    assert!(screen.contains("/Correspondent"), "{screen}");
    assert!(
        screen.contains("1 story · all words (Tab: titles)"),
        "{screen}"
    );
    insta::assert_snapshot!("search_every_word_120x40", screen);

    // Enter keeps the filter; the status says how to leave it; n wraps over the one story.
    press(&mut app, &idx, "enter");
    assert!(app.on_base());
    assert_eq!(
        status(&app),
        "/Correspondent: 1 matching story (every word; Esc shows all)"
    );
    press(&mut app, &idx, "n");
    assert_eq!(selected_title(&app), "Russia cuts gas supply to region");
    // In the reader, n steps through the marked words.
    press(&mut app, &idx, "enter");
    assert_eq!(app.focus, Pane::Reader);
    press(&mut app, &idx, "n");
    assert_eq!(app.search.current, Some(0));
    // Esc back to the list, Esc again: every story again, the story kept selected.
    press(&mut app, &idx, "esc esc");
    assert!(app.search.hits.is_none());
    assert_eq!(app.view.len(), 23);
    assert_eq!(selected_title(&app), "Russia cuts gas supply to region");
}

#[test]
fn every_word_search_ranks_filters_and_marks_phrases_and_words() {
    let (mut app, idx) = indexed_app(20, 120, 40);
    press(&mut app, &idx, "/ tab");
    // A word in every filler body and in no other story: the fillers, best first.
    typed(&mut app, &idx, "filler");
    assert_eq!(app.view.len(), 20);
    // A phrase: the versions that have it; the words marked where they stand together.
    press(&mut app, &idx, "ctrl-u");
    assert!(
        app.search.hits.is_none(),
        "an empty query shows every story"
    );
    assert_eq!(app.view.len(), 23);
    typed(&mut app, &idx, "\"talks would continue\"");
    assert_eq!(app.view.len(), 1);
    assert_eq!(marked_words(&app), ["talks would continue"]);
    // Case and accents are ignored; OR and NOT work as in `stet search`.
    press(&mut app, &idx, "ctrl-u");
    typed(&mut app, &idx, "TOKYO OR markets");
    assert_eq!(app.view.len(), 2);
    press(&mut app, &idx, "ctrl-u");
    typed(&mut app, &idx, "gas -correspondent");
    assert_eq!(app.view.len(), 1);
    let story = app.selected_story().unwrap();
    let article = app.lib.stories[story].versions[app.version.selected].article;
    assert_ne!(app.lib.corpus.articles[article].id, "gas-3");
    // Nothing matches: an empty list, said in the prompt.
    press(&mut app, &idx, "ctrl-u");
    typed(&mut app, &idx, "zeppelin");
    assert_eq!(app.view.len(), 0);
    assert!(app.search_note().starts_with("0 stories · all words"));
}

#[test]
fn a_half_typed_query_keeps_the_last_answer_and_says_why() {
    let (mut app, idx) = indexed_app(5, 120, 40);
    press(&mut app, &idx, "/ tab");
    typed(&mut app, &idx, "gas");
    assert_eq!(app.view.len(), 1);
    typed(&mut app, &idx, " \"capital");
    assert_eq!(app.view.len(), 1, "the last answer stays");
    let note = app.search_note();
    assert!(note.starts_with("query:"), "{note}");
    typed(&mut app, &idx, "\"");
    assert!(app.search.error.is_none());
    // An answer to a query no longer typed is ignored.
    app.handle(Msg::Searched {
        query: "filler".into(),
        result: Ok(Vec::new()),
    });
    assert_eq!(app.view.len(), 1);
    // An answer naming stories the list does not have (an index out of step) is not shown.
    app.handle(Msg::Searched {
        query: app.search.query.clone(),
        result: Ok(vec![stet::search::StoryMatch {
            story_ord: 999,
            article_index: 0,
            score: 1.0,
        }]),
    });
    assert_eq!(app.view.len(), 0);
    assert!(
        app.search
            .error
            .as_deref()
            .unwrap()
            .contains("restart stet")
    );
}

#[test]
fn the_scope_switch_is_kept_and_cancel_restores_the_list() {
    let (mut app, idx) = indexed_app(10, 120, 40);
    press(&mut app, &idx, "j j");
    let before = selected_title(&app);
    press(&mut app, &idx, "/ tab");
    typed(&mut app, &idx, "gas");
    assert_eq!(app.view.len(), 1);
    press(&mut app, &idx, "esc");
    assert_eq!(app.view.len(), 13);
    assert_eq!(
        selected_title(&app),
        before,
        "cancel goes back where it began"
    );
    // The next search starts where the last one was switched to.
    press(&mut app, &idx, "/");
    assert_eq!(app.search.scope, SearchScope::Everything);
    typed(&mut app, &idx, "tokyo");
    assert_eq!(app.view.len(), 1);
    // Tab back to titles: the whole list, the title search jumps.
    press(&mut app, &idx, "tab");
    assert_eq!(app.search.scope, SearchScope::Titles);
    assert_eq!(app.view.len(), 13);
    assert!(selected_title(&app).contains("Tokyo"));
    assert!(app.search_note().contains("titles (Tab: all words)"));
}

#[test]
fn while_the_index_builds_titles_are_searched_and_the_prompt_says_so() {
    let mut app = app(5, 120, 40);
    assert_eq!(app.index, IndexState::Opening);
    let screen = screen_text(&render(&app, 120, 40));
    assert!(
        !screen.contains("indexing"),
        "an index opening at once says nothing"
    );
    app.handle(Msg::IndexProgress {
        done: 41_000,
        total: 100_000,
    });
    let screen = screen_text(&render(&app, 120, 40));
    assert!(screen.contains("indexing 41,000 / 100,000"), "{screen}");
    let effects = keys(&mut app, "/ tab");
    assert!(effects.is_empty(), "no query goes to an index not ready");
    type_text(&mut app, "tokyo");
    assert!(selected_title(&app).contains("Tokyo"), "titles meanwhile");
    assert_eq!(app.view.len(), 8, "no filter without the index");
    let note = app.search_note();
    assert!(
        note.contains("all words: index not ready (indexing 41,000 / 100,000)"),
        "{note}"
    );
    // Ready while the query is typed: it goes to the index at once.
    let effects = app.handle(Msg::IndexReady { articles: 10 });
    assert_eq!(effects, vec![Effect::SearchIndex("tokyo".into())]);
    // A failed build: said in the problems, titles still searched.
    let mut app = tui_support::app(5, 120, 40);
    app.handle(Msg::IndexFailed("disk full".into()));
    keys(&mut app, "/ tab");
    type_text(&mut app, "tokyo");
    assert!(selected_title(&app).contains("Tokyo"));
    assert!(app.search_note().contains("no index (disk full)"));
    assert!(app.problems.iter().any(|p| p.contains("disk full")));
}

#[test]
fn a_damaged_index_is_built_again_and_the_query_asked_again() {
    let (mut app, idx) = indexed_app(5, 120, 40);
    press(&mut app, &idx, "/ tab");
    typed(&mut app, &idx, "tokyo");
    assert_eq!(app.view.len(), 1);
    let effects = app.handle(Msg::IndexDamaged("the search index is damaged: x".into()));
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::BuildIndex(job) => Some(job),
            _ => None,
        })
        .expect("a rebuild asked for");
    assert!(job.rebuild);
    assert_eq!(app.index, IndexState::Opening);
    assert!(
        app.search.hits.is_none(),
        "titles meanwhile: every story shown"
    );
    assert_eq!(app.view.len(), 8);
    assert!(app.problems.iter().any(|p| p.contains("building it again")));
    // A second report while it is rebuilt asks for nothing more.
    assert!(app.handle(Msg::IndexDamaged("again".into())).is_empty());
    let effects = app.handle(Msg::IndexReady { articles: 8 });
    assert_eq!(effects, vec![Effect::SearchIndex("tokyo".into())]);
}

#[test]
fn loading_the_corpus_asks_for_the_index_with_the_corpus_shared() {
    let lib = library(3);
    let mut app = App::new(&stet::config::Config::default(), "t");
    app.handle(Msg::Resize(120, 40));
    let effects = app.handle(Msg::Loaded(Box::new(lib)));
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::BuildIndex(job) => Some(job),
            _ => None,
        })
        .expect("the index asked for");
    assert!(std::sync::Arc::ptr_eq(&job.corpus, &app.lib.corpus));
    assert_eq!(job.stories.len(), app.lib.stories.len());
}

#[test]
fn slash_in_the_diff_finds_words_in_both_versions_and_n_steps_through_them() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "d");
    assert!(app.diff().is_some());
    let cursor = app.diff().unwrap().cursor;
    keys(&mut app, "/");
    assert_eq!(app.top(), Some(&View::Search));
    type_text(&mut app, "Capital");
    let d = app.diff().unwrap();
    let (a, b) = d.found_per_side();
    assert!(a >= 1 && b >= 1, "both sides: {a} {b}");
    assert_eq!(d.search.at, Some(0));
    let screen = screen_text(&render(&app, 120, 40));
    assert!(screen.contains("in these versions"), "{screen}");
    insta::assert_snapshot!("diff_search_120x40", screen);
    // The marks are drawn in the match style on both sides.
    let buf = render(&app, 120, 40);
    let hit = stet::ui::style(app.theme(), "reader.match");
    let current = stet::ui::style(app.theme(), "reader.match.current");
    let marked: String = buf
        .content()
        .iter()
        .filter(|c| {
            let st = c.style();
            (st.fg == hit.fg || st.fg == current.fg)
                && st.add_modifier.contains(ratatui::style::Modifier::REVERSED)
        })
        .map(|c| c.symbol().to_string())
        .collect();
    assert!(
        marked.matches("capital").count() >= 2,
        "both sides marked: {marked:?}"
    );
    keys(&mut app, "enter");
    assert!(status(&app).contains("n and N step through them"));
    let mut seen = vec![app.diff().unwrap().search.at.unwrap()];
    for _ in 0..(a + b) {
        keys(&mut app, "n");
        seen.push(app.diff().unwrap().search.at.unwrap());
        assert!(
            status(&app).starts_with("/Capital: Match"),
            "{}",
            status(&app)
        );
    }
    assert_eq!(seen.first(), seen.last(), "wraps around: {seen:?}");
    keys(&mut app, "N");
    assert_eq!(app.diff().unwrap().search.at, Some(a + b - 1));
    // Esc clears the marks, Esc again closes the diff.
    keys(&mut app, "esc");
    assert!(app.diff().unwrap().search.found.is_empty());
    // Without a search, n steps through the changes again.
    keys(&mut app, "g g n");
    let d = app.diff().unwrap();
    assert!(d.is_change(d.cursor));
    // A cancelled search goes back to where it began.
    keys(&mut app, "g g");
    let top = app.diff().unwrap().cursor;
    keys(&mut app, "/");
    type_text(&mut app, "analysts");
    keys(&mut app, "esc");
    assert_eq!(app.diff().unwrap().cursor, top);
    assert!(app.diff().unwrap().search.found.is_empty());
    let _ = cursor;
    keys(&mut app, "esc");
    assert!(app.diff().is_none());
}
