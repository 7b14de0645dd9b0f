//! Annotating in the reading pane: key scripts of the cursor, the selection, the label picker
//! and the note, undo and redo, read-only stores, and how marks are drawn.

use crate::tui_support;

use stet::annotate::AnnotationSet;
use stet::app::{App, Effect, Msg, Pane, View};
use stet::config::Config;
use tui_support::*;

/// The gas story's latest version open in the reading pane.
/// The gas story's BBC version (its last; a story opens on its first) in the reading pane.
fn reading() -> App {
    let mut app = app(0, 120, 40);
    keys(&mut app, "tab G enter");
    assert_eq!(app.version.selected, 2);
    assert_eq!(app.focus, Pane::Reader);
    app
}

fn appended(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::AppendAnnotation(_)))
        .count()
}

fn selected_text(app: &App) -> String {
    let map = &app.ann.map;
    let sel = app.selection().expect("a selection");
    let w = sel.words();
    let chars: Vec<char> = map.body.chars().collect();
    chars[map.words[w.start].chars.start..map.words[w.end - 1].chars.end]
        .iter()
        .collect()
}

#[test]
fn the_cursor_moves_by_sentence_and_paragraph() {
    let mut app = reading();
    assert!(
        app.ann.map.sentences.len() >= 5,
        "{:?}",
        app.ann.map.sentences
    );
    assert_eq!(app.ann.cursor, 0);
    keys(&mut app, ")");
    assert_eq!(app.ann.cursor, 1);
    keys(&mut app, "(");
    assert_eq!(app.ann.cursor, 0);
    // } goes to the next paragraph's first sentence (the first paragraph has two).
    keys(&mut app, "}");
    assert_eq!(app.ann.cursor, 2);
    keys(&mut app, "{");
    assert_eq!(app.ann.cursor, 0);
    assert!(app.cursor_lines().is_some(), "the sentence is on screen");
}

#[test]
fn v_then_close_paren_selects_the_sentence_and_w_b_o_esc_adjust_it() {
    let mut app = reading();
    // v starts on the cursor sentence's first word; ) takes the selection to its end.
    keys(&mut app, "v");
    assert_eq!(selected_text(&app), "The");
    keys(&mut app, ")");
    assert_eq!(
        selected_text(&app),
        "The company's spokesman said talks would continue, but that the deadline would not be moved."
    );
    keys(&mut app, "w w");
    assert!(
        selected_text(&app).ends_with("moved. Officials in"),
        "{}",
        selected_text(&app)
    );
    keys(&mut app, "b");
    assert!(selected_text(&app).ends_with("moved. Officials"));
    // o: the other end moves now.
    keys(&mut app, "o w");
    assert!(
        selected_text(&app).starts_with("company's spokesman"),
        "{}",
        selected_text(&app)
    );
    // ) takes the moving end to the end of its sentence, then of the next one.
    keys(&mut app, ")");
    assert_eq!(selected_text(&app), "moved. Officials");
    keys(&mut app, ")");
    assert!(selected_text(&app).ends_with("ahead of the winter."));
    keys(&mut app, "( (");
    assert!(
        selected_text(&app).starts_with("The company's"),
        "{}",
        selected_text(&app)
    );
    keys(&mut app, "esc");
    assert!(app.selection().is_none());
    assert_eq!(app.focus, Pane::Reader, "Esc cancels the selection only");
}

#[test]
fn a_label_and_a_note_make_an_annotation_and_u_ctrl_r_undo_and_redo_it() {
    let mut app = reading();
    keys(&mut app, "v ) ) a");
    assert_eq!(app.top(), Some(&View::LabelPick));
    keys(&mut app, "3");
    assert!(matches!(app.top(), Some(View::Note { .. })));
    // Label keys are text while typing.
    type_text(&mut app, "was 12");
    keys(&mut app, "enter");
    type_text(&mut app, "q2");
    let effects = keys(&mut app, "ctrl-s");
    assert!(app.on_base());
    assert_eq!(appended(&effects), 1, "the change goes to the store");
    let anns: Vec<_> = app.ann.set.iter().collect();
    assert_eq!(anns.len(), 1);
    assert_eq!(anns[0].label.as_str(), "strengthened");
    assert_eq!(anns[0].note.as_deref(), Some("was 12\nq2"));
    assert!(
        anns[0].targets[0]
            .quote
            .exact
            .starts_with("The company's spokesman")
    );
    assert!(
        anns[0].targets[0]
            .quote
            .exact
            .ends_with("political pressure ahead of the winter.")
    );
    assert!(!app.ann.map.marks.is_empty(), "the span is marked");
    assert!(app.status.as_ref().unwrap().text.contains("Strengthened"));

    let effects = keys(&mut app, "u");
    assert_eq!(appended(&effects), 1, "the undo is stored too");
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "Undo removed the Strengthened annotation",
        "the message says what the undo did"
    );
    assert_eq!(app.ann.set.iter().count(), 0);
    assert!(app.ann.map.marks.is_empty());
    let effects = keys(&mut app, "ctrl-r");
    assert_eq!(appended(&effects), 1);
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "Redo brought back the Strengthened annotation"
    );
    assert_eq!(app.ann.set.iter().count(), 1);
    keys(&mut app, "u u");
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "No annotation change to undo"
    );
}

#[test]
fn a_without_selection_annotates_the_cursor_sentence_and_esc_cancels() {
    let mut app = reading();
    keys(&mut app, ") a esc");
    assert!(app.on_base());
    assert_eq!(app.ann.set.iter().count(), 0);
    keys(&mut app, "a 1");
    type_text(&mut app, "x");
    keys(&mut app, "esc");
    assert_eq!(app.ann.set.iter().count(), 0, "Esc in the note cancels");
    let effects = keys(&mut app, "a 1 ctrl-s");
    assert_eq!(appended(&effects), 1);
    let a = app.ann.set.iter().next().unwrap();
    assert_eq!(
        a.targets[0].quote.exact,
        "Officials in the capital called the move political pressure ahead of the winter."
    );
    assert_eq!(a.note, None, "an empty note is no note");
}

#[test]
fn u_in_the_list_still_undoes_read_marks() {
    let mut app = app(3, 120, 40);
    keys(&mut app, "M");
    assert_eq!(app.unread_shown(), 0);
    keys(&mut app, "u");
    assert!(app.unread_shown() > 0);
}

#[test]
fn a_read_only_store_refuses_changes_and_says_so() {
    let mut app = reading();
    app.handle(Msg::AnnotationsOpened {
        set: Box::new(AnnotationSet::new()),
        read_only: Some("another stet has these annotations open".into()),
        problems: vec![],
        restore: None,
    });
    keys(&mut app, "a");
    assert!(app.on_base());
    assert!(app.status.as_ref().unwrap().text.contains("read-only"));
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("annotations read-only"), "{text}");
}

#[test]
fn a_failed_store_takes_the_change_back() {
    let mut app = reading();
    keys(&mut app, "a 1 ctrl-s");
    assert_eq!(app.ann.set.iter().count(), 1);
    app.handle(Msg::AnnotationStoreFailed("disk full".into()));
    assert_eq!(app.ann.set.iter().count(), 0);
    assert!(app.status.as_ref().unwrap().text.contains("NOT saved"));
    assert!(app.ann.read_only.is_some());
}

#[test]
fn a_note_that_cannot_be_stored_stays_in_the_editor() {
    let mut app = reading();
    keys(&mut app, "a 1");
    type_text(&mut app, "a long note I typed");
    keys(&mut app, "ctrl-s");
    assert_eq!(app.ann.set.iter().count(), 1);
    // The append fails (disk full): the annotation is taken back, the note is not lost.
    app.handle(Msg::AnnotationStoreFailed(
        "No space left on device (os error 28)".into(),
    ));
    assert_eq!(app.ann.set.iter().count(), 0);
    match app.top() {
        Some(View::Note { text, .. }) => assert_eq!(text, "a long note I typed"),
        other => panic!("the note input is not open again: {other:?}"),
    }
    let status = &app.status.as_ref().unwrap().text;
    assert!(
        status.contains("NOT saved") && status.contains("No space left"),
        "{status}"
    );
    // Saving again (space freed) makes the annotation with the note.
    keys(&mut app, "ctrl-s");
    let a = app.ann.set.iter().next().expect("saved on the second try");
    assert_eq!(a.note.as_deref(), Some("a long note I typed"));

    // Editing a note: the edit fails, the edited text stays in the input.
    let (id, label) = (a.id, a.label.clone());
    app.ann.editing = Some(id);
    app.layers.push(View::Note {
        label,
        text: "edited text".into(),
    });
    keys(&mut app, "ctrl-s");
    app.handle(Msg::AnnotationStoreFailed("disk full".into()));
    assert_eq!(
        app.ann.set.get(&id).unwrap().note.as_deref(),
        Some("a long note I typed")
    );
    assert!(matches!(app.top(), Some(View::Note { text, .. }) if text == "edited text"));
    assert_eq!(app.ann.editing, Some(id));
}

/// A log on a full disk: each append really writes to `/dev/full` (ENOSPC).
struct FullDisk;

impl stet::annotate::AnnotationLog for FullDisk {
    fn append(
        &mut self,
        record: &stet::annotate::LogRecord,
    ) -> Result<(), stet::annotate::StoreError> {
        use std::io::Write;
        let line = serde_json::to_vec(record)?;
        let path = std::path::PathBuf::from("/dev/full");
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut f| f.write_all(&line).and_then(|()| f.sync_all()))
            .map_err(|source| stet::annotate::StoreError::Io { path, source })
    }
}

/// The runtime's loop for one key script: effects appended to `log`, a failure handed back.
#[test]
fn a_note_saved_on_a_full_disk_comes_back_to_the_editor() {
    use stet::annotate::AnnotationLog;
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let mut app = reading();
    keys(&mut app, "a 1");
    type_text(&mut app, "kept");
    let mut log = FullDisk;
    for e in keys(&mut app, "ctrl-s") {
        if let Effect::AppendAnnotation(record) = e
            && let Err(err) = log.append(&record)
        {
            app.handle(Msg::AnnotationStoreFailed(err.to_string()));
        }
    }
    assert!(
        matches!(app.top(), Some(View::Note { text, .. }) if text == "kept"),
        "{:?}",
        app.top()
    );
    let status = &app.status.as_ref().unwrap().text;
    assert!(
        status.contains("/dev/full") && status.contains("NOT saved"),
        "{status}"
    );
}

#[test]
fn labels_come_from_the_config_and_clashes_are_reported() {
    let toml = r#"
[keys.label]
"1" = "input_cancel"

[[labels]]
id = "spin"
name = "Spin"
key = "1"
colour = "yellow"
"#;
    let (config, problems) = Config::from_toml(toml, "config.toml");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(config.labels.labels().len(), 1);
    let clashes = config.label_key_clashes();
    assert_eq!(clashes.len(), 1, "{clashes:?}");
    assert!(clashes[0].contains("spin") && clashes[0].contains("input_cancel"));
    let (_, problems) = Config::from_toml("[[labels]]\nid = \"x\"\n", "config.toml");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("default labels are used"));
}

#[test]
fn marks_show_with_and_without_colour() {
    for mono in [false, true] {
        let config = if mono {
            mono_config()
        } else {
            Config::default()
        };
        let mut app = App::with_library(&config, library(0), 80, 24);
        keys(&mut app, "enter ) a 7 ctrl-s");
        let buf = render(&app, 80, 24);
        let text = screen_text(&buf);
        assert!(
            text.lines()
                .any(|l| l.starts_with("┃7would not be moved. Officials")),
            "the label's key in the margin:\n{text}"
        );
        let name = if mono {
            "annotated_mono"
        } else {
            "annotated_colour"
        };
        insta::assert_snapshot!(format!("{name}_80x24"), text);
        insta::assert_snapshot!(format!("{name}_80x24_styles"), screen_styles(&buf));
    }
}

#[test]
fn a_in_the_diff_view_annotates_both_sides_and_capital_u_undoes() {
    let mut app = app(0, 120, 40);
    keys(&mut app, "d g g ] c");
    let d = app.diff().unwrap();
    assert!(d.is_change(d.cursor));
    keys(&mut app, "a");
    assert_eq!(app.top(), Some(&View::LabelPick));
    let effects = keys(&mut app, "5 ctrl-s");
    assert_eq!(appended(&effects), 1);
    let a = app.ann.set.iter().next().expect("an annotation");
    assert_eq!(a.targets.len(), 2, "both sides");
    assert_eq!(a.targets[0].article, "gas-1");
    assert_eq!(a.targets[1].article, "gas-3");
    assert_eq!(
        a.targets[0].quote.exact, a.targets[1].quote.exact,
        "a moved, equal pair"
    );
    assert!(app.status.as_ref().unwrap().text.contains("both sides"));
    keys(&mut app, "U");
    assert_eq!(app.ann.set.iter().count(), 0);
    assert!(!app.diff().unwrap().unified, "U is not u");
    // After a redo the diff marks the annotated rows with the label's key.
    keys(&mut app, "ctrl-r j");
    let d = app.diff().unwrap();
    assert!(!app.diff_annotation_marks().is_empty());
    let item = app.diff_annotation_marks()[0].0;
    let row = d.item_row[item] + 1;
    let text = screen_text(&render(&app, 120, 40));
    let line = text.lines().nth(2 + row - d.scroll).unwrap();
    assert!(line.starts_with('5'), "{line}\n{text}");
    // The reading pane shows the annotation on the latest version.
    keys(&mut app, "esc");
    assert!(app.diff().is_none());
    keys(&mut app, "enter");
    assert!(!app.ann.map.marks.is_empty());
}

#[test]
fn the_annotation_list_filters_jumps_edits_relabels_and_deletes_with_confirmation() {
    let mut app = reading();
    keys(&mut app, "a 1 ctrl-s ) ) a 2 ctrl-s");
    assert_eq!(app.ann.set.iter().count(), 2);
    keys(&mut app, "esc A");
    let Some(View::AnnList(list)) = app.top() else {
        panic!("the list: {:?}", app.top())
    };
    assert_eq!(list.shown.len(), 2);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("Annotations (2)"), "{text}");
    assert!(text.contains("Reworded · exact"), "{text}");
    // f: one label at a time.
    keys(&mut app, "f");
    let Some(View::AnnList(list)) = app.top() else {
        panic!()
    };
    assert_eq!(list.shown.len(), 1);
    assert_eq!(list.current().unwrap().label.as_str(), "reworded");
    // e: edit the note.
    keys(&mut app, "e");
    type_text(&mut app, "now with a note");
    let effects = keys(&mut app, "ctrl-s");
    assert_eq!(appended(&effects), 1);
    assert!(
        app.ann
            .set
            .iter()
            .any(|a| a.note.as_deref() == Some("now with a note"))
    );
    // The list stays open after e, its row showing the new note.
    let Some(View::AnnList(list)) = app.top() else {
        panic!("the list stays after e: {:?}", app.top())
    };
    assert_eq!(
        list.current().unwrap().note.as_deref(),
        Some("now with a note")
    );
    // r: relabel, and the list is still there.
    keys(&mut app, "r");
    assert_eq!(app.top(), Some(&View::LabelPick));
    let effects = keys(&mut app, "9");
    assert_eq!(appended(&effects), 1);
    assert!(
        app.ann
            .set
            .iter()
            .any(|a| a.label.as_str() == "context_removed")
    );
    let Some(View::AnnList(list)) = app.top() else {
        panic!("the list stays after r: {:?}", app.top())
    };
    assert!(
        list.rows
            .iter()
            .any(|r| r.label.as_str() == "context_removed"),
        "the row shows the new label"
    );
    // d asks; another key keeps; y deletes.
    keys(&mut app, "esc A d");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Delete this annotation?")
    );
    keys(&mut app, "j");
    assert_eq!(app.ann.set.iter().count(), 2, "kept");
    let effects = keys(&mut app, "d y");
    assert_eq!(appended(&effects), 1);
    assert_eq!(app.ann.set.iter().count(), 1);
    // Enter jumps to the other one in the reading pane.
    keys(&mut app, "esc esc G A enter");
    assert!(app.on_base());
    assert_eq!(app.focus, Pane::Reader);
    assert_eq!(selected_title(&app), "Russia cuts gas supply to region");
    // O: no orphans here.
    keys(&mut app, "O");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("No orphaned annotation")
    );
}

#[test]
fn o_lists_annotations_whose_article_is_gone() {
    use stet::annotate::{Annotation, Granularity, Target, Timestamp};
    let mut app = reading();
    let mut set = AnnotationSet::new();
    let t = Target::from_char_span(
        "gone-1",
        "s-x",
        "Some text that was here.",
        0..9,
        Granularity::Span,
    )
    .unwrap();
    let a = Annotation::new(vec![t], "correction".into(), None, "me", Timestamp::now()).unwrap();
    set.create(a).unwrap();
    app.handle(Msg::AnnotationsOpened {
        set: Box::new(set),
        read_only: None,
        problems: vec![],
        restore: None,
    });
    keys(&mut app, "O");
    let Some(View::AnnList(list)) = app.top() else {
        panic!("{:?}", app.top())
    };
    assert!(list.orphans_only);
    assert_eq!(list.shown.len(), 1);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("orphaned"), "{text}");
    assert!(text.contains("Some text"), "{text}");
    keys(&mut app, "enter");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("not in this corpus")
    );
}

#[test]
fn g_a_steps_through_the_annotations_of_the_article() {
    let mut app = reading();
    keys(&mut app, "a 1 ctrl-s ) ) a 2 ctrl-s ( ( (");
    assert_eq!(app.ann.cursor, 0);
    assert_eq!(app.ann.map.placed.len(), 2);
    keys(&mut app, "g a");
    assert_eq!(app.ann.cursor, 2);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Annotation 2 of 2: Softened (exact)")
    );
    keys(&mut app, "g a");
    assert_eq!(app.status.as_ref().unwrap().text, "No annotation below");
    keys(&mut app, "g A");
    assert_eq!(app.ann.cursor, 0);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("2 annotations"), "{text}");
}

#[test]
fn bracket_a_steps_through_annotations_and_bracket_alone_still_steps_versions() {
    let mut app = reading();
    keys(&mut app, "a 1 ctrl-s ) ) a 2 ctrl-s ( ( (");
    assert_eq!(app.ann.cursor, 0);
    let version = app.version.selected;
    keys(&mut app, "] a");
    assert_eq!(app.ann.cursor, 2, "] a goes to the next annotation");
    assert_eq!(
        app.version.selected, version,
        "and does not step the version"
    );
    keys(&mut app, "[ a");
    assert_eq!(app.ann.cursor, 0);
    // `[` alone waits for a possible `a`; with no key it steps the version when the time is up.
    keys(&mut app, "[");
    assert_eq!(app.version.selected, version, "waits for the next key");
    assert!(app.awaits_key_timeout());
    app.handle(Msg::KeyTimeout);
    assert!(!app.awaits_key_timeout());
    assert_eq!(app.version.selected, version - 1);
    // A key that does not continue the sequence: the version steps, then the key acts.
    keys(&mut app, "] )");
    assert_eq!(app.version.selected, version);
    assert_eq!(app.ann.cursor, 1, ") moved the cursor in the new version");
    // The help lists both.
    let keys_of_next = app.help_lines().into_iter().find_map(|l| match l {
        stet::app::HelpLine::Binding {
            keys,
            name: "next_annotation",
            ..
        } => Some(keys),
        _ => None,
    });
    assert_eq!(keys_of_next.as_deref(), Some("] a, g a"));
}

/// The text of the diff's pieces on one side that pass `keep`, words joined by a space.
fn diff_text_where(
    app: &App,
    left: bool,
    keep: impl Fn(&stet::app::diff::DiffSeg) -> bool,
) -> String {
    let d = app.diff().unwrap();
    let text: String = d
        .rows
        .iter()
        .map(|r| {
            let segs = if left { &r.left } else { &r.right };
            let mut s: String = segs
                .iter()
                .filter(|s| keep(s))
                .map(|s| s.text.as_str())
                .collect();
            s.push(' ');
            s
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The selected words of one side of the diff.
fn diff_selected(app: &App, left: bool) -> String {
    diff_text_where(app, left, |s| s.kind == stet::app::diff::SegKind::Selected)
}

/// The words of one side of the diff that carry an annotation's label.
fn diff_labelled(app: &App, left: bool) -> String {
    diff_text_where(app, left, |s| s.label.is_some())
}

#[test]
fn v_in_the_diff_view_selects_words_on_one_side_and_a_annotates_them() {
    use stet::app::diff::{DiffItem, Side};
    let mut app = app(0, 120, 40);
    keys(&mut app, "d g g ] c");
    let d = app.diff().unwrap();
    assert_eq!(d.side, Side::B, "the new side by default");
    let DiffItem::Op(op) = d.items[d.cursor] else {
        panic!("cursor on a ghost")
    };
    let a_text = d.cmp.ops[op].a.clone().expect("the change has an A side");
    let a_words: Vec<&str> = a_text.split_whitespace().collect();
    assert!(a_words.len() > 4, "{a_text}");
    // h: the old side; v starts on the first word of the cursor's sentence there, ) takes it
    // to the sentence's end.
    keys(&mut app, "h v");
    assert_eq!(diff_selected(&app, true), a_words[0]);
    keys(&mut app, ")");
    let d = app.diff().unwrap();
    assert_eq!(d.side, Side::A);
    assert!(d.selection.is_some());
    assert_eq!(diff_selected(&app, true), a_words.join(" "));
    assert_eq!(diff_selected(&app, false), "", "nothing selected on B");
    // b b: two words off the end (b is not page up while selecting).
    keys(&mut app, "b b");
    let expected = a_words[..a_words.len() - 2].join(" ");
    assert_eq!(diff_selected(&app, true), expected);
    // The rows laid out again for the selection are those a full layout gives.
    let d = app.diff().unwrap();
    let mut full = d.clone();
    full.layout(d.width);
    assert_eq!(full.rows, d.rows);
    // The screen shows the selection's words (and the side marker).
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("▸A:"), "{text}");
    // a: the label picker, then the note: one annotation on A's article with the words.
    keys(&mut app, "a");
    assert_eq!(app.top(), Some(&View::LabelPick));
    let effects = keys(&mut app, "3 ctrl-s");
    assert_eq!(appended(&effects), 1);
    let ann = app.ann.set.iter().next().expect("an annotation");
    assert_eq!(ann.targets.len(), 1, "one side only");
    assert_eq!(ann.targets[0].article, "gas-1");
    assert_eq!(ann.targets[0].quote.exact, expected);
    assert!(app.diff().unwrap().selection.is_none());
    assert_eq!(diff_selected(&app, true), "", "the selection is cleared");
    // The annotated words are marked with the label on the A side, and only them.
    assert_eq!(diff_labelled(&app, true), expected);
    assert_eq!(diff_labelled(&app, false), "");
    assert!(
        app.status.as_ref().unwrap().text.contains("U undoes"),
        "{:?}",
        app.status
    );
    // ) extends by sentence on the B side; Esc cancels the selection, not the diff.
    keys(&mut app, "l v ) )");
    let d = app.diff().unwrap();
    let sel = d.selection.as_ref().expect("selecting");
    assert_eq!(sel.side, Side::B);
    assert!(sel.sentence_span().len() >= 2, "{:?}", sel.sentence_span());
    // The motions work here too: 2w, * (just that word), e, f.
    keys(&mut app, "esc v 2 w *");
    let one = diff_selected(&app, false);
    assert!(!one.is_empty() && !one.contains(' '), "{one:?}");
    keys(&mut app, "e");
    assert_eq!(diff_selected(&app, false).split(' ').count(), 2);
    keys(&mut app, "esc");
    assert!(app.diff().unwrap().selection.is_none());
    keys(&mut app, "U");
    assert_eq!(app.ann.set.iter().count(), 0, "U undid it");
    assert_eq!(diff_labelled(&app, true), "", "the mark went with it");
    keys(&mut app, "esc");
    assert!(app.diff().is_none());
}

#[test]
fn word_motions_counts_and_find_select_part_of_a_sentence_in_a_few_keys() {
    let mut app = reading();
    // Counts repeat a motion.
    keys(&mut app, "v 3 w");
    assert_eq!(selected_text(&app), "The company's spokesman said");
    keys(&mut app, "2 b");
    assert_eq!(selected_text(&app), "The company's");
    keys(&mut app, "g e");
    assert_eq!(selected_text(&app), "The");
    keys(&mut app, "e e");
    assert_eq!(selected_text(&app), "The company's spokesman");
    // t: up to the word before the next one holding the character.
    keys(&mut app, "t w");
    assert_eq!(selected_text(&app), "The company's spokesman said talks");
    // F goes back to a word holding it; T stops after it.
    keys(&mut app, "F y");
    assert_eq!(selected_text(&app), "The company's");
    keys(&mut app, "esc");
    // "the deadline" in six keys: v, the second word with an h, just that word, one more.
    keys(&mut app, "v 2 f h * e");
    assert_eq!(selected_text(&app), "the deadline");
    // A character not found further on says so and keeps the selection.
    keys(&mut app, "f ~");
    assert_eq!(selected_text(&app), "the deadline");
    assert!(
        app.status.as_ref().unwrap().text.contains("No '~'"),
        "{:?}",
        app.status
    );
    // Esc after f cancels the find, not the selection.
    keys(&mut app, "f esc");
    assert_eq!(selected_text(&app), "the deadline");
    keys(&mut app, "a 3");
    type_text(&mut app, "n");
    keys(&mut app, "ctrl-s");
    let anns: Vec<_> = app.ann.set.iter().collect();
    assert_eq!(anns.len(), 1);
    assert_eq!(anns[0].targets[0].quote.exact, "the deadline");
}

#[test]
fn mouse_click_then_drag_selects_words() {
    use stet::app::{MouseInput, MouseKind};
    let mut app = reading();
    // Where a word is drawn.
    let at = |app: &App, w: usize| {
        let inner = app.screen().reader.expect("a reading pane").inner();
        let width = u16::try_from(app.reader_text_width().min(inner.width as usize)).unwrap();
        let left = inner.x + (inner.width - width) / 2;
        let word = &app.ann.map.words[w];
        let line = word.line.expect("on screen") - app.reader.scroll;
        (
            left + u16::try_from(word.cols.start).unwrap() + 1,
            inner.y + u16::try_from(line).unwrap(),
        )
    };
    let mouse = |app: &mut App, kind, (x, y): (u16, u16)| {
        app.handle(Msg::Mouse(MouseInput { kind, x, y }));
    };
    let (from, to) = (at(&app, 1), at(&app, 2));
    mouse(&mut app, MouseKind::Click, from);
    assert!(app.selection().is_none(), "a click only places the cursor");
    assert_eq!(app.ann.cursor_word, Some(1));
    mouse(&mut app, MouseKind::Drag, to);
    assert_eq!(selected_text(&app), "company's spokesman");
    // v after a click starts on the clicked word.
    keys(&mut app, "esc");
    let spokesman = at(&app, 2);
    mouse(&mut app, MouseKind::Click, spokesman);
    keys(&mut app, "v");
    assert_eq!(selected_text(&app), "spokesman");
}

#[test]
fn the_label_picker_and_the_note_leave_the_selection_visible() {
    // The selection near the top, then further down: the popups never cover its rows.
    for moves in ["", "} } } }"] {
        let mut app = reading();
        keys(&mut app, moves);
        keys(&mut app, "v ) a");
        let rows = app.annotated_rows().expect("the selection is on screen");
        assert!(!rows.is_empty(), "{rows:?}");
        let sel = selected_text(&app);
        let first_words: String = sel.split(' ').take(2).collect::<Vec<_>>().join(" ");
        for view in ["label", "note"] {
            if view == "note" {
                keys(&mut app, "3");
                assert!(matches!(app.top(), Some(View::Note { .. })));
            }
            let text = screen_text(&render(&app, 120, 40));
            let lines: Vec<&str> = text.lines().collect();
            for r in rows.clone() {
                let l = lines[r as usize];
                assert!(
                    !l.contains("Label (press") && !l.contains("Ctrl-s saves"),
                    "{view} covers row {r} of the selection:\n{text}"
                );
            }
            assert!(
                text.contains(&first_words),
                "{view}: {first_words:?} hidden:\n{text}"
            );
        }
    }
    // In the diff view the change under the cursor stays visible too.
    let mut app = app(0, 120, 40);
    keys(&mut app, "d g g ] c a");
    let rows = app.annotated_rows().expect("the diff cursor's rows");
    let text = screen_text(&render(&app, 120, 40));
    let lines: Vec<&str> = text.lines().collect();
    for r in rows {
        assert!(
            !lines[r as usize].contains("Label (press"),
            "the picker covers the change:\n{text}"
        );
    }
}

#[test]
fn the_note_editor_moves_its_cursor_and_edits_there() {
    let mut app = reading();
    keys(&mut app, "a 3");
    assert!(matches!(app.top(), Some(View::Note { .. })));
    type_text(&mut app, "people");
    // Home, then typing goes in front; the cursor is drawn where it is.
    keys(&mut app, "home");
    type_text(&mut app, "12 ");
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("12 ▏people"), "{text}");
    // A second line; Up keeps the column, End goes to the line's end.
    keys(&mut app, "end enter");
    type_text(&mut app, "second");
    keys(&mut app, "up end");
    type_text(&mut app, "!");
    // Word jumps and Delete.
    keys(&mut app, "ctrl-left ctrl-left delete");
    keys(&mut app, "left backspace right right");
    type_text(&mut app, "x");
    keys(&mut app, "ctrl-s");
    let anns: Vec<_> = app.ann.set.iter().collect();
    assert_eq!(anns[0].note.as_deref(), Some("2 xpeople!\nsecond"));
}

#[test]
fn c_in_the_annotation_list_confirms_a_fuzzy_anchor() {
    use stet::annotate::{AnchorStatus, Granularity, Target, Timestamp};
    let mut app = reading();
    keys(&mut app, "v ) a 1 ctrl-s");
    let ann = app.ann.set.iter().next().expect("an annotation").clone();
    let t = &ann.targets[0];
    // The annotation as made on an earlier text: one word different.
    let body = app.ann.map.body.replace("spokesman", "spokesperson");
    let end = body.find("moved.").expect("the sentence") + "moved.".len();
    let old = Target::from_char_span(
        &t.article,
        &t.story,
        &body,
        0..body[..end].chars().count(),
        Granularity::Span,
    )
    .unwrap();
    app.ann
        .set
        .retarget(&ann.id, vec![old], Timestamp::now())
        .unwrap();
    app.ann.generation += 1;
    keys(&mut app, "A");
    let Some(View::AnnList(list)) = app.top() else {
        panic!("the list")
    };
    assert_eq!(list.current().unwrap().status, AnchorStatus::Fuzzy);
    let effects = keys(&mut app, "c");
    assert_eq!(appended(&effects), 1, "the confirmation is stored");
    let Some(View::AnnList(list)) = app.top() else {
        panic!("the list stays")
    };
    assert_eq!(list.current().unwrap().status, AnchorStatus::Exact);
    let now = app.ann.set.get(&ann.id).unwrap();
    assert!(
        now.targets[0]
            .quote
            .exact
            .starts_with("The company's spokesman said"),
        "{}",
        now.targets[0].quote.exact
    );
    // Again: already exact.
    keys(&mut app, "c");
    assert!(app.status.as_ref().unwrap().text.contains("Already exact"));
}

#[test]
fn the_selection_is_a_view_on_the_stack_that_ends_with_the_reading_pane() {
    use stet::app::{Context, HintBar};
    let mut app = reading();
    assert!(app.layers.is_empty());
    keys(&mut app, "v w");
    // The selection is the top view: it names the keys and the hints.
    assert!(matches!(app.layers.as_slice(), [View::Select(_)]));
    assert_eq!(
        app.key_chain(),
        vec![Context::Select, Context::Reader, Context::Global]
    );
    assert_eq!(app.hint_bar(), HintBar::Selecting);
    let sel = app.selection().expect("a selection");
    // The help opens above it and closes back onto it.
    keys(&mut app, "?");
    assert!(matches!(
        app.layers.as_slice(),
        [View::Select(_), View::Help { .. }]
    ));
    keys(&mut app, "esc");
    assert_eq!(app.selection(), Some(sel));
    assert_eq!(app.key_chain()[0], Context::Select);
    // Leaving the reading pane ends it; so does the raw text (no words to select).
    keys(&mut app, "tab");
    assert_ne!(app.focus, Pane::Reader);
    assert!(app.selection().is_none() && app.layers.is_empty());
    let mut app = reading();
    keys(&mut app, "v r");
    assert!(app.selection().is_none() && app.layers.is_empty());
    assert_eq!(app.key_chain()[0], Context::Reader);
}
