//! `stet annotations`.

use std::process::ExitCode;

use anyhow::{Result, bail};

/// Runs `stet annotations`.
pub fn run(_args: &super::AnnotationsArgs) -> Result<ExitCode> {
    bail!("`stet annotations` is not available yet")
}
