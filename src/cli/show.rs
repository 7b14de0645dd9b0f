//! `stet show`.

use std::process::ExitCode;

use anyhow::Result;

/// Runs `stet show`.
pub fn run(_args: &super::ShowArgs) -> Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
