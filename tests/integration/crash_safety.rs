//! Crash safety of the reader's state file and of the terminal.
//!
//! - The reading state is written atomically (temp file, sync, rename): a writer process is
//!   killed with SIGKILL at random points while it saves over and over, hundreds of times
//!   (`STET_CRASH_ITERATIONS`, default 200); after each kill the file must load and hold the last
//!   state the writer acknowledged (or the one it was writing).
//! - A panic on the UI thread hands the terminal back: the real binary in tmux, panicked by the
//!   test-only `STET_TEST_PANIC_KEY`, must leave the alternate screen, show the cursor and
//!   restore cooked mode, and the shell must work after it.

use crate::tmux_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use stet::app::SavedState;
use stet::runtime::state_file;
use tmux_support::Tmux;

fn state(n: u64) -> SavedState {
    SavedState {
        version: 1,
        read: (0..n % 50).map(|i| format!("article-{i}")).collect(),
        selected: Some(n.to_string()),
        sort: Some(
            if n.is_multiple_of(2) {
                "title"
            } else {
                "newest"
            }
            .into(),
        ),
        source_filter: None,
    }
}

fn counter(s: &SavedState) -> u64 {
    s.selected
        .as_deref()
        .and_then(|x| x.parse().ok())
        .unwrap_or(0)
}

/// The writer, run as a child of `state_file_survives_sigkill_at_random_points`: continues from
/// the saved state and saves states n+1, n+2 … printing `ACK n` after each save returns.
#[test]
fn child_state_writer() {
    let Ok(path) = std::env::var("STET_CRASH_CHILD_STATE") else {
        return; // only as a child process
    };
    let path = Path::new(&path);
    let (loaded, problem) = state_file::load(path);
    assert!(problem.is_none(), "{problem:?}");
    let mut n = loaded.as_ref().map_or(0, counter);
    loop {
        n += 1;
        state_file::save(path, &state(n)).unwrap();
        println!("ACK {n}");
    }
}

/// The number of an `ACK n` line.
fn ack(line: &str) -> u64 {
    let at = line.rfind("ACK ").unwrap();
    line[at + 4..].trim().parse().unwrap()
}

/// A small xorshift generator: random enough for kill points, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn state_file_survives_sigkill_at_random_points() {
    let iterations: u64 = std::env::var("STET_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("state").join(state_file::STATE_FILE_NAME);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    // The low 64 bits of the clock, odd.
    let seed = u64::try_from(nanos & u128::from(u64::MAX)).unwrap() | 1;
    let mut rng = Rng(seed);
    let mut acked = 0u64;
    let mut killed_mid_run = 0;
    for i in 0..iterations {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_safety::child_state_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("STET_CRASH_CHILD_STATE", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Let it make a random number of saves, then kill it at a random moment.
        let wait_acks = rng.below(6);
        let mut seen = 0;
        while seen < wait_acks {
            match lines.next() {
                // The first ACK shares a line with libtest's "test child_state_writer ... ".
                Some(Ok(l)) if l.contains("ACK ") => {
                    acked = ack(&l);
                    seen += 1;
                }
                Some(_) => {}
                None => break,
            }
        }
        std::thread::sleep(Duration::from_micros(rng.below(3000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Every ACK written before the kill was acknowledged.
        for l in lines.map_while(Result::ok) {
            if l.contains("ACK ") {
                acked = ack(&l);
                killed_mid_run += 1;
            }
        }
        let (loaded, problem) = state_file::load(&path);
        assert!(
            problem.is_none(),
            "iteration {i} (seed {seed}): {problem:?}"
        );
        if acked == 0 && loaded.is_none() {
            continue; // killed before its first save completed
        }
        let loaded =
            loaded.unwrap_or_else(|| panic!("iteration {i}: state lost after ACK {acked}"));
        let n = counter(&loaded);
        assert!(
            n == acked || n == acked + 1,
            "iteration {i} (seed {seed}): file holds {n}, last acknowledged {acked}"
        );
        assert_eq!(loaded, state(n), "iteration {i}: the state is whole");
        acked = n;
    }
    assert!(acked > iterations / 2, "the writer made progress: {acked}");
    let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count() - 1;
    eprintln!(
        "{iterations} kills, {acked} saves, {killed_mid_run} acks read after a kill, {leftovers} temp files left by killed writers"
    );
}

#[test]
fn a_panic_on_the_ui_thread_restores_the_terminal() {
    let Some(t) = Tmux::start("panic") else {
        return;
    };
    let bin = t.dir.path().join("stet");
    std::fs::copy(env!("CARGO_BIN_EXE_stet"), &bin).unwrap();
    t.line("echo BEFORE-$((40+2))");
    t.wait_for("the shell", |s| s.contains("BEFORE-42"));
    t.line(&format!(
        "STET_TEST_PANIC_KEY=F12 '{}'; echo STET-EXIT=$((0+$?))",
        bin.display()
    ));
    t.wait_for("the story list", |s| s.contains("unread"));
    let alt = |t: &Tmux| {
        String::from_utf8_lossy(
            &t.tmux(&[
                "display-message",
                "-p",
                "-t",
                "e2e",
                "#{alternate_on} #{cursor_flag}",
            ])
            .stdout,
        )
        .trim()
        .to_string()
    };
    assert_eq!(alt(&t), "1 0", "full screen, cursor hidden while running");
    t.keys(&["j", "Enter", "F12"]);
    let s = t.wait_for("stet to die", |s| s.contains("STET-EXIT=101"));
    assert!(s.contains("test panic"), "the panic message is shown:\n{s}");
    assert!(s.contains("BEFORE-42"), "the shell's screen is back:\n{s}");
    assert_eq!(alt(&t), "0 1", "alternate screen left, cursor shown");
    t.line(
        "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | sed 's/^/MODE:/'; echo STTY-$((2+2))",
    );
    let s = t.wait_for("stty", |s| s.contains("STTY-4"));
    assert!(
        s.contains("MODE:icanon") && s.contains("MODE:echo"),
        "cooked mode with echo is back:\n{s}"
    );
    t.line("echo AFTER-$((6*7))");
    t.wait_for("the shell to answer", |s| s.contains("AFTER-42"));
}
