//! The edits that turn one report into another outlet's version of it: trimmed endings, moved
//! paragraphs, reworded sentences, added quotes, changed figures, hard wrapping.

use super::rng::Rng;
use stet::num::{f64_of, u32_of, usize_of};

/// Word pairs an editor swaps (both directions).
const SYNONYMS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("rise", "increase"),
    ("rose", "climbed"),
    ("fell", "dropped"),
    ("big", "large"),
    ("company", "firm"),
    ("companies", "firms"),
    ("government", "administration"),
    ("expected", "forecast"),
    ("about", "around"),
    ("also", "additionally"),
    ("but", "however"),
    ("buy", "purchase"),
    ("bought", "acquired"),
    ("show", "indicate"),
    ("shows", "indicates"),
    ("help", "assist"),
    ("start", "begin"),
    ("started", "began"),
    ("end", "finish"),
    ("told", "informed"),
    ("people", "individuals"),
    ("plan", "proposal"),
    ("plans", "proposals"),
    ("new", "fresh"),
    ("major", "leading"),
    ("deal", "agreement"),
    ("talks", "negotiations"),
    ("officials", "authorities"),
    ("country", "nation"),
    ("market", "marketplace"),
    ("profit", "earnings"),
    ("week", "seven days"),
    ("chief", "head"),
    ("very", "highly"),
    ("important", "significant"),
    ("quickly", "rapidly"),
    ("think", "believe"),
    ("because", "as"),
    ("while", "whereas"),
];

/// Splits a paragraph into sentences at '.', '?' or '!' followed by a space and a capital
/// letter, digit or quote.
pub fn sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for k in 0..chars.len() {
        let (i, c) = chars[k];
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let next = chars.get(k + 1).map(|x| x.1);
        let after = chars.get(k + 2).map(|x| x.1);
        if next == Some(' ')
            && after.is_some_and(|a| a.is_uppercase() || a.is_ascii_digit() || a == '"')
        {
            let s = paragraph[start..=i].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = i + 1;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

fn swap_synonym(word: &str) -> Option<String> {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return None;
    }
    let lower = core.to_lowercase();
    let repl = SYNONYMS.iter().find_map(|&(a, b)| {
        if a == lower {
            Some(b)
        } else if b == lower {
            Some(a)
        } else {
            None
        }
    })?;
    let repl = if core.starts_with(char::is_uppercase) {
        let mut c = repl.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        repl.to_string()
    };
    Some(word.replacen(core, &repl, 1))
}

/// Rewords a sentence: swaps synonyms, drops a word or adds one, at two or more places, so that
/// most of its word 5-grams change.
pub fn reword(sentence: &str, rng: &mut Rng) -> String {
    let mut words: Vec<String> = sentence.split_whitespace().map(str::to_string).collect();
    if words.len() < 4 {
        return sentence.to_string();
    }
    let mut changed = 0;
    for w in words.iter_mut() {
        if let Some(s) = swap_synonym(w)
            && rng.chance(0.8)
        {
            *w = s;
            changed += 1;
        }
    }
    let fillers = ["also", "now", "reportedly", "still", "further", "then"];
    let mut pos = 2 + rng.below(3);
    while changed < 3 && pos < words.len() {
        let w = &words[pos];
        let plain = w.chars().all(|c| c.is_alphabetic()) && w.len() > 3;
        if plain && rng.chance(0.5) && pos + 1 < words.len() {
            words.remove(pos);
        } else {
            words.insert(pos, rng.pick(&fillers).to_string());
        }
        changed += 1;
        pos += 5 + rng.below(4);
    }
    words.join(" ")
}

/// Changes one digit of the `which`-th figure of `text` (counting words with digits); returns
/// whether a figure was changed.
pub fn change_figure(text: &mut String, rng: &mut Rng) -> bool {
    let spans: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_ascii_digit(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    v.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            v.push((s, text.len()));
        }
        v
    };
    if spans.is_empty() {
        return false;
    }
    let (s, e) = spans[rng.below(spans.len())];
    let digits: String = text[s..e]
        .chars()
        .enumerate()
        .map(|(k, c)| {
            if k + 1 == e - s {
                let d = c.to_digit(10).unwrap_or(0);
                char::from_digit((d + 1 + u32_of(rng.below(8))) % 10, 10).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    text.replace_range(s..e, &digits);
    true
}

const NAMES: &[&str] = &[
    "Maria Lopez",
    "John Carter",
    "Aiko Tanaka",
    "Peter Novak",
    "Fatima Hassan",
    "David Okafor",
    "Sarah Klein",
    "Luis Moreno",
];
const ROLES: &[&str] = &[
    "an analyst at Westbrook Securities",
    "a spokeswoman for the ministry",
    "a senior economist at Halden Bank",
    "a professor at the University of Leeds",
    "a spokesman for the company",
    "a trade union official",
];
const QUOTES: &[&str] = &[
    "We are watching the situation very closely and will respond when the time is right",
    "Nobody expected it to happen this quickly, and the consequences are still unclear",
    "This is a significant step, but there is a great deal of work still to be done",
    "The figures speak for themselves and the trend is unlikely to reverse soon",
    "It is too early to draw any firm conclusions from what we have seen so far",
    "We have made our position clear and we are not going to change it now",
];

/// A quotation paragraph an outlet adds to its version.
pub fn added_quote(rng: &mut Rng) -> String {
    format!(
        "\"{},\" said {}, {}.",
        rng.pick(QUOTES),
        rng.pick(NAMES),
        rng.pick(ROLES)
    )
}

/// Hard-wraps a paragraph at `width` columns, counted in bytes (as the generator always has);
/// a longer word stands alone.
pub fn wrap(paragraph: &str, width: usize) -> Vec<String> {
    use stet::text::wrap::{LongWords, wrap_text};
    let lines = wrap_text(paragraph, width, LongWords::Overflow, |c| c.len_utf8());
    if lines.len() == 1 && lines[0].is_empty() {
        return Vec::new();
    }
    lines
}

/// How heavily a version is edited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EditPlan {
    /// Keep this share of the paragraphs (1 keeps all).
    pub keep: f64,
    /// Move one paragraph elsewhere.
    pub move_paragraph: bool,
    /// Share of sentences reworded.
    pub reword: f64,
    /// Share of sentences dropped.
    pub drop: f64,
    /// Quotation paragraphs added.
    pub quotes: usize,
    /// Figures changed.
    pub figures: usize,
}

impl EditPlan {
    /// A random plan: most versions lightly edited, some as heavily as the seeds.
    pub fn random(rng: &mut Rng) -> EditPlan {
        let heavy = rng.chance(0.15);
        EditPlan {
            keep: if rng.chance(0.4) {
                0.6 + 0.3 * f64_of(rng.below(100)) / 100.0
            } else {
                1.0
            },
            move_paragraph: rng.chance(0.3),
            reword: if heavy {
                0.35 + f64_of(rng.below(15)) / 100.0
            } else if rng.chance(0.7) {
                0.05 + f64_of(rng.below(25)) / 100.0
            } else {
                0.0
            },
            drop: if heavy {
                0.2 + f64_of(rng.below(15)) / 100.0
            } else {
                0.0
            },
            quotes: if rng.chance(0.3) { rng.range(1, 2) } else { 0 },
            figures: if rng.chance(0.3) { rng.range(1, 2) } else { 0 },
        }
    }
}

/// Applies `plan` to `paragraphs`, never going below `min_words` words by trimming.
pub fn edit(
    paragraphs: &[String],
    plan: &EditPlan,
    min_words: usize,
    rng: &mut Rng,
) -> Vec<String> {
    let mut paras: Vec<String> = paragraphs.to_vec();
    if plan.keep < 1.0 && paras.len() > 3 {
        let keep = usize_of((f64_of(paras.len()) * plan.keep).ceil()).max(3);
        while paras.len() > keep {
            let words: usize = paras.iter().map(|p| p.split_whitespace().count()).sum();
            let last = paras.last().map_or(0, |p| p.split_whitespace().count());
            if words - last < min_words {
                break;
            }
            paras.pop();
        }
    }
    if plan.move_paragraph && paras.len() > 3 {
        let from = rng.range(1, paras.len() - 1);
        let p = paras.remove(from);
        let to = rng.range(1, paras.len());
        paras.insert(to, p);
    }
    if plan.reword > 0.0 || plan.drop > 0.0 {
        let mut words: usize = paras.iter().map(|p| p.split_whitespace().count()).sum();
        for (k, p) in paras.iter_mut().enumerate() {
            let mut kept = Vec::new();
            for (i, s) in sentences(p).into_iter().enumerate() {
                let n = s.split_whitespace().count();
                // A version keeps its lead (reworded at most): an outlet cuts from the end
                // and the middle, and a report without its lead is another report.
                let lead = k == 0 && i == 0;
                if !lead && rng.chance(plan.drop) && words.saturating_sub(n) >= min_words {
                    words -= n;
                    continue;
                }
                if rng.chance(plan.reword) {
                    kept.push(reword(&s, rng));
                } else {
                    kept.push(s);
                }
            }
            *p = kept.join(" ");
        }
        paras.retain(|p| !p.is_empty());
    }
    for _ in 0..plan.quotes {
        let at = rng.range(1, paras.len());
        paras.insert(at, added_quote(rng));
    }
    for _ in 0..plan.figures {
        let i = rng.below(paras.len());
        change_figure(&mut paras[i], rng);
    }
    paras
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_before_capitals() {
        assert_eq!(
            sentences("Prices rose 1.5 pct. Dealers said so. U.S. banks agreed."),
            vec![
                "Prices rose 1.5 pct.",
                "Dealers said so.",
                "U.S. banks agreed."
            ]
        );
    }

    #[test]
    fn reword_changes_words_but_keeps_most() {
        let s =
            "The company said on Monday that profit rose sharply in the third quarter of the year.";
        let mut rng = Rng::new(3);
        let r = reword(s, &mut rng);
        assert_ne!(r, s);
        let a: Vec<&str> = s.split_whitespace().collect();
        let shared = r.split_whitespace().filter(|w| a.contains(w)).count();
        assert!(shared >= a.len() / 2, "{r}");
    }

    #[test]
    fn change_figure_changes_one_number() {
        let mut t = "Sales rose to 155,221 bags from 140 bags.".to_string();
        assert!(change_figure(&mut t, &mut Rng::new(5)));
        assert_ne!(t, "Sales rose to 155,221 bags from 140 bags.");
        assert!(t.starts_with("Sales rose to "));
        let mut none = "No figures here.".to_string();
        assert!(!change_figure(&mut none, &mut Rng::new(5)));
    }

    #[test]
    fn wrap_respects_width() {
        let lines = wrap("one two three four five six seven eight nine ten", 15);
        assert!(lines.iter().all(|l| l.len() <= 15));
        assert_eq!(
            lines.join(" "),
            "one two three four five six seven eight nine ten"
        );
    }

    #[test]
    fn trimming_keeps_the_minimum_length() {
        let paras: Vec<String> = (0..10)
            .map(|i| format!("Paragraph {i} has five words."))
            .collect();
        let plan = EditPlan {
            keep: 0.3,
            move_paragraph: false,
            reword: 0.0,
            drop: 0.0,
            quotes: 0,
            figures: 0,
        };
        let out = edit(&paras, &plan, 40, &mut Rng::new(1));
        assert_eq!(out.len(), 8);
        assert_eq!(out[0], paras[0]);
    }
}
