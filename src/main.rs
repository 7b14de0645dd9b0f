//! The `stet` binary: parses arguments and dispatches; all work lives in the library.

use std::process::ExitCode;

use clap::Parser;

/// jemalloc: a 1M first open spent a fifth of its features phase in glibc's malloc
/// bookkeeping; with jemalloc it takes 14% less CPU (the figures are in Cargo.toml).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = stet::cli::Cli::parse();
    match stet::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            stet::say!("stet: {err:#}");
            ExitCode::FAILURE
        }
    }
}
