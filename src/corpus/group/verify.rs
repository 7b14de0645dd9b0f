//! Verification of a candidate pair: evidence that separates versions of one report from
//! look-alikes (recurring templates with other figures, other days).

use super::GroupSettings;
use super::features::{Features, overlap, shared_count};
use super::subject::Subject;
use crate::corpus::Article;
use crate::num;
use std::sync::OnceLock;

/// Figures are checked when the text has at least one per this many words.
const NUMBER_DENSITY: usize = 50;
/// Fewest 5-grams two articles must share (or all of the shorter one's).
const MIN_SHARED_SHINGLES: usize = 8;
/// Below this many 5-grams a text is short, and needs at least half of itself shared.
const SHORT_SHINGLES: usize = 50;
/// A lead is found in the other text's opening when this share of its word pairs is there.
const LEAD_FOUND: f32 = 0.3;
/// A version names the parties of the other's headline and lead: at least this share of them
/// in one direction at least (items of one template about two parties each miss the other's).
const NAMES_ONE: f32 = 0.75;
/// Fewest names of a headline and lead for the names to tell two reports apart.
const MIN_NAMES: usize = 3;
/// Below this containment, the leads must be found closely ...
const LOW_CONTAINMENT: f32 = 0.4;
/// ... at least this share of their word pairs.
const CLOSE_LEAD: f32 = 0.6;
/// Hours within which a new lead over the same text is an update, not a follow-up.
const SAME_DAY_HOURS: f64 = 12.0;
/// Hours within which a re-send may carry the next day's dateline (sent overnight).
const OVERNIGHT_HOURS: f64 = 16.0;

/// What verification found of a candidate pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Versions of one report; the containment.
    Version(f32),
    /// Different reports that share real text (a follow-up, a digest, the same event from
    /// another party); the containment.
    Related(f32),
    /// Different reports.
    Apart,
}

impl Verdict {
    /// The score of a version, `None` otherwise.
    pub(crate) fn version(self) -> Option<f32> {
        match self {
            Verdict::Version(s) => Some(s),
            _ => None,
        }
    }
}

/// Containment of the smaller shingle set in the larger (0..=1).
pub fn containment(a: &Features, b: &Features) -> f32 {
    let (shared, smaller) = overlap(a, b);
    if smaller == 0 {
        return 0.0;
    }
    (num::f32_of(shared) / num::f32_of(smaller)).min(1.0)
}

/// Share of the smaller set of numbers also found in the other; `None` when the smaller set has
/// fewer than two numbers (too few to judge).
pub fn number_agreement(a: &Features, b: &Features) -> Option<f32> {
    let smaller = a.numbers.len().min(b.numbers.len());
    if smaller < 2 {
        return None;
    }
    Some(num::f32_of(shared_count(&a.numbers, &b.numbers)) / num::f32_of(smaller))
}

/// Days between two dated articles (`None` when either is undated).
pub(crate) fn days_apart(a: &Article, b: &Article) -> Option<f64> {
    match (a.timestamp, b.timestamp) {
        (Some(x), Some(y)) => Some(num::f64_of_u64((x - y).unsigned_abs()) / 86_400.0),
        _ => None,
    }
}

/// Whether two records are one page: the same address (not a site's front page).
pub(crate) fn same_page(a: &Article, b: &Article) -> bool {
    match (a.url.as_deref(), b.url.as_deref()) {
        (Some(x), Some(y)) => page_key(x).is_some_and(|k| Some(k) == page_key(y)),
        _ => false,
    }
}

/// An address without its scheme, `www.`, fragment and trailing slash; `None` for a front
/// page or something that is not an address.
pub(crate) fn page_key(url: &str) -> Option<&str> {
    let rest = url.trim().split('#').next()?;
    let rest = rest
        .strip_prefix("https://")
        .or_else(|| rest.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.trim_end_matches('/');
    let (_, path) = rest.split_once('/')?;
    (!path.is_empty()).then_some(rest)
}

/// The days `(month, day)` the body of `article` names in a correction's paragraphs ("--
/// corrects year in item which originally ran February 27"): a correction citing one of them
/// cites the report it corrects.
pub(crate) fn cited_days(article: &Article) -> Vec<(u8, u8)> {
    let mut days = Vec::new();
    for p in &article.paragraphs {
        let lower = p.to_lowercase();
        if lower.contains("originally") || lower.contains("correct") {
            days.extend(super::features::month_days(p));
        }
    }
    days
}

/// The article's text for what verification reads of its whole body: the one in memory, or
/// when grouping no longer holds it (`paragraphs` empty), read through `text` (a read that
/// fails sets `failed` and leaves the text empty).
pub(crate) type TextFn<'a> = dyn Fn(usize, &Article) -> Option<Article> + Sync + 'a;

/// What verification reads of one article's whole body (its words, the days its
/// corrections cite), each at most once whatever the number of pairs the article is in, and
/// only when a pair needs it.
pub(crate) struct Whole<'a> {
    /// The article's number and where to read its text when it is not in memory.
    fetch: Option<(usize, &'a TextFn<'a>, &'a std::sync::atomic::AtomicBool)>,
    /// Boxed: a corpus holds one per article, most never read.
    subject: OnceLock<Box<Subject>>,
    cited: OnceLock<Box<[(u8, u8)]>>,
}

impl<'a> Whole<'a> {
    /// For an article whose text is in memory.
    pub(crate) fn new() -> Self {
        Whole {
            fetch: None,
            subject: OnceLock::new(),
            cited: OnceLock::new(),
        }
    }

    /// For article `i`, whose text is read through `text` when it is not in memory.
    pub(crate) fn read_through(
        i: usize,
        text: &'a TextFn<'a>,
        failed: &'a std::sync::atomic::AtomicBool,
    ) -> Self {
        Whole {
            fetch: Some((i, text, failed)),
            ..Whole::new()
        }
    }

    fn with_text<R>(&self, a: &Article, f: impl FnOnce(&Article) -> R) -> R {
        match self.fetch {
            Some((i, text, failed)) if a.paragraphs.is_empty() => match text(i, a) {
                Some(t) => f(&t),
                None => {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    f(a)
                }
            },
            _ => f(a),
        }
    }

    /// The words of `a`'s whole text.
    fn subject(&self, a: &Article) -> &Subject {
        self.subject
            .get_or_init(|| Box::new(self.with_text(a, super::subject::whole_text)))
    }

    /// Whether `a` is a correction whose body names `day`.
    fn cites(&self, a: &Article, day: (u8, u8)) -> bool {
        self.cited
            .get_or_init(|| self.with_text(a, cited_days).into_boxed_slice())
            .contains(&day)
    }
}

/// Whether either article is a correction citing the other's day (by dateline or by the days
/// its headline and lead name).
fn cites_other((a, fa, wa): Side<'_>, (b, fb, wb): Side<'_>) -> bool {
    let days = |f: &Features| {
        f.dateline_day
            .into_iter()
            .chain(
                f.subject
                    .days
                    .iter()
                    .map(|&d| (u8::try_from(d / 32).unwrap_or(u8::MAX), (d % 32) as u8)),
            )
            .collect::<Vec<_>>()
    };
    days(fb).into_iter().any(|d| wa.cites(a, d)) || days(fa).into_iter().any(|d| wb.cites(b, d))
}

/// The place a dateline names ("ST PAUL, April 7 -" → "STPAUL"), when it starts with one.
fn dateline_place(dateline: &str) -> Option<String> {
    let head = dateline.split([',', '-', '(']).next()?.trim();
    let place: String = head
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect();
    // A bare agency name ("Reuters") or a month is no place.
    let lower = place.to_lowercase();
    let no_place = place.len() < 3
        || ["reuters", "reuter", "ap", "afp", "upi"].contains(&lower.as_str())
        || crate::corpus::date::MONTH_NAMES.contains(&lower.as_str());
    (!no_place).then_some(place)
}

/// Another report: related when it shares much real text (a follow-up, another day's report
/// of the same thing), apart otherwise.
fn other_report(c: f32) -> Verdict {
    if c >= 0.5 {
        Verdict::Related(c)
    } else {
        Verdict::Apart
    }
}

/// Verifies a candidate pair: whether the two are versions of one report, related reports, or
/// apart. `common` tells the names too common in the corpus to tell parties apart.
pub fn verify(
    a: &Article,
    fa: &Features,
    b: &Article,
    fb: &Features,
    settings: &GroupSettings,
    common: &dyn Fn(u32) -> bool,
) -> Verdict {
    verify_counted(a, fa, b, fb, settings, common).0
}

/// [`verify`], also giving the 5-grams the two share (estimated, as [`overlap`] counts them),
/// so that callers need not count them again.
pub(crate) fn verify_counted(
    a: &Article,
    fa: &Features,
    b: &Article,
    fb: &Features,
    settings: &GroupSettings,
    common: &dyn Fn(u32) -> bool,
) -> (Verdict, usize) {
    let (wa, wb) = (Whole::new(), Whole::new());
    verify_cached((a, fa, &wa), (b, fb, &wb), settings, common)
}

/// One side of a pair: the article, its features, and what is read of its whole text, kept
/// once read (shared by every pair the article is in).
pub(crate) type Side<'a> = (&'a Article, &'a Features, &'a Whole<'a>);

/// [`verify_counted`] with each article's whole-text words read at most once, whatever the
/// number of pairs it is in.
pub(crate) fn verify_cached(
    (a, fa, wa): Side<'_>,
    (b, fb, wb): Side<'_>,
    settings: &GroupSettings,
    common: &dyn Fn(u32) -> bool,
) -> (Verdict, usize) {
    let (shared, smaller) = overlap(fa, fb);
    // Most records name no page or another one: the hashes tell without reading addresses.
    if fa.page != 0 && fa.page == fb.page && same_page(a, b) {
        return (Verdict::Version(1.0), shared);
    }
    if smaller == 0 {
        return (Verdict::Apart, shared);
    }
    (
        decide((a, fa, wa), (b, fb, wb), settings, common, shared, smaller),
        shared,
    )
}

/// The verdict on a pair sharing `shared` of the `smaller` one's 5-grams.
fn decide(
    (a, fa, wa): Side<'_>,
    (b, fb, wb): Side<'_>,
    settings: &GroupSettings,
    common: &dyn Fn(u32) -> bool,
    shared: usize,
    smaller: usize,
) -> Verdict {
    let c = (num::f32_of(shared) / num::f32_of(smaller)).min(1.0);
    // Short texts need more of themselves shared: a stock line is not a report.
    let needed = if smaller < SHORT_SHINGLES {
        settings.min_containment.max(0.5)
    } else {
        settings.min_containment
    };
    if c < needed || shared < MIN_SHARED_SHINGLES.min(smaller) {
        return Verdict::Apart;
    }
    let days = days_apart(a, b);
    // Outside the window: other reports, however alike.
    if let Some(d) = days
        && settings.max_days > 0.0
        && d > f64::from(settings.max_days)
    {
        return Verdict::Related(c);
    }
    let (sa, sb) = (&fa.subject, &fb.subject);
    let correction = sa.correction || sb.correction;
    // Another day or session: the dateline's day (a re-send sent overnight carries the next
    // day's dateline, so it counts only beyond that), the days, weekdays and sessions the
    // headline and lead name.
    let overnight = days.is_some_and(|d| d * 24.0 <= OVERNIGHT_HOURS);
    if let (Some(x), Some(y)) = (fa.dateline_day, fb.dateline_day)
        && x != y
        && !overnight
        && !wa.cites(a, y)
        && !wb.cites(b, x)
    {
        return other_report(c);
    }
    // Another place: the datelines name other cities ("ST PAUL" and "KANSAS CITY" hog markets).
    if let (Some(x), Some(y)) = (a.dateline.as_deref(), b.dateline.as_deref())
        && let (Some(px), Some(py)) = (dateline_place(x), dateline_place(y))
        && px != py
        && c < 0.9
    {
        return other_report(c);
    }
    if super::subject::other_time(sa, sb) && !(correction && cites_other((a, fa, wa), (b, fb, wb)))
    {
        return other_report(c);
    }
    // Figures decide where they are much of the text (template items: balances, rates,
    // shipments); a long report with a few figures changed is still the same report, within
    // the day.
    let few_words = fa.words.min(fb.words);
    let few_numbers = fa.numbers.len().min(fb.numbers.len());
    let agree = number_agreement(fa, fb);
    if few_numbers * NUMBER_DENSITY >= few_words
        && agree.is_some_and(|x| x < settings.min_number_agreement)
    {
        return Verdict::Apart;
    }
    // Other figures in the headline, and in the text: another quarter's results, another
    // day's figures.
    if let (false, false, Some(x)) = (
        fa.title_numbers.is_empty(),
        fb.title_numbers.is_empty(),
        agree,
    ) && shared_count(&fa.title_numbers, &fb.title_numbers) == 0
        && x < settings.min_number_agreement
        && !correction
    {
        return Verdict::Apart;
    }
    // The parties: the names of each headline and lead are found in the other text.
    // Names are looked for in the other's opening, and in its whole text only when that
    // decides (a re-publication may put a new top over the old lead).
    let low = |x: Option<f32>, bar: f32| x.is_some_and(|v| v < bar);
    // A text naming one or two parties in its lead says too little to tell them apart.
    let named =
        |x: &super::subject::Subject| x.names.iter().filter(|&&n| !common(n)).count() >= MIN_NAMES;
    let other_parties = |fwd: Option<f32>, bwd: Option<f32>, tfwd: Option<f32>, tbwd| {
        (low(fwd, NAMES_ONE) && low(bwd, NAMES_ONE) && named(sa) && named(sb))
            || (low(tfwd, NAMES_ONE) && low(tbwd, NAMES_ONE))
            || tfwd == Some(0.0) && sa.title_names.len() > 1
            || tbwd == Some(0.0) && sb.title_names.len() > 1
    };
    let mut fwd = super::subject::names_found(sa, sb, common);
    let mut bwd = super::subject::names_found(sb, sa, common);
    let mut tfwd = super::subject::title_names_found(sa, sb, common);
    let mut tbwd = super::subject::title_names_found(sb, sa, common);
    // A correction may fix the name it got wrong.
    // The whole texts' words, read at most once per article and only when needed.
    let whole_a = || wa.subject(a);
    let whole_b = || wb.subject(b);
    if !correction && other_parties(fwd, bwd, tfwd, tbwd) {
        let short = |x: Option<f32>| x.is_some_and(|v| v < 1.0);
        if short(fwd) || short(tfwd) {
            let whole = whole_b();
            fwd = super::subject::names_found(sa, whole, common);
            tfwd = super::subject::title_names_found(sa, whole, common);
        }
        if short(bwd) || short(tbwd) {
            let whole = whole_a();
            bwd = super::subject::names_found(sb, whole, common);
            tbwd = super::subject::title_names_found(sb, whole, common);
        }
        if other_parties(fwd, bwd, tfwd, tbwd) {
            return other_report(c);
        }
    }
    // Evidence asked for grows with the time between the two: beyond a day, more of the text
    // shared, the figures agreeing, and the leads found in each other.
    let late = days.map_or(0.0, |d| (d - 1.0).max(0.0));
    if late > 0.0 {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "days to an f32 threshold: its precision is all that is needed"
        )]
        let need = (0.3 + 0.05 * late as f32).min(0.6).max(needed);
        if c < need || agree.is_some_and(|x| x < settings.min_number_agreement) {
            return Verdict::Related(c);
        }
    }
    // The lead: a version opens with the same lead (reworded at most). A report whose lead is
    // not in the other text is a follow-up or a digest, unless it is a same-day update.
    let mut lf = super::subject::lead_found(sa, sb);
    let mut lb = super::subject::lead_found(sb, sa);
    // Past the same day, a lead is found only when most of it is there.
    let lead_bar = if days.is_some_and(|d| d * 24.0 > SAME_DAY_HOURS) {
        0.5
    } else {
        LEAD_FOUND
    };
    let found = |x: Option<f32>| x.is_none_or(|v| v >= lead_bar);
    // A lead missing from the opening may stand further down a long version.
    if !found(lf) {
        lf = super::subject::lead_found(sa, whole_b());
    }
    if !found(lb) {
        lb = super::subject::lead_found(sb, whole_a());
    }
    let hours = days.map_or(0.0, |d| d * 24.0);
    let cover = |f: &Features| num::f32_of(shared) / num::f32_of(f.size());
    // Little shared text: a version rewritten that far keeps its lead closely.
    let close_lead = |x: Option<f32>| x.is_none_or(|v| v >= CLOSE_LEAD);
    let same_parties = fwd.is_some_and(|x| x >= NAMES_ONE) && bwd.is_some_and(|x| x >= NAMES_ONE);
    // A new lead over the old text: a same-day update (or a print version's rewritten lead,
    // naming the same parties), when the old text is much of the new one. A digest carries
    // one part of the report under another lead; a follow-up the next day is another report.
    let new_lead = |other: &Features| {
        if late > 0.0 {
            // Days later, only the same text under another top (a paper's own intro).
            return c >= 0.6 && cover(other) >= 0.6 && same_parties;
        }
        if hours > SAME_DAY_HOURS {
            // The next day under a new lead: a follow-up, unless the old text is most of it.
            return c >= 0.3 && cover(other) >= 0.5;
        }
        c >= 0.3 && (cover(other) >= 0.5 || same_parties || (c >= 0.45 && cover(other) >= 0.25))
    };
    let ok = match (found(lf), found(lb)) {
        (true, true) => c >= LOW_CONTAINMENT || (close_lead(lf) && close_lead(lb)),
        (true, false) => new_lead(fb),
        (false, true) => new_lead(fa),
        (false, false) => hours <= SAME_DAY_HOURS && c >= 0.5,
    };
    if !ok {
        return Verdict::Related(c);
    }
    Verdict::Version(c)
}

#[cfg(test)]
mod tests {
    use super::super::features::features;
    use super::*;

    fn art(title: &str, body: &str, ts: Option<i64>) -> Article {
        Article {
            title: title.into(),
            timestamp: ts,
            more: crate::corpus::ArticleMore {
                paragraphs: body.split("\n\n").map(str::to_string).collect(),
                ..crate::corpus::ArticleMore::default()
            }
            .boxed(),
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
        assert_eq!(verify(&a, &fa, &b, &fb, &s, &|_| false).version(), None);
    }

    #[test]
    fn corrected_resend_is_accepted() {
        let fixed = BODY.replace("9.706", "9.760");
        let a = art("BALANCES ROSE ON MARCH 30", BODY, Some(1000));
        let b = art("CORRECTED - BALANCES ROSE ON MARCH 30", &fixed, Some(4600));
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        let score = verify(&a, &fa, &b, &fb, &s, &|_| false)
            .version()
            .expect("a version");
        assert!(score > 0.8, "{score}");
    }

    #[test]
    fn same_text_days_apart_joins_within_the_window_and_is_related_beyond() {
        let a = art("T", BODY, Some(0));
        let b = art("T", BODY, Some(5 * 86_400));
        let c = art("T", BODY, Some(10 * 86_400));
        let s = GroupSettings::default();
        let (fa, fb, fc) = (features(&a, 1), features(&b, 1), features(&c, 1));
        assert!(verify(&a, &fa, &b, &fb, &s, &|_| false).version().is_some());
        assert!(matches!(
            verify(&a, &fa, &c, &fc, &s, &|_| false),
            Verdict::Related(_)
        ));
        let unbounded = GroupSettings {
            max_days: 0.0,
            ..GroupSettings::default()
        };
        assert!(
            verify(&a, &fa, &c, &fc, &unbounded, &|_| false)
                .version()
                .is_some()
        );
    }

    #[test]
    fn different_dateline_days_are_rejected() {
        let mut a = art("T", BODY, None);
        let mut b = art("T", BODY, None);
        a.dateline = Some("WASHINGTON, March 31 -".into());
        b.dateline = Some("WASHINGTON, April 1 -".into());
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert_eq!(verify(&a, &fa, &b, &fb, &s, &|_| false).version(), None);
        b.dateline = a.dateline.clone();
        let fb = features(&b, 1);
        assert!(verify(&a, &fa, &b, &fb, &s, &|_| false).version().is_some());
    }

    #[test]
    fn overnight_resend_with_next_days_dateline_joins_when_times_are_known() {
        let mut a = art("T", BODY, Some(0));
        let mut b = art("T", BODY, Some(11 * 3600));
        a.dateline = Some("WASHINGTON, March 19 -".into());
        b.dateline = Some("WASHINGTON, March 20 -".into());
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert!(verify(&a, &fa, &b, &fb, &s, &|_| false).version().is_some());
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
        assert_eq!(verify(&a, &fa, &b, &fb, &s, &|_| false).version(), None);
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
        assert!(verify(&a, &fa, &b, &fb, &s, &|_| false).version().is_some());
    }

    #[test]
    fn markets_of_other_places_and_snapshots_of_other_times_are_other_reports() {
        let body = "Hog prices are expected steady on estimated receipts of 2,800 head, private \
            sources said. Top seen at 50.00 to 50.50 dlrs per cwt. Trade was slow early and \
            buyers were cautious ahead of the weekend, with receipts seen lighter than a week \
            ago.";
        let mut a = art("ST PAUL HOGS SEEN STEADY - PRIVATE SOURCES", body, Some(0));
        let mut b = art(
            "KANSAS CITY HOGS SEEN STEADY - PRIVATE SOURCES",
            &body.replace("2,800", "500"),
            Some(1800),
        );
        a.dateline = Some("St Paul, April 7 - Clear/43 degrees -".into());
        b.dateline = Some("Kansas City, April 7 - Sunny/46 degrees -".into());
        let s = GroupSettings::default();
        let (fa, fb) = (features(&a, 1), features(&b, 1));
        assert_eq!(verify(&a, &fa, &b, &fb, &s, &|_| false).version(), None);
        assert_eq!(
            dateline_place("St Paul, April 7 -").as_deref(),
            Some("STPAUL")
        );
        assert_eq!(dateline_place("Reuters, MOSCOW"), None);

        let table = "MINNEAPOLIS WHEAT MAY7 284 3/4 UP 1 1/4 JUL7 280 1/4 OFF 1/2 SEP7 277 UP 1";
        let c = art("MIDWEST GRAIN FUTURES 11:00 EDT", table, Some(0));
        let d = art("MIDWEST GRAIN FUTURES 11:01 EDT", table, Some(60));
        let (fc, fd) = (features(&c, 1), features(&d, 1));
        assert_eq!(verify(&c, &fc, &d, &fd, &s, &|_| false).version(), None);
        assert!(verify(&c, &fc, &c, &fc, &s, &|_| false).version().is_some());
    }
}
