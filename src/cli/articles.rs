//! `stet articles`.

use std::process::ExitCode;

use anyhow::Result;

/// Runs `stet articles`.
pub fn run(_args: &super::ArticlesArgs) -> Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
