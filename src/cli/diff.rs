//! `stet diff`.

use std::process::ExitCode;

use anyhow::{Result, bail};

/// Runs `stet diff`.
pub fn run(_args: &super::DiffArgs) -> Result<ExitCode> {
    bail!("`stet diff` is not available yet")
}
