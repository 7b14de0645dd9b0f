//! `stet config`.

use std::process::ExitCode;

use anyhow::Result;

/// Runs `stet config`.
pub fn run(_args: &super::ConfigArgs) -> Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
