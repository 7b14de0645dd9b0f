//! End to end: the real `stet` binary in a tmux pane. Starts the reader, moves, searches, opens
//! a story, reads the screen with capture-pane, quits, and checks the terminal was handed back
//! (alternate screen left, cooked mode, cursor shown). A corpus with escape sequences in its
//! text must not get any of them onto the screen. Skips when tmux is missing.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// A private tmux server with one 120×40 pane running `sh` in a fresh temp dir, or None.
    fn start(name: &str) -> Option<Tmux> {
        Tmux::start_with(name, &[])
    }

    /// Like `start`, with extra `NAME=value` environment for the shell.
    fn start_with(name: &str, env: &[&str]) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = format!("stet-e2e-{name}-{}", std::process::id());
        let t = Tmux { socket, _dir: dir };
        let home = t._dir.path();
        let status = Command::new("tmux")
            .args([
                "-L",
                &t.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "120",
                "-y",
                "40",
                "-s",
                "e2e",
            ])
            .arg("env")
            .arg(format!("STET_DATA_DIR={}", home.join("data").display()))
            .arg(format!("STET_CONFIG_DIR={}", home.join("config").display()))
            .arg(format!("STET_CACHE_DIR={}", home.join("cache").display()))
            .arg("TERM=xterm-256color")
            .arg("PS1=$ ")
            .args(env)
            .arg("sh")
            .env_remove("NO_COLOR")
            .status()
            .unwrap();
        assert!(status.success());
        Some(t)
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    /// Types `text` literally, then Enter.
    fn line(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
        self.tmux(&["send-keys", "-t", "e2e", "Enter"]);
    }

    /// Sends tmux key names (`j`, `Enter`, `Escape`, `/`).
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "e2e", k]);
        }
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-e", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["display-message", "-p", "-t", "e2e", f]).stdout)
            .trim()
            .to_string()
    }

    /// Waits (up to 20 s) until the screen satisfies `ok`; panics with the screen otherwise.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn run_stet(&self, args: &str) {
        // A private copy: the shared target dir may be rebuilt by other builds meanwhile.
        let bin = self._dir.path().join("stet");
        std::fs::copy(env!("CARGO_BIN_EXE_stet"), &bin).unwrap();
        let bin = bin.display();
        // Markers are computed by the shell so the typed command line never matches them.
        self.line("echo BEFORE-$((40+2))");
        self.wait_for("the shell", |s| s.contains("BEFORE-42"));
        self.line(&format!("'{bin}' {args}; echo STET-EXIT=$?"));
    }

    /// Quits with `q` and checks the terminal is back as it was.
    fn quit_and_check_restored(&self) {
        self.keys(&["q"]);
        self.check_restored(0);
    }

    /// Waits for stet to exit with `code` and checks the terminal is back as it was.
    fn check_restored(&self, code: i32) {
        let s = self.wait_for("stet to exit", |s| {
            s.match_indices("STET-EXIT=")
                .any(|(i, _)| s[i + 10..].starts_with(|c: char| c.is_ascii_digit()))
        });
        assert!(s.contains(&format!("STET-EXIT={code}")), "{s}");
        assert!(s.contains("BEFORE-42"), "the shell's screen is back:\n{s}");
        assert_eq!(self.format("#{alternate_on}"), "0", "alternate screen left");
        assert_eq!(self.format("#{cursor_flag}"), "1", "cursor shown");
        self.line(
            "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | sed 's/^/MODE:/'; echo STTY-$((2+2))",
        );
        let s = self.wait_for("stty", |s| s.contains("STTY-4"));
        assert!(
            s.contains("MODE:icanon") && s.contains("MODE:echo"),
            "cooked mode with echo is back:\n{s}"
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

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
    // The read mark was saved.
    let state = t
        ._dir
        .path()
        .join("data/corpora/sample")
        .join(stet::runtime::state_file::STATE_FILE_NAME);
    let saved = std::fs::read_to_string(&state).unwrap_or_default();
    assert!(saved.contains("\"read\":[\""), "{saved}");
}

#[test]
fn escape_sequences_in_articles_stay_off_the_terminal() {
    let Some(t) = Tmux::start("escapes") else {
        return;
    };
    let corpus = t._dir.path().join("evil");
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
    let config_dir = t._dir.path().join("config");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "[reader]\nwidth = \"wide\"\n\n[keys.list]\n\"x\" = \"quit\"\n",
    )
    .unwrap();
    t.run_stet("");
    let s = t.wait_for("the story list", |s| s.contains("unread"));
    assert!(s.contains("1 problem(s) with the config"), "{s}");
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
    let dir = t._dir.path().join("data/corpora/sample");
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join(stet::runtime::state_file::STATE_FILE_NAME);
    std::fs::write(&state, "{\"read\": [\"half a file").unwrap();
    t.run_stet("");
    let s = t.wait_for("the story list", |s| s.contains("unread"));
    assert!(
        s.contains("problem(s) with the config or the saved state"),
        "{s}"
    );
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
    // Quitting writes a fresh state beside the one kept aside.
    t.quit_and_check_restored();
    let fresh = std::fs::read_to_string(&state).unwrap();
    assert!(fresh.contains("\"version\":1"), "{fresh}");
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
