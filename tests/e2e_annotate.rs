//! End to end: the real `stet` in a tmux pane annotates a sentence of the sample corpus, quits,
//! starts again and finds the annotation on screen, then `stet annotations export --format
//! jsonl` prints it. A second stet on the same corpus opens the annotations read-only. Skips
//! when tmux is missing.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn start(name: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let t = Tmux {
            socket: format!("stet-e2e-ann-{name}-{}", std::process::id()),
            dir,
        };
        let status = Command::new("tmux")
            .args(["-L", &t.socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "120", "-y", "40", "-s", "e2e", "sh"])
            .env_remove("NO_COLOR")
            .env("PS1", "$ ")
            .status()
            .unwrap();
        assert!(status.success());
        // A private copy: the shared target dir may be rebuilt by other builds meanwhile.
        std::fs::copy(env!("CARGO_BIN_EXE_stet"), t.dir.path().join("stet")).unwrap();
        Some(t)
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    fn env(&self) -> String {
        let d = self.dir.path().display();
        format!(
            "env STET_DATA_DIR={d}/data STET_CONFIG_DIR={d}/config STET_CACHE_DIR={d}/cache TERM=xterm-256color"
        )
    }

    /// Types `text` literally in `target`, then Enter.
    fn line(&self, target: &str, text: &str) {
        self.tmux(&["send-keys", "-t", target, "-l", text]);
        self.tmux(&["send-keys", "-t", target, "Enter"]);
    }

    fn keys(&self, target: &str, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", target, k]);
        }
    }

    fn screen(&self, target: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", target]).stdout)
            .into_owned()
    }

    fn wait_for(&self, target: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(target);
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts stet on the sample corpus in `target` and waits for the list.
    fn run_stet(&self, target: &str) {
        let bin = self.dir.path().join("stet");
        self.line(
            target,
            &format!("{} '{}'; echo STET-EXIT=$?", self.env(), bin.display()),
        );
        self.wait_for(target, "the story list", |s| {
            s.contains("stories") && s.contains("unread")
        });
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

#[test]
fn annotate_quit_restart_find_and_export() {
    let Some(t) = Tmux::start("flow") else {
        return;
    };
    t.run_stet("e2e");
    // Open the cranes story, select its second sentence, label it 4 with a note.
    t.keys("e2e", &["/"]);
    t.tmux(&["send-keys", "-t", "e2e", "-l", "crane"]);
    t.keys("e2e", &["Enter", "Enter"]);
    t.wait_for("e2e", "the reader", |s| s.contains("▶ Version"));
    t.keys("e2e", &[")", "v", "a"]);
    t.wait_for("e2e", "the label picker", |s| {
        s.contains("Attribution changed")
    });
    t.keys("e2e", &["4"]);
    t.wait_for("e2e", "the note input", |s| s.contains("Ctrl-s saves"));
    t.tmux(&["send-keys", "-t", "e2e", "-l", "e2e note 42"]);
    t.keys("e2e", &["C-s"]);
    let s = t.wait_for("e2e", "the annotation", |s| {
        s.contains("Annotated: Attribution changed")
    });
    assert!(
        s.lines().any(|l| l.contains("4The birds stop")),
        "the label key marks the sentence:\n{s}"
    );
    // A second stet on the same corpus: read-only, and says so.
    t.tmux(&["new-window", "-t", "e2e", "-n", "two", "sh"]);
    t.run_stet("e2e:two");
    let s = t.wait_for("e2e:two", "read-only", |s| s.contains("read-only"));
    assert!(s.contains("annotations read-only"), "{s}");
    t.keys("e2e:two", &["q"]);
    t.wait_for("e2e:two", "the second stet to exit", |s| {
        s.contains("STET-EXIT=0")
    });
    t.tmux(&["kill-window", "-t", "e2e:two"]);

    // Quit, start again: the annotation is there.
    t.keys("e2e", &["q"]);
    t.wait_for("e2e", "stet to exit", |s| s.contains("STET-EXIT=0"));
    t.line("e2e", "clear");
    t.run_stet("e2e");
    t.keys("e2e", &["/"]);
    t.tmux(&["send-keys", "-t", "e2e", "-l", "crane"]);
    t.keys("e2e", &["Enter", "Enter"]);
    let s = t.wait_for("e2e", "the annotation after a restart", |s| {
        s.lines().any(|l| l.contains("4The birds stop"))
    });
    assert!(!s.contains("read-only"), "{s}");
    t.keys("e2e", &["q"]);
    t.wait_for("e2e", "stet to exit", |s| {
        s.matches("STET-EXIT=0").count() >= 1
    });

    // The export has it.
    let d = t.dir.path();
    let out = Command::new(d.join("stet"))
        .args(["annotations", "export", "--format", "jsonl"])
        .env("STET_DATA_DIR", d.join("data"))
        .env("STET_CONFIG_DIR", d.join("config"))
        .env("STET_CACHE_DIR", d.join("cache"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["label"], "attribution_changed");
    assert_eq!(v["note"], "e2e note 42");
    let quote = v["targets"][0]["quote"]["exact"].as_str().unwrap();
    assert!(
        quote.starts_with("The birds stop at the shallow lagoons"),
        "{quote}"
    );
    assert_eq!(v["targets"][0]["anchor"]["status"], "exact");
}

#[test]
fn the_diff_view_in_a_real_terminal() {
    let Some(t) = Tmux::start("diff") else {
        return;
    };
    t.run_stet("e2e");
    // The ferry story has four versions.
    t.keys("e2e", &["/"]);
    t.tmux(&["send-keys", "-t", "e2e", "-l", "ferry"]);
    t.keys("e2e", &["Enter", "d"]);
    let s = t.wait_for("e2e", "the diff", |s| s.contains("% similar"));
    assert!(s.contains("A: version 1"), "{s}");
    assert!(s.contains("B: version 4"), "{s}");
    assert!(s.contains("side by side"), "{s}");
    assert!(s.contains(" │ "), "two columns:\n{s}");
    t.keys("e2e", &["u"]);
    t.wait_for("e2e", "unified", |s| s.contains("· unified"));
    t.keys("e2e", &["]", "c"]);
    // The cursor starts on the first change (a removed correction line): ]c goes to the second.
    t.wait_for("e2e", "the next change", |s| s.contains("Change 2 of"));
    // At 80 columns the diff is laid out again.
    t.tmux(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    t.wait_for("e2e", "the narrow layout", |s| {
        s.lines().all(|l| l.chars().count() <= 80) && s.contains("similar")
    });
    t.keys("e2e", &["Escape"]);
    t.wait_for("e2e", "the list", |s| s.contains("Diff closed"));
    t.keys("e2e", &["q"]);
    t.wait_for("e2e", "stet to exit", |s| s.contains("STET-EXIT=0"));
}
