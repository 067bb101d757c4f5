//! The commands of the `newsgraph` binary, one module each (arguments, the call into the
//! library, the output), and what they share: the global options, store opening, output
//! files, lexicons, the progress bar, the outcome of a command and the CLI's own errors.
//!
//! Entry point: each module's `run(args, &Global)`, dispatched by `main.rs`.

pub mod backup;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graphs;
pub mod ingest;
pub mod link;
pub mod load;
pub mod optimize;
#[cfg(feature = "http")]
pub mod push;
pub mod query;
pub mod schema;
pub mod serve;
pub mod stats;
pub mod train;
pub mod validate;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use newsgraph::extract::lexicon::Lexicon;
use newsgraph::extract::Extractor;
use newsgraph::rdf::Base;
use newsgraph::shacl::Shapes;
use newsgraph::store::{default_store_dir, NewsStore, SummaryUpdate};

/// The options every command takes.
pub struct Global {
    /// `--store DIR`, when given.
    pub store: Option<PathBuf>,
    /// The validated `--base` IRI.
    pub base: Base,
}

impl Global {
    /// Opens `--store DIR`, else the default store.
    pub fn open_store(&self) -> anyhow::Result<NewsStore> {
        let path = self.store.clone().unwrap_or_else(default_store_dir);
        Ok(NewsStore::open(&path)?)
    }
}

/// How a command ended when it did not fail outright (as uv's commands return `ExitStatus`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done.
    Done,
    /// Some articles of an ingest failed; the others were ingested.
    Partial { failed: usize, total: usize },
    /// `validate` found data that does not conform; the summary of the report.
    NotConforming(String),
}

/// An input the CLI itself found unusable (a missing query file, a bad `--peer`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// The current time, RFC 3339, recorded in provenance.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads a query file, naming the folder of the shipped ones when it cannot.
pub fn read_query_file(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        InputError(format!(
            "cannot read query file {}: {e}; the shipped queries are in queries/",
            path.display()
        ))
        .into()
    })
}

/// Opens `-o FILE` (or stdout) for writing.
pub fn output(path: &Option<PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(File::create(p).with_context(|| {
            format!(
                "cannot write {}; check that its folder exists and is writable",
                p.display()
            )
        })?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

/// The shapes of `--shapes FILE`, else the bundled ones.
pub fn load_shapes(path: &Option<PathBuf>) -> anyhow::Result<Shapes> {
    Ok(match path {
        Some(p) => Shapes::from_file(p)?,
        None => Shapes::bundled()?,
    })
}

/// The lexicon with the entries of `--lexicon DIR` added, when given.
pub fn lexicon(dir: &Option<PathBuf>) -> anyhow::Result<Option<Lexicon>> {
    Ok(match dir {
        Some(d) => Some(Lexicon::with_user_dir(d)?),
        None => None,
    })
}

/// An extractor over `lex`, else over the bundled lexicon.
pub fn extractor(lex: &Option<Lexicon>) -> Extractor<'_> {
    match lex {
        Some(l) => Extractor::new(l),
        None => Extractor::default(),
    }
}

/// Says when a run rebuilt the summary graph (it takes a while on a large store).
pub fn note_summary(update: Option<SummaryUpdate>) {
    if update == Some(SummaryUpdate::Rebuilt) {
        eprintln!(
            "summary graph rebuilt from every article graph (an article was replaced, or an earlier run was cut off)"
        );
    }
}

/// A progress bar on stderr when it is a terminal and `quiet` is not set; hidden otherwise.
pub fn progress_bar(quiet: bool, template: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::hidden();
    if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_style(indicatif::ProgressStyle::with_template(template).expect("valid template"));
    }
    bar
}

/// Value parser of `--timeout`: a positive, finite number of seconds that fits a
/// `Duration` (clap reports anything else as a usage error, exit 2).
pub fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(secs > 0.0 && secs.is_finite()) {
        return Err(format!("{s} is not a positive number of seconds"));
    }
    let d = std::time::Duration::try_from_secs_f64(secs)
        .map_err(|_| format!("{s} seconds is too long for a timeout (the most is about 1.8e19)"))?;
    if d.is_zero() {
        // 1e-300 rounds to no time at all: the query would be cancelled before it starts.
        return Err(format!(
            "{s} seconds is too short for a timeout (the least is 1e-9)"
        ));
    }
    Ok(d)
}

/// Value parser of `--threshold`: a number between 0 and 1.
pub fn parse_unit_interval(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{s} is not between 0 and 1"))
    }
}

#[cfg(test)]
mod args_tests;
