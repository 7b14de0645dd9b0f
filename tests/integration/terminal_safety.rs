//! Terminal safety: article text full of escape sequences (CSI, OSC 52 clipboard writes, OSC 8
//! links, title changes, bells, C1 controls, bidi overrides) in every field a corpus can carry,
//! pushed through every reader view and every CLI command. The bytes written are checked: the
//! only escape sequences allowed are the renderer's own CSI cursor, style and mode sequences;
//! no BEL, no OSC/DCS/APC, no C1 control, no bidi control, no invalid UTF-8.
//!
//! Three paths: the views drawn in-process through ratatui's crossterm backend into a byte
//! buffer (the same bytes a terminal would get); the real binary in tmux with every byte it
//! writes recorded by `pipe-pane`; and the CLI's plain and JSON output.

use crate::cli_support;
use crate::tmux_support;
use crate::tui_support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use stet::app::{App, Library, Msg, View};
use stet::config::Config;
use stet::corpus::load::{LoadOptions, load_paths};
use tmux_support::Tmux;
use tui_support::{keys, type_text};

/// Every kind of terminal control an attacker can put into scraped text.
const PAYLOAD: &str = concat!(
    "CSI \u{1b}[31mRED\u{1b}[0m clear \u{1b}[2J home \u{1b}[10;10H ",
    "altscreen-off \u{1b}[?1049l report \u{1b}[6n ",
    "OSC52 \u{1b}]52;c;SGVsbG8gd29ybGQ=\u{7} ",
    "OSC8 \u{1b}]8;;https://evil.example/\u{1b}\\click me\u{1b}]8;;\u{1b}\\ ",
    "title \u{1b}]0;pwned\u{7} title2 \u{1b}]2;pwned2\u{1b}\\ ",
    "DCS \u{1b}P+q544e\u{1b}\\ APC \u{1b}_G;x\u{1b}\\ ",
    "bell \u{7}\u{7} backspace \u{8} cr \r del \u{7f} vt \u{b} ff \u{c} ",
    "C1 CSI \u{9b}31m C1 OSC \u{9d}0;t\u{9c} C1 DCS \u{90}q\u{9c} NEL \u{85} ",
    "bidi \u{202e}desrever\u{202c} \u{202d}lro \u{2066}iso\u{2069} \u{2067}rli\u{2069} \u{200f}rlm \u{61c}alm"
);

/// Checks `bytes` as written to a terminal. With `ui_escapes`, CSI sequences of the renderer
/// (cursor moves, styles, clear, mode switches) are allowed; otherwise no ESC at all.
fn assert_terminal_safe(bytes: &[u8], ui_escapes: bool, what: &str) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| {
        panic!("{what}: not UTF-8 ({e}): raw C1 bytes could reach the terminal")
    });
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let context = || {
            let from = text[..i].char_indices().rev().nth(30).map_or(0, |(j, _)| j);
            let to = text[i..]
                .char_indices()
                .nth(30)
                .map_or(text.len(), |(j, _)| i + j);
            format!("{:?}", &text[from..to])
        };
        match c {
            '\u{1b}' => {
                assert!(ui_escapes, "{what}: ESC in output at {i}: {}", context());
                // Only CSI: ESC [ params final.
                let Some((_, '[')) = chars.next() else {
                    panic!("{what}: non-CSI escape at {i}: {}", context());
                };
                let mut params = String::new();
                let fin = loop {
                    match chars.next() {
                        Some((_, p)) if p.is_ascii_digit() || p == ';' || p == '?' || p == ':' => {
                            params.push(p)
                        }
                        Some((_, f)) => break f,
                        None => panic!("{what}: unterminated CSI at {i}"),
                    }
                };
                let ok = match fin {
                    'H' | 'm' | 'J' | 'K' | 'A' | 'B' | 'C' | 'D' | 'G' | 'd' => {
                        !params.starts_with('?')
                    }
                    'h' | 'l' => matches!(
                        params.as_str(),
                        "?25"
                            | "?1049"
                            | "?1000"
                            | "?1002"
                            | "?1003"
                            | "?1006"
                            | "?1015"
                            | "?2004"
                            | "?1004"
                            | "?7"
                    ),
                    _ => false,
                };
                assert!(
                    ok,
                    "{what}: unexpected CSI {params}{fin} at {i}: {}",
                    context()
                );
            }
            '\n' | '\t' | '\r' => {}
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
                panic!("{what}: control {c:?} in output at {i}: {}", context())
            }
            '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{61c}' => {
                panic!("{what}: bidi control {c:?} in output at {i}: {}", context())
            }
            // Zero-width characters make two different ids look the same (joiners are fine
            // between non-ASCII characters: emoji sequences, joining scripts).
            '\u{200b}' | '\u{2060}' | '\u{feff}' => {
                panic!("{what}: zero-width {c:?} in output at {i}: {}", context())
            }
            '\u{200c}' | '\u{200d}'
                if text[..i].chars().next_back().is_none_or(|p| p.is_ascii()) =>
            {
                panic!(
                    "{what}: zero-width joiner {c:?} in output at {i}: {}",
                    context()
                )
            }
            _ => {}
        }
    }
}

/// Writes a corpus with the payload in every place a corpus can hold text: titles, bodies,
/// sources, bylines, datelines, URLs, dates, ids, file names, a broken JSONL line (problem
/// report) and an HTML page.
fn write_hostile_corpus(dir: &Path) -> PathBuf {
    let root = dir.join("hostile");
    let wire = root.join("evil\u{1b}]0;wire\u{7}wire");
    std::fs::create_dir_all(&wire).unwrap();
    let body = |extra: &str| {
        format!(
            "Markets {PAYLOAD} alert\n\nPrices fell sharply on Tuesday as traders {PAYLOAD} sold shares in the company after the report.\n\nThe minister said talks would resume next week {PAYLOAD}.\n\n{extra}\n\nPost a Comment {PAYLOAD}\n"
        )
    };
    std::fs::write(wire.join("a.txt"), body("Analysts expected a rebound.")).unwrap();
    std::fs::write(
        wire.join("b\u{1b}[31m\u{7}\u{9b}.txt"),
        body("Analysts now expect a rebound by January."),
    )
    .unwrap();
    let record = serde_json::json!({
        "id": format!("rec-{PAYLOAD}"),
        "title": format!("Title {PAYLOAD}"),
        "source": format!("Source {PAYLOAD}"),
        "byline": format!("By {PAYLOAD}"),
        "dateline": format!("MOSCOW {PAYLOAD}"),
        "url": format!("https://example.com/{PAYLOAD}"),
        "date": format!("2015-12-17 {PAYLOAD}"),
        "body": format!("Prices fell sharply on Tuesday as traders {PAYLOAD} sold shares.\n\nSecond {PAYLOAD} paragraph."),
    });
    let record2 = serde_json::json!({
        "id": "rec-2",
        "title": format!("Title {PAYLOAD} (updated)"),
        "source": format!("Source {PAYLOAD}"),
        "date": "2015-12-18",
        "body": format!("Prices fell sharply on Tuesday as traders {PAYLOAD} sold many shares.\n\nSecond {PAYLOAD} paragraph, updated."),
    });
    std::fs::write(
        root.join("feed.jsonl"),
        format!("{record}\n{record2}\n{{\"broken {PAYLOAD}\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("page.html"),
        format!(
            "<html><head><title>Page {PAYLOAD}</title></head><body><article><h1>Headline {PAYLOAD}</h1><p>First paragraph of the page {PAYLOAD} with enough words to be an article body.</p><p>Second paragraph {PAYLOAD} &#27;[31m &#x9b;31m &#x202e; &#7;.</p></article></body></html>"
        ),
    )
    .unwrap();
    // A binary file whose name writes the clipboard, clears the screen, holds a C1 CSI and
    // a right-to-left override: its problem line names it.
    std::fs::write(
        root.join("\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J\u{9b}2J\u{202e}EVIL.txt"),
        b"binary\0file",
    )
    .unwrap();
    // Ids differing only by zero-width characters.
    for name in ["zw\u{200b}id.txt", "zw\u{200d}id.txt", "\u{feff}zwid.txt"] {
        std::fs::write(
            root.join(name),
            "Zero width\n\nA short article about nothing much.\n",
        )
        .unwrap();
    }
    std::fs::write(
        root.join("bad-utf8.txt"),
        b"Bad \xff\xfe \x1b]0;x\x07 bytes\n\nmore text here\n",
    )
    .unwrap();
    root
}

fn hostile_library(root: &Path) -> Library {
    let mut corpus = load_paths(&[root.to_path_buf()], &LoadOptions::default(), &|_| {});
    assert!(
        corpus.articles.len() >= 4,
        "the hostile corpus loads: {:?}",
        corpus.problems
    );
    let stories = stet::corpus::group::group(
        &corpus.articles,
        &stet::corpus::group::GroupSettings::default(),
        &|_| {},
    );
    // The loader keeps control characters out of the cleaned text; put the payload back in
    // so each view's own sanitizing is tested, not only the loader's.
    for (i, a) in corpus.articles.iter_mut().enumerate() {
        a.paragraphs
            .push(format!("Injected {PAYLOAD} paragraph number {i}."));
        a.title.push_str(PAYLOAD);
    }
    Library::new(corpus, stories)
}

/// Annotations with the payload in their quote, context, note and author, on every article of
/// the corpus at `root`, in the store under the data dir `data`.
fn write_hostile_annotations(root: &Path, data: &Path) {
    use stet::annotate::model::{Annotation, Granularity, Target, Timestamp};
    use stet::annotate::{AnnotationLog, AnnotationStore};
    let corpus = load_paths(&[root.to_path_buf()], &LoadOptions::default(), &|_| {});
    let key = stet::paths::CorpusKey::for_paths(&[root.to_path_buf()]);
    let dir = data.join("corpora").join(key.as_str());
    let mut opened = AnnotationStore::open(&dir).unwrap();
    for art in &corpus.articles {
        let body = art.body();
        let n = body.chars().count();
        if n < 2 {
            continue;
        }
        let t =
            Target::from_char_span(&art.id, "s", &body, 1..n.min(120), Granularity::Span).unwrap();
        let a = Annotation::new(
            vec![t],
            "reworded".into(),
            Some(format!("note {PAYLOAD}")),
            &format!("author {PAYLOAD}"),
            Timestamp::from_unix(1_450_000_000),
        )
        .unwrap();
        let e = opened.set.create(a).unwrap();
        opened.store.append(&e.record).unwrap();
    }
    assert!(opened.set.len() >= 4);
}

/// Draws `app` through the crossterm backend into a byte buffer: the bytes a terminal gets.
fn frame_bytes(app: &App, w: u16, h: u16) -> Vec<u8> {
    let sink = Sink::default();
    let backend = CrosstermBackend::new(sink.clone());
    let mut term = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .unwrap();
    term.draw(|f| stet::ui::draw(f, app)).unwrap();
    drop(term);
    sink.0.lock().unwrap().clone()
}

/// A writer whose bytes can be read after the terminal that owns it is dropped.
#[derive(Clone, Default)]
struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn every_view_writes_only_safe_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = write_hostile_corpus(tmp.path());
    let lib = hostile_library(&root);
    let n_stories = lib.stories.len();
    for (w, h) in [(120u16, 40u16), (80, 24), (200, 60)] {
        let mut app = App::with_library(&Config::default(), hostile_library(&root), w, h);
        app.problems.push(format!("a problem {PAYLOAD}"));
        let mut drawn = 0;
        let (mut diffs, mut collations) = (0, 0);
        let mut check = |app: &mut App, label: &str| {
            app.handle(Msg::Resize(w, h));
            let bytes = frame_bytes(app, w, h);
            assert!(bytes.len() > 100, "{label}: something was drawn");
            assert_terminal_safe(&bytes, true, &format!("{label} at {w}x{h}"));
            drawn += 1;
        };
        // Each story in the list, with the reader and versions panes beside it when wide.
        for i in 0..n_stories {
            check(&mut app, &format!("list row {i}"));
            keys(&mut app, "j");
        }
        keys(&mut app, "g g");
        for i in 0..n_stories {
            keys(&mut app, "enter");
            check(&mut app, &format!("reader of story {i}"));
            keys(&mut app, "space");
            check(&mut app, &format!("reader of story {i}, page 2"));
            keys(&mut app, "r");
            check(&mut app, &format!("raw view of story {i}"));
            keys(&mut app, "r ]");
            check(&mut app, &format!("next version of story {i}"));
            keys(&mut app, "[ tab");
            check(&mut app, &format!("versions pane of story {i}"));
            // The diff view: side by side, unified, minor changes, a selection, the picker.
            keys(&mut app, "d");
            diffs += usize::from(app.diff().is_some());
            check(&mut app, &format!("diff of story {i}"));
            keys(&mut app, "u");
            check(&mut app, &format!("unified diff of story {i}"));
            keys(&mut app, "u w ] c v w w");
            check(&mut app, &format!("diff selection in story {i}"));
            keys(&mut app, "a");
            check(
                &mut app,
                &format!("label picker over the diff of story {i}"),
            );
            keys(&mut app, "esc esc esc");
            // The collation view, its pairwise diff, annotating a reading with a hostile note.
            keys(&mut app, "c");
            collations += usize::from(matches!(app.top(), Some(View::Collate(_))));
            check(&mut app, &format!("collation of story {i}"));
            keys(&mut app, "l enter");
            check(&mut app, &format!("collation diff of story {i}"));
            keys(&mut app, "a 1");
            type_text(&mut app, "note \u{9b}31m \u{202e}rev \u{7}\u{90}q\u{9c}");
            check(&mut app, &format!("note over the collation of story {i}"));
            keys(&mut app, "ctrl-s");
            check(
                &mut app,
                &format!("collation with an annotation, story {i}"),
            );
            keys(&mut app, "esc");
            if matches!(app.top(), Some(View::Collate(_))) {
                keys(&mut app, "esc");
            }
            keys(&mut app, "A");
            check(&mut app, &format!("annotation list after story {i}"));
            keys(&mut app, "esc");
            assert!(app.on_base(), "story {i}");
            keys(&mut app, "esc esc j");
        }
        keys(&mut app, "?");
        check(&mut app, "help");
        keys(&mut app, "esc !");
        check(&mut app, "problems");
        keys(&mut app, "esc f");
        check(&mut app, "source picker");
        keys(&mut app, "j");
        check(&mut app, "source picker, second source");
        keys(&mut app, "esc /");
        type_text(&mut app, "\u{1b}]0;typed\u{7}\u{9b}\u{202e}");
        check(&mut app, "search with escapes typed in");
        keys(&mut app, "esc /");
        type_text(&mut app, "prices");
        keys(&mut app, "enter");
        check(&mut app, "search results");
        assert!(drawn > 10);
        assert!(diffs >= 1, "the diff view drawn ({diffs})");
        assert!(collations >= 1, "the collation view drawn ({collations})");
        assert!(!app.ann.set.is_empty(), "hostile notes stored");
    }
    // The payload really was in the text drawn: its visible placeholders are on screen.
    let mut app = App::with_library(&Config::default(), lib, 120, 40);
    keys(&mut app, "enter");
    let text = String::from_utf8_lossy(&frame_bytes(&app, 120, 40)).into_owned();
    assert!(text.contains('\u{241b}'), "ESC shown as ␛");
}

// ---------------------------------------------------------------------------------------------
// The CLI: plain and JSON output of every command.

fn stet(args: &[&str], home: &Path) -> std::process::Output {
    cli_support::stet_in(home, args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

#[test]
fn every_cli_command_writes_only_safe_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = write_hostile_corpus(tmp.path());
    let r = root.to_str().unwrap();
    let wire = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let mut txts: Vec<PathBuf> = std::fs::read_dir(&wire)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    txts.sort();
    let (a, b) = (txts[0].to_str().unwrap(), txts[1].to_str().unwrap());
    // Ids to look up, from the corpus itself.
    let out = stet(&["articles", "--json", r], tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    assert!(ids.len() >= 4, "{ids:?}");
    let stories = stet(&["stories", "--json", r], tmp.path());
    let stories: serde_json::Value = serde_json::from_slice(&stories.stdout).unwrap();
    let story_ids: Vec<String> = stories["stories"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect();
    write_hostile_annotations(&root, &tmp.path().join("data"));
    let mut runs: Vec<Vec<String>> = vec![
        vec!["articles".into(), r.into()],
        vec!["articles".into(), "--json".into(), r.into()],
        vec!["stories".into(), r.into()],
        vec!["stories".into(), "--json".into(), r.into()],
        vec!["show".into(), a.into()],
        vec!["show".into(), "--raw".into(), a.into()],
        vec!["show".into(), "--json".into(), a.into()],
        vec!["diff".into(), a.into(), b.into()],
        vec!["diff".into(), "--unified".into(), a.into(), b.into()],
        vec!["diff".into(), "--json".into(), a.into(), b.into()],
        vec![
            "annotations".into(),
            "list".into(),
            "--corpus".into(),
            r.into(),
        ],
        vec![
            "annotations".into(),
            "list".into(),
            "--json".into(),
            "--corpus".into(),
            r.into(),
        ],
        vec!["config".into()],
    ];
    for id in &ids {
        for json in [false, true] {
            let mut v = vec!["show".to_string(), "--corpus".into(), r.into(), id.clone()];
            if json {
                v.insert(1, "--json".into());
            }
            runs.push(v);
        }
    }
    if ids.len() >= 2 {
        for json in [false, true] {
            let mut v = vec![
                "diff".to_string(),
                "--corpus".into(),
                r.into(),
                ids[0].clone(),
                ids[1].clone(),
            ];
            if json {
                v.insert(1, "--json".into());
            }
            runs.push(v);
        }
    }
    for s in story_ids.iter().take(6) {
        for json in [false, true] {
            let mut v = vec![
                "collate".to_string(),
                "--corpus".into(),
                r.into(),
                s.clone(),
            ];
            if json {
                v.insert(1, "--json".into());
            }
            runs.push(v);
        }
    }
    // `annotations export` writes exactly what the annotations hold to a pipe or file (it is a
    // data format) and sanitises only on a terminal: checked in the tmux test below.
    let mut succeeded = 0;
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = stet(&args, tmp.path());
        let what = format!("stet {}", args.join(" "));
        assert_terminal_safe(&out.stdout, false, &format!("{what} (stdout)"));
        assert_terminal_safe(&out.stderr, false, &format!("{what} (stderr)"));
        if out.status.success() {
            succeeded += 1;
        }
    }
    assert!(
        succeeded >= runs.len() / 2,
        "most commands ran: {succeeded} of {}",
        runs.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The real binary in tmux, every byte it writes recorded.

#[test]
fn the_real_binary_in_tmux_writes_only_safe_bytes() {
    let Some(t) = Tmux::start("views") else {
        return;
    };
    let root = write_hostile_corpus(t.dir.path());
    let bin = t.dir.path().join("stet");
    std::fs::copy(env!("CARGO_BIN_EXE_stet"), &bin).unwrap();
    let log = t.dir.path().join("pane-bytes");
    t.line("echo READY-$((40+2))");
    t.wait_for("the shell", |s| s.contains("READY-42"));
    // From here on every byte written to the pane is appended to `log`.
    t.tmux(&[
        "pipe-pane",
        "-o",
        "-t",
        "e2e",
        &format!("cat >> '{}'", log.display()),
    ]);
    t.line(&format!(
        "'{}' '{}'; echo STET-EXIT=$((0+$?))",
        bin.display(),
        root.display()
    ));
    t.wait_for("the story list", |s| s.contains("unread"));
    // List, reader (two pages), raw, versions, next/previous version, help, problems, picker,
    // search, at two sizes.
    for size in [("120", "40"), ("80", "24")] {
        t.tmux(&["resize-window", "-t", "e2e", "-x", size.0, "-y", size.1]);
        t.keys(&[
            "j", "k", "Enter", "Space", "r", "r", "]", "[", "Tab", "Escape", "Escape", "j", "Enter",
        ]);
        t.keys(&[
            "Escape", "?", "Escape", "!", "Escape", "f", "j", "Escape", "/", "p", "r", "i",
            "Enter", "Escape",
        ]);
        // The diff view (side by side, unified, a selection) and the collation view.
        t.keys(&[
            "d", "u", "u", "v", "w", "Escape", "Escape", "c", "l", "Enter", "Escape", "Escape",
        ]);
    }
    t.keys(&["q"]);
    t.wait_for("stet to exit", |s| s.contains("STET-EXIT=0"));
    // Annotation exports printed on the terminal.
    write_hostile_annotations(&root, &t.dir.path().join("data"));
    for fmt in ["w3c", "jsonl", "csv", "markdown"] {
        t.line(&format!(
            "clear; '{}' annotations export --format {fmt} --corpus '{}'; echo EXPORT-$((1+1))-{fmt}",
            bin.display(),
            root.display()
        ));
        t.wait_for("the export", |s| s.contains(&format!("EXPORT-2-{fmt}")));
    }
    t.tmux(&["pipe-pane", "-t", "e2e"]);
    std::thread::sleep(Duration::from_millis(200));
    let bytes = std::fs::read(&log).unwrap();
    assert!(
        bytes.len() > 2000,
        "the session was recorded ({} bytes)",
        bytes.len()
    );
    let recorded = String::from_utf8_lossy(&bytes);
    assert!(
        recorded.contains("\u{1b}[?1049h")
            && recorded.contains('\u{241b}')
            && recorded.contains("author "),
        "the recording holds the reader, the exports and the payload's placeholders"
    );
    assert_terminal_safe(&bytes, true, "stet in tmux");
    let title = String::from_utf8_lossy(
        &t.tmux(&["display-message", "-p", "-t", "e2e", "#{pane_title}"])
            .stdout,
    )
    .trim()
    .to_string();
    assert!(
        !title.contains("pwned") && !title.contains("wire"),
        "title changed to {title:?}"
    );
}

/// What stet echoes from hostile input on stderr: serde's messages about an import file and
/// about a torn annotation log, and the key names of a config file.
#[test]
fn error_messages_echo_hostile_values_safely() {
    let tmp = tempfile::tempdir().unwrap();
    let root = write_hostile_corpus(tmp.path());
    let r = root.to_str().unwrap();
    let evil = "span\u{1b}]52;c;SGVsbG8=\u{7}\u{9b}2J\u{202e}\u{200b}";
    // An import record with a hostile enum value.
    let import = tmp.path().join("import.jsonl");
    let rec = serde_json::json!({"id": "0190a0b0-0000-7000-8000-000000000001", "targets": [{"article": "a", "granularity": evil}]});
    std::fs::write(&import, format!("{rec}\n")).unwrap();
    let out = stet(
        &[
            "annotations",
            "--corpus",
            r,
            "import",
            import.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(!out.status.success(), "a broken import fails");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("span"),
        "the message names the value"
    );
    assert_terminal_safe(&out.stdout, false, "import (stdout)");
    assert_terminal_safe(&out.stderr, false, "import (stderr)");
    // The same record in the annotation log itself: the log reader reports the line.
    let key = stet::paths::CorpusKey::for_paths(std::slice::from_ref(&root));
    let dir = tmp.path().join("data").join("corpora").join(key.as_str());
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let _ = std::fs::remove_file(entry.unwrap().path());
    }
    std::fs::write(dir.join("annotations.jsonl"), format!("{rec}\n{rec}\n")).unwrap();
    for args in [
        vec!["annotations", "--corpus", r, "list"],
        vec!["annotations", "--corpus", r, "list", "--json"],
    ] {
        let out = stet(&args, tmp.path());
        assert_terminal_safe(&out.stdout, false, &format!("{args:?} (stdout)"));
        assert_terminal_safe(&out.stderr, false, &format!("{args:?} (stderr)"));
    }
    // Config key names, in a file given with --config and in the user's own.
    let cfg = tmp.path().join("evil.toml");
    std::fs::write(
        &cfg,
        "[ui]\n\"k\\u001b]52;c;SGVsbG8=\\u0007\\u009b\\u202e\\u200b\" = 1\n[\"t\\u001b]0;x\\u0007\"]\n",
    )
    .unwrap();
    let c = cfg.to_str().unwrap();
    for args in [
        vec!["config", "--config", c],
        vec!["articles", "--config", c, r],
        vec!["stories", "--config", c, r],
    ] {
        let out = stet(&args, tmp.path());
        assert!(!out.status.success(), "{args:?}: a broken config fails");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("evil.toml:2:"),
            "{args:?}"
        );
        assert_terminal_safe(&out.stdout, false, &format!("{args:?} (stdout)"));
        assert_terminal_safe(&out.stderr, false, &format!("{args:?} (stderr)"));
    }
}

#[test]
fn the_checker_catches_what_it_should() {
    for bad in [
        "\u{1b}]52;c;aGk=\u{7}",
        "\u{1b}]0;t\u{7}",
        "x\u{7}",
        "\u{9b}31m",
        "\u{202e}",
        "\u{1b}[6n",
        "\u{1b}[?1049l\u{1b}]8;;u\u{1b}\\",
        "a\u{200b}b",
        "a\u{200d}b",
        "\u{feff}x",
    ] {
        let r = std::panic::catch_unwind(|| assert_terminal_safe(bad.as_bytes(), true, "probe"));
        assert!(r.is_err(), "{bad:?} passed the checker");
    }
    assert!(std::panic::catch_unwind(|| assert_terminal_safe(b"\xc2", true, "probe")).is_err());
    assert_terminal_safe(
        "\u{1b}[1;1H\u{1b}[38;5;12mok\u{1b}[0m\u{1b}[?25h".as_bytes(),
        true,
        "fine",
    );
}
