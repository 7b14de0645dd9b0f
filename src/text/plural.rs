//! Counted nouns: "1 story", "2 stories". The one helper every message uses, CLI and reader.

/// `n` and the noun in its number: `plural(1, "story", "stories")` is "1 story".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// The noun alone in the number `n` asks for: `noun(2, "version", "versions")` is "versions".
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
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
}
