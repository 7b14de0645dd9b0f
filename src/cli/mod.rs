//! The command line: clap definitions and one function per subcommand. Every command given
//! no PATH works on the built-in sample corpus.

mod annotations;
mod articles;
mod collate;
mod config_cmd;
mod corpus_store;
mod diff;
pub mod output;
pub(crate) mod problems;
mod search;
mod show;
mod stories;
pub(crate) mod watch;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::corpus::{self, Corpus, load::LoadOptions};

/// stet: read and compare versions of news reports in the terminal.
#[derive(Debug, Parser)]
#[command(name = "stet", version, about, long_about = None)]
pub struct Cli {
    /// Corpus paths for the reader (folders, .txt/.md, .json/.jsonl, .html, any .gz); none opens
    /// the built-in sample corpus.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Use this config file instead of the one in the user config dir.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// List every load problem on stderr (by default one line per reason, with its count and
    /// first few places).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print no load problems on stderr (the exit code still says when nothing loaded).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// The command; none opens the reader.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the articles of a corpus: id, source, date, words, title.
    Articles(ArticlesArgs),
    /// Show one article, cleaned (or raw), with its metadata.
    Show(ShowArgs),
    /// Group the articles into stories (versions of the same report).
    Stories(StoriesArgs),
    /// Compare two versions: aligned sentences, moves, word-level changes.
    Diff(DiffArgs),
    /// Align all versions of a story into one table of readings.
    Collate(CollateArgs),
    /// Search every article's headline and text; answers with stories.
    Search(SearchArgs),
    /// List, export or import annotations.
    Annotations(AnnotationsArgs),
    /// Print or check the configuration.
    Config(ConfigArgs),
    /// Follow feeds and pages and keep every version (`watch:` opens them as a corpus).
    Watch(watch::WatchArgs),
}

/// Options shared by every command that loads a corpus.
#[derive(Debug, Clone, Args, Default)]
pub struct LoadArgs {
    /// Override a JSON field name: `--field text=maintext` (keys: id, title, text, date, source,
    /// url, byline, dateline, deck, story).
    #[arg(long = "field", value_name = "KEY=NAME")]
    pub fields: Vec<String>,
    /// Largest article (text or HTML file) or record (JSONL line) loaded, in MB; bigger ones
    /// are skipped with a problem line (default 64).
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=65536))]
    pub max_record_mb: Option<u64>,
    /// Add a marker word of Nexis/LexisNexis exports, for an interface language or a changed
    /// format: `--keyword end="Fin du document"` (kinds: end, body, trailer, title, byline,
    /// dateline, highlight, section, length, after_text, version, documents).
    #[arg(long = "keyword", value_name = "KIND=WORD")]
    pub keywords: Vec<String>,
}

/// `stet articles`.
#[derive(Debug, Args)]
pub struct ArticlesArgs {
    /// Corpus paths; none means the built-in sample corpus.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print a JSON array instead of one line per article.
    #[arg(long)]
    pub json: bool,
    /// How the corpus is loaded.
    #[command(flatten)]
    pub load: LoadArgs,
}

/// `stet show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A file path, or an article id found in the corpus.
    pub article: String,
    /// Corpus paths to look the id up in; none means the built-in sample corpus.
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the raw text with removed lines marked.
    #[arg(long)]
    pub raw: bool,
    /// How the corpus is loaded.
    #[command(flatten)]
    pub load: LoadArgs,
}

/// `stet stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Corpus paths; none means the built-in sample corpus.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// How the corpus is loaded.
    #[command(flatten)]
    pub load: LoadArgs,
    /// The grouping settings.
    #[command(flatten)]
    pub group: GroupArgs,
}

/// Grouping thresholds (defaults from the config file).
#[derive(Debug, Clone, Args, Default)]
pub struct GroupArgs {
    /// Minimum containment of the shorter text's shingles for two articles to be versions.
    #[arg(long, value_name = "0..1", value_parser = parse_min_containment)]
    pub min_containment: Option<f32>,
    /// Maximum distance in days between two dated versions.
    #[arg(long, value_name = "DAYS", value_parser = parse_max_days)]
    pub max_days: Option<f32>,
    /// Skip the corpus cache (the derived store): load, clean and group in memory.
    #[arg(long)]
    pub no_cache: bool,
    /// When files changed since the corpus was cached, group the whole corpus again
    /// (by default only the articles of added and changed files are grouped, against the
    /// cached stories, unless more than a fifth of the articles changed).
    #[arg(long, conflicts_with = "no_cache")]
    pub regroup: bool,
}

/// `stet diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a file path or an article id.
    pub a: String,
    /// The new version: a file path or an article id.
    pub b: String,
    /// Corpus paths to look ids up in; none means the built-in sample corpus.
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Print a unified diff even on a wide terminal.
    #[arg(long)]
    pub unified: bool,
    /// How the corpus is loaded.
    #[command(flatten)]
    pub load: LoadArgs,
}

/// `stet collate`.
#[derive(Debug, Args)]
pub struct CollateArgs {
    /// A story id (from `stet stories`) or an article id in it.
    pub story: String,
    /// Corpus paths; none means the built-in sample corpus.
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// How the corpus is loaded.
    #[command(flatten)]
    pub load: LoadArgs,
}

/// `stet search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: words (all of them), "a phrase", OR, NOT or -word, (parentheses),
    /// title:WORD, source:NAME, date:2026-03-01..2026-03-05 (or date:2026-03-01.., date:..DAY,
    /// date:2026-03). Case and accents are ignored. Put `--` before a query starting with `-`.
    pub query: String,
    /// Corpus paths; none means the built-in sample corpus.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Most stories listed.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10000))]
    pub limit: u64,
    /// How the corpus is loaded.
    #[command(flatten)]
    pub load: LoadArgs,
    /// The grouping settings.
    #[command(flatten)]
    pub group: GroupArgs,
}

/// `stet annotations`.
#[derive(Debug, Args)]
pub struct AnnotationsArgs {
    /// Corpus paths; none means the built-in sample corpus.
    #[arg(long = "corpus", value_name = "PATH", global = true)]
    pub corpus: Vec<PathBuf>,
    /// What to do with the annotations.
    #[command(subcommand)]
    pub action: AnnotationsAction,
}

/// What to do with annotations.
#[derive(Debug, Subcommand)]
pub enum AnnotationsAction {
    /// List the annotations of the corpus.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the annotations.
    Export {
        /// w3c, jsonl, csv or markdown.
        #[arg(long, value_name = "FORMAT")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import stet JSONL or W3C JSON-LD exports, merging by id.
    Import {
        /// The file to import.
        file: PathBuf,
    },
}

/// `stet config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the commented default config.toml.
    #[arg(long)]
    pub print_default: bool,
}

/// `--min-containment`: the range the config file's `min_containment` has.
fn parse_min_containment(arg: &str) -> Result<f32, String> {
    crate::config::group_range("min_containment")
        .map_or(Err("no range".into()), |r| r.parse_arg(arg))
}

/// `--max-days`: the range the config file's `max_days` has.
fn parse_max_days(arg: &str) -> Result<f32, String> {
    crate::config::group_range("max_days").map_or(Err("no range".into()), |r| r.parse_arg(arg))
}

/// Fails when the configuration cannot be used as written: a `--config` file that cannot be
/// read, or (for the commands, not the reader, which starts with the defaults and lists the
/// problems) any mistake in the file. Each problem is printed as `file:line: message`.
fn check_config(explicit: Option<&std::path::Path>, strict: bool) -> Result<()> {
    if let Some(path) = explicit {
        std::fs::metadata(path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
    }
    let (_, problems) = crate::config::Config::load(explicit, false);
    if problems.is_empty() || !strict {
        return Ok(());
    }
    for p in &problems {
        crate::say!("{p}");
    }
    anyhow::bail!(
        "the configuration has {}; fix {} (`stet config` checks the file) or give another \
         with --config",
        crate::text::plural(problems.len(), "problem", "problems"),
        crate::text::noun(problems.len(), "it", "them")
    )
}

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    problems::set_verbosity(match (cli.verbose, cli.quiet) {
        (true, _) => problems::Verbosity::All,
        (_, true) => problems::Verbosity::Quiet,
        _ => problems::Verbosity::Grouped,
    });
    let _ = CONFIG_PATH.set(cli.config.clone());
    match &cli.command {
        // `stet config` reports the problems itself.
        Some(Command::Config(_)) => {}
        None => check_config(cli.config.as_deref(), false)?,
        Some(_) => check_config(cli.config.as_deref(), true)?,
    }
    let mut cli = cli;
    resolve_watch_specs(&mut cli)?;
    match cli.command {
        Some(Command::Watch(args)) => watch::run(&args, cli.config.as_deref()),
        Some(Command::Articles(args)) => articles::run(&args),
        Some(Command::Show(args)) => show::run(&args),
        Some(Command::Stories(args)) => stories::run(&args, cli.config.as_deref()),
        Some(Command::Diff(args)) => diff::run(&args),
        Some(Command::Collate(args)) => collate::run(&args, cli.config.as_deref()),
        Some(Command::Search(args)) => search::run(&args, cli.config.as_deref()),
        Some(Command::Annotations(args)) => annotations::run(&args),
        Some(Command::Config(args)) => config_cmd::run(&args, cli.config.as_deref()),
        None => match unknown_word(&cli.paths) {
            Some(message) => {
                crate::say!("stet: {message}");
                Ok(ExitCode::from(2))
            }
            None => crate::runtime::run(&cli.paths, cli.config.as_deref()),
        },
    }
}

/// Replaces `watch:` among the corpus paths of any command by the watch archive's corpus file.
fn resolve_watch_specs(cli: &mut Cli) -> Result<()> {
    watch::resolve_spec(&mut cli.paths)?;
    match &mut cli.command {
        Some(Command::Articles(a)) => watch::resolve_spec(&mut a.paths),
        Some(Command::Show(a)) => watch::resolve_spec(&mut a.corpus),
        Some(Command::Stories(a)) => watch::resolve_spec(&mut a.paths),
        Some(Command::Diff(a)) => watch::resolve_spec(&mut a.corpus),
        Some(Command::Collate(a)) => watch::resolve_spec(&mut a.corpus),
        Some(Command::Search(a)) => watch::resolve_spec(&mut a.paths),
        Some(Command::Annotations(a)) => watch::resolve_spec(&mut a.corpus),
        _ => Ok(()),
    }
}

/// The reader's PATH arguments that are no file or folder: a mistyped command (`stet artcles`)
/// or a path that does not exist. Says which, with clap's "did you mean" when the word is close
/// to a command's name; None when every path exists.
fn unknown_word(paths: &[PathBuf]) -> Option<String> {
    use clap::CommandFactory;
    use clap::error::{ContextKind, ContextValue};
    let missing: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_err())
        .collect();
    let first = missing.first()?;
    let word = first.to_string_lossy();
    // clap's own suggestion: the word parsed as a subcommand of a command that has only the
    // subcommands.
    let probe = clap::Command::new("stet").subcommands(Cli::command().get_subcommands().cloned());
    let suggestion = match probe.try_get_matches_from(["stet", word.as_ref()]) {
        Err(e) => match e.get(ContextKind::SuggestedSubcommand) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            // Sorted by likeness, the closest last.
            Some(ContextValue::Strings(s)) => s.last().cloned(),
            _ => None,
        },
        Ok(_) => None,
    };
    let more = match missing.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let is_command = Cli::command()
        .get_subcommands()
        .any(|c| c.get_name() == word.as_ref());
    Some(match suggestion {
        _ if is_command => format!(
            "'{word}' is a command, not a file or folder{more}: the command comes first \
             (`stet {word} PATH...`)"
        ),
        _ if word.contains(['/', '.']) => format!("no such file or folder: '{word}'{more}"),
        Some(cmd) => format!(
            "'{word}' is neither a command nor a file or folder{more}; did you mean `stet {cmd}`? \
             (`stet --help` lists the commands)"
        ),
        None => format!(
            "'{word}' is neither a command nor a file or folder{more} (`stet --help` lists the \
             commands)"
        ),
    })
}

/// The `--config` file given (set once by [`run`]): commands that load a corpus read its
/// `[formats.keywords]`.
static CONFIG_PATH: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

/// The export keywords: the built-in ones and the config file's `[formats.keywords]`.
pub(crate) fn config_keywords() -> corpus::formats::ExportKeywords {
    let explicit = CONFIG_PATH.get().and_then(Option::as_deref);
    crate::config::Config::load(explicit, true).0.keywords
}

/// Parses `--field key=name` overrides into load options, with the export keywords of the
/// config file (its problems were reported before the command ran).
fn load_options(args: &LoadArgs) -> Result<LoadOptions> {
    let mut opts = LoadOptions {
        keywords: config_keywords(),
        ..LoadOptions::default()
    };
    if let Some(mb) = args.max_record_mb {
        opts.limits.record_bytes = mb << 20;
    }
    for spec in &args.fields {
        let (key, name) = spec
            .split_once('=')
            .with_context(|| format!("--field {spec}: expected KEY=NAME"))?;
        opts.fields
            .set(key.trim(), name.trim())
            .map_err(|e| anyhow::anyhow!("--field {spec}: {e}"))?;
    }
    for spec in &args.keywords {
        let (kind, word) = spec
            .split_once('=')
            .with_context(|| format!("--keyword {spec}: expected KIND=WORD"))?;
        opts.keywords
            .add(kind.trim(), word)
            .map_err(|e| anyhow::anyhow!("--keyword {spec}: {e}"))?;
    }
    Ok(opts)
}

/// Loads the corpus at `paths` (the sample corpus when empty), printing every load problem to
/// stderr as `path:line: reason` and a progress line when stderr is a terminal.
pub(crate) fn load_corpus(paths: &[PathBuf], args: &LoadArgs) -> Result<Corpus> {
    load_corpus_with(paths, load_options(args)?)
}

/// [`load_corpus`] with the options already made.
fn load_corpus_with(paths: &[PathBuf], opts: LoadOptions) -> Result<Corpus> {
    let found = (!paths.is_empty()).then(|| corpus::load::Discovered::walk(paths));
    load_corpus_found(paths, found, opts)
}

/// [`load_corpus_with`] on the files already found under `paths` (None: the sample corpus).
fn load_corpus_found(
    paths: &[PathBuf],
    found: Option<corpus::load::Discovered>,
    opts: LoadOptions,
) -> Result<Corpus> {
    let show_progress = std::io::stderr().is_terminal();
    let progress = move |p: corpus::Progress| {
        if show_progress {
            output::progress_line(p);
        }
    };
    let corpus = match found {
        None => corpus::sample::load_sample(&opts),
        Some(found) => corpus::load::load_found(paths, found, &opts, &progress),
    };
    if show_progress {
        output::clear_progress_line();
    }
    report_problems(&corpus.problems);
    Ok(corpus)
}

/// Prints load problems to stderr in one buffered write (a corpus can have thousands): one line
/// per reason with its count and first places, every `path:line: reason` with `-v`, none with
/// `-q` (see [`problems`]).
pub(crate) fn report_problems<P: std::fmt::Display>(problems: &[P]) {
    use std::io::Write;
    if problems.is_empty() {
        return;
    }
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let mut err = output::stderr();
    for problem in problems::problem_lines(&lines, problems::verbosity()) {
        if writeln!(err, "{problem}").is_err() {
            return;
        }
    }
    let _ = err.flush();
}

/// Exit code of a command that loaded `corpus`: 0 when anything loaded, 2 when nothing did.
fn loaded_exit_code(corpus: &Corpus) -> ExitCode {
    if corpus.articles.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
