//! `stet-gen`: generates labelled corpora from real articles and measures grouping on them.
//!
//! - `stet-gen generate --articles 10000 --seed 1 --out gen10k.jsonl` writes the corpus and
//!   `gen10k.truth.tsv` (id, story).
//! - `stet-gen eval --truth gen10k.truth.tsv gen10k.jsonl` loads, cleans, groups and prints
//!   pairwise precision, recall, F1 and the time of each stage.
//! - `stet-gen eval-reuters reuters21578.jsonl` measures against re-sends within a day that
//!   share most sentences, and the share of look-alike template pairs wrongly joined.

use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use stet::corpus::group::{self, GroupSettings};
use stet::corpus::load::{LoadOptions, load_paths};
use stet::num::f64_of;
use stet_gen::{self as generate, GenerateOptions, eval};

#[derive(Parser)]
#[command(
    name = "stet-gen",
    about = "Generate labelled news corpora and measure grouping"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a corpus and its truth file.
    Generate {
        /// Number of articles.
        #[arg(long, default_value_t = 1000)]
        articles: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The BBC folder.
        #[arg(long, default_value = "../shared/data/bbc")]
        bbc: PathBuf,
        /// The Reuters-21578 JSONL file.
        #[arg(long, default_value = "../shared/data/reuters21578.jsonl")]
        reuters: PathBuf,
        /// Output JSONL file; the truth goes next to it as NAME.truth.tsv.
        #[arg(long)]
        out: PathBuf,
    },
    /// Group a generated corpus and score it against its truth.
    Eval {
        /// The truth file (id TAB story).
        #[arg(long)]
        truth: PathBuf,
        /// Print this many wrongly joined and wrongly split pairs.
        #[arg(long, default_value_t = 0)]
        show: usize,
        /// Corpus paths.
        paths: Vec<PathBuf>,
    },
    /// Score grouping on Reuters-21578 against its re-sends and look-alike templates.
    EvalReuters {
        /// The Reuters-21578 JSONL file.
        path: PathBuf,
        /// Print this many wrongly joined and wrongly split pairs.
        #[arg(long, default_value_t = 0)]
        show: usize,
        /// Pairs of the re-send truth a reader judged to be other reports (`ID TAB ID TAB
        /// other TAB reason` lines, `#` comments), e.g.
        /// `tests/fixtures/reuters-resend-truth-errors.tsv`: recall is also given without them.
        #[arg(long)]
        adjudicated: Option<PathBuf>,
    },
    /// Show the grouping evidence for two articles of a corpus (by id).
    Why {
        /// Corpus path.
        path: PathBuf,
        /// One article id.
        a: String,
        /// The other article id.
        b: String,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stet-gen: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// CPU seconds (user + system) used by this process so far (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn truth_path(out: &std::path::Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!("{stem}.truth.tsv"))
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Generate {
            articles,
            seed,
            bbc,
            reuters,
            out,
        } => {
            let mut skip = HashSet::new();
            let manifest = bbc.join("../pairs/bbc/MANIFEST.jsonl");
            if let Ok(text) = std::fs::read_to_string(&manifest) {
                for line in text.lines() {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                        && let Some(b) = v.get("b").and_then(|b| b.as_str())
                    {
                        skip.insert(b.to_string());
                    }
                }
            }
            let bbc = bbc.is_dir().then_some(bbc.as_path());
            let reuters = reuters.is_file().then_some(reuters.as_path());
            let pool = generate::read_pool(bbc, reuters, &skip).context("reading articles")?;
            anyhow::ensure!(!pool.is_empty(), "no source articles found");
            let opts = GenerateOptions {
                articles,
                seed,
                ..GenerateOptions::default()
            };
            let (arts, truth) = generate::generate(&pool, &opts);
            let mut w = BufWriter::new(
                std::fs::File::create(&out).with_context(|| out.display().to_string())?,
            );
            generate::write_jsonl(&mut w, &arts)?;
            w.flush()?;
            let tp = truth_path(&out);
            let mut t = BufWriter::new(std::fs::File::create(&tp)?);
            for r in &truth {
                writeln!(t, "{}\t{}", r.id, r.story)?;
            }
            t.flush()?;
            let stories: HashSet<usize> = truth.iter().map(|r| r.story).collect();
            eprintln!(
                "{} articles in {} stories from {} source articles -> {} and {}",
                arts.len(),
                stories.len(),
                pool.len(),
                out.display(),
                tp.display()
            );
        }
        Command::Eval { truth, show, paths } => {
            let text = std::fs::read_to_string(&truth).context("reading the truth file")?;
            let labels: HashMap<&str, u64> = text
                .lines()
                .filter_map(|l| {
                    let (id, s) = l.split_once('\t')?;
                    Some((id, s.trim().parse().ok()?))
                })
                .collect();
            let (t0, c0) = (Instant::now(), cpu_seconds());
            let corpus = load_paths(&paths, &LoadOptions::default(), &|_| {});
            let (t1, c1) = (Instant::now(), cpu_seconds());
            let settings = GroupSettings::default();
            let stories = group::group(&corpus.articles, &settings, &|_| {});
            let (t2, c2) = (Instant::now(), cpu_seconds());
            let predicted = eval::labels_of(&stories, corpus.articles.len());
            let mut next = u64::MAX / 2;
            let truth: Vec<u64> = corpus
                .articles
                .iter()
                .map(|a| {
                    labels.get(a.id.as_str()).copied().unwrap_or_else(|| {
                        next += 1;
                        next
                    })
                })
                .collect();
            let s = eval::pair_scores(&truth, &predicted);
            println!(
                "articles {} stories {} (true {}) load+clean {:.2}s wall {:.2}s cpu, group {:.2}s wall {:.2}s cpu",
                corpus.articles.len(),
                stories.len(),
                truth.iter().collect::<HashSet<_>>().len(),
                (t1 - t0).as_secs_f64(),
                c1 - c0,
                (t2 - t1).as_secs_f64(),
                c2 - c1
            );
            println!(
                "pairs: true {} predicted {} correct {} precision {:.4} recall {:.4} f1 {:.4}",
                s.true_pairs, s.predicted_pairs, s.correct_pairs, s.precision, s.recall, s.f1
            );
            if show > 0 {
                show_errors(&corpus.articles, &truth, &predicted, show);
            }
        }
        Command::Why { path, a, b } => {
            let corpus = load_paths(&[path], &LoadOptions::default(), &|_| {});
            let arts = &corpus.articles;
            let find = |id: &str| arts.iter().position(|x| x.id == id);
            let (Some(i), Some(j)) = (find(&a), find(&b)) else {
                anyhow::bail!("no article with one of those ids");
            };
            for k in [i, j] {
                let f = stet::corpus::group::features::features(&arts[k], 1);
                println!(
                    "{} | {}\n  {:?}\n  lead: {:?}",
                    arts[k].id,
                    arts[k].title,
                    f.subject.names.len(),
                    arts[k]
                        .paragraphs
                        .first()
                        .map(|p| p.chars().take(300).collect::<String>())
                );
                println!("  subject {:?}", f.subject);
            }
            show_pair(arts, i, j);
        }
        Command::EvalReuters {
            path,
            show,
            adjudicated,
        } => {
            let corpus = load_paths(&[path], &LoadOptions::default(), &|_| {});
            let arts = &corpus.articles;
            let t = Instant::now();
            let stories = group::group(arts, &GroupSettings::default(), &|_| {});
            let secs = t.elapsed().as_secs_f64();
            let predicted = eval::labels_of(&stories, arts.len());
            let truth = eval::resend_truth(arts, 24.0, 0.5);
            let s = eval::pair_scores(&truth, &predicted);
            println!(
                "articles {} stories {} group {:.2}s",
                arts.len(),
                stories.len(),
                secs
            );
            println!(
                "re-sends: true pairs {} predicted {} correct {} precision {:.4} recall {:.4} f1 {:.4}",
                s.true_pairs, s.predicted_pairs, s.correct_pairs, s.precision, s.recall, s.f1
            );
            if let Some(file) = adjudicated {
                print_adjudicated(&file, arts, &truth, &predicted)?;
            }
            if show > 0 {
                show_errors(arts, &truth, &predicted, show);
            }
            let looks = eval::lookalike_pairs(arts, 24.0, 0.5);
            let joined = looks
                .iter()
                .filter(|&&(i, j)| predicted[i] == predicted[j])
                .inspect(|&&(i, j)| {
                    if show > 0 {
                        println!("LOOK-ALIKE JOINED:\n{}", describe(arts, i, j));
                    }
                })
                .count();
            println!(
                "look-alike template pairs (same headline template, >24 h apart, containment >= 0.5): {} wrongly joined of {} ({:.2}%)",
                joined,
                looks.len(),
                100.0 * f64_of(joined) / f64_of(looks.len().max(1))
            );
            let others = eval::other_company_pairs(arts, 24.0, 0.5);
            let joined = others
                .iter()
                .filter(|&&(i, j)| predicted[i] == predicted[j])
                .inspect(|&&(i, j)| {
                    if show > 0 {
                        println!("OTHER COMPANY JOINED:\n{}", describe(arts, i, j));
                    }
                })
                .count();
            println!(
                "template items of other companies (tickers in both headlines, none shared, within 24 h, containment >= 0.5): {} wrongly joined of {} ({:.2}%)",
                joined,
                others.len(),
                100.0 * f64_of(joined) / f64_of(others.len().max(1))
            );
        }
    }
    Ok(())
}

/// Prints up to `n` wrongly joined and `n` wrongly split pairs with their evidence.
fn show_errors(arts: &[stet::corpus::Article], truth: &[u64], predicted: &[u64], n: usize) {
    let mut by_pred: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut by_truth: HashMap<u64, Vec<usize>> = HashMap::new();
    for i in 0..arts.len() {
        by_pred.entry(predicted[i]).or_default().push(i);
        by_truth.entry(truth[i]).or_default().push(i);
    }
    let describe = |i: usize, j: usize| describe(arts, i, j);
    let mut shown = 0;
    'fp: for members in by_pred.values() {
        for x in 0..members.len() {
            for y in x + 1..members.len() {
                let (i, j) = (members[x], members[y]);
                if truth[i] != truth[j] {
                    println!("JOINED, not a re-send:\n{}", describe(i, j));
                    shown += 1;
                    if shown >= n {
                        break 'fp;
                    }
                }
            }
        }
    }
    shown = 0;
    'fn_: for members in by_truth.values() {
        for x in 0..members.len() {
            for y in x + 1..members.len() {
                let (i, j) = (members[x], members[y]);
                if predicted[i] != predicted[j] {
                    println!("SPLIT, a re-send:\n{}", describe(i, j));
                    shown += 1;
                    if shown >= n {
                        break 'fn_;
                    }
                }
            }
        }
    }
}

/// Prints the re-send recall without the truth pairs `file` rejects.
fn print_adjudicated(
    file: &std::path::Path,
    arts: &[stet::corpus::Article],
    truth: &[u64],
    predicted: &[u64],
) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let rejected =
        eval::read_rejected(&text, arts).map_err(|e| anyhow::anyhow!("{}:{e}", file.display()))?;
    let (t, c, r) = eval::adjudicated_recall(truth, predicted, &rejected);
    println!(
        "re-sends without the {} pairs a reader rejects ({}): true pairs {t} correct {c} recall {r:.4}",
        rejected.len(),
        file.display()
    );
    Ok(())
}

fn describe(arts: &[stet::corpus::Article], i: usize, j: usize) -> String {
    use stet::corpus::group::{features, subject, verify};
    let (fa, fb) = (
        features::features(&arts[i], 1),
        features::features(&arts[j], 1),
    );
    let hours = match (arts[i].timestamp, arts[j].timestamp) {
        (Some(a), Some(b)) => stet::num::f64_of_i64((a - b).abs()) / 3600.0,
        _ => f64::NAN,
    };
    let (sa, sb) = (&fa.subject, &fb.subject);
    let none = |_: u32| false;
    format!(
        "  {} | {}\n  {} | {}\n  hours {:.1} containment {:.2} numbers {:?} words {}/{}\n  verdict {:?} lead {:?}/{:?} names {:?}/{:?} other_time {}",
        arts[i].id,
        arts[i].title,
        arts[j].id,
        arts[j].title,
        hours,
        verify::containment(&fa, &fb),
        verify::number_agreement(&fa, &fb),
        fa.words,
        fb.words,
        verify::verify(
            &arts[i],
            &fa,
            &arts[j],
            &fb,
            &GroupSettings::default(),
            &none
        ),
        subject::lead_found(sa, sb),
        subject::lead_found(sb, sa),
        subject::names_found(sa, sb, &none),
        subject::names_found(sb, sa, &none),
        subject::other_time(sa, sb),
    )
}

fn show_pair(arts: &[stet::corpus::Article], i: usize, j: usize) {
    println!("{}", describe(arts, i, j));
}
