//! `newsgraph eval`: extraction scored against gold facts files. Entry point: [`run`].

use std::path::PathBuf;

use anyhow::Context;
use newsgraph::extract::tagger::Model;

use super::{extractor, lexicon, InputError, Outcome};

/// Score extraction against gold facts files: precision, recall, F1 per category.
#[derive(clap::Args)]
pub struct Args {
    /// Folder of gold *.facts.json files.
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Score another extractor's facts files (same file names) beside ours: NAME=DIR.
    #[arg(long, value_name = "NAME=DIR")]
    peer: Vec<String>,
    /// table or json.
    #[arg(long, default_value = "table")]
    format: Format,
    /// Extra lexicon entries.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
    /// Also print one line per article (table format): each category's F1 and gold count.
    #[arg(long)]
    per_article: bool,
    /// Score the rules alone, without the learned name tagger.
    #[arg(long, conflicts_with = "weights")]
    rules_only: bool,
    /// Use the tagger weights in FILE (from `newsgraph train --out FILE`) instead of the
    /// shipped ones.
    #[arg(long, value_name = "FILE")]
    weights: Option<PathBuf>,
}

/// Output of `newsgraph eval`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let lex = lexicon(&args.lexicon)?;
    let model = match &args.weights {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let model = Model::from_bytes(&bytes).with_context(|| path.display().to_string())?;
            Some(model)
        }
        None => None,
    };
    let mut extractor = extractor(&lex);
    if args.rules_only {
        extractor = extractor.with_tagger(None);
    }
    if let Some(m) = &model {
        extractor = extractor.with_tagger(Some(m));
    }
    let peers = args
        .peer
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(n, d)| (n.to_owned(), PathBuf::from(d)))
                .ok_or_else(|| InputError(format!("--peer {p:?}: expected NAME=DIR")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let result = newsgraph::eval::evaluate_dir(&extractor, &args.gold, &peers)?;
    match args.format {
        Format::Table => {
            print!("{}", newsgraph::eval::report_table(&result));
            if args.per_article {
                print!("\n{}", newsgraph::eval::report_per_article(&result));
            }
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(&result)?),
    }
    Ok(Outcome::Done)
}
