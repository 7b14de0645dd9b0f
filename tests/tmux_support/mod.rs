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
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = format!("stet-safety-{name}-{}", std::process::id());
        let t = Tmux { socket, dir };
        let home = t.dir.path();
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
            .arg("sh")
            .env_remove("NO_COLOR")
            .status()
            .unwrap();
        assert!(status.success());
        Some(t)
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
        for k in keys {
            self.tmux(&["send-keys", "-t", "e2e", k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Types the text literally, then Enter.
    pub fn line(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
        self.tmux(&["send-keys", "-t", "e2e", "Enter"]);
    }

    /// The text of the pane.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    /// Waits (up to 20 s) until the screen satisfies the check.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
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
