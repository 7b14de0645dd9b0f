//! A deterministic generator of labelled news corpora for measuring grouping: takes real
//! articles (BBC, Reuters-21578) and makes realistic versions of each report as different
//! outlets would run them — hard wrapping, outlet headers and footers, trimmed endings, moved
//! paragraphs, reworded sentences, added quotes, changed figures — and writes them as JSONL
//! with a truth file (article id → story). The same seed gives the same corpus.
//!
//! Large corpora need more distinct reports than the real articles give: beyond the first use
//! of each report, a report is re-used under a word cipher (content words permuted within
//! frequency bands, figures shifted), which keeps its shape but makes it a different report.

pub mod eval;
pub mod rewrite;
pub mod rng;
pub mod source;
pub mod versions;

use std::collections::HashMap;
use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use rewrite::{EditPlan, edit, wrap};
use rng::Rng;
use source::SourceDoc;
use stet::num::{f64_of, i64_from, u32_of, usize_of};

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Number of articles.
    pub articles: usize,
    /// Random seed.
    pub seed: u64,
    /// Fewest words of a body.
    pub min_words: usize,
    /// Most words of a body.
    pub max_words: usize,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            articles: 1000,
            seed: 1,
            min_words: 300,
            max_words: 1500,
        }
    }
}

/// One generated article, as written to the JSONL file.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedArticle {
    /// Unique id.
    pub id: String,
    /// Outlet.
    pub source: String,
    /// Address.
    pub url: String,
    /// Headline.
    pub title: String,
    /// ISO 8601 date.
    pub date: String,
    /// The page text: outlet header, body (perhaps hard-wrapped), footer.
    pub text: String,
    /// The date as seconds since the epoch.
    #[serde(skip)]
    pub timestamp: i64,
}

impl GeneratedArticle {
    /// The article as a loader would give it without cleaning: blocks between blank lines
    /// reflowed into paragraphs, outlet header and footer left in.
    pub fn to_article(&self) -> stet::corpus::Article {
        stet::corpus::Article {
            id: self.id.as_str().into(),
            path: "generated".into(),
            source: self.source.as_str().into(),
            title: self.title.clone(),
            date: Some(self.date.as_str().into()),
            timestamp: Some(self.timestamp),
            url: Some(self.url.clone()),
            more: stet::corpus::ArticleMore {
                paragraphs: self
                    .text
                    .split("\n\n")
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|p| !p.is_empty())
                    .collect(),
                ..stet::corpus::ArticleMore::default()
            }
            .boxed(),
            ..stet::corpus::Article::default()
        }
    }
}

/// The truth of one article: which story it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct TruthRecord {
    /// Article id.
    pub id: String,
    /// Story number.
    pub story: usize,
}

/// An outlet's way of printing a report.
struct Outlet {
    name: &'static str,
    domain: &'static str,
    header: &'static [&'static str],
    footer: &'static [&'static str],
    wrap: Option<usize>,
    upper_title: bool,
}

const OUTLETS: &[Outlet] = &[
    Outlet {
        name: "Wire Service",
        domain: "wire.example.com",
        header: &[],
        footer: &[],
        wrap: None,
        upper_title: true,
    },
    Outlet {
        name: "The Daily Courier",
        domain: "dailycourier.example.com",
        header: &["The Daily Courier | Home | News | World | Business | Sport"],
        footer: &[
            "Post a Comment",
            "Copyright The Daily Courier. All rights reserved.",
        ],
        wrap: Some(72),
        upper_title: false,
    },
    Outlet {
        name: "Evening Standard Gazette",
        domain: "esgazette.example.org",
        header: &["{date} - Page {page} News List"],
        footer: &["Share this article: Facebook | Twitter | Email | Print"],
        wrap: None,
        upper_title: false,
    },
    Outlet {
        name: "Northern Times",
        domain: "northerntimes.example.net",
        header: &["NORTHERN TIMES", "Subscribe | Sign in"],
        footer: &["This story has been viewed {views} times.", "Back to top"],
        wrap: Some(65),
        upper_title: false,
    },
    Outlet {
        name: "Metro Herald",
        domain: "metroherald.example.com",
        header: &[],
        footer: &["Follow us on Twitter and Facebook for the latest news."],
        wrap: Some(80),
        upper_title: false,
    },
    Outlet {
        name: "Business Ledger",
        domain: "ledger.example.com",
        header: &["Business Ledger - Markets - Companies"],
        footer: &["(c) Business Ledger Ltd. Reproduction prohibited."],
        wrap: None,
        upper_title: false,
    },
    Outlet {
        name: "Coastal Post",
        domain: "coastalpost.example.org",
        header: &["Coastal Post", "{date}"],
        footer: &["Related: More from our newsroom", "TOP"],
        wrap: Some(60),
        upper_title: false,
    },
    Outlet {
        name: "Capital Observer",
        domain: "observer.example.net",
        header: &[],
        footer: &["All rights reserved. Capital Observer."],
        wrap: None,
        upper_title: false,
    },
    Outlet {
        name: "Valley News Online",
        domain: "valleynews.example.com",
        header: &["Valley News Online >> News >> Top Stories"],
        footer: &["Leave a comment below.", "Print this page"],
        wrap: Some(70),
        upper_title: false,
    },
    Outlet {
        name: "Global Report",
        domain: "globalreport.example.org",
        header: &[],
        footer: &[],
        wrap: None,
        upper_title: false,
    },
];

/// Generates a corpus from the shared data folder `data` (its `bbc/` and
/// `reuters21578.jsonl`), as benches and tests do; `None`, saying so on stderr, when the data is
/// absent or unreadable.
pub fn generate_from_data(
    data: &std::path::Path,
    opts: &GenerateOptions,
) -> Option<(Vec<GeneratedArticle>, Vec<TruthRecord>)> {
    let (bbc, reuters) = (data.join("bbc"), data.join("reuters21578.jsonl"));
    if !bbc.is_dir() || !reuters.is_file() {
        eprintln!("skipping: {} is absent", data.display());
        return None;
    }
    match read_pool(Some(&bbc), Some(&reuters), &Default::default()) {
        Ok(pool) => Some(generate(&pool, opts)),
        Err(e) => {
            eprintln!("skipping: cannot read {}: {e}", data.display());
            None
        }
    }
}

/// Reads and deduplicates the real articles: BBC folder and Reuters JSONL (either may be
/// absent). `skip_bbc` names BBC files (`topic/NNN.txt`) to leave out.
pub fn read_pool(
    bbc: Option<&std::path::Path>,
    reuters: Option<&std::path::Path>,
    skip_bbc: &std::collections::HashSet<String>,
) -> std::io::Result<Vec<SourceDoc>> {
    let mut docs = Vec::new();
    if let Some(dir) = bbc {
        docs.extend(source::read_bbc(dir, skip_bbc)?);
    }
    if let Some(file) = reuters {
        docs.extend(source::read_reuters(file)?);
    }
    Ok(source::dedupe(docs))
}

/// One distinct report: real articles joined until long enough.
#[derive(Debug, Clone)]
struct Base {
    title: String,
    paragraphs: Vec<String>,
}

fn make_bases(pool: &[SourceDoc], opts: &GenerateOptions, rng: &mut Rng) -> Vec<Base> {
    let mut order: Vec<usize> = (0..pool.len()).collect();
    rng.shuffle(&mut order);
    let mut bases = Vec::new();
    let mut cur: Option<Base> = None;
    let mut target = 0;
    let mut words = 0;
    for i in order {
        let d = &pool[i];
        let b = cur.get_or_insert_with(|| {
            // Skewed towards shorter reports (mean ~700 words for 300..1500).
            let span = f64_of(opts.max_words.saturating_sub(opts.min_words + 150));
            let u = f64_of(rng.below(1000)) / 1000.0;
            target = opts.min_words + 50 + usize_of(span * u * u);
            words = 0;
            Base {
                title: d.title.clone(),
                paragraphs: Vec::new(),
            }
        });
        for p in &d.paragraphs {
            let n = p.split_whitespace().count();
            if words + n > opts.max_words {
                break;
            }
            words += n;
            b.paragraphs.push(p.clone());
        }
        if words >= target
            && let Some(done) = cur.take()
        {
            bases.push(done);
        }
    }
    bases
}

/// Content words permuted within frequency bands: a different report of the same shape.
struct Cipher {
    rank: HashMap<String, u32>,
    words: Vec<String>,
}

/// The most frequent words, left as they are by the cipher.
const CIPHER_KEEP: usize = 150;
/// Size of the frequency bands within which words are permuted.
const CIPHER_BAND: usize = 40;

impl Cipher {
    fn new(bases: &[Base]) -> Cipher {
        let mut counts: HashMap<String, u32> = HashMap::new();
        for b in bases {
            for p in &b.paragraphs {
                for w in p.split_whitespace() {
                    let core = w.trim_matches(|c: char| !c.is_alphabetic());
                    if !core.is_empty() && core.chars().all(char::is_alphabetic) {
                        *counts.entry(core.to_lowercase()).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut words: Vec<(String, u32)> = counts.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let words: Vec<String> = words.into_iter().map(|w| w.0).collect();
        let rank = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), u32_of(i)))
            .collect();
        Cipher { rank, words }
    }

    fn permutation(&self, seed: u64, instance: usize) -> Vec<u32> {
        let mut perm: Vec<u32> = (0..u32_of(self.words.len())).collect();
        let mut start = CIPHER_KEEP;
        let mut band = 0u64;
        while start < perm.len() {
            let end = (start + CIPHER_BAND).min(perm.len());
            Rng::derive(seed ^ (instance as u64) << 32, band).shuffle(&mut perm[start..end]);
            start = end;
            band += 1;
        }
        perm
    }

    fn apply(&self, text: &str, perm: &[u32], shift: u32) -> String {
        rewrite_words(text, |core, out| {
            match self.rank.get(&core.to_lowercase()) {
                Some(&r) if (r as usize) >= CIPHER_KEEP => {
                    let w = &self.words[perm[r as usize] as usize];
                    if core.len() > 1 && core.chars().all(|c| !c.is_lowercase()) {
                        out.push_str(&w.to_uppercase());
                    } else if core.starts_with(char::is_uppercase) {
                        let mut c = w.chars();
                        if let Some(f) = c.next() {
                            out.extend(f.to_uppercase());
                            out.push_str(c.as_str());
                        }
                    } else {
                        out.push_str(w);
                    }
                }
                _ => shift_digits(core, shift, out),
            }
        })
    }
}

/// Rewrites each space-separated token of `text`: `f` writes the replacement of its core
/// (the part between the first and last alphanumeric character); the punctuation around it
/// and the spaces stay.
fn rewrite_words(text: &str, mut f: impl FnMut(&str, &mut String)) -> String {
    let mut out = String::with_capacity(text.len());
    for (k, tok) in text.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let start = tok.find(char::is_alphanumeric).unwrap_or(tok.len());
        let end = tok.rfind(char::is_alphanumeric).map_or(start, |e| {
            e + tok[e..].chars().next().map_or(1, char::len_utf8)
        });
        out.push_str(&tok[..start]);
        f(&tok[start..end.max(start)], &mut out);
        out.push_str(&tok[end.max(start)..]);
    }
    out
}

/// Writes `core` with every digit shifted by `shift` (mod 10): other figures.
fn shift_digits(core: &str, shift: u32, out: &mut String) {
    for c in core.chars() {
        match c.to_digit(10) {
            Some(d) => out.push(char::from_digit((d + shift) % 10, 10).unwrap_or(c)),
            None => out.push(c),
        }
    }
}

/// 2020-01-01T00:00:00Z.
const EPOCH_2020: i64 = 1_577_836_800;

/// Formats seconds since the epoch as ISO 8601 UTC.
pub fn iso_date(ts: i64) -> String {
    stet::corpus::date::iso_utc(ts)
}

/// One planned story.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// A report and its versions.
    Report { versions: usize },
    /// Item `k` of a family of template items (one frame, other parties and figures).
    Member {
        family: usize,
        k: usize,
        versions: usize,
    },
}

/// Items of a template family.
const FAMILY_SIZE: usize = 5;
/// Chance (in percent) that a planned story starts a template family.
const FAMILY_PERCENT: usize = 3;
/// One article in this many is a digest.
const DIGEST_EVERY: usize = 200;
/// Reports whose leads a digest carries.
const DIGEST_ITEMS: usize = 6;
/// Two reports in this many share a background paragraph.
const BACKGROUND_EVERY: usize = 12;

/// When a later version appears after the first: mostly within the day, some days later
/// (regional papers, weeklies, corrections), up to seven days.
fn later(rng: &mut Rng) -> i64 {
    let hour = 3600;
    match rng.below(100) {
        0..75 => i64_from(rng.below(20 * hour)),
        75..90 => i64_from(24 * hour + rng.below(48 * hour)),
        _ => i64_from(72 * hour + rng.below(96 * hour)),
    }
}

/// The id of version `j` of planned story `s`.
fn article_id(seed: u64, s: u64, j: u64) -> String {
    format!(
        "{:016x}",
        stet::corpus::group::features::mix(seed ^ (s << 8 | j).wrapping_mul(0x2545_F491_4F6C_DD1D))
    )
}

/// Invented names for template items.
const SYLLABLES: &[&str] = &[
    "Bar", "Cel", "Dor", "Fen", "Gal", "Hol", "Jor", "Kel", "Lum", "Mar", "Nor", "Pel", "Quin",
    "Ros", "Sel", "Tor", "Val", "Wen", "Yar", "Zel",
];
const ENDINGS: &[&str] = &[
    "ac", "en", "ix", "on", "ara", "ent", "ium", "ock", "ley", "ton", "ford", "mere",
];

/// A name for `word` in item `k` of `family`.
#[allow(
    clippy::cast_possible_truncation,
    reason = "a hash: whichever of its bits are kept pick the name"
)]
fn invented_name(word: &str, family: usize, k: usize) -> String {
    let h = stet::corpus::group::features::hash_bytes(
        format!("{family}/{k}/{}", word.to_lowercase()).as_bytes(),
    ) as usize;
    let name = format!(
        "{}{}{}",
        SYLLABLES[h % SYLLABLES.len()],
        SYLLABLES[(h >> 8) % SYLLABLES.len()].to_lowercase(),
        ENDINGS[(h >> 16) % ENDINGS.len()]
    );
    if word.len() > 1 && word.chars().all(|c| !c.is_lowercase()) {
        name.to_uppercase()
    } else {
        name
    }
}

/// Item `k` of a template family on `frame`: its first paragraphs (at most 150 words) with
/// every capitalised word that is not a common word renamed and the figures shifted.
fn template_item(c: &Cipher, frame: &Base, family: usize, k: usize) -> (String, Vec<String>) {
    let shift = 1 + u32_of(k % 9);
    let rename = |text: &str| {
        rewrite_words(text, |core, out| {
            let common = c
                .rank
                .get(&core.to_lowercase())
                .is_some_and(|&r| (r as usize) < CIPHER_KEEP);
            if core.starts_with(char::is_uppercase) && !common {
                out.push_str(&invented_name(core, family, k));
            } else {
                shift_digits(core, shift, out);
            }
        })
    };
    let mut words = 0;
    let mut paragraphs = Vec::new();
    for p in &frame.paragraphs {
        if words > 0 && words + p.split_whitespace().count() > 150 {
            break;
        }
        words += p.split_whitespace().count();
        paragraphs.push(rename(p));
    }
    // A template item names its party in the headline and the lead ("Acme Corp said ...").
    let party = format!(
        "{} {}",
        invented_name("party", family, k),
        ["Holdings", "Corp", "Industries", "Group", "Resources"][k % 5]
    );
    if let Some(lead) = paragraphs.first_mut() {
        let mut chars = lead.chars();
        let rest: String = match chars.next() {
            Some(f) => f.to_lowercase().chain(chars).collect(),
            None => String::new(),
        };
        *lead = format!("{party} said {rest}");
    }
    (format!("{party}: {}", rename(&frame.title)), paragraphs)
}

/// Number of versions a story gets.
fn version_count(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..20 => 1,
        20..45 => 2,
        45..65 => 3,
        65..77 => 4,
        _ => rng.range(5, 10),
    }
}

fn format_version(
    outlet: &Outlet,
    title: &str,
    paragraphs: &[String],
    ts: i64,
    rng: &mut Rng,
) -> (String, String) {
    let date = iso_date(ts);
    let fill = |line: &str, rng: &mut Rng| {
        line.replace("{date}", &date[..10])
            .replace("{page}", &rng.range(2, 40).to_string())
            .replace("{views}", &rng.range(100, 9000).to_string())
    };
    let mut text = String::new();
    for h in outlet.header {
        text.push_str(&fill(h, rng));
        text.push('\n');
    }
    if !outlet.header.is_empty() {
        text.push('\n');
    }
    for (k, p) in paragraphs.iter().enumerate() {
        if k > 0 {
            text.push_str("\n\n");
        }
        match outlet.wrap {
            Some(w) => text.push_str(&wrap(p, w).join("\n")),
            None => text.push_str(p),
        }
    }
    for (k, f) in outlet.footer.iter().enumerate() {
        text.push_str(if k == 0 { "\n\n" } else { "\n" });
        text.push_str(&fill(f, rng));
    }
    text.push('\n');
    let title = if outlet.upper_title {
        title.to_uppercase()
    } else if rng.chance(0.3) {
        title
            .split_whitespace()
            .map(|w| rewrite::reword(w, rng))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        title.to_string()
    };
    (title, text)
}

/// Generates the corpus: articles (in a shuffled order) and their truth.
pub fn generate(
    pool: &[SourceDoc],
    opts: &GenerateOptions,
) -> (Vec<GeneratedArticle>, Vec<TruthRecord>) {
    let mut rng = Rng::new(opts.seed);
    let bases = make_bases(pool, opts, &mut rng);
    if bases.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Plan the stories until the article count is reached: reports with their versions, and
    // families of template items (one frame, other parties and figures, one day); a few
    // digests come last.
    let digest_count = opts.articles / DIGEST_EVERY;
    let reports_total = opts.articles - digest_count;
    let mut plan: Vec<Slot> = Vec::new();
    let mut total = 0;
    let mut families = 0;
    while total < reports_total {
        let left = reports_total - total;
        if left >= 2 * FAMILY_SIZE && rng.below(100) < FAMILY_PERCENT {
            for k in 0..FAMILY_SIZE {
                let versions = if k == FAMILY_SIZE - 1 {
                    1
                } else {
                    1 + rng.below(2)
                };
                plan.push(Slot::Member {
                    family: families,
                    k,
                    versions,
                });
                total += versions;
            }
            families += 1;
        } else {
            let v = version_count(&mut rng).min(left);
            plan.push(Slot::Report { versions: v });
            total += v;
        }
    }
    let report_slots = plan
        .iter()
        .filter(|p| matches!(p, Slot::Report { .. }))
        .count();
    let instances = report_slots.div_ceil(bases.len()).max(1);
    let cipher = (instances > 1 || families > 0).then(|| Cipher::new(&bases));
    let perms: Vec<Vec<u32>> = match &cipher {
        Some(c) if instances > 1 => (0..instances)
            .map(|i| c.permutation(opts.seed, i))
            .collect(),
        _ => Vec::new(),
    };
    // The n-th report slot of the plan, for choosing its base.
    let mut report_index = vec![0usize; plan.len()];
    let mut n = 0;
    for (i, p) in plan.iter().enumerate() {
        if matches!(p, Slot::Report { .. }) {
            report_index[i] = n;
            n += 1;
        }
    }
    let stories: Vec<(Vec<GeneratedArticle>, Vec<TruthRecord>)> = plan
        .par_iter()
        .enumerate()
        .map(|(s, slot)| {
            let mut rng = Rng::derive(opts.seed, s as u64 + 1);
            let (title, mut paragraphs, versions, t0) = match *slot {
                Slot::Report { versions } => {
                    let r = report_index[s];
                    let base = &bases[r % bases.len()];
                    let instance = r / bases.len();
                    let (title, paragraphs) = match (&cipher, instance) {
                        (Some(c), i) if i > 0 && !perms.is_empty() => {
                            let shift = 1 + u32_of(i % 9);
                            (
                                c.apply(&base.title, &perms[i], shift),
                                base.paragraphs
                                    .iter()
                                    .map(|p| c.apply(p, &perms[i], shift))
                                    .collect(),
                            )
                        }
                        _ => (base.title.clone(), base.paragraphs.clone()),
                    };
                    let t0 = EPOCH_2020 + i64_from(rng.below(365 * 86_400));
                    (title, paragraphs, versions, t0)
                }
                Slot::Member {
                    family,
                    k,
                    versions,
                } => {
                    let frame = &bases[(family * 7919 + 13) % bases.len()];
                    let mut day = Rng::derive(opts.seed ^ 0xFA11, family as u64);
                    let t0 = EPOCH_2020
                        + i64_from(day.below(365 * 86_400))
                        + i64_from(rng.below(10 * 3600));
                    let (title, paragraphs) = match &cipher {
                        Some(c) => template_item(c, frame, family, k),
                        None => (frame.title.clone(), frame.paragraphs.clone()),
                    };
                    (title, paragraphs, versions, t0)
                }
            };
            // Some reports share a background paragraph with another report.
            if let Slot::Report { .. } = slot
                && report_index[s] % BACKGROUND_EVERY < 2
                && paragraphs.len() >= 2
            {
                let donor = &bases[(report_index[s] / BACKGROUND_EVERY * 31 + 7) % bases.len()];
                if let Some(p) = donor.paragraphs.last() {
                    paragraphs.insert(paragraphs.len().min(2), p.clone());
                }
            }
            let mut outlets: Vec<usize> = (0..OUTLETS.len()).collect();
            rng.shuffle(&mut outlets);
            let mut arts = Vec::with_capacity(versions);
            let mut truth = Vec::with_capacity(versions);
            for j in 0..versions {
                let outlet = &OUTLETS[outlets[j % outlets.len()]];
                let ts = if j == 0 { t0 } else { t0 + later(&mut rng) };
                let body = if j == 0 {
                    paragraphs.clone()
                } else {
                    let plan = EditPlan::random(&mut rng);
                    edit(&paragraphs, &plan, opts.min_words, &mut rng)
                };
                let (title, text) = format_version(outlet, &title, &body, ts, &mut rng);
                let id = article_id(opts.seed, s as u64, j as u64);
                arts.push(GeneratedArticle {
                    url: format!("https://{}/{}/{}", outlet.domain, &iso_date(ts)[..4], id),
                    id: id.clone(),
                    source: outlet.name.to_string(),
                    title,
                    date: iso_date(ts),
                    text,
                    timestamp: ts,
                });
                truth.push(TruthRecord { id, story: s });
            }
            (arts, truth)
        })
        .collect();
    // Digests: the leads of several reports under one headline, a story of their own.
    let reports: Vec<usize> = (0..plan.len())
        .filter(|&i| matches!(plan[i], Slot::Report { .. }))
        .collect();
    let mut digests = Vec::with_capacity(digest_count);
    let mut digest_truth = Vec::with_capacity(digest_count);
    for d in 0..digest_count {
        let mut rng = Rng::derive(opts.seed ^ 0xD16E57, d as u64);
        let mut paragraphs = Vec::new();
        let mut ts = EPOCH_2020;
        for _ in 0..DIGEST_ITEMS.min(reports.len()) {
            let story = &stories[*rng.pick(&reports)].0[0];
            ts = ts.max(story.timestamp + 3600);
            if let Some(lead) = story
                .text
                .split("\n\n")
                .find(|p| p.split_whitespace().count() > 12)
            {
                paragraphs.push(lead.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        let outlet = &OUTLETS[rng.below(OUTLETS.len())];
        let title = format!("News highlights {}", &iso_date(ts)[..10]);
        let (title, text) = format_version(outlet, &title, &paragraphs, ts, &mut rng);
        let id = article_id(opts.seed ^ 0xD16E57, d as u64, 0);
        digests.push(GeneratedArticle {
            url: format!("https://{}/digest/{}", outlet.domain, id),
            id: id.clone(),
            source: outlet.name.to_string(),
            title,
            date: iso_date(ts),
            text,
            timestamp: ts,
        });
        digest_truth.push(TruthRecord {
            id,
            story: plan.len() + d,
        });
    }
    let stories: Vec<(Vec<GeneratedArticle>, Vec<TruthRecord>)> = stories
        .into_iter()
        .chain(std::iter::once((digests, digest_truth)))
        .collect();
    let mut articles = Vec::with_capacity(total);
    let mut truth = Vec::with_capacity(total);
    for (a, t) in stories {
        articles.extend(a);
        truth.extend(t);
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    truth.sort_by(|a, b| a.id.cmp(&b.id));
    (articles, truth)
}

/// Writes the articles as JSONL.
pub fn write_jsonl<T: Serialize>(out: &mut impl Write, records: &[T]) -> std::io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Vec<SourceDoc> {
        (0..40)
            .map(|i| SourceDoc {
                title: format!("Report number {i} on the economy"),
                paragraphs: (0..6)
                    .map(|k| {
                        format!(
                            "In paragraph {k} of report {i} the minister said exports rose by \
                             {} pct in March. Analysts expected growth to continue through the \
                             year, although several warned that demand in Europe was weakening \
                             and that costs were rising for firms of every size.",
                            i * 7 + k
                        )
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn same_seed_same_corpus_and_truth_covers_every_article() {
        let opts = GenerateOptions {
            articles: 30,
            seed: 9,
            min_words: 100,
            max_words: 400,
        };
        let (a1, t1) = generate(&pool(), &opts);
        let (a2, _) = generate(&pool(), &opts);
        assert_eq!(a1.len(), 30);
        assert_eq!(t1.len(), 30);
        assert_eq!(
            a1.iter().map(|a| &a.text).collect::<Vec<_>>(),
            a2.iter().map(|a| &a.text).collect::<Vec<_>>()
        );
        let ids: std::collections::HashSet<&str> = a1.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), 30);
        for a in &a1 {
            let words = a.text.split_whitespace().count();
            assert!(words >= 100, "{words}");
        }
    }

    #[test]
    fn cipher_makes_a_different_report_of_the_same_shape() {
        let opts = GenerateOptions {
            articles: 10,
            ..GenerateOptions::default()
        };
        let mut rng = Rng::new(1);
        let bases = make_bases(&pool(), &opts, &mut rng);
        let c = Cipher::new(&bases);
        let p = c.permutation(1, 1);
        let text = &bases[0].paragraphs[0];
        let out = c.apply(text, &p, 3);
        assert_ne!(&out, text);
        assert_eq!(out.split(' ').count(), text.split(' ').count());
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date(EPOCH_2020), "2020-01-01T00:00:00Z");
        assert_eq!(
            iso_date(EPOCH_2020 + 59 * 86_400 + 3661),
            "2020-02-29T01:01:01Z"
        );
    }
}
