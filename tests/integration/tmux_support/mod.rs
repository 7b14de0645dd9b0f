//! A private tmux server running `sh` in a 120x40 pane, for tests of the real binary.
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of its own (killed on drop) with one session `e2e`.
pub struct Tmux {
    socket: String,
    /// Scratch dir of the session (its STET_* dirs live here).
    pub dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts the server, or None (with a message) when tmux is missing.
    pub fn start(name: &str) -> Option<Tmux> {
        Tmux::start_with(name, &[])
    }

    /// Like `start`, with extra `NAME=value` environment for the shell.
    pub fn start_with(name: &str, env: &[&str]) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = format!("stet-tmux-{name}-{}", std::process::id());
        let t = Tmux { socket, dir };
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
            .args(t.shell_command(env))
            .env_remove("NO_COLOR")
            .status()
            .unwrap();
        assert!(status.success());
        Some(t)
    }

    /// `env STET_*=… TERM=… PS1=… [env] sh`: a shell whose stet uses this session's dirs.
    fn shell_command(&self, env: &[&str]) -> Vec<String> {
        let home = self.dir.path();
        let mut cmd = vec![
            "env".to_string(),
            format!("STET_DATA_DIR={}", home.join("data").display()),
            format!("STET_CONFIG_DIR={}", home.join("config").display()),
            format!("STET_CACHE_DIR={}", home.join("cache").display()),
            "TERM=xterm-256color".to_string(),
            "PS1=$ ".to_string(),
        ];
        cmd.extend(env.iter().map(|e| e.to_string()));
        cmd.push("sh".to_string());
        cmd
    }

    /// Opens a second window `name` (target `e2e:NAME`) with the same shell.
    pub fn new_window(&self, name: &str) {
        let mut args: Vec<String> = ["new-window", "-t", "e2e", "-n", name]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(self.shell_command(&[]));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.tmux(&args);
    }

    /// Runs a tmux command on this server.
    pub fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    /// Sends tmux key names one by one.
    pub fn keys(&self, keys: &[&str]) {
        self.keys_to("e2e", keys);
    }

    /// Sends tmux key names one by one to the pane `target` (`e2e`, `e2e:two`).
    pub fn keys_to(&self, target: &str, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", target, k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Types `text` literally into `target` (no Enter).
    pub fn type_to(&self, target: &str, text: &str) {
        self.tmux(&["send-keys", "-t", target, "-l", text]);
    }

    /// Types the text literally, then Enter.
    pub fn line(&self, text: &str) {
        self.line_to("e2e", text);
    }

    /// Types the text literally into `target`, then Enter.
    pub fn line_to(&self, target: &str, text: &str) {
        self.type_to(target, text);
        self.tmux(&["send-keys", "-t", target, "Enter"]);
    }

    /// The text of the pane.
    pub fn screen(&self) -> String {
        self.screen_of("e2e")
    }

    /// The text of the pane `target`.
    pub fn screen_of(&self, target: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", target]).stdout)
            .into_owned()
    }

    /// The pane with its colours and attributes as escape sequences.
    pub fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-e", "-t", "e2e"]).stdout)
            .into_owned()
    }

    /// A tmux format evaluated for the pane (`#{alternate_on}`, `#{cursor_flag}`).
    pub fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["display-message", "-p", "-t", "e2e", f]).stdout)
            .trim()
            .to_string()
    }

    /// Starts a private copy of the stet binary (the shared target dir may be rebuilt meanwhile)
    /// with `args`, after a marker line; `check_restored` reads its exit code.
    pub fn run_stet(&self, args: &str) {
        self.run_stet_in("e2e", args);
    }

    /// [`run_stet`](Self::run_stet) in the pane `target`.
    pub fn run_stet_in(&self, target: &str, args: &str) {
        let bin = self.dir.path().join("stet");
        if !bin.exists() {
            std::fs::copy(env!("CARGO_BIN_EXE_stet"), &bin).unwrap();
        }
        let bin = bin.display();
        // Markers are computed by the shell so the typed command line never matches them.
        self.line_to(target, "echo BEFORE-$((40+2))");
        self.wait_for_in(target, "the shell", |s| s.contains("BEFORE-42"));
        self.line_to(target, &format!("'{bin}' {args}; echo STET-EXIT=$?"));
    }

    /// Quits with `q` and checks the terminal is back as it was.
    pub fn quit_and_check_restored(&self) {
        self.keys(&["q"]);
        self.check_restored(0);
    }

    /// Waits for stet (started by `run_stet`) to exit with `code` and checks the terminal is
    /// back as it was: the shell's screen, alternate screen left, cursor shown, cooked mode.
    pub fn check_restored(&self, code: i32) {
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

    /// Waits (up to 20 s) until the screen satisfies the check.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.wait_for_in("e2e", what, ok)
    }

    /// Waits (up to 20 s) until the pane `target` satisfies the check.
    pub fn wait_for_in(&self, target: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen_of(target);
            if ok(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}
