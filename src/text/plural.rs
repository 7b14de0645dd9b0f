//! Counted nouns: "1 story", "2 stories", and sizes: "4.8 GB". The helpers every message
//! uses, CLI and reader.

/// `n` and the noun in its number: `plural(1, "story", "stories")` is "1 story".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// The noun alone in the number `n` asks for: `noun(2, "version", "versions")` is "versions".
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A size in bytes as people read it, in decimal units: "512 bytes", "12 kB", "480 MB",
/// "4.8 GB" (one decimal under ten units).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return plural(usize::try_from(n).unwrap_or(0), "byte", "bytes");
    }
    let mut v = crate::num::f64_of_u64(n) / 1000.0;
    let mut unit = 0;
    while v >= 999.95 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if v < 9.95 {
        format!("{v:.1} {}", UNITS[unit])
    } else {
        format!("{v:.0} {}", UNITS[unit])
    }
}

/// Bytes done of a total, as a progress line reads them: "1.2 GB / 4.8 GB".
pub fn bytes_of(done: u64, total: u64) -> String {
    format!("{} / {}", bytes(done), bytes(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(plural(1, "story", "stories"), "1 story");
        assert_eq!(plural(0, "story", "stories"), "0 stories");
        assert_eq!(plural(2, "problem", "problems"), "2 problems");
        assert_eq!(noun(1, "version", "versions"), "version");
    }

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(bytes(0), "0 bytes");
        assert_eq!(bytes(1), "1 byte");
        assert_eq!(bytes(999), "999 bytes");
        assert_eq!(bytes(1000), "1.0 kB");
        assert_eq!(bytes(12_345), "12 kB");
        assert_eq!(bytes(479_814_219), "480 MB");
        assert_eq!(bytes(999_960_000), "1.0 GB");
        assert_eq!(bytes(4_798_000_000), "4.8 GB");
        assert_eq!(bytes(u64::MAX), "18446744 TB");
        assert_eq!(bytes_of(1_234_000_000, 4_798_000_000), "1.2 GB / 4.8 GB");
    }
}
