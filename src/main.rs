//! The `stet` binary: parses arguments and dispatches; all work lives in the library.

use std::process::ExitCode;

use clap::Parser;

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
