//! Measuring a grouping against a truth: pairwise precision, recall and F1.

use std::collections::HashMap;

use stet::corpus::Article;
use stet::corpus::group::features::{self, hash_bytes};
use stet::corpus::group::verify::containment;
use stet::num::{f64_of, f64_of_i64, f64_of_u64};
use stet::text::normalize_for_matching;

/// Pairwise scores of a grouping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScores {
    /// Pairs grouped together that are truly together, of all pairs grouped together.
    pub precision: f64,
    /// Pairs truly together that were grouped together, of all pairs truly together.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Pairs truly together.
    pub true_pairs: u64,
    /// Pairs grouped together.
    pub predicted_pairs: u64,
    /// Pairs both.
    pub correct_pairs: u64,
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores `predicted` labels against `truth` labels (one of each per article).
pub fn pair_scores(truth: &[u64], predicted: &[u64]) -> PairScores {
    let mut t: HashMap<u64, u64> = HashMap::new();
    let mut p: HashMap<u64, u64> = HashMap::new();
    let mut both: HashMap<(u64, u64), u64> = HashMap::new();
    for (&a, &b) in truth.iter().zip(predicted) {
        *t.entry(a).or_insert(0) += 1;
        *p.entry(b).or_insert(0) += 1;
        *both.entry((a, b)).or_insert(0) += 1;
    }
    let true_pairs: u64 = t.values().map(|&n| pairs(n)).sum();
    let predicted_pairs: u64 = p.values().map(|&n| pairs(n)).sum();
    let correct_pairs: u64 = both.values().map(|&n| pairs(n)).sum();
    let precision = if predicted_pairs == 0 {
        1.0
    } else {
        f64_of_u64(correct_pairs) / f64_of_u64(predicted_pairs)
    };
    let recall = if true_pairs == 0 {
        1.0
    } else {
        f64_of_u64(correct_pairs) / f64_of_u64(true_pairs)
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    PairScores {
        precision,
        recall,
        f1,
        true_pairs,
        predicted_pairs,
        correct_pairs,
    }
}

/// Recall against `truth` without the pairs in `rejected` (pairs of articles the truth puts
/// together that a reader judged to be other reports): `(true pairs, correct pairs, recall)`.
/// A rejected pair the truth keeps apart changes nothing.
pub fn adjudicated_recall(
    truth: &[u64],
    predicted: &[u64],
    rejected: &[(usize, usize)],
) -> (u64, u64, f64) {
    let s = pair_scores(truth, predicted);
    let mut seen = std::collections::HashSet::new();
    let (mut out_true, mut out_correct) = (0u64, 0u64);
    for &(a, b) in rejected {
        let key = (a.min(b), a.max(b));
        if a == b || !seen.insert(key) || a >= truth.len() || b >= truth.len() {
            continue;
        }
        if truth[a] == truth[b] {
            out_true += 1;
            if predicted[a] == predicted[b] {
                out_correct += 1;
            }
        }
    }
    let t = s.true_pairs - out_true;
    let c = s.correct_pairs - out_correct;
    let recall = if t == 0 {
        1.0
    } else {
        f64_of_u64(c) / f64_of_u64(t)
    };
    (t, c, recall)
}

/// Reads a list of rejected truth pairs (`ID TAB ID TAB other TAB reason` per line, `#`
/// comments) for `arts`: their indices. An id not in the corpus is an error (the list is for
/// one corpus), given as `LINE: reason`.
pub fn read_rejected(text: &str, arts: &[Article]) -> Result<Vec<(usize, usize)>, String> {
    let index: HashMap<&str, usize> = arts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(a), Some(b), Some("other")) = (cols.next(), cols.next(), cols.next()) else {
            return Err(format!(
                "{}: expected ID TAB ID TAB other TAB reason",
                n + 1
            ));
        };
        let find = |id: &str| {
            index
                .get(id)
                .copied()
                .ok_or_else(|| format!("{}: no article {id:?} in the corpus", n + 1))
        };
        out.push((find(a)?, find(b)?));
    }
    Ok(out)
}

/// Labels of a grouping: for each article, the index of its story.
pub fn labels_of(stories: &[stet::corpus::Story], n: usize) -> Vec<u64> {
    let mut out = vec![u64::MAX; n];
    for (k, s) in stories.iter().enumerate() {
        for v in &s.versions {
            if let Some(x) = out.get_mut(v.article) {
                *x = k as u64;
            }
        }
    }
    out
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The sentences of an article with five words or more (split from the whole body, so that
/// paragraphing does not matter), hashed in their normalised form, with their word counts.
fn sentence_hashes(a: &Article) -> Vec<(u64, usize)> {
    let body = a.paragraphs.join(" ");
    let mut out: Vec<(u64, usize)> = super::rewrite::sentences(&body)
        .iter()
        .map(|s| {
            let norm = normalize_for_matching(s);
            let toks: Vec<&str> = features::tokens(&norm).collect();
            (hash_bytes(toks.join(" ").as_bytes()), toks.len())
        })
        .filter(|s| s.1 >= 5)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A sentence held by more articles than this is a stock sentence of a template.
pub const STOCK: usize = 5;

/// The true versions of a wire corpus (Reuters-21578): articles sent within `max_hours` of each
/// other that share at least `min_share` of the sentences of the one with fewer (exactly, in
/// normalised form) and at least 15 words of shared sentences (so one stock line such as
/// "Qtly div 10 cts vs 10 cts prior" does not make two companies' notices versions); stock
/// sentences, held by more than `STOCK` articles of the corpus ("The non-callable bond is
/// available in denominations of 1,000 dlrs and will be listed in Luxembourg"), count for
/// neither; linked transitively. Returns a label per article.
pub fn resend_truth(articles: &[Article], max_hours: f64, min_share: f64) -> Vec<u64> {
    let sents: Vec<Vec<(u64, usize)>> = articles.iter().map(sentence_hashes).collect();

    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in sents.iter().enumerate() {
        for &(h, _) in s {
            index.entry(h).or_default().push(i);
        }
    }
    let mut parent: Vec<usize> = (0..articles.len()).collect();
    let mut seen = std::collections::HashSet::new();
    for docs in index.values() {
        if docs.len() < 2 || docs.len() > STOCK {
            continue;
        }
        for x in 0..docs.len() {
            for y in x + 1..docs.len() {
                let (i, j) = (docs[x], docs[y]);
                if !seen.insert((i, j)) {
                    continue;
                }
                let close = match (articles[i].timestamp, articles[j].timestamp) {
                    (Some(a), Some(b)) => f64_of_i64((a - b).abs()) <= max_hours * 3600.0,
                    _ => false,
                };
                if !close {
                    continue;
                }
                let fewer = sents[i].len().min(sents[j].len());
                let shared = features::shared_count(&sents[i], &sents[j]);
                let shared_words: usize = sents[i]
                    .iter()
                    .filter(|s| sents[j].binary_search(s).is_ok())
                    .map(|s| s.1)
                    .sum();
                if fewer > 0 && f64_of(shared) >= min_share * f64_of(fewer) && shared_words >= 15 {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    parent[ri] = rj;
                }
            }
        }
    }
    (0..articles.len())
        .map(|i| find(&mut parent, i) as u64)
        .collect()
}

/// The template of a headline: normalised, without figures and month names
/// ("TREASURY BALANCES AT FED ROSE ON MARCH 30" → "treasury balances at fed rose on").
pub fn title_template(title: &str) -> String {
    let norm = normalize_for_matching(title);
    features::tokens(&norm)
        .filter(|t| !features::is_number(t) && !stet::corpus::date::MONTH_NAMES.contains(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Look-alike pairs of a wire corpus: same headline template, more than `min_hours` apart, and
/// bodies that look alike (5-gram containment at least `min_containment`).
pub fn lookalike_pairs(
    articles: &[Article],
    min_hours: f64,
    min_containment: f32,
) -> Vec<(usize, usize)> {
    let mut by_template: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        if a.timestamp.is_some() && !a.paragraphs.is_empty() {
            let t = title_template(&a.title);
            if !t.is_empty() {
                by_template.entry(t).or_default().push(i);
            }
        }
    }
    let mut out = Vec::new();
    for docs in by_template.values() {
        if docs.len() < 2 {
            continue;
        }
        let feats: Vec<features::Features> = docs
            .iter()
            .map(|&i| features::features(&articles[i], 1))
            .collect();
        for x in 0..docs.len() {
            for y in x + 1..docs.len() {
                let (i, j) = (docs[x], docs[y]);
                let (Some(a), Some(b)) = (articles[i].timestamp, articles[j].timestamp) else {
                    continue;
                };
                if f64_of_i64((a - b).abs()) <= min_hours * 3600.0 {
                    continue;
                }
                if containment(&feats[x], &feats[y]) >= min_containment {
                    out.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    out.sort_unstable();
    out
}

/// The tickers a headline names (`<TL>`, `<SUN.N>`), upper-cased.
pub fn title_tickers(title: &str) -> Vec<String> {
    let mut out: Vec<String> = title
        .split('<')
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('>')
                .map(|(t, _)| t.split('.').next().unwrap_or("").trim().to_uppercase())
        })
        .filter(|t| !t.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The first word of a headline, past a "CORRECTED -" mark and brackets.
fn first_word(title: &str) -> String {
    let t = title.trim_start();
    let t = t
        .strip_prefix("CORRECTED")
        .map_or(t, |r| r.trim_start_matches([' ', '-']));
    t.split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_uppercase()
}

/// Template items about other companies (tickers and first headline word differ): pairs sent within `max_hours` of each other whose
/// headlines name tickers, none in common, and whose bodies look alike (5-gram containment at
/// least `min_containment`).
pub fn other_company_pairs(
    articles: &[Article],
    max_hours: f64,
    min_containment: f32,
) -> Vec<(usize, usize)> {
    let tickers: Vec<Vec<String>> = articles.iter().map(|a| title_tickers(&a.title)).collect();
    let mut dated: Vec<usize> = (0..articles.len())
        .filter(|&i| {
            articles[i].timestamp.is_some()
                && !tickers[i].is_empty()
                && !articles[i].paragraphs.is_empty()
        })
        .collect();
    dated.sort_by_key(|&i| articles[i].timestamp);
    let feats: HashMap<usize, features::Features> = dated
        .iter()
        .map(|&i| (i, features::features(&articles[i], 1)))
        .collect();
    let mut out = Vec::new();
    for (x, &i) in dated.iter().enumerate() {
        let ti = articles[i].timestamp.unwrap_or(0);
        for &j in &dated[x + 1..] {
            let tj = articles[j].timestamp.unwrap_or(0);
            if f64_of_i64(tj - ti) > max_hours * 3600.0 {
                break;
            }
            if tickers[i].iter().any(|t| tickers[j].contains(t))
                || first_word(&articles[i].title) == first_word(&articles[j].title)
            {
                continue;
            }
            if containment(&feats[&i], &feats[&j]) >= min_containment {
                out.push((i.min(j), i.max(j)));
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_templates_drop_figures_and_months() {
        assert_eq!(
            title_template("TREASURY BALANCES AT FED ROSE ON MARCH 30"),
            "treasury balances at fed rose on"
        );
    }

    #[test]
    fn resends_within_hours_sharing_sentences_are_true_versions() {
        let body = "The Fed added reserves to the banking system today. Dealers said funds \
            traded at six pct when it began. The move was expected by most analysts here.";
        let art = |ts: i64, b: &str| Article {
            timestamp: Some(ts),
            more: stet::corpus::ArticleMore {
                paragraphs: vec![b.to_string()],
                ..stet::corpus::ArticleMore::default()
            }
            .boxed(),
            ..Article::default()
        };
        let arts = vec![
            art(0, body),
            art(3600, &body.replace("six", "seven")),
            art(10 * 86_400, body),
            art(
                100,
                "Something else entirely was reported by the agency today.",
            ),
        ];
        let t = resend_truth(&arts, 24.0, 0.5);
        assert_eq!(t[0], t[1]);
        assert_ne!(t[0], t[2]);
        assert_ne!(t[0], t[3]);
    }

    #[test]
    fn perfect_and_imperfect_groupings() {
        let truth = [1, 1, 1, 2, 2, 3];
        let s = pair_scores(&truth, &truth);
        assert_eq!((s.precision, s.recall), (1.0, 1.0));
        // Split story 1 into {0,1} and {2}; join 3 with story 2.
        let s = pair_scores(&truth, &[1, 1, 4, 2, 2, 2]);
        assert_eq!(s.true_pairs, 4);
        assert_eq!(s.predicted_pairs, 4);
        assert_eq!(s.correct_pairs, 2);
        assert_eq!(s.precision, 0.5);
        assert_eq!(s.recall, 0.5);
    }

    #[test]
    fn rejected_pairs_leave_the_truth_and_the_recall() {
        let truth = [1, 1, 1, 2, 2, 3];
        // Story 1 split into {0,1} and {2}: recall 2/4.
        let predicted = [1, 1, 4, 2, 2, 3];
        // A reader rejects 0–2 and 1–2 (the truth's error), 3–5 (apart anyway), and 0–2 twice.
        let (t, c, r) = adjudicated_recall(&truth, &predicted, &[(0, 2), (2, 1), (3, 5), (2, 0)]);
        assert_eq!((t, c, r), (2, 2, 1.0));
        // Rejecting a pair that was joined takes it from the correct pairs too.
        let (t, c, r) = adjudicated_recall(&truth, &predicted, &[(0, 1)]);
        assert_eq!((t, c), (3, 1));
        assert!((r - 1.0 / 3.0).abs() < 1e-12);
    }
}
