//! `newsgraph train`: the name tagger trained from gold facts files and silver labels, its
//! weights written to a file, and its mention scores on a dev set beside the rules'. Entry
//! point: [`run`].

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Context;
use newsgraph::extract::lexicon::Lexicon;
use newsgraph::extract::tagger::train::{self, Options};

use super::{InputError, Outcome};

/// Train the name tagger (persons, organisations, places) and write its weights.
///
/// Reproduces the shipped model with the defaults, from the repository root:
/// `newsgraph train --gold tests/gold --gold tests/synthetic`.
#[derive(clap::Args)]
pub struct Args {
    /// Folder of gold *.facts.json files to train on (every mention labelled). Repeatable.
    #[arg(long, value_name = "DIR")]
    gold: Vec<PathBuf>,
    /// Silver labels (newsgraph-silver/1 JSON Lines); a token is trained on where spaCy and the
    /// rules agree.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "training/silver/bbc-spacy-sm.jsonl"
    )]
    silver: PathBuf,
    /// The BBC corpus the silver file's ids point into.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "../shared/corpus/bbc",
        env = "NEWSGRAPH_BBC"
    )]
    corpus: PathBuf,
    /// The held-out set: its articles are never trained on (an error in --gold, skipped in
    /// the silver file).
    #[arg(long, value_name = "DIR", default_value = "tests/heldout")]
    heldout: PathBuf,
    /// Gold folder to score on and leave out of training: exact-span mention F1 of the new
    /// model beside the rules'.
    #[arg(long, value_name = "DIR")]
    dev: Option<PathBuf>,
    /// Passes over the training data.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100))]
    epochs: u32,
    /// Drop features seen fewer times than this.
    #[arg(long, default_value_t = 2)]
    min_count: u32,
    /// Where to write the weights.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "src/extract/tagger/weights.bin"
    )]
    out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let lex = Lexicon::bundled();
    let held_out = if args.heldout.is_dir() {
        train::ids_in(&args.heldout)?
    } else {
        HashSet::new()
    };
    let dev = match &args.dev {
        Some(d) => train::load_gold_dir(d, &held_out, &args.heldout)?,
        None => Vec::new(),
    };
    let mut examples = Vec::new();
    for g in &args.gold {
        if args.dev.as_ref() == Some(g) {
            return Err(InputError(format!(
                "{} is both --gold and --dev: a dev set is never trained on",
                g.display()
            ))
            .into());
        }
        examples.extend(train::load_gold_dir(g, &held_out, &args.heldout)?);
    }
    let gold_articles = examples.len();
    let mut skip: HashSet<String> = held_out.clone();
    skip.extend(examples.iter().map(|e| e.id.clone()));
    skip.extend(dev.iter().map(|e| e.id.clone()));
    let silver = train::load_silver(&args.silver, &args.corpus, &skip, lex)?;
    let labelled: usize = silver
        .iter()
        .map(|e| e.labels.iter().filter(|l| l.is_some()).count())
        .sum();
    let tokens: usize = silver.iter().map(|e| e.labels.len()).sum();
    eprintln!(
        "training on {gold_articles} gold articles and {} silver articles ({labelled} of {tokens} tokens labelled), {} epochs",
        silver.len(),
        args.epochs
    );
    examples.extend(silver);
    let model = train::train(
        &examples,
        lex,
        &Options {
            epochs: args.epochs as usize,
            min_count: args.min_count,
        },
    );
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} features, {} bytes)",
        args.out.display(),
        model.len(),
        bytes.len()
    );
    if !dev.is_empty() {
        let tagger = train::score(Some(&model), &dev, lex);
        let rules = train::score(None, &dev, lex);
        println!(
            "exact-span mention F1 on {} ({} articles)",
            args.dev
                .as_ref()
                .map_or(String::new(), |d| d.display().to_string()),
            dev.len()
        );
        println!(
            "{:<14} {:>8} {:>8} {:>6}",
            "kind", "tagger", "rules", "gold"
        );
        for (kind, c) in &tagger {
            let r = rules.get(kind).copied().unwrap_or_default();
            println!("{kind:<14} {:>8.3} {:>8.3} {:>6}", c.f1(), r.f1(), c.gold);
        }
    }
    Ok(Outcome::Done)
}
