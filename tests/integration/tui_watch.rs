//! The reader on the watch archive: new versions brought by the poller (`Msg::WatchUpdated`)
//! appear live — the story marked `+` and unread, its versions pane grown, the selection and
//! other read marks kept; an update that comes while a view is open waits until it closes.

use stet::app::{Msg, View};
use stet::config::Config;

use crate::tui_support::{keys, library, render, screen_text, selected_title};

#[test]
fn new_versions_appear_live_with_a_badge() {
    // The archive as first loaded: the gas story has two versions; the poll brings the third.
    let mut before = library(0);
    std::sync::Arc::make_mut(&mut before.stories)[0]
        .versions
        .pop();
    let before = stet::app::Library::new((*before.corpus).clone(), (*before.stories).clone());
    let mut app = stet::app::App::with_library(&Config::default(), before, 100, 30);
    let gas = app
        .lib
        .stories
        .iter()
        .position(|s| s.id == "s-gas")
        .unwrap();
    let esc = app
        .lib
        .stories
        .iter()
        .position(|s| s.id == "s-esc")
        .unwrap();
    app.read[gas] = true;
    app.read[esc] = true;
    // Select the escape story and look at its versions.
    while app.selected_story() != Some(esc) {
        keys(&mut app, "j");
    }
    let title = selected_title(&app);
    let screen = screen_text(&render(&app, 100, 30));
    assert!(!screen.contains("+ "), "{screen}");

    // A view open over the panes: the update waits.
    keys(&mut app, "?");
    assert!(!app.layers.is_empty());
    app.handle(Msg::WatchUpdated(Box::new(library(0)), "1 fetched".into()));
    assert_eq!(
        app.lib.stories[gas].versions.len(),
        2,
        "applied under the help view"
    );
    keys(&mut app, "esc");
    assert!(app.layers.is_empty() || !matches!(app.layers.last(), Some(View::Help { .. })));

    // Applied once the panes are back.
    let gas = app
        .lib
        .stories
        .iter()
        .position(|s| s.id == "s-gas")
        .unwrap();
    let esc = app
        .lib
        .stories
        .iter()
        .position(|s| s.id == "s-esc")
        .unwrap();
    assert_eq!(app.lib.stories[gas].versions.len(), 3);
    assert!(app.watch_new(gas));
    assert!(!app.watch_new(esc));
    assert!(!app.read[gas], "a story with new versions is unread again");
    assert!(app.read[esc], "other read marks kept");
    assert_eq!(selected_title(&app), title, "selection kept");
    let status = app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("1 new version"), "{status}");
    let screen = screen_text(&render(&app, 100, 30));
    let gas_row = screen
        .lines()
        .find(|l| l.contains("Russia cuts gas"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        gas_row.contains("+  3 "),
        "badge and three versions: {gas_row}"
    );

    // An update with nothing new changes nothing.
    app.handle(Msg::WatchUpdated(Box::new(library(0)), "0 fetched".into()));
    assert_eq!(app.lib.stories[gas].versions.len(), 3);
}
