//! robots.txt (RFC 9309): the group for stet's product token, else `*`; the longest matching
//! `Allow`/`Disallow` rule decides, `Allow` winning a tie; `*` and `$` in paths.

/// (allow, path pattern) pairs.
type Rules = Vec<(bool, String)>;

/// The rules of one robots.txt that apply to stet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Robots {
    /// (allow, path pattern) pairs.
    rules: Vec<(bool, String)>,
    /// Everything refused (the file could not be fetched for a server error).
    deny_all: bool,
}

impl Robots {
    /// Rules allowing everything (no robots.txt, or a 4xx answer for it).
    pub(crate) fn allow_all() -> Robots {
        Robots::default()
    }

    /// Rules refusing everything (robots.txt unreachable: RFC 9309 §2.3.1.4).
    pub(crate) fn deny_all() -> Robots {
        Robots {
            rules: Vec::new(),
            deny_all: true,
        }
    }

    /// Parses `text` for the product token `agent` (`stet`), case-insensitively.
    pub(crate) fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // Groups: their user agents and rules.
        let mut groups: Vec<(Vec<String>, Rules)> = Vec::new();
        let mut in_agents = false;
        for line in text.lines().take(100_000) {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        // An empty Disallow allows everything: no rule.
                        if !value.is_empty() {
                            g.1.push((key == "allow", value.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
        let pick = |want: &dyn Fn(&str) -> bool| -> Option<Rules> {
            let mut rules = Vec::new();
            let mut found = false;
            for (agents, r) in &groups {
                if agents.iter().any(|a| want(a)) {
                    found = true;
                    rules.extend(r.iter().cloned());
                }
            }
            found.then_some(rules)
        };
        let rules = pick(&|a| a == agent)
            .or_else(|| pick(&|a| a == "*"))
            .unwrap_or_default();
        Robots {
            rules,
            deny_all: false,
        }
    }

    /// Whether `path` (with its query) may be fetched.
    pub(crate) fn allows(&self, path: &str) -> bool {
        if self.deny_all {
            return false;
        }
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Whether the robots.txt `pattern` (`*` any run, `$` the end) matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut at = 0usize;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            at = part.len();
            continue;
        }
        let last = i + 1 == parts.len();
        if last && anchored {
            return path.len() >= at + part.len() && path.ends_with(part);
        }
        match path[at..].find(part) {
            Some(pos) => at += pos + part.len(),
            None => return false,
        }
    }
    !anchored || at == path.len() || (parts.len() > 1 && parts.last() == Some(&""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_group_wins_over_star_and_longest_rule_decides() {
        let text = "User-agent: *\nDisallow: /\n\nUser-agent: stet\nUser-agent: other\nDisallow: /private\nAllow: /private/ok\n";
        let r = Robots::parse(text, "stet");
        assert!(r.allows("/news/1"));
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/ok/1"));
        let star = Robots::parse(text, "somebot");
        assert!(!star.allows("/news/1"));
        assert!(star.allows("/robots.txt"));
    }

    #[test]
    fn wildcards_and_end_anchor() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*/x\n",
            "stet",
        );
        assert!(!r.allows("/a/b.pdf"));
        assert!(r.allows("/a/b.pdf?x=1"));
        assert!(!r.allows("/tmp123/x/y"));
        assert!(r.allows("/tmp123/y"));
        let empty = Robots::parse("User-agent: *\nDisallow:\n", "stet");
        assert!(empty.allows("/anything"));
        assert!(!Robots::deny_all().allows("/"));
    }
}
