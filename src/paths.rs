//! Where stet keeps its per-user files, and a stable key per corpus.
//!
//! Minimal version made for the reader; the lead reconciles it with the annotation helper's.
//! Each directory: the environment override (`STET_DATA_DIR`, `STET_CONFIG_DIR`,
//! `STET_CACHE_DIR`) first, then for config `$XDG_CONFIG_HOME/stet`, then the platform's
//! directory from `directories::ProjectDirs`.

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "stet")
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Reading state and annotations: what the user made and must not lose.
pub fn data_dir() -> Option<PathBuf> {
    env_dir("STET_DATA_DIR").or_else(|| project_dirs().map(|d| d.data_dir().to_path_buf()))
}

/// The directory of `config.toml`.
pub fn config_dir() -> Option<PathBuf> {
    env_dir("STET_CONFIG_DIR")
        .or_else(|| env_dir("XDG_CONFIG_HOME").map(|d| d.join("stet")))
        .or_else(|| project_dirs().map(|d| d.config_dir().to_path_buf()))
}

/// Derived files that can be rebuilt.
pub fn cache_dir() -> Option<PathBuf> {
    env_dir("STET_CACHE_DIR").or_else(|| project_dirs().map(|d| d.cache_dir().to_path_buf()))
}

/// A stable, file-name-safe key for the corpus at `paths` ("sample" for none): a readable
/// prefix from the first path's name and a hash of all the absolute paths.
pub fn corpus_key(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "sample".into();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for p in paths {
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        for b in abs.to_string_lossy().bytes().chain([0u8]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let name: String = paths[0]
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(32)
        .collect();
    format!(
        "{}-{hash:016x}",
        if name.is_empty() { "corpus" } else { &name }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_keys_are_stable_and_safe() {
        assert_eq!(corpus_key(&[]), "sample");
        let a = corpus_key(&[PathBuf::from("/no/such/news dir")]);
        assert_eq!(a, corpus_key(&[PathBuf::from("/no/such/news dir")]));
        assert!(a.starts_with("newsdir-"));
        assert_ne!(a, corpus_key(&[PathBuf::from("/no/such/other")]));
    }
}
