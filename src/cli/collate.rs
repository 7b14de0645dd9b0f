//! `stet collate`.

use std::process::ExitCode;

use anyhow::{Result, bail};

/// Runs `stet collate`.
pub fn run(_args: &super::CollateArgs) -> Result<ExitCode> {
    bail!("`stet collate` is not available yet")
}
