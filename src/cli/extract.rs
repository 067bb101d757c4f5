//! `newsgraph extract`: the facts of one article as JSON. Entry point: [`run`].

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use newsgraph::article::{id_from_path_str, read_text_article, Decode, PubDate};

use super::{extractor, lexicon, now, output, Outcome};

/// Extract the facts of one article (.txt with optional TOML front matter) as JSON.
#[derive(clap::Args)]
pub struct Args {
    /// The article file.
    article: PathBuf,
    /// Publication date (YYYY-MM-DD or YYYY-MM), overriding the article's own.
    #[arg(long, value_name = "DATE")]
    published: Option<PubDate>,
    /// Write the facts to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Extra lexicon entries: a folder with files named like src/extract/lexicons/.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    lossy: bool,
    /// The rules alone, without the learned name tagger.
    #[arg(long)]
    rules_only: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let lex = lexicon(&args.lexicon)?;
    let mut extractor = extractor(&lex);
    if args.rules_only {
        extractor = extractor.with_tagger(None);
    }
    let stem = args
        .article
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let decode = if args.lossy {
        Decode::Lossy
    } else {
        Decode::Strict
    };
    let a = read_text_article(&args.article, &id_from_path_str(&stem), decode)?;
    let facts = extractor.extract(&a, args.published, Some(now()));
    let mut out = output(&args.output)?;
    out.write_all(newsgraph::facts::to_json(&facts).as_bytes())
        .and_then(|_| out.flush())
        .context("cannot write the facts")?;
    Ok(Outcome::Done)
}
