//! Reopening a corpus through the derived store gives what a first load gives: after no
//! change (from the state, no file read), and after files are added, removed and edited
//! (only they read again).

use std::path::{Path, PathBuf};

use super::*;
use crate::corpus::Story;
use crate::corpus::group::GroupSettings;
use crate::corpus::load::{LoadOptions, load_paths};

/// Each article's id, title, source, date and text, and the stories.
type Seen = (
    Vec<(String, String, String, Option<String>, Vec<String>)>,
    Vec<Story>,
);

const TAIL: &str = "Kestrel Daily is printed every morning at six.";

fn record(id: &str, title: &str, body: &str) -> String {
    serde_json::json!({
        "id": id,
        "title": title,
        "source": "kestrel",
        "date": "2026-03-02T10:00:00Z",
        "text": format!("{body}\n\n{TAIL}"),
    })
    .to_string()
        + "\n"
}

fn body(n: usize) -> String {
    // Told apart by words (digits are normalised away when boilerplate is learned).
    let n = ["north", "south", "east", "west", "island", "river"][n];
    format!(
        "The harbour board met on Monday to discuss the ferry timetable for route {n}. \
         Officials said the new crossings would start in April and run twice a day.\n\n\
         Residents asked for a later evening sailing on route {n}, and the board agreed to \
         study it before the summer."
    )
}

/// A corpus of two JSONL files (five records of one source ending with the same line, so it
/// is learned as boilerplate) and two text files.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let c = dir.join("corpus");
    std::fs::create_dir_all(&c).unwrap();
    let mut one = String::new();
    for i in 0..3 {
        one.push_str(&record(
            &format!("w{i}"),
            &format!("Ferry route {i} timetable"),
            &body(i),
        ));
    }
    std::fs::write(c.join("wire1.jsonl"), one).unwrap();
    let mut two = String::new();
    for i in 3..5 {
        two.push_str(&record(
            &format!("w{i}"),
            &format!("Ferry route {i} timetable"),
            &body(i),
        ));
    }
    // A resend of record w0, a version of it.
    two.push_str(&record("w0b", "Ferry route 0 timetable", &body(0)));
    std::fs::write(c.join("wire2.jsonl"), two).unwrap();
    std::fs::write(
        c.join("note.txt"),
        "Council budget approved\n\nThe council approved its budget on Tuesday after a long debate.\n",
    )
    .unwrap();
    std::fs::write(
        c.join("other.txt"),
        "Library hours extended\n\nThe town library will open on Sundays from May.\n",
    )
    .unwrap();
    vec![c]
}

fn open(cache: &Path, paths: &[PathBuf]) -> Opened {
    open_rows(cache, paths, false)
}

/// Opens with the default options, the reader's lean rows or not.
fn open_rows(cache: &Path, paths: &[PathBuf], lean_rows: bool) -> Opened {
    open_options(cache, paths, Regroup::default(), lean_rows)
}

/// Opens with the default load and grouping options, `regroup` and `lean_rows` as given.
fn open_options(cache: &Path, paths: &[PathBuf], regroup: Regroup, lean_rows: bool) -> Opened {
    let load = LoadOptions::default();
    let settings = GroupSettings::default();
    let o = OpenOptions {
        load: &load,
        load_desc: "",
        settings: &settings,
        full_text: false,
        regroup,
        lean_rows,
        // The texts are dropped and read back, as a large corpus's are.
        shed_above: 0,
    };
    open_corpus(cache, paths, &o, &|_| {}).unwrap()
}

/// What a listing and the text views see: every article's id, title, source, date and
/// (read through the store) text, and the stories.
fn seen(op: &Opened) -> Seen {
    let arts = op
        .corpus
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let text = match &op.texts {
                Some(t) => t.text(i, a).unwrap().paragraphs,
                None => a.paragraphs.clone(),
            };
            (
                a.id.to_string(),
                a.title.clone(),
                a.source.to_string(),
                a.date.as_deref().map(str::to_string),
                text,
            )
        })
        .collect();
    (arts, op.stories.clone())
}

/// The same, from a first load without any store.
fn cold(paths: &[PathBuf]) -> Seen {
    let c = load_paths(paths, &LoadOptions::default(), &|_| {});
    let stories = crate::corpus::group::group(&c.articles, &GroupSettings::default(), &|_| {});
    let arts = c
        .articles
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                a.title.clone(),
                a.source.to_string(),
                a.date.as_deref().map(str::to_string),
                a.paragraphs.clone(),
            )
        })
        .collect();
    (arts, stories)
}

#[test]
fn a_reopened_unchanged_corpus_comes_from_the_state_without_text_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    let first = open(&cache, &paths);
    assert!(!first.reopen.from_state);
    assert_eq!(first.reopen.read, 4);
    assert_eq!(seen(&first), cold(&paths));
    // The boilerplate line was learned and is not in the texts.
    assert!(
        seen(&first)
            .0
            .iter()
            .all(|a| !a.4.iter().any(|p| p.contains("Kestrel Daily")))
    );
    let again = open(&cache, &paths);
    assert!(again.reopen.from_state, "{:?}", again.reopen);
    assert_eq!(again.reopen.read, 0);
    assert!(again.texts.is_some());
    // A titled article without byline, dateline, deck or story key holds nothing out of
    // line, after a first open as after a reopen.
    for op in [&first, &again] {
        let titled = op.corpus.articles.iter().filter(|a| !a.title.is_empty());
        assert_eq!(titled.clone().count(), 8);
        assert!(titled.clone().all(|a| a.more.is_none()));
    }
    assert!(
        again
            .corpus
            .articles
            .iter()
            .all(|a| a.paragraphs.is_empty() && a.raw.is_empty()),
        "no text held"
    );
    assert_eq!(
        again.corpus.articles[0].word_count(),
        first.corpus.articles[0].word_count()
    );
    assert_eq!(seen(&again), cold(&paths));
    // The raw text comes back too (the reader's raw view).
    let t = again.texts.as_ref().unwrap();
    let w0 = again
        .corpus
        .articles
        .iter()
        .position(|a| a.id == "w0")
        .unwrap();
    let text = t.text(w0, &again.corpus.articles[w0]).unwrap();
    assert!(text.raw.contains(TAIL), "{:?}", text.raw);
    assert!(text.removed.iter().any(|r| r.text == TAIL));
    // Read again by place alone, from texts opened without the corpus (a search index's
    // snippets): the same cleaned paragraphs, boilerplate off; a place whose record is not
    // the one kept there gives nothing.
    let place = t.place(w0, &again.corpus.articles[w0]).unwrap();
    let reopened = super::reopen_texts(&t.locator().unwrap());
    let by_place = reopened.cleaned_at(&place).unwrap();
    assert_eq!(
        by_place.paragraphs,
        t.cleaned(w0, &again.corpus.articles[w0])
            .unwrap()
            .paragraphs
    );
    assert!(
        !by_place
            .paragraphs
            .iter()
            .any(|p| p.contains("Kestrel Daily"))
    );
    // What an index build reads (the row decoded in part): the same paragraphs, for every
    // article.
    for (i, a) in again.corpus.articles.iter().enumerate() {
        assert_eq!(
            t.indexed(i, a).unwrap().paragraphs,
            t.cleaned(i, a).unwrap().paragraphs,
            "{}",
            a.id
        );
    }
    let other = crate::corpus::texts::TextPlace {
        hash: "0000000000000000".into(),
        ..place.clone()
    };
    assert!(reopened.cleaned_at(&other).is_none());
    let beyond = crate::corpus::texts::TextPlace {
        n: 9999,
        ..place.clone()
    };
    assert!(reopened.cleaned_at(&beyond).is_none());
    assert!(
        super::reopen_texts(&serde_json::json!({"db": 1}))
            .cleaned_at(&place)
            .is_none()
    );
}

#[test]
fn added_removed_and_edited_files_are_read_again_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    let dir = &paths[0];
    open(&cache, &paths);
    // Added.
    std::fs::write(
        dir.join("new.txt"),
        "Bridge closed\n\nThe old bridge closed for repairs.\n",
    )
    .unwrap();
    let op = open(&cache, &paths);
    assert_eq!(
        (op.reopen.read, op.reopen.reused),
        (1, 4),
        "{:?}",
        op.reopen
    );
    assert_eq!(seen(&op), cold(&paths));
    // Edited: same length, the old mtime put back.
    let f = dir.join("note.txt");
    let mtime = std::fs::metadata(&f).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("Tuesday", "Thursday")
        .replace("long", "");
    let text = format!(
        "{text}{}",
        " ".repeat(usize::try_from(std::fs::metadata(&f).unwrap().len()).unwrap() - text.len())
    );
    std::fs::write(&f, &text).unwrap();
    assert_eq!(
        usize::try_from(std::fs::metadata(&f).unwrap().len()).unwrap(),
        text.len()
    );
    std::fs::File::options()
        .write(true)
        .open(&f)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let op = open(&cache, &paths);
    assert_eq!(
        (op.reopen.read, op.reopen.reused),
        (1, 4),
        "{:?}",
        op.reopen
    );
    assert!(
        seen(&op)
            .0
            .iter()
            .any(|a| a.4.iter().any(|p| p.contains("Thursday")))
    );
    assert_eq!(seen(&op), cold(&paths));
    // Touched only: hashed, not read.
    std::fs::File::options()
        .write(true)
        .open(dir.join("other.txt"))
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    let op = open(&cache, &paths);
    assert!(op.reopen.from_state, "{:?}", op.reopen);
    // Removed: the boilerplate is no longer learned (three articles of the source left), so
    // the unchanged file's texts change too, as in a first load.
    std::fs::remove_file(dir.join("wire2.jsonl")).unwrap();
    let op = open(&cache, &paths);
    assert_eq!(
        (op.reopen.read, op.reopen.removed),
        (0, 1),
        "{:?}",
        op.reopen
    );
    let now = seen(&op);
    assert_eq!(now, cold(&paths));
    assert!(
        now.0
            .iter()
            .any(|a| a.4.iter().any(|p| p.contains("Kestrel Daily")))
    );
    let again = open(&cache, &paths);
    assert!(again.reopen.from_state);
    assert_eq!(seen(&again), now);
}

#[test]
fn a_damaged_or_old_store_is_rebuilt_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    let want = cold(&paths);
    open(&cache, &paths);
    let db = cache.join(DERIVED_DB_FILE);
    // Garbage over the database.
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    std::fs::write(&db, b"this is not a database at all, just some bytes").unwrap();
    let op = open(&cache, &paths);
    assert!(
        op.notes.iter().any(|n| n.contains("rebuilt")),
        "{:?}",
        op.notes
    );
    assert_eq!(seen(&op), want);
    // An older schema.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "user_version", 2).unwrap();
    }
    let op = open(&cache, &paths);
    assert!(
        op.notes.iter().any(|n| n.contains("schema 2")),
        "{:?}",
        op.notes
    );
    assert_eq!(seen(&op), want);
    // Schema 4, whose rows were JSON: rebuilt once, the rows binary again.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute(
            "UPDATE articles SET text = x'007b226964223a2261227d' WHERE n = 0",
            [],
        )
        .unwrap();
        c.pragma_update(None, "user_version", 4).unwrap();
    }
    let op = open(&cache, &paths);
    assert!(
        op.notes.iter().any(|n| n.contains("schema 4")),
        "{:?}",
        op.notes
    );
    assert_eq!(seen(&op), want);
    let again = open(&cache, &paths);
    assert!(again.notes.is_empty(), "{:?}", again.notes);
    assert_eq!(seen(&again), want);
    // A state that does not decode, and a text row that does not.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute("UPDATE meta SET value = x'ffffff' WHERE name = 'state'", [])
            .unwrap();
    }
    let op = open(&cache, &paths);
    assert!(
        op.notes.iter().any(|n| n.contains("did not decode")),
        "{:?}",
        op.notes
    );
    assert_eq!(seen(&op), want);
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute("UPDATE articles SET text = x'00' WHERE n = 0", [])
            .unwrap();
        c.execute("DELETE FROM meta WHERE name = 'state'", [])
            .unwrap();
    }
    let op = open(&cache, &paths);
    assert_eq!(op.reopen.read, 4, "rows that do not decode are read again");
    assert_eq!(seen(&op), want);
}

#[test]
fn an_older_stets_json_state_is_regrouped_from_the_stored_articles_without_reading_files() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    let want = cold(&paths);
    open(&cache, &paths);
    let db = cache.join(DERIVED_DB_FILE);
    {
        // The state as stets before the binary form wrote it: a flag byte 0, then JSON.
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute(
            "UPDATE meta SET value = x'007b2273657474696e6773223a7b7d7d' WHERE name = 'state'",
            [],
        )
        .unwrap();
    }
    let op = open(&cache, &paths);
    assert!(!op.reopen.from_state);
    assert_eq!(
        (op.reopen.read, op.reopen.reused),
        (0, 4),
        "{:?}",
        op.reopen
    );
    assert!(
        op.notes.iter().any(|n| n.contains("older stet")),
        "{:?}",
        op.notes
    );
    assert_eq!(seen(&op), want);
    // The new state written: the next open is from it, and lists the same.
    let again = open(&cache, &paths);
    assert!(again.reopen.from_state, "{:?}", again.reopen);
    assert!(again.notes.is_empty(), "{:?}", again.notes);
    assert_eq!(seen(&again), want);
    let first = &op.corpus.articles;
    let lazy = &again.corpus.articles;
    for (a, b) in first.iter().zip(lazy) {
        assert_eq!(
            (
                &a.id,
                &a.key,
                &a.path,
                a.line,
                &a.url,
                &a.byline,
                &a.dateline
            ),
            (
                &b.id,
                &b.key,
                &b.path,
                b.line,
                &b.url,
                &b.byline,
                &b.dateline
            )
        );
        assert_eq!(
            (a.timestamp, a.date_inferred),
            (b.timestamp, b.date_inferred)
        );
        assert_eq!(a.word_count(), b.word_count());
    }
}

#[test]
fn two_openers_at_once_both_get_the_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    let want = cold(&paths);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| seen(&open(&cache, &paths)));
        let b = s.spawn(|| seen(&open(&cache, &paths)));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a, want);
    assert_eq!(b, want);
}

#[test]
fn annotations_made_on_a_first_open_attach_exactly_after_a_reopen() {
    use crate::annotate::{
        AnchorStatus, Annotation, Granularity, Target, Timestamp, anchor_corpus, anchor_corpus_with,
    };
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    let first = load_paths(&paths, &LoadOptions::default(), &|_| {});
    let i = first.articles.iter().position(|a| a.id == "w3").unwrap();
    let body = first.articles[i].body();
    let start = body.find("evening sailing").unwrap();
    let mut t = Target::from_char_span(
        "w3",
        "s",
        &body,
        start..start + "evening sailing".len(),
        Granularity::Word,
    )
    .unwrap();
    t.key = Some(first.articles[i].key.clone());
    let ann = Annotation::new(
        vec![t],
        "reworded".into(),
        None,
        "test",
        Timestamp::from_unix(1),
    )
    .unwrap();
    open(&cache, &paths);
    let op = open(&cache, &paths);
    assert!(op.reopen.from_state);
    let lib = crate::app::Library::new(op.corpus, op.stories).with_texts(op.texts.unwrap());
    let mut lib = lib;
    // Without its text the quote is not found; with the text read on demand, exactly.
    let j = crate::annotate::anchor::resolve_target(&lib.corpus, &ann.targets[0]).unwrap();
    assert_eq!(lib.corpus.articles[j].id, "w3");
    assert_eq!(
        anchor_corpus(&lib.corpus, &[&ann])[0][0].status,
        AnchorStatus::Orphaned
    );
    lib.ensure_articles(&[j]);
    let anchors = anchor_corpus_with(&lib.corpus, &[&ann], &|i| lib.body_of(i));
    assert_eq!(anchors[0][0].status, AnchorStatus::Exact);
}

/// Each story as the sorted ids of its articles, with its id; sorted.
fn partition(op: &Opened) -> Vec<(Vec<String>, String)> {
    let mut out: Vec<(Vec<String>, String)> = op
        .stories
        .iter()
        .map(|s| {
            let mut m: Vec<String> = s
                .versions
                .iter()
                .map(|v| op.corpus.articles[v.article].id.to_string())
                .collect();
            m.sort();
            (m, s.id.to_string())
        })
        .collect();
    out.sort();
    out
}

/// Each story's id, title, dates, related ids and versions (article id and similarity),
/// in order.
type Told = (
    String,
    String,
    Option<String>,
    Vec<String>,
    Vec<(String, f32)>,
);

fn told(op: &Opened) -> Vec<Told> {
    op.stories
        .iter()
        .map(|s| {
            let v = s
                .versions
                .iter()
                .map(|v| (op.corpus.articles[v.article].id.to_string(), v.similarity))
                .collect();
            (
                s.id.to_string(),
                s.title.clone(),
                s.first_date.as_ref().map(ToString::to_string),
                s.related.iter().map(ToString::to_string).collect(),
                v,
            )
        })
        .collect()
}

fn open_with(cache: &Path, paths: &[PathBuf], regroup: Regroup) -> Opened {
    open_options(cache, paths, regroup, false)
}

/// Generated records (`stet-gen` from ../shared/data), as JSON lines; `None` when the data
/// is absent (the caller skips, saying so).
fn generated(n: usize, seed: u64) -> Option<Vec<String>> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let (articles, _) = stet_gen::generate_from_data(
        &d,
        &stet_gen::GenerateOptions {
            articles: n,
            seed,
            ..Default::default()
        },
    )?;
    let mut out = Vec::new();
    stet_gen::write_jsonl(&mut out, &articles).unwrap();
    Some(
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| format!("{l}\n"))
            .collect(),
    )
}

/// Grouping only what changed gives the stories a full grouping gives, and keeps the ids
/// of the stories that did not change: a file of later records added (new versions of
/// stories and new stories), that file changed (records dropped, one edited), a file
/// removed.
#[test]
fn grouping_only_what_changed_equals_grouping_everything() {
    let Some(lines) = generated(1000, 11) else {
        eprintln!("skipping: ../shared/data is absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let paths = vec![dir.clone()];
    let cache = tmp.path().join("cache");
    let full = |paths: &[PathBuf]| {
        let c = tmp.path().join("full-cache");
        let _ = std::fs::remove_dir_all(&c);
        partition(&open_with(&c, paths, Regroup::All))
    };
    let ids_of = |p: &[(Vec<String>, String)]| -> std::collections::HashMap<Vec<String>, String> {
        p.iter().cloned().collect()
    };
    // The records are in a shuffled order: the last 200 hold later versions of earlier
    // stories and stories of their own.
    std::fs::write(dir.join("a.jsonl"), lines[..500].concat()).unwrap();
    std::fs::write(dir.join("b.jsonl"), lines[500..800].concat()).unwrap();
    let first = open_with(&cache, &paths, Regroup::Changed);
    let before = partition(&first);
    let before_told = told(&first);
    drop(first);
    std::fs::write(dir.join("c.jsonl"), lines[800..].concat()).unwrap();
    let op = open_with(&cache, &paths, Regroup::ChangedAlways);
    assert_eq!(op.reopen.regrouped, Some(200), "{:?}", op.reopen);
    let after = partition(&op);
    let joined = after
        .iter()
        .filter(|(m, _)| m.len() > 1 && !before.iter().any(|(b, _)| b == m))
        .count();
    assert!(joined > 20, "the added file joins stories: {joined}");
    let want = full(&paths);
    let members = |p: &[(Vec<String>, String)]| p.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(members(&after), members(&want));
    // Untouched stories keep their ids; the full grouping (same previous ids) agrees.
    let old = ids_of(&before);
    for (m, id) in &after {
        if let Some(o) = old.get(m) {
            assert_eq!(o, id, "{m:?}");
        }
    }
    // The next open is from the state, and the same.
    let again = open_with(&cache, &paths, Regroup::Changed);
    assert!(again.reopen.from_state);
    assert_eq!(partition(&again), after);
    // Changed: records dropped and one edited.
    let mut c: Vec<String> = lines[800..].iter().step_by(2).cloned().collect();
    c[3] = c[3].replace("\"title\":\"", "\"title\":\"UPDATE 1-");
    std::fs::write(dir.join("c.jsonl"), c.concat()).unwrap();
    let op = open_with(&cache, &paths, Regroup::ChangedAlways);
    assert_eq!(op.reopen.regrouped, Some(100), "{:?}", op.reopen);
    assert_eq!(members(&partition(&op)), members(&full(&paths)));
    // Removed.
    std::fs::remove_file(dir.join("c.jsonl")).unwrap();
    let op = open_with(&cache, &paths, Regroup::ChangedAlways);
    assert_eq!(op.reopen.regrouped, Some(0), "{:?}", op.reopen);
    let now = partition(&op);
    assert_eq!(members(&now), members(&full(&paths)));
    assert_eq!(members(&now), members(&before));
    // Back to what it was: the stories are what they were, ids and similarities too.
    assert_eq!(now, before);
    assert_eq!(told(&op), before_told);
    // Articles and their text read back through the store are what a first load gives.
    assert_eq!(seen(&op).0, cold(&paths).0);
}

/// A large change groups everything again; `Regroup::All` always does.
#[test]
fn a_large_change_or_regroup_all_groups_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    open_with(&cache, &paths, Regroup::Changed);
    // One article of seven: grouped alone.
    std::fs::write(
        paths[0].join("new.txt"),
        "Bridge closed\n\nThe old bridge closed for repairs.\n",
    )
    .unwrap();
    let op = open_with(&cache, &paths, Regroup::Changed);
    assert_eq!(op.reopen.regrouped, Some(1), "{:?}", op.reopen);
    assert_eq!(seen(&op), cold(&paths));
    // Three of eight removed: everything.
    std::fs::remove_file(paths[0].join("wire2.jsonl")).unwrap();
    let op = open_with(&cache, &paths, Regroup::Changed);
    assert_eq!(op.reopen.regrouped, None, "{:?}", op.reopen);
    assert_eq!(seen(&op), cold(&paths));
    std::fs::write(
        paths[0].join("new.txt"),
        "Bridge open\n\nThe bridge opened.\n",
    )
    .unwrap();
    let op = open_with(&cache, &paths, Regroup::All);
    assert_eq!(op.reopen.regrouped, None, "{:?}", op.reopen);
    assert_eq!(seen(&op), cold(&paths));
}

/// An added file of a source no other article has is cleaned of that source's boilerplate
/// as a first load cleans it; a source learned before keeps its lines.
#[test]
fn an_added_source_learns_its_boilerplate() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    open_with(&cache, &paths, Regroup::Changed);
    let mut f = String::new();
    for i in 0..5 {
        f.push_str(
            &record(&format!("o{i}"), &format!("Osprey item {i}"), &body(i))
                .replace("kestrel", "osprey")
                .replace(TAIL, "Osprey Evening Post, all rights reserved."),
        );
    }
    std::fs::write(paths[0].join("osprey.jsonl"), f).unwrap();
    let op = open_with(&cache, &paths, Regroup::ChangedAlways);
    assert_eq!(op.reopen.regrouped, Some(5), "{:?}", op.reopen);
    let now = seen(&op);
    assert!(
        now.0
            .iter()
            .all(|a| !a.4.iter().any(|p| p.contains("all rights reserved"))),
        "the new source's line is learned"
    );
    assert_eq!(now, cold(&paths));
}

#[test]
fn a_reader_reopen_leaves_the_titles_and_urls_to_be_read_with_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("corpus");
    std::fs::create_dir_all(&c).unwrap();
    let mut lines = String::new();
    for i in 0..4 {
        // u3 is untitled: the list shows its opening words.
        let title = if i == 3 {
            String::new()
        } else {
            format!("Ferry {i}")
        };
        let mut r: serde_json::Value =
            serde_json::from_str(&record(&format!("u{i}"), &title, &body(i))).unwrap();
        if i != 1 {
            r["url"] = format!("https://kestrel.example/ferry-{i}").into();
        }
        lines.push_str(&format!("{r}\n"));
    }
    std::fs::write(c.join("urls.jsonl"), lines).unwrap();
    let paths = vec![c];
    let cache = tmp.path().join("cache");
    let open_as = |lean_rows: bool| open_rows(&cache, &paths, lean_rows);
    let url_of = |op: &Opened, id: &str| {
        let a = op.corpus.articles.iter().find(|a| a.id == id).unwrap();
        a.url.clone()
    };
    // A first open reads the files: the URLs are there.
    let first = open_as(true);
    assert!(!first.reopen.from_state);
    assert_eq!(
        url_of(&first, "u0").as_deref(),
        Some("https://kestrel.example/ferry-0")
    );
    // The reader's reopen: no title or URL in the rows; each comes with its article's text.
    let lazy = open_as(true);
    assert!(lazy.reopen.from_state);
    assert!(
        lazy.corpus
            .articles
            .iter()
            .all(|a| a.url.is_none() && a.title.is_empty())
    );
    let texts = lazy.texts.as_ref().unwrap();
    assert!(texts.gives_titles_and_urls());
    for (id, want) in [
        ("u0", Some("https://kestrel.example/ferry-0")),
        ("u1", None),
        ("u2", Some("https://kestrel.example/ferry-2")),
        ("u3", Some("https://kestrel.example/ferry-3")),
    ] {
        let i = lazy
            .corpus
            .articles
            .iter()
            .position(|a| a.id == id)
            .unwrap();
        let t = texts.text(i, &lazy.corpus.articles[i]).unwrap();
        assert_eq!(t.url.as_deref(), want, "{id}");
        assert_eq!(url_of(&first, id).as_deref(), want, "{id}");
        let title = &first
            .corpus
            .articles
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .title;
        assert_eq!(t.title.as_ref(), Some(title), "{id}");
        // Only the untitled article holds its text (its opening words are listed).
        let a = &lazy.corpus.articles[i];
        assert_eq!(!a.paragraphs.is_empty(), id == "u3", "{id}");
    }
    // Read through the reader's texts: filled with the text, gone with it.
    let mut lt = crate::corpus::texts::LazyTexts::new(texts.clone(), 1);
    lt.ensure(&lazy.corpus.articles, &[0]);
    let got = lt.filled(0).unwrap();
    let want = first
        .corpus
        .articles
        .iter()
        .find(|a| a.id == lazy.corpus.articles[0].id)
        .unwrap();
    assert_eq!((&got.url, &got.title), (&want.url, &want.title));
    lt.ensure(&lazy.corpus.articles, &[1]);
    assert!(lt.filled(0).is_none());
    // Every other opener keeps the titles and URLs in the rows, and its texts give none.
    let full = open_as(false);
    assert!(full.reopen.from_state);
    assert_eq!(
        url_of(&full, "u2").as_deref(),
        Some("https://kestrel.example/ferry-2")
    );
    assert_eq!(seen(&full).0, seen(&first).0);
    let texts = full.texts.as_ref().unwrap();
    assert!(!texts.gives_titles_and_urls());
    let t = texts.text(0, &full.corpus.articles[0]).unwrap();
    assert_eq!((t.url, t.title), (None, None));
}

#[test]
fn a_first_open_that_crashed_midway_is_built_again_from_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = corpus(tmp.path());
    let cache = tmp.path().join("cache");
    let want = cold(&paths);
    // What a first open killed midway leaves: its half-built file, no database in place.
    std::fs::create_dir_all(&cache).unwrap();
    let building = cache.join(super::BUILDING_FILE);
    std::fs::write(&building, b"half a database, cut off").unwrap();
    std::fs::write(format!("{}-journal", building.display()), b"junk").unwrap();
    let op = open(&cache, &paths);
    assert_eq!(op.reopen.read, 4);
    assert!(op.notes.is_empty(), "{:?}", op.notes);
    assert_eq!(seen(&op), want);
    assert!(cache.join(DERIVED_DB_FILE).exists());
    assert!(!building.exists());
    assert!(!std::path::PathBuf::from(format!("{}-journal", building.display())).exists());
    // Reopened from the store put in place, as after any first open.
    let again = open(&cache, &paths);
    assert!(again.reopen.from_state, "{:?}", again.reopen);
    assert_eq!(seen(&again), want);
}

#[test]
fn a_new_files_hash_is_taken_as_it_is_read_and_is_its_content_hash() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = corpus(tmp.path());
    // A gzip JSONL file streams too: its hash is of the compressed bytes, as a check takes it.
    let gz = tmp.path().join("corpus").join("wire3.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(record("w9", "Ferry route 9 timetable", &body(5)).as_bytes())
        .unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    paths.push(gz);
    let cache = tmp.path().join("cache");
    let first = open(&cache, &paths);
    let (store, _) = DerivedStore::open(&cache).unwrap();
    let hashes: Vec<(String, String)> = store
        .conn
        .prepare("SELECT path, hash FROM files ORDER BY path")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(store);
    assert_eq!(hashes.len(), 5, "{hashes:?}");
    for (path, hash) in &hashes {
        assert_eq!(hash, &content_hash(Path::new(path)).unwrap(), "{path}");
    }
    // So a reopen finds every file unchanged, and a touched one (same bytes) only touched.
    let again = open(&cache, &paths);
    assert_eq!(seen(&again), seen(&first));
    let wire = tmp.path().join("corpus").join("wire1.jsonl");
    let bytes = std::fs::read(&wire).unwrap();
    std::fs::write(&wire, &bytes).unwrap();
    let (store, _) = DerivedStore::open(&cache).unwrap();
    let statuses = store.check(std::slice::from_ref(&wire)).unwrap();
    assert!(
        matches!(statuses[..], [FileStatus::Touched(_)]),
        "{statuses:?}"
    );
}

#[test]
fn a_hash_seen_out_of_order_is_not_taken_and_one_seen_in_part_is_of_what_was_read() {
    use crate::corpus::load::ReadTap;
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("w.jsonl");
    std::fs::write(&file, "abcdef").unwrap();
    let whole = ReadHash::new();
    whole.read(b"abc");
    whole.read(b"def");
    assert_eq!(whole.of_read().unwrap(), content_hash(&file).unwrap());
    // Split anywhere, the same bytes give the same hash.
    let other = ReadHash::new();
    other.read(b"a");
    other.read(b"bcdef");
    assert_eq!(other.of_read(), whole.of_read());
    // Looked at where it lies: no hash, the file is hashed after.
    let spoiled = ReadHash::new();
    spoiled.read(b"abcdef");
    spoiled.spoil();
    assert_eq!(spoiled.of_read(), None);
    let stat = super::stat(&file).unwrap();
    let print = open::fingerprint(&file, &FileStatus::New(stat), &spoiled).unwrap();
    assert_eq!(print.hash, content_hash(&file).unwrap());
    // Appended to after its stat was taken and after the loader read "abc" to its end: the
    // fingerprint is of what was loaded, so the next check sees the file changed (hashing
    // the file now would call the records appended unchanged, never to be read).
    let loaded = tmp.path().join("loaded");
    std::fs::write(&file, "abc").unwrap();
    std::fs::write(&loaded, "abc").unwrap();
    let stat = super::stat(&file).unwrap();
    let part = ReadHash::new();
    part.read(b"abc");
    std::fs::write(&file, "abcdef").unwrap();
    let print = open::fingerprint(&file, &FileStatus::New(stat), &part).unwrap();
    assert_eq!(print.hash, content_hash(&loaded).unwrap());
    assert_ne!(print.hash, content_hash(&file).unwrap());
}
