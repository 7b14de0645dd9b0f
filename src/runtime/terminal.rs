//! Entering and leaving the terminal's full-screen mode, also on error and on panic.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::{
    cursor,
    event::{DisableMouseCapture, EnableMouseCapture},
    execute,
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};

/// Holds the terminal in raw mode on the alternate screen; restores it when dropped.
#[derive(Debug)]
pub(crate) struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, hides the cursor, captures the mouse when
    /// `mouse`, and installs a panic hook that restores the terminal before the panic message.
    pub(crate) fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        install_panic_hook();
        let guard = TerminalGuard { _private: () };
        ACTIVE.store(true, Ordering::SeqCst);
        terminal::enable_raw_mode()?;
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen, cursor::Hide)?;
        if mouse {
            execute!(out, EnableMouseCapture)?;
        }
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Whether the terminal is in stet's full-screen mode (so `restore` has work to do).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Leaves raw mode and the alternate screen and shows the cursor. Only the first call after
/// `enter` acts: leaving the alternate screen twice would move the cursor back over what was
/// printed in between (the panic message).
pub(crate) fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A panic on a worker thread is caught there and reported in the UI; only the UI
            // thread's panic ends the program, so only then is the terminal handed back.
            if std::thread::current().name() == Some("main") {
                restore();
                previous(info);
            }
        }));
    });
}
