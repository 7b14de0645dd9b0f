//! Running the real `stet` binary from CLI tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// `stet ARGS` with its data, config and cache dirs under `home` (add env, then run it).
pub fn stet_in(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stet"));
    cmd.args(args)
        .env("STET_DATA_DIR", home.join("data"))
        .env("STET_CONFIG_DIR", home.join("config"))
        .env("STET_CACHE_DIR", home.join("cache"));
    cmd
}

/// `stet ARGS` with the shared test dirs under the system temp dir (add env, then run it).
pub fn stet_shared_cmd(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stet"));
    cmd.args(args)
        .env("STET_DATA_DIR", std::env::temp_dir().join("stet-test-data"))
        .env(
            "STET_CACHE_DIR",
            std::env::temp_dir().join("stet-test-cache"),
        );
    cmd
}

/// `stet ARGS` with the shared test dirs under the system temp dir, run.
pub fn stet_shared(args: &[&str]) -> Output {
    stet_shared_cmd(args).output().expect("run stet")
}

/// The JSON a successful run printed (panics with its stderr otherwise).
pub fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stet failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}
