//! `stet stories`.

use std::process::ExitCode;

use anyhow::Result;

/// Runs `stet stories`.
pub fn run(_args: &super::StoriesArgs) -> Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
