//! Third-party decoders (the HTML extractor, the Parquet reader) that may panic on hostile
//! input: their panics are caught and become problem lines, and the panic hook is kept from
//! printing them (the default message would go to stderr, over the reader's screen, with
//! bytes of the input in it, unsanitised).

use std::cell::Cell;

std::thread_local! {
    /// How many guarded calls this thread is inside (nested through rayon's work stealing).
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, catching a panic inside it without printing it; `Err(())` when it panicked.
pub(crate) fn catch<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Result<T, ()> {
    install_hook();
    GUARDED.with(|g| g.set(g.get() + 1));
    let caught = std::panic::catch_unwind(f);
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    caught.map_err(|_| ())
}
