//! Verification of a candidate pair: evidence that separates versions of one report from
//! look-alikes (recurring templates with other figures, other days).

use super::GroupSettings;
use super::features::{Features, overlap, shared_count};
use crate::corpus::Article;

/// Short texts sharing less than this share of their names are about different parties (the
/// bar is low: a defence contract item for another refiner counts as the same report in the
/// labelled Reuters pairs).
const MIN_NAME_AGREEMENT: f32 = 0.3;
/// Figures are checked when the text has at least one per this many words.
const NUMBER_DENSITY: usize = 50;
/// Fewest 5-grams two articles must share (or all of the shorter one's).
const MIN_SHARED_SHINGLES: usize = 8;
/// Below this many 5-grams a text is short, and needs at least half of itself shared.
const SHORT_SHINGLES: usize = 50;

/// Containment of the smaller shingle set in the larger (0..=1).
pub fn containment(a: &Features, b: &Features) -> f32 {
    let (shared, smaller) = overlap(a, b);
    if smaller == 0 {
        return 0.0;
    }
    (shared as f32 / smaller as f32).min(1.0)
}

/// Share of the smaller set of numbers also found in the other; `None` when the smaller set has
/// fewer than two numbers (too few to judge).
pub fn number_agreement(a: &Features, b: &Features) -> Option<f32> {
    let smaller = a.numbers.len().min(b.numbers.len());
    if smaller < 2 {
        return None;
    }
    Some(shared_count(&a.numbers, &b.numbers) as f32 / smaller as f32)
}

/// Whether the two articles are too far apart in time to be versions (both dated).
pub fn too_far_apart(a: &Article, b: &Article, max_days: f32) -> bool {
    match (a.timestamp, b.timestamp) {
        (Some(x), Some(y)) => (x - y).unsigned_abs() as f64 > f64::from(max_days) * 86_400.0,
        _ => false,
    }
}

/// Whether `article` is a correction whose body names the day `(month, day)` ("-- corrects
/// year in item which originally ran February 27"): it cites the report it corrects.
pub fn cites_day(article: &Article, day: (u8, u8)) -> bool {
    article.paragraphs.iter().any(|p| {
        let lower = p.to_lowercase();
        (lower.contains("originally") || lower.contains("correct"))
            && super::features::month_days(p).any(|d| d == day)
    })
}

/// Verifies a candidate pair: `Some(score)` (the containment) when the two are versions of one
/// report, `None` otherwise.
pub fn verify(
    a: &Article,
    fa: &Features,
    b: &Article,
    fb: &Features,
    settings: &GroupSettings,
) -> Option<f32> {
    if too_far_apart(a, b, settings.max_days) {
        return None;
    }
    // The dateline's day stands in for the time sent only when that is unknown: wire copy
    // re-sent overnight carries the next day's dateline.
    let both_timed = a.timestamp.is_some() && b.timestamp.is_some();
    if !both_timed
        && let (Some(x), Some(y)) = (fa.dateline_day, fb.dateline_day)
        && x != y
        && !cites_day(a, y)
        && !cites_day(b, x)
    {
        return None;
    }
    let (shared, smaller) = overlap(fa, fb);
    if smaller == 0 {
        return None;
    }
    let c = (shared as f32 / smaller as f32).min(1.0);
    // Short texts need more of themselves shared: a stock line is not a report.
    let needed = if smaller < SHORT_SHINGLES {
        settings.min_containment.max(0.5)
    } else {
        settings.min_containment
    };
    if c < needed || shared < MIN_SHARED_SHINGLES.min(smaller) {
        return None;
    }
    // Figures decide only where they are much of the text (template items: balances, rates,
    // shipments); a long report with a few figures changed is still the same report.
    let few_words = fa.words.min(fb.words);
    let few_numbers = fa.numbers.len().min(fb.numbers.len());
    if few_numbers * NUMBER_DENSITY >= few_words
        && let Some(agree) = number_agreement(fa, fb)
        && agree < settings.min_number_agreement
    {
        return None;
    }
    // Short items from one template (prime rates, payouts, contracts) differ in who they are
    // about: the names of the shorter must mostly be found in the other.
    if let Some(agree) = name_agreement(fa, fb)
        && agree < MIN_NAME_AGREEMENT
    {
        return None;
    }
    Some(c)
}

/// Share of the names of the article with fewer found in the other, when both bodies are short
/// and the one with fewer names has at least two.
pub fn name_agreement(a: &Features, b: &Features) -> Option<f32> {
    let fewer = a.names.len().min(b.names.len());
    if fewer < 2 {
        return None;
    }
    Some(shared_count(&a.names, &b.names) as f32 / fewer as f32)
}

#[cfg(test)]
mod tests {
    use super::super::features::features;
    use super::*;

    fn art(title: &str, body: &str, ts: Option<i64>) -> Article {
        Article {
            title: title.into(),
            paragraphs: body.split("\n\n").map(str::to_string).collect(),
            timestamp: ts,
            ..Article::default()
        }
    }

    const BODY: &str = "Treasury balances at the Federal Reserve rose on March 30 to 3.254 \
        billion dlrs from 2.424 billion dlrs on the previous business day, the Treasury said in \
        its latest budget statement.\n\nBalances in tax and loan note accounts fell to 7.291 \
        billion dlrs from 9.706 billion dlrs on the same respective days.";

    #[test]
    fn lookalike_with_other_figures_is_rejected() {
        let other = BODY
            .replace("March 30", "March 31")
            .replace("3.254", "3.576")
            .replace("2.424", "3.254")
            .replace("7.291", "5.394")
            .replace("9.706", "7.291");
        let a = art("BALANCES ROSE ON MARCH 30", BODY, None);
        let b = art("BALANCES ROSE ON MARCH 31", &other, None);
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert!(containment(&fa, &fb) > 0.3);
        assert_eq!(verify(&a, &fa, &b, &fb, &s), None);
    }

    #[test]
    fn corrected_resend_is_accepted() {
        let fixed = BODY.replace("9.706", "9.760");
        let a = art("BALANCES ROSE ON MARCH 30", BODY, Some(1000));
        let b = art("CORRECTED - BALANCES ROSE ON MARCH 30", &fixed, Some(4600));
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        let score = verify(&a, &fa, &b, &fb, &s).expect("a version");
        assert!(score > 0.8, "{score}");
    }

    #[test]
    fn same_text_days_apart_is_rejected() {
        let a = art("T", BODY, Some(0));
        let b = art("T", BODY, Some(5 * 86_400));
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert_eq!(verify(&a, &fa, &b, &fb, &s), None);
    }

    #[test]
    fn different_dateline_days_are_rejected() {
        let mut a = art("T", BODY, None);
        let mut b = art("T", BODY, None);
        a.dateline = Some("WASHINGTON, March 31 -".into());
        b.dateline = Some("WASHINGTON, April 1 -".into());
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert_eq!(verify(&a, &fa, &b, &fb, &s), None);
        b.dateline = a.dateline.clone();
        let fb = features(&b, 1);
        assert!(verify(&a, &fa, &b, &fb, &s).is_some());
    }

    #[test]
    fn overnight_resend_with_next_days_dateline_joins_when_times_are_known() {
        let mut a = art("T", BODY, Some(0));
        let mut b = art("T", BODY, Some(11 * 3600));
        a.dateline = Some("WASHINGTON, March 19 -".into());
        b.dateline = Some("WASHINGTON, March 20 -".into());
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert!(verify(&a, &fa, &b, &fb, &s).is_some());
    }

    #[test]
    fn short_items_about_different_companies_stay_apart() {
        let a = art(
            "T",
            "Northern Trust Corp of Chicago said it raised its prime rate to 7-3/4 pct from \
             7-1/2 pct, effective tomorrow, following similar moves by Citibank.",
            Some(0),
        );
        let b = art(
            "T",
            "TCF Banking and Savings of Minneapolis said it raised its prime rate to 7-3/4 pct \
             from 7-1/2 pct, effective tomorrow, following similar moves by Chemical.",
            Some(600),
        );
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert!(containment(&fa, &fb) > 0.5);
        assert_eq!(verify(&a, &fa, &b, &fb, &s), None);
    }

    #[test]
    fn correction_citing_the_original_day_joins_across_datelines() {
        let mut a = art("T", BODY, None);
        let mut b = art(
            "CORRECTED - T",
            &format!("{BODY}\n\n-- corrects figure in item which originally ran March 31."),
            None,
        );
        a.dateline = Some("WASHINGTON, March 31 -".into());
        b.dateline = Some("WASHINGTON, April 2 -".into());
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert!(verify(&a, &fa, &b, &fb, &s).is_some());
    }
}
