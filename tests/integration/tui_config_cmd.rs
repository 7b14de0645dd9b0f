//! `stet config`: the printed default parses cleanly, the user's file is found through
//! `$XDG_CONFIG_HOME` or `--config`, and its mistakes are reported with file and line.

use std::process::Command;

fn stet() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stet"));
    c.env_remove("STET_CONFIG_DIR")
        .env_remove("XDG_CONFIG_HOME");
    c
}

#[test]
fn print_default_is_the_embedded_commented_config() {
    let out = stet().args(["config", "--print-default"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, stet::config::DEFAULT_TOML);
    assert!(text.starts_with("# stet configuration."));
    let (_, problems) = stet::config::Config::from_toml(&text, "printed");
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn mistakes_are_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        "[reader]\nwidth = 72\n\n[keys.list]\n\"x\" = \"explode\"\n",
    )
    .unwrap();
    let out = stet()
        .arg("config")
        .arg("--config")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{}:5: keys.list: unknown action \"explode\"",
            path.display()
        )),
        "{err}"
    );
}

#[test]
fn xdg_config_home_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("stet")).unwrap();
    std::fs::write(dir.path().join("stet/config.toml"), "[ui]\nmouse = true\n").unwrap();
    let out = stet()
        .env("XDG_CONFIG_HOME", dir.path())
        .arg("config")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&dir.path().join("stet/config.toml").display().to_string()),
        "{text}"
    );
    assert!(text.contains("no problems"));
}

#[test]
fn a_missing_explicit_config_is_a_problem() {
    let out = stet()
        .args(["config", "--config", "/no/such/stet.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/stet.toml: cannot read"));
}
