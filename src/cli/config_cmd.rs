//! `stet config`: print the commented default configuration, or check the user's.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::config::{Config, DEFAULT_TOML};

/// Runs `stet config`: `--print-default` prints the default `config.toml`; otherwise the user's
/// config (or `explicit`) is checked and every problem printed, exiting 1 when there are any.
pub fn run(args: &super::ConfigArgs, explicit: Option<&Path>) -> Result<ExitCode> {
    if args.print_default {
        print!("{DEFAULT_TOML}");
        return Ok(ExitCode::SUCCESS);
    }
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(crate::config::user_config_path);
    let (_config, problems) = Config::load(explicit, false);
    match &path {
        Some(p) if p.exists() => println!("config file: {}", p.display()),
        Some(p) => println!("config file: {} (absent: the defaults apply)", p.display()),
        None => println!("config file: none (no config directory); the defaults apply"),
    }
    for p in &problems {
        eprintln!("{p}");
    }
    if problems.is_empty() {
        println!("no problems");
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}
