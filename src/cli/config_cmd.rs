//! `stet config`: print the commented default configuration, or check the user's.

use std::path::Path;
use std::process::ExitCode;

use std::io::Write;

use anyhow::Result;

use crate::config::{Config, DEFAULT_TOML};

/// Runs `stet config`: `--print-default` prints the default `config.toml`; otherwise the user's
/// config (or `explicit`) is checked and every problem printed, exiting 1 when there are any.
pub(crate) fn run(args: &super::ConfigArgs, explicit: Option<&Path>) -> Result<ExitCode> {
    let mut out = super::output::stdout();
    if args.print_default {
        write!(out, "{DEFAULT_TOML}")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(crate::config::user_config_path);
    let (_config, problems) = Config::load(explicit, false);
    match &path {
        Some(p) if p.exists() => writeln!(out, "config file: {}", p.display())?,
        Some(p) => writeln!(
            out,
            "config file: {} (absent: the defaults apply)",
            p.display()
        )?,
        None => writeln!(
            out,
            "config file: none (no config directory); the defaults apply"
        )?,
    }
    out.flush()?;
    for p in &problems {
        crate::say!("{p}");
    }
    if problems.is_empty() {
        writeln!(out, "no problems")?;
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}
