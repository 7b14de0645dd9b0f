//! Two readers on one corpus: each sees the other's new annotations and read marks without a
//! restart (the runtime polls its store every second and hands the changes to the app), and
//! neither loses what it is doing meanwhile. Two apps and two store handles, with the runtime's
//! part done by hand.

use crate::tui_support;

use stet::app::{App, Effect, Msg, View};
use stet::store::{Reading, UserStore};
use tui_support::*;

/// Performs the store effects as the runtime does.
fn perform(store: &mut UserStore, effects: Vec<Effect>) {
    use stet::annotate::AnnotationLog;
    for e in effects {
        match e {
            Effect::AppendAnnotation(record) => store.append(&record).unwrap(),
            Effect::SaveState(s) => {
                let reading = Reading {
                    read: s.read,
                    selected: s.selected,
                    sort: s.sort,
                    source_filter: s.source_filter,
                };
                store.save_reading(&reading, &|_| true).unwrap();
            }
            _ => {}
        }
    }
}

/// One poll of the runtime: whether the other reader's changes arrived.
fn poll(app: &mut App, store: &mut UserStore) -> bool {
    match store.changes().unwrap() {
        Some(c) => {
            app.handle(Msg::OthersChanged {
                annotations: c.annotations,
                read_added: c.read_added,
                read_removed: c.read_removed,
            });
            true
        }
        None => false,
    }
}

#[test]
fn each_reader_sees_the_others_marks_and_annotations_and_keeps_its_own_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut store_a = UserStore::open(dir.path()).unwrap().store;
    let mut store_b = UserStore::open(dir.path()).unwrap().store;
    let mut a = app(3, 120, 40);
    let mut b = app(3, 120, 40);
    let story = a.selected_story().unwrap();
    assert!(!poll(&mut b, &mut store_b), "nothing yet");

    // A marks the first story read: B shows it at its next poll.
    perform(&mut store_a, keys(&mut a, "m"));
    assert!(!b.read[story]);
    assert!(poll(&mut b, &mut store_b));
    assert!(b.read[story]);
    assert_eq!(
        b.status.as_ref().unwrap().text,
        "Another stet changed 1 read mark"
    );

    // B is typing a note when A's annotation arrives: B's note stays as typed.
    keys(&mut b, "enter a 1");
    type_text(&mut b, "draft of B");
    perform(&mut store_a, keys(&mut a, "enter a 1 ctrl-s"));
    assert_eq!(a.ann.set.len(), 1);
    assert!(poll(&mut b, &mut store_b));
    assert_eq!(b.ann.set.len(), 1, "A's annotation shows in B");
    assert!(
        matches!(b.top(), Some(View::Note { text, .. }) if text == "draft of B"),
        "{:?}",
        b.top()
    );
    // B saves its note: A sees it; both have both annotations.
    perform(&mut store_b, keys(&mut b, "ctrl-s"));
    assert_eq!(b.ann.set.len(), 2);
    assert!(poll(&mut a, &mut store_a));
    assert_eq!(a.ann.set.len(), 2);
    // A's own writes are not news to A, and a poll with nothing new changes nothing.
    assert!(!poll(&mut a, &mut store_a));

    // B unmarks the story; A's mark of another story, made meanwhile and not yet seen by B,
    // survives B's save.
    keys(&mut a, "esc j");
    let other = a.selected_story().unwrap();
    perform(&mut store_a, keys(&mut a, "m"));
    keys(&mut b, "esc g g");
    assert_eq!(b.selected_story(), Some(story));
    perform(&mut store_b, keys(&mut b, "m"));
    assert!(!b.read[story]);
    assert!(poll(&mut a, &mut store_a));
    assert!(!a.read[story], "B's unmark shows in A");
    assert!(a.read[other], "A's own mark stays");
    assert!(poll(&mut b, &mut store_b));
    assert!(b.read[other]);
    let again = UserStore::open(dir.path()).unwrap();
    let read = again.reading.unwrap().read;
    assert!(read.contains(&a.lib.stories[other].id.to_string()));
    assert!(!read.contains(&a.lib.stories[story].id.to_string()));
}

#[test]
fn changes_that_arrive_while_loading_are_restored_with_the_rest() {
    let lib = library(2);
    let id = lib.stories[0].id.to_string();
    let mut app = App::new(&stet::config::Config::default(), "t");
    app.handle(Msg::OthersChanged {
        annotations: Vec::new(),
        read_added: vec![id.clone()],
        read_removed: Vec::new(),
    });
    app.handle(Msg::Resize(120, 40));
    let effects = app.handle(Msg::Loaded(Box::new(lib)));
    let i = app.lib.stories.iter().position(|s| s.id == id).unwrap();
    // The marks are found off the UI thread, then shown.
    let job = effects
        .into_iter()
        .find_map(|e| match e {
            stet::app::Effect::ResolveReadMarks(job) => Some(job),
            _ => None,
        })
        .expect("the read marks are looked for");
    // Another reader unmarks story 1 meanwhile (never marked here): the marks found do not
    // bring back what it unmarked.
    let other = app.lib.stories[1].id.to_string();
    app.handle(Msg::OthersChanged {
        annotations: Vec::new(),
        read_added: Vec::new(),
        read_removed: vec![id.clone(), other],
    });
    app.handle(Msg::ReadMarksFound {
        stories: job.stories.clone(),
        found: job.run(),
    });
    assert!(
        !app.read[i],
        "unmarked by the other reader while the marks were looked for"
    );
    assert!(!app.read[1]);

    // Without that change the mark shows.
    let lib = library(2);
    let mut app = App::new(&stet::config::Config::default(), "t");
    app.handle(Msg::OthersChanged {
        annotations: Vec::new(),
        read_added: vec![id.clone()],
        read_removed: Vec::new(),
    });
    let effects = app.handle(Msg::Loaded(Box::new(lib)));
    assert!(!app.read[i], "found off the UI thread");
    for e in effects {
        if let stet::app::Effect::ResolveReadMarks(job) = e {
            app.handle(Msg::ReadMarksFound {
                stories: job.stories.clone(),
                found: job.run(),
            });
        }
    }
    assert!(app.read[i]);
}
