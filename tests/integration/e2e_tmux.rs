//! End to end: the real `stet` binary in a tmux pane. Starts the reader, moves, searches, opens
//! a story, reads the screen with capture-pane, quits, and checks the terminal was handed back
//! (alternate screen left, cooked mode, cursor shown). A corpus with escape sequences in its
//! text must not get any of them onto the screen. Skips when tmux is missing.

use crate::tmux_support;

use std::path::Path;

use tmux_support::Tmux;

#[test]
fn reader_on_the_sample_corpus() {
    let Some(t) = Tmux::start("sample") else {
        return;
    };
    t.run_stet("");
    let s = t.wait_for("the story list", |s| {
        s.contains("stories") && s.contains("unread")
    });
    assert!(s.contains("sample"), "{s}");
    assert_eq!(
        t.format("#{alternate_on}"),
        "1",
        "full screen on the alternate screen"
    );
    t.keys(&["j", "j", "k"]);
    t.wait_for("the selection to move", |s| s.contains(" 2/"));
    // Search the list and open the story found.
    t.keys(&["/"]);
    t.tmux(&["send-keys", "-t", "e2e", "-l", "crane"]);
    t.keys(&["Enter"]);
    let s = t.wait_for("the search to land", |s| s.contains("/crane:"));
    assert!(s.contains("Record crane count at Hollin marshes"), "{s}");
    t.keys(&["Enter"]);
    let s = t.wait_for("the reader to focus", |s| s.contains("▶ Version"));
    assert!(s.contains("Record crane count at Hollin marshes"));
    assert!(
        s.contains("Eastbank Herald") || s.contains("eastbank"),
        "{s}"
    );
    // A resize to 80×24 switches to one pane at a time, the reader shown.
    t.tmux(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    let s = t.wait_for("the narrow layout", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.starts_with("┏ ▶ Version"))
    });
    assert!(
        !s.contains("sort: newest"),
        "list hidden while reading:\n{s}"
    );
    t.keys(&["Escape"]);
    t.wait_for("the list", |s| s.contains("sort: newest"));
    t.tmux(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    // Help overlay, then back.
    t.keys(&["?"]);
    t.wait_for("help", |s| s.contains("Help: your keys"));
    t.keys(&["Escape"]);
    t.wait_for("help to close", |s| !s.contains("Help: your keys"));
    t.quit_and_check_restored();
    // The read mark was saved (in the corpus's database).
    let dir = t.dir.path().join("data/corpora/sample");
    let saved = stet::store::UserStore::open_read_only(&dir).unwrap();
    let read = saved.reading.map(|r| r.read).unwrap_or_default();
    assert!(!read.is_empty(), "no read mark saved");
}

#[test]
fn escape_sequences_in_articles_stay_off_the_terminal() {
    let Some(t) = Tmux::start("escapes") else {
        return;
    };
    let corpus = t.dir.path().join("evil");
    std::fs::create_dir_all(&corpus).unwrap();
    write_evil(&corpus.join("evil.txt"));
    t.run_stet(&format!("'{}'", corpus.display()));
    t.wait_for("the story list", |s| s.contains("unread"));
    t.keys(&["Enter"]);
    let s = t.wait_for("the article", |s| s.contains("Prices fell"));
    assert!(
        s.contains('␛'),
        "escape shown as a visible placeholder:\n{s}"
    );
    assert_ne!(t.format("#{pane_title}"), "pwned", "no OSC title change");
    // Every escape sequence tmux shows us is its own rendering of cell styles (SGR).
    let raw = t.screen_with_escapes();
    for (i, _) in raw.match_indices('\u{1b}') {
        let rest = &raw[i + 1..];
        let sgr = rest.starts_with('[')
            && rest[1..]
                .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
                .is_some_and(|j| rest[1 + j..].starts_with('m'));
        assert!(
            sgr,
            "non-style escape on screen: {:?}",
            &rest[..rest.len().min(12)]
        );
    }
    assert!(
        !s.contains("RED-TEXT") || s.contains("␛[31mRED-TEXT"),
        "{s}"
    );
    t.quit_and_check_restored();
}

fn write_evil(path: &Path) {
    let text = "Markets \u{1b}[31mRED-TEXT\u{1b}[0m alert\n\nPrices fell \u{1b}]0;pwned\u{7}sharply as traders \u{1b}[2Jcleared the screen.\n\nA bell \u{7}\u{7} and a C1 CSI \u{9b}31m and a cursor move \u{1b}[10;10H here.\n";
    std::fs::write(path, text).unwrap();
}

#[test]
fn no_color_draws_without_colours_but_keeps_highlights() {
    let Some(t) = Tmux::start_with("nocolor", &["NO_COLOR=1"]) else {
        return;
    };
    t.run_stet("");
    t.wait_for("the story list", |s| s.contains("unread"));
    let raw = t.screen_with_escapes();
    // SGR parameters: 30-37/40-47/90-97/100-107 and 38;…/48;… are colours; 7 is reverse.
    let mut reverse = false;
    for (i, _) in raw.match_indices("\u{1b}[") {
        let rest = &raw[i + 2..];
        let Some(end) = rest.find('m') else { continue };
        let params: Vec<&str> = rest[..end].split(';').collect();
        for p in &params {
            let n: u32 = p.parse().unwrap_or(0);
            assert!(
                !matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107),
                "colour {:?} with NO_COLOR",
                &rest[..end]
            );
            reverse |= n == 7;
        }
    }
    assert!(reverse, "the selection is still shown, in reverse video");
    t.quit_and_check_restored();
}

#[test]
fn config_mistakes_are_shown_and_the_reader_still_starts() {
    let Some(t) = Tmux::start("config") else {
        return;
    };
    let config_dir = t.dir.path().join("config");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "[reader]\nwidth = \"wide\"\n\n[keys.list]\n\"x\" = \"quit\"\n",
    )
    .unwrap();
    t.run_stet("");
    let s = t.wait_for("the story list", |s| s.contains("unread"));
    assert!(s.contains("1 problem with the config"), "{s}");
    t.keys(&["!"]);
    let s = t.wait_for("the problems", |s| s.contains("config.toml:2:"));
    assert!(s.contains("reader.width: expected a whole number"), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("the problems to close", |s| !s.contains("config.toml:2:"));
    // The rest of the file applies: x quits.
    t.keys(&["x"]);
    t.wait_for("stet to exit", |s| s.contains("STET-EXIT=0"));
}

#[test]
fn a_corrupt_state_file_is_kept_aside_and_reported() {
    let Some(t) = Tmux::start("state") else {
        return;
    };
    let dir = t.dir.path().join("data/corpora/sample");
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join(stet::runtime::state_file::STATE_FILE_NAME);
    std::fs::write(&state, "{\"read\": [\"half a file").unwrap();
    t.run_stet("");
    let s = t.wait_for("the story list", |s| s.contains("unread"));
    assert!(s.contains("1 problem with the saved state"), "{s}");
    t.keys(&["!"]);
    t.wait_for("the problem", |s| s.contains("reading state is corrupt"));
    t.keys(&["Escape"]);
    let kept: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        kept.iter()
            .any(|n| n.starts_with("reading-state.json.corrupt-")),
        "{kept:?}"
    );
    // Quitting writes a fresh state (in the database) beside the file kept aside.
    t.quit_and_check_restored();
    let fresh = stet::store::UserStore::open_read_only(&dir).unwrap();
    assert!(fresh.reading.is_some_and(|r| r.sort.is_some()));
}

#[test]
fn a_panic_hands_the_terminal_back() {
    let Some(t) = Tmux::start_with("panic", &["STET_TEST_PANIC_KEY=F12"]) else {
        return;
    };
    t.run_stet("");
    t.wait_for("the story list", |s| s.contains("stories"));
    t.keys(&["F12"]);
    t.check_restored(101);
    let s = t.screen();
    assert!(s.contains("test panic"), "the panic message is shown:\n{s}");
}

/// `/`, Tab to every word, a name that is in no headline: its story is found, the list
/// filtered to it, the name marked in the reading pane.
#[test]
fn every_word_search_finds_a_name_only_in_a_body() {
    let Some(t) = Tmux::start("everyword") else {
        return;
    };
    t.run_stet("");
    t.wait_for("the story list", |s| {
        s.contains("stories") && s.contains("unread")
    });
    t.keys(&["/", "Tab"]);
    t.wait_for("the every-word prompt", |s| {
        s.contains("all words (Tab: titles)")
    });
    t.tmux(&["send-keys", "-t", "e2e", "-l", "Pell"]);
    let s = t.wait_for("the answer", |s| s.contains("1 story · all words"));
    assert!(s.contains("Death toll in Lake O"), "{s}");
    assert!(s.contains("best match first"), "{s}");
    assert!(
        s.contains("Jonas Pell"),
        "the version naming him is shown:\n{s}"
    );
    t.keys(&["Enter"]);
    t.wait_for("the search to land", |s| {
        s.contains("/Pell: 1 matching story")
    });
    t.keys(&["Escape"]);
    t.wait_for("every story again", |s| s.contains("sort: newest"));
    t.quit_and_check_restored();
}

/// The reading position comes back at the next start: the user data opens on a thread of its
/// own beside the corpus, and the list is shown only once both are in.
#[test]
fn the_position_comes_back_at_the_next_start() {
    let Some(t) = Tmux::start("restart") else {
        return;
    };
    t.run_stet("");
    t.wait_for("the story list", |s| s.contains("unread"));
    t.keys(&["j", "j", "j"]);
    t.wait_for("the selection to move", |s| s.contains(" 4/"));
    t.quit_and_check_restored();
    t.line("clear");
    t.wait_for("a clear screen", |s| !s.contains("STET-EXIT"));
    t.run_stet("");
    let s = t.wait_for("the story list again", |s| s.contains("unread"));
    assert!(
        s.contains(" 4/"),
        "the fourth story is selected again:\n{s}"
    );
    t.quit_and_check_restored();
}

/// Two readers on one corpus: a story marked read in one shows read in the other within a
/// couple of seconds, without a restart.
#[test]
fn a_second_reader_sees_the_first_ones_read_mark() {
    let Some(t) = Tmux::start("tworeaders") else {
        return;
    };
    t.run_stet("");
    t.wait_for("the first reader", |s| s.contains("unread"));
    t.new_window("second");
    // new-window made the second window current: the first is e2e:0 again for t.keys.
    t.tmux(&["select-window", "-t", "e2e:0"]);
    t.run_stet_in("e2e:second", "");
    let unread = |s: &str| {
        s.lines()
            .last()
            .and_then(|l| l.split_whitespace().rev().nth(1).map(str::to_string))
    };
    let first = t.wait_for("the first reader", |s| s.contains("unread"));
    let second = t.wait_for_in("e2e:second", "the second reader", |s| s.contains("unread"));
    let before = unread(&first).unwrap();
    assert_eq!(unread(&second).unwrap(), before, "{second}");
    t.keys(&["m"]);
    t.wait_for("the mark", |s| {
        unread(s).as_deref() != Some(before.as_str())
    });
    let s = t.wait_for_in("e2e:second", "the mark in the other reader", |s| {
        s.contains("Another stet changed 1 read mark")
    });
    assert_ne!(unread(&s).unwrap(), before, "{s}");
    t.keys_to("e2e:second", &["q"]);
    t.quit_and_check_restored();
}
